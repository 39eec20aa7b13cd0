/* SPDX-License-Identifier: Apache-2.0 */
/* AWS Config conformance packs (private to src/posture and its tests; docs/conformance-packs.md).
 *
 * A conformance pack template is CloudFormation YAML (or JSON): Parameters (Type, Default,
 * AllowedValues), optional Conditions, and Resources of type AWS::Config::ConfigRule (and
 * AWS::Config::RemediationConfiguration, kept by name only). rp_posture_pack_parse reads one
 * and resolves it the way CloudFormation would before AWS Config sees the rules: parameter
 * values are the caller's overrides, else the Defaults; Conditions are evaluated (Fn::Equals,
 * Fn::Not, Fn::And, Fn::Or, Condition); Ref, Fn::If, Fn::Sub, Fn::Join and Fn::Select are
 * applied; Ref AWS::NoValue removes the key (or list element) it stands for. Short-form tags
 * (!Ref, !If ..) are read as their long form (rp_yaml_to_json_cfn). What is left are the rules
 * as AWS Config would create them, with every InputParameters value as text ("90", "true").
 *
 * rp_posture_pack_check then says which rules Rampart can run against a rule set: managed
 * identifiers it has (with parameters that fit), CUSTOM_POLICY rules (Guard), and - never
 * dropped silently - identifiers it does not have and CUSTOM_LAMBDA rules, which cannot run
 * here. */
#ifndef RP_POSTURE_PACK_H
#define RP_POSTURE_PACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/rp_arena.h"
#include "core/rp_err.h"
#include "core/rp_limits.h"
#include "posture/posture_internal.h"

/* A template parameter after resolution. */
struct rp_posture_pack_param {
    const char *name;        /* AccessKeysRotatedParamMaxAccessKeyAge */
    const char *type;        /* Type as written ("String", "Number" ..), or NULL */
    const char *description; /* or NULL */
    const char *dflt;        /* Default as text, or NULL when it has none */
    const char *value;       /* what Ref gives: the override, else dflt; NULL = no value */
    bool overridden;         /* value came from the caller */
};

enum rp_posture_pack_owner {
    RP_PACK_OWNER_AWS = 0,       /* a managed rule: identifier is its SourceIdentifier */
    RP_PACK_OWNER_CUSTOM_LAMBDA, /* identifier is the Lambda function ARN */
    RP_PACK_OWNER_CUSTOM_POLICY, /* a Guard policy: policy_text */
};

/* One AWS::Config::ConfigRule resource, resolved. */
struct rp_posture_pack_rule {
    const char *logical_id;  /* the key under Resources */
    const char *name;        /* ConfigRuleName; the logical id when the template has none */
    const char *description; /* or NULL */
    enum rp_posture_pack_owner owner;
    const char *identifier;                   /* SourceIdentifier; NULL for CUSTOM_POLICY */
    const struct rp_posture_paramval *params; /* InputParameters in template order, text */
    size_t nparams;
    const char *const *resource_types; /* Scope.ComplianceResourceTypes */
    size_t ntypes;
    const char *resource_id;          /* Scope.ComplianceResourceId, or NULL */
    const char *tag_key;              /* Scope.TagKey, or NULL */
    const char *tag_value;            /* Scope.TagValue, or NULL */
    const char *frequency;            /* MaximumExecutionFrequency (One_Hour ..), or NULL */
    const char *const *message_types; /* Source.SourceDetails[].MessageType, in order */
    size_t nmessage_types;
    const char *policy_runtime; /* CUSTOM_POLICY: "guard-2.x.x" */
    const char *policy_text;    /* CUSTOM_POLICY: the Guard rules */
    bool debug_log_delivery;    /* CUSTOM_POLICY: EnableDebugLogDelivery */
    uint32_t line, col;         /* where the resource is in the template (1-based) */
};

/* A parsed pack. Every string and array lives in the pack's arena; free with
 * rp_posture_pack_free. */
struct rp_posture_pack {
    const char *name;                           /* as given to rp_posture_pack_parse */
    const char *description;                    /* the template's Description, or NULL */
    const struct rp_posture_pack_param *params; /* Parameters, in template order */
    size_t nparams;
    const struct rp_posture_pack_rule *rules; /* ConfigRule resources, in template order */
    size_t nrules;
    const char *const *remediations; /* logical ids of RemediationConfiguration resources */
    size_t nremediations;
    /* What the template holds that is not a rule here, one sentence each: "resource 'B'
     * (AWS::S3::Bucket) ignored: not a Config rule", "rule 'R' left out: condition 'C' is
     * false". */
    const char *const *notes;
    size_t nnotes;
    struct rp_arena arena;
};

