/* SPDX-License-Identifier: Apache-2.0 */
/* Builds the synthetic AWS estate of a simulation (sim_world.h) from the seed: accounts with
 * their root users and password policies, KMS keys, S3 buckets and access points, VPCs with
 * subnets, route tables, gateways, NACLs and security groups, IAM users/groups/roles/policies
 * with habits, EC2 instances with ENIs and volumes, load balancers, Auto Scaling groups, RDS
 * and Aurora, Lambda, CloudTrail, EKS, Site-to-Site VPN (static, BGP, CloudHub), API Gateway
 * and CloudFront.
 *
 * Every draw comes from a named PRNG stream per account ("world/acct<N>") or "world/global",
 * so the estate depends only on (seed, options). The baseline is a plausible, mostly compliant
 * estate with the imperfections real estates have (a weaker dev account); the marked
 * misconfigurations are left to scenarios. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sim/sim_internal.h"
#include "core/rp_str.h"
#include "core/rp_time.h"
#include "core/rp_banned.h"

#define DAY RP_TIME_MS_PER_DAY

/* ---- name material ------------------------------------------------------------------------ */

static const char *const companies[] = {
    "acme",   "globex",  "initech",  "umbrella",  "hooli",    "vandelay", "stark",     "wayne",
    "tyrell", "soylent", "wonka",    "oscorp",    "aperture", "massive",  "piedpiper", "gringotts",
    "duff",   "monarch", "nakatomi", "cyberdyne", "dunder",   "prestige", "sterling",  "zorg"};

static const char *const firsts[] = {
    "alice", "bob",    "carol",   "dan",    "erin",  "frank",  "grace",   "heidi",
    "ivan",  "judy",   "mallory", "nina",   "oscar", "peggy",  "quentin", "rupert",
    "sybil", "trent",  "ursula",  "victor", "wendy", "xavier", "yasmin",  "zoe",
    "amir",  "bianca", "chen",    "deepa",  "emeka", "fatima", "goran",   "hana",
    "igor",  "jun",    "kofi",    "lena",   "mateo", "noor",   "olga",    "priya"};

static const char *const lasts[] = {
    "nguyen", "smith",   "garcia",    "mueller", "rossi",   "kowalski", "tanaka", "okafor",
    "silva",  "ivanova", "haddad",    "oconnor", "larsen",  "dubois",   "patel",  "kim",
    "novak",  "jansen",  "moreau",    "castro",  "fischer", "yamada",   "mensah", "horvat",
    "sato",   "bauer",   "lindqvist", "mehta",   "costa",   "weber"};

static const char *const labels[] = {"prod", "dev",    "staging", "security",
                                     "data", "shared", "sandbox", "logs"};

struct office {
    const char *city;
    int16_t tz;
};

static const struct office offices[] = {
    {"new-york", -300}, {"san-francisco", -480}, {"london", 0},     {"berlin", 60},
    {"bangalore", 330}, {"sydney", 600},         {"toronto", -300}, {"amsterdam", 60}};

static const char *const ua_cli[] = {
    "aws-cli/2.15.10 Python/3.11.6 Darwin/23.2.0 exe/x86_64 prompt/off",
    "aws-cli/2.15.8 Python/3.11.6 Linux/6.5.0-14-generic exe/x86_64.ubuntu.22 prompt/off",
    "aws-cli/2.13.25 Python/3.11.5 Windows/10 exe/AMD64 prompt/off",
    ("Boto3/1.34.14 md/Botocore#1.34.14 ua/2.0 os/macos#23.2.0 md/arch#arm64 lang/python#3.11.7 "
     "md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.14")};

static const char *const ua_console[] = {
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/120.0.0.0 Safari/537.36"),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0"),
    "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0"};

static const char *const ua_sdk[] = {
    ("Boto3/1.34.14 md/Botocore#1.34.14 ua/2.0 os/linux#5.10.205-195.804.amzn2.x86_64 "
     "md/arch#x86_64 lang/python#3.11.6 md/pyimpl#CPython cfg/retry-mode#legacy "
     "Botocore/1.34.14"),
    "aws-sdk-go-v2/1.24.0 os/linux lang/go#1.21.5 md/GOOS#linux md/GOARCH#amd64",
    ("aws-sdk-java/2.21.42 Linux/5.10.205-195.804.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/"
     "17.0.9+8-LTS Java/17.0.9 vendor/Amazon.com_Inc. io/sync http/Apache cfg/retry-mode/legacy"),
    "aws-sdk-nodejs/2.1528.0 linux/v18.19.0 exec-env/AWS_Lambda_nodejs18.x"};

static const char ua_ci[] =
    "APN/1.0 HashiCorp/1.0 Terraform/1.6.6 (+https://www.terraform.io) "
    "terraform-provider-aws/5.31.0 (+https://registry.terraform.io/providers/hashicorp/aws) "
    "aws-sdk-go-v2/1.24.0 os/linux lang/go#1.21.5 md/GOOS#linux md/GOARCH#amd64";

/* ---- habit templates ------------------------------------------------------------------------ */

struct api_w {
    const char *src; /* short service, expanded to "<src>.amazonaws.com" */
    const char *name;
    uint16_t w;
};

#define END                                                                                        \
    {                                                                                              \
        NULL, NULL, 0                                                                              \
    }

static const struct api_w h_admin[] = {{"iam", "ListUsers", 5},
                                       {"iam", "GetRole", 3},
                                       {"ec2", "DescribeInstances", 8},
                                       {"s3", "ListBuckets", 4},
                                       {"cloudtrail", "LookupEvents", 2},
                                       {"iam", "ListRoles", 3},
                                       {"ec2", "DescribeSecurityGroups", 4},
                                       {"sts", "GetCallerIdentity", 3},
                                       {"organizations", "DescribeOrganization", 1},
                                       {"iam", "GetAccountSummary", 1},
                                       {"ec2", "CreateTags", 1},
                                       {"iam", "ListAccessKeys", 2},
                                       {"kms", "ListKeys", 1},
                                       {"rds", "DescribeDBInstances", 2},
                                       {"cloudformation", "DescribeStacks", 2},
                                       {"monitoring", "GetMetricData", 3},
                                       END};
static const struct api_w h_dev[] = {{"ec2", "DescribeInstances", 6},
                                     {"lambda", "ListFunctions20150331", 3},
                                     {"lambda", "GetFunction20150331v2", 2},
                                     {"logs", "FilterLogEvents", 6},
                                     {"logs", "DescribeLogGroups", 3},
                                     {"s3", "ListBuckets", 2},
                                     {"s3", "GetObject", 4},
                                     {"s3", "PutObject", 2},
                                     {"ecr", "GetAuthorizationToken", 2},
                                     {"eks", "DescribeCluster", 2},
                                     {"cloudformation", "DescribeStacks", 3},
                                     {"sts", "GetCallerIdentity", 3},
                                     {"ssm", "GetParameter", 2},
                                     {"monitoring", "GetMetricData", 3},
                                     {"ec2", "DescribeSecurityGroups", 2},
                                     {"sts", "AssumeRole", 1},
                                     END};
static const struct api_w h_readonly[] = {{"ec2", "DescribeInstances", 5},
                                          {"s3", "ListBuckets", 3},
                                          {"iam", "ListUsers", 3},
                                          {"iam", "GetCredentialReport", 1},
                                          {"config", "DescribeComplianceByConfigRule", 3},
                                          {"config", "DescribeConfigRules", 2},
                                          {"cloudtrail", "DescribeTrails", 2},
                                          {"ec2", "DescribeSecurityGroups", 3},
                                          {"rds", "DescribeDBInstances", 2},
                                          {"s3", "GetBucketPolicy", 2},
                                          {"s3", "GetBucketAcl", 2},
                                          {"kms", "DescribeKey", 1},
                                          {"ec2", "DescribeVpcs", 2},
                                          {"ec2", "DescribeSubnets", 1},
                                          END};
static const struct api_w h_security[] = {{"guardduty", "ListFindings", 5},
                                          {"securityhub", "GetFindings", 5},
                                          {"cloudtrail", "LookupEvents", 4},
                                          {"iam", "GetCredentialReport", 1},
                                          {"iam", "GenerateCredentialReport", 1},
                                          {"config", "DescribeComplianceByConfigRule", 3},
                                          {"ec2", "DescribeSecurityGroups", 3},
                                          {"s3", "GetBucketPolicy", 2},
                                          {"s3", "GetBucketPublicAccessBlock", 2},
                                          {"iam", "ListRoles", 2},
                                          {"iam", "ListAttachedRolePolicies", 2},
                                          {"kms", "DescribeKey", 1},
                                          {"ec2", "DescribeNetworkAcls", 1},
                                          {"ec2", "DescribeRouteTables", 1},
                                          {"cloudtrail", "GetTrailStatus", 2},
                                          {"ec2", "DescribeVpnConnections", 1},
                                          END};
static const struct api_w h_data[] = {{"athena", "StartQueryExecution", 5},
                                      {"athena", "GetQueryResults", 6},
                                      {"glue", "GetTable", 4},
                                      {"s3", "GetObject", 6},
                                      {"s3", "ListObjects", 4},
                                      {"s3", "ListBuckets", 1},
                                      {"sts", "GetCallerIdentity", 1},
                                      {"kms", "Decrypt", 2},
                                      END};
static const struct api_w h_service_user[] = {{"s3", "PutObject", 6},
                                              {"s3", "ListObjects", 2},
                                              {"ec2", "DescribeSnapshots", 2},
                                              {"ec2", "CreateSnapshot", 1},
                                              {"rds", "DescribeDBInstances", 2},
                                              {"monitoring", "GetMetricData", 4},
                                              {"ec2", "DescribeInstances", 3},
                                              {"ec2", "DescribeVolumes", 2},
                                              END};
static const struct api_w h_ci_user[] = {
    {"sts", "AssumeRole", 8}, {"sts", "GetCallerIdentity", 2}, END};
static const struct api_w h_cicd[] = {{"cloudformation", "CreateChangeSet", 2},
                                      {"cloudformation", "ExecuteChangeSet", 1},
                                      {"cloudformation", "DescribeStacks", 6},
                                      {"s3", "PutObject", 5},
                                      {"s3", "GetObject", 3},
                                      {"ecr", "GetAuthorizationToken", 3},
                                      {"ecr", "BatchGetImage", 2},
                                      {"lambda", "UpdateFunctionCode20150331v2", 1},
                                      {"lambda", "GetFunction20150331v2", 2},
                                      {"eks", "DescribeCluster", 2},
                                      {"autoscaling", "DescribeAutoScalingGroups", 2},
                                      {"autoscaling", "UpdateAutoScalingGroup", 1},
                                      {"ec2", "DescribeImages", 2},
                                      {"ssm", "GetParameters", 2},
                                      {"elasticloadbalancing", "DescribeTargetHealth", 2},
                                      {"iam", "GetRole", 1},
                                      END};
static const struct api_w h_instance[] = {{"s3", "GetObject", 5},
                                          {"s3", "PutObject", 2},
                                          {"ssm", "GetParameters", 3},
                                          {"kms", "Decrypt", 3},
                                          {"secretsmanager", "GetSecretValue", 2},
                                          {"logs", "CreateLogStream", 1},
                                          {"sts", "GetCallerIdentity", 1},
                                          {"ec2", "DescribeInstances", 1},
                                          END};
static const struct api_w h_lambda[] = {{"s3", "GetObject", 4},
                                        {"s3", "PutObject", 2},
                                        {"kms", "Decrypt", 2},
                                        {"secretsmanager", "GetSecretValue", 2},
                                        {"logs", "CreateLogStream", 3},
                                        {"ssm", "GetParameter", 2},
                                        END};
static const struct api_w h_eks_node[] = {{"ecr", "GetAuthorizationToken", 4},
                                          {"ecr", "BatchGetImage", 4},
                                          {"ec2", "DescribeInstances", 3},
                                          {"eks", "DescribeCluster", 2},
                                          {"ec2", "DescribeSubnets", 1},
                                          {"ec2", "CreateNetworkInterface", 1},
                                          END};
static const struct api_w h_admin_role[] = {{"ec2", "DescribeInstances", 8},
                                            {"ec2", "StopInstances", 1},
                                            {"ec2", "StartInstances", 1},
                                            {"ec2", "AuthorizeSecurityGroupIngress", 1},
                                            {"ec2", "RevokeSecurityGroupIngress", 1},
                                            {"iam", "GetRole", 3},
                                            {"iam", "AttachRolePolicy", 1},
                                            {"s3", "GetBucketPolicy", 2},
                                            {"s3", "ListBuckets", 3},
                                            {"rds", "DescribeDBInstances", 2},
                                            {"cloudtrail", "LookupEvents", 2},
                                            {"ec2", "CreateTags", 2},
                                            {"ec2", "DescribeSecurityGroups", 4},
                                            {"kms", "DescribeKey", 1},
                                            END};
static const struct api_w h_service_role[] = {{"ec2", "DescribeInstances", 3},
                                              {"ec2", "DescribeSecurityGroups", 3},
                                              {"s3", "GetBucketPolicy", 2},
                                              {"iam", "GetRole", 2},
                                              {"ec2", "DescribeVpcs", 2},
                                              {"s3", "GetBucketAcl", 2},
                                              {"rds", "DescribeDBInstances", 1},
                                              {"lambda", "ListFunctions20150331", 1},
                                              END};
static const struct api_w h_vendor[] = {{"ec2", "DescribeInstances", 3},
                                        {"iam", "GetAccountSummary", 1},
                                        {"s3", "ListBuckets", 2},
                                        {"cloudtrail", "DescribeTrails", 1},
                                        {"iam", "GenerateCredentialReport", 1},
                                        {"iam", "GetCredentialReport", 1},
                                        {"config", "DescribeConfigRules", 1},
                                        {"iam", "GetAccountPasswordPolicy", 1},
                                        END};

#undef END

/* ---- builder context --------------------------------------------------------------------- */

struct acct_ctx {
    uint32_t acct;
    const char *label;
    struct rp_sim_rng r;
    uint32_t kms_data, kms_logs, kms_ebs, kms_aws_lambda;
    uint32_t b_logs, b_data, b_backup, b_artifacts, b_web, b_shared;
    uint32_t vpc_main, vpc_default, vpc_dr;
    uint32_t sub_pub[2], sub_priv[2], sub_dr[2];
    uint32_t sg_default, sg_alb, sg_web, sg_app, sg_db, sg_bastion, sg_lambda, sg_eks_cluster,
        sg_eks_node, sg_ci;
    uint32_t nat, rtb_private, rtb_public;
    uint32_t p_deploy, p_s3_read, p_app, p_ci_artifacts; /* customer-managed policies */
    uint32_t g_admins, g_devs, g_readonly, g_security, g_data;
    uint32_t role_admin, role_readonly, role_cicd, role_web, role_app, role_ci_runner, role_lambda,
        role_eks_cluster, role_eks_node, role_config, role_flowlogs, role_vendor;
    uint32_t ci_user;
    uint32_t eks;
    uint32_t lambda_api;
    bool prod; /* strict baseline (encryption, MFA, BPA) */
};

struct build {
    struct rp_sim_world *w;
    struct rp_sim_rng g; /* world/global */
    uint32_t scale_x;    /* 1, 3, 8 */
    uint8_t used_octets[256];
    char office_ip[RP_ARRAY_LEN(offices)][RP_SIM_IP_SZ];
    uint32_t offices_used[3];
    uint32_t noffices;
    /* AWS managed policies (shared) */
    uint32_t am_admin, am_readonly, am_poweruser, am_security_audit, am_s3_readonly, am_ssm_core,
        am_lambda_basic, am_eks_worker, am_eks_cluster, am_config_role, am_ecr_readonly,
        am_lambda_vpc;
    char ami[4][RP_SIM_MAX_REGIONS][32];
    uint32_t site_octet;
    char doc[4096]; /* scratch for policy documents (copied into the world arena) */
    struct rp_errbuf *eb;
};

#define OOM(b) rp_fail((b)->eb, RP_ENOMEM, "simulate: out of memory building the world")

