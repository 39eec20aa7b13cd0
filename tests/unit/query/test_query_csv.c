/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the csv connector (src/query/query_tab_csv.c) through SQL on an in-memory
 * connection: quoted fields with doubled quotes, delimiters and line breaks inside, CRLF and a
 * byte-order mark, names made unique, header=no, .tsv and delimiter=, gzip (whole and
 * truncated), records with the wrong field count and an unterminated quote (rows, warnings and
 * counters exact), a record over 16 MiB, bad arguments and a missing file.
 * Data: the .csv and .tsv files of tests/fixtures/query (hand-written) and files written by
 * the tests. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/rp_buf.h"
#include "core/rp_gz.h"
#include "query/query_table.h"
#include "core/rp_banned.h"

#define FX RP_FIXTURES_DIR "/query/"

#include "query_test_db.h"

static void test_csv_quotes(void **state)
{
    struct fx *f = *state;
    assert_string_equal(rows(f, "CREATE VIRTUAL TABLE temp.t USING csv('" FX "quotes.csv')"), "");
    assert_string_equal(rows(f, "SELECT *, _line FROM t"), "1|alice|plain|2\n"
                                                           "2|bob, jr|said \"hi\"|3\n"
                                                           "3|carol|line one\\nline two|4\n"
                                                           "4|||6\n"
                                                           "5|dave|x\"y|7\n");
    assert_string_equal(rows(f, "SELECT name FROM pragma_table_xinfo('t', 'temp')"),
                        "id\nname\nnote\n_line\n_file\n");
    assert_string_equal(rows(f, "SELECT typeof(id), typeof(name), typeof(_line), _file FROM t "
                                "WHERE id = '4'"),
                        "text|text|integer|" FX "quotes.csv\n");
    /* one file opened per scan, its bytes counted; nothing reported */
    assert_int_equal(f->st.files_opened, 2);
    assert_int_equal(f->st.bytes_scanned, 2 * 100);
    assert_int_equal(f->st.warnings, 0);
    assert_int_equal(f->st.records_rejected, 0);
}

static void test_csv_crlf_bom(void **state)
{
    struct fx *f = *state;
    assert_string_equal(rows(f, "CREATE VIRTUAL TABLE temp.t USING csv('" FX "crlf_bom.csv')"), "");
    assert_string_equal(rows(f, "SELECT name FROM pragma_table_xinfo('t', 'temp')"),
                        "id\ntext\n_line\n_file\n");
    assert_string_equal(rows(f, "SELECT *, _line FROM t"), "1|a\\r\\nb|2\n"
                                                           "2|c|5\n");
}

static void test_csv_bad_records(void **state)
{
    struct fx *f = *state;
    assert_string_equal(rows(f, "CREATE VIRTUAL TABLE temp.t USING csv('" FX "bad.csv')"), "");
    capture_begin();
    const char *r = rows(f, "SELECT *, _line FROM t");
    const char *w = capture_end();
    assert_string_equal(r, "1|2|3|2\n"
                           "4|5|NULL|3\n"
                           "6|7|8|5\n"
                           "10|11|12|6\n"
                           "13|unterminated,14\\n15\\n|NULL|7\n");
    assert_string_equal(w, "rampart: warning: csv: '" FX "bad.csv' line 3: 2 fields, header "
                           "has 3\n"
                           "rampart: warning: csv: '" FX "bad.csv' line 5: 4 fields, header "
                           "has 3\n"
                           "rampart: warning: csv: '" FX "bad.csv' line 7: unterminated "
                           "quoted field\n");
    assert_int_equal(f->st.warnings, 3);
    assert_int_equal(f->st.records_rejected, 3);
    /* a second scan returns the same rows and reports nothing again */
    capture_begin();
    r = rows(f, "SELECT count(*), sum(a) FROM t");
    w = capture_end();
    assert_string_equal(r, "5|34\n");
    assert_string_equal(w, "");
    assert_int_equal(f->st.warnings, 3);
    assert_int_equal(f->st.files_opened, 2);
    assert_int_equal(f->st.bytes_scanned, 2 * 57);
}

static void test_csv_unique_names(void **state)
{
    struct fx *f = *state;
    assert_string_equal(rows(f, "CREATE VIRTUAL TABLE temp.t USING csv('" FX "dupnames.csv')"), "");
    assert_string_equal(rows(f, "SELECT name FROM pragma_table_xinfo('t', 'temp')"),
                        "a\nc2\nA_2\na_2_2\n_line_2\nc2_2\n_line\n_file\n");
    assert_string_equal(rows(f, "SELECT a, c2, A_2, a_2_2, _line_2, c2_2, _line FROM t"),
                        "1|2|3|4|5|6|2\n");
}

