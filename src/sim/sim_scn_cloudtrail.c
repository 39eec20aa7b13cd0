/* SPDX-License-Identifier: Apache-2.0 */
/* Attack scenarios whose evidence is CloudTrail (sim_scenarios.def): stolen instance-role
 * credentials used from outside AWS, a console login from a far-away network right after a
 * normal one, root use, StopLogging and DeleteTrail, password-policy weakening, a bucket policy
 * made public, server access logging turned off, Kali and Parrot user agents, Tor and
 * threat-list callers, a discovery burst, privilege escalation through policy versions and
 * attachments, access keys created for other users, flow logs and the GuardDuty detector
 * deleted, S3 mass download and mass delete from a new location, secrets harvesting and an EBS
 * snapshot shared publicly.
 *
 * Each scenario plans a list of calls (sim_scn.h CloudTrail call plans) inside its slot of the
 * attack period; calls that change the estate carry a tag, and the hook changes the world and
 * notes the change with the call's eventID so Config history links to it. */
#include <string.h>

#include "sim/sim_internal.h"
#include "sim/sim_scn.h"
#include "core/rp_str.h"
#include "core/rp_banned.h"

#define MIN RP_SIM_SCN_MIN
#define SEC 1000LL

static const char ua_attacker_cli[] =
    "aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0-26-generic exe/x86_64.ubuntu.22 prompt/off";
static const char ua_attacker_py[] =
    "Boto3/1.34.60 md/Botocore#1.34.60 ua/2.0 os/linux#6.5.0-26-generic md/arch#x86_64 "
    "lang/python#3.10.12 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.60";
static const char ua_kali[] =
    "aws-cli/2.13.25 Python/3.11.6 Linux/6.5.0-kali3-amd64 exe/x86_64.kali.2023 prompt/off";
static const char ua_parrot[] =
    "aws-cli/1.27.50 Python/3.11.2 Linux/6.5.0-13parrot1-amd64 botocore/1.29.50";
static const char login_to[] =
    "https://console.aws.amazon.com/console/home?hashArgs=%23&isauthcode=true&state="
    "hashArgsFromTB_us-east-1_c6a9e2f1b8d04e37";

/* ---- shared helpers ------------------------------------------------------------------------- */

static void rng_of(const struct rp_sim_run *run, const struct rp_sim_scenario *self,
                   struct rp_sim_rng *r)
{
    rp_sim_rng_initf(r, run->seed, "scn/%s", self->id);
}

static const char *acct_id(const struct rp_sim_world *w, uint32_t acct)
{
    return w->accounts[acct].res.id;
}

static bool human_kind(enum rp_sim_user_kind k)
{
    return k == RP_SIM_USER_ADMIN || k == RP_SIM_USER_DEVELOPER || k == RP_SIM_USER_READONLY ||
           k == RP_SIM_USER_SECURITY || k == RP_SIM_USER_DATA;
}

/* A person whose long-term key can leak: active first key, and not a developer or the backup
 * service user (the activity generators rotate their keys during the run, so the key named in
 * truth could be inactive by the time it is used) nor the CI bot. arg: account index or NULL
 * for any. */
static bool f_leakable(const struct rp_sim_run *run, uint32_t i, const void *arg)
{
    const struct rp_sim_user *u = &run->world->users[i];
    if (arg && u->res.acct != *(const uint32_t *)arg) return false;
    return human_kind(u->kind) && u->kind != RP_SIM_USER_DEVELOPER && u->nkeys > 0 &&
           u->keys[0].active;
}

static bool f_account_has_admin(const struct rp_sim_run *run, uint32_t i, const void *arg)
{
    (void)arg;
    return rp_sim_scn_user_of(run->world, i, RP_SIM_USER_ADMIN) != RP_SIM_NONE;
}

/* An actor for stolen admin-level credentials of account acct used from ip: an admin's access
 * key when one has a key, else an admin role session (assumed with the stolen session). */
static bool f_keyed_admin(const struct rp_sim_run *run, uint32_t i, const void *arg)
{
    const struct rp_sim_user *u = &run->world->users[i];
    return u->res.acct == *(const uint32_t *)arg && u->kind == RP_SIM_USER_ADMIN && u->nkeys &&
           u->keys[0].active;
}

static struct rp_sim_scn_actor *admin_attacker(const struct rp_sim_run *run,
                                               struct rp_sim_scn_ctplan *p, struct rp_sim_rng *r,
                                               uint32_t acct, const char *ip, const char *ua,
                                               uint8_t *ai, char *principal, size_t principal_sz)
{
    const struct rp_sim_world *w = run->world;
    uint32_t i = rp_sim_scn_pick(run, RP_SIM_K_USER, r, f_keyed_admin, &acct);
    if (i != RP_SIM_NONE) {
        const struct rp_sim_user *u = &w->users[i];
        struct rp_sim_scn_actor *a = rp_sim_scn_actor_add(p, RP_SIM_CT_IAM_USER, i, ai);
        rp_strlcpy(a->ip, ip, sizeof(a->ip));
        rp_strlcpy(a->ua, ua, sizeof(a->ua));
        rp_strlcpy(a->key, u->keys[0].id, sizeof(a->key));
        rp_strlcpy(principal, u->res.arn, principal_sz);
        return a;
    }
    uint32_t role = rp_sim_scn_role_of(w, acct, RP_SIM_ROLE_ADMIN);
    uint32_t user = rp_sim_scn_user_of(w, acct, RP_SIM_USER_ADMIN);
    struct rp_sim_scn_actor *a = rp_sim_scn_actor_add(p, RP_SIM_CT_ROLE, role, ai);
    rp_strlcpy(a->ip, ip, sizeof(a->ip));
    rp_strlcpy(a->ua, ua, sizeof(a->ua));
    rp_strlcpy(a->session, user != RP_SIM_NONE ? w->users[user].res.name : "admin",
               sizeof(a->session));
    rp_sim_fmt(principal, principal_sz, "arn:aws:sts::%s:assumed-role/%s/%s", acct_id(w, acct),
               role != RP_SIM_NONE ? w->roles[role].res.name : "admin", a->session);
    return a;
}

/* A leaked user key (f_leakable in acct, else anywhere) used from ip with ua. */
static struct rp_sim_scn_actor *leaked_user(const struct rp_sim_run *run,
                                            struct rp_sim_scn_ctplan *p, struct rp_sim_rng *r,
                                            const uint32_t *acct, const char *ip, const char *ua,
                                            uint8_t *ai, uint32_t *user)
{
    uint32_t u = rp_sim_scn_pick(run, RP_SIM_K_USER, r, f_leakable, acct);
    if (u == RP_SIM_NONE && acct) u = rp_sim_scn_pick(run, RP_SIM_K_USER, r, f_leakable, NULL);
    *user = u;
    if (u == RP_SIM_NONE) return NULL;
    struct rp_sim_scn_actor *a = rp_sim_scn_actor_add(p, RP_SIM_CT_IAM_USER, u, ai);
    rp_strlcpy(a->ip, ip, sizeof(a->ip));
    rp_strlcpy(a->ua, ua, sizeof(a->ua));
    rp_strlcpy(a->key, run->world->users[u].keys[0].id, sizeof(a->key));
    return a;
}

static const char *denied(struct rp_sim_run *run, const char *principal, const char *action,
                          const char *resource)
{
    return rp_sim_scn_printf(run,
                             "User: %s is not authorized to perform: %s on resource: %s because "
                             "no identity-based policy allows the %s action",
                             principal, action, resource, action);
}

/* S3 ListObjects (a data event) of bucket with prefix. */
static struct rp_sim_scn_call *s3_list(struct rp_sim_run *run, struct rp_sim_scn_ctplan *p,
                                       uint8_t a, int64_t ts, uint32_t bucket, const char *prefix)
{
    const struct rp_sim_world *w = run->world;
    const struct rp_sim_bucket *b = &w->buckets[bucket];
    struct rp_sim_scn_call *c =
        rp_sim_scn_call_add(run, p, a, ts, "s3.amazonaws.com", "ListObjects");
    c->data = true;
    c->region = b->res.region;
    c->params = rp_sim_scn_printf(run,
                                  "{\"list-type\":\"2\",\"bucketName\":\"%s\",\"Host\":\"%s.s3.%s."
                                  "amazonaws.com\",\"prefix\":\"%s\"}",
                                  b->res.name, b->res.name, w->regions[b->res.region], prefix);
    c->res_type[0] = "AWS::S3::Object";
    c->res_arn[0] = rp_sim_scn_printf(run, "%s/%s", b->res.arn, prefix);
    c->res_type[1] = "AWS::S3::Bucket";
    c->res_arn[1] = rp_sim_scn_dup(run, b->res.arn);
    c->res_acct[1] = rp_sim_scn_dup(run, w->accounts[b->res.acct].res.id);
    c->nres = 2;
    return c;
}

/* A management call on a bucket (GetBucketPolicy, PutBucketLogging, ...) with params_tail
 * appended after bucketName and Host (may be NULL). */
static struct rp_sim_scn_call *s3_bucket_call(struct rp_sim_run *run, struct rp_sim_scn_ctplan *p,
                                              uint8_t a, int64_t ts, const char *name,
                                              uint32_t bucket, const char *params_tail)
{
    const struct rp_sim_world *w = run->world;
    const struct rp_sim_bucket *b = &w->buckets[bucket];
    struct rp_sim_scn_call *c = rp_sim_scn_call_add(run, p, a, ts, "s3.amazonaws.com", name);
    c->region = b->res.region;
    c->params =
        rp_sim_scn_printf(run, "{\"bucketName\":\"%s\",\"Host\":\"%s.s3.%s.amazonaws.com\"%s%s}",
                          b->res.name, b->res.name, w->regions[b->res.region],
                          params_tail ? "," : "", params_tail ? params_tail : "");
    c->res_type[0] = "AWS::S3::Bucket";
    c->res_arn[0] = rp_sim_scn_dup(run, b->res.arn);
    c->res_acct[0] = rp_sim_scn_dup(run, w->accounts[b->res.acct].res.id);
    c->nres = 1;
    return c;
}

static struct rp_sim_scn_call *simple(struct rp_sim_run *run, struct rp_sim_scn_ctplan *p,
                                      uint8_t a, int64_t ts, const char *src, const char *name,
                                      const char *params)
{
    struct rp_sim_scn_call *c = rp_sim_scn_call_add(run, p, a, ts, src, name);
    c->params = params;
    return c;
}

/* "Jan 5, 2026, 3:04:05 PM": how IAM responses render dates in CloudTrail. */
static void java_date(int64_t ms, char *out, size_t outsz)
{
    static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    char iso[32];
    rp_sim_iso_s(ms, iso, sizeof(iso)); /* YYYY-MM-DDTHH:MM:SSZ */
    unsigned y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0;
    for (int i = 0; i < 4; i++) y = y * 10 + (unsigned)(iso[i] - '0');
    mo = (unsigned)(iso[5] - '0') * 10 + (unsigned)(iso[6] - '0');
    d = (unsigned)(iso[8] - '0') * 10 + (unsigned)(iso[9] - '0');
    h = (unsigned)(iso[11] - '0') * 10 + (unsigned)(iso[12] - '0');
    mi = (unsigned)(iso[14] - '0') * 10 + (unsigned)(iso[15] - '0');
    se = (unsigned)(iso[17] - '0') * 10 + (unsigned)(iso[18] - '0');
    unsigned h12 = h % 12 ? h % 12 : 12;
    rp_sim_fmt(out, outsz, "%s %u, %u, %u:%02u:%02u %s", mon[(mo + 11) % 12], d, y, h12, mi, se,
               h < 12 ? "AM" : "PM");
}

static struct rp_sim_truth truth_of(const struct rp_sim_scn_ctplan *p)
{
    struct rp_sim_truth t;
    memset(&t, 0, sizeof(t));
    t.start_ms = rp_sim_scn_ctplan_first(p);
    t.end_ms = rp_sim_scn_ctplan_last(p);
    return t;
}

#define LIST(t, field, arr)                                                                        \
    do {                                                                                           \
        (t).field = (arr);                                                                         \
        (t).n##field = RP_ARRAY_LEN(arr);                                                          \
    } while (0)

/* ---- ct-instance-credential-exfiltration ---------------------------------------------------- */

static bool f_profile_instance(const struct rp_sim_run *run, uint32_t i, const void *arg)
{
    (void)arg;
    const struct rp_sim_world *w = run->world;
    const struct rp_sim_instance *in = &w->instances[i];
    return in->profile_role != RP_SIM_NONE &&
           w->roles[in->profile_role].kind == RP_SIM_ROLE_INSTANCE_PROFILE &&
           strcmp(in->state, "running") == 0;
}

static uint32_t data_bucket_of(const struct rp_sim_world *w, uint32_t acct)
{
    for (uint32_t i = 0; i < w->nbuckets; i++)
        if (w->buckets[i].res.acct == acct && w->buckets[i].purpose == RP_SIM_BUCKET_DATA &&
            !w->buckets[i].res.deleted_ms)
            return i;
    return RP_SIM_NONE;
}

