/* SPDX-License-Identifier: Apache-2.0 */
/* Security Hub standards over the store (posture_run.h): the selection of enabled standards and
 * disabled controls kept in posture_std_selection, the rule configurations the enabled controls
 * need written to posture_rule_configs (source 'standard') so that `rules eval` evaluates them,
 * their evaluations read back for control status and score (posture_standards.c), and the
 * control findings sent to the findings hub after each evaluation. */
#define RP_LOG_MODULE "posture"
#include <string.h>

#include "core/rp_json.h"
#include "core/rp_log.h"
#include "core/rp_time.h"
#include "hub/hub.h"
#include "posture/posture_run.h"
#include "posture/posture_standards.h"
#include "core/rp_banned.h"

rp_err rp_posture_std_selection_load(struct rp_store *st, const struct rp_posture_standards *s,
                                     struct rp_posture_std_selection **out, struct rp_errbuf *eb)
{
    struct rp_store_stmt *q = NULL;
    rp_err e = rp_store_stmt_prepare(st, "SELECT selection FROM posture_std_selection WHERE id = 1",
                                     &q, eb);
    bool row = false;
    if (e == RP_OK) e = rp_store_stmt_step(q, &row, eb);
    if (e != RP_OK) {
        if (q) rp_store_stmt_reset(q);
        return e;
    }
    struct rp_posture_std_selection *sel = rp_posture_std_selection_new(s, !row);
    if (!sel) {
        rp_store_stmt_reset(q);
        return rp_fail(eb, RP_ENOMEM, "standards: out of memory");
    }
    if (row) {
        size_t n = 0;
        const char *j = rp_store_stmt_column_text(q, 0, &n);
        e = rp_posture_std_selection_from_json(sel, j ? j : "{}", j ? n : 2, eb);
    }
    rp_store_stmt_reset(q);
    if (e != RP_OK) {
        rp_posture_std_selection_free(sel);
        return e;
    }
    *out = sel;
    return RP_OK;
}

rp_err rp_posture_std_selection_save(struct rp_store *st,
                                     const struct rp_posture_std_selection *sel,
                                     struct rp_errbuf *eb)
{
    struct rp_buf b;
    rp_buf_init(&b, 1u << 20);
    rp_err e = rp_posture_std_selection_to_json(sel, &b);
    if (e == RP_OK) e = rp_buf_putc(&b, '\0');
    struct rp_store_stmt *q = NULL;
    if (e != RP_OK) e = rp_fail(eb, e, "standards: %s", rp_strerror(e));
    if (e == RP_OK)
        e = rp_store_stmt_prepare(st,
                                  "INSERT OR REPLACE INTO posture_std_selection (id, selection, "
                                  "updated_ms) VALUES (1, ?1, ?2)",
                                  &q, eb);
    if (e == RP_OK) e = rp_store_stmt_bind_cstr(q, 1, b.data, eb);
    if (e == RP_OK) e = rp_store_stmt_bind_int64(q, 2, rp_time_now_ms(), eb);
    bool row = false;
    if (e == RP_OK) e = rp_store_stmt_step(q, &row, eb);
    if (q) rp_store_stmt_reset(q);
    rp_buf_release(&b);
    return e;
}

rp_err rp_posture_standards_cfgs_add(struct rp_store *st, const struct rp_posture_ruleset *set,
                                     struct rp_errbuf *eb)
{
    struct rp_posture_standards *s = NULL;
    struct rp_posture_std_selection *sel = NULL;
    rp_err e = rp_posture_standards_load(&s, eb);
    if (e == RP_OK) e = rp_posture_std_selection_load(st, s, &sel, eb);
    struct rp_arena a;
    rp_arena_init(&a, 64 * 1024);
    struct rp_posture_std_config *cfgs = NULL;
    size_t n = 0;
    if (e == RP_OK) e = rp_posture_std_configs(s, sel, &a, &cfgs, &n, eb);
    if (e == RP_OK) e = rp_store_exec(st, "SAVEPOINT posture_std_cfgs", eb);
    if (e == RP_OK) {
        e = rp_store_exec(st, "DELETE FROM posture_rule_configs WHERE source = 'standard'", eb);
        struct rp_buf pj;
        rp_buf_init(&pj, 1u << 20);
        for (size_t i = 0; i < n && e == RP_OK; i++) {
            /* a control whose rule Rampart does not have stays NO_DATA (`standards controls`
             * says why); no configuration is made for it */
            if (set && !rp_posture_ruleset_find(set, cfgs[i].identifier)) continue;
            rp_buf_reset(&pj);
            struct rp_json_writer w;
            rp_json_writer_init(&w, &pj);
            rp_json_write_obj_begin(&w);
            for (size_t k = 0; k < cfgs[i].nparams; k++)
                rp_json_write_kv_cstr(&w, cfgs[i].params[k].name, cfgs[i].params[k].value);
            rp_json_write_obj_end(&w);
            e = rp_json_writer_finish(&w);
            if (e == RP_OK) e = rp_buf_putc(&pj, '\0');
            struct rp_store_stmt *q = NULL;
            if (e == RP_OK)
                e = rp_store_stmt_prepare(
                    st,
                    "INSERT INTO posture_rule_configs (name, identifier, owner, parameters, "
                    "source, state, created_ms) VALUES (?1, ?2, 'AWS', ?3, 'standard', "
                    "'ACTIVE', 0) ON CONFLICT (name) DO UPDATE SET identifier = ?2, parameters "
                    "= ?3, source = 'standard', state = 'ACTIVE'",
                    &q, eb);
            if (e == RP_OK) e = rp_store_stmt_bind_cstr(q, 1, cfgs[i].name, eb);
            if (e == RP_OK) e = rp_store_stmt_bind_cstr(q, 2, cfgs[i].identifier, eb);
            if (e == RP_OK) e = rp_store_stmt_bind_cstr(q, 3, pj.data, eb);
            bool row = false;
            if (e == RP_OK) e = rp_store_stmt_step(q, &row, eb);
            if (q) rp_store_stmt_reset(q);
        }
        rp_buf_release(&pj);
        if (e == RP_OK)
            e = rp_store_exec(st, "RELEASE posture_std_cfgs", eb);
        else if (rp_store_exec(st, "ROLLBACK TO posture_std_cfgs; RELEASE posture_std_cfgs",
                               NULL) != RP_OK)
            RP_LOG_WARN("standards: rollback failed");
    }
    rp_arena_release(&a);
    rp_posture_std_selection_free(sel);
    rp_posture_standards_free(s);
    return e;
}

