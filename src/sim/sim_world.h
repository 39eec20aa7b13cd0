/* SPDX-License-Identifier: Apache-2.0 */
/* rp_sim world model: the seeded PRNG, identifier helpers and the synthetic AWS estate that
 * `rampart simulate` builds once per run and every generator and scenario reads (and scenarios
 * mutate). The run, generator plug-ins, output files and record streams are in sim_gen.h.
 *
 * Determinism contract: everything here is a pure function of (seed, options). No clock, no
 * environment, no hash-table order, no pointer values, no floating point in generation.
 * Named PRNG streams (rp_sim_rng_init(&r, seed, "cloudtrail/acct0")) are independent of each
 * other, so adding draws to one stream never changes the output of another: give every
 * generator, and every (generator, account/entity) pair that is drawn from in a loop, its own
 * stream name.
 *
 * The world: plain structs in arrays with counts (struct rp_sim_world). Entities refer to each
 * other by index into those arrays (uint32_t; RP_SIM_NONE for "none"), never by pointer, so the
 * arrays may grow (rp_sim_world_add) while a run is in progress. Every entity starts with a
 * struct rp_sim_res holding what AWS Config calls resourceId / resourceName / ARN, the owner
 * account and region, creation/deletion times, tags and scenario marks; struct rp_sim_ref
 * (kind + index) names any entity generically.
 *
 * Strings are fixed-size char arrays inside the structs (always NUL-terminated), except policy
 * documents, which are `const char *` into the world's arena (rp_sim_world_strdup) or NULL.
 *
 * Stability: other modules code against this header. Only add to it; never renumber enums,
 * never change the meaning of a field. */
#ifndef RP_SIM_WORLD_H
#define RP_SIM_WORLD_H

#include "core/rp_err.h"

/* ---- limits and constants ------------------------------------------------------------------ */

#define RP_SIM_NONE UINT32_MAX /* "no entity" in every index field */

#define RP_SIM_MAX_ACCOUNTS 64
#define RP_SIM_MAX_REGIONS  16
#define RP_SIM_MAX_DAYS     3660

#define RP_SIM_ACCT_SZ   13  /* 12 digits + NUL */
#define RP_SIM_REGION_SZ 24  /* "ap-southeast-2" + NUL, with room */
#define RP_SIM_AZ_SZ     24  /* "us-east-1a" */
#define RP_SIM_ID_SZ     128 /* Config resourceId (an ELBv2 ARN is the longest) */
#define RP_SIM_NAME_SZ   80  /* Config resourceName, IAM names (64), bucket names (63) */
#define RP_SIM_ARN_SZ    192
#define RP_SIM_IP_SZ     48 /* textual IPv4/IPv6 */
#define RP_SIM_CIDR_SZ   48
#define RP_SIM_UA_SZ     200
#define RP_SIM_DNS_SZ    128 /* DNS names (endpoints, public DNS) */
#define RP_SIM_UUID_SZ   37  /* 8-4-4-4-12 + NUL */

#define RP_SIM_MAX_TAGS         4
#define RP_SIM_MAX_HOME_IPS     3
#define RP_SIM_MAX_HABIT_APIS   16
#define RP_SIM_MAX_ASSUME       4
#define RP_SIM_MAX_ATTACHED     4 /* managed policies attached to a user, group or role */
#define RP_SIM_MAX_GROUPS       4 /* groups of a user */
#define RP_SIM_MAX_SG_RULES     8
#define RP_SIM_MAX_NACL_ENTRIES 8
#define RP_SIM_MAX_ROUTES       8
#define RP_SIM_MAX_SGS          4 /* security groups on an instance/ENI/LB/... */
#define RP_SIM_MAX_SUBNETS      4 /* subnets of an LB, ASG, DB subnet group, EKS cluster, ... */
#define RP_SIM_MAX_MEMBERS      8 /* instances of an ASG/LB target group/EKS node group */
#define RP_SIM_MAX_PORTS        6
#define RP_SIM_MAX_VOLUMES      3
#define RP_SIM_MAX_STAGES       3
#define RP_SIM_MAX_VPN_ROUTES   4

/* Default start of the simulated period: 2026-01-05T00:00:00Z (a Monday), so that output is
 * reproducible without reading the clock. */
#define RP_SIM_DEFAULT_START_MS 1767571200000LL

/* Alphabets for rp_sim_rng_chars / rp_sim_suffix. */
#define RP_SIM_ALPHA_HEX    "0123456789abcdef"
#define RP_SIM_ALPHA_ALNUM  "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
#define RP_SIM_ALPHA_UPPER  "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
#define RP_SIM_ALPHA_BASE32 "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567" /* IAM key and unique ids */
#define RP_SIM_ALPHA_LOWER  "abcdefghijklmnopqrstuvwxyz0123456789"

/* ---- PRNG: xoshiro256** seeded through splitmix64 ----------------------------------------- */

struct rp_sim_rng {
    uint64_t s[4];
};

/* Seed *r from (seed, stream): the state is splitmix64 of seed mixed with the FNV-1a hash of
 * the stream name, so different names give independent sequences. stream may be NULL ("").
 * Never fails. */
void rp_sim_rng_init(struct rp_sim_rng *r, uint64_t seed, const char *stream);

/* As rp_sim_rng_init with the stream name formatted (names longer than 255 bytes are cut). */
void rp_sim_rng_initf(struct rp_sim_rng *r, uint64_t seed, const char *fmt, ...) RP_PRINTF(3, 4);

/* Next 64 random bits. */
uint64_t rp_sim_rng_next(struct rp_sim_rng *r);

/* Uniform in [0, n); n == 0 gives 0. (Multiply-shift; the bias of at most n / 2^32 does not
 * matter for synthetic data.) */
uint32_t rp_sim_rng_below(struct rp_sim_rng *r, uint32_t n);

/* Uniform in [0, n) for 64-bit n (rejection sampling, exact); n == 0 gives 0. */
uint64_t rp_sim_rng_below64(struct rp_sim_rng *r, uint64_t n);

/* Uniform in [lo, hi] (inclusive); lo > hi gives lo. */
int64_t rp_sim_rng_range(struct rp_sim_rng *r, int64_t lo, int64_t hi);

/* True with probability permille / 1000 (permille >= 1000: always). */
bool rp_sim_rng_chance(struct rp_sim_rng *r, uint32_t permille);

/* Index i in [0, n) picked with probability w[i] / sum(w). All weights 0 (or n == 0) gives 0. */
size_t rp_sim_rng_pick_weighted(struct rp_sim_rng *r, const uint32_t *w, size_t n);

