/* SPDX-License-Identifier: Apache-2.0 */
/* LAMBDA_FUNCTION_PUBLIC_ACCESS_PROHIBITED as a C check: the function's resource-based policy
 * (supplementaryConfiguration.Policy) must not allow public access: no public Allow statement
 * (everyone, no restricting condition: rp_posture_stmt_is_public), and no Allow to an AWS
 * service principal without a condition tying it to a source account or resource
 * (aws:SourceAccount, aws:SourceArn, ...), since any account's use of that service could
 * then invoke the function. A function without a policy is COMPLIANT. */
#define RP_LOG_MODULE "posture"
#include "posture/posture_internal.h"
#include "posture/posture_policy.h"
#include "core/rp_banned.h"

static const char *unbound_service(const struct rp_pv *s)
{
    struct rp_posture_principal ps[64];
    bool neg = false;
    size_t n = rp_posture_stmt_principals(s, ps, 64, &neg);
    if (neg || rp_posture_stmt_condition_restricts(s)) return NULL;
    for (size_t i = 0; i < n && i < 64; i++)
        if (ps[i].kind == RP_POSTURE_PRIN_SERVICE) return ps[i].value;
    return NULL;
}

static rp_err check(const struct rp_posture_eval_in *in, struct rp_posture_verdict *out,
                    struct rp_errbuf *eb)
{
    const struct rp_pv *policy = NULL;
    rp_err e = rp_posture_policy_resolve(
        in->scratch, rp_pv_path(in->doc, "supplementaryConfiguration.Policy"), &policy, eb);
    if (e == RP_ENOMEM) return e;
    if (e != RP_OK) {
        rp_posture_verdict_set(out, RP_PC_INSUFFICIENT_DATA, "the function policy does not parse");
        return RP_OK;
    }
    for (size_t i = 0, n = rp_posture_policy_nstmts(policy); i < n; i++) {
        const struct rp_pv *s = rp_posture_policy_stmt(policy, i);
        char label[128];
        rp_posture_stmt_label(s, i, label, sizeof(label));
        if (rp_posture_stmt_is_public(s)) {
            rp_posture_verdict_set(out, RP_PC_NON_COMPLIANT,
                                   "function policy statement %s allows public access", label);
            return RP_OK;
        }
        const char *svc =
            rp_posture_stmt_effect(s) == RP_POSTURE_EFFECT_ALLOW ? unbound_service(s) : NULL;
        if (svc) {
            rp_posture_verdict_set(out, RP_PC_NON_COMPLIANT,
                                   "function policy statement %s lets %s call it for any account",
                                   label, svc);
            return RP_OK;
        }
    }
    rp_posture_verdict_set(out, RP_PC_COMPLIANT, "%s", "");
    return RP_OK;
}

const struct rp_posture_check rp_posture_check_lambda_function_public_access_prohibited = {
    .name = "lambda_function_public_access_prohibited",
    .fn = check,
};
