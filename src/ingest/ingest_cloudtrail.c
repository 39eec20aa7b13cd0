/* SPDX-License-Identifier: Apache-2.0 */
/* The CloudTrail ingest format: one CloudTrail event record -> one row of cloudtrail_logs and
 * one row of cloudtrail_resources per element of its resources[] (schema in
 * data/schemas/store/0002_cloudtrail.sql, columns in docs/ingest-cloudtrail.md).
 *
 * It reads what the runner frames out of S3 delivery files ({"Records":[..]}, unwrapped by the
 * runner), single events and JSON Lines, EventBridge envelopes ({"detail-type": "... via
 * CloudTrail", "detail": {record}}: the detail is the record), and `aws cloudtrail
 * lookup-events` output ({"Events":[{.., "CloudTrailEvent": "<record as a string>"}]}).
 *
 * Columns named after AWS fields hold them as delivered: strings decoded, nested values as the
 * record's own JSON bytes minified (a slice of the record found by a small structural scan,
 * so numbers keep their spelling; re-serialized by rp_json only if the scan disagrees with the
 * parser). The rp_ columns are the normalized view used by `rampart events` and joins. Errors:
 * a record without eventTime, or without eventID outside Insights, or with a field of the
 * wrong type is rejected (RP_EPARSE) with the field name in the message. */
#define RP_LOG_MODULE "ingest"

#include <stdlib.h>
#include <string.h>

#include "core/rp_ip.h"
#include "core/rp_json.h"
#include "core/rp_time.h"
#include "ingest/ingest_source.h"
#include "core/rp_banned.h"

/* ---- tables ------------------------------------------------------------------------------ */

/* The CloudTrail fields that have a column, in column order: id, name (the column name is the
 * field name), column type (T text, J JSON, I integer). */
#define CT_FIELDS(X)                                                                               \
    X(EVENT_VERSION, "eventVersion", T)                                                            \
    X(USER_IDENTITY, "userIdentity", J)                                                            \
    X(EVENT_TIME, "eventTime", T)                                                                  \
    X(EVENT_SOURCE, "eventSource", T)                                                              \
    X(EVENT_NAME, "eventName", T)                                                                  \
    X(AWS_REGION, "awsRegion", T)                                                                  \
    X(SOURCE_IP, "sourceIPAddress", T)                                                             \
    X(USER_AGENT, "userAgent", T)                                                                  \
    X(ERROR_CODE, "errorCode", T)                                                                  \
    X(ERROR_MESSAGE, "errorMessage", T)                                                            \
    X(REQUEST_PARAMETERS, "requestParameters", J)                                                  \
    X(RESPONSE_ELEMENTS, "responseElements", J)                                                    \
    X(ADDITIONAL_EVENT_DATA, "additionalEventData", J)                                             \
    X(REQUEST_ID, "requestID", T)                                                                  \
    X(EVENT_ID, "eventID", T)                                                                      \
    X(EVENT_TYPE, "eventType", T)                                                                  \
    X(API_VERSION, "apiVersion", T)                                                                \
    X(MANAGEMENT_EVENT, "managementEvent", I)                                                      \
    X(READ_ONLY, "readOnly", I)                                                                    \
    X(RESOURCES, "resources", J)                                                                   \
    X(RECIPIENT_ACCOUNT_ID, "recipientAccountId", T)                                               \
    X(SERVICE_EVENT_DETAILS, "serviceEventDetails", J)                                             \
    X(SHARED_EVENT_ID, "sharedEventID", T)                                                         \
    X(VPC_ENDPOINT_ID, "vpcEndpointId", T)                                                         \
    X(EVENT_CATEGORY, "eventCategory", T)                                                          \
    X(ADDENDUM, "addendum", J)                                                                     \
    X(SESSION_CREDENTIAL_FROM_CONSOLE, "sessionCredentialFromConsole", T)                          \
    X(EDGE_DEVICE_DETAILS, "edgeDeviceDetails", J)                                                 \
    X(TLS_DETAILS, "tlsDetails", J)                                                                \
    X(INSIGHT_DETAILS, "insightDetails", J)

