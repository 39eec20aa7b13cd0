/* SPDX-License-Identifier: Apache-2.0 */
/* `rampart ingest`: read AWS log deliveries (files, directories, .gz, S3-layout trees) into the
 * store through rp_ingest_run (src/ingest/ingest.h), and report what happened.
 *
 * Options become struct rp_ingest_opts; times go through rp_time_parse_filter, so "7d",
 * "2024-03-05" and full ISO stamps all work. While it runs, a progress line (files, records,
 * MB/s, ETA) is rewritten in place on stderr, only when stderr is a terminal. At the end the
 * summary goes to stdout through the rp_out writer (--format table|json|csv): one table of
 * records per source kind, then one of files, bytes and time. Anything rejected, unreadable
 * or unrecognised makes the run partial: one line on stderr points at `rampart db rejects`
 * and the exit status is 3. */
#define RP_LOG_MODULE "cmd"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "cmd/cmd_verbs.h"
#include "core/rp_str.h"
#include "core/rp_time.h"
#include "ingest/ingest.h"
#include "store/store.h"
#include "core/rp_banned.h"

#define VERB     "ingest"
#define MAX_JOBS 256

const char rp_cmd_ingest_usage[] =
    "rampart ingest [--since T] [--until T] [--account ID]... [--region R]...\n"
    "                      [--format-in NAME] [--jobs N] [--force] PATH...\n"
    "       rampart ingest --list-formats";

const char rp_cmd_ingest_help[] =
    "Read AWS log deliveries into the store: CloudTrail, VPC Flow Logs, Route 53 Resolver\n"
    "query logs, Kubernetes audit logs and AWS Config items. PATH may be a file, a .gz file\n"
    "or a directory; S3 delivery trees (AWSLogs/<account>/<service>/<region>/YYYY/MM/DD/..,\n"
    "organization trails, Hive-style flow-log keys) are understood, so the filters below skip\n"
    "whole directories without opening anything in them. Each file's format is sniffed from\n"
    "its content.\n"
    "\n"
    "Options:\n"
    "  --since T          only records at or after T, and only files that can hold them\n"
    "  --until T          only records before T (files up to a day later are still read,\n"
    "                     for late deliveries)\n"
    "  --account ID       only this 12-digit account (repeatable); acts on the S3 key layout\n"
    "  --region R         only this region (repeatable); acts on the S3 key layout\n"
    "  --format-in NAME   read every file as this format instead of sniffing\n"
    "  --jobs N           parser threads (default: one per CPU)\n"
    "  --force            read files again even when their checkpoint says they are done\n"
    "  --list-formats     print the formats this rampart reads, and exit\n"
    "\n"
    "T is 'now', a relative time such as 90m, 24h, 7d or 2w (that long ago), epoch seconds,\n"
    "a date (2024-03-05, midnight UTC) or an ISO-8601 time (2024-03-05T10:00:00Z).\n"
    "\n"
    "Every file gets a checkpoint (path, size, mtime, content hash): a re-run skips what is\n"
    "done, resumes what an interrupted run left half-done, and skips a file whose bytes were\n"
    "already ingested under another path. Records that cannot be read are kept in the\n"
    "rejects table ('rampart db rejects') and the run goes on; it then exits with status 3.\n"
    "\n"
    "Examples:\n"
    "  rampart ingest ~/logs/AWSLogs\n"
    "  rampart ingest --since 7d --region us-east-1 --account 111122223333 bucket-mirror/\n"
    "  rampart --format json ingest flow.log.gz\n";

static int list_formats(struct rp_cmd_ctx *ctx)
{
    static const struct rp_out_col cols[] = {{"format", 0}, {"source", 0}, {"summary", 0}};
    struct rp_out *o = rp_out_new(ctx, cols, RP_ARRAY_LEN(cols));
    if (!o) return rp_cmd_error(VERB, "%s", rp_strerror(RP_ENOMEM));
    rp_err e = RP_OK;
    const char *name, *summary;
    enum rp_ingest_kind kind;
    for (size_t i = 0; !e && rp_ingest_format_at(i, &name, &kind, &summary) == RP_OK; i++) {
        const char *vals[] = {name, rp_ingest_kind_name(kind), summary};
        e = rp_out_row(o, vals);
    }
    if (!e) e = rp_out_flush(o);
    rp_out_free(o);
    if (e) return rp_cmd_error(VERB, "cannot write the result: %s", rp_strerror(e));
    return RP_EXIT_OK;
}

