/* SPDX-License-Identifier: Apache-2.0 */
/* rp_sim record builders for the four log sources GuardDuty reads, shared by the ordinary
 * activity generators (sim_gen_cloudtrail.c, sim_gen_flow.c, sim_gen_dns.c, sim_gen_k8s.c) and
 * the attack scenarios:
 *
 *   CloudTrail  struct rp_sim_ct_call  -> one record in AWS's field order (rp_sim_ct_call_build)
 *   flow logs   struct rp_sim_conn     -> the two records of a connection on one ENI, plus
 *               rejected probes, NODATA and SKIPDATA records (around struct rp_sim_flow)
 *   DNS         struct rp_sim_dns_query -> one Route 53 Resolver query-log line
 *   k8s audit   struct rp_sim_k8s_event -> one audit.k8s.io/v1 Event (stage ResponseComplete)
 *
 * Every builder appends compact JSON (or a flow line) to a caller's rp_buf and is a pure
 * function of the world, the description and the PRNG passed in (identifiers such as eventID,
 * requestID and auditID are drawn from that PRNG, so give each generator or scenario its own
 * stream). The _emit variants build into a scratch buffer and hand the record to the run's
 * record stream (sim_gen.h rp_sim_emit_*), so the time must lie in the current hour.
 *
 * Strings in the descriptions are borrowed for the call. Raw JSON fragments
 * (requestParameters, ...) are copied verbatim: the caller vouches that each is one valid JSON
 * value. Every other string is escaped.
 *
 * Stability: scenarios code against this header. Only add to it; never change the meaning of a
 * field. Zeroed descriptions are not valid: start from the _init functions, which set the
 * "derive it" defaults (RP_SIM_NONE, -1, NULL) documented per field. */
#ifndef RP_SIM_ACTIVITY_H
#define RP_SIM_ACTIVITY_H

#include "core/rp_buf.h"
#include "sim/sim_gen.h"
#include "sim/sim_world.h"

/* ---- CloudTrail ---------------------------------------------------------------------------- */

/* Who made the call: the userIdentity.type written. */
enum rp_sim_ct_kind {
    RP_SIM_CT_IAM_USER = 0, /* IAMUser; idx = user index */
    RP_SIM_CT_ROLE,         /* AssumedRole session of role idx (sessionIssuer type Role) */
    RP_SIM_CT_ROOT,         /* Root of account idx */
    RP_SIM_CT_SERVICE,      /* AWSService; service names it; idx unused */
    RP_SIM_CT_FEDERATED,    /* FederatedUser: GetFederationToken session of user idx, the
                               federated name in session_name */
    RP_SIM_CT_AWS_ACCOUNT,  /* AWSAccount: a caller in another account; idx = account index in
                               the world or RP_SIM_NONE with principal_id/account_id given */
    RP_SIM_CT_WEB_IDENTITY, /* WebIdentityUser (AssumeRoleWithWebIdentity): session_name is the
                               token subject (userName), service the provider host
                               ("token.actions.githubusercontent.com"); idx = account index */
};

#define RP_SIM_CT_MFA_DEFAULT (-1) /* mfa: derive (console sessions of MFA users: true) */

struct rp_sim_ct_who {
    enum rp_sim_ct_kind kind;
    uint32_t idx; /* see enum rp_sim_ct_kind */
    /* SERVICE: the service principal ("autoscaling.amazonaws.com"), also sourceIPAddress and
     * userAgent unless overridden. Other kinds: userIdentity.invokedBy when an AWS service made
     * the call with these credentials (e.g. "cloudformation.amazonaws.com"), NULL if none. */
    const char *service;
    /* ROLE: role session name (NULL = the user name of the first habitual assumer for admin
     * and read-only roles, the id of the first instance using an instance-profile or EKS node
     * role, else the role name). FEDERATED: the federated user name (required).
     * WEB_IDENTITY: the token subject (required). */
    const char *session_name;
    /* NULL = derived: the user's first active key for long-term calls, else an ASIA key
     * hashed from (principal, session start), so every call of one session shares it */
    const char *access_key;
    /* NULL = the principal's habitual address of the day (users, and roles through their
     * habits or their assumer), the instance's egress address for instance-profile sessions,
     * the service name for SERVICE, "AWS Internal" when nothing is known */
    const char *source_ip;
    /* NULL = the habitual user agent (a CLI one when the habit is a browser), "AWS Internal"
     * for console sessions, a desktop browser for console sign-ins, the service for SERVICE */
    const char *user_agent;
    const char *principal_id;    /* AWS_ACCOUNT: the caller's principalId; others: override */
    const char *account_id;      /* AWS_ACCOUNT with idx RP_SIM_NONE: the caller's account id */
    const char *source_identity; /* ROLE: sessionContext.sourceIdentity, NULL = absent */
    int mfa;                     /* RP_SIM_CT_MFA_DEFAULT, 0 or 1: mfaAuthenticated */
    /* session creationDate; 0 = the start of the call's hour. IAMUser and Root records carry
     * a sessionContext only for console sessions or when session_ms != 0 */
    int64_t session_ms;
    /* USER/ROOT/ROLE: credentials of a console session (ASIA key, sessionContext, "AWS
     * Internal" user agent, sessionCredentialFromConsole "true") */
    bool console;
    /* ROLE: sessionContext.ec2RoleDelivery 0 = absent, 1 = "1.0", 2 = "2.0" (0 gives "2.0" when
     * the session name is the id of an instance) */
    uint8_t ec2_role_delivery;
};

