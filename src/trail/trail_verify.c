/* SPDX-License-Identifier: Apache-2.0 */
/* `rampart trail verify`: CloudTrail log file integrity validation over a local mirror of a
 * trail bucket (trail.h; the algorithm is written out in docs/trail.md).
 *
 * Pass 1 walks the given paths (core/rp_walk), pruning every AWSLogs/<acct>/<service> folder
 * that is not CloudTrail-Digest (and other accounts and regions when asked), and records one
 * entry per digest file: its key (path suffix from "AWSLogs") and the time stamp in its name.
 * Pass 2 takes the entries in key order, which is time order within each trail, and for each
 * one in range: reads it (gunzip), hashes the uncompressed bytes, parses it, checks its
 * location, its signature and the link to its predecessor (found by key among the digests
 * walked, else at the local path its key gives; hashed on demand even when outside the range),
 * then streams and hashes every log file it lists. Results go to a
 * callback as they are found; only the per-digest entries stay in memory. */
#define RP_LOG_MODULE "trail"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "core/rp_buf.h"
#include "core/rp_gz.h"
#include "core/rp_hash.h"
#include "core/rp_log.h"
#include "core/rp_time.h"
#include "core/rp_walk.h"
#include "trail/trail_internal.h"
#include "core/rp_banned.h"

#define DIGEST_DIR     "CloudTrail-Digest"
#define SIG_ALGORITHM  "SHA256withRSA"
#define HASH_ALGORITHM "SHA-256"
#define MAX_PREFIXES   64          /* distinct folders holding an AWSLogs tree */
#define MAX_SIDECAR    (64u << 10) /* a .sig file */
#define HASH_CHUNK     (256u << 10)
#define TIME_UNKNOWN   INT64_MIN
#define REASONS_SZ     512
#define DETAILS_SZ     1024

/* One digest file found by the walk. Strings live in the verify arena. */
struct dent {
    const char *path;   /* as the walk showed it */
    const char *key;    /* suffix from "AWSLogs" */
    const char *prefix; /* what goes before a key to make a local path ("" or ".../") */
    int64_t time_ms;    /* stamp in the file name, TIME_UNKNOWN without one */
    int hashed;         /* 0 not yet, 1 sha is set, -1 unreadable */
    char sha[RP_HASH_SHA256_HEXSZ];
    bool sig_loaded;
    const char *sig; /* hex signature (map or sidecar), NULL if none */
};

struct vctx {
    struct rp_arena *a;      /* entries, prefixes */
    struct rp_arena scratch; /* one digest's parse and result strings */
    const struct rp_trail_opts *o;
    rp_trail_result_fn fn;
    void *fnctx;
    struct rp_trail_summary *sum;
    struct rp_errbuf *eb;
    rp_err err; /* first fatal error (ENOMEM, fn's code) */
    struct dent *v;
    size_t n, cap;
    const char *prefixes[MAX_PREFIXES];
    size_t nprefixes;
    const char *root_real; /* realpath of the root being walked */
    struct rp_hash_sha256 *sha;
    unsigned char *chunk;
};

const char *rp_trail_kind_name(enum rp_trail_kind k)
{
    return k == RP_TRAIL_DIGEST ? "digest" : "log";
}

const char *rp_trail_status_name(enum rp_trail_status s)
{
    return s == RP_TRAIL_VALID ? "valid" : s == RP_TRAIL_INVALID ? "invalid" : "missing";
}

/* ---- keys and paths --------------------------------------------------------------------- */

#define MAX_COMPS 12

/* Split key at '/' into at most MAX_COMPS slices; returns the count (MAX_COMPS + 1 = more). */
static size_t split_key(const char *key, struct rp_str *c)
{
    struct rp_str rest = rp_str_from(key), tok;
    size_t n = 0;
    while (rp_str_split_next(&rest, '/', &tok)) {
        if (n == MAX_COMPS) return MAX_COMPS + 1;
        c[n++] = tok;
    }
    return n;
}

/* Index of the service component ("CloudTrail-Digest", "CloudTrail", ..) after AWSLogs:
 * 2 for AWSLogs/<acct>/<svc>, 3 for an organization trail's AWSLogs/<o-id>/<acct>/<svc>. */
