/* SPDX-License-Identifier: Apache-2.0 */
/* `rampart trail verify`: CloudTrail log file integrity validation over a local copy of a trail
 * bucket, the offline counterpart of `aws cloudtrail validate-logs` (src/trail/trail.h does
 * the work; docs/trail.md has the algorithm).
 *
 *   rampart trail verify PATH... --public-keys FILE [--signatures FILE]
 *                        [--start-time T] [--end-time T] [--account ID] [--region R]
 *
 * Default output mimics the AWS CLI: one tab-separated line per file that is not valid (every
 * file with -v), then "Results requested for .." and "N/M digest files valid" lines. --format
 * json prints one report object with every file; --format csv one row per file. Needs no
 * store. Exit 0 when every digest and log file is valid, 1 when anything is invalid or missing
 * (or nothing was found), 2 for usage errors. */
#define RP_LOG_MODULE "cmd"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/rp_arena.h"
#include "core/rp_buf.h"
#include "core/rp_json.h"
#include "core/rp_time.h"
#include "trail/trail.h"
#include "core/rp_banned.h"

#define VERB "trail"

const char rp_cmd_trail_usage[] =
    "rampart trail verify PATH... --public-keys FILE [--signatures FILE]\n"
    "                            [--start-time T] [--end-time T] [--account ID] [--region R]";

const char rp_cmd_trail_help[] =
    "Validate CloudTrail log file integrity over a local copy of the trail's S3 bucket, as\n"
    "'aws cloudtrail validate-logs' does against S3. Every digest file found under PATH\n"
    "(AWSLogs/<account>/CloudTrail-Digest/<region>/YYYY/MM/DD/, organization trails\n"
    "AWSLogs/<o-id>/<account>/...) is checked: its RSA signature (SHA256withRSA, key chosen by\n"
    "digestPublicKeyFingerprint), its place (digestS3Object), and its link to the previous\n"
    "digest (present, SHA-256 and signature equal). Every log file it lists must be present\n"
    "and its uncompressed content must hash (SHA-256) to the listed value. S3 keys map to\n"
    "local files by their suffix from 'AWSLogs/'; the bucket is not part of the local path.\n"
    "\n"
    "Options:\n"
    "  --public-keys FILE  required: the JSON of 'aws cloudtrail list-public-keys', or PEM\n"
    "                      with one or more RSA public keys\n"
    "  --signatures FILE   JSON object mapping each digest's S3 key to its hex signature (the\n"
    "                      x-amz-meta-signature metadata) or to the output of 'aws s3api\n"
    "                      head-object'; without it (or for keys it lacks) the signature is\n"
    "                      read from '<digest file>.sig'\n"
    "  --start-time T      only digests ending at or after T (ISO-8601, epoch seconds, '7d')\n"
    "  --end-time T        only digests ending at or before T\n"
    "  --account ID        only this account\n"
    "  --region R          only this region\n"
    "  -v                  list every file, valid ones too, with details of failures\n"
    "\n"
    "Each failure has its own reason: 'hash mismatch' (a log file was modified), 'not found'\n"
    "(a listed log file or a previous digest is missing), 'previous digest hash mismatch' (the\n"
    "digest chain is broken), 'signature does not verify' (a digest was modified or forged);\n"
    "docs/trail.md lists them all.\n"
    "\n"
    "--format json prints one report object listing every file; csv one row per file.\n"
    "\n"
    "Exit status: 0 when every digest and log file checked is valid; 1 when any is invalid or\n"
    "missing, when no digest file was found, or on errors (like validate-logs, non-zero on\n"
    "failure); 2 for usage errors.\n"
    "\n"
    "Examples:\n"
    "  rampart trail verify mirror/ --public-keys keys.json\n"
    "  rampart trail verify mirror/AWSLogs --public-keys keys.pem --region us-east-1 \\\n"
    "      --start-time 2026-01-01 --end-time 2026-01-02T00:00:00Z -v\n"
    "  rampart --format json trail verify mirror/ --public-keys keys.json --signatures sigs.json\n";

