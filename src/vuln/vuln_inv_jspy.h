/* SPDX-License-Identifier: Apache-2.0 */
/* Private to src/vuln: what the JavaScript and Python lockfile readers (vuln_inv_package_lock.c,
 * vuln_inv_yarn_lock.c, vuln_inv_requirements.c, vuln_inv_poetry_lock.c,
 * vuln_inv_pipfile_lock.c) share: an emitter that reports each (name, version) once, in first
 * appearance order, with the ecosystem, package manager and path filled in; line iteration;
 * and the base name test their detect() functions use. */
#ifndef RP_VULN_INV_JSPY_H
#define RP_VULN_INV_JSPY_H

#include "core/rp_arena.h"
#include "vuln/vuln.h"

struct rp_vuln_jspy_ent; /* one seen (name, version), vuln_inv_jspy.c */

/* Emitter state; fill with rp_vuln_jspy_init, free with rp_vuln_jspy_release. */
struct rp_vuln_jspy {
    const struct rp_vuln_inv_ctx *cx;
    const char *ecosystem, *package_manager; /* static strings */
    rp_vuln_pkg_fn fn;
    void *ctx;
    struct rp_arena arena;        /* copies of names and versions */
    struct rp_vuln_jspy_ent *tab; /* open addressing, cap a power of two; malloc'd */
    size_t cap, n;
};

void rp_vuln_jspy_init(struct rp_vuln_jspy *j, const struct rp_vuln_inv_ctx *cx,
                       const char *ecosystem, const char *package_manager, rp_vuln_pkg_fn fn,
                       void *ctx);
void rp_vuln_jspy_release(struct rp_vuln_jspy *j);

/* Report (name, version) unless it was reported before or either is empty. RP_ENOMEM, or
 * fn's error, with details in *eb. */
rp_err rp_vuln_jspy_emit(struct rp_vuln_jspy *j, struct rp_str name, struct rp_str version,
                         struct rp_errbuf *eb) RP_WUR;

/* The next line of p[0..n) from *pos (without its "\n" or "\r\n") into *line, 1-based number
 * in *lineno (incremented); false at the end. */
bool rp_vuln_jspy_line_next(const char *p, size_t n, size_t *pos, struct rp_str *line,
                            size_t *lineno);

/* The base name of path (after the last '/'). */
struct rp_str rp_vuln_jspy_basename(const char *path);

/* The 1-based line of byte offset off in p[0..n) (off past n counts to the end). */
size_t rp_vuln_jspy_line_of(const char *p, size_t n, size_t off);

/* Parse p[0..n) as JSON with jp into *root; on failure "path:line: json: reason at offset
 * N" in *eb and the rp_json error (RP_EPARSE, RP_ELIMIT, RP_ENOMEM). */
struct rp_json_parser;
struct rp_json_val;
rp_err rp_vuln_jspy_json_parse(const struct rp_vuln_inv_ctx *cx, struct rp_json_parser *jp,
                               const char *p, size_t n, struct rp_json_val *root,
                               struct rp_errbuf *eb) RP_WUR;

/* cx->path, or "-" when there is none, for messages. */
const char *rp_vuln_jspy_path(const struct rp_vuln_inv_ctx *cx);

#endif
