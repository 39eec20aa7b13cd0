/* SPDX-License-Identifier: Apache-2.0 */
/* Private to the CloudTrail signature detectors (src/detect/detect_ct_*.c): what every one of
 * them needs to read a CloudTrail event the way GuardDuty does for its IAMUser and S3 finding
 * types (DESIGN.md §6, aws-facts §4.5, §4.6):
 *
 *   - which events count: successful calls, S3 data events, calls an AWS service made on a
 *     principal's behalf, calls from a trusted address (trusted wins for every CloudTrail
 *     finding, aws-facts §4.2);
 *   - the members every finding of these families has: AccessKey resource (AccessKeyDetails)
 *     or S3Bucket resource (with the caller's AccessKeyDetails), the AWS_API_CALL action;
 *   - requestParameters / responseElements parsed with rp_json;
 *   - a bounded table of per-entity state (least recently used entries evicted past a cap,
 *     counted) for the detectors that remember something between events.
 *
 * A detector keeps one struct rp_det_ct_work in its state: a JSON parser and a scratch arena
 * holding the strings of the current event's findings, reset before each event.
 * Single-threaded, as a run is. */
#ifndef RP_DETECT_CT_COMMON_H
#define RP_DETECT_CT_COMMON_H

#include "detect/detect_internal.h"

/* ---- per-detector scratch -------------------------------------------------------------- */

struct rp_det_ct_work {
    struct rp_json_parser *jp; /* requestParameters, responseElements (one at a time) */
    struct rp_arena a;         /* strings of the current event's findings */
};

/* RP_OK or RP_ENOMEM. Release with rp_det_ct_work_release (also after a failed init). */
rp_err rp_det_ct_work_init(struct rp_det_ct_work *w, struct rp_errbuf *eb) RP_WUR;
void rp_det_ct_work_release(struct rp_det_ct_work *w);
/* Forget the previous event's strings (call at the start of each event). */
void rp_det_ct_work_reset(struct rp_det_ct_work *w);
/* NUL-terminated copy of s in w's arena; NULL when s is absent or empty, or on allocation
 * failure. */
const char *rp_det_ct_cstr(struct rp_det_ct_work *w, struct rp_str s);

/* ---- what an event says ---------------------------------------------------------------- */

/* The text field f of ev, absent (p == NULL) when missing or empty. */
struct rp_str rp_det_ct_field(const struct rp_det_event *ev, unsigned f);
/* True when field f of ev equals s exactly. */
bool rp_det_ct_eq(const struct rp_det_event *ev, unsigned f, const char *s);
/* True when the call succeeded: no errorCode (a ConsoleLogin also needs responseElements
 * ConsoleLogin "Success", see rp_det_ct_login_ok). */
bool rp_det_ct_ok(const struct rp_det_event *ev);
/* True for a successful sign-in: eventName ConsoleLogin, no errorCode and responseElements
 * {"ConsoleLogin":"Success"}. */
bool rp_det_ct_login_ok(struct rp_det_ct_work *w, const struct rp_det_event *ev);
/* True for an S3 data event: eventSource s3.amazonaws.com and category Data (or, when the
 * category is missing, managementEvent false). */
bool rp_det_ct_s3_data(const struct rp_det_event *ev);
/* True when an AWS service made the call: userIdentity.invokedBy is set or the identity type
 * is AWSService. Such calls are not the principal's own. */
bool rp_det_ct_by_service(const struct rp_det_event *ev);
/* The caller's address (rp_src_ip, else sourceIPAddress when it is one) into *ip; false when
 * the call came from an AWS service name or "AWS Internal". */
bool rp_det_ct_src_ip(const struct rp_det_event *ev, struct rp_ip *ip);
/* True when the caller's address is on a trusted-IP list. */
bool rp_det_ct_trusted(struct rp_det_ctx *dc, const struct rp_det_event *ev);
/* True when s starts with one of the comma-free words of prefixes ("List Describe Get"). */
bool rp_det_ct_has_prefix_word(struct rp_str s, const char *prefixes);

