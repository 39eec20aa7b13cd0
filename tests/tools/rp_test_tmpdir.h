/* SPDX-License-Identifier: Apache-2.0 */
/* Scratch directories for unit tests: made fresh under /tmp, removed with everything in them
 * (symlinks are removed, never followed). Header-only, test code only. */
#ifndef RP_TEST_TMPDIR_H
#define RP_TEST_TMPDIR_H

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

/* Make /tmp/<prefix>XXXXXX into dir[size]; 0 on success, -1 on failure (cmocka setup style). */
static inline int rp_test_tmpdir_make(char *dir, size_t size, const char *prefix)
{
    int n = snprintf(dir, size, "/tmp/%sXXXXXX", prefix);
    if (n < 0 || (size_t)n >= size) return -1;
    return mkdtemp(dir) ? 0 : -1;
}

static inline int rp_test_tmpdir_rm_entry(const char *path, const struct stat *st, int flag,
                                          struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

/* Remove dir and everything below it; 0 on success (cmocka teardown style). */
static inline int rp_test_tmpdir_remove(const char *dir)
{
    return nftw(dir, rp_test_tmpdir_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

#endif
