/* SPDX-License-Identifier: Apache-2.0 */
/* `rampart detect`: GuardDuty's threat detection over the events in the store (src/detect,
 * issue 5). The default subcommand runs every detector over what was ingested since the last
 * run (or a --since/--until window, or files with --stream) and imports the findings into the
 * hub; `types` lists the finding types; `suppress` manages suppression rules (GuardDuty
 * filters with the ARCHIVE action). Findings print one row each; --format json prints them as
 * GuardDuty writes them. */
#define RP_LOG_MODULE "cmd"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd_verbs.h"
#include "core/rp_buf.h"
#include "core/rp_json.h"
#include "core/rp_str.h"
#include "core/rp_time.h"
#include "detect/detect.h"
#include "detect/detect_sigma.h"
#include "detect/detect_suppress.h"
#include "core/rp_gz.h"
#include "store/store.h"
#include "core/rp_banned.h"

#define VERB "detect"

const char rp_cmd_detect_usage[] =
    "rampart detect [run] [--since T] [--until T] [--only ID|TYPE]... [--sigma PATH]...\n"
    "                     [--learning DURATION] [--sigma-dir DIR] [--dry-run]\n"
    "       rampart detect --stream PATH... [--sigma PATH]... [--only ID|TYPE]...\n"
    "       rampart detect types\n"
    "       rampart detect sigma list [--sigma-dir DIR] [PATH]...\n"
    "       rampart detect score TRUTH.jsonl\n"
    "       rampart detect suppress add --name N [--description D] [--rank R] [--replace]\n"
    "                                   (--filter ATTR=VALUE... | --criteria JSON |\n"
    "                                    --criteria-file F)\n"
    "       rampart detect suppress list | remove NAME";

const char rp_cmd_detect_help[] =
    "Threat detection (GuardDuty) over the CloudTrail, VPC Flow Logs, Route 53 Resolver and\n"
    "Kubernetes audit events in the store: GuardDuty's finding types by their exact names and\n"
    "severities, from signatures, windows per entity and behavioural baselines, with the\n"
    "threat lists and trusted-IP lists of `rampart threatintel`.\n"
    "\n"
    "  run                 (the default) analyse the events ingested since the last run and\n"
    "                      import the findings into the hub; a repeat of the same activity\n"
    "                      updates one finding (Count, EventLastSeen)\n"
    "    --since T         re-run a window of event time instead (ISO 8601, or 7d, 12h ago);\n"
    "    --until T         the window's end (exclusive)\n"
    "    --only X          only this detector id or finding type (repeatable)\n"
    "    --sigma PATH      also run the Sigma rules in this file or directory (repeatable)\n"
    "    --sigma-dir DIR   the persistent Sigma rules directory, loaded by every run (default\n"
    "                      $RAMPART_SIGMA_DIR, else ~/.config/rampart/sigma; absent = none)\n"
    "    --learning D      baselines' learning period per entity (default 7d)\n"
    "    --dry-run         print the findings, store nothing (no findings, no progress,\n"
    "                      no baselines)\n"
    "    --stream PATH     read these log files or directories instead of the store and store\n"
    "                      nothing (threat lists and the inventory still come from the store\n"
    "                      when it exists)\n"
    "  types               every finding type: type, severity, data source, detector, kind\n"
    "  sigma list          the Sigma rules a run loads (the rules directory and PATHs): id,\n"
    "                      title, level, source, finding type, file; skipped rules are\n"
    "                      warned about on stderr (exit 3)\n"
    "  suppress            suppression rules (GuardDuty filters with the ARCHIVE action):\n"
    "                      findings they match are stored archived (docs/detect-suppress.md)\n"
    "    add --name N      --filter 'type=Recon:EC2/Portscan' (repeatable; =, !=, <, <=, >,\n"
    "                      >=), or GuardDuty's FindingCriteria JSON with --criteria or\n"
    "                      --criteria-file; --rank 1..100, --description, --replace\n"
    "    list, remove N\n"
    "  score TRUTH         recall and precision of the stored findings against a simulator's\n"
    "                      truth.jsonl (`rampart simulate`): every miss, every finding no\n"
    "                      scenario explains, every alarm on a benign look-alike\n"
    "\n"
    "Output: one row per finding (type, severity, resource, count, first and last seen,\n"
    "archived); --format json prints each finding as GuardDuty JSON. A summary goes to stderr.\n"
    "Exit status: 0 done; 3 some input could not be read (--stream: each record is named on\n"
    "stderr); 1 error. See docs/detect.md.";