/* cloudtrail_logs columns: the fields, then Rampart's normalized columns. */
enum {
#define X(id, name, type) L_##id,
    CT_FIELDS(X)
#undef X
        L_NFIELDS,
    L_RP_TIME_MS = L_NFIELDS,
    L_RP_CATEGORY,
    L_RP_ACCOUNT,
    L_RP_REGION,
    L_RP_PRINCIPAL,
    L_RP_USER_NAME,
    L_RP_ACCESS_KEY_ID,
    L_RP_SRC_IP,
    L_RP_RAW,
    L_NCOLS,
};

#define T RP_INGEST_COL_TEXT
#define J RP_INGEST_COL_JSON
#define I RP_INGEST_COL_INT
static const struct rp_ingest_col log_cols[L_NCOLS] = {
#define X(id, name, type) [L_##id] = {name, type},
    CT_FIELDS(X)
#undef X
        [L_RP_TIME_MS] = {"rp_time_ms", I},
    [L_RP_CATEGORY] = {"rp_category", T},
    [L_RP_ACCOUNT] = {"rp_account", T},
    [L_RP_REGION] = {"rp_region", T},
    [L_RP_PRINCIPAL] = {"rp_principal", T},
    [L_RP_USER_NAME] = {"rp_user_name", T},
    [L_RP_ACCESS_KEY_ID] = {"rp_access_key_id", T},
    [L_RP_SRC_IP] = {"rp_src_ip", T},
    [L_RP_RAW] = {"rp_raw", RP_INGEST_COL_RAW},
};

/* strlen of each field name, so that matching a key compares lengths first. */
static const unsigned char field_len[L_NFIELDS] = {
#define X(id, name, type) [L_##id] = sizeof(name) - 1,
    CT_FIELDS(X)
#undef X
};

/* cloudtrail_resources columns. */
enum { R_EVENT_ID, R_IDX, R_TYPE, R_ARN, R_ACCOUNT_ID, R_NAME, R_NCOLS };
static const struct rp_ingest_col res_cols[R_NCOLS] = {
    [R_EVENT_ID] = {"eventID", T},
    [R_IDX] = {"idx", I},
    [R_TYPE] = {"type", T},
    [R_ARN] = {"ARN", T},
    [R_ACCOUNT_ID] = {"accountId", T},
    [R_NAME] = {"rp_name", T},
};
#undef T
#undef J
#undef I

static const struct rp_ingest_table ct_tables[] = {
    {"cloudtrail_logs", log_cols, L_NCOLS, L_RP_TIME_MS, NULL},
    {"cloudtrail_resources", res_cols, R_NCOLS, -1, NULL},
};

/* ---- a structural scan of the record's bytes --------------------------------------------- */

/* The record has been parsed by simdjson already, so the bytes are valid JSON; the scan still
 * checks every bound and gives up (SIZE_MAX, false) on anything unexpected, and the caller
 * then falls back to re-serializing the parsed value. */

/* One member value: its bytes, and whether whitespace sits between its tokens. */
struct member {
    struct rp_str v;
    bool ws;
};

enum { C_OTHER, C_QUOTE, C_OPEN, C_CLOSE, C_WS };
static const unsigned char cls[256] = {
    ['"'] = C_QUOTE, ['{'] = C_OPEN, ['['] = C_OPEN, ['}'] = C_CLOSE, [']'] = C_CLOSE,
    [' '] = C_WS,    ['\t'] = C_WS,  ['\n'] = C_WS,  ['\r'] = C_WS,
};

static size_t skip_ws(const char *p, size_t n, size_t i)
{
    while (i < n && cls[(unsigned char)p[i]] == C_WS) i++;
    return i;
}

/* End (exclusive) of the string whose opening quote is at p[i], or SIZE_MAX. */
static size_t string_end(const char *p, size_t n, size_t i)
{
    for (i++; i < n;) {
        const char *q = memchr(p + i, '"', n - i);
        if (!q) return SIZE_MAX;
        size_t j = (size_t)(q - p), bs = 0;
        while (j - bs > i && p[j - bs - 1] == '\\') bs++;
        if (bs % 2 == 0) return j + 1; /* not escaped */
        i = j + 1;
    }
    return SIZE_MAX;
}

/* End (exclusive) of the value starting at p[i], or SIZE_MAX; *ws is set when whitespace
 * separates tokens inside it. */