/* requestParameters (resp = false) or responseElements (true) parsed with w->jp: RP_OK with an
 * object in *out; RP_ENOENT when absent, null or not an object (nothing to read). The value
 * is borrowed from w->jp until its next parse. */
rp_err rp_det_ct_json(struct rp_det_ct_work *w, const struct rp_det_event *ev, bool resp,
                      struct rp_json_val *out);
/* Member key of obj as a boolean: "true"/"false" strings count (CloudTrail writes both).
 * *found tells whether the member was there with a usable value. */
bool rp_det_ct_json_bool(struct rp_json_val obj, const char *key, bool *found);

/* ---- findings -------------------------------------------------------------------------- */

/* Start an AWS_API_CALL finding of type about the caller of ev (f is initialised here):
 * account (rp_account, else recipientAccountId, else the identity's), region (rp_region, else
 * awsRegion), first = last = the event's time, count 1, resource AccessKey with resource_id
 * the access key id, else the principal ARN, else the principal id; AccessKeyDetails
 * (AccessKeyId, PrincipalId, UserName: the role name for role sessions, UserType);
 * Service.Action AwsApiCallAction (Api, ServiceName, CallerType "Remote IP" or "AWS
 * Service", UserAgent, ErrorCode, RemoteIpDetails). Strings live in w's arena.
 * RP_ENOENT when the event has no account, region or principal to name (no finding can be
 * raised), RP_ENOMEM. */
rp_err rp_det_ct_finding(struct rp_det_ct_work *w, const struct rp_det_event *ev, const char *type,
                         struct rp_det_finding *f) RP_WUR;
/* As rp_det_ct_finding, about bucket (the S3Bucket resource, resource_id = bucket); the
 * caller's AccessKeyDetails stay (empty for an anonymous caller, which is no obstacle here).
 * RP_ENOENT when bucket, the account or the region is absent. */
rp_err rp_det_ct_finding_s3(struct rp_det_ct_work *w, const struct rp_det_event *ev,
                            const char *type, struct rp_str bucket,
                            struct rp_det_finding *f) RP_WUR;
/* The bucket an S3 call names: requestParameters.bucketName, else the first
 * AWS::S3::Bucket (or AWS::S3::Object) ARN of resources. A slice of w's arena or of the
 * event; absent when none. Uses w->jp. */
struct rp_str rp_det_ct_bucket(struct rp_det_ct_work *w, const struct rp_det_event *ev);

/* ---- bounded per-entity state ---------------------------------------------------------- */

/* A map from a text key to a fixed-size value, holding at most cap entries: putting a new key
 * into a full map evicts the least recently used entry (get and put both count as a use) and
 * counts it in rp_det_ct_map_evicted. Keys longer than RP_DET_CT_KEY_MAX bytes are told apart
 * by their first RP_DET_CT_KEY_MAX bytes, their length and a 64-bit hash of the whole key.
 * Memory: about (RP_DET_CT_KEY_MAX + 40 + vsize) bytes per entry (the entry, its value and
 * its share of the chain heads), grown on demand (doubling) up to cap. */
#define RP_DET_CT_KEY_MAX 96

struct rp_det_ct_map;

/* A map of at most cap (>= 1) entries of vsize bytes each. RP_OK, RP_EINVAL, RP_ENOMEM. */
rp_err rp_det_ct_map_new(size_t cap, size_t vsize, struct rp_det_ct_map **out) RP_WUR;
void rp_det_ct_map_free(struct rp_det_ct_map *m); /* NULL is a no-op */
/* The value of key (8-byte aligned), or NULL when absent. Valid until the next put. */
void *rp_det_ct_map_get(struct rp_det_ct_map *m, struct rp_str key);
/* The value of key, created zero-filled when absent (*created = true, may be NULL). NULL only
 * on allocation failure. Valid until the next put. */
void *rp_det_ct_map_put(struct rp_det_ct_map *m, struct rp_str key, bool *created);
/* Remove key (no-op when absent). */
void rp_det_ct_map_del(struct rp_det_ct_map *m, struct rp_str key);
size_t rp_det_ct_map_count(const struct rp_det_ct_map *m);
uint64_t rp_det_ct_map_evicted(const struct rp_det_ct_map *m);

#endif
