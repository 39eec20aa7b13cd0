/* SPDX-License-Identifier: Apache-2.0 */
/* Security Hub standards, controls, control status and security scores (docs/standards.md),
 * private to src/posture and src/cmd.
 *
 * Data: data/posture/standards/controls.yaml is the security control catalog (id, title,
 * severity, the AWS Config rule and parameter values Security Hub evaluates it with, or why
 * there is none); every other .yaml under data/posture/standards/ is one standard
 * (<standard id>.yaml: ARN, name, member controls with the standard's own control id and its
 * related requirements). Loaded once into an immutable struct rp_posture_standards.
 *
 * Flow, as Security Hub does it with consolidated control findings:
 *   1. a selection says which standards are enabled and which controls are disabled
 *      (struct rp_posture_std_selection; JSON for persistence);
 *   2. rp_posture_std_configs gives the AWS Config rule configurations the enabled controls
 *      need ("securityhub-<rule-name>-<8 hex>", shared when two controls use the same rule
 *      with the same parameters);
 *   3. the caller evaluates them and hands the results back (struct rp_posture_std_eval);
 *   4. rp_posture_std_report_build gives per standard and overall the status of every control
 *      and the security score; rp_posture_std_findings gives the control findings in ASFF,
 *      one per (control, account, region, resource), for rp_hub_import_buf format "asff".
 *
 * Per-resource status: COMPLIANT -> PASSED, NON_COMPLIANT -> FAILED, INSUFFICIENT_DATA ->
 * WARNING, NOT_APPLICABLE -> no active finding (an ARCHIVED one with NOT_AVAILABLE, so a
 * finding of an earlier run is archived). Control status, ignoring suppressed findings:
 * DISABLED when disabled; else FAILED with >= 1 FAILED; else UNKNOWN with >= 1 WARNING or
 * NOT_AVAILABLE; else PASSED with >= 1 PASSED; else NO_DATA. Score = PASSED controls /
 * (PASSED + FAILED + UNKNOWN controls) (NO_DATA and DISABLED controls are left out). */
#ifndef RP_POSTURE_STANDARDS_H
#define RP_POSTURE_STANDARDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/rp_arena.h"
#include "core/rp_buf.h"
#include "core/rp_err.h"
#include "core/rp_json.h"
#include "posture/posture_internal.h"

/* ---- the catalog ------------------------------------------------------------------------- */

/* One security control (the consolidated control id, e.g. IAM.5). Strings live in the
 * catalog and stay valid until rp_posture_standards_free. */
struct rp_posture_control {
    const char *id;          /* "IAM.5", as Security Hub writes it */
    const char *title;       /* "MFA should be enabled for all IAM users that have a console .." */
    const char *description; /* one or two sentences: what passes and what fails */
    const char *severity;    /* CRITICAL, HIGH, MEDIUM or LOW */
    const char *const *resource_types; /* AWS::IAM::User ..; AWS::::Account */
    size_t ntypes;
    const char *rule;      /* AWS Config rule identifier (MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS) or
                              NULL when Security Hub checks it without a managed rule */
    const char *rule_name; /* the managed rule's name, NULL without a rule */
    const struct rp_posture_paramval *params; /* Security Hub's InputParameters, sorted by name;
                                                 a NULL value means "not set" (the rule then
                                                 does not check it, not even its default) */
    size_t nparams;
    const char *config_name;     /* "securityhub-<rule_name>-<8 hex>", NULL without a rule */
    const char *mechanism;       /* "config-rule", or without a rule: "metric-filter",
                                    "securityhub-check", "service-linked-rule" */
    const char *reason;          /* why there is no rule; NULL with one */
    const char *remediation_url; /* https://docs.aws.amazon.com/console/securityhub/IAM.5/.. */
    size_t index;                /* position in the catalog (catalog order) */
};

/* One row of a standard: the standard's own control id mapped to a security control. */
struct rp_posture_std_member {
    const char *control_id; /* "1.2" (CIS), "PCI.IAM.5", "IAM.5" (FSBP) */
    const struct rp_posture_control *control;
    const char *const *requirements; /* "CIS AWS Foundations Benchmark v1.2.0/1.2", ..; none
                                        for FSBP */
    size_t nrequirements;
};

