/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for core/rp_hash: XXH3 64/128 one-shot and incremental, hash-combine, SHA-256
 * one-shot and incremental, hex encode/decode.
 *
 * XXH3 vectors: the input is xxhsum's sanity-check buffer (bytes from a PRIME32/PRIME64
 * generator). The expected values were computed by an independent Python re-implementation of
 * XXH3 and agree with the vectors xxHash's own sanity check lists for the lengths it shares.
 * SHA-256 vectors are FIPS 180-2 / NIST examples. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/rp_hash.h"

#define SANITY_LEN 2367
#define PRIME32    2654435761U
#define PRIME64    11400714785074694797ULL

static uint8_t sanity[SANITY_LEN];

static int setup(void **state)
{
    (void)state;
    uint64_t gen = PRIME32;
    for (size_t i = 0; i < SANITY_LEN; i++) {
        sanity[i] = (uint8_t)(gen >> 56);
        gen *= PRIME64;
    }
    return 0;
}

struct v64 {
    size_t len;
    uint64_t seed;
    uint64_t want;
};

static const struct v64 xxh3_64_vectors[] = {
    {0, 0, 0x2D06800538D394C2ULL},    {0, PRIME64, 0xA8A6B918B2F0364AULL},
    {1, 0, 0xC44BDFF4074EECDBULL},    {1, PRIME64, 0x032BE332DD766EF8ULL},
    {6, 0, 0x27B56A84CD2D7325ULL},    {6, PRIME64, 0x84589C116AB59AB9ULL},
    {12, 0, 0xA713DAF0DFBB77E7ULL},   {12, PRIME64, 0xE7303E1B2336DE0EULL},
    {24, 0, 0xA3FE70BF9D3510EBULL},   {24, PRIME64, 0x850E80FC35BDD690ULL},
    {48, 0, 0x397DA259ECBA1F11ULL},   {48, PRIME64, 0xADC2CBAA44ACC616ULL},
    {80, 0, 0xBCDEFBBB2C47C90AULL},   {80, PRIME64, 0xC6DD0CB699532E73ULL},
    {195, 0, 0xCD94217EE362EC3AULL},  {195, PRIME64, 0xBA68003D370CB3D9ULL},
    {403, 0, 0xCDEB804D65C6DEA4ULL},  {403, PRIME64, 0x6259F6ECFD6443FDULL},
    {512, 0, 0x617E49599013CB6BULL},  {512, PRIME64, 0x3CE457DE14C27708ULL},
    {2048, 0, 0xDD59E2C3A5F038E0ULL}, {2048, PRIME64, 0x66F81670669ABABCULL},
    {2240, 0, 0x6E73A90539CF2948ULL}, {2240, PRIME64, 0x757BA8487D1B5247ULL},
    {2367, 0, 0xCB37AEB9E5D361EDULL}, {2367, PRIME64, 0xD2DB3415B942B42AULL},
};

struct v128 {
    size_t len;
    uint64_t seed;
    uint64_t lo, hi;
};

static const struct v128 xxh3_128_vectors[] = {
    {0, 0, 0x6001C324468D497FULL, 0x99AA06D3014798D8ULL},
    {0, PRIME64, 0xA986DFC5D7605BFEULL, 0x00FEAA732A3CE25EULL},
    {1, 0, 0xC44BDFF4074EECDBULL, 0xA6CD5E9392000F6AULL},
    {1, PRIME64, 0x032BE332DD766EF8ULL, 0x20E49ABCC53B3842ULL},
    {6, 0, 0x3E7039BDDA43CFC6ULL, 0x082AFE0B8162D12AULL},
    {6, PRIME64, 0xC5B54D56038E4E40ULL, 0x014BD95A51CA5DDBULL},
    {12, 0, 0x061A192713F69AD9ULL, 0x6E3EFD8FC7802B18ULL},
    {12, PRIME64, 0x5D92B5D7190B12D1ULL, 0xFF0D60ACD02ED401ULL},
    {24, 0, 0x1E7044D28B1B901DULL, 0x0CE966E4678D3761ULL},
    {24, PRIME64, 0xC6CBF92A70680B19ULL, 0xD7895DED1F62559DULL},
    {48, 0, 0xF942219AED80F67BULL, 0xA002AC4E5478227EULL},
    {48, PRIME64, 0x3A94D91333ED395AULL, 0xBC689F4C0152FB44ULL},
    {81, 0, 0x5E8BAFB9F95FB803ULL, 0x4952F58181AB0042ULL},
    {81, PRIME64, 0xDC50FEB227515233ULL, 0x941E9469C46EDD08ULL},
    {103, 0, 0x6C8734B7D2DF189BULL, 0x00D0C82E60F68668ULL},
    {103, PRIME64, 0x258C671270A3CE86ULL, 0xD250D2427F132A4CULL},
};

