/* SPDX-License-Identifier: Apache-2.0 */
/* The attribute catalogue of the findings hub's query side and its SQL building blocks.
 *
 * data/hub/filter_fields.json lists every AwsSecurityFindingFilters attribute Rampart knows, one
 * per line: its name, kind and either a findings column (the fast path, with finding_values
 * for the 2nd.. values of Type/ResourceId/ResourceType) or a JSON path into finding_docs.doc
 * with "[*]" for arrays. It is loaded once per process (pthread_once) into static storage and
 * checked: identifiers only in column (they go into SQL text), well-formed paths (they are
 * bound as parameters), known kinds, unique names. Adding an attribute is one line there.
 *
 * The hub_sql helpers keep SQL text and bound values together so that hub_filter.c and
 * hub_query.c never format a value into SQL. Callers: hub_filter.c, hub_query.c,
 * hub_insight.c. */
#define RP_LOG_MODULE "hub"
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/rp_embed.h"
#include "core/rp_json.h"
#include "hub/hub_fields.h"
#include "core/rp_banned.h"

#define FIELDS_FILE "hub/filter_fields.json"

static const char *const kind_names[] = {"string", "number", "date", "map", "boolean", "ip"};

const char *hub_kind_name(enum hub_kind k)
{
    return (size_t)k < RP_ARRAY_LEN(kind_names) ? kind_names[k] : "?";
}

/* ---- catalogue parsing ------------------------------------------------------------------- */

