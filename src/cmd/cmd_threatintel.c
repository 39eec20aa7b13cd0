/* SPDX-License-Identifier: Apache-2.0 */
/* `rampart threatintel`: GuardDuty's threat lists and trusted-IP lists (ThreatIntelSet and
 * IPSet, aws-facts §4.2) kept in the store for `rampart detect`: add a list file in any of
 * GuardDuty's six formats (re-adding a name replaces it), list, remove, activate and
 * deactivate lists, and look an address or a domain up in every list (trusted wins). The work
 * is in src/detect/detect_ti_store.c; see docs/threatintel.md. */
#define RP_LOG_MODULE "cmd"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cmd/cmd_verbs.h"
#include "core/rp_time.h"
#include "detect/detect_ti.h"
#include "store/store.h"
#include "core/rp_banned.h"

#define VERB         "threatintel"
#define MAX_WARNINGS 20 /* record warnings printed by one add; the rest are counted */

const char rp_cmd_threatintel_usage[] =
    "rampart threatintel add FILE --name NAME [--format FMT] [--type ThreatIntelSet|IPSet]\n"
    "                        [--kind KIND] [--inactive]\n"
    "       rampart threatintel list [--builtin]\n"
    "       rampart threatintel remove NAME\n"
    "       rampart threatintel activate|deactivate NAME\n"
    "       rampart threatintel lookup ADDRESS|DOMAIN...";

const char rp_cmd_threatintel_help[] =
    "Threat lists and trusted IP lists for `rampart detect` (GuardDuty's ThreatIntelSet and\n"
    "IPSet). An address on an active trusted list never raises a finding; an address or a\n"
    "domain on an active threat list raises the .Custom finding types.\n"
    "\n"
    "  add FILE            read a list file (gzip is fine) and store it under --name; adding\n"
    "                      a name again replaces that list's entries\n"
    "      --name NAME     the list's name: letters, digits, '.', '_', '-' (required)\n"
    "      --format FMT    TXT (one address, CIDR or domain per line), STIX (2.x JSON bundle\n"
    "                      or 1.x XML), OTX_CSV, ALIEN_VAULT, PROOF_POINT, FIRE_EYE; sniffed\n"
    "                      from the content when left out\n"
    "      --type T        IPSet (a trusted IP list) or ThreatIntelSet (default)\n"
    "      --kind KIND     what a match means: threat (default; the .Custom types), trusted\n"
    "                      (= --type IPSet), or a feed for GuardDuty's own knowledge: tor,\n"
    "                      malicious, c2, mining, phishing, drop-point, blackhole, drive-by, dga\n"
    "      --inactive      store the list INACTIVE (default: a new list is ACTIVE, a replaced\n"
    "                      one keeps its status)\n"
    "  list                the stored lists: type, kind, format, status, entries, rejected\n"
    "                      records, when added and from where\n"
    "      --builtin       also Rampart's built-in lists (mining pools, GuardDuty's test\n"
    "                      domain)\n"
    "  remove NAME         delete a list (and its rejected records)\n"
    "  activate NAME, deactivate NAME\n"
    "                      include a list in detection again, or leave it out\n"
    "  lookup VALUE...     which lists hold an address or a domain (or a parent domain), and\n"
    "                      what detection makes of it: trusted, match, overridden (a threat\n"
    "                      entry on a trusted address: trusted wins), inactive\n"
    "\n"
    "GuardDuty's limits hold: one trusted list of at most 2,000 entries, at most 6 threat\n"
    "lists of at most 250,000 entries each, files of at most 35 MB.\n"
    "Exit status: 0 done; 3 some records of the file were rejected (each one is warned about\n"
    "and kept: `rampart db rejects --source threatintel:NAME`), the rest was stored.\n"
    "See docs/threatintel.md.";

static void on_warn(void *ctx, const char *msg)
{
    (void)ctx;
    fprintf(stderr, "rampart: %s: warning: %s\n", VERB, msg);
}

/* A library message without its "threatintel: " prefix (the CLI adds the verb itself). */
static const char *unprefixed(const char *msg)
{
    size_t n = strlen(VERB ": ");
    return strncmp(msg, VERB ": ", n) == 0 ? msg + n : msg;
}

static int open_store(struct rp_cmd_ctx *ctx, unsigned flags, struct rp_store **st)
{
    struct rp_errbuf eb = {0};
    if (rp_store_new(ctx->db_path, flags, st, &eb)) return rp_cmd_error(VERB, "%s", eb.msg);
    return RP_EXIT_OK;
}

