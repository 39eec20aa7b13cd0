/* SPDX-License-Identifier: Apache-2.0 */
/* store_sqlite: the embedded SQLite backend behind store.h (DESIGN.md §4).
 *
 * Opening validates the file before touching it (SQLite header, PRAGMA application_id "RPDB",
 * PRAGMA user_version), switches a writable file to WAL, then applies the embedded migrations
 * data/schemas/store/NNNN_*.sql that the file lacks, each in its own BEGIN IMMEDIATE
 * transaction that re-reads the version under the lock, so two processes opening a fresh file
 * at once migrate it once. Prepared statements are cached per connection in a small
 * open-addressing table keyed by the SQL text; batches are BEGIN IMMEDIATE .. COMMIT with an
 * automatic commit every N rows. The shared tables (rejects, checkpoints) live in
 * store_records.c on top of the generic statement API. Ingest, hub and the other writers only
 * ever see store.h; a libpq backend would replace this file behind the same header. */
#define RP_LOG_MODULE "store"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <sqlite3.h>
#include <xxhash.h>

#include "store/store.h"
#include "store/store_internal.h"
#include "core/rp_buf.h"
#include "core/rp_embed.h"
#include "core/rp_log.h"
#include "core/rp_str.h"
#include "core/rp_banned.h"

#define APP_ID         0x52504442       /* "RPDB": PRAGMA application_id of a Rampart file */
#define MIG_PREFIX     "schemas/store/" /* embedded migrations, NNNN_name.sql */
#define MIG_MAX        256              /* migrations one binary can carry */
#define STMT_SLOTS     (2 * RP_MAX_STORE_STMTS) /* hash slots; load factor stays <= 1/2 */
#define WAL_SIZE_LIMIT "67108864"               /* bytes a checkpointed -wal file is truncated to */
#define SQL_PREVIEW    60                       /* bytes of SQL quoted in error messages */

_Static_assert((STMT_SLOTS & (STMT_SLOTS - 1)) == 0, "STMT_SLOTS is a power of two");

struct rp_store_stmt {
    struct rp_store *st; /* owner */
    sqlite3_stmt *s;     /* prepared with SQLITE_PREPARE_PERSISTENT */
    char *sql;           /* cache key, owned */
    uint64_t hash;       /* XXH3 of sql */
};

struct rp_store {
    sqlite3 *db;
    char *path;         /* owned copy of the open path */
    unsigned flags;     /* RP_STORE_* */
    int version;        /* user_version now */
    int version_opened; /* user_version found at open */
    size_t nstmts;      /* cached statements, <= RP_MAX_STORE_STMTS */
    struct rp_store_stmt *slots[STMT_SLOTS];
    bool batch_open;    /* inside rp_store_batch_begin .. commit/rollback */
    size_t batch_every; /* auto-commit period in rows, 0 = never */
    size_t batch_rows;  /* rows counted since the last commit */
    rp_store_precommit_fn precommit;
    void *precommit_ctx;
};

/* ---- errors ---------------------------------------------------------------------------- */

static rp_err code_of(int rc)
{
    switch (rc) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
        return RP_EEXIST;
    default:
        break;
    }
    switch (rc & 0xff) {
    case SQLITE_NOMEM:
        return RP_ENOMEM;
    case SQLITE_TOOBIG:
        return RP_ELIMIT;
    default:
        return RP_EDB;
    }
}

/* "store: cannot <what> '<path>': <sqlite message>". Reads the message before the caller
 * resets anything. */
static rp_err RP_PRINTF(4, 5)
    db_fail(struct rp_store *st, int rc, struct rp_errbuf *eb, const char *what, ...)
{
    char action[160];
    va_list ap;
    va_start(ap, what);
    vsnprintf(action, sizeof action, what, ap);
    va_end(ap);
    const char *msg = st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc);
    return rp_fail(eb, code_of(rc), "store: cannot %s '%s': %s", action, st->path, msg);
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- small uncached helpers (open, migrations, info) ------------------------------------ */

