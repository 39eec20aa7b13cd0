/* SPDX-License-Identifier: Apache-2.0 */
/* The inventory runner (vuln.h, `rampart vulns inventory`): walks files, directory trees and
 * unpacked root filesystems, finds each root's OS (etc/os-release) so OS packages get the
 * right OSV ecosystem ("Debian:12"), and hands every file a format recognises
 * (vuln_inv_*.c, by name mostly) to that format's parser. Files are read whole, capped at
 * VULN_INV_MAX_FILE; damage is reported per file and the walk goes on. */
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
#include "vuln/vuln_inv_internal.h"
#include "core/rp_banned.h"

#define VULN_INV_MAX_FILE (256u << 20)
#define VULN_INV_HEAD     4096u

struct inv {
    rp_vuln_pkg_fn fn;
    void *ctx;
    rp_vuln_warn_fn warn;
    void *warn_ctx;
    struct rp_vuln_inventory_summary *sum;
    char os[64]; /* the current root's OSV ecosystem, "" if unknown */
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

/* The OS of the root at dir, from etc/os-release or usr/lib/os-release under it. */
static void find_os(struct inv *iv, const char *dir)
{
    static const char *const rel[] = {"etc/os-release", "usr/lib/os-release"};
    iv->os[0] = 0;
    for (size_t i = 0; i < 2; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, rel[i]);
        struct rp_buf b;
        rp_buf_init(&b, 1u << 16);
        struct rp_errbuf eb;
        if (rp_gz_read_file(path, NULL, &b, &eb) == RP_OK &&
            rp_vuln_os_release(b.data, b.len, iv->os, sizeof iv->os) == RP_OK) {
            rp_buf_release(&b);
            return;
        }
        rp_buf_release(&b);
        iv->os[0] = 0;
    }
}

static rp_err on_pkg(const struct rp_vuln_pkg *p, void *ctx, struct rp_errbuf *eb)
{
    struct inv *iv = ctx;
    iv->sum->packages++;
    return iv->fn(p, iv->ctx, eb);
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
    size_t hn = iv->data.len < VULN_INV_HEAD ? iv->data.len : VULN_INV_HEAD;
    for (size_t i = 0; rp_vuln_inventory_formats[i]; i++) {
        const struct rp_vuln_inventory_format *f = rp_vuln_inventory_formats[i];
        if (!f->detect(path, iv->data.data ? iv->data.data : "", hn)) continue;
        struct rp_vuln_inv_ctx cx = {.path = path, .os_ecosystem = iv->os[0] ? iv->os : NULL};
        iv->sum->files_read++;
        e = f->parse(&cx, iv->data.data ? iv->data.data : "", iv->data.len, on_pkg, iv, &eb);
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
        if (e->depth == 0) find_os(iv, e->path);
        return RP_WALK_CONTINUE;
    case RP_WALK_EV_FILE: {
        iv->sum->files_seen++;
        if (e->st && (uint64_t)e->st->st_size > VULN_INV_MAX_FILE) return RP_WALK_CONTINUE;
        /* the head, for formats that look at content */
        char head[VULN_INV_HEAD];
        size_t hn = 0;
        FILE *f = fopen(e->path, "rb");
        if (f) {
            hn = fread(head, 1, sizeof head, f);
            fclose(f);
        }
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
        e = rp_walk_run(&paths[i], 1, NULL, visit, &iv, eb);
        if (!e && iv.err) {
            e = iv.err;
            *eb = iv.eb;
        }
    }
    rp_buf_release(&iv.data);
    return e;
}
