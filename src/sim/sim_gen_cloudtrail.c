/* SPDX-License-Identifier: Apache-2.0 */
/* sim_gen_cloudtrail: the ordinary (benign) CloudTrail activity of the simulated estate, the
 * baseline GuardDuty-style detectors learn from. Every hour, for every principal of the world:
 *   - people (IAM users) work in their time zone's office hours, Monday to Friday (a few also
 *     on Saturday), with a lunch dip and rare off-hours calls; console users sign in once a
 *     working day (MFA when enrolled, now and then a mistyped password first) and then call
 *     APIs through the console session; CLI users use their access key with their own user
 *     agent from their home/office addresses; admins and auditors assume their roles;
 *   - machines: instance-profile roles called from the instance's own egress address (with the
 *     sts:AssumeRole of ec2.amazonaws.com at each credential refresh and the SSM agent's
 *     heartbeat), Lambda execution roles, the backup user's nightly run, the CI/CD pipeline
 *     (terraform plan bursts, change sets, artifact uploads, Lambda code updates), AWS Config's
 *     describe sweeps, the nightly vendor audit through the cross-account role, and AWS
 *     services (autoscaling, log delivery writing into the log bucket);
 *   - S3 data events for app roles, analysts (through Athena) and CI on their own buckets;
 *   - a few benign admin changes a week (office IP added to the bastion security group, tags,
 *     a new hire, key rotation, Lambda deploys) that also mutate the world and note the change
 *     for Config history.
 * Each (principal, hour) draws from its own PRNG stream, so output is independent of the
 * order and of other generators; nothing is kept between hours (memory does not grow). */
#define RP_LOG_MODULE "sim"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sim/sim_activity.h"
#include "core/rp_time.h"
#include "core/rp_banned.h"

#define H      RP_TIME_MS_PER_HOUR
#define MIN    RP_TIME_MS_PER_MIN
#define SSM_UA "aws-sdk-go/1.44.260 (go1.20.11; linux; amd64) amazon-ssm-agent/3.2.2016.0"
#define ATHENA "athena.amazonaws.com"

/* A scratch JSON fragment; err is sticky until the next reset. */
struct frag {
    struct rp_buf b;
    rp_err err;
};

struct ct_state {
    struct frag req, resp, add; /* requestParameters, responseElements, additionalEventData */
    char key[RP_SIM_MAX_KEY];   /* S3 object key of the call being built */
    char arn[RP_SIM_MAX_KEY + RP_SIM_NAME_SZ + 16];
    char host[RP_SIM_NAME_SZ + 64];
    char id2[80];
    char msg[512]; /* errorMessage */
    char misc[RP_SIM_ARN_SZ + 512];
};

/* Everything one emitting routine needs. */
struct g {
    struct rp_sim_run *run;
    struct rp_sim_world *w;
    struct ct_state *st;
    struct rp_sim_rng *r;
    int64_t hour;
    struct rp_errbuf *eb;
};

/* ---- small helpers -------------------------------------------------------------------------- */

static int64_t at_in_hour(struct g *g, int64_t from, int64_t to)
{
    int64_t lo = from < g->hour ? g->hour : from;
    int64_t hi = to > g->hour + H ? g->hour + H : to;
    if (hi <= lo) return lo < g->hour + H ? lo : g->hour + H - 1000;
    return lo + (int64_t)rp_sim_rng_below64(g->r, (uint64_t)(hi - lo) / 1000) * 1000;
}

static const char *acct_id(const struct rp_sim_world *w, uint32_t a)
{
    return w->accounts[a].res.id;
}

static uint32_t pick_live(const struct rp_sim_world *w, struct rp_sim_rng *r, enum rp_sim_kind k,
                          uint32_t acct)
{
    uint32_t idx[64];
    uint32_t n = rp_sim_world_list(w, k, acct, RP_SIM_NONE, idx, 64);
    if (n > 64) n = 64;
    return n ? idx[rp_sim_rng_below(r, n)] : RP_SIM_NONE;
}

static uint32_t bucket_of(const struct rp_sim_world *w, uint32_t acct, enum rp_sim_bucket_purpose p)
{
    for (uint32_t i = 0; i < w->nbuckets; i++)
        if (w->buckets[i].res.acct == acct && w->buckets[i].purpose == p &&
            !w->buckets[i].res.deleted_ms)
            return i;
    return RP_SIM_NONE;
}

static bool str_eq(const char *a, const char *b)
{
    return strcmp(a, b) == 0;
}

static void frag_reset(struct frag *f)
{
    rp_buf_reset(&f->b);
    f->err = RP_OK;
}

static void fragf(struct frag *f, const char *fmt, ...) RP_PRINTF(2, 3);

static void fragf(struct frag *f, const char *fmt, ...)
{
    if (f->err != RP_OK) return;
    va_list ap;
    va_start(ap, fmt);
    f->err = rp_buf_vprintf(&f->b, fmt, ap);
    va_end(ap);
}

#define FRAG fragf

/* The fragment's text, NULL when empty. */
static const char *frag(const struct frag *f)
{
    return f->b.len && f->err == RP_OK ? rp_buf_cstr(&f->b) : NULL;
}

static rp_err emit(struct g *g, struct rp_sim_ct_call *c, char *event_id)
{
    rp_err e = g->st->req.err ? g->st->req.err : g->st->resp.err ? g->st->resp.err : g->st->add.err;
    if (e != RP_OK)
        return rp_fail(g->eb, e, "simulate: cannot build the parameters of '%s'", c->event_name);
    return rp_sim_ct_call_emit(g->run, c, g->r, event_id, g->eb);
}

/* APIs that would change tracked configuration: ordinary activity never makes them (the admin
 * changes below do, and mutate the world accordingly). */
static bool tracked_write(const char *n)
{
    static const char *const names[] = {"RunInstances",
                                        "StartInstances",
                                        "StopInstances",
                                        "CreateTags",
                                        "AuthorizeSecurityGroupIngress",
                                        "RevokeSecurityGroupIngress",
                                        "CreateSnapshot",
                                        "PutBucketPolicy",
                                        "CreateAccessKey",
                                        "UpdateAccessKey",
                                        "AttachRolePolicy",
                                        "PutRolePolicy",
                                        "CreateUser",
                                        "UpdateFunctionCode20150331v2",
                                        "UpdateAutoScalingGroup",
                                        "CreateDBSnapshot",
                                        "Invoke",
                                        "ConsoleLogin",
                                        "AssumeRole",
                                        "CreateNetworkInterface"};
    for (size_t i = 0; i < RP_ARRAY_LEN(names); i++)
        if (str_eq(n, names[i])) return true;
    return false;
}

/* A read of the same service standing in for a tracked write. */
static uint32_t read_instead(const char *src)
{
    static const struct {
        const char *src, *name;
    } m[] = {{"ec2.amazonaws.com", "DescribeInstances"},
             {"s3.amazonaws.com", "ListBuckets"},
             {"iam.amazonaws.com", "GetRole"},
             {"lambda.amazonaws.com", "GetFunction20150331v2"},
             {"autoscaling.amazonaws.com", "DescribeAutoScalingGroups"},
             {"rds.amazonaws.com", "DescribeDBInstances"}};
    for (size_t i = 0; i < RP_ARRAY_LEN(m); i++)
        if (str_eq(src, m[i].src)) return rp_sim_api_find(m[i].src, m[i].name);
    return rp_sim_api_find("sts.amazonaws.com", "GetCallerIdentity");
}

#define B64 "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

/* Credential expiry as STS responses show it in CloudTrail: "Jan 5, 2026, 1:14:00 AM". */
static void expiration(int64_t ms, char *out, size_t sz)
{
    static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    struct rp_time_civil c;
    memset(&c, 0, sizeof(c));
    if (rp_time_to_civil(ms, &c) != RP_OK || c.month < 1 || c.month > 12) {
        snprintf(out, sz, "Jan 1, 1970, 12:00:00 AM");
        return;
    }
    int h12 = c.hour % 12 ? c.hour % 12 : 12;
    snprintf(out, sz, "%s %d, %04d, %d:%02d:%02d %s", mon[c.month - 1], c.day, c.year, h12,
             c.minute, c.second, c.hour < 12 ? "AM" : "PM");
}

/* ---- S3 objects ------------------------------------------------------------------------------ */

static void object_key(struct g *g, const struct rp_sim_bucket *b, int64_t ts, char *out, size_t sz)
{
    struct rp_time_civil c;
    memset(&c, 0, sizeof(c));
    if (rp_time_to_civil(ts, &c) != RP_OK) c.year = 2026;
    char hex[9];
    rp_sim_rng_hex(g->r, hex, 8);
    static const char *const docs[] = {"handbook.pdf",     "q4-forecast.xlsx", "vendor-list.csv",
                                       "architecture.pdf", "onboarding.docx",  "roadmap.pptx"};
    static const char *const teams[] = {"finance", "hr", "engineering", "sales"};
    switch (b->purpose) {
    case RP_SIM_BUCKET_DATA:
        snprintf(out, sz, "orders/%04d/%02d/%02d/order-%06u.json", c.year, c.month, c.day,
                 rp_sim_rng_below(g->r, 200000));
        break;
    case RP_SIM_BUCKET_WEB:
        snprintf(out, sz, "assets/img/%s.png", hex);
        break;
    case RP_SIM_BUCKET_BACKUP:
        snprintf(out, sz, "db/%04d-%02d-%02d/dump-part-%03u.sql.gz", c.year, c.month, c.day,
                 rp_sim_rng_below(g->r, 40));
        break;
    case RP_SIM_BUCKET_ARTIFACTS:
        snprintf(out, sz, "builds/orders-api/%s.zip", hex);
        break;
    case RP_SIM_BUCKET_SHARED:
        snprintf(out, sz, "docs/%s/%s", teams[rp_sim_rng_below(g->r, 4)],
                 docs[rp_sim_rng_below(g->r, RP_ARRAY_LEN(docs))]);
        break;
    default:
        snprintf(out, sz, "data/%s.bin", hex);
        break;
    }
}

/* Fill c as an S3 object-level data event on bucket bi (GetObject/PutObject/HeadObject/
 * ListObjects/DeleteObject). */
static void s3_object_call(struct g *g, struct rp_sim_ct_call *c, uint32_t bi, const char *name,
                           const char *host_override)
{
    struct rp_sim_world *w = g->w;
    struct ct_state *st = g->st;
    const struct rp_sim_bucket *b = &w->buckets[bi];
    char *keybuf = st->key, *arnbuf = st->arn, *hostbuf = st->host, *idbuf = st->id2;
    object_key(g, b, c->ts_ms, keybuf, sizeof(st->key));
    snprintf(hostbuf, sizeof(st->host), "%s.s3.%s.amazonaws.com", b->res.name,
             w->regions[b->res.region]);
    c->event_source = "s3.amazonaws.com";
    c->event_name = name;
    c->data_event = true;
    c->region = b->res.region;
    c->acct = b->res.acct;
    bool list = str_eq(name, "ListObjects");
    bool put = str_eq(name, "PutObject");
    c->read_only = put || str_eq(name, "DeleteObject") ? 0 : 1;
    frag_reset(&st->req);
    if (list)
        FRAG(&st->req,
             "{\"list-type\":\"2\",\"bucketName\":\"%s\",\"Host\":\"%s\",\"prefix\":\"%.*s\"}",
             b->res.name, host_override ? host_override : hostbuf,
             (int)(strchr(keybuf, '/') ? strchr(keybuf, '/') - keybuf + 1 : 0), keybuf);
    else
        FRAG(&st->req, "{\"bucketName\":\"%s\",\"Host\":\"%s\",\"key\":\"%s\"}", b->res.name,
             host_override ? host_override : hostbuf, keybuf);
    c->request_parameters = frag(&st->req);
    frag_reset(&st->resp);
    if (put)
        FRAG(&st->resp, "{\"x-amz-server-side-encryption\":\"%s\"}",
             b->sse == RP_SIM_SSE_KMS ? "aws:kms" : "AES256");
    c->response_elements = frag(&st->resp);
    uint64_t bytes = b->purpose == RP_SIM_BUCKET_BACKUP ? 5000000 + rp_sim_rng_below(g->r, 90000000)
                     : b->purpose == RP_SIM_BUCKET_ARTIFACTS
                         ? 800000 + rp_sim_rng_below(g->r, 9000000)
                         : 600 + rp_sim_rng_below(g->r, 60000);
    rp_sim_rng_chars(g->r, idbuf, 76, B64);
    frag_reset(&st->add);
    FRAG(&st->add,
         "{\"SignatureVersion\":\"SigV4\",\"CipherSuite\":\"TLS_AES_128_GCM_SHA256\","
         "\"bytesTransferredIn\":%llu,%s\"AuthenticationMethod\":\"AuthHeader\",\"x-amz-id-2\":"
         "\"%s\",\"bytesTransferredOut\":%llu}",
         (unsigned long long)(put ? bytes : 0),
         put ? (b->sse == RP_SIM_SSE_KMS ? "\"SSEApplied\":\"SSE_KMS\","
                                         : "\"SSEApplied\":\"Default_SSE_S3\",")
             : "",
         idbuf, (unsigned long long)(put || list ? (list ? 2000 + bytes % 20000 : 0) : bytes));
    c->additional_event_data = frag(&st->add);
    c->nresources = 0;
    if (!list) {
        snprintf(arnbuf, sizeof(st->arn), "arn:aws:s3:::%s/%s", b->res.name, keybuf);
        rp_sim_ct_call_resource(c, "AWS::S3::Object", arnbuf, NULL);
    }
    rp_sim_ct_call_resource(c, "AWS::S3::Bucket", b->res.arn, acct_id(w, b->res.acct));
    c->tls_host = host_override ? "" : hostbuf;
}