static size_t service_idx(const struct rp_str *c, size_t n)
{
    return n > 1 && rp_str_has_prefix(c[1], "o-") ? 3 : 2;
}

/* A log file key must stay inside the mirror: no empty, "." or ".." components. */
static bool key_is_safe(const char *key)
{
    struct rp_str rest = rp_str_from(key), tok;
    while (rp_str_split_next(&rest, '/', &tok))
        if (!tok.len || rp_str_eq_cstr(tok, ".") || rp_str_eq_cstr(tok, "..")) return false;
    return true;
}

/* The time stamp of a digest file name: "..._20260101T000000Z.json.gz". */
static int64_t name_time(const char *key)
{
    const char *slash = strrchr(key, '/');
    const char *name = slash ? slash + 1 : key;
    const char *us = strrchr(name, '_');
    size_t n = strlen(name);
    if (!us || n < 8 || strcmp(name + n - 8, ".json.gz") != 0 || us + 1 > name + n - 8)
        return TIME_UNKNOWN;
    struct rp_str s = {us + 1, (size_t)(name + n - 8 - (us + 1))};
    int64_t ms = 0;
    if (s.len < 9 || rp_time_parse_iso(s, &ms, NULL) != RP_OK) return TIME_UNKNOWN;
    return ms;
}

static bool in_range(const struct rp_trail_opts *o, int64_t ms)
{
    return (!o->has_start || ms >= o->start_ms) && (!o->has_end || ms <= o->end_ms);
}

/* Account and region filters over a key's components (n of them). */
static bool wanted(const struct rp_trail_opts *o, const struct rp_str *c, size_t n)
{
    size_t s = service_idx(c, n);
    if (o->account && n > s - 1 && !rp_str_eq_cstr(c[s - 1], o->account)) return false;
    if (o->region && n > s + 1 && !rp_str_eq_cstr(c[s + 1], o->region)) return false;
    return true;
}

/* Remember a prefix (interned), returning the stored copy or NULL on ENOMEM. */
static const char *add_prefix(struct vctx *v, const char *p, size_t len)
{
    for (size_t i = 0; i < v->nprefixes; i++)
        if (strlen(v->prefixes[i]) == len && memcmp(v->prefixes[i], p, len) == 0)
            return v->prefixes[i];
    char *copy = rp_arena_memdup(v->a, p, len);
    if (copy && v->nprefixes < MAX_PREFIXES) v->prefixes[v->nprefixes++] = copy;
    return copy;
}

/* ---- walk ------------------------------------------------------------------------------- */

static enum rp_walk_action walk_fail(struct vctx *v, rp_err e)
{
    v->err = rp_fail(v->eb, e, "trail: out of memory");
    return RP_WALK_STOP;
}

static enum rp_walk_action visit(const struct rp_walk_entry *e, void *ctx)
{
    struct vctx *v = ctx;
    if (e->event == RP_WALK_EV_ERROR) {
        RP_LOG_WARN("cannot examine '%s': %s", e->path, e->msg);
        v->sum->walk_errors++;
        return RP_WALK_CONTINUE;
    }
    if (e->event == RP_WALK_EV_SKIP) return RP_WALK_CONTINUE;

    /* The key comes from the real path, so "." inside a digest folder works too. */
    char real[RP_MAX_PATH_BYTES + 1];
    int len = *e->rel ? snprintf(real, sizeof real, "%s/%s", v->root_real, e->rel)
                      : snprintf(real, sizeof real, "%s", v->root_real);
    if (len < 0 || (size_t)len >= sizeof real) return RP_WALK_CONTINUE;
    const char *key = rp_trail_key_suffix(real);
    if (!key) return RP_WALK_CONTINUE; /* above AWSLogs/, or outside any mirror */

