/* SPDX-License-Identifier: Apache-2.0 */
/* query_tab_postgres: the postgres connector of `rampart query` (query_table.h,
 * docs/query-postgres.md): a PostgreSQL table or view read through libpq.
 *
 *     CREATE VIRTUAL TABLE temp.t USING postgres('host=db dbname=x user=y', 'public.flows')
 *
 * connect() opens the connection (keyword/value or URI conninfo), sets the session to UTC,
 * ISO dates, exact floats and hex bytea, and reads the columns of the relation from the
 * catalog (pg_attribute, in attnum order) with a parameterised query. Each scan runs inside a
 * READ ONLY REPEATABLE READ transaction as a server-side cursor fetched PG_FETCH rows at a
 * time, so memory stays bounded; several cursors (a self-join) share that transaction, which
 * ends when the last of them closes. Constraints on columns are pushed down as bound
 * parameters when the server's comparison can only return a superset of the rows SQLite's
 * own comparison accepts (SQLite re-checks every row); any other constraint is left to SQLite.
 * The rules per type are in pg_cons_sql() and docs/query-postgres.md. */
#define RP_LOG_MODULE "query"
#include <errno.h>
#include <libpq-fe.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rp_buf.h"
#include "core/rp_hash.h"
#include "query/query_table.h"
#include "core/rp_banned.h"

#define PG_FETCH     1000        /* rows per FETCH */
#define PG_MAX_SQL   (1u << 20)  /* generated statement text */
#define PG_MAX_PARAM (16u << 20) /* one bound parameter (an IN list as an array literal) */
#define PG_EXACT_INT (1ll << 53) /* integers a double holds exactly */
#define PG_TS_FMT    "'YYYY-MM-DD HH24:MI:SS.MS'"

/* Built-in type OIDs (stable, from the server's pg_type.dat). */
#define PG_OID_BOOL        16
#define PG_OID_BYTEA       17
#define PG_OID_NAME        19
#define PG_OID_INT8        20
#define PG_OID_INT2        21
#define PG_OID_INT4        23
#define PG_OID_TEXT        25
#define PG_OID_OID         26
#define PG_OID_JSON        114
#define PG_OID_FLOAT4      700
#define PG_OID_FLOAT8      701
#define PG_OID_VARCHAR     1043
#define PG_OID_DATE        1082
#define PG_OID_TIMESTAMP   1114
#define PG_OID_TIMESTAMPTZ 1184
#define PG_OID_NUMERIC     1700
#define PG_OID_UUID        2950
#define PG_OID_JSONB       3802

/* How a column is selected, shown to SQLite, and compared in pushed-down constraints. */
enum pg_kind {
    PK_INT,      /* int2 int4 int8: INTEGER; compared as the column */
    PK_OID,      /* oid: INTEGER; compared as col::int8 */
    PK_BOOL,     /* INTEGER 0/1; compared as col::int4 */
    PK_FLOAT8,   /* REAL; compared as the column */
    PK_FLOAT4,   /* REAL parsed from the shortest exact text; compared as col::text::float8 */
    PK_NUMERIC,  /* REAL; compared as col::float8 (the double SQLite sees) */
    PK_TEXT,     /* text varchar name: TEXT; compared as the column ("C" order for ranges) */
    PK_TEXTCAST, /* uuid, enums: TEXT; compared as col::text */
    PK_JSON,     /* json jsonb: TEXT holding JSON; compared as col::text */
    PK_TSTZ,     /* timestamptz: 'YYYY-MM-DD HH:MM:SS.mmm' UTC, compared as that text */
    PK_TS,       /* timestamp: same text, the value as stored */
    PK_DATE,     /* date: 'YYYY-MM-DD', compared as that text */
    PK_BYTEA,    /* BLOB from the hex output; never pushed down */
    PK_OTHER,    /* everything else: TEXT as the server prints it; never pushed down */
};

struct pg_col {
    enum pg_kind kind;
    char *sel; /* expression in the SELECT list */
    char *cmp; /* left side of a pushed-down comparison; NULL: never pushed down */
};

struct pg_tab {
    PGconn *conn;
    char *conninfo; /* to connect again after the server closed the connection */
    char *rel;      /* quoted "schema"."relation" */
    char *label;    /* the relation as the user wrote it, for messages */
    size_t ncols;
    struct rp_query_col *qcols; /* ti->cols */
    char **names;               /* qcols[i].name, owned */
    struct pg_col *cols;
    unsigned seq; /* cursor names rp_c<seq> */
    int open;     /* cursors declared in the current transaction */
    bool in_txn;
    unsigned gen; /* transaction generation; a cursor of an older one is gone */
};

struct pg_cur {
    PGresult *res; /* current batch */
    int row, nrows;
    bool declared; /* a server-side cursor named name exists in transaction gen */
    unsigned gen;
    char name[32];
};

/* ---- small helpers ------------------------------------------------------------------------ */

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p) memcpy(p, s, n);
    return p;
}

