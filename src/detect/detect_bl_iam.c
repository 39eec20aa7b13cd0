/* SPDX-License-Identifier: Apache-2.0 */
/* Behavioural baseline of CloudTrail principals (DESIGN.md §6 kind 3): GuardDuty's eight
 * <Tactic>:IAMUser/AnomalousBehavior types (aws-facts §4.5).
 *
 * Entity: the principal that made a call: the IAM user, the root user, the federated user, or
 * for a role session the role (the session issuer), since session names change with every
 * session. Its learning period starts with its first call of any kind (S3 data events
 * included); only management calls are profiled. Profile (model "iam", struct iam_ent, 1,576 bytes
 * plus the ARN): 64 APIs, 16 services, 16 source networks (/24, /48), 8 user-agent families, 8
 * regions, calls per hour of day, and a 512-bit spill filter for learned values a full set evicted.
 *
 * After the entity's learning period a successful call is anomalous for its tactic when:
 *   - Discovery (Get/Describe/List/Search/Lookup): a burst of at least DISC_BURST_MIN
 *     Get/Describe/List APIs the principal never called, within DISC_WINDOW_MS (enumeration);
 *     a single new read-only call is too common (a console page never opened) to report;
 *   - every other tactic (the API table below): the API is not habitual for the principal (or
 *     rare: used once or twice, on one day, while learning) and the call is unusual in one
 *     more way: a source network, or a user-agent family, the principal never used, or an hour
 *     of day (±1 h) it never worked at.
 * Calls an AWS service made for the principal, S3 data events (detect_bl_s3.c), failed calls
 * and calls from addresses on a threat list (reported by the MaliciousIPCaller / TorIPCaller
 * types; they are not learned either) raise nothing; calls from a trusted address are learned
 * and never reported.
 *
 * APIs that have a dedicated GuardDuty signature type are left to it, so one act gives one
 * finding: StopLogging, DeleteTrail, UpdateTrail, PutEventSelectors
 * (Stealth:IAMUser/CloudTrailLoggingDisabled), PutBucketLogging
 * (Stealth:S3/ServerAccessLoggingDisabled), Update/DeleteAccountPasswordPolicy
 * (Stealth:IAMUser/PasswordPolicyChange) and the bucket/account public-access calls
 * (PutBucketPolicy, PutBucketAcl, Put/DeletePublicAccessBlock: the Policy:S3 types). */
#define RP_LOG_MODULE "detect"
#include <stdlib.h>
#include <stddef.h>
#include <string.h>

#include "detect/detect_bl_engine.h"
#include "detect/detect_ct_common.h"
#include "core/rp_banned.h"

/* ---- thresholds (named, documented) --------------------------------------------------------- */

#define DISC_BURST_MIN  20                 /* never-seen discovery APIs that make a burst */
#define DISC_WINDOW_MS  (15 * 60 * 1000LL) /* ... within this long */
#define HOURS_MIN_CALLS 100                /* hour profile used once this many calls learned */
#define HOURS_MIN_DAYS  3                  /* ... on at least this many days */

/* ---- tactics and their APIs --------------------------------------------------------------- */

enum group {
    G_NONE,
    G_CRED,
    G_EVADE,
    G_DISC,
    G_EXFIL,
    G_IMPACT,
    G_INIT,
    G_PERSIST,
    G_PRIVESC,
};

/* API -> tactic, sorted by name (bytewise) for bsearch; test_detect_baseline checks the order.
 * From GuardDuty's descriptions of each AnomalousBehavior type (aws-facts §4.5: the example
 * APIs it names) extended, in our own reading, with the APIs of the same kind in the same
 * services: credential and secret reads (CredentialAccess), turning off or blinding detection
 * and monitoring (DefenseEvasion), moving data out through snapshots, images, replication
 * and exports (Exfiltration), destroying resources (Impact), obtaining tokens and sessions
 * (InitialAccess), new credentials and keys (Persistence), granting permissions
 * (PrivilegeEscalation). Discovery is the Get/Describe/List/Search/Lookup rest. */
