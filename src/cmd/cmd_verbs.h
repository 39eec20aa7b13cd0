/* SPDX-License-Identifier: Apache-2.0 */
/* One declaration block per verb file (src/cmd/cmd_<verb>.c); rp_cmds[] in rampart.c lists
 * them. Adding a verb: one file plus one line here and one row in rp_cmds[]. */
#ifndef RP_CMD_VERBS_H
#define RP_CMD_VERBS_H

#include "cmd/cmd.h"

#define RP_CMD_DECLARE(v)                                                                          \
    int rp_cmd_##v(struct rp_cmd_ctx *ctx, int argc, char **argv);                                 \
    extern const char rp_cmd_##v##_usage[];                                                        \
    extern const char rp_cmd_##v##_help[];

RP_CMD_DECLARE(db)
RP_CMD_DECLARE(demo)
RP_CMD_DECLARE(detect)
RP_CMD_DECLARE(discover)
RP_CMD_DECLARE(events)
RP_CMD_DECLARE(findings)
RP_CMD_DECLARE(help)
RP_CMD_DECLARE(ingest)
RP_CMD_DECLARE(query)
RP_CMD_DECLARE(reach)
RP_CMD_DECLARE(rules)
RP_CMD_DECLARE(simulate)
RP_CMD_DECLARE(standards)
RP_CMD_DECLARE(threatintel)
RP_CMD_DECLARE(trail)
RP_CMD_DECLARE(vulns)

/* The text of `rampart --help`. */
void rp_cmd_print_main_help(FILE *f);

#endif
