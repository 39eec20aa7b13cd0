/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for the printers of `rampart query` (src/query/query_output.c): the exact text of
 * every format (table, csv, json, jsonl, aws) over one small result with NULLs, quotes, a
 * newline and non-ASCII text, empty results, two statements in a row, the table's escapes and
 * code-point widths, its streaming past the first 1,000 rows, JSON escaping of control
 * characters and invalid UTF-8, BLOBs, format names, and a write error. Rows are fed to the
 * sink directly, as the session would. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* open_memstream */
#endif
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "query/query.h"

#define MAXC 4

/* A row of the test data: vals[i] NULL is SQL NULL; lens[i] 0 means strlen. */
struct trow {
    enum rp_query_vtype t[MAXC];
    const char *v[MAXC];
    size_t len[MAXC];
};

/* One statement: its columns and rows. */
struct tstmt {
    size_t ncols;
    const char *names[MAXC];
    const char *types[MAXC];
    size_t nrows;
    const struct trow *rows;
};

/* Feed one statement to sink. */
static void feed(const struct rp_query_sink *s, const struct tstmt *st)
{
    struct rp_query_columns cols = {st->ncols, st->names, st->types};
    struct rp_errbuf eb = {0};
    assert_int_equal(s->begin(s->ctx, &cols, &eb), RP_OK);
    for (size_t r = 0; r < st->nrows; r++) {
        const struct trow *tr = &st->rows[r];
        size_t lens[MAXC];
        enum rp_query_vtype types[MAXC];
        for (size_t i = 0; i < st->ncols; i++) {
            types[i] = tr->v[i] ? tr->t[i] : RP_QV_NULL;
            lens[i] = tr->v[i] ? (tr->len[i] ? tr->len[i] : strlen(tr->v[i])) : 0;
        }
        struct rp_query_row row = {st->ncols, types, tr->v, lens};
        assert_int_equal(s->row(s->ctx, &row, &eb), RP_OK);
    }
    assert_int_equal(s->end(s->ctx, &cols, &eb), RP_OK);
}

/* Print the statements in format fmt; the caller frees the text. */
static char *print(enum rp_query_format fmt, const struct tstmt *st, size_t n)
{
    char *mem = NULL;
    size_t memlen = 0;
    FILE *f = open_memstream(&mem, &memlen);
    assert_non_null(f);
    struct rp_query_printer *p = NULL;
    assert_int_equal(rp_query_printer_new(fmt, f, &p), RP_OK);
    struct rp_query_sink s = rp_query_printer_sink(p);
    for (size_t i = 0; i < n; i++) feed(&s, &st[i]);
    rp_query_printer_free(p);
    fclose(f);
    return mem;
}

static void expect(enum rp_query_format fmt, const struct tstmt *st, size_t n, const char *want)
{
    char *got = print(fmt, st, n);
    assert_string_equal(got, want);
    free(got);
}

/* The main sample: numbers, a NULL row, quote + comma + newline, non-ASCII. */
static const struct trow sample_rows[] = {
    {{RP_QV_INT, RP_QV_TEXT, RP_QV_REAL}, {"1", "alice", "1.5"}, {0}},
    {{RP_QV_INT, RP_QV_TEXT, RP_QV_REAL}, {"2", NULL, NULL}, {0}},
    {{RP_QV_INT, RP_QV_TEXT, RP_QV_REAL}, {"10", "b\"q,x\ny", "-0.25"}, {0}},
    {{RP_QV_INT, RP_QV_TEXT, RP_QV_REAL}, {"3", "h\xc3\xa9llo", "100.0"}, {0}},
};
static const struct tstmt sample = {
    3, {"id", "name", "score"}, {"bigint", "varchar", "double"}, 4, sample_rows};

static const struct trow one_rows[] = {{{RP_QV_INT}, {"1"}, {0}}};
static const struct tstmt one = {1, {"n"}, {"bigint"}, 1, one_rows};

static const struct tstmt empty = {2, {"a", "b"}, {"varchar", "varchar"}, 0, NULL};

static void test_output_table_sample(void **state)
{
    (void)state;
    expect(RP_QFMT_TABLE, &sample, 1,
           "id | name     | score\n"
           "---+----------+------\n"
           " 1 | alice    |   1.5\n"
           " 2 |          |\n"
           "10 | b\"q,x\\ny | -0.25\n"
           " 3 | h\xc3\xa9llo    | 100.0\n"
           "(4 rows)\n");
}

