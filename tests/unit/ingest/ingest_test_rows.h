/* SPDX-License-Identifier: Apache-2.0 */
/* Test helper for ingest formats: builds the expected text that ingest_test_sink.h renders, so
 * a test writes only the columns it cares about, and reads fixtures under RP_FIXTURES_DIR.
 *
 *   rp_test_row_add(&exp, "vpc_flow_logs", cols, "version=2", "srcport=443", NULL);
 *
 * appends "vpc_flow_logs version=2 account_id=NULL ... srcport=443 ...\n": the table name,
 * then " col=value" for every column of cols (the test's own NULL-terminated list of the
 * table's non-RAW columns, in table order), NULL where no argument names the column. Every
 * argument must name a column. Failures are cmocka assertions (the test stops), so nothing
 * here returns an error. Also: fixture reading, whole-output checks, probe scores, the table
 * descriptor against the same column list, and one-integer store queries. Header-only,
 * cmocka-only; include it in one test file. */
#ifndef RP_INGEST_TEST_ROWS_H
#define RP_INGEST_TEST_ROWS_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "core/rp_buf.h"
#include "ingest/ingest_source.h"
#include "store/store.h"
#include "unit/ingest/ingest_test_sink.h"
#include "tools/rp_test_fixture.h"

/* Most "col=value" arguments one row takes. */
#define RP_TEST_ROW_MAX_SET 64

/* rp_test_row_add with the "col=value" arguments (NULL-terminated) as a va_list. */
static inline void rp_test_row_vadd(struct rp_buf *exp, const char *table, const char *const *cols,
                                    va_list ap)
{
    const char *set[RP_TEST_ROW_MAX_SET];
    size_t nset = 0, used = 0;
    for (const char *a; (a = va_arg(ap, const char *)) != NULL;) {
        assert_true(nset < RP_TEST_ROW_MAX_SET);
        set[nset++] = a;
    }
    assert_int_equal(rp_buf_append_str(exp, table), RP_OK);
    for (size_t c = 0; cols[c]; c++) {
        size_t cl = strlen(cols[c]);
        const char *val = "NULL";
        for (size_t i = 0; i < nset; i++)
            if (strncmp(set[i], cols[c], cl) == 0 && set[i][cl] == '=') {
                val = set[i] + cl + 1;
                used++;
            }
        assert_int_equal(rp_buf_printf(exp, " %s=%s", cols[c], val), RP_OK);
    }
    assert_int_equal(rp_buf_putc(exp, '\n'), RP_OK);
    assert_int_equal(used, nset);
}

/* Append one rendered row of table to exp (see the top of this file). */
static inline void rp_test_row_add(struct rp_buf *exp, const char *table, const char *const *cols,
                                   ...)
{
    va_list ap;
    va_start(ap, cols);
    rp_test_row_vadd(exp, table, cols, ap);
    va_end(ap);
}

/* Append line and a '\n' to exp (a REJECT line, say). */
static inline void rp_test_line_add(struct rp_buf *exp, const char *line)
{
    assert_int_equal(rp_buf_append_str(exp, line), RP_OK);
    assert_int_equal(rp_buf_putc(exp, '\n'), RP_OK);
}

/* Feed fixture <dir>/<name> to src (layout may be NULL) and compare everything rendered
 * with exp. */
static inline void rp_test_check_fixture(const struct rp_ingest_source *src, const char *dir,
                                         const char *name, const struct rp_ingest_layout *layout,
                                         const struct rp_buf *exp)
{
    struct rp_buf in;
    struct rp_test_sink ts;
    rp_test_fixture_load(&in, dir, name);
    rp_test_sink_init(&ts);
    assert_int_equal(rp_test_feed(src, layout, in.data, in.len, &ts), RP_OK);
    assert_string_equal(rp_test_sink_text(&ts), rp_buf_cstr(exp));
    rp_test_sink_release(&ts);
    rp_buf_release(&in);
}

/* Feed text to src (no layout) and compare everything rendered with exp. */
static inline void rp_test_check_text(const struct rp_ingest_source *src, const char *text,
                                      const struct rp_buf *exp)
{
    struct rp_test_sink ts;
    rp_test_sink_init(&ts);
    assert_int_equal(rp_test_feed(src, NULL, text, strlen(text), &ts), RP_OK);
    assert_string_equal(rp_test_sink_text(&ts), rp_buf_cstr(exp));
    rp_test_sink_release(&ts);
}

/* src's probe score for fixture <dir>/<name> as read from path. */
static inline int rp_test_probe_fixture(const struct rp_ingest_source *src, const char *dir,
                                        const char *name, const char *path)
{
    struct rp_buf in;
    rp_test_fixture_load(&in, dir, name);
    int s = src->probe(in.data, in.len, path);
    rp_buf_release(&in);
    return s;
}

/* The table descriptor t is named table and has exactly cols (in order) then rp_raw, RAW. */
static inline void rp_test_table_check(const struct rp_ingest_table *t, const char *table,
                                       const char *const *cols)
{
    size_t n = 0;
    assert_string_equal(t->name, table);
    while (cols[n]) n++;
    assert_int_equal(t->ncols, n + 1);
    for (size_t i = 0; i < n; i++) assert_string_equal(t->cols[i].name, cols[i]);
    assert_string_equal(t->cols[t->ncols - 1].name, "rp_raw");
    assert_int_equal(t->cols[t->ncols - 1].type, RP_INGEST_COL_RAW);
}

/* The first column of the one row sql returns, as an integer. */
static inline int64_t rp_test_query_int(struct rp_store *st, const char *sql)
{
    struct rp_store_stmt *s = NULL;
    bool row = false;
    assert_int_equal(rp_store_stmt_prepare(st, sql, &s, NULL), RP_OK);
    assert_int_equal(rp_store_stmt_step(s, &row, NULL), RP_OK);
    assert_true(row);
    int64_t v = rp_store_stmt_column_int64(s, 0);
    rp_store_stmt_reset(s);
    return v;
}

#endif
