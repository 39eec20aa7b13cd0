/* SPDX-License-Identifier: Apache-2.0 */
/* Sensitive-data scenarios (sim_scenarios.def): credentials leaked into CI debug logs in an
 * artifacts bucket, and a shared-documents bucket full of personal data shared with an outside
 * account through its bucket policy.
 *
 * The documents themselves are written by the side-documents generator (sim_side.h): marking a
 * bucket RP_SIM_MARK_SENSITIVE at plan time adds a debug log with an AWS key pair, a bearer JWT
 * and a basic-auth header; rp_sim_side_doc_identifiers gives the Macie managed data identifiers
 * a bucket will hold, which go into the truth line with the matching finding types. The
 * CloudTrail evidence is the upload (PutObject data events) or the policy change. */
#include <string.h>

#include "sim/sim_internal.h"
#include "sim/sim_scn.h"
#include "core/rp_str.h"
#include "core/rp_banned.h"

#define MIN RP_SIM_SCN_MIN
#define SEC 1000LL

static void rng_of(const struct rp_sim_run *run, const struct rp_sim_scenario *self,
                   struct rp_sim_rng *r)
{
    rp_sim_rng_initf(r, run->seed, "scn/%s", self->id);
}

/* Macie category of a managed identifier: 'c' credentials, 'f' financial, 'p' personal. */
static char category(const char *id)
{
    static const char *const creds[] = {"AWS_CREDENTIALS",
                                        "JSON_WEB_TOKEN",
                                        "HTTP_BASIC_AUTH_HEADER",
                                        "HTTP_COOKIE",
                                        "OPENSSH_PRIVATE_KEY",
                                        "PGP_PRIVATE_KEY",
                                        "PKCS",
                                        "PUTTY_PRIVATE_KEY",
                                        "GCP_API_KEY",
                                        "STRIPE_CREDENTIALS"};
    for (size_t i = 0; i < RP_ARRAY_LEN(creds); i++)
        if (strcmp(id, creds[i]) == 0) return 'c';
    if (strstr(id, "CREDIT_CARD") || strstr(id, "BANK_ACCOUNT")) return 'f';
    return 'p';
}

/* Macie finding types and identifiers of bucket into l: the category's finding type when the
 * bucket holds one category only, else SensitiveData:S3Object/Multiple (which objects mix
 * categories, and so which single-category types also occur, only side-truth/sensitive.jsonl
 * tells: the side API gives identifiers per bucket, not per object), then the ids. */
static uint32_t macie_of(struct rp_sim_run *run, uint32_t bucket, struct rp_sim_scn_list *l)
{
    const char *ids[RP_SIM_SCN_MAX_LIST];
    uint32_t n = rp_sim_side_doc_identifiers(run, bucket, ids, RP_SIM_SCN_MAX_LIST);
    if (n > RP_SIM_SCN_MAX_LIST) n = RP_SIM_SCN_MAX_LIST;
    bool c = false, f = false, p = false;
    for (uint32_t i = 0; i < n; i++) {
        char k = category(ids[i]);
        c |= k == 'c';
        f |= k == 'f';
        p |= k == 'p';
    }
    if ((int)c + (int)f + (int)p > 1)
        rp_sim_scn_list_add(l, "SensitiveData:S3Object/Multiple");
    else if (c)
        rp_sim_scn_list_add(l, "SensitiveData:S3Object/Credentials");
    else if (f)
        rp_sim_scn_list_add(l, "SensitiveData:S3Object/Financial");
    else if (p)
        rp_sim_scn_list_add(l, "SensitiveData:S3Object/Personal");
    for (uint32_t i = 0; i < n; i++) rp_sim_scn_list_add(l, ids[i]);
    return n;
}

/* ---- data-credentials-in-ci-logs ------------------------------------------------------------ */

/* Artifacts buckets; the last account's is left to the benign decoy scenario when there are
 * several accounts. A bucket the decoy scenario already took (one account) is skipped: its
 * documents are decoys only, so the credentials would not be there. */
