/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of src/store (store.h): open, create and migrate; refusal of missing, foreign,
 * non-database and too-new files; WAL and pragmas; the statement cache; batches with
 * automatic commits and rollback; rejects with the raw-bytes cap; ingest checkpoints; info.
 * The store sources are compiled into this test with RP_TESTING (see CMakeLists.txt) so that
 * store_open_with() can play other migration lists. Every test works in its own mkdtemp
 * directory, never in the working directory. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/rp_embed.h"
#include "store/store.h"
#include "store/store_internal.h"
#include "core/rp_banned.h"

struct fx {
    char dir[256]; /* mkdtemp directory, removed in teardown */
    char db[320];  /* dir/rampart.db */
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    if (!f) return -1;
    const char *tmp = getenv("TMPDIR");
    snprintf(f->dir, sizeof f->dir, "%s/rp-store-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(f->dir)) {
        free(f);
        return -1;
    }
    snprintf(f->db, sizeof f->db, "%s/rampart.db", f->dir);
    *state = f;
    return 0;
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static int teardown(void **state)
{
    struct fx *f = *state;
    nftw(f->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(f);
    return 0;
}

static bool exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

static bool sibling_exists(const char *db, const char *suffix)
{
    char p[400];
    snprintf(p, sizeof p, "%s%s", db, suffix);
    return exists(p);
}

static struct rp_store *open_ok(const char *path, unsigned flags)
{
    struct rp_store *st = NULL;
    struct rp_errbuf eb = {0};
    rp_err e = rp_store_new(path, flags, &st, &eb);
    if (e) fail_msg("rp_store_new('%s'): %s: %s", path, rp_err_name(e), eb.msg);
    return st;
}

static void exec_ok(struct rp_store *st, const char *sql)
{
    struct rp_errbuf eb = {0};
    rp_err e = rp_store_exec(st, sql, &eb);
    if (e) fail_msg("exec '%s': %s: %s", sql, rp_err_name(e), eb.msg);
}

/* First column of the first row of sql as an integer. */
static int64_t query_int(struct rp_store *st, const char *sql)
{
    struct rp_store_stmt *s;
    struct rp_errbuf eb = {0};
    bool row = false;
    rp_err e = rp_store_stmt_prepare(st, sql, &s, &eb);
    if (!e) e = rp_store_stmt_step(s, &row, &eb);
    if (e || !row) fail_msg("query '%s': %s: %s", sql, rp_err_name(e), eb.msg);
    int64_t v = rp_store_stmt_column_int64(s, 0);
    rp_store_stmt_reset(s);
    return v;
}

static const char *query_text(struct rp_store *st, const char *sql, char *out, size_t outsz)
{
    struct rp_store_stmt *s;
    struct rp_errbuf eb = {0};
    bool row = false;
    rp_err e = rp_store_stmt_prepare(st, sql, &s, &eb);
    if (!e) e = rp_store_stmt_step(s, &row, &eb);
    if (e || !row) fail_msg("query '%s': %s: %s", sql, rp_err_name(e), eb.msg);
    snprintf(out, outsz, "%s", rp_store_stmt_column_text(s, 0, NULL));
    rp_store_stmt_reset(s);
    return out;
}

static void insert_t(struct rp_store *st, int64_t id, struct rp_errbuf *eb, rp_err want)
{
    struct rp_store_stmt *s;
    bool row;
    assert_int_equal(rp_store_stmt_prepare(st, "INSERT INTO t (id, v) VALUES (?1, ?2)", &s, eb),
                     RP_OK);
    assert_int_equal(rp_store_stmt_bind_int64(s, 1, id, eb), RP_OK);
    assert_int_equal(rp_store_stmt_bind_cstr(s, 2, "x", eb), RP_OK);
    assert_int_equal(rp_store_stmt_step(s, &row, eb), want);
}

/* ---- open, create, migrate ------------------------------------------------------------- */

static void test_store_open_creates_latest_schema(void **state)
{
    struct fx *f = *state;
    int latest = rp_store_schema_latest();
    assert_true(latest >= 1);
    assert_false(exists(f->db));
    struct rp_store *st = open_ok(f->db, RP_STORE_RDWR);
    assert_true(exists(f->db));
    assert_string_equal(rp_store_path(st), f->db);
    assert_int_equal(rp_store_schema_version(st), latest);
    assert_int_equal(rp_store_schema_version_opened(st), 0);
    assert_int_equal(query_int(st, "PRAGMA user_version"), latest);
    assert_int_equal(query_int(st, "PRAGMA application_id"), 0x52504442);
    assert_int_equal(query_int(st, "SELECT count(*) FROM store_migrations"), latest);
    assert_int_equal(query_int(st, "SELECT max(version) FROM store_migrations"), latest);
    char name[64];
    assert_string_equal(
        query_text(st, "SELECT name FROM store_migrations WHERE version = 1", name, sizeof name),
        "0001_base.sql");
    rp_store_free(st);
    rp_store_free(NULL); /* no-op */
}

static void test_store_reopen_is_noop(void **state)
{
    struct fx *f = *state;
    int latest = rp_store_schema_latest();
    struct rp_store *st = open_ok(f->db, RP_STORE_RDWR);
    exec_ok(st, "UPDATE store_migrations SET applied_ms = 42");
    rp_store_free(st);
    st = open_ok(f->db, RP_STORE_RDWR);
    assert_int_equal(rp_store_schema_version_opened(st), latest);
    assert_int_equal(rp_store_schema_version(st), latest);
    assert_int_equal(query_int(st, "SELECT count(*) FROM store_migrations"), latest);
    assert_int_equal(query_int(st, "SELECT count(*) FROM store_migrations WHERE applied_ms = 42"),
                     latest);
    rp_store_free(st);
    st = open_ok(f->db, RP_STORE_RDONLY);
    assert_int_equal(rp_store_schema_version(st), latest);
    rp_store_free(st);
}

static void test_store_newer_version_refused(void **state)
{
    struct fx *f = *state;
    struct rp_store *st = open_ok(f->db, RP_STORE_RDWR);
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", rp_store_schema_latest() + 1);
    exec_ok(st, sql);
    rp_store_free(st);

    unsigned modes[] = {RP_STORE_RDWR, RP_STORE_RDONLY};
    for (size_t i = 0; i < 2; i++) {
        struct rp_errbuf eb = {0};
        st = (struct rp_store *)&eb; /* must be reset to NULL */
        assert_int_equal(rp_store_new(f->db, modes[i], &st, &eb), RP_EDB);
        assert_null(st);
        assert_non_null(strstr(eb.msg, "store: cannot open '"));
        assert_non_null(strstr(eb.msg, f->db));
        assert_non_null(strstr(eb.msg, "newer than this rampart"));
    }
}

static void test_store_negative_version_refused(void **state)
{
    struct fx *f = *state;
    struct rp_store *st = open_ok(f->db, RP_STORE_RDWR);
    exec_ok(st, "PRAGMA user_version = -1");
    rp_store_free(st);
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_store_new(f->db, RP_STORE_RDWR, &st, &eb), RP_EDB);
    assert_null(st);
    assert_non_null(strstr(eb.msg, "invalid schema version -1"));
}

static void test_store_write_protected_file_is_eperm(void **state)
{
    struct fx *f = *state;
    if (geteuid() == 0) skip(); /* root writes through file modes */
    rp_store_free(open_ok(f->db, RP_STORE_RDWR));
    assert_int_equal(chmod(f->db, 0444), 0);
    struct rp_store *st = NULL;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_store_new(f->db, RP_STORE_RDWR, &st, &eb), RP_EPERM);
    assert_null(st);
    assert_non_null(strstr(eb.msg, "for writing: the file is read-only"));
    st = open_ok(f->db, RP_STORE_RDONLY); /* reading still works */
    rp_store_free(st);
}