/* One entry of resources[]: {"accountId", "type", "ARN"} (accountId omitted when NULL). */
struct rp_sim_ct_resource {
    const char *arn;
    const char *account_id;
    const char *type; /* "AWS::S3::Object", "AWS::IAM::Role", ... */
};

#define RP_SIM_CT_MAX_RESOURCES 8

/* One CloudTrail record. Fill with rp_sim_ct_call_init, then set fields. */
struct rp_sim_ct_call {
    struct rp_sim_ct_who who;
    uint32_t acct;          /* recipient account index; RP_SIM_NONE = the caller's account (then
                               required for SERVICE / WEB_IDENTITY: RP_EINVAL without it) */
    uint32_t region;        /* region index the record is filed under; RP_SIM_NONE = us-east-1
                               (else region 0) for global services, else the caller's habitual
                               region, else the account's home region */
    const char *aws_region; /* awsRegion written; NULL = the region's name, "us-east-1" for
                               global services (iam, sts without a regional endpoint, signin,
                               cloudfront, route53, organizations) */
    int64_t ts_ms;          /* eventTime (written to the second) */
    const char *event_source;
    const char *event_name;
    const char *event_type;    /* NULL = AwsApiCall, AwsConsoleSignIn for signin events */
    const char *event_version; /* NULL = "1.08" for sign-in, service events and data events,
                                  "1.09" otherwise */
    int read_only;             /* -1 = derived (Describe/Get/List/Head/Lookup/... prefixes), 0, 1 */
    bool data_event;           /* eventCategory Data, managementEvent false */
    const char *request_parameters;    /* raw JSON; NULL writes null */
    const char *response_elements;     /* raw JSON; NULL writes null */
    const char *additional_event_data; /* raw JSON object; NULL omits the field */
    const char *service_event_details; /* raw JSON object; NULL omits the field */
    const char *error_code;            /* NULL = success */
    const char *error_message;         /* NULL omits it */
    struct rp_sim_ct_resource resources[RP_SIM_CT_MAX_RESOURCES];
    uint32_t nresources;
    const char *api_version;     /* NULL omits it */
    const char *shared_event_id; /* NULL omits it */
    const char *vpc_endpoint_id; /* NULL omits it */
    /* tlsDetails.clientProvidedHostHeader: NULL = derived from eventSource and region
     * ("ec2.us-west-2.amazonaws.com", "iam.amazonaws.com"); "" omits tlsDetails. Service
     * callers and AwsServiceEvent records never carry tlsDetails. */
    const char *tls_host;
    const char *event_id;   /* NULL = a UUID drawn from the PRNG */
    const char *request_id; /* NULL = drawn (S3: 16 upper-case hex, else a UUID); sign-in
                               and service events have none */
};

/* Fill *c: who.kind = kind, who.idx = idx, read_only -1, mfa default, acct/region
 * RP_SIM_NONE, everything else NULL/0. */
void rp_sim_ct_call_init(struct rp_sim_ct_call *c, enum rp_sim_ct_kind kind, uint32_t idx);

/* Add one resource (silently ignored past RP_SIM_CT_MAX_RESOURCES). */
void rp_sim_ct_call_resource(struct rp_sim_ct_call *c, const char *type, const char *arn,
                             const char *account_id);

