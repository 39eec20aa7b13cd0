/* SPDX-License-Identifier: Apache-2.0 */
/* sim_cloudtrail: deterministic generator of realistic CloudTrail records (see sim.h).
 *
 * Feeds the JSON benchmark (bench/bench_gen_cloudtrail.c writes 200 MB delivery files), the
 * `rampart demo` data set and, later, `rampart simulate`. At rp_sim_ct_new() it builds a small
 * estate from the seed: per account some IAM users (humans and bots), IAM Identity Center
 * (SSO) sessions, EC2 and Lambda workload roles, the root user and a few S3 buckets, each
 * principal with stable IPs, user agents and pre-rendered userIdentity JSON. Each record then
 * draws an event from a weighted catalogue (~50 management and S3 data events), a principal
 * allowed to make it, a region, and writes the record in CloudTrail's field order.
 *
 * Speed: a record is written with plain memcpy into space reserved once in the caller's
 * rp_buf (no per-field calls into rp_buf, no allocation, no printf); identifiers that must
 * recur (instance ids, KMS keys) are hashed from (account, region, slot) instead of stored.
 * Safety: every emitted string comes from the constant tables, from validated options
 * (digits, [a-z0-9-]) or from hex/base32/base64 alphabets, so nothing needs JSON escaping. */
#define RP_LOG_MODULE "sim"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/sim.h"
#include "core/rp_arena.h"
#include "core/rp_banned.h"

/* ---- PRNG ------------------------------------------------------------------------------ */

/* xoshiro256** (Blackman and Vigna, public domain) seeded through splitmix64. Hand-written
 * instead of libc rand(): rand()'s algorithm, range and seeding differ between libcs, and this
 * generator promises byte-identical output for a seed on every platform. Only integer
 * arithmetic is used anywhere in generation for the same reason. */
struct rng {
    uint64_t s[4];
};

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static inline uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static inline uint64_t rng_next(struct rng *r)
{
    uint64_t *s = r->s;
    uint64_t res = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return res;
}

/* Uniform in [0, n) for n <= 2^32 (multiply-shift on the high half; the bias of at most
 * n / 2^32 does not matter for synthetic data). */