static const struct rp_embed_file *base_migration(void)
{
    const struct rp_embed_file *m = rp_embed_find("schemas/store/0001_base.sql");
    assert_non_null(m);
    return m;
}

static void test_store_migration_failure_rolls_back(void **state)
{
    struct fx *f = *state;
    static const char bad[] = "CREATE TABLE x (a); INSERT INTO nope VALUES (1);";
    struct rp_embed_file migs[2] = {
        *base_migration(),
        {"schemas/store/0002_bad.sql", (const unsigned char *)bad, sizeof bad - 1},
    };
    struct rp_store *st = NULL;
    struct rp_errbuf eb = {0};
    assert_int_equal(store_open_with(f->db, RP_STORE_RDWR, migs, 2, &st, &eb), RP_EDB);
    assert_null(st);
    assert_non_null(strstr(eb.msg, "store: cannot apply migration '0002_bad.sql' to '"));
    assert_non_null(strstr(eb.msg, "no such table: nope"));

    /* Migration 1 committed, migration 2 left nothing behind. */
    st = open_ok(f->db, RP_STORE_RDONLY);
    assert_int_equal(rp_store_schema_version(st), 1);
    assert_int_equal(query_int(st, "SELECT count(*) FROM sqlite_schema WHERE name = 'x'"), 0);
    assert_int_equal(query_int(st, "SELECT count(*) FROM store_migrations"), 1);
    rp_store_free(st);
}

static void test_store_migration_upgrades_and_older_binary_refused(void **state)
{
    struct fx *f = *state;
    static const char ok2[] = "CREATE TABLE y (a INTEGER);";
    struct rp_embed_file migs[2] = {
        *base_migration(),
        {"schemas/store/0002_y.sql", (const unsigned char *)ok2, sizeof ok2 - 1},
    };
    struct rp_store *st = NULL;
    struct rp_errbuf eb = {0};
    /* A version-1 file, then a binary with two migrations upgrades it. */
    assert_int_equal(store_open_with(f->db, RP_STORE_RDWR, migs, 1, &st, &eb), RP_OK);
    assert_int_equal(rp_store_schema_version(st), 1);
    rp_store_free(st);
    assert_int_equal(store_open_with(f->db, RP_STORE_RDWR, migs, 2, &st, &eb), RP_OK);
    assert_int_equal(rp_store_schema_version_opened(st), 1);
    assert_int_equal(rp_store_schema_version(st), 2);
    assert_int_equal(query_int(st, "SELECT count(*) FROM y"), 0);
    rp_store_free(st);
    /* A read-only open never migrates. */
    assert_int_equal(store_open_with(f->db, RP_STORE_RDONLY, migs, 2, &st, &eb), RP_OK);
    assert_int_equal(rp_store_schema_version(st), 2);
    rp_store_free(st);
    /* The one-migration binary must refuse the version-2 file. */
    assert_int_equal(store_open_with(f->db, RP_STORE_RDWR, migs, 1, &st, &eb), RP_EDB);
    assert_null(st);
    assert_non_null(strstr(eb.msg, "schema version 2 is newer than this rampart supports (1)"));
}

static void test_store_migration_sequence_checked(void **state)
{
    struct fx *f = *state;
    static const char sql[] = "SELECT 1;";
    struct rp_embed_file migs[2] = {
        *base_migration(),
        {"schemas/store/0003_gap.sql", (const unsigned char *)sql, sizeof sql - 1},
    };
    struct rp_store *st = NULL;
    struct rp_errbuf eb = {0};
    assert_int_equal(store_open_with(f->db, RP_STORE_RDWR, migs, 2, &st, &eb), RP_EINTERNAL);
    assert_null(st);
    assert_non_null(strstr(eb.msg, "0003_gap.sql' is out of sequence"));
    assert_false(exists(f->db));
}