static const struct {
    const char *api;
    enum group g;
} apis[] = {
    {"AddClientIDToOpenIDConnectProvider", G_PERSIST},
    {"AddRoleToInstanceProfile", G_PRIVESC},
    {"AddUserToGroup", G_PRIVESC},
    {"AssociateIamInstanceProfile", G_PRIVESC},
    {"AttachGroupPolicy", G_PRIVESC},
    {"AttachRolePolicy", G_PRIVESC},
    {"AttachUserPolicy", G_PRIVESC},
    {"BatchDisableStandards", G_EVADE},
    {"BatchGetSecretValue", G_CRED},
    {"CopyDBClusterSnapshot", G_EXFIL},
    {"CopyDBSnapshot", G_EXFIL},
    {"CopyImage", G_EXFIL},
    {"CopySnapshot", G_EXFIL},
    {"CreateAccessKey", G_PERSIST},
    {"CreateDBClusterSnapshot", G_EXFIL},
    {"CreateDBSnapshot", G_EXFIL},
    {"CreateExportTask", G_EXFIL},
    {"CreateFilter", G_EVADE},
    {"CreateIPSet", G_EVADE},
    {"CreateKeyPair", G_PERSIST},
    {"CreateLoginProfile", G_PERSIST},
    {"CreateOpenIDConnectProvider", G_PERSIST},
    {"CreatePolicyVersion", G_PRIVESC},
    {"CreateSAMLProvider", G_PERSIST},
    {"CreateServiceSpecificCredential", G_PERSIST},
    {"CreateSnapshot", G_EXFIL},
    {"CreateSnapshots", G_EXFIL},
    {"CreateUser", G_PERSIST},
    {"DeleteAlarms", G_EVADE},
    {"DeleteAnalyzer", G_EVADE},
    {"DeleteBackupVault", G_IMPACT},
    {"DeleteBucket", G_IMPACT},
    {"DeleteCluster", G_IMPACT},
    {"DeleteConfigRule", G_EVADE},
    {"DeleteConfigurationAggregator", G_EVADE},
    {"DeleteConfigurationRecorder", G_EVADE},
    {"DeleteDBCluster", G_IMPACT},
    {"DeleteDBClusterSnapshot", G_IMPACT},
    {"DeleteDBInstance", G_IMPACT},
    {"DeleteDBSnapshot", G_IMPACT},
    {"DeleteDeliveryChannel", G_EVADE},
    {"DeleteDetector", G_EVADE},
    {"DeleteFlowLogs", G_EVADE},
    {"DeleteFunction", G_IMPACT},
    {"DeleteFunction20150331", G_IMPACT},
    {"DeleteHostedZone", G_IMPACT},
    {"DeleteLogGroup", G_EVADE},
    {"DeleteLogStream", G_EVADE},
    {"DeleteMembers", G_EVADE},
    {"DeleteRecoveryPoint", G_IMPACT},
    {"DeleteRepository", G_IMPACT},
    {"DeleteRole", G_IMPACT},
    {"DeleteRolePermissionsBoundary", G_PRIVESC},
    {"DeleteSecret", G_IMPACT},
    {"DeleteSecurityGroup", G_IMPACT},
    {"DeleteSnapshot", G_IMPACT},
    {"DeleteStack", G_IMPACT},
    {"DeleteSubnet", G_IMPACT},
    {"DeleteSubscriptionFilter", G_EVADE},
    {"DeleteTable", G_IMPACT},
    {"DeleteThreatIntelSet", G_EVADE},
    {"DeleteUser", G_IMPACT},
    {"DeleteUserPermissionsBoundary", G_PRIVESC},
    {"DeleteVolume", G_IMPACT},
    {"DeleteVpc", G_IMPACT},
    {"DisableAlarmActions", G_EVADE},
    {"DisableEbsEncryptionByDefault", G_EVADE},
    {"DisableImportFindingsForProduct", G_EVADE},
    {"DisableKey", G_IMPACT},
    {"DisableMacie", G_EVADE},
    {"DisableOrganizationAdminAccount", G_EVADE},
    {"DisableSecurityHub", G_EVADE},
    {"DisassociateFromAdministratorAccount", G_EVADE},
    {"DisassociateFromMasterAccount", G_EVADE},
    {"DisassociateMembers", G_EVADE},
    {"GenerateDbAuthToken", G_CRED},
    {"GetAuthorizationToken", G_INIT},
    {"GetClusterCredentials", G_CRED},
    {"GetClusterCredentialsWithIAM", G_CRED},
    {"GetFederationToken", G_INIT},
    {"GetParameter", G_CRED},
    {"GetParameters", G_CRED},
    {"GetParametersByPath", G_CRED},
    {"GetPasswordData", G_CRED},
    {"GetRoleCredentials", G_CRED},
    {"GetSecretValue", G_CRED},
    {"GetSessionToken", G_INIT},
    {"ImportKeyPair", G_PERSIST},
    {"ModifyDBClusterSnapshotAttribute", G_EXFIL},
    {"ModifyDBSnapshotAttribute", G_EXFIL},
    {"ModifyImageAttribute", G_EXFIL},
    {"ModifyInstanceAttribute", G_PERSIST},
    {"ModifySnapshotAttribute", G_EXFIL},
    {"PutBucketReplication", G_EXFIL},
    {"PutGroupPolicy", G_PRIVESC},
    {"PutRolePermissionsBoundary", G_PRIVESC},
    {"PutRolePolicy", G_PRIVESC},
    {"PutUserPermissionsBoundary", G_PRIVESC},
    {"PutUserPolicy", G_PRIVESC},
    {"ReplaceIamInstanceProfileAssociation", G_PRIVESC},
    {"RestoreDBClusterFromSnapshot", G_EXFIL},
    {"RestoreDBInstanceFromDBSnapshot", G_EXFIL},
    {"ScheduleKeyDeletion", G_IMPACT},
    {"SendSSHPublicKey", G_INIT},
    {"SendSerialConsoleSSHPublicKey", G_INIT},
    {"SetDefaultPolicyVersion", G_PRIVESC},
    {"StartExportTask", G_EXFIL},
    {"StartSession", G_INIT},
    {"StopConfigurationRecorder", G_EVADE},
    {"StopMonitoringMembers", G_EVADE},
    {"TerminateInstances", G_IMPACT},
    {"UpdateAssumeRolePolicy", G_PERSIST},
    {"UpdateDetector", G_EVADE},
    {"UpdateFilter", G_EVADE},
    {"UpdateIPSet", G_EVADE},
    {"UpdateLoginProfile", G_PERSIST},
    {"UpdateSAMLProvider", G_PERSIST},
    {"UpdateThreatIntelSet", G_EVADE},
    {"UpdateUser", G_IMPACT},
    {"UploadSSHPublicKey", G_PERSIST},
    {"UploadSigningCertificate", G_PERSIST},
};

