/* SPDX-License-Identifier: Apache-2.0 */
/* Small macros every Rampart file may use: result checking, test visibility, programmer-error
 * checks. Included by rp_err.h, so most files get it for free. */
#ifndef RP_BASE_H
#define RP_BASE_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

/* A function whose result must be looked at (bounded appends, anything returning rp_err). */
#define RP_WUR          __attribute__((warn_unused_result))
#define RP_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define RP_UNUSED       __attribute__((unused))
#define RP_LIKELY(x)    __builtin_expect(!!(x), 1)
#define RP_UNLIKELY(x)  __builtin_expect(!!(x), 0)
#define RP_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* static in the product, visible to unit tests that compile the source with RP_TESTING
 * (curl's UNITTEST). */
#ifdef RP_TESTING
#define RP_STATIC
#else
#define RP_STATIC static
#endif

/* Programmer errors only, never input checks (Git's BUG). Aborts with file and line. */
void rp_bug(const char *file, int line, const char *cond) __attribute__((noreturn));
#define RP_BUG_ON(cond)                                                                            \
    do {                                                                                           \
        if (RP_UNLIKELY(cond)) rp_bug(__FILE__, __LINE__, #cond);                                  \
    } while (0)

/* free() and set the pointer to NULL (curl's curlx_safefree). */
#define rp_free_and_null(p)                                                                        \
    do {                                                                                           \
        free(p);                                                                                   \
        (p) = NULL;                                                                                \
    } while (0)

#endif
