/* SPDX-License-Identifier: Apache-2.0 */
/* JSON for Rampart: reading over simdjson (DOM) and writing into a bounded rp_buf.
 *
 * Reading. A struct rp_json_parser (_new/_free) is reused across documents: parsing reuses its
 * buffers, so a file of JSON Lines costs one allocation, not one per line. A parse yields the
 * root as a struct rp_json_val, a small handle passed by value (a position on the parser's
 * tape). Handles, strings and iterators borrow from the parser: they stay valid until the next
 * parse on the same parser or rp_json_parser_free(). The input buffer itself may be freed as
 * soon as the parse returns (strings are copied to the parser). A parser belongs to one thread
 * at a time; different parsers are independent.
 *
 * What is accepted: exactly one RFC 8259 value per document, surrounded by optional
 * whitespace (space, \t, \n, \r); no byte-order mark, no comments, no trailing commas, no NaN.
 *   - Numbers: an integer (no fraction, no exponent) in [INT64_MIN, INT64_MAX] is RP_JSON_INT,
 *     one in (INT64_MAX, UINT64_MAX] is RP_JSON_UINT, outside both it is refused (RP_EPARSE
 *     "integer out of range"). Anything with a fraction or exponent is RP_JSON_DOUBLE
 *     (correctly rounded); one that overflows to infinity is refused ("number out of range"),
 *     one that underflows becomes 0. "-0" is the integer 0; "-0.0" is the double -0.0.
 *   - Strings: the whole input must be valid UTF-8; the first ill-formed sequence gives
 *     RP_EPARSE "invalid UTF-8" at the offset of its first byte (overlongs, encoded
 *     surrogates and code points past U+10FFFF are ill-formed). Escapes are decoded to UTF-8:
 *     \" \\ \/ \b \f \n \r \t, \uXXXX (hex digits of either case), and a \uD800-\uDBFF
 *     \uDC00-\uDFFF pair to one 4-byte sequence. \u0000 decodes to a NUL byte, so a string's
 *     length is authoritative and strings may contain NUL (they are also NUL-terminated, for
 *     convenience). A lone or mismatched surrogate escape gives RP_EPARSE "lone surrogate" at
 *     the offset of the backslash of the escape that cannot be paired; any other escape gives
 *     "invalid escape" at its backslash. A raw byte below 0x20 inside a string gives
 *     "unescaped control character" at its offset; DEL (0x7f) is allowed.
 *
 * Errors. Malformed input gives RP_EPARSE. simdjson does not say where, so on that (rare) path
 * rp_json_validate() rescans the input; the message is "json: <reason> at offset <n>" and the
 * byte offset is also returned by rp_json_parser_err_offset(). Reasons: "unexpected character
 * 'x'", "unexpected end of input", "trailing content", "unterminated string" (offset of its
 * opening quote), "unescaped control character", "invalid escape", "lone surrogate",
 * "invalid UTF-8", "invalid literal", "invalid number", "integer out of range", "number out of
 * range". Limits give RP_ELIMIT: a document longer than the parser's byte limit (default
 * RP_MAX_JSON_BYTES, and never more than 4 GiB - 1, simdjson's cap), or one deeper than its
 * depth limit (default RP_MAX_JSON_DEPTH). The depth of a value is the number of arrays and
 * objects around it, and a document is as deep as its deepest value: "1" and "[]" have depth 0,
 * "[1]" and "[[]]" depth 1 (simdjson's rule). The offset is that of the first value past the
 * limit. RP_ENOMEM on allocation failure.
 *
 * Writing. struct rp_json_writer appends compact JSON to a caller's rp_buf, inserting commas
 * and colons itself. Errors are sticky: after the first one every call is a no-op, so calls can
 * be chained and checked once by rp_json_writer_finish(). */
#ifndef RP_JSON_H
#define RP_JSON_H

#include "core/rp_buf.h"
#include "core/rp_err.h"
#include "core/rp_str.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- writer ------------------------------------------------------------------------------ */

/* Invariants: buf is borrowed and outlives the writer; depth <= RP_MAX_JSON_DEPTH + 1; bit d of
 * objs is set when the container at depth d + 1 is an object; once err != RP_OK nothing is written.
 * Several values at the top level are separated by '\n', so one writer can emit JSON Lines. */
struct rp_json_writer {
    struct rp_buf *buf; /* output, appended to; borrowed */
    size_t start;       /* buf->len at init; finish() truncates back to it on error */
    rp_err err;         /* first error, sticky */
    uint32_t depth;     /* open arrays and objects */
    bool comma;         /* the current container (or the top level) already has a member */
    bool key;           /* a key was written and its value is due */
    uint64_t objs[(RP_MAX_JSON_DEPTH + 64) / 64]; /* container kinds, 1 = object */
};

