/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of threat intelligence (src/detect/detect_ti*.c): canonical entries, the sets and
 * the lookups detectors call (longest prefix first, every containing prefix, mapped addresses,
 * trusted wins, inactive lists, domains by suffix), the built-in lists and mining ports, each
 * list format over the hand-written fixtures in tests/fixtures/threatintel/ (exact entries
 * stored, exact warnings, exact rejects), format sniffing, GuardDuty's limits, replacing,
 * removing and (de)activating lists, loading active lists into a run and `lookup` verdicts. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/rp_buf.h"
#include "detect/detect_ti_internal.h"
#include "store/store.h"
#include "core/rp_banned.h"

#define FIX RP_FIXTURES_DIR "/threatintel/"
#define T0  1772323200000LL /* 2026-03-01T00:00:00Z */

/* ---- helpers ------------------------------------------------------------------------------ */

struct warns {
    char text[4096];
    size_t n;
};

static void on_warn(void *ctx, const char *msg)
{
    struct warns *w = ctx;
    size_t len = strlen(w->text);
    snprintf(w->text + len, sizeof w->text - len, "%s\n", msg);
    w->n++;
}

static struct rp_store *store_new(void)
{
    struct rp_store *st = NULL;
    struct rp_errbuf eb = {0};
    if (rp_store_new(":memory:", RP_STORE_RDWR, &st, &eb)) fail_msg("store: %s", eb.msg);
    return st;
}

/* Add FIX/file as name; returns the error code, *r and the warnings. */
static rp_err add_file(struct rp_store *st, const char *file, const char *name, const char *kind,
                       const char *format, struct rp_detect_ti_add_result *r, struct warns *w,
                       struct rp_errbuf *eb)
{
    char path[512];
    snprintf(path, sizeof path, "%s%s", FIX, file);
    memset(w, 0, sizeof *w);
    struct rp_detect_ti_add_opts o = {
        .name = name, .kind = kind, .format = format, .now_ms = T0, .warn = on_warn, .warn_ctx = w};
    return rp_detect_ti_add_file(st, path, &o, r, eb);
}

static rp_err add_text(struct rp_store *st, const char *text, const char *name, const char *kind,
                       struct rp_detect_ti_add_result *r, struct warns *w, struct rp_errbuf *eb)
{
    memset(w, 0, sizeof *w);
    struct rp_detect_ti_add_opts o = {
        .name = name, .kind = kind, .now_ms = T0, .warn = on_warn, .warn_ctx = w};
    return rp_detect_ti_add_mem(st, "mem.txt", text, strlen(text), &o, r, eb);
}

/* The stored entries of list name, as one string. */
static const char *entries_of(struct rp_store *st, const char *name, char *buf, size_t n)
{
    struct rp_store_stmt *s = NULL;
    bool row = false;
    buf[0] = '\0';
    assert_int_equal(rp_store_stmt_prepare(st,
                                           "SELECT entries_text FROM threatintel_lists "
                                           "WHERE name = ?1",
                                           &s, NULL),
                     RP_OK);
    assert_int_equal(rp_store_stmt_bind_cstr(s, 1, name, NULL), RP_OK);
    assert_int_equal(rp_store_stmt_step(s, &row, NULL), RP_OK);
    if (row) rp_strlcpy(buf, rp_store_stmt_column_text(s, 0, NULL), n);
    rp_store_stmt_reset(s);
    return buf;
}

struct rejects {
    char text[4096];
};

static rp_err on_reject(const struct rp_store_reject *r, void *ctx)
{
    struct rejects *x = ctx;
    size_t len = strlen(x->text);
    snprintf(x->text + len, sizeof x->text - len, "%s|%s|%lld|%lld|%s|%.*s\n", r->source,
             r->format ? r->format : "-", (long long)r->line, (long long)r->offset, r->reason,
             (int)r->raw_n, (const char *)r->raw);
    return RP_OK;
}

static const char *rejects_of(struct rp_store *st, const char *source, struct rejects *x)
{
    x->text[0] = '\0';
    struct rp_store_reject_filter f = {.source = source};
    assert_int_equal(rp_store_reject_list(st, &f, on_reject, x, NULL), RP_OK);
    return x->text;
}

static struct rp_det_ctx *ctx_new(struct rp_det_ti *ti)
{
    struct rp_det_ctx *dc = NULL;
    struct rp_errbuf eb = {0};
    if (rp_det_ctx_new(NULL, NULL, ti, &dc, &eb)) fail_msg("ctx: %s", eb.msg);
    return dc;
}

static void add(struct rp_det_ti *ti, enum rp_det_ti_kind k, const char *list, const char *entry)
{
    struct rp_errbuf eb = {0};
    if (rp_det_ti_add(ti, k, list, rp_str_from(entry), &eb)) fail_msg("add: %s", eb.msg);
}

/* Hits as "kind:list:name;.." */
static const char *hits_str(const struct rp_det_ti_hit *h, size_t n, char *buf, size_t sz)
{
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(buf);
        snprintf(buf + len, sz - len, "%s:%s:%s;", rp_det_ti_kind_name(h[i].kind), h[i].list,
                 h[i].name);
    }
    return buf;
}

static const char *ip_hits(struct rp_det_ctx *dc, const char *ip, char *buf, size_t sz)
{
    struct rp_det_ti_hit h[8];
    size_t n = rp_det_ti_ip_str(dc, rp_str_from(ip), h, 8);
    return hits_str(h, n, buf, sz);
}

static const char *dom_hits(struct rp_det_ctx *dc, const char *d, char *buf, size_t sz)
{
    struct rp_det_ti_hit h[8];
    size_t n = rp_det_ti_domain(dc, rp_str_from(d), h, 8);
    return hits_str(h, n, buf, sz);
}

/* ---- canonical entries -------------------------------------------------------------------- */

static void test_canon_entries(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
        enum rp_det_ti_entry_type type;
    } ok[] = {
        {"203.0.113.7", "203.0.113.7", RP_TI_ENTRY_IP},
        {"  203.0.113.7\t", "203.0.113.7", RP_TI_ENTRY_IP},
        {"2001:DB8:0:0::1", "2001:db8::1", RP_TI_ENTRY_IP},
        {"::ffff:203.0.113.9", "203.0.113.9", RP_TI_ENTRY_IP},
        {"198.51.100.0/24", "198.51.100.0/24", RP_TI_ENTRY_CIDR},
        {"192.0.2.77/24", "192.0.2.0/24", RP_TI_ENTRY_CIDR},
        {"203.0.113.7/32", "203.0.113.7", RP_TI_ENTRY_IP},
        {"::ffff:198.51.100.0/120", "198.51.100.0/24", RP_TI_ENTRY_CIDR},
        {"2001:db8::/32", "2001:db8::/32", RP_TI_ENTRY_CIDR},
        {"Evil.Example.COM.", "evil.example.com", RP_TI_ENTRY_DOMAIN},
        {"*.phish.example.net", "phish.example.net", RP_TI_ENTRY_DOMAIN},
        {".drop.example", "drop.example", RP_TI_ENTRY_DOMAIN},
        {"xn--80ak6aa92e.com", "xn--80ak6aa92e.com", RP_TI_ENTRY_DOMAIN},
        {"_dmarc.example.com", "_dmarc.example.com", RP_TI_ENTRY_DOMAIN},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        char out[RP_DET_TI_ENTRY_SZ];
        enum rp_det_ti_entry_type t = RP_TI_ENTRY_IP;
        struct rp_errbuf eb = {0};
        if (rp_det_ti_entry_canon(rp_str_from(ok[i].in), out, &t, NULL, &eb))
            fail_msg("'%s': %s", ok[i].in, eb.msg);
        assert_string_equal(out, ok[i].out);
        assert_int_equal(t, ok[i].type);
    }
    bool hb = false;
    char out[RP_DET_TI_ENTRY_SZ];
    assert_int_equal(rp_det_ti_entry_canon(RP_STR_LIT("10.1.2.3/8"), out, NULL, &hb, NULL), RP_OK);
    assert_true(hb);
    assert_string_equal(out, "10.0.0.0/8");
    assert_int_equal(rp_det_ti_entry_canon(RP_STR_LIT("10.0.0.0/8"), out, NULL, &hb, NULL), RP_OK);
    assert_false(hb);

    char longlabel[80], longname[300];
    memset(longlabel, 'a', 64);
    snprintf(longlabel + 64, sizeof longlabel - 64, ".com");
    memset(longname, 'a', 260);
    snprintf(longname + 250, sizeof longname - 250, ".example");
    for (size_t i = 0; i < 250; i += 10) longname[i] = '.';
    longname[0] = 'a';
    static const struct {
        const char *in, *why;
    } bad[] = {
        {"", "empty entry"},
        {"   ", "empty entry"},
        {"10.0.0.0/33", "not a valid CIDR"},
        {"10.0.0.0/08", "not a valid CIDR"},
        {"example.com/24", "not an address, CIDR or domain"},
        {"1.2.3.999", "not an address, CIDR or domain"},
        {"203.0.113.7:80", "not an address, CIDR or domain"},
        {"localhost", "not an address, CIDR or domain"},
        {"bad..example.com", "not an address, CIDR or domain"},
        {"not a domain!", "not an address, CIDR or domain"},
        {"http://example.com/", "not an address, CIDR or domain"},
        {"*.", "not an address, CIDR or domain"},
        {"ex\xc3\xa4mple.com", "not an address, CIDR or domain"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct rp_errbuf eb = {0};
        assert_int_equal(rp_det_ti_entry_canon(rp_str_from(bad[i].in), out, NULL, NULL, &eb),
                         RP_EPARSE);
        assert_string_equal(eb.msg, bad[i].why);
        assert_string_equal(out, "");
    }
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_det_ti_entry_canon(rp_str_from(longlabel), out, NULL, NULL, &eb),
                     RP_EPARSE);
    assert_string_equal(eb.msg, "domain label longer than 63 characters");
    assert_int_equal(rp_det_ti_entry_canon(rp_str_from(longname), out, NULL, NULL, &eb), RP_EPARSE);
    assert_string_equal(eb.msg, "domain longer than 253 characters");
}

