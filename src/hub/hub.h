/* SPDX-License-Identifier: Apache-2.0 */
/* The findings hub (Security Hub): every finding is an ASFF document kept in the store
 * (migration 0008_findings.sql), whoever produced it: Rampart's own analyses through
 * rp_hub_emit, other tools through rp_hub_import_* (ASFF, GuardDuty, OCSF, Trivy, Prowler).
 *
 * Semantics follow Security Hub's API, so a user's knowledge carries over:
 *   - import = BatchImportFindings: identity is (ProductArn, Id); a newer UpdatedAt replaces the
 *     finding, an equal or older one is ignored; CreatedAt stays from the first import; Note,
 *     VerificationState, UserDefinedFields and Workflow are taken only when a finding is
 *     created and then belong to the customer; Confidence, Criticality, RelatedFindings,
 *     Severity and Types follow FindingProviderFields unless the customer changed them; a
 *     finding going ARCHIVED -> ACTIVE, or Compliance.Status PASSED -> anything else, moves
 *     NOTIFIED/RESOLVED back to NEW (SUPPRESSED stays). Each bad finding is reported alone.
 *   - update = BatchUpdateFindings: Note, Severity, VerificationState, Confidence,
 *     Criticality, Types, UserDefinedFields, Workflow.Status, RelatedFindings.
 *   - every change is recorded as GetFindingHistory shows it.
 *   - query = GetFindings filters (hub_filter.c), sort, pagination; insights = GetInsightResults.
 * Every function takes the store it works on; the store's single-thread rule applies. */
#ifndef RP_HUB_H
#define RP_HUB_H

#include <stdio.h>

#include "core/rp_err.h"
#include "core/rp_json.h"
#include "store/store.h"

/* ---- import (BatchImportFindings) -------------------------------------------------------- */

/* What happened to one finding of an import. */
enum rp_hub_outcome {
    RP_HUB_CREATED,   /* new (ProductArn, Id) */
    RP_HUB_UPDATED,   /* newer UpdatedAt: replaced, customer fields kept */
    RP_HUB_UNCHANGED, /* UpdatedAt equal or older than the stored one: ignored, as AWS does */
    RP_HUB_FAILED,    /* malformed: reported through the error callback, nothing stored */
};

struct rp_hub_import_stats {
    size_t created, updated, unchanged, failed;
};

/* Called for every finding that could not be imported: item is its 0-based position in the
 * input (across documents/lines), id its Id when one was readable (else NULL), code an AWS
 * style error code ("InvalidInput", "MissingRequiredField", "ConversionFailed"), msg one line.
 * Strings are borrowed for the call. A non-OK return stops the import with that code. */
typedef rp_err (*rp_hub_import_error_fn)(void *ctx, const char *source, size_t item, const char *id,
                                         const char *code, const char *msg);

struct rp_hub_import_opts {
    const char *format;  /* "asff", "guardduty", "ocsf", "trivy", "prowler"...; NULL = sniff */
    const char *account; /* AwsAccountId for formats that lack one (Trivy), NULL = "000000000000" */
    const char *region;  /* Region for the same, NULL = "us-east-1" */
    const char *identity;            /* history's UpdateSource.Identity; NULL = the ProductArn */
    int64_t now_ms;                  /* clock for converters and history, 0 = real time */
    rp_hub_import_error_fn on_error; /* may be NULL: errors are then only counted */
    void *ctx;
};

void rp_hub_import_opts_init(struct rp_hub_import_opts *o);

/* An importer keeps parsers, buffers and an open write batch across many findings, so a
 * million-finding import costs one transaction per RP_HUB_BATCH findings. */
struct rp_hub_importer;

#define RP_HUB_BATCH 5000

/* NULL-safe _new/_free. _new opens a write batch on st (RP_EINVAL if one is open). */
rp_err rp_hub_importer_new(struct rp_store *st, const struct rp_hub_import_opts *o,
                           struct rp_hub_importer **out, struct rp_errbuf *eb) RP_WUR;