static size_t value_end(const char *p, size_t n, size_t i, bool *ws)
{
    if (i >= n) return SIZE_MAX;
    switch (cls[(unsigned char)p[i]]) {
    case C_QUOTE:
        return string_end(p, n, i);
    case C_OPEN: {
        size_t depth = 0;
        while (i < n) {
            switch (cls[(unsigned char)p[i]]) {
            case C_OTHER:
                i++;
                break;
            case C_QUOTE:
                if ((i = string_end(p, n, i)) == SIZE_MAX) return SIZE_MAX;
                break;
            case C_OPEN:
                depth++;
                i++;
                break;
            case C_CLOSE:
                i++;
                if (--depth == 0) return i;
                break;
            default:
                *ws = true;
                i++;
                break;
            }
        }
        return SIZE_MAX;
    }
    case C_OTHER:
        while (i < n && cls[(unsigned char)p[i]] == C_OTHER && p[i] != ',') i++;
        return i;
    default:
        return SIZE_MAX;
    }
}

/* The bytes of each member value of the object at p[0..n), in document order, into
 * out[0..max); *count gets the number of members. false when the bytes are not one object or
 * it has more than max members. */
static bool scan_members(const char *p, size_t n, struct member *out, size_t max, size_t *count)
{
    size_t i = skip_ws(p, n, 0), m = 0;
    if (i >= n || p[i] != '{') return false;
    i = skip_ws(p, n, i + 1);
    if (i < n && p[i] == '}') goto done;
    for (;;) {
        if (i >= n || p[i] != '"') return false;
        if ((i = string_end(p, n, i)) == SIZE_MAX) return false;
        i = skip_ws(p, n, i);
        if (i >= n || p[i] != ':') return false;
        i = skip_ws(p, n, i + 1);
        bool ws = false;
        size_t e = value_end(p, n, i, &ws);
        if (e == SIZE_MAX || e == i || m >= max) return false;
        out[m++] = (struct member){{p + i, e - i}, ws};
        i = skip_ws(p, n, e);
        if (i < n && p[i] == ',') {
            i = skip_ws(p, n, i + 1);
            continue;
        }
        if (i < n && p[i] == '}') break;
        return false;
    }
done:
    *count = m;
    return skip_ws(p, n, i + 1) == n;
}

/* s without the whitespace between its tokens, as a copy in a. An empty slice on allocation
 * failure. */
static struct rp_str minify(struct rp_arena *a, struct rp_str s)
{
    char *o = rp_arena_alloc(a, s.len);
    if (!o) return (struct rp_str){NULL, 0};
    size_t k = 0;
    for (size_t j = 0; j < s.len; j++) {
        char c = s.p[j];
        if (c == '"') {
            size_t e = string_end(s.p, s.len, j);
            if (e == SIZE_MAX) e = s.len;
            memcpy(o + k, s.p + j, e - j);
            k += e - j;
            j = e - 1;
        } else if (cls[(unsigned char)c] != C_WS) {
            o[k++] = c;
        }
    }
    return (struct rp_str){o, k};
}

/* ---- one record ---------------------------------------------------------------------------- */

struct ct_rec {
    struct rp_ingest_ctx *cx;
    struct rp_json_val f[L_NFIELDS]; /* each known field, "no value" when absent */
    struct member bytes[L_NFIELDS];  /* its JSON bytes in the record, v.p NULL when unknown */
    struct rp_ingest_val v[L_NCOLS]; /* the row */
    struct rp_str env_account;       /* EventBridge envelope "account", "region" */
    struct rp_str env_region;
};

/* The column of the record field named key, or -1 (lengths compared first, then bytes). */
static int field_index(struct rp_str key)
{
    for (int c = 0; c < L_NFIELDS; c++)
        if (field_len[c] == key.len && memcmp(log_cols[c].name, key.p, key.len) == 0) return c;
    return -1;
}

/* Fill r->f and r->bytes from the object ev whose bytes are evb (p NULL = unknown). */
static rp_err collect(struct ct_rec *r, struct rp_json_val ev, struct rp_str evb)
{
    size_t nmem = rp_json_len(ev), nscan = 0;
    struct member *slices = NULL;
    if (evb.p && nmem) {
        slices = rp_arena_alloc(r->cx->arena, nmem * sizeof *slices);
        if (!slices) return RP_ENOMEM;
        if (!scan_members(evb.p, evb.len, slices, nmem, &nscan) || nscan != nmem) slices = NULL;
    }
    struct rp_json_iter it;
    struct rp_str key;
    struct rp_json_val val;
    if (rp_json_obj_iter(ev, &it) != RP_OK) return RP_EINVAL;
    for (size_t m = 0; rp_json_obj_next(&it, &key, &val); m++) {
        int c = field_index(key);
        if (c < 0 || r->f[c].doc) continue; /* unknown fields stay in rp_raw; first one wins */
        r->f[c] = val;
        if (slices) r->bytes[c] = slices[m];
    }
    return RP_OK;
}