static void test_store_wal_and_pragmas(void **state)
{
    struct fx *f = *state;
    struct rp_store *st = open_ok(f->db, RP_STORE_RDWR);
    char mode[16];
    assert_string_equal(query_text(st, "PRAGMA journal_mode", mode, sizeof mode), "wal");
    assert_int_equal(query_int(st, "PRAGMA synchronous"), 1); /* NORMAL */
    assert_int_equal(query_int(st, "PRAGMA foreign_keys"), 1);
    assert_int_equal(query_int(st, "PRAGMA busy_timeout"), RP_STORE_BUSY_TIMEOUT_MS);
    assert_true(sibling_exists(f->db, "-wal"));
    rp_store_free(st);
    /* WAL is a property of the file: a read-only open sees it too. */
    st = open_ok(f->db, RP_STORE_RDONLY);
    assert_string_equal(query_text(st, "PRAGMA journal_mode", mode, sizeof mode), "wal");
    rp_store_free(st);
}

static void test_store_readonly_missing_is_enoent(void **state)
{
    struct fx *f = *state;
    char missing_dir[400];
    snprintf(missing_dir, sizeof missing_dir, "%s/no/such/dir.db", f->dir);
    const char *paths[] = {f->db, missing_dir};
    for (size_t i = 0; i < 2; i++) {
        struct rp_store *st = NULL;
        struct rp_errbuf eb = {0};
        assert_int_equal(rp_store_new(paths[i], RP_STORE_RDONLY, &st, &eb), RP_ENOENT);
        assert_null(st);
        char want[512];
        snprintf(want, sizeof want, "store: no database at '%s'", paths[i]);
        assert_string_equal(eb.msg, want);
        assert_false(exists(paths[i]));
        assert_false(sibling_exists(paths[i], "-wal"));
        assert_false(sibling_exists(paths[i], "-shm"));
    }
}

static void test_store_not_a_database_refused(void **state)
{
    struct fx *f = *state;
    static const char text[] =
        "this is not a database, it is a CloudTrail file\n{\"Records\":[]}\n";
    FILE *fp = fopen(f->db, "wb");
    assert_non_null(fp);
    for (int i = 0; i < 64; i++)
        assert_int_equal(fwrite(text, 1, sizeof text - 1, fp), sizeof text - 1);
    assert_int_equal(fclose(fp), 0);

    unsigned modes[] = {RP_STORE_RDONLY, RP_STORE_RDWR};
    for (size_t i = 0; i < 2; i++) {
        struct rp_store *st = NULL;
        struct rp_errbuf eb = {0};
        assert_int_equal(rp_store_new(f->db, modes[i], &st, &eb), RP_EDB);
        assert_null(st);
        char want[512];
        snprintf(want, sizeof want, "store: cannot open '%s': file is not a database", f->db);
        assert_string_equal(eb.msg, want);
    }
    struct stat sb;
    assert_int_equal(stat(f->db, &sb), 0);
    assert_int_equal(sb.st_size, 64 * (sizeof text - 1)); /* untouched */
    assert_false(sibling_exists(f->db, "-wal"));
}

static void test_store_foreign_database_refused(void **state)
{
    struct fx *f = *state;
    struct rp_store *st = open_ok(f->db, RP_STORE_RDWR);
    exec_ok(st, "PRAGMA application_id = 7");
    rp_store_free(st);
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_store_new(f->db, RP_STORE_RDWR, &st, &eb), RP_EDB);
    assert_non_null(strstr(eb.msg, "not a rampart database (application_id 0x00000007"));

    /* Another application's file without an application_id: tables but version 0. */
    char other[400];
    snprintf(other, sizeof other, "%s/other.db", f->dir);
    st = open_ok(other, RP_STORE_RDWR);
    exec_ok(st, "PRAGMA application_id = 0; PRAGMA user_version = 0");
    rp_store_free(st);
    assert_int_equal(rp_store_new(other, RP_STORE_RDONLY, &st, &eb), RP_EDB);
    assert_null(st);
    assert_non_null(strstr(eb.msg, "not a rampart database (application_id 0x00000000"));
}

static void test_store_readonly_refuses_writes(void **state)
{
    struct fx *f = *state;
    rp_store_free(open_ok(f->db, RP_STORE_RDWR));
    struct rp_store *st = open_ok(f->db, RP_STORE_RDONLY);
    struct rp_errbuf eb = {0};
    struct rp_store_reject r = {.source = "a", .reason = "b", .raw = "c", .raw_n = 1};
    assert_int_equal(rp_store_reject_add(st, &r, NULL, &eb), RP_EDB);
    assert_non_null(strstr(eb.msg, "readonly"));
    assert_int_equal(rp_store_batch_begin(st, 10, NULL, NULL, &eb), RP_EINVAL);
    assert_non_null(strstr(eb.msg, "read-only"));
    rp_store_free(st);
}

static void test_store_readonly_leaves_no_files(void **state)
{
    struct fx *f = *state;
    struct rp_store *st = open_ok(f->db, RP_STORE_RDWR);
    exec_ok(st, "CREATE TABLE t (a); INSERT INTO t VALUES (1)");
    rp_store_free(st); /* the last connection checkpoints and removes -wal and -shm */
    assert_false(sibling_exists(f->db, "-wal"));
    struct stat before, after;
    assert_int_equal(stat(f->db, &before), 0);
    st = open_ok(f->db, RP_STORE_RDONLY);
    assert_int_equal(query_int(st, "SELECT count(*) FROM t"), 1);
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_store_exec(st, "PRAGMA user_version = 5", &eb), RP_EDB);
    assert_int_equal(rp_store_exec(st, "DROP TABLE t", &eb), RP_EDB);
    rp_store_free(st);
    assert_false(sibling_exists(f->db, "-wal"));
    assert_false(sibling_exists(f->db, "-shm"));
    assert_int_equal(stat(f->db, &after), 0);
    assert_int_equal(after.st_size, before.st_size);
    assert_true(after.st_mtim.tv_sec == before.st_mtim.tv_sec &&
                after.st_mtim.tv_nsec == before.st_mtim.tv_nsec);
    st = open_ok(f->db, RP_STORE_RDONLY);
    assert_int_equal(rp_store_schema_version(st), rp_store_schema_latest());
    rp_store_free(st);
}

