/* SPDX-License-Identifier: Apache-2.0 */
/* BatchUpdateFindings (the customer's side of a finding) and GetFindingHistory.
 * An update names findings by (Id, ProductArn) and sets any of: Note {Text, UpdatedBy} (the
 * hub stamps UpdatedAt), Severity {Label | Normalized} (the other is derived, the provider's
 * Original is kept), VerificationState, Confidence, Criticality, Types, UserDefinedFields
 * (merged key by key; an empty value deletes the key, as the console does), Workflow {Status}
 * and RelatedFindings. UpdatedAt is not touched: it belongs to the provider. Confidence,
 * Criticality, RelatedFindings, Severity and Types set here are marked as the customer's, so
 * later BatchImportFindings calls leave them alone (hub_merge.c). Workflow may move between
 * any of NEW, NOTIFIED, RESOLVED and SUPPRESSED; the automatic moves are the importer's.
 * A finding that is not there is reported as FindingNotFound and the others are updated. */
#define RP_LOG_MODULE "hub"
#include <stdio.h>
#include <string.h>

#include "core/rp_time.h"
#include "hub/hub_internal.h"

static bool one_of(struct rp_str s, const char *const *vals)
{
    for (; *vals; vals++)
        if (rp_str_eq_cstr(s, *vals)) return true;
    return false;
}