static void cpy(char *dst, size_t sz, const char *src)
{
    rp_strlcpy(dst, src, sz);
}

#define CPY(dst, src) cpy((dst), sizeof(dst), (src))

static const char *pick(struct rp_sim_rng *r, const char *const *a, size_t n)
{
    return a[rp_sim_rng_below(r, (uint32_t)n)];
}

#define PICK(r, a) pick((r), (a), RP_ARRAY_LEN(a))

static int64_t created_before(struct rp_sim_rng *r, const struct rp_sim_world *w, int min_days,
                              int max_days)
{
    int64_t d = rp_sim_rng_range(r, min_days, max_days);
    int64_t t = w->start_ms - d * DAY - rp_sim_rng_range(r, 0, DAY - 1);
    return t - t % 1000; /* whole seconds, as AWS reports creation times */
}

static void res_init(struct rp_sim_res *res, uint32_t acct, uint32_t region, int64_t created)
{
    res->acct = acct;
    res->region = region;
    res->created_ms = created;
}

static const char *region_of(const struct build *b, uint32_t region)
{
    return b->w->regions[region];
}

static const char *acct_id(const struct build *b, uint32_t acct)
{
    return b->w->accounts[acct].res.id;
}

static void az_name(const struct build *b, uint32_t region, unsigned i, char *out, size_t sz)
{
    rp_sim_fmt(out, sz, "%s%c", region_of(b, region), (char)('a' + i));
}

/* AZ id as AWS writes it: "use1-az1". Derived from the region name's parts. */
static void az_id(const struct build *b, uint32_t region, unsigned i, char *out, size_t sz)
{
    const char *rn = region_of(b, region);
    char code[16];
    size_t n = 0;
    const char *p = rn;
    /* first two letters of the geography, first letter of each direction word, the digit */
    bool first = true;
    while (*p && n < sizeof(code) - 2) {
        const char *dash = strchr(p, '-');
        size_t len = dash ? (size_t)(dash - p) : strlen(p);
        if (len && p[0] >= '0' && p[0] <= '9') {
            for (size_t k = 0; k < len && n < sizeof(code) - 1; k++) code[n++] = p[k];
        } else if (first) {
            for (size_t k = 0; k < len && k < 2 && n < sizeof(code) - 1; k++) code[n++] = p[k];
        } else if (len) {
            code[n++] = p[0];
            if (len > 5 && strncmp(p, "north", 5) == 0 && len > 5) code[n - 1] = p[0];
        }
        first = false;
        if (!dash) break;
        p = dash + 1;
    }
    code[n] = '\0';
    rp_sim_fmt(out, sz, "%s-az%u", code, i + 1);
}

static void add_tag(struct rp_sim_res *res, const char *k, const char *v)
{
    (void)rp_sim_res_set_tag(res, k, v);
}

/* ---- IAM ------------------------------------------------------------------------------------ */

static uint32_t aws_policy(struct build *b, const char *path, const char *name, const char *doc)
{
    uint32_t idx = 0;
    struct rp_sim_policy *p = rp_sim_world_add(b->w, RP_SIM_K_POLICY, &idx);
    if (!p) return RP_SIM_NONE;
    res_init(&p->res, 0, 0, 1423000000000LL); /* AWS managed policies date from 2015 */
    p->res.global = true;
    p->aws_managed = true;
    rp_sim_id_iam(&b->g, "ANPA", p->res.id, sizeof(p->res.id));
    CPY(p->res.name, name);
    CPY(p->path, path);
    rp_sim_fmt(p->res.arn, sizeof(p->res.arn), "arn:aws:iam::aws:policy%s%s", path, name);
    CPY(p->version, "v1");
    p->doc = rp_sim_world_strdup(b->w, doc);
    return idx;
}

static uint32_t customer_policy(struct build *b, struct acct_ctx *c, const char *name,
                                const char *doc)
{
    uint32_t idx = 0;
    struct rp_sim_policy *p = rp_sim_world_add(b->w, RP_SIM_K_POLICY, &idx);
    if (!p) return RP_SIM_NONE;
    res_init(&p->res, c->acct, 0, created_before(&c->r, b->w, 60, 700));
    p->res.global = true;
    rp_sim_id_iam(&c->r, "ANPA", p->res.id, sizeof(p->res.id));
    CPY(p->res.name, name);
    CPY(p->path, "/");
    rp_sim_fmt(p->res.arn, sizeof(p->res.arn), "arn:aws:iam::%s:policy/%s", acct_id(b, c->acct),
               name);
    CPY(p->version, "v1");
    p->doc = rp_sim_world_strdup(b->w, doc);
    return idx;
}

static void attach(struct build *b, uint32_t *arr, uint32_t *n, uint32_t policy)
{
    if (policy == RP_SIM_NONE || *n >= RP_SIM_MAX_ATTACHED) return;
    arr[(*n)++] = policy;
    b->w->policies[policy].attachments++;
}

static void habits_fill(struct rp_sim_habits *h, const struct api_w *tpl)
{
    h->napis = 0;
    for (const struct api_w *a = tpl; a->src && h->napis < RP_SIM_MAX_HABIT_APIS; a++) {
        char src[64];
        rp_sim_fmt(src, sizeof(src), "%s.amazonaws.com", a->src);
        uint32_t i = rp_sim_api_find(src, a->name);
        if (i == RP_SIM_NONE) continue;
        h->apis[h->napis] = (uint16_t)i;
        h->api_weights[h->napis] = a->w;
        h->napis++;
    }
}

static void habits_human(struct build *b, struct rp_sim_rng *r, struct rp_sim_habits *h,
                         bool console)
{
    uint32_t o = b->offices_used[rp_sim_rng_below(r, b->noffices)];
    h->tz_offset_min = offices[o].tz;
    rp_sim_ip_isp(r, h->ips[0]); /* home */
    CPY(h->ips[1], b->office_ip[o]);
    h->nips = 2;
    if (rp_sim_rng_chance(r, 300)) {
        rp_sim_ip_isp(r, h->ips[2]); /* second home / mobile */
        h->nips = 3;
    }
    h->work_start_hour = (uint8_t)rp_sim_rng_range(r, 7, 10);
    h->work_end_hour = (uint8_t)(h->work_start_hour + rp_sim_rng_range(r, 8, 10));
    h->weekdays = rp_sim_rng_chance(r, 150) ? 0x3f : 0x1f;
    h->console = console;
    CPY(h->user_agent, console ? PICK(r, ua_console) : PICK(r, ua_cli));
    h->calls_per_hour = (uint16_t)rp_sim_rng_range(r, 8, 60);
    h->offhours_permille = (uint16_t)rp_sim_rng_range(r, 5, 60);
    h->region = 0;
}

static void habits_machine(struct rp_sim_rng *r, struct rp_sim_habits *h, const char *ua,
                           const char *ip, uint16_t lo, uint16_t hi)
{
    h->always_on = true;
    h->weekdays = 0x7f;
    h->work_start_hour = 0;
    h->work_end_hour = 24;
    CPY(h->user_agent, ua);
    if (ip && *ip) {
        CPY(h->ips[0], ip);
        h->nips = 1;
    } else {
        rp_sim_ip_aws_public(r, h->ips[0]);
        h->nips = 1;
    }
    h->calls_per_hour = (uint16_t)rp_sim_rng_range(r, lo, hi);
    h->offhours_permille = 1000;
    h->region = 0;
}

static char *policy_doc(struct build *b, const char *fmt, ...) RP_PRINTF(2, 3);

static char *policy_doc(struct build *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(b->doc, sizeof(b->doc), fmt, ap);
    va_end(ap);
    if (n < 0) b->doc[0] = '\0';
    return b->doc;
}

static uint32_t new_group(struct build *b, struct acct_ctx *c, const char *name, uint32_t pol1,
                          uint32_t pol2)
{
    uint32_t idx = 0;
    struct rp_sim_group *g = rp_sim_world_add(b->w, RP_SIM_K_GROUP, &idx);
    if (!g) return RP_SIM_NONE;
    res_init(&g->res, c->acct, 0, created_before(&c->r, b->w, 200, 900));
    g->res.global = true;
    rp_sim_id_iam(&c->r, "AGPA", g->res.id, sizeof(g->res.id));
    CPY(g->res.name, name);
    CPY(g->path, "/");
    rp_sim_fmt(g->res.arn, sizeof(g->res.arn), "arn:aws:iam::%s:group/%s", acct_id(b, c->acct),
               name);
    attach(b, g->policies, &g->npolicies, pol1);
    attach(b, g->policies, &g->npolicies, pol2);
    return idx;
}

static uint32_t new_role(struct build *b, struct acct_ctx *c, enum rp_sim_role_kind kind,
                         const char *path, const char *name, const char *trust_service,
                         const char *trust_aws)
{
    uint32_t idx = 0;
    struct rp_sim_role *ro = rp_sim_world_add(b->w, RP_SIM_K_ROLE, &idx);
    if (!ro) return RP_SIM_NONE;
    res_init(&ro->res, c->acct, 0, created_before(&c->r, b->w, 30, 800));
    ro->res.global = true;
    ro->kind = kind;
    rp_sim_id_iam(&c->r, "AROA", ro->res.id, sizeof(ro->res.id));
    CPY(ro->res.name, name);
    CPY(ro->path, path);
    rp_sim_fmt(ro->res.arn, sizeof(ro->res.arn), "arn:aws:iam::%s:role%s%s", acct_id(b, c->acct),
               path, name);
    if (trust_service) CPY(ro->trust_service, trust_service);
    if (trust_aws) CPY(ro->trust_aws, trust_aws);
    ro->max_session_s = 3600;
    ro->last_used_region = 0;
    ro->last_used_ms = b->w->start_ms - rp_sim_rng_range(&c->r, 1, 72) * RP_TIME_MS_PER_HOUR;
    ro->last_used_ms -= ro->last_used_ms % 1000;
    if (kind == RP_SIM_ROLE_INSTANCE_PROFILE || kind == RP_SIM_ROLE_EKS_NODE) {
        CPY(ro->profile_name, name);
        rp_sim_id_iam(&c->r, "AIPA", ro->profile_id, sizeof(ro->profile_id));
        rp_sim_fmt(ro->profile_arn, sizeof(ro->profile_arn), "arn:aws:iam::%s:instance-profile/%s",
                   acct_id(b, c->acct), name);
    }
    return idx;
}

static void user_key(struct build *b, struct acct_ctx *c, struct rp_sim_user *u, int min_age,
                     int max_age)
{
    if (u->nkeys >= 2) return;
    struct rp_sim_access_key *k = &u->keys[u->nkeys++];
    rp_sim_id_iam(&c->r, "AKIA", k->id, sizeof(k->id));
    k->created_ms = created_before(&c->r, b->w, min_age, max_age);
    if (k->created_ms < u->res.created_ms) k->created_ms = u->res.created_ms + DAY;
    k->active = true;
    k->last_used_ms = b->w->start_ms - rp_sim_rng_range(&c->r, 1, 48) * RP_TIME_MS_PER_HOUR;
    k->last_used_ms -= k->last_used_ms % 1000;
    CPY(k->last_used_service, "ec2");
    k->last_used_region = 0;
}

static uint32_t new_user(struct build *b, struct acct_ctx *c, enum rp_sim_user_kind kind,
                         const char *name, const char *display)
{
    uint32_t idx = 0;
    struct rp_sim_user *u = rp_sim_world_add(b->w, RP_SIM_K_USER, &idx);
    if (!u) return RP_SIM_NONE;
    res_init(&u->res, c->acct, 0, created_before(&c->r, b->w, 120, 1200));
    u->res.global = true;
    u->kind = kind;
    rp_sim_id_iam(&c->r, "AIDA", u->res.id, sizeof(u->res.id));
    CPY(u->res.name, name);
    CPY(u->path, "/");
    if (display) CPY(u->display, display);
    rp_sim_fmt(u->res.arn, sizeof(u->res.arn), "arn:aws:iam::%s:user/%s", acct_id(b, c->acct),
               name);
    return idx;
}

