/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target for the netreach model (src/netreach): the input is parsed as JSON and fed
 * to rp_netreach_model_add_ci, as one configuration item or, for an array, each element; the
 * model is then finished, every exposure computed and one explain asked. Refused items must
 * give RP_EPARSE with a message; nothing may crash, leak or read out of bounds. Seeds: the
 * items of tests/fixtures/netreach/base.json, one per file, and the whole array. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/rp_arena.h"
#include "core/rp_json.h"
#include "netreach/netreach.h"

static rp_err on_x(const struct rp_netreach_exposure *x, void *ctx, struct rp_errbuf *eb)
{
    (void)ctx;
    (void)eb;
    if (!x->resource_id || !x->nsteps || x->port_begin > x->port_end) abort();
    return RP_OK;
}

static void add(struct rp_netreach_model *m, struct rp_json_val v)
{
    struct rp_errbuf eb = {0};
    rp_err e = rp_netreach_model_add_ci(m, v, &eb);
    if (e != RP_OK && e != RP_EPARSE && e != RP_ENOMEM) abort();
    if (e == RP_EPARSE && !eb.msg[0]) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct rp_json_parser *p = rp_json_parser_new();
    struct rp_netreach_model *m = NULL;
    if (!p || rp_netreach_model_new(&m) != RP_OK) abort();
    struct rp_json_val root;
    if (rp_json_parse(p, (const char *)data, size, &root, NULL) == RP_OK) {
        struct rp_json_iter it;
        struct rp_json_val el;
        if (rp_json_type(root) == RP_JSON_ARRAY && rp_json_arr_iter(root, &it) == RP_OK) {
            while (rp_json_arr_next(&it, &el)) add(m, el);
        } else {
            add(m, root);
        }
    }
    struct rp_errbuf eb = {0};
    if (rp_netreach_model_finish(m, &eb) == RP_OK) {
        (void)rp_netreach_compute(m, RP_NETREACH_ORIGINS_ALL, on_x, NULL, &eb);
        struct rp_arena a;
        rp_arena_init(&a, 0);
        static const char *const to[] = {"i-1", "eni-1", "vpn:cgw-1"};
        for (size_t i = 0; i < 3; i++) {
            struct rp_netreach_query q = {i == 2 ? "vpn:cgw-2" : "internet", to[i], 6, 22};
            struct rp_netreach_verdict v;
            (void)rp_netreach_explain(m, &a, &q, &v, &eb);
        }
        rp_arena_release(&a);
    }
    rp_netreach_model_free(m);
    rp_json_parser_free(p);
    return 0;
}
