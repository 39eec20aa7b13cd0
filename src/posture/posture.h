/* SPDX-License-Identifier: Apache-2.0 */
/* AWS Config rules over the inventory in the store (DESIGN.md §7, docs/rules.md): the public
 * face of src/posture for the CLI. A run evaluates every active rule configuration — each
 * managed rule under its AWS name with its default parameters, changed or disabled by
 * `rules enable/disable`, plus custom Guard rules, conformance-pack rules and the rules of
 * enabled Security Hub standards — over every resource recorded in config_resources and every
 * account document built from the estate files, records the current compliance and each
 * change of it (the compliance timeline), and sends NON_COMPLIANT results (and their
 * resolution) to the findings hub as ASFF findings with Compliance.Status. */
#ifndef RP_POSTURE_H
#define RP_POSTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/rp_err.h"
#include "store/store.h"

struct rp_posture_eval_opts {
    int64_t at_ms;           /* evaluation time; 0 = the newest capture time in the store */
    const char *const *only; /* evaluate only these rule configurations (names or
                                identifiers); NULL = all active ones */
    size_t nonly;
    bool no_hub;  /* do not send findings to the hub */
    bool dry_run; /* evaluate and count, store nothing */
};

struct rp_posture_eval_stats {
    int64_t at_ms;
    size_t resources;           /* configuration items evaluated (current state) */
    size_t accounts;            /* account documents (account x region) */
    size_t history_items;       /* superseded configuration items replayed for the timeline */
    size_t history_evaluations; /* their (configuration, item) results */
    size_t configs;             /* active rule configurations */
    size_t evaluations;         /* (configuration, resource) results */
    size_t by_compliance[4];    /* COMPLIANT, NON_COMPLIANT, NOT_APPLICABLE, INSUFFICIENT_DATA */
    size_t changes;             /* timeline rows written */
    size_t findings;            /* rule findings sent to the hub */
    size_t control_findings;    /* Security Hub control findings sent to the hub */
    size_t skipped;             /* configurations that could not run (listed on stderr) */
};

/* Run an evaluation over the store. Problems with single rule configurations (a parameter
 * that does not fit) are reported on err (may be NULL) and counted in skipped; the run goes
 * on. Errors: store errors, RP_ENOMEM, a broken rule file. */
rp_err rp_posture_eval_run(struct rp_store *st, const struct rp_posture_eval_opts *o, FILE *err,
                           struct rp_posture_eval_stats *out, struct rp_errbuf *eb) RP_WUR;

/* Config rule evaluations scored against a simulator's truth.jsonl (posture_score.c). */
struct rp_posture_score {
    size_t expected, found;      /* (truth line, Config rule) pairs, and those NON_COMPLIANT */
    size_t benign, benign_quiet; /* clean look-alike lines naming Config rules, and quiet ones */
};
enum rp_posture_score_what {
    RP_POSTURE_SCORE_FOUND,
    RP_POSTURE_SCORE_MISSED,
    RP_POSTURE_SCORE_QUIET,   /* a look-alike with every named evaluation COMPLIANT */
    RP_POSTURE_SCORE_ALARMED, /* a look-alike with a NON_COMPLIANT evaluation */
};
typedef void (*rp_posture_score_fn)(void *ctx, enum rp_posture_score_what what, const char *line_id,
                                    const char *rule);
rp_err rp_posture_score(struct rp_store *st, const char *truth_path, rp_posture_score_fn fn,
                        void *ctx, struct rp_posture_score *out, struct rp_errbuf *eb) RP_WUR;

#endif
