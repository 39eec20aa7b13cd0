/* SPDX-License-Identifier: Apache-2.0 */
/* GetFindings and GetInsightResults over the findings store: rp_hub_findings_get (filter,
 * SortCriteria, MaxResults/NextToken), rp_hub_findings_count and rp_hub_group (group-by with
 * counts, largest first).
 *
 * Every query is "findings f" (plus "finding_docs d" when a condition, a sort or the result
 * needs the document) with the WHERE condition hub_filter.c compiles, prepared through the
 * store's statement cache (the SQL text depends only on the shape of the filter; values are
 * bound). Sorting: any attribute but a map one, a column when the attribute has one, else the
 * document value at its path (the first element of an array); ties are broken by rowid in the
 * direction of the last criterion, so a page boundary never splits or repeats a finding.
 * Paging: NextToken is "v1:<offset>" (the number of findings before the page); it stays valid
 * as long as the findings matching the query do not change, like Security Hub's. Group-by:
 * a finding counts once for each distinct value it has (Type, ResourceId, ResourceType read
 * findings and finding_values; "[*]" paths every element). */
#define RP_LOG_MODULE "hub"
#include <stdlib.h>
#include <string.h>

#include "hub/hub_fields.h"
#include "core/rp_banned.h"

#define TOKEN_PREFIX "v1:"

struct qctx {
    struct rp_arena a; /* bound texts built while compiling */
    struct hub_sql q;
    struct rp_buf where, sql, tmp;
    bool needs_doc;
};

static void qctx_init(struct qctx *c)
{
    rp_arena_init(&c->a, 0);
    hub_sql_init(&c->q, &c->a);
    rp_buf_init(&c->where, 0);
    rp_buf_init(&c->sql, 0);
    rp_buf_init(&c->tmp, 0);
    c->needs_doc = false;
}

static void qctx_release(struct qctx *c)
{
    hub_sql_release(&c->q);
    rp_buf_release(&c->where);
    rp_buf_release(&c->sql);
    rp_buf_release(&c->tmp);
    rp_arena_release(&c->a);
}

static const char *docs_join(bool needs_doc)
{
    return needs_doc ? " JOIN finding_docs d ON d.rowid = f.rowid" : "";
}

/* ---- GetFindings ------------------------------------------------------------------------- */

static rp_err parse_token(const char *tok, int64_t *offset, struct rp_errbuf *eb)
{
    *offset = 0;
    if (!tok) return RP_OK;
    struct rp_str s = rp_str_from(tok);
    uint64_t v = 0;
    size_t pl = strlen(TOKEN_PREFIX);
    if (!rp_str_has_prefix(s, TOKEN_PREFIX) || s.len == pl || s.p[pl] == '+' ||
        rp_str_to_u64((struct rp_str){s.p + pl, s.len - pl}, &v) != RP_OK || v > INT64_MAX / 2)
        return rp_fail(eb, RP_EINVAL, "hub query: bad next token '%.40s'", tok);
    *offset = (int64_t)v;
    return RP_OK;
}

/* Appends the ORDER BY expression of one criterion to b. */
static rp_err sort_expr(struct qctx *c, const char *field, struct rp_buf *b, struct rp_errbuf *eb)
{
    const struct hub_field *fl = NULL;
    struct rp_errbuf leb = {0};
    rp_err e = hub_field_lookup(rp_str_from(field), &fl, &leb);
    if (e == RP_EINVAL)
        return rp_fail(eb, RP_EINVAL, "hub query: unknown sort attribute '%.64s'", field);
    if (e) return rp_fail(eb, e, "%s", leb.msg);
    if (fl->kind == HUB_K_MAP)
        return rp_fail(eb, RP_EINVAL, "hub query: cannot sort by map attribute '%s'", fl->name);
    if (fl->column) {
        hub_sql_putf(&c->q, b, "f.%s", fl->column);
        return RP_OK;
    }
    c->needs_doc = true;
    rp_buf_reset(&c->tmp);
    hub_sql_putf(&c->q, &c->tmp, "json_extract(d.doc, ?%d)", hub_sql_cstr(&c->q, fl->first_path));
    if (fl->kind == HUB_K_DATE)
        hub_sql_date_ms(&c->q, b, rp_buf_cstr(&c->tmp));
    else
        hub_sql_put(&c->q, b, rp_buf_cstr(&c->tmp));
    return RP_OK;
}

