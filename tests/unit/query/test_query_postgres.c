/* SPDX-License-Identifier: Apache-2.0 */
/* Tests of the postgres connector of `rampart query` (src/query/query_tab_postgres.c) against
 * a real PostgreSQL 15 server that the group setup starts on 127.0.0.1 in a temporary
 * directory (initdb, pg_ctl; fsync off; unix socket in that directory too), with a fixture
 * database written by psql: a table with every mapped type, NULLs and a dropped column, a
 * view, a view that fails while scanned, a table and columns with names that need quoting,
 * and 2500 rows for the batched fetches. Every query goes through SQLite on an in-memory
 * connection with the adapter registered, and asserts exact rows; the server logs every
 * statement, so the pushed-down WHERE clause and its parameters are asserted too.
 *
 * PostgreSQL refuses to run as root: then initdb and pg_ctl run as the 'postgres' user of the
 * Debian package (runuser), which owns the temporary directory. A watchdog process stops the
 * server and removes the directory when the test process ends, however it ends. Missing
 * binaries fail the test (scripts/install-deps.sh installs postgresql); they never skip. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/rp_buf.h"
#include "query/query_table.h"

#ifndef PG_BIN /* overridable to check the failure when the binaries are missing */
#define PG_BIN "/usr/lib/postgresql/15/bin"
#endif

static struct {
    char dir[64];       /* the temporary directory; data/ and the logs inside */
    char data[96];      /* dir/data */
    char log[96];       /* dir/server.log (every statement: log_statement=all) */
    char setup_log[96]; /* dir/setup.log (initdb, pg_ctl, psql output) */
    int port;
    bool as_postgres; /* running as root: server binaries run as the 'postgres' user */
    int watchdog_fd;  /* write end of the pipe the watchdog waits on; -1 when none */
    pid_t watchdog;
    char conninfo[128];
} g = {.watchdog_fd = -1};

/* ---- processes ---------------------------------------------------------------------------- */

/* Run argv (absolute path) with stdout and stderr appended to g.setup_log, in g.dir, as the
 * 'postgres' user when server is true and the test runs as root. The exit status, or -1. */
static int run(const char *const *argv, bool server)
{
    const char *args[32];
    size_t n = 0;
    if (server && g.as_postgres) {
        args[n++] = access("/usr/sbin/runuser", X_OK) == 0 ? "/usr/sbin/runuser" : "/sbin/runuser";
        args[n++] = "-u";
        args[n++] = "postgres";
        args[n++] = "--";
    }
    for (size_t i = 0; argv[i] && n < RP_ARRAY_LEN(args) - 1; i++) args[n++] = argv[i];
    args[n] = NULL;
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        int fd = open(g.setup_log, O_WRONLY | O_CREAT | O_APPEND, 0644);
        int nul = open("/dev/null", O_RDONLY);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
        }
        if (nul >= 0) dup2(nul, 0);
        if (chdir(g.dir) != 0) _exit(126);
        execv(args[0], (char *const *)args);
        _exit(127);
    }
    int st = 0;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR) return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    remove(path);
    return 0;
}

/* Stop the server if it runs, remove the directory. */
static void cleanup_server(void)
{
    char pidfile[128];
    snprintf(pidfile, sizeof pidfile, "%s/postmaster.pid", g.data);
    if (access(pidfile, F_OK) == 0) {
        const char *stop[] = {PG_BIN "/pg_ctl", "-D", g.data, "-m",
                              "immediate",      "-w", "stop", NULL};
        run(stop, true);
    }
    nftw(g.dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* A child that waits for the end of the test process (EOF on the pipe: normal teardown, a
 * failed assertion, a crash or a kill) and then stops the server and removes the directory.
 * It ignores the terminal's signals and leaves the process group, as the postmaster does. */
static bool watchdog_start(void)
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) return false;
    pid_t pid = fork();
    if (pid < 0) return false;
    if (pid == 0) {
        close(fds[1]);
        setsid();
        signal(SIGINT, SIG_IGN);
        signal(SIGTERM, SIG_IGN);
        signal(SIGHUP, SIG_IGN);
        char b;
        for (;;) {
            ssize_t r = read(fds[0], &b, 1);
            if (r > 0 || (r < 0 && errno == EINTR)) continue;
            break;
        }
        cleanup_server();
        _exit(0);
    }
    close(fds[0]);
    g.watchdog = pid;
    g.watchdog_fd = fds[1];
    return true;
}

/* A TCP port on 127.0.0.1 where nothing listens right now. */
static int free_port(void)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    if (s < 0) return -1;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    int port = -1;
    if (bind(s, (struct sockaddr *)&a, sizeof a) == 0 &&
        getsockname(s, (struct sockaddr *)&a, &len) == 0)
        port = ntohs(a.sin_port);
    close(s);
    return port;
}

static void show_setup_log(void)
{
    FILE *f = fopen(g.setup_log, "r");
    if (!f) return;
    char line[512];
    while (fgets(line, sizeof line, f)) print_error("  %s", line);
    fclose(f);
}

/* ---- the fixture database ----------------------------------------------------------------- */