static void test_output_table_two_statements(void **state)
{
    (void)state;
    const struct tstmt two[] = {one, empty};
    expect(RP_QFMT_TABLE, two, 2,
           "n\n"
           "-\n"
           "1\n"
           "(1 row)\n"
           "\n"
           "a | b\n"
           "--+--\n"
           "(0 rows)\n");
}

static void test_output_table_escapes_and_widths(void **state)
{
    (void)state;
    /* tab, CR, a C0 control, DEL, a C1 control (U+0085), an invalid byte, CJK (one column per
     * code point), an empty string (shown like NULL) */
    static const struct trow rows[] = {
        {{RP_QV_TEXT, RP_QV_INT}, {"a\tb\rc", "7"}, {0}},
        {{RP_QV_TEXT, RP_QV_INT}, {"\x01\x7f", "-12"}, {0}},
        {{RP_QV_TEXT, RP_QV_INT}, {"x\xc2\x85y\xffz", "0"}, {0}},
        {{RP_QV_TEXT, RP_QV_TEXT}, {"\xe6\x97\xa5\xe6\x9c\xac", "text"}, {0}},
        {{RP_QV_TEXT, RP_QV_INT}, {"", NULL}, {0}},
    };
    static const struct tstmt st = {2, {"s", "n"}, {"varchar", "bigint"}, 5, rows};
    expect(RP_QFMT_TABLE, &st, 1,
           "s          |    n\n"
           "-----------+-----\n"
           "a\\tb\\rc    |    7\n"
           "\\x01\\x7f   |  -12\n"
           "x\\u0085y\xef\xbf\xbdz |    0\n"
           "\xe6\x97\xa5\xe6\x9c\xac         | text\n"
           "           |\n"
           "(5 rows)\n");
}

static void test_output_table_blob_and_nul(void **state)
{
    (void)state;
    static const struct trow rows[] = {
        {{RP_QV_BLOB, RP_QV_TEXT}, {"\xde\xad\x00", "a\0b"}, {3, 3}},
    };
    static const struct tstmt st = {2, {"b", "t"}, {"varbinary", "varchar"}, 1, rows};
    expect(RP_QFMT_TABLE, &st, 1,
           "b        | t\n"
           "---------+-------\n"
           "de ad 00 | a\\x00b\n"
           "(1 row)\n");
}

/* Widths come from the first 1,000 rows; a longer value later widens only its own line. */
static void test_output_table_streams_after_1000_rows(void **state)
{
    (void)state;
    static struct trow rows[1002];
    for (size_t i = 0; i < 1002; i++) {
        rows[i].t[0] = RP_QV_TEXT;
        rows[i].t[1] = RP_QV_INT;
        rows[i].v[0] = "x";
        rows[i].v[1] = "5";
    }
    rows[999].v[0] = "wide";
    rows[1000].v[0] = "wider!";
    const struct tstmt st = {2, {"v", "n"}, {"varchar", "bigint"}, 1002, rows};
    char *got = print(RP_QFMT_TABLE, &st, 1);
    const char *head = "v    | n\n-----+--\nx    | 5\n";
    assert_memory_equal(got, head, strlen(head));
    const char *tail = "wide | 5\n"
                       "wider! | 5\n"
                       "x    | 5\n"
                       "(1002 rows)\n";
    size_t n = strlen(got), tn = strlen(tail);
    assert_true(n > tn);
    assert_string_equal(got + n - tn, tail);
    assert_int_equal(n, 9 + 9 + 1000 * 9 + 11 + 9 + 12);
    free(got);
}

static void test_output_csv(void **state)
{
    (void)state;
    expect(RP_QFMT_CSV, &sample, 1,
           "id,name,score\n"
           "1,alice,1.5\n"
           "2,,\n"
           "10,\"b\"\"q,x\ny\",-0.25\n"
           "3,h\xc3\xa9llo,100.0\n");
    const struct tstmt two[] = {one, empty};
    expect(RP_QFMT_CSV, two, 2, "n\n1\na,b\n");
    static const struct trow rows[] = {{{RP_QV_BLOB, RP_QV_TEXT}, {"\x01\xff", "a\rb"}, {2, 0}}};
    static const struct tstmt st = {2, {"x,y", "q\""}, {"varbinary", "varchar"}, 1, rows};
    expect(RP_QFMT_CSV, &st, 1, "\"x,y\",\"q\"\"\"\n01 ff,\"a\rb\"\n");
}

