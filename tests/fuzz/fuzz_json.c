/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target for core/rp_json (cmake --preset fuzz; run build/fuzz/tests/fuzz/fuzz_json).
 *
 * For each input: parse it (copying, padded, and with a small depth limit) and check that
 * simdjson and the hand-written validator agree on accept/refuse, on the error code and on the
 * error offset; walk every value through every getter; serialize, re-parse the output (which
 * must succeed) and serialize again (which must give the same bytes); write the raw input as a
 * string (the output must be valid JSON); and split the input as JSON Lines. Any disagreement
 * aborts, so the fuzzer reports it as a crash. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rp_json.h"

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz_json: check failed: %s (line %d)\n", #cond, __LINE__);           \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

static struct rp_json_parser *parser(size_t i)
{
    static struct rp_json_parser *ps[4];
    if (!ps[i]) {
        ps[i] = rp_json_parser_new();
        CHECK(ps[i] != NULL);
    }
    return ps[i];
}

/* simdjson's verdict and the validator's must match exactly. */
static rp_err parse_checked(struct rp_json_parser *p, const char *s, size_t n, size_t depth,
                            bool padded, struct rp_json_val *root)
{
    struct rp_errbuf eb;
    size_t off = 0;
    rp_err e =
        padded ? rp_json_parse_padded(p, s, n, root, &eb) : rp_json_parse(p, s, n, root, &eb);
    rp_err v = rp_json_validate(s, n, depth, &off, NULL);
    if (e != v)
        fprintf(stderr, "fuzz_json: parser says %s, validator %s\n", rp_err_name(e),
                rp_err_name(v));
    CHECK(e == v);
    if (e == RP_OK) {
        CHECK(rp_json_parser_err_offset(p) == SIZE_MAX);
        CHECK(rp_json_type(*root) != RP_JSON_NONE);
    } else {
        CHECK(e == RP_EPARSE || e == RP_ELIMIT);
        CHECK(rp_json_parser_err_offset(p) == off);
        CHECK(off <= n);
        CHECK(rp_json_type(*root) == RP_JSON_NONE);
    }
    return e;
}

static void walk(struct rp_json_val v, int depth)
{
    struct rp_str s;
    int64_t i;
    uint64_t u;
    double d;
    bool b;
    struct rp_json_iter it;
    struct rp_json_val el, found;
    CHECK(depth <= RP_MAX_JSON_DEPTH + 1);
    enum rp_json_type t = rp_json_type(v);
    CHECK((rp_json_get_str(v, &s) == RP_OK) == (t == RP_JSON_STRING));
    CHECK((rp_json_get_bool(v, &b) == RP_OK) == (t == RP_JSON_BOOL));
    CHECK((rp_json_get_null(v) == RP_OK) == (t == RP_JSON_NULL));
    bool num = t == RP_JSON_INT || t == RP_JSON_UINT || t == RP_JSON_DOUBLE;
    CHECK((rp_json_get_double(v, &d) == RP_OK) == num);
    if (rp_json_get_i64(v, &i) == RP_OK) CHECK(t == RP_JSON_INT || t == RP_JSON_UINT);
    if (rp_json_get_u64(v, &u) == RP_OK) CHECK(t == RP_JSON_INT || t == RP_JSON_UINT);
    if (t == RP_JSON_STRING) CHECK(s.p[s.len] == '\0');
    size_t n = 0;
    if (t == RP_JSON_ARRAY) {
        CHECK(rp_json_arr_iter(v, &it) == RP_OK);
        while (rp_json_arr_next(&it, &el)) {
            walk(el, depth + 1);
            n++;
        }
        CHECK(n == rp_json_len(v));
        CHECK(rp_json_arr_at(v, n, &el) == RP_ENOENT);
        if (n) CHECK(rp_json_arr_at(v, n - 1, &el) == RP_OK);
    } else if (t == RP_JSON_OBJECT) {
        CHECK(rp_json_obj_iter(v, &it) == RP_OK);
        while (rp_json_obj_next(&it, &s, &el)) {
            CHECK(rp_json_obj_getn(v, s.p, s.len, &found) == RP_OK);
            walk(el, depth + 1);
            n++;
        }
        CHECK(n == rp_json_len(v));
    } else {
        CHECK(rp_json_arr_iter(v, &it) == RP_EINVAL);
        CHECK(rp_json_obj_iter(v, &it) == RP_EINVAL);
        CHECK(rp_json_len(v) == 0);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *in = (const char *)data;
    struct rp_json_val root, again;
    struct rp_buf padded, out, out2;
    rp_buf_init(&padded, 0);
    rp_buf_init(&out, 0);
    rp_buf_init(&out2, 0);

    /* a small depth limit, to reach the depth paths often */
    struct rp_json_parser *shallow = parser(3);
    rp_json_parser_set_max_depth(shallow, 3);
    (void)parse_checked(shallow, in, size, 3, false, &root);

    /* the padded path over an rp_buf copy */
    CHECK(rp_buf_append(&padded, in, size) == RP_OK);
    (void)parse_checked(parser(2), padded.data ? padded.data : "", size, 0, true, &root);

    /* the copying path, then the full walk and the round trip */
    if (parse_checked(parser(0), in, size, 0, false, &root) == RP_OK) {
        walk(root, 0);
        CHECK(rp_json_serialize(root, &out) == RP_OK);
        CHECK(parse_checked(parser(1), out.data, out.len, 0, false, &again) == RP_OK);
        CHECK(rp_json_type(again) == rp_json_type(root));
        CHECK(rp_json_serialize(again, &out2) == RP_OK);
        CHECK(out.len == out2.len && memcmp(out.data, out2.data, out.len) == 0);
    }

    /* the raw bytes as a string value: always valid JSON, and lossless for valid UTF-8 */
    struct rp_json_writer w;
    struct rp_str s;
    rp_buf_reset(&out);
    rp_json_writer_init(&w, &out);
    rp_json_write_str(&w, in, size);
    CHECK(rp_json_writer_finish(&w) == RP_OK);
    CHECK(parse_checked(parser(1), out.data, out.len, 0, false, &again) == RP_OK);
    CHECK(rp_json_get_str(again, &s) == RP_OK);
    if (s.len != size || (size && memcmp(s.p, in, size) != 0)) {
        bool high = false;
        for (size_t i = 0; i < size; i++) high |= data[i] >= 0x80;
        CHECK(high); /* only ill-formed UTF-8 may change */
    }

    /* JSON Lines over the unpadded input: each line agrees with the validator */
    struct rp_json_lines jl;
    struct rp_errbuf eb;
    rp_err e;
    rp_json_lines_init(&jl, in, size, false);
    while ((e = rp_json_lines_next(&jl, parser(0), &root, &eb)) != RP_ENOENT) {
        const char *line = in + jl.line_start;
        const char *nl = memchr(line, '\n', size - jl.line_start);
        size_t n = nl ? (size_t)(nl - line) : size - jl.line_start;
        CHECK(e == rp_json_validate(line, n, 0, NULL, NULL));
        if (e == RP_OK) walk(root, 0);
    }

    rp_buf_release(&padded);
    rp_buf_release(&out);
    rp_buf_release(&out2);
    return 0;
}