static const char FIXTURE_SQL[] =
    "CREATE TYPE mood AS ENUM ('sad', 'happy');"
    "CREATE DOMAIN port AS int4 CHECK (VALUE BETWEEN 0 AND 65535);"
    "CREATE TABLE public.flows (id int4 PRIMARY KEY, small int2, big int8, o oid, gone int4,"
    " f4 float4, f8 float8, num numeric(12,4), ok bool, name text, code varchar(10),"
    " fixed char(4), doc jsonb, raw json, data bytea, ts timestamptz, lts timestamp, d date,"
    " u uuid, addr inet, feel mood, dport port);"
    "ALTER TABLE public.flows DROP COLUMN gone;"
    "INSERT INTO public.flows VALUES"
    " (1, 1, 9007199254740993, 4000000000, 0.1, 2.5, 1234.5678, true, 'alpha', 'A1', 'ab',"
    "  '{\"b\": 1, \"a\": [1, 2]}', '{\"x\":  1}', '\\x00ff10', '2024-03-01 12:34:56.789+02',"
    "  '2024-03-01 10:00:00', '2024-03-01', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '10.0.0.1',"
    "  'happy', 443),"
    " (2, -2, -5, 0, -1.5, 0.001, -0.5, false, 'beta', 'B2', 'cd', '[]', '\"s\"', '\\x',"
    "  '1999-12-31 23:59:59.9996+00', '2000-01-01 00:00:00.5', '1999-12-31',"
    "  'b0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12', '192.168.0.0/16', 'sad', 22),"
    " (3, 3, 3, 3, 3.25, 1e300, 0, true, 'Zo\xc3\xab', 'C3', 'efgh', 'null', 'true', 'hi',"
    "  '2024-03-02 00:00:00+00', '2024-03-02 01:02:03.004', '2024-03-02',"
    "  'c0eebc99-9c0b-4ef8-bb6d-6bb9bd380a13', '::1', 'happy', 8080),"
    " (4, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
    "  NULL, NULL, NULL, NULL, NULL, NULL);"
    "CREATE VIEW public.flows_v AS SELECT id, name, f8 * 2 AS twice FROM public.flows"
    " WHERE id <= 3;"
    "CREATE VIEW public.broken AS SELECT id, 1 / (id - id) AS boom FROM public.flows;"
    "CREATE SCHEMA \"Other\";"
    "CREATE TABLE \"Other\".\"Mixed Case\" (\"Key\" int4, \"the value\" text);"
    "INSERT INTO \"Other\".\"Mixed Case\" VALUES (1, 'one'), (2, 'two');"
    "CREATE TABLE public.big AS SELECT g AS n FROM generate_series(1, 2500) g;"
    "CREATE SEQUENCE public.seq;";

static int psql(const char *db, const char *sql)
{
    char port[16];
    snprintf(port, sizeof port, "%d", g.port);
    const char *argv[] = {PG_BIN "/psql",
                          "-X",
                          "-q",
                          "-v",
                          "ON_ERROR_STOP=1",
                          "-h",
                          "127.0.0.1",
                          "-p",
                          port,
                          "-U",
                          "rampart",
                          "-d",
                          db,
                          "-c",
                          sql,
                          NULL};
    return run(argv, false);
}

static bool start_server(void)
{
    for (int attempt = 0; attempt < 3; attempt++) {
        g.port = free_port();
        if (g.port < 0) return false;
        char opts[512];
        snprintf(opts, sizeof opts,
                 "-c listen_addresses=127.0.0.1 -p %d -k %s -c fsync=off -c full_page_writes=off"
                 " -c synchronous_commit=off -c max_connections=20 -c shared_buffers=16MB"
                 " -c log_statement=all -c log_line_prefix= -c lc_messages=C",
                 g.port, g.dir);
        const char *argv[] = {
            PG_BIN "/pg_ctl", "-D", g.data, "-l", g.log, "-w", "-t", "60", "-o", opts,
            "start",          NULL};
        if (run(argv, true) == 0) return true;
    }
    return false;
}