struct report {
    const struct rp_cmd_ctx *ctx;
    struct rp_json_writer w; /* json */
    struct rp_buf jbuf;
    struct rp_out *csv; /* csv */
    size_t lines;       /* text lines printed */
};

static const struct rp_out_col csv_cols[] = {
    {"type", 0},   {"status", 0}, {"reason", 0}, {"path", 0},
    {"s3_uri", 0}, {"detail", 0}, {"digest", 0},
};

/* Text output: paths and details can come from a forged digest, so control characters print as
 * '?' and cannot drive the terminal. */
static void put_safe(FILE *f, const char *s)
{
    for (; *s; s++) fputc(((unsigned char)*s < 0x20 || *s == 0x7f) ? '?' : *s, f);
}

static rp_err on_result(const struct rp_trail_result *r, void *arg)
{
    struct report *rep = arg;
    if (rep->ctx->format == RP_OUT_JSON) {
        struct rp_json_writer *w = &rep->w;
        rp_json_write_obj_begin(w);
        rp_json_write_kv_cstr(w, "type", rp_trail_kind_name(r->kind));
        rp_json_write_kv_cstr(w, "status", rp_trail_status_name(r->status));
        rp_json_write_kv_cstr(w, "path", r->path);
        rp_json_write_kv_cstr(w, "s3_uri", r->s3_uri);
        rp_json_write_kv_cstr(w, "reason", r->reason);
        rp_json_write_kv_cstr(w, "detail", r->detail);
        rp_json_write_kv_cstr(w, "digest", r->digest);
        rp_json_write_obj_end(w);
        return w->err;
    }
    if (rep->ctx->format == RP_OUT_CSV) {
        const char *vals[] = {rp_trail_kind_name(r->kind),
                              rp_trail_status_name(r->status),
                              r->reason,
                              r->path,
                              r->s3_uri,
                              r->detail,
                              r->digest};
        return rp_out_row(rep->csv, vals);
    }
    bool verbose = rep->ctx->verbosity >= 1;
    if (r->status == RP_TRAIL_VALID && !verbose) return RP_OK;
    FILE *f = rep->ctx->out;
    fprintf(f, "%s\t", r->kind == RP_TRAIL_DIGEST ? "Digest file" : "Log file");
    put_safe(f, r->path);
    if (r->status == RP_TRAIL_VALID)
        fputs("\tvalid", f);
    else
        fprintf(f, "\t%s: %s", r->status == RP_TRAIL_INVALID ? "INVALID" : "MISSING", r->reason);
    if (verbose && r->detail) {
        fputs(" (", f);
        put_safe(f, r->detail);
        fputc(')', f);
    }
    fputc('\n', f);
    rep->lines++;
    return RP_OK;
}

static void fmt_time(char *buf, size_t sz, bool has, int64_t ms, const char *none)
{
    if (!has || rp_time_format_iso_s(ms, buf, sz) != RP_OK) snprintf(buf, sz, "%s", none);
}

/* "2/3 digest files valid, 1/3 digest files INVALID" */
static void print_counts(FILE *f, const char *what, const struct rp_trail_counts *c)
{
    fprintf(f, "%zu/%zu %s files valid", c->valid, c->total, what);
    if (c->invalid) fprintf(f, ", %zu/%zu %s files INVALID", c->invalid, c->total, what);
    if (c->missing) fprintf(f, ", %zu/%zu %s files MISSING", c->missing, c->total, what);
    fputc('\n', f);
}

static void json_counts(struct rp_json_writer *w, const char *k, const struct rp_trail_counts *c)
{
    rp_json_write_key(w, k, strlen(k));
    rp_json_write_obj_begin(w);
    rp_json_write_kv_uint(w, "total", c->total);
    rp_json_write_kv_uint(w, "valid", c->valid);
    rp_json_write_kv_uint(w, "invalid", c->invalid);
    rp_json_write_kv_uint(w, "missing", c->missing);
    rp_json_write_obj_end(w);
}

