/* SPDX-License-Identifier: Apache-2.0 */
/* IAM policy analysis for the C checks of src/posture (private to the folder): wildcard
 * patterns as IAM writes them, statements of identity and resource policies held as posture
 * value trees (posture_value.h), principals, the conditions that restrict who may call, and
 * the S3 "is this bucket public" analysis shared by the public-read and public-write rules.
 * Also the small helpers every C check uses to read its parameters and write its verdict.
 *
 * Policy shapes accepted (all as rp_pv): a document map {"Version", "Statement"} where
 * Statement is one statement map or a list of them; a list of such maps (the shape older
 * configuration items show after decoding); or the document as JSON text, URL-encoded or not
 * (rp_posture_policy_resolve parses it). In a statement, Action / NotAction / Resource /
 * NotResource are a string or a list of strings; Principal / NotPrincipal is "*" or a map of
 * "AWS" / "Service" / "Federated" / "CanonicalUser" to a string or a list of strings;
 * Condition maps an operator to a map of condition key to a value or a list of values.
 * Anything else is malformed: a malformed element grants and denies nothing (a statement
 * without a valid Effect, or without Action and NotAction, is ignored; a non-string entry of a
 * list is skipped). IAM keys (Statement, Effect, Action, ...) are case-sensitive as IAM has
 * them; condition operators and condition keys are compared case-insensitively.
 *
 * Ownership: every function borrows its arguments; pointers returned point into the value
 * trees given (or, for rp_posture_policy_resolve, into the arena given). Nothing allocates
 * unless it takes an arena. */
#ifndef RP_POSTURE_POLICY_H
#define RP_POSTURE_POLICY_H

#include <stdbool.h>
#include <stddef.h>

#include "core/rp_arena.h"
#include "core/rp_err.h"
#include "posture/posture_internal.h"
#include "posture/posture_value.h"

/* ---- wildcard patterns ------------------------------------------------------------------ */

/* Patterns longer than this are not analysed: the functions below then answer what is safe
 * for a security check (match/intersects: true, covers: false). IAM's own limits (policy
 * size 6,144 characters for managed policies) keep real values far below it. */
#define RP_POSTURE_GLOB_MAX 2048

/* IAM wildcard match: '*' is any run of characters (also empty), '?' exactly one character;
 * everything else literal (ASCII case-insensitive when nocase). Whole-string match. */
bool rp_posture_glob_match(const char *pat, size_t plen, const char *s, size_t slen, bool nocase);

/* True when some string matches both patterns (both may hold '*' and '?'). */
bool rp_posture_glob_intersects(const char *p, size_t plen, const char *q, size_t qlen,
                                bool nocase);

/* True when every string matching inner also matches outer. Sound but not complete: it
 * answers true only when outer matches inner read as text, with a '*' of inner matched only
 * by a '*' of outer and a '?' of inner by a '?' or '*' of outer ("s3:*" covers "s3:Get*";
 * "s3:GetObject" does not; "kms:ReEncrypt?" does not cover "kms:ReEncrypt*"). */
bool rp_posture_glob_covers(const char *outer, size_t olen, const char *inner, size_t ilen,
                            bool nocase);

/* An IAM action pattern ("s3:Get*", "*", "S3:getobject") against an action ("s3:GetObject"):
 * service prefix and action name are case-insensitive. NUL-terminated strings. */
bool rp_posture_action_match(const char *pattern, const char *action);

/* ---- documents -------------------------------------------------------------------------- */

/* The policy document held in v: a map is returned as it is; a list of maps is merged into
 * one document (its statements in order) allocated in a; a string is parsed as JSON (first
 * percent-decoded when it holds a '%' escape, as Config delivers IAM documents). *out is NULL
 * when v is NULL, JSON null, or an empty string. RP_EPARSE (with the parser's reason in *eb)
 * for text that is not a JSON document, RP_ENOMEM. */
rp_err rp_posture_policy_resolve(struct rp_arena *a, const struct rp_pv *v,
                                 const struct rp_pv **out, struct rp_errbuf *eb) RP_WUR;

/* Statements of a policy document: Statement as a map counts as one statement, as a list as
 * its items (a non-map item is returned too, and is malformed). 0 when there is none. */
size_t rp_posture_policy_nstmts(const struct rp_pv *policy);
const struct rp_pv *rp_posture_policy_stmt(const struct rp_pv *policy, size_t i);

/* How annotations name statement i (0-based) of a document: "'<Sid>'" when it has a
 * non-empty Sid, else its 1-based position ("2"). Always NUL-terminated (cut to fit). */