/* The account and region indexes a call is filed under, after defaults (see acct/region). */
rp_err rp_sim_ct_call_where(const struct rp_sim_world *w, const struct rp_sim_ct_call *c,
                            uint32_t *acct, uint32_t *region) RP_WUR;

/* Append the record for c to out (one JSON object, no separator), drawing identifiers from r.
 * event_id (may be NULL) receives the eventID written. RP_EINVAL for an index out of range or a
 * missing eventSource/eventName, RP_ELIMIT/RP_ENOMEM from out (out is then left as it was). */
rp_err rp_sim_ct_call_build(const struct rp_sim_world *w, const struct rp_sim_ct_call *c,
                            struct rp_sim_rng *r, struct rp_buf *out,
                            char event_id[RP_SIM_UUID_SZ]) RP_WUR;

/* Build c and append it to the run's CloudTrail stream (rp_sim_emit_cloudtrail) of the account
 * and region from rp_sim_ct_call_where. event_id as above (filled even when no trail logs the
 * account and the record is dropped). Errors as above with details in *eb, plus those of
 * rp_sim_emit_cloudtrail. */
rp_err rp_sim_ct_call_emit(struct rp_sim_run *run, const struct rp_sim_ct_call *c,
                           struct rp_sim_rng *r, char event_id[RP_SIM_UUID_SZ],
                           struct rp_errbuf *eb) RP_WUR;

/* True for the global services whose events are logged in us-east-1 (iam, sts global
 * endpoint, signin, cloudfront, route53, organizations). */
bool rp_sim_ct_is_global(const char *event_source);

/* Region index under which global-service events are filed: us-east-1 when the world has it,
 * else region 0. */
uint32_t rp_sim_ct_global_region(const struct rp_sim_world *w);

/* Default read-only classification of an API name (Describe*, Get*, List*, Head*, Lookup*,
 * Search*, BatchGet*, Check*, Test*, Select*... ), as used for read_only -1. */
bool rp_sim_ct_name_read_only(const char *event_name);

/* The console user agent written for console sign-ins (a desktop browser string chosen stably
 * from the hash). Static storage. */
const char *rp_sim_ct_console_ua(uint64_t principal_hash);

/* The public address instance inst's traffic to AWS APIs and the internet leaves from: its
 * public IP, else the public IP of a NAT gateway in its VPC, else its private IP (borrowed from
 * w; "" for a bad index). The default source of instance-profile role sessions. */
const char *rp_sim_instance_egress_ip(const struct rp_sim_world *w, uint32_t inst);

/* The access key the builder writes for who at ts_ms (a session key, the user's first active
 * key, or who->access_key), e.g. for the credentials in an AssumeRole response; "" for callers
 * without one. RP_EINVAL for a bad index. */
rp_err rp_sim_ct_who_key(const struct rp_sim_world *w, const struct rp_sim_ct_who *who,
                         int64_t ts_ms, char *out, size_t outsz) RP_WUR;

/* The sourceIPAddress the builder writes for who at ts_ms when who->source_ip is NULL (the
 * habitual address of the day, the instance's egress address, the service name or
 * "AWS Internal"). Borrowed from w, who or static storage. */
const char *rp_sim_ct_who_ip(const struct rp_sim_world *w, const struct rp_sim_ct_who *who,
                             int64_t ts_ms);

/* ---- VPC flow logs -------------------------------------------------------------------------- */

/* Fill *f with an empty record: tcp_flags -1, everything else 0/NULL. */
void rp_sim_flow_init(struct rp_sim_flow *f);

/* A finished (or ongoing) connection seen on one ENI, as the pair of records AWS writes: the
 * record of the packets from the initiator to the responder, then the one of the replies. */
struct rp_sim_conn {
    uint32_t eni;          /* the monitored interface (local side) */
    bool inbound;          /* the remote side initiated (local is the server) */
    const char *local_ip;  /* NULL = the ENI's private address */
    const char *remote_ip; /* required */
    uint16_t local_port, remote_port;
    uint8_t protocol;                  /* 6 TCP, 17 UDP, 1 ICMP */
    uint64_t req_packets, req_bytes;   /* initiator -> responder */
    uint64_t resp_packets, resp_bytes; /* responder -> initiator; 0 packets = no reply record */
    int64_t start_s, end_s;            /* start_s in the current hour; end_s >= start_s */
    bool ongoing;                      /* a middle interval of a long connection: flags 0 */
    const char *remote_service;        /* pkt-*-aws-service of the remote address or NULL */
    const char *pkt_local_ip;          /* pkt-srcaddr/dstaddr of the local side (pod IP,
                                          secondary address) or NULL = local_ip */
    uint8_t traffic_path;              /* of the egress record (1..8), 0 = "-" */
};

