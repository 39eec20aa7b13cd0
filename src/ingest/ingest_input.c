/* SPDX-License-Identifier: Apache-2.0 */
/* One ingest input file (or memory buffer) as a decoded byte stream (ingest_frame.h).
 *
 * Gzip is recognised by its magic bytes. A gzip input of at most WHOLE_MAX_IN compressed bytes
 * whose ISIZE trailer promises at most WHOLE_MAX_OUT decoded bytes is inflated whole through
 * libdeflate (rp_gz_decompress, about twice as fast as zlib); anything else, and any whole
 * attempt that fails (damage, a lying ISIZE, the bomb guard), streams through zlib
 * (rp_gz_reader) from the start, so that a damaged file still yields every byte decoded before
 * the damage. The damage then ends the stream and is described by rp_ingest_input_damage() for
 * the framer to report as a BAD frame. Plain files are read with read(2) straight into the
 * caller's buffer. The first RP_INGEST_HEAD_BYTES decoded bytes are kept (or pointed at) for
 * rp_ingest_input_head, and reads deliver them first. */
#define RP_LOG_MODULE "ingest"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/rp_buf.h"
#include "core/rp_gz.h"
#include "ingest/ingest_frame.h"
#include "core/rp_banned.h"

#define WHOLE_MAX_IN (16u << 20) /* compressed bytes inflated whole through libdeflate */
#define WHOLE_MAX_OUT                                                                              \
    (96u << 20) /* decoded bytes (ISIZE) inflated whole; with one file per                         \
                  parser thread this bounds ingest memory (issue 3: 512 MiB) */

enum src_mode {
    SRC_PLAIN_MEM, /* mem as is */
    SRC_PLAIN_FD,  /* read(2) from fd */
    SRC_WHOLE,     /* whole.data, inflated at start */
    SRC_STREAM,    /* gz reader over fd or memory */
};

struct rp_ingest_input {
    char *name;               /* owned copy, for messages */
    int fd;                   /* -1 for memory */
    const unsigned char *mem; /* memory source, borrowed */
    uint64_t size;            /* file size / memory size */
    bool gzip;
    bool started; /* mode chosen and set up */
    enum src_mode mode;
    struct rp_buf raw;       /* fd gzip: the compressed file, when inflated whole */
    struct rp_buf whole;     /* SRC_WHOLE: the decoded stream */
    size_t pos;              /* SRC_PLAIN_MEM, SRC_WHOLE: next byte to deliver */
    struct rp_gz_reader *gz; /* SRC_STREAM */
    char *head;              /* SRC_PLAIN_FD, SRC_STREAM: copy of the first decoded bytes */
    size_t head_n;           /* bytes at head */
    size_t head_pos;         /* bytes of head delivered by reads */
    bool head_done;          /* head filled (as far as the stream goes) */
    bool end;                /* the source has no more bytes */
    uint64_t bytes_in;       /* read from the source */
    uint64_t decoded;        /* decoded bytes produced */
    bool damaged;
    char damage[RP_MAX_ERRMSG];
};

static rp_err input_alloc(const char *name, struct rp_ingest_input **out, struct rp_errbuf *eb)
{
    struct rp_ingest_input *in = calloc(1, sizeof *in);
    if (!in) return rp_fail(eb, RP_ENOMEM, "ingest: out of memory opening '%s'", name);
    in->name = strdup(name);
    if (!in->name) {
        free(in);
        return rp_fail(eb, RP_ENOMEM, "ingest: out of memory opening '%s'", name);
    }
    in->fd = -1;
    rp_buf_init(&in->raw, (size_t)WHOLE_MAX_IN + 1);
    rp_buf_init(&in->whole, WHOLE_MAX_OUT);
    *out = in;
    return RP_OK;
}

static rp_err pread_full(int fd, const char *name, void *buf, size_t n, uint64_t off, size_t *got,
                         struct rp_errbuf *eb)
{
    *got = 0;
    while (*got < n) {
        ssize_t k = pread(fd, (char *)buf + *got, n - *got, (off_t)(off + *got));
        if (k < 0 && errno == EINTR) continue;
        if (k < 0) {
            char e2[128];
            int e = errno;
            return rp_fail(eb, RP_EIO, "ingest: cannot read '%s': %s", name,
                           strerror_r(e, e2, sizeof e2));
        }
        if (k == 0) break;
        *got += (size_t)k;
    }
    return RP_OK;
}