static int cmp_api(struct rp_str a, const char *b)
{
    size_t n = strlen(b);
    int c = memcmp(a.p, b, a.len < n ? a.len : n);
    if (c) return c;
    return a.len < n ? -1 : a.len > n;
}

static enum group group_of(struct rp_str api)
{
    if (!api.p || !api.len) return G_NONE;
    size_t lo = 0, hi = RP_ARRAY_LEN(apis);
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = cmp_api(api, apis[mid].api);
        if (!c) return apis[mid].g;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    if (rp_det_ct_has_prefix_word(api, "Get Describe List Search Lookup")) return G_DISC;
    return G_NONE;
}

/* For the unit test: the tactic of api ("Discovery", ...) or NULL, and the table's order. */
const char *rp_bl_iam_tactic(const char *api);
bool rp_bl_iam_table_sorted(void);

static const char *const tactic[] = {
    [G_NONE] = NULL,
    [G_CRED] = "CredentialAccess",
    [G_EVADE] = "DefenseEvasion",
    [G_DISC] = "Discovery",
    [G_EXFIL] = "Exfiltration",
    [G_IMPACT] = "Impact",
    [G_INIT] = "InitialAccess",
    [G_PERSIST] = "Persistence",
    [G_PRIVESC] = "PrivilegeEscalation",
};

const char *rp_bl_iam_tactic(const char *api)
{
    return tactic[group_of(rp_str_from(api))];
}

bool rp_bl_iam_table_sorted(void)
{
    for (size_t i = 1; i < RP_ARRAY_LEN(apis); i++)
        if (strcmp(apis[i - 1].api, apis[i].api) >= 0) return false;
    return true;
}

/* ---- finding types ------------------------------------------------------------------------- */

