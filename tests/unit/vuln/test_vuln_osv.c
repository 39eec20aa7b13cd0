/* SPDX-License-Identifier: Apache-2.0 */
/* The OSV advisory index (src/vuln/vuln_osv.c) over hand-written advisories
 * (tests/fixtures/vuln/osv): import counts, rejects with their reasons, incremental re-import,
 * and matching: a Debian backported fix (1:9.2p1-2+deb12u3 and later are not affected), the
 * release of a "Debian:12" entry, explicit versions, npm SEMVER intervals with fixed and
 * last_affected, PyPI name normalization, GIT ranges skipped, withdrawn advisories ignored. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/rp_buf.h"
#include "store/store.h"
#include "vuln/vuln.h"

#define OSV RP_FIXTURES_DIR "/vuln/osv"

static char g_path[64];
static struct rp_store *g_st;

static int group_setup(void **state)
{
    (void)state;
    snprintf(g_path, sizeof g_path, "/tmp/rp-vuln-osv-XXXXXX");
    int fd = mkstemp(g_path);
    if (fd < 0) return -1;
    close(fd);
    unlink(g_path);
    struct rp_errbuf eb = {0};
    return rp_store_new(g_path, RP_STORE_RDWR, &g_st, &eb) == RP_OK ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    rp_store_free(g_st);
    char p[80];
    unlink(g_path);
    snprintf(p, sizeof p, "%s-wal", g_path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", g_path);
    unlink(p);
    return 0;
}

static rp_err collect(const struct rp_vuln_hit *h, void *ctx, struct rp_errbuf *eb)
{
    (void)eb;
    return rp_buf_printf(ctx, "%s %s %s %s\n", h->id, h->ecosystem, h->how,
                         h->fixed ? h->fixed : "-");
}

/* "id ecosystem how fixed" lines of the advisories affecting the package version. */
static char *match(const char *eco, const char *name, const char *version)
{
    struct rp_buf b;
    rp_buf_init(&b, 1u << 16);
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_vuln_match(g_st, rp_str_from(eco), rp_str_from(name), rp_str_from(version),
                                   collect, &b, &eb),
                     RP_OK);
    assert_int_equal(rp_buf_append(&b, "", 1), RP_OK);
    return rp_buf_take(&b, NULL);
}

static void expect(const char *eco, const char *name, const char *version, const char *want)
{
    char *got = match(eco, name, version);
    assert_string_equal(got, want);
    free(got);
}

static int64_t count(const char *sql)
{
    struct rp_store_stmt *s;
    bool row = false;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_store_stmt_prepare(g_st, sql, &s, &eb), RP_OK);
    assert_int_equal(rp_store_stmt_step(s, &row, &eb), RP_OK);
    assert_true(row);
    int64_t n = rp_store_stmt_column_int64(s, 0);
    rp_store_stmt_reset(s);
    return n;
}

static void test_osv_import_counts_and_rejects(void **state)
{
    (void)state;
    const char *paths[] = {OSV};
    struct rp_vuln_import_summary sum;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_vuln_db_import(g_st, paths, 1, &sum, &eb), RP_OK);
    assert_int_equal(sum.files, 6); /* the .json files; README.txt is not read */
    assert_int_equal(sum.advisories, 6);
    assert_int_equal(sum.inserted, 6);
    assert_int_equal(sum.updated, 0);
    assert_int_equal(sum.unchanged, 0);
    assert_int_equal(sum.rejected, 2);
    assert_int_equal(count("SELECT count(*) FROM osv_advisories"), 6);
    assert_int_equal(count("SELECT count(*) FROM osv_affected"), 7);
    assert_int_equal(count("SELECT count(*) FROM rejects WHERE format = 'osv' AND reason = "
                           "'missing field ''id''' AND source LIKE '%GHSA-aaaa-bbbb-cccc.json'"),
                     1);
    assert_int_equal(
        count("SELECT count(*) FROM rejects WHERE format = 'osv' AND source LIKE '%broken.json'"),
        1);
    assert_int_equal(count("SELECT count(*) FROM osv_affected WHERE name = "
                           "'django-rest-framework' AND eco_base = 'PyPI'"),
                     1);

    /* again: nothing changes */
    assert_int_equal(rp_vuln_db_import(g_st, paths, 1, &sum, &eb), RP_OK);
    assert_int_equal(sum.inserted, 0);
    assert_int_equal(sum.unchanged, 6);
    assert_int_equal(count("SELECT count(*) FROM osv_affected"), 7);
}

