/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for core/rp_json: the writer (separators, escaping byte for byte, U+FFFD
 * replacement, numbers, misuse, caps), the reader (types, lookups, iteration order, typed
 * getters, big integers, doubles, escapes), error offsets and reasons for malformed input,
 * the depth and size limits, serialization round trips, padded and unpadded input, parser reuse
 * and JSON Lines. Every expected offset is written out by hand. */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/rp_json.h"

#define FFFD "\xef\xbf\xbd"

static struct rp_json_parser *P; /* shared parser with default limits, made in group setup */

static int setup(void **state)
{
    (void)state;
    P = rp_json_parser_new();
    return P ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    rp_json_parser_free(P);
    P = NULL;
    return 0;
}

static struct rp_json_val parse_n(const char *s, size_t len)
{
    struct rp_json_val v;
    struct rp_errbuf eb;
    rp_errbuf_clear(&eb);
    rp_err e = rp_json_parse(P, s, len, &v, &eb);
    if (e) fail_msg("parse of '%s' failed: %s", s, eb.msg);
    assert_int_equal(rp_json_parser_err_offset(P), SIZE_MAX);
    return v;
}

static struct rp_json_val parse_ok(const char *s)
{
    return parse_n(s, strlen(s));
}

/* Parsing s[0..len) fails with code at offset off and exactly the message msg; the standalone
 * validator agrees. */
static void expect_fail_n(const char *s, size_t len, rp_err code, size_t off, const char *msg)
{
    struct rp_json_val v;
    struct rp_errbuf eb;
    rp_errbuf_clear(&eb);
    assert_int_equal(rp_json_parse(P, s, len, &v, &eb), code);
    assert_int_equal(eb.code, code);
    assert_int_equal(rp_json_type(v), RP_JSON_NONE);
    assert_string_equal(eb.msg, msg);
    assert_int_equal(rp_json_parser_err_offset(P), off);
    size_t off2 = 0;
    assert_int_equal(rp_json_validate(s, len, 0, &off2, NULL), code);
    assert_int_equal(off2, off);
}

static void expect_fail(const char *s, rp_err code, size_t off, const char *msg)
{
    expect_fail_n(s, strlen(s), code, off, msg);
}

static void assert_str(struct rp_json_val v, const char *exp, size_t len)
{
    struct rp_str s = {NULL, 0};
    assert_int_equal(rp_json_get_str(v, &s), RP_OK);
    assert_int_equal(s.len, len);
    assert_memory_equal(s.p, exp, len);
    assert_int_equal(s.p[len], '\0');
}

static void assert_buf(const struct rp_buf *b, const char *exp, size_t len)
{
    if (b->len != len || memcmp(rp_buf_cstr(b), exp, len) != 0)
        fail_msg("got '%s' (%zu bytes), want '%s' (%zu bytes)", rp_buf_cstr(b), b->len, exp, len);
}

#define ASSERT_BUF(b, lit) assert_buf((b), (lit), sizeof(lit) - 1)

/* ---- writer ------------------------------------------------------------------------------ */

static void test_json_writer_nested_separators(void **state)
{
    (void)state;
    struct rp_buf b;
    struct rp_json_writer w;
    rp_buf_init(&b, 0);
    rp_json_writer_init(&w, &b);
    rp_json_write_obj_begin(&w);
    rp_json_write_key(&w, "a", 1);
    rp_json_write_int(&w, 1);
    rp_json_write_key(&w, "b", 1);
    rp_json_write_arr_begin(&w);
    rp_json_write_bool(&w, true);
    rp_json_write_bool(&w, false);
    rp_json_write_null(&w);
    rp_json_write_arr_begin(&w);
    rp_json_write_arr_end(&w);
    rp_json_write_obj_begin(&w);
    rp_json_write_obj_end(&w);
    rp_json_write_arr_end(&w);
    rp_json_write_key(&w, "c", 1);
    rp_json_write_obj_begin(&w);
    rp_json_write_key(&w, "", 0);
    rp_json_write_str(&w, "x", 1);
    rp_json_write_obj_end(&w);
    rp_json_write_obj_end(&w);
    assert_int_equal(rp_json_writer_finish(&w), RP_OK);
    ASSERT_BUF(&b, "{\"a\":1,\"b\":[true,false,null,[],{}],\"c\":{\"\":\"x\"}}");
    rp_buf_release(&b);
}

static void test_json_writer_toplevel_values_are_json_lines(void **state)
{
    (void)state;
    struct rp_buf b;
    struct rp_json_writer w;
    rp_buf_init(&b, 0);
    assert_int_equal(rp_buf_append_str(&b, "head:"), RP_OK);
    rp_json_writer_init(&w, &b); /* existing contents are kept */
    rp_json_write_obj_begin(&w);
    rp_json_write_kv_int(&w, "n", 1);
    rp_json_write_obj_end(&w);
    rp_json_write_arr_begin(&w);
    rp_json_write_arr_end(&w);
    rp_json_write_int(&w, 7);
    assert_int_equal(rp_json_writer_finish(&w), RP_OK);
    ASSERT_BUF(&b, "head:{\"n\":1}\n[]\n7");
    rp_buf_release(&b);
}

static void test_json_writer_escaping_byte_exact(void **state)
{
    (void)state;
    static const char in[] = "q\"b\\s/\b\f\n\r\t\x01\x1f\x7f\0"
                             "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80 end";
    struct rp_buf b;
    struct rp_json_writer w;
    rp_buf_init(&b, 0);
    rp_json_writer_init(&w, &b);
    rp_json_write_arr_begin(&w);
    rp_json_write_str(&w, in, sizeof(in) - 1);
    rp_json_write_str(&w, "", 0);
    rp_json_write_arr_end(&w);
    assert_int_equal(rp_json_writer_finish(&w), RP_OK);
    ASSERT_BUF(&b, "[\"q\\\"b\\\\s/\\b\\f\\n\\r\\t\\u0001\\u001f\x7f\\u0000"
                   "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80 end\",\"\"]");
    rp_buf_release(&b);
}

static void test_json_writer_keys_are_escaped(void **state)
{
    (void)state;
    struct rp_buf b;
    struct rp_json_writer w;
    rp_buf_init(&b, 0);
    rp_json_writer_init(&w, &b);
    rp_json_write_obj_begin(&w);
    rp_json_write_key(&w, "a\"\n\0z", 5);
    rp_json_write_uint(&w, 0);
    rp_json_write_kv_str(&w, "k\\", "v\x02", 2);
    rp_json_write_obj_end(&w);
    assert_int_equal(rp_json_writer_finish(&w), RP_OK);
    ASSERT_BUF(&b, "{\"a\\\"\\n\\u0000z\":0,\"k\\\\\":\"v\\u0002\"}");
    rp_buf_release(&b);
}

static void test_json_writer_invalid_utf8_becomes_fffd(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"\xff", FFFD},
        {"\x80", FFFD},
        {"\xf5", FFFD},
        {"a\xc3", "a" FFFD}, /* truncated at the end */
        {"\xe2\x82"
         "x",
         FFFD "x"}, /* maximal subpart: one U+FFFD */
        {"\xf0\x9f\x98"
         "x",
         FFFD "x"},
        {"\xc0\x80", FFFD FFFD},                   /* overlong */
        {"\xe0\x80\x80", FFFD FFFD FFFD},          /* overlong */
        {"\xed\xa0\x80", FFFD FFFD FFFD},          /* encoded surrogate */
        {"\xf4\x90\x80\x80", FFFD FFFD FFFD FFFD}, /* past U+10FFFF */
        {"\xc3\xa9\xff\xc3\xa9", "\xc3\xa9" FFFD "\xc3\xa9"},
        {"\xc3\x0a", FFFD "\\n"},
    };
    for (size_t i = 0; i < RP_ARRAY_LEN(cases); i++) {
        struct rp_buf b, want;
        struct rp_json_writer w;
        rp_buf_init(&b, 0);
        rp_buf_init(&want, 0);
        assert_int_equal(rp_buf_printf(&want, "\"%s\"", cases[i].out), RP_OK);
        rp_json_writer_init(&w, &b);
        rp_json_write_cstr(&w, cases[i].in);
        assert_int_equal(rp_json_writer_finish(&w), RP_OK);
        assert_buf(&b, want.data, want.len);
        /* and the output is valid JSON */
        assert_int_equal(rp_json_validate(b.data, b.len, 0, NULL, NULL), RP_OK);
        rp_buf_release(&b);
        rp_buf_release(&want);
    }
}

