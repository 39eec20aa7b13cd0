/* SPDX-License-Identifier: Apache-2.0 */
/* Threat-list file formats (GuardDuty's Format enum, aws-facts §4.2; docs/threatintel.md):
 * TXT, STIX (2.x JSON bundles of indicators with STIX patterns, and STIX 1.x XML read by a
 * tolerant scan for address, domain, hostname and URI values), OTX_CSV, ALIEN_VAULT,
 * PROOF_POINT and FIRE_EYE (CSV by header). Each parser hands candidate entries, malformed
 * records and records without anything usable to a sink (detect_ti_store.c canonicalises,
 * counts and keeps the rejects); none of them allocates per record beyond a reused scratch
 * buffer, and none stops at a bad record. Also the format sniffer. */
#define RP_LOG_MODULE "detect"
#include <stdlib.h>
#include <string.h>

#include "core/rp_buf.h"
#include "core/rp_json.h"
#include "detect/detect_ti_internal.h"
#include "core/rp_banned.h"

static const char *const format_names[RP_DETECT_TI_FORMAT__COUNT] = {
    "TXT", "STIX", "OTX_CSV", "ALIEN_VAULT", "PROOF_POINT", "FIRE_EYE"};

const char *rp_detect_ti_format_name(enum rp_detect_ti_format f)
{
    return (unsigned)f < RP_DETECT_TI_FORMAT__COUNT ? format_names[f] : NULL;
}

rp_err rp_detect_ti_format_find(const char *s, enum rp_detect_ti_format *out, struct rp_errbuf *eb)
{
    for (unsigned f = 0; s && f < RP_DETECT_TI_FORMAT__COUNT; f++)
        if (rp_str_eq_nocase(rp_str_from(s), rp_str_from(format_names[f]))) {
            *out = (enum rp_detect_ti_format)f;
            return RP_OK;
        }
    return rp_fail(eb, RP_EINVAL,
                   "unknown list format '%s' (use TXT, STIX, OTX_CSV, ALIEN_VAULT, PROOF_POINT "
                   "or FIRE_EYE)",
                   s ? s : "");
}

/* ---- small helpers ------------------------------------------------------------------------ */

static char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c + ('a' - 'A')) : c;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

static struct rp_str skip_bom(struct rp_str s)
{
    if (s.len >= 3 && (unsigned char)s.p[0] == 0xEF && (unsigned char)s.p[1] == 0xBB &&
        (unsigned char)s.p[2] == 0xBF) {
        s.p += 3;
        s.len -= 3;
    }
    return s;
}

static bool has_sub(struct rp_str s, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; n && i + n <= s.len; i++)
        if (s.p[i] == needle[0] && memcmp(s.p + i, needle, n) == 0) return true;
    return false;
}

/* One line at a time: *line without its '\n' or "\r\n", *no 1-based, *off its byte offset. */
struct lines {
    struct rp_str in;
    size_t pos;
    int64_t no;
};

static bool line_next(struct lines *l, struct rp_str *line, int64_t *off)
{
    if (l->pos >= l->in.len) return false;
    const char *p = l->in.p + l->pos;
    size_t rest = l->in.len - l->pos;
    const char *nl = memchr(p, '\n', rest);
    size_t n = nl ? (size_t)(nl - p) : rest;
    *off = (int64_t)l->pos;
    l->pos += nl ? n + 1 : n;
    l->no++;
    if (n && p[n - 1] == '\r') n--;
    *line = (struct rp_str){p, n};
    return true;
}

/* A line holding nothing (blank or a '#' comment). */
static bool line_empty(struct rp_str t)
{
    t = rp_str_trim(t);
    return !t.len || t.p[0] == '#';
}

/* The host of a URL ("http://user@Evil.example:8080/x" -> "Evil.example", "[2001:db8::1]"
 * -> "2001:db8::1"); a value without "://" is taken as host[:port][/path]. */
static struct rp_str url_host(struct rp_str u)
{
    u = rp_str_trim(u);
    for (size_t i = 0; i + 2 < u.len; i++) {
        if (u.p[i] == ':' && u.p[i + 1] == '/' && u.p[i + 2] == '/') {
            u.p += i + 3;
            u.len -= i + 3;
            break;
        }
        if (u.p[i] == '/' || u.p[i] == '?') break;
    }
    size_t end = 0;
    while (end < u.len && u.p[end] != '/' && u.p[end] != '?' && u.p[end] != '#') end++;
    u.len = end;
    for (size_t i = u.len; i-- > 0;)
        if (u.p[i] == '@') {
            u.p += i + 1;
            u.len -= i + 1;
            break;
        }
    if (u.len && u.p[0] == '[') {
        const char *rb = memchr(u.p, ']', u.len);
        if (rb) return (struct rp_str){u.p + 1, (size_t)(rb - u.p) - 1};
        return u;
    }
    const char *colon = memchr(u.p, ':', u.len);
    if (colon && !memchr(colon + 1, ':', u.len - (size_t)(colon - u.p) - 1))
        u.len = (size_t)(colon - u.p);
    return u;
}

/* ---- TXT and ALIEN_VAULT ------------------------------------------------------------------- */

static rp_err parse_txt(struct rp_str in, const struct rp_det_ti_sink *s, struct rp_errbuf *eb)
{
    struct lines l = {.in = in, .pos = 0, .no = 0};
    struct rp_str line;
    int64_t off = 0;
    while (line_next(&l, &line, &off)) {
        if (line_empty(line)) continue;
        struct rp_str t = line;
        /* a comment after the entry: "203.0.113.7  # scanner" */
        for (size_t i = 1; i < t.len; i++)
            if (t.p[i] == '#' && is_space(t.p[i - 1])) {
                t.len = i;
                break;
            }
        struct rp_det_ti_rec rec = {.raw = line, .line = l.no, .offset = off};
        rp_err e = s->entry(s->ctx, rp_str_trim(t), &rec, eb);
        if (e) return e;
    }
    return RP_OK;
}

