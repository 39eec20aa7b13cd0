/* SPDX-License-Identifier: Apache-2.0 */
/* The stored form of findings (data/schemas/store/0008_findings.sql): reading a finding's state,
 * validating incoming ASFF as BatchImportFindings does, and writing a final document with its
 * indexed columns, its extra multi-valued attributes and its history record
 * (GetFindingHistory: which top-level attributes changed, old and new values). Everything that
 * writes findings goes through hub_store_write, so columns and document never disagree.
 * Callers: hub_import.c (BatchImportFindings) and hub_update.c (BatchUpdateFindings). */
#define RP_LOG_MODULE "hub"
#include <stdio.h>
#include <string.h>

#include "core/rp_hash.h"
#include "core/rp_time.h"
#include "hub/hub_internal.h"

rp_err hub_work_init(struct hub_work *w)
{
    memset(w, 0, sizeof *w);
    w->old_p = rp_json_parser_new();
    w->merged_p = rp_json_parser_new();
    rp_buf_init(&w->merged, 0);
    rp_buf_init(&w->hist, 0);
    rp_buf_init(&w->a, 0);
    rp_buf_init(&w->b, 0);
    if (!w->old_p || !w->merged_p) {
        hub_work_release(w);
        return RP_ENOMEM;
    }
    return RP_OK;
}

void hub_work_release(struct hub_work *w)
{
    rp_json_parser_free(w->old_p);
    rp_json_parser_free(w->merged_p);
    rp_buf_release(&w->merged);
    rp_buf_release(&w->hist);
    rp_buf_release(&w->a);
    rp_buf_release(&w->b);
    memset(w, 0, sizeof *w);
}

const char *hub_severity_label(int64_t n)
{
    if (n <= 0) return "INFORMATIONAL";
    if (n < 40) return "LOW";
    if (n < 70) return "MEDIUM";
    if (n < 90) return "HIGH";
    return "CRITICAL";
}

int64_t hub_severity_normalized(struct rp_str label)
{
    static const struct {
        const char *label;
        int64_t normalized;
    } map[] = {{"INFORMATIONAL", 0}, {"LOW", 1}, {"MEDIUM", 40}, {"HIGH", 70}, {"CRITICAL", 90}};
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (rp_str_eq_cstr(label, map[i].label)) return map[i].normalized;
    return -1;
}

/* ---- reading ------------------------------------------------------------------------------ */

int64_t hub_ident(struct rp_str product_arn, struct rp_str id)
{
    uint64_t h = rp_hash_xxh3_64(product_arn.p, product_arn.len, 0);
    h = rp_hash_combine(h, rp_hash_xxh3_64(id.p, id.len, 0));
    return (int64_t)(h & (uint64_t)INT64_MAX);
}

rp_err hub_stored_get(struct rp_store *st, struct hub_work *w, struct rp_str product_arn,
                      struct rp_str id, int64_t parse_before, struct hub_stored *out,
                      struct rp_errbuf *eb)
{
    struct rp_store_stmt *s = NULL;
    rp_err e = rp_store_stmt_prepare(st,
                                     "SELECT f.rowid, f.updated_at, f.customer_fields, d.doc "
                                     "FROM findings f JOIN finding_docs d ON d.rowid = f.rowid "
                                     "WHERE f.ident = ?3 AND f.product_arn = ?1 AND f.id = ?2",
                                     &s, eb);
    if (e) return e;
    bool row = false;
    if ((e = rp_store_stmt_bind_text(s, 1, product_arn.p, product_arn.len, eb)) ||
        (e = rp_store_stmt_bind_text(s, 2, id.p, id.len, eb)) ||
        (e = rp_store_stmt_bind_int64(s, 3, hub_ident(product_arn, id), eb)) ||
        (e = rp_store_stmt_step(s, &row, eb)))
        return e;
    if (!row) return RP_ENOENT;
    memset(out, 0, sizeof *out);
    out->rowid = rp_store_stmt_column_int64(s, 0);
    out->updated_at = rp_store_stmt_column_int64(s, 1);
    out->customer_fields = (unsigned)rp_store_stmt_column_int64(s, 2);
    if (out->updated_at < parse_before) {
        size_t n = 0;
        const char *doc = rp_store_stmt_column_text(s, 3, &n);
        e = doc ? rp_json_parse(w->old_p, doc, n, &out->doc, eb)
                : rp_fail(eb, RP_EDB, "hub: finding '%.*s' has no document", (int)id.len, id.p);
    }
    rp_store_stmt_reset(s);
    return e;
}