static rp_err build_iam(struct build *b, struct acct_ctx *c)
{
    struct rp_sim_world *w = b->w;
    const char *aid = acct_id(b, c->acct);
    char name[RP_SIM_NAME_SZ];

    /* customer-managed policies */
    rp_sim_fmt(name, sizeof(name), "%s-deploy", c->label);
    c->p_deploy = customer_policy(
        b, c, name,
        policy_doc(b,
                   "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Deploy\","
                   "\"Effect\":\"Allow\",\"Action\":[\"cloudformation:*\",\"lambda:"
                   "UpdateFunctionCode\",\"lambda:GetFunction\",\"ecr:*\",\"autoscaling:"
                   "UpdateAutoScalingGroup\",\"autoscaling:Describe*\",\"eks:DescribeCluster\","
                   "\"ssm:GetParameters\",\"elasticloadbalancing:Describe*\",\"ec2:Describe*\"],"
                   "\"Resource\":\"*\"},{\"Sid\":\"PassRole\",\"Effect\":\"Allow\",\"Action\":"
                   "\"iam:PassRole\",\"Resource\":\"arn:aws:iam::%s:role/app/*\"}]}",
                   aid));
    rp_sim_fmt(name, sizeof(name), "%s-s3-data-read", c->label);
    c->p_s3_read = customer_policy(
        b, c, name,
        policy_doc(b,
                   "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
                   "[\"s3:GetObject\",\"s3:ListBucket\"],\"Resource\":[\"arn:aws:s3:::%s\","
                   "\"arn:aws:s3:::%s/*\"]}]}",
                   w->buckets[c->b_data].res.name, w->buckets[c->b_data].res.name));
    rp_sim_fmt(name, sizeof(name), "%s-app-runtime", c->label);
    c->p_app = customer_policy(
        b, c, name,
        policy_doc(b,
                   "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
                   "[\"s3:GetObject\",\"s3:PutObject\"],\"Resource\":\"arn:aws:s3:::%s/*\"},"
                   "{\"Effect\":\"Allow\",\"Action\":[\"ssm:GetParameters\",\"secretsmanager:"
                   "GetSecretValue\",\"kms:Decrypt\"],\"Resource\":\"*\"}]}",
                   w->buckets[c->b_data].res.name));
    rp_sim_fmt(name, sizeof(name), "%s-ci-artifacts", c->label);
    c->p_ci_artifacts = customer_policy(
        b, c, name,
        policy_doc(b,
                   "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
                   "[\"s3:PutObject\",\"s3:GetObject\",\"s3:ListBucket\"],\"Resource\":["
                   "\"arn:aws:s3:::%s\",\"arn:aws:s3:::%s/*\"]}]}",
                   w->buckets[c->b_artifacts].res.name, w->buckets[c->b_artifacts].res.name));
    if (c->p_deploy == RP_SIM_NONE || c->p_s3_read == RP_SIM_NONE || c->p_app == RP_SIM_NONE ||
        c->p_ci_artifacts == RP_SIM_NONE)
        return OOM(b);

    /* groups */
    c->g_admins = new_group(b, c, "Admins", b->am_admin, RP_SIM_NONE);
    c->g_devs = new_group(b, c, "Developers", b->am_poweruser, c->p_s3_read);
    c->g_readonly = new_group(b, c, "Auditors", b->am_readonly, b->am_security_audit);
    c->g_security = new_group(b, c, "Security", b->am_security_audit, b->am_readonly);
    c->g_data = new_group(b, c, "DataAnalysts", b->am_s3_readonly, c->p_s3_read);
    if (c->g_data == RP_SIM_NONE) return OOM(b);

    /* roles */
    char trust[RP_SIM_ARN_SZ];
    rp_sim_fmt(trust, sizeof(trust), "arn:aws:iam::%s:root", acct_id(b, 0));
    const char *sso_path = "/";
    c->role_admin = new_role(b, c, RP_SIM_ROLE_ADMIN, sso_path, "OrganizationAdmin", NULL, trust);
    c->role_readonly =
        new_role(b, c, RP_SIM_ROLE_READONLY, sso_path, "SecurityReadOnly", NULL, trust);
    rp_sim_fmt(trust, sizeof(trust),
               "arn:aws:iam::%s:oidc-provider/token.actions.githubusercontent.com", aid);
    c->role_cicd = new_role(b, c, RP_SIM_ROLE_CICD, "/ci/", "github-actions-deploy", NULL, NULL);
    if (c->role_cicd != RP_SIM_NONE) {
        CPY(w->roles[c->role_cicd].trust_federated, trust);
        w->roles[c->role_cicd].max_session_s = 3600;
    }
    rp_sim_fmt(name, sizeof(name), "%s-web-instance", c->label);
    c->role_web =
        new_role(b, c, RP_SIM_ROLE_INSTANCE_PROFILE, "/app/", name, "ec2.amazonaws.com", NULL);
    rp_sim_fmt(name, sizeof(name), "%s-app-instance", c->label);
    c->role_app =
        new_role(b, c, RP_SIM_ROLE_INSTANCE_PROFILE, "/app/", name, "ec2.amazonaws.com", NULL);
    rp_sim_fmt(name, sizeof(name), "%s-ci-runner", c->label);
    c->role_ci_runner =
        new_role(b, c, RP_SIM_ROLE_INSTANCE_PROFILE, "/ci/", name, "ec2.amazonaws.com", NULL);
    rp_sim_fmt(name, sizeof(name), "%s-lambda-exec", c->label);
    c->role_lambda = new_role(b, c, RP_SIM_ROLE_LAMBDA_EXEC, "/service-role/", name,
                              "lambda.amazonaws.com", NULL);
    c->role_eks_cluster = RP_SIM_NONE;
    c->role_eks_node = RP_SIM_NONE;
    if (c->acct == 0 || b->scale_x > 1) {
        rp_sim_fmt(name, sizeof(name), "%s-eks-cluster", c->label);
        c->role_eks_cluster =
            new_role(b, c, RP_SIM_ROLE_EKS_CLUSTER, "/", name, "eks.amazonaws.com", NULL);
        rp_sim_fmt(name, sizeof(name), "%s-eks-node", c->label);
        c->role_eks_node =
            new_role(b, c, RP_SIM_ROLE_EKS_NODE, "/", name, "ec2.amazonaws.com", NULL);
    }
    c->role_config =
        new_role(b, c, RP_SIM_ROLE_SERVICE_LINKED, "/aws-service-role/config.amazonaws.com/",
                 "AWSServiceRoleForConfig", "config.amazonaws.com", NULL);
    (void)new_role(b, c, RP_SIM_ROLE_SERVICE_LINKED, "/aws-service-role/autoscaling.amazonaws.com/",
                   "AWSServiceRoleForAutoScaling", "autoscaling.amazonaws.com", NULL);
    (void)new_role(
        b, c, RP_SIM_ROLE_SERVICE_LINKED, "/aws-service-role/elasticloadbalancing.amazonaws.com/",
        "AWSServiceRoleForElasticLoadBalancing", "elasticloadbalancing.amazonaws.com", NULL);
    (void)new_role(b, c, RP_SIM_ROLE_SERVICE_LINKED, "/aws-service-role/rds.amazonaws.com/",
                   "AWSServiceRoleForRDS", "rds.amazonaws.com", NULL);
    c->role_flowlogs = new_role(b, c, RP_SIM_ROLE_SERVICE, "/service-role/", "flow-logs-delivery",
                                "vpc-flow-logs.amazonaws.com", NULL);
    char vendor_acct[RP_SIM_ACCT_SZ];
    rp_sim_id_account(&c->r, vendor_acct);
    rp_sim_fmt(trust, sizeof(trust), "arn:aws:iam::%s:root", vendor_acct);
    c->role_vendor =
        new_role(b, c, RP_SIM_ROLE_CROSS_ACCOUNT, "/", "cspm-vendor-audit", NULL, trust);
    if (c->role_vendor == RP_SIM_NONE || c->role_flowlogs == RP_SIM_NONE) return OOM(b);
    rp_sim_rng_chars(&c->r, w->roles[c->role_vendor].external_id, 24, RP_SIM_ALPHA_ALNUM);

    struct rp_sim_role *R = w->roles;
    attach(b, R[c->role_admin].policies, &R[c->role_admin].npolicies, b->am_admin);
    attach(b, R[c->role_readonly].policies, &R[c->role_readonly].npolicies, b->am_security_audit);
    attach(b, R[c->role_readonly].policies, &R[c->role_readonly].npolicies, b->am_readonly);
    attach(b, R[c->role_cicd].policies, &R[c->role_cicd].npolicies, c->p_deploy);
    attach(b, R[c->role_cicd].policies, &R[c->role_cicd].npolicies, c->p_ci_artifacts);
    attach(b, R[c->role_web].policies, &R[c->role_web].npolicies, b->am_ssm_core);
    attach(b, R[c->role_web].policies, &R[c->role_web].npolicies, c->p_app);
    attach(b, R[c->role_app].policies, &R[c->role_app].npolicies, b->am_ssm_core);
    attach(b, R[c->role_app].policies, &R[c->role_app].npolicies, c->p_app);
    attach(b, R[c->role_ci_runner].policies, &R[c->role_ci_runner].npolicies, b->am_ssm_core);
    attach(b, R[c->role_ci_runner].policies, &R[c->role_ci_runner].npolicies, c->p_ci_artifacts);
    attach(b, R[c->role_lambda].policies, &R[c->role_lambda].npolicies, b->am_lambda_basic);
    attach(b, R[c->role_lambda].policies, &R[c->role_lambda].npolicies, b->am_lambda_vpc);
    attach(b, R[c->role_lambda].policies, &R[c->role_lambda].npolicies, c->p_s3_read);
    attach(b, R[c->role_config].policies, &R[c->role_config].npolicies, b->am_config_role);
    attach(b, R[c->role_vendor].policies, &R[c->role_vendor].npolicies, b->am_security_audit);
    if (c->role_eks_cluster != RP_SIM_NONE) {
        attach(b, R[c->role_eks_cluster].policies, &R[c->role_eks_cluster].npolicies,
               b->am_eks_cluster);
        attach(b, R[c->role_eks_node].policies, &R[c->role_eks_node].npolicies, b->am_eks_worker);
        attach(b, R[c->role_eks_node].policies, &R[c->role_eks_node].npolicies, b->am_ecr_readonly);
        attach(b, R[c->role_eks_node].policies, &R[c->role_eks_node].npolicies, b->am_ssm_core);
    }
    R[c->role_lambda].inline_name[0] = '\0';
    CPY(R[c->role_app].inline_name, "kms-data-key");
    R[c->role_app].inline_doc = rp_sim_world_strdup(
        w, policy_doc(b,
                      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                      "\"Action\":[\"kms:Decrypt\",\"kms:GenerateDataKey\"],\"Resource\":"
                      "\"%s\"}]}",
                      w->kms_keys[c->kms_data].res.arn));

    /* habits of roles */
    const char *nat_ip = c->nat != RP_SIM_NONE ? w->natgws[c->nat].public_ip : NULL;
    habits_fill(&R[c->role_admin].habits, h_admin_role);
    habits_fill(&R[c->role_readonly].habits, h_readonly);
    habits_fill(&R[c->role_cicd].habits, h_cicd);
    habits_machine(&c->r, &R[c->role_cicd].habits, ua_ci, NULL, 10, 40);
    R[c->role_cicd].habits.always_on = false; /* deploys in working hours */
    R[c->role_cicd].habits.weekdays = 0x1f;
    R[c->role_cicd].habits.work_start_hour = 6;
    R[c->role_cicd].habits.work_end_hour = 20;
    R[c->role_cicd].habits.offhours_permille = 40;
    rp_sim_ip_aws_public(&c->r, R[c->role_cicd].habits.ips[1]); /* second runner pool address */
    R[c->role_cicd].habits.nips = 2;
    uint32_t ip_roles[] = {c->role_web, c->role_app, c->role_ci_runner};
    for (unsigned i = 0; i < RP_ARRAY_LEN(ip_roles); i++) {
        habits_fill(&R[ip_roles[i]].habits, h_instance);
        habits_machine(&c->r, &R[ip_roles[i]].habits, ua_sdk[i % 3], nat_ip, 20, 120);
    }
    habits_fill(&R[c->role_lambda].habits, h_lambda);
    habits_machine(&c->r, &R[c->role_lambda].habits, ua_sdk[3], NULL, 10, 80);
    if (c->role_eks_node != RP_SIM_NONE) {
        habits_fill(&R[c->role_eks_node].habits, h_eks_node);
        habits_machine(&c->r, &R[c->role_eks_node].habits, ua_sdk[1], nat_ip, 20, 90);
    }
    habits_fill(&R[c->role_config].habits, h_service_role);
    habits_machine(&c->r, &R[c->role_config].habits, "config.amazonaws.com", "config.amazonaws.com",
                   5, 30);
    habits_fill(&R[c->role_vendor].habits, h_vendor);
    habits_machine(&c->r, &R[c->role_vendor].habits, ua_sdk[0], NULL, 2, 10);
    R[c->role_vendor].habits.always_on = false;
    R[c->role_vendor].habits.weekdays = 0x7f;
    R[c->role_vendor].habits.work_start_hour = 2;
    R[c->role_vendor].habits.work_end_hour = 4; /* nightly scan */
    R[c->role_vendor].habits.offhours_permille = 0;

    /* users */
    static const struct {
        enum rp_sim_user_kind kind;
        uint32_t weight;
    } mix[] = {{RP_SIM_USER_ADMIN, 2},
               {RP_SIM_USER_DEVELOPER, 9},
               {RP_SIM_USER_READONLY, 1},
               {RP_SIM_USER_SECURITY, 1},
               {RP_SIM_USER_DATA, 2}};
    uint32_t weights[RP_ARRAY_LEN(mix)];
    for (unsigned i = 0; i < RP_ARRAY_LEN(mix); i++) weights[i] = mix[i].weight;
    uint32_t nhumans = (c->acct == 0 ? 7 : 5) * b->scale_x;
    for (uint32_t i = 0; i < nhumans; i++) {
        enum rp_sim_user_kind kind =
            i < 4 ? (enum rp_sim_user_kind)i
                  : mix[rp_sim_rng_pick_weighted(&c->r, weights, RP_ARRAY_LEN(weights))].kind;
        if (i == 4) kind = RP_SIM_USER_DATA;
        char uname[RP_SIM_NAME_SZ], disp[64];
        for (int tries = 0;; tries++) {
            const char *f = PICK(&c->r, firsts), *l = PICK(&c->r, lasts);
            rp_sim_fmt(uname, sizeof(uname), "%s.%s", f, l);
            rp_sim_fmt(disp, sizeof(disp), "%c%s %c%s", f[0] - 32, f + 1, l[0] - 32, l + 1);
            if (tries > 20) {
                size_t ul = strlen(uname);
                rp_sim_fmt(uname + ul, sizeof(uname) - ul, "%u", i);
            }
            if (rp_sim_world_find(w, RP_SIM_K_USER, uname) == RP_SIM_NONE) break;
            /* names may repeat across accounts (same person), not within one */
            bool clash = false;
            for (uint32_t k = 0; k < w->nusers; k++)
                if (w->users[k].res.acct == c->acct && strcmp(w->users[k].res.name, uname) == 0)
                    clash = true;
            if (!clash) break;
        }
        uint32_t ui = new_user(b, c, kind, uname, disp);
        if (ui == RP_SIM_NONE) return OOM(b);
        struct rp_sim_user *u = &w->users[ui];
        u->console_password = true;
        u->password_last_changed_ms = created_before(&c->r, w, 5, 80);
        if (u->password_last_changed_ms < u->res.created_ms)
            u->password_last_changed_ms = u->res.created_ms;
        u->password_last_used_ms =
            w->start_ms - rp_sim_rng_range(&c->r, 1, 96) * RP_TIME_MS_PER_HOUR;
        u->password_last_used_ms -= u->password_last_used_ms % 1000;
        u->mfa = c->prod || rp_sim_rng_chance(&c->r, 800);
        if (u->mfa)
            rp_sim_fmt(u->mfa_serial, sizeof(u->mfa_serial), "arn:aws:iam::%s:mfa/%s", aid, uname);
        const struct api_w *tpl = h_dev;
        uint32_t grp = c->g_devs;
        bool console = false;
        switch (kind) {
        case RP_SIM_USER_ADMIN:
            tpl = h_admin;
            grp = c->g_admins;
            console = rp_sim_rng_chance(&c->r, 500);
            break;
        case RP_SIM_USER_READONLY:
            tpl = h_readonly;
            grp = c->g_readonly;
            console = true;
            break;
        case RP_SIM_USER_SECURITY:
            tpl = h_security;
            grp = c->g_security;
            break;
        case RP_SIM_USER_DATA:
            tpl = h_data;
            grp = c->g_data;
            console = true;
            break;
        default:
            break;
        }
        u->groups[u->ngroups++] = grp;
        if (!console || rp_sim_rng_chance(&c->r, 300)) user_key(b, c, u, 5, 80);
        habits_human(b, &c->r, &u->habits, console);
        habits_fill(&u->habits, tpl);
        if (kind == RP_SIM_USER_ADMIN) {
            u->habits.assume_roles[u->habits.nassume++] = c->role_admin;
        }
        if (kind == RP_SIM_USER_SECURITY || kind == RP_SIM_USER_READONLY)
            u->habits.assume_roles[u->habits.nassume++] = c->role_readonly;
    }
    /* a developer with an inline policy (common in real estates) */
    for (uint32_t k = 0; k < w->nusers; k++) {
        struct rp_sim_user *u = &w->users[k];
        if (u->res.acct != c->acct || u->kind != RP_SIM_USER_DEVELOPER) continue;
        CPY(u->inline_name, "allow-logs-insights");
        u->inline_doc = rp_sim_world_strdup(
            w, "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
               "[\"logs:StartQuery\",\"logs:GetQueryResults\"],\"Resource\":\"*\"}]}");
        break;
    }

    /* machine users */
    rp_sim_fmt(name, sizeof(name), "svc-%s-backup", c->label);
    uint32_t su = new_user(b, c, RP_SIM_USER_SERVICE, name, NULL);
    if (su == RP_SIM_NONE) return OOM(b);
    user_key(b, c, &w->users[su], 20, 85);
    habits_fill(&w->users[su].habits, h_service_user);
    habits_machine(&c->r, &w->users[su].habits, ua_sdk[0], nat_ip, 5, 30);
    attach(b, w->users[su].policies, &w->users[su].npolicies, c->p_s3_read);
    c->ci_user = RP_SIM_NONE;
    if (c->acct == 0) {
        uint32_t cu = new_user(b, c, RP_SIM_USER_CI, "ci-bot", NULL);
        if (cu == RP_SIM_NONE) return OOM(b);
        user_key(b, c, &w->users[cu], 10, 60);
        habits_fill(&w->users[cu].habits, h_ci_user);
        habits_machine(&c->r, &w->users[cu].habits, ua_ci, NULL, 5, 20);
        w->users[cu].habits.assume_roles[w->users[cu].habits.nassume++] = c->role_cicd;
        c->ci_user = cu;
    }
    return RP_OK;
}

/* ---- KMS and S3 ------------------------------------------------------------------------------ */

static uint32_t new_key(struct build *b, struct acct_ctx *c, const char *alias, bool customer,
                        const char *desc)
{
    uint32_t idx = 0;
    struct rp_sim_kms_key *k = rp_sim_world_add(b->w, RP_SIM_K_KMS_KEY, &idx);
    if (!k) return RP_SIM_NONE;
    res_init(&k->res, c->acct, 0, created_before(&c->r, b->w, 100, 900));
    rp_sim_rng_uuid(&c->r, k->res.id);
    rp_sim_fmt(k->res.arn, sizeof(k->res.arn), "arn:aws:kms:%s:%s:key/%s", region_of(b, 0),
               acct_id(b, c->acct), k->res.id);
    CPY(k->alias, alias);
    k->customer_managed = customer;
    k->rotation = customer ? (c->prod || rp_sim_rng_chance(&c->r, 500)) : true;
    CPY(k->state, "Enabled");
    CPY(k->description, desc);
    CPY(k->usage, "ENCRYPT_DECRYPT");
    CPY(k->spec, "SYMMETRIC_DEFAULT");
    return idx;
}

