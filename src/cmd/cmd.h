/* SPDX-License-Identifier: Apache-2.0 */
/* The rampart CLI: the command table (Git's commands[] shape), the context every verb gets,
 * exit codes, and the table/json/csv result writer shared by all verbs. Private to src/cmd. */
#ifndef RP_CMD_H
#define RP_CMD_H

#include <stdio.h>

#include "core/rp_err.h"

/* Exit codes, documented in `rampart --help`. */
enum rp_exit {
    RP_EXIT_OK = 0,      /* success */
    RP_EXIT_ERROR = 1,   /* the command failed */
    RP_EXIT_USAGE = 2,   /* bad command line */
    RP_EXIT_PARTIAL = 3, /* done, but some input was rejected (see the rejects table) */
};

enum rp_out_format { RP_OUT_TABLE, RP_OUT_JSON, RP_OUT_CSV };

struct rp_cmd_ctx {
    const char *db_path;       /* --db, else $RAMPART_DB, else ./rampart.db */
    bool db_given;             /* db_path came from --db on the command line */
    const char *data_dir;      /* --data-dir overlay or NULL */
    enum rp_out_format format; /* --format */
    int verbosity;             /* -1 quiet, 0 default, 1.. with each -v */
    FILE *out;                 /* results go here (stdout); logs and errors go to stderr */
};

/* A verb: argv[0] is the verb's name, options follow. Returns an enum rp_exit value. */
typedef int (*rp_cmd_fn)(struct rp_cmd_ctx *ctx, int argc, char **argv);

#define RP_CMD_NEEDS_DB 0x1u /* the verb opens the store */

struct rp_cmd {
    const char *name;
    rp_cmd_fn fn;
    unsigned flags;
    const char *summary; /* one line for `rampart --help` */
    const char *usage;   /* "rampart db info" lines for `rampart help CMD` and usage errors */
    const char *help;    /* the rest of `rampart help CMD`: options, examples */
};

/* The table, terminated by a zeroed entry; defined in rampart.c. */
extern const struct rp_cmd rp_cmds[];

const struct rp_cmd *rp_cmd_find(const char *name);

/* Print "rampart: <msg>" to stderr and a hint line to see `rampart help <verb>`; returns
 * RP_EXIT_USAGE so a verb can `return rp_cmd_usage_error(..)`. */
int rp_cmd_usage_error(const char *verb, const char *fmt, ...) RP_PRINTF(2, 3);

/* Option with a value, as "--opt VALUE" or "--opt=VALUE": returns 1 when argv[*i] is that
 * option (with *val set and *i advanced past a separate value), 0 when it is not, and -1 when
 * the value is missing. */
int rp_cmd_opt_value(const char *name, int argc, char **argv, int *i, const char **val);

/* Print "rampart: <verb>: <msg>" to stderr; returns RP_EXIT_ERROR. */
int rp_cmd_error(const char *verb, const char *fmt, ...) RP_PRINTF(2, 3);

/* Result writer: a table of named columns rendered as an aligned text table, a JSON array of
 * objects, or CSV (RFC 4180) according to ctx->format. Values are strings; a column marked
 * RP_OUT_COL_NUM is written as a bare JSON number (the caller guarantees the text is one), and
 * one marked RP_OUT_COL_JSON as raw JSON text (an array, an object: the caller guarantees it is
 * valid JSON and usually gives such a cell only in RP_OUT_JSON format, plain text otherwise). */
#define RP_OUT_COL_NUM  0x1u
#define RP_OUT_COL_JSON 0x2u
struct rp_out_col {
    const char *name;
    unsigned flags;
};
struct rp_out;

/* NULL on allocation failure. cols is borrowed and must outlive the writer. */
struct rp_out *rp_out_new(const struct rp_cmd_ctx *ctx, const struct rp_out_col *cols,
                          size_t ncols);
/* Copy one row of ncols values (NULL prints as empty / JSON null). */
rp_err rp_out_row(struct rp_out *o, const char *const *vals) RP_WUR;
/* Render everything to ctx->out. */
rp_err rp_out_flush(struct rp_out *o) RP_WUR;
void rp_out_free(struct rp_out *o);

#endif