static int add(struct rp_cmd_ctx *ctx, int argc, char **argv)
{
    struct rp_detect_ti_add_opts o = {0};
    const char *file = NULL;
    for (int i = 0; i < argc; i++) {
        const char *val = NULL;
        int m;
        if ((m = rp_cmd_opt_value("--name", argc, argv, &i, &val)))
            o.name = val;
        else if ((m = rp_cmd_opt_value("--format", argc, argv, &i, &val)))
            o.format = val;
        else if ((m = rp_cmd_opt_value("--type", argc, argv, &i, &val)))
            o.type = val;
        else if ((m = rp_cmd_opt_value("--kind", argc, argv, &i, &val)))
            o.kind = val;
        else if (strcmp(argv[i], "--inactive") == 0)
            o.status = -1;
        else if (argv[i][0] == '-' && argv[i][1])
            return rp_cmd_usage_error(VERB, "unknown option '%s'", argv[i]);
        else if (file)
            return rp_cmd_usage_error(VERB, "add takes one FILE");
        else
            file = argv[i];
        if (m < 0) return rp_cmd_usage_error(VERB, "%s needs a value", argv[i]);
    }
    if (!file) return rp_cmd_usage_error(VERB, "add needs a FILE");
    if (!o.name) return rp_cmd_usage_error(VERB, "add needs --name NAME");
    struct rp_errbuf eb = {0};
    enum rp_detect_ti_format f;
    if (o.format && rp_detect_ti_format_find(o.format, &f, &eb))
        return rp_cmd_usage_error(VERB, "%s", eb.msg);
    if (o.kind && !rp_detect_ti_kind_valid(o.kind))
        return rp_cmd_usage_error(VERB,
                                  "unknown kind '%s' (use threat, trusted, tor, malicious, c2, "
                                  "mining, phishing, drop-point, blackhole, drive-by or dga)",
                                  o.kind);
    o.warn = ctx->verbosity < 0 ? NULL : on_warn;
    o.max_warnings = MAX_WARNINGS;
    struct rp_store *st = NULL;
    int rc = open_store(ctx, RP_STORE_RDWR, &st);
    if (rc) return rc;
    struct rp_detect_ti_add_result r;
    rp_err e = rp_detect_ti_add_file(st, file, &o, &r, &eb);
    rp_store_free(st);
    if (e) return rp_cmd_error(NULL, "%s", eb.msg);
    static const struct rp_out_col cols[] = {
        {"Name", 0},
        {"Type", 0},
        {"Kind", 0},
        {"Format", 0},
        {"Status", 0},
        {"Entries", RP_OUT_COL_NUM},
        {"Duplicates", RP_OUT_COL_NUM},
        {"Rejected", RP_OUT_COL_NUM},
        {"Ignored", RP_OUT_COL_NUM},
        {"Replaced", 0},
    };
    char n[4][24];
    int64_t v[4] = {r.entries, r.duplicates, r.rejected, r.ignored};
    for (int i = 0; i < 4; i++) snprintf(n[i], sizeof n[i], "%" PRId64, v[i]);
    const char *vals[] = {o.name,
                          r.type,
                          r.kind,
                          rp_detect_ti_format_name(r.format),
                          r.active ? "ACTIVE" : "INACTIVE",
                          n[0],
                          n[1],
                          n[2],
                          n[3],
                          r.replaced ? "yes" : "no"};
    struct rp_out *out = rp_out_new(ctx, cols, RP_ARRAY_LEN(cols));
    if (!out) return rp_cmd_error(VERB, "out of memory");
    e = rp_out_row(out, vals);
    if (!e) e = rp_out_flush(out);
    rp_out_free(out);
    if (e) return rp_cmd_error(VERB, "cannot write the result: %s", rp_strerror(e));
    return r.rejected ? RP_EXIT_PARTIAL : RP_EXIT_OK;
}

static rp_err list_row(void *ctx, const struct rp_detect_ti_info *li)
{
    struct rp_out *out = ctx;
    char entries[24], rejected[24], added[40] = "-";
    snprintf(entries, sizeof entries, "%" PRId64, li->entries);
    snprintf(rejected, sizeof rejected, "%" PRId64, li->rejected);
    if (li->created_ms && rp_time_format_iso_s(li->created_ms, added, sizeof added))
        snprintf(added, sizeof added, "-");
    const char *vals[] = {li->name, li->type, li->kind, li->format,  li->status,
                          entries,  rejected, added,    li->location};
    return rp_out_row(out, vals);
}

static int list(struct rp_cmd_ctx *ctx, int argc, char **argv)
{
    bool builtin = false;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--builtin") == 0)
            builtin = true;
        else
            return rp_cmd_usage_error(VERB, "unexpected '%s' after list", argv[i]);
    }
    static const struct rp_out_col cols[] = {
        {"Name", 0},
        {"Type", 0},
        {"Kind", 0},
        {"Format", 0},
        {"Status", 0},
        {"Entries", RP_OUT_COL_NUM},
        {"Rejected", RP_OUT_COL_NUM},
        {"Added", 0},
        {"Location", 0},
    };
    struct rp_store *st = NULL;
    int rc = open_store(ctx, RP_STORE_RDONLY, &st);
    if (rc) return rc;
    struct rp_errbuf eb = {0};
    struct rp_out *out = rp_out_new(ctx, cols, RP_ARRAY_LEN(cols));
    rp_err e = out ? rp_detect_ti_list(st, builtin, list_row, out, &eb) : RP_ENOMEM;
    if (!e) e = rp_out_flush(out);
    rp_out_free(out);
    rp_store_free(st);
    if (e) return rp_cmd_error(NULL, "%s", eb.msg[0] ? eb.msg : rp_strerror(e));
    return RP_EXIT_OK;
}