static rp_err plan_instance_cred(struct rp_sim_run *run, const struct rp_sim_scenario *self,
                                 struct rp_errbuf *eb)
{
    struct rp_sim_world *w = run->world;
    struct rp_sim_rng r;
    rng_of(run, self, &r);
    uint32_t inst = rp_sim_scn_pick(run, RP_SIM_K_INSTANCE, &r, f_profile_instance, NULL);
    int64_t t0 = 0;
    if (inst == RP_SIM_NONE || !rp_sim_scn_when(run, self, &r, 40 * MIN, &t0)) return RP_OK;
    const struct rp_sim_instance *in = &w->instances[inst];
    uint32_t role = in->profile_role, acct = in->res.acct;
    struct rp_sim_scn_ctplan *p = rp_sim_scn_ctplan_new(run, self);
    if (!p) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    char key[24], ip[RP_SIM_IP_SZ];
    rp_sim_id_iam(&r, "ASIA", key, sizeof(key));
    rp_sim_scn_outside_ip(&r, false, 0, ip);
    int64_t issued = t0 - rp_sim_rng_range(&r, 5, 50) * MIN;
    uint8_t a0 = 0, a1 = 0;
    struct rp_sim_scn_actor *a = rp_sim_scn_actor_add(p, RP_SIM_CT_ROLE, role, &a0);
    rp_strlcpy(a->session, in->res.id, sizeof(a->session));
    rp_strlcpy(a->key, key, sizeof(a->key));
    a->who.session_ms = issued;
    a->region = in->res.region;
    struct rp_sim_scn_actor *b = rp_sim_scn_actor_add(p, RP_SIM_CT_ROLE, role, &a1);
    *b = *a;
    rp_strlcpy(b->ip, ip, sizeof(b->ip));
    rp_strlcpy(b->ua, ua_attacker_cli, sizeof(b->ua));
    /* the instance's own calls with the credentials */
    simple(run, p, a0, t0, "ssm.amazonaws.com", "GetParameters",
           "{\"names\":[\"/app/config/db-host\",\"/app/config/db-user\"],\"withDecryption\":true}");
    simple(run, p, a0, t0 + 40 * SEC, "kms.amazonaws.com", "Decrypt",
           "{\"encryptionAlgorithm\":\"SYMMETRIC_DEFAULT\"}");
    simple(run, p, a0, t0 + 2 * MIN, "sts.amazonaws.com", "GetCallerIdentity", NULL);
    /* the same session key from outside AWS */
    char principal[RP_SIM_ARN_SZ];
    rp_sim_fmt(principal, sizeof(principal), "arn:aws:sts::%s:assumed-role/%s/%s", acct_id(w, acct),
               w->roles[role].res.name, in->res.id);
    int64_t t = t0 + rp_sim_rng_range(&r, 12, 18) * MIN;
    simple(run, p, a1, t, "sts.amazonaws.com", "GetCallerIdentity", NULL);
    t += rp_sim_rng_range(&r, 10, 40) * SEC;
    simple(run, p, a1, t, "s3.amazonaws.com", "ListBuckets", "{\"Host\":\"s3.amazonaws.com\"}");
    t += rp_sim_rng_range(&r, 10, 40) * SEC;
    simple(run, p, a1, t, "ec2.amazonaws.com", "DescribeInstances",
           "{\"instancesSet\":{},\"filterSet\":{}}");
    t += rp_sim_rng_range(&r, 10, 40) * SEC;
    struct rp_sim_scn_call *c =
        simple(run, p, a1, t, "iam.amazonaws.com", "ListRoles", "{\"maxItems\":100}");
    c->err = "AccessDenied";
    char res[RP_SIM_ARN_SZ];
    rp_sim_fmt(res, sizeof(res), "arn:aws:iam::%s:role/", acct_id(w, acct));
    c->errmsg = denied(run, principal, "iam:ListRoles", res);
    t += rp_sim_rng_range(&r, 10, 40) * SEC;
    simple(run, p, a1, t, "secretsmanager.amazonaws.com", "ListSecrets", "{\"maxResults\":100}");
    t += rp_sim_rng_range(&r, 10, 40) * SEC;
    simple(run, p, a1, t, "ssm.amazonaws.com", "DescribeParameters", "{\"maxResults\":50}");
    t += rp_sim_rng_range(&r, 10, 40) * SEC;
    simple(run, p, a1, t, "ec2.amazonaws.com", "DescribeSecurityGroups",
           "{\"securityGroupSet\":{},\"securityGroupIdSet\":{},\"filterSet\":{}}");
    uint32_t bucket = data_bucket_of(w, acct);
    if (bucket != RP_SIM_NONE) {
        t += rp_sim_rng_range(&r, 10, 40) * SEC;
        s3_list(run, p, a1, t, bucket, "");
        static const char *const keys[] = {"config/app.yaml", "exports/customers.csv.gz",
                                           "exports/orders-2025.csv.gz"};
        for (unsigned k = 0; k < RP_ARRAY_LEN(keys); k++) {
            t += rp_sim_rng_range(&r, 5, 30) * SEC;
            rp_sim_scn_call_s3obj(run, p, a1, t, "GetObject", bucket, keys[k],
                                  (uint64_t)rp_sim_rng_range(&r, 2000, 9000000), 0);
        }
    }
    t += rp_sim_rng_range(&r, 10, 40) * SEC;
    c = simple(run, p, a1, t, "iam.amazonaws.com", "GetAccountAuthorizationDetails", NULL);
    c->err = "AccessDenied";
    rp_sim_fmt(res, sizeof(res), "arn:aws:iam::%s:*", acct_id(w, acct));
    c->errmsg = denied(run, principal, "iam:GetAccountAuthorizationDetails", res);
    rp_err e = rp_sim_scn_ctplan_start(run, p, eb);
    if (e != RP_OK) return e;

    static const char *const gd[] = {
        "UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS"};
    struct rp_sim_scn_list ent = {0};
    rp_sim_scn_list_add(&ent, w->roles[role].res.arn);
    rp_sim_scn_list_add(&ent, in->res.id);
    rp_sim_scn_list_add(&ent, key);
    rp_sim_scn_list_add(&ent, ip);
    struct rp_sim_truth tr = truth_of(p);
    LIST(tr, guardduty, gd);
    tr.entities = ent.p;
    tr.nentities = ent.n;
    tr.note = "instance-profile session (principal suffix is the instance id) used from an "
              "address outside AWS after normal use from the instance";
    return rp_sim_scn_truth_add(run, self, &tr, eb);
}

const struct rp_sim_scenario rp_sim_scn_ct_instance_credential_exfiltration = {
    .id = "ct-instance-credential-exfiltration",
    .summary = "EC2 instance-role credentials used from an address outside AWS",
    .kind = RP_SIM_SCN_THREAT,
    .mitre = "T1552.005",
    .plan = plan_instance_cred,
    .expects = RP_SIM_EXPECTS(
        "GuardDuty:UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS"),
};

/* ---- ct-console-login-far-away -------------------------------------------------------------- */

static bool f_console_user(const struct rp_sim_run *run, uint32_t i, const void *arg)
{
    const struct rp_sim_user *u = &run->world->users[i];
    bool want_no_mfa = arg != NULL;
    return human_kind(u->kind) && u->habits.console && u->console_password && u->habits.nips &&
           (!want_no_mfa || !u->mfa);
}

static rp_err plan_console_far(struct rp_sim_run *run, const struct rp_sim_scenario *self,
                               struct rp_errbuf *eb)
{
    struct rp_sim_world *w = run->world;
    struct rp_sim_rng r;
    rng_of(run, self, &r);
    static const bool no_mfa = true;
    uint32_t user = rp_sim_scn_pick(run, RP_SIM_K_USER, &r, f_console_user, &no_mfa);
    if (user == RP_SIM_NONE) user = rp_sim_scn_pick(run, RP_SIM_K_USER, &r, f_console_user, NULL);
    int64_t t0 = 0;
    if (user == RP_SIM_NONE || !rp_sim_scn_when(run, self, &r, 50 * MIN, &t0)) return RP_OK;
    const struct rp_sim_user *u = &w->users[user];
    struct rp_sim_scn_ctplan *p = rp_sim_scn_ctplan_new(run, self);
    if (!p) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    char far[RP_SIM_IP_SZ];
    rp_sim_scn_outside_ip(&r, true, u->habits.tz_offset_min, far);
    int64_t t1 = t0 + rp_sim_rng_range(&r, 8, 25) * MIN;
    uint8_t l0 = 0, c0 = 0, l1 = 0, c1 = 0;
    struct rp_sim_scn_actor *a = rp_sim_scn_actor_add(p, RP_SIM_CT_IAM_USER, user, &l0);
    rp_strlcpy(a->ip, u->habits.ips[0], sizeof(a->ip));
    a->region = u->habits.region;
    struct rp_sim_scn_actor *b = rp_sim_scn_actor_add(p, RP_SIM_CT_IAM_USER, user, &c0);
    *b = *a;
    b->who.console = true;
    b->who.session_ms = t0;
    a = rp_sim_scn_actor_add(p, RP_SIM_CT_IAM_USER, user, &l1);
    rp_strlcpy(a->ip, far, sizeof(a->ip));
    rp_strlcpy(a->ua,
               "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
               "Chrome/121.0.0.0 Safari/537.36",
               sizeof(a->ua));
    a->region = u->habits.region;
    b = rp_sim_scn_actor_add(p, RP_SIM_CT_IAM_USER, user, &c1);
    *b = *a;
    b->who.console = true;
    b->who.session_ms = t1;
    rp_sim_fmt(b->ua, sizeof(b->ua), "AWS Internal");

    const char *add =
        rp_sim_scn_printf(run, "{\"LoginTo\":\"%s\",\"MobileVersion\":\"No\",\"MFAUsed\":\"%s\"}",
                          login_to, u->mfa ? "Yes" : "No");
    struct rp_sim_scn_call *c =
        rp_sim_scn_call_add(run, p, l0, t0, "signin.amazonaws.com", "ConsoleLogin");
    c->resp = "{\"ConsoleLogin\":\"Success\"}";
    c->add = add;
    simple(run, p, c0, t0 + rp_sim_rng_range(&r, 30, 90) * SEC, "ec2.amazonaws.com",
           "DescribeInstances", "{\"instancesSet\":{},\"filterSet\":{}}");
    simple(run, p, c0, t0 + rp_sim_rng_range(&r, 120, 300) * SEC, "cloudtrail.amazonaws.com",
           "LookupEvents", "{\"maxResults\":50}");
    c = rp_sim_scn_call_add(run, p, l1, t1, "signin.amazonaws.com", "ConsoleLogin");
    c->resp = "{\"ConsoleLogin\":\"Success\"}";
    c->add = add;
    int64_t t = t1;
    static const char *const calls[][3] = {
        {"iam.amazonaws.com", "ListUsers", "{\"maxItems\":100}"},
        {"iam.amazonaws.com", "ListAccessKeys", NULL},
        {"s3.amazonaws.com", "ListBuckets", "{\"Host\":\"s3.amazonaws.com\"}"},
        {"secretsmanager.amazonaws.com", "ListSecrets", "{\"maxResults\":100}"},
        {"iam.amazonaws.com", "GetAccountSummary", NULL}};
    for (unsigned k = 0; k < RP_ARRAY_LEN(calls); k++) {
        t += rp_sim_rng_range(&r, 20, 120) * SEC;
        const char *params = calls[k][2];
        if (!params && strcmp(calls[k][1], "ListAccessKeys") == 0)
            params = rp_sim_scn_printf(run, "{\"userName\":\"%s\"}", u->res.name);
        simple(run, p, c1, t, calls[k][0], calls[k][1], params);
    }
    rp_err e = rp_sim_scn_ctplan_start(run, p, eb);
    if (e != RP_OK) return e;
    static const char *const gd[] = {"UnauthorizedAccess:IAMUser/ConsoleLoginSuccess.B"};
    struct rp_sim_scn_list ent = {0};
    rp_sim_scn_list_add(&ent, u->res.arn);
    rp_sim_scn_list_add(&ent, u->habits.ips[0]);
    rp_sim_scn_list_add(&ent, far);
    struct rp_sim_truth tr = truth_of(p);
    LIST(tr, guardduty, gd);
    tr.entities = ent.p;
    tr.nentities = ent.n;
    tr.note = "second successful console login of the same user from a far-away network the "
              "user never used, minutes after a login from the usual address";
    return rp_sim_scn_truth_add(run, self, &tr, eb);
}

const struct rp_sim_scenario rp_sim_scn_ct_console_login_far_away = {
    .id = "ct-console-login-far-away",
    .summary = "console login from a new, distant network right after a normal one",
    .kind = RP_SIM_SCN_THREAT,
    .mitre = "T1078.004",
    .plan = plan_console_far,
    .expects = RP_SIM_EXPECTS("GuardDuty:UnauthorizedAccess:IAMUser/ConsoleLoginSuccess.B"),
};

/* ---- ct-root-credential-usage --------------------------------------------------------------- */

static rp_err plan_root(struct rp_sim_run *run, const struct rp_sim_scenario *self,
                        struct rp_errbuf *eb)
{
    struct rp_sim_world *w = run->world;
    struct rp_sim_rng r;
    rng_of(run, self, &r);
    uint32_t acct = rp_sim_scn_pick(run, RP_SIM_K_ACCOUNT, &r, f_account_has_admin, NULL);
    int64_t t0 = 0;
    if (acct == RP_SIM_NONE || !rp_sim_scn_when(run, self, &r, 20 * MIN, &t0)) return RP_OK;
    struct rp_sim_scn_ctplan *p = rp_sim_scn_ctplan_new(run, self);
    if (!p) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    uint8_t l = 0, c = 0;
    struct rp_sim_scn_actor *a = rp_sim_scn_actor_add(p, RP_SIM_CT_ROOT, acct, &l);
    struct rp_sim_scn_actor *b = rp_sim_scn_actor_add(p, RP_SIM_CT_ROOT, acct, &c);
    *b = *a;
    b->who.console = true;
    b->who.session_ms = t0;
    struct rp_sim_scn_call *k =
        rp_sim_scn_call_add(run, p, l, t0, "signin.amazonaws.com", "ConsoleLogin");
    k->resp = "{\"ConsoleLogin\":\"Success\"}";
    k->add =
        rp_sim_scn_printf(run, "{\"LoginTo\":\"%s\",\"MobileVersion\":\"No\",\"MFAUsed\":\"%s\"}",
                          login_to, w->accounts[acct].root_mfa ? "Yes" : "No");
    static const char *const calls[][3] = {
        {"iam.amazonaws.com", "GetAccountSummary", NULL},
        {"iam.amazonaws.com", "ListUsers", "{\"maxItems\":100}"},
        {"account.amazonaws.com", "GetContactInformation", NULL},
        {"ce.amazonaws.com", "GetCostAndUsage",
         "{\"granularity\":\"MONTHLY\",\"metrics\":[\"UnblendedCost\"]}"},
        {"s3.amazonaws.com", "ListBuckets", "{\"Host\":\"s3.amazonaws.com\"}"}};
    int64_t t = t0;
    for (unsigned i = 0; i < RP_ARRAY_LEN(calls); i++) {
        t += rp_sim_rng_range(&r, 30, 150) * SEC;
        struct rp_sim_scn_call *x = simple(run, p, c, t, calls[i][0], calls[i][1], calls[i][2]);
        if (strcmp(calls[i][0], "ce.amazonaws.com") == 0 ||
            strcmp(calls[i][0], "account.amazonaws.com") == 0)
            x->region = rp_sim_ct_global_region(w);
    }
    rp_err e = rp_sim_scn_ctplan_start(run, p, eb);
    if (e != RP_OK) return e;
    static const char *const gd[] = {"Policy:IAMUser/RootCredentialUsage"};
    struct rp_sim_scn_list ent = {0};
    rp_sim_scn_list_add(&ent, w->accounts[acct].res.arn);
    struct rp_sim_truth tr = truth_of(p);
    LIST(tr, guardduty, gd);
    tr.entities = ent.p;
    tr.nentities = ent.n;
    tr.note = "root console sign-in followed by API calls with the root session";
    return rp_sim_scn_truth_add(run, self, &tr, eb);
}

const struct rp_sim_scenario rp_sim_scn_ct_root_credential_usage = {
    .id = "ct-root-credential-usage",
    .summary = "the root user signs in and calls APIs",
    .kind = RP_SIM_SCN_THREAT,
    .mitre = "T1078.004",
    .plan = plan_root,
    .expects = RP_SIM_EXPECTS("GuardDuty:Policy:IAMUser/RootCredentialUsage"),
};

/* ---- ct-cloudtrail-stop-logging / ct-cloudtrail-trail-deleted -------------------------------- */

struct trail_ctx {
    uint32_t trail;
    uint32_t new_trail;
};

static uint32_t trail_of(const struct rp_sim_world *w, uint32_t acct)
{
    for (uint32_t i = 0; i < w->ntrails; i++)
        if (w->trails[i].res.acct == acct && !w->trails[i].res.deleted_ms && w->trails[i].logging)
            return i;
    return RP_SIM_NONE;
}

static bool f_account_with_trail(const struct rp_sim_run *run, uint32_t i, const void *arg)
{
    (void)arg;
    return trail_of(run->world, i) != RP_SIM_NONE &&
           rp_sim_scn_user_of(run->world, i, RP_SIM_USER_ADMIN) != RP_SIM_NONE;
}

/* The account's security (else admin) user, who answers alerts from a usual address. */
static struct rp_sim_scn_actor *responder(const struct rp_sim_run *run, struct rp_sim_scn_ctplan *p,
                                          uint32_t acct, uint8_t *ai)
{
    const struct rp_sim_world *w = run->world;
    uint32_t u = rp_sim_scn_user_of(w, acct, RP_SIM_USER_SECURITY);
    if (u == RP_SIM_NONE) u = rp_sim_scn_user_of(w, acct, RP_SIM_USER_ADMIN);
    struct rp_sim_scn_actor *a = rp_sim_scn_actor_add(p, RP_SIM_CT_IAM_USER, u, ai);
    if (u != RP_SIM_NONE && w->users[u].habits.nips)
        rp_strlcpy(a->ip, w->users[u].habits.ips[0], sizeof(a->ip));
    return a;
}

