/* SPDX-License-Identifier: Apache-2.0 */
/* ingest_k8saudit: Kubernetes audit events (kind Event, apiVersion audit.k8s.io/v1, v1beta1 or
 * v1alpha1) into the k8s_audit_logs table (data/schemas/store/0005_k8saudit.sql), FRAME_JSON.
 *
 * Shapes: one Event per line (the API server's log backend); a webhook EventList ("items" is a
 * container key; items may omit kind and apiVersion); EKS control-plane logs exported from
 * CloudWatch Logs, where the Event is the JSON text of "message", one such object per line or
 * inside `aws logs filter-log-events` output ("events") or a subscription payload
 * ("logEvents"); "logGroup" /aws/eks/<cluster>/cluster, or such a path, names the cluster, as
 * does Rampart's S3 layout AWSLogs/<account>/EKS/<region>/<cluster>/...
 * The container keys are safe: probe() only claims heads showing an audit event, and no Event
 * has a top-level items, events or logEvents member.
 *
 * Columns are the Event's fields (nested objects as JSON) plus rp_* columns: time in ms
 * (stageTimestamp, else requestReceivedTimestamp, else v1beta1's timestamp), user, source
 * address (the last of sourceIPs, the API server's peer), objectRef parts, response code and
 * cluster. UNIQUE(auditID, stage) drops repeats. See docs/ingest-flowlogs-dns-k8s.md. */
#define RP_LOG_MODULE "ingest"
#include <string.h>

#include "core/rp_ip.h"
#include "core/rp_json.h"
#include "core/rp_time.h"
#include "ingest/ingest_source.h"
#include "core/rp_banned.h"

#define C(n, t)                                                                                    \
    {                                                                                              \
        n, RP_INGEST_COL_##t                                                                       \
    }
static const struct rp_ingest_col cols[] = {
    C("kind", TEXT),
    C("apiVersion", TEXT),
    C("level", TEXT),
    C("auditID", TEXT),
    C("stage", TEXT),
    C("requestURI", TEXT),
    C("verb", TEXT),
    C("user", JSON),
    C("impersonatedUser", JSON),
    C("sourceIPs", JSON),
    C("userAgent", TEXT),
    C("objectRef", JSON),
    C("responseStatus", JSON),
    C("requestObject", JSON),
    C("responseObject", JSON),
    C("requestReceivedTimestamp", TEXT),
    C("stageTimestamp", TEXT),
    C("annotations", JSON),
    C("rp_time_ms", INT),
    C("rp_user", TEXT),
    C("rp_src_ip", TEXT),
    C("rp_resource", TEXT),
    C("rp_namespace", TEXT),
    C("rp_name", TEXT),
    C("rp_response_code", INT),
    C("rp_cluster", TEXT),
    C("rp_raw", RAW),
};
#undef C

enum {
    COL_KIND,
    COL_API_VERSION,
    COL_LEVEL,
    COL_AUDIT_ID,
    COL_STAGE,
    COL_REQUEST_URI,
    COL_VERB,
    COL_USER_J,
    COL_IMPERSONATED,
    COL_SOURCE_IPS,
    COL_USER_AGENT,
    COL_OBJECT_REF,
    COL_RESPONSE_STATUS,
    COL_REQUEST_OBJECT,
    COL_RESPONSE_OBJECT,
    COL_RECEIVED_TS,
    COL_STAGE_TS,
    COL_ANNOTATIONS,
    NFIELDS, /* columns named after the Event's own fields */
    COL_TIME = NFIELDS,
    COL_USER,
    COL_SRC_IP,
    COL_RESOURCE,
    COL_NAMESPACE,
    COL_NAME,
    COL_RESPONSE_CODE,
    COL_CLUSTER,
    COL_RAW,
    NCOLS,
};

_Static_assert(RP_ARRAY_LEN(cols) == NCOLS, "column enum matches cols[]");

