/* SPDX-License-Identifier: Apache-2.0 */
/* Shared by the tests of the SQL function groups (test_query_func_*.c): an in-memory SQLite
 * connection with every group registered, and exact checks of whole result rows and of error
 * messages. A row renders as its columns joined by '|', each as NULL, an integer, a real
 * (SQLite's %!.15g, so 2.0 stays "2.0"), 'text' in single quotes, or x'hex' for a blob; a
 * text with the JSON subtype is prefixed with J. */
#ifndef QUERY_FUNC_TEST_H
#define QUERY_FUNC_TEST_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "query/query_table.h"

static sqlite3 *qft_db;

RP_UNUSED static int qft_setup(void **state)
{
    (void)state;
    if (sqlite3_open(":memory:", &qft_db) != SQLITE_OK) return -1;
    return rp_query_functions_register(qft_db) == SQLITE_OK ? 0 : -1;
}

RP_UNUSED static int qft_teardown(void **state)
{
    (void)state;
    sqlite3_close(qft_db);
    qft_db = NULL;
    return 0;
}

/* Render the current row of st into out[outsz]. */
RP_UNUSED static void qft_render(sqlite3_stmt *st, char *out, size_t outsz, bool subtypes)
{
    size_t o = 0;
    out[0] = '\0';
    for (int c = 0; c < sqlite3_column_count(st); c++) {
        char *cell = NULL;
        switch (sqlite3_column_type(st, c)) {
        case SQLITE_NULL:
            cell = sqlite3_mprintf("NULL");
            break;
        case SQLITE_INTEGER:
            cell = sqlite3_mprintf("%lld", sqlite3_column_int64(st, c));
            break;
        case SQLITE_FLOAT:
            cell = sqlite3_mprintf("%!.15g", sqlite3_column_double(st, c));
            break;
        case SQLITE_TEXT: {
            sqlite3_value *v = sqlite3_column_value(st, c);
            bool j = subtypes && sqlite3_value_subtype(v) == 74;
            cell = sqlite3_mprintf("%s'%s'", j ? "J" : "", sqlite3_column_text(st, c));
            break;
        }
        default: {
            const unsigned char *p = sqlite3_column_blob(st, c);
            int n = sqlite3_column_bytes(st, c);
            char *hex = calloc(1, 2 * (size_t)n + 1);
            for (int i = 0; i < n; i++) snprintf(hex + 2 * i, 3, "%02x", p[i]);
            cell = sqlite3_mprintf("x'%s'", hex);
            free(hex);
            break;
        }
        }
        o += (size_t)snprintf(out + o, o < outsz ? outsz - o : 0, "%s%s", c ? "|" : "", cell);
        sqlite3_free(cell);
    }
}

/* sql must give exactly one row, rendered as want. */
RP_UNUSED static void qft_expect(const char *file, int line, const char *sql, const char *want,
                                 bool subtypes)
{
    sqlite3_stmt *st = NULL;
    char got[4096];
    if (sqlite3_prepare_v2(qft_db, sql, -1, &st, NULL) != SQLITE_OK) {
        print_error("%s\n  prepare: %s\n", sql, sqlite3_errmsg(qft_db));
        _fail(file, line);
    }
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        print_error("%s\n  step: %s\n", sql, sqlite3_errmsg(qft_db));
        sqlite3_finalize(st);
        _fail(file, line);
    }
    qft_render(st, got, sizeof got, subtypes);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        print_error("%s\n  more than one row\n", sql);
        _fail(file, line);
    }
    if (strcmp(got, want) != 0) {
        print_error("%s\n  got  %s\n  want %s\n", sql, got, want);
        _fail(file, line);
    }
}

/* sql must fail (at prepare or step) with exactly the message want. */
RP_UNUSED static void qft_expect_error(const char *file, int line, const char *sql,
                                       const char *want)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(qft_db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK) {
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        }
    }
    const char *got = sqlite3_errmsg(qft_db);
    bool ok = rc != SQLITE_OK && rc != SQLITE_DONE && strcmp(got, want) == 0;
    if (!ok) print_error("%s\n  got  (%d) %s\n  want %s\n", sql, rc, got, want);
    sqlite3_finalize(st);
    if (!ok) _fail(file, line);
}

/* One row, rendered without subtypes / with the J marker of JSON text. */
#define EXPECT(sql, want)     qft_expect(__FILE__, __LINE__, (sql), (want), false)
#define EXPECT_J(sql, want)   qft_expect(__FILE__, __LINE__, (sql), (want), true)
#define EXPECT_ERR(sql, want) qft_expect_error(__FILE__, __LINE__, (sql), (want))

#endif