enum { TAG_STOP = 1, TAG_START, TAG_DELETE, TAG_CREATE };

static rp_err trail_hook(struct rp_sim_run *run, void *ctx, int tag, int64_t ts,
                         const char *event_id, struct rp_errbuf *eb)
{
    struct trail_ctx *c = ctx;
    struct rp_sim_world *w = run->world;
    switch (tag) {
    case TAG_STOP:
        w->trails[c->trail].logging = false;
        return rp_sim_world_changed(run, (struct rp_sim_ref){RP_SIM_K_TRAIL, c->trail}, ts,
                                    RP_SIM_CHANGE_UPDATE, event_id, eb);
    case TAG_START:
        w->trails[c->trail].logging = true;
        return rp_sim_world_changed(run, (struct rp_sim_ref){RP_SIM_K_TRAIL, c->trail}, ts,
                                    RP_SIM_CHANGE_UPDATE, event_id, eb);
    case TAG_DELETE:
        w->trails[c->trail].res.deleted_ms = ts;
        return rp_sim_world_changed(run, (struct rp_sim_ref){RP_SIM_K_TRAIL, c->trail}, ts,
                                    RP_SIM_CHANGE_DELETE, event_id, eb);
    case TAG_CREATE: {
        uint32_t idx = 0;
        struct rp_sim_trail *nt = rp_sim_world_add(w, RP_SIM_K_TRAIL, &idx);
        if (!nt) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
        *nt = w->trails[c->trail];
        nt->res.created_ms = ts;
        nt->res.deleted_ms = 0;
        nt->res.marks |= RP_SIM_MARK_SCENARIO;
        nt->logging = true;
        c->new_trail = idx;
        return rp_sim_world_changed(run, (struct rp_sim_ref){RP_SIM_K_TRAIL, idx}, ts,
                                    RP_SIM_CHANGE_CREATE, event_id, eb);
    }
    default:
        return RP_OK;
    }
}

static rp_err plan_trail(struct rp_sim_run *run, const struct rp_sim_scenario *self, bool del,
                         struct rp_errbuf *eb)
{
    struct rp_sim_world *w = run->world;
    struct rp_sim_rng r;
    rng_of(run, self, &r);
    uint32_t acct = rp_sim_scn_pick(run, RP_SIM_K_ACCOUNT, &r, f_account_with_trail, NULL);
    int64_t t0 = 0;
    if (acct == RP_SIM_NONE || !rp_sim_scn_when(run, self, &r, 25 * MIN, &t0)) return RP_OK;
    struct trail_ctx *ctx = rp_sim_scn_alloc(run, sizeof(*ctx));
    struct rp_sim_scn_ctplan *p = rp_sim_scn_ctplan_new(run, self);
    if (!ctx || !p) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    ctx->trail = trail_of(w, acct);
    ctx->new_trail = RP_SIM_NONE;
    p->hook = trail_hook;
    p->hook_ctx = ctx;
    const struct rp_sim_trail *tr = &w->trails[ctx->trail];
    char ip[RP_SIM_IP_SZ], principal[RP_SIM_ARN_SZ];
    rp_sim_scn_outside_ip(&r, false, 0, ip);
    uint8_t a = 0, s = 0;
    admin_attacker(run, p, &r, acct, ip, ua_attacker_cli, &a, principal, sizeof(principal));
    responder(run, p, acct, &s);
    uint32_t region = tr->res.region;
    const char *name_param = rp_sim_scn_printf(run, "{\"name\":\"%s\"}", tr->res.arn);
    struct rp_sim_scn_call *c = simple(run, p, a, t0, "cloudtrail.amazonaws.com", "DescribeTrails",
                                       "{\"includeShadowTrails\":true}");
    c->region = region;
    int64_t t = t0 + rp_sim_rng_range(&r, 15, 60) * SEC;
    c = simple(run, p, a, t, "cloudtrail.amazonaws.com", "GetTrailStatus", name_param);
    c->region = region;
    t += rp_sim_rng_range(&r, 15, 60) * SEC;
    int64_t t_stop = t;
    if (!del) {
        c = simple(run, p, a, t, "cloudtrail.amazonaws.com", "StopLogging", name_param);
        c->region = region;
        c->tag = TAG_STOP;
        /* automated remediation through the security team a few minutes later */
        t += rp_sim_rng_range(&r, 150, 300) * SEC;
        c = simple(run, p, s, t, "cloudtrail.amazonaws.com", "StartLogging", name_param);
        c->region = region;
        rp_sim_scn_call_hook_first(p, c, TAG_START);
    } else {
        c = simple(run, p, a, t, "cloudtrail.amazonaws.com", "DeleteTrail", name_param);
        c->region = region;
        c->tag = TAG_DELETE;
        t += rp_sim_rng_range(&r, 6, 12) * MIN;
        char params[1024];
        rp_sim_fmt(params, sizeof(params),
                   "{\"name\":\"%s\",\"s3BucketName\":\"%s\",\"includeGlobalServiceEvents\":%s,"
                   "\"isMultiRegionTrail\":%s,\"enableLogFileValidation\":%s%s%s%s}",
                   tr->res.name, tr->bucket != RP_SIM_NONE ? w->buckets[tr->bucket].res.name : "",
                   tr->global_events ? "true" : "false", tr->multi_region ? "true" : "false",
                   tr->validation ? "true" : "false",
                   tr->kms != RP_SIM_NONE ? ",\"kmsKeyId\":\"" : "",
                   tr->kms != RP_SIM_NONE ? w->kms_keys[tr->kms].res.arn : "",
                   tr->kms != RP_SIM_NONE ? "\"" : "");
        c = simple(run, p, s, t, "cloudtrail.amazonaws.com", "CreateTrail",
                   rp_sim_scn_printf(run, "%s", params));
        c->region = region;
        rp_sim_scn_call_hook_first(p, c, TAG_CREATE);
        t += rp_sim_rng_range(&r, 10, 40) * SEC;
        c = simple(run, p, s, t, "cloudtrail.amazonaws.com", "StartLogging", name_param);
        c->region = region;
    }
    rp_err e = rp_sim_scn_ctplan_start(run, p, eb);
    if (e != RP_OK) return e;
    static const char *const gd[] = {"Stealth:IAMUser/CloudTrailLoggingDisabled"};
    struct rp_sim_scn_list ent = {0};
    rp_sim_scn_list_add(&ent, tr->res.arn);
    rp_sim_scn_list_add(&ent, principal);
    rp_sim_scn_list_add(&ent, ip);
    struct rp_sim_truth t_ = truth_of(p);
    t_.start_ms = t_stop;
    LIST(t_, guardduty, gd);
    t_.entities = ent.p;
    t_.nentities = ent.n;
    t_.note = del ? "the account's trail is deleted with stolen admin credentials and recreated "
                    "by the security team; records of the account between are not delivered"
                  : "logging of the account's trail is stopped with stolen admin credentials and "
                    "restarted minutes later; records of the account between are not delivered";
    return rp_sim_scn_truth_add(run, self, &t_, eb);
}

static rp_err plan_stop_logging(struct rp_sim_run *run, const struct rp_sim_scenario *self,
                                struct rp_errbuf *eb)
{
    return plan_trail(run, self, false, eb);
}

static rp_err plan_delete_trail(struct rp_sim_run *run, const struct rp_sim_scenario *self,
                                struct rp_errbuf *eb)
{
    return plan_trail(run, self, true, eb);
}

const struct rp_sim_scenario rp_sim_scn_ct_cloudtrail_stop_logging = {
    .id = "ct-cloudtrail-stop-logging",
    .summary = "StopLogging on the account's trail with stolen admin credentials",
    .kind = RP_SIM_SCN_THREAT,
    .mitre = "T1562.008",
    .plan = plan_stop_logging,
    .expects = RP_SIM_EXPECTS("GuardDuty:Stealth:IAMUser/CloudTrailLoggingDisabled"),
};

const struct rp_sim_scenario rp_sim_scn_ct_cloudtrail_trail_deleted = {
    .id = "ct-cloudtrail-trail-deleted",
    .summary = "DeleteTrail on the account's trail with stolen admin credentials",
    .kind = RP_SIM_SCN_THREAT,
    .mitre = "T1562.008",
    .plan = plan_delete_trail,
    .expects = RP_SIM_EXPECTS("GuardDuty:Stealth:IAMUser/CloudTrailLoggingDisabled"),
};

/* ---- ct-password-policy-weakened ------------------------------------------------------------ */

struct acct_ctx {
    uint32_t acct;
};

static rp_err pwpolicy_hook(struct rp_sim_run *run, void *ctx, int tag, int64_t ts,
                            const char *event_id, struct rp_errbuf *eb)
{
    (void)tag;
    struct acct_ctx *c = ctx;
    struct rp_sim_password_policy *pp = &run->world->accounts[c->acct].pwpolicy;
    pp->present = true;
    pp->min_length = 6;
    pp->require_symbols = false;
    pp->require_numbers = false;
    pp->require_upper = false;
    pp->require_lower = true;
    pp->allow_users_to_change = true;
    pp->max_age_days = 0;
    pp->reuse_prevention = 0;
    pp->hard_expiry = false;
    return rp_sim_world_changed(run, (struct rp_sim_ref){RP_SIM_K_ACCOUNT, c->acct}, ts,
                                RP_SIM_CHANGE_UPDATE, event_id, eb);
}

static bool f_strong_policy(const struct rp_sim_run *run, uint32_t i, const void *arg)
{
    (void)arg;
    const struct rp_sim_account *a = &run->world->accounts[i];
    return a->pwpolicy.present && a->pwpolicy.min_length >= 14 && a->pwpolicy.require_symbols &&
           rp_sim_scn_user_of(run->world, i, RP_SIM_USER_ADMIN) != RP_SIM_NONE;
}

static rp_err plan_pwpolicy(struct rp_sim_run *run, const struct rp_sim_scenario *self,
                            struct rp_errbuf *eb)
{
    struct rp_sim_world *w = run->world;
    struct rp_sim_rng r;
    rng_of(run, self, &r);
    uint32_t acct = rp_sim_scn_pick(run, RP_SIM_K_ACCOUNT, &r, f_strong_policy, NULL);
    if (acct == RP_SIM_NONE)
        acct = rp_sim_scn_pick(run, RP_SIM_K_ACCOUNT, &r, f_account_has_admin, NULL);
    int64_t t0 = 0;
    if (acct == RP_SIM_NONE || !rp_sim_scn_when(run, self, &r, 10 * MIN, &t0)) return RP_OK;
    struct acct_ctx *ctx = rp_sim_scn_alloc(run, sizeof(*ctx));
    struct rp_sim_scn_ctplan *p = rp_sim_scn_ctplan_new(run, self);
    if (!ctx || !p) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    ctx->acct = acct;
    p->hook = pwpolicy_hook;
    p->hook_ctx = ctx;
    char ip[RP_SIM_IP_SZ], principal[RP_SIM_ARN_SZ];
    rp_sim_scn_outside_ip(&r, false, 0, ip);
    uint8_t a = 0;
    admin_attacker(run, p, &r, acct, ip, ua_attacker_cli, &a, principal, sizeof(principal));
    simple(run, p, a, t0, "iam.amazonaws.com", "GetAccountPasswordPolicy", NULL);
    struct rp_sim_scn_call *c =
        simple(run, p, a, t0 + rp_sim_rng_range(&r, 20, 90) * SEC, "iam.amazonaws.com",
               "UpdateAccountPasswordPolicy",
               "{\"minimumPasswordLength\":6,\"requireSymbols\":false,\"requireNumbers\":false,"
               "\"requireUppercaseCharacters\":false,\"requireLowercaseCharacters\":true,"
               "\"allowUsersToChangePassword\":true,\"passwordReusePrevention\":0}");
    c->tag = 1;
    rp_err e = rp_sim_scn_ctplan_start(run, p, eb);
    if (e != RP_OK) return e;
    static const char *const gd[] = {"Stealth:IAMUser/PasswordPolicyChange"};
    static const char *const cfg[] = {"IAM_PASSWORD_POLICY"};
    struct rp_sim_scn_list ent = {0};
    rp_sim_scn_list_add(&ent, w->accounts[acct].res.id);
    rp_sim_scn_list_add(&ent, principal);
    rp_sim_scn_list_add(&ent, ip);
    struct rp_sim_truth tr = truth_of(p);
    tr.end_ms = run->end_ms;
    LIST(tr, guardduty, gd);
    LIST(tr, config_rules, cfg);
    tr.entities = ent.p;
    tr.nentities = ent.n;
    tr.note = "password policy weakened to 6 characters without symbols, numbers, expiry or "
              "reuse prevention (Trusted Advisor Yw2K9puPzl); the weak policy stays until the "
              "end of the period";
    return rp_sim_scn_truth_add(run, self, &tr, eb);
}

const struct rp_sim_scenario rp_sim_scn_ct_password_policy_weakened = {
    .id = "ct-password-policy-weakened",
    .summary = "the account password policy is weakened with stolen admin credentials",
    .kind = RP_SIM_SCN_THREAT,
    .mitre = "T1556",
    .plan = plan_pwpolicy,
    .expects = RP_SIM_EXPECTS("GuardDuty:Stealth:IAMUser/PasswordPolicyChange",
                              "Config:IAM_PASSWORD_POLICY"),
};

/* ---- ct-s3-bucket-made-public --------------------------------------------------------------- */

struct bucket_ctx {
    uint32_t bucket;
    const char *policy;
};

enum { TAG_BPA_OFF = 1, TAG_POLICY_PUBLIC, TAG_ACL_PUBLIC, TAG_LOGGING_OFF };

static rp_err bucket_hook(struct rp_sim_run *run, void *ctx, int tag, int64_t ts,
                          const char *event_id, struct rp_errbuf *eb)
{
    struct bucket_ctx *c = ctx;
    struct rp_sim_world *w = run->world;
    struct rp_sim_bucket *b = &w->buckets[c->bucket];
    switch (tag) {
    case TAG_BPA_OFF:
        b->bpa_set = true;
        for (int i = 0; i < 4; i++) b->bpa[i] = false;
        break;
    case TAG_POLICY_PUBLIC:
        b->policy_public = true;
        b->policy_override = rp_sim_world_strdup(w, c->policy);
        if (!b->policy_override) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
        break;
    case TAG_ACL_PUBLIC:
        b->acl_public_read = true;
        break;
    case TAG_LOGGING_OFF:
        b->log_target = RP_SIM_NONE;
        b->log_prefix[0] = '\0';
        break;
    default:
        return RP_OK;
    }
    b->res.marks |= RP_SIM_MARK_SCENARIO;
    return rp_sim_world_changed(run, (struct rp_sim_ref){RP_SIM_K_BUCKET, c->bucket}, ts,
                                RP_SIM_CHANGE_UPDATE, event_id, eb);
}

/* A data or shared bucket whose account does not block public policies. */
static bool f_policy_exposable(const struct rp_sim_run *run, uint32_t i, const void *arg)
{
    const struct rp_sim_world *w = run->world;
    const struct rp_sim_bucket *b = &w->buckets[i];
    const struct rp_sim_account *a = &w->accounts[b->res.acct];
    bool strict = arg != NULL;
    if (b->purpose != RP_SIM_BUCKET_DATA && b->purpose != RP_SIM_BUCKET_SHARED) return false;
    return !strict ||
           (!a->bpa[RP_SIM_BPA_BLOCK_PUBLIC_POLICY] && !a->bpa[RP_SIM_BPA_RESTRICT_PUBLIC_BUCKETS]);
}