/* Length of the first line of s (without the line break). */
static int first_line_len(const char *s)
{
    size_t n = strcspn(s, "\r\n");
    return n > 200 ? 200 : (int)n;
}

/* "postgres: <what><message>": the server's primary message for res, else the connection's
 * message, first line only. */
static rp_err pg_fail(struct rp_errbuf *eb, PGconn *conn, const PGresult *res, const char *what)
{
    const char *m = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    if (!m || !*m) m = res ? PQresultErrorMessage(res) : NULL;
    if (!m || !*m) m = conn ? PQerrorMessage(conn) : "";
    if (!*m) m = "unknown error";
    return rp_fail(eb, RP_EDB, "postgres: %s%.*s", what, first_line_len(m), m);
}

static enum pg_kind pg_kind_of(unsigned oid, char typtype)
{
    switch (oid) {
    case PG_OID_INT2:
    case PG_OID_INT4:
    case PG_OID_INT8:
        return PK_INT;
    case PG_OID_OID:
        return PK_OID;
    case PG_OID_BOOL:
        return PK_BOOL;
    case PG_OID_FLOAT8:
        return PK_FLOAT8;
    case PG_OID_FLOAT4:
        return PK_FLOAT4;
    case PG_OID_NUMERIC:
        return PK_NUMERIC;
    case PG_OID_TEXT:
    case PG_OID_VARCHAR:
    case PG_OID_NAME:
        return PK_TEXT;
    case PG_OID_UUID:
        return PK_TEXTCAST;
    case PG_OID_JSON:
    case PG_OID_JSONB:
        return PK_JSON;
    case PG_OID_TIMESTAMPTZ:
        return PK_TSTZ;
    case PG_OID_TIMESTAMP:
        return PK_TS;
    case PG_OID_DATE:
        return PK_DATE;
    case PG_OID_BYTEA:
        return PK_BYTEA;
    default:
        return typtype == 'e' ? PK_TEXTCAST : PK_OTHER;
    }
}

static enum rp_query_coltype pg_coltype_of(enum pg_kind k)
{
    switch (k) {
    case PK_INT:
    case PK_OID:
    case PK_BOOL:
        return RP_QCOL_INT;
    case PK_FLOAT8:
    case PK_FLOAT4:
    case PK_NUMERIC:
        return RP_QCOL_REAL;
    case PK_JSON:
        return RP_QCOL_JSON;
    case PK_BYTEA:
        return RP_QCOL_BLOB;
    default:
        return RP_QCOL_TEXT;
    }
}

static bool kind_int(enum pg_kind k)
{
    return k == PK_INT || k == PK_OID || k == PK_BOOL;
}

static bool kind_numeric(enum pg_kind k)
{
    return kind_int(k) || k == PK_FLOAT8 || k == PK_FLOAT4 || k == PK_NUMERIC;
}

/* The SELECT expression and the comparison expression of a column whose quoted name is q
 * (malloc'd into c->sel and c->cmp). */
static rp_err pg_col_exprs(struct pg_col *c, const char *q)
{
    struct rp_buf sel, cmp;
    rp_buf_init(&sel, PG_MAX_SQL);
    rp_buf_init(&cmp, PG_MAX_SQL);
    rp_err e = RP_OK;
    switch (c->kind) {
    case PK_TSTZ:
        e = rp_buf_printf(&sel, "to_char(%s AT TIME ZONE 'UTC', " PG_TS_FMT ")", q);
        break;
    case PK_TS:
        e = rp_buf_printf(&sel, "to_char(%s, " PG_TS_FMT ")", q);
        break;
    case PK_DATE:
        e = rp_buf_printf(&sel, "to_char(%s, 'YYYY-MM-DD')", q);
        break;
    default:
        e = rp_buf_append_str(&sel, q);
        break;
    }
    switch (e ? PK_OTHER : c->kind) {
    case PK_INT:
    case PK_FLOAT8:
    case PK_TEXT:
        e = rp_buf_append_str(&cmp, q);
        break;
    case PK_OID:
        e = rp_buf_printf(&cmp, "%s::int8", q);
        break;
    case PK_BOOL:
        e = rp_buf_printf(&cmp, "%s::int4", q);
        break;
    case PK_FLOAT4:
        e = rp_buf_printf(&cmp, "%s::text::float8", q);
        break;
    case PK_NUMERIC:
        e = rp_buf_printf(&cmp, "%s::float8", q);
        break;
    case PK_TEXTCAST:
    case PK_JSON:
        e = rp_buf_printf(&cmp, "%s::text", q);
        break;
    case PK_TSTZ:
    case PK_TS:
    case PK_DATE:
        e = rp_buf_append_str(&cmp, rp_buf_cstr(&sel));
        break;
    case PK_BYTEA:
    case PK_OTHER:
        break;
    }
    if (e) {
        rp_buf_release(&sel);
        rp_buf_release(&cmp);
        return RP_ENOMEM;
    }
    c->sel = rp_buf_take(&sel, NULL);
    c->cmp = rp_buf_take(&cmp, NULL); /* NULL when empty: not pushed down */
    return c->sel ? RP_OK : RP_ENOMEM;
}

