/* SPDX-License-Identifier: Apache-2.0 */
/* rp_gz: gzip input for ingest (see rp_gz.h for the rules shared by every path).
 *
 * The streaming reader drives zlib's inflate() over a 64 KiB input window (or straight over a
 * caller's memory), resetting the stream at each member boundary; it counts the compressed
 * bytes inflate() actually consumed, which is what the truncation/corruption offsets and the
 * ratio guard are measured against. The whole-buffer path calls libdeflate once per member,
 * growing the output when the space runs out; libdeflate only says "bad data", so on failure
 * the same bytes are replayed through the streaming reader, which names the exact offset and
 * zlib's reason. Both paths therefore report identical errors. */
#define RP_LOG_MODULE "gz"
#define ZLIB_CONST
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libdeflate.h>
#include <zlib.h>

#include "core/rp_gz.h"
#include "core/rp_banned.h"

#define GZ_CHUNK        (64u << 10) /* input window of a reader, read(2) size */
#define GZ_INFLATE_STEP (4u << 20)  /* output per inflate() call, so the guards act promptly */
#define GZ_MIN_ATTEMPT  (64u << 10) /* first libdeflate output space when ISIZE says less */

struct rp_gz_reader {
    z_stream zs;
    bool zs_live;              /* inflateInit2 succeeded, inflateEnd needed */
    bool gzip;                 /* false: pass-through */
    bool eof;                  /* the source has no more bytes */
    bool member_end;           /* the last inflate() finished a member */
    bool done;                 /* all output delivered */
    bool own_fd;               /* opened by rp_gz_reader_new_path, closed by _free */
    int fd;                    /* -1 for a memory source */
    unsigned char *win;        /* fd source: GZ_CHUNK bytes of input */
    const unsigned char *next; /* unconsumed input, inside win or the caller's memory */
    size_t avail;              /* bytes at next */
    uint64_t in;               /* input bytes consumed */
    uint64_t out;              /* bytes returned */
    uint64_t members;          /* members completely decoded */
    struct rp_gz_limits lim;   /* normalized: no zero fields */
    rp_err err;                /* sticky error, RP_OK until one happens */
    char errmsg[RP_MAX_ERRMSG];
    char *name; /* owned copy, for messages */
};

static struct rp_gz_limits limits_norm(const struct rp_gz_limits *lim)
{
    struct rp_gz_limits l = {RP_MAX_GZ_OUTPUT, RP_MAX_GZ_RATIO, RP_GZ_RATIO_FLOOR};
    if (lim && lim->max_output) l.max_output = lim->max_output;
    if (lim && lim->max_ratio) l.max_ratio = lim->max_ratio;
    if (lim && lim->ratio_floor) l.ratio_floor = lim->ratio_floor;
    return l;
}

/* Output allowed for `in` compressed bytes: never less than the floor. */
static uint64_t ratio_cap(const struct rp_gz_limits *l, uint64_t in)
{
    uint64_t cap = in > UINT64_MAX / l->max_ratio ? UINT64_MAX : in * l->max_ratio;
    return cap < l->ratio_floor ? l->ratio_floor : cap;
}

bool rp_gz_is_gzip(const void *p, size_t n)
{
    const unsigned char *b = p;
    return n >= 2 && b[0] == 0x1f && b[1] == 0x8b;
}

/* ---- streaming reader ---- */

static rp_err reader_fail(struct rp_gz_reader *r, struct rp_errbuf *eb, rp_err code,
                          const char *fmt, ...) RP_PRINTF(4, 5);

static rp_err reader_fail(struct rp_gz_reader *r, struct rp_errbuf *eb, rp_err code,
                          const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->errmsg, sizeof r->errmsg, fmt, ap);
    va_end(ap);
    r->err = code;
    return rp_fail(eb, code, "%s", r->errmsg);
}

/* Top up the input window after the unconsumed bytes. Sets eof on end of input; a memory
 * source is at eof from the start. */
static rp_err fill(struct rp_gz_reader *r, struct rp_errbuf *eb)
{
    if (r->fd < 0) {
        r->eof = true;
        return RP_OK;
    }
    if (r->avail && r->next != r->win) memmove(r->win, r->next, r->avail);
    r->next = r->win;
    ssize_t k;
    do {
        k = read(r->fd, r->win + r->avail, GZ_CHUNK - r->avail);
    } while (k < 0 && errno == EINTR);
    if (k < 0) {
        char eb2[128];
        int e = errno;
        return reader_fail(r, eb, RP_EIO, "gz: cannot read '%s' at byte %llu: %s", r->name,
                           (unsigned long long)(r->in + r->avail), strerror_r(e, eb2, sizeof eb2));
    }
    if (k == 0) r->eof = true;
    r->avail += (size_t)k;
    return RP_OK;
}

