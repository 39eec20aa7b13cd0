/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target for core/rp_gz (cmake --preset fuzz; run build/fuzz/tests/fuzz/fuzz_gz).
 *
 * Each input goes through both ways rp_gz decodes memory, with small caps: rp_gz_decompress
 * (libdeflate) appending to a capped rp_buf that already holds a prefix, and the streaming
 * reader (zlib) over the same bytes, read in small odd-sized chunks. With the ratio guard out
 * of the way the two must agree exactly: both fail, or both succeed with the same bytes; input
 * that is not gzip is refused by rp_gz_decompress and passed through unchanged by the reader,
 * and a gzip refusal carries the same message (offset and reason) on both paths.
 * A tighter rp_buf must fail exactly when the reader's output does not fit in it. With a small
 * ratio the reader, which checks the ratio after every step, may refuse more than
 * rp_gz_decompress, which checks at member ends, but never less. Also checked: the header's
 * contracts (a failed decompress leaves the buffer as it was, reader errors are sticky, a
 * short read means the end, rp_gz_reader_pos adds up). Any violation aborts, so the fuzzer
 * reports it as a crash. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rp_gz.h"

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz_gz: check failed: %s (line %d)\n", #cond, __LINE__);             \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

#define NAME      "<fuzz>"
#define OUT_MAX   (64u << 10) /* max_output of every pass */
#define SMALL_BUF 1021u       /* room of the tight rp_buf, odd on purpose */
#define PREFIX    "prefix:"   /* already in the rp_buf; decompress must append after it */
#define PREFIX_N  (sizeof PREFIX - 1)

/* Read sizes the reader is driven with, in turn; mostly odd, so they straddle boundaries. */
static const size_t chunks[] = {1, 3, 7, 2, 13, 5, 31, 11, 509, 4093};
#define CHUNK_MAX 4093u

struct result {
    rp_err e;
    char msg[RP_MAX_ERRMSG];
    unsigned char *p; /* output when e == RP_OK (malloc'd, may be NULL when empty) */
    size_t n;
};

/* The streaming reader over data[0..n), in small chunks starting at chunks[first]. */
static void run_reader(const uint8_t *data, size_t n, const struct rp_gz_limits *lim, size_t first,
                       struct result *res)
{
    struct rp_errbuf eb = {0};
    struct rp_gz_reader *r = NULL;
    memset(res, 0, sizeof *res);
    res->e = rp_gz_reader_new_mem(&r, data, n, NAME, lim, &eb);
    if (res->e) { /* memory: only allocation can fail, or zlib's init */
        CHECK(r == NULL);
        CHECK(res->e == RP_ENOMEM);
        snprintf(res->msg, sizeof res->msg, "%s", eb.msg);
        return;
    }
    /* Past OUT_MAX the reader fails within one chunk; plain data passes through whole. */
    size_t cap = n + OUT_MAX + CHUNK_MAX + 1;
    unsigned char *buf = malloc(cap);
    CHECK(buf != NULL);
    size_t len = 0;
    bool gzip = rp_gz_is_gzip(data, n);
    for (size_t i = first;; i++) {
        size_t want = chunks[i % RP_ARRAY_LEN(chunks)], got = 12345;
        CHECK(len + want <= cap);
        rp_errbuf_clear(&eb);
        rp_err e = rp_gz_reader_read(r, buf + len, want, &got, &eb);
        CHECK(got <= want);
        if (e) {
            CHECK(gzip); /* plain memory cannot fail */
            CHECK(eb.code == e && eb.msg[0] != '\0');
            res->e = e;
            snprintf(res->msg, sizeof res->msg, "%s", eb.msg);
            /* Sticky: the same code and message again, and no bytes. */
            struct rp_errbuf eb2 = {0};
            got = 12345;
            CHECK(rp_gz_reader_read(r, buf, 7, &got, &eb2) == e);
            CHECK(got == 0);
            CHECK(strcmp(eb2.msg, eb.msg) == 0);
            break;
        }
        len += got;
        if (got == 0) { /* the end, and it stays the end */
            got = 12345;
            CHECK(rp_gz_reader_read(r, buf, 5, &got, &eb) == RP_OK && got == 0);
            break;
        }
        if (got < want) { /* a short read is only ever the last one */
            got = 12345;
            CHECK(rp_gz_reader_read(r, buf, 3, &got, &eb) == RP_OK && got == 0);
            break;
        }
    }
    struct rp_gz_pos pos;
    rp_gz_reader_pos(r, &pos);
    CHECK(pos.gzip == gzip);
    if (!res->e) {
        CHECK(pos.in == n);
        CHECK(pos.out == len);
        CHECK(!gzip || pos.members >= 1);
        if (!gzip) CHECK(len == n && (n == 0 || memcmp(buf, data, n) == 0));
        if (gzip) CHECK(len <= (lim->max_output ? lim->max_output : OUT_MAX));
        res->p = buf;
        res->n = len;
    } else {
        free(buf);
    }
    rp_gz_reader_free(r);
}