/* Start writing at the end of *buf (existing contents are kept). Never fails. */
void rp_json_writer_init(struct rp_json_writer *w, struct rp_buf *buf);

/* Containers. Closing the wrong kind, closing at depth 0, or closing an object whose last key
 * has no value sets RP_EINVAL. Any value (a container included) deeper than RP_MAX_JSON_DEPTH,
 * by the reader's rule below, sets RP_ELIMIT, so whatever the writer emits a default parser
 * reads back. */
void rp_json_write_obj_begin(struct rp_json_writer *w);
void rp_json_write_obj_end(struct rp_json_writer *w);
void rp_json_write_arr_begin(struct rp_json_writer *w);
void rp_json_write_arr_end(struct rp_json_writer *w);

/* A member name inside an object (RP_EINVAL elsewhere or when a value is due). k[0..len) is
 * escaped like a string; it may contain NUL. */
void rp_json_write_key(struct rp_json_writer *w, const char *k, size_t len);

/* Values; each one is a member of the current array, the value of the pending key, or a
 * top-level value. A value inside an object without a key sets RP_EINVAL.
 * Strings: s[0..len) may contain NUL. '"' and '\\' are escaped, control characters become
 * \b \f \n \r \t or \u00XX (lower-case hex), '/' and DEL are copied, valid UTF-8 is copied and
 * each maximal ill-formed subsequence (Unicode 15 §3.9) becomes U+FFFD, so the output is
 * always valid JSON and valid UTF-8.
 * Doubles: the shortest of %.15g/%.16g/%.17g that reads back to the same double, with ".0"
 * added when it would otherwise read back as an integer ("3.0", "-0.0", "1e+300");
 * NaN and infinities are written as null. */
void rp_json_write_str(struct rp_json_writer *w, const char *s, size_t len);
void rp_json_write_int(struct rp_json_writer *w, int64_t v);
void rp_json_write_uint(struct rp_json_writer *w, uint64_t v);
void rp_json_write_double(struct rp_json_writer *w, double v);
void rp_json_write_bool(struct rp_json_writer *w, bool v);
void rp_json_write_null(struct rp_json_writer *w);

/* Copy json[0..len) verbatim as one value. The caller vouches that it is one valid JSON value
 * (nothing is checked); use it for pre-serialized fragments. */
void rp_json_write_raw(struct rp_json_writer *w, const char *json, size_t len);

/* Conveniences for NUL-terminated text: a string value (NULL writes null), and key + value
 * pairs inside an object (the key k is NUL-terminated). */
void rp_json_write_cstr(struct rp_json_writer *w, const char *s);
void rp_json_write_kv_str(struct rp_json_writer *w, const char *k, const char *s, size_t len);
void rp_json_write_kv_cstr(struct rp_json_writer *w, const char *k, const char *s);
void rp_json_write_kv_int(struct rp_json_writer *w, const char *k, int64_t v);
void rp_json_write_kv_uint(struct rp_json_writer *w, const char *k, uint64_t v);
void rp_json_write_kv_double(struct rp_json_writer *w, const char *k, double v);
void rp_json_write_kv_bool(struct rp_json_writer *w, const char *k, bool v);
void rp_json_write_kv_null(struct rp_json_writer *w, const char *k);

/* True when the next call must be rp_json_write_key (inside an object, no key pending). */
bool rp_json_writer_wants_key(const struct rp_json_writer *w);

/* The first error, or RP_EINVAL if a container is still open or a key has no value; RP_OK
 * otherwise. RP_ELIMIT means the rp_buf's max was reached, RP_ENOMEM an allocation failed.
 * On any error buf is truncated back to its length at init, so no partial output remains.
 * The writer needs no release; init it again to reuse it. */
rp_err rp_json_writer_finish(struct rp_json_writer *w) RP_WUR;

/* ---- reader ------------------------------------------------------------------------------ */

struct rp_json_parser; /* opaque; wraps a simdjson::dom::parser */

enum rp_json_type {
    RP_JSON_NONE = 0, /* not a value: a zeroed rp_json_val, or a failed lookup */
    RP_JSON_NULL,
    RP_JSON_BOOL,
    RP_JSON_INT,    /* fits int64_t */
    RP_JSON_UINT,   /* integer above INT64_MAX, fits uint64_t */
    RP_JSON_DOUBLE, /* had a fraction or an exponent */
    RP_JSON_STRING,
    RP_JSON_ARRAY,
    RP_JSON_OBJECT,
};