/* ---- validation --------------------------------------------------------------------------- */

#define REFUSE(c, ...)                                                                             \
    do {                                                                                           \
        *code = (c);                                                                               \
        snprintf(msg, msgsz, __VA_ARGS__);                                                         \
        return false;                                                                              \
    } while (0)

static bool valid_severity(struct rp_json_val sev, char *msg, size_t msgsz, const char **code,
                           const char *where)
{
    struct rp_str label = {0};
    struct rp_json_val n;
    bool has_label = hub_str_member(sev, "Label", &label);
    bool has_norm = hub_member(sev, "Normalized", &n);
    if (rp_json_type(sev) != RP_JSON_OBJECT || (!has_label && !has_norm))
        REFUSE("InvalidInput", "'%s' needs Label or Normalized", where);
    if (has_label && hub_severity_normalized(label) < 0)
        REFUSE("InvalidInput",
               "'%s.Label' is not one of INFORMATIONAL, LOW, MEDIUM, HIGH, CRITICAL", where);
    int64_t v = 0;
    if (has_norm && (rp_json_get_i64(n, &v) != RP_OK || v < 0 || v > 100))
        REFUSE("InvalidInput", "'%s.Normalized' must be an integer from 0 to 100", where);
    return true;
}

static bool valid_0_100(struct rp_json_val f, const char *k, char *msg, size_t msgsz,
                        const char **code)
{
    struct rp_json_val v;
    int64_t x = 0;
    if (hub_member(f, k, &v) && (rp_json_get_i64(v, &x) != RP_OK || x < 0 || x > 100))
        REFUSE("InvalidInput", "'%s' must be an integer from 0 to 100", k);
    return true;
}

static bool valid_time(struct rp_json_val f, const char *k, bool required, char *msg, size_t msgsz,
                       const char **code)
{
    struct rp_json_val v;
    struct rp_str s;
    int64_t ms = 0;
    if (!hub_member(f, k, &v)) {
        if (required) REFUSE("MissingRequiredField", "missing required field '%s'", k);
        return true;
    }
    if (rp_json_get_str(v, &s) != RP_OK || rp_time_parse_iso(s, &ms, NULL) != RP_OK)
        REFUSE("InvalidInput", "'%s' is not an ISO 8601 timestamp", k);
    return true;
}