/* Commit what is pending and free; returns the commit's error (the importer is freed anyway). */
rp_err rp_hub_importer_finish(struct rp_hub_importer *im, struct rp_errbuf *eb) RP_WUR;
/* Roll back the pending batch and free. NULL is a no-op. */
void rp_hub_importer_free(struct rp_hub_importer *im);

/* Import one ASFF finding (already parsed). *outcome (may be NULL) says what happened; a
 * malformed finding gives RP_HUB_FAILED, is reported to on_error and returns RP_OK. Errors
 * returned are store failures (RP_EDB, RP_ENOMEM) or on_error's refusal. */
rp_err rp_hub_import_finding(struct rp_hub_importer *im, struct rp_json_val finding,
                             const char *source, size_t item, enum rp_hub_outcome *outcome,
                             struct rp_errbuf *eb) RP_WUR;

/* Import every finding in data[0..len): one JSON document (a BatchImportFindings body
 * {"Findings": [..]}, a GetFindings output, a plain list, one finding, an EventBridge event,
 * or another tool's report) or JSON Lines of such documents; format per opts (sniffed from
 * content when NULL). source names the input in error reports. Malformed items are reported
 * and skipped; RP_EPARSE only when nothing in the input is readable as JSON. */
rp_err rp_hub_import_buf(struct rp_hub_importer *im, const char *data, size_t len,
                         const char *source, struct rp_errbuf *eb) RP_WUR;

/* rp_hub_import_buf over a file (.gz decompressed). RP_ENOENT/RP_EIO for an unreadable file. */
rp_err rp_hub_import_file(struct rp_hub_importer *im, const char *path,
                          struct rp_errbuf *eb) RP_WUR;

/* Counts so far. */
void rp_hub_importer_stats(const struct rp_hub_importer *im, struct rp_hub_import_stats *out);

/* ---- update (BatchUpdateFindings) -------------------------------------------------------- */

/* Apply a BatchUpdateFindings request body (JSON object with FindingIdentifiers [{Id,
 * ProductArn}] and any of Note{Text, UpdatedBy}, Severity{Label | Normalized}, VerificationState,
 * Confidence, Criticality, Types, UserDefinedFields, Workflow{Status}, RelatedFindings).
 * Findings are updated one by one; each one that cannot be (not found, an invalid transition)
 * goes to on_error with code "FindingNotFound" / "InvalidInput" and the others are updated.
 * *processed (may be NULL) counts updated findings. identity is the history's
 * UpdateSource.Identity (NULL = "rampart"). now_ms 0 = real time. RP_EINVAL with a message
 * when the request itself is malformed (nothing is updated). */
rp_err rp_hub_update(struct rp_store *st, struct rp_json_val request, const char *identity,
                     int64_t now_ms, rp_hub_import_error_fn on_error, void *ctx, size_t *processed,
                     struct rp_errbuf *eb) RP_WUR;

/* ---- producers (Rampart's own analyses) -------------------------------------------------- */

/* Deterministic finding Id for Rampart's own producers (DESIGN.md §5): a function of the
 * producer ("detect"), the finding type ("Recon:EC2/Portscan" or a rule id), the resource id
 * and a normalized evidence key (what makes two occurrences the same finding, e.g. the remote
 * IP; "" for none), so re-running an analysis updates its findings instead of duplicating
 * them. Written as "<producer>/<32 hex digits>" into out (RP_HUB_ID_MAX bytes; the producer
 * name is cut at 24 bytes). NULL strings count as "". RP_OK or RP_ENOMEM. */
#define RP_HUB_ID_MAX 64
rp_err rp_hub_finding_id(const char *producer, const char *type, const char *resource,
                         const char *evidence, char out[RP_HUB_ID_MAX]) RP_WUR;

/* Product ARN of a Rampart producer in region/account: "arn:aws:securityhub:<region>:
 * <account>:product/rampart/<producer>". Written into out (size n); RP_ELIMIT when short. */