rp_err rp_posture_std_evals_load(struct rp_store *st, struct rp_arena *a, int64_t since_ms,
                                 struct rp_posture_std_eval **out, size_t *n, struct rp_errbuf *eb)
{
    *out = NULL;
    *n = 0;
    struct rp_store_stmt *q = NULL;
    rp_err e = rp_store_stmt_prepare(
        st,
        "SELECT e.config_rule, e.resourceType, e.resourceId, e.ARN, e.rp_account, e.rp_region, "
        "e.compliance, e.annotation FROM posture_evaluations e JOIN posture_rule_configs c ON "
        "c.name = e.config_rule AND c.source = 'standard' WHERE e.recorded_ms >= ?1 ORDER BY "
        "e.config_rule, e.rp_account, e.rp_region, e.resourceType, e.resourceId",
        &q, eb);
    if (e == RP_OK) e = rp_store_stmt_bind_int64(q, 1, since_ms, eb);
    size_t cap = 0;
    struct rp_posture_std_eval *v = NULL;
    bool row = false;
    while (e == RP_OK && (e = rp_store_stmt_step(q, &row, eb)) == RP_OK && row) {
        if (*n == cap) {
            size_t nc = cap ? cap * 2 : 1024;
            struct rp_posture_std_eval *p = rp_arena_alloc(a, nc * sizeof(*p));
            if (!p) return rp_fail(eb, RP_ENOMEM, "standards: out of memory");
            if (*n) memcpy(p, v, *n * sizeof(*p));
            v = p;
            cap = nc;
        }
        struct rp_posture_std_eval *ev = &v[*n];
        memset(ev, 0, sizeof(*ev));
        const char *t[8];
        for (int i = 0; i < 8; i++) {
            const char *c = rp_store_stmt_column_text(q, i, NULL);
            t[i] = c ? rp_arena_strdup(a, c) : NULL;
            if (c && !t[i]) return rp_fail(eb, RP_ENOMEM, "standards: out of memory");
        }
        ev->config_name = t[0];
        ev->resource_type = t[1];
        ev->resource_id = t[2];
        ev->resource_arn = t[3];
        ev->account = t[4];
        ev->region = t[5];
        (void)rp_posture_compliance_parse(t[6], &ev->compliance);
        ev->annotation = t[7];
        (*n)++;
    }
    if (q) rp_store_stmt_reset(q);
    *out = v;
    return e;
}

rp_err rp_posture_std_hub_findings(struct rp_store *st, int64_t now_ms,
                                   rp_posture_std_finding_fn fn, void *ctx, size_t *count,
                                   struct rp_errbuf *eb)
{
    struct rp_posture_standards *s = NULL;
    struct rp_posture_std_selection *sel = NULL;
    struct rp_arena a;
    rp_arena_init(&a, 1u << 20);
    struct rp_posture_std_eval *ev = NULL;
    size_t n = 0;
    *count = 0;
    rp_err e = rp_posture_standards_load(&s, eb);
    if (e == RP_OK) e = rp_posture_std_selection_load(st, s, &sel, eb);
    if (e == RP_OK) e = rp_posture_std_evals_load(st, &a, now_ms, &ev, &n, eb);
    struct rp_posture_std_finding_opts fo = {now_ms, false, NULL};
    if (e == RP_OK && n) e = rp_posture_std_findings(s, sel, ev, n, &fo, fn, ctx, count, eb);
    rp_arena_release(&a);
    rp_posture_std_selection_free(sel);
    rp_posture_standards_free(s);
    return e;
}
