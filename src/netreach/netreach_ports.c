/* SPDX-License-Identifier: Apache-2.0 */
/* Port-range arithmetic for rp_netreach (netreach_ports.h): sets of TCP or UDP ports as sorted
 * ranges, and the two filters that produce them: network ACL rules evaluated in rule-number
 * order where the first matching rule decides (stateless, so netreach_eval.c runs it for both
 * directions), and security groups, stateful, whose matching inbound rules are unioned.
 * Everything here allocates nothing but the compact copies made by nr_cps_from. */
#include <stdlib.h>
#include <string.h>

#include "netreach/netreach_ports.h"
#include "core/rp_banned.h"

void nr_ps_clear(struct nr_pset *p)
{
    p->n = 0;
    p->over = false;
}

void nr_ps_full(struct nr_pset *p)
{
    p->n = 1;
    p->over = false;
    p->r[0] = (struct nr_prange){0, 65535};
}

void nr_ps_push(struct nr_pset *p, uint16_t lo, uint16_t hi)
{
    if (p->n == NR_PSET_MAX) {
        struct nr_prange *l = &p->r[p->n - 1];
        if (lo < l->lo) l->lo = lo;
        if (hi > l->hi) l->hi = hi;
        p->over = true;
        return;
    }
    p->r[p->n++] = (struct nr_prange){lo, hi};
}

static int cmp_pr(const void *a, const void *b)
{
    const struct nr_prange *x = a, *y = b;
    if (x->lo != y->lo) return x->lo < y->lo ? -1 : 1;
    return (x->hi > y->hi) - (x->hi < y->hi);
}

void nr_ps_norm(struct nr_pset *p)
{
    if (p->n < 2) return;
    bool sorted = true;
    for (uint32_t i = 1; i < p->n && sorted; i++)
        if (p->r[i].lo < p->r[i - 1].lo) sorted = false;
    if (!sorted) qsort(p->r, p->n, sizeof(p->r[0]), cmp_pr);
    uint32_t k = 0;
    for (uint32_t i = 1; i < p->n; i++) {
        struct nr_prange *l = &p->r[k];
        if ((uint32_t)p->r[i].lo <= (uint32_t)l->hi + 1) {
            if (p->r[i].hi > l->hi) l->hi = p->r[i].hi;
        } else {
            p->r[++k] = p->r[i];
        }
    }
    p->n = k + 1;
}

void nr_ps_and(const struct nr_pset *a, const struct nr_pset *b, struct nr_pset *out)
{
    nr_ps_clear(out);
    uint32_t i = 0, j = 0;
    while (i < a->n && j < b->n) {
        uint16_t lo = a->r[i].lo > b->r[j].lo ? a->r[i].lo : b->r[j].lo;
        uint16_t hi = a->r[i].hi < b->r[j].hi ? a->r[i].hi : b->r[j].hi;
        if (lo <= hi) nr_ps_push(out, lo, hi);
        if (a->r[i].hi < b->r[j].hi)
            i++;
        else
            j++;
    }
    out->over = a->over || b->over;
}

void nr_ps_or(struct nr_pset *dst, const struct nr_pset *src)
{
    for (uint32_t i = 0; i < src->n; i++) nr_ps_push(dst, src->r[i].lo, src->r[i].hi);
    nr_ps_norm(dst);
}

void nr_ps_and_range(struct nr_pset *p, uint16_t lo, uint16_t hi)
{
    uint32_t k = 0;
    for (uint32_t i = 0; i < p->n; i++) {
        uint16_t a = p->r[i].lo > lo ? p->r[i].lo : lo;
        uint16_t b = p->r[i].hi < hi ? p->r[i].hi : hi;
        if (a <= b) p->r[k++] = (struct nr_prange){a, b};
    }
    p->n = k;
}

bool nr_ps_has(const struct nr_pset *p, uint16_t port)
{
    return nr_ps_overlaps(p, port, port);
}

bool nr_ps_overlaps(const struct nr_pset *p, uint16_t lo, uint16_t hi)
{
    for (uint32_t i = 0; i < p->n; i++)
        if (p->r[i].lo <= hi && p->r[i].hi >= lo) return true;
    return false;
}

