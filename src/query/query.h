/* SPDX-License-Identifier: Apache-2.0 */
/* rp_query: SQL over the store and over raw files in place, with Athena's habits (issue 10,
 * DESIGN.md §1). A session is one read-only SQLite connection to the store with every table
 * and connector of query_tables.def and every function group of query_functions.def
 * registered, an authorizer that allows only reading, a deadline and a memory cap. Each query
 * gets an id (a UUID, like Athena's QueryExecutionId); its rows can be printed in several
 * formats and written to a results directory as Athena does (<id>.csv plus a JSON metadata
 * file), and past queries are listed from there (history, GetQueryExecution,
 * GetQueryResults).
 *
 * Thread-safety: one session per thread. */
#ifndef RP_QUERY_H
#define RP_QUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/rp_err.h"

/* ---- values and rows ---------------------------------------------------------------------- */

enum rp_query_vtype {
    RP_QV_NULL = 0,
    RP_QV_INT,
    RP_QV_REAL,
    RP_QV_TEXT,
    RP_QV_BLOB,
};

/* One result row; everything is borrowed for the callback only. */
struct rp_query_row {
    size_t ncols;
    const enum rp_query_vtype *types; /* per column: the value's type in this row */
    const char *const *vals;          /* text of each value (INT/REAL printed as SQLite
                                         prints them; BLOB raw bytes); NULL for NULL */
    const size_t *lens;               /* bytes at vals[i] */
};

/* The columns of a result. Athena type names per column ("bigint", "double", "varchar",
 * "varbinary", "json" for JSON text columns is NOT used: JSON is "varchar"), from the declared
 * type when there is one, else from the first non-NULL value; "varchar" when all are NULL. */
struct rp_query_columns {
    size_t ncols;
    const char *const *names;
    const char *const *types;
};

/* Where rows go. begin() once per statement that returns columns, then row() per row, then
 * end(). Any callback may be NULL. An error stops the query and is returned by rp_query_run. */
struct rp_query_sink {
    rp_err (*begin)(void *ctx, const struct rp_query_columns *cols, struct rp_errbuf *eb);
    rp_err (*row)(void *ctx, const struct rp_query_row *row, struct rp_errbuf *eb);
    rp_err (*end)(void *ctx, const struct rp_query_columns *cols, struct rp_errbuf *eb);
    void *ctx;
};

/* ---- printers (query_output.c) ------------------------------------------------------------ */

enum rp_query_format {
    RP_QFMT_TABLE, /* aligned columns with a header rule (like the Athena console); widths from
                      the first 1,000 rows, later rows are printed with those widths (a
                      longer value widens only its own line), so memory stays bounded */
    RP_QFMT_CSV,   /* header line, RFC 4180: a field is quoted only when it holds ',', '"',
                      CR or LF; NULL is an empty field */
    RP_QFMT_JSON,  /* one JSON array of objects {"col": value}; INT/REAL as numbers, TEXT as
                      strings, NULL as null, BLOB as a base64 string */
    RP_QFMT_JSONL, /* one such object per line */
    RP_QFMT_AWS,   /* Athena GetQueryResults output: {"ResultSet": {"Rows": [{"Data":
                      [{"VarCharValue": ".."}, {}]}], "ResultSetMetadata": {"ColumnInfo":
                      [{"Name":..,"Label":..,"Type":..,"Nullable":"UNKNOWN", ..}]}},
                      "UpdateCount": 0}; the first row holds the column names; NULL is {} */
};

/* "table", "csv", "json", "jsonl", "aws" -> *out. RP_EINVAL naming the word in *eb. */
rp_err rp_query_format_parse(const char *s, enum rp_query_format *out, struct rp_errbuf *eb) RP_WUR;

struct rp_query_printer;

/* A printer of fmt writing to f (borrowed; not closed). RP_ENOMEM. */
rp_err rp_query_printer_new(enum rp_query_format fmt, FILE *f,
                            struct rp_query_printer **out) RP_WUR;
void rp_query_printer_free(struct rp_query_printer *p); /* NULL is a no-op */

/* The sink that prints (its ctx is p). Several statements print one after another (table:
 * separated by a blank line; csv: each with its header; json: one array each). */