void rp_posture_stmt_label(const struct rp_pv *stmt, size_t i, char *buf, size_t bufsz);

/* ---- statements ------------------------------------------------------------------------- */

enum rp_posture_effect {
    RP_POSTURE_EFFECT_NONE = 0, /* malformed: no Effect "Allow"/"Deny", or no Action/NotAction */
    RP_POSTURE_EFFECT_ALLOW,
    RP_POSTURE_EFFECT_DENY,
};
enum rp_posture_effect rp_posture_stmt_effect(const struct rp_pv *stmt);

/* The statement's action element applies to action (a concrete action, "s3:GetObject"):
 * some Action pattern matches it, or NotAction is given and no NotAction pattern matches.
 * Says nothing about Effect. False for a malformed statement. */
bool rp_posture_stmt_action_matches(const struct rp_pv *stmt, const char *action);

/* The statement's action element applies to at least one action that pattern ("kms:Re*",
 * "kms:Decrypt") stands for: an Action pattern intersects it, or NotAction is given and no
 * NotAction pattern covers it. */
bool rp_posture_stmt_action_may_match(const struct rp_pv *stmt, const char *pattern);

/* The statement's action element applies to every action pattern stands for (sound, see
 * rp_posture_glob_covers): an Action pattern covers it, or NotAction is given and no NotAction
 * pattern intersects it. */
bool rp_posture_stmt_action_covers(const struct rp_pv *stmt, const char *pattern);

/* The same three for the resource element (Resource / NotResource, case-sensitive). A
 * statement with neither Resource nor NotResource applies to every resource (resource-based
 * policies such as role trust policies omit it). */
bool rp_posture_stmt_resource_matches(const struct rp_pv *stmt, const char *resource);
bool rp_posture_stmt_resource_may_match(const struct rp_pv *stmt, const char *pattern);
bool rp_posture_stmt_resource_covers(const struct rp_pv *stmt, const char *pattern);

/* Allow, and the statement applies to action on resource (resource NULL: any resource). */
bool rp_posture_stmt_allows(const struct rp_pv *stmt, const char *action, const char *resource);

/* Administrator access: Allow with an Action pattern that stands for every action ("*",
 * "*:*", "**") and a Resource pattern that stands for every resource ("*"). NotAction and
 * NotResource never qualify: they leave something out. Conditions are not considered. */
bool rp_posture_stmt_is_admin(const struct rp_pv *stmt);

/* Full access to at least one service: Allow with an Action pattern whose action name is all
 * wildcards ("s3:*", "*", "ec2:**"), or with NotAction leaving every action of one of the
 * services of RP_POSTURE_PROBE_SERVICES untouched (Allow + NotAction "iam:*" grants "ec2:*").
 * Resource and conditions are not considered. On true, what (may be NULL) gets the grant for
 * the annotation: the pattern as written ("s3:*") or "<service>:* through NotAction". */
bool rp_posture_stmt_full_access(const struct rp_pv *stmt, char *what, size_t whatsz);

/* The resource element stands for every KMS key (of some account and Region at least):
 * Resource "*", "arn:aws:kms:*", "arn:aws:kms:*:111122223333:key/" followed by '*', and the
 * like (an ARN pattern whose key part is a wildcard); NotResource unless a NotResource pattern
 * itself stands for every key; no Resource and no NotResource. "arn:aws:kms:..:key/<id>" and alias
 * ARNs do not. Conditions are not considered (as Security Hub's KMS.1 / KMS.2 do not). */
bool rp_posture_stmt_all_kms_keys(const struct rp_pv *stmt);

/* Service prefixes tried when deciding whether Allow + NotAction grants all of a service
 * (a NotAction list cannot name every service, so one of these is always left whole unless
 * a NotAction pattern has a wildcard service prefix). NULL-terminated. */
extern const char *const rp_posture_probe_services[];

/* ---- principals ------------------------------------------------------------------------- */

enum rp_posture_principal_kind {
    RP_POSTURE_PRIN_ALL = 0,   /* "Principal": "*" */
    RP_POSTURE_PRIN_AWS,       /* account id, account/user/role ARN, or "*" */
    RP_POSTURE_PRIN_SERVICE,   /* "lambda.amazonaws.com" */
    RP_POSTURE_PRIN_FEDERATED, /* "cognito-identity.amazonaws.com", SAML provider ARN */
    RP_POSTURE_PRIN_CANONICAL, /* S3 canonical user id (CloudFront OAI) */
    RP_POSTURE_PRIN_OTHER,     /* any other key of the Principal map */
};

