/* SPDX-License-Identifier: Apache-2.0 */
/* The raw-file connectors (src/query/query_files.c, query_tab_*_files.c) over a small S3
 * layout tree (tests/fixtures/query/tree): the rows, the hidden partition columns, partition
 * pruning counted in files opened and pruned, bad records reported and skipped, the required
 * path argument, and the same column list as the store table the format fills. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "core/rp_buf.h"
#include "query/query_table.h"
#include "store/store.h"

#define TREE RP_FIXTURES_DIR "/query/tree"

struct fx {
    sqlite3 *db;
    struct rp_query_stats stats;
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    assert_non_null(f);
    assert_int_equal(sqlite3_open(":memory:", &f->db), SQLITE_OK);
    assert_int_equal(rp_query_vtab_register(f->db, NULL, &f->stats), SQLITE_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    sqlite3_close(f->db);
    free(f);
    return 0;
}

/* Runs sql; rows as "a|b|c" lines ('' for NULL). Returns a malloc'd string, or the error
 * message prefixed "ERROR: ". Resets the counters first. */
static char *q(struct fx *f, const char *sql)
{
    memset(&f->stats, 0, sizeof f->stats);
    struct rp_buf b;
    rp_buf_init(&b, 1u << 20);
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(f->db, sql, -1, &st, NULL);
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        for (int i = 0; i < sqlite3_column_count(st); i++) {
            const char *v = (const char *)sqlite3_column_text(st, i);
            if (i) assert_int_equal(rp_buf_append(&b, "|", 1), RP_OK);
            if (v) assert_int_equal(rp_buf_append(&b, v, strlen(v)), RP_OK);
        }
        assert_int_equal(rp_buf_append(&b, "\n", 1), RP_OK);
        rc = SQLITE_OK;
    }
    if (rc != SQLITE_DONE) {
        rp_buf_reset(&b);
        const char *m = sqlite3_errmsg(f->db);
        assert_int_equal(rp_buf_append(&b, "ERROR: ", 7), RP_OK);
        assert_int_equal(rp_buf_append(&b, m, strlen(m)), RP_OK);
    }
    sqlite3_finalize(st);
    assert_int_equal(rp_buf_append(&b, "", 1), RP_OK);
    return rp_buf_take(&b, NULL);
}

static void expect(struct fx *f, const char *sql, const char *want)
{
    char *got = q(f, sql);
    assert_string_equal(got, want);
    free(got);
}

static void test_files_cloudtrail_all_rows(void **state)
{
    struct fx *f = *state;
    expect(f,
           "SELECT eventName, eventTime, rp_account, _account, _region, _date "
           "FROM cloudtrail_files('" TREE "') ORDER BY eventTime",
           "DescribeInstances|2024-03-01T00:55:00Z|111122223333|111122223333|us-east-1|2024/03/01\n"
           "StopInstances|2024-03-01T00:57:00Z|111122223333|111122223333|us-east-1|2024/03/01\n"
           "StartInstances|2024-03-01T23:58:00Z|111122223333|111122223333|us-east-1|2024/03/02\n"
           "DescribeInstances|2024-03-02T00:01:00Z|111122223333|111122223333|us-east-1|2024/03/02\n"
           "TerminateInstances|2024-03-02T11:55:00Z|111122223333|111122223333|eu-west-1|"
           "2024/03/02\n"
           "DescribeInstances|2024-03-02T12:59:00Z|444455556666|444455556666|us-east-1|2024/03/02\n"
           "DescribeInstances|2024-03-03T09:59:00Z|111122223333|111122223333|us-east-1|"
           "2024/03/03\n");
    /* five CloudTrail files read; the digest and flow-log directories never entered; the bad
     * record of the 03/03 file reported and skipped */
    assert_int_equal(f->stats.files_opened, 5);
    assert_int_equal(f->stats.files_pruned, 0);
    assert_int_equal(f->stats.records_rejected, 1);
    assert_int_equal(f->stats.warnings, 1);
    assert_true(f->stats.bytes_scanned > 0);
}