static rp_err exec(struct rp_store *st, const char *sql, struct rp_errbuf *eb)
{
    int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);
    if (rc != SQLITE_OK) return db_fail(st, rc, eb, "run \"%.*s\" on", SQL_PREVIEW, sql);
    return RP_OK;
}

/* First column of the first row of sql as an integer (0 when there is no row); the text of
 * that column goes to txt[txtsz] when txt is not NULL. what names the action in errors. */
static rp_err query_one(struct rp_store *st, const char *what, const char *sql, int64_t *v,
                        char *txt, size_t txtsz, struct rp_errbuf *eb)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_step(s);
    rp_err e = RP_OK;
    if (rc == SQLITE_ROW) {
        if (v) *v = sqlite3_column_int64(s, 0);
        if (txt) {
            const unsigned char *t = sqlite3_column_text(s, 0);
            rp_strlcpy(txt, t ? (const char *)t : "", txtsz);
        }
    } else if (rc == SQLITE_DONE) {
        if (v) *v = 0;
        if (txt && txtsz) txt[0] = '\0';
    } else {
        e = db_fail(st, rc, eb, "%s", what);
    }
    sqlite3_finalize(s);
    return e;
}

static void tx_rollback(struct rp_store *st)
{
    if (sqlite3_get_autocommit(st->db)) return; /* SQLite already rolled back (or none open) */
    int rc = sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        RP_LOG_WARN("store: cannot roll back on '%s': %s", st->path, sqlite3_errmsg(st->db));
}

/* ---- migrations ------------------------------------------------------------------------ */

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* NNNN of "NNNN_name.sql", or -1 when the name has another shape. */
static int mig_number(const char *path)
{
    struct rp_str b = rp_str_from(base_name(path));
    if (b.len < 10 || b.p[4] != '_' || !rp_str_has_suffix(b, ".sql")) return -1;
    uint64_t n = 0;
    if (rp_str_to_u64((struct rp_str){b.p, 4}, &n) != RP_OK) return -1;
    return (int)n;
}

struct mig_list {
    struct rp_embed_file files[MIG_MAX];
    size_t n;
    bool overflow;
};

static int mig_collect(const struct rp_embed_file *f, void *ctx)
{
    struct mig_list *l = ctx;
    if (!rp_str_has_suffix(rp_str_from(f->path), ".sql")) return 0;
    if (l->n == MIG_MAX) {
        l->overflow = true;
        return 1;
    }
    l->files[l->n++] = *f;
    return 0;
}

static rp_err mig_check(const struct rp_embed_file *migs, size_t n, struct rp_errbuf *eb)
{
    for (size_t i = 0; i < n; i++)
        if (mig_number(migs[i].path) != (int)i + 1)
            return rp_fail(eb, RP_EINTERNAL,
                           "store: migration '%s' is out of sequence (expected %04zu_*.sql)",
                           migs[i].path, i + 1);
    return RP_OK;
}

static int mig_count(const struct rp_embed_file *f, void *ctx)
{
    if (rp_str_has_suffix(rp_str_from(f->path), ".sql")) ++*(int *)ctx;
    return 0;
}

int rp_store_schema_latest(void)
{
    int n = 0;
    rp_embed_each(MIG_PREFIX, mig_count, &n);
    return n;
}

