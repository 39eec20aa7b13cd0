/* SPDX-License-Identifier: Apache-2.0 */
/* bench_gen_events: the input of the threat-detection benchmark (bench/detect.sh, issue 5).
 *
 *     bench_gen_events cloudtrail --records N --files F --principals P --days D [--seed S] OUT
 *     bench_gen_events flow --records N --files F --enis K --days D [--seed S] OUT
 *
 * writes an S3-layout tree under OUT (AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/... or
 * .../vpcflowlogs/...; gzip, one region) of N records in F files, times rising evenly over D
 * days from 2024-03-01, and prints a manifest (key=value lines: counts, what was planted, the
 * finding types the plants should raise) on stdout.
 *
 * CloudTrail: {"Records":[...]} files of management events by P IAM users, each with its access
 * key, home /24, SDK user agent, working hours and a habit of 10-40 APIs (Zipf-weighted) drawn
 * from ~180 real API names across 25 services; 1% of calls fail with AccessDenied. Planted:
 * StopLogging calls, root-user calls, a Kali Linux user agent, non-habitual calls of each kind
 * of tactic from another user's network after the learning period, a discovery burst.
 * Flow: version-2 records of K interfaces (web, bastion, app, database roles) with private
 * addresses: outbound 443/80 to a pool of public servers, inbound 443 from the internet and 22
 * from admin offices, database and DNS traffic inside the VPC (each connection as its two
 * records), REJECTed internet scans, NODATA. Planted: SSH brute force against and from
 * instances, an outbound port scan, a stratum (mining) connection, connections to unusual ports.
 * Deterministic: the same arguments give the same bytes (splitmix64). */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <zlib.h>

#include "core/rp_str.h"
#include "core/rp_time.h"
#include "core/rp_banned.h"

#define ACCOUNT  "111122223333"
#define REGION   "us-east-1"
#define START_MS 1709251200000LL /* 2024-03-01T00:00:00Z */
#define DAY_MS   86400000LL

/* ---- random numbers ------------------------------------------------------------------------ */

static uint64_t rng;