static void test_files_partition_pruning_account_day(void **state)
{
    struct fx *f = *state;
    expect(f,
           "SELECT eventName, _file FROM cloudtrail_files('" TREE "') "
           "WHERE _account = '111122223333' AND _date = '2024/03/02' ORDER BY eventTime",
           "StartInstances|" TREE "/AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/02/"
           "111122223333_CloudTrail_us-east-1_20240302T0005Z_b1.json\n"
           "DescribeInstances|" TREE "/AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/02/"
           "111122223333_CloudTrail_us-east-1_20240302T0005Z_b1.json\n"
           "TerminateInstances|" TREE "/AWSLogs/111122223333/CloudTrail/eu-west-1/2024/03/02/"
           "111122223333_CloudTrail_eu-west-1_20240302T1200Z_c1.json\n");
    assert_int_equal(f->stats.files_opened, 2); /* only that day's files of that account */
    assert_int_equal(f->stats.records_rejected, 0);
}

static void test_files_partition_pruning_in_lists(void **state)
{
    struct fx *f = *state;
    expect(f,
           "SELECT count(*) FROM cloudtrail_files('" TREE "') "
           "WHERE _region IN ('eu-west-1', 'ap-south-1')",
           "1\n");
    assert_int_equal(f->stats.files_opened, 1);
    expect(f,
           "SELECT count(*) FROM cloudtrail_files('" TREE "') "
           "WHERE _date BETWEEN '2024/03/02' AND '2024/03/03' AND _account = '444455556666'",
           "1\n");
    assert_int_equal(f->stats.files_opened, 1);
    /* a list with a gap reads only its days; '<' and '>' leave out the bound's own day */
    expect(f,
           "SELECT count(*) FROM cloudtrail_files('" TREE "') "
           "WHERE _date IN ('2024/03/01', '2024/03/03')",
           "3\n");
    assert_int_equal(f->stats.files_opened, 2);
    assert_int_equal(f->stats.dirs_pruned, 5);
    expect(f,
           "SELECT count(*) FROM cloudtrail_files('" TREE "') "
           "WHERE _date > '2024/03/01' AND _date < '2024/03/03'",
           "4\n");
    assert_int_equal(f->stats.files_opened, 3);
    /* a value that is not a date prunes nothing (SQLite compares it as text) */
    expect(f,
           "SELECT count(*) FROM cloudtrail_files('" TREE "') WHERE _date IN ('x', '2024/03/01')",
           "2\n");
    assert_int_equal(f->stats.files_opened, 5);
}

/* SQLite may run one scan per OR branch and merge them by rowid: rowids must not repeat
 * across scans (regression: they restarted at 1, and the second branch's row was lost) */
static void test_files_or_of_partitions(void **state)
{
    struct fx *f = *state;
    expect(f,
           "SELECT eventName FROM cloudtrail_files('" TREE "') "
           "WHERE _account = '444455556666' OR _region = 'eu-west-1' ORDER BY 1",
           "DescribeInstances\nTerminateInstances\n");
    expect(f, "SELECT count(*), count(DISTINCT rowid) FROM cloudtrail_files('" TREE "')", "7|7\n");
}

static void test_files_event_time_prunes_days(void **state)
{
    struct fx *f = *state;
    /* 03/01 is skipped; 03/03 is kept (a day's late deliveries land in the next folder) */
    expect(f,
           "SELECT eventName FROM cloudtrail_files('" TREE "') "
           "WHERE eventTime >= '2024-03-02T00:00:00Z' AND eventTime < '2024-03-03' "
           "ORDER BY eventTime",
           "DescribeInstances\nTerminateInstances\nDescribeInstances\n");
    assert_int_equal(f->stats.files_opened, 4);
    expect(f,
           "SELECT eventName FROM cloudtrail_files('" TREE "') "
           "WHERE rp_time_ms < 1709251200000 ORDER BY eventTime", /* 2024-03-01 00:00 */
           "");
    /* records before 03/01 00:00 may sit in the 03/01 and 03/02 folders (one day of delivery
     * lag): those are read, 03/03 is not */
    assert_int_equal(f->stats.files_opened, 4);
}

static void test_files_nothing_can_match(void **state)
{
    struct fx *f = *state;
    expect(f, "SELECT count(*) FROM cloudtrail_files('" TREE "') WHERE _account = NULL", "0\n");
    assert_int_equal(f->stats.files_opened, 0);
    expect(f,
           "SELECT count(*) FROM cloudtrail_files('" TREE "') WHERE _date > '2024/03/03' AND "
           "_date < '2024/03/01'",
           "0\n");
    assert_int_equal(f->stats.files_opened, 0);
}