static rp_err plan_bucket_public(struct rp_sim_run *run, const struct rp_sim_scenario *self,
                                 struct rp_errbuf *eb)
{
    struct rp_sim_world *w = run->world;
    struct rp_sim_rng r;
    rng_of(run, self, &r);
    static const bool strict = true;
    uint32_t bucket = rp_sim_scn_pick(run, RP_SIM_K_BUCKET, &r, f_policy_exposable, &strict);
    if (bucket == RP_SIM_NONE)
        bucket = rp_sim_scn_pick(run, RP_SIM_K_BUCKET, &r, f_policy_exposable, NULL);
    int64_t t0 = 0;
    if (bucket == RP_SIM_NONE || !rp_sim_scn_when(run, self, &r, 15 * MIN, &t0)) return RP_OK;
    const struct rp_sim_bucket *b = &w->buckets[bucket];
    uint32_t acct = b->res.acct;
    struct bucket_ctx *ctx = rp_sim_scn_alloc(run, sizeof(*ctx));
    struct rp_sim_scn_ctplan *p = rp_sim_scn_ctplan_new(run, self);
    if (!ctx || !p) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    ctx->bucket = bucket;
    ctx->policy = rp_sim_scn_printf(run,
                                    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":"
                                    "\"PublicRead\",\"Effect\":\"Allow\",\"Principal\":\"*\","
                                    "\"Action\":\"s3:GetObject\",\"Resource\":\"%s/*\"}]}",
                                    b->res.arn);
    p->hook = bucket_hook;
    p->hook_ctx = ctx;
    char ip[RP_SIM_IP_SZ], principal[RP_SIM_ARN_SZ];
    rp_sim_scn_outside_ip(&r, false, 0, ip);
    uint8_t a = 0;
    uint32_t user = RP_SIM_NONE;
    if (leaked_user(run, p, &r, &acct, ip, ua_attacker_cli, &a, &user) &&
        w->users[user].res.acct == acct)
        rp_strlcpy(principal, w->users[user].res.arn, sizeof(principal));
    else {
        p->nactors = 0;
        admin_attacker(run, p, &r, acct, ip, ua_attacker_cli, &a, principal, sizeof(principal));
    }
    int64_t t = t0;
    s3_bucket_call(run, p, a, t, "GetBucketPolicy", bucket, "\"policy\":\"\"");
    t += rp_sim_rng_range(&r, 10, 40) * SEC;
    s3_bucket_call(run, p, a, t, "GetBucketPublicAccessBlock", bucket,
                   "\"publicAccessBlock\":\"\"");
    t += rp_sim_rng_range(&r, 10, 40) * SEC;
    struct rp_sim_scn_call *c = s3_bucket_call(
        run, p, a, t, "PutBucketPublicAccessBlock", bucket,
        "\"PublicAccessBlockConfiguration\":{\"xmlns\":\"http://s3.amazonaws.com/doc/2006-03-01/\","
        "\"RestrictPublicBuckets\":false,\"BlockPublicPolicy\":false,\"BlockPublicAcls\":false,"
        "\"IgnorePublicAcls\":false},\"publicAccessBlock\":\"\"");
    c->tag = TAG_BPA_OFF;
    t += rp_sim_rng_range(&r, 20, 90) * SEC;
    c = s3_bucket_call(run, p, a, t, "PutBucketPolicy", bucket,
                       rp_sim_scn_printf(run, "\"bucketPolicy\":%s,\"policy\":\"\"", ctx->policy));
    c->tag = TAG_POLICY_PUBLIC;
    rp_err e = rp_sim_scn_ctplan_start(run, p, eb);
    if (e != RP_OK) return e;
    static const char *const gd[] = {"Policy:S3/BucketBlockPublicAccessDisabled",
                                     "Policy:S3/BucketAnonymousAccessGranted"};
    static const char *const cfg[] = {"S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED",
                                      "S3_BUCKET_PUBLIC_READ_PROHIBITED"};
    static const char *const macie[] = {"Policy:IAMUser/S3BlockPublicAccessDisabled",
                                        "Policy:IAMUser/S3BucketPublic"};
    struct rp_sim_scn_list ent = {0};
    rp_sim_scn_list_add(&ent, b->res.arn);
    rp_sim_scn_list_add(&ent, principal);
    rp_sim_scn_list_add(&ent, ip);
    struct rp_sim_truth tr = truth_of(p);
    tr.end_ms = run->end_ms;
    LIST(tr, guardduty, gd);
    LIST(tr, config_rules, cfg);
    LIST(tr, macie, macie);
    tr.entities = ent.p;
    tr.nentities = ent.n;
    tr.note = "bucket-level Block Public Access removed and a policy granting s3:GetObject to "
              "everyone put, with a leaked key from an unknown address; stays public";
    return rp_sim_scn_truth_add(run, self, &tr, eb);
}

const struct rp_sim_scenario rp_sim_scn_ct_s3_bucket_made_public = {
    .id = "ct-s3-bucket-made-public",
    .summary = "bucket Block Public Access disabled and a public bucket policy put",
    .kind = RP_SIM_SCN_THREAT,
    .mitre = "T1530",
    .plan = plan_bucket_public,
    .expects = RP_SIM_EXPECTS("GuardDuty:Policy:S3/BucketBlockPublicAccessDisabled",
                              "GuardDuty:Policy:S3/BucketAnonymousAccessGranted",
                              "Config:S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED",
                              "Config:S3_BUCKET_PUBLIC_READ_PROHIBITED",
                              "Macie:Policy:IAMUser/S3BlockPublicAccessDisabled",
                              "Macie:Policy:IAMUser/S3BucketPublic"),
};

/* ---- ct-s3-access-logging-disabled ---------------------------------------------------------- */

static bool f_logged_bucket(const struct rp_sim_run *run, uint32_t i, const void *arg)
{
    (void)arg;
    return run->world->buckets[i].log_target != RP_SIM_NONE;
}

static rp_err plan_access_logging(struct rp_sim_run *run, const struct rp_sim_scenario *self,
                                  struct rp_errbuf *eb)
{
    struct rp_sim_world *w = run->world;
    struct rp_sim_rng r;
    rng_of(run, self, &r);
    uint32_t bucket = rp_sim_scn_pick(run, RP_SIM_K_BUCKET, &r, f_logged_bucket, NULL);
    int64_t t0 = 0;
    if (bucket == RP_SIM_NONE || !rp_sim_scn_when(run, self, &r, 10 * MIN, &t0)) return RP_OK;
    const struct rp_sim_bucket *b = &w->buckets[bucket];
    uint32_t acct = b->res.acct;
    struct bucket_ctx *ctx = rp_sim_scn_alloc(run, sizeof(*ctx));
    struct rp_sim_scn_ctplan *p = rp_sim_scn_ctplan_new(run, self);
    if (!ctx || !p) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    ctx->bucket = bucket;
    p->hook = bucket_hook;
    p->hook_ctx = ctx;
    char ip[RP_SIM_IP_SZ], principal[RP_SIM_ARN_SZ];
    rp_sim_scn_outside_ip(&r, false, 0, ip);
    uint8_t a = 0;
    admin_attacker(run, p, &r, acct, ip, ua_attacker_py, &a, principal, sizeof(principal));
    s3_bucket_call(run, p, a, t0, "GetBucketLogging", bucket, "\"logging\":\"\"");
    struct rp_sim_scn_call *c = s3_bucket_call(
        run, p, a, t0 + rp_sim_rng_range(&r, 10, 60) * SEC, "PutBucketLogging", bucket,
        "\"BucketLoggingStatus\":{\"xmlns\":\"http://s3.amazonaws.com/doc/"
        "2006-03-01/\"},\"logging\":\"\"");
    c->tag = TAG_LOGGING_OFF;
    rp_err e = rp_sim_scn_ctplan_start(run, p, eb);
    if (e != RP_OK) return e;
    static const char *const gd[] = {"Stealth:S3/ServerAccessLoggingDisabled"};
    static const char *const cfg[] = {"S3_BUCKET_LOGGING_ENABLED"};
    struct rp_sim_scn_list ent = {0};
    rp_sim_scn_list_add(&ent, b->res.arn);
    rp_sim_scn_list_add(&ent, principal);
    rp_sim_scn_list_add(&ent, ip);
    struct rp_sim_truth tr = truth_of(p);
    tr.end_ms = run->end_ms;
    LIST(tr, guardduty, gd);
    LIST(tr, config_rules, cfg);
    tr.entities = ent.p;
    tr.nentities = ent.n;
    tr.note = "server access logging of the bucket turned off with stolen credentials";
    return rp_sim_scn_truth_add(run, self, &tr, eb);
}

const struct rp_sim_scenario rp_sim_scn_ct_s3_access_logging_disabled = {
    .id = "ct-s3-access-logging-disabled",
    .summary = "S3 server access logging disabled on a logged bucket",
    .kind = RP_SIM_SCN_THREAT,
    .mitre = "T1562.008",
    .plan = plan_access_logging,
    .expects = RP_SIM_EXPECTS("GuardDuty:Stealth:S3/ServerAccessLoggingDisabled",
                              "Config:S3_BUCKET_LOGGING_ENABLED"),
};

/* ---- ct-pentest-kali-linux / ct-pentest-parrot-linux ----------------------------------------- */

static rp_err plan_pentest(struct rp_sim_run *run, const struct rp_sim_scenario *self,
                           const char *ua, const char *gd_iam, const char *gd_s3,
                           struct rp_errbuf *eb)
{
    struct rp_sim_world *w = run->world;
    struct rp_sim_rng r;
    rng_of(run, self, &r);
    int64_t t0 = 0;
    if (!rp_sim_scn_when(run, self, &r, 20 * MIN, &t0)) return RP_OK;
    struct rp_sim_scn_ctplan *p = rp_sim_scn_ctplan_new(run, self);
    if (!p) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    char ip[RP_SIM_IP_SZ];
    rp_sim_scn_outside_ip(&r, false, 0, ip);
    uint8_t a = 0;
    uint32_t user = RP_SIM_NONE;
    if (!leaked_user(run, p, &r, NULL, ip, ua, &a, &user)) return RP_OK;
    const struct rp_sim_user *u = &w->users[user];
    uint32_t bucket = data_bucket_of(w, u->res.acct);
    static const char *const calls[][3] = {
        {"sts.amazonaws.com", "GetCallerIdentity", NULL},
        {"iam.amazonaws.com", "ListUsers", "{\"maxItems\":100}"},
        {"iam.amazonaws.com", "ListRoles", "{\"maxItems\":100}"},
        {"iam.amazonaws.com", "ListPolicies", "{\"scope\":\"Local\",\"onlyAttached\":false}"},
        {"ec2.amazonaws.com", "DescribeInstances", "{\"instancesSet\":{},\"filterSet\":{}}"},
        {"ec2.amazonaws.com", "DescribeSecurityGroups",
         "{\"securityGroupSet\":{},\"securityGroupIdSet\":{},\"filterSet\":{}}"},
        {"ec2.amazonaws.com", "DescribeVpcs", "{\"vpcSet\":{},\"filterSet\":{}}"},
        {"lambda.amazonaws.com", "ListFunctions20150331", NULL},
        {"rds.amazonaws.com", "DescribeDBInstances", NULL},
        {"s3.amazonaws.com", "ListBuckets", "{\"Host\":\"s3.amazonaws.com\"}"},
        {"secretsmanager.amazonaws.com", "ListSecrets", "{\"maxResults\":100}"},
        {"cloudtrail.amazonaws.com", "DescribeTrails", "{\"includeShadowTrails\":true}"},
        {"guardduty.amazonaws.com", "ListDetectors", NULL}};
    int64_t t = t0;
    for (unsigned k = 0; k < RP_ARRAY_LEN(calls); k++) {
        struct rp_sim_scn_call *c = simple(run, p, a, t, calls[k][0], calls[k][1], calls[k][2]);
        if (strcmp(calls[k][0], "guardduty.amazonaws.com") == 0) c->region = u->habits.region;
        t += rp_sim_rng_range(&r, 3, 25) * SEC;
    }
    if (bucket != RP_SIM_NONE) {
        s3_list(run, p, a, t, bucket, "");
        static const char *const keys[] = {"exports/customers.csv.gz", "config/app.yaml"};
        for (unsigned k = 0; k < RP_ARRAY_LEN(keys); k++) {
            t += rp_sim_rng_range(&r, 3, 20) * SEC;
            rp_sim_scn_call_s3obj(run, p, a, t, "GetObject", bucket, keys[k],
                                  (uint64_t)rp_sim_rng_range(&r, 900, 4000000), 0);
        }
    }
    rp_err e = rp_sim_scn_ctplan_start(run, p, eb);
    if (e != RP_OK) return e;
    const char *gd[2] = {gd_iam, gd_s3};
    struct rp_sim_scn_list ent = {0};
    rp_sim_scn_list_add(&ent, u->res.arn);
    rp_sim_scn_list_add(&ent, u->keys[0].id);
    rp_sim_scn_list_add(&ent, ip);
    struct rp_sim_truth tr = truth_of(p);
    tr.guardduty = gd;
    tr.nguardduty = bucket != RP_SIM_NONE ? 2 : 1;
    tr.entities = ent.p;
    tr.nentities = ent.n;
    tr.note = "a leaked access key used from a penetration-testing distribution (the user agent "
              "names it) for enumeration and S3 reads";
    return rp_sim_scn_truth_add(run, self, &tr, eb);
}

static rp_err plan_kali(struct rp_sim_run *run, const struct rp_sim_scenario *self,
                        struct rp_errbuf *eb)
{
    return plan_pentest(run, self, ua_kali, "PenTest:IAMUser/KaliLinux", "PenTest:S3/KaliLinux",
                        eb);
}

static rp_err plan_parrot(struct rp_sim_run *run, const struct rp_sim_scenario *self,
                          struct rp_errbuf *eb)
{
    return plan_pentest(run, self, ua_parrot, "PenTest:IAMUser/ParrotLinux",
                        "PenTest:S3/ParrotLinux", eb);
}

const struct rp_sim_scenario rp_sim_scn_ct_pentest_kali_linux = {
    .id = "ct-pentest-kali-linux",
    .summary = "API and S3 calls with a Kali Linux user agent",
    .kind = RP_SIM_SCN_THREAT,
    .mitre = "T1580",
    .plan = plan_kali,
    .expects =
        RP_SIM_EXPECTS("GuardDuty:PenTest:IAMUser/KaliLinux", "GuardDuty:PenTest:S3/KaliLinux"),
};

const struct rp_sim_scenario rp_sim_scn_ct_pentest_parrot_linux = {
    .id = "ct-pentest-parrot-linux",
    .summary = "API and S3 calls with a Parrot Security Linux user agent",
    .kind = RP_SIM_SCN_THREAT,
    .mitre = "T1580",
    .plan = plan_parrot,
    .expects =
        RP_SIM_EXPECTS("GuardDuty:PenTest:IAMUser/ParrotLinux", "GuardDuty:PenTest:S3/ParrotLinux"),
};

/* ---- ct-tor-ip-caller / ct-malicious-ip-caller ---------------------------------------------- */

