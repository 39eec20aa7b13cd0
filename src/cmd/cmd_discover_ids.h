/* SPDX-License-Identifier: Apache-2.0 */
/* `rampart discover identifiers list|add|show|remove` and `discover allow-list`, and the
 * stored custom identifiers and allow lists that scans and jobs use (cmd_discover_ids.c).
 * Private to src/cmd; cmd_discover.c dispatches to these. */
#ifndef RP_CMD_DISCOVER_IDS_H
#define RP_CMD_DISCOVER_IDS_H

#include <stdbool.h>
#include <stddef.h>

#include "cmd/cmd.h"
#include "core/rp_err.h"

struct rp_dataid_set;

/* `discover identifiers SUB ...`, argv[0] = SUB: list, add, show, remove (test stays in
 * cmd_discover.c). Returns an exit status. */
int rp_cmd_discover_identifiers(struct rp_cmd_ctx *ctx, int argc, char **argv);

/* `discover allow-list SUB ...`, argv[0] = SUB: create, list, show, delete. */
int rp_cmd_discover_allow_list(struct rp_cmd_ctx *ctx, int argc, char **argv);

/* Which stored resources a scan uses. A list is NULL (every stored one: custom identifiers not
 * deleted, all allow lists), "" (none), or ids and names separated by commas. */
struct rp_cmd_discover_stored {
    const char *db;          /* the store's path; NULL: nothing stored is used */
    const char *custom_refs; /* custom data identifiers */
    const char *allow_refs;  /* allow lists */
    bool job;                /* the refs are a job's ids: an allow list deleted since is
                                skipped with a warning on stderr (Macie's ignoreJobUsage) */
};

/* Add the stored resources w names to s (not compiled yet). A missing database, or one older
 * than the tables, has none. RP_ENOENT "dataid: no custom data identifier 'X'" / "dataid: no
 * allow list 'X'" for a ref that names nothing; store errors; the set's errors. */
rp_err rp_cmd_discover_add_stored(const struct rp_cmd_discover_stored *w, struct rp_dataid_set *s,
                                  struct rp_errbuf *eb) RP_WUR;

/* Resolve refs (NULL: every stored one; "": none; else comma-separated ids or names) to ids,
 * comma-separated, into out (n bytes), for a job to record. custom: custom identifiers (a
 * deleted one is refused: "dataid: custom data identifier 'X' was deleted"), else allow lists.
 * RP_ENOENT for a ref naming nothing, RP_ELIMIT when out is too small, store errors. */
rp_err rp_cmd_discover_resolve(const char *db, const char *refs, bool custom, char *out, size_t n,
                               struct rp_errbuf *eb) RP_WUR;

#endif
