/* SPDX-License-Identifier: Apache-2.0 */
/* Config rules inside src/posture (private to the folder and its tests): the rule model loaded
 * from data/posture/rules/<service>/<IDENTIFIER>.yaml (format: docs/rules-format.md), the C
 * checks for what Guard cannot express, and the evaluation of one rule over one document.
 *
 * Documents: a configuration item in the shape AWS Config delivers it, normalized by
 * rp_posture_doc_from_ci (posture_doc.c): supplementaryConfiguration values and S3
 * BucketPolicy.policyText that hold JSON text are parsed, IAM policy documents
 * (policyDocument, assumeRolePolicyDocument, policyVersionList[].document,
 * rolePolicyList/userPolicyList/groupPolicyList[].policyDocument) are URL-decoded and parsed.
 * Account-level rules (resource type AWS::::Account) evaluate an account document built from
 * the estate files (docs/rules.md): {resourceType "AWS::::Account", resourceId <account>,
 * awsAccountId, awsRegion, configuration {AccountSummary, PasswordPolicy, CredentialReport,
 * Snapshots}}. */
#ifndef RP_POSTURE_INTERNAL_H
#define RP_POSTURE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/rp_arena.h"
#include "core/rp_err.h"
#include "core/rp_json.h"
#include "posture/posture_guard.h"
#include "posture/posture_value.h"

enum rp_posture_compliance {
    RP_PC_COMPLIANT = 0,
    RP_PC_NON_COMPLIANT,
    RP_PC_NOT_APPLICABLE,
    RP_PC_INSUFFICIENT_DATA,
};
/* "COMPLIANT", "NON_COMPLIANT", "NOT_APPLICABLE", "INSUFFICIENT_DATA" */
const char *rp_posture_compliance_name(enum rp_posture_compliance c);
/* Inverse; false for an unknown name. */
bool rp_posture_compliance_parse(const char *s, enum rp_posture_compliance *out);

enum rp_posture_param_type {
    RP_PP_STRING = 0, /* bound as a string */
    RP_PP_INT,        /* bound as an int ("90" -> 90); a bad number is a configuration error */
    RP_PP_DOUBLE,
    RP_PP_BOOLEAN,   /* "true"/"True"/"TRUE" -> true, "false".. -> false */
    RP_PP_CSV,       /* "a, b,c" -> list of trimmed strings ["a","b","c"] */
    RP_PP_STRINGMAP, /* kept as the string */
};

struct rp_posture_param {
    const char *name; /* as AWS names it: maxAccessKeyAge */
    enum rp_posture_param_type type;
    const char *dflt; /* AWS's default as text, or NULL */
    bool optional;
};

/* A cross-resource lookup: before evaluation the variable %var is bound to the list of
 * documents of resourceType in the same account (and region, unless same_region is false)
 * whose value at key equals the subject's value at match. key == NULL binds every document of
 * that type in scope (account-level rules). require_any: when the scope holds no document of
 * that type at all, the rule's result is INSUFFICIENT_DATA ("no AWS::X::Y recorded"). */
struct rp_posture_lookup {
    const char *var;
    const char *resource_type;
    const char *key;   /* dotted path in the target, or NULL */
    const char *match; /* dotted path in the subject; required with key */
    bool same_region;
    bool require_any;
};

struct rp_posture_check; /* a C check, below */

enum rp_posture_trigger {
    RP_PT_CHANGE = 1,   /* Configuration changes */
    RP_PT_PERIODIC = 2, /* Periodic */
    RP_PT_BOTH = 3,
};

/* One managed (or custom) rule, loaded and compiled. Strings and arrays live in the rule set's
 * arena. */
struct rp_posture_rule {
    const char *identifier;  /* S3_BUCKET_VERSIONING_ENABLED; for custom rules the rule name */
    const char *name;        /* s3-bucket-versioning-enabled */
    const char *description; /* what it checks, one sentence */
    const char *const *resource_types; /* AWS::S3::Bucket ..; AWS::::Account for account rules */
    size_t ntypes;
    enum rp_posture_trigger trigger;
    const struct rp_posture_param *params;
    size_t nparams;
    const char *const *requires; /* dotted paths that must exist, else INSUFFICIENT_DATA */
    size_t nrequires;
    const struct rp_posture_lookup *lookups;
    size_t nlookups;
    struct rp_guard_file *guard;          /* compiled Guard, or NULL for a C check */
    const struct rp_posture_check *check; /* the C check, or NULL */
    const char *path; /* where it came from: "posture/rules/s3/S3_..yaml" or the custom file */
    bool custom;
    /* Index of the Guard rule named "data_available", or -1: when that rule FAILs, the verdict
     * is INSUFFICIENT_DATA with its message (it comes first in the file), not NON_COMPLIANT. */
    int data_rule;
};

/* A resolved parameter value or lookup result, bound as %name during evaluation. */
struct rp_posture_binding {
    const char *name;
    const struct rp_pv *val;
};

/* What a C check and the Guard evaluation are given. */
struct rp_posture_eval_in {
    const struct rp_posture_rule *rule;
    const struct rp_pv *doc;                   /* the normalized document */
    const struct rp_posture_binding *bindings; /* parameters, then lookups */
    size_t nbindings;
    int64_t now_ms;           /* the evaluation time */
    struct rp_arena *scratch; /* reset by the caller between evaluations */
};

