/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target for the Athena rewrite of `rampart query` (src/query/query_rewrite.c).
 * Arbitrary text (NUL-terminated copy of the input) is rewritten; the result must be a string,
 * every edit must lie inside both texts in order, and every offset of the rewritten text must
 * map back inside the original. Text without a '.' or "try_cast" (in any case) must come
 * back unchanged. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "query/query_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *in = malloc(size + 1);
    if (!in) return 0;
    memcpy(in, data, size);
    in[size] = 0;
    size_t len = strlen(in);
    struct rp_query_rewrite rw;
    struct rp_errbuf eb = {0};
    if (rp_query_rewrite(in, &rw, &eb) != RP_OK) {
        free(in);
        return 0;
    }
    size_t out = strlen(rw.sql);
    size_t o_prev = 0, n_prev = 0;
    for (size_t k = 0; k < rw.nedits; k++) {
        const struct rp_query_edit *e = &rw.edits[k];
        if (e->o0 < o_prev || e->o1 < e->o0 || e->o1 > len) abort();
        if (e->n0 < n_prev || e->n1 < e->n0 || e->n1 > out) abort();
        o_prev = e->o1;
        n_prev = e->n1;
    }
    for (size_t i = 0; i <= out; i++)
        if (rp_query_rewrite_map(&rw, i) > len) abort();
    if (!strchr(in, '.') && !strcasestr(in, "try_cast") && strcmp(in, rw.sql) != 0) abort();
    rp_query_rewrite_release(&rw);
    free(in);
    return 0;
}
