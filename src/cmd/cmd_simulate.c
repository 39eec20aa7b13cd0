/* SPDX-License-Identifier: Apache-2.0 */
/* `rampart simulate`: generate a synthetic AWS estate with ordinary activity and labelled
 * attack scenarios into an S3-layout directory tree (src/sim, docs/simulate.md). Parses the
 * options into struct rp_sim_opts, runs the simulation hour by hour (rp_sim_run_all) and
 * prints what was written per source; `--list-scenarios` prints the scenario registry with each
 * scenario's expected outputs (rp_sim_scenario.expects). The same options and seed always
 * produce byte-identical files. */
#define RP_LOG_MODULE "simulate"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_verbs.h"
#include "core/rp_buf.h"
#include "core/rp_json.h"
#include "core/rp_str.h"
#include "core/rp_time.h"
#include "sim/sim.h"
#include "core/rp_banned.h"

const char rp_cmd_simulate_usage[] =
    "rampart simulate --out DIR [--seed N] [--accounts N] [--regions LIST] [--days N]\n"
    "                 [--scale small|medium|large] [--scenarios all|none|LIST] [--start DATE]\n"
    "rampart simulate --list-scenarios";
const char rp_cmd_simulate_help[] =
    "\noptions:\n"
    "  --out DIR            directory to write into; created, or empty (required)\n"
    "  --seed N             generator seed, 0..18446744073709551615; the same seed and options\n"
    "                       give byte-identical files (default: 1)\n"
    "  --accounts N         AWS accounts, 1..64 (default: by scale: 2, 4, 8)\n"
    "  --regions LIST       comma-separated regions (default: us-east-1,us-west-2)\n"
    "  --days N             simulated days, 1..3660 (default: 7); the first two thirds are the\n"
    "                       learning period, attack scenarios are injected after it\n"
    "  --scale S            small, medium or large: estate size and activity rate\n"
    "                       (default: small)\n"
    "  --scenarios LIST     all, none, or comma-separated scenario ids (default: all)\n"
    "  --start DATE         first simulated day, YYYY-MM-DD (default: 2026-01-05)\n"
    "  --list-scenarios     print the scenario registry and exit: id, kind, MITRE technique,\n"
    "                       summary and the expected outputs of each scenario\n\n"
    "Writes AWSLogs/<account>/{CloudTrail,Config,vpcflowlogs,vpcdnsquerylogs,EKS}/... in AWS's S3\n"
    "key layouts, estate/ side files, truth.jsonl (one line per injected scenario) and\n"
    "manifest.json (options, file counts, bytes per source). Memory stays flat as --days grows.\n\n"
    "examples:\n"
    "  rampart simulate --out /tmp/sim --days 2\n"
    "  rampart simulate --out /tmp/big --scale large --days 30 --seed 7\n";

static const char *kind_name(enum rp_sim_scenario_kind k)
{
    switch (k) {
    case RP_SIM_SCN_THREAT:
        return "threat";
    case RP_SIM_SCN_POSTURE:
        return "posture";
    case RP_SIM_SCN_DATA:
        return "data";
    case RP_SIM_SCN_BENIGN:
        return "benign";
    }
    return "threat";
}

/* The expected outputs of s into b (reset first): a JSON array of strings for --format json,
 * else the entries joined with ", ". */
static rp_err expects_cell(const struct rp_cmd_ctx *ctx, const struct rp_sim_scenario *s,
                           struct rp_buf *b)
{
    rp_buf_reset(b);
    if (ctx->format == RP_OUT_JSON) {
        struct rp_json_writer w;
        rp_json_writer_init(&w, b);
        rp_json_write_arr_begin(&w);
        for (size_t i = 0; s->expects && s->expects[i]; i++) rp_json_write_cstr(&w, s->expects[i]);
        rp_json_write_arr_end(&w);
        return rp_json_writer_finish(&w);
    }
    rp_err e = RP_OK;
    for (size_t i = 0; e == RP_OK && s->expects && s->expects[i]; i++) {
        if (i) e = rp_buf_append_str(b, ", ");
        if (e == RP_OK) e = rp_buf_append_str(b, s->expects[i]);
    }
    return e;
}

