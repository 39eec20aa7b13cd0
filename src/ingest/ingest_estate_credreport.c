/* SPDX-License-Identifier: Apache-2.0 */
/* ingest_estate_credreport: the IAM credential report as CSV (what `aws iam
 * generate-credential-report` then `get-credential-report` produce, base64-decoded) into
 * iam_credential_report (data/schemas/store/0017_estate.sql, docs/ingest-estate.md), format
 * "credreport". One record per line (RP_INGEST_FRAME_LINES): the first line is the header
 * ("user,arn,user_creation_time,..."), kept in per-file state; every later line is one user
 * (the '<root_account>' row included) and becomes one row whose `row` column is a JSON object
 * keyed by the header, values as the CSV text.
 *
 * The CSV helpers here are shared with ingest_estate.c, which reads the same report from the
 * JSON of get-credential-report (base64 Content). The account is the one in each user's ARN,
 * else the path's; the time is the file's delivery stamp, else the date in its path. */
#define RP_LOG_MODULE "ingest"
#include <string.h>

#include "core/rp_buf.h"
#include "core/rp_json.h"
#include "core/rp_str.h"
#include "ingest/ingest_estate.h"
#include "core/rp_banned.h"

#define C(n, t)                                                                                    \
    {                                                                                              \
        n, RP_INGEST_COL_##t                                                                       \
    }
const struct rp_ingest_col rp_ingest_estate_cr_cols[RP_INGEST_ESTATE_CR_NCOLS] = {
    C("rp_account", TEXT), C("rp_time_ms", INT), C("user", TEXT), C("arn", TEXT), C("row", JSON),
};
#undef C

enum { CR_ACCOUNT, CR_TIME, CR_USER, CR_ARN, CR_ROW };

/* ---- CSV -------------------------------------------------------------------------------- */

struct field {
    const char *p;
    size_t n;
};

/* Split one CSV line (RFC 4180 quoting: "a,b" and "" inside quotes). Fields that needed
 * unquoting are copied into the arena. Returns the field count, or -1 for a bad quote, -2 past
 * max fields, -3 on allocation failure. */
static long split_csv(struct rp_arena *a, const char *s, size_t n, struct field *out, size_t max)
{
    size_t i = 0, nf = 0;
    for (;;) {
        if (nf == max) return -2;
        if (i < n && s[i] == '"') {
            char *buf = rp_arena_alloc(a, n - i + 1);
            if (!buf) return -3;
            size_t bl = 0;
            i++;
            for (;;) {
                if (i >= n) return -1;
                if (s[i] == '"') {
                    if (i + 1 < n && s[i + 1] == '"') {
                        buf[bl++] = '"';
                        i += 2;
                        continue;
                    }
                    i++;
                    break;
                }
                buf[bl++] = s[i++];
            }
            buf[bl] = 0;
            out[nf++] = (struct field){buf, bl};
            if (i < n && s[i] != ',') return -1;
        } else {
            size_t st = i;
            while (i < n && s[i] != ',') {
                if (s[i] == '"') return -1;
                i++;
            }
            out[nf++] = (struct field){s + st, i - st};
        }
        if (i >= n) break;
        i++; /* the comma */
    }
    return (long)nf;
}

static const char cr_header_start[] = "user,arn,user_creation_time";

bool rp_ingest_estate_cr_is_header(const char *line, size_t n)
{
    size_t k = sizeof cr_header_start - 1;
    if (n >= 3 && memcmp(line, "\xef\xbb\xbf", 3) == 0) {
        line += 3;
        n -= 3;
    }
    return n >= k && memcmp(line, cr_header_start, k) == 0 && (n == k || line[k] == ',');
}