/* The records of c in out[0..2): the request (initiator -> responder), then the reply when
 * resp_packets > 0; both timed start_s..end_s, TCP flags 3 (SYN+FIN) and 19 (SYN-ACK+FIN), or
 * 0 when ongoing (0 for UDP/ICMP); flow-direction and traffic-path from the local side. Strings
 * in out borrow from c and w. Returns the number of records (1 or 2), 0 for a bad ENI, a
 * missing remote_ip or end_s < start_s. */
uint32_t rp_sim_conn_records(const struct rp_sim_world *w, const struct rp_sim_conn *c,
                             struct rp_sim_flow out[2]);

/* Emit the records of c (rp_sim_conn_records). RP_EINVAL for a bad ENI, a missing remote_ip or
 * a time outside the hour. Dropped silently when the VPC has no flow log. */
rp_err rp_sim_flow_conn_emit(struct rp_sim_run *run, const struct rp_sim_conn *c,
                             struct rp_errbuf *eb) RP_WUR;

/* A rejected inbound probe on eni: remote_ip:remote_port -> local:local_port, REJECT, 1 packet
 * (44 bytes TCP with flags SYN, 28 bytes UDP/ICMP) at at_s. */
rp_err rp_sim_flow_probe_emit(struct rp_sim_run *run, uint32_t eni, const char *remote_ip,
                              uint16_t remote_port, uint16_t local_port, uint8_t protocol,
                              int64_t at_s, struct rp_errbuf *eb) RP_WUR;

/* A record of eni with log-status NODATA (no traffic in [start_s, end_s]) or, with skipdata,
 * SKIPDATA. */
rp_err rp_sim_flow_status_emit(struct rp_sim_run *run, uint32_t eni, int64_t start_s, int64_t end_s,
                               bool skipdata, struct rp_errbuf *eb) RP_WUR;

/* ---- Route 53 Resolver query logs ----------------------------------------------------------- */

struct rp_sim_dns_answer {
    const char *rdata; /* "52.216.8.10", "s3-r-w.us-east-1.amazonaws.com." */
    const char *type;  /* "A", "AAAA", "CNAME", ... */
};

#define RP_SIM_DNS_MAX_ANSWERS 8

struct rp_sim_dns_query {
    uint32_t vpc;
    int64_t ts_ms;          /* query_timestamp (written to the second, as AWS does) */
    const char *query_name; /* FQDN; a trailing dot is added when missing */
    const char *query_type; /* NULL = "A" */
    const char *rcode;      /* NULL = "NOERROR" */
    struct rp_sim_dns_answer answers[RP_SIM_DNS_MAX_ANSWERS];
    uint32_t nanswers;
    const char *srcaddr; /* required */
    uint16_t srcport;
    const char *transport;         /* NULL = "UDP" */
    uint32_t instance;             /* srcids.instance: instance index, RP_SIM_NONE = none */
    const char *resolver_endpoint; /* srcids.resolver_endpoint or NULL */
    /* DNS Firewall match (all NULL = no match) */
    const char *firewall_rule_group_id;
    const char *firewall_rule_action; /* "ALERT", "BLOCK" */
    const char *firewall_domain_list_id;
};

/* Fill *q: instance RP_SIM_NONE, everything else NULL/0. */
void rp_sim_dns_query_init(struct rp_sim_dns_query *q, uint32_t vpc, int64_t ts_ms,
                           const char *query_name);

/* Add one answer (ignored past RP_SIM_DNS_MAX_ANSWERS). */
void rp_sim_dns_query_answer(struct rp_sim_dns_query *q, const char *type, const char *rdata);

/* Append the query-log JSON object of q (version "1.100000", account_id, region, vpc_id,
 * query_timestamp, query_name, query_type, query_class IN, rcode, answers [{Rdata, Type,
 * Class}], srcaddr, srcport, transport, srcids, firewall fields) to out. RP_EINVAL for a bad
 * vpc/instance index or a missing name/srcaddr; RP_ELIMIT/RP_ENOMEM from out. */
rp_err rp_sim_dns_query_build(const struct rp_sim_world *w, const struct rp_sim_dns_query *q,
                              struct rp_buf *out) RP_WUR;