static void test_osv_debian_backport(void **state)
{
    (void)state;
    /* the fixed version and later are not affected; an epoch-less older version is */
    expect("Debian:12", "openssh", "1:9.2p1-2+deb12u2",
           "DEBIAN-CVE-2024-6387 Debian:12 ECOSYSTEM 1:9.2p1-2+deb12u3\n");
    expect("Debian:12", "openssh", "1:9.2p1-2+deb12u3", "");
    expect("Debian:12", "openssh", "1:9.2p1-2+deb12u4", "");
    expect("Debian:12", "openssh", "1:9.3p1-1", "");
    /* listed explicitly for every Debian release, and the range of Debian:12 */
    expect("Debian:12", "openssh", "1:9.2p1-2",
           "DEBIAN-CVE-2023-0001 Debian versions -\n"
           "DEBIAN-CVE-2024-6387 Debian:12 ECOSYSTEM 1:9.2p1-2+deb12u3\n");
    /* another release has its own fix */
    expect("Debian:13", "openssh", "1:9.2p1-2+deb12u3",
           "DEBIAN-CVE-2024-6387 Debian:13 ECOSYSTEM 1:9.7p1-7\n");
    expect("Debian:13", "openssh", "1:9.7p1-7", "");
    /* a name or ecosystem that is not there */
    expect("Debian:12", "openssh-server", "1:9.2p1-2", "");
    expect("Ubuntu:22.04", "openssh", "1:9.2p1-2", "");
}

static void test_osv_npm_intervals(void **state)
{
    (void)state;
    expect("npm", "left-padish", "0.9.0", "");
    expect("npm", "left-padish", "1.0.0", "GHSA-aaaa-bbbb-cccc npm SEMVER 1.2.5\n");
    expect("npm", "left-padish", "1.2.4", "GHSA-aaaa-bbbb-cccc npm SEMVER 1.2.5\n");
    expect("npm", "left-padish", "1.2.5", "");
    expect("npm", "left-padish", "1.10.0", ""); /* numeric, not text, order */
    expect("npm", "left-padish", "2.0.0", "GHSA-aaaa-bbbb-cccc npm SEMVER -\n");
    expect("npm", "left-padish", "2.1.0", "GHSA-aaaa-bbbb-cccc npm SEMVER -\n");
    expect("npm", "left-padish", "2.1.1", ""); /* past last_affected; the withdrawn one is off */
    expect("npm", "Left-Padish", "1.0.0", ""); /* npm names are case-sensitive */
    /* a SEMVER range is SemVer whatever the ecosystem (crates.io has no ordering of its own) */
    expect("crates.io", "smallvecish", "0.6.9", "RUSTSEC-2024-0001 crates.io SEMVER 0.6.10\n");
    expect("crates.io", "smallvecish", "0.6.10", "");
}

static void test_osv_pypi_names_and_git(void **state)
{
    (void)state;
    expect("PyPI", "django-rest-framework", "3.14.0", "PYSEC-2024-1 PyPI ECOSYSTEM 3.15.2\n");
    expect("PyPI", "Django.REST_Framework", "3.14", "PYSEC-2024-1 PyPI ECOSYSTEM 3.15.2\n");
    expect("PyPI", "django-rest-framework", "3.15.2", "");
    expect("PyPI", "django-rest-framework", "2.9", ""); /* the GIT range is not evaluated */
    char buf[64];
    assert_int_equal(
        rp_vuln_name_normalize(rp_str_from("PyPI"), rp_str_from("A__b.-C"), buf, sizeof buf),
        RP_OK);
    assert_string_equal(buf, "a-b-c");
    assert_int_equal(
        rp_vuln_name_normalize(rp_str_from("npm"), rp_str_from("A__b.-C"), buf, sizeof buf), RP_OK);
    assert_string_equal(buf, "A__b.-C");
    assert_int_equal(rp_vuln_name_normalize(rp_str_from("PyPI"), rp_str_from("abcdef"), buf, 4),
                     RP_ELIMIT);
}

static void test_osv_newer_replaces(void **state)
{
    (void)state;
    char dir[] = "/tmp/rp-vuln-newer-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char p[128];
    snprintf(p, sizeof p, "%s/a.json", dir);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs("{\"id\": \"PYSEC-2024-1\", \"modified\": \"2024-06-01T00:00:00Z\", \"affected\": "
          "[{\"package\": {\"ecosystem\": \"PyPI\", \"name\": \"djangorestframework\"}, "
          "\"versions\": [\"1.0\"]}]}\n",
          f);
    fclose(f);
    const char *paths[] = {dir};
    struct rp_vuln_import_summary sum;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_vuln_db_import(g_st, paths, 1, &sum, &eb), RP_OK);
    assert_int_equal(sum.updated, 1);
    expect("PyPI", "djangorestframework", "1.0", "PYSEC-2024-1 PyPI versions -\n");
    expect("PyPI", "django-rest-framework", "3.14.0", ""); /* the old entry is gone */
    unlink(p);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_osv_import_counts_and_rejects),
        cmocka_unit_test(test_osv_debian_backport),
        cmocka_unit_test(test_osv_npm_intervals),
        cmocka_unit_test(test_osv_pypi_names_and_git),
        cmocka_unit_test(test_osv_newer_replaces),
    };
    return cmocka_run_group_tests_name("vuln_osv", tests, group_setup, group_teardown);
}