static const struct rp_ingest_table tables[] = {
    {.name = "k8s_audit_logs", .cols = cols, .ncols = NCOLS, .time_col = COL_TIME},
};

static const char *const containers[] = {"items", "events", "logEvents", NULL};

/* ---- probe ------------------------------------------------------------------------------- */

static size_t skip_ws(const char *h, size_t n, size_t i)
{
    while (i < n && (h[i] == ' ' || h[i] == '\t' || h[i] == '\r' || h[i] == '\n')) i++;
    return i;
}

/* Does h[0..n) hold the member "key": "val.. (whitespace allowed around the colon)? With
 * exact the string value must be val exactly, else start with it. With esc the quotes are
 * written \" (JSON held in a JSON string, as in a CloudWatch "message"). */
static bool has_member(const char *h, size_t n, const char *key, const char *val, bool exact,
                       bool esc)
{
    const char *q = esc ? "\\\"" : "\"";
    size_t ql = strlen(q), kl = strlen(key), vl = strlen(val);
    size_t pos = 0;
    while (pos < n) {
        const char *hit = memmem(h + pos, n - pos, q, ql);
        if (!hit) return false;
        size_t i = (size_t)(hit - h) + ql;
        pos = i;
        if (n - i < kl + ql || memcmp(h + i, key, kl) || memcmp(h + i + kl, q, ql)) continue;
        i = skip_ws(h, n, i + kl + ql);
        if (i == n || h[i] != ':') continue;
        i = skip_ws(h, n, i + 1);
        if (n - i < ql + vl || memcmp(h + i, q, ql) || memcmp(h + i + ql, val, vl)) continue;
        i += ql + vl;
        if (!exact || (n - i >= ql && memcmp(h + i, q, ql) == 0)) return true;
    }
    return false;
}

static bool eks_path(const char *path)
{
    return path && (strstr(path, "aws/eks/") || strstr(path, "kube-apiserver-audit"));
}

/* 100: an audit Event or EventList (kind and apiVersion in the head). 90 (95 with an EKS
 * path): the same inside CloudWatch "message" strings. 80: an audit apiVersion alone. 30:
 * another object under an EKS log path. 0 otherwise. */
static int probe(const char *head, size_t n, const char *path)
{
    size_t i = skip_ws(head, n, 0);
    if (i == n || head[i] != '{') return 0;
    const char *h = head + i;
    n -= i;
    bool api = has_member(h, n, "apiVersion", "audit.k8s.io/", false, false);
    if (api && (has_member(h, n, "kind", "Event", true, false) ||
                has_member(h, n, "kind", "EventList", true, false)))
        return 100;
    if (has_member(h, n, "apiVersion", "audit.k8s.io/", false, true) &&
        has_member(h, n, "kind", "Event", true, true))
        return eks_path(path) ? 95 : 90;
    if (api) return 80;
    return eks_path(path) ? 30 : 0;
}

/* ---- records ----------------------------------------------------------------------------- */

#define QMAX 64 /* bytes of a bad value quoted in a reject reason */

static int qlen(size_t n)
{
    return (int)(n < QMAX ? n : QMAX);
}

/* Value of member key as TEXT: NULL when absent or null, a string as is, another scalar as its
 * JSON text; an object or array is RP_EPARSE. */
