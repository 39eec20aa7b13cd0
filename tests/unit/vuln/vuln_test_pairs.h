/* SPDX-License-Identifier: Apache-2.0 */
/* Shared by the version-ordering tests of tests/unit/vuln: pairs of versions with the
 * expected sign of cmp(a, b), checked both ways (cmp(b, a) must be the opposite), for the
 * scheme named by VULN_TEST_SCHEME ("dpkg", ..), defined before including this header after
 * cmocka.h. */
#ifndef RP_VULN_TEST_PAIRS_H
#define RP_VULN_TEST_PAIRS_H

#include "vuln/vuln.h"

struct pair {
    const char *a, *b;
    int want; /* cmp(a, b); cmp(b, a) must be -want */
};

static inline const struct rp_vuln_versioning *vs(void)
{
    const struct rp_vuln_versioning *v = rp_vuln_versioning_find(VULN_TEST_SCHEME);
    assert_non_null(v);
    return v;
}

static inline int cmp(const char *a, const char *b)
{
    return vs()->cmp(rp_str_from(a), rp_str_from(b));
}

static inline void check_pairs(const struct pair *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int ab = cmp(p[i].a, p[i].b), ba = cmp(p[i].b, p[i].a);
        if (ab != p[i].want || ba != -p[i].want)
            fail_msg("cmp('%s','%s') = %d and reversed %d, want %d", p[i].a, p[i].b, ab, ba,
                     p[i].want);
    }
}

#define CHECK_PAIRS(arr) check_pairs(arr, sizeof(arr) / sizeof(arr[0]))

#endif
