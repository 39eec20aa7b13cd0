/* SPDX-License-Identifier: Apache-2.0 */
/* `rampart query`: Athena-style SQL over the store and over raw files in place (src/query).
 * Runs the SQL given as arguments, in a file (-f) or on stdin; with no SQL and a terminal on
 * stdin, an interactive prompt with line editing and history (libedit). Every query gets an
 * id; its result goes to the results directory as Athena writes it (<id>.csv and
 * <id>.csv.metadata.json) and `history`, `get-execution` and `get-results` read them back.
 * The store is opened read-only; a statement that would write is refused. */
#define RP_LOG_MODULE "cmd"

#include <editline/readline.h>
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/cmd_verbs.h"
#include "core/rp_buf.h"
#include "core/rp_str.h"
#include "core/rp_time.h"
#include "query/query.h"
#include "core/rp_banned.h"

#define VERB             "query"
#define QUERY_MAX_SQL    (16u << 20) /* bytes of SQL read from a file or stdin */
#define QUERY_MAX_SETUPS 32

const char rp_cmd_query_usage[] =
    "rampart query [OPTIONS] SQL...\n"
    "       rampart query [OPTIONS] -f FILE\n"
    "       rampart query [OPTIONS]                  (a prompt on a terminal, else SQL on stdin)\n"
    "       rampart query history [--max N]\n"
    "       rampart query get-execution ID\n"
    "       rampart query get-results ID [--format FORMAT]\n"
    "       rampart query tables | functions";

const char rp_cmd_query_help[] =
    "Run SQL (SQLite's dialect with Athena's functions and struct syntax) over the store's\n"
    "tables (cloudtrail_logs, vpc_flow_logs, r53_resolver_query_logs, k8s_audit_logs,\n"
    "config_items, config_resources, findings ..) and over files in place through connectors:\n"
    "cloudtrail_files('DIR'), vpc_flow_files('DIR'), r53_resolver_files('DIR'),\n"
    "k8s_audit_files('DIR'), config_files('DIR'), csv and jsonl files, PostgreSQL tables and\n"
    "the host's processes and listening_ports. The store is read-only here. See docs/query.md.\n"
    "\n"
    "Options:\n"
    "  -f, --file FILE       read the SQL from FILE ('-' for stdin)\n"
    "  --format FORMAT       table (default), csv, json, jsonl, or aws (Athena GetQueryResults)\n"
    "  --results DIR         where results and history go (default: $RAMPART_QUERY_RESULTS,\n"
    "                        else rampart-query-results/ next to the store)\n"
    "  --no-results          do not write the result files (nor history)\n"
    "  --timeout SECONDS     stop a query after this long (default 1800, Athena's; 0 = none)\n"
    "  --max-memory MIB      SQLite's memory cap (default 1024)\n"
    "  --csv NAME=FILE       make FILE (CSV, TSV, .gz) a table NAME for this query\n"
    "  --jsonl NAME=FILE     make FILE (JSON Lines, .gz) a table NAME\n"
    "  --attach NAME=FILE    attach another SQLite database as NAME (read-only)\n"
    "  --stats               print the query id, rows, files opened/pruned and bytes scanned\n"
    "                        on stderr\n"
    "\n"
    "Exit status: 0 done; 1 the query failed (the error gives its line and column); 3 done,\n"
    "but a connector met bad records (printed as warnings).\n"
    "\n"
    "Examples:\n"
    "  rampart query \"SELECT eventname, count(*) AS n FROM cloudtrail_logs GROUP BY 1 ORDER BY 2 "
    "DESC LIMIT 10\"\n"
    "  rampart query \"SELECT count(*) FROM cloudtrail_files('AWSLogs') WHERE _date = "
    "'2024/03/02'\"\n"
    "  rampart query history";

