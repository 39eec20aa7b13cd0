/* SPDX-License-Identifier: Apache-2.0 */
/* Sigma rules (docs/sigma.md): custom detections written in the Sigma rule language (Sigma
 * specification 2.1) over CloudTrail and Kubernetes audit events.
 *
 * A set is loaded from rule files and directories, each rule compiled once (values lower-cased,
 * wildcards and regular expressions compiled, field names resolved to the event's columns),
 * then evaluated against every CloudTrail and Kubernetes audit event of a run. A rule that uses
 * something Rampart does not support (another log source, keyword search, an unsupported
 * modifier, a correlation, an aggregation, a field the store does not keep) is skipped with
 * exactly one warning line naming the file, the rule and the feature; the other rules load.
 *
 * Every matching rule raises one finding occurrence whose type is
 *   "Sigma:IAMUser/<rule id>"      for CloudTrail rules (resource: the access key, else the
 *                                  principal ARN),
 *   "Sigma:Kubernetes/<rule id>"   for Kubernetes audit rules (resource: the EKS cluster),
 * with the rule's title when it has no id (spaces and other characters than letters, digits,
 * '.', '-' and '_' written as '_'); severity from the rule's level: informational 1, low 2,
 * medium 5 (also when no level is given), high 8, critical 9. The finding's description is the
 * rule's; Service.AdditionalInfo holds {"sigma": {id, title, level, status, tags, references,
 * author, file}}.
 *
 * Thread-safety: a set keeps its evaluation scratch (the per-event JSON cache, regex scratch),
 * so it is used by one thread at a time. */
#ifndef RP_DETECT_SIGMA_H
#define RP_DETECT_SIGMA_H

#include <stdbool.h>
#include <stddef.h>

#include "core/rp_err.h"
#include "detect/detect.h"

struct rp_det_ctx;
struct rp_det_event;
struct rp_det_finding;
struct rp_det_type;
struct rp_det_sigma_set;

/* A warning line (no trailing newline), e.g.
 *   sigma: rules/x.yml: skipped rule 'Whoami' (929a690e-..): logsource 'product: windows' is not
 *   supported
 *   sigma: rules/bad.yml: yaml error at line 4 column 7: mapping values are not allowed in this
 *   context; skipped
 * NULL callbacks send warnings to the log (RP_LOG_WARN). */
typedef void (*rp_det_sigma_warn_fn)(void *ctx, const char *msg);

/* An empty set. RP_ENOMEM. */
rp_err rp_det_sigma_set_new(struct rp_det_sigma_set **out) RP_WUR;
void rp_det_sigma_set_free(struct rp_det_sigma_set *set); /* NULL is a no-op */

/* Load the rules of path: a file (whatever its name), or a directory walked recursively (in
 * byte order of names, entries whose name starts with '.' skipped, symlinks not followed) for
 * files named *.yml or *.yaml. Each YAML document of a file is one rule ("---" separates
 * documents). Rules the set cannot run, and files or documents that are not valid YAML, are
 * warned about (one line each) and skipped: they are not errors. RP_OK; RP_ENOENT when path does
 * not exist; RP_EIO when it cannot be read; RP_ENOMEM; details in *eb. Rules loaded before an
 * error stay in the set. */
rp_err rp_det_sigma_load_path(struct rp_det_sigma_set *set, const char *path,
                              rp_det_sigma_warn_fn warn, void *ctx, struct rp_errbuf *eb) RP_WUR;

/* Load the rules of yaml[0..len) as if read from a file called name (used in warnings and kept
 * as the rules' file). As rp_det_sigma_load_path: RP_OK or RP_ENOMEM. */
rp_err rp_det_sigma_load_buf(struct rp_det_sigma_set *set, const char *name, const char *yaml,
                             size_t len, rp_det_sigma_warn_fn warn, void *ctx,
                             struct rp_errbuf *eb) RP_WUR;

/* Rules that will run, and rules (or documents) skipped with a warning so far. */
size_t rp_det_sigma_count(const struct rp_det_sigma_set *set);
size_t rp_det_sigma_skipped(const struct rp_det_sigma_set *set);

/* What a loaded rule is. Strings are borrowed from the set (NULL when the rule lacks them). */
struct rp_det_sigma_rule {
    const char *id, *title, *level, *status, *description, *author, *file;
    const char *const *tags;
    size_t ntags;
    const char *const *references;
    size_t nreferences;
    enum rp_det_source source;      /* RP_DET_SRC_CLOUDTRAIL or RP_DET_SRC_K8S */
    const struct rp_det_type *type; /* its finding type, severity, title and description */
};

/* The i-th rule that runs (load order): RP_OK, or RP_ENOENT past the last one. */
rp_err rp_det_sigma_rule_at(const struct rp_det_sigma_set *set, size_t i,
                            struct rp_det_sigma_rule *out) RP_WUR;

/* The finding type descriptor of a rule of the set by its type name, or NULL. */
const struct rp_det_type *rp_det_sigma_type_find(const struct rp_det_sigma_set *set,
                                                 const char *type);

/* Called for each rule matching an event, with the rule's index as rp_det_sigma_rule_at
 * counts. A non-zero return stops the evaluation. */
typedef int (*rp_det_sigma_match_fn)(void *ctx, size_t rule);

/* Evaluate every rule of ev's source on ev (other sources: nothing), in load order. A rule whose
 * condition needs a plain column (eventName, eventSource, verb, ..) to equal one of some values
 * is only tried on events where it does (an index built at load); JSON columns the rules look
 * into are parsed at most once per event (keyed by the event's seq and the column's address
 * and length: events with different contents need different seqs),
 * whatever the number of rules. Nothing is allocated per event. RP_OK, or RP_ENOMEM. */
rp_err rp_det_sigma_eval(struct rp_det_sigma_set *set, const struct rp_det_event *ev,
                         rp_det_sigma_match_fn fn, void *ctx, struct rp_errbuf *eb) RP_WUR;

/* The finding occurrence rule raises for ev (rp_det_finding_init is called on f first). Strings
 * are borrowed from ev and the set, valid until the next call on the set. RP_OK; RP_ENOENT
 * for a bad rule index, a rule of another source, or a CloudTrail event that names no account,
 * region or principal; RP_ENOMEM. */
rp_err rp_det_sigma_finding(struct rp_det_sigma_set *set, size_t rule,
                            const struct rp_det_event *ev, struct rp_det_finding *f,
                            struct rp_errbuf *eb) RP_WUR;

/* What the run calls for every CloudTrail and Kubernetes audit event (after
 * rp_det_event_derive): evaluate the rules and raise one finding per matching rule through
 * rp_det_emit_typed (the rule's type descriptor lives in the set: keep the set until dc's
 * findings are written). An event that names no account, region or principal raises
 * nothing. RP_OK, or the first error of the evaluation or of the emission. */
rp_err rp_det_sigma_event(struct rp_det_ctx *dc, struct rp_det_sigma_set *set,
                          const struct rp_det_event *ev, struct rp_errbuf *eb) RP_WUR;

#endif
