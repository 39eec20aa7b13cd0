/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target for the version orderings and range syntaxes of src/vuln. The input is
 * split at the first 0xff byte into two strings a and b (not NUL-terminated slices). For
 * every scheme: cmp must be antisymmetric (sign of cmp(a,b) = -sign of cmp(b,a)) and reflexive
 * (cmp(a,a) = 0), and valid() must not crash; a is also tried as an npm range and a PEP 440
 * specifier set against b, which must succeed or fail with RP_EPARSE and a message. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vuln/vuln.h"

static int sign(int x)
{
    return (x > 0) - (x < 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *cut = memchr(data, 0xff, size);
    size_t an = cut ? (size_t)(cut - data) : size;
    /* copies, so reading past a slice's end is caught by ASan */
    char *a = malloc(an ? an : 1), *b = malloc(size - an ? size - an : 1);
    if (!a || !b) {
        free(a);
        free(b);
        return 0;
    }
    memcpy(a, data, an);
    size_t bn = cut ? size - an - 1 : 0;
    if (bn) memcpy(b, cut + 1, bn);
    struct rp_str sa = {a, an}, sb = {b, bn};
    for (size_t i = 0; rp_vuln_versionings[i]; i++) {
        const struct rp_vuln_versioning *v = rp_vuln_versionings[i];
        if (v->cmp(sa, sa) != 0 || v->cmp(sb, sb) != 0) abort();
        if (sign(v->cmp(sa, sb)) != -sign(v->cmp(sb, sa))) abort();
        (void)v->valid(sa);
        (void)v->valid(sb);
    }
    struct rp_errbuf eb = {0};
    bool out = false;
    struct rp_semver_opts so = {.loose = an & 1, .include_prerelease = an & 2};
    rp_err e = rp_semver_satisfies(sa, sb, &so, &out, &eb);
    if (e != RP_OK && (e != RP_EPARSE || !eb.msg[0])) abort();
    eb.msg[0] = 0;
    e = rp_pep440_contains(sa, sb, bn & 1, &out, &eb);
    if (e != RP_OK && (e != RP_EPARSE || !eb.msg[0])) abort();
    char norm[256];
    (void)rp_pep440_normalize(sb, norm, sizeof norm, &eb);
    free(a);
    free(b);
    return 0;
}
