/* SPDX-License-Identifier: Apache-2.0 */
/* IAM_INLINE_POLICY_BLOCKED_KMS_ACTIONS as a C check: no inline policy of an IAM user, role or
 * group (configuration.userPolicyList / rolePolicyList / groupPolicyList) may allow an action
 * of blockedActionsPatterns on all KMS keys. Parameter excludeRoleByManagementAccount: roles
 * only the organization's management account can assume are exempt; a configuration item does
 * not say which account that is, so a non-compliant role whose trust policy admits the
 * principals of a single account is INSUFFICIENT_DATA when the parameter is true. */
#define RP_LOG_MODULE "posture"
#include <string.h>

#include "posture/posture_internal.h"
#include "posture/posture_policy.h"
#include "core/rp_banned.h"

/* The trust policy admits only AWS principals of one account (which may be the management
 * account, for all the item can tell). */
static rp_err single_account_trust(const struct rp_posture_eval_in *in, bool *out,
                                   struct rp_errbuf *eb)
{
    *out = false;
    const struct rp_pv *trust = NULL;
    rp_err e = rp_posture_policy_resolve(
        in->scratch, rp_pv_path(in->doc, "configuration.assumeRolePolicyDocument"), &trust, eb);
    if (e == RP_ENOMEM) return e;
    if (e != RP_OK || !trust) return RP_OK;
    char first[13] = "";
    size_t seen = 0;
    for (size_t i = 0, n = rp_posture_policy_nstmts(trust); i < n; i++) {
        const struct rp_pv *s = rp_posture_policy_stmt(trust, i);
        if (rp_posture_stmt_effect(s) != RP_POSTURE_EFFECT_ALLOW) continue;
        struct rp_posture_principal ps[64];
        bool neg = false;
        size_t np = rp_posture_stmt_principals(s, ps, 64, &neg);
        if (neg || np > 64) return RP_OK;
        for (size_t k = 0; k < np; k++) {
            char acct[13];
            if (ps[k].kind != RP_POSTURE_PRIN_AWS ||
                !rp_posture_principal_account(ps[k].value, ps[k].len, acct))
                return RP_OK;
            if (seen++ == 0)
                memcpy(first, acct, sizeof(first));
            else if (strcmp(first, acct) != 0)
                return RP_OK;
        }
    }
    *out = seen > 0;
    return RP_OK;
}

static const char *const list_keys[] = {"userPolicyList", "rolePolicyList", "groupPolicyList"};

static rp_err check(const struct rp_posture_eval_in *in, struct rp_posture_verdict *out,
                    struct rp_errbuf *eb)
{
    const struct rp_pv *blocked = rp_posture_param_list(in, "blockedActionsPatterns");
    if (!blocked) {
        rp_posture_verdict_set(out, RP_PC_INSUFFICIENT_DATA,
                               "needs parameter blockedActionsPatterns");
        return RP_OK;
    }
    const struct rp_pv *cfg = rp_pv_get(in->doc, "configuration");
    for (size_t l = 0; l < RP_ARRAY_LEN(list_keys); l++) {
        const struct rp_pv *list = rp_pv_get(cfg, list_keys[l]);
        for (uint32_t p = 0; list && list->kind == RP_PV_LIST && p < list->n; p++) {
            const struct rp_pv *ip = list->u.items[p];
            const struct rp_pv *name = rp_pv_get(ip, "policyName");
            const char *pname = name && name->kind == RP_PV_STRING ? name->u.s : "?";
            const struct rp_pv *policy = NULL;
            rp_err e = rp_posture_policy_resolve(in->scratch, rp_pv_get(ip, "policyDocument"),
                                                 &policy, eb);
            if (e == RP_ENOMEM) return e;
            if (e != RP_OK) {
                rp_posture_verdict_set(out, RP_PC_INSUFFICIENT_DATA,
                                       "inline policy '%s' does not parse", pname);
                return RP_OK;
            }
            for (size_t i = 0, n = rp_posture_policy_nstmts(policy); i < n; i++) {
                const struct rp_pv *s = rp_posture_policy_stmt(policy, i);
                if (rp_posture_stmt_effect(s) != RP_POSTURE_EFFECT_ALLOW ||
                    !rp_posture_stmt_all_kms_keys(s))
                    continue;
                for (uint32_t k = 0; k < blocked->n; k++) {
                    const struct rp_pv *b = blocked->u.items[k];
                    if (!b || b->kind != RP_PV_STRING ||
                        !rp_posture_stmt_action_may_match(s, b->u.s))
                        continue;
                    if (rp_posture_param_bool(in, "excludeRoleByManagementAccount", false) &&
                        rp_pv_is_str(rp_pv_get(in->doc, "resourceType"), "AWS::IAM::Role")) {
                        bool single = false;
                        if ((e = single_account_trust(in, &single, eb)) != RP_OK) return e;
                        if (single) {
                            rp_posture_verdict_set(out, RP_PC_INSUFFICIENT_DATA,
                                                   "needs the organization's management account "
                                                   "to apply excludeRoleByManagementAccount");
                            return RP_OK;
                        }
                    }
                    char label[96];
                    rp_posture_stmt_label(s, i, label, sizeof(label));
                    rp_posture_verdict_set(out, RP_PC_NON_COMPLIANT,
                                           "inline policy '%s' statement %s allows blocked action "
                                           "%s on all KMS keys",
                                           pname, label, b->u.s);
                    return RP_OK;
                }
            }
        }
    }
    rp_posture_verdict_set(out, RP_PC_COMPLIANT, "%s", "");
    return RP_OK;
}

const struct rp_posture_check rp_posture_check_iam_inline_policy_blocked_kms_actions = {
    .name = "iam_inline_policy_blocked_kms_actions",
    .fn = check,
};