struct qopts {
    const char *file;
    const char *results; /* NULL = default */
    bool no_results;
    bool stats;
    enum rp_query_format fmt;
    int64_t timeout_ms;
    int64_t max_memory;
    const char *setups[QUERY_MAX_SETUPS]; /* "csv\0NAME=FILE" style: kind + arg */
    const char *setup_kind[QUERY_MAX_SETUPS];
    size_t nsetups;
    size_t max_history;
};

static struct rp_query_session *g_session; /* for SIGINT */

/* A message of src/query without its "query: " (rp_cmd_error prints "rampart: query: "). */
static const char *unprefixed(const char *msg)
{
    return strncmp(msg, "query: ", 7) == 0 ? msg + 7 : msg;
}

static void on_sigint(int sig)
{
    (void)sig;
    if (g_session) rp_query_session_interrupt(g_session);
}

static enum rp_query_format default_format(const struct rp_cmd_ctx *ctx)
{
    switch (ctx->format) {
    case RP_OUT_CSV:
        return RP_QFMT_CSV;
    case RP_OUT_JSON:
        return RP_QFMT_JSON;
    default:
        return RP_QFMT_TABLE;
    }
}

/* The results directory: --results, $RAMPART_QUERY_RESULTS, else next to the store. */
static char *results_dir(const struct rp_cmd_ctx *ctx, const struct qopts *o)
{
    if (o->results) return strdup(o->results);
    const char *env = getenv("RAMPART_QUERY_RESULTS");
    if (env && *env) return strdup(env);
    const char *db = ctx->db_path ? ctx->db_path : "rampart.db";
    const char *slash = strrchr(db, '/');
    size_t dn = slash ? (size_t)(slash - db) : 0;
    size_t n = dn + sizeof "/rampart-query-results";
    char *out = malloc(n + 2);
    if (!out) return NULL;
    if (slash)
        snprintf(out, n + 2, "%.*s/rampart-query-results", (int)dn, db);
    else
        snprintf(out, n + 2, "rampart-query-results");
    return out;
}

static rp_err read_all(FILE *f, char **out, struct rp_errbuf *eb, const char *name)
{
    struct rp_buf b;
    rp_buf_init(&b, QUERY_MAX_SQL);
    char chunk[8192];
    size_t n;
    rp_err e = RP_OK;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        if ((e = rp_buf_append(&b, chunk, n))) break;
    if (!e && ferror(f)) e = rp_fail(eb, RP_EIO, "cannot read '%s': %s", name, strerror(errno));
    if (!e) e = rp_buf_append(&b, "", 1);
    if (e) {
        rp_buf_release(&b);
        if (e == RP_ELIMIT) return rp_fail(eb, e, "'%s' holds more than 16 MiB of SQL", name);
        return e == RP_EIO ? e : rp_fail(eb, e, "out of memory reading '%s'", name);
    }
    *out = rp_buf_take(&b, NULL);
    return *out ? RP_OK : rp_fail(eb, RP_ENOMEM, "out of memory");
}

