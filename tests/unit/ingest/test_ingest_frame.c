/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for ingest_frame.h: the input (plain and gzip, memory and file, head) and the
 * framer (FRAME_LINES and FRAME_JSON). Every frame sequence is pinned exactly through a
 * rendering of each frame (kind, ordinal, offset, line, orig_len, reason, bytes); the helper
 * also checks on every frame that the RP_BUF_PADDING bytes after p[n] are readable (ASan
 * catches a short allocation), that ordinals are consecutive and offsets increase. Inputs are
 * built here (gzip with rp_gz_compress), big ones generated in memory: no binary fixtures. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "core/rp_buf.h"
#include "core/rp_gz.h"
#include "ingest/ingest_frame.h"
#include "tools/rp_test_tmpdir.h"
#include "core/rp_banned.h"

static char tmpdir[64];

static const char *const ct_containers[] = {"Records", NULL};
static const char *const cfg_containers[] = {"Records", "configurationItems", NULL};

#define MAXREC ((size_t)RP_MAX_RECORD_BYTES)

/* ---- helpers ---- */

/* Append p[0..n) to b escaped: printable ASCII as is, \n \r \t, others \xHH. Frames longer than
 * 64 bytes show their first 24 and last 8 bytes around "..". */
static void render_bytes(struct rp_buf *b, const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (n > 64 && i == 24) {
            assert_int_equal(rp_buf_append_str(b, ".."), RP_OK);
            i = n - 8;
        }
        unsigned char c = (unsigned char)p[i];
        rp_err e;
        if (c == '\n')
            e = rp_buf_append_str(b, "\\n");
        else if (c == '\r')
            e = rp_buf_append_str(b, "\\r");
        else if (c == '\t')
            e = rp_buf_append_str(b, "\\t");
        else if (c < 0x20 || c >= 0x7f)
            e = rp_buf_printf(b, "\\x%02x", c);
        else
            e = rp_buf_putc(b, (char)c);
        assert_int_equal(e, RP_OK);
    }
}

/* All frames of fr, one line each:
 *   R<ordinal> @<offset> L<line> <bytes>
 *   B<ordinal> @<offset> L<line> n=<n>/<orig_len> <reason>: <bytes>
 * END is not rendered. The caller frees the result. */
static char *render_framer(struct rp_ingest_framer *fr)
{
    struct rp_buf b;
    rp_buf_init(&b, 0);
    struct rp_ingest_frame f;
    struct rp_errbuf eb = {0};
    uint64_t want_ord = 0, last_off = 0;
    volatile unsigned sink = 0;
    for (;;) {
        assert_int_equal(rp_ingest_framer_next(fr, &f, &eb), RP_OK);
        if (f.kind == RP_INGEST_FRAME_END) break;
        assert_int_equal(f.ordinal, want_ord);
        want_ord++;
        assert_true(f.offset >= last_off);
        last_off = f.offset;
        assert_non_null(f.p);
        for (size_t i = 0; i < RP_BUF_PADDING; i++) sink += (unsigned char)f.p[f.n + i];
        if (f.kind == RP_INGEST_FRAME_RECORD) {
            assert_int_equal(f.orig_len, f.n);
            assert_true(f.n <= MAXREC);
            assert_int_equal(rp_buf_printf(&b, "R%llu @%llu L%llu ", (unsigned long long)f.ordinal,
                                           (unsigned long long)f.offset,
                                           (unsigned long long)f.line),
                             RP_OK);
        } else {
            assert_int_equal(f.kind, RP_INGEST_FRAME_BAD);
            assert_true(f.n <= RP_MAX_REJECT_BYTES);
            assert_true(f.orig_len >= f.n);
            assert_int_equal(rp_buf_printf(&b, "B%llu @%llu L%llu n=%zu/%llu %s: ",
                                           (unsigned long long)f.ordinal,
                                           (unsigned long long)f.offset, (unsigned long long)f.line,
                                           f.n, (unsigned long long)f.orig_len, f.reason),
                             RP_OK);
        }
        render_bytes(&b, f.p, f.n);
        assert_int_equal(rp_buf_putc(&b, '\n'), RP_OK);
    }
    /* END is sticky */
    assert_int_equal(rp_ingest_framer_next(fr, &f, &eb), RP_OK);
    assert_int_equal(f.kind, RP_INGEST_FRAME_END);
    (void)sink;
    char *s = rp_buf_take(&b, NULL);
    return s ? s : strdup("");
}

/* read_size 0: the framer's default. */
static char *render_mem(const void *p, size_t n, enum rp_ingest_framing framing,
                        const char *const *containers, size_t read_size)
{
    struct rp_errbuf eb = {0};
    struct rp_ingest_input *in = NULL;
    struct rp_ingest_framer *fr = NULL;
    assert_int_equal(rp_ingest_input_open_mem(p, n, "mem", &in, &eb), RP_OK);
    assert_int_equal(rp_ingest_framer_new(in, framing, containers, &fr), RP_OK);
    if (read_size) rp_ingest_framer_set_read_size(fr, read_size);
    char *s = render_framer(fr);
    rp_ingest_framer_free(fr);
    rp_ingest_input_free(in);
    return s;
}

/* The input is copied into an exactly sized allocation, so ASan sees any read past it. The
 * frames must be the same whatever the size of the framer's reads: small inputs are also read
 * 1, 2, 3, 7, 64 and 4096 bytes at a time, big ones 65521. */
static void check_mem(const char *in, size_t n, enum rp_ingest_framing framing,
                      const char *const *containers, const char *want)
{
    static const size_t small[] = {0, 1, 2, 3, 7, 64, 4096};
    static const size_t big[] = {0, 65521};
    char *copy = malloc(n ? n : 1);
    assert_non_null(copy);
    memcpy(copy, in, n);
    const size_t *sizes = n <= 65536 ? small : big;
    size_t nsizes = n <= 65536 ? sizeof small / sizeof small[0] : sizeof big / sizeof big[0];
    for (size_t i = 0; i < nsizes; i++) {
        char *got = render_mem(copy, n, framing, containers, sizes[i]);
        if (strcmp(got, want) != 0) print_error("read size %zu:\n", sizes[i]);
        assert_string_equal(got, want);
        free(got);
    }
    free(copy);
}

