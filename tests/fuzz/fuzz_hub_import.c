/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target for the findings hub's import path (src/hub/hub_import.c, hub_merge.c,
 * hub_store.c): the input is imported twice into one in-memory store with
 * rp_hub_import_buf (framing, sniffing, conversion, validation, merge, columns, history), so
 * the second pass exercises the update and ignore rules on the same identities. Checks: the
 * import never fails for anything but store errors or unreadable input, every item is counted
 * exactly once (created + updated + unchanged + failed equals the items reported), the second
 * pass creates nothing, and every stored row has a document that parses. Any break aborts. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rp_json.h"
#include "hub/hub.h"
#include "store/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz_hub_import: check failed: %s (line %d)\n", #cond, __LINE__);     \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

static rp_err on_error(void *ctx, const char *source, size_t item, const char *id, const char *code,
                       const char *msg)
{
    size_t *n = ctx;
    (void)source;
    (void)item;
    (void)id;
    CHECK(code && *code && msg && *msg);
    (*n)++;
    return RP_OK;
}

static void import_once(struct rp_store *st, const uint8_t *data, size_t size,
                        struct rp_hub_import_stats *s)
{
    struct rp_hub_import_opts o;
    struct rp_hub_importer *im = NULL;
    struct rp_errbuf eb = {RP_OK, ""};
    size_t errors = 0;
    rp_hub_import_opts_init(&o);
    o.now_ms = 1767571200000LL;
    o.on_error = on_error;
    o.ctx = &errors;
    CHECK(rp_hub_importer_new(st, &o, &im, &eb) == RP_OK);
    rp_err e = rp_hub_import_buf(im, (const char *)data, size, "fuzz", &eb);
    CHECK(e == RP_OK || e == RP_EPARSE || e == RP_ELIMIT);
    rp_hub_importer_stats(im, s);
    CHECK(s->failed == errors);
    CHECK(rp_hub_importer_finish(im, &eb) == RP_OK);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct rp_store *st = NULL;
    struct rp_hub_import_stats a, b;
    if (rp_store_new(":memory:", RP_STORE_RDWR, &st, NULL) != RP_OK) return 0;
    import_once(st, data, size, &a);
    import_once(st, data, size, &b);
    CHECK(b.created == 0);
    CHECK(b.created + b.updated + b.unchanged + b.failed ==
          a.created + a.updated + a.unchanged + a.failed);

    struct rp_store_stmt *s = NULL;
    struct rp_json_parser *p = rp_json_parser_new();
    bool row = false;
    int64_t n = 0;
    CHECK(p);
    CHECK(rp_store_stmt_prepare(st,
                                "SELECT d.doc FROM findings f JOIN finding_docs d ON "
                                "d.rowid = f.rowid",
                                &s, NULL) == RP_OK);
    while (rp_store_stmt_step(s, &row, NULL) == RP_OK && row) {
        size_t len = 0;
        const char *doc = rp_store_stmt_column_text(s, 0, &len);
        struct rp_json_val v;
        CHECK(doc && rp_json_parse(p, doc, len, &v, NULL) == RP_OK);
        n++;
    }
    CHECK(n == (int64_t)a.created);
    rp_json_parser_free(p);
    rp_store_free(st);
    return 0;
}
