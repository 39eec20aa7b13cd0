/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target for the JavaScript and Python lockfile inventories of src/vuln
 * (package-lock, yarn-lock, requirements, poetry-lock, pipfile-lock): the input, copied to a
 * buffer of exactly its size so ASan catches overreads, goes to every parse(). Each must
 * return RP_OK or an error with a message, and every package it reports must have a
 * non-empty name and version and an npm or PyPI ecosystem, and never repeat the (name,
 * version) reported just before it. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vuln/vuln.h"

extern const struct rp_vuln_inventory_format rp_vuln_inv_package_lock, rp_vuln_inv_yarn_lock,
    rp_vuln_inv_requirements, rp_vuln_inv_poetry_lock, rp_vuln_inv_pipfile_lock;

struct seen {
    char last[2][512]; /* the previous package's name and version (cheap repeat check) */
    size_t count;
};

static rp_err check(const struct rp_vuln_pkg *p, void *ctx, struct rp_errbuf *eb)
{
    (void)eb;
    struct seen *s = ctx;
    if (!p->name || !p->version || !p->ecosystem || !p->package_manager) abort();
    if (!p->name[0] || !p->version[0]) abort();
    if (strcmp(p->ecosystem, "npm") != 0 && strcmp(p->ecosystem, "PyPI") != 0) abort();
    if (s->count && strcmp(s->last[0], p->name) == 0 && strcmp(s->last[1], p->version) == 0)
        abort();
    snprintf(s->last[0], sizeof s->last[0], "%s", p->name);
    snprintf(s->last[1], sizeof s->last[1], "%s", p->version);
    s->count++;
    return RP_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct rp_vuln_inventory_format *const fmts[] = {
        &rp_vuln_inv_package_lock, &rp_vuln_inv_yarn_lock, &rp_vuln_inv_requirements,
        &rp_vuln_inv_poetry_lock, &rp_vuln_inv_pipfile_lock};
    char *p = malloc(size ? size : 1);
    if (!p) return 0;
    if (size) memcpy(p, data, size);
    struct rp_vuln_inv_ctx cx = {.path = "fuzz", .os_ecosystem = NULL};
    for (size_t i = 0; i < sizeof fmts / sizeof fmts[0]; i++) {
        struct seen s = {0};
        struct rp_errbuf eb = {0};
        rp_err e = fmts[i]->parse(&cx, p, size, check, &s, &eb);
        if (e != RP_OK && eb.msg[0] == '\0') abort();
        (void)fmts[i]->detect("fuzz", p, size < 4096 ? size : 4096);
    }
    free(p);
    return 0;
}