static int group_setup(void **state)
{
    (void)state;
    const char *bins[] = {PG_BIN "/initdb", PG_BIN "/pg_ctl", PG_BIN "/postgres", PG_BIN "/psql"};
    for (size_t i = 0; i < RP_ARRAY_LEN(bins); i++)
        if (access(bins[i], X_OK) != 0) {
            print_error("test_query_postgres: %s is missing: PostgreSQL 15 is needed "
                        "(scripts/install-deps.sh installs the Debian package postgresql)\n",
                        bins[i]);
            return -1;
        }
    uid_t uid = 0;
    gid_t gid = 0;
    if (geteuid() == 0) {
        struct passwd *pw = getpwnam("postgres");
        if (!pw) {
            print_error("test_query_postgres: running as root, but there is no 'postgres' user "
                        "to run the server as (the Debian package postgresql creates it)\n");
            return -1;
        }
        g.as_postgres = true;
        uid = pw->pw_uid;
        gid = pw->pw_gid;
    }
    snprintf(g.dir, sizeof g.dir, "/tmp/rp-pgtest-XXXXXX");
    if (!mkdtemp(g.dir)) {
        print_error("test_query_postgres: mkdtemp: %s\n", strerror(errno));
        return -1;
    }
    snprintf(g.data, sizeof g.data, "%s/data", g.dir);
    snprintf(g.log, sizeof g.log, "%s/server.log", g.dir);
    snprintf(g.setup_log, sizeof g.setup_log, "%s/setup.log", g.dir);
    if (!watchdog_start()) {
        print_error("test_query_postgres: cannot start the watchdog: %s\n", strerror(errno));
        nftw(g.dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
        return -1;
    }
    if (g.as_postgres && chown(g.dir, uid, gid) != 0) {
        print_error("test_query_postgres: chown '%s': %s\n", g.dir, strerror(errno));
        return -1; /* the watchdog removes the directory */
    }
    const char *initdb[] = {PG_BIN "/initdb", "-D", g.data, "-U",         "rampart", "-A",
                            "trust",          "-E", "UTF8", "--locale=C", "-N",      NULL};
    if (run(initdb, true) != 0) {
        print_error("test_query_postgres: initdb failed:\n");
        show_setup_log();
        return -1;
    }
    if (!start_server()) {
        print_error("test_query_postgres: pg_ctl start failed:\n");
        show_setup_log();
        return -1;
    }
    if (psql("postgres", "CREATE DATABASE rptest") != 0 || psql("rptest", FIXTURE_SQL) != 0) {
        print_error("test_query_postgres: the fixture database could not be made:\n");
        show_setup_log();
        return -1;
    }
    snprintf(g.conninfo, sizeof g.conninfo, "host=127.0.0.1 port=%d dbname=rptest user=rampart",
             g.port);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    if (g.watchdog_fd >= 0) {
        close(g.watchdog_fd); /* the watchdog stops the server and removes g.dir */
        g.watchdog_fd = -1;
        int st = 0;
        while (waitpid(g.watchdog, &st, 0) < 0 && errno == EINTR) {
        }
    }
    return 0;
}

/* ---- SQLite side -------------------------------------------------------------------------- */

static struct rp_query_stats stats;

static sqlite3 *db_open(void)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    assert_int_equal(rp_query_vtab_register(db, NULL, &stats), SQLITE_OK);
    return db;
}

/* CREATE VIRTUAL TABLE temp.<name> USING postgres('<conninfo>', '<rel>'): NULL on success, else
 * SQLite's message (malloc'd). */
static char *create(sqlite3 *db, const char *name, const char *conninfo, const char *rel)
{
    char *sql = sqlite3_mprintf("CREATE VIRTUAL TABLE temp.%s USING postgres('%q', '%q')", name,
                                conninfo, rel);
    char *err = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
    sqlite3_free(sql);
    if (rc == SQLITE_OK) return NULL;
    char *out = strdup(err ? err : sqlite3_errstr(rc));
    sqlite3_free(err);
    return out;
}

static sqlite3 *db_flows(void)
{
    sqlite3 *db = db_open();
    char *err = create(db, "f", g.conninfo, "public.flows");
    if (err) print_error("%s\n", err);
    assert_null(err);
    return db;
}

/* Every row of sql, one line each: values joined by '|', NULL, integers, reals as SQLite
 * prints them (%!.15g), 'text', x'hex' blobs. "ERROR: <message>" when the statement fails. */
static char *rows(sqlite3 *db, const char *sql)
{
    struct rp_buf b;
    rp_buf_init(&b, 0);
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        rc = SQLITE_OK;
        for (int i = 0; i < sqlite3_column_count(st); i++) {
            if (i) assert_int_equal(rp_buf_putc(&b, '|'), RP_OK);
            char *v = NULL;
            switch (sqlite3_column_type(st, i)) {
            case SQLITE_NULL:
                v = sqlite3_mprintf("NULL");
                break;
            case SQLITE_INTEGER:
                v = sqlite3_mprintf("%lld", sqlite3_column_int64(st, i));
                break;
            case SQLITE_FLOAT:
                v = sqlite3_mprintf("%!.15g", sqlite3_column_double(st, i));
                break;
            case SQLITE_TEXT:
                v = sqlite3_mprintf("'%s'", sqlite3_column_text(st, i));
                break;
            default: {
                const unsigned char *p = sqlite3_column_blob(st, i);
                int n = sqlite3_column_bytes(st, i);
                sqlite3_str *s = sqlite3_str_new(NULL);
                sqlite3_str_appendall(s, "x'");
                for (int k = 0; k < n; k++) sqlite3_str_appendf(s, "%02x", p[k]);
                sqlite3_str_appendall(s, "'");
                v = sqlite3_str_finish(s);
            }
            }
            assert_int_equal(rp_buf_append_str(&b, v), RP_OK);
            sqlite3_free(v);
        }
        assert_int_equal(rp_buf_putc(&b, '\n'), RP_OK);
    }
    if (rc != SQLITE_DONE) {
        rp_buf_reset(&b);
        assert_int_equal(rp_buf_printf(&b, "ERROR: %s\n", sqlite3_errmsg(db)), RP_OK);
    }
    sqlite3_finalize(st);
    char *out = rp_buf_take(&b, NULL);
    return out ? out : strdup("");
}

#define assert_rows(db, sql, expect)                                                               \
    do {                                                                                           \
        char *got_ = rows((db), (sql));                                                            \
        assert_string_equal(got_, (expect));                                                       \
        free(got_);                                                                                \
    } while (0)

/* ---- what the server saw ------------------------------------------------------------------ */