static rp_err type_error(struct rp_errbuf *eb, int c, struct rp_json_val v, const char *want)
{
    return rp_fail(eb, RP_EPARSE, "cloudtrail: field '%s' has type %s, expected %s",
                   log_cols[c].name, rp_json_type_name(rp_json_type(v)), want);
}

/* A TEXT column from field c: absent or null -> NULL, a string -> its text. */
static rp_err text_col(struct ct_rec *r, int c, struct rp_errbuf *eb)
{
    struct rp_json_val v = r->f[c];
    enum rp_json_type t = rp_json_type(v);
    struct rp_str s;
    if (t == RP_JSON_NONE || t == RP_JSON_NULL) return RP_OK;
    if (t == RP_JSON_BOOL && c == L_SESSION_CREDENTIAL_FROM_CONSOLE) {
        bool b = false;
        if (rp_json_get_bool(v, &b) != RP_OK) return RP_EINTERNAL;
        r->v[c] = rp_ingest_val_str(b ? RP_STR_LIT("true") : RP_STR_LIT("false"));
        return RP_OK;
    }
    if (rp_json_get_str(v, &s) != RP_OK) return type_error(eb, c, v, "string");
    r->v[c] = rp_ingest_val_text(s.p, s.len);
    return RP_OK;
}

/* A JSON column from field c: absent or null -> NULL, else the value's JSON, minified. */
static rp_err json_col(struct ct_rec *r, int c)
{
    struct rp_json_val v = r->f[c];
    enum rp_json_type t = rp_json_type(v);
    if (t == RP_JSON_NONE || t == RP_JSON_NULL) return RP_OK;
    struct rp_str s = {NULL, 0};
    if (r->bytes[c].v.p)
        s = r->bytes[c].ws ? minify(r->cx->arena, r->bytes[c].v) : r->bytes[c].v;
    else {
        struct rp_buf b;
        rp_buf_init(&b, 0);
        rp_err e = rp_json_serialize(v, &b);
        if (!e) {
            s.p = rp_arena_memdup(r->cx->arena, b.data, b.len);
            s.len = b.len;
        }
        rp_buf_release(&b);
        if (e) return e;
    }
    if (!s.p) return RP_ENOMEM;
    r->v[c] = rp_ingest_val_text(s.p, s.len);
    return RP_OK;
}

/* A boolean column from field c: true/false (or the strings "true"/"false") -> 1/0. */
static rp_err bool_col(struct ct_rec *r, int c, struct rp_errbuf *eb)
{
    struct rp_json_val v = r->f[c];
    enum rp_json_type t = rp_json_type(v);
    bool b = false;
    struct rp_str s;
    if (t == RP_JSON_NONE || t == RP_JSON_NULL) return RP_OK;
    if (rp_json_get_bool(v, &b) == RP_OK) {
        r->v[c] = rp_ingest_val_int(b);
        return RP_OK;
    }
    if (rp_json_get_str(v, &s) == RP_OK &&
        (rp_str_eq_cstr(s, "true") || rp_str_eq_cstr(s, "false"))) {
        r->v[c] = rp_ingest_val_int(s.p[0] == 't');
        return RP_OK;
    }
    return type_error(eb, c, v, "bool");
}

/* A string member of obj, or an absent slice (also when empty or of another type). */
static struct rp_str member_str(struct rp_json_val obj, const char *key)
{
    struct rp_str s = {NULL, 0};
    if (rp_json_obj_get_str(obj, key, &s) != RP_OK || s.len == 0) s.p = NULL;
    return s;
}

static struct rp_str first_of(struct rp_str a, struct rp_str b)
{
    return a.p ? a : b;
}