/* ---- progress ------------------------------------------------------------------------------ */

struct progress {
    bool on;    /* stderr is a terminal and not --quiet */
    bool drawn; /* a line is on the screen */
};

static double mb_per_s(int64_t bytes, int64_t ms)
{
    return ms > 0 ? (double)bytes / 1e6 / ((double)ms / 1000.0) : 0.0;
}

static void on_progress(const struct rp_ingest_summary *s, bool final, void *ctx)
{
    struct progress *p = ctx;
    if (!p->on) return;
    if (final) {
        if (p->drawn) fputs("\r\033[K", stderr);
        p->drawn = false;
        return;
    }
    int64_t total = s->files_seen - s->files_filtered;
    int64_t done =
        s->files_read + s->files_skipped + s->files_duplicate + s->files_unknown + s->files_failed;
    if (done > total) done = total;
    char eta[32] = "--:--";
    if (done > 0 && s->elapsed_ms > 0 && total > done) {
        int64_t left = s->elapsed_ms * (total - done) / done / 1000;
        snprintf(eta, sizeof eta, "%" PRId64 ":%02d", left / 60, (int)(left % 60));
    } else if (total == done) {
        snprintf(eta, sizeof eta, "0:00");
    }
    fprintf(stderr,
            "\r\033[Kingest: %" PRId64 "/%" PRId64 " files, %" PRId64 " records, %.1f MB/s, ETA %s",
            done, total, s->records, mb_per_s(s->bytes_decoded, s->elapsed_ms), eta);
    fflush(stderr);
    p->drawn = true;
}

/* ---- summary ------------------------------------------------------------------------------- */

static rp_err print_summary(struct rp_cmd_ctx *ctx, const struct rp_ingest_summary *s)
{
    static const struct rp_out_col scols[] = {
        {"source", 0},
        {"records", RP_OUT_COL_NUM},
        {"rows", RP_OUT_COL_NUM},
        {"duplicates", RP_OUT_COL_NUM},
        {"rejected", RP_OUT_COL_NUM},
        {"filtered", RP_OUT_COL_NUM},
    };
    static const struct rp_out_col fcols[] = {
        {"files", RP_OUT_COL_NUM},         {"read", RP_OUT_COL_NUM},
        {"skipped", RP_OUT_COL_NUM},       {"duplicate", RP_OUT_COL_NUM},
        {"filtered", RP_OUT_COL_NUM},      {"failed", RP_OUT_COL_NUM},
        {"unknown", RP_OUT_COL_NUM},       {"bytes_in", RP_OUT_COL_NUM},
        {"bytes_decoded", RP_OUT_COL_NUM}, {"elapsed_s", RP_OUT_COL_NUM},
        {"mb_per_s", RP_OUT_COL_NUM},
    };
    struct rp_out *o = rp_out_new(ctx, scols, RP_ARRAY_LEN(scols));
    if (!o) return RP_ENOMEM;
    rp_err e = RP_OK;
    char v[6][32];
    struct rp_ingest_source_counts tot = {0};
    for (int k = 0; k <= RP_INGEST_KIND_COUNT && !e; k++) {
        const struct rp_ingest_source_counts *c = k < RP_INGEST_KIND_COUNT ? &s->by_kind[k] : &tot;
        /* kinds with nothing to say are left out; the total is always there */
        if (k < RP_INGEST_KIND_COUNT &&
            !(c->records || c->rows || c->duplicates || c->rejected || c->filtered))
            continue;
        if (k < RP_INGEST_KIND_COUNT) {
            tot.records += c->records;
            tot.rows += c->rows;
            tot.duplicates += c->duplicates;
            tot.rejected += c->rejected;
            tot.filtered += c->filtered;
        }
        snprintf(v[0], sizeof v[0], "%" PRId64, c->records);
        snprintf(v[1], sizeof v[1], "%" PRId64, c->rows);
        snprintf(v[2], sizeof v[2], "%" PRId64, c->duplicates);
        snprintf(v[3], sizeof v[3], "%" PRId64, c->rejected);
        snprintf(v[4], sizeof v[4], "%" PRId64, c->filtered);
        const char *name =
            k < RP_INGEST_KIND_COUNT ? rp_ingest_kind_name((enum rp_ingest_kind)k) : "total";
        const char *vals[] = {name, v[0], v[1], v[2], v[3], v[4]};
        e = rp_out_row(o, vals);
    }
    if (!e) e = rp_out_flush(o);
    rp_out_free(o);
    if (e) return e;

    /* the second table: a blank line between the two in table and csv form; in json form
     * each table is one array on its own line */
    if (ctx->format != RP_OUT_JSON && fputc('\n', ctx->out) == EOF) return RP_EIO;
    if (!(o = rp_out_new(ctx, fcols, RP_ARRAY_LEN(fcols)))) return RP_ENOMEM;
    char f[11][32];
    const int64_t n[] = {s->files_seen,      s->files_read,     s->files_skipped,
                         s->files_duplicate, s->files_filtered, s->files_failed,
                         s->files_unknown,   s->bytes_in,       s->bytes_decoded};
    for (size_t i = 0; i < RP_ARRAY_LEN(n); i++) snprintf(f[i], sizeof f[i], "%" PRId64, n[i]);
    snprintf(f[9], sizeof f[9], "%.3f", (double)s->elapsed_ms / 1000.0);
    snprintf(f[10], sizeof f[10], "%.1f", mb_per_s(s->bytes_decoded, s->elapsed_ms));
    const char *vals[] = {f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9], f[10]};
    e = rp_out_row(o, vals);
    if (!e) e = rp_out_flush(o);
    rp_out_free(o);
    return e;
}