struct rp_posture_verdict {
    enum rp_posture_compliance compliance;
    char annotation[RP_GUARD_MSG_MAX]; /* why, for a person; "" when COMPLIANT needs none */
};

/* A C check: sets out->compliance and out->annotation. RP_OK for any verdict; errors only
 * for RP_ENOMEM and the like. */
typedef rp_err (*rp_posture_check_fn)(const struct rp_posture_eval_in *in,
                                      struct rp_posture_verdict *out, struct rp_errbuf *eb);

struct rp_posture_check {
    const char *name; /* referenced from the rule file: `check: s3_bucket_public_read` */
    rp_posture_check_fn fn;
};

/* Registry of C checks (posture_checks.def), NULL-terminated; and lookup by name. */
extern const struct rp_posture_check *const rp_posture_checks[];
const struct rp_posture_check *rp_posture_check_find(const char *name);

/* The value of a binding by name (parameters and lookups), or NULL. */
const struct rp_pv *rp_posture_binding_get(const struct rp_posture_eval_in *in, const char *name);

/* ---- documents --------------------------------------------------------------------------- */

/* A configuration item (delivery shape, API shape, or a config_resources row turned into
 * JSON) into a normalized document in arena a (see the top of this file). jp is a spare
 * parser for JSON held in strings. RP_EINVAL when ci is not an object or has no resourceType. */
rp_err rp_posture_doc_from_ci(struct rp_arena *a, struct rp_json_parser *jp, struct rp_json_val ci,
                              struct rp_pv **out, struct rp_errbuf *eb) RP_WUR;
/* The same over an already-converted value tree (normalizes in place). */
rp_err rp_posture_doc_normalize(struct rp_arena *a, struct rp_json_parser *jp, struct rp_pv *doc,
                                struct rp_errbuf *eb) RP_WUR;

/* ---- rule sets --------------------------------------------------------------------------- */

struct rp_posture_ruleset; /* the managed rules plus any custom ones; immutable once built */

/* Load every data/posture/rules/ ** .yaml file (embedded, or the --data-dir overlay) and
 * compile it. A bad rule file is an error naming the file (and line:column for Guard). */
rp_err rp_posture_ruleset_load_managed(struct rp_posture_ruleset **out,
                                       struct rp_errbuf *eb) RP_WUR;
/* Parse and compile one rule file's text (the YAML format) into set. path is for messages. */
rp_err rp_posture_ruleset_add_yaml(struct rp_posture_ruleset *set, const char *path,
                                   const char *text, size_t n, struct rp_errbuf *eb) RP_WUR;
/* A custom Guard rule: name, the Guard text, the resource types it is scoped to, and
 * parameter names it declares (bound as strings). */
rp_err rp_posture_ruleset_add_guard(struct rp_posture_ruleset *set, const char *name,
                                    const char *guard, size_t n, const char *const *types,
                                    size_t ntypes, const char *const *params, size_t nparams,
                                    struct rp_errbuf *eb) RP_WUR;
struct rp_posture_ruleset *rp_posture_ruleset_new(void);
void rp_posture_ruleset_free(struct rp_posture_ruleset *set);
size_t rp_posture_ruleset_count(const struct rp_posture_ruleset *set);
const struct rp_posture_rule *rp_posture_ruleset_at(const struct rp_posture_ruleset *set, size_t i);
/* By identifier (managed) or name (either); NULL when absent. */
const struct rp_posture_rule *rp_posture_ruleset_find(const struct rp_posture_ruleset *set,
                                                      const char *id_or_name);

/* ---- evaluating one rule over one document ---------------------------------------------- */

/* Parameter values given by a rule configuration (a conformance pack's InputParameters, the
 * user's --param), as text, by AWS parameter name. */
struct rp_posture_paramval {
    const char *name;
    const char *value;
};

/* Lookup targets: an index of documents by (resource type, account, region). */
struct rp_posture_index;
struct rp_posture_index *rp_posture_index_new(void);
void rp_posture_index_free(struct rp_posture_index *ix);
/* Add a normalized document (borrowed: it must outlive the index). */
rp_err rp_posture_index_add(struct rp_posture_index *ix, const struct rp_pv *doc) RP_WUR;

/* Evaluate rule over doc: NOT_APPLICABLE when the document's resourceType is not one of the
 * rule's types or the resource is deleted; INSUFFICIENT_DATA when a required path or a
 * required lookup is missing (annotation names it); else the Guard file's or C check's
 * verdict (Guard FAIL -> NON_COMPLIANT with its message, PASS -> COMPLIANT, SKIP ->
 * NOT_APPLICABLE). params fill the rule's parameters over their defaults; a value that does
 * not fit the parameter's type is RP_EINVAL naming the parameter. ix may be NULL when the rule
 * has no lookups. */
rp_err rp_posture_rule_eval(const struct rp_posture_rule *rule, const struct rp_pv *doc,
                            const struct rp_posture_paramval *params, size_t nparams,
                            const struct rp_posture_index *ix, int64_t now_ms,
                            struct rp_arena *scratch, struct rp_posture_verdict *out,
                            struct rp_errbuf *eb) RP_WUR;

#endif