struct rp_query_sink rp_query_printer_sink(struct rp_query_printer *p);

/* ---- results directory (query_results.c) -------------------------------------------------- */

/* A new query id: a random UUID v4 in lower-case text, 36 characters + NUL. */
rp_err rp_query_id_new(char out[37]) RP_WUR;

/* What a finished (or failed) query was; what GetQueryExecution returns. */
struct rp_query_execution {
    char id[37];              /* QueryExecutionId */
    const char *query;        /* Query: the SQL as the user gave it */
    const char *state;        /* "SUCCEEDED" | "FAILED" | "CANCELLED" */
    const char *reason;       /* StateChangeReason (the error), NULL when SUCCEEDED */
    int64_t submitted_ms;     /* SubmissionDateTime */
    int64_t completed_ms;     /* CompletionDateTime */
    int64_t engine_ms;        /* Statistics.EngineExecutionTimeInMillis */
    int64_t bytes_scanned;    /* Statistics.DataScannedInBytes */
    int64_t rows;             /* rows of the result (Rampart's own Statistics.Rows) */
    int64_t files_opened;     /* Rampart's own: files the connectors opened .. */
    int64_t files_pruned;     /* .. and skipped from their path */
    int64_t dirs_pruned;      /* .. and directories skipped whole from their path */
    int64_t records_rejected; /* bad records met by connectors */
    const char *database;     /* QueryExecutionContext.Database: the store path, or NULL */
    const char *output;       /* ResultConfiguration.OutputLocation: the .csv path, or NULL */
};

struct rp_query_results;

/* Start writing the result of query id into dir (created with its parents if missing, mode
 * 0700): <dir>/<id>.csv, written as Athena writes it (every non-NULL field double-quoted,
 * NULL an empty unquoted field, header row first, "\n" line ends). RP_EIO naming the path. */
rp_err rp_query_results_new(const char *dir, const char *id, struct rp_query_results **out,
                            struct rp_errbuf *eb) RP_WUR;

/* The sink that writes the CSV (its ctx is r). Only the LAST statement that returned columns
 * is kept (an earlier one's file is truncated when the next begins). */
struct rp_query_sink rp_query_results_sink(struct rp_query_results *r);

/* Finish: close the CSV (if any statement returned columns) and write
 * <dir>/<id>.csv.metadata.json = {"QueryExecution": {GetQueryExecution's fields, with
 * Statistics and Rampart's counters}, "ResultSetMetadata": {"ColumnInfo": [..]}}. x->output is
 * ignored: the CSV path is filled in when a CSV was written. Statistics.Rows is the number of
 * rows in the saved CSV when one is written; a state other than SUCCEEDED drops the CSV.
 * Frees r. With r == NULL (no
 * results wanted) nothing happens. RP_EIO. */
rp_err rp_query_results_finish(struct rp_query_results *r, const struct rp_query_execution *x,
                               struct rp_errbuf *eb) RP_WUR;

/* Drop r without writing metadata (removes the partial CSV). NULL is a no-op. */
void rp_query_results_free(struct rp_query_results *r);

/* Write only the metadata of a query that failed before it produced results (state FAILED).
 * RP_EIO. */
rp_err rp_query_results_write_failed(const char *dir, const struct rp_query_execution *x,
                                     struct rp_errbuf *eb) RP_WUR;

/* One past query, for history. Strings live until rp_query_history_free. */
struct rp_query_history_item {
    char id[37];
    char *query;
    char *state;
    char *reason;
    int64_t submitted_ms, completed_ms, engine_ms, bytes_scanned, rows;
};

struct rp_query_history {
    struct rp_query_history_item *items; /* newest first */
    size_t n;
};

/* Read every <id>.csv.metadata.json of dir, newest submission first (ties by id), at most max
 * (0 = all). A missing dir is an empty history. A metadata file that does not parse is
 * skipped with a warning on stderr: "rampart: warning: query: skipping '<path>': <reason>".
 * RP_ENOMEM, RP_EIO. */
rp_err rp_query_history_load(const char *dir, size_t max, struct rp_query_history *out,
                             struct rp_errbuf *eb) RP_WUR;
void rp_query_history_free(struct rp_query_history *h);