/* The text of a TEXT column already filled, or an absent slice. */
static struct rp_str col_str(const struct ct_rec *r, int c)
{
    const struct rp_ingest_val *v = &r->v[c];
    struct rp_str s = {NULL, 0};
    if (v->type == RP_INGEST_VAL_TEXT && v->n) s = (struct rp_str){v->s, v->n};
    return s;
}

/* After the last occurrence of sep in s (all of s when none). */
static struct rp_str after_last(struct rp_str s, char sep)
{
    for (size_t i = s.len; i > 0; i--)
        if (s.p[i - 1] == sep) return (struct rp_str){s.p + i, s.len - i};
    return s;
}

/* LookupEvents' Username: "root" for the root user, the session name for assumed roles and
 * federated users (after ':' in principalId, else the last segment of the ARN), else
 * userName, else the calling service for AWSService identities. */
static struct rp_str user_name(struct rp_json_val ui)
{
    struct rp_str type = member_str(ui, "type");
    struct rp_str none = {NULL, 0};
    if (rp_str_eq_cstr(type, "Root")) return RP_STR_LIT("root");
    if (rp_str_eq_cstr(type, "AssumedRole") || rp_str_eq_cstr(type, "FederatedUser")) {
        struct rp_str pid = member_str(ui, "principalId"), arn = member_str(ui, "arn");
        const char *colon = pid.p ? memchr(pid.p, ':', pid.len) : NULL;
        if (colon && colon + 1 < pid.p + pid.len)
            return (struct rp_str){colon + 1, (size_t)(pid.p + pid.len - colon - 1)};
        if (arn.p) {
            struct rp_str last = after_last(arn, '/');
            if (last.len) return last;
        }
    }
    struct rp_str un = member_str(ui, "userName");
    if (un.p) return un;
    if (rp_str_eq_cstr(type, "AWSService")) return member_str(ui, "invokedBy");
    return none;
}

/* The resource's name from its ARN (arn:partition:service:region:account:resource): for S3
 * the whole resource ("bucket", "bucket/key"); otherwise what follows the last '/' or, with
 * no '/', the first ':' of the resource part ("role/path/Dev" -> "Dev", "function:f" -> "f").
 * A value that is not an ARN is its own name. */
static struct rp_str arn_name(struct rp_str arn)
{
    if (!rp_str_has_prefix(arn, "arn:")) return arn;
    size_t colons = 0, i = 0, svc = 0, svc_end = 0;
    for (; i < arn.len && colons < 5; i++) {
        if (arn.p[i] != ':') continue;
        colons++;
        if (colons == 2) svc = i + 1;
        if (colons == 3) svc_end = i;
    }
    if (colons < 5) return arn;
    struct rp_str res = {arn.p + i, arn.len - i};
    struct rp_str service = {arn.p + svc, svc_end - svc};
    if (rp_str_eq_cstr(service, "s3")) return res;
    if (memchr(res.p, '/', res.len)) return after_last(res, '/');
    const char *colon = memchr(res.p, ':', res.len);
    if (colon) return (struct rp_str){colon + 1, (size_t)(res.p + res.len - colon - 1)};
    return res;
}

/* rp_src_ip: sourceIPAddress in canonical form when it is an address. */
static rp_err src_ip(struct ct_rec *r)
{
    struct rp_str s = col_str(r, L_SOURCE_IP);
    struct rp_ip ip;
    if (!s.p || rp_ip_parse(s, &ip, NULL) != RP_OK) return RP_OK;
    char *buf = rp_arena_alloc(r->cx->arena, RP_IP_STRBUFSZ);
    if (!buf) return RP_ENOMEM;
    if (rp_ip_format(&ip, buf, RP_IP_STRBUFSZ) != RP_OK) return RP_OK;
    r->v[L_RP_SRC_IP] = rp_ingest_val_text(buf, strlen(buf));
    return RP_OK;
}

