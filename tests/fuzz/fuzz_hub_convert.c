/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target for the findings hub's import formats (src/hub/hub_conv_*.c). The input is
 * parsed as one JSON document, or, when that fails, as JSON Lines. Each document goes through
 * every probe (scores must lie in 0..100), is sniffed, and is converted by every format, not
 * only the sniffed one, since a user can force any format on any file. A counting sink checks
 * the contract: with RP_OK every item went to exactly one callback (cv->item equals findings
 * plus errors), a document-level refusal is RP_EINVAL before any item, error codes are the
 * two documented ones with a message naming the format, and every document a converter wrote
 * (all but "asff", which passes input through) passes the importer's own validation. Any
 * break aborts, so the fuzzer reports it. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rp_json.h"
#include "hub/hub_conv.h"
#include "hub/hub_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz_hub_convert: check failed: %s (line %d)\n", #cond, __LINE__);    \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

struct count {
    const struct rp_hub_format *f;
    size_t findings, errors;
};

static rp_err on_finding(struct rp_hub_conv *cv, struct rp_json_val asff, struct rp_errbuf *eb)
{
    struct count *n = cv->ctx;
    const char *code = NULL;
    char msg[256];
    (void)eb;
    CHECK(rp_json_type(asff) == RP_JSON_OBJECT);
    if (strcmp(n->f->name, "asff") != 0 && !hub_validate(asff, &code, msg, sizeof msg)) {
        fprintf(stderr, "fuzz_hub_convert: %s wrote an invalid finding: %s %s\n", n->f->name, code,
                msg);
        abort();
    }
    n->findings++;
    return RP_OK;
}

static rp_err on_error(struct rp_hub_conv *cv, const char *id, const char *code, const char *msg)
{
    struct count *n = cv->ctx;
    (void)id;
    CHECK(strcmp(code, "InvalidInput") == 0 || strcmp(code, "ConversionFailed") == 0);
    CHECK(strncmp(msg, n->f->name, strlen(n->f->name)) == 0);
    n->errors++;
    return RP_OK;
}

static void run(struct rp_json_val root, struct rp_json_parser *out, struct rp_buf *buf)
{
    for (size_t i = 0; rp_hub_formats[i]; i++) {
        int s = rp_hub_formats[i]->probe(root);
        CHECK(s >= 0 && s <= 100);
    }
    (void)rp_hub_format_sniff(root);
    for (size_t i = 0; rp_hub_formats[i]; i++) {
        struct count n = {.f = rp_hub_formats[i]};
        struct rp_errbuf eb = {0};
        struct rp_hub_conv cv = {
            .now_ms = 1700000000000LL,
            .account = "000000000000",
            .region = "us-east-1",
            .buf = buf,
            .parser = out,
            .finding = on_finding,
            .error = on_error,
            .ctx = &n,
        };
        rp_err e = n.f->convert(&cv, root, &eb);
        if (e == RP_OK)
            CHECK(cv.item == n.findings + n.errors);
        else
            CHECK((e == RP_EINVAL && cv.item == 0) || e == RP_ENOMEM);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct rp_json_parser *in, *out;
    static struct rp_buf buf;
    if (!in) {
        in = rp_json_parser_new();
        out = rp_json_parser_new();
        CHECK(in && out);
        rp_buf_init(&buf, HUB_MAX_FINDING_BYTES);
    }
    struct rp_json_val root;
    if (rp_json_parse(in, (const char *)data, size, &root, NULL) == RP_OK) {
        run(root, out, &buf);
        return 0;
    }
    struct rp_json_lines jl;
    rp_json_lines_init(&jl, (const char *)data, size, false);
    for (;;) {
        rp_err e = rp_json_lines_next(&jl, in, &root, NULL);
        if (e == RP_ENOENT) break;
        if (e == RP_OK) run(root, out, &buf);
    }
    return 0;
}