/* AlienVault's reputation feed: "IP#reliability#risk#activity#country#city#lat,lon#x". */
static rp_err parse_alien_vault(struct rp_str in, const struct rp_det_ti_sink *s,
                                struct rp_errbuf *eb)
{
    struct lines l = {.in = in, .pos = 0, .no = 0};
    struct rp_str line;
    int64_t off = 0;
    while (line_next(&l, &line, &off)) {
        if (line_empty(line)) continue;
        struct rp_str t = rp_str_trim(line);
        const char *hash = memchr(t.p, '#', t.len);
        if (hash) t.len = (size_t)(hash - t.p);
        struct rp_det_ti_rec rec = {.raw = line, .line = l.no, .offset = off};
        rp_err e = s->entry(s->ctx, rp_str_trim(t), &rec, eb);
        if (e) return e;
    }
    return RP_OK;
}

/* ---- CSV (RFC 4180) ------------------------------------------------------------------------ */

#define CSV_MAX_FIELDS 128

struct csv {
    struct rp_str in;
    size_t pos;
    int64_t line; /* lines consumed so far */
    struct rp_buf scratch;
    struct rp_str f[CSV_MAX_FIELDS];
    size_t nf;
    struct rp_det_ti_rec rec; /* the record: as written, its line and offset */
    bool unterminated;        /* a quoted field ran to the end of the input */
};

/* The next record: false at the end of input. Quoted fields are unescaped into scratch; fields
 * past CSV_MAX_FIELDS are dropped. RP_ENOMEM/RP_ELIMIT from the scratch buffer. */
static rp_err csv_next(struct csv *c, bool *got)
{
    *got = false;
    if (c->pos >= c->in.len) return RP_OK;
    const char *p = c->in.p;
    size_t n = c->in.len, i = c->pos, start = c->pos;
    c->rec = (struct rp_det_ti_rec){.line = c->line + 1, .offset = (int64_t)start};
    c->unterminated = false;
    /* find the record's end first, so scratch can be sized once */
    bool q = false;
    size_t end = i;
    for (; end < n; end++) {
        if (p[end] == '"')
            q = !q;
        else if (p[end] == '\n' && !q)
            break;
    }
    c->unterminated = q;
    size_t next = end < n ? end + 1 : end;
    for (size_t k = start; k < end; k++)
        if (p[k] == '\n') c->line++;
    c->line++;
    size_t rend = end;
    if (rend > start && p[rend - 1] == '\r') rend--;
    c->rec.raw = (struct rp_str){p + start, rend - start};
    rp_buf_reset(&c->scratch);
    rp_err e = rp_buf_reserve(&c->scratch, rend - start + 1);
    if (e) return e;
    char *out = c->scratch.data;
    size_t o = 0;
    c->nf = 0;
    i = start;
    while (i <= rend) {
        size_t fs = o;
        if (i < rend && p[i] == '"') {
            i++;
            while (i < rend) {
                if (p[i] == '"') {
                    if (i + 1 < rend && p[i + 1] == '"') {
                        out[o++] = '"';
                        i += 2;
                        continue;
                    }
                    i++;
                    break;
                }
                out[o++] = p[i++];
            }
            /* tolerate text after the closing quote: it belongs to the field */
            while (i < rend && p[i] != ',') out[o++] = p[i++];
        } else {
            while (i < rend && p[i] != ',') out[o++] = p[i++];
        }
        if (c->nf < CSV_MAX_FIELDS) c->f[c->nf++] = (struct rp_str){out + fs, o - fs};
        i++; /* past the comma (or past rend: done) */
    }
    c->pos = next;
    *got = true;
    return RP_OK;
}

static bool field_is(struct rp_str f, const char *name)
{
    return rp_str_eq_nocase(rp_str_trim(f), rp_str_from(name));
}

/* The column of the record whose header is one of names (NULL-terminated), or -1. */
static int csv_col(const struct csv *c, const char *const *names)
{
    for (size_t i = 0; i < c->nf; i++)
        for (size_t k = 0; names[k]; k++)
            if (field_is(c->f[i], names[k])) return (int)i;
    return -1;
}

static bool csv_blank(const struct csv *c)
{
    for (size_t i = 0; i < c->nf; i++)
        if (rp_str_trim(c->f[i]).len) return false;
    return true;
}

/* A comment line ("# exported 2026-01-01") outside any header. */
static bool csv_comment(const struct csv *c)
{
    struct rp_str t = rp_str_trim(c->rec.raw);
    return t.len && t.p[0] == '#';
}

static rp_err csv_reject_broken(const struct rp_det_ti_sink *s, struct csv *c, struct rp_errbuf *eb)
{
    return s->reject(s->ctx, "unterminated quoted field", &c->rec, eb);
}