/* True when every condition of f is on a column of the findings_severity index (severity,
 * workflow, record state): the "dashboard" filters, whose count that covering index answers in
 * milliseconds and whose matches are usually many. */
static bool dashboard_filter(const struct rp_hub_filter *f)
{
    if (!f || f->ngroups == 0) return false;
    for (size_t i = 0; i < f->ngroups; i++) {
        const char *col = f->groups[i].fl->column;
        if (!col || (strcmp(col, "severity_label") != 0 && strcmp(col, "workflow_status") != 0 &&
                     strcmp(col, "record_state") != 0))
            return false;
    }
    return true;
}

static rp_err count_upto(struct rp_store *st, const struct rp_hub_filter *filter, int64_t upto,
                         int64_t *n, struct rp_errbuf *eb);

/* floor(sqrt(v)) by Newton's iteration (no libm for one call). */
static int64_t isqrt(uint64_t v)
{
    if (v < 2) return (int64_t)v;
    uint64_t x = v, y = (x + 1) / 2;
    while (y < x) {
        x = y;
        y = (x + v / x) / 2;
    }
    return (int64_t)x;
}

/* Whether a page newest first should walk the UpdatedAt index and stop at the page instead of
 * letting SQLite take the filter's index and sort every match, as it does for equality
 * filters. Walking reads about (offset + page) x total / matches rows, sorting reads matches
 * rows; so walk when matches > sqrt((offset + page) x total). Only decided for dashboard
 * filters, whose matches the covering index counts fast, and the count stops at that bound. */
static bool walk_updated(struct rp_store *st, const struct rp_hub_query *qu, int64_t offset,
                         int64_t max)
{
    int64_t total = 0, matches = 0;
    if (max <= 0 || !dashboard_filter(qu->filter)) return false;
    if (qu->sort[0].field && (strcmp(qu->sort[0].field, "UpdatedAt") != 0 || qu->sort[1].field))
        return false;
    if (count_upto(st, NULL, 0, &total, NULL) != RP_OK) return false;
    int64_t bound = isqrt((uint64_t)(offset + max) * (uint64_t)total) + 1;
    if (count_upto(st, qu->filter, bound, &matches, NULL) != RP_OK) return false;
    return matches >= bound;
}