    struct rp_str c[MAX_COMPS];
    size_t n = split_key(key, c);
    if (n > MAX_COMPS) return e->event == RP_WALK_EV_DIR ? RP_WALK_SKIP : RP_WALK_CONTINUE;
    size_t s = service_idx(c, n);
    if (e->event == RP_WALK_EV_DIR) {
        if (n > s && !rp_str_eq_cstr(c[s], DIGEST_DIR)) return RP_WALK_SKIP;
        return wanted(v->o, c, n) ? RP_WALK_CONTINUE : RP_WALK_SKIP;
    }
    /* AWSLogs/[o-id/]acct/CloudTrail-Digest/region/YYYY/MM/DD/name.json.gz */
    if (n != s + 6 || !rp_str_eq_cstr(c[s], DIGEST_DIR) || !rp_str_has_suffix(c[n - 1], ".json.gz"))
        return RP_WALK_CONTINUE;
    if (!wanted(v->o, c, n)) return RP_WALK_CONTINUE;

    if (v->n == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 64;
        struct dent *nv = realloc(v->v, cap * sizeof *nv);
        if (!nv) return walk_fail(v, RP_ENOMEM);
        v->v = nv;
        v->cap = cap;
    }
    struct dent *d = &v->v[v->n];
    memset(d, 0, sizeof *d);
    d->path = rp_arena_strdup(v->a, e->path);
    d->key = rp_arena_strdup(v->a, key);
    /* Local paths of other keys are built in the user's terms when the shown path ends with
     * the key, else from the real path. */
    const char *shown = rp_trail_key_suffix(e->path);
    if (shown && strcmp(shown, key) == 0)
        d->prefix = add_prefix(v, e->path, (size_t)(shown - e->path));
    else
        d->prefix = add_prefix(v, real, (size_t)(key - real));
    if (!d->path || !d->key || !d->prefix) return walk_fail(v, RP_ENOMEM);
    d->time_ms = name_time(key);
    v->n++;
    return RP_WALK_CONTINUE;
}

static int dent_cmp(const void *a, const void *b)
{
    return strcmp(((const struct dent *)a)->key, ((const struct dent *)b)->key);
}

static struct dent *dent_find(struct vctx *v, const char *key)
{
    struct dent probe;
    memset(&probe, 0, sizeof probe);
    probe.key = key;
    return v->n ? bsearch(&probe, v->v, v->n, sizeof *v->v, dent_cmp) : NULL;
}

/* A predecessor the walk did not list (a single digest given as PATH, or one filtered out) but
 * that is on disk where the key says: a fresh entry, not added to the sorted index. NULL when
 * there is no regular file there, or on ENOMEM (then the digest is reported missing). */
static struct dent *dent_at_path(struct vctx *v, const struct dent *d, const char *key)
{
    struct stat st;
    char *path = rp_arena_printf(v->a, "%s%s", d->prefix, key);
    if (!path || stat(path, &st) != 0 || !S_ISREG(st.st_mode)) return NULL;
    struct dent *p = rp_arena_zalloc(v->a, sizeof *p);
    if (!p || !(p->key = rp_arena_strdup(v->a, key))) return NULL;
    p->path = path;
    p->prefix = d->prefix;
    p->time_ms = name_time(key);
    return p;
}

/* ---- per-file work ------------------------------------------------------------------- */

static rp_err emit(struct vctx *v, enum rp_trail_kind kind, enum rp_trail_status st,
                   const char *path, const char *uri, const char *reason, const char *detail,
                   const char *digest)
{
    struct rp_trail_counts *c = kind == RP_TRAIL_DIGEST ? &v->sum->digests : &v->sum->logs;
    c->total++;
    if (st == RP_TRAIL_VALID)
        c->valid++;
    else if (st == RP_TRAIL_INVALID)
        c->invalid++;
    else
        c->missing++;
    if (!v->fn) return RP_OK;
    struct rp_trail_result r = {kind, st, path, uri, reason, detail, digest};
    return v->fn(&r, v->fnctx);
}

/* Append "; "-separated text to a fixed buffer (truncating). */
static void join(char *buf, size_t sz, const char *fmt, ...) RP_PRINTF(3, 4);
static void join(char *buf, size_t sz, const char *fmt, ...)
{
    size_t len = strlen(buf);
    if (len && len + 2 < sz) {
        memcpy(buf + len, "; ", 3);
        len += 2;
    }
    va_list ap;
    va_start(ap, fmt);
    if (len < sz) vsnprintf(buf + len, sz - len, fmt, ap);
    va_end(ap);
}