/* rp_gz_decompress of data[0..n) appended to an rp_buf capped at PREFIX_N + room. */
static void run_whole(const uint8_t *data, size_t n, const struct rp_gz_limits *lim, size_t room,
                      struct result *res)
{
    struct rp_errbuf eb = {0};
    struct rp_buf b;
    memset(res, 0, sizeof *res);
    rp_buf_init(&b, PREFIX_N + room);
    CHECK(rp_buf_append(&b, PREFIX, PREFIX_N) == RP_OK);
    res->e = rp_gz_decompress(data, n, NAME, lim, &b, &eb);
    CHECK(b.len <= b.max);
    CHECK(memcmp(b.data, PREFIX, PREFIX_N) == 0);
    CHECK(b.data[b.len] == '\0');
    if (res->e) {
        CHECK(eb.code == res->e && eb.msg[0] != '\0');
        CHECK(b.len == PREFIX_N); /* a failure leaves the buffer as it was */
        snprintf(res->msg, sizeof res->msg, "%s", eb.msg);
    } else {
        res->n = b.len - PREFIX_N;
        res->p = malloc(res->n ? res->n : 1);
        CHECK(res->p != NULL);
        memcpy(res->p, b.data + PREFIX_N, res->n);
    }
    rp_buf_release(&b);
}

static bool same_output(const struct result *a, const struct result *b)
{
    return a->n == b->n && (a->n == 0 || memcmp(a->p, b->p, a->n) == 0);
}

static void result_release(struct result *r)
{
    free(r->p);
    r->p = NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The ratio never binds when its floor is the output cap: only max_output and the
     * rp_buf cap can refuse, and both paths must agree exactly. */
    const struct rp_gz_limits plain = {
        .max_output = OUT_MAX, .max_ratio = 2, .ratio_floor = OUT_MAX};
    const struct rp_gz_limits ratio = {.max_output = OUT_MAX, .max_ratio = 3, .ratio_floor = 100};
    const bool gzip = rp_gz_is_gzip(data, size);
    const size_t first = size % RP_ARRAY_LEN(chunks);
    struct result rd, wh, tight, rd_r, wh_r;

    run_reader(data, size, &plain, first, &rd);
    run_whole(data, size, &plain, OUT_MAX, &wh);
    if (rd.e == RP_ENOMEM || wh.e == RP_ENOMEM) goto done; /* not a verdict on the data */
    if (!gzip) {
        CHECK(rd.e == RP_OK); /* passed through, compared with the input in run_reader */
        CHECK(wh.e == RP_EPARSE);
        CHECK(strcmp(wh.msg, "gz: '" NAME "' is not gzip data") == 0);
        goto done;
    }
    if ((rd.e == RP_OK) != (wh.e == RP_OK)) {
        fprintf(stderr, "fuzz_gz: reader says \"%s\", decompress says \"%s\"\n",
                rd.e ? rd.msg : "ok", wh.e ? wh.msg : "ok");
        CHECK((rd.e == RP_OK) == (wh.e == RP_OK));
    }
    if (rd.e == RP_OK) CHECK(same_output(&rd, &wh));
    /* rp_gz.h: a refusal names the same offset and reason on both paths, unless zlib took
     * what libdeflate refused (then the message says so). */
    if (rd.e == RP_EPARSE && wh.e == RP_EPARSE && !strstr(wh.msg, "rejected by libdeflate")) {
        if (strcmp(rd.msg, wh.msg) != 0)
            fprintf(stderr, "fuzz_gz: reader says \"%s\", decompress says \"%s\"\n", rd.msg,
                    wh.msg);
        CHECK(strcmp(rd.msg, wh.msg) == 0);
    }

    /* A tight rp_buf: fits exactly when the reader's output fits. */
    run_whole(data, size, &plain, SMALL_BUF, &tight);
    if (tight.e != RP_ENOMEM) {
        if (rd.e == RP_OK && rd.n <= SMALL_BUF) {
            CHECK(tight.e == RP_OK);
            CHECK(same_output(&rd, &tight));
        } else {
            CHECK(tight.e != RP_OK);
            if (rd.e == RP_OK) CHECK(tight.e == RP_ELIMIT);
        }
    }
    result_release(&tight);

    /* A small ratio: the reader may refuse more, never less; whatever either accepts, it
     * accepted without the ratio too, byte for byte, and within the ratio. */
    run_reader(data, size, &ratio, (first + 3) % RP_ARRAY_LEN(chunks), &rd_r);
    run_whole(data, size, &ratio, OUT_MAX, &wh_r);
    uint64_t allowed = (uint64_t)size * ratio.max_ratio;
    if (allowed < ratio.ratio_floor) allowed = ratio.ratio_floor;
    if (rd_r.e == RP_OK) {
        CHECK(rd.e == RP_OK && same_output(&rd_r, &rd));
        CHECK(rd_r.n <= allowed);
        if (wh_r.e != RP_ENOMEM) CHECK(wh_r.e == RP_OK);
    }
    if (wh_r.e == RP_OK) {
        CHECK(wh.e == RP_OK && same_output(&wh_r, &wh));
        CHECK(wh_r.n <= allowed);
    }
    if (rd_r.e && rd_r.e != RP_ENOMEM && rd.e == RP_OK) CHECK(rd_r.e == RP_ELIMIT);
    if (wh_r.e && wh_r.e != RP_ENOMEM && wh.e == RP_OK) CHECK(wh_r.e == RP_ELIMIT);
    result_release(&rd_r);
    result_release(&wh_r);
done:
    result_release(&rd);
    result_release(&wh);
    return 0;
}
