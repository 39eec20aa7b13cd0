/* SPDX-License-Identifier: Apache-2.0 */
/* The fixture shared by the connector tests of tests/unit/query (csv, jsonl, host): an
 * in-memory connection with every table registered, rows of a query rendered as
 * "a|b|c\n" lines (NULL for null, \n and \r escaped) or "ERROR: <msg>", and stderr captured
 * while a query prints its warnings. Include after cmocka.h. */
#ifndef RP_QUERY_TEST_DB_H
#define RP_QUERY_TEST_DB_H

#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "core/rp_buf.h"
#include "query/query_table.h"

struct fx {
    sqlite3 *db;
    struct rp_query_stats st;
    struct rp_buf out;
};

static inline int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    assert_non_null(f);
    assert_int_equal(sqlite3_open(":memory:", &f->db), SQLITE_OK);
    assert_int_equal(rp_query_vtab_register(f->db, NULL, &f->st), SQLITE_OK);
    rp_buf_init(&f->out, 0);
    *state = f;
    return 0;
}

static inline int teardown(void **state)
{
    struct fx *f = *state;
    sqlite3_close(f->db);
    rp_buf_release(&f->out);
    free(f);
    return 0;
}

/* Every row of sql as "a|b|c\n" (NULL for null, \n and \r escaped), or "ERROR: <msg>". */
static inline const char *rows(struct fx *f, const char *sql)
{
    rp_buf_reset(&f->out);
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(f->db, sql, -1, &st, NULL);
    while (rc == SQLITE_OK || rc == SQLITE_ROW) {
        if ((rc = sqlite3_step(st)) != SQLITE_ROW) break;
        for (int i = 0; i < sqlite3_column_count(st); i++) {
            if (i) assert_int_equal(rp_buf_putc(&f->out, '|'), RP_OK);
            const char *v = (const char *)sqlite3_column_text(st, i);
            if (!v) {
                assert_int_equal(rp_buf_append_str(&f->out, "NULL"), RP_OK);
                continue;
            }
            for (int k = 0; k < sqlite3_column_bytes(st, i); k++) {
                if (v[k] == '\n')
                    assert_int_equal(rp_buf_append_str(&f->out, "\\n"), RP_OK);
                else if (v[k] == '\r')
                    assert_int_equal(rp_buf_append_str(&f->out, "\\r"), RP_OK);
                else
                    assert_int_equal(rp_buf_putc(&f->out, v[k]), RP_OK);
            }
        }
        assert_int_equal(rp_buf_putc(&f->out, '\n'), RP_OK);
    }
    if (rc != SQLITE_DONE) {
        rp_buf_reset(&f->out);
        assert_int_equal(rp_buf_printf(&f->out, "ERROR: %s", sqlite3_errmsg(f->db)), RP_OK);
    }
    sqlite3_finalize(st);
    return rp_buf_cstr(&f->out);
}

static inline const char *rowsf(struct fx *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *sql = sqlite3_vmprintf(fmt, ap);
    va_end(ap);
    assert_non_null(sql);
    const char *r = rows(f, sql);
    sqlite3_free(sql);
    return r;
}

/* stderr into a temporary file between capture_begin and capture_end (the warnings). */
static int saved_fd __attribute__((unused)) = -1;
static FILE *cap_file __attribute__((unused));
static char cap_text[8192] __attribute__((unused));

static inline void capture_begin(void)
{
    fflush(stderr);
    cap_file = tmpfile();
    assert_non_null(cap_file);
    saved_fd = dup(2);
    assert_true(saved_fd >= 0);
    assert_true(dup2(fileno(cap_file), 2) >= 0);
}

static inline const char *capture_end(void)
{
    fflush(stderr);
    assert_true(dup2(saved_fd, 2) >= 0);
    close(saved_fd);
    rewind(cap_file);
    size_t n = fread(cap_text, 1, sizeof cap_text - 1, cap_file);
    cap_text[n] = 0;
    fclose(cap_file);
    return cap_text;
}

#endif