/* A Poisson-like count with the given mean (sum of uniform draws; integer only, in
 * [0, 2 * mean]), for "events this hour". */
uint32_t rp_sim_rng_count(struct rp_sim_rng *r, uint32_t mean);

/* n random characters from alphabet (whose length is 1..256) into out, then a NUL; out has at
 * least n + 1 bytes. */
void rp_sim_rng_chars(struct rp_sim_rng *r, char *out, size_t n, const char *alphabet);

/* n lower-case hex digits + NUL (out has n + 1 bytes). */
void rp_sim_rng_hex(struct rp_sim_rng *r, char *out, size_t n);

/* A random version-4 UUID, lower case, "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx". */
void rp_sim_rng_uuid(struct rp_sim_rng *r, char out[RP_SIM_UUID_SZ]);

/* ---- stateless hashing (stable ids from names, never from addresses) -------------------- */

/* FNV-1a 64 of a NUL-terminated string. */
uint64_t rp_sim_hash_str(const char *s);

/* Mix two 64-bit values into one (splitmix64 finaliser); not commutative. */
uint64_t rp_sim_mix(uint64_t a, uint64_t b);

/* n characters of alphabet derived from (seed, basis) into out + NUL: the deterministic
 * "random" suffix of delivery file names (CloudTrail's 16 chars, flow logs' 8 hex, Config's
 * UUID-like ids). The same (seed, basis) always gives the same suffix; basis is usually the
 * key without its suffix plus a counter. */
void rp_sim_suffix(uint64_t seed, const char *basis, const char *alphabet, size_t n, char *out);

/* ---- AWS-style identifiers ----------------------------------------------------------------- */

/* "<prefix>-0" + 16 hex from r (e.g. prefix "i" gives "i-0a1b2c3d4e5f60718"): the 17-hex form
 * of EC2 ids (i-, vpc-, subnet-, sg-, eni-, rtb-, igw-, nat-, acl-, vol-, snap-, vgw-, cgw-,
 * vpn-, eipalloc-, ami-, fl-, lt-, dopt-, rqlc-). out has at least strlen(prefix) + 19 bytes;
 * RP_SIM_ID_SZ always suffices. */
void rp_sim_id_ec2(struct rp_sim_rng *r, const char *prefix, char *out, size_t outsz);

/* IAM unique ids and access keys: prefix + 16 (keys) or 17 (unique ids) base32 characters.
 * Prefixes: AKIA (long-term key), ASIA (temporary key), AIDA (user), AROA (role), AGPA (group),
 * ANPA (managed policy), AIPA (instance profile). out has at least 22 bytes. */
void rp_sim_id_iam(struct rp_sim_rng *r, const char *prefix, char *out, size_t outsz);

/* A 40-character secret-access-key-like string (base64 alphabet) + NUL, for planted secrets. */
void rp_sim_id_secret(struct rp_sim_rng *r, char out[41]);

/* A 12-digit AWS account id (first digit 1..9). */
void rp_sim_id_account(struct rp_sim_rng *r, char out[RP_SIM_ACCT_SZ]);

/* Textual addresses. rp_sim_ip_in_cidr: host number host inside cidr (IPv4 only; host is
 * reduced modulo the block size, and .0/.1-.3/broadcast of AWS subnets are skipped when
 * skip_reserved). Returns RP_EINVAL for a malformed cidr. */
rp_err rp_sim_ip_in_cidr(const char *cidr, uint32_t host, bool skip_reserved, char *out,
                         size_t outsz) RP_WUR;

/* A public IPv4 address in an Amazon-owned-looking block (3., 13., 18., 34., 35., 44., 52.,
 * 54.): public IPs of instances, NAT gateways, load balancers. */
void rp_sim_ip_aws_public(struct rp_sim_rng *r, char out[RP_SIM_IP_SZ]);

/* A public IPv4 address in a residential/office-ISP-looking block: home and office addresses
 * of people, customer gateways. Never a private, reserved or documentation address. */
void rp_sim_ip_isp(struct rp_sim_rng *r, char out[RP_SIM_IP_SZ]);

/* ---- entities ------------------------------------------------------------------------------ */

/* Every kind of entity in the world. The order is fixed (values are stored in refs). */
enum rp_sim_kind {
    RP_SIM_K_ACCOUNT = 0,
    RP_SIM_K_USER,
    RP_SIM_K_GROUP,
    RP_SIM_K_ROLE,
    RP_SIM_K_POLICY, /* customer-managed (and referenced AWS-managed) IAM policies */
    RP_SIM_K_VPC,
    RP_SIM_K_SUBNET,
    RP_SIM_K_ROUTE_TABLE,
    RP_SIM_K_IGW,
    RP_SIM_K_NATGW,
    RP_SIM_K_NACL,
    RP_SIM_K_SG,
    RP_SIM_K_ENI,
    RP_SIM_K_INSTANCE,
    RP_SIM_K_LB,
    RP_SIM_K_ASG,
    RP_SIM_K_VOLUME,
    RP_SIM_K_SNAPSHOT,
    RP_SIM_K_BUCKET,
    RP_SIM_K_ACCESS_POINT,
    RP_SIM_K_DB_INSTANCE,
    RP_SIM_K_DB_CLUSTER,
    RP_SIM_K_LAMBDA,
    RP_SIM_K_KMS_KEY,
    RP_SIM_K_TRAIL,
    RP_SIM_K_EKS,
    RP_SIM_K_VGW,
    RP_SIM_K_CGW,
    RP_SIM_K_VPN,
    RP_SIM_K_REST_API, /* API Gateway REST API with its stages */
    RP_SIM_K_CLOUDFRONT,
    RP_SIM_K__COUNT
};

/* Static facts about a kind. */
struct rp_sim_kind_info {
    const char *name;        /* "instance", "bucket", ... (stable, lower case) */
    const char *config_type; /* AWS Config resourceType, "AWS::EC2::Instance"; NULL if none */
    size_t size;             /* sizeof the entity struct */
};

/* Info for k (k < RP_SIM_K__COUNT; anything else gives NULL). */
const struct rp_sim_kind_info *rp_sim_kind_info(enum rp_sim_kind k);

/* An entity named generically. */
struct rp_sim_ref {
    enum rp_sim_kind kind;
    uint32_t idx;
};

struct rp_sim_tag {
    char key[32];
    char value[64];
};

/* Scenario marks (struct rp_sim_res.marks): set by scenario plans before generation starts so
 * that side-data and activity generators plant what the scenario needs. */