static uint32_t new_bucket(struct build *b, struct acct_ctx *c, const char *what,
                           enum rp_sim_bucket_purpose purpose)
{
    uint32_t idx = 0;
    struct rp_sim_bucket *bk = rp_sim_world_add(b->w, RP_SIM_K_BUCKET, &idx);
    if (!bk) return RP_SIM_NONE;
    res_init(&bk->res, c->acct, 0, created_before(&c->r, b->w, 60, 1500));
    if (purpose == RP_SIM_BUCKET_LOGS)
        rp_sim_fmt(bk->res.id, sizeof(bk->res.id), "%s-%s-%s-%s", b->w->company, c->label, what,
                   acct_id(b, c->acct));
    else {
        char sfx[7];
        rp_sim_rng_chars(&c->r, sfx, 6, RP_SIM_ALPHA_LOWER);
        rp_sim_fmt(bk->res.id, sizeof(bk->res.id), "%s-%s-%s-%s", b->w->company, c->label, what,
                   sfx);
    }
    CPY(bk->res.name, bk->res.id);
    rp_sim_fmt(bk->res.arn, sizeof(bk->res.arn), "arn:aws:s3:::%s", bk->res.id);
    bk->purpose = purpose;
    bk->bpa_set = true;
    for (int i = 0; i < 4; i++) bk->bpa[i] = true;
    bk->sse = c->prod ? RP_SIM_SSE_KMS : RP_SIM_SSE_S3;
    bk->kms = c->prod ? c->kms_data : RP_SIM_NONE;
    bk->bucket_key = bk->sse == RP_SIM_SSE_KMS;
    bk->versioning = (c->prod || purpose == RP_SIM_BUCKET_LOGS) ? RP_SIM_VERSIONING_ENABLED
                                                                : RP_SIM_VERSIONING_OFF;
    bk->log_target = RP_SIM_NONE;
    bk->tls_only = c->prod;
    add_tag(&bk->res, "env", c->label);
    add_tag(&bk->res, "purpose", what);
    return idx;
}

static rp_err build_kms_s3(struct build *b, struct acct_ctx *c)
{
    struct rp_sim_world *w = b->w;
    char alias[64];
    rp_sim_fmt(alias, sizeof(alias), "alias/%s-data", c->label);
    c->kms_data = new_key(b, c, alias, true, "Application data encryption");
    rp_sim_fmt(alias, sizeof(alias), "alias/%s-logs", c->label);
    c->kms_logs = new_key(b, c, alias, true, "Log archive encryption");
    rp_sim_fmt(alias, sizeof(alias), "alias/%s-ebs", c->label);
    c->kms_ebs = new_key(b, c, alias, true, "EBS volume encryption");
    c->kms_aws_lambda = new_key(b, c, "alias/aws/lambda", false,
                                "Default master key that protects my Lambda functions when no "
                                "other key is defined");
    if (c->kms_aws_lambda == RP_SIM_NONE) return OOM(b);

    c->b_logs = new_bucket(b, c, "logs", RP_SIM_BUCKET_LOGS);
    if (c->b_logs == RP_SIM_NONE) return OOM(b);
    w->buckets[c->b_logs].sse = RP_SIM_SSE_S3; /* log delivery services write with SSE-S3 */
    w->buckets[c->b_logs].kms = RP_SIM_NONE;
    w->buckets[c->b_logs].bucket_key = false;
    w->buckets[c->b_logs].acl_log_delivery = true;
    w->buckets[c->b_logs].object_lock = c->prod;
    w->accounts[c->acct].log_bucket = c->b_logs;
    c->b_data = new_bucket(b, c, "data", RP_SIM_BUCKET_DATA);
    c->b_backup = new_bucket(b, c, "backup", RP_SIM_BUCKET_BACKUP);
    c->b_artifacts = new_bucket(b, c, "artifacts", RP_SIM_BUCKET_ARTIFACTS);
    c->b_shared = new_bucket(b, c, "shared-docs", RP_SIM_BUCKET_SHARED);
    c->b_web = RP_SIM_NONE;
    if (c->acct == 0) c->b_web = new_bucket(b, c, "www", RP_SIM_BUCKET_WEB);
    if (c->b_shared == RP_SIM_NONE || (c->acct == 0 && c->b_web == RP_SIM_NONE)) return OOM(b);
    uint32_t logged[] = {c->b_data, c->b_shared, c->b_web};
    for (unsigned i = 0; i < RP_ARRAY_LEN(logged); i++) {
        if (logged[i] == RP_SIM_NONE) continue;
        if (!c->prod && i > 0) continue;
        w->buckets[logged[i]].log_target = c->b_logs;
        rp_sim_fmt(w->buckets[logged[i]].log_prefix, sizeof(w->buckets[logged[i]].log_prefix),
                   "s3-access/%s/", w->buckets[logged[i]].res.name);
    }
    w->buckets[c->b_backup].object_lock = c->prod;
    return RP_OK;
}

/* ---- network -------------------------------------------------------------------------------- */

static uint32_t pick_octet(struct build *b, struct rp_sim_rng *r)
{
    for (;;) {
        uint32_t o = 1 + rp_sim_rng_below(r, 250);
        if (!b->used_octets[o]) {
            b->used_octets[o] = 1;
            return o;
        }
    }
}

static uint32_t new_sg(struct build *b, struct acct_ctx *c, uint32_t vpc, const char *name,
                       const char *desc)
{
    uint32_t idx = 0;
    struct rp_sim_sg *s = rp_sim_world_add(b->w, RP_SIM_K_SG, &idx);
    if (!s) return RP_SIM_NONE;
    const struct rp_sim_vpc *v = &b->w->vpcs[vpc];
    res_init(&s->res, c->acct, v->res.region,
             v->res.created_ms + rp_sim_rng_range(&c->r, 0, 30) * DAY);
    rp_sim_id_ec2(&c->r, "sg", s->res.id, sizeof(s->res.id));
    CPY(s->res.name, name);
    rp_sim_fmt(s->res.arn, sizeof(s->res.arn), "arn:aws:ec2:%s:%s:security-group/%s",
               region_of(b, v->res.region), acct_id(b, c->acct), s->res.id);
    s->vpc = vpc;
    CPY(s->description, desc);
    /* default egress: all traffic anywhere */
    s->egress[0].protocol = -1;
    CPY(s->egress[0].cidr, "0.0.0.0/0");
    s->egress[0].src_sg = RP_SIM_NONE;
    s->negress = 1;
    return idx;
}

static void sg_in(struct build *b, uint32_t sg, int16_t proto, uint16_t from, uint16_t to,
                  const char *cidr, uint32_t src_sg, const char *desc)
{
    if (sg == RP_SIM_NONE) return;
    struct rp_sim_sg *s = &b->w->sgs[sg];
    if (s->ningress >= RP_SIM_MAX_SG_RULES) return;
    struct rp_sim_sg_rule *r = &s->ingress[s->ningress++];
    r->protocol = proto;
    r->port_from = from;
    r->port_to = to;
    if (cidr) CPY(r->cidr, cidr);
    r->src_sg = src_sg;
    if (desc) CPY(r->description, desc);
}

static uint32_t new_subnet(struct build *b, struct acct_ctx *c, uint32_t vpc, unsigned az,
                           const char *cidr, bool pub, const char *name)
{
    uint32_t idx = 0;
    struct rp_sim_subnet *s = rp_sim_world_add(b->w, RP_SIM_K_SUBNET, &idx);
    if (!s) return RP_SIM_NONE;
    const struct rp_sim_vpc *v = &b->w->vpcs[vpc];
    res_init(&s->res, c->acct, v->res.region,
             v->res.created_ms + rp_sim_rng_range(&c->r, 0, 2) * DAY);
    rp_sim_id_ec2(&c->r, "subnet", s->res.id, sizeof(s->res.id));
    rp_sim_fmt(s->res.arn, sizeof(s->res.arn), "arn:aws:ec2:%s:%s:subnet/%s",
               region_of(b, v->res.region), acct_id(b, c->acct), s->res.id);
    s->vpc = vpc;
    az_name(b, v->res.region, az, s->az, sizeof(s->az));
    az_id(b, v->res.region, az, s->az_id, sizeof(s->az_id));
    CPY(s->cidr, cidr);
    s->public = pub;
    s->map_public_ip = pub && v->is_default;
    s->route_table = RP_SIM_NONE;
    s->nacl = RP_SIM_NONE;
    s->next_host = 4 + rp_sim_rng_below(&c->r, 40);
    if (name) add_tag(&s->res, "Name", name);
    return idx;
}

static uint32_t new_rtb(struct build *b, struct acct_ctx *c, uint32_t vpc, bool main,
                        const char *name)
{
    uint32_t idx = 0;
    struct rp_sim_route_table *t = rp_sim_world_add(b->w, RP_SIM_K_ROUTE_TABLE, &idx);
    if (!t) return RP_SIM_NONE;
    const struct rp_sim_vpc *v = &b->w->vpcs[vpc];
    res_init(&t->res, c->acct, v->res.region, v->res.created_ms);
    rp_sim_id_ec2(&c->r, "rtb", t->res.id, sizeof(t->res.id));
    rp_sim_fmt(t->res.arn, sizeof(t->res.arn), "arn:aws:ec2:%s:%s:route-table/%s",
               region_of(b, v->res.region), acct_id(b, c->acct), t->res.id);
    t->vpc = vpc;
    t->main = main;
    t->propagating_vgw = RP_SIM_NONE;
    CPY(t->routes[0].dest, v->cidr);
    t->routes[0].target_kind = RP_SIM_RT_LOCAL;
    t->routes[0].target = RP_SIM_NONE;
    t->nroutes = 1;
    if (name) add_tag(&t->res, "Name", name);
    return idx;
}

static void rtb_route(struct build *b, uint32_t rtb, const char *dest,
                      enum rp_sim_route_target kind, uint32_t target, bool propagated)
{
    struct rp_sim_route_table *t = &b->w->route_tables[rtb];
    if (t->nroutes >= RP_SIM_MAX_ROUTES) return;
    struct rp_sim_route *r = &t->routes[t->nroutes++];
    CPY(r->dest, dest);
    r->target_kind = kind;
    r->target = target;
    r->propagated = propagated;
}

static uint32_t new_nacl(struct build *b, struct acct_ctx *c, uint32_t vpc, bool is_default)
{
    uint32_t idx = 0;
    struct rp_sim_nacl *n = rp_sim_world_add(b->w, RP_SIM_K_NACL, &idx);
    if (!n) return RP_SIM_NONE;
    const struct rp_sim_vpc *v = &b->w->vpcs[vpc];
    res_init(&n->res, c->acct, v->res.region, v->res.created_ms);
    rp_sim_id_ec2(&c->r, "acl", n->res.id, sizeof(n->res.id));
    rp_sim_fmt(n->res.arn, sizeof(n->res.arn), "arn:aws:ec2:%s:%s:network-acl/%s",
               region_of(b, v->res.region), acct_id(b, c->acct), n->res.id);
    n->vpc = vpc;
    n->is_default = is_default;
    return idx;
}

static void nacl_entry(struct build *b, uint32_t nacl, uint16_t rule, int16_t proto, bool egress,
                       bool allow, const char *cidr, uint16_t from, uint16_t to)
{
    struct rp_sim_nacl *n = &b->w->nacls[nacl];
    if (n->nentries >= RP_SIM_MAX_NACL_ENTRIES) return;
    struct rp_sim_nacl_entry *e = &n->entries[n->nentries++];
    e->rule = rule;
    e->protocol = proto;
    e->egress = egress;
    e->allow = allow;
    CPY(e->cidr, cidr);
    e->port_from = from;
    e->port_to = to;
}

static void default_nacl_entries(struct build *b, uint32_t nacl)
{
    nacl_entry(b, nacl, 100, -1, false, true, "0.0.0.0/0", 0, 0);
    nacl_entry(b, nacl, 32767, -1, false, false, "0.0.0.0/0", 0, 0);
    nacl_entry(b, nacl, 100, -1, true, true, "0.0.0.0/0", 0, 0);
    nacl_entry(b, nacl, 32767, -1, true, false, "0.0.0.0/0", 0, 0);
}

static uint32_t new_vpc(struct build *b, struct acct_ctx *c, uint32_t region, const char *cidr,
                        bool is_default, const char *name)
{
    uint32_t idx = 0;
    struct rp_sim_vpc *v = rp_sim_world_add(b->w, RP_SIM_K_VPC, &idx);
    if (!v) return RP_SIM_NONE;
    res_init(&v->res, c->acct, region, created_before(&c->r, b->w, 200, 1400));
    rp_sim_id_ec2(&c->r, "vpc", v->res.id, sizeof(v->res.id));
    rp_sim_fmt(v->res.arn, sizeof(v->res.arn), "arn:aws:ec2:%s:%s:vpc/%s", region_of(b, region),
               acct_id(b, c->acct), v->res.id);
    CPY(v->cidr, cidr);
    v->is_default = is_default;
    rp_sim_id_ec2(&c->r, "dopt", v->dhcp_options, sizeof(v->dhcp_options));
    v->dns_hostnames = true;
    v->igw = RP_SIM_NONE;
    v->vgw = RP_SIM_NONE;
    if (name) add_tag(&v->res, "Name", name);
    return idx;
}

static uint32_t new_igw(struct build *b, struct acct_ctx *c, uint32_t vpc)
{
    uint32_t idx = 0;
    struct rp_sim_igw *g = rp_sim_world_add(b->w, RP_SIM_K_IGW, &idx);
    if (!g) return RP_SIM_NONE;
    const struct rp_sim_vpc *v = &b->w->vpcs[vpc];
    res_init(&g->res, c->acct, v->res.region, v->res.created_ms);
    rp_sim_id_ec2(&c->r, "igw", g->res.id, sizeof(g->res.id));
    rp_sim_fmt(g->res.arn, sizeof(g->res.arn), "arn:aws:ec2:%s:%s:internet-gateway/%s",
               region_of(b, v->res.region), acct_id(b, c->acct), g->res.id);
    g->vpc = vpc;
    b->w->vpcs[vpc].igw = idx;
    return idx;
}

static void alloc_ip(struct build *b, uint32_t subnet, char *out, size_t sz)
{
    struct rp_sim_subnet *s = &b->w->subnets[subnet];
    if (rp_sim_ip_in_cidr(s->cidr, s->next_host++, true, out, sz) != RP_OK) out[0] = '\0';
}

static void mac_addr(struct rp_sim_rng *r, char out[18])
{
    char h[11];
    rp_sim_rng_hex(r, h, 10);
    rp_sim_fmt(out, 18, "0e:%c%c:%c%c:%c%c:%c%c:%c%c", h[0], h[1], h[2], h[3], h[4], h[5], h[6],
               h[7], h[8], h[9]);
}

static uint32_t new_eni(struct build *b, struct acct_ctx *c, uint32_t subnet,
                        enum rp_sim_eni_use use, uint32_t owner, const char *desc, const char *type)
{
    uint32_t idx = 0;
    struct rp_sim_eni *e = rp_sim_world_add(b->w, RP_SIM_K_ENI, &idx);
    if (!e) return RP_SIM_NONE;
    const struct rp_sim_subnet *s = &b->w->subnets[subnet];
    res_init(&e->res, c->acct, s->res.region, s->res.created_ms);
    rp_sim_id_ec2(&c->r, "eni", e->res.id, sizeof(e->res.id));
    rp_sim_fmt(e->res.arn, sizeof(e->res.arn), "arn:aws:ec2:%s:%s:network-interface/%s",
               region_of(b, s->res.region), acct_id(b, c->acct), e->res.id);
    e->vpc = s->vpc;
    e->subnet = subnet;
    e->use = use;
    e->owner = owner;
    alloc_ip(b, subnet, e->private_ip, sizeof(e->private_ip));
    mac_addr(&c->r, e->mac);
    if (desc) CPY(e->description, desc);
    CPY(e->interface_type, type ? type : "interface");
    e->requester_managed = use == RP_SIM_ENI_NATGW || use == RP_SIM_ENI_RDS ||
                           use == RP_SIM_ENI_LAMBDA || use == RP_SIM_ENI_EKS;
    return idx;
}