static rp_err reader_alloc(struct rp_gz_reader **out, const char *name,
                           const struct rp_gz_limits *lim, struct rp_errbuf *eb)
{
    struct rp_gz_reader *r = calloc(1, sizeof *r);
    if (!r) return rp_fail(eb, RP_ENOMEM, "gz: out of memory opening '%s'", name);
    r->fd = -1;
    r->lim = limits_norm(lim);
    r->name = strdup(name);
    if (!r->name) {
        free(r);
        return rp_fail(eb, RP_ENOMEM, "gz: out of memory opening '%s'", name);
    }
    *out = r;
    return RP_OK;
}

/* Read enough to see the magic bytes, then set up inflate when they are there. */
static rp_err reader_start(struct rp_gz_reader *r, struct rp_errbuf *eb)
{
    while (r->avail < 2 && !r->eof) {
        rp_err e = fill(r, eb);
        if (e) return e;
    }
    r->gzip = rp_gz_is_gzip(r->next, r->avail);
    if (!r->gzip) return RP_OK;
    int zr = inflateInit2(&r->zs, 15 + 16); /* gzip wrapper only, 32 KiB window */
    if (zr == Z_MEM_ERROR)
        return reader_fail(r, eb, RP_ENOMEM, "gz: out of memory opening '%s'", r->name);
    if (zr != Z_OK)
        return reader_fail(r, eb, RP_EINTERNAL, "gz: inflateInit2 failed for '%s' (%d)", r->name,
                           zr);
    r->zs_live = true;
    return RP_OK;
}

rp_err rp_gz_reader_new_fd(struct rp_gz_reader **out, int fd, const char *name,
                           const struct rp_gz_limits *lim, struct rp_errbuf *eb)
{
    *out = NULL;
    if (!name) name = "<fd>";
    if (fd < 0) return rp_fail(eb, RP_EINVAL, "gz: bad file descriptor for '%s'", name);
    struct rp_gz_reader *r = NULL;
    rp_err e = reader_alloc(&r, name, lim, eb);
    if (e) return e;
    r->fd = fd;
    r->win = malloc(GZ_CHUNK);
    if (!r->win) {
        rp_gz_reader_free(r);
        return rp_fail(eb, RP_ENOMEM, "gz: out of memory opening '%s'", name);
    }
    r->next = r->win;
    e = reader_start(r, eb);
    if (e) {
        rp_gz_reader_free(r);
        return e;
    }
    *out = r;
    return RP_OK;
}

/* open(2) a regular file for reading; O_NONBLOCK so that a fifo swapped in cannot block us
 * (it is refused by the S_ISREG check anyway; regular files ignore the flag). */
static rp_err open_regular(const char *path, int *fd, struct rp_errbuf *eb)
{
    char eb2[128];
    int f = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (f < 0) {
        int e = errno;
        return rp_fail(eb, rp_err_from_errno(e), "gz: cannot open '%s': %s", path,
                       strerror_r(e, eb2, sizeof eb2));
    }
    struct stat st;
    if (fstat(f, &st) != 0) {
        int e = errno;
        close(f);
        return rp_fail(eb, RP_EIO, "gz: cannot stat '%s': %s", path,
                       strerror_r(e, eb2, sizeof eb2));
    }
    if (!S_ISREG(st.st_mode)) {
        close(f);
        return rp_fail(eb, RP_EINVAL, "gz: '%s' is not a regular file", path);
    }
    *fd = f;
    return RP_OK;
}

rp_err rp_gz_reader_new_path(struct rp_gz_reader **out, const char *path,
                             const struct rp_gz_limits *lim, struct rp_errbuf *eb)
{
    *out = NULL;
    int fd;
    rp_err e = open_regular(path, &fd, eb);
    if (e) return e;
    e = rp_gz_reader_new_fd(out, fd, path, lim, eb);
    if (e) {
        close(fd);
        return e;
    }
    (*out)->own_fd = true;
    return RP_OK;
}