#define CHECK_JSON(lit, cont, want) check_mem(lit, sizeof lit - 1, RP_INGEST_FRAME_JSON, cont, want)
#define CHECK_LINES(lit, want)      check_mem(lit, sizeof lit - 1, RP_INGEST_FRAME_LINES, NULL, want)

static void gz(const void *p, size_t n, int level, struct rp_buf *out)
{
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_gz_compress(p, n, level, out, &eb), RP_OK);
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

static char *render_file(const char *path, enum rp_ingest_framing framing,
                         const char *const *containers)
{
    struct rp_errbuf eb = {0};
    struct rp_ingest_input *in = NULL;
    struct rp_ingest_framer *fr = NULL;
    assert_int_equal(rp_ingest_input_open(path, &in, &eb), RP_OK);
    assert_int_equal(rp_ingest_framer_new(in, framing, containers, &fr), RP_OK);
    char *s = render_framer(fr);
    rp_ingest_framer_free(fr);
    rp_ingest_input_free(in);
    return s;
}

/* Decoded bytes the streaming reader gets out of gz data before it stops. */
static uint64_t decodable(const void *p, size_t n)
{
    struct rp_errbuf eb = {0};
    struct rp_gz_reader *r = NULL;
    assert_int_equal(rp_gz_reader_new_mem(&r, p, n, "x", NULL, &eb), RP_OK);
    char tmp[4096];
    size_t got;
    uint64_t total = 0;
    while (rp_gz_reader_read(r, tmp, sizeof tmp, &got, &eb) == RP_OK && got) total += got;
    total += got;
    rp_gz_reader_free(r);
    return total;
}

/* ---- FRAME_JSON ---- */

static void test_json_lines(void **state)
{
    (void)state;
    CHECK_JSON("{\"a\":1}\n{\"b\":[2,3]}\n\n  {\"c\":\"x\"}  \n", ct_containers,
               "R0 @0 L1 {\"a\":1}\n"
               "R1 @8 L2 {\"b\":[2,3]}\n"
               "R2 @23 L4 {\"c\":\"x\"}\n");
    /* no trailing newline, no containers */
    CHECK_JSON("{\"a\":1}\n{\"b\":2}", NULL,
               "R0 @0 L1 {\"a\":1}\n"
               "R1 @8 L2 {\"b\":2}\n");
    CHECK_JSON("", ct_containers, "");
    CHECK_JSON(" \n\t\r\n", ct_containers, "");
}

static void test_json_one_object(void **state)
{
    (void)state;
    CHECK_JSON("{\n  \"eventVersion\": \"1.08\",\n  \"Records2\": [1],\n  \"x\": {\"Records\": "
               "[{\"a\":1}]}\n}\n",
               ct_containers, "R0 @0 L1 {\\n  \"eventVersion\": \"1.0..\":1}]}\\n}\n");
    /* a container key whose value is not an array: one record */
    CHECK_JSON("{\"Records\":\"none\",\"a\":1}", ct_containers,
               "R0 @0 L1 {\"Records\":\"none\",\"a\":1}\n");
    CHECK_JSON("{\"Records\":{\"a\":[1]}}", ct_containers, "R0 @0 L1 {\"Records\":{\"a\":[1]}}\n");
    CHECK_JSON("{}", ct_containers, "R0 @0 L1 {}\n");
    /* objects that mention a container key without having one (walked, not unwrapped) */
    CHECK_JSON("{\"eventName\":\"Records\"}\n{\"Records\":5}\n{\"a\":{\"Records\":[1]}}",
               ct_containers,
               "R0 @0 L1 {\"eventName\":\"Records\"}\n"
               "R1 @24 L2 {\"Records\":5}\n"
               "R2 @38 L3 {\"a\":{\"Records\":[1]}}\n");
    CHECK_JSON("{ }{\"a\":{}}", ct_containers, "R0 @0 L1 { }\nR1 @3 L1 {\"a\":{}}\n");
}

static void test_json_concatenated(void **state)
{
    (void)state;
    CHECK_JSON("{\"a\":1}{\"b\":2} {\"c\":3}\n[1,{\"d\":[]}]\"s\\\"}\" 12 -3.5e2 true\tnull false",
               ct_containers,
               "R0 @0 L1 {\"a\":1}\n"
               "R1 @7 L1 {\"b\":2}\n"
               "R2 @15 L1 {\"c\":3}\n"
               "R3 @23 L2 [1,{\"d\":[]}]\n"
               "R4 @35 L2 \"s\\\"}\"\n"
               "R5 @42 L2 12\n"
               "R6 @45 L2 -3.5e2\n"
               "R7 @52 L2 true\n"
               "R8 @57 L2 null\n"
               "R9 @62 L2 false\n");
}

static void test_json_records(void **state)
{
    (void)state;
    CHECK_JSON("{\"Records\":[{\"a\":1},{\"b\":2},{\"c\":3}]}", ct_containers,
               "R0 @12 L1 {\"a\":1}\n"
               "R1 @20 L1 {\"b\":2}\n"
               "R2 @28 L1 {\"c\":3}\n");
    CHECK_JSON("{\n  \"Records\" : [\n    {\"a\": 1},\n    {\"b\": [2]} ,\n"
               "    {\"c\": {\"d\": 3}}\n  ]\n}\n{\"Records\":[{\"e\":5}]}",
               ct_containers,
               "R0 @22 L3 {\"a\": 1}\n"
               "R1 @36 L4 {\"b\": [2]}\n"
               "R2 @53 L5 {\"c\": {\"d\": 3}}\n"
               "R3 @87 L8 {\"e\":5}\n");
    /* elements of any kind */
    CHECK_JSON("{\"Records\":[1,\"two\",[3],null,{\"five\":5}]}", ct_containers,
               "R0 @12 L1 1\n"
               "R1 @14 L1 \"two\"\n"
               "R2 @20 L1 [3]\n"
               "R3 @24 L1 null\n"
               "R4 @29 L1 {\"five\":5}\n");
    /* without containers the object is one record */
    CHECK_JSON("{\"Records\":[{\"a\":1}]}", NULL, "R0 @0 L1 {\"Records\":[{\"a\":1}]}\n");
}

