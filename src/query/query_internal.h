/* SPDX-License-Identifier: Apache-2.0 */
/* Shared between the files of src/query (private): what the session offers to the adapter
 * and tables, and the Athena-syntax rewriter. */
#ifndef RP_QUERY_INTERNAL_H
#define RP_QUERY_INTERNAL_H

#include <stddef.h>

#include "core/rp_err.h"
#include "query/query_table.h"

/* A warning from a table (rp_query_warn). session may be NULL (tests): the message then goes
 * to stderr as "rampart: warning: <msg>" while stats->warnings <= RP_QUERY_MAX_WARNINGS. */
void rp_query_session_warn(void *session, const struct rp_query_stats *stats, const char *msg);

/* ---- the Athena rewrite (query_rewrite.c) ------------------------------------------------ */

/* One replaced stretch: orig[o0, o1) became sql[n0, n1). */
struct rp_query_edit {
    size_t o0, o1, n0, n1;
};

struct rp_query_rewrite {
    char *sql;                   /* the text to run; owned */
    struct rp_query_edit *edits; /* in order; NULL when nothing changed */
    size_t nedits;
};

/* Rewrite the Athena/Presto syntax SQLite lacks into what it has (see query_rewrite.c):
 * struct field access on JSON columns (useridentity.sessioncontext.attributes.mfaauthenticated
 * -> rp_field(useridentity, 'sessioncontext.attributes.mfaauthenticated')) and TRY_CAST.
 * Strings, quoted identifiers and comments are left alone. RP_ENOMEM. */
rp_err rp_query_rewrite(const char *sql, struct rp_query_rewrite *out, struct rp_errbuf *eb) RP_WUR;

/* The offset in the original text of byte off of the rewritten one. */
size_t rp_query_rewrite_map(const struct rp_query_rewrite *rw, size_t off);

void rp_query_rewrite_release(struct rp_query_rewrite *rw);

#endif