static void test_json_writer_numbers(void **state)
{
    (void)state;
    struct rp_buf b;
    struct rp_json_writer w;
    rp_buf_init(&b, 0);
    rp_json_writer_init(&w, &b);
    rp_json_write_arr_begin(&w);
    rp_json_write_int(&w, INT64_MIN);
    rp_json_write_int(&w, INT64_MAX);
    rp_json_write_int(&w, 0);
    rp_json_write_uint(&w, UINT64_MAX);
    rp_json_write_double(&w, 0.1);
    rp_json_write_double(&w, 1.0);
    rp_json_write_double(&w, -0.0);
    rp_json_write_double(&w, 2.5);
    rp_json_write_double(&w, 123456789.0);
    rp_json_write_double(&w, 0.1 + 0.2);
    rp_json_write_double(&w, 1e300);
    rp_json_write_double(&w, -1.5e-7);
    rp_json_write_double(&w, NAN);
    rp_json_write_double(&w, INFINITY);
    rp_json_write_double(&w, -INFINITY);
    rp_json_write_arr_end(&w);
    assert_int_equal(rp_json_writer_finish(&w), RP_OK);
    ASSERT_BUF(&b, "[-9223372036854775808,9223372036854775807,0,18446744073709551615,"
                   "0.1,1.0,-0.0,2.5,123456789.0,0.30000000000000004,1e+300,-1.5e-07,"
                   "null,null,null]");
    rp_buf_release(&b);
}

static void test_json_writer_double_round_trips(void **state)
{
    (void)state;
    const double vals[] = {5e-324,
                           2.2250738585072014e-308,
                           1.7976931348623157e308,
                           1.0 / 3,
                           2.0 / 3,
                           1e23,
                           9007199254740993.0,
                           0.1f,
                           123.456,
                           1e-5,
                           -7e22};
    for (size_t i = 0; i < RP_ARRAY_LEN(vals); i++) {
        struct rp_buf b;
        struct rp_json_writer w;
        rp_buf_init(&b, 0);
        rp_json_writer_init(&w, &b);
        rp_json_write_double(&w, vals[i]);
        assert_int_equal(rp_json_writer_finish(&w), RP_OK);
        struct rp_json_val v = parse_n(b.data, b.len);
        double d = 0;
        assert_int_equal(rp_json_type(v), RP_JSON_DOUBLE);
        assert_int_equal(rp_json_get_double(v, &d), RP_OK);
        assert_memory_equal(&d, &vals[i], sizeof(d));
        rp_buf_release(&b);
    }
}

static void test_json_writer_raw_and_kv_helpers(void **state)
{
    (void)state;
    struct rp_buf b;
    struct rp_json_writer w;
    rp_buf_init(&b, 0);
    rp_json_writer_init(&w, &b);
    rp_json_write_obj_begin(&w);
    rp_json_write_kv_cstr(&w, "s", "v");
    rp_json_write_kv_cstr(&w, "nil", NULL);
    rp_json_write_kv_int(&w, "i", -3);
    rp_json_write_kv_uint(&w, "u", 3);
    rp_json_write_kv_double(&w, "d", 0.5);
    rp_json_write_kv_bool(&w, "b", true);
    rp_json_write_kv_null(&w, "n");
    rp_json_write_key(&w, "r", 1);
    rp_json_write_raw(&w, "{\"x\":[1]}", 9);
    assert_true(rp_json_writer_wants_key(&w));
    rp_json_write_obj_end(&w);
    assert_false(rp_json_writer_wants_key(&w));
    assert_int_equal(rp_json_writer_finish(&w), RP_OK);
    ASSERT_BUF(&b, "{\"s\":\"v\",\"nil\":null,\"i\":-3,\"u\":3,\"d\":0.5,\"b\":true,\"n\":null,"
                   "\"r\":{\"x\":[1]}}");
    rp_buf_release(&b);
}

/* Each misuse is RP_EINVAL, sticky, and leaves the buffer as it was before init. */
static void test_json_writer_misuse_is_sticky_einval(void **state)
{
    (void)state;
    for (int c = 0; c < 8; c++) {
        struct rp_buf b;
        struct rp_json_writer w;
        rp_buf_init(&b, 0);
        assert_int_equal(rp_buf_append_str(&b, "keep"), RP_OK);
        rp_json_writer_init(&w, &b);
        switch (c) {
        case 0: /* a value inside an object without a key */
            rp_json_write_obj_begin(&w);
            rp_json_write_int(&w, 1);
            break;
        case 1: /* a key inside an array */
            rp_json_write_arr_begin(&w);
            rp_json_write_key(&w, "k", 1);
            break;
        case 2: /* closing the wrong kind */
            rp_json_write_obj_begin(&w);
            rp_json_write_arr_end(&w);
            break;
        case 3: /* left open */
            rp_json_write_arr_begin(&w);
            break;
        case 4: /* a key without its value */
            rp_json_write_obj_begin(&w);
            rp_json_write_key(&w, "k", 1);
            rp_json_write_obj_end(&w);
            break;
        case 5: /* closing at depth 0 */
            rp_json_write_obj_end(&w);
            break;
        case 6: /* two keys in a row */
            rp_json_write_obj_begin(&w);
            rp_json_write_key(&w, "a", 1);
            rp_json_write_key(&w, "b", 1);
            break;
        case 7: /* a key at the top level */
            rp_json_write_key(&w, "a", 1);
            break;
        }
        /* everything after the error is a no-op */
        rp_json_write_str(&w, "more", 4);
        rp_json_write_arr_end(&w);
        rp_json_write_obj_end(&w);
        assert_int_equal(rp_json_writer_finish(&w), RP_EINVAL);
        ASSERT_BUF(&b, "keep");
        rp_buf_release(&b);
    }
}

static void test_json_writer_elimit_on_capped_buffer(void **state)
{
    (void)state;
    struct rp_buf b;
    struct rp_json_writer w;
    /* exactly fits: ["abc"] is 7 bytes */
    rp_buf_init(&b, 7);
    rp_json_writer_init(&w, &b);
    rp_json_write_arr_begin(&w);
    rp_json_write_str(&w, "abc", 3);
    rp_json_write_arr_end(&w);
    assert_int_equal(rp_json_writer_finish(&w), RP_OK);
    ASSERT_BUF(&b, "[\"abc\"]");
    rp_buf_release(&b);
    /* one byte short */
    rp_buf_init(&b, 6);
    rp_json_writer_init(&w, &b);
    rp_json_write_arr_begin(&w);
    rp_json_write_str(&w, "abc", 3);
    rp_json_write_arr_end(&w);
    assert_int_equal(w.err, RP_ELIMIT);
    assert_int_equal(rp_json_writer_finish(&w), RP_ELIMIT);
    assert_int_equal(b.len, 0);
    rp_buf_release(&b);
    /* a long string of escapes into 16 bytes, after earlier contents */
    rp_buf_init(&b, 16);
    assert_int_equal(rp_buf_append_str(&b, "ok:"), RP_OK);
    rp_json_writer_init(&w, &b);
    rp_json_write_obj_begin(&w);
    rp_json_write_kv_cstr(&w, "k", "\n\n\n\n\n\n\n\n\n\n\n\n");
    rp_json_write_obj_end(&w);
    assert_int_equal(rp_json_writer_finish(&w), RP_ELIMIT);
    ASSERT_BUF(&b, "ok:");
    rp_buf_release(&b);
}