static long log_size(void)
{
    struct stat sb;
    return stat(g.log, &sb) == 0 ? (long)sb.st_size : 0;
}

/* The WHERE part (text after "FROM <rel>") of every DECLARE the server logged after offset
 * from, each followed by " [<parameters>]" when it had some, one per line. The server logs
 * each parameter as its type prints the value it read ('{a,"x\"y"}' for a text[], '1e+300'
 * for a float8), not as the client sent it. */
static char *declared_since(long from, const char *rel)
{
    FILE *f = fopen(g.log, "r");
    assert_non_null(f);
    assert_int_equal(fseek(f, from, SEEK_SET), 0);
    struct rp_buf b;
    rp_buf_init(&b, 0);
    char line[8192];
    bool open_decl = false;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = 0;
        if (strncmp(line, "DETAIL:  parameters: ", 21) == 0 && open_decl) {
            assert_int_equal(rp_buf_printf(&b, " [%s]", line + 21), RP_OK);
            continue;
        }
        if (open_decl) assert_int_equal(rp_buf_putc(&b, '\n'), RP_OK);
        open_decl = false;
        const char *d = strstr(line, ": DECLARE rp_c");
        if (!d || strncmp(line, "LOG:  execute ", 14) != 0) continue;
        const char *from_rel = strstr(d, " FROM ");
        assert_non_null(from_rel);
        from_rel += 6;
        assert_true(strncmp(from_rel, rel, strlen(rel)) == 0);
        assert_int_equal(rp_buf_append_str(&b, from_rel + strlen(rel)), RP_OK);
        open_decl = true;
    }
    if (open_decl) assert_int_equal(rp_buf_putc(&b, '\n'), RP_OK);
    fclose(f);
    char *out = rp_buf_take(&b, NULL);
    return out ? out : strdup("");
}

/* Rows of sql on db, and the WHERE clauses the scans of "public"."flows" sent. */
#define assert_pushed(db, sql, expect_rows, expect_where)                                          \
    do {                                                                                           \
        long from_ = log_size();                                                                   \
        assert_rows((db), (sql), (expect_rows));                                                   \
        char *w_ = declared_since(from_, "\"public\".\"flows\"");                                  \
        assert_string_equal(w_, (expect_where));                                                   \
        free(w_);                                                                                  \
    } while (0)

/* ---- tests -------------------------------------------------------------------------------- */

static void test_postgres_select_all(void **state)
{
    (void)state;
    sqlite3 *db = db_flows();
    assert_rows(db, "SELECT * FROM f ORDER BY id",
                "1|1|9007199254740993|4000000000|0.1|2.5|1234.5678|1|'alpha'|'A1'|'ab  '|"
                "'{\"a\": [1, 2], \"b\": 1}'|'{\"x\":  1}'|x'00ff10'|'2024-03-01 10:34:56.789'|"
                "'2024-03-01 10:00:00.000'|'2024-03-01'|'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'|"
                "'10.0.0.1'|'happy'|443\n"
                "2|-2|-5|0|-1.5|0.001|-0.5|0|'beta'|'B2'|'cd  '|'[]'|'\"s\"'|x''|"
                "'1999-12-31 23:59:59.999'|'2000-01-01 00:00:00.500'|'1999-12-31'|"
                "'b0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12'|'192.168.0.0/16'|'sad'|22\n"
                "3|3|3|3|3.25|1.0e+300|0.0|1|'Zo\xc3\xab'|'C3'|'efgh'|'null'|'true'|x'6869'|"
                "'2024-03-02 00:00:00.000'|'2024-03-02 01:02:03.004'|'2024-03-02'|"
                "'c0eebc99-9c0b-4ef8-bb6d-6bb9bd380a13'|'::1'|'happy'|8080\n"
                "4|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|"
                "NULL|NULL|NULL|NULL|NULL\n");
    sqlite3_close(db);
}

static void test_postgres_types(void **state)
{
    (void)state;
    sqlite3 *db = db_flows();
    /* Declared types (from the column mapping) and the type of each value of row 1. */
    assert_rows(db, "SELECT name, type FROM pragma_table_info('f') ORDER BY cid",
                "'id'|'INTEGER'\n'small'|'INTEGER'\n'big'|'INTEGER'\n'o'|'INTEGER'\n"
                "'f4'|'REAL'\n'f8'|'REAL'\n'num'|'REAL'\n'ok'|'INTEGER'\n'name'|'TEXT'\n"
                "'code'|'TEXT'\n'fixed'|'TEXT'\n'doc'|'TEXT'\n'raw'|'TEXT'\n'data'|'BLOB'\n"
                "'ts'|'TEXT'\n'lts'|'TEXT'\n'd'|'TEXT'\n'u'|'TEXT'\n'addr'|'TEXT'\n"
                "'feel'|'TEXT'\n'dport'|'INTEGER'\n");
    assert_rows(db,
                "SELECT typeof(id), typeof(small), typeof(big), typeof(o), typeof(f4), "
                "typeof(f8), typeof(num), typeof(ok), typeof(name), typeof(doc), typeof(data), "
                "typeof(ts), typeof(d), typeof(u), typeof(dport) FROM f WHERE id = 1",
                "'integer'|'integer'|'integer'|'integer'|'real'|'real'|'real'|'integer'|'text'|"
                "'text'|'blob'|'text'|'text'|'text'|'integer'\n");
    /* JSON columns hold JSON text that json1 reads. */
    assert_rows(db,
                "SELECT json_extract(doc, '$.a[1]'), json_extract(raw, '$.x') FROM f "
                "WHERE id = 1",
                "2|1\n");
    sqlite3_close(db);
}

