/* SPDX-License-Identifier: Apache-2.0 */
/* S3_BUCKET_POLICY_NOT_MORE_PERMISSIVE as a C check: every Allow statement of the bucket policy
 * must fit inside some Allow statement of the control policy (parameter controlPolicy, a JSON
 * bucket policy): its principals among the control statement's ("*" admits all, {"AWS": "*"}
 * every AWS principal, an account id or root ARN every principal of that account), its
 * actions and resources covered by the control's patterns (NotAction / NotResource compared
 * as complements), and at least the control statement's conditions (same operator and key,
 * values a subset). Deny statements only take away and are not checked; a bucket without a
 * policy is COMPLIANT. A controlPolicy that is not a JSON policy is a configuration error
 * (RP_EINVAL naming the parameter). */
#define RP_LOG_MODULE "posture"
#include <string.h>

#include "core/rp_str.h"
#include "posture/posture_internal.h"
#include "posture/posture_policy.h"
#include "core/rp_banned.h"

#define MAX_PRINCIPALS 128

static bool account_form(const char *s, size_t n, char acct[13])
{
    if (!rp_posture_principal_account(s, n, acct)) return false;
    return n == 12 || (n > 5 && memcmp(s + n - 5, ":root", 5) == 0);
}

static bool principal_within(const struct rp_posture_principal *p,
                             const struct rp_posture_principal *cs, size_t nc)
{
    char pa[13], qa[13];
    bool has_pa =
        p->kind == RP_POSTURE_PRIN_AWS && rp_posture_principal_account(p->value, p->len, pa);
    for (size_t i = 0; i < nc; i++) {
        const struct rp_posture_principal *c = &cs[i];
        if (c->kind == RP_POSTURE_PRIN_ALL) return true;
        if (c->kind != p->kind) continue;
        struct rp_str a = {c->value, c->len}, b = {p->value, p->len};
        if (p->kind == RP_POSTURE_PRIN_SERVICE ? rp_str_eq_nocase(a, b) : rp_str_eq(a, b))
            return true;
        if (p->kind == RP_POSTURE_PRIN_AWS && c->len == 1 && c->value[0] == '*') return true;
        if (has_pa && account_form(c->value, c->len, qa) && strcmp(pa, qa) == 0) return true;
    }
    return false;
}

static bool principals_within(const struct rp_pv *s, const struct rp_pv *c)
{
    struct rp_posture_principal ps[MAX_PRINCIPALS], cs[MAX_PRINCIPALS];
    bool sneg = false, cneg = false;
    size_t ns = rp_posture_stmt_principals(s, ps, MAX_PRINCIPALS, &sneg);
    size_t nc = rp_posture_stmt_principals(c, cs, MAX_PRINCIPALS, &cneg);
    if (cneg || ns > MAX_PRINCIPALS || nc > MAX_PRINCIPALS) return false;
    if (sneg) {
        for (size_t i = 0; i < nc; i++)
            if (cs[i].kind == RP_POSTURE_PRIN_ALL) return true;
        return false;
    }
    for (size_t i = 0; i < ns; i++)
        if (!principal_within(&ps[i], cs, nc)) return false;
    return true;
}

static size_t count(const struct rp_pv *v)
{
    if (!v) return 0;
    return v->kind == RP_PV_LIST ? v->n : v->kind == RP_PV_STRING ? 1 : 0;
}

static const struct rp_pv *at(const struct rp_pv *v, size_t i)
{
    const struct rp_pv *x = v->kind == RP_PV_LIST ? v->u.items[i] : v;
    return x && x->kind == RP_PV_STRING ? x : NULL;
}

/* The element pos/neg of s within that of c. */
static bool element_within(const struct rp_pv *s, const struct rp_pv *c, const char *pos,
                           const char *neg, bool nocase)
{
    const struct rp_pv *sp = rp_pv_get(s, pos), *sn = rp_pv_get(s, neg);
    const struct rp_pv *cp = rp_pv_get(c, pos), *cn = rp_pv_get(c, neg);
    bool action = strcmp(pos, "Action") == 0;
    if (sp) {
        for (size_t i = 0; i < count(sp); i++) {
            const struct rp_pv *x = at(sp, i);
            if (!x) continue;
            bool in = action ? rp_posture_stmt_action_covers(c, x->u.s)
                             : rp_posture_stmt_resource_covers(c, x->u.s);
            if (!in) return false;
        }
        return true;
    }
    if (!sn) return action ? false : rp_posture_stmt_resource_covers(c, "*");
    if (cp)
        return action ? rp_posture_stmt_action_covers(c, "*")
                      : rp_posture_stmt_resource_covers(c, "*");
    if (!cn) return !action;
    /* everything but sn within everything but cn: each pattern c excludes is excluded by s */
    for (size_t i = 0; i < count(cn); i++) {
        const struct rp_pv *y = at(cn, i);
        bool excluded = false;
        for (size_t k = 0; y && k < count(sn) && !excluded; k++) {
            const struct rp_pv *x = at(sn, k);
            excluded = x && rp_posture_glob_covers(x->u.s, x->n, y->u.s, y->n, nocase);
        }
        if (y && !excluded) return false;
    }
    return true;
}

