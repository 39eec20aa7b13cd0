/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for the results directory of `rampart query` (src/query/query_results.c): query
 * ids, the exact CSV (Athena's quoting) and metadata JSON of a query, reading a result back
 * with the same rows and types, only the last statement kept, failed and cancelled queries,
 * partial files removed, history order and limit, corrupt metadata skipped with its warning,
 * get-execution's exact output, unknown ids and broken CSV files. Every test works in its own
 * scratch directory under /tmp. */
#include <dirent.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/rp_buf.h"
#include "query/query.h"
#include "tools/rp_test_tmpdir.h"

static char tmp[256];  /* the scratch directory of the running test */
static char real[512]; /* its realpath */

static int setup(void **state)
{
    (void)state;
    if (rp_test_tmpdir_make(tmp, sizeof tmp, "rp-qres-") != 0) return -1;
    return realpath(tmp, real) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    return rp_test_tmpdir_remove(tmp);
}

/* ---- helpers ------------------------------------------------------------------------------ */

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    struct rp_buf b;
    rp_buf_init(&b, 0);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        assert_int_equal(rp_buf_append(&b, chunk, n), RP_OK);
    fclose(f);
    char *s = rp_buf_take(&b, NULL);
    return s ? s : strdup("");
}

static void spit(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* The names in dir, sorted, each followed by '\n'. */
static char *listing(const char *dir)
{
    struct dirent **ents = NULL;
    int n = scandir(dir, &ents, NULL, alphasort);
    assert_true(n >= 0);
    struct rp_buf b;
    rp_buf_init(&b, 0);
    assert_int_equal(rp_buf_append_str(&b, ""), RP_OK);
    for (int i = 0; i < n; i++) {
        if (strcmp(ents[i]->d_name, ".") && strcmp(ents[i]->d_name, ".."))
            assert_int_equal(rp_buf_printf(&b, "%s\n", ents[i]->d_name), RP_OK);
        free(ents[i]);
    }
    free(ents);
    char *s = rp_buf_take(&b, NULL);
    return s ? s : strdup("");
}

/* A sink that writes what it receives as text: "cols n:bigint ..", one "row" line per row with
 * TYPE:value (BLOB in hex, text with \n escaped), "end". */
static const char *const tname[] = {"NULL", "INT", "REAL", "TEXT", "BLOB"};

static rp_err dump_begin(void *ctx, const struct rp_query_columns *c, struct rp_errbuf *eb)
{
    (void)eb;
    struct rp_buf *b = ctx;
    rp_err e = rp_buf_append_str(b, "cols");
    for (size_t i = 0; !e && i < c->ncols; i++)
        e = rp_buf_printf(b, " %s:%s", c->names[i], c->types[i]);
    return e ? e : rp_buf_putc(b, '\n');
}

static rp_err dump_row(void *ctx, const struct rp_query_row *r, struct rp_errbuf *eb)
{
    (void)eb;
    struct rp_buf *b = ctx;
    rp_err e = rp_buf_append_str(b, "row");
    for (size_t i = 0; !e && i < r->ncols; i++) {
        e = rp_buf_printf(b, " %s:", tname[r->types[i]]);
        for (size_t k = 0; !e && r->vals[i] && k < r->lens[i]; k++) {
            unsigned char c = (unsigned char)r->vals[i][k];
            if (r->types[i] == RP_QV_BLOB)
                e = rp_buf_printf(b, "%02x", c);
            else if (c == '\n')
                e = rp_buf_append_str(b, "\\n");
            else
                e = rp_buf_putc(b, (char)c);
        }
    }
    return e ? e : rp_buf_putc(b, '\n');
}

static rp_err dump_end(void *ctx, const struct rp_query_columns *c, struct rp_errbuf *eb)
{
    (void)c;
    (void)eb;
    return rp_buf_append_str(ctx, "end\n");
}

#define NC 5
struct trow {
    enum rp_query_vtype t[NC];
    const char *v[NC];
    size_t len[NC];
};

static const char *const col_names[NC] = {"n", "r", "s", "b", "e"};
static const char *const col_types[NC] = {"bigint", "double", "varchar", "varbinary", "varchar"};
static const struct rp_query_columns cols5 = {NC, col_names, col_types};

static const struct trow rows5[] = {
    {{RP_QV_INT, RP_QV_REAL, RP_QV_TEXT, RP_QV_BLOB, RP_QV_TEXT},
     {"1", "1.5", "plain", "\x00\xff", ""},
     {1, 3, 5, 2, 0}},
    {{RP_QV_NULL, RP_QV_NULL, RP_QV_NULL, RP_QV_NULL, RP_QV_NULL}, {0}, {0}},
    {{RP_QV_INT, RP_QV_REAL, RP_QV_TEXT, RP_QV_BLOB, RP_QV_TEXT},
     {"-7", "-0.25", "q\"uote, comma\nnewline", "ab", "x"},
     {2, 5, 21, 2, 1}},
    {{RP_QV_INT, RP_QV_REAL, RP_QV_TEXT, RP_QV_BLOB, RP_QV_TEXT},
     {"42", "1.0e+300", "h\xc3\xa9llo", "", "12"},
     {2, 8, 6, 0, 2}},
};
#define NROWS5 (sizeof rows5 / sizeof rows5[0])

static void feed(const struct rp_query_sink *s, const struct rp_query_columns *c,
                 const struct trow *rows, size_t n)
{
    struct rp_errbuf eb = {0};
    if (s->begin) assert_int_equal(s->begin(s->ctx, c, &eb), RP_OK);
    for (size_t r = 0; r < n; r++) {
        struct rp_query_row row = {c->ncols, rows[r].t, rows[r].v, rows[r].len};
        assert_int_equal(s->row(s->ctx, &row, &eb), RP_OK);
    }
    if (s->end) assert_int_equal(s->end(s->ctx, c, &eb), RP_OK);
}

static struct rp_query_execution exec_of(const char *id, const char *state, const char *reason,
                                         int64_t submitted_ms)
{
    struct rp_query_execution x;
    memset(&x, 0, sizeof x);
    snprintf(x.id, sizeof x.id, "%s", id);
    x.query = "SELECT * FROM t";
    x.state = state;
    x.reason = reason;
    x.submitted_ms = submitted_ms;
    x.completed_ms = submitted_ms + 2500;
    x.engine_ms = 2400;
    x.bytes_scanned = 12345;
    x.rows = 4;
    x.files_opened = 3;
    x.files_pruned = 2;
    x.records_rejected = 1;
    x.database = "/var/lib/rampart.db";
    return x;
}

#define ID1 "6f1c2a1e-0000-4000-8000-000000000001"
#define ID2 "6f1c2a1e-0000-4000-8000-000000000002"
#define ID3 "6f1c2a1e-0000-4000-8000-000000000003"
#define ID4 "6f1c2a1e-0000-4000-8000-000000000004"
#define T0  1700000000123LL /* 2023-11-14T22:13:20.123Z */

static const char col_info_5[] = "        \"ColumnInfo\": [\n"
                                 "            {\n"
                                 "                \"CatalogName\": \"rampart\",\n"
                                 "                \"SchemaName\": \"\",\n"
                                 "                \"TableName\": \"\",\n"
                                 "                \"Name\": \"n\",\n"
                                 "                \"Label\": \"n\",\n"
                                 "                \"Type\": \"bigint\",\n"
                                 "                \"Precision\": 0,\n"
                                 "                \"Scale\": 0,\n"
                                 "                \"Nullable\": \"UNKNOWN\",\n"
                                 "                \"CaseSensitive\": false\n"
                                 "            },\n"
                                 "            {\n"
                                 "                \"CatalogName\": \"rampart\",\n"
                                 "                \"SchemaName\": \"\",\n"
                                 "                \"TableName\": \"\",\n"
                                 "                \"Name\": \"r\",\n"
                                 "                \"Label\": \"r\",\n"
                                 "                \"Type\": \"double\",\n"
                                 "                \"Precision\": 0,\n"
                                 "                \"Scale\": 0,\n"
                                 "                \"Nullable\": \"UNKNOWN\",\n"
                                 "                \"CaseSensitive\": false\n"
                                 "            },\n"
                                 "            {\n"
                                 "                \"CatalogName\": \"rampart\",\n"
                                 "                \"SchemaName\": \"\",\n"
                                 "                \"TableName\": \"\",\n"
                                 "                \"Name\": \"s\",\n"
                                 "                \"Label\": \"s\",\n"
                                 "                \"Type\": \"varchar\",\n"
                                 "                \"Precision\": 0,\n"
                                 "                \"Scale\": 0,\n"
                                 "                \"Nullable\": \"UNKNOWN\",\n"
                                 "                \"CaseSensitive\": true\n"
                                 "            },\n"
                                 "            {\n"
                                 "                \"CatalogName\": \"rampart\",\n"
                                 "                \"SchemaName\": \"\",\n"
                                 "                \"TableName\": \"\",\n"
                                 "                \"Name\": \"b\",\n"
                                 "                \"Label\": \"b\",\n"
                                 "                \"Type\": \"varbinary\",\n"
                                 "                \"Precision\": 0,\n"
                                 "                \"Scale\": 0,\n"
                                 "                \"Nullable\": \"UNKNOWN\",\n"
                                 "                \"CaseSensitive\": false\n"
                                 "            },\n"
                                 "            {\n"
                                 "                \"CatalogName\": \"rampart\",\n"
                                 "                \"SchemaName\": \"\",\n"
                                 "                \"TableName\": \"\",\n"
                                 "                \"Name\": \"e\",\n"
                                 "                \"Label\": \"e\",\n"
                                 "                \"Type\": \"varchar\",\n"
                                 "                \"Precision\": 0,\n"
                                 "                \"Scale\": 0,\n"
                                 "                \"Nullable\": \"UNKNOWN\",\n"
                                 "                \"CaseSensitive\": true\n"
                                 "            }\n"
                                 "        ]\n";

/* ---- tests -------------------------------------------------------------------------------- */

static void test_results_id_new(void **state)
{
    (void)state;
    char a[37], b[37];
    assert_int_equal(rp_query_id_new(a), RP_OK);
    assert_int_equal(rp_query_id_new(b), RP_OK);
    assert_int_equal(strlen(a), 36);
    assert_string_not_equal(a, b);
    for (size_t i = 0; i < 36; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23)
            assert_int_equal(a[i], '-');
        else
            assert_non_null(strchr("0123456789abcdef", a[i]));
    }
    assert_int_equal(a[14], '4');           /* version 4 */
    assert_non_null(strchr("89ab", a[19])); /* RFC 4122 variant */
}