rp_err rp_hub_product_arn(const char *producer, const char *region, const char *account, char *out,
                          size_t n) RP_WUR;

/* The members every finding of a Rampart producer starts with, written into the object open
 * in w, in this order: SchemaVersion, Id, ProductArn (rp_hub_product_arn of producer),
 * ProductName, CompanyName "Rampart", GeneratorId, AwsAccountId, Region, Types [type],
 * FirstObservedAt, LastObservedAt, CreatedAt, UpdatedAt (all now_ms; the hub keeps the first
 * FirstObservedAt and CreatedAt of a finding seen again), Severity {Label, Normalized
 * (Security Hub's mapping of the label), Original}. The caller goes on with Title and the
 * rest. RP_EINVAL for a severity that is no ASFF label; w's own errors surface at its finish. */
struct rp_hub_head {
    const char *id;           /* rp_hub_finding_id */
    const char *producer;     /* "inspector", "detect" */
    const char *product_name; /* "Inspector", "GuardDuty" */
    const char *generator_id; /* "AWSInspector" */
    const char *type;         /* the one entry of Types */
    const char *account, *region;
    int64_t now_ms;
    const char *severity;          /* INFORMATIONAL, LOW, MEDIUM, HIGH, CRITICAL */
    const char *severity_original; /* Severity.Original, NULL = the label */
};
rp_err rp_hub_head_write(struct rp_json_writer *w, const struct rp_hub_head *h,
                         struct rp_errbuf *eb) RP_WUR;

/* ---- query (GetFindings) ----------------------------------------------------------------- */

/* A compiled filter: GetFindings Filters (AwsSecurityFindingFilters) and command-line
 * conditions, ANDed across attributes (hub_filter.c documents the rules). */
struct rp_hub_filter;

rp_err rp_hub_filter_new(struct rp_hub_filter **out) RP_WUR;
void rp_hub_filter_free(struct rp_hub_filter *f);

/* Add a GetFindings "Filters" object ({"SeverityLabel": [{"Value": "HIGH", "Comparison":
 * "EQUALS"}], ...}). Relative DateRange values are resolved against now_ms (0 = real time).
 * Several _add_* calls build one Filters object, so the rules on combining comparisons of one
 * attribute apply across calls. RP_EINVAL with a message naming the attribute for unknown
 * attributes, wrong shapes and combinations AWS refuses (EQUALS with NOT_EQUALS on one
 * attribute). */
rp_err rp_hub_filter_add_json(struct rp_hub_filter *f, struct rp_json_val filters, int64_t now_ms,
                              struct rp_errbuf *eb) RP_WUR;

/* Add one command-line condition (syntax in docs/findings.md), e.g. "SeverityLabel=HIGH",
 * "ResourceId^=arn:aws:s3:::", "Title~=root", "Confidence>=50", "UpdatedAt>7d",
 * "ResourceTags.env=prod", "Sample=false". RP_EINVAL with a message otherwise. */
rp_err rp_hub_filter_add_arg(struct rp_hub_filter *f, const char *arg, int64_t now_ms,
                             struct rp_errbuf *eb) RP_WUR;

struct rp_hub_sort {
    const char *field; /* a filterable attribute name ("UpdatedAt"), NULL = UpdatedAt */
    bool asc;          /* false = descending (the default, newest first) */
};

/* One finding of a result: its merged ASFF document, borrowed for the call. */
typedef rp_err (*rp_hub_finding_fn)(void *ctx, const char *doc, size_t len);

struct rp_hub_query {
    const struct rp_hub_filter *filter; /* NULL = every finding */
    struct rp_hub_sort sort[4];         /* SortCriteria, field NULL ends the list */
    size_t max_results;                 /* page size, 0 = no limit */
    const char *next_token;             /* from a previous page, NULL = first page */
};

