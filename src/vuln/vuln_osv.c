/* SPDX-License-Identifier: Apache-2.0 */
/* The OSV advisory index (vuln.h, store migration 0010): `rampart vulns db import` reads OSV
 * JSON (as osv.dev publishes it: one advisory per file in trees or per-ecosystem dumps) into
 * osv_advisories / osv_affected, and rp_vuln_match() answers "which advisories affect this
 * version of this package" with the ecosystem's own version ordering (vuln_ver_*.c).
 *
 * Zip archives (osv.dev's per-ecosystem all.zip) are read member by member through
 * libarchive, each .json member imported as a file would be.
 *
 * Range evaluation follows the OSV schema: a range's events, sorted by version ("0" before
 * everything), open an interval at each `introduced` and close it at the next `fixed`
 * (exclusive) or `last_affected` (inclusive); `limit` caps every interval. A version listed
 * in `versions` is affected whatever the ranges say. */
#define RP_LOG_MODULE "vuln"

#include <archive.h>
#include <archive_entry.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rp_buf.h"
#include "core/rp_gz.h"
#include "core/rp_json.h"
#include "core/rp_limits.h"
#include "core/rp_log.h"
#include "core/rp_time.h"
#include "core/rp_walk.h"
#include "store/store.h"
#include "vuln/vuln.h"
#include "core/rp_banned.h"

#define OSV_MAX_FILE   (64u << 20) /* one advisory file, decoded */
#define OSV_MAX_EVENTS 512         /* events of one range */
#define OSV_MAX_NAME   1024        /* a package name, normalized */

/* ---- names ------------------------------------------------------------------------------- */

static bool is_pypi(struct rp_str eco)
{
    return eco.len >= 4 && memcmp(eco.p, "PyPI", 4) == 0 && (eco.len == 4 || eco.p[4] == ':');
}

rp_err rp_vuln_name_normalize(struct rp_str eco, struct rp_str name, char *buf, size_t bufsz)
{
    size_t o = 0;
    bool pypi = is_pypi(eco), sep = false;
    for (size_t i = 0; i < name.len; i++) {
        char c = name.p[i];
        if (pypi && (c == '-' || c == '_' || c == '.')) {
            sep = true;
            continue;
        }
        if (sep) {
            if (o + 1 >= bufsz) return RP_ELIMIT;
            buf[o++] = '-';
            sep = false;
        }
        if (o + 1 >= bufsz) return RP_ELIMIT;
        buf[o++] = pypi && c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
    }
    if (o >= bufsz) return RP_ELIMIT;
    buf[o] = 0;
    return RP_OK;
}

static struct rp_str eco_base(struct rp_str eco)
{
    size_t n = 0;
    while (n < eco.len && eco.p[n] != ':') n++;
    return (struct rp_str){eco.p, n};
}

/* ---- import ------------------------------------------------------------------------------ */

struct imp {
    struct rp_store *st;
    struct rp_vuln_import_summary *sum;
    struct rp_json_parser *jp;
    struct rp_buf raw;  /* the file */
    struct rp_buf text; /* compact JSON of parts */
    rp_err err;
    struct rp_errbuf eb;
};

static rp_err reject(struct imp *im, const char *path, const char *reason, struct rp_errbuf *eb)
{
    im->sum->rejected++;
    RP_LOG_WARN("vulns: %s: %s", path, reason);
    struct rp_store_reject r = {.source = path,
                                .format = "osv",
                                .offset = -1,
                                .reason = reason,
                                .raw = im->raw.data,
                                .raw_n = im->raw.len < RP_MAX_REJECT_BYTES ? im->raw.len
                                                                           : RP_MAX_REJECT_BYTES,
                                .orig_len = im->raw.len};
    return rp_store_reject_add(im->st, &r, NULL, eb);
}