static void test_kind_names(void **state)
{
    (void)state;
    for (unsigned k = 0; k < RP_TI__COUNT; k++) {
        enum rp_det_ti_kind back = RP_TI__COUNT;
        assert_string_equal(rp_det_ti_kind_name((enum rp_det_ti_kind)k),
                            rp_detect_ti_kind_names[k]);
        assert_int_equal(rp_det_ti_kind_find(rp_detect_ti_kind_names[k], &back), RP_OK);
        assert_int_equal(back, k);
        assert_true(rp_detect_ti_kind_valid(rp_detect_ti_kind_names[k]));
    }
    assert_null(rp_detect_ti_kind_names[RP_TI__COUNT]);
    assert_null(rp_det_ti_kind_name(RP_TI__COUNT));
    assert_false(rp_detect_ti_kind_valid("Threat"));
    assert_false(rp_detect_ti_kind_valid(NULL));
    enum rp_detect_ti_format f = RP_DETECT_TI_TXT;
    assert_int_equal(rp_detect_ti_format_find("otx_csv", &f, NULL), RP_OK);
    assert_int_equal(f, RP_DETECT_TI_OTX_CSV);
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_detect_ti_format_find("CSV", &f, &eb), RP_EINVAL);
    assert_string_equal(eb.msg, "unknown list format 'CSV' (use TXT, STIX, OTX_CSV, ALIEN_VAULT, "
                                "PROOF_POINT or FIRE_EYE)");
    assert_string_equal(rp_detect_ti_format_name(RP_DETECT_TI_FIRE_EYE), "FIRE_EYE");
    assert_null(rp_detect_ti_format_name(RP_DETECT_TI_FORMAT__COUNT));
}

/* ---- sets and lookups --------------------------------------------------------------------- */

static void test_ip_lookups(void **state)
{
    (void)state;
    struct rp_det_ti *ti = NULL;
    assert_int_equal(rp_det_ti_new(&ti), RP_OK);
    add(ti, RP_TI_THREAT, "custom", "203.0.113.0/24");
    add(ti, RP_TI_THREAT, "custom", "203.0.113.7");
    add(ti, RP_TI_THREAT, "custom", "203.0.113.7"); /* twice on one list: one hit */
    add(ti, RP_TI_TOR, "tor-exits", "203.0.113.7");
    add(ti, RP_TI_MALICIOUS, "feed", "203.0.0.0/16");
    add(ti, RP_TI_MALICIOUS, "feed", "203.0.114.0/23"); /* a sibling: does not hold .113.x */
    add(ti, RP_TI_C2, "c2", "2001:db8:abcd::/48");
    add(ti, RP_TI_C2, "c2", "2001:db8:abcd:1::5");
    add(ti, RP_TI_THREAT, "custom", "0.0.0.0/0");
    add(ti, RP_TI_TRUSTED, "office", "198.51.100.0/28");
    add(ti, RP_TI_THREAT, "custom", "198.51.100.5");
    add(ti, RP_TI_THREAT, "custom", "198.51.100.20");
    struct rp_det_ctx *dc = ctx_new(ti);
    char b[512];
    assert_string_equal(ip_hits(dc, "203.0.113.7", b, sizeof b),
                        "threat:custom:203.0.113.7;tor:tor-exits:203.0.113.7;"
                        "threat:custom:203.0.113.0/24;malicious:feed:203.0.0.0/16;"
                        "threat:custom:0.0.0.0/0;");
    /* the mapped form is the IPv4 address */
    assert_string_equal(ip_hits(dc, "::ffff:203.0.113.7", b, sizeof b),
                        "threat:custom:203.0.113.7;tor:tor-exits:203.0.113.7;"
                        "threat:custom:203.0.113.0/24;malicious:feed:203.0.0.0/16;"
                        "threat:custom:0.0.0.0/0;");
    assert_string_equal(ip_hits(dc, "203.0.115.9", b, sizeof b),
                        "malicious:feed:203.0.114.0/23;malicious:feed:203.0.0.0/16;"
                        "threat:custom:0.0.0.0/0;");
    assert_string_equal(ip_hits(dc, "192.0.2.1", b, sizeof b), "threat:custom:0.0.0.0/0;");
    assert_string_equal(ip_hits(dc, "2001:db8:abcd:1::5", b, sizeof b),
                        "c2:c2:2001:db8:abcd:1::5;c2:c2:2001:db8:abcd::/48;");
    assert_string_equal(ip_hits(dc, "2001:db8:abcd:2::5", b, sizeof b),
                        "c2:c2:2001:db8:abcd::/48;");
    assert_string_equal(ip_hits(dc, "2001:db8:abce::1", b, sizeof b), "");
    /* trusted wins, over the listed address and over 0.0.0.0/0 */
    assert_string_equal(ip_hits(dc, "198.51.100.5", b, sizeof b), "");
    assert_string_equal(ip_hits(dc, "198.51.100.15", b, sizeof b), "");
    assert_string_equal(ip_hits(dc, "198.51.100.20", b, sizeof b),
                        "threat:custom:198.51.100.20;threat:custom:0.0.0.0/0;");
    struct rp_ip ip;
    assert_int_equal(rp_ip_parse(RP_STR_LIT("198.51.100.15"), &ip, NULL), RP_OK);
    assert_true(rp_det_ti_trusted(dc, &ip));
    assert_int_equal(rp_ip_parse(RP_STR_LIT("::ffff:198.51.100.1"), &ip, NULL), RP_OK);
    assert_true(rp_det_ti_trusted(dc, &ip));
    assert_int_equal(rp_ip_parse(RP_STR_LIT("198.51.100.16"), &ip, NULL), RP_OK);
    assert_false(rp_det_ti_trusted(dc, &ip));
    /* max caps the hits, most specific first */
    struct rp_det_ti_hit h[2];
    assert_int_equal(rp_det_ti_ip_str(dc, RP_STR_LIT("203.0.113.7"), h, 2), 2);
    assert_string_equal(hits_str(h, 2, b, sizeof b),
                        "threat:custom:203.0.113.7;tor:tor-exits:203.0.113.7;");
    assert_int_equal(rp_det_ti_ip_str(dc, RP_STR_LIT("203.0.113.7"), h, 0), 0);
    /* a prefix added after lookups (parent links are cached) is found in its place */
    add(ti, RP_TI_PHISHING, "late", "203.0.113.0/25");
    assert_string_equal(ip_hits(dc, "203.0.113.7", b, sizeof b),
                        "threat:custom:203.0.113.7;tor:tor-exits:203.0.113.7;"
                        "phishing:late:203.0.113.0/25;threat:custom:203.0.113.0/24;"
                        "malicious:feed:203.0.0.0/16;threat:custom:0.0.0.0/0;");
    assert_string_equal(ip_hits(dc, "203.0.113.200", b, sizeof b),
                        "threat:custom:203.0.113.0/24;malicious:feed:203.0.0.0/16;"
                        "threat:custom:0.0.0.0/0;");
    /* not addresses */
    assert_int_equal(rp_det_ti_ip_str(dc, RP_STR_LIT("s3.amazonaws.com"), h, 2), 0);
    assert_int_equal(rp_det_ti_ip_str(dc, (struct rp_str){NULL, 0}, h, 2), 0);
    /* a domain on a trusted list is refused */
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_det_ti_add(ti, RP_TI_TRUSTED, "office", RP_STR_LIT("example.com"), &eb),
                     RP_EPARSE);
    assert_string_equal(eb.msg, "threatintel: a trusted IP list holds addresses and CIDRs only: "
                                "'example.com'");
    assert_int_equal(rp_det_ti_add(ti, RP_TI_THREAT, "custom", RP_STR_LIT("1.2.3.999 "), &eb),
                     RP_EPARSE);
    assert_string_equal(eb.msg, "threatintel: not an address, CIDR or domain: '1.2.3.999'");
    rp_det_ctx_free(dc);
    rp_det_ti_free(ti);
}