/* Check the request; RP_EINVAL with a message naming the parameter. */
static rp_err check_request(struct rp_json_val rq, struct rp_errbuf *eb)
{
    static const char *const known[] = {"FindingIdentifiers",
                                        "Note",
                                        "Severity",
                                        "VerificationState",
                                        "Confidence",
                                        "Criticality",
                                        "Types",
                                        "UserDefinedFields",
                                        "Workflow",
                                        "RelatedFindings",
                                        NULL};
    static const char *const wf[] = {"NEW", "NOTIFIED", "RESOLVED", "SUPPRESSED", NULL};
    static const char *const vs[] = {"UNKNOWN", "TRUE_POSITIVE", "FALSE_POSITIVE",
                                     "BENIGN_POSITIVE", NULL};
    static const char *const labels[] = {"INFORMATIONAL", "LOW",      "MEDIUM",
                                         "HIGH",          "CRITICAL", NULL};
    struct rp_json_iter it;
    struct rp_str k, s;
    struct rp_json_val v, x;
    size_t changes = 0;
    if (rp_json_obj_iter(rq, &it) != RP_OK)
        return rp_fail(eb, RP_EINVAL, "hub: an update request must be a JSON object");
    while (rp_json_obj_next(&it, &k, &v)) {
        const char *const *kk = known;
        while (*kk && !rp_str_eq_cstr(k, *kk)) kk++;
        if (!*kk)
            return rp_fail(eb, RP_EINVAL, "hub: unknown update parameter '%.*s'", (int)k.len, k.p);
        if (kk != known) changes++;
    }
    if (!hub_member(rq, "FindingIdentifiers", &v) || rp_json_type(v) != RP_JSON_ARRAY ||
        rp_json_len(v) == 0)
        return rp_fail(eb, RP_EINVAL, "hub: 'FindingIdentifiers' must be a non-empty array");
    if (rp_json_arr_iter(v, &it) == RP_OK)
        while (rp_json_arr_next(&it, &x))
            if (rp_json_obj_get_str(x, "Id", &s) != RP_OK ||
                rp_json_obj_get_str(x, "ProductArn", &s) != RP_OK)
                return rp_fail(eb, RP_EINVAL,
                               "hub: each of 'FindingIdentifiers' needs 'Id' and 'ProductArn'");
    if (changes == 0) return rp_fail(eb, RP_EINVAL, "hub: the update request changes nothing");
    if (hub_member(rq, "Note", &v) && (rp_json_obj_get_str(v, "Text", &s) != RP_OK ||
                                       rp_json_obj_get_str(v, "UpdatedBy", &s) != RP_OK))
        return rp_fail(eb, RP_EINVAL, "hub: 'Note' needs 'Text' and 'UpdatedBy'");
    if (hub_member(rq, "Note", &v) && rp_json_obj_get_str(v, "Text", &s) == RP_OK && s.len > 512)
        return rp_fail(eb, RP_EINVAL, "hub: 'Note.Text' is longer than 512 characters");
    if (hub_member(rq, "Severity", &v)) {
        int64_t n = 0;
        bool has_l = rp_json_obj_get_str(v, "Label", &s) == RP_OK;
        if (has_l && !one_of(s, labels))
            return rp_fail(eb, RP_EINVAL,
                           "hub: 'Severity.Label' is not one of INFORMATIONAL, "
                           "LOW, MEDIUM, HIGH, CRITICAL");
        bool has_n = hub_member(v, "Normalized", &x);
        if (has_n && (rp_json_get_i64(x, &n) != RP_OK || n < 0 || n > 100))
            return rp_fail(eb, RP_EINVAL, "hub: 'Severity.Normalized' must be 0 to 100");
        if (!has_l && !has_n)
            return rp_fail(eb, RP_EINVAL, "hub: 'Severity' needs 'Label' or 'Normalized'");
    }
    if (hub_member(rq, "Workflow", &v) &&
        (rp_json_obj_get_str(v, "Status", &s) != RP_OK || !one_of(s, wf)))
        return rp_fail(eb, RP_EINVAL,
                       "hub: 'Workflow.Status' must be one of NEW, NOTIFIED, "
                       "RESOLVED, SUPPRESSED");
    if (hub_member(rq, "VerificationState", &v) &&
        (rp_json_get_str(v, &s) != RP_OK || !one_of(s, vs)))
        return rp_fail(eb, RP_EINVAL,
                       "hub: 'VerificationState' must be one of UNKNOWN, "
                       "TRUE_POSITIVE, FALSE_POSITIVE, BENIGN_POSITIVE");
    static const char *const pct[] = {"Confidence", "Criticality"};
    for (int i = 0; i < 2; i++) {
        int64_t n = 0;
        if (hub_member(rq, pct[i], &v) && (rp_json_get_i64(v, &n) != RP_OK || n < 0 || n > 100))
            return rp_fail(eb, RP_EINVAL, "hub: '%s' must be an integer from 0 to 100", pct[i]);
    }
    if (hub_member(rq, "Types", &v)) {
        if (rp_json_type(v) != RP_JSON_ARRAY || rp_json_len(v) == 0 || rp_json_len(v) > 50)
            return rp_fail(eb, RP_EINVAL, "hub: 'Types' must be an array of 1 to 50 strings");
        if (rp_json_arr_iter(v, &it) == RP_OK)
            while (rp_json_arr_next(&it, &x))
                if (rp_json_type(x) != RP_JSON_STRING)
                    return rp_fail(eb, RP_EINVAL,
                                   "hub: 'Types' must be an array of 1 to 50 "
                                   "strings");
    }
    if (hub_member(rq, "UserDefinedFields", &v)) {
        if (rp_json_obj_iter(v, &it) != RP_OK)
            return rp_fail(eb, RP_EINVAL, "hub: 'UserDefinedFields' must be an object of strings");
        while (rp_json_obj_next(&it, &k, &x))
            if (rp_json_type(x) != RP_JSON_STRING)
                return rp_fail(eb, RP_EINVAL, "hub: 'UserDefinedFields.%.*s' must be a string",
                               (int)k.len, k.p);
    }
    if (hub_member(rq, "RelatedFindings", &v)) {
        if (rp_json_arr_iter(v, &it) != RP_OK)
            return rp_fail(eb, RP_EINVAL, "hub: 'RelatedFindings' must be an array");
        while (rp_json_arr_next(&it, &x))
            if (rp_json_obj_get_str(x, "Id", &s) != RP_OK ||
                rp_json_obj_get_str(x, "ProductArn", &s) != RP_OK)
                return rp_fail(eb, RP_EINVAL,
                               "hub: each of 'RelatedFindings' needs 'Id' and 'ProductArn'");
    }
    return RP_OK;
}