/* ---- request parameters of management calls ------------------------------------------------- */

/* Fill request/response/resources of a management call c of principal account acct. Returns
 * false when the call does not fit (e.g. nothing to act on), so the caller skips it. */
static bool mgmt_params(struct g *g, struct rp_sim_ct_call *c, uint32_t acct)
{
    struct rp_sim_world *w = g->w;
    struct ct_state *st = g->st;
    const char *n = c->event_name, *s = c->event_source;
    const char *aid = acct_id(w, acct);
    char *arn = st->misc;
    const size_t arnsz = sizeof(st->misc);
    frag_reset(&st->req);
    frag_reset(&st->resp);
    frag_reset(&st->add);
    c->nresources = 0;
    if (str_eq(s, "ec2.amazonaws.com")) {
        if (str_eq(n, "DescribeInstances"))
            FRAG(&st->req, "{\"instancesSet\":{},\"filterSet\":{}}");
        else if (str_eq(n, "DescribeSecurityGroups"))
            FRAG(&st->req, "{\"securityGroupSet\":{},\"securityGroupIdSet\":{},\"filterSet\":{}}");
        else if (str_eq(n, "DescribeVpcs"))
            FRAG(&st->req, "{\"vpcSet\":{},\"filterSet\":{}}");
        else if (str_eq(n, "DescribeSubnets"))
            FRAG(&st->req, "{\"subnetSet\":{},\"filterSet\":{}}");
        else if (str_eq(n, "DescribeVolumes"))
            FRAG(&st->req, "{\"volumeSet\":{},\"filterSet\":{}}");
        else if (str_eq(n, "DescribeSnapshots"))
            FRAG(&st->req, "{\"snapshotSet\":{},\"ownersSet\":{\"items\":[{\"owner\":\"self\"}]},"
                           "\"filterSet\":{}}");
        else
            FRAG(&st->req, "{\"filterSet\":{}}");
    } else if (str_eq(s, "s3.amazonaws.com")) {
        if (str_eq(n, "ListBuckets")) {
            FRAG(&st->req, "{\"Host\":\"s3.amazonaws.com\"}");
        } else {
            uint32_t b = pick_live(w, g->r, RP_SIM_K_BUCKET, acct);
            if (b == RP_SIM_NONE) return false;
            const struct rp_sim_bucket *bk = &w->buckets[b];
            const char *sub = str_eq(n, "GetBucketPolicy")              ? "policy"
                              : str_eq(n, "GetBucketAcl")               ? "acl"
                              : str_eq(n, "GetBucketLocation")          ? "location"
                              : str_eq(n, "GetBucketPublicAccessBlock") ? "publicAccessBlock"
                                                                        : "versioning";
            FRAG(&st->req, "{\"bucketName\":\"%s\",\"Host\":\"%s.s3.amazonaws.com\",\"%s\":\"\"}",
                 bk->res.name, bk->res.name, sub);
            rp_sim_ct_call_resource(c, "AWS::S3::Bucket", bk->res.arn, aid);
            c->region = bk->res.region;
            if (str_eq(n, "GetBucketPolicy") && !bk->policy_public && !bk->policy_override &&
                !bk->tls_only) {
                c->error_code = "NoSuchBucketPolicy";
                c->error_message = "The bucket policy does not exist";
            }
        }
    } else if (str_eq(s, "iam.amazonaws.com")) {
        if (str_eq(n, "GetUser")) {
            uint32_t u = pick_live(w, g->r, RP_SIM_K_USER, acct);
            if (u == RP_SIM_NONE) return false;
            FRAG(&st->req, "{\"userName\":\"%s\"}", w->users[u].res.name);
        } else if (str_eq(n, "GetRole") || str_eq(n, "ListAttachedRolePolicies")) {
            uint32_t ro = pick_live(w, g->r, RP_SIM_K_ROLE, acct);
            if (ro == RP_SIM_NONE) return false;
            FRAG(&st->req, "{\"roleName\":\"%s\"}", w->roles[ro].res.name);
        } else if (str_eq(n, "GetAccountPasswordPolicy") || str_eq(n, "GetAccountSummary") ||
                   str_eq(n, "ListUsers") || str_eq(n, "ListRoles")) {
            c->request_parameters = NULL;
        } else {
            FRAG(&st->req, "{}");
        }
    } else if (str_eq(s, "lambda.amazonaws.com")) {
        if (str_eq(n, "GetFunction20150331v2")) {
            uint32_t f = pick_live(w, g->r, RP_SIM_K_LAMBDA, acct);
            if (f == RP_SIM_NONE) return false;
            FRAG(&st->req, "{\"functionName\":\"%s\"}", w->lambdas[f].res.name);
            c->region = w->lambdas[f].res.region;
        } else {
            FRAG(&st->req, "{\"maxItems\":50}");
        }
    } else if (str_eq(s, "rds.amazonaws.com")) {
        FRAG(&st->req, "{}");
    } else if (str_eq(s, "kms.amazonaws.com")) {
        uint32_t k = pick_live(w, g->r, RP_SIM_K_KMS_KEY, acct);
        if (k == RP_SIM_NONE || str_eq(n, "ListKeys")) {
            c->request_parameters = NULL;
        } else {
            const struct rp_sim_kms_key *kk = &w->kms_keys[k];
            if (str_eq(n, "Decrypt"))
                FRAG(&st->req, "{\"encryptionAlgorithm\":\"SYMMETRIC_DEFAULT\"}");
            else if (str_eq(n, "GenerateDataKey"))
                FRAG(&st->req, "{\"keyId\":\"%s\",\"keySpec\":\"AES_256\"}", kk->res.arn);
            else
                FRAG(&st->req, "{\"keyId\":\"%s\"}", kk->res.id);
            rp_sim_ct_call_resource(c, "AWS::KMS::Key", kk->res.arn, aid);
            c->region = kk->res.region;
        }
    } else if (str_eq(s, "cloudtrail.amazonaws.com")) {
        uint32_t t = pick_live(w, g->r, RP_SIM_K_TRAIL, acct);
        if (str_eq(n, "GetTrailStatus") && t != RP_SIM_NONE)
            FRAG(&st->req, "{\"name\":\"%s\"}", w->trails[t].res.arn);
        else if (str_eq(n, "DescribeTrails"))
            FRAG(&st->req, "{\"trailNameList\":[],\"includeShadowTrails\":true}");
        else
            FRAG(&st->req, "{\"maxResults\":50}");
    } else if (str_eq(s, "logs.amazonaws.com")) {
        uint32_t f = pick_live(w, g->r, RP_SIM_K_LAMBDA, acct);
        const char *fn = f == RP_SIM_NONE ? "app" : w->lambdas[f].res.name;
        if (str_eq(n, "DescribeLogGroups"))
            FRAG(&st->req, "{\"limit\":50}");
        else
            FRAG(&st->req, "{\"logGroupName\":\"/aws/lambda/%s\",\"interleaved\":true}", fn);
    } else if (str_eq(s, "eks.amazonaws.com")) {
        uint32_t k = pick_live(w, g->r, RP_SIM_K_EKS, acct);
        if (str_eq(n, "DescribeCluster")) {
            if (k == RP_SIM_NONE) return false;
            FRAG(&st->req, "{\"name\":\"%s\"}", w->eks[k].res.name);
            c->region = w->eks[k].res.region;
        } else {
            c->request_parameters = NULL;
        }
    } else if (str_eq(s, "ssm.amazonaws.com")) {
        if (str_eq(n, "GetParameter"))
            FRAG(&st->req, "{\"name\":\"/app/%s/db-host\",\"withDecryption\":false}",
                 w->accounts[acct].role_label);
        else if (str_eq(n, "GetParameters"))
            FRAG(&st->req,
                 "{\"names\":[\"/app/%s/db-host\",\"/app/%s/feature-flags\"],"
                 "\"withDecryption\":true}",
                 w->accounts[acct].role_label, w->accounts[acct].role_label);
        else
            FRAG(&st->req, "{\"maxResults\":50}");
    } else if (str_eq(s, "secretsmanager.amazonaws.com")) {
        snprintf(arn, arnsz, "arn:aws:secretsmanager:%s:%s:secret:%s/db-password-%c%c%c%c%c%c",
                 w->regions[w->accounts[acct].home_region], aid, w->accounts[acct].role_label,
                 'A' + (char)(aid[3] % 26), 'b' + (char)(aid[5] % 20), 'C' + (char)(aid[7] % 20),
                 'd' + (char)(aid[9] % 20), 'E' + (char)(aid[10] % 20), 'f' + (char)(aid[11] % 20));
        FRAG(&st->req, "{\"secretId\":\"%s\"}", arn);
    } else if (str_eq(s, "ecr.amazonaws.com")) {
        if (str_eq(n, "BatchGetImage")) {
            FRAG(&st->req,
                 "{\"repositoryName\":\"orders-api\",\"registryId\":\"%s\",\"imageIds\":"
                 "[{\"imageTag\":\"latest\"}],\"acceptedMediaTypes\":[\"application/"
                 "vnd.docker.distribution.manifest.v2+json\"]}",
                 aid);
            snprintf(arn, arnsz, "arn:aws:ecr:%s:%s:repository/orders-api",
                     w->regions[w->accounts[acct].home_region], aid);
            rp_sim_ct_call_resource(c, "AWS::ECR::Repository", arn, aid);
        } else {
            FRAG(&st->req, "{\"registryIds\":[\"%s\"]}", aid);
        }
    } else if (str_eq(s, "elasticloadbalancing.amazonaws.com")) {
        uint32_t lb = pick_live(w, g->r, RP_SIM_K_LB, acct);
        if (str_eq(n, "DescribeTargetHealth") && lb != RP_SIM_NONE)
            FRAG(&st->req, "{\"targetGroupArn\":\"%s\"}", w->lbs[lb].tg_arn);
        else
            FRAG(&st->req, "{\"pageSize\":400}");
    } else if (str_eq(s, "cloudformation.amazonaws.com")) {
        FRAG(&st->req, "{\"stackName\":\"%s-orders\"}", w->accounts[acct].role_label);
        if (!c->read_only || str_eq(n, "CreateChangeSet"))
            FRAG(&st->resp, "{\"id\":\"arn:aws:cloudformation:%s:%s:changeSet/deploy/%08x\"}",
                 w->regions[w->accounts[acct].home_region], aid, (unsigned)rp_sim_rng_next(g->r));
    } else if (str_eq(s, "athena.amazonaws.com")) {
        char q[RP_SIM_UUID_SZ];
        rp_sim_rng_uuid(g->r, q);
        if (str_eq(n, "StartQueryExecution")) {
            FRAG(&st->req,
                 "{\"queryString\":\"SELECT order_id, total FROM analytics.orders WHERE dt = "
                 "current_date - interval '1' day\",\"workGroup\":\"primary\"}");
            FRAG(&st->resp, "{\"queryExecutionId\":\"%s\"}", q);
        } else {
            FRAG(&st->req, "{\"queryExecutionId\":\"%s\",\"maxResults\":1000}", q);
        }
    } else if (str_eq(s, "glue.amazonaws.com")) {
        FRAG(&st->req, "{\"databaseName\":\"analytics\",\"name\":\"orders\"}");
    } else if (str_eq(s, "guardduty.amazonaws.com")) {
        char d[33];
        rp_sim_suffix(w->seed, aid, RP_SIM_ALPHA_HEX, 32, d);
        FRAG(&st->req, "{\"detectorId\":\"%s\",\"maxResults\":50}", d);
    } else if (str_eq(s, "monitoring.amazonaws.com")) {
        FRAG(&st->req, "{\"maxRecords\":100}");
    } else if (str_eq(s, "sts.amazonaws.com")) {
        c->request_parameters = NULL;
    } else {
        FRAG(&st->req, "{}");
    }
    if (st->req.b.len) c->request_parameters = frag(&st->req);
    if (st->resp.b.len) c->response_elements = frag(&st->resp);
    return true;
}

