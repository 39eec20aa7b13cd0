/* SPDX-License-Identifier: Apache-2.0 */
/* ingest_vpcflow: VPC Flow Logs text records (versions 2 to 8, default or custom field order)
 * into the vpc_flow_logs table (data/schemas/store/0003_vpcflow.sql). One record per line
 * (RP_INGEST_FRAME_LINES), fields separated by spaces, '-' for NULL.
 *
 * Field order: an S3 file's header line ("version account-id interface-id ...") sets it for
 * the lines after it (per-file state; unknown names skipped; a later header replaces it).
 * Without one the default version-2 order applies, or all fields up to the line's version in
 * the documented order when the field count says so. "<ISO time> <record>" lines (CloudWatch
 * Logs export) are read after the time. NODATA and SKIPDATA records are rows like any other.
 * Wrong field counts, bad numbers, addresses and times, and records with neither start nor end
 * are rejected with the field named. Columns are Athena's names ('-' becomes '_') plus rp_*
 * columns (time in ms, account, region, canonical addresses, ports) for joins and filters.
 * See docs/ingest-flowlogs-dns-k8s.md. */
#define RP_LOG_MODULE "ingest"
#include <string.h>

#include "core/rp_ip.h"
#include "core/rp_str.h"
#include "core/rp_time.h"
#include "ingest/ingest_source.h"
#include "core/rp_banned.h"

/* ---- fields and columns ------------------------------------------------------------------ */

enum ftype {
    F_TEXT, /* stored as written */
    F_INT,  /* non-negative decimal up to max */
    F_ADDR, /* IPv4 or IPv6 address, stored as written */
    F_TIME, /* epoch seconds (start, end) */
};

struct vf_field {
    const char *name; /* as in the flow-log format and the S3 header line */
    enum ftype type;
    int64_t max; /* F_INT: largest accepted value */
};

#define I64 INT64_MAX

/* Every documented field, in the order of the AWS field table; field i is column i. */
static const struct vf_field fields[] = {
    {"version", F_INT, 255},
    {"account-id", F_TEXT, 0},
    {"interface-id", F_TEXT, 0},
    {"srcaddr", F_ADDR, 0},
    {"dstaddr", F_ADDR, 0},
    {"srcport", F_INT, 65535},
    {"dstport", F_INT, 65535},
    {"protocol", F_INT, 255},
    {"packets", F_INT, I64},
    {"bytes", F_INT, I64},
    {"start", F_TIME, 0},
    {"end", F_TIME, 0},
    {"action", F_TEXT, 0},
    {"log-status", F_TEXT, 0},
    /* version 3 */
    {"vpc-id", F_TEXT, 0},
    {"subnet-id", F_TEXT, 0},
    {"instance-id", F_TEXT, 0},
    {"tcp-flags", F_INT, 255},
    {"type", F_TEXT, 0},
    {"pkt-srcaddr", F_ADDR, 0},
    {"pkt-dstaddr", F_ADDR, 0},
    /* version 4 */
    {"region", F_TEXT, 0},
    {"az-id", F_TEXT, 0},
    {"sublocation-type", F_TEXT, 0},
    {"sublocation-id", F_TEXT, 0},
    /* version 5 */
    {"pkt-src-aws-service", F_TEXT, 0},
    {"pkt-dst-aws-service", F_TEXT, 0},
    {"flow-direction", F_TEXT, 0},
    {"traffic-path", F_INT, 255},
    /* version 7 */
    {"ecs-cluster-arn", F_TEXT, 0},
    {"ecs-cluster-name", F_TEXT, 0},
    {"ecs-container-instance-arn", F_TEXT, 0},
    {"ecs-container-instance-id", F_TEXT, 0},
    {"ecs-container-id", F_TEXT, 0},
    {"ecs-second-container-id", F_TEXT, 0},
    {"ecs-service-name", F_TEXT, 0},
    {"ecs-task-definition-arn", F_TEXT, 0},
    {"ecs-task-arn", F_TEXT, 0},
    {"ecs-task-id", F_TEXT, 0},
    /* version 8 */
    {"reject-reason", F_TEXT, 0},
};

