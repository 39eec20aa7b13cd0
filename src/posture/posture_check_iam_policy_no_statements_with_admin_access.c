/* SPDX-License-Identifier: Apache-2.0 */
/* IAM_POLICY_NO_STATEMENTS_WITH_ADMIN_ACCESS as a C check: the default version of a customer
 * managed policy (AWS::IAM::Policy) must not hold an Allow statement for every action ("*")
 * on every resource ("*"). Parameter excludePermissionBoundaryPolicy: policies used as
 * permissions boundaries are NOT_APPLICABLE when it is true. The analysis is
 * rp_posture_stmt_is_admin (posture_policy.h). */
#define RP_LOG_MODULE "posture"
#include "posture/posture_internal.h"
#include "posture/posture_policy.h"
#include "core/rp_banned.h"

static rp_err check(const struct rp_posture_eval_in *in, struct rp_posture_verdict *out,
                    struct rp_errbuf *eb)
{
    const struct rp_pv *policy = NULL;
    bool excl = rp_posture_param_bool(in, "excludePermissionBoundaryPolicy", false);
    rp_err e = rp_posture_iam_managed_policy(in, excl, &policy, out, eb);
    if (e != RP_OK || !policy) return e;
    for (size_t i = 0, n = rp_posture_policy_nstmts(policy); i < n; i++) {
        const struct rp_pv *s = rp_posture_policy_stmt(policy, i);
        if (!rp_posture_stmt_is_admin(s)) continue;
        char label[160];
        rp_posture_stmt_label(s, i, label, sizeof(label));
        rp_posture_verdict_set(out, RP_PC_NON_COMPLIANT,
                               "statement %s allows all actions on all resources", label);
        return RP_OK;
    }
    rp_posture_verdict_set(out, RP_PC_COMPLIANT, "%s", "");
    return RP_OK;
}

const struct rp_posture_check rp_posture_check_iam_policy_no_statements_with_admin_access = {
    .name = "iam_policy_no_statements_with_admin_access",
    .fn = check,
};