static rp_err emit_resources(struct ct_rec *r, struct rp_str event_id, struct rp_errbuf *eb)
{
    struct rp_json_iter it;
    struct rp_json_val el;
    if (!event_id.p || rp_json_arr_iter(r->f[L_RESOURCES], &it) != RP_OK) return RP_OK;
    for (int64_t idx = 0; rp_json_arr_next(&it, &el); idx++) {
        if (rp_json_type(el) != RP_JSON_OBJECT) continue;
        struct rp_ingest_val v[R_NCOLS] = {{0}};
        struct rp_str arn = first_of(member_str(el, "ARN"), member_str(el, "ARNPrefix"));
        v[R_EVENT_ID] = rp_ingest_val_str(event_id);
        v[R_IDX] = rp_ingest_val_int(idx);
        v[R_TYPE] = rp_ingest_val_str(member_str(el, "type"));
        v[R_ARN] = rp_ingest_val_str(arn);
        v[R_ACCOUNT_ID] = rp_ingest_val_str(member_str(el, "accountId"));
        if (arn.p) v[R_NAME] = rp_ingest_val_str(arn_name(arn));
        rp_err e = rp_ingest_emit(r->cx, 1, v, eb);
        if (e) return e;
    }
    return RP_OK;
}

/* The record as delivered inside a wrapper: an EventBridge envelope's detail, or the
 * CloudTrailEvent string of a LookupEvents result. Sets *ev and *evb (the record's bytes),
 * leaves them when root is a plain record. */
static rp_err unwrap(struct ct_rec *r, struct rp_json_val root, struct rp_str rootb,
                     struct rp_json_val *ev, struct rp_str *evb, bool *wrapped,
                     struct rp_errbuf *eb)
{
    struct rp_json_val detail, dtype, cte;
    struct rp_str s = {NULL, 0};
    *wrapped = false;
    if (rp_json_obj_get(root, "detail-type", &dtype) == RP_OK &&
        rp_json_obj_get(root, "detail", &detail) == RP_OK) {
        if (rp_json_get_str(dtype, &s) != RP_OK)
            return rp_fail(eb, RP_EPARSE,
                           "cloudtrail: field 'detail-type' has type %s, expected string",
                           rp_json_type_name(rp_json_type(dtype)));
        if (!rp_str_has_suffix(s, " via CloudTrail"))
            return rp_fail(eb, RP_EPARSE,
                           "cloudtrail: eventbridge event '%.*s' is not from CloudTrail",
                           (int)(s.len > 80 ? 80 : s.len), s.p);
        if (rp_json_type(detail) != RP_JSON_OBJECT)
            return rp_fail(eb, RP_EPARSE, "cloudtrail: field 'detail' has type %s, expected object",
                           rp_json_type_name(rp_json_type(detail)));
        *ev = detail;
        *evb = (struct rp_str){NULL, 0};
        /* the detail's own bytes, found the same way as the columns' */
        size_t n = rp_json_len(root), cnt = 0, m = 0;
        struct member *sl = rootb.p ? rp_arena_alloc(r->cx->arena, n * sizeof *sl) : NULL;
        if (sl && scan_members(rootb.p, rootb.len, sl, n, &cnt) && cnt == n) {
            struct rp_json_iter it;
            struct rp_str key;
            struct rp_json_val val;
            if (rp_json_obj_iter(root, &it) == RP_OK)
                for (; rp_json_obj_next(&it, &key, &val); m++)
                    if (rp_str_eq_cstr(key, "detail")) {
                        *evb = sl[m].v;
                        break;
                    }
        }
        r->env_account = member_str(root, "account");
        r->env_region = member_str(root, "region");
        *wrapped = true;
        return RP_OK;
    }
    if (rp_json_obj_get(root, "CloudTrailEvent", &cte) == RP_OK) {
        if (rp_json_get_str(cte, &s) != RP_OK)
            return rp_fail(eb, RP_EPARSE,
                           "cloudtrail: field 'CloudTrailEvent' has type %s, expected string",
                           rp_json_type_name(rp_json_type(cte)));
        struct rp_json_parser *jp = rp_ingest_ctx_parser(r->cx);
        struct rp_errbuf peb = {0};
        if (!jp) return RP_ENOMEM;
        rp_err e = rp_json_parse(jp, s.p, s.len, ev, &peb);
        if (e == RP_ENOMEM) return e;
        if (e) return rp_fail(eb, RP_EPARSE, "cloudtrail: field 'CloudTrailEvent': %s", peb.msg);
        if (rp_json_type(*ev) != RP_JSON_OBJECT)
            return rp_fail(
                eb, RP_EPARSE,
                "cloudtrail: field 'CloudTrailEvent' holds a JSON %s, expected an object",
                rp_json_type_name(rp_json_type(*ev)));
        *evb = s;
        *wrapped = true;
    }
    return RP_OK;
}