static int list_scenarios(struct rp_cmd_ctx *ctx)
{
    static const struct rp_out_col cols[] = {
        {"id", 0}, {"kind", 0}, {"mitre", 0}, {"summary", 0}, {"expects", RP_OUT_COL_JSON}};
    struct rp_out *o = rp_out_new(ctx, cols, RP_ARRAY_LEN(cols));
    if (!o) return rp_cmd_error("simulate", "out of memory");
    struct rp_buf ex;
    rp_buf_init(&ex, 0);
    size_t n = 0;
    rp_err e = RP_OK;
    for (; rp_sim_scenarios[n] && e == RP_OK; n++) {
        const struct rp_sim_scenario *s = rp_sim_scenarios[n];
        e = expects_cell(ctx, s, &ex);
        const char *row[] = {s->id, kind_name(s->kind), s->mitre ? s->mitre : "", s->summary,
                             rp_buf_cstr(&ex)};
        if (e == RP_OK) e = rp_out_row(o, row);
    }
    rp_buf_release(&ex);
    if (e == RP_OK) e = rp_out_flush(o);
    rp_out_free(o);
    if (e != RP_OK) return rp_cmd_error("simulate", "%s", rp_strerror(e));
    if (ctx->format == RP_OUT_TABLE) fprintf(ctx->out, "%zu scenarios\n", n);
    return RP_EXIT_OK;
}

/* Library messages start with "simulate: "; rp_cmd_error adds the verb already. */
static const char *msg(const struct rp_errbuf *eb, rp_err e)
{
    const char *m = rp_errbuf_msg(eb, e);
    return strncmp(m, "simulate: ", 10) == 0 ? m + 10 : m;
}

static int parse_u64(const char *name, const char *v, uint64_t lo, uint64_t hi, uint64_t *out)
{
    uint64_t u;
    if (rp_str_to_u64(rp_str_from(v), &u) != RP_OK || u < lo || u > hi)
        return rp_cmd_usage_error("simulate",
                                  "option '%s' wants a number from %llu to %llu, not '%s'", name,
                                  (unsigned long long)lo, (unsigned long long)hi, v);
    *out = u;
    return RP_EXIT_OK;
}

static int print_result(struct rp_cmd_ctx *ctx, const struct rp_sim_opts *o,
                        const struct rp_sim_stats *st)
{
    static const struct rp_out_col cols[] = {{"source", 0},
                                             {"files", RP_OUT_COL_NUM},
                                             {"bytes", RP_OUT_COL_NUM},
                                             {"records", RP_OUT_COL_NUM}};
    if (ctx->format == RP_OUT_TABLE)
        fprintf(ctx->out,
                "simulate: seed %llu, %u day(s), scale %s: %llu files, %llu bytes in %s\n",
                (unsigned long long)o->seed, o->days, rp_sim_scale_name(o->scale),
                (unsigned long long)st->files, (unsigned long long)st->bytes, o->out_dir);
    struct rp_out *out = rp_out_new(ctx, cols, RP_ARRAY_LEN(cols));
    if (!out) return rp_cmd_error("simulate", "out of memory");
    rp_err e = RP_OK;
    for (uint32_t i = 0; i < st->nsources && e == RP_OK; i++) {
        char f[24], b[24], r[24];
        snprintf(f, sizeof f, "%llu", (unsigned long long)st->sources[i].files);
        snprintf(b, sizeof b, "%llu", (unsigned long long)st->sources[i].bytes);
        snprintf(r, sizeof r, "%llu", (unsigned long long)st->sources[i].records);
        const char *row[] = {st->sources[i].name, f, b, r};
        e = rp_out_row(out, row);
    }
    if (e == RP_OK) e = rp_out_flush(out);
    rp_out_free(out);
    if (e != RP_OK) return rp_cmd_error("simulate", "%s", rp_strerror(e));
    if (ctx->format == RP_OUT_TABLE)
        fprintf(ctx->out, "%u scenario(s) planned, %u truth line(s)\n", st->scenarios_planned,
                st->truth_lines);
    return RP_EXIT_OK;
}