rp_err rp_ingest_input_open(const char *path, struct rp_ingest_input **out, struct rp_errbuf *eb)
{
    *out = NULL;
    char e2[128];
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        int e = errno;
        return rp_fail(eb, rp_err_from_errno(e), "ingest: cannot open '%s': %s", path,
                       strerror_r(e, e2, sizeof e2));
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        return rp_fail(eb, RP_EIO, "ingest: cannot stat '%s': %s", path,
                       strerror_r(e, e2, sizeof e2));
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return rp_fail(eb, RP_EIO, "ingest: '%s' is not a regular file", path);
    }
    struct rp_ingest_input *in = NULL;
    rp_err e = input_alloc(path, &in, eb);
    if (e) {
        close(fd);
        return e;
    }
    in->fd = fd;
    in->size = (uint64_t)st.st_size;
    unsigned char magic[2];
    size_t got = 0;
    e = pread_full(fd, path, magic, sizeof magic, 0, &got, eb);
    if (e) {
        rp_ingest_input_free(in);
        return e;
    }
    in->gzip = rp_gz_is_gzip(magic, got);
    *out = in;
    return RP_OK;
}

rp_err rp_ingest_input_open_mem(const void *p, size_t n, const char *name,
                                struct rp_ingest_input **out, struct rp_errbuf *eb)
{
    *out = NULL;
    if (!name) name = "<memory>";
    if (!p && n) return rp_fail(eb, RP_EINVAL, "ingest: NULL buffer for '%s'", name);
    struct rp_ingest_input *in = NULL;
    rp_err e = input_alloc(name, &in, eb);
    if (e) return e;
    in->mem = p ? p : (const unsigned char *)"";
    in->size = n;
    in->gzip = rp_gz_is_gzip(p, n);
    *out = in;
    return RP_OK;
}

void rp_ingest_input_free(struct rp_ingest_input *in)
{
    if (!in) return;
    rp_gz_reader_free(in->gz);
    if (in->fd >= 0) close(in->fd);
    rp_buf_release(&in->raw);
    rp_buf_release(&in->whole);
    free(in->head);
    free(in->name);
    free(in);
}

bool rp_ingest_input_is_gzip(const struct rp_ingest_input *in)
{
    return in->gzip;
}

uint64_t rp_ingest_input_bytes_in(const struct rp_ingest_input *in)
{
    if (in->mode == SRC_STREAM && in->gz) {
        struct rp_gz_pos pos;
        rp_gz_reader_pos(in->gz, &pos);
        return pos.in;
    }
    return in->bytes_in;
}

uint64_t rp_ingest_input_bytes_decoded(const struct rp_ingest_input *in)
{
    return in->decoded;
}

uint64_t rp_ingest_input_size(const struct rp_ingest_input *in)
{
    return in->size;
}

const char *rp_ingest_input_damage(const struct rp_ingest_input *in)
{
    return in->damaged ? in->damage : NULL;
}

/* ---- choosing how to decode ---- */

/* The ISIZE trailer of the last member (decoded size mod 2^32), or UINT64_MAX if unknown. */
static rp_err isize_hint(struct rp_ingest_input *in, uint64_t *isize, struct rp_errbuf *eb)
{
    *isize = UINT64_MAX;
    if (in->size < 18) return RP_OK;
    unsigned char t[4];
    if (in->fd >= 0) {
        size_t got = 0;
        rp_err e = pread_full(in->fd, in->name, t, 4, in->size - 4, &got, eb);
        if (e) return e;
        if (got < 4) return RP_OK;
    } else {
        memcpy(t, in->mem + in->size - 4, 4);
    }
    *isize = (uint64_t)t[0] | (uint64_t)t[1] << 8 | (uint64_t)t[2] << 16 | (uint64_t)t[3] << 24;
    return RP_OK;
}

/* Load the compressed file into in->raw. RP_ELIMIT when it grew past WHOLE_MAX_IN. */
static rp_err load_raw(struct rp_ingest_input *in, struct rp_errbuf *eb)
{
    if (lseek(in->fd, 0, SEEK_SET) != 0) {
        char e2[128];
        int e = errno;
        return rp_fail(eb, RP_EIO, "ingest: cannot seek '%s': %s", in->name,
                       strerror_r(e, e2, sizeof e2));
    }
    return rp_gz_read_raw_fd(in->fd, in->name, &in->raw, eb);
}