static void test_json_writer_depth_limit(void **state)
{
    (void)state;
    const int d = RP_MAX_JSON_DEPTH;
    struct rp_buf b;
    struct rp_json_writer w;
    rp_buf_init(&b, 0);
    /* d + 1 open arrays: the innermost, empty, sits at depth d, the most a parser accepts */
    rp_json_writer_init(&w, &b);
    for (int i = 0; i <= d; i++) rp_json_write_arr_begin(&w);
    for (int i = 0; i <= d; i++) rp_json_write_arr_end(&w);
    assert_int_equal(rp_json_writer_finish(&w), RP_OK);
    assert_int_equal(b.len, 2 * (size_t)d + 2);
    struct rp_json_val v = parse_n(b.data, b.len); /* and it reads back */
    assert_int_equal(rp_json_type(v), RP_JSON_ARRAY);
    /* a value inside d + 1 containers is too deep */
    rp_buf_reset(&b);
    rp_json_writer_init(&w, &b);
    for (int i = 0; i <= d; i++) rp_json_write_arr_begin(&w);
    assert_int_equal(w.err, RP_OK);
    rp_json_write_int(&w, 1);
    assert_int_equal(rp_json_writer_finish(&w), RP_ELIMIT);
    assert_int_equal(b.len, 0);
    rp_json_writer_init(&w, &b);
    for (int i = 0; i <= d + 1; i++) rp_json_write_arr_begin(&w);
    assert_int_equal(rp_json_writer_finish(&w), RP_ELIMIT);
    rp_json_writer_init(&w, &b);
    rp_json_write_obj_begin(&w);
    for (int i = 0; i < d; i++) {
        rp_json_write_key(&w, "k", 1);
        rp_json_write_obj_begin(&w);
    }
    assert_int_equal(w.err, RP_OK);
    rp_json_write_kv_int(&w, "k", 1);
    assert_int_equal(rp_json_writer_finish(&w), RP_ELIMIT);
    rp_buf_release(&b);
}

/* ---- reader: values ---------------------------------------------------------------------- */

static void test_json_types_of_every_kind(void **state)
{
    (void)state;
    struct rp_json_val root = parse_ok(" [null, true, false, -1, 9223372036854775808, 1.5,"
                                       " \"s\", [], {}] ");
    static const enum rp_json_type want[] = {RP_JSON_NULL,   RP_JSON_BOOL,  RP_JSON_BOOL,
                                             RP_JSON_INT,    RP_JSON_UINT,  RP_JSON_DOUBLE,
                                             RP_JSON_STRING, RP_JSON_ARRAY, RP_JSON_OBJECT};
    static const char *const names[] = {"null",   "bool",   "bool",  "int",   "uint",
                                        "double", "string", "array", "object"};
    assert_int_equal(rp_json_type(root), RP_JSON_ARRAY);
    assert_int_equal(rp_json_len(root), 9);
    struct rp_json_iter it;
    struct rp_json_val v;
    size_t n = 0;
    assert_int_equal(rp_json_arr_iter(root, &it), RP_OK);
    while (rp_json_arr_next(&it, &v)) {
        assert_int_equal(rp_json_type(v), want[n]);
        assert_string_equal(rp_json_type_name(rp_json_type(v)), names[n]);
        n++;
    }
    assert_int_equal(n, 9);
    struct rp_json_val none = {NULL, 0};
    assert_int_equal(rp_json_type(none), RP_JSON_NONE);
    assert_string_equal(rp_json_type_name(RP_JSON_NONE), "none");
    /* top-level scalars are documents too */
    assert_int_equal(rp_json_type(parse_ok("\"x\"")), RP_JSON_STRING);
    assert_int_equal(rp_json_type(parse_ok(" 42 ")), RP_JSON_INT);
    assert_int_equal(rp_json_type(parse_ok("null")), RP_JSON_NULL);
}

static void test_json_obj_lookup(void **state)
{
    (void)state;
    struct rp_json_val root = parse_ok("{\"eventName\":\"PutObject\",\"a\\u0000b\":1,\"\":2,"
                                       "\"dup\":3,\"dup\":4,\"nested\":{\"x\":null}}");
    struct rp_json_val v;
    int64_t i = 0;
    assert_int_equal(rp_json_obj_get(root, "eventName", &v), RP_OK);
    assert_str(v, "PutObject", 9);
    assert_int_equal(rp_json_obj_getn(root, "a\0b", 3, &v), RP_OK); /* key with a NUL */
    assert_int_equal(rp_json_get_i64(v, &i), RP_OK);
    assert_int_equal(i, 1);
    assert_int_equal(rp_json_obj_get(root, "a", &v), RP_ENOENT); /* no prefix matching */
    assert_int_equal(rp_json_type(v), RP_JSON_NONE);
    assert_int_equal(rp_json_obj_get(root, "", &v), RP_OK);
    assert_int_equal(rp_json_get_i64(v, &i), RP_OK);
    assert_int_equal(i, 2);
    assert_int_equal(rp_json_obj_get(root, "dup", &v), RP_OK); /* the first one wins */
    assert_int_equal(rp_json_get_i64(v, &i), RP_OK);
    assert_int_equal(i, 3);
    assert_int_equal(rp_json_obj_get(root, "EventName", &v), RP_ENOENT); /* case matters */
    assert_int_equal(rp_json_obj_get(root, "nested", &v), RP_OK);
    assert_int_equal(rp_json_obj_get(v, "x", &v), RP_OK);
    assert_int_equal(rp_json_get_null(v), RP_OK);
    /* lookups on non-objects */
    assert_int_equal(rp_json_obj_get(v, "x", &v), RP_EINVAL);
    assert_int_equal(rp_json_obj_get(parse_ok("[1]"), "x", &v), RP_EINVAL);
    struct rp_json_val none = {NULL, 0};
    assert_int_equal(rp_json_obj_get(none, "x", &v), RP_EINVAL);
    assert_int_equal(rp_json_obj_get(parse_ok("{}"), "x", &v), RP_ENOENT);
}

static void test_json_obj_iteration_order(void **state)
{
    (void)state;
    struct rp_json_val root = parse_ok("{\"b\":1,\"a\":[2,{\"z\":0}],\"b\":3,\"\":4,\"c\":{}}");
    static const char *const keys[] = {"b", "a", "b", "", "c"};
    static const enum rp_json_type types[] = {RP_JSON_INT, RP_JSON_ARRAY, RP_JSON_INT, RP_JSON_INT,
                                              RP_JSON_OBJECT};
    struct rp_json_iter it;
    struct rp_str k;
    struct rp_json_val v;
    size_t n = 0;
    assert_int_equal(rp_json_len(root), 5);
    assert_int_equal(rp_json_obj_iter(root, &it), RP_OK);
    while (rp_json_obj_next(&it, &k, &v)) {
        assert_true(n < 5);
        assert_true(rp_str_eq_cstr(k, keys[n]));
        assert_int_equal(rp_json_type(v), types[n]);
        n++;
    }
    assert_int_equal(n, 5);
    assert_false(rp_json_obj_next(&it, &k, &v)); /* stays exhausted */
    /* empty object, and the wrong kinds */
    assert_int_equal(rp_json_obj_iter(parse_ok("{}"), &it), RP_OK);
    assert_false(rp_json_obj_next(&it, &k, &v));
    assert_int_equal(rp_json_obj_iter(parse_ok("[1]"), &it), RP_EINVAL);
    assert_false(rp_json_obj_next(&it, &k, &v));
}