static void test_no_lists(void **state)
{
    (void)state;
    struct rp_det_ctx *dc = ctx_new(NULL); /* the context's own empty set */
    char b[64];
    struct rp_ip ip;
    assert_int_equal(rp_ip_parse(RP_STR_LIT("203.0.113.7"), &ip, NULL), RP_OK);
    assert_false(rp_det_ti_trusted(dc, &ip));
    assert_string_equal(ip_hits(dc, "203.0.113.7", b, sizeof b), "");
    assert_string_equal(dom_hits(dc, "example.com", b, sizeof b), "");
    rp_det_ctx_free(dc);
}

static void test_domain_lookups(void **state)
{
    (void)state;
    struct rp_det_ti *ti = NULL;
    assert_int_equal(rp_det_ti_new(&ti), RP_OK);
    add(ti, RP_TI_C2, "c2", "evil.example");
    add(ti, RP_TI_PHISHING, "phish", "*.Login.Evil.Example");
    add(ti, RP_TI_THREAT, "custom", "a.login.evil.example.");
    add(ti, RP_TI_DGA, "dga", "x1y2z3.example.net");
    struct rp_det_ctx *dc = ctx_new(ti);
    char b[512];
    assert_string_equal(dom_hits(dc, "evil.example", b, sizeof b), "c2:c2:evil.example;");
    assert_string_equal(dom_hits(dc, "A.LOGIN.evil.example.", b, sizeof b),
                        "threat:custom:a.login.evil.example;phishing:phish:login.evil.example;"
                        "c2:c2:evil.example;");
    assert_string_equal(dom_hits(dc, "b.login.evil.example", b, sizeof b),
                        "phishing:phish:login.evil.example;c2:c2:evil.example;");
    assert_string_equal(dom_hits(dc, "notevil.example", b, sizeof b), "");
    assert_string_equal(dom_hits(dc, "example", b, sizeof b), "");
    assert_string_equal(dom_hits(dc, "evil.example.org", b, sizeof b), "");
    assert_string_equal(dom_hits(dc, "", b, sizeof b), "");
    assert_string_equal(dom_hits(dc, ".", b, sizeof b), "");
    /* a name longer than a domain can be still matches by its suffix */
    char longq[600];
    memset(longq, 'q', sizeof longq);
    for (size_t i = 50; i < 500; i += 50) longq[i] = '.';
    snprintf(longq + 500, sizeof longq - 500, ".x1y2z3.example.net");
    assert_string_equal(dom_hits(dc, longq, b, sizeof b), "dga:dga:x1y2z3.example.net;");
    struct rp_det_ti_hit h[1];
    assert_int_equal(rp_det_ti_domain(dc, RP_STR_LIT("a.login.evil.example"), h, 1), 1);
    assert_string_equal(h[0].list, "custom");
    rp_det_ctx_free(dc);
    rp_det_ti_free(ti);
}

static void test_inactive_and_all_hits(void **state)
{
    (void)state;
    struct rp_det_ti *ti = NULL;
    assert_int_equal(rp_det_ti_new(&ti), RP_OK);
    assert_int_equal(
        rp_det_ti_add_ex(ti, RP_TI_THREAT, "off", false, RP_STR_LIT("203.0.113.7"), NULL, NULL),
        RP_OK);
    assert_int_equal(rp_det_ti_add_ex(ti, RP_TI_TRUSTED, "off-trust", false,
                                      RP_STR_LIT("203.0.113.0/24"), NULL, NULL),
                     RP_OK);
    bool added = false;
    assert_int_equal(
        rp_det_ti_add_ex(ti, RP_TI_THREAT, "on", true, RP_STR_LIT("203.0.113.7"), &added, NULL),
        RP_OK);
    assert_true(added);
    assert_int_equal(
        rp_det_ti_add_ex(ti, RP_TI_THREAT, "on", true, RP_STR_LIT("203.0.113.7/32"), &added, NULL),
        RP_OK);
    assert_false(added);
    assert_int_equal(
        rp_det_ti_add_ex(ti, RP_TI_C2, "off", false, RP_STR_LIT("c2.example"), NULL, NULL), RP_OK);
    struct rp_det_ctx *dc = ctx_new(ti);
    char b[256];
    /* an inactive trusted list does not suppress; inactive entries are not found */
    assert_string_equal(ip_hits(dc, "203.0.113.7", b, sizeof b), "threat:on:203.0.113.7;");
    assert_string_equal(dom_hits(dc, "c2.example", b, sizeof b), "");
    struct rp_det_ti_hit_ex all[8];
    struct rp_ip ip;
    assert_int_equal(rp_ip_parse(RP_STR_LIT("203.0.113.7"), &ip, NULL), RP_OK);
    assert_int_equal(rp_det_ti_hits_all_ip(ti, &ip, all, 8), 3);
    assert_string_equal(all[0].h.list, "off");
    assert_false(all[0].active);
    assert_string_equal(all[1].h.list, "on");
    assert_true(all[1].active);
    assert_string_equal(all[2].h.list, "off-trust");
    assert_string_equal(all[2].h.name, "203.0.113.0/24");
    assert_int_equal(rp_det_ti_hits_all_domain(ti, RP_STR_LIT("x.c2.example"), all, 8), 1);
    assert_false(all[0].active);
    rp_det_ctx_free(dc);
    rp_det_ti_free(ti);
}

static void test_builtin(void **state)
{
    (void)state;
    struct rp_det_ti *ti = NULL;
    assert_int_equal(rp_det_ti_new(&ti), RP_OK);
    struct rp_errbuf eb = {0};
    if (rp_det_ti_load(ti, NULL, &eb)) fail_msg("load: %s", eb.msg);
    struct rp_det_ctx *dc = ctx_new(ti);
    char b[256];
    assert_string_equal(dom_hits(dc, "pool.supportxmr.com.", b, sizeof b),
                        "mining:builtin/mining-pools:supportxmr.com;");
    assert_string_equal(dom_hits(dc, "xmr-eu1.nanopool.org", b, sizeof b),
                        "mining:builtin/mining-pools:nanopool.org;");
    assert_string_equal(dom_hits(dc, "GuardDutyC2ActivityB.com", b, sizeof b),
                        "c2:builtin/guardduty-test-domains:guarddutyc2activityb.com;");
    assert_string_equal(dom_hits(dc, "www.example.com", b, sizeof b), "");
    rp_det_ctx_free(dc);
    rp_det_ti_free(ti);

    assert_true(rp_det_ti_mining_port(3333));
    assert_true(rp_det_ti_mining_port(14444));
    assert_true(rp_det_ti_mining_port(45700));
    assert_true(rp_det_ti_mining_port(2222));
    assert_false(rp_det_ti_mining_port(443));
    assert_false(rp_det_ti_mining_port(22));
    assert_false(rp_det_ti_mining_port(0));
    assert_false(rp_det_ti_mining_port(-1));
    assert_false(rp_det_ti_mining_port(70000));
}

