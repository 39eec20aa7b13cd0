/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the jsonl connector (src/query/query_tab_jsonl.c) through SQL on an in-memory
 * connection: columns from the keys of the first 1,000 lines in first-seen order with their
 * types (INTEGER, REAL, JSON text, TEXT for mixed), keys differing only in case, an empty key,
 * values as SQL values per column type, lines that are not JSON or not objects, blank and CRLF
 * lines, a byte-order mark, gzip, keys first seen after line 1,000 (only in _raw), a line over
 * 16 MiB, bad arguments. Warnings and counters exact.
 * Data: tests/fixtures/query/events.jsonl[.gz], bom.jsonl (hand-written) and files written by
 * the tests. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/rp_buf.h"
#include "query/query_table.h"
#include "core/rp_banned.h"

#define FX RP_FIXTURES_DIR "/query/"

#include "query_test_db.h"

#define EV FX "events.jsonl"

static const char *const ev_rows =
    "1|alice|1.5|[\"a\",\"b\"]|1|x|{\"ip\":\"10.0.0.1\"}|NULL|NULL|NULL|NULL|NULL|NULL|1\n"
    "2|bob|2.0|[]|0|5|NULL|BOB|NULL|NULL|NULL|NULL|NULL|2\n"
    "NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|5\n"
    "3|carol\\nline|-0.25|NULL|NULL|{\"k\":1}|NULL|NULL|NULL|\xc3\xa9|NULL|NULL|NULL|6\n"
    "4|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|{\"deep\":[1,{\"x\":2}]}|NULL|NULL|7\n"
    "5|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|1.84467440737096e+19|empty key|8\n";

#define EV_WARNINGS                                                                                \
    "rampart: warning: jsonl: '%s' line 3: not JSON (unexpected character 'o' at offset 0)\n"      \
    "rampart: warning: jsonl: '%s' line 9: not JSON (unterminated string at offset 15)\n"

static void check_events(struct fx *f, const char *path)
{
    assert_string_equal(rowsf(f, "CREATE VIRTUAL TABLE temp.t USING jsonl(%Q)", path), "");
    assert_string_equal(rows(f, "SELECT group_concat(name || ' ' || type, ', ') FROM "
                                "pragma_table_xinfo('t', 'temp')"),
                        "id INTEGER, user TEXT, score REAL, tags TEXT, ok INTEGER, mixed TEXT, "
                        "ctx TEXT, User_2 TEXT, nothing TEXT, uni TEXT, extra TEXT, "
                        "big INTEGER, c13 TEXT, _line INTEGER, _file TEXT, _raw TEXT\n");
    capture_begin();
    const char *r = rows(f, "SELECT *, _line FROM t");
    const char *w = capture_end();
    assert_string_equal(r, ev_rows);
    char want[1024];
    snprintf(want, sizeof want, EV_WARNINGS, path, path);
    assert_string_equal(w, want);
    assert_int_equal(f->st.warnings, 2);
    assert_int_equal(f->st.records_rejected, 2);
    /* SQL types follow the column types; _raw is the line as written (without its CRLF) */
    capture_begin();
    r = rows(f, "SELECT typeof(id), typeof(score), typeof(tags), typeof(ok), typeof(mixed), "
                "_raw, _file = _file FROM t WHERE _line IN (2, 6)");
    w = capture_end();
    assert_string_equal(
        r, "integer|real|text|integer|text|{\"id\":2,\"user\":\"bob\",\"score\":2,"
           "\"tags\":[],\"ok\":false,\"mixed\":5,\"User\":\"BOB\",\"nothing\":null}|1\n"
           "integer|real|null|null|text|{\"id\":3,\"score\":-0.25,\"mixed\":{\"k\":"
           "1},\"ctx\":null,\"user\":\"carol\\nline\",\"uni\":\"\\u00e9\"}|1\n");
    assert_string_equal(w, ""); /* reported once per table */
    assert_string_equal(rowsf(f, "SELECT count(*) FROM t WHERE _file = %Q", path), "6\n");
    assert_string_equal(rows(f, "SELECT json_extract(tags, '$[1]'), ctx ->> 'ip' FROM t "
                                "WHERE id = 1"),
                        "b|10.0.0.1\n");
}

static void test_jsonl_events(void **state)
{
    struct fx *f = *state;
    check_events(f, EV);
    assert_int_equal(f->st.files_opened, 4);
    assert_int_equal(f->st.bytes_scanned, 4 * 410);
}

