/* SPDX-License-Identifier: Apache-2.0 */
/* ingest_r53dns: Route 53 Resolver query logs (one JSON object per DNS query, JSON Lines, as
 * delivered to S3 under AWSLogs/<account>/vpcdnsquerylogs/.. or exported from CloudWatch Logs)
 * into the r53_resolver_query_logs table (data/schemas/store/0004_r53dns.sql).
 *
 * Every documented field has a column of the same name (answers and srcids keep their JSON);
 * normalized rp_* columns give the query time in ms, the account and region (from the record,
 * else from the S3 key), the client address in canonical form and its port as a number, the
 * query name lower-cased without its trailing dot (for joins with other sources) and the
 * instance id from srcids. A record without query_timestamp or query_name, or with a bad time,
 * address or port, is rejected. Framing (JSON Lines) is the runner's; this file turns one
 * parsed object into one row (ingest_source.h). */
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
    C("version", TEXT),
    C("account_id", TEXT),
    C("region", TEXT),
    C("vpc_id", TEXT),
    C("query_timestamp", TEXT),
    C("query_name", TEXT),
    C("query_type", TEXT),
    C("query_class", TEXT),
    C("rcode", TEXT),
    C("answers", JSON),
    C("srcaddr", TEXT),
    C("srcport", TEXT),
    C("transport", TEXT),
    C("srcids", JSON),
    C("firewall_rule_group_id", TEXT),
    C("firewall_rule_action", TEXT),
    C("firewall_domain_list_id", TEXT),
    C("rp_time_ms", INT),
    C("rp_account", TEXT),
    C("rp_region", TEXT),
    C("rp_src_ip", TEXT),
    C("rp_src_port", INT),
    C("rp_query_name", TEXT),
    C("rp_instance_id", TEXT),
    C("rp_raw", RAW),
};
#undef C

enum {
    COL_VERSION,
    COL_ACCOUNT_ID,
    COL_REGION_F,
    COL_VPC_ID,
    COL_QUERY_TIMESTAMP,
    COL_QUERY_NAME,
    COL_QUERY_TYPE,
    COL_QUERY_CLASS,
    COL_RCODE,
    COL_ANSWERS,
    COL_SRCADDR,
    COL_SRCPORT,
    COL_TRANSPORT,
    COL_SRCIDS,
    COL_FW_RULE_GROUP,
    COL_FW_RULE_ACTION,
    COL_FW_DOMAIN_LIST,
    NFIELDS, /* columns named after the log's own fields */
    COL_TIME = NFIELDS,
    COL_ACCOUNT,
    COL_REGION,
    COL_SRC_IP,
    COL_SRC_PORT,
    COL_QNAME,
    COL_INSTANCE,
    COL_RAW,
    NCOLS,
};

_Static_assert(RP_ARRAY_LEN(cols) == NCOLS, "column enum matches cols[]");

static const struct rp_ingest_table tables[] = {
    {.name = "r53_resolver_query_logs", .cols = cols, .ncols = NCOLS, .time_col = COL_TIME},
};

/* ---- probe ------------------------------------------------------------------------------- */

/* True when head[0..n) holds qkey, a member name with its quotes ("\"srcaddr\""). */
static bool has_key(const char *head, size_t n, const char *qkey)
{
    return memmem(head, n, qkey, strlen(qkey)) != NULL;
}

/* An object whose head names query_name and query_timestamp: 85, 95 with srcaddr too; the
 * vpcdnsquerylogs path adds 4. Any other object under such a path: 30. Not an object: 0. */
