/* SPDX-License-Identifier: Apache-2.0 */
/* Local files and directories as Macie objects (dataid.h): a walk of the paths (core/rp_walk:
 * sorted, symlink-safe), each file read whole (gzip decompressed, RP_DATAID_MAX_OBJECT at
 * most), archives opened member by member (dataid_archive.c; Office documents are zips but
 * are documents, read by rp_dataid_classify), every object classified and
 * passed on with its bucket/key name; a caller's want callback may leave a file unread (an
 * unchanged checkpoint) and root_done says whether each path was listed whole. Used by
 * `rampart discover scan` and the demo. */
#define RP_LOG_MODULE "dataid"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dataid/dataid.h"
#include "core/rp_buf.h"
#include "core/rp_gz.h"
#include "core/rp_walk.h"
#include "core/rp_banned.h"

struct walk {
    const struct rp_dataid_set *s;
    struct rp_dataid_scratch *sc;
    rp_dataid_object_fn fn;
    void *ctx;
    struct rp_dataid_walk_stats *st;
    struct rp_dataid_object_ref base; /* bucket, size, times of the file being read */
    const char *file_key;
    const char *file_path;
    const struct rp_dataid_walk_opts *opts;
    const char *root; /* the path given being walked */
    bool root_dir;    /* it is a directory */
    bool root_ok;     /* and everything under it could be examined so far */
    rp_err err;
    struct rp_errbuf *eb;
};

static rp_err report(struct walk *w, const char *path, const char *key, const char *status,
                     const char *reason)
{
    struct rp_dataid_object o = {.path = path, .ref = w->base, .status = status, .reason = reason};
    o.ref.key = key;
    if (strcmp(status, "ERROR") == 0)
        w->st->failed++;
    else
        w->st->skipped++;
    return w->fn(w->ctx, &o, w->eb);
}

/* Classify data as the object name (its extension picks the locators), shown as path. */
static rp_err classify_as(struct walk *w, const char *name, const char *path, const char *key,
                          const char *data, size_t n)
{
    struct rp_dataid_result r;
    struct rp_errbuf ceb = {0};
    if (rp_dataid_classify(w->s, w->sc, name, data, n, &r, &ceb))
        return report(w, path, key, "ERROR", ceb.msg);
    if (r.status && strcmp(r.status, "COMPLETE")) { /* a document not read: encrypted, ... */
        rp_err e = report(w, path, key, r.reason, r.detail);
        rp_dataid_result_release(&r);
        return e;
    }
    w->st->objects++;
    w->st->bytes += (int64_t)n;
    struct rp_dataid_object o = {.path = path, .ref = w->base, .result = &r};
    o.ref.key = key;
    o.ref.size = (int64_t)n;
    rp_err e = w->fn(w->ctx, &o, w->eb);
    rp_dataid_result_release(&r);
    return e;
}

/* A member of the archive being read: path "<file>!/<member>", key "<file key>!/<member>". */
static rp_err on_member(void *ctx, const char *path, const char *data, size_t n, const char *status,
                        struct rp_errbuf *eb)
{
    (void)eb;
    struct walk *w = ctx;
    const char *rest = path + strlen(w->file_path); /* "!/member" */
    char key[2048];
    snprintf(key, sizeof key, "%s%s", w->file_key, rest);
    if (!data) {
        const char *why = !strcmp(status, "OBJECT_OVERSIZE") ? "a member too large to read"
                          : !strcmp(status, "ARCHIVE_EXPANSION_LIMIT")
                              ? "the archive expands past its limit"
                              : "a damaged or unsupported archive";
        return report(w, path, key, status, why);
    }
    return classify_as(w, path, path, key, data, n);
}

/* The read (decompressed) bytes of the object w->base/w->file_key shown as path: an
 * archive member by member, else one object of the kind its name says. */
static rp_err classify_data(struct walk *w, const char *path, const char *data, size_t n)
{
    if (rp_dataid_is_archive(path, data, n))
        return rp_dataid_archive_each(path, data, n, on_member, w, w->eb);
    /* "x.csv.gz" was read decompressed: its kind is the name without ".gz" */
    char name[4096];
    rp_strlcpy(name, path, sizeof name);
    size_t len = strlen(name);
    if (len > 3 && !strcmp(name + len - 3, ".gz")) name[len - 3] = 0;
    return classify_as(w, name, path, w->file_key, data, n);
}

static const char *basename_of(const char *p, char *buf, size_t n)
{
    rp_strlcpy(buf, p, n);
    size_t len = strlen(buf);
    while (len > 1 && buf[len - 1] == '/') buf[--len] = 0;
    const char *s = strrchr(buf, '/');
    return s ? s + 1 : buf;
}

/* The caller's want: whether the entry w->base names is to be read or reported. */
static bool wanted(struct walk *w, const struct stat *st)
{
    bool read = true;
    if (w->opts && w->opts->want && !w->err) {
        struct rp_dataid_object_ref ref = w->base;
        ref.key = w->file_key;
        w->err = w->opts->want(w->ctx, &ref, st, &read, w->eb);
    }
    return read && !w->err;
}