static void test_xxh3_64_known_vectors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof xxh3_64_vectors / sizeof xxh3_64_vectors[0]; i++) {
        const struct v64 *v = &xxh3_64_vectors[i];
        assert_true(rp_hash_xxh3_64(sanity, v->len, v->seed) == v->want);
    }
    assert_true(rp_hash_xxh3_64("abc", 3, 0) == 0x78AF5F94892F3950ULL);
    assert_true(rp_hash_xxh3_64("hello world", 11, 0) == 0xD447B1EA40E6988BULL);
    assert_true(rp_hash_xxh3_64(NULL, 0, 0) == 0x2D06800538D394C2ULL);
}

static void test_xxh3_128_known_vectors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof xxh3_128_vectors / sizeof xxh3_128_vectors[0]; i++) {
        const struct v128 *v = &xxh3_128_vectors[i];
        struct rp_hash128 h = rp_hash_xxh3_128(sanity, v->len, v->seed);
        assert_true(h.lo == v->lo);
        assert_true(h.hi == v->hi);
    }
    struct rp_hash128 h = rp_hash_xxh3_128("abc", 3, 0);
    assert_true(h.hi == 0x06B05AB6733A6185ULL && h.lo == 0x78AF5F94892F3950ULL);
}

/* Every split of the input, and both widths from one state, equal the one-shot values. */
static void test_xxh3_incremental_matches_oneshot(void **state)
{
    (void)state;
    struct rp_hash_xxh3 *st = rp_hash_xxh3_new(PRIME64);
    assert_non_null(st);
    static const size_t lens[] = {0, 1, 17, 240, 241, 1024, SANITY_LEN};
    static const size_t steps[] = {1, 7, 64, 1000};
    for (size_t li = 0; li < sizeof lens / sizeof lens[0]; li++) {
        for (size_t si = 0; si < sizeof steps / sizeof steps[0]; si++) {
            size_t n = lens[li];
            rp_hash_xxh3_reset(st, PRIME64);
            for (size_t off = 0; off < n; off += steps[si]) {
                size_t k = n - off < steps[si] ? n - off : steps[si];
                rp_hash_xxh3_update(st, sanity + off, k);
            }
            assert_true(rp_hash_xxh3_digest64(st) == rp_hash_xxh3_64(sanity, n, PRIME64));
            struct rp_hash128 a = rp_hash_xxh3_digest128(st),
                              b = rp_hash_xxh3_128(sanity, n, PRIME64);
            assert_true(a.lo == b.lo && a.hi == b.hi);
        }
    }
    rp_hash_xxh3_reset(st, 0);
    rp_hash_xxh3_update(st, "ab", 2);
    assert_true(rp_hash_xxh3_digest64(st) != rp_hash_xxh3_64("abc", 3, 0));
    rp_hash_xxh3_update(st, "c", 1); /* digest does not end the message */
    assert_true(rp_hash_xxh3_digest64(st) == 0x78AF5F94892F3950ULL);
    rp_hash_xxh3_free(st);
    rp_hash_xxh3_free(NULL);
}

static void test_hash_combine_is_ordered_and_stable(void **state)
{
    (void)state;
    uint64_t ab = rp_hash_combine(rp_hash_combine(0, 1), 2);
    uint64_t ba = rp_hash_combine(rp_hash_combine(0, 2), 1);
    assert_true(ab != ba);
    assert_true(ab == rp_hash_combine(rp_hash_combine(0, 1), 2));
    /* Defined as XXH3 of the 16 little-endian bytes of h then v. */
    const uint8_t le[16] = {0x01, 0, 0, 0, 0, 0, 0, 0, 0x02, 0, 0, 0, 0, 0, 0, 0};
    assert_true(rp_hash_combine(1, 2) == rp_hash_xxh3_64(le, sizeof le, 0));
}

static void hex_of(const uint8_t d[RP_HASH_SHA256_LEN], char out[RP_HASH_SHA256_HEXSZ])
{
    assert_int_equal(rp_hex_encode(out, RP_HASH_SHA256_HEXSZ, d, RP_HASH_SHA256_LEN), RP_OK);
}