/* OTX pulse export: "Indicator type,Indicator,Description". */
static rp_err parse_otx(struct csv *c, const struct rp_det_ti_sink *s, struct rp_errbuf *eb)
{
    static const char *const type_names[] = {"indicator type", "indicator_type", "type", NULL};
    static const char *const ind_names[] = {"indicator", NULL};
    static const char *const usable[] = {"ipv4", "ipv6", "cidr", "domain", "hostname", NULL};
    int tcol = 0, icol = 1;
    bool first = true, got = false;
    rp_err e;
    while (!(e = csv_next(c, &got)) && got) {
        if (csv_blank(c) || csv_comment(c)) continue;
        if (c->unterminated) {
            if ((e = csv_reject_broken(s, c, eb))) return e;
            continue;
        }
        if (first) {
            first = false;
            int t = csv_col(c, type_names), i = csv_col(c, ind_names);
            if (t >= 0 && i >= 0) {
                tcol = t;
                icol = i;
                continue;
            }
        }
        if ((size_t)icol >= c->nf || !rp_str_trim(c->f[icol]).len) {
            e = s->reject(s->ctx, "missing indicator", &c->rec, eb);
            if (e) return e;
            continue;
        }
        struct rp_str type = (size_t)tcol < c->nf ? rp_str_trim(c->f[tcol]) : (struct rp_str){0};
        bool ok = false;
        for (size_t k = 0; usable[k] && !ok; k++) ok = field_is(type, usable[k]);
        if (!ok) {
            if (s->ignored)
                s->ignored(s->ctx, "OTX indicators of types other than IPv4, IPv6, CIDR, domain "
                                   "and hostname");
            continue;
        }
        e = s->entry(s->ctx, rp_str_trim(c->f[icol]), &c->rec, eb);
        if (e) return e;
    }
    return e;
}

/* Proofpoint ET Intelligence: "ip,category,score,first_seen,last_seen,ports" (or domain,..). */
static rp_err parse_proofpoint(struct csv *c, const struct rp_det_ti_sink *s, struct rp_errbuf *eb)
{
    static const char *const names[] = {"ip", "domain", "hostname", NULL};
    int col = 0;
    bool first = true, got = false;
    rp_err e;
    while (!(e = csv_next(c, &got)) && got) {
        if (csv_blank(c) || csv_comment(c)) continue;
        if (c->unterminated) {
            if ((e = csv_reject_broken(s, c, eb))) return e;
            continue;
        }
        if (first) {
            first = false;
            int k = csv_col(c, names);
            if (k >= 0) {
                col = k;
                continue;
            }
        }
        struct rp_str v = (size_t)col < c->nf ? rp_str_trim(c->f[col]) : (struct rp_str){0};
        if (!v.len) {
            e = s->reject(s->ctx, "missing address or domain", &c->rec, eb);
        } else {
            e = s->entry(s->ctx, v, &c->rec, eb);
        }
        if (e) return e;
    }
    return e;
}

/* FireEye iSIGHT CSV export: the header names the columns; every non-empty ip, domain, cidr
 * or url (its host) cell of a row is an entry. */
static rp_err parse_fireeye(struct csv *c, const struct rp_det_ti_sink *s, struct rp_errbuf *eb)
{
    static const char *const direct[] = {"ip",   "ipaddress", "ip_address", "ipv4", "ipv6",
                                         "cidr", "domain",    "hostname",   "fqdn", NULL};
    static const char *const urls[] = {"url", NULL};
    bool cols[CSV_MAX_FIELDS] = {false}, urlcol[CSV_MAX_FIELDS] = {false};
    bool header = false, got = false;
    rp_err e;
    while (!(e = csv_next(c, &got)) && got) {
        if (csv_blank(c) || csv_comment(c)) continue;
        if (!header) {
            bool any = false;
            for (size_t i = 0; i < c->nf; i++) {
                for (size_t k = 0; direct[k]; k++) cols[i] |= field_is(c->f[i], direct[k]);
                urlcol[i] = field_is(c->f[i], urls[0]);
                any |= cols[i] || urlcol[i];
            }
            if (!any)
                return rp_fail(eb, RP_EPARSE,
                               "FIRE_EYE: the header (line %lld) names no ip, cidr, domain, "
                               "hostname or url column",
                               (long long)c->rec.line);
            header = true;
            continue;
        }
        if (c->unterminated) {
            if ((e = csv_reject_broken(s, c, eb))) return e;
            continue;
        }
        bool any = false;
        for (size_t i = 0; i < c->nf; i++) {
            struct rp_str v = rp_str_trim(c->f[i]);
            if (!v.len || (!cols[i] && !urlcol[i])) continue;
            any = true;
            e = s->entry(s->ctx, urlcol[i] ? url_host(v) : v, &c->rec, eb);
            if (e) return e;
        }
        if (!any && s->ignored) s->ignored(s->ctx, "FIRE_EYE rows without an ip, domain or url");
    }
    if (!e && !header) return rp_fail(eb, RP_EPARSE, "FIRE_EYE: no header line");
    return e;
}

typedef rp_err (*csv_fn)(struct csv *c, const struct rp_det_ti_sink *s, struct rp_errbuf *eb);

static rp_err parse_csv(struct rp_str in, csv_fn fn, const struct rp_det_ti_sink *s,
                        struct rp_errbuf *eb)
{
    struct csv c;
    memset(&c, 0, sizeof c);
    c.in = in;
    rp_buf_init(&c.scratch, RP_MAX_LINE_BYTES);
    rp_err e = fn(&c, s, eb);
    if (e == RP_ENOMEM || e == RP_ELIMIT)
        if (!eb || !eb->msg[0]) e = rp_fail(eb, e, "threatintel: %s", rp_strerror(e));
    rp_buf_release(&c.scratch);
    return e;
}

/* ---- STIX 2.x patterns --------------------------------------------------------------------- */

/* A comparison found in a pattern. Values are (offset, length) in the scratch buffer. */
struct pat_cmp {
    size_t path_off, path_len;
    size_t val_off, val_len;
    bool usable; /* path and operator make the value a list entry */
};