/* The persistent Sigma rules directory: --sigma-dir, else $RAMPART_SIGMA_DIR, else
 * $XDG_CONFIG_HOME/rampart/sigma, else ~/.config/rampart/sigma. Every rule file under it is
 * loaded by every run; a directory that does not exist is no error. buf holds the result. */
static const char *sigma_dir(const char *given, char *buf, size_t n)
{
    if (given) return given;
    const char *env = getenv("RAMPART_SIGMA_DIR");
    if (env && *env) return env;
    const char *xdg = getenv("XDG_CONFIG_HOME");
    const char *home = getenv("HOME");
    int k = -1;
    if (xdg && *xdg)
        k = snprintf(buf, n, "%s/rampart/sigma", xdg);
    else if (home && *home)
        k = snprintf(buf, n, "%s/.config/rampart/sigma", home);
    return k > 0 && (size_t)k < n ? buf : NULL;
}

/* ---- run --------------------------------------------------------------------------------- */

struct run_ctx {
    struct rp_cmd_ctx *ctx;
    struct rp_out *out;
    struct rp_json_parser *jp;
    bool first_json;
};

static struct rp_str jstr(struct rp_json_val o, const char *k)
{
    struct rp_str s = {NULL, 0};
    if (rp_json_obj_get_str(o, k, &s)) return (struct rp_str){"", 0};
    return s;
}

static rp_err on_finding(void *arg, const char *json, size_t len)
{
    struct run_ctx *c = arg;
    if (c->ctx->format == RP_OUT_JSON) {
        fputs(c->first_json ? "[\n" : ",\n", c->ctx->out);
        c->first_json = false;
        fwrite(json, 1, len, c->ctx->out);
        return RP_OK;
    }
    struct rp_json_val root, res, svc, x;
    if (rp_json_parse(c->jp, json, len, &root, NULL)) return RP_EINTERNAL;
    struct rp_str type = jstr(root, "Type"), resource = {"", 0};
    double sev = 0;
    if (rp_json_obj_get_double(root, "Severity", &sev)) sev = 0;
    if (!rp_json_obj_get(root, "Resource", &res)) {
        if (!rp_json_obj_get(res, "AccessKeyDetails", &x)) resource = jstr(x, "AccessKeyId");
        if (!rp_json_obj_get(res, "InstanceDetails", &x)) resource = jstr(x, "InstanceId");
        if (!rp_json_obj_get(res, "EksClusterDetails", &x)) resource = jstr(x, "Name");
        struct rp_json_val arr, b;
        if (!rp_json_obj_get(res, "S3BucketDetails", &arr) && !rp_json_arr_at(arr, 0, &b))
            resource = jstr(b, "Name");
        if (!resource.len && !rp_json_obj_get(res, "AccessKeyDetails", &x))
            resource = jstr(x, "PrincipalId");
    }
    int64_t count = 0;
    bool archived = false;
    struct rp_str first = {"", 0}, last = {"", 0};
    if (!rp_json_obj_get(root, "Service", &svc)) {
        if (rp_json_obj_get_i64(svc, "Count", &count)) count = 0;
        if (rp_json_obj_get_bool(svc, "Archived", &archived)) archived = false;
        first = jstr(svc, "EventFirstSeen");
        last = jstr(svc, "EventLastSeen");
    }
    char tb[160], rb[160], sb[16], cb[24], fb[40], lb[40];
    snprintf(tb, sizeof tb, "%.*s", (int)type.len, type.p);
    snprintf(rb, sizeof rb, "%.*s", (int)resource.len, resource.p);
    snprintf(sb, sizeof sb, "%.1f", sev);
    snprintf(cb, sizeof cb, "%" PRId64, count);
    snprintf(fb, sizeof fb, "%.*s", (int)first.len, first.p);
    snprintf(lb, sizeof lb, "%.*s", (int)last.len, last.p);
    const char *vals[] = {tb, sb, rb, cb, fb, lb, archived ? "true" : "false"};
    return rp_out_row(c->out, vals);
}