static void test_json_arr_iteration_and_index(void **state)
{
    (void)state;
    struct rp_json_val root = parse_ok("[10, [20, 21], {\"k\": 30}, 40]");
    struct rp_json_iter it;
    struct rp_json_val v;
    int64_t i = 0;
    int64_t firsts[4];
    size_t n = 0;
    assert_int_equal(rp_json_arr_iter(root, &it), RP_OK);
    while (rp_json_arr_next(&it, &v)) {
        if (rp_json_type(v) == RP_JSON_ARRAY) assert_int_equal(rp_json_arr_at(v, 0, &v), RP_OK);
        if (rp_json_type(v) == RP_JSON_OBJECT) assert_int_equal(rp_json_obj_get(v, "k", &v), 0);
        assert_int_equal(rp_json_get_i64(v, &firsts[n]), RP_OK);
        n++;
    }
    assert_int_equal(n, 4);
    assert_int_equal(firsts[0], 10);
    assert_int_equal(firsts[1], 20);
    assert_int_equal(firsts[2], 30);
    assert_int_equal(firsts[3], 40);
    assert_int_equal(rp_json_arr_at(root, 3, &v), RP_OK);
    assert_int_equal(rp_json_get_i64(v, &i), RP_OK);
    assert_int_equal(i, 40);
    assert_int_equal(rp_json_arr_at(root, 4, &v), RP_ENOENT);
    assert_int_equal(rp_json_type(v), RP_JSON_NONE);
    assert_int_equal(rp_json_arr_iter(parse_ok("[]"), &it), RP_OK);
    assert_false(rp_json_arr_next(&it, &v));
    assert_int_equal(rp_json_len(parse_ok("[]")), 0);
    assert_int_equal(rp_json_len(parse_ok("\"abc\"")), 0);
    assert_int_equal(rp_json_arr_iter(parse_ok("{}"), &it), RP_EINVAL);
    assert_int_equal(rp_json_arr_at(parse_ok("3"), 0, &v), RP_EINVAL);
}

static void test_json_typed_getter_mismatches(void **state)
{
    (void)state;
    struct rp_json_val root = parse_ok("{\"s\":\"x\",\"i\":-1,\"d\":2.5,\"b\":true,\"n\":null,"
                                       "\"a\":[],\"o\":{}}");
    struct rp_json_val s, i, d, b, n, a, o;
    assert_int_equal(rp_json_obj_get(root, "s", &s), RP_OK);
    assert_int_equal(rp_json_obj_get(root, "i", &i), RP_OK);
    assert_int_equal(rp_json_obj_get(root, "d", &d), RP_OK);
    assert_int_equal(rp_json_obj_get(root, "b", &b), RP_OK);
    assert_int_equal(rp_json_obj_get(root, "n", &n), RP_OK);
    assert_int_equal(rp_json_obj_get(root, "a", &a), RP_OK);
    assert_int_equal(rp_json_obj_get(root, "o", &o), RP_OK);
    struct rp_str str = {"untouched", 9};
    int64_t i64 = 77;
    uint64_t u64 = 77;
    double dbl = 77;
    bool bl = false;
    const struct rp_json_val not_str[] = {i, d, b, n, a, o};
    for (size_t k = 0; k < RP_ARRAY_LEN(not_str); k++)
        assert_int_equal(rp_json_get_str(not_str[k], &str), RP_EINVAL);
    assert_true(rp_str_eq_cstr(str, "untouched"));
    const struct rp_json_val not_num[] = {s, b, n, a, o};
    for (size_t k = 0; k < RP_ARRAY_LEN(not_num); k++) {
        assert_int_equal(rp_json_get_i64(not_num[k], &i64), RP_EINVAL);
        assert_int_equal(rp_json_get_u64(not_num[k], &u64), RP_EINVAL);
        assert_int_equal(rp_json_get_double(not_num[k], &dbl), RP_EINVAL);
    }
    assert_int_equal(rp_json_get_i64(d, &i64), RP_EINVAL); /* no silent truncation */
    assert_int_equal(rp_json_get_u64(d, &u64), RP_EINVAL);
    assert_int_equal(rp_json_get_u64(i, &u64), RP_EINVAL); /* -1 */
    assert_int_equal(i64, 77);
    assert_int_equal(u64, 77);
    assert_int_equal(rp_json_get_bool(n, &bl), RP_EINVAL);
    assert_int_equal(rp_json_get_bool(s, &bl), RP_EINVAL);
    assert_int_equal(rp_json_get_null(b), RP_EINVAL);
    assert_int_equal(rp_json_get_null(s), RP_EINVAL);
    assert_int_equal(rp_json_get_bool(b, &bl), RP_OK);
    assert_true(bl);
    assert_int_equal(rp_json_get_double(i, &dbl), RP_OK); /* integers convert to double */
    assert_true(dbl == -1.0);
    struct rp_json_val none = {NULL, 0};
    assert_int_equal(rp_json_get_str(none, &str), RP_EINVAL);
    assert_int_equal(rp_json_get_i64(none, &i64), RP_EINVAL);
    assert_int_equal(rp_json_get_u64(none, &u64), RP_EINVAL);
    assert_int_equal(rp_json_get_double(none, &dbl), RP_EINVAL);
    assert_int_equal(rp_json_get_bool(none, &bl), RP_EINVAL);
    assert_int_equal(rp_json_get_null(none), RP_EINVAL);
    /* lookup + getter: absent is RP_ENOENT, wrong type (null included) is RP_EINVAL */
    assert_int_equal(rp_json_obj_get_str(root, "s", &str), RP_OK);
    assert_true(rp_str_eq_cstr(str, "x"));
    assert_int_equal(rp_json_obj_get_str(root, "missing", &str), RP_ENOENT);
    assert_int_equal(rp_json_obj_get_str(root, "n", &str), RP_EINVAL);
    assert_int_equal(rp_json_obj_get_str(root, "i", &str), RP_EINVAL);
    assert_int_equal(rp_json_obj_get_i64(root, "i", &i64), RP_OK);
    assert_int_equal(i64, -1);
    assert_int_equal(rp_json_obj_get_i64(root, "missing", &i64), RP_ENOENT);
    assert_int_equal(rp_json_obj_get_u64(root, "i", &u64), RP_EINVAL);
    assert_int_equal(rp_json_obj_get_double(root, "d", &dbl), RP_OK);
    assert_true(dbl == 2.5);
    assert_int_equal(rp_json_obj_get_bool(root, "b", &bl), RP_OK);
    assert_int_equal(rp_json_obj_get_bool(root, "n", &bl), RP_EINVAL);
    assert_int_equal(rp_json_obj_get_str(a, "x", &str), RP_EINVAL); /* not an object */
}

static void test_json_big_integers(void **state)
{
    (void)state;
    struct rp_json_val root = parse_ok("[9223372036854775807, 9223372036854775808,"
                                       " 18446744073709551615, -9223372036854775808, -0, 0]");
    struct rp_json_val v[6];
    struct rp_json_iter it;
    size_t n = 0;
    assert_int_equal(rp_json_arr_iter(root, &it), RP_OK);
    while (n < 6 && rp_json_arr_next(&it, &v[n])) n++;
    assert_int_equal(n, 6);
    int64_t i = 0;
    uint64_t u = 0;
    double d = 0;
    assert_int_equal(rp_json_type(v[0]), RP_JSON_INT);
    assert_int_equal(rp_json_get_i64(v[0], &i), RP_OK);
    assert_true(i == INT64_MAX);
    assert_int_equal(rp_json_get_u64(v[0], &u), RP_OK); /* non-negative INT converts */
    assert_true(u == (uint64_t)INT64_MAX);
    assert_int_equal(rp_json_type(v[1]), RP_JSON_UINT);
    assert_int_equal(rp_json_get_u64(v[1], &u), RP_OK);
    assert_true(u == (uint64_t)INT64_MAX + 1);
    assert_int_equal(rp_json_get_i64(v[1], &i), RP_EINVAL);
    assert_int_equal(rp_json_type(v[2]), RP_JSON_UINT);
    assert_int_equal(rp_json_get_u64(v[2], &u), RP_OK);
    assert_true(u == UINT64_MAX);
    assert_int_equal(rp_json_get_double(v[2], &d), RP_OK);
    assert_true(d == 18446744073709551616.0);
    assert_int_equal(rp_json_type(v[3]), RP_JSON_INT);
    assert_int_equal(rp_json_get_i64(v[3], &i), RP_OK);
    assert_true(i == INT64_MIN);
    assert_int_equal(rp_json_get_u64(v[3], &u), RP_EINVAL);
    assert_int_equal(rp_json_type(v[4]), RP_JSON_INT); /* "-0" is the integer 0 */
    assert_int_equal(rp_json_get_i64(v[4], &i), RP_OK);
    assert_int_equal(i, 0);
    expect_fail("18446744073709551616", RP_EPARSE, 0, "json: integer out of range at offset 0");
    expect_fail("[1, -9223372036854775809]", RP_EPARSE, 4,
                "json: integer out of range at offset 4");
    expect_fail("{\"n\":123456789012345678901234567890}", RP_EPARSE, 5,
                "json: integer out of range at offset 5");
}

