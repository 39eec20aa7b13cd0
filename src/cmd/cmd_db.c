/* SPDX-License-Identifier: Apache-2.0 */
/* `rampart db`: look inside and maintain the store (src/store/store.h).
 *
 *   rampart db info                                   path, schema, size, rows per table
 *   rampart db rejects [--limit N] [--source FILE]    records ingest could not parse
 *   rampart db migrate                                create / upgrade to this binary's schema
 *
 * info and rejects open the database read-only: they never create a file or change a schema,
 * and a missing file is an error, not an empty answer. Results go through the rp_out writer so
 * --format table|json|csv all work. Raw reject bytes are never written as they are: the
 * preview escapes everything that is not printable ASCII, so a terminal cannot be driven by
 * input data. */
#define RP_LOG_MODULE "cmd"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cmd/cmd.h"
#include "core/rp_arena.h"
#include "core/rp_str.h"
#include "store/store.h"
#include "core/rp_banned.h"

#define VERB                  "db"
#define REJECTS_DEFAULT_LIMIT 100 /* rows `db rejects` shows without --limit */
#define PREVIEW_BYTES         48  /* raw bytes shown per reject, before escaping */

/* Continuation lines are indented under "usage: ", as in `rampart --help`. */
const char rp_cmd_db_usage[] = "rampart db info\n"
                               "       rampart db rejects [--limit N] [--source FILE]\n"
                               "       rampart db migrate";

const char rp_cmd_db_help[] =
    "Look inside and maintain the Rampart database (--db PATH, else $RAMPART_DB, else\n"
    "./rampart.db).\n"
    "\n"
    "  info      path, schema version, file size (database + WAL) and the exact row count\n"
    "            of every table\n"
    "  rejects   records ingest could not parse, oldest first: id, time, source file, byte\n"
    "            offset, line, reason, original and kept length, and an escaped preview of\n"
    "            the raw bytes\n"
    "  migrate   create the database if it is missing and upgrade its schema to this\n"
    "            rampart's; prints the version before and after\n"
    "\n"
    "Options of rejects:\n"
    "  --limit N       show at most N rejects (default 100; 0 shows all)\n"
    "  --source FILE   only rejects of FILE, as ingest recorded its path\n"
    "\n"
    "info and rejects open the database read-only and never create it. All three write\n"
    "--format table, json or csv.\n"
    "\n"
    "Examples:\n"
    "  rampart db info\n"
    "  rampart --format json db rejects --limit 10 --source logs/trail.json.gz\n"
    "  rampart --db /var/lib/rampart/rampart.db db migrate\n";

static const char *db_path(const struct rp_cmd_ctx *ctx)
{
    return ctx->db_path && *ctx->db_path ? ctx->db_path : RP_STORE_DEFAULT_PATH;
}

/* Open the store; on failure print the error and return the exit code (else RP_EXIT_OK). */
static int open_store(const struct rp_cmd_ctx *ctx, unsigned flags, struct rp_store **st)
{
    struct rp_errbuf eb = {0};
    rp_err e = rp_store_new(db_path(ctx), flags, st, &eb);
    if (e == RP_ENOENT)
        return rp_cmd_error(VERB, "no database at '%s' (run an ingest first, or pass --db)",
                            db_path(ctx));
    if (e) return rp_cmd_error(VERB, "%s", rp_errbuf_msg(&eb, e));
    return RP_EXIT_OK;
}

/* Render and free o; reports a write failure. */
static int finish_out(struct rp_out *o, rp_err e)
{
    if (!e) e = rp_out_flush(o);
    rp_out_free(o);
    if (e) return rp_cmd_error(VERB, "cannot write the result: %s", rp_strerror(e));
    return RP_EXIT_OK;
}

/* Usage error for the first argument of a subcommand that takes none. */
static int no_args(const char *sub, int argc, char **argv)
{
    if (argc <= 1) return RP_EXIT_OK;
    if (argv[1][0] == '-') return rp_cmd_usage_error(VERB, "%s: unknown option '%s'", sub, argv[1]);
    return rp_cmd_usage_error(VERB, "%s: unexpected argument '%s'", sub, argv[1]);
}

/* ---- info ------------------------------------------------------------------------------ */

static const struct rp_out_col info_cols[] = {
    {"path", 0},
    {"schema_version", RP_OUT_COL_NUM},
    {"schema_latest", RP_OUT_COL_NUM},
    {"file_bytes", RP_OUT_COL_NUM},
    {"table", 0},
    {"rows", RP_OUT_COL_NUM},
};