bool hub_validate(struct rp_json_val f, const char **code, char *msg, size_t msgsz)
{
    static const char *const required_str[] = {
        "SchemaVersion", "Id", "ProductArn", "GeneratorId", "AwsAccountId", "Title", "Description"};
    if (rp_json_type(f) != RP_JSON_OBJECT)
        REFUSE("InvalidInput", "a finding must be a JSON object, not %s",
               rp_json_type_name(rp_json_type(f)));
    for (size_t i = 0; i < sizeof required_str / sizeof required_str[0]; i++) {
        struct rp_json_val v;
        struct rp_str s;
        if (!hub_member(f, required_str[i], &v))
            REFUSE("MissingRequiredField", "missing required field '%s'", required_str[i]);
        if (rp_json_get_str(v, &s) != RP_OK || s.len == 0)
            REFUSE("InvalidInput", "'%s' must be a non-empty string", required_str[i]);
    }
    struct rp_str id = {0}, title = {0}, desc = {0};
    (void)hub_str_member(f, "Id", &id);
    (void)hub_str_member(f, "Title", &title);
    (void)hub_str_member(f, "Description", &desc);
    if (id.len > HUB_MAX_ID_BYTES)
        REFUSE("InvalidInput", "'Id' is longer than %d characters", HUB_MAX_ID_BYTES);
    if (title.len > HUB_MAX_TITLE)
        REFUSE("InvalidInput", "'Title' is longer than %d characters", HUB_MAX_TITLE);
    if (desc.len > HUB_MAX_DESCRIPTION)
        REFUSE("InvalidInput", "'Description' is longer than %d characters", HUB_MAX_DESCRIPTION);
    if (!valid_time(f, "CreatedAt", true, msg, msgsz, code) ||
        !valid_time(f, "UpdatedAt", true, msg, msgsz, code) ||
        !valid_time(f, "FirstObservedAt", false, msg, msgsz, code) ||
        !valid_time(f, "LastObservedAt", false, msg, msgsz, code))
        return false;

    struct rp_json_val res, el, fpf = {0}, v;
    if (!hub_member(f, "Resources", &res))
        REFUSE("MissingRequiredField", "missing required field 'Resources'");
    size_t nres = rp_json_len(res);
    if (rp_json_type(res) != RP_JSON_ARRAY || nres == 0 || nres > HUB_MAX_RESOURCES)
        REFUSE("InvalidInput", "'Resources' must be an array of 1 to %d resources",
               HUB_MAX_RESOURCES);
    struct rp_json_iter it;
    size_t i = 0;
    if (rp_json_arr_iter(res, &it) == RP_OK)
        for (; rp_json_arr_next(&it, &el); i++) {
            struct rp_str s;
            if (!hub_str_member(el, "Type", &s) || s.len == 0)
                REFUSE("InvalidInput", "'Resources[%zu].Type' must be a non-empty string", i);
            if (!hub_str_member(el, "Id", &s) || s.len == 0)
                REFUSE("InvalidInput", "'Resources[%zu].Id' must be a non-empty string", i);
        }

    bool has_fpf = hub_member(f, "FindingProviderFields", &fpf);
    if (has_fpf && rp_json_type(fpf) != RP_JSON_OBJECT)
        REFUSE("InvalidInput", "'FindingProviderFields' must be an object");
    bool sev_top = hub_member(f, "Severity", &v);
    if (sev_top && !valid_severity(v, msg, msgsz, code, "Severity")) return false;
    bool sev_fpf = has_fpf && hub_member(fpf, "Severity", &v);
    if (sev_fpf && !valid_severity(v, msg, msgsz, code, "FindingProviderFields.Severity"))
        return false;
    if (!sev_top && !sev_fpf) REFUSE("MissingRequiredField", "missing required field 'Severity'");

    bool types_top = hub_member(f, "Types", &v);
    bool types_fpf = has_fpf && hub_member(fpf, "Types", &el);
    if (!types_top && !types_fpf) REFUSE("MissingRequiredField", "missing required field 'Types'");
    for (int k = 0; k < 2; k++) {
        if (!(k == 0 ? types_top : types_fpf)) continue;
        struct rp_json_val arr = k == 0 ? v : el, t;
        size_t n = rp_json_len(arr);
        if (rp_json_type(arr) != RP_JSON_ARRAY || n == 0 || n > HUB_MAX_TYPES)
            REFUSE("InvalidInput", "'%sTypes' must be an array of 1 to %d strings",
                   k ? "FindingProviderFields." : "", HUB_MAX_TYPES);
        if (rp_json_arr_iter(arr, &it) == RP_OK)
            while (rp_json_arr_next(&it, &t))
                if (rp_json_type(t) != RP_JSON_STRING)
                    REFUSE("InvalidInput", "'%sTypes' must be an array of 1 to %d strings",
                           k ? "FindingProviderFields." : "", HUB_MAX_TYPES);
    }
    if (!valid_0_100(f, "Confidence", msg, msgsz, code) ||
        !valid_0_100(f, "Criticality", msg, msgsz, code))
        return false;

    static const struct {
        const char *obj, *key;
        const char *const values[6];
    } enums[] = {
        {"Workflow", "Status", {"NEW", "NOTIFIED", "RESOLVED", "SUPPRESSED"}},
        {"Compliance", "Status", {"PASSED", "WARNING", "FAILED", "NOT_AVAILABLE"}},
        {NULL, "RecordState", {"ACTIVE", "ARCHIVED"}},
        {NULL,
         "VerificationState",
         {"UNKNOWN", "TRUE_POSITIVE", "FALSE_POSITIVE", "BENIGN_POSITIVE"}},
    };
    for (size_t k = 0; k < sizeof enums / sizeof enums[0]; k++) {
        struct rp_json_val o = f;
        if (enums[k].obj && !hub_member(f, enums[k].obj, &o)) continue;
        if (!hub_member(o, enums[k].key, &v)) continue;
        struct rp_str s = {0};
        bool ok = rp_json_get_str(v, &s) == RP_OK;
        bool found = false;
        for (size_t j = 0; ok && j < 6 && enums[k].values[j]; j++)
            found = found || rp_str_eq_cstr(s, enums[k].values[j]);
        if (!found)
            REFUSE("InvalidInput", "'%s%s%s' has an invalid value",
                   enums[k].obj ? enums[k].obj : "", enums[k].obj ? "." : "", enums[k].key);
    }
    return true;
}

