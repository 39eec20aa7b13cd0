/* SPDX-License-Identifier: Apache-2.0 */
/* Files of data/ built into the binary (STYLE.md B8) by cmake/RpEmbed.cmake, plus the
 * --data-dir overlay: a file at the same relative path under the overlay directory replaces
 * the built-in copy whole (it is never patched). */
#ifndef RP_EMBED_H
#define RP_EMBED_H

#include "core/rp_err.h"
#include "core/rp_buf.h"

struct rp_embed_file {
    const char *path;          /* relative to data/, '/'-separated, e.g. "schemas/x.sql" */
    const unsigned char *data; /* size bytes followed by a NUL byte */
    size_t size;
};

/* Generated table, sorted by path, terminated by a { NULL } entry. */
extern const struct rp_embed_file rp_embedded[];
extern const unsigned rp_embedded_count;

/* The built-in copy of path, or NULL when there is none. Static storage, never freed. */
const struct rp_embed_file *rp_embed_find(const char *path);

/* Calls fn for every built-in file whose path starts with prefix, in path order. A nonzero
 * return from fn stops the walk and is returned. */
int rp_embed_each(const char *prefix, int (*fn)(const struct rp_embed_file *f, void *ctx),
                  void *ctx);

/* Set (or with NULL clear) the overlay directory. The string is copied. */
rp_err rp_embed_set_overlay(const char *dir) RP_WUR;

/* Contents of path into out (appended): the overlay file if one exists, else the built-in
 * copy. RP_ENOENT when neither exists, RP_EIO/RP_ELIMIT for an unreadable or oversized
 * overlay file, with details in *eb. */
rp_err rp_embed_load(const char *path, struct rp_buf *out, struct rp_errbuf *eb) RP_WUR;

#endif
