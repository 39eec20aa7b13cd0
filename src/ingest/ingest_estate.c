/* SPDX-License-Identifier: Apache-2.0 */
/* ingest_estate: the JSON estate files (docs/ingest-estate.md, data/schemas/store/0017_estate.sql),
 * format "estate": what the AWS CLI prints for
 *   aws iam get-account-summary            {"SummaryMap": {..}}      -> iam-account-summary
 *   aws iam get-account-password-policy    {"PasswordPolicy": {..}}  -> iam-password-policy
 *     or its NoSuchEntity error document   {"Error": {"Code": "NoSuchEntity", ..}} -> null
 *   aws ec2 describe-snapshots             {"Snapshots": [..]}       -> ec2-snapshots
 *   aws ec2 get-ebs-encryption-by-default  {"EbsEncryptionByDefault": b}
 *                                          -> ec2-ebs-encryption-by-default
 *   aws iam list-virtual-mfa-devices       {"VirtualMFADevices": [..]} -> iam-virtual-mfa-devices
 *   aws iam get-credential-report          {"Content": <base64 CSV>, "GeneratedTime": ..}
 * All but the credential report become one estate_documents row each (the part rules read,
 * compact JSON); the credential report becomes one iam_credential_report row per user (CSV
 * helpers shared with ingest_estate_credreport.c). Each file is one JSON document
 * (RP_INGEST_FRAME_JSON, no container keys), sniffed by content; the path
 * (estate/<acct>/iam|ec2/<region>/YYYY/MM/DD/, and the simulator's file names) gives the account,
 * the region and the time. */
#define RP_LOG_MODULE "ingest"
#include <string.h>

#include "core/rp_buf.h"
#include "core/rp_json.h"
#include "core/rp_str.h"
#include "core/rp_time.h"
#include "ingest/ingest_estate.h"
#include "ingest/ingest_layout.h"
#include "core/rp_banned.h"

/* ---- paths ------------------------------------------------------------------------------- */

static bool digits(struct rp_str s, size_t lo, size_t hi)
{
    if (s.len < lo || s.len > hi) return false;
    for (size_t i = 0; i < s.len; i++)
        if (s.p[i] < '0' || s.p[i] > '9') return false;
    return true;
}

static bool regionlike(struct rp_str s)
{
    bool dash = false;
    if (s.len < 4 || s.len >= sizeof(((struct rp_estate_path *)0)->region)) return false;
    for (size_t i = 0; i < s.len; i++) {
        char c = s.p[i];
        if (c == '-')
            dash = true;
        else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
            return false;
    }
    return dash && s.p[0] >= 'a' && s.p[0] <= 'z';
}

static unsigned num(struct rp_str s)
{
    unsigned v = 0;
    for (size_t i = 0; i < s.len; i++) v = v * 10 + (unsigned)(s.p[i] - '0');
    return v;
}

#define MAX_COMPONENTS 64