/* ---- constraint values -------------------------------------------------------------------- */

enum pg_vclass {
    PV_SKIP, /* cannot be pushed down safely */
    PV_NULL, /* matches nothing */
    PV_INT,
    PV_REAL,
    PV_TEXT,
};

struct pg_val {
    enum pg_vclass cls;
    int64_t i;
    double d;
    const char *s; /* PV_TEXT, borrowed from the sqlite3_value */
};

/* A number as SQLite's numeric affinity reads text: optional spaces, sign, digits with an
 * optional fraction and exponent, spaces; no hex, no inf/nan. */
static bool text_number(const char *s, struct pg_val *v)
{
    const char *p = s;
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f' || *p == '\v') p++;
    const char *start = p;
    if (*p == '+' || *p == '-') p++;
    size_t digits = 0;
    bool integral = true;
    while (*p >= '0' && *p <= '9') p++, digits++;
    if (*p == '.') {
        integral = false;
        p++;
        while (*p >= '0' && *p <= '9') p++, digits++;
    }
    if (!digits) return false;
    if (*p == 'e' || *p == 'E') {
        integral = false;
        p++;
        if (*p == '+' || *p == '-') p++;
        if (!(*p >= '0' && *p <= '9')) return false;
        while (*p >= '0' && *p <= '9') p++;
    }
    const char *end = p;
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f' || *p == '\v') p++;
    if (*p) return false;
    char buf[512];
    size_t n = (size_t)(end - start);
    if (n >= sizeof buf) return false;
    memcpy(buf, start, n);
    buf[n] = 0;
    if (integral) {
        errno = 0;
        char *e = NULL;
        long long x = strtoll(buf, &e, 10);
        if (errno == 0 && e && !*e) {
            v->cls = PV_INT;
            v->i = x;
            return true;
        }
    }
    char *e = NULL;
    double d = strtod(buf, &e);
    if (!e || *e) return false;
    v->cls = PV_REAL;
    v->d = d;
    return true;
}

static bool valid_utf8(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        size_t len = 0;
        uint32_t cp = 0;
        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xe0) == 0xc0) {
            len = 2, cp = c & 0x1f;
        } else if ((c & 0xf0) == 0xe0) {
            len = 3, cp = c & 0x0f;
        } else if ((c & 0xf8) == 0xf0) {
            len = 4, cp = c & 0x07;
        } else {
            return false;
        }
        if (i + len > n) return false;
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xc0) != 0x80) return false;
            cp = (cp << 6) | (s[i + k] & 0x3f);
        }
        if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
            cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        i += len;
    }
    return true;
}

/* What v means against a column of kind k, following SQLite's comparison rules: a numeric
 * column compares numbers (text that reads as a number becomes one; other text never
 * equals a number), a text column compares text; values whose meaning depends on the other
 * operand's affinity (a number against a text column, as in a join) are skipped. */
static void pg_val_classify(sqlite3_value *v, enum pg_kind k, struct pg_val *out)
{
    memset(out, 0, sizeof *out);
    out->cls = PV_SKIP;
    int ty = sqlite3_value_type(v);
    if (ty == SQLITE_NULL) {
        out->cls = PV_NULL;
        return;
    }
    if (kind_numeric(k)) {
        if (ty == SQLITE_INTEGER) {
            out->cls = PV_INT;
            out->i = sqlite3_value_int64(v);
        } else if (ty == SQLITE_FLOAT) {
            out->d = sqlite3_value_double(v);
            if (!isnan(out->d)) out->cls = PV_REAL;
        } else if (ty == SQLITE_TEXT) {
            const char *s = (const char *)sqlite3_value_text(v);
            if (s && (size_t)sqlite3_value_bytes(v) == strlen(s) && !text_number(s, out))
                out->cls = PV_SKIP;
        }
        return;
    }
    if (ty != SQLITE_TEXT) return;
    const unsigned char *s = sqlite3_value_text(v);
    size_t n = (size_t)sqlite3_value_bytes(v);
    if (!s || strlen((const char *)s) != n || !valid_utf8(s, n)) return;
    out->cls = PV_TEXT;
    out->s = (const char *)s;
}

/* A number as PostgreSQL reads it back exactly ("%.17g" round-trips a double). */
static rp_err put_real(struct rp_buf *b, double d)
{
    if (isinf(d)) return rp_buf_append_str(b, d > 0 ? "Infinity" : "-Infinity");
    return rp_buf_printf(b, "%.17g", d);
}

/* One element of an array literal: "..." with \ and " escaped. */
static rp_err put_array_text(struct rp_buf *b, const char *s)
{
    rp_err e = rp_buf_putc(b, '"');
    for (const char *p = s; !e && *p; p++) {
        if (*p == '"' || *p == '\\') e = rp_buf_putc(b, '\\');
        if (!e) e = rp_buf_putc(b, *p);
    }
    if (!e) e = rp_buf_putc(b, '"');
    return e;
}