static int db_info(struct rp_cmd_ctx *ctx, int argc, char **argv)
{
    int rc = no_args("info", argc, argv);
    if (rc) return rc;
    struct rp_store *st;
    if ((rc = open_store(ctx, RP_STORE_RDONLY, &st))) return rc;
    struct rp_arena a;
    rp_arena_init(&a, 0);
    struct rp_store_info info;
    struct rp_errbuf eb = {0};
    rp_err e = rp_store_info_get(&a, st, &info, &eb);
    if (e) {
        rc = rp_cmd_error(VERB, "%s", rp_errbuf_msg(&eb, e));
        goto done;
    }
    struct rp_out *o = rp_out_new(ctx, info_cols, RP_ARRAY_LEN(info_cols));
    if (!o) {
        rc = rp_cmd_error(VERB, "%s", rp_strerror(RP_ENOMEM));
        goto done;
    }
    char ver[16], latest[16], bytes[24], rows[24];
    snprintf(ver, sizeof ver, "%d", info.schema_version);
    snprintf(latest, sizeof latest, "%d", info.schema_latest);
    snprintf(bytes, sizeof bytes, "%" PRId64, info.file_bytes);
    /* One row per table; a database without tables still gets its one summary row. */
    for (size_t i = 0; !e && i < (info.ntables ? info.ntables : 1); i++) {
        const char *table = NULL, *nrows = NULL;
        if (info.ntables) {
            snprintf(rows, sizeof rows, "%" PRId64, info.tables[i].rows);
            table = info.tables[i].name;
            nrows = rows;
        }
        const char *vals[] = {info.path, ver, latest, bytes, table, nrows};
        e = rp_out_row(o, vals);
    }
    rc = finish_out(o, e);
done:
    rp_arena_release(&a);
    rp_store_free(st);
    return rc;
}

/* ---- rejects --------------------------------------------------------------------------- */

static const struct rp_out_col reject_cols[] = {
    {"id", RP_OUT_COL_NUM},
    {"time", 0},
    {"source", 0},
    {"offset", RP_OUT_COL_NUM},
    {"line", RP_OUT_COL_NUM},
    {"reason", 0},
    {"raw_len", RP_OUT_COL_NUM},  /* original length of the record */
    {"raw_kept", RP_OUT_COL_NUM}, /* bytes stored, at most RP_MAX_REJECT_BYTES */
    {"preview", 0},
};

/* The first PREVIEW_BYTES of p as printable ASCII: \\, \n, \r, \t and \xHH escapes, "..."
 * when more bytes exist. out needs PREVIEW_BYTES * 4 + 4 bytes. */
static const char *escape_preview(char *out, size_t outsz, const unsigned char *p, size_t n,
                                  bool more)
{
    static const char hex[] = "0123456789abcdef";
    size_t o = 0, take = n < PREVIEW_BYTES ? n : PREVIEW_BYTES;
    for (size_t i = 0; i < take && o + 5 < outsz; i++) {
        unsigned char c = p[i];
        if (c == '\\' || c == '\n' || c == '\r' || c == '\t') {
            out[o++] = '\\';
            out[o++] = c == '\\' ? '\\' : c == '\n' ? 'n' : c == '\r' ? 'r' : 't';
        } else if (c >= 0x20 && c < 0x7f) {
            out[o++] = (char)c;
        } else {
            out[o++] = '\\';
            out[o++] = 'x';
            out[o++] = hex[c >> 4];
            out[o++] = hex[c & 15];
        }
    }
    if ((more || take < n) && o + 4 <= outsz) {
        memcpy(out + o, "...", 3);
        o += 3;
    }
    out[o] = '\0';
    return out;
}

/* ms since the epoch as 2024-01-31T12:00:00.000Z. */
static const char *iso_time(char *out, size_t outsz, int64_t ms)
{
    time_t secs = (time_t)(ms / 1000);
    struct tm tm;
    if (ms < 0 || !gmtime_r(&secs, &tm)) {
        snprintf(out, outsz, "%" PRId64, ms);
        return out;
    }
    char day[32];
    strftime(day, sizeof day, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out, outsz, "%s.%03dZ", day, (int)(ms % 1000));
    return out;
}

struct reject_walk {
    struct rp_out *o;
    size_t n; /* rows written */
};

static rp_err reject_row(const struct rp_store_reject *r, void *ctx)
{
    struct reject_walk *w = ctx;
    char id[24], when[48], off[24], line[24], len[24], kept[24];
    char preview[PREVIEW_BYTES * 4 + 4];
    snprintf(id, sizeof id, "%" PRId64, r->id);
    snprintf(off, sizeof off, "%" PRId64, r->offset);
    snprintf(line, sizeof line, "%" PRId64, r->line);
    snprintf(len, sizeof len, "%" PRIu64, r->orig_len);
    snprintf(kept, sizeof kept, "%zu", r->raw_n);
    const char *vals[] = {
        id,
        iso_time(when, sizeof when, r->time_ms),
        r->source,
        r->offset >= 0 ? off : NULL,
        r->line > 0 ? line : NULL,
        r->reason,
        len,
        kept,
        escape_preview(preview, sizeof preview, r->raw, r->raw_n, r->truncated),
    };
    rp_err e = rp_out_row(w->o, vals);
    if (!e) w->n++;
    return e;
}

