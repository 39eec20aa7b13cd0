/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for rp_gz: the zlib streaming reader, the libdeflate whole-buffer path and
 * rp_gz_read_file. Every gzip input is produced here with zlib (deflateInit2, gzip wrapper)
 * into a mkdtemp directory or memory, so there are no binary fixtures. Pinned: round trips
 * (empty, small, 10 MB, stored/fast/best levels), multi-member, pass-through, the exact code
 * and offset of truncation at every byte, corruption messages, bomb and buffer caps, and that
 * the streaming and libdeflate paths agree byte for byte and message for message. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "core/rp_buf.h"
#include "core/rp_gz.h"
#include "tools/rp_test_tmpdir.h"
#include "core/rp_banned.h"

static char tmpdir[64];

/* ---- helpers ---- */

/* gzip p[0..n) as one member at the given zlib level, appended to *out. */
static void gz_make(const void *p, size_t n, int level, struct rp_buf *out)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    assert_int_equal(deflateInit2(&zs, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
    uLong bound = deflateBound(&zs, (uLong)n);
    assert_int_equal(rp_buf_reserve(out, bound), RP_OK);
    zs.next_in = (Bytef *)(uintptr_t)p;
    zs.avail_in = (uInt)n;
    zs.next_out = (Bytef *)out->data + out->len;
    zs.avail_out = (uInt)bound;
    assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
    out->len += zs.total_out;
    out->data[out->len] = '\0';
    deflateEnd(&zs);
}

/* n bytes of CloudTrail-ish JSON lines, deterministic for a seed. */
static char *payload_make(size_t n, uint32_t seed)
{
    char *p = malloc(n + 1);
    assert_non_null(p);
    size_t len = 0;
    uint32_t x = seed * 2654435761u + 1;
    while (len < n) {
        char line[160];
        x = x * 1664525u + 1013904223u;
        int k = snprintf(line, sizeof line,
                         "{\"eventTime\":\"2024-05-%02u T%02u:%02u:%02uZ\",\"eventName\":\"Op%u\","
                         "\"requestID\":\"%08x-%04x\",\"sourceIPAddress\":\"10.%u.%u.%u\"}\n",
                         x % 28 + 1, x >> 8 & 15, x >> 12 & 59, x >> 18 & 59, x >> 24 & 31, x,
                         x >> 7 & 0xffff, x >> 3 & 255, x >> 11 & 255, x >> 19 & 255);
        size_t take = (size_t)k < n - len ? (size_t)k : n - len;
        memcpy(p + len, line, take);
        len += take;
    }
    p[n] = '\0';
    return p;
}

static void file_write(const char *path, const void *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    if (n) assert_int_equal(fwrite(p, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

static char *tmp_path(const char *name)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    return path;
}

/* Open descriptors of this process, to catch leaks ASan cannot see. */
static int fd_count(void)
{
    DIR *d = opendir("/proc/self/fd");
    assert_non_null(d);
    int n = 0;
    while (readdir(d)) n++;
    closedir(d);
    return n;
}

/* Drain a reader in chunks of `chunk` bytes into *out. Returns the first error. */
static rp_err reader_drain(struct rp_gz_reader *r, size_t chunk, struct rp_buf *out,
                           struct rp_errbuf *eb)
{
    char *tmp = malloc(chunk);
    assert_non_null(tmp);
    rp_err e;
    size_t got;
    for (;;) {
        e = rp_gz_reader_read(r, tmp, chunk, &got, eb);
        if (e || got == 0) break;
        assert_int_equal(rp_buf_append(out, tmp, got), RP_OK);
    }
    free(tmp);
    return e;
}

/* Decompress in[0..n) through the streaming reader over memory. */
static rp_err stream_mem(const void *in, size_t n, const struct rp_gz_limits *lim, size_t chunk,
                         struct rp_buf *out, struct rp_errbuf *eb)
{
    struct rp_gz_reader *r;
    rp_err e = rp_gz_reader_new_mem(&r, in, n, "x.gz", lim, eb);
    if (e) return e;
    e = reader_drain(r, chunk, out, eb);
    rp_gz_reader_free(r);
    return e;
}

static void assert_buf_eq(const struct rp_buf *b, const void *p, size_t n)
{
    assert_int_equal(b->len, n);
    if (n) assert_memory_equal(b->data, p, n);
}

/* All four ways in (reader over memory, reader over a file, libdeflate, read_file) yield
 * exactly want[0..wn) from gz[0..n). */
static void assert_all_paths(const void *gz, size_t n, const void *want, size_t wn,
                             uint64_t members)
{
    struct rp_errbuf eb;
    struct rp_buf a, b, c, d;
    int fds = fd_count();
    rp_buf_init(&a, 0);
    rp_buf_init(&b, 0);
    rp_buf_init(&c, 0);
    rp_buf_init(&d, 0);

    assert_int_equal(stream_mem(gz, n, NULL, 4093, &a, &eb), RP_OK);
    assert_buf_eq(&a, want, wn);

    const char *path = tmp_path("all.gz");
    file_write(path, gz, n);
    struct rp_gz_reader *r;
    assert_int_equal(rp_gz_reader_new_path(&r, path, NULL, &eb), RP_OK);
    assert_int_equal(reader_drain(r, 1 << 20, &b, &eb), RP_OK);
    struct rp_gz_pos pos;
    rp_gz_reader_pos(r, &pos);
    assert_true(pos.gzip);
    assert_int_equal(pos.in, n);
    assert_int_equal(pos.out, wn);
    assert_int_equal(pos.members, members);
    rp_gz_reader_free(r);
    assert_buf_eq(&b, want, wn);

    assert_int_equal(rp_gz_decompress(gz, n, "x.gz", NULL, &c, &eb), RP_OK);
    assert_buf_eq(&c, want, wn);

    assert_int_equal(rp_gz_read_file(path, NULL, &d, &eb), RP_OK);
    assert_buf_eq(&d, want, wn);
    assert_int_equal(d.data[d.len], '\0');
    assert_int_equal(fd_count(), fds);

    rp_buf_release(&a);
    rp_buf_release(&b);
    rp_buf_release(&c);
    rp_buf_release(&d);
}

/* Both whole-input paths fail with code and the same message containing needle. */
static void assert_both_fail(const void *gz, size_t n, const struct rp_gz_limits *lim, rp_err code,
                             const char *needle)
{
    struct rp_errbuf e1, e2;
    struct rp_buf a, b;
    rp_buf_init(&a, 0);
    rp_buf_init(&b, 0);
    assert_int_equal(stream_mem(gz, n, lim, 65536, &a, &e1), code);
    assert_int_equal(rp_gz_decompress(gz, n, "x.gz", lim, &b, &e2), code);
    if (!strstr(e1.msg, needle)) fail_msg("stream message '%s' lacks '%s'", e1.msg, needle);
    if (!strstr(e2.msg, needle)) fail_msg("libdeflate message '%s' lacks '%s'", e2.msg, needle);
    assert_int_equal(b.len, 0);
    rp_buf_release(&a);
    rp_buf_release(&b);
}

/* ---- round trips ---- */

static void test_gz_roundtrip_empty(void **state)
{
    struct rp_buf gz;
    rp_buf_init(&gz, 0);
    gz_make("", 0, 6, &gz);
    assert_all_paths(gz.data, gz.len, "", 0, 1);
    rp_buf_release(&gz);
}

static void test_gz_roundtrip_small(void **state)
{
    static const char msg[] = "{\"Records\":[{\"eventName\":\"ConsoleLogin\"}]}\n";
    struct rp_buf gz;
    rp_buf_init(&gz, 0);
    gz_make(msg, sizeof msg - 1, 6, &gz);
    assert_all_paths(gz.data, gz.len, msg, sizeof msg - 1, 1);
    rp_buf_release(&gz);
}

static void test_gz_roundtrip_10mb(void **state)
{
    size_t n = 10u << 20;
    char *p = payload_make(n, 1);
    struct rp_buf gz;
    rp_buf_init(&gz, 0);
    gz_make(p, n, 6, &gz);
    assert_true(gz.len < n / 2);
    assert_all_paths(gz.data, gz.len, p, n, 1);
    rp_buf_release(&gz);
    free(p);
}

static void test_gz_roundtrip_levels_agree(void **state)
{
    size_t n = 300000;
    char *p = payload_make(n, 7);
    for (int level = 0; level <= 9; level += 3) { /* 0 = stored blocks */
        struct rp_buf gz;
        rp_buf_init(&gz, 0);
        gz_make(p, n, level, &gz);
        assert_all_paths(gz.data, gz.len, p, n, 1);
        rp_buf_release(&gz);
    }
    free(p);
}

static void test_gz_multi_member_concatenated(void **state)
{
    char *p1 = payload_make(100000, 2), *p2 = payload_make(70001, 3);
    struct rp_buf gz, want;
    rp_buf_init(&gz, 0);
    rp_buf_init(&want, 0);
    gz_make(p1, 100000, 6, &gz); /* as `cat a.gz empty.gz b.gz` */
    gz_make("", 0, 6, &gz);
    gz_make(p2, 70001, 1, &gz);
    assert_int_equal(rp_buf_append(&want, p1, 100000), RP_OK);
    assert_int_equal(rp_buf_append(&want, p2, 70001), RP_OK);
    assert_all_paths(gz.data, gz.len, want.data, want.len, 3);
    rp_buf_release(&gz);
    rp_buf_release(&want);
    free(p1);
    free(p2);
}

/* A pipe delivers input in pieces of any size; the reader must not care. */
static void test_gz_reader_fd_pipe(void **state)
{
    static const char a[] = "first member\n", b[] = "second member\n";
    struct rp_buf gz, out;
    struct rp_errbuf eb;
    rp_buf_init(&gz, 0);
    rp_buf_init(&out, 0);
    gz_make(a, sizeof a - 1, 9, &gz);
    gz_make(b, sizeof b - 1, 9, &gz);
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    assert_int_equal(write(fds[1], gz.data, gz.len), (ssize_t)gz.len); /* < pipe buffer */
    close(fds[1]);
    struct rp_gz_reader *r;
    assert_int_equal(rp_gz_reader_new_fd(&r, fds[0], "pipe", NULL, &eb), RP_OK);
    assert_int_equal(reader_drain(r, 5, &out, &eb), RP_OK);
    rp_gz_reader_free(r); /* borrowed fd stays open */
    assert_true(fcntl(fds[0], F_GETFD) != -1);
    close(fds[0]);
    assert_int_equal(out.len, sizeof a - 1 + sizeof b - 1);
    assert_memory_equal(out.data, "first member\nsecond member\n", out.len);
    rp_buf_release(&gz);
    rp_buf_release(&out);
}

static void test_gz_reader_pos_tracks_progress(void **state)
{
    size_t n = 200000;
    char *p = payload_make(n, 4);
    struct rp_buf gz;
    struct rp_errbuf eb;
    rp_buf_init(&gz, 0);
    gz_make(p, n, 6, &gz);
    struct rp_gz_reader *r;
    assert_int_equal(rp_gz_reader_new_mem(&r, gz.data, gz.len, NULL, NULL, &eb), RP_OK);
    struct rp_gz_pos pos;
    rp_gz_reader_pos(r, &pos);
    assert_true(pos.gzip);
    assert_int_equal(pos.in, 0);
    assert_int_equal(pos.out, 0);
    char buf[1000];
    size_t got;
    assert_int_equal(rp_gz_reader_read(r, buf, sizeof buf, &got, &eb), RP_OK);
    assert_int_equal(got, sizeof buf);
    assert_memory_equal(buf, p, sizeof buf);
    rp_gz_reader_pos(r, &pos);
    assert_int_equal(pos.out, 1000);
    assert_true(pos.in > 0 && pos.in < gz.len);
    assert_int_equal(pos.members, 0);
    rp_gz_reader_free(r);
    rp_buf_release(&gz);
    free(p);
}

/* ---- pass-through ---- */

static void test_gz_plain_passthrough(void **state)
{
    static const char json[] = "{\"Records\":[]}\n";
    struct rp_errbuf eb;
    struct rp_buf a, b;
    rp_buf_init(&a, 0);
    rp_buf_init(&b, 0);
    const char *path = tmp_path("plain.json");
    file_write(path, json, sizeof json - 1);

    struct rp_gz_reader *r;
    assert_int_equal(rp_gz_reader_new_path(&r, path, NULL, &eb), RP_OK);
    assert_int_equal(reader_drain(r, 3, &a, &eb), RP_OK);
    struct rp_gz_pos pos;
    rp_gz_reader_pos(r, &pos);
    assert_false(pos.gzip);
    assert_int_equal(pos.in, sizeof json - 1);
    assert_int_equal(pos.out, sizeof json - 1);
    rp_gz_reader_free(r);
    assert_buf_eq(&a, json, sizeof json - 1);

    assert_int_equal(rp_gz_read_file(path, NULL, &b, &eb), RP_OK);
    assert_buf_eq(&b, json, sizeof json - 1);

    /* Whole-buffer decompression wants gzip. */
    rp_buf_reset(&b);
    assert_int_equal(rp_gz_decompress(json, sizeof json - 1, "p.json", NULL, &b, &eb), RP_EPARSE);
    assert_non_null(strstr(eb.msg, "'p.json' is not gzip data"));
    rp_buf_release(&a);
    rp_buf_release(&b);
}

static void test_gz_plain_short_inputs(void **state)
{
    struct rp_errbuf eb;
    struct rp_buf a;
    rp_buf_init(&a, 0);
    /* Empty and one-byte inputs cannot carry the magic: plain. */
    assert_int_equal(stream_mem("", 0, NULL, 16, &a, &eb), RP_OK);
    assert_int_equal(a.len, 0);
    assert_int_equal(stream_mem("\x1f", 1, NULL, 16, &a, &eb), RP_OK);
    assert_buf_eq(&a, "\x1f", 1);
    rp_buf_reset(&a);
    file_write(tmp_path("empty"), "", 0);
    assert_int_equal(rp_gz_read_file(tmp_path("empty"), NULL, &a, &eb), RP_OK);
    assert_int_equal(a.len, 0);
    rp_buf_release(&a);
}

/* A large plain file read in big requests takes the direct read(2) path. */
static void test_gz_plain_large_direct_reads(void **state)
{
    size_t n = 3u << 20;
    char *p = payload_make(n, 5);
    const char *path = tmp_path("big.json");
    file_write(path, p, n);
    struct rp_errbuf eb;
    struct rp_buf a;
    rp_buf_init(&a, 0);
    struct rp_gz_reader *r;
    assert_int_equal(rp_gz_reader_new_path(&r, path, NULL, &eb), RP_OK);
    assert_int_equal(reader_drain(r, 1 << 20, &a, &eb), RP_OK);
    rp_gz_reader_free(r);
    assert_buf_eq(&a, p, n);
    rp_buf_release(&a);
    free(p);
}

/* ---- errors ---- */

static void test_gz_open_errors(void **state)
{
    struct rp_errbuf eb;
    struct rp_gz_reader *r = (void *)1;
    struct rp_buf b;
    int fds = fd_count();
    rp_buf_init(&b, 0);
    assert_int_equal(rp_gz_reader_new_path(&r, tmp_path("missing.gz"), NULL, &eb), RP_ENOENT);
    assert_null(r);
    assert_non_null(strstr(eb.msg, "gz: cannot open '"));
    assert_int_equal(rp_gz_read_file(tmp_path("missing.gz"), NULL, &b, &eb), RP_ENOENT);
    assert_int_equal(rp_gz_reader_new_path(&r, tmpdir, NULL, &eb), RP_EINVAL);
    assert_non_null(strstr(eb.msg, "is not a regular file"));
    const char *fifo = tmp_path("fifo");
    assert_int_equal(mkfifo(fifo, 0600), 0);
    assert_int_equal(rp_gz_read_file(fifo, NULL, &b, &eb), RP_EINVAL); /* must not block */
    unlink(fifo);
    assert_int_equal(fd_count(), fds);
    rp_buf_release(&b);
}

/* Cut a member at every byte from 2 (the magic) to len-1: always RP_EPARSE naming the cut. */
static void test_gz_truncated_every_offset(void **state)
{
    static const char msg[] = "{\"eventName\":\"GetObject\",\"awsRegion\":\"eu-west-1\"}\n";
    struct rp_buf gz;
    rp_buf_init(&gz, 0);
    gz_make(msg, sizeof msg - 1, 6, &gz);
    for (size_t k = 2; k < gz.len; k++) {
        char want[80];
        snprintf(want, sizeof want, "gz: truncated input in 'x.gz' at byte %zu", k);
        assert_both_fail(gz.data, k, NULL, RP_EPARSE, want);
    }
    rp_buf_release(&gz);
}

static void test_gz_truncated_large_and_multi(void **state)
{
    size_t n = 1u << 20;
    char *p = payload_make(n, 6);
    struct rp_buf gz;
    rp_buf_init(&gz, 0);
    gz_make(p, n, 6, &gz);
    size_t m1 = gz.len;
    gz_make(p, 5000, 6, &gz);
    size_t cuts[] = {10, 11, m1 / 3, m1 / 2, m1 - 8, m1 - 4, m1 - 1, m1 + 1, m1 + 9, gz.len - 1};
    for (size_t i = 0; i < RP_ARRAY_LEN(cuts); i++) {
        char want[80];
        snprintf(want, sizeof want, "gz: truncated input in 'x.gz' at byte %zu", cuts[i]);
        assert_both_fail(gz.data, cuts[i], NULL, RP_EPARSE, want);
    }
    /* Cut exactly at the member boundary: a complete, valid file. */
    struct rp_buf out;
    struct rp_errbuf eb;
    rp_buf_init(&out, 0);
    assert_int_equal(rp_gz_decompress(gz.data, m1, "x.gz", NULL, &out, &eb), RP_OK);
    assert_buf_eq(&out, p, n);
    /* And through a file. */
    const char *path = tmp_path("cut.gz");
    file_write(path, gz.data, m1 / 2);
    rp_buf_reset(&out);
    assert_int_equal(rp_gz_read_file(path, NULL, &out, &eb), RP_EPARSE);
    char want[300];
    snprintf(want, sizeof want, "gz: truncated input in '%s' at byte %zu", path, m1 / 2);
    assert_string_equal(eb.msg, want);
    assert_int_equal(out.len, 0);
    rp_buf_release(&out);
    rp_buf_release(&gz);
    free(p);
}

static void test_gz_corrupt_bytes(void **state)
{
    size_t n = 50000;
    char *p = payload_make(n, 8);
    struct rp_buf gz;
    rp_buf_init(&gz, 0);
    gz_make(p, n, 6, &gz);
    unsigned char *g = (unsigned char *)gz.data;
    size_t len = gz.len;

    g[2] ^= 0x0f; /* compression method 8 -> 7; zlib reads it with the flags byte */
    assert_both_fail(g, len, NULL, RP_EPARSE,
                     "gz: corrupt data in 'x.gz' at byte 4: unknown compression method");
    g[2] ^= 0x0f;

    g[len - 8] ^= 0x01; /* CRC-32 */
    assert_both_fail(g, len, NULL, RP_EPARSE, "corrupt data in 'x.gz' at byte");
    assert_both_fail(g, len, NULL, RP_EPARSE, "incorrect data check");
    g[len - 8] ^= 0x01;

    g[len - 1] ^= 0x40; /* ISIZE lies (claims ~1 GiB more): a hint only, never trusted */
    assert_both_fail(g, len, NULL, RP_EPARSE, "incorrect length check");
    g[len - 1] ^= 0x40;

    g[len / 2] ^= 0xff; /* somewhere in the deflate stream */
    assert_both_fail(g, len, NULL, RP_EPARSE, "gz: corrupt data in 'x.gz' at byte ");
    g[len / 2] ^= 0xff;

    rp_buf_release(&gz);
    free(p);
}

static void test_gz_trailing_garbage_rejected(void **state)
{
    struct rp_buf gz;
    rp_buf_init(&gz, 0);
    gz_make("abc", 3, 6, &gz);
    size_t m = gz.len;
    assert_int_equal(rp_buf_append(&gz, "junk", 4), RP_OK);
    char want[80];
    snprintf(want, sizeof want, "gz: corrupt data in 'x.gz' at byte %zu: incorrect header check",
             m + 2);
    assert_both_fail(gz.data, gz.len, NULL, RP_EPARSE, want);
    rp_buf_truncate(&gz, m);
    static const char zeros[8];
    assert_int_equal(rp_buf_append(&gz, zeros, sizeof zeros), RP_OK);
    assert_both_fail(gz.data, gz.len, NULL, RP_EPARSE, "incorrect header check");
    rp_buf_release(&gz);
}

static void test_gz_reader_error_sticky(void **state)
{
    struct rp_buf gz;
    struct rp_errbuf eb;
    rp_buf_init(&gz, 0);
    gz_make("hello", 5, 6, &gz);
    struct rp_gz_reader *r;
    assert_int_equal(rp_gz_reader_new_mem(&r, gz.data, gz.len - 3, "s.gz", NULL, &eb), RP_OK);
    char buf[64];
    size_t got;
    assert_int_equal(rp_gz_reader_read(r, buf, sizeof buf, &got, &eb), RP_EPARSE);
    char first[RP_MAX_ERRMSG];
    snprintf(first, sizeof first, "%s", eb.msg);
    rp_errbuf_clear(&eb);
    assert_int_equal(rp_gz_reader_read(r, buf, sizeof buf, &got, &eb), RP_EPARSE);
    assert_int_equal(got, 0);
    assert_string_equal(eb.msg, first);
    rp_gz_reader_free(r);
    rp_buf_release(&gz);
}

/* ---- caps ---- */

static void test_gz_bomb_ratio_guard(void **state)
{
    size_t n = 10u << 20;
    char *zeros = calloc(1, n);
    assert_non_null(zeros);
    struct rp_buf gz;
    rp_buf_init(&gz, 0);
    gz_make(zeros, n, 9, &gz); /* ~1000:1 */
    struct rp_gz_limits lim = {.max_ratio = 100, .ratio_floor = 64u << 10};
    assert_both_fail(gz.data, gz.len, &lim, RP_ELIMIT, "exceeds 100 times its compressed size");

    const char *path = tmp_path("bomb.gz");
    file_write(path, gz.data, gz.len);
    struct rp_buf out;
    struct rp_errbuf eb;
    rp_buf_init(&out, 0);
    assert_int_equal(rp_gz_read_file(path, &lim, &out, &eb), RP_ELIMIT);
    assert_int_equal(out.len, 0);

    /* Under the floor the ratio does not apply; past it, it does. */
    struct rp_gz_limits floor = {.max_ratio = 10, .ratio_floor = 1u << 20};
    rp_buf_reset(&gz);
    gz_make(zeros, 512u << 10, 9, &gz);
    assert_int_equal(stream_mem(gz.data, gz.len, &floor, 65536, &out, &eb), RP_OK);
    assert_int_equal(out.len, 512u << 10);
    rp_buf_reset(&out);
    assert_int_equal(rp_gz_decompress(gz.data, gz.len, "x.gz", &floor, &out, &eb), RP_OK);
    assert_int_equal(out.len, 512u << 10);
    rp_buf_reset(&gz);
    gz_make(zeros, 2u << 20, 9, &gz);
    assert_both_fail(gz.data, gz.len, &floor, RP_ELIMIT, "exceeds 10 times its compressed size");

    rp_buf_release(&out);
    rp_buf_release(&gz);
    free(zeros);
}

static void test_gz_max_output_guard(void **state)
{
    size_t n = 3u << 20;
    char *p = payload_make(n, 9);
    struct rp_buf gz;
    rp_buf_init(&gz, 0);
    gz_make(p, n, 6, &gz);
    struct rp_gz_limits lim = {.max_output = 1u << 20};
    assert_both_fail(gz.data, gz.len, &lim, RP_ELIMIT,
                     "gz: output of 'x.gz' exceeds 1048576 bytes");
    /* Exactly at the cap is allowed. */
    struct rp_gz_limits exact = {.max_output = n};
    struct rp_buf out;
    struct rp_errbuf eb;
    rp_buf_init(&out, 0);
    assert_int_equal(stream_mem(gz.data, gz.len, &exact, 65536, &out, &eb), RP_OK);
    rp_buf_reset(&out);
    assert_int_equal(rp_gz_decompress(gz.data, gz.len, "x.gz", &exact, &out, &eb), RP_OK);
    assert_int_equal(out.len, n);
    rp_buf_release(&out);
    rp_buf_release(&gz);
    free(p);
}

static void test_gz_buf_cap_elimit(void **state)
{
    size_t n = 10000;
    char *p = payload_make(n, 10);
    struct rp_buf gz, out;
    struct rp_errbuf eb;
    rp_buf_init(&gz, 0);
    gz_make(p, n, 6, &gz);
    const char *gzpath = tmp_path("cap.json.gz"), *plain = tmp_path("cap.json");
    file_write(gzpath, gz.data, gz.len);
    file_write(plain, p, n);

    int fds = fd_count();
    rp_buf_init(&out, 1000);
    assert_int_equal(rp_buf_append(&out, "[", 1), RP_OK);
    assert_int_equal(rp_gz_read_file(gzpath, NULL, &out, &eb), RP_ELIMIT);
    assert_non_null(strstr(eb.msg, "exceeds the buffer cap of 1000 bytes"));
    assert_buf_eq(&out, "[", 1); /* unchanged on error */
    assert_int_equal(rp_gz_read_file(plain, NULL, &out, &eb), RP_ELIMIT);
    assert_non_null(strstr(eb.msg, "exceeds the buffer cap of 1000 bytes"));
    assert_buf_eq(&out, "[", 1);
    assert_int_equal(rp_gz_decompress(gz.data, gz.len, "x.gz", NULL, &out, &eb), RP_ELIMIT);
    assert_buf_eq(&out, "[", 1);
    assert_int_equal(fd_count(), fds);
    rp_buf_release(&out);

    /* Exactly enough room: fits, appended after what was there. */
    rp_buf_init(&out, n + 1);
    assert_int_equal(rp_buf_append(&out, "[", 1), RP_OK);
    assert_int_equal(rp_gz_read_file(gzpath, NULL, &out, &eb), RP_OK);
    assert_int_equal(out.len, n + 1);
    assert_memory_equal(out.data + 1, p, n);
    rp_buf_reset(&out);
    assert_int_equal(rp_gz_read_file(plain, NULL, &out, &eb), RP_OK);
    assert_buf_eq(&out, p, n);
    rp_buf_release(&out);
    rp_buf_release(&gz);
    free(p);
}

/* read_file leaves RP_BUF_PADDING readable bytes after the data, for in-place parsing. */
static void test_gz_read_file_padding(void **state)
{
    struct rp_buf gz, out;
    struct rp_errbuf eb;
    rp_buf_init(&gz, 0);
    rp_buf_init(&out, 0);
    gz_make("[1,2,3]", 7, 6, &gz);
    file_write(tmp_path("pad.json.gz"), gz.data, gz.len);
    assert_int_equal(rp_gz_read_file(tmp_path("pad.json.gz"), NULL, &out, &eb), RP_OK);
    assert_buf_eq(&out, "[1,2,3]", 7);
    assert_true(out.cap >= out.len);
    volatile char sum = 0;
    for (size_t i = 0; i < RP_BUF_PADDING; i++) sum ^= out.data[out.len + i]; /* ASan checks */
    (void)sum;
    rp_buf_release(&out);
    rp_buf_release(&gz);
}

static void test_gz_is_gzip_magic(void **state)
{
    assert_true(rp_gz_is_gzip("\x1f\x8b", 2));
    assert_false(rp_gz_is_gzip("\x1f", 1));
    assert_false(rp_gz_is_gzip("{\"", 2));
    assert_false(rp_gz_is_gzip("", 0));
}

/* ---- fixture ---- */

static int setup(void **state)
{
    return rp_test_tmpdir_make(tmpdir, sizeof tmpdir, "rp_gz_");
}

static int teardown(void **state)
{
    return rp_test_tmpdir_remove(tmpdir);
}

/* rp_gz_compress output reads back through both decoders; raw reads keep the bytes as stored. */
static void test_gz_compress_roundtrip_and_raw_read(void **state)
{
    (void)state;
    const char text[] = "{\"Records\":[{\"eventName\":\"ConsoleLogin\"}]}";
    struct rp_buf z, plain, raw;
    struct rp_errbuf eb;
    rp_buf_init(&z, 0);
    rp_buf_init(&plain, 0);
    rp_buf_init(&raw, 0);
    assert_int_equal(rp_gz_compress(text, sizeof text - 1, 6, &z, &eb), RP_OK);
    assert_true(rp_gz_is_gzip(z.data, z.len));
    assert_int_equal(rp_gz_decompress(z.data, z.len, "t", NULL, &plain, &eb), RP_OK);
    assert_int_equal(plain.len, sizeof text - 1);
    assert_memory_equal(plain.data, text, plain.len);

    char path[] = "/tmp/rp_gz_raw_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, z.data, z.len), (ssize_t)z.len);
    assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
    assert_int_equal(rp_gz_read_raw_fd(fd, path, &raw, &eb), RP_OK);
    assert_int_equal(raw.len, z.len);
    assert_memory_equal(raw.data, z.data, z.len);
    close(fd);
    unlink(path);

    struct rp_buf tiny;
    rp_buf_init(&tiny, 8);
    assert_int_equal(rp_gz_compress(text, sizeof text - 1, 6, &tiny, &eb), RP_ELIMIT);
    assert_int_equal(tiny.len, 0);
    rp_buf_release(&z);
    rp_buf_release(&plain);
    rp_buf_release(&raw);
    rp_buf_release(&tiny);
}

/* 2026-11-26: libdeflate skipped a wrong FHCRC header checksum that zlib refuses, so the two
 * paths disagreed on the same bytes (found by fuzz_gz). Both must refuse it now. */
static void test_gz_header_crc_regression_fuzz_gz(void **state)
{
    (void)state;
    const char text[] = "header crc";
    struct rp_buf z, good, bad, out;
    struct rp_errbuf eb, eb2;
    rp_buf_init(&z, 0);
    rp_buf_init(&good, 0);
    rp_buf_init(&bad, 0);
    rp_buf_init(&out, 0);
    assert_int_equal(rp_gz_compress(text, sizeof text - 1, 6, &z, &eb), RP_OK);
    /* rebuild the member with FLG.FHCRC and a correct, then a wrong, header CRC16 */
    unsigned char hdr[12] = {0x1f, 0x8b, 8, 0x02, 0, 0, 0, 0, 0, 3, 0, 0};
    unsigned long crc = crc32(0L, hdr, 10);
    hdr[10] = (unsigned char)(crc & 0xff);
    hdr[11] = (unsigned char)((crc >> 8) & 0xff);
    assert_int_equal(rp_buf_append(&good, hdr, 12), RP_OK);
    assert_int_equal(rp_buf_append(&good, z.data + 10, z.len - 10), RP_OK);
    hdr[11] ^= 0xff;
    assert_int_equal(rp_buf_append(&bad, hdr, 12), RP_OK);
    assert_int_equal(rp_buf_append(&bad, z.data + 10, z.len - 10), RP_OK);

    assert_int_equal(rp_gz_decompress(good.data, good.len, "g", NULL, &out, &eb), RP_OK);
    assert_string_equal(rp_buf_cstr(&out), text);
    rp_buf_reset(&out);
    assert_int_equal(rp_gz_decompress(bad.data, bad.len, "b", NULL, &out, &eb), RP_EPARSE);
    assert_int_equal(out.len, 0);
    struct rp_gz_reader *r;
    char tmp[64];
    size_t got;
    assert_int_equal(rp_gz_reader_new_mem(&r, bad.data, bad.len, "b", NULL, &eb2), RP_OK);
    assert_int_equal(rp_gz_reader_read(r, tmp, sizeof tmp, &got, &eb2), RP_EPARSE);
    rp_gz_reader_free(r);
    assert_string_equal(eb.msg, eb2.msg);
    assert_string_equal(eb.msg, "gz: corrupt data in 'b' at byte 12: header crc mismatch");
    rp_buf_release(&z);
    rp_buf_release(&good);
    rp_buf_release(&bad);
    rp_buf_release(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gz_roundtrip_empty),
        cmocka_unit_test(test_gz_header_crc_regression_fuzz_gz),
        cmocka_unit_test(test_gz_compress_roundtrip_and_raw_read),
        cmocka_unit_test(test_gz_roundtrip_small),
        cmocka_unit_test(test_gz_roundtrip_10mb),
        cmocka_unit_test(test_gz_roundtrip_levels_agree),
        cmocka_unit_test(test_gz_multi_member_concatenated),
        cmocka_unit_test(test_gz_reader_fd_pipe),
        cmocka_unit_test(test_gz_reader_pos_tracks_progress),
        cmocka_unit_test(test_gz_plain_passthrough),
        cmocka_unit_test(test_gz_plain_short_inputs),
        cmocka_unit_test(test_gz_plain_large_direct_reads),
        cmocka_unit_test(test_gz_open_errors),
        cmocka_unit_test(test_gz_truncated_every_offset),
        cmocka_unit_test(test_gz_truncated_large_and_multi),
        cmocka_unit_test(test_gz_corrupt_bytes),
        cmocka_unit_test(test_gz_trailing_garbage_rejected),
        cmocka_unit_test(test_gz_reader_error_sticky),
        cmocka_unit_test(test_gz_bomb_ratio_guard),
        cmocka_unit_test(test_gz_max_output_guard),
        cmocka_unit_test(test_gz_buf_cap_elimit),
        cmocka_unit_test(test_gz_read_file_padding),
        cmocka_unit_test(test_gz_is_gzip_magic),
    };
    return cmocka_run_group_tests_name("core_gz", tests, setup, teardown);
}