/* A value in a parsed document; borrowed from the parser (see the top of this file). Copy it
 * freely. A zeroed one is "no value" (RP_JSON_NONE) and every getter refuses it. */
struct rp_json_val {
    const void *doc; /* the parser's simdjson::dom::document; NULL = no value */
    size_t idx;      /* position on its tape */
};

/* Iteration state for rp_json_arr_next / rp_json_obj_next. */
struct rp_json_iter {
    const void *doc; /* as in rp_json_val */
    size_t idx;      /* tape position of the next member */
    size_t end;      /* tape position of the closing bracket */
};

/* A parser with the default limits. NULL on allocation failure. Free with
 * rp_json_parser_free(); rp_json_parser_free(NULL) is a no-op. */
struct rp_json_parser *rp_json_parser_new(void) RP_WUR;
void rp_json_parser_free(struct rp_json_parser *p);

/* Limits for the following parses. max_bytes 0 = RP_MAX_JSON_BYTES and is clamped to
 * 4 GiB - 1; max_depth 0 = RP_MAX_JSON_DEPTH. */
void rp_json_parser_set_max_bytes(struct rp_json_parser *p, size_t max_bytes);
void rp_json_parser_set_max_depth(struct rp_json_parser *p, size_t max_depth);

/* Byte offset of the error of the last failed parse when it was RP_EPARSE, or the offset of
 * the bracket past the depth limit when it was RP_ELIMIT for depth; SIZE_MAX otherwise (the
 * last parse succeeded or failed for another reason). */
size_t rp_json_parser_err_offset(const struct rp_json_parser *p);

/* Parse json[0..len) into *root. The input is copied into the parser's own padded buffer
 * first (reused across calls). Returns RP_OK, RP_EPARSE, RP_ELIMIT or RP_ENOMEM with details
 * in *eb (see the top of this file); *root is "no value" on error. */
rp_err rp_json_parse(struct rp_json_parser *p, const char *json, size_t len,
                     struct rp_json_val *root, struct rp_errbuf *eb) RP_WUR;

/* As rp_json_parse, without the copy: the caller promises that RP_BUF_PADDING bytes after
 * json[len] are readable (their content does not matter). Any byte range inside an rp_buf
 * qualifies, since an rp_buf keeps that padding after its data. */
rp_err rp_json_parse_padded(struct rp_json_parser *p, const char *json, size_t len,
                            struct rp_json_val *root, struct rp_errbuf *eb) RP_WUR;

/* rp_json_parse_padded over the whole contents of *b (an empty buffer is "unexpected end of
 * input" at offset 0). */
rp_err rp_json_parse_buf(struct rp_json_parser *p, const struct rp_buf *b, struct rp_json_val *root,
                         struct rp_errbuf *eb) RP_WUR;

/* JSON Lines: one document per '\n'-terminated line; lines holding only whitespace are
 * skipped, a final line without '\n' counts. Parsing is zero-copy wherever RP_BUF_PADDING
 * readable bytes follow the line (always when padded is true, e.g. for an rp_buf). */
struct rp_json_lines {
    const char *data;  /* borrowed input */
    size_t len;        /* bytes of input */
    size_t pos;        /* start of the next line */
    size_t line_start; /* offset in data of the line last returned (or refused) */
    size_t lineno;     /* its 1-based line number, for messages */
    bool padded;       /* RP_BUF_PADDING readable bytes follow data[len] */
};

void rp_json_lines_init(struct rp_json_lines *jl, const char *data, size_t len, bool padded);

/* Parse the next non-blank line into *root with parser p. Returns RP_OK, RP_ENOENT when the
 * input is exhausted, or a parse error for this line (RP_EPARSE, RP_ELIMIT, RP_ENOMEM) with
 * offsets in *eb and rp_json_parser_err_offset() relative to jl->line_start; the iterator has
 * then moved past the bad line, so the caller may report it and continue. */
rp_err rp_json_lines_next(struct rp_json_lines *jl, struct rp_json_parser *p,
                          struct rp_json_val *root, struct rp_errbuf *eb) RP_WUR;

/* Type of v; RP_JSON_NONE for "no value". */
enum rp_json_type rp_json_type(struct rp_json_val v);

/* Static lower-case name of a type ("object", "uint", ..). */
const char *rp_json_type_name(enum rp_json_type t);

/* Typed getters. Each returns RP_OK, or RP_EINVAL (leaving *out untouched) when v has another
 * type or its number does not fit: get_i64 takes INT, and UINT up to INT64_MAX; get_u64 takes
 * UINT, and INT >= 0; get_double takes DOUBLE, INT and UINT (converted, possibly rounded).
 * get_str gives the decoded bytes (NUL-terminated, may contain NUL), borrowed from the parser.
 * get_null returns RP_OK exactly when v is null. */