static void test_jsonl_gzip(void **state)
{
    struct fx *f = *state;
    struct stat sb;
    assert_int_equal(stat(EV ".gz", &sb), 0);
    check_events(f, EV ".gz");
    assert_int_equal(f->st.files_opened, 4);
    assert_int_equal(f->st.bytes_scanned, 4 * (int64_t)sb.st_size);
}

static void test_jsonl_bom(void **state)
{
    struct fx *f = *state;
    assert_string_equal(rows(f, "CREATE VIRTUAL TABLE temp.t USING jsonl('" FX "bom.jsonl')"), "");
    assert_string_equal(rows(f, "SELECT a, _line, _raw FROM t"), "1|1|{\"a\":1}\n2|2|{\"a\":2}\n");
    assert_int_equal(f->st.warnings, 0);
}

static char *temp_file(const char *suffix)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/rp_test_jsonl_XXXXXX%s", suffix);
    int fd = mkstemps(path, (int)strlen(suffix));
    assert_true(fd >= 0);
    close(fd);
    return path;
}

static void test_jsonl_late_keys(void **state)
{
    struct fx *f = *state;
    char *path = temp_file(".jsonl");
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    for (int i = 1; i <= 1000; i++) fprintf(fp, "{\"a\":%d}\n", i);
    fputs("{\"a\":1001,\"late\":\"z\",\"A\":\"case\"}\n", fp);
    fclose(fp);
    assert_string_equal(rowsf(f, "CREATE VIRTUAL TABLE temp.t USING jsonl(%Q)", path), "");
    assert_string_equal(rows(f, "SELECT group_concat(name, ',') FROM pragma_table_xinfo('t', "
                                "'temp')"),
                        "a,_line,_file,_raw\n");
    assert_string_equal(rows(f, "SELECT count(*), sum(a), max(_line) FROM t"),
                        "1001|501501|1001\n");
    assert_string_equal(rows(f, "SELECT a, _raw ->> 'late', _raw ->> 'A' FROM t WHERE a > 1000"),
                        "1001|z|case\n");
    unlink(path);
}

static void test_jsonl_line_too_long(void **state)
{
    struct fx *f = *state;
    char *path = temp_file(".jsonl");
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fputs("{\"a\":1}\n{\"a\":\"", fp);
    static char chunk[1 << 16];
    memset(chunk, 'y', sizeof chunk);
    for (int i = 0; i < 257; i++)
        assert_int_equal(fwrite(chunk, 1, sizeof chunk, fp), sizeof chunk);
    fputs("\"}\n{\"a\":3}", fp);
    fclose(fp);
    assert_string_equal(rowsf(f, "CREATE VIRTUAL TABLE temp.t USING jsonl(%Q)", path), "");
    capture_begin();
    const char *r = rows(f, "SELECT a, _line FROM t");
    const char *w = capture_end();
    unlink(path); /* before the assertions: a failure leaves no big file behind */
    assert_string_equal(r, "1|1\n3|3\n");
    char want[512];
    snprintf(want, sizeof want,
             "rampart: warning: jsonl: '%s' line 2: line longer than 16 MiB, skipped\n", path);
    assert_string_equal(w, want);
    assert_int_equal(f->st.records_rejected, 1);
}

static void test_jsonl_errors(void **state)
{
    struct fx *f = *state;
    assert_string_equal(rows(f, "CREATE VIRTUAL TABLE temp.t USING jsonl('" FX "nope.jsonl')"),
                        "ERROR: jsonl: cannot open '" FX "nope.jsonl': No such file or directory");
    assert_string_equal(rows(f, "CREATE VIRTUAL TABLE temp.t USING jsonl()"),
                        "ERROR: jsonl: expected a file name: jsonl('file.jsonl')");
    assert_string_equal(rows(f, "CREATE VIRTUAL TABLE temp.t USING jsonl('" EV "', 'x')"),
                        "ERROR: jsonl: unexpected argument 'x'");
    /* no object to take columns from */
    assert_string_equal(rows(f, "CREATE VIRTUAL TABLE temp.t USING jsonl('" FX "flows.tsv')"),
                        "ERROR: jsonl: '" FX "flows.tsv': no JSON object in the first 1000 lines");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_jsonl_events, setup, teardown),
        cmocka_unit_test_setup_teardown(test_jsonl_gzip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_jsonl_bom, setup, teardown),
        cmocka_unit_test_setup_teardown(test_jsonl_late_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(test_jsonl_line_too_long, setup, teardown),
        cmocka_unit_test_setup_teardown(test_jsonl_errors, setup, teardown),
    };
    return cmocka_run_group_tests_name("query_jsonl", tests, NULL, NULL);
}
