/* SPDX-License-Identifier: Apache-2.0 */
/* Suppression rules of threat detection: GuardDuty's filters with the action ARCHIVE. A rule
 * has a name, a description, a rank (the order rules are tried in, 1 first) and a
 * FindingCriteria object as GuardDuty's CreateFilter takes it:
 *
 *   {"Criterion": {"type": {"Eq": ["Recon:EC2/Portscan"]},
 *                  "severity": {"Gte": 4, "Lt": 7},
 *                  "resource.instanceDetails.tags.key": {"Neq": ["scanner"]}}}
 *
 * Conditions per attribute: Eq / Equals (any value equal), Neq / NotEquals (no value equal),
 * Gt / GreaterThan, Gte / GreaterThanOrEqual, Lt / LessThan, Lte / LessThanOrEqual (numbers;
 * for updatedAt epoch milliseconds). Several conditions of one attribute, and several
 * attributes, must all hold. The attribute names are GuardDuty's filter attribute names
 * (docs/detect-suppress.md lists every one); a name not in that list is refused.
 *
 * A rule is matched against a finding's GuardDuty JSON (detect_gd.h): an attribute that is a
 * list (tags, network interfaces, port probe details) matches Eq when any element does, and
 * Neq when no element does; an absent attribute fails Eq and the comparisons and passes Neq.
 * Severity Eq "N" is GuardDuty's bucket, any severity from N to N.9 ("5.5": exactly 5.5).
 * IP attributes also take a CIDR in Eq/Neq ("203.0.113.0/24"), a Rampart extension.
 *
 * Rules live in the store (migration 0015_detect_suppress.sql); a run loads them once
 * (rp_det_suppress_load) and archives each finding the first rule, by rank then name,
 * matches. Single-threaded like the run: a compiled set owns a parser. */
#ifndef RP_DETECT_SUPPRESS_H
#define RP_DETECT_SUPPRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/rp_buf.h"
#include "core/rp_err.h"

struct rp_store;

/* GuardDuty's limits on a filter (CreateFilter). */
#define RP_DET_SUPPRESS_NAME_MAX 64 /* 3..64 of [A-Za-z0-9_.-] */
#define RP_DET_SUPPRESS_DESC_MAX 512
#define RP_DET_SUPPRESS_RANK_MAX 100 /* rank 1..100 */
#define RP_DET_SUPPRESS_VALUES   50  /* values of one Eq/Neq list */

/* One stored rule. In rp_detect_suppress_add the caller fills name, description (NULL = ""),
 * rank (0 = after the last rule) and criteria; list fills every member (borrowed for the
 * callback's duration). */
struct rp_detect_suppress_rule {
    const char *name;
    const char *description;
    int rank;
    const char *criteria; /* FindingCriteria JSON text; stored compact */
    int64_t created_ms, updated_ms;
};

/* Store a rule (GuardDuty's CreateFilter with action ARCHIVE; replace = UpdateFilter: an
 * existing rule of that name is overwritten, its created time kept). The criteria are
 * compiled first, so a rule that is stored always loads. now_ms 0 = real time.
 * RP_EINVAL with a message naming what is wrong (the name, the rank, an unknown attribute,
 * a condition, a value); RP_EEXIST when the name is taken and replace is false; store
 * errors. */
rp_err rp_detect_suppress_add(struct rp_store *st, const struct rp_detect_suppress_rule *r,
                              bool replace, int64_t now_ms, struct rp_errbuf *eb) RP_WUR;

/* Delete the rule name. RP_ENOENT ("suppress: no rule 'x'") when there is none. */
rp_err rp_detect_suppress_remove(struct rp_store *st, const char *name,
                                 struct rp_errbuf *eb) RP_WUR;

/* Call fn for every rule, by rank then name; a non-OK return stops and is returned. */
typedef rp_err (*rp_detect_suppress_fn)(void *ctx, const struct rp_detect_suppress_rule *r);
rp_err rp_detect_suppress_list(struct rp_store *st, rp_detect_suppress_fn fn, void *ctx,
                               struct rp_errbuf *eb) RP_WUR;

/* The command line's short form: each arg is "attribute=value", "attribute!=value",
 * "attribute>value", ">=", "<", "<=" (e.g. "type=Recon:EC2/Portscan",
 * "resource.instanceDetails.tags.key!=scanner", "severity>=7"). Repeating "a=x" ORs the
 * values (Eq [x, y]); "severity=high" (low, medium, high, critical) is the bucket list of
 * that label (aws-facts.md §4.1). Appends the FindingCriteria JSON ({"Criterion": {..}}) to
 * out. RP_EINVAL with a message naming the argument or the unknown attribute. */
rp_err rp_detect_suppress_criteria_from_args(const char *const *args, size_t n, struct rp_buf *out,
                                             struct rp_errbuf *eb) RP_WUR;

/* Check a FindingCriteria JSON text; appends its compact form to out when out is not NULL.
 * RP_EINVAL / RP_EPARSE with a message. */
rp_err rp_detect_suppress_criteria_check(const char *criteria, size_t len, struct rp_buf *out,
                                         struct rp_errbuf *eb) RP_WUR;

/* ---- compiled sets (for the run) ---------------------------------------------------------- */

struct rp_det_suppress;

/* An empty set. RP_ENOMEM. */
rp_err rp_det_suppress_new(struct rp_det_suppress **out) RP_WUR;
void rp_det_suppress_free(struct rp_det_suppress *s); /* NULL is a no-op */

/* Add one rule (name and criteria copied) at the end of the set. RP_EINVAL as
 * rp_detect_suppress_add. */
rp_err rp_det_suppress_add(struct rp_det_suppress *s, const char *name, const char *criteria,
                           size_t len, struct rp_errbuf *eb) RP_WUR;

/* A new set with every stored rule, by rank then name (*out is an empty set when there are
 * none; st may be NULL for that). */
rp_err rp_det_suppress_load(struct rp_store *st, struct rp_det_suppress **out,
                            struct rp_errbuf *eb) RP_WUR;

/* Rules in the set. */
size_t rp_det_suppress_count(const struct rp_det_suppress *s);

/* True when a rule of s matches the finding gd_json[0..len) (one GuardDuty finding object);
 * *rule_name (may be NULL) then names the first such rule, borrowed from s. False for a
 * NULL or empty set and for text that is not a JSON object. */
bool rp_det_suppress_match(struct rp_det_suppress *s, const char *gd_json, size_t len,
                           const char **rule_name);

/* The i-th attribute name a criterion may use (for docs and --help), NULL past the last. */
const char *rp_det_suppress_attr_at(size_t i);

#endif
