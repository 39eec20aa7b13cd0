/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target for sensitive data classification (src/dataid): the bytes are classified
 * as a text file and as a CSV file with every managed identifier (validators, keyword
 * windows, boundaries and locators run on whatever the matcher finds). Every occurrence must
 * lie inside the input and its line/cell locators be positive. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dataid/dataid.h"

static struct rp_dataid_set *g_set;
static struct rp_dataid_scratch *g_sc;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!g_set) {
        struct rp_errbuf eb = {0};
        if (rp_dataid_set_new(&g_set, &eb) || rp_dataid_set_add_managed(g_set, NULL, 0, &eb) ||
            rp_dataid_set_compile(g_set, &eb) || rp_dataid_scratch_new(g_set, &g_sc))
            abort();
    }
    char *copy = malloc(size ? size : 1); /* so reads past the end are caught */
    if (!copy) return 0;
    memcpy(copy, data, size);
    static const char *const names[] = {"x.txt", "x.csv"};
    for (size_t k = 0; k < 2; k++) {
        struct rp_dataid_result r;
        struct rp_errbuf eb = {0};
        if (rp_dataid_classify(g_set, g_sc, names[k], copy, size, &r, &eb) != RP_OK) continue;
        for (size_t i = 0; i < r.ndet; i++)
            for (size_t j = 0; j < r.det[i].nocc; j++) {
                const struct rp_dataid_occurrence *o = &r.det[i].occ[j];
                if (o->kind == RP_DATAID_LOC_LINES &&
                    (o->start < 1 || o->end < o->start || o->start_column < 1))
                    abort();
                if (o->kind == RP_DATAID_LOC_CELLS && (o->row < 1 || o->column < 1)) abort();
            }
        rp_dataid_result_release(&r);
    }
    free(copy);
    return 0;
}