/* ---- writing ------------------------------------------------------------------------------ */

struct cols {
    struct rp_str product_arn, id, generator_id, account, region, product_name, company_name, title,
        type0, resource_type, resource_id, workflow, record_state, compliance, verification,
        control_id;
    const char *severity_label;
    int64_t severity_normalized;
    bool has_confidence, has_criticality;
    int64_t confidence, criticality;
    int64_t created, updated, first_obs, last_obs;
    bool has_first, has_last;
};

static int64_t time_of(struct rp_json_val d, const char *k, bool *has)
{
    struct rp_str s;
    int64_t ms = 0;
    *has = hub_str_member(d, k, &s) && rp_time_parse_iso(s, &ms, NULL) == RP_OK;
    return *has ? ms : 0;
}

static void cols_from(struct rp_json_val d, struct cols *c)
{
    struct rp_json_val v, el;
    bool has = false;
    memset(c, 0, sizeof *c);
    (void)hub_str_member(d, "ProductArn", &c->product_arn);
    (void)hub_str_member(d, "Id", &c->id);
    (void)hub_str_member(d, "GeneratorId", &c->generator_id);
    (void)hub_str_member(d, "AwsAccountId", &c->account);
    (void)hub_str_member(d, "Region", &c->region);
    (void)hub_str_member(d, "ProductName", &c->product_name);
    (void)hub_str_member(d, "CompanyName", &c->company_name);
    (void)hub_str_member(d, "Title", &c->title);
    (void)hub_str_member(d, "RecordState", &c->record_state);
    (void)hub_str_member(d, "VerificationState", &c->verification);
    if (hub_member(d, "Types", &v) && rp_json_arr_at(v, 0, &el) == RP_OK)
        hub_ignore(rp_json_get_str(el, &c->type0));
    if (hub_member(d, "Resources", &v) && rp_json_arr_at(v, 0, &el) == RP_OK) {
        (void)hub_str_member(el, "Type", &c->resource_type);
        (void)hub_str_member(el, "Id", &c->resource_id);
    }
    if (hub_member(d, "Workflow", &v)) (void)hub_str_member(v, "Status", &c->workflow);
    if (hub_member(d, "Compliance", &v)) {
        (void)hub_str_member(v, "Status", &c->compliance);
        (void)hub_str_member(v, "SecurityControlId", &c->control_id);
    }
    c->severity_normalized = -1;
    if (hub_member(d, "Severity", &v)) {
        struct rp_str l;
        if (hub_str_member(v, "Label", &l) && hub_severity_normalized(l) >= 0)
            c->severity_label = hub_severity_label(hub_severity_normalized(l));
        if (rp_json_obj_get_i64(v, "Normalized", &c->severity_normalized) != RP_OK)
            c->severity_normalized = -1;
        if (!c->severity_label && c->severity_normalized >= 0)
            c->severity_label = hub_severity_label(c->severity_normalized);
        if (c->severity_normalized < 0 && c->severity_label)
            c->severity_normalized = hub_severity_normalized(rp_str_from(c->severity_label));
    }
    c->has_confidence = rp_json_obj_get_i64(d, "Confidence", &c->confidence) == RP_OK;
    c->has_criticality = rp_json_obj_get_i64(d, "Criticality", &c->criticality) == RP_OK;
    c->created = time_of(d, "CreatedAt", &has);
    c->updated = time_of(d, "UpdatedAt", &has);
    c->first_obs = time_of(d, "FirstObservedAt", &c->has_first);
    c->last_obs = time_of(d, "LastObservedAt", &c->has_last);
}