static void test_json_container_after_members(void **state)
{
    (void)state;
    /* Config: fileVersion first; a nested "Records" at depth 2 stays inside its member */
    CHECK_JSON("{\"fileVersion\":\"1.0\",\"meta\":{\"Records\":[{\"x\":1}],\"n\":[[]]},"
               "\"configurationItems\":[{\"i\":1},{\"i\":2}],\"tail\":[1,{\"Records\":[9]}]}",
               cfg_containers,
               "R0 @81 L1 {\"i\":1}\n"
               "R1 @89 L1 {\"i\":2}\n");
    /* two containers in one object: both are unwrapped */
    CHECK_JSON("{\"Records\":[{\"a\":1}],\"x\":1,\"configurationItems\":[{\"b\":2}]}",
               cfg_containers,
               "R0 @12 L1 {\"a\":1}\n"
               "R1 @49 L1 {\"b\":2}\n");
    /* members after the container with strings holding structural characters */
    CHECK_JSON("{\"Records\":[{\"a\":1}],\"s\":\"}]\\\"{\",\"t\":[\"]\"]}\n{\"z\":0}",
               ct_containers,
               "R0 @12 L1 {\"a\":1}\n"
               "R1 @44 L2 {\"z\":0}\n");
    /* an escaped key is not the container key */
    CHECK_JSON("{\"Rec\\u006frds\":[{\"a\":1}]}", ct_containers,
               "R0 @0 L1 {\"Rec\\u006frds\":[{\"a\":1}]}\n");
}

static void test_json_tricky_strings(void **state)
{
    (void)state;
    CHECK_JSON("{\"Records\":[{\"s\":\"}]{[\\\"\\\\\"},{\"t\":\"\\\\\\\\\"},{\"u\":\"a\\\\\\\"]\"},"
               "{\"v\":\"\\\\\"}]}",
               ct_containers,
               "R0 @12 L1 {\"s\":\"}]{[\\\"\\\\\"}\n"
               "R1 @29 L1 {\"t\":\"\\\\\\\\\"}\n"
               "R2 @42 L1 {\"u\":\"a\\\\\\\"]\"}\n"
               "R3 @57 L1 {\"v\":\"\\\\\"}\n");
}

static void test_json_empty_records(void **state)
{
    (void)state;
    CHECK_JSON("{\"Records\":[]}", ct_containers, "");
    CHECK_JSON("{\"Records\": [ \n ] }\n", ct_containers, "");
    CHECK_JSON("{\"Records\":[]}{\"a\":1}", ct_containers, "R0 @14 L1 {\"a\":1}\n");
}

static void test_json_broken_element(void **state)
{
    (void)state;
    /* scanner-visible: a mismatched closer; the records after it still come out */
    CHECK_JSON("{\"Records\":[{\"a\":[1},{\"b\":2},{\"c\":3}]}", ct_containers,
               "B0 @12 L1 n=8/8 mismatched '}' in JSON value: {\"a\":[1}\n"
               "R1 @21 L1 {\"b\":2}\n"
               "R2 @29 L1 {\"c\":3}\n");
    /* an element closed by the array's ']' */
    CHECK_JSON("{\"Records\":[{\"a\":1},{\"b\":2]}\n{\"c\":3}", ct_containers,
               "R0 @12 L1 {\"a\":1}\n"
               "B1 @20 L1 n=6/6 mismatched ']' in JSON value: {\"b\":2\n"
               "R2 @29 L2 {\"c\":3}\n");
    /* junk between elements */
    CHECK_JSON("{\"Records\":[{\"a\":1}: x [1,2], {\"b\":2} {\"c\":3},,{\"d\":4}]}", ct_containers,
               "R0 @12 L1 {\"a\":1}\n"
               "B1 @19 L1 n=9/9 malformed container array: : x [1,2]\n"
               "R2 @30 L1 {\"b\":2}\n"
               "R3 @38 L1 {\"c\":3}\n"
               "R4 @47 L1 {\"d\":4}\n");
    /* scanner-invisible: passes as a record, the parser rejects it */
    CHECK_JSON("{\"Records\":[{\"a\":1},{\"b\": },{\"c\":3}]}", ct_containers,
               "R0 @12 L1 {\"a\":1}\n"
               "R1 @20 L1 {\"b\": }\n"
               "R2 @28 L1 {\"c\":3}\n");
    /* the array closed by '}' */
    CHECK_JSON("{\"Records\":[{\"a\":1}}\n{\"b\":2}", ct_containers,
               "R0 @12 L1 {\"a\":1}\n"
               "B1 @19 L1 n=1/1 container array not closed: }\n"
               "R2 @21 L2 {\"b\":2}\n");
    /* junk after the container array */
    CHECK_JSON("{\"Records\":[{\"a\":1}] x [} ]}\n{\"b\":2}", ct_containers,
               "R0 @12 L1 {\"a\":1}\n"
               "B1 @21 L1 n=4/4 mismatched '}' in JSON value: x [}\n"
               "B2 @26 L1 n=2/2 not JSON: ]}\n"
               "R3 @29 L2 {\"b\":2}\n");
}