/* Apply migs[version..n) one transaction each. */
static rp_err migrate(struct rp_store *st, const struct rp_embed_file *migs, size_t n,
                      struct rp_errbuf *eb)
{
    for (;;) {
        rp_err e = exec(st, "BEGIN IMMEDIATE", eb);
        if (e) return e;
        /* Re-read under the write lock: another process may have migrated meanwhile. */
        int64_t ver = 0;
        e = query_one(st, "migrate", "PRAGMA user_version", &ver, NULL, 0, eb);
        if (e) goto fail;
        if (ver < 0 || ver > (int64_t)n) {
            e = rp_fail(eb, RP_EDB,
                        "store: cannot open '%s': schema version %lld is newer than this "
                        "rampart supports (%zu); upgrade rampart",
                        st->path, (long long)ver, n);
            goto fail;
        }
        if (ver == (int64_t)n) {
            tx_rollback(st);
            st->version = (int)ver;
            return RP_OK;
        }
        const struct rp_embed_file *m = &migs[ver];
        const char *name = base_name(m->path);
        int rc = sqlite3_exec(st->db, (const char *)m->data, NULL, NULL, NULL);
        if (rc != SQLITE_OK) {
            e = db_fail(st, rc, eb, "apply migration '%s' to", name);
            goto fail;
        }
        char sql[160];
        snprintf(sql, sizeof sql, "PRAGMA application_id = %d; PRAGMA user_version = %lld", APP_ID,
                 (long long)ver + 1);
        e = exec(st, sql, eb);
        if (e) goto fail;
        sqlite3_stmt *s = NULL;
        rc = sqlite3_prepare_v2(st->db,
                                "INSERT INTO store_migrations (version, name, applied_ms) "
                                "VALUES (?1, ?2, ?3)",
                                -1, &s, NULL);
        if (rc == SQLITE_OK) {
            sqlite3_bind_int64(s, 1, ver + 1);
            sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
            sqlite3_bind_int64(s, 3, now_ms());
            rc = sqlite3_step(s);
            if (rc == SQLITE_DONE) rc = SQLITE_OK;
        }
        if (rc != SQLITE_OK) e = db_fail(st, rc, eb, "record migration '%s' in", name);
        sqlite3_finalize(s);
        if (e) goto fail;
        e = exec(st, "COMMIT", eb);
        if (e) goto fail;
        RP_LOG_INFO("store: migrated '%s' to schema version %lld (%s)", st->path,
                    (long long)ver + 1, name);
        continue;
    fail:
        tx_rollback(st);
        return e;
    }
}

/* ---- open and close -------------------------------------------------------------------- */

/* Is the file at st a Rampart database (or an empty one) this binary can read? */
static rp_err check_identity(struct rp_store *st, size_t latest, struct rp_errbuf *eb)
{
    int64_t app = 0, ver = 0, ntables = 0;
    rp_err e = query_one(st, "open", "PRAGMA application_id", &app, NULL, 0, eb);
    if (!e) e = query_one(st, "open", "PRAGMA user_version", &ver, NULL, 0, eb);
    if (!e) e = query_one(st, "open", "SELECT count(*) FROM sqlite_schema", &ntables, NULL, 0, eb);
    if (e) return e;
    if (app == APP_ID) {
        if (ver < 0)
            return rp_fail(eb, RP_EDB, "store: cannot open '%s': invalid schema version %lld",
                           st->path, (long long)ver);
        if (ver > (int64_t)latest)
            return rp_fail(eb, RP_EDB,
                           "store: cannot open '%s': schema version %lld is newer than this "
                           "rampart supports (%zu); upgrade rampart",
                           st->path, (long long)ver, latest);
    } else if (app != 0 || ver != 0 || ntables != 0) {
        return rp_fail(eb, RP_EDB,
                       "store: cannot open '%s': not a rampart database (application_id "
                       "0x%08llx, user_version %lld)",
                       st->path, (unsigned long long)(uint32_t)app, (long long)ver);
    }
    st->version = st->version_opened = (int)ver;
    return RP_OK;
}