enum {
    FI_VERSION = 0,
    FI_ACCOUNT = 1,
    FI_SRCADDR = 3,
    FI_DSTADDR = 4,
    FI_SRCPORT = 5,
    FI_DSTPORT = 6,
    FI_START = 10,
    FI_END = 11,
    FI_LOG_STATUS = 13,
    FI_PKT_SRCADDR = 19,
    FI_PKT_DSTADDR = 20,
    FI_REGION = 21,
    NFIELDS = (int)RP_ARRAY_LEN(fields),
    V2_FIELDS = 14, /* the default format: version .. log-status */
};

#define C(n, t)                                                                                    \
    {                                                                                              \
        n, RP_INGEST_COL_##t                                                                       \
    }
static const struct rp_ingest_col cols[] = {
    C("version", INT),
    C("account_id", TEXT),
    C("interface_id", TEXT),
    C("srcaddr", TEXT),
    C("dstaddr", TEXT),
    C("srcport", INT),
    C("dstport", INT),
    C("protocol", INT),
    C("packets", INT),
    C("bytes", INT),
    C("start", INT),
    C("end", INT),
    C("action", TEXT),
    C("log_status", TEXT),
    C("vpc_id", TEXT),
    C("subnet_id", TEXT),
    C("instance_id", TEXT),
    C("tcp_flags", INT),
    C("type", TEXT),
    C("pkt_srcaddr", TEXT),
    C("pkt_dstaddr", TEXT),
    C("region", TEXT),
    C("az_id", TEXT),
    C("sublocation_type", TEXT),
    C("sublocation_id", TEXT),
    C("pkt_src_aws_service", TEXT),
    C("pkt_dst_aws_service", TEXT),
    C("flow_direction", TEXT),
    C("traffic_path", INT),
    C("ecs_cluster_arn", TEXT),
    C("ecs_cluster_name", TEXT),
    C("ecs_container_instance_arn", TEXT),
    C("ecs_container_instance_id", TEXT),
    C("ecs_container_id", TEXT),
    C("ecs_second_container_id", TEXT),
    C("ecs_service_name", TEXT),
    C("ecs_task_definition_arn", TEXT),
    C("ecs_task_arn", TEXT),
    C("ecs_task_id", TEXT),
    C("reject_reason", TEXT),
    C("rp_time_ms", INT),
    C("rp_account", TEXT),
    C("rp_region", TEXT),
    C("rp_src_ip", TEXT),
    C("rp_dst_ip", TEXT),
    C("rp_src_port", INT),
    C("rp_dst_port", INT),
    C("rp_raw", RAW),
};
#undef C

enum {
    COL_TIME = NFIELDS,
    COL_ACCOUNT,
    COL_REGION,
    COL_SRC_IP,
    COL_DST_IP,
    COL_SRC_PORT,
    COL_DST_PORT,
    COL_RAW,
    NCOLS,
};

_Static_assert(RP_ARRAY_LEN(cols) == NCOLS, "one column per field plus the rp_ columns");

static const struct rp_ingest_table tables[] = {
    {.name = "vpc_flow_logs", .cols = cols, .ncols = NCOLS, .time_col = COL_TIME},
};

/* ---- per-file state: the field order ----------------------------------------------------- */

#define VF_MAX_TOKENS 64 /* fields a line or header may have (40 are documented) */

struct vf_state {
    unsigned nfields;               /* fields per line in the current layout */
    signed char map[VF_MAX_TOKENS]; /* field index at each position, -1 = unknown name */
    bool header;                    /* the layout came from a header line */
};

/* Without a header, a line of "all fields up to version N" in the documented order (what
 * choosing every field of a version gives) is read in that order when its first field says
 * version N and its length matches; any other headerless line must have the default layout. */
static unsigned all_fields_count(struct rp_str version)
{
    static const struct {
        const char *v;
        unsigned n;
    } all[] = {{"2", 14}, {"3", 21}, {"4", 25}, {"5", 29}, {"7", 39}, {"8", 40}};
    for (size_t i = 0; i < RP_ARRAY_LEN(all); i++)
        if (rp_str_eq_cstr(version, all[i].v)) return all[i].n;
    return 0;
}

