/* SPDX-License-Identifier: Apache-2.0 */
/* IAM_POLICY_NO_STATEMENTS_WITH_FULL_ACCESS as a C check: the default version of a customer
 * managed policy (AWS::IAM::Policy) must not allow every action of a service ("s3:*", "*",
 * or Allow + NotAction leaving a whole service in). Parameter excludePermissionBoundaryPolicy
 * as for the admin-access rule. The analysis is rp_posture_stmt_full_access. */
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
        char what[96];
        if (!rp_posture_stmt_full_access(s, what, sizeof(what))) continue;
        char label[128];
        rp_posture_stmt_label(s, i, label, sizeof(label));
        rp_posture_verdict_set(out, RP_PC_NON_COMPLIANT, "statement %s allows full access: %s",
                               label, what);
        return RP_OK;
    }
    rp_posture_verdict_set(out, RP_PC_COMPLIANT, "%s", "");
    return RP_OK;
}

const struct rp_posture_check rp_posture_check_iam_policy_no_statements_with_full_access = {
    .name = "iam_policy_no_statements_with_full_access",
    .fn = check,
};