static void test_sha256_known_vectors(void **state)
{
    (void)state;
    uint8_t d[RP_HASH_SHA256_LEN];
    char hex[RP_HASH_SHA256_HEXSZ];
    assert_int_equal(rp_hash_sha256("", 0, d), RP_OK);
    hex_of(d, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assert_int_equal(rp_hash_sha256(NULL, 0, d), RP_OK);
    hex_of(d, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assert_int_equal(rp_hash_sha256_hex("abc", 3, hex), RP_OK);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    assert_int_equal(rp_hash_sha256_hex(two, strlen(two), hex), RP_OK);
    assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

/* One million 'a' fed in uneven pieces (FIPS 180-2 long vector), then state reuse. */
/* RFC 4231 test cases 1, 2 and 6 (a key longer than the block is hashed first) */
static void test_hmac_sha256_rfc4231(void **state)
{
    (void)state;
    uint8_t d[RP_HASH_SHA256_LEN], key[131];
    char hex[RP_HASH_SHA256_HEXSZ];
    memset(key, 0x0b, 20);
    assert_int_equal(rp_hash_hmac_sha256(key, 20, "Hi There", 8, d), RP_OK);
    hex_of(d, hex);
    assert_string_equal(hex, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    assert_int_equal(rp_hash_hmac_sha256("Jefe", 4, "what do ya want for nothing?", 28, d), RP_OK);
    hex_of(d, hex);
    assert_string_equal(hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    memset(key, 0xaa, sizeof key);
    const char *msg = "Test Using Larger Than Block-Size Key - Hash Key First";
    assert_int_equal(rp_hash_hmac_sha256(key, sizeof key, msg, strlen(msg), d), RP_OK);
    hex_of(d, hex);
    assert_string_equal(hex, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

static void test_sha256_incremental_million_a(void **state)
{
    (void)state;
    char chunk[1000];
    uint8_t d[RP_HASH_SHA256_LEN];
    char hex[RP_HASH_SHA256_HEXSZ];
    memset(chunk, 'a', sizeof chunk);
    struct rp_hash_sha256 *st = rp_hash_sha256_new();
    assert_non_null(st);
    size_t left = 1000000, k = 1;
    while (left) {
        size_t n = k < left ? k : left;
        assert_int_equal(rp_hash_sha256_update(st, chunk, n), RP_OK);
        left -= n;
        k = k % 991 + 7; /* uneven sizes, always <= sizeof chunk */
    }
    assert_int_equal(rp_hash_sha256_final(st, d), RP_OK);
    hex_of(d, hex);
    assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    /* final reset the state */
    assert_int_equal(rp_hash_sha256_update(st, "ab", 2), RP_OK);
    assert_int_equal(rp_hash_sha256_update(st, NULL, 0), RP_OK);
    assert_int_equal(rp_hash_sha256_update(st, "c", 1), RP_OK);
    assert_int_equal(rp_hash_sha256_final(st, d), RP_OK);
    hex_of(d, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    /* reset drops what was fed */
    assert_int_equal(rp_hash_sha256_update(st, "junk", 4), RP_OK);
    assert_int_equal(rp_hash_sha256_reset(st), RP_OK);
    assert_int_equal(rp_hash_sha256_final(st, d), RP_OK);
    hex_of(d, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    rp_hash_sha256_free(st);
    rp_hash_sha256_free(NULL);
}

static void test_hex_encode_bounds(void **state)
{
    (void)state;
    char out[8];
    const uint8_t b[] = {0x00, 0xab, 0xff};
    assert_int_equal(rp_hex_encode(out, sizeof out, b, 3), RP_OK);
    assert_string_equal(out, "00abff");
    assert_int_equal(rp_hex_encode(out, 7, b, 3), RP_OK); /* exactly 2n + 1 */
    assert_int_equal(rp_hex_encode(out, 6, b, 3), RP_ELIMIT);
    assert_string_equal(out, "");
    assert_int_equal(rp_hex_encode(out, 1, b, 0), RP_OK);
    assert_string_equal(out, "");
    assert_int_equal(rp_hex_encode(out, 0, b, 0), RP_ELIMIT);
}

static void test_hex_decode_is_strict(void **state)
{
    (void)state;
    uint8_t out[4];
    size_t n = 99;
    struct rp_errbuf eb;
    assert_int_equal(rp_hex_decode(rp_str_from("00aBfF"), out, sizeof out, &n, &eb), RP_OK);
    assert_int_equal(n, 3);
    assert_int_equal(out[0], 0x00);
    assert_int_equal(out[1], 0xab);
    assert_int_equal(out[2], 0xff);
    assert_int_equal(rp_hex_decode(rp_str_from(""), out, 0, &n, &eb), RP_OK);
    assert_int_equal(n, 0);
    assert_int_equal(rp_hex_decode(rp_str_from("abc"), out, sizeof out, &n, &eb), RP_EPARSE);
    assert_string_equal(eb.msg, "hex: odd length 3, expected pairs of digits");
    assert_int_equal(rp_hex_decode(rp_str_from("0g"), out, sizeof out, &n, &eb), RP_EPARSE);
    assert_string_equal(eb.msg, "hex: bad digit 'g' at 1");
    assert_int_equal(rp_hex_decode(rp_str_from("0x00"), out, sizeof out, &n, &eb), RP_EPARSE);
    assert_string_equal(eb.msg, "hex: bad digit 'x' at 1");
    assert_int_equal(rp_hex_decode(rp_str_from(" 0"), out, sizeof out, &n, &eb), RP_EPARSE);
    assert_int_equal(rp_hex_decode((struct rp_str){"0\n", 2}, out, sizeof out, &n, &eb), RP_EPARSE);
    assert_string_equal(eb.msg, "hex: bad byte 0x0a at 1");
    assert_int_equal(rp_hex_decode(rp_str_from("0011223344"), out, sizeof out, &n, &eb), RP_ELIMIT);
    assert_int_equal(rp_hex_decode(rp_str_from("00112233"), out, sizeof out, &n, NULL), RP_OK);
    assert_int_equal(n, 4);
}

static void test_hex_roundtrip_sha256(void **state)
{
    (void)state;
    uint8_t d[RP_HASH_SHA256_LEN], back[RP_HASH_SHA256_LEN];
    char hex[RP_HASH_SHA256_HEXSZ];
    size_t n;
    assert_int_equal(rp_hash_sha256(sanity, SANITY_LEN, d), RP_OK);
    hex_of(d, hex);
    assert_int_equal(rp_hex_decode(rp_str_from(hex), back, sizeof back, &n, NULL), RP_OK);
    assert_int_equal(n, RP_HASH_SHA256_LEN);
    assert_memory_equal(d, back, RP_HASH_SHA256_LEN);
}

/* Random ids: the UUID's shape (version 4, variant 10xx, lower-case hex) and two calls that
 * differ; random bytes fill what is asked, nothing past it. */
static void test_uuid_and_random(void **state)
{
    (void)state;
    char a[37], b[37];
    assert_int_equal(rp_uuid_new(a), RP_OK);
    assert_int_equal(rp_uuid_new(b), RP_OK);
    assert_int_equal(strlen(a), 36);
    assert_string_not_equal(a, b);
    for (size_t i = 0; i < 36; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23)
            assert_int_equal(a[i], '-');
        else
            assert_non_null(strchr("0123456789abcdef", a[i]));
    }
    assert_int_equal(a[14], '4');
    assert_non_null(strchr("89ab", a[19]));
    unsigned char buf[40];
    memset(buf, 0xAA, sizeof buf);
    assert_int_equal(rp_random_fill(buf, 32), RP_OK);
    assert_int_equal(buf[32], 0xAA);
    assert_int_equal(buf[39], 0xAA);
    assert_int_equal(rp_random_fill(buf, 0), RP_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_xxh3_64_known_vectors),
        cmocka_unit_test(test_xxh3_128_known_vectors),
        cmocka_unit_test(test_xxh3_incremental_matches_oneshot),
        cmocka_unit_test(test_hash_combine_is_ordered_and_stable),
        cmocka_unit_test(test_sha256_known_vectors),
        cmocka_unit_test(test_sha256_incremental_million_a),
        cmocka_unit_test(test_hmac_sha256_rfc4231),
        cmocka_unit_test(test_hex_encode_bounds),
        cmocka_unit_test(test_hex_decode_is_strict),
        cmocka_unit_test(test_hex_roundtrip_sha256),
        cmocka_unit_test(test_uuid_and_random),
    };
    return cmocka_run_group_tests_name("core_hash", tests, setup, NULL);
}
