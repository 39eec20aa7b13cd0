/* SPDX-License-Identifier: Apache-2.0 */
/*
** query_vtab.c: the one SQLite virtual-table adapter of `rampart query` (STYLE.md B6). Every
** table and connector (query_tab_*.c) is a struct rp_query_table spec; this file turns each
** into an sqlite3_module, in the shape of SQLite's templatevtab.c.
**
** Two modules: tables with a fixed schema are eponymous only (xCreate = 0), so they exist under
** their name in every query, as tables (`processes`) or as table-valued functions whose
** arguments bind to their RP_QCOL_REQUIRED hidden columns (`cloudtrail_files('dir')`). Tables
** whose schema depends on arguments (RP_QTAB_CREATE: csv, jsonl, postgres) are made with
** `CREATE VIRTUAL TABLE temp.t USING csv('file.csv')`.
**
** HOW IT WORKS: xBestIndex passes every usable '=', '>', '>=', '<', '<=' and IN constraint on
** an INDEXED or REQUIRED column to xFilter, in argv order, and describes them in idxStr as a
** list "<col><op>," where op is '=' (one value), 'I' (an IN list, all values at once through
** sqlite3_vtab_in), '>' 'G' (>=) '<' 'L' (<=). idxNum is unused (0). Constraints are never
** omitted except '=' on REQUIRED columns (their value is the argument itself), so SQLite
** re-checks every row and a table may use constraints only to skip work. xFilter rebuilds the
** list as struct rp_query_cons and calls the table's filter().
*/
#define RP_LOG_MODULE "query"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rp_banned.h"
#include "core/rp_limits.h"
#include "query/query_internal.h"
#include "query/query_table.h"

#define QUERY_MAX_CONS 64 /* constraints handed to one filter() */

/* What a module registration carries (pAux). */
struct qmod {
    const struct rp_query_table *t;
    void *session;
    struct rp_query_stats *stats;
};

struct qvtab {
    sqlite3_vtab base; /* Base class - must be first */
    struct rp_query_tabinfo ti;
};

struct qcursor {
    sqlite3_vtab_cursor base; /* Base class - must be first */
    struct rp_query_cur cur;
};

static void append_type(sqlite3_str *s, enum rp_query_coltype ty)
{
    switch (ty) {
    case RP_QCOL_INT:
        sqlite3_str_appendall(s, " INTEGER");
        break;
    case RP_QCOL_REAL:
        sqlite3_str_appendall(s, " REAL");
        break;
    case RP_QCOL_BLOB:
        sqlite3_str_appendall(s, " BLOB");
        break;
    case RP_QCOL_TEXT:
    case RP_QCOL_JSON:
        sqlite3_str_appendall(s, " TEXT");
        break;
    }
}

/* "CREATE TABLE x(\"a\" INTEGER, \"b\" TEXT HIDDEN, ..)", from the spec. */
static char *schema_sql(const struct rp_query_col *cols, size_t ncols)
{
    sqlite3_str *s = sqlite3_str_new(NULL);
    sqlite3_str_appendall(s, "CREATE TABLE x(");
    for (size_t i = 0; i < ncols; i++) {
        sqlite3_str_appendf(s, "%s\"%w\"", i ? ", " : "", cols[i].name);
        append_type(s, cols[i].type);
        if (cols[i].flags & (RP_QCOL_HIDDEN | RP_QCOL_REQUIRED))
            sqlite3_str_appendall(s, " HIDDEN");
    }
    sqlite3_str_appendall(s, ")");
    return sqlite3_str_finish(s);
}

/* An argument as written in CREATE VIRTUAL TABLE .. USING m(arg): surrounding '..' or ".."
** removed and doubled quotes undone; other text kept as is (trimmed). */
static char *arg_unquote(const char *a)
{
    while (*a == ' ' || *a == '\t' || *a == '\n') a++;
    size_t n = strlen(a);
    while (n && (a[n - 1] == ' ' || a[n - 1] == '\t' || a[n - 1] == '\n')) n--;
    char *out = sqlite3_malloc64(n + 1);
    if (!out) return NULL;
    if (n >= 2 && (a[0] == '\'' || a[0] == '"') && a[n - 1] == a[0]) {
        char q = a[0];
        size_t o = 0;
        for (size_t i = 1; i + 1 < n; i++) {
            out[o++] = a[i];
            if (a[i] == q && a[i + 1] == q) i++;
        }
        out[o] = 0;
    } else {
        memcpy(out, a, n);
        out[n] = 0;
    }
    return out;
}