#define RP_SIM_MARK_SCENARIO  0x1u  /* touched by an injected scenario */
#define RP_SIM_MARK_VULN_PKG  0x2u  /* instance: inventory carries a vulnerable package version */
#define RP_SIM_MARK_SENSITIVE 0x4u  /* bucket: documents with planted sensitive data */
#define RP_SIM_MARK_DECOY     0x8u  /* bucket: look-alike documents without real sensitive data */
#define RP_SIM_MARK_ATTACKER  0x10u /* created by an attacker in a scenario */

/* Common head of every entity (first member, so a struct rp_sim_res * can be taken from any
 * entity). For IAM users/roles/groups/policies, id is the unique id (AIDA..., AROA...) and name
 * the friendly name, as Config reports them; for S3 buckets both are the bucket name; for RDS
 * instances id is the DbiResourceId ("db-...") and name the DB identifier. */
struct rp_sim_res {
    uint32_t acct;   /* index into world->accounts */
    uint32_t region; /* index into world->regions (global resources: the recording region) */
    bool global;     /* IAM, CloudFront: Config awsRegion "global" */
    char id[RP_SIM_ID_SZ];
    char name[RP_SIM_NAME_SZ];
    char arn[RP_SIM_ARN_SZ];
    int64_t created_ms; /* may be before the simulated period */
    int64_t deleted_ms; /* 0 = exists */
    uint32_t marks;     /* RP_SIM_MARK_* */
    uint32_t ntags;
    struct rp_sim_tag tags[RP_SIM_MAX_TAGS];
};

/* IAM account password policy (`aws iam get-account-password-policy`). */
struct rp_sim_password_policy {
    bool present; /* false: NoSuchEntity (no policy set) */
    uint32_t min_length;
    bool require_symbols, require_numbers, require_upper, require_lower;
    bool allow_users_to_change;
    uint32_t max_age_days; /* 0 = passwords never expire */
    uint32_t reuse_prevention;
    bool hard_expiry;
};

struct rp_sim_account {
    struct rp_sim_res res; /* id = account id, name = alias, arn = root ARN */
    char email[80];
    bool management;     /* the organization's management account */
    char role_label[24]; /* "management", "prod", "staging", "dev", "security", "logs" */
    /* root user */
    bool root_mfa;
    bool root_hw_mfa;
    bool root_access_key; /* root has an active access key */
    int64_t root_key_created_ms;
    int64_t root_last_login_ms; /* 0 = never in the record */
    struct rp_sim_password_policy pwpolicy;
    bool bpa[4];          /* account-level S3 Block Public Access, order as RP_SIM_BPA_* */
    uint32_t log_bucket;  /* bucket receiving CloudTrail/flow/DNS/Config logs (RP_SIM_NONE) */
    uint32_t home_region; /* region index where most of the estate lives */
};

/* Order of the four S3 Block Public Access flags in every bpa[] array. */
enum rp_sim_bpa {
    RP_SIM_BPA_BLOCK_PUBLIC_ACLS = 0,
    RP_SIM_BPA_IGNORE_PUBLIC_ACLS,
    RP_SIM_BPA_BLOCK_PUBLIC_POLICY,
    RP_SIM_BPA_RESTRICT_PUBLIC_BUCKETS
};

/* One API call a principal habitually makes (rows of rp_sim_api_catalog). */
struct rp_sim_api {
    const char *event_source; /* "s3.amazonaws.com" */
    const char *event_name;   /* "GetObject" */
    bool read_only;
    bool data_event;      /* S3 object-level / Lambda Invoke data event */
    enum rp_sim_kind obj; /* kind of the resource it acts on, RP_SIM_K__COUNT if none */
};

/* The catalogue of API calls habits index into (stable order; only appended to). */
extern const struct rp_sim_api rp_sim_api_catalog[];
extern const size_t rp_sim_api_catalog_len;

/* Index in rp_sim_api_catalog of (event_source, event_name), or RP_SIM_NONE. */
uint32_t rp_sim_api_find(const char *event_source, const char *event_name);

/* Stable habits of a principal (human or machine), drawn once per world. Times are local:
 * local = UTC + tz_offset_min. Activity generators draw per-hour counts from these. */
struct rp_sim_habits {
    char ips[RP_SIM_MAX_HOME_IPS][RP_SIM_IP_SZ]; /* source addresses (home, office, VPN) */
    uint32_t nips;
    char user_agent[RP_SIM_UA_SZ];
    int16_t tz_offset_min;
    uint8_t work_start_hour; /* local, working hours are [start, end) */
    uint8_t work_end_hour;
    uint8_t weekdays;           /* bit 0 = Monday .. bit 6 = Sunday */
    bool always_on;             /* machines: active around the clock, no weekly rhythm */
    bool console;               /* signs in to the console (ConsoleLogin events) */
    uint16_t calls_per_hour;    /* mean API calls in an active hour, at scale small */
    uint16_t offhours_permille; /* chance that an inactive hour still has a little activity */
    uint32_t region;            /* usual region (index into world->regions) */
    uint16_t apis[RP_SIM_MAX_HABIT_APIS]; /* indexes into rp_sim_api_catalog */
    uint16_t api_weights[RP_SIM_MAX_HABIT_APIS];
    uint32_t napis;
    uint32_t assume_roles[RP_SIM_MAX_ASSUME]; /* roles this principal assumes (role indexes) */
    uint32_t nassume;
};

/* True when hour_start_ms (UTC) falls in h's working hours and working days. */
bool rp_sim_habits_active(const struct rp_sim_habits *h, int64_t hour_start_ms);

enum rp_sim_user_kind {
    RP_SIM_USER_ADMIN = 0,
    RP_SIM_USER_DEVELOPER,
    RP_SIM_USER_READONLY, /* auditors, support */
    RP_SIM_USER_SECURITY,
    RP_SIM_USER_DATA,    /* analysts reading S3/Athena */
    RP_SIM_USER_SERVICE, /* legacy programmatic user with a long-lived key (backup, monitoring) */
    RP_SIM_USER_CI,      /* CI system user (deploys) */
};

struct rp_sim_access_key {
    char id[24]; /* AKIA... */
    int64_t created_ms;
    bool active;
    int64_t last_used_ms; /* 0 = never */
    char last_used_service[32];
    uint32_t last_used_region;
};

