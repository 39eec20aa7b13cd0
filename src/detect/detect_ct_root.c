/* SPDX-License-Identifier: Apache-2.0 */
/* Policy:IAMUser/RootCredentialUsage (aws-facts §4.5): a call made with the account's root
 * user credentials, a management call, a sign-in or, with S3 protection, an S3 data call.
 * Calls an AWS service made on the root user's behalf (userIdentity.invokedBy) and failed
 * sign-ins (the credentials did not work) do not count; failed API calls do, since the
 * credentials were used. One finding per root access key (a console session's ASIA key, or
 * the root ARN for the sign-in itself, which has none); Count adds up its calls. */
#define RP_LOG_MODULE "detect"
#include <stdlib.h>

#include "detect/detect_ct_common.h"
#include "core/rp_banned.h"

static const struct rp_det_type types[] = {
    {"Policy:IAMUser/RootCredentialUsage", 2.0, "Root credentials %s were used to invoke APIs",
     "The account's root user signed in or called AWS APIs. The root user cannot be limited by "
     "IAM policies; everyday work should use IAM principals and the root credentials stay "
     "locked away."},
};

struct st {
    struct rp_det_ct_work w;
};

static void release(void *state)
{
    struct st *s = state;
    if (!s) return;
    rp_det_ct_work_release(&s->w);
    free(s);
}

static rp_err init(struct rp_det_ctx *dc, void **state, struct rp_errbuf *eb)
{
    (void)dc;
    struct st *s = calloc(1, sizeof(*s));
    if (!s) return rp_fail(eb, RP_ENOMEM, "detect: out of memory");
    *state = s;
    return rp_det_ct_work_init(&s->w, eb);
}

static rp_err event(struct rp_det_ctx *dc, void *state, const struct rp_det_event *ev,
                    struct rp_errbuf *eb)
{
    struct st *s = state;
    rp_det_ct_work_reset(&s->w);
    if (!rp_det_ct_eq(ev, RP_CT_UID_TYPE, "Root") || rp_det_ct_by_service(ev)) return RP_OK;
    if (rp_det_ct_eq(ev, RP_CT_EVENT_NAME, "ConsoleLogin") && !rp_det_ct_login_ok(&s->w, ev))
        return RP_OK;
    if (rp_det_ct_trusted(dc, ev)) return RP_OK;
    struct rp_det_finding f;
    rp_err e = rp_det_ct_finding(&s->w, ev, types[0].type, &f);
    if (e == RP_ENOENT) return RP_OK;
    if (e) return rp_fail(eb, e, "detect: out of memory");
    return rp_det_emit(dc, &f, eb);
}

const struct rp_detector rp_det_ct_root = {
    .id = "ct.root-credential-usage",
    .source = RP_DET_SRC_CLOUDTRAIL,
    .kind = RP_DET_SIGNATURE,
    .summary = "root user credentials used to sign in or call APIs",
    .types = types,
    .ntypes = RP_ARRAY_LEN(types),
    .init = init,
    .event = event,
    .release = release,
};