/* Call fn for each finding of the page, in order (fn must not run another findings query on
 * the same store: the statements are shared); *next_token (may be NULL) gets a token for
 * the following page (malloc'd, caller frees) or NULL after the last page. RP_EINVAL for a
 * bad token or sort field. */
rp_err rp_hub_findings_get(struct rp_store *st, const struct rp_hub_query *q, rp_hub_finding_fn fn,
                           void *ctx, char **next_token, struct rp_errbuf *eb) RP_WUR;

/* Number of findings matching filter (NULL = all). */
rp_err rp_hub_findings_count(struct rp_store *st, const struct rp_hub_filter *filter, int64_t *n,
                             struct rp_errbuf *eb) RP_WUR;

/* ---- insights (GetInsightResults) -------------------------------------------------------- */

/* One group of an insight result: the attribute value (borrowed) and its finding count. */
typedef rp_err (*rp_hub_group_fn)(void *ctx, const char *value, int64_t count);

/* Group the findings matching filter by group_by (any string attribute a filter accepts, e.g.
 * "ResourceId", "SeverityLabel", "Type") and call fn per value, largest count first (ties by
 * value), at most max groups (0 = all; Security Hub returns 100). A finding with several
 * values (Types, Resources) counts once in each. RP_EINVAL for an unknown attribute. */
rp_err rp_hub_group(struct rp_store *st, const struct rp_hub_filter *filter, const char *group_by,
                    size_t max, rp_hub_group_fn fn, void *ctx, struct rp_errbuf *eb) RP_WUR;

/* A managed insight (data/hub/insights.json): Security Hub's InsightArn, Name, Filters,
 * GroupByAttribute. */
struct rp_hub_insight {
    const char *arn;      /* "arn:aws:securityhub:::insight/securityhub/default/1" */
    const char *name;     /* "AWS resources with the most findings" */
    const char *group_by; /* "ResourceId" */
    const char *filters;  /* the Filters object as JSON text */
};

/* Load the managed insights into *out (array in arena a, *n entries). */
rp_err rp_hub_insights_load(struct rp_arena *a, struct rp_hub_insight **out, size_t *n,
                            struct rp_errbuf *eb) RP_WUR;

/* ---- history (GetFindingHistory) --------------------------------------------------------- */

/* One history record as GetFindingHistory's Records[] element (JSON text), borrowed. */
typedef rp_err (*rp_hub_history_fn)(void *ctx, const char *record, size_t len);

/* The history of (product_arn, id), oldest first. RP_ENOENT when there is no such finding. */
rp_err rp_hub_history(struct rp_store *st, const char *product_arn, const char *id,
                      rp_hub_history_fn fn, void *ctx, struct rp_errbuf *eb) RP_WUR;

/* ---- exports ----------------------------------------------------------------------------- */

/* Streaming writer of findings in one format: "asff" (a JSON {"Findings": [..]} document),
 * "asff-lines", "ocsf" (OCSF 1.1 Detection/Compliance/Vulnerability Finding per finding, a
 * JSON array), "ocsf-lines", "sarif" (SARIF 2.1.0), "csv". Memory is bounded: output is
 * flushed to out as it goes. */
struct rp_hub_exporter;

rp_err rp_hub_exporter_new(const char *format, FILE *out, struct rp_hub_exporter **x,
                           struct rp_errbuf *eb) RP_WUR;
/* Write one ASFF finding document (doc[0..len), JSON text). */
rp_err rp_hub_exporter_add(struct rp_hub_exporter *x, const char *doc, size_t len,
                           struct rp_errbuf *eb) RP_WUR;
/* Close the document, flush and free x (freed even on error). */
rp_err rp_hub_exporter_finish(struct rp_hub_exporter *x, struct rp_errbuf *eb) RP_WUR;
/* Free without finishing; NULL is a no-op. */
void rp_hub_exporter_free(struct rp_hub_exporter *x);

/* Names of the import and export formats, NULL-terminated, for --help and --list-formats. */
extern const char *const rp_hub_import_format_names[];
extern const char *const rp_hub_export_format_names[];

#endif
