/* SPDX-License-Identifier: Apache-2.0 */
/* Private to the import formats (hub_conv_*.c): what every converter that writes ASFF needs.
 *   - lookups that read both casings of other tools' JSON (GuardDuty's API writes "Resource",
 *     its S3 export and EventBridge events write "resource"): rp_hub_cv_get tries the key as
 *     given, then with its first letter lower-cased;
 *   - Security Hub's severity scale (labels and their Normalized values, aws-facts.md §6.2);
 *   - times in any of the input forms, written back as "2023-09-19T14:55:09.000Z";
 *   - the document frame: rp_hub_cv_begin opens a finding in cv->buf, rp_hub_cv_end closes
 *     it and hands it to the importer, rp_hub_cv_fail reports an item that cannot be
 *     converted (both advance cv->item);
 *   - bounded pieces of a finding: capped strings (Title 256, Description 1024 bytes, cut on
 *     a UTF-8 boundary), Types checked against the ASFF namespaces, ProductFields (at most 50
 *     pairs), Tags, and a table-driven copier for nested objects whose shape ASFF shares with
 *     the source (GuardDuty's Action).
 * Nothing here allocates except through cv->buf; every value read is borrowed from the
 * input's parser. */
#ifndef RP_HUB_CONV_UTIL_H
#define RP_HUB_CONV_UTIL_H

#include "core/rp_json.h"
#include "core/rp_str.h"
#include "hub/hub_conv.h"

#define RP_HUB_SCHEMA_VERSION "2018-10-08"

/* AWS's limits on parts of a finding (BatchImportFindings). */
#define RP_HUB_CV_MAX_ID           512
#define RP_HUB_CV_MAX_TITLE        256
#define RP_HUB_CV_MAX_DESCRIPTION  1024
#define RP_HUB_CV_MAX_RESOURCES    32
#define RP_HUB_CV_MAX_TYPES        50
#define RP_HUB_CV_MAX_PF           50   /* ProductFields pairs */
#define RP_HUB_CV_MAX_PF_KEY       128  /* bytes of a ProductFields key; longer ones are dropped */
#define RP_HUB_CV_MAX_PF_VALUE     2048 /* bytes of a ProductFields value; longer ones are cut */
#define RP_HUB_CV_MAX_TAG_VALUE    256
#define RP_HUB_CV_MAX_REQUIREMENTS 32 /* Compliance.RelatedRequirements */
#define RP_HUB_CV_MAX_REFS         32 /* Vulnerabilities[].ReferenceUrls kept */

/* Error codes passed to cv->error (hub.h). */
#define RP_HUB_CV_INVALID "InvalidInput"     /* an item is not even an object */
#define RP_HUB_CV_FAILED  "ConversionFailed" /* an object lacks what ASFF needs */

/* ---- reading ----------------------------------------------------------------------------- */

/* Member key of obj, trying key then key with its first letter lower-cased. A JSON null counts
 * as absent. False when absent or obj is not an object. */
bool rp_hub_cv_get(struct rp_json_val obj, const char *key, struct rp_json_val *out);

/* Member along a dotted path ("Service.Action.ActionType"), each step as rp_hub_cv_get. */
bool rp_hub_cv_path(struct rp_json_val obj, const char *path, struct rp_json_val *out);

/* A non-empty string at key (rp_hub_cv_get) or path (rp_hub_cv_path). */
bool rp_hub_cv_str(struct rp_json_val obj, const char *key, struct rp_str *out);
bool rp_hub_cv_path_str(struct rp_json_val obj, const char *path, struct rp_str *out);

/* A number: JSON int/uint/double, or a string holding a decimal number ("7.5", "16509"). */
bool rp_hub_cv_num(struct rp_json_val v, double *out);
/* An integer: JSON int, a double with no fraction, or a string of decimal digits. */
bool rp_hub_cv_int(struct rp_json_val v, int64_t *out);
/* A boolean: JSON true/false or the strings "true"/"false" (any case). */
bool rp_hub_cv_bool(struct rp_json_val v, bool *out);

/* A time: an ISO 8601 string (one without a zone is taken as UTC, as Prowler writes them),
 * or an epoch number in milliseconds; with secs_ok, a number below 1e11 is read as seconds
 * (1e11 ms is 1973, 1e11 s is the year 5138, so no real timestamp is ambiguous). Returns
 * RP_HUB_CV_TIME_NONE when v is absent, RP_HUB_CV_TIME_BAD when it is present but unreadable. */