static rp_err ct_record(struct rp_ingest_ctx *cx, void *state, const struct rp_ingest_rec *rec,
                        struct rp_errbuf *eb)
{
    (void)state;
    struct ct_rec *r = rp_arena_zalloc(cx->arena, sizeof *r);
    if (!r) return RP_ENOMEM;
    r->cx = cx;
    struct rp_json_val ev = rec->json;
    struct rp_str evb = {rec->p, rec->n};
    bool wrapped = false;
    rp_err e;
    if (rp_json_type(ev) != RP_JSON_OBJECT)
        return rp_fail(eb, RP_EPARSE, "cloudtrail: record has type %s, expected object",
                       rp_json_type_name(rp_json_type(ev)));
    if ((e = unwrap(r, rec->json, evb, &ev, &evb, &wrapped, eb))) return e;
    if ((e = collect(r, ev, evb))) return e;

    /* The fields as delivered. */
    for (int c = 0; c < L_NFIELDS; c++) {
        switch (log_cols[c].type) {
        case RP_INGEST_COL_TEXT:
            e = text_col(r, c, eb);
            break;
        case RP_INGEST_COL_JSON:
            e = json_col(r, c);
            break;
        case RP_INGEST_COL_INT:
            e = bool_col(r, c, eb);
            break;
        default:
            e = RP_EINTERNAL;
            break;
        }
        if (e) return e;
    }

    struct rp_str etype = col_str(r, L_EVENT_TYPE);
    bool insight = rp_str_eq_cstr(etype, "AwsCloudTrailInsight");
    struct rp_str etime = {r->v[L_EVENT_TIME].s, r->v[L_EVENT_TIME].n};
    struct rp_str eid = col_str(r, L_EVENT_ID);
    int64_t ms = 0;
    struct rp_errbuf teb = {0};
    if (!r->f[L_EVENT_TIME].doc)
        return rp_fail(eb, RP_EPARSE, "cloudtrail: missing field 'eventTime'");
    if (r->v[L_EVENT_TIME].type == RP_INGEST_VAL_NULL)
        return type_error(eb, L_EVENT_TIME, r->f[L_EVENT_TIME], "string");
    if (rp_time_parse_iso(etime, &ms, &teb) != RP_OK)
        return rp_fail(eb, RP_EPARSE, "cloudtrail: bad field 'eventTime': %s", teb.msg);
    if (!eid.p) {
        if (r->v[L_EVENT_ID].type == RP_INGEST_VAL_TEXT)
            return rp_fail(eb, RP_EPARSE, "cloudtrail: field 'eventID' is empty");
        if (!insight && !r->f[L_EVENT_ID].doc)
            return rp_fail(eb, RP_EPARSE, "cloudtrail: missing field 'eventID'");
        if (!insight) return type_error(eb, L_EVENT_ID, r->f[L_EVENT_ID], "string");
    }

    /* Insights records name the API they are about only inside insightDetails. */
    struct rp_json_val idet = r->f[L_INSIGHT_DETAILS];
    if (rp_json_type(idet) == RP_JSON_OBJECT) {
        if (r->v[L_EVENT_NAME].type == RP_INGEST_VAL_NULL)
            r->v[L_EVENT_NAME] = rp_ingest_val_str(member_str(idet, "eventName"));
        if (r->v[L_EVENT_SOURCE].type == RP_INGEST_VAL_NULL)
            r->v[L_EVENT_SOURCE] = rp_ingest_val_str(member_str(idet, "eventSource"));
    }

