/* SPDX-License-Identifier: Apache-2.0 */
/* `rampart help [COMMAND]`: the main help, or one command's usage and help text. */
#include <stdio.h>
#include <string.h>

#include "cmd_verbs.h"
#include "core/rp_banned.h"

const char rp_cmd_help_usage[] = "rampart help [COMMAND]";
const char rp_cmd_help_help[] = "Without COMMAND, the list of commands, global options and exit\n"
                                "codes; with one, that command's usage, options and examples.\n";

int rp_cmd_help(struct rp_cmd_ctx *ctx, int argc, char **argv)
{
    if (argc < 2) {
        rp_cmd_print_main_help(ctx->out);
        return RP_EXIT_OK;
    }
    if (argc > 2) return rp_cmd_usage_error("help", "expected one command name, got %d", argc - 1);
    const struct rp_cmd *c = rp_cmd_find(argv[1]);
    if (!c) return rp_cmd_usage_error("help", "'%s' is not a rampart command", argv[1]);
    fprintf(ctx->out, "usage: %s\n\n%s\n%s", c->usage, c->summary, c->help);
    return RP_EXIT_OK;
}