struct rp_posture_principal {
    enum rp_posture_principal_kind kind;
    const char *value; /* NUL-terminated, in the statement's tree ("*" for RP_POSTURE_PRIN_ALL) */
    size_t len;
};

/* The principals of stmt's Principal (or NotPrincipal: *negated = true), up to max of them
 * into out; returns how many there are in all (may exceed max). 0 when the statement has
 * neither, or the element is malformed. negated may be NULL. */
size_t rp_posture_stmt_principals(const struct rp_pv *stmt, struct rp_posture_principal *out,
                                  size_t max, bool *negated);

/* Everyone: Principal "*", an AWS principal holding a wildcard ("*", "arn:aws:iam::*:root"),
 * or NotPrincipal (everyone but the listed ones). */
bool rp_posture_stmt_principal_everyone(const struct rp_pv *stmt);

/* The 12-digit account of an AWS principal: "123456789012", or the account field of an
 * "arn:<partition>:iam::<account>:..." or "arn:<partition>:sts::<account>:..." ARN. acct
 * receives 12 digits and a NUL. False for anything else (unique ids such as "AIDA..."). */
bool rp_posture_principal_account(const char *p, size_t n, char acct[13]);

/* ---- conditions ------------------------------------------------------------------------- */

struct rp_posture_cond_iter {
    const struct rp_pv *cond; /* the Condition map, or NULL */
    uint32_t oi, ki;
};
/* Iterate over (operator, key, value) triples of stmt's Condition. value is a string, bool,
 * number or a list of them. */
void rp_posture_cond_iter_init(struct rp_posture_cond_iter *it, const struct rp_pv *stmt);
bool rp_posture_cond_next(struct rp_posture_cond_iter *it, const char **op, const char **key,
                          const struct rp_pv **value);

/* Condition keys that tie a request to known callers: a positive condition on one of them
 * with fixed values makes a statement non-public. The list follows what S3 Block Public
 * Access and IAM Access Analyzer treat as restricting (the caller's network, the calling
 * account, organization or principal, or the resource on whose behalf a service calls):
 *   aws:SourceIp (CIDRs no wider than /8 for IPv4, /32 for IPv6, or within RFC 1918),
 *   aws:SourceVpc, aws:SourceVpce, aws:VpcSourceIp, aws:SourceAccount, aws:SourceArn,
 *   aws:SourceOwner, aws:SourceOrgID, aws:SourceOrgPaths, aws:PrincipalOrgID,
 *   aws:PrincipalOrgPaths, aws:PrincipalAccount, aws:PrincipalArn, aws:PrincipalServiceName,
 *   aws:userid, aws:username, kms:CallerAccount, s3:DataAccessPointAccount,
 *   s3:DataAccessPointArn, lambda:EventSourceToken.
 * NULL-terminated; compared case-insensitively. */
extern const char *const rp_posture_restricting_keys[];
bool rp_posture_condition_key_restricts(const char *key);

/* One condition restricts the caller: its key is restricting, its operator is a positive
 * match (StringEquals, StringEqualsIgnoreCase, StringLike, ArnEquals, ArnLike, IpAddress,
 * optionally under ForAnyValue:) without IfExists, and every value is fixed (no '*', '?' or
 * policy variable "${"), and for aws:SourceIp narrow enough (above). Negative operators,
 * IfExists, ForAllValues:, Null, Bool, numeric and date operators never restrict. */
bool rp_posture_condition_restricts(const char *op, const char *key, const struct rp_pv *value);

/* The negation that restricts when used in a Deny: StringNotEquals, StringNotEqualsIgnoreCase,
 * StringNotLike, ArnNotEquals, ArnNotLike or NotIpAddress (IfExists allowed) on a restricting
 * key with fixed values: "deny everyone outside vpce-1" leaves only vpce-1. */
bool rp_posture_condition_restricts_negated(const char *op, const char *key,
                                            const struct rp_pv *value);

/* Some condition of stmt restricts the caller (conditions are ANDed, so one is enough). */
bool rp_posture_stmt_condition_restricts(const struct rp_pv *stmt);

/* Public: Allow, the principal is everyone, and no condition restricts the caller. */
bool rp_posture_stmt_is_public(const struct rp_pv *stmt);

/* ---- S3 buckets ------------------------------------------------------------------------- */

enum rp_posture_s3_access { RP_POSTURE_S3_READ, RP_POSTURE_S3_WRITE };