/* Compact JSON text of v into im->text (NUL-terminated), or an empty text for absent v. */
static rp_err compact(struct imp *im, struct rp_json_val v, bool present)
{
    rp_buf_reset(&im->text);
    if (!present) return rp_buf_append(&im->text, "", 1);
    struct rp_json_writer w;
    rp_json_writer_init(&w, &im->text);
    rp_json_write_val(&w, v);
    rp_err e = rp_json_writer_finish(&w);
    return e ? e : rp_buf_append(&im->text, "", 1);
}

static rp_err bind_json(struct imp *im, struct rp_store_stmt *s, int idx, struct rp_json_val obj,
                        const char *key, struct rp_errbuf *eb)
{
    struct rp_json_val v;
    bool present = rp_json_obj_get(obj, key, &v) == RP_OK && rp_json_type(v) != RP_JSON_NULL;
    rp_err e = compact(im, v, present);
    if (e) return rp_fail(eb, e, "vulns: cannot write '%s' as JSON", key);
    if (!present) return rp_store_stmt_bind_null(s, idx, eb);
    return rp_store_stmt_bind_text(s, idx, im->text.data, im->text.len - 1, eb);
}

static bool time_of(struct rp_json_val obj, const char *key, int64_t *ms)
{
    struct rp_str s;
    struct rp_errbuf eb;
    return rp_json_obj_get_str(obj, key, &s) == RP_OK && rp_time_parse_iso(s, ms, &eb) == RP_OK;
}