static void test_store_memory_and_bad_args(void **state)
{
    (void)state;
    struct rp_store *st = open_ok(":memory:", RP_STORE_RDWR);
    assert_int_equal(rp_store_schema_version(st), rp_store_schema_latest());
    rp_store_free(st);
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_store_new(":memory:", RP_STORE_RDONLY, &st, &eb), RP_EINVAL);
    assert_null(st);
    assert_int_equal(rp_store_new("x.db", 0x80, &st, &eb), RP_EINVAL);
    assert_int_equal(rp_store_new("", RP_STORE_RDWR, &st, &eb), RP_EINVAL);
}

/* ---- statements ------------------------------------------------------------------------ */

static void test_stmt_cache_reuses_handles(void **state)
{
    (void)state;
    struct rp_store *st = open_ok(":memory:", RP_STORE_RDWR);
    struct rp_errbuf eb = {0};
    exec_ok(st, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);"
                "INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c')");
    struct rp_store_stmt *a, *a2, *b;
    const char *sql_a = "SELECT id, v FROM t WHERE id >= ?1 ORDER BY id";
    char copy[128];
    snprintf(copy, sizeof copy, "%s", sql_a); /* same text, different pointer */
    assert_int_equal(rp_store_stmt_prepare(st, sql_a, &a, &eb), RP_OK);
    assert_int_equal(rp_store_stmt_prepare(st, "SELECT count(*) FROM t", &b, &eb), RP_OK);
    assert_ptr_not_equal(a, b);

    bool row;
    assert_int_equal(rp_store_stmt_bind_int64(a, 1, 2, &eb), RP_OK);
    assert_int_equal(rp_store_stmt_step(a, &row, &eb), RP_OK);
    assert_true(row);
    assert_int_equal(rp_store_stmt_column_int64(a, 0), 2);
    /* Preparing the same text again hands back the same handle, rewound and unbound. */
    assert_int_equal(rp_store_stmt_prepare(st, copy, &a2, &eb), RP_OK);
    assert_ptr_equal(a, a2);
    assert_int_equal(rp_store_stmt_step(a2, &row, &eb), RP_OK); /* ?1 is NULL now: no rows */
    assert_false(row);
    assert_int_equal(rp_store_stmt_bind_int64(a2, 1, 0, &eb), RP_OK);
    int n = 0;
    while (rp_store_stmt_step(a2, &row, &eb) == RP_OK && row) n++;
    assert_int_equal(n, 3);
    /* Done statements restart with their bindings kept. */
    assert_int_equal(rp_store_stmt_step(a2, &row, &eb), RP_OK);
    assert_true(row);
    assert_int_equal(rp_store_stmt_column_int64(a2, 0), 1);
    rp_store_stmt_reset(a2);

    assert_int_equal(rp_store_stmt_prepare(st, "SELECT * FROM nope", &b, &eb), RP_EDB);
    assert_null(b);
    assert_string_equal(eb.msg,
                        "store: cannot prepare \"SELECT * FROM nope\" on ':memory:': no such "
                        "table: nope");
    assert_int_equal(rp_store_stmt_prepare(st, "SELECT 1; SELECT 2", &b, &eb), RP_EINVAL);
    assert_non_null(strstr(eb.msg, "more than one statement"));
    assert_int_equal(rp_store_stmt_prepare(st, "  ", &b, &eb), RP_EINVAL);
    assert_int_equal(rp_store_stmt_bind_int64(a, 9, 1, &eb), RP_EDB);
    assert_non_null(strstr(eb.msg, "cannot bind parameter 9 of"));

    /* The cache is bounded: distinct texts past the cap fail, cached ones keep working. */
    rp_err e = RP_OK;
    int made = 0;
    for (int i = 0; i < RP_MAX_STORE_STMTS + 1 && !e; i++) {
        char sql[64];
        snprintf(sql, sizeof sql, "SELECT %d", i);
        e = rp_store_stmt_prepare(st, sql, &b, &eb);
        if (!e) made++;
    }
    assert_int_equal(e, RP_ELIMIT);
    assert_true(made > 0 && made < RP_MAX_STORE_STMTS);
    assert_non_null(strstr(eb.msg, "more than 256 distinct statements"));
    assert_int_equal(rp_store_stmt_prepare(st, sql_a, &a2, &eb), RP_OK);
    assert_ptr_equal(a, a2);
    assert_int_equal(rp_store_stmt_prepare(st, "SELECT 0", &b, &eb), RP_OK);
    rp_store_free(st);
}