static void on_warn(void *ctx, const char *msg)
{
    (void)ctx;
    fprintf(stderr, "rampart: detect: warning: %s\n", msg);
}

static int parse_time(const char *opt, const char *val, int64_t *out)
{
    struct rp_errbuf eb = {0};
    if (rp_time_parse_filter(rp_str_from(val), rp_time_now_ms(), out, &eb))
        return rp_cmd_usage_error(VERB, "%s: %s", opt, eb.msg);
    return 0;
}

static int parse_duration(const char *val, int64_t *ms)
{
    char *end = NULL;
    long long n = strtoll(val, &end, 10);
    if (!end || end == val || n <= 0) return -1;
    int64_t unit = 86400000LL;
    if (!strcmp(end, "h"))
        unit = 3600000LL;
    else if (!strcmp(end, "m"))
        unit = 60000LL;
    else if (*end && strcmp(end, "d"))
        return -1;
    *ms = (int64_t)n * unit;
    return 0;
}

static int run(struct rp_cmd_ctx *ctx, int argc, char **argv)
{
    struct rp_detect_opts o;
    rp_detect_opts_init(&o);
    o.warn = on_warn;
    const char **only = calloc((size_t)argc + 1, sizeof *only);
    const char **sigma = calloc((size_t)argc + 1, sizeof *sigma);
    const char **stream = calloc((size_t)argc + 1, sizeof *stream);
    if (!only || !sigma || !stream) {
        free(only);
        free(sigma);
        free(stream);
        return rp_cmd_error(VERB, "out of memory");
    }
    int rc = RP_EXIT_OK;
    bool stream_mode = false;
    for (int i = 0; i < argc && !rc; i++) {
        const char *val = NULL;
        int m;
        if (!strcmp(argv[i], "--dry-run")) {
            o.dry_run = true;
        } else if (!strcmp(argv[i], "--stream")) {
            stream_mode = true;
        } else if ((m = rp_cmd_opt_value("--since", argc, argv, &i, &val)) != 0) {
            rc = m < 0 ? rp_cmd_usage_error(VERB, "--since needs a value")
                       : parse_time("--since", val, &o.since_ms);
        } else if ((m = rp_cmd_opt_value("--until", argc, argv, &i, &val)) != 0) {
            rc = m < 0 ? rp_cmd_usage_error(VERB, "--until needs a value")
                       : parse_time("--until", val, &o.until_ms);
        } else if ((m = rp_cmd_opt_value("--only", argc, argv, &i, &val)) != 0) {
            if (m < 0)
                rc = rp_cmd_usage_error(VERB, "--only needs a value");
            else
                only[o.nonly++] = val;
        } else if ((m = rp_cmd_opt_value("--sigma", argc, argv, &i, &val)) != 0) {
            if (m < 0)
                rc = rp_cmd_usage_error(VERB, "--sigma needs a value");
            else
                sigma[o.nsigma_paths++] = val;
        } else if ((m = rp_cmd_opt_value("--sigma-dir", argc, argv, &i, &val)) != 0) {
            if (m < 0)
                rc = rp_cmd_usage_error(VERB, "--sigma-dir needs a value");
            else
                o.sigma_dir = val;
        } else if ((m = rp_cmd_opt_value("--learning", argc, argv, &i, &val)) != 0) {
            if (m < 0 || parse_duration(val, &o.learning_ms))
                rc = rp_cmd_usage_error(VERB, "--learning takes a duration such as 7d or 36h");
        } else if (stream_mode && argv[i][0] != '-') {
            stream[o.nstream_paths++] = argv[i];
        } else {
            rc = rp_cmd_usage_error(VERB, "unknown argument '%s'", argv[i]);
        }
    }
    if (!rc && stream_mode && !o.nstream_paths)
        rc = rp_cmd_usage_error(VERB, "--stream needs at least one path");
    if (rc) {
        free(only);
        free(sigma);
        free(stream);
        return rc;
    }
    char dirbuf[4096];
    o.sigma_dir = sigma_dir(o.sigma_dir, dirbuf, sizeof dirbuf);
    o.only = only;
    o.sigma_paths = sigma;
    o.stream_paths = stream;
    if (stream_mode) o.dry_run = true;

    struct rp_errbuf eb = {0};
    struct rp_store *st = NULL;
    rp_err e = RP_OK;
    if (stream_mode) {
        e = rp_store_new(ctx->db_path, RP_STORE_RDONLY, &st, &eb);
        if (e == RP_ENOENT) e = RP_OK; /* no store: no lists, no inventory */
        if (e) st = NULL;
    } else {
        e = rp_store_new(ctx->db_path, RP_STORE_RDWR, &st, &eb);
    }
    static const struct rp_out_col cols[] = {
        {"type", 0},       {"severity", RP_OUT_COL_NUM},
        {"resource", 0},   {"count", RP_OUT_COL_NUM},
        {"first_seen", 0}, {"last_seen", 0},
        {"archived", 0},
    };
    struct run_ctx c = {.ctx = ctx, .first_json = true};
    if (!e) {
        c.out = rp_out_new(ctx, cols, sizeof cols / sizeof cols[0]);
        c.jp = rp_json_parser_new();
        if (!c.out || !c.jp) e = rp_fail(&eb, RP_ENOMEM, "out of memory");
    }
    o.on_finding = on_finding;
    o.on_finding_ctx = &c;
    struct rp_detect_summary sum;
    memset(&sum, 0, sizeof sum);
    if (!e) e = rp_detect_run(st, &o, &sum, &eb);
    if (ctx->format == RP_OUT_JSON)
        fputs(c.first_json ? "[]\n" : "\n]\n", ctx->out);
    else if (c.out && !e)
        e = rp_out_flush(c.out);
    rp_out_free(c.out);
    rp_json_parser_free(c.jp);
    rp_store_free(st);
    free(only);
    free(sigma);
    free(stream);
    if (e) return rp_cmd_error(VERB, "%s", eb.msg[0] ? eb.msg : rp_strerror(e));
    if (ctx->verbosity >= 0)
        fprintf(stderr,
                "rampart: detect: %" PRId64 " CloudTrail, %" PRId64 " flow, %" PRId64
                " DNS, %" PRId64 " Kubernetes events; %" PRId64 " findings (%" PRId64
                " new, %" PRId64 " updated, %" PRId64 " archived by suppression rules)%s\n",
                sum.events[RP_DET_SRC_CLOUDTRAIL], sum.events[RP_DET_SRC_FLOW],
                sum.events[RP_DET_SRC_DNS], sum.events[RP_DET_SRC_K8S], sum.findings, sum.created,
                sum.updated, sum.suppressed, o.dry_run ? "; nothing stored (dry run)" : "");
    if (sum.rejected) {
        fprintf(stderr, "rampart: detect: %" PRId64 " records could not be read\n", sum.rejected);
        return RP_EXIT_PARTIAL;
    }
    return RP_EXIT_OK;
}