static void read_one(struct walk *w, const struct rp_walk_entry *en)
{
    char bucket[1024];
    w->base.bucket = en->depth ? basename_of(en->root, bucket, sizeof bucket) : "local";
    w->base.size = en->st ? (int64_t)en->st->st_size : 0;
    w->base.last_modified_ms = en->st ? (int64_t)en->st->st_mtime * 1000 : 0;
    w->file_key = en->depth ? en->rel : en->path;
    w->file_path = en->path;
    if (!wanted(w, en->st)) return;
    if (en->st && (uint64_t)en->st->st_size > RP_DATAID_MAX_OBJECT) {
        char why[128];
        snprintf(why, sizeof why, "larger than %u MiB", RP_DATAID_MAX_OBJECT >> 20);
        w->err = report(w, en->path, w->file_key, "OBJECT_OVERSIZE", why);
        return;
    }
    struct rp_buf b;
    rp_buf_init(&b, RP_DATAID_MAX_OBJECT);
    struct rp_errbuf reb = {0};
    if (rp_gz_read_file(en->path, NULL, &b, &reb)) {
        rp_buf_release(&b);
        w->err = report(w, en->path, w->file_key, "ERROR", reb.msg);
        return;
    }
    w->err = classify_data(w, en->path, b.data ? b.data : "", b.len);
    rp_buf_release(&b);
}

/* The end of the path being walked: tell the caller whether it was listed whole. */
static void end_root(struct walk *w)
{
    if (w->root && !w->err && w->opts && w->opts->root_done)
        w->err = w->opts->root_done(w->ctx, w->root, w->root_dir, w->root_ok, w->eb);
    w->root = NULL;
}

static enum rp_walk_action on_entry(const struct rp_walk_entry *en, void *ctx)
{
    struct walk *w = ctx;
    if (en->root != w->root) {
        end_root(w);
        w->root = en->root;
        w->root_dir = false;
        w->root_ok = true;
    }
    if (en->event == RP_WALK_EV_DIR && en->depth == 0) w->root_dir = true;
    if (en->event == RP_WALK_EV_ERROR ||
        (en->event == RP_WALK_EV_SKIP && en->reason != RP_WALK_REASON_SYMLINK &&
         en->reason != RP_WALK_REASON_SEEN && en->reason != RP_WALK_REASON_SPECIAL))
        w->root_ok = false;
    switch (en->event) {
    case RP_WALK_EV_FILE:
        read_one(w, en);
        return w->err ? RP_WALK_STOP : RP_WALK_CONTINUE;
    case RP_WALK_EV_SKIP:
    case RP_WALK_EV_ERROR:
        /* links, loops and devices are not objects; anything else not read is reported */
        if (en->event == RP_WALK_EV_SKIP &&
            (en->reason == RP_WALK_REASON_SYMLINK || en->reason == RP_WALK_REASON_SEEN ||
             en->reason == RP_WALK_REASON_SPECIAL))
            return RP_WALK_CONTINUE;
        w->base = (struct rp_dataid_object_ref){
            .bucket = "local", .job_id = w->base.job_id, .now_ms = w->base.now_ms};
        w->file_key = en->path;
        if (wanted(w, NULL)) w->err = report(w, en->path, en->path, "ERROR", en->msg);
        return w->err ? RP_WALK_STOP : RP_WALK_CONTINUE;
    default:
        return RP_WALK_CONTINUE;
    }
}

rp_err rp_dataid_classify_paths_ex(const struct rp_dataid_set *s, struct rp_dataid_scratch *sc,
                                   const char *const *paths, size_t npaths, int64_t now_ms,
                                   const struct rp_dataid_walk_opts *opts, rp_dataid_object_fn fn,
                                   void *ctx, struct rp_dataid_walk_stats *st, struct rp_errbuf *eb)
{
    struct rp_dataid_walk_stats dummy;
    if (!st) st = &dummy;
    memset(st, 0, sizeof(*st));
    struct walk w = {.s = s, .sc = sc, .fn = fn, .ctx = ctx, .st = st, .eb = eb, .opts = opts};
    w.base.now_ms = now_ms;
    w.base.job_id = opts ? opts->job_id : NULL;
    rp_err e = rp_walk_run(paths, npaths, NULL, on_entry, &w, eb);
    if (!e) end_root(&w);
    return e ? e : w.err;
}

rp_err rp_dataid_classify_paths(const struct rp_dataid_set *s, struct rp_dataid_scratch *sc,
                                const char *const *paths, size_t npaths, int64_t now_ms,
                                rp_dataid_object_fn fn, void *ctx, struct rp_dataid_walk_stats *st,
                                struct rp_errbuf *eb)
{
    return rp_dataid_classify_paths_ex(s, sc, paths, npaths, now_ms, NULL, fn, ctx, st, eb);
}

rp_err rp_dataid_classify_object(const struct rp_dataid_set *s, struct rp_dataid_scratch *sc,
                                 const struct rp_dataid_object_ref *ref, const char *path,
                                 const char *data, size_t n, rp_dataid_object_fn fn, void *ctx,
                                 struct rp_dataid_walk_stats *st, struct rp_errbuf *eb)
{
    struct rp_dataid_walk_stats dummy;
    if (!st) st = &dummy;
    memset(st, 0, sizeof(*st));
    struct walk w = {.s = s, .sc = sc, .fn = fn, .ctx = ctx, .st = st, .eb = eb};
    w.base = *ref;
    w.file_key = ref->key;
    w.file_path = path;
    return classify_data(&w, path, data ? data : "", n);
}