static int vt_connect_common(sqlite3 *db, void *aux, int argc, const char *const *argv,
                             sqlite3_vtab **out, char **pzErr)
{
    struct qmod *m = aux;
    const struct rp_query_table *t = m->t;
    struct qvtab *vt = sqlite3_malloc64(sizeof(*vt));
    if (!vt) return SQLITE_NOMEM;
    memset(vt, 0, sizeof(*vt));
    vt->ti.t = t;
    vt->ti.cols = t->cols;
    vt->ti.ncols = t->ncols;
    vt->ti.db = db;
    vt->ti.stats = m->stats;
    vt->ti.session = m->session;

    int rc = SQLITE_OK;
    if (t->connect) {
        int nargs = argc > 3 ? argc - 3 : 0;
        char **args = sqlite3_malloc64(sizeof(char *) * (size_t)(nargs + 1));
        if (!args) {
            sqlite3_free(vt);
            return SQLITE_NOMEM;
        }
        for (int i = 0; i < nargs; i++) {
            args[i] = arg_unquote(argv[3 + i]);
            if (!args[i]) rc = SQLITE_NOMEM;
        }
        args[nargs] = NULL;
        if (rc == SQLITE_OK) {
            struct rp_errbuf eb = {0};
            rp_err e = t->connect(&vt->ti, nargs, (const char *const *)args, &eb);
            if (e == RP_ENOMEM)
                rc = SQLITE_NOMEM;
            else if (e) {
                *pzErr = sqlite3_mprintf("%s", eb.msg[0] ? eb.msg : rp_strerror(e));
                rc = SQLITE_ERROR;
            }
        }
        for (int i = 0; i < nargs; i++) sqlite3_free(args[i]);
        sqlite3_free(args);
        if (rc != SQLITE_OK) {
            sqlite3_free(vt);
            return rc;
        }
    } else if (argc > 3) {
        *pzErr = sqlite3_mprintf("%s: takes no arguments in CREATE VIRTUAL TABLE", t->name);
        sqlite3_free(vt);
        return SQLITE_ERROR;
    }
    if (vt->ti.ncols == 0 || vt->ti.ncols > 63 * 16) {
        *pzErr = sqlite3_mprintf("%s: no columns", t->name);
        if (t->disconnect) t->disconnect(&vt->ti);
        sqlite3_free(vt);
        return SQLITE_ERROR;
    }
    char *sql = schema_sql(vt->ti.cols, vt->ti.ncols);
    rc = sql ? sqlite3_declare_vtab(db, sql) : SQLITE_NOMEM;
    sqlite3_free(sql);
    if (rc == SQLITE_OK) rc = sqlite3_vtab_config(db, SQLITE_VTAB_DIRECTONLY);
    if (rc != SQLITE_OK) {
        *pzErr = sqlite3_mprintf("%s: %s", t->name, sqlite3_errmsg(db));
        if (t->disconnect) t->disconnect(&vt->ti);
        sqlite3_free(vt);
        return rc;
    }
    *out = &vt->base;
    return SQLITE_OK;
}

/* xConnect */
static int vt_connect(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **out,
                      char **pzErr)
{
    return vt_connect_common(db, aux, argc, argv, out, pzErr);
}

/* xCreate (RP_QTAB_CREATE tables only; a different pointer from xConnect, so those tables are
** not eponymous) */
static int vt_create(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **out,
                     char **pzErr)
{
    return vt_connect_common(db, aux, argc, argv, out, pzErr);
}

/* xDisconnect, xDestroy */
static int vt_disconnect(sqlite3_vtab *base)
{
    struct qvtab *vt = (struct qvtab *)base;
    if (vt->ti.t->disconnect) vt->ti.t->disconnect(&vt->ti);
    sqlite3_free(vt);
    return SQLITE_OK;
}

static char op_code(unsigned char op)
{
    switch (op) {
    case SQLITE_INDEX_CONSTRAINT_EQ:
        return '=';
    case SQLITE_INDEX_CONSTRAINT_GT:
        return '>';
    case SQLITE_INDEX_CONSTRAINT_GE:
        return 'G';
    case SQLITE_INDEX_CONSTRAINT_LT:
        return '<';
    case SQLITE_INDEX_CONSTRAINT_LE:
        return 'L';
    default:
        return 0;
    }
}