static void test_postgres_nulls(void **state)
{
    (void)state;
    sqlite3 *db = db_flows();
    assert_rows(db, "SELECT id FROM f WHERE name IS NULL", "4\n");
    assert_rows(db, "SELECT count(*) FROM f WHERE name = NULL", "0\n");
    assert_rows(db, "SELECT id FROM f WHERE f8 IS NOT NULL AND data IS NOT NULL ORDER BY id",
                "1\n2\n3\n");
    assert_pushed(db, "SELECT id FROM f WHERE id IN (4, NULL)", "4\n",
                  " WHERE \"id\" = $1::int8 [$1 = '4']\n");
    sqlite3_close(db);
}

static void test_postgres_pushdown_int(void **state)
{
    (void)state;
    sqlite3 *db = db_flows();
    assert_pushed(db, "SELECT id FROM f WHERE id = 2", "2\n",
                  " WHERE \"id\" = $1::int8 [$1 = '2']\n");
    assert_pushed(db, "SELECT id FROM f WHERE id > 2 ORDER BY id", "3\n4\n",
                  " WHERE \"id\" > $1::int8 [$1 = '2']\n");
    assert_pushed(db, "SELECT id FROM f WHERE id >= 3 ORDER BY id", "3\n4\n",
                  " WHERE \"id\" >= $1::int8 [$1 = '3']\n");
    assert_pushed(db, "SELECT id FROM f WHERE id < 2", "1\n",
                  " WHERE \"id\" < $1::int8 [$1 = '2']\n");
    assert_pushed(db, "SELECT id FROM f WHERE id <= 2 ORDER BY id", "1\n2\n",
                  " WHERE \"id\" <= $1::int8 [$1 = '2']\n");
    assert_pushed(db, "SELECT id FROM f WHERE id IN (1, 3, 9) ORDER BY id", "1\n3\n",
                  " WHERE \"id\" = ANY($1::int8[]) [$1 = '{1,3,9}']\n");
    assert_pushed(db, "SELECT id FROM f WHERE id > 1 AND id < 4 ORDER BY id", "2\n3\n",
                  " WHERE \"id\" > $1::int8 AND \"id\" < $2::int8 [$1 = '1', $2 = '4']\n");
    /* Text that reads as a number compares as a number with an integer column; a fraction
     * compares exactly as numeric. */
    assert_pushed(db, "SELECT id FROM f WHERE id = ' 3 '", "3\n",
                  " WHERE \"id\" = $1::int8 [$1 = '3']\n");
    assert_pushed(db, "SELECT id FROM f WHERE id > 2.5 ORDER BY id", "3\n4\n",
                  " WHERE \"id\" > $1::numeric [$1 = '2.5']\n");
    assert_pushed(db, "SELECT id FROM f WHERE id = 2.5", "",
                  " WHERE \"id\" = $1::numeric [$1 = '2.5']\n");
    /* Other text never equals a number: left to SQLite. */
    assert_pushed(db, "SELECT id FROM f WHERE id = 'two'", "", "\n");
    /* int2, int8 past 2^53, oid, bool, and a domain over int4. */
    assert_pushed(db, "SELECT id FROM f WHERE small < 0", "2\n",
                  " WHERE \"small\" < $1::int8 [$1 = '0']\n");
    assert_pushed(db, "SELECT id FROM f WHERE big = 9007199254740993", "1\n",
                  " WHERE \"big\" = $1::int8 [$1 = '9007199254740993']\n");
    assert_pushed(db, "SELECT id FROM f WHERE o >= 4000000000", "1\n",
                  " WHERE \"o\"::int8 >= $1::int8 [$1 = '4000000000']\n");
    assert_pushed(db, "SELECT id FROM f WHERE ok = 0", "2\n",
                  " WHERE \"ok\"::int4 = $1::int8 [$1 = '0']\n");
    assert_pushed(db, "SELECT id FROM f WHERE dport IN (22, 8080) ORDER BY id", "2\n3\n",
                  " WHERE \"dport\" = ANY($1::int8[]) [$1 = '{22,8080}']\n");
    sqlite3_close(db);
}