RP_STATIC rp_err store_open_with(const char *path, unsigned flags, const struct rp_embed_file *migs,
                                 size_t nmigs, struct rp_store **out, struct rp_errbuf *eb)
{
    *out = NULL;
    if (!path || !*path || (flags & ~RP_STORE_RDWR))
        return rp_fail(eb, RP_EINVAL, "store: cannot open '%s': invalid arguments",
                       path ? path : "(null)");
    rp_err e = mig_check(migs, nmigs, eb);
    if (e) return e;
    bool rw = flags & RP_STORE_RDWR;
    bool mem = strcmp(path, ":memory:") == 0;
    if (mem && !rw) return rp_fail(eb, RP_EINVAL, "store: cannot open '%s' read-only", path);
    if (!rw) {
        /* SQLite would say "unable to open database file"; say what is wrong instead, and
         * make sure nothing gets created. */
        struct stat sb;
        if (stat(path, &sb) != 0 && (errno == ENOENT || errno == ENOTDIR))
            return rp_fail(eb, RP_ENOENT, "store: no database at '%s'", path);
    }

    struct rp_store *st = calloc(1, sizeof *st);
    if (!st || !(st->path = strdup(path))) {
        free(st);
        return rp_fail(eb, RP_ENOMEM, "store: cannot open '%s': out of memory", path);
    }
    st->flags = flags;
    /* Read-only stores open the file read-write without CREATE and set query_only: SQLite's
     * own read-only mode creates -wal and -shm for a WAL file but cannot remove them on
     * close, so every `rampart db info` would leave them behind. Without CREATE a missing
     * file stays missing, query_only refuses every write, and a write-protected file still
     * opens (SQLite falls back to read-only by itself). */
    int oflags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_READWRITE; /* one store per thread */
    if (rw) oflags |= SQLITE_OPEN_CREATE;
    int rc = sqlite3_open_v2(path, &st->db, oflags, NULL);
    if (rc != SQLITE_OK) {
        e = db_fail(st, rc, eb, "open");
        goto fail;
    }
    sqlite3_extended_result_codes(st->db, 1);
    sqlite3_busy_timeout(st->db, RP_STORE_BUSY_TIMEOUT_MS);
    /* SQLite quietly opens a write-protected file read-only; a writer must hear about it. */
    if (rw && sqlite3_db_readonly(st->db, "main") == 1) {
        e = rp_fail(eb, RP_EPERM, "store: cannot open '%s' for writing: the file is read-only",
                    path);
        goto fail;
    }

    /* Read before writing anything: a text file or a foreign database stays untouched. */
    e = check_identity(st, nmigs, eb);
    if (e) goto fail;
    /* A new file gets 16 KiB pages: findings documents (2-3 KB of ASFF each) and Config items
     * waste half of every 4 KiB page, since two rarely fit in one; with 16 KiB pages six or
     * seven share a page. page_size only takes effect before the first table exists. */
    if (rw && st->version == 0) {
        e = exec(st, "PRAGMA page_size = 16384", eb);
        if (e) goto fail;
    }
    if (rw && !mem) {
        char mode[16];
        e = query_one(st, "switch to WAL", "PRAGMA journal_mode = WAL", NULL, mode, sizeof mode,
                      eb);
        if (e) goto fail;
        if (strcmp(mode, "wal") != 0) {
            e = rp_fail(eb, RP_EDB, "store: cannot switch '%s' to WAL (journal mode is '%s')", path,
                        mode);
            goto fail;
        }
    }
    e = exec(st,
             rw ? "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; "
                  "PRAGMA journal_size_limit = " WAL_SIZE_LIMIT
                : "PRAGMA foreign_keys = ON; PRAGMA query_only = ON",
             eb);
    if (e) goto fail;
    if (rw && st->version < (int)nmigs) {
        e = migrate(st, migs, nmigs, eb);
        if (e) goto fail;
    }
    *out = st;
    return RP_OK;
fail:
    rp_store_free(st);
    return e;
}

rp_err rp_store_new(const char *path, unsigned flags, struct rp_store **out, struct rp_errbuf *eb)
{
    struct mig_list *l = calloc(1, sizeof *l);
    if (!l) {
        *out = NULL;
        return rp_fail(eb, RP_ENOMEM, "store: cannot open '%s': out of memory",
                       path ? path : "(null)");
    }
    rp_embed_each(MIG_PREFIX, mig_collect, l);
    rp_err e;
    if (l->overflow) {
        *out = NULL;
        e = rp_fail(eb, RP_EINTERNAL, "store: more than %d migrations embedded", MIG_MAX);
    } else {
        e = store_open_with(path, flags, l->files, l->n, out, eb);
    }
    free(l);
    return e;
}

