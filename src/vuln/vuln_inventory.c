/* SPDX-License-Identifier: Apache-2.0 */
/* The inventory runner (vuln.h, `rampart vulns inventory`): walks files, directory trees and
 * unpacked root filesystems, finds each root's OS (etc/os-release) so OS packages get the
 * right OSV ecosystem ("Debian:12"), and hands every file a format recognises
 * (vuln_inv_*.c, by name mostly) to that format's parser. Files are read whole, capped at
 * VULN_INV_MAX_FILE; damage is reported per file and the walk goes on. A regular file that is
 * a container image tar (docker save or OCI layout) is read as an image (vuln_image.c): its
 * surviving files go through the same formats, with the image's own os-release and each
 * package tagged with the digest of the layer that wrote its file. */
#define RP_LOG_MODULE "vuln"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rp_buf.h"
#include "core/rp_gz.h"
#include "core/rp_limits.h"
#include "core/rp_walk.h"
#include "vuln/vuln.h"
#include "vuln/vuln_image.h"
#include "vuln/vuln_inv_internal.h"
#include "core/rp_banned.h"

#define VULN_INV_MAX_FILE  (256u << 20)
#define VULN_INV_HEAD      4096u
#define VULN_INV_MAX_ROOTS 16

struct inv {
    rp_vuln_pkg_fn fn;
    void *ctx;
    rp_vuln_warn_fn warn;
    void *warn_ctx;
    struct rp_vuln_inventory_summary *sum;
    char os[64]; /* the current root's OSV ecosystem, "" if unknown */
    /* Roots met on the way down (directories with an os-release), innermost last; a file
     * belongs to the innermost root that contains it, so a tree of many unpacked systems
     * (the simulator's inventory/<account>/<region>/<instance>/) names each one's OS. */
    struct {
        size_t len; /* length of the root's path */
        char os[64];
    } roots[VULN_INV_MAX_ROOTS];
    size_t nroots;
    const char *layer; /* the image layer of the file being read, or NULL */
    struct rp_buf data;
    rp_err err;
    struct rp_errbuf eb;
};

static void warnf(struct inv *iv, const char *fmt, ...) RP_PRINTF(2, 3);

static void warnf(struct inv *iv, const char *fmt, ...)
{
    char msg[RP_MAX_ERRMSG + 512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (iv->warn) iv->warn(iv->warn_ctx, msg);
}

/* The OS of the root at dir, from etc/os-release or usr/lib/os-release under it, into out
 * (size n); false when dir has neither. */
static bool os_at(const char *dir, char *out, size_t n)
{
    static const char *const rel[] = {"etc/os-release", "usr/lib/os-release"};
    for (size_t i = 0; i < 2; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, rel[i]);
        struct rp_buf b;
        rp_buf_init(&b, 1u << 16);
        struct rp_errbuf eb;
        bool ok = rp_gz_read_file(path, NULL, &b, &eb) == RP_OK &&
                  rp_vuln_os_release(b.data, b.len, out, n) == RP_OK;
        rp_buf_release(&b);
        if (ok) return true;
    }
    out[0] = 0;
    return false;
}

/* The scanned path may sit inside a root (".../i-0abc/var/lib"): its nearest ancestor with an
 * os-release, short of the file system's own "/" (the host's OS says nothing about a tree
 * copied onto it). */
static void find_os_above(struct inv *iv, const char *path)
{
    char dir[4096];
    rp_strlcpy(dir, path, sizeof dir);
    iv->os[0] = 0;
    for (;;) {
        char *slash = strrchr(dir, '/');
        if (!slash || slash == dir) return;
        *slash = 0;
        if (os_at(dir, iv->os, sizeof iv->os)) return;
    }
}