static rp_err bind_str(struct rp_store_stmt *s, int i, struct rp_str v, struct rp_errbuf *eb)
{
    return v.p ? rp_store_stmt_bind_text(s, i, v.p, v.len, eb) : rp_store_stmt_bind_null(s, i, eb);
}

static rp_err bind_cols(struct rp_store_stmt *s, const struct cols *c, unsigned customer,
                        int64_t now_ms, struct rp_errbuf *eb)
{
    rp_err e;
    const struct rp_str strs[] = {c->product_arn,   c->id,         c->generator_id,
                                  c->account,       c->region,     c->product_name,
                                  c->company_name,  c->title,      c->type0,
                                  c->resource_type, c->resource_id};
    int i = 1;
    for (size_t k = 0; k < sizeof strs / sizeof strs[0]; k++, i++)
        if ((e = bind_str(s, i, strs[k], eb))) return e;
    /* 12 severity_label .. */
    if ((e = rp_store_stmt_bind_cstr(s, 12, c->severity_label, eb)) ||
        (e = c->severity_normalized >= 0
                 ? rp_store_stmt_bind_int64(s, 13, c->severity_normalized, eb)
                 : rp_store_stmt_bind_null(s, 13, eb)) ||
        (e = c->has_confidence ? rp_store_stmt_bind_int64(s, 14, c->confidence, eb)
                               : rp_store_stmt_bind_null(s, 14, eb)) ||
        (e = c->has_criticality ? rp_store_stmt_bind_int64(s, 15, c->criticality, eb)
                                : rp_store_stmt_bind_null(s, 15, eb)) ||
        (e = c->workflow.p ? bind_str(s, 16, c->workflow, eb)
                           : rp_store_stmt_bind_cstr(s, 16, "NEW", eb)) ||
        (e = c->record_state.p ? bind_str(s, 17, c->record_state, eb)
                               : rp_store_stmt_bind_cstr(s, 17, "ACTIVE", eb)) ||
        (e = bind_str(s, 18, c->compliance, eb)) || (e = bind_str(s, 19, c->verification, eb)) ||
        (e = bind_str(s, 20, c->control_id, eb)) ||
        (e = rp_store_stmt_bind_int64(s, 21, c->created, eb)) ||
        (e = rp_store_stmt_bind_int64(s, 22, c->updated, eb)) ||
        (e = c->has_first ? rp_store_stmt_bind_int64(s, 23, c->first_obs, eb)
                          : rp_store_stmt_bind_null(s, 23, eb)) ||
        (e = c->has_last ? rp_store_stmt_bind_int64(s, 24, c->last_obs, eb)
                         : rp_store_stmt_bind_null(s, 24, eb)) ||
        (e = rp_store_stmt_bind_int64(s, 25, customer, eb)) ||
        (e = rp_store_stmt_bind_int64(s, 26, now_ms, eb)))
        return e;
    return RP_OK;
}

#define HUB_COLS                                                                                   \
    "product_arn, id, generator_id, aws_account_id, region, product_name, company_name, title, "   \
    "type0, resource_type, resource_id, severity_label, severity_normalized, confidence, "         \
    "criticality, workflow_status, record_state, compliance_status, verification_state, "          \
    "security_control_id, created_at, updated_at, first_observed_at, last_observed_at, "           \
    "customer_fields, imported_at"