rp_err rp_hub_findings_get(struct rp_store *st, const struct rp_hub_query *qu, rp_hub_finding_fn fn,
                           void *ctx, char **next_token, struct rp_errbuf *eb)
{
    if (next_token) *next_token = NULL;
    int64_t offset = 0;
    rp_err e = parse_token(qu->next_token, &offset, eb);
    if (e) return e;
    struct qctx c;
    qctx_init(&c);
    struct rp_buf keys, inner, outer;
    rp_buf_init(&keys, 0);
    rp_buf_init(&inner, 0);
    rp_buf_init(&outer, 0);
    e = hub_filter_where(qu->filter, st, &c.q, &c.where, &c.needs_doc, eb);
    bool asc = false;
    size_t nsort = 0;
    for (; !e && nsort < RP_ARRAY_LEN(qu->sort) && qu->sort[nsort].field; nsort++) {
        hub_sql_put(&c.q, &keys, ", ");
        e = sort_expr(&c, qu->sort[nsort].field, &keys, eb);
        asc = qu->sort[nsort].asc;
        hub_sql_putf(&c.q, &keys, " AS s%zu", nsort);
    }
    if (!e && nsort == 0) hub_sql_put(&c.q, &keys, ", f.updated_at AS s0");
    for (size_t i = 0; i < (nsort ? nsort : 1); i++) {
        const char *dir = (nsort ? qu->sort[i].asc : false) ? "ASC" : "DESC";
        hub_sql_putf(&c.q, &inner, "s%zu %s, ", i, dir);
        hub_sql_putf(&c.q, &outer, "k.s%zu %s, ", i, dir);
    }
    hub_sql_putf(&c.q, &inner, "r %s", asc ? "ASC" : "DESC");
    hub_sql_putf(&c.q, &outer, "k.r %s", asc ? "ASC" : "DESC");
    int64_t max = qu->max_results == 0 || qu->max_results >= (size_t)INT64_MAX
                      ? -1
                      : (int64_t)qu->max_results;
    if (!e) {
        /* Order and cut the page on rowids and sort keys only, then read the page's
         * documents: a sort never carries documents along. */
        int lim = hub_sql_int(&c.q, max < 0 ? -1 : max + 1);
        int off = hub_sql_int(&c.q, offset);
        bool walk = !c.needs_doc && walk_updated(st, qu, offset, max);
        hub_sql_putf(&c.q, &c.sql,
                     "SELECT dd.doc FROM (SELECT f.rowid AS r%s FROM findings f%s%s WHERE %s "
                     "ORDER BY %s LIMIT ?%d OFFSET ?%d) k JOIN finding_docs dd ON dd.rowid = k.r "
                     "ORDER BY %s",
                     rp_buf_cstr(&keys), walk ? " INDEXED BY findings_updated" : "",
                     docs_join(c.needs_doc), rp_buf_cstr(&c.where), rp_buf_cstr(&inner), lim, off,
                     rp_buf_cstr(&outer));
    }
    struct rp_store_stmt *s = NULL;
    if (!e) e = hub_sql_prepare(&c.q, st, rp_buf_cstr(&c.sql), &s, eb);
    int64_t got = 0;
    bool row = false, more = false;
    while (!e && !(e = rp_store_stmt_step(s, &row, eb)) && row) {
        if (max >= 0 && got == max) {
            more = true;
            break;
        }
        size_t len = 0;
        const char *doc = rp_store_stmt_column_text(s, 0, &len);
        got++;
        e = fn(ctx, doc ? doc : "", doc ? len : 0);
    }
    if (s) rp_store_stmt_reset(s);
    if (!e && more && next_token) {
        char buf[48];
        snprintf(buf, sizeof buf, TOKEN_PREFIX "%lld", (long long)(offset + max));
        if (!(*next_token = strdup(buf))) e = rp_fail(eb, RP_ENOMEM, "hub query: out of memory");
    }
    rp_buf_release(&keys);
    rp_buf_release(&inner);
    rp_buf_release(&outer);
    qctx_release(&c);
    return e;
}

/* The number of findings matching filter, counting at most upto of them (0 = all). */
static rp_err count_upto(struct rp_store *st, const struct rp_hub_filter *filter, int64_t upto,
                         int64_t *n, struct rp_errbuf *eb)
{
    *n = 0;
    struct qctx c;
    qctx_init(&c);
    rp_err e = hub_filter_where(filter, st, &c.q, &c.where, &c.needs_doc, eb);
    if (upto > 0)
        hub_sql_putf(&c.q, &c.sql,
                     "SELECT count(*) FROM (SELECT 1 FROM findings f%s WHERE %s LIMIT ?%d)",
                     docs_join(c.needs_doc), rp_buf_cstr(&c.where), hub_sql_int(&c.q, upto));
    else
        hub_sql_putf(&c.q, &c.sql, "SELECT count(*) FROM findings f%s WHERE %s",
                     docs_join(c.needs_doc), rp_buf_cstr(&c.where));
    struct rp_store_stmt *s = NULL;
    bool row = false;
    if (!e) e = hub_sql_prepare(&c.q, st, rp_buf_cstr(&c.sql), &s, eb);
    if (!e) e = rp_store_stmt_step(s, &row, eb);
    if (!e && row) *n = rp_store_stmt_column_int64(s, 0);
    if (s) rp_store_stmt_reset(s);
    qctx_release(&c);
    return e;
}

rp_err rp_hub_findings_count(struct rp_store *st, const struct rp_hub_filter *filter, int64_t *n,
                             struct rp_errbuf *eb)
{
    return count_upto(st, filter, 0, n, eb);
}

/* ---- GetInsightResults ------------------------------------------------------------------- */