struct rp_posture_standard {
    const char *id;   /* "cis-aws-foundations-benchmark/v/1.2.0" */
    const char *arn;  /* StandardsArn; "{region}" where it holds the region */
    const char *name; /* "CIS AWS Foundations Benchmark v1.2.0" */
    const char *description;
    const char *type; /* the finding type: "Software and Configuration Checks/Industry
                         and Regulatory Standards/CIS AWS Foundations Benchmark" */
    const char *legacy_generator_id; /* per-standard GeneratorId, "{control}" = control_id */
    bool enabled_by_default;         /* enabled when Security Hub is turned on */
    const struct rp_posture_std_member *members; /* file order */
    size_t nmembers;
    const struct rp_posture_control *const *controls; /* distinct security controls, in the
                                                         order of their first member */
    size_t ncontrols;
    size_t index; /* position among the standards (path order) */
};

struct rp_posture_standards; /* immutable once loaded */

/* Load controls.yaml and every standard under "posture/standards/" (built in, or replaced by
 * the --data-dir overlay). RP_EPARSE naming the file for bad YAML or a bad entry: unknown or
 * repeated ids, a standard member naming no catalog control, a malformed rule identifier. */
rp_err rp_posture_standards_load(struct rp_posture_standards **out, struct rp_errbuf *eb) RP_WUR;

/* The same over given texts (tests, tools). srcs[i].path decides the role: one path ending in
 * "controls.yaml" is the catalog, every other one a standard whose id must equal its path
 * without the "posture/standards/" prefix (if present) and ".yaml". Texts are borrowed. */
struct rp_posture_std_src {
    const char *path;
    const char *text;
    size_t len;
};
rp_err rp_posture_standards_parse(const struct rp_posture_std_src *srcs, size_t n,
                                  struct rp_posture_standards **out, struct rp_errbuf *eb) RP_WUR;

/* NULL is a no-op. */
void rp_posture_standards_free(struct rp_posture_standards *s);

size_t rp_posture_standards_count(const struct rp_posture_standards *s);
const struct rp_posture_standard *rp_posture_standards_at(const struct rp_posture_standards *s,
                                                          size_t i);
/* By id ("pci-dss/v/3.2.1") or StandardsArn (any region); NULL when there is none. */
const struct rp_posture_standard *rp_posture_standards_find(const struct rp_posture_standards *s,
                                                            const char *id_or_arn);

size_t rp_posture_controls_count(const struct rp_posture_standards *s);
const struct rp_posture_control *rp_posture_controls_at(const struct rp_posture_standards *s,
                                                        size_t i);
/* By security control id, ASCII case-insensitive ("iam.5", "OpenSearch.1"); NULL if none. */
const struct rp_posture_control *rp_posture_control_find(const struct rp_posture_standards *s,
                                                         const char *id);

/* True when std has control among its members. */
bool rp_posture_standard_has(const struct rp_posture_standard *std,
                             const struct rp_posture_control *control);

/* The standard's StandardsArn for region (ignored by global ARNs) into out[n]. RP_ELIMIT when
 * n is too small. */
rp_err rp_posture_standard_arn(const struct rp_posture_standard *std, const char *region, char *out,
                               size_t n) RP_WUR;

/* ---- the selection: enabled standards, disabled controls -------------------------------- */

struct rp_posture_std_selection;

/* A selection over s (borrowed; it must outlive the selection) with no standard enabled, or
 * with the enabled_by_default ones when defaults is true. NULL on allocation failure. */
struct rp_posture_std_selection *rp_posture_std_selection_new(const struct rp_posture_standards *s,
                                                              bool defaults);
void rp_posture_std_selection_free(struct rp_posture_std_selection *sel);

/* Enable / disable a standard by id or ARN. RP_ENOENT "no standard 'x'". Idempotent. */
rp_err rp_posture_std_selection_enable(struct rp_posture_std_selection *sel, const char *std,
                                       struct rp_errbuf *eb) RP_WUR;
rp_err rp_posture_std_selection_disable(struct rp_posture_std_selection *sel, const char *std,
                                        struct rp_errbuf *eb) RP_WUR;
bool rp_posture_std_selection_enabled(const struct rp_posture_std_selection *sel,
                                      const struct rp_posture_standard *std);

/* Disable a control (reason may be NULL: ""; copied). std NULL: control is a security
 * control id (disabled in every standard, as UpdateSecurityControl does) or a standard control
 * id that exactly one standard has (PCI.IAM.5: that standard only). std given: a security or
 * standard control id of that standard, disabled there only. Disabling again replaces the
 * reason. Errors (RP_ENOENT / RP_EINVAL, one line): "no standard 'x'", "no control 'x'",
 * "control 'x' is not in standard 'y'", "control '1.4' is in several standards (..); name
 * the standard". */
rp_err rp_posture_std_selection_disable_control(struct rp_posture_std_selection *sel,
                                                const char *std, const char *control,
                                                const char *reason, struct rp_errbuf *eb) RP_WUR;
/* Undo: enables what the same arguments would disable (an account-wide disable of the security
 * control included when std is NULL). RP_OK when it was not disabled. */
