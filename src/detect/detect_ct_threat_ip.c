/* SPDX-License-Identifier: Apache-2.0 */
/* The MaliciousIPCaller and TorIPCaller families over CloudTrail (aws-facts §4.5, §4.6): a
 * call from an address that a threat list names. The list entry decides the family:
 *   - a user's threat list (RP_TI_THREAT): the .Custom types;
 *   - GuardDuty's own knowledge of malicious hosts (RP_TI_MALICIOUS, and the command-and-
 *     control and drop-point lists, which name attacker infrastructure too): the plain types;
 *   - Tor exit, relay or guard nodes (RP_TI_TOR): the TorIPCaller types.
 * The call decides the tactic:
 *   - management events (IAMUser types): List*, Describe*, Get* calls are Recon, any other
 *     call UnauthorizedAccess (GuardDuty's "any API", short of the reads already reported);
 *   - S3 data events (S3 types): List*, Head* and Get* other than the object reads are
 *     Discovery; GetObject, CopyObject and the other calls that hand out object content are
 *     Exfiltration (plain list only), writes and deletes Impact (plain list only); for the
 *     .Custom and Tor families everything that is not Discovery is UnauthorizedAccess.
 * Failed calls count (a denied call was still made from that address). Trusted wins: an
 * address on a trusted-IP list raises nothing (rp_det_ti_ip_str). An address on several kinds
 * of list raises one finding per family, with the most specific entry of that family as the
 * evidence (ThreatListName, ThreatNames).
 * IAMUser findings are about the caller's access key, S3 findings about the bucket; the
 * evidence key is the remote address (and, for a bucket, the caller), so all calls of one key
 * from one address fold into one finding with a Count, and another address makes another. */
#define RP_LOG_MODULE "detect"
#include <stdlib.h>
#include <string.h>

#include "detect/detect_ct_common.h"
#include "core/rp_banned.h"

#define RP_CT_TI_MAX_HITS 8 /* list entries looked at per address */

enum fam { FAM_CUSTOM, FAM_MALICIOUS, FAM_TOR, FAM__COUNT };
enum tac { TAC_RECON, TAC_OTHER, TAC_S3_DISCOVERY, TAC_S3_READ, TAC_S3_WRITE, TAC__COUNT };

static const struct rp_det_type types[] = {
    {"Recon:IAMUser/MaliciousIPCaller", 5.0,
     "Reconnaissance API calls from a known malicious IP address by %s",
     "A List, Describe or Get API was called from an address GuardDuty knows to be "
     "malicious. Attackers enumerate an account before they act."},
    {"Recon:IAMUser/MaliciousIPCaller.Custom", 5.0,
     "Reconnaissance API calls from an IP address on a custom threat list by %s",
     "A List, Describe or Get API was called from an address on one of your threat lists."},
    {"Recon:IAMUser/TorIPCaller", 5.0, "Reconnaissance API calls from a Tor exit node by %s",
     "A List, Describe or Get API was called from a Tor exit node, which hides who the caller "
     "is."},
    {"UnauthorizedAccess:IAMUser/MaliciousIPCaller", 5.0,
     "API calls from a known malicious IP address by %s",
     "An API was called from an address GuardDuty knows to be malicious. The credentials may "
     "be in an attacker's hands."},
    {"UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom", 5.0,
     "API calls from an IP address on a custom threat list by %s",
     "An API was called from an address on one of your threat lists. The credentials may be in "
     "an attacker's hands."},
    {"UnauthorizedAccess:IAMUser/TorIPCaller", 5.0, "API calls from a Tor exit node by %s",
     "An API was called from a Tor exit node, which hides who the caller is. The credentials "
     "may be in an attacker's hands."},
    {"Discovery:S3/MaliciousIPCaller", 8.0,
     "S3 discovery API calls on bucket %s from a known malicious IP address",
     "An S3 API that lists or inspects objects was called from an address GuardDuty knows to "
     "be malicious."},
    {"Discovery:S3/MaliciousIPCaller.Custom", 8.0,
     "S3 discovery API calls on bucket %s from an IP address on a custom threat list",
     "An S3 API that lists or inspects objects was called from an address on one of your "
     "threat lists."},
    {"Discovery:S3/TorIPCaller", 5.0, "S3 discovery API calls on bucket %s from a Tor exit node",
     "An S3 API that lists or inspects objects was called from a Tor exit node."},
    {"Exfiltration:S3/MaliciousIPCaller", 8.0,
     "S3 objects of bucket %s read from a known malicious IP address",
     "Objects were read or copied out of a bucket from an address GuardDuty knows to be "
     "malicious. Data may be leaving the account."},
    {"Impact:S3/MaliciousIPCaller", 8.0,
     "S3 objects of bucket %s changed from a known malicious IP address",
     "Objects or their permissions were written or deleted from an address GuardDuty knows to "
     "be malicious."},
    {"UnauthorizedAccess:S3/MaliciousIPCaller.Custom", 8.0,
     "S3 API calls on bucket %s from an IP address on a custom threat list",
     "An S3 API was called on a bucket from an address on one of your threat lists."},
    {"UnauthorizedAccess:S3/TorIPCaller", 8.0, "S3 API calls on bucket %s from a Tor exit node",
     "An S3 API was called on a bucket from a Tor exit node, which hides who the caller is."},
};

