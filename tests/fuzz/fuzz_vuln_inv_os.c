/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target for the operating-system package inventories of src/vuln (dpkg status,
 * apk installed, rpm manifest) and the os-release reader. The input (copied, so reads past
 * its end are caught by ASan) goes to each parse() under a path chosen by the first byte
 * (the main dpkg status file or a status.d file) and with an os ecosystem or none; every
 * package must have a name, version and package manager that are C strings, and a failure
 * must be RP_EPARSE with a message (or the callback's own error, which stops at the 3rd
 * package of every 2nd run). rp_vuln_os_release must return RP_OK with a non-empty string,
 * RP_ENOENT or RP_ELIMIT, and detect() must not crash on the input as head. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vuln/vuln.h"
#include "vuln/vuln_inv_internal.h"

#define RP_VULN_INVENTORY(sym) extern const struct rp_vuln_inventory_format sym;
#include "vuln/vuln_inventories.def"
#undef RP_VULN_INVENTORY

struct run {
    int seen, stop;
};

static rp_err on_pkg(const struct rp_vuln_pkg *p, void *ctx, struct rp_errbuf *eb)
{
    struct run *r = ctx;
    if (!p->name || !p->version || !p->package_manager || !p->name[0] || !p->version[0]) abort();
    size_t n = strlen(p->name) + strlen(p->version) + strlen(p->package_manager);
    if (p->match_name) n += strlen(p->match_name);
    if (p->arch) n += strlen(p->arch);
    if (p->ecosystem) n += strlen(p->ecosystem);
    (void)n;
    if (r->stop && ++r->seen == r->stop) return rp_fail(eb, RP_ELIMIT, "stop");
    return RP_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *p = malloc(size ? size : 1);
    if (!p) return 0;
    if (size) memcpy(p, data, size);
    unsigned sel = size ? data[0] : 0;
    static const char *const paths[] = {"/r/var/lib/dpkg/status", "/r/var/lib/dpkg/status.d/x",
                                        "/r/lib/apk/db/installed", "/r/rpm-qa.txt"};
    static const char *const oses[] = {NULL, "Debian:12", "Alpine:v3.19", "Rocky Linux:9"};
    const struct rp_vuln_inventory_format *const fmts[] = {
        &rp_vuln_inv_dpkg_status, &rp_vuln_inv_apk_installed, &rp_vuln_inv_rpm_manifest};
    for (size_t i = 0; i < sizeof fmts / sizeof fmts[0]; i++) {
        struct rp_vuln_inv_ctx cx = {.path = paths[sel & 3], .os_ecosystem = oses[(sel >> 2) & 3]};
        struct run r = {.stop = (sel & 16) ? 3 : 0};
        struct rp_errbuf eb = {0};
        rp_err e = fmts[i]->parse(&cx, p, size, on_pkg, &r, &eb);
        if (e != RP_OK && !(e == RP_EPARSE && eb.msg[0]) && !(e == RP_ELIMIT && r.stop)) abort();
        (void)fmts[i]->detect(cx.path, p, size < 4096 ? size : 4096);
    }
    char out[64];
    rp_err e = rp_vuln_os_release(p, size, out, (sel & 32) ? 12 : sizeof out);
    if (e == RP_OK ? !out[0] || strlen(out) >= sizeof out : e != RP_ENOENT && e != RP_ELIMIT)
        abort();
    free(p);
    return 0;
}