void rp_ingest_estate_path(const char *path, struct rp_estate_path *out)
{
    memset(out, 0, sizeof *out);
    out->time_ms = -1;
    if (!path) return;
    struct rp_str c[MAX_COMPONENTS], rest = rp_str_from(path), t;
    size_t n = 0;
    while (rp_str_split_next(&rest, '/', &t))
        if (t.len && n < MAX_COMPONENTS) c[n++] = t;
    if (n == 0) return;
    struct rp_str name = c[n - 1];
    int64_t day_ms = -1;
    size_t e = SIZE_MAX;
    for (size_t i = 0; i + 1 < n; i++)
        if (rp_str_eq_cstr(c[i], "estate")) e = i;
    if (e != SIZE_MAX) {
        out->estate = true;
        size_t i = e + 1;
        if (i + 1 < n && digits(c[i], 12, 12)) {
            memcpy(out->account, c[i].p, 12);
            i++;
        }
        if (i + 1 < n && (rp_str_eq_cstr(c[i], "iam") || rp_str_eq_cstr(c[i], "ec2"))) {
            bool ec2 = rp_str_eq_cstr(c[i], "ec2");
            i++;
            if (ec2 && i + 1 < n && regionlike(c[i])) {
                memcpy(out->region, c[i].p, c[i].len);
                i++;
            }
        }
        if (i + 3 < n && digits(c[i], 4, 4) && digits(c[i + 1], 1, 2) && digits(c[i + 2], 1, 2)) {
            unsigned y = num(c[i]), m = num(c[i + 1]), d = num(c[i + 2]);
            struct rp_time_civil cv = {.year = (int)y, .month = (int)m, .day = (int)d};
            int64_t ms;
            if (rp_time_from_civil(&cv, &ms) == RP_OK) day_ms = ms;
        }
    }
    /* the file name: <acct>_<svc>_<what>[_<region>]_<stamp>.<ext> */
    struct rp_str tok[16], nrest = name;
    size_t nt = 0;
    while (nt < RP_ARRAY_LEN(tok) && rp_str_split_next(&nrest, '_', &t)) tok[nt++] = t;
    if (nt && !out->account[0] && digits(tok[0], 12, 12)) memcpy(out->account, tok[0].p, 12);
    for (size_t i = 0; i < nt; i++) {
        if (rp_str_eq_cstr(tok[i], "account-summary")) out->hint = RP_ESTATE_HINT_SUMMARY;
        if (rp_str_eq_cstr(tok[i], "password-policy")) out->hint = RP_ESTATE_HINT_PASSWORD;
        if (rp_str_has_prefix(tok[i], "credential-report")) out->hint = RP_ESTATE_HINT_CREDREPORT;
        if (rp_str_eq_cstr(tok[i], "snapshots")) {
            out->hint = RP_ESTATE_HINT_SNAPSHOTS;
            if (!out->region[0] && i + 1 < nt && regionlike(tok[i + 1]))
                memcpy(out->region, tok[i + 1].p, tok[i + 1].len);
        }
    }
    struct rp_ingest_key k;
    rp_ingest_key_parse(path, strlen(path), false, &k);
    out->time_ms = k.name_ms >= 0 ? k.name_ms : day_ms;
}

/* ---- base64 (the credential report's Content) --------------------------------------------- */

static int b64v(unsigned char c)
{
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

/* Decode s into out (whitespace skipped, '=' padding optional). false for anything else. */
static bool b64_decode(struct rp_str s, struct rp_buf *out)
{
    uint32_t acc = 0;
    int bits = 0;
    bool pad = false;
    for (size_t i = 0; i < s.len; i++) {
        unsigned char c = (unsigned char)s.p[i];
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
        if (c == '=') {
            pad = true;
            continue;
        }
        int v = b64v(c);
        if (v < 0 || pad) return false;
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (rp_buf_putc(out, (char)((acc >> bits) & 0xff))) return false;
        }
    }
    return bits < 6;
}

/* ---- the "estate" format ------------------------------------------------------------------ */

#define C(n, t)                                                                                    \
    {                                                                                              \
        n, RP_INGEST_COL_##t                                                                       \
    }
static const struct rp_ingest_col doc_cols[] = {
    C("kind", TEXT),      C("rp_account", TEXT), C("rp_region", TEXT),
    C("rp_time_ms", INT), C("document", JSON),
};
#undef C

enum { D_KIND, D_ACCOUNT, D_REGION, D_TIME, D_DOC, ND };
_Static_assert(RP_ARRAY_LEN(doc_cols) == ND, "column enum matches doc_cols[]");

enum { TBL_DOCS, TBL_CREDREPORT };

static const struct rp_ingest_table tables[] = {
    [TBL_DOCS] = {.name = "estate_documents",
                  .cols = doc_cols,
                  .ncols = ND,
                  .time_col = D_TIME,
                  .insert_sql = NULL},
    [TBL_CREDREPORT] = RP_INGEST_ESTATE_CR_TABLE,
};