struct rp_sim_user {
    struct rp_sim_res res; /* id = AIDA..., name = user name, arn */
    enum rp_sim_user_kind kind;
    char path[32];    /* "/" */
    char display[64]; /* "Alice Nguyen" (for humans), "" otherwise */
    bool console_password;
    int64_t password_last_used_ms;
    int64_t password_last_changed_ms;
    bool mfa;
    char mfa_serial[RP_SIM_ARN_SZ]; /* virtual MFA device ARN, "" if none */
    struct rp_sim_access_key keys[2];
    uint32_t nkeys;
    uint32_t groups[RP_SIM_MAX_GROUPS];
    uint32_t ngroups;
    uint32_t policies[RP_SIM_MAX_ATTACHED]; /* attached managed policies (policy indexes) */
    uint32_t npolicies;
    char inline_name[64];   /* "" = no inline policy */
    const char *inline_doc; /* JSON policy document, in the world arena; NULL if none */
    struct rp_sim_habits habits;
};

struct rp_sim_group {
    struct rp_sim_res res; /* id = AGPA..., name = group name */
    char path[32];
    uint32_t policies[RP_SIM_MAX_ATTACHED];
    uint32_t npolicies;
    char inline_name[64];
    const char *inline_doc;
};

enum rp_sim_role_kind {
    RP_SIM_ROLE_SERVICE_LINKED = 0, /* AWSServiceRoleFor..., path /aws-service-role/... */
    RP_SIM_ROLE_CICD,               /* assumed by the CI system (OIDC or the CI user) */
    RP_SIM_ROLE_ADMIN,              /* assumed by people (SSO / cross-account admin) */
    RP_SIM_ROLE_INSTANCE_PROFILE,   /* EC2 instance role (has an instance profile) */
    RP_SIM_ROLE_LAMBDA_EXEC,
    RP_SIM_ROLE_EKS_NODE,
    RP_SIM_ROLE_EKS_CLUSTER,
    RP_SIM_ROLE_SERVICE,       /* other AWS services: Config recorder, flow-log delivery, ... */
    RP_SIM_ROLE_CROSS_ACCOUNT, /* trusted by an external (vendor/auditor) account */
    RP_SIM_ROLE_READONLY,      /* assumed by people for read-only access */
};

struct rp_sim_role {
    struct rp_sim_res res; /* id = AROA..., name = role name */
    enum rp_sim_role_kind kind;
    char path[64];
    /* trust: the principal in the trust policy: a service ("ec2.amazonaws.com"), an AWS
     * principal ARN ("arn:aws:iam::111122223333:root") or a federated provider ARN */
    char trust_service[64];
    char trust_aws[RP_SIM_ARN_SZ];
    char trust_federated[RP_SIM_ARN_SZ];
    char external_id[40];  /* sts:ExternalId condition, "" if none */
    const char *trust_doc; /* overrides the generated trust policy when not NULL (arena) */
    uint32_t max_session_s;
    int64_t last_used_ms;
    uint32_t last_used_region;
    uint32_t policies[RP_SIM_MAX_ATTACHED];
    uint32_t npolicies;
    char inline_name[64];
    const char *inline_doc;
    /* instance profile (kind RP_SIM_ROLE_INSTANCE_PROFILE / EKS_NODE) */
    char profile_name[RP_SIM_NAME_SZ];
    char profile_id[24]; /* AIPA... */
    char profile_arn[RP_SIM_ARN_SZ];
    /* machine habits (CI/CD, services, lambda): who uses the role, from where, how often */
    struct rp_sim_habits habits;
};

struct rp_sim_policy {
    struct rp_sim_res res; /* id = ANPA..., name = policy name, arn */
    bool aws_managed;      /* arn:aws:iam::aws:policy/...; res.acct is then the first user */
    char path[32];
    char version[8]; /* default version id, "v1" */
    const char *doc; /* policy document JSON (arena) */
    uint32_t attachments;
};

enum rp_sim_flow_format {
    RP_SIM_FLOW_NONE = 0, /* no flow log on this VPC */
    RP_SIM_FLOW_V2,       /* default format (version 2 fields) */
    RP_SIM_FLOW_V5_CUSTOM /* custom field order RP_SIM_FLOW_V5_FIELDS */
};

/* The custom v5 field order used by the one VPC with RP_SIM_FLOW_V5_CUSTOM (header line of its
 * delivery files, space separated). */
#define RP_SIM_FLOW_V5_FIELDS                                                                      \
    "version vpc-id subnet-id instance-id interface-id account-id type srcaddr dstaddr srcport "   \
    "dstport pkt-srcaddr pkt-dstaddr protocol bytes packets start end action tcp-flags "           \
    "log-status region az-id flow-direction traffic-path pkt-src-aws-service "                     \
    "pkt-dst-aws-service"

/* The default (v2) header line fields. */
#define RP_SIM_FLOW_V2_FIELDS                                                                      \
    "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes "      \
    "start end action log-status"

struct rp_sim_vpc {
    struct rp_sim_res res; /* id = vpc-... */
    char cidr[RP_SIM_CIDR_SZ];
    bool is_default;
    char dhcp_options[RP_SIM_ID_SZ];
    bool dns_hostnames;
    uint32_t igw; /* RP_SIM_NONE if none */
    uint32_t vgw; /* attached virtual private gateway or RP_SIM_NONE */
    enum rp_sim_flow_format flow_format;
    char flow_log_id[32];     /* fl-...; "" when flow_format == RP_SIM_FLOW_NONE */
    bool dns_query_logging;   /* Route 53 Resolver query logging to S3 */
    char resolver_cfg_id[40]; /* rqlc-... */
    bool eks_pods;            /* hosts an EKS cluster (pod traffic) */
};

struct rp_sim_subnet {
    struct rp_sim_res res; /* id = subnet-... */
    uint32_t vpc;
    char az[RP_SIM_AZ_SZ];
    char az_id[16]; /* "use1-az1" */
    char cidr[RP_SIM_CIDR_SZ];
    bool public;        /* routed to an internet gateway */
    bool map_public_ip; /* MapPublicIpOnLaunch */
    uint32_t route_table;
    uint32_t nacl;
    uint32_t next_host; /* next free host number for address allocation */
};

enum rp_sim_route_target {
    RP_SIM_RT_LOCAL = 0,
    RP_SIM_RT_IGW,
    RP_SIM_RT_NAT,
    RP_SIM_RT_VGW,
    RP_SIM_RT_INSTANCE,
    RP_SIM_RT_PEERING,
};

struct rp_sim_route {
    char dest[RP_SIM_CIDR_SZ];
    enum rp_sim_route_target target_kind;
    uint32_t target; /* index of the igw/nat/vgw/instance, RP_SIM_NONE for local */
    bool propagated; /* learned through VGW route propagation (origin EnableVgwRoutePropagation) */
};

