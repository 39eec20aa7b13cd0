/* SPDX-License-Identifier: Apache-2.0 */
/* Sessions of `rampart query` (query.h): one read-only SQLite connection to the store with
 * every table, connector and function group registered, Athena's table names as temporary
 * views, and the safety of STYLE.md B6: a read-only connection, an authorizer that allows
 * reading only (SELECT, functions, read-only pragmas, ATTACH of other databases, which are
 * read-only too, and CREATE VIRTUAL TABLE in temp for the csv / jsonl / postgres connectors),
 * a progress handler enforcing the deadline, and a cap on SQLite's heap.
 *
 * rp_query_run prepares and steps each statement of the text in turn and hands rows to the
 * sinks (printers, the results writer); an SQL error comes back with its line and column in
 * the text the user wrote (the Athena rewrite of query_rewrite.c is mapped back). */
#define RP_LOG_MODULE "query"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "core/rp_banned.h"
#include "core/rp_time.h"
#include "query/query.h"
#include "query/query_internal.h"
#include "query/query_table.h"

struct rp_query_session {
    sqlite3 *db;
    struct rp_query_stats stats;
    int64_t timeout_ms;
    int64_t deadline_ms; /* monotonic; 0 = none */
    volatile sig_atomic_t interrupted;
    bool timed_out;
    int page_size;
};

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Progress handler: non-zero stops the statement (SQLITE_INTERRUPT). */
static int progress(void *arg)
{
    struct rp_query_session *s = arg;
    if (s->interrupted) return 1;
    if (s->deadline_ms && mono_ms() > s->deadline_ms) {
        s->timed_out = true;
        return 1;
    }
    return 0;
}

static bool is_create_module(const char *m)
{
    if (!m) return false;
    for (size_t i = 0; rp_query_tables[i]; i++)
        if ((rp_query_tables[i]->flags & RP_QTAB_CREATE) &&
            sqlite3_stricmp(rp_query_tables[i]->name, m) == 0)
            return true;
    return false;
}

/* The read-only pragmas a user may run (they only describe the schema). */
static bool pragma_allowed(const char *name, const char *arg)
{
    static const char *const ok[] = {
        "table_info",       "table_xinfo",    "table_list",      "index_list",  "index_info",
        "index_xinfo",      "function_list",  "module_list",     "pragma_list", "database_list",
        "foreign_key_list", "collation_list", "compile_options", NULL};
    if (!name) return false;
    for (size_t i = 0; ok[i]; i++)
        if (sqlite3_stricmp(name, ok[i]) == 0) return true;
    (void)arg;
    return false;
}

/* Authorizer: reading only (STYLE.md B6). */
static int authorize(void *arg, int action, const char *a1, const char *a2, const char *dbname,
                     const char *trigger)
{
    (void)arg;
    (void)trigger;
    switch (action) {
    case SQLITE_SELECT:
    case SQLITE_READ:
    case SQLITE_FUNCTION:
    case SQLITE_RECURSIVE:
    case SQLITE_ATTACH: /* the connection is read-only: attached files are read-only too */
    case SQLITE_DETACH:
        return SQLITE_OK;
    case SQLITE_PRAGMA:
        return pragma_allowed(a1, a2) ? SQLITE_OK : SQLITE_DENY;
    case SQLITE_CREATE_VTABLE:
    case SQLITE_DROP_VTABLE:
        return dbname && sqlite3_stricmp(dbname, "temp") == 0 && is_create_module(a2) ? SQLITE_OK
                                                                                      : SQLITE_DENY;
    case SQLITE_CREATE_TEMP_VIEW:
    case SQLITE_DROP_TEMP_VIEW:
        return SQLITE_OK;
    case SQLITE_INSERT:
    case SQLITE_UPDATE:
    case SQLITE_DELETE:
        /* CREATE/DROP of temp objects write the temp schema's table, and connecting an
         * eponymous table asks for an UPDATE of main's (a write SQLite never makes here: main
         * is opened read-only and writable_schema is refused); nothing else may be written */
        if (!a1 || (sqlite3_stricmp(a1, "sqlite_master") != 0 &&
                    sqlite3_stricmp(a1, "sqlite_temp_master") != 0))
            return SQLITE_DENY;
        if (dbname && sqlite3_stricmp(dbname, "temp") == 0) return SQLITE_OK;
        return action == SQLITE_UPDATE ? SQLITE_OK : SQLITE_DENY;
    default:
        return SQLITE_DENY;
    }
}