static bool f_artifacts(const struct rp_sim_run *run, uint32_t i, const void *arg)
{
    (void)arg;
    const struct rp_sim_world *w = run->world;
    const struct rp_sim_bucket *b = &w->buckets[i];
    if (b->purpose != RP_SIM_BUCKET_ARTIFACTS || (b->res.marks & RP_SIM_MARK_DECOY)) return false;
    return w->naccounts < 2 || b->res.acct != w->naccounts - 1;
}

static uint32_t cicd_role(const struct rp_sim_world *w, uint32_t acct)
{
    return rp_sim_scn_role_of(w, acct, RP_SIM_ROLE_CICD);
}

static rp_err plan_ci_logs(struct rp_sim_run *run, const struct rp_sim_scenario *self,
                           struct rp_errbuf *eb)
{
    struct rp_sim_world *w = run->world;
    struct rp_sim_rng r;
    rng_of(run, self, &r);
    uint32_t bucket = rp_sim_scn_pick(run, RP_SIM_K_BUCKET, &r, f_artifacts, NULL);
    int64_t t0 = 0;
    if (bucket == RP_SIM_NONE || !rp_sim_scn_when(run, self, &r, 10 * MIN, &t0)) return RP_OK;
    uint32_t acct = w->buckets[bucket].res.acct;
    uint32_t role = cicd_role(w, acct);
    if (role == RP_SIM_NONE) return RP_OK;
    w->buckets[bucket].res.marks |= RP_SIM_MARK_SENSITIVE | RP_SIM_MARK_SCENARIO;
    struct rp_sim_scn_ctplan *p = rp_sim_scn_ctplan_new(run, self);
    if (!p) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    uint8_t a = 0;
    struct rp_sim_scn_actor *ac = rp_sim_scn_actor_add(p, RP_SIM_CT_ROLE, role, &a);
    rp_strlcpy(ac->session, "GitHubActions", sizeof(ac->session));
    ac->who.session_ms = t0 - rp_sim_rng_range(&r, 1, 10) * MIN;
    /* the document generator names the logs after the day before the period */
    char prev[16], iso[32];
    rp_sim_iso_s(run->start_ms - RP_SIM_SCN_DAY, iso, sizeof(iso));
    rp_strlcpy(prev, iso, 11);
    const char *keys[] = {rp_sim_scn_printf(run, "logs/app/app-%s.log", prev),
                          rp_sim_scn_printf(run, "logs/debug/debug-%s.log", prev)};
    int64_t t = t0;
    for (unsigned k = 0; k < RP_ARRAY_LEN(keys); k++) {
        rp_sim_scn_call_s3obj(run, p, a, t, "PutObject", bucket, keys[k], 0,
                              (uint64_t)rp_sim_rng_range(&r, 20000, 400000));
        t += rp_sim_rng_range(&r, 1, 4) * SEC;
    }
    rp_err e = rp_sim_scn_ctplan_start(run, p, eb);
    if (e != RP_OK) return e;
    struct rp_sim_scn_list macie = {0};
    macie_of(run, bucket, &macie);
    struct rp_sim_scn_list ent = {0};
    rp_sim_scn_list_add(&ent, w->buckets[bucket].res.arn);
    rp_sim_scn_list_add(&ent, rp_sim_scn_printf(run, "%s/%s", w->buckets[bucket].res.arn, keys[1]));
    rp_sim_scn_list_add(&ent, w->roles[role].res.arn);
    struct rp_sim_truth tr = {0};
    tr.start_ms = t0;
    tr.end_ms = run->end_ms;
    tr.macie = macie.p;
    tr.nmacie = macie.n;
    tr.entities = ent.p;
    tr.nentities = ent.n;
    tr.note = "a CI job uploads its logs; the debug log carries an AWS key pair, a bearer JWT and "
              "a basic-auth header (buckets/<bucket>/logs/debug/; side-truth/sensitive.jsonl)";
    return rp_sim_scn_truth_add(run, self, &tr, eb);
}

