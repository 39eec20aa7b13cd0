/* SPDX-License-Identifier: Apache-2.0 */
/* S3_BUCKET_POLICY_GRANTEE_CHECK as a C check: every Allow statement of the bucket policy must
 * be restricted to the grantees the parameters list: all its principals are among
 * awsPrincipals (ARNs or account ids; an account id admits every principal of that account),
 * servicePrincipals or federatedUsers, or a positive condition limits it to addresses within
 * ipAddresses (aws:SourceIp) or to vpcIds (aws:SourceVpc). Deny statements restrict and are
 * not checked; a bucket without a policy is COMPLIANT. */
#define RP_LOG_MODULE "posture"
#include <string.h>

#include "core/rp_ip.h"
#include "core/rp_str.h"
#include "posture/posture_internal.h"
#include "posture/posture_policy.h"
#include "core/rp_banned.h"

#define MAX_PRINCIPALS 128

/* An account id or an account's root ARN, as an account id. */
static bool account_form(const char *s, size_t n, char acct[13])
{
    if (!rp_posture_principal_account(s, n, acct)) return false;
    return n == 12 || (n > 5 && memcmp(s + n - 5, ":root", 5) == 0);
}

static bool aws_allowed(const struct rp_pv *list, const struct rp_posture_principal *p)
{
    char pa[13], qa[13];
    bool has_pa = rp_posture_principal_account(p->value, p->len, pa);
    for (uint32_t i = 0; list && i < list->n; i++) {
        const struct rp_pv *q = list->u.items[i];
        if (!q || q->kind != RP_PV_STRING) continue;
        if (q->n == p->len && memcmp(q->u.s, p->value, p->len) == 0) return true;
        if (has_pa && account_form(q->u.s, q->n, qa) && strcmp(pa, qa) == 0) return true;
    }
    return false;
}

static bool listed(const struct rp_pv *list, const struct rp_posture_principal *p, bool nocase)
{
    for (uint32_t i = 0; list && i < list->n; i++) {
        const struct rp_pv *q = list->u.items[i];
        if (!q || q->kind != RP_PV_STRING) continue;
        struct rp_str a = {q->u.s, q->n}, b = {p->value, p->len};
        if (nocase ? rp_str_eq_nocase(a, b) : rp_str_eq(a, b)) return true;
    }
    return false;
}

static bool cidr_within(const struct rp_pv *allowed, const char *s, size_t n)
{
    struct rp_cidr v, q;
    if (rp_cidr_parse((struct rp_str){s, n}, &v, NULL, NULL) != RP_OK) return false;
    for (uint32_t i = 0; allowed && i < allowed->n; i++) {
        const struct rp_pv *a = allowed->u.items[i];
        if (!a || a->kind != RP_PV_STRING ||
            rp_cidr_parse((struct rp_str){a->u.s, a->n}, &q, NULL, NULL) != RP_OK)
            continue;
        if (q.addr.family == v.addr.family && q.len <= v.len && rp_cidr_contains(&q, &v.addr))
            return true;
    }
    return false;
}

static bool values_all(const struct rp_pv *val, const struct rp_pv *allowed, bool ip)
{
    size_t n = val->kind == RP_PV_LIST ? val->n : 1;
    for (size_t i = 0; i < n; i++) {
        const struct rp_pv *x = val->kind == RP_PV_LIST ? val->u.items[i] : val;
        if (!x || x->kind != RP_PV_STRING) return false;
        if (ip) {
            if (!cidr_within(allowed, x->u.s, x->n)) return false;
        } else {
            struct rp_posture_principal p = {RP_POSTURE_PRIN_OTHER, x->u.s, x->n};
            if (!listed(allowed, &p, false)) return false;
        }
    }
    return n > 0;
}

static bool condition_ok(const struct rp_pv *s, const struct rp_pv *ips, const struct rp_pv *vpcs)
{
    struct rp_posture_cond_iter it;
    const char *op = NULL, *key = NULL;
    const struct rp_pv *val = NULL;
    rp_posture_cond_iter_init(&it, s);
    while (rp_posture_cond_next(&it, &op, &key, &val)) {
        if (!rp_posture_condition_restricts(op, key, val)) continue;
        struct rp_str k = rp_str_from(key);
        if (ips && rp_str_eq_nocase(k, RP_STR_LIT("aws:SourceIp")) && values_all(val, ips, true))
            return true;
        if (vpcs && rp_str_eq_nocase(k, RP_STR_LIT("aws:SourceVpc")) &&
            values_all(val, vpcs, false))
            return true;
    }
    return false;
}

static rp_err check(const struct rp_posture_eval_in *in, struct rp_posture_verdict *out,
                    struct rp_errbuf *eb)
{
    const struct rp_pv *policy = NULL;
    rp_err e = rp_posture_s3_bucket_policy(in->scratch, in->doc, &policy, eb);
    if (e == RP_ENOMEM) return e;
    if (e != RP_OK) {
        rp_posture_verdict_set(out, RP_PC_INSUFFICIENT_DATA, "the bucket policy does not parse");
        return RP_OK;
    }
    const struct rp_pv *aws = rp_posture_param_list(in, "awsPrincipals");
    const struct rp_pv *svc = rp_posture_param_list(in, "servicePrincipals");
    const struct rp_pv *fed = rp_posture_param_list(in, "federatedUsers");
    const struct rp_pv *ips = rp_posture_param_list(in, "ipAddresses");
    const struct rp_pv *vpcs = rp_posture_param_list(in, "vpcIds");
    for (size_t i = 0, n = rp_posture_policy_nstmts(policy); i < n; i++) {
        const struct rp_pv *s = rp_posture_policy_stmt(policy, i);
        if (rp_posture_stmt_effect(s) != RP_POSTURE_EFFECT_ALLOW || condition_ok(s, ips, vpcs))
            continue;
        struct rp_posture_principal ps[MAX_PRINCIPALS];
        bool neg = false;
        size_t np = rp_posture_stmt_principals(s, ps, MAX_PRINCIPALS, &neg);
        const char *bad = NULL;
        if (neg)
            bad = "everyone outside NotPrincipal";
        else if (np > MAX_PRINCIPALS)
            bad = "too many principals to check";
        for (size_t k = 0; !bad && k < np; k++) {
            bool ok = false;
            switch (ps[k].kind) {
            case RP_POSTURE_PRIN_AWS:
                ok = aws_allowed(aws, &ps[k]);
                break;
            case RP_POSTURE_PRIN_SERVICE:
                ok = listed(svc, &ps[k], true);
                break;
            case RP_POSTURE_PRIN_FEDERATED:
                ok = listed(fed, &ps[k], false);
                break;
            case RP_POSTURE_PRIN_ALL:
            case RP_POSTURE_PRIN_CANONICAL:
            case RP_POSTURE_PRIN_OTHER:
                ok = false;
                break;
            }
            if (!ok) bad = ps[k].value;
        }
        if (!bad) continue;
        char label[96];
        rp_posture_stmt_label(s, i, label, sizeof(label));
        rp_posture_verdict_set(out, RP_PC_NON_COMPLIANT,
                               "statement %s grants access to %s, not an allowed grantee", label,
                               bad);
        return RP_OK;
    }
    rp_posture_verdict_set(out, RP_PC_COMPLIANT, "%s", "");
    return RP_OK;
}

const struct rp_posture_check rp_posture_check_s3_bucket_policy_grantee_check = {
    .name = "s3_bucket_policy_grantee_check",
    .fn = check,
};
