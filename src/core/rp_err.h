/* SPDX-License-Identifier: Apache-2.0 */
/* The error type of every fallible Rampart function (STYLE.md B3).
 *
 * A function that can fail returns rp_err and writes results through out-parameters. Detail
 * goes into an optional struct rp_errbuf through rp_fail(), which returns the code so that
 *     return rp_fail(eb, RP_EPARSE, "cloudtrail: missing field '%s'", name);
 * reports and returns in one step. Codes are never renumbered; new ones go above RP_ERR_LAST. */
#ifndef RP_ERR_H
#define RP_ERR_H

#include "core/rp_base.h"
#include "core/rp_limits.h"

typedef enum rp_err {
    RP_OK = 0,
    RP_ENOMEM,
    RP_EINVAL,
    RP_EPARSE,
    RP_ELIMIT,
    RP_ENOENT,
    RP_EEXIST,
    RP_EIO,
    RP_EPERM,
    RP_ETIMEDOUT,
    RP_EUNSUPPORTED,
    RP_EDB,
    RP_ENET,
    RP_EINTERNAL,
    RP_ERR_LAST /* never use; append new codes just above, never renumber */
} rp_err;

struct rp_errbuf {
    rp_err code;
    char msg[RP_MAX_ERRMSG]; /* NUL-terminated, truncated if longer */
};

/* Static text for a code ("parse error"); never NULL, "unknown error" past RP_ERR_LAST. */
const char *rp_strerror(rp_err e);

/* Stable lower-case name of a code ("RP_EPARSE"), for JSON output and tests. */
const char *rp_err_name(rp_err e);

/* Record code and a formatted message in *eb (eb may be NULL) and return code. */
rp_err rp_fail(struct rp_errbuf *eb, rp_err code, const char *fmt, ...) RP_PRINTF(3, 4);

/* The rp_err for a system errno: ENOENT/ENOTDIR -> RP_ENOENT, EACCES/EPERM -> RP_EPERM,
 * ENOMEM -> RP_ENOMEM, EEXIST -> RP_EEXIST, ETIMEDOUT -> RP_ETIMEDOUT, anything else RP_EIO. */
rp_err rp_err_from_errno(int e);

/* Clear eb to RP_OK with an empty message. eb may be NULL. */
void rp_errbuf_clear(struct rp_errbuf *eb);

/* The message of eb, or rp_strerror(code) when the message is empty. Borrowed from eb. */
const char *rp_errbuf_msg(const struct rp_errbuf *eb, rp_err code);

#endif