const struct rp_sim_scenario rp_sim_scn_data_credentials_in_ci_logs = {
    .id = "data-credentials-in-ci-logs",
    .summary = "credentials leaked into CI debug logs uploaded to an artifacts bucket",
    .kind = RP_SIM_SCN_DATA,
    .mitre = "T1552.001",
    .plan = plan_ci_logs,
    .expects = RP_SIM_EXPECTS("Macie:SensitiveData:S3Object/Credentials", "Macie:AWS_CREDENTIALS",
                              "Macie:HTTP_BASIC_AUTH_HEADER", "Macie:JSON_WEB_TOKEN"),
};

/* ---- data-shared-docs-shared-externally ----------------------------------------------------- */

struct share_ctx {
    uint32_t bucket;
    const char *policy;
};

static rp_err share_hook(struct rp_sim_run *run, void *ctx, int tag, int64_t ts,
                         const char *event_id, struct rp_errbuf *eb)
{
    (void)tag;
    struct share_ctx *c = ctx;
    struct rp_sim_bucket *b = &run->world->buckets[c->bucket];
    b->policy_override = rp_sim_world_strdup(run->world, c->policy);
    if (!b->policy_override) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    b->res.marks |= RP_SIM_MARK_SCENARIO;
    return rp_sim_world_changed(run, (struct rp_sim_ref){RP_SIM_K_BUCKET, c->bucket}, ts,
                                RP_SIM_CHANGE_UPDATE, event_id, eb);
}

static bool f_shared(const struct rp_sim_run *run, uint32_t i, const void *arg)
{
    (void)arg;
    const struct rp_sim_world *w = run->world;
    const struct rp_sim_bucket *b = &w->buckets[i];
    return b->purpose == RP_SIM_BUCKET_SHARED && !(b->res.marks & RP_SIM_MARK_DECOY) &&
           rp_sim_scn_user_of(w, b->res.acct, RP_SIM_USER_ADMIN) != RP_SIM_NONE;
}