void rp_store_free(struct rp_store *st)
{
    if (!st) return;
    if (st->db) {
        if (st->batch_open) rp_store_batch_rollback(st);
        for (size_t i = 0; i < STMT_SLOTS; i++) {
            struct rp_store_stmt *s = st->slots[i];
            if (!s) continue;
            sqlite3_finalize(s->s);
            free(s->sql);
            free(s);
        }
        /* Every statement is finalized, so this closes now (and, as the last connection,
         * checkpoints and removes the -wal file). */
        if (sqlite3_close_v2(st->db) != SQLITE_OK)
            RP_LOG_WARN("store: cannot close '%s': %s", st->path, sqlite3_errmsg(st->db));
    }
    free(st->path);
    free(st);
}

const char *rp_store_path(const struct rp_store *st)
{
    return st->path;
}

int rp_store_schema_version(const struct rp_store *st)
{
    return st->version;
}

int rp_store_schema_version_opened(const struct rp_store *st)
{
    return st->version_opened;
}

/* ---- statements ------------------------------------------------------------------------ */

rp_err rp_store_exec(struct rp_store *st, const char *sql, struct rp_errbuf *eb)
{
    return exec(st, sql, eb);
}

rp_err rp_store_stmt_prepare(struct rp_store *st, const char *sql, struct rp_store_stmt **out,
                             struct rp_errbuf *eb)
{
    *out = NULL;
    size_t len = strlen(sql);
    uint64_t h = XXH3_64bits(sql, len);
    size_t i = (size_t)h & (STMT_SLOTS - 1);
    for (; st->slots[i]; i = (i + 1) & (STMT_SLOTS - 1)) {
        struct rp_store_stmt *s = st->slots[i];
        if (s->hash == h && strcmp(s->sql, sql) == 0) {
            sqlite3_reset(s->s);
            sqlite3_clear_bindings(s->s);
            *out = s;
            return RP_OK;
        }
    }
    if (st->nstmts >= RP_MAX_STORE_STMTS)
        return rp_fail(eb, RP_ELIMIT,
                       "store: cannot prepare \"%.*s\" on '%s': more than %d distinct statements",
                       SQL_PREVIEW, sql, st->path, RP_MAX_STORE_STMTS);
    struct rp_store_stmt *s = calloc(1, sizeof *s);
    if (!s || !(s->sql = malloc(len + 1))) {
        free(s);
        return rp_fail(eb, RP_ENOMEM, "store: cannot prepare \"%.*s\" on '%s': out of memory",
                       SQL_PREVIEW, sql, st->path);
    }
    memcpy(s->sql, sql, len + 1);
    s->st = st;
    s->hash = h;
    const char *tail = NULL;
    int rc =
        sqlite3_prepare_v3(st->db, sql, (int)(len + 1), SQLITE_PREPARE_PERSISTENT, &s->s, &tail);
    rp_err e = RP_OK;
    if (rc != SQLITE_OK) {
        e = db_fail(st, rc, eb, "prepare \"%.*s\" on", SQL_PREVIEW, sql);
    } else if (!s->s) {
        e = rp_fail(eb, RP_EINVAL, "store: cannot prepare an empty statement on '%s'", st->path);
    } else {
        while (tail && (*tail == ' ' || *tail == '\n' || *tail == '\t' || *tail == '\r')) tail++;
        if (tail && *tail)
            e = rp_fail(eb, RP_EINVAL,
                        "store: cannot prepare \"%.*s\" on '%s': more than one statement",
                        SQL_PREVIEW, sql, st->path);
    }
    if (e) {
        sqlite3_finalize(s->s);
        free(s->sql);
        free(s);
        return e;
    }
    st->slots[i] = s;
    st->nstmts++;
    *out = s;
    return RP_OK;
}