/* Errors of ordinary activity: people now and then call what they may not; machines are
 * throttled rarely. */
static void maybe_error(struct g *g, struct rp_sim_ct_call *c, const char *arn, bool human)
{
    char *msg = g->st->msg;
    const size_t msgsz = sizeof(g->st->msg);
    if (c->error_code) return;
    if (human && rp_sim_rng_chance(g->r, 15)) {
        const char *svc = c->event_source;
        size_t pl = strcspn(svc, ".");
        if (str_eq(svc, "ec2.amazonaws.com")) {
            c->error_code = "Client.UnauthorizedOperation";
            snprintf(msg, msgsz,
                     "You are not authorized to perform this operation. User: %s is not "
                     "authorized to perform: ec2:%s because no identity-based policy allows "
                     "the ec2:%s action",
                     arn, c->event_name, c->event_name);
        } else {
            c->error_code = "AccessDenied";
            snprintf(msg, msgsz,
                     "User: %s is not authorized to perform: %.*s:%s because no identity-based "
                     "policy allows the %.*s:%s action",
                     arn, (int)pl, svc, c->event_name, (int)pl, svc, c->event_name);
        }
        c->error_message = msg;
        c->response_elements = NULL;
    } else if (!human && rp_sim_rng_chance(g->r, 3)) {
        c->error_code = str_eq(c->event_source, "ec2.amazonaws.com") ? "Client.RequestLimitExceeded"
                                                                     : "ThrottlingException";
        c->error_message = "Rate exceeded";
        c->response_elements = NULL;
    }
}

/* One habitual call of who (account acct, default region region) at ts. */
static rp_err habit_call(struct g *g, const struct rp_sim_ct_who *who,
                         const struct rp_sim_habits *h, uint32_t acct, uint32_t region, int64_t ts,
                         const char *arn, bool human, int bucket_purpose)
{
    if (h->napis == 0) return RP_OK;
    uint32_t wts[RP_SIM_MAX_HABIT_APIS];
    for (uint32_t i = 0; i < h->napis; i++) wts[i] = h->api_weights[i];
    uint32_t api = h->apis[rp_sim_rng_pick_weighted(g->r, wts, h->napis)];
    const struct rp_sim_api *a = &rp_sim_api_catalog[api];
    if (tracked_write(a->event_name)) {
        uint32_t alt = read_instead(a->event_source);
        if (alt == RP_SIM_NONE) return RP_OK;
        a = &rp_sim_api_catalog[alt];
    }
    struct rp_sim_ct_call c;
    rp_sim_ct_call_init(&c, who->kind, who->idx);
    c.who = *who;
    c.acct = acct;
    c.ts_ms = ts;
    c.region = rp_sim_ct_is_global(a->event_source) ? rp_sim_ct_global_region(g->w) : region;
    if (human && !rp_sim_ct_is_global(a->event_source) && g->w->nregions > 1 &&
        rp_sim_rng_chance(g->r, 80))
        c.region = (region + 1) % g->w->nregions;
    c.event_source = a->event_source;
    c.event_name = a->event_name;
    c.read_only = a->read_only ? 1 : 0;
    if (a->data_event) {
        if (bucket_purpose < 0) return RP_OK;
        uint32_t b = bucket_of(g->w, acct, (enum rp_sim_bucket_purpose)bucket_purpose);
        if (b == RP_SIM_NONE) return RP_OK;
        s3_object_call(g, &c, b, a->event_name, NULL);
        if (str_eq(a->event_name, "GetObject") && rp_sim_rng_chance(g->r, 5)) {
            c.error_code = "NoSuchKey";
            c.error_message = "The specified key does not exist.";
        }
    } else if (!mgmt_params(g, &c, acct)) {
        return RP_OK;
    }
    maybe_error(g, &c, arn, human);
    return emit(g, &c, NULL);
}

/* ---- people --------------------------------------------------------------------------------- */

/* The time a console user signs in on the local day containing ms (their work start plus up to
 * 40 minutes). */
static int64_t login_time(const struct rp_sim_world *w, uint32_t ui, int64_t ms)
{
    const struct rp_sim_habits *h = &w->users[ui].habits;
    int64_t off = (int64_t)h->tz_offset_min * MIN;
    int64_t local = ms + off;
    int64_t day = local >= 0 ? local / RP_TIME_MS_PER_DAY
                             : -((-local + RP_TIME_MS_PER_DAY - 1) / RP_TIME_MS_PER_DAY);
    uint64_t x = rp_sim_mix(rp_sim_mix(w->seed, ui), (uint64_t)day);
    return day * RP_TIME_MS_PER_DAY - off + (int64_t)h->work_start_hour * H +
           (int64_t)(x % 40) * MIN + (int64_t)((x >> 8) % 60) * 1000;
}

static rp_err console_login(struct g *g, uint32_t ui, int64_t ts, bool fail)
{
    const struct rp_sim_user *u = &g->w->users[ui];
    struct rp_sim_ct_call c;
    rp_sim_ct_call_init(&c, RP_SIM_CT_IAM_USER, ui);
    c.ts_ms = ts;
    c.event_source = "signin.amazonaws.com";
    c.event_name = "ConsoleLogin";
    c.read_only = 0;
    c.response_elements =
        fail ? "{\"ConsoleLogin\":\"Failure\"}" : "{\"ConsoleLogin\":\"Success\"}";
    char *add = g->st->misc;
    const size_t addsz = sizeof(g->st->misc);
    if (u->mfa && !fail)
        snprintf(add, addsz,
                 "{\"LoginTo\":\"https://console.aws.amazon.com/console/home?hashArgs=%%23&"
                 "isauthcode=true&state=hashArgsFromTB_us-east-1_%016llx\",\"MobileVersion\":"
                 "\"No\",\"MFAIdentifier\":\"%s\",\"MFAUsed\":\"Yes\"}",
                 (unsigned long long)rp_sim_mix(g->w->seed, (uint64_t)ts), u->mfa_serial);
    else
        snprintf(add, addsz,
                 "{\"LoginTo\":\"https://console.aws.amazon.com/console/home?hashArgs=%%23&"
                 "isauthcode=true&state=hashArgsFromTB_us-east-1_%016llx\",\"MobileVersion\":"
                 "\"No\",\"MFAUsed\":\"No\"}",
                 (unsigned long long)rp_sim_mix(g->w->seed, (uint64_t)ts));
    c.additional_event_data = add;
    if (fail) c.error_message = "Failed authentication";
    return emit(g, &c, NULL);
}

/* sts:AssumeRole of role by a caller, returning the credentials the session then uses. */
static rp_err assume_role(struct g *g, const struct rp_sim_ct_who *caller, uint32_t role,
                          const char *session, int64_t ts, const char *ip, const char *ua,
                          const char *external_id, const char *serial)
{
    struct rp_sim_world *w = g->w;
    const struct rp_sim_role *ro = &w->roles[role];
    struct rp_sim_ct_who sess;
    memset(&sess, 0, sizeof(sess));
    sess.kind = RP_SIM_CT_ROLE;
    sess.idx = role;
    sess.session_name = session;
    sess.session_ms = ts - ts % 1000;
    sess.mfa = -1;
    char key[32], exp[40], token[96];
    if (rp_sim_ct_who_key(w, &sess, ts, key, sizeof(key)) != RP_OK) return RP_OK;
    expiration(ts + 3600000, exp, sizeof(exp));
    struct rp_sim_ct_call c;
    rp_sim_ct_call_init(&c, caller->kind, caller->idx);
    c.who = *caller;
    if (ip) c.who.source_ip = ip;
    if (ua) c.who.user_agent = ua;
    c.acct = ro->res.acct;
    c.ts_ms = ts;
    c.event_source = "sts.amazonaws.com";
    c.event_name = "AssumeRole";
    c.read_only = 1;
    struct ct_state *st = g->st;
    frag_reset(&st->req);
    FRAG(&st->req, "{\"roleArn\":\"%s\",\"roleSessionName\":\"%s\"", ro->res.arn, session);
    if (external_id) FRAG(&st->req, ",\"externalId\":\"%s\"", external_id);
    if (serial) FRAG(&st->req, ",\"serialNumber\":\"%s\"", serial);
    if (caller->kind != RP_SIM_CT_SERVICE) FRAG(&st->req, ",\"durationSeconds\":3600");
    FRAG(&st->req, "}");
    c.request_parameters = frag(&st->req);
    rp_sim_rng_chars(g->r, token, 76, B64);
    frag_reset(&st->resp);
    FRAG(&st->resp,
         "{\"credentials\":{\"accessKeyId\":\"%s\",\"sessionToken\":\"IQoJb3JpZ2luX2VjE%s\","
         "\"expiration\":\"%s\"},\"assumedRoleUser\":{\"assumedRoleId\":\"%s:%s\",\"arn\":"
         "\"arn:aws:sts::%s:assumed-role/%s/%s\"}}",
         key, token, exp, ro->res.id, session, acct_id(w, ro->res.acct), ro->res.name, session);
    c.response_elements = frag(&st->resp);
    rp_sim_ct_call_resource(&c, "AWS::IAM::Role", ro->res.arn, acct_id(w, ro->res.acct));
    return emit(g, &c, NULL);
}

/* sts:GetFederationToken of user ui for a federated session called name, starting at ts. */
static rp_err federation_token(struct g *g, uint32_t ui, const char *name, int64_t ts)
{
    struct rp_sim_world *w = g->w;
    const struct rp_sim_user *u = &w->users[ui];
    struct rp_sim_ct_who fed;
    memset(&fed, 0, sizeof(fed));
    fed.kind = RP_SIM_CT_FEDERATED;
    fed.idx = ui;
    fed.session_name = name;
    fed.session_ms = ts;
    fed.mfa = -1;
    char key[32], exp[40];
    if (rp_sim_ct_who_key(w, &fed, ts, key, sizeof(key)) != RP_OK) return RP_OK;
    expiration(ts + 3600000, exp, sizeof(exp));
    struct rp_sim_ct_call c;
    rp_sim_ct_call_init(&c, RP_SIM_CT_IAM_USER, ui);
    c.ts_ms = ts;
    c.event_source = "sts.amazonaws.com";
    c.event_name = "GetFederationToken";
    c.read_only = 1;
    struct ct_state *st = g->st;
    frag_reset(&st->req);
    FRAG(&st->req,
         "{\"name\":\"%s\",\"durationSeconds\":3600,\"policy\":\"{\\\"Version\\\":"
         "\\\"2012-10-17\\\",\\\"Statement\\\":[{\\\"Effect\\\":\\\"Allow\\\","
         "\\\"Action\\\":\\\"s3:*\\\",\\\"Resource\\\":\\\"*\\\"}]}\"}",
         name);
    c.request_parameters = frag(&st->req);
    frag_reset(&st->resp);
    FRAG(&st->resp,
         "{\"credentials\":{\"accessKeyId\":\"%s\",\"expiration\":\"%s\"},\"federatedUser\":"
         "{\"federatedUserId\":\"%s:%s\",\"arn\":\"arn:aws:sts::%s:federated-user/%s\"},"
         "\"packedPolicySize\":9}",
         key, exp, acct_id(w, u->res.acct), name, acct_id(w, u->res.acct), name);
    c.response_elements = frag(&st->resp);
    return emit(g, &c, NULL);
}

