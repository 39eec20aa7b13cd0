/* SPDX-License-Identifier: Apache-2.0 */
/* The contract between the one SQLite virtual-table adapter (query_vtab.c) and the tables and
 * connectors of `rampart query` (private to src/query). STYLE.md B6.
 *
 * A table is one file, query_tab_<name>.c, exporting one const struct rp_query_table, plus one
 * line in query_tables.def. It never sees sqlite3_module: the adapter declares its columns,
 * turns the usable WHERE constraints into an array of struct rp_query_cons for filter(), and
 * calls next()/column() for rows. Two kinds:
 *
 *   eponymous  (cols set, connect NULL or not) the table exists under its name in every query:
 *              `SELECT * FROM processes`, or, with RP_QCOL_REQUIRED hidden columns, as a
 *              table-valued function: `SELECT * FROM cloudtrail_files('AWSLogs/..')`, where
 *              the arguments bind to the REQUIRED columns in order.
 *   created    (RP_QTAB_CREATE) a schema that depends on arguments (a CSV file's header, a
 *              PostgreSQL table): `CREATE VIRTUAL TABLE temp.t USING csv('flows.csv')`.
 *              connect() reads the arguments and fills ti->cols / ti->ncols (owned through
 *              ti->priv, released by disconnect()).
 *
 * Constraints: for every column flagged RP_QCOL_INDEXED or RP_QCOL_REQUIRED, usable '=', '>',
 * '>=', '<', '<=' constraints (and IN lists, given as one '=' with several values) reach
 * filter(). SQLite still checks every constraint on each row the table returns, so a table may
 * ignore any of them, or use them only to skip work (partition pruning) and return a superset:
 * results stay correct. A REQUIRED column without an '=' constraint makes filter() fail with
 * "<table>: argument '<col>' is required".
 *
 * Errors: callbacks return rp_err with a one-line message in *eb; the adapter hands it to
 * SQLite as the statement's error ("cloudtrail_files: cannot open 'x': No such file").
 * Bad records inside otherwise readable input are not errors: report them with
 * rp_query_warn() (counted, shown on stderr, the query exits partial) and go on.
 *
 * Memory: cursor state is cursor_size zeroed bytes owned by the adapter; a table frees what
 * it allocated in close(). Values handed to column() are copied by SQLite
 * (SQLITE_TRANSIENT) unless the table knows they outlive the row. */
#ifndef RP_QUERY_TABLE_H
#define RP_QUERY_TABLE_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/rp_err.h"

enum rp_query_coltype {
    RP_QCOL_INT,  /* INTEGER */
    RP_QCOL_REAL, /* REAL */
    RP_QCOL_TEXT, /* TEXT */
    RP_QCOL_JSON, /* TEXT holding JSON */
    RP_QCOL_BLOB, /* BLOB */
};

#define RP_QCOL_HIDDEN   0x1u /* left out of SELECT *; usable by name and in WHERE */
#define RP_QCOL_INDEXED  0x2u /* its constraints are passed to filter() */
#define RP_QCOL_REQUIRED 0x4u /* a table-valued-function argument (implies HIDDEN, INDEXED) */

struct rp_query_col {
    const char *name;           /* SQL column name, exactly */
    enum rp_query_coltype type; /* declared type in CREATE TABLE */
    unsigned flags;             /* RP_QCOL_* */
};

/* One usable constraint. op is SQLITE_INDEX_CONSTRAINT_EQ, _GT, _GE, _LT or _LE. An IN list is
 * one EQ constraint with nvals > 1 (any value may match). vals are borrowed for filter(). */
struct rp_query_cons {
    int col; /* index into the table's columns */
    int op;
    sqlite3_value *const *vals;
    size_t nvals;
};

/* What a query's tables count (the session owns it; shown by --stats and kept in the query's
 * metadata as Athena's DataScannedInBytes and Rampart's own counters). */
struct rp_query_stats {
    int64_t files_opened;     /* files a connector opened and read */
    int64_t files_pruned;     /* files a connector skipped from their path alone */
    int64_t dirs_pruned;      /* directories it skipped whole (their files never listed) */
    int64_t bytes_scanned;    /* bytes read from files / servers by connectors */
    int64_t records_rejected; /* bad records reported through rp_query_warn */
    int64_t warnings;         /* every rp_query_warn call */
};