static void test_json_garbage(void **state)
{
    (void)state;
    CHECK_JSON("{\"a\":1}\n\x00\x01garbage {\"x\":1}\n{\"b\":2}\n}]\n,{\"c\":3}", ct_containers,
               "R0 @0 L1 {\"a\":1}\n"
               "B1 @8 L2 n=17/17 not JSON: \\x00\\x01garbage {\"x\":1}\n"
               "R2 @26 L3 {\"b\":2}\n"
               "B3 @34 L4 n=2/2 not JSON: }]\n"
               "B4 @37 L5 n=8/8 not JSON: ,{\"c\":3}\n");
    /* a backslash escapes the next byte outside strings too, walked or not (found by
     * fuzz_ingest_frame: the two used to differ) */
    CHECK_JSON("{\"b\":-\\\"}]x\n[\\]]", ct_containers,
               "R0 @0 L1 {\"b\":-\\\"}\n"
               "B1 @9 L1 n=2/2 not JSON: ]x\n"
               "R2 @12 L2 [\\]]\n");
    /* a top-level value with a mismatched closer */
    CHECK_JSON("[{]\n{\"a\":[}", NULL,
               "B0 @0 L1 n=3/3 mismatched ']' in JSON value: [{]\n"
               "B1 @4 L2 n=7/7 mismatched '}' in JSON value: {\"a\":[}\n");
}

static void test_json_unterminated(void **state)
{
    (void)state;
    CHECK_JSON("{\"a\":1}\n{\"b\":[1,2", ct_containers,
               "R0 @0 L1 {\"a\":1}\n"
               "B1 @8 L2 n=9/9 unterminated JSON value: {\"b\":[1,2\n");
    CHECK_JSON("\"abc\\", ct_containers, "B0 @0 L1 n=5/5 unterminated JSON value: \"abc\\\n");
    CHECK_JSON("{\"Records\":[{\"a\":1},{\"b\":", ct_containers,
               "R0 @12 L1 {\"a\":1}\n"
               "B1 @20 L1 n=5/5 unterminated JSON value: {\"b\":\n");
    CHECK_JSON("{\"Records\":[{\"a\":1},\n", ct_containers,
               "R0 @12 L1 {\"a\":1}\n"
               "B1 @21 L2 n=0/0 unterminated JSON value (the object at offset 0): \n");
    CHECK_JSON("{\"Records\":[{\"a\":1}, 5", ct_containers,
               "R0 @12 L1 {\"a\":1}\n"
               "R1 @21 L1 5\n"
               "B2 @22 L1 n=0/0 unterminated JSON value (the object at offset 0): \n");
    CHECK_JSON("{\"Records\"", ct_containers,
               "B0 @0 L1 n=10/10 unterminated JSON value: {\"Records\"\n");
    CHECK_JSON("12", ct_containers, "R0 @0 L1 12\n");
}

static void test_json_bom(void **state)
{
    (void)state;
    CHECK_JSON("\xef\xbb\xbf{\"a\":1}", ct_containers, "R0 @3 L1 {\"a\":1}\n");
    CHECK_JSON("\xef\xbb\xbf", ct_containers, "");
    /* only at the very start */
    CHECK_JSON("{\"a\":1}\xef\xbb\xbf", ct_containers,
               "R0 @0 L1 {\"a\":1}\n"
               "B1 @7 L1 n=3/3 not JSON: \\xef\\xbb\\xbf\n");
    CHECK_JSON("\xef\xbb", ct_containers, "B0 @0 L1 n=2/2 not JSON: \\xef\\xbb\n");
}

/* A record holding a 50 MB string, then a good one: one BAD frame, then the record. */
static void test_json_huge_string(void **state)
{
    (void)state;
    const size_t big = 50u << 20;
    const char head[] = "{\"Records\":[{\"big\":\"";
    const char tail[] = "\"},{\"ok\":1}]}\n{\"a\":\"";
    const char tail2[] = "\"}\n{\"b\":2}";
    size_t n = strlen(head) + big + strlen(tail) + big + strlen(tail2);
    char *p = malloc(n);
    assert_non_null(p);
    size_t k = 0;
    memcpy(p + k, head, strlen(head));
    k += strlen(head);
    memset(p + k, 'x', big);
    k += big;
    memcpy(p + k, tail, strlen(tail));
    k += strlen(tail);
    memset(p + k, 'y', big);
    k += big;
    memcpy(p + k, tail2, strlen(tail2));
    k += strlen(tail2);
    assert_int_equal(k, n);
    char want[1024];
    snprintf(
        want, sizeof want,
        "B0 @12 L1 n=65536/%zu record larger than 16 MiB: {\"big\":\"xxxxxxxxxxxxxxxx..xxxxxxxx\n"
        "R1 @%zu L1 {\"ok\":1}\n"
        "B2 @%zu L2 n=65536/%zu record larger than 16 MiB: {\"a\":\"yyyyyyyyyyyyyyyyyy..yyyyyyyy\n"
        "R3 @%zu L3 {\"b\":2}\n",
        big + 10, 12 + big + 11, 12 + big + 22, big + 8, n - 7);
    check_mem(p, n, RP_INGEST_FRAME_JSON, ct_containers, want);
    free(p);
}