static void test_output_json(void **state)
{
    (void)state;
    expect(RP_QFMT_JSON, &sample, 1,
           "[\n"
           "  {\"id\":1,\"name\":\"alice\",\"score\":1.5},\n"
           "  {\"id\":2,\"name\":null,\"score\":null},\n"
           "  {\"id\":10,\"name\":\"b\\\"q,x\\ny\",\"score\":-0.25},\n"
           "  {\"id\":3,\"name\":\"h\xc3\xa9llo\",\"score\":100.0}\n"
           "]\n");
    const struct tstmt two[] = {one, empty};
    expect(RP_QFMT_JSON, two, 2, "[\n  {\"n\":1}\n]\n[]\n");
}

static void test_output_jsonl(void **state)
{
    (void)state;
    expect(RP_QFMT_JSONL, &sample, 1,
           "{\"id\":1,\"name\":\"alice\",\"score\":1.5}\n"
           "{\"id\":2,\"name\":null,\"score\":null}\n"
           "{\"id\":10,\"name\":\"b\\\"q,x\\ny\",\"score\":-0.25}\n"
           "{\"id\":3,\"name\":\"h\xc3\xa9llo\",\"score\":100.0}\n");
    const struct tstmt two[] = {one, empty};
    expect(RP_QFMT_JSONL, two, 2, "{\"n\":1}\n");
}

/* Control characters as escapes, invalid UTF-8 as U+FFFD, BLOB as base64, Inf as null, a
 * number-typed value that is not a number as a string. */
static void test_output_json_escaping(void **state)
{
    (void)state;
    static const struct trow rows[] = {
        {{RP_QV_TEXT, RP_QV_BLOB, RP_QV_REAL, RP_QV_INT},
         {"\x01\x1f\t\\/\x7f\xff\xc3", "\x00\x01\xfe", "Inf", "12x"},
         {0, 3, 0, 0}},
        {{RP_QV_TEXT, RP_QV_BLOB, RP_QV_REAL, RP_QV_INT},
         {"\xf0\x9f\x98\x80", "ab", "-Inf", "9223372036854775807"},
         {0, 2, 0, 0}},
    };
    static const struct tstmt st = {
        4, {"t\n", "b", "r", "i"}, {"varchar", "varbinary", "double", "bigint"}, 2, rows};
    expect(RP_QFMT_JSONL, &st, 1,
           "{\"t\\n\":\"\\u0001\\u001f\\t\\\\/\x7f\xef\xbf\xbd\xef\xbf\xbd\",\"b\":\"AAH+\","
           "\"r\":null,\"i\":\"12x\"}\n"
           "{\"t\\n\":\"\xf0\x9f\x98\x80\",\"b\":\"YWI=\",\"r\":null,"
           "\"i\":9223372036854775807}\n");
}

static const char aws_col_id[] = "                {\n"
                                 "                    \"CatalogName\": \"rampart\",\n"
                                 "                    \"SchemaName\": \"\",\n"
                                 "                    \"TableName\": \"\",\n"
                                 "                    \"Name\": \"id\",\n"
                                 "                    \"Label\": \"id\",\n"
                                 "                    \"Type\": \"bigint\",\n"
                                 "                    \"Precision\": 0,\n"
                                 "                    \"Scale\": 0,\n"
                                 "                    \"Nullable\": \"UNKNOWN\",\n"
                                 "                    \"CaseSensitive\": false\n"
                                 "                }";

static void test_output_aws(void **state)
{
    (void)state;
    static const struct trow rows[] = {
        {{RP_QV_INT, RP_QV_TEXT}, {"1", "a\"\n"}, {0}},
        {{RP_QV_INT, RP_QV_TEXT}, {"2", NULL}, {0}},
    };
    static const struct tstmt st = {2, {"id", "name"}, {"bigint", "varchar"}, 2, rows};
    char want[4096];
    snprintf(want, sizeof want,
             "{\n"
             "    \"ResultSet\": {\n"
             "        \"Rows\": [\n"
             "            {\n"
             "                \"Data\": [\n"
             "                    {\n"
             "                        \"VarCharValue\": \"id\"\n"
             "                    },\n"
             "                    {\n"
             "                        \"VarCharValue\": \"name\"\n"
             "                    }\n"
             "                ]\n"
             "            },\n"
             "            {\n"
             "                \"Data\": [\n"
             "                    {\n"
             "                        \"VarCharValue\": \"1\"\n"
             "                    },\n"
             "                    {\n"
             "                        \"VarCharValue\": \"a\\\"\\n\"\n"
             "                    }\n"
             "                ]\n"
             "            },\n"
             "            {\n"
             "                \"Data\": [\n"
             "                    {\n"
             "                        \"VarCharValue\": \"2\"\n"
             "                    },\n"
             "                    {}\n"
             "                ]\n"
             "            }\n"
             "        ],\n"
             "        \"ResultSetMetadata\": {\n"
             "            \"ColumnInfo\": [\n"
             "%s,\n"
             "                {\n"
             "                    \"CatalogName\": \"rampart\",\n"
             "                    \"SchemaName\": \"\",\n"
             "                    \"TableName\": \"\",\n"
             "                    \"Name\": \"name\",\n"
             "                    \"Label\": \"name\",\n"
             "                    \"Type\": \"varchar\",\n"
             "                    \"Precision\": 0,\n"
             "                    \"Scale\": 0,\n"
             "                    \"Nullable\": \"UNKNOWN\",\n"
             "                    \"CaseSensitive\": true\n"
             "                }\n"
             "            ]\n"
             "        }\n"
             "    },\n"
             "    \"UpdateCount\": 0\n"
             "}\n",
             aws_col_id);
    expect(RP_QFMT_AWS, &st, 1, want);
}

