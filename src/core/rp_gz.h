/* SPDX-License-Identifier: Apache-2.0 */
/* Gzip input for ingest (STYLE.md B10): callers treat .json and .json.gz alike.
 *
 * Three ways in, one set of rules:
 *   - struct rp_gz_reader streams through zlib, for input of unknown size (a pipe, a file too
 *     big to hold twice in memory). Non-gzip input passes through unchanged.
 *   - rp_gz_decompress() inflates a whole in-memory buffer through libdeflate into an rp_buf.
 *   - rp_gz_read_file()/rp_gz_read_fd() load a whole file, gzip or not, into an rp_buf whose
 *     padding lets simdjson parse it in place; gzip goes through libdeflate.
 *
 * Rules shared by all paths:
 *   - Gzip is detected from the magic bytes 1f 8b; anything else (including input shorter than
 *     two bytes) is plain data. Concatenated members (`cat a.gz b.gz`) are decompressed one
 *     after another; anything after a member that is not another complete member (trailing
 *     garbage, zero padding, a cut-off member) is an error, never silently dropped.
 *   - Truncated input is RP_EPARSE "gz: truncated input in '<name>' at byte <N>", N being the
 *     compressed bytes consumed; corrupt data is RP_EPARSE "gz: corrupt data in '<name>' at
 *     byte <N>: <zlib message>".
 *   - Bomb guard (struct rp_gz_limits): past ratio_floor decompressed bytes, output may not
 *     exceed max_ratio times the compressed bytes consumed, nor max_output in total; either is
 *     RP_ELIMIT. Plain pass-through data is not subject to these (it does not expand).
 *
 * Thread-safety: every function is reentrant; a reader belongs to one thread at a time. */
#ifndef RP_GZ_H
#define RP_GZ_H

#include "core/rp_err.h"
#include "core/rp_buf.h"

/* Per-call caps; a zero field means the default named in rp_limits.h. Tests set small ones. */
struct rp_gz_limits {
    uint64_t max_output;  /* decompressed bytes of one input; 0 = RP_MAX_GZ_OUTPUT */
    uint64_t max_ratio;   /* output / compressed bytes consumed; 0 = RP_MAX_GZ_RATIO */
    uint64_t ratio_floor; /* output allowed before max_ratio applies; 0 = RP_GZ_RATIO_FLOOR */
};

/* Where a reader is. */
struct rp_gz_pos {
    uint64_t in;      /* input bytes consumed (compressed bytes for gzip) */
    uint64_t out;     /* bytes returned to the caller */
    uint64_t members; /* gzip members completely decoded */
    bool gzip;        /* input is gzip; false = pass-through */
};

/* True when p[0..n) starts with the gzip magic bytes 1f 8b. */
bool rp_gz_is_gzip(const void *p, size_t n);

/* ---- streaming reader (zlib) ---- */

struct rp_gz_reader;

/* Open path for reading. path must name a regular file (a fifo or device is RP_EINVAL, so a
 * swapped path cannot block the caller); use rp_gz_reader_new_fd for pipes. The first bytes
 * are read at once to detect gzip. lim may be NULL (defaults) and is copied.
 * Returns RP_OK and a reader in *out that the caller frees with rp_gz_reader_free, or
 * RP_ENOENT/RP_EPERM/RP_EIO/RP_EINVAL/RP_ENOMEM with details in *eb (*out is then NULL). */
rp_err rp_gz_reader_new_path(struct rp_gz_reader **out, const char *path,
                             const struct rp_gz_limits *lim, struct rp_errbuf *eb) RP_WUR;

/* As rp_gz_reader_new_path, reading fd from its current offset. fd is borrowed: the reader
 * never closes it, and it must stay open until rp_gz_reader_free. name is copied and used in
 * messages (NULL gives "<fd>"). */
rp_err rp_gz_reader_new_fd(struct rp_gz_reader **out, int fd, const char *name,
                           const struct rp_gz_limits *lim, struct rp_errbuf *eb) RP_WUR;

