/* SPDX-License-Identifier: Apache-2.0 */
/* Private to src/detect: what a detector sees and what it may call (DESIGN.md §6).
 *
 * A run (detect_run.c) reads the events of one source at a time, in time order, from the
 * store (incremental: only rows not analysed yet) or from files (`detect --stream`, through
 * rp_ingest_reader, nothing stored), and hands each event to every detector of that source:
 *
 *   init(dc, &state)           once per run, before the first event (may be NULL)
 *   event(dc, state, ev)       every event of the detector's source, in time order
 *   finish(dc, state)          after the last event of the source (windows flush here)
 *   release(state)             always, last (may be NULL)
 *
 * A detector raises findings with rp_det_emit(); the run folds emissions with the same
 * finding Id (type, resource, evidence key) into one finding (Count, EventFirstSeen,
 * EventLastSeen), adds what earlier runs counted, writes GuardDuty's finding JSON and imports
 * it into the findings hub. A detector never writes JSON or touches the hub itself.
 *
 * Events are borrowed views (valid during the call only): text fields as slices, integer
 * fields as int64 with a presence bit, by the per-source field enums below. The same columns
 * come from the store and from files, so a detector cannot tell the two apart.
 *
 * Threat intelligence (rp_det_ti_*), the inventory (rp_det_inv_*), the store (for state that
 * persists between runs: baselines) and the run's clock are reached through the context.
 * Everything here is single-threaded: one run, one thread. */
#ifndef RP_DETECT_INTERNAL_H
#define RP_DETECT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/rp_arena.h"
#include "core/rp_err.h"
#include "core/rp_ip.h"
#include "core/rp_json.h"
#include "core/rp_str.h"
#include "detect/detect.h"

struct rp_store;

/* ---- events ------------------------------------------------------------------------------ */

/* CloudTrail (table cloudtrail_logs, plus fields parsed from userIdentity by the run). */
enum rp_det_ct {
    RP_CT_EVENT_TIME,         /* eventTime as delivered */
    RP_CT_EVENT_SOURCE,       /* "iam.amazonaws.com" */
    RP_CT_EVENT_NAME,         /* "CreateAccessKey" */
    RP_CT_AWS_REGION,         /* awsRegion */
    RP_CT_SOURCE_IP_ADDRESS,  /* as delivered: an address or "s3.amazonaws.com" */
    RP_CT_USER_AGENT,         /* userAgent */
    RP_CT_ERROR_CODE,         /* errorCode, absent when the call succeeded */
    RP_CT_ERROR_MESSAGE,      /* errorMessage */
    RP_CT_REQUEST_PARAMETERS, /* JSON text */
    RP_CT_RESPONSE_ELEMENTS,  /* JSON text */
    RP_CT_ADDITIONAL_DATA,    /* additionalEventData, JSON text */
    RP_CT_USER_IDENTITY,      /* JSON text */
    RP_CT_RESOURCES,          /* JSON text */
    RP_CT_EVENT_ID,           /* eventID */
    RP_CT_EVENT_TYPE,         /* "AwsApiCall", "AwsConsoleSignIn", .. */
    RP_CT_RECIPIENT_ACCOUNT,  /* recipientAccountId */
    RP_CT_VPC_ENDPOINT_ID,    /* vpcEndpointId */
    RP_CT_CATEGORY,           /* rp_category: Management, Data, Insight, NetworkActivity */
    RP_CT_ACCOUNT,            /* rp_account */
    RP_CT_REGION,             /* rp_region */
    RP_CT_PRINCIPAL,          /* rp_principal: userIdentity.arn, else invokedBy, else id */
    RP_CT_USER_NAME,          /* rp_user_name */
    RP_CT_ACCESS_KEY_ID,      /* rp_access_key_id */
    RP_CT_SRC_IP,             /* rp_src_ip: sourceIPAddress when it is an address, canonical */
    /* parsed from userIdentity by the run (absent when userIdentity lacks them) */
    RP_CT_UID_TYPE,              /* Root, IAMUser, AssumedRole, FederatedUser, AWSService, .. */
    RP_CT_UID_PRINCIPAL_ID,      /* "AROAEXAMPLE:i-0abc" */
    RP_CT_UID_ARN,               /* userIdentity.arn */
    RP_CT_UID_ACCOUNT_ID,        /* userIdentity.accountId */
    RP_CT_UID_INVOKED_BY,        /* userIdentity.invokedBy */
    RP_CT_UID_ISSUER_TYPE,       /* sessionContext.sessionIssuer.type ("Role") */
    RP_CT_UID_ISSUER_ARN,        /* sessionContext.sessionIssuer.arn */
    RP_CT_UID_ISSUER_NAME,       /* sessionContext.sessionIssuer.userName */
    RP_CT_UID_MFA,               /* sessionContext.attributes.mfaAuthenticated "true"/"false" */
    RP_CT_UID_EC2_ROLE_DELIVERY, /* sessionContext.ec2RoleDelivery ("2.0") */
    RP_CT_UID_SOURCE_INSTANCE,   /* instance id: inScopeOf.sourceArn's or the session name's */
    RP_CT__COUNT
};
enum rp_det_ct_int {
    RP_CTI_READ_ONLY,  /* readOnly 0/1 */
    RP_CTI_MANAGEMENT, /* managementEvent 0/1 */
    RP_CTI__COUNT
};