static const char *op_sql(int op)
{
    switch (op) {
    case SQLITE_INDEX_CONSTRAINT_EQ:
        return "=";
    case SQLITE_INDEX_CONSTRAINT_GT:
        return ">";
    case SQLITE_INDEX_CONSTRAINT_GE:
        return ">=";
    case SQLITE_INDEX_CONSTRAINT_LT:
        return "<";
    case SQLITE_INDEX_CONSTRAINT_LE:
        return "<=";
    default:
        return NULL;
    }
}

/* Bound parameters of one statement, owned. */
struct pg_params {
    size_t n;
    char **vals;
};

static void params_release(struct pg_params *p)
{
    for (size_t i = 0; i < p->n; i++) free(p->vals[i]);
    free(p->vals);
    p->vals = NULL;
    p->n = 0;
}

/* Append the translation of one constraint to sql ("<cmp> <op> $n::type" or
 * "<cmp> = ANY($n::type[])") and its parameter to params. *pushed is false (and nothing is
 * appended) when the constraint is left to SQLite:
 *   - the column has no comparison expression (bytea, other types),
 *   - a value is a BLOB, text that is not a number against a numeric column, a number
 *     against a text column, text with NUL bytes or invalid UTF-8, or NULL (it matches
 *     nothing; NULLs of an IN list are dropped, the other values pushed),
 *   - an integer past 2^53 against a floating-point column.
 * Integer columns compare with int8 parameters, or numeric ones when a value has a fraction
 * (exact); floating-point columns with float8; text with text, under COLLATE "C" for ranges
 * so the order is SQLite's byte order. */
static rp_err pg_cons_sql(const struct pg_col *c, const struct rp_query_cons *k, struct rp_buf *sql,
                          struct pg_params *params, bool *pushed)
{
    *pushed = false;
    const char *op = op_sql(k->op);
    if (!c->cmp || !op || k->nvals == 0) return RP_OK;
    bool num = kind_numeric(c->kind);
    bool any_real = false;
    size_t nuse = 0;
    for (size_t i = 0; i < k->nvals; i++) {
        struct pg_val v;
        pg_val_classify(k->vals[i], c->kind, &v);
        if (v.cls == PV_SKIP || (v.cls == PV_NULL && k->nvals == 1)) return RP_OK;
        if (v.cls == PV_NULL) continue;
        if (v.cls == PV_REAL) any_real = true;
        if (v.cls == PV_INT && num && !kind_int(c->kind) &&
            (v.i > PG_EXACT_INT || v.i < -PG_EXACT_INT))
            return RP_OK;
        nuse++;
    }
    if (nuse == 0) return RP_OK;
    const char *type = "text";
    if (kind_int(c->kind))
        type = any_real ? "numeric" : "int8";
    else if (num)
        type = "float8";

    struct rp_buf val;
    rp_buf_init(&val, PG_MAX_PARAM);
    rp_err e = RP_OK;
    bool list = nuse > 1;
    if (list) e = rp_buf_putc(&val, '{');
    size_t put = 0;
    for (size_t i = 0; !e && i < k->nvals; i++) {
        struct pg_val v;
        pg_val_classify(k->vals[i], c->kind, &v);
        if (v.cls == PV_NULL) continue;
        if (put++) e = rp_buf_putc(&val, ',');
        if (e) break;
        if (v.cls == PV_INT)
            e = rp_buf_printf(&val, "%lld", (long long)v.i);
        else if (v.cls == PV_REAL)
            e = put_real(&val, v.d);
        else if (list)
            e = put_array_text(&val, v.s);
        else
            e = rp_buf_append_str(&val, v.s);
    }
    if (!e && list) e = rp_buf_putc(&val, '}');
    if (e == RP_ELIMIT) { /* too long to be worth sending: SQLite filters */
        rp_buf_release(&val);
        return RP_OK;
    }
    char **nv = e ? NULL : realloc(params->vals, (params->n + 1) * sizeof *nv);
    if (!nv) {
        rp_buf_release(&val);
        return RP_ENOMEM;
    }
    params->vals = nv;
    size_t idx = ++params->n;
    nv[idx - 1] = rp_buf_take(&val, NULL);
    if (!nv[idx - 1] && !(nv[idx - 1] = dup_str(""))) return RP_ENOMEM;

    bool range = k->op != SQLITE_INDEX_CONSTRAINT_EQ;
    const char *coll = range && !num ? " COLLATE \"C\"" : "";
    if (list)
        e = rp_buf_printf(sql, "%s%s = ANY($%zu::%s[])", c->cmp, coll, idx, type);
    else
        e = rp_buf_printf(sql, "%s%s %s $%zu::%s", c->cmp, coll, op, idx, type);
    if (e) return e == RP_ELIMIT ? RP_ELIMIT : RP_ENOMEM;
    *pushed = true;
    return RP_OK;
}

/* SELECT <sel...> FROM <rel> [WHERE <pushed constraints> AND ...] into sql, parameters into
 * params (both empty on entry). */