static rp_err bind_done(struct rp_store_stmt *s, int rc, int idx, struct rp_errbuf *eb)
{
    if (rc == SQLITE_OK) return RP_OK;
    return db_fail(s->st, rc, eb, "bind parameter %d of \"%.*s\" on", idx, SQL_PREVIEW, s->sql);
}

rp_err rp_store_stmt_bind_int64(struct rp_store_stmt *s, int idx, int64_t v, struct rp_errbuf *eb)
{
    return bind_done(s, sqlite3_bind_int64(s->s, idx, v), idx, eb);
}

rp_err rp_store_stmt_bind_double(struct rp_store_stmt *s, int idx, double v, struct rp_errbuf *eb)
{
    return bind_done(s, sqlite3_bind_double(s->s, idx, v), idx, eb);
}

rp_err rp_store_stmt_bind_text(struct rp_store_stmt *s, int idx, const char *p, size_t len,
                               struct rp_errbuf *eb)
{
    /* SQLite binds NULL for a NULL pointer; an empty slice is an empty string. */
    return bind_done(
        s, sqlite3_bind_text64(s->s, idx, p ? p : "", p ? len : 0, SQLITE_TRANSIENT, SQLITE_UTF8),
        idx, eb);
}

rp_err rp_store_stmt_bind_cstr(struct rp_store_stmt *s, int idx, const char *str,
                               struct rp_errbuf *eb)
{
    if (!str) return rp_store_stmt_bind_null(s, idx, eb);
    return rp_store_stmt_bind_text(s, idx, str, strlen(str), eb);
}

rp_err rp_store_stmt_bind_blob(struct rp_store_stmt *s, int idx, const void *p, size_t len,
                               struct rp_errbuf *eb)
{
    /* A NULL pointer would bind SQL NULL; an empty blob is still a blob. */
    if (!len) return bind_done(s, sqlite3_bind_zeroblob(s->s, idx, 0), idx, eb);
    return bind_done(s, sqlite3_bind_blob64(s->s, idx, p, len, SQLITE_TRANSIENT), idx, eb);
}

rp_err rp_store_stmt_bind_null(struct rp_store_stmt *s, int idx, struct rp_errbuf *eb)
{
    return bind_done(s, sqlite3_bind_null(s->s, idx), idx, eb);
}

rp_err rp_store_stmt_step(struct rp_store_stmt *s, bool *row, struct rp_errbuf *eb)
{
    int rc = sqlite3_step(s->s);
    *row = rc == SQLITE_ROW;
    if (rc == SQLITE_ROW) return RP_OK;
    if (rc == SQLITE_DONE) {
        sqlite3_reset(s->s); /* release locks now; bindings stay */
        return RP_OK;
    }
    rp_err e = db_fail(s->st, rc, eb, "run \"%.*s\" on", SQL_PREVIEW, s->sql);
    sqlite3_reset(s->s);
    return e;
}

void rp_store_stmt_reset(struct rp_store_stmt *s)
{
    sqlite3_reset(s->s);
    sqlite3_clear_bindings(s->s);
}

int rp_store_stmt_column_count(struct rp_store_stmt *s)
{
    return sqlite3_column_count(s->s);
}

const char *rp_store_stmt_column_name(struct rp_store_stmt *s, int col)
{
    return sqlite3_column_name(s->s, col);
}

enum rp_store_type rp_store_stmt_column_type(struct rp_store_stmt *s, int col)
{
    switch (sqlite3_column_type(s->s, col)) {
    case SQLITE_INTEGER:
        return RP_STORE_INT;
    case SQLITE_FLOAT:
        return RP_STORE_REAL;
    case SQLITE_TEXT:
        return RP_STORE_TEXT;
    case SQLITE_BLOB:
        return RP_STORE_BLOB;
    default:
        return RP_STORE_NULL;
    }
}