struct rp_sim_route_table {
    struct rp_sim_res res; /* id = rtb-... */
    uint32_t vpc;
    bool main;
    struct rp_sim_route routes[RP_SIM_MAX_ROUTES];
    uint32_t nroutes;
    uint32_t propagating_vgw; /* VGW whose routes propagate into this table, RP_SIM_NONE */
};

struct rp_sim_igw {
    struct rp_sim_res res; /* id = igw-... */
    uint32_t vpc;
};

struct rp_sim_natgw {
    struct rp_sim_res res; /* id = nat-... */
    uint32_t vpc;
    uint32_t subnet;
    uint32_t eni;
    char public_ip[RP_SIM_IP_SZ];
    char private_ip[RP_SIM_IP_SZ];
    char allocation_id[32];
};

struct rp_sim_nacl_entry {
    uint16_t rule;    /* 32767 = the default "*" rule */
    int16_t protocol; /* -1 all, 6 tcp, 17 udp, 1 icmp */
    bool egress;
    bool allow;
    char cidr[RP_SIM_CIDR_SZ];
    uint16_t port_from, port_to;
};

struct rp_sim_nacl {
    struct rp_sim_res res; /* id = acl-... */
    uint32_t vpc;
    bool is_default;
    struct rp_sim_nacl_entry entries[RP_SIM_MAX_NACL_ENTRIES];
    uint32_t nentries;
};

struct rp_sim_sg_rule {
    int16_t protocol; /* -1 all, 6 tcp, 17 udp, 1 icmp */
    uint16_t port_from, port_to;
    char cidr[RP_SIM_CIDR_SZ]; /* "" when src_sg is used */
    uint32_t src_sg;           /* referenced security group or RP_SIM_NONE */
    char description[64];
};

struct rp_sim_sg {
    struct rp_sim_res res; /* id = sg-..., name = group name */
    uint32_t vpc;
    char description[96];
    struct rp_sim_sg_rule ingress[RP_SIM_MAX_SG_RULES];
    uint32_t ningress;
    struct rp_sim_sg_rule egress[RP_SIM_MAX_SG_RULES];
    uint32_t negress;
};

enum rp_sim_eni_use {
    RP_SIM_ENI_INSTANCE = 0,
    RP_SIM_ENI_NATGW,
    RP_SIM_ENI_LB,
    RP_SIM_ENI_LAMBDA,
    RP_SIM_ENI_RDS,
    RP_SIM_ENI_EKS, /* EKS control-plane cross-account ENI */
    RP_SIM_ENI_VPC_ENDPOINT,
};

struct rp_sim_eni {
    struct rp_sim_res res; /* id = eni-... */
    uint32_t vpc;
    uint32_t subnet;
    enum rp_sim_eni_use use;
    uint32_t owner; /* index of the instance/natgw/lb/lambda/db instance/eks using it */
    char private_ip[RP_SIM_IP_SZ];
    char public_ip[RP_SIM_IP_SZ]; /* "" if none */
    char mac[18];
    char description[96];
    bool requester_managed;
    char interface_type[24]; /* "interface", "nat_gateway", "lambda", ... */
    uint32_t sgs[RP_SIM_MAX_SGS];
    uint32_t nsgs;
};

enum rp_sim_os {
    RP_SIM_OS_UBUNTU = 0, /* dpkg */
    RP_SIM_OS_DEBIAN,     /* dpkg */
    RP_SIM_OS_AMAZON,     /* rpm (Amazon Linux 2023) */
    RP_SIM_OS_ALPINE,     /* apk */
};

enum rp_sim_workload {
    RP_SIM_WL_WEB = 0,
    RP_SIM_WL_APP,
    RP_SIM_WL_DB,
    RP_SIM_WL_BASTION,
    RP_SIM_WL_K8S_NODE,
    RP_SIM_WL_CI_RUNNER,
};

struct rp_sim_instance {
    struct rp_sim_res res; /* id = i-..., name = "" (the Name tag is in tags) */
    uint32_t vpc;
    uint32_t subnet;
    uint32_t eni; /* primary interface */
    char az[RP_SIM_AZ_SZ];
    char private_ip[RP_SIM_IP_SZ];
    char public_ip[RP_SIM_IP_SZ]; /* "" if none */
    char private_dns[RP_SIM_DNS_SZ];
    char public_dns[RP_SIM_DNS_SZ];
    char type[24]; /* "t3.medium" */
    char ami[32];  /* ami-... */
    char key_name[48];
    char state[16]; /* "running", "stopped", "terminated" */
    uint32_t sgs[RP_SIM_MAX_SGS];
    uint32_t nsgs;
    uint32_t profile_role; /* role with the instance profile, RP_SIM_NONE */
    enum rp_sim_os os;
    char os_release[16];  /* "22.04", "12", "2023", "3.19" */
    char os_codename[16]; /* "jammy", "bookworm", "", "" */
    enum rp_sim_workload workload;
    uint16_t listen_ports[RP_SIM_MAX_PORTS];
    uint32_t nports;
    uint32_t asg; /* RP_SIM_NONE */
    uint32_t eks; /* cluster it is a node of, RP_SIM_NONE */
    uint32_t volumes[RP_SIM_MAX_VOLUMES];
    uint32_t nvolumes;
    bool imdsv2_required;
    bool monitoring;
};

struct rp_sim_listener {
    uint16_t port;
    char protocol[8]; /* "HTTP", "HTTPS", "TCP", "TLS" */
};

struct rp_sim_lb {
    struct rp_sim_res res; /* id = arn (as Config), name = LB name */
    bool application;      /* ALB; false = NLB */
    bool internet_facing;
    uint32_t vpc;
    uint32_t subnets[RP_SIM_MAX_SUBNETS];
    uint32_t nsubnets;
    uint32_t sgs[RP_SIM_MAX_SGS];
    uint32_t nsgs;
    char dns[RP_SIM_DNS_SZ];
    char zone_id[24]; /* canonical hosted zone */
    struct rp_sim_listener listeners[2];
    uint32_t nlisteners;
    char tg_arn[RP_SIM_ARN_SZ];
    uint16_t target_port;
    uint32_t targets[RP_SIM_MAX_MEMBERS]; /* instances */
    uint32_t ntargets;
    uint32_t enis[RP_SIM_MAX_SUBNETS];
    uint32_t nenis;
    bool access_logs;
    bool drop_invalid_headers;
};