/* Read and hash a digest file (uncompressed bytes) into d->sha; the content stays in *buf. */
static rp_err load_digest(struct dent *d, struct rp_buf *buf, struct rp_errbuf *eb)
{
    rp_buf_reset(buf);
    rp_err e = rp_gz_read_file(d->path, NULL, buf, eb);
    if (!e) e = rp_hash_sha256_hex(buf->data ? buf->data : "", buf->len, d->sha);
    d->hashed = e ? -1 : 1;
    return e;
}

/* The signature of a digest: the --signatures map, else `<path>.sig`. */
static const char *digest_sig(struct vctx *v, struct dent *d)
{
    if (d->sig_loaded) return d->sig;
    d->sig_loaded = true;
    d->sig = rp_trail_sigs_find(v->o->sigs, d->key);
    if (d->sig) return d->sig;
    char path[RP_MAX_PATH_BYTES + 8];
    if ((size_t)snprintf(path, sizeof path, "%s.sig", d->path) >= sizeof path) return NULL;
    struct rp_buf b;
    rp_buf_init(&b, MAX_SIDECAR);
    if (rp_gz_read_file(path, NULL, &b, NULL) == RP_OK) {
        struct rp_str s = rp_str_trim((struct rp_str){rp_buf_cstr(&b), b.len});
        d->sig = rp_arena_memdup(v->a, s.p, s.len);
    }
    rp_buf_release(&b);
    return d->sig;
}

/* Hash log file content through gunzip; *gz_bad is set when the gzip stream is broken. */
static rp_err hash_log(struct vctx *v, const char *path, char out[RP_HASH_SHA256_HEXSZ],
                       bool *gz_bad, struct rp_errbuf *eb)
{
    struct rp_gz_reader *r = NULL;
    *gz_bad = false;
    rp_err e = rp_gz_reader_new_path(&r, path, NULL, eb);
    if (e) return e;
    if ((e = rp_hash_sha256_reset(v->sha))) goto out;
    for (;;) {
        size_t got = 0;
        if ((e = rp_gz_reader_read(r, v->chunk, HASH_CHUNK, &got, eb))) {
            *gz_bad = e == RP_EPARSE || e == RP_ELIMIT;
            break;
        }
        if (!got) break;
        if ((e = rp_hash_sha256_update(v->sha, v->chunk, got))) break;
    }
    uint8_t md[RP_HASH_SHA256_LEN];
    if (!e && !(e = rp_hash_sha256_final(v->sha, md)))
        e = rp_hex_encode(out, RP_HASH_SHA256_HEXSZ, md, sizeof md);
out:
    rp_gz_reader_free(r);
    return e;
}