static void test_stmt_bind_and_columns(void **state)
{
    (void)state;
    struct rp_store *st = open_ok(":memory:", RP_STORE_RDWR);
    struct rp_errbuf eb = {0};
    struct rp_store_stmt *s;
    bool row;
    assert_int_equal(rp_store_stmt_prepare(st, "SELECT ?1 AS i, ?2, ?3, ?4, ?5, ?6, ?7", &s, &eb),
                     RP_OK);
    static const char blob[] = {'a', 0, 'b'};
    assert_int_equal(rp_store_stmt_bind_int64(s, 1, INT64_MIN, &eb), RP_OK);
    assert_int_equal(rp_store_stmt_bind_double(s, 2, 1.5, &eb), RP_OK);
    assert_int_equal(rp_store_stmt_bind_text(s, 3, "hello world", 5, &eb), RP_OK);
    assert_int_equal(rp_store_stmt_bind_blob(s, 4, blob, sizeof blob, &eb), RP_OK);
    assert_int_equal(rp_store_stmt_bind_null(s, 5, &eb), RP_OK);
    assert_int_equal(rp_store_stmt_bind_blob(s, 6, NULL, 0, &eb), RP_OK);
    assert_int_equal(rp_store_stmt_bind_cstr(s, 7, NULL, &eb), RP_OK);
    assert_int_equal(rp_store_stmt_step(s, &row, &eb), RP_OK);
    assert_true(row);
    assert_int_equal(rp_store_stmt_column_count(s), 7);
    assert_string_equal(rp_store_stmt_column_name(s, 0), "i");
    assert_int_equal(rp_store_stmt_column_type(s, 0), RP_STORE_INT);
    assert_true(rp_store_stmt_column_int64(s, 0) == INT64_MIN);
    assert_int_equal(rp_store_stmt_column_type(s, 1), RP_STORE_REAL);
    assert_true(rp_store_stmt_column_double(s, 1) == 1.5);
    size_t len;
    assert_int_equal(rp_store_stmt_column_type(s, 2), RP_STORE_TEXT);
    assert_string_equal(rp_store_stmt_column_text(s, 2, &len), "hello");
    assert_int_equal(len, 5);
    assert_int_equal(rp_store_stmt_column_type(s, 3), RP_STORE_BLOB);
    const void *p = rp_store_stmt_column_blob(s, 3, &len);
    assert_int_equal(len, 3);
    assert_memory_equal(p, blob, 3);
    assert_int_equal(rp_store_stmt_column_type(s, 4), RP_STORE_NULL);
    assert_null(rp_store_stmt_column_text(s, 4, &len));
    assert_int_equal(len, 0);
    assert_int_equal(rp_store_stmt_column_type(s, 5), RP_STORE_BLOB); /* empty, not NULL */
    assert_int_equal(rp_store_stmt_column_type(s, 6), RP_STORE_NULL);
    assert_int_equal(rp_store_stmt_column_type(s, 99), RP_STORE_NULL);
    rp_store_stmt_reset(s);

    exec_ok(st, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)");
    insert_t(st, 5, &eb, RP_OK);
    assert_int_equal(rp_store_last_insert_id(st), 5);
    assert_int_equal(rp_store_changes(st), 1);
    insert_t(st, 5, &eb, RP_EEXIST);
    assert_non_null(strstr(eb.msg, "UNIQUE constraint failed: t.id"));
    assert_int_equal(rp_store_exec(st, "INSERT INTO t (id) VALUES (6)", &eb), RP_EDB);
    assert_non_null(strstr(eb.msg, "NOT NULL constraint failed"));
    rp_store_free(st);
}

/* ---- batches --------------------------------------------------------------------------- */

struct precommit_log {
    int calls;
    rp_err fail_with; /* returned from the call, RP_OK to let commits through */
};

static rp_err precommit(struct rp_store *st, void *ctx, struct rp_errbuf *eb)
{
    struct precommit_log *l = ctx;
    l->calls++;
    if (l->fail_with) return rp_fail(eb, l->fail_with, "test: precommit refused");
    /* Runs inside the transaction: the progress row commits with the data rows. */
    return rp_store_exec(st, "INSERT INTO progress VALUES ((SELECT count(*) FROM t))", eb);
}

static void test_batch_commits_every_n_rows(void **state)
{
    struct fx *f = *state;
    struct rp_store *st = open_ok(f->db, RP_STORE_RDWR);
    struct rp_errbuf eb = {0};
    exec_ok(st, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); CREATE TABLE progress (n)");
    struct rp_store *reader = open_ok(f->db, RP_STORE_RDONLY);

    struct precommit_log log = {0};
    assert_int_equal(rp_store_batch_begin(st, 3, precommit, &log, &eb), RP_OK);
    assert_int_equal(rp_store_batch_begin(st, 3, NULL, NULL, &eb), RP_EINVAL);
    for (int i = 1; i <= 7; i++) {
        insert_t(st, i, &eb, RP_OK);
        assert_int_equal(rp_store_batch_add(st, 1, &eb), RP_OK);
        /* Another connection sees exactly the committed rows. */
        assert_int_equal(query_int(reader, "SELECT count(*) FROM t"), i / 3 * 3);
    }
    assert_int_equal(log.calls, 2);
    char buf[32];
    assert_string_equal(
        query_text(reader, "SELECT group_concat(n, ',') FROM progress", buf, sizeof buf), "3,6");
    rp_store_batch_rollback(st); /* row 7 goes */
    assert_int_equal(query_int(st, "SELECT count(*) FROM t"), 6);
    assert_int_equal(rp_store_batch_add(st, 1, &eb), RP_EINVAL);
    assert_int_equal(rp_store_batch_commit(st, &eb), RP_EINVAL);
    rp_store_batch_rollback(st); /* no-op */

    /* every 0: only the final commit; a multi-row add crosses the threshold once. */
    assert_int_equal(rp_store_batch_begin(st, 0, NULL, NULL, &eb), RP_OK);
    insert_t(st, 8, &eb, RP_OK);
    insert_t(st, 9, &eb, RP_OK);
    assert_int_equal(rp_store_batch_add(st, 1000, &eb), RP_OK);
    assert_int_equal(query_int(reader, "SELECT count(*) FROM t"), 6);
    assert_int_equal(rp_store_batch_commit(st, &eb), RP_OK);
    assert_int_equal(query_int(reader, "SELECT count(*) FROM t"), 8);
    rp_store_free(reader);
    rp_store_free(st);
}

