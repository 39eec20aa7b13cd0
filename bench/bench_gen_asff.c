/* SPDX-License-Identifier: Apache-2.0 */
/* bench_gen_asff: write synthetic ASFF findings as JSON Lines for bench/hub.sh.
 *
 *     bench_gen_asff --count N --out FILE [--updates U --updates-out FILE] [--seed S]
 *
 * Writes N findings, one compact ASFF document a line, to FILE ("-" = stdout), and with U > 0
 * writes U more to the --updates-out file: newer versions of U distinct findings of FILE (same
 * ProductArn, Id, CreatedAt, account and resources; a later UpdatedAt and changed severity,
 * compliance status, record state, counters). The mix is what a Security Hub administrator
 * account gathers: about 35% GuardDuty-like threat findings (Action, Network), 45% control
 * findings with Compliance, 20% Inspector-like findings with Vulnerabilities[]; 10 accounts of
 * 200 resources each in 4 regions, skewed so that some resources gather many findings; 1-3
 * Resources; times within the 90 days before END (2024-06-30T00:00:00Z; updates may pass END by
 * a second). Each finding is a function of (seed, its index) only, so the same options always
 * give the same bytes. Prints "findings=N bytes=B updates=U update_bytes=B end=ISO" on stdout
 * (stderr when FILE is stdout); timing to stderr. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/rp_buf.h"
#include "core/rp_json.h"
#include "core/rp_str.h"
#include "core/rp_time.h"
#include "core/rp_banned.h"

#define END_MS     1719705600000LL /* 2024-06-30T00:00:00.000Z */
#define DAY_MS     RP_TIME_MS_PER_DAY
#define NACCT      10
#define NRES       200 /* resources per account */
#define NBADIP     512
#define NCVE       3000
#define FLUSH_SIZE (1u << 20)

/* ---- random numbers: splitmix64, a bijection of its state -------------------------------- */

struct rng {
    uint64_t s;
};

static uint64_t mix64(uint64_t z)
{
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint64_t rnd(struct rng *r)
{
    r->s += 0x9e3779b97f4a7c15ULL;
    return mix64(r->s);
}

static uint64_t below(struct rng *r, uint64_t n)
{
    return n ? (rnd(r) >> 11) % n : 0;
}

static double unit(struct rng *r)
{
    return (double)(rnd(r) >> 11) / 9007199254740992.0;
}

/* Pick from cumulative percentages (last entry 100). */
static int pick(struct rng *r, const int *cum, int n)
{
    int x = (int)below(r, 100);
    for (int i = 0; i < n; i++)
        if (x < cum[i]) return i;
    return n - 1;
}

/* Skewed index in [0, n): small indices are much more likely (u^3), so a few resources, CVEs
 * and IPs gather most findings, as in real estates. */
static int skew(struct rng *r, int n, int power)
{
    double u = unit(r), v = u;
    for (int i = 1; i < power; i++) v *= u;
    int k = (int)(v * n);
    return k < n ? k : n - 1;
}

static void hexs(struct rng *r, char *out, size_t n)
{
    static const char hx[] = "0123456789abcdef";
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (i % 16 == 0) v = rnd(r);
        out[i] = hx[v & 15];
        v >>= 4;
    }
    out[n] = '\0';
}

static void hex64(uint64_t v, char *out)
{
    static const char hx[] = "0123456789abcdef";
    for (int i = 15; i >= 0; i--, v >>= 4) out[i] = hx[v & 15];
    out[16] = '\0';
}

/* ---- the estate ------------------------------------------------------------------------- */

static const char *const accounts[NACCT] = {
    "111122223333", "123456789012", "210987654321", "333344445555", "444455556666",
    "555566667777", "666677778888", "777788889999", "888899990000", "999900001111",
};
static const int acct_cum[NACCT] = {25, 40, 52, 62, 70, 78, 85, 91, 96, 100};

static const char *const regions[] = {"us-east-1", "us-west-2", "eu-west-1", "ap-southeast-1"};
static const int region_cum[] = {50, 75, 90, 100};

enum rkind {
    R_EC2,
    R_S3,
    R_IAMUSER,
    R_IAMROLE,
    R_IAMPOLICY,
    R_KEY,
    R_SG,
    R_VPC,
    R_VOL,
    R_LAMBDA,
    R_ECRIMG,
    R_ECRREPO,
    R_RDS,
    R_KMS,
    R_ACCOUNT,
    R_NKINDS
};

/* Resources of each kind occupy [first, first + n) of an account's NRES. */
static const struct {
    const char *type;
    int first, n;
} rkinds[R_NKINDS] = {
    [R_EC2] = {"AwsEc2Instance", 0, 40},
    [R_S3] = {"AwsS3Bucket", 40, 20},
    [R_IAMUSER] = {"AwsIamUser", 60, 20},
    [R_IAMROLE] = {"AwsIamRole", 80, 15},
    [R_IAMPOLICY] = {"AwsIamPolicy", 95, 10},
    [R_KEY] = {"AwsIamAccessKey", 105, 15},
    [R_SG] = {"AwsEc2SecurityGroup", 120, 20},
    [R_VPC] = {"AwsEc2Vpc", 140, 10},
    [R_VOL] = {"AwsEc2Volume", 150, 10},
    [R_LAMBDA] = {"AwsLambdaFunction", 160, 12},
    [R_ECRIMG] = {"AwsEcrContainerImage", 172, 12},
    [R_ECRREPO] = {"AwsEcrRepository", 184, 4},
    [R_RDS] = {"AwsRdsDbInstance", 188, 6},
    [R_KMS] = {"AwsKmsKey", 194, 5},
    [R_ACCOUNT] = {"AwsAccount", 199, 1},
};

static const char *const users[20] = {
    "alice",  "bob",   "carol", "dave",    "erin",   "frank",     "grace",
    "heidi",  "ivan",  "judy",  "mallory", "niaj",   "olivia",    "peggy",
    "rupert", "sybil", "trent", "victor",  "walter", "ci-deploy",
};
static const char *const roles[15] = {
    "OrganizationAccountAccessRole",
    "lambda-exec",
    "ec2-ssm",
    "ci-build",
    "data-pipeline",
    "eks-node",
    "admin",
    "readonly",
    "billing-reader",
    "backup-operator",
    "security-audit",
    "terraform",
    "support",
    "ecs-task",
    "batch-worker",
};
static const char *const apps[12] = {
    "orders",  "payments", "users",   "search", "catalog",    "auth",
    "billing", "notify",   "reports", "ingest", "thumbnails", "export",
};
static const char *const repos[4] = {"web", "api", "worker", "batch"};

struct res {
    enum rkind kind;
    const char *region; /* NULL: the finding's region (AwsAccount) */
    char id[256];
    char name[96];  /* short name used in titles */
    char extra[96]; /* a second identifier: VPC, digest, key user... */
};

static struct res estate[NACCT][NRES];