static rp_err check_log(struct vctx *v, const struct dent *d, const struct rp_trail_logfile *lf,
                        bool digest_ok)
{
    char *uri = rp_arena_printf(&v->scratch, "s3://%s/%s", lf->s3_bucket, lf->s3_object);
    if (!uri) return RP_ENOMEM;
    const char *key = rp_trail_key_suffix(lf->s3_object);
    if (!key || !key_is_safe(key))
        return emit(v, RP_TRAIL_LOG, RP_TRAIL_INVALID, lf->s3_object, uri, RP_TRAIL_R_BAD_KEY,
                    "s3Object has no safe suffix from 'AWSLogs/'", d->path);
    const char *first = rp_arena_printf(&v->scratch, "%s%s", d->prefix, key);
    if (!first) return RP_ENOMEM;
    if (strcmp(lf->hash_algorithm, HASH_ALGORITHM) != 0) {
        char *det = rp_arena_printf(&v->scratch, "hashAlgorithm is '%s'", lf->hash_algorithm);
        if (!det) return RP_ENOMEM;
        return emit(v, RP_TRAIL_LOG, RP_TRAIL_INVALID, first, uri, RP_TRAIL_R_HASH_ALG, det,
                    d->path);
    }
    /* The digest's own tree first, then the other trees given. */
    const char *path = first;
    char sha[RP_HASH_SHA256_HEXSZ] = "";
    struct rp_errbuf eb = {0};
    bool gz_bad = false;
    rp_err e = hash_log(v, path, sha, &gz_bad, &eb);
    for (size_t i = 0; e == RP_ENOENT && i < v->nprefixes; i++) {
        if (v->prefixes[i] == d->prefix) continue;
        const char *p = rp_arena_printf(&v->scratch, "%s%s", v->prefixes[i], key);
        if (!p) return RP_ENOMEM;
        rp_errbuf_clear(&eb);
        if ((e = hash_log(v, p, sha, &gz_bad, &eb)) != RP_ENOENT) path = p;
    }
    if (e == RP_ENOMEM) return e;
    if (e == RP_ENOENT)
        return emit(v, RP_TRAIL_LOG, RP_TRAIL_MISSING, first, uri, RP_TRAIL_R_NOT_FOUND, NULL,
                    d->path);
    if (e && gz_bad) {
        const char *det = rp_arena_printf(&v->scratch, "content no longer decompresses: %s",
                                          rp_errbuf_msg(&eb, e));
        if (!det) return RP_ENOMEM;
        return emit(v, RP_TRAIL_LOG, RP_TRAIL_INVALID, path, uri, RP_TRAIL_R_HASH, det, d->path);
    }
    if (e) {
        const char *det = rp_arena_strdup(&v->scratch, rp_errbuf_msg(&eb, e));
        if (!det) return RP_ENOMEM;
        return emit(v, RP_TRAIL_LOG, RP_TRAIL_INVALID, path, uri, RP_TRAIL_R_READ, det, d->path);
    }
    if (strcasecmp(sha, lf->hash_value) != 0) {
        const char *det = rp_arena_printf(&v->scratch, "content hashes to %s, the digest lists %s",
                                          sha, lf->hash_value);
        if (!det) return RP_ENOMEM;
        return emit(v, RP_TRAIL_LOG, RP_TRAIL_INVALID, path, uri, RP_TRAIL_R_HASH, det, d->path);
    }
    if (!digest_ok)
        return emit(v, RP_TRAIL_LOG, RP_TRAIL_INVALID, path, uri, RP_TRAIL_R_UNVERIFIED,
                    "the hash matches, but the digest's signature was not verified", d->path);
    return emit(v, RP_TRAIL_LOG, RP_TRAIL_VALID, path, uri, NULL, NULL, d->path);
}

/* The link to the previous digest: appends reasons, or emits a missing predecessor. */
static rp_err check_chain(struct vctx *v, const struct dent *d, const struct rp_trail_digest *dg,
                          struct rp_buf *tmp, char *reasons, char *details)
{
    if (!dg->prev_object) return RP_OK; /* the first digest of a chain */
    const char *pkey = rp_trail_key_suffix(dg->prev_object);
    if (!pkey || !key_is_safe(pkey)) {
        join(reasons, REASONS_SZ, "%s", RP_TRAIL_R_FORMAT);
        join(details, DETAILS_SZ, "previousDigestS3Object '%s' has no safe suffix from 'AWSLogs/'",
             dg->prev_object);
        return RP_OK;
    }
    struct dent *p = dent_find(v, pkey);
    if (!p) p = dent_at_path(v, d, pkey);
    if (!p) {
        int64_t pt = name_time(pkey);
        if (pt == TIME_UNKNOWN) pt = dg->start_ms;
        if (v->o->has_start && pt < v->o->start_ms) return RP_OK; /* before the range */
        const char *path = rp_arena_printf(&v->scratch, "%s%s", d->prefix, pkey);
        const char *uri = rp_arena_printf(&v->scratch, "s3://%s/%s",
                                          dg->prev_bucket ? dg->prev_bucket : "", dg->prev_object);
        if (!path || !uri) return RP_ENOMEM;
        return emit(v, RP_TRAIL_DIGEST, RP_TRAIL_MISSING, path, uri, RP_TRAIL_R_NOT_FOUND,
                    "referenced as previousDigestS3Object", NULL);
    }
    if (!p->hashed) {
        struct rp_errbuf eb = {0};
        rp_err e = load_digest(p, tmp, &eb);
        if (e == RP_ENOMEM) return e;
    }
    if (p->hashed < 0) {
        join(reasons, REASONS_SZ, "%s", RP_TRAIL_R_PREV_READ);
        join(details, DETAILS_SZ, "'%s' cannot be read", p->path);
    } else if (!dg->prev_hash || !dg->prev_hash_alg ||
               strcmp(dg->prev_hash_alg, HASH_ALGORITHM) != 0 ||
               strcasecmp(dg->prev_hash, p->sha) != 0) {
        join(reasons, REASONS_SZ, "%s", RP_TRAIL_R_PREV_HASH);
        join(details, DETAILS_SZ, "previousDigestHashValue is %s (%s), '%s' hashes to %s",
             dg->prev_hash ? dg->prev_hash : "null", dg->prev_hash_alg ? dg->prev_hash_alg : "null",
             p->path, p->sha);
    }
    const char *psig = digest_sig(v, p);
    if (psig && (!dg->prev_signature || strcasecmp(psig, dg->prev_signature) != 0)) {
        join(reasons, REASONS_SZ, "%s", RP_TRAIL_R_PREV_SIG);
        join(details, DETAILS_SZ, "previousDigestSignature differs from the signature of '%s'",
             p->path);
    }
    return RP_OK;
}