static bool has_table(sqlite3 *db, const char *name)
{
    sqlite3_stmt *st = NULL;
    bool found = false;
    if (sqlite3_prepare_v2(db,
                           "SELECT 1 FROM main.sqlite_schema WHERE name = ?1 AND type IN "
                           "('table', 'view')",
                           -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
        found = sqlite3_step(st) == SQLITE_ROW;
    }
    sqlite3_finalize(st);
    return found;
}

/* Athena's names for store tables, as temporary views (created before the authorizer). */
static int create_views(sqlite3 *db)
{
    static const struct {
        const char *needs, *sql;
    } views[] = {
        {"r53_resolver_query_logs",
         "CREATE TEMP VIEW r53_rlogs AS SELECT * FROM main.r53_resolver_query_logs"},
        {"findings",
         "CREATE TEMP VIEW asff_findings AS SELECT f.id AS Id, f.product_arn AS ProductArn, "
         "f.generator_id AS GeneratorId, f.aws_account_id AS AwsAccountId, f.region AS Region, "
         "f.product_name AS ProductName, f.company_name AS CompanyName, f.title AS Title, "
         "f.type0 AS Type, json_extract(d.doc, '$.Types') AS Types, "
         "f.severity_label AS SeverityLabel, f.severity_normalized AS SeverityNormalized, "
         "f.workflow_status AS WorkflowStatus, f.record_state AS RecordState, "
         "f.compliance_status AS ComplianceStatus, f.security_control_id AS SecurityControlId, "
         "f.resource_type AS ResourceType, f.resource_id AS ResourceId, "
         "strftime('%Y-%m-%dT%H:%M:%fZ', f.created_at / 1000.0, 'unixepoch') AS CreatedAt, "
         "strftime('%Y-%m-%dT%H:%M:%fZ', f.updated_at / 1000.0, 'unixepoch') AS UpdatedAt, "
         "d.doc AS Finding FROM main.findings AS f JOIN main.finding_docs AS d "
         "ON d.rowid = f.rowid"},
    };
    for (size_t i = 0; i < sizeof views / sizeof views[0]; i++) {
        if (!has_table(db, views[i].needs)) continue;
        int rc = sqlite3_exec(db, views[i].sql, NULL, NULL, NULL);
        if (rc != SQLITE_OK) return rc;
    }
    return SQLITE_OK;
}

rp_err rp_query_session_new(const struct rp_query_opts *o, struct rp_query_session **out,
                            struct rp_errbuf *eb)
{
    *out = NULL;
    struct rp_query_session *s = calloc(1, sizeof *s);
    if (!s) return rp_fail(eb, RP_ENOMEM, "query: out of memory");
    s->timeout_ms = o->timeout_ms;
    int rc;
    if (o->db_path) {
        struct stat sb;
        if (stat(o->db_path, &sb) != 0) {
            free(s);
            return rp_fail(eb, RP_ENOENT, "query: no store at '%s'", o->db_path);
        }
        rc = sqlite3_open_v2(o->db_path, &s->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
    } else {
        rc =
            sqlite3_open_v2(":memory:", &s->db,
                            SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY | SQLITE_OPEN_NOMUTEX, NULL);
    }
    if (rc != SQLITE_OK) {
        rp_err e =
            rp_fail(eb, RP_EDB, "query: cannot open '%s': %s", o->db_path ? o->db_path : ":memory:",
                    s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
        sqlite3_close(s->db);
        free(s);
        return e;
    }
    sqlite3_busy_timeout(s->db, 5000);
    sqlite3_extended_result_codes(s->db, 1);
    if (o->db_path) {
        sqlite3_stmt *st = NULL;
        int version = -1;
        if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW)
            version = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
        if (version <= 0) {
            rp_query_session_free(s);
            return rp_fail(eb, RP_EINVAL, "query: '%s' is not a Rampart store", o->db_path);
        }
    }
    {
        sqlite3_stmt *st = NULL;
        s->page_size = 4096;
        if (sqlite3_prepare_v2(s->db, "PRAGMA page_size", -1, &st, NULL) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW)
            s->page_size = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
    }
    if ((rc = rp_query_functions_register(s->db)) != SQLITE_OK ||
        (rc = rp_query_vtab_register(s->db, s, &s->stats)) != SQLITE_OK ||
        (rc = create_views(s->db)) != SQLITE_OK) {
        rp_err e =
            rp_fail(eb, RP_EDB, "query: cannot set up the connection: %s", sqlite3_errmsg(s->db));
        rp_query_session_free(s);
        return e;
    }
    sqlite3_limit(s->db, SQLITE_LIMIT_ATTACHED, 8);
    sqlite3_hard_heap_limit64(o->max_memory > 0 ? o->max_memory : RP_QUERY_DEFAULT_MEMORY);
    sqlite3_set_authorizer(s->db, authorize, s);
    sqlite3_progress_handler(s->db, 4000, progress, s);
    *out = s;
    return RP_OK;
}

void rp_query_session_free(struct rp_query_session *s)
{
    if (!s) return;
    sqlite3_close_v2(s->db);
    free(s);
}

void rp_query_session_interrupt(struct rp_query_session *s)
{
    s->interrupted = 1;
    sqlite3_interrupt(s->db);
}

/* Athena's type name of a column: from its declared type, else from v's type. */
static const char *athena_type(const char *decl, int vtype)
{
    if (decl) {
        if (sqlite3_strlike("%INT%", decl, 0) == 0) return "bigint";
        if (sqlite3_strlike("%REAL%", decl, 0) == 0 || sqlite3_strlike("%FLOA%", decl, 0) == 0 ||
            sqlite3_strlike("%DOUB%", decl, 0) == 0)
            return "double";
        if (sqlite3_strlike("%BLOB%", decl, 0) == 0) return "varbinary";
        return "varchar";
    }
    switch (vtype) {
    case SQLITE_INTEGER:
        return "bigint";
    case SQLITE_FLOAT:
        return "double";
    case SQLITE_BLOB:
        return "varbinary";
    default:
        return "varchar";
    }
}

/* Line and column (1-based) of byte off in sql. */
static void line_col(const char *sql, size_t off, int *line, int *col)
{
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < off && sql[i]; i++) {
        if (sql[i] == '\n') {
            (*line)++;
            *col = 1;
        } else if (((unsigned char)sql[i] & 0xc0) != 0x80) {
            (*col)++;
        }
    }
}

static rp_err sql_error(struct rp_query_session *s, const char *orig,
                        const struct rp_query_rewrite *rw, int off, struct rp_errbuf *eb)
{
    int rc = sqlite3_errcode(s->db);
    const char *msg = sqlite3_errmsg(s->db);
    if ((rc & 0xff) == SQLITE_INTERRUPT) {
        if (s->timed_out && s->timeout_ms % 1000 == 0)
            return rp_fail(eb, RP_ETIMEDOUT, "query: stopped after the %" PRId64 " s timeout",
                           s->timeout_ms / 1000);
        if (s->timed_out)
            return rp_fail(eb, RP_ETIMEDOUT, "query: stopped after the %" PRId64 " ms timeout",
                           s->timeout_ms);
        return rp_fail(eb, RP_ETIMEDOUT, "query: interrupted");
    }
    if ((rc & 0xff) == SQLITE_NOMEM)
        return rp_fail(eb, RP_ENOMEM, "query: out of memory (the limit is --max-memory)");
    if ((rc & 0xff) == SQLITE_AUTH)
        return rp_fail(eb, RP_EPERM, "query: not authorized: rampart query is read-only");
    if (off >= 0) {
        int line = 0, col = 0;
        size_t o = rp_query_rewrite_map(rw, (size_t)off);
        line_col(orig, o, &line, &col);
        return rp_fail(eb, RP_EINVAL, "query: line %d, column %d: %s", line, col, msg);
    }
    return rp_fail(eb, RP_EINVAL, "query: %s", msg);
}

struct rowbuf {
    size_t ncols;
    enum rp_query_vtype *types;
    const char **vals;
    size_t *lens;
    const char **names;
    const char **tnames;
};

static void rowbuf_free(struct rowbuf *b)
{
    free(b->types);
    free(b->vals);
    free(b->lens);
    free(b->names);
    free(b->tnames);
    memset(b, 0, sizeof *b);
}

static rp_err rowbuf_init(struct rowbuf *b, size_t n)
{
    memset(b, 0, sizeof *b);
    b->ncols = n;
    size_t m = n ? n : 1;
    b->types = calloc(m, sizeof *b->types);
    b->vals = calloc(m, sizeof *b->vals);
    b->lens = calloc(m, sizeof *b->lens);
    b->names = calloc(m, sizeof *b->names);
    b->tnames = calloc(m, sizeof *b->tnames);
    if (!b->types || !b->vals || !b->lens || !b->names || !b->tnames) {
        rowbuf_free(b);
        return RP_ENOMEM;
    }
    return RP_OK;
}

static void rowbuf_fill(struct rowbuf *b, sqlite3_stmt *st)
{
    for (size_t i = 0; i < b->ncols; i++) {
        int t = sqlite3_column_type(st, (int)i);
        switch (t) {
        case SQLITE_NULL:
            b->types[i] = RP_QV_NULL;
            b->vals[i] = NULL;
            b->lens[i] = 0;
            continue;
        case SQLITE_INTEGER:
            b->types[i] = RP_QV_INT;
            break;
        case SQLITE_FLOAT:
            b->types[i] = RP_QV_REAL;
            break;
        case SQLITE_BLOB:
            b->types[i] = RP_QV_BLOB;
            break;
        default:
            b->types[i] = RP_QV_TEXT;
            break;
        }
        if (t == SQLITE_BLOB) {
            const void *p = sqlite3_column_blob(st, (int)i);
            b->vals[i] = p ? p : "";
        } else {
            const unsigned char *p = sqlite3_column_text(st, (int)i);
            b->vals[i] = p ? (const char *)p : "";
        }
        b->lens[i] = (size_t)sqlite3_column_bytes(st, (int)i);
    }
}

static rp_err run_stmt(struct rp_query_session *s, sqlite3_stmt *st,
                       const struct rp_query_sink *sinks, size_t nsinks,
                       struct rp_query_run_stats *rs, bool *stepped_error, struct rp_errbuf *eb)
{
    size_t n = (size_t)sqlite3_column_count(st);
    struct rowbuf b;
    rp_err e = rowbuf_init(&b, n);
    if (e) return rp_fail(eb, e, "query: out of memory");
    struct rp_query_columns cols = {.ncols = n, .names = b.names, .types = b.tnames};
    bool begun = false;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW || (rc == SQLITE_DONE && !begun && n)) {
        if (!begun) {
            for (size_t i = 0; i < n; i++) {
                b.names[i] = sqlite3_column_name(st, (int)i);
                b.tnames[i] =
                    athena_type(sqlite3_column_decltype(st, (int)i),
                                rc == SQLITE_ROW ? sqlite3_column_type(st, (int)i) : SQLITE_NULL);
            }
            for (size_t k = 0; k < nsinks; k++)
                if (sinks[k].begin && (e = sinks[k].begin(sinks[k].ctx, &cols, eb))) goto out;
            begun = true;
            if (rc == SQLITE_DONE) break;
        }
        rowbuf_fill(&b, st);
        struct rp_query_row row = {.ncols = n, .types = b.types, .vals = b.vals, .lens = b.lens};
        for (size_t k = 0; k < nsinks; k++)
            if (sinks[k].row && (e = sinks[k].row(sinks[k].ctx, &row, eb))) goto out;
        rs->rows++;
    }
    if (rc != SQLITE_DONE) {
        *stepped_error = true;
        e = RP_EDB;
        goto out;
    }
    if (begun)
        for (size_t k = 0; k < nsinks; k++)
            if (sinks[k].end && (e = sinks[k].end(sinks[k].ctx, &cols, eb))) goto out;
out:
    rowbuf_free(&b);
    return e;
}

