/* SPDX-License-Identifier: Apache-2.0 */
/* Export format "csv" of the findings hub (hub_export.h): one row per finding, RFC 4180
 * (CRLF line ends, a header row even with no findings, a field quoted only when it holds a
 * comma, a double quote, CR or LF; quotes doubled inside). Columns, in order:
 *   Id ProductArn ProductName GeneratorId AwsAccountId Region Types Title SeverityLabel
 *   SeverityNormalized WorkflowStatus RecordState ComplianceStatus ResourceType ResourceId
 *   CreatedAt UpdatedAt FirstObservedAt LastObservedAt
 * Values are the stored ones, not derived: an absent attribute is an empty field (no label is
 * made up from Severity.Normalized), time stamps are copied as written. Lists are joined with
 * '|': Types; ResourceType and ResourceId list every resource in order, the first one first,
 * so the i-th type belongs to the i-th id ('|' inside a value is not escaped; ARNs, resource
 * types and ASFF types never contain it). A number where text is expected is written as JSON.
 * Formula injection: findings carry text an attacker can influence (resource names, titles),
 * and spreadsheets run a cell that starts with = + - @ TAB or CR as a formula, so such a field
 * gets a leading single quote (OWASP's advice), e.g. "=1+1" becomes "'=1+1". That cell is
 * then not byte-equal to the finding; use asff or ocsf where exact values matter. */
#define RP_LOG_MODULE "hub"
#include <string.h>

#include "hub/hub_export.h"

struct csv_priv {
    struct rp_buf cell; /* the field being built, before quoting */
};

static const char csv_header[] =
    "Id,ProductArn,ProductName,GeneratorId,AwsAccountId,Region,Types,Title,SeverityLabel,"
    "SeverityNormalized,WorkflowStatus,RecordState,ComplianceStatus,ResourceType,ResourceId,"
    "CreatedAt,UpdatedAt,FirstObservedAt,LastObservedAt\r\n";

/* Append the text of v to cell: a string's bytes, anything else as compact JSON. */
static rp_err text_of(struct rp_buf *cell, struct rp_json_val v)
{
    struct rp_str s;
    if (rp_json_get_str(v, &s) == RP_OK) return rp_buf_append(cell, s.p, s.len);
    return rp_json_serialize(v, cell);
}

/* Member path a.b (b may be NULL) of obj into cell; absent is nothing. */
static rp_err member(struct rp_buf *cell, struct rp_json_val obj, const char *a, const char *b)
{
    struct rp_json_val v;
    if (rp_json_obj_get(obj, a, &v) != RP_OK) return RP_OK;
    if (b && rp_json_obj_get(v, b, &v) != RP_OK) return RP_OK;
    if (rp_json_type(v) == RP_JSON_NULL) return RP_OK;
    return text_of(cell, v);
}

/* The elements of array member a joined with '|'; with b, member b of each element. */
static rp_err joined(struct rp_buf *cell, struct rp_json_val obj, const char *a, const char *b)
{
    struct rp_json_val arr, el;
    struct rp_json_iter it;
    if (rp_json_obj_get(obj, a, &arr) != RP_OK) return RP_OK;
    if (rp_json_arr_iter(arr, &it) != RP_OK)
        return rp_json_type(arr) == RP_JSON_NULL || b ? RP_OK : text_of(cell, arr);
    bool first = true;
    while (rp_json_arr_next(&it, &el)) {
        if (b && rp_json_obj_get(el, b, &el) != RP_OK) continue;
        if (!first) {
            rp_err e = rp_buf_putc(cell, '|');
            if (e != RP_OK) return e;
        }
        first = false;
        rp_err e = text_of(cell, el);
        if (e != RP_OK) return e;
    }
    return RP_OK;
}

/* Write cell as one CSV field (guarded, quoted when needed), preceded by a comma unless
 * first, and empty the cell. */