/* Rows in, exact CSV and metadata out, the same rows and types back. */
static void test_results_round_trip(void **state)
{
    (void)state;
    char dir[512], path[700];
    snprintf(dir, sizeof dir, "%s/a/b", tmp);
    struct rp_query_results *r = NULL;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_query_results_new(dir, ID1, &r, &eb), RP_OK);
    struct stat st;
    assert_int_equal(stat(dir, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);

    struct rp_query_sink s = rp_query_results_sink(r);
    feed(&s, &cols5, rows5, NROWS5);
    struct rp_query_execution x = exec_of(ID1, "SUCCEEDED", NULL, T0);
    x.output = "/ignored.csv";
    assert_int_equal(rp_query_results_finish(r, &x, &eb), RP_OK);

    char *ls = listing(dir);
    assert_string_equal(ls, ID1 ".csv\n" ID1 ".csv.metadata.json\n");
    free(ls);

    snprintf(path, sizeof path, "%s/%s.csv", dir, ID1);
    char *csv = slurp(path);
    assert_string_equal(csv, "\"n\",\"r\",\"s\",\"b\",\"e\"\n"
                             "\"1\",\"1.5\",\"plain\",\"00 ff\",\"\"\n"
                             ",,,,\n"
                             "\"-7\",\"-0.25\",\"q\"\"uote, comma\nnewline\",\"61 62\",\"x\"\n"
                             "\"42\",\"1.0e+300\",\"h\xc3\xa9llo\",\"\",\"12\"\n");
    free(csv);

    char want[8192];
    snprintf(want, sizeof want,
             "{\n"
             "    \"QueryExecution\": {\n"
             "        \"QueryExecutionId\": \"" ID1 "\",\n"
             "        \"Query\": \"SELECT * FROM t\",\n"
             "        \"StatementType\": \"DML\",\n"
             "        \"ResultConfiguration\": {\n"
             "            \"OutputLocation\": \"%s/a/b/" ID1 ".csv\"\n"
             "        },\n"
             "        \"QueryExecutionContext\": {\n"
             "            \"Database\": \"/var/lib/rampart.db\"\n"
             "        },\n"
             "        \"Status\": {\n"
             "            \"State\": \"SUCCEEDED\",\n"
             "            \"SubmissionDateTime\": \"2023-11-14T22:13:20.123Z\",\n"
             "            \"CompletionDateTime\": \"2023-11-14T22:13:22.623Z\"\n"
             "        },\n"
             "        \"Statistics\": {\n"
             "            \"EngineExecutionTimeInMillis\": 2400,\n"
             "            \"DataScannedInBytes\": 12345,\n"
             "            \"TotalExecutionTimeInMillis\": 2500,\n"
             "            \"Rows\": 4,\n"
             "            \"FilesOpened\": 3,\n"
             "            \"FilesPruned\": 2,\n"
             "            \"DirectoriesPruned\": 0,\n"
             "            \"RecordsRejected\": 1\n"
             "        },\n"
             "        \"WorkGroup\": \"primary\"\n"
             "    },\n"
             "    \"ResultSetMetadata\": {\n"
             "%s"
             "    }\n"
             "}\n",
             real, col_info_5);
    snprintf(path, sizeof path, "%s/%s.csv.metadata.json", dir, ID1);
    char *meta = slurp(path);
    assert_string_equal(meta, want);
    free(meta);

    /* read back: what went in comes out, with the same types */
    struct rp_buf in, out;
    rp_buf_init(&in, 0);
    rp_buf_init(&out, 0);
    struct rp_query_sink din = {dump_begin, dump_row, dump_end, &in};
    struct rp_query_sink dout = {dump_begin, dump_row, dump_end, &out};
    feed(&din, &cols5, rows5, NROWS5);
    assert_int_equal(rp_query_results_read(dir, ID1, &dout, &eb), RP_OK);
    assert_string_equal(rp_buf_cstr(&out), rp_buf_cstr(&in));
    assert_string_equal(rp_buf_cstr(&out),
                        "cols n:bigint r:double s:varchar b:varbinary e:varchar\n"
                        "row INT:1 REAL:1.5 TEXT:plain BLOB:00ff TEXT:\n"
                        "row NULL: NULL: NULL: NULL: NULL:\n"
                        "row INT:-7 REAL:-0.25 TEXT:q\"uote, comma\\nnewline BLOB:6162 TEXT:x\n"
                        "row INT:42 REAL:1.0e+300 TEXT:h\xc3\xa9llo BLOB: TEXT:12\n"
                        "end\n");
    rp_buf_release(&in);
    rp_buf_release(&out);
}