static void test_json_doubles(void **state)
{
    (void)state;
    struct rp_json_val root = parse_ok("[1.5, -0.0, 1E2, 1e-400, 1.7976931348623157e308,"
                                       " 18446744073709551616.0, 2e+0]");
    const double want[] = {1.5, -0.0, 100.0, 0.0, 1.7976931348623157e308, 18446744073709551616.0,
                           2.0};
    struct rp_json_iter it;
    struct rp_json_val v;
    size_t n = 0;
    assert_int_equal(rp_json_arr_iter(root, &it), RP_OK);
    while (rp_json_arr_next(&it, &v)) {
        double d = 1;
        assert_int_equal(rp_json_type(v), RP_JSON_DOUBLE);
        assert_int_equal(rp_json_get_double(v, &d), RP_OK);
        assert_memory_equal(&d, &want[n], sizeof(d)); /* bit-exact, so -0.0 keeps its sign */
        n++;
    }
    assert_int_equal(n, RP_ARRAY_LEN(want));
    expect_fail("1e400", RP_EPARSE, 0, "json: number out of range at offset 0");
    expect_fail("[0, -1.8e308]", RP_EPARSE, 4, "json: number out of range at offset 4");
}

static void test_json_string_escapes_decoded(void **state)
{
    (void)state;
    struct rp_json_val root =
        parse_ok("[\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t\", \"\\u0041\\u00e9\\u20AC\", "
                 "\"\\ud83d\\ude00\", \"\\uD834\\uDD1E\", \"a\\u0000b\", \"\xc3\xa9\x7f\", \"\"]");
    struct rp_json_val v;
    assert_int_equal(rp_json_arr_at(root, 0, &v), RP_OK);
    assert_str(v, "\" \\ / \b \f \n \r \t", 15);
    assert_int_equal(rp_json_arr_at(root, 1, &v), RP_OK);
    assert_str(v, "A\xc3\xa9\xe2\x82\xac", 6);
    assert_int_equal(rp_json_arr_at(root, 2, &v), RP_OK);
    assert_str(v, "\xf0\x9f\x98\x80", 4); /* U+1F600 from a surrogate pair */
    assert_int_equal(rp_json_arr_at(root, 3, &v), RP_OK);
    assert_str(v, "\xf0\x9d\x84\x9e", 4); /* U+1D11E, upper-case hex */
    assert_int_equal(rp_json_arr_at(root, 4, &v), RP_OK);
    assert_str(v, "a\0b", 3); /* \u0000 is a NUL byte inside the string */
    assert_int_equal(rp_json_arr_at(root, 5, &v), RP_OK);
    assert_str(v, "\xc3\xa9\x7f", 3); /* raw UTF-8 and DEL pass through */
    assert_int_equal(rp_json_arr_at(root, 6, &v), RP_OK);
    assert_str(v, "", 0);
}

static void test_json_string_errors_exact_offsets(void **state)
{
    (void)state;
    expect_fail("\"\\ud800\"", RP_EPARSE, 1, "json: lone surrogate at offset 1");
    expect_fail("[\"ab\\udc00\"]", RP_EPARSE, 4, "json: lone surrogate at offset 4");
    expect_fail("\"\\ud800\\u0041\"", RP_EPARSE, 1, "json: lone surrogate at offset 1");
    expect_fail("\"\\ud800\\ud800\"", RP_EPARSE, 1, "json: lone surrogate at offset 1");
    expect_fail("\"\\ud800\\u00zz\"", RP_EPARSE, 7, "json: invalid escape at offset 7");
    expect_fail("\"\\ud800x\"", RP_EPARSE, 1, "json: lone surrogate at offset 1");
    expect_fail("\"a\\x\"", RP_EPARSE, 2, "json: invalid escape at offset 2");
    expect_fail("\"a\\u12\"", RP_EPARSE, 2, "json: invalid escape at offset 2");
    expect_fail("\"\\U0041\"", RP_EPARSE, 1, "json: invalid escape at offset 1");
    expect_fail("\"a\tb\"", RP_EPARSE, 2, "json: unescaped control character at offset 2");
    expect_fail_n("\"a\0b\"", 5, RP_EPARSE, 2, "json: unescaped control character at offset 2");
    expect_fail("{\"k\":\"abc", RP_EPARSE, 5, "json: unterminated string at offset 5");
    expect_fail("\"abc\\", RP_EPARSE, 0, "json: unterminated string at offset 0");
}

static void test_json_invalid_utf8_exact_offsets(void **state)
{
    (void)state;
    expect_fail("\"ab\xff\"", RP_EPARSE, 3, "json: invalid UTF-8 at offset 3");
    expect_fail("[\"\xc3\x28\"]", RP_EPARSE, 2, "json: invalid UTF-8 at offset 2");
    expect_fail("\"\xc0\x80\"", RP_EPARSE, 1, "json: invalid UTF-8 at offset 1"); /* overlong */
    expect_fail("\"x\xed\xa0\x80\"", RP_EPARSE, 2, "json: invalid UTF-8 at offset 2"); /* U+D800 */
    expect_fail("\"\xf4\x90\x80\x80\"", RP_EPARSE, 1, "json: invalid UTF-8 at offset 1");
    expect_fail("{\"k\xe2\x82\":1}", RP_EPARSE, 3,
                "json: invalid UTF-8 at offset 3"); /* in a key */
    expect_fail("\"\xc3\xa9\xc3\"", RP_EPARSE, 3, "json: invalid UTF-8 at offset 3");
    /* outside strings a non-ASCII byte is simply unexpected */
    expect_fail("[1,\xff]", RP_EPARSE, 3, "json: unexpected character '\\xff' at offset 3");
    expect_fail("\xef\xbb\xbf[1]", RP_EPARSE, 0,
                "json: unexpected character '\\xef' at offset 0"); /* no BOM */
}