struct pat {
    const char *p;
    size_t n, i;
    struct rp_buf *scratch;
    struct pat_cmp *cmps;
    size_t ncmps, capcmps;
    bool combined; /* AND or FOLLOWEDBY somewhere: the values are not entries on their own */
    const char *err;
    int depth;
};

#define PAT_MAX_CMPS  4096
#define PAT_MAX_DEPTH 64

static void pat_ws(struct pat *x)
{
    while (x->i < x->n && is_space(x->p[x->i])) x->i++;
}

static bool pat_char(struct pat *x, char c)
{
    pat_ws(x);
    if (x->i < x->n && x->p[x->i] == c) {
        x->i++;
        return true;
    }
    return false;
}

static bool word_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.' || c == '+';
}

/* A keyword (case-sensitive, as STIX writes them) followed by a non-word character. */
static bool pat_kw(struct pat *x, const char *kw)
{
    pat_ws(x);
    size_t n = strlen(kw);
    if (x->i + n <= x->n && memcmp(x->p + x->i, kw, n) == 0 &&
        (x->i + n == x->n || !word_char(x->p[x->i + n]))) {
        x->i += n;
        return true;
    }
    return false;
}

/* A quoted string at x->i (the quote itself), unescaped into scratch. */
static bool pat_string(struct pat *x, size_t *off, size_t *len)
{
    if (x->i >= x->n || x->p[x->i] != '\'') return false;
    x->i++;
    *off = x->scratch->len;
    while (x->i < x->n && x->p[x->i] != '\'') {
        char ch = x->p[x->i++];
        if (ch == '\\' && x->i < x->n) ch = x->p[x->i++];
        if (rp_buf_putc(x->scratch, ch)) {
            x->err = "pattern too long";
            return false;
        }
    }
    if (x->i >= x->n) {
        x->err = "unterminated string";
        return false;
    }
    x->i++;
    *len = x->scratch->len - *off;
    return true;
}

/* A value: 'string', t'..'/b'..'/h'..', a number, true/false; *str when it is a plain string. */
static bool pat_value(struct pat *x, bool *str, size_t *off, size_t *len)
{
    pat_ws(x);
    *str = false;
    if (x->i < x->n && x->p[x->i] == '\'') {
        *str = true;
        return pat_string(x, off, len);
    }
    if (x->i + 1 < x->n && (x->p[x->i] == 't' || x->p[x->i] == 'b' || x->p[x->i] == 'h') &&
        x->p[x->i + 1] == '\'') {
        x->i++;
        size_t o = 0, l = 0;
        return pat_string(x, &o, &l);
    }
    size_t s = x->i;
    while (x->i < x->n && word_char(x->p[x->i])) x->i++;
    if (x->i == s) {
        x->err = "value expected";
        return false;
    }
    return true;
}

/* An object path: "ipv4-addr:value", "file:hashes.'SHA-256'", "x:refs[*].value". */
static bool pat_path(struct pat *x, size_t *off, size_t *len)
{
    pat_ws(x);
    *off = x->scratch->len;
    size_t s = x->i;
    while (x->i < x->n) {
        char c = x->p[x->i];
        if (word_char(c) || c == ':' || c == '*') {
            if (rp_buf_putc(x->scratch, c)) return false;
            x->i++;
        } else if (c == '[' && x->i > s) {
            while (x->i < x->n && x->p[x->i] != ']') x->i++;
            if (x->i < x->n) x->i++;
        } else if (c == '\'') {
            size_t o = 0, l = 0;
            if (!pat_string(x, &o, &l)) return false;
        } else {
            break;
        }
    }
    *len = x->scratch->len - *off;
    if (x->i == s || !memchr(x->scratch->data + *off, ':', *len)) {
        x->err = "object path expected";
        return false;
    }
    return true;
}

static bool path_usable(const char *p, size_t n)
{
    static const char *const ok[] = {"ipv4-addr:value", "ipv6-addr:value", "domain-name:value",
                                     "url:value", NULL};
    for (size_t k = 0; ok[k]; k++)
        if (strlen(ok[k]) == n && memcmp(ok[k], p, n) == 0) return true;
    return false;
}

static bool pat_add(struct pat *x, size_t poff, size_t plen, size_t voff, size_t vlen, bool usable)
{
    if (x->ncmps >= PAT_MAX_CMPS) {
        x->err = "too many comparisons";
        return false;
    }
    if (x->ncmps == x->capcmps) {
        size_t cap = x->capcmps ? x->capcmps * 2 : 16;
        struct pat_cmp *c = realloc(x->cmps, cap * sizeof *c);
        if (!c) {
            x->err = "out of memory";
            return false;
        }
        x->cmps = c;
        x->capcmps = cap;
    }
    x->cmps[x->ncmps++] = (struct pat_cmp){
        .path_off = poff, .path_len = plen, .val_off = voff, .val_len = vlen, .usable = usable};
    return true;
}