/* A value that does not read as its column's type comes back as TEXT; CRLF line ends read. */
static void test_results_read_mixed_types_and_crlf(void **state)
{
    (void)state;
    struct rp_query_results *r = NULL;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_query_results_new(tmp, ID1, &r, &eb), RP_OK);
    struct rp_query_sink s = rp_query_results_sink(r);
    static const char *const names[] = {"i", "d", "b"};
    static const char *const types[] = {"bigint", "double", "varbinary"};
    static const struct rp_query_columns c = {3, names, types};
    static const struct trow rows[] = {
        {{RP_QV_TEXT, RP_QV_TEXT, RP_QV_TEXT}, {"abc", "1.5x", "zz"}, {3, 4, 2}},
        {{RP_QV_INT, RP_QV_REAL, RP_QV_REAL}, {"9223372036854775807", "-Inf", "1"}, {19, 4, 1}},
    };
    feed(&s, &c, rows, 2);
    struct rp_query_execution x = exec_of(ID1, "SUCCEEDED", NULL, T0);
    assert_int_equal(rp_query_results_finish(r, &x, &eb), RP_OK);
    char path[600];
    snprintf(path, sizeof path, "%s/%s.csv", tmp, ID1);
    spit(path, "\"i\",\"d\",\"b\"\r\n\"abc\",\"1.5x\",\"zz\"\r\n\"9223372036854775807\",\"-Inf\","
               "\"1\"\r\n");
    struct rp_buf out;
    rp_buf_init(&out, 0);
    struct rp_query_sink d = {dump_begin, dump_row, dump_end, &out};
    assert_int_equal(rp_query_results_read(tmp, ID1, &d, &eb), RP_OK);
    assert_string_equal(rp_buf_cstr(&out), "cols i:bigint d:double b:varbinary\n"
                                           "row TEXT:abc TEXT:1.5x TEXT:zz\n"
                                           "row INT:9223372036854775807 REAL:-Inf TEXT:1\n"
                                           "end\n");
    rp_buf_release(&out);
}