/* The verdict of S3_BUCKET_PUBLIC_READ_PROHIBITED / S3_BUCKET_PUBLIC_WRITE_PROHIBITED over
 * in->doc (an AWS::S3::Bucket document). Public through the ACL: a grant to the AllUsers or
 * AuthenticatedUsers group of READ or FULL_CONTROL (read), WRITE, WRITE_ACP or FULL_CONTROL
 * (write), unless IgnorePublicAcls is on for the bucket or the account. Public through the
 * bucket policy: a public Allow statement (rp_posture_stmt_is_public) that applies to one of
 * the probe actions below on the bucket or its objects, not cancelled by a Deny for everyone
 * whose conditions are absent or all restricting negations, unless RestrictPublicBuckets is
 * on for the bucket or the account. The account settings come from the lookup binding
 * "accountBlock" (documents of AWS::S3::AccountPublicAccessBlock). NON_COMPLIANT names the
 * grant or the statement and action; INSUFFICIENT_DATA when the ACL or the policy text does
 * not parse. */
rp_err rp_posture_s3_public_eval(const struct rp_posture_eval_in *in,
                                 enum rp_posture_s3_access what, struct rp_posture_verdict *out,
                                 struct rp_errbuf *eb) RP_WUR;

struct rp_posture_s3_probe {
    const char *action;
    bool object; /* on objects (arn:...:bucket/key) rather than the bucket */
};
/* The probe actions: read = GetObject, GetObjectVersion, GetObjectAcl, ListBucket,
 * ListBucketVersions, ListBucketMultipartUploads; write = PutObject, PutObjectAcl,
 * DeleteObject, DeleteObjectVersion, RestoreObject, AbortMultipartUpload, PutBucketPolicy,
 * DeleteBucketPolicy, PutBucketAcl, DeleteBucket, PutLifecycleConfiguration. Each list ends
 * with {NULL, false}. */
extern const struct rp_posture_s3_probe rp_posture_s3_read_probes[];
extern const struct rp_posture_s3_probe rp_posture_s3_write_probes[];

/* The bucket's ARN from the document ("ARN", else "arn:aws:s3:::" + configuration.name /
 * resourceName / resourceId) into buf; false when the document names no bucket. */
bool rp_posture_s3_bucket_arn(const struct rp_pv *doc, char *buf, size_t bufsz);

/* The bucket policy of an S3 document (supplementaryConfiguration.BucketPolicy.policyText,
 * resolved as rp_posture_policy_resolve does; *out NULL when the bucket has none). */
rp_err rp_posture_s3_bucket_policy(struct rp_arena *a, const struct rp_pv *doc,
                                   const struct rp_pv **out, struct rp_errbuf *eb) RP_WUR;

/* ---- IAM documents ---------------------------------------------------------------------- */

/* For AWS::IAM::Policy checks: the default version's document of a customer managed policy
 * into *policy. When the check does not apply, *policy is NULL and out is set: NOT_APPLICABLE
 * for an AWS managed policy ("arn:aws:iam::aws:policy/...") or, when exclude_boundary, for a
 * policy used as a permissions boundary (configuration.permissionsBoundaryUsageCount > 0);
 * INSUFFICIENT_DATA when no default version document is recorded or it does not parse. */
rp_err rp_posture_iam_managed_policy(const struct rp_posture_eval_in *in, bool exclude_boundary,
                                     const struct rp_pv **policy, struct rp_posture_verdict *out,
                                     struct rp_errbuf *eb) RP_WUR;

/* ---- helpers for C checks (posture_checks.c) -------------------------------------------- */

/* A boolean parameter: true/false as bound, or "true"/"false" text; dflt when unset (no
 * binding, or an empty list). */
bool rp_posture_param_bool(const struct rp_posture_eval_in *in, const char *name, bool dflt);

/* A csv parameter as a list of strings, or NULL when it is unset or empty. A string binding
 * is split here (trimmed, empty items dropped) into in->scratch; NULL also when that runs out
 * of memory (the rule loader binds csv parameters as lists, so this path is a fallback). */
const struct rp_pv *rp_posture_param_list(const struct rp_posture_eval_in *in, const char *name);

/* A string parameter, or NULL when unset or empty. */
const char *rp_posture_param_str(const struct rp_posture_eval_in *in, const char *name);

/* Set the verdict and its annotation (cut to fit). */
void rp_posture_verdict_set(struct rp_posture_verdict *out, enum rp_posture_compliance c,
                            const char *fmt, ...) RP_PRINTF(3, 4);

#endif