static rp_err pg_select_sql(const struct pg_col *cols, size_t ncols, const char *rel,
                            const struct rp_query_cons *cons, size_t ncons, struct rp_buf *sql,
                            struct pg_params *params)
{
    rp_err e = rp_buf_append_str(sql, "SELECT ");
    for (size_t i = 0; !e && i < ncols; i++) {
        if (i) e = rp_buf_append_str(sql, ", ");
        if (!e) e = rp_buf_append_str(sql, cols[i].sel);
    }
    if (!e) e = rp_buf_printf(sql, " FROM %s", rel);
    size_t pushed_n = 0;
    for (size_t i = 0; !e && i < ncons; i++) {
        if (cons[i].col < 0 || (size_t)cons[i].col >= ncols) continue;
        size_t mark = sql->len;
        e = rp_buf_append_str(sql, pushed_n ? " AND " : " WHERE ");
        bool pushed = false;
        if (!e) e = pg_cons_sql(&cols[cons[i].col], &cons[i], sql, params, &pushed);
        if (!e && !pushed) rp_buf_truncate(sql, mark);
        if (pushed) pushed_n++;
    }
    return e;
}

/* ---- bytea -------------------------------------------------------------------------------- */

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Decode PostgreSQL's hex bytea output ("\x0aff") into out (at least (n - 2) / 2 bytes);
 * false when s is not in that form. */
static bool pg_bytea_decode(const char *s, size_t n, unsigned char *out, size_t *outlen)
{
    if (n < 2 || s[0] != '\\' || s[1] != 'x' || (n - 2) % 2) return false;
    size_t o = 0;
    for (size_t i = 2; i < n; i += 2) {
        int hi = hexval(s[i]), lo = hexval(s[i + 1]);
        if (hi < 0 || lo < 0) return false;
        out[o++] = (unsigned char)(hi << 4 | lo);
    }
    *outlen = o;
    return true;
}

/* ---- connection --------------------------------------------------------------------------- */

static rp_err exec_ok(PGconn *conn, const char *sql, struct rp_errbuf *eb)
{
    PGresult *r = PQexec(conn, sql);
    if (!r) return pg_fail(eb, conn, NULL, "");
    ExecStatusType st = PQresultStatus(r);
    rp_err e = RP_OK;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) e = pg_fail(eb, conn, r, "");
    PQclear(r);
    return e;
}

/* Open a connection with the session settings the conversions rely on. */
static rp_err pg_open(const char *conninfo, PGconn **out, struct rp_errbuf *eb)
{
    /* Later keywords win, so conninfo can override the timeout and the application name;
     * expand_dbname makes conninfo either a connection string or a URI. */
    const char *const keys[] = {"connect_timeout", "fallback_application_name", "dbname", NULL};
    const char *const vals[] = {"10", "rampart", conninfo, NULL};
    PGconn *conn = PQconnectdbParams(keys, vals, 1);
    if (!conn) return rp_fail(eb, RP_ENOMEM, "postgres: out of memory");
    if (PQstatus(conn) != CONNECTION_OK) {
        const char *m = PQerrorMessage(conn);
        rp_fail(eb, RP_ENET, "postgres: cannot connect: %.*s", first_line_len(m), m);
        PQfinish(conn);
        return RP_ENET;
    }
    rp_err e = RP_OK;
    if (PQsetClientEncoding(conn, "UTF8") != 0) e = pg_fail(eb, conn, NULL, "");
    if (!e)
        e = exec_ok(conn,
                    "SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; "
                    "SET IntervalStyle = 'postgres'; SET extra_float_digits = 3; "
                    "SET bytea_output = 'hex'",
                    eb);
    if (e) {
        PQfinish(conn);
        return e;
    }
    *out = conn;
    return RP_OK;
}

static void tab_free(struct pg_tab *t)
{
    if (!t) return;
    if (t->conn) PQfinish(t->conn);
    for (size_t i = 0; i < t->ncols; i++) {
        if (t->names) free(t->names[i]);
        if (t->cols) {
            free(t->cols[i].sel);
            free(t->cols[i].cmp);
        }
    }
    free(t->names);
    free(t->cols);
    free(t->qcols);
    free(t->rel);
    free(t->label);
    free(t->conninfo);
    free(t);
}

static char *quote_ident(PGconn *conn, const char *s)
{
    char *q = PQescapeIdentifier(conn, s, strlen(s));
    if (!q) return NULL;
    char *out = dup_str(q);
    PQfreemem(q);
    return out;
}

static const char SQL_REL[] =
    "SELECT c.oid::text, n.nspname, c.relname, c.relkind FROM pg_catalog.pg_class c "
    "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
    "WHERE c.oid = pg_catalog.to_regclass($1)";