/* Only the last statement that returned columns is kept. */
static void test_results_last_statement_kept(void **state)
{
    (void)state;
    struct rp_query_results *r = NULL;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_query_results_new(tmp, ID2, &r, &eb), RP_OK);
    struct rp_query_sink s = rp_query_results_sink(r);
    feed(&s, &cols5, rows5, NROWS5);
    static const char *const names[] = {"only"};
    static const char *const types[] = {"varchar"};
    static const struct rp_query_columns c1 = {1, names, types};
    static const struct trow rows[] = {{{RP_QV_TEXT}, {"v"}, {1}}, {{RP_QV_NULL}, {0}, {0}}};
    feed(&s, &c1, rows, 2);
    struct rp_query_execution x = exec_of(ID2, "SUCCEEDED", NULL, T0);
    assert_int_equal(rp_query_results_finish(r, &x, &eb), RP_OK);
    char path[600];
    snprintf(path, sizeof path, "%s/%s.csv", tmp, ID2);
    char *csv = slurp(path);
    assert_string_equal(csv, "\"only\"\n\"v\"\n\n");
    free(csv);
    struct rp_buf out;
    rp_buf_init(&out, 0);
    struct rp_query_sink d = {dump_begin, dump_row, dump_end, &out};
    assert_int_equal(rp_query_results_read(tmp, ID2, &d, &eb), RP_OK);
    assert_string_equal(rp_buf_cstr(&out), "cols only:varchar\nrow TEXT:v\nrow NULL:\nend\n");
    rp_buf_release(&out);
    /* Statistics.Rows counts the kept rows (x.rows said 4, the session's count of both) */
    struct rp_query_history h = {0};
    assert_int_equal(rp_query_history_load(tmp, 0, &h, &eb), RP_OK);
    assert_int_equal(h.n, 1);
    assert_int_equal(h.items[0].rows, 2);
    rp_query_history_free(&h);
}