rp_err rp_posture_std_selection_enable_control(struct rp_posture_std_selection *sel,
                                               const char *std, const char *control,
                                               struct rp_errbuf *eb) RP_WUR;
/* Whether control is disabled in std, and why (*reason, may be NULL, borrowed). */
bool rp_posture_std_selection_control_disabled(const struct rp_posture_std_selection *sel,
                                               const struct rp_posture_standard *std,
                                               const struct rp_posture_control *control,
                                               const char **reason);
/* Enabled in std: std enabled and control a member not disabled there. */
bool rp_posture_std_selection_control_enabled(const struct rp_posture_std_selection *sel,
                                              const struct rp_posture_standard *std,
                                              const struct rp_posture_control *control);

/* The selection as JSON, appended to out:
 *   {"enabled":["<standard id>",..],"disabled":[{"standard":"<id>"|null,"control":"IAM.6",
 *    "reason":".."},..]}
 * (standards in catalog order, disabled controls in catalog order, account-wide first). */
rp_err rp_posture_std_selection_to_json(const struct rp_posture_std_selection *sel,
                                        struct rp_buf *out) RP_WUR;
/* Replace the selection's state with the JSON above (json[0..n)); an absent member is an empty
 * list ("{}" enables nothing). RP_EPARSE / RP_ENOENT / RP_EINVAL for bad JSON or unknown names
 * (the selection is then unchanged). */
rp_err rp_posture_std_selection_from_json(struct rp_posture_std_selection *sel, const char *json,
                                          size_t n, struct rp_errbuf *eb) RP_WUR;

/* ---- rule configurations ----------------------------------------------------------------- */

/* One AWS Config rule configuration that enabled controls need. Pointers borrow from the
 * catalog; the arrays are in the arena given to rp_posture_std_configs. */
struct rp_posture_std_config {
    const char *name;                         /* "securityhub-access-keys-rotated-1a2b3c4d" */
    const char *identifier;                   /* ACCESS_KEYS_ROTATED */
    const char *rule_name;                    /* access-keys-rotated */
    const struct rp_posture_paramval *params; /* value NULL = not set */
    size_t nparams;
    const char *const *resource_types;
    size_t ntypes;
    const struct rp_posture_control *const *controls; /* the controls evaluated by it */
    size_t ncontrols;
};

/* The configurations for every control enabled in at least one enabled standard (by name;
 * controls without a rule need none). *out is an array of *n in a. */
rp_err rp_posture_std_configs(const struct rp_posture_standards *s,
                              const struct rp_posture_std_selection *sel, struct rp_arena *a,
                              struct rp_posture_std_config **out, size_t *n,
                              struct rp_errbuf *eb) RP_WUR;

/* ---- evaluations, control status, score -------------------------------------------------- */

/* One evaluation of a configuration over a resource (strings borrowed for the call). */
struct rp_posture_std_eval {
    const char *config_name;   /* rp_posture_std_config.name */
    const char *resource_type; /* AWS::S3::Bucket; AWS::::Account */
    const char *resource_id;   /* the configuration item's resourceId */
    const char *resource_arn;  /* its ARN, or NULL (then built from the id where possible) */
    const char *account;
    const char *region;
    enum rp_posture_compliance compliance;
    const char *annotation; /* NULL or "" when none */
    bool suppressed;        /* the finding's Workflow.Status is SUPPRESSED (from the hub) */
};

enum rp_posture_ctl_status {
    RP_PCS_PASSED = 0,
    RP_PCS_FAILED,
    RP_PCS_UNKNOWN,
    RP_PCS_NO_DATA,
    RP_PCS_DISABLED,
};
#define RP_PCS_COUNT 5
/* "PASSED", "FAILED", "UNKNOWN", "NO_DATA", "DISABLED" */
const char *rp_posture_ctl_status_name(enum rp_posture_ctl_status st);

/* Which evaluations count: NULL members match everything. */
struct rp_posture_std_scope {
    const char *account;
    const char *region;
};

struct rp_posture_ctl_result {
    const struct rp_posture_control *control;
    const char *control_ids; /* the standard's own ids, ", "-joined ("1.1, 3.3"); the security
                                control id in the overall result */
    enum rp_posture_ctl_status status;
    const char *disabled_reason; /* DISABLED only, else NULL */
    /* active findings (one per resource; the last evaluation of a resource wins) that are not
     * suppressed. Rampart has no active NOT_AVAILABLE finding: NOT_APPLICABLE archives. */
    size_t passed, failed, warning;
    size_t suppressed; /* findings left out because they are suppressed */
};