static void test_batch_rolls_back_on_error(void **state)
{
    struct fx *f = *state;
    struct rp_store *st = open_ok(f->db, RP_STORE_RDWR);
    struct rp_errbuf eb = {0};
    exec_ok(st, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); CREATE TABLE progress (n)");
    exec_ok(st, "INSERT INTO t VALUES (100, 'before')");

    /* A failed write: the caller rolls back; only what was there before stays. */
    assert_int_equal(rp_store_batch_begin(st, 100, NULL, NULL, &eb), RP_OK);
    for (int i = 1; i <= 3; i++) {
        insert_t(st, i, &eb, RP_OK);
        assert_int_equal(rp_store_batch_add(st, 1, &eb), RP_OK);
    }
    insert_t(st, 2, &eb, RP_EEXIST);
    rp_store_batch_rollback(st);
    assert_int_equal(query_int(st, "SELECT count(*) FROM t"), 1);

    /* A failing precommit cancels the commit and ends the batch. */
    struct precommit_log log = {.fail_with = RP_EIO};
    assert_int_equal(rp_store_batch_begin(st, 2, precommit, &log, &eb), RP_OK);
    insert_t(st, 1, &eb, RP_OK);
    assert_int_equal(rp_store_batch_add(st, 1, &eb), RP_OK);
    insert_t(st, 2, &eb, RP_OK);
    assert_int_equal(rp_store_batch_add(st, 1, &eb), RP_EIO);
    assert_string_equal(eb.msg, "test: precommit refused");
    assert_int_equal(query_int(st, "SELECT count(*) FROM t"), 1);
    assert_int_equal(rp_store_batch_add(st, 1, &eb), RP_EINVAL); /* ended */
    log.fail_with = RP_OK;
    assert_int_equal(rp_store_batch_begin(st, 0, precommit, &log, &eb), RP_OK);
    insert_t(st, 1, &eb, RP_OK);
    log.fail_with = RP_ELIMIT;
    assert_int_equal(rp_store_batch_commit(st, &eb), RP_ELIMIT);
    assert_int_equal(query_int(st, "SELECT count(*) FROM t"), 1);

    /* Freeing the store with a batch open rolls it back. */
    assert_int_equal(rp_store_batch_begin(st, 0, NULL, NULL, &eb), RP_OK);
    insert_t(st, 50, &eb, RP_OK);
    rp_store_free(st);
    st = open_ok(f->db, RP_STORE_RDONLY);
    assert_int_equal(query_int(st, "SELECT count(*) FROM t"), 1);
    rp_store_free(st);
}

/* ---- rejects --------------------------------------------------------------------------- */

struct seen {
    int n;
    struct rp_store_reject r[8];
    unsigned char *raw[8];
    char source[8][64];
    rp_err stop_with; /* returned after the first call */
};

static rp_err collect(const struct rp_store_reject *r, void *ctx)
{
    struct seen *s = ctx;
    if (s->n == 8) return RP_ELIMIT;
    s->r[s->n] = *r;
    s->raw[s->n] = malloc(r->raw_n ? r->raw_n : 1);
    if (r->raw_n) memcpy(s->raw[s->n], r->raw, r->raw_n);
    snprintf(s->source[s->n], sizeof s->source[0], "%s", r->source);
    s->r[s->n].source = s->source[s->n];
    s->r[s->n].format = NULL; /* borrowed; not kept */
    s->r[s->n].reason = NULL;
    s->r[s->n].raw = s->raw[s->n];
    s->n++;
    return s->stop_with;
}

static void seen_release(struct seen *s)
{
    for (int i = 0; i < s->n; i++) free(s->raw[i]);
    memset(s, 0, sizeof *s);
}

