/* SPDX-License-Identifier: Apache-2.0 */
/* Sessions (src/query/query_session.c): the store opened read-only with Athena's views, the
 * authorizer (reading only), errors with their line and column, the deadline, the memory cap,
 * rows and Athena column types handed to the sinks, and the Athena struct rewrite end to end. */
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
#include "query/query.h"
#include "store/store.h"

/* A sink that renders "[a:bigint,b:varchar]" per statement and "1|x|" per row. */
struct cap {
    struct rp_buf b;
};

static rp_err cap_begin(void *ctx, const struct rp_query_columns *c, struct rp_errbuf *eb)
{
    (void)eb;
    struct cap *k = ctx;
    rp_err e = rp_buf_append(&k->b, "[", 1);
    for (size_t i = 0; i < c->ncols && !e; i++) {
        e = rp_buf_printf(&k->b, "%s%s:%s", i ? "," : "", c->names[i], c->types[i]);
    }
    return e ? e : rp_buf_append(&k->b, "]\n", 2);
}

static rp_err cap_row(void *ctx, const struct rp_query_row *r, struct rp_errbuf *eb)
{
    (void)eb;
    struct cap *k = ctx;
    rp_err e = RP_OK;
    for (size_t i = 0; i < r->ncols && !e; i++) {
        if (i) e = rp_buf_append(&k->b, "|", 1);
        if (!e && r->vals[i]) e = rp_buf_append(&k->b, r->vals[i], r->lens[i]);
    }
    return e ? e : rp_buf_append(&k->b, "\n", 1);
}

/* Runs sql on s; returns the captured text, or "ERROR <code>: <msg>". */
static char *run(struct rp_query_session *s, const char *sql, struct rp_query_run_stats *st)
{
    struct cap k;
    rp_buf_init(&k.b, 1u << 20);
    struct rp_query_sink sink = {.begin = cap_begin, .row = cap_row, .ctx = &k};
    struct rp_errbuf eb = {0};
    struct rp_query_run_stats dummy;
    rp_err e = rp_query_run(s, sql, &sink, 1, st ? st : &dummy, &eb);
    if (e) {
        rp_buf_reset(&k.b);
        assert_int_equal(rp_buf_printf(&k.b, "ERROR %s: %s", rp_strerror(e), eb.msg), RP_OK);
    }
    assert_int_equal(rp_buf_append(&k.b, "", 1), RP_OK);
    return rp_buf_take(&k.b, NULL);
}

static void expect(struct rp_query_session *s, const char *sql, const char *want)
{
    char *got = run(s, sql, NULL);
    assert_string_equal(got, want);
    free(got);
}

static char g_db[64];

/* A store with one CloudTrail event, one DNS query and one finding, written directly. */
static int group_setup(void **state)
{
    (void)state;
    snprintf(g_db, sizeof g_db, "/tmp/rp-query-session-XXXXXX");
    int fd = mkstemp(g_db);
    if (fd < 0) return -1;
    close(fd);
    unlink(g_db);
    struct rp_store *st = NULL;
    struct rp_errbuf eb = {0};
    if (rp_store_new(g_db, RP_STORE_RDWR, &st, &eb)) return -1;
    rp_store_free(st);
    sqlite3 *db = NULL;
    if (sqlite3_open(g_db, &db) != SQLITE_OK) return -1;
    int rc = sqlite3_exec(
        db,
        "INSERT INTO cloudtrail_logs (eventTime, eventName, eventSource, userIdentity, "
        "eventID, rp_time_ms, rp_category) VALUES ('2024-03-01T00:00:00Z', 'ConsoleLogin', "
        "'signin.amazonaws.com', '{\"type\":\"IAMUser\",\"userName\":\"ana\",\"sessionContext\":"
        "{\"attributes\":{\"mfaAuthenticated\":\"false\"}}}', 'e1', 1709251200000, 'Management');"
        "INSERT INTO r53_resolver_query_logs (query_name, srcids, rp_time_ms) VALUES "
        "('example.com.', '{\"instance\":\"i-0abc\"}', 1709251200000);",
        NULL, NULL, NULL);
    sqlite3_close(db);
    return rc == SQLITE_OK ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    char p[80];
    unlink(g_db);
    snprintf(p, sizeof p, "%s-wal", g_db);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", g_db);
    unlink(p);
    return 0;
}