static const char SQL_COLS[] =
    "SELECT a.attname, CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END, "
    "COALESCE(b.typtype, t.typtype) FROM pg_catalog.pg_attribute a "
    "JOIN pg_catalog.pg_type t ON t.oid = a.atttypid "
    "LEFT JOIN pg_catalog.pg_type b ON t.typtype = 'd' AND b.oid = t.typbasetype "
    "WHERE a.attrelid = $1::oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum";

/* Read the relation's name and columns into t. */
static rp_err read_columns(struct pg_tab *t, const char *name, struct rp_errbuf *eb)
{
    const char *p1[1] = {name};
    PGresult *r = PQexecParams(t->conn, SQL_REL, 1, NULL, p1, NULL, NULL, 0);
    if (!r || PQresultStatus(r) != PGRES_TUPLES_OK) {
        char what[RP_MAX_ERRMSG];
        snprintf(what, sizeof what, "bad table name '%s': ", name);
        rp_err e = pg_fail(eb, t->conn, r, what);
        PQclear(r);
        return e;
    }
    const char *kind = PQntuples(r) == 1 ? PQgetvalue(r, 0, 3) : "";
    if (!kind[0] || !strchr("rpvmf", kind[0])) {
        PQclear(r);
        return rp_fail(eb, RP_ENOENT, "postgres: no table '%s'", name);
    }
    char *oid = dup_str(PQgetvalue(r, 0, 0));
    char *qs = quote_ident(t->conn, PQgetvalue(r, 0, 1));
    char *qr = quote_ident(t->conn, PQgetvalue(r, 0, 2));
    PQclear(r);
    struct rp_buf rel;
    rp_buf_init(&rel, 0);
    rp_err e = (oid && qs && qr) ? rp_buf_printf(&rel, "%s.%s", qs, qr) : RP_ENOMEM;
    free(qs);
    free(qr);
    if (e) {
        free(oid);
        rp_buf_release(&rel);
        return rp_fail(eb, RP_ENOMEM, "postgres: out of memory");
    }
    t->rel = rp_buf_take(&rel, NULL);

    const char *p2[1] = {oid};
    r = PQexecParams(t->conn, SQL_COLS, 1, NULL, p2, NULL, NULL, 0);
    free(oid);
    if (!r || PQresultStatus(r) != PGRES_TUPLES_OK) {
        e = pg_fail(eb, t->conn, r, "");
        PQclear(r);
        return e;
    }
    size_t n = (size_t)PQntuples(r);
    if (n == 0) {
        PQclear(r);
        return rp_fail(eb, RP_EINVAL, "postgres: table '%s' has no columns", name);
    }
    t->qcols = calloc(n, sizeof *t->qcols);
    t->names = calloc(n, sizeof *t->names);
    t->cols = calloc(n, sizeof *t->cols);
    if (!t->qcols || !t->names || !t->cols) {
        PQclear(r);
        return rp_fail(eb, RP_ENOMEM, "postgres: out of memory");
    }
    t->ncols = n;
    for (size_t i = 0; i < n; i++) {
        const char *attname = PQgetvalue(r, (int)i, 0);
        unsigned long typ = strtoul(PQgetvalue(r, (int)i, 1), NULL, 10);
        char typtype = PQgetvalue(r, (int)i, 2)[0];
        struct pg_col *c = &t->cols[i];
        c->kind = pg_kind_of((unsigned)typ, typtype);
        t->names[i] = dup_str(attname);
        char *q = quote_ident(t->conn, attname);
        e = (t->names[i] && q) ? pg_col_exprs(c, q) : RP_ENOMEM;
        free(q);
        if (e) {
            PQclear(r);
            return rp_fail(eb, RP_ENOMEM, "postgres: out of memory");
        }
        t->qcols[i].name = t->names[i];
        t->qcols[i].type = pg_coltype_of(c->kind);
        t->qcols[i].flags = RP_QCOL_INDEXED;
    }
    PQclear(r);
    return RP_OK;
}

static rp_err pg_connect(struct rp_query_tabinfo *ti, int argc, const char *const *argv,
                         struct rp_errbuf *eb)
{
    if (argc != 2)
        return rp_fail(eb, RP_EINVAL,
                       "postgres: expected 2 arguments ('conninfo', 'schema.table'), got %d", argc);
    if (!argv[1][0]) return rp_fail(eb, RP_EINVAL, "postgres: empty table name");
    struct pg_tab *t = calloc(1, sizeof *t);
    if (!t) return rp_fail(eb, RP_ENOMEM, "postgres: out of memory");
    t->label = dup_str(argv[1]);
    t->conninfo = dup_str(argv[0]);
    rp_err e =
        (t->label && t->conninfo) ? RP_OK : rp_fail(eb, RP_ENOMEM, "postgres: out of memory");
    if (!e) e = pg_open(argv[0], &t->conn, eb);
    if (!e) e = read_columns(t, argv[1], eb);
    if (e) {
        tab_free(t);
        return e;
    }
    ti->priv = t;
    ti->cols = t->qcols;
    ti->ncols = t->ncols;
    return RP_OK;
}

static void pg_disconnect(struct rp_query_tabinfo *ti)
{
    tab_free(ti->priv);
    ti->priv = NULL;
}

