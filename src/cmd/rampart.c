/* SPDX-License-Identifier: Apache-2.0 */
/* main() of the rampart CLI: global options, the command table and dispatch (Git's
 * commands[] shape). Global options may appear before or after the verb; everything else is
 * handed to the verb, which parses its own options. Only this file may exit the process. */
#define RP_LOG_MODULE "cmd"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd_verbs.h"
#include "cmd_version.h"
#include "core/rp_embed.h"
#include "core/rp_log.h"
#include "core/rp_banned.h"

/* Kept sorted by name; `rampart --help` prints them in this order. */
const struct rp_cmd rp_cmds[] = {
    {"db", rp_cmd_db, RP_CMD_NEEDS_DB, "inspect the store: schema, row counts, rejected input",
     rp_cmd_db_usage, rp_cmd_db_help},
    {"demo", rp_cmd_demo, RP_CMD_NEEDS_DB, "run what Rampart can do today on generated input",
     rp_cmd_demo_usage, rp_cmd_demo_help},
    {"detect", rp_cmd_detect, RP_CMD_NEEDS_DB,
     "threat detection (GuardDuty) over CloudTrail, flow logs, DNS and Kubernetes audit",
     rp_cmd_detect_usage, rp_cmd_detect_help},
    {"discover", rp_cmd_discover, RP_CMD_NEEDS_DB,
     "sensitive data discovery: Macie's data identifiers over files", rp_cmd_discover_usage,
     rp_cmd_discover_help},
    {"events", rp_cmd_events, RP_CMD_NEEDS_DB,
     "look up CloudTrail events in the store (LookupEvents)", rp_cmd_events_usage,
     rp_cmd_events_help},
    {"findings", rp_cmd_findings, RP_CMD_NEEDS_DB,
     "the findings hub: import, list, update, export findings (Security Hub, ASFF)",
     rp_cmd_findings_usage, rp_cmd_findings_help},
    {"help", rp_cmd_help, 0, "show help for rampart or one command", rp_cmd_help_usage,
     rp_cmd_help_help},
    {"ingest", rp_cmd_ingest, RP_CMD_NEEDS_DB,
     "read CloudTrail, flow logs, DNS, Kubernetes audit and Config files into the store",
     rp_cmd_ingest_usage, rp_cmd_ingest_help},
    {"query", rp_cmd_query, 0,
     "SQL over the store and over log files in place (Athena): tables, connectors, history",
     rp_cmd_query_usage, rp_cmd_query_help},
    {"reach", rp_cmd_reach, RP_CMD_NEEDS_DB,
     "network reachability from Config items: open ports, paths, VPN and CloudHub (Inspector)",
     rp_cmd_reach_usage, rp_cmd_reach_help},
    {"rules", rp_cmd_rules, RP_CMD_NEEDS_DB,
     "AWS Config rules over the inventory: managed rules, Guard rules, conformance packs",
     rp_cmd_rules_usage, rp_cmd_rules_help},
    {"simulate", rp_cmd_simulate, 0, "generate a synthetic AWS estate with labelled attacks",
     rp_cmd_simulate_usage, rp_cmd_simulate_help},
    {"standards", rp_cmd_standards, RP_CMD_NEEDS_DB,
     "Security Hub standards: CIS, PCI DSS, FSBP controls, control status, security score",
     rp_cmd_standards_usage, rp_cmd_standards_help},
    {"vulns", rp_cmd_vulns, RP_CMD_NEEDS_DB,
     "vulnerability database (OSV) and package matching with each ecosystem's version order",
     rp_cmd_vulns_usage, rp_cmd_vulns_help},
    {"threatintel", rp_cmd_threatintel, RP_CMD_NEEDS_DB,
     "threat lists and trusted IP lists for detect (GuardDuty's ThreatIntelSet, IPSet)",
     rp_cmd_threatintel_usage, rp_cmd_threatintel_help},
    {"trail", rp_cmd_trail, 0, "validate CloudTrail log file integrity (digest files)",
     rp_cmd_trail_usage, rp_cmd_trail_help},
    {NULL, NULL, 0, NULL, NULL, NULL},
};