rp_err rp_query_run(struct rp_query_session *s, const char *sql, const struct rp_query_sink *sinks,
                    size_t nsinks, struct rp_query_run_stats *st, struct rp_errbuf *eb)
{
    memset(st, 0, sizeof *st);
    memset(&s->stats, 0, sizeof s->stats);
    s->interrupted = 0;
    s->timed_out = false;
    int64_t t0 = mono_ms();
    s->deadline_ms = s->timeout_ms > 0 ? t0 + s->timeout_ms : 0;
    int cur = 0, hi = 0;
    sqlite3_db_status(s->db, SQLITE_DBSTATUS_CACHE_MISS, &cur, &hi, 1);

    struct rp_query_rewrite rw;
    rp_err e = rp_query_rewrite(sql, &rw, eb);
    if (e) return e;
    const char *tail = rw.sql;
    while (tail && *tail) {
        sqlite3_stmt *stmt = NULL;
        const char *next = NULL;
        int rc = sqlite3_prepare_v3(s->db, tail, -1, 0, &stmt, &next);
        if (rc != SQLITE_OK) {
            int off = sqlite3_error_offset(s->db);
            e = sql_error(s, sql, &rw, off >= 0 ? (int)(tail - rw.sql) + off : -1, eb);
            sqlite3_finalize(stmt);
            break;
        }
        if (!stmt) { /* only whitespace or a comment left */
            tail = next;
            continue;
        }
        bool step_err = false;
        e = run_stmt(s, stmt, sinks, nsinks, st, &step_err, eb);
        if (step_err) e = sql_error(s, sql, &rw, -1, eb);
        sqlite3_finalize(stmt);
        if (e) break;
        tail = next;
    }
    rp_query_rewrite_release(&rw);

    sqlite3_db_status(s->db, SQLITE_DBSTATUS_CACHE_MISS, &cur, &hi, 1);
    st->bytes_scanned = s->stats.bytes_scanned + (int64_t)cur * s->page_size;
    st->files_opened = s->stats.files_opened;
    st->files_pruned = s->stats.files_pruned;
    st->dirs_pruned = s->stats.dirs_pruned;
    st->records_rejected = s->stats.records_rejected;
    st->warnings = s->stats.warnings;
    st->engine_ms = mono_ms() - t0;
    if (s->stats.warnings > RP_QUERY_MAX_WARNINGS)
        fprintf(stderr, "rampart: warning: %" PRId64 " more warnings not shown\n",
                s->stats.warnings - RP_QUERY_MAX_WARNINGS);
    s->deadline_ms = 0;
    return e;
}