enum kind {
    K_SUMMARY,
    K_PASSWORD,
    K_SNAPSHOTS,
    K_CREDREPORT,
    K_EBS_DEFAULT,
    K_VIRTUAL_MFA,
    NKINDS
};
static const char *const kind_names[NKINDS] = {
    "iam-account-summary",   "iam-password-policy",           "ec2-snapshots",
    "iam-credential-report", "ec2-ebs-encryption-by-default", "iam-virtual-mfa-devices"};

struct estate_state {
    struct rp_estate_path where;
    bool begun;
    unsigned seen[NKINDS]; /* documents of each kind in this file */
};

static size_t skip_ws(const char *h, size_t n, size_t i)
{
    while (i < n && (h[i] == ' ' || h[i] == '\t' || h[i] == '\n' || h[i] == '\r')) i++;
    return i;
}

/* The first key of the object at h[i] (h[i] == '{'), or an empty slice. */
static struct rp_str first_key(const char *h, size_t n, size_t i)
{
    i = skip_ws(h, n, i + 1);
    if (i >= n || h[i] != '"') return (struct rp_str){NULL, 0};
    size_t s = ++i;
    while (i < n && h[i] != '"' && h[i] != '\\') i++;
    if (i >= n || h[i] != '"') return (struct rp_str){NULL, 0};
    return (struct rp_str){h + s, i - s};
}

static bool contains(const char *h, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (h[i] == needle[0] && memcmp(h + i, needle, k) == 0) return true;
    return false;
}

static bool mentions_password_policy(const char *s, size_t n)
{
    static const char w[] = "password policy";
    size_t k = sizeof w - 1;
    for (size_t i = 0; i + k <= n; i++) {
        size_t j = 0;
        while (j < k && (s[i + j] | 0x20) == w[j]) j++;
        if (j == k) return true;
    }
    return false;
}

static int probe(const char *head, size_t n, const char *path)
{
    size_t i = skip_ws(head, n, 0);
    if (n - i >= 3 && memcmp(head + i, "\xef\xbb\xbf", 3) == 0) i = skip_ws(head, n, i + 3);
    if (i >= n || head[i] != '{') return 0;
    struct rp_estate_path where;
    rp_ingest_estate_path(path, &where);
    int bonus = where.estate ? 5 : 0;
    struct rp_str k = first_key(head, n, i);
    const char *h = head + i;
    size_t hn = n - i;
    if (rp_str_eq_cstr(k, "SummaryMap") || rp_str_eq_cstr(k, "PasswordPolicy")) return 100;
    if (rp_str_eq_cstr(k, "EbsEncryptionByDefault")) return 100;
    if (rp_str_eq_cstr(k, "VirtualMFADevices")) return 100;
    if (rp_str_eq_cstr(k, "Snapshots")) {
        if (contains(h, hn, "\"SnapshotId\"") || where.hint == RP_ESTATE_HINT_SNAPSHOTS) return 100;
        return 50 + bonus; /* another service's Snapshots? record() checks */
    }
    if (rp_str_eq_cstr(k, "Content") &&
        (contains(h, hn, "\"dXNlcixhcm4s") || where.hint == RP_ESTATE_HINT_CREDREPORT))
        return 95 + bonus;
    if (contains(h, hn, "\"NoSuchEntity\"") && contains(h, hn, "\"Error\"") &&
        (where.hint == RP_ESTATE_HINT_PASSWORD || mentions_password_policy(h, hn)))
        return 95 + bonus;
    /* keys in another order (jq, --query): weaker */
    if (contains(h, hn, "\"SummaryMap\":") || contains(h, hn, "\"PasswordPolicy\":"))
        return 80 + bonus;
    return 0;
}