static int setup(void **state)
{
    struct rp_query_opts o = {.db_path = g_db, .timeout_ms = 0};
    struct rp_query_session *s = NULL;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_query_session_new(&o, &s, &eb), RP_OK);
    *state = s;
    return 0;
}

static int teardown(void **state)
{
    rp_query_session_free(*state);
    return 0;
}

static void test_session_rows_and_types(void **state)
{
    expect(*state, "SELECT 1 AS a, 'x' AS b, 2.5 AS c, NULL AS d",
           "[a:bigint,b:varchar,c:double,d:varchar]\n1|x|2.5|\n");
    expect(*state, "SELECT 1 AS n; SELECT 'two' AS s WHERE 0", "[n:bigint]\n1\n[s:varchar]\n");
    expect(*state, "SELECT eventName, rp_time_ms FROM cloudtrail_logs",
           "[eventName:varchar,rp_time_ms:bigint]\nConsoleLogin|1709251200000\n");
}

static void test_session_athena_names(void **state)
{
    expect(*state,
           "SELECT eventname, useridentity.username, "
           "useridentity.sessioncontext.attributes.mfaauthenticated AS mfa FROM cloudtrail_logs",
           "[eventName:varchar,rp_field(useridentity, 'username'):varchar,mfa:varchar]\n"
           "ConsoleLogin|ana|false\n");
    expect(*state, "SELECT query_name, srcids.instance AS i FROM r53_rlogs",
           "[query_name:varchar,i:varchar]\nexample.com.|i-0abc\n");
    expect(*state, "SELECT count(*) AS n FROM asff_findings", "[n:bigint]\n0\n");
}

static void test_session_read_only(void **state)
{
    const char *denied[] = {
        "INSERT INTO cloudtrail_logs (eventID, rp_time_ms, rp_category) VALUES ('x', 1, 'M')",
        "UPDATE cloudtrail_logs SET eventName = 'x'",
        "DELETE FROM cloudtrail_logs",
        "DROP TABLE cloudtrail_logs",
        "CREATE TABLE t (a)",
        "CREATE TEMP TABLE t (a)",
        "PRAGMA writable_schema = 1",
        "PRAGMA journal_mode = DELETE",
        "VACUUM",
        "CREATE INDEX i ON cloudtrail_logs (eventName)",
    };
    for (size_t i = 0; i < sizeof denied / sizeof denied[0]; i++)
        expect(*state, denied[i],
               "ERROR permission denied: query: not authorized: rampart query is "
               "read-only");
    expect(*state, "SELECT count(*) AS n FROM cloudtrail_logs", "[n:bigint]\n1\n");
    expect(*state, "SELECT name FROM pragma_table_info('rejects') WHERE cid < 2",
           "[name:varchar]\nid\ntime_ms\n");
    expect(*state, "CREATE TEMP VIEW v AS SELECT 7 AS x; SELECT x FROM v", "[x:bigint]\n7\n");
}

static void test_session_attach_read_only(void **state)
{
    char sql[256];
    snprintf(sql, sizeof sql, "ATTACH '%s' AS other; SELECT count(*) AS n FROM other.rejects",
             g_db);
    expect(*state, sql, "[n:bigint]\n0\n");
    expect(*state, "DELETE FROM other.rejects",
           "ERROR permission denied: query: not authorized: rampart query is read-only");
    expect(*state, "DETACH other", "");
}

