/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target for archives as sensitive data discovery opens them (dataid_archive.c
 * through rp_dataid_classify_object): the bytes as a .zip, a .tar and a .tar.gz object,
 * members classified with a small identifier set. Every object reported has a path under the
 * archive's and either a result or a status with its reason. */
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
    if (!o->result && (!o->status || !o->reason)) abort();
    if (o->result && o->status) abort();
    return RP_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!g_set) {
        static const char *const only[] = {"CREDIT_CARD_NUMBER", "USA_SOCIAL_SECURITY_NUMBER"};
        struct rp_errbuf eb = {0};
        if (rp_dataid_set_new(&g_set, &eb) || rp_dataid_set_add_managed(g_set, only, 2, &eb) ||
            rp_dataid_set_compile(g_set, &eb) || rp_dataid_scratch_new(g_set, &g_sc))
            abort();
    }
    char *copy = malloc(size ? size : 1);
    if (!copy) return 0;
    memcpy(copy, data, size);
    static const char *const names[] = {"s3://b/x.zip", "s3://b/x.tar", "s3://b/x.tgz"};
    for (size_t k = 0; k < 3; k++) {
        struct rp_dataid_object_ref ref = {
            .bucket = "b", .key = names[k] + 7, .size = (int64_t)size};
        struct rp_errbuf eb = {0};
        (void)!rp_dataid_classify_object(g_set, g_sc, &ref, names[k], copy, size, on_object,
                                         (void *)names[k], NULL, &eb);
    }
    free(copy);
    return 0;
}
