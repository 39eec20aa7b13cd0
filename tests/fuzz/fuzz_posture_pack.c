/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target for the Config rule inputs a user hands Rampart as files: a conformance pack
 * template (src/posture/posture_pack.c over rp_yaml_to_json_cfn) and a rule file in the YAML
 * format of docs/rules-format.md (src/posture/posture_rule.c, which compiles its Guard text).
 * The first input byte picks which. Any input either loads or fails with a message; a loaded
 * rule is then evaluated over a small configuration item. Nothing may crash or leak. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/rp_json.h"
#include "posture/posture_internal.h"
#include "posture/posture_pack.h"

static const char CI[] = "{\"resourceType\":\"AWS::S3::Bucket\",\"resourceId\":\"b\","
                         "\"awsAccountId\":\"111122223333\",\"awsRegion\":\"us-east-1\","
                         "\"configurationItemStatus\":\"OK\",\"configuration\":{\"name\":\"b\"},"
                         "\"supplementaryConfiguration\":{\"BucketPolicy\":{\"policyText\":"
                         "\"{\\\"Statement\\\":[]}\"}}}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    const char *text = (const char *)data + 1;
    size_t n = size - 1;
    struct rp_errbuf eb = {0};
    if (data[0] & 1) {
        struct rp_posture_pack *pack = NULL;
        struct rp_posture_paramval ov[] = {{"P", "1"}};
        rp_err e = rp_posture_pack_parse(text, n, "fuzz", ov, data[0] & 2 ? 1 : 0, &pack, &eb);
        if (e == RP_OK) {
            if (!pack) abort();
        } else if (!eb.msg[0]) {
            abort();
        }
        rp_posture_pack_free(pack);
        return 0;
    }
    struct rp_posture_ruleset *set = rp_posture_ruleset_new();
    if (!set) return 0;
    rp_err e = rp_posture_ruleset_add_yaml(set, "fuzz.yaml", text, n, &eb);
    if (e != RP_OK && !eb.msg[0]) abort();
    if (e == RP_OK && rp_posture_ruleset_count(set) == 1) {
        struct rp_arena a;
        rp_arena_init(&a, 4096);
        struct rp_json_parser *jp = rp_json_parser_new(), *p = rp_json_parser_new();
        struct rp_json_val v;
        struct rp_pv *doc = NULL;
        if (jp && p && rp_json_parse(p, CI, sizeof CI - 1, &v, NULL) == RP_OK &&
            rp_posture_doc_from_ci(&a, jp, v, &doc, &eb) == RP_OK) {
            struct rp_posture_index *ix = rp_posture_index_new();
            if (ix && rp_posture_index_add(ix, doc) == RP_OK) {
                struct rp_posture_verdict verdict;
                const struct rp_posture_rule *r = rp_posture_ruleset_at(set, 0);
                (void)!rp_posture_rule_eval(r, doc, NULL, 0, ix, 0, &a, &verdict, &eb);
            }
            rp_posture_index_free(ix);
        }
        rp_json_parser_free(jp);
        rp_json_parser_free(p);
        rp_arena_release(&a);
    }
    rp_posture_ruleset_free(set);
    return 0;
}