static void test_output_aws_empty(void **state)
{
    (void)state;
    static const struct tstmt st = {1, {"id"}, {"bigint"}, 0, NULL};
    char want[2048];
    snprintf(want, sizeof want,
             "{\n"
             "    \"ResultSet\": {\n"
             "        \"Rows\": [\n"
             "            {\n"
             "                \"Data\": [\n"
             "                    {\n"
             "                        \"VarCharValue\": \"id\"\n"
             "                    }\n"
             "                ]\n"
             "            }\n"
             "        ],\n"
             "        \"ResultSetMetadata\": {\n"
             "            \"ColumnInfo\": [\n"
             "%s\n"
             "            ]\n"
             "        }\n"
             "    },\n"
             "    \"UpdateCount\": 0\n"
             "}\n",
             aws_col_id);
    expect(RP_QFMT_AWS, &st, 1, want);
}

static void test_output_format_parse(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        enum rp_query_format f;
    } ok[] = {{"table", RP_QFMT_TABLE},
              {"csv", RP_QFMT_CSV},
              {"json", RP_QFMT_JSON},
              {"jsonl", RP_QFMT_JSONL},
              {"aws", RP_QFMT_AWS}};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        enum rp_query_format f = RP_QFMT_TABLE;
        assert_int_equal(rp_query_format_parse(ok[i].s, &f, NULL), RP_OK);
        assert_int_equal(f, ok[i].f);
    }
    struct rp_errbuf eb = {0};
    enum rp_query_format f = RP_QFMT_TABLE;
    assert_int_equal(rp_query_format_parse("JSON", &f, &eb), RP_EINVAL);
    assert_string_equal(eb.msg,
                        "query: unknown format 'JSON' (expected table, csv, json, jsonl or aws)");
}

/* A full disk is an error of the sink, so the query stops. */
static void test_output_write_error(void **state)
{
    (void)state;
    FILE *f = fopen("/dev/full", "w");
    if (!f) skip();
    struct rp_query_printer *p = NULL;
    assert_int_equal(rp_query_printer_new(RP_QFMT_CSV, f, &p), RP_OK);
    struct rp_query_sink s = rp_query_printer_sink(p);
    struct rp_query_columns cols = {one.ncols, one.names, one.types};
    struct rp_errbuf eb = {0};
    assert_int_equal(s.begin(s.ctx, &cols, &eb), RP_OK); /* still in the stdio buffer */
    assert_int_equal(s.end(s.ctx, &cols, &eb), RP_EIO);
    assert_string_equal(eb.msg, "query: cannot write the output: No space left on device");
    rp_query_printer_free(p);
    fclose(f);
}

static void test_output_printer_free_null(void **state)
{
    (void)state;
    rp_query_printer_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_output_table_sample),
        cmocka_unit_test(test_output_table_two_statements),
        cmocka_unit_test(test_output_table_escapes_and_widths),
        cmocka_unit_test(test_output_table_blob_and_nul),
        cmocka_unit_test(test_output_table_streams_after_1000_rows),
        cmocka_unit_test(test_output_csv),
        cmocka_unit_test(test_output_json),
        cmocka_unit_test(test_output_jsonl),
        cmocka_unit_test(test_output_json_escaping),
        cmocka_unit_test(test_output_aws),
        cmocka_unit_test(test_output_aws_empty),
        cmocka_unit_test(test_output_format_parse),
        cmocka_unit_test(test_output_write_error),
        cmocka_unit_test(test_output_printer_free_null),
    };
    return cmocka_run_group_tests_name("query_output", tests, NULL, NULL);
}