/* GetQueryExecution: write {"QueryExecution": {..}} of query id in dir to f, exactly the
 * object kept in its metadata file. RP_ENOENT "query: no query 'id' in 'dir'". */
rp_err rp_query_execution_print(const char *dir, const char *id, FILE *f,
                                struct rp_errbuf *eb) RP_WUR;

/* GetQueryResults: feed the saved result of query id to sink (columns with their saved
 * types, then every row; values typed by their column's saved type when they read as it
 * (bigint -> INT, double/real -> REAL, varbinary -> BLOB from hex), else TEXT; NULL where
 * the CSV field was empty and unquoted). RP_ENOENT when there is no such query or it has no result
 * (failed: the reason in *eb: "query: 'id' FAILED: <reason>"). */
rp_err rp_query_results_read(const char *dir, const char *id, const struct rp_query_sink *sink,
                             struct rp_errbuf *eb) RP_WUR;

/* ---- sessions (query_session.c) ----------------------------------------------------------- */

struct rp_query_opts {
    const char *db_path; /* the store, opened read-only; NULL = none (connectors only) */
    int64_t timeout_ms;  /* stop a statement after this long; 0 = no limit */
    int64_t max_memory;  /* SQLite heap cap in bytes; 0 = RP_QUERY_DEFAULT_MEMORY */
};

#define RP_QUERY_DEFAULT_TIMEOUT_MS (30LL * 60 * 1000) /* Athena's default: 30 minutes */
#define RP_QUERY_DEFAULT_MEMORY     (1LL << 30)

struct rp_query_session;

/* Open a session. RP_ENOENT "query: no store at 'path'", RP_EINVAL "query: 'path' is not a
 * Rampart store", RP_EDB for other SQLite failures. */
rp_err rp_query_session_new(const struct rp_query_opts *o, struct rp_query_session **out,
                            struct rp_errbuf *eb) RP_WUR;
void rp_query_session_free(struct rp_query_session *s); /* NULL is a no-op */

/* Counters of the last rp_query_run. */
struct rp_query_run_stats {
    int64_t rows;          /* rows handed to the sinks (all statements) */
    int64_t bytes_scanned; /* connectors' bytes plus store pages read * page size */
    int64_t files_opened;
    int64_t files_pruned;
    int64_t dirs_pruned;
    int64_t records_rejected;
    int64_t warnings;
    int64_t engine_ms;
};

/* Run every statement of sql (Athena syntax accepted where the rewriter knows it:
 * struct.field access on JSON columns). Rows go to every sink in sinks (nsinks of them).
 * Returns RP_OK; RP_EINVAL for an SQL error with SQLite's message and its position
 * ("query: line 1, column 8: near \"FRM\": syntax error"); RP_EPERM for a statement that
 * would write ("query: not authorized: rampart query is read-only"); RP_ETIMEDOUT ("query:
 * stopped after the 30 s timeout"); RP_ENOMEM when the memory cap is reached; or a sink's
 * error. *st is filled in every case. */
rp_err rp_query_run(struct rp_query_session *s, const char *sql, const struct rp_query_sink *sinks,
                    size_t nsinks, struct rp_query_run_stats *st, struct rp_errbuf *eb) RP_WUR;

/* Ask a running rp_query_run to stop (from a signal handler or another thread): it returns
 * RP_ETIMEDOUT with "query: interrupted". */
void rp_query_session_interrupt(struct rp_query_session *s);

/* True when sql ends with a complete statement (sqlite3_complete): for the interactive
 * prompt, which reads lines until then. */
bool rp_query_complete(const char *sql);

/* The store's own tables and views (`rampart query tables`): calls fn for each, in name
 * order, with its name and "table" or "view". RP_EDB. */
rp_err rp_query_store_tables(struct rp_query_session *s,
                             void (*fn)(void *ctx, const char *name, const char *type), void *ctx,
                             struct rp_errbuf *eb) RP_WUR;

/* The tables and connectors (`rampart query tables`): the i-th name and summary, RP_ENOENT
 * past the last. Static strings. */
rp_err rp_query_table_at(size_t i, const char **name, const char **summary) RP_WUR;

/* The function groups (`rampart query functions`). */
rp_err rp_query_funcgroup_at(size_t i, const char **name, const char **summary) RP_WUR;

#endif