static rp_err file_begin(struct rp_ingest_ctx *cx, void *state, struct rp_errbuf *eb)
{
    (void)eb;
    struct estate_state *st = state;
    memset(st, 0, sizeof *st);
    rp_ingest_estate_path(cx->path, &st->where);
    if (!st->where.account[0] && cx->layout->account.p && cx->layout->account.len == 12)
        memcpy(st->where.account, cx->layout->account.p, 12);
    if (!st->where.region[0] && cx->layout->region.p &&
        cx->layout->region.len < sizeof st->where.region)
        memcpy(st->where.region, cx->layout->region.p, cx->layout->region.len);
    if (st->where.time_ms < 0 && cx->layout->day_ms >= 0) st->where.time_ms = cx->layout->day_ms;
    st->begun = true;
    return RP_OK;
}

/* The 12 digits after "domain name " in a NoSuchEntity message, or "". */
static void account_from_message(struct rp_str msg, char acct[13])
{
    static const char k[] = "domain name ";
    for (size_t i = 0; i + sizeof k - 1 + 12 <= msg.len; i++)
        if (memcmp(msg.p + i, k, sizeof k - 1) == 0 &&
            digits((struct rp_str){msg.p + i + sizeof k - 1, 12}, 12, 12)) {
            memcpy(acct, msg.p + i + sizeof k - 1, 12);
            acct[12] = 0;
            return;
        }
}

static rp_err no_time(struct rp_errbuf *eb)
{
    return rp_fail(eb, RP_EPARSE,
                   "estate: no time (no YYYYMMDDTHHMMSSZ stamp in the file name, no YYYY/MM/DD in "
                   "the path)");
}

/* The credential report inside get-credential-report JSON. */
static rp_err credreport(struct rp_ingest_ctx *cx, struct estate_state *st, struct rp_json_val root,
                         struct rp_errbuf *eb)
{
    struct rp_str content, fmt, gen;
    if (rp_json_obj_get_str(root, "Content", &content) != RP_OK)
        return rp_fail(eb, RP_EPARSE, "estate: credential report 'Content' is not text");
    if (rp_json_obj_get_str(root, "ReportFormat", &fmt) == RP_OK &&
        !rp_str_eq_cstr(fmt, "text/csv"))
        return rp_fail(eb, RP_EPARSE, "estate: credential report format '%.*s' is not text/csv",
                       (int)(fmt.len > 40 ? 40 : fmt.len), fmt.p);
    int64_t t = st->where.time_ms;
    if (rp_json_obj_get_str(root, "GeneratedTime", &gen) == RP_OK &&
        rp_time_parse_iso(gen, &t, NULL) != RP_OK)
        return rp_fail(eb, RP_EPARSE, "estate: bad 'GeneratedTime'");
    if (t < 0) return no_time(eb);
    struct rp_buf csv;
    rp_buf_init(&csv, RP_MAX_RECORD_BYTES);
    rp_err e = RP_OK;
    if (!b64_decode(content, &csv)) {
        rp_buf_release(&csv);
        return rp_fail(eb, RP_EPARSE, "estate: credential report 'Content' is not base64");
    }
    struct rp_estate_cr_header h = {0};
    struct rp_str rest = {csv.data ? csv.data : "", csv.len}, line;
    size_t lineno = 0;
    while (!e && rp_str_split_next(&rest, '\n', &line)) {
        lineno++;
        if (line.len && line.p[line.len - 1] == '\r') line.len--;
        if (line.len == 0) continue;
        struct rp_errbuf leb = {0};
        if (h.ncols == 0) {
            if (!rp_ingest_estate_cr_is_header(line.p, line.len))
                e = rp_fail(eb, RP_EPARSE,
                            "estate: the credential report does not start with its header");
            else if (rp_ingest_estate_cr_header(line.p, line.len, &h, &leb) != RP_OK)
                e = rp_fail(eb, RP_EPARSE, "estate: %s", leb.msg);
            continue;
        }
        e = rp_ingest_estate_cr_row(cx, TBL_CREDREPORT, &h, line.p, line.len, st->where.account, t,
                                    &leb);
        if (e == RP_EPARSE)
            e = rp_fail(eb, RP_EPARSE, "estate: line %zu of the %s", lineno, leb.msg);
        else if (e)
            e = rp_fail(eb, e, "%s", leb.msg);
    }
    if (!e && h.ncols == 0) e = rp_fail(eb, RP_EPARSE, "estate: the credential report is empty");
    rp_buf_release(&csv);
    return e;
}