/* The activity of user ui in this hour. */
static rp_err user_hour(struct g *g, uint32_t ui)
{
    struct rp_sim_world *w = g->w;
    const struct rp_sim_user *u = &w->users[ui];
    const struct rp_sim_habits *h = &u->habits;
    if (u->res.deleted_ms || u->res.created_ms > g->hour) return RP_OK;
    if (u->kind == RP_SIM_USER_CI) return RP_OK; /* acts only inside CI pipelines */
    rp_err e = RP_OK;
    uint32_t acct = u->res.acct;
    uint32_t region = h->region < w->nregions ? h->region : 0;
    if (u->kind == RP_SIM_USER_SERVICE) {
        /* the backup job: a nightly run around 02:00 UTC, monitoring calls the rest of the day */
        int hr = 0, wd = 0;
        rp_sim_act_local(g->hour, 0, &hr, &wd);
        uint32_t mean = hr == 2 ? h->calls_per_hour * 4u : h->calls_per_hour / 6u;
        uint32_t n = rp_sim_rng_count(g->r, rp_sim_act_mean(w, mean));
        struct rp_sim_ct_who who;
        memset(&who, 0, sizeof(who));
        who.kind = RP_SIM_CT_IAM_USER;
        who.idx = ui;
        who.mfa = -1;
        const char *arn = u->res.arn;
        char fed_arn[RP_SIM_ARN_SZ];
        int64_t from = g->hour;
        if (hr == 2 && n) {
            /* the backup agent works with a federated session of the backup user */
            int64_t t0 = g->hour + (int64_t)rp_sim_rng_below(g->r, 120) * 1000;
            e = federation_token(g, ui, "backup-agent", t0);
            who.kind = RP_SIM_CT_FEDERATED;
            who.session_name = "backup-agent";
            who.session_ms = t0;
            who.user_agent = h->user_agent;
            snprintf(fed_arn, sizeof(fed_arn), "arn:aws:sts::%.12s:federated-user/backup-agent",
                     acct_id(w, acct));
            arn = fed_arn;
            from = t0 + 1000;
        }
        for (uint32_t i = 0; i < n && e == RP_OK; i++)
            e = habit_call(g, &who, h, acct, region, at_in_hour(g, from, g->hour + H), arn, false,
                           hr == 2 ? RP_SIM_BUCKET_BACKUP : -1);
        return e;
    }
    bool active = rp_sim_habits_active(h, g->hour);
    uint32_t mean = 0;
    if (active)
        mean = (uint32_t)h->calls_per_hour * rp_sim_act_diurnal(g->hour, h->tz_offset_min, true) /
               1000;
    else if (rp_sim_rng_chance(g->r, h->offhours_permille))
        mean = 3;
    if (mean == 0) return RP_OK;
    uint32_t n = rp_sim_rng_count(g->r, rp_sim_act_mean(w, mean));
    if (n == 0) return RP_OK;
    int64_t start = g->hour;
    struct rp_sim_ct_who who;
    memset(&who, 0, sizeof(who));
    who.kind = RP_SIM_CT_IAM_USER;
    who.idx = ui;
    who.mfa = -1;
    if (h->console) {
        int64_t login = login_time(w, ui, g->hour);
        if (!active || login >= g->hour + H || login + 12 * H <= g->hour) {
            /* an off-hours visit: a fresh sign-in at the start of it */
            login = g->hour + (int64_t)rp_sim_rng_below(g->r, 600) * 1000;
        }
        if (login >= g->hour) {
            /* a mistyped password first, in the same hour (a stream takes only its hour) */
            int64_t typo = login - 25000 < g->hour ? g->hour : login - 25000;
            if (rp_sim_rng_chance(g->r, 20)) e = console_login(g, ui, typo, true);
            if (e == RP_OK) e = console_login(g, ui, login, false);
            start = login + 5000;
        }
        who.console = true;
        who.session_ms = login;
        who.mfa = u->mfa;
    }
    /* role sessions: admins and auditors assume their role for part of the hour */
    uint32_t nrole = 0;
    uint32_t role = RP_SIM_NONE;
    if (h->nassume && active && rp_sim_rng_chance(g->r, 300)) {
        role = h->assume_roles[rp_sim_rng_below(g->r, h->nassume)];
        if (role < w->nroles && !w->roles[role].res.deleted_ms)
            nrole = n / 2 + 1;
        else
            role = RP_SIM_NONE;
    }
    for (uint32_t i = 0; i + nrole < n && e == RP_OK; i++) {
        struct rp_sim_ct_who cw = who;
        if (h->console && u->nkeys && u->keys[0].active && rp_sim_rng_chance(g->r, 150)) {
            cw.console = false; /* the occasional CLI call with the key */
            cw.session_ms = 0;
            cw.mfa = -1;
        }
        int purpose =
            u->kind == RP_SIM_USER_DATA
                ? (rp_sim_rng_chance(g->r, 300) ? RP_SIM_BUCKET_SHARED : RP_SIM_BUCKET_DATA)
                : RP_SIM_BUCKET_ARTIFACTS;
        e = habit_call(g, &cw, h, acct, region, at_in_hour(g, start, g->hour + H), u->res.arn, true,
                       purpose);
        /* analysts' Athena queries read the data bucket on their behalf */
        if (e == RP_OK && u->kind == RP_SIM_USER_DATA && rp_sim_rng_chance(g->r, 150)) {
            uint32_t b = bucket_of(w, acct, RP_SIM_BUCKET_DATA);
            for (uint32_t k = 0; b != RP_SIM_NONE && k < 3 && e == RP_OK; k++) {
                struct rp_sim_ct_call c;
                rp_sim_ct_call_init(&c, RP_SIM_CT_IAM_USER, ui);
                c.who = cw;
                c.who.service = ATHENA;
                c.who.source_ip = ATHENA;
                c.who.user_agent = ATHENA;
                c.ts_ms = at_in_hour(g, start, g->hour + H);
                s3_object_call(g, &c, b, k == 0 ? "ListObjects" : "GetObject", NULL);
                c.tls_host = "";
                e = emit(g, &c, NULL);
            }
        }
    }
    if (role != RP_SIM_NONE && e == RP_OK) {
        const struct rp_sim_role *ro = &w->roles[role];
        int64_t t0 = at_in_hour(g, start, g->hour + 40 * MIN);
        /* the role session works from the user's address of the day */
        const char *ip = rp_sim_ct_who_ip(w, &who, t0);
        struct rp_sim_ct_who rs;
        memset(&rs, 0, sizeof(rs));
        rs.kind = RP_SIM_CT_ROLE;
        rs.idx = role;
        rs.session_name = u->res.name;
        rs.session_ms = t0 - t0 % 1000;
        rs.source_ip = ip;
        rs.mfa = u->mfa ? 1 : 0;
        if (h->console) {
            /* switch role in the console */
            struct rp_sim_ct_call c;
            rp_sim_ct_call_init(&c, RP_SIM_CT_ROLE, role);
            c.who = rs;
            c.who.console = true;
            c.ts_ms = t0;
            c.event_source = "signin.amazonaws.com";
            c.event_name = "SwitchRole";
            c.read_only = 0;
            c.response_elements = "{\"SwitchRole\":\"Success\"}";
            char *add = g->st->misc;
            snprintf(add, sizeof(g->st->misc),
                     "{\"RedirectTo\":\"https://console.aws.amazon.com/"
                     "console/home\",\"SwitchFrom\":\"%s\"}",
                     u->res.arn);
            c.additional_event_data = add;
            e = emit(g, &c, NULL);
            rs.console = true;
        } else {
            e = assume_role(g, &who, role, u->res.name, t0, ip, NULL, NULL,
                            u->mfa ? u->mfa_serial : NULL);
            rs.user_agent = h->user_agent[0] && strncmp(h->user_agent, "Mozilla", 7) != 0
                                ? h->user_agent
                                : NULL;
        }
        char rarn[RP_SIM_ARN_SZ + 96];
        snprintf(rarn, sizeof(rarn), "arn:aws:sts::%.12s:assumed-role/%.64s/%.64s",
                 acct_id(w, ro->res.acct), ro->res.name, u->res.name);
        for (uint32_t i = 0; i < nrole && e == RP_OK; i++)
            e = habit_call(g, &rs, &ro->habits, acct, region, at_in_hour(g, t0 + 2000, g->hour + H),
                           rarn, true, -1);
    }
    return e;
}

/* ---- machines ------------------------------------------------------------------------------- */

static const char *os_name(enum rp_sim_os os)
{
    switch (os) {
    case RP_SIM_OS_UBUNTU:
        return "Ubuntu";
    case RP_SIM_OS_DEBIAN:
        return "Debian GNU/Linux";
    case RP_SIM_OS_AMAZON:
        return "Amazon Linux";
    case RP_SIM_OS_ALPINE:
        return "Alpine Linux";
    }
    return "Linux";
}

/* An instance-profile role used on instance ii: credential refresh by ec2.amazonaws.com, the SSM
 * agent's heartbeat every five minutes and the application's calls, all from the instance's own
 * egress address. */
static rp_err instance_hour(struct g *g, uint32_t ii, uint32_t ninst_role)
{
    struct rp_sim_world *w = g->w;
    const struct rp_sim_instance *in = &w->instances[ii];
    if (in->res.deleted_ms || in->res.created_ms > g->hour || strcmp(in->state, "running") != 0 ||
        in->profile_role >= w->nroles)
        return RP_OK;
    uint32_t role = in->profile_role;
    const struct rp_sim_role *ro = &w->roles[role];
    rp_err e = RP_OK;
    /* credentials rotate every 6 hours at an instance-specific offset */
    int64_t off = (int64_t)(rp_sim_mix(w->seed, rp_sim_hash_str(in->res.id)) % 360) * MIN;
    int64_t sess = ((g->hour + H - 1 - off) / (6 * H)) * (6 * H) + off;
    if (sess > g->hour + H - 1) sess -= 6 * H;
    struct rp_sim_ct_who who;
    memset(&who, 0, sizeof(who));
    who.kind = RP_SIM_CT_ROLE;
    who.idx = role;
    who.session_name = in->res.id;
    who.session_ms = sess;
    who.mfa = -1;
    /* instances that still allow IMDSv1 fetch their credentials with it now and then */
    who.ec2_role_delivery = in->imdsv2_required || rp_sim_mix(w->seed, ii) % 3 ? 2 : 1;
    if (sess >= g->hour && sess < g->hour + H) {
        struct rp_sim_ct_who ec2;
        memset(&ec2, 0, sizeof(ec2));
        ec2.kind = RP_SIM_CT_SERVICE;
        ec2.service = "ec2.amazonaws.com";
        ec2.mfa = -1;
        e = assume_role(g, &ec2, role, in->res.id, sess, NULL, NULL, NULL, NULL);
        if (e != RP_OK) return e;
    }
    /* SSM agent heartbeat */
    int64_t hb = (int64_t)(rp_sim_mix(w->seed, ii) % 300) * 1000;
    const struct rp_sim_subnet *sn = in->subnet < w->nsubnets ? &w->subnets[in->subnet] : NULL;
    for (int64_t t = g->hour + hb; t < g->hour + H && e == RP_OK; t += 5 * MIN) {
        struct rp_sim_ct_call c;
        rp_sim_ct_call_init(&c, RP_SIM_CT_ROLE, role);
        c.who = who;
        c.who.user_agent = SSM_UA;
        c.ts_ms = t;
        c.region = in->res.region;
        c.event_source = "ssm.amazonaws.com";
        c.event_name = "UpdateInstanceInformation";
        c.read_only = 0;
        struct ct_state *st = g->st;
        frag_reset(&st->req);
        FRAG(&st->req,
             "{\"instanceId\":\"%s\",\"agentVersion\":\"3.2.2016.0\",\"agentStatus\":\"Active\","
             "\"platformType\":\"Linux\",\"platformName\":\"%s\",\"platformVersion\":\"%s\","
             "\"iPAddress\":\"%s\",\"computerName\":\"%s\",\"agentName\":\"amazon-ssm-agent\","
             "\"availabilityZone\":\"%s\",\"availabilityZoneId\":\"%s\"}",
             in->res.id, os_name(in->os), in->os_release, in->private_ip, in->private_dns, in->az,
             sn ? sn->az_id : "");
        c.request_parameters = frag(&st->req);
        e = emit(g, &c, NULL);
    }
    /* the application's own calls */
    /* the role's habitual rate is shared by up to three instances; larger fleets each call at
     * a third of it */
    uint32_t mean = ro->habits.calls_per_hour / (ninst_role > 3 ? 3
                                                 : ninst_role   ? ninst_role
                                                                : 1) +
                    2;
    mean = mean * rp_sim_act_diurnal(g->hour, 0, false) / 1000;
    uint32_t n = rp_sim_rng_count(g->r, rp_sim_act_mean(w, mean));
    int purpose = in->workload == RP_SIM_WL_WEB         ? RP_SIM_BUCKET_WEB
                  : in->workload == RP_SIM_WL_CI_RUNNER ? RP_SIM_BUCKET_ARTIFACTS
                  : in->workload == RP_SIM_WL_K8S_NODE  ? -1
                  : in->workload == RP_SIM_WL_DB        ? RP_SIM_BUCKET_BACKUP
                                                        : RP_SIM_BUCKET_DATA;
    if (purpose == RP_SIM_BUCKET_WEB &&
        bucket_of(w, in->res.acct, RP_SIM_BUCKET_WEB) == RP_SIM_NONE)
        purpose = RP_SIM_BUCKET_DATA;
    char arn[RP_SIM_ARN_SZ + 64];
    snprintf(arn, sizeof(arn), "arn:aws:sts::%.12s:assumed-role/%.64s/%.64s",
             acct_id(w, ro->res.acct), ro->res.name, in->res.id);
    int64_t from = sess > g->hour ? sess + 1000 : g->hour;
    for (uint32_t i = 0; i < n && e == RP_OK; i++)
        e = habit_call(g, &who, &ro->habits, in->res.acct, in->res.region,
                       at_in_hour(g, from, g->hour + H), arn, false, purpose);
    return e;
}