static void test_reject_add_list_caps_raw(void **state)
{
    struct fx *f = *state;
    struct rp_store *st = open_ok(f->db, RP_STORE_RDWR);
    struct rp_errbuf eb = {0};
    size_t big_n = RP_MAX_REJECT_BYTES + 100;
    unsigned char *big = malloc(big_n);
    assert_non_null(big);
    for (size_t i = 0; i < big_n; i++) big[i] = (unsigned char)(i * 7); /* NULs included */

    int64_t ids[6];
    struct rp_store_reject in[6] = {
        {.source = "a.json",
         .format = "cloudtrail",
         .offset = 10,
         .line = 2,
         .reason = "bad json",
         .raw = "{\"x\":",
         .raw_n = 5,
         .time_ms = 1700000000123},
        {.source = "b.json", .offset = 0, .reason = "too big", .raw = big, .raw_n = big_n},
        {.source = "a.json",
         .offset = -1,
         .reason = "exact",
         .raw = big,
         .raw_n = RP_MAX_REJECT_BYTES},
        {.source = "a.json",
         .offset = 99,
         .reason = "partial",
         .raw = "hello",
         .raw_n = 5,
         .orig_len = 1000},
        {.source = "a.json", .offset = 100, .line = 7, .reason = "empty", .raw = NULL, .raw_n = 0},
        {.source = "c.json",
         .offset = 5,
         .reason = "orig smaller than raw",
         .raw = "abc",
         .raw_n = 3,
         .orig_len = 1},
    };
    for (int i = 0; i < 6; i++)
        assert_int_equal(rp_store_reject_add(st, &in[i], &ids[i], &eb), RP_OK);
    for (int i = 1; i < 6; i++) assert_true(ids[i] > ids[i - 1]);

    struct seen s = {0};
    assert_int_equal(rp_store_reject_list(st, NULL, collect, &s, &eb), RP_OK);
    assert_int_equal(s.n, 6);
    /* 0: everything as given, explicit time kept */
    assert_int_equal(s.r[0].id, ids[0]);
    assert_true(s.r[0].time_ms == 1700000000123);
    assert_string_equal(s.r[0].source, "a.json");
    assert_int_equal(s.r[0].offset, 10);
    assert_int_equal(s.r[0].line, 2);
    assert_int_equal(s.r[0].raw_n, 5);
    assert_memory_equal(s.r[0].raw, "{\"x\":", 5);
    assert_int_equal(s.r[0].orig_len, 5);
    assert_false(s.r[0].truncated);
    /* 1: capped at exactly RP_MAX_REJECT_BYTES, original length and flag kept */
    assert_true(s.r[1].time_ms > 1700000000123); /* now */
    assert_int_equal(s.r[1].raw_n, RP_MAX_REJECT_BYTES);
    assert_memory_equal(s.r[1].raw, big, RP_MAX_REJECT_BYTES);
    assert_int_equal(s.r[1].orig_len, big_n);
    assert_true(s.r[1].truncated);
    assert_int_equal(s.r[1].offset, 0);
    assert_int_equal(s.r[1].line, 0);
    /* 2: exactly at the cap is not truncated; unknown offset reads back as -1 */
    assert_int_equal(s.r[2].raw_n, RP_MAX_REJECT_BYTES);
    assert_int_equal(s.r[2].orig_len, RP_MAX_REJECT_BYTES);
    assert_false(s.r[2].truncated);
    assert_int_equal(s.r[2].offset, -1);
    /* 3: the caller had only part of the record */
    assert_int_equal(s.r[3].raw_n, 5);
    assert_int_equal(s.r[3].orig_len, 1000);
    assert_true(s.r[3].truncated);
    /* 4: empty raw */
    assert_int_equal(s.r[4].raw_n, 0);
    assert_int_equal(s.r[4].orig_len, 0);
    assert_false(s.r[4].truncated);
    assert_int_equal(s.r[4].line, 7);
    /* 5: orig_len below raw_n is raised to raw_n */
    assert_int_equal(s.r[5].orig_len, 3);
    assert_false(s.r[5].truncated);
    seen_release(&s);

    /* Filter by source, page with after_id and limit. */
    struct rp_store_reject_filter flt = {.source = "a.json", .limit = 2};
    assert_int_equal(rp_store_reject_list(st, &flt, collect, &s, &eb), RP_OK);
    assert_int_equal(s.n, 2);
    assert_int_equal(s.r[0].id, ids[0]);
    assert_int_equal(s.r[1].id, ids[2]);
    flt.after_id = s.r[1].id;
    seen_release(&s);
    assert_int_equal(rp_store_reject_list(st, &flt, collect, &s, &eb), RP_OK);
    assert_int_equal(s.n, 2);
    assert_int_equal(s.r[0].id, ids[3]);
    assert_int_equal(s.r[1].id, ids[4]);
    seen_release(&s);

    /* A callback error stops the walk and comes back. */
    s.stop_with = RP_EIO;
    assert_int_equal(rp_store_reject_list(st, NULL, collect, &s, &eb), RP_EIO);
    assert_int_equal(s.n, 1);
    seen_release(&s);

    int64_t n;
    assert_int_equal(rp_store_reject_count(st, NULL, &n, &eb), RP_OK);
    assert_int_equal(n, 6);
    assert_int_equal(rp_store_reject_count(st, "a.json", &n, &eb), RP_OK);
    assert_int_equal(n, 4);
    assert_int_equal(rp_store_reject_delete(st, "a.json", &eb), RP_OK);
    assert_int_equal(rp_store_reject_count(st, NULL, &n, &eb), RP_OK);
    assert_int_equal(n, 2);
    assert_int_equal(rp_store_reject_delete(st, NULL, &eb), RP_OK);
    assert_int_equal(rp_store_reject_count(st, NULL, &n, &eb), RP_OK);
    assert_int_equal(n, 0);

    struct rp_store_reject bad = {.source = "x", .raw = "y", .raw_n = 1};
    assert_int_equal(rp_store_reject_add(st, &bad, NULL, &eb), RP_EINVAL);
    assert_non_null(strstr(eb.msg, "missing reason"));
    bad.reason = "r";
    bad.raw = NULL;
    assert_int_equal(rp_store_reject_add(st, &bad, NULL, &eb), RP_EINVAL);
    free(big);
    rp_store_free(st);
}

/* ---- checkpoints ----------------------------------------------------------------------- */