static rp_err put_value(struct rp_store *st, int64_t rowid, const char *field, struct rp_str v,
                        struct rp_errbuf *eb)
{
    struct rp_store_stmt *s = NULL;
    bool row = false;
    rp_err e = rp_store_stmt_prepare(
        st, "INSERT INTO finding_values (finding, field, value) VALUES (?1, ?2, ?3)", &s, eb);
    if (!e && !(e = rp_store_stmt_bind_int64(s, 1, rowid, eb)) &&
        !(e = rp_store_stmt_bind_cstr(s, 2, field, eb)) &&
        !(e = rp_store_stmt_bind_text(s, 3, v.p, v.len, eb)))
        e = rp_store_stmt_step(s, &row, eb);
    return e;
}

/* The 2nd.. values of Types and Resources[].Id/Type into finding_values. */
static rp_err put_values(struct rp_store *st, int64_t rowid, struct rp_json_val d,
                         struct rp_errbuf *eb)
{
    struct rp_json_val arr, el;
    struct rp_json_iter it;
    rp_err e = RP_OK;
    size_t i = 0;
    if (hub_member(d, "Types", &arr) && rp_json_len(arr) > 1 && rp_json_arr_iter(arr, &it) == RP_OK)
        for (i = 0; !e && rp_json_arr_next(&it, &el); i++) {
            struct rp_str s;
            if (i > 0 && rp_json_get_str(el, &s) == RP_OK) e = put_value(st, rowid, "Type", s, eb);
        }
    if (!e && hub_member(d, "Resources", &arr) && rp_json_len(arr) > 1 &&
        rp_json_arr_iter(arr, &it) == RP_OK)
        for (i = 0; !e && rp_json_arr_next(&it, &el); i++) {
            struct rp_str s;
            if (i > 0 && hub_str_member(el, "Id", &s))
                e = put_value(st, rowid, "ResourceId", s, eb);
            if (!e && i > 0 && hub_str_member(el, "Type", &s))
                e = put_value(st, rowid, "ResourceType", s, eb);
        }
    return e;
}

/* Structural equality of two parsed values (same types, same numbers, same string bytes, same
 * members in the same order), without serialising them. */
static bool val_equal(struct rp_json_val a, struct rp_json_val b, int depth)
{
    enum rp_json_type t = rp_json_type(a);
    if (t != rp_json_type(b) || depth > RP_MAX_JSON_DEPTH) return false;
    switch (t) {
    case RP_JSON_NONE:
    case RP_JSON_NULL:
        return true;
    case RP_JSON_BOOL: {
        bool x = false, y = false;
        return rp_json_get_bool(a, &x) == RP_OK && rp_json_get_bool(b, &y) == RP_OK && x == y;
    }
    case RP_JSON_INT: {
        int64_t x = 0, y = 0;
        return rp_json_get_i64(a, &x) == RP_OK && rp_json_get_i64(b, &y) == RP_OK && x == y;
    }
    case RP_JSON_UINT: {
        uint64_t x = 0, y = 0;
        return rp_json_get_u64(a, &x) == RP_OK && rp_json_get_u64(b, &y) == RP_OK && x == y;
    }
    case RP_JSON_DOUBLE: {
        double x = 0, y = 0;
        return rp_json_get_double(a, &x) == RP_OK && rp_json_get_double(b, &y) == RP_OK &&
               memcmp(&x, &y, sizeof x) == 0;
    }
    case RP_JSON_STRING: {
        struct rp_str x, y;
        return rp_json_get_str(a, &x) == RP_OK && rp_json_get_str(b, &y) == RP_OK &&
               x.len == y.len && memcmp(x.p, y.p, x.len) == 0;
    }
    case RP_JSON_ARRAY:
    case RP_JSON_OBJECT: {
        struct rp_json_iter ia, ib;
        struct rp_json_val va, vb;
        struct rp_str ka, kb;
        if (rp_json_len(a) != rp_json_len(b)) return false;
        if (t == RP_JSON_ARRAY) {
            if (rp_json_arr_iter(a, &ia) != RP_OK || rp_json_arr_iter(b, &ib) != RP_OK)
                return false;
            while (rp_json_arr_next(&ia, &va))
                if (!rp_json_arr_next(&ib, &vb) || !val_equal(va, vb, depth + 1)) return false;
            return true;
        }
        if (rp_json_obj_iter(a, &ia) != RP_OK || rp_json_obj_iter(b, &ib) != RP_OK) return false;
        while (rp_json_obj_next(&ia, &ka, &va))
            if (!rp_json_obj_next(&ib, &kb, &vb) || !rp_str_eq(ka, kb) ||
                !val_equal(va, vb, depth + 1))
                return false;
        return true;
    }
    }
    return false;
}