/* VPC Flow Logs (table vpc_flow_logs). */
enum rp_det_flow {
    RP_FL_ACCOUNT_ID,   /* account_id as written */
    RP_FL_INTERFACE_ID, /* "eni-.." */
    RP_FL_SRCADDR,      /* as written */
    RP_FL_DSTADDR,
    RP_FL_ACTION,     /* ACCEPT | REJECT */
    RP_FL_LOG_STATUS, /* OK | NODATA | SKIPDATA */
    RP_FL_VPC_ID,
    RP_FL_SUBNET_ID,
    RP_FL_INSTANCE_ID, /* v3+, else absent (rp_det_inv_eni knows it from Config) */
    RP_FL_PKT_SRCADDR,
    RP_FL_PKT_DSTADDR,
    RP_FL_PKT_SRC_AWS_SERVICE,
    RP_FL_PKT_DST_AWS_SERVICE,
    RP_FL_FLOW_DIRECTION, /* ingress | egress (v5) */
    RP_FL_ACCOUNT,        /* rp_account */
    RP_FL_REGION,         /* rp_region */
    RP_FL_SRC_IP,         /* rp_src_ip, canonical */
    RP_FL_DST_IP,         /* rp_dst_ip, canonical */
    RP_FL__COUNT
};
enum rp_det_flow_int {
    RP_FLI_SRCPORT,
    RP_FLI_DSTPORT,
    RP_FLI_PROTOCOL, /* IANA: 6 TCP, 17 UDP, 1 ICMP */
    RP_FLI_PACKETS,
    RP_FLI_BYTES,
    RP_FLI_START, /* epoch seconds */
    RP_FLI_END,
    RP_FLI_TCP_FLAGS,
    RP_FLI_VERSION,
    RP_FLI__COUNT
};

/* Route 53 Resolver query logs (table r53_resolver_query_logs). */
enum rp_det_dns {
    RP_DNS_ACCOUNT_ID,
    RP_DNS_REGION_FIELD, /* region as written */
    RP_DNS_VPC_ID,
    RP_DNS_QUERY_NAME, /* as written, trailing dot */
    RP_DNS_QUERY_TYPE, /* A, AAAA, TXT, .. */
    RP_DNS_RCODE,      /* NOERROR, NXDOMAIN, .. */
    RP_DNS_ANSWERS,    /* JSON array of {Rdata, Type, Class} */
    RP_DNS_SRCADDR,
    RP_DNS_TRANSPORT,
    RP_DNS_SRCIDS, /* JSON */
    RP_DNS_FIREWALL_ACTION,
    RP_DNS_ACCOUNT,     /* rp_account */
    RP_DNS_REGION,      /* rp_region */
    RP_DNS_SRC_IP,      /* rp_src_ip */
    RP_DNS_NAME,        /* rp_query_name: lower case, no trailing dot */
    RP_DNS_INSTANCE_ID, /* rp_instance_id (srcids.instance) */
    RP_DNS__COUNT
};
enum rp_det_dns_int { RP_DNSI_SRC_PORT, RP_DNSI__COUNT };