static rp_err text_of(struct rp_ingest_ctx *cx, struct rp_json_val obj, const char *key,
                      struct rp_ingest_val *out, struct rp_errbuf *eb)
{
    struct rp_json_val v;
    struct rp_str s;
    *out = (struct rp_ingest_val){0};
    if (rp_json_obj_get(obj, key, &v) != RP_OK) return RP_OK;
    enum rp_json_type t = rp_json_type(v);
    if (t == RP_JSON_NULL) return RP_OK;
    if (t == RP_JSON_STRING) {
        if (rp_json_get_str(v, &s) != RP_OK) return RP_EINTERNAL;
        *out = rp_ingest_val_str(s);
        return RP_OK;
    }
    if (t == RP_JSON_ARRAY || t == RP_JSON_OBJECT)
        return rp_fail(eb, RP_EPARSE, "k8saudit: field '%s' is an %s, expected a string", key,
                       rp_json_type_name(t));
    struct rp_buf b;
    rp_buf_init(&b, 64);
    rp_err e = rp_json_serialize(v, &b);
    char *p = e ? NULL : rp_arena_memdup(cx->arena, b.data, b.len);
    size_t len = b.len;
    rp_buf_release(&b);
    if (e == RP_ELIMIT) return rp_fail(eb, RP_EPARSE, "k8saudit: field '%s' is too long", key);
    if (e) return e;
    if (!p) return RP_ENOMEM;
    *out = rp_ingest_val_text(p, len);
    return RP_OK;
}

/* Value of member key as compact JSON: NULL when absent or null. */
static rp_err json_of(struct rp_ingest_ctx *cx, struct rp_json_val obj, const char *key,
                      struct rp_ingest_val *out)
{
    struct rp_json_val v;
    *out = (struct rp_ingest_val){0};
    if (rp_json_obj_get(obj, key, &v) != RP_OK || rp_json_type(v) == RP_JSON_NULL) return RP_OK;
    struct rp_buf b;
    rp_buf_init(&b, 0);
    rp_err e = rp_json_serialize(v, &b);
    char *p = e ? NULL : rp_arena_memdup(cx->arena, b.data, b.len);
    size_t len = b.len;
    rp_buf_release(&b);
    if (e) return e;
    if (!p) return RP_ENOMEM;
    *out = rp_ingest_val_text(p, len);
    return RP_OK;
}

/* The cluster in an EKS log group name or a path holding one: "/aws/eks/<cluster>/cluster"
 * followed by the end or '/'. Empty when s has none. */
static struct rp_str cluster_in(struct rp_str s)
{
    static const char pre[] = "aws/eks/", suf[] = "/cluster";
    for (size_t i = 0; s.p && i + sizeof pre - 1 <= s.len; i++) {
        if (memcmp(s.p + i, pre, sizeof pre - 1) || (i && s.p[i - 1] != '/')) continue;
        size_t b = i + sizeof pre - 1, e = b;
        while (e < s.len && s.p[e] != '/') e++;
        if (e == b || s.len - e < sizeof suf - 1 || memcmp(s.p + e, suf, sizeof suf - 1)) continue;
        size_t after = e + sizeof suf - 1;
        if (after == s.len || s.p[after] == '/') return (struct rp_str){s.p + b, e - b};
    }
    /* Rampart's S3 layout for EKS audit exports (docs/simulate.md):
     * AWSLogs/<account>/EKS/<region>/<cluster>/YYYY/MM/DD/... */
    static const char eks[] = "/EKS/";
    for (size_t i = 0; s.p && i + sizeof eks - 1 <= s.len; i++) {
        if (memcmp(s.p + i, eks, sizeof eks - 1)) continue;
        size_t r = i + sizeof eks - 1, re = r;
        while (re < s.len && s.p[re] != '/') re++;
        if (re == r || re >= s.len) continue;
        size_t b = re + 1, e = b;
        while (e < s.len && s.p[e] != '/') e++;
        if (e > b && e < s.len) return (struct rp_str){s.p + b, e - b};
    }
    return (struct rp_str){0};
}

static const char *const text_fields[NFIELDS] = {
    [COL_KIND] = "kind",
    [COL_API_VERSION] = "apiVersion",
    [COL_LEVEL] = "level",
    [COL_AUDIT_ID] = "auditID",
    [COL_STAGE] = "stage",
    [COL_REQUEST_URI] = "requestURI",
    [COL_VERB] = "verb",
    [COL_USER_AGENT] = "userAgent",
    [COL_RECEIVED_TS] = "requestReceivedTimestamp",
    [COL_STAGE_TS] = "stageTimestamp",
};