/* As rp_gz_reader_new_path, over the n bytes at p. p is borrowed and must stay valid until
 * rp_gz_reader_free; nothing is copied. name is copied (NULL gives "<memory>"). */
rp_err rp_gz_reader_new_mem(struct rp_gz_reader **out, const void *p, size_t n, const char *name,
                            const struct rp_gz_limits *lim, struct rp_errbuf *eb) RP_WUR;

/* Read up to n decompressed bytes into buf. *got receives the count, which is n unless the end
 * of input was reached; *got == 0 means end of input. Returns RP_OK, RP_EPARSE (truncated or
 * corrupt input), RP_ELIMIT (bomb guard), RP_EIO or RP_ENOMEM with details in *eb. Errors are
 * sticky: later calls return the same code and message. Bytes already placed in buf before an
 * error are counted in *got but must not be trusted. */
rp_err rp_gz_reader_read(struct rp_gz_reader *r, void *buf, size_t n, size_t *got,
                         struct rp_errbuf *eb) RP_WUR;

/* Current position and mode. */
void rp_gz_reader_pos(const struct rp_gz_reader *r, struct rp_gz_pos *pos);

/* Free the reader (never closes a borrowed fd). NULL is a no-op. */
void rp_gz_reader_free(struct rp_gz_reader *r);

/* ---- whole buffers (libdeflate) ---- */

/* Decompress the gzip data in[0..n) (one or more members) and append the output to *out.
 * The ISIZE trailer sizes the first attempt but is never trusted: space is bounded by the
 * caps and grows when ISIZE lies. name is borrowed, used in messages (NULL gives "<memory>").
 * Returns RP_OK; RP_EPARSE when in is not gzip, truncated or corrupt (the message is the same
 * as the streaming reader's, with the byte offset); RP_ELIMIT past lim or past out->max;
 * RP_ENOMEM. On error *out keeps its previous length. */
rp_err rp_gz_decompress(const void *in, size_t n, const char *name, const struct rp_gz_limits *lim,
                        struct rp_buf *out, struct rp_errbuf *eb) RP_WUR;

/* Append the whole content of the regular file at path to *out, decompressed when it is gzip
 * (through libdeflate), as is otherwise. out->max bounds the result; afterwards out holds
 * RP_BUF_PADDING readable bytes past the end, so a JSON parser can work in place.
 * Returns RP_OK; RP_ENOENT/RP_EPERM/RP_EIO/RP_EINVAL (not a regular file) when the file cannot
 * be read; RP_EPARSE/RP_ELIMIT as rp_gz_decompress; RP_ENOMEM. On error *out keeps its
 * previous length. */
rp_err rp_gz_read_file(const char *path, const struct rp_gz_limits *lim, struct rp_buf *out,
                       struct rp_errbuf *eb) RP_WUR;

/* As rp_gz_read_file, from fd's current offset to end of file (fd may be a pipe). fd is
 * borrowed and not closed. name is used in messages (NULL gives "<fd>"). */
rp_err rp_gz_read_fd(int fd, const char *name, const struct rp_gz_limits *lim, struct rp_buf *out,
                     struct rp_errbuf *eb) RP_WUR;

/* Read fd from its current offset to end of file into out (appended), as stored: no
 * decompression (for hashing or keeping the original bytes). fd is borrowed. RP_EIO, or
 * RP_ELIMIT past out->max; on error out keeps its previous length. */
rp_err rp_gz_read_raw_fd(int fd, const char *name, struct rp_buf *out, struct rp_errbuf *eb) RP_WUR;

/* Gzip in[0..n) into out (appended) as one member through libdeflate, at level 0..12
 * (-1 = 6). RP_ELIMIT when out cannot hold the result, RP_ENOMEM. */
rp_err rp_gz_compress(const void *in, size_t n, int level, struct rp_buf *out,
                      struct rp_errbuf *eb) RP_WUR;

#endif
