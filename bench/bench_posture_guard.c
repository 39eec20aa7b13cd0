/* SPDX-License-Identifier: Apache-2.0 */
/* Micro-benchmark of the Guard engine (src/posture/posture_guard.h): one rule of 30 clauses
 * (equalities, IN lists, regexes, `some` over lists, a filter, a when block, a caller-bound
 * parameter) evaluated over N small configuration items held as posture value trees, the way
 * the Config evaluation holds its inventory. Prints documents per second and the verdict
 * counts (so the work cannot be optimized away). Usage: bench_posture_guard [N] (default
 * 100000). Parsing the documents is not timed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/rp_json.h"
#include "posture/posture_guard.h"
#include "posture/posture_value.h"

static const char *RULES =
    "let allowed_regions = ['us-east-1', 'us-west-2', 'eu-west-1']\n"
    "rule bucket_checks when resourceType == 'AWS::S3::Bucket' {\n"
    "    configuration.name exists\n"
    "    configuration.name is_string\n"
    "    configuration.name == /^[a-z0-9.-]{3,63}$/\n"
    "    awsRegion IN %allowed_regions\n"
    "    configurationItemStatus IN ['OK', 'ResourceDiscovered']\n"
    "    configuration.versioning.status == 'Enabled' or\n"
    "    configuration.versioning.status == 'Suspended'\n"
    "    configuration.encryption.rules[*].algorithm IN ['aws:kms', 'AES256']\n"
    "    some configuration.encryption.rules[*].algorithm == 'aws:kms'\n"
    "    configuration.publicAccess.blockPublicAcls == true\n"
    "    configuration.publicAccess.blockPublicPolicy == true\n"
    "    configuration.publicAccess.ignorePublicAcls == true\n"
    "    configuration.publicAccess.restrictPublicBuckets == true\n"
    "    configuration.logging.destination != ''\n"
    "    configuration.logging.prefix is_string\n"
    "    configuration.size >= 0\n"
    "    configuration.size < %maxSize\n"
    "    configuration.objectLock !exists or configuration.objectLock.enabled is_bool\n"
    "    configuration.tags !empty\n"
    "    configuration.tags[ key == 'owner' ] !empty\n"
    "    some configuration.tags[*].key == /^(env|environment)$/\n"
    "    configuration.tags[*].value != /(?i)secret/\n"
    "    configuration.lifecycle.rules[*] {\n"
    "        status IN ['Enabled', 'Disabled']\n"
    "        expirationDays > 0\n"
    "    }\n"
    "    when configuration.replication exists {\n"
    "        configuration.replication.role == /^arn:aws:iam::/\n"
    "    }\n"
    "    configuration.acl.grants[*].permission != 'FULL_CONTROL'\n"
    "    configuration.acl.owner exists\n"
    "    awsAccountId == /^[0-9]{12}$/\n"
    "    resourceId == configuration.name\n"
    "    configuration.createdAt exists\n"
    "}\n";

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 100000;
    if (n <= 0) n = 100000;
    struct rp_arena docs;
    rp_arena_init(&docs, 1 << 20);
    struct rp_json_parser *jp = rp_json_parser_new();
    struct rp_pv **dv = calloc((size_t)n, sizeof(*dv));
    if (!jp || !dv) return 1;
    char buf[2048];
    for (long i = 0; i < n; i++) {
        int len = snprintf(
            buf, sizeof(buf),
            "{\"resourceType\":\"AWS::S3::Bucket\",\"resourceId\":\"bucket-%ld\","
            "\"awsAccountId\":\"1111222233%02ld\",\"awsRegion\":\"%s\","
            "\"configurationItemStatus\":\"OK\",\"configuration\":{\"name\":\"bucket-%ld\","
            "\"versioning\":{\"status\":\"%s\"},\"encryption\":{\"rules\":[{\"algorithm\":"
            "\"aws:kms\"}]},\"publicAccess\":{\"blockPublicAcls\":true,\"blockPublicPolicy\":"
            "true,\"ignorePublicAcls\":true,\"restrictPublicBuckets\":%s},\"logging\":"
            "{\"destination\":\"logs-%ld\",\"prefix\":\"p/\"},\"size\":%ld,\"tags\":[{\"key\":"
            "\"owner\",\"value\":\"team%ld\"},{\"key\":\"env\",\"value\":\"prod\"}],"
            "\"lifecycle\":{\"rules\":[{\"status\":\"Enabled\",\"expirationDays\":30}]},"
            "\"acl\":{\"owner\":\"o\",\"grants\":[{\"permission\":\"READ\"}]},"
            "\"createdAt\":\"2025-01-01T00:00:00Z\"}}",
            i, i % 100, i % 3 ? "us-east-1" : "eu-west-1", i, i % 7 ? "Enabled" : "Suspended",
            i % 11 ? "true" : "false", i, i * 13 % 100000, i % 50);
        struct rp_errbuf eb;
        if (rp_pv_parse(&docs, jp, buf, (size_t)len, &dv[i], &eb) != RP_OK) {
            fprintf(stderr, "parse: %s\n", eb.msg);
            return 1;
        }
    }
    const char *pre[] = {"maxSize"};
    struct rp_guard_file *f = NULL;
    struct rp_errbuf eb;
    if (rp_guard_compile("bench.guard", RULES, strlen(RULES), pre, 1, &f, &eb) != RP_OK) {
        fprintf(stderr, "compile: %s\n", eb.msg);
        return 1;
    }
    struct rp_arena pa;
    rp_arena_init(&pa, 0);
    struct rp_guard_var var = {"maxSize", rp_pv_int(&pa, 1000000)};
    struct rp_arena scratch;
    rp_arena_init(&scratch, 0);
    struct rp_guard_env env = {
        .now_ms = 1768435200000LL, .vars = &var, .nvars = 1, .scratch = &scratch};
    long counts[3] = {0, 0, 0};
    double t0 = now_s();
    for (long i = 0; i < n; i++) {
        struct rp_guard_result r;
        if (rp_guard_eval(f, dv[i], &env, &r, &eb) != RP_OK) {
            fprintf(stderr, "eval: %s\n", eb.msg);
            return 1;
        }
        counts[r.status]++;
        rp_arena_reset(&scratch);
    }
    double dt = now_s() - t0;
    printf("guard: %ld docs, 30-clause rule, %.3f s, %.0f docs/s, %.2f us/doc "
           "(pass %ld, fail %ld, skip %ld)\n",
           n, dt, (double)n / dt, dt * 1e6 / (double)n, counts[0], counts[1], counts[2]);
    rp_guard_file_free(f);
    rp_arena_release(&scratch);
    rp_arena_release(&pa);
    rp_arena_release(&docs);
    rp_json_parser_free(jp);
    free(dv);
    return 0;
}
