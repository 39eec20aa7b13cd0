/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target for the language-lockfile and SBOM inventories of src/vuln (go.mod,
 * go.sum, Cargo.lock, composer.lock, Gemfile.lock, pom.xml, CycloneDX, SPDX) and the purl
 * parser they share. The first input byte picks the parser (and the file name it is told,
 * since go.mod/go.sum share one descriptor); the rest, copied to an exact-size buffer so
 * reading past it is caught, is the file. Every parse must return RP_OK or RP_EPARSE /
 * RP_ELIMIT with a message, and every package handed out must have a name, a version and a
 * package manager. The whole input is also parsed and mapped as a purl. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vuln/vuln.h"
#include "vuln/vuln_purl.h"

extern const struct rp_vuln_inventory_format rp_vuln_inv_go_mod, rp_vuln_inv_cargo_lock,
    rp_vuln_inv_composer_lock, rp_vuln_inv_gemfile_lock, rp_vuln_inv_pom, rp_vuln_inv_cyclonedx,
    rp_vuln_inv_spdx;

static rp_err check(const struct rp_vuln_pkg *p, void *ctx, struct rp_errbuf *eb)
{
    (void)ctx;
    (void)eb;
    if (!p->name || !*p->name || !p->version || !*p->version || !p->package_manager ||
        !p->file_path)
        abort();
    return RP_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct {
        const struct rp_vuln_inventory_format *f;
        const char *path;
    } t[] = {
        {&rp_vuln_inv_go_mod, "/app/go.mod"},
        {&rp_vuln_inv_go_mod, "/app/go.sum"},
        {&rp_vuln_inv_cargo_lock, "/app/Cargo.lock"},
        {&rp_vuln_inv_composer_lock, "/app/composer.lock"},
        {&rp_vuln_inv_gemfile_lock, "/app/Gemfile.lock"},
        {&rp_vuln_inv_pom, "/app/pom.xml"},
        {&rp_vuln_inv_cyclonedx, "/app/bom.cdx.json"},
        {&rp_vuln_inv_spdx, "/app/bom.spdx.json"},
    };
    if (size < 1) return 0;
    size_t k = data[0] % (sizeof t / sizeof t[0]);
    size_t n = size - 1;
    char *b = malloc(n ? n : 1);
    if (!b) return 0;
    if (n) memcpy(b, data + 1, n);
    struct rp_vuln_inv_ctx cx = {t[k].path, NULL};
    struct rp_errbuf eb = {0};
    (void)t[k].f->detect(t[k].path, b, n);
    rp_err rc = t[k].f->parse(&cx, b, n, check, NULL, &eb);
    if (rc != RP_OK && ((rc != RP_EPARSE && rc != RP_ELIMIT && rc != RP_ENOMEM) || !eb.msg[0]))
        abort();
    struct rp_vuln_purl u;
    struct rp_vuln_purl_pkg pk;
    (void)rp_vuln_purl_parse((struct rp_str){b, n}, &u);
    if (rp_vuln_purl_to_pkg((struct rp_str){b, n}, (struct rp_str){b, n < 8 ? n : 8}, &pk) &&
        (!pk.name[0] || !pk.version[0] || !pk.package_manager))
        abort();
    free(b);
    return 0;
}
