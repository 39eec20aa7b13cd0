/* SPDX-License-Identifier: Apache-2.0 */
/* Stealth:IAMUser/PasswordPolicyChange (aws-facts §4.5): the account password policy was
 * deleted (DeleteAccountPasswordPolicy) or weakened (UpdateAccountPasswordPolicy), with a
 * severity that grows with how much it was weakened. Successful calls only.
 *
 * How much: points, one per weakening (the rule is ours; GuardDuty only says Low, Medium or
 * High by the amount):
 *   - against the policy the account had, when an earlier UpdateAccountPasswordPolicy of the
 *     same account was seen in this run: minimum length shorter (+1, and +1 more when it drops
 *     by 4 or more or below 8), each of symbols/numbers/upper case/lower case no longer
 *     required (+1), reuse prevention lowered or removed (+1), expiry lengthened or removed
 *     (+1);
 *   - otherwise the new values alone, against the recommended baseline (CIS: 14 characters and
 *     all four character classes): length under 14 (+1) or under 8 (+2), each class not
 *     required (+1). Reuse and expiry are not judged alone, many sound policies omit them.
 *   A deletion is judged like an update to IAM's no-policy state (8 characters, nothing else)
 *   against a policy seen earlier, and is Medium when none was seen.
 * Severity: no point, no finding; 1-2 Low (2.0), 3-4 Medium (5.0), 5 or more High (8.0).
 * An update's parameters follow IAM's defaults when absent (length 6, nothing required).
 * State: the last policy seen per account, at most RP_CT_PW_ACCOUNTS accounts (least recently
 * changed forgotten first), about 170 bytes each. */
#define RP_LOG_MODULE "detect"
#include <stdlib.h>

#include "detect/detect_ct_common.h"
#include "core/rp_banned.h"

#define RP_CT_PW_ACCOUNTS 4096 /* accounts whose last policy is remembered */
#define RP_CT_PW_BASE_LEN 14   /* recommended minimum length (CIS AWS Foundations) */
#define RP_CT_PW_SHORT    8    /* below this a length is short by any standard */
#define RP_CT_PW_IAM_MIN  6    /* IAM's MinimumPasswordLength when the parameter is absent */
#define RP_CT_PW_NONE_LEN 8    /* what IAM asks of passwords when no policy is set */

static const struct rp_det_type types[] = {
    {"Stealth:IAMUser/PasswordPolicyChange", 2.0, "Password policy was weakened by %s",
     "The account's password policy was deleted or changed to ask less of passwords (shorter, "
     "fewer character classes, reuse or expiry relaxed). Weak passwords make it easier to take "
     "over console users."},
};

struct pw {
    int64_t min_len, reuse, max_age; /* 0 = none */
    bool cls[4];                     /* symbols, numbers, upper, lower required */
};

struct st {
    struct rp_det_ct_work w;
    struct rp_det_ct_map *last; /* account -> struct pw */
};

static void release(void *state)
{
    struct st *s = state;
    if (!s) return;
    rp_det_ct_work_release(&s->w);
    rp_det_ct_map_free(s->last);
    free(s);
}

static rp_err init(struct rp_det_ctx *dc, void **state, struct rp_errbuf *eb)
{
    (void)dc;
    struct st *s = calloc(1, sizeof(*s));
    if (!s) return rp_fail(eb, RP_ENOMEM, "detect: out of memory");
    *state = s;
    rp_err e = rp_det_ct_work_init(&s->w, eb);
    if (e) return e;
    if (rp_det_ct_map_new(RP_CT_PW_ACCOUNTS, sizeof(struct pw), &s->last))
        return rp_fail(eb, RP_ENOMEM, "detect: out of memory");
    return RP_OK;
}

static int64_t num(struct rp_json_val req, const char *key, int64_t dflt)
{
    int64_t v = 0;
    struct rp_str sv = {NULL, 0};
    if (rp_json_obj_get_i64(req, key, &v) == RP_OK) return v;
    if (rp_json_obj_get_str(req, key, &sv) == RP_OK && rp_str_to_i64(sv, &v) == RP_OK) return v;
    return dflt;
}

