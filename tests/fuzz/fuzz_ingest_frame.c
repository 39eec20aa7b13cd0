/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target for src/ingest/ingest_frame.h (the ingest input and framer).
 *
 * Each input is framed as a memory input with FRAME_LINES, and with FRAME_JSON both with the
 * CloudTrail/Config container keys and without any; input starting with the gzip magic is
 * decoded as gzip by the input itself. The decoded stream is reproduced independently (as is,
 * or through rp_gz_reader up to where it stops) and every frame is checked against it: the
 * bytes at p are the stream's bytes at offset, offsets never decrease and frames never
 * overlap the one before, ordinals are consecutive, line is 1 + the newlines before offset,
 * RECORDs are at most RP_MAX_RECORD_BYTES (and are not blank, have no '\n' in FRAME_LINES,
 * start like a JSON value in FRAME_JSON), BAD frames hold at most RP_MAX_REJECT_BYTES of
 * orig_len bytes and have a reason, RP_BUF_PADDING bytes past p[n] are readable, END is
 * sticky. The same framing is repeated with small odd read sizes and, for plain input, over a
 * gzip of it; the frames must be identical. Any violation aborts. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rp_buf.h"
#include "core/rp_gz.h"
#include "ingest/ingest_frame.h"

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz_ingest_frame: check failed: %s (line %d)\n", #cond, __LINE__);   \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

#define MAX_FRAMES 200000
#define BIG_STREAM (1u << 20) /* decoded streams past this are framed only once */

static const char *const containers[] = {"Records", "configurationItems", NULL};

/* A compact record of one frame, to compare runs. */
struct fr_rec {
    int kind;
    uint64_t offset, line, orig_len, ordinal;
    size_t n;
    uint64_t hash; /* FNV-1a of the bytes and the reason */
};

struct run {
    struct fr_rec *f;
    size_t n, cap;
};

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) h = (h ^ b[i]) * 1099511628211ull;
    return h;
}