/* A query that fails after rows were written keeps no CSV; its metadata says why. */
static void test_results_failed_after_rows(void **state)
{
    (void)state;
    struct rp_query_results *r = NULL;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_query_results_new(tmp, ID3, &r, &eb), RP_OK);
    struct rp_query_sink s = rp_query_results_sink(r);
    feed(&s, &cols5, rows5, 2);
    struct rp_query_execution x =
        exec_of(ID3, "FAILED", "query: stopped after the 30 s timeout", T0);
    x.database = NULL;
    assert_int_equal(rp_query_results_finish(r, &x, &eb), RP_OK);
    char *ls = listing(tmp);
    assert_string_equal(ls, ID3 ".csv.metadata.json\n");
    free(ls);
    char path[600];
    snprintf(path, sizeof path, "%s/%s.csv.metadata.json", tmp, ID3);
    char *meta = slurp(path);
    assert_string_equal(meta, "{\n"
                              "    \"QueryExecution\": {\n"
                              "        \"QueryExecutionId\": \"" ID3 "\",\n"
                              "        \"Query\": \"SELECT * FROM t\",\n"
                              "        \"StatementType\": \"DML\",\n"
                              "        \"ResultConfiguration\": {},\n"
                              "        \"QueryExecutionContext\": {},\n"
                              "        \"Status\": {\n"
                              "            \"State\": \"FAILED\",\n"
                              "            \"StateChangeReason\": \"query: stopped after the 30 s "
                              "timeout\",\n"
                              "            \"SubmissionDateTime\": \"2023-11-14T22:13:20.123Z\",\n"
                              "            \"CompletionDateTime\": \"2023-11-14T22:13:22.623Z\"\n"
                              "        },\n"
                              "        \"Statistics\": {\n"
                              "            \"EngineExecutionTimeInMillis\": 2400,\n"
                              "            \"DataScannedInBytes\": 12345,\n"
                              "            \"TotalExecutionTimeInMillis\": 2500,\n"
                              "            \"Rows\": 4,\n"
                              "            \"FilesOpened\": 3,\n"
                              "            \"FilesPruned\": 2,\n"
                              "            \"DirectoriesPruned\": 0,\n"
                              "            \"RecordsRejected\": 1\n"
                              "        },\n"
                              "        \"WorkGroup\": \"primary\"\n"
                              "    },\n"
                              "    \"ResultSetMetadata\": {\n"
                              "        \"ColumnInfo\": []\n"
                              "    }\n"
                              "}\n");
    free(meta);
    struct rp_buf out;
    rp_buf_init(&out, 0);
    struct rp_query_sink d = {dump_begin, dump_row, dump_end, &out};
    assert_int_equal(rp_query_results_read(tmp, ID3, &d, &eb), RP_ENOENT);
    assert_string_equal(eb.msg, "query: '" ID3 "' FAILED: query: stopped after the 30 s timeout");
    assert_string_equal(rp_buf_cstr(&out), "");
    rp_buf_release(&out);
}