/* Write the value of attribute k after the update (old value ov, if any). */
static void write_updated(struct rp_json_writer *jw, const char *k, struct rp_json_val rq_v,
                          struct rp_json_val ov, bool has_old, const char *now_iso)
{
    rp_json_write_key(jw, k, strlen(k));
    if (strcmp(k, "Note") == 0) {
        struct rp_str s;
        rp_json_write_obj_begin(jw);
        if (rp_json_obj_get_str(rq_v, "Text", &s) == RP_OK)
            rp_json_write_kv_str(jw, "Text", s.p, s.len);
        if (rp_json_obj_get_str(rq_v, "UpdatedBy", &s) == RP_OK)
            rp_json_write_kv_str(jw, "UpdatedBy", s.p, s.len);
        rp_json_write_kv_cstr(jw, "UpdatedAt", now_iso);
        rp_json_write_obj_end(jw);
    } else if (strcmp(k, "Severity") == 0) {
        struct rp_str l, orig;
        int64_t n = -1;
        bool has_l = rp_json_obj_get_str(rq_v, "Label", &l) == RP_OK;
        bool has_n = rp_json_obj_get_i64(rq_v, "Normalized", &n) == RP_OK;
        rp_json_write_obj_begin(jw);
        rp_json_write_kv_cstr(jw, "Label",
                              has_l ? hub_severity_label(hub_severity_normalized(l))
                                    : hub_severity_label(n));
        rp_json_write_kv_int(jw, "Normalized", has_n ? n : hub_severity_normalized(l));
        if (has_old && rp_json_obj_get_str(ov, "Original", &orig) == RP_OK)
            rp_json_write_kv_str(jw, "Original", orig.p, orig.len);
        rp_json_write_obj_end(jw);
    } else if (strcmp(k, "UserDefinedFields") == 0) {
        struct rp_json_iter it;
        struct rp_str mk;
        struct rp_json_val mv, nv;
        rp_json_write_obj_begin(jw);
        if (has_old && rp_json_obj_iter(ov, &it) == RP_OK)
            while (rp_json_obj_next(&it, &mk, &mv)) {
                if (rp_json_obj_getn(rq_v, mk.p, mk.len, &nv) == RP_OK)
                    continue; /* replaced (or deleted) below */
                rp_json_write_key(jw, mk.p, mk.len);
                rp_json_write_val(jw, mv);
            }
        if (rp_json_obj_iter(rq_v, &it) == RP_OK)
            while (rp_json_obj_next(&it, &mk, &nv)) {
                struct rp_str sv;
                if (rp_json_get_str(nv, &sv) == RP_OK && sv.len == 0) continue;
                rp_json_write_key(jw, mk.p, mk.len);
                rp_json_write_val(jw, nv);
            }
        rp_json_write_obj_end(jw);
    } else {
        rp_json_write_val(jw, rq_v);
    }
}

static const struct {
    const char *name;
    unsigned bit;
} updatable[] = {
    {"Note", 0},
    {"Severity", HUB_CUST_SEVERITY},
    {"VerificationState", 0},
    {"Confidence", HUB_CUST_CONFIDENCE},
    {"Criticality", HUB_CUST_CRITICALITY},
    {"Types", HUB_CUST_TYPES},
    {"UserDefinedFields", 0},
    {"Workflow", 0},
    {"RelatedFindings", HUB_CUST_RELATED},
};
#define NUPD (sizeof updatable / sizeof updatable[0])