static void test_json_malformed_exact_offsets(void **state)
{
    (void)state;
    expect_fail("", RP_EPARSE, 0, "json: unexpected end of input at offset 0");
    expect_fail(" \n\t", RP_EPARSE, 3, "json: unexpected end of input at offset 3");
    expect_fail("[1,]", RP_EPARSE, 3, "json: unexpected character ']' at offset 3");
    expect_fail("{\"a\":1,}", RP_EPARSE, 7, "json: unexpected character '}' at offset 7");
    expect_fail("[1 2]", RP_EPARSE, 3, "json: unexpected character '2' at offset 3");
    expect_fail("[1] x", RP_EPARSE, 4, "json: trailing content at offset 4");
    expect_fail("{} {}", RP_EPARSE, 3, "json: trailing content at offset 3");
    expect_fail_n("[1]\0", 4, RP_EPARSE, 3, "json: trailing content at offset 3");
    expect_fail("{\"a\" 1}", RP_EPARSE, 5, "json: unexpected character '1' at offset 5");
    expect_fail("{1:2}", RP_EPARSE, 1, "json: unexpected character '1' at offset 1");
    expect_fail("{\"a\":1 \"b\":2}", RP_EPARSE, 7, "json: unexpected character '\"' at offset 7");
    expect_fail("[1}", RP_EPARSE, 2, "json: unexpected character '}' at offset 2");
    expect_fail("{\"a\":1]", RP_EPARSE, 6, "json: unexpected character ']' at offset 6");
    expect_fail("[", RP_EPARSE, 1, "json: unexpected end of input at offset 1");
    expect_fail("{\"a\":", RP_EPARSE, 5, "json: unexpected end of input at offset 5");
    expect_fail("[[1], ", RP_EPARSE, 6, "json: unexpected end of input at offset 6");
    expect_fail("tru", RP_EPARSE, 0, "json: invalid literal at offset 0");
    expect_fail("[nul]", RP_EPARSE, 1, "json: invalid literal at offset 1");
    expect_fail("[True]", RP_EPARSE, 1, "json: unexpected character 'T' at offset 1");
    expect_fail("[truex]", RP_EPARSE, 5, "json: unexpected character 'x' at offset 5");
    expect_fail("nan", RP_EPARSE, 0, "json: invalid literal at offset 0");
    expect_fail("01", RP_EPARSE, 0, "json: invalid number at offset 0");
    expect_fail("[1.]", RP_EPARSE, 1, "json: invalid number at offset 1");
    expect_fail("[-]", RP_EPARSE, 1, "json: invalid number at offset 1");
    expect_fail("1e", RP_EPARSE, 0, "json: invalid number at offset 0");
    expect_fail("[2019-01-01]", RP_EPARSE, 1, "json: invalid number at offset 1");
    expect_fail(".5", RP_EPARSE, 0, "json: unexpected character '.' at offset 0");
    expect_fail("+1", RP_EPARSE, 0, "json: unexpected character '+' at offset 0");
    expect_fail("{'a':1}", RP_EPARSE, 1, "json: unexpected character ''' at offset 1");
    expect_fail("[\x01]", RP_EPARSE, 1, "json: unexpected character '\\x01' at offset 1");
    expect_fail("{\"a\":[1,{\"b\":nope}]}", RP_EPARSE, 13, "json: invalid literal at offset 13");
    /* a failed parse leaves the parser usable */
    assert_int_equal(rp_json_type(parse_ok("[1]")), RP_JSON_ARRAY);
}

/* Depth is the number of containers around a value; an empty container adds no level. */
static void test_json_depth_limit_elimit(void **state)
{
    (void)state;
    char doc[2 * RP_MAX_JSON_DEPTH + 8];
    const size_t d = RP_MAX_JSON_DEPTH;
    struct rp_json_val v;
    memset(doc, '[', d); /* d arrays around a 1: depth d, accepted */
    doc[d] = '1';
    memset(doc + d + 1, ']', d);
    v = parse_n(doc, 2 * d + 1);
    assert_int_equal(rp_json_type(v), RP_JSON_ARRAY);
    memset(doc, '[', d + 1); /* d + 1 arrays, the innermost empty: depth d, accepted */
    memset(doc + d + 1, ']', d + 1);
    v = parse_n(doc, 2 * d + 2);
    assert_int_equal(rp_json_type(v), RP_JSON_ARRAY);
    memset(doc, '[', d + 1); /* d + 1 arrays around a 1: the 1 is too deep */
    doc[d + 1] = '1';
    memset(doc + d + 2, ']', d + 1);
    expect_fail_n(doc, 2 * d + 3, RP_ELIMIT, d + 1,
                  "json: nesting deeper than the limit of 256 at offset 257");
    memset(doc, '[', d + 2); /* d + 2 arrays: the innermost is too deep */
    memset(doc + d + 2, ']', d + 2);
    expect_fail_n(doc, 2 * d + 4, RP_ELIMIT, d + 1,
                  "json: nesting deeper than the limit of 256 at offset 257");

    struct rp_json_parser *p = rp_json_parser_new();
    struct rp_errbuf eb;
    assert_non_null(p);
    rp_json_parser_set_max_depth(p, 2);
    assert_int_equal(rp_json_parse(p, "{\"a\":[1]}", 9, &v, &eb), RP_OK);
    assert_int_equal(rp_json_parse(p, "{\"a\":[{}]}", 10, &v, &eb), RP_OK);
    assert_int_equal(rp_json_parse(p, "{\"a\":[{\"b\":1}]}", 15, &v, &eb), RP_ELIMIT);
    assert_string_equal(eb.msg, "json: nesting deeper than the limit of 2 at offset 11");
    assert_int_equal(rp_json_parser_err_offset(p), 11);
    assert_int_equal(rp_json_type(v), RP_JSON_NONE);
    /* raising the limit takes effect on the next parse */
    rp_json_parser_set_max_depth(p, 3);
    assert_int_equal(rp_json_parse(p, "{\"a\":[{\"b\":1}]}", 15, &v, &eb), RP_OK);
    rp_json_parser_set_max_depth(p, 0); /* back to the default */
    assert_int_equal(rp_json_parse(p, doc, 2 * d + 4, &v, &eb), RP_ELIMIT);
    assert_int_equal(rp_json_parse(p, doc + 1, 2 * d + 2, &v, &eb), RP_OK);
    rp_json_parser_free(p);
    /* the validator alone takes a depth too */
    size_t off;
    assert_int_equal(rp_json_validate("[[[1]]]", 7, 2, &off, &eb), RP_ELIMIT);
    assert_int_equal(off, 3);
    assert_int_equal(rp_json_validate("[[[]]]", 6, 1, &off, &eb), RP_ELIMIT);
    assert_int_equal(off, 2);
    assert_int_equal(rp_json_validate("[[[]]]", 6, 2, &off, &eb), RP_OK);
    assert_int_equal(off, SIZE_MAX);
}

static void test_json_size_limit_elimit(void **state)
{
    (void)state;
    struct rp_json_parser *p = rp_json_parser_new();
    struct rp_json_val v;
    struct rp_errbuf eb;
    assert_non_null(p);
    rp_json_parser_set_max_bytes(p, 8);
    assert_int_equal(rp_json_parse(p, "[1,2,3] ", 8, &v, &eb), RP_OK);
    assert_int_equal(rp_json_parse(p, "[1,2,3,4]", 9, &v, &eb), RP_ELIMIT);
    assert_string_equal(eb.msg, "json: document of 9 bytes is over the size limit of 8");
    assert_int_equal(rp_json_parser_err_offset(p), SIZE_MAX);
    assert_int_equal(rp_json_type(v), RP_JSON_NONE);
    /* the size check comes first, even for garbage */
    assert_int_equal(rp_json_parse(p, "xxxxxxxxxxxx", 12, &v, &eb), RP_ELIMIT);
    rp_json_parser_set_max_bytes(p, 0);
    assert_int_equal(rp_json_parse(p, "[1,2,3,4]", 9, &v, &eb), RP_OK);
    rp_json_parser_free(p);
}

/* ---- reader: buffers, lifetime, reuse ---------------------------------------------------- */

static void test_json_padded_buf_parses_without_copy(void **state)
{
    (void)state;
    struct rp_buf b;
    struct rp_json_val v;
    struct rp_errbuf eb;
    struct rp_str s;
    rp_buf_init(&b, 0);
    assert_int_equal(rp_json_parse_buf(P, &b, &v, &eb), RP_EPARSE); /* empty */
    assert_int_equal(rp_json_parser_err_offset(P), 0);
    assert_int_equal(rp_buf_append_str(&b, "{\"a\":\"b\"}"), RP_OK);
    assert_int_equal(rp_json_parse_buf(P, &b, &v, &eb), RP_OK);
    assert_int_equal(rp_json_obj_get_str(v, "a", &s), RP_OK);
    assert_true(rp_str_eq_cstr(s, "b"));
    /* a sub-range of an rp_buf is padded too */
    assert_int_equal(rp_json_parse_padded(P, b.data + 5, 3, &v, &eb), RP_OK);
    assert_int_equal(rp_json_get_str(v, &s), RP_OK);
    assert_true(rp_str_eq_cstr(s, "b"));
    /* strings live in the parser: the input can go away */
    rp_buf_release(&b);
    assert_int_equal(rp_buf_append_str(&b, "[\"kept\"]"), RP_OK);
    assert_int_equal(rp_json_parse_buf(P, &b, &v, &eb), RP_OK);
    rp_buf_release(&b);
    assert_int_equal(rp_json_arr_at(v, 0, &v), RP_OK);
    assert_str(v, "kept", 4);
}