static bool pat_comparison(struct pat *x)
{
    if (pat_kw(x, "EXISTS")) {
        size_t o = 0, l = 0;
        return pat_path(x, &o, &l) && pat_add(x, o, l, 0, 0, false);
    }
    size_t poff = 0, plen = 0;
    if (!pat_path(x, &poff, &plen)) return false;
    bool neg = pat_kw(x, "NOT");
    pat_ws(x);
    enum { OP_EQ, OP_IN, OP_SUBSET, OP_OTHER } op = OP_OTHER;
    static const char *const words[] = {"LIKE", "MATCHES", "ISSUPERSET", NULL};
    if (x->i + 1 < x->n &&
        (memcmp(x->p + x->i, "!=", 2) == 0 || memcmp(x->p + x->i, "<=", 2) == 0 ||
         memcmp(x->p + x->i, ">=", 2) == 0)) {
        x->i += 2;
    } else if (x->i < x->n && x->p[x->i] == '=') {
        x->i++;
        op = OP_EQ;
    } else if (x->i < x->n && (x->p[x->i] == '<' || x->p[x->i] == '>')) {
        x->i++;
    } else if (pat_kw(x, "IN")) {
        op = OP_IN;
    } else if (pat_kw(x, "ISSUBSET")) {
        op = OP_SUBSET;
    } else {
        bool found = false;
        for (size_t k = 0; words[k] && !found; k++) found = pat_kw(x, words[k]);
        if (!found) {
            x->err = "comparison operator expected";
            return false;
        }
    }
    bool usable = !neg && op != OP_OTHER && path_usable(x->scratch->data + poff, plen);
    bool str = false;
    size_t voff = 0, vlen = 0;
    if (op == OP_IN) {
        if (!pat_char(x, '(')) {
            x->err = "'(' expected after IN";
            return false;
        }
        do {
            if (!pat_value(x, &str, &voff, &vlen)) return false;
            if (!pat_add(x, poff, plen, voff, vlen, usable && str)) return false;
        } while (pat_char(x, ','));
        if (!pat_char(x, ')')) {
            x->err = "')' expected";
            return false;
        }
        return true;
    }
    if (!pat_value(x, &str, &voff, &vlen)) return false;
    return pat_add(x, poff, plen, voff, vlen, usable && str);
}

static bool pat_comp_expr(struct pat *x);

static bool pat_comp_term(struct pat *x)
{
    if (pat_char(x, '(')) {
        if (++x->depth > PAT_MAX_DEPTH) {
            x->err = "nested too deeply";
            return false;
        }
        bool ok = pat_comp_expr(x);
        x->depth--;
        if (ok && !pat_char(x, ')')) {
            x->err = "')' expected";
            return false;
        }
        return ok;
    }
    return pat_comparison(x);
}

static bool pat_comp_expr(struct pat *x)
{
    if (!pat_comp_term(x)) return false;
    for (;;) {
        if (pat_kw(x, "AND")) {
            x->combined = true;
        } else if (!pat_kw(x, "OR")) {
            return true;
        }
        if (!pat_comp_term(x)) return false;
    }
}

static bool pat_qualifiers(struct pat *x)
{
    for (;;) {
        bool str = false;
        size_t o = 0, l = 0;
        if (pat_kw(x, "WITHIN")) {
            if (!pat_value(x, &str, &o, &l) || !pat_kw(x, "SECONDS")) goto bad;
        } else if (pat_kw(x, "REPEATS")) {
            if (!pat_value(x, &str, &o, &l) || !pat_kw(x, "TIMES")) goto bad;
        } else if (pat_kw(x, "START")) {
            if (!pat_value(x, &str, &o, &l) || !pat_kw(x, "STOP") || !pat_value(x, &str, &o, &l))
                goto bad;
        } else {
            return true;
        }
    }
bad:
    if (!x->err) x->err = "bad qualifier";
    return false;
}

static bool pat_obs_expr(struct pat *x);

static bool pat_obs_term(struct pat *x)
{
    bool ok = false;
    if (++x->depth > PAT_MAX_DEPTH) {
        x->err = "nested too deeply";
        return false;
    }
    if (pat_char(x, '(')) {
        ok = pat_obs_expr(x);
        if (ok && !pat_char(x, ')')) {
            x->err = "')' expected";
            ok = false;
        }
    } else if (pat_char(x, '[')) {
        ok = pat_comp_expr(x);
        if (ok && !pat_char(x, ']')) {
            x->err = "']' expected";
            ok = false;
        }
    } else {
        x->err = "'[' expected";
    }
    x->depth--;
    return ok && pat_qualifiers(x);
}

static bool pat_obs_expr(struct pat *x)
{
    if (!pat_obs_term(x)) return false;
    for (;;) {
        if (pat_kw(x, "AND") || pat_kw(x, "FOLLOWEDBY")) {
            x->combined = true;
        } else if (!pat_kw(x, "OR")) {
            return true;
        }
        if (!pat_obs_term(x)) return false;
    }
}

/* Send what one indicator's pattern lists. raw is what rejects keep (the pattern). */
static rp_err stix2_pattern(struct rp_str pattern, const char *id, struct rp_buf *scratch,
                            const struct rp_det_ti_sink *s, struct rp_errbuf *eb)
{
    struct pat x = {.p = pattern.p, .n = pattern.len, .scratch = scratch};
    char where[128];
    snprintf(where, sizeof where, "indicator '%s'", id);
    struct rp_det_ti_rec rec = {.raw = pattern, .line = 0, .offset = -1, .where = where};
    rp_buf_reset(scratch);
    rp_err e = RP_OK;
    bool ok = pat_obs_expr(&x);
    pat_ws(&x);
    if (ok && x.i != x.n) {
        x.err = "unexpected text after the pattern";
        ok = false;
    }
    if (!ok) {
        char why[160];
        snprintf(why, sizeof why, "pattern does not parse: %s at offset %zu",
                 x.err ? x.err : "syntax error", x.i);
        e = s->reject(s->ctx, why, &rec, eb);
    } else if (x.combined) {
        if (s->ignored)
            s->ignored(s->ctx, "STIX patterns that combine comparisons with AND or FOLLOWEDBY");
    } else {
        size_t used = 0;
        for (size_t k = 0; k < x.ncmps && !e; k++) {
            const struct pat_cmp *c = &x.cmps[k];
            if (!c->usable) continue;
            used++;
            struct rp_str v = {scratch->data + c->val_off, c->val_len};
            if (c->path_len == 9 && memcmp(scratch->data + c->path_off, "url:value", 9) == 0)
                v = url_host(v);
            e = s->entry(s->ctx, v, &rec, eb);
        }
        if (!e && !used && s->ignored)
            s->ignored(s->ctx, "STIX patterns on objects other than addresses, domains and URLs "
                               "(or with operators other than =, IN and ISSUBSET)");
    }
    free(x.cmps);
    return e;
}