static rp_err verify_digest(struct vctx *v, struct dent *d, struct rp_buf *buf, struct rp_buf *tmp)
{
    struct rp_errbuf eb = {0};
    rp_err e = load_digest(d, buf, &eb);
    if (e == RP_ENOMEM) return e;
    if (e) {
        const char *det = rp_arena_strdup(&v->scratch, rp_errbuf_msg(&eb, e));
        if (!det) return RP_ENOMEM;
        return emit(v, RP_TRAIL_DIGEST, RP_TRAIL_INVALID, d->path, NULL,
                    e == RP_EPARSE ? RP_TRAIL_R_FORMAT : RP_TRAIL_R_READ, det, NULL);
    }
    struct rp_trail_digest dg;
    if ((e = rp_trail_digest_parse(&v->scratch, buf->data, buf->len, &dg, &eb))) {
        if (e == RP_ENOMEM) return e;
        const char *det = rp_arena_strdup(&v->scratch, rp_errbuf_msg(&eb, e));
        if (!det) return RP_ENOMEM;
        return emit(v, RP_TRAIL_DIGEST, RP_TRAIL_INVALID, d->path, NULL, RP_TRAIL_R_FORMAT, det,
                    NULL);
    }
    if (d->time_ms == TIME_UNKNOWN && !in_range(v->o, dg.end_ms)) return RP_OK;
    if (!v->sum->found || dg.start_ms < v->sum->found_start_ms)
        v->sum->found_start_ms = dg.start_ms;
    if (!v->sum->found || dg.end_ms > v->sum->found_end_ms) v->sum->found_end_ms = dg.end_ms;
    v->sum->found = true;

    char reasons[REASONS_SZ] = "", details[DETAILS_SZ] = "";
    const char *uri = rp_arena_printf(&v->scratch, "s3://%s/%s", dg.s3_bucket, dg.s3_object);
    if (!uri) return RP_ENOMEM;
    const char *own = rp_trail_key_suffix(dg.s3_object);
    if (!own || strcmp(own, d->key) != 0) {
        join(reasons, sizeof reasons, "%s", RP_TRAIL_R_MOVED);
        join(details, sizeof details, "digestS3Object is '%s'", dg.s3_object);
    }

    /* Signature over: digestEndTime \n bucket/object \n hex(sha256(digest)) \n previous sig. */
    bool sig_ok = false;
    const char *sig = digest_sig(v, d);
    if (strcmp(dg.sig_algorithm, SIG_ALGORITHM) != 0) {
        join(reasons, sizeof reasons, "%s", RP_TRAIL_R_SIG_ALG);
        join(details, sizeof details, "digestSignatureAlgorithm is '%s'", dg.sig_algorithm);
    } else if (!sig) {
        join(reasons, sizeof reasons, "%s", RP_TRAIL_R_NO_SIG);
        join(details, sizeof details, "no '%s.sig' and no entry in the signature map", d->path);
    } else {
        rp_buf_reset(tmp);
        if (rp_buf_printf(tmp, "%s\n%s/%s\n%s\n%s", dg.end_time, dg.s3_bucket, dg.s3_object, d->sha,
                          dg.prev_signature ? dg.prev_signature : "null"))
            return RP_ENOMEM;
        enum rp_trail_sigcheck res = RP_TRAIL_SIG_BAD;
        if ((e = rp_trail_keys_verify(v->o->keys, dg.key_fingerprint, sig, tmp->data, tmp->len,
                                      &res, v->eb)))
            return e;
        if (res == RP_TRAIL_SIG_NO_KEY) {
            join(reasons, sizeof reasons, "%s", RP_TRAIL_R_NO_KEY);
            join(details, sizeof details, "no key with fingerprint '%s'", dg.key_fingerprint);
        } else if (res == RP_TRAIL_SIG_BAD) {
            join(reasons, sizeof reasons, "%s", RP_TRAIL_R_BAD_SIG);
        } else {
            sig_ok = true;
        }
    }
    if ((e = check_chain(v, d, &dg, tmp, reasons, details))) return e;
    bool ok = !reasons[0];
    if ((e = emit(v, RP_TRAIL_DIGEST, ok ? RP_TRAIL_VALID : RP_TRAIL_INVALID, d->path, uri,
                  ok ? NULL : reasons, details[0] ? details : NULL, NULL)))
        return e;
    for (size_t i = 0; i < dg.nlogs; i++)
        if ((e = check_log(v, d, &dg.logs[i], sig_ok))) return e;
    return RP_OK;
}