/* ---- formats ------------------------------------------------------------------------------ */

static void test_sniff(void **state)
{
    (void)state;
    static const struct {
        const char *file;
        enum rp_detect_ti_format f;
    } files[] = {
        {"txt_mixed.txt", RP_DETECT_TI_TXT},
        {"txt_crlf.txt", RP_DETECT_TI_TXT},
        {"stix2_bundle.json", RP_DETECT_TI_STIX},
        {"stix1_package.xml", RP_DETECT_TI_STIX},
        {"otx_pulse.csv", RP_DETECT_TI_OTX_CSV},
        {"alienvault_reputation.data", RP_DETECT_TI_ALIEN_VAULT},
        {"proofpoint_et.csv", RP_DETECT_TI_PROOF_POINT},
        {"fireeye_isight.csv", RP_DETECT_TI_FIRE_EYE},
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s%s", FIX, files[i].file);
        FILE *f = fopen(path, "rb");
        assert_non_null(f);
        char buf[8192];
        size_t n = fread(buf, 1, sizeof buf, f);
        fclose(f);
        if (rp_detect_ti_format_sniff(buf, n) != files[i].f)
            fail_msg("%s: sniffed %s", files[i].file,
                     rp_detect_ti_format_name(rp_detect_ti_format_sniff(buf, n)));
    }
    assert_int_equal(rp_detect_ti_format_sniff("", 0), RP_DETECT_TI_TXT);
    assert_int_equal(rp_detect_ti_format_sniff(NULL, 0), RP_DETECT_TI_TXT);
    assert_int_equal(rp_detect_ti_format_sniff("\xef\xbb\xbf  {\"type\":\"bundle\"}", 22),
                     RP_DETECT_TI_STIX);
    assert_int_equal(rp_detect_ti_format_sniff("# c\n10.0.0.0/8#1#2\n", 19),
                     RP_DETECT_TI_ALIEN_VAULT);
    assert_int_equal(rp_detect_ti_format_sniff("evil.example # a comment\n", 25), RP_DETECT_TI_TXT);
    assert_int_equal(rp_detect_ti_format_sniff("203.0.113.1 # scanner\n", 22), RP_DETECT_TI_TXT);
}

static void test_txt(void **state)
{
    (void)state;
    struct rp_store *st = store_new();
    struct rp_detect_ti_add_result r;
    struct warns w;
    struct rp_errbuf eb = {0};
    char buf[2048];
    struct rejects rj;
    if (add_file(st, "txt_mixed.txt", "mixed", NULL, NULL, &r, &w, &eb) != RP_OK)
        fail_msg("add: %s", eb.msg);
    assert_int_equal(r.format, RP_DETECT_TI_TXT);
    assert_string_equal(r.type, "ThreatIntelSet");
    assert_string_equal(r.kind, "threat");
    assert_false(r.replaced);
    assert_true(r.active);
    assert_int_equal(r.entries, 9);
    assert_int_equal(r.duplicates, 1);
    assert_int_equal(r.rejected, 3);
    assert_int_equal(r.ignored, 0);
    assert_string_equal(entries_of(st, "mixed", buf, sizeof buf),
                        "203.0.113.7\n198.51.100.0/24\n192.0.2.0/24\n2001:db8::1\n"
                        "2001:db8:abcd::/48\n203.0.113.9\nevil.example.com\nphish.example.net\n"
                        "c2.example.org\n");
    assert_string_equal(w.text, "'" FIX "txt_mixed.txt' line 6: host bits set in '192.0.2.77/24', "
                                "listed as '192.0.2.0/24'\n"
                                "'" FIX "txt_mixed.txt' line 13: not an address, CIDR or domain: "
                                "'not a domain!'\n"
                                "'" FIX "txt_mixed.txt' line 14: not a valid CIDR: '10.0.0.0/33'\n"
                                "'" FIX "txt_mixed.txt' line 15: not an address, CIDR or domain: "
                                "'1.2.3.999'\n");
    assert_string_equal(rejects_of(st, "threatintel:mixed", &rj),
                        "threatintel:mixed|TXT|13|311|not an address, CIDR or domain: 'not a "
                        "domain!'|not a domain!\n"
                        "threatintel:mixed|TXT|14|325|not a valid CIDR: '10.0.0.0/33'|"
                        "10.0.0.0/33\n"
                        "threatintel:mixed|TXT|15|337|not an address, CIDR or domain: "
                        "'1.2.3.999'|1.2.3.999\n");

    if (add_file(st, "txt_crlf.txt", "crlf", "c2", "txt", &r, &w, &eb) != RP_OK)
        fail_msg("add: %s", eb.msg);
    assert_string_equal(r.kind, "c2");
    assert_string_equal(entries_of(st, "crlf", buf, sizeof buf), "203.0.113.50\nexample.info\n");
    assert_string_equal(w.text, "'" FIX "txt_crlf.txt' line 2: not an address, CIDR or domain: "
                                "'bad_entry'\n");
    assert_string_equal(rejects_of(st, "threatintel:crlf", &rj),
                        "threatintel:crlf|TXT|2|14|not an address, CIDR or domain: 'bad_entry'|"
                        "bad_entry\n");
    rp_store_free(st);
}

static void test_stix2(void **state)
{
    (void)state;
    struct rp_store *st = store_new();
    struct rp_detect_ti_add_result r;
    struct warns w;
    struct rp_errbuf eb = {0};
    char buf[2048];
    struct rejects rj;
    if (add_file(st, "stix2_bundle.json", "stix2", NULL, NULL, &r, &w, &eb) != RP_OK)
        fail_msg("add: %s", eb.msg);
    assert_int_equal(r.format, RP_DETECT_TI_STIX);
    assert_int_equal(r.entries, 9);
    assert_int_equal(r.rejected, 2);
    assert_int_equal(r.ignored, 4);
    assert_string_equal(entries_of(st, "stix2", buf, sizeof buf),
                        "203.0.113.10\n203.0.113.11\n203.0.113.12\nc2.example.org\n"
                        "drop.example.net\n2001:db8::66\n198.51.100.0/24\na.example.com\n"
                        "b.example.com\n");
    assert_string_equal(
        w.text, "'" FIX "stix2_bundle.json': indicator "
                "'indicator--00000000-0000-4000-8000-00000000000a': pattern does not parse: ']' "
                "expected at offset 33: '[ipv4-addr:value = '203.0.113.96''\n"
                "'" FIX "stix2_bundle.json': indicator "
                "'indicator--00000000-0000-4000-8000-00000000000b': not an address, CIDR or "
                "domain: '999.1.1.1'\n"
                "'" FIX "stix2_bundle.json': ignored 1 record: STIX patterns that combine "
                "comparisons with AND or FOLLOWEDBY\n"
                "'" FIX "stix2_bundle.json': ignored 1 record: STIX patterns on objects other "
                "than addresses, domains and URLs (or with operators other than =, IN and "
                "ISSUBSET)\n"
                "'" FIX "stix2_bundle.json': ignored 1 record: revoked STIX indicators\n"
                "'" FIX "stix2_bundle.json': ignored 1 record: STIX indicators whose "
                "pattern_type is not stix\n");
    assert_string_equal(rejects_of(st, "threatintel:stix2", &rj),
                        "threatintel:stix2|STIX|0|-1|indicator "
                        "'indicator--00000000-0000-4000-8000-00000000000a': pattern does not "
                        "parse: ']' expected at offset 33: '[ipv4-addr:value = "
                        "'203.0.113.96''|[ipv4-addr:value = '203.0.113.96'\n"
                        "threatintel:stix2|STIX|0|-1|indicator "
                        "'indicator--00000000-0000-4000-8000-00000000000b': not an address, "
                        "CIDR or domain: '999.1.1.1'|[ipv4-addr:value = '999.1.1.1']\n");
    rp_store_free(st);
}