/* A value of exactly RP_MAX_RECORD_BYTES is a record; one byte more is not. */
static void test_json_record_limit(void **state)
{
    (void)state;
    size_t n = 2 * MAXREC + 16;
    char *p = malloc(n);
    assert_non_null(p);
    p[0] = '"';
    memset(p + 1, 'a', MAXREC - 2);
    p[MAXREC - 1] = '"';
    p[MAXREC] = '\n';
    p[MAXREC + 1] = '"';
    memset(p + MAXREC + 2, 'b', MAXREC - 1);
    p[2 * MAXREC + 1] = '"';
    memcpy(p + 2 * MAXREC + 2, "\n{\"c\":3}\n    ", 13);
    char want[1024];
    snprintf(
        want, sizeof want,
        "R0 @0 L1 \"aaaaaaaaaaaaaaaaaaaaaaa..aaaaaaa\"\n"
        "B1 @%zu L2 n=65536/%zu record larger than 16 MiB: \"bbbbbbbbbbbbbbbbbbbbbbb..bbbbbbbb\n"
        "R2 @%zu L3 {\"c\":3}\n",
        MAXREC + 1, MAXREC + 1, 2 * MAXREC + 3);
    check_mem(p, 2 * MAXREC + 15, RP_INGEST_FRAME_JSON, ct_containers, want);
    /* a walked object over the limit with no container before it */
    memcpy(p, "{\"a\":\"", 6);
    memset(p + 6, 'z', MAXREC);
    memcpy(p + 6 + MAXREC, "\",\"Records\":[1]}{}", 18);
    snprintf(
        want, sizeof want,
        "B0 @0 L1 n=65536/%zu record larger than 16 MiB: {\"a\":\"zzzzzzzzzzzzzzzzzz..zzzzzzzz\n"
        "R1 @%zu L1 {}\n",
        MAXREC + 22, MAXREC + 22);
    check_mem(p, 6 + MAXREC + 18, RP_INGEST_FRAME_JSON, ct_containers, want);
    free(p);
}

/* 10,000 levels of nesting: counted, one record, no crash; the next record still comes out. */
static void test_json_deep_nesting(void **state)
{
    (void)state;
    const size_t d = 10000;
    const char tail[] = "\n{\"b\":2}";
    const char pre[] = "{\"Records\":[";
    size_t n = strlen(pre) + 4 * d + strlen(tail) + 64;
    char *p = malloc(n);
    assert_non_null(p);
    size_t k = 0;
    memset(p + k, '[', d);
    k += d;
    memset(p + k, ']', d);
    k += d;
    memcpy(p + k, tail, strlen(tail));
    k += strlen(tail);
    char want[512];
    snprintf(want, sizeof want,
             "R0 @0 L1 [[[[[[[[[[[[[[[[[[[[[[[[..]]]]]]]]\n"
             "R1 @%zu L2 {\"b\":2}\n",
             2 * d + 1);
    check_mem(p, k, RP_INGEST_FRAME_JSON, ct_containers, want);

    /* inside a container element, mixed kinds, with a mismatch at the deepest level */
    k = 0;
    memcpy(p, pre, strlen(pre));
    k += strlen(pre);
    for (size_t i = 0; i < d; i++) p[k++] = i % 2 ? '[' : '{';
    p[k++] = '}'; /* the deepest level is '[': mismatched, matches the '{' below it */
    for (size_t i = 1; i < d - 1; i++) p[k++] = i % 2 ? ']' : '}';
    memcpy(p + k, ",{\"b\":2}]}", 10);
    k += 10;
    snprintf(
        want, sizeof want,
        "B0 @12 L1 n=19999/19999 mismatched '}' in JSON value: {[{[{[{[{[{[{[{[{[{[{[{[..]}]}]}]}\n"
        "R1 @%zu L1 {\"b\":2}\n",
        12 + 2 * d);
    check_mem(p, k, RP_INGEST_FRAME_JSON, ct_containers, want);
    free(p);
}

/* A container key that straddles a read boundary, after the container was found. */
static void test_json_key_across_reads(void **state)
{
    (void)state;
    const size_t chunk = 1u << 20;
    const char pre[] = "{\"Records\":[{\"a\":1}],";
    const char post[] = "\"configurationItems\":[{\"b\":2}]}";
    for (size_t cut = 0; cut < 6; cut++) {
        size_t key_at = chunk - 3 + cut;
        size_t n = key_at + strlen(post);
        char *p = malloc(n);
        assert_non_null(p);
        memcpy(p, pre, strlen(pre));
        memset(p + strlen(pre), ' ', key_at - strlen(pre));
        memcpy(p + key_at, post, strlen(post));
        char want[256];
        snprintf(want, sizeof want, "R0 @12 L1 {\"a\":1}\nR1 @%zu L1 {\"b\":2}\n", key_at + 22);
        check_mem(p, n, RP_INGEST_FRAME_JSON, cfg_containers, want);
        free(p);
    }
}

/* ---- FRAME_LINES ---- */

static void test_lines_basic(void **state)
{
    (void)state;
    CHECK_LINES("a b\r\nc\td\r\n\r\n  \t\r\n\n\xff\x00z\ne f", "R0 @0 L1 a b\n"
                                                               "R1 @5 L2 c\\td\n"
                                                               "R2 @18 L6 \\xff\\x00z\n"
                                                               "R3 @22 L7 e f\n");
    CHECK_LINES("x\n", "R0 @0 L1 x\n");
    CHECK_LINES("x\r", "R0 @0 L1 x\n");
    CHECK_LINES("\n\n \n", "");
    CHECK_LINES("", "");
    CHECK_LINES(" lead\n", "R0 @0 L1  lead\n");
}

static void test_lines_too_long(void **state)
{
    (void)state;
    size_t n = 3 * MAXREC + 4096;
    char *p = malloc(n);
    assert_non_null(p);
    size_t k = 0;
    memset(p, 'a', MAXREC); /* exactly at the limit, with CRLF */
    k += MAXREC;
    memcpy(p + k, "\r\n", 2);
    k += 2;
    memset(p + k, 'b', MAXREC + 1); /* one over */
    k += MAXREC + 1;
    memcpy(p + k, "\r\nok\n", 5);
    k += 5;
    memset(p + k, 'c', MAXREC - 1000); /* over, at the end of input without '\n' */
    k += MAXREC - 1000;
    memset(p + k, 'd', 2000);
    k += 2000;
    char want[1024];
    snprintf(want, sizeof want,
             "R0 @0 L1 aaaaaaaaaaaaaaaaaaaaaaaa..aaaaaaaa\n"
             "B1 @%zu L2 n=65536/%zu line longer than 16 MiB: bbbbbbbbbbbbbbbbbbbbbbbb..bbbbbbbb\n"
             "R2 @%zu L3 ok\n"
             "B3 @%zu L4 n=65536/%zu line longer than 16 MiB: cccccccccccccccccccccccc..cccccccc\n",
             MAXREC + 2, MAXREC + 1, 2 * MAXREC + 5, 2 * MAXREC + 8, MAXREC + 1000);
    check_mem(p, k, RP_INGEST_FRAME_LINES, NULL, want);
    free(p);
}