rp_err rp_gz_reader_new_mem(struct rp_gz_reader **out, const void *p, size_t n, const char *name,
                            const struct rp_gz_limits *lim, struct rp_errbuf *eb)
{
    *out = NULL;
    if (!name) name = "<memory>";
    if (!p && n) return rp_fail(eb, RP_EINVAL, "gz: NULL buffer for '%s'", name);
    struct rp_gz_reader *r = NULL;
    rp_err e = reader_alloc(&r, name, lim, eb);
    if (e) return e;
    r->next = p;
    r->avail = n;
    r->eof = true;
    e = reader_start(r, eb);
    if (e) {
        rp_gz_reader_free(r);
        return e;
    }
    *out = r;
    return RP_OK;
}

static rp_err read_plain(struct rp_gz_reader *r, unsigned char *buf, size_t n, size_t *got,
                         struct rp_errbuf *eb)
{
    while (*got < n) {
        if (r->avail == 0) {
            if (r->eof) break;
            if (n - *got >= GZ_CHUNK) { /* large request: skip the copy through win */
                ssize_t k;
                do {
                    k = read(r->fd, buf + *got, n - *got);
                } while (k < 0 && errno == EINTR);
                if (k < 0) {
                    char eb2[128];
                    int e = errno;
                    return reader_fail(r, eb, RP_EIO, "gz: cannot read '%s' at byte %llu: %s",
                                       r->name, (unsigned long long)r->in,
                                       strerror_r(e, eb2, sizeof eb2));
                }
                if (k == 0) r->eof = true;
                r->in += (size_t)k;
                r->out += (size_t)k;
                *got += (size_t)k;
                continue;
            }
            rp_err e = fill(r, eb);
            if (e) return e;
            continue;
        }
        size_t k = r->avail < n - *got ? r->avail : n - *got;
        memcpy(buf + *got, r->next, k);
        r->next += k;
        r->avail -= k;
        r->in += k;
        r->out += k;
        *got += k;
    }
    return RP_OK;
}

static rp_err read_gzip(struct rp_gz_reader *r, unsigned char *buf, size_t n, size_t *got,
                        struct rp_errbuf *eb)
{
    while (*got < n && !r->done) {
        if (r->avail == 0 && !r->eof) {
            rp_err e = fill(r, eb);
            if (e) return e;
            continue;
        }
        if (r->member_end) {
            if (r->avail == 0) { /* eof right after a complete member: the normal end */
                r->done = true;
                break;
            }
            /* More bytes follow: they must form another member (inflate checks the header). */
            if (inflateReset(&r->zs) != Z_OK)
                return reader_fail(r, eb, RP_EINTERNAL, "gz: inflateReset failed for '%s'",
                                   r->name);
            r->member_end = false;
        }
        size_t want = n - *got;
        if (want > GZ_INFLATE_STEP) want = GZ_INFLATE_STEP;
        uInt in_n = r->avail > UINT_MAX ? UINT_MAX : (uInt)r->avail;
        r->zs.next_in = r->next;
        r->zs.avail_in = in_n;
        r->zs.next_out = buf + *got;
        r->zs.avail_out = (uInt)want;
        int zr = inflate(&r->zs, Z_NO_FLUSH);
        size_t used = in_n - r->zs.avail_in;
        size_t made = want - r->zs.avail_out;
        r->next += used;
        r->avail -= used;
        r->in += used;
        r->out += made;
        *got += made;

        switch (zr) {
        case Z_STREAM_END:
            r->members++;
            r->member_end = true;
            break;
        case Z_OK:
            break;
        case Z_BUF_ERROR: /* no progress possible: out of input (out space is never 0 here) */
            if (r->avail == 0 && r->eof)
                return reader_fail(r, eb, RP_EPARSE, "gz: truncated input in '%s' at byte %llu",
                                   r->name, (unsigned long long)r->in);
            break;
        case Z_MEM_ERROR:
            return reader_fail(r, eb, RP_ENOMEM, "gz: out of memory inflating '%s'", r->name);
        case Z_NEED_DICT:
        case Z_DATA_ERROR:
            return reader_fail(r, eb, RP_EPARSE, "gz: corrupt data in '%s' at byte %llu: %s",
                               r->name, (unsigned long long)r->in,
                               r->zs.msg ? r->zs.msg : "invalid data");
        default:
            return reader_fail(r, eb, RP_EINTERNAL, "gz: inflate failed for '%s' (%d)", r->name,
                               zr);
        }
        if (r->out > r->lim.max_output)
            return reader_fail(r, eb, RP_ELIMIT,
                               "gz: output of '%s' exceeds %llu bytes at input byte %llu", r->name,
                               (unsigned long long)r->lim.max_output, (unsigned long long)r->in);
        if (r->out > ratio_cap(&r->lim, r->in))
            return reader_fail(r, eb, RP_ELIMIT,
                               "gz: output of '%s' exceeds %llu times its compressed size at "
                               "input byte %llu",
                               r->name, (unsigned long long)r->lim.max_ratio,
                               (unsigned long long)r->in);
    }
    return RP_OK;
}