/* Runs the --csv/--jsonl/--attach set-up statements. */
static int run_setups(struct rp_query_session *s, const struct qopts *o)
{
    for (size_t i = 0; i < o->nsetups; i++) {
        const char *arg = o->setups[i];
        const char *eq = strchr(arg, '=');
        if (!eq || eq == arg || !eq[1])
            return rp_cmd_usage_error(VERB, "--%s wants NAME=FILE, got '%s'", o->setup_kind[i],
                                      arg);
        struct rp_buf b;
        rp_buf_init(&b, 1u << 16);
        rp_err e = RP_OK;
        /* names and paths are quoted as SQL identifiers / strings */
        const char *kind = o->setup_kind[i];
        bool attach = strcmp(kind, "attach") == 0;
        e = rp_buf_append(&b, attach ? "ATTACH '" : "CREATE VIRTUAL TABLE temp.\"",
                          attach ? 8 : 27);
        const char *name = arg, *path = eq + 1;
        size_t nn = (size_t)(eq - arg);
        if (attach) {
            for (const char *p = path; *p && !e; p++)
                e = *p == '\'' ? rp_buf_append(&b, "''", 2) : rp_buf_append(&b, p, 1);
            if (!e) e = rp_buf_append(&b, "' AS \"", 6);
            for (size_t k = 0; k < nn && !e; k++)
                e = name[k] == '"' ? rp_buf_append(&b, "\"\"", 2) : rp_buf_append(&b, &name[k], 1);
            if (!e) e = rp_buf_append(&b, "\"", 2);
        } else {
            for (size_t k = 0; k < nn && !e; k++)
                e = name[k] == '"' ? rp_buf_append(&b, "\"\"", 2) : rp_buf_append(&b, &name[k], 1);
            if (!e) e = rp_buf_append(&b, "\" USING ", 8);
            if (!e) e = rp_buf_append(&b, kind, strlen(kind));
            if (!e) e = rp_buf_append(&b, "('", 2);
            for (const char *p = path; *p && !e; p++)
                e = *p == '\'' ? rp_buf_append(&b, "''", 2) : rp_buf_append(&b, p, 1);
            if (!e) e = rp_buf_append(&b, "')", 3);
        }
        if (e) {
            rp_buf_release(&b);
            return rp_cmd_error(VERB, "out of memory");
        }
        struct rp_errbuf eb = {0};
        struct rp_query_run_stats st;
        e = rp_query_run(s, b.data, NULL, 0, &st, &eb);
        rp_buf_release(&b);
        if (e) return rp_cmd_error(VERB, "--%s %s: %s", kind, arg, unprefixed(eb.msg));
    }
    return RP_EXIT_OK;
}

/* One query: run it, print it, keep its result. Returns an exit code. */
static int run_one(const struct rp_cmd_ctx *ctx, struct rp_query_session *s, const struct qopts *o,
                   const char *sql, const char *dir)
{
    struct rp_errbuf eb = {0};
    char id[37];
    if (rp_query_id_new(id)) return rp_cmd_error(VERB, "cannot make a query id");
    struct rp_query_printer *pr = NULL;
    struct rp_query_results *res = NULL;
    if (rp_query_printer_new(o->fmt, ctx->out, &pr)) return rp_cmd_error(VERB, "out of memory");
    struct rp_query_sink sinks[2];
    size_t nsinks = 0;
    sinks[nsinks++] = rp_query_printer_sink(pr);
    if (dir) {
        rp_err e = rp_query_results_new(dir, id, &res, &eb);
        if (e) {
            rp_query_printer_free(pr);
            return rp_cmd_error(VERB, "%s", eb.msg);
        }
        sinks[nsinks++] = rp_query_results_sink(res);
    }
    int64_t submitted = rp_time_now_ms();
    struct rp_query_run_stats st;
    rp_err e = rp_query_run(s, sql, sinks, nsinks, &st, &eb);
    fflush(ctx->out);
    rp_query_printer_free(pr);
    struct rp_query_execution x = {
        .query = sql,
        .state = e ? (e == RP_ETIMEDOUT ? "CANCELLED" : "FAILED") : "SUCCEEDED",
        .reason = e ? eb.msg : NULL,
        .submitted_ms = submitted,
        .completed_ms = rp_time_now_ms(),
        .engine_ms = st.engine_ms,
        .bytes_scanned = st.bytes_scanned,
        .rows = st.rows,
        .files_opened = st.files_opened,
        .files_pruned = st.files_pruned,
        .dirs_pruned = st.dirs_pruned,
        .records_rejected = st.records_rejected,
        .database = ctx->db_path,
    };
    memcpy(x.id, id, sizeof id);
    struct rp_errbuf reb = {0};
    rp_err re = RP_OK;
    if (res) {
        if (e) {
            rp_query_results_free(res);
            re = rp_query_results_write_failed(dir, &x, &reb);
        } else {
            re = rp_query_results_finish(res, &x, &reb);
        }
    }
    if (o->stats)
        fprintf(stderr,
                "rampart: query %s: %" PRId64 " rows, files opened: %" PRId64
                ", files pruned: %" PRId64 ", directories pruned: %" PRId64
                ", bytes scanned: %" PRId64 ", records rejected: %" PRId64 ", %" PRId64 " ms\n",
                id, st.rows, st.files_opened, st.files_pruned, st.dirs_pruned, st.bytes_scanned,
                st.records_rejected, st.engine_ms);
    if (e) return rp_cmd_error(VERB, "%s", unprefixed(eb.msg));
    if (re) return rp_cmd_error(VERB, "%s", reb.msg);
    return st.records_rejected ? RP_EXIT_PARTIAL : RP_EXIT_OK;
}