static int remove_list(struct rp_cmd_ctx *ctx, int argc, char **argv)
{
    if (argc != 1) return rp_cmd_usage_error(VERB, "remove needs one NAME");
    struct rp_store *st = NULL;
    int rc = open_store(ctx, RP_STORE_RDWR, &st);
    if (rc) return rc;
    struct rp_errbuf eb = {0};
    rp_err e = rp_detect_ti_remove(st, argv[0], &eb);
    rp_store_free(st);
    if (e) return rp_cmd_error(NULL, "%s", eb.msg);
    if (ctx->verbosity >= 0) fprintf(stderr, "rampart: %s: removed '%s'\n", VERB, argv[0]);
    return RP_EXIT_OK;
}

static int set_active(struct rp_cmd_ctx *ctx, bool active, int argc, char **argv)
{
    if (argc != 1)
        return rp_cmd_usage_error(VERB, "%s needs one NAME", active ? "activate" : "deactivate");
    struct rp_store *st = NULL;
    int rc = open_store(ctx, RP_STORE_RDWR, &st);
    if (rc) return rc;
    struct rp_errbuf eb = {0};
    bool changed = false;
    rp_err e = rp_detect_ti_set_active(st, argv[0], active, 0, &changed, &eb);
    rp_store_free(st);
    if (e) return rp_cmd_error(NULL, "%s", eb.msg);
    if (ctx->verbosity >= 0)
        fprintf(stderr, "rampart: %s: '%s' %s %s\n", VERB, argv[0],
                changed ? "is now" : "was already", active ? "ACTIVE" : "INACTIVE");
    return RP_EXIT_OK;
}

static rp_err lookup_row(void *ctx, const struct rp_detect_ti_match *m)
{
    const char *vals[] = {m->value, m->list, m->type, m->kind, m->status, m->entry, m->verdict};
    return rp_out_row(ctx, vals);
}

static int lookup(struct rp_cmd_ctx *ctx, int argc, char **argv)
{
    if (argc < 1) return rp_cmd_usage_error(VERB, "lookup needs an ADDRESS or a DOMAIN");
    for (int i = 0; i < argc; i++)
        if (argv[i][0] == '-' && argv[i][1])
            return rp_cmd_usage_error(VERB, "unknown option '%s'", argv[i]);
    static const struct rp_out_col cols[] = {{"Value", 0},  {"List", 0},   {"Type", 0},
                                             {"Kind", 0},   {"Status", 0}, {"Entry", 0},
                                             {"Verdict", 0}};
    struct rp_store *st = NULL;
    int rc = open_store(ctx, RP_STORE_RDONLY, &st);
    if (rc) return rc;
    struct rp_errbuf eb = {0};
    struct rp_out *out = rp_out_new(ctx, cols, RP_ARRAY_LEN(cols));
    rp_err e =
        out ? rp_detect_ti_lookup(st, (const char *const *)argv, (size_t)argc, lookup_row, out, &eb)
            : RP_ENOMEM;
    if (!e) e = rp_out_flush(out);
    rp_out_free(out);
    rp_store_free(st);
    if (e == RP_EINVAL) return rp_cmd_usage_error(VERB, "%s", unprefixed(eb.msg));
    if (e) return rp_cmd_error(NULL, "%s", eb.msg[0] ? eb.msg : rp_strerror(e));
    return RP_EXIT_OK;
}

int rp_cmd_threatintel(struct rp_cmd_ctx *ctx, int argc, char **argv)
{
    if (argc < 2)
        return rp_cmd_usage_error(
            VERB, "say what to do: add, list, remove, activate, deactivate or lookup");
    const char *sub = argv[1];
    argc -= 2;
    argv += 2;
    if (strcmp(sub, "add") == 0) return add(ctx, argc, argv);
    if (strcmp(sub, "list") == 0) return list(ctx, argc, argv);
    if (strcmp(sub, "remove") == 0) return remove_list(ctx, argc, argv);
    if (strcmp(sub, "activate") == 0) return set_active(ctx, true, argc, argv);
    if (strcmp(sub, "deactivate") == 0) return set_active(ctx, false, argc, argv);
    if (strcmp(sub, "lookup") == 0) return lookup(ctx, argc, argv);
    return rp_cmd_usage_error(VERB, "unknown subcommand '%s'", sub);
}