static const char *const json_fields[NFIELDS] = {
    [COL_USER_J] = "user",
    [COL_IMPERSONATED] = "impersonatedUser",
    [COL_SOURCE_IPS] = "sourceIPs",
    [COL_OBJECT_REF] = "objectRef",
    [COL_RESPONSE_STATUS] = "responseStatus",
    [COL_REQUEST_OBJECT] = "requestObject",
    [COL_RESPONSE_OBJECT] = "responseObject",
    [COL_ANNOTATIONS] = "annotations",
};

static struct rp_ingest_val sub_str(struct rp_json_val o, const char *obj, const char *key)
{
    struct rp_json_val sub;
    struct rp_str s = {0};
    if (rp_json_obj_get(o, obj, &sub) == RP_OK && rp_json_obj_get_str(sub, key, &s) == RP_OK)
        return rp_ingest_val_str(s);
    return (struct rp_ingest_val){0};
}

/* One audit Event object -> one row. cluster may be empty. */
static rp_err event_row(struct rp_ingest_ctx *cx, struct rp_json_val o, struct rp_str cluster,
                        struct rp_errbuf *eb)
{
    struct rp_ingest_val v[NCOLS];
    char ipbuf[RP_IP_STRBUFSZ];
    rp_err e;

    memset(v, 0, sizeof v);
    for (int c = 0; c < NFIELDS; c++) {
        if (text_fields[c])
            e = text_of(cx, o, text_fields[c], &v[c], eb);
        else
            e = json_of(cx, o, json_fields[c], &v[c]);
        if (e) return e;
    }
    const struct rp_ingest_val *kind = &v[COL_KIND], *api = &v[COL_API_VERSION];
    if (kind->type && !rp_str_eq_cstr((struct rp_str){kind->s, kind->n}, "Event"))
        return rp_fail(eb, RP_EPARSE, "k8saudit: kind '%.*s' is not 'Event'", qlen(kind->n),
                       kind->s);
    if (api->type && !rp_str_has_prefix((struct rp_str){api->s, api->n}, "audit.k8s.io/"))
        return rp_fail(eb, RP_EPARSE, "k8saudit: apiVersion '%.*s' is not 'audit.k8s.io/..'",
                       qlen(api->n), api->s);
    if (!v[COL_AUDIT_ID].type) return rp_fail(eb, RP_EPARSE, "k8saudit: missing field 'auditID'");
    if (!v[COL_STAGE].type) return rp_fail(eb, RP_EPARSE, "k8saudit: missing field 'stage'");

    /* The time: stageTimestamp, else requestReceivedTimestamp, else v1beta1's timestamp. */
    struct rp_ingest_val tsv = {0};
    const char *tsname = "stageTimestamp";
    if (v[COL_STAGE_TS].type)
        tsv = v[COL_STAGE_TS];
    else if (v[COL_RECEIVED_TS].type) {
        tsv = v[COL_RECEIVED_TS];
        tsname = "requestReceivedTimestamp";
    } else {
        tsname = "timestamp";
        if ((e = text_of(cx, o, tsname, &tsv, eb)) != RP_OK) return e;
        if (!tsv.type)
            return rp_fail(eb, RP_EPARSE,
                           "k8saudit: missing field 'stageTimestamp', "
                           "'requestReceivedTimestamp' or 'timestamp'");
    }
    int64_t ms = 0;
    if (rp_time_parse_iso((struct rp_str){tsv.s, tsv.n}, &ms, NULL) != RP_OK)
        return rp_fail(eb, RP_EPARSE, "k8saudit: bad time '%.*s' in field '%s'", qlen(tsv.n), tsv.s,
                       tsname);
    v[COL_TIME] = rp_ingest_val_int(ms);