/* STIX 2 patterns one at a time, through a counting sink. */
struct pat_sink {
    char out[1024];
};

static rp_err ps_entry(void *ctx, struct rp_str v, const struct rp_det_ti_rec *rec,
                       struct rp_errbuf *eb)
{
    (void)rec, (void)eb;
    struct pat_sink *p = ctx;
    size_t n = strlen(p->out);
    snprintf(p->out + n, sizeof p->out - n, "E:%.*s;", (int)v.len, v.p);
    return RP_OK;
}

static rp_err ps_reject(void *ctx, const char *why, const struct rp_det_ti_rec *rec,
                        struct rp_errbuf *eb)
{
    (void)eb;
    struct pat_sink *p = ctx;
    size_t n = strlen(p->out);
    snprintf(p->out + n, sizeof p->out - n, "R:%s: %s;", rec->where ? rec->where : "-", why);
    return RP_OK;
}

static void ps_ignored(void *ctx, const char *why)
{
    struct pat_sink *p = ctx;
    size_t n = strlen(p->out);
    snprintf(p->out + n, sizeof p->out - n, "I:%.12s;", why);
}

static const char *pattern(const char *pat, struct pat_sink *p)
{
    char doc[1024];
    snprintf(doc, sizeof doc, "{\"type\":\"indicator\",\"id\":\"i\",\"pattern\":\"%s\"}", pat);
    p->out[0] = '\0';
    struct rp_det_ti_sink s = {
        .entry = ps_entry, .reject = ps_reject, .ignored = ps_ignored, .ctx = p};
    struct rp_errbuf eb = {0};
    if (rp_det_ti_parse(RP_DETECT_TI_STIX, doc, strlen(doc), &s, &eb))
        fail_msg("parse: %s", eb.msg);
    return p->out;
}

static void test_stix2_patterns(void **state)
{
    (void)state;
    struct pat_sink p;
    assert_string_equal(pattern("[ipv4-addr:value='1.2.3.4']", &p), "E:1.2.3.4;");
    assert_string_equal(pattern("  [ ( ipv4-addr:value = '1.2.3.4' ) OR (domain-name:value = "
                                "'x.example') ]  ",
                                &p),
                        "E:1.2.3.4;E:x.example;");
    assert_string_equal(pattern("[domain-name:value = 'it\\\\'s.example']", &p), "E:it's.example;");
    assert_string_equal(pattern("[url:value = 'https://[2001:db8::1]:8443/a']", &p),
                        "E:2001:db8::1;");
    assert_string_equal(pattern("[url:value = 'evil.example/path']", &p), "E:evil.example;");
    assert_string_equal(pattern("[ipv4-addr:value = '1.2.3.4'] WITHIN 60 SECONDS", &p),
                        "E:1.2.3.4;");
    assert_string_equal(pattern("[ipv4-addr:value = '1.2.3.4'] REPEATS 3 TIMES", &p), "E:1.2.3.4;");
    assert_string_equal(pattern("[ipv4-addr:value = '1.2.3.4'] FOLLOWEDBY [domain-name:value = "
                                "'x.example']",
                                &p),
                        "I:STIX pattern;");
    assert_string_equal(pattern("[ipv4-addr:value != '1.2.3.4']", &p), "I:STIX pattern;");
    assert_string_equal(pattern("[ipv4-addr:value NOT = '1.2.3.4']", &p), "I:STIX pattern;");
    assert_string_equal(pattern("[domain-name:value MATCHES '^evil']", &p), "I:STIX pattern;");
    assert_string_equal(pattern("[EXISTS domain-name:value]", &p), "I:STIX pattern;");
    assert_string_equal(pattern("[ipv4-addr:value = '1.2.3.4' OR file:name = 'x.exe']", &p),
                        "E:1.2.3.4;");
    assert_string_equal(
        pattern("[x509-certificate:extensions.'x'.y[*].z = 'q' OR ipv6-addr:value IN "
                "('2001:db8::1', '2001:db8::2')]",
                &p),
        "E:2001:db8::1;E:2001:db8::2;");
    assert_string_equal(pattern("[ipv4-addr:value = 1]", &p), "I:STIX pattern;");
    assert_string_equal(pattern("[ipv4-addr:value = '1.2.3.4'", &p),
                        "R:indicator 'i': pattern does not parse: ']' expected at offset 28;");
    assert_string_equal(pattern("ipv4-addr:value = '1.2.3.4'", &p),
                        "R:indicator 'i': pattern does not parse: '[' expected at offset 0;");
    assert_string_equal(pattern("[ipv4-addr:value = '1.2.3.4] OR []", &p),
                        "R:indicator 'i': pattern does not parse: unterminated string at offset "
                        "34;");
    assert_string_equal(pattern("[ipv4-addr:value ~ '1']", &p),
                        "R:indicator 'i': pattern does not parse: comparison operator expected at "
                        "offset 17;");
    assert_string_equal(pattern("[ipv4-addr:value = '1.2.3.4'] junk", &p),
                        "R:indicator 'i': pattern does not parse: unexpected text after the "
                        "pattern at offset 30;");
    char deep[600] = "";
    for (int i = 0; i < 70; i++) strncat(deep, "(", sizeof deep - strlen(deep) - 1);
    assert_string_equal(pattern(deep, &p),
                        "R:indicator 'i': pattern does not parse: nested too deeply at offset "
                        "64;");

    /* whole-file problems */
    struct rp_det_ti_sink s = {.entry = ps_entry, .reject = ps_reject, .ctx = &p};
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_det_ti_parse(RP_DETECT_TI_STIX, "{\"type\":", 8, &s, &eb), RP_EPARSE);
    assert_string_equal(eb.msg, "STIX: json: unexpected end of input at offset 8");
    assert_int_equal(rp_det_ti_parse(RP_DETECT_TI_STIX, "{\"type\":\"malware\"}", 18, &s, &eb),
                     RP_EPARSE);
    assert_string_equal(eb.msg, "STIX: JSON that is neither a bundle nor an indicator");
    assert_int_equal(rp_det_ti_parse(RP_DETECT_TI_STIX, "{\"objects\":{}}", 14, &s, &eb),
                     RP_EPARSE);
    assert_string_equal(eb.msg, "STIX: 'objects' is not an array");
    assert_int_equal(rp_det_ti_parse(RP_DETECT_TI_STIX, "1.2.3.4", 7, &s, &eb), RP_EPARSE);
    assert_string_equal(eb.msg, "STIX: neither STIX 2 JSON nor STIX 1 XML");
    assert_int_equal(rp_det_ti_parse(RP_DETECT_TI_STIX, "<html></html>", 13, &s, &eb), RP_EPARSE);
    assert_string_equal(eb.msg, "STIX: XML that is not a STIX 1.x package");
}

static void test_stix1(void **state)
{
    (void)state;
    struct rp_store *st = store_new();
    struct rp_detect_ti_add_result r;
    struct warns w;
    struct rp_errbuf eb = {0};
    char buf[2048];
    struct rejects rj;
    if (add_file(st, "stix1_package.xml", "stix1", NULL, "STIX", &r, &w, &eb) != RP_OK)
        fail_msg("add: %s", eb.msg);
    assert_int_equal(r.entries, 6);
    assert_int_equal(r.rejected, 1);
    assert_int_equal(r.ignored, 2);
    assert_string_equal(entries_of(st, "stix1", buf, sizeof buf),
                        "203.0.113.20\n203.0.113.21\n203.0.113.22\n198.51.100.0/25\n"
                        "bad.example.com\ndrop.example.net\n");
    assert_string_equal(w.text, "'" FIX "stix1_package.xml' line 80: not an address, CIDR or "
                                "domain: '203.0.113.300'\n"
                                "'" FIX "stix1_package.xml': ignored 1 record: STIX 1 e-mail "
                                "addresses\n"
                                "'" FIX "stix1_package.xml': ignored 1 record: STIX 1 values with "
                                "a condition other than Equals\n");
    assert_string_equal(rejects_of(st, "threatintel:stix1", &rj),
                        "threatintel:stix1|STIX|80|4341|not an address, CIDR or domain: "
                        "'203.0.113.300'|203.0.113.300\n");
    rp_store_free(st);
}