rp_err rp_query_table_at(size_t i, const char **name, const char **summary)
{
    for (size_t k = 0; rp_query_tables[k]; k++)
        if (k == i) {
            *name = rp_query_tables[k]->name;
            *summary = rp_query_tables[k]->summary;
            return RP_OK;
        }
    return RP_ENOENT;
}

rp_err rp_query_funcgroup_at(size_t i, const char **name, const char **summary)
{
    for (size_t k = 0; rp_query_func_groups[k]; k++)
        if (k == i) {
            *name = rp_query_func_groups[k]->name;
            *summary = rp_query_func_groups[k]->summary;
            return RP_OK;
        }
    return RP_ENOENT;
}

bool rp_query_complete(const char *sql)
{
    return sqlite3_complete(sql) != 0;
}

rp_err rp_query_store_tables(struct rp_query_session *s,
                             void (*fn)(void *ctx, const char *name, const char *type), void *ctx,
                             struct rp_errbuf *eb)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db,
                                "SELECT name, type FROM main.sqlite_schema WHERE type IN "
                                "('table', 'view') AND name NOT LIKE 'sqlite_%' UNION ALL "
                                "SELECT name, type FROM temp.sqlite_schema WHERE type = 'view' "
                                "ORDER BY 1",
                                -1, &st, NULL);
    if (rc != SQLITE_OK)
        return rp_fail(eb, RP_EDB, "query: cannot list tables: %s", sqlite3_errmsg(s->db));
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        fn(ctx, (const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1));
    rp_err e = rc == SQLITE_DONE
                   ? RP_OK
                   : rp_fail(eb, RP_EDB, "query: cannot list tables: %s", sqlite3_errmsg(s->db));
    sqlite3_finalize(st);
    return e;
}