static rp_err start(struct rp_ingest_input *in, struct rp_errbuf *eb)
{
    if (in->started) return RP_OK;
    if (!in->gzip) {
        in->mode = in->fd >= 0 ? SRC_PLAIN_FD : SRC_PLAIN_MEM;
        in->started = true;
        return RP_OK;
    }
    uint64_t isize = UINT64_MAX;
    rp_err e = isize_hint(in, &isize, eb);
    if (e) return e;
    const unsigned char *c = in->mem;
    size_t cn = (size_t)in->size;
    bool whole = in->size <= WHOLE_MAX_IN && isize <= WHOLE_MAX_OUT;
    if (whole && in->fd >= 0) {
        e = load_raw(in, eb);
        if (e == RP_ELIMIT) { /* the file grew: stream it */
            rp_buf_release(&in->raw);
            whole = false;
        } else if (e) {
            return e;
        } else {
            c = (const unsigned char *)in->raw.data;
            cn = in->raw.len;
        }
    }
    if (whole) {
        struct rp_errbuf eb2 = {0};
        e = rp_gz_decompress(c, cn, in->name, NULL, &in->whole, &eb2);
        if (e == RP_OK) {
            in->mode = SRC_WHOLE;
            in->bytes_in = cn;
            in->decoded = in->whole.len;
            rp_buf_release(&in->raw);
            in->started = true;
            return RP_OK;
        }
        rp_buf_release(&in->whole);
        /* Damaged, a lying ISIZE or the bomb guard: the streaming reader replays the same
         * bytes, delivers what decodes and says where it stops. */
        e = rp_gz_reader_new_mem(&in->gz, c, cn, in->name, NULL, eb);
    } else if (in->fd >= 0) {
        if (lseek(in->fd, 0, SEEK_SET) != 0) {
            char e2[128];
            int en = errno;
            return rp_fail(eb, RP_EIO, "ingest: cannot seek '%s': %s", in->name,
                           strerror_r(en, e2, sizeof e2));
        }
        e = rp_gz_reader_new_fd(&in->gz, in->fd, in->name, NULL, eb);
    } else {
        e = rp_gz_reader_new_mem(&in->gz, in->mem, (size_t)in->size, in->name, NULL, eb);
    }
    if (e) return e;
    in->mode = SRC_STREAM;
    in->started = true;
    return RP_OK;
}

/* ---- reading ---- */

/* A gz reader error: damage (kept, ends the stream) or a real failure (returned). */
static rp_err gz_error(struct rp_ingest_input *in, rp_err e, const struct rp_errbuf *geb,
                       struct rp_errbuf *eb)
{
    if (e != RP_EPARSE && e != RP_ELIMIT) return rp_fail(eb, e, "ingest: %s", geb->msg);
    in->end = true;
    in->damaged = true;
    unsigned long long out = (unsigned long long)in->decoded;
    if (e == RP_ELIMIT) {
        snprintf(in->damage, sizeof in->damage,
                 "gzip output exceeds the decompression bomb limits after %llu decoded bytes", out);
        return RP_OK;
    }
    if (strncmp(geb->msg, "gz: truncated", 13) == 0) {
        snprintf(in->damage, sizeof in->damage, "gzip data truncated after %llu decoded bytes",
                 out);
        return RP_OK;
    }
    /* "gz: corrupt data in '<name>' at byte <N>: <zlib reason>" */
    struct rp_gz_pos pos;
    rp_gz_reader_pos(in->gz, &pos);
    const char *why = NULL;
    for (const char *s = geb->msg; (s = strstr(s, " at byte ")) != NULL; s++) why = s;
    if (why) why = strstr(why, ": ");
    snprintf(in->damage, sizeof in->damage,
             "gzip data corrupt after %llu decoded bytes (compressed byte %llu: %s)", out,
             (unsigned long long)pos.in, why ? why + 2 : "invalid data");
    return RP_OK;
}

