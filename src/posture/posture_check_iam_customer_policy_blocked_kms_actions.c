/* SPDX-License-Identifier: Apache-2.0 */
/* IAM_CUSTOMER_POLICY_BLOCKED_KMS_ACTIONS as a C check: the default version of a customer
 * managed policy (AWS::IAM::Policy) must not allow any action of blockedActionsPatterns
 * ("kms:Decrypt, kms:ReEncrypt*") on all KMS keys. Parameter excludePermissionBoundaryPolicy
 * as for the admin-access rule. Without blockedActionsPatterns (AWS requires it) the answer
 * is INSUFFICIENT_DATA. The analysis: rp_posture_stmt_action_may_match and
 * rp_posture_stmt_all_kms_keys (posture_policy.h). */
#define RP_LOG_MODULE "posture"
#include "posture/posture_internal.h"
#include "posture/posture_policy.h"
#include "core/rp_banned.h"

static rp_err check(const struct rp_posture_eval_in *in, struct rp_posture_verdict *out,
                    struct rp_errbuf *eb)
{
    const struct rp_pv *blocked = rp_posture_param_list(in, "blockedActionsPatterns");
    if (!blocked) {
        rp_posture_verdict_set(out, RP_PC_INSUFFICIENT_DATA,
                               "needs parameter blockedActionsPatterns");
        return RP_OK;
    }
    const struct rp_pv *policy = NULL;
    bool excl = rp_posture_param_bool(in, "excludePermissionBoundaryPolicy", false);
    rp_err e = rp_posture_iam_managed_policy(in, excl, &policy, out, eb);
    if (e != RP_OK || !policy) return e;
    for (size_t i = 0, n = rp_posture_policy_nstmts(policy); i < n; i++) {
        const struct rp_pv *s = rp_posture_policy_stmt(policy, i);
        if (rp_posture_stmt_effect(s) != RP_POSTURE_EFFECT_ALLOW ||
            !rp_posture_stmt_all_kms_keys(s))
            continue;
        for (uint32_t k = 0; k < blocked->n; k++) {
            const struct rp_pv *b = blocked->u.items[k];
            if (!b || b->kind != RP_PV_STRING || !rp_posture_stmt_action_may_match(s, b->u.s))
                continue;
            char label[128];
            rp_posture_stmt_label(s, i, label, sizeof(label));
            rp_posture_verdict_set(out, RP_PC_NON_COMPLIANT,
                                   "statement %s allows blocked action %s on all KMS keys", label,
                                   b->u.s);
            return RP_OK;
        }
    }
    rp_posture_verdict_set(out, RP_PC_COMPLIANT, "%s", "");
    return RP_OK;
}

const struct rp_posture_check rp_posture_check_iam_customer_policy_blocked_kms_actions = {
    .name = "iam_customer_policy_blocked_kms_actions",
    .fn = check,
};