static bool value_in(const struct rp_pv *x, const struct rp_pv *set, bool nocase)
{
    size_t n = set->kind == RP_PV_LIST ? set->n : 1;
    for (size_t i = 0; i < n; i++) {
        const struct rp_pv *y = set->kind == RP_PV_LIST ? set->u.items[i] : set;
        if (x->kind == RP_PV_STRING && y && y->kind == RP_PV_STRING) {
            struct rp_str a = {x->u.s, x->n}, b = {y->u.s, y->n};
            if (nocase ? rp_str_eq_nocase(a, b) : rp_str_eq(a, b)) return true;
        } else if (rp_pv_equal(x, y)) {
            return true;
        }
    }
    return false;
}

/* Every condition of c is in s, with s's values a subset of c's. */
static bool conditions_within(const struct rp_pv *s, const struct rp_pv *c)
{
    struct rp_posture_cond_iter ci;
    const char *cop = NULL, *ckey = NULL;
    const struct rp_pv *cval = NULL;
    rp_posture_cond_iter_init(&ci, c);
    while (rp_posture_cond_next(&ci, &cop, &ckey, &cval)) {
        struct rp_posture_cond_iter si;
        const char *sop = NULL, *skey = NULL;
        const struct rp_pv *sval = NULL;
        bool found = false;
        bool nocase = strstr(cop, "IgnoreCase") != NULL;
        rp_posture_cond_iter_init(&si, s);
        while (!found && rp_posture_cond_next(&si, &sop, &skey, &sval)) {
            if (!rp_str_eq_nocase(rp_str_from(sop), rp_str_from(cop)) ||
                !rp_str_eq_nocase(rp_str_from(skey), rp_str_from(ckey)) || !sval)
                continue;
            size_t n = sval->kind == RP_PV_LIST ? sval->n : 1;
            bool all = n > 0;
            for (size_t i = 0; i < n && all; i++) {
                const struct rp_pv *x = sval->kind == RP_PV_LIST ? sval->u.items[i] : sval;
                all = x && value_in(x, cval, nocase);
            }
            found = all;
        }
        if (!found) return false;
    }
    return true;
}

static bool stmt_within(const struct rp_pv *s, const struct rp_pv *c)
{
    return principals_within(s, c) && element_within(s, c, "Action", "NotAction", true) &&
           element_within(s, c, "Resource", "NotResource", false) && conditions_within(s, c);
}

static rp_err check(const struct rp_posture_eval_in *in, struct rp_posture_verdict *out,
                    struct rp_errbuf *eb)
{
    const char *text = rp_posture_param_str(in, "controlPolicy");
    if (!text) {
        rp_posture_verdict_set(out, RP_PC_INSUFFICIENT_DATA, "needs parameter controlPolicy");
        return RP_OK;
    }
    const struct rp_pv *control = NULL;
    struct rp_pv *tv = rp_pv_cstr(in->scratch, text);
    if (!tv) return rp_fail(eb, RP_ENOMEM, "posture: out of memory");
    struct rp_errbuf peb = {0};
    rp_err e = rp_posture_policy_resolve(in->scratch, tv, &control, &peb);
    if (e == RP_ENOMEM) return rp_fail(eb, e, "posture: out of memory");
    if (e != RP_OK || !control)
        return rp_fail(eb, RP_EINVAL, "parameter 'controlPolicy': not a JSON policy (%s)",
                       e != RP_OK ? peb.msg : "empty");
    const struct rp_pv *policy = NULL;
    e = rp_posture_s3_bucket_policy(in->scratch, in->doc, &policy, eb);
    if (e == RP_ENOMEM) return e;
    if (e != RP_OK) {
        rp_posture_verdict_set(out, RP_PC_INSUFFICIENT_DATA, "the bucket policy does not parse");
        return RP_OK;
    }
    for (size_t i = 0, n = rp_posture_policy_nstmts(policy); i < n; i++) {
        const struct rp_pv *s = rp_posture_policy_stmt(policy, i);
        if (rp_posture_stmt_effect(s) != RP_POSTURE_EFFECT_ALLOW) continue;
        bool within = false;
        for (size_t k = 0, nc = rp_posture_policy_nstmts(control); k < nc && !within; k++) {
            const struct rp_pv *c = rp_posture_policy_stmt(control, k);
            within = rp_posture_stmt_effect(c) == RP_POSTURE_EFFECT_ALLOW && stmt_within(s, c);
        }
        if (within) continue;
        char label[128];
        rp_posture_stmt_label(s, i, label, sizeof(label));
        rp_posture_verdict_set(out, RP_PC_NON_COMPLIANT,
                               "statement %s grants more than the control policy", label);
        return RP_OK;
    }
    rp_posture_verdict_set(out, RP_PC_COMPLIANT, "%s", "");
    return RP_OK;
}

const struct rp_posture_check rp_posture_check_s3_bucket_policy_not_more_permissive = {
    .name = "s3_bucket_policy_not_more_permissive",
    .fn = check,
};