static rp_err update_one(struct rp_store *st, struct hub_work *w, struct rp_json_val rq,
                         const struct hub_stored *old, const char *identity, int64_t now_ms,
                         struct rp_errbuf *eb)
{
    char now_iso[RP_TIME_ISO_BUFSZ];
    struct rp_json_writer jw;
    struct rp_json_iter it;
    struct rp_str k;
    struct rp_json_val v, rv;
    bool done[NUPD] = {false};
    unsigned cust = old->customer_fields;
    rp_err e = rp_time_format_iso(now_ms, now_iso, sizeof now_iso);
    if (e) return rp_fail(eb, e, "hub: cannot format the time");
    rp_buf_reset(&w->merged);
    rp_json_writer_init(&jw, &w->merged);
    rp_json_write_obj_begin(&jw);
    if (rp_json_obj_iter(old->doc, &it) == RP_OK)
        while (rp_json_obj_next(&it, &k, &v)) {
            size_t u = NUPD;
            for (size_t i = 0; i < NUPD; i++)
                if (rp_str_eq_cstr(k, updatable[i].name)) u = i;
            if (u < NUPD && hub_member(rq, updatable[u].name, &rv)) {
                if (!done[u]) write_updated(&jw, updatable[u].name, rv, v, true, now_iso);
                done[u] = true;
                continue;
            }
            rp_json_write_key(&jw, k.p, k.len);
            rp_json_write_val(&jw, v);
        }
    for (size_t i = 0; i < NUPD; i++) {
        if (!hub_member(rq, updatable[i].name, &rv)) continue;
        cust |= updatable[i].bit;
        if (!done[i])
            write_updated(&jw, updatable[i].name, rv, (struct rp_json_val){0}, false, now_iso);
    }
    rp_json_write_obj_end(&jw);
    if ((e = rp_json_writer_finish(&jw)))
        return rp_fail(eb, e, "hub: cannot write the updated finding: %s", rp_strerror(e));
    return hub_store_write(st, w, old, w->merged.data, w->merged.len, cust, "BATCH_UPDATE_FINDINGS",
                           identity ? identity : "rampart", now_ms, eb);
}

rp_err rp_hub_update(struct rp_store *st, struct rp_json_val request, const char *identity,
                     int64_t now_ms, rp_hub_import_error_fn on_error, void *ctx, size_t *processed,
                     struct rp_errbuf *eb)
{
    struct hub_work w;
    struct rp_json_val ids, x;
    struct rp_json_iter it;
    size_t n = 0, item = 0;
    if (processed) *processed = 0;
    rp_err e = check_request(request, eb);
    if (e) return e;
    if (!now_ms) now_ms = rp_time_now_ms();
    if ((e = hub_work_init(&w))) return rp_fail(eb, e, "hub: out of memory");
    if ((e = rp_store_batch_begin(st, 0, NULL, NULL, eb))) {
        hub_work_release(&w);
        return e;
    }
    hub_ignore(rp_json_obj_get(request, "FindingIdentifiers", &ids));
    if (rp_json_arr_iter(ids, &it) == RP_OK)
        for (; !e && rp_json_arr_next(&it, &x); item++) {
            struct rp_str id = {0}, arn = {0};
            struct hub_stored old;
            hub_ignore(rp_json_obj_get_str(x, "Id", &id));
            hub_ignore(rp_json_obj_get_str(x, "ProductArn", &arn));
            e = hub_stored_get(st, &w, arn, id, INT64_MAX, &old, eb);
            if (e == RP_ENOENT) {
                char idbuf[HUB_MAX_ID_BYTES + 1], msg[RP_MAX_ERRMSG];
                snprintf(idbuf, sizeof idbuf, "%.*s", (int)id.len, id.p);
                if (arn.len)
                    snprintf(msg, sizeof msg, "no finding '%.*s' of product '%.*s'",
                             (int)(id.len > 96 ? 96 : id.len), id.p,
                             (int)(arn.len > 120 ? 120 : arn.len), arn.p);
                else
                    snprintf(msg, sizeof msg, "no finding '%.*s'",
                             (int)(id.len > 200 ? 200 : id.len), id.p);
                e = on_error
                        ? on_error(ctx, "FindingIdentifiers", item, idbuf, "FindingNotFound", msg)
                        : RP_OK;
                continue;
            }
            if (!e && !(e = update_one(st, &w, request, &old, identity, now_ms, eb))) n++;
        }
    if (e)
        rp_store_batch_rollback(st);
    else
        e = rp_store_batch_commit(st, eb);
    hub_work_release(&w);
    if (processed) *processed = e ? 0 : n;
    return e;
}

/* ---- GetFindingHistory ------------------------------------------------------------------- */