static rp_err plan_listed_caller(struct rp_sim_run *run, const struct rp_sim_scenario *self,
                                 enum rp_sim_ti list, const char *const *gd, size_t ngd,
                                 struct rp_errbuf *eb)
{
    struct rp_sim_world *w = run->world;
    struct rp_sim_rng r;
    rng_of(run, self, &r);
    int64_t t0 = 0;
    if (!rp_sim_scn_when(run, self, &r, 15 * MIN, &t0)) return RP_OK;
    char ip[RP_SIM_IP_SZ];
    if (!rp_sim_side_ti_entry(w, list, rp_sim_rng_below(&r, 8), ip, sizeof(ip))) return RP_OK;
    struct rp_sim_scn_ctplan *p = rp_sim_scn_ctplan_new(run, self);
    if (!p) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    uint8_t a = 0;
    uint32_t user = RP_SIM_NONE;
    if (!leaked_user(run, p, &r, NULL, ip, ua_attacker_py, &a, &user)) return RP_OK;
    const struct rp_sim_user *u = &w->users[user];
    static const char *const calls[][3] = {
        {"sts.amazonaws.com", "GetCallerIdentity", NULL},
        {"ec2.amazonaws.com", "DescribeInstances", "{\"instancesSet\":{},\"filterSet\":{}}"},
        {"ec2.amazonaws.com", "DescribeRegions", "{\"regionSet\":{}}"},
        {"s3.amazonaws.com", "ListBuckets", "{\"Host\":\"s3.amazonaws.com\"}"},
        {"iam.amazonaws.com", "ListUsers", "{\"maxItems\":100}"},
        {"ec2.amazonaws.com", "DescribeKeyPairs", "{\"keySet\":{}}"},
        {"ec2.amazonaws.com", "ImportKeyPair", NULL},
        {"ec2.amazonaws.com", "DescribeSecurityGroups",
         "{\"securityGroupSet\":{},\"securityGroupIdSet\":{},\"filterSet\":{}}"}};
    int64_t t = t0;
    for (unsigned k = 0; k < RP_ARRAY_LEN(calls); k++) {
        const char *params = calls[k][2];
        if (!params) {
            char kname[16];
            rp_sim_rng_chars(&r, kname, 8, RP_SIM_ALPHA_LOWER);
            params = rp_sim_scn_printf(run,
                                       "{\"keyName\":\"%s\",\"publicKeyMaterial\":\"HIDDEN_DUE_TO_"
                                       "SECURITY_REASONS\"}",
                                       kname);
        }
        simple(run, p, a, t, calls[k][0], calls[k][1], params);
        t += rp_sim_rng_range(&r, 5, 60) * SEC;
    }
    rp_err e = rp_sim_scn_ctplan_start(run, p, eb);
    if (e != RP_OK) return e;
    struct rp_sim_scn_list ent = {0};
    rp_sim_scn_list_add(&ent, u->res.arn);
    rp_sim_scn_list_add(&ent, u->keys[0].id);
    rp_sim_scn_list_add(&ent, ip);
    struct rp_sim_truth tr = truth_of(p);
    tr.guardduty = gd;
    tr.nguardduty = ngd;
    tr.entities = ent.p;
    tr.nentities = ent.n;
    tr.note = list == RP_SIM_TI_TOR_EXIT
                  ? "discovery calls and a key-pair import from a Tor exit node "
                    "(threatintel/tor-exit-nodes.txt)"
                  : "discovery calls and a key-pair import from an address on the uploaded "
                    "threat list (threatintel/malicious-ips.txt)";
    return rp_sim_scn_truth_add(run, self, &tr, eb);
}

static rp_err plan_tor(struct rp_sim_run *run, const struct rp_sim_scenario *self,
                       struct rp_errbuf *eb)
{
    static const char *const gd[] = {"Recon:IAMUser/TorIPCaller",
                                     "UnauthorizedAccess:IAMUser/TorIPCaller"};
    return plan_listed_caller(run, self, RP_SIM_TI_TOR_EXIT, gd, RP_ARRAY_LEN(gd), eb);
}

static rp_err plan_malicious(struct rp_sim_run *run, const struct rp_sim_scenario *self,
                             struct rp_errbuf *eb)
{
    static const char *const gd[] = {"Recon:IAMUser/MaliciousIPCaller.Custom",
                                     "UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom"};
    return plan_listed_caller(run, self, RP_SIM_TI_MALICIOUS_IP, gd, RP_ARRAY_LEN(gd), eb);
}

const struct rp_sim_scenario rp_sim_scn_ct_tor_ip_caller = {
    .id = "ct-tor-ip-caller",
    .summary = "a leaked key used from a Tor exit node",
    .kind = RP_SIM_SCN_THREAT,
    .mitre = "T1090.003",
    .plan = plan_tor,
    .expects = RP_SIM_EXPECTS("GuardDuty:Recon:IAMUser/TorIPCaller",
                              "GuardDuty:UnauthorizedAccess:IAMUser/TorIPCaller"),
};

const struct rp_sim_scenario rp_sim_scn_ct_malicious_ip_caller = {
    .id = "ct-malicious-ip-caller",
    .summary = "a leaked key used from an address on the uploaded threat list",
    .kind = RP_SIM_SCN_THREAT,
    .mitre = "T1078.004",
    .plan = plan_malicious,
    .expects = RP_SIM_EXPECTS("GuardDuty:Recon:IAMUser/MaliciousIPCaller.Custom",
                              "GuardDuty:UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom"),
};

/* ---- ct-iam-discovery-burst ------------------------------------------------------------------ */

static rp_err plan_discovery(struct rp_sim_run *run, const struct rp_sim_scenario *self,
                             struct rp_errbuf *eb)
{
    struct rp_sim_world *w = run->world;
    struct rp_sim_rng r;
    rng_of(run, self, &r);
    int64_t t0 = 0;
    if (!rp_sim_scn_when(run, self, &r, 15 * MIN, &t0)) return RP_OK;
    struct rp_sim_scn_ctplan *p = rp_sim_scn_ctplan_new(run, self);
    if (!p) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    char ip[RP_SIM_IP_SZ];
    rp_sim_scn_outside_ip(&r, false, 0, ip);
    uint8_t a = 0;
    uint32_t user = RP_SIM_NONE;
    if (!leaked_user(run, p, &r, NULL, ip, ua_attacker_py, &a, &user)) return RP_OK;
    const struct rp_sim_user *u = &w->users[user];
    uint32_t acct = u->res.acct;
    int64_t t = t0;
#define STEP() (t += rp_sim_rng_range(&r, 1, 6) * SEC)
    static const char *const once[][3] = {
        {"sts.amazonaws.com", "GetCallerIdentity", NULL},
        {"iam.amazonaws.com", "GetAccountSummary", NULL},
        {"iam.amazonaws.com", "GetAccountAuthorizationDetails",
         "{\"filter\":[\"User\",\"Role\",\"Group\",\"LocalManagedPolicy\"]}"},
        {"iam.amazonaws.com", "ListUsers", "{\"maxItems\":1000}"},
        {"iam.amazonaws.com", "ListRoles", "{\"maxItems\":1000}"},
        {"iam.amazonaws.com", "ListGroups", "{\"maxItems\":1000}"},
        {"iam.amazonaws.com", "ListPolicies", "{\"scope\":\"Local\",\"onlyAttached\":false}"},
        {"organizations.amazonaws.com", "DescribeOrganization", NULL},
        {"ec2.amazonaws.com", "DescribeRegions", "{\"regionSet\":{}}"},
        {"ec2.amazonaws.com", "DescribeInstances", "{\"instancesSet\":{},\"filterSet\":{}}"},
        {"ec2.amazonaws.com", "DescribeVpcs", "{\"vpcSet\":{},\"filterSet\":{}}"},
        {"ec2.amazonaws.com", "DescribeSubnets", "{\"subnetSet\":{},\"filterSet\":{}}"},
        {"ec2.amazonaws.com", "DescribeSecurityGroups",
         "{\"securityGroupSet\":{},\"securityGroupIdSet\":{},\"filterSet\":{}}"},
        {"ec2.amazonaws.com", "DescribeSnapshots",
         "{\"snapshotSet\":{},\"ownersSet\":{\"items\":[{\"owner\":\"self\"}]},\"filterSet\":{}}"},
        {"ec2.amazonaws.com", "DescribeVolumes", "{\"volumeSet\":{},\"filterSet\":{}}"},
        {"ec2.amazonaws.com", "DescribeKeyPairs", "{\"keySet\":{}}"},
        {"s3.amazonaws.com", "ListBuckets", "{\"Host\":\"s3.amazonaws.com\"}"},
        {"lambda.amazonaws.com", "ListFunctions20150331", NULL},
        {"rds.amazonaws.com", "DescribeDBInstances", NULL},
        {"rds.amazonaws.com", "DescribeDBClusters", NULL},
        {"rds.amazonaws.com", "DescribeDBSnapshots", NULL},
        {"secretsmanager.amazonaws.com", "ListSecrets", "{\"maxResults\":100}"},
        {"ssm.amazonaws.com", "DescribeParameters", "{\"maxResults\":50}"},
        {"kms.amazonaws.com", "ListKeys", NULL},
        {"kms.amazonaws.com", "ListAliases", NULL},
        {"cloudtrail.amazonaws.com", "DescribeTrails", "{\"includeShadowTrails\":true}"},
        {"guardduty.amazonaws.com", "ListDetectors", NULL},
        {"config.amazonaws.com", "DescribeConfigurationRecorders", NULL},
        {"eks.amazonaws.com", "ListClusters", NULL},
        {"ecr.amazonaws.com", "DescribeRepositories", NULL},
        {"logs.amazonaws.com", "DescribeLogGroups", NULL},
        {"dynamodb.amazonaws.com", "ListTables", NULL},
        {"sns.amazonaws.com", "ListTopics", NULL},
        {"sqs.amazonaws.com", "ListQueues", NULL},
        {"route53.amazonaws.com", "ListHostedZones", NULL},
        {"elasticloadbalancing.amazonaws.com", "DescribeLoadBalancers", NULL},
        {"cloudformation.amazonaws.com", "DescribeStacks", NULL},
        {"apigateway.amazonaws.com", "GetRestApis", NULL}};
    for (unsigned k = 0; k < RP_ARRAY_LEN(once); k++)
        simple(run, p, a, STEP(), once[k][0], once[k][1], once[k][2]);
    /* per-principal and per-bucket enumeration */
    for (uint32_t i = 0; i < w->nusers; i++) {
        if (w->users[i].res.acct != acct) continue;
        const char *n = w->users[i].res.name;
        const char *pu = rp_sim_scn_printf(run, "{\"userName\":\"%s\"}", n);
        simple(run, p, a, STEP(), "iam.amazonaws.com", "ListAttachedUserPolicies", pu);
        simple(run, p, a, STEP(), "iam.amazonaws.com", "ListUserPolicies", pu);
        simple(run, p, a, STEP(), "iam.amazonaws.com", "ListAccessKeys", pu);
        simple(run, p, a, STEP(), "iam.amazonaws.com", "ListGroupsForUser", pu);
        simple(run, p, a, STEP(), "iam.amazonaws.com", "ListMFADevices", pu);
    }
    for (uint32_t i = 0; i < w->nroles; i++) {
        if (w->roles[i].res.acct != acct) continue;
        const char *pr = rp_sim_scn_printf(run, "{\"roleName\":\"%s\"}", w->roles[i].res.name);
        simple(run, p, a, STEP(), "iam.amazonaws.com", "ListAttachedRolePolicies", pr);
        simple(run, p, a, STEP(), "iam.amazonaws.com", "ListRolePolicies", pr);
    }
    for (uint32_t i = 0; i < w->nbuckets; i++) {
        if (w->buckets[i].res.acct != acct) continue;
        s3_bucket_call(run, p, a, STEP(), "GetBucketAcl", i, "\"acl\":\"\"");
        s3_bucket_call(run, p, a, STEP(), "GetBucketPolicy", i, "\"policy\":\"\"");
        s3_bucket_call(run, p, a, STEP(), "GetBucketPublicAccessBlock", i,
                       "\"publicAccessBlock\":\"\"");
    }
#undef STEP
    /* regional services are filed in the user's region; global ones are handled by the builder */
    uint32_t n = p->ncalls;
    rp_err e = rp_sim_scn_ctplan_start(run, p, eb);
    if (e != RP_OK) return e;
    static const char *const gd[] = {"Discovery:IAMUser/AnomalousBehavior"};
    struct rp_sim_scn_list ent = {0};
    rp_sim_scn_list_add(&ent, u->res.arn);
    rp_sim_scn_list_add(&ent, u->keys[0].id);
    rp_sim_scn_list_add(&ent, ip);
    struct rp_sim_truth tr = truth_of(p);
    LIST(tr, guardduty, gd);
    tr.entities = ent.p;
    tr.nentities = ent.n;
    tr.note = rp_sim_scn_printf(run,
                                "%u List/Describe/Get calls across 30 services in minutes from a "
                                "new address, most of them never made by this principal",
                                n);
    return rp_sim_scn_truth_add(run, self, &tr, eb);
}

const struct rp_sim_scenario rp_sim_scn_ct_iam_discovery_burst = {
    .id = "ct-iam-discovery-burst",
    .summary = "a burst of enumeration calls across services by a leaked key",
    .kind = RP_SIM_SCN_THREAT,
    .mitre = "T1087.004",
    .plan = plan_discovery,
    .expects = RP_SIM_EXPECTS("GuardDuty:Discovery:IAMUser/AnomalousBehavior"),
};

/* ---- ct-privesc-policy-version -------------------------------------------------------------- */

struct policy_ctx {
    uint32_t policy;
    const char *doc;
};

static const char admin_doc[] =
    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\","
    "\"Resource\":\"*\"}]}";

static rp_err policy_hook(struct rp_sim_run *run, void *ctx, int tag, int64_t ts,
                          const char *event_id, struct rp_errbuf *eb)
{
    (void)tag;
    struct policy_ctx *c = ctx;
    struct rp_sim_policy *po = &run->world->policies[c->policy];
    po->doc = c->doc;
    unsigned v = 1;
    if (po->version[0] == 'v') v = (unsigned)(po->version[1] - '0');
    rp_sim_fmt(po->version, sizeof(po->version), "v%u", v + 1 < 10 ? v + 1 : 9);
    po->res.marks |= RP_SIM_MARK_SCENARIO;
    return rp_sim_world_changed(run, (struct rp_sim_ref){RP_SIM_K_POLICY, c->policy}, ts,
                                RP_SIM_CHANGE_UPDATE, event_id, eb);
}

static bool f_cicd_role(const struct rp_sim_run *run, uint32_t i, const void *arg)
{
    (void)arg;
    const struct rp_sim_world *w = run->world;
    const struct rp_sim_role *ro = &w->roles[i];
    if (ro->kind != RP_SIM_ROLE_CICD) return false;
    for (uint32_t k = 0; k < ro->npolicies; k++)
        if (ro->policies[k] < w->npolicies && !w->policies[ro->policies[k]].aws_managed)
            return true;
    return false;
}

