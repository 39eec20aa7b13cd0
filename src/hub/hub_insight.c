/* SPDX-License-Identifier: Apache-2.0 */
/* Security Hub's managed insights as data: data/hub/insights.json, in the shape GetInsights
 * returns ({"Insights": [{InsightArn, Name, Filters, GroupByAttribute}]}), loaded into an
 * arena (the --data-dir overlay applies). Running one is rp_hub_filter_add_json on its Filters
 * and rp_hub_group on its GroupByAttribute (hub_query.c); the unit test checks that every
 * insight compiles and groups by a known string attribute. */
#define RP_LOG_MODULE "hub"
#include <string.h>

#include "core/rp_embed.h"
#include "core/rp_json.h"
#include "hub/hub.h"
#include "core/rp_banned.h"

#define INSIGHTS_FILE "hub/insights.json"

static rp_err str_member(struct rp_arena *a, struct rp_json_val obj, const char *key, size_t i,
                         const char **out, struct rp_errbuf *eb)
{
    struct rp_str s;
    if (rp_json_obj_get_str(obj, key, &s) != RP_OK || s.len == 0)
        return rp_fail(eb, RP_EPARSE, "hub insights: '%s': insight %zu: missing string '%s'",
                       INSIGHTS_FILE, i, key);
    if (!(*out = rp_arena_memdup(a, s.p, s.len)))
        return rp_fail(eb, RP_ENOMEM, "hub insights: out of memory");
    return RP_OK;
}

rp_err rp_hub_insights_load(struct rp_arena *a, struct rp_hub_insight **out, size_t *n,
                            struct rp_errbuf *eb)
{
    *out = NULL;
    *n = 0;
    struct rp_buf b, filters;
    rp_buf_init(&b, 0);
    rp_buf_init(&filters, 0);
    struct rp_json_parser *p = rp_json_parser_new();
    struct rp_json_val root, arr, el, fv;
    struct rp_json_iter it;
    struct rp_hub_insight *ins = NULL;
    size_t cnt = 0;
    rp_err e = p ? RP_OK : rp_fail(eb, RP_ENOMEM, "hub insights: out of memory");
    if (!e) e = rp_embed_load(INSIGHTS_FILE, &b, eb);
    if (!e) e = rp_json_parse_buf(p, &b, &root, eb);
    if (!e &&
        (rp_json_obj_get(root, "Insights", &arr) != RP_OK || rp_json_arr_iter(arr, &it) != RP_OK))
        e = rp_fail(eb, RP_EPARSE, "hub insights: '%s': expected {\"Insights\": [..]}",
                    INSIGHTS_FILE);
    if (!e && !(ins = rp_arena_zalloc(a, (rp_json_len(arr) + 1) * sizeof *ins)))
        e = rp_fail(eb, RP_ENOMEM, "hub insights: out of memory");
    while (!e && rp_json_arr_next(&it, &el)) {
        struct rp_hub_insight *x = &ins[cnt];
        if (!(e = str_member(a, el, "InsightArn", cnt, &x->arn, eb)) &&
            !(e = str_member(a, el, "Name", cnt, &x->name, eb)))
            e = str_member(a, el, "GroupByAttribute", cnt, &x->group_by, eb);
        if (!e &&
            (rp_json_obj_get(el, "Filters", &fv) != RP_OK || rp_json_type(fv) != RP_JSON_OBJECT))
            e = rp_fail(eb, RP_EPARSE, "hub insights: '%s': insight %zu: missing object 'Filters'",
                        INSIGHTS_FILE, cnt);
        rp_buf_reset(&filters);
        if (!e && (e = rp_json_serialize(fv, &filters)))
            e = rp_fail(eb, e, "hub insights: cannot serialize the Filters of insight %zu", cnt);
        if (!e && !(x->filters = rp_arena_memdup(a, filters.data, filters.len)))
            e = rp_fail(eb, RP_ENOMEM, "hub insights: out of memory");
        cnt++;
    }
    if (!e) {
        *out = ins;
        *n = cnt;
    }
    rp_json_parser_free(p);
    rp_buf_release(&b);
    rp_buf_release(&filters);
    return e;
}