rp_err rp_gz_reader_read(struct rp_gz_reader *r, void *buf, size_t n, size_t *got,
                         struct rp_errbuf *eb)
{
    *got = 0;
    if (r->err) return rp_fail(eb, r->err, "%s", r->errmsg);
    if (!r->gzip) return read_plain(r, buf, n, got, eb);
    return read_gzip(r, buf, n, got, eb);
}

void rp_gz_reader_pos(const struct rp_gz_reader *r, struct rp_gz_pos *pos)
{
    pos->in = r->in;
    pos->out = r->out;
    pos->members = r->members;
    pos->gzip = r->gzip;
}

void rp_gz_reader_free(struct rp_gz_reader *r)
{
    if (!r) return;
    if (r->zs_live) inflateEnd(&r->zs);
    if (r->own_fd) close(r->fd);
    free(r->win);
    free(r->name);
    free(r);
}

/* ---- whole buffers ---- */

/* libdeflate rejected in[0..n): let zlib name the offset and the reason. */
static rp_err diagnose(const void *in, size_t n, const char *name, const struct rp_gz_limits *lim,
                       uint64_t fail_at, struct rp_errbuf *eb)
{
    struct rp_gz_reader *r = NULL;
    rp_err e = rp_gz_reader_new_mem(&r, in, n, name, lim, eb);
    if (e) return e;
    unsigned char *scratch = malloc(GZ_CHUNK);
    if (!scratch) {
        rp_gz_reader_free(r);
        return rp_fail(eb, RP_ENOMEM, "gz: out of memory decompressing '%s'", name);
    }
    size_t got;
    do {
        e = rp_gz_reader_read(r, scratch, GZ_CHUNK, &got, eb);
    } while (!e && got);
    free(scratch);
    rp_gz_reader_free(r);
    if (e) return e;
    /* zlib accepted what libdeflate refused; still refuse, at the member libdeflate gave up. */
    return rp_fail(eb, RP_EPARSE, "gz: corrupt data in '%s' at byte %llu: rejected by libdeflate",
                   name, (unsigned long long)fail_at);
}

/* libdeflate skips a member's optional header CRC (FHCRC) without checking it, zlib checks it;
 * so that both paths accept the same inputs, check it here. False only when the header is
 * complete, carries FHCRC, and the CRC does not match; an incomplete header is left to the
 * decoder to report. */
static bool header_crc_ok(const unsigned char *h, size_t n)
{
    if (n < 10 || !(h[3] & 0x02)) return true;
    size_t i = 10;
    if (h[3] & 0x04) { /* FEXTRA */
        if (n < i + 2) return true;
        i += 2 + ((size_t)h[i] | (size_t)h[i + 1] << 8);
    }
    for (unsigned flag = 0x08; flag <= 0x10; flag <<= 1) { /* FNAME, FCOMMENT */
        if (!(h[3] & flag)) continue;
        while (i < n && h[i]) i++;
        i++;
    }
    if (i + 2 > n) return true;
    unsigned long crc = crc32(0L, h, (uInt)i);
    return (crc & 0xffffu) == ((unsigned)h[i] | (unsigned)h[i + 1] << 8);
}

rp_err rp_gz_decompress(const void *in, size_t n, const char *name, const struct rp_gz_limits *lim,
                        struct rp_buf *out, struct rp_errbuf *eb)
{
    if (!name) name = "<memory>";
    if (!rp_gz_is_gzip(in, n)) return rp_fail(eb, RP_EPARSE, "gz: '%s' is not gzip data", name);
    struct rp_gz_limits l = limits_norm(lim);
    struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();
    if (!d) return rp_fail(eb, RP_ENOMEM, "gz: out of memory decompressing '%s'", name);

    const unsigned char *p = in;
    const size_t start = out->len;
    /* The whole input can only ever justify this much output; the ISIZE hint never more. */
    uint64_t gz_cap = ratio_cap(&l, n);
    if (gz_cap > l.max_output) gz_cap = l.max_output;
    uint64_t made = 0;
    size_t off = 0;
    rp_err e = RP_OK;