enum rp_hub_cv_time { RP_HUB_CV_TIME_NONE, RP_HUB_CV_TIME_OK, RP_HUB_CV_TIME_BAD };
enum rp_hub_cv_time rp_hub_cv_time_of(struct rp_json_val v, bool secs_ok, int64_t *ms);

/* ---- severity ---------------------------------------------------------------------------- */

enum rp_hub_sev {
    RP_HUB_SEV_INFORMATIONAL,
    RP_HUB_SEV_LOW,
    RP_HUB_SEV_MEDIUM,
    RP_HUB_SEV_HIGH,
    RP_HUB_SEV_CRITICAL,
};

/* "INFORMATIONAL" .. "CRITICAL". */
const char *rp_hub_sev_label(enum rp_hub_sev s);
/* The Normalized value Security Hub gives a label alone: 0, 1, 40, 70, 90. */
int rp_hub_sev_normalized(enum rp_hub_sev s);
/* Parse a severity word, ASCII case-insensitive: informational/info/unknown/none/negligible
 * -> INFORMATIONAL, low, medium/moderate, high/important, critical/fatal. False otherwise. */
bool rp_hub_sev_parse(struct rp_str s, enum rp_hub_sev *out);

/* ---- writing ----------------------------------------------------------------------------- */

/* Reset cv->buf, start w on it, open the finding object and write SchemaVersion. */
/* Write key: [the non-empty strings of array arr, at most max], or nothing when there are
 * none (or arr is not an array). */
void rp_hub_cv_write_strs(struct rp_json_writer *w, const char *key, struct rp_json_val arr,
                          size_t max);

void rp_hub_cv_begin(struct rp_hub_conv *cv, struct rp_json_writer *w);

/* Close the finding opened by rp_hub_cv_begin, hand it to cv->finding and advance cv->item.
 * A finding larger than cv->buf allows is reported instead (ConversionFailed "<fmt>: converted
 * finding is larger than <n> bytes", with id, which may be NULL). Returns the callbacks'
 * code, RP_ENOMEM, or RP_EINTERNAL when the writer was misused (a converter bug). */
rp_err rp_hub_cv_end(struct rp_hub_conv *cv, struct rp_json_writer *w, const char *fmt,
                     const char *id, struct rp_errbuf *eb) RP_WUR;

/* Report the current item to cv->error with code and a formatted one-line message, and
 * advance cv->item. id may be NULL. Returns cv->error's code. */
rp_err rp_hub_cv_fail(struct rp_hub_conv *cv, const char *id, const char *code, const char *fmt,
                      ...) RP_PRINTF(4, 5) RP_WUR;

/* "key": s[0..len) cut to at most max bytes on a UTF-8 character boundary. */
void rp_hub_cv_kv_capped(struct rp_json_writer *w, const char *key, struct rp_str s, size_t max);

/* "key": "<ms as 2023-09-19T14:55:09.000Z>" (ms must be in rp_time's range). */
void rp_hub_cv_kv_time(struct rp_json_writer *w, const char *key, int64_t ms);

/* "Severity": {"Label", "Normalized", "Original" (omitted when original.len is 0)}. */
void rp_hub_cv_kv_severity(struct rp_json_writer *w, enum rp_hub_sev label, int normalized,
                           struct rp_str original);

/* True when t is a Types path under one of the ASFF namespaces ("Software and Configuration
 * Checks", "TTPs", "Effects", "Unusual Behaviors", "Sensitive Data Identifications"), the
 * namespace alone or followed by '/'. */
bool rp_hub_cv_type_ok(struct rp_str t);

/* Write "Types": the strings of arr (an array; other values are ignored) that pass
 * rp_hub_cv_type_ok, at most RP_HUB_CV_MAX_TYPES; when none passes, [fallback]. Returns how
 * many strings of arr were dropped. */
size_t rp_hub_cv_kv_types(struct rp_json_writer *w, struct rp_json_val arr, const char *fallback);

/* "Tags" from an array of {Key, Value} / {key, value} / {name, value} objects, an object of
 * strings, or an array of "key:value" / "key=value" strings (OCSF labels; a bare word is a key
 * with an empty value). Values are cut at RP_HUB_CV_MAX_TAG_VALUE. Nothing is written when no
 * tag is found. */