/* An exact-size heap buffer: any read past its end is an ASan error, so this pins that
 * unpadded input is copied. */
static void test_json_unpadded_input_is_copied(void **state)
{
    (void)state;
    static const char text[] = "{\"k\":[1,2,3],\"s\":\"tail\"}";
    size_t n = sizeof(text) - 1;
    char *exact = malloc(n);
    struct rp_json_val v;
    struct rp_errbuf eb;
    struct rp_str s;
    assert_non_null(exact);
    memcpy(exact, text, n);
    assert_int_equal(rp_json_parse(P, exact, n, &v, &eb), RP_OK);
    free(exact);
    assert_int_equal(rp_json_obj_get_str(v, "s", &s), RP_OK);
    assert_true(rp_str_eq_cstr(s, "tail"));
}

static void test_json_parser_reuse_many_documents(void **state)
{
    (void)state;
    char doc[128];
    for (int i = 0; i < 20000; i++) {
        struct rp_json_val v;
        struct rp_errbuf eb;
        int n = snprintf(doc, sizeof(doc), "{\"i\":%d,\"s\":\"v%d\",\"a\":[%d,{}]}", i, i, i);
        if (i % 1000 == 999) {
            /* an occasional bad document does not disturb the next ones */
            assert_int_equal(rp_json_parse(P, doc, (size_t)n - 1, &v, &eb), RP_EPARSE);
            assert_int_equal(rp_json_parser_err_offset(P), (size_t)n - 1);
            continue;
        }
        assert_int_equal(rp_json_parse(P, doc, (size_t)n, &v, &eb), RP_OK);
        int64_t got = -1;
        struct rp_str s;
        char want[16];
        assert_int_equal(rp_json_obj_get_i64(v, "i", &got), RP_OK);
        assert_int_equal(got, i);
        assert_int_equal(rp_json_obj_get_str(v, "s", &s), RP_OK);
        snprintf(want, sizeof(want), "v%d", i);
        assert_true(rp_str_eq_cstr(s, want));
    }
    /* a big document then a small one on the same parser */
    struct rp_buf big;
    struct rp_json_val v;
    struct rp_errbuf eb;
    rp_buf_init(&big, 0);
    assert_int_equal(rp_buf_putc(&big, '['), RP_OK);
    for (int i = 0; i < 100000; i++)
        assert_int_equal(rp_buf_printf(&big, "%s\"%d\"", i ? "," : "", i), RP_OK);
    assert_int_equal(rp_buf_putc(&big, ']'), RP_OK);
    assert_int_equal(rp_json_parse_buf(P, &big, &v, &eb), RP_OK);
    assert_int_equal(rp_json_len(v), 100000);
    rp_buf_release(&big);
    assert_int_equal(rp_json_type(parse_ok("true")), RP_JSON_BOOL);
}

/* simdjson's element count saturates at 2^24 - 1; rp_json_len counts past it. */
static void test_json_len_past_count_saturation(void **state)
{
    (void)state;
    const size_t n = (1u << 24) + 3;
    struct rp_buf b;
    struct rp_json_val v;
    struct rp_errbuf eb;
    rp_buf_init(&b, 0);
    assert_int_equal(rp_buf_reserve(&b, 2 * n + 2), RP_OK);
    b.data[0] = '[';
    for (size_t i = 0; i < n; i++) {
        b.data[1 + 2 * i] = '0';
        b.data[2 + 2 * i] = ',';
    }
    b.data[2 * n] = ']';
    b.len = 2 * n + 1;
    b.data[b.len] = '\0';
    assert_int_equal(rp_json_parse_buf(P, &b, &v, &eb), RP_OK);
    assert_int_equal(rp_json_len(v), n);
    rp_buf_release(&b);
}

/* ---- serialization ----------------------------------------------------------------------- */

static void test_json_serialize_round_trip(void **state)
{
    (void)state;
    static const char in[] =
        "{ \"s\" : \"a\\\"b\\\\c\\u0000d\\u00e9\\ud83d\\ude00\\/\\u001f\" , \"i\": -42,"
        " \"u\": 18446744073709551615, \"d\": 1.5, \"e\": 1E2, \"z\": -0.0, \"t\": true,"
        " \"f\": false, \"n\": null, \"a\": [ 1, [ ], { }, [ [ \"x\" ] ] ],"
        " \"o\": { \"k\": { \"k2\": [ 0.1 ] } }, \"k\\n\": 0 }";
    static const char want[] =
        "{\"s\":\"a\\\"b\\\\c\\u0000d\xc3\xa9\xf0\x9f\x98\x80/\\u001f\",\"i\":-42,"
        "\"u\":18446744073709551615,\"d\":1.5,\"e\":100.0,\"z\":-0.0,\"t\":true,"
        "\"f\":false,\"n\":null,\"a\":[1,[],{},[[\"x\"]]],\"o\":{\"k\":{\"k2\":[0.1]}},"
        "\"k\\n\":0}";
    struct rp_buf once, twice;
    rp_buf_init(&once, 0);
    rp_buf_init(&twice, 0);
    assert_int_equal(rp_json_serialize(parse_ok(in), &once), RP_OK);
    ASSERT_BUF(&once, want);
    /* the output re-parses to the same thing: a fixed point */
    assert_int_equal(rp_json_serialize(parse_n(once.data, once.len), &twice), RP_OK);
    assert_buf(&twice, once.data, once.len);
    /* scalars and empty containers serialize alone too */
    rp_buf_reset(&once);
    assert_int_equal(rp_json_serialize(parse_ok(" \"\\u2028\" "), &once), RP_OK);
    ASSERT_BUF(&once, "\"\xe2\x80\xa8\"");
    rp_buf_reset(&once);
    assert_int_equal(rp_json_serialize(parse_ok(" [ ] "), &once), RP_OK);
    ASSERT_BUF(&once, "[]");
    struct rp_json_val none = {NULL, 0};
    assert_int_equal(rp_json_serialize(none, &once), RP_EINVAL);
    ASSERT_BUF(&once, "[]");
    rp_buf_release(&once);
    rp_buf_release(&twice);
}

static void test_json_serialize_nested_member(void **state)
{
    (void)state;
    struct rp_json_val root =
        parse_ok("{\"eventName\":\"PutObject\",\"requestParameters\":{\"bucketName\":\"b\","
                 "\"key\":\"k/\\u00e9\",\"acl\":[\"x\",{\"y\":null}]},\"n\":1}");
    struct rp_json_val rq;
    struct rp_buf b;
    struct rp_json_writer w;
    assert_int_equal(rp_json_obj_get(root, "requestParameters", &rq), RP_OK);
    rp_buf_init(&b, 0);
    assert_int_equal(rp_json_serialize(rq, &b), RP_OK);
    ASSERT_BUF(&b, "{\"bucketName\":\"b\",\"key\":\"k/\xc3\xa9\",\"acl\":[\"x\",{\"y\":null}]}");
    rp_buf_release(&b);
    /* embedded in a bigger document through the writer */
    rp_json_writer_init(&w, &b);
    rp_json_write_obj_begin(&w);
    rp_json_write_kv_cstr(&w, "name", "PutObject");
    rp_json_write_key(&w, "req", 3);
    rp_json_write_val(&w, rq);
    rp_json_write_key(&w, "arr", 3);
    rp_json_write_arr_begin(&w);
    rp_json_write_val(&w, rq);
    rp_json_write_arr_end(&w);
    rp_json_write_obj_end(&w);
    assert_int_equal(rp_json_writer_finish(&w), RP_OK);
    ASSERT_BUF(&b, "{\"name\":\"PutObject\",\"req\":{\"bucketName\":\"b\",\"key\":\"k/\xc3\xa9\","
                   "\"acl\":[\"x\",{\"y\":null}]},\"arr\":[{\"bucketName\":\"b\",\"key\":"
                   "\"k/\xc3\xa9\",\"acl\":[\"x\",{\"y\":null}]}]}");
    rp_buf_release(&b);
    /* a value where a key is due is refused */
    rp_json_writer_init(&w, &b);
    rp_json_write_obj_begin(&w);
    rp_json_write_val(&w, rq);
    assert_int_equal(rp_json_writer_finish(&w), RP_EINVAL);
    rp_buf_release(&b);
}

