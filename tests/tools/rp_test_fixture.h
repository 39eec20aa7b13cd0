/* SPDX-License-Identifier: Apache-2.0 */
/* Reading fixture files in cmocka unit tests: RP_FIXTURES_DIR/<dir>/<name> into an rp_buf.
 * Header-only, test code only; include it after <cmocka.h>. */
#ifndef RP_TEST_FIXTURE_H
#define RP_TEST_FIXTURE_H

#include <stdio.h>

#include "core/rp_buf.h"

/* Read RP_FIXTURES_DIR/<dir>/<name> into b, which this initialises (at most 1 MiB); the
 * caller releases it. A missing file fails the test. */
static inline void rp_test_fixture_load(struct rp_buf *b, const char *dir, const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s/%s", RP_FIXTURES_DIR, dir, name);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    rp_buf_init(b, 1u << 20);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        assert_int_equal(rp_buf_append(b, chunk, n), RP_OK);
    fclose(f);
}

#endif
