/* SPDX-License-Identifier: Apache-2.0 */
/* Arena: a bump allocator for one unit of work (a batch, a file, a request, a query, a rule
 * compile), in the manner of Git's mem_pool (STYLE.md B4.1). Everything derived from one input
 * is allocated here and dies with it in one rp_arena_release().
 *
 * Invariants: blocks form a singly linked list, newest first; `used <= size` in every block;
 * allocations are aligned to 16 bytes; nothing is freed individually. Not thread-safe: one
 * arena belongs to one thread at a time. */
#ifndef RP_ARENA_H
#define RP_ARENA_H

#include "core/rp_err.h"

struct rp_arena_block;

struct rp_arena {
    struct rp_arena_block *head; /* newest block, allocation happens here */
    size_t block_size;           /* default size of a new block */
    size_t total;                /* bytes obtained from malloc, for stats and caps */
    size_t max;                  /* hard cap on total, 0 = none; past it allocs return NULL */
};

/* Fill *a; allocates nothing until the first rp_arena_alloc. block_size 0 = 64 KiB. */
void rp_arena_init(struct rp_arena *a, size_t block_size);

/* Free every block; *a can be used again afterwards. */
void rp_arena_release(struct rp_arena *a);

/* Forget every allocation but keep the newest block for reuse (cheap per-batch reset). */
void rp_arena_reset(struct rp_arena *a);

/* n bytes, 16-byte aligned, uninitialised. NULL on allocation failure or past a->max. */
void *rp_arena_alloc(struct rp_arena *a, size_t n) RP_WUR;

/* As rp_arena_alloc, zero-filled. */
void *rp_arena_zalloc(struct rp_arena *a, size_t n) RP_WUR;

/* Copy of p[0..n) followed by a NUL byte. NULL on allocation failure. */
char *rp_arena_memdup(struct rp_arena *a, const void *p, size_t n) RP_WUR;

/* Copy of the C string s. NULL on allocation failure. */
char *rp_arena_strdup(struct rp_arena *a, const char *s) RP_WUR;

/* printf into the arena. NULL on allocation failure. */
char *rp_arena_printf(struct rp_arena *a, const char *fmt, ...) RP_PRINTF(2, 3) RP_WUR;

/* Allocation-failure hook for torture tests only (curl's torture runs): after n more
 * successful block allocations in any arena, the next ones fail. -1 (the default) disables.
 * Not thread-safe; never call it from product code. */
void rp_arena_test_fail_after(long n);

#endif