/* Up to n bytes from the streaming source (fd or gz) into buf; 0 only at the end. */
static rp_err source_read(struct rp_ingest_input *in, char *buf, size_t n, size_t *got,
                          struct rp_errbuf *eb)
{
    *got = 0;
    if (in->end || n == 0) return RP_OK;
    if (in->mode == SRC_STREAM) {
        struct rp_errbuf geb = {0};
        rp_err e = rp_gz_reader_read(in->gz, buf, n, got, &geb);
        in->decoded += *got;
        if (e) return gz_error(in, e, &geb, eb);
        if (*got == 0) in->end = true;
        return RP_OK;
    }
    for (;;) { /* SRC_PLAIN_FD */
        ssize_t k = read(in->fd, buf, n);
        if (k < 0 && errno == EINTR) continue;
        if (k < 0) {
            char e2[128];
            int en = errno;
            return rp_fail(eb, RP_EIO, "ingest: cannot read '%s' at byte %llu: %s", in->name,
                           (unsigned long long)in->bytes_in, strerror_r(en, e2, sizeof e2));
        }
        if (k == 0) in->end = true;
        *got = (size_t)k;
        in->bytes_in += (size_t)k;
        in->decoded += (size_t)k;
        return RP_OK;
    }
}

/* SRC_PLAIN_FD, SRC_STREAM: copy the first decoded bytes into in->head. */
static rp_err head_fill(struct rp_ingest_input *in, struct rp_errbuf *eb)
{
    if (in->head_done) return RP_OK;
    if (!in->head) {
        in->head = malloc(RP_INGEST_HEAD_BYTES);
        if (!in->head)
            return rp_fail(eb, RP_ENOMEM, "ingest: out of memory reading '%s'", in->name);
    }
    while (in->head_n < RP_INGEST_HEAD_BYTES && !in->end) {
        size_t got = 0;
        rp_err e =
            source_read(in, in->head + in->head_n, RP_INGEST_HEAD_BYTES - in->head_n, &got, eb);
        if (e) return e;
        in->head_n += got;
    }
    in->head_done = true;
    return RP_OK;
}

rp_err rp_ingest_input_head(struct rp_ingest_input *in, const char **p, size_t *n,
                            struct rp_errbuf *eb)
{
    *p = "";
    *n = 0;
    rp_err e = start(in, eb);
    if (e) return e;
    switch (in->mode) {
    case SRC_PLAIN_MEM:
        *p = (const char *)in->mem;
        *n = in->size < RP_INGEST_HEAD_BYTES ? (size_t)in->size : RP_INGEST_HEAD_BYTES;
        if (in->decoded < *n) in->decoded = in->bytes_in = *n;
        return RP_OK;
    case SRC_WHOLE:
        *p = in->whole.data ? in->whole.data : "";
        *n = in->whole.len < RP_INGEST_HEAD_BYTES ? in->whole.len : RP_INGEST_HEAD_BYTES;
        return RP_OK;
    case SRC_PLAIN_FD:
    case SRC_STREAM:
        e = head_fill(in, eb);
        if (e) return e;
        *p = in->head;
        *n = in->head_n;
        return RP_OK;
    }
    return RP_OK;
}

rp_err rp_ingest_input_read(struct rp_ingest_input *in, char *buf, size_t n, size_t *got,
                            struct rp_errbuf *eb)
{
    *got = 0;
    rp_err e = start(in, eb);
    if (e) return e;
    const unsigned char *src = NULL;
    size_t len = 0;
    switch (in->mode) {
    case SRC_PLAIN_MEM:
        src = in->mem;
        len = (size_t)in->size;
        break;
    case SRC_WHOLE:
        src = (const unsigned char *)in->whole.data;
        len = in->whole.len;
        break;
    case SRC_PLAIN_FD:
    case SRC_STREAM:
        e = head_fill(in, eb);
        if (e) return e;
        if (in->head_pos < in->head_n) {
            size_t k = in->head_n - in->head_pos;
            if (k > n) k = n;
            memcpy(buf, in->head + in->head_pos, k);
            in->head_pos += k;
            *got = k;
            return RP_OK;
        }
        while (*got == 0 && !in->end) {
            e = source_read(in, buf, n, got, eb);
            if (e) return e;
        }
        return RP_OK;
    }
    size_t k = len - in->pos;
    if (k > n) k = n;
    if (k) memcpy(buf, src + in->pos, k);
    in->pos += k;
    *got = k;
    if (in->mode == SRC_PLAIN_MEM && in->decoded < in->pos) in->decoded = in->bytes_in = in->pos;
    return RP_OK;
}