    while (off < n) {
        size_t rem = n - off;
        uint64_t allow = gz_cap - made;
        size_t room = out->max - out->len;
        size_t limit = allow < room ? (size_t)allow : room;
        /* ISIZE (output size mod 2^32) ends the last member; a hint, checked against limit. */
        size_t want = GZ_MIN_ATTEMPT;
        if (rem >= 18) {
            const unsigned char *t = p + n - 4;
            size_t isize =
                (size_t)t[0] | (size_t)t[1] << 8 | (size_t)t[2] << 16 | (size_t)t[3] << 24;
            if (isize > want) want = isize;
        }
        if (want > limit) want = limit;
        if (!header_crc_ok(p + off, rem)) {
            e = diagnose(in, n, name, lim, off, eb);
            goto fail;
        }
        for (;;) {
            if (rp_buf_reserve(out, want) != RP_OK) {
                e = rp_fail(eb, RP_ENOMEM, "gz: out of memory decompressing '%s'", name);
                goto fail;
            }
            size_t avail = out->cap - out->len;
            if (avail > limit) avail = limit;
            size_t used_in = 0, used_out = 0;
            enum libdeflate_result res = libdeflate_gzip_decompress_ex(
                d, p + off, rem, out->data + out->len, avail, &used_in, &used_out);
            if (res == LIBDEFLATE_SUCCESS) {
                rp_buf_commit(out, used_out);
                made += used_out;
                off += used_in;
                break;
            }
            if (res != LIBDEFLATE_INSUFFICIENT_SPACE) {
                out->data[out->len] = '\0';
                e = diagnose(in, n, name, lim, off, eb);
                goto fail;
            }
            if (avail >= limit) {
                out->data[out->len] = '\0';
                if (room <= allow)
                    e = rp_fail(eb, RP_ELIMIT,
                                "gz: output of '%s' exceeds the buffer cap of %zu bytes at input "
                                "byte %zu",
                                name, out->max, off);
                else if (gz_cap == l.max_output)
                    e = rp_fail(eb, RP_ELIMIT,
                                "gz: output of '%s' exceeds %llu bytes at input byte %zu", name,
                                (unsigned long long)l.max_output, off);
                else
                    e = rp_fail(eb, RP_ELIMIT,
                                "gz: output of '%s' exceeds %llu times its compressed size at "
                                "input byte %zu",
                                name, (unsigned long long)l.max_ratio, off);
                goto fail;
            }
            want = avail > limit / 2 ? limit : avail * 2;
        }
        if (made > ratio_cap(&l, off)) {
            e = rp_fail(eb, RP_ELIMIT,
                        "gz: output of '%s' exceeds %llu times its compressed size at input "
                        "byte %zu",
                        name, (unsigned long long)l.max_ratio, off);
            goto fail;
        }
    }
    libdeflate_free_decompressor(d);
    return RP_OK;
fail:
    rp_buf_truncate(out, start);
    libdeflate_free_decompressor(d);
    return e;
}

/* Append everything left on fd to b, refusing to pass b->max. */
static rp_err read_all(int fd, const char *name, size_t hint, struct rp_buf *b,
                       struct rp_errbuf *eb)
{
    char eb2[128];
    size_t base = b->len;
    for (;;) {
        size_t room = b->max - b->len;
        if (room == 0) { /* full: fine only if the file is too */
            char c;
            ssize_t k;
            do {
                k = read(fd, &c, 1);
            } while (k < 0 && errno == EINTR);
            if (k == 0) return RP_OK;
            if (k > 0)
                return rp_fail(eb, RP_ELIMIT, "gz: '%s' exceeds the buffer cap of %zu bytes", name,
                               b->max);
            int e = errno;
            return rp_fail(eb, RP_EIO, "gz: cannot read '%s': %s", name,
                           strerror_r(e, eb2, sizeof eb2));
        }
        size_t want = GZ_CHUNK;
        if (hint > b->len - base && hint - (b->len - base) > want) want = hint - (b->len - base);
        if (want > room) want = room;
        if (rp_buf_reserve(b, want) != RP_OK)
            return rp_fail(eb, RP_ENOMEM, "gz: out of memory reading '%s'", name);
        size_t space = b->cap - b->len;
        if (space > room) space = room;
        ssize_t k;
        do {
            k = read(fd, b->data + b->len, space);
        } while (k < 0 && errno == EINTR);
        if (k < 0) {
            int e = errno;
            b->data[b->len] = '\0';
            return rp_fail(eb, RP_EIO, "gz: cannot read '%s' at byte %zu: %s", name, b->len - base,
                           strerror_r(e, eb2, sizeof eb2));
        }
        if (k == 0) {
            b->data[b->len] = '\0';
            return RP_OK;
        }
        rp_buf_commit(b, (size_t)k);
    }
}