/* Entering directory path: drop the roots it is not inside, and push it when it is one. */
static void enter_dir(struct inv *iv, const char *path, int depth)
{
    size_t len = strlen(path);
    while (iv->nroots &&
           !(len >= iv->roots[iv->nroots - 1].len &&
             (len == iv->roots[iv->nroots - 1].len || path[iv->roots[iv->nroots - 1].len] == '/')))
        iv->nroots--;
    char os[64];
    if (os_at(path, os, sizeof os) && iv->nroots < VULN_INV_MAX_ROOTS) {
        iv->roots[iv->nroots].len = len;
        rp_strlcpy(iv->roots[iv->nroots].os, os, sizeof os);
        iv->nroots++;
    } else if (depth == 0 && !iv->nroots) {
        find_os_above(iv, path);
        if (iv->os[0] && iv->nroots < VULN_INV_MAX_ROOTS) {
            iv->roots[0].len = len;
            rp_strlcpy(iv->roots[0].os, iv->os, sizeof iv->os);
            iv->nroots = 1;
        }
    }
}

/* The OS of the root file path is in (for rp_vuln_inv_ctx.os_ecosystem). */
static void file_os(struct inv *iv, const char *path)
{
    size_t len = strlen(path);
    while (iv->nroots &&
           !(len > iv->roots[iv->nroots - 1].len && path[iv->roots[iv->nroots - 1].len] == '/'))
        iv->nroots--;
    rp_strlcpy(iv->os, iv->nroots ? iv->roots[iv->nroots - 1].os : "", sizeof iv->os);
}

static rp_err on_pkg(const struct rp_vuln_pkg *p, void *ctx, struct rp_errbuf *eb)
{
    struct inv *iv = ctx;
    iv->sum->packages++;
    if (!iv->layer) return iv->fn(p, iv->ctx, eb);
    struct rp_vuln_pkg q = *p;
    q.source_layer_hash = iv->layer;
    return iv->fn(&q, iv->ctx, eb);
}

/* Run the first format that detects (path, data) over it. */
static rp_err run_formats(struct inv *iv, const char *path, const char *data, size_t n,
                          const char *os)
{
    struct rp_errbuf eb = {0};
    size_t hn = n < VULN_INV_HEAD ? n : VULN_INV_HEAD;
    for (size_t i = 0; rp_vuln_inventory_formats[i]; i++) {
        const struct rp_vuln_inventory_format *f = rp_vuln_inventory_formats[i];
        if (!f->detect(path, data, hn)) continue;
        struct rp_vuln_inv_ctx cx = {.path = path, .os_ecosystem = os};
        iv->sum->files_read++;
        rp_err e = f->parse(&cx, data, n, on_pkg, iv, &eb);
        if (e == RP_EPARSE) {
            iv->sum->failed++;
            warnf(iv, "%s: %s", f->name, eb.msg); /* eb names the file and line */
            return RP_OK;
        }
        if (e) {
            iv->eb = eb;
            return e;
        }
        return RP_OK;
    }
    return RP_OK;
}

static rp_err read_file(struct inv *iv, const char *path)
{
    struct rp_errbuf eb = {0};
    rp_buf_reset(&iv->data);
    rp_err e = rp_gz_read_file(path, NULL, &iv->data, &eb);
    if (e == RP_ENOMEM) return rp_fail(&iv->eb, e, "vulns: out of memory reading '%s'", path);
    if (e) {
        iv->sum->failed++;
        warnf(iv, "%s", eb.msg);
        return RP_OK;
    }
    return run_formats(iv, path, iv->data.data ? iv->data.data : "", iv->data.len,
                       iv->os[0] ? iv->os : NULL);
}

static void image_warn(void *ctx, const char *msg)
{
    warnf(ctx, "%s", msg);
}

static rp_err image_file(void *ctx, const char *path, const char *data, size_t n, const char *layer,
                         const char *os, struct rp_errbuf *eb)
{
    struct inv *iv = ctx;
    iv->layer = layer;
    rp_err e = run_formats(iv, path, data, n, os);
    iv->layer = NULL;
    if (e) *eb = iv->eb;
    return e;
}