/* xBestIndex: see HOW IT WORKS at the top. */
static int vt_best_index(sqlite3_vtab *base, sqlite3_index_info *info)
{
    struct qvtab *vt = (struct qvtab *)base;
    const struct rp_query_tabinfo *ti = &vt->ti;
    sqlite3_str *s = sqlite3_str_new(NULL);
    int argn = 0;
    uint64_t eq = 0, range = 0;
    size_t required_missing = 0;
    for (size_t c = 0; c < ti->ncols; c++)
        if (ti->cols[c].flags & RP_QCOL_REQUIRED) required_missing++;
    uint64_t required_seen = 0;

    for (int i = 0; i < info->nConstraint && argn < QUERY_MAX_CONS; i++) {
        const struct sqlite3_index_constraint *k = &info->aConstraint[i];
        if (!k->usable || k->iColumn < 0 || (size_t)k->iColumn >= ti->ncols) continue;
        const struct rp_query_col *col = &ti->cols[k->iColumn];
        if (!(col->flags & (RP_QCOL_INDEXED | RP_QCOL_REQUIRED))) continue;
        /* Tables compare bytes: a NOCASE (or other) comparison could match rows they skip,
        ** e.g. the ranges SQLite derives from LIKE 'ab%' */
        const char *coll = sqlite3_vtab_collation(info, i);
        if (!(col->flags & RP_QCOL_REQUIRED) && coll && sqlite3_stricmp(coll, "BINARY") != 0)
            continue;
        char code = op_code(k->op);
        if (!code) continue;
        bool is_in = false;
        if (code == '=' && sqlite3_vtab_in(info, i, -1)) {
            if (col->flags & RP_QCOL_REQUIRED) continue; /* an argument is one value */
            (void)sqlite3_vtab_in(info, i, 1);
            is_in = true;
            code = 'I';
        }
        info->aConstraintUsage[i].argvIndex = ++argn;
        if (code == '=' && (col->flags & RP_QCOL_REQUIRED)) {
            info->aConstraintUsage[i].omit = 1;
            if (k->iColumn < 64 && !(required_seen & (1ull << k->iColumn))) {
                required_seen |= 1ull << k->iColumn;
                required_missing--;
            }
        }
        sqlite3_str_appendf(s, "%d%c,", k->iColumn, code);
        if (k->iColumn < 64) {
            if (code == '=' || is_in)
                eq |= 1ull << k->iColumn;
            else
                range |= 1ull << k->iColumn;
        }
    }
    double rows = 0;
    if (ti->t->estimate)
        rows = ti->t->estimate(ti, eq, range);
    else
        rows = 1e6 / (1.0 + 10.0 * (double)argn);
    if (required_missing) rows = 1e15; /* filter() will say the argument is missing */
    info->estimatedRows = (sqlite3_int64)rows;
    info->estimatedCost = rows;
    info->idxNum = 0;
    if (sqlite3_str_errcode(s)) {
        sqlite3_free(sqlite3_str_finish(s));
        return SQLITE_NOMEM;
    }
    info->idxStr = sqlite3_str_finish(s);
    info->needToFreeIdxStr = 1;
    return SQLITE_OK;
}

/* xOpen */
static int vt_open(sqlite3_vtab *base, sqlite3_vtab_cursor **out)
{
    struct qvtab *vt = (struct qvtab *)base;
    size_t sz = vt->ti.t->cursor_size ? vt->ti.t->cursor_size : 1;
    struct qcursor *qc = sqlite3_malloc64(sizeof(*qc));
    void *state = sqlite3_malloc64(sz);
    if (!qc || !state) {
        sqlite3_free(qc);
        sqlite3_free(state);
        return SQLITE_NOMEM;
    }
    memset(qc, 0, sizeof(*qc));
    memset(state, 0, sz);
    qc->cur.ti = &vt->ti;
    qc->cur.state = state;
    qc->cur.eof = true;
    *out = &qc->base;
    return SQLITE_OK;
}

/* xClose */
static int vt_close(sqlite3_vtab_cursor *base)
{
    struct qcursor *qc = (struct qcursor *)base;
    if (qc->cur.ti->t->close) qc->cur.ti->t->close(&qc->cur);
    sqlite3_free(qc->cur.state);
    sqlite3_free(qc);
    return SQLITE_OK;
}

static int set_error(sqlite3_vtab_cursor *base, rp_err e, const struct rp_errbuf *eb)
{
    if (e == RP_ENOMEM) return SQLITE_NOMEM;
    sqlite3_free(base->pVtab->zErrMsg);
    base->pVtab->zErrMsg = sqlite3_mprintf("%s", eb->msg[0] ? eb->msg : rp_strerror(e));
    return SQLITE_ERROR;
}