/* ---- input: gzip, files, head ---- */

static void test_gzip_small(void **state)
{
    (void)state;
    const char plain[] = "{\"Records\":[{\"a\":1},\n{\"b\":2}]}\n";
    const char *want = "R0 @12 L1 {\"a\":1}\nR1 @21 L2 {\"b\":2}\n";
    struct rp_buf z;
    rp_buf_init(&z, 0);
    gz(plain, strlen(plain), 6, &z);
    check_mem(z.data, z.len, RP_INGEST_FRAME_JSON, ct_containers, want);

    const char *path = tmp_path("small.json.gz");
    file_write(path, z.data, z.len);
    char *got = render_file(path, RP_INGEST_FRAME_JSON, ct_containers);
    assert_string_equal(got, want);
    free(got);

    struct rp_errbuf eb = {0};
    struct rp_ingest_input *in = NULL;
    assert_int_equal(rp_ingest_input_open(path, &in, &eb), RP_OK);
    assert_true(rp_ingest_input_is_gzip(in));
    assert_int_equal(rp_ingest_input_size(in), z.len);
    const char *h = NULL;
    size_t hn = 0;
    assert_int_equal(rp_ingest_input_head(in, &h, &hn, &eb), RP_OK);
    assert_int_equal(hn, strlen(plain));
    assert_memory_equal(h, plain, hn);
    assert_int_equal(rp_ingest_input_bytes_in(in), z.len);
    assert_int_equal(rp_ingest_input_bytes_decoded(in), strlen(plain));
    rp_ingest_input_free(in);

    /* an empty gzip member */
    rp_buf_reset(&z);
    gz("", 0, 6, &z);
    check_mem(z.data, z.len, RP_INGEST_FRAME_JSON, ct_containers, "");
    rp_buf_release(&z);
}

static void test_gzip_multi_member(void **state)
{
    (void)state;
    struct rp_buf z;
    rp_buf_init(&z, 0);
    gz("{\"Records\":[{\"a\":1},", 20, 6, &z);
    gz("{\"b\":2}]}\n", 10, 1, &z);
    gz("line\n{\"c\":3}", 12, 0, &z);
    check_mem(z.data, z.len, RP_INGEST_FRAME_JSON, ct_containers,
              "R0 @12 L1 {\"a\":1}\n"
              "R1 @20 L1 {\"b\":2}\n"
              "B2 @30 L2 n=4/4 not JSON: line\n"
              "R3 @35 L3 {\"c\":3}\n");
    check_mem(z.data, z.len, RP_INGEST_FRAME_LINES, NULL,
              "R0 @0 L1 {\"Records\":[{\"a\":1},{\"b\":2}]}\n"
              "R1 @30 L2 line\n"
              "R2 @35 L3 {\"c\":3}\n");
    rp_buf_release(&z);
}

static void test_gzip_truncated(void **state)
{
    (void)state;
    const char plain[] = "{\"Records\":[{\"a\":1},{\"b\":2},{\"c\":3},{\"d\":4}]}\n";
    struct rp_buf z;
    rp_buf_init(&z, 0);
    gz(plain, strlen(plain), 0, &z); /* stored: every compressed byte is a decoded byte */
    size_t cut = z.len - 8 - 13;     /* trailer and the last 13 bytes */
    assert_int_equal(decodable(z.data, cut), 33);
    check_mem(z.data, cut, RP_INGEST_FRAME_JSON, ct_containers,
              "R0 @12 L1 {\"a\":1}\n"
              "R1 @20 L1 {\"b\":2}\n"
              "B2 @28 L1 n=5/5 gzip data truncated after 33 decoded bytes: {\"c\":\n");
    char want[512];

    /* cut after the whole payload: everything comes out, then the damage alone */
    cut = z.len - 8;
    snprintf(want, sizeof want,
             "R0 @12 L1 {\"a\":1}\n"
             "R1 @20 L1 {\"b\":2}\n"
             "R2 @28 L1 {\"c\":3}\n"
             "R3 @36 L1 {\"d\":4}\n"
             "B4 @46 L2 n=0/0 gzip data truncated after 46 decoded bytes: \n");
    check_mem(z.data, cut, RP_INGEST_FRAME_JSON, ct_containers, want);
    /* lines: the partial line is the damage */
    check_mem(z.data, z.len - 8 - 5, RP_INGEST_FRAME_LINES, NULL,
              "B0 @0 L1 n=41/41 gzip data truncated after 41 decoded bytes: "
              "{\"Records\":[{\"a\":1},{\"b\":2},{\"c\":3},{\"d\":\n");
    /* only the header */
    check_mem(z.data, 10, RP_INGEST_FRAME_JSON, ct_containers,
              "B0 @0 L1 n=0/0 gzip data truncated after 0 decoded bytes: \n");
    rp_buf_release(&z);
}

