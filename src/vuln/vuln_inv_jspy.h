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

/* Parse p[0..n) as JSON with jp into *root; on failure "path:line: json: reason at offset
 * N" in *eb and the rp_json error (RP_EPARSE, RP_ELIMIT, RP_ENOMEM). */
struct rp_json_parser;
struct rp_json_val;
/* cx->path, or "-" when there is none, for messages. */
const char *rp_vuln_jspy_path(const struct rp_vuln_inv_ctx *cx);

#endif
