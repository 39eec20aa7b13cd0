/* SPDX-License-Identifier: Apache-2.0 */
/* Private to src/netreach: port sets as sorted, disjoint, non-adjacent inclusive ranges
 * (interval arithmetic), with the network ACL and security group evaluators built on them
 * (netreach_ports.c).
 *
 * Invariants of a normalized struct nr_pset: r[0..n) sorted by lo, r[i].hi + 1 < r[i+1].lo.
 * Pushing past NR_PSET_MAX widens the last range (over-approximation, flagged in `over`);
 * AWS quotas (at most 1,000 security group rules per interface, 40 ACL rules per direction)
 * keep real sets far below it. */
#ifndef RP_NETREACH_PORTS_H
#define RP_NETREACH_PORTS_H

#include "netreach/netreach_internal.h"

#define NR_PSET_MAX 2048

struct nr_prange {
    uint16_t lo, hi;
};

struct nr_pset {
    uint32_t n;
    bool over;
    struct nr_prange r[NR_PSET_MAX];
};

/* A compact copy (in an arena). */
struct nr_cps {
    uint32_t n;
    struct nr_prange *r;
};

void nr_ps_clear(struct nr_pset *p);
void nr_ps_full(struct nr_pset *p);
void nr_ps_push(struct nr_pset *p, uint16_t lo, uint16_t hi); /* unnormalized append */
void nr_ps_norm(struct nr_pset *p);
void nr_ps_and(const struct nr_pset *a, const struct nr_pset *b, struct nr_pset *out);
void nr_ps_or(struct nr_pset *dst, const struct nr_pset *src);     /* dst |= src, normalized */
void nr_ps_and_range(struct nr_pset *p, uint16_t lo, uint16_t hi); /* in place */
bool nr_ps_has(const struct nr_pset *p, uint16_t port);
bool nr_ps_overlaps(const struct nr_pset *p, uint16_t lo, uint16_t hi);
bool nr_cps_overlaps(const struct nr_cps *p, uint16_t lo, uint16_t hi);
/* Copy p into arena a; false on allocation failure. */
bool nr_cps_from(struct rp_arena *a, const struct nr_pset *p, struct nr_cps *out);

/* Network ACL rules r[0..n) (sorted by number) for traffic with the outside address addr and
 * protocol proto (6, 17): the ports allowed, first match wins (rem is scratch). */
void nr_acl_allowed(const struct nr_acl_rule *r, uint32_t n, uint32_t addr, int proto,
                    struct nr_pset *out, struct nr_pset *rem);
/* The rule deciding port (first match), or NULL when none matches (the implicit deny). */
const struct nr_acl_rule *nr_acl_rule_for(const struct nr_acl_rule *r, uint32_t n, uint32_t addr,
                                          int proto, uint16_t port);

/* Ports of proto that group g lets in from addr; a rule naming a group in src_ids[0..nsrc)
 * (the groups the source is a member of) matches whatever the address. out is normalized. */
void nr_sg_allowed(const struct nr_sg *g, uint32_t addr, int proto, const char *const *src_ids,
                   uint32_t nsrc, struct nr_pset *out);

#endif