/* Kubernetes audit (table k8s_audit_logs). */
enum rp_det_k8s {
    RP_K8S_AUDIT_ID,
    RP_K8S_STAGE, /* ResponseComplete, .. */
    RP_K8S_LEVEL,
    RP_K8S_REQUEST_URI,
    RP_K8S_VERB,         /* get, list, create, .. */
    RP_K8S_USER,         /* JSON {username, uid, groups, extra} */
    RP_K8S_IMPERSONATED, /* JSON */
    RP_K8S_SOURCE_IPS,   /* JSON array */
    RP_K8S_USER_AGENT,
    RP_K8S_OBJECT_REF,      /* JSON {resource, subresource, namespace, name, apiGroup, ..} */
    RP_K8S_RESPONSE_STATUS, /* JSON */
    RP_K8S_REQUEST_OBJECT,  /* JSON */
    RP_K8S_RESPONSE_OBJECT, /* JSON */
    RP_K8S_ANNOTATIONS,     /* JSON */
    RP_K8S_USERNAME,        /* rp_user */
    RP_K8S_SRC_IP,          /* rp_src_ip */
    RP_K8S_RESOURCE,        /* rp_resource */
    RP_K8S_NAMESPACE,       /* rp_namespace */
    RP_K8S_NAME,            /* rp_name */
    RP_K8S_CLUSTER,         /* rp_cluster */
    RP_K8S_ACCOUNT,         /* from the file's key layout (store: NULL unless known) */
    RP_K8S_REGION,
    RP_K8S_SUBRESOURCE, /* objectRef.subresource, parsed by the run */
    RP_K8S__COUNT
};
enum rp_det_k8s_int { RP_K8SI_CODE, RP_K8SI__COUNT };

#define RP_DET_MAX_STR 36 /* >= every *__COUNT above */
#define RP_DET_MAX_INT 10

/* One event. s[f].p == NULL when the field is NULL/absent; i[f] is valid when has & (1u<<f). */
struct rp_det_event {
    enum rp_det_source src;
    int64_t time_ms; /* the row's rp_time_ms */
    int64_t seq;     /* store rowid, or the position in the stream; increases with reading */
    struct rp_str s[RP_DET_MAX_STR];
    int64_t i[RP_DET_MAX_INT];
    uint32_t has;
};

static inline bool rp_det_has(const struct rp_det_event *ev, unsigned f)
{
    return f < RP_DET_MAX_INT && (ev->has >> f) & 1u;
}
static inline int64_t rp_det_int(const struct rp_det_event *ev, unsigned f, int64_t dflt)
{
    return rp_det_has(ev, f) ? ev->i[f] : dflt;
}
/* The field as a slice (empty, p == NULL, when absent). */
static inline struct rp_str rp_det_str(const struct rp_det_event *ev, unsigned f)
{
    return f < RP_DET_MAX_STR ? ev->s[f] : (struct rp_str){NULL, 0};
}
/* The store column of field f of source src ("eventName"), or NULL; for the parsed fields
 * (RP_CT_UID_*, RP_K8S_SUBRESOURCE) the JSON path they come from ("userIdentity.type"). */
const char *rp_det_field_name(enum rp_det_source src, bool integer, unsigned f);
/* The field index whose name is name, or -1. Sets *integer. */
int rp_det_field_find(enum rp_det_source src, struct rp_str name, bool *integer);

/* ---- findings ---------------------------------------------------------------------------- */

/* GuardDuty's Resource.ResourceType of a finding. */
enum rp_det_res {
    RP_DET_RES_ACCESS_KEY,  /* AccessKey: AccessKeyDetails */
    RP_DET_RES_INSTANCE,    /* Instance: InstanceDetails (filled from the inventory) */
    RP_DET_RES_S3_BUCKET,   /* S3Bucket: AccessKeyDetails + S3BucketDetails */
    RP_DET_RES_EKS_CLUSTER, /* EKSCluster: EksClusterDetails + KubernetesDetails */
};

/* Service.Action.ActionType. */
enum rp_det_action {
    RP_DET_ACT_AWS_API_CALL,
    RP_DET_ACT_NETWORK_CONNECTION,
    RP_DET_ACT_DNS_REQUEST,
    RP_DET_ACT_PORT_PROBE,
    RP_DET_ACT_KUBERNETES_API_CALL,
};

/* One port probe of a PORT_PROBE action. */
struct rp_det_probe {
    int local_port;        /* the probed port */
    const char *remote_ip; /* the prober */
};

#define RP_DET_MAX_PROBES 16

/* What a detector says about one occurrence. Strings are borrowed for the rp_det_emit call
 * (the run copies what it keeps). NULL / 0 / -1 mean "not known" and leave the member out of
 * the finding JSON. */