/* One GetFindingHistory record into out. updates is JSON text ("[]" when NULL). */
static rp_err history_record(struct rp_buf *out, const char *product_arn, const char *id,
                             int64_t time_ms, bool created, const char *type, const char *identity,
                             const char *updates, size_t ulen)
{
    char t[RP_TIME_ISO_BUFSZ];
    struct rp_json_writer jw;
    rp_err e = rp_time_format_iso(time_ms, t, sizeof t);
    if (e) return e;
    rp_buf_reset(out);
    rp_json_writer_init(&jw, out);
    rp_json_write_obj_begin(&jw);
    rp_json_write_key(&jw, "FindingIdentifier", 17);
    rp_json_write_obj_begin(&jw);
    rp_json_write_kv_cstr(&jw, "Id", id);
    rp_json_write_kv_cstr(&jw, "ProductArn", product_arn);
    rp_json_write_obj_end(&jw);
    rp_json_write_kv_cstr(&jw, "UpdateTime", t);
    rp_json_write_kv_bool(&jw, "FindingCreated", created);
    rp_json_write_key(&jw, "UpdateSource", 12);
    rp_json_write_obj_begin(&jw);
    rp_json_write_kv_cstr(&jw, "Type", type);
    rp_json_write_kv_cstr(&jw, "Identity", identity);
    rp_json_write_obj_end(&jw);
    rp_json_write_key(&jw, "Updates", 7);
    if (updates && ulen)
        rp_json_write_raw(&jw, updates, ulen);
    else
        rp_json_write_raw(&jw, "[]", 2);
    rp_json_write_obj_end(&jw);
    return rp_json_writer_finish(&jw);
}

rp_err rp_hub_history(struct rp_store *st, const char *product_arn, const char *id,
                      rp_hub_history_fn fn, void *ctx, struct rp_errbuf *eb)
{
    struct rp_store_stmt *s = NULL;
    struct rp_buf out;
    bool row = false;
    int64_t rowid = 0;
    struct rp_str arn_s = rp_str_from(product_arn), id_s = rp_str_from(id);
    rp_err e = rp_store_stmt_prepare(st,
                                     "SELECT rowid, coalesce(first_imported_at, created_at) FROM "
                                     "findings WHERE ident = ?3 AND product_arn = ?1 AND id = ?2",
                                     &s, eb);
    if (e || (e = rp_store_stmt_bind_cstr(s, 1, product_arn, eb)) ||
        (e = rp_store_stmt_bind_cstr(s, 2, id, eb)) ||
        (e = rp_store_stmt_bind_int64(s, 3, hub_ident(arn_s, id_s), eb)) ||
        (e = rp_store_stmt_step(s, &row, eb)))
        return e;
    if (!row)
        return rp_fail(eb, RP_ENOENT, "hub: no finding '%s' of product '%s'", id, product_arn);
    rowid = rp_store_stmt_column_int64(s, 0);
    int64_t created = rp_store_stmt_column_int64(s, 1);
    rp_store_stmt_reset(s);
    rp_buf_init(&out, 0);
    /* the record that created it: BatchImportFindings by the provider */
    e = history_record(&out, product_arn, id, created, true, "BATCH_IMPORT_FINDINGS", product_arn,
                       NULL, 0);
    if (!e) e = fn(ctx, out.data, out.len);
    if (!e)
        e = rp_store_stmt_prepare(st,
                                  "SELECT update_time, source_type, source_identity, updates "
                                  "FROM finding_history WHERE finding = ?1 ORDER BY seq",
                                  &s, eb);
    if (!e) e = rp_store_stmt_bind_int64(s, 1, rowid, eb);
    while (!e && !(e = rp_store_stmt_step(s, &row, eb)) && row) {
        size_t ulen = 0;
        const char *upd = rp_store_stmt_column_text(s, 3, &ulen);
        e = history_record(&out, product_arn, id, rp_store_stmt_column_int64(s, 0), false,
                           rp_store_stmt_column_text(s, 1, NULL),
                           rp_store_stmt_column_text(s, 2, NULL), upd, ulen);
        if (!e) e = fn(ctx, out.data, out.len);
    }
    if (s) rp_store_stmt_reset(s);
    rp_buf_release(&out);
    return e;
}