static rp_err plan_share(struct rp_sim_run *run, const struct rp_sim_scenario *self,
                         struct rp_errbuf *eb)
{
    struct rp_sim_world *w = run->world;
    struct rp_sim_rng r;
    rng_of(run, self, &r);
    uint32_t bucket = rp_sim_scn_pick(run, RP_SIM_K_BUCKET, &r, f_shared, NULL);
    int64_t t0 = 0;
    if (bucket == RP_SIM_NONE || !rp_sim_scn_when(run, self, &r, 10 * MIN, &t0)) return RP_OK;
    const struct rp_sim_bucket *b = &w->buckets[bucket];
    uint32_t acct = b->res.acct;
    struct share_ctx *c = rp_sim_scn_alloc(run, sizeof(*c));
    struct rp_sim_scn_ctplan *p = rp_sim_scn_ctplan_new(run, self);
    if (!c || !p) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    c->bucket = bucket;
    char ext[RP_SIM_ACCT_SZ];
    rp_sim_id_account(&r, ext);
    const char *tls =
        b->tls_only
            ? rp_sim_scn_printf(run,
                                "{\"Sid\":\"DenyInsecureTransport\",\"Effect\":\"Deny\","
                                "\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":[\"%s\","
                                "\"%s/*\"],\"Condition\":{\"Bool\":{\"aws:SecureTransport\":"
                                "\"false\"}}},",
                                b->res.arn, b->res.arn)
            : "";
    c->policy = rp_sim_scn_printf(run,
                                  "{\"Version\":\"2012-10-17\",\"Statement\":[%s{\"Sid\":"
                                  "\"PartnerRead\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
                                  "\"arn:aws:iam::%s:root\"},\"Action\":[\"s3:GetObject\","
                                  "\"s3:ListBucket\"],\"Resource\":[\"%s\",\"%s/*\"]}]}",
                                  tls, ext, b->res.arn, b->res.arn);
    uint8_t a = 0;
    uint32_t admin = rp_sim_scn_user_of(w, acct, RP_SIM_USER_ADMIN);
    struct rp_sim_scn_actor *ac = rp_sim_scn_actor_add(p, RP_SIM_CT_IAM_USER, admin, &a);
    if (w->users[admin].habits.nips)
        rp_strlcpy(ac->ip, w->users[admin].habits.ips[0], sizeof(ac->ip));
    p->hook = share_hook;
    p->hook_ctx = c;
    const char *host =
        rp_sim_scn_printf(run, "%s.s3.%s.amazonaws.com", b->res.name, w->regions[b->res.region]);
    struct rp_sim_scn_call *k =
        rp_sim_scn_call_add(run, p, a, t0, "s3.amazonaws.com", "GetBucketPolicy");
    k->params = rp_sim_scn_printf(run, "{\"bucketName\":\"%s\",\"Host\":\"%s\",\"policy\":\"\"}",
                                  b->res.name, host);
    k->region = b->res.region;
    int64_t t1 = t0 + rp_sim_rng_range(&r, 30, 180) * SEC;
    k = rp_sim_scn_call_add(run, p, a, t1, "s3.amazonaws.com", "PutBucketPolicy");
    k->params = rp_sim_scn_printf(run,
                                  "{\"bucketPolicy\":%s,\"bucketName\":\"%s\",\"Host\":\"%s\","
                                  "\"policy\":\"\"}",
                                  c->policy, b->res.name, host);
    k->region = b->res.region;
    k->tag = 1;
    const char *barn = rp_sim_scn_dup(run, b->res.arn),
               *bacct = rp_sim_scn_dup(run, w->accounts[acct].res.id);
    for (uint32_t i = 0; i < p->ncalls; i++) {
        p->calls[i].res_type[0] = "AWS::S3::Bucket";
        p->calls[i].res_arn[0] = barn;
        p->calls[i].res_acct[0] = bacct;
        p->calls[i].nres = 1;
    }
    rp_err e = rp_sim_scn_ctplan_start(run, p, eb);
    if (e != RP_OK) return e;
    struct rp_sim_scn_list macie = {0};
    rp_sim_scn_list_add(&macie, "Policy:IAMUser/S3BucketSharedExternally");
    macie_of(run, bucket, &macie);
    struct rp_sim_scn_list ent = {0};
    rp_sim_scn_list_add(&ent, b->res.arn);
    rp_sim_scn_list_add(&ent, ext);
    rp_sim_scn_list_add(&ent, w->users[admin].res.arn);
    struct rp_sim_truth tr = {0};
    tr.start_ms = t1;
    tr.end_ms = run->end_ms;
    tr.macie = macie.p;
    tr.nmacie = macie.n;
    tr.entities = ent.p;
    tr.nentities = ent.n;
    tr.note = "the bucket holding HR records, private keys and handover notes is shared with an "
              "outside account (s3:GetObject and s3:ListBucket); the sensitive documents are in "
              "buckets/<bucket>/ and side-truth/sensitive.jsonl";
    return rp_sim_scn_truth_add(run, self, &tr, eb);
}

const struct rp_sim_scenario rp_sim_scn_data_shared_docs_shared_externally = {
    .id = "data-shared-docs-shared-externally",
    .summary = "a bucket of sensitive documents shared with an outside account",
    .kind = RP_SIM_SCN_DATA,
    .mitre = "T1537",
    .plan = plan_share,
    .expects = RP_SIM_EXPECTS(
        "Macie:Policy:IAMUser/S3BucketSharedExternally", "Macie:SensitiveData:S3Object/Multiple",
        "Macie:DATE_OF_BIRTH", "Macie:HTTP_BASIC_AUTH_HEADER",
        "Macie:INTERNATIONAL_BANK_ACCOUNT_NUMBER", "Macie:JSON_WEB_TOKEN", "Macie:NAME",
        "Macie:OPENSSH_PRIVATE_KEY", "Macie:PHONE_NUMBER", "Macie:PKCS", "Macie:UK_NHS_NUMBER",
        "Macie:USA_SOCIAL_SECURITY_NUMBER"),
};
