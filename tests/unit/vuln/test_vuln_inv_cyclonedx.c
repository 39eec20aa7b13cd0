/* SPDX-License-Identifier: Apache-2.0 */
/* The CycloneDX inventory (src/vuln/vuln_inv_cyclonedx.c) and the purl parser and mapping it
 * shares with SPDX (src/vuln/vuln_purl.c): nested components in order, every purl type's
 * ecosystem, names and packageManager, distro qualifiers ("Debian:12", "Alpine:v3.19"),
 * epoch and upstream qualifiers, version fallback, unknown types and bad purls skipped,
 * metadata.component ignored, and the exact errors of broken and foreign JSON. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "vuln/vuln_purl.h"
#include "vuln_test_lang.h"

extern const struct rp_vuln_inventory_format rp_vuln_inv_cyclonedx;
#define F (&rp_vuln_inv_cyclonedx)

static void test_packages(void **state)
{
    (void)state;
    inv_expect(F, "sbom/app.cdx.json",
               "npm|@angular/core|-|16.2.0|-|NPM|app.cdx.json\n"
               "PyPI|django|-|4.2.5|-|PIP|app.cdx.json\n"
               "Go|golang.org/x/net|-|v0.17.0|-|GOMOD|app.cdx.json\n"
               "Maven|log4j-core|org.apache.logging.log4j:log4j-core|2.14.1|-|POM|app.cdx.json\n"
               "crates.io|serde|-|1.0.188|-|CARGO|app.cdx.json\n"
               "Packagist|guzzlehttp/guzzle|-|7.8.0|-|COMPOSER|app.cdx.json\n"
               "RubyGems|rack|-|2.2.8|-|BUNDLER|app.cdx.json\n"
               "Debian:12|libssl3|openssl|3.0.11-1~deb12u1|amd64|OS|app.cdx.json\n"
               "Alpine:v3.19|busybox|-|1.36.1-r5|x86_64|OS|app.cdx.json\n"
               "Red Hat|bash|-|1:5.1.8-6.el9|x86_64|OS|app.cdx.json\n"
               "npm|lodash|-|4.17.21|-|NPM|app.cdx.json\n");
}

static void test_errors(void **state)
{
    (void)state;
    inv_expect(F, "sbom/bad/wrong.cdx.json",
               "ERR RP_EPARSE sbom/bad/wrong.cdx.json:1: not a CycloneDX BOM: no bomFormat "
               "'CycloneDX'");
    inv_expect(
        F, "sbom/bad/broken.cdx.json",
        "ERR RP_EPARSE sbom/bad/broken.cdx.json:4: json: unexpected character '}' at offset 48");
}

static void test_detect(void **state)
{
    (void)state;
    inv_registered(F);
    static const char head[] = "{\"bomFormat\": \"CycloneDX\"";
    assert_true(F->detect("/x/app.cdx.json", "", 0));
    assert_true(F->detect("/x/bom.json", "", 0));
    assert_true(F->detect("/x/sbom.json", head, sizeof head - 1));
    assert_false(F->detect("/x/sbom.json", "{\"spdxVersion\"", 15));
    assert_false(F->detect("/x/bom.xml", head, sizeof head - 1));
}

static void test_purl_parse(void **state)
{
    (void)state;
    struct rp_vuln_purl u;
    assert_true(rp_vuln_purl_parse(
        rp_str_from("pkg:maven/org.apache/commons-lang3@3.12.0?type=jar&arch=x#sub/dir"), &u));
    assert_string_equal(u.type, "maven");
    assert_string_equal(u.ns, "org.apache");
    assert_string_equal(u.name, "commons-lang3");
    assert_string_equal(u.version, "3.12.0");
    assert_string_equal(u.arch, "x");
    /* a raw '@' scope is a namespace, not a version */
    assert_true(rp_vuln_purl_parse(rp_str_from("pkg:npm/@angular/core"), &u));
    assert_string_equal(u.ns, "@angular");
    assert_string_equal(u.name, "core");
    assert_string_equal(u.version, "");
    /* type is lower-cased, leading slashes and empty segments dropped, %-escapes decoded */
    assert_true(rp_vuln_purl_parse(rp_str_from("pkg://NPM//a%2Fb/n%40me@1.0%2Bbuild"), &u));
    assert_string_equal(u.type, "npm");
    assert_string_equal(u.ns, "a/b");
    assert_string_equal(u.name, "n@me");
    assert_string_equal(u.version, "1.0+build");
    assert_true(rp_vuln_purl_parse(rp_str_from("pkg:golang/github.com/a/b@v1.0.0"), &u));
    assert_string_equal(u.ns, "github.com/a");
    assert_string_equal(u.name, "b");
    /* not purls */
    assert_false(rp_vuln_purl_parse(rp_str_from("npm/foo@1"), &u));
    assert_false(rp_vuln_purl_parse(rp_str_from("pkg:"), &u));
    assert_false(rp_vuln_purl_parse(rp_str_from("pkg:npm"), &u));
    assert_false(rp_vuln_purl_parse(rp_str_from("pkg:npm/@1.0"), &u));
    assert_false(rp_vuln_purl_parse(rp_str_from("pkg:npm/foo%2"), &u));
    assert_false(rp_vuln_purl_parse(rp_str_from("pkg:npm/foo%00@1"), &u));
    assert_false(rp_vuln_purl_parse(rp_str_from("pkg:deb/debian/a@1?distro=%zz"), &u));
}