static void test_csv_formats(void **state)
{
    (void)state;
    struct rp_store *st = store_new();
    struct rp_detect_ti_add_result r;
    struct warns w;
    struct rp_errbuf eb = {0};
    char buf[2048];
    struct rejects rj;

    if (add_file(st, "otx_pulse.csv", "otx", NULL, NULL, &r, &w, &eb) != RP_OK)
        fail_msg("add: %s", eb.msg);
    assert_int_equal(r.format, RP_DETECT_TI_OTX_CSV);
    assert_int_equal(r.entries, 5);
    assert_int_equal(r.rejected, 2);
    assert_int_equal(r.ignored, 2);
    assert_string_equal(entries_of(st, "otx", buf, sizeof buf),
                        "203.0.113.30\n2001:db8::30\nc2.example.org\nwww.bad.example.com\n"
                        "198.51.100.128/25\n");
    assert_string_equal(w.text, "'" FIX "otx_pulse.csv' line 9: missing indicator: "
                                "'IPv4,,missing'\n"
                                "'" FIX "otx_pulse.csv' line 10: not an address, CIDR or domain: "
                                "'203.0.113.256'\n"
                                "'" FIX "otx_pulse.csv': ignored 2 records: OTX indicators of "
                                "types other than IPv4, IPv6, CIDR, domain and hostname\n");
    assert_string_equal(rejects_of(st, "threatintel:otx", &rj),
                        "threatintel:otx|OTX_CSV|9|288|missing indicator: 'IPv4,,missing'|"
                        "IPv4,,missing\n"
                        "threatintel:otx|OTX_CSV|10|303|not an address, CIDR or domain: "
                        "'203.0.113.256'|IPv4,203.0.113.256,typo\n");

    if (add_file(st, "alienvault_reputation.data", "av", "malicious", NULL, &r, &w, &eb) != RP_OK)
        fail_msg("add: %s", eb.msg);
    assert_int_equal(r.format, RP_DETECT_TI_ALIEN_VAULT);
    assert_int_equal(r.entries, 3);
    assert_int_equal(r.rejected, 1);
    assert_string_equal(entries_of(st, "av", buf, sizeof buf),
                        "203.0.113.40\n203.0.113.41\n203.0.113.42\n");
    assert_string_equal(w.text, "'" FIX "alienvault_reputation.data' line 4: not an address, "
                                "CIDR or domain: 'not-an-ip'\n");

    if (add_file(st, "proofpoint_et.csv", "pp", "c2", NULL, &r, &w, &eb) != RP_OK)
        fail_msg("add: %s", eb.msg);
    assert_int_equal(r.format, RP_DETECT_TI_PROOF_POINT);
    assert_int_equal(r.entries, 2);
    assert_int_equal(r.rejected, 2);
    assert_string_equal(entries_of(st, "pp", buf, sizeof buf), "203.0.113.50\n203.0.113.51\n");
    assert_string_equal(w.text, "'" FIX "proofpoint_et.csv' line 4: missing address or domain: "
                                "',Scanner,10,2026-01-01,2026-02-01,'\n"
                                "'" FIX "proofpoint_et.csv' line 5: not an address, CIDR or "
                                "domain: '203.0.113.500'\n");

    if (add_file(st, "fireeye_isight.csv", "fe", NULL, NULL, &r, &w, &eb) != RP_OK)
        fail_msg("add: %s", eb.msg);
    assert_int_equal(r.format, RP_DETECT_TI_FIRE_EYE);
    assert_int_equal(r.entries, 5);
    assert_int_equal(r.rejected, 1);
    assert_int_equal(r.ignored, 1);
    assert_string_equal(entries_of(st, "fe", buf, sizeof buf),
                        "203.0.113.60\ncc.example.net\n203.0.113.61\nstage.example.net\n"
                        "203.0.113.62\n");
    assert_string_equal(w.text, "'" FIX "fireeye_isight.csv' line 6: not an address, CIDR or "
                                "domain: '203.0.113.999'\n"
                                "'" FIX "fireeye_isight.csv': ignored 1 record: FIRE_EYE rows "
                                "without an ip, domain or url\n");
    /* a FIRE_EYE file without a usable header is refused whole */
    assert_int_equal(add_text(st, "a,b\n1,2\n", "fe2", NULL, &r, &w, &eb), RP_EPARSE);
    struct rp_detect_ti_add_opts o = {.name = "fe2", .format = "FIRE_EYE"};
    assert_int_equal(rp_detect_ti_add_mem(st, "x.csv", "a,b\n1,2\n", 8, &o, &r, &eb), RP_EPARSE);
    assert_string_equal(eb.msg, "threatintel: 'x.csv': FIRE_EYE: the header (line 1) names no "
                                "ip, cidr, domain, hostname or url column");
    /* a broken quote runs to the end of the file: one reject */
    o = (struct rp_detect_ti_add_opts){.name = "otx2", .format = "OTX_CSV"};
    const char *broken = "IPv4,203.0.113.1,ok\nIPv4,\"203.0.113.2,bad\nIPv4,203.0.113.3,x\n";
    assert_int_equal(rp_detect_ti_add_mem(st, "b.csv", broken, strlen(broken), &o, &r, &eb), RP_OK);
    assert_int_equal(r.entries, 1);
    assert_int_equal(r.rejected, 1);
    assert_string_equal(rejects_of(st, "threatintel:otx2", &rj),
                        "threatintel:otx2|OTX_CSV|2|20|unterminated quoted field: "
                        "'IPv4,\"203.0.113.2,bad\nIPv4,203.0.113.3,x\n'|IPv4,\"203.0.113.2,bad\n"
                        "IPv4,203.0.113.3,x\n\n");
    rp_store_free(st);
}

/* ---- the store: limits, replace, remove, status, load, lookup ----------------------------- */