static void json_time(struct rp_json_writer *w, const char *k, bool has, int64_t ms)
{
    char t[RP_TIME_ISO_BUFSZ];
    if (has && rp_time_format_iso_s(ms, t, sizeof t) == RP_OK)
        rp_json_write_kv_cstr(w, k, t);
    else
        rp_json_write_kv_null(w, k);
}

static int parse_time(const char *opt, const char *val, bool *has, int64_t *ms)
{
    struct rp_errbuf eb = {0};
    if (rp_time_parse_filter(rp_str_from(val), rp_time_now_ms(), ms, &eb) != RP_OK)
        return rp_cmd_usage_error(VERB, "verify: %s: %s", opt, eb.msg);
    *has = true;
    return RP_EXIT_OK;
}

static int trail_verify(struct rp_cmd_ctx *ctx, int argc, char **argv)
{
    struct rp_trail_opts o;
    memset(&o, 0, sizeof o);
    const char *keys_path = NULL, *sigs_path = NULL;
    const char **paths = calloc((size_t)argc, sizeof *paths);
    size_t npaths = 0;
    int rc = RP_EXIT_OK;
    if (!paths) return rp_cmd_error(VERB, "%s", rp_strerror(RP_ENOMEM));
    bool dashdash = false;
    for (int i = 1; i < argc && !rc; i++) {
        const char *val = NULL;
        int m = 0;
        if (dashdash || argv[i][0] != '-' || !argv[i][1]) {
            paths[npaths++] = argv[i];
        } else if (strcmp(argv[i], "--") == 0) {
            dashdash = true;
        } else if ((m = rp_cmd_opt_value("--public-keys", argc, argv, &i, &val))) {
            keys_path = val;
        } else if ((m = rp_cmd_opt_value("--signatures", argc, argv, &i, &val))) {
            sigs_path = val;
        } else if ((m = rp_cmd_opt_value("--start-time", argc, argv, &i, &val))) {
            if (m > 0) rc = parse_time("--start-time", val, &o.has_start, &o.start_ms);
        } else if ((m = rp_cmd_opt_value("--end-time", argc, argv, &i, &val))) {
            if (m > 0) rc = parse_time("--end-time", val, &o.has_end, &o.end_ms);
        } else if ((m = rp_cmd_opt_value("--account", argc, argv, &i, &val))) {
            o.account = val;
        } else if ((m = rp_cmd_opt_value("--region", argc, argv, &i, &val))) {
            o.region = val;
        } else {
            rc = rp_cmd_usage_error(VERB, "verify: unknown option '%s'", argv[i]);
        }
        if (m < 0) rc = rp_cmd_usage_error(VERB, "verify: option '%s' needs a value", argv[i]);
    }
    if (!rc && !npaths) rc = rp_cmd_usage_error(VERB, "verify: missing PATH");
    if (!rc && !keys_path) rc = rp_cmd_usage_error(VERB, "verify: --public-keys FILE is required");
    if (!rc && o.has_start && o.has_end && o.start_ms > o.end_ms)
        rc = rp_cmd_usage_error(VERB, "verify: --start-time is after --end-time");
    if (rc) {
        free(paths);
        return rc;
    }

    struct rp_errbuf eb = {0};
    struct rp_trail_keys *keys = NULL;
    struct rp_trail_sigs *sigs = NULL;
    struct report rep;
    memset(&rep, 0, sizeof rep);
    rep.ctx = ctx;
    rp_buf_init(&rep.jbuf, 0);
    struct rp_arena a;
    rp_arena_init(&a, 0);
    struct rp_trail_summary sum;
    memset(&sum, 0, sizeof sum);
    rp_err e = rp_trail_keys_load(keys_path, &keys, &eb);
    if (!e && sigs_path) e = rp_trail_sigs_load(sigs_path, &sigs, &eb);
    if (e) {
        rc = rp_cmd_error(VERB, "%s", rp_errbuf_msg(&eb, e));
        goto done;
    }
    o.keys = keys;
    o.sigs = sigs;
    if (ctx->format == RP_OUT_CSV &&
        !(rep.csv = rp_out_new(ctx, csv_cols, RP_ARRAY_LEN(csv_cols)))) {
        rc = rp_cmd_error(VERB, "%s", rp_strerror(RP_ENOMEM));
        goto done;
    }
    if (ctx->format == RP_OUT_JSON) {
        rp_json_writer_init(&rep.w, &rep.jbuf);
        rp_json_write_obj_begin(&rep.w);
        rp_json_write_key(&rep.w, "files", 5);
        rp_json_write_arr_begin(&rep.w);
    }
    e = rp_trail_verify(&a, paths, npaths, &o, on_result, &rep, &sum, &eb);
    if (e) {
        rc = rp_cmd_error(VERB, "%s", rp_errbuf_msg(&eb, e));
        goto done;
    }
    bool all_valid = sum.digests.total > 0 && sum.digests.valid == sum.digests.total &&
                     sum.logs.valid == sum.logs.total;
    if (ctx->format == RP_OUT_JSON) {
        struct rp_json_writer *w = &rep.w;
        rp_json_write_arr_end(w);
        json_time(w, "requested_start", o.has_start, o.start_ms);
        json_time(w, "requested_end", o.has_end, o.end_ms);
        json_time(w, "found_start", sum.found, sum.found_start_ms);
        json_time(w, "found_end", sum.found, sum.found_end_ms);
        json_counts(w, "digest_files", &sum.digests);
        json_counts(w, "log_files", &sum.logs);
        rp_json_write_kv_bool(w, "valid", all_valid);
        rp_json_write_obj_end(w);
        if ((e = rp_json_writer_finish(w))) {
            rc = rp_cmd_error(VERB, "cannot write the report: %s", rp_strerror(e));
            goto done;
        }
        fprintf(ctx->out, "%s\n", rp_buf_cstr(&rep.jbuf));
    } else if (ctx->format == RP_OUT_CSV) {
        if ((e = rp_out_flush(rep.csv))) {
            rc = rp_cmd_error(VERB, "cannot write the result: %s", rp_strerror(e));
            goto done;
        }
    } else {
        FILE *f = ctx->out;
        char t1[RP_TIME_ISO_BUFSZ], t2[RP_TIME_ISO_BUFSZ];
        if (rep.lines) fputc('\n', f);
        fmt_time(t1, sizeof t1, o.has_start, o.start_ms, "the first digest");
        fmt_time(t2, sizeof t2, o.has_end, o.end_ms, "the last digest");
        if (o.has_start || o.has_end)
            fprintf(f, "Results requested for %s to %s\n", t1, t2);
        else
            fputs("Results requested for all digest files\n", f);
        if (!sum.digests.total) {
            fputs("No digest files found\n", f);
        } else {
            if (sum.found) {
                fmt_time(t1, sizeof t1, true, sum.found_start_ms, "?");
                fmt_time(t2, sizeof t2, true, sum.found_end_ms, "?");
                fprintf(f, "Results found for %s to %s:\n", t1, t2);
            }
            fputc('\n', f);
            print_counts(f, "digest", &sum.digests);
            print_counts(f, "log", &sum.logs);
        }
    }
    if (sum.walk_errors && ctx->verbosity >= 0)
        fprintf(stderr, "rampart: trail: %zu paths could not be examined (see the log)\n",
                sum.walk_errors);
    rc = all_valid ? RP_EXIT_OK : RP_EXIT_ERROR;
done:
    rp_out_free(rep.csv);
    rp_buf_release(&rep.jbuf);
    rp_arena_release(&a);
    rp_trail_keys_free(keys);
    rp_trail_sigs_free(sigs);
    free(paths);
    return rc;
}

int rp_cmd_trail(struct rp_cmd_ctx *ctx, int argc, char **argv)
{
    if (argc < 2) return rp_cmd_usage_error(VERB, "missing subcommand (verify)");
    const char *sub = argv[1];
    if (strcmp(sub, "verify") == 0) return trail_verify(ctx, argc - 1, argv + 1);
    if (sub[0] == '-') return rp_cmd_usage_error(VERB, "unknown option '%s'", sub);
    return rp_cmd_usage_error(VERB, "unknown subcommand '%s'", sub);
}