rp_err rp_ingest_estate_cr_header(const char *line, size_t n, struct rp_estate_cr_header *h,
                                  struct rp_errbuf *eb)
{
    memset(h, 0, sizeof *h);
    if (n >= 3 && memcmp(line, "\xef\xbb\xbf", 3) == 0) {
        line += 3;
        n -= 3;
    }
    struct rp_str rest = {line, n}, t;
    bool has_user = false, has_arn = false;
    size_t nc = 0;
    while (rp_str_split_next(&rest, ',', &t)) {
        if (nc == RP_ESTATE_CR_MAXCOLS)
            return rp_fail(eb, RP_EPARSE, "credential report: more than %d header columns",
                           RP_ESTATE_CR_MAXCOLS);
        if (t.len == 0 || t.len >= sizeof h->names[0])
            return rp_fail(eb, RP_EPARSE, "credential report: header column %zu is %s", nc + 1,
                           t.len ? "too long" : "empty");
        memcpy(h->names[nc], t.p, t.len);
        h->names[nc][t.len] = 0;
        if (rp_str_eq_cstr(t, "user")) {
            h->user_col = nc;
            has_user = true;
        }
        if (rp_str_eq_cstr(t, "arn")) {
            h->arn_col = nc;
            has_arn = true;
        }
        nc++;
    }
    if (!has_user || !has_arn) {
        memset(h, 0, sizeof *h);
        return rp_fail(eb, RP_EPARSE,
                       "credential report: the header has no 'user' and 'arn' columns");
    }
    h->ncols = nc;
    return RP_OK;
}

static bool twelve_digits(const char *p, size_t n)
{
    if (n != 12) return false;
    for (size_t i = 0; i < n; i++)
        if (p[i] < '0' || p[i] > '9') return false;
    return true;
}

rp_err rp_ingest_estate_cr_row(struct rp_ingest_ctx *cx, unsigned table,
                               const struct rp_estate_cr_header *h, const char *line, size_t n,
                               const char *fallback_account, int64_t time_ms, struct rp_errbuf *eb)
{
    struct field f[RP_ESTATE_CR_MAXCOLS + 1];
    long nf = split_csv(cx->arena, line, n, f, RP_ESTATE_CR_MAXCOLS + 1);
    if (nf == -3) return rp_fail(eb, RP_ENOMEM, "credential report: out of memory");
    if (nf == -1) return rp_fail(eb, RP_EPARSE, "credential report: bad quoting");
    if (nf < 0 || (size_t)nf != h->ncols)
        return rp_fail(eb, RP_EPARSE, "credential report: the row has %s%ld fields, the header %zu",
                       nf < 0 ? "more than " : "", nf < 0 ? (long)RP_ESTATE_CR_MAXCOLS : nf,
                       h->ncols);
    struct field user = f[h->user_col], arn = f[h->arn_col];
    if (user.n == 0) return rp_fail(eb, RP_EPARSE, "credential report: empty 'user'");
    /* arn:aws:iam::<account>:root | :user/<path><name> */
    struct rp_str acct = {NULL, 0}, rest = {arn.p, arn.n}, t;
    for (int i = 0; i < 5 && rp_str_split_next(&rest, ':', &t); i++)
        if (i == 4) acct = t;
    if (!acct.p || !twelve_digits(acct.p, acct.len)) {
        if (!fallback_account || !fallback_account[0])
            return rp_fail(eb, RP_EPARSE,
                           "credential report: no account (the arn has none and neither has the "
                           "path)");
        acct = rp_str_from(fallback_account);
    }
    if (time_ms < 0)
        return rp_fail(eb, RP_EPARSE,
                       "credential report: no time (no YYYYMMDDTHHMMSSZ stamp in the file name, no "
                       "YYYY/MM/DD in the path)");
    struct rp_buf b;
    rp_buf_init(&b, RP_MAX_RECORD_BYTES);
    struct rp_json_writer w;
    rp_json_writer_init(&w, &b);
    rp_json_write_obj_begin(&w);
    for (size_t i = 0; i < h->ncols; i++) rp_json_write_kv_str(&w, h->names[i], f[i].p, f[i].n);
    rp_json_write_obj_end(&w);
    rp_err e = rp_json_writer_finish(&w);
    if (e) {
        rp_buf_release(&b);
        return rp_fail(eb, e, "credential report: %s", rp_strerror(e));
    }
    struct rp_ingest_val v[RP_INGEST_ESTATE_CR_NCOLS] = {
        [CR_ACCOUNT] = rp_ingest_val_text(acct.p, acct.len),
        [CR_TIME] = rp_ingest_val_int(time_ms),
        [CR_USER] = rp_ingest_val_text(user.p, user.n),
        [CR_ARN] = arn.n ? rp_ingest_val_text(arn.p, arn.n) : (struct rp_ingest_val){0},
        [CR_ROW] = rp_ingest_val_text(b.data, b.len),
    };
    e = rp_ingest_emit(cx, table, v, eb);
    rp_buf_release(&b);
    return e;
}