static void test_postgres_pushdown_real(void **state)
{
    (void)state;
    sqlite3 *db = db_flows();
    assert_pushed(db, "SELECT id FROM f WHERE f8 < 3 ORDER BY id", "1\n2\n",
                  " WHERE \"f8\" < $1::float8 [$1 = '3']\n");
    assert_pushed(db, "SELECT id FROM f WHERE f8 = 0.001", "2\n",
                  " WHERE \"f8\" = $1::float8 [$1 = '0.001']\n");
    assert_pushed(db, "SELECT id FROM f WHERE f8 >= 1e300", "3\n",
                  " WHERE \"f8\" >= $1::float8 [$1 = '1e+300']\n");
    /* float4 compares as the text it is shown as, so 0.1 finds the row showing 0.1. */
    assert_pushed(db, "SELECT id FROM f WHERE f4 = 0.1", "1\n",
                  " WHERE \"f4\"::text::float8 = $1::float8 [$1 = '0.1']\n");
    /* numeric compares as the double SQLite sees. */
    assert_pushed(db, "SELECT id FROM f WHERE num = 1234.5678", "1\n",
                  " WHERE \"num\"::float8 = $1::float8 [$1 = '1234.5678']\n");
    assert_pushed(db, "SELECT id FROM f WHERE num <= 0 ORDER BY id", "2\n3\n",
                  " WHERE \"num\"::float8 <= $1::float8 [$1 = '0']\n");
    /* An integer a double cannot hold exactly is left to SQLite. */
    assert_pushed(db, "SELECT id FROM f WHERE f8 < 9007199254740993 ORDER BY id", "1\n2\n", "\n");
    sqlite3_close(db);
}

static void test_postgres_pushdown_text(void **state)
{
    (void)state;
    sqlite3 *db = db_flows();
    assert_pushed(db, "SELECT id FROM f WHERE name = 'beta'", "2\n",
                  " WHERE \"name\" = $1::text [$1 = 'beta']\n");
    /* Ranges in byte order, as SQLite compares: 'Z' sorts before 'a'. */
    assert_pushed(db, "SELECT id FROM f WHERE name > 'Zz' ORDER BY id", "1\n2\n",
                  " WHERE \"name\" COLLATE \"C\" > $1::text [$1 = 'Zz']\n");
    assert_pushed(db, "SELECT id FROM f WHERE name < 'a'", "3\n",
                  " WHERE \"name\" COLLATE \"C\" < $1::text [$1 = 'a']\n");
    assert_pushed(db, "SELECT id FROM f WHERE name IN ('alpha', 'Zo\xc3\xab', 'x\"y') ORDER BY id",
                  "1\n3\n",
                  " WHERE \"name\" = ANY($1::text[]) [$1 = '{Zo\xc3\xab,alpha,\"x\\\"y\"}']\n");
    assert_pushed(db, "SELECT id FROM f WHERE code >= 'B2' AND code <= 'C3' ORDER BY id", "2\n3\n",
                  " WHERE \"code\" COLLATE \"C\" >= $1::text AND \"code\" COLLATE \"C\" <= "
                  "$2::text [$1 = 'B2', $2 = 'C3']\n");
    /* A quote in a value stays a value. */
    assert_pushed(db, "SELECT id FROM f WHERE name = 'a''; DROP TABLE flows; --'", "",
                  " WHERE \"name\" = $1::text [$1 = 'a''; DROP TABLE flows; --']\n");
    /* uuid, enum and json compare as their text. */
    assert_pushed(db, "SELECT id FROM f WHERE u = 'b0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12'", "2\n",
                  " WHERE \"u\"::text = $1::text [$1 = 'b0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12']\n");
    assert_pushed(db, "SELECT id FROM f WHERE feel = 'happy' ORDER BY id", "1\n3\n",
                  " WHERE \"feel\"::text = $1::text [$1 = 'happy']\n");
    assert_pushed(db, "SELECT id FROM f WHERE doc = '[]'", "2\n",
                  " WHERE \"doc\"::text = $1::text [$1 = '[]']\n");
    /* A number against a text column depends on the other side's affinity: not pushed. */
    assert_pushed(db, "SELECT id FROM f WHERE code = 5", "", "\n");
    /* char(n), inet and bytea are never pushed down. */
    assert_pushed(db, "SELECT id FROM f WHERE fixed = 'ab  '", "1\n", "\n");
    assert_pushed(db, "SELECT id FROM f WHERE addr = '::1'", "3\n", "\n");
    assert_pushed(db, "SELECT id FROM f WHERE data = x'6869'", "3\n", "\n");
    sqlite3_close(db);
}

static void test_postgres_pushdown_time(void **state)
{
    (void)state;
    sqlite3 *db = db_flows();
    assert_pushed(db, "SELECT id FROM f WHERE ts >= '2024-03-01 10:34:56.789' ORDER BY id",
                  "1\n3\n",
                  " WHERE to_char(\"ts\" AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS') COLLATE "
                  "\"C\" >= $1::text [$1 = '2024-03-01 10:34:56.789']\n");
    /* The text comparison SQLite makes: '2024-03-01 ...' > '2024-03-01'. */
    assert_pushed(db, "SELECT id FROM f WHERE ts > '2024-03-01' ORDER BY id", "1\n3\n",
                  " WHERE to_char(\"ts\" AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS') COLLATE "
                  "\"C\" > $1::text [$1 = '2024-03-01']\n");
    assert_pushed(db, "SELECT id FROM f WHERE lts = '2000-01-01 00:00:00.500'", "2\n",
                  " WHERE to_char(\"lts\", 'YYYY-MM-DD HH24:MI:SS.MS') = $1::text "
                  "[$1 = '2000-01-01 00:00:00.500']\n");
    assert_pushed(db, "SELECT id FROM f WHERE d < '2024' ORDER BY id", "2\n",
                  " WHERE to_char(\"d\", 'YYYY-MM-DD') COLLATE \"C\" < $1::text [$1 = '2024']\n");
    sqlite3_close(db);
}