static int probe(const char *head, size_t n, const char *path)
{
    size_t i = 0;
    while (i < n && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n')) i++;
    if (i == n || head[i] != '{') return 0;
    bool hint = path && strstr(path, "vpcdnsquerylogs") != NULL;
    int score = 0;
    if (has_key(head + i, n - i, "\"query_name\"") &&
        has_key(head + i, n - i, "\"query_timestamp\""))
        score = has_key(head + i, n - i, "\"srcaddr\"") ? 95 : 85;
    else if (hint)
        return 30;
    return score && hint ? score + 4 : score;
}

/* ---- records ----------------------------------------------------------------------------- */

/* Value of member key as TEXT: NULL when absent or null, a string as is, another scalar as its
 * JSON text (1.1 -> "1.1"); an object or array is RP_EPARSE. */
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
        return rp_fail(eb, RP_EPARSE, "r53dns: field '%s' is an %s, expected a string", key,
                       rp_json_type_name(t));
    struct rp_buf b;
    rp_buf_init(&b, 64);
    rp_err e = rp_json_serialize(v, &b);
    char *p = e ? NULL : rp_arena_memdup(cx->arena, b.data, b.len);
    size_t len = b.len;
    rp_buf_release(&b);
    if (e == RP_ELIMIT) return rp_fail(eb, RP_EPARSE, "r53dns: field '%s' is too long", key);
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

#define QMAX 64 /* bytes of a bad value quoted in a reject reason */

static int qlen(size_t n)
{
    return (int)(n < QMAX ? n : QMAX);
}

static const char *const text_fields[NFIELDS] = {
    [COL_VERSION] = "version",
    [COL_ACCOUNT_ID] = "account_id",
    [COL_REGION_F] = "region",
    [COL_VPC_ID] = "vpc_id",
    [COL_QUERY_TIMESTAMP] = "query_timestamp",
    [COL_QUERY_NAME] = "query_name",
    [COL_QUERY_TYPE] = "query_type",
    [COL_QUERY_CLASS] = "query_class",
    [COL_RCODE] = "rcode",
    [COL_SRCADDR] = "srcaddr",
    [COL_SRCPORT] = "srcport",
    [COL_TRANSPORT] = "transport",
    [COL_FW_RULE_GROUP] = "firewall_rule_group_id",
    [COL_FW_RULE_ACTION] = "firewall_rule_action",
    [COL_FW_DOMAIN_LIST] = "firewall_domain_list_id",
};

static rp_err record(struct rp_ingest_ctx *cx, void *state, const struct rp_ingest_rec *rec,
                     struct rp_errbuf *eb)
{
    struct rp_json_val o = rec->json, ids;
    struct rp_ingest_val v[NCOLS];
    char ipbuf[RP_IP_STRBUFSZ];
    rp_err e;
    (void)state;

    memset(v, 0, sizeof v);
    if (rp_json_type(o) != RP_JSON_OBJECT)
        return rp_fail(eb, RP_EPARSE, "r53dns: record is a JSON %s, expected an object",
                       rp_json_type_name(rp_json_type(o)));
    for (int c = 0; c < NFIELDS; c++)
        if (text_fields[c] && (e = text_of(cx, o, text_fields[c], &v[c], eb)) != RP_OK) return e;
    if ((e = json_of(cx, o, "answers", &v[COL_ANSWERS])) != RP_OK ||
        (e = json_of(cx, o, "srcids", &v[COL_SRCIDS])) != RP_OK)
        return e;

    const struct rp_ingest_val *ts = &v[COL_QUERY_TIMESTAMP], *qn = &v[COL_QUERY_NAME];
    if (ts->type == RP_INGEST_VAL_NULL)
        return rp_fail(eb, RP_EPARSE, "r53dns: missing field 'query_timestamp'");
    if (qn->type == RP_INGEST_VAL_NULL)
        return rp_fail(eb, RP_EPARSE, "r53dns: missing field 'query_name'");
    int64_t ms = 0;
    if (rp_time_parse_iso((struct rp_str){ts->s, ts->n}, &ms, NULL) != RP_OK)
        return rp_fail(eb, RP_EPARSE, "r53dns: bad time '%.*s' in field 'query_timestamp'",
                       qlen(ts->n), ts->s);
    v[COL_TIME] = rp_ingest_val_int(ms);

    v[COL_ACCOUNT] =
        v[COL_ACCOUNT_ID].type ? v[COL_ACCOUNT_ID] : rp_ingest_val_str(cx->layout->account);
    v[COL_REGION] = v[COL_REGION_F].type ? v[COL_REGION_F] : rp_ingest_val_str(cx->layout->region);

    const struct rp_ingest_val *sa = &v[COL_SRCADDR], *sp = &v[COL_SRCPORT];
    if (sa->type) {
        struct rp_ip ip;
        if (rp_ip_parse((struct rp_str){sa->s, sa->n}, &ip, NULL) != RP_OK ||
            rp_ip_format(&ip, ipbuf, sizeof ipbuf) != RP_OK)
            return rp_fail(eb, RP_EPARSE, "r53dns: bad address '%.*s' in field 'srcaddr'",
                           qlen(sa->n), sa->s);
        v[COL_SRC_IP] = rp_ingest_val_text(ipbuf, strlen(ipbuf));
    }
    if (sp->type) {
        uint64_t port = 0;
        if (rp_str_to_u64((struct rp_str){sp->s, sp->n}, &port) != RP_OK || port > 65535)
            return rp_fail(eb, RP_EPARSE, "r53dns: bad port '%.*s' in field 'srcport'", qlen(sp->n),
                           sp->s);
        v[COL_SRC_PORT] = rp_ingest_val_int((int64_t)port);
    }

    /* "Example.COM." -> "example.com"; the root "." stays "." */
    size_t len = qn->n;
    if (len > 1 && qn->s[len - 1] == '.') len--;
    char *name = rp_arena_alloc(cx->arena, len + 1);
    if (!name) return RP_ENOMEM;
    for (size_t i = 0; i < len; i++) {
        char c = qn->s[i];
        name[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
    }
    v[COL_QNAME] = rp_ingest_val_text(name, len);

    struct rp_str inst = {0};
    if (rp_json_obj_get(o, "srcids", &ids) == RP_OK &&
        rp_json_obj_get_str(ids, "instance", &inst) == RP_OK)
        v[COL_INSTANCE] = rp_ingest_val_str(inst);
    return rp_ingest_emit(cx, 0, v, eb);
}

const struct rp_ingest_source rp_ingest_src_r53dns = {
    .name = "r53dns",
    .summary = "Route 53 Resolver query logs (JSON Lines)",
    .kind = RP_INGEST_R53DNS,
    .framing = RP_INGEST_FRAME_JSON,
    .containers = NULL,
    .tables = tables,
    .ntables = RP_ARRAY_LEN(tables),
    .probe = probe,
    .state_size = 0,
    .file_begin = NULL,
    .record = record,
};