void rp_hub_cv_kv_tags(struct rp_json_writer *w, struct rp_json_val tags);

/* "RelatedRequirements" from a compliance map {"CIS-1.4": ["1.20", "1.21"], ..} as
 * "CIS-1.4 1.20" (framework, space, requirement) in document order, at most
 * RP_HUB_CV_MAX_REQUIREMENTS; or from an array of strings taken as they are. Nothing is
 * written when the result would be empty. */
void rp_hub_cv_kv_requirements(struct rp_json_writer *w, struct rp_json_val v);

/* ProductFields: a flat map of strings, opened on the first pair, at most RP_HUB_CV_MAX_PF
 * pairs (later ones are dropped), keys longer than RP_HUB_CV_MAX_PF_KEY dropped, values cut at
 * RP_HUB_CV_MAX_PF_VALUE. Pairs must be added while nothing else is written to w. */
struct rp_hub_cv_pf {
    struct rp_json_writer *w;
    size_t n;  /* pairs written */
    bool open; /* "ProductFields": { is written */
};

void rp_hub_cv_pf_init(struct rp_hub_cv_pf *pf, struct rp_json_writer *w);
void rp_hub_cv_pf_add(struct rp_hub_cv_pf *pf, const char *key, size_t keylen, struct rp_str val);
void rp_hub_cv_pf_add_cstr(struct rp_hub_cv_pf *pf, const char *key, const char *val);
/* Add every scalar under v as "<prefix>/<path>": object members by name (with camel set, the
 * first letter of each name lower-cased, as Security Hub writes GuardDuty's fields), array
 * elements by index; numbers as their JSON text, booleans as "true"/"false", nulls skipped.
 * Scalars directly in v come before nested ones, so the cap drops the deepest details first. */
void rp_hub_cv_pf_flatten(struct rp_hub_cv_pf *pf, const char *prefix, struct rp_json_val v,
                          bool camel);
/* Close the map if it was opened. */
void rp_hub_cv_pf_end(struct rp_hub_cv_pf *pf);

/* Table-driven copy of an object whose shape ASFF shares with the source. Each field names
 * the ASFF member (dst), the source member (src, NULL = dst; a dotted path, each step looked
 * up in either casing) and
 * how to convert it; sub describes the members of an object or of array elements. A table
 * ends with a field whose dst is NULL. Values that cannot be converted are left out. */
enum rp_hub_cv_kind {
    RP_HUB_CV_STR,     /* string (a number or a boolean is written as its text) */
    RP_HUB_CV_INT,     /* integer (also from a string of digits) */
    RP_HUB_CV_DBL,     /* number (also from a numeric string) */
    RP_HUB_CV_BOOL,    /* boolean (also from "true"/"false") */
    RP_HUB_CV_TIME,    /* time, normalized as rp_hub_cv_kv_time */
    RP_HUB_CV_OBJ,     /* object with the members in sub */
    RP_HUB_CV_ARR_OBJ, /* array of objects with the members in sub */
    RP_HUB_CV_ARR_STR, /* array of strings */
    RP_HUB_CV_MAP_STR, /* object whose members are all written as strings, names kept */
};

struct rp_hub_cv_field {
    const char *dst;
    const char *src;
    enum rp_hub_cv_kind kind;
    const struct rp_hub_cv_field *sub;
};

/* Whether copying src with fields would write anything. */
bool rp_hub_cv_fields_any(struct rp_json_val src, const struct rp_hub_cv_field *fields);
/* Write the members of fields found in src into the object open in w. */
void rp_hub_cv_fields_copy(struct rp_json_writer *w, struct rp_json_val src,
                           const struct rp_hub_cv_field *fields);
/* "key": { members } when rp_hub_cv_fields_any; returns whether it wrote. */
bool rp_hub_cv_kv_fields(struct rp_json_writer *w, const char *key, struct rp_json_val src,
                         const struct rp_hub_cv_field *fields);

/* ---- probes ------------------------------------------------------------------------------ */

/* The first element of an array (false for an empty array or another value). */
bool rp_hub_cv_first(struct rp_json_val arr, struct rp_json_val *out);

/* True when obj is an object with a member key (exact casing, any value). */
bool rp_hub_cv_has(struct rp_json_val obj, const char *key);

#endif