const struct rp_cmd *rp_cmd_find(const char *name)
{
    for (const struct rp_cmd *c = rp_cmds; c->name; c++)
        if (strcmp(c->name, name) == 0) return c;
    return NULL;
}

/* "rampart: [verb: ]<message>" on stderr, without the newline. */
RP_PRINTF(2, 0) static void vreport(const char *verb, const char *fmt, va_list ap)
{
    fputs("rampart: ", stderr);
    if (verb) fprintf(stderr, "%s: ", verb);
    vfprintf(stderr, fmt, ap);
}

int rp_cmd_usage_error(const char *verb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(verb, fmt, ap);
    va_end(ap);
    if (verb)
        fprintf(stderr, "\nhint: see 'rampart help %s'\n", verb);
    else
        fputs("\nhint: see 'rampart --help'\n", stderr);
    return RP_EXIT_USAGE;
}

int rp_cmd_error(const char *verb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(verb, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return RP_EXIT_ERROR;
}

/* Edit distance for "did you mean" hints; names are short. */
static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 31 || lb > 31) return 99;
    size_t d[32][32];
    for (size_t i = 0; i <= la; i++) d[i][0] = i;
    for (size_t j = 0; j <= lb; j++) d[0][j] = j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            size_t sub = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            size_t del = d[i - 1][j] + 1, ins = d[i][j - 1] + 1;
            d[i][j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
        }
    return d[la][lb];
}

static int unknown_command(const char *name)
{
    fprintf(stderr, "rampart: '%s' is not a rampart command\n", name);
    const struct rp_cmd *best = NULL;
    size_t bestd = 3;
    for (const struct rp_cmd *c = rp_cmds; c->name; c++) {
        size_t d = edit_distance(name, c->name);
        if (d < bestd) {
            bestd = d;
            best = c;
        }
    }
    if (best)
        fprintf(stderr, "hint: did you mean 'rampart %s'? see 'rampart --help'\n", best->name);
    else
        fputs("hint: see 'rampart --help' for the list of commands\n", stderr);
    return RP_EXIT_USAGE;
}

void rp_cmd_print_main_help(FILE *f)
{
    fputs("usage: rampart [--db PATH] [--format table|json|csv] [-v | -q] COMMAND [ARGS]\n"
          "       rampart --version | --help | help COMMAND\n\n"
          "Rampart: security monitoring and compliance over your own AWS logs, offline.\n\n"
          "commands:\n",
          f);
    for (const struct rp_cmd *c = rp_cmds; c->name; c++)
        fprintf(f, "  %-12s %s\n", c->name, c->summary);
    fputs("\nglobal options (before or after the command):\n"
          "  --db PATH          the store (default: $RAMPART_DB, else ./rampart.db)\n"
          "  --data-dir DIR     files here replace built-in data files of the same path\n"
          "  --format FMT       results as table (default), json or csv\n"
          "  -v, --verbose      more log output (repeat for debug)\n"
          "  -q, --quiet        errors only\n"
          "  --version          print the version and exit\n"
          "  -h, --help         this text\n\n"
          "exit status:\n"
          "  0  success\n"
          "  1  error\n"
          "  2  usage error (bad command line)\n"
          "  3  partial: the work was done but some input was rejected (see 'rampart db "
          "rejects')\n\n"
          "Logs go to stderr: text on a terminal, JSON lines otherwise.\n",
          f);
}

int rp_cmd_opt_value(const char *name, int argc, char **argv, int *i, const char **val)
{
    const char *a = argv[*i];
    size_t n = strlen(name);
    if (strncmp(a, name, n) != 0) return 0;
    if (a[n] == '=') {
        *val = a + n + 1;
        return 1;
    }
    if (a[n] != '\0') return 0;
    if (*i + 1 >= argc) return -1;
    *val = argv[++*i];
    return 1;
}