static const struct rp_det_type types[] = {
    [G_CRED -
     1] = {"CredentialAccess:IAMUser/AnomalousBehavior", 5.0,
           "Anomalous credential-access API calls were made with the credentials of %s",
           "APIs that read secrets, passwords or database credentials were called in a way "
           "the principal's baseline does not explain: APIs it never used, from a network, "
           "tool or hour it does not use."},
    [G_EVADE -
        1] = {"DefenseEvasion:IAMUser/AnomalousBehavior", 5.0,
              "Anomalous defense-evasion API calls were made with the credentials of %s",
              "APIs that delete, disable or stop logging, monitoring or threat detection were "
              "called in a way the principal's baseline does not explain."},
    [G_DISC - 1] = {"Discovery:IAMUser/AnomalousBehavior", 2.0,
                    "Anomalous discovery API calls were made with the credentials of %s",
                    "Many Get, Describe and List APIs the principal never used were called within "
                    "minutes: an enumeration of the account that its baseline does not explain."},
    [G_EXFIL -
        1] = {"Exfiltration:IAMUser/AnomalousBehavior", 8.0,
              "Anomalous exfiltration API calls were made with the credentials of %s",
              "APIs that copy, share or export data (snapshots, images, replication, exports) "
              "were called in a way the principal's baseline does not explain."},
    [G_IMPACT - 1] = {"Impact:IAMUser/AnomalousBehavior", 8.0,
                      "Anomalous destructive API calls were made with the credentials of %s",
                      "APIs that delete or tamper with resources were called in a way the "
                      "principal's baseline does not explain."},
    [G_INIT - 1] = {"InitialAccess:IAMUser/AnomalousBehavior", 5.0,
                    "Anomalous token and session API calls were made with the credentials of %s",
                    "APIs that obtain tokens or open sessions were called in a way the principal's "
                    "baseline does not explain."},
    [G_PERSIST -
        1] = {"Persistence:IAMUser/AnomalousBehavior", 5.0,
              "Anomalous persistence API calls were made with the credentials of %s",
              "APIs that create access keys, users, login profiles or key pairs were called "
              "in a way the principal's baseline does not explain."},
    [G_PRIVESC -
        1] = {"PrivilegeEscalation:IAMUser/AnomalousBehavior", 5.0,
              "Anomalous privilege-escalation API calls were made with the credentials of %s",
              "APIs that grant permissions (policy attachments and versions, group "
              "memberships, instance profiles) were called in a way the principal's "
              "baseline does not explain."},
};

/* ---- the profile --------------------------------------------------------------------------- */

#define NAPI   64
#define NSVC   16
#define NNET   16
#define NUA    8
#define NREG   8
#define NBURST 8 /* APIs of the current discovery burst kept to explain it */

enum dim { D_API, D_SVC, D_NET, D_UA, D_REG, D__N };

struct iam_ent {
    struct rp_bl_ent h;
    struct rp_bl_val api[NAPI], svc[NSVC], net[NNET], ua[NUA], reg[NREG];
    uint16_t hours[24];               /* calls per hour of day while learning (saturating) */
    uint8_t spill[RP_BL_SPILL_BYTES]; /* learned values the full sets evicted */
    uint32_t nlearn;                  /* calls seen while learning */
    uint16_t learn_days;              /* distinct days with calls while learning */
    uint16_t learn_day;               /* the last of them */
    int64_t burst_start;              /* discovery: the window's first never-seen API call */
    uint16_t burst_n;                 /* never-seen discovery APIs in the window */
    uint32_t burst_api[NBURST];       /* the first of them (interned) */
};

struct iam {
    struct rp_bl_common c; /* first: the engine allocates and frees the state */
    struct rp_det_ct_work w;
};

static const struct rp_bl_slot dims[D__N] = {
    [D_API] = {offsetof(struct iam_ent, api), NAPI},
    [D_SVC] = {offsetof(struct iam_ent, svc), NSVC},
    [D_NET] = {offsetof(struct iam_ent, net), NNET},
    [D_UA] = {offsetof(struct iam_ent, ua), NUA},
    [D_REG] = {offsetof(struct iam_ent, reg), NREG},
};

static struct rp_bl_set set_of(struct iam *s, struct iam_ent *e, enum dim d)
{
    return rp_bl_set_at(&s->c, dims, (unsigned)d, e, e->spill);
}