struct rp_sim_asg {
    struct rp_sim_res res; /* id = arn, name = ASG name */
    char launch_template_id[32];
    char launch_template_name[64];
    uint32_t subnets[RP_SIM_MAX_SUBNETS];
    uint32_t nsubnets;
    uint32_t instances[RP_SIM_MAX_MEMBERS];
    uint32_t ninstances;
    uint32_t min, max, desired;
    uint32_t lb; /* RP_SIM_NONE */
};

struct rp_sim_volume {
    struct rp_sim_res res; /* id = vol-... */
    uint32_t instance;     /* attached to, RP_SIM_NONE */
    char az[RP_SIM_AZ_SZ];
    char device[16]; /* "/dev/xvda" */
    uint32_t size_gb;
    char type[8]; /* "gp3" */
    bool encrypted;
    uint32_t kms; /* RP_SIM_NONE = AWS-managed key when encrypted */
    char snapshot_id[32];
};

struct rp_sim_snapshot {
    struct rp_sim_res res; /* id = snap-... */
    uint32_t volume;
    uint32_t size_gb;
    bool encrypted;
    uint32_t kms;
    bool public_restore; /* createVolumePermission group "all" */
    char description[96];
};

enum rp_sim_bucket_purpose {
    RP_SIM_BUCKET_DATA = 0,
    RP_SIM_BUCKET_LOGS, /* log archive: CloudTrail, flow logs, Config, access logs */
    RP_SIM_BUCKET_WEB,  /* static site / CloudFront origin */
    RP_SIM_BUCKET_BACKUP,
    RP_SIM_BUCKET_ARTIFACTS, /* CI artifacts, Lambda code */
    RP_SIM_BUCKET_SHARED,    /* documents (side-data "buckets" with planted sensitive data) */
};

enum rp_sim_sse {
    RP_SIM_SSE_NONE = 0,
    RP_SIM_SSE_S3,  /* AES256 */
    RP_SIM_SSE_KMS, /* aws:kms */
};

enum rp_sim_versioning {
    RP_SIM_VERSIONING_OFF = 0, /* never enabled: Config status "Off" */
    RP_SIM_VERSIONING_ENABLED,
    RP_SIM_VERSIONING_SUSPENDED,
};

struct rp_sim_bucket {
    struct rp_sim_res res; /* id = name = bucket name */
    enum rp_sim_bucket_purpose purpose;
    bool acl_public_read;        /* AllUsers READ grant */
    bool acl_public_write;       /* AllUsers WRITE grant */
    bool acl_log_delivery;       /* LogDelivery group WRITE/READ_ACP grants (access-log target) */
    bool policy_public;          /* generated policy grants "Principal":"*" s3:GetObject */
    const char *policy_override; /* explicit policy JSON (arena) replacing the generated one */
    bool bpa_set;                /* bucket-level BPA configuration exists */
    bool bpa[4];                 /* RP_SIM_BPA_* order */
    enum rp_sim_sse sse;
    uint32_t kms; /* with RP_SIM_SSE_KMS; RP_SIM_NONE = aws/s3 key */
    bool bucket_key;
    enum rp_sim_versioning versioning;
    bool mfa_delete;
    uint32_t log_target; /* server access logs go to this bucket, RP_SIM_NONE = off */
    char log_prefix[64];
    bool object_lock;
    bool tls_only; /* generated policy denies aws:SecureTransport false */
};

struct rp_sim_access_point {
    struct rp_sim_res res; /* id = name = access point name, arn = ...:accesspoint/<name> */
    uint32_t bucket;
    bool vpc_origin; /* NetworkOrigin VPC (else Internet) */
    uint32_t vpc;    /* with vpc_origin */
    bool bpa[4];
    bool policy_public;
    const char *policy_override;
    char alias[64]; /* <name>-<random>-s3alias */
};

struct rp_sim_db_instance {
    struct rp_sim_res res; /* id = DbiResourceId "db-...", name = DB instance identifier */
    char engine[24];       /* "mysql", "postgres", "aurora-mysql", "aurora-postgresql" */
    char engine_version[16];
    char instance_class[24];
    bool encrypted;
    uint32_t kms;
    uint32_t backup_days; /* 0 = automated backups off */
    bool publicly_accessible;
    bool multi_az;
    uint32_t vpc;
    uint32_t subnets[RP_SIM_MAX_SUBNETS]; /* DB subnet group */
    uint32_t nsubnets;
    char subnet_group[64];
    uint32_t sgs[RP_SIM_MAX_SGS];
    uint32_t nsgs;
    char endpoint[RP_SIM_DNS_SZ];
    uint16_t port;
    uint32_t cluster; /* Aurora cluster, RP_SIM_NONE */
    uint32_t eni;
    bool deletion_protection;
    bool iam_auth;
    bool auto_minor_upgrade;
    uint32_t storage_gb;
    char master_user[32];
    char az[RP_SIM_AZ_SZ];
};

struct rp_sim_db_cluster {
    struct rp_sim_res res; /* id = DbClusterResourceId "cluster-...", name = identifier */
    char engine[24];
    char engine_version[16];
    bool encrypted;
    uint32_t kms;
    uint32_t backup_days;
    uint32_t members[RP_SIM_MAX_MEMBERS]; /* db instance indexes; members[0] is the writer */
    uint32_t nmembers;
    char endpoint[RP_SIM_DNS_SZ];
    char reader_endpoint[RP_SIM_DNS_SZ];
    uint16_t port;
    uint32_t vpc;
    uint32_t sgs[RP_SIM_MAX_SGS];
    uint32_t nsgs;
    char subnet_group[64];
    bool deletion_protection;
    bool iam_auth;
    char master_user[32];
};

struct rp_sim_lambda {
    struct rp_sim_res res; /* id = name = function name */
    char runtime[24];
    char handler[64];
    uint32_t role;
    uint32_t vpc; /* RP_SIM_NONE: not in a VPC */
    uint32_t subnets[RP_SIM_MAX_SUBNETS];
    uint32_t nsubnets;
    uint32_t sgs[RP_SIM_MAX_SGS];
    uint32_t nsgs;
    uint32_t memory_mb;
    uint32_t timeout_s;
    char code_sha256[48]; /* base64 */
    uint64_t code_size;
    int64_t last_modified_ms;
    uint32_t kms;                  /* env var encryption key, RP_SIM_NONE */
    bool public_url;               /* function URL with AuthType NONE */
    uint32_t trigger_api;          /* REST API invoking it, RP_SIM_NONE */
    uint32_t invocations_per_hour; /* mean, at scale small */
};

