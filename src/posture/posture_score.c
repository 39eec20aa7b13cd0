/* SPDX-License-Identifier: Apache-2.0 */
/* Scoring Config rule evaluations against the simulator's truth.jsonl (`rampart rules score`,
 * `rampart demo`, the estate test): every (truth line, Config rule identifier) pair is found
 * when an evaluation of a configuration of that rule is NON_COMPLIANT for a resource the line
 * names (its resourceId, ARN or resourceName, the last part of an entity ARN, or the account
 * of an account-level evaluation). Benign look-alike lines ("expect": "none") that name
 * Config rules are the clean twins: they are quiet when every evaluation of those rules over
 * the resources they name is COMPLIANT, and alarmed when one is NON_COMPLIANT. */
#define RP_LOG_MODULE "posture"
#include <stdlib.h>
#include <string.h>

#include "core/rp_arena.h"
#include "core/rp_buf.h"
#include "core/rp_gz.h"
#include "core/rp_json.h"
#include "posture/posture.h"
#include "core/rp_banned.h"

struct eval_row {
    const char *identifier, *type, *id, *arn, *name, *account, *compliance, *annotation;
};

static bool names(const struct eval_row *r, const char *ent)
{
    if (!ent[0]) return false;
    if (strcmp(ent, r->id) == 0 || (r->arn && strcmp(ent, r->arn) == 0) ||
        (r->name && strcmp(ent, r->name) == 0))
        return true;
    /* an account-level rule names the resource at fault in its annotation */
    if (strcmp(r->type, "AWS::::Account") == 0 && r->annotation && strlen(ent) >= 8 &&
        strstr(r->annotation, ent))
        return true;
    if (strcmp(r->type, "AWS::::Account") == 0 && r->account[0] && strstr(ent, r->account) &&
        strncmp(ent, "arn:", 4) == 0) {
        /* the account's own ARN, not one of its resources: arn:aws:iam::<acct>:root or
         * arn:aws:organizations::..:account/../<acct> */
        const char *tail = strrchr(ent, ':');
        return (tail && strcmp(tail, ":root") == 0) || strstr(ent, ":account/") ||
               strcmp(ent + strlen(ent) - strlen(r->account), r->account) == 0;
    }
    if (strncmp(ent, "arn:", 4) != 0) return false;
    const char *last = strrchr(ent, '/');
    if (!last) last = strrchr(ent, ':');
    if (!last || !last[1]) return false;
    return strcmp(last + 1, r->id) == 0 || (r->name && strcmp(last + 1, r->name) == 0);
}

rp_err rp_posture_score(struct rp_store *st, const char *truth_path, rp_posture_score_fn fn,
                        void *ctx, struct rp_posture_score *out, struct rp_errbuf *eb)
{
    memset(out, 0, sizeof(*out));
    struct rp_arena a;
    rp_arena_init(&a, 1u << 20);
    struct eval_row *rows = NULL;
    size_t nrows = 0, cap = 0;
    struct rp_store_stmt *s = NULL;
    rp_err e = rp_store_stmt_prepare(st,
                                     "SELECT identifier, resourceType, resourceId, ARN, "
                                     "resourceName, rp_account, compliance, annotation FROM "
                                     "posture_evaluations WHERE compliance IN ('COMPLIANT', "
                                     "'NON_COMPLIANT')",
                                     &s, eb);
    bool row = false;
    while (e == RP_OK && (e = rp_store_stmt_step(s, &row, eb)) == RP_OK && row) {
        if (nrows == cap) {
            cap = cap ? cap * 2 : 4096;
            struct eval_row *p = realloc(rows, cap * sizeof(*p));
            if (!p) {
                e = rp_fail(eb, RP_ENOMEM, "rules: out of memory");
                break;
            }
            rows = p;
        }
        const char *f[8];
        for (int i = 0; i < 8; i++) {
            const char *t = rp_store_stmt_column_text(s, i, NULL);
            f[i] = t ? rp_arena_strdup(&a, t) : NULL;
        }
        rows[nrows++] = (struct eval_row){
            f[0], f[1], f[2] ? f[2] : "", f[3], f[4], f[5] ? f[5] : "", f[6] ? f[6] : "", f[7]};
    }
    if (s) rp_store_stmt_reset(s);
    struct rp_buf tb;
    rp_buf_init(&tb, 256u << 20);
    if (e == RP_OK) e = rp_gz_read_file(truth_path, NULL, &tb, eb);
    struct rp_json_parser *jp = rp_json_parser_new();
    if (e == RP_OK && !jp) e = rp_fail(eb, RP_ENOMEM, "rules: out of memory");
    const char *p = tb.data, *end = tb.data + tb.len;
    size_t lineno = 0;
    while (e == RP_OK && p && p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        lineno++;
        struct rp_json_val line, rules, ents, el;
        if (n == 0 || rp_json_parse(jp, p, n, &line, eb) != RP_OK) {
            p = nl ? nl + 1 : end;
            continue;
        }
        p = nl ? nl + 1 : end;
        if (rp_json_obj_get(line, "config_rules", &rules) != RP_OK || rp_json_len(rules) == 0)
            continue;
        struct rp_str id = {"", 0}, expect = {"finding", 7};
        if (rp_json_obj_get_str(line, "id", &id) != RP_OK) id = (struct rp_str){"", 0};
        if (rp_json_obj_get_str(line, "expect", &expect) != RP_OK)
            expect = (struct rp_str){"finding", 7};
        bool benign = rp_str_eq_cstr(expect, "none");
        const char *ent[64];
        size_t nent = 0;
        struct rp_json_iter it;
        if (rp_json_obj_get(line, "entities", &ents) == RP_OK &&
            rp_json_arr_iter(ents, &it) == RP_OK)
            while (rp_json_arr_next(&it, &el) && nent < 64) {
                struct rp_str es;
                if (rp_json_get_str(el, &es) == RP_OK) ent[nent++] = rp_arena_strdup(&a, es.p);
            }
        char lid[256];
        rp_strlcpy(lid, id.p, sizeof lid);
        if (benign) out->benign++;
        bool alarmed = false;
        if (rp_json_arr_iter(rules, &it) != RP_OK) continue;
        while (rp_json_arr_next(&it, &el)) {
            struct rp_str rs;
            if (rp_json_get_str(el, &rs) != RP_OK) continue;
            char rule[160];
            rp_strlcpy(rule, rs.p, sizeof rule);
            /* Rampart's own ids of other capabilities ("netreach.vpn...") are not Config rules */
            if (strchr(rule, '.')) continue;
            bool found = false;
            for (size_t i = 0; i < nrows && !found; i++) {
                if (strcmp(rows[i].identifier, rule) != 0 ||
                    strcmp(rows[i].compliance, "NON_COMPLIANT") != 0)
                    continue;
                for (size_t k = 0; k < nent && !found; k++) found = names(&rows[i], ent[k]);
            }
            if (benign) {
                alarmed = alarmed || found;
            } else {
                out->expected++;
                if (found) out->found++;
                if (fn)
                    fn(ctx, found ? RP_POSTURE_SCORE_FOUND : RP_POSTURE_SCORE_MISSED, lid, rule);
            }
        }
        if (benign) {
            if (!alarmed) out->benign_quiet++;
            if (fn) fn(ctx, alarmed ? RP_POSTURE_SCORE_ALARMED : RP_POSTURE_SCORE_QUIET, lid, NULL);
        }
    }
    (void)lineno;
    rp_json_parser_free(jp);
    rp_buf_release(&tb);
    free(rows);
    rp_arena_release(&a);
    return e;
}
