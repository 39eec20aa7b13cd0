/* SPDX-License-Identifier: Apache-2.0 */
/* rp_embed: lookup of built-in data files and the --data-dir overlay (see rp_embed.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rp_embed.h"
#include "core/rp_banned.h"

static char *overlay_dir;

const struct rp_embed_file *rp_embed_find(const char *path)
{
    size_t lo = 0, hi = rp_embedded_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(rp_embedded[mid].path, path);
        if (c == 0) return &rp_embedded[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

int rp_embed_each(const char *prefix, int (*fn)(const struct rp_embed_file *f, void *ctx),
                  void *ctx)
{
    size_t n = strlen(prefix);
    for (unsigned i = 0; i < rp_embedded_count; i++) {
        if (strncmp(rp_embedded[i].path, prefix, n) != 0) continue;
        int r = fn(&rp_embedded[i], ctx);
        if (r) return r;
    }
    return 0;
}

rp_err rp_embed_set_overlay(const char *dir)
{
    char *d = NULL;
    if (dir) {
        d = strdup(dir);
        if (!d) return RP_ENOMEM;
    }
    free(overlay_dir);
    overlay_dir = d;
    return RP_OK;
}

static bool path_is_safe(const char *path)
{
    /* Overlay paths come from our own callers, but never let one climb out of the dir. */
    if (path[0] == '/' || strstr(path, "..")) return false;
    return true;
}

rp_err rp_embed_load(const char *path, struct rp_buf *out, struct rp_errbuf *eb)
{
    if (overlay_dir && path_is_safe(path)) {
        char full[RP_MAX_PATH_BYTES];
        int n = snprintf(full, sizeof full, "%s/%s", overlay_dir, path);
        if (n < 0 || (size_t)n >= sizeof full)
            return rp_fail(eb, RP_ELIMIT, "embed: overlay path too long for '%s'", path);
        FILE *f = fopen(full, "rb");
        if (f) {
            char chunk[65536];
            size_t got, total = 0;
            rp_err e = RP_OK;
            while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
                total += got;
                if (total > RP_MAX_EMBED_OVERLAY) {
                    e = rp_fail(eb, RP_ELIMIT, "embed: overlay file '%s' is larger than %u bytes",
                                full, (unsigned)RP_MAX_EMBED_OVERLAY);
                    break;
                }
                e = rp_buf_append(out, chunk, got);
                if (e) {
                    rp_fail(eb, e, "embed: cannot load overlay file '%s'", full);
                    break;
                }
            }
            if (!e && ferror(f)) e = rp_fail(eb, RP_EIO, "embed: cannot read '%s'", full);
            fclose(f);
            return e;
        }
        if (errno != ENOENT)
            return rp_fail(eb, RP_EIO, "embed: cannot open overlay file '%s': %s", full,
                           strerror(errno));
    }
    const struct rp_embed_file *ef = rp_embed_find(path);
    if (!ef) return rp_fail(eb, RP_ENOENT, "embed: no data file '%s'", path);
    rp_err e = rp_buf_append(out, ef->data, ef->size);
    if (e) return rp_fail(eb, e, "embed: cannot load '%s'", path);
    return RP_OK;
}
