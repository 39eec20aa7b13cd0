/* SPDX-License-Identifier: Apache-2.0 */
/* Reading one input file as a decoded byte stream (gzip or plain) and cutting it into records
 * (private to src/ingest). Memory is bounded independently of file size: a window of at most
 * RP_MAX_RECORD_BYTES plus one read chunk is held, so a multi-GB `Records` file streams.
 *
 * Input: gzip is recognised by its magic bytes, not the file name; multi-member gzip is read
 * through. Gzip files up to 64 MiB whose ISIZE trailer says at most 512 MiB are inflated whole
 * with libdeflate (fast; the decoded stream is then held in memory), others stream through
 * zlib. A gzip stream that ends early, is corrupt or trips the bomb guard (rp_limits.h)
 * yields the records decoded before the damage, then one BAD frame saying so ("gzip data
 * truncated after N decoded bytes", "gzip data corrupt after N decoded bytes (compressed byte
 * M: <zlib's reason>)", "gzip output exceeds the decompression bomb limits after N decoded
 * bytes"; it holds the unfinished record, if any), then END.
 *
 * Framing (see ingest_source.h for what each mode means):
 *   FRAME_LINES  one record per line; a line longer than RP_MAX_RECORD_BYTES is one BAD frame.
 *   FRAME_JSON   a streaming structural scanner (strings and escapes aware, no recursion)
 *                finds the end of each top-level value, or of each element of a container
 *                array, without parsing it; the caller parses each record with simdjson. A
 *                value larger than RP_MAX_RECORD_BYTES is skipped as one BAD frame; bytes that
 *                cannot start a value become a BAD frame up to the next line break; an
 *                unterminated value at end of input is a BAD frame. A top-level array is
 *                one record (AWS wraps these sources' records in container objects, never in
 *                bare arrays). Inside a container array, an element with a mismatched closer
 *                is a BAD frame and the elements after it still come out; bytes that cannot
 *                start an element are a BAD frame up to the next ',' or ']'. Other damage
 *                (`{"a": }`) is left for the parser to reject. A UTF-8 BOM at the start is
 *                skipped.
 * BAD reasons: "record larger than 16 MiB", "line longer than 16 MiB", "not JSON",
 * "unterminated JSON value", "mismatched ']' in JSON value", "malformed container array",
 * "container array not closed", "malformed JSON object", and the gzip ones above.
 * Every frame, good or bad, gets the next ordinal (0, 1, ..), so a resumed run that skips the
 * first N ordinals sees exactly the frames an uninterrupted run saw after them. */
#ifndef RP_INGEST_FRAME_H
#define RP_INGEST_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/rp_err.h"
#include "core/rp_limits.h"
#include "ingest/ingest_source.h"

#define RP_INGEST_HEAD_BYTES (64u << 10) /* decoded bytes offered to probe() */

struct rp_ingest_input;

/* Open path for reading. RP_ENOENT, RP_EPERM, RP_EIO with the path in *eb. */
rp_err rp_ingest_input_open(const char *path, struct rp_ingest_input **out,
                            struct rp_errbuf *eb) RP_WUR;

/* Read from memory (tests, fuzzing). p is borrowed and must outlive the input. */
rp_err rp_ingest_input_open_mem(const void *p, size_t n, const char *name,
                                struct rp_ingest_input **out, struct rp_errbuf *eb) RP_WUR;

/* rp_ingest_input_free(NULL) is a no-op. */
void rp_ingest_input_free(struct rp_ingest_input *in);

/* The first min(RP_INGEST_HEAD_BYTES, decoded size) decoded bytes, for sniffing, without
 * consuming them. *p is borrowed until the next call on in. A file damaged within its head
 * gives what could be decoded (possibly nothing); the damage is reported by the framer. */
rp_err rp_ingest_input_head(struct rp_ingest_input *in, const char **p, size_t *n,
                            struct rp_errbuf *eb) RP_WUR;

bool rp_ingest_input_is_gzip(const struct rp_ingest_input *in);
uint64_t rp_ingest_input_bytes_in(const struct rp_ingest_input *in);      /* from disk */
uint64_t rp_ingest_input_bytes_decoded(const struct rp_ingest_input *in); /* decoded so far */
uint64_t rp_ingest_input_size(const struct rp_ingest_input *in);          /* file size */

enum rp_ingest_frame_kind {
    RP_INGEST_FRAME_RECORD, /* p, n is one record */
    RP_INGEST_FRAME_BAD,    /* p, n holds up to RP_MAX_REJECT_BYTES of the bad bytes */
    RP_INGEST_FRAME_END,    /* no more frames */
};

struct rp_ingest_frame {
    enum rp_ingest_frame_kind kind;
    const char *p;     /* borrowed until the next call; RP_BUF_PADDING readable bytes follow
                          p[n] (so rp_json_parse_padded can read it in place) */
    size_t n;          /* bytes at p */
    uint64_t orig_len; /* BAD: the full length of the bad stretch (>= n); RECORD: n */
    uint64_t offset;   /* decoded-stream offset of p[0] */
    uint64_t line;     /* 1-based line of p[0] */
    uint64_t ordinal;  /* 0-based, counting RECORD and BAD frames */
    char reason[RP_MAX_ERRMSG]; /* BAD: one line, e.g. "record larger than 16 MiB" */
};

struct rp_ingest_framer;

/* A framer reading in. containers (FRAME_JSON; NULL-terminated, may be NULL) is borrowed, as
 * is in; both must outlive the framer. RP_ENOMEM. */
rp_err rp_ingest_framer_new(struct rp_ingest_input *in, enum rp_ingest_framing framing,
                            const char *const *containers, struct rp_ingest_framer **out) RP_WUR;

void rp_ingest_framer_free(struct rp_ingest_framer *fr);

/* The next frame into *out. Returns RP_OK (look at out->kind), or RP_EIO when the file cannot
 * be read (the file is then abandoned), RP_ENOMEM. After END every call returns END. */
rp_err rp_ingest_framer_next(struct rp_ingest_framer *fr, struct rp_ingest_frame *out,
                             struct rp_errbuf *eb) RP_WUR;

/* ---- between ingest_input.c and ingest_frame.c only (not for other callers) ---- */

/* Read up to n decoded bytes into buf (the bytes of rp_ingest_input_head come first; nothing
 * is skipped). *got == 0 means the end of the stream: clean, or damaged when
 * rp_ingest_input_damage() then says why. RP_EIO (file unreadable), RP_ENOMEM. */
rp_err rp_ingest_input_read(struct rp_ingest_input *in, char *buf, size_t n, size_t *got,
                            struct rp_errbuf *eb) RP_WUR;

/* After the end of the stream: why it ended early ("gzip data truncated after 1234 decoded
 * bytes"), or NULL when it ended cleanly. Borrowed from in. */
const char *rp_ingest_input_damage(const struct rp_ingest_input *in);

/* Tests and fuzzing: read at most n (1 .. 1 MiB, the default) decoded bytes per refill of the
 * window, so that every record boundary can fall between two reads. The frames must not
 * change. */
void rp_ingest_framer_set_read_size(struct rp_ingest_framer *fr, size_t n);

#endif
