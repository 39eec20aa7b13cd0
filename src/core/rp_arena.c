/* SPDX-License-Identifier: Apache-2.0 */
/* rp_arena: chunked bump allocator (see rp_arena.h). Large requests get a block of their own
 * so that a big string does not waste the rest of the current block. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rp_arena.h"
#include "core/rp_banned.h"

#define ALIGN         16u
#define DEFAULT_BLOCK (64u << 10)

struct rp_arena_block {
    struct rp_arena_block *next;
    size_t size; /* usable bytes in data[] */
    size_t used;
    _Alignas(16) unsigned char data[];
};

/* The torture hook costs one branch per new block, not per allocation, so it stays in the
 * product build where tests can link against the ordinary library. */
static long fail_after = -1;
void rp_arena_test_fail_after(long n)
{
    fail_after = n;
}

static struct rp_arena_block *block_new(struct rp_arena *a, size_t size)
{
    if (RP_UNLIKELY(fail_after >= 0)) {
        if (fail_after == 0) return NULL;
        fail_after--;
    }
    if (size > SIZE_MAX - sizeof(struct rp_arena_block)) return NULL;
    if (a->max && (a->total + size > a->max)) return NULL;
    struct rp_arena_block *b = malloc(sizeof *b + size);
    if (!b) return NULL;
    b->size = size;
    b->used = 0;
    a->total += size;
    return b;
}

void rp_arena_init(struct rp_arena *a, size_t block_size)
{
    a->head = NULL;
    a->block_size = block_size ? block_size : DEFAULT_BLOCK;
    a->total = 0;
    a->max = 0;
}

void rp_arena_release(struct rp_arena *a)
{
    struct rp_arena_block *b = a->head;
    while (b) {
        struct rp_arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
    a->total = 0;
}

void rp_arena_reset(struct rp_arena *a)
{
    struct rp_arena_block *keep = a->head;
    if (!keep) return;
    struct rp_arena_block *b = keep->next;
    while (b) {
        struct rp_arena_block *next = b->next;
        a->total -= b->size;
        free(b);
        b = next;
    }
    keep->next = NULL;
    keep->used = 0;
}

void *rp_arena_alloc(struct rp_arena *a, size_t n)
{
    if (n == 0) n = 1;
    if (n > SIZE_MAX - ALIGN) return NULL;
    n = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    struct rp_arena_block *h = a->head;
    if (RP_LIKELY(h && h->size - h->used >= n)) {
        void *p = h->data + h->used;
        h->used += n;
        return p;
    }
    if (n > a->block_size / 4) {
        /* Big allocation: its own block, linked behind the head so the head stays current. */
        struct rp_arena_block *b = block_new(a, n);
        if (!b) return NULL;
        b->used = n;
        if (h) {
            b->next = h->next;
            h->next = b;
        } else {
            b->next = NULL;
            a->head = b;
        }
        return b->data;
    }
    struct rp_arena_block *b = block_new(a, a->block_size);
    if (!b) return NULL;
    b->next = h;
    a->head = b;
    b->used = n;
    return b->data;
}

void *rp_arena_zalloc(struct rp_arena *a, size_t n)
{
    void *p = rp_arena_alloc(a, n);
    if (p) memset(p, 0, n ? n : 1);
    return p;
}

char *rp_arena_memdup(struct rp_arena *a, const void *p, size_t n)
{
    if (n == SIZE_MAX) return NULL;
    char *d = rp_arena_alloc(a, n + 1);
    if (!d) return NULL;
    if (n) memcpy(d, p, n);
    d[n] = '\0';
    return d;
}

char *rp_arena_strdup(struct rp_arena *a, const char *s)
{
    return rp_arena_memdup(a, s, strlen(s));
}

char *rp_arena_printf(struct rp_arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) return NULL;
    char *d = rp_arena_alloc(a, (size_t)n + 1);
    if (!d) return NULL;
    va_start(ap, fmt);
    vsnprintf(d, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return d;
}