static int interactive(const struct rp_cmd_ctx *ctx, struct rp_query_session *s, struct qopts *o,
                       const char *dir)
{
    char hist[4096] = "";
    const char *home = getenv("HOME");
    if (home && *home) {
        snprintf(hist, sizeof hist, "%s/.rampart_history", home);
        using_history();
        read_history(hist);
    }
    fprintf(stderr, "rampart query: end statements with ';'; .tables, .format FMT, .quit\n");
    struct rp_buf b;
    rp_buf_init(&b, QUERY_MAX_SQL);
    int worst = RP_EXIT_OK;
    for (;;) {
        char *line = readline(b.len ? "    ...> " : "rampart> ");
        if (!line) break;
        if (!b.len && line[0] == '.') {
            if (strncmp(line, ".quit", 5) == 0 || strncmp(line, ".exit", 5) == 0) {
                free(line);
                break;
            }
            if (strncmp(line, ".format ", 8) == 0) {
                struct rp_errbuf eb = {0};
                if (rp_query_format_parse(line + 8, &o->fmt, &eb))
                    fprintf(stderr, "rampart: %s\n", eb.msg);
            } else if (strncmp(line, ".tables", 7) == 0) {
                (void)run_one(ctx, s, o,
                              "SELECT name, type FROM sqlite_schema WHERE type IN ('table', "
                              "'view') ORDER BY 1",
                              NULL);
            } else {
                fprintf(stderr, "rampart: unknown command '%s' (.tables, .format, .quit)\n", line);
            }
            free(line);
            continue;
        }
        rp_err e = rp_buf_append(&b, line, strlen(line));
        if (!e) e = rp_buf_append(&b, "\n", 1);
        free(line);
        if (e) {
            fprintf(stderr, "rampart: the statement is too long\n");
            rp_buf_reset(&b);
            continue;
        }
        if (rp_buf_append(&b, "", 1)) continue;
        b.len--;
        if (!rp_query_complete(b.data)) continue;
        char *stmt = b.data;
        while (b.len && (stmt[b.len - 1] == '\n')) stmt[--b.len] = 0;
        add_history(stmt);
        int rc = run_one(ctx, s, o, stmt, dir);
        if (rc > worst) worst = rc;
        rp_buf_reset(&b);
    }
    if (hist[0]) write_history(hist);
    rp_buf_release(&b);
    return worst == RP_EXIT_PARTIAL ? RP_EXIT_PARTIAL : RP_EXIT_OK;
}

/* --csv, --jsonl or --attach NAME=FILE: as rp_cmd_opt_value, with *kind the option's name. */
static int setup_opt(int argc, char **argv, int *i, const char **v, const char **kind)
{
    static const char *const kinds[] = {"csv", "jsonl", "attach"};
    static const char *const opts[] = {"--csv", "--jsonl", "--attach"};
    for (size_t k = 0; k < 3; k++) {
        int r = rp_cmd_opt_value(opts[k], argc, argv, i, v);
        if (r) {
            *kind = kinds[k];
            return r;
        }
    }
    return 0;
}

static void print_table_row(void *ctx, const char *name, const char *type)
{
    fprintf((FILE *)ctx, "%-32s %s\n", name, type);
}