/* Build q and append it to the VPC's DNS stream (rp_sim_emit_dns). */
rp_err rp_sim_dns_query_emit(struct rp_sim_run *run, const struct rp_sim_dns_query *q,
                             struct rp_errbuf *eb) RP_WUR;

/* ---- EKS audit events ----------------------------------------------------------------------- */

#define RP_SIM_K8S_MAX_GROUPS 6
#define RP_SIM_K8S_MAX_IPS    3

struct rp_sim_k8s_event {
    uint32_t eks;            /* cluster index */
    int64_t ts_ms;           /* stageTimestamp */
    int64_t received_ms;     /* requestReceivedTimestamp; 0 = ts_ms minus a few ms drawn */
    const char *level;       /* NULL = "Metadata", or "Request" when request_object is set */
    const char *verb;        /* "get", "list", "watch", "create", "patch", "delete", ... */
    const char *request_uri; /* NULL = derived from objectRef (list/get/create/... paths,
                                "?watch=true" for watch) */
    /* user */
    const char *username; /* "system:node:ip-10-0-1-5.ec2.internal", "kubernetes-admin", ... */
    const char *uid;      /* NULL = "aws-iam-authenticator:<acct>:<principal id>" for IAM
                             mapped users (arn set), else omitted */
    const char *groups[RP_SIM_K8S_MAX_GROUPS];
    uint32_t ngroups;
    /* user.extra for IAM-mapped users (EKS authenticator); arn NULL = no extra */
    const char *extra_arn;        /* "arn:aws:iam::<acct>:role/ci-deploy" */
    const char *extra_canonical;  /* canonicalArn; NULL = extra_arn */
    const char *extra_session;    /* sessionName or NULL */
    const char *extra_access_key; /* accessKeyId or NULL */
    const char *extra_principal;  /* principalId or NULL */
    const char *source_ips[RP_SIM_K8S_MAX_IPS];
    uint32_t nsource_ips;
    const char *user_agent;
    /* objectRef (resource NULL = no objectRef: non-resource URLs) */
    const char *resource;    /* "pods" */
    const char *subresource; /* "log", "exec", "status" or NULL */
    const char *ns;          /* namespace or NULL (cluster-scoped) */
    const char *name;        /* object name or NULL (list/create) */
    const char *api_group;   /* NULL/"" = core */
    const char *api_version; /* NULL = "v1" */
    const char *object_uid;  /* objectRef.uid or NULL */
    /* response */
    int code;                    /* HTTP status; 0 = 200 (201 for create) */
    const char *status_reason;   /* responseStatus.reason for failures ("Forbidden") or NULL */
    const char *status_message;  /* responseStatus.message or NULL */
    const char *request_object;  /* raw JSON object or NULL */
    const char *response_object; /* raw JSON object or NULL (level RequestResponse) */
    /* annotations */
    const char *decision;     /* NULL = "allow" (code < 400 or != 403), "forbid" for 403 */
    const char *authz_reason; /* NULL = derived RBAC text ("" for forbid) */
    const char *pod_security; /* pod-security.kubernetes.io/enforce-policy value or NULL */
    const char *audit_id;     /* NULL = a UUID drawn from the PRNG */
};

/* Fill *e: eks, ts_ms, verb, everything else NULL/0. */
void rp_sim_k8s_event_init(struct rp_sim_k8s_event *e, uint32_t eks, int64_t ts_ms,
                           const char *verb);

/* Add a group / a source IP (ignored past the maximum). */
void rp_sim_k8s_event_group(struct rp_sim_k8s_event *e, const char *group);
void rp_sim_k8s_event_source_ip(struct rp_sim_k8s_event *e, const char *ip);

/* Append the Event JSON of e (kind, apiVersion, level, auditID, stage ResponseComplete,
 * requestURI, verb, user, sourceIPs, userAgent, objectRef, responseStatus, requestObject,
 * responseObject, requestReceivedTimestamp, stageTimestamp (microseconds), annotations) to
 * out, drawing auditID and the receive delay from r. RP_EINVAL for a bad cluster index or a
 * missing verb/username; RP_ELIMIT/RP_ENOMEM from out. */
rp_err rp_sim_k8s_event_build(const struct rp_sim_world *w, const struct rp_sim_k8s_event *e,
                              struct rp_sim_rng *r, struct rp_buf *out) RP_WUR;

/* Build e and append it to the cluster's audit stream (rp_sim_emit_k8s). */
rp_err rp_sim_k8s_event_emit(struct rp_sim_run *run, const struct rp_sim_k8s_event *e,
                             struct rp_sim_rng *r, struct rp_errbuf *eb) RP_WUR;