/* Append to w->hist the {"UpdatedField", "OldValue", "NewValue"} of every top-level attribute
 * that differs between old and new (values as compact JSON text, "" when absent). */
static rp_err history_diff(struct hub_work *w, struct rp_json_val old, struct rp_json_val nw)
{
    struct rp_json_writer jw;
    rp_buf_reset(&w->hist);
    rp_json_writer_init(&jw, &w->hist);
    rp_json_write_arr_begin(&jw);
    for (int pass = 0; pass < 2; pass++) {
        /* pass 0: attributes of the new document; pass 1: attributes only the old one had */
        struct rp_json_val from = pass == 0 ? nw : old, to = pass == 0 ? old : nw;
        struct rp_json_iter it;
        struct rp_str k;
        struct rp_json_val v, ov;
        if (rp_json_obj_iter(from, &it) != RP_OK) continue;
        while (rp_json_obj_next(&it, &k, &v)) {
            bool in_other = rp_json_obj_getn(to, k.p, k.len, &ov) == RP_OK;
            if (pass == 1 && in_other) continue;
            if (in_other && val_equal(v, ov, 0)) continue;
            rp_buf_reset(&w->a);
            rp_buf_reset(&w->b);
            rp_err e = rp_json_serialize(v, &w->a);
            if (!e && in_other) e = rp_json_serialize(ov, &w->b);
            if (e) return e;
            if (in_other && w->a.len == w->b.len && memcmp(w->a.data, w->b.data, w->a.len) == 0)
                continue;
            const struct rp_buf *nv = pass == 0 ? &w->a : &w->b, *o = pass == 0 ? &w->b : &w->a;
            rp_json_write_obj_begin(&jw);
            rp_json_write_kv_str(&jw, "UpdatedField", k.p, k.len);
            rp_json_write_kv_str(&jw, "OldValue", o->data ? o->data : "", o->len);
            rp_json_write_kv_str(&jw, "NewValue", nv->data ? nv->data : "", nv->len);
            rp_json_write_obj_end(&jw);
        }
    }
    rp_json_write_arr_end(&jw);
    return rp_json_writer_finish(&jw);
}

