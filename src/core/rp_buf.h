/* SPDX-License-Identifier: Apache-2.0 */
/* Bounded growable byte buffer (curl's dynbuf with its `toobig`, Git's strbuf).
 *
 * Invariants: when data != NULL, data[len] == '\0' and at least RP_BUF_PADDING readable bytes
 * follow data[len] (so SIMD parsers may read past the end; their values are unspecified
 * except that the RP_BUF_PADDING bytes past cap are zero); len <= cap; len never exceeds max.
 * An append that would pass max returns RP_ELIMIT and leaves the buffer unchanged. */
#ifndef RP_BUF_H
#define RP_BUF_H

#include <stdarg.h>

#include "core/rp_err.h"

#define RP_BUF_PADDING 64 /* >= SIMDJSON_PADDING, checked in rp_json_simdjson.cpp */

struct rp_buf {
    char *data; /* NULL until the first append; owned by the buffer */
    size_t len; /* bytes in use */
    size_t cap; /* bytes usable before growing (padding not counted) */
    size_t max; /* hard cap on len, RP_ELIMIT past it */
};

/* Fill *b with an empty buffer capped at max bytes (max 0 = SIZE_MAX / 2). */
void rp_buf_init(struct rp_buf *b, size_t max);

/* Free the contents; *b is empty and reusable with the same max. */
void rp_buf_release(struct rp_buf *b);

/* Forget the contents but keep the memory. */
void rp_buf_reset(struct rp_buf *b);

/* Make room for n more bytes. RP_ELIMIT past max, RP_ENOMEM on allocation failure. */
rp_err rp_buf_reserve(struct rp_buf *b, size_t n) RP_WUR;

rp_err rp_buf_append(struct rp_buf *b, const void *p, size_t n) RP_WUR;
rp_err rp_buf_append_str(struct rp_buf *b, const char *s) RP_WUR;
rp_err rp_buf_putc(struct rp_buf *b, char c) RP_WUR;
rp_err rp_buf_printf(struct rp_buf *b, const char *fmt, ...) RP_PRINTF(2, 3) RP_WUR;
rp_err rp_buf_vprintf(struct rp_buf *b, const char *fmt, va_list ap) RP_PRINTF(2, 0) RP_WUR;

/* After a caller wrote n bytes into space obtained with rp_buf_reserve (at data + len), count
 * them as contents and restore the trailing NUL. n must not exceed the reserved space. */
void rp_buf_commit(struct rp_buf *b, size_t n);

/* Shorten to n bytes (n <= len). */
void rp_buf_truncate(struct rp_buf *b, size_t n);

/* Contents as a C string; "" for an empty buffer. Borrowed from b. */
const char *rp_buf_cstr(const struct rp_buf *b);

/* Move the contents out (curlx_dyn_take): the caller owns and frees the returned pointer
 * (NULL if empty); *len gets the length if len is not NULL; *b is left empty. */
char *rp_buf_take(struct rp_buf *b, size_t *len);

#endif