/* xFilter: idxStr lists the constraints in argv order (see HOW IT WORKS). */
static int vt_filter(sqlite3_vtab_cursor *base, int idxNum, const char *idxStr, int argc,
                     sqlite3_value **argv)
{
    (void)idxNum;
    struct qcursor *qc = (struct qcursor *)base;
    const struct rp_query_tabinfo *ti = qc->cur.ti;
    struct rp_query_cons cons[QUERY_MAX_CONS];
    sqlite3_value **lists[QUERY_MAX_CONS];
    size_t ncons = 0;
    int rc = SQLITE_OK;
    const char *p = idxStr ? idxStr : "";
    uint64_t required_seen = 0;

    while (*p && (int)ncons < argc && ncons < QUERY_MAX_CONS) {
        char *end = NULL;
        long col = strtol(p, &end, 10);
        if (!end || end == p || !*end) break;
        char code = *end;
        p = end + 1;
        if (*p == ',') p++;
        struct rp_query_cons *c = &cons[ncons];
        lists[ncons] = NULL;
        c->col = (int)col;
        c->vals = &argv[ncons];
        c->nvals = 1;
        switch (code) {
        case '=':
            c->op = SQLITE_INDEX_CONSTRAINT_EQ;
            break;
        case '>':
            c->op = SQLITE_INDEX_CONSTRAINT_GT;
            break;
        case 'G':
            c->op = SQLITE_INDEX_CONSTRAINT_GE;
            break;
        case '<':
            c->op = SQLITE_INDEX_CONSTRAINT_LT;
            break;
        case 'L':
            c->op = SQLITE_INDEX_CONSTRAINT_LE;
            break;
        case 'I': {
            c->op = SQLITE_INDEX_CONSTRAINT_EQ;
            size_t n = 0, cap = 8;
            sqlite3_value **v = sqlite3_malloc64(cap * sizeof(*v));
            if (!v) {
                rc = SQLITE_NOMEM;
                goto out;
            }
            sqlite3_value *x = NULL;
            for (int r = sqlite3_vtab_in_first(argv[ncons], &x); r == SQLITE_OK && x;
                 r = sqlite3_vtab_in_next(argv[ncons], &x)) {
                /* x is only valid until the next sqlite3_vtab_in_next(): keep a copy */
                sqlite3_value **nv = n == cap ? sqlite3_realloc64(v, 2 * cap * sizeof(*v)) : v;
                sqlite3_value *dup = nv ? sqlite3_value_dup(x) : NULL;
                if (!dup) {
                    for (size_t k = 0; k < n; k++) sqlite3_value_free(v[k]);
                    sqlite3_free(nv ? nv : v);
                    rc = SQLITE_NOMEM;
                    goto out;
                }
                if (n == cap) cap *= 2;
                v = nv;
                v[n++] = dup;
            }
            lists[ncons] = v;
            c->vals = v;
            c->nvals = n;
            break;
        }
        default:
            rc = SQLITE_INTERNAL;
            goto out;
        }
        if (col >= 0 && (size_t)col < ti->ncols && (ti->cols[col].flags & RP_QCOL_REQUIRED) &&
            code == '=' && col < 64)
            required_seen |= 1ull << col;
        ncons++;
    }
    for (size_t i = 0; i < ti->ncols && i < 64; i++)
        if ((ti->cols[i].flags & RP_QCOL_REQUIRED) && !(required_seen & (1ull << i))) {
            sqlite3_free(base->pVtab->zErrMsg);
            base->pVtab->zErrMsg =
                sqlite3_mprintf("%s: argument '%s' is required", ti->t->name, ti->cols[i].name);
            rc = SQLITE_ERROR;
            goto out;
        }

    qc->cur.eof = false;
    qc->cur.rowid = 1;
    struct rp_errbuf eb = {0};
    rp_err e = ti->t->filter(&qc->cur, cons, ncons, &eb);
    if (e) {
        qc->cur.eof = true;
        rc = set_error(base, e, &eb);
    }
out:
    for (size_t i = 0; i < ncons && i < QUERY_MAX_CONS; i++) {
        for (size_t k = 0; lists[i] && k < cons[i].nvals; k++) sqlite3_value_free(lists[i][k]);
        sqlite3_free(lists[i]);
    }
    if (rc != SQLITE_OK) qc->cur.eof = true;
    return rc;
}

/* xNext */
static int vt_next(sqlite3_vtab_cursor *base)
{
    struct qcursor *qc = (struct qcursor *)base;
    struct rp_errbuf eb = {0};
    qc->cur.rowid++;
    rp_err e = qc->cur.ti->t->next(&qc->cur, &eb);
    if (e) {
        qc->cur.eof = true;
        return set_error(base, e, &eb);
    }
    return SQLITE_OK;
}

