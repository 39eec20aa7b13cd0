/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target for the Guard engine (src/posture/posture_guard_*.c): the input is a rules
 * file. It is compiled with two caller-bound names (%p, %docs); whatever compiles is evaluated
 * over a small configuration item and a small CloudFormation-shaped template, with %p a
 * number and %docs a list of documents, and the result must be well formed (a status, a
 * NUL-terminated message, one status per rule). Compile and evaluation errors are expected
 * outcomes; crashes, leaks and sanitizer reports are not. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/rp_json.h"
#include "posture/posture_guard.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *CI =
    "{\"resourceType\":\"AWS::S3::Bucket\",\"resourceId\":\"b1\",\"awsRegion\":\"us-east-1\","
    "\"configuration\":{\"name\":\"b1\",\"versioning\":\"Enabled\",\"size\":42,\"ratio\":0.5,"
    "\"public\":false,\"owner\":null,\"tags\":[{\"key\":\"env\",\"value\":\"prod\"},"
    "{\"key\":\"team\",\"value\":\"sec\"}],\"ports\":[22,80,443],\"empty\":[],\"m\":{},"
    "\"policy\":\"{\\\"Statement\\\":[{\\\"Effect\\\":\\\"Allow\\\"}]}\","
    "\"created\":\"2025-01-01T00:00:00Z\",\"nested\":{\"a\":{\"b\":[1,[2,[3]]]}}}}";

static const char *TMPL =
    "{\"Resources\":{\"a\":{\"Type\":\"AWS::S3::Bucket\",\"Properties\":{\"BucketName\":"
    "\"x\"}},\"b\":{\"Type\":\"AWS::EC2::Volume\",\"Properties\":{\"Size\":10}}}}";

static const char *DOCS = "[{\"configuration\":{\"status\":\"ACTIVE\"}},{\"x\":[]}]";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 65536) return 0;
    const char *pre[] = {"p", "docs"};
    struct rp_guard_file *f = NULL;
    struct rp_errbuf eb;
    if (rp_guard_compile("fuzz.guard", (const char *)data, size, pre, 2, &f, &eb) != RP_OK)
        return 0;
    size_t nr = rp_guard_file_rule_count(f);
    for (size_t k = 0; k < nr; k++)
        if (!rp_guard_file_rule_name(f, k)) abort();
    struct rp_arena a;
    rp_arena_init(&a, 0);
    struct rp_json_parser *jp = rp_json_parser_new();
    struct rp_pv *ci = NULL, *tmpl = NULL, *docs = NULL;
    if (!jp || rp_pv_parse(&a, jp, CI, strlen(CI), &ci, &eb) != RP_OK ||
        rp_pv_parse(&a, jp, TMPL, strlen(TMPL), &tmpl, &eb) != RP_OK ||
        rp_pv_parse(&a, jp, DOCS, strlen(DOCS), &docs, &eb) != RP_OK)
        abort();
    struct rp_guard_var vars[] = {{"p", rp_pv_int(&a, 7)}, {"docs", docs}};
    struct rp_arena scratch;
    rp_arena_init(&scratch, 0);
    scratch.max = 256u << 20;
    struct rp_guard_env env = {
        .now_ms = 1768435200000LL, .vars = vars, .nvars = 2, .scratch = &scratch};
    const struct rp_pv *docs_in[] = {ci, tmpl, ci};
    for (size_t d = 0; d < 3; d++) {
        struct rp_guard_result r;
        if (rp_guard_eval(f, docs_in[d], &env, &r, &eb) == RP_OK) {
            if (r.status != RP_GUARD_PASS && r.status != RP_GUARD_FAIL && r.status != RP_GUARD_SKIP)
                abort();
            if (memchr(r.message, '\0', sizeof(r.message)) == NULL) abort();
            if (r.nrules != nr) abort();
            if (r.status == RP_GUARD_FAIL && r.message[0] == '\0') abort();
        }
        rp_arena_reset(&scratch);
    }
    rp_arena_release(&scratch);
    rp_arena_release(&a);
    rp_json_parser_free(jp);
    rp_guard_file_free(f);
    return 0;
}