/* A container image tar: its files, through the formats. */
static rp_err read_image(struct inv *iv, const char *path)
{
    struct rp_errbuf eb = {0};
    rp_err e = rp_vuln_image_read(path, image_file, iv, image_warn, iv, &iv->sum->failed, &eb);
    if (e == RP_EPARSE) {
        iv->sum->failed++;
        warnf(iv, "%s", eb.msg);
        return RP_OK;
    }
    if (e) iv->eb = eb;
    return e;
}

/* Cheap test on the name before reading a file: every format detects by name, but some by
 * content; so read only files whose head any format claims. */
static bool any_format(const char *path, const char *head, size_t n)
{
    for (size_t i = 0; rp_vuln_inventory_formats[i]; i++)
        if (rp_vuln_inventory_formats[i]->detect(path, head, n)) return true;
    return false;
}

static enum rp_walk_action visit(const struct rp_walk_entry *e, void *ctx)
{
    struct inv *iv = ctx;
    switch (e->event) {
    case RP_WALK_EV_DIR:
        enter_dir(iv, e->path, e->depth);
        return RP_WALK_CONTINUE;
    case RP_WALK_EV_FILE: {
        iv->sum->files_seen++;
        if (e->depth == 0)
            find_os_above(iv, e->path);
        else
            file_os(iv, e->path);
        /* the head, for formats that look at content and for image tars (of any size) */
        char head[VULN_INV_HEAD];
        size_t hn = 0;
        FILE *f = fopen(e->path, "rb");
        if (f) {
            hn = fread(head, 1, sizeof head, f);
            fclose(f);
        }
        if (rp_vuln_image_candidate(e->path, head, hn) && rp_vuln_image_probe(e->path)) {
            iv->err = read_image(iv, e->path);
            return iv->err ? RP_WALK_STOP : RP_WALK_CONTINUE;
        }
        if (e->st && (uint64_t)e->st->st_size > VULN_INV_MAX_FILE) return RP_WALK_CONTINUE;
        if (!any_format(e->path, head, hn)) return RP_WALK_CONTINUE;
        iv->err = read_file(iv, e->path);
        return iv->err ? RP_WALK_STOP : RP_WALK_CONTINUE;
    }
    case RP_WALK_EV_SKIP:
        if (e->reason == RP_WALK_REASON_SEEN || e->reason == RP_WALK_REASON_SYMLINK ||
            e->reason == RP_WALK_REASON_SPECIAL)
            return RP_WALK_CONTINUE; /* root filesystems are full of links and devices */
        warnf(iv, "%s", e->msg);
        return RP_WALK_CONTINUE;
    case RP_WALK_EV_ERROR:
        warnf(iv, "%s", e->msg);
        return RP_WALK_CONTINUE;
    }
    return RP_WALK_CONTINUE;
}

rp_err rp_vuln_inventory(const char *const *paths, size_t npaths, rp_vuln_pkg_fn fn, void *ctx,
                         rp_vuln_warn_fn warn, void *warn_ctx,
                         struct rp_vuln_inventory_summary *sum, struct rp_errbuf *eb)
{
    struct rp_vuln_inventory_summary dummy;
    if (!sum) sum = &dummy;
    memset(sum, 0, sizeof *sum);
    struct inv iv = {.fn = fn, .ctx = ctx, .warn = warn, .warn_ctx = warn_ctx, .sum = sum};
    rp_buf_init(&iv.data, VULN_INV_MAX_FILE);
    rp_err e = RP_OK;
    for (size_t i = 0; i < npaths && !e; i++) {
        iv.os[0] = 0;
        iv.nroots = 0;
        e = rp_walk_run(&paths[i], 1, NULL, visit, &iv, eb);
        if (!e && iv.err) {
            e = iv.err;
            *eb = iv.eb;
        }
    }
    rp_buf_release(&iv.data);
    return e;
}