/* Node user name of instance idx as the kubelet authenticates:
 * "system:node:<private dns name>". */
void rp_sim_k8s_node_user(const struct rp_sim_world *w, uint32_t instance, char *out, size_t outsz);

/* ---- shared rhythm and destinations (ordinary activity) ------------------------------------ */

/* mean_small scaled to the world's scale for one entity: entity counts grow with the scale
 * too (about 5x at medium, 23x at large), so the per-entity factor (small 1, medium 3, large 10)
 * is what brings the totals to about 1x, 10x and 100x (part of the activity, like heartbeats
 * and log deliveries, is fixed per entity). Integer math; at least 1 when mean_small > 0.
 * rp_sim_act_mean(w, 1) is the factor itself, for loops over fixed per-entity work (pooled
 * connections, watches). */
uint32_t rp_sim_act_mean(const struct rp_sim_world *w, uint32_t mean_small);

/* Local hour (0..23) and Monday-based weekday (0..6) of ms at UTC offset tz_min. */
void rp_sim_act_local(int64_t ms, int tz_min, int *hour, int *weekday);

/* Relative activity (permille of the peak) of the hour containing ms for people (office hours,
 * lunch dip, quiet weekends) or, with human false, customer-driven traffic (evening peak, night
 * trough, weekends about 80%). */
uint32_t rp_sim_act_diurnal(int64_t ms, int tz_min, bool human);

/* Times (ms, ascending) of the CI deploys of account acct on the UTC day starting at day_ms
 * (working days, 06:00-20:00 UTC; 0..4 a day at small). Writes at most max and returns the
 * count written. Shared so the CloudTrail pipeline and the kubectl rollout agree. */
uint32_t rp_sim_act_deploys(const struct rp_sim_world *w, uint32_t acct, int64_t day_ms,
                            int64_t *out, uint32_t max);

/* An outside destination instances talk to (AWS endpoints, package mirrors, partner APIs):
 * the flow and DNS generators share this table so every connection has its lookup. */
struct rp_sim_dest {
    const char *host;        /* "%r" expands to the region, "%a" to the account id */
    uint16_t port;           /* 443, 80 */
    const char *aws_service; /* pkt-dst-aws-service ("S3", "AMAZON", "EC2") or NULL */
    uint8_t a, b;            /* addresses are a.b.x.y with x, y hashed from the host */
    uint8_t workloads;       /* bit per enum rp_sim_workload that uses it */
    uint8_t os_mask;         /* bit per enum rp_sim_os (package mirrors), 0 = any */
    uint16_t per_hour;       /* connections per instance per hour at small (mean) */
    uint32_t bytes_out;      /* typical request bytes */
    uint32_t bytes_in;       /* typical response bytes */
};

extern const struct rp_sim_dest rp_sim_dests[];
extern const size_t rp_sim_ndests;

/* The host name of d for account acct in region region (into out, NUL-terminated). */
void rp_sim_dest_host(const struct rp_sim_world *w, const struct rp_sim_dest *d, uint32_t acct,
                      uint32_t region, char *out, size_t outsz);

/* Address k (k < 4) of host name host in d's block: stable for (seed, host, k). */
void rp_sim_dest_addr(const struct rp_sim_world *w, const struct rp_sim_dest *d, const char *host,
                      uint32_t k, char out[RP_SIM_IP_SZ]);

/* One connection of an instance to a destination. */
struct rp_sim_dest_conn {
    int64_t t_ms;   /* start, inside the hour */
    uint32_t addr;  /* address index for rp_sim_dest_addr (0 or 1) */
    uint32_t dur_s; /* 1..8 */
    uint64_t out_b; /* bytes sent */
    uint64_t in_b;  /* bytes received */
};

/* The connections instance inst makes to rp_sim_dests[d] in the hour starting at hour_ms:
 * none when the instance is not running, does not use that destination (workload, OS, no
 * instance profile for AWS APIs, no route to the internet for non-AWS hosts). A pure function
 * of (seed, inst, d, hour), so the flow and DNS generators agree. Writes at most max (in no
 * particular order) and returns the count written. */
uint32_t rp_sim_dest_conns(const struct rp_sim_world *w, uint32_t inst, size_t d, int64_t hour_ms,
                           struct rp_sim_dest_conn *out, uint32_t max);

#endif