/* xEof */
static int vt_eof(sqlite3_vtab_cursor *base)
{
    return ((struct qcursor *)base)->cur.eof;
}

/* xColumn */
static int vt_column(sqlite3_vtab_cursor *base, sqlite3_context *ctx, int col)
{
    struct qcursor *qc = (struct qcursor *)base;
    struct rp_errbuf eb = {0};
    rp_err e = qc->cur.ti->t->column(&qc->cur, col, ctx, &eb);
    if (e == RP_ENOMEM) {
        sqlite3_result_error_nomem(ctx);
        return SQLITE_NOMEM;
    }
    if (e) {
        sqlite3_result_error(ctx, eb.msg[0] ? eb.msg : rp_strerror(e), -1);
        return SQLITE_ERROR;
    }
    return SQLITE_OK;
}

/* xRowid */
static int vt_rowid(sqlite3_vtab_cursor *base, sqlite3_int64 *out)
{
    *out = ((struct qcursor *)base)->cur.rowid;
    return SQLITE_OK;
}

static const sqlite3_module eponymous_module = {
    /* iVersion    */ 0,
    /* xCreate     */ 0,
    /* xConnect    */ vt_connect,
    /* xBestIndex  */ vt_best_index,
    /* xDisconnect */ vt_disconnect,
    /* xDestroy    */ vt_disconnect,
    /* xOpen       */ vt_open,
    /* xClose      */ vt_close,
    /* xFilter     */ vt_filter,
    /* xNext       */ vt_next,
    /* xEof        */ vt_eof,
    /* xColumn     */ vt_column,
    /* xRowid      */ vt_rowid,
    /* xUpdate     */ 0,
    /* xBegin      */ 0,
    /* xSync       */ 0,
    /* xCommit     */ 0,
    /* xRollback   */ 0,
    /* xFindMethod */ 0,
    /* xRename     */ 0,
    /* xSavepoint  */ 0,
    /* xRelease    */ 0,
    /* xRollbackTo */ 0,
    /* xShadowName */ 0,
};

static const sqlite3_module create_module = {
    /* iVersion    */ 0,
    /* xCreate     */ vt_create,
    /* xConnect    */ vt_connect,
    /* xBestIndex  */ vt_best_index,
    /* xDisconnect */ vt_disconnect,
    /* xDestroy    */ vt_disconnect,
    /* xOpen       */ vt_open,
    /* xClose      */ vt_close,
    /* xFilter     */ vt_filter,
    /* xNext       */ vt_next,
    /* xEof        */ vt_eof,
    /* xColumn     */ vt_column,
    /* xRowid      */ vt_rowid,
    /* xUpdate     */ 0,
    /* xBegin      */ 0,
    /* xSync       */ 0,
    /* xCommit     */ 0,
    /* xRollback   */ 0,
    /* xFindMethod */ 0,
    /* xRename     */ 0,
    /* xSavepoint  */ 0,
    /* xRelease    */ 0,
    /* xRollbackTo */ 0,
    /* xShadowName */ 0,
};

int rp_query_vtab_register(sqlite3 *db, void *session, struct rp_query_stats *stats)
{
    static struct rp_query_stats unused;
    for (size_t i = 0; rp_query_tables[i]; i++) {
        const struct rp_query_table *t = rp_query_tables[i];
        struct qmod *m = sqlite3_malloc64(sizeof(*m));
        if (!m) return SQLITE_NOMEM;
        m->t = t;
        m->session = session;
        m->stats = stats ? stats : &unused;
        const sqlite3_module *mod =
            (t->flags & RP_QTAB_CREATE) ? &create_module : &eponymous_module;
        int rc = sqlite3_create_module_v2(db, t->name, mod, m, sqlite3_free);
        if (rc != SQLITE_OK) return rc;
    }
    return SQLITE_OK;
}

/* ---- helpers for tables ------------------------------------------------------------------ */

void rp_query_session_warn(void *session, const struct rp_query_stats *stats, const char *msg)
{
    (void)session; /* one place for every session: stderr */
    if (stats->warnings <= RP_QUERY_MAX_WARNINGS) fprintf(stderr, "rampart: warning: %s\n", msg);
}

void rp_query_warn(struct rp_query_tabinfo *ti, bool rejected, const char *fmt, ...)
{
    char msg[RP_MAX_ERRMSG];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ti->stats->warnings++;
    if (rejected) ti->stats->records_rejected++;
    rp_query_session_warn(ti->session, ti->stats, msg);
}