/* A query that failed before any result: metadata only; get-execution prints its object. */
static void test_results_write_failed_and_get_execution(void **state)
{
    (void)state;
    struct rp_query_execution x =
        exec_of(ID4, "FAILED", "query: line 1, column 8: near \"FRM\": syntax error", T0);
    x.query = "SELECT FRM t\n";
    x.rows = 0;
    x.engine_ms = 0;
    x.bytes_scanned = 0;
    x.files_opened = x.files_pruned = x.records_rejected = 0;
    x.completed_ms = T0 + 1;
    char dir[600];
    snprintf(dir, sizeof dir, "%s/new", tmp);
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_query_results_write_failed(dir, &x, &eb), RP_OK);
    char *ls = listing(dir);
    assert_string_equal(ls, ID4 ".csv.metadata.json\n");
    free(ls);

    char *mem = NULL;
    size_t memlen = 0;
    FILE *f = open_memstream(&mem, &memlen);
    assert_non_null(f);
    assert_int_equal(rp_query_execution_print(dir, ID4, f, &eb), RP_OK);
    fclose(f);
    assert_string_equal(mem, "{\n"
                             "    \"QueryExecution\": {\n"
                             "        \"QueryExecutionId\": \"" ID4 "\",\n"
                             "        \"Query\": \"SELECT FRM t\\n\",\n"
                             "        \"StatementType\": \"DML\",\n"
                             "        \"ResultConfiguration\": {},\n"
                             "        \"QueryExecutionContext\": {\n"
                             "            \"Database\": \"/var/lib/rampart.db\"\n"
                             "        },\n"
                             "        \"Status\": {\n"
                             "            \"State\": \"FAILED\",\n"
                             "            \"StateChangeReason\": \"query: line 1, column 8: near "
                             "\\\"FRM\\\": syntax error\",\n"
                             "            \"SubmissionDateTime\": \"2023-11-14T22:13:20.123Z\",\n"
                             "            \"CompletionDateTime\": \"2023-11-14T22:13:20.124Z\"\n"
                             "        },\n"
                             "        \"Statistics\": {\n"
                             "            \"EngineExecutionTimeInMillis\": 0,\n"
                             "            \"DataScannedInBytes\": 0,\n"
                             "            \"TotalExecutionTimeInMillis\": 1,\n"
                             "            \"Rows\": 0,\n"
                             "            \"FilesOpened\": 0,\n"
                             "            \"FilesPruned\": 0,\n"
                             "            \"DirectoriesPruned\": 0,\n"
                             "            \"RecordsRejected\": 0\n"
                             "        },\n"
                             "        \"WorkGroup\": \"primary\"\n"
                             "    }\n"
                             "}\n");
    free(mem);

    struct rp_query_sink none = {0};
    assert_int_equal(rp_query_results_read(dir, ID4, &none, &eb), RP_ENOENT);
    assert_string_equal(eb.msg, "query: '" ID4 "' FAILED: query: line 1, column 8: near "
                                "\"FRM\": syntax error");
}

static void test_results_unknown_id(void **state)
{
    (void)state;
    struct rp_errbuf eb = {0};
    char want[600];
    FILE *f = fopen("/dev/null", "w");
    assert_non_null(f);
    static const char *const ids[] = {ID1, "../etc/passwd", ""};
    for (size_t i = 0; i < 3; i++) {
        snprintf(want, sizeof want, "query: no query '%s' in '%s'", ids[i], tmp);
        assert_int_equal(rp_query_execution_print(tmp, ids[i], f, &eb), RP_ENOENT);
        assert_string_equal(eb.msg, want);
        struct rp_query_sink none = {0};
        assert_int_equal(rp_query_results_read(tmp, ids[i], &none, &eb), RP_ENOENT);
        assert_string_equal(eb.msg, want);
    }
    fclose(f);
    struct rp_query_results *r = NULL;
    assert_int_equal(rp_query_results_new(tmp, "a/b", &r, &eb), RP_EINVAL);
    assert_string_equal(eb.msg, "query: bad query id 'a/b'");
    assert_null(r);
}

/* A query whose statements returned no columns succeeded without a result. */
static void test_results_no_result(void **state)
{
    (void)state;
    struct rp_query_results *r = NULL;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_query_results_new(tmp, ID1, &r, &eb), RP_OK);
    struct rp_query_execution x = exec_of(ID1, "SUCCEEDED", NULL, T0);
    assert_int_equal(rp_query_results_finish(r, &x, &eb), RP_OK);
    char *ls = listing(tmp);
    assert_string_equal(ls, ID1 ".csv.metadata.json\n");
    free(ls);
    struct rp_query_sink none = {0};
    assert_int_equal(rp_query_results_read(tmp, ID1, &none, &eb), RP_ENOENT);
    assert_string_equal(eb.msg, "query: '" ID1 "' has no result");
    assert_int_equal(rp_query_results_finish(NULL, &x, &eb), RP_OK);
}