static void test_gzip_corrupt(void **state)
{
    (void)state;
    const char plain[] = "{\"a\":1}\n{\"b\":2}\n";
    struct rp_buf z;
    rp_buf_init(&z, 0);
    gz(plain, strlen(plain), 0, &z);
    z.data[z.len - 8] ^= 0x55; /* the CRC */
    check_mem(z.data, z.len, RP_INGEST_FRAME_JSON, ct_containers,
              "R0 @0 L1 {\"a\":1}\n"
              "R1 @8 L2 {\"b\":2}\n"
              "B2 @16 L3 n=0/0 gzip data corrupt after 16 decoded bytes (compressed byte 35: "
              "incorrect data check): \n");
    /* trailing garbage after a member */
    rp_buf_reset(&z);
    gz(plain, strlen(plain), 0, &z);
    assert_int_equal(rp_buf_append(&z, "xyz", 3), RP_OK);
    check_mem(z.data, z.len, RP_INGEST_FRAME_LINES, NULL,
              "R0 @0 L1 {\"a\":1}\n"
              "R1 @8 L2 {\"b\":2}\n"
              "B2 @16 L3 n=0/0 gzip data corrupt after 16 decoded bytes (compressed byte 41: "
              "incorrect header check): \n");
    /* a bad block type inside the deflate data */
    rp_buf_reset(&z);
    gz(plain, strlen(plain), 0, &z);
    z.data[10] = 0x07;
    check_mem(z.data, z.len, RP_INGEST_FRAME_JSON, ct_containers,
              "B0 @0 L1 n=0/0 gzip data corrupt after 0 decoded bytes (compressed byte 11: "
              "invalid block type): \n");
    rp_buf_release(&z);
}

/* n bytes of JSON lines, line i being {"i":<i>,"pad":"..."} */
static char *lines_make(size_t n, size_t *count)
{
    char *p = malloc(n);
    assert_non_null(p);
    size_t k = 0, i = 0;
    while (k < n) {
        char line[128];
        int m = snprintf(line, sizeof line, "{\"i\":%zu,\"pad\":\"%0*zu\"}\n", i, (int)(i % 50),
                         (size_t)0);
        if ((size_t)m > n - k) {
            memset(p + k, ' ', n - k);
            break;
        }
        memcpy(p + k, line, (size_t)m);
        k += (size_t)m;
        i++;
    }
    *count = i;
    return p;
}

/* Count the frames and check each record is line i, in order. */
static void check_count(const void *p, size_t n, size_t decoded, size_t count)
{
    struct rp_errbuf eb = {0};
    struct rp_ingest_input *in = NULL;
    struct rp_ingest_framer *fr = NULL;
    assert_int_equal(rp_ingest_input_open_mem(p, n, "mem", &in, &eb), RP_OK);
    assert_int_equal(rp_ingest_framer_new(in, RP_INGEST_FRAME_JSON, ct_containers, &fr), RP_OK);
    struct rp_ingest_frame f;
    size_t i = 0;
    for (;;) {
        assert_int_equal(rp_ingest_framer_next(fr, &f, &eb), RP_OK);
        if (f.kind == RP_INGEST_FRAME_END) break;
        assert_int_equal(f.kind, RP_INGEST_FRAME_RECORD);
        assert_int_equal(f.line, i + 1);
        char want[32];
        int m = snprintf(want, sizeof want, "{\"i\":%zu,", i);
        assert_memory_equal(f.p, want, (size_t)m);
        i++;
    }
    assert_int_equal(i, count);
    assert_int_equal(rp_ingest_input_bytes_decoded(in), decoded);
    rp_ingest_framer_free(fr);
    rp_ingest_input_free(in);
}

/* Decoded streams larger than the window: 40 MB through libdeflate (whole), and 70 MB stored,
 * which is past the whole-inflate threshold and streams through zlib. */
static void test_gzip_bigger_than_window(void **state)
{
    (void)state;
    size_t count = 0;
    size_t n = 40u << 20;
    char *p = lines_make(n, &count);
    struct rp_buf z;
    rp_buf_init(&z, 0);
    gz(p, n, 1, &z);
    check_count(z.data, z.len, n, count);
    free(p);

    n = 70u << 20;
    p = lines_make(n, &count);
    rp_buf_reset(&z);
    gz(p, n, 0, &z);
    assert_true(z.len > (64u << 20));
    check_count(z.data, z.len, n, count);
    free(p);
    rp_buf_release(&z);
}

/* A file whose ISIZE claims more than the whole-inflate threshold streams from the file; the
 * lie then shows as a corrupt length at the end. */
static void test_gzip_file_stream(void **state)
{
    (void)state;
    const char plain[] = "a\nb\n";
    struct rp_buf z;
    rp_buf_init(&z, 0);
    gz(plain, strlen(plain), 6, &z);
    z.data[z.len - 1] = 0x7f;
    const char *path = tmp_path("lying.gz");
    file_write(path, z.data, z.len);
    char *got = render_file(path, RP_INGEST_FRAME_LINES, NULL);
    char want[256];
    snprintf(want, sizeof want,
             "R0 @0 L1 a\nR1 @2 L2 b\n"
             "B2 @4 L3 n=0/0 gzip data corrupt after 4 decoded bytes (compressed byte %zu: "
             "incorrect length check): \n",
             z.len);
    assert_string_equal(got, want);
    free(got);
    rp_buf_release(&z);
}

static void test_gzip_bomb(void **state)
{
    (void)state;
    size_t n = 64u << 20;
    char *p = calloc(1, n);
    assert_non_null(p);
    /* zlib's best level passes the 1000:1 guard on zeros (libdeflate stays just under) */
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    assert_int_equal(deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY), Z_OK);
    struct rp_buf z;
    rp_buf_init(&z, 0);
    uLong bound = deflateBound(&zs, (uLong)n);
    assert_int_equal(rp_buf_reserve(&z, bound), RP_OK);
    zs.next_in = (Bytef *)p;
    zs.avail_in = (uInt)n;
    zs.next_out = (Bytef *)z.data;
    zs.avail_out = (uInt)bound;
    assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
    rp_buf_commit(&z, zs.total_out);
    deflateEnd(&zs);
    free(p);
    assert_true(z.len * 1000 < n);
    char *got = render_mem(z.data, z.len, RP_INGEST_FRAME_LINES, NULL, 0);
    const char *want_pre = "B0 @0 L1 n=65536/";
    assert_memory_equal(got, want_pre, strlen(want_pre));
    if (!strstr(got, " gzip output exceeds the decompression bomb limits after "))
        fail_msg("no bomb in '%.200s'", got);
    free(got);
    rp_buf_release(&z);
}