/* A Lambda function's execution-role session (one per 4-hour container lifetime). */
static rp_err lambda_hour(struct g *g, uint32_t fi)
{
    struct rp_sim_world *w = g->w;
    const struct rp_sim_lambda *f = &w->lambdas[fi];
    if (f->res.deleted_ms || f->role >= w->nroles) return RP_OK;
    const struct rp_sim_role *ro = &w->roles[f->role];
    uint32_t mean = f->invocations_per_hour / 8 + 1;
    mean = mean * rp_sim_act_diurnal(g->hour, 0, false) / 1000;
    uint32_t n = rp_sim_rng_count(g->r, rp_sim_act_mean(w, mean));
    if (n == 0) return RP_OK;
    int64_t off = (int64_t)(rp_sim_mix(w->seed, rp_sim_hash_str(f->res.name)) % 240) * MIN;
    int64_t sess = ((g->hour + H - 1 - off) / (4 * H)) * (4 * H) + off;
    if (sess > g->hour + H - 1) sess -= 4 * H;
    rp_err e = RP_OK;
    if (sess >= g->hour) {
        struct rp_sim_ct_who svc;
        memset(&svc, 0, sizeof(svc));
        svc.kind = RP_SIM_CT_SERVICE;
        svc.service = "lambda.amazonaws.com";
        svc.mfa = -1;
        e = assume_role(g, &svc, f->role, f->res.name, sess, NULL, NULL, NULL, NULL);
    }
    struct rp_sim_ct_who who;
    memset(&who, 0, sizeof(who));
    who.kind = RP_SIM_CT_ROLE;
    who.idx = f->role;
    who.session_name = f->res.name;
    who.session_ms = sess;
    who.mfa = -1;
    char arn[RP_SIM_ARN_SZ + 64];
    snprintf(arn, sizeof(arn), "arn:aws:sts::%.12s:assumed-role/%.64s/%.64s",
             acct_id(w, ro->res.acct), ro->res.name, f->res.name);
    int64_t from = sess > g->hour ? sess + 1000 : g->hour;
    for (uint32_t i = 0; i < n && e == RP_OK; i++)
        e = habit_call(g, &who, &ro->habits, f->res.acct, f->res.region,
                       at_in_hour(g, from, g->hour + H), arn, false, RP_SIM_BUCKET_DATA);
    return e;
}

/* AWS Config's describe sweep through its service-linked role. */
static rp_err config_role_hour(struct g *g, uint32_t role)
{
    struct rp_sim_world *w = g->w;
    const struct rp_sim_role *ro = &w->roles[role];
    uint32_t n = rp_sim_rng_count(g->r, rp_sim_act_mean(w, ro->habits.calls_per_hour));
    if (n == 0) return RP_OK;
    int64_t t0 = g->hour + (int64_t)rp_sim_rng_below(g->r, 300) * 1000;
    struct rp_sim_ct_who svc;
    memset(&svc, 0, sizeof(svc));
    svc.kind = RP_SIM_CT_SERVICE;
    svc.service = "config.amazonaws.com";
    svc.mfa = -1;
    rp_err e = assume_role(g, &svc, role, "AWSConfig-Describe", t0, NULL, NULL, NULL, NULL);
    struct rp_sim_ct_who who;
    memset(&who, 0, sizeof(who));
    who.kind = RP_SIM_CT_ROLE;
    who.idx = role;
    who.session_name = "AWSConfig-Describe";
    who.session_ms = t0 - t0 % 1000;
    who.service = "config.amazonaws.com";
    who.source_ip = "config.amazonaws.com";
    who.user_agent = "config.amazonaws.com";
    who.mfa = -1;
    for (uint32_t i = 0; i < n && e == RP_OK; i++)
        e = habit_call(g, &who, &ro->habits, ro->res.acct, w->accounts[ro->res.acct].home_region,
                       at_in_hour(g, t0 + 1000, t0 + 20 * MIN), "", false, -1);
    return e;
}

/* The vendor's nightly audit through the cross-account role. */
static rp_err vendor_hour(struct g *g, uint32_t role)
{
    struct rp_sim_world *w = g->w;
    const struct rp_sim_role *ro = &w->roles[role];
    if (!rp_sim_habits_active(&ro->habits, g->hour) || ro->habits.nips == 0) return RP_OK;
    uint32_t n = rp_sim_rng_count(g->r, rp_sim_act_mean(w, ro->habits.calls_per_hour * 3));
    if (n == 0) return RP_OK;
    char vendor[RP_SIM_ACCT_SZ] = "";
    const char *p = strstr(ro->trust_aws, "iam::");
    if (p) snprintf(vendor, sizeof(vendor), "%.12s", p + 5);
    if (!vendor[0]) return RP_OK;
    char pid[64];
    char body[18];
    rp_sim_suffix(w->seed, ro->trust_aws, RP_SIM_ALPHA_BASE32, 17, body);
    snprintf(pid, sizeof(pid), "AIDA%s", body);
    int64_t t0 = g->hour + (int64_t)rp_sim_rng_below(g->r, 900) * 1000;
    struct rp_sim_ct_who caller;
    memset(&caller, 0, sizeof(caller));
    caller.kind = RP_SIM_CT_AWS_ACCOUNT;
    caller.idx = RP_SIM_NONE;
    caller.account_id = vendor;
    caller.principal_id = pid;
    caller.mfa = -1;
    const char *ip = ro->habits.ips[0];
    rp_err e = assume_role(g, &caller, role, "cspm-scan", t0, ip, ro->habits.user_agent,
                           ro->external_id[0] ? ro->external_id : NULL, NULL);
    struct rp_sim_ct_who who;
    memset(&who, 0, sizeof(who));
    who.kind = RP_SIM_CT_ROLE;
    who.idx = role;
    who.session_name = "cspm-scan";
    who.session_ms = t0 - t0 % 1000;
    who.source_ip = ip;
    who.mfa = -1;
    char arn[RP_SIM_ARN_SZ + 64];
    snprintf(arn, sizeof(arn), "arn:aws:sts::%s:assumed-role/%s/cspm-scan",
             acct_id(w, ro->res.acct), ro->res.name);
    for (uint32_t i = 0; i < n && e == RP_OK; i++)
        e = habit_call(g, &who, &ro->habits, ro->res.acct, w->accounts[ro->res.acct].home_region,
                       at_in_hour(g, t0 + 1000, g->hour + H), arn, false, -1);
    return e;
}

/* Auto Scaling's periodic health checks through its service-linked role. */
static rp_err autoscaling_hour(struct g *g, uint32_t role)
{
    struct rp_sim_world *w = g->w;
    const struct rp_sim_role *ro = &w->roles[role];
    uint32_t asg = pick_live(w, g->r, RP_SIM_K_ASG, ro->res.acct);
    if (asg == RP_SIM_NONE) return RP_OK;
    int64_t t0 = g->hour + (int64_t)rp_sim_rng_below(g->r, 3000) * 1000;
    struct rp_sim_ct_who svc;
    memset(&svc, 0, sizeof(svc));
    svc.kind = RP_SIM_CT_SERVICE;
    svc.service = "autoscaling.amazonaws.com";
    svc.mfa = -1;
    rp_err e = assume_role(g, &svc, role, "AutoScaling", t0, NULL, NULL, NULL, NULL);
    uint32_t lb = w->asgs[asg].lb;
    if (e != RP_OK || lb >= w->nlbs) return e;
    struct rp_sim_ct_call c;
    rp_sim_ct_call_init(&c, RP_SIM_CT_ROLE, role);
    c.who.session_name = "AutoScaling";
    c.who.session_ms = t0 - t0 % 1000;
    c.who.service = "autoscaling.amazonaws.com";
    c.who.source_ip = "autoscaling.amazonaws.com";
    c.who.user_agent = "autoscaling.amazonaws.com";
    c.ts_ms = t0 + 2000;
    c.region = w->lbs[lb].res.region;
    c.event_source = "elasticloadbalancing.amazonaws.com";
    c.event_name = "DescribeTargetHealth";
    char *req = g->st->misc;
    snprintf(req, sizeof(g->st->misc), "{\"targetGroupArn\":\"%s\"}", w->lbs[lb].tg_arn);
    c.request_parameters = req;
    return emit(g, &c, NULL);
}

/* Log delivery writing into the account's log bucket: CloudTrail every five minutes per region
 * and the flow-log/DNS-log delivery service per VPC (S3 data events of AWS services). */
static rp_err log_delivery_hour(struct g *g, uint32_t acct)
{
    struct rp_sim_world *w = g->w;
    uint32_t bi = w->accounts[acct].log_bucket;
    if (bi >= w->nbuckets || w->buckets[bi].res.deleted_ms) return RP_OK;
    const struct rp_sim_bucket *b = &w->buckets[bi];
    rp_err e = RP_OK;
    struct ct_state *gst = g->st;
    char *key = gst->key, *arn = gst->arn, *host = gst->host, *id2 = gst->id2;
    snprintf(host, sizeof(gst->host), "%s.s3.%s.amazonaws.com", b->res.name,
             w->regions[b->res.region]);
    for (uint32_t src = 0; src < 1 + w->nvpcs && e == RP_OK; src++) {
        const char *svc = "cloudtrail.amazonaws.com";
        uint32_t region = 0;
        if (src > 0) {
            const struct rp_sim_vpc *v = &w->vpcs[src - 1];
            if (v->res.acct != acct || v->res.deleted_ms || v->flow_format == RP_SIM_FLOW_NONE)
                continue;
            svc = "delivery.logs.amazonaws.com";
            region = v->res.region;
        }
        for (uint32_t reg = 0; reg < (src == 0 ? w->nregions : 1) && e == RP_OK; reg++) {
            if (src == 0) region = reg;
            int64_t off = (int64_t)(rp_sim_mix(w->seed, src * 64 + reg) % 290) * 1000;
            for (int64_t t = g->hour + off; t < g->hour + H && e == RP_OK; t += 5 * MIN) {
                char stamp[24], suf[17];
                rp_sim_stamp_min(t, stamp, sizeof(stamp));
                rp_sim_rng_chars(g->r, suf, src == 0 ? 16 : 8,
                                 src == 0 ? RP_SIM_ALPHA_ALNUM : RP_SIM_ALPHA_HEX);
                char date[16];
                rp_sim_key_date(t, false, date, sizeof(date));
                if (src == 0)
                    snprintf(key, sizeof(gst->key),
                             "AWSLogs/%s/CloudTrail/%s/%s/%s_CloudTrail_%s_%s_%s.json.gz",
                             acct_id(w, acct), w->regions[region], date, acct_id(w, acct),
                             w->regions[region], stamp, suf);
                else
                    snprintf(key, sizeof(gst->key),
                             "AWSLogs/%s/vpcflowlogs/%s/%s/%s_vpcflowlogs_%s_%s_%s_%s.log.gz",
                             acct_id(w, acct), w->regions[region], date, acct_id(w, acct),
                             w->regions[region], w->vpcs[src - 1].flow_log_id, stamp, suf);
                snprintf(arn, sizeof(gst->arn), "arn:aws:s3:::%s/%s", b->res.name, key);
                struct rp_sim_ct_call c;
                rp_sim_ct_call_init(&c, RP_SIM_CT_SERVICE, 0);
                c.who.service = svc;
                c.acct = b->res.acct;
                c.region = b->res.region;
                c.ts_ms = t;
                c.event_source = "s3.amazonaws.com";
                c.event_name = "PutObject";
                c.data_event = true;
                c.read_only = 0;
                struct ct_state *st = g->st;
                frag_reset(&st->req);
                FRAG(&st->req,
                     "{\"bucketName\":\"%s\",\"Host\":\"%s\",\"x-amz-acl\":\"bucket-owner-full-"
                     "control\",\"key\":\"%s\"}",
                     b->res.name, host, key);
                c.request_parameters = frag(&st->req);
                frag_reset(&st->resp);
                FRAG(&st->resp, "{\"x-amz-server-side-encryption\":\"AES256\"}");
                c.response_elements = frag(&st->resp);
                rp_sim_rng_chars(g->r, id2, 76, B64);
                frag_reset(&st->add);
                FRAG(&st->add,
                     "{\"SignatureVersion\":\"SigV4\",\"CipherSuite\":\"ECDHE-RSA-AES128-GCM-"
                     "SHA256\",\"bytesTransferredIn\":%u,\"SSEApplied\":\"Default_SSE_S3\","
                     "\"AuthenticationMethod\":\"AuthHeader\",\"x-amz-id-2\":\"%s\","
                     "\"bytesTransferredOut\":0}",
                     2000 + rp_sim_rng_below(g->r, 60000), id2);
                c.additional_event_data = frag(&st->add);
                rp_sim_ct_call_resource(&c, "AWS::S3::Object", arn, NULL);
                rp_sim_ct_call_resource(&c, "AWS::S3::Bucket", b->res.arn, acct_id(w, b->res.acct));
                e = emit(g, &c, NULL);
            }
        }
    }
    return e;
}