/* One advisory object. RP_EPARSE (with a reason in *eb) rejects it. */
static rp_err advisory(struct imp *im, struct rp_json_val adv, struct rp_errbuf *eb)
{
    struct rp_str id = {0};
    int64_t modified = 0, published = 0, withdrawn = 0;
    if (rp_json_type(adv) != RP_JSON_OBJECT)
        return rp_fail(eb, RP_EPARSE, "an advisory must be a JSON object");
    if (rp_json_obj_get_str(adv, "id", &id) || id.len == 0)
        return rp_fail(eb, RP_EPARSE, "missing field 'id'");
    if (!time_of(adv, "modified", &modified))
        return rp_fail(eb, RP_EPARSE, "'%.*s': missing or bad field 'modified'", (int)id.len, id.p);
    im->sum->advisories++;

    struct rp_store_stmt *s;
    bool row = false;
    rp_err e = rp_store_stmt_prepare(im->st, "SELECT modified_ms FROM osv_advisories WHERE id = ?1",
                                     &s, eb);
    if (!e) e = rp_store_stmt_bind_text(s, 1, id.p, id.len, eb);
    if (!e) e = rp_store_stmt_step(s, &row, eb);
    if (e) return e;
    int64_t have = row ? rp_store_stmt_column_int64(s, 0) : 0;
    rp_store_stmt_reset(s);
    if (row && have >= modified) {
        im->sum->unchanged++;
        return RP_OK;
    }
    if (row) {
        if ((e = rp_store_stmt_prepare(im->st, "DELETE FROM osv_affected WHERE advisory = ?1", &s,
                                       eb)) ||
            (e = rp_store_stmt_bind_text(s, 1, id.p, id.len, eb)) ||
            (e = rp_store_stmt_step(s, &row, eb)))
            return e;
        im->sum->updated++;
    } else {
        im->sum->inserted++;
    }

    if ((e = rp_store_stmt_prepare(
             im->st,
             "INSERT OR REPLACE INTO osv_advisories (id, modified_ms, published_ms, withdrawn_ms, "
             "summary, aliases, severity, doc) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
             &s, eb)))
        return e;
    struct rp_str summary = {0};
    bool has_summary = rp_json_obj_get_str(adv, "summary", &summary) == RP_OK;
    if ((e = rp_store_stmt_bind_text(s, 1, id.p, id.len, eb)) ||
        (e = rp_store_stmt_bind_int64(s, 2, modified, eb)) ||
        (e = time_of(adv, "published", &published) ? rp_store_stmt_bind_int64(s, 3, published, eb)
                                                   : rp_store_stmt_bind_null(s, 3, eb)) ||
        (e = time_of(adv, "withdrawn", &withdrawn) ? rp_store_stmt_bind_int64(s, 4, withdrawn, eb)
                                                   : rp_store_stmt_bind_null(s, 4, eb)) ||
        (e = has_summary ? rp_store_stmt_bind_text(s, 5, summary.p, summary.len, eb)
                         : rp_store_stmt_bind_null(s, 5, eb)) ||
        (e = bind_json(im, s, 6, adv, "aliases", eb)) ||
        (e = bind_json(im, s, 7, adv, "severity", eb)))
        return e;
    if ((e = compact(im, adv, true)))
        return rp_fail(eb, e, "vulns: cannot write '%.*s' as JSON", (int)id.len, id.p);
    if ((e = rp_store_stmt_bind_text(s, 8, im->text.data, im->text.len - 1, eb)) ||
        (e = rp_store_stmt_step(s, &row, eb)))
        return e;

    struct rp_json_val aff;
    if (rp_json_obj_get(adv, "affected", &aff) != RP_OK || rp_json_type(aff) != RP_JSON_ARRAY)
        return RP_OK; /* nothing affected (a withdrawn or placeholder record) */
    struct rp_json_iter it;
    struct rp_json_val a;
    int64_t idx = 0;
    if (rp_json_arr_iter(aff, &it)) return RP_OK;
    while (rp_json_arr_next(&it, &a)) {
        struct rp_json_val pkg;
        struct rp_str eco = {0}, name = {0}, purl = {0};
        if (rp_json_obj_get(a, "package", &pkg) != RP_OK ||
            rp_json_obj_get_str(pkg, "ecosystem", &eco) != RP_OK ||
            rp_json_obj_get_str(pkg, "name", &name) != RP_OK) {
            idx++;
            continue; /* affected by commit only (no package): nothing to match by name */
        }
        bool has_purl = rp_json_obj_get_str(pkg, "purl", &purl) == RP_OK;
        char norm[OSV_MAX_NAME];
        if (rp_vuln_name_normalize(eco, name, norm, sizeof norm)) {
            idx++;
            continue;
        }
        struct rp_str base = eco_base(eco);
        if ((e = rp_store_stmt_prepare(
                 im->st,
                 "INSERT OR REPLACE INTO osv_affected (advisory, idx, ecosystem, eco_base, name, "
                 "purl, ranges, versions) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                 &s, eb)) ||
            (e = rp_store_stmt_bind_text(s, 1, id.p, id.len, eb)) ||
            (e = rp_store_stmt_bind_int64(s, 2, idx, eb)) ||
            (e = rp_store_stmt_bind_text(s, 3, eco.p, eco.len, eb)) ||
            (e = rp_store_stmt_bind_text(s, 4, base.p, base.len, eb)) ||
            (e = rp_store_stmt_bind_cstr(s, 5, norm, eb)) ||
            (e = has_purl ? rp_store_stmt_bind_text(s, 6, purl.p, purl.len, eb)
                          : rp_store_stmt_bind_null(s, 6, eb)) ||
            (e = bind_json(im, s, 7, a, "ranges", eb)) ||
            (e = bind_json(im, s, 8, a, "versions", eb)) || (e = rp_store_stmt_step(s, &row, eb)))
            return e;
        idx++;
    }
    return RP_OK;
}

static bool zip_name(const char *name)
{
    size_t n = strlen(name);
    return n > 4 && strcmp(name + n - 4, ".zip") == 0;
}

static bool osv_name(const char *name)
{
    size_t n = strlen(name);
    return (n > 5 && strcmp(name + n - 5, ".json") == 0) ||
           (n > 8 && strcmp(name + n - 8, ".json.gz") == 0);
}

/* The advisories of im->raw (one advisory, or an array of them), read from the file or
 * archive member named label. */
static rp_err import_raw(struct imp *im, const char *label, struct rp_errbuf *eb)
{
    struct rp_errbuf feb = {0};
    rp_err e;
    struct rp_json_val root;
    if ((e = rp_json_parse_buf(im->jp, &im->raw, &root, &feb))) {
        if (e == RP_ENOMEM) return rp_fail(eb, e, "vulns: out of memory parsing '%s'", label);
        return reject(im, label, feb.msg, eb);
    }
    if (rp_json_type(root) == RP_JSON_ARRAY) {
        struct rp_json_iter it;
        struct rp_json_val adv;
        if (rp_json_arr_iter(root, &it)) return RP_OK;
        while (rp_json_arr_next(&it, &adv)) {
            e = advisory(im, adv, &feb);
            if (e == RP_EPARSE) {
                if ((e = reject(im, label, feb.msg, eb))) return e;
                continue;
            }
            if (e) {
                *eb = feb;
                return e;
            }
            if ((e = rp_store_batch_add(im->st, 1, eb))) return e;
        }
        return RP_OK;
    }
    e = advisory(im, root, &feb);
    if (e == RP_EPARSE) return reject(im, label, feb.msg, eb);
    if (e) {
        *eb = feb;
        return e;
    }
    return rp_store_batch_add(im->st, 1, eb);
}

static rp_err import_file(struct imp *im, const char *path, struct rp_errbuf *eb)
{
    struct rp_errbuf feb = {0};
    rp_buf_reset(&im->raw);
    rp_err e = rp_gz_read_file(path, NULL, &im->raw, &feb);
    if (e == RP_ENOMEM) return rp_fail(eb, e, "vulns: out of memory reading '%s'", path);
    im->sum->files++;
    if (e) return reject(im, path, feb.msg, eb);
    return import_raw(im, path, eb);
}

/* A zip archive as osv.dev publishes one per ecosystem (<Ecosystem>/all.zip, one <ID>.json
 * per member): each .json member is imported as a file would be, named "<zip>:<member>" in
 * rejects. A member that cannot be read (bad CRC, unsupported compression, over
 * OSV_MAX_FILE) is rejected and the next one read; damage to the archive's structure rejects
 * the archive from there on. */
static rp_err import_zip(struct imp *im, const char *path, struct rp_errbuf *eb)
{
    struct archive *a = archive_read_new();
    if (!a) return rp_fail(eb, RP_ENOMEM, "vulns: out of memory reading '%s'", path);
    rp_err e = RP_OK;
    char label[RP_MAX_PATH_BYTES + 1024];
    rp_buf_reset(&im->raw);
    if (archive_read_support_format_zip(a) != ARCHIVE_OK ||
        archive_read_open_filename(a, path, 1u << 16) != ARCHIVE_OK) {
        im->sum->files++;
        const char *why = archive_error_string(a);
        snprintf(label, sizeof label, "not a zip archive: %s", why ? why : "cannot open");
        e = reject(im, path, label, eb);
        archive_read_free(a);
        return e;
    }
    struct archive_entry *en;
    for (;;) {
        int r = archive_read_next_header(a, &en);
        if (r == ARCHIVE_EOF) break;
        if (r == ARCHIVE_RETRY) continue;
        if (r == ARCHIVE_FATAL) {
            const char *why = archive_error_string(a);
            rp_buf_reset(&im->raw);
            e = reject(im, path, why ? why : "damaged zip archive", eb);
            break;
        }
        const char *name = archive_entry_pathname(en);
        if (archive_entry_filetype(en) != AE_IFREG || !name || !osv_name(name)) continue;
        snprintf(label, sizeof label, "%s:%s", path, name);
        im->sum->files++;
        rp_buf_reset(&im->raw);
        rp_err re = RP_OK;
        for (;;) {
            size_t room = im->raw.max - im->raw.len, want = room < (1u << 16) ? room : 1u << 16;
            la_ssize_t n;
            if (want == 0) {
                char c;
                n = archive_read_data(a, &c, 1);
                re = n < 0 ? RP_EIO : n ? RP_ELIMIT : RP_OK;
                break;
            }
            if ((re = rp_buf_reserve(&im->raw, want))) break;
            n = archive_read_data(a, im->raw.data + im->raw.len, want);
            if (n < 0) {
                re = RP_EIO;
                break;
            }
            if (n == 0) break;
            rp_buf_commit(&im->raw, (size_t)n);
        }
        if (re == RP_ENOMEM) {
            e = rp_fail(eb, re, "vulns: out of memory reading '%s'", label);
            break;
        }
        if (re) {
            char why[RP_MAX_ERRMSG];
            if (re == RP_ELIMIT)
                snprintf(why, sizeof why, "larger than %u bytes", OSV_MAX_FILE);
            else
                snprintf(why, sizeof why, "%s",
                         archive_error_string(a) ? archive_error_string(a) : "read error");
            rp_buf_reset(&im->raw);
            if ((e = reject(im, label, why, eb))) break;
            continue;
        }
        if ((e = import_raw(im, label, eb))) break;
    }
    archive_read_free(a);
    return e;
}

static enum rp_walk_action visit(const struct rp_walk_entry *e, void *ctx)
{
    struct imp *im = ctx;
    switch (e->event) {
    case RP_WALK_EV_DIR:
        return RP_WALK_CONTINUE;
    case RP_WALK_EV_FILE:
        if (zip_name(e->name)) {
            im->err = import_zip(im, e->path, &im->eb);
            return im->err ? RP_WALK_STOP : RP_WALK_CONTINUE;
        }
        if (e->depth > 0 && !osv_name(e->name)) return RP_WALK_CONTINUE;
        im->err = import_file(im, e->path, &im->eb);
        return im->err ? RP_WALK_STOP : RP_WALK_CONTINUE;
    case RP_WALK_EV_SKIP:
        if (e->reason == RP_WALK_REASON_SEEN) return RP_WALK_CONTINUE;
        /* fall through */
    case RP_WALK_EV_ERROR:
        rp_buf_reset(&im->raw);
        im->err = reject(im, e->path, e->msg, &im->eb);
        return im->err ? RP_WALK_STOP : RP_WALK_CONTINUE;
    }
    return RP_WALK_CONTINUE;
}

rp_err rp_vuln_db_import(struct rp_store *st, const char *const *paths, size_t npaths,
                         struct rp_vuln_import_summary *sum, struct rp_errbuf *eb)
{
    struct rp_vuln_import_summary dummy;
    if (!sum) sum = &dummy;
    memset(sum, 0, sizeof *sum);
    struct imp im = {.st = st, .sum = sum};
    if (!(im.jp = rp_json_parser_new())) return rp_fail(eb, RP_ENOMEM, "vulns: out of memory");
    rp_buf_init(&im.raw, OSV_MAX_FILE);
    rp_buf_init(&im.text, OSV_MAX_FILE);
    rp_err e = rp_store_batch_begin(st, 2000, NULL, NULL, eb);
    if (!e) {
        e = rp_walk_run(paths, npaths, NULL, visit, &im, eb);
        if (!e && im.err) {
            e = im.err;
            *eb = im.eb;
        }
        if (e)
            rp_store_batch_rollback(st);
        else
            e = rp_store_batch_commit(st, eb);
    }
    rp_buf_release(&im.raw);
    rp_buf_release(&im.text);
    rp_json_parser_free(im.jp);
    return e;
}

/* ---- matching ---------------------------------------------------------------------------- */

enum ev_kind { EV_INTRODUCED, EV_FIXED, EV_LAST, EV_LIMIT };

struct ev {
    enum ev_kind kind;
    struct rp_str v;
    bool zero; /* introduced "0": before every version */
};

/* Event order: "0" first, then by version, and an introduced before a fix at the same
 * version. */
static int ev_cmp(const struct rp_vuln_versioning *ver, const struct ev *a, const struct ev *b)
{
    if (a->zero || b->zero) return (int)b->zero - (int)a->zero;
    int c = ver->cmp(a->v, b->v);
    if (c) return c;
    return (int)a->kind - (int)b->kind;
}

/* Insertion sort: ranges hold a handful of events, and qsort has no context argument for the
 * ordering (a global would make matching unsafe across threads). */
static void ev_sort(const struct rp_vuln_versioning *ver, struct ev *evs, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        struct ev x = evs[i];
        size_t j = i;
        for (; j > 0 && ev_cmp(ver, &evs[j - 1], &x) > 0; j--) evs[j] = evs[j - 1];
        evs[j] = x;
    }
}

/* Does range (a JSON object) include v? *fixed gets the fix closing the interval that holds
 * v (a slice into the range's JSON), or stays empty. */
static bool in_range(const struct rp_vuln_versioning *ver, struct rp_json_val range,
                     struct rp_str v, struct rp_str *fixed)
{
    struct rp_json_val events;
    struct rp_json_iter it;
    struct rp_json_val e;
    struct ev evs[OSV_MAX_EVENTS];
    size_t n = 0;
    if (rp_json_obj_get(range, "events", &events) || rp_json_arr_iter(events, &it)) return false;
    while (rp_json_arr_next(&it, &e) && n < OSV_MAX_EVENTS) {
        static const char *const keys[] = {"introduced", "fixed", "last_affected", "limit"};
        for (int k = 0; k < 4; k++) {
            struct rp_str s;
            if (rp_json_obj_get_str(e, keys[k], &s) != RP_OK) continue;
            evs[n].kind = (enum ev_kind)k;
            evs[n].v = s;
            evs[n].zero = k == EV_INTRODUCED && s.len == 1 && s.p[0] == '0';
            n++;
            break;
        }
    }
    ev_sort(ver, evs, n);
    for (size_t i = 0; i < n; i++) /* a limit caps everything */
        if (evs[i].kind == EV_LIMIT && ver->cmp(v, evs[i].v) >= 0) return false;
    bool open = false;
    struct rp_str from = {0};
    bool from_zero = false;
    for (size_t i = 0; i < n; i++) {
        const struct ev *x = &evs[i];
        if (x->kind == EV_INTRODUCED) {
            if (!open) {
                open = true;
                from = x->v;
                from_zero = x->zero;
            }
        } else if ((x->kind == EV_FIXED || x->kind == EV_LAST) && open) {
            bool after_start = from_zero || ver->cmp(v, from) >= 0;
            bool before_end = x->kind == EV_FIXED ? ver->cmp(v, x->v) < 0 : ver->cmp(v, x->v) <= 0;
            if (after_start && before_end) {
                if (x->kind == EV_FIXED) *fixed = x->v;
                return true;
            }
            open = false;
        }
    }
    return open && (from_zero || ver->cmp(v, from) >= 0);
}

static bool listed(struct rp_json_val versions, struct rp_str v)
{
    struct rp_json_iter it;
    struct rp_json_val x;
    if (rp_json_arr_iter(versions, &it)) return false;
    while (rp_json_arr_next(&it, &x)) {
        struct rp_str s;
        if (rp_json_get_str(x, &s) == RP_OK && rp_str_eq(s, v)) return true;
    }
    return false;
}

rp_err rp_vuln_match(struct rp_store *st, struct rp_str ecosystem, struct rp_str name,
                     struct rp_str version, rp_vuln_hit_fn fn, void *ctx, struct rp_errbuf *eb)
{
    char norm[OSV_MAX_NAME];
    if (rp_vuln_name_normalize(ecosystem, name, norm, sizeof norm))
        return rp_fail(eb, RP_ELIMIT, "vulns: package name longer than %d bytes", OSV_MAX_NAME);
    struct rp_str base = eco_base(ecosystem);
    bool with_release = base.len < ecosystem.len;
    const struct rp_vuln_versioning *ver = rp_vuln_versioning_for_ecosystem(ecosystem);
    const struct rp_vuln_versioning *semver = rp_vuln_versioning_find("semver");
    struct rp_store_stmt *s;
    rp_err e = rp_store_stmt_prepare(
        st,
        "SELECT f.advisory, f.ecosystem, f.ranges, f.versions, a.summary, a.aliases, a.severity "
        "FROM osv_affected AS f JOIN osv_advisories AS a ON a.id = f.advisory "
        "WHERE f.eco_base = ?1 AND f.name = ?2 AND a.withdrawn_ms IS NULL "
        "AND (?3 = 0 OR f.ecosystem = f.eco_base OR f.ecosystem = ?4) "
        "ORDER BY f.advisory, f.idx",
        &s, eb);
    if (e) return e;
    if ((e = rp_store_stmt_bind_text(s, 1, base.p, base.len, eb)) ||
        (e = rp_store_stmt_bind_cstr(s, 2, norm, eb)) ||
        (e = rp_store_stmt_bind_int64(s, 3, with_release, eb)) ||
        (e = rp_store_stmt_bind_text(s, 4, ecosystem.p, ecosystem.len, eb)))
        return e;
    struct rp_json_parser *jp = rp_json_parser_new();
    struct rp_buf last, fixbuf;
    rp_buf_init(&last, 4096);
    rp_buf_init(&fixbuf, 4096);
    if (!jp) return rp_fail(eb, RP_ENOMEM, "vulns: out of memory");
    bool row = false;
    while (!(e = rp_store_stmt_step(s, &row, eb)) && row) {
        const char *id = rp_store_stmt_column_text(s, 0, NULL);
        if (last.len && strcmp(last.data, id) == 0) continue; /* already reported */
        size_t rn = 0, vn = 0;
        const char *ranges = rp_store_stmt_column_text(s, 2, &rn);
        const char *versions = rp_store_stmt_column_text(s, 3, &vn);
        struct rp_vuln_hit h = {.id = id,
                                .ecosystem = rp_store_stmt_column_text(s, 1, NULL),
                                .summary = rp_store_stmt_column_text(s, 4, NULL),
                                .aliases = rp_store_stmt_column_text(s, 5, NULL),
                                .severity = rp_store_stmt_column_text(s, 6, NULL)};
        bool hit = false;
        struct rp_json_val root;
        struct rp_errbuf jeb;
        if (versions && rp_json_parse(jp, versions, vn, &root, &jeb) == RP_OK &&
            listed(root, version)) {
            hit = true;
            h.how = "versions";
        }
        if (!hit && ranges && rp_json_parse(jp, ranges, rn, &root, &jeb) == RP_OK) {
            struct rp_json_iter it;
            struct rp_json_val r;
            if (rp_json_arr_iter(root, &it) == RP_OK)
                while (!hit && rp_json_arr_next(&it, &r)) {
                    struct rp_str type = {0}, fixed = {0};
                    if (rp_json_obj_get_str(r, "type", &type) ||
                        !(rp_str_eq_cstr(type, "ECOSYSTEM") || rp_str_eq_cstr(type, "SEMVER")))
                        continue;
                    /* SEMVER ranges hold SemVer 2.0 versions whatever the ecosystem (the
                     * OSV schema); ECOSYSTEM ranges need the ecosystem's own ordering */
                    const struct rp_vuln_versioning *rv =
                        rp_str_eq_cstr(type, "SEMVER") ? semver : ver;
                    if (rv && in_range(rv, r, version, &fixed)) {
                        hit = true;
                        h.how = rp_str_eq_cstr(type, "SEMVER") ? "SEMVER" : "ECOSYSTEM";
                        rp_buf_reset(&fixbuf);
                        if (fixed.p && !rp_buf_append(&fixbuf, fixed.p, fixed.len) &&
                            !rp_buf_append(&fixbuf, "", 1))
                            h.fixed = fixbuf.data;
                    }
                }
        }
        if (!hit) continue;
        rp_buf_reset(&last);
        if (rp_buf_append(&last, id, strlen(id) + 1)) {
            e = rp_fail(eb, RP_ENOMEM, "vulns: out of memory");
            break;
        }
        if ((e = fn(&h, ctx, eb))) break;
    }
    rp_store_stmt_reset(s);
    rp_buf_release(&last);
    rp_buf_release(&fixbuf);
    rp_json_parser_free(jp);
    return e;
}