static rp_err encode(void *ctx, const struct rp_bl_ent *he, struct rp_buf *w)
{
    struct iam *s = ctx;
    struct iam_ent *e = (struct iam_ent *)(void *)he;
    rp_err err = rp_bl_put_sets(w, &s->c, dims, D__N, e, e->spill);
    for (int h = 0; !err && h < 24; h++) err = rp_bl_put_u16(w, e->hours[h]);
    if (!err) err = rp_buf_append(w, e->spill, sizeof(e->spill));
    if (!err) err = rp_bl_put_u32(w, e->nlearn);
    if (!err) err = rp_bl_put_u16(w, e->learn_days);
    if (!err) err = rp_bl_put_u16(w, e->learn_day);
    return err;
}

static bool decode(void *ctx, struct rp_bl_ent *he, const uint8_t *p, size_t n)
{
    struct iam *s = ctx;
    struct iam_ent *e = (struct iam_ent *)(void *)he;
    struct rp_bl_rd r = {p, n, 0, false};
    rp_bl_get_sets(&r, &s->c, dims, D__N, e, e->spill);
    for (int h = 0; h < 24; h++) e->hours[h] = rp_bl_get_u16(&r);
    for (size_t i = 0; i < sizeof(e->spill); i++) e->spill[i] = rp_bl_get_u8(&r);
    e->nlearn = rp_bl_get_u32(&r);
    e->learn_days = rp_bl_get_u16(&r);
    e->learn_day = rp_bl_get_u16(&r);
    return !r.bad && r.off == r.n;
}

static const struct rp_bl_model model = {
    .name = "iam",
    .ent_size = sizeof(struct iam_ent),
    .version = 1,
    .encode = encode,
    .decode = decode,
};

/* ---- detector ------------------------------------------------------------------------------ */

static rp_err init(struct rp_det_ctx *dc, void **state, struct rp_errbuf *eb)
{
    rp_err err = rp_bl_state_new(dc, sizeof(struct iam), state, eb);
    if (err) return err;
    struct iam *s = *state;
    err = rp_det_ct_work_init(&s->w, eb);
    return err ? err : rp_bl_common_table(&s->c, &model, s, eb);
}

static void release(void *state)
{
    struct iam *s = state;
    if (s) rp_det_ct_work_release(&s->w);
    rp_bl_state_free(s);
}

static rp_err finish(struct rp_det_ctx *dc, void *state, struct rp_errbuf *eb)
{
    (void)dc;
    struct iam *s = state;
    return rp_bl_common_finish(&s->c, eb);
}

static bool odd_hour(const struct iam_ent *e, unsigned h)
{
    if (e->nlearn < HOURS_MIN_CALLS || e->learn_days < HOURS_MIN_DAYS) return false;
    return !e->hours[(h + 23) % 24] && !e->hours[h] && !e->hours[(h + 1) % 24];
}

/* Observations of the profile's frequent values of dimension d into dim. */
static void frequent(struct iam *s, struct iam_ent *e, enum dim d, struct rp_bl_dim *dim,
                     size_t max)
{
    struct rp_bl_set set = set_of(s, e, d);
    rp_bl_dim_top(dim, &set, max);
}

static const char *const hours_txt[24] = {
    "00:00Z", "01:00Z", "02:00Z", "03:00Z", "04:00Z", "05:00Z", "06:00Z", "07:00Z",
    "08:00Z", "09:00Z", "10:00Z", "11:00Z", "12:00Z", "13:00Z", "14:00Z", "15:00Z",
    "16:00Z", "17:00Z", "18:00Z", "19:00Z", "20:00Z", "21:00Z", "22:00Z", "23:00Z"};

struct unusual {
    uint32_t api, svc, net, ua, reg; /* ids of the unusual values (0 = usual) */
    bool api_rare;                   /* api is known but rare, not unseen */
    bool hour;
    unsigned h;
};