static void expect_pkg(const char *purl, const char *fallback, const char *want)
{
    struct rp_vuln_purl_pkg pk;
    char got[2048];
    if (!rp_vuln_purl_to_pkg(rp_str_from(purl), rp_str_from(fallback), &pk)) {
        assert_string_equal("none", want);
        return;
    }
    snprintf(got, sizeof got, "%s|%s|%s|%s|%s|%s", pk.ecosystem, pk.name,
             pk.has_match ? pk.match_name : "-", pk.version, pk.arch, pk.package_manager);
    assert_string_equal(got, want);
}

static void test_purl_map(void **state)
{
    (void)state;
    expect_pkg("pkg:deb/debian/curl@7.88.1-10?distro=bookworm", "", "Debian|curl|-|7.88.1-10||OS");
    expect_pkg("pkg:deb/debian/curl@7.88.1-10?distro=debian-12.4", "",
               "Debian:12.4|curl|-|7.88.1-10||OS");
    expect_pkg("pkg:deb/debian/libc6@2.36-9?upstream=glibc%402.36-9&epoch=1", "",
               "Debian|libc6|glibc|1:2.36-9||OS");
    expect_pkg("pkg:deb/debian/curl@7.88.1-10?upstream=curl", "", "Debian|curl|-|7.88.1-10||OS");
    expect_pkg("pkg:deb/ubuntu/bash@5.1-6ubuntu1?distro=ubuntu-22.04", "",
               "Ubuntu:22.04|bash|-|5.1-6ubuntu1||OS");
    expect_pkg("pkg:apk/alpine/musl@1.2.4-r2?distro=3.18", "", "Alpine:v3.18|musl|-|1.2.4-r2||OS");
    expect_pkg("pkg:apk/alpine/musl@1.2.4-r2", "", "Alpine|musl|-|1.2.4-r2||OS");
    expect_pkg("pkg:rpm/rocky/bash@5.1?epoch=0", "", "Rocky Linux|bash|-|0:5.1||OS");
    expect_pkg("pkg:rpm/amzn/bash@5.1", "", "|bash|-|5.1||OS");
    expect_pkg("pkg:rpm/redhat/bash@1:5.1?epoch=1", "", "Red Hat|bash|-|1:5.1||OS");
    expect_pkg("pkg:composer/laravel/framework@v10.0.0", "",
               "Packagist|laravel/framework|-|v10.0.0||COMPOSER");
    expect_pkg("pkg:pypi/requests", "2.31.0", "PyPI|requests|-|2.31.0||PIP");
    expect_pkg("pkg:pypi/requests", "", "none");
    expect_pkg("pkg:maven/log4j-core@2.0", "", "none"); /* Maven needs a group */
    expect_pkg("pkg:nuget/Newtonsoft.Json@13.0.1", "", "none");
    expect_pkg("pkg:github/actions/checkout@v4", "", "none");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_packages), cmocka_unit_test(test_errors),
        cmocka_unit_test(test_detect),   cmocka_unit_test(test_purl_parse),
        cmocka_unit_test(test_purl_map),
    };
    return cmocka_run_group_tests_name("vuln_inv_cyclonedx", tests, NULL, NULL);
}