static void test_postgres_not_pushed(void **state)
{
    (void)state;
    sqlite3 *db = db_flows();
    /* Functions, OR, LIKE: SQLite filters the rows; the scan has no WHERE. */
    assert_pushed(db, "SELECT id FROM f WHERE lower(name) = 'beta'", "2\n", "\n");
    assert_pushed(db, "SELECT id FROM f WHERE abs(small) = 2", "2\n", "\n");

    /* Comparisons under another collation are not pushed: NOCASE matches rows that a byte
     * comparison skips (and LIKE becomes such a range). */
    assert_pushed(db, "SELECT id FROM f WHERE name LIKE 'AL%'", "1\n", "\n");
    assert_pushed(db, "SELECT id FROM f WHERE name = 'ALPHA' COLLATE NOCASE", "1\n", "\n");
    assert_pushed(db, "SELECT id FROM f WHERE name >= 'B' COLLATE NOCASE ORDER BY id", "2\n3\n",
                  "\n");
    /* One constraint pushed, the other checked by SQLite. */
    assert_pushed(db, "SELECT id FROM f WHERE id >= 2 AND length(name) = 3", "3\n",
                  " WHERE \"id\" >= $1::int8 [$1 = '2']\n");
    sqlite3_close(db);
}

static void test_postgres_or(void **state)
{
    (void)state;
    sqlite3 *db = db_flows();
    /* SQLite may run one scan per OR term and drop the rows an earlier term returned, by
     * rowid: the rowid is a hash of the row, the same in every scan. */
    assert_rows(db, "SELECT id FROM f WHERE id = 1 OR name = 'beta' ORDER BY id", "1\n2\n");
    assert_rows(db, "SELECT id FROM f WHERE id = 1 OR name = 'alpha'", "1\n");
    assert_rows(db, "SELECT id FROM f WHERE id <= 2 OR name >= 'a' OR f8 > 1e299 ORDER BY id",
                "1\n2\n3\n");
    assert_rows(db, "SELECT count(*) FROM f WHERE id IN (1, 2) OR code IN ('B2', 'C3')", "3\n");
    assert_null(create(db, "v", g.conninfo, "public.flows_v"));
    assert_rows(db, "SELECT id FROM v WHERE id = 3 OR name = 'Zo\xc3\xab' OR id = 1 ORDER BY id",
                "1\n3\n");
    sqlite3_close(db);
}