static int cmd_tables(struct rp_cmd_ctx *ctx, struct rp_query_session *s)
{
    fprintf(ctx->out, "Store tables and views:\n");
    struct rp_errbuf eb = {0};
    if (s && rp_query_store_tables(s, print_table_row, ctx->out, &eb))
        return rp_cmd_error(VERB, "%s", eb.msg);
    if (!s) fprintf(ctx->out, "  (no store)\n");
    fprintf(ctx->out, "\nConnectors and host tables:\n");
    const char *name = NULL, *summary = NULL;
    for (size_t i = 0; rp_query_table_at(i, &name, &summary) == RP_OK; i++)
        fprintf(ctx->out, "%-32s %s\n", name, summary);
    return RP_EXIT_OK;
}

static int cmd_functions(struct rp_cmd_ctx *ctx)
{
    const char *name = NULL, *summary = NULL;
    for (size_t i = 0; rp_query_funcgroup_at(i, &name, &summary) == RP_OK; i++)
        fprintf(ctx->out, "%-10s %s\n", name, summary);
    fprintf(ctx->out, "\nEvery function: docs/query-functions.md\n");
    return RP_EXIT_OK;
}

static int cmd_history(struct rp_cmd_ctx *ctx, const char *dir, size_t max)
{
    struct rp_query_history h = {0};
    struct rp_errbuf eb = {0};
    if (rp_query_history_load(dir, max, &h, &eb)) return rp_cmd_error(VERB, "%s", eb.msg);
    static const struct rp_out_col cols[] = {
        {"QueryExecutionId", 0},
        {"State", 0},
        {"SubmissionDateTime", 0},
        {"EngineMillis", RP_OUT_COL_NUM},
        {"DataScannedInBytes", RP_OUT_COL_NUM},
        {"Rows", RP_OUT_COL_NUM},
        {"Query", 0},
    };
    struct rp_out *out = rp_out_new(ctx, cols, sizeof cols / sizeof cols[0]);
    if (!out) {
        rp_query_history_free(&h);
        return rp_cmd_error(VERB, "out of memory");
    }
    rp_err e = RP_OK;
    for (size_t i = 0; i < h.n && !e; i++) {
        const struct rp_query_history_item *it = &h.items[i];
        char when[40] = "", ms[24], bytes[24], rows[24], q[81];
        if (rp_time_format_iso(it->submitted_ms, when, sizeof when)) when[0] = 0;
        snprintf(ms, sizeof ms, "%" PRId64, it->engine_ms);
        snprintf(bytes, sizeof bytes, "%" PRId64, it->bytes_scanned);
        snprintf(rows, sizeof rows, "%" PRId64, it->rows);
        /* one line per query: newlines shown as spaces, long text cut */
        size_t k = 0;
        for (const char *p = it->query ? it->query : ""; *p && k < sizeof q - 1; p++)
            q[k++] = (*p == '\n' || *p == '\t' || *p == '\r') ? ' ' : *p;
        q[k] = 0;
        const char *vals[] = {it->id, it->state, when, ms, bytes, rows, q};
        e = rp_out_row(out, vals);
    }
    if (!e) e = rp_out_flush(out);
    rp_out_free(out);
    rp_query_history_free(&h);
    return e ? rp_cmd_error(VERB, "cannot write the history: %s", rp_strerror(e)) : RP_EXIT_OK;
}