bool nr_cps_overlaps(const struct nr_cps *p, uint16_t lo, uint16_t hi)
{
    for (uint32_t i = 0; i < p->n; i++)
        if (p->r[i].lo <= hi && p->r[i].hi >= lo) return true;
    return false;
}

bool nr_cps_from(struct rp_arena *a, const struct nr_pset *p, struct nr_cps *out)
{
    out->n = p->n;
    out->r = NULL;
    if (!p->n) return true;
    out->r = rp_arena_alloc(a, p->n * sizeof(*out->r));
    if (!out->r) return false;
    memcpy(out->r, p->r, p->n * sizeof(*out->r));
    return true;
}

static bool proto_match(int rule, int proto)
{
    return rule == -1 || rule == proto;
}

void nr_acl_allowed(const struct nr_acl_rule *r, uint32_t n, uint32_t addr, int proto,
                    struct nr_pset *out, struct nr_pset *rem)
{
    nr_ps_clear(out);
    nr_ps_full(rem);
    for (uint32_t i = 0; i < n && rem->n; i++) {
        const struct nr_acl_rule *e = &r[i];
        if (!proto_match(e->proto, proto) || addr < e->lo || addr > e->hi) continue;
        /* the ports of this rule still undecided are decided by it: rem[j0..j1) overlap */
        uint32_t j0 = 0;
        while (j0 < rem->n && rem->r[j0].hi < e->pfrom) j0++;
        uint32_t j1 = j0;
        for (; j1 < rem->n && rem->r[j1].lo <= e->pto; j1++) {
            uint16_t lo = rem->r[j1].lo > e->pfrom ? rem->r[j1].lo : e->pfrom;
            uint16_t hi = rem->r[j1].hi < e->pto ? rem->r[j1].hi : e->pto;
            if (e->allow) nr_ps_push(out, lo, hi);
        }
        if (j1 == j0) continue;
        struct nr_prange ins[2];
        uint32_t nk = 0;
        if (rem->r[j0].lo < e->pfrom)
            ins[nk++] = (struct nr_prange){rem->r[j0].lo, (uint16_t)(e->pfrom - 1)};
        if (rem->r[j1 - 1].hi > e->pto && (rem->n < NR_PSET_MAX || nk + 1 <= j1 - j0))
            ins[nk++] = (struct nr_prange){(uint16_t)(e->pto + 1), rem->r[j1 - 1].hi};
        memmove(&rem->r[j0 + nk], &rem->r[j1], (rem->n - j1) * sizeof(rem->r[0]));
        for (uint32_t q = 0; q < nk; q++) rem->r[j0 + q] = ins[q];
        rem->n = rem->n - (j1 - j0) + nk;
    }
    nr_ps_norm(out);
}

const struct nr_acl_rule *nr_acl_rule_for(const struct nr_acl_rule *r, uint32_t n, uint32_t addr,
                                          int proto, uint16_t port)
{
    for (uint32_t i = 0; i < n; i++) {
        const struct nr_acl_rule *e = &r[i];
        if (proto_match(e->proto, proto) && addr >= e->lo && addr <= e->hi && port >= e->pfrom &&
            port <= e->pto)
            return e;
    }
    return NULL;
}

void nr_sg_allowed(const struct nr_sg *g, uint32_t addr, int proto, const char *const *src_ids,
                   uint32_t nsrc, struct nr_pset *out)
{
    nr_ps_clear(out);
    for (uint32_t i = 0; i < g->nin; i++) {
        const struct nr_sg_rule *ru = &g->in[i];
        if (!proto_match(ru->proto, proto)) continue;
        bool hit = false;
        for (uint32_t k = 0; k < ru->cidrs.n && !hit; k++)
            hit = addr >= ru->cidrs.v[k].lo && addr <= ru->cidrs.v[k].hi;
        for (uint32_t k = 0; k < ru->nrefs && !hit; k++)
            for (uint32_t s = 0; s < nsrc && !hit; s++) hit = strcmp(ru->refs[k], src_ids[s]) == 0;
        if (hit) nr_ps_push(out, ru->from, ru->to);
    }
    nr_ps_norm(out);
}