static void test_checkpoint_put_get_update(void **state)
{
    struct fx *f = *state;
    struct rp_store *st = open_ok(f->db, RP_STORE_RDWR);
    struct rp_errbuf eb = {0};
    struct rp_arena a;
    rp_arena_init(&a, 0);
    struct rp_store_checkpoint cp = {
        .path = "logs/AWSLogs/1.json.gz",
        .size = 12345,
        .mtime_ns = 1700000000123456789,
        .hash = "xxh3:0123456789abcdef",
        .format = "cloudtrail",
        .bytes_done = 4096,
        .records_done = 10,
        .records_rejected = 1,
        .updated_ms = 1000,
    };
    assert_int_equal(rp_store_checkpoint_put(st, &cp, &eb), RP_OK);
    struct rp_store_checkpoint got;
    assert_int_equal(rp_store_checkpoint_get(&a, st, cp.path, &got, &eb), RP_OK);
    assert_string_equal(got.path, cp.path);
    assert_int_equal(got.size, 12345);
    assert_true(got.mtime_ns == 1700000000123456789);
    assert_string_equal(got.hash, "xxh3:0123456789abcdef");
    assert_null(got.etag);
    assert_string_equal(got.format, "cloudtrail");
    assert_int_equal(got.bytes_done, 4096);
    assert_int_equal(got.records_done, 10);
    assert_int_equal(got.records_rejected, 1);
    assert_false(got.completed);
    assert_int_equal(got.first_ms, 1000);
    assert_int_equal(got.updated_ms, 1000);

    /* Update in place: progress moves on, first_ms stays, updated_ms 0 means now. */
    cp.bytes_done = 12345;
    cp.records_done = 42;
    cp.completed = true;
    cp.etag = "\"9b2cf535f27731c974343645a3985328\"";
    cp.updated_ms = 0;
    assert_int_equal(rp_store_checkpoint_put(st, &cp, &eb), RP_OK);
    assert_int_equal(rp_store_checkpoint_get(&a, st, cp.path, &got, &eb), RP_OK);
    assert_int_equal(got.bytes_done, 12345);
    assert_int_equal(got.records_done, 42);
    assert_true(got.completed);
    assert_string_equal(got.etag, cp.etag);
    assert_int_equal(got.first_ms, 1000);
    assert_true(got.updated_ms > 1000);
    assert_int_equal(query_int(st, "SELECT count(*) FROM ingest_checkpoints"), 1);

    assert_int_equal(rp_store_checkpoint_get(&a, st, "nope.gz", &got, &eb), RP_ENOENT);
    assert_string_equal(eb.msg, "store: no checkpoint for 'nope.gz'");
    assert_int_equal(rp_store_checkpoint_delete(st, cp.path, &eb), RP_OK);
    assert_int_equal(rp_store_checkpoint_get(&a, st, cp.path, &got, &eb), RP_ENOENT);
    assert_int_equal(rp_store_checkpoint_delete(st, cp.path, &eb), RP_OK);
    struct rp_store_checkpoint nopath = {0};
    assert_int_equal(rp_store_checkpoint_put(st, &nopath, &eb), RP_EINVAL);
    rp_arena_release(&a);
    rp_store_free(st);
}

/* ---- info ------------------------------------------------------------------------------ */

/* Rows of table name in info, -1 when info does not list it. */
static int64_t table_rows(const struct rp_store_info *info, const char *name)
{
    for (size_t i = 0; i < info->ntables; i++)
        if (strcmp(info->tables[i].name, name) == 0) return info->tables[i].rows;
    return -1;
}

static void test_info_counts_rows_exactly(void **state)
{
    struct fx *f = *state;
    struct rp_store *st = open_ok(f->db, RP_STORE_RDWR);
    struct rp_errbuf eb = {0};
    for (int i = 0; i < 3; i++) {
        struct rp_store_reject r = {.source = "s", .reason = "r", .raw = "x", .raw_n = 1};
        assert_int_equal(rp_store_reject_add(st, &r, NULL, &eb), RP_OK);
    }
    for (int i = 0; i < 2; i++) {
        char path[16];
        snprintf(path, sizeof path, "f%d", i);
        struct rp_store_checkpoint cp = {.path = path};
        assert_int_equal(rp_store_checkpoint_put(st, &cp, &eb), RP_OK);
    }
    /* A name that needs quoting, and an index that must not show up as a table. */
    exec_ok(st, "CREATE TABLE \"odd \"\"name\" (a); CREATE INDEX odd_a ON \"odd \"\"name\" (a);"
                "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 5)"
                " INSERT INTO \"odd \"\"name\" SELECT i FROM c");

    for (int pass = 0; pass < 2; pass++) {
        struct rp_arena a;
        rp_arena_init(&a, 0);
        struct rp_store_info info;
        assert_int_equal(rp_store_info_get(&a, st, &info, &eb), RP_OK);
        assert_string_equal(info.path, f->db);
        assert_int_equal(info.schema_version, rp_store_schema_latest());
        assert_int_equal(info.schema_latest, rp_store_schema_latest());
        assert_string_equal(info.journal_mode, "wal");
        assert_true(info.db_bytes > 0);
        assert_true(info.file_bytes == info.db_bytes + info.wal_bytes);
        /* Every table, sorted by name; later migrations add their own, so look these up. */
        for (size_t i = 1; i < info.ntables; i++)
            assert_true(strcmp(info.tables[i - 1].name, info.tables[i].name) < 0);
        assert_int_equal(table_rows(&info, "ingest_checkpoints"), 2);
        assert_int_equal(table_rows(&info, "odd \"name"), 5);
        assert_int_equal(table_rows(&info, "rejects"), 3);
        assert_int_equal(table_rows(&info, "store_migrations"), rp_store_schema_latest());
        assert_int_equal(table_rows(&info, "odd_a"), -1); /* an index is not a table */
        rp_arena_release(&a);
        /* Second pass: the same through a read-only connection. */
        rp_store_free(st);
        st = open_ok(f->db, RP_STORE_RDONLY);
    }
    rp_store_free(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_store_open_creates_latest_schema, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_reopen_is_noop, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_newer_version_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_negative_version_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_write_protected_file_is_eperm, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_migration_failure_rolls_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_migration_upgrades_and_older_binary_refused,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_migration_sequence_checked, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_wal_and_pragmas, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_readonly_missing_is_enoent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_not_a_database_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_foreign_database_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_readonly_refuses_writes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_readonly_leaves_no_files, setup, teardown),
        cmocka_unit_test(test_store_memory_and_bad_args),
        cmocka_unit_test(test_stmt_cache_reuses_handles),
        cmocka_unit_test(test_stmt_bind_and_columns),
        cmocka_unit_test_setup_teardown(test_batch_commits_every_n_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_batch_rolls_back_on_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reject_add_list_caps_raw, setup, teardown),
        cmocka_unit_test_setup_teardown(test_checkpoint_put_get_update, setup, teardown),
        cmocka_unit_test_setup_teardown(test_info_counts_rows_exactly, setup, teardown),
    };
    return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