static bool is_ident(struct rp_str s)
{
    if (s.len == 0 || s.len > 64 || !((s.p[0] >= 'a' && s.p[0] <= 'z') || s.p[0] == '_'))
        return false;
    for (size_t i = 0; i < s.len; i++) {
        char c = s.p[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
    }
    return true;
}

static bool is_word(struct rp_str s)
{
    if (s.len == 0 || s.len > 128) return false;
    for (size_t i = 0; i < s.len; i++) {
        char c = s.p[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
            return false;
    }
    return true;
}

/* "$" then any of ".Name" and "[*]" (names of letters, digits and '_'); at least one step. */
static bool path_ok(struct rp_str s)
{
    if (s.len < 2 || s.p[0] != '$') return false;
    size_t i = 1;
    while (i < s.len) {
        if (s.p[i] == '.') {
            size_t j = i + 1;
            while (j < s.len &&
                   ((s.p[j] >= 'a' && s.p[j] <= 'z') || (s.p[j] >= 'A' && s.p[j] <= 'Z') ||
                    (s.p[j] >= '0' && s.p[j] <= '9') || s.p[j] == '_'))
                j++;
            if (j == i + 1) return false;
            i = j;
        } else if (s.len - i >= 3 && memcmp(s.p + i, "[*]", 3) == 0) {
            i += 3;
        } else {
            return false;
        }
    }
    return true;
}

static int field_cmp(const void *a, const void *b)
{
    return strcmp(((const struct hub_field *)a)->name, ((const struct hub_field *)b)->name);
}

/* Split fl->path at "[*]" into fl->seg and derive first_path. */
static rp_err split_path(struct rp_arena *a, struct hub_field *fl)
{
    size_t n = 0;
    for (const char *p = fl->path; (p = strstr(p, "[*]")); p += 3) n++;
    fl->narr = n;
    fl->seg = rp_arena_alloc(a, (n + 1) * sizeof *fl->seg);
    fl->rel = rp_arena_alloc(a, (n + 1) * sizeof *fl->rel);
    size_t plen = strlen(fl->path);
    char *first = rp_arena_memdup(a, fl->path, plen);
    if (!fl->seg || !fl->rel || !first) return RP_ENOMEM;
    const char *p = fl->path;
    for (size_t i = 0; i <= n; i++) {
        const char *e = strstr(p, "[*]");
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (!(fl->seg[i] = rp_arena_memdup(a, p, len))) return RP_ENOMEM;
        if (!(fl->rel[i] = i ? rp_arena_printf(a, "$%s", fl->seg[i]) : fl->seg[0]))
            return RP_ENOMEM;
        p += len + (e ? 3 : 0);
    }
    for (char *q = first; (q = strstr(q, "[*]")); q += 3) q[1] = '0';
    fl->first_path = first;
    return RP_OK;
}

static rp_err entry_fail(struct rp_errbuf *eb, size_t i, const char *what)
{
    return rp_fail(eb, RP_EPARSE, "hub fields: '%s': entry %zu: %s", FIELDS_FILE, i, what);
}

static rp_err parse_entry(struct rp_arena *a, struct rp_json_val e, size_t i, struct hub_field *fl,
                          struct rp_errbuf *eb)
{
    struct rp_json_iter it;
    struct rp_str k, name = {0}, kind = {0}, column = {0}, values = {0}, path = {0};
    struct rp_json_val v;
    if (rp_json_obj_iter(e, &it) != RP_OK) return entry_fail(eb, i, "not an object");
    while (rp_json_obj_next(&it, &k, &v)) {
        struct rp_str *dst = rp_str_eq_cstr(k, "name")     ? &name
                             : rp_str_eq_cstr(k, "kind")   ? &kind
                             : rp_str_eq_cstr(k, "column") ? &column
                             : rp_str_eq_cstr(k, "values") ? &values
                             : rp_str_eq_cstr(k, "path")   ? &path
                                                           : NULL;
        if (!dst)
            return rp_fail(eb, RP_EPARSE, "hub fields: '%s': entry %zu: unknown member '%.*s'",
                           FIELDS_FILE, i, (int)k.len, k.p);
        if (rp_json_get_str(v, dst) != RP_OK)
            return rp_fail(eb, RP_EPARSE, "hub fields: '%s': entry %zu: '%.*s' must be a string",
                           FIELDS_FILE, i, (int)k.len, k.p);
    }
    if (!is_word(name)) return entry_fail(eb, i, "'name' must be a word of letters and digits");
    size_t ki = 0;
    while (ki < RP_ARRAY_LEN(kind_names) && !rp_str_eq_cstr(kind, kind_names[ki])) ki++;
    if (ki == RP_ARRAY_LEN(kind_names))
        return rp_fail(eb, RP_EPARSE, "hub fields: '%s': entry %zu ('%.*s'): unknown kind '%.*s'",
                       FIELDS_FILE, i, (int)name.len, name.p, (int)kind.len, kind.p);
    fl->kind = (enum hub_kind)ki;
    const char *bad = NULL;
    if (!path_ok(path))
        bad = "'path' must be '$' followed by .Name and [*] steps";
    else if (column.p && !is_ident(column))
        bad = "'column' must be a lower-case SQL identifier";
    else if (values.p && (!column.p || !is_word(values) || fl->kind != HUB_K_STRING))
        bad = "'values' needs a string attribute with a column and must be a word";
    else if (column.p && (fl->kind == HUB_K_MAP || fl->kind == HUB_K_IP))
        bad = "map and ip attributes are read from the document, not a column";
    else if (column.p && !values.p && strstr(path.p, "[*]"))
        bad = "a column holds one value; list the 2nd.. values with 'values'";
    if (bad)
        return rp_fail(eb, RP_EPARSE, "hub fields: '%s': entry %zu ('%.*s'): %s", FIELDS_FILE, i,
                       (int)name.len, name.p, bad);
    fl->name = rp_arena_memdup(a, name.p, name.len);
    fl->path = rp_arena_memdup(a, path.p, path.len);
    fl->column = column.p ? rp_arena_memdup(a, column.p, column.len) : NULL;
    fl->values = values.p ? rp_arena_memdup(a, values.p, values.len) : NULL;
    if (!fl->name || !fl->path || (column.p && !fl->column) || (values.p && !fl->values))
        return rp_fail(eb, RP_ENOMEM, "hub fields: out of memory");
    if (split_path(a, fl) != RP_OK) return rp_fail(eb, RP_ENOMEM, "hub fields: out of memory");
    return RP_OK;
}

rp_err hub_fields_parse(struct rp_arena *a, const char *json, size_t len,
                        const struct hub_field **out, size_t *n, struct rp_errbuf *eb)
{
    struct rp_json_parser *p = rp_json_parser_new();
    if (!p) return rp_fail(eb, RP_ENOMEM, "hub fields: out of memory");
    struct rp_json_val root, arr, e;
    struct rp_json_iter it;
    struct hub_field *fl = NULL;
    size_t cnt = 0;
    rp_err err = rp_json_parse(p, json, len, &root, eb);
    if (err) goto done;
    if (rp_json_obj_get(root, "fields", &arr) != RP_OK || rp_json_arr_iter(arr, &it) != RP_OK) {
        err = rp_fail(eb, RP_EPARSE, "hub fields: '%s': expected {\"fields\": [..]}", FIELDS_FILE);
        goto done;
    }
    fl = rp_arena_zalloc(a, (rp_json_len(arr) + 1) * sizeof *fl);
    if (!fl) {
        err = rp_fail(eb, RP_ENOMEM, "hub fields: out of memory");
        goto done;
    }
    while (rp_json_arr_next(&it, &e)) {
        if ((err = parse_entry(a, e, cnt, &fl[cnt], eb))) goto done;
        cnt++;
    }
    qsort(fl, cnt, sizeof *fl, field_cmp);
    for (size_t i = 1; i < cnt; i++)
        if (strcmp(fl[i - 1].name, fl[i].name) == 0) {
            err = rp_fail(eb, RP_EPARSE, "hub fields: '%s': attribute '%s' listed twice",
                          FIELDS_FILE, fl[i].name);
            goto done;
        }
    *out = fl;
    *n = cnt;
done:
    rp_json_parser_free(p);
    return err;
}

/* ---- the process-wide catalogue ---------------------------------------------------------- */

static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static struct rp_arena g_arena;
static const struct hub_field *g_fields;
static size_t g_nfields;
static struct rp_errbuf g_eb;

static void load_once(void)
{
    struct rp_buf b;
    rp_buf_init(&b, 0);
    rp_arena_init(&g_arena, 0);
    rp_errbuf_clear(&g_eb);
    rp_err e = rp_embed_load(FIELDS_FILE, &b, &g_eb);
    if (!e) e = hub_fields_parse(&g_arena, b.data, b.len, &g_fields, &g_nfields, &g_eb);
    if (e && g_eb.code == RP_OK) rp_fail(&g_eb, e, "hub fields: cannot load '%s'", FIELDS_FILE);
    g_eb.code = e;
    rp_buf_release(&b);
}

rp_err hub_fields_load(struct rp_errbuf *eb)
{
    pthread_once(&g_once, load_once);
    if (g_eb.code != RP_OK) return rp_fail(eb, g_eb.code, "%s", g_eb.msg);
    return RP_OK;
}

rp_err hub_fields_all(const struct hub_field **out, size_t *n, struct rp_errbuf *eb)
{
    rp_err e = hub_fields_load(eb);
    *out = e ? NULL : g_fields;
    *n = e ? 0 : g_nfields;
    return e;
}

rp_err hub_field_lookup(struct rp_str name, const struct hub_field **out, struct rp_errbuf *eb)
{
    *out = NULL;
    rp_err e = hub_fields_load(eb);
    if (e) return e;
    size_t lo = 0, hi = g_nfields;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *nm = g_fields[mid].name;
        size_t nl = strlen(nm);
        int c = memcmp(nm, name.p, nl < name.len ? nl : name.len);
        if (c == 0) c = nl < name.len ? -1 : nl > name.len ? 1 : 0;
        if (c == 0) {
            *out = &g_fields[mid];
            return RP_OK;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return rp_fail(eb, RP_EINVAL, "hub filter: unknown attribute '%.*s'",
                   (int)(name.len > 128 ? 128 : name.len), name.p);
}

/* ---- SQL builder ------------------------------------------------------------------------- */

void hub_sql_init(struct hub_sql *q, struct rp_arena *a)
{
    memset(q, 0, sizeof *q);
    q->a = a;
}

void hub_sql_release(struct hub_sql *q)
{
    free(q->binds);
    memset(q, 0, sizeof *q);
}

static int add_bind(struct hub_sql *q, struct hub_bind b)
{
    if (q->err) return 0;
    if (q->nbind == q->cap) {
        size_t cap = q->cap ? 2 * q->cap : 16;
        struct hub_bind *nb = realloc(q->binds, cap * sizeof *nb);
        if (!nb) {
            q->err = RP_ENOMEM;
            return 0;
        }
        q->binds = nb;
        q->cap = cap;
    }
    if (q->nbind >= 32000) { /* SQLite's default SQLITE_MAX_VARIABLE_NUMBER */
        q->err = RP_ELIMIT;
        return 0;
    }
    q->binds[q->nbind++] = b;
    return (int)q->nbind;
}

int hub_sql_text(struct hub_sql *q, const char *p, size_t len)
{
    return add_bind(q, (struct hub_bind){.kind = HUB_BIND_TEXT, .p = p ? p : "", .len = len});
}

int hub_sql_cstr(struct hub_sql *q, const char *s)
{
    return hub_sql_text(q, s, s ? strlen(s) : 0);
}

int hub_sql_int(struct hub_sql *q, int64_t v)
{
    return add_bind(q, (struct hub_bind){.kind = HUB_BIND_INT, .i = v});
}

int hub_sql_double(struct hub_sql *q, double v)
{
    return add_bind(q, (struct hub_bind){.kind = HUB_BIND_DOUBLE, .d = v});
}

void hub_sql_put(struct hub_sql *q, struct rp_buf *b, const char *s)
{
    if (q->err) return;
    rp_err e = rp_buf_append_str(b, s);
    if (e) q->err = e;
}

void hub_sql_putf(struct hub_sql *q, struct rp_buf *b, const char *fmt, ...)
{
    if (q->err) return;
    va_list ap;
    va_start(ap, fmt);
    rp_err e = rp_buf_vprintf(b, fmt, ap);
    va_end(ap);
    if (e) q->err = e;
}

void hub_sql_elements(struct hub_sql *q, const struct hub_field *fl, const char *alias,
                      bool members, struct rp_buf *from, struct rp_buf *val, struct rp_buf *type,
                      int *last)
{
    *last = 0;
    if (fl->narr == 0 && !members) {
        int p = hub_sql_cstr(q, fl->path);
        hub_sql_putf(q, val, "json_extract(d.doc, ?%d)", p);
        hub_sql_putf(q, type, "json_type(d.doc, ?%d)", p);
        return;
    }
    /* One json_each per "[*]": the first over the document, each further one over its
     * predecessor's element (only when that is an object or array; other elements have
     * nothing inside and give no rows), so a document is parsed once and then only the
     * elements' own text. */
    int n = 0;
    for (size_t i = 0; i < fl->narr; i++) {
        int p = hub_sql_cstr(q, fl->rel[i]);
        if (n == 0)
            hub_sql_putf(q, from, "json_each(d.doc, ?%d) %s1", p, alias);
        else
            hub_sql_putf(q, from,
                         ", json_each(CASE WHEN %s%d.type IN ('object', 'array') THEN %s%d.value "
                         "END, ?%d) %s%d",
                         alias, n, alias, n, p, alias, n + 1);
        n++;
    }
    if (members) {
        int p = hub_sql_cstr(q, fl->rel[fl->narr]);
        if (n == 0)
            hub_sql_putf(q, from, "json_each(d.doc, ?%d) %s1", p, alias);
        else
            hub_sql_putf(q, from,
                         ", json_each(CASE WHEN %s%d.type IN ('object', 'array') THEN %s%d.value "
                         "END, ?%d) %s%d",
                         alias, n, alias, n, p, alias, n + 1);
        n++;
        hub_sql_putf(q, val, "%s%d.value", alias, n);
        hub_sql_putf(q, type, "%s%d.type", alias, n);
    } else if (fl->seg[fl->narr][0] == '\0') {
        hub_sql_putf(q, val, "%s%d.value", alias, n);
        hub_sql_putf(q, type, "%s%d.type", alias, n);
    } else {
        int p = hub_sql_cstr(q, fl->rel[fl->narr]);
        hub_sql_putf(q, val,
                     "json_extract(CASE WHEN %s%d.type IN ('object', 'array') THEN %s%d.value END, "
                     "?%d)",
                     alias, n, alias, n, p);
        hub_sql_putf(q, type,
                     "json_type(CASE WHEN %s%d.type IN ('object', 'array') THEN %s%d.value END, "
                     "?%d)",
                     alias, n, alias, n, p);
    }
    *last = n;
}

void hub_sql_date_ms(struct hub_sql *q, struct rp_buf *b, const char *v)
{
    /* julianday() keeps milliseconds exactly (SQLite holds the time as integer ms), reads
     * "YYYY-MM-DDTHH:MM:SS[.fff][Z|+hh:mm]" and returns NULL for text it does not read. */
    hub_sql_putf(q, b, "CAST(round((julianday(%s) - 2440587.5) * 86400000.0) AS INTEGER)", v);
}

rp_err hub_sql_prepare(struct hub_sql *q, struct rp_store *st, const char *sql,
                       struct rp_store_stmt **out, struct rp_errbuf *eb)
{
    *out = NULL;
    if (q->err) return rp_fail(eb, q->err, "hub query: cannot build the query");
    struct rp_store_stmt *s = NULL;
    rp_err e = rp_store_stmt_prepare(st, sql, &s, eb);
    for (size_t i = 0; !e && i < q->nbind; i++) {
        const struct hub_bind *b = &q->binds[i];
        int idx = (int)i + 1;
        switch (b->kind) {
        case HUB_BIND_TEXT:
            e = rp_store_stmt_bind_text(s, idx, b->p, b->len, eb);
            break;
        case HUB_BIND_INT:
            e = rp_store_stmt_bind_int64(s, idx, b->i, eb);
            break;
        case HUB_BIND_DOUBLE:
            e = rp_store_stmt_bind_double(s, idx, b->d, eb);
            break;
        }
    }
    if (e) {
        if (s) rp_store_stmt_reset(s);
        return e;
    }
    *out = s;
    return RP_OK;
}