rp_err hub_store_write(struct rp_store *st, struct hub_work *w, const struct hub_stored *old,
                       const char *doc, size_t len, unsigned customer_fields,
                       const char *source_type, const char *identity, int64_t now_ms,
                       struct rp_errbuf *eb)
{
    struct rp_json_val d;
    struct cols c;
    struct rp_store_stmt *s = NULL;
    bool row = false;
    int64_t rowid = 0;
    rp_err e = rp_json_parse(w->merged_p, doc, len, &d, eb);
    if (e) return e;
    cols_from(d, &c);
    if (!old) {
        e = rp_store_stmt_prepare(
            st,
            "INSERT INTO findings (" HUB_COLS ", first_imported_at, ident) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
            "?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, "
            "?26, ?27)",
            &s, eb);
        if (e || (e = bind_cols(s, &c, customer_fields, now_ms, eb)) ||
            (e = rp_store_stmt_bind_int64(s, 27, hub_ident(c.product_arn, c.id), eb)) ||
            (e = rp_store_stmt_step(s, &row, eb)))
            return e;
        rowid = rp_store_last_insert_id(st);
        if ((e = rp_store_stmt_prepare(st, "INSERT INTO finding_docs (rowid, doc) VALUES (?1, ?2)",
                                       &s, eb)) ||
            (e = rp_store_stmt_bind_int64(s, 1, rowid, eb)) ||
            (e = rp_store_stmt_bind_text(s, 2, doc, len, eb)) ||
            (e = rp_store_stmt_step(s, &row, eb)))
            return e;
    } else {
        rowid = old->rowid;
        /* When GeneratorId, Types[0] and Resources[0].Id stay (the usual re-import), leave
         * their columns out of the SET list, so SQLite does not rewrite their indexes. */
        struct cols oc;
        cols_from(old->doc, &oc);
        bool same_keys = rp_str_eq(oc.generator_id, c.generator_id) &&
                         rp_str_eq(oc.type0, c.type0) && rp_str_eq(oc.resource_id, c.resource_id);
        e = rp_store_stmt_prepare(
            st,
            same_keys
                ? "UPDATE findings SET (aws_account_id, region, product_name, company_name, title, "
                  "resource_type, severity_label, severity_normalized, confidence, criticality, "
                  "workflow_status, record_state, compliance_status, verification_state, "
                  "security_control_id, created_at, updated_at, first_observed_at, "
                  "last_observed_at, customer_fields, imported_at) = (?4, ?5, ?6, ?7, ?8, ?10, "
                  "?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26) "
                  "WHERE rowid = ?27" /* ?1 ?2 ?3 ?9 ?11 are bound but unused */
                : "UPDATE findings SET (" HUB_COLS ") = (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
                  "?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26) "
                  "WHERE rowid = ?27",
            &s, eb);
        if (e || (e = bind_cols(s, &c, customer_fields, now_ms, eb)) ||
            (e = rp_store_stmt_bind_int64(s, 27, rowid, eb)) ||
            (e = rp_store_stmt_step(s, &row, eb)))
            return e;
        if ((e = rp_store_stmt_prepare(st, "UPDATE finding_docs SET doc = ?2 WHERE rowid = ?1", &s,
                                       eb)) ||
            (e = rp_store_stmt_bind_int64(s, 1, rowid, eb)) ||
            (e = rp_store_stmt_bind_text(s, 2, doc, len, eb)) ||
            (e = rp_store_stmt_step(s, &row, eb)))
            return e;
        if ((e = rp_store_stmt_prepare(st, "DELETE FROM finding_values WHERE finding = ?1", &s,
                                       eb)) ||
            (e = rp_store_stmt_bind_int64(s, 1, rowid, eb)) ||
            (e = rp_store_stmt_step(s, &row, eb)))
            return e;
        if ((e = history_diff(w, old->doc, d)))
            return rp_fail(eb, e, "hub: cannot record the history of '%.*s'", (int)c.id.len,
                           c.id.p);
    }
    if ((e = put_values(st, rowid, d, eb))) return e;
    if (!old) return RP_OK; /* the creation record is made from the findings row */
    if ((e = rp_store_stmt_prepare(
             st,
             "INSERT INTO finding_history (finding, update_time, source_type, "
             "source_identity, updates) VALUES (?1, ?2, ?3, ?4, ?5)",
             &s, eb)) ||
        (e = rp_store_stmt_bind_int64(s, 1, rowid, eb)) ||
        (e = rp_store_stmt_bind_int64(s, 2, now_ms, eb)) ||
        (e = rp_store_stmt_bind_cstr(s, 3, source_type, eb)) ||
        (e = identity ? rp_store_stmt_bind_cstr(s, 4, identity, eb)
                      : bind_str(s, 4, c.product_arn, eb)) ||
        (e = rp_store_stmt_bind_text(s, 5, w->hist.data, w->hist.len, eb)))
        return e;
    return rp_store_stmt_step(s, &row, eb);
}
