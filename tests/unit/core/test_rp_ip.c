/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for core/rp_ip: address parse/format (RFC 5952 compression), malformed input,
 * IPv4-mapped handling, classification, CIDR parse/format/contains with host bits, and the
 * CIDR set: nested longest-prefix match, family separation, duplicates, and a cross-check of
 * many random prefixes against a brute-force linear scan (fixed seed). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/rp_ip.h"

static struct rp_ip ip_of(const char *s)
{
    struct rp_ip ip;
    struct rp_errbuf eb = {0};
    if (rp_ip_parse(rp_str_from(s), &ip, &eb)) fail_msg("parse '%s': %s", s, eb.msg);
    return ip;
}

static struct rp_cidr cidr_of(const char *s)
{
    struct rp_cidr c;
    struct rp_errbuf eb = {0};
    if (rp_cidr_parse(rp_str_from(s), &c, NULL, &eb)) fail_msg("parse '%s': %s", s, eb.msg);
    return c;
}

static void assert_formats(const char *in, const char *want)
{
    char buf[RP_IP_STRBUFSZ];
    struct rp_ip ip = ip_of(in);
    assert_int_equal(rp_ip_format(&ip, buf, sizeof buf), RP_OK);
    if (strcmp(buf, want) != 0) fail_msg("'%s' formats as '%s', want '%s'", in, buf, want);
    /* and the canonical text parses back to the same address */
    struct rp_ip back = ip_of(buf);
    assert_true(rp_ip_eq(&ip, &back));
}