static void parse_policy(struct rp_json_val req, struct pw *p)
{
    static const char *const cls[4] = {"requireSymbols", "requireNumbers",
                                       "requireUppercaseCharacters", "requireLowercaseCharacters"};
    bool found = false;
    p->min_len = num(req, "minimumPasswordLength", RP_CT_PW_IAM_MIN);
    p->reuse = num(req, "passwordReusePrevention", 0);
    p->max_age = num(req, "maxPasswordAge", 0);
    for (int i = 0; i < 4; i++) p->cls[i] = rp_det_ct_json_bool(req, cls[i], &found);
}

static int score_against(const struct pw *old, const struct pw *nw)
{
    int pts = 0;
    if (nw->min_len < old->min_len) {
        pts++;
        if (old->min_len - nw->min_len >= 4 || nw->min_len < RP_CT_PW_SHORT) pts++;
    }
    for (int i = 0; i < 4; i++)
        if (old->cls[i] && !nw->cls[i]) pts++;
    if (nw->reuse < old->reuse) pts++;
    if (old->max_age > 0 && (nw->max_age == 0 || nw->max_age > old->max_age)) pts++;
    return pts;
}

static int score_alone(const struct pw *nw)
{
    int pts = 0;
    if (nw->min_len < RP_CT_PW_SHORT)
        pts += 2;
    else if (nw->min_len < RP_CT_PW_BASE_LEN)
        pts++;
    for (int i = 0; i < 4; i++)
        if (!nw->cls[i]) pts++;
    return pts;
}

static double band(int pts)
{
    return pts >= 5 ? 8.0 : pts >= 3 ? 5.0 : 2.0;
}

static rp_err event(struct rp_det_ctx *dc, void *state, const struct rp_det_event *ev,
                    struct rp_errbuf *eb)
{
    struct st *s = state;
    rp_det_ct_work_reset(&s->w);
    if (!rp_det_ct_eq(ev, RP_CT_EVENT_SOURCE, "iam.amazonaws.com")) return RP_OK;
    struct rp_str name = rp_det_ct_field(ev, RP_CT_EVENT_NAME);
    bool del = rp_str_eq_cstr(name, "DeleteAccountPasswordPolicy");
    if (!del && !rp_str_eq_cstr(name, "UpdateAccountPasswordPolicy")) return RP_OK;
    if (!rp_det_ct_ok(ev)) return RP_OK;
    struct rp_det_finding f;
    rp_err e = rp_det_ct_finding(&s->w, ev, types[0].type, &f);
    if (e == RP_ENOENT) return RP_OK;
    if (e) return rp_fail(eb, e, "detect: out of memory");
    struct rp_str acct = rp_str_from(f.account);
    const struct pw *prev = rp_det_ct_map_get(s->last, acct);
    struct pw old = {0}, nw = {0};
    bool had = prev != NULL;
    if (had) old = *prev;
    int pts = 0;
    if (del) {
        nw.min_len = RP_CT_PW_NONE_LEN;
        pts = had ? score_against(&old, &nw) : 3;
        rp_det_ct_map_del(s->last, acct);
    } else {
        struct rp_json_val req;
        if (rp_det_ct_json(&s->w, ev, false, &req) == RP_OK)
            parse_policy(req, &nw);
        else
            nw.min_len = RP_CT_PW_IAM_MIN;
        pts = had ? score_against(&old, &nw) : score_alone(&nw);
        struct pw *slot = rp_det_ct_map_put(s->last, acct, NULL);
        if (!slot) return rp_fail(eb, RP_ENOMEM, "detect: out of memory");
        *slot = nw;
    }
    if (pts == 0 || rp_det_ct_trusted(dc, ev)) return RP_OK;
    f.severity = band(pts);
    return rp_det_emit(dc, &f, eb);
}

const struct rp_detector rp_det_ct_pwpolicy = {
    .id = "ct.password-policy-change",
    .source = RP_DET_SRC_CLOUDTRAIL,
    .kind = RP_DET_SIGNATURE,
    .summary = "the account password policy deleted or weakened",
    .types = types,
    .ntypes = RP_ARRAY_LEN(types),
    .init = init,
    .event = event,
    .release = release,
};