    /* The normalized view. */
    struct rp_json_val ui = r->f[L_USER_IDENTITY];
    struct rp_str cat = col_str(r, L_EVENT_CATEGORY);
    if (!cat.p) {
        const struct rp_ingest_val *me = &r->v[L_MANAGEMENT_EVENT];
        if (insight)
            cat = RP_STR_LIT("Insight");
        else if (rp_str_eq_cstr(etype, "AwsVpceEvent"))
            cat = RP_STR_LIT("NetworkActivity");
        else if (me->type == RP_INGEST_VAL_INT && me->i == 0)
            cat = RP_STR_LIT("Data");
        else
            cat = RP_STR_LIT("Management");
    }
    r->v[L_RP_TIME_MS] = rp_ingest_val_int(ms);
    r->v[L_RP_CATEGORY] = rp_ingest_val_str(cat);
    r->v[L_RP_ACCOUNT] = rp_ingest_val_str(
        first_of(first_of(col_str(r, L_RECIPIENT_ACCOUNT_ID), member_str(ui, "accountId")),
                 first_of(r->env_account, cx->layout->account)));
    r->v[L_RP_REGION] = rp_ingest_val_str(
        first_of(col_str(r, L_AWS_REGION), first_of(r->env_region, cx->layout->region)));
    r->v[L_RP_PRINCIPAL] =
        rp_ingest_val_str(first_of(member_str(ui, "arn"), first_of(member_str(ui, "invokedBy"),
                                                                   member_str(ui, "principalId"))));
    r->v[L_RP_USER_NAME] = rp_ingest_val_str(user_name(ui));
    r->v[L_RP_ACCESS_KEY_ID] = rp_ingest_val_str(member_str(ui, "accessKeyId"));
    if ((e = src_ip(r))) return e;
    if (wrapped) {
        if (!evb.p) {
            /* the scan failed: store the detail re-serialized */
            struct rp_buf b;
            rp_buf_init(&b, 0);
            e = rp_json_serialize(ev, &b);
            if (!e && !(evb.p = rp_arena_memdup(cx->arena, b.data, b.len))) e = RP_ENOMEM;
            evb.len = b.len;
            rp_buf_release(&b);
            if (e) return e;
        }
        r->v[L_RP_RAW] =
            (struct rp_ingest_val){.type = RP_INGEST_VAL_RAW, .s = evb.p, .n = evb.len};
    }
    if ((e = rp_ingest_emit(cx, 0, r->v, eb))) return e;
    return emit_resources(r, eid, eb);
}

/* ---- sniffing ---------------------------------------------------------------------------- */

static bool has(const char *h, size_t n, const char *tok)
{
    size_t k = strlen(tok);
    for (const char *p = h, *end = h + n; (size_t)(end - p) >= k; p++) {
        p = memchr(p, tok[0], (size_t)(end - p) - k + 1);
        if (!p) return false;
        if (memcmp(p, tok, k) == 0) return true;
    }
    return false;
}

static bool path_has(const char *path, const char *tok)
{
    return path && strstr(path, tok) != NULL;
}

static int ct_probe(const char *head, size_t n, const char *path)
{
    size_t i = 0;
    if (path_has(path, "CloudTrail-Digest")) return 0; /* for `trail verify`, not events */
    if (n >= 3 && memcmp(head, "\xef\xbb\xbf", 3) == 0) i = 3;
    i = skip_ws(head, n, i);
    if (i >= n || head[i] != '{') return 0;
    if (has(head, n, "\"digestPublicKeyFingerprint\"") ||
        has(head, n, "\"digestSignatureAlgorithm\""))
        return 0;
    bool ver = has(head, n, "\"eventVersion\""), tim = has(head, n, "\"eventTime\"");
    bool src = has(head, n, "\"eventSource\""), ins = has(head, n, "\"insightDetails\"");
    bool ctpath = path_has(path, "/CloudTrail/") || path_has(path, "CloudTrail-Insight");
    int score;
    if (has(head, n, "\"detail-type\"") && has(head, n, " via CloudTrail\""))
        score = 90;
    else if (has(head, n, "\"CloudTrailEvent\"") && has(head, n, "\"EventId\""))
        score = 90;
    else if (ver && tim && (src || ins))
        score = 90;
    else if (ver && (tim || src || has(head, n, "\"userIdentity\"")))
        score = 60; /* head cut */
    else if (ctpath && has(head, n, "\"Records\""))
        score = 50;
    else
        return 0;
    if (ctpath) score += 10;
    return score > 100 ? 100 : score;
}

static const char *const ct_containers[] = {"Records", "Events", NULL};

const struct rp_ingest_source rp_ingest_src_cloudtrail = {
    .name = "cloudtrail",
    .summary = "AWS CloudTrail events: S3 delivery files, JSON Lines, EventBridge, lookup-events",
    .kind = RP_INGEST_CLOUDTRAIL,
    .framing = RP_INGEST_FRAME_JSON,
    .containers = ct_containers,
    .tables = ct_tables,
    .ntables = RP_ARRAY_LEN(ct_tables),
    .probe = ct_probe,
    .state_size = 0,
    .file_begin = NULL,
    .record = ct_record,
};