struct rp_det_finding {
    const char *type;          /* GuardDuty type, exactly: "Recon:EC2/Portscan" */
    double severity;           /* 0 = the type's default severity from its descriptor */
    const char *account;       /* AccountId (required) */
    const char *region;        /* Region (required) */
    int64_t first_ms, last_ms; /* activity of this occurrence (last 0 = first) */
    uint64_t count;            /* occurrences this emission stands for (0 = 1) */

    /* Resource: kind and the id the finding is about (the access key id, else the principal
     * ARN; the instance id, else the ENI; the bucket name; the cluster name). */
    enum rp_det_res res;
    const char *resource_id;
    /* What makes two occurrences on one resource one finding ("" or NULL: the type and
     * resource alone), e.g. the remote address of a brute force. Part of the finding Id. */
    const char *evidence_key;

    /* Resource details (by res; the run fills InstanceDetails from the inventory). */
    const char *access_key_id, *principal_id, *user_name, *user_type; /* AccessKeyDetails */
    const char *instance_id, *eni;                                    /* Instance */
    const char *bucket;                                               /* S3Bucket */
    const char *cluster;                                              /* EKSCluster */
    const char *k8s_user, *k8s_uid, *k8s_groups; /* KubernetesUserDetails; groups JSON */
    const char *workload_name, *workload_ns, *workload_type; /* KubernetesWorkloadDetails */
    const char *workload_image;                              /* the first container's image */
    bool workload_privileged;          /* securityContext.privileged of that container */
    const char *workload_volumes_json; /* Volumes [{Name, HostPath{Path}}] JSON, or NULL */

    /* Service.Action */
    enum rp_det_action action;
    const char *api, *service_name, *caller_type, *user_agent, *error_code; /* AWS_API_CALL */
    const char *remote_ip;       /* RemoteIpDetails.IpAddressV4/V6 (every action) */
    const char *remote_account;  /* RemoteAccountDetails.AccountId */
    const char *direction;       /* NETWORK_CONNECTION: INBOUND | OUTBOUND */
    const char *protocol;        /* TCP | UDP | ICMP | .. (network), UDP/TCP (DNS) */
    const char *local_ip;        /* LocalIpDetails */
    int local_port, remote_port; /* -1 unknown */
    bool blocked;
    const char *domain; /* DNS_REQUEST.Domain, AWS_API_CALL.DomainDetails */
    struct rp_det_probe probes[RP_DET_MAX_PROBES]; /* PORT_PROBE */
    size_t nprobes;
    const char *verb, *request_uri; /* KUBERNETES_API_CALL */
    int status_code;
    const char *source_ips_json; /* SourceIps JSON array, or NULL = [remote_ip] */

    const char *resource_role;   /* ACTOR | TARGET (NULL = TARGET) */
    const char *threat_list;     /* Evidence.ThreatIntelligenceDetails[0].ThreatListName */
    const char *threat_name;     /* ...ThreatNames[0] (NULL = none) */
    const char *anomaly_json;    /* Service.Detection.Anomaly object, or NULL */
    const char *additional_json; /* Service.AdditionalInfo.Value (JSON text), or NULL */
    const char *description;     /* NULL = the type's description */
    /* Sigma findings and the like: extra Service.AdditionalInfo members, NULL otherwise. */
};

/* Initialise f with every member unknown (ports -1). */
void rp_det_finding_init(struct rp_det_finding *f);

/* ---- detectors --------------------------------------------------------------------------- */

/* A finding type a detector can raise, with GuardDuty's default severity and text. title and
 * description may hold "%s", replaced by the finding's resource id. */
struct rp_det_type {
    const char *type;        /* "Recon:EC2/Portscan" */
    double severity;         /* GuardDuty's default: Low 2, Medium 5, High 8 (or exact) */
    const char *title;       /* "Unprotected port on EC2 instance %s is being probed" */
    const char *description; /* one or two sentences */
};

struct rp_det_ctx;

struct rp_detector {
    const char *id; /* "flow.portscan": <source>.<slug> */
    enum rp_det_source source;
    enum rp_det_kind kind;           /* signature, window, baseline */
    const char *summary;             /* one line */
    const struct rp_det_type *types; /* the types it raises */
    size_t ntypes;
    rp_err (*init)(struct rp_det_ctx *dc, void **state, struct rp_errbuf *eb);
    rp_err (*event)(struct rp_det_ctx *dc, void *state, const struct rp_det_event *ev,
                    struct rp_errbuf *eb);
    rp_err (*finish)(struct rp_det_ctx *dc, void *state, struct rp_errbuf *eb);
    void (*release)(void *state);
};