struct rp_posture_std_result {
    const struct rp_posture_standard *standard; /* NULL for the overall result */
    struct rp_posture_ctl_result *controls;     /* standard's control order; overall: catalog */
    size_t ncontrols;
    size_t by_status[RP_PCS_COUNT];
    size_t score_passed; /* PASSED controls */
    size_t score_total;  /* PASSED + FAILED + UNKNOWN controls */
};

/* Score in percent, rounded to the nearest integer (halves up); -1 when score_total is 0. */
int rp_posture_std_score_pct(const struct rp_posture_std_result *r);

struct rp_posture_std_report {
    struct rp_posture_std_result *standards; /* the enabled standards, in standard order */
    size_t nstandards;
    struct rp_posture_std_result overall; /* every control enabled in >= 1 enabled standard,
                                             counted once; DISABLED when disabled in all */
    size_t evaluations_used; /* evaluations that matched an enabled control and the scope */
    struct rp_arena arena;
};

/* Build the report. evals[0..n) are borrowed for the call (strings the report needs are
 * copied); scope may be NULL. Evaluations of unknown configuration names are ignored. */
rp_err rp_posture_std_report_build(const struct rp_posture_standards *s,
                                   const struct rp_posture_std_selection *sel,
                                   const struct rp_posture_std_eval *evals, size_t n,
                                   const struct rp_posture_std_scope *scope,
                                   struct rp_posture_std_report **out, struct rp_errbuf *eb) RP_WUR;
void rp_posture_std_report_free(struct rp_posture_std_report *r);

/* The report as JSON appended to out (docs/standards.md shows it):
 *   {"Standards":[{"StandardsId", "StandardsArn" (regional ones for region, NULL = us-east-1),
 *     "Name", "Score" (integer percent, null without data), "ControlsPassed", "ControlsFailed",
 *     "ControlsUnknown", "ControlsNoData", "ControlsDisabled", "Controls":[{"SecurityControlId",
 *     "StandardsControlIds", "Title", "SeverityRating", "ControlStatus", "DisabledReason" (when
 *     DISABLED), "Findings":{"Passed", "Failed", "Warning", "Suppressed"}}]}],
 *    "Overall":{the same summary and Controls, without StandardsControlIds}}
 * RP_ELIMIT / RP_ENOMEM from the buffer. */
rp_err rp_posture_std_report_json(const struct rp_posture_std_report *r, const char *region,
                                  struct rp_buf *out) RP_WUR;

/* ---- control findings (ASFF) ------------------------------------------------------------- */

struct rp_posture_std_finding_opts {
    int64_t now_ms;   /* CreatedAt, UpdatedAt, FirstObservedAt, LastObservedAt */
    bool no_archived; /* leave out the ARCHIVED findings of NOT_APPLICABLE evaluations */
    const struct rp_posture_std_scope *scope; /* NULL = everything */
};

/* Called with one finding as compact JSON (borrowed for the call). */
typedef rp_err (*rp_posture_std_finding_fn)(void *ctx, const char *json, size_t len,
                                            struct rp_errbuf *eb);

/* The control findings of evals: one per (enabled control, account, region, resource type,
 * resource id), the last evaluation of a key winning, in catalog order of the control then
 * account, region, type, id. Fields (docs/standards.md): Id
 * "arn:aws:securityhub:<region>:<account>:security-control/<id>/finding/<uuid-like hash>",
 * ProductArn "arn:aws:securityhub:<region>::product/aws/securityhub", GeneratorId
 * "security-control/<id>", Compliance {Status, SecurityControlId, AssociatedStandards,
 * RelatedRequirements, StatusReasons}, Workflow NEW (RESOLVED when PASSED), RecordState.
 * *count (may be NULL) gets the number of findings. A non-OK return of fn stops with it. */
rp_err rp_posture_std_findings(const struct rp_posture_standards *s,
                               const struct rp_posture_std_selection *sel,
                               const struct rp_posture_std_eval *evals, size_t n,
                               const struct rp_posture_std_finding_opts *o,
                               rp_posture_std_finding_fn fn, void *ctx, size_t *count,
                               struct rp_errbuf *eb) RP_WUR;

/* The ASFF resource type of an AWS Config resource type (AWS::S3::Bucket -> AwsS3Bucket,
 * AWS::::Account -> AwsAccount, AWS::RDS::DBInstance -> AwsRdsDbInstance,
 * AWS::ElasticLoadBalancingV2::LoadBalancer -> AwsElbv2LoadBalancer), into out[n]. "Other"
 * for a type that does not have the AWS::<Service>::<Type> shape. */
const char *rp_posture_std_asff_type(const char *config_type, char *out, size_t n);

#endif