static rp_err plan_policy_version(struct rp_sim_run *run, const struct rp_sim_scenario *self,
                                  struct rp_errbuf *eb)
{
    struct rp_sim_world *w = run->world;
    struct rp_sim_rng r;
    rng_of(run, self, &r);
    uint32_t role = rp_sim_scn_pick(run, RP_SIM_K_ROLE, &r, f_cicd_role, NULL);
    int64_t t0 = 0;
    if (role == RP_SIM_NONE || !rp_sim_scn_when(run, self, &r, 15 * MIN, &t0)) return RP_OK;
    const struct rp_sim_role *ro = &w->roles[role];
    uint32_t policy = RP_SIM_NONE;
    for (uint32_t k = 0; k < ro->npolicies && policy == RP_SIM_NONE; k++)
        if (!w->policies[ro->policies[k]].aws_managed) policy = ro->policies[k];
    struct policy_ctx *ctx = rp_sim_scn_alloc(run, sizeof(*ctx));
    struct rp_sim_scn_ctplan *p = rp_sim_scn_ctplan_new(run, self);
    if (!ctx || !p) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    ctx->policy = policy;
    ctx->doc = rp_sim_world_strdup(w, admin_doc);
    p->hook = policy_hook;
    p->hook_ctx = ctx;
    char ip[RP_SIM_IP_SZ];
    rp_sim_scn_outside_ip(&r, false, 0, ip);
    uint8_t a = 0;
    struct rp_sim_scn_actor *ac = rp_sim_scn_actor_add(p, RP_SIM_CT_ROLE, role, &a);
    rp_strlcpy(ac->ip, ip, sizeof(ac->ip));
    rp_strlcpy(ac->ua, ua_attacker_py, sizeof(ac->ua));
    rp_strlcpy(ac->session, "GitHubActions", sizeof(ac->session));
    ac->who.session_ms = t0 - rp_sim_rng_range(&r, 2, 40) * MIN;
    const struct rp_sim_policy *po = &w->policies[policy];
    const char *pa = rp_sim_scn_printf(run, "{\"policyArn\":\"%s\"}", po->res.arn);
    int64_t t = t0;
    simple(run, p, a, t, "sts.amazonaws.com", "GetCallerIdentity", NULL);
    t += rp_sim_rng_range(&r, 10, 40) * SEC;
    simple(run, p, a, t, "iam.amazonaws.com", "ListAttachedRolePolicies",
           rp_sim_scn_printf(run, "{\"roleName\":\"%s\"}", ro->res.name));
    t += rp_sim_rng_range(&r, 10, 40) * SEC;
    simple(run, p, a, t, "iam.amazonaws.com", "GetPolicy", pa);
    t += rp_sim_rng_range(&r, 5, 20) * SEC;
    simple(run, p, a, t, "iam.amazonaws.com", "ListPolicyVersions", pa);
    t += rp_sim_rng_range(&r, 20, 90) * SEC;
    struct rp_sim_scn_call *c =
        simple(run, p, a, t, "iam.amazonaws.com", "CreatePolicyVersion",
               rp_sim_scn_printf(run,
                                 "{\"policyArn\":\"%s\",\"policyDocument\":\"%s\","
                                 "\"setAsDefault\":true}",
                                 po->res.arn,
                                 "{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[{"
                                 "\\\"Effect\\\":\\\"Allow\\\",\\\"Action\\\":\\\"*\\\","
                                 "\\\"Resource\\\":\\\"*\\\"}]}"));
    c->tag = 1;
    char when[40];
    java_date(t, when, sizeof(when));
    c->resp = rp_sim_scn_printf(run,
                                "{\"policyVersion\":{\"versionId\":\"v2\",\"isDefaultVersion\":"
                                "true,\"createDate\":\"%s\"}}",
                                when);
    t += rp_sim_rng_range(&r, 30, 120) * SEC;
    simple(run, p, a, t, "iam.amazonaws.com", "ListUsers", "{\"maxItems\":100}");
    t += rp_sim_rng_range(&r, 10, 60) * SEC;
    simple(run, p, a, t, "secretsmanager.amazonaws.com", "ListSecrets", "{\"maxResults\":100}");
    rp_err e = rp_sim_scn_ctplan_start(run, p, eb);
    if (e != RP_OK) return e;
    static const char *const gd[] = {"PrivilegeEscalation:IAMUser/AnomalousBehavior"};
    static const char *const cfg[] = {"IAM_POLICY_NO_STATEMENTS_WITH_ADMIN_ACCESS"};
    struct rp_sim_scn_list ent = {0};
    rp_sim_scn_list_add(&ent, ro->res.arn);
    rp_sim_scn_list_add(&ent, po->res.arn);
    rp_sim_scn_list_add(&ent, ip);
    struct rp_sim_truth tr = truth_of(p);
    LIST(tr, guardduty, gd);
    LIST(tr, config_rules, cfg);
    tr.entities = ent.p;
    tr.nentities = ent.n;
    tr.note = "a stolen CI/CD role session creates a new default version (Action * on Resource *) "
              "of a policy attached to the role";
    return rp_sim_scn_truth_add(run, self, &tr, eb);
}

const struct rp_sim_scenario rp_sim_scn_ct_privesc_policy_version = {
    .id = "ct-privesc-policy-version",
    .summary = "privilege escalation through a new default policy version granting *:*",
    .kind = RP_SIM_SCN_THREAT,
    .mitre = "T1098.003",
    .plan = plan_policy_version,
    .expects = RP_SIM_EXPECTS("GuardDuty:PrivilegeEscalation:IAMUser/AnomalousBehavior",
                              "Config:IAM_POLICY_NO_STATEMENTS_WITH_ADMIN_ACCESS"),
};

/* ---- ct-privesc-attach-admin-policy --------------------------------------------------------- */

struct user_ctx {
    uint32_t user;
    uint32_t target;
    uint32_t policy;
    char key[2][24];
    uint32_t targets[2];
    uint32_t ntargets;
};

static uint32_t aws_policy_named(const struct rp_sim_world *w, const char *name)
{
    for (uint32_t i = 0; i < w->npolicies; i++)
        if (w->policies[i].aws_managed && strcmp(w->policies[i].res.name, name) == 0) return i;
    return RP_SIM_NONE;
}

static rp_err attach_hook(struct rp_sim_run *run, void *ctx, int tag, int64_t ts,
                          const char *event_id, struct rp_errbuf *eb)
{
    (void)tag;
    struct user_ctx *c = ctx;
    struct rp_sim_user *u = &run->world->users[c->user];
    if (u->npolicies < RP_SIM_MAX_ATTACHED)
        u->policies[u->npolicies++] = c->policy;
    else
        u->policies[RP_SIM_MAX_ATTACHED - 1] = c->policy;
    run->world->policies[c->policy].attachments++;
    u->res.marks |= RP_SIM_MARK_SCENARIO;
    return rp_sim_world_changed(run, (struct rp_sim_ref){RP_SIM_K_USER, c->user}, ts,
                                RP_SIM_CHANGE_UPDATE, event_id, eb);
}

static bool f_keyed_nonadmin(const struct rp_sim_run *run, uint32_t i, const void *arg)
{
    const struct rp_sim_user *u = &run->world->users[i];
    return f_leakable(run, i, arg) && u->kind != RP_SIM_USER_ADMIN;
}

static rp_err plan_attach_admin(struct rp_sim_run *run, const struct rp_sim_scenario *self,
                                struct rp_errbuf *eb)
{
    struct rp_sim_world *w = run->world;
    struct rp_sim_rng r;
    rng_of(run, self, &r);
    uint32_t user = rp_sim_scn_pick(run, RP_SIM_K_USER, &r, f_keyed_nonadmin, NULL);
    uint32_t pol = aws_policy_named(w, "AdministratorAccess");
    int64_t t0 = 0;
    if (user == RP_SIM_NONE || pol == RP_SIM_NONE || !rp_sim_scn_when(run, self, &r, 15 * MIN, &t0))
        return RP_OK;
    const struct rp_sim_user *u = &w->users[user];
    struct user_ctx *ctx = rp_sim_scn_alloc(run, sizeof(*ctx));
    struct rp_sim_scn_ctplan *p = rp_sim_scn_ctplan_new(run, self);
    if (!ctx || !p) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    ctx->user = user;
    ctx->policy = pol;
    p->hook = attach_hook;
    p->hook_ctx = ctx;
    char ip[RP_SIM_IP_SZ];
    rp_sim_scn_outside_ip(&r, false, 0, ip);
    uint8_t a = 0;
    struct rp_sim_scn_actor *ac = rp_sim_scn_actor_add(p, RP_SIM_CT_IAM_USER, user, &a);
    rp_strlcpy(ac->ip, ip, sizeof(ac->ip));
    rp_strlcpy(ac->ua, ua_attacker_cli, sizeof(ac->ua));
    rp_strlcpy(ac->key, u->keys[0].id, sizeof(ac->key));
    const char *pu = rp_sim_scn_printf(run, "{\"userName\":\"%s\"}", u->res.name);
    int64_t t = t0;
    simple(run, p, a, t, "sts.amazonaws.com", "GetCallerIdentity", NULL);
    t += rp_sim_rng_range(&r, 10, 40) * SEC;
    simple(run, p, a, t, "iam.amazonaws.com", "ListAttachedUserPolicies", pu);
    t += rp_sim_rng_range(&r, 5, 20) * SEC;
    simple(run, p, a, t, "iam.amazonaws.com", "ListGroupsForUser", pu);
    t += rp_sim_rng_range(&r, 20, 60) * SEC;
    struct rp_sim_scn_call *c =
        simple(run, p, a, t, "iam.amazonaws.com", "AttachUserPolicy",
               rp_sim_scn_printf(run, "{\"userName\":\"%s\",\"policyArn\":\"%s\"}", u->res.name,
                                 w->policies[pol].res.arn));
    c->tag = 1;
    t += rp_sim_rng_range(&r, 20, 60) * SEC;
    simple(run, p, a, t, "iam.amazonaws.com", "ListAttachedUserPolicies", pu);
    t += rp_sim_rng_range(&r, 10, 60) * SEC;
    simple(run, p, a, t, "iam.amazonaws.com", "ListRoles", "{\"maxItems\":100}");
    rp_err e = rp_sim_scn_ctplan_start(run, p, eb);
    if (e != RP_OK) return e;
    static const char *const gd[] = {"PrivilegeEscalation:IAMUser/AnomalousBehavior"};
    static const char *const cfg[] = {"IAM_USER_NO_POLICIES_CHECK"};
    struct rp_sim_scn_list ent = {0};
    rp_sim_scn_list_add(&ent, u->res.arn);
    rp_sim_scn_list_add(&ent, w->policies[pol].res.arn);
    rp_sim_scn_list_add(&ent, u->keys[0].id);
    rp_sim_scn_list_add(&ent, ip);
    struct rp_sim_truth tr = truth_of(p);
    LIST(tr, guardduty, gd);
    LIST(tr, config_rules, cfg);
    tr.entities = ent.p;
    tr.nentities = ent.n;
    tr.note = "a leaked key attaches AdministratorAccess directly to its own user";
    return rp_sim_scn_truth_add(run, self, &tr, eb);
}

const struct rp_sim_scenario rp_sim_scn_ct_privesc_attach_admin_policy = {
    .id = "ct-privesc-attach-admin-policy",
    .summary = "a leaked key attaches AdministratorAccess to its own user",
    .kind = RP_SIM_SCN_THREAT,
    .mitre = "T1098.003",
    .plan = plan_attach_admin,
    .expects = RP_SIM_EXPECTS("GuardDuty:PrivilegeEscalation:IAMUser/AnomalousBehavior",
                              "Config:IAM_USER_NO_POLICIES_CHECK"),
};

/* ---- ct-persistence-access-keys-for-others -------------------------------------------------- */

static rp_err key_hook(struct rp_sim_run *run, void *ctx, int tag, int64_t ts, const char *event_id,
                       struct rp_errbuf *eb)
{
    struct user_ctx *c = ctx;
    uint32_t k = (uint32_t)(tag - 1);
    if (k >= c->ntargets) return RP_OK;
    struct rp_sim_user *u = &run->world->users[c->targets[k]];
    struct rp_sim_access_key *key = &u->keys[u->nkeys < 2 ? u->nkeys : 1];
    memset(key, 0, sizeof(*key));
    rp_strlcpy(key->id, c->key[k], sizeof(key->id));
    key->created_ms = ts - ts % 1000;
    key->active = true;
    if (u->nkeys < 2) u->nkeys++;
    u->res.marks |= RP_SIM_MARK_SCENARIO;
    return rp_sim_world_changed(run, (struct rp_sim_ref){RP_SIM_K_USER, c->targets[k]}, ts,
                                RP_SIM_CHANGE_UPDATE, event_id, eb);
}

static bool f_admin_account(const struct rp_sim_run *run, uint32_t i, const void *arg)
{
    (void)arg;
    const struct rp_sim_world *w = run->world;
    uint32_t n = 0;
    for (uint32_t u = 0; u < w->nusers; u++)
        if (w->users[u].res.acct == i && w->users[u].nkeys < 2) n++;
    return n >= 3 && rp_sim_scn_user_of(w, i, RP_SIM_USER_ADMIN) != RP_SIM_NONE;
}

static rp_err plan_keys_for_others(struct rp_sim_run *run, const struct rp_sim_scenario *self,
                                   struct rp_errbuf *eb)
{
    struct rp_sim_world *w = run->world;
    struct rp_sim_rng r;
    rng_of(run, self, &r);
    uint32_t acct = rp_sim_scn_pick(run, RP_SIM_K_ACCOUNT, &r, f_admin_account, NULL);
    int64_t t0 = 0;
    if (acct == RP_SIM_NONE || !rp_sim_scn_when(run, self, &r, 15 * MIN, &t0)) return RP_OK;
    struct user_ctx *ctx = rp_sim_scn_alloc(run, sizeof(*ctx));
    struct rp_sim_scn_ctplan *p = rp_sim_scn_ctplan_new(run, self);
    if (!ctx || !p) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    p->hook = key_hook;
    p->hook_ctx = ctx;
    char ip[RP_SIM_IP_SZ], principal[RP_SIM_ARN_SZ];
    rp_sim_scn_outside_ip(&r, false, 0, ip);
    uint8_t a = 0;
    admin_attacker(run, p, &r, acct, ip, ua_attacker_cli, &a, principal, sizeof(principal));
    /* targets: a service user (keys are expected there) and another human */
    for (uint32_t u = 0; u < w->nusers && ctx->ntargets < 2; u++) {
        const struct rp_sim_user *us = &w->users[u];
        if (us->res.acct != acct || us->nkeys >= 2 || strcmp(us->res.arn, principal) == 0) continue;
        bool want = ctx->ntargets == 0 ? us->kind == RP_SIM_USER_SERVICE
                                       : human_kind(us->kind) && us->kind != RP_SIM_USER_ADMIN;
        if (want) ctx->targets[ctx->ntargets++] = u;
    }
    for (uint32_t u = 0; u < w->nusers && ctx->ntargets < 2; u++) {
        const struct rp_sim_user *us = &w->users[u];
        if (us->res.acct == acct && us->nkeys < 2 && strcmp(us->res.arn, principal) != 0 &&
            (ctx->ntargets == 0 || ctx->targets[0] != u))
            ctx->targets[ctx->ntargets++] = u;
    }
    int64_t t = t0;
    simple(run, p, a, t, "iam.amazonaws.com", "ListUsers", "{\"maxItems\":100}");
    for (uint32_t k = 0; k < ctx->ntargets; k++) {
        const struct rp_sim_user *us = &w->users[ctx->targets[k]];
        rp_sim_id_iam(&r, "AKIA", ctx->key[k], sizeof(ctx->key[k]));
        t += rp_sim_rng_range(&r, 15, 60) * SEC;
        simple(run, p, a, t, "iam.amazonaws.com", "ListAccessKeys",
               rp_sim_scn_printf(run, "{\"userName\":\"%s\"}", us->res.name));
        t += rp_sim_rng_range(&r, 10, 40) * SEC;
        struct rp_sim_scn_call *c =
            simple(run, p, a, t, "iam.amazonaws.com", "CreateAccessKey",
                   rp_sim_scn_printf(run, "{\"userName\":\"%s\"}", us->res.name));
        c->tag = (int)k + 1;
        char when[40];
        java_date(t, when, sizeof(when));
        c->resp = rp_sim_scn_printf(run,
                                    "{\"accessKey\":{\"accessKeyId\":\"%s\",\"status\":\"Active\","
                                    "\"userName\":\"%s\",\"createDate\":\"%s\"}}",
                                    ctx->key[k], us->res.name, when);
    }
    rp_err e = rp_sim_scn_ctplan_start(run, p, eb);
    if (e != RP_OK) return e;
    static const char *const gd[] = {"Persistence:IAMUser/AnomalousBehavior"};
    struct rp_sim_scn_list ent = {0};
    rp_sim_scn_list_add(&ent, principal);
    for (uint32_t k = 0; k < ctx->ntargets; k++) {
        rp_sim_scn_list_add(&ent, w->users[ctx->targets[k]].res.arn);
        rp_sim_scn_list_add(&ent, ctx->key[k]);
    }
    rp_sim_scn_list_add(&ent, ip);
    struct rp_sim_truth tr = truth_of(p);
    LIST(tr, guardduty, gd);
    tr.entities = ent.p;
    tr.nentities = ent.n;
    tr.note = "stolen admin credentials create access keys for other users from a new address";
    return rp_sim_scn_truth_add(run, self, &tr, eb);
}