/* ---- score ------------------------------------------------------------------------------ */

struct score_ctx {
    struct rp_out *out;
    rp_err e;
};

static void on_score(void *arg, enum rp_detect_score_what what, const char *type,
                     const char *detail)
{
    struct score_ctx *c = arg;
    if (c->e) return;
    const char *w = what == RP_DETECT_SCORE_MISSED         ? "missed"
                    : what == RP_DETECT_SCORE_BENIGN_ALARM ? "benign alarm"
                                                           : "unexplained";
    char d[240];
    snprintf(d, sizeof d, "%s", detail);
    const char *vals[] = {w, type, d};
    c->e = rp_out_row(c->out, vals);
}

static int score(struct rp_cmd_ctx *ctx, int argc, char **argv)
{
    if (argc != 1) return rp_cmd_usage_error(VERB, "score takes the path of a truth.jsonl");
    struct rp_errbuf eb = {0};
    struct rp_store *st = NULL;
    if (rp_store_new(ctx->db_path, RP_STORE_RDONLY, &st, &eb))
        return rp_cmd_error(VERB, "%s", eb.msg);
    static const struct rp_out_col cols[] = {{"what", 0}, {"type", 0}, {"detail", 0}};
    struct score_ctx c = {.out = rp_out_new(ctx, cols, 3)};
    struct rp_detect_score sc;
    rp_err e = c.out ? rp_detect_score(st, argv[0], on_score, &c, &sc, &eb)
                     : rp_fail(&eb, RP_ENOMEM, "out of memory");
    if (!e) e = c.e;
    if (!e) e = rp_out_flush(c.out);
    rp_out_free(c.out);
    rp_store_free(st);
    if (e) return rp_cmd_error(VERB, "%s", eb.msg[0] ? eb.msg : rp_strerror(e));
    fprintf(stderr,
            "rampart: detect: recall %" PRId64 "/%" PRId64 ", precision %" PRId64 "/%" PRId64
            ", benign look-alikes quiet %" PRId64 "/%" PRId64 "\n",
            sc.found, sc.expected, sc.explained, sc.findings, sc.benign - sc.benign_alarmed,
            sc.benign);
    return RP_EXIT_OK;
}