/* ---- scans -------------------------------------------------------------------------------- */

/* After a failed command the transaction is aborted: roll it back, which also drops every
 * cursor of it (cursors of older generations are not closed again). */
static void txn_abort(struct pg_tab *t)
{
    if (t->in_txn && PQstatus(t->conn) == CONNECTION_OK) {
        PGresult *r = PQexec(t->conn, "ROLLBACK");
        PQclear(r);
    }
    t->in_txn = false;
    t->open = 0;
    t->gen++;
}

/* Close the cursor's server-side cursor (and end the transaction after the last one). */
static rp_err cur_finish(struct pg_tab *t, struct pg_cur *c, struct rp_errbuf *eb)
{
    PQclear(c->res);
    c->res = NULL;
    c->row = c->nrows = 0;
    if (!c->declared) return RP_OK;
    c->declared = false;
    if (c->gen != t->gen || !t->in_txn) return RP_OK;
    char sql[64];
    snprintf(sql, sizeof sql, "CLOSE %s", c->name);
    rp_err e = exec_ok(t->conn, sql, eb);
    if (!e && --t->open == 0) {
        e = exec_ok(t->conn, "COMMIT", eb);
        if (!e) t->in_txn = false;
    }
    if (e) txn_abort(t);
    return e;
}

static void count_bytes(struct rp_query_stats *st, const PGresult *r)
{
    int rows = PQntuples(r), cols = PQnfields(r);
    int64_t n = 0;
    for (int i = 0; i < rows; i++)
        for (int j = 0; j < cols; j++) n += PQgetlength(r, i, j);
    st->bytes_scanned += n;
}

/* The rowid of the current row: a hash of its values, so the same row has the same rowid in
 * every scan. SQLite's OR optimisation runs one scan per OR term and drops rows whose rowid an
 * earlier term returned; identical rows match the same terms, so they may share a rowid. */
static void set_rowid(struct rp_query_cur *cur)
{
    struct pg_cur *c = cur->state;
    if (cur->eof || !c->res || c->row >= c->nrows) return;
    uint64_t h = 0;
    for (int j = 0; j < PQnfields(c->res); j++) {
        bool null = PQgetisnull(c->res, c->row, j);
        size_t n = (size_t)PQgetlength(c->res, c->row, j);
        h = rp_hash_combine(h, null ? UINT64_MAX : n);
        if (!null) h = rp_hash_xxh3_64(PQgetvalue(c->res, c->row, j), n, h);
    }
    cur->rowid = (int64_t)(h >> 1);
}

/* FETCH the next batch; eof when there is none. */
static rp_err cur_fetch(struct rp_query_cur *cur, struct rp_errbuf *eb)
{
    struct pg_tab *t = cur->ti->priv;
    struct pg_cur *c = cur->state;
    PQclear(c->res);
    c->res = NULL;
    c->row = c->nrows = 0;
    if (!c->declared || c->gen != t->gen) {
        cur->eof = true;
        c->declared = false;
        return rp_fail(eb, RP_EDB, "postgres: the scan of '%s' was ended by an earlier error",
                       t->label);
    }
    char sql[64];
    snprintf(sql, sizeof sql, "FETCH FORWARD %d FROM %s", PG_FETCH, c->name);
    PGresult *r = PQexec(t->conn, sql);
    if (!r || PQresultStatus(r) != PGRES_TUPLES_OK) {
        rp_err e = pg_fail(eb, t->conn, r, "");
        PQclear(r);
        c->declared = false;
        txn_abort(t);
        cur->eof = true;
        return e;
    }
    count_bytes(cur->ti->stats, r);
    c->res = r;
    c->nrows = PQntuples(r);
    if (c->nrows == 0) {
        cur->eof = true;
        return cur_finish(t, c, eb);
    }
    set_rowid(cur);
    return RP_OK;
}

/* Start the transaction of the scans. When the server closed the connection since the last
 * statement (a restart, an idle timeout, pg_terminate_backend), connect again once: no scan
 * was running, so nothing is lost. */
static rp_err txn_begin(struct pg_tab *t, struct rp_errbuf *eb)
{
    static const char begin[] = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
    rp_err e = exec_ok(t->conn, begin, eb);
    if (e && PQstatus(t->conn) == CONNECTION_BAD) {
        PGconn *nc = NULL;
        e = pg_open(t->conninfo, &nc, eb);
        if (!e) {
            PQfinish(t->conn);
            t->conn = nc;
            e = exec_ok(t->conn, begin, eb);
        }
    }
    if (e) return e;
    t->in_txn = true;
    return RP_OK;
}

static rp_err pg_filter(struct rp_query_cur *cur, const struct rp_query_cons *cons, size_t ncons,
                        struct rp_errbuf *eb)
{
    struct pg_tab *t = cur->ti->priv;
    struct pg_cur *c = cur->state;
    rp_err e = cur_finish(t, c, eb);
    if (e) {
        cur->eof = true;
        return e;
    }