const struct rp_sim_scenario rp_sim_scn_ct_persistence_access_keys_for_others = {
    .id = "ct-persistence-access-keys-for-others",
    .summary = "access keys created for other users with stolen admin credentials",
    .kind = RP_SIM_SCN_THREAT,
    .mitre = "T1098.001",
    .plan = plan_keys_for_others,
    .expects = RP_SIM_EXPECTS("GuardDuty:Persistence:IAMUser/AnomalousBehavior"),
};

/* ---- ct-vpc-flow-logs-deleted --------------------------------------------------------------- */

struct vpc_ctx {
    uint32_t vpc;
    enum rp_sim_flow_format fmt;
    char old_id[32];
    char new_id[32];
};

static rp_err flowlog_hook(struct rp_sim_run *run, void *ctx, int tag, int64_t ts,
                           const char *event_id, struct rp_errbuf *eb)
{
    (void)ts;
    (void)event_id;
    (void)eb;
    struct vpc_ctx *c = ctx;
    struct rp_sim_vpc *v = &run->world->vpcs[c->vpc];
    if (tag == 1) {
        v->flow_format = RP_SIM_FLOW_NONE;
        v->flow_log_id[0] = '\0';
    } else {
        v->flow_format = c->fmt;
        rp_strlcpy(v->flow_log_id, c->new_id, sizeof(v->flow_log_id));
    }
    return RP_OK;
}

static bool f_flow_vpc(const struct rp_sim_run *run, uint32_t i, const void *arg)
{
    (void)arg;
    const struct rp_sim_vpc *v = &run->world->vpcs[i];
    return v->flow_format != RP_SIM_FLOW_NONE &&
           rp_sim_scn_user_of(run->world, v->res.acct, RP_SIM_USER_ADMIN) != RP_SIM_NONE;
}

static rp_err plan_flowlogs(struct rp_sim_run *run, const struct rp_sim_scenario *self,
                            struct rp_errbuf *eb)
{
    struct rp_sim_world *w = run->world;
    struct rp_sim_rng r;
    rng_of(run, self, &r);
    uint32_t vpc = rp_sim_scn_pick(run, RP_SIM_K_VPC, &r, f_flow_vpc, NULL);
    int64_t t0 = 0;
    if (vpc == RP_SIM_NONE || !rp_sim_scn_when(run, self, &r, 50 * MIN, &t0)) return RP_OK;
    const struct rp_sim_vpc *v = &w->vpcs[vpc];
    uint32_t acct = v->res.acct;
    struct vpc_ctx *ctx = rp_sim_scn_alloc(run, sizeof(*ctx));
    struct rp_sim_scn_ctplan *p = rp_sim_scn_ctplan_new(run, self);
    if (!ctx || !p) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    ctx->vpc = vpc;
    ctx->fmt = v->flow_format;
    rp_strlcpy(ctx->old_id, v->flow_log_id, sizeof(ctx->old_id));
    rp_sim_id_ec2(&r, "fl", ctx->new_id, sizeof(ctx->new_id));
    p->hook = flowlog_hook;
    p->hook_ctx = ctx;
    char ip[RP_SIM_IP_SZ], principal[RP_SIM_ARN_SZ];
    rp_sim_scn_outside_ip(&r, false, 0, ip);
    uint8_t a = 0, s = 0;
    struct rp_sim_scn_actor *ac =
        admin_attacker(run, p, &r, acct, ip, ua_attacker_cli, &a, principal, sizeof(principal));
    ac->region = v->res.region;
    responder(run, p, acct, &s)->region = v->res.region;
    int64_t t = t0;
    simple(run, p, a, t, "ec2.amazonaws.com", "DescribeFlowLogs",
           rp_sim_scn_printf(run,
                             "{\"DescribeFlowLogsRequest\":{\"Filter\":{\"Value\":{\"content\":"
                             "\"%s\",\"tag\":1},\"Name\":\"resource-id\",\"tag\":1}}}",
                             v->res.id));
    t += rp_sim_rng_range(&r, 20, 90) * SEC;
    struct rp_sim_scn_call *c =
        simple(run, p, a, t, "ec2.amazonaws.com", "DeleteFlowLogs",
               rp_sim_scn_printf(run,
                                 "{\"DeleteFlowLogsRequest\":{\"FlowLogId\":{\"content\":\"%s\","
                                 "\"tag\":1}}}",
                                 ctx->old_id));
    c->tag = 1;
    c->resp = rp_sim_scn_printf(run,
                                "{\"DeleteFlowLogsResponse\":{\"xmlns\":\"http://ec2.amazonaws."
                                "com/doc/2016-11-15/\",\"unsuccessful\":\"\",\"requestId\":"
                                "\"%08x-0000-4000-8000-000000000000\"}}",
                                rp_sim_rng_below(&r, 0x7fffffff));
    int64_t t_del = t;
    t += rp_sim_rng_range(&r, 20, 40) * MIN;
    c = simple(run, p, s, t, "ec2.amazonaws.com", "CreateFlowLogs",
               rp_sim_scn_printf(run,
                                 "{\"CreateFlowLogsRequest\":{\"ResourceId\":{\"content\":\"%s\","
                                 "\"tag\":1},\"ResourceType\":\"VPC\",\"TrafficType\":\"ALL\","
                                 "\"LogDestinationType\":\"s3\",\"LogDestination\":\"%s\"}}",
                                 v->res.id,
                                 w->accounts[acct].log_bucket != RP_SIM_NONE
                                     ? w->buckets[w->accounts[acct].log_bucket].res.arn
                                     : ""));
    rp_sim_scn_call_hook_first(p, c, 2);
    c->resp = rp_sim_scn_printf(run,
                                "{\"CreateFlowLogsResponse\":{\"flowLogIdSet\":{\"item\":\"%s\"},"
                                "\"unsuccessful\":\"\"}}",
                                ctx->new_id);
    rp_err e = rp_sim_scn_ctplan_start(run, p, eb);
    if (e != RP_OK) return e;
    static const char *const gd[] = {"DefenseEvasion:IAMUser/AnomalousBehavior"};
    struct rp_sim_scn_list ent = {0};
    rp_sim_scn_list_add(&ent, v->res.id);
    rp_sim_scn_list_add(&ent, ctx->old_id);
    rp_sim_scn_list_add(&ent, principal);
    rp_sim_scn_list_add(&ent, ip);
    struct rp_sim_truth tr = truth_of(p);
    tr.start_ms = t_del;
    LIST(tr, guardduty, gd);
    tr.entities = ent.p;
    tr.nentities = ent.n;
    tr.note = "the VPC's flow log is deleted with stolen admin credentials (no flow records until "
              "the security team recreates it)";
    return rp_sim_scn_truth_add(run, self, &tr, eb);
}

const struct rp_sim_scenario rp_sim_scn_ct_vpc_flow_logs_deleted = {
    .id = "ct-vpc-flow-logs-deleted",
    .summary = "DeleteFlowLogs on a VPC's flow log with stolen admin credentials",
    .kind = RP_SIM_SCN_THREAT,
    .mitre = "T1562.008",
    .plan = plan_flowlogs,
    .expects = RP_SIM_EXPECTS("GuardDuty:DefenseEvasion:IAMUser/AnomalousBehavior"),
};

/* ---- ct-guardduty-detector-deleted ---------------------------------------------------------- */

static rp_err plan_detector(struct rp_sim_run *run, const struct rp_sim_scenario *self,
                            struct rp_errbuf *eb)
{
    struct rp_sim_world *w = run->world;
    struct rp_sim_rng r;
    rng_of(run, self, &r);
    uint32_t acct = rp_sim_scn_pick(run, RP_SIM_K_ACCOUNT, &r, f_account_has_admin, NULL);
    int64_t t0 = 0;
    if (acct == RP_SIM_NONE || !rp_sim_scn_when(run, self, &r, 10 * MIN, &t0)) return RP_OK;
    struct rp_sim_scn_ctplan *p = rp_sim_scn_ctplan_new(run, self);
    if (!p) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    char ip[RP_SIM_IP_SZ], principal[RP_SIM_ARN_SZ], det[33];
    rp_sim_scn_outside_ip(&r, false, 0, ip);
    /* the detector id is stable per account and region: a hash, not a draw */
    uint32_t region = w->accounts[acct].home_region;
    uint64_t h = rp_sim_mix(run->seed, rp_sim_hash_str(w->accounts[acct].res.id));
    rp_sim_fmt(det, sizeof(det), "%016llx%016llx", (unsigned long long)h,
               (unsigned long long)rp_sim_mix(h, region));
    uint8_t a = 0;
    admin_attacker(run, p, &r, acct, ip, ua_attacker_cli, &a, principal, sizeof(principal))
        ->region = region;
    const char *pd = rp_sim_scn_printf(run, "{\"detectorId\":\"%s\"}", det);
    int64_t t = t0;
    simple(run, p, a, t, "guardduty.amazonaws.com", "ListDetectors", NULL);
    t += rp_sim_rng_range(&r, 10, 40) * SEC;
    simple(run, p, a, t, "guardduty.amazonaws.com", "GetDetector", pd);
    t += rp_sim_rng_range(&r, 10, 40) * SEC;
    simple(run, p, a, t, "guardduty.amazonaws.com", "ListMembers", pd);
    t += rp_sim_rng_range(&r, 20, 90) * SEC;
    int64_t t_del = t;
    simple(run, p, a, t, "guardduty.amazonaws.com", "DeleteDetector", pd);
    rp_err e = rp_sim_scn_ctplan_start(run, p, eb);
    if (e != RP_OK) return e;
    static const char *const gd[] = {"DefenseEvasion:IAMUser/AnomalousBehavior"};
    struct rp_sim_scn_list ent = {0};
    rp_sim_scn_list_add(&ent, w->accounts[acct].res.id);
    rp_sim_scn_list_add(&ent, det);
    rp_sim_scn_list_add(&ent, principal);
    rp_sim_scn_list_add(&ent, ip);
    struct rp_sim_truth tr = truth_of(p);
    tr.start_ms = t_del;
    LIST(tr, guardduty, gd);
    tr.entities = ent.p;
    tr.nentities = ent.n;
    tr.note = "the GuardDuty detector of the account's home region is deleted with stolen admin "
              "credentials";
    return rp_sim_scn_truth_add(run, self, &tr, eb);
}

const struct rp_sim_scenario rp_sim_scn_ct_guardduty_detector_deleted = {
    .id = "ct-guardduty-detector-deleted",
    .summary = "DeleteDetector on GuardDuty with stolen admin credentials",
    .kind = RP_SIM_SCN_THREAT,
    .mitre = "T1562.001",
    .plan = plan_detector,
    .expects = RP_SIM_EXPECTS("GuardDuty:DefenseEvasion:IAMUser/AnomalousBehavior"),
};

/* ---- ct-s3-mass-download / ct-s3-mass-delete ------------------------------------------------ */

static bool f_bucket_of_kind(const struct rp_sim_run *run, uint32_t i, const void *arg)
{
    return run->world->buckets[i].purpose == *(const enum rp_sim_bucket_purpose *)arg;
}

static rp_err plan_s3_mass(struct rp_sim_run *run, const struct rp_sim_scenario *self, bool del,
                           struct rp_errbuf *eb)
{
    struct rp_sim_world *w = run->world;
    struct rp_sim_rng r;
    rng_of(run, self, &r);
    static const enum rp_sim_bucket_purpose data = RP_SIM_BUCKET_DATA,
                                            backup = RP_SIM_BUCKET_BACKUP;
    uint32_t bucket =
        rp_sim_scn_pick(run, RP_SIM_K_BUCKET, &r, f_bucket_of_kind, del ? &backup : &data);
    int64_t t0 = 0;
    if (bucket == RP_SIM_NONE || !rp_sim_scn_when(run, self, &r, 55 * MIN, &t0)) return RP_OK;
    const struct rp_sim_bucket *b = &w->buckets[bucket];
    uint32_t acct = b->res.acct;
    struct rp_sim_scn_ctplan *p = rp_sim_scn_ctplan_new(run, self);
    if (!p) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    char ip[RP_SIM_IP_SZ];
    rp_sim_scn_outside_ip(&r, false, 0, ip);
    uint8_t a = 0;
    uint32_t user = RP_SIM_NONE;
    char ua[RP_SIM_UA_SZ];
    rp_sim_fmt(ua, sizeof(ua), "%s command/s3.%s", ua_attacker_cli, del ? "rm" : "sync");
    if (!leaked_user(run, p, &r, &acct, ip, ua, &a, &user)) return RP_OK;
    const struct rp_sim_user *u = &w->users[user];
    uint32_t n = del ? 600 + rp_sim_rng_below(&r, 300) : 1200 + rp_sim_rng_below(&r, 600);
    int64_t t = t0;
    const char *prefix = del ? "backups/" : "exports/";
    s3_list(run, p, a, t, bucket, prefix);
    uint64_t total = 0;
    for (uint32_t i = 0; i < n; i++) {
        char key[160];
        if (del)
            rp_sim_fmt(key, sizeof(key), "backups/%s/2025-%02u-%02u/part-%05u.dump.gz",
                       i % 3 == 0   ? "orders"
                       : i % 3 == 1 ? "users"
                                    : "payments",
                       1 + i / 60 % 12, 1 + i % 28, i);
        else
            rp_sim_fmt(key, sizeof(key), "exports/%s/2025/%02u/part-%05u.csv.gz",
                       i % 4 == 0   ? "customers"
                       : i % 4 == 1 ? "orders"
                       : i % 4 == 2 ? "invoices"
                                    : "events",
                       1 + i / 100 % 12, i);
        if (i % 100 == 99) {
            t += rp_sim_rng_range(&r, 200, 900);
            s3_list(run, p, a, t, bucket, prefix);
        }
        t += rp_sim_rng_range(&r, 400, 2500);
        uint64_t bytes = del ? 0 : (uint64_t)rp_sim_rng_range(&r, 200000, 48000000);
        total += bytes;
        struct rp_sim_scn_call *c = rp_sim_scn_call_s3obj(
            run, p, a, t, del ? "DeleteObject" : "GetObject", bucket, key, bytes, 0);
        if (del) c->resp = NULL;
    }
    rp_err e = rp_sim_scn_ctplan_start(run, p, eb);
    if (e != RP_OK) return e;
    static const char *const gd_get[] = {"Exfiltration:S3/AnomalousBehavior"};
    static const char *const gd_del[] = {"Impact:S3/AnomalousBehavior.Delete"};
    struct rp_sim_scn_list ent = {0};
    rp_sim_scn_list_add(&ent, b->res.arn);
    rp_sim_scn_list_add(&ent, u->res.arn);
    rp_sim_scn_list_add(&ent, u->keys[0].id);
    rp_sim_scn_list_add(&ent, ip);
    struct rp_sim_truth tr = truth_of(p);
    tr.guardduty = del ? gd_del : gd_get;
    tr.nguardduty = 1;
    tr.entities = ent.p;
    tr.nentities = ent.n;
    tr.note = del ? rp_sim_scn_printf(run,
                                      "%u DeleteObject data events in under an hour from a new "
                                      "address by a principal that never deletes",
                                      n)
                  : rp_sim_scn_printf(run,
                                      "%u GetObject data events (%llu MB) in under an hour from a "
                                      "new address",
                                      n, (unsigned long long)(total >> 20));
    return rp_sim_scn_truth_add(run, self, &tr, eb);
}

