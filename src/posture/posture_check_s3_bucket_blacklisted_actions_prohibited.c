/* SPDX-License-Identifier: Apache-2.0 */
/* S3_BUCKET_BLACKLISTED_ACTIONS_PROHIBITED as a C check: the bucket policy must not allow any
 * action of blacklistedActionPattern ("s3:DeleteBucketPolicy, s3:Put*") on the bucket or its
 * objects to principals of other accounts: "*", an AWS principal with a wildcard, an account
 * or ARN of another account than the bucket's (awsAccountId), or an AWS principal whose
 * account cannot be told (a unique id). Service, federated and canonical-user principals are
 * not accounts. Conditions are not considered. */
#define RP_LOG_MODULE "posture"
#include <stdio.h>
#include <string.h>

#include "posture/posture_internal.h"
#include "posture/posture_policy.h"
#include "core/rp_banned.h"

static bool other_account(const struct rp_pv *s, const char *own)
{
    struct rp_posture_principal ps[128];
    bool neg = false;
    size_t n = rp_posture_stmt_principals(s, ps, 128, &neg);
    if (neg || n > 128) return true;
    for (size_t i = 0; i < n; i++) {
        char acct[13];
        if (ps[i].kind == RP_POSTURE_PRIN_ALL) return true;
        if (ps[i].kind != RP_POSTURE_PRIN_AWS) continue;
        if (memchr(ps[i].value, '*', ps[i].len)) return true;
        if (!rp_posture_principal_account(ps[i].value, ps[i].len, acct)) return true;
        if (!own || strcmp(acct, own) != 0) return true;
    }
    return false;
}

static rp_err check(const struct rp_posture_eval_in *in, struct rp_posture_verdict *out,
                    struct rp_errbuf *eb)
{
    const struct rp_pv *pats = rp_posture_param_list(in, "blacklistedActionPattern");
    if (!pats) {
        rp_posture_verdict_set(out, RP_PC_INSUFFICIENT_DATA,
                               "needs parameter blacklistedActionPattern");
        return RP_OK;
    }
    const struct rp_pv *policy = NULL;
    rp_err e = rp_posture_s3_bucket_policy(in->scratch, in->doc, &policy, eb);
    if (e == RP_ENOMEM) return e;
    if (e != RP_OK) {
        rp_posture_verdict_set(out, RP_PC_INSUFFICIENT_DATA, "the bucket policy does not parse");
        return RP_OK;
    }
    char arn[1100] = "", objects[1104] = "";
    if (policy && !rp_posture_s3_bucket_arn(in->doc, arn, sizeof(arn))) {
        rp_posture_verdict_set(out, RP_PC_INSUFFICIENT_DATA, "needs the bucket name");
        return RP_OK;
    }
    const struct rp_pv *ownv = rp_pv_get(in->doc, "awsAccountId");
    const char *own = ownv && ownv->kind == RP_PV_STRING ? ownv->u.s : NULL;
    for (size_t i = 0, n = rp_posture_policy_nstmts(policy); i < n; i++) {
        const struct rp_pv *s = rp_posture_policy_stmt(policy, i);
        if (rp_posture_stmt_effect(s) != RP_POSTURE_EFFECT_ALLOW || !other_account(s, own))
            continue;
        snprintf(objects, sizeof(objects), "%s/*", arn);
        if (!rp_posture_stmt_resource_may_match(s, arn) &&
            !rp_posture_stmt_resource_may_match(s, objects))
            continue;
        for (uint32_t k = 0; k < pats->n; k++) {
            const struct rp_pv *b = pats->u.items[k];
            if (!b || b->kind != RP_PV_STRING || !rp_posture_stmt_action_may_match(s, b->u.s))
                continue;
            char label[128];
            rp_posture_stmt_label(s, i, label, sizeof(label));
            rp_posture_verdict_set(out, RP_PC_NON_COMPLIANT,
                                   "statement %s allows %s to other accounts", label, b->u.s);
            return RP_OK;
        }
    }
    rp_posture_verdict_set(out, RP_PC_COMPLIANT, "%s", "");
    return RP_OK;
}

const struct rp_posture_check rp_posture_check_s3_bucket_blacklisted_actions_prohibited = {
    .name = "s3_bucket_blacklisted_actions_prohibited",
    .fn = check,
};