int rp_cmd_simulate(struct rp_cmd_ctx *ctx, int argc, char **argv)
{
    struct rp_sim_opts o;
    rp_sim_opts_init(&o);
    bool list = false;
    int rc = RP_EXIT_OK;
    for (int i = 1; i < argc && rc == RP_EXIT_OK; i++) {
        static const char *const opts[] = {"--out",  "--seed",  "--accounts",  "--regions",
                                           "--days", "--scale", "--scenarios", "--start"};
        if (strcmp(argv[i], "--list-scenarios") == 0) {
            list = true;
            continue;
        }
        const char *v = NULL;
        size_t k;
        int m = 0;
        for (k = 0; k < RP_ARRAY_LEN(opts); k++)
            if ((m = rp_cmd_opt_value(opts[k], argc, argv, &i, &v))) break;
        uint64_t u = 0;
        struct rp_errbuf eb;
        if (m < 0) {
            rc = rp_cmd_usage_error("simulate", "option '%s' needs a value", opts[k]);
        } else if (m == 0) {
            rc = rp_cmd_usage_error("simulate", "unknown argument '%s'", argv[i]);
        } else if (k == 0) {
            o.out_dir = v;
        } else if (k == 1) {
            rc = parse_u64("--seed", v, 0, UINT64_MAX, &u);
            o.seed = u;
        } else if (k == 2) {
            rc = parse_u64("--accounts", v, 1, RP_SIM_MAX_ACCOUNTS, &u);
            o.accounts = (uint32_t)u;
        } else if (k == 3) {
            o.regions = v;
        } else if (k == 4) {
            rc = parse_u64("--days", v, 1, RP_SIM_MAX_DAYS, &u);
            o.days = (uint32_t)u;
        } else if (k == 5) {
            if (rp_sim_scale_parse(v, &o.scale, &eb) != RP_OK)
                rc = rp_cmd_usage_error("simulate",
                                        "option '--scale' wants small, medium or "
                                        "large, not '%s'",
                                        v);
        } else if (k == 6) {
            o.scenarios = v;
        } else {
            int64_t ms = 0;
            if (strlen(v) != 10 || rp_time_parse_iso(rp_str_from(v), &ms, &eb) != RP_OK)
                rc = rp_cmd_usage_error("simulate",
                                        "option '--start' wants a date YYYY-MM-DD, "
                                        "not '%s'",
                                        v);
            o.start_ms = ms;
        }
    }
    if (rc != RP_EXIT_OK) return rc;
    if (list) return list_scenarios(ctx);
    if (!o.out_dir) return rp_cmd_usage_error("simulate", "option '--out DIR' is required");

    struct rp_errbuf eb;
    struct rp_sim_run *run = NULL;
    rp_err e = rp_sim_run_new(&o, &run, &eb);
    if (e != RP_OK) {
        if (e == RP_EINVAL) return rp_cmd_usage_error("simulate", "%s", msg(&eb, e));
        return rp_cmd_error("simulate", "%s", msg(&eb, e));
    }
    struct rp_sim_stats st;
    memset(&st, 0, sizeof st);
    e = rp_sim_run_all(run, &st, &eb);
    if (e != RP_OK) {
        rp_sim_run_free(run);
        return rp_cmd_error("simulate", "%s", msg(&eb, e));
    }
    o.accounts = run->world->naccounts;
    rc = print_result(ctx, &o, &st);
    rp_sim_run_free(run);
    return rc;
}