rp_err rp_gz_read_fd(int fd, const char *name, const struct rp_gz_limits *lim, struct rp_buf *out,
                     struct rp_errbuf *eb)
{
    if (!name) name = "<fd>";
    char eb2[128];
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        return rp_fail(eb, RP_EIO, "gz: cannot stat '%s': %s", name,
                       strerror_r(e, eb2, sizeof eb2));
    }
    size_t hint = S_ISREG(st.st_mode) && st.st_size > 0 ? (size_t)st.st_size : 0;

    unsigned char head[2];
    size_t nh = 0;
    while (nh < sizeof head) {
        ssize_t k = read(fd, head + nh, sizeof head - nh);
        if (k < 0 && errno == EINTR) continue;
        if (k < 0) {
            int e = errno;
            return rp_fail(eb, RP_EIO, "gz: cannot read '%s': %s", name,
                           strerror_r(e, eb2, sizeof eb2));
        }
        if (k == 0) break;
        nh += (size_t)k;
    }

    if (!rp_gz_is_gzip(head, nh)) {
        size_t start = out->len;
        rp_err e = rp_buf_append(out, head, nh);
        if (e == RP_ELIMIT)
            return rp_fail(eb, e, "gz: '%s' exceeds the buffer cap of %zu bytes", name, out->max);
        if (e) return rp_fail(eb, e, "gz: out of memory reading '%s'", name);
        e = read_all(fd, name, hint, out, eb);
        if (e) rp_buf_truncate(out, start);
        return e;
    }

    /* Compressed input never needs to be much bigger than the output it may produce (stored
     * blocks cost 5 bytes per 64 KiB); past that it cannot fit, so stop reading. */
    struct rp_gz_limits l = limits_norm(lim);
    uint64_t out_cap = out->max - out->len;
    if (out_cap > l.max_output) out_cap = l.max_output;
    uint64_t raw_max = out_cap + out_cap / 64 + (1u << 20);
    if (raw_max > SIZE_MAX / 2) raw_max = SIZE_MAX / 2;
    struct rp_buf raw;
    rp_buf_init(&raw, (size_t)raw_max);
    rp_err e = rp_buf_append(&raw, head, nh);
    if (!e)
        e = read_all(fd, name, hint, &raw, eb);
    else
        e = rp_fail(eb, e, "gz: out of memory reading '%s'", name);
    if (!e) e = rp_gz_decompress(raw.data, raw.len, name, lim, out, eb);
    rp_buf_release(&raw);
    return e;
}

rp_err rp_gz_read_file(const char *path, const struct rp_gz_limits *lim, struct rp_buf *out,
                       struct rp_errbuf *eb)
{
    int fd;
    rp_err e = open_regular(path, &fd, eb);
    if (e) return e;
    e = rp_gz_read_fd(fd, path, lim, out, eb);
    close(fd);
    return e;
}

rp_err rp_gz_read_raw_fd(int fd, const char *name, struct rp_buf *out, struct rp_errbuf *eb)
{
    if (!name) name = "<fd>";
    struct stat st;
    size_t hint = 0;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) hint = (size_t)st.st_size;
    size_t base = out->len;
    rp_err e = read_all(fd, name, hint, out, eb);
    if (e) rp_buf_truncate(out, base);
    return e;
}

rp_err rp_gz_compress(const void *in, size_t n, int level, struct rp_buf *out, struct rp_errbuf *eb)
{
    struct libdeflate_compressor *c = libdeflate_alloc_compressor(level < 0 ? 6 : level);
    if (!c) return rp_fail(eb, RP_ENOMEM, "gz: cannot allocate a compressor");
    size_t bound = libdeflate_gzip_compress_bound(c, n);
    rp_err e = rp_buf_reserve(out, bound);
    if (e) {
        libdeflate_free_compressor(c);
        return rp_fail(eb, e, "gz: no room for %zu compressed bytes", bound);
    }
    size_t k = libdeflate_gzip_compress(c, in, n, out->data + out->len, bound);
    libdeflate_free_compressor(c);
    if (k == 0) return rp_fail(eb, RP_EINTERNAL, "gz: compression failed");
    rp_buf_commit(out, k);
    return RP_OK;
}