static bool is_ws(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Frame data[0..size) (decoded: ref[0..nref)) and check every frame. */
static void run_one(const uint8_t *data, size_t size, const char *ref, size_t nref,
                    enum rp_ingest_framing framing, const char *const *cont, size_t read_size,
                    struct run *out)
{
    struct rp_errbuf eb = {0};
    struct rp_ingest_input *in = NULL;
    struct rp_ingest_framer *fr = NULL;
    CHECK(rp_ingest_input_open_mem(data, size, "<fuzz>", &in, &eb) == RP_OK);
    CHECK(rp_ingest_input_is_gzip(in) == rp_gz_is_gzip(data, size));

    if (read_size == 0) { /* head: a prefix of the stream, and harmless to call */
        const char *h = NULL;
        size_t hn = 0;
        CHECK(rp_ingest_input_head(in, &h, &hn, &eb) == RP_OK);
        CHECK(hn <= RP_INGEST_HEAD_BYTES && hn <= nref);
        CHECK(hn == (nref < RP_INGEST_HEAD_BYTES ? nref : RP_INGEST_HEAD_BYTES));
        CHECK(hn == 0 || memcmp(h, ref, hn) == 0);
    }

    CHECK(rp_ingest_framer_new(in, framing, cont, &fr) == RP_OK);
    if (read_size) rp_ingest_framer_set_read_size(fr, read_size);
    out->f = NULL;
    out->n = out->cap = 0;
    uint64_t last_off = 0, last_end = 0, nl_pos = 0, nl_count = 0;
    volatile unsigned sink = 0;
    for (;;) {
        struct rp_ingest_frame f;
        CHECK(rp_ingest_framer_next(fr, &f, &eb) == RP_OK);
        if (f.kind == RP_INGEST_FRAME_END) break;
        CHECK(out->n < MAX_FRAMES);
        CHECK(f.kind == RP_INGEST_FRAME_RECORD || f.kind == RP_INGEST_FRAME_BAD);
        CHECK(f.ordinal == out->n);
        CHECK(f.offset >= last_off);
        CHECK(f.offset >= last_end || f.n == 0);
        CHECK(f.p != NULL);
        for (size_t i = 0; i < RP_BUF_PADDING; i++) sink += (unsigned char)f.p[f.n + i];
        CHECK(f.offset <= nref && f.orig_len <= nref - f.offset);
        CHECK(f.n <= f.orig_len);
        CHECK(f.n == 0 || memcmp(f.p, ref + f.offset, f.n) == 0);
        /* line */
        while (nl_pos < f.offset) {
            const char *q = memchr(ref + nl_pos, '\n', (size_t)(f.offset - nl_pos));
            if (!q) {
                nl_pos = f.offset;
                break;
            }
            nl_count++;
            nl_pos = (uint64_t)(q - ref) + 1;
        }
        CHECK(f.line == nl_count + 1);
        if (f.kind == RP_INGEST_FRAME_RECORD) {
            CHECK(f.n == f.orig_len);
            CHECK(f.n > 0 && f.n <= RP_MAX_RECORD_BYTES);
            CHECK(f.reason[0] == '\0');
            if (framing == RP_INGEST_FRAME_LINES) {
                CHECK(memchr(f.p, '\n', f.n) == NULL);
                size_t k = 0;
                while (k < f.n && is_ws((unsigned char)f.p[k])) k++;
                CHECK(k < f.n);
                /* the line ends right after it: "\n", "\r\n", "\r" or nothing at the end */
                uint64_t e = f.offset + f.n;
                if (e < nref && ref[e] == '\r') e++;
                CHECK(e == nref || ref[e] == '\n');
            } else {
                unsigned char c = (unsigned char)f.p[0];
                CHECK(c == '{' || c == '[' || c == '"' || c == '-' || (c >= '0' && c <= '9') ||
                      c == 't' || c == 'f' || c == 'n');
            }
        } else {
            CHECK(f.n <= RP_MAX_REJECT_BYTES);
            CHECK(f.reason[0] != '\0');
            CHECK(f.orig_len <= RP_MAX_REJECT_BYTES || f.n == RP_MAX_REJECT_BYTES);
        }
        last_off = f.offset;
        if (f.offset + f.orig_len > last_end) last_end = f.offset + f.orig_len;
        if (out->n == out->cap) {
            out->cap = out->cap ? 2 * out->cap : 64;
            out->f = realloc(out->f, out->cap * sizeof *out->f);
            CHECK(out->f);
        }
        struct fr_rec *r = &out->f[out->n++];
        memset(r, 0, sizeof *r);
        r->kind = (int)f.kind;
        r->offset = f.offset;
        r->line = f.line;
        r->orig_len = f.orig_len;
        r->ordinal = f.ordinal;
        r->n = f.n;
        r->hash = fnv(fnv(14695981039346656037ull, f.p, f.n), f.reason, strlen(f.reason));
    }
    struct rp_ingest_frame f;
    CHECK(rp_ingest_framer_next(fr, &f, &eb) == RP_OK);
    CHECK(f.kind == RP_INGEST_FRAME_END);
    (void)sink;
    rp_ingest_framer_free(fr);
    rp_ingest_input_free(in);
}

static void same(const struct run *a, const struct run *b)
{
    CHECK(a->n == b->n);
    for (size_t i = 0; i < a->n; i++) CHECK(memcmp(&a->f[i], &b->f[i], sizeof a->f[i]) == 0);
}

/* The decoded stream as the input should produce it. */
static void reference(const uint8_t *data, size_t size, struct rp_buf *ref)
{
    if (!rp_gz_is_gzip(data, size)) {
        CHECK(rp_buf_append(ref, data, size) == RP_OK);
        return;
    }
    struct rp_errbuf eb = {0};
    struct rp_gz_reader *r = NULL;
    CHECK(rp_gz_reader_new_mem(&r, data, size, "<fuzz>", NULL, &eb) == RP_OK);
    for (;;) {
        CHECK(rp_buf_reserve(ref, 65536) == RP_OK);
        size_t got = 0;
        rp_err e = rp_gz_reader_read(r, ref->data + ref->len, 65536, &got, &eb);
        rp_buf_commit(ref, got);
        if (e || got == 0) break;
    }
    rp_gz_reader_free(r);
}

static void framing_all(const uint8_t *data, size_t size, const struct rp_buf *ref,
                        enum rp_ingest_framing framing, const char *const *cont,
                        const struct rp_buf *zipped)
{
    /* read sizes, and the longest stream each is used for (short reads cost a refill each) */
    static const size_t sizes[] = {1, 3, 61, 4093};
    static const size_t upto[] = {4096, 16384, BIG_STREAM, BIG_STREAM};
    struct run base, other;
    const char *r = ref->data ? ref->data : "";
    run_one(data, size, r, ref->len, framing, cont, 0, &base);
    if (ref->len > BIG_STREAM) { /* a gzip bomb-like input: once is slow enough */
        free(base.f);
        return;
    }
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        if (ref->len > upto[i]) continue;
        run_one(data, size, r, ref->len, framing, cont, sizes[i], &other);
        same(&base, &other);
        free(other.f);
    }
    if (zipped) {
        run_one((const uint8_t *)zipped->data, zipped->len, r, ref->len, framing, cont, 0, &other);
        same(&base, &other);
        free(other.f);
    }
    free(base.f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct rp_buf ref, zipped;
    rp_buf_init(&ref, 0);
    rp_buf_init(&zipped, 0);
    reference(data, size, &ref);
    bool plain = !rp_gz_is_gzip(data, size);
    if (plain) {
        struct rp_errbuf eb = {0};
        CHECK(rp_gz_compress(data, size, 1, &zipped, &eb) == RP_OK);
    }
    const struct rp_buf *z = plain ? &zipped : NULL;
    framing_all(data, size, &ref, RP_INGEST_FRAME_LINES, NULL, z);
    framing_all(data, size, &ref, RP_INGEST_FRAME_JSON, containers, z);
    framing_all(data, size, &ref, RP_INGEST_FRAME_JSON, NULL, z);
    rp_buf_release(&ref);
    rp_buf_release(&zipped);
    return 0;
}
