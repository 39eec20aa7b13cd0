/* SPDX-License-Identifier: Apache-2.0 */
/* S3_BUCKET_SSL_REQUESTS_ONLY as a C check: the bucket policy must hold a Deny statement for
 * every principal ("*" or {"AWS": "*"}) over every S3 action ("s3:*" or "*") on the bucket
 * and all its objects, whose only condition is aws:SecureTransport false (Bool or
 * BoolIfExists). A bucket without a policy is NON_COMPLIANT. */
#define RP_LOG_MODULE "posture"
#include <stdio.h>

#include "posture/posture_internal.h"
#include "posture/posture_policy.h"
#include "core/rp_banned.h"

static bool everyone_strict(const struct rp_pv *s)
{
    struct rp_posture_principal ps[32];
    bool neg = false;
    size_t n = rp_posture_stmt_principals(s, ps, 32, &neg);
    if (neg || n > 32) return false;
    for (size_t i = 0; i < n; i++)
        if (ps[i].kind == RP_POSTURE_PRIN_ALL ||
            (ps[i].kind == RP_POSTURE_PRIN_AWS && ps[i].len == 1 && ps[i].value[0] == '*'))
            return true;
    return false;
}

static bool is_false(const struct rp_pv *v)
{
    if (!v) return false;
    if (v->kind == RP_PV_BOOL) return !v->u.b;
    if (v->kind == RP_PV_STRING)
        return v->n == 5 && (v->u.s[0] == 'f' || v->u.s[0] == 'F') && (v->u.s[1] | 32) == 'a' &&
               (v->u.s[2] | 32) == 'l' && (v->u.s[3] | 32) == 's' && (v->u.s[4] | 32) == 'e';
    if (v->kind == RP_PV_LIST) {
        for (uint32_t i = 0; i < v->n; i++)
            if (!is_false(v->u.items[i])) return false;
        return v->n > 0;
    }
    return false;
}

static bool ieq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if ((*a | 32) != (*b | 32)) return false;
    return *a == *b;
}

/* Every condition is aws:SecureTransport = false, and there is one. */
static bool only_insecure_transport(const struct rp_pv *s)
{
    struct rp_posture_cond_iter it;
    const char *op = NULL, *key = NULL;
    const struct rp_pv *val = NULL;
    size_t n = 0;
    rp_posture_cond_iter_init(&it, s);
    while (rp_posture_cond_next(&it, &op, &key, &val)) {
        if (!(ieq(op, "Bool") || ieq(op, "BoolIfExists")) || !ieq(key, "aws:SecureTransport") ||
            !is_false(val))
            return false;
        n++;
    }
    return n > 0;
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
    if (!policy) {
        rp_posture_verdict_set(out, RP_PC_NON_COMPLIANT,
                               "no bucket policy denies requests without SSL");
        return RP_OK;
    }
    char arn[1100], objects[1104];
    if (!rp_posture_s3_bucket_arn(in->doc, arn, sizeof(arn))) {
        rp_posture_verdict_set(out, RP_PC_INSUFFICIENT_DATA, "needs the bucket name");
        return RP_OK;
    }
    snprintf(objects, sizeof(objects), "%s/*", arn);
    for (size_t i = 0, n = rp_posture_policy_nstmts(policy); i < n; i++) {
        const struct rp_pv *s = rp_posture_policy_stmt(policy, i);
        if (rp_posture_stmt_effect(s) == RP_POSTURE_EFFECT_DENY && everyone_strict(s) &&
            rp_posture_stmt_action_covers(s, "s3:*") && rp_posture_stmt_resource_matches(s, arn) &&
            rp_posture_stmt_resource_covers(s, objects) && only_insecure_transport(s)) {
            rp_posture_verdict_set(out, RP_PC_COMPLIANT, "%s", "");
            return RP_OK;
        }
    }
    rp_posture_verdict_set(out, RP_PC_NON_COMPLIANT,
                           "no bucket policy statement denies requests without SSL");
    return RP_OK;
}

const struct rp_posture_check rp_posture_check_s3_bucket_ssl_requests_only = {
    .name = "s3_bucket_ssl_requests_only",
    .fn = check,
};
