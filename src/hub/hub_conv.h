/* SPDX-License-Identifier: Apache-2.0 */
/* Private to src/hub: import formats. Each format is one file (hub_conv_<name>.c) exporting one
 * const struct rp_hub_format, listed once in hub_formats.def (STYLE.md B5). A format reads one
 * parsed top-level document (a whole file, or one line of JSON Lines) and hands every finding
 * in it to the importer as an ASFF document, or reports the items it cannot convert. ASFF
 * itself is a format too (hub_conv_asff.c): it unwraps {"Findings": [..]}, plain lists,
 * EventBridge events and GetFindings output and passes each finding through untouched. */
#ifndef RP_HUB_CONV_H
#define RP_HUB_CONV_H

#include "core/rp_buf.h"
#include "core/rp_json.h"

struct rp_hub_conv;

/* The importer's side of a conversion (filled by hub_import.c). */
struct rp_hub_conv {
    int64_t now_ms;                /* the import's clock (for UpdatedAt when a format has none) */
    const char *account;           /* AwsAccountId when the input has none, never NULL */
    const char *region;            /* Region when the input has none, never NULL */
    struct rp_buf *buf;            /* scratch for converters writing ASFF, reset before use */
    struct rp_json_parser *parser; /* parses buf for rp_hub_conv_emit_buf; not the input's */
    size_t item;                   /* running item number across the whole input; formats
                                      increment it once per finding or failed item */
    struct rp_json_val current;    /* the input item being converted: formats set it when they
                                      start an item, so a refused item is kept whole in the
                                      store's rejects; "no value" when unknown */
    /* One ASFF finding; asff is borrowed for the call (the input's parser or cv->parser). */
    rp_err (*finding)(struct rp_hub_conv *cv, struct rp_json_val asff, struct rp_errbuf *eb);
    /* One item that could not be converted (id may be NULL; code as in hub.h). */
    rp_err (*error)(struct rp_hub_conv *cv, const char *id, const char *code, const char *msg);
    void *ctx;
};

struct rp_hub_format {
    const char *name;    /* "guardduty" */
    const char *summary; /* one line for --list-formats */
    /* How sure the format is that root is one of its documents: 0 (no) .. 100 (certain).
     * Looks at keys only, never fails. */
    int (*probe)(struct rp_json_val root);
    /* Convert every finding in root: for each, either call cv->finding (directly with a
     * value of root for ASFF, or via rp_hub_conv_emit_buf after writing ASFF into cv->buf)
     * or cv->error, and increment cv->item. Returns RP_OK when every item went to one of the
     * two, or the first non-OK code either callback returned; RP_EINVAL with a message when
     * root is not this format's document at all. */
    rp_err (*convert)(struct rp_hub_conv *cv, struct rp_json_val root, struct rp_errbuf *eb);
};

/* Parse cv->buf (an ASFF finding the converter wrote) with cv->parser and pass it to
 * cv->finding. A parse failure is a bug in the converter: RP_EINTERNAL. */
rp_err rp_hub_conv_emit_buf(struct rp_hub_conv *cv, struct rp_errbuf *eb) RP_WUR;

/* The registry, in hub_formats.def order, NULL-terminated; and lookup by name (NULL if none). */
extern const struct rp_hub_format *const rp_hub_formats[];
const struct rp_hub_format *rp_hub_format_find(const char *name);

/* The best format for root by probe score (ties: registry order); NULL when every probe
 * says 0. */
const struct rp_hub_format *rp_hub_format_sniff(struct rp_json_val root);

#endif