int rp_cmd_query(struct rp_cmd_ctx *ctx, int argc, char **argv)
{
    struct qopts o = {.timeout_ms = RP_QUERY_DEFAULT_TIMEOUT_MS, .max_memory = 0};
    o.fmt = default_format(ctx);
    const char *sub = NULL;
    const char *sub_arg = NULL;
    struct rp_buf sqlb;
    rp_buf_init(&sqlb, QUERY_MAX_SQL);
    bool have_sql = false;
    int rc = RP_EXIT_OK;

    for (int i = 1; i < argc; i++) {
        const char *v = NULL, *kind = NULL;
        int r;
        if ((r = rp_cmd_opt_value("--format", argc, argv, &i, &v))) {
            struct rp_errbuf eb = {0};
            if (r < 0) return rp_cmd_usage_error(VERB, "--format needs a value");
            if (rp_query_format_parse(v, &o.fmt, &eb))
                return rp_cmd_usage_error(VERB, "%s", eb.msg);
        } else if ((r = rp_cmd_opt_value("--file", argc, argv, &i, &v)) ||
                   (r = rp_cmd_opt_value("-f", argc, argv, &i, &v))) {
            if (r < 0) return rp_cmd_usage_error(VERB, "--file needs a value");
            o.file = v;
        } else if ((r = rp_cmd_opt_value("--results", argc, argv, &i, &v))) {
            if (r < 0) return rp_cmd_usage_error(VERB, "--results needs a directory");
            o.results = v;
        } else if (strcmp(argv[i], "--no-results") == 0) {
            o.no_results = true;
        } else if (strcmp(argv[i], "--stats") == 0) {
            o.stats = true;
        } else if ((r = rp_cmd_opt_value("--timeout", argc, argv, &i, &v))) {
            int64_t n = 0;
            if (r < 0 || rp_str_to_i64(rp_str_from(v), &n) || n < 0 || n > 86400 * 365)
                return rp_cmd_usage_error(VERB, "--timeout wants seconds, got '%s'", v ? v : "");
            o.timeout_ms = n * 1000;
        } else if ((r = rp_cmd_opt_value("--max-memory", argc, argv, &i, &v))) {
            int64_t n = 0;
            if (r < 0 || rp_str_to_i64(rp_str_from(v), &n) || n < 16 || n > (1 << 20))
                return rp_cmd_usage_error(VERB, "--max-memory wants MiB (16 or more), got '%s'",
                                          v ? v : "");
            o.max_memory = n << 20;
        } else if ((r = rp_cmd_opt_value("--max", argc, argv, &i, &v))) {
            int64_t n = 0;
            if (r < 0 || rp_str_to_i64(rp_str_from(v), &n) || n < 1)
                return rp_cmd_usage_error(VERB, "--max wants a positive number");
            o.max_history = (size_t)n;
        } else if ((r = setup_opt(argc, argv, &i, &v, &kind))) {
            if (r < 0) return rp_cmd_usage_error(VERB, "--%s needs NAME=FILE", kind);
            if (o.nsetups == QUERY_MAX_SETUPS)
                return rp_cmd_usage_error(VERB, "at most %d --csv/--jsonl/--attach",
                                          QUERY_MAX_SETUPS);
            o.setup_kind[o.nsetups] = kind;
            o.setups[o.nsetups++] = v;
        } else if (argv[i][0] == '-' && argv[i][1] && !have_sql && !strpbrk(argv[i], " \t\n")) {
            return rp_cmd_usage_error(VERB, "unknown option '%s'", argv[i]);
        } else if (!have_sql && !sub &&
                   (strcmp(argv[i], "history") == 0 || strcmp(argv[i], "get-results") == 0 ||
                    strcmp(argv[i], "get-execution") == 0 || strcmp(argv[i], "tables") == 0 ||
                    strcmp(argv[i], "functions") == 0)) {
            sub = argv[i];
        } else if (sub && !sub_arg &&
                   (strcmp(sub, "get-results") == 0 || strcmp(sub, "get-execution") == 0)) {
            sub_arg = argv[i];
        } else if (sub) {
            return rp_cmd_usage_error(VERB, "unexpected argument '%s'", argv[i]);
        } else {
            if ((have_sql && rp_buf_append(&sqlb, " ", 1)) ||
                rp_buf_append(&sqlb, argv[i], strlen(argv[i])))
                return rp_cmd_usage_error(VERB, "the SQL is longer than 16 MiB");
            have_sql = true;
        }
    }
    if (have_sql && o.file) {
        rp_buf_release(&sqlb);
        return rp_cmd_usage_error(VERB, "give the SQL as arguments or with -f, not both");
    }

    char *dir = results_dir(ctx, &o);
    if (!dir) return rp_cmd_error(VERB, "out of memory");

    if (sub && strcmp(sub, "history") == 0) {
        rc = cmd_history(ctx, dir, o.max_history);
        goto out;
    }
    if (sub && (strcmp(sub, "get-results") == 0 || strcmp(sub, "get-execution") == 0)) {
        struct rp_errbuf eb = {0};
        if (!sub_arg) {
            rc = rp_cmd_usage_error(VERB, "%s needs a query id", sub);
            goto out;
        }
        if (strcmp(sub, "get-execution") == 0) {
            if (rp_query_execution_print(dir, sub_arg, ctx->out, &eb))
                rc = rp_cmd_error(VERB, "%s", unprefixed(eb.msg));
            goto out;
        }
        struct rp_query_printer *pr = NULL;
        if (rp_query_printer_new(o.fmt, ctx->out, &pr)) {
            rc = rp_cmd_error(VERB, "out of memory");
            goto out;
        }
        struct rp_query_sink sink = rp_query_printer_sink(pr);
        rp_err e = rp_query_results_read(dir, sub_arg, &sink, &eb);
        rp_query_printer_free(pr);
        if (e) rc = rp_cmd_error(VERB, "%s", unprefixed(eb.msg));
        goto out;
    }
    if (sub && strcmp(sub, "functions") == 0) {
        rc = cmd_functions(ctx);
        goto out;
    }

    /* the store: --db (or $RAMPART_DB) must exist; the default ./rampart.db may be missing,
     * then queries run over connectors only */
    struct rp_query_opts qo = {.db_path = ctx->db_path ? ctx->db_path : "rampart.db",
                               .timeout_ms = o.timeout_ms,
                               .max_memory = o.max_memory};
    struct stat sb;
    if (!ctx->db_given && !getenv("RAMPART_DB") && stat(qo.db_path, &sb) != 0) qo.db_path = NULL;
    struct rp_query_session *s = NULL;
    struct rp_errbuf eb = {0};
    if (rp_query_session_new(&qo, &s, &eb)) {
        rc = rp_cmd_error(VERB, "%s", unprefixed(eb.msg));
        goto out;
    }
    if (sub && strcmp(sub, "tables") == 0) {
        rc = cmd_tables(ctx, qo.db_path ? s : NULL);
        rp_query_session_free(s);
        goto out;
    }
    if ((rc = run_setups(s, &o)) != RP_EXIT_OK) {
        rp_query_session_free(s);
        goto out;
    }
    g_session = s;
    struct sigaction sa = {0}, old = {0};
    sa.sa_handler = on_sigint;
    sigaction(SIGINT, &sa, &old);
    const char *rdir = o.no_results ? NULL : dir;
    if (have_sql) {
        if (rp_buf_append(&sqlb, "", 1))
            rc = rp_cmd_error(VERB, "out of memory");
        else
            rc = run_one(ctx, s, &o, sqlb.data, rdir);
    } else if (o.file || !isatty(STDIN_FILENO)) {
        char *text = NULL;
        FILE *f = stdin;
        const char *name = "stdin";
        if (o.file && strcmp(o.file, "-") != 0) {
            name = o.file;
            if (!(f = fopen(o.file, "r"))) {
                rc = rp_cmd_error(VERB, "cannot open '%s': %s", o.file, strerror(errno));
                goto done;
            }
        }
        rp_err e = read_all(f, &text, &eb, name);
        if (f != stdin) fclose(f);
        if (e)
            rc = rp_cmd_error(VERB, "%s", eb.msg);
        else
            rc = run_one(ctx, s, &o, text, rdir);
        free(text);
    } else {
        rc = interactive(ctx, s, &o, rdir);
    }
done:
    sigaction(SIGINT, &old, NULL);
    g_session = NULL;
    rp_query_session_free(s);
out:
    free(dir);
    rp_buf_release(&sqlb);
    return rc;
}