int main(int argc, char **argv)
{
    struct rp_cmd_ctx ctx = {.db_path = NULL,
                             .db_given = false,
                             .data_dir = NULL,
                             .format = RP_OUT_TABLE,
                             .verbosity = 0,
                             .out = stdout};
    char **vargv = calloc((size_t)argc + 2, sizeof *vargv);
    if (!vargv) {
        fputs("rampart: out of memory\n", stderr);
        return RP_EXIT_ERROR;
    }
    int vargc = 0, rc = RP_EXIT_OK;
    bool passthrough = false, want_help = false, want_version = false;
    static const char *const global_with_value[] = {"--db", "--data-dir", "--format"};

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (passthrough || a[0] != '-' || a[1] == '\0') {
            vargv[vargc++] = argv[i];
            continue;
        }
        if (strcmp(a, "--") == 0) {
            passthrough = true;
            vargv[vargc++] = argv[i];
            continue;
        }
        const char *val = NULL;
        int hit = 0;
        size_t g;
        for (g = 0; g < RP_ARRAY_LEN(global_with_value); g++) {
            hit = rp_cmd_opt_value(global_with_value[g], argc, argv, &i, &val);
            if (hit) break;
        }
        if (hit < 0) {
            rc = rp_cmd_usage_error(NULL, "option '%s' needs a value", a);
            goto out;
        }
        if (hit > 0) {
            if (g == 0) {
                ctx.db_path = val;
                ctx.db_given = true;
            } else if (g == 1) {
                ctx.data_dir = val;
            } else if (strcmp(val, "table") == 0) {
                ctx.format = RP_OUT_TABLE;
            } else if (strcmp(val, "json") == 0) {
                ctx.format = RP_OUT_JSON;
            } else if (strcmp(val, "csv") == 0) {
                ctx.format = RP_OUT_CSV;
            } else if (vargc > 0) {
                /* a format only the verb knows (query: jsonl, aws): its own option */
                vargv[vargc++] = (char *)"--format";
                vargv[vargc++] = (char *)val;
            } else {
                rc = rp_cmd_usage_error(NULL, "unknown format '%s' (use table, json or csv)", val);
                goto out;
            }
        } else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
            ctx.verbosity = ctx.verbosity < 0 ? 1 : ctx.verbosity + 1;
        } else if (strcmp(a, "-vv") == 0) {
            ctx.verbosity = 2;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            ctx.verbosity = -1;
        } else if (strcmp(a, "--version") == 0) {
            want_version = true;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            want_help = true;
        } else if (vargc == 0) {
            rc = rp_cmd_usage_error(NULL, "unknown option '%s'", a);
            goto out;
        } else {
            vargv[vargc++] = argv[i]; /* the verb's own option */
        }
    }

    if (want_version) {
        fprintf(stdout, "rampart %s\n", RP_VERSION);
        goto out;
    }
    if (want_help && vargc > 0) {
        char *hargv[] = {"help", vargv[0], NULL};
        rc = rp_cmd_help(&ctx, 2, hargv);
        goto out;
    }
    if (want_help || vargc == 0) {
        rp_cmd_print_main_help(want_help ? stdout : stderr);
        rc = want_help ? RP_EXIT_OK : RP_EXIT_USAGE;
        goto out;
    }

    rp_log_set_level(ctx.verbosity < 0    ? RP_LOG_LVL_ERROR
                     : ctx.verbosity == 0 ? RP_LOG_LVL_WARN
                     : ctx.verbosity == 1 ? RP_LOG_LVL_INFO
                                          : RP_LOG_LVL_DEBUG);
    if (!ctx.db_path) ctx.db_path = getenv("RAMPART_DB");
    if (!ctx.db_path || !*ctx.db_path) ctx.db_path = "rampart.db";
    if (ctx.data_dir && rp_embed_set_overlay(ctx.data_dir) != RP_OK) {
        rc = rp_cmd_error(NULL, "out of memory");
        goto out;
    }

    const struct rp_cmd *cmd = rp_cmd_find(vargv[0]);
    if (!cmd) {
        rc = unknown_command(vargv[0]);
        goto out;
    }
    rc = cmd->fn(&ctx, vargc, vargv);
    if (fflush(stdout) != 0 && rc == RP_EXIT_OK) rc = rp_cmd_error(NULL, "cannot write output");

out:
    if (rp_embed_set_overlay(NULL) != RP_OK) { /* clearing cannot fail */
    }
    free(vargv);
    return rc;
}
