/* SPDX-License-Identifier: Apache-2.0 */
/* Archives as containers of objects (dataid.h): zip and tar (plain, gzip, bzip2, xz or zstd
 * compressed) read in memory through libarchive, each regular member handed on with its path;
 * a member that is itself an archive is opened in turn, down to RP_DATAID_MAX_NESTING. Members
 * are bounded (RP_DATAID_MAX_MEMBER bytes each, RP_DATAID_MAX_RATIO times the archive's size
 * in all), so a zip bomb ends in a reported limit, not in memory exhaustion. */
#define RP_LOG_MODULE "dataid"

#include <archive.h>
#include <archive_entry.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dataid/dataid.h"
#include "core/rp_buf.h"
#include "core/rp_str.h"
#include "core/rp_banned.h"

bool rp_dataid_is_archive(const char *name, const char *buf, size_t n)
{
    static const char *const exts[] = {".zip",  ".tar",    ".tgz", ".tar.gz",  ".tar.bz2",
                                       ".tbz2", ".tar.xz", ".txz", ".tar.zst", ".jar"};
    if (rp_dataid_doc_kind(name, buf, n) != RP_DATAID_DOC_NONE) return false; /* a document */
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++)
        if (rp_str_has_suffix_nocase(rp_str_from(name), exts[i])) return true;
    /* a zip's local header, or ustar at 257 */
    return (n >= 4 && !memcmp(buf, "PK\3\4", 4)) || (n >= 262 && !memcmp(buf + 257, "ustar", 5));
}

struct walk {
    rp_dataid_member_fn fn;
    void *ctx;
    uint64_t budget; /* bytes members may still expand to */
    struct rp_errbuf *eb;
};

static rp_err walk(struct walk *w, const char *outer, const char *buf, size_t n, unsigned depth);

static rp_err member(struct walk *w, struct archive *a, const char *outer, const char *name,
                     int64_t size, unsigned depth)
{
    char path[2048];
    snprintf(path, sizeof path, "%s!/%s", outer, name);
    if (size > (int64_t)RP_DATAID_MAX_MEMBER || (uint64_t)(size > 0 ? size : 0) > w->budget) {
        rp_err e = w->fn(w->ctx, path, NULL, 0,
                         size > (int64_t)RP_DATAID_MAX_MEMBER ? "OBJECT_OVERSIZE"
                                                              : "ARCHIVE_EXPANSION_LIMIT",
                         w->eb);
        return e;
    }
    struct rp_buf b;
    rp_buf_init(&b, RP_DATAID_MAX_MEMBER);
    char chunk[65536];
    la_ssize_t got;
    rp_err e = RP_OK;
    while ((got = archive_read_data(a, chunk, sizeof chunk)) > 0) {
        if ((uint64_t)got > w->budget || rp_buf_append(&b, chunk, (size_t)got)) {
            rp_buf_release(&b);
            return w->fn(w->ctx, path, NULL, 0, "ARCHIVE_EXPANSION_LIMIT", w->eb);
        }
        w->budget -= (uint64_t)got;
    }
    if (got < 0) {
        rp_buf_release(&b);
        return w->fn(w->ctx, path, NULL, 0, "UNSUPPORTED_OR_DAMAGED", w->eb);
    }
    const char *data = b.data ? b.data : "";
    if (depth + 1 < RP_DATAID_MAX_NESTING && rp_dataid_is_archive(name, data, b.len))
        e = walk(w, path, data, b.len, depth + 1);
    else
        e = w->fn(w->ctx, path, data, b.len, NULL, w->eb);
    rp_buf_release(&b);
    return e;
}

static rp_err walk(struct walk *w, const char *outer, const char *buf, size_t n, unsigned depth)
{
    struct archive *a = archive_read_new();
    if (!a) return rp_fail(w->eb, RP_ENOMEM, "dataid: out of memory");
    archive_read_support_filter_all(a);
    archive_read_support_format_zip(a);
    archive_read_support_format_tar(a);
    archive_read_support_format_gnutar(a);
    rp_err e = RP_OK;
    if (archive_read_open_memory(a, buf, n) != ARCHIVE_OK) {
        e = w->fn(w->ctx, outer, NULL, 0, "UNSUPPORTED_OR_DAMAGED", w->eb);
        archive_read_free(a);
        return e;
    }
    struct archive_entry *en;
    int r;
    while (!e && (r = archive_read_next_header(a, &en)) == ARCHIVE_OK) {
        if (archive_entry_filetype(en) != AE_IFREG) continue;
        const char *name = archive_entry_pathname(en);
        e = member(w, a, outer, name ? name : "?",
                   archive_entry_size_is_set(en) ? archive_entry_size(en) : 0, depth);
    }
    if (!e && r != ARCHIVE_EOF && r != ARCHIVE_OK)
        e = w->fn(w->ctx, outer, NULL, 0, "UNSUPPORTED_OR_DAMAGED", w->eb);
    archive_read_free(a);
    return e;
}

rp_err rp_dataid_archive_each(const char *name, const char *buf, size_t n, rp_dataid_member_fn fn,
                              void *ctx, struct rp_errbuf *eb)
{
    uint64_t budget = (uint64_t)n * RP_DATAID_MAX_RATIO;
    if (budget < (1u << 20)) budget = 1u << 20; /* small archives may hold small files */
    struct walk w = {.fn = fn, .ctx = ctx, .budget = budget, .eb = eb};
    return walk(&w, name, buf, n, 0);
}