/* ---- sigma ------------------------------------------------------------------------------ */

static void sigma_warn(void *ctx, const char *msg)
{
    size_t *n = ctx;
    (*n)++;
    fprintf(stderr, "rampart: detect: warning: %s\n", msg);
}

/* `detect sigma list [--sigma-dir DIR] [PATH...]`: the rules a run would load, one row each. */
static int sigma_list(struct rp_cmd_ctx *ctx, int argc, char **argv)
{
    const char *given = NULL;
    int rc = RP_EXIT_OK;
    const char **paths = calloc((size_t)argc + 1, sizeof *paths);
    if (!paths) return rp_cmd_error(VERB, "out of memory");
    size_t npaths = 0;
    for (int i = 0; i < argc && !rc; i++) {
        const char *val = NULL;
        int m = rp_cmd_opt_value("--sigma-dir", argc, argv, &i, &val);
        if (m < 0)
            rc = rp_cmd_usage_error(VERB, "--sigma-dir needs a value");
        else if (m > 0)
            given = val;
        else if (argv[i][0] == '-')
            rc = rp_cmd_usage_error(VERB, "unknown argument '%s'", argv[i]);
        else
            paths[npaths++] = argv[i];
    }
    if (rc) {
        free(paths);
        return rc;
    }
    char dirbuf[4096];
    const char *dir = sigma_dir(given, dirbuf, sizeof dirbuf);
    struct rp_det_sigma_set *set = NULL;
    struct rp_errbuf eb = {0};
    size_t nwarn = 0;
    rp_err e = rp_det_sigma_set_new(&set);
    if (e) e = rp_fail(&eb, e, "out of memory");
    if (!e && dir) {
        e = rp_det_sigma_load_path(set, dir, sigma_warn, &nwarn, &eb);
        if (e == RP_ENOENT && !given) e = RP_OK;
    }
    for (size_t i = 0; !e && i < npaths; i++)
        e = rp_det_sigma_load_path(set, paths[i], sigma_warn, &nwarn, &eb);
    free(paths);
    static const struct rp_out_col cols[] = {{"id", 0},     {"title", 0}, {"level", 0},
                                             {"source", 0}, {"type", 0},  {"file", 0}};
    struct rp_out *out = e ? NULL : rp_out_new(ctx, cols, 6);
    if (!e && !out) e = rp_fail(&eb, RP_ENOMEM, "out of memory");
    struct rp_det_sigma_rule r;
    for (size_t i = 0; !e && !rp_det_sigma_rule_at(set, i, &r); i++) {
        const char *vals[] = {r.id ? r.id : "",
                              r.title ? r.title : "",
                              r.level ? r.level : "",
                              rp_det_source_gd_name(r.source),
                              r.type ? rp_det_type_name(r.type) : "",
                              r.file ? r.file : ""};
        e = rp_out_row(out, vals);
    }
    if (!e && out) e = rp_out_flush(out);
    rp_out_free(out);
    rp_det_sigma_set_free(set);
    if (e) return rp_cmd_error(VERB, "%s", eb.msg[0] ? eb.msg : rp_strerror(e));
    return nwarn ? RP_EXIT_PARTIAL : RP_EXIT_OK;
}

/* ---- suppress --------------------------------------------------------------------------- */

static rp_err on_rule(void *arg, const struct rp_detect_suppress_rule *r)
{
    struct rp_out *out = arg;
    char rank[16];
    snprintf(rank, sizeof rank, "%d", r->rank);
    char created[RP_TIME_ISO_BUFSZ] = "", updated[RP_TIME_ISO_BUFSZ] = "";
    if (rp_time_format_iso(r->created_ms, created, sizeof created)) created[0] = 0;
    if (rp_time_format_iso(r->updated_ms, updated, sizeof updated)) updated[0] = 0;
    const char *vals[] = {r->name,     rank,    r->description ? r->description : "",
                          r->criteria, created, updated};
    return rp_out_row(out, vals);
}