int64_t rp_store_stmt_column_int64(struct rp_store_stmt *s, int col)
{
    return sqlite3_column_int64(s->s, col);
}

double rp_store_stmt_column_double(struct rp_store_stmt *s, int col)
{
    return sqlite3_column_double(s->s, col);
}

const char *rp_store_stmt_column_text(struct rp_store_stmt *s, int col, size_t *len)
{
    const unsigned char *t = sqlite3_column_text(s->s, col); /* before _bytes, per SQLite */
    if (len) *len = t ? (size_t)sqlite3_column_bytes(s->s, col) : 0;
    return (const char *)t;
}

const void *rp_store_stmt_column_blob(struct rp_store_stmt *s, int col, size_t *len)
{
    const void *p = sqlite3_column_blob(s->s, col);
    if (len) *len = p ? (size_t)sqlite3_column_bytes(s->s, col) : 0;
    return p;
}

int64_t rp_store_last_insert_id(struct rp_store *st)
{
    return sqlite3_last_insert_rowid(st->db);
}

int64_t rp_store_changes(struct rp_store *st)
{
    return sqlite3_changes64(st->db);
}

/* ---- batches --------------------------------------------------------------------------- */

rp_err rp_store_batch_begin(struct rp_store *st, size_t every, rp_store_precommit_fn precommit,
                            void *ctx, struct rp_errbuf *eb)
{
    if (st->batch_open)
        return rp_fail(eb, RP_EINVAL, "store: cannot begin a batch on '%s': one is open", st->path);
    if (!(st->flags & RP_STORE_RDWR))
        return rp_fail(eb, RP_EINVAL, "store: cannot begin a batch on '%s': opened read-only",
                       st->path);
    /* IMMEDIATE takes the write lock now, so the batch cannot fail later to upgrade a read
     * lock (SQLITE_BUSY without waiting) when another process writes. */
    rp_err e = exec(st, "BEGIN IMMEDIATE", eb);
    if (e) return e;
    st->batch_open = true;
    st->batch_every = every;
    st->batch_rows = 0;
    st->precommit = precommit;
    st->precommit_ctx = ctx;
    return RP_OK;
}

static rp_err batch_commit_tx(struct rp_store *st, struct rp_errbuf *eb)
{
    if (st->precommit) {
        rp_err e = st->precommit(st, st->precommit_ctx, eb);
        if (e) return e;
    }
    return exec(st, "COMMIT", eb);
}

rp_err rp_store_batch_add(struct rp_store *st, size_t n, struct rp_errbuf *eb)
{
    if (!st->batch_open)
        return rp_fail(eb, RP_EINVAL, "store: cannot add to a batch on '%s': none is open",
                       st->path);
    st->batch_rows += n;
    if (!st->batch_every || st->batch_rows < st->batch_every) return RP_OK;
    rp_err e = batch_commit_tx(st, eb);
    if (!e) e = exec(st, "BEGIN IMMEDIATE", eb);
    if (e) {
        rp_store_batch_rollback(st);
        return e;
    }
    st->batch_rows = 0;
    return RP_OK;
}

rp_err rp_store_batch_commit(struct rp_store *st, struct rp_errbuf *eb)
{
    if (!st->batch_open)
        return rp_fail(eb, RP_EINVAL, "store: cannot commit a batch on '%s': none is open",
                       st->path);
    rp_err e = batch_commit_tx(st, eb);
    if (e) {
        rp_store_batch_rollback(st);
        return e;
    }
    st->batch_open = false;
    st->precommit = NULL;
    st->precommit_ctx = NULL;
    return RP_OK;
}

void rp_store_batch_rollback(struct rp_store *st)
{
    if (!st->batch_open) return;
    tx_rollback(st);
    st->batch_open = false;
    st->precommit = NULL;
    st->precommit_ctx = NULL;
}

/* ---- info ------------------------------------------------------------------------------ */