/* ---- CI/CD ---------------------------------------------------------------------------------- */

static uint32_t role_of_kind(const struct rp_sim_world *w, uint32_t acct, enum rp_sim_role_kind k)
{
    for (uint32_t i = 0; i < w->nroles; i++)
        if (w->roles[i].res.acct == acct && w->roles[i].kind == k && !w->roles[i].res.deleted_ms)
            return i;
    return RP_SIM_NONE;
}

static uint32_t ci_user_of(const struct rp_sim_world *w, uint32_t role)
{
    for (uint32_t i = 0; i < w->nusers; i++)
        if (w->users[i].kind == RP_SIM_USER_CI && !w->users[i].res.deleted_ms)
            for (uint32_t k = 0; k < w->users[i].habits.nassume; k++)
                if (w->users[i].habits.assume_roles[k] == role) return i;
    return RP_SIM_NONE;
}

static const char *const plan_calls[][2] = {
    {"ec2.amazonaws.com", "DescribeVpcs"},
    {"ec2.amazonaws.com", "DescribeSubnets"},
    {"ec2.amazonaws.com", "DescribeSecurityGroups"},
    {"ec2.amazonaws.com", "DescribeInstances"},
    {"ec2.amazonaws.com", "DescribeVolumes"},
    {"iam.amazonaws.com", "GetRole"},
    {"iam.amazonaws.com", "ListAttachedRolePolicies"},
    {"s3.amazonaws.com", "GetBucketPolicy"},
    {"s3.amazonaws.com", "GetBucketAcl"},
    {"lambda.amazonaws.com", "GetFunction20150331v2"},
    {"elasticloadbalancing.amazonaws.com", "DescribeLoadBalancers"},
    {"autoscaling.amazonaws.com", "DescribeAutoScalingGroups"},
    {"kms.amazonaws.com", "DescribeKey"},
    {"rds.amazonaws.com", "DescribeDBInstances"},
    {"cloudformation.amazonaws.com", "DescribeStacks"},
};

/* A Lambda deploy: new code, a real change of the estate noted for Config history. */
static rp_err deploy_lambda(struct g *g, const struct rp_sim_ct_who *who, uint32_t acct, int64_t ts)
{
    struct rp_sim_world *w = g->w;
    uint32_t fi = pick_live(w, g->r, RP_SIM_K_LAMBDA, acct);
    if (fi == RP_SIM_NONE) return RP_OK;
    struct rp_sim_lambda *f = &w->lambdas[fi];
    uint32_t art = bucket_of(w, acct, RP_SIM_BUCKET_ARTIFACTS);
    char sha[48], hex[9];
    rp_sim_rng_chars(g->r, sha, 43, B64);
    sha[43] = '=';
    sha[44] = '\0';
    rp_sim_rng_hex(g->r, hex, 8);
    uint64_t size = 3000000 + rp_sim_rng_below(g->r, 6000000);
    char when[40];
    rp_sim_iso_ms(ts, when, sizeof(when));
    struct rp_sim_ct_call c;
    rp_sim_ct_call_init(&c, who->kind, who->idx);
    c.who = *who;
    c.acct = acct;
    c.region = f->res.region;
    c.ts_ms = ts;
    c.event_source = "lambda.amazonaws.com";
    c.event_name = "UpdateFunctionCode20150331v2";
    c.read_only = 0;
    struct ct_state *st = g->st;
    frag_reset(&st->req);
    FRAG(&st->req,
         "{\"functionName\":\"%s\",\"s3Bucket\":\"%s\",\"s3Key\":\"builds/%s/%s.zip\","
         "\"publish\":false,\"dryRun\":false}",
         f->res.name, art != RP_SIM_NONE ? w->buckets[art].res.name : "artifacts", f->res.name,
         hex);
    c.request_parameters = frag(&st->req);
    frag_reset(&st->resp);
    FRAG(&st->resp,
         "{\"functionName\":\"%s\",\"functionArn\":\"%s\",\"runtime\":\"%s\",\"role\":\"%s\","
         "\"handler\":\"%s\",\"codeSize\":%llu,\"timeout\":%u,\"memorySize\":%u,"
         "\"lastModified\":\"%.23s+0000\",\"codeSha256\":\"%s\",\"version\":\"$LATEST\","
         "\"state\":\"Active\",\"lastUpdateStatus\":\"InProgress\"}",
         f->res.name, f->res.arn, f->runtime, f->role < w->nroles ? w->roles[f->role].res.arn : "",
         f->handler, (unsigned long long)size, f->timeout_s, f->memory_mb, when, sha);
    c.response_elements = frag(&st->resp);
    char eid[RP_SIM_UUID_SZ];
    rp_err e = emit(g, &c, eid);
    if (e != RP_OK) return e;
    f = &w->lambdas[fi];
    snprintf(f->code_sha256, sizeof(f->code_sha256), "%s", sha);
    f->code_size = size;
    f->last_modified_ms = ts;
    return rp_sim_world_changed(g->run, (struct rp_sim_ref){RP_SIM_K_LAMBDA, fi}, ts,
                                RP_SIM_CHANGE_UPDATE, eid, g->eb);
}

/* The deploy pipelines of account acct that start in this hour. */
static rp_err ci_hour(struct g *g, uint32_t acct)
{
    struct rp_sim_world *w = g->w;
    int64_t day = g->hour - g->hour % RP_TIME_MS_PER_DAY;
    int64_t times[16];
    uint32_t nd = rp_sim_act_deploys(w, acct, day, times, 16);
    uint32_t role = role_of_kind(w, acct, RP_SIM_ROLE_CICD);
    if (role == RP_SIM_NONE) return RP_OK;
    const struct rp_sim_role *ro = &w->roles[role];
    rp_err e = RP_OK;
    for (uint32_t d = 0; d < nd && e == RP_OK; d++) {
        int64_t t = times[d];
        if (t < g->hour || t >= g->hour + H) continue;
        int64_t end = t + 12 * MIN < g->hour + H ? t + 12 * MIN : g->hour + H - 1000;
        /* the runner pool address of deploy d (sim_gen_k8s.c uses the same rule) */
        const char *ip = ro->habits.nips ? ro->habits.ips[d % ro->habits.nips] : NULL;
        uint32_t cu = ci_user_of(w, role);
        char session[48];
        snprintf(session, sizeof(session), "%s", cu != RP_SIM_NONE ? "terraform" : "GitHubActions");
        if (cu != RP_SIM_NONE) {
            struct rp_sim_ct_who caller;
            memset(&caller, 0, sizeof(caller));
            caller.kind = RP_SIM_CT_IAM_USER;
            caller.idx = cu;
            caller.mfa = -1;
            e = assume_role(g, &caller, role, session, t, NULL, NULL, NULL, NULL);
            ip = w->users[cu].habits.nips ? w->users[cu].habits.ips[0] : ip;
        } else {
            /* GitHub Actions OIDC */
            char *sub = g->st->misc;
            snprintf(sub, 96, "repo:%s/platform:ref:refs/heads/main", w->company);
            struct rp_sim_ct_call c;
            rp_sim_ct_call_init(&c, RP_SIM_CT_WEB_IDENTITY, acct);
            c.who.session_name = sub;
            c.who.service = "token.actions.githubusercontent.com";
            c.who.source_ip = ip;
            c.who.user_agent = "aws-sdk-js/3.496.0 ua/2.0 os/linux#6.2.0-1018-azure lang/js "
                               "md/nodejs#20.8.1 api/sts#3.496.0";
            c.ts_ms = t;
            c.event_source = "sts.amazonaws.com";
            c.event_name = "AssumeRoleWithWebIdentity";
            c.read_only = 1;
            struct rp_sim_ct_who sess;
            memset(&sess, 0, sizeof(sess));
            sess.kind = RP_SIM_CT_ROLE;
            sess.idx = role;
            sess.session_name = session;
            sess.session_ms = t;
            sess.mfa = -1;
            char key[32], exp[40];
            if (rp_sim_ct_who_key(w, &sess, t, key, sizeof(key)) != RP_OK) key[0] = '\0';
            expiration(t + H, exp, sizeof(exp));
            struct ct_state *st = g->st;
            frag_reset(&st->req);
            FRAG(&st->req,
                 "{\"roleArn\":\"%s\",\"roleSessionName\":\"%s\",\"durationSeconds\":3600}",
                 ro->res.arn, session);
            c.request_parameters = frag(&st->req);
            frag_reset(&st->resp);
            FRAG(&st->resp,
                 "{\"credentials\":{\"accessKeyId\":\"%s\",\"expiration\":\"%s\"},"
                 "\"subjectFromWebIdentityToken\":\"%s\",\"assumedRoleUser\":{\"assumedRoleId\":"
                 "\"%s:%s\",\"arn\":\"arn:aws:sts::%s:assumed-role/%s/%s\"},\"provider\":"
                 "\"arn:aws:iam::%s:oidc-provider/token.actions.githubusercontent.com\","
                 "\"audience\":\"sts.amazonaws.com\"}",
                 key, exp, sub, ro->res.id, session, acct_id(w, acct), ro->res.name, session,
                 acct_id(w, acct));
            c.response_elements = frag(&st->resp);
            rp_sim_ct_call_resource(&c, "AWS::IAM::Role", ro->res.arn, acct_id(w, acct));
            e = emit(g, &c, NULL);
        }
        struct rp_sim_ct_who who;
        memset(&who, 0, sizeof(who));
        who.kind = RP_SIM_CT_ROLE;
        who.idx = role;
        who.session_name = session;
        who.session_ms = t;
        who.source_ip = ip;
        who.mfa = -1;
        char arn[RP_SIM_ARN_SZ + 64];
        snprintf(arn, sizeof(arn), "arn:aws:sts::%.12s:assumed-role/%.64s/%.64s", acct_id(w, acct),
                 ro->res.name, session);
        uint32_t home = w->accounts[acct].home_region;
        /* terraform plan: a burst of reads across services */
        uint32_t nplan = 30 + rp_sim_rng_below(g->r, 90);
        int64_t pend = t + 3 * MIN < end ? t + 3 * MIN : end;
        for (uint32_t i = 0; i < nplan && e == RP_OK; i++) {
            const char *const *pc = plan_calls[rp_sim_rng_below(g->r, RP_ARRAY_LEN(plan_calls))];
            struct rp_sim_ct_call c;
            rp_sim_ct_call_init(&c, RP_SIM_CT_ROLE, role);
            c.who = who;
            c.acct = acct;
            c.ts_ms = at_in_hour(g, t + 2000, pend);
            c.event_source = pc[0];
            c.event_name = pc[1];
            c.read_only = 1;
            c.region = rp_sim_ct_is_global(pc[0]) ? rp_sim_ct_global_region(w) : home;
            if (!mgmt_params(g, &c, acct)) continue;
            maybe_error(g, &c, arn, false);
            e = emit(g, &c, NULL);
        }
        /* artifacts, image registry, the stack update */
        uint32_t art = bucket_of(w, acct, RP_SIM_BUCKET_ARTIFACTS);
        for (uint32_t i = 0; art != RP_SIM_NONE && i < 3 && e == RP_OK; i++) {
            struct rp_sim_ct_call c;
            rp_sim_ct_call_init(&c, RP_SIM_CT_ROLE, role);
            c.who = who;
            c.ts_ms = at_in_hour(g, pend, end);
            s3_object_call(g, &c, art, "PutObject", NULL);
            e = emit(g, &c, NULL);
        }
        static const char *const steps[][2] = {
            {"ecr.amazonaws.com", "GetAuthorizationToken"},
            {"cloudformation.amazonaws.com", "CreateChangeSet"},
            {"cloudformation.amazonaws.com", "DescribeStacks"},
            {"cloudformation.amazonaws.com", "ExecuteChangeSet"},
            {"cloudformation.amazonaws.com", "DescribeStacks"},
            {"eks.amazonaws.com", "DescribeCluster"},
            {"elasticloadbalancing.amazonaws.com", "DescribeTargetHealth"},
        };
        int64_t ts = pend;
        for (size_t i = 0; i < RP_ARRAY_LEN(steps) && e == RP_OK; i++) {
            struct rp_sim_ct_call c;
            rp_sim_ct_call_init(&c, RP_SIM_CT_ROLE, role);
            c.who = who;
            c.acct = acct;
            ts = at_in_hour(g, ts + 1000, end);
            c.ts_ms = ts;
            c.event_source = steps[i][0];
            c.event_name = steps[i][1];
            c.read_only = rp_sim_ct_name_read_only(steps[i][1]) ? 1 : 0;
            c.region = home;
            if (!mgmt_params(g, &c, acct)) continue;
            e = emit(g, &c, NULL);
        }
        if (e == RP_OK && rp_sim_rng_chance(g->r, 350))
            e = deploy_lambda(g, &who, acct, at_in_hour(g, ts + 1000, end));
    }
    return e;
}