static int suppress(struct rp_cmd_ctx *ctx, int argc, char **argv)
{
    if (argc < 1) return rp_cmd_usage_error(VERB, "suppress needs add, list or remove");
    const char *sub = argv[0];
    struct rp_errbuf eb = {0};
    struct rp_store *st = NULL;
    if (!strcmp(sub, "list")) {
        if (argc != 1) return rp_cmd_usage_error(VERB, "suppress list takes no arguments");
        if (rp_store_new(ctx->db_path, RP_STORE_RDWR, &st, &eb))
            return rp_cmd_error(VERB, "%s", eb.msg);
        static const struct rp_out_col cols[] = {{"name", 0},        {"rank", RP_OUT_COL_NUM},
                                                 {"description", 0}, {"criteria", RP_OUT_COL_JSON},
                                                 {"created", 0},     {"updated", 0}};
        struct rp_out *out = rp_out_new(ctx, cols, 6);
        rp_err e = out ? rp_detect_suppress_list(st, on_rule, out, &eb)
                       : rp_fail(&eb, RP_ENOMEM, "out of memory");
        if (!e) e = rp_out_flush(out);
        rp_out_free(out);
        rp_store_free(st);
        return e ? rp_cmd_error(VERB, "%s", eb.msg[0] ? eb.msg : rp_strerror(e)) : RP_EXIT_OK;
    }
    if (!strcmp(sub, "remove")) {
        if (argc != 2) return rp_cmd_usage_error(VERB, "suppress remove takes one rule name");
        if (rp_store_new(ctx->db_path, RP_STORE_RDWR, &st, &eb))
            return rp_cmd_error(VERB, "%s", eb.msg);
        rp_err e = rp_detect_suppress_remove(st, argv[1], &eb);
        rp_store_free(st);
        return e ? rp_cmd_error(VERB, "%s", eb.msg) : RP_EXIT_OK;
    }
    if (strcmp(sub, "add"))
        return rp_cmd_usage_error(VERB, "unknown suppress subcommand '%s' (add, list, remove)",
                                  sub);
    struct rp_detect_suppress_rule r = {0};
    const char *criteria = NULL, *criteria_file = NULL;
    bool replace = false;
    const char **filters = calloc((size_t)argc + 1, sizeof *filters);
    if (!filters) return rp_cmd_error(VERB, "out of memory");
    size_t nfilters = 0;
    int rc = RP_EXIT_OK;
    for (int i = 1; i < argc && !rc; i++) {
        const char *val = NULL;
        int m;
        if (!strcmp(argv[i], "--replace")) {
            replace = true;
        } else if ((m = rp_cmd_opt_value("--name", argc, argv, &i, &val)) != 0) {
            if (m < 0)
                rc = rp_cmd_usage_error(VERB, "--name needs a value");
            else
                r.name = val;
        } else if ((m = rp_cmd_opt_value("--description", argc, argv, &i, &val)) != 0) {
            if (m < 0)
                rc = rp_cmd_usage_error(VERB, "--description needs a value");
            else
                r.description = val;
        } else if ((m = rp_cmd_opt_value("--rank", argc, argv, &i, &val)) != 0) {
            char *end = NULL;
            long v = m < 0 ? 0 : strtol(val, &end, 10);
            if (m < 0 || !end || *end || v < 1 || v > RP_DET_SUPPRESS_RANK_MAX)
                rc = rp_cmd_usage_error(VERB, "--rank takes a number from 1 to %d",
                                        RP_DET_SUPPRESS_RANK_MAX);
            else
                r.rank = (int)v;
        } else if ((m = rp_cmd_opt_value("--criteria", argc, argv, &i, &val)) != 0) {
            if (m < 0)
                rc = rp_cmd_usage_error(VERB, "--criteria needs a value");
            else
                criteria = val;
        } else if ((m = rp_cmd_opt_value("--criteria-file", argc, argv, &i, &val)) != 0) {
            if (m < 0)
                rc = rp_cmd_usage_error(VERB, "--criteria-file needs a value");
            else
                criteria_file = val;
        } else if ((m = rp_cmd_opt_value("--filter", argc, argv, &i, &val)) != 0) {
            if (m < 0)
                rc = rp_cmd_usage_error(VERB, "--filter needs a value");
            else
                filters[nfilters++] = val;
        } else {
            rc = rp_cmd_usage_error(VERB, "unknown argument '%s'", argv[i]);
        }
    }
    if (!rc && !r.name) rc = rp_cmd_usage_error(VERB, "suppress add needs --name");
    if (!rc && (!!criteria + !!criteria_file + !!nfilters) != 1)
        rc = rp_cmd_usage_error(VERB, "suppress add needs one of --criteria, --criteria-file or "
                                      "--filter (repeatable)");
    struct rp_buf b;
    rp_buf_init(&b, 1 << 22);
    rp_err e = RP_OK;
    if (!rc && criteria_file) {
        e = rp_gz_read_file(criteria_file, NULL, &b, &eb);
        if (!e) e = rp_buf_putc(&b, '\0');
    } else if (!rc && criteria) {
        e = rp_buf_append_str(&b, criteria);
        if (!e) e = rp_buf_putc(&b, '\0');
    } else if (!rc) {
        e = rp_detect_suppress_criteria_from_args(filters, nfilters, &b, &eb);
        if (!e) e = rp_buf_putc(&b, '\0');
    }
    free(filters);
    if (rc) {
        rp_buf_release(&b);
        return rc;
    }
    if (!e) e = rp_store_new(ctx->db_path, RP_STORE_RDWR, &st, &eb);
    if (!e) {
        r.criteria = b.data;
        e = rp_detect_suppress_add(st, &r, replace, 0, &eb);
    }
    rp_store_free(st);
    rp_buf_release(&b);
    if (e == RP_EINVAL && !criteria_file && !criteria)
        return rp_cmd_usage_error(VERB, "%s", eb.msg);
    return e ? rp_cmd_error(VERB, "%s", eb.msg[0] ? eb.msg : rp_strerror(e)) : RP_EXIT_OK;
}