static void test_postgres_join(void **state)
{
    (void)state;
    sqlite3 *db = db_flows();
    assert_int_equal(sqlite3_exec(db,
                                  "CREATE TABLE labels(id INTEGER, label TEXT);"
                                  "INSERT INTO labels VALUES (1, 'first'), (3, 'third'), "
                                  "(5, 'fifth'), ('2', 'second as text');",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    assert_rows(
        db,
        "SELECT l.label, f.name, f.f8 FROM labels l JOIN f ON f.id = l.id "
        "ORDER BY l.label",
        "'first'|'alpha'|2.5\n'second as text'|'beta'|0.001\n'third'|'Zo\xc3\xab'|1.0e+300\n");
    assert_rows(db,
                "SELECT l.label, count(f.id) FROM labels l LEFT JOIN f ON f.name = l.label "
                "GROUP BY l.label ORDER BY l.label",
                "'fifth'|0\n'first'|0\n'second as text'|0\n'third'|0\n");
    /* Two scans of the same table at once (one connection, two cursors). */
    assert_rows(db, "SELECT a.id, b.id FROM f a JOIN f b ON b.id = a.id + 1 ORDER BY a.id",
                "1|2\n2|3\n3|4\n");
    sqlite3_close(db);
}

static void test_postgres_view_and_names(void **state)
{
    (void)state;
    sqlite3 *db = db_open();
    assert_null(create(db, "v", g.conninfo, "public.flows_v"));
    assert_rows(db, "SELECT * FROM v ORDER BY id",
                "1|'alpha'|5.0\n2|'beta'|0.002\n3|'Zo\xc3\xab'|2.0e+300\n");
    assert_rows(db, "SELECT id FROM v WHERE twice > 1", "1\n3\n");
    /* Quoted identifiers, and an unqualified name found through search_path. */
    assert_null(create(db, "m", g.conninfo, "\"Other\".\"Mixed Case\""));
    assert_rows(db, "SELECT * FROM m ORDER BY \"Key\"", "1|'one'\n2|'two'\n");
    assert_rows(db, "SELECT \"the value\" FROM m WHERE \"Key\" = 2", "'two'\n");
    assert_null(create(db, "b", g.conninfo, "big"));
    assert_rows(db, "SELECT count(*) FROM b", "2500\n");
    /* A URI works as well as keyword/value. */
    char uri[128];
    snprintf(uri, sizeof uri, "postgresql://rampart@127.0.0.1:%d/rptest", g.port);
    assert_null(create(db, "u", uri, "public.flows"));
    assert_rows(db, "SELECT name FROM u WHERE id = 1", "'alpha'\n");
    sqlite3_close(db);
}

static void test_postgres_batches(void **state)
{
    (void)state;
    sqlite3 *db = db_open();
    assert_null(create(db, "b", g.conninfo, "public.big"));
    /* 2500 rows: batches of 1000, 1000, 500; 2000 rows: 1000, 1000 and an empty one. The
     * bytes received are the digits of 1..2500: 9 + 90*2 + 900*3 + 1501*4. */
    int64_t before = stats.bytes_scanned;
    assert_rows(db, "SELECT count(*), sum(n), min(n), max(n) FROM b", "2500|3126250|1|2500\n");
    assert_int_equal(stats.bytes_scanned - before, 8893);
    before = stats.bytes_scanned;
    assert_rows(db, "SELECT count(*), sum(n) FROM b WHERE n > 500", "2000|3001000\n");
    assert_int_equal(stats.bytes_scanned - before, 2000 * 4 - 500 + 1);
    /* LIMIT stops a scan in its first batch; the next statement starts afresh. */
    assert_rows(db, "SELECT n FROM b ORDER BY n LIMIT 2", "1\n2\n");
    assert_rows(db, "SELECT n FROM b LIMIT 1", "1\n");
    assert_rows(db, "SELECT count(*) FROM b WHERE n <= 1000", "1000\n");
    sqlite3_close(db);
}

static void test_postgres_errors(void **state)
{
    (void)state;
    sqlite3 *db = db_open();
    char *e = create(db, "x", g.conninfo, "public.nope");
    assert_string_equal(e, "postgres: no table 'public.nope'");
    free(e);
    e = create(db, "x", g.conninfo, "public.seq");
    assert_string_equal(e, "postgres: no table 'public.seq'");
    free(e);
    e = create(db, "x", g.conninfo, "a.b.c.d");
    assert_string_equal(
        e, "postgres: bad table name 'a.b.c.d': improper relation name (too many dotted names): "
           "a.b.c.d");
    free(e);

    char bad[160], want[256];
    int closed = free_port();
    snprintf(bad, sizeof bad, "host=127.0.0.1 port=%d dbname=rptest user=rampart", closed);
    snprintf(want, sizeof want,
             "postgres: cannot connect: connection to server at \"127.0.0.1\", port %d failed: "
             "Connection refused",
             closed);
    e = create(db, "x", bad, "public.flows");
    assert_string_equal(e, want);
    free(e);
    e = create(db, "x", "host=127.0.0.1 bogus=1", "public.flows");
    assert_string_equal(e, "postgres: cannot connect: invalid connection option \"bogus\"");
    free(e);
    snprintf(bad, sizeof bad, "host=127.0.0.1 port=%d dbname=nodb user=rampart", g.port);
    snprintf(want, sizeof want,
             "postgres: cannot connect: connection to server at \"127.0.0.1\", port %d failed: "
             "FATAL:  database \"nodb\" does not exist",
             g.port);
    e = create(db, "x", bad, "public.flows");
    assert_string_equal(e, want);
    free(e);

    char *err = NULL;
    assert_int_equal(
        sqlite3_exec(db, "CREATE VIRTUAL TABLE temp.x USING postgres('host=x')", NULL, NULL, &err),
        SQLITE_ERROR);
    assert_string_equal(err, "postgres: expected 2 arguments ('conninfo', 'schema.table'), got 1");
    sqlite3_free(err);

    /* An error while scanning is the statement's error; the table works again afterwards. */
    assert_null(create(db, "broken", g.conninfo, "public.broken"));
    assert_rows(db, "SELECT * FROM broken", "ERROR: postgres: division by zero\n");
    assert_rows(db, "SELECT id FROM broken WHERE id > 10", "");
    assert_null(create(db, "f", g.conninfo, "public.flows"));
    assert_rows(db, "SELECT f.id FROM f JOIN broken b ON b.id = f.id",
                "ERROR: postgres: division by zero\n");
    assert_rows(db, "SELECT count(*) FROM f", "4\n");
    sqlite3_close(db);
}

static void test_postgres_reconnect(void **state)
{
    (void)state;
    sqlite3 *db = db_flows();
    assert_rows(db, "SELECT count(*) FROM f", "4\n");
    /* The server ends the connection between two statements (waiting until it is gone); the
     * next scan connects again. */
    assert_int_equal(psql("rptest", "SELECT pg_terminate_backend(pid, 10000) FROM "
                                    "pg_stat_activity WHERE application_name = 'rampart'"),
                     0);
    assert_rows(db, "SELECT count(*) FROM f", "4\n");
    sqlite3_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_postgres_select_all),
        cmocka_unit_test(test_postgres_types),
        cmocka_unit_test(test_postgres_nulls),
        cmocka_unit_test(test_postgres_pushdown_int),
        cmocka_unit_test(test_postgres_pushdown_real),
        cmocka_unit_test(test_postgres_pushdown_text),
        cmocka_unit_test(test_postgres_pushdown_time),
        cmocka_unit_test(test_postgres_not_pushed),
        cmocka_unit_test(test_postgres_or),
        cmocka_unit_test(test_postgres_join),
        cmocka_unit_test(test_postgres_view_and_names),
        cmocka_unit_test(test_postgres_batches),
        cmocka_unit_test(test_postgres_errors),
        cmocka_unit_test(test_postgres_reconnect),
    };
    return cmocka_run_group_tests_name("query_postgres", tests, group_setup, group_teardown);
}