/* ---- admin changes -------------------------------------------------------------------------- */

static uint32_t admin_of(const struct rp_sim_world *w, uint32_t acct)
{
    for (uint32_t i = 0; i < w->nusers; i++)
        if (w->users[i].res.acct == acct && w->users[i].kind == RP_SIM_USER_ADMIN &&
            !w->users[i].res.deleted_ms)
            return i;
    return RP_SIM_NONE;
}

static uint32_t bastion_sg(const struct rp_sim_world *w, uint32_t acct)
{
    for (uint32_t i = 0; i < w->nsgs; i++)
        if (w->sgs[i].res.acct == acct && !w->sgs[i].res.deleted_ms &&
            strstr(w->sgs[i].res.name, "bastion"))
            return i;
    return RP_SIM_NONE;
}

static rp_err change_sg(struct g *g, const struct rp_sim_ct_who *who, uint32_t acct, int64_t ts)
{
    struct rp_sim_world *w = g->w;
    uint32_t sgi = bastion_sg(w, acct);
    if (sgi == RP_SIM_NONE || w->sgs[sgi].ningress >= RP_SIM_MAX_SG_RULES) return RP_OK;
    char ip[RP_SIM_IP_SZ], rule[24];
    rp_sim_ip_isp(g->r, ip);
    rp_sim_id_ec2(g->r, "sgr", rule, sizeof(rule));
    struct rp_sim_ct_call c;
    rp_sim_ct_call_init(&c, who->kind, who->idx);
    c.who = *who;
    c.acct = acct;
    c.region = w->sgs[sgi].res.region;
    c.ts_ms = ts;
    c.event_source = "ec2.amazonaws.com";
    c.event_name = "AuthorizeSecurityGroupIngress";
    c.read_only = 0;
    struct ct_state *st = g->st;
    frag_reset(&st->req);
    FRAG(&st->req,
         "{\"groupId\":\"%s\",\"ipPermissions\":{\"items\":[{\"ipProtocol\":\"tcp\",\"fromPort\":"
         "22,\"toPort\":22,\"groups\":{},\"ipRanges\":{\"items\":[{\"cidrIp\":\"%s/32\","
         "\"description\":\"new office\"}]},\"ipv6Ranges\":{},\"prefixListIds\":{}}]}}",
         w->sgs[sgi].res.id, ip);
    c.request_parameters = frag(&st->req);
    char rid[RP_SIM_UUID_SZ];
    rp_sim_rng_uuid(g->r, rid);
    frag_reset(&st->resp);
    FRAG(&st->resp,
         "{\"requestId\":\"%s\",\"_return\":true,\"securityGroupRuleSet\":{\"items\":[{"
         "\"groupOwnerId\":\"%s\",\"groupId\":\"%s\",\"securityGroupRuleId\":\"%s\",\"isEgress\":"
         "false,\"ipProtocol\":\"tcp\",\"fromPort\":22,\"toPort\":22,\"cidrIpv4\":\"%s/32\","
         "\"description\":\"new office\"}]}}",
         rid, acct_id(w, acct), w->sgs[sgi].res.id, rule, ip);
    c.response_elements = frag(&st->resp);
    c.request_id = rid;
    char eid[RP_SIM_UUID_SZ];
    rp_err e = emit(g, &c, eid);
    if (e != RP_OK) return e;
    struct rp_sim_sg *sg = &w->sgs[sgi];
    struct rp_sim_sg_rule *r = &sg->ingress[sg->ningress++];
    memset(r, 0, sizeof(*r));
    r->protocol = 6;
    r->port_from = r->port_to = 22;
    snprintf(r->cidr, sizeof(r->cidr), "%.40s/32", ip);
    r->src_sg = RP_SIM_NONE;
    snprintf(r->description, sizeof(r->description), "new office");
    return rp_sim_world_changed(g->run, (struct rp_sim_ref){RP_SIM_K_SG, sgi}, ts,
                                RP_SIM_CHANGE_UPDATE, eid, g->eb);
}

static rp_err change_tags(struct g *g, const struct rp_sim_ct_who *who, uint32_t acct, int64_t ts)
{
    struct rp_sim_world *w = g->w;
    bool bucket = rp_sim_rng_chance(g->r, 400);
    uint32_t idx = pick_live(w, g->r, bucket ? RP_SIM_K_BUCKET : RP_SIM_K_INSTANCE, acct);
    if (idx == RP_SIM_NONE) return RP_OK;
    static const char *const keys[] = {"CostCenter", "Owner", "Team"};
    static const char *const vals[] = {"cc-1042", "platform", "payments", "cc-2210", "data"};
    const char *k = keys[rp_sim_rng_below(g->r, RP_ARRAY_LEN(keys))];
    const char *v = vals[rp_sim_rng_below(g->r, RP_ARRAY_LEN(vals))];
    struct rp_sim_res *res =
        rp_sim_world_res(w, (struct rp_sim_ref){bucket ? RP_SIM_K_BUCKET : RP_SIM_K_INSTANCE, idx});
    if (!res) return RP_OK;
    if (res->ntags >= RP_SIM_MAX_TAGS && !rp_sim_res_tag(res, k)) return RP_OK;
    struct rp_sim_ct_call c;
    rp_sim_ct_call_init(&c, who->kind, who->idx);
    c.who = *who;
    c.acct = acct;
    c.region = res->region;
    c.ts_ms = ts;
    c.read_only = 0;
    struct ct_state *st = g->st;
    frag_reset(&st->req);
    frag_reset(&st->resp);
    if (bucket) {
        c.event_source = "s3.amazonaws.com";
        c.event_name = "PutBucketTagging";
        FRAG(&st->req,
             "{\"bucketName\":\"%s\",\"Host\":\"%s.s3.amazonaws.com\",\"tagging\":\"\","
             "\"Tagging\":{\"xmlns\":\"http://s3.amazonaws.com/doc/2006-03-01/\","
             "\"TagSet\":{\"Tag\":{\"Value\":\"%s\",\"Key\":\"%s\"}}}}",
             res->name, res->name, v, k);
        rp_sim_ct_call_resource(&c, "AWS::S3::Bucket", res->arn, acct_id(w, acct));
    } else {
        c.event_source = "ec2.amazonaws.com";
        c.event_name = "CreateTags";
        FRAG(&st->req,
             "{\"resourcesSet\":{\"items\":[{\"resourceId\":\"%s\"}]},\"tagSet\":"
             "{\"items\":[{\"key\":\"%s\",\"value\":\"%s\"}]}}",
             res->id, k, v);
        char rid[RP_SIM_UUID_SZ];
        rp_sim_rng_uuid(g->r, rid);
        FRAG(&st->resp, "{\"requestId\":\"%s\",\"_return\":true}", rid);
    }
    c.request_parameters = frag(&st->req);
    c.response_elements = frag(&st->resp);
    char eid[RP_SIM_UUID_SZ];
    rp_err e = emit(g, &c, eid);
    if (e != RP_OK) return e;
    res =
        rp_sim_world_res(w, (struct rp_sim_ref){bucket ? RP_SIM_K_BUCKET : RP_SIM_K_INSTANCE, idx});
    (void)rp_sim_res_set_tag(res, k, v);
    return rp_sim_world_changed(
        g->run, (struct rp_sim_ref){bucket ? RP_SIM_K_BUCKET : RP_SIM_K_INSTANCE, idx}, ts,
        RP_SIM_CHANGE_UPDATE, eid, g->eb);
}

static rp_err iam_call(struct g *g, const struct rp_sim_ct_who *who, int64_t ts, const char *name,
                       const char *req, const char *resp, char *eid)
{
    struct rp_sim_ct_call c;
    rp_sim_ct_call_init(&c, who->kind, who->idx);
    c.who = *who;
    c.ts_ms = ts;
    c.event_source = "iam.amazonaws.com";
    c.event_name = name;
    c.read_only = 0;
    c.request_parameters = req;
    c.response_elements = resp;
    return emit(g, &c, eid);
}

/* A new hire: CreateUser, AddUserToGroup, CreateLoginProfile; the new user starts working the
 * next day with a developer's habits. */
static rp_err change_new_user(struct g *g, const struct rp_sim_ct_who *who, uint32_t acct,
                              int64_t ts)
{
    struct rp_sim_world *w = g->w;
    uint32_t peer = RP_SIM_NONE;
    for (uint32_t i = 0; i < w->nusers; i++)
        if (w->users[i].res.acct == acct && w->users[i].kind == RP_SIM_USER_DEVELOPER &&
            !w->users[i].res.deleted_ms)
            peer = i;
    if (peer == RP_SIM_NONE) return RP_OK;
    static const char *const firsts[] = {"amara", "bruno", "chen", "dana", "elif",
                                         "farid", "greta", "hiro", "ines", "jonas"};
    static const char *const lasts[] = {"okafor", "rossi", "li",     "novak", "yilmaz",
                                        "haddad", "berg",  "tanaka", "costa", "keller"};
    const char *fn = firsts[rp_sim_rng_below(g->r, RP_ARRAY_LEN(firsts))];
    const char *ln = lasts[rp_sim_rng_below(g->r, RP_ARRAY_LEN(lasts))];
    char name[RP_SIM_NAME_SZ];
    snprintf(name, sizeof(name), "%s.%s", fn, ln);
    for (uint32_t i = 0; i < w->nusers; i++)
        if (w->users[i].res.acct == acct && strcmp(w->users[i].res.name, name) == 0) return RP_OK;
    uint32_t idx = 0;
    struct rp_sim_user *u = rp_sim_world_add(w, RP_SIM_K_USER, &idx);
    if (!u) return rp_fail(g->eb, RP_ENOMEM, "simulate: out of memory adding a user");
    const struct rp_sim_user *p = &w->users[peer];
    u->res.acct = acct;
    u->res.region = p->res.region;
    u->res.global = true;
    rp_sim_id_iam(g->r, "AIDA", u->res.id, sizeof(u->res.id));
    snprintf(u->res.name, sizeof(u->res.name), "%s", name);
    snprintf(u->res.arn, sizeof(u->res.arn), "arn:aws:iam::%.12s:user/%.64s", acct_id(w, acct),
             name);
    u->res.created_ms = ts - ts % 1000;
    u->kind = RP_SIM_USER_DEVELOPER;
    snprintf(u->path, sizeof(u->path), "/");
    snprintf(u->display, sizeof(u->display), "%c%s %c%s", fn[0] - 32, fn + 1, ln[0] - 32, ln + 1);
    u->console_password = true;
    u->password_last_changed_ms = u->res.created_ms;
    u->habits = p->habits;
    u->habits.console = true;
    rp_sim_ip_isp(g->r, u->habits.ips[0]);
    snprintf(u->habits.user_agent, sizeof(u->habits.user_agent), "%s",
             rp_sim_ct_console_ua(rp_sim_hash_str(u->res.id)));
    u->habits.nassume = 0;
    for (uint32_t k = 0; k < p->ngroups && k < RP_SIM_MAX_GROUPS; k++) u->groups[k] = p->groups[k];
    u->ngroups = p->ngroups;
    const char *group =
        u->ngroups && u->groups[0] < w->ngroups ? w->groups[u->groups[0]].res.name : "developers";
    char eid[RP_SIM_UUID_SZ], req[256], resp[512], when[40];
    rp_sim_iso_s(ts, when, sizeof(when));
    snprintf(req, sizeof(req), "{\"userName\":\"%s\"}", name);
    snprintf(resp, sizeof(resp),
             "{\"user\":{\"path\":\"/\",\"userName\":\"%s\",\"userId\":\"%s\",\"arn\":\"%s\","
             "\"createDate\":\"%s\"}}",
             name, u->res.id, u->res.arn, when);
    rp_err e = iam_call(g, who, ts, "CreateUser", req, resp, eid);
    if (e == RP_OK)
        e = rp_sim_world_changed(g->run, (struct rp_sim_ref){RP_SIM_K_USER, idx}, ts,
                                 RP_SIM_CHANGE_CREATE, eid, g->eb);
    if (e == RP_OK) {
        snprintf(req, sizeof(req), "{\"groupName\":\"%s\",\"userName\":\"%s\"}", group, name);
        e = iam_call(g, who, ts + 20000, "AddUserToGroup", req, NULL, NULL);
    }
    if (e == RP_OK) {
        snprintf(req, sizeof(req), "{\"userName\":\"%s\",\"passwordResetRequired\":true}", name);
        snprintf(resp, sizeof(resp),
                 "{\"loginProfile\":{\"userName\":\"%s\",\"createDate\":\"%s\","
                 "\"passwordResetRequired\":true}}",
                 name, when);
        e = iam_call(g, who, ts + 45000, "CreateLoginProfile", req, resp, NULL);
    }
    return e;
}