static uint64_t next(void)
{
    /* splitmix64 */
    uint64_t z = (rng += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static unsigned below(unsigned n)
{
    return (unsigned)(next() % n);
}

static unsigned between(unsigned lo, unsigned hi) /* inclusive */
{
    return lo + below(hi - lo + 1);
}

/* A stable hash of (a, b), for per-entity values that must not depend on the draw order. */
static uint64_t mix(uint64_t a, uint64_t b)
{
    uint64_t z = a * 0x9e3779b97f4a7c15ull + b + 0x632be59bd9b4e019ull;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static void die(const char *what)
{
    fprintf(stderr, "bench_gen_events: %s: %s\n", what, strerror(errno));
    exit(1);
}

/* ---- output: one gzip file at a time ------------------------------------------------------- */

static char obuf[1 << 20];
static size_t olen;
static FILE *ofile;
static z_stream zs;
static unsigned char zbuf[1 << 16];
static uint64_t bytes_raw, bytes_gz;

static void deflate_out(int flush)
{
    zs.next_in = (unsigned char *)obuf;
    zs.avail_in = (uInt)olen;
    do {
        zs.next_out = zbuf;
        zs.avail_out = sizeof zbuf;
        if (deflate(&zs, flush) == Z_STREAM_ERROR) {
            fprintf(stderr, "bench_gen_events: deflate failed\n");
            exit(1);
        }
        size_t have = sizeof zbuf - zs.avail_out;
        if (have && fwrite(zbuf, 1, have, ofile) != have) die("write");
        bytes_gz += have;
    } while (zs.avail_out == 0 || (flush == Z_FINISH && zs.avail_in));
    bytes_raw += olen;
    olen = 0;
}

static void put(const char *p, size_t n)
{
    if (olen + n > sizeof obuf) deflate_out(Z_NO_FLUSH);
    memcpy(obuf + olen, p, n);
    olen += n;
}

static void puts_(const char *s)
{
    put(s, strlen(s));
}

static void mkdirs(char *path) /* every directory of path (a file path) */
{
    for (char *p = path + 1; *p; p++) {
        if (*p != '/') continue;
        *p = 0;
        if (mkdir(path, 0755) && errno != EEXIST) die(path);
        *p = '/';
    }
}

static void file_open(char *path)
{
    mkdirs(path);
    ofile = fopen(path, "wb");
    if (!ofile) die(path);
    memset(&zs, 0, sizeof zs);
    /* gzip wrapper (15 + 16), zlib's default level: the header has no name and mtime 0 */
    if (deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        fprintf(stderr, "bench_gen_events: deflateInit2 failed\n");
        exit(1);
    }
}

static void file_close(void)
{
    deflate_out(Z_FINISH);
    deflateEnd(&zs);
    if (fclose(ofile)) die("close");
    ofile = NULL;
}

/* ---- time and layout ----------------------------------------------------------------------- */

struct plan {
    uint64_t n, files;
    int64_t span_ms;
};

/* Time of slot i: evenly over the span, so times never go back. */
static int64_t slot_ms(const struct plan *pl, uint64_t i)
{
    return START_MS + (int64_t)(i * (uint64_t)pl->span_ms / pl->n);
}

/* First slot of file k (k == files gives n). */
static uint64_t file_first(const struct plan *pl, uint64_t k)
{
    return (k * pl->n + pl->files - 1) / pl->files;
}

static struct rp_time_civil civil(int64_t ms)
{
    struct rp_time_civil c;
    if (rp_time_to_civil(ms, &c)) memset(&c, 0, sizeof c);
    return c;
}

/* The S3 key of file k under out: the day directory and the stamp are those of the file's
 * last record, whose minute differs from every other file's (files span >= 2 minutes), so
 * the keys sort in time order as AWS's do. */
static void file_path(char *buf, size_t sz, const char *out, const struct plan *pl, uint64_t k,
                      bool flow)
{
    uint64_t last = file_first(pl, k + 1) - 1;
    struct rp_time_civil c = civil(slot_ms(pl, last));
    uint64_t h = mix(k, flow ? 2 : 1);
    char stamp[32], suffix[24];
    snprintf(stamp, sizeof stamp, "%04d%02d%02dT%02d%02dZ", c.year, c.month, c.day, c.hour,
             c.minute);
    if (flow) {
        snprintf(suffix, sizeof suffix, "%08" PRIx64, h & 0xffffffffu);
        snprintf(buf, sz,
                 "%s/AWSLogs/" ACCOUNT "/vpcflowlogs/" REGION "/%04d/%02d/%02d/" ACCOUNT
                 "_vpcflowlogs_" REGION "_fl-0a3c5e7f9b1d24680_%s_%s.log.gz",
                 out, c.year, c.month, c.day, stamp, suffix);
    } else {
        static const char al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        for (int i = 0; i < 16; i++) suffix[i] = al[(h >> (i * 4 % 60)) % 62];
        suffix[16] = 0;
        snprintf(buf, sz,
                 "%s/AWSLogs/" ACCOUNT "/CloudTrail/" REGION "/%04d/%02d/%02d/" ACCOUNT
                 "_CloudTrail_" REGION "_%s_%s.json.gz",
                 out, c.year, c.month, c.day, stamp, suffix);
    }
}

/* ---- planted episodes ---------------------------------------------------------------------- */

/* An episode writes its records at slots from `at`, `spacing` slots apart (a slot another
 * episode took pushes it to the next one), so that its records keep their real-time rhythm
 * at any volume. */
struct episode {
    uint64_t at, spacing;
    unsigned count, done;
    int kind;
    unsigned a, b; /* who: principal / interface, other party */
};

static uint64_t spacing_for(const struct plan *pl, double seconds)
{
    double per_s = (double)pl->n / ((double)pl->span_ms / 1000.0);
    double s = per_s * seconds;
    return s < 1 ? 1 : (uint64_t)s;
}

/* The episode due at slot i, or NULL. */
static struct episode *due(struct episode *ep, size_t nep, uint64_t i)
{
    for (size_t k = 0; k < nep; k++)
        if (ep[k].done < ep[k].count && ep[k].at <= i) return &ep[k];
    return NULL;
}

static void advance(struct episode *e, uint64_t i)
{
    e->done++;
    e->at = i + e->spacing;
}

/* ---- addresses ----------------------------------------------------------------------------- */

/* First octets of public IPv4 space (no private, shared, loopback, link-local, multicast,
 * documentation or benchmarking ranges). */
static const uint8_t pub_octets[] = {
    3,   13,  18,  23,  34,  35,  44,  50,  52,  54,  63,  64,  66,  68,  70,  72,
    73,  76,  81,  82,  84,  86,  87,  89,  90,  91,  93,  94,  95,  99,  104, 107,
    108, 109, 128, 129, 130, 131, 137, 138, 141, 142, 144, 147, 148, 151, 152, 155,
    157, 158, 160, 162, 164, 165, 167, 168, 170, 173, 174, 176, 178, 184, 188, 193,
    194, 195, 199, 201, 204, 205, 206, 207, 208, 209, 212, 213, 216, 217};

static uint32_t public_addr(uint64_t h)
{
    uint32_t a = pub_octets[h % sizeof pub_octets];
    return a << 24 | (uint32_t)((h >> 8) & 0xffff00u) | (uint32_t)(1 + (h >> 40) % 254);
}

static void ip_str(uint32_t a, char *buf, size_t sz)
{
    snprintf(buf, sz, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
}

/* ---- CloudTrail ---------------------------------------------------------------------------- */

enum pk {
    K_NULL,
    K_S3HOST,
    K_BUCKET,
    K_INSTANCE,
    K_FILTER,
    K_MAX,
    K_USER,
    K_ROLE,
    K_POLICY,
    K_FUNC,
    K_LOGGROUP,
    K_KMS,
    K_SECRET,
    K_PARAM,
    K_PATH,
    K_TABLE,
    K_QUEUE,
    K_TOPIC,
    K_STACK,
    K_CLUSTER,
    K_DB,
    K_LB,
    K_ASG,
    K_ZONE,
    K_REPO,
    K_ASSUME,
    K_TRAIL,
};

struct api {
    const char *svc; /* eventSource is svc + ".amazonaws.com" */
    const char *name;
    bool ro;
    enum pk k;
};

/* Management APIs people and tools call every day, by service. APIs that have a GuardDuty
 * signature of their own (StopLogging, DeleteTrail, UpdateTrail, PutEventSelectors,
 * PutBucketLogging, PutBucketPolicy, PutBucketAcl, the public-access-block and password-policy
 * calls, ConsoleLogin) are planted apart, never part of a habit. */
static const struct api apis[] = {
    {"ec2", "DescribeInstances", true, K_FILTER},
    {"ec2", "DescribeInstanceStatus", true, K_INSTANCE},
    {"ec2", "DescribeSecurityGroups", true, K_FILTER},
    {"ec2", "DescribeSubnets", true, K_FILTER},
    {"ec2", "DescribeVpcs", true, K_FILTER},
    {"ec2", "DescribeVolumes", true, K_FILTER},
    {"ec2", "DescribeSnapshots", true, K_MAX},
    {"ec2", "DescribeImages", true, K_FILTER},
    {"ec2", "DescribeNetworkInterfaces", true, K_FILTER},
    {"ec2", "DescribeRouteTables", true, K_FILTER},
    {"ec2", "DescribeAddresses", true, K_NULL},
    {"ec2", "DescribeKeyPairs", true, K_NULL},
    {"ec2", "DescribeTags", true, K_FILTER},
    {"ec2", "DescribeLaunchTemplates", true, K_MAX},
    {"ec2", "DescribeAvailabilityZones", true, K_NULL},
    {"ec2", "DescribeRegions", true, K_NULL},
    {"ec2", "StartInstances", false, K_INSTANCE},
    {"ec2", "StopInstances", false, K_INSTANCE},
    {"ec2", "RunInstances", false, K_INSTANCE},
    {"ec2", "TerminateInstances", false, K_INSTANCE},
    {"ec2", "CreateTags", false, K_INSTANCE},
    {"ec2", "DeleteTags", false, K_INSTANCE},
    {"ec2", "CreateSnapshot", false, K_INSTANCE},
    {"ec2", "CreateVolume", false, K_NULL},
    {"ec2", "AttachVolume", false, K_INSTANCE},
    {"ec2", "ModifyInstanceAttribute", false, K_INSTANCE},
    {"ec2", "AuthorizeSecurityGroupIngress", false, K_FILTER},
    {"ec2", "RevokeSecurityGroupIngress", false, K_FILTER},
    {"s3", "ListBuckets", true, K_S3HOST},
    {"s3", "GetBucketLocation", true, K_BUCKET},
    {"s3", "GetBucketVersioning", true, K_BUCKET},
    {"s3", "GetBucketTagging", true, K_BUCKET},
    {"s3", "GetBucketEncryption", true, K_BUCKET},
    {"s3", "GetBucketLifecycle", true, K_BUCKET},
    {"s3", "GetBucketPolicy", true, K_BUCKET},
    {"s3", "GetBucketAcl", true, K_BUCKET},
    {"s3", "CreateBucket", false, K_BUCKET},
    {"s3", "PutBucketTagging", false, K_BUCKET},
    {"s3", "PutBucketVersioning", false, K_BUCKET},
    {"s3", "PutBucketLifecycle", false, K_BUCKET},
    {"s3", "PutBucketEncryption", false, K_BUCKET},
    {"iam", "ListUsers", true, K_MAX},
    {"iam", "ListRoles", true, K_MAX},
    {"iam", "ListPolicies", true, K_MAX},
    {"iam", "GetUser", true, K_USER},
    {"iam", "GetRole", true, K_ROLE},
    {"iam", "GetPolicy", true, K_POLICY},
    {"iam", "GetPolicyVersion", true, K_POLICY},
    {"iam", "ListAttachedRolePolicies", true, K_ROLE},
    {"iam", "ListAttachedUserPolicies", true, K_USER},
    {"iam", "ListGroupsForUser", true, K_USER},
    {"iam", "ListAccessKeys", true, K_USER},
    {"iam", "GetAccountSummary", true, K_NULL},
    {"iam", "ListMFADevices", true, K_USER},
    {"iam", "ListInstanceProfiles", true, K_MAX},
    {"iam", "CreateRole", false, K_ROLE},
    {"iam", "AttachRolePolicy", false, K_ROLE},
    {"iam", "PutRolePolicy", false, K_ROLE},
    {"iam", "CreatePolicy", false, K_POLICY},
    {"iam", "CreatePolicyVersion", false, K_POLICY},
    {"iam", "TagRole", false, K_ROLE},
    {"iam", "UpdateAssumeRolePolicy", false, K_ROLE},
    {"sts", "GetCallerIdentity", true, K_NULL},
    {"sts", "AssumeRole", true, K_ASSUME},
    {"sts", "GetSessionToken", true, K_NULL},
    {"lambda", "ListFunctions20150331", true, K_NULL},
    {"lambda", "GetFunction20150331v2", true, K_FUNC},
    {"lambda", "GetFunctionConfiguration20150331v2", true, K_FUNC},
    {"lambda", "UpdateFunctionCode20150331v2", false, K_FUNC},
    {"lambda", "UpdateFunctionConfiguration20150331v2", false, K_FUNC},
    {"lambda", "CreateFunction20150331", false, K_FUNC},
    {"lambda", "PublishVersion20150331", false, K_FUNC},
    {"lambda", "ListVersionsByFunction20150331", true, K_FUNC},
    {"lambda", "ListEventSourceMappings20150331", true, K_FUNC},
    {"monitoring", "DescribeAlarms", true, K_MAX},
    {"monitoring", "GetMetricData", true, K_NULL},
    {"monitoring", "ListMetrics", true, K_NULL},
    {"monitoring", "PutMetricAlarm", false, K_NULL},
    {"monitoring", "GetMetricStatistics", true, K_NULL},
    {"logs", "DescribeLogGroups", true, K_MAX},
    {"logs", "DescribeLogStreams", true, K_LOGGROUP},
    {"logs", "CreateLogGroup", false, K_LOGGROUP},
    {"logs", "PutRetentionPolicy", false, K_LOGGROUP},
    {"logs", "FilterLogEvents", true, K_LOGGROUP},
    {"logs", "GetLogEvents", true, K_LOGGROUP},
    {"logs", "StartQuery", true, K_LOGGROUP},
    {"logs", "GetQueryResults", true, K_NULL},
    {"logs", "CreateLogStream", false, K_LOGGROUP},
    {"kms", "Decrypt", true, K_KMS},
    {"kms", "Encrypt", true, K_KMS},
    {"kms", "GenerateDataKey", true, K_KMS},
    {"kms", "DescribeKey", true, K_KMS},
    {"kms", "ListKeys", true, K_MAX},
    {"kms", "ListAliases", true, K_MAX},
    {"kms", "CreateGrant", false, K_KMS},
    {"kms", "GetKeyPolicy", true, K_KMS},
    {"secretsmanager", "GetSecretValue", true, K_SECRET},
    {"secretsmanager", "DescribeSecret", true, K_SECRET},
    {"secretsmanager", "ListSecrets", true, K_MAX},
    {"secretsmanager", "PutSecretValue", false, K_SECRET},
    {"secretsmanager", "CreateSecret", false, K_SECRET},
    {"ssm", "GetParameter", true, K_PARAM},
    {"ssm", "GetParameters", true, K_PARAM},
    {"ssm", "GetParametersByPath", true, K_PATH},
    {"ssm", "DescribeParameters", true, K_MAX},
    {"ssm", "PutParameter", false, K_PARAM},
    {"ssm", "DescribeInstanceInformation", true, K_MAX},
    {"ssm", "SendCommand", false, K_INSTANCE},
    {"ssm", "ListCommands", true, K_MAX},
    {"dynamodb", "DescribeTable", true, K_TABLE},
    {"dynamodb", "ListTables", true, K_NULL},
    {"dynamodb", "CreateTable", false, K_TABLE},
    {"dynamodb", "UpdateTable", false, K_TABLE},
    {"dynamodb", "DescribeContinuousBackups", true, K_TABLE},
    {"dynamodb", "ListTagsOfResource", true, K_TABLE},
    {"sqs", "ListQueues", true, K_NULL},
    {"sqs", "GetQueueAttributes", true, K_QUEUE},
    {"sqs", "CreateQueue", false, K_QUEUE},
    {"sqs", "SetQueueAttributes", false, K_QUEUE},
    {"sns", "ListTopics", true, K_NULL},
    {"sns", "GetTopicAttributes", true, K_TOPIC},
    {"sns", "CreateTopic", false, K_TOPIC},
    {"sns", "Subscribe", false, K_TOPIC},
    {"sns", "ListSubscriptions", true, K_NULL},
    {"cloudformation", "DescribeStacks", true, K_STACK},
    {"cloudformation", "ListStacks", true, K_NULL},
    {"cloudformation", "DescribeStackEvents", true, K_STACK},
    {"cloudformation", "DescribeStackResources", true, K_STACK},
    {"cloudformation", "CreateStack", false, K_STACK},
    {"cloudformation", "UpdateStack", false, K_STACK},
    {"cloudformation", "GetTemplate", true, K_STACK},
    {"cloudformation", "ValidateTemplate", true, K_NULL},
    {"cloudformation", "CreateChangeSet", false, K_STACK},
    {"cloudformation", "ExecuteChangeSet", false, K_STACK},
    {"cloudformation", "DescribeChangeSet", true, K_STACK},
    {"ecr", "DescribeRepositories", true, K_MAX},
    {"ecr", "GetAuthorizationToken", true, K_NULL},
    {"ecr", "DescribeImages", true, K_REPO},
    {"ecr", "ListImages", true, K_REPO},
    {"ecr", "CreateRepository", false, K_REPO},
    {"ecr", "PutLifecyclePolicy", false, K_REPO},
    {"ecs", "ListClusters", true, K_NULL},
    {"ecs", "DescribeClusters", true, K_CLUSTER},
    {"ecs", "ListServices", true, K_CLUSTER},
    {"ecs", "DescribeServices", true, K_CLUSTER},
    {"ecs", "DescribeTaskDefinition", true, K_CLUSTER},
    {"ecs", "RegisterTaskDefinition", false, K_CLUSTER},
    {"ecs", "UpdateService", false, K_CLUSTER},
    {"ecs", "ListTasks", true, K_CLUSTER},
    {"ecs", "DescribeTasks", true, K_CLUSTER},
    {"eks", "ListClusters", true, K_NULL},
    {"eks", "DescribeCluster", true, K_CLUSTER},
    {"eks", "ListNodegroups", true, K_CLUSTER},
    {"eks", "DescribeNodegroup", true, K_CLUSTER},
    {"rds", "DescribeDBInstances", true, K_DB},
    {"rds", "DescribeDBClusters", true, K_NULL},
    {"rds", "DescribeDBSnapshots", true, K_DB},
    {"rds", "CreateDBSnapshot", false, K_DB},
    {"rds", "ModifyDBInstance", false, K_DB},
    {"rds", "DescribeDBParameterGroups", true, K_NULL},
    {"elasticloadbalancing", "DescribeLoadBalancers", true, K_LB},
    {"elasticloadbalancing", "DescribeTargetGroups", true, K_LB},
    {"elasticloadbalancing", "DescribeTargetHealth", true, K_LB},
    {"elasticloadbalancing", "DescribeListeners", true, K_LB},
    {"elasticloadbalancing", "RegisterTargets", false, K_LB},
    {"elasticloadbalancing", "DeregisterTargets", false, K_LB},
    {"autoscaling", "DescribeAutoScalingGroups", true, K_ASG},
    {"autoscaling", "DescribeLaunchConfigurations", true, K_NULL},
    {"autoscaling", "UpdateAutoScalingGroup", false, K_ASG},
    {"autoscaling", "SetDesiredCapacity", false, K_ASG},
    {"route53", "ListHostedZones", true, K_NULL},
    {"route53", "ListResourceRecordSets", true, K_ZONE},
    {"route53", "ChangeResourceRecordSets", false, K_ZONE},
    {"route53", "GetHostedZone", true, K_ZONE},
    {"cloudtrail", "DescribeTrails", true, K_NULL},
    {"cloudtrail", "GetTrailStatus", true, K_TRAIL},
    {"cloudtrail", "LookupEvents", true, K_NULL},
    {"cloudtrail", "ListTrails", true, K_NULL},
    {"config", "DescribeConfigRules", true, K_NULL},
    {"config", "DescribeConfigurationRecorders", true, K_NULL},
    {"acm", "ListCertificates", true, K_NULL},
    {"acm", "DescribeCertificate", true, K_NULL},
    {"apigateway", "GetRestApis", true, K_NULL},
    {"apigateway", "GetStages", true, K_NULL},
};
#define NAPIS (sizeof apis / sizeof apis[0])

/* Calls of each kind of tactic that no habit holds, planted after the learning period from
 * another user's network and user agent (the IAMUser/AnomalousBehavior types). */
static const struct api odd_apis[] = {
    {"iam", "CreateAccessKey", false, K_USER},             /* Persistence */
    {"iam", "PutUserPolicy", false, K_USER},               /* PrivilegeEscalation */
    {"ec2", "GetPasswordData", true, K_INSTANCE},          /* CredentialAccess */
    {"ec2", "DeleteFlowLogs", false, K_NULL},              /* DefenseEvasion */
    {"ec2", "ModifySnapshotAttribute", false, K_INSTANCE}, /* Exfiltration */
    {"dynamodb", "DeleteTable", false, K_TABLE},           /* Impact */
};
#define NODD (sizeof odd_apis / sizeof odd_apis[0])

static const struct api stop_logging = {"cloudtrail", "StopLogging", false, K_TRAIL};

static const char *const user_agents[] = {
    "aws-cli/2.15.30 Python/3.11.8 Linux/5.10.210-201.852.amzn2.x86_64 exe/x86_64.amzn.2 "
    "prompt/off",
    "aws-cli/2.13.25 Python/3.11.5 Darwin/23.1.0 exe/x86_64 prompt/off",
    "Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#5.15.0-1051-aws md/arch#x86_64 "
    "lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.69",
    "aws-sdk-go-v2/1.25.2 os/linux lang/go#1.22.1 md/GOOS#linux md/GOARCH#amd64",
    "APN/1.0 HashiCorp/1.0 Terraform/1.7.5 (+https://www.terraform.io) "
    "terraform-provider-aws/5.42.0 (+https://registry.terraform.io/providers/hashicorp/aws) "
    "aws-sdk-go-v2/1.25.3 os/linux lang/go#1.22.1 md/GOOS#linux md/GOARCH#amd64",
    "aws-sdk-java/2.25.10 Linux/5.10.210-201.852.amzn2.x86_64 "
    "OpenJDK_64-Bit_Server_VM/17.0.10+7-LTS Java/17.0.10 vendor/Amazon.com_Inc. io/sync "
    "http/Apache cfg/retry-mode/legacy",
    "aws-sdk-nodejs/2.1590.0 linux/v18.19.1 promise",
    "aws-sdk-dotnet-coreclr/3.7.300.50 aws-sdk-dotnet-core/3.7.302.15 .NET_Core/8.0.3 "
    "OS/Microsoft_Windows_10.0.20348 ClientAsync",
    "aws-sdk-ruby3/3.191.3 ua/2.0 os/linux md/x86_64 lang/ruby#3.2.3 md/3.2.3",
    "aws-cli/2.15.10 Python/3.11.6 Windows/10 exe/AMD64 prompt/off",
};
#define NUA (sizeof user_agents / sizeof user_agents[0])
/* Family of each user agent above (aws-cli three times): planted calls use another family. */
static const uint8_t ua_family[NUA] = {0, 0, 1, 2, 3, 4, 5, 6, 7, 0};

static const char kali_ua[] = "aws-cli/2.13.5 Python/3.11.4 Linux/6.3.0-kali1-amd64 "
                              "exe/x86_64.kali.2023 prompt/off";

static const char *const firsts[] = {
    "alice",   "bob",    "carol", "dave",  "erin",  "frank",  "grace", "heidi", "ivan",   "judy",
    "mallory", "nina",   "oscar", "peggy", "quinn", "rupert", "sybil", "trent", "ursula", "victor",
    "wendy",   "xavier", "yara",  "zoe",   "amir",  "bea",    "chen",  "dina",  "emil",   "fatima"};
static const char *const lasts[] = {"martin",   "garcia", "novak",  "kim",    "silva",  "okafor",
                                    "berg",     "rossi",  "tanaka", "muller", "dubois", "jensen",
                                    "kowalski", "singh",  "nguyen", "haddad"};
static const char *const teams[] = {"payments", "search", "platform", "data",    "identity",
                                    "billing",  "mobile", "growth",   "infra",   "ml",
                                    "checkout", "ledger", "catalog",  "support", "risk"};
#define PICKN(a) (sizeof(a) / sizeof((a)[0]))

#define MAX_HABIT 40

struct principal {
    char user[40];
    char key[24];
    char pid[24];
    uint32_t net; /* home /24 */
    uint8_t ua, start_hour, hours;
    uint8_t team;
    uint8_t napi;
    uint16_t api[MAX_HABIT];
    uint32_t cum[MAX_HABIT]; /* cumulative Zipf weights */
};

static struct principal *pr;
static unsigned npr;
static unsigned *by_hour[24]; /* principals at work in each hour of day (UTC) */
static unsigned n_by_hour[24];

static void rand_chars(char *out, const char *alphabet, size_t alen, unsigned n, uint64_t h)
{
    for (unsigned i = 0; i < n; i++) {
        if (i && i % 12 == 0) h = mix(h, i);
        out[i] = alphabet[h % alen];
        h /= alen;
    }
    out[n] = 0;
}

static void make_principals(unsigned n)
{
    static const char b32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    pr = calloc(n, sizeof *pr);
    if (!pr) die("calloc");
    npr = n;
    for (unsigned p = 0; p < n; p++) {
        struct principal *q = &pr[p];
        uint64_t h = mix(p, 0x5eed);
        unsigned kind = (unsigned)(h % 10);
        const char *first = firsts[(h >> 8) % PICKN(firsts)];
        const char *last = lasts[(h >> 16) % PICKN(lasts)];
        q->team = (uint8_t)((h >> 24) % PICKN(teams));
        if (kind < 7)
            snprintf(q->user, sizeof q->user, "%s.%s%u", first, last, p);
        else if (kind < 9)
            snprintf(q->user, sizeof q->user, "svc-%s-%u", teams[q->team], p);
        else
            snprintf(q->user, sizeof q->user, "ci-deploy-%s-%u", teams[q->team], p);
        memcpy(q->key, "AKIA", 4);
        rand_chars(q->key + 4, b32, 32, 16, mix(p, 1));
        memcpy(q->pid, "AIDA", 4);
        rand_chars(q->pid + 4, b32, 32, 17, mix(p, 2));
        q->net = public_addr(mix(p, 3)) & 0xffffff00u;
        q->ua = (uint8_t)(mix(p, 4) % NUA);
        q->start_hour = (uint8_t)((p * 24u / n + (unsigned)(mix(p, 5) % 3)) % 24);
        q->hours = (uint8_t)(8 + mix(p, 6) % 4);
        q->napi = (uint8_t)(10 + mix(p, 7) % (MAX_HABIT - 9));
        uint32_t cum = 0;
        for (unsigned i = 0; i < q->napi; i++) {
            unsigned a;
            bool dup;
            uint64_t s = mix(p, 100 + i);
            do {
                a = (unsigned)(s % NAPIS);
                dup = false;
                for (unsigned j = 0; j < i; j++) dup |= q->api[j] == a;
                s = mix(s, 7);
            } while (dup);
            q->api[i] = (uint16_t)a;
            cum += 100000u / (i + 1);
            q->cum[i] = cum;
        }
    }
    for (unsigned hr = 0; hr < 24; hr++) {
        by_hour[hr] = malloc((size_t)n * sizeof **by_hour);
        if (!by_hour[hr]) die("malloc");
        for (unsigned p = 0; p < n; p++) {
            unsigned off = (hr + 24 - pr[p].start_hour) % 24;
            if (off < pr[p].hours) by_hour[hr][n_by_hour[hr]++] = p;
        }
    }
}

static const struct api *api_named(const char *name)
{
    for (size_t a = 0; a < NAPIS; a++)
        if (!strcmp(apis[a].name, name)) return &apis[a];
    fprintf(stderr, "bench_gen_events: no API %s\n", name);
    exit(1);
}

static bool in_habit(const struct principal *q, unsigned a)
{
    for (unsigned i = 0; i < q->napi; i++)
        if (q->api[i] == a) return true;
    return false;
}

static unsigned pick_api(const struct principal *q)
{
    uint32_t r = (uint32_t)(next() % q->cum[q->napi - 1]);
    unsigned i = 0;
    while (q->cum[i] <= r) i++;
    return q->api[i];
}

static void uuid(char *out) /* 36 characters and a NUL */
{
    uint64_t a = next(), b = next();
    snprintf(out, 37, "%08x-%04x-4%03x-%04x-%012" PRIx64, (unsigned)(a >> 32),
             (unsigned)(a >> 16) & 0xffff, (unsigned)a & 0xfff, (unsigned)(0x8000 | (b & 0x3fff)),
             (b >> 16) & UINT64_C(0xffffffffffff));
}

static void params(char *buf, size_t sz, const struct api *a, const struct principal *q, unsigned p)
{
    const char *t = teams[q->team];
    uint64_t h = mix(p, 9);
    switch (a->k) {
    case K_NULL:
        snprintf(buf, sz, "null");
        break;
    case K_S3HOST:
        snprintf(buf, sz, "{\"Host\":\"s3.amazonaws.com\"}");
        break;
    case K_BUCKET:
        snprintf(buf, sz,
                 "{\"bucketName\":\"examplecorp-%s-%u\",\"Host\":\"examplecorp-%s-%u.s3.amazonaws."
                 "com\"}",
                 t, p % 97, t, p % 97);
        break;
    case K_INSTANCE:
        snprintf(buf, sz, "{\"instancesSet\":{\"items\":[{\"instanceId\":\"i-0%016" PRIx64 "\"}]}}",
                 h & UINT64_C(0x0fffffffffffffff));
        break;
    case K_FILTER:
        snprintf(buf, sz,
                 "{\"filterSet\":{\"items\":[{\"name\":\"tag:team\",\"valueSet\":{\"items\":[{"
                 "\"value\":\"%s\"}]}}]}}",
                 t);
        break;
    case K_MAX:
        snprintf(buf, sz, "{\"maxResults\":%u}", 50u << (h % 3));
        break;
    case K_USER:
        snprintf(buf, sz, "{\"userName\":\"%s\"}", q->user);
        break;
    case K_ROLE:
        snprintf(buf, sz, "{\"roleName\":\"%s-service-role\"}", t);
        break;
    case K_POLICY:
        snprintf(buf, sz, "{\"policyArn\":\"arn:aws:iam::" ACCOUNT ":policy/%s-access\"}", t);
        break;
    case K_FUNC:
        snprintf(buf, sz, "{\"functionName\":\"%s-worker-%u\"}", t, p % 7);
        break;
    case K_LOGGROUP:
        snprintf(buf, sz, "{\"logGroupName\":\"/aws/lambda/%s-worker-%u\"}", t, p % 7);
        break;
    case K_KMS:
        snprintf(buf, sz,
                 "{\"keyId\":\"arn:aws:kms:" REGION ":" ACCOUNT
                 ":key/%08x-%04x-4%03x-a%03x-%012" PRIx64
                 "\",\"encryptionAlgorithm\":\"SYMMETRIC_DEFAULT\"}",
                 (unsigned)(h >> 32), (unsigned)(h >> 16) & 0xffff, (unsigned)h & 0xfff,
                 (unsigned)(h >> 20) & 0xfff, mix(h, 1) & UINT64_C(0xffffffffffff));
        break;
    case K_SECRET:
        snprintf(buf, sz, "{\"secretId\":\"prod/%s/db-credentials\"}", t);
        break;
    case K_PARAM:
        snprintf(buf, sz, "{\"name\":\"/%s/prod/db-password\",\"withDecryption\":true}", t);
        break;
    case K_PATH:
        snprintf(buf, sz, "{\"path\":\"/%s/prod/\",\"recursive\":true,\"withDecryption\":true}", t);
        break;
    case K_TABLE:
        snprintf(buf, sz, "{\"tableName\":\"%s-orders\"}", t);
        break;
    case K_QUEUE:
        snprintf(buf, sz,
                 "{\"queueUrl\":\"https://sqs." REGION ".amazonaws.com/" ACCOUNT "/%s-jobs\","
                 "\"attributeNames\":[\"All\"]}",
                 t);
        break;
    case K_TOPIC:
        snprintf(buf, sz, "{\"topicArn\":\"arn:aws:sns:" REGION ":" ACCOUNT ":%s-alerts\"}", t);
        break;
    case K_STACK:
        snprintf(buf, sz, "{\"stackName\":\"%s-service\"}", t);
        break;
    case K_CLUSTER:
        snprintf(buf, sz, "{\"cluster\":\"%s-cluster\"}", t);
        break;
    case K_DB:
        snprintf(buf, sz, "{\"dBInstanceIdentifier\":\"%s-db-1\"}", t);
        break;
    case K_LB:
        snprintf(buf, sz,
                 "{\"loadBalancerArns\":[\"arn:aws:elasticloadbalancing:" REGION ":" ACCOUNT
                 ":loadbalancer/app/%s-alb/%016" PRIx64 "\"]}",
                 t, h);
        break;
    case K_ASG:
        snprintf(buf, sz, "{\"autoScalingGroupNames\":[\"%s-asg\"]}", t);
        break;
    case K_ZONE:
        snprintf(buf, sz, "{\"hostedZoneId\":\"Z0%016" PRIX64 "\"}", mix(q->team, 11));
        break;
    case K_REPO:
        snprintf(buf, sz, "{\"repositoryName\":\"%s/service\"}", t);
        break;
    case K_ASSUME:
        snprintf(buf, sz,
                 "{\"roleArn\":\"arn:aws:iam::" ACCOUNT ":role/%s-deploy\",\"roleSessionName\":"
                 "\"%s\",\"durationSeconds\":3600}",
                 t, q->user);
        break;
    case K_TRAIL:
        snprintf(buf, sz,
                 "{\"name\":\"arn:aws:cloudtrail:" REGION ":" ACCOUNT
                 ":trail/management-events\"}");
        break;
    }
}

static void host_of(char *buf, size_t sz, const char *svc)
{
    if (!strcmp(svc, "iam") || !strcmp(svc, "route53") || !strcmp(svc, "s3"))
        snprintf(buf, sz, "%s.amazonaws.com", svc);
    else
        snprintf(buf, sz, "%s." REGION ".amazonaws.com", svc);
}

struct ct_counts {
    uint64_t stop_logging, root, kali, odd, burst, denied;
};

/* One event. who: principal index, or -1 for the root user. */
static void ct_event(int64_t ms, const struct api *a, int who, uint32_t ip, const char *ua,
                     bool denied, bool first)
{
    static char rec[8192];
    char when[32], ipb[20], host[64], prm[512], req[40], eid[40], ident[512], res[256], err[512];
    const struct principal *q = who >= 0 ? &pr[who] : NULL;
    if (rp_time_format_iso_s(ms, when, sizeof when)) when[0] = 0;
    ip_str(ip, ipb, sizeof ipb);
    host_of(host, sizeof host, a->svc);
    if (q)
        params(prm, sizeof prm, a, q, (unsigned)who);
    else
        snprintf(prm, sizeof prm, "null");
    uuid(req);
    uuid(eid);
    if (q)
        snprintf(ident, sizeof ident,
                 "{\"type\":\"IAMUser\",\"principalId\":\"%s\",\"arn\":\"arn:aws:iam::" ACCOUNT
                 ":user/%s\",\"accountId\":\"" ACCOUNT "\",\"accessKeyId\":\"%s\",\"userName\":"
                 "\"%s\"}",
                 q->pid, q->user, q->key, q->user);
    else
        snprintf(ident, sizeof ident,
                 "{\"type\":\"Root\",\"principalId\":\"" ACCOUNT
                 "\",\"arn\":\"arn:aws:iam::" ACCOUNT ":root\",\"accountId\":\"" ACCOUNT
                 "\",\"accessKeyId\":\"AKIAZ7ROOTK3Y4EXAMPL\"}");
    res[0] = 0;
    if (a->k == K_KMS && q) {
        uint64_t h = mix((uint64_t)who, 9);
        snprintf(res, sizeof res,
                 "\"resources\":[{\"accountId\":\"" ACCOUNT "\",\"type\":\"AWS::KMS::Key\","
                 "\"ARN\":\"arn:aws:kms:" REGION ":" ACCOUNT
                 ":key/%08x-%04x-4%03x-a%03x-%012" PRIx64 "\"}],",
                 (unsigned)(h >> 32), (unsigned)(h >> 16) & 0xffff, (unsigned)h & 0xfff,
                 (unsigned)(h >> 20) & 0xfff, mix(h, 1) & UINT64_C(0xffffffffffff));
    } else if (a->k == K_ASSUME && q) {
        snprintf(res, sizeof res,
                 "\"resources\":[{\"accountId\":\"" ACCOUNT "\",\"type\":\"AWS::IAM::Role\","
                 "\"ARN\":\"arn:aws:iam::" ACCOUNT ":role/%s-deploy\"}],",
                 teams[q->team]);
    }
    err[0] = 0;
    if (denied && q)
        snprintf(err, sizeof err,
                 "\"errorCode\":\"AccessDenied\",\"errorMessage\":\"User: arn:aws:iam::" ACCOUNT
                 ":user/%s is not authorized to perform: %s:%s because no identity-based policy "
                 "allows the %s:%s action\",",
                 q->user, a->svc, a->name, a->svc, a->name);
    int n =
        snprintf(rec, sizeof rec,
                 "%s{\"eventVersion\":\"1.09\",\"userIdentity\":%s,\"eventTime\":\"%s\","
                 "\"eventSource\":\"%s.amazonaws.com\",\"eventName\":\"%s\",\"awsRegion\":\"" REGION
                 "\",\"sourceIPAddress\":\"%s\",\"userAgent\":\"%s\",%s"
                 "\"requestParameters\":%s,\"responseElements\":null,\"requestID\":\"%s\","
                 "\"eventID\":\"%s\",\"readOnly\":%s,%s\"eventType\":\"AwsApiCall\","
                 "\"managementEvent\":true,\"recipientAccountId\":\"" ACCOUNT "\","
                 "\"eventCategory\":\"Management\",\"tlsDetails\":{\"tlsVersion\":\"TLSv1.3\","
                 "\"cipherSuite\":\"TLS_AES_128_GCM_SHA256\",\"clientProvidedHostHeader\":"
                 "\"%s\"}}",
                 first ? "" : ",", ident, when, a->svc, a->name, ipb, ua, err, prm, req, eid,
                 a->ro ? "true" : "false", res, host);
    if (n < 0 || (size_t)n >= sizeof rec) {
        fprintf(stderr, "bench_gen_events: record too long\n");
        exit(1);
    }
    put(rec, (size_t)n);
}

enum ct_kind { E_STOP, E_ROOT, E_KALI, E_ODD, E_BURST };

static void gen_cloudtrail(const char *out, const struct plan *pl, unsigned nprin)
{
    make_principals(nprin);
    /* the planted episodes, at fixed fractions of the period (learning ends on day 7) */
    struct episode ep[16];
    size_t nep = 0;
#define PLANT(frac, k, cnt, who, other)                                                            \
    ep[nep++] = (struct episode){.at = (uint64_t)((double)pl->n * (frac)),                         \
                                 .spacing = 1,                                                     \
                                 .count = (cnt),                                                   \
                                 .kind = (k),                                                      \
                                 .a = (who),                                                       \
                                 .b = (other)}
    PLANT(0.20, E_ROOT, 1, 0, 0);
    PLANT(0.30, E_STOP, 1, nprin / 3, 0);
    PLANT(0.50, E_KALI, 2, nprin / 5, 0);
    PLANT(0.60, E_STOP, 1, nprin / 7, 0);
    PLANT(0.65, E_ROOT, 1, 0, 0);
    for (unsigned i = 0; i < NODD; i++)
        PLANT(0.66 + 0.04 * i, E_ODD, 1, (nprin / 11 + i * 7919u) % nprin, i);
    PLANT(0.92, E_BURST, 25, nprin / 13, 0);
    PLANT(0.95, E_STOP, 1, nprin / 17, 0);
#undef PLANT
    struct ct_counts cnt = {0};
    char path[4096];
    uint64_t i = 0;
    for (uint64_t f = 0; f < pl->files; f++) {
        file_path(path, sizeof path, out, pl, f, false);
        file_open(path);
        puts_("{\"Records\":[");
        uint64_t end = file_first(pl, f + 1);
        bool first = true;
        for (; i < end; i++, first = false) {
            int64_t ms = slot_ms(pl, i);
            struct episode *e = due(ep, nep, i);
            if (e) {
                const struct principal *q = &pr[e->a];
                const struct principal *o = &pr[(e->a + npr / 2 + 1) % npr];
                uint32_t away = o->net | (1 + (uint32_t)below(254));
                unsigned oua = (unsigned)q->ua;
                while (ua_family[oua] == ua_family[q->ua]) oua = (oua + 1) % NUA;
                switch (e->kind) {
                case E_STOP:
                    ct_event(ms, &stop_logging, (int)e->a, q->net | between(1, 254),
                             user_agents[q->ua], false, first);
                    cnt.stop_logging++;
                    break;
                case E_ROOT:
                    ct_event(ms, api_named("GetAccountSummary"), -1, away, user_agents[1], false,
                             first);
                    cnt.root++;
                    break;
                case E_KALI:
                    ct_event(ms, api_named(e->done ? "ListBuckets" : "GetCallerIdentity"),
                             (int)e->a, away, kali_ua, false, first);
                    cnt.kali++;
                    break;
                case E_ODD:
                    ct_event(ms, &odd_apis[e->b], (int)e->a, away, user_agents[oua], false, first);
                    cnt.odd++;
                    break;
                case E_BURST: {
                    /* the done-th Get/Describe/List API this principal never calls */
                    unsigned seen = 0, a = 0;
                    for (a = 0; a < NAPIS; a++) {
                        const char *nm = apis[a].name;
                        bool disc =
                            !strncmp(nm, "Describe", 8) || !strncmp(nm, "List", 4) ||
                            (!strncmp(nm, "Get", 3) && strcmp(apis[a].svc, "ssm") &&
                             strcmp(apis[a].svc, "secretsmanager") &&
                             strcmp(nm, "GetAuthorizationToken") && strcmp(nm, "GetSessionToken"));
                        if (!disc || in_habit(q, a)) continue;
                        if (seen++ == e->done) break;
                    }
                    if (a == NAPIS) a = 0;
                    ct_event(ms, &apis[a], (int)e->a, q->net | between(1, 254), user_agents[q->ua],
                             false, first);
                    cnt.burst++;
                    break;
                }
                }
                advance(e, i);
                continue;
            }
            unsigned hr = (unsigned)((ms / 3600000) % 24);
            unsigned p = n_by_hour[hr] ? by_hour[hr][below(n_by_hour[hr])] : below(npr);
            const struct principal *q = &pr[p];
            const struct api *a = &apis[pick_api(q)];
            bool denied = below(100) == 0;
            cnt.denied += denied;
            ct_event(ms, a, (int)p, q->net | between(1, 254), user_agents[q->ua], denied, first);
        }
        puts_("]}");
        file_close();
    }
    printf("source=cloudtrail\nrecords=%" PRIu64 "\nfiles=%" PRIu64 "\nprincipals=%u\n", pl->n,
           pl->files, nprin);
    printf("bytes=%" PRIu64 "\nbytes_gz=%" PRIu64 "\n", bytes_raw, bytes_gz);
    printf("access_denied=%" PRIu64 "\n", cnt.denied);
    printf("planted_stop_logging=%" PRIu64 "\nplanted_root=%" PRIu64 "\nplanted_kali=%" PRIu64
           "\nplanted_unusual_calls=%" PRIu64 "\nplanted_discovery_burst=%" PRIu64 "\n",
           cnt.stop_logging, cnt.root, cnt.kali, cnt.odd, cnt.burst);
    printf("expect=Stealth:IAMUser/CloudTrailLoggingDisabled Policy:IAMUser/RootCredentialUsage "
           "PenTest:IAMUser/KaliLinux Persistence:IAMUser/AnomalousBehavior "
           "PrivilegeEscalation:IAMUser/AnomalousBehavior "
           "CredentialAccess:IAMUser/AnomalousBehavior DefenseEvasion:IAMUser/AnomalousBehavior "
           "Exfiltration:IAMUser/AnomalousBehavior Impact:IAMUser/AnomalousBehavior "
           "Discovery:IAMUser/AnomalousBehavior\n");
}

/* ---- VPC Flow Logs ------------------------------------------------------------------------- */

enum role { R_WEB, R_BASTION, R_APP, R_DB };

struct eni {
    char id[24];
    uint32_t ip;
    uint8_t role;
};

static struct eni *en;
static unsigned nen;
static unsigned *by_role[4], n_by_role[4];

#define NSERVERS 20000
#define NOFFICES 24

static uint32_t servers[NSERVERS], offices[NOFFICES];

static void make_enis(unsigned n)
{
    en = calloc(n, sizeof *en);
    if (!en) die("calloc");
    nen = n;
    for (unsigned r = 0; r < 4; r++) {
        by_role[r] = malloc((size_t)n * sizeof **by_role);
        if (!by_role[r]) die("malloc");
    }
    for (unsigned i = 0; i < n; i++) {
        uint64_t h = mix(i, 0xe11);
        snprintf(en[i].id, sizeof en[i].id, "eni-0%016" PRIx64, h & UINT64_C(0x0fffffffffffffff));
        en[i].ip = 10u << 24 | (1 + i / 62500) << 16 | ((i / 250) % 250) << 8 | (4 + i % 250);
        unsigned r = (unsigned)(mix(i, 0xe12) % 100);
        en[i].role = r < 40 ? R_WEB : r < 45 ? R_BASTION : r < 85 ? R_APP : R_DB;
        by_role[en[i].role][n_by_role[en[i].role]++] = i;
    }
    /* a small estate may lack a role: lend it the first interface */
    for (unsigned r = 0; r < 4; r++)
        if (!n_by_role[r]) by_role[r][n_by_role[r]++] = 0;
    for (unsigned i = 0; i < NSERVERS; i++) servers[i] = public_addr(mix(i, 0x5e7));
    for (unsigned i = 0; i < NOFFICES; i++) offices[i] = public_addr(mix(i, 0x0ff));
}

struct flow {
    unsigned eni;
    uint32_t src, dst;
    unsigned sport, dport, proto;
    uint64_t pkts, bytes;
    int64_t start_s, end_s;
    const char *action;
    bool nodata;
};

static void flow_put(const struct flow *f)
{
    char line[256], s[20], d[20];
    int n;
    if (f->nodata) {
        n = snprintf(line, sizeof line,
                     "2 " ACCOUNT " %s - - - - - - - %" PRId64 " %" PRId64 " - NODATA\n",
                     en[f->eni].id, f->start_s, f->end_s);
    } else {
        ip_str(f->src, s, sizeof s);
        ip_str(f->dst, d, sizeof d);
        n = snprintf(line, sizeof line,
                     "2 " ACCOUNT " %s %s %s %u %u %u %" PRIu64 " %" PRIu64 " %" PRId64 " %" PRId64
                     " %s OK\n",
                     en[f->eni].id, s, d, f->sport, f->dport, f->proto, f->pkts, f->bytes,
                     f->start_s, f->end_s, f->action);
    }
    put(line, (size_t)n);
}

/* The answer of f: the same connection seen the other way on the same interface. */
static struct flow reply(const struct flow *f, unsigned min_size, unsigned max_size)
{
    struct flow r = *f;
    r.src = f->dst;
    r.dst = f->src;
    r.sport = f->dport;
    r.dport = f->sport;
    r.pkts = f->pkts + below(3);
    r.bytes = r.pkts * between(min_size, max_size);
    return r;
}

enum flow_kind { F_BRUTE_IN, F_BRUTE_OUT, F_SCAN, F_MINING, F_ODD_PORT };

struct flow_counts {
    uint64_t nodata, reject, planted[5];
};

static void gen_flow(const char *out, const struct plan *pl, unsigned nenis)
{
    make_enis(nenis);
    struct episode ep[16];
    size_t nep = 0;
    /* ENIs and peers of the plants */
    unsigned web = by_role[R_WEB][0], bastion = by_role[R_BASTION][0];
    unsigned app1 = by_role[R_APP][0], app2 = by_role[R_APP][n_by_role[R_APP] / 2];
    unsigned app3 = by_role[R_APP][n_by_role[R_APP] - 1];
#define PLANT(frac, k, cnt, secs, who, other)                                                      \
    ep[nep++] = (struct episode){.at = (uint64_t)((double)pl->n * (frac)),                         \
                                 .spacing = spacing_for(pl, (secs)),                               \
                                 .count = (cnt),                                                   \
                                 .kind = (k),                                                      \
                                 .a = (who),                                                       \
                                 .b = (other)}
    /* 60 SSH sessions (opening record and answer) a few seconds apart */
    PLANT(0.20, F_BRUTE_IN, 120, 2.0, web, 1);
    PLANT(0.30, F_MINING, 16, 240.0, app3, 2);
    PLANT(0.40, F_BRUTE_OUT, 120, 2.0, app2, 3);
    PLANT(0.45, F_BRUTE_IN, 120, 2.0, bastion, 4);
    PLANT(0.60, F_SCAN, 300, 0.5, app1, 5);
    PLANT(0.70, F_BRUTE_IN, 120, 2.0, by_role[R_WEB][n_by_role[R_WEB] - 1], 6);
    PLANT(0.85, F_ODD_PORT, 2, 1.0, app2, 8088);
    PLANT(0.90, F_ODD_PORT, 2, 1.0, app1, 27017);
#undef PLANT
    uint32_t attackers[8];
    for (unsigned i = 0; i < 8; i++) attackers[i] = public_addr(mix(i, 0xbad));
    struct flow_counts cnt = {0};
    struct flow pending;
    bool have_pending = false;
    unsigned scan_port = 0;
    char path[4096];
    uint64_t i = 0;
    for (uint64_t fi = 0; fi < pl->files; fi++) {
        file_path(path, sizeof path, out, pl, fi, true);
        file_open(path);
        puts_("version account-id interface-id srcaddr dstaddr srcport dstport protocol packets "
              "bytes start end action log-status\n");
        uint64_t end = file_first(pl, fi + 1);
        for (; i < end; i++) {
            int64_t t = slot_ms(pl, i) / 1000;
            struct flow f = {.proto = 6, .start_s = t, .action = "ACCEPT"};
            struct episode *e = due(ep, nep, i);
            if (e) {
                const struct eni *x = &en[e->a];
                f.eni = e->a;
                bool answer = e->done % 2 == 1;
                switch (e->kind) {
                case F_BRUTE_IN: /* someone on the internet guessing passwords over SSH */
                    f.src = attackers[e->b];
                    f.dst = x->ip;
                    f.sport = 32768 + (unsigned)((e->done / 2 * 131) % 28000);
                    f.dport = 22;
                    f.pkts = between(12, 30);
                    f.bytes = f.pkts * between(90, 160);
                    break;
                case F_BRUTE_OUT: /* the instance guessing passwords on someone else's SSH */
                    f.src = x->ip;
                    f.dst = attackers[e->b];
                    f.sport = 32768 + (unsigned)((e->done / 2 * 131) % 28000);
                    f.dport = 22;
                    f.pkts = between(12, 30);
                    f.bytes = f.pkts * between(90, 160);
                    break;
                case F_SCAN: /* one SYN to each of 300 ports of one host */
                    f.src = x->ip;
                    f.dst = attackers[e->b];
                    f.sport = 40000 + e->done % 7;
                    scan_port = (scan_port + 53) % 8191;
                    f.dport = 1 + scan_port;
                    f.pkts = 1;
                    f.bytes = 44;
                    answer = false;
                    break;
                case F_MINING: /* a stratum session kept open, small JSON lines */
                    f.src = x->ip;
                    f.dst = attackers[e->b];
                    f.sport = 51234;
                    f.dport = 3333;
                    f.pkts = between(20, 40);
                    f.bytes = f.pkts * between(90, 200);
                    break;
                case F_ODD_PORT: /* a connection to a port the instance never used */
                    f.src = x->ip;
                    f.dst = servers[e->b % NSERVERS];
                    f.sport = 44000 + e->b % 1000;
                    f.dport = e->b;
                    f.pkts = between(10, 40);
                    f.bytes = f.pkts * between(100, 1200);
                    break;
                }
                f.end_s = t + between(1, 6);
                if (answer) {
                    struct flow r = f;
                    r.src = f.dst;
                    r.dst = f.src;
                    r.sport = f.dport;
                    r.dport = f.sport;
                    f = r;
                }
                flow_put(&f);
                cnt.planted[e->kind]++;
                advance(e, i);
                continue;
            }
            if (have_pending) {
                pending.start_s = t;
                if (pending.end_s < t) pending.end_s = t + between(0, 59);
                flow_put(&pending);
                have_pending = false;
                continue;
            }
            f.end_s = t + between(1, 59);
            unsigned r = below(1000);
            if (r < 450) { /* an instance calls a public API or website */
                unsigned ro = below(10);
                f.eni = by_role[ro < 7 ? R_APP : R_WEB][below(n_by_role[ro < 7 ? R_APP : R_WEB])];
                f.src = en[f.eni].ip;
                f.dst = servers[below(NSERVERS)];
                f.sport = between(32768, 60999);
                f.dport = below(100) < 85 ? 443 : 80;
                f.pkts = between(4, 40);
                f.bytes = f.pkts * between(60, 900);
                pending = reply(&f, 200, 1400);
            } else if (r < 650) { /* a client on the internet uses a web server */
                f.eni = by_role[R_WEB][below(n_by_role[R_WEB])];
                f.src = public_addr(next());
                f.dst = en[f.eni].ip;
                f.sport = between(1024, 65535);
                f.dport = 443;
                f.pkts = between(6, 60);
                f.bytes = f.pkts * between(80, 700);
                pending = reply(&f, 300, 1400);
            } else if (r < 680) { /* an administrator on a bastion from an office */
                f.eni = by_role[R_BASTION][below(n_by_role[R_BASTION])];
                f.src = offices[below(NOFFICES)];
                f.dst = en[f.eni].ip;
                f.sport = between(49152, 65535);
                f.dport = 22;
                f.pkts = between(200, 5000);
                f.bytes = f.pkts * between(80, 400);
                f.end_s = t + 59;
                pending = reply(&f, 100, 1200);
            } else if (r < 780) { /* an application talks to its database */
                unsigned app = by_role[R_APP][below(n_by_role[R_APP])];
                unsigned db = by_role[R_DB][below(n_by_role[R_DB])];
                f.src = en[app].ip;
                f.dst = en[db].ip;
                f.sport = between(32768, 60999);
                f.dport = 5432;
                f.pkts = between(4, 200);
                f.bytes = f.pkts * between(80, 600);
                f.eni = below(2) ? app : db;
                pending = reply(&f, 100, 1400);
            } else if (r < 880) { /* DNS to the VPC resolver */
                f.eni = below(nen);
                f.src = en[f.eni].ip;
                f.dst = (en[f.eni].ip & 0xffff0000u) | 2;
                f.sport = between(32768, 60999);
                f.dport = 53;
                f.proto = 17;
                f.pkts = between(1, 4);
                f.bytes = f.pkts * between(60, 90);
                pending = reply(&f, 90, 300);
            } else if (r < 990) { /* internet background: scans the security groups drop */
                static const unsigned probe_ports[] = {22,   23,   80,   443,  445,  1433, 3306,
                                                       3389, 5900, 6379, 8080, 8443, 9200, 27017};
                f.eni = below(nen);
                f.src = public_addr(next());
                f.dst = en[f.eni].ip;
                f.sport = between(1024, 65535);
                f.dport = below(4) ? probe_ports[below(PICKN(probe_ports))] : between(1, 65535);
                f.pkts = between(1, 2);
                f.bytes = f.pkts * between(40, 60);
                f.action = "REJECT";
                cnt.reject++;
            } else { /* an interface with no traffic in the interval */
                f.eni = below(nen);
                f.nodata = true;
                cnt.nodata++;
            }
            flow_put(&f);
            have_pending = !f.nodata && strcmp(f.action, "REJECT");
        }
        file_close();
    }
    printf("source=flow\nrecords=%" PRIu64 "\nfiles=%" PRIu64 "\nenis=%u\n", pl->n, pl->files,
           nenis);
    printf("bytes=%" PRIu64 "\nbytes_gz=%" PRIu64 "\n", bytes_raw, bytes_gz);
    printf("nodata=%" PRIu64 "\nreject_background=%" PRIu64 "\n", cnt.nodata, cnt.reject);
    printf("planted_ssh_bruteforce_in=%" PRIu64 "\nplanted_ssh_bruteforce_out=%" PRIu64
           "\nplanted_portscan=%" PRIu64 "\nplanted_mining=%" PRIu64 "\nplanted_odd_port=%" PRIu64
           "\n",
           cnt.planted[F_BRUTE_IN], cnt.planted[F_BRUTE_OUT], cnt.planted[F_SCAN],
           cnt.planted[F_MINING], cnt.planted[F_ODD_PORT]);
    printf("expect=UnauthorizedAccess:EC2/SSHBruteForce Recon:EC2/Portscan "
           "CryptoCurrency:EC2/BitcoinTool.B Behavior:EC2/NetworkPortUnusual\n");
}

/* ---- main ---------------------------------------------------------------------------------- */

static int usage(void)
{
    fprintf(stderr, "usage: bench_gen_events cloudtrail --records N --files F --principals P "
                    "--days D [--seed S] OUT\n"
                    "       bench_gen_events flow --records N --files F --enis K --days D "
                    "[--seed S] OUT\n");
    return 2;
}

int main(int argc, char **argv)
{
    if (argc < 2) return usage();
    bool flow = !strcmp(argv[1], "flow");
    if (!flow && strcmp(argv[1], "cloudtrail")) return usage();
    uint64_t n = 0, files = 0, who = 0, days = 0, seed = 1;
    const char *out = NULL;
    for (int i = 2; i < argc; i++) {
        uint64_t *v = !strcmp(argv[i], "--records")                        ? &n
                      : !strcmp(argv[i], "--files")                        ? &files
                      : !strcmp(argv[i], flow ? "--enis" : "--principals") ? &who
                      : !strcmp(argv[i], "--days")                         ? &days
                      : !strcmp(argv[i], "--seed")                         ? &seed
                                                                           : NULL;
        if (v && i + 1 < argc) {
            if (rp_str_to_u64(rp_str_from(argv[++i]), v)) return usage();
        } else if (!v && !out && argv[i][0] != '-') {
            out = argv[i];
        } else {
            return usage();
        }
    }
    if (!out || !n || !files || !who || !days || who > 1000000 || days > 3650 || files > n)
        return usage();
    struct plan pl = {.n = n, .files = files, .span_ms = (int64_t)days * DAY_MS};
    if (pl.span_ms / (int64_t)files < 120000) {
        fprintf(stderr,
                "bench_gen_events: files must span at least 2 minutes each (at most "
                "%" PRId64 " files over %" PRIu64 " days)\n",
                pl.span_ms / 120000, days);
        return 2;
    }
    rng = seed * 0x2545f4914f6cdd1dull + (flow ? 2 : 1);
    if (flow)
        gen_flow(out, &pl, (unsigned)who);
    else
        gen_cloudtrail(out, &pl, (unsigned)who);
    if (fflush(stdout)) die("stdout");
    return 0;
}