/* One connected table (per CREATE VIRTUAL TABLE, or per eponymous use in a connection). */
struct rp_query_tabinfo {
    const struct rp_query_table *t;
    const struct rp_query_col *cols; /* t->cols, or set by connect() */
    size_t ncols;
    void *priv;                   /* the table's own; connect() sets it, disconnect() frees */
    sqlite3 *db;                  /* the connection (for sqlite3_* calls of connectors) */
    struct rp_query_stats *stats; /* the session's counters, never NULL */
    void *session;                /* for rp_query_warn */
};

struct rp_query_cur {
    struct rp_query_tabinfo *ti;
    void *state;   /* t->cursor_size zeroed bytes */
    bool eof;      /* set by filter()/next() when no row is current */
    int64_t rowid; /* counts rows from 1 unless the table sets it */
};

#define RP_QTAB_CREATE 0x1u /* schema from arguments: CREATE VIRTUAL TABLE temp.x USING t(..) */

struct rp_query_table {
    const char *name;                /* "cloudtrail_files" */
    const char *summary;             /* one line for `rampart query tables` */
    const struct rp_query_col *cols; /* eponymous tables: the fixed schema */
    size_t ncols;
    unsigned flags; /* RP_QTAB_* */
    /* Optional. argv are the CREATE VIRTUAL TABLE arguments as written (quotes removed for
     * '..' and ".." arguments), argc of them. Fill ti->cols, ti->ncols, ti->priv. */
    rp_err (*connect)(struct rp_query_tabinfo *ti, int argc, const char *const *argv,
                      struct rp_errbuf *eb);
    void (*disconnect)(struct rp_query_tabinfo *ti); /* optional; frees ti->priv */
    size_t cursor_size;
    /* Start a scan with the constraints that apply and position on the first row (set
     * cur->eof when there is none). Called again on the same cursor for a new scan. */
    rp_err (*filter)(struct rp_query_cur *cur, const struct rp_query_cons *cons, size_t ncons,
                     struct rp_errbuf *eb);
    rp_err (*next)(struct rp_query_cur *cur, struct rp_errbuf *eb); /* advance; set eof */
    /* Set the value of column col of the current row with sqlite3_result_*(ctx, ..). */
    rp_err (*column)(struct rp_query_cur *cur, int col, sqlite3_context *ctx, struct rp_errbuf *eb);
    void (*close)(struct rp_query_cur *cur); /* optional; free what the cursor holds */
    /* Optional: rows expected for a scan with these constrained columns (bit i = column i
     * has an '=' constraint); the adapter's default is 1e6 / (1 + 10 * constraints). */
    double (*estimate)(const struct rp_query_tabinfo *ti, uint64_t eq_cols, uint64_t range_cols);
};

/* Registry: every built-in table, NULL-terminated, in query_tables.def order. */
extern const struct rp_query_table *const rp_query_tables[];

/* Report a bad record or a skipped input (one line; "cloudtrail_files: 'x.json.gz' line 3:
 * not JSON"). Counted in stats->warnings; the first RP_QUERY_MAX_WARNINGS are printed on
 * stderr, then only counted. rejected: also count it in stats->records_rejected. */
void rp_query_warn(struct rp_query_tabinfo *ti, bool rejected, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define RP_QUERY_MAX_WARNINGS 20

/* Registers every module of rp_query_tables on db, with session as the warnings target and
 * stats as the counters. SQLITE_OK or an SQLite error code. */
int rp_query_vtab_register(sqlite3 *db, void *session, struct rp_query_stats *stats);

/* ---- functions (query_func_*.c, query_functions.def) -------------------------------------- */

/* One group of SQL functions (Athena/Presto compatibility). register() calls
 * sqlite3_create_function_v2 for each of its functions with SQLITE_UTF8 |
 * SQLITE_DETERMINISTIC (where true) | SQLITE_INNOCUOUS, and returns SQLITE_OK or the error. */
struct rp_query_funcs {
    const char *name;    /* group name, "json" */
    const char *summary; /* one line */
    int (*register_fn)(sqlite3 *db);
};

extern const struct rp_query_funcs *const rp_query_func_groups[];

/* Register every group on db. SQLITE_OK or the first error. */
int rp_query_functions_register(sqlite3 *db);

#endif