/* Parse and resolve the template text[0..n). name names the pack (and prefixes every message,
 * usually the file name). overrides[0..noverrides) are parameter values given by the user
 * (name = template parameter name, value = text); they win over Defaults.
 *
 * Returns RP_OK with *out (free with rp_posture_pack_free), or RP_EPARSE with one message in
 * *eb, "NAME:LINE:COL: <problem>" when the problem has a place in the template, else
 * "NAME: <problem>". Problems: bad YAML ("NAME: yaml: line L column C: .."), no Resources or
 * no ConfigRule in them, a Ref to a parameter that has neither a Default nor an override
 * ("parameter 'P' has no Default and no value was given"), a Ref to something that is not a
 * parameter, an undefined or circular condition, an unsupported intrinsic function
 * (Fn::GetAtt, Fn::ImportValue, Fn::FindInMap ..), a property of the wrong shape, an Owner
 * other than AWS/CUSTOM_LAMBDA/CUSTOM_POLICY, a missing SourceIdentifier or PolicyText, a
 * value outside a parameter's AllowedValues, a duplicate ConfigRuleName, and an override
 * naming a parameter the template does not declare. RP_ENOMEM. */
rp_err rp_posture_pack_parse(const char *text, size_t n, const char *name,
                             const struct rp_posture_paramval *overrides, size_t noverrides,
                             struct rp_posture_pack **out, struct rp_errbuf *eb) RP_WUR;
void rp_posture_pack_free(struct rp_posture_pack *pack); /* NULL is a no-op */

/* The rule named name (ConfigRuleName), or NULL. */
const struct rp_posture_pack_rule *rp_posture_pack_rule_find(const struct rp_posture_pack *pack,
                                                             const char *name);

/* "AWS", "CUSTOM_LAMBDA", "CUSTOM_POLICY". */
const char *rp_posture_pack_owner_name(enum rp_posture_pack_owner o);

enum rp_posture_pack_verdict {
    RP_PACK_MANAGED = 0, /* Owner AWS; the rule set has the identifier; parameters fit */
    RP_PACK_GUARD,       /* CUSTOM_POLICY: runs on the Guard engine */
    RP_PACK_UNKNOWN,     /* Owner AWS; the rule set has no such identifier */
    RP_PACK_LAMBDA,      /* CUSTOM_LAMBDA: a Lambda function cannot run here */
    RP_PACK_BAD_PARAMS,  /* known identifier, but InputParameters do not fit the rule */
    RP_PACK_MANUAL,      /* AWS_CONFIG_PROCESS_CHECK: a manual check, never evaluated */
};

/* "managed", "custom-policy", "unknown", "custom-lambda", "bad-parameters", "manual". */
const char *rp_posture_pack_verdict_name(enum rp_posture_pack_verdict v);

struct rp_posture_pack_result {
    enum rp_posture_pack_verdict verdict;
    const struct rp_posture_rule *rule; /* the managed rule (MANAGED, BAD_PARAMS), else NULL;
                                           borrowed from the rule set */
    char detail[RP_MAX_ERRMSG];         /* why, for a person; "" for MANAGED */
};

/* Check every rule of pack against set: res[i] (the caller provides pack->nrules entries)
 * says what becomes of pack->rules[i]. Details:
 *   UNKNOWN     "identifier 'X' is not a managed rule Rampart has"
 *   LAMBDA      "custom Lambda rule 'ARN': Rampart cannot run Lambda functions"
 *   BAD_PARAMS  "'p' is not a parameter of X" | "'p' is 'v', not an int" (double, boolean)
 *               | "required parameter 'p' has no value"
 *   GUARD       "custom policy rule (guard-2.x.x)"
 * Parameter names compare exactly, as AWS Config compares them. Returns RP_OK, RP_EINVAL for
 * NULL arguments. *out_runnable (may be NULL) gets the number of MANAGED + GUARD rules. */
rp_err rp_posture_pack_check(const struct rp_posture_pack *pack,
                             const struct rp_posture_ruleset *set,
                             struct rp_posture_pack_result *res, size_t *out_runnable,
                             struct rp_errbuf *eb) RP_WUR;

#endif
