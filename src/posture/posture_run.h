/* SPDX-License-Identifier: Apache-2.0 */
/* The pieces of an evaluation run (posture_run.c) that other files of src/posture and the CLI
 * share: active rule configurations, the loaded documents, account documents from the estate
 * tables (posture_estate.c) and the ASFF finding of a result (posture_finding.c). Private to
 * src/posture and src/cmd. */
#ifndef RP_POSTURE_RUN_H
#define RP_POSTURE_RUN_H

#include <stdio.h>

#include "core/rp_arena.h"
#include "core/rp_buf.h"
#include "posture/posture_internal.h"
#include "store/store.h"

/* One active rule configuration. */
struct rp_posture_cfg {
    const char *name; /* ConfigRuleName */
    const struct rp_posture_rule *rule;
    const struct rp_posture_paramval *params; /* InputParameters */
    size_t nparams;
    const char *const *scope_types; /* Scope.ComplianceResourceTypes, or none */
    size_t nscope_types;
    const char *tag_key, *tag_value, *resource_id; /* Scope, or NULL */
    const char *source;                            /* managed, user, pack:<name>, standard */
    bool disabled;
    int64_t id; /* posture_config_names.id during a run */
};

struct rp_posture_cfgs {
    struct rp_posture_cfg *v;
    size_t n, cap;
    size_t skipped; /* stored configurations that name no known rule */
    struct rp_arena arena;
};

/* Every active configuration (see posture_run.c). err (may be NULL) gets a line per stored
 * configuration that cannot run. */
rp_err rp_posture_cfgs_collect(struct rp_store *st, struct rp_posture_ruleset *set,
                               struct rp_posture_cfgs *cs, FILE *err, struct rp_errbuf *eb) RP_WUR;
void rp_posture_cfgs_release(struct rp_posture_cfgs *cs);

/* Custom Guard rules (posture_rule_configs owner CUSTOM_POLICY) into set; a rule that does not
 * compile is reported on err and left out. */
rp_err rp_posture_ruleset_add_stored(struct rp_store *st, struct rp_posture_ruleset *set, FILE *err,
                                     struct rp_errbuf *eb) RP_WUR;

/* The rule configurations of the enabled Security Hub standards, written to
 * posture_rule_configs (source 'standard') so the run evaluates them (posture_standards_run.c). */
rp_err rp_posture_standards_cfgs_add(struct rp_store *st, const struct rp_posture_ruleset *set,
                                     struct rp_errbuf *eb) RP_WUR;

struct rp_posture_standards;
struct rp_posture_std_selection;
struct rp_posture_std_eval;

/* The stored selection (posture_std_selection), or Security Hub's default standards when none
 * is stored. Free with rp_posture_std_selection_free. */
rp_err rp_posture_std_selection_load(struct rp_store *st, const struct rp_posture_standards *s,
                                     struct rp_posture_std_selection **out,
                                     struct rp_errbuf *eb) RP_WUR;
rp_err rp_posture_std_selection_save(struct rp_store *st,
                                     const struct rp_posture_std_selection *sel,
                                     struct rp_errbuf *eb) RP_WUR;
/* The stored evaluations of the standards' configurations recorded at or after since_ms (0:
 * all), strings in a. */
rp_err rp_posture_std_evals_load(struct rp_store *st, struct rp_arena *a, int64_t since_ms,
                                 struct rp_posture_std_eval **out, size_t *n,
                                 struct rp_errbuf *eb) RP_WUR;
/* The control findings of the evaluations the run at now_ms wrote, one call of fn each
 * (rp_posture_std_finding_fn of posture_standards.h); *count gets how many. */
typedef rp_err (*rp_posture_std_hub_fn)(void *ctx, const char *json, size_t len,
                                        struct rp_errbuf *eb);
rp_err rp_posture_std_hub_findings(struct rp_store *st, int64_t now_ms, rp_posture_std_hub_fn fn,
                                   void *ctx, size_t *count, struct rp_errbuf *eb) RP_WUR;

struct rp_posture_docref {
    struct rp_pv *doc;
    int64_t time_ms; /* capture time of the item (or the estate file) */
};

/* The documents of a run: current resources, then account documents. */
struct rp_posture_docs {
    struct rp_posture_docref *v;
    size_t n, cap;
    size_t naccounts;
    struct rp_json_parser *jp;
    struct rp_arena arena;
};

rp_err rp_posture_docs_load(struct rp_store *st, struct rp_posture_docs *d, int64_t at_ms,
                            struct rp_errbuf *eb) RP_WUR;
void rp_posture_docs_release(struct rp_posture_docs *d);
/* Append one document (its tree in d->arena). */
rp_err rp_posture_docs_push(struct rp_posture_docs *d, struct rp_pv *doc, int64_t time_ms) RP_WUR;

/* Attach the newest estate data at or before at_ms: credential-report rows to IAM users, and
 * one AWS::::Account document per account and region (posture_estate.c). */
rp_err rp_posture_estate_attach(struct rp_store *st, struct rp_posture_docs *d, int64_t at_ms,
                                struct rp_errbuf *eb) RP_WUR;

/* An IAM user's document gets its row of the newest credential report at or before at_ms as
 * supplementaryConfiguration.CredentialReport (other documents are left as they are). */
rp_err rp_posture_estate_user(struct rp_store *st, struct rp_arena *a, struct rp_json_parser *jp,
                              struct rp_pv *doc, int64_t at_ms, struct rp_errbuf *eb) RP_WUR;

/* What a finding is about. */
struct rp_posture_result {
    const char *config_name, *identifier, *description;
    const char *type, *id, *arn, *account, *region;
    enum rp_posture_compliance compliance;
    const char *annotation;
    int64_t ordering_ms, now_ms;
};

/* The ASFF finding of a result (Compliance.Status FAILED for NON_COMPLIANT, PASSED for
 * COMPLIANT, NOT_AVAILABLE otherwise, which also archives it), appended to out as JSON. */
rp_err rp_posture_finding_write(struct rp_buf *out, const struct rp_posture_result *r,
                                struct rp_errbuf *eb) RP_WUR;

#endif
