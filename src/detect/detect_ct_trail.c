/* SPDX-License-Identifier: Apache-2.0 */
/* Stealth:IAMUser/CloudTrailLoggingDisabled (aws-facts §4.5, §4.10): a successful call that
 * stops a trail from delivering what it delivered: StopLogging, DeleteTrail, or an UpdateTrail
 * that moves its logs to another bucket (s3BucketName given) or narrows what it records
 * (includeGlobalServiceEvents or isMultiRegionTrail turned off). Failed calls changed nothing
 * and raise nothing. One finding per caller's access key and trail (the evidence key is the
 * trail's name); the trail's own deleted log bucket is not recognised (the detector does not
 * know which buckets hold trail logs). */
#define RP_LOG_MODULE "detect"
#include <stdlib.h>
#include <string.h>

#include "detect/detect_ct_common.h"
#include "core/rp_banned.h"

static const struct rp_det_type types[] = {
    {"Stealth:IAMUser/CloudTrailLoggingDisabled", 2.0,
     "AWS CloudTrail trail logging was disabled by %s",
     "A CloudTrail trail was stopped, deleted or changed so that it no longer records or "
     "delivers what it did. Attackers turn logging off to hide what they do next."},
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

/* The trail's name from requestParameters.name (a name or an ARN ".../trail/NAME"), copied
 * into the scratch arena; NULL when absent. */
static const char *trail_name(struct rp_det_ct_work *w, struct rp_json_val req)
{
    struct rp_str n = {NULL, 0};
    if (rp_json_obj_get_str(req, "name", &n) != RP_OK || !n.len) return NULL;
    for (size_t i = n.len; i > 0; i--)
        if (n.p[i - 1] == '/') {
            n = (struct rp_str){n.p + i, n.len - i};
            break;
        }
    return rp_det_ct_cstr(w, n);
}

/* True when an UpdateTrail's parameters move or narrow the trail's logging. */
static bool update_disables(struct rp_json_val req)
{
    struct rp_json_val v;
    bool found = false;
    if (rp_json_obj_get(req, "s3BucketName", &v) == RP_OK && rp_json_type(v) == RP_JSON_STRING)
        return true;
    if (!rp_det_ct_json_bool(req, "includeGlobalServiceEvents", &found) && found) return true;
    if (!rp_det_ct_json_bool(req, "isMultiRegionTrail", &found) && found) return true;
    return false;
}

static rp_err event(struct rp_det_ctx *dc, void *state, const struct rp_det_event *ev,
                    struct rp_errbuf *eb)
{
    struct st *s = state;
    rp_det_ct_work_reset(&s->w);
    if (!rp_det_ct_eq(ev, RP_CT_EVENT_SOURCE, "cloudtrail.amazonaws.com")) return RP_OK;
    struct rp_str name = rp_det_ct_field(ev, RP_CT_EVENT_NAME);
    bool stop = rp_str_eq_cstr(name, "StopLogging") || rp_str_eq_cstr(name, "DeleteTrail");
    bool update = rp_str_eq_cstr(name, "UpdateTrail");
    if (!stop && !update) return RP_OK;
    if (!rp_det_ct_ok(ev) || rp_det_ct_eq(ev, RP_CT_UID_TYPE, "AWSService")) return RP_OK;
    if (rp_det_ct_trusted(dc, ev)) return RP_OK;
    struct rp_json_val req;
    bool have = rp_det_ct_json(&s->w, ev, false, &req) == RP_OK;
    if (update && (!have || !update_disables(req))) return RP_OK;
    const char *trail = have ? trail_name(&s->w, req) : NULL;
    struct rp_det_finding f;
    rp_err e = rp_det_ct_finding(&s->w, ev, types[0].type, &f);
    if (e == RP_ENOENT) return RP_OK;
    if (e) return rp_fail(eb, e, "detect: out of memory");
    f.evidence_key = trail;
    return rp_det_emit(dc, &f, eb);
}

const struct rp_detector rp_det_ct_trail = {
    .id = "ct.cloudtrail-logging-disabled",
    .source = RP_DET_SRC_CLOUDTRAIL,
    .kind = RP_DET_SIGNATURE,
    .summary = "a CloudTrail trail stopped, deleted or narrowed",
    .types = types,
    .ntypes = RP_ARRAY_LEN(types),
    .init = init,
    .event = event,
    .release = release,
};