static uint32_t new_natgw(struct build *b, struct acct_ctx *c, uint32_t subnet)
{
    uint32_t idx = 0;
    struct rp_sim_natgw *n = rp_sim_world_add(b->w, RP_SIM_K_NATGW, &idx);
    if (!n) return RP_SIM_NONE;
    const struct rp_sim_subnet *s = &b->w->subnets[subnet];
    res_init(&n->res, c->acct, s->res.region, s->res.created_ms + DAY);
    rp_sim_id_ec2(&c->r, "nat", n->res.id, sizeof(n->res.id));
    rp_sim_fmt(n->res.arn, sizeof(n->res.arn), "arn:aws:ec2:%s:%s:natgateway/%s",
               region_of(b, s->res.region), acct_id(b, c->acct), n->res.id);
    n->vpc = s->vpc;
    n->subnet = subnet;
    rp_sim_ip_aws_public(&c->r, n->public_ip);
    rp_sim_id_ec2(&c->r, "eipalloc", n->allocation_id, sizeof(n->allocation_id));
    char desc[96];
    rp_sim_fmt(desc, sizeof(desc), "Interface for NAT Gateway %s", n->res.id);
    uint32_t eni = new_eni(b, c, subnet, RP_SIM_ENI_NATGW, idx, desc, "nat_gateway");
    if (eni == RP_SIM_NONE) return RP_SIM_NONE;
    n = &b->w->natgws[idx];
    n->eni = eni;
    CPY(n->private_ip, b->w->enis[eni].private_ip);
    CPY(b->w->enis[eni].public_ip, n->public_ip);
    return idx;
}

static rp_err build_main_vpc(struct build *b, struct acct_ctx *c)
{
    struct rp_sim_world *w = b->w;
    char cidr[RP_SIM_CIDR_SZ], name[64];
    uint32_t o = pick_octet(b, &c->r);
    rp_sim_fmt(cidr, sizeof(cidr), "10.%u.0.0/16", o);
    rp_sim_fmt(name, sizeof(name), "%s-main", c->label);
    c->vpc_main = new_vpc(b, c, 0, cidr, false, name);
    if (c->vpc_main == RP_SIM_NONE) return OOM(b);
    struct rp_sim_vpc *v = &w->vpcs[c->vpc_main];
    v->flow_format = RP_SIM_FLOW_V2;
    rp_sim_id_ec2(&c->r, "fl", v->flow_log_id, sizeof(v->flow_log_id));
    v->dns_query_logging = true;
    rp_sim_id_ec2(&c->r, "rqlc", v->resolver_cfg_id, sizeof(v->resolver_cfg_id));
    if (new_igw(b, c, c->vpc_main) == RP_SIM_NONE) return OOM(b);

    for (unsigned i = 0; i < 2; i++) {
        rp_sim_fmt(cidr, sizeof(cidr), "10.%u.%u.0/20", o, 16 * i);
        rp_sim_fmt(name, sizeof(name), "%s-public-%c", c->label, 'a' + i);
        c->sub_pub[i] = new_subnet(b, c, c->vpc_main, i, cidr, true, name);
        rp_sim_fmt(cidr, sizeof(cidr), "10.%u.%u.0/20", o, 128 + 16 * i);
        rp_sim_fmt(name, sizeof(name), "%s-private-%c", c->label, 'a' + i);
        c->sub_priv[i] = new_subnet(b, c, c->vpc_main, i, cidr, false, name);
        if (c->sub_pub[i] == RP_SIM_NONE || c->sub_priv[i] == RP_SIM_NONE) return OOM(b);
    }
    /* route tables: private is the main table (NAT), public routes to the IGW */
    rp_sim_fmt(name, sizeof(name), "%s-private", c->label);
    c->rtb_private = new_rtb(b, c, c->vpc_main, true, name);
    rp_sim_fmt(name, sizeof(name), "%s-public", c->label);
    c->rtb_public = new_rtb(b, c, c->vpc_main, false, name);
    if (c->rtb_public == RP_SIM_NONE) return OOM(b);
    rtb_route(b, c->rtb_public, "0.0.0.0/0", RP_SIM_RT_IGW, w->vpcs[c->vpc_main].igw, false);
    c->nat = new_natgw(b, c, c->sub_pub[0]);
    if (c->nat == RP_SIM_NONE) return OOM(b);
    rtb_route(b, c->rtb_private, "0.0.0.0/0", RP_SIM_RT_NAT, c->nat, false);
    /* NACLs: default (allow all) for private subnets, a restrictive one for public subnets */
    uint32_t dn = new_nacl(b, c, c->vpc_main, true);
    uint32_t pn = new_nacl(b, c, c->vpc_main, false);
    if (pn == RP_SIM_NONE) return OOM(b);
    default_nacl_entries(b, dn);
    add_tag(&w->nacls[pn].res, "Name", "public-edge");
    nacl_entry(b, pn, 100, 6, false, true, "0.0.0.0/0", 443, 443);
    nacl_entry(b, pn, 110, 6, false, true, "0.0.0.0/0", 80, 80);
    nacl_entry(b, pn, 120, 6, false, true, "0.0.0.0/0", 1024, 65535);
    nacl_entry(b, pn, 130, 6, false, true, "0.0.0.0/0", 22, 22);
    nacl_entry(b, pn, 140, -1, false, true, w->vpcs[c->vpc_main].cidr, 0, 0);
    nacl_entry(b, pn, 32767, -1, false, false, "0.0.0.0/0", 0, 0);
    nacl_entry(b, pn, 100, -1, true, true, "0.0.0.0/0", 0, 0);
    nacl_entry(b, pn, 32767, -1, true, false, "0.0.0.0/0", 0, 0);
    for (unsigned i = 0; i < 2; i++) {
        w->subnets[c->sub_pub[i]].route_table = c->rtb_public;
        w->subnets[c->sub_pub[i]].nacl = pn;
        w->subnets[c->sub_priv[i]].route_table = c->rtb_private;
        w->subnets[c->sub_priv[i]].nacl = dn;
    }

    /* security groups */
    c->sg_default = new_sg(b, c, c->vpc_main, "default", "default VPC security group");
    sg_in(b, c->sg_default, -1, 0, 0, NULL, c->sg_default, NULL);
    c->sg_alb = new_sg(b, c, c->vpc_main, "alb-public", "Public load balancer");
    sg_in(b, c->sg_alb, 6, 443, 443, "0.0.0.0/0", RP_SIM_NONE, "HTTPS from anywhere");
    sg_in(b, c->sg_alb, 6, 80, 80, "0.0.0.0/0", RP_SIM_NONE, "HTTP redirect");
    c->sg_bastion = new_sg(b, c, c->vpc_main, "bastion", "SSH bastion");
    for (uint32_t i = 0; i < b->noffices; i++) {
        char oc[RP_SIM_CIDR_SZ];
        rp_sim_fmt(oc, sizeof(oc), "%s/32", b->office_ip[b->offices_used[i]]);
        sg_in(b, c->sg_bastion, 6, 22, 22, oc, RP_SIM_NONE, offices[b->offices_used[i]].city);
    }
    c->sg_web = new_sg(b, c, c->vpc_main, "web", "Web tier");
    sg_in(b, c->sg_web, 6, 80, 80, NULL, c->sg_alb, "from ALB");
    sg_in(b, c->sg_web, 6, 22, 22, NULL, c->sg_bastion, "SSH from bastion");
    c->sg_app = new_sg(b, c, c->vpc_main, "app", "Application tier");
    sg_in(b, c->sg_app, 6, 8080, 8080, NULL, c->sg_web, "from web tier");
    sg_in(b, c->sg_app, 6, 22, 22, NULL, c->sg_bastion, "SSH from bastion");
    c->sg_db = new_sg(b, c, c->vpc_main, "database", "Databases");
    sg_in(b, c->sg_db, 6, 5432, 5432, NULL, c->sg_app, "PostgreSQL from app");
    sg_in(b, c->sg_db, 6, 3306, 3306, NULL, c->sg_app, "MySQL from app");
    sg_in(b, c->sg_db, 6, 22, 22, NULL, c->sg_bastion, "SSH from bastion");
    c->sg_lambda = new_sg(b, c, c->vpc_main, "lambda", "Lambda functions in the VPC");
    c->sg_ci = new_sg(b, c, c->vpc_main, "ci-runner", "CI runners");
    sg_in(b, c->sg_ci, 6, 22, 22, NULL, c->sg_bastion, "SSH from bastion");
    c->sg_eks_cluster = RP_SIM_NONE;
    c->sg_eks_node = RP_SIM_NONE;
    if (c->role_eks_cluster != RP_SIM_NONE || c->acct == 0 || b->scale_x > 1) {
        c->sg_eks_cluster = new_sg(b, c, c->vpc_main, "eks-cluster", "EKS control plane");
        c->sg_eks_node = new_sg(b, c, c->vpc_main, "eks-nodes", "EKS worker nodes");
        sg_in(b, c->sg_eks_cluster, 6, 443, 443, NULL, c->sg_eks_node, "nodes to API server");
        sg_in(b, c->sg_eks_node, -1, 0, 0, NULL, c->sg_eks_node, "node to node");
        sg_in(b, c->sg_eks_node, 6, 1025, 65535, NULL, c->sg_eks_cluster, "control plane");
        sg_in(b, c->sg_eks_node, 6, 30080, 30080, NULL, c->sg_alb, "NodePort from ALB");
    }
    if (c->sg_ci == RP_SIM_NONE) return OOM(b);
    return RP_OK;
}

static rp_err build_default_vpc(struct build *b, struct acct_ctx *c)
{
    struct rp_sim_world *w = b->w;
    c->vpc_default = new_vpc(b, c, 0, "172.31.0.0/16", true, NULL);
    if (c->vpc_default == RP_SIM_NONE) return OOM(b);
    w->vpcs[c->vpc_default].res.created_ms -= 200 * DAY; /* made with the account */
    if (new_igw(b, c, c->vpc_default) == RP_SIM_NONE) return OOM(b);
    uint32_t rtb = new_rtb(b, c, c->vpc_default, true, NULL);
    uint32_t nacl = new_nacl(b, c, c->vpc_default, true);
    uint32_t sg = new_sg(b, c, c->vpc_default, "default", "default VPC security group");
    if (rtb == RP_SIM_NONE || nacl == RP_SIM_NONE || sg == RP_SIM_NONE) return OOM(b);
    sg_in(b, sg, -1, 0, 0, NULL, sg, NULL);
    rtb_route(b, rtb, "0.0.0.0/0", RP_SIM_RT_IGW, w->vpcs[c->vpc_default].igw, false);
    default_nacl_entries(b, nacl);
    static const char *const cidrs[] = {"172.31.0.0/20", "172.31.16.0/20"};
    for (unsigned i = 0; i < 2; i++) {
        uint32_t s = new_subnet(b, c, c->vpc_default, i, cidrs[i], true, NULL);
        if (s == RP_SIM_NONE) return OOM(b);
        w->subnets[s].map_public_ip = true;
        w->subnets[s].route_table = rtb;
        w->subnets[s].nacl = nacl;
    }
    return RP_OK;
}

static rp_err build_dr_vpc(struct build *b, struct acct_ctx *c)
{
    struct rp_sim_world *w = b->w;
    c->vpc_dr = RP_SIM_NONE;
    if (w->nregions < 2 || (c->acct != 0 && b->scale_x == 1)) return RP_OK;
    char cidr[RP_SIM_CIDR_SZ], name[64];
    uint32_t o = pick_octet(b, &c->r);
    rp_sim_fmt(cidr, sizeof(cidr), "10.%u.0.0/16", o);
    rp_sim_fmt(name, sizeof(name), "%s-dr", c->label);
    c->vpc_dr = new_vpc(b, c, 1, cidr, false, name);
    if (c->vpc_dr == RP_SIM_NONE) return OOM(b);
    struct rp_sim_vpc *v = &w->vpcs[c->vpc_dr];
    v->flow_format = RP_SIM_FLOW_V2;
    rp_sim_id_ec2(&c->r, "fl", v->flow_log_id, sizeof(v->flow_log_id));
    v->dns_query_logging = true;
    rp_sim_id_ec2(&c->r, "rqlc", v->resolver_cfg_id, sizeof(v->resolver_cfg_id));
    uint32_t rtb = new_rtb(b, c, c->vpc_dr, true, name);
    uint32_t nacl = new_nacl(b, c, c->vpc_dr, true);
    uint32_t sg = new_sg(b, c, c->vpc_dr, "default", "default VPC security group");
    if (rtb == RP_SIM_NONE || nacl == RP_SIM_NONE || sg == RP_SIM_NONE) return OOM(b);
    sg_in(b, sg, -1, 0, 0, NULL, sg, NULL);
    default_nacl_entries(b, nacl);
    for (unsigned i = 0; i < 2; i++) {
        rp_sim_fmt(cidr, sizeof(cidr), "10.%u.%u.0/20", o, 128 + 16 * i);
        rp_sim_fmt(name, sizeof(name), "%s-dr-private-%c", c->label, 'a' + i);
        c->sub_dr[i] = new_subnet(b, c, c->vpc_dr, i, cidr, false, name);
        if (c->sub_dr[i] == RP_SIM_NONE) return OOM(b);
        w->subnets[c->sub_dr[i]].route_table = rtb;
        w->subnets[c->sub_dr[i]].nacl = nacl;
    }
    return RP_OK;
}

/* ---- compute ----------------------------------------------------------------------------- */

static const struct {
    enum rp_sim_os os;
    const char *release, *codename;
} os_by_workload[] = {
    [RP_SIM_WL_WEB] = {RP_SIM_OS_UBUNTU, "22.04", "jammy"},
    [RP_SIM_WL_APP] = {RP_SIM_OS_DEBIAN, "12", "bookworm"},
    [RP_SIM_WL_DB] = {RP_SIM_OS_UBUNTU, "20.04", "focal"},
    [RP_SIM_WL_BASTION] = {RP_SIM_OS_AMAZON, "2023", ""},
    [RP_SIM_WL_K8S_NODE] = {RP_SIM_OS_AMAZON, "2023", ""},
    [RP_SIM_WL_CI_RUNNER] = {RP_SIM_OS_ALPINE, "3.19", ""},
};

static const char *const wl_names[] = {"web", "app", "db", "bastion", "k8s-node", "ci-runner"};

static uint32_t new_volume(struct build *b, struct acct_ctx *c, uint32_t inst, const char *device,
                           uint32_t size)
{
    uint32_t idx = 0;
    struct rp_sim_volume *v = rp_sim_world_add(b->w, RP_SIM_K_VOLUME, &idx);
    if (!v) return RP_SIM_NONE;
    const struct rp_sim_instance *in = &b->w->instances[inst];
    res_init(&v->res, c->acct, in->res.region, in->res.created_ms);
    rp_sim_id_ec2(&c->r, "vol", v->res.id, sizeof(v->res.id));
    rp_sim_fmt(v->res.arn, sizeof(v->res.arn), "arn:aws:ec2:%s:%s:volume/%s",
               region_of(b, in->res.region), acct_id(b, c->acct), v->res.id);
    v->instance = inst;
    CPY(v->az, in->az);
    CPY(v->device, device);
    v->size_gb = size;
    CPY(v->type, "gp3");
    v->encrypted = c->prod || rp_sim_rng_chance(&c->r, 400);
    v->kms = v->encrypted && c->prod ? c->kms_ebs : RP_SIM_NONE;
    if (strcmp(device, "/dev/xvda") == 0 || strcmp(device, "/dev/sda1") == 0)
        rp_sim_id_ec2(&c->r, "snap", v->snapshot_id, sizeof(v->snapshot_id));
    return idx;
}