static void test_json_serialize_capped_buffer_elimit(void **state)
{
    (void)state;
    struct rp_json_val root = parse_ok("{\"k\":\"0123456789abcdef\"}");
    struct rp_buf b;
    rp_buf_init(&b, 20);
    assert_int_equal(rp_buf_append_str(&b, "pre"), RP_OK);
    assert_int_equal(rp_json_serialize(root, &b), RP_ELIMIT);
    ASSERT_BUF(&b, "pre"); /* unchanged */
    rp_buf_release(&b);
    rp_buf_init(&b, 25);
    assert_int_equal(rp_json_serialize(root, &b), RP_OK);
    ASSERT_BUF(&b, "{\"k\":\"0123456789abcdef\"}");
    rp_buf_release(&b);
}

/* ---- JSON Lines -------------------------------------------------------------------------- */

static void check_lines(const char *data, size_t len, bool padded)
{
    struct rp_json_lines jl;
    struct rp_json_val v;
    struct rp_errbuf eb;
    int64_t n = 0;
    rp_json_lines_init(&jl, data, len, padded);
    assert_int_equal(rp_json_lines_next(&jl, P, &v, &eb), RP_OK);
    assert_int_equal(jl.lineno, 1);
    assert_int_equal(rp_json_obj_get_i64(v, "n", &n), RP_OK);
    assert_int_equal(n, 1);
    assert_int_equal(rp_json_lines_next(&jl, P, &v, &eb), RP_OK); /* blank lines skipped */
    assert_int_equal(jl.lineno, 4);
    assert_int_equal(jl.line_start, 13);
    assert_int_equal(rp_json_obj_get_i64(v, "n", &n), RP_OK);
    assert_int_equal(n, 2);
    assert_int_equal(rp_json_lines_next(&jl, P, &v, &eb), RP_EPARSE);
    assert_int_equal(jl.lineno, 5);
    assert_int_equal(jl.line_start, 22);
    assert_int_equal(rp_json_parser_err_offset(P), 5); /* relative to the line */
    assert_string_equal(eb.msg, "json: unexpected character '}' at offset 5");
    assert_int_equal(rp_json_lines_next(&jl, P, &v, &eb), RP_OK); /* and we carry on */
    assert_int_equal(jl.lineno, 6);
    assert_int_equal(rp_json_arr_at(v, 0, &v), RP_OK);
    assert_int_equal(rp_json_get_i64(v, &n), RP_OK);
    assert_int_equal(n, 3);
    assert_int_equal(rp_json_lines_next(&jl, P, &v, &eb), RP_OK); /* last line, no newline */
    assert_int_equal(jl.lineno, 7);
    assert_int_equal(rp_json_obj_get_i64(v, "n", &n), RP_OK);
    assert_int_equal(n, 4);
    assert_int_equal(rp_json_lines_next(&jl, P, &v, &eb), RP_ENOENT);
    assert_int_equal(rp_json_lines_next(&jl, P, &v, &eb), RP_ENOENT);
    assert_int_equal(rp_json_type(v), RP_JSON_NONE);
}

static void test_json_lines_padded_and_unpadded(void **state)
{
    (void)state;
    static const char text[] = "{\"n\":1}\n\n \t\r\n{\"n\":2}\r\n{\"n\":}\n[3]\n{\"n\":4}";
    size_t n = sizeof(text) - 1;
    struct rp_buf b;
    rp_buf_init(&b, 0);
    assert_int_equal(rp_buf_append(&b, text, n), RP_OK);
    check_lines(b.data, b.len, true);
    rp_buf_release(&b);
    char *exact = malloc(n); /* unpadded: ASan catches any read past the end */
    assert_non_null(exact);
    memcpy(exact, text, n);
    check_lines(exact, n, false);
    free(exact);
    /* empty and blank-only inputs have no documents */
    struct rp_json_lines jl;
    struct rp_json_val v;
    rp_json_lines_init(&jl, "", 0, false);
    assert_int_equal(rp_json_lines_next(&jl, P, &v, NULL), RP_ENOENT);
    rp_json_lines_init(&jl, "\n  \n\n", 5, false);
    assert_int_equal(rp_json_lines_next(&jl, P, &v, NULL), RP_ENOENT);
    assert_int_equal(jl.lineno, 3);
}

static void test_json_validate_standalone(void **state)
{
    (void)state;
    static const char *const good[] = {
        "0",
        "-0",
        "-0.0e-0",
        "1E+2",
        "[]",
        "{}",
        " [ 1 , { \"a\" : [ ] } ] ",
        "\"\\ud83d\\ude00\"",
        "18446744073709551615",
        "-9223372036854775808",
        "1e-400",
        "true",
        "false",
        "null",
        "\"\xf4\x8f\xbf\xbf\"",
        "\"\x7f\"",
    };
    for (size_t i = 0; i < RP_ARRAY_LEN(good); i++) {
        size_t off = 0;
        if (rp_json_validate(good[i], strlen(good[i]), 0, &off, NULL) != RP_OK)
            fail_msg("'%s' should validate", good[i]);
        assert_int_equal(off, SIZE_MAX);
        parse_ok(good[i]); /* and simdjson agrees */
    }
    struct rp_errbuf eb;
    assert_int_equal(rp_json_validate("[1,,2]", 6, 0, NULL, &eb), RP_EPARSE);
    assert_string_equal(eb.msg, "json: unexpected character ',' at offset 3");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_writer_nested_separators),
        cmocka_unit_test(test_json_writer_toplevel_values_are_json_lines),
        cmocka_unit_test(test_json_writer_escaping_byte_exact),
        cmocka_unit_test(test_json_writer_keys_are_escaped),
        cmocka_unit_test(test_json_writer_invalid_utf8_becomes_fffd),
        cmocka_unit_test(test_json_writer_numbers),
        cmocka_unit_test(test_json_writer_double_round_trips),
        cmocka_unit_test(test_json_writer_raw_and_kv_helpers),
        cmocka_unit_test(test_json_writer_misuse_is_sticky_einval),
        cmocka_unit_test(test_json_writer_elimit_on_capped_buffer),
        cmocka_unit_test(test_json_writer_depth_limit),
        cmocka_unit_test(test_json_types_of_every_kind),
        cmocka_unit_test(test_json_obj_lookup),
        cmocka_unit_test(test_json_obj_iteration_order),
        cmocka_unit_test(test_json_arr_iteration_and_index),
        cmocka_unit_test(test_json_typed_getter_mismatches),
        cmocka_unit_test(test_json_big_integers),
        cmocka_unit_test(test_json_doubles),
        cmocka_unit_test(test_json_string_escapes_decoded),
        cmocka_unit_test(test_json_string_errors_exact_offsets),
        cmocka_unit_test(test_json_invalid_utf8_exact_offsets),
        cmocka_unit_test(test_json_malformed_exact_offsets),
        cmocka_unit_test(test_json_depth_limit_elimit),
        cmocka_unit_test(test_json_size_limit_elimit),
        cmocka_unit_test(test_json_padded_buf_parses_without_copy),
        cmocka_unit_test(test_json_unpadded_input_is_copied),
        cmocka_unit_test(test_json_parser_reuse_many_documents),
        cmocka_unit_test(test_json_len_past_count_saturation),
        cmocka_unit_test(test_json_serialize_round_trip),
        cmocka_unit_test(test_json_serialize_nested_member),
        cmocka_unit_test(test_json_serialize_capped_buffer_elimit),
        cmocka_unit_test(test_json_lines_padded_and_unpadded),
        cmocka_unit_test(test_json_validate_standalone),
    };
    return cmocka_run_group_tests_name("core_json", tests, setup, teardown);
}
