/* SPDX-License-Identifier: Apache-2.0 */
/* rp_err: error codes, their texts and the rp_fail() reporting idiom (see rp_err.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/rp_err.h"
#include "core/rp_banned.h"

static const struct {
    const char *name;
    const char *text;
} errs[] = {
    [RP_OK] = {"RP_OK", "success"},
    [RP_ENOMEM] = {"RP_ENOMEM", "out of memory"},
    [RP_EINVAL] = {"RP_EINVAL", "invalid argument"},
    [RP_EPARSE] = {"RP_EPARSE", "parse error"},
    [RP_ELIMIT] = {"RP_ELIMIT", "limit exceeded"},
    [RP_ENOENT] = {"RP_ENOENT", "not found"},
    [RP_EEXIST] = {"RP_EEXIST", "already exists"},
    [RP_EIO] = {"RP_EIO", "input/output error"},
    [RP_EPERM] = {"RP_EPERM", "permission denied"},
    [RP_ETIMEDOUT] = {"RP_ETIMEDOUT", "timed out"},
    [RP_EUNSUPPORTED] = {"RP_EUNSUPPORTED", "not supported"},
    [RP_EDB] = {"RP_EDB", "database error"},
    [RP_ENET] = {"RP_ENET", "network error"},
    [RP_EINTERNAL] = {"RP_EINTERNAL", "internal error"},
};
_Static_assert(RP_ARRAY_LEN(errs) == RP_ERR_LAST, "every rp_err has a text");

const char *rp_strerror(rp_err e)
{
    if ((unsigned)e >= RP_ERR_LAST) return "unknown error";
    return errs[e].text;
}

const char *rp_err_name(rp_err e)
{
    if ((unsigned)e >= RP_ERR_LAST) return "RP_EUNKNOWN";
    return errs[e].name;
}

rp_err rp_fail(struct rp_errbuf *eb, rp_err code, const char *fmt, ...)
{
    if (eb) {
        va_list ap;
        eb->code = code;
        va_start(ap, fmt);
        vsnprintf(eb->msg, sizeof eb->msg, fmt, ap);
        va_end(ap);
    }
    return code;
}

rp_err rp_err_from_errno(int e)
{
    switch (e) {
    case ENOENT:
    case ENOTDIR:
        return RP_ENOENT;
    case EACCES:
    case EPERM:
        return RP_EPERM;
    case ENOMEM:
        return RP_ENOMEM;
    case EEXIST:
        return RP_EEXIST;
    case ETIMEDOUT:
        return RP_ETIMEDOUT;
    default:
        return RP_EIO;
    }
}

void rp_errbuf_clear(struct rp_errbuf *eb)
{
    if (!eb) return;
    eb->code = RP_OK;
    eb->msg[0] = '\0';
}

const char *rp_errbuf_msg(const struct rp_errbuf *eb, rp_err code)
{
    if (eb && eb->msg[0]) return eb->msg;
    return rp_strerror(code);
}

void rp_bug(const char *file, int line, const char *cond)
{
    fprintf(stderr, "BUG: %s:%d: %s\n", file, line, cond);
    abort();
}