static void private_dns(const struct build *b, uint32_t region, const char *ip, char *out,
                        size_t sz)
{
    char dashed[RP_SIM_IP_SZ];
    CPY(dashed, ip);
    for (char *p = dashed; *p; p++)
        if (*p == '.') *p = '-';
    if (strcmp(region_of(b, region), "us-east-1") == 0)
        rp_sim_fmt(out, sz, "ip-%s.ec2.internal", dashed);
    else
        rp_sim_fmt(out, sz, "ip-%s.%s.compute.internal", dashed, region_of(b, region));
}

static void public_dns(const struct build *b, uint32_t region, const char *ip, char *out, size_t sz)
{
    char dashed[RP_SIM_IP_SZ];
    CPY(dashed, ip);
    for (char *p = dashed; *p; p++)
        if (*p == '.') *p = '-';
    if (strcmp(region_of(b, region), "us-east-1") == 0)
        rp_sim_fmt(out, sz, "ec2-%s.compute-1.amazonaws.com", dashed);
    else
        rp_sim_fmt(out, sz, "ec2-%s.%s.compute.amazonaws.com", dashed, region_of(b, region));
}

static uint32_t new_instance(struct build *b, struct acct_ctx *c, uint32_t subnet,
                             enum rp_sim_workload wl, uint32_t role, const uint32_t *sgs,
                             uint32_t nsgs, bool public_ip, const char *name)
{
    struct rp_sim_world *w = b->w;
    uint32_t idx = 0;
    struct rp_sim_instance *in = rp_sim_world_add(w, RP_SIM_K_INSTANCE, &idx);
    if (!in) return RP_SIM_NONE;
    const struct rp_sim_subnet *s = &w->subnets[subnet];
    uint32_t region = s->res.region;
    res_init(&in->res, c->acct, region, created_before(&c->r, w, 3, 400));
    rp_sim_id_ec2(&c->r, "i", in->res.id, sizeof(in->res.id));
    rp_sim_fmt(in->res.arn, sizeof(in->res.arn), "arn:aws:ec2:%s:%s:instance/%s",
               region_of(b, region), acct_id(b, c->acct), in->res.id);
    in->vpc = s->vpc;
    in->subnet = subnet;
    CPY(in->az, s->az);
    static const char *const types[] = {"t3.medium", "t3.large", "m5.large",  "m6i.large",
                                        "c6i.large", "t3.small", "r6i.large", "m6i.xlarge"};
    static const uint8_t type_by_wl[][2] = {{0, 4}, {2, 3}, {6, 7}, {5, 5}, {3, 7}, {4, 2}};
    CPY(in->type, types[type_by_wl[wl][rp_sim_rng_below(&c->r, 2)]]);
    in->os = os_by_workload[wl].os;
    CPY(in->os_release, os_by_workload[wl].release);
    CPY(in->os_codename, os_by_workload[wl].codename);
    if (wl == RP_SIM_WL_APP && rp_sim_rng_chance(&c->r, 300)) { /* some app hosts run Alpine */
        in->os = RP_SIM_OS_ALPINE;
        CPY(in->os_release, "3.18");
        in->os_codename[0] = '\0';
    }
    CPY(in->ami, b->ami[in->os][region]);
    rp_sim_fmt(in->key_name, sizeof(in->key_name), "%s-%s", c->label,
               wl == RP_SIM_WL_BASTION ? "bastion" : "ops");
    CPY(in->state, "running");
    for (uint32_t i = 0; i < nsgs && i < RP_SIM_MAX_SGS; i++)
        if (sgs[i] != RP_SIM_NONE) in->sgs[in->nsgs++] = sgs[i];
    in->profile_role = role;
    in->workload = wl;
    static const uint16_t ports[][3] = {{80, 443, 22}, {8080, 22, 0},      {5432, 22, 0},
                                        {22, 0, 0},    {10250, 30080, 22}, {22, 0, 0}};
    for (int i = 0; i < 3; i++)
        if (ports[wl][i]) in->listen_ports[in->nports++] = ports[wl][i];
    in->asg = RP_SIM_NONE;
    in->eks = RP_SIM_NONE;
    in->imdsv2_required = c->prod || rp_sim_rng_chance(&c->r, 500);
    in->monitoring = c->prod;
    add_tag(&in->res, "Name", name);
    add_tag(&in->res, "env", c->label);
    add_tag(&in->res, "role", wl_names[wl]);

    char desc[96] = "";
    uint32_t eni = new_eni(b, c, subnet, RP_SIM_ENI_INSTANCE, idx, desc, "interface");
    if (eni == RP_SIM_NONE) return RP_SIM_NONE;
    in = &w->instances[idx];
    in->eni = eni;
    struct rp_sim_eni *e = &w->enis[eni];
    e->res.created_ms = in->res.created_ms;
    for (uint32_t i = 0; i < in->nsgs; i++) e->sgs[e->nsgs++] = in->sgs[i];
    CPY(in->private_ip, e->private_ip);
    private_dns(b, region, in->private_ip, in->private_dns, sizeof(in->private_dns));
    if (public_ip) {
        rp_sim_ip_aws_public(&c->r, in->public_ip);
        CPY(e->public_ip, in->public_ip);
        public_dns(b, region, in->public_ip, in->public_dns, sizeof(in->public_dns));
    }
    const char *root =
        in->os == RP_SIM_OS_UBUNTU || in->os == RP_SIM_OS_DEBIAN ? "/dev/sda1" : "/dev/xvda";
    uint32_t v = new_volume(b, c, idx, root, wl == RP_SIM_WL_K8S_NODE ? 50 : 20);
    if (v == RP_SIM_NONE) return RP_SIM_NONE;
    in = &w->instances[idx];
    in->volumes[in->nvolumes++] = v;
    if (wl == RP_SIM_WL_DB) {
        v = new_volume(b, c, idx, "/dev/sdf", 200);
        if (v == RP_SIM_NONE) return RP_SIM_NONE;
        in = &w->instances[idx];
        in->volumes[in->nvolumes++] = v;
    }
    return idx;
}

static uint32_t new_snapshot(struct build *b, struct acct_ctx *c, uint32_t vol, const char *desc)
{
    uint32_t idx = 0;
    struct rp_sim_snapshot *s = rp_sim_world_add(b->w, RP_SIM_K_SNAPSHOT, &idx);
    if (!s) return RP_SIM_NONE;
    const struct rp_sim_volume *v = &b->w->volumes[vol];
    res_init(&s->res, c->acct, v->res.region, created_before(&c->r, b->w, 1, 30));
    rp_sim_id_ec2(&c->r, "snap", s->res.id, sizeof(s->res.id));
    rp_sim_fmt(s->res.arn, sizeof(s->res.arn), "arn:aws:ec2:%s::snapshot/%s",
               region_of(b, v->res.region), s->res.id);
    s->volume = vol;
    s->size_gb = v->size_gb;
    s->encrypted = v->encrypted;
    s->kms = v->kms;
    CPY(s->description, desc);
    return idx;
}

static rp_err build_compute(struct build *b, struct acct_ctx *c)
{
    struct rp_sim_world *w = b->w;
    char name[64];
    uint32_t x = b->scale_x;
    uint32_t web[RP_SIM_MAX_MEMBERS], nweb = 0;
    uint32_t nw = (c->acct == 0 ? 3 : 2) * x;
    if (nw > RP_SIM_MAX_MEMBERS) nw = RP_SIM_MAX_MEMBERS;
    for (uint32_t i = 0; i < nw; i++) {
        uint32_t sgs[] = {c->sg_web};
        rp_sim_fmt(name, sizeof(name), "%s-web-%u", c->label, i + 1);
        uint32_t in =
            new_instance(b, c, c->sub_priv[i % 2], RP_SIM_WL_WEB, c->role_web, sgs, 1, false, name);
        if (in == RP_SIM_NONE) return OOM(b);
        web[nweb++] = in;
    }
    uint32_t napp = (c->acct == 0 ? 3 : 2) * x;
    for (uint32_t i = 0; i < napp; i++) {
        uint32_t sgs[] = {c->sg_app};
        rp_sim_fmt(name, sizeof(name), "%s-app-%u", c->label, i + 1);
        if (new_instance(b, c, c->sub_priv[i % 2], RP_SIM_WL_APP, c->role_app, sgs, 1, false,
                         name) == RP_SIM_NONE)
            return OOM(b);
    }
    uint32_t ndb = x;
    uint32_t db_first = RP_SIM_NONE;
    for (uint32_t i = 0; i < ndb; i++) {
        uint32_t sgs[] = {c->sg_db};
        rp_sim_fmt(name, sizeof(name), "%s-db-%u", c->label, i + 1);
        uint32_t in =
            new_instance(b, c, c->sub_priv[i % 2], RP_SIM_WL_DB, c->role_app, sgs, 1, false, name);
        if (in == RP_SIM_NONE) return OOM(b);
        if (db_first == RP_SIM_NONE) db_first = in;
    }
    {
        uint32_t sgs[] = {c->sg_bastion};
        rp_sim_fmt(name, sizeof(name), "%s-bastion", c->label);
        if (new_instance(b, c, c->sub_pub[0], RP_SIM_WL_BASTION, RP_SIM_NONE, sgs, 1, true, name) ==
            RP_SIM_NONE)
            return OOM(b);
    }
    if (c->acct == 0) {
        uint32_t sgs[] = {c->sg_ci};
        for (uint32_t i = 0; i < x; i++) {
            rp_sim_fmt(name, sizeof(name), "ci-runner-%u", i + 1);
            if (new_instance(b, c, c->sub_priv[1], RP_SIM_WL_CI_RUNNER, c->role_ci_runner, sgs, 1,
                             false, name) == RP_SIM_NONE)
                return OOM(b);
        }
    }
    if (c->vpc_dr != RP_SIM_NONE) {
        uint32_t sg = rp_sim_world_find(w, RP_SIM_K_SG, "default");
        for (uint32_t i = 0; i < w->nsgs; i++)
            if (w->sgs[i].vpc == c->vpc_dr) sg = i;
        uint32_t sgs[] = {sg};
        rp_sim_fmt(name, sizeof(name), "%s-dr-app-1", c->label);
        if (new_instance(b, c, c->sub_dr[0], RP_SIM_WL_APP, c->role_app, sgs, 1, false, name) ==
            RP_SIM_NONE)
            return OOM(b);
    }

    /* snapshots of the first database volume */
    if (db_first != RP_SIM_NONE) {
        const struct rp_sim_instance *in = &w->instances[db_first];
        uint32_t vol = in->volumes[in->nvolumes - 1];
        for (unsigned i = 0; i < 2; i++) {
            rp_sim_fmt(name, sizeof(name), "nightly backup of %s",
                       rp_sim_res_tag(&in->res, "Name"));
            if (new_snapshot(b, c, vol, name) == RP_SIM_NONE) return OOM(b);
            in = &w->instances[db_first];
        }
    }

    /* load balancer + ASG for the web tier */
    uint32_t lbi = 0;
    struct rp_sim_lb *lb = rp_sim_world_add(w, RP_SIM_K_LB, &lbi);
    if (!lb) return OOM(b);
    res_init(&lb->res, c->acct, 0, created_before(&c->r, w, 30, 600));
    rp_sim_fmt(lb->res.name, sizeof(lb->res.name), "%s-web", c->label);
    char h16[17];
    rp_sim_rng_hex(&c->r, h16, 16);
    rp_sim_fmt(lb->res.arn, sizeof(lb->res.arn),
               "arn:aws:elasticloadbalancing:%s:%s:loadbalancer/app/%s/%s", region_of(b, 0),
               acct_id(b, c->acct), lb->res.name, h16);
    CPY(lb->res.id, lb->res.arn);
    lb->application = true;
    lb->internet_facing = true;
    lb->vpc = c->vpc_main;
    lb->subnets[0] = c->sub_pub[0];
    lb->subnets[1] = c->sub_pub[1];
    lb->nsubnets = 2;
    lb->sgs[0] = c->sg_alb;
    lb->nsgs = 1;
    char digits[11];
    rp_sim_rng_chars(&c->r, digits, 10, "0123456789");
    rp_sim_fmt(lb->dns, sizeof(lb->dns), "%s-%s.%s.elb.amazonaws.com", lb->res.name, digits,
               region_of(b, 0));
    CPY(lb->zone_id,
        strcmp(region_of(b, 0), "us-east-1") == 0 ? "Z35SXDOTRQ7X7K" : "Z1H1FL5HABSF5");
    lb->listeners[0].port = 443;
    CPY(lb->listeners[0].protocol, "HTTPS");
    lb->listeners[1].port = 80;
    CPY(lb->listeners[1].protocol, "HTTP");
    lb->nlisteners = 2;
    rp_sim_rng_hex(&c->r, h16, 16);
    rp_sim_fmt(lb->tg_arn, sizeof(lb->tg_arn),
               "arn:aws:elasticloadbalancing:%s:%s:targetgroup/%s-web-tg/%s", region_of(b, 0),
               acct_id(b, c->acct), c->label, h16);
    lb->target_port = 80;
    for (uint32_t i = 0; i < nweb; i++) lb->targets[lb->ntargets++] = web[i];
    lb->access_logs = c->prod;
    lb->drop_invalid_headers = c->prod;
    for (unsigned i = 0; i < 2; i++) {
        char desc[96];
        rp_sim_fmt(desc, sizeof(desc), "ELB app/%s/%s", w->lbs[lbi].res.name, h16);
        uint32_t e = new_eni(b, c, c->sub_pub[i], RP_SIM_ENI_LB, lbi, desc, "interface");
        if (e == RP_SIM_NONE) return OOM(b);
        w->enis[e].sgs[w->enis[e].nsgs++] = c->sg_alb;
        rp_sim_ip_aws_public(&c->r, w->enis[e].public_ip);
        w->lbs[lbi].enis[w->lbs[lbi].nenis++] = e;
    }

    uint32_t asgi = 0;
    struct rp_sim_asg *asg = rp_sim_world_add(w, RP_SIM_K_ASG, &asgi);
    if (!asg) return OOM(b);
    res_init(&asg->res, c->acct, 0, w->lbs[lbi].res.created_ms);
    rp_sim_fmt(asg->res.name, sizeof(asg->res.name), "%s-web-asg", c->label);
    char uuid[RP_SIM_UUID_SZ];
    rp_sim_rng_uuid(&c->r, uuid);
    rp_sim_fmt(asg->res.arn, sizeof(asg->res.arn),
               "arn:aws:autoscaling:%s:%s:autoScalingGroup:%s:autoScalingGroupName/%s",
               region_of(b, 0), acct_id(b, c->acct), uuid, asg->res.name);
    CPY(asg->res.id, asg->res.arn);
    rp_sim_id_ec2(&c->r, "lt", asg->launch_template_id, sizeof(asg->launch_template_id));
    rp_sim_fmt(asg->launch_template_name, sizeof(asg->launch_template_name), "%s-web", c->label);
    asg->subnets[0] = c->sub_priv[0];
    asg->subnets[1] = c->sub_priv[1];
    asg->nsubnets = 2;
    for (uint32_t i = 0; i < nweb; i++) {
        asg->instances[asg->ninstances++] = web[i];
        w->instances[web[i]].asg = asgi;
    }
    asg->min = nweb > 1 ? nweb - 1 : 1;
    asg->max = nweb * 2;
    asg->desired = nweb;
    asg->lb = lbi;
    return RP_OK;
}

/* ---- EKS --------------------------------------------------------------------------------------
 */