static void test_files_vpc_flow(void **state)
{
    struct fx *f = *state;
    expect(f,
           "SELECT srcaddr, dstport, action, log_status, start, _date "
           "FROM vpc_flow_files('" TREE "') ORDER BY start",
           "10.0.0.5|443|ACCEPT|OK|1709337600|2024/03/02\n"
           "198.51.100.7|22|REJECT|OK|1709337700|2024/03/02\n"
           "|||NODATA|1709337800|2024/03/02\n");
    assert_int_equal(f->stats.files_opened, 1);
    expect(f, "SELECT count(*) FROM vpc_flow_files('" TREE "') WHERE start > 1709337650", "2\n");
}

static void test_files_raw_and_json_columns(void **state)
{
    struct fx *f = *state;
    expect(f,
           "SELECT json_extract(userIdentity, '$.userName'), json_extract(rp_raw, '$.eventID') "
           "FROM cloudtrail_files('" TREE "') WHERE eventName = 'TerminateInstances'",
           "u5|00000000-0000-4000-8000-000000000005\n");
}

static void test_files_path_required(void **state)
{
    struct fx *f = *state;
    expect(f, "SELECT count(*) FROM cloudtrail_files",
           "ERROR: cloudtrail_files: argument '_path' is required");
    expect(f, "SELECT count(*) FROM cloudtrail_files(42)",
           "ERROR: cloudtrail_files: the path argument must be text");
    expect(f, "CREATE VIRTUAL TABLE temp.x USING cloudtrail_files('" TREE "')",
           "ERROR: no such module: cloudtrail_files");
}

static void test_files_missing_path_warns(void **state)
{
    struct fx *f = *state;
    expect(f, "SELECT count(*) FROM k8s_audit_files('" TREE "/nope')", "0\n");
    assert_int_equal(f->stats.warnings, 1);
    assert_int_equal(f->stats.records_rejected, 1);
}

/* The connector's visible columns are the store table's (rp_raw is hidden in both senses). */
static void test_files_same_columns_as_store(void **state)
{
    struct fx *f = *state;
    char path[] = "/tmp/rp-query-files-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    unlink(path);
    struct rp_store *st = NULL;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_store_new(path, RP_STORE_RDWR, &st, &eb), RP_OK);
    rp_store_free(st);
    char sql[512];
    snprintf(sql, sizeof sql, "ATTACH '%s' AS s", path);
    assert_int_equal(sqlite3_exec(f->db, sql, NULL, NULL, NULL), SQLITE_OK);
    static const char *const pairs[][2] = {
        {"cloudtrail_logs", "cloudtrail_files"},
        {"vpc_flow_logs", "vpc_flow_files"},
        {"r53_resolver_query_logs", "r53_resolver_files"},
        {"k8s_audit_logs", "k8s_audit_files"},
        {"config_items", "config_files"},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        snprintf(sql, sizeof sql,
                 "SELECT group_concat(name, ',') FROM (SELECT name FROM "
                 "pragma_table_info('%s', 's') WHERE name <> 'rp_raw')",
                 pairs[i][0]);
        char *store = q(f, sql);
        snprintf(sql, sizeof sql, "SELECT group_concat(name, ',') FROM pragma_table_info('%s')",
                 pairs[i][1]);
        char *files = q(f, sql);
        assert_string_equal(files, store);
        assert_true(strlen(store) > 40);
        free(store);
        free(files);
    }
    assert_int_equal(sqlite3_exec(f->db, "DETACH s", NULL, NULL, NULL), SQLITE_OK);
    unlink(path);
    char wal[600];
    snprintf(wal, sizeof wal, "%s-wal", path);
    unlink(wal);
    snprintf(wal, sizeof wal, "%s-shm", path);
    unlink(wal);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_files_cloudtrail_all_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_files_partition_pruning_account_day, setup, teardown),
        cmocka_unit_test_setup_teardown(test_files_partition_pruning_in_lists, setup, teardown),
        cmocka_unit_test_setup_teardown(test_files_or_of_partitions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_files_event_time_prunes_days, setup, teardown),
        cmocka_unit_test_setup_teardown(test_files_nothing_can_match, setup, teardown),
        cmocka_unit_test_setup_teardown(test_files_vpc_flow, setup, teardown),
        cmocka_unit_test_setup_teardown(test_files_raw_and_json_columns, setup, teardown),
        cmocka_unit_test_setup_teardown(test_files_path_required, setup, teardown),
        cmocka_unit_test_setup_teardown(test_files_missing_path_warns, setup, teardown),
        cmocka_unit_test_setup_teardown(test_files_same_columns_as_store, setup, teardown),
    };
    return cmocka_run_group_tests_name("query_files", tests, NULL, NULL);
}