static rp_err stix2_object(struct rp_json_val o, struct rp_buf *scratch,
                           const struct rp_det_ti_sink *s, struct rp_errbuf *eb)
{
    struct rp_str type = {0}, id = {0}, pattern = {0}, ptype = {0};
    if (rp_json_obj_get_str(o, "type", &type) || !rp_str_eq_cstr(type, "indicator")) return RP_OK;
    if (rp_json_obj_get_str(o, "id", &id)) id = RP_STR_LIT("?");
    char idbuf[96];
    snprintf(idbuf, sizeof idbuf, "%.*s", (int)(id.len > 90 ? 90 : id.len), id.p);
    bool revoked = false;
    if (rp_json_obj_get_bool(o, "revoked", &revoked) == RP_OK && revoked) {
        if (s->ignored) s->ignored(s->ctx, "revoked STIX indicators");
        return RP_OK;
    }
    if (rp_json_obj_get_str(o, "pattern_type", &ptype) == RP_OK && !rp_str_eq_cstr(ptype, "stix")) {
        if (s->ignored) s->ignored(s->ctx, "STIX indicators whose pattern_type is not stix");
        return RP_OK;
    }
    if (rp_json_obj_get_str(o, "pattern", &pattern)) {
        char where[128];
        snprintf(where, sizeof where, "indicator '%s'", idbuf);
        struct rp_det_ti_rec rec = {.raw = id, .line = 0, .offset = -1, .where = where};
        return s->reject(s->ctx, "no pattern", &rec, eb);
    }
    return stix2_pattern(pattern, idbuf, scratch, s, eb);
}

static rp_err parse_stix2(struct rp_str in, const struct rp_det_ti_sink *s, struct rp_errbuf *eb)
{
    struct rp_json_parser *jp = rp_json_parser_new();
    if (!jp) return rp_fail(eb, RP_ENOMEM, "threatintel: out of memory");
    struct rp_json_val root = {0}, objs = {0}, el = {0};
    struct rp_errbuf jeb = {0};
    rp_err e = rp_json_parse(jp, in.p, in.len, &root, &jeb);
    if (e) {
        rp_json_parser_free(jp);
        return rp_fail(eb, e == RP_ENOMEM ? e : RP_EPARSE, "STIX: %s", jeb.msg);
    }
    struct rp_buf scratch;
    rp_buf_init(&scratch, RP_MAX_LINE_BYTES);
    struct rp_json_iter it;
    if (rp_json_type(root) == RP_JSON_ARRAY) {
        objs = root;
    } else if (rp_json_type(root) == RP_JSON_OBJECT &&
               rp_json_obj_get(root, "objects", &objs) == RP_OK) {
        /* a bundle */
    } else if (rp_json_type(root) == RP_JSON_OBJECT) {
        struct rp_str type = {0};
        if (rp_json_obj_get_str(root, "type", &type) == RP_OK &&
            rp_str_eq_cstr(type, "indicator")) {
            e = stix2_object(root, &scratch, s, eb);
        } else {
            e = rp_fail(eb, RP_EPARSE, "STIX: JSON that is neither a bundle nor an indicator");
        }
        objs = (struct rp_json_val){0};
    } else {
        e = rp_fail(eb, RP_EPARSE, "STIX: JSON that is neither a bundle nor an indicator");
    }
    if (!e && objs.doc) {
        if (rp_json_arr_iter(objs, &it)) {
            e = rp_fail(eb, RP_EPARSE, "STIX: 'objects' is not an array");
        } else {
            while (!e && rp_json_arr_next(&it, &el))
                if (rp_json_type(el) == RP_JSON_OBJECT) e = stix2_object(el, &scratch, s, eb);
        }
    }
    rp_buf_release(&scratch);
    rp_json_parser_free(jp);
    return e;
}

/* ---- STIX 1.x XML -------------------------------------------------------------------------- */

enum xval { XV_NONE, XV_ADDR, XV_DOMAIN, XV_URL };

static const char *find_sub(const char *p, const char *end, const char *needle)
{
    size_t n = strlen(needle);
    for (; p + n <= end; p++)
        if (*p == needle[0] && memcmp(p, needle, n) == 0) return p;
    return NULL;
}

/* The value of attribute name in the tag text t (between '<name' and '>'), or an empty slice. */
static struct rp_str xml_attr(struct rp_str t, const char *name)
{
    size_t n = strlen(name);
    for (size_t i = 0; i + n + 2 <= t.len; i++) {
        if ((i == 0 || is_space(t.p[i - 1])) && memcmp(t.p + i, name, n) == 0) {
            size_t k = i + n;
            while (k < t.len && is_space(t.p[k])) k++;
            if (k >= t.len || t.p[k] != '=') continue;
            k++;
            while (k < t.len && is_space(t.p[k])) k++;
            if (k >= t.len || (t.p[k] != '"' && t.p[k] != '\'')) continue;
            char q = t.p[k++];
            const char *e = memchr(t.p + k, q, t.len - k);
            if (!e) return (struct rp_str){0};
            return (struct rp_str){t.p + k, (size_t)(e - (t.p + k))};
        }
    }
    return (struct rp_str){0};
}