rp_err rp_hub_group(struct rp_store *st, const struct rp_hub_filter *filter, const char *group_by,
                    size_t max, rp_hub_group_fn fn, void *ctx, struct rp_errbuf *eb)
{
    const struct hub_field *fl = NULL;
    struct rp_errbuf leb = {0};
    rp_err e = hub_field_lookup(rp_str_from(group_by), &fl, &leb);
    if (e == RP_EINVAL)
        return rp_fail(eb, RP_EINVAL, "hub insight: unknown group-by attribute '%.64s'",
                       group_by ? group_by : "");
    if (e) return rp_fail(eb, e, "%s", leb.msg);
    if (fl->kind != HUB_K_STRING && fl->kind != HUB_K_IP)
        return rp_fail(eb, RP_EINVAL,
                       "hub insight: cannot group by %s attribute '%s' (only string attributes)",
                       hub_kind_name(fl->kind), fl->name);
    struct qctx c;
    qctx_init(&c);
    e = hub_filter_where(filter, st, &c.q, &c.where, &c.needs_doc, eb);
    const char *w = rp_buf_cstr(&c.where);
    struct hub_sql *q = &c.q;
    /* With a condition, "+f.col" keeps SQLite from walking the group column's index in group
     * order and testing the condition row by row (measured 0.55 s instead of 3.5 s for
     * AwsAccountId over SeverityLabel=HIGH on 1M findings); without one, that index is the
     * cheapest way to read the column (0.17 s instead of 0.98 s). */
    const char *plus = strcmp(w, "1") == 0 ? "" : "+";
    if (fl->column && !fl->values) {
        hub_sql_putf(q, &c.sql,
                     "SELECT f.%s, count(*) FROM findings f%s WHERE (%s) AND %sf.%s IS NOT NULL "
                     "GROUP BY %sf.%s",
                     fl->column, docs_join(c.needs_doc), w, plus, fl->column, plus, fl->column);
    } else if (fl->column) {
        /* first values from findings, the others (each once per finding, and not again when
         * equal to the first) from finding_values */
        const char *j = docs_join(c.needs_doc);
        int fp = hub_sql_cstr(q, fl->values);
        hub_sql_putf(q, &c.sql,
                     "SELECT g.v, count(*) FROM (SELECT f.rowid AS r, f.%s AS v FROM findings f%s "
                     "WHERE (%s) AND %sf.%s IS NOT NULL UNION ALL SELECT DISTINCT fv.finding, "
                     "fv.value FROM findings f%s JOIN finding_values fv ON fv.finding = f.rowid "
                     "WHERE (%s) AND fv.field = ?%d AND fv.value IS NOT f.%s) g GROUP BY g.v",
                     fl->column, j, w, plus, fl->column, j, w, fp, fl->column);
    } else {
        struct rp_buf from, val, type;
        rp_buf_init(&from, 0);
        rp_buf_init(&val, 0);
        rp_buf_init(&type, 0);
        int last = 0;
        hub_sql_elements(q, fl, "g", false, &from, &val, &type, &last);
        hub_sql_putf(q, &c.sql,
                     "SELECT g.v, count(*) FROM (SELECT %sf.rowid AS r, %s AS v FROM findings f "
                     "JOIN finding_docs d ON d.rowid = f.rowid%s%s WHERE (%s)) g WHERE g.v IS NOT "
                     "NULL GROUP BY g.v",
                     last ? "DISTINCT " : "", rp_buf_cstr(&val), last ? ", " : "",
                     rp_buf_cstr(&from), w);
        rp_buf_release(&from);
        rp_buf_release(&val);
        rp_buf_release(&type);
    }
    hub_sql_putf(q, &c.sql, " ORDER BY 2 DESC, 1 ASC LIMIT ?%d",
                 hub_sql_int(q, max == 0 || max >= (size_t)INT64_MAX ? -1 : (int64_t)max));
    struct rp_store_stmt *s = NULL;
    if (!e) e = hub_sql_prepare(q, st, rp_buf_cstr(&c.sql), &s, eb);
    bool row = false;
    while (!e && !(e = rp_store_stmt_step(s, &row, eb)) && row) {
        const char *v = rp_store_stmt_column_text(s, 0, NULL);
        e = fn(ctx, v ? v : "", rp_store_stmt_column_int64(s, 1));
    }
    if (s) rp_store_stmt_reset(s);
    qctx_release(&c);
    return e;
}
