/* SPDX-License-Identifier: Apache-2.0 */
/* rp_sim world model storage (sim_world.h): options, entity arrays with growth, generic access
 * by kind, lookups, tags, habits, the API-call catalogue and the kind table. The estate itself
 * is built by sim_world_build.c.
 *
 * Entities live in one realloc'ed array per kind, referred to by index; the world arena holds
 * policy documents and other variable-size text. Nothing here reads the clock or the
 * environment. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/sim_world.h"
#include "sim/sim_internal.h"
#include "core/rp_str.h"
#include "core/rp_time.h"
#include "core/rp_banned.h"

/* ---- kinds -------------------------------------------------------------------------------- */

struct kind_slot {
    struct rp_sim_kind_info info;
    size_t ptr_off;   /* offsetof the array pointer in struct rp_sim_world */
    size_t count_off; /* offsetof the count */
};

#define SLOT(k, name, type, st, arr)                                                               \
    [k] = {{name, type, sizeof(struct st)},                                                        \
           offsetof(struct rp_sim_world, arr),                                                     \
           offsetof(struct rp_sim_world, n##arr)}

static const struct kind_slot kinds[RP_SIM_K__COUNT] = {
    SLOT(RP_SIM_K_ACCOUNT, "account", NULL, rp_sim_account, accounts),
    SLOT(RP_SIM_K_USER, "user", "AWS::IAM::User", rp_sim_user, users),
    SLOT(RP_SIM_K_GROUP, "group", "AWS::IAM::Group", rp_sim_group, groups),
    SLOT(RP_SIM_K_ROLE, "role", "AWS::IAM::Role", rp_sim_role, roles),
    SLOT(RP_SIM_K_POLICY, "policy", "AWS::IAM::Policy", rp_sim_policy, policies),
    SLOT(RP_SIM_K_VPC, "vpc", "AWS::EC2::VPC", rp_sim_vpc, vpcs),
    SLOT(RP_SIM_K_SUBNET, "subnet", "AWS::EC2::Subnet", rp_sim_subnet, subnets),
    SLOT(RP_SIM_K_ROUTE_TABLE, "route-table", "AWS::EC2::RouteTable", rp_sim_route_table,
         route_tables),
    SLOT(RP_SIM_K_IGW, "internet-gateway", "AWS::EC2::InternetGateway", rp_sim_igw, igws),
    SLOT(RP_SIM_K_NATGW, "nat-gateway", "AWS::EC2::NatGateway", rp_sim_natgw, natgws),
    SLOT(RP_SIM_K_NACL, "network-acl", "AWS::EC2::NetworkAcl", rp_sim_nacl, nacls),
    SLOT(RP_SIM_K_SG, "security-group", "AWS::EC2::SecurityGroup", rp_sim_sg, sgs),
    SLOT(RP_SIM_K_ENI, "network-interface", "AWS::EC2::NetworkInterface", rp_sim_eni, enis),
    SLOT(RP_SIM_K_INSTANCE, "instance", "AWS::EC2::Instance", rp_sim_instance, instances),
    SLOT(RP_SIM_K_LB, "load-balancer", "AWS::ElasticLoadBalancingV2::LoadBalancer", rp_sim_lb, lbs),
    SLOT(RP_SIM_K_ASG, "auto-scaling-group", "AWS::AutoScaling::AutoScalingGroup", rp_sim_asg,
         asgs),
    SLOT(RP_SIM_K_VOLUME, "volume", "AWS::EC2::Volume", rp_sim_volume, volumes),
    SLOT(RP_SIM_K_SNAPSHOT, "snapshot", NULL, rp_sim_snapshot, snapshots),
    SLOT(RP_SIM_K_BUCKET, "bucket", "AWS::S3::Bucket", rp_sim_bucket, buckets),
    SLOT(RP_SIM_K_ACCESS_POINT, "access-point", "AWS::S3::AccessPoint", rp_sim_access_point,
         access_points),
    SLOT(RP_SIM_K_DB_INSTANCE, "db-instance", "AWS::RDS::DBInstance", rp_sim_db_instance,
         db_instances),
    SLOT(RP_SIM_K_DB_CLUSTER, "db-cluster", "AWS::RDS::DBCluster", rp_sim_db_cluster, db_clusters),
    SLOT(RP_SIM_K_LAMBDA, "lambda-function", "AWS::Lambda::Function", rp_sim_lambda, lambdas),
    SLOT(RP_SIM_K_KMS_KEY, "kms-key", "AWS::KMS::Key", rp_sim_kms_key, kms_keys),
    SLOT(RP_SIM_K_TRAIL, "trail", "AWS::CloudTrail::Trail", rp_sim_trail, trails),
    SLOT(RP_SIM_K_EKS, "eks-cluster", "AWS::EKS::Cluster", rp_sim_eks, eks),
    SLOT(RP_SIM_K_VGW, "vpn-gateway", "AWS::EC2::VPNGateway", rp_sim_vgw, vgws),
    SLOT(RP_SIM_K_CGW, "customer-gateway", "AWS::EC2::CustomerGateway", rp_sim_cgw, cgws),
    SLOT(RP_SIM_K_VPN, "vpn-connection", "AWS::EC2::VPNConnection", rp_sim_vpn, vpns),
    SLOT(RP_SIM_K_REST_API, "rest-api", "AWS::ApiGateway::RestApi", rp_sim_rest_api, rest_apis),
    SLOT(RP_SIM_K_CLOUDFRONT, "cloudfront-distribution", "AWS::CloudFront::Distribution",
         rp_sim_cloudfront, cloudfronts),
};

const struct rp_sim_kind_info *rp_sim_kind_info(enum rp_sim_kind k)
{
    if ((unsigned)k >= RP_SIM_K__COUNT) return NULL;
    return &kinds[k].info;
}

static void **arr_ptr(const struct rp_sim_world *w, enum rp_sim_kind k)
{
    return (void **)((char *)(uintptr_t)w + kinds[k].ptr_off);
}

static uint32_t *arr_count(const struct rp_sim_world *w, enum rp_sim_kind k)
{
    return (uint32_t *)((char *)(uintptr_t)w + kinds[k].count_off);
}

uint32_t rp_sim_world_count(const struct rp_sim_world *w, enum rp_sim_kind k)
{
    if ((unsigned)k >= RP_SIM_K__COUNT) return 0;
    return *arr_count(w, k);
}

struct rp_sim_res *rp_sim_world_res(const struct rp_sim_world *w, struct rp_sim_ref ref)
{
    if ((unsigned)ref.kind >= RP_SIM_K__COUNT || ref.idx >= *arr_count(w, ref.kind)) return NULL;
    return (struct rp_sim_res *)((char *)*arr_ptr(w, ref.kind) +
                                 ref.idx * kinds[ref.kind].info.size);
}

void *rp_sim_world_add(struct rp_sim_world *w, enum rp_sim_kind k, uint32_t *idx)
{
    if ((unsigned)k >= RP_SIM_K__COUNT) return NULL;
    void **arr = arr_ptr(w, k);
    uint32_t *n = arr_count(w, k);
    uint32_t *cap = &w->priv->cap[k];
    size_t sz = kinds[k].info.size;
    if (*n == *cap) {
        uint32_t ncap = *cap ? *cap * 2 : 16;
        void *p = realloc(*arr, (size_t)ncap * sz);
        if (!p) return NULL;
        *arr = p;
        *cap = ncap;
    }
    char *e = (char *)*arr + (size_t)*n * sz;
    memset(e, 0, sz);
    if (idx) *idx = *n;
    (*n)++;
    return e;
}

const char *rp_sim_world_strdup(struct rp_sim_world *w, const char *s)
{
    if (!s) return NULL;
    return rp_arena_strdup(&w->priv->arena, s);
}

uint32_t rp_sim_world_find(const struct rp_sim_world *w, enum rp_sim_kind k, const char *key)
{
    uint32_t n = rp_sim_world_count(w, k);
    if (!key || !*key) return RP_SIM_NONE;
    for (uint32_t i = 0; i < n; i++) {
        const struct rp_sim_res *r = rp_sim_world_res(w, (struct rp_sim_ref){k, i});
        if (strcmp(r->id, key) == 0 || strcmp(r->name, key) == 0 || strcmp(r->arn, key) == 0)
            return i;
    }
    return RP_SIM_NONE;
}

uint32_t rp_sim_world_account(const struct rp_sim_world *w, const char *account_id)
{
    for (uint32_t i = 0; i < w->naccounts; i++)
        if (strcmp(w->accounts[i].res.id, account_id) == 0) return i;
    return RP_SIM_NONE;
}

uint32_t rp_sim_world_region(const struct rp_sim_world *w, const char *region)
{
    for (uint32_t i = 0; i < w->nregions; i++)
        if (strcmp(w->regions[i], region) == 0) return i;
    return RP_SIM_NONE;
}

uint32_t rp_sim_world_list(const struct rp_sim_world *w, enum rp_sim_kind k, uint32_t acct,
                           uint32_t region, uint32_t *out, uint32_t max)
{
    uint32_t n = rp_sim_world_count(w, k), hits = 0;
    for (uint32_t i = 0; i < n; i++) {
        const struct rp_sim_res *r = rp_sim_world_res(w, (struct rp_sim_ref){k, i});
        if (r->deleted_ms) continue;
        if (acct != RP_SIM_NONE && r->acct != acct) continue;
        if (region != RP_SIM_NONE && r->region != region) continue;
        if (hits < max) out[hits] = i;
        hits++;
    }
    return hits;
}

uint32_t rp_sim_world_vpc_instances(const struct rp_sim_world *w, uint32_t vpc, uint32_t *out,
                                    uint32_t max)
{
    uint32_t hits = 0;
    for (uint32_t i = 0; i < w->ninstances; i++) {
        if (w->instances[i].res.deleted_ms || w->instances[i].vpc != vpc) continue;
        if (hits < max) out[hits] = i;
        hits++;
    }
    return hits;
}

uint32_t rp_sim_world_vpc_enis(const struct rp_sim_world *w, uint32_t vpc, uint32_t *out,
                               uint32_t max)
{
    uint32_t hits = 0;
    for (uint32_t i = 0; i < w->nenis; i++) {
        if (w->enis[i].res.deleted_ms || w->enis[i].vpc != vpc) continue;
        if (hits < max) out[hits] = i;
        hits++;
    }
    return hits;
}

const char *rp_sim_res_tag(const struct rp_sim_res *res, const char *key)
{
    for (uint32_t i = 0; i < res->ntags && i < RP_SIM_MAX_TAGS; i++)
        if (strcmp(res->tags[i].key, key) == 0) return res->tags[i].value;
    return NULL;
}

bool rp_sim_res_set_tag(struct rp_sim_res *res, const char *key, const char *value)
{
    uint32_t i = 0;
    for (; i < res->ntags && i < RP_SIM_MAX_TAGS; i++)
        if (strcmp(res->tags[i].key, key) == 0) break;
    if (i == RP_SIM_MAX_TAGS) return false;
    rp_strlcpy(res->tags[i].key, key, sizeof(res->tags[i].key));
    rp_strlcpy(res->tags[i].value, value, sizeof(res->tags[i].value));
    if (i == res->ntags) res->ntags++;
    return true;
}

uint32_t rp_sim_world_trail_for(const struct rp_sim_world *w, uint32_t acct, uint32_t region)
{
    for (uint32_t i = 0; i < w->ntrails; i++) {
        const struct rp_sim_trail *t = &w->trails[i];
        if (t->res.deleted_ms || !t->logging) continue;
        if (t->res.acct != acct && !(t->org_trail)) continue;
        if (t->multi_region || t->res.region == region) return i;
    }
    return RP_SIM_NONE;
}

bool rp_sim_habits_active(const struct rp_sim_habits *h, int64_t hour_start_ms)
{
    if (h->always_on) return true;
    int64_t local = hour_start_ms + (int64_t)h->tz_offset_min * RP_TIME_MS_PER_MIN;
    int64_t days = local >= 0 ? local / RP_TIME_MS_PER_DAY
                              : -((-local + RP_TIME_MS_PER_DAY - 1) / RP_TIME_MS_PER_DAY);
    int64_t hour = (local - days * RP_TIME_MS_PER_DAY) / RP_TIME_MS_PER_HOUR;
    /* 1970-01-01 was a Thursday: Monday-based weekday = (days + 3) mod 7 */
    int wd = (int)(((days + 3) % 7 + 7) % 7);
    if (!(h->weekdays & (1u << wd))) return false;
    if (h->work_start_hour <= h->work_end_hour)
        return hour >= h->work_start_hour && hour < h->work_end_hour;
    return hour >= h->work_start_hour || hour < h->work_end_hour; /* overnight shift */
}

/* ---- options ------------------------------------------------------------------------------ */

void rp_sim_opts_init(struct rp_sim_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->seed = 1;
    o->start_ms = RP_SIM_DEFAULT_START_MS;
    o->days = 7;
    o->scale = RP_SIM_SCALE_SMALL;
    o->scenarios = "all";
}

uint32_t rp_sim_learn_days(const struct rp_sim_opts *o)
{
    if (o->days <= 1) return 0;
    if (o->learn_days) return o->learn_days < o->days ? o->learn_days : o->days - 1;
    uint32_t l = o->days * 2 / 3;
    if (l < 1) l = 1;
    if (l > o->days - 1) l = o->days - 1;
    return l;
}

rp_err rp_sim_scale_parse(const char *s, enum rp_sim_scale *out, struct rp_errbuf *eb)
{
    static const char *const names[] = {"small", "medium", "large"};
    for (unsigned i = 0; i < RP_ARRAY_LEN(names); i++)
        if (s && strcmp(s, names[i]) == 0) {
            *out = (enum rp_sim_scale)i;
            return RP_OK;
        }
    return rp_fail(eb, RP_EINVAL, "simulate: unknown scale '%s' (small, medium, large)",
                   s ? s : "");
}

const char *rp_sim_scale_name(enum rp_sim_scale s)
{
    switch (s) {
    case RP_SIM_SCALE_SMALL:
        return "small";
    case RP_SIM_SCALE_MEDIUM:
        return "medium";
    case RP_SIM_SCALE_LARGE:
        return "large";
    }
    return "small";
}

/* ---- API catalogue -------------------------------------------------------------------------- */

#define RO   true
#define RW   false
#define K(x) RP_SIM_K_##x
#define NOK  RP_SIM_K__COUNT

const struct rp_sim_api rp_sim_api_catalog[] = {
    {"sts.amazonaws.com", "GetCallerIdentity", RO, false, NOK},
    {"sts.amazonaws.com", "AssumeRole", RO, false, K(ROLE)},
    {"signin.amazonaws.com", "ConsoleLogin", RW, false, NOK},
    {"ec2.amazonaws.com", "DescribeInstances", RO, false, K(INSTANCE)},
    {"ec2.amazonaws.com", "DescribeSecurityGroups", RO, false, K(SG)},
    {"ec2.amazonaws.com", "DescribeVpcs", RO, false, K(VPC)},
    {"ec2.amazonaws.com", "DescribeSubnets", RO, false, K(SUBNET)},
    {"ec2.amazonaws.com", "DescribeVolumes", RO, false, K(VOLUME)},
    {"ec2.amazonaws.com", "DescribeSnapshots", RO, false, K(SNAPSHOT)},
    {"ec2.amazonaws.com", "RunInstances", RW, false, K(INSTANCE)},
    {"ec2.amazonaws.com", "StartInstances", RW, false, K(INSTANCE)},
    {"ec2.amazonaws.com", "StopInstances", RW, false, K(INSTANCE)},
    {"ec2.amazonaws.com", "CreateTags", RW, false, K(INSTANCE)},
    {"ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", RW, false, K(SG)},
    {"ec2.amazonaws.com", "RevokeSecurityGroupIngress", RW, false, K(SG)},
    {"ec2.amazonaws.com", "CreateSnapshot", RW, false, K(VOLUME)},
    {"s3.amazonaws.com", "ListBuckets", RO, false, NOK},
    {"s3.amazonaws.com", "GetBucketPolicy", RO, false, K(BUCKET)},
    {"s3.amazonaws.com", "GetBucketAcl", RO, false, K(BUCKET)},
    {"s3.amazonaws.com", "GetBucketLocation", RO, false, K(BUCKET)},
    {"s3.amazonaws.com", "PutBucketPolicy", RW, false, K(BUCKET)},
    {"s3.amazonaws.com", "GetObject", RO, true, K(BUCKET)},
    {"s3.amazonaws.com", "PutObject", RW, true, K(BUCKET)},
    {"s3.amazonaws.com", "ListObjects", RO, true, K(BUCKET)},
    {"s3.amazonaws.com", "DeleteObject", RW, true, K(BUCKET)},
    {"s3.amazonaws.com", "HeadObject", RO, true, K(BUCKET)},
    {"iam.amazonaws.com", "ListUsers", RO, false, K(USER)},
    {"iam.amazonaws.com", "GetUser", RO, false, K(USER)},
    {"iam.amazonaws.com", "ListRoles", RO, false, K(ROLE)},
    {"iam.amazonaws.com", "GetRole", RO, false, K(ROLE)},
    {"iam.amazonaws.com", "ListAttachedRolePolicies", RO, false, K(ROLE)},
    {"iam.amazonaws.com", "CreateAccessKey", RW, false, K(USER)},
    {"iam.amazonaws.com", "UpdateAccessKey", RW, false, K(USER)},
    {"iam.amazonaws.com", "AttachRolePolicy", RW, false, K(ROLE)},
    {"iam.amazonaws.com", "PutRolePolicy", RW, false, K(ROLE)},
    {"iam.amazonaws.com", "CreateUser", RW, false, K(USER)},
    {"lambda.amazonaws.com", "ListFunctions20150331", RO, false, K(LAMBDA)},
    {"lambda.amazonaws.com", "GetFunction20150331v2", RO, false, K(LAMBDA)},
    {"lambda.amazonaws.com", "UpdateFunctionCode20150331v2", RW, false, K(LAMBDA)},
    {"lambda.amazonaws.com", "Invoke", RW, true, K(LAMBDA)},
    {"rds.amazonaws.com", "DescribeDBInstances", RO, false, K(DB_INSTANCE)},
    {"rds.amazonaws.com", "DescribeDBClusters", RO, false, K(DB_CLUSTER)},
    {"rds.amazonaws.com", "CreateDBSnapshot", RW, false, K(DB_INSTANCE)},
    {"kms.amazonaws.com", "Decrypt", RO, false, K(KMS_KEY)},
    {"kms.amazonaws.com", "GenerateDataKey", RO, false, K(KMS_KEY)},
    {"kms.amazonaws.com", "DescribeKey", RO, false, K(KMS_KEY)},
    {"kms.amazonaws.com", "ListKeys", RO, false, K(KMS_KEY)},
    {"cloudtrail.amazonaws.com", "DescribeTrails", RO, false, K(TRAIL)},
    {"cloudtrail.amazonaws.com", "LookupEvents", RO, false, NOK},
    {"cloudtrail.amazonaws.com", "GetTrailStatus", RO, false, K(TRAIL)},
    {"config.amazonaws.com", "DescribeConfigRules", RO, false, NOK},
    {"config.amazonaws.com", "DescribeComplianceByConfigRule", RO, false, NOK},
    {"logs.amazonaws.com", "DescribeLogGroups", RO, false, NOK},
    {"logs.amazonaws.com", "CreateLogStream", RW, false, NOK},
    {"logs.amazonaws.com", "FilterLogEvents", RO, false, NOK},
    {"monitoring.amazonaws.com", "GetMetricData", RO, false, NOK},
    {"monitoring.amazonaws.com", "DescribeAlarms", RO, false, NOK},
    {"eks.amazonaws.com", "DescribeCluster", RO, false, K(EKS)},
    {"eks.amazonaws.com", "ListClusters", RO, false, K(EKS)},
    {"ecr.amazonaws.com", "GetAuthorizationToken", RO, false, NOK},
    {"ecr.amazonaws.com", "BatchGetImage", RO, false, NOK},
    {"ssm.amazonaws.com", "GetParameter", RO, false, NOK},
    {"ssm.amazonaws.com", "GetParameters", RO, false, NOK},
    {"ssm.amazonaws.com", "DescribeInstanceInformation", RO, false, K(INSTANCE)},
    {"secretsmanager.amazonaws.com", "GetSecretValue", RO, false, NOK},
    {"elasticloadbalancing.amazonaws.com", "DescribeLoadBalancers", RO, false, K(LB)},
    {"elasticloadbalancing.amazonaws.com", "DescribeTargetHealth", RO, false, K(LB)},
    {"autoscaling.amazonaws.com", "DescribeAutoScalingGroups", RO, false, K(ASG)},
    {"autoscaling.amazonaws.com", "UpdateAutoScalingGroup", RW, false, K(ASG)},
    {"cloudformation.amazonaws.com", "DescribeStacks", RO, false, NOK},
    {"cloudformation.amazonaws.com", "CreateChangeSet", RW, false, NOK},
    {"cloudformation.amazonaws.com", "ExecuteChangeSet", RW, false, NOK},
    {"apigateway.amazonaws.com", "GetRestApis", RO, false, K(REST_API)},
    {"cloudfront.amazonaws.com", "ListDistributions", RO, false, K(CLOUDFRONT)},
    {"sts.amazonaws.com", "GetSessionToken", RO, false, NOK},
    {"athena.amazonaws.com", "StartQueryExecution", RW, false, NOK},
    {"athena.amazonaws.com", "GetQueryResults", RO, false, NOK},
    {"glue.amazonaws.com", "GetTable", RO, false, NOK},
    {"guardduty.amazonaws.com", "ListFindings", RO, false, NOK},
    {"securityhub.amazonaws.com", "GetFindings", RO, false, NOK},
    {"organizations.amazonaws.com", "DescribeOrganization", RO, false, NOK},
    {"iam.amazonaws.com", "GenerateCredentialReport", RW, false, NOK},
    {"iam.amazonaws.com", "GetCredentialReport", RO, false, NOK},
    {"ec2.amazonaws.com", "DescribeRouteTables", RO, false, K(ROUTE_TABLE)},
    {"ec2.amazonaws.com", "DescribeNetworkAcls", RO, false, K(NACL)},
    {"ec2.amazonaws.com", "DescribeVpnConnections", RO, false, K(VPN)},
    {"s3.amazonaws.com", "GetBucketEncryption", RO, false, K(BUCKET)},
    {"s3.amazonaws.com", "GetBucketPublicAccessBlock", RO, false, K(BUCKET)},
    {"iam.amazonaws.com", "ListAccessKeys", RO, false, K(USER)},
    {"iam.amazonaws.com", "GetAccountSummary", RO, false, NOK},
    {"iam.amazonaws.com", "GetAccountPasswordPolicy", RO, false, NOK},
    {"ec2.amazonaws.com", "DescribeImages", RO, false, NOK},
    {"ec2.amazonaws.com", "CreateNetworkInterface", RW, false, K(ENI)},
    {"ec2.amazonaws.com", "TerminateInstances", RW, false, K(INSTANCE)},
};
const size_t rp_sim_api_catalog_len = RP_ARRAY_LEN(rp_sim_api_catalog);

#undef RO
#undef RW
#undef K
#undef NOK

uint32_t rp_sim_api_find(const char *event_source, const char *event_name)
{
    for (size_t i = 0; i < rp_sim_api_catalog_len; i++)
        if (strcmp(rp_sim_api_catalog[i].event_source, event_source) == 0 &&
            strcmp(rp_sim_api_catalog[i].event_name, event_name) == 0)
            return (uint32_t)i;
    return RP_SIM_NONE;
}

/* ---- lifetime ----------------------------------------------------------------------------- */

void rp_sim_world_free(struct rp_sim_world *w)
{
    if (!w) return;
    for (int k = 0; k < RP_SIM_K__COUNT; k++) free(*arr_ptr(w, (enum rp_sim_kind)k));
    if (w->priv) {
        rp_arena_release(&w->priv->arena);
        free(w->priv);
    }
    free(w);
}

static bool region_ok(const char *s, size_t n)
{
    if (n == 0 || n >= RP_SIM_REGION_SZ) return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
    }
    return true;
}

rp_err rp_sim_world_new(const struct rp_sim_opts *o, struct rp_sim_world **out,
                        struct rp_errbuf *eb)
{
    struct rp_sim_opts dflt;
    if (!o) {
        rp_sim_opts_init(&dflt);
        o = &dflt;
    }
    *out = NULL;
    if (o->days < 1 || o->days > RP_SIM_MAX_DAYS)
        return rp_fail(eb, RP_EINVAL, "simulate: days %u out of range 1..%u", o->days,
                       RP_SIM_MAX_DAYS);
    if ((unsigned)o->scale > RP_SIM_SCALE_LARGE)
        return rp_fail(eb, RP_EINVAL, "simulate: bad scale %d", (int)o->scale);
    static const uint32_t dflt_accounts[] = {2, 4, 8};
    uint32_t nacct = o->accounts ? o->accounts : dflt_accounts[o->scale];
    if (nacct > RP_SIM_MAX_ACCOUNTS)
        return rp_fail(eb, RP_EINVAL, "simulate: accounts %u out of range 1..%u", nacct,
                       RP_SIM_MAX_ACCOUNTS);
    if (o->start_ms < 0 || o->start_ms > 4102444800000LL) /* 2100-01-01 */
        return rp_fail(eb, RP_EINVAL, "simulate: start time out of range");

    struct rp_sim_world *w = calloc(1, sizeof(*w));
    if (!w) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    w->priv = calloc(1, sizeof(*w->priv));
    if (!w->priv) {
        free(w);
        return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    }
    rp_arena_init(&w->priv->arena, 64 << 10);

    const char *regions = o->regions && *o->regions ? o->regions : "us-east-1,us-west-2";
    struct rp_str rest = rp_str_from(regions), tok;
    while (rp_str_split_next(&rest, ',', &tok)) {
        tok = rp_str_trim(tok);
        if (!region_ok(tok.p, tok.len)) {
            rp_sim_world_free(w);
            return rp_fail(eb, RP_EINVAL, "simulate: bad region '%.*s'", (int)tok.len, tok.p);
        }
        for (uint32_t i = 0; i < w->nregions; i++)
            if (strlen(w->regions[i]) == tok.len && memcmp(w->regions[i], tok.p, tok.len) == 0) {
                rp_sim_world_free(w);
                return rp_fail(eb, RP_EINVAL, "simulate: region '%.*s' given twice", (int)tok.len,
                               tok.p);
            }
        if (w->nregions == RP_SIM_MAX_REGIONS) {
            rp_sim_world_free(w);
            return rp_fail(eb, RP_EINVAL, "simulate: more than %d regions", RP_SIM_MAX_REGIONS);
        }
        memcpy(w->regions[w->nregions], tok.p, tok.len);
        w->regions[w->nregions][tok.len] = '\0';
        w->nregions++;
    }
    if (w->nregions == 0) {
        rp_sim_world_free(w);
        return rp_fail(eb, RP_EINVAL, "simulate: no region in '%s'", regions);
    }

    static const uint32_t activity[] = {1, 8, 64};
    w->seed = o->seed;
    w->scale = o->scale;
    w->activity_x = activity[o->scale];
    w->start_ms = o->start_ms - o->start_ms % RP_TIME_MS_PER_HOUR;
    w->end_ms = w->start_ms + (int64_t)o->days * RP_TIME_MS_PER_DAY;
    w->attack_ms = w->start_ms + (int64_t)rp_sim_learn_days(o) * RP_TIME_MS_PER_DAY;

    rp_err e = rp_sim_world_build(w, nacct, eb);
    if (e != RP_OK) {
        rp_sim_world_free(w);
        return e;
    }
    *out = w;
    return RP_OK;
}