static void build_estate(uint64_t seed)
{
    struct rng r = {mix64(seed ^ 0x657374617465ULL)};
    for (int a = 0; a < NACCT; a++) {
        const char *acct = accounts[a];
        for (int k = 0; k < R_NKINDS; k++) {
            for (int j = 0; j < rkinds[k].n; j++) {
                struct res *x = &estate[a][rkinds[k].first + j];
                char h[68], nm[sizeof x->name] = "", id[sizeof x->id] = "",
                                      ex[sizeof x->extra] = "";
                x->kind = (enum rkind)k;
                x->region = regions[pick(&r, region_cum, 4)];
                hexs(&r, h, 17);
                switch (x->kind) {
                case R_EC2:
                    snprintf(nm, sizeof nm, "i-%s", h);
                    snprintf(id, sizeof id, "arn:aws:ec2:%s:%s:instance/%s", x->region, acct, nm);
                    hexs(&r, h, 17);
                    snprintf(ex, sizeof ex, "vpc-%s", h);
                    break;
                case R_S3:
                    snprintf(nm, sizeof nm, "bucket-%d", a * rkinds[R_S3].n + j);
                    snprintf(id, sizeof id, "arn:aws:s3:::%s", nm);
                    break;
                case R_IAMUSER:
                    x->region = "us-east-1";
                    snprintf(nm, sizeof nm, "%s", users[j % 20]);
                    snprintf(id, sizeof id, "arn:aws:iam::%s:user/%s", acct, nm);
                    hexs(&r, h, 21);
                    snprintf(ex, sizeof ex, "AIDA%.17s", h);
                    break;
                case R_IAMROLE:
                    x->region = "us-east-1";
                    snprintf(nm, sizeof nm, "%s", roles[j % 15]);
                    snprintf(id, sizeof id, "arn:aws:iam::%s:role/%s", acct, nm);
                    break;
                case R_IAMPOLICY:
                    x->region = "us-east-1";
                    snprintf(nm, sizeof nm, "%s-access-%02d", apps[j % 12], j);
                    snprintf(id, sizeof id, "arn:aws:iam::%s:policy/%s", acct, nm);
                    break;
                case R_KEY: {
                    static const char up[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
                    char ak[21] = "ASIA";
                    uint64_t v = rnd(&r);
                    for (int i = 4; i < 20; i++, v >>= 5) ak[i] = up[v & 31];
                    ak[20] = '\0';
                    x->region = "us-east-1";
                    snprintf(nm, sizeof nm, "%s", ak);
                    snprintf(id, sizeof id, "AWS::IAM::AccessKey:%s", ak);
                    snprintf(ex, sizeof ex, "%s", users[(j * 7) % 20]);
                    break;
                }
                case R_SG:
                    snprintf(nm, sizeof nm, "sg-%s", h);
                    snprintf(id, sizeof id, "arn:aws:ec2:%s:%s:security-group/%s", x->region, acct,
                             nm);
                    snprintf(ex, sizeof ex, "%s", j % 5 == 0 ? "default" : apps[j % 12]);
                    break;
                case R_VPC:
                    snprintf(nm, sizeof nm, "vpc-%s", h);
                    snprintf(id, sizeof id, "arn:aws:ec2:%s:%s:vpc/%s", x->region, acct, nm);
                    break;
                case R_VOL:
                    snprintf(nm, sizeof nm, "vol-%s", h);
                    snprintf(id, sizeof id, "arn:aws:ec2:%s:%s:volume/%s", x->region, acct, nm);
                    break;
                case R_LAMBDA:
                    snprintf(nm, sizeof nm, "%s-handler", apps[j % 12]);
                    snprintf(id, sizeof id, "arn:aws:lambda:%s:%s:function:%s", x->region, acct,
                             nm);
                    break;
                case R_ECRIMG: {
                    char d[65];
                    hexs(&r, d, 64);
                    snprintf(nm, sizeof nm, "%s", repos[j % 4]);
                    snprintf(id, sizeof id, "arn:aws:ecr:%s:%s:repository/%s/sha256:%s", x->region,
                             acct, nm, d);
                    snprintf(ex, sizeof ex, "sha256:%s", d);
                    break;
                }
                case R_ECRREPO:
                    snprintf(nm, sizeof nm, "%s", repos[j % 4]);
                    snprintf(id, sizeof id, "arn:aws:ecr:%s:%s:repository/%s", x->region, acct, nm);
                    break;
                case R_RDS:
                    snprintf(nm, sizeof nm, "%s-db-%d", apps[j % 12], j);
                    snprintf(id, sizeof id, "arn:aws:rds:%s:%s:db:%s", x->region, acct, nm);
                    break;
                case R_KMS:
                    hexs(&r, h, 32);
                    snprintf(nm, sizeof nm, "%.8s-%.4s-%.4s-%.4s-%.12s", h, h + 8, h + 12, h + 16,
                             h + 20);
                    snprintf(id, sizeof id, "arn:aws:kms:%s:%s:key/%s", x->region, acct, nm);
                    break;
                case R_ACCOUNT:
                case R_NKINDS:
                    x->region = NULL;
                    snprintf(nm, sizeof nm, "%s", acct);
                    snprintf(id, sizeof id, "AWS::::Account:%s", acct);
                    break;
                }
                memcpy(x->name, nm, sizeof nm);
                memcpy(x->id, id, sizeof id);
                memcpy(x->extra, ex, sizeof ex);
            }
        }
    }
}

static const struct res *res_pick(struct rng *r, int acct, enum rkind k)
{
    return &estate[acct][rkinds[k].first + skew(r, rkinds[k].n, 2)];
}

/* Remote hosts seen by the threat findings: a fixed pool of public-looking addresses. */
static const struct geo {
    const char *cc, *country, *city;
    int asn;
    const char *org;
} geos[] = {
    {"US", "United States", "Ashburn", 14618, "Amazon.com, Inc."},
    {"NL", "Netherlands", "Amsterdam", 60781, "LeaseWeb Netherlands B.V."},
    {"RU", "Russia", "Moscow", 49505, "Selectel Ltd."},
    {"CN", "China", "Shanghai", 4134, "Chinanet"},
    {"BR", "Brazil", "Sao Paulo", 28573, "Claro S.A."},
    {"DE", "Germany", "Frankfurt am Main", 24940, "Hetzner Online GmbH"},
    {"VN", "Vietnam", "Hanoi", 7552, "Viettel Group"},
    {"KR", "South Korea", "Seoul", 4766, "Korea Telecom"},
};

static struct badip {
    char ip[48];
    int geo;
} badips[NBADIP];

static void build_badips(uint64_t seed)
{
    static const int first[] = {5,   23,  31,  37,  45,  46,  62,  77,  80,  85,  89,
                                91,  94,  103, 104, 109, 112, 118, 122, 141, 159, 167,
                                176, 178, 185, 188, 193, 194, 195, 212, 213, 217};
    struct rng r = {mix64(seed ^ 0x626164697073ULL)};
    for (int i = 0; i < NBADIP; i++) {
        snprintf(badips[i].ip, sizeof badips[i].ip, "%d.%d.%d.%d",
                 first[below(&r, RP_ARRAY_LEN(first))], (int)below(&r, 256), (int)below(&r, 256),
                 1 + (int)below(&r, 254));
        badips[i].geo = (int)below(&r, RP_ARRAY_LEN(geos));
    }
}

/* ---- what the findings say -------------------------------------------------------------- */

enum action { A_PORT_PROBE, A_NETWORK, A_DNS, A_API };

/* GuardDuty finding types: the ASFF Types namespace/category, the resources they are about,
 * their two possible severities, and a title made of pre + resource name + post. */
static const struct gdtype {
    const char *type, *types_ns;
    enum rkind res, res2; /* res2 == res: one resource */
    double sev_lo, sev_hi;
    const char *pre, *post, *desc;
    enum action action;
} gdtypes[] = {
    {"Recon:EC2/PortProbeUnprotectedPort", "TTPs/Discovery", R_EC2, R_EC2, 2.0, 5.0,
     "Unprotected port on EC2 instance ", " is being probed.",
     "EC2 instance has an unprotected port which is being probed by a known malicious host.",
     A_PORT_PROBE},
    {"UnauthorizedAccess:EC2/SSHBruteForce", "TTPs/Initial Access", R_EC2, R_EC2, 2.0, 5.0,
     "SSH brute force attacks against EC2 instance ", ".",
     "A remote host is performing SSH brute force attacks against the EC2 instance. Brute force "
     "attacks are used to gain unauthorized access to the instance by guessing the SSH password.",
     A_NETWORK},
    {"Recon:EC2/Portscan", "TTPs/Discovery", R_EC2, R_EC2, 5.0, 5.0, "EC2 instance ",
     " is performing outbound port scans against remote hosts.",
     "The EC2 instance is performing outbound port scans against a remote host. This activity "
     "may indicate that the instance is compromised and used for reconnaissance.",
     A_NETWORK},
    {"CryptoCurrency:EC2/BitcoinTool.B!DNS", "Effects/Resource Consumption", R_EC2, R_EC2, 8.0, 8.0,
     "EC2 instance ", " is querying a domain name that is associated with Bitcoin activity.",
     "The EC2 instance is querying a domain name that is associated with cryptocurrency-related "
     "activity. Unless you use the instance to mine or manage cryptocurrency, it may be "
     "compromised.",
     A_DNS},
    {"Backdoor:EC2/C&CActivity.B!DNS", "TTPs/Command and Control", R_EC2, R_EC2, 8.0, 8.0,
     "Command and Control server domain name queried by EC2 instance ", ".",
     "The EC2 instance is querying a domain name associated with a known command and control "
     "server. The instance may be compromised and controlled by an attacker.",
     A_DNS},
    {"Trojan:EC2/DropPoint!DNS", "TTPs/Command and Control", R_EC2, R_EC2, 5.0, 8.0,
     "EC2 instance ", " is querying a domain name of a drop point server.",
     "The EC2 instance is querying a domain name of a remote host known to hold credentials and "
     "other data stolen by malware.",
     A_DNS},
    {"Impact:EC2/WinRMBruteForce", "Unusual Behaviors/VM", R_EC2, R_EC2, 5.0, 8.0,
     "WinRM brute force attacks against EC2 instance ", ".",
     "A remote host is performing Windows Remote Management brute force attacks against the EC2 "
     "instance in order to gain access to it.",
     A_NETWORK},
    {"UnauthorizedAccess:EC2/MaliciousIPCaller.Custom", "Unusual Behaviors/Network Flow", R_EC2,
     R_EC2, 5.0, 5.0, "EC2 instance ", " is communicating with a disallowed IP address.",
     "The EC2 instance is communicating with an IP address on a custom threat list.", A_NETWORK},
    {"Policy:IAMUser/RootCredentialUsage", "Software and Configuration Checks", R_KEY, R_KEY, 2.0,
     2.0, "API calls were invoked using root credentials in account ", ".",
     "An API was invoked using the root user sign-in credentials of the account. It is a best "
     "practice to use the root user only for the few tasks that require it.",
     A_API},
    {"UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS", "TTPs/Initial Access",
     R_KEY, R_EC2, 8.0, 8.0, "Credentials for instance role of ", " used from external IP address.",
     "Credentials created exclusively for an EC2 instance through an instance launch role are "
     "being used from an external IP address.",
     A_API},
    {"Discovery:S3/MaliciousIPCaller", "TTPs/Discovery", R_S3, R_KEY, 5.0, 8.0,
     "S3 API calls against bucket ", " were invoked from a known malicious IP address.",
     "An S3 API commonly used to discover resources was invoked from an IP address on a threat "
     "list.",
     A_API},
    {"Exfiltration:S3/AnomalousBehavior", "Effects/Data Exfiltration", R_S3, R_KEY, 8.0, 8.0,
     "Anomalous S3 reads from bucket ", " by an IAM entity.",
     "An IAM entity invoked S3 APIs in a suspicious way: the amount of data read and the "
     "caller's location are unusual for this principal.",
     A_API},
    {"Policy:S3/BucketBlockPublicAccessDisabled", "Software and Configuration Checks", R_S3, R_KEY,
     2.0, 2.0, "Amazon S3 Block Public Access was disabled for S3 bucket ", ".",
     "An IAM entity disabled S3 Block Public Access on a bucket. The bucket may now be exposed.",
     A_API},
    {"CredentialAccess:IAMUser/AnomalousBehavior", "TTPs/Credential Access", R_KEY, R_KEY, 5.0, 5.0,
     "Anomalous credential access by the IAM entity using key ", ".",
     "An API used to gain access to secrets was invoked in an anomalous way by this principal.",
     A_API},
    {"PrivilegeEscalation:IAMUser/AnomalousBehavior", "TTPs/Privilege Escalation", R_KEY,
     R_IAMPOLICY, 5.0, 8.0, "Anomalous permission changes by the IAM entity using key ", ".",
     "An API commonly used to obtain higher-level permissions was invoked in an anomalous way.",
     A_API},
};

static const char *const apis[] = {"GetObject",       "ListObjects",
                                   "GetBucketPolicy", "PutBucketAcl",
                                   "GetSecretValue",  "AttachUserPolicy",
                                   "CreateAccessKey", "DescribeInstances",
                                   "ListBuckets",     "PutBucketPublicAccessBlock"};

enum { S_FSBP = 1, S_CIS12 = 2, S_CIS14 = 4, S_PCI = 8, S_NIST = 16 };

static const char *const standards[] = {
    "standards/aws-foundational-security-best-practices/v/1.0.0",
    "ruleset/cis-aws-foundations-benchmark/v/1.2.0",
    "standards/cis-aws-foundations-benchmark/v/1.4.0",
    "standards/pci-dss/v/3.2.1",
    "standards/nist-800-53/v/5.0.0",
};

/* Security Hub controls: severity, resource kind, Config rule, title, standards, related
 * requirements ('|'-separated), weight (account-level controls have one resource each, so
 * they are rarer). */
static const struct control {
    const char *id, *sev;
    enum rkind res;
    const char *rule, *title;
    int stds;
    const char *reqs;
    int weight;
} controls[] = {
    {"S3.1", "MEDIUM", R_ACCOUNT, "s3-account-level-public-access-blocks-periodic",
     "S3 general purpose buckets should have block public access settings enabled",
     S_FSBP | S_CIS14 | S_NIST, "CIS AWS Foundations Benchmark v1.4.0/2.1.5.1|NIST.800-53.r5 AC-21",
     1},
    {"S3.4", "MEDIUM", R_S3, "s3-bucket-server-side-encryption-enabled",
     "S3 general purpose buckets should have server-side encryption enabled",
     S_FSBP | S_CIS14 | S_PCI, "CIS AWS Foundations Benchmark v1.4.0/2.1.1|PCI DSS v3.2.1/3.4", 5},
    {"S3.5", "MEDIUM", R_S3, "s3-bucket-ssl-requests-only",
     "S3 general purpose buckets should require requests to use SSL", S_FSBP | S_CIS14 | S_NIST,
     "CIS AWS Foundations Benchmark v1.4.0/2.1.2|NIST.800-53.r5 SC-8", 5},
    {"S3.8", "HIGH", R_S3, "s3-bucket-level-public-access-prohibited",
     "S3 general purpose buckets should block public access", S_FSBP | S_CIS14 | S_NIST,
     "CIS AWS Foundations Benchmark v1.4.0/2.1.5.2|NIST.800-53.r5 AC-3", 5},
    {"S3.9", "MEDIUM", R_S3, "s3-bucket-logging-enabled",
     "S3 general purpose buckets should have server access logging enabled", S_FSBP | S_NIST,
     "NIST.800-53.r5 AU-2|NIST.800-53.r5 AU-12", 5},
    {"IAM.1", "HIGH", R_IAMPOLICY, "iam-policy-no-statements-with-admin-access",
     "IAM policies should not allow full \"*\" administrative privileges",
     S_FSBP | S_CIS12 | S_CIS14 | S_PCI,
     "CIS AWS Foundations Benchmark v1.2.0/1.22|CIS AWS Foundations Benchmark v1.4.0/1.16|PCI DSS "
     "v3.2.1/7.2.1",
     5},
    {"IAM.2", "LOW", R_IAMUSER, "iam-user-no-policies-check",
     "IAM users should not have IAM policies attached", S_FSBP | S_CIS12 | S_PCI,
     "CIS AWS Foundations Benchmark v1.2.0/1.16|PCI DSS v3.2.1/7.2.1", 5},
    {"IAM.3", "MEDIUM", R_IAMUSER, "access-keys-rotated",
     "IAM users' access keys should be rotated every 90 days or less", S_FSBP | S_CIS12 | S_CIS14,
     "CIS AWS Foundations Benchmark v1.2.0/1.4|CIS AWS Foundations Benchmark v1.4.0/1.14", 5},
    {"IAM.4", "CRITICAL", R_ACCOUNT, "iam-root-access-key-check",
     "IAM root user access key should not exist", S_FSBP | S_CIS12 | S_CIS14 | S_PCI,
     "CIS AWS Foundations Benchmark v1.2.0/1.12|CIS AWS Foundations Benchmark v1.4.0/1.4|PCI DSS "
     "v3.2.1/2.1",
     1},
    {"IAM.5", "MEDIUM", R_IAMUSER, "mfa-enabled-for-iam-console-access",
     "MFA should be enabled for all IAM users that have a console password",
     S_FSBP | S_CIS12 | S_CIS14,
     "CIS AWS Foundations Benchmark v1.2.0/1.2|CIS AWS Foundations Benchmark v1.4.0/1.10", 5},
    {"IAM.6", "CRITICAL", R_ACCOUNT, "root-account-hardware-mfa-enabled",
     "Hardware MFA should be enabled for the root user", S_FSBP | S_CIS12 | S_CIS14 | S_PCI,
     "CIS AWS Foundations Benchmark v1.2.0/1.14|CIS AWS Foundations Benchmark v1.4.0/1.6|PCI DSS "
     "v3.2.1/8.3.1",
     1},
    {"IAM.9", "CRITICAL", R_ACCOUNT, "root-account-mfa-enabled",
     "MFA should be enabled for the root user", S_CIS12 | S_CIS14 | S_PCI,
     "CIS AWS Foundations Benchmark v1.2.0/1.13|CIS AWS Foundations Benchmark v1.4.0/1.5|PCI DSS "
     "v3.2.1/8.3.1",
     1},
    {"IAM.22", "MEDIUM", R_IAMUSER, "iam-user-unused-credentials-check",
     "IAM user credentials unused for 45 days should be removed", S_CIS14,
     "CIS AWS Foundations Benchmark v1.4.0/1.12", 5},
    {"EC2.2", "HIGH", R_SG, "vpc-default-security-group-closed",
     "VPC default security groups should not allow inbound or outbound traffic",
     S_FSBP | S_CIS12 | S_CIS14 | S_PCI,
     "CIS AWS Foundations Benchmark v1.2.0/4.3|CIS AWS Foundations Benchmark v1.4.0/5.3|PCI DSS "
     "v3.2.1/1.2.1",
     5},
    {"EC2.3", "MEDIUM", R_VOL, "encrypted-volumes",
     "Attached EC2 volumes should be encrypted at-rest", S_FSBP | S_NIST, "NIST.800-53.r5 SC-28",
     5},
    {"EC2.6", "MEDIUM", R_VPC, "vpc-flow-logs-enabled",
     "VPC flow logging should be enabled in all VPCs", S_FSBP | S_CIS12 | S_CIS14 | S_PCI,
     "CIS AWS Foundations Benchmark v1.2.0/2.9|CIS AWS Foundations Benchmark v1.4.0/3.9|PCI DSS "
     "v3.2.1/10.3.3",
     5},
    {"EC2.8", "HIGH", R_EC2, "ec2-imdsv2-check",
     "EC2 instances should use Instance Metadata Service Version 2 (IMDSv2)", S_FSBP | S_NIST,
     "NIST.800-53.r5 AC-3|NIST.800-53.r5 AC-6", 5},
    {"EC2.9", "HIGH", R_EC2, "ec2-instance-no-public-ip",
     "EC2 instances should not have a public IPv4 address", S_FSBP | S_NIST,
     "NIST.800-53.r5 AC-4|NIST.800-53.r5 SC-7", 5},
    {"EC2.18", "HIGH", R_SG, "vpc-sg-open-only-to-authorized-ports",
     "Security groups should only allow unrestricted incoming traffic for authorized ports",
     S_FSBP | S_NIST, "NIST.800-53.r5 AC-4|NIST.800-53.r5 SC-7", 5},
    {"EC2.19", "CRITICAL", R_SG, "vpc-sg-restricted-common-ports",
     "Security groups should not allow unrestricted access to ports with high risk",
     S_FSBP | S_NIST, "NIST.800-53.r5 CM-7|NIST.800-53.r5 SC-7", 5},
    {"Lambda.1", "CRITICAL", R_LAMBDA, "lambda-function-public-access-prohibited",
     "Lambda function policies should prohibit public access", S_FSBP | S_PCI,
     "PCI DSS v3.2.1/1.2.1|PCI DSS v3.2.1/7.2.1", 5},
    {"Lambda.2", "MEDIUM", R_LAMBDA, "lambda-function-settings-check",
     "Lambda functions should use supported runtimes", S_FSBP, "NIST.800-53.r5 CM-2", 5},
    {"RDS.2", "CRITICAL", R_RDS, "rds-instance-public-access-check",
     "RDS DB Instances should prohibit public access, as determined by the PubliclyAccessible "
     "configuration",
     S_FSBP | S_PCI, "PCI DSS v3.2.1/1.2.1|PCI DSS v3.2.1/1.3.1", 5},
    {"RDS.3", "MEDIUM", R_RDS, "rds-storage-encrypted",
     "RDS DB instances should have encryption at-rest enabled", S_FSBP | S_CIS14,
     "CIS AWS Foundations Benchmark v1.4.0/2.3.1", 5},
    {"KMS.4", "MEDIUM", R_KMS, "cmk-backing-key-rotation-enabled",
     "AWS KMS key rotation should be enabled", S_CIS12 | S_CIS14 | S_PCI,
     "CIS AWS Foundations Benchmark v1.2.0/2.8|CIS AWS Foundations Benchmark v1.4.0/3.8|PCI DSS "
     "v3.2.1/3.6.4",
     5},
    {"ECR.1", "HIGH", R_ECRREPO, "ecr-private-image-scanning-enabled",
     "ECR private repositories should have image scanning configured", S_FSBP,
     "NIST.800-53.r5 RA-5", 5},
    {"CloudTrail.1", "HIGH", R_ACCOUNT, "multi-region-cloudtrail-enabled",
     "CloudTrail should be enabled and configured with at least one multi-Region trail that "
     "includes read and write management events",
     S_FSBP | S_CIS12 | S_CIS14,
     "CIS AWS Foundations Benchmark v1.2.0/2.1|CIS AWS Foundations Benchmark v1.4.0/3.1", 1},
    {"CloudWatch.1", "LOW", R_ACCOUNT, NULL,
     "A log metric filter and alarm should exist for usage of the \"root\" user",
     S_CIS12 | S_CIS14 | S_PCI,
     "CIS AWS Foundations Benchmark v1.2.0/1.1|CIS AWS Foundations Benchmark v1.4.0/1.7|PCI DSS "
     "v3.2.1/7.2.1",
     1},
    {"Config.1", "MEDIUM", R_ACCOUNT, NULL,
     "AWS Config should be enabled and use the service-linked role for resource recording",
     S_FSBP | S_CIS12 | S_CIS14 | S_PCI,
     "CIS AWS Foundations Benchmark v1.2.0/2.5|CIS AWS Foundations Benchmark v1.4.0/3.5|PCI DSS "
     "v3.2.1/10.5.2",
     1},
};

/* Packages the vulnerability findings are about. */
static const struct pkg {
    const char *name, *version, *release, *manager;
} pkgs[] = {
    {"openssl", "1.0.2k", "24.amzn2.0.7", "OS"},
    {"curl", "7.79.1", "1.amzn2.0.1", "OS"},
    {"glibc", "2.26", "63.amzn2", "OS"},
    {"kernel", "5.10.210", "201.852.amzn2", "OS"},
    {"libxml2", "2.9.1", "6.amzn2.5.8", "OS"},
    {"python3", "3.7.16", "1.amzn2.0.4", "OS"},
    {"sudo", "1.9.15p5", "1.amzn2.0.1", "OS"},
    {"zlib", "1.2.7", "19.amzn2.0.2", "OS"},
    {"expat", "2.1.0", "15.amzn2.0.2", "OS"},
    {"openssh", "7.4p1", "22.amzn2.0.5", "OS"},
    {"vim-minimal", "9.0.2153", "1.amzn2.0.1", "OS"},
    {"systemd", "219", "78.amzn2.0.22", "OS"},
    {"libwebp", "0.3.0", "10.amzn2", "OS"},
    {"nss", "3.90.0", "2.amzn2.0.1", "OS"},
    {"bind-libs", "9.11.4", "26.P2.amzn2.13", "OS"},
    {"git", "2.40.1", "1.amzn2.0.1", "OS"},
    {"log4j-core", "2.14.1", "", "JAR"},
    {"jackson-databind", "2.12.6", "", "JAR"},
    {"lodash", "4.17.20", "", "NPM"},
    {"axios", "0.21.1", "", "NPM"},
    {"requests", "2.25.1", "", "PYTHONPKG"},
    {"urllib3", "1.26.4", "", "PYTHONPKG"},
    {"golang.org/x/net", "0.7.0", "", "GOBINARY"},
    {"github.com/docker/docker", "20.10.7", "", "GOBINARY"},
};

static const char *const flaws[] = {
    "A heap-based buffer overflow",
    "A use-after-free",
    "An integer overflow",
    "An out-of-bounds read",
    "Improper input validation",
    "A NULL pointer dereference",
    "Uncontrolled resource consumption",
    "Improper certificate validation",
};
static const char *const impacts[] = {
    "execute arbitrary code", "cause a denial of service", "read sensitive memory",
    "bypass authentication",  "escalate privileges",       "intercept encrypted traffic",
};
static const char *const vectors[] = {
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N",
    "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H",
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:L/A:N",
};

/* CVE k of the pool: year, number, package, CVSS score (3.1 .. 9.8). */
struct cve {
    int year, num, pkg;
    double score;
};

static struct cve cve_at(uint64_t seed, int k)
{
    uint64_t h = mix64(seed ^ mix64(0x637665ULL + (uint64_t)k));
    struct cve c;
    c.year = 2017 + (int)(h % 8);
    c.num = 1000 + (int)((h >> 8) % 45000);
    c.pkg = (int)((h >> 24) % RP_ARRAY_LEN(pkgs));
    c.score = 3.1 + (double)((h >> 40) % 68) / 10.0;
    return c;
}

static const char *label_of(int normalized)
{
    return normalized == 0   ? "INFORMATIONAL"
           : normalized < 40 ? "LOW"
           : normalized < 70 ? "MEDIUM"
           : normalized < 90 ? "HIGH"
                             : "CRITICAL";
}

static int normalized_of(const char *label)
{
    return strcmp(label, "LOW") == 0        ? 1
           : strcmp(label, "MEDIUM") == 0   ? 40
           : strcmp(label, "HIGH") == 0     ? 70
           : strcmp(label, "CRITICAL") == 0 ? 90
                                            : 0;
}

/* ---- one finding ------------------------------------------------------------------------ */

enum kind { K_GUARDDUTY, K_CONTROL, K_INSPECTOR };
static const int kind_cum[] = {35, 80, 100};

/* What a finding is about, decided before anything is written; evolve() changes some of it
 * for an update. */
struct core {
    enum kind kind;
    int acct, nres;
    const struct res *res[3];
    const char *region;
    char uid[33]; /* 32 hex digits, unique per index */
    int64_t created, updated, first_seen;
    int gd; /* gdtypes index */
    double gd_sev;
    int ctl;                /* controls index */
    const char *compliance; /* PASSED FAILED WARNING NOT_AVAILABLE */
    int cve;                /* CVE pool index */
    const char *workflow, *record_state;
    int count;       /* GuardDuty service count */
    const char *fix; /* FixAvailable */
    double epss;
    bool closed; /* Inspector FindingStatus CLOSED */
};

struct gen {
    uint64_t seed;
    struct cve cves[NCVE];
    int control_cum[RP_ARRAY_LEN(controls)];
    int control_total;
};

static void iso(int64_t ms, char out[RP_TIME_ISO_BUFSZ])
{
    if (rp_time_format_iso(ms, out, RP_TIME_ISO_BUFSZ)) snprintf(out, RP_TIME_ISO_BUFSZ, "?");
}

RP_PRINTF(3, 4) static void kvf(struct rp_json_writer *w, const char *k, const char *fmt, ...)
{
    char b[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(b, sizeof b, fmt, ap);
    va_end(ap);
    if (n < 0) n = 0;
    if ((size_t)n >= sizeof b) n = (int)sizeof b - 1;
    rp_json_write_kv_str(w, k, b, (size_t)n);
}

static void kv_time(struct rp_json_writer *w, const char *k, int64_t ms)
{
    char t[RP_TIME_ISO_BUFSZ];
    iso(ms, t);
    rp_json_write_kv_cstr(w, k, t);
}

static void key(struct rp_json_writer *w, const char *k)
{
    rp_json_write_key(w, k, strlen(k));
}

static void decide(const struct gen *g, struct rng *r, uint64_t index, struct core *c)
{
    memset(c, 0, sizeof *c);
    uint64_t u1 = mix64(index ^ mix64(g->seed)); /* a bijection of index: unique ids */
    hex64(u1, c->uid);
    hex64(mix64(u1 ^ 0x5eedULL), c->uid + 16);
    c->kind = (enum kind)pick(r, kind_cum, 3);
    c->acct = pick(r, acct_cum, NACCT);
    c->created = END_MS - (int64_t)below(r, (uint64_t)(90 * DAY_MS));
    int64_t room = END_MS - c->created;
    if (room > 30 * DAY_MS) room = 30 * DAY_MS;
    c->updated = c->created + (int64_t)below(r, (uint64_t)room + 1);
    c->first_seen = c->created - (int64_t)below(r, 3600000);
    int wf = (int)below(r, 100);
    c->workflow = wf < 70 ? "NEW" : wf < 82 ? "NOTIFIED" : wf < 88 ? "SUPPRESSED" : "RESOLVED";
    c->record_state = below(r, 100) < 8 ? "ARCHIVED" : "ACTIVE";
    switch (c->kind) {
    case K_GUARDDUTY: {
        c->gd = (int)below(r, RP_ARRAY_LEN(gdtypes));
        const struct gdtype *t = &gdtypes[c->gd];
        c->gd_sev = below(r, 3) == 0 ? t->sev_hi : t->sev_lo;
        c->res[0] = res_pick(r, c->acct, t->res);
        c->nres = 1;
        if (t->res2 != t->res) c->res[c->nres++] = res_pick(r, c->acct, t->res2);
        if (t->res == R_S3 && t->res2 == R_KEY && below(r, 4) == 0)
            c->res[c->nres++] = res_pick(r, c->acct, R_S3);
        c->count = 1 + (int)below(r, below(r, 4) == 0 ? 500 : 20);
        break;
    }
    case K_CONTROL: {
        int x = (int)below(r, (uint64_t)g->control_total);
        int k = 0;
        while (x >= g->control_cum[k]) k++;
        c->ctl = k;
        c->res[0] = res_pick(r, c->acct, controls[k].res);
        c->nres = 1;
        int s = (int)below(r, 100);
        c->compliance = s < 55   ? "FAILED"
                        : s < 95 ? "PASSED"
                        : s < 98 ? "WARNING"
                                 : "NOT_AVAILABLE";
        if (strcmp(c->compliance, "PASSED") == 0) c->workflow = "RESOLVED";
        if (strcmp(c->compliance, "NOT_AVAILABLE") == 0) c->record_state = "ARCHIVED";
        break;
    }
    case K_INSPECTOR: {
        c->cve = skew(r, NCVE, 3);
        const struct pkg *p = &pkgs[g->cves[c->cve].pkg];
        enum rkind k = strcmp(p->manager, "OS") == 0 ? (below(r, 10) < 7 ? R_EC2 : R_ECRIMG)
                                                     : (below(r, 2) ? R_ECRIMG : R_LAMBDA);
        c->res[0] = res_pick(r, c->acct, k);
        c->nres = 1;
        if (k == R_ECRIMG && below(r, 5) == 0)
            c->res[c->nres++] =
                &estate[c->acct][rkinds[R_ECRREPO].first +
                                 (c->res[0] - &estate[c->acct][rkinds[R_ECRIMG].first]) %
                                     rkinds[R_ECRREPO].n];
        int f = (int)below(r, 10);
        c->fix = f < 7 ? "YES" : f < 9 ? "NO" : "PARTIAL";
        c->epss = (double)below(r, 95000) / 100000.0;
        if (strcmp(c->record_state, "ARCHIVED") == 0) c->closed = true;
        break;
    }
    }
    c->region = c->res[0]->region ? c->res[0]->region : regions[pick(r, region_cum, 4)];
}

/* Turn c into a newer version of the same finding (what the provider sends next time). */
static void evolve(struct rng *r, struct core *c)
{
    int64_t room = END_MS - c->updated;
    if (room < 1) room = 1;
    c->updated += 1000 + (int64_t)below(r, (uint64_t)room);
    switch (c->kind) {
    case K_GUARDDUTY:
        c->count += 1 + (int)below(r, 50);
        if (below(r, 10) < 3) c->gd_sev = gdtypes[c->gd].sev_hi;
        c->record_state = below(r, 10) == 0 ? "ARCHIVED" : "ACTIVE";
        break;
    case K_CONTROL: {
        int s = (int)below(r, 100);
        if (strcmp(c->compliance, "PASSED") == 0)
            c->compliance = s < 30 ? "FAILED" : s < 32 ? "WARNING" : "PASSED";
        else
            c->compliance = s < 40 ? "PASSED" : s < 97 ? "FAILED" : "NOT_AVAILABLE";
        c->record_state = strcmp(c->compliance, "NOT_AVAILABLE") == 0 ? "ARCHIVED" : "ACTIVE";
        break;
    }
    case K_INSPECTOR:
        if (strcmp(c->fix, "NO") == 0 && below(r, 2)) c->fix = "YES";
        c->epss = (double)below(r, 95000) / 100000.0;
        c->closed = below(r, 100) < 15;
        c->record_state = c->closed ? "ARCHIVED" : "ACTIVE";
        break;
    }
}

static void write_remote_ip(struct rp_json_writer *w, const struct badip *b)
{
    const struct geo *q = &geos[b->geo];
    key(w, "RemoteIpDetails");
    rp_json_write_obj_begin(w);
    rp_json_write_kv_cstr(w, "IpAddressV4", b->ip);
    key(w, "Organization");
    rp_json_write_obj_begin(w);
    rp_json_write_kv_int(w, "Asn", q->asn);
    rp_json_write_kv_cstr(w, "AsnOrg", q->org);
    rp_json_write_kv_cstr(w, "Org", q->org);
    rp_json_write_obj_end(w);
    key(w, "Country");
    rp_json_write_obj_begin(w);
    rp_json_write_kv_cstr(w, "CountryCode", q->cc);
    rp_json_write_kv_cstr(w, "CountryName", q->country);
    rp_json_write_obj_end(w);
    key(w, "City");
    rp_json_write_obj_begin(w);
    rp_json_write_kv_cstr(w, "CityName", q->city);
    rp_json_write_obj_end(w);
    rp_json_write_obj_end(w);
}

static void write_severity(struct rp_json_writer *w, const char *label, int normalized,
                           const char *original, bool product, double product_v)
{
    key(w, "Severity");
    rp_json_write_obj_begin(w);
    if (product) rp_json_write_kv_double(w, "Product", product_v);
    rp_json_write_kv_cstr(w, "Label", label);
    rp_json_write_kv_int(w, "Normalized", normalized);
    rp_json_write_kv_cstr(w, "Original", original);
    rp_json_write_obj_end(w);
}

static void write_provider_fields(struct rp_json_writer *w, const char *label, const char *original,
                                  const char *type)
{
    key(w, "FindingProviderFields");
    rp_json_write_obj_begin(w);
    key(w, "Severity");
    rp_json_write_obj_begin(w);
    rp_json_write_kv_cstr(w, "Label", label);
    rp_json_write_kv_cstr(w, "Original", original);
    rp_json_write_obj_end(w);
    key(w, "Types");
    rp_json_write_arr_begin(w);
    rp_json_write_cstr(w, type);
    rp_json_write_arr_end(w);
    rp_json_write_obj_end(w);
}

/* Resources[]: Type, Id, Partition, Region, and Details for some kinds. */
static void write_resources(struct rng *r, struct rp_json_writer *w, const struct core *c)
{
    const char *acct = accounts[c->acct];
    key(w, "Resources");
    rp_json_write_arr_begin(w);
    for (int i = 0; i < c->nres; i++) {
        const struct res *x = c->res[i];
        char h[72];
        rp_json_write_obj_begin(w);
        rp_json_write_kv_cstr(w, "Type", rkinds[x->kind].type);
        rp_json_write_kv_cstr(w, "Id", x->id);
        rp_json_write_kv_cstr(w, "Partition", "aws");
        rp_json_write_kv_cstr(w, "Region", x->region ? x->region : c->region);
        if (c->kind == K_GUARDDUTY) rp_json_write_kv_cstr(w, "ResourceRole", "TARGET");
        if (x->kind == R_EC2 || x->kind == R_S3 || x->kind == R_LAMBDA) {
            key(w, "Tags");
            rp_json_write_obj_begin(w);
            rp_json_write_kv_cstr(w, "env", (x - estate[c->acct]) % 3 ? "prod" : "staging");
            rp_json_write_kv_cstr(w, "team", apps[(x - estate[c->acct]) % 12]);
            rp_json_write_obj_end(w);
        }
        key(w, "Details");
        rp_json_write_obj_begin(w);
        switch (x->kind) {
        case R_EC2:
            key(w, "AwsEc2Instance");
            rp_json_write_obj_begin(w);
            rp_json_write_kv_cstr(w, "Type", (x - estate[c->acct]) % 4 ? "t3.medium" : "m5.xlarge");
            hexs(r, h, 17);
            kvf(w, "ImageId", "ami-%s", h);
            key(w, "IpV4Addresses");
            rp_json_write_arr_begin(w);
            snprintf(h, sizeof h, "10.%d.%d.%d", (int)(x - estate[c->acct]) % 4, (int)below(r, 256),
                     1 + (int)below(r, 254));
            rp_json_write_cstr(w, h);
            rp_json_write_arr_end(w);
            rp_json_write_kv_cstr(w, "VpcId", x->extra);
            rp_json_write_obj_end(w);
            break;
        case R_S3:
            key(w, "AwsS3Bucket");
            rp_json_write_obj_begin(w);
            hexs(r, h, 64);
            rp_json_write_kv_cstr(w, "OwnerId", h);
            rp_json_write_kv_cstr(w, "OwnerName", "aws-admin");
            kv_time(w, "CreatedAt", END_MS - 400 * DAY_MS);
            rp_json_write_obj_end(w);
            break;
        case R_KEY:
            key(w, "AwsIamAccessKey");
            rp_json_write_obj_begin(w);
            rp_json_write_kv_cstr(w, "PrincipalName", x->extra);
            rp_json_write_kv_cstr(w, "PrincipalType", "IAMUser");
            rp_json_write_kv_cstr(w, "Status", "Active");
            rp_json_write_obj_end(w);
            break;
        case R_SG:
            key(w, "AwsEc2SecurityGroup");
            rp_json_write_obj_begin(w);
            rp_json_write_kv_cstr(w, "GroupName", x->extra);
            rp_json_write_kv_cstr(w, "GroupId", x->name);
            rp_json_write_kv_cstr(w, "OwnerId", acct);
            rp_json_write_obj_end(w);
            break;
        case R_ECRIMG:
            key(w, "AwsEcrContainerImage");
            rp_json_write_obj_begin(w);
            rp_json_write_kv_cstr(w, "RegistryId", acct);
            rp_json_write_kv_cstr(w, "RepositoryName", x->name);
            rp_json_write_kv_cstr(w, "Architecture", "amd64");
            rp_json_write_kv_cstr(w, "ImageDigest", x->extra);
            key(w, "ImageTags");
            rp_json_write_arr_begin(w);
            snprintf(h, sizeof h, "v1.%d.%d", (int)(x - estate[c->acct]) % 9, (int)below(r, 20));
            rp_json_write_cstr(w, h);
            rp_json_write_arr_end(w);
            kv_time(w, "ImagePublishedAt", c->created - 3 * DAY_MS);
            rp_json_write_obj_end(w);
            break;
        case R_LAMBDA:
            key(w, "AwsLambdaFunction");
            rp_json_write_obj_begin(w);
            rp_json_write_kv_cstr(w, "FunctionName", x->name);
            rp_json_write_kv_cstr(w, "Runtime", "python3.9");
            rp_json_write_kv_cstr(w, "Handler", "app.handler");
            kvf(w, "Role", "arn:aws:iam::%s:role/lambda-exec", acct);
            rp_json_write_kv_cstr(w, "Version", "$LATEST");
            rp_json_write_obj_end(w);
            break;
        default:
            break;
        }
        rp_json_write_obj_end(w);
        rp_json_write_obj_end(w);
    }
    rp_json_write_arr_end(w);
}

static void write_workflow(struct rp_json_writer *w, const struct core *c)
{
    key(w, "Workflow");
    rp_json_write_obj_begin(w);
    rp_json_write_kv_cstr(w, "Status", c->workflow);
    rp_json_write_obj_end(w);
    rp_json_write_kv_cstr(w, "RecordState", c->record_state);
}

static bool gd_is(const struct core *c, const char *type)
{
    return strcmp(gdtypes[c->gd].type, type) == 0;
}

static void write_guardduty(struct rng *r, struct rp_json_writer *w, const struct core *c)
{
    const struct gdtype *t = &gdtypes[c->gd];
    const char *acct = accounts[c->acct];
    char det[33], arn[256], type[160], title[256];
    hexs(r, det, 32);
    snprintf(arn, sizeof arn, "arn:aws:guardduty:%s:%s:detector/%s/finding/%s", c->region, acct,
             det, c->uid);
    /* Types use '-' where the finding type has '/' */
    snprintf(type, sizeof type, "%s/%s", t->types_ns, t->type);
    char *slash = strchr(type + strlen(t->types_ns) + 1, '/');
    if (slash) *slash = '-';
    int normalized = (int)(c->gd_sev * 10);
    const char *label = label_of(normalized);
    char orig[8];
    snprintf(orig, sizeof orig, "%.1f", c->gd_sev);
    const struct badip *b = &badips[skew(r, NBADIP, 2)];
    bool outbound = gd_is(c, "Recon:EC2/Portscan");
    const char *name = c->res[0]->kind == R_KEY ? c->res[0]->extra : c->res[0]->name;
    if (gd_is(c, "Policy:IAMUser/RootCredentialUsage")) name = acct; /* names the account */
    snprintf(title, sizeof title, "%s%s%s", t->pre, name, t->post);

    rp_json_write_kv_cstr(w, "Id", arn);
    kvf(w, "ProductArn", "arn:aws:securityhub:%s::product/aws/guardduty", c->region);
    rp_json_write_kv_cstr(w, "ProductName", "GuardDuty");
    rp_json_write_kv_cstr(w, "CompanyName", "Amazon");
    rp_json_write_kv_cstr(w, "Region", c->region);
    kvf(w, "GeneratorId", "arn:aws:guardduty:%s:%s:detector/%s", c->region, acct, det);
    rp_json_write_kv_cstr(w, "AwsAccountId", acct);
    key(w, "Types");
    rp_json_write_arr_begin(w);
    rp_json_write_cstr(w, type);
    rp_json_write_arr_end(w);
    kv_time(w, "FirstObservedAt", c->first_seen);
    kv_time(w, "LastObservedAt", c->updated);
    kv_time(w, "CreatedAt", c->created);
    kv_time(w, "UpdatedAt", c->updated);
    write_severity(w, label, normalized, orig, true, c->gd_sev);
    rp_json_write_kv_cstr(w, "Title", title);
    rp_json_write_kv_cstr(w, "Description", t->desc);

    key(w, "ProductFields");
    rp_json_write_obj_begin(w);
    static const char *const atype[] = {"PORT_PROBE", "NETWORK_CONNECTION", "DNS_REQUEST",
                                        "AWS_API_CALL"};
    rp_json_write_kv_cstr(w, "aws/guardduty/service/action/actionType", atype[t->action]);
    rp_json_write_kv_cstr(w, "aws/guardduty/service/archived",
                          strcmp(c->record_state, "ARCHIVED") == 0 ? "true" : "false");
    kvf(w, "aws/guardduty/service/count", "%d", c->count);
    rp_json_write_kv_cstr(w, "aws/guardduty/service/detectorId", det);
    kv_time(w, "aws/guardduty/service/eventLastSeen", c->updated);
    rp_json_write_kv_cstr(w, "aws/securityhub/ProductName", "GuardDuty");
    rp_json_write_kv_cstr(w, "aws/securityhub/CompanyName", "Amazon");
    rp_json_write_obj_end(w);

    write_resources(r, w, c);

    int lport = t->action == A_PORT_PROBE ? (below(r, 2) ? 22 : 3389) : 22;
    int rport = 1024 + (int)below(r, 64000);
    key(w, "Action");
    rp_json_write_obj_begin(w);
    rp_json_write_kv_cstr(w, "ActionType", atype[t->action]);
    switch (t->action) {
    case A_PORT_PROBE:
        key(w, "PortProbeAction");
        rp_json_write_obj_begin(w);
        key(w, "PortProbeDetails");
        rp_json_write_arr_begin(w);
        rp_json_write_obj_begin(w);
        key(w, "LocalPortDetails");
        rp_json_write_obj_begin(w);
        rp_json_write_kv_int(w, "Port", lport);
        rp_json_write_kv_cstr(w, "PortName", lport == 22 ? "SSH" : "RDP");
        rp_json_write_obj_end(w);
        write_remote_ip(w, b);
        rp_json_write_obj_end(w);
        rp_json_write_arr_end(w);
        rp_json_write_kv_bool(w, "Blocked", false);
        rp_json_write_obj_end(w);
        break;
    case A_NETWORK:
        key(w, "NetworkConnectionAction");
        rp_json_write_obj_begin(w);
        rp_json_write_kv_cstr(w, "ConnectionDirection", outbound ? "OUTBOUND" : "INBOUND");
        rp_json_write_kv_cstr(w, "Protocol", "TCP");
        rp_json_write_kv_bool(w, "Blocked", false);
        write_remote_ip(w, b);
        key(w, "RemotePortDetails");
        rp_json_write_obj_begin(w);
        rp_json_write_kv_int(w, "Port", rport);
        rp_json_write_kv_cstr(w, "PortName", "Unknown");
        rp_json_write_obj_end(w);
        key(w, "LocalPortDetails");
        rp_json_write_obj_begin(w);
        rp_json_write_kv_int(w, "Port", lport);
        rp_json_write_kv_cstr(w, "PortName", "SSH");
        rp_json_write_obj_end(w);
        rp_json_write_obj_end(w);
        break;
    case A_DNS: {
        static const char *const words[] = {"pool", "cdn", "update", "sync", "relay", "mx"};
        char dom[96];
        snprintf(dom, sizeof dom, "%s-%d.%s.example", words[below(r, 6)], (int)below(r, 64),
                 gd_is(c, "CryptoCurrency:EC2/BitcoinTool.B!DNS") ? "xmr-mining"
                 : gd_is(c, "Backdoor:EC2/C&CActivity.B!DNS")     ? "c2-panel"
                                                                  : "drop-point");
        key(w, "DnsRequestAction");
        rp_json_write_obj_begin(w);
        rp_json_write_kv_cstr(w, "Domain", dom);
        rp_json_write_kv_cstr(w, "Protocol", "UDP");
        rp_json_write_kv_bool(w, "Blocked", false);
        rp_json_write_obj_end(w);
        break;
    }
    case A_API:
        key(w, "AwsApiCallAction");
        rp_json_write_obj_begin(w);
        rp_json_write_kv_cstr(w, "Api", apis[below(r, RP_ARRAY_LEN(apis))]);
        rp_json_write_kv_cstr(w, "ServiceName",
                              t->res == R_S3 ? "s3.amazonaws.com" : "iam.amazonaws.com");
        rp_json_write_kv_cstr(w, "CallerType", "Remote IP");
        write_remote_ip(w, b);
        kv_time(w, "FirstSeen", c->first_seen);
        kv_time(w, "LastSeen", c->updated);
        rp_json_write_obj_end(w);
        break;
    }
    rp_json_write_obj_end(w);
    if (t->action == A_PORT_PROBE || t->action == A_NETWORK) {
        key(w, "Network");
        rp_json_write_obj_begin(w);
        rp_json_write_kv_cstr(w, "Direction", outbound ? "OUT" : "IN");
        rp_json_write_kv_cstr(w, "Protocol", "TCP");
        rp_json_write_kv_cstr(w, "SourceIpV4", b->ip);
        rp_json_write_kv_int(w, "SourcePort", rport);
        rp_json_write_kv_int(w, "DestinationPort", lport);
        rp_json_write_obj_end(w);
    }
    write_workflow(w, c);
    write_provider_fields(w, label, orig, type);
    rp_json_write_kv_bool(w, "Sample", false);
    kv_time(w, "ProcessedAt", c->updated + 1000 + (int64_t)below(r, 60000));
}

static void write_control(struct rng *r, struct rp_json_writer *w, const struct core *c)
{
    const struct control *k = &controls[c->ctl];
    const char *acct = accounts[c->acct];
    char uuid[37], id[256], h[40];
    hexs(r, h, 32);
    snprintf(uuid, sizeof uuid, "%.8s-%.4s-%.4s-%.4s-%.12s", c->uid, c->uid + 8, c->uid + 12,
             c->uid + 16, c->uid + 20);
    snprintf(id, sizeof id, "arn:aws:securityhub:%s:%s:security-control/%s/finding/%s", c->region,
             acct, k->id, uuid);
    bool passed = strcmp(c->compliance, "PASSED") == 0;
    const char *label = passed ? "INFORMATIONAL" : k->sev;
    const char *type = "Software and Configuration Checks/Industry and Regulatory Standards";

    rp_json_write_kv_cstr(w, "Id", id);
    kvf(w, "ProductArn", "arn:aws:securityhub:%s::product/aws/securityhub", c->region);
    rp_json_write_kv_cstr(w, "ProductName", "Security Hub");
    rp_json_write_kv_cstr(w, "CompanyName", "AWS");
    rp_json_write_kv_cstr(w, "Region", c->region);
    kvf(w, "GeneratorId", "security-control/%s", k->id);
    rp_json_write_kv_cstr(w, "AwsAccountId", acct);
    key(w, "Types");
    rp_json_write_arr_begin(w);
    rp_json_write_cstr(w, type);
    rp_json_write_arr_end(w);
    kv_time(w, "FirstObservedAt", c->created);
    kv_time(w, "LastObservedAt", c->updated);
    kv_time(w, "CreatedAt", c->created);
    kv_time(w, "UpdatedAt", c->updated);
    write_severity(w, label, normalized_of(label), k->sev, false, 0);
    kvf(w, "Title", "%s", k->title);
    kvf(w, "Description", "This control checks whether the following holds: %s.", k->title);
    key(w, "Remediation");
    rp_json_write_obj_begin(w);
    key(w, "Recommendation");
    rp_json_write_obj_begin(w);
    kvf(w, "Url", "https://docs.aws.amazon.com/console/securityhub/%s/remediation", k->id);
    rp_json_write_obj_end(w);
    rp_json_write_obj_end(w);

    key(w, "ProductFields");
    rp_json_write_obj_begin(w);
    if (k->rule) {
        kvf(w, "RelatedAWSResources:0/name", "securityhub-%s-%.8s", k->rule, h);
        rp_json_write_kv_cstr(w, "RelatedAWSResources:0/type", "AWS::Config::ConfigRule");
    }
    rp_json_write_kv_cstr(w, "aws/securityhub/ProductName", "Security Hub");
    rp_json_write_kv_cstr(w, "aws/securityhub/CompanyName", "AWS");
    rp_json_write_obj_end(w);

    write_resources(r, w, c);

    key(w, "Compliance");
    rp_json_write_obj_begin(w);
    rp_json_write_kv_cstr(w, "Status", c->compliance);
    rp_json_write_kv_cstr(w, "SecurityControlId", k->id);
    key(w, "AssociatedStandards");
    rp_json_write_arr_begin(w);
    for (size_t i = 0; i < RP_ARRAY_LEN(standards); i++) {
        if (!(k->stds & (1 << i))) continue;
        rp_json_write_obj_begin(w);
        rp_json_write_kv_cstr(w, "StandardsId", standards[i]);
        rp_json_write_obj_end(w);
    }
    rp_json_write_arr_end(w);
    key(w, "RelatedRequirements");
    rp_json_write_arr_begin(w);
    struct rp_str rest = rp_str_from(k->reqs), tok;
    while (rp_str_split_next(&rest, '|', &tok))
        if (tok.len) rp_json_write_str(w, tok.p, tok.len);
    rp_json_write_arr_end(w);
    if (!passed && strcmp(c->compliance, "FAILED") != 0) {
        key(w, "StatusReasons");
        rp_json_write_arr_begin(w);
        rp_json_write_obj_begin(w);
        bool na = strcmp(c->compliance, "NOT_AVAILABLE") == 0;
        rp_json_write_kv_cstr(w, "ReasonCode",
                              na ? "CONFIG_RETURNS_NOT_APPLICABLE" : "CONFIG_EVALUATIONS_EMPTY");
        rp_json_write_kv_cstr(w, "Description",
                              na ? "This control's check was not applicable to the resource"
                                 : "AWS Config evaluated the resource but returned no result");
        rp_json_write_obj_end(w);
        rp_json_write_arr_end(w);
    }
    rp_json_write_obj_end(w);
    write_workflow(w, c);
    write_provider_fields(w, label, k->sev, type);
    kv_time(w, "ProcessedAt", c->updated + 1000 + (int64_t)below(r, 60000));
}

static void write_inspector(const struct gen *g, struct rng *r, struct rp_json_writer *w,
                            const struct core *c)
{
    const struct cve *v = &g->cves[c->cve];
    const struct pkg *p = &pkgs[v->pkg];
    const char *acct = accounts[c->acct];
    char id[256], cve[24], fixed[48], title[160];
    snprintf(id, sizeof id, "arn:aws:inspector2:%s:%s:finding/%s", c->region, acct, c->uid);
    snprintf(cve, sizeof cve, "CVE-%d-%d", v->year, v->num);
    snprintf(fixed, sizeof fixed, "%s.%d", p->version, 1 + v->num % 9);
    snprintf(title, sizeof title, "%s - %s", cve, p->name);
    int normalized = (int)(v->score * 10 + 0.5);
    const char *label = label_of(normalized);
    const char *type = "Software and Configuration Checks/Vulnerabilities/CVE";
    char score[8];
    snprintf(score, sizeof score, "%.1f", v->score);

    rp_json_write_kv_cstr(w, "Id", id);
    kvf(w, "ProductArn", "arn:aws:securityhub:%s::product/aws/inspector", c->region);
    rp_json_write_kv_cstr(w, "ProductName", "Inspector");
    rp_json_write_kv_cstr(w, "CompanyName", "Amazon");
    rp_json_write_kv_cstr(w, "Region", c->region);
    rp_json_write_kv_cstr(w, "GeneratorId", "AWSInspector");
    rp_json_write_kv_cstr(w, "AwsAccountId", acct);
    key(w, "Types");
    rp_json_write_arr_begin(w);
    rp_json_write_cstr(w, type);
    rp_json_write_arr_end(w);
    kv_time(w, "FirstObservedAt", c->first_seen);
    kv_time(w, "LastObservedAt", c->updated);
    kv_time(w, "CreatedAt", c->created);
    kv_time(w, "UpdatedAt", c->updated);
    write_severity(w, label, normalized, label, false, 0);
    rp_json_write_kv_cstr(w, "Title", title);
    kvf(w, "Description",
        "%s was found in %s in versions before %s. A remote attacker could use this flaw to %s "
        "through crafted input.",
        flaws[v->num % RP_ARRAY_LEN(flaws)], p->name, fixed,
        impacts[v->year % RP_ARRAY_LEN(impacts)]);
    key(w, "Remediation");
    rp_json_write_obj_begin(w);
    key(w, "Recommendation");
    rp_json_write_obj_begin(w);
    rp_json_write_kv_cstr(w, "Text",
                          "Upgrade your installed software packages to the proposed "
                          "fixed in version and release.");
    rp_json_write_obj_end(w);
    rp_json_write_obj_end(w);

    key(w, "ProductFields");
    rp_json_write_obj_begin(w);
    rp_json_write_kv_cstr(w, "aws/inspector/ProductVersion", "2");
    rp_json_write_kv_cstr(w, "aws/inspector/FindingStatus", c->closed ? "CLOSED" : "ACTIVE");
    rp_json_write_kv_cstr(w, "aws/inspector/inspectorScore", score);
    if (c->res[0]->kind == R_EC2)
        rp_json_write_kv_cstr(
            w, "aws/inspector/resources/1/resourceDetails/awsEc2InstanceDetails/platform",
            "AMAZON_LINUX_2");
    rp_json_write_kv_cstr(w, "aws/securityhub/ProductName", "Inspector");
    rp_json_write_kv_cstr(w, "aws/securityhub/CompanyName", "Amazon");
    rp_json_write_obj_end(w);

    write_resources(r, w, c);

    key(w, "Vulnerabilities");
    rp_json_write_arr_begin(w);
    rp_json_write_obj_begin(w);
    rp_json_write_kv_cstr(w, "Id", cve);
    key(w, "VulnerablePackages");
    rp_json_write_arr_begin(w);
    rp_json_write_obj_begin(w);
    rp_json_write_kv_cstr(w, "Name", p->name);
    rp_json_write_kv_cstr(w, "Version", p->version);
    if (p->release[0]) {
        rp_json_write_kv_cstr(w, "Epoch", "0");
        rp_json_write_kv_cstr(w, "Release", p->release);
        rp_json_write_kv_cstr(w, "Architecture", "x86_64");
    }
    rp_json_write_kv_cstr(w, "PackageManager", p->manager);
    if (strcmp(c->fix, "NO") != 0) {
        rp_json_write_kv_cstr(w, "FixedInVersion", fixed);
        kvf(w, "Remediation", "%s %s", p->release[0] ? "yum update" : "upgrade", p->name);
    }
    rp_json_write_obj_end(w);
    rp_json_write_arr_end(w);
    key(w, "Cvss");
    rp_json_write_arr_begin(w);
    rp_json_write_obj_begin(w);
    rp_json_write_kv_cstr(w, "Version", "3.1");
    rp_json_write_kv_double(w, "BaseScore", v->score);
    rp_json_write_kv_cstr(w, "BaseVector", vectors[v->num % RP_ARRAY_LEN(vectors)]);
    rp_json_write_kv_cstr(w, "Source", "NVD");
    rp_json_write_obj_end(w);
    rp_json_write_arr_end(w);
    key(w, "Vendor");
    rp_json_write_obj_begin(w);
    rp_json_write_kv_cstr(w, "Name", "NVD");
    kvf(w, "Url", "https://nvd.nist.gov/vuln/detail/%s", cve);
    rp_json_write_kv_cstr(w, "VendorSeverity", label);
    rp_json_write_obj_end(w);
    key(w, "ReferenceUrls");
    rp_json_write_arr_begin(w);
    char url[160];
    snprintf(url, sizeof url, "https://www.cve.org/CVERecord?id=%s", cve);
    rp_json_write_cstr(w, url);
    rp_json_write_arr_end(w);
    rp_json_write_kv_cstr(w, "FixAvailable", c->fix);
    rp_json_write_kv_double(w, "EpssScore", c->epss);
    rp_json_write_kv_cstr(w, "ExploitAvailable", v->score >= 9.0 ? "YES" : "NO");
    rp_json_write_obj_end(w);
    rp_json_write_arr_end(w);

    write_workflow(w, c);
    write_provider_fields(w, label, label, type);
    kv_time(w, "ProcessedAt", c->updated + 1000 + (int64_t)below(r, 60000));
}

/* Finding number index, or with update its newer version. Appends one line to out. */
static rp_err finding(const struct gen *g, uint64_t index, bool update, struct rp_buf *out)
{
    struct rng r = {mix64(g->seed * 0x100000001b3ULL ^ mix64(index))};
    struct core c;
    decide(g, &r, index, &c);
    if (update) {
        struct rng u = {mix64(r.s ^ 0x7570646174ULL)};
        evolve(&u, &c);
    }
    struct rp_json_writer w;
    rp_json_writer_init(&w, out);
    rp_json_write_obj_begin(&w);
    rp_json_write_kv_cstr(&w, "SchemaVersion", "2018-10-08");
    switch (c.kind) {
    case K_GUARDDUTY:
        write_guardduty(&r, &w, &c);
        break;
    case K_CONTROL:
        write_control(&r, &w, &c);
        break;
    case K_INSPECTOR:
        write_inspector(g, &r, &w, &c);
        break;
    }
    rp_json_write_obj_end(&w);
    rp_err e = rp_json_writer_finish(&w);
    if (!e) e = rp_buf_putc(out, '\n');
    return e;
}

/* ---- driver ----------------------------------------------------------------------------- */

static uint64_t gcd(uint64_t a, uint64_t b)
{
    while (b) {
        uint64_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

static int usage(void)
{
    fprintf(stderr, "usage: bench_gen_asff --count N --out FILE [--updates U --updates-out FILE] "
                    "[--seed S]\n");
    return 2;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static FILE *open_out(const char *path)
{
    FILE *f = strcmp(path, "-") == 0 ? stdout : fopen(path, "wb");
    if (!f) fprintf(stderr, "bench_gen_asff: cannot open '%s': %s\n", path, strerror(errno));
    return f;
}

static int flush(struct rp_buf *b, FILE *f, bool force)
{
    if (b->len && (force || b->len >= FLUSH_SIZE)) {
        if (fwrite(b->data, 1, b->len, f) != b->len) {
            fprintf(stderr, "bench_gen_asff: write failed: %s\n", strerror(errno));
            return 1;
        }
        rp_buf_reset(b);
    }
    return 0;
}

static int close_out(FILE *f)
{
    if (f == stdout) return fflush(f) ? 1 : 0;
    if (fclose(f)) {
        fprintf(stderr, "bench_gen_asff: close failed: %s\n", strerror(errno));
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    uint64_t count = 0, updates = 0, seed = 1;
    const char *out = NULL, *upd_out = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (i + 1 >= argc) return usage();
        if (strcmp(a, "--count") == 0) {
            if (rp_str_to_u64(rp_str_from(argv[++i]), &count)) return usage();
        } else if (strcmp(a, "--updates") == 0) {
            if (rp_str_to_u64(rp_str_from(argv[++i]), &updates)) return usage();
        } else if (strcmp(a, "--seed") == 0) {
            if (rp_str_to_u64(rp_str_from(argv[++i]), &seed)) return usage();
        } else if (strcmp(a, "--out") == 0) {
            out = argv[++i];
        } else if (strcmp(a, "--updates-out") == 0) {
            upd_out = argv[++i];
        } else {
            return usage();
        }
    }
    if (!count || !out || (updates && !upd_out) || count > (1ULL << 40)) return usage();
    if (updates > count) {
        fprintf(stderr, "bench_gen_asff: --updates %llu exceeds --count %llu\n",
                (unsigned long long)updates, (unsigned long long)count);
        return 2;
    }

    static struct gen g; /* the CVE pool is 96 KiB: keep it off the stack */
    g.seed = seed;
    for (int k = 0; k < NCVE; k++) g.cves[k] = cve_at(seed, k);
    for (size_t k = 0; k < RP_ARRAY_LEN(controls); k++) {
        g.control_total += controls[k].weight;
        g.control_cum[k] = g.control_total;
    }
    build_estate(seed);
    build_badips(seed);

    double t0 = now();
    struct rp_buf b;
    rp_buf_init(&b, 0);
    uint64_t bytes = 0, upd_bytes = 0;
    int rc = 0;
    FILE *f = open_out(out);
    if (!f) return 1;
    for (uint64_t i = 0; i < count && !rc; i++) {
        size_t before = b.len;
        if (finding(&g, i, false, &b)) {
            fprintf(stderr, "bench_gen_asff: out of memory\n");
            rc = 1;
            break;
        }
        bytes += b.len - before;
        rc = flush(&b, f, false);
    }
    if (!rc) rc = flush(&b, f, true);
    if (close_out(f)) rc = 1;

    if (!rc && updates) {
        /* U distinct indices: k -> (k * stride + offset) mod N, stride coprime to N */
        uint64_t stride = count * 6 / 10 + 1, idx = mix64(seed ^ 0x6f6666ULL) % count;
        while (gcd(stride, count) != 1) stride++;
        stride %= count;
        f = open_out(upd_out);
        if (!f) return 1;
        for (uint64_t k = 0; k < updates && !rc; k++, idx = (idx + stride) % count) {
            size_t before = b.len;
            if (finding(&g, idx, true, &b)) {
                fprintf(stderr, "bench_gen_asff: out of memory\n");
                rc = 1;
                break;
            }
            upd_bytes += b.len - before;
            rc = flush(&b, f, false);
        }
        if (!rc) rc = flush(&b, f, true);
        if (close_out(f)) rc = 1;
    }
    rp_buf_release(&b);
    if (rc) return rc;

    double dt = now() - t0;
    char end[RP_TIME_ISO_BUFSZ];
    iso(END_MS, end);
    FILE *info = strcmp(out, "-") == 0 || (upd_out && strcmp(upd_out, "-") == 0) ? stderr : stdout;
    fprintf(info, "findings=%llu bytes=%llu updates=%llu update_bytes=%llu end=%s\n",
            (unsigned long long)count, (unsigned long long)bytes, (unsigned long long)updates,
            (unsigned long long)upd_bytes, end);
    fprintf(stderr, "bench_gen_asff: %.2f s, %.0f findings/s, %.1f MB/s\n", dt,
            (double)(count + updates) / dt, (double)(bytes + upd_bytes) / 1e6 / dt);
    return 0;
}