/* Dropping a result half-way leaves nothing behind. */
static void test_results_free_removes_partial(void **state)
{
    (void)state;
    struct rp_query_results *r = NULL;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_query_results_new(tmp, ID1, &r, &eb), RP_OK);
    struct rp_query_sink s = rp_query_results_sink(r);
    feed(&s, &cols5, rows5, NROWS5);
    char *ls = listing(tmp);
    assert_int_equal(strncmp(ls, "." ID1 ".csv.", strlen("." ID1 ".csv.")), 0);
    free(ls);
    rp_query_results_free(r);
    ls = listing(tmp);
    assert_string_equal(ls, "");
    free(ls);
    rp_query_results_free(NULL);
}

/* Capture what fn writes to stderr (fd 2). */
static char *capture_stderr(void (*fn)(void *), void *arg)
{
    char path[600];
    snprintf(path, sizeof path, "%s.stderr", tmp);
    fflush(stderr);
    int saved = dup(2);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(saved >= 0 && fd >= 0);
    dup2(fd, 2);
    close(fd);
    fn(arg);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    char *s = slurp(path);
    unlink(path);
    return s;
}

struct hist_call {
    size_t max;
    struct rp_query_history h;
    rp_err rc;
};

static void call_history(void *arg)
{
    struct hist_call *c = arg;
    c->rc = rp_query_history_load(tmp, c->max, &c->h, NULL);
}

static void test_results_history(void **state)
{
    (void)state;
    struct rp_errbuf eb = {0};
    /* submitted: ID1 oldest, ID3 and ID2 tie, ID4 newest */
    static const struct {
        const char *id;
        int64_t at;
        const char *state;
        const char *reason;
    } q[] = {{ID3, T0 + 1000, "SUCCEEDED", NULL},
             {ID1, T0, "SUCCEEDED", NULL},
             {ID4, T0 + 5000, "CANCELLED", "query: interrupted"},
             {ID2, T0 + 1000, "FAILED", "query: boom"}};
    for (size_t i = 0; i < 4; i++) {
        struct rp_query_execution x = exec_of(q[i].id, q[i].state, q[i].reason, q[i].at);
        x.rows = (int64_t)i;
        assert_int_equal(rp_query_results_write_failed(tmp, &x, &eb), RP_OK);
    }
    /* things history must not list */
    char path[700];
    snprintf(path, sizeof path, "%s/bad.csv.metadata.json", tmp);
    spit(path, "{\"QueryExecution\": {\"QueryExecutionId\": ");
    snprintf(path, sizeof path, "%s/nostate.csv.metadata.json", tmp);
    spit(path, "{\"QueryExecution\": {\"QueryExecutionId\": \"nostate\", \"Query\": \"x\"}}");
    snprintf(path, sizeof path, "%s/.tmp.csv.metadata.json", tmp);
    spit(path, "half");
    snprintf(path, sizeof path, "%s/notes.txt", tmp);
    spit(path, "x");

    struct hist_call c = {0, {0}, RP_OK};
    char *err = capture_stderr(call_history, &c);
    assert_int_equal(c.rc, RP_OK);
    char want[2048];
    snprintf(want, sizeof want,
             "rampart: warning: query: skipping '%s/bad.csv.metadata.json': json: unexpected "
             "end of input at offset 40\n"
             "rampart: warning: query: skipping '%s/nostate.csv.metadata.json': no string "
             "QueryExecution.Status.State\n",
             tmp, tmp);
    /* readdir order is the file system's: compare the sorted lines */
    if (strcmp(err, want) != 0) {
        char alt[2048];
        const char *nl = strchr(want, '\n') + 1;
        snprintf(alt, sizeof alt, "%s%.*s", nl, (int)(nl - want), want);
        assert_string_equal(err, alt);
    }
    free(err);
    assert_int_equal(c.h.n, 4);
    assert_string_equal(c.h.items[0].id, ID4);
    assert_string_equal(c.h.items[0].state, "CANCELLED");
    assert_string_equal(c.h.items[0].reason, "query: interrupted");
    assert_string_equal(c.h.items[1].id, ID2);
    assert_string_equal(c.h.items[1].reason, "query: boom");
    assert_string_equal(c.h.items[2].id, ID3);
    assert_null(c.h.items[2].reason);
    assert_string_equal(c.h.items[3].id, ID1);
    assert_string_equal(c.h.items[3].query, "SELECT * FROM t");
    assert_int_equal(c.h.items[3].submitted_ms, T0);
    assert_int_equal(c.h.items[3].completed_ms, T0 + 2500);
    assert_int_equal(c.h.items[3].engine_ms, 2400);
    assert_int_equal(c.h.items[3].bytes_scanned, 12345);
    assert_int_equal(c.h.items[3].rows, 1);
    assert_int_equal(c.h.items[0].rows, 2);
    rp_query_history_free(&c.h);
    assert_int_equal(c.h.n, 0);

    c.max = 2;
    err = capture_stderr(call_history, &c);
    free(err);
    assert_int_equal(c.rc, RP_OK);
    assert_int_equal(c.h.n, 2);
    assert_string_equal(c.h.items[0].id, ID4);
    assert_string_equal(c.h.items[1].id, ID2);
    rp_query_history_free(&c.h);

    /* a directory that does not exist is an empty history */
    char missing[600];
    snprintf(missing, sizeof missing, "%s/none", tmp);
    struct rp_query_history h = {0};
    assert_int_equal(rp_query_history_load(missing, 0, &h, &eb), RP_OK);
    assert_int_equal(h.n, 0);
    assert_null(h.items);
    rp_query_history_free(&h);
}