static void layout_default(struct vf_state *st)
{
    st->nfields = V2_FIELDS;
    st->header = false;
    for (unsigned i = 0; i < V2_FIELDS; i++) st->map[i] = (signed char)i;
}

/* Split s on runs of spaces and tabs into tok[0..max); returns the number of tokens found,
 * which may exceed max (the extra ones are counted, not stored). */
static size_t split(struct rp_str s, struct rp_str *tok, size_t max)
{
    size_t n = 0, i = 0;
    while (i < s.len) {
        while (i < s.len && (s.p[i] == ' ' || s.p[i] == '\t')) i++;
        if (i == s.len) break;
        size_t b = i;
        while (i < s.len && s.p[i] != ' ' && s.p[i] != '\t') i++;
        if (n < max) tok[n] = (struct rp_str){s.p + b, i - b};
        n++;
    }
    return n;
}

static int field_find(struct rp_str name)
{
    for (int i = 0; i < NFIELDS; i++)
        if (rp_str_eq_cstr(name, fields[i].name)) return i;
    return -1;
}

/* A field-name token: [a-z][a-z0-9-]*. Some values look like this too ("vpc-0abc", "egress",
 * "unknown") but are never field names, so a header needs at least one known name. */
static bool name_token(struct rp_str t)
{
    if (!t.len || t.p[0] < 'a' || t.p[0] > 'z') return false;
    for (size_t i = 1; i < t.len; i++) {
        char c = t.p[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
    }
    return true;
}

/* Is line a header? Every token a field-name token, at least one of them a documented field,
 * none repeated. On true, *st (may be NULL) gets the layout and *unknown the count of names
 * that are not documented fields (their columns are skipped). */
static bool header_parse(struct rp_str line, struct vf_state *st, unsigned *unknown)
{
    struct rp_str tok[VF_MAX_TOKENS];
    size_t n = split(line, tok, VF_MAX_TOKENS);
    bool seen[NFIELDS] = {false};
    unsigned known = 0, unk = 0;
    if (n == 0 || n > VF_MAX_TOKENS) return false;
    signed char map[VF_MAX_TOKENS];
    for (size_t i = 0; i < n; i++) {
        if (!name_token(tok[i])) return false;
        int f = field_find(tok[i]);
        if (f >= 0) {
            if (seen[f]) return false;
            seen[f] = true;
            known++;
        } else {
            unk++;
        }
        map[i] = (signed char)f;
    }
    if (!known) return false;
    if (st) {
        st->nfields = (unsigned)n;
        memcpy(st->map, map, n);
    }
    if (unknown) *unknown = unk;
    return true;
}

/* A CloudWatch Logs export line puts the event time in front of the record:
 * "2021-05-04T12:34:56.000Z 2 123456789010 eni-..". True when t is such a time stamp. */
static bool cw_time_token(struct rp_str t)
{
    int64_t ms = 0;
    if (t.len < 20 || t.p[4] != '-' || t.p[10] != 'T') return false;
    return rp_time_parse_iso(t, &ms, NULL) == RP_OK;
}

/* ---- probe ------------------------------------------------------------------------------- */

static bool all_digits(struct rp_str t, size_t min, size_t max)
{
    if (t.len < min || t.len > max) return false;
    for (size_t i = 0; i < t.len; i++)
        if (t.p[i] < '0' || t.p[i] > '9') return false;
    return true;
}

static bool dash(struct rp_str t)
{
    return t.len == 1 && t.p[0] == '-';
}

static bool addr_or_dash(struct rp_str t)
{
    struct rp_ip ip;
    return dash(t) || rp_ip_parse(t, &ip, NULL) == RP_OK;
}

/* The default format (or all fields up to a version, see all_fields_count) as a sniffer
 * sees it: a version number, a 12-digit account (or "unknown"), an ENI, addresses, numbers,
 * times, an action and a log status in the first 14 fields. */
static bool line_is_default(struct rp_str line)
{
    struct rp_str t[NFIELDS + 2];
    size_t n = split(line, t, NFIELDS + 2), o = 0;
    if (n > NFIELDS + 1) return false;
    if (n > V2_FIELDS && cw_time_token(t[0])) o = 1;
    if (n - o < V2_FIELDS || all_fields_count(t[o]) != n - o) return false;
    struct rp_str *f = t + o;
    if (!all_digits(f[1], 12, 12) && !rp_str_eq_cstr(f[1], "unknown") && !dash(f[1])) return false;
    if (!rp_str_has_prefix(f[2], "eni-") && !dash(f[2])) return false;
    if (!addr_or_dash(f[3]) || !addr_or_dash(f[4])) return false;
    for (int i = 5; i <= 9; i++)
        if (!dash(f[i]) && !all_digits(f[i], 1, 20)) return false;
    if (!all_digits(f[10], 1, 12) || !all_digits(f[11], 1, 12)) return false;
    if (!dash(f[12]) && !rp_str_eq_cstr(f[12], "ACCEPT") && !rp_str_eq_cstr(f[12], "REJECT"))
        return false;
    return rp_str_eq_cstr(f[13], "OK") || rp_str_eq_cstr(f[13], "NODATA") ||
           rp_str_eq_cstr(f[13], "SKIPDATA") || dash(f[13]);
}

/* 100 for a header of documented names, 90 for a header with some unknown names, 90 for a
 * first line in the default layout or all fields of its version (95 with the path hint), 30 for
 * other text under a vpcflowlogs path, 0 for JSON and anything else. */
static int probe(const char *head, size_t n, const char *path)
{
    size_t i = 0;
    while (i < n && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n')) i++;
    if (i == n || head[i] == '{' || head[i] == '[') return 0;
    const char *nl = memchr(head + i, '\n', n - i);
    struct rp_str line = {head + i, nl ? (size_t)(nl - (head + i)) : n - i};
    if (line.len && line.p[line.len - 1] == '\r') line.len--;
    bool hint = path && strstr(path, "vpcflowlogs") != NULL;
    unsigned unknown = 0;
    if (header_parse(line, NULL, &unknown)) return unknown ? 90 : 100;
    if (line_is_default(line)) return hint ? 95 : 90;
    if (hint && (unsigned char)line.p[0] >= 0x20 && (unsigned char)line.p[0] < 0x7f) return 30;
    return 0;
}

/* ---- records ----------------------------------------------------------------------------- */

static rp_err file_begin(struct rp_ingest_ctx *cx, void *state, struct rp_errbuf *eb)
{
    (void)cx;
    (void)eb;
    layout_default(state);
    return RP_OK;
}

#define QMAX 64 /* bytes of a bad value quoted in a reject reason */

static size_t qlen(struct rp_str t)
{
    return t.len < QMAX ? t.len : QMAX;
}

static struct rp_ingest_val addr_val(struct rp_str t, char *buf)
{
    struct rp_ip ip;
    if (!t.p || rp_ip_parse(t, &ip, NULL) != RP_OK || rp_ip_format(&ip, buf, RP_IP_STRBUFSZ))
        return (struct rp_ingest_val){0};
    return rp_ingest_val_text(buf, strlen(buf));
}

static rp_err record(struct rp_ingest_ctx *cx, void *state, const struct rp_ingest_rec *rec,
                     struct rp_errbuf *eb)
{
    struct vf_state *st = state;
    struct rp_str line = {rec->p, rec->n};
    struct rp_str tok[VF_MAX_TOKENS + 1];
    struct rp_ingest_val v[NCOLS];
    struct rp_str fv[NFIELDS]; /* each field's text, p == NULL when absent or '-' */
    int64_t ms[2] = {0, 0};    /* start, end in ms */
    bool have[2] = {false, false};
    char src[RP_IP_STRBUFSZ], dst[RP_IP_STRBUFSZ];

    if (st->nfields == 0) layout_default(st); /* no file_begin (tests feeding records) */
    if (rec->n && rec->p[0] >= 'a' && rec->p[0] <= 'z' && header_parse(line, st, NULL)) {
        st->header = true;
        return RP_OK; /* a header: sets the field order, no row */
    }

    size_t n = split(line, tok, VF_MAX_TOKENS + 1), o = 0;
    unsigned nf = st->nfields;
    bool ident = false; /* all fields of a version, in the documented order */
    if (n == nf + 1 && cw_time_token(tok[0]))
        o = 1;
    else if (n != nf) {
        if (!st->header && n > V2_FIELDS) {
            o = cw_time_token(tok[0]) ? 1 : 0;
            ident = all_fields_count(tok[o]) == n - o;
        }
        if (!ident) return rp_fail(eb, RP_EPARSE, "vpcflow: expected %u fields, found %zu", nf, n);
        nf = (unsigned)(n - o);
    }

    memset(v, 0, sizeof v);
    memset(fv, 0, sizeof fv);
    for (unsigned i = 0; i < nf; i++) {
        int f = ident ? (int)i : st->map[i];
        struct rp_str t = tok[o + i];
        if (f < 0 || dash(t)) continue;
        const struct vf_field *fd = &fields[f];
        uint64_t u = 0;
        struct rp_ip ip;
        switch (fd->type) {
        case F_TEXT:
            v[f] = rp_ingest_val_str(t);
            break;
        case F_INT:
            if (rp_str_to_u64(t, &u) != RP_OK || u > (uint64_t)fd->max)
                return rp_fail(eb, RP_EPARSE, "vpcflow: bad number '%.*s' in field '%s'",
                               (int)qlen(t), t.p, fd->name);
            v[f] = rp_ingest_val_int((int64_t)u);
            break;
        case F_ADDR:
            if (rp_ip_parse(t, &ip, NULL) != RP_OK)
                return rp_fail(eb, RP_EPARSE, "vpcflow: bad address '%.*s' in field '%s'",
                               (int)qlen(t), t.p, fd->name);
            v[f] = rp_ingest_val_str(t);
            break;
        case F_TIME: {
            int k = f == FI_START ? 0 : 1;
            if (!all_digits(t, 1, 19))
                return rp_fail(eb, RP_EPARSE, "vpcflow: bad number '%.*s' in field '%s'",
                               (int)qlen(t), t.p, fd->name);
            if (rp_time_parse_epoch_s(t, &ms[k], NULL) != RP_OK)
                return rp_fail(eb, RP_EPARSE, "vpcflow: bad time '%.*s' in field '%s'",
                               (int)qlen(t), t.p, fd->name);
            have[k] = true;
            v[f] = rp_ingest_val_int(ms[k] / 1000);
            break;
        }
        }
        fv[f] = t;
    }

    if (have[0])
        v[COL_TIME] = rp_ingest_val_int(ms[0]);
    else if (have[1])
        v[COL_TIME] = rp_ingest_val_int(ms[1]);
    else
        return rp_fail(eb, RP_EPARSE, "vpcflow: record has no 'start' or 'end' time");

    /* The record's own account when it is one ("unknown" for some service ENIs), else the
     * account of the S3 key. */
    if (all_digits(fv[FI_ACCOUNT], 12, 12))
        v[COL_ACCOUNT] = rp_ingest_val_str(fv[FI_ACCOUNT]);
    else
        v[COL_ACCOUNT] = rp_ingest_val_str(cx->layout->account);
    v[COL_REGION] = rp_ingest_val_str(fv[FI_REGION].p ? fv[FI_REGION] : cx->layout->region);
    v[COL_SRC_IP] = addr_val(fv[FI_SRCADDR].p ? fv[FI_SRCADDR] : fv[FI_PKT_SRCADDR], src);
    v[COL_DST_IP] = addr_val(fv[FI_DSTADDR].p ? fv[FI_DSTADDR] : fv[FI_PKT_DSTADDR], dst);
    v[COL_SRC_PORT] = v[FI_SRCPORT];
    v[COL_DST_PORT] = v[FI_DSTPORT];
    return rp_ingest_emit(cx, 0, v, eb);
}

const struct rp_ingest_source rp_ingest_src_vpcflow = {
    .name = "vpcflow",
    .summary = "VPC Flow Logs text records, versions 2-8, default or custom field order",
    .kind = RP_INGEST_VPCFLOW,
    .framing = RP_INGEST_FRAME_LINES,
    .containers = NULL,
    .tables = tables,
    .ntables = RP_ARRAY_LEN(tables),
    .probe = probe,
    .state_size = sizeof(struct vf_state),
    .file_begin = file_begin,
    .record = record,
};