rp_err rp_json_get_str(struct rp_json_val v, struct rp_str *out) RP_WUR;
rp_err rp_json_get_i64(struct rp_json_val v, int64_t *out) RP_WUR;
rp_err rp_json_get_u64(struct rp_json_val v, uint64_t *out) RP_WUR;
rp_err rp_json_get_double(struct rp_json_val v, double *out) RP_WUR;
rp_err rp_json_get_bool(struct rp_json_val v, bool *out) RP_WUR;
rp_err rp_json_get_null(struct rp_json_val v) RP_WUR;

/* Member of object obj named key[0..len) (compared bytewise, after unescaping; the first one
 * wins if the name repeats; linear in the member count). RP_OK, RP_ENOENT when absent (*out is
 * then "no value"), RP_EINVAL when obj is not an object. */
rp_err rp_json_obj_getn(struct rp_json_val obj, const char *key, size_t len,
                        struct rp_json_val *out) RP_WUR;
/* As rp_json_obj_getn with a NUL-terminated key. */
rp_err rp_json_obj_get(struct rp_json_val obj, const char *key, struct rp_json_val *out) RP_WUR;

/* Lookup plus typed getter: RP_ENOENT when the member is absent, RP_EINVAL when obj is not
 * an object or the member has the wrong type (a JSON null included). */
rp_err rp_json_obj_get_str(struct rp_json_val obj, const char *key, struct rp_str *out) RP_WUR;
rp_err rp_json_obj_get_i64(struct rp_json_val obj, const char *key, int64_t *out) RP_WUR;
rp_err rp_json_obj_get_u64(struct rp_json_val obj, const char *key, uint64_t *out) RP_WUR;
rp_err rp_json_obj_get_double(struct rp_json_val obj, const char *key, double *out) RP_WUR;
rp_err rp_json_obj_get_bool(struct rp_json_val obj, const char *key, bool *out) RP_WUR;

/* Number of elements of an array, or members of an object; 0 for any other value. */
size_t rp_json_len(struct rp_json_val v);

/* Element i of array arr: RP_OK, RP_ENOENT past the end, RP_EINVAL when not an array.
 * Linear in i; iterate instead of indexing in a loop. */
rp_err rp_json_arr_at(struct rp_json_val arr, size_t i, struct rp_json_val *out) RP_WUR;

/* Iteration in document order. _iter returns RP_EINVAL (and an empty *it) when the value has
 * another kind; _next returns false after the last member.
 *     struct rp_json_iter it; struct rp_json_val el;
 *     if (rp_json_arr_iter(arr, &it) == RP_OK) while (rp_json_arr_next(&it, &el)) ..
 * Object keys are decoded strings borrowed from the parser; duplicates are all visited. */
rp_err rp_json_arr_iter(struct rp_json_val arr, struct rp_json_iter *it) RP_WUR;
bool rp_json_arr_next(struct rp_json_iter *it, struct rp_json_val *out);
rp_err rp_json_obj_iter(struct rp_json_val obj, struct rp_json_iter *it) RP_WUR;
bool rp_json_obj_next(struct rp_json_iter *it, struct rp_str *key, struct rp_json_val *val);

/* Write a parsed value (and everything under it) into w as compact JSON, through the writer's
 * escaping, so the output re-parses to an equal value (same types, same numbers, same
 * bytes in strings). Used to store nested objects such as requestParameters. Errors are the
 * writer's (sticky); "no value" sets RP_EINVAL. */
void rp_json_write_val(struct rp_json_writer *w, struct rp_json_val v);

/* Append v as compact JSON to out: RP_OK, RP_ELIMIT past out->max or for nesting deeper than
 * RP_MAX_JSON_DEPTH, RP_ENOMEM, RP_EINVAL for "no value". out is unchanged on error. */
rp_err rp_json_serialize(struct rp_json_val v, struct rp_buf *out) RP_WUR;

/* The slow validating scanner behind error offsets, usable alone (no simdjson): checks that
 * json[0..len) is one document under the rules above, with nesting up to max_depth
 * (0 = RP_MAX_JSON_DEPTH). RP_OK, RP_EPARSE or RP_ELIMIT (depth) with *offset (may be NULL) set
 * to the byte offset of the first error and "json: <reason> at offset <n>" in *eb; *offset is
 * SIZE_MAX on RP_OK. Linear time, no allocation. */
rp_err rp_json_validate(const char *json, size_t len, size_t max_depth, size_t *offset,
                        struct rp_errbuf *eb) RP_WUR;

#ifdef __cplusplus
}
#endif

#endif