/* ---- entry point ---------------------------------------------------------------------- */

rp_err rp_trail_verify(struct rp_arena *a, const char *const *paths, size_t npaths,
                       const struct rp_trail_opts *opts, rp_trail_result_fn fn, void *ctx,
                       struct rp_trail_summary *sum, struct rp_errbuf *eb)
{
    memset(sum, 0, sizeof *sum);
    if (!opts || !opts->keys) return rp_fail(eb, RP_EINVAL, "trail: no public keys given");
    struct vctx v;
    memset(&v, 0, sizeof v);
    v.a = a;
    v.o = opts;
    v.fn = fn;
    v.fnctx = ctx;
    v.sum = sum;
    v.eb = eb;
    rp_arena_init(&v.scratch, 0);
    struct rp_buf buf, tmp;
    rp_buf_init(&buf, RP_TRAIL_MAX_DIGEST_BYTES);
    rp_buf_init(&tmp, RP_TRAIL_MAX_DIGEST_BYTES);
    v.sha = rp_hash_sha256_new();
    v.chunk = malloc(HASH_CHUNK);
    rp_err e = v.sha && v.chunk ? RP_OK : rp_fail(eb, RP_ENOMEM, "trail: out of memory");

    for (size_t i = 0; !e && i < npaths; i++) {
        char *real = realpath(paths[i], NULL);
        v.root_real = real ? real : paths[i];
        const char *root = paths[i];
        e = rp_walk_run(&root, 1, NULL, visit, &v, eb);
        free(real);
        if (!e) e = v.err;
    }
    if (!e && v.n) qsort(v.v, v.n, sizeof *v.v, dent_cmp);
    /* The same key twice (overlapping roots, two copies of a bucket): the first one counts. */
    size_t w = 0;
    for (size_t i = 0; !e && i < v.n; i++) {
        if (w && strcmp(v.v[w - 1].key, v.v[i].key) == 0) {
            RP_LOG_WARN("digest '%s' found twice; '%s' is used", v.v[i].key, v.v[w - 1].path);
            continue;
        }
        v.v[w++] = v.v[i];
    }
    if (!e) v.n = w;

    for (size_t i = 0; !e && i < v.n; i++) {
        struct dent *d = &v.v[i];
        if (d->time_ms != TIME_UNKNOWN && !in_range(opts, d->time_ms)) continue;
        rp_arena_reset(&v.scratch);
        e = verify_digest(&v, d, &buf, &tmp);
        if (e == RP_ENOMEM) e = rp_fail(eb, RP_ENOMEM, "trail: out of memory");
    }
    rp_buf_release(&buf);
    rp_buf_release(&tmp);
    rp_arena_release(&v.scratch);
    rp_hash_sha256_free(v.sha);
    free(v.chunk);
    free(v.v);
    return e;
}