static rp_err emit(struct rp_buf *out, struct rp_buf *cell, bool first)
{
    rp_err e = RP_OK;
    if (!first) e = rp_buf_putc(out, ',');
    const char *p = cell->data ? cell->data : "";
    size_t n = cell->len;
    bool quote = false;
    for (size_t i = 0; i < n; i++)
        if (p[i] == ',' || p[i] == '"' || p[i] == '\r' || p[i] == '\n') {
            quote = true;
            break;
        }
    if (e == RP_OK && quote) e = rp_buf_putc(out, '"');
    if (e == RP_OK && n && p[0] && strchr("=+-@\t\r", p[0])) e = rp_buf_putc(out, '\'');
    for (size_t i = 0; e == RP_OK && i < n;) {
        const char *q = quote ? memchr(p + i, '"', n - i) : NULL;
        size_t run = q ? (size_t)(q - (p + i)) + 1 : n - i;
        e = rp_buf_append(out, p + i, run);
        if (e == RP_OK && q) e = rp_buf_putc(out, '"'); /* "" inside a quoted field */
        i += run;
    }
    if (e == RP_OK && quote) e = rp_buf_putc(out, '"');
    rp_buf_reset(cell);
    return e;
}

static rp_err csv_begin(struct rp_hub_export_state *x, struct rp_errbuf *eb)
{
    struct csv_priv *c = x->priv;
    rp_buf_init(&c->cell, RP_HUB_EXPORT_FLUSH * 64);
    rp_err e = rp_buf_append(x->buf, csv_header, sizeof csv_header - 1);
    return e == RP_OK ? RP_OK : rp_fail(eb, e, "export: csv: %s", rp_strerror(e));
}

static rp_err csv_finding(struct rp_hub_export_state *x, struct rp_json_val f, struct rp_errbuf *eb)
{
    struct csv_priv *c = x->priv;
    struct rp_buf *cell = &c->cell;
    static const char *const plain[] = {"Id",          "ProductArn",   "ProductName",
                                        "GeneratorId", "AwsAccountId", "Region"};
    static const char *const times[] = {"CreatedAt", "UpdatedAt", "FirstObservedAt",
                                        "LastObservedAt"};
    rp_err e = RP_OK;
    for (size_t i = 0; e == RP_OK && i < RP_ARRAY_LEN(plain); i++) {
        e = member(cell, f, plain[i], NULL);
        if (e == RP_OK) e = emit(x->buf, cell, i == 0);
    }
    if (e == RP_OK && (e = joined(cell, f, "Types", NULL)) == RP_OK) e = emit(x->buf, cell, false);
    if (e == RP_OK && (e = member(cell, f, "Title", NULL)) == RP_OK) e = emit(x->buf, cell, false);
    if (e == RP_OK && (e = member(cell, f, "Severity", "Label")) == RP_OK)
        e = emit(x->buf, cell, false);
    if (e == RP_OK && (e = member(cell, f, "Severity", "Normalized")) == RP_OK)
        e = emit(x->buf, cell, false);
    if (e == RP_OK && (e = member(cell, f, "Workflow", "Status")) == RP_OK)
        e = emit(x->buf, cell, false);
    if (e == RP_OK && (e = member(cell, f, "RecordState", NULL)) == RP_OK)
        e = emit(x->buf, cell, false);
    if (e == RP_OK && (e = member(cell, f, "Compliance", "Status")) == RP_OK)
        e = emit(x->buf, cell, false);
    if (e == RP_OK && (e = joined(cell, f, "Resources", "Type")) == RP_OK)
        e = emit(x->buf, cell, false);
    if (e == RP_OK && (e = joined(cell, f, "Resources", "Id")) == RP_OK)
        e = emit(x->buf, cell, false);
    for (size_t i = 0; e == RP_OK && i < RP_ARRAY_LEN(times); i++) {
        e = member(cell, f, times[i], NULL);
        if (e == RP_OK) e = emit(x->buf, cell, false);
    }
    if (e == RP_OK) e = rp_buf_append(x->buf, "\r\n", 2);
    rp_buf_reset(cell);
    return e == RP_OK ? RP_OK : rp_fail(eb, e, "export: csv: %s", rp_strerror(e));
}

static void csv_release(struct rp_hub_export_state *x)
{
    struct csv_priv *c = x->priv;
    rp_buf_release(&c->cell);
}

const struct rp_hub_export_fmt rp_hub_export_csv = {
    .name = "csv",
    .summary = "CSV (RFC 4180): one row per finding, main attributes, formulas neutralized",
    .priv_size = sizeof(struct csv_priv),
    .begin = csv_begin,
    .finding = csv_finding,
    .release = csv_release,
};