    v[COL_USER] = sub_str(o, "user", "username");
    v[COL_RESOURCE] = sub_str(o, "objectRef", "resource");
    v[COL_NAMESPACE] = sub_str(o, "objectRef", "namespace");
    v[COL_NAME] = sub_str(o, "objectRef", "name");

    /* The last sourceIPs entry is the API server's peer address; earlier ones come from
     * X-Forwarded-For / X-Real-Ip, which the client controls. Unparsable: NULL. */
    struct rp_json_val ips, last;
    struct rp_str s;
    size_t nips = 0;
    if (rp_json_obj_get(o, "sourceIPs", &ips) == RP_OK && (nips = rp_json_len(ips)) > 0 &&
        rp_json_type(ips) == RP_JSON_ARRAY && rp_json_arr_at(ips, nips - 1, &last) == RP_OK &&
        rp_json_get_str(last, &s) == RP_OK) {
        struct rp_ip ip;
        if (rp_ip_parse(s, &ip, NULL) == RP_OK && rp_ip_format(&ip, ipbuf, sizeof ipbuf) == RP_OK)
            v[COL_SRC_IP] = rp_ingest_val_text(ipbuf, strlen(ipbuf));
    }

    struct rp_json_val rs;
    int64_t code = 0;
    if (rp_json_obj_get(o, "responseStatus", &rs) == RP_OK &&
        rp_json_obj_get_i64(rs, "code", &code) == RP_OK)
        v[COL_RESPONSE_CODE] = rp_ingest_val_int(code);

    if (!cluster.p) cluster = cluster_in(rp_str_from(cx->path));
    v[COL_CLUSTER] = rp_ingest_val_str(cluster);
    return rp_ingest_emit(cx, 0, v, eb);
}

static rp_err record(struct rp_ingest_ctx *cx, void *state, const struct rp_ingest_rec *rec,
                     struct rp_errbuf *eb)
{
    struct rp_json_val o = rec->json, m, inner;
    struct rp_str msg, group = {0};
    (void)state;

    if (rp_json_type(o) != RP_JSON_OBJECT)
        return rp_fail(eb, RP_EPARSE, "k8saudit: record is a JSON %s, expected an object",
                       rp_json_type_name(rp_json_type(o)));
    if (rp_json_obj_get(o, "auditID", &m) == RP_OK ||
        rp_json_obj_get_str(o, "message", &msg) != RP_OK)
        return event_row(cx, o, (struct rp_str){0}, eb);

    /* A CloudWatch Logs event: the audit Event is the JSON text of "message". */
    if (rp_json_obj_get_str(o, "logGroup", &group) == RP_OK) group = cluster_in(group);
    struct rp_json_parser *jp = rp_ingest_ctx_parser(cx);
    if (!jp) return RP_ENOMEM;
    struct rp_errbuf peb = {0};
    rp_err e = rp_json_parse(jp, msg.p, msg.len, &inner, &peb);
    if (e == RP_EPARSE || e == RP_ELIMIT)
        return rp_fail(eb, RP_EPARSE, "k8saudit: 'message' is not JSON: %s", peb.msg);
    if (e) return e;
    if (rp_json_type(inner) != RP_JSON_OBJECT)
        return rp_fail(eb, RP_EPARSE, "k8saudit: 'message' holds a JSON %s, expected an object",
                       rp_json_type_name(rp_json_type(inner)));
    return event_row(cx, inner, group, eb);
}

const struct rp_ingest_source rp_ingest_src_k8saudit = {
    .name = "k8saudit",
    .summary = "Kubernetes audit events (audit.k8s.io Event, EventList, EKS via CloudWatch Logs)",
    .kind = RP_INGEST_K8SAUDIT,
    .framing = RP_INGEST_FRAME_JSON,
    .containers = containers,
    .tables = tables,
    .ntables = RP_ARRAY_LEN(tables),
    .probe = probe,
    .state_size = 0,
    .file_begin = NULL,
    .record = record,
};