/* ---- the "credreport" format ------------------------------------------------------------- */

static const struct rp_ingest_table tables[] = {RP_INGEST_ESTATE_CR_TABLE};

struct cr_state {
    struct rp_estate_cr_header h;
    struct rp_estate_path where;
    bool begun;      /* file_begin ran (tests may feed records without it) */
    bool bad_header; /* the first line was not a header: every row is rejected */
};

static int probe(const char *head, size_t n, const char *path)
{
    const char *nl = memchr(head, '\n', n);
    size_t len = nl ? (size_t)(nl - head) : n;
    if (len && head[len - 1] == '\r') len--;
    if (rp_ingest_estate_cr_is_header(head, len)) return 100;
    bool hint = path && strstr(path, "credential-report") != NULL;
    if (hint && len >= 9 && memcmp(head, "user,arn,", 9) == 0) return 60;
    return 0;
}

static rp_err file_begin(struct rp_ingest_ctx *cx, void *state, struct rp_errbuf *eb)
{
    (void)eb;
    struct cr_state *st = state;
    memset(st, 0, sizeof *st);
    rp_ingest_estate_path(cx->path, &st->where);
    /* an AWSLogs-style key fills what the estate layout did not say */
    if (!st->where.account[0] && cx->layout->account.p && cx->layout->account.len == 12)
        memcpy(st->where.account, cx->layout->account.p, 12);
    if (st->where.time_ms < 0 && cx->layout->day_ms >= 0) st->where.time_ms = cx->layout->day_ms;
    st->begun = true;
    return RP_OK;
}

static rp_err record(struct rp_ingest_ctx *cx, void *state, const struct rp_ingest_rec *rec,
                     struct rp_errbuf *eb)
{
    struct cr_state *st = state;
    if (!st->begun) {
        rp_err e = file_begin(cx, st, eb);
        if (e) return e;
    }
    if (st->h.ncols == 0 && !st->bad_header) {
        if (rp_ingest_estate_cr_is_header(rec->p, rec->n))
            return rp_ingest_estate_cr_header(rec->p, rec->n, &st->h, eb);
        st->bad_header = true;
        return rp_fail(eb, RP_EPARSE,
                       "credential report: the first line is not the header "
                       "'user,arn,user_creation_time,...'");
    }
    if (st->bad_header)
        return rp_fail(eb, RP_EPARSE, "credential report: no header line before this row");
    return rp_ingest_estate_cr_row(cx, 0, &st->h, rec->p, rec->n, st->where.account,
                                   st->where.time_ms, eb);
}

const struct rp_ingest_source rp_ingest_src_estate_credreport = {
    .name = "credreport",
    .summary = "IAM credential report CSV (estate/<acct>/iam/..credential-report..csv)",
    .kind = RP_INGEST_CONFIG,
    .framing = RP_INGEST_FRAME_LINES,
    .containers = NULL,
    .tables = tables,
    .ntables = RP_ARRAY_LEN(tables),
    .probe = probe,
    .state_size = sizeof(struct cr_state),
    .file_begin = file_begin,
    .record = record,
};