/* Tables of sqlite_schema that are not SQLite's own. */
#define USER_TABLES                                                                                \
    " FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"

static int64_t file_size(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 ? (int64_t)sb.st_size : 0;
}

/* Row count of table name; the name comes from sqlite_schema and is quoted, not trusted. */
static rp_err count_rows(struct rp_store *st, const char *name, int64_t *rows, struct rp_errbuf *eb)
{
    struct rp_buf sql;
    rp_buf_init(&sql, 0);
    rp_err e = rp_buf_append_str(&sql, "SELECT count(*) FROM \"");
    for (const char *p = name; !e && *p; p++)
        e = *p == '"' ? rp_buf_append_str(&sql, "\"\"") : rp_buf_putc(&sql, *p);
    if (!e) e = rp_buf_putc(&sql, '"');
    if (e) {
        rp_buf_release(&sql);
        return rp_fail(eb, RP_ENOMEM, "store: cannot count rows in '%s': out of memory", st->path);
    }
    e = query_one(st, "count rows in", rp_buf_cstr(&sql), rows, NULL, 0, eb);
    rp_buf_release(&sql);
    return e;
}

rp_err rp_store_info_get(struct rp_arena *a, struct rp_store *st, struct rp_store_info *out,
                         struct rp_errbuf *eb)
{
    memset(out, 0, sizeof *out);
    out->schema_version = st->version;
    out->schema_latest = rp_store_schema_latest();
    if (strcmp(st->path, ":memory:") != 0) {
        char wal[RP_MAX_PATH_BYTES];
        out->db_bytes = file_size(st->path);
        if ((size_t)snprintf(wal, sizeof wal, "%s-wal", st->path) < sizeof wal)
            out->wal_bytes = file_size(wal);
    }
    out->file_bytes = out->db_bytes + out->wal_bytes;
    char mode[16];
    rp_err e = query_one(st, "describe", "PRAGMA journal_mode", NULL, mode, sizeof mode, eb);
    if (e) return e;
    if (!(out->path = rp_arena_strdup(a, st->path)) ||
        !(out->journal_mode = rp_arena_strdup(a, mode)))
        return rp_fail(eb, RP_ENOMEM, "store: cannot describe '%s': out of memory", st->path);

    /* One read transaction, so the counts describe one moment; inside a batch the batch's
     * transaction already is one. */
    bool own_tx = sqlite3_get_autocommit(st->db);
    if (own_tx && (e = exec(st, "BEGIN", eb))) return e;
    int64_t n = 0;
    e = query_one(st, "describe", "SELECT count(*)" USER_TABLES, &n, NULL, 0, eb);
    if (e) goto done;
    out->tables = n ? rp_arena_zalloc(a, (size_t)n * sizeof *out->tables) : NULL;
    if (n && !out->tables) {
        e = rp_fail(eb, RP_ENOMEM, "store: cannot describe '%s': out of memory", st->path);
        goto done;
    }
    struct rp_store_stmt *s;
    e = rp_store_stmt_prepare(st, "SELECT name" USER_TABLES " ORDER BY name", &s, eb);
    if (e) goto done;
    for (;;) {
        bool row;
        e = rp_store_stmt_step(s, &row, eb);
        if (e || !row || out->ntables == (size_t)n) break;
        const char *name = rp_store_stmt_column_text(s, 0, NULL);
        struct rp_store_table_info *t = &out->tables[out->ntables];
        if (!name || !(t->name = rp_arena_strdup(a, name))) {
            e = rp_fail(eb, RP_ENOMEM, "store: cannot describe '%s': out of memory", st->path);
            break;
        }
        out->ntables++;
    }
    rp_store_stmt_reset(s);
    for (size_t i = 0; !e && i < out->ntables; i++)
        e = count_rows(st, out->tables[i].name, &out->tables[i].rows, eb);
done:
    if (own_tx) {
        if (e)
            tx_rollback(st);
        else
            e = exec(st, "COMMIT", eb);
    }
    return e;
}