static void test_add_errors(void **state)
{
    (void)state;
    struct rp_store *st = store_new();
    struct rp_detect_ti_add_result r;
    struct warns w;
    struct rp_errbuf eb = {0};
    struct rp_detect_ti_add_opts o = {.name = "bad name"};
    assert_int_equal(rp_detect_ti_add_mem(st, "m", "1.2.3.4\n", 8, &o, &r, &eb), RP_EINVAL);
    assert_string_equal(eb.msg, "threatintel: bad list name 'bad name' (use 1 to 300 letters, "
                                "digits, '.', '_' or '-')");
    o = (struct rp_detect_ti_add_opts){.name = "x", .type = "IPSet", .kind = "tor"};
    assert_int_equal(rp_detect_ti_add_mem(st, "m", "1.2.3.4\n", 8, &o, &r, &eb), RP_EINVAL);
    assert_string_equal(eb.msg, "threatintel: an IPSet is a trusted IP list: its kind is "
                                "'trusted', not 'tor'");
    o = (struct rp_detect_ti_add_opts){.name = "x", .type = "ThreatIntelSet", .kind = "trusted"};
    assert_int_equal(rp_detect_ti_add_mem(st, "m", "1.2.3.4\n", 8, &o, &r, &eb), RP_EINVAL);
    assert_string_equal(eb.msg, "threatintel: a trusted IP list is an IPSet, not a ThreatIntelSet");
    o = (struct rp_detect_ti_add_opts){.name = "x", .type = "Set"};
    assert_int_equal(rp_detect_ti_add_mem(st, "m", "1.2.3.4\n", 8, &o, &r, &eb), RP_EINVAL);
    assert_string_equal(eb.msg,
                        "threatintel: unknown list type 'Set' (use ThreatIntelSet or IPSet)");
    o = (struct rp_detect_ti_add_opts){.name = "x", .kind = "evil"};
    assert_int_equal(rp_detect_ti_add_mem(st, "m", "1.2.3.4\n", 8, &o, &r, &eb), RP_EINVAL);
    o = (struct rp_detect_ti_add_opts){.name = "x", .format = "XML"};
    assert_int_equal(rp_detect_ti_add_mem(st, "m", "1.2.3.4\n", 8, &o, &r, &eb), RP_EINVAL);
    assert_string_equal(eb.msg, "threatintel: unknown list format 'XML' (use TXT, STIX, OTX_CSV, "
                                "ALIEN_VAULT, PROOF_POINT or FIRE_EYE)");
    /* nothing usable */
    assert_int_equal(add_text(st, "# nothing\n\n", "x", NULL, &r, &w, &eb), RP_EPARSE);
    assert_string_equal(eb.msg, "threatintel: 'mem.txt' holds no usable entry");
    assert_int_equal(add_text(st, "nope\n", "x", NULL, &r, &w, &eb), RP_EPARSE);
    assert_string_equal(eb.msg,
                        "threatintel: 'mem.txt' holds no usable entry (every record was rejected)");
    assert_string_equal(w.text, "'mem.txt' line 1: not an address, CIDR or domain: 'nope'\n");
    /* a trusted list takes no domain */
    assert_int_equal(add_text(st, "203.0.113.1\nexample.com\n", "office", "trusted", &r, &w, &eb),
                     RP_OK);
    assert_string_equal(r.type, "IPSet");
    assert_int_equal(r.rejected, 1);
    assert_string_equal(w.text, "'mem.txt' line 2: a trusted IP list holds addresses and CIDRs "
                                "only: 'example.com'\n");
    /* warnings about records stop at max_warnings; one more says how many were not shown */
    memset(&w, 0, sizeof w);
    struct rp_detect_ti_add_opts mo = {
        .name = "many", .warn = on_warn, .warn_ctx = &w, .max_warnings = 2};
    const char *many = "a\nb\n203.0.113.1\nc\nd\ne\n";
    assert_int_equal(rp_detect_ti_add_mem(st, "m.txt", many, strlen(many), &mo, &r, &eb), RP_OK);
    assert_int_equal(r.rejected, 5);
    assert_string_equal(w.text, "'m.txt' line 1: not an address, CIDR or domain: 'a'\n"
                                "'m.txt' line 2: not an address, CIDR or domain: 'b'\n"
                                "'m.txt': 3 more warnings about records not shown (rejected "
                                "records are in 'rampart db rejects --source threatintel:many')\n");
    struct rejects rj;
    assert_int_equal(strlen(rejects_of(st, "threatintel:many", &rj)) > 0, 1);
    /* the file does not exist */
    struct rp_detect_ti_add_opts fo = {.name = "gone"};
    assert_int_equal(rp_detect_ti_add_file(st, FIX "no-such-file.txt", &fo, &r, &eb), RP_ENOENT);
    /* nothing was stored by the failures */
    char buf[64];
    assert_string_equal(entries_of(st, "x", buf, sizeof buf), "");
    rp_store_free(st);
}

static void test_limits(void **state)
{
    (void)state;
    struct rp_store *st = store_new();
    struct rp_detect_ti_add_result r;
    struct warns w;
    struct rp_errbuf eb = {0};
    /* GuardDuty: a trusted list holds at most 2,000 entries */
    struct rp_buf b;
    rp_buf_init(&b, 0);
    for (int i = 0; i < RP_DETECT_TI_MAX_TRUSTED; i++)
        assert_int_equal(rp_buf_printf(&b, "10.%d.%d.1\n", i / 256, i % 256), RP_OK);
    assert_int_equal(add_text(st, b.data, "office", "trusted", &r, &w, &eb), RP_OK);
    assert_int_equal(r.entries, 2000);
    assert_int_equal(rp_buf_printf(&b, "10.200.0.1\n"), RP_OK);
    assert_int_equal(add_text(st, b.data, "office", "trusted", &r, &w, &eb), RP_ELIMIT);
    assert_string_equal(eb.msg, "threatintel: 'mem.txt' has more than 2000 entries, GuardDuty's "
                                "limit for a trusted IP list");
    /* the list that was there stays */
    char buf[64];
    assert_string_equal(entries_of(st, "office", buf, 17), "10.0.0.1\n10.0.1.");
    /* one trusted list */
    assert_int_equal(add_text(st, "203.0.113.1\n", "office2", NULL, &r, &w, &eb), RP_OK);
    struct rp_detect_ti_add_opts o = {.name = "office3", .type = "IPSet"};
    assert_int_equal(rp_detect_ti_add_mem(st, "m", "1.2.3.4\n", 8, &o, &r, &eb), RP_ELIMIT);
    assert_string_equal(eb.msg, "threatintel: the trusted IP list 'office' exists already and "
                                "GuardDuty allows one per account and region: remove it first, or "
                                "add under its name to replace it");
    /* six threat lists (office2 is one); feeds of other kinds do not count */
    for (int i = 0; i < 5; i++) {
        char name[16];
        snprintf(name, sizeof name, "t%d", i);
        assert_int_equal(add_text(st, "203.0.113.1\n", name, NULL, &r, &w, &eb), RP_OK);
    }
    assert_int_equal(add_text(st, "203.0.113.1\n", "tor", "tor", &r, &w, &eb), RP_OK);
    assert_int_equal(add_text(st, "203.0.113.1\n", "t9", "threat", &r, &w, &eb), RP_ELIMIT);
    assert_string_equal(eb.msg, "threatintel: there are 6 threat lists already, GuardDuty's "
                                "limit per account and region: remove one first, or add under an "
                                "existing name to replace it");
    /* replacing one of the six is fine */
    assert_int_equal(add_text(st, "203.0.113.2\n", "t0", NULL, &r, &w, &eb), RP_OK);
    assert_true(r.replaced);
    rp_buf_release(&b);

    /* 35 MB */
    char tmpl[] = "/tmp/rp_ti_big_XXXXXX";
    int fd = mkstemp(tmpl);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, (off_t)RP_DETECT_TI_MAX_FILE_BYTES + 1), 0);
    close(fd);
    o = (struct rp_detect_ti_add_opts){.name = "big"};
    assert_int_equal(rp_detect_ti_add_file(st, tmpl, &o, &r, &eb), RP_ELIMIT);
    char want[256];
    snprintf(want, sizeof want,
             "threatintel: '%s' is larger than 35 MB, GuardDuty's limit for a list file", tmpl);
    assert_string_equal(eb.msg, want);
    unlink(tmpl);
    rp_store_free(st);
}

struct list_rows {
    char text[2048];
};

static rp_err on_list(void *ctx, const struct rp_detect_ti_info *li)
{
    struct list_rows *x = ctx;
    size_t n = strlen(x->text);
    snprintf(x->text + n, sizeof x->text - n, "%s|%s|%s|%s|%s|%lld|%lld|%lld|%lld|%s\n", li->name,
             li->type, li->kind, li->format, li->status, (long long)li->entries,
             (long long)li->rejected, (long long)li->created_ms, (long long)li->updated_ms,
             li->builtin ? "builtin" : li->location);
    return RP_OK;
}