static rp_err plan_mass_download(struct rp_sim_run *run, const struct rp_sim_scenario *self,
                                 struct rp_errbuf *eb)
{
    return plan_s3_mass(run, self, false, eb);
}

static rp_err plan_mass_delete(struct rp_sim_run *run, const struct rp_sim_scenario *self,
                               struct rp_errbuf *eb)
{
    return plan_s3_mass(run, self, true, eb);
}

const struct rp_sim_scenario rp_sim_scn_ct_s3_mass_download = {
    .id = "ct-s3-mass-download",
    .summary = "S3 mass download from a new location with a leaked key",
    .kind = RP_SIM_SCN_THREAT,
    .mitre = "T1530",
    .plan = plan_mass_download,
    .expects = RP_SIM_EXPECTS("GuardDuty:Exfiltration:S3/AnomalousBehavior"),
};

const struct rp_sim_scenario rp_sim_scn_ct_s3_mass_delete = {
    .id = "ct-s3-mass-delete",
    .summary = "S3 mass delete of backups with a leaked key",
    .kind = RP_SIM_SCN_THREAT,
    .mitre = "T1485",
    .plan = plan_mass_delete,
    .expects = RP_SIM_EXPECTS("GuardDuty:Impact:S3/AnomalousBehavior.Delete"),
};

/* ---- ct-secrets-harvesting ------------------------------------------------------------------ */

static rp_err plan_secrets(struct rp_sim_run *run, const struct rp_sim_scenario *self,
                           struct rp_errbuf *eb)
{
    struct rp_sim_world *w = run->world;
    struct rp_sim_rng r;
    rng_of(run, self, &r);
    int64_t t0 = 0;
    if (!rp_sim_scn_when(run, self, &r, 15 * MIN, &t0)) return RP_OK;
    struct rp_sim_scn_ctplan *p = rp_sim_scn_ctplan_new(run, self);
    if (!p) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    char ip[RP_SIM_IP_SZ];
    rp_sim_scn_outside_ip(&r, false, 0, ip);
    uint8_t a = 0;
    uint32_t user = RP_SIM_NONE;
    if (!leaked_user(run, p, &r, NULL, ip, ua_attacker_py, &a, &user)) return RP_OK;
    const struct rp_sim_user *u = &w->users[user];
    uint32_t acct = u->res.acct;
    const char *region = w->regions[u->habits.region < w->nregions ? u->habits.region : 0];
    static const char *const names[] = {
        "prod/orders/db-password", "prod/payments/stripe-api-key", "prod/app/jwt-signing-key",
        "prod/analytics/redshift", "ci/github-deploy-token",       "ci/dockerhub",
        "shared/smtp-credentials", "shared/pagerduty-api",         "prod/search/opensearch-admin",
        "prod/orders/rds-master",  "dev/app/db-password",          "prod/partner/sftp-key"};
    int64_t t = t0;
    simple(run, p, a, t, "secretsmanager.amazonaws.com", "ListSecrets", "{\"maxResults\":100}");
    for (unsigned k = 0; k < RP_ARRAY_LEN(names); k++) {
        char sfx[7];
        rp_sim_rng_chars(&r, sfx, 6, RP_SIM_ALPHA_ALNUM);
        const char *arn = rp_sim_scn_printf(run, "arn:aws:secretsmanager:%s:%s:secret:%s-%s",
                                            region, acct_id(w, acct), names[k], sfx);
        t += rp_sim_rng_range(&r, 2, 12) * SEC;
        simple(run, p, a, t, "secretsmanager.amazonaws.com", "DescribeSecret",
               rp_sim_scn_printf(run, "{\"secretId\":\"%s\"}", arn));
        t += rp_sim_rng_range(&r, 1, 5) * SEC;
        simple(run, p, a, t, "secretsmanager.amazonaws.com", "GetSecretValue",
               rp_sim_scn_printf(run, "{\"secretId\":\"%s\"}", arn));
    }
    t += rp_sim_rng_range(&r, 10, 30) * SEC;
    simple(run, p, a, t, "ssm.amazonaws.com", "DescribeParameters", "{\"maxResults\":50}");
    static const char *const params[] = {"/app/prod/db-password", "/app/prod/api-token",
                                         "/app/prod/redis-auth", "/ci/npm-token"};
    for (unsigned k = 0; k < RP_ARRAY_LEN(params); k++) {
        t += rp_sim_rng_range(&r, 2, 10) * SEC;
        simple(run, p, a, t, "ssm.amazonaws.com", "GetParameter",
               rp_sim_scn_printf(run, "{\"name\":\"%s\",\"withDecryption\":true}", params[k]));
    }
    rp_err e = rp_sim_scn_ctplan_start(run, p, eb);
    if (e != RP_OK) return e;
    static const char *const gd[] = {"CredentialAccess:IAMUser/AnomalousBehavior"};
    struct rp_sim_scn_list ent = {0};
    rp_sim_scn_list_add(&ent, u->res.arn);
    rp_sim_scn_list_add(&ent, u->keys[0].id);
    rp_sim_scn_list_add(&ent, ip);
    struct rp_sim_truth tr = truth_of(p);
    LIST(tr, guardduty, gd);
    tr.entities = ent.p;
    tr.nentities = ent.n;
    tr.note = "every secret and SecureString parameter read in minutes by a principal that never "
              "used Secrets Manager, from a new address";
    return rp_sim_scn_truth_add(run, self, &tr, eb);
}

const struct rp_sim_scenario rp_sim_scn_ct_secrets_harvesting = {
    .id = "ct-secrets-harvesting",
    .summary = "every secret and SecureString parameter read by a leaked key",
    .kind = RP_SIM_SCN_THREAT,
    .mitre = "T1555.006",
    .plan = plan_secrets,
    .expects = RP_SIM_EXPECTS("GuardDuty:CredentialAccess:IAMUser/AnomalousBehavior"),
};

/* ---- ct-ebs-snapshot-made-public ------------------------------------------------------------ */

struct snap_ctx {
    uint32_t snapshot;
    uint32_t volume;
    bool create;
};

static rp_err snap_hook(struct rp_sim_run *run, void *ctx, int tag, int64_t ts,
                        const char *event_id, struct rp_errbuf *eb)
{
    struct snap_ctx *c = ctx;
    struct rp_sim_world *w = run->world;
    if (tag == 1)
        return rp_sim_scn_created(run, (struct rp_sim_ref){RP_SIM_K_SNAPSHOT, c->snapshot}, ts,
                                  event_id, eb);
    w->snapshots[c->snapshot].public_restore = true;
    w->snapshots[c->snapshot].res.marks |= RP_SIM_MARK_SCENARIO;
    return rp_sim_world_changed(run, (struct rp_sim_ref){RP_SIM_K_SNAPSHOT, c->snapshot}, ts,
                                RP_SIM_CHANGE_UPDATE, event_id, eb);
}

static bool f_plain_snapshot(const struct rp_sim_run *run, uint32_t i, const void *arg)
{
    (void)arg;
    const struct rp_sim_snapshot *s = &run->world->snapshots[i];
    return !s->encrypted && !s->public_restore;
}

static bool f_plain_volume(const struct rp_sim_run *run, uint32_t i, const void *arg)
{
    (void)arg;
    const struct rp_sim_volume *v = &run->world->volumes[i];
    return !v->encrypted && v->instance != RP_SIM_NONE;
}

static rp_err plan_snapshot(struct rp_sim_run *run, const struct rp_sim_scenario *self,
                            struct rp_errbuf *eb)
{
    struct rp_sim_world *w = run->world;
    struct rp_sim_rng r;
    rng_of(run, self, &r);
    uint32_t snap = rp_sim_scn_pick(run, RP_SIM_K_SNAPSHOT, &r, f_plain_snapshot, NULL);
    uint32_t vol = RP_SIM_NONE;
    if (snap == RP_SIM_NONE) {
        vol = rp_sim_scn_pick(run, RP_SIM_K_VOLUME, &r, f_plain_volume, NULL);
        if (vol == RP_SIM_NONE) return RP_OK;
    }
    int64_t t0 = 0;
    if (!rp_sim_scn_when(run, self, &r, 20 * MIN, &t0)) return RP_OK;
    struct snap_ctx *ctx = rp_sim_scn_alloc(run, sizeof(*ctx));
    struct rp_sim_scn_ctplan *p = rp_sim_scn_ctplan_new(run, self);
    if (!ctx || !p) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    int64_t t = t0;
    if (snap == RP_SIM_NONE) {
        /* the attacker snapshots an unencrypted volume first (the snapshot exists from then) */
        uint32_t idx = 0;
        struct rp_sim_snapshot *s = rp_sim_world_add(w, RP_SIM_K_SNAPSHOT, &idx);
        if (!s) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
        const struct rp_sim_volume *v = &w->volumes[vol];
        s->res.acct = v->res.acct;
        s->res.region = v->res.region;
        s->res.created_ms = run->end_ms; /* set to the CreateSnapshot time by the hook */
        s->res.deleted_ms = RP_SIM_SCN_PENDING;
        s->res.marks = RP_SIM_MARK_SCENARIO | RP_SIM_MARK_ATTACKER;
        rp_sim_id_ec2(&r, "snap", s->res.id, sizeof(s->res.id));
        rp_sim_fmt(s->res.arn, sizeof(s->res.arn), "arn:aws:ec2:%s::snapshot/%s",
                   w->regions[v->res.region], s->res.id);
        s->volume = vol;
        s->size_gb = v->size_gb;
        s->encrypted = false;
        s->kms = RP_SIM_NONE;
        rp_sim_fmt(s->description, sizeof(s->description), "backup");
        snap = idx;
        ctx->create = true;
    }
    ctx->snapshot = snap;
    ctx->volume = w->snapshots[snap].volume;
    const struct rp_sim_snapshot *s = &w->snapshots[snap];
    uint32_t acct = s->res.acct;
    p->hook = snap_hook;
    p->hook_ctx = ctx;
    char ip[RP_SIM_IP_SZ], principal[RP_SIM_ARN_SZ];
    rp_sim_scn_outside_ip(&r, false, 0, ip);
    uint8_t a = 0;
    admin_attacker(run, p, &r, acct, ip, ua_attacker_cli, &a, principal, sizeof(principal))
        ->region = s->res.region;
    simple(run, p, a, t, "ec2.amazonaws.com", "DescribeSnapshots",
           "{\"snapshotSet\":{},\"ownersSet\":{\"items\":[{\"owner\":\"self\"}]},"
           "\"filterSet\":{}}");
    if (ctx->create) {
        t += rp_sim_rng_range(&r, 20, 60) * SEC;
        struct rp_sim_scn_call *c =
            simple(run, p, a, t, "ec2.amazonaws.com", "CreateSnapshot",
                   rp_sim_scn_printf(run, "{\"volumeId\":\"%s\",\"description\":\"backup\"}",
                                     w->volumes[ctx->volume].res.id));
        c->tag = 1;
        c->resp = rp_sim_scn_printf(run,
                                    "{\"snapshotId\":\"%s\",\"volumeId\":\"%s\",\"status\":"
                                    "\"pending\",\"volumeSize\":%u,\"encrypted\":false}",
                                    s->res.id, w->volumes[ctx->volume].res.id, s->size_gb);
        t += rp_sim_rng_range(&r, 5, 9) * MIN;
    }
    t += rp_sim_rng_range(&r, 20, 60) * SEC;
    simple(run, p, a, t, "ec2.amazonaws.com", "DescribeSnapshotAttribute",
           rp_sim_scn_printf(run,
                             "{\"snapshotId\":\"%s\",\"attributeType\":\"CREATE_VOLUME_"
                             "PERMISSION\"}",
                             s->res.id));
    t += rp_sim_rng_range(&r, 10, 40) * SEC;
    int64_t t_share = t;
    struct rp_sim_scn_call *c = simple(
        run, p, a, t, "ec2.amazonaws.com", "ModifySnapshotAttribute",
        rp_sim_scn_printf(run,
                          "{\"snapshotId\":\"%s\",\"createVolumePermission\":{\"add\":{\"items\":"
                          "[{\"group\":\"all\"}]}},\"attributeType\":\"CREATE_VOLUME_PERMISSION\"}",
                          s->res.id));
    c->tag = 2;
    c->resp = "{\"_return\":true}";
    rp_err e = rp_sim_scn_ctplan_start(run, p, eb);
    if (e != RP_OK) return e;
    static const char *const gd[] = {"Exfiltration:IAMUser/AnomalousBehavior"};
    static const char *const cfg[] = {"EBS_SNAPSHOT_PUBLIC_RESTORABLE_CHECK"};
    struct rp_sim_scn_list ent = {0};
    rp_sim_scn_list_add(&ent, s->res.id);
    rp_sim_scn_list_add(&ent, w->volumes[ctx->volume].res.id);
    rp_sim_scn_list_add(&ent, principal);
    rp_sim_scn_list_add(&ent, ip);
    struct rp_sim_truth tr = truth_of(p);
    tr.start_ms = ctx->create ? tr.start_ms : t_share;
    tr.end_ms = run->end_ms;
    LIST(tr, guardduty, gd);
    LIST(tr, config_rules, cfg);
    tr.entities = ent.p;
    tr.nentities = ent.n;
    tr.note = "an unencrypted EBS snapshot is made restorable by everyone (createVolumePermission "
              "group all; Trusted Advisor ePs02jT06w); it stays public";
    return rp_sim_scn_truth_add(run, self, &tr, eb);
}

const struct rp_sim_scenario rp_sim_scn_ct_ebs_snapshot_made_public = {
    .id = "ct-ebs-snapshot-made-public",
    .summary = "an unencrypted EBS snapshot shared with everyone",
    .kind = RP_SIM_SCN_THREAT,
    .mitre = "T1537",
    .plan = plan_snapshot,
    .expects = RP_SIM_EXPECTS("GuardDuty:Exfiltration:IAMUser/AnomalousBehavior",
                              "Config:EBS_SNAPSHOT_PUBLIC_RESTORABLE_CHECK"),
};