static int db_rejects(struct rp_cmd_ctx *ctx, int argc, char **argv)
{
    struct rp_store_reject_filter f = {.limit = REJECTS_DEFAULT_LIMIT};
    for (int i = 1; i < argc; i++) {
        const char *val = NULL;
        int m;
        if ((m = rp_cmd_opt_value("--limit", argc, argv, &i, &val))) {
            uint64_t lim;
            if (m < 0) return rp_cmd_usage_error(VERB, "rejects: --limit needs a number");
            if (rp_str_to_u64(rp_str_from(val), &lim) != RP_OK || lim > SIZE_MAX)
                return rp_cmd_usage_error(VERB, "rejects: --limit wants a number, not '%s'", val);
            f.limit = (size_t)lim;
        } else if ((m = rp_cmd_opt_value("--source", argc, argv, &i, &val))) {
            if (m < 0) return rp_cmd_usage_error(VERB, "rejects: --source needs a file");
            f.source = val;
        } else if (argv[i][0] == '-') {
            return rp_cmd_usage_error(VERB, "rejects: unknown option '%s'", argv[i]);
        } else {
            return rp_cmd_usage_error(VERB, "rejects: unexpected argument '%s'", argv[i]);
        }
    }

    struct rp_store *st;
    int rc = open_store(ctx, RP_STORE_RDONLY, &st);
    if (rc) return rc;
    struct reject_walk w = {rp_out_new(ctx, reject_cols, RP_ARRAY_LEN(reject_cols)), 0};
    if (!w.o) {
        rp_store_free(st);
        return rp_cmd_error(VERB, "%s", rp_strerror(RP_ENOMEM));
    }
    struct rp_errbuf eb = {0};
    int64_t total = 0;
    rp_err e = RP_OK;
    /* A file no ingest has migrated yet has no rejects table, and no rejects. */
    if (rp_store_schema_version(st) >= 1) e = rp_store_reject_list(st, &f, reject_row, &w, &eb);
    if (!e && f.limit && w.n == f.limit) e = rp_store_reject_count(st, f.source, &total, &eb);
    if (e && eb.msg[0]) {
        rp_out_free(w.o);
        rc = rp_cmd_error(VERB, "%s", eb.msg);
    } else {
        rc = finish_out(w.o, e);
    }
    /* On stderr, so piped json/csv stays clean. */
    if (!rc && total > (int64_t)w.n && ctx->verbosity >= 0)
        fprintf(stderr, "rampart: db: showing %zu of %" PRId64 " rejects (--limit 0 shows all)\n",
                w.n, total);
    rp_store_free(st);
    return rc;
}

/* ---- migrate --------------------------------------------------------------------------- */

static const struct rp_out_col migrate_cols[] = {
    {"path", 0},
    {"from_version", RP_OUT_COL_NUM},
    {"schema_version", RP_OUT_COL_NUM},
};

static int db_migrate(struct rp_cmd_ctx *ctx, int argc, char **argv)
{
    int rc = no_args("migrate", argc, argv);
    if (rc) return rc;
    struct rp_store *st;
    if ((rc = open_store(ctx, RP_STORE_RDWR, &st))) return rc;
    struct rp_out *o = rp_out_new(ctx, migrate_cols, RP_ARRAY_LEN(migrate_cols));
    if (!o) {
        rp_store_free(st);
        return rp_cmd_error(VERB, "%s", rp_strerror(RP_ENOMEM));
    }
    char from[16], to[16];
    snprintf(from, sizeof from, "%d", rp_store_schema_version_opened(st));
    snprintf(to, sizeof to, "%d", rp_store_schema_version(st));
    const char *vals[] = {rp_store_path(st), from, to};
    rc = finish_out(o, rp_out_row(o, vals));
    rp_store_free(st);
    return rc;
}

/* ---- dispatch -------------------------------------------------------------------------- */

int rp_cmd_db(struct rp_cmd_ctx *ctx, int argc, char **argv)
{
    if (argc < 2) return rp_cmd_usage_error(VERB, "missing subcommand (info, rejects or migrate)");
    const char *sub = argv[1];
    if (strcmp(sub, "info") == 0) return db_info(ctx, argc - 1, argv + 1);
    if (strcmp(sub, "rejects") == 0) return db_rejects(ctx, argc - 1, argv + 1);
    if (strcmp(sub, "migrate") == 0) return db_migrate(ctx, argc - 1, argv + 1);
    if (sub[0] == '-') return rp_cmd_usage_error(VERB, "unknown option '%s'", sub);
    return rp_cmd_usage_error(VERB, "unknown subcommand '%s'", sub);
}