static void test_replace_status_remove(void **state)
{
    (void)state;
    struct rp_store *st = store_new();
    struct rp_detect_ti_add_result r;
    struct warns w;
    struct rp_errbuf eb = {0};
    struct rejects rj;
    struct list_rows lr = {""};
    assert_int_equal(add_text(st, "203.0.113.1\nbad\n", "custom", NULL, &r, &w, &eb), RP_OK);
    assert_int_equal(rp_detect_ti_set_active(st, "custom", false, T0 + 5, NULL, &eb), RP_OK);
    bool changed = true;
    assert_int_equal(rp_detect_ti_set_active(st, "custom", false, T0 + 6, &changed, &eb), RP_OK);
    assert_false(changed);
    /* replacing keeps the status and the creation time, and the old rejects go */
    struct rp_detect_ti_add_opts o = {.name = "custom", .now_ms = T0 + 10};
    assert_int_equal(
        rp_detect_ti_add_mem(st, "v2.txt", "203.0.113.2\n198.51.100.0/24\n", 28, &o, &r, &eb),
        RP_OK);
    assert_true(r.replaced);
    assert_false(r.active);
    assert_string_equal(rejects_of(st, "threatintel:custom", &rj), "");
    assert_int_equal(rp_detect_ti_list(st, false, on_list, &lr, &eb), RP_OK);
    assert_string_equal(lr.text, "custom|ThreatIntelSet|threat|TXT|INACTIVE|2|0|1772323200000|"
                                 "1772323200010|v2.txt\n");
    assert_int_equal(rp_detect_ti_set_active(st, "custom", true, T0 + 20, &changed, &eb), RP_OK);
    assert_true(changed);
    assert_int_equal(add_text(st, "203.0.113.9\n", "zz-tor", "tor", &r, &w, &eb), RP_OK);
    o = (struct rp_detect_ti_add_opts){.name = "dga", .kind = "dga", .status = -1, .now_ms = T0};
    assert_int_equal(rp_detect_ti_add_mem(st, "d.txt", "x1.example\n", 11, &o, &r, &eb), RP_OK);
    assert_false(r.active);
    lr.text[0] = '\0';
    assert_int_equal(rp_detect_ti_list(st, true, on_list, &lr, &eb), RP_OK);
    assert_string_equal(lr.text,
                        "custom|ThreatIntelSet|threat|TXT|ACTIVE|2|0|1772323200000|1772323200020|"
                        "v2.txt\n"
                        "dga|ThreatIntelSet|dga|TXT|INACTIVE|1|0|1772323200000|1772323200000|"
                        "d.txt\n"
                        "zz-tor|ThreatIntelSet|tor|TXT|ACTIVE|1|0|1772323200000|1772323200000|"
                        "mem.txt\n"
                        "builtin/guardduty-test-domains|Builtin|c2|TXT|ACTIVE|1|0|0|0|builtin\n"
                        "builtin/mining-pools|Builtin|mining|TXT|ACTIVE|34|0|0|0|builtin\n");

    /* a run loads the active lists (and the built-in ones) */
    struct rp_det_ti *ti = NULL;
    assert_int_equal(rp_det_ti_new(&ti), RP_OK);
    if (rp_det_ti_load(ti, st, &eb)) fail_msg("load: %s", eb.msg);
    struct rp_det_ctx *dc = ctx_new(ti);
    char b[256];
    assert_string_equal(ip_hits(dc, "198.51.100.7", b, sizeof b), "threat:custom:198.51.100.0/24;");
    assert_string_equal(ip_hits(dc, "203.0.113.9", b, sizeof b), "tor:zz-tor:203.0.113.9;");
    assert_string_equal(ip_hits(dc, "203.0.113.1", b, sizeof b), "");
    assert_string_equal(dom_hits(dc, "x1.example", b, sizeof b), "");
    assert_string_equal(dom_hits(dc, "guarddutyc2activityb.com", b, sizeof b),
                        "c2:builtin/guardduty-test-domains:guarddutyc2activityb.com;");
    rp_det_ctx_free(dc);
    rp_det_ti_free(ti);

    assert_int_equal(rp_detect_ti_remove(st, "zz-tor", &eb), RP_OK);
    assert_int_equal(rp_detect_ti_remove(st, "zz-tor", &eb), RP_ENOENT);
    assert_string_equal(eb.msg, "threatintel: no list named 'zz-tor'");
    assert_int_equal(rp_detect_ti_set_active(st, "nope", true, 0, NULL, &eb), RP_ENOENT);
    assert_string_equal(eb.msg, "threatintel: no list named 'nope'");
    lr.text[0] = '\0';
    assert_int_equal(rp_detect_ti_list(st, false, on_list, &lr, &eb), RP_OK);
    assert_string_equal(lr.text,
                        "custom|ThreatIntelSet|threat|TXT|ACTIVE|2|0|1772323200000|1772323200020|"
                        "v2.txt\n"
                        "dga|ThreatIntelSet|dga|TXT|INACTIVE|1|0|1772323200000|1772323200000|"
                        "d.txt\n");
    rp_store_free(st);
}

struct match_rows {
    char text[2048];
};

static rp_err on_match(void *ctx, const struct rp_detect_ti_match *m)
{
    struct match_rows *x = ctx;
    size_t n = strlen(x->text);
    snprintf(x->text + n, sizeof x->text - n, "%s|%s|%s|%s|%s|%s|%s\n", m->value, m->list, m->type,
             m->kind, m->status, m->entry, m->verdict);
    return RP_OK;
}

static void test_lookup(void **state)
{
    (void)state;
    struct rp_store *st = store_new();
    struct rp_detect_ti_add_result r;
    struct warns w;
    struct rp_errbuf eb = {0};
    assert_int_equal(
        add_text(st, "203.0.113.0/24\n198.51.100.7\nc2.example\n", "custom", NULL, &r, &w, &eb),
        RP_OK);
    assert_int_equal(add_text(st, "198.51.100.0/28\n", "office", "trusted", &r, &w, &eb), RP_OK);
    assert_int_equal(add_text(st, "203.0.113.5\n", "old", "tor", &r, &w, &eb), RP_OK);
    assert_int_equal(rp_detect_ti_set_active(st, "old", false, 0, NULL, &eb), RP_OK);
    const char *vals[] = {"198.51.100.7", "203.0.113.5", "www.c2.example", "192.0.2.1",
                          "pool.supportxmr.com"};
    struct match_rows m = {""};
    assert_int_equal(rp_detect_ti_lookup(st, vals, 5, on_match, &m, &eb), RP_OK);
    assert_string_equal(m.text,
                        "198.51.100.7|office|IPSet|trusted|ACTIVE|198.51.100.0/28|trusted\n"
                        "198.51.100.7|custom|ThreatIntelSet|threat|ACTIVE|198.51.100.7|"
                        "overridden\n"
                        "203.0.113.5|old|ThreatIntelSet|tor|INACTIVE|203.0.113.5|inactive\n"
                        "203.0.113.5|custom|ThreatIntelSet|threat|ACTIVE|203.0.113.0/24|match\n"
                        "www.c2.example|custom|ThreatIntelSet|threat|ACTIVE|c2.example|match\n"
                        "pool.supportxmr.com|builtin/mining-pools|Builtin|mining|ACTIVE|"
                        "supportxmr.com|match\n");
    const char *bad[] = {"192.0.2.1", "10.0.0.0/8"};
    m.text[0] = '\0';
    assert_int_equal(rp_detect_ti_lookup(st, bad, 2, on_match, &m, &eb), RP_EINVAL);
    assert_string_equal(eb.msg, "threatintel: '10.0.0.0/8' is neither an address nor a domain");
    assert_string_equal(m.text, "");
    const char *bad2[] = {"not a name"};
    assert_int_equal(rp_detect_ti_lookup(st, bad2, 1, on_match, &m, &eb), RP_EINVAL);
    /* without a store: the built-in lists */
    const char *v2[] = {"guarddutyc2activityb.com"};
    assert_int_equal(rp_detect_ti_lookup(NULL, v2, 1, on_match, &m, &eb), RP_OK);
    assert_string_equal(m.text, "guarddutyc2activityb.com|builtin/guardduty-test-domains|Builtin|"
                                "c2|ACTIVE|guarddutyc2activityb.com|match\n");
    rp_store_free(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_canon_entries),
        cmocka_unit_test(test_kind_names),
        cmocka_unit_test(test_ip_lookups),
        cmocka_unit_test(test_no_lists),
        cmocka_unit_test(test_domain_lookups),
        cmocka_unit_test(test_inactive_and_all_hits),
        cmocka_unit_test(test_builtin),
        cmocka_unit_test(test_sniff),
        cmocka_unit_test(test_txt),
        cmocka_unit_test(test_stix2),
        cmocka_unit_test(test_stix2_patterns),
        cmocka_unit_test(test_stix1),
        cmocka_unit_test(test_csv_formats),
        cmocka_unit_test(test_add_errors),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_replace_status_remove),
        cmocka_unit_test(test_lookup),
    };
    return cmocka_run_group_tests_name("detect_ti", tests, NULL, NULL);
}