static rp_err anomaly(struct iam *s, struct iam_ent *e, const struct unusual *u, bool burst,
                      struct rp_errbuf *eb)
{
    struct rp_bl_dim d[6];
    memset(d, 0, sizeof(d));
    d[0].name = "ApiCalls";
    d[1].name = "Services";
    d[2].name = "NetworkLocations";
    d[3].name = "UserAgents";
    d[4].name = "Regions";
    d[5].name = "HoursOfDay";
    frequent(s, e, D_API, &d[0], 5);
    frequent(s, e, D_SVC, &d[1], 5);
    frequent(s, e, D_NET, &d[2], 5);
    frequent(s, e, D_UA, &d[3], 3);
    frequent(s, e, D_REG, &d[4], 3);
    /* the busiest learned hours */
    for (int k = 0; k < 4; k++) {
        int best = -1;
        for (int h = 0; h < 24; h++) {
            bool taken = false;
            for (size_t j = 0; j < d[5].nfrequent; j++)
                if (d[5].frequent[j] == hours_txt[h]) taken = true;
            if (!taken && e->hours[h] && (best < 0 || e->hours[h] > e->hours[best])) best = h;
        }
        if (best >= 0) d[5].frequent[d[5].nfrequent++] = hours_txt[best];
    }
    if (burst) {
        for (size_t i = 0; i < NBURST && i < e->burst_n; i++)
            d[0].unusual[d[0].nunusual++] = rp_bl_intern_str(s->c.in, e->burst_api[i]);
    } else if (u->api) {
        d[0].unusual[d[0].nunusual++] = rp_bl_intern_str(s->c.in, u->api);
        if (u->api_rare) d[0].subtype = "RARE";
    }
    if (u->svc) d[1].unusual[d[1].nunusual++] = rp_bl_intern_str(s->c.in, u->svc);
    if (u->net) d[2].unusual[d[2].nunusual++] = rp_bl_intern_str(s->c.in, u->net);
    if (u->ua) d[3].unusual[d[3].nunusual++] = rp_bl_intern_str(s->c.in, u->ua);
    if (u->reg) d[4].unusual[d[4].nunusual++] = rp_bl_intern_str(s->c.in, u->reg);
    if (u->hour) d[5].unusual[d[5].nunusual++] = hours_txt[u->h % 24];
    return rp_bl_common_anomaly(&s->c, e->h.key, d, RP_ARRAY_LEN(d), eb);
}

static rp_err emit(struct iam *s, struct iam_ent *e, const struct rp_det_event *ev, enum group g,
                   const struct unusual *u, bool burst, uint64_t count, int64_t first_ms,
                   struct rp_errbuf *eb)
{
    struct rp_det_finding f;
    rp_err err = rp_det_ct_finding(&s->w, ev, types[g - 1].type, &f);
    if (err == RP_ENOENT) return RP_OK; /* no account, region or principal to name */
    if (err) return rp_fail(eb, err, "detect: out of memory");
    err = anomaly(s, e, u, burst, eb);
    if (err) return err;
    f.count = count;
    f.first_ms = first_ms;
    f.last_ms = ev->time_ms;
    return rp_bl_common_emit(&s->c, &f, eb);
}

static rp_err event(struct rp_det_ctx *dc, void *state, const struct rp_det_event *ev,
                    struct rp_errbuf *eb)
{
    struct iam *s = state;
    rp_det_ct_work_reset(&s->w);
    if (rp_det_ct_by_service(ev)) return RP_OK;
    struct rp_str who = rp_bl_ct_principal(ev), api = rp_det_ct_field(ev, RP_CT_EVENT_NAME);
    if (!who.p || !api.p) return RP_OK;

    struct rp_ip ip;
    bool has_ip = rp_det_ct_src_ip(ev, &ip), trusted = false;
    if (has_ip) {
        struct rp_det_ti_hit hit;
        if (rp_det_ti_ip(dc, &ip, &hit, 1)) return RP_OK; /* the threat-list types own it */
        trusted = rp_det_ti_trusted(dc, &ip);
    }
    rp_err err = RP_OK;
    struct rp_str cat = rp_det_ct_field(ev, RP_CT_CATEGORY);
    if (rp_det_ct_s3_data(ev) || (cat.p && !rp_str_eq_cstr(cat, "Management"))) {
        /* the principal's other calls (S3 data events) start its learning period too: a
         * role that only moved objects for days is no newcomer */
        struct rp_bl_ent *he = rp_bl_table_get(s->c.tab, who, ev->time_ms, NULL, &err, eb);
        if (he && ev->time_ms > he->last_ms) he->last_ms = ev->time_ms;
        return he ? RP_OK : err;
    }
    char net[RP_CIDR_STRBUFSZ] = "", ua[64] = "";
    if (has_ip && !rp_bl_network(&ip, net, sizeof(net))) has_ip = false;
    rp_bl_common_ua(&s->c, rp_det_ct_field(ev, RP_CT_USER_AGENT), ua, sizeof(ua));
    struct rp_str region = rp_det_ct_field(ev, RP_CT_AWS_REGION);
    if (!region.p) region = rp_det_ct_field(ev, RP_CT_REGION);