static void test_ip_parse_format_roundtrip(void **state)
{
    (void)state;
    assert_formats("10.0.0.1", "10.0.0.1");
    assert_formats("0.0.0.0", "0.0.0.0");
    assert_formats("255.255.255.255", "255.255.255.255");
    assert_formats("172.31.16.139", "172.31.16.139");
    /* RFC 5952 section 4 */
    assert_formats("2001:0db8::0001", "2001:db8::1");
    assert_formats("2001:db8:0:0:0:0:2:1", "2001:db8::2:1");
    assert_formats("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"); /* one 0 stays */
    assert_formats("2001:0:0:1:0:0:0:1", "2001:0:0:1::1");          /* longest run */
    assert_formats("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1");    /* first of equal runs */
    assert_formats("2001:DB8::ABCD", "2001:db8::abcd");             /* lower case */
    assert_formats("::", "::");
    assert_formats("::1", "::1");
    assert_formats("1::", "1::");
    assert_formats("1:0:0:0:0:0:0:0", "1::");
    assert_formats("0:0:0:0:0:0:0:1", "::1");
    assert_formats("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8");
    assert_formats("fe80::1:2", "fe80::1:2");
    assert_formats("1:0:2:0:3:0:4:0", "1:0:2:0:3:0:4:0");
    /* mapped addresses end in dotted IPv4; other embeddings do not */
    assert_formats("::ffff:1.2.3.4", "::ffff:1.2.3.4");
    assert_formats("::FFFF:0102:0304", "::ffff:1.2.3.4");
    assert_formats("::ffff:0.0.0.0", "::ffff:0.0.0.0");
    assert_formats("::1.2.3.4", "::102:304");
    assert_formats("64:ff9b::1.2.3.4", "64:ff9b::102:304");
    assert_formats("1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:102:304");
    assert_formats("fd00:ec2::254", "fd00:ec2::254");

    char small[8];
    struct rp_ip ip = ip_of("2001:db8::1");
    assert_int_equal(rp_ip_format(&ip, small, sizeof small), RP_ELIMIT);
    assert_string_equal(small, "");
    ip = ip_of("1.2.3.4");
    assert_int_equal(rp_ip_format(&ip, small, 7), RP_ELIMIT); /* needs 8 */
    char fits[8];
    assert_int_equal(rp_ip_format(&ip, fits, sizeof fits), RP_OK);
    ip.family = 5;
    assert_int_equal(rp_ip_format(&ip, fits, sizeof fits), RP_EINVAL);
    /* the longest possible text fits RP_IP_STRBUFSZ */
    char buf[RP_IP_STRBUFSZ];
    ip = ip_of("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
    assert_int_equal(rp_ip_format(&ip, buf, sizeof buf), RP_OK);
    ip = ip_of("::ffff:255.255.255.255");
    assert_int_equal(rp_ip_format(&ip, buf, sizeof buf), RP_OK);
}

static void test_ip_parse_rejects_malformed(void **state)
{
    (void)state;
    static const char *bad[] = {
        "",
        "1",
        "1.2.3",
        "1.2.3.4.5",
        "256.0.0.1",
        "1.2.3.-1",
        "01.2.3.4",
        "1.2.3.04",
        "0x1.2.3.4",
        " 1.2.3.4",
        "1.2.3.4 ",
        "1.2.3.4/32",
        "1.2.3.4:80",
        "1::2::3",
        ":",
        ":::",
        "[::1]",
        "::1%eth0",
        "fe80::1%1",
        "12345::",
        "1:2:3:4:5:6:7:8:9",
        "gggg::",
        "::ffff:1.2.3",
        "::ffff:256.1.1.1",
        "1.2.3.4\n",
        "localhost",
        "0000:0000:0000:0000:0000:0000:0000:0000:0000:0000", /* longer than any address */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct rp_ip ip;
        struct rp_errbuf eb = {0};
        if (rp_ip_parse(rp_str_from(bad[i]), &ip, &eb) != RP_EPARSE)
            fail_msg("accepted '%s'", bad[i]);
        assert_true(strncmp(eb.msg, "ip: ", 4) == 0);
    }
    struct rp_ip ip;
    struct rp_errbuf eb;
    assert_int_equal(rp_ip_parse(rp_str_from("10.0.0.256"), &ip, &eb), RP_EPARSE);
    assert_string_equal(eb.msg, "ip: bad IPv4 address '10.0.0.256'");
    assert_int_equal(rp_ip_parse(rp_str_from("2001:db8:::1"), &ip, &eb), RP_EPARSE);
    assert_string_equal(eb.msg, "ip: bad IPv6 address '2001:db8:::1'");
    assert_int_equal(rp_ip_parse(rp_str_from(""), &ip, &eb), RP_EPARSE);
    assert_string_equal(eb.msg, "ip: empty address");
    /* an embedded NUL must not end the text early */
    struct rp_str nul = {"1.2.3.4\0junk", 12};
    assert_int_equal(rp_ip_parse(nul, &ip, &eb), RP_EPARSE);
    assert_string_equal(eb.msg, "ip: NUL byte in address");
    assert_int_equal(rp_ip_parse(rp_str_from("1.2.3.4.5"), &ip, NULL), RP_EPARSE);
}

/* The text is a slice: bytes after len are never read. */
static void test_ip_parse_respects_slice_length(void **state)
{
    (void)state;
    struct rp_ip ip, want = ip_of("10.0.0.1");
    struct rp_str s = {"10.0.0.123 next", 8};
    assert_int_equal(rp_ip_parse(s, &ip, NULL), RP_OK);
    assert_true(rp_ip_eq(&ip, &want));
    struct rp_str v6 = {"2001:db8::1]:443", 11};
    want = ip_of("2001:db8::1");
    assert_int_equal(rp_ip_parse(v6, &ip, NULL), RP_OK);
    assert_true(rp_ip_eq(&ip, &want));
}

static void test_ip_values_compare_and_mapping(void **state)
{
    (void)state;
    struct rp_ip a, b;
    rp_ip_from_v4(&a, 0x0a000001);
    b = ip_of("10.0.0.1");
    assert_true(rp_ip_eq(&a, &b));
    assert_memory_equal(&a, &b, sizeof a); /* unused bytes are zero */
    assert_int_equal(rp_ip_v4_value(&b), 0x0a000001);
    assert_int_equal(sizeof(struct rp_ip), 17);

    struct rp_ip lo = ip_of("9.255.255.255"), v6 = ip_of("::"), v6b = ip_of("::1");
    assert_true(rp_ip_cmp(&lo, &a) < 0);
    assert_true(rp_ip_cmp(&a, &lo) > 0);
    assert_true(rp_ip_cmp(&a, &v6) < 0); /* IPv4 sorts first */
    assert_true(rp_ip_cmp(&v6, &v6b) < 0);
    assert_int_equal(rp_ip_cmp(&v6, &v6), 0);

    const uint8_t raw[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1};
    rp_ip_from_v6(&b, raw);
    struct rp_ip c = ip_of("2001:db8::1");
    assert_true(rp_ip_eq(&b, &c));
    assert_int_equal(rp_ip_v4_value(&b), 0);

    struct rp_ip m = ip_of("::ffff:10.0.0.1"), u;
    assert_true(rp_ip_is_v4_mapped(&m));
    assert_false(rp_ip_is_v4_mapped(&a));
    assert_false(rp_ip_is_v4_mapped(&c));
    assert_false(rp_ip_eq(&m, &a)); /* raw comparison keeps them apart */
    rp_ip_unmap(&m, &u);
    assert_true(rp_ip_eq(&u, &a));
    rp_ip_unmap(&c, &u);
    assert_true(rp_ip_eq(&u, &c));
    rp_ip_unmap(&m, &m); /* in place */
    assert_true(rp_ip_eq(&m, &a));
}

struct cls {
    const char *ip;
    bool priv, loop, link, meta, mcast, unspec, doc, pub;
};

static void test_ip_classification(void **state)
{
    (void)state;
    static const struct cls t[] = {
        /* ip                  priv   loop   link   meta   mcast  unspec doc    public */
        {"10.1.2.3", true, false, false, false, false, false, false, false},
        {"172.16.0.1", true, false, false, false, false, false, false, false},
        {"172.31.255.255", true, false, false, false, false, false, false, false},
        {"172.32.0.1", false, false, false, false, false, false, false, true},
        {"172.15.255.255", false, false, false, false, false, false, false, true},
        {"192.168.1.1", true, false, false, false, false, false, false, false},
        {"100.64.0.1", true, false, false, false, false, false, false, false},
        {"100.127.255.255", true, false, false, false, false, false, false, false},
        {"100.128.0.0", false, false, false, false, false, false, false, true},
        {"127.0.0.1", false, true, false, false, false, false, false, false},
        {"127.255.255.254", false, true, false, false, false, false, false, false},
        {"169.254.169.254", false, false, true, true, false, false, false, false},
        {"169.254.169.123", false, false, true, false, false, false, false, false},
        {"224.0.0.251", false, false, false, false, true, false, false, false},
        {"239.255.255.250", false, false, false, false, true, false, false, false},
        {"0.0.0.0", false, false, false, false, false, true, false, false},
        {"0.1.2.3", false, false, false, false, false, false, false, false},
        {"192.0.2.10", false, false, false, false, false, false, true, false},
        {"198.51.100.7", false, false, false, false, false, false, true, false},
        {"203.0.113.99", false, false, false, false, false, false, true, false},
        {"198.18.0.1", false, false, false, false, false, false, false, false},
        {"240.0.0.1", false, false, false, false, false, false, false, false},
        {"255.255.255.255", false, false, false, false, false, false, false, false},
        {"8.8.8.8", false, false, false, false, false, false, false, true},
        {"52.94.76.10", false, false, false, false, false, false, false, true},
        {"fd12:3456::1", true, false, false, false, false, false, false, false},
        {"fc00::1", true, false, false, false, false, false, false, false},
        {"fd00:ec2::254", true, false, false, true, false, false, false, false},
        {"fd00:ec2::253", true, false, false, false, false, false, false, false},
        {"::1", false, true, false, false, false, false, false, false},
        {"fe80::1", false, false, true, false, false, false, false, false},
        {"febf::1", false, false, true, false, false, false, false, false},
        {"fec0::1", false, false, false, false, false, false, false, false},
        {"ff02::1", false, false, false, false, true, false, false, false},
        {"::", false, false, false, false, false, true, false, false},
        {"2001:db8::1", false, false, false, false, false, false, true, false},
        {"3fff:0fff::1", false, false, false, false, false, false, true, false},
        {"3fff:1000::1", false, false, false, false, false, false, false, true},
        {"2600:1f18::1", false, false, false, false, false, false, false, true},
        {"2001:4860:4860::8888", false, false, false, false, false, false, false, true},
        {"2001::1", false, false, false, false, false, false, false, false},
        {"2002:c000:0204::1", false, false, false, false, false, false, false, false},
        {"4000::1", false, false, false, false, false, false, false, false},
        {"64:ff9b::8.8.8.8", false, false, false, false, false, false, false, true},
        {"64:ff9b::10.0.0.1", false, false, false, false, false, false, false, false},
        /* mapped addresses are classified as their IPv4 address */
        {"::ffff:10.0.0.1", true, false, false, false, false, false, false, false},
        {"::ffff:127.0.0.1", false, true, false, false, false, false, false, false},
        {"::ffff:169.254.169.254", false, false, true, true, false, false, false, false},
        {"::ffff:8.8.8.8", false, false, false, false, false, false, false, true},
        {"::ffff:0.0.0.0", false, false, false, false, false, true, false, false},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        struct rp_ip ip = ip_of(t[i].ip);
        bool got[8] = {rp_ip_is_private(&ip),       rp_ip_is_loopback(&ip),
                       rp_ip_is_link_local(&ip),    rp_ip_is_metadata(&ip),
                       rp_ip_is_multicast(&ip),     rp_ip_is_unspecified(&ip),
                       rp_ip_is_documentation(&ip), rp_ip_is_public(&ip)};
        bool want[8] = {t[i].priv,  t[i].loop,   t[i].link, t[i].meta,
                        t[i].mcast, t[i].unspec, t[i].doc,  t[i].pub};
        for (int k = 0; k < 8; k++)
            if (got[k] != want[k]) fail_msg("%s: predicate %d is %d", t[i].ip, k, got[k]);
    }
}

static void assert_cidr(const char *in, const char *want, bool want_host_bits)
{
    struct rp_cidr c;
    bool hb = !want_host_bits;
    char buf[RP_CIDR_STRBUFSZ];
    struct rp_errbuf eb = {0};
    if (rp_cidr_parse(rp_str_from(in), &c, &hb, &eb)) fail_msg("parse '%s': %s", in, eb.msg);
    assert_int_equal(rp_cidr_format(&c, buf, sizeof buf), RP_OK);
    if (strcmp(buf, want) != 0) fail_msg("'%s' -> '%s', want '%s'", in, buf, want);
    assert_int_equal(hb, want_host_bits);
}

static void test_cidr_parse_format_and_host_bits(void **state)
{
    (void)state;
    assert_cidr("10.0.0.0/8", "10.0.0.0/8", false);
    assert_cidr("2001:db8::/32", "2001:db8::/32", false);
    assert_cidr("10.0.0.1", "10.0.0.1/32", false); /* bare address */
    assert_cidr("2001:db8::1", "2001:db8::1/128", false);
    assert_cidr("0.0.0.0/0", "0.0.0.0/0", false);
    assert_cidr("::/0", "::/0", false);
    assert_cidr("10.1.2.3/8", "10.0.0.0/8", true); /* host bits masked off, reported */
    assert_cidr("192.168.1.255/23", "192.168.0.0/23", true);
    assert_cidr("192.168.1.255/32", "192.168.1.255/32", false);
    assert_cidr("1.2.3.4/0", "0.0.0.0/0", true);
    assert_cidr("2001:db8:ffff::1/33", "2001:db8:8000::/33", true);
    assert_cidr("2001:db8::1/127", "2001:db8::/127", true);
    assert_cidr("::ffff:10.1.0.0/104", "::ffff:10.0.0.0/104", true);

    static const char *bad[] = {
        "",
        "/8",
        "10.0.0.0/",
        "10.0.0.0/33",
        "10.0.0.0/08",
        "10.0.0.0/-1",
        "10.0.0.0/+8",
        "10.0.0.0/ 8",
        "10.0.0.0 /8",
        "10.0.0.0/8 ",
        "10.0.0.0/8/8",
        "10.0.0.0/1000",
        "::/129",
        "10.0.0/8",
        "10.0.0.0/a",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct rp_cidr c;
        struct rp_errbuf eb = {0};
        if (rp_cidr_parse(rp_str_from(bad[i]), &c, NULL, &eb) != RP_EPARSE)
            fail_msg("accepted '%s'", bad[i]);
    }
    struct rp_cidr c;
    struct rp_errbuf eb;
    assert_int_equal(rp_cidr_parse(rp_str_from("10.0.0.0/33"), &c, NULL, &eb), RP_EPARSE);
    assert_string_equal(eb.msg, "cidr: bad prefix length '33' at 9 (0..32)");
    assert_int_equal(rp_cidr_parse(rp_str_from("2001:db8::/129"), &c, NULL, &eb), RP_EPARSE);
    assert_string_equal(eb.msg, "cidr: bad prefix length '129' at 11 (0..128)");
    /* slice: bytes past len are not part of the length */
    struct rp_str s = {"10.0.0.0/8123", 10};
    assert_int_equal(rp_cidr_parse(s, &c, NULL, &eb), RP_OK);
    assert_int_equal(c.len, 8);

    struct rp_ip ip = ip_of("10.9.8.7");
    bool hb;
    assert_int_equal(rp_cidr_from_ip(&ip, 24, &c, &hb), RP_OK);
    char buf[RP_CIDR_STRBUFSZ];
    assert_int_equal(rp_cidr_format(&c, buf, sizeof buf), RP_OK);
    assert_string_equal(buf, "10.9.8.0/24");
    assert_true(hb);
    assert_int_equal(rp_cidr_from_ip(&ip, 33, &c, &hb), RP_EINVAL);
    assert_int_equal(rp_cidr_format(&c, buf, 5), RP_ELIMIT);
    assert_string_equal(buf, "");
    c = cidr_of("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128");
    assert_int_equal(rp_cidr_format(&c, buf, sizeof buf), RP_OK);
    c = cidr_of("::ffff:255.255.255.255/128");
    assert_int_equal(rp_cidr_format(&c, buf, sizeof buf), RP_OK);
}

static bool contains(const char *cidr, const char *ip)
{
    struct rp_cidr c = cidr_of(cidr);
    struct rp_ip a = ip_of(ip);
    return rp_cidr_contains(&c, &a);
}

static void test_cidr_contains_families_and_mapping(void **state)
{
    (void)state;
    assert_true(contains("10.0.0.0/8", "10.255.255.255"));
    assert_false(contains("10.0.0.0/8", "11.0.0.0"));
    assert_false(contains("10.0.0.0/8", "9.255.255.255"));
    assert_true(contains("0.0.0.0/0", "255.255.255.255"));
    assert_true(contains("1.2.3.4/32", "1.2.3.4"));
    assert_false(contains("1.2.3.4/32", "1.2.3.5"));
    assert_true(contains("2001:db8::/32", "2001:db8:ffff::1"));
    assert_false(contains("2001:db8::/32", "2001:db9::1"));
    assert_true(contains("2001:db8::1/128", "2001:db8::1"));
    assert_true(contains("2001:db8::/127", "2001:db8::1"));
    assert_false(contains("2001:db8::/128", "2001:db8::1"));
    assert_true(contains("2001:db8:0:0:8000::/65", "2001:db8::8000:0:0:1"));
    assert_false(contains("2001:db8:0:0:8000::/65", "2001:db8::7fff:0:0:1"));
    /* families are separate */
    assert_false(contains("0.0.0.0/0", "::"));
    assert_false(contains("0.0.0.0/0", "2001:db8::1"));
    assert_false(contains("::/0", "1.2.3.4"));
    assert_false(contains("::/0", "::ffff:1.2.3.4"));
    assert_true(contains("::/0", "::1.2.3.4"));
    /* mapped addresses and mapped prefixes are IPv4 */
    assert_true(contains("10.0.0.0/8", "::ffff:10.1.2.3"));
    assert_true(contains("::ffff:10.0.0.0/104", "10.1.2.3"));
    assert_true(contains("::ffff:10.0.0.0/104", "::ffff:10.1.2.3"));
    assert_false(contains("::ffff:10.0.0.0/104", "11.1.2.3"));
    assert_true(contains("::ffff:0:0/96", "8.8.8.8"));
    assert_false(contains("::ffff:0:0/95", "8.8.8.8"));
    struct rp_cidr bad = cidr_of("10.0.0.0/8");
    struct rp_ip a = ip_of("10.0.0.1");
    bad.len = 33;
    assert_false(rp_cidr_contains(&bad, &a));
}

static struct rp_cidr_set *set_of(const char *const *prefixes, size_t n)
{
    struct rp_cidr_set *s = rp_cidr_set_new();
    assert_non_null(s);
    for (size_t i = 0; i < n; i++) {
        struct rp_cidr c = cidr_of(prefixes[i]);
        assert_int_equal(rp_cidr_set_insert(s, &c, (uint32_t)(i + 1)), RP_OK);
    }
    return s;
}

/* Looks ip up; returns the value (0 = no match) and checks the reported prefix. */
static uint32_t lpm(const struct rp_cidr_set *s, const char *ip, const char *want_match)
{
    struct rp_ip a = ip_of(ip);
    uint32_t v = 12345;
    struct rp_cidr m;
    char buf[RP_CIDR_STRBUFSZ];
    if (!rp_cidr_set_lookup(s, &a, &v, &m)) {
        if (want_match) fail_msg("%s: no match, want %s", ip, want_match);
        assert_int_equal(v, 12345); /* untouched */
        return 0;
    }
    assert_int_equal(rp_cidr_format(&m, buf, sizeof buf), RP_OK);
    if (!want_match || strcmp(buf, want_match) != 0)
        fail_msg("%s: matched %s, want %s", ip, buf, want_match ? want_match : "none");
    uint32_t v2 = 0;
    assert_true(rp_cidr_set_lookup(s, &a, &v2, NULL)); /* out-params are optional */
    assert_true(rp_cidr_set_lookup(s, &a, NULL, NULL));
    assert_int_equal(v, v2);
    return v;
}

static void test_cidr_set_nested_longest_prefix(void **state)
{
    (void)state;
    static const char *const p[] = {
        "10.1.2.0/24", "0.0.0.0/0", "10.1.2.3/32", "10.0.0.0/8", "10.1.0.0/16", "10.1.2.128/25",
    };
    struct rp_cidr_set *s = set_of(p, RP_ARRAY_LEN(p));
    assert_int_equal(rp_cidr_set_count(s), 6);
    assert_int_equal(lpm(s, "10.1.2.3", "10.1.2.3/32"), 3);
    assert_int_equal(lpm(s, "10.1.2.4", "10.1.2.0/24"), 1);
    assert_int_equal(lpm(s, "10.1.2.200", "10.1.2.128/25"), 6);
    assert_int_equal(lpm(s, "10.1.3.4", "10.1.0.0/16"), 5);
    assert_int_equal(lpm(s, "10.2.0.0", "10.0.0.0/8"), 4);
    assert_int_equal(lpm(s, "11.0.0.0", "0.0.0.0/0"), 2);
    assert_int_equal(lpm(s, "255.255.255.255", "0.0.0.0/0"), 2);
    /* IPv6 is a separate family: nothing matches */
    assert_int_equal(lpm(s, "::", NULL), 0);
    assert_int_equal(lpm(s, "2001:db8::1", NULL), 0);
    /* a mapped address is IPv4 */
    assert_int_equal(lpm(s, "::ffff:10.1.2.3", "10.1.2.3/32"), 3);
    assert_int_equal(lpm(s, "::ffff:9.9.9.9", "0.0.0.0/0"), 2);
    assert_true(rp_cidr_set_memory(s) > 0);
    rp_cidr_set_free(s);
    rp_cidr_set_free(NULL);
}

static void test_cidr_set_ipv6_and_separation(void **state)
{
    (void)state;
    static const char *const p[] = {
        "2001:db8::/32",
        "2001:db8:1::/48",
        "2001:db8:1:2::/64",
        "2001:db8:1:2::1/128",
        "::/0",
        "10.0.0.0/8",
        "2001:db8:1:2:8000::/65",
        "::ffff:192.168.0.0/112", /* stored as 192.168.0.0/16 */
        "2001:db8:1:2::/127",
    };
    struct rp_cidr_set *s = set_of(p, RP_ARRAY_LEN(p));
    assert_int_equal(lpm(s, "2001:db8:1:2::1", "2001:db8:1:2::1/128"), 4);
    assert_int_equal(lpm(s, "2001:db8:1:2::", "2001:db8:1:2::/127"), 9);
    assert_int_equal(lpm(s, "2001:db8:1:2::2", "2001:db8:1:2::/64"), 3);
    assert_int_equal(lpm(s, "2001:db8:1:2:8000::5", "2001:db8:1:2:8000::/65"), 7);
    assert_int_equal(lpm(s, "2001:db8:1:3::1", "2001:db8:1::/48"), 2);
    assert_int_equal(lpm(s, "2001:db8:2::1", "2001:db8::/32"), 1);
    assert_int_equal(lpm(s, "2001:db9::1", "::/0"), 5);
    assert_int_equal(lpm(s, "::1", "::/0"), 5);
    /* ::/0 holds no IPv4 (or mapped) address, 10/8 no IPv6 one */
    assert_int_equal(lpm(s, "10.1.1.1", "10.0.0.0/8"), 6);
    assert_int_equal(lpm(s, "11.1.1.1", NULL), 0);
    assert_int_equal(lpm(s, "::ffff:11.1.1.1", NULL), 0);
    assert_int_equal(lpm(s, "::a01:101", "::/0"), 5); /* IPv4-compatible is plain IPv6 */
    /* the mapped prefix was stored as IPv4 and reports itself that way */
    assert_int_equal(lpm(s, "192.168.4.5", "192.168.0.0/16"), 8);
    assert_int_equal(lpm(s, "::ffff:192.168.4.5", "192.168.0.0/16"), 8);
    rp_cidr_set_free(s);
}

static void test_cidr_set_duplicates_last_value_wins(void **state)
{
    (void)state;
    struct rp_cidr_set *s = rp_cidr_set_new();
    assert_non_null(s);
    struct rp_cidr a = cidr_of("10.0.0.0/8"), b = cidr_of("10.1.2.3/8"),
                   c = cidr_of("::ffff:10.0.0.0/104"), d = cidr_of("203.0.113.7/32"),
                   e = cidr_of("2001:db8::/32"), f = cidr_of("10.1.0.0/16");
    assert_int_equal(rp_cidr_set_insert(s, &a, 1), RP_OK);
    assert_int_equal(rp_cidr_set_insert(s, &b, 2), RP_OK); /* same prefix once masked */
    assert_int_equal(rp_cidr_set_insert(s, &c, 3), RP_OK); /* same prefix once unmapped */
    assert_int_equal(rp_cidr_set_count(s), 1);
    assert_int_equal(lpm(s, "10.9.9.9", "10.0.0.0/8"), 3);
    assert_int_equal(rp_cidr_set_insert(s, &d, 4), RP_OK);
    assert_int_equal(rp_cidr_set_insert(s, &d, 5), RP_OK);
    assert_int_equal(rp_cidr_set_insert(s, &e, 6), RP_OK);
    assert_int_equal(rp_cidr_set_insert(s, &e, 7), RP_OK);
    assert_int_equal(rp_cidr_set_insert(s, &f, 8), RP_OK);
    assert_int_equal(rp_cidr_set_insert(s, &f, 9), RP_OK);
    assert_int_equal(rp_cidr_set_count(s), 4);
    assert_int_equal(lpm(s, "203.0.113.7", "203.0.113.7/32"), 5);
    assert_int_equal(lpm(s, "2001:db8::7", "2001:db8::/32"), 7);
    assert_int_equal(lpm(s, "10.1.9.9", "10.1.0.0/16"), 9);
    /* a glue node created between two prefixes later becomes a real prefix */
    struct rp_cidr g1 = cidr_of("20.0.0.0/24"), g2 = cidr_of("20.0.1.0/24"),
                   glue = cidr_of("20.0.0.0/23");
    assert_int_equal(rp_cidr_set_insert(s, &g1, 10), RP_OK);
    assert_int_equal(rp_cidr_set_insert(s, &g2, 11), RP_OK);
    assert_int_equal(lpm(s, "20.0.2.1", NULL), 0);
    assert_int_equal(rp_cidr_set_count(s), 6);
    assert_int_equal(rp_cidr_set_insert(s, &glue, 12), RP_OK);
    assert_int_equal(rp_cidr_set_count(s), 7);
    assert_int_equal(lpm(s, "20.0.1.1", "20.0.1.0/24"), 11);
    assert_int_equal(lpm(s, "20.0.0.1", "20.0.0.0/24"), 10);
    /* invalid prefixes */
    struct rp_cidr bad = a;
    bad.len = 33;
    assert_int_equal(rp_cidr_set_insert(s, &bad, 1), RP_EINVAL);
    bad.addr.family = 0;
    bad.len = 8;
    assert_int_equal(rp_cidr_set_insert(s, &bad, 1), RP_EINVAL);
    struct rp_ip junk = {0};
    assert_false(rp_cidr_set_lookup(s, &junk, NULL, NULL));
    assert_int_equal(rp_cidr_set_count(s), 7);
    rp_cidr_set_free(s);
}

static void test_cidr_set_empty(void **state)
{
    (void)state;
    struct rp_cidr_set *s = rp_cidr_set_new();
    assert_non_null(s);
    assert_int_equal(rp_cidr_set_count(s), 0);
    assert_int_equal(lpm(s, "1.2.3.4", NULL), 0);
    assert_int_equal(lpm(s, "::1", NULL), 0);
    rp_cidr_set_free(s);
}

/* ---- randomized cross-check against a linear scan */

static uint64_t rng = 0x243f6a8885a308d3ULL; /* fixed seed */

static uint64_t next_rand(void)
{
    uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

struct entry {
    struct rp_cidr c;
    uint32_t value;
};

/* Canonical form for the linear scan: mapped prefixes of length >= 96 become IPv4. */
static struct rp_cidr canon(struct rp_cidr c)
{
    if (c.addr.family == RP_IP_V6 && c.len >= 96 && rp_ip_is_v4_mapped(&c.addr)) {
        struct rp_ip v4;
        rp_ip_unmap(&c.addr, &v4);
        bool hb;
        assert_int_equal(rp_cidr_from_ip(&v4, c.len - 96u, &c, &hb), RP_OK);
    }
    return c;
}

/* Prefix test written independently of rp_ip.c: whole bytes, then the partial byte. */
static bool covers(const struct rp_cidr *c, const struct rp_ip *ip)
{
    if (c->addr.family != ip->family) return false;
    unsigned full = c->len / 8, rest = c->len % 8;
    if (memcmp(c->addr.b, ip->b, full) != 0) return false;
    return rest == 0 || ((c->addr.b[full] ^ ip->b[full]) & (0xff00 >> rest)) == 0;
}

static bool brute(const struct entry *e, size_t n, const struct rp_ip *query, uint32_t *value,
                  struct rp_cidr *match)
{
    int best = -1;
    struct rp_ip ip;
    rp_ip_unmap(query, &ip);
    for (size_t i = 0; i < n; i++) {
        if (!covers(&e[i].c, &ip)) continue;
        /* longest wins; among equal prefixes the last insert wins */
        if (best < 0 || e[i].c.len >= e[best].c.len) best = (int)i;
    }
    if (best < 0) return false;
    *value = e[best].value;
    *match = e[best].c;
    return true;
}

/* A random address near one of a few bases, so prefixes nest and share paths. */
static struct rp_ip rand_ip(int family)
{
    static const uint8_t bases[4][16] = {
        {10, 1, 2, 3},
        {203, 0, 113, 0},
        {0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 2},
        {0x26, 0x00, 0x1f, 0x18, 0xab, 0xcd},
    };
    struct rp_ip ip;
    memset(&ip, 0, sizeof ip);
    ip.family = (uint8_t)family;
    unsigned nbytes = family == RP_IP_V4 ? 4 : 16;
    uint64_t r = next_rand();
    const uint8_t *base = bases[(family == RP_IP_V4 ? 0 : 2) + (r & 1)];
    unsigned keep = (unsigned)(r >> 8) % (nbytes + 1); /* leading bytes copied from a base */
    for (unsigned i = 0; i < nbytes; i++) ip.b[i] = i < keep ? base[i] : (uint8_t)next_rand();
    if ((r >> 20) % 4 == 0) { /* sometimes flip one bit to diverge mid-byte */
        unsigned bit = (unsigned)(r >> 24) % (nbytes * 8);
        ip.b[bit / 8] ^= (uint8_t)(0x80 >> (bit % 8));
    }
    return ip;
}

static void test_cidr_set_random_matches_linear_scan(void **state)
{
    (void)state;
    enum { NPREFIX = 4000, NQUERY = 25000 };
    struct entry *e = calloc(NPREFIX + 1, sizeof *e); /* +1: a re-insert may end the loop */
    assert_non_null(e);
    struct rp_cidr_set *s = rp_cidr_set_new();
    assert_non_null(s);
    size_t n = 0;
    for (int i = 0; i < NPREFIX; i++) {
        uint64_t r = next_rand();
        int fam = r % 3 == 0 ? RP_IP_V6 : RP_IP_V4;
        struct rp_ip ip = rand_ip(fam);
        unsigned max = fam == RP_IP_V4 ? 32 : 128, len;
        unsigned pick = (unsigned)(r >> 8) % 10;
        if (pick < 3)
            len = max; /* host routes are the common threat-list entry */
        else if (pick < 5)
            len = (unsigned)(r >> 16) % 17; /* short prefixes use the expanded table */
        else
            len = (unsigned)(r >> 16) % (max + 1);
        if (fam == RP_IP_V6 && (r >> 40) % 8 == 0) { /* mapped prefixes join IPv4 */
            struct rp_ip v4 = rand_ip(RP_IP_V4);
            memset(ip.b, 0, 16);
            ip.b[10] = ip.b[11] = 0xff;
            memcpy(ip.b + 12, v4.b, 4);
            len = 96 + (unsigned)(r >> 16) % 33;
        }
        bool hb;
        struct rp_cidr c;
        assert_int_equal(rp_cidr_from_ip(&ip, len, &c, &hb), RP_OK);
        e[n].c = canon(c);
        e[n].value = (uint32_t)(r >> 32);
        n++;
        if (i % 7 == 0 && n > 1) { /* re-insert an earlier prefix with a new value */
            size_t j = (size_t)(next_rand() % (n - 1));
            e[n] = e[j];
            e[n].value = (uint32_t)next_rand();
            n++;
            i++;
        }
    }
    for (size_t i = 0; i < n; i++) {
        /* insert half of the IPv4 ones in their mapped IPv6 spelling */
        struct rp_cidr c = e[i].c;
        if (c.addr.family == RP_IP_V4 && (i & 1)) {
            struct rp_ip m;
            memset(&m, 0, sizeof m);
            m.family = RP_IP_V6;
            m.b[10] = m.b[11] = 0xff;
            memcpy(m.b + 12, c.addr.b, 4);
            c.addr = m;
            c.len = (uint8_t)(c.len + 96);
        }
        assert_int_equal(rp_cidr_set_insert(s, &c, e[i].value), RP_OK);
    }
    /* count = distinct canonical prefixes */
    size_t distinct = 0;
    for (size_t i = 0; i < n; i++) {
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++)
            seen = e[j].c.len == e[i].c.len && rp_ip_eq(&e[j].c.addr, &e[i].c.addr);
        distinct += !seen;
    }
    assert_int_equal(rp_cidr_set_count(s), distinct);

    size_t hits = 0;
    for (int q = 0; q < NQUERY; q++) {
        uint64_t r = next_rand();
        struct rp_ip ip;
        if (r % 2 == 0) { /* inside a random inserted prefix, random host bits */
            const struct rp_cidr *c = &e[(r >> 8) % n].c;
            ip = rand_ip(c->addr.family);
            unsigned max = c->addr.family == RP_IP_V4 ? 32 : 128;
            for (unsigned b = 0; b < c->len && b < max; b++) {
                uint8_t bit = (uint8_t)(0x80 >> (b % 8));
                ip.b[b / 8] = (uint8_t)((ip.b[b / 8] & ~bit) | (c->addr.b[b / 8] & bit));
            }
        } else {
            ip = rand_ip(r % 3 == 1 ? RP_IP_V6 : RP_IP_V4);
        }
        if (ip.family == RP_IP_V4 && (r >> 60) == 0) { /* query some in mapped form */
            struct rp_ip m;
            memset(&m, 0, sizeof m);
            m.family = RP_IP_V6;
            m.b[10] = m.b[11] = 0xff;
            memcpy(m.b + 12, ip.b, 4);
            ip = m;
        }
        uint32_t want = 0, got = 0;
        struct rp_cidr wm, gm;
        bool wf = brute(e, n, &ip, &want, &wm);
        bool gf = rp_cidr_set_lookup(s, &ip, &got, &gm);
        if (wf != gf) {
            char buf[RP_IP_STRBUFSZ];
            assert_int_equal(rp_ip_format(&ip, buf, sizeof buf), RP_OK);
            fail_msg("query %d %s: set says %d, scan says %d", q, buf, gf, wf);
        }
        if (wf) {
            hits++;
            assert_int_equal(got, want);
            assert_int_equal(gm.len, wm.len);
            assert_true(rp_ip_eq(&gm.addr, &wm.addr));
        }
    }
    assert_true(hits > NQUERY / 3); /* the test exercises matches, not only misses */
    rp_cidr_set_free(s);
    free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ip_parse_format_roundtrip),
        cmocka_unit_test(test_ip_parse_rejects_malformed),
        cmocka_unit_test(test_ip_parse_respects_slice_length),
        cmocka_unit_test(test_ip_values_compare_and_mapping),
        cmocka_unit_test(test_ip_classification),
        cmocka_unit_test(test_cidr_parse_format_and_host_bits),
        cmocka_unit_test(test_cidr_contains_families_and_mapping),
        cmocka_unit_test(test_cidr_set_nested_longest_prefix),
        cmocka_unit_test(test_cidr_set_ipv6_and_separation),
        cmocka_unit_test(test_cidr_set_duplicates_last_value_wins),
        cmocka_unit_test(test_cidr_set_empty),
        cmocka_unit_test(test_cidr_set_random_matches_linear_scan),
    };
    return cmocka_run_group_tests_name("core_ip", tests, NULL, NULL);
}
