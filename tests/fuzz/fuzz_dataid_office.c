/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target for documents as sensitive data discovery reads them (dataid_office.c,
 * dataid_pdf.c through rp_dataid_classify_object): the bytes as a .docx, an .xlsx, a .pptx
 * and a .pdf object, classified with a small identifier set. Every object reported has either
 * a result or a status with its reason; every located occurrence is inside the document's
 * lines, cells or pages. Seeds: tests/fuzz/corpus/fuzz_dataid_office (the documents
 * test_dataid_office writes with RP_WRITE_SEEDS). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dataid/dataid.h"

static struct rp_dataid_set *g_set;
static struct rp_dataid_scratch *g_sc;

static rp_err on_object(void *ctx, const struct rp_dataid_object *o, struct rp_errbuf *eb)
{
    (void)eb;
    const char *name = ctx;
    if (strncmp(o->path, name, strlen(name))) abort();
    if (!o->result && (!o->status || !o->reason || !o->reason[0])) abort();
    if (o->result && o->status) abort();
    if (!o->result) return RP_OK;
    for (size_t i = 0; i < o->result->ndet; i++) {
        const struct rp_dataid_detection *d = &o->result->det[i];
        if (d->count < (int64_t)d->nocc || d->nocc > RP_DATAID_MAX_OCCURRENCES) abort();
        for (size_t j = 0; j < d->nocc; j++) {
            const struct rp_dataid_occurrence *c = &d->occ[j];
            if (c->kind == RP_DATAID_LOC_CELLS && (c->row < 1 || c->column < 0)) abort();
            if (c->kind == RP_DATAID_LOC_PAGES &&
                (c->page_number < 1 || c->start < 1 || c->end < c->start ||
                 c->offset_end <= c->offset_start || c->offset_start < 0))
                abort();
            if (c->kind == RP_DATAID_LOC_LINES && (c->start < 1 || c->start_column < 1)) abort();
        }
    }
    return RP_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!g_set) {
        static const char *const only[] = {"CREDIT_CARD_NUMBER", "USA_SOCIAL_SECURITY_NUMBER",
                                           "EMAIL_ADDRESS"};
        struct rp_errbuf eb = {0};
        if (rp_dataid_set_new(&g_set, &eb) || rp_dataid_set_add_managed(g_set, only, 3, &eb) ||
            rp_dataid_set_compile(g_set, &eb) || rp_dataid_scratch_new(g_set, &g_sc))
            abort();
    }
    char *copy = malloc(size ? size : 1);
    if (!copy) return 0;
    memcpy(copy, data, size);
    static const char *const names[] = {"s3://b/x.docx", "s3://b/x.xlsx", "s3://b/x.pptx",
                                        "s3://b/x.pdf"};
    for (size_t k = 0; k < 4; k++) {
        struct rp_dataid_object_ref ref = {
            .bucket = "b", .key = names[k] + 7, .size = (int64_t)size};
        struct rp_errbuf eb = {0};
        (void)!rp_dataid_classify_object(g_set, g_sc, &ref, names[k], copy, size, on_object,
                                         (void *)names[k], NULL, &eb);
    }
    free(copy);
    return 0;
}