    struct iam_ent *e =
        (struct iam_ent *)(void *)rp_bl_common_use(&s->c, who, ev->time_ms, &err, eb);
    if (!e) return err;

    uint32_t id[D__N];
    id[D_API] = rp_bl_intern_id(s->c.in, api);
    id[D_SVC] = rp_bl_intern_id(s->c.in, rp_det_ct_field(ev, RP_CT_EVENT_SOURCE));
    id[D_NET] = has_ip ? rp_bl_intern_id(s->c.in, rp_str_from(net)) : 0;
    id[D_UA] = rp_bl_intern_id(s->c.in, rp_str_from(ua));
    id[D_REG] = rp_bl_intern_id(s->c.in, region);
    bool learning = rp_bl_learning(dc, &e->h, ev->time_ms);
    uint16_t day = rp_bl_day(ev->time_ms);
    unsigned hour = rp_bl_hour(ev->time_ms);
    enum group g = group_of(api);
    bool judge = !learning && !trusted && g != G_NONE && rp_det_ct_ok(ev);

    /* what is unusual about this call, against the profile before it */
    struct unusual u = {0};
    u.h = hour;
    if (judge) {
        struct rp_bl_set set;
        uint32_t *slot[D__N] = {&u.api, &u.svc, &u.net, &u.ua, &u.reg};
        for (int d = 0; d < D__N; d++) {
            set = set_of(s, e, (enum dim)d);
            /* an API used once or twice on one day while learning is rare, not usual */
            bool usual =
                d == D_API ? rp_bl_set_frequent(&set, id[d]) : rp_bl_set_habitual(&set, id[d]);
            if (id[d] && !usual) *slot[d] = id[d];
        }
        set = set_of(s, e, D_API);
        u.api_rare = u.api && rp_bl_set_known(&set, u.api);
        u.hour = odd_hour(e, hour);
    }
    if (judge && g != G_DISC && u.api && (u.net || u.ua || u.hour)) {
        err = emit(s, e, ev, g, &u, false, 1, ev->time_ms, eb);
        if (err) return err;
    }

    /* learn */
    bool inserted = false;
    for (int d = 0; d < D__N; d++) {
        struct rp_bl_set set = set_of(s, e, (enum dim)d);
        (void)rp_bl_set_note(&set, id[d], day, learning, d == D_API ? &inserted : NULL);
    }
    if (learning) {
        if (e->hours[hour] < UINT16_MAX) e->hours[hour]++;
        if (e->nlearn < UINT32_MAX) e->nlearn++;
        if (!e->learn_days || e->learn_day != day) {
            e->learn_day = day;
            if (e->learn_days < UINT16_MAX) e->learn_days++;
        }
    }

    /* discovery: a burst of APIs never called before */
    if (judge && g == G_DISC && inserted) {
        if (!e->burst_n || ev->time_ms - e->burst_start > DISC_WINDOW_MS) {
            e->burst_start = ev->time_ms;
            e->burst_n = 0;
        }
        if (e->burst_n < NBURST) e->burst_api[e->burst_n] = id[D_API];
        if (e->burst_n < UINT16_MAX) e->burst_n++;
        if (e->burst_n >= DISC_BURST_MIN) {
            /* the call that completes the burst stands for all of it; later ones count one */
            uint64_t n = e->burst_n == DISC_BURST_MIN ? DISC_BURST_MIN : 1;
            int64_t first = e->burst_n == DISC_BURST_MIN ? e->burst_start : ev->time_ms;
            err = emit(s, e, ev, G_DISC, &u, true, n, first, eb);
        }
    }
    return err;
}

const struct rp_detector rp_det_baseline_iam = {
    .id = "baseline.iam",
    .source = RP_DET_SRC_CLOUDTRAIL,
    .kind = RP_DET_BASELINE,
    .summary = "principals calling APIs of a tactic they never used, from a network, tool or hour "
               "they do not use, or enumerating the account in a burst",
    .types = types,
    .ntypes = RP_ARRAY_LEN(types),
    .init = init,
    .event = event,
    .finish = finish,
    .release = release,
};