struct rp_sim_kms_key {
    struct rp_sim_res res; /* id = key id (UUID), name = "" */
    char alias[64];        /* "alias/..." or "" */
    bool customer_managed;
    bool rotation;
    char state[24]; /* "Enabled", "Disabled", "PendingDeletion" */
    char description[96];
    char usage[24]; /* "ENCRYPT_DECRYPT" */
    char spec[24];  /* "SYMMETRIC_DEFAULT" */
};

struct rp_sim_trail {
    struct rp_sim_res res; /* id = name = trail name, arn */
    bool multi_region;
    bool org_trail;
    uint32_t bucket;
    char prefix[32];
    bool validation;
    uint32_t kms;
    bool logging; /* false after StopLogging: CloudTrail records are then not delivered */
    bool global_events;
    bool s3_data_events;
    char log_group_arn[RP_SIM_ARN_SZ]; /* CloudWatch Logs integration, "" if none */
};

struct rp_sim_eks {
    struct rp_sim_res res; /* id = name = cluster name, arn */
    char version[8];       /* "1.29" */
    char platform_version[16];
    uint32_t role; /* cluster role */
    uint32_t node_role;
    uint32_t vpc;
    uint32_t subnets[RP_SIM_MAX_SUBNETS];
    uint32_t nsubnets;
    uint32_t sg; /* cluster security group */
    char endpoint[RP_SIM_DNS_SZ];
    bool public_endpoint;
    bool private_endpoint;
    char public_cidrs[2][RP_SIM_CIDR_SZ];
    uint32_t npublic_cidrs;
    bool audit_logging;
    bool secrets_encryption;
    uint32_t kms;
    char oidc_issuer[RP_SIM_DNS_SZ];
    uint32_t nodes[RP_SIM_MAX_MEMBERS]; /* instance indexes */
    uint32_t nnodes;
    uint32_t asg;
    char service_cidr[RP_SIM_CIDR_SZ];
};

struct rp_sim_vgw {
    struct rp_sim_res res; /* id = vgw-... */
    uint32_t vpc;          /* attached VPC, RP_SIM_NONE */
    uint32_t asn;
};

struct rp_sim_cgw {
    struct rp_sim_res res; /* id = cgw-... */
    char ip[RP_SIM_IP_SZ];
    uint32_t bgp_asn;
    char site[48];                  /* "office-berlin" */
    char site_cidr[RP_SIM_CIDR_SZ]; /* the on-premises network behind it */
};

struct rp_sim_vpn {
    struct rp_sim_res res; /* id = vpn-... */
    uint32_t vgw;
    uint32_t cgw;
    bool static_routes;                                 /* StaticRoutesOnly; false = BGP */
    char routes[RP_SIM_MAX_VPN_ROUTES][RP_SIM_CIDR_SZ]; /* static routes */
    uint32_t nroutes;
    char tunnel_ips[2][RP_SIM_IP_SZ]; /* AWS-side outside addresses */
    char tunnel_inside[2][RP_SIM_CIDR_SZ];
    bool tunnel_up[2];
    uint32_t accepted_routes[2];
};

struct rp_sim_stage {
    char name[24];
    char deployment_id[16];
    char log_level[8]; /* "OFF", "ERROR", "INFO" */
    bool tracing;
    bool cache;
    bool cache_encrypted;
    char client_cert[32];
    char waf_acl_arn[RP_SIM_ARN_SZ];
    bool access_logs;
};

struct rp_sim_rest_api {
    struct rp_sim_res res;  /* id = API id (10 chars), name = API name */
    char endpoint_type[12]; /* "REGIONAL", "EDGE", "PRIVATE" */
    struct rp_sim_stage stages[RP_SIM_MAX_STAGES];
    uint32_t nstages;
    uint32_t lambda; /* backend function, RP_SIM_NONE */
};

struct rp_sim_cloudfront {
    struct rp_sim_res res; /* id = distribution id "E...", arn */
    char domain[RP_SIM_DNS_SZ];
    uint32_t origin_bucket; /* RP_SIM_NONE */
    uint32_t origin_lb;     /* RP_SIM_NONE */
    char viewer_policy[24]; /* "allow-all", "redirect-to-https", "https-only" */
    char min_tls[24];       /* "TLSv1.2_2021" */
    bool waf;
    bool logging;
    uint32_t log_bucket;
    bool oac; /* origin access control on the S3 origin */
    char default_root_object[32];
    char price_class[24];
    bool enabled;
};

/* ---- the world ----------------------------------------------------------------------------- */

enum rp_sim_scale { RP_SIM_SCALE_SMALL = 0, RP_SIM_SCALE_MEDIUM, RP_SIM_SCALE_LARGE };

/* Parse "small" / "medium" / "large"; RP_EINVAL otherwise. */
rp_err rp_sim_scale_parse(const char *s, enum rp_sim_scale *out, struct rp_errbuf *eb) RP_WUR;
const char *rp_sim_scale_name(enum rp_sim_scale s);

/* Options of a simulation. Fill with rp_sim_opts_init() and change fields; the strings are
 * borrowed for the duration of rp_sim_world_new / rp_sim_run_new (which copy what they keep). */
struct rp_sim_opts {
    uint64_t seed;       /* default 1 */
    uint32_t accounts;   /* 0 = by scale: small 2, medium 4, large 8 */
    const char *regions; /* comma-separated; NULL = "us-east-1,us-west-2" */
    int64_t start_ms;    /* default RP_SIM_DEFAULT_START_MS; rounded down to the hour */
    uint32_t days;       /* 1..RP_SIM_MAX_DAYS, default 7 */
    uint32_t learn_days; /* learning period before attacks; 0 = auto (see rp_sim_learn_days) */
    enum rp_sim_scale scale;
    const char *scenarios; /* "all" (default), "none", or a comma-separated list of ids */
    const char *out_dir;   /* output directory (rp_sim_run_new only) */
    /* added after the first version: */
    const char *generators; /* NULL = every registered generator; else a comma-separated list
                               of generator names to run (tests, benchmarks) */
};

void rp_sim_opts_init(struct rp_sim_opts *o);

/* The learning period in days for o: o->learn_days when set (capped at days - 1), else
 * days * 2 / 3 with at least 1 day of attacks when days >= 2 (days 1: 0). */
uint32_t rp_sim_learn_days(const struct rp_sim_opts *o);

struct rp_sim_world_priv; /* private: arena, capacities */