/* Every built-in detector (detect_builtin.def), NULL-terminated. */
extern const struct rp_detector *const rp_det_builtins[];

/* The type descriptor of type over every built-in detector, or NULL (Sigma's types: see
 * rp_det_sigma_type_find). */
const struct rp_det_type *rp_det_type_find(const char *type);

/* ---- what a detector may call ------------------------------------------------------------ */

/* Raise one occurrence (copied). RP_EINVAL when type/account/region/resource_id are missing
 * or the type is none of the detector's; RP_ENOMEM. */
rp_err rp_det_emit(struct rp_det_ctx *dc, const struct rp_det_finding *f,
                   struct rp_errbuf *eb) RP_WUR;

/* As rp_det_emit with the type descriptor t given by the caller instead of looked up among
 * the running detector's types: for rule engines whose types are data (Sigma). t must stay
 * valid until the run ends. */
rp_err rp_det_emit_typed(struct rp_det_ctx *dc, const struct rp_det_type *t,
                         const struct rp_det_finding *f, struct rp_errbuf *eb) RP_WUR;

/* The run's arena: freed when the run ends. */
struct rp_arena *rp_det_arena(struct rp_det_ctx *dc);
/* The store: NULL in a stream run without a store. Detectors keep persistent state in their
 * own tables (migrations), read at init and written at finish. */
struct rp_store *rp_det_store(struct rp_det_ctx *dc);
/* Options of the run (learning period, window bounds). */
const struct rp_detect_opts *rp_det_opts(const struct rp_det_ctx *dc);

/* ---- threat intelligence (detect_ti.c) --------------------------------------------------- */

/* What a list entry says about an address or a domain. */
enum rp_det_ti_kind {
    RP_TI_THREAT,    /* a user's threat list: the .Custom types */
    RP_TI_TRUSTED,   /* a user's trusted-IP list: no finding for these addresses */
    RP_TI_TOR,       /* built-in/loaded Tor exit, relay or guard nodes */
    RP_TI_MALICIOUS, /* GuardDuty's own malicious-IP knowledge (non-.Custom MaliciousIPCaller) */
    RP_TI_C2,        /* command-and-control */
    RP_TI_MINING,    /* crypto-currency mining pools */
    RP_TI_PHISHING,
    RP_TI_DROP_POINT,
    RP_TI_BLACKHOLE,
    RP_TI_DRIVE_BY,
    RP_TI_DGA,
    RP_TI__COUNT
};

struct rp_det_ti_hit {
    enum rp_det_ti_kind kind;
    const char *list; /* ThreatListName: the list's name ("malicious-ips") */
    const char *name; /* what the entry matched: "45.1.2.3", "203.0.113.0/24", "evil.com" */
};

/* The address's threat entries (not trusted). Trusted wins: false when ip is on a trusted
 * list. At most max hits, the most specific first. */
size_t rp_det_ti_ip(struct rp_det_ctx *dc, const struct rp_ip *ip, struct rp_det_ti_hit *hits,
                    size_t max);
/* The same for text (an address as written; false when it is not one). */
size_t rp_det_ti_ip_str(struct rp_det_ctx *dc, struct rp_str ip, struct rp_det_ti_hit *hits,
                        size_t max);
/* True when ip is on a trusted-IP list. */
bool rp_det_ti_trusted(struct rp_det_ctx *dc, const struct rp_ip *ip);
/* Domain entries matching name (lower case, no trailing dot) or one of its parent domains,
 * the longest first. */
size_t rp_det_ti_domain(struct rp_det_ctx *dc, struct rp_str name, struct rp_det_ti_hit *hits,
                        size_t max);
/* Built-in knowledge: true when port is a crypto-mining (stratum) port. */
bool rp_det_ti_mining_port(int port);

/* ---- inventory (detect_inv.c: AWS Config items in the store) ----------------------------- */

struct rp_det_inv_eni {
    const char *eni, *instance_id, *account, *region, *vpc_id, *subnet_id;
    const char *private_ip, *public_ip;
    const char *const *security_groups; /* group ids */
    size_t nsecurity_groups;
};

/* The network interface eni (NULL when the inventory does not know it). Borrowed from the
 * run. */
const struct rp_det_inv_eni *rp_det_inv_eni(struct rp_det_ctx *dc, struct rp_str eni);
/* The interface holding address ip (private or public), or NULL. */
const struct rp_det_inv_eni *rp_det_inv_ip(struct rp_det_ctx *dc, struct rp_str ip);
/* True when an inbound rule of one of the interface's security groups lets anything from the
 * internet (0.0.0.0/0 or ::/0) reach protocol/port ("tcp", 22). */