static rp_err record(struct rp_ingest_ctx *cx, void *state, const struct rp_ingest_rec *rec,
                     struct rp_errbuf *eb)
{
    struct estate_state *st = state;
    if (!st->begun) {
        rp_err e = file_begin(cx, st, eb);
        if (e) return e;
    }
    struct rp_json_val root = rec->json, v, err;
    if (rp_json_type(root) != RP_JSON_OBJECT)
        return rp_fail(eb, RP_EPARSE, "estate: the document is not an object");
    enum kind k = NKINDS;
    struct rp_json_val doc = {0};
    char acct[13] = "";
    if (rp_json_obj_get(root, "SummaryMap", &v) == RP_OK) {
        if (rp_json_type(v) != RP_JSON_OBJECT)
            return rp_fail(eb, RP_EPARSE, "estate: 'SummaryMap' is not an object");
        k = K_SUMMARY;
        doc = v;
    } else if (rp_json_obj_get(root, "PasswordPolicy", &v) == RP_OK) {
        if (rp_json_type(v) != RP_JSON_OBJECT)
            return rp_fail(eb, RP_EPARSE, "estate: 'PasswordPolicy' is not an object");
        k = K_PASSWORD;
        doc = v;
    } else if (rp_json_obj_get(root, "Snapshots", &v) == RP_OK) {
        if (rp_json_type(v) != RP_JSON_ARRAY)
            return rp_fail(eb, RP_EPARSE, "estate: 'Snapshots' is not an array");
        struct rp_json_iter it;
        struct rp_json_val s;
        size_t i = 0;
        if (rp_json_arr_iter(v, &it) != RP_OK) return rp_fail(eb, RP_EPARSE, "estate: bad array");
        while (rp_json_arr_next(&it, &s)) {
            struct rp_str id, owner;
            if (rp_json_type(s) != RP_JSON_OBJECT ||
                rp_json_obj_get_str(s, "SnapshotId", &id) != RP_OK)
                return rp_fail(eb, RP_EPARSE,
                               "estate: snapshot %zu has no 'SnapshotId' (not EC2 snapshots?)", i);
            if (!acct[0] && rp_json_obj_get_str(s, "OwnerId", &owner) == RP_OK &&
                digits(owner, 12, 12))
                memcpy(acct, owner.p, 12);
            i++;
        }
        k = K_SNAPSHOTS;
        doc = v;
    } else if (rp_json_obj_get(root, "EbsEncryptionByDefault", &v) == RP_OK) {
        /* aws ec2 get-ebs-encryption-by-default (per region) */
        if (rp_json_type(v) != RP_JSON_BOOL)
            return rp_fail(eb, RP_EPARSE, "estate: 'EbsEncryptionByDefault' is not true or false");
        k = K_EBS_DEFAULT;
        doc = v;
    } else if (rp_json_obj_get(root, "VirtualMFADevices", &v) == RP_OK) {
        /* aws iam list-virtual-mfa-devices: every device has its SerialNumber (an ARN) */
        if (rp_json_type(v) != RP_JSON_ARRAY)
            return rp_fail(eb, RP_EPARSE, "estate: 'VirtualMFADevices' is not an array");
        struct rp_json_iter it;
        struct rp_json_val d;
        size_t i = 0;
        if (rp_json_arr_iter(v, &it) != RP_OK) return rp_fail(eb, RP_EPARSE, "estate: bad array");
        while (rp_json_arr_next(&it, &d)) {
            struct rp_str sn;
            if (rp_json_type(d) != RP_JSON_OBJECT ||
                rp_json_obj_get_str(d, "SerialNumber", &sn) != RP_OK)
                return rp_fail(eb, RP_EPARSE,
                               "estate: virtual MFA device %zu has no 'SerialNumber'", i);
            /* arn:aws:iam::<account>:mfa/<name> */
            if (!acct[0] && sn.len > 13 + 12 && memcmp(sn.p, "arn:aws:iam::", 13) == 0 &&
                digits((struct rp_str){sn.p + 13, 12}, 12, 12))
                memcpy(acct, sn.p + 13, 12);
            i++;
        }
        k = K_VIRTUAL_MFA;
        doc = v;
    } else if (rp_json_obj_get(root, "Content", &v) == RP_OK) {
        k = K_CREDREPORT;
    } else if (rp_json_obj_get(root, "Error", &err) == RP_OK) {
        struct rp_str code = {NULL, 0}, msg = {NULL, 0};
        if (rp_json_obj_get_str(err, "Code", &code) != RP_OK ||
            !rp_str_eq_cstr(code, "NoSuchEntity"))
            return rp_fail(eb, RP_EPARSE, "estate: an error document other than NoSuchEntity");
        if (rp_json_obj_get_str(err, "Message", &msg) != RP_OK) msg = (struct rp_str){"", 0};
        if (st->where.hint != RP_ESTATE_HINT_PASSWORD && !mentions_password_policy(msg.p, msg.len))
            return rp_fail(eb, RP_EPARSE,
                           "estate: a NoSuchEntity error that is not about the password policy");
        account_from_message(msg, acct);
        k = K_PASSWORD; /* doc stays "no value": stored as JSON null */
    } else {
        return rp_fail(eb, RP_EPARSE,
                       "estate: not an estate document (no SummaryMap, PasswordPolicy, Snapshots, "
                       "credential report Content or NoSuchEntity error)");
    }
    if (st->seen[k]++)
        return rp_fail(eb, RP_EPARSE, "estate: a second %s document in one file", kind_names[k]);
    if (st->where.account[0]) memcpy(acct, st->where.account, 13);
    if (k == K_CREDREPORT) return credreport(cx, st, root, eb);
    if (!acct[0])
        return rp_fail(eb, RP_EPARSE,
                       "estate: no account (put the file under estate/<account>/ or name it "
                       "<account>_...)");
    const char *region = "";
    if (k == K_SNAPSHOTS || k == K_EBS_DEFAULT) {
        region = st->where.region;
        if (!region[0])
            return rp_fail(eb, RP_EPARSE,
                           "estate: no region for the %s (put the file under "
                           "estate/<account>/ec2/<region>/)",
                           k == K_SNAPSHOTS ? "snapshots" : "EBS encryption default");
    }
    if (st->where.time_ms < 0) return no_time(eb);
    struct rp_buf b;
    rp_buf_init(&b, RP_MAX_RECORD_BYTES);
    rp_err e = rp_json_type(doc) == RP_JSON_NONE ? rp_buf_append_str(&b, "null")
                                                 : rp_json_serialize(doc, &b);
    if (e) {
        rp_buf_release(&b);
        return rp_fail(eb, e, "estate: %s", rp_strerror(e));
    }
    struct rp_ingest_val vals[ND] = {
        [D_KIND] = rp_ingest_val_text(kind_names[k], strlen(kind_names[k])),
        [D_ACCOUNT] = rp_ingest_val_text(acct, strlen(acct)),
        [D_REGION] = rp_ingest_val_text(region, strlen(region)),
        [D_TIME] = rp_ingest_val_int(st->where.time_ms),
        [D_DOC] = rp_ingest_val_text(b.data, b.len),
    };
    e = rp_ingest_emit(cx, TBL_DOCS, vals, eb);
    rp_buf_release(&b);
    return e;
}

const struct rp_ingest_source rp_ingest_src_estate = {
    .name = "estate",
    .summary = "IAM account summary, password policy, credential report JSON, EC2 snapshots",
    .kind = RP_INGEST_CONFIG,
    .framing = RP_INGEST_FRAME_JSON,
    .containers = NULL,
    .tables = tables,
    .ntables = RP_ARRAY_LEN(tables),
    .probe = probe,
    .state_size = sizeof(struct estate_state),
    .file_begin = file_begin,
    .record = record,
};