static enum xval xml_kind(struct rp_str name)
{
    const char *colon = memchr(name.p, ':', name.len);
    struct rp_str prefix = {name.p, colon ? (size_t)(colon - name.p) : 0};
    struct rp_str local = colon ? (struct rp_str){colon + 1, name.len - prefix.len - 1} : name;
    if (rp_str_eq_cstr(local, "Address_Value")) return XV_ADDR;
    if (rp_str_eq_cstr(local, "Hostname_Value")) return XV_DOMAIN;
    if (rp_str_eq_cstr(local, "Value") && has_sub(prefix, "DomainName")) return XV_DOMAIN;
    if (rp_str_eq_cstr(local, "Value") && has_sub(prefix, "URI")) return XV_URL;
    return XV_NONE;
}

/* Decode XML character data (the five entities, &#N; and &#xN; below 128) into out. */
static rp_err xml_text(struct rp_str t, struct rp_buf *out)
{
    rp_buf_reset(out);
    static const struct {
        const char *ent;
        char c;
    } ents[] = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
    for (size_t i = 0; i < t.len;) {
        char c = t.p[i];
        size_t adv = 1;
        if (c == '&') {
            for (size_t k = 0; k < RP_ARRAY_LEN(ents); k++) {
                size_t n = strlen(ents[k].ent);
                if (i + n <= t.len && memcmp(t.p + i, ents[k].ent, n) == 0) {
                    c = ents[k].c;
                    adv = n;
                    break;
                }
            }
            if (adv == 1 && i + 3 < t.len && t.p[i + 1] == '#') {
                const char *semi = memchr(t.p + i, ';', t.len - i < 10 ? t.len - i : 10);
                if (semi) {
                    unsigned v = 0;
                    bool hex = t.p[i + 2] == 'x' || t.p[i + 2] == 'X';
                    for (const char *q = t.p + i + (hex ? 3 : 2); q < semi; q++) {
                        char d = lower(*q);
                        v = v * (hex ? 16u : 10u) + (unsigned)(d >= 'a' ? d - 'a' + 10 : d - '0');
                    }
                    if (v > 0 && v < 128) {
                        c = (char)v;
                        adv = (size_t)(semi - (t.p + i)) + 1;
                    }
                }
            }
        }
        rp_err e = rp_buf_putc(out, c);
        if (e) return e;
        i += adv;
    }
    return RP_OK;
}

static rp_err xml_value(enum xval kind, struct rp_str text, struct rp_str raw, int64_t line,
                        int64_t off, struct rp_buf *scratch, const struct rp_det_ti_sink *s,
                        struct rp_errbuf *eb)
{
    rp_err e = xml_text(text, scratch);
    if (e) return rp_fail(eb, e, "threatintel: %s", rp_strerror(e));
    struct rp_str rest = {scratch->data ? scratch->data : "", scratch->len};
    /* STIX 1 joins the values of a list with "##comma##" (apply_condition ANY/ALL) */
    while (rest.len) {
        const char *sep = find_sub(rest.p, rest.p + rest.len, "##comma##");
        struct rp_str v = {rest.p, sep ? (size_t)(sep - rest.p) : rest.len};
        rest = sep ? (struct rp_str){sep + 9, rest.len - v.len - 9} : (struct rp_str){0};
        v = rp_str_trim(v);
        if (!v.len) continue;
        if (kind == XV_ADDR && memchr(v.p, '@', v.len)) {
            if (s->ignored) s->ignored(s->ctx, "STIX 1 e-mail addresses");
            continue;
        }
        struct rp_det_ti_rec rec = {.raw = raw, .line = line, .offset = off};
        if ((e = s->entry(s->ctx, kind == XV_URL ? url_host(v) : v, &rec, eb))) return e;
    }
    return RP_OK;
}

static rp_err parse_stix1(struct rp_str in, const struct rp_det_ti_sink *s, struct rp_errbuf *eb)
{
    if (!has_sub(in, "STIX_Package") && !has_sub(in, "stix:"))
        return rp_fail(eb, RP_EPARSE, "STIX: XML that is not a STIX 1.x package");
    const char *p = in.p, *end = in.p + in.len, *lp = in.p;
    int64_t line = 1;
    struct rp_buf scratch;
    rp_buf_init(&scratch, RP_MAX_LINE_BYTES);
    rp_err e = RP_OK;
    while (!e && p < end) {
        const char *lt = memchr(p, '<', (size_t)(end - p));
        if (!lt) break;
        p = lt;
        const char *stop = NULL;
        if (end - p >= 4 && memcmp(p, "<!--", 4) == 0) {
            stop = find_sub(p + 4, end, "-->");
            p = stop ? stop + 3 : end;
            continue;
        }
        if (end - p >= 2 && (p[1] == '?' || p[1] == '!' || p[1] == '/')) {
            const char *gt = memchr(p, '>', (size_t)(end - p));
            p = gt ? gt + 1 : end;
            continue;
        }
        /* a start tag: its name, its attributes (quotes may hold '>'), '>' or "/>" */
        const char *q = p + 1;
        while (q < end && !is_space(*q) && *q != '>' && *q != '/') q++;
        struct rp_str name = {p + 1, (size_t)(q - p - 1)};
        const char *t = q;
        char quote = 0;
        while (t < end && (quote || *t != '>')) {
            if (quote && *t == quote)
                quote = 0;
            else if (!quote && (*t == '"' || *t == '\''))
                quote = *t;
            t++;
        }
        if (t >= end) break;
        struct rp_str attrs = {q, (size_t)(t - q)};
        bool selfclose = t > q && t[-1] == '/';
        p = t + 1;
        enum xval kind = xml_kind(name);
        if (kind == XV_NONE || selfclose) continue;
        struct rp_str cond = xml_attr(attrs, "condition");
        const char *txt = p;
        struct rp_str text;
        if (end - txt >= 9 && memcmp(txt, "<![CDATA[", 9) == 0) {
            const char *ce = find_sub(txt + 9, end, "]]>");
            text = (struct rp_str){txt + 9, (size_t)((ce ? ce : end) - txt - 9)};
            p = ce ? ce + 3 : end;
        } else {
            const char *lt2 = memchr(txt, '<', (size_t)(end - txt));
            text = (struct rp_str){txt, (size_t)((lt2 ? lt2 : end) - txt)};
            p = lt2 ? lt2 : end;
        }
        for (; lp < text.p; lp++)
            if (*lp == '\n') line++;
        struct rp_str t2 = rp_str_trim(text);
        int64_t vline = line;
        for (const char *k = text.p; k < t2.p; k++)
            if (*k == '\n') vline++;
        if (cond.len && !rp_str_eq_cstr(cond, "Equals")) {
            if (s->ignored) s->ignored(s->ctx, "STIX 1 values with a condition other than Equals");
            continue;
        }
        e = xml_value(kind, text, t2, vline, (int64_t)(t2.p - in.p), &scratch, s, eb);
    }
    rp_buf_release(&scratch);
    return e;
}