static void test_session_errors_with_position(void **state)
{
    expect(*state, "SELEC 1",
           "ERROR invalid argument: query: line 1, column 1: near \"SELEC\": syntax error");
    expect(*state, "SELECT 1;\n  SELECT * FRM x",
           "ERROR invalid argument: query: line 2, column 12: near \"FRM\": syntax error");
    /* after a rewritten struct access the position is still in the user's text */
    expect(*state, "SELECT useridentity.arn, nope FROM cloudtrail_logs",
           "ERROR invalid argument: query: line 1, column 26: no such column: nope");
    expect(*state, "SELECT * FROM nosuchtable",
           "ERROR invalid argument: query: no such table: nosuchtable");
}

static void test_session_timeout(void **state)
{
    (void)state;
    struct rp_query_opts o = {.db_path = g_db, .timeout_ms = 50};
    struct rp_query_session *s = NULL;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_query_session_new(&o, &s, &eb), RP_OK);
    expect(s,
           "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
           "SELECT count(*) FROM c",
           "ERROR timed out: query: stopped after the 50 ms timeout");
    /* the next query has its own deadline */
    expect(s, "SELECT 2 AS y", "[y:bigint]\n2\n");
    rp_query_session_free(s);
}

static void test_session_memory_cap(void **state)
{
    (void)state;
    struct rp_query_opts o = {.db_path = NULL, .max_memory = 16ll << 20};
    struct rp_query_session *s = NULL;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_query_session_new(&o, &s, &eb), RP_OK);
    expect(s,
           "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 200000) "
           "SELECT length(group_concat(hex(randomblob(200)))) FROM c",
           "ERROR out of memory: query: out of memory (the limit is --max-memory)");
    rp_query_session_free(s);
    /* a new session sets the cap again (it is process-wide in SQLite) */
    o.max_memory = 0;
    assert_int_equal(rp_query_session_new(&o, &s, &eb), RP_OK);
    expect(s, "SELECT 3 AS z", "[z:bigint]\n3\n");
    rp_query_session_free(s);
}

static void test_session_open_errors(void **state)
{
    (void)state;
    struct rp_query_session *s = NULL;
    struct rp_errbuf eb = {0};
    struct rp_query_opts o = {.db_path = "/nonexistent/rampart.db"};
    assert_int_equal(rp_query_session_new(&o, &s, &eb), RP_ENOENT);
    assert_string_equal(eb.msg, "query: no store at '/nonexistent/rampart.db'");
    char p[] = "/tmp/rp-query-notstore-XXXXXX";
    int fd = mkstemp(p);
    assert_true(fd >= 0);
    close(fd);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(p, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "CREATE TABLE t (a)", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    o.db_path = p;
    assert_int_equal(rp_query_session_new(&o, &s, &eb), RP_EINVAL);
    char want[128];
    snprintf(want, sizeof want, "query: '%s' is not a Rampart store", p);
    assert_string_equal(eb.msg, want);
    unlink(p);
}

static void test_session_stats_files(void **state)
{
    struct rp_query_run_stats st;
    char *got = run(*state,
                    "SELECT count(*) AS n FROM cloudtrail_files('" RP_FIXTURES_DIR
                    "/query/tree') WHERE _account = '444455556666'",
                    &st);
    assert_string_equal(got, "[n:bigint]\n1\n");
    free(got);
    assert_int_equal(st.rows, 1);
    assert_int_equal(st.files_opened, 1);
    assert_int_equal(st.records_rejected, 0);
    assert_true(st.bytes_scanned > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_session_rows_and_types, setup, teardown),
        cmocka_unit_test_setup_teardown(test_session_athena_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_session_read_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_session_attach_read_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_session_errors_with_position, setup, teardown),
        cmocka_unit_test(test_session_timeout),
        cmocka_unit_test(test_session_memory_cap),
        cmocka_unit_test(test_session_open_errors),
        cmocka_unit_test_setup_teardown(test_session_stats_files, setup, teardown),
    };
    return cmocka_run_group_tests_name("query_session", tests, group_setup, group_teardown);
}