/* A damaged CSV is an error naming the file and line, not a crash or a silent short read. */
static void test_results_read_broken_csv(void **state)
{
    (void)state;
    struct rp_query_results *r = NULL;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_query_results_new(tmp, ID1, &r, &eb), RP_OK);
    struct rp_query_sink s = rp_query_results_sink(r);
    feed(&s, &cols5, rows5, 1);
    struct rp_query_execution x = exec_of(ID1, "SUCCEEDED", NULL, T0);
    assert_int_equal(rp_query_results_finish(r, &x, &eb), RP_OK);
    char path[600];
    snprintf(path, sizeof path, "%s/%s.csv", tmp, ID1);
    static const struct {
        const char *csv;
        const char *msg; /* after "query: '<path>' " */
    } cases[] = {
        {"", "line 1: 0 header fields, expected 5"},
        {"\"n\",\"r\"\n", "line 1: 2 header fields, expected 5"},
        {"n,r,s,b,e\n1,2\n", "line 2: 2 fields, expected 5"},
        {"n,r,s,b,e\n\"1\",\"2,3,4,5\n", "line 2: unterminated quoted field"},
        {"n,r,s,b,e\n\"1\"x,2,3,4,5\n", "line 2: unexpected character after a closing quote"},
        {"n,r,s,b,e\n1,2\"3,4,5,6\n", "line 2: quote in an unquoted field"},
        {"n,r,s,b,e\n1,2,3,4,5\rx", "line 2: CR without LF"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        spit(path, cases[i].csv);
        struct rp_query_sink none = {0};
        char want[800];
        snprintf(want, sizeof want, "query: '%s' %s", path, cases[i].msg);
        assert_int_equal(rp_query_results_read(tmp, ID1, &none, &eb), RP_EPARSE);
        assert_string_equal(eb.msg, want);
    }
    unlink(path);
    struct rp_query_sink none = {0};
    assert_int_equal(rp_query_results_read(tmp, ID1, &none, &eb), RP_ENOENT);
    char want[800];
    snprintf(want, sizeof want, "query: cannot read '%s': No such file or directory", path);
    assert_string_equal(eb.msg, want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_results_id_new),
        cmocka_unit_test_setup_teardown(test_results_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_results_read_mixed_types_and_crlf, setup, teardown),
        cmocka_unit_test_setup_teardown(test_results_last_statement_kept, setup, teardown),
        cmocka_unit_test_setup_teardown(test_results_failed_after_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_results_write_failed_and_get_execution, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_results_unknown_id, setup, teardown),
        cmocka_unit_test_setup_teardown(test_results_no_result, setup, teardown),
        cmocka_unit_test_setup_teardown(test_results_free_removes_partial, setup, teardown),
        cmocka_unit_test_setup_teardown(test_results_history, setup, teardown),
        cmocka_unit_test_setup_teardown(test_results_read_broken_csv, setup, teardown),
    };
    return cmocka_run_group_tests_name("query_results", tests, NULL, NULL);
}