/* The type of family x tactic, an index into types[] (-1: none). */
static const int type_of[FAM__COUNT][TAC__COUNT] = {
    [FAM_CUSTOM] = {1, 4, 7, 11, 11},
    [FAM_MALICIOUS] = {0, 3, 6, 9, 10},
    [FAM_TOR] = {2, 5, 8, 12, 12},
};

/* Recon calls (GuardDuty: "List/Describe API"; Get* reads configuration the same way). */
static const char recon_prefixes[] = "List Describe Get";
/* S3 data events that hand out object content (aws-facts §4.6: GetObject, CopyObject). */
static const char *const s3_reads[] = {"GetObject", "CopyObject", "GetObjectTorrent",
                                       "SelectObjectContent", "UploadPartCopy"};
/* S3 discovery calls: listing and inspecting (GetObjectAcl, ListObjects, HeadObject, ..). */
static const char s3_discovery_prefixes[] = "List Head Get";

static enum fam fam_of(enum rp_det_ti_kind k, bool *ok)
{
    *ok = true;
    switch (k) {
    case RP_TI_THREAT:
        return FAM_CUSTOM;
    case RP_TI_TOR:
        return FAM_TOR;
    case RP_TI_MALICIOUS:
    case RP_TI_C2:
    case RP_TI_DROP_POINT:
        return FAM_MALICIOUS;
    default:
        *ok = false;
        return FAM_MALICIOUS;
    }
}

static enum tac tac_of(const struct rp_det_event *ev, bool s3data)
{
    struct rp_str name = rp_det_ct_field(ev, RP_CT_EVENT_NAME);
    if (!s3data) return rp_det_ct_has_prefix_word(name, recon_prefixes) ? TAC_RECON : TAC_OTHER;
    for (size_t i = 0; i < RP_ARRAY_LEN(s3_reads); i++)
        if (rp_str_eq_cstr(name, s3_reads[i])) return TAC_S3_READ;
    if (rp_det_ct_has_prefix_word(name, s3_discovery_prefixes)) return TAC_S3_DISCOVERY;
    return TAC_S3_WRITE;
}

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

static rp_err emit_one(struct rp_det_ctx *dc, struct st *s, const struct rp_det_event *ev,
                       bool s3data, struct rp_str bucket, int ti, const struct rp_det_ti_hit *hit,
                       struct rp_errbuf *eb)
{
    struct rp_det_finding f;
    rp_err e = s3data ? rp_det_ct_finding_s3(&s->w, ev, types[ti].type, bucket, &f)
                      : rp_det_ct_finding(&s->w, ev, types[ti].type, &f);
    if (e == RP_ENOENT) return RP_OK;
    if (e) return rp_fail(eb, e, "detect: out of memory");
    f.threat_list = hit->list;
    f.threat_name = hit->name;
    f.evidence_key = f.remote_ip;
    if (s3data) {
        const char *who = f.access_key_id ? f.access_key_id : f.principal_id;
        f.evidence_key = rp_arena_printf(&s->w.a, "%s %s", f.remote_ip ? f.remote_ip : "",
                                         who ? who : "anonymous");
        if (!f.evidence_key) return rp_fail(eb, RP_ENOMEM, "detect: out of memory");
    }
    return rp_det_emit(dc, &f, eb);
}

static rp_err event(struct rp_det_ctx *dc, void *state, const struct rp_det_event *ev,
                    struct rp_errbuf *eb)
{
    struct st *s = state;
    rp_det_ct_work_reset(&s->w);
    struct rp_ip ip;
    if (rp_det_ct_by_service(ev) || !rp_det_ct_src_ip(ev, &ip)) return RP_OK;
    struct rp_det_ti_hit hits[RP_CT_TI_MAX_HITS];
    size_t n = rp_det_ti_ip(dc, &ip, hits, RP_CT_TI_MAX_HITS);
    if (!n) return RP_OK;
    bool s3data = rp_det_ct_s3_data(ev);
    struct rp_str bucket = {NULL, 0};
    if (s3data) bucket = rp_det_ct_bucket(&s->w, ev);
    enum tac tac = tac_of(ev, s3data);
    bool done[FAM__COUNT] = {false};
    for (size_t i = 0; i < n; i++) {
        bool ok = false;
        enum fam fam = fam_of(hits[i].kind, &ok);
        if (!ok || done[fam]) continue;
        done[fam] = true;
        int ti = type_of[fam][tac];
        if (ti < 0) continue;
        rp_err e = emit_one(dc, s, ev, s3data, bucket, ti, &hits[i], eb);
        if (e) return e;
    }
    return RP_OK;
}

const struct rp_detector rp_det_ct_threat_ip = {
    .id = "ct.malicious-ip-caller",
    .source = RP_DET_SRC_CLOUDTRAIL,
    .kind = RP_DET_SIGNATURE,
    .summary = "API or S3 calls from an address on a threat list or a Tor node",
    .types = types,
    .ntypes = RP_ARRAY_LEN(types),
    .init = init,
    .event = event,
    .release = release,
};