    struct rp_buf sql;
    struct pg_params params = {0};
    rp_buf_init(&sql, PG_MAX_SQL);
    snprintf(c->name, sizeof c->name, "rp_c%u", ++t->seq);
    e = rp_buf_printf(&sql, "DECLARE %s NO SCROLL CURSOR FOR ", c->name);
    if (!e) e = pg_select_sql(t->cols, t->ncols, t->rel, cons, ncons, &sql, &params);
    if (e) {
        rp_buf_release(&sql);
        params_release(&params);
        cur->eof = true;
        return rp_fail(eb, e, "postgres: cannot build the query for '%s'", t->label);
    }
    if (!t->in_txn && (e = txn_begin(t, eb))) {
        rp_buf_release(&sql);
        params_release(&params);
        cur->eof = true;
        return e;
    }
    PGresult *r = PQexecParams(t->conn, rp_buf_cstr(&sql), (int)params.n, NULL,
                               (const char *const *)params.vals, NULL, NULL, 0);
    rp_buf_release(&sql);
    params_release(&params);
    if (!r || PQresultStatus(r) != PGRES_COMMAND_OK) {
        e = pg_fail(eb, t->conn, r, "");
        PQclear(r);
        txn_abort(t);
        cur->eof = true;
        return e;
    }
    PQclear(r);
    c->declared = true;
    c->gen = t->gen;
    t->open++;
    cur->eof = false;
    return cur_fetch(cur, eb);
}

static rp_err pg_next(struct rp_query_cur *cur, struct rp_errbuf *eb)
{
    struct pg_cur *c = cur->state;
    if (cur->eof) return RP_OK;
    if (++c->row < c->nrows) {
        set_rowid(cur);
        return RP_OK;
    }
    if (c->nrows < PG_FETCH) { /* a short batch was the last one */
        cur->eof = true;
        return cur_finish(cur->ti->priv, c, eb);
    }
    return cur_fetch(cur, eb);
}

static rp_err pg_column(struct rp_query_cur *cur, int col, sqlite3_context *ctx,
                        struct rp_errbuf *eb)
{
    struct pg_tab *t = cur->ti->priv;
    struct pg_cur *c = cur->state;
    if (!c->res || c->row >= c->nrows || col < 0 || (size_t)col >= t->ncols) {
        sqlite3_result_null(ctx);
        return RP_OK;
    }
    if (PQgetisnull(c->res, c->row, col)) {
        sqlite3_result_null(ctx);
        return RP_OK;
    }
    const char *v = PQgetvalue(c->res, c->row, col);
    int len = PQgetlength(c->res, c->row, col);
    char *end = NULL;
    switch (t->cols[col].kind) {
    case PK_INT:
    case PK_OID: {
        errno = 0;
        long long x = strtoll(v, &end, 10);
        if (errno == 0 && end && !*end && len > 0) {
            sqlite3_result_int64(ctx, x);
            return RP_OK;
        }
        break; /* out of range (never for int2..int8, oid): the text */
    }
    case PK_BOOL:
        sqlite3_result_int(ctx, v[0] == 't');
        return RP_OK;
    case PK_FLOAT8:
    case PK_FLOAT4:
    case PK_NUMERIC: {
        double d = strtod(v, &end);
        if (end && !*end && len > 0) {
            sqlite3_result_double(ctx, d); /* NaN becomes NULL */
            return RP_OK;
        }
        break;
    }
    case PK_BYTEA: {
        size_t n = len > 2 ? (size_t)(len - 2) / 2 : 0;
        if (n == 0 && len == 2) {
            sqlite3_result_zeroblob(ctx, 0);
            return RP_OK;
        }
        unsigned char *p = sqlite3_malloc64(n ? n : 1);
        if (!p) return rp_fail(eb, RP_ENOMEM, "postgres: out of memory");
        size_t got = 0;
        if (pg_bytea_decode(v, (size_t)len, p, &got)) {
            sqlite3_result_blob64(ctx, p, got, sqlite3_free);
            return RP_OK;
        }
        sqlite3_free(p);
        break;
    }
    default:
        break;
    }
    sqlite3_result_text(ctx, v, len, SQLITE_TRANSIENT);
    return RP_OK;
}

static void pg_close(struct rp_query_cur *cur)
{
    struct pg_cur *c = cur->state;
    struct rp_errbuf eb = {0};
    (void)cur_finish(cur->ti->priv, c, &eb);
}

static const char pg_summary[] = "a PostgreSQL table or view through libpq: CREATE VIRTUAL TABLE "
                                 "temp.t USING postgres('conninfo', 'schema.table')";

const struct rp_query_table rp_qtab_postgres = {
    .name = "postgres",
    .summary = pg_summary,
    .flags = RP_QTAB_CREATE,
    .connect = pg_connect,
    .disconnect = pg_disconnect,
    .cursor_size = sizeof(struct pg_cur),
    .filter = pg_filter,
    .next = pg_next,
    .column = pg_column,
    .close = pg_close,
};
