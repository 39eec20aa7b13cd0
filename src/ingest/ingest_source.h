/* SPDX-License-Identifier: Apache-2.0 */
/* The contract between the ingest runner and one input format (private to src/ingest and its
 * tests). A format is one file, ingest_<name>.c, exporting one const struct rp_ingest_source,
 * plus one line in ingest_builtin.def and one migration under data/schemas/store/ for its
 * table(s) (STYLE.md B5).
 *
 * Framing is the runner's job, so a format only ever sees one record at a time:
 *   RP_INGEST_FRAME_LINES  text records, one per '\n'-terminated line ("\r\n" accepted; the
 *                          record handed over excludes the line end). Blank lines are skipped.
 *   RP_INGEST_FRAME_JSON   a stream of JSON values: one document, JSON Lines or concatenated
 *                          values. A top-level object that has one of the source's container
 *                          keys ("Records", "configurationItems") with an array value is not a
 *                          record itself: each element of that array is (the object's other
 *                          members are skipped). Every other top-level value is one record.
 *                          The runner splits values with a streaming structural scanner, so a
 *                          multi-GB Records file never sits in memory whole, then parses each
 *                          record with simdjson; a record that is not valid JSON is rejected
 *                          by the runner (with its offset) and never reaches the format.
 *
 * A format's record() turns one record into zero or more rows with rp_ingest_emit(). It
 * returns RP_OK, or RP_EPARSE with a one-line reason in *eb ("missing field 'eventTime'") to
 * have the runner reject the whole record (rows it already emitted for that record are
 * dropped). Any other error stops the file.
 *
 * Memory: every pointer in struct rp_ingest_rec, and every rp_json_val, is borrowed for the
 * call only. rp_ingest_emit copies the values it is given, so a format may point them into the
 * record, into its per-file state or into cx->arena (reset after each record). */
#ifndef RP_INGEST_SOURCE_H
#define RP_INGEST_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/rp_arena.h"
#include "core/rp_err.h"
#include "core/rp_json.h"
#include "core/rp_str.h"
#include "ingest/ingest.h"

/* ---- tables (column and value types are in ingest.h) ------------------------------------- */

/* One table a format writes. The runner inserts with
 *   INSERT OR IGNORE INTO <name>(<cols>) VALUES(?1..?n)
 * unless insert_sql is set (for upserts such as "current state per resource"); its ?N are the
 * columns in order. A row the table already has (its UNIQUE key matches, e.g. a CloudTrail
 * eventID) is counted as a duplicate, not an error. */
struct rp_ingest_table {
    const char *name;                 /* SQL table name */
    const struct rp_ingest_col *cols; /* in ?N order */
    size_t ncols;                     /* entries in cols */
    int time_col;                     /* index of the ms-UTC time column used by --since/
                                         --until, -1 when the table has none */
    const char *insert_sql;           /* NULL = the INSERT OR IGNORE above */
};

static inline struct rp_ingest_val rp_ingest_val_int(int64_t i)
{
    struct rp_ingest_val v = {.type = RP_INGEST_VAL_INT, .i = i};
    return v;
}

static inline struct rp_ingest_val rp_ingest_val_text(const char *s, size_t n)
{
    struct rp_ingest_val v = {.type = RP_INGEST_VAL_TEXT, .s = s, .n = n};
    return v;
}

/* TEXT from a slice; an absent slice (p == NULL) gives NULL. */
static inline struct rp_ingest_val rp_ingest_val_str(struct rp_str s)
{
    struct rp_ingest_val v = {
        .type = s.p ? RP_INGEST_VAL_TEXT : RP_INGEST_VAL_NULL, .s = s.p, .n = s.len};
    return v;
}

/* ---- records ----------------------------------------------------------------------------- */

enum rp_ingest_framing {
    RP_INGEST_FRAME_LINES,
    RP_INGEST_FRAME_JSON,
};

/* One record handed to a format. */
struct rp_ingest_rec {
    const char *p;           /* the record's bytes (not NUL-terminated) */
    size_t n;                /* their length */
    uint64_t offset;         /* byte offset of p in the decoded (decompressed) stream */
    uint64_t line;           /* 1-based line of its first byte */
    uint64_t ordinal;        /* 0-based index of the record in the file */
    struct rp_json_val json; /* FRAME_JSON: the parsed record; zeroed for FRAME_LINES */
};

struct rp_ingest_ctx;

/* Where rows go. The runner's sink copies them into the current batch; tests install their
 * own to capture rows (see tests/unit/ingest/ingest_test_sink.h). table indexes src->tables. */
typedef rp_err (*rp_ingest_sink_fn)(struct rp_ingest_ctx *cx, unsigned table,
                                    const struct rp_ingest_val *vals, struct rp_errbuf *eb);

struct rp_ingest_ctx {
    const struct rp_ingest_source *src;    /* the format reading this file */
    const char *path;                      /* the file (for messages), borrowed */
    const struct rp_ingest_layout *layout; /* from the path; never NULL (may be all empty) */
    const struct rp_ingest_rec *rec;       /* the record being handled */
    struct rp_arena *arena;                /* scratch, reset after each record */
    struct rp_json_parser *jp;             /* a spare parser for JSON nested in strings; NULL
                                              until rp_ingest_ctx_parser() creates it */
    rp_ingest_sink_fn sink;
    void *sink_arg;
};

/* Emit one row into table (vals has tables[table].ncols entries). RP_OK or the sink's error. */
static inline rp_err rp_ingest_emit(struct rp_ingest_ctx *cx, unsigned table,
                                    const struct rp_ingest_val *vals, struct rp_errbuf *eb)
{
    return cx->sink(cx, table, vals, eb);
}

/* ---- the descriptor ---------------------------------------------------------------------- */

struct rp_ingest_source {
    const char *name;         /* "cloudtrail"; the --format-in value and rejects.format */
    const char *summary;      /* one line for `rampart ingest --list-formats` */
    enum rp_ingest_kind kind; /* which source the summary counts its records under */
    enum rp_ingest_framing framing;
    const char *const *containers; /* FRAME_JSON: NULL-terminated container keys, or NULL */
    const struct rp_ingest_table *tables;
    size_t ntables;
    /* How sure the format is that the file is its own, 0 (not mine) .. 100 (certain), from
     * the first bytes of the decoded stream (head, up to 64 KiB; may end mid-record) and the
     * path (a hint: AWSLogs/../CloudTrail/.. adds confidence, content decides). */
    int (*probe)(const char *head, size_t n, const char *path);
    size_t state_size; /* bytes of per-file state, zeroed before the first record */
    /* Optional: called once before the first record (e.g. to reset state). */
    rp_err (*file_begin)(struct rp_ingest_ctx *cx, void *state, struct rp_errbuf *eb);
    /* One record -> rows. See the top of this file. */
    rp_err (*record)(struct rp_ingest_ctx *cx, void *state, const struct rp_ingest_rec *rec,
                     struct rp_errbuf *eb);
};

/* Registry: every built-in format, NULL-terminated, in ingest_builtin.def order. */
extern const struct rp_ingest_source *const rp_ingest_sources[];

/* The built-in format that claims a file most surely from its head and path (the highest
 * probe() score above 0), or NULL when none does. */
const struct rp_ingest_source *rp_ingest_source_sniff(const struct rp_ingest_source *const *sources,
                                                      const char *head, size_t n, const char *path);

/* The format named name, or NULL. */
const struct rp_ingest_source *rp_ingest_source_find(const char *name);

/* cx->jp, created on first use. NULL on allocation failure. */
struct rp_json_parser *rp_ingest_ctx_parser(struct rp_ingest_ctx *cx);

#endif
