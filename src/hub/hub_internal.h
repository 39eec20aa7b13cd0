/* SPDX-License-Identifier: Apache-2.0 */
/* Private to src/hub: what the import, merge, update and history files share. The stored form
 * of a finding is described in data/schemas/store/0008_findings.sql; hub_merge.c is the only
 * writer of the findings, finding_docs and finding_values tables (hub_update.c goes through
 * it), so the columns always agree with the document. */
#ifndef RP_HUB_INTERNAL_H
#define RP_HUB_INTERNAL_H

#include "core/rp_buf.h"
#include "core/rp_json.h"
#include "hub/hub.h"

/* Bits of findings.customer_fields: top-level attributes BatchUpdateFindings changed, which
 * BatchImportFindings then no longer overwrites (FindingProviderFields still follow the
 * provider). */
enum {
    HUB_CUST_CONFIDENCE = 1u << 0,
    HUB_CUST_CRITICALITY = 1u << 1,
    HUB_CUST_RELATED = 1u << 2,
    HUB_CUST_SEVERITY = 1u << 3,
    HUB_CUST_TYPES = 1u << 4,
};

/* For lookups whose failure leaves the out-parameter empty, which is what the caller wants. */
static inline void hub_ignore(rp_err e)
{
    (void)e;
}

/* Member k of object o, when present and not null. */
static inline bool hub_member(struct rp_json_val o, const char *k, struct rp_json_val *v)
{
    return rp_json_obj_get(o, k, v) == RP_OK && rp_json_type(*v) != RP_JSON_NULL;
}

/* String member k of object o. */
static inline bool hub_str_member(struct rp_json_val o, const char *k, struct rp_str *s)
{
    return rp_json_obj_get_str(o, k, s) == RP_OK;
}

/* AWS's BatchImportFindings limits. */
#define HUB_MAX_FINDING_BYTES (240u << 10)
#define HUB_MAX_ID_BYTES      512
#define HUB_MAX_TITLE         256
#define HUB_MAX_DESCRIPTION   1024
#define HUB_MAX_RESOURCES     32
#define HUB_MAX_TYPES         50

/* The stored state of a finding that merging needs. */
struct hub_stored {
    int64_t rowid;
    int64_t updated_at;
    unsigned customer_fields;
    struct rp_json_val doc; /* parsed stored document */
};

/* Scratch shared by merge and update: parsers and buffers reused for every finding. */
struct hub_work {
    struct rp_json_parser *old_p;    /* stored documents */
    struct rp_json_parser *merged_p; /* merged documents, for columns and history */
    struct rp_buf merged;            /* the merged document being written */
    struct rp_buf hist;              /* history updates array */
    struct rp_buf a, b;              /* serialisations compared by the history diff */
};

rp_err hub_work_init(struct hub_work *w);
void hub_work_release(struct hub_work *w);

/* Label <-> Normalized, as Security Hub maps them (aws-facts.md §6.2). label_from_normalized
 * returns a static string; normalized_from_label returns -1 for an unknown label. */
const char *hub_severity_label(int64_t normalized);
int64_t hub_severity_normalized(struct rp_str label);

/* The findings.ident of (product_arn, id): a 63-bit hash, never negative. */
int64_t hub_ident(struct rp_str product_arn, struct rp_str id);

/* Load the stored state of (product_arn, id) into *out, its document parsed with w->old_p
 * only when the stored UpdatedAt is before parse_before (INT64_MAX: always), so an import
 * that will be ignored parses nothing. RP_ENOENT when absent. */
rp_err hub_stored_get(struct rp_store *st, struct hub_work *w, struct rp_str product_arn,
                      struct rp_str id, int64_t parse_before, struct hub_stored *out,
                      struct rp_errbuf *eb);

/* Validate one incoming ASFF finding as BatchImportFindings does. false with an AWS error code
 * and a one-line message when it is refused. */
bool hub_validate(struct rp_json_val f, const char **code, char *msg, size_t msgsz);

/* Write a finding's document and columns: insert when old is NULL, else replace row
 * old->rowid; record history (source_type, identity, now_ms). doc[0..len) is the final
 * document (compact JSON); customer_fields the bit set to store. */
rp_err hub_store_write(struct rp_store *st, struct hub_work *w, const struct hub_stored *old,
                       const char *doc, size_t len, unsigned customer_fields,
                       const char *source_type, const char *identity, int64_t now_ms,
                       struct rp_errbuf *eb);

/* BatchImportFindings merge of the validated finding f with the stored one (NULL = new) into
 * w->merged (compact JSON; the rules are at the top of hub_merge.c). */
rp_err hub_merge_import(struct hub_work *w, struct rp_json_val f, const struct hub_stored *old,
                        struct rp_errbuf *eb);

#endif