/* ---- types ------------------------------------------------------------------------------- */

static int types(struct rp_cmd_ctx *ctx, int argc, char **argv)
{
    (void)argv;
    if (argc) return rp_cmd_usage_error(VERB, "types takes no arguments");
    static const struct rp_out_col cols[] = {
        {"type", 0}, {"severity", RP_OUT_COL_NUM}, {"source", 0}, {"detector", 0}, {"kind", 0},
    };
    struct rp_out *out = rp_out_new(ctx, cols, 5);
    if (!out) return rp_cmd_error(VERB, "out of memory");
    rp_err e = RP_OK;
    const char *type = NULL, *det = NULL;
    double sev = 0;
    enum rp_det_source src = RP_DET_SRC_CLOUDTRAIL;
    enum rp_det_kind kind = RP_DET_SIGNATURE;
    for (size_t i = 0; !e && !rp_detect_type_at(i, &type, &sev, &src, &det, &kind); i++) {
        char sb[16];
        snprintf(sb, sizeof sb, "%.1f", sev);
        const char *vals[] = {type, sb, rp_det_source_gd_name(src), det, rp_det_kind_name(kind)};
        e = rp_out_row(out, vals);
    }
    if (!e) e = rp_out_flush(out);
    rp_out_free(out);
    return e ? rp_cmd_error(VERB, "%s", rp_strerror(e)) : RP_EXIT_OK;
}

int rp_cmd_detect(struct rp_cmd_ctx *ctx, int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "types")) return types(ctx, argc - 2, argv + 2);
    if (argc >= 2 && !strcmp(argv[1], "score")) return score(ctx, argc - 2, argv + 2);
    if (argc >= 2 && !strcmp(argv[1], "suppress")) return suppress(ctx, argc - 2, argv + 2);
    if (argc >= 3 && !strcmp(argv[1], "sigma") && !strcmp(argv[2], "list"))
        return sigma_list(ctx, argc - 3, argv + 3);
    if (argc >= 2 && !strcmp(argv[1], "sigma"))
        return rp_cmd_usage_error(VERB, "sigma takes 'list' (put rule files in the rules "
                                        "directory, or pass --sigma PATH to a run)");
    if (argc >= 2 && !strcmp(argv[1], "run")) return run(ctx, argc - 2, argv + 2);
    return run(ctx, argc - 1, argv + 1);
}
