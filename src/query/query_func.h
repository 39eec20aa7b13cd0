/* SPDX-License-Identifier: Apache-2.0 */
/* Private to the SQL function groups of `rampart query` (query_func_*.c): registration of a
 * group from a const table of definitions, the per-group state that every function of a group
 * shares (a JSON parser with a one-document cache), and result helpers.
 *
 * A connection is used by one thread at a time and SQLite evaluates a function's arguments
 * before calling it, so a group's functions may share one state without locking. Anything a
 * function hands to SQLite is copied (SQLITE_TRANSIENT) or given away with its destructor, so
 * a document parsed by the next call never invalidates an earlier result. */
#ifndef RP_QUERY_FUNC_H
#define RP_QUERY_FUNC_H

#include <sqlite3.h>

#include "core/rp_buf.h"
#include "core/rp_json.h"

/* The subtype SQLite's json1 gives JSON text ('J'): functions that return JSON set it, so
 * json_array(json_extract(..)) and array_agg embed the value instead of quoting it. */
#define RP_QF_SUBTYPE_JSON 74

/* rp_qf_def.flags */
#define RP_QF_DET     0x1u /* same result for the same arguments (SQLITE_DETERMINISTIC) */
#define RP_QF_SUBTYPE 0x2u /* reads sqlite3_value_subtype (SQLITE_SUBTYPE) */
#define RP_QF_JSONOUT 0x4u /* sets the JSON subtype on results (SQLITE_RESULT_SUBTYPE) */

/* One SQL function: a scalar one (fn) or an aggregate (step + final). */
struct rp_qf_def {
    const char *name;
    int nargs; /* -1: any number */
    unsigned flags;
    void (*fn)(sqlite3_context *ctx, int argc, sqlite3_value **argv);
    void (*step)(sqlite3_context *ctx, int argc, sqlite3_value **argv);
    void (*final)(sqlite3_context *ctx);
};

/* State shared by the functions of one group on one connection; reference counted because
 * SQLite destroys each function's user data separately. */
struct rp_qf_state {
    unsigned refs;
    struct rp_json_parser *parser; /* created on first use */
    char *doc;                     /* copy of the last document, RP_BUF_PADDING bytes after */
    size_t doc_len;
    size_t doc_cap;
    int doc_state;              /* 0 none cached, 1 valid JSON (root set), 2 not JSON */
    struct rp_json_val root;    /* of the cached document when doc_state == 1 */
    void *extra;                /* a group's own (the json group's zstd context) */
    void (*extra_free)(void *); /* frees extra with the state */
};

/* A state with one reference; NULL on allocation failure. */
struct rp_qf_state *rp_qf_state_new(void);

/* Drop one reference (the signature of an xDestroy); frees at zero. NULL is a no-op. */
void rp_qf_state_unref(void *st);

/* Register defs[0..n) on db; every function gets st (may be NULL) as its user data, with a
 * reference of its own. Returns SQLITE_OK or the first error. */
int rp_qf_register(sqlite3 *db, const struct rp_qf_def *defs, size_t n, struct rp_qf_state *st);

/* The group state of the running function (its user data). */
struct rp_qf_state *rp_qf_state_of(sqlite3_context *ctx);

/* Parse the text of v (BLOB bytes are taken as text) into *root, borrowed from st until its
 * next parse. Reparsing the document just parsed is free (the bytes are compared). RP_OK;
 * RP_EPARSE when v is NULL or not exactly one JSON document (or deeper than
 * RP_MAX_JSON_DEPTH); RP_ENOMEM. */
rp_err rp_qf_json_doc(struct rp_qf_state *st, sqlite3_value *v, struct rp_json_val *root) RP_WUR;

/* The bytes of v as text: *s and *n; false when v is NULL (or out of memory). */
bool rp_qf_text(sqlite3_value *v, const char **s, size_t *n);

/* Results. _json: v as compact JSON text with the JSON subtype. _typed: as rp_field returns
 * a value (string TEXT, integer INTEGER, other number REAL, boolean 'true'/'false', object or
 * array JSON text, null NULL). _buf: the contents of *b as TEXT (taken; b is left empty),
 * with the JSON subtype when json is true. _err: the error of a failed rp_buf or writer call
 * (out of memory, or too big). */
void rp_qf_result_json(sqlite3_context *ctx, struct rp_json_val v);
void rp_qf_result_typed(sqlite3_context *ctx, struct rp_json_val v);
void rp_qf_result_buf(sqlite3_context *ctx, struct rp_buf *b, bool json);

/* A buffer for a function's result, capped at the connection's SQLITE_LIMIT_LENGTH. */
struct rp_buf rp_qf_buf(sqlite3_context *ctx);

/* Close the JSON array written into b through w and make it the result (or the writer's
 * error); b is handed over either way. */
void rp_qf_result_array(sqlite3_context *ctx, struct rp_json_writer *w, struct rp_buf *b);

/* Register defs with a fresh shared state (the JSON parser the group's functions reuse).
 * SQLITE_OK, SQLITE_NOMEM or SQLite's error. */
int rp_qf_register_group(sqlite3 *db, const struct rp_qf_def *defs, size_t n);
void rp_qf_result_err(sqlite3_context *ctx, rp_err e);

/* A JSON number or string compared with an SQL value, for membership tests: numbers equal
 * numerically, strings bytewise, booleans equal the integers 1 and 0; anything else differs. */
bool rp_qf_json_equals(struct rp_json_val el, sqlite3_value *v);

/* Append v to w as a JSON value: INTEGER and REAL as numbers, TEXT as a string (embedded as
 * is when it carries the JSON subtype), BLOB as a base64 string, NULL as null. */
void rp_qf_write_value(struct rp_json_writer *w, sqlite3_value *v);

/* Standard base64 (RFC 4648, with padding) of p[0..n) appended to b. */
rp_err rp_qf_base64_append(struct rp_buf *b, const unsigned char *p, size_t n) RP_WUR;

/* Characters in s[0..n): one starts at every byte that is not a UTF-8 continuation byte
 * (10xxxxxx), so valid UTF-8 counts code points. _offset: the byte offset of character k
 * (0-based), or n when s has at most k characters. */
size_t rp_qf_utf8_len(const char *s, size_t n);
size_t rp_qf_utf8_offset(const char *s, size_t n, size_t k);

/* Set the SQL error of the running function to the formatted one-line message (at most 511
 * bytes; longer is truncated). */
void rp_qf_error(sqlite3_context *ctx, const char *fmt, ...) RP_PRINTF(2, 3);

/* ASCII case-insensitive equality of s[0..n) and the NUL-terminated lit. */
bool rp_qf_eq_nocase(const char *s, size_t n, const char *lit);

#endif