static inline uint32_t rng_below(struct rng *r, uint32_t n)
{
    return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* Stateless hash for identifiers that must recur (the same instance id for the same account,
 * region and slot) without storing them. */
static uint64_t mix(uint64_t a, uint64_t b)
{
    uint64_t x = a ^ (b * 0x9e3779b97f4a7c15ull);
    return splitmix64(&x);
}

/* FNV-1a of a string, to derive stable ids from names (never from addresses). */
static uint64_t strhash(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (; *s; s++) h = (h ^ (uint8_t)*s) * 0x100000001b3ull;
    return h;
}

/* ---- output writer ----------------------------------------------------------------------- */

/* Writes into [p, end). Running out of room sets over and drops the write; the caller checks
 * over once per record and reports it. */
struct w {
    char *p;
    char *end;
    bool over;
};

static inline void put(struct w *w, const char *s, size_t n)
{
    if (RP_UNLIKELY((size_t)(w->end - w->p) < n)) {
        w->over = true;
        return;
    }
    memcpy(w->p, s, n);
    w->p += n;
}

#define lit(w, s) put((w), (s), sizeof(s) - 1)

static inline void str(struct w *w, const char *s)
{
    put(w, s, strlen(s));
}

static void u64(struct w *w, uint64_t v)
{
    char b[20];
    size_t i = sizeof(b);
    do {
        b[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    put(w, b + i, sizeof(b) - i);
}

static const char hexd[] = "0123456789abcdef";
static const char b32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char alnum_lc[] = "abcdefghijklmnopqrstuvwxyz0123456789"; /* 36 */

/* n (<= 16) low-order upper-case hex digits of v. */
static void hex_upper(struct w *w, uint64_t v, unsigned n)
{
    static const char hu[] = "0123456789ABCDEF";
    char b[16];
    for (unsigned i = 0; i < n; i++) b[n - 1 - i] = hu[(v >> (4 * i)) & 15];
    put(w, b, n);
}

/* n characters of alphabet a (size 2^bits) drawn from the PRNG. */
static void rand_chars(struct w *w, struct rng *r, const char *a, unsigned bits, unsigned n)
{
    char b[64];
    unsigned per = 64 / bits, mask = (1u << bits) - 1;
    while (n) {
        unsigned k = n < sizeof(b) ? n : (unsigned)sizeof(b);
        uint64_t v = 0;
        unsigned left = 0;
        for (unsigned i = 0; i < k; i++) {
            if (!left) {
                v = rng_next(r);
                left = per;
            }
            b[i] = a[v & mask];
            v >>= bits;
            left--;
        }
        put(w, b, k);
        n -= k;
    }
}

/* n (<= 32) characters of alphabet a (size 2^bits) derived from hash h, for stable
 * identifiers. */
static void hash_chars(struct w *w, uint64_t h, const char *a, unsigned bits, unsigned n)
{
    char b[32];
    unsigned mask = (1u << bits) - 1, left = 64 / bits;
    uint64_t v = h;
    for (unsigned i = 0; i < n && i < sizeof(b); i++) {
        if (!left) {
            v = h = mix(h, i);
            left = 64 / bits;
        }
        b[i] = a[v & mask];
        v >>= bits;
        left--;
    }
    put(w, b, n < sizeof(b) ? n : sizeof(b));
}

/* RFC 4122 version 4 UUID: version nibble 4, variant bits 10. */
static void uuid_parts(struct w *w, uint64_t hi, uint64_t lo)
{
    hi = (hi & ~0xf000ull) | 0x4000ull;
    lo = (lo & ~(3ull << 62)) | (2ull << 62);
    char b[36];
    int j = 0;
    for (int i = 15; i >= 0; i--) {
        b[j++] = hexd[(hi >> (4 * i)) & 15];
        if (j == 8 || j == 13) b[j++] = '-';
    }
    b[j++] = '-';
    for (int i = 15; i >= 0; i--) {
        b[j++] = hexd[(lo >> (4 * i)) & 15];
        if (j == 23) b[j++] = '-';
    }
    put(w, b, sizeof(b));
}

static void uuid(struct w *w, struct rng *r)
{
    uint64_t hi = rng_next(r);
    uuid_parts(w, hi, rng_next(r));
}

/* The value of an EC2 call's responseElements up to its requestId: null for a failed call
 * (returns false, nothing more to write), else {"requestId":"<uuid> with the string and the
 * object left open for the caller (returns true). */
static bool ec2_response_open(struct w *w, struct rng *r, bool ok)
{
    if (!ok) {
        lit(w, "null");
        return false;
    }
    lit(w, "{\"requestId\":\"");
    uuid(w, r);
    return true;
}

/* ---- time -------------------------------------------------------------------------------- */

#define MIN_MS           946684800000ll    /* 2000-01-01T00:00:00Z */
#define MAX_MS           253402300799000ll /* 9999-12-31T23:59:59Z: time stops here, never wraps */
#define DEFAULT_START_MS 1709683200000ll   /* 2024-03-06T00:00:00Z */
#define MAX_INTERVAL_MS  86400000u

struct tm_utc {
    int year;
    unsigned mon, day, hour, min, sec;
};

/* Civil date from seconds since 1970 (Howard Hinnant's days-to-civil), integer-only so the
 * output is the same everywhere and no gmtime is needed. */
static struct tm_utc utc(int64_t secs)
{
    struct tm_utc t;
    int64_t days = secs / 86400, rem = secs % 86400;
    if (rem < 0) {
        rem += 86400;
        days--;
    }
    t.hour = (unsigned)(rem / 3600);
    t.min = (unsigned)(rem / 60 % 60);
    t.sec = (unsigned)(rem % 60);
    days += 719468;
    int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    unsigned doe = (unsigned)(days - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    t.day = doy - (153 * mp + 2) / 5 + 1;
    t.mon = mp < 10 ? mp + 3 : mp - 9;
    t.year = (int)((int64_t)yoe + era * 400 + (t.mon <= 2));
    return t;
}

static void d2(char *b, unsigned v)
{
    b[0] = (char)('0' + v / 10 % 10);
    b[1] = (char)('0' + v % 10);
}

/* "2024-03-06T21:22:54Z" into b[20] (the CloudTrail eventTime format). */
static void iso(char *b, int64_t secs)
{
    struct tm_utc t = utc(secs);
    d2(b, (unsigned)t.year / 100);
    d2(b + 2, (unsigned)t.year % 100);
    b[4] = '-';
    d2(b + 5, t.mon);
    b[7] = '-';
    d2(b + 8, t.day);
    b[10] = 'T';
    d2(b + 11, t.hour);
    b[13] = ':';
    d2(b + 14, t.min);
    b[16] = ':';
    d2(b + 17, t.sec);
    b[19] = 'Z';
}

/* "Mar 6, 2024, 9:22:54 PM", the Java date format IAM and STS use in responseElements. */
static void javadate(struct w *w, int64_t secs)
{
    static const char mons[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    struct tm_utc t = utc(secs);
    put(w, mons + 3 * (t.mon - 1), 3);
    lit(w, " ");
    u64(w, t.day);
    lit(w, ", ");
    u64(w, (uint64_t)t.year);
    lit(w, ", ");
    unsigned h12 = t.hour % 12 ? t.hour % 12 : 12;
    u64(w, h12);
    char b[6] = {':', 0, 0, ':', 0, 0};
    d2(b + 1, t.min);
    d2(b + 4, t.sec);
    put(w, b, 6);
    if (t.hour < 12)
        lit(w, " AM");
    else
        lit(w, " PM");
}

/* ---- constant tables --------------------------------------------------------------------- */

static const char *const default_accounts[] = {"111122223333", "444455556666", "123456789012"};
static const char *const default_regions[] = {"us-east-1", "us-west-2", "eu-west-1"};
#define PARTNER_ACCOUNT "210987654321" /* cross-account caller when only one account is set */

static const char *const human_names[] = {
    "alice", "bob",  "carol", "dave",  "erin",   "frank", "grace", "heidi",
    "ivan",  "judy", "oscar", "peggy", "rupert", "sybil", "trent", "victor",
};
static const char *const bot_names[] = {
    "ci-deployer", "terraform", "backup-svc", "monitoring-ro", "data-pipeline", "github-actions",
};
static const char *const sso_perm_sets[] = {"AdministratorAccess", "ReadOnlyAccess",
                                            "PowerUserAccess", "ViewOnlyAccess"};
static const char *const ec2_roles[] = {"web-app-ec2-role", "batch-worker-role",
                                        "bastion-ssm-role"};
static const char *const lambda_fns[] = {"order-processor", "thumbnail-resizer", "nightly-report",
                                         "slack-notifier", "log-shipper"};
static const char *const bucket_kinds[] = {"logs", "data-lake", "artifacts", "backups",
                                           "static-site"};
static const char *const managed_policies[] = {"ReadOnlyAccess",      "AmazonS3ReadOnlyAccess",
                                               "AdministratorAccess", "PowerUserAccess",
                                               "AmazonEC2FullAccess", "IAMFullAccess"};
static const char *const instance_types[] = {"t3.micro", "t3.medium", "m6i.large", "c7g.xlarge",
                                             "r6g.2xlarge"};

/* Programmatic user agents; a principal keeps one. */
static const char *const agents[] = {
    "aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0-1016-aws exe/x86_64.ubuntu.22 prompt/off",
    "aws-cli/2.13.25 Python/3.11.6 Darwin/23.2.0 exe/x86_64 prompt/off",
    "Boto3/1.34.54 md/Botocore#1.34.54 ua/2.0 os/linux#5.10.210-201.852.amzn2.x86_64 "
    "md/arch#x86_64 lang/python#3.12.2 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.54",
    "aws-sdk-go-v2/1.25.2 os/linux lang/go#1.22.0 md/GOOS#linux md/GOARCH#amd64",
    "aws-sdk-java/2.25.6 Linux/5.10.209-198.858.amzn2.x86_64 "
    "OpenJDK_64-Bit_Server_VM/17.0.10+8-LTS Java/17.0.10 vendor/Amazon.com_Inc. io/sync "
    "http/Apache cfg/retry-mode/legacy",
    "APN/1.0 HashiCorp/1.0 Terraform/1.7.4 (+https://www.terraform.io) "
    "terraform-provider-aws/5.40.0 (+https://registry.terraform.io/providers/hashicorp/aws) "
    "aws-sdk-go-v2/1.25.2 os/linux lang/go#1.22.0",
    "aws-sdk-nodejs/2.1550.0 linux/v18.19.0 exec-env/AWS_Lambda_nodejs18.x promise",
};
enum { UA_CLI_LINUX, UA_CLI_MAC, UA_BOTO3, UA_GO, UA_JAVA, UA_TERRAFORM, UA_NODE_LAMBDA };
#define UA_SSM_AGENT "aws-sdk-go/1.44.260 (go1.20.10; linux; amd64) amazon-ssm-agent/3.2.2303.0"
#define UA_CONSOLE   "AWS Internal"

static const char *const browsers[] = {
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/122.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.3.1 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0",
};

/* First octets of public unicast space for client IPs; none is private, CGNAT, loopback,
 * link-local or multicast, and the second octet is never 0 (so TEST-NET blocks cannot occur). */
static const uint8_t isp_octets[] = {24, 31, 37, 46,  62,  66,  71,  73,  77,  81,  86,  88,
                                     90, 92, 98, 109, 151, 176, 178, 185, 188, 195, 212, 217};
static const uint8_t aws_octets[] = {3, 18, 34, 35, 44, 52, 54};

/* Kinds of principal in the estate, plus the AWS service pseudo-principal. */
enum pkind { K_HUMAN, K_BOT, K_SSO, K_EC2, K_LAMBDA, K_ROOT, K_SERVICE, K_NKINDS };

/* Who may make an event: per-mille cumulative odds over enum pkind. */
enum who {
    WHO_ANY,
    WHO_HUMAN,
    WHO_WORKLOAD,
    WHO_AUTOMATION,
    WHO_SIGNIN,
    WHO_ASSUME,
    WHO_SERVICE,
    WHO_EC2
};
static const uint16_t who_cum[][K_NKINDS] = {
    /* cumulative per mille over: human, bot, sso, ec2, lambda, root, service */
    [WHO_ANY] = {200, 350, 650, 850, 998, 1000, 1000},
    [WHO_HUMAN] = {400, 400, 995, 995, 995, 1000, 1000},
    [WHO_WORKLOAD] = {0, 0, 0, 600, 1000, 1000, 1000},
    [WHO_AUTOMATION] = {0, 400, 400, 700, 1000, 1000, 1000},
    [WHO_SIGNIN] = {570, 570, 970, 970, 970, 1000, 1000},
    [WHO_ASSUME] = {100, 350, 350, 500, 500, 500, 1000},
    [WHO_SERVICE] = {0, 0, 0, 0, 0, 0, 1000},
    [WHO_EC2] = {0, 0, 0, 1000, 1000, 1000, 1000},
};

enum op {
    OP_NULL, /* requestParameters and responseElements both null */
    OP_EC2_DESCRIBE_INSTANCES,
    OP_EC2_DESCRIBE_SG,
    OP_EC2_DESCRIBE_VOLUMES,
    OP_EC2_DESCRIBE_REGIONS,
    OP_EC2_RUN,
    OP_EC2_STOP,
    OP_EC2_AUTH_SG,
    OP_EC2_CREATE_TAGS,
    OP_S3_LIST_BUCKETS,
    OP_S3_BUCKET_ACL,
    OP_S3_BUCKET_LOCATION,
    OP_S3_PUT_POLICY,
    OP_S3_PUT_PAB,
    OP_S3_GET,
    OP_S3_PUT,
    OP_S3_HEAD,
    OP_S3_DELETE,
    OP_S3_LIST,
    OP_IAM_CREATE_USER,
    OP_IAM_ATTACH_POLICY,
    OP_IAM_CREATE_KEY,
    OP_IAM_GET_ROLE,
    OP_STS_ASSUME,
    OP_SIGNIN,
    OP_KMS_DECRYPT,
    OP_KMS_GDK,
    OP_KMS_ROTATE,
    OP_CT_DESCRIBE,
    OP_CT_LOOKUP,
    OP_CT_STOP,
    OP_LAMBDA_GET,
    OP_LAMBDA_UPDATE,
    OP_RDS_SNAPSHOT,
    OP_LOGS_CREATE_STREAM,
    OP_LOGS_DESCRIBE,
    OP_CW_METRIC_DATA,
    OP_SSM_UPDATE,
    OP_SSM_GET_PARAM,
    OP_SM_GET_SECRET,
    OP_DDB_DESCRIBE,
};

#define F_RO     0x01 /* readOnly true */
#define F_DATA   0x02 /* S3 data event: eventCategory Data, managementEvent false */
#define F_GLOBAL 0x04 /* global service: awsRegion us-east-1, host without region */
#define F_V109   0x08 /* eventVersion 1.09 instead of 1.08 */
#define F_EXC    0x10 /* service spells it AccessDeniedException */
#define F_BUCKET 0x20 /* operates on an S3 bucket: region is the bucket's */
#define F_S3     0x40 /* s3.amazonaws.com: S3-style requestID and errors */
#define F_EC2    0x80 /* ec2.amazonaws.com: EC2-style errors */

struct ent {
    const char *source; /* eventSource */
    const char *name;   /* eventName */
    const char *action; /* IAM action, for AccessDenied messages */
    uint16_t weight;    /* relative frequency within its table */
    uint8_t op;         /* enum op: request/response shape */
    uint8_t who;        /* enum who */
    uint8_t flags;      /* F_* */
};

/* Management events. Weights sum to about 10000, so weight 1 is one event in ten thousand. */
static const struct ent mgmt[] = {
    {"ec2.amazonaws.com", "DescribeInstances", "ec2:DescribeInstances", 800,
     OP_EC2_DESCRIBE_INSTANCES, WHO_ANY, F_RO | F_V109 | F_EC2},
    {"ec2.amazonaws.com", "DescribeSecurityGroups", "ec2:DescribeSecurityGroups", 300,
     OP_EC2_DESCRIBE_SG, WHO_ANY, F_RO | F_V109 | F_EC2},
    {"ec2.amazonaws.com", "DescribeVolumes", "ec2:DescribeVolumes", 200, OP_EC2_DESCRIBE_VOLUMES,
     WHO_ANY, F_RO | F_V109 | F_EC2},
    {"ec2.amazonaws.com", "DescribeRegions", "ec2:DescribeRegions", 150, OP_EC2_DESCRIBE_REGIONS,
     WHO_ANY, F_RO | F_V109 | F_EC2},
    {"ec2.amazonaws.com", "RunInstances", "ec2:RunInstances", 30, OP_EC2_RUN, WHO_AUTOMATION,
     F_V109 | F_EC2},
    {"ec2.amazonaws.com", "StopInstances", "ec2:StopInstances", 20, OP_EC2_STOP, WHO_HUMAN,
     F_V109 | F_EC2},
    {"ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", "ec2:AuthorizeSecurityGroupIngress", 15,
     OP_EC2_AUTH_SG, WHO_HUMAN, F_V109 | F_EC2},
    {"ec2.amazonaws.com", "CreateTags", "ec2:CreateTags", 40, OP_EC2_CREATE_TAGS, WHO_AUTOMATION,
     F_V109 | F_EC2},
    {"s3.amazonaws.com", "ListBuckets", "s3:ListAllMyBuckets", 150, OP_S3_LIST_BUCKETS, WHO_ANY,
     F_RO | F_GLOBAL | F_V109 | F_S3},
    {"s3.amazonaws.com", "GetBucketAcl", "s3:GetBucketAcl", 120, OP_S3_BUCKET_ACL, WHO_ANY,
     F_RO | F_BUCKET | F_V109 | F_S3},
    {"s3.amazonaws.com", "GetBucketLocation", "s3:GetBucketLocation", 100, OP_S3_BUCKET_LOCATION,
     WHO_ANY, F_RO | F_BUCKET | F_V109 | F_S3},
    {"s3.amazonaws.com", "PutBucketPolicy", "s3:PutBucketPolicy", 4, OP_S3_PUT_POLICY, WHO_HUMAN,
     F_BUCKET | F_V109 | F_S3},
    {"s3.amazonaws.com", "PutBucketPublicAccessBlock", "s3:PutBucketPublicAccessBlock", 3,
     OP_S3_PUT_PAB, WHO_HUMAN, F_BUCKET | F_V109 | F_S3},
    {"iam.amazonaws.com", "CreateUser", "iam:CreateUser", 3, OP_IAM_CREATE_USER, WHO_HUMAN,
     F_GLOBAL},
    {"iam.amazonaws.com", "AttachUserPolicy", "iam:AttachUserPolicy", 3, OP_IAM_ATTACH_POLICY,
     WHO_HUMAN, F_GLOBAL},
    {"iam.amazonaws.com", "CreateAccessKey", "iam:CreateAccessKey", 3, OP_IAM_CREATE_KEY, WHO_HUMAN,
     F_GLOBAL},
    {"iam.amazonaws.com", "ListUsers", "iam:ListUsers", 60, OP_NULL, WHO_ANY, F_RO | F_GLOBAL},
    {"iam.amazonaws.com", "GetRole", "iam:GetRole", 80, OP_IAM_GET_ROLE, WHO_ANY, F_RO | F_GLOBAL},
    {"sts.amazonaws.com", "AssumeRole", "sts:AssumeRole", 700, OP_STS_ASSUME, WHO_ASSUME,
     F_RO | F_V109},
    {"sts.amazonaws.com", "GetCallerIdentity", "sts:GetCallerIdentity", 400, OP_NULL, WHO_ANY,
     F_RO | F_V109},
    {"signin.amazonaws.com", "ConsoleLogin", "signin:ConsoleLogin", 40, OP_SIGNIN, WHO_SIGNIN,
     F_GLOBAL | F_V109},
    {"kms.amazonaws.com", "Decrypt", "kms:Decrypt", 700, OP_KMS_DECRYPT, WHO_WORKLOAD,
     F_RO | F_EXC},
    {"kms.amazonaws.com", "GenerateDataKey", "kms:GenerateDataKey", 300, OP_KMS_GDK, WHO_WORKLOAD,
     F_RO | F_EXC},
    {"kms.amazonaws.com", "RotateKey", "kms:RotateKey", 2, OP_KMS_ROTATE, WHO_SERVICE, F_EXC},
    {"cloudtrail.amazonaws.com", "DescribeTrails", "cloudtrail:DescribeTrails", 40, OP_CT_DESCRIBE,
     WHO_ANY, F_RO},
    {"cloudtrail.amazonaws.com", "LookupEvents", "cloudtrail:LookupEvents", 50, OP_CT_LOOKUP,
     WHO_HUMAN, F_RO},
    {"cloudtrail.amazonaws.com", "StopLogging", "cloudtrail:StopLogging", 1, OP_CT_STOP, WHO_HUMAN,
     0},
    {"lambda.amazonaws.com", "ListFunctions20150331", "lambda:ListFunctions", 60, OP_NULL, WHO_ANY,
     F_RO | F_EXC},
    {"lambda.amazonaws.com", "GetFunction20150331v2", "lambda:GetFunction", 50, OP_LAMBDA_GET,
     WHO_ANY, F_RO | F_EXC},
    {"lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "lambda:UpdateFunctionCode", 15,
     OP_LAMBDA_UPDATE, WHO_AUTOMATION, F_EXC},
    {"rds.amazonaws.com", "DescribeDBInstances", "rds:DescribeDBInstances", 80, OP_NULL, WHO_ANY,
     F_RO},
    {"rds.amazonaws.com", "CreateDBSnapshot", "rds:CreateDBSnapshot", 8, OP_RDS_SNAPSHOT,
     WHO_AUTOMATION, 0},
    {"logs.amazonaws.com", "CreateLogStream", "logs:CreateLogStream", 400, OP_LOGS_CREATE_STREAM,
     WHO_WORKLOAD, F_EXC},
    {"logs.amazonaws.com", "DescribeLogGroups", "logs:DescribeLogGroups", 80, OP_LOGS_DESCRIBE,
     WHO_ANY, F_RO | F_EXC},
    {"monitoring.amazonaws.com", "GetMetricData", "cloudwatch:GetMetricData", 300,
     OP_CW_METRIC_DATA, WHO_ANY, F_RO},
    {"ssm.amazonaws.com", "UpdateInstanceInformation", "ssm:UpdateInstanceInformation", 500,
     OP_SSM_UPDATE, WHO_EC2, F_EXC},
    {"ssm.amazonaws.com", "GetParameter", "ssm:GetParameter", 200, OP_SSM_GET_PARAM, WHO_WORKLOAD,
     F_RO | F_EXC},
    {"secretsmanager.amazonaws.com", "GetSecretValue", "secretsmanager:GetSecretValue", 150,
     OP_SM_GET_SECRET, WHO_WORKLOAD, F_RO | F_EXC},
    {"route53.amazonaws.com", "ListHostedZones", "route53:ListHostedZones", 30, OP_NULL, WHO_ANY,
     F_RO | F_GLOBAL},
    {"elasticloadbalancing.amazonaws.com", "DescribeLoadBalancers",
     "elasticloadbalancing:DescribeLoadBalancers", 80, OP_NULL, WHO_ANY, F_RO},
    {"ecr.amazonaws.com", "GetAuthorizationToken", "ecr:GetAuthorizationToken", 100, OP_NULL,
     WHO_AUTOMATION, F_RO | F_EXC},
    {"dynamodb.amazonaws.com", "DescribeTable", "dynamodb:DescribeTable", 80, OP_DDB_DESCRIBE,
     WHO_ANY, F_RO | F_EXC},
    {"guardduty.amazonaws.com", "ListDetectors", "guardduty:ListDetectors", 30, OP_NULL, WHO_ANY,
     F_RO | F_EXC},
};

/* S3 data events (opt-in per trail; resources[] names the object and the bucket). */
static const struct ent data[] = {
    {"s3.amazonaws.com", "GetObject", "s3:GetObject", 500, OP_S3_GET, WHO_ANY,
     F_RO | F_DATA | F_BUCKET | F_V109 | F_S3},
    {"s3.amazonaws.com", "PutObject", "s3:PutObject", 250, OP_S3_PUT, WHO_AUTOMATION,
     F_DATA | F_BUCKET | F_V109 | F_S3},
    {"s3.amazonaws.com", "HeadObject", "s3:GetObject", 150, OP_S3_HEAD, WHO_ANY,
     F_RO | F_DATA | F_BUCKET | F_V109 | F_S3},
    {"s3.amazonaws.com", "ListObjects", "s3:ListBucket", 70, OP_S3_LIST, WHO_ANY,
     F_RO | F_DATA | F_BUCKET | F_V109 | F_S3},
    {"s3.amazonaws.com", "DeleteObject", "s3:DeleteObject", 30, OP_S3_DELETE, WHO_AUTOMATION,
     F_DATA | F_BUCKET | F_V109 | F_S3},
};

#define NBUCKETS       RP_ARRAY_LEN(bucket_kinds)
#define MAX_REGION_LEN 32

/* ---- the estate -------------------------------------------------------------------------- */

/* A pre-rendered userIdentity: pre + creationDate + post, or just pre when !cdate. */
struct frag {
    const char *pre, *post;
    size_t pre_len, post_len;
    bool cdate;
};

enum { V_PROG, V_CONSOLE, V_SIGNIN, V_N }; /* identity variants */

struct principal {
    uint8_t kind;        /* enum pkind */
    uint8_t ua;          /* agents[] index for programmatic calls */
    uint8_t acct;        /* account index */
    uint8_t home;        /* region index; workloads never leave it */
    bool console;        /* a human who mostly works in the console */
    uint32_t phase;      /* shifts this principal's hourly session windows */
    uint32_t slot;       /* workload: instance / function slot */
    const char *name;    /* userName, function name or instance id (NUL-terminated) */
    const char *role;    /* role name for role sessions, else NULL */
    const char *arn;     /* caller ARN for error messages */
    char ip[2][16];      /* stable public source IPs */
    char vpc_ip[16];     /* private IP used behind a VPC endpoint (workloads) */
    struct frag id[V_N]; /* userIdentity JSON per variant */
};

struct state {
    struct rng rng;
    int64_t t_ms; /* eventTime of the last record, ms */
    uint64_t n;   /* records produced */
};

struct rp_sim_ct {
    struct state st;       /* everything that changes per record (restored on error) */
    struct rp_arena arena; /* principals' strings */
    uint64_t idseed;       /* salt of hashed identifiers */
    uint32_t mean_ms;
    uint32_t data_pm, err_pm;
    size_t naccounts, nregions;
    char (*acct)[13];
    char (*region)[MAX_REGION_LEN + 1];
    uint8_t *region_len;
    struct principal *pr;
    size_t npr;
    uint16_t *bykind[K_NKINDS]; /* principal indexes of each kind */
    size_t nbykind[K_NKINDS];
    uint32_t mgmt_cum[RP_ARRAY_LEN(mgmt)];
    uint32_t data_cum[RP_ARRAY_LEN(data)];
    int64_t tsec_cached;
    char tstr[20]; /* eventTime string of tsec_cached */
    char *scratch; /* RP_SIM_CT_MAX_RECORD bytes, used when out cannot reserve that much */
};

void rp_sim_ct_opts_init(struct rp_sim_ct_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->seed = 1;
    o->start_ms = DEFAULT_START_MS;
    o->mean_interval_ms = 100;
    o->data_permille = 250;
    o->error_permille = 20;
}

static bool valid_account(const char *s)
{
    if (!s) return false;
    for (int i = 0; i < 12; i++)
        if (s[i] < '0' || s[i] > '9') return false;
    return s[12] == '\0';
}

static bool valid_region(const char *s)
{
    if (!s || !*s) return false;
    size_t n = 0;
    for (; s[n]; n++) {
        char c = s[n];
        if (n >= MAX_REGION_LEN) return false;
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
    }
    return true;
}

static void ip_from(char *out, uint64_t h, const uint8_t *firsts, size_t nfirsts)
{
    struct w w = {out, out + 15, false};
    u64(&w, firsts[h % nfirsts]);
    lit(&w, ".");
    u64(&w, 1 + (h >> 8) % 254);
    lit(&w, ".");
    u64(&w, (h >> 16) % 256);
    lit(&w, ".");
    u64(&w, 1 + (h >> 24) % 254);
    *w.p = '\0';
}

/* Render the identity variants of p. A \x01 byte marks where creationDate goes. */
static rp_err render_identity(struct rp_sim_ct *g, struct principal *p, uint64_t h)
{
    const char *acct = g->acct[p->acct];
    char akia[21], asia[21], pid[22], rid[22];
    /* long-term key, temporary key, unique ids: base32 like AWS's own */
    struct w w;
    w = (struct w){akia, akia + 20, false};
    lit(&w, "AKIA");
    hash_chars(&w, mix(h, 1), b32, 5, 16);
    akia[20] = '\0';
    w = (struct w){asia, asia + 20, false};
    lit(&w, "ASIA");
    hash_chars(&w, mix(h, 2), b32, 5, 16);
    asia[20] = '\0';
    w = (struct w){pid, pid + 21, false};
    lit(&w, "AIDA");
    hash_chars(&w, mix(h, 3), b32, 5, 17);
    pid[21] = '\0';
    w = (struct w){rid, rid + 21, false};
    lit(&w, "AROA");
    hash_chars(&w, mix(h, 4), b32, 5, 17);
    rid[21] = '\0';

    struct rp_buf b;
    rp_buf_init(&b, 0);
    rp_err e = RP_OK;
    const char *v[V_N] = {0};
    size_t vl[V_N] = {0};
    char arn[256];
    for (int k = 0; k < V_N && !e; k++) {
        rp_buf_reset(&b);
        switch (p->kind) {
        case K_HUMAN:
        case K_BOT:
            snprintf(arn, sizeof(arn), "arn:aws:iam::%s:user/%s", acct, p->name);
            e = rp_buf_printf(&b,
                              "{\"type\":\"IAMUser\",\"principalId\":\"%s\",\"arn\":\"%s\","
                              "\"accountId\":\"%s\",",
                              pid, arn, acct);
            if (!e && k == V_PROG) e = rp_buf_printf(&b, "\"accessKeyId\":\"%s\",", akia);
            if (!e && k == V_CONSOLE) e = rp_buf_printf(&b, "\"accessKeyId\":\"%s\",", asia);
            if (!e) e = rp_buf_printf(&b, "\"userName\":\"%s\"", p->name);
            if (!e && k == V_CONSOLE)
                e = rp_buf_append_str(&b,
                                      ",\"sessionContext\":{\"sessionIssuer\":{},"
                                      "\"webIdFederationData\":{},\"attributes\":{"
                                      "\"creationDate\":\"\x01\",\"mfaAuthenticated\":\"true\"}}");
            if (!e) e = rp_buf_putc(&b, '}');
            break;
        case K_ROOT:
            snprintf(arn, sizeof(arn), "arn:aws:iam::%s:root", acct);
            e = rp_buf_printf(&b,
                              "{\"type\":\"Root\",\"principalId\":\"%s\",\"arn\":\"%s\","
                              "\"accountId\":\"%s\",\"accessKeyId\":\"%s\"",
                              acct, arn, acct, k == V_SIGNIN ? "" : asia);
            if (!e && k != V_SIGNIN)
                e = rp_buf_append_str(&b,
                                      ",\"sessionContext\":{\"sessionIssuer\":{},"
                                      "\"webIdFederationData\":{},\"attributes\":{"
                                      "\"creationDate\":\"\x01\",\"mfaAuthenticated\":\"true\"}}");
            if (!e) e = rp_buf_putc(&b, '}');
            break;
        default: { /* role sessions: SSO, EC2, Lambda */
            char role_arn[200];
            if (p->kind == K_SSO)
                snprintf(role_arn, sizeof(role_arn),
                         "arn:aws:iam::%s:role/aws-reserved/sso.amazonaws.com/%s", acct, p->role);
            else
                snprintf(role_arn, sizeof(role_arn), "arn:aws:iam::%s:role/%s", acct, p->role);
            snprintf(arn, sizeof(arn), "arn:aws:sts::%s:assumed-role/%s/%s", acct, p->role,
                     p->name);
            e = rp_buf_printf(&b,
                              "{\"type\":\"AssumedRole\",\"principalId\":\"%s:%s\",\"arn\":\"%s\","
                              "\"accountId\":\"%s\",",
                              rid, p->name, arn, acct);
            if (!e && k != V_SIGNIN) e = rp_buf_printf(&b, "\"accessKeyId\":\"%s\",", asia);
            if (!e)
                e = rp_buf_printf(&b,
                                  "\"sessionContext\":{\"sessionIssuer\":{\"type\":\"Role\","
                                  "\"principalId\":\"%s\",\"arn\":\"%s\",\"accountId\":\"%s\","
                                  "\"userName\":\"%s\"},\"webIdFederationData\":{},"
                                  "\"attributes\":{\"creationDate\":\"\x01\","
                                  "\"mfaAuthenticated\":\"false\"}%s}}",
                                  rid, role_arn, acct, p->role,
                                  p->kind == K_EC2 ? ",\"ec2RoleDelivery\":\"2.0\"" : "");
            break;
        }
        }
        if (e) break;
        v[k] = rp_arena_memdup(&g->arena, b.data, b.len);
        vl[k] = b.len;
        if (!v[k]) e = RP_ENOMEM;
    }
    if (!e) {
        p->arn = rp_arena_strdup(&g->arena, arn);
        if (!p->arn) e = RP_ENOMEM;
    }
    rp_buf_release(&b);
    if (e) return e;
    for (int k = 0; k < V_N; k++) {
        const char *at = memchr(v[k], '\x01', vl[k]);
        struct frag *f = &p->id[k];
        f->pre = v[k];
        f->cdate = at != NULL;
        f->pre_len = at ? (size_t)(at - v[k]) : vl[k];
        f->post = at ? at + 1 : "";
        f->post_len = at ? vl[k] - f->pre_len - 1 : 0;
    }
    return RP_OK;
}

static rp_err add_principal(struct rp_sim_ct *g, struct rng *r, enum pkind kind, size_t acct,
                            const char *name, const char *role, uint32_t slot)
{
    struct principal *p = &g->pr[g->npr];
    memset(p, 0, sizeof(*p));
    uint64_t h = mix(g->idseed, ((uint64_t)acct << 32) ^ (g->npr * 0x100000001b3ull));
    p->kind = (uint8_t)kind;
    p->acct = (uint8_t)acct;
    p->slot = slot;
    p->home = (uint8_t)rng_below(r, (uint32_t)g->nregions);
    p->phase = rng_below(r, 3600);
    p->console = (kind == K_HUMAN || kind == K_SSO) && rng_below(r, 2);
    switch (kind) {
    case K_HUMAN:
    case K_SSO:
        p->ua = (uint8_t)(rng_below(r, 3)); /* cli linux, cli mac, boto3 */
        ip_from(p->ip[0], rng_next(r), isp_octets, sizeof(isp_octets));
        ip_from(p->ip[1], rng_next(r), isp_octets, sizeof(isp_octets));
        break;
    case K_BOT: {
        static const uint8_t bot_ua[] = {UA_TERRAFORM, UA_BOTO3, UA_GO, UA_CLI_LINUX};
        p->ua = bot_ua[rng_below(r, RP_ARRAY_LEN(bot_ua))];
        ip_from(p->ip[0], rng_next(r), aws_octets, sizeof(aws_octets));
        memcpy(p->ip[1], p->ip[0], sizeof(p->ip[0]));
        break;
    }
    case K_EC2:
    case K_LAMBDA:
        p->ua = kind == K_EC2 ? (rng_below(r, 2) ? UA_BOTO3 : UA_JAVA)
                              : (rng_below(r, 2) ? UA_BOTO3 : UA_NODE_LAMBDA);
        ip_from(p->ip[0], rng_next(r), aws_octets, sizeof(aws_octets));
        memcpy(p->ip[1], p->ip[0], sizeof(p->ip[0]));
        break;
    default: /* root */
        p->ua = UA_CLI_MAC;
        ip_from(p->ip[0], rng_next(r), isp_octets, sizeof(isp_octets));
        memcpy(p->ip[1], p->ip[0], sizeof(p->ip[0]));
        break;
    }
    {
        uint64_t v = rng_next(r);
        struct w w = {p->vpc_ip, p->vpc_ip + 15, false};
        lit(&w, "10.");
        u64(&w, v % 4);
        lit(&w, ".");
        u64(&w, (v >> 8) % 256);
        lit(&w, ".");
        u64(&w, 1 + (v >> 16) % 254);
        *w.p = '\0';
    }
    p->name = rp_arena_strdup(&g->arena, name);
    p->role = role ? rp_arena_strdup(&g->arena, role) : NULL;
    if (!p->name || (role && !p->role)) return RP_ENOMEM;
    rp_err e = render_identity(g, p, h);
    if (e) return e;
    g->npr++;
    return RP_OK;
}

/* Workload identifiers are hashed, so that the instance whose role is in use also shows up in
 * DescribeInstances filters and SSM heartbeats. */
static void instance_id(struct w *w, const struct rp_sim_ct *g, size_t acct, size_t region,
                        uint32_t slot)
{
    lit(w, "i-0");
    hash_chars(w, mix(g->idseed ^ 0x1157ull, (acct << 40) ^ (region << 20) ^ slot), hexd, 4, 16);
}

#define PER_ACCT_HUMANS 5
#define PER_ACCT_BOTS   3
#define PER_ACCT_SSO    4
#define PER_ACCT_EC2    3
#define PER_ACCT_LAMBDA 3
#define PER_ACCT                                                                                   \
    (PER_ACCT_HUMANS + PER_ACCT_BOTS + PER_ACCT_SSO + PER_ACCT_EC2 + PER_ACCT_LAMBDA + 1)

static rp_err build_estate(struct rp_sim_ct *g, struct rng *r)
{
    rp_err e = RP_OK;
    g->pr = calloc(g->naccounts * PER_ACCT, sizeof(*g->pr));
    if (!g->pr) return RP_ENOMEM;
    for (size_t a = 0; a < g->naccounts && !e; a++) {
        /* a random rotation of the name lists per account, so accounts differ */
        uint32_t hoff = rng_below(r, RP_ARRAY_LEN(human_names));
        uint32_t boff = rng_below(r, RP_ARRAY_LEN(bot_names));
        for (uint32_t i = 0; i < PER_ACCT_HUMANS && !e; i++)
            e = add_principal(g, r, K_HUMAN, a, human_names[(hoff + i) % RP_ARRAY_LEN(human_names)],
                              NULL, i);
        for (uint32_t i = 0; i < PER_ACCT_BOTS && !e; i++)
            e = add_principal(g, r, K_BOT, a, bot_names[(boff + i) % RP_ARRAY_LEN(bot_names)], NULL,
                              i);
        for (uint32_t i = 0; i < PER_ACCT_SSO && !e; i++) {
            char name[64], role[96];
            const char *who = human_names[(hoff + 3 + i) % RP_ARRAY_LEN(human_names)];
            snprintf(name, sizeof(name), "%s@example.com", who);
            struct w w = {role, role + sizeof(role) - 1, false};
            lit(&w, "AWSReservedSSO_");
            str(&w, sso_perm_sets[i % RP_ARRAY_LEN(sso_perm_sets)]);
            lit(&w, "_");
            hash_chars(&w, mix(g->idseed ^ 0x550ull, a * 16 + i), hexd, 4, 16);
            *w.p = '\0';
            e = add_principal(g, r, K_SSO, a, name, role, i);
        }
        for (uint32_t i = 0; i < PER_ACCT_EC2 && !e; i++) {
            /* the session name of an instance role is the instance id */
            struct principal *p = &g->pr[g->npr];
            char iid[24];
            uint8_t home = (uint8_t)rng_below(r, (uint32_t)g->nregions);
            struct w w = {iid, iid + sizeof(iid) - 1, false};
            instance_id(&w, g, a, home, i);
            *w.p = '\0';
            e = add_principal(g, r, K_EC2, a, iid, ec2_roles[i % RP_ARRAY_LEN(ec2_roles)], i);
            if (!e) p->home = home;
        }
        for (uint32_t i = 0; i < PER_ACCT_LAMBDA && !e; i++) {
            const char *fn = lambda_fns[(hoff + i) % RP_ARRAY_LEN(lambda_fns)];
            char role[96];
            struct w w = {role, role + sizeof(role) - 1, false};
            str(&w, fn);
            lit(&w, "-role-");
            hash_chars(&w, mix(g->idseed ^ 0x1a3ull, a * 16 + i), alnum_lc, 5, 8);
            *w.p = '\0';
            e = add_principal(g, r, K_LAMBDA, a, fn, role, i);
        }
        if (!e) e = add_principal(g, r, K_ROOT, a, "root", NULL, 0);
    }
    if (e) return e;
    for (int k = 0; k < K_NKINDS; k++) {
        g->bykind[k] = calloc(g->npr ? g->npr : 1, sizeof(uint16_t));
        if (!g->bykind[k]) return RP_ENOMEM;
    }
    for (size_t i = 0; i < g->npr; i++) {
        unsigned k = g->pr[i].kind;
        g->bykind[k][g->nbykind[k]++] = (uint16_t)i;
    }
    return RP_OK;
}

rp_err rp_sim_ct_new(const struct rp_sim_ct_opts *o, struct rp_sim_ct **out, struct rp_errbuf *eb)
{
    struct rp_sim_ct_opts defaults;
    if (!o) {
        rp_sim_ct_opts_init(&defaults);
        o = &defaults;
    }
    *out = NULL;
    const char *const *accounts = o->accounts ? o->accounts : default_accounts;
    size_t naccounts = o->accounts ? o->naccounts : RP_ARRAY_LEN(default_accounts);
    const char *const *regions = o->regions ? o->regions : default_regions;
    size_t nregions = o->regions ? o->nregions : RP_ARRAY_LEN(default_regions);
    if (naccounts < 1 || naccounts > RP_SIM_CT_MAX_ACCOUNTS)
        return rp_fail(eb, RP_EINVAL, "sim: %zu accounts, want 1..%d", naccounts,
                       RP_SIM_CT_MAX_ACCOUNTS);
    if (nregions < 1 || nregions > RP_SIM_CT_MAX_REGIONS)
        return rp_fail(eb, RP_EINVAL, "sim: %zu regions, want 1..%d", nregions,
                       RP_SIM_CT_MAX_REGIONS);
    for (size_t i = 0; i < naccounts; i++)
        if (!valid_account(accounts[i]))
            return rp_fail(eb, RP_EINVAL, "sim: account %zu is not a 12-digit id", i);
    for (size_t i = 0; i < nregions; i++)
        if (!valid_region(regions[i]))
            return rp_fail(eb, RP_EINVAL, "sim: region %zu is not [a-z0-9-]{1,%d}", i,
                           MAX_REGION_LEN);
    if (o->start_ms < MIN_MS || o->start_ms > MAX_MS)
        return rp_fail(eb, RP_EINVAL, "sim: start time %lld ms is outside 2000..9999",
                       (long long)o->start_ms);
    if (o->mean_interval_ms > MAX_INTERVAL_MS)
        return rp_fail(eb, RP_EINVAL, "sim: mean interval %u ms is over one day",
                       o->mean_interval_ms);
    if (o->data_permille > 1000 || o->error_permille > 1000)
        return rp_fail(eb, RP_EINVAL, "sim: data or error per mille over 1000");

    struct rp_sim_ct *g = calloc(1, sizeof(*g));
    if (!g) return rp_fail(eb, RP_ENOMEM, "sim: out of memory");
    rp_arena_init(&g->arena, 0);
    g->naccounts = naccounts;
    g->nregions = nregions;
    g->mean_ms = o->mean_interval_ms;
    g->data_pm = o->data_permille;
    g->err_pm = o->error_permille;
    g->acct = calloc(naccounts, sizeof(*g->acct));
    g->region = calloc(nregions, sizeof(*g->region));
    g->region_len = calloc(nregions, 1);
    g->scratch = malloc(RP_SIM_CT_MAX_RECORD);
    rp_err e = RP_OK;
    if (!g->acct || !g->region || !g->region_len || !g->scratch) e = RP_ENOMEM;
    if (!e) {
        for (size_t i = 0; i < naccounts; i++) memcpy(g->acct[i], accounts[i], 13);
        for (size_t i = 0; i < nregions; i++) {
            g->region_len[i] = (uint8_t)strlen(regions[i]);
            memcpy(g->region[i], regions[i], g->region_len[i] + 1u);
        }
        uint64_t x = o->seed;
        for (int i = 0; i < 4; i++) g->st.rng.s[i] = splitmix64(&x);
        g->idseed = splitmix64(&x);
        g->st.t_ms = o->start_ms;
        g->tsec_cached = -1;
        /* the estate takes its own stream, so estate changes do not shift the records' */
        struct rng er;
        for (int i = 0; i < 4; i++) er.s[i] = splitmix64(&x);
        e = build_estate(g, &er);
    }
    if (e) {
        rp_sim_ct_free(g);
        return rp_fail(eb, e, "sim: cannot build the estate: %s", rp_strerror(e));
    }
    uint32_t c = 0;
    for (size_t i = 0; i < RP_ARRAY_LEN(mgmt); i++) g->mgmt_cum[i] = c += mgmt[i].weight;
    c = 0;
    for (size_t i = 0; i < RP_ARRAY_LEN(data); i++) g->data_cum[i] = c += data[i].weight;
    *out = g;
    return RP_OK;
}

void rp_sim_ct_free(struct rp_sim_ct *g)
{
    if (!g) return;
    rp_arena_release(&g->arena);
    for (int k = 0; k < K_NKINDS; k++) free(g->bykind[k]);
    free(g->pr);
    free(g->acct);
    free(g->region);
    free(g->region_len);
    free(g->scratch);
    free(g);
}

uint64_t rp_sim_ct_count(const struct rp_sim_ct *g)
{
    return g->st.n;
}

/* ---- one record -------------------------------------------------------------------------- */

/* Everything decided about one event before it is written. */
struct ev {
    const struct ent *e;
    const struct principal *p;      /* NULL for AWS services and cross-account callers */
    int kind;                       /* enum pkind of the caller, or -1 for AWSAccount */
    size_t acct;                    /* recipient account */
    size_t caller_acct;             /* AWSAccount: the calling account */
    int region;                     /* index, or -1 for us-east-1 of global services */
    const char *svc;                /* K_SERVICE: invokedBy host */
    const struct principal *target; /* AssumeRole by a service: the workload it becomes */
    size_t bucket;
    bool console, err, vpce;
    int64_t tsec;
};

static const char *region_str(const struct rp_sim_ct *g, const struct ev *v, size_t *len)
{
    if (v->region < 0) {
        *len = 9;
        return "us-east-1";
    }
    *len = g->region_len[v->region];
    return g->region[v->region];
}

static void region(struct w *w, const struct rp_sim_ct *g, const struct ev *v)
{
    size_t n;
    const char *s = region_str(g, v, &n);
    put(w, s, n);
}

static void acct(struct w *w, const struct rp_sim_ct *g, size_t a)
{
    put(w, g->acct[a], 12);
}

static void bucket(struct w *w, const struct rp_sim_ct *g, const struct ev *v)
{
    lit(w, "examplecorp-");
    str(w, bucket_kinds[v->bucket]);
    lit(w, "-");
    acct(w, g, v->acct);
}

/* The region a bucket lives in: fixed per (account, bucket). */
static int bucket_region(const struct rp_sim_ct *g, size_t a, size_t b)
{
    return (int)((a + b) % g->nregions);
}

/* An object key shaped by the bucket's purpose. */
static void object_key(struct w *w, struct rp_sim_ct *g, const struct ev *v)
{
    struct rng *r = &g->st.rng;
    const char *t = g->tstr;
    switch (v->bucket) {
    case 0: /* logs */
        lit(w, "alb/AWSLogs/");
        acct(w, g, v->acct);
        lit(w, "/elasticloadbalancing/");
        region(w, g, v);
        lit(w, "/");
        put(w, t, 4);
        lit(w, "/");
        put(w, t + 5, 2);
        lit(w, "/");
        put(w, t + 8, 2);
        lit(w, "/");
        rand_chars(w, r, hexd, 4, 16);
        lit(w, ".log.gz");
        break;
    case 1: /* data-lake */
        lit(w, "raw/orders/dt=");
        put(w, t, 10);
        lit(w, "/part-");
        u64(w, 10000 + rng_below(r, 90000));
        lit(w, "-");
        uuid(w, r);
        lit(w, ".snappy.parquet");
        break;
    case 2: /* artifacts */
        lit(w, "builds/");
        str(w, lambda_fns[rng_below(r, RP_ARRAY_LEN(lambda_fns))]);
        lit(w, "/");
        rand_chars(w, r, hexd, 4, 12);
        lit(w, "/bundle.zip");
        break;
    case 3: /* backups */
        lit(w, "db/orders-db/");
        put(w, t, 10);
        lit(w, "/base-");
        u64(w, 100000 + rng_below(r, 900000));
        lit(w, ".tar.zst");
        break;
    default: /* static-site */
        lit(w, "assets/img/");
        rand_chars(w, r, hexd, 4, 8);
        lit(w, ".webp");
        break;
    }
}

static void kms_key_arn(struct w *w, struct rp_sim_ct *g, const struct ev *v)
{
    lit(w, "arn:aws:kms:");
    region(w, g, v);
    lit(w, ":");
    acct(w, g, v->acct);
    lit(w, ":key/");
    uint64_t h =
        mix(g->idseed ^ 0x6b6d73ull, ((uint64_t)v->acct << 40) ^ ((uint64_t)(v->region + 1) << 20) ^
                                         rng_below(&g->st.rng, 3));
    uuid_parts(w, h, mix(h, 7));
}

/* A workload principal of the event's account (AssumeRole by a service, GetRole targets). */
static const struct principal *workload_of(struct rp_sim_ct *g, size_t a, int kind)
{
    size_t n = g->nbykind[kind];
    uint32_t k = rng_below(&g->st.rng, (uint32_t)(n / g->naccounts));
    return &g->pr[g->bykind[kind][a * (n / g->naccounts) + k]];
}

static void role_arn(struct w *w, const struct rp_sim_ct *g, size_t a, const char *role)
{
    lit(w, "arn:aws:iam::");
    acct(w, g, a);
    lit(w, ":role/");
    str(w, role);
}

static void s3_additional(struct w *w, struct rp_sim_ct *g, uint64_t in, uint64_t outb)
{
    lit(w, ",\"additionalEventData\":{\"SignatureVersion\":\"SigV4\",\"CipherSuite\":\""
           "TLS_AES_128_GCM_SHA256\",\"bytesTransferredIn\":");
    u64(w, in);
    lit(w, ",\"AuthenticationMethod\":\"AuthHeader\",\"x-amz-id-2\":\"");
    rand_chars(w, &g->st.rng, b64, 6, 76);
    lit(w, "\",\"bytesTransferredOut\":");
    u64(w, outb);
    lit(w, "}");
}

/* A plausible object size: log-uniform between 1 byte and 64 MiB. */
static uint64_t obj_size(struct rng *r)
{
    return 1 + rng_below(r, 1u << rng_below(r, 27));
}

static void s3_resources(struct w *w, struct rp_sim_ct *g, const struct ev *v, bool object,
                         const char *key, size_t keylen)
{
    lit(w, ",\"resources\":[");
    if (object) {
        lit(w, "{\"type\":\"AWS::S3::Object\",\"ARN\":\"arn:aws:s3:::");
        bucket(w, g, v);
        lit(w, "/");
        put(w, key, keylen);
        lit(w, "\"},");
    }
    lit(w, "{\"accountId\":\"");
    acct(w, g, v->acct);
    lit(w, "\",\"type\":\"AWS::S3::Bucket\",\"ARN\":\"arn:aws:s3:::");
    bucket(w, g, v);
    lit(w, "\"}]");
}

/* requestParameters, responseElements, additionalEventData (after responseElements) and the
 * resources array (returned through *res for writing after readOnly) of one event. */
struct tail {
    char res[1024]; /* ,"resources":[...] or empty */
    size_t res_len;
};

static void body(struct w *w, struct rp_sim_ct *g, struct ev *v, struct tail *tl)
{
    struct rng *r = &g->st.rng;
    struct w rw = {tl->res, tl->res + sizeof(tl->res), false};
    char keyb[256];
    struct w kw = {keyb, keyb + sizeof(keyb), false};
    bool ok = !v->err;
    uint32_t x;

    lit(w, ",\"requestParameters\":");
    switch ((enum op)v->e->op) {
    case OP_NULL:
        lit(w, "null,\"responseElements\":null");
        break;
    case OP_EC2_DESCRIBE_INSTANCES:
        if (rng_below(r, 4) == 0) {
            lit(w, "{\"instancesSet\":{\"items\":[{\"instanceId\":\"");
            instance_id(w, g, v->acct, (size_t)(v->region < 0 ? 0 : v->region),
                        rng_below(r, PER_ACCT_EC2 + 2));
            lit(w, "\"}]},\"filterSet\":{}}");
        } else {
            lit(w, "{\"instancesSet\":{},\"filterSet\":{}}");
        }
        lit(w, ",\"responseElements\":null");
        break;
    case OP_EC2_DESCRIBE_SG:
        lit(w, "{\"securityGroupSet\":{},\"securityGroupIdSet\":{},\"filterSet\":{\"items\":[{"
               "\"name\":\"vpc-id\",\"valueSet\":{\"items\":[{\"value\":\"vpc-0");
        hash_chars(w, mix(g->idseed ^ 0x7063ull, v->acct * 64 + (size_t)(v->region + 1)), hexd, 4,
                   16);
        lit(w, "\"}]}}]}},\"responseElements\":null");
        break;
    case OP_EC2_DESCRIBE_VOLUMES:
        lit(w, "{\"volumeSet\":{},\"filterSet\":{},\"maxResults\":500},\"responseElements\":null");
        break;
    case OP_EC2_DESCRIBE_REGIONS:
        lit(w, "{\"regionSet\":{},\"allRegions\":false},\"responseElements\":null");
        break;
    case OP_EC2_RUN: {
        const char *itype = instance_types[rng_below(r, RP_ARRAY_LEN(instance_types))];
        char ami[21];
        struct w aw = {ami, ami + sizeof(ami), false};
        lit(&aw, "ami-0");
        rand_chars(&aw, r, hexd, 4, 16);
        lit(w, "{\"instancesSet\":{\"items\":[{\"imageId\":\"");
        put(w, ami, 21);
        lit(w, "\",\"minCount\":1,\"maxCount\":1}]},\"instanceType\":\"");
        str(w, itype);
        lit(w, "\",\"blockDeviceMapping\":{},\"monitoring\":{\"enabled\":false},"
               "\"disableApiTermination\":false,\"disableApiStop\":false,\"clientToken\":\"");
        uuid(w, r);
        lit(w, "\"},\"responseElements\":");
        if (!ec2_response_open(w, r, ok)) break;
        lit(w, "\",\"reservationId\":\"r-0");
        rand_chars(w, r, hexd, 4, 16);
        lit(w, "\",\"ownerId\":\"");
        acct(w, g, v->acct);
        lit(w, "\",\"groupSet\":{},\"instancesSet\":{\"items\":[{\"instanceId\":\"i-0");
        rand_chars(w, r, hexd, 4, 16);
        lit(w, "\",\"imageId\":\"");
        put(w, ami, 21);
        lit(w, "\",\"instanceState\":{\"code\":0,\"name\":\"pending\"},\"instanceType\":\"");
        str(w, itype);
        lit(w, "\",\"launchTime\":");
        u64(w, (uint64_t)v->tsec * 1000);
        lit(w, ",\"placement\":{\"availabilityZone\":\"");
        region(w, g, v);
        put(w, &"abc"[rng_below(r, 3)], 1); /* zone suffix a, b or c */
        lit(w, "\",\"tenancy\":\"default\"},\"monitoring\":{\"state\":\"disabled\"},"
               "\"privateIpAddress\":\"10.0.");
        u64(w, rng_below(r, 256));
        lit(w, ".");
        u64(w, 1 + rng_below(r, 254));
        lit(w, "\",\"architecture\":\"x86_64\",\"rootDeviceType\":\"ebs\","
               "\"rootDeviceName\":\"/dev/xvda\",\"virtualizationType\":\"hvm\","
               "\"hypervisor\":\"xen\",\"ebsOptimized\":false,\"enaSupport\":true}]}}");
        break;
    }
    case OP_EC2_STOP: {
        char iid[20];
        struct w iw = {iid, iid + sizeof(iid), false};
        instance_id(&iw, g, v->acct, (size_t)(v->region < 0 ? 0 : v->region),
                    rng_below(r, PER_ACCT_EC2 + 2));
        lit(w, "{\"instancesSet\":{\"items\":[{\"instanceId\":\"");
        put(w, iid, 19);
        lit(w, "\"}]},\"force\":false},\"responseElements\":");
        if (!ec2_response_open(w, r, ok)) break;
        lit(w, "\",\"instancesSet\":{\"items\":[{\"instanceId\":\"");
        put(w, iid, 19);
        lit(w, "\",\"currentState\":{\"code\":64,\"name\":\"stopping\"},\"previousState\":{"
               "\"code\":16,\"name\":\"running\"}}]}}");
        break;
    }
    case OP_EC2_AUTH_SG: {
        static const uint16_t ports[] = {22, 443, 3389, 5432, 8080};
        uint16_t port = ports[rng_below(r, RP_ARRAY_LEN(ports))];
        lit(w, "{\"groupId\":\"sg-0");
        rand_chars(w, r, hexd, 4, 16);
        lit(w, "\",\"ipPermissions\":{\"items\":[{\"ipProtocol\":\"tcp\",\"fromPort\":");
        u64(w, port);
        lit(w, ",\"toPort\":");
        u64(w, port);
        lit(w, ",\"groups\":{},\"ipRanges\":{\"items\":[{\"cidrIp\":\"");
        if (rng_below(r, 3) == 0)
            lit(w, "0.0.0.0/0");
        else {
            str(w, v->p ? v->p->ip[0] : "10.0.0.0");
            lit(w, "/32");
        }
        lit(w, "\"}]},\"ipv6Ranges\":{},\"prefixListIds\":{}}]}},\"responseElements\":");
        if (!ec2_response_open(w, r, ok)) break;
        lit(w, "\",\"_return\":true}");
        break;
    }
    case OP_EC2_CREATE_TAGS:
        lit(w, "{\"resourcesSet\":{\"items\":[{\"resourceId\":\"i-0");
        rand_chars(w, r, hexd, 4, 16);
        lit(w, "\"}]},\"tagSet\":{\"items\":[{\"key\":\"Name\",\"value\":\"");
        str(w, lambda_fns[rng_below(r, RP_ARRAY_LEN(lambda_fns))]);
        lit(w, "-");
        u64(w, rng_below(r, 100));
        lit(w, "\"}]}},\"responseElements\":");
        if (!ec2_response_open(w, r, ok)) break;
        lit(w, "\",\"_return\":true}");
        break;
    case OP_S3_LIST_BUCKETS:
        lit(w, "{\"Host\":\"s3.amazonaws.com\"},\"responseElements\":null");
        s3_additional(w, g, 0, ok ? 400 + rng_below(r, 4000) : 243);
        break;
    case OP_S3_BUCKET_ACL:
    case OP_S3_BUCKET_LOCATION:
        lit(w, "{\"bucketName\":\"");
        bucket(w, g, v);
        lit(w, "\",\"Host\":\"");
        bucket(w, g, v);
        if (v->e->op == OP_S3_BUCKET_ACL)
            lit(w, ".s3.amazonaws.com\",\"acl\":\"\"}");
        else
            lit(w, ".s3.amazonaws.com\",\"location\":\"\"}");
        lit(w, ",\"responseElements\":null");
        s3_additional(w, g, 0, ok ? 100 + rng_below(r, 900) : 243);
        s3_resources(&rw, g, v, false, NULL, 0);
        break;
    case OP_S3_PUT_POLICY:
        lit(w, "{\"bucketPolicy\":{\"Version\":\"2012-10-17\",\"Statement\":[{");
        if (rng_below(r, 4) == 0)
            lit(w, "\"Sid\":\"PublicRead\",\"Effect\":\"Allow\",\"Principal\":\"*\",");
        else
            lit(w, "\"Sid\":\"AllowCloudFrontRead\",\"Effect\":\"Allow\",\"Principal\":{"
                   "\"Service\":\"cloudfront.amazonaws.com\"},");
        lit(w, "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::");
        bucket(w, g, v);
        lit(w, "/*\"}]},\"bucketName\":\"");
        bucket(w, g, v);
        lit(w, "\",\"Host\":\"");
        bucket(w, g, v);
        lit(w, ".s3.amazonaws.com\",\"policy\":\"\"},\"responseElements\":null");
        s3_additional(w, g, 300 + rng_below(r, 200), 0);
        s3_resources(&rw, g, v, false, NULL, 0);
        break;
    case OP_S3_PUT_PAB:
        x = rng_below(r, 4) != 0; /* mostly turning the block on */
        lit(w, "{\"publicAccessBlock\":\"\",\"bucketName\":\"");
        bucket(w, g, v);
        lit(w, "\",\"Host\":\"");
        bucket(w, g, v);
        lit(w, ".s3.amazonaws.com\",\"PublicAccessBlockConfiguration\":{\"xmlns\":"
               "\"http://s3.amazonaws.com/doc/2006-03-01/\",\"RestrictPublicBuckets\":");
        if (x)
            lit(w, "true,\"BlockPublicPolicy\":true,\"BlockPublicAcls\":true,"
                   "\"IgnorePublicAcls\":true}}");
        else
            lit(w, "false,\"BlockPublicPolicy\":false,\"BlockPublicAcls\":false,"
                   "\"IgnorePublicAcls\":false}}");
        lit(w, ",\"responseElements\":null");
        s3_additional(w, g, 200 + rng_below(r, 100), 0);
        s3_resources(&rw, g, v, false, NULL, 0);
        break;
    case OP_S3_GET:
    case OP_S3_PUT:
    case OP_S3_HEAD:
    case OP_S3_DELETE: {
        object_key(&kw, g, v);
        size_t kl = (size_t)(kw.p - keyb);
        lit(w, "{\"bucketName\":\"");
        bucket(w, g, v);
        lit(w, "\",\"Host\":\"");
        bucket(w, g, v);
        lit(w, ".s3.");
        region(w, g, v);
        lit(w, ".amazonaws.com\",\"key\":\"");
        put(w, keyb, kl);
        lit(w, "\"},\"responseElements\":");
        uint64_t size = obj_size(r);
        if (ok && v->e->op == OP_S3_PUT)
            lit(w, "{\"x-amz-server-side-encryption\":\"AES256\"}");
        else
            lit(w, "null");
        s3_additional(w, g, v->e->op == OP_S3_PUT && ok ? size : 0,
                      v->e->op == OP_S3_GET && ok ? size : 0);
        s3_resources(&rw, g, v, true, keyb, kl);
        break;
    }
    case OP_S3_LIST:
        lit(w, "{\"bucketName\":\"");
        bucket(w, g, v);
        lit(w, "\",\"Host\":\"");
        bucket(w, g, v);
        lit(w, ".s3.");
        region(w, g, v);
        lit(w, ".amazonaws.com\",\"list-type\":\"2\",\"prefix\":\"");
        put(w, g->tstr, 4);
        lit(w, "/\"},\"responseElements\":null");
        s3_additional(w, g, 0, ok ? 300 + rng_below(r, 50000) : 243);
        s3_resources(&rw, g, v, false, NULL, 0);
        break;
    case OP_IAM_CREATE_USER:
    case OP_IAM_ATTACH_POLICY:
    case OP_IAM_CREATE_KEY: {
        char un[40];
        struct w uw = {un, un + sizeof(un), false};
        str(&uw, human_names[rng_below(r, RP_ARRAY_LEN(human_names))]);
        lit(&uw, "-");
        u64(&uw, rng_below(r, 1000));
        size_t ul = (size_t)(uw.p - un);
        lit(w, "{\"userName\":\"");
        put(w, un, ul);
        if (v->e->op == OP_IAM_ATTACH_POLICY) {
            lit(w, "\",\"policyArn\":\"arn:aws:iam::aws:policy/");
            str(w, managed_policies[rng_below(r, RP_ARRAY_LEN(managed_policies))]);
            lit(w, "\"},\"responseElements\":null");
            break;
        }
        lit(w, "\"},\"responseElements\":");
        if (!ok) {
            lit(w, "null");
            break;
        }
        if (v->e->op == OP_IAM_CREATE_USER) {
            lit(w, "{\"user\":{\"path\":\"/\",\"userName\":\"");
            put(w, un, ul);
            lit(w, "\",\"userId\":\"AIDA");
            rand_chars(w, r, b32, 5, 17);
            lit(w, "\",\"arn\":\"arn:aws:iam::");
            acct(w, g, v->acct);
            lit(w, ":user/");
            put(w, un, ul);
            lit(w, "\",\"createDate\":\"");
        } else {
            lit(w, "{\"accessKey\":{\"userName\":\"");
            put(w, un, ul);
            lit(w, "\",\"accessKeyId\":\"AKIA");
            rand_chars(w, r, b32, 5, 16);
            lit(w, "\",\"status\":\"Active\",\"createDate\":\"");
        }
        javadate(w, v->tsec);
        lit(w, "\"}}");
        break;
    }
    case OP_IAM_GET_ROLE: {
        const struct principal *t = workload_of(g, v->acct, rng_below(r, 2) ? K_EC2 : K_LAMBDA);
        lit(w, "{\"roleName\":\"");
        str(w, t->role);
        lit(w, "\"},\"responseElements\":null");
        break;
    }
    case OP_STS_ASSUME: {
        /* which role, assumed as which session */
        const struct principal *t = v->target;
        size_t tacct = v->acct;
        char sess[64];
        struct w sw = {sess, sess + sizeof(sess), false};
        const char *trole;
        if (t) {
            trole = t->role;
            str(&sw, t->name);
        } else if (v->kind == K_EC2) {
            trole = "cross-account-reader";
            str(&sw, v->p->name);
        } else {
            trole = rng_below(r, 2) ? "OrganizationAccountAccessRole" : "deploy-role";
            lit(&sw, "botocore-session-");
            u64(&sw, (uint64_t)v->tsec);
        }
        size_t sl = (size_t)(sw.p - sess);
        lit(w, "{\"roleArn\":\"");
        role_arn(w, g, tacct, trole);
        lit(w, "\",\"roleSessionName\":\"");
        put(w, sess, sl);
        lit(w, "\",\"durationSeconds\":3600},\"responseElements\":");
        if (ok) {
            lit(w, "{\"credentials\":{\"accessKeyId\":\"ASIA");
            rand_chars(w, r, b32, 5, 16);
            lit(w, "\",\"sessionToken\":\"IQoJb3JpZ2luX2VjE");
            rand_chars(w, r, b64, 6, 300);
            lit(w, "\",\"expiration\":\"");
            javadate(w, v->tsec + 3600);
            lit(w, "\"},\"assumedRoleUser\":{\"assumedRoleId\":\"AROA");
            hash_chars(w, mix(g->idseed ^ strhash(trole), tacct), b32, 5, 17);
            lit(w, ":");
            put(w, sess, sl);
            lit(w, "\",\"arn\":\"arn:aws:sts::");
            acct(w, g, tacct);
            lit(w, ":assumed-role/");
            str(w, trole);
            lit(w, "/");
            put(w, sess, sl);
            lit(w, "\"}}");
        } else {
            lit(w, "null");
        }
        lit(&rw, ",\"resources\":[{\"accountId\":\"");
        acct(&rw, g, tacct);
        lit(&rw, "\",\"type\":\"AWS::IAM::Role\",\"ARN\":\"");
        role_arn(&rw, g, tacct, trole);
        lit(&rw, "\"}]");
        break;
    }
    case OP_SIGNIN:
        lit(w, "null,\"responseElements\":{\"ConsoleLogin\":\"");
        if (ok)
            lit(w, "Success\"}");
        else
            lit(w, "Failure\"}");
        lit(w, ",\"additionalEventData\":{\"LoginTo\":\"https://console.aws.amazon.com/console/"
               "home?state=hashArgs%23&isauthcode=true\",\"MobileVersion\":\"No\",\"MFAUsed\":\"");
        if (v->kind == K_ROOT || (v->kind == K_HUMAN && v->p->console))
            lit(w, "Yes\"}");
        else
            lit(w, "No\"}");
        break;
    case OP_KMS_DECRYPT:
    case OP_KMS_GDK: {
        char karn[160];
        struct w aw = {karn, karn + sizeof(karn), false};
        kms_key_arn(&aw, g, v);
        size_t kl = (size_t)(aw.p - karn);
        if (v->e->op == OP_KMS_DECRYPT) {
            lit(w, "{\"encryptionAlgorithm\":\"SYMMETRIC_DEFAULT\",\"encryptionContext\":{");
            if (v->kind == K_LAMBDA) {
                lit(w, "\"aws:lambda:FunctionArn\":\"arn:aws:lambda:");
                region(w, g, v);
                lit(w, ":");
                acct(w, g, v->acct);
                lit(w, ":function:");
                str(w, v->p->name);
                lit(w, "\"}}");
            } else {
                lit(w, "\"PARAMETER_ARN\":\"arn:aws:ssm:");
                region(w, g, v);
                lit(w, ":");
                acct(w, g, v->acct);
                lit(w, ":parameter/app/prod/db-password\"}}");
            }
        } else {
            lit(w, "{\"keyId\":\"");
            put(w, karn, kl);
            lit(w, "\",\"keySpec\":\"AES_256\",\"encryptionContext\":{\"aws:s3:arn\":\""
                   "arn:aws:s3:::examplecorp-data-lake-");
            acct(w, g, v->acct);
            lit(w, "\"}}");
        }
        lit(w, ",\"responseElements\":null");
        lit(&rw, ",\"resources\":[{\"accountId\":\"");
        acct(&rw, g, v->acct);
        lit(&rw, "\",\"type\":\"AWS::KMS::Key\",\"ARN\":\"");
        put(&rw, karn, kl);
        lit(&rw, "\"}]");
        break;
    }
    case OP_KMS_ROTATE: {
        char karn[160];
        struct w aw = {karn, karn + sizeof(karn), false};
        kms_key_arn(&aw, g, v);
        size_t kl = (size_t)(aw.p - karn);
        lit(w, "null,\"responseElements\":null,\"additionalEventData\":{\"keyId\":\"");
        put(w, karn, kl);
        lit(w, "\"}");
        lit(&rw, ",\"resources\":[{\"accountId\":\"");
        acct(&rw, g, v->acct);
        lit(&rw, "\",\"type\":\"AWS::KMS::Key\",\"ARN\":\"");
        put(&rw, karn, kl);
        lit(&rw, "\"}]");
        break;
    }
    case OP_CT_DESCRIBE:
        lit(w, "{\"trailNameList\":[],\"includeShadowTrails\":true},\"responseElements\":null");
        break;
    case OP_CT_LOOKUP: {
        static const char *const names[] = {"ConsoleLogin", "CreateAccessKey", "AssumeRole",
                                            "StopLogging", "PutBucketPolicy"};
        lit(w, "{\"lookupAttributes\":[{\"attributeKey\":\"EventName\",\"attributeValue\":\"");
        str(w, names[rng_below(r, RP_ARRAY_LEN(names))]);
        lit(w, "\"}],\"maxResults\":50},\"responseElements\":null");
        break;
    }
    case OP_CT_STOP:
        lit(w, "{\"name\":\"arn:aws:cloudtrail:");
        region(w, g, v);
        lit(w, ":");
        acct(w, g, v->acct);
        lit(w, ":trail/management-events\"},\"responseElements\":null");
        break;
    case OP_LAMBDA_GET:
    case OP_LAMBDA_UPDATE: {
        const char *fn = lambda_fns[rng_below(r, RP_ARRAY_LEN(lambda_fns))];
        lit(w, "{\"functionName\":\"");
        str(w, fn);
        if (v->e->op == OP_LAMBDA_GET) {
            lit(w, "\"},\"responseElements\":null");
            break;
        }
        lit(w, "\",\"publish\":false,\"dryRun\":false},\"responseElements\":");
        if (!ok) {
            lit(w, "null");
            break;
        }
        lit(w, "{\"functionName\":\"");
        str(w, fn);
        lit(w, "\",\"functionArn\":\"arn:aws:lambda:");
        region(w, g, v);
        lit(w, ":");
        acct(w, g, v->acct);
        lit(w, ":function:");
        str(w, fn);
        lit(w, "\",\"runtime\":\"python3.12\",\"role\":\"arn:aws:iam::");
        acct(w, g, v->acct);
        lit(w, ":role/");
        str(w, fn);
        lit(w, "-role\",\"handler\":\"app.handler\",\"codeSize\":");
        u64(w, 1000 + rng_below(r, 5000000));
        lit(w, ",\"description\":\"\",\"timeout\":30,\"memorySize\":256,\"lastModified\":\"");
        put(w, g->tstr, 19);
        lit(w, ".000+0000\",\"codeSha256\":\"");
        rand_chars(w, r, b64, 6, 43);
        lit(w, "=\",\"version\":\"$LATEST\",\"tracingConfig\":{\"mode\":\"PassThrough\"},"
               "\"revisionId\":\"");
        uuid(w, r);
        lit(w, "\",\"state\":\"Active\",\"lastUpdateStatus\":\"InProgress\","
               "\"packageType\":\"Zip\",\"architectures\":[\"arm64\"]}");
        break;
    }
    case OP_RDS_SNAPSHOT: {
        char sid[48];
        struct w iw = {sid, sid + sizeof(sid), false};
        lit(&iw, "orders-db-");
        put(&iw, g->tstr, 10);
        lit(&iw, "-");
        rand_chars(&iw, r, alnum_lc, 5, 6);
        size_t sl = (size_t)(iw.p - sid);
        lit(w, "{\"dBSnapshotIdentifier\":\"");
        put(w, sid, sl);
        lit(w, "\",\"dBInstanceIdentifier\":\"orders-db\"},\"responseElements\":");
        if (!ok) {
            lit(w, "null");
            break;
        }
        lit(w, "{\"dBSnapshotIdentifier\":\"");
        put(w, sid, sl);
        lit(w, "\",\"dBInstanceIdentifier\":\"orders-db\",\"engine\":\"postgres\","
               "\"allocatedStorage\":100,\"status\":\"creating\",\"port\":5432,"
               "\"availabilityZone\":\"");
        region(w, g, v);
        lit(w, "a\",\"masterUsername\":\"dbadmin\",\"engineVersion\":\"15.5\","
               "\"licenseModel\":\"postgresql-license\",\"snapshotType\":\"manual\","
               "\"percentProgress\":0,\"storageType\":\"gp3\",\"encrypted\":true,"
               "\"dBSnapshotArn\":\"arn:aws:rds:");
        region(w, g, v);
        lit(w, ":");
        acct(w, g, v->acct);
        lit(w, ":snapshot:");
        put(w, sid, sl);
        lit(w, "\",\"iAMDatabaseAuthenticationEnabled\":false,\"dbiResourceId\":\"db-");
        hash_chars(w, mix(g->idseed ^ 0x7264ull, v->acct), b32, 5, 26);
        lit(w, "\",\"tagList\":[]}");
        break;
    }
    case OP_LOGS_CREATE_STREAM:
        if (v->kind == K_LAMBDA) {
            lit(w, "{\"logGroupName\":\"/aws/lambda/");
            str(w, v->p->name);
        } else {
            lit(w, "{\"logGroupName\":\"/app/");
            str(w, v->p ? v->p->role : "web");
        }
        lit(w, "\",\"logStreamName\":\"");
        put(w, g->tstr, 4);
        lit(w, "/");
        put(w, g->tstr + 5, 2);
        lit(w, "/");
        put(w, g->tstr + 8, 2);
        lit(w, "/[$LATEST]");
        rand_chars(w, r, hexd, 4, 32);
        lit(w, "\"},\"responseElements\":null");
        break;
    case OP_LOGS_DESCRIBE:
        lit(w, "{\"limit\":50},\"responseElements\":null");
        break;
    case OP_CW_METRIC_DATA:
        lit(w, "{\"metricDataQueries\":[{\"id\":\"m1\",\"metricStat\":{\"metric\":{"
               "\"namespace\":\"AWS/EC2\",\"metricName\":\"CPUUtilization\",\"dimensions\":[{"
               "\"name\":\"InstanceId\",\"value\":\"");
        instance_id(w, g, v->acct, (size_t)(v->region < 0 ? 0 : v->region),
                    rng_below(r, PER_ACCT_EC2 + 2));
        lit(w, "\"}]},\"period\":300,\"stat\":\"Average\"},\"returnData\":true}],"
               "\"startTime\":\"");
        javadate(w, v->tsec - 3600);
        lit(w, "\",\"endTime\":\"");
        javadate(w, v->tsec);
        lit(w, "\"},\"responseElements\":null");
        break;
    case OP_SSM_UPDATE:
        lit(w, "{\"instanceId\":\"");
        if (v->kind == K_EC2)
            str(w, v->p->name);
        else
            instance_id(w, g, v->acct, (size_t)(v->region < 0 ? 0 : v->region), 0);
        lit(w, "\",\"agentVersion\":\"3.2.2303.0\",\"agentStatus\":\"Active\","
               "\"platformType\":\"Linux\",\"platformName\":\"Amazon Linux\","
               "\"platformVersion\":\"2023\",\"iPAddress\":\"");
        str(w, v->p ? v->p->vpc_ip : "10.0.0.10");
        lit(w, "\",\"computerName\":\"ip-");
        {
            const char *s = v->p ? v->p->vpc_ip : "10.0.0.10";
            for (; *s; s++) put(w, *s == '.' ? "-" : s, 1);
        }
        lit(w, ".ec2.internal\",\"agentName\":\"amazon-ssm-agent\",\"availabilityZone\":\"");
        region(w, g, v);
        lit(w, "a\"},\"responseElements\":null");
        break;
    case OP_SSM_GET_PARAM: {
        static const char *const params[] = {"/app/prod/db-host", "/app/prod/feature-flags",
                                             "/app/prod/db-password", "/cwagent/config"};
        x = rng_below(r, RP_ARRAY_LEN(params));
        lit(w, "{\"name\":\"");
        str(w, params[x]);
        if (x == 2)
            lit(w, "\",\"withDecryption\":true}");
        else
            lit(w, "\"}");
        lit(w, ",\"responseElements\":null");
        break;
    }
    case OP_SM_GET_SECRET:
        lit(w, "{\"secretId\":\"arn:aws:secretsmanager:");
        region(w, g, v);
        lit(w, ":");
        acct(w, g, v->acct);
        lit(w, ":secret:prod/");
        str(w, v->kind == K_LAMBDA ? v->p->name : "orders-db");
        lit(w, "/credentials-");
        hash_chars(w, mix(g->idseed ^ 0x736dull, v->acct), b64, 6, 6);
        lit(w, "\"},\"responseElements\":null");
        break;
    case OP_DDB_DESCRIBE: {
        static const char *const tables[] = {"orders", "sessions", "inventory", "terraform-locks"};
        lit(w, "{\"tableName\":\"");
        str(w, tables[rng_below(r, RP_ARRAY_LEN(tables))]);
        lit(w, "\"},\"responseElements\":null");
        break;
    }
    }
    tl->res_len = (size_t)(rw.p - tl->res);
    if (rw.over || kw.over) w->over = true; /* reported by the caller as a catalogue bug */
}

/* errorCode and errorMessage of a failed call. */
static void error_fields(struct w *w, struct rp_sim_ct *g, const struct ev *v)
{
    const struct ent *e = v->e;
    uint32_t x = rng_below(&g->st.rng, 8);
    if (e->op == OP_SIGNIN) {
        lit(w, ",\"errorMessage\":\"Failed authentication\"");
        return;
    }
    if (e->flags & F_EC2) {
        if (x == 0)
            lit(w, ",\"errorCode\":\"Client.RequestLimitExceeded\","
                   "\"errorMessage\":\"Request limit exceeded.\"");
        else
            lit(w, ",\"errorCode\":\"Client.UnauthorizedOperation\","
                   "\"errorMessage\":\"You are not authorized to perform this operation.\"");
        return;
    }
    if (e->flags & F_S3) {
        if ((e->op == OP_S3_GET || e->op == OP_S3_HEAD) && x < 4)
            lit(w, ",\"errorCode\":\"NoSuchKey\","
                   "\"errorMessage\":\"The specified key does not exist.\"");
        else
            lit(w, ",\"errorCode\":\"AccessDenied\",\"errorMessage\":\"Access Denied\"");
        return;
    }
    if (x == 0) {
        lit(w, ",\"errorCode\":\"ThrottlingException\",\"errorMessage\":\"Rate exceeded\"");
        return;
    }
    if (e->flags & F_EXC)
        lit(w, ",\"errorCode\":\"AccessDeniedException\"");
    else
        lit(w, ",\"errorCode\":\"AccessDenied\"");
    lit(w, ",\"errorMessage\":\"User: ");
    str(w, v->p->arn);
    lit(w, " is not authorized to perform: ");
    str(w, e->action);
    lit(w, " because no identity-based policy allows the ");
    str(w, e->action);
    lit(w, " action\"");
}

static size_t pick_cum(const uint32_t *cum, size_t n, uint32_t x)
{
    size_t lo = 0, hi = n - 1;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (x < cum[mid])
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

static void refresh_time(struct rp_sim_ct *g, int64_t secs)
{
    if (secs == g->tsec_cached) return;
    g->tsec_cached = secs;
    iso(g->tstr, secs);
}

/* Decide and write one record into w. */
static void gen(struct rp_sim_ct *g, struct w *w)
{
    struct rng *r = &g->st.rng;
    struct ev v = {0};

    /* uniform gaps in [0, 2*mean] keep the mean without libm's exp/log */
    int64_t t = g->st.t_ms + rng_below(r, 2 * g->mean_ms + 1);
    g->st.t_ms = t < MAX_MS ? t : MAX_MS;
    v.tsec = g->st.t_ms / 1000;
    refresh_time(g, v.tsec);

    bool is_data = rng_below(r, 1000) < g->data_pm;
    if (is_data) {
        uint32_t x = rng_below(r, g->data_cum[RP_ARRAY_LEN(data) - 1]);
        v.e = &data[pick_cum(g->data_cum, RP_ARRAY_LEN(data), x)];
    } else {
        uint32_t x = rng_below(r, g->mgmt_cum[RP_ARRAY_LEN(mgmt) - 1]);
        v.e = &mgmt[pick_cum(g->mgmt_cum, RP_ARRAY_LEN(mgmt), x)];
    }
    const struct ent *e = v.e;

    /* caller */
    uint32_t x = rng_below(r, 1000);
    int kind = 0;
    while (x >= who_cum[e->who][kind]) kind++;
    v.kind = kind;
    if (kind == K_SERVICE) {
        v.acct = rng_below(r, (uint32_t)g->naccounts);
        if (e->op == OP_STS_ASSUME) {
            bool ec2 = rng_below(r, 2);
            v.svc = ec2 ? "ec2.amazonaws.com" : "lambda.amazonaws.com";
            v.target = workload_of(g, v.acct, ec2 ? K_EC2 : K_LAMBDA);
        } else {
            v.svc = "kms.amazonaws.com";
        }
    } else if (is_data && rng_below(r, 100) < 3) {
        v.kind = -1; /* another account reads or writes our bucket */
        v.acct = rng_below(r, (uint32_t)g->naccounts);
        v.caller_acct = g->naccounts > 1
                            ? (v.acct + 1 + rng_below(r, (uint32_t)g->naccounts - 1)) % g->naccounts
                            : SIZE_MAX;
    } else {
        v.p = &g->pr[g->bykind[kind][rng_below(r, (uint32_t)g->nbykind[kind])]];
        v.acct = v.p->acct;
        if (kind == K_ROOT)
            v.console = true;
        else if (kind == K_HUMAN || kind == K_SSO)
            v.console = rng_below(r, 10) < (v.p->console ? 8u : 1u);
    }

    /* where */
    if (e->flags & F_GLOBAL) {
        v.region = -1;
    } else if (e->flags & F_BUCKET) {
        v.bucket = rng_below(r, NBUCKETS);
        v.region = bucket_region(g, v.acct, v.bucket);
    } else if (v.target) {
        v.region = v.target->home;
    } else if (v.p && (kind == K_EC2 || kind == K_LAMBDA)) {
        v.region = v.p->home;
    } else if (v.p && rng_below(r, 4) != 0) {
        v.region = v.p->home;
    } else {
        v.region = (int)rng_below(r, (uint32_t)g->nregions);
    }
    if (e->op == OP_S3_LIST_BUCKETS) v.region = -1;
    v.vpce = is_data && v.p && (kind == K_EC2 || kind == K_LAMBDA) && rng_below(r, 2);
    v.err = kind != K_SERVICE && rng_below(r, 1000) < g->err_pm;
    if (v.kind == -1 && v.err) v.err = false; /* no caller ARN to quote; keep it simple */
    bool signin = e->op == OP_SIGNIN;

    /* eventVersion, userIdentity */
    if (e->flags & F_V109)
        lit(w, "{\"eventVersion\":\"1.09\",\"userIdentity\":");
    else
        lit(w, "{\"eventVersion\":\"1.08\",\"userIdentity\":");
    if (kind == K_SERVICE) {
        if (e->op == OP_KMS_ROTATE) {
            lit(w, "{\"type\":\"AWSService\",\"accountId\":\"");
            acct(w, g, v.acct);
            lit(w, "\",\"invokedBy\":\"");
        } else {
            lit(w, "{\"type\":\"AWSService\",\"invokedBy\":\"");
        }
        str(w, v.svc);
        lit(w, "\"}");
    } else if (v.kind == -1) {
        /* the same calling account always shows the same principal and IP */
        lit(w, "{\"type\":\"AWSAccount\",\"principalId\":\"AIDA");
        hash_chars(w, mix(g->idseed ^ 0xacc7ull, v.caller_acct), b32, 5, 17);
        lit(w, "\",\"accountId\":\"");
        if (v.caller_acct == SIZE_MAX)
            lit(w, PARTNER_ACCOUNT);
        else
            acct(w, g, v.caller_acct);
        lit(w, "\"}");
    } else {
        const struct frag *f = &v.p->id[signin ? V_SIGNIN : v.console ? V_CONSOLE : V_PROG];
        put(w, f->pre, f->pre_len);
        if (f->cdate) {
            /* sessions start at this principal's hour boundary, never after the event */
            int64_t start = (v.tsec + v.p->phase) / 3600 * 3600 - v.p->phase;
            char cd[20];
            iso(cd, start < v.tsec ? start : v.tsec);
            put(w, cd, 20);
            put(w, f->post, f->post_len);
        }
    }

    lit(w, ",\"eventTime\":\"");
    put(w, g->tstr, 20);
    lit(w, "\",\"eventSource\":\"");
    str(w, e->source);
    lit(w, "\",\"eventName\":\"");
    str(w, e->name);
    lit(w, "\",\"awsRegion\":\"");
    region(w, g, &v);

    /* sourceIPAddress, userAgent */
    lit(w, "\",\"sourceIPAddress\":\"");
    if (kind == K_SERVICE) {
        str(w, v.svc);
        lit(w, "\",\"userAgent\":\"");
        str(w, v.svc);
    } else {
        if (v.kind == -1) {
            char ip[16];
            ip_from(ip, mix(g->idseed ^ 0x1bacc7ull, v.caller_acct), aws_octets,
                    sizeof(aws_octets));
            str(w, ip);
        } else if (v.vpce) {
            str(w, v.p->vpc_ip);
        } else {
            str(w, v.p->ip[v.p->ip[0][0] == v.p->ip[1][0] ? 0 : rng_below(r, 2)]);
        }
        lit(w, "\",\"userAgent\":\"");
        if (signin)
            str(w, browsers[v.p->ua % RP_ARRAY_LEN(browsers)]);
        else if (v.console)
            lit(w, UA_CONSOLE);
        else if (e->op == OP_SSM_UPDATE)
            lit(w, UA_SSM_AGENT);
        else if (v.kind == -1)
            str(w, agents[UA_JAVA]);
        else
            str(w, agents[v.p->ua]);
    }
    lit(w, "\"");

    if (v.err) error_fields(w, g, &v);

    struct tail tl;
    body(w, g, &v, &tl);

    /* requestID: S3 uses 16 upper-case hex digits, most others a UUID; none for sign-in and
     * service events */
    if (!signin && e->op != OP_KMS_ROTATE) {
        lit(w, ",\"requestID\":\"");
        if (e->flags & F_S3)
            hex_upper(w, rng_next(r), 16);
        else
            uuid(w, r);
        lit(w, "\"");
    }
    lit(w, ",\"eventID\":\"");
    uuid(w, r);
    if (e->flags & F_RO)
        lit(w, "\",\"readOnly\":true");
    else
        lit(w, "\",\"readOnly\":false");
    put(w, tl.res, tl.res_len);
    if (signin)
        lit(w, ",\"eventType\":\"AwsConsoleSignIn\"");
    else if (e->op == OP_KMS_ROTATE)
        lit(w, ",\"eventType\":\"AwsServiceEvent\"");
    else
        lit(w, ",\"eventType\":\"AwsApiCall\"");
    if (e->flags & F_DATA)
        lit(w, ",\"managementEvent\":false");
    else
        lit(w, ",\"managementEvent\":true");
    lit(w, ",\"recipientAccountId\":\"");
    acct(w, g, v.acct);
    lit(w, "\"");
    if (v.kind == -1) {
        lit(w, ",\"sharedEventID\":\"");
        uuid(w, r);
        lit(w, "\"");
    }
    if (v.vpce) {
        lit(w, ",\"vpcEndpointId\":\"vpce-0");
        hash_chars(w, mix(g->idseed ^ 0x7670ull, v.acct * 64 + (size_t)(v.region + 1)), hexd, 4,
                   16);
        lit(w, "\"");
    }
    if (e->flags & F_DATA)
        lit(w, ",\"eventCategory\":\"Data\"");
    else
        lit(w, ",\"eventCategory\":\"Management\"");

    /* tlsDetails for API calls made by clients; console sessions go through AWS's proxy */
    if (!signin && !v.console && kind != K_SERVICE) {
        if (rng_below(r, 4) == 0)
            lit(w, ",\"tlsDetails\":{\"tlsVersion\":\"TLSv1.2\",\"cipherSuite\":"
                   "\"ECDHE-RSA-AES128-GCM-SHA256\",\"clientProvidedHostHeader\":\"");
        else
            lit(w, ",\"tlsDetails\":{\"tlsVersion\":\"TLSv1.3\",\"cipherSuite\":"
                   "\"TLS_AES_128_GCM_SHA256\",\"clientProvidedHostHeader\":\"");
        const char *src = e->source;
        size_t svclen = strlen(src) - (sizeof(".amazonaws.com") - 1);
        if (e->flags & F_BUCKET) {
            bucket(w, g, &v);
            lit(w, ".s3.");
            region(w, g, &v);
            lit(w, ".amazonaws.com");
        } else if (v.region < 0) {
            str(w, src);
        } else {
            put(w, src, svclen);
            lit(w, ".");
            region(w, g, &v);
            lit(w, ".amazonaws.com");
        }
        lit(w, "\"}");
    }
    if (v.console && !signin) lit(w, ",\"sessionCredentialFromConsole\":\"true\"");
    lit(w, "}");
}

rp_err rp_sim_ct_record_append(struct rp_sim_ct *g, struct rp_buf *out)
{
    struct state saved = g->st;
    rp_err e = rp_buf_reserve(out, RP_SIM_CT_MAX_RECORD);
    bool direct = e == RP_OK;
    if (e && e != RP_ELIMIT) return e;
    /* near out->max: write aside, then append exactly what was produced */
    char *dst = direct ? out->data + out->len : g->scratch;
    struct w w = {dst, dst + RP_SIM_CT_MAX_RECORD, false};
    gen(g, &w);
    RP_BUG_ON(w.over); /* a record outgrew RP_SIM_CT_MAX_RECORD: a catalogue bug */
    size_t n = (size_t)(w.p - dst);
    if (direct) {
        out->len += n;
        out->data[out->len] = '\0';
    } else {
        e = rp_buf_append(out, dst, n);
        if (e) {
            g->st = saved;
            return e;
        }
    }
    g->st.n++;
    return RP_OK;
}

rp_err rp_sim_ct_file_append(struct rp_sim_ct *g, size_t nrecords, struct rp_buf *out)
{
    size_t start = out->len;
    rp_err e = rp_buf_append_str(out, "{\"Records\":[");
    for (size_t i = 0; i < nrecords && !e; i++) {
        if (i) e = rp_buf_putc(out, ',');
        if (!e) e = rp_sim_ct_record_append(g, out);
    }
    if (!e) e = rp_buf_append_str(out, "]}");
    if (e) rp_buf_truncate(out, start);
    return e;
}

#define STREAM_CHUNK (1u << 20)

rp_err rp_sim_ct_file_write(struct rp_sim_ct *g, uint64_t max_records, uint64_t max_bytes,
                            rp_sim_sink_fn sink, void *ctx, uint64_t *nrecords,
                            struct rp_errbuf *eb)
{
    uint64_t n = 0, bytes = 0;
    if (nrecords) *nrecords = 0;
    if (!max_records && !max_bytes)
        return rp_fail(eb, RP_EINVAL, "sim: file_write needs a record or byte limit");
    struct rp_buf b;
    rp_buf_init(&b, 0);
    rp_err e = rp_buf_reserve(&b, STREAM_CHUNK + RP_SIM_CT_MAX_RECORD);
    if (!e) e = rp_buf_append_str(&b, "{\"Records\":[");
    while (!e && (!max_records || n < max_records) && (!max_bytes || bytes + b.len < max_bytes)) {
        if (n) e = rp_buf_putc(&b, ',');
        if (!e) e = rp_sim_ct_record_append(g, &b);
        if (e) break;
        n++;
        if (b.len >= STREAM_CHUNK) {
            e = sink(ctx, b.data, b.len);
            if (e) break;
            bytes += b.len;
            rp_buf_reset(&b);
        }
    }
    if (!e) e = rp_buf_append_str(&b, "]}");
    if (!e) e = sink(ctx, b.data, b.len);
    rp_buf_release(&b);
    if (nrecords) *nrecords = n;
    if (e)
        return rp_fail(eb, e, "sim: writing the delivery file stopped after %llu records: %s",
                       (unsigned long long)n, rp_strerror(e));
    return RP_OK;
}