static void test_csv_no_header(void **state)
{
    struct fx *f = *state;
    assert_string_equal(
        rows(f, "CREATE VIRTUAL TABLE temp.t USING csv('" FX "noheader.csv', 'header=no')"), "");
    assert_string_equal(rows(f, "SELECT name FROM pragma_table_xinfo('t', 'temp')"),
                        "c1\nc2\n_line\n_file\n");
    capture_begin();
    const char *r = rows(f, "SELECT *, _line FROM t");
    const char *w = capture_end();
    assert_string_equal(r, "x|1|1\ny|2|2\n");
    assert_string_equal(w, "rampart: warning: csv: '" FX "noheader.csv' line 2: 3 fields, first "
                           "record has 2\n");
    assert_int_equal(f->st.records_rejected, 1);
}

static void test_csv_tsv_and_delimiter(void **state)
{
    struct fx *f = *state;
    assert_string_equal(rows(f, "CREATE VIRTUAL TABLE temp.t USING csv('" FX "flows.tsv')"), "");
    assert_string_equal(rows(f, "SELECT * FROM t"), "10.0.0.1|10.0.0.2|100\n"
                                                    "q\ta|b|7\n");
    assert_string_equal(
        rows(f, "CREATE VIRTUAL TABLE temp.s USING csv('" FX "semi.csv', 'delimiter=;')"), "");
    assert_string_equal(rows(f, "SELECT * FROM s"), "1|x;y\n2|z,w\n");
    /* delimiter=\t on any name; header=no together */
    assert_string_equal(rows(f, "CREATE VIRTUAL TABLE temp.u USING csv('" FX "flows.tsv', "
                                "'header=no', 'delimiter=\\t')"),
                        "");
    assert_string_equal(rows(f, "SELECT c1, c3, _line FROM u"), "src|bytes|1\n"
                                                                "10.0.0.1|100|2\n"
                                                                "q\ta|7|3\n");
}

static void test_csv_gzip(void **state)
{
    struct fx *f = *state;
    struct stat sb;
    assert_int_equal(stat(FX "quotes.csv.gz", &sb), 0);
    assert_string_equal(rows(f, "CREATE VIRTUAL TABLE temp.t USING csv('" FX "quotes.csv.gz')"),
                        "");
    assert_string_equal(rows(f, "SELECT *, _line FROM t"), "1|alice|plain|2\n"
                                                           "2|bob, jr|said \"hi\"|3\n"
                                                           "3|carol|line one\\nline two|4\n"
                                                           "4|||6\n"
                                                           "5|dave|x\"y|7\n");
    /* bytes scanned are the compressed bytes read */
    assert_int_equal(f->st.files_opened, 1);
    assert_int_equal(f->st.bytes_scanned, (int64_t)sb.st_size);
    /* a file cut inside its first chunk has no readable header */
    assert_string_equal(rows(f, "CREATE VIRTUAL TABLE temp.x USING csv('" FX "truncated.csv.gz')"),
                        "ERROR: csv: gz: truncated input in '" FX "truncated.csv.gz' at byte 30");
}

/* Writes the n-line CSV "id,pad\n1,<pad>\n.." gzipped into path, cut to keep/1000 of its size. */
static size_t write_cut_gz(const char *path, int n, int keep_permille)
{
    struct rp_buf plain, gz;
    rp_buf_init(&plain, 0);
    rp_buf_init(&gz, 0);
    assert_int_equal(rp_buf_append_str(&plain, "id,pad\n"), RP_OK);
    for (int i = 1; i <= n; i++)
        assert_int_equal(rp_buf_printf(&plain, "%d,%08x%08x\n", i, (unsigned)i * 2654435761u,
                                       (unsigned)i * 40503u),
                         RP_OK);
    assert_int_equal(rp_gz_compress(plain.data, plain.len, 6, &gz, NULL), RP_OK);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    size_t keep = gz.len * (size_t)keep_permille / 1000;
    assert_int_equal(fwrite(gz.data, 1, keep, fp), keep);
    fclose(fp);
    rp_buf_release(&plain);
    rp_buf_release(&gz);
    return keep;
}