/* ---- dispatch and sniffing ----------------------------------------------------------------- */

static struct rp_str lstrip(struct rp_str s)
{
    while (s.len && is_space(s.p[0])) {
        s.p++;
        s.len--;
    }
    return s;
}

rp_err rp_det_ti_parse(enum rp_detect_ti_format f, const char *data, size_t len,
                       const struct rp_det_ti_sink *s, struct rp_errbuf *eb)
{
    struct rp_str in = skip_bom((struct rp_str){data ? data : "", data ? len : 0});
    switch (f) {
    case RP_DETECT_TI_TXT:
        return parse_txt(in, s, eb);
    case RP_DETECT_TI_ALIEN_VAULT:
        return parse_alien_vault(in, s, eb);
    case RP_DETECT_TI_OTX_CSV:
        return parse_csv(in, parse_otx, s, eb);
    case RP_DETECT_TI_PROOF_POINT:
        return parse_csv(in, parse_proofpoint, s, eb);
    case RP_DETECT_TI_FIRE_EYE:
        return parse_csv(in, parse_fireeye, s, eb);
    case RP_DETECT_TI_STIX: {
        struct rp_str t = lstrip(in);
        if (t.len && t.p[0] == '<') return parse_stix1(in, s, eb);
        if (t.len && (t.p[0] == '{' || t.p[0] == '[')) return parse_stix2(in, s, eb);
        return rp_fail(eb, RP_EPARSE, "STIX: neither STIX 2 JSON nor STIX 1 XML");
    }
    default:
        return rp_fail(eb, RP_EINVAL, "threatintel: bad format %d", (int)f);
    }
}

/* The first line holding something (not blank, not a '#' comment). */
static struct rp_str first_line(struct rp_str in)
{
    struct lines l = {.in = in, .pos = 0, .no = 0};
    struct rp_str line = {0};
    int64_t off = 0;
    while (line_next(&l, &line, &off))
        if (!line_empty(line)) return rp_str_trim(line);
    return (struct rp_str){0};
}

/* The first field of a CSV header line, lower case, into buf. */
static bool header_has(struct rp_str line, const char *col)
{
    struct rp_str rest = line, tok;
    while (rp_str_split_next(&rest, ',', &tok)) {
        tok = rp_str_trim(tok);
        if (tok.len >= 2 && tok.p[0] == '"' && tok.p[tok.len - 1] == '"') {
            tok.p++;
            tok.len -= 2;
        }
        if (rp_str_eq_nocase(tok, rp_str_from(col))) return true;
    }
    return false;
}

enum rp_detect_ti_format rp_detect_ti_format_sniff(const char *p, size_t n)
{
    struct rp_str in = skip_bom((struct rp_str){p ? p : "", p ? n : 0});
    struct rp_str t = lstrip(in);
    if (t.len && (t.p[0] == '<' || t.p[0] == '{' || t.p[0] == '[')) return RP_DETECT_TI_STIX;
    struct rp_str line = first_line(in);
    if (!line.len) return RP_DETECT_TI_TXT;
    if (memchr(line.p, ',', line.len)) {
        if ((header_has(line, "indicator type") || header_has(line, "indicator_type")) &&
            header_has(line, "indicator"))
            return RP_DETECT_TI_OTX_CSV;
        if ((header_has(line, "ip") || header_has(line, "domain")) && header_has(line, "category"))
            return RP_DETECT_TI_PROOF_POINT;
        if (header_has(line, "reportId") || header_has(line, "ThreatScape") ||
            header_has(line, "malwareFamily") || header_has(line, "networkType"))
            return RP_DETECT_TI_FIRE_EYE;
    }
    const char *hash = memchr(line.p, '#', line.len);
    if (hash && hash > line.p && !is_space(hash[-1])) { /* "IP#..", not "IP # comment" */
        struct rp_str first = rp_str_trim((struct rp_str){line.p, (size_t)(hash - line.p)});
        struct rp_ip ip;
        struct rp_cidr c;
        if (first.len && (rp_ip_parse(first, &ip, NULL) == RP_OK ||
                          rp_cidr_parse(first, &c, NULL, NULL) == RP_OK))
            return RP_DETECT_TI_ALIEN_VAULT;
    }
    return RP_DETECT_TI_TXT;
}