/* "3 records rejected, 1 file could not be read, 2 files not recognised" */
static void partial_line(const struct rp_ingest_summary *s)
{
    char buf[256] = "";
    size_t len = 0;
    struct {
        int64_t n;
        const char *one, *many;
    } parts[] = {
        {s->rejected, "record rejected", "records rejected"},
        {s->files_failed, "file could not be read", "files could not be read"},
        {s->files_unknown, "file not recognised", "files not recognised"},
    };
    for (size_t i = 0; i < RP_ARRAY_LEN(parts); i++) {
        if (!parts[i].n) continue;
        int k = snprintf(buf + len, sizeof buf - len, "%s%" PRId64 " %s", len ? ", " : "",
                         parts[i].n, parts[i].n == 1 ? parts[i].one : parts[i].many);
        if (k > 0 && (size_t)k < sizeof buf - len) len += (size_t)k;
    }
    fprintf(stderr, "rampart: ingest: %s; see `rampart db rejects`\n", buf);
}

/* ---- the verb ------------------------------------------------------------------------------ */

static bool valid_account(const char *s)
{
    size_t n = strlen(s);
    if (n != 12) return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

static bool valid_region(const char *s)
{
    if (!*s) return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-')) return false;
    return true;
}

int rp_cmd_ingest(struct rp_cmd_ctx *ctx, int argc, char **argv)
{
    struct rp_ingest_opts o;
    rp_ingest_opts_init(&o);
    const char **paths = calloc((size_t)argc, sizeof *paths);
    const char **accounts = calloc((size_t)argc, sizeof *accounts);
    const char **regions = calloc((size_t)argc, sizeof *regions);
    size_t npaths = 0, naccounts = 0, nregions = 0;
    bool list = false, dashdash = false;
    int rc = RP_EXIT_OK;
    int64_t now = rp_time_now_ms();
    if (!paths || !accounts || !regions) {
        rc = rp_cmd_error(VERB, "%s", rp_strerror(RP_ENOMEM));
        goto out;
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *val = NULL;
        int m;
        if (dashdash || a[0] != '-' || !a[1]) {
            paths[npaths++] = a;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            dashdash = true;
        } else if (strcmp(a, "--force") == 0) {
            o.force = true;
        } else if (strcmp(a, "--list-formats") == 0) {
            list = true;
        } else if ((m = rp_cmd_opt_value("--since", argc, argv, &i, &val)) ||
                   (m = rp_cmd_opt_value("--until", argc, argv, &i, &val))) {
            bool since = strncmp(a, "--since", 7) == 0;
            struct rp_errbuf eb = {0};
            int64_t t;
            if (m < 0) {
                rc = rp_cmd_usage_error(VERB, "%s needs a time", a);
                goto out;
            }
            if (rp_time_parse_filter(rp_str_from(val), now, &t, &eb) != RP_OK) {
                rc = rp_cmd_usage_error(VERB, "%s: %s", since ? "--since" : "--until", eb.msg);
                goto out;
            }
            if (since)
                o.since_ms = t;
            else
                o.until_ms = t;
        } else if ((m = rp_cmd_opt_value("--account", argc, argv, &i, &val))) {
            if (m < 0 || !valid_account(val)) {
                rc = rp_cmd_usage_error(VERB, "--account wants a 12-digit account id, not '%s'",
                                        m < 0 ? "" : val);
                goto out;
            }
            accounts[naccounts++] = val;
        } else if ((m = rp_cmd_opt_value("--region", argc, argv, &i, &val))) {
            if (m < 0 || !valid_region(val)) {
                rc = rp_cmd_usage_error(VERB, "--region wants a region such as us-east-1, not '%s'",
                                        m < 0 ? "" : val);
                goto out;
            }
            regions[nregions++] = val;
        } else if ((m = rp_cmd_opt_value("--format-in", argc, argv, &i, &val))) {
            if (m < 0) {
                rc = rp_cmd_usage_error(VERB, "--format-in needs a format name");
                goto out;
            }
            if (!rp_ingest_format_exists(val)) {
                rc = rp_cmd_usage_error(VERB,
                                        "unknown format '%s' (see 'rampart ingest "
                                        "--list-formats')",
                                        val);
                goto out;
            }
            o.format = val;
        } else if ((m = rp_cmd_opt_value("--jobs", argc, argv, &i, &val)) ||
                   (m = rp_cmd_opt_value("--batch-rows", argc, argv, &i, &val))) {
            /* --batch-rows N: rows per transaction; undocumented, for tests */
            bool jobs = strncmp(a, "--jobs", 6) == 0;
            uint64_t n = 0;
            if (m < 0 || rp_str_to_u64(rp_str_from(val), &n) != RP_OK || n == 0 ||
                n > (jobs ? MAX_JOBS : 10000000)) {
                rc = rp_cmd_usage_error(VERB, "%s wants a number from 1 to %d, not '%s'",
                                        jobs ? "--jobs" : "--batch-rows",
                                        jobs ? MAX_JOBS : 10000000, m < 0 ? "" : val);
                goto out;
            }
            if (jobs)
                o.jobs = (unsigned)n;
            else
                o.batch_rows = (size_t)n;
        } else {
            rc = rp_cmd_usage_error(VERB, "unknown option '%s'", a);
            goto out;
        }
    }
    if (list) {
        if (npaths) {
            rc = rp_cmd_usage_error(VERB, "--list-formats takes no path");
            goto out;
        }
        rc = list_formats(ctx);
        goto out;
    }
    if (!npaths) {
        rc = rp_cmd_usage_error(VERB, "no path to ingest");
        goto out;
    }
    if (o.since_ms != INT64_MIN && o.until_ms != INT64_MAX && o.until_ms <= o.since_ms) {
        rc = rp_cmd_usage_error(VERB, "--until must be later than --since");
        goto out;
    }

    o.paths = paths;
    o.npaths = npaths;
    o.accounts = accounts;
    o.naccounts = naccounts;
    o.regions = regions;
    o.nregions = nregions;
    struct progress prog = {.on = ctx->verbosity >= 0 && isatty(STDERR_FILENO)};
    o.progress = on_progress;
    o.progress_ctx = &prog;

    struct rp_store *st = NULL;
    struct rp_errbuf eb = {0};
    rp_err e = rp_store_new(ctx->db_path, RP_STORE_RDWR, &st, &eb);
    if (e) {
        rc = rp_cmd_error(VERB, "%s", rp_errbuf_msg(&eb, e));
        goto out;
    }
    struct rp_ingest_summary sum;
    e = rp_ingest_run(st, &o, &sum, &eb);
    rp_store_free(st);
    if (e) {
        /* a path that does not exist is a mistake on the command line: nothing was read */
        const char *msg = rp_errbuf_msg(&eb, e);
        if (strncmp(msg, "ingest: ", 8) == 0) msg += 8;
        rc = rp_cmd_error(VERB, "%s", msg);
        goto out;
    }
    if ((e = print_summary(ctx, &sum))) {
        rc = rp_cmd_error(VERB, "cannot write the result: %s", rp_strerror(e));
        goto out;
    }
    if (rp_ingest_summary_partial(&sum)) {
        if (fflush(ctx->out) != 0) {
            rc = rp_cmd_error(VERB, "cannot write the result");
            goto out;
        }
        partial_line(&sum);
        rc = RP_EXIT_PARTIAL;
    }
out:
    free(paths);
    free(accounts);
    free(regions);
    return rc;
}