static rp_err build_eks(struct build *b, struct acct_ctx *c)
{
    struct rp_sim_world *w = b->w;
    c->eks = RP_SIM_NONE;
    if (c->role_eks_cluster == RP_SIM_NONE || c->sg_eks_node == RP_SIM_NONE) return RP_OK;
    uint32_t idx = 0;
    struct rp_sim_eks *k = rp_sim_world_add(w, RP_SIM_K_EKS, &idx);
    if (!k) return OOM(b);
    res_init(&k->res, c->acct, 0, created_before(&c->r, w, 40, 500));
    rp_sim_fmt(k->res.id, sizeof(k->res.id), "%s-platform", c->label);
    CPY(k->res.name, k->res.id);
    rp_sim_fmt(k->res.arn, sizeof(k->res.arn), "arn:aws:eks:%s:%s:cluster/%s", region_of(b, 0),
               acct_id(b, c->acct), k->res.id);
    CPY(k->version, "1.29");
    CPY(k->platform_version, "eks.6");
    k->role = c->role_eks_cluster;
    k->node_role = c->role_eks_node;
    k->vpc = c->vpc_main;
    k->subnets[0] = c->sub_priv[0];
    k->subnets[1] = c->sub_priv[1];
    k->nsubnets = 2;
    k->sg = c->sg_eks_cluster;
    char h32[33], h2[3];
    rp_sim_rng_chars(&c->r, h32, 32, "0123456789ABCDEF");
    rp_sim_rng_chars(&c->r, h2, 2, "abcdefghijklmnopqrstuvwxyz0123456789");
    rp_sim_fmt(k->endpoint, sizeof(k->endpoint), "https://%s.%s.%s.eks.amazonaws.com", h32, h2,
               region_of(b, 0));
    rp_sim_fmt(k->oidc_issuer, sizeof(k->oidc_issuer), "https://oidc.eks.%s.amazonaws.com/id/%s",
               region_of(b, 0), h32);
    k->public_endpoint = true;
    k->private_endpoint = true;
    if (c->prod) {
        for (uint32_t i = 0; i < b->noffices && i < 2; i++)
            rp_sim_fmt(k->public_cidrs[k->npublic_cidrs++], RP_SIM_CIDR_SZ, "%s/32",
                       b->office_ip[b->offices_used[i]]);
    } else {
        CPY(k->public_cidrs[0], "0.0.0.0/0");
        k->npublic_cidrs = 1;
    }
    k->audit_logging = true;
    k->secrets_encryption = c->prod;
    k->kms = c->prod ? c->kms_data : RP_SIM_NONE;
    CPY(k->service_cidr, "172.20.0.0/16");
    k->asg = RP_SIM_NONE;
    w->vpcs[c->vpc_main].eks_pods = true;
    uint32_t nn = 2 + b->scale_x;
    if (nn > RP_SIM_MAX_MEMBERS) nn = RP_SIM_MAX_MEMBERS;
    for (uint32_t i = 0; i < nn; i++) {
        char name[64];
        rp_sim_fmt(name, sizeof(name), "%s-platform-node-%u", c->label, i + 1);
        uint32_t sgs[] = {c->sg_eks_node};
        uint32_t in = new_instance(b, c, c->sub_priv[i % 2], RP_SIM_WL_K8S_NODE, c->role_eks_node,
                                   sgs, 1, false, name);
        if (in == RP_SIM_NONE) return OOM(b);
        w->instances[in].eks = idx;
        w->eks[idx].nodes[w->eks[idx].nnodes++] = in;
    }
    for (unsigned i = 0; i < 2; i++) {
        char desc[96];
        rp_sim_fmt(desc, sizeof(desc), "Amazon EKS %s", w->eks[idx].res.name);
        uint32_t e = new_eni(b, c, c->sub_priv[i], RP_SIM_ENI_EKS, idx, desc, "interface");
        if (e == RP_SIM_NONE) return OOM(b);
        w->enis[e].sgs[w->enis[e].nsgs++] = c->sg_eks_cluster;
    }
    return RP_OK;
}

/* ---- data stores, serverless, edge ------------------------------------------------------------
 */

static uint32_t new_db(struct build *b, struct acct_ctx *c, const char *ident, const char *engine,
                       const char *version, const char *cls, uint16_t port, uint32_t cluster,
                       unsigned az)
{
    struct rp_sim_world *w = b->w;
    uint32_t idx = 0;
    struct rp_sim_db_instance *d = rp_sim_world_add(w, RP_SIM_K_DB_INSTANCE, &idx);
    if (!d) return RP_SIM_NONE;
    res_init(&d->res, c->acct, 0, created_before(&c->r, w, 30, 700));
    char rid[27];
    rp_sim_rng_chars(&c->r, rid, 26, RP_SIM_ALPHA_UPPER);
    rp_sim_fmt(d->res.id, sizeof(d->res.id), "db-%s", rid);
    CPY(d->res.name, ident);
    rp_sim_fmt(d->res.arn, sizeof(d->res.arn), "arn:aws:rds:%s:%s:db:%s", region_of(b, 0),
               acct_id(b, c->acct), ident);
    CPY(d->engine, engine);
    CPY(d->engine_version, version);
    CPY(d->instance_class, cls);
    d->encrypted = true;
    d->kms = c->kms_data;
    d->backup_days = c->prod ? 7 : 1;
    d->publicly_accessible = false;
    d->multi_az = c->prod && cluster == RP_SIM_NONE;
    d->vpc = c->vpc_main;
    d->subnets[0] = c->sub_priv[0];
    d->subnets[1] = c->sub_priv[1];
    d->nsubnets = 2;
    rp_sim_fmt(d->subnet_group, sizeof(d->subnet_group), "%s-db-subnets", c->label);
    d->sgs[0] = c->sg_db;
    d->nsgs = 1;
    char h12[13];
    rp_sim_rng_chars(&c->r, h12, 12, RP_SIM_ALPHA_LOWER);
    rp_sim_fmt(d->endpoint, sizeof(d->endpoint), "%s.%s.%s.rds.amazonaws.com", ident, h12,
               region_of(b, 0));
    d->port = port;
    d->cluster = cluster;
    d->deletion_protection = c->prod;
    d->iam_auth = false;
    d->auto_minor_upgrade = true;
    d->storage_gb = cluster == RP_SIM_NONE ? 100 : 1;
    CPY(d->master_user, cluster == RP_SIM_NONE ? "dbadmin" : "admin");
    az_name(b, 0, az, d->az, sizeof(d->az));
    char desc[96];
    rp_sim_fmt(desc, sizeof(desc), "RDSNetworkInterface");
    uint32_t e = new_eni(b, c, c->sub_priv[az % 2], RP_SIM_ENI_RDS, idx, desc, "interface");
    if (e == RP_SIM_NONE) return RP_SIM_NONE;
    w->enis[e].sgs[w->enis[e].nsgs++] = c->sg_db;
    w->db_instances[idx].eni = e;
    return idx;
}