/* Rotation of the backup user's access key: a new key, the old one deactivated. */
static rp_err change_rotate_key(struct g *g, const struct rp_sim_ct_who *who, uint32_t acct,
                                int64_t ts)
{
    struct rp_sim_world *w = g->w;
    uint32_t ui = RP_SIM_NONE;
    for (uint32_t i = 0; i < w->nusers; i++)
        if (w->users[i].res.acct == acct && w->users[i].kind == RP_SIM_USER_SERVICE &&
            !w->users[i].res.deleted_ms)
            ui = i;
    if (ui == RP_SIM_NONE || w->users[ui].nkeys == 0) return RP_OK;
    struct rp_sim_user *u = &w->users[ui];
    char req[256], resp[512], when[40], eid[RP_SIM_UUID_SZ];
    rp_sim_iso_s(ts, when, sizeof(when));
    rp_err e = RP_OK;
    if (u->nkeys == 2) { /* drop the inactive one first */
        uint32_t drop = u->keys[0].active ? 1 : 0;
        snprintf(req, sizeof(req), "{\"userName\":\"%s\",\"accessKeyId\":\"%s\"}", u->res.name,
                 u->keys[drop].id);
        e = iam_call(g, who, ts - 30000 < g->hour ? g->hour : ts - 30000, "DeleteAccessKey", req,
                     NULL, NULL);
        if (e != RP_OK) return e;
        if (drop == 0) u->keys[0] = u->keys[1];
        u->nkeys = 1;
    }
    struct rp_sim_access_key *nk = &u->keys[1];
    memset(nk, 0, sizeof(*nk));
    rp_sim_id_iam(g->r, "AKIA", nk->id, sizeof(nk->id));
    nk->created_ms = ts - ts % 1000;
    nk->active = true;
    snprintf(req, sizeof(req), "{\"userName\":\"%s\"}", u->res.name);
    snprintf(resp, sizeof(resp),
             "{\"accessKey\":{\"userName\":\"%s\",\"accessKeyId\":\"%s\",\"status\":\"Active\","
             "\"createDate\":\"%s\"}}",
             u->res.name, nk->id, when);
    e = iam_call(g, who, ts, "CreateAccessKey", req, resp, eid);
    if (e != RP_OK) return e;
    u = &w->users[ui];
    u->nkeys = 2;
    snprintf(req, sizeof(req),
             "{\"userName\":\"%s\",\"accessKeyId\":\"%s\",\"status\":\"Inactive\"}", u->res.name,
             u->keys[0].id);
    u->keys[0].active = false;
    e = iam_call(g, who, ts + 600000 < g->hour + H ? ts + 600000 : g->hour + H - 1000,
                 "UpdateAccessKey", req, NULL, NULL);
    if (e != RP_OK) return e;
    return rp_sim_world_changed(g->run, (struct rp_sim_ref){RP_SIM_K_USER, ui}, ts,
                                RP_SIM_CHANGE_UPDATE, eid, g->eb);
}

/* The admin changes of account acct falling in this hour (a few a week, on working days, in
 * the admin's office hours). */
static rp_err changes_hour(struct g *g, uint32_t acct)
{
    struct rp_sim_world *w = g->w;
    uint32_t ai = admin_of(w, acct);
    if (ai == RP_SIM_NONE) return RP_OK;
    const struct rp_sim_habits *h = &w->users[ai].habits;
    int64_t day = g->hour - g->hour % RP_TIME_MS_PER_DAY;
    struct rp_sim_rng r;
    rp_sim_rng_initf(&r, w->seed, "act-ct/changes/a%u/d%lld", acct,
                     (long long)(day / RP_TIME_MS_PER_DAY));
    int hr = 0, wd = 0;
    rp_sim_act_local(day + 12 * H, h->tz_offset_min, &hr, &wd);
    if (wd >= 5) return RP_OK;
    uint32_t n = rp_sim_rng_chance(&r, 550) + rp_sim_rng_chance(&r, 120);
    /* the whole day's plan is drawn first, so every hour sees the same plan */
    uint32_t kinds[2] = {0, 0};
    int64_t when[2] = {0, 0};
    int64_t local_day = day - (int64_t)h->tz_offset_min * MIN;
    for (uint32_t i = 0; i < n; i++) {
        kinds[i] = rp_sim_rng_below(&r, 100);
        when[i] = local_day + (int64_t)(h->work_start_hour + 1) * H +
                  (int64_t)rp_sim_rng_below(&r, 5 * 3600) * 1000;
    }
    rp_err e = RP_OK;
    for (uint32_t i = 0; i < n && e == RP_OK; i++) {
        int64_t ts = when[i];
        if (ts < g->hour || ts >= g->hour + H - 15 * MIN) continue;
        struct rp_sim_rng cr;
        rp_sim_rng_initf(&cr, w->seed, "act-ct/change/a%u/t%lld", acct, (long long)ts);
        struct rp_sim_rng *saved = g->r;
        g->r = &cr;
        struct rp_sim_ct_who who;
        memset(&who, 0, sizeof(who));
        who.kind = RP_SIM_CT_IAM_USER;
        who.idx = ai;
        who.mfa = -1;
        if (h->console) {
            who.console = true;
            who.session_ms = login_time(w, ai, ts);
            if (who.session_ms > ts) who.session_ms = ts - 60000;
        }
        if (kinds[i] < 30)
            e = change_sg(g, &who, acct, ts);
        else if (kinds[i] < 70)
            e = change_tags(g, &who, acct, ts);
        else if (kinds[i] < 90)
            e = change_rotate_key(g, &who, acct, ts);
        else
            e = change_new_user(g, &who, acct, ts);
        g->r = saved;
    }
    return e;
}

/* KMS rotates a customer-managed key with rotation enabled once a year, on the anniversary of
 * its creation: an AwsServiceEvent. */
static rp_err kms_rotation_hour(struct g *g, uint32_t ki)
{
    struct rp_sim_world *w = g->w;
    const struct rp_sim_kms_key *k = &w->kms_keys[ki];
    const int64_t year = 365 * RP_TIME_MS_PER_DAY;
    if (!k->customer_managed || !k->rotation || k->res.deleted_ms || k->res.created_ms <= 0 ||
        k->res.created_ms >= g->hour)
        return RP_OK;
    int64_t n = (g->hour - k->res.created_ms + year - 1) / year;
    int64_t ann = k->res.created_ms + n * year;
    if (ann < g->hour || ann >= g->hour + H) return RP_OK;
    struct rp_sim_ct_call c;
    rp_sim_ct_call_init(&c, RP_SIM_CT_SERVICE, 0);
    c.who.service = "kms.amazonaws.com";
    c.acct = k->res.acct;
    c.region = k->res.region;
    c.ts_ms = ann - ann % 1000;
    c.event_source = "kms.amazonaws.com";
    c.event_name = "RotateKey";
    c.event_type = "AwsServiceEvent";
    c.read_only = 0;
    rp_sim_ct_call_resource(&c, "AWS::KMS::Key", k->res.arn, acct_id(w, k->res.acct));
    struct ct_state *st = g->st;
    frag_reset(&st->add);
    FRAG(&st->add, "{\"keyId\":\"%s\"}", k->res.id);
    c.service_event_details = frag(&st->add);
    return emit(g, &c, NULL);
}

/* ---- the generator -------------------------------------------------------------------------- */

static rp_err ct_begin(struct rp_sim_run *run, void *state, struct rp_errbuf *eb)
{
    (void)run;
    (void)eb;
    struct ct_state *st = state;
    rp_buf_init(&st->req.b, 1u << 16);
    rp_buf_init(&st->resp.b, 1u << 16);
    rp_buf_init(&st->add.b, 1u << 16);
    return RP_OK;
}

static rp_err ct_hour(struct rp_sim_run *run, void *state, int64_t hour, struct rp_errbuf *eb)
{
    struct rp_sim_world *w = run->world;
    struct rp_sim_rng r;
    struct g g = {run, w, state, &r, hour, eb};
    long long hi = (long long)(hour / H);
    rp_err e = RP_OK;
    for (uint32_t u = 0; u < w->nusers && e == RP_OK; u++) {
        rp_sim_rng_initf(&r, w->seed, "act-ct/u%u/h%lld", u, hi);
        e = user_hour(&g, u);
    }
    for (uint32_t ro = 0; ro < w->nroles && e == RP_OK; ro++) {
        const struct rp_sim_role *role = &w->roles[ro];
        if (role->res.deleted_ms) continue;
        rp_sim_rng_initf(&r, w->seed, "act-ct/r%u/h%lld", ro, hi);
        if (role->kind == RP_SIM_ROLE_INSTANCE_PROFILE || role->kind == RP_SIM_ROLE_EKS_NODE) {
            uint32_t ninst = 0;
            for (uint32_t i = 0; i < w->ninstances; i++)
                ninst += w->instances[i].profile_role == ro && !w->instances[i].res.deleted_ms;
            for (uint32_t i = 0; i < w->ninstances && e == RP_OK; i++) {
                if (w->instances[i].profile_role != ro) continue;
                rp_sim_rng_initf(&r, w->seed, "act-ct/i%u/h%lld", i, hi);
                e = instance_hour(&g, i, ninst);
            }
        } else if (role->kind == RP_SIM_ROLE_SERVICE_LINKED &&
                   strcmp(role->trust_service, "config.amazonaws.com") == 0) {
            e = config_role_hour(&g, ro);
        } else if (role->kind == RP_SIM_ROLE_SERVICE_LINKED &&
                   strcmp(role->trust_service, "autoscaling.amazonaws.com") == 0) {
            e = autoscaling_hour(&g, ro);
        } else if (role->kind == RP_SIM_ROLE_CROSS_ACCOUNT) {
            e = vendor_hour(&g, ro);
        }
    }
    for (uint32_t f = 0; f < w->nlambdas && e == RP_OK; f++) {
        rp_sim_rng_initf(&r, w->seed, "act-ct/f%u/h%lld", f, hi);
        e = lambda_hour(&g, f);
    }
    for (uint32_t k = 0; k < w->nkms_keys && e == RP_OK; k++) {
        rp_sim_rng_initf(&r, w->seed, "act-ct/k%u/h%lld", k, hi);
        e = kms_rotation_hour(&g, k);
    }
    for (uint32_t a = 0; a < w->naccounts && e == RP_OK; a++) {
        rp_sim_rng_initf(&r, w->seed, "act-ct/ci/a%u/h%lld", a, hi);
        e = ci_hour(&g, a);
        if (e != RP_OK) break;
        rp_sim_rng_initf(&r, w->seed, "act-ct/logs/a%u/h%lld", a, hi);
        e = log_delivery_hour(&g, a);
        if (e != RP_OK) break;
        e = changes_hour(&g, a);
    }
    return e;
}

static void ct_release(struct rp_sim_run *run, void *state)
{
    (void)run;
    struct ct_state *st = state;
    rp_buf_release(&st->req.b);
    rp_buf_release(&st->resp.b);
    rp_buf_release(&st->add.b);
}

const struct rp_sim_gen rp_sim_gen_activity_cloudtrail = {
    .name = "activity-cloudtrail",
    .summary = "ordinary CloudTrail management and S3 data events of every principal",
    .state_size = sizeof(struct ct_state),
    .begin = ct_begin,
    .hour = ct_hour,
    .release = ct_release,
};