bool rp_det_inv_port_open(struct rp_det_ctx *dc, const struct rp_det_inv_eni *x,
                          const char *protocol, int port);
/* The configuration (JSON text) of the current Config item of resourceType type whose
 * resourceName or resourceId is name, in the run's arena, or NULL. whole: an object with the
 * item's configuration, supplementaryConfiguration and tags instead. */
const char *rp_det_inv_item_json(struct rp_det_ctx *dc, const char *type, const char *name,
                                 bool whole);
/* The instance's Config item configuration (JSON text) or NULL. */
const char *rp_det_inv_instance_json(struct rp_det_ctx *dc, const char *instance_id);

/* ---- threat-intel sets (detect_ti.c) ------------------------------------------------------ */

/* The lists a run matches against: addresses and CIDRs in an rp_cidr_set (longest prefix),
 * domains by suffix. Built before a run; its entries do not change during it, but the first
 * lookup that hits a key caches which wider prefix holds it, so one set serves one thread. */
struct rp_det_ti;

rp_err rp_det_ti_new(struct rp_det_ti **out) RP_WUR;
void rp_det_ti_free(struct rp_det_ti *ti); /* NULL is a no-op */
/* Add one entry (an address, a CIDR or a domain; "*.example.com" and ".example.com" mean the
 * domain and its subdomains, as a bare domain does) of list (copied) with kind. RP_EPARSE for
 * an entry that is none of these. */
rp_err rp_det_ti_add(struct rp_det_ti *ti, enum rp_det_ti_kind kind, const char *list,
                     struct rp_str entry, struct rp_errbuf *eb) RP_WUR;
/* Add every ACTIVE list the store holds (threatintel add) and the built-in knowledge. */
rp_err rp_det_ti_load(struct rp_det_ti *ti, struct rp_store *st, struct rp_errbuf *eb) RP_WUR;

/* ---- harness (tests, and the run itself) --------------------------------------------------- */

/* A finding after folding: the first emission's members (copied into the run's arena), with
 * the totals of every emission with the same id. */
struct rp_det_folded {
    char id[64];             /* rp_hub_finding_id("detect", type, resource_id, evidence_key) */
    struct rp_det_finding f; /* f.count, f.first_ms, f.last_ms are the totals */
    const struct rp_det_type *type;
    enum rp_det_source source;
};

/* A context for running detectors by hand: st may be NULL (no persistent state), ti may be
 * NULL (empty lists; not owned). */
rp_err rp_det_ctx_new(const struct rp_detect_opts *o, struct rp_store *st, struct rp_det_ti *ti,
                      struct rp_det_ctx **out, struct rp_errbuf *eb) RP_WUR;
void rp_det_ctx_free(struct rp_det_ctx *dc); /* NULL is a no-op */
/* Run detector d over evs[0..n) (init, event for each, finish, release). Findings fold into
 * dc's list. */
rp_err rp_det_ctx_run1(struct rp_det_ctx *dc, const struct rp_detector *d,
                       const struct rp_det_event *evs, size_t n, struct rp_errbuf *eb) RP_WUR;
/* The folded findings so far, in first-emission order. */
size_t rp_det_ctx_nfindings(const struct rp_det_ctx *dc);
const struct rp_det_folded *rp_det_ctx_finding(const struct rp_det_ctx *dc, size_t i);
/* The first folded finding of type (and resource_id, when not NULL), or NULL. */
const struct rp_det_folded *rp_det_ctx_find(const struct rp_det_ctx *dc, const char *type,
                                            const char *resource_id);

/* Start an event: src, time, nothing set. */
void rp_det_event_init(struct rp_det_event *ev, enum rp_det_source src, int64_t time_ms);
/* Fill the parsed fields (RP_CT_UID_*, RP_K8S_SUBRESOURCE) from the JSON ones; strings live in
 * dc's arena. The run calls it for every event; tests call it on events they build. */
rp_err rp_det_event_derive(struct rp_det_ctx *dc, struct rp_det_event *ev,
                           struct rp_errbuf *eb) RP_WUR;
/* Set text field f of ev to the C string v (borrowed). */
void rp_det_event_set(struct rp_det_event *ev, unsigned f, const char *v);
void rp_det_event_set_int(struct rp_det_event *ev, unsigned f, int64_t v);

#endif