static rp_err build_data(struct build *b, struct acct_ctx *c)
{
    struct rp_sim_world *w = b->w;
    char ident[64];
    rp_sim_fmt(ident, sizeof(ident), "%s-orders", c->label);
    if (new_db(b, c, ident, c->prod ? "postgres" : "mysql", c->prod ? "15.5" : "8.0.35",
               "db.t3.medium", c->prod ? 5432 : 3306, RP_SIM_NONE, 0) == RP_SIM_NONE)
        return OOM(b);
    if (c->acct == 0 || b->scale_x > 1) {
        uint32_t ci = 0;
        struct rp_sim_db_cluster *cl = rp_sim_world_add(w, RP_SIM_K_DB_CLUSTER, &ci);
        if (!cl) return OOM(b);
        res_init(&cl->res, c->acct, 0, created_before(&c->r, w, 60, 600));
        char rid[27];
        rp_sim_rng_chars(&c->r, rid, 26, RP_SIM_ALPHA_UPPER);
        rp_sim_fmt(cl->res.id, sizeof(cl->res.id), "cluster-%s", rid);
        rp_sim_fmt(cl->res.name, sizeof(cl->res.name), "%s-analytics", c->label);
        rp_sim_fmt(cl->res.arn, sizeof(cl->res.arn), "arn:aws:rds:%s:%s:cluster:%s",
                   region_of(b, 0), acct_id(b, c->acct), cl->res.name);
        CPY(cl->engine, "aurora-postgresql");
        CPY(cl->engine_version, "15.4");
        cl->encrypted = true;
        cl->kms = c->kms_data;
        cl->backup_days = c->prod ? 14 : 1;
        char h12[13];
        rp_sim_rng_chars(&c->r, h12, 12, RP_SIM_ALPHA_LOWER);
        rp_sim_fmt(cl->endpoint, sizeof(cl->endpoint), "%s.cluster-%s.%s.rds.amazonaws.com",
                   cl->res.name, h12, region_of(b, 0));
        rp_sim_fmt(cl->reader_endpoint, sizeof(cl->reader_endpoint),
                   "%s.cluster-ro-%s.%s.rds.amazonaws.com", cl->res.name, h12, region_of(b, 0));
        cl->port = 5432;
        cl->vpc = c->vpc_main;
        cl->sgs[0] = c->sg_db;
        cl->nsgs = 1;
        rp_sim_fmt(cl->subnet_group, sizeof(cl->subnet_group), "%s-db-subnets", c->label);
        cl->deletion_protection = c->prod;
        cl->iam_auth = c->prod;
        CPY(cl->master_user, "postgres");
        char cname[RP_SIM_NAME_SZ];
        CPY(cname, cl->res.name);
        for (unsigned i = 0; i < 2; i++) {
            rp_sim_fmt(ident, sizeof(ident), "%s-instance-%u", cname, i + 1);
            uint32_t di =
                new_db(b, c, ident, "aurora-postgresql", "15.4", "db.r6g.large", 5432, ci, i);
            if (di == RP_SIM_NONE) return OOM(b);
            w->db_clusters[ci].members[w->db_clusters[ci].nmembers++] = di;
            w->db_instances[di].backup_days = w->db_clusters[ci].backup_days;
        }
    }

    /* Lambda */
    static const struct {
        const char *what, *runtime, *handler;
        bool vpc;
        uint32_t mem, timeout, rate;
    } fns[] = {{"orders-api", "nodejs20.x", "index.handler", false, 512, 10, 120},
               {"nightly-report", "python3.12", "report.main", false, 1024, 300, 1},
               {"db-rotation", "python3.12", "rotate.handler", true, 256, 60, 1},
               {"image-resize", "python3.11", "app.handler", false, 1536, 30, 40}};
    uint32_t nf = c->acct == 0 ? 4 : 3;
    c->lambda_api = RP_SIM_NONE;
    for (uint32_t i = 0; i < nf; i++) {
        uint32_t li = 0;
        struct rp_sim_lambda *l = rp_sim_world_add(w, RP_SIM_K_LAMBDA, &li);
        if (!l) return OOM(b);
        res_init(&l->res, c->acct, 0, created_before(&c->r, w, 20, 500));
        rp_sim_fmt(l->res.id, sizeof(l->res.id), "%s-%s", c->label, fns[i].what);
        CPY(l->res.name, l->res.id);
        rp_sim_fmt(l->res.arn, sizeof(l->res.arn), "arn:aws:lambda:%s:%s:function:%s",
                   region_of(b, 0), acct_id(b, c->acct), l->res.id);
        CPY(l->runtime, fns[i].runtime);
        CPY(l->handler, fns[i].handler);
        l->role = c->role_lambda;
        l->vpc = RP_SIM_NONE;
        if (fns[i].vpc) {
            l->vpc = c->vpc_main;
            l->subnets[0] = c->sub_priv[0];
            l->subnets[1] = c->sub_priv[1];
            l->nsubnets = 2;
            l->sgs[0] = c->sg_lambda;
            l->nsgs = 1;
        }
        l->memory_mb = fns[i].mem;
        l->timeout_s = fns[i].timeout;
        rp_sim_rng_chars(&c->r, l->code_sha256, 43,
                         "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
        l->code_sha256[43] = '=';
        l->code_sha256[44] = '\0';
        l->code_size = (uint64_t)rp_sim_rng_range(&c->r, 2000, 9000000);
        l->last_modified_ms = created_before(&c->r, w, 1, 60);
        if (l->last_modified_ms < l->res.created_ms) l->last_modified_ms = l->res.created_ms;
        l->kms = RP_SIM_NONE;
        l->trigger_api = RP_SIM_NONE;
        l->invocations_per_hour = fns[i].rate;
        if (i == 0) c->lambda_api = li;
        if (fns[i].vpc) {
            for (unsigned s = 0; s < 2; s++) {
                char desc[96];
                rp_sim_fmt(desc, sizeof(desc), "AWS Lambda VPC ENI-%s-%s", w->lambdas[li].res.name,
                           "0");
                uint32_t e = new_eni(b, c, c->sub_priv[s], RP_SIM_ENI_LAMBDA, li, desc, "lambda");
                if (e == RP_SIM_NONE) return OOM(b);
                w->enis[e].sgs[w->enis[e].nsgs++] = c->sg_lambda;
            }
        }
    }

    /* API Gateway */
    if (c->acct == 0 || b->scale_x > 1) {
        uint32_t ai = 0;
        struct rp_sim_rest_api *a = rp_sim_world_add(w, RP_SIM_K_REST_API, &ai);
        if (!a) return OOM(b);
        res_init(&a->res, c->acct, 0, created_before(&c->r, w, 20, 400));
        rp_sim_rng_chars(&c->r, a->res.id, 10, RP_SIM_ALPHA_LOWER);
        rp_sim_fmt(a->res.name, sizeof(a->res.name), "%s-orders", c->label);
        rp_sim_fmt(a->res.arn, sizeof(a->res.arn), "arn:aws:apigateway:%s::/restapis/%s",
                   region_of(b, 0), a->res.id);
        CPY(a->endpoint_type, "REGIONAL");
        a->lambda = c->lambda_api;
        static const char *const stages[] = {"prod", "dev"};
        for (unsigned i = 0; i < 2; i++) {
            struct rp_sim_stage *s = &a->stages[a->nstages++];
            CPY(s->name, stages[i]);
            rp_sim_rng_chars(&c->r, s->deployment_id, 6, RP_SIM_ALPHA_LOWER);
            CPY(s->log_level, i == 0 ? "INFO" : "OFF");
            s->tracing = i == 0;
            s->access_logs = i == 0;
        }
        if (c->lambda_api != RP_SIM_NONE) w->lambdas[c->lambda_api].trigger_api = ai;
    }

    /* S3 access points */
    if (c->acct == 0 || b->scale_x > 1) {
        for (unsigned i = 0; i < 2; i++) {
            uint32_t pi = 0;
            struct rp_sim_access_point *ap = rp_sim_world_add(w, RP_SIM_K_ACCESS_POINT, &pi);
            if (!ap) return OOM(b);
            res_init(&ap->res, c->acct, 0, created_before(&c->r, w, 10, 300));
            rp_sim_fmt(ap->res.id, sizeof(ap->res.id), i == 0 ? "%s-partners" : "%s-analytics-vpc",
                       c->label);
            CPY(ap->res.name, ap->res.id);
            rp_sim_fmt(ap->res.arn, sizeof(ap->res.arn), "arn:aws:s3:%s:%s:accesspoint/%s",
                       region_of(b, 0), acct_id(b, c->acct), ap->res.id);
            ap->bucket = i == 0 ? c->b_shared : c->b_data;
            ap->vpc_origin = i == 1;
            ap->vpc = i == 1 ? c->vpc_main : RP_SIM_NONE;
            for (int k = 0; k < 4; k++) ap->bpa[k] = true;
            char rnd[27];
            rp_sim_rng_chars(&c->r, rnd, 26, RP_SIM_ALPHA_LOWER);
            rp_sim_fmt(ap->alias, sizeof(ap->alias), "%.20s-%s-s3alias", ap->res.id, rnd);
        }
    }
    return RP_OK;
}

static rp_err build_edge(struct build *b, struct acct_ctx *c)
{
    struct rp_sim_world *w = b->w;
    if (c->acct != 0) return RP_OK;
    for (unsigned i = 0; i < 2; i++) {
        uint32_t di = 0;
        struct rp_sim_cloudfront *d = rp_sim_world_add(w, RP_SIM_K_CLOUDFRONT, &di);
        if (!d) return OOM(b);
        res_init(&d->res, c->acct, 0, created_before(&c->r, w, 30, 700));
        d->res.global = true;
        char id[14];
        rp_sim_rng_chars(&c->r, id, 13, RP_SIM_ALPHA_UPPER);
        rp_sim_fmt(d->res.id, sizeof(d->res.id), "E%s", id);
        rp_sim_fmt(d->res.arn, sizeof(d->res.arn), "arn:aws:cloudfront::%s:distribution/%s",
                   acct_id(b, c->acct), d->res.id);
        char dn[15];
        rp_sim_rng_chars(&c->r, dn, 14, "abcdefghijklmnopqrstuvwxyz0123456789");
        rp_sim_fmt(d->domain, sizeof(d->domain), "d%s.cloudfront.net", dn);
        d->origin_bucket = i == 0 ? c->b_web : RP_SIM_NONE;
        d->origin_lb = RP_SIM_NONE;
        if (i == 1)
            for (uint32_t k = 0; k < w->nlbs; k++)
                if (w->lbs[k].res.acct == c->acct) d->origin_lb = k;
        CPY(d->viewer_policy, "redirect-to-https");
        CPY(d->min_tls, "TLSv1.2_2021");
        d->waf = i == 1;
        d->logging = true;
        d->log_bucket = c->b_logs;
        d->oac = i == 0;
        CPY(d->default_root_object, i == 0 ? "index.html" : "");
        CPY(d->price_class, "PriceClass_100");
        d->enabled = true;
    }
    return RP_OK;
}

/* ---- VPN ---------------------------------------------------------------------------------------
 */

static rp_err build_vpn(struct build *b, struct acct_ctx *c)
{
    struct rp_sim_world *w = b->w;
    uint32_t nsites = c->acct == 0 ? 3 : (c->acct == 1 ? 1 : 0);
    if (nsites == 0) return RP_OK;
    uint32_t gi = 0;
    struct rp_sim_vgw *g = rp_sim_world_add(w, RP_SIM_K_VGW, &gi);
    if (!g) return OOM(b);
    res_init(&g->res, c->acct, 0, created_before(&c->r, w, 100, 900));
    rp_sim_id_ec2(&c->r, "vgw", g->res.id, sizeof(g->res.id));
    rp_sim_fmt(g->res.arn, sizeof(g->res.arn), "arn:aws:ec2:%s:%s:vpn-gateway/%s", region_of(b, 0),
               acct_id(b, c->acct), g->res.id);
    g->vpc = c->vpc_main;
    g->asn = 64512;
    add_tag(&g->res, "Name", c->acct == 0 ? "cloudhub" : "office-link");
    w->vpcs[c->vpc_main].vgw = gi;
    w->route_tables[c->rtb_private].propagating_vgw = gi;
    for (uint32_t s = 0; s < nsites; s++) {
        uint32_t ci = 0;
        struct rp_sim_cgw *cg = rp_sim_world_add(w, RP_SIM_K_CGW, &ci);
        if (!cg) return OOM(b);
        res_init(&cg->res, c->acct, 0, w->vgws[gi].res.created_ms + (int64_t)s * 30 * DAY);
        rp_sim_id_ec2(&c->r, "cgw", cg->res.id, sizeof(cg->res.id));
        rp_sim_fmt(cg->res.arn, sizeof(cg->res.arn), "arn:aws:ec2:%s:%s:customer-gateway/%s",
                   region_of(b, 0), acct_id(b, c->acct), cg->res.id);
        uint32_t o = b->offices_used[s % b->noffices];
        static const char *const kinds[] = {"hq", "dc", "branch"};
        rp_sim_fmt(cg->site, sizeof(cg->site), "%s-%s", kinds[s % 3], offices[o].city);
        add_tag(&cg->res, "Name", cg->site);
        rp_sim_ip_isp(&c->r, cg->ip);
        cg->bgp_asn = 65000 + s + 10 * c->acct;
        rp_sim_fmt(cg->site_cidr, sizeof(cg->site_cidr), "192.168.%u.0/24", b->site_octet++);
        uint32_t vi = 0;
        struct rp_sim_vpn *v = rp_sim_world_add(w, RP_SIM_K_VPN, &vi);
        if (!v) return OOM(b);
        res_init(&v->res, c->acct, 0, w->cgws[ci].res.created_ms);
        rp_sim_id_ec2(&c->r, "vpn", v->res.id, sizeof(v->res.id));
        rp_sim_fmt(v->res.arn, sizeof(v->res.arn), "arn:aws:ec2:%s:%s:vpn-connection/%s",
                   region_of(b, 0), acct_id(b, c->acct), v->res.id);
        add_tag(&v->res, "Name", w->cgws[ci].site);
        v->vgw = gi;
        v->cgw = ci;
        /* CloudHub: BGP for the first sites, the last one static */
        v->static_routes = (s == nsites - 1);
        if (v->static_routes) {
            CPY(v->routes[0], w->cgws[ci].site_cidr);
            v->nroutes = 1;
        }
        for (unsigned t = 0; t < 2; t++) {
            rp_sim_ip_aws_public(&c->r, v->tunnel_ips[t]);
            rp_sim_fmt(v->tunnel_inside[t], sizeof(v->tunnel_inside[t]), "169.254.%u.%u/30",
                       10 + rp_sim_rng_below(&c->r, 240), 4 * rp_sim_rng_below(&c->r, 63));
            v->tunnel_up[t] = t == 0 || rp_sim_rng_chance(&c->r, 700);
            v->accepted_routes[t] = v->tunnel_up[t] && !v->static_routes ? 1 : 0;
        }
        rtb_route(b, c->rtb_private, w->cgws[ci].site_cidr, RP_SIM_RT_VGW, gi, true);
    }
    return RP_OK;
}

/* ---- trail and accounts ---------------------------------------------------------------------- */

static rp_err build_trail(struct build *b, struct acct_ctx *c)
{
    struct rp_sim_world *w = b->w;
    uint32_t ti = 0;
    struct rp_sim_trail *t = rp_sim_world_add(w, RP_SIM_K_TRAIL, &ti);
    if (!t) return OOM(b);
    res_init(&t->res, c->acct, 0, created_before(&c->r, w, 300, 1200));
    rp_sim_fmt(t->res.id, sizeof(t->res.id), "%s-%s-trail", w->company, c->label);
    CPY(t->res.name, t->res.id);
    rp_sim_fmt(t->res.arn, sizeof(t->res.arn), "arn:aws:cloudtrail:%s:%s:trail/%s", region_of(b, 0),
               acct_id(b, c->acct), t->res.id);
    t->multi_region = true;
    t->bucket = c->b_logs;
    t->validation = true;
    t->kms = c->prod ? c->kms_logs : RP_SIM_NONE;
    t->logging = true;
    t->global_events = true;
    t->s3_data_events = true;
    if (c->prod)
        rp_sim_fmt(t->log_group_arn, sizeof(t->log_group_arn),
                   "arn:aws:logs:%s:%s:log-group:aws-cloudtrail-logs-%s:*", region_of(b, 0),
                   acct_id(b, c->acct), c->label);
    return RP_OK;
}

static rp_err build_account(struct build *b, uint32_t a)
{
    struct rp_sim_world *w = b->w;
    uint32_t idx = 0;
    struct rp_sim_account *ac = rp_sim_world_add(w, RP_SIM_K_ACCOUNT, &idx);
    if (!ac) return OOM(b);
    struct rp_sim_rng r;
    rp_sim_rng_initf(&r, w->seed, "world/acct%u/identity", a);
    for (;;) {
        rp_sim_id_account(&r, ac->res.id);
        bool dup = false;
        for (uint32_t i = 0; i < idx; i++)
            if (strcmp(w->accounts[i].res.id, ac->res.id) == 0) dup = true;
        if (!dup) break;
    }
    res_init(&ac->res, idx, 0, created_before(&r, w, 900, 2500));
    ac->res.global = true;
    const char *label = a < RP_ARRAY_LEN(labels) ? labels[a] : "team";
    if (a < RP_ARRAY_LEN(labels))
        CPY(ac->role_label, label);
    else
        rp_sim_fmt(ac->role_label, sizeof(ac->role_label), "team%u", a);
    rp_sim_fmt(ac->res.name, sizeof(ac->res.name), "%s-%s", w->company, ac->role_label);
    rp_sim_fmt(ac->res.arn, sizeof(ac->res.arn), "arn:aws:iam::%s:root", ac->res.id);
    rp_sim_fmt(ac->email, sizeof(ac->email), "aws-%s@%s-corp.example", ac->role_label, w->company);
    ac->management = a == 0;
    bool prod = a == 0 || a == 2 || a == 3;
    ac->root_mfa = true;
    ac->root_hw_mfa = a == 0;
    ac->root_access_key = false;
    ac->root_last_login_ms = rp_sim_rng_chance(&r, 500) ? created_before(&r, w, 10, 200) : 0;
    struct rp_sim_password_policy *pp = &ac->pwpolicy;
    pp->present = true;
    pp->min_length = prod ? 14 : 8;
    pp->require_symbols = prod;
    pp->require_numbers = true;
    pp->require_upper = true;
    pp->require_lower = true;
    pp->allow_users_to_change = true;
    pp->max_age_days = prod ? 90 : 0;
    pp->reuse_prevention = prod ? 24 : 0;
    pp->hard_expiry = false;
    for (int i = 0; i < 4; i++) ac->bpa[i] = prod;
    ac->log_bucket = RP_SIM_NONE;
    ac->home_region = 0;
    return RP_OK;
}

static rp_err build_aws_managed(struct build *b)
{
    static const char any[] = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                              "\"Action\":\"*\",\"Resource\":\"*\"}]}";
    static const char ro[] = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                             "\"Action\":[\"*:Describe*\",\"*:Get*\",\"*:List*\"],"
                             "\"Resource\":\"*\"}]}";
    b->am_admin = aws_policy(b, "/", "AdministratorAccess", any);
    b->am_readonly = aws_policy(b, "/", "ReadOnlyAccess", ro);
    b->am_poweruser =
        aws_policy(b, "/", "PowerUserAccess",
                   "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"NotAction\":"
                   "[\"iam:*\",\"organizations:*\",\"account:*\"],\"Resource\":\"*\"}]}");
    b->am_security_audit = aws_policy(b, "/", "SecurityAudit", ro);
    b->am_s3_readonly =
        aws_policy(b, "/", "AmazonS3ReadOnlyAccess",
                   "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
                   "[\"s3:Get*\",\"s3:List*\"],\"Resource\":\"*\"}]}");
    b->am_ssm_core =
        aws_policy(b, "/", "AmazonSSMManagedInstanceCore",
                   "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
                   "[\"ssm:UpdateInstanceInformation\",\"ssmmessages:*\",\"ec2messages:*\"],"
                   "\"Resource\":\"*\"}]}");
    b->am_lambda_basic =
        aws_policy(b, "/service-role/", "AWSLambdaBasicExecutionRole",
                   "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
                   "[\"logs:CreateLogGroup\",\"logs:CreateLogStream\",\"logs:PutLogEvents\"],"
                   "\"Resource\":\"*\"}]}");
    b->am_lambda_vpc =
        aws_policy(b, "/service-role/", "AWSLambdaVPCAccessExecutionRole",
                   "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
                   "[\"ec2:CreateNetworkInterface\",\"ec2:DescribeNetworkInterfaces\","
                   "\"ec2:DeleteNetworkInterface\"],\"Resource\":\"*\"}]}");
    b->am_eks_worker =
        aws_policy(b, "/", "AmazonEKSWorkerNodePolicy",
                   "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
                   "[\"ec2:DescribeInstances\",\"ec2:DescribeSubnets\",\"eks:DescribeCluster\"],"
                   "\"Resource\":\"*\"}]}");
    b->am_eks_cluster = aws_policy(
        b, "/", "AmazonEKSClusterPolicy",
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
        "[\"ec2:*\",\"elasticloadbalancing:*\",\"kms:DescribeKey\"],\"Resource\":\"*\"}]}");
    b->am_config_role = aws_policy(b, "/service-role/", "AWS_ConfigRole", ro);
    b->am_ecr_readonly = aws_policy(
        b, "/", "AmazonEC2ContainerRegistryReadOnly",
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
        "[\"ecr:GetAuthorizationToken\",\"ecr:BatchGetImage\",\"ecr:GetDownloadUrlForLayer\"],"
        "\"Resource\":\"*\"}]}");
    if (b->am_ecr_readonly == RP_SIM_NONE) return OOM(b);
    return RP_OK;
}

rp_err rp_sim_world_build(struct rp_sim_world *w, uint32_t naccounts, struct rp_errbuf *eb)
{
    struct build b;
    memset(&b, 0, sizeof(b));
    b.w = w;
    b.eb = eb;
    static const uint32_t sx[] = {1, 3, 8};
    b.scale_x = sx[w->scale];
    rp_sim_rng_init(&b.g, w->seed, "world/global");
    CPY(w->company, PICK(&b.g, companies));
    rp_sim_fmt(w->org_id, sizeof(w->org_id), "o-");
    rp_sim_rng_chars(&b.g, w->org_id + 2, 10, "abcdefghijklmnopqrstuvwxyz0123456789");
    /* offices: two or three of the list, each with its public egress address */
    b.noffices = 2 + rp_sim_rng_below(&b.g, 2);
    for (uint32_t i = 0; i < b.noffices;) {
        uint32_t o = rp_sim_rng_below(&b.g, RP_ARRAY_LEN(offices));
        bool dup = false;
        for (uint32_t k = 0; k < i; k++) dup |= b.offices_used[k] == o;
        if (dup) continue;
        b.offices_used[i++] = o;
        rp_sim_ip_isp(&b.g, b.office_ip[o]);
    }
    for (int os = 0; os < 4; os++)
        for (uint32_t r = 0; r < w->nregions; r++)
            rp_sim_id_ec2(&b.g, "ami", b.ami[os][r], sizeof(b.ami[os][r]));
    b.site_octet = 10 + rp_sim_rng_below(&b.g, 100);
    b.used_octets[0] = 1;

    for (uint32_t a = 0; a < naccounts; a++) {
        rp_err e = build_account(&b, a);
        if (e != RP_OK) return e;
    }
    rp_err e = build_aws_managed(&b);
    if (e != RP_OK) return e;

    for (uint32_t a = 0; a < naccounts; a++) {
        struct acct_ctx c;
        memset(&c, 0, sizeof(c));
        c.acct = a;
        c.label = w->accounts[a].role_label;
        c.prod = a == 0 || a == 2 || a == 3;
        rp_sim_rng_initf(&c.r, w->seed, "world/acct%u", a);
        c.role_eks_cluster = RP_SIM_NONE;
        c.nat = RP_SIM_NONE;
        if ((e = build_kms_s3(&b, &c)) != RP_OK) return e;
        if ((e = build_main_vpc(&b, &c)) != RP_OK) return e;
        if ((e = build_default_vpc(&b, &c)) != RP_OK) return e;
        if ((e = build_dr_vpc(&b, &c)) != RP_OK) return e;
        if ((e = build_iam(&b, &c)) != RP_OK) return e;
        if ((e = build_trail(&b, &c)) != RP_OK) return e;
        if ((e = build_compute(&b, &c)) != RP_OK) return e;
        if ((e = build_eks(&b, &c)) != RP_OK) return e;
        if ((e = build_data(&b, &c)) != RP_OK) return e;
        if ((e = build_edge(&b, &c)) != RP_OK) return e;
        if ((e = build_vpn(&b, &c)) != RP_OK) return e;
    }

    /* exactly one VPC uses the custom v5 flow-log format: the first flow-logged VPC outside the
     * home region, else the last flow-logged VPC when there are several */
    uint32_t v5 = RP_SIM_NONE, last = RP_SIM_NONE, nflow = 0;
    for (uint32_t i = 0; i < w->nvpcs; i++) {
        if (w->vpcs[i].flow_format == RP_SIM_FLOW_NONE) continue;
        nflow++;
        last = i;
        if (v5 == RP_SIM_NONE && w->vpcs[i].res.region != 0) v5 = i;
    }
    if (v5 == RP_SIM_NONE && nflow > 1) v5 = last;
    if (v5 != RP_SIM_NONE) w->vpcs[v5].flow_format = RP_SIM_FLOW_V5_CUSTOM;
    return RP_OK;
}