static void test_input_plain_file_and_head(void **state)
{
    (void)state;
    struct rp_errbuf eb = {0};
    size_t count = 0;
    size_t n = 3u << 20;
    char *p = lines_make(n, &count);
    const char *path = tmp_path("plain.json");
    file_write(path, p, n);

    struct rp_ingest_input *in = NULL;
    assert_int_equal(rp_ingest_input_open(path, &in, &eb), RP_OK);
    assert_false(rp_ingest_input_is_gzip(in));
    assert_int_equal(rp_ingest_input_size(in), n);
    const char *h = NULL;
    size_t hn = 0;
    assert_int_equal(rp_ingest_input_head(in, &h, &hn, &eb), RP_OK);
    assert_int_equal(hn, RP_INGEST_HEAD_BYTES);
    assert_memory_equal(h, p, hn);
    assert_int_equal(rp_ingest_input_head(in, &h, &hn, &eb), RP_OK); /* again: the same */
    assert_int_equal(hn, RP_INGEST_HEAD_BYTES);
    assert_memory_equal(h, p, hn);
    struct rp_ingest_framer *fr = NULL;
    assert_int_equal(rp_ingest_framer_new(in, RP_INGEST_FRAME_JSON, NULL, &fr), RP_OK);
    struct rp_ingest_frame f;
    size_t i = 0;
    for (;; i++) {
        assert_int_equal(rp_ingest_framer_next(fr, &f, &eb), RP_OK);
        if (f.kind == RP_INGEST_FRAME_END) break;
        assert_int_equal(f.kind, RP_INGEST_FRAME_RECORD);
    }
    assert_int_equal(i, count);
    assert_int_equal(rp_ingest_input_bytes_in(in), n);
    assert_int_equal(rp_ingest_input_bytes_decoded(in), n);
    rp_ingest_framer_free(fr);
    rp_ingest_input_free(in);

    /* head of a short memory input, plain and gzip */
    assert_int_equal(rp_ingest_input_open_mem("ab", 2, NULL, &in, &eb), RP_OK);
    assert_int_equal(rp_ingest_input_head(in, &h, &hn, &eb), RP_OK);
    assert_int_equal(hn, 2);
    assert_memory_equal(h, "ab", 2);
    rp_ingest_input_free(in);

    struct rp_buf z;
    rp_buf_init(&z, 0);
    gz(p, n, 6, &z);
    assert_int_equal(rp_ingest_input_open_mem(z.data, z.len, NULL, &in, &eb), RP_OK);
    assert_true(rp_ingest_input_is_gzip(in));
    assert_int_equal(rp_ingest_input_head(in, &h, &hn, &eb), RP_OK);
    assert_int_equal(hn, RP_INGEST_HEAD_BYTES);
    assert_memory_equal(h, p, hn);
    rp_ingest_input_free(in);

    /* gzip cut inside the head: what decodes */
    assert_int_equal(rp_ingest_input_open_mem(z.data, 200, NULL, &in, &eb), RP_OK);
    assert_int_equal(rp_ingest_input_head(in, &h, &hn, &eb), RP_OK);
    assert_int_equal(hn, decodable(z.data, 200));
    assert_memory_equal(h, p, hn);
    rp_ingest_input_free(in);
    rp_buf_release(&z);
    free(p);

    /* errors */
    assert_int_equal(rp_ingest_input_open(tmp_path("nope"), &in, &eb), RP_ENOENT);
    assert_null(in);
    char msg[300];
    snprintf(msg, sizeof msg, "ingest: cannot open '%s': No such file or directory",
             tmp_path("nope"));
    assert_string_equal(eb.msg, msg);
    assert_int_equal(rp_ingest_input_open(tmpdir, &in, &eb), RP_EIO);
    snprintf(msg, sizeof msg, "ingest: '%s' is not a regular file", tmpdir);
    assert_string_equal(eb.msg, msg);
}

static int setup(void **state)
{
    (void)state;
    return rp_test_tmpdir_make(tmpdir, sizeof tmpdir, "rp-frame-");
}

static int teardown(void **state)
{
    (void)state;
    return rp_test_tmpdir_remove(tmpdir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_lines),
        cmocka_unit_test(test_json_one_object),
        cmocka_unit_test(test_json_concatenated),
        cmocka_unit_test(test_json_records),
        cmocka_unit_test(test_json_container_after_members),
        cmocka_unit_test(test_json_tricky_strings),
        cmocka_unit_test(test_json_empty_records),
        cmocka_unit_test(test_json_broken_element),
        cmocka_unit_test(test_json_garbage),
        cmocka_unit_test(test_json_unterminated),
        cmocka_unit_test(test_json_bom),
        cmocka_unit_test(test_json_huge_string),
        cmocka_unit_test(test_json_record_limit),
        cmocka_unit_test(test_json_deep_nesting),
        cmocka_unit_test(test_json_key_across_reads),
        cmocka_unit_test(test_lines_basic),
        cmocka_unit_test(test_lines_too_long),
        cmocka_unit_test(test_gzip_small),
        cmocka_unit_test(test_gzip_multi_member),
        cmocka_unit_test(test_gzip_truncated),
        cmocka_unit_test(test_gzip_corrupt),
        cmocka_unit_test(test_gzip_bigger_than_window),
        cmocka_unit_test(test_gzip_file_stream),
        cmocka_unit_test(test_gzip_bomb),
        cmocka_unit_test(test_input_plain_file_and_head),
    };
    return cmocka_run_group_tests_name("ingest_frame", tests, setup, teardown);
}