struct rp_sim_world {
    uint64_t seed;
    enum rp_sim_scale scale;
    uint32_t activity_x; /* activity multiplier of the scale: small 1, medium 8, large 64 */
    int64_t start_ms;    /* first simulated hour */
    int64_t end_ms;      /* end of the period (exclusive) */
    int64_t attack_ms;   /* end of the learning period: scenarios inject from here */
    char company[24];    /* lower-case word used in names ("acme"), varies with the seed */
    char org_id[16];     /* "o-" + 10 lower-case alphanumerics */
    char regions[RP_SIM_MAX_REGIONS][RP_SIM_REGION_SZ];
    uint32_t nregions;

    struct rp_sim_account *accounts;
    uint32_t naccounts;
    struct rp_sim_user *users;
    uint32_t nusers;
    struct rp_sim_group *groups;
    uint32_t ngroups;
    struct rp_sim_role *roles;
    uint32_t nroles;
    struct rp_sim_policy *policies;
    uint32_t npolicies;
    struct rp_sim_vpc *vpcs;
    uint32_t nvpcs;
    struct rp_sim_subnet *subnets;
    uint32_t nsubnets;
    struct rp_sim_route_table *route_tables;
    uint32_t nroute_tables;
    struct rp_sim_igw *igws;
    uint32_t nigws;
    struct rp_sim_natgw *natgws;
    uint32_t nnatgws;
    struct rp_sim_nacl *nacls;
    uint32_t nnacls;
    struct rp_sim_sg *sgs;
    uint32_t nsgs;
    struct rp_sim_eni *enis;
    uint32_t nenis;
    struct rp_sim_instance *instances;
    uint32_t ninstances;
    struct rp_sim_lb *lbs;
    uint32_t nlbs;
    struct rp_sim_asg *asgs;
    uint32_t nasgs;
    struct rp_sim_volume *volumes;
    uint32_t nvolumes;
    struct rp_sim_snapshot *snapshots;
    uint32_t nsnapshots;
    struct rp_sim_bucket *buckets;
    uint32_t nbuckets;
    struct rp_sim_access_point *access_points;
    uint32_t naccess_points;
    struct rp_sim_db_instance *db_instances;
    uint32_t ndb_instances;
    struct rp_sim_db_cluster *db_clusters;
    uint32_t ndb_clusters;
    struct rp_sim_lambda *lambdas;
    uint32_t nlambdas;
    struct rp_sim_kms_key *kms_keys;
    uint32_t nkms_keys;
    struct rp_sim_trail *trails;
    uint32_t ntrails;
    struct rp_sim_eks *eks;
    uint32_t neks;
    struct rp_sim_vgw *vgws;
    uint32_t nvgws;
    struct rp_sim_cgw *cgws;
    uint32_t ncgws;
    struct rp_sim_vpn *vpns;
    uint32_t nvpns;
    struct rp_sim_rest_api *rest_apis;
    uint32_t nrest_apis;
    struct rp_sim_cloudfront *cloudfronts;
    uint32_t ncloudfronts;

    struct rp_sim_world_priv *priv;
};

/* Build the world for o deterministically (o->out_dir and o->scenarios are ignored).
 * Returns RP_OK and *out (free with rp_sim_world_free), RP_EINVAL for bad options (unknown
 * region syntax, accounts 0 or > RP_SIM_MAX_ACCOUNTS after defaults, days out of range) with
 * details in *eb, RP_ENOMEM. */
rp_err rp_sim_world_new(const struct rp_sim_opts *o, struct rp_sim_world **out,
                        struct rp_errbuf *eb) RP_WUR;

/* Free w and everything it owns. NULL is a no-op. */
void rp_sim_world_free(struct rp_sim_world *w);

/* Number of entities of kind k (including deleted ones). */
uint32_t rp_sim_world_count(const struct rp_sim_world *w, enum rp_sim_kind k);

/* The common head of entity ref, or NULL when ref is out of range. Borrowed from w; valid until
 * the next rp_sim_world_add of the same kind. */
struct rp_sim_res *rp_sim_world_res(const struct rp_sim_world *w, struct rp_sim_ref ref);

/* Append a zeroed entity of kind k (res.acct/region set to 0, every index field of the new
 * struct left 0: the caller fills all of them, RP_SIM_NONE where unused). Returns a pointer to
 * it (valid until the next add of the same kind) and its index in *idx, or NULL on allocation
 * failure. Scenarios use it for resources created during the run (then note the change). */
void *rp_sim_world_add(struct rp_sim_world *w, enum rp_sim_kind k, uint32_t *idx);

/* Copy s into the world's arena (lives as long as w): for policy documents. NULL on
 * allocation failure. */
const char *rp_sim_world_strdup(struct rp_sim_world *w, const char *s);

/* Index of the entity of kind k whose res.id, res.name or res.arn equals key (first match in
 * index order), or RP_SIM_NONE. Linear; the world is small. */
uint32_t rp_sim_world_find(const struct rp_sim_world *w, enum rp_sim_kind k, const char *key);

/* Account index of a 12-digit account id, or RP_SIM_NONE. */
uint32_t rp_sim_world_account(const struct rp_sim_world *w, const char *account_id);

/* Region index of a region name, or RP_SIM_NONE. */
uint32_t rp_sim_world_region(const struct rp_sim_world *w, const char *region);

/* Fill out[0..max) with the indexes of live entities of kind k owned by account acct in region
 * region (RP_SIM_NONE for either = any) and return how many matched in total (which may
 * exceed max; only max are written). Index order. */
uint32_t rp_sim_world_list(const struct rp_sim_world *w, enum rp_sim_kind k, uint32_t acct,
                           uint32_t region, uint32_t *out, uint32_t max);

/* Instances whose vpc is vpc (live only), like rp_sim_world_list. */
uint32_t rp_sim_world_vpc_instances(const struct rp_sim_world *w, uint32_t vpc, uint32_t *out,
                                    uint32_t max);

/* ENIs of a VPC (live only), like rp_sim_world_list. */
uint32_t rp_sim_world_vpc_enis(const struct rp_sim_world *w, uint32_t vpc, uint32_t *out,
                               uint32_t max);

/* Value of tag key on res, or NULL. */
const char *rp_sim_res_tag(const struct rp_sim_res *res, const char *key);

/* Set (add or replace) tag key=value on res; false when RP_SIM_MAX_TAGS are in use. Values are
 * cut to fit. */
bool rp_sim_res_set_tag(struct rp_sim_res *res, const char *key, const char *value);

/* The trail logging account acct's CloudTrail records in region region, or RP_SIM_NONE when
 * none is logging there (then CloudTrail records are not delivered). */
uint32_t rp_sim_world_trail_for(const struct rp_sim_world *w, uint32_t acct, uint32_t region);

#endif