static void test_csv_gzip_truncated_later(void **state)
{
    struct fx *f = *state;
    char path[] = "/tmp/rp_test_csv_XXXXXX.csv.gz";
    int fd = mkstemps(path, 7);
    assert_true(fd >= 0);
    close(fd);
    size_t keep = write_cut_gz(path, 50000, 900);
    assert_string_equal(rowsf(f, "CREATE VIRTUAL TABLE temp.t USING csv(%Q)", path), "");
    capture_begin();
    /* rows before the damage come out whole and in order; the damage is one warning */
    const char *r = rows(f, "SELECT count(*) > 1000, count(*) < 50000, max(id + 0) = count(*), "
                            "min(length(pad)) FROM t");
    const char *w = capture_end();
    unlink(path); /* before the assertions: a failure leaves no big file behind */
    assert_string_equal(r, "1|1|1|16\n");
    char want[512];
    snprintf(want, sizeof want, "rampart: warning: csv: gz: truncated input in '%s' at byte %zu\n",
             path, keep);
    assert_string_equal(w, want);
    assert_int_equal(f->st.warnings, 1);
    assert_int_equal(f->st.records_rejected, 1);
    assert_int_equal(f->st.bytes_scanned, (int64_t)keep);
}

static void test_csv_record_too_big(void **state)
{
    struct fx *f = *state;
    char path[] = "/tmp/rp_test_csv_XXXXXX.csv";
    int fd = mkstemps(path, 4);
    assert_true(fd >= 0);
    FILE *fp = fdopen(fd, "wb");
    assert_non_null(fp);
    fputs("a,b\n1,x\n2,\"", fp);
    static char chunk[1 << 16];
    memset(chunk, 'y', sizeof chunk);
    for (int i = 0; i < 257; i++)
        assert_int_equal(fwrite(chunk, 1, sizeof chunk, fp), sizeof chunk);
    fputs("\n\"\n3,z\n", fp);
    fclose(fp);
    assert_string_equal(rowsf(f, "CREATE VIRTUAL TABLE temp.t USING csv(%Q)", path), "");
    capture_begin();
    const char *r = rows(f, "SELECT a, b, _line FROM t");
    const char *w = capture_end();
    unlink(path); /* before the assertions: a failure leaves no big file behind */
    assert_string_equal(r, "1|x|2\n3|z|5\n");
    char want[512];
    snprintf(want, sizeof want,
             "rampart: warning: csv: '%s' line 3: record larger than 16 MiB, skipped\n", path);
    assert_string_equal(w, want);
    assert_int_equal(f->st.records_rejected, 1);
}

static void test_csv_errors(void **state)
{
    struct fx *f = *state;
    assert_string_equal(rows(f, "CREATE VIRTUAL TABLE temp.t USING csv('" FX "nope.csv')"),
                        "ERROR: csv: cannot open '" FX "nope.csv': No such file or directory");
    assert_string_equal(rows(f, "CREATE VIRTUAL TABLE temp.t USING csv()"),
                        "ERROR: csv: expected a file name: csv('file.csv')");
    assert_string_equal(
        rows(f, "CREATE VIRTUAL TABLE temp.t USING csv('" FX "quotes.csv', 'header=maybe')"),
        "ERROR: csv: bad argument 'header=maybe': expected header=yes|no");
    assert_string_equal(
        rows(f, "CREATE VIRTUAL TABLE temp.t USING csv('" FX "quotes.csv', 'delimiter=ab')"),
        "ERROR: csv: bad argument 'delimiter=ab': the delimiter is one character or \\t");
    assert_string_equal(
        rows(f, "CREATE VIRTUAL TABLE temp.t USING csv('" FX "quotes.csv', 'quote=x')"),
        "ERROR: csv: unknown argument 'quote=x': expected header=yes|no or delimiter=C");
    assert_string_equal(rows(f, "CREATE VIRTUAL TABLE temp.t USING csv('/dev/null')"),
                        "ERROR: csv: '/dev/null' is not a regular file");
    char path[] = "/tmp/rp_test_csv_XXXXXX.csv";
    int fd = mkstemps(path, 4);
    assert_true(fd >= 0);
    close(fd);
    char want[256];
    snprintf(want, sizeof want, "ERROR: csv: '%s' is empty", path);
    assert_string_equal(rowsf(f, "CREATE VIRTUAL TABLE temp.t USING csv(%Q)", path), want);
    /* the file disappears after CREATE: the scan fails naming it */
    fd = open(path, O_WRONLY | O_TRUNC);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "a\n1\n", 4), 4);
    close(fd);
    assert_string_equal(rowsf(f, "CREATE VIRTUAL TABLE temp.t USING csv(%Q)", path), "");
    assert_string_equal(rows(f, "SELECT * FROM t"), "1\n");
    unlink(path);
    snprintf(want, sizeof want, "ERROR: csv: cannot open '%s': No such file or directory", path);
    assert_string_equal(rows(f, "SELECT * FROM t"), want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_csv_quotes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_crlf_bom, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_bad_records, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_unique_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_no_header, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_tsv_and_delimiter, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_gzip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_gzip_truncated_later, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_record_too_big, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_errors, setup, teardown),
    };
    return cmocka_run_group_tests_name("query_csv", tests, NULL, NULL);
}
