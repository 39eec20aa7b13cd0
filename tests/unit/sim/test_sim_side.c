/* SPDX-License-Identifier: Apache-2.0 */
/* Tests of the rp_sim side-data generators (sim_side.h): the check-digit validators, the dpkg
 * and apk stanzas, the OSV tree (parsed with rp_json), the advisory states and the scenario
 * override, the metrics rows and Trusted Advisor profiles, the planted documents against
 * side-truth/sensitive.jsonl (Luhn, IBAN mod-97, SSN and NHS rules checked on the bytes at the
 * recorded offsets), the threat lists, and same seed -> same bytes for all four generators. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>
#include <zlib.h>

#include "sim/sim_gen.h"
#include "sim/sim_side.h"
#include "sim/sim_world.h"
#include "core/rp_buf.h"
#include "core/rp_gz.h"
#include "core/rp_json.h"
#include "tools/rp_test_tmpdir.h"

#define SIDE_GENS "side-threatintel,side-packages,side-documents,side-metrics"

struct fx {
    char dir[256];
    struct rp_sim_run *run; /* built, not run: for the pure query functions */
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    if (!f || rp_test_tmpdir_make(f->dir, sizeof(f->dir), "rp-sim-side-") != 0) return -1;
    char out[300];
    snprintf(out, sizeof(out), "%s/q", f->dir);
    struct rp_sim_opts o;
    rp_sim_opts_init(&o);
    o.days = 2;
    o.scenarios = "none";
    o.generators = SIDE_GENS;
    o.out_dir = out;
    if (rp_sim_run_new(&o, &f->run, NULL) != RP_OK) return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    rp_sim_run_free(f->run);
    int rc = rp_test_tmpdir_remove(f->dir);
    free(f);
    return rc;
}

/* Run the four side generators (only) into dir/sub with seed; RP_OK or the run's error. */
static rp_err side_run(const char *dir, const char *sub, uint64_t seed, uint32_t days)
{
    char out[300];
    snprintf(out, sizeof(out), "%s/%s", dir, sub);
    struct rp_sim_opts o;
    rp_sim_opts_init(&o);
    o.seed = seed;
    o.days = days;
    o.scenarios = "none";
    o.generators = SIDE_GENS;
    o.out_dir = out;
    struct rp_sim_run *run = NULL;
    struct rp_errbuf eb = {0};
    rp_err e = rp_sim_run_new(&o, &run, &eb);
    if (e == RP_OK) e = rp_sim_run_all(run, NULL, &eb);
    if (e != RP_OK) print_error("side run: %s\n", eb.msg);
    rp_sim_run_free(run);
    return e;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) return NULL;
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *p = malloc((size_t)n + 1);
    if (p && fread(p, 1, (size_t)n, fp) != (size_t)n) {
        free(p);
        p = NULL;
    }
    fclose(fp);
    if (p) {
        p[n] = '\0';
        if (len) *len = (size_t)n;
    }
    return p;
}

static uint32_t find_instance(const struct rp_sim_world *w, enum rp_sim_os os, const char *rel)
{
    for (uint32_t i = 0; i < w->ninstances; i++)
        if (w->instances[i].os == os && strcmp(w->instances[i].os_release, rel) == 0) return i;
    return RP_SIM_NONE;
}

/* ---- validators ---------------------------------------------------------------------------- */

static void test_side_validators(void **state)
{
    (void)state;
    assert_true(rp_sim_side_luhn_ok("4539 1488 0343 6467"));
    assert_true(rp_sim_side_luhn_ok("4111-1111-1111-1111"));
    assert_true(rp_sim_side_luhn_ok("378282246310005"));
    assert_false(rp_sim_side_luhn_ok("4111111111111112"));
    assert_false(rp_sim_side_luhn_ok("41111111111"));      /* too short */
    assert_false(rp_sim_side_luhn_ok("4111x11111111111")); /* not digits */

    assert_true(rp_sim_side_iban_ok("GB82 WEST 1234 5698 7654 32"));
    assert_true(rp_sim_side_iban_ok("DE89370400440532013000"));
    assert_false(rp_sim_side_iban_ok("GB83WEST12345698765432"));
    assert_false(rp_sim_side_iban_ok("gb82west12345698765432"));

    assert_true(rp_sim_side_ssn_ok("123-45-6789"));
    assert_true(rp_sim_side_ssn_ok("899-01-0001"));
    assert_false(rp_sim_side_ssn_ok("000-12-3456"));
    assert_false(rp_sim_side_ssn_ok("666-12-3456"));
    assert_false(rp_sim_side_ssn_ok("912-34-5678"));
    assert_false(rp_sim_side_ssn_ok("123-00-4567"));
    assert_false(rp_sim_side_ssn_ok("123-45-0000"));
    assert_false(rp_sim_side_ssn_ok("123456789"));

    assert_true(rp_sim_side_nhs_ok("943 476 5919"));
    assert_false(rp_sim_side_nhs_ok("943 476 5918"));
    assert_false(rp_sim_side_nhs_ok("94347659"));
}

static void test_side_base64(void **state)
{
    (void)state;
    struct rp_buf b;
    rp_buf_init(&b, 1024);
    assert_int_equal(rp_sim_side_base64("f", 1, false, &b), RP_OK);
    assert_int_equal(rp_sim_side_base64("fo", 2, false, &b), RP_OK);
    assert_int_equal(rp_sim_side_base64("foo", 3, false, &b), RP_OK);
    assert_string_equal(rp_buf_cstr(&b), "Zg==Zm8=Zm9v");
    rp_buf_reset(&b);
    const unsigned char hi[] = {0xfb, 0xff};
    assert_int_equal(rp_sim_side_base64(hi, 2, false, &b), RP_OK);
    assert_int_equal(rp_sim_side_base64(hi, 2, true, &b), RP_OK);
    assert_string_equal(rp_buf_cstr(&b), "+/8=-_8");
    rp_buf_release(&b);
}

/* ---- packages ------------------------------------------------------------------------------ */

static void test_side_dpkg_stanza(void **state)
{
    struct fx *f = *state;
    const struct rp_sim_world *w = f->run->world;
    uint32_t deb = find_instance(w, RP_SIM_OS_DEBIAN, "12");
    assert_int_not_equal(deb, RP_SIM_NONE);
    assert_string_equal(rp_sim_side_pkg_format(w, deb), "dpkg");
    assert_string_equal(rp_sim_side_pkg_ecosystem(w, deb), "Debian:12");
    struct rp_buf b;
    rp_buf_init(&b, 1 << 16);
    assert_int_equal(rp_sim_side_pkg_stanza(f->run, deb, "bash", &b), RP_OK);
    assert_string_equal(rp_buf_cstr(&b), "Package: bash\n"
                                         "Essential: yes\n"
                                         "Status: install ok installed\n"
                                         "Priority: required\n"
                                         "Section: shells\n"
                                         "Installed-Size: 7163\n"
                                         "Maintainer: Debian QA Group <packages@qa.debian.org>\n"
                                         "Architecture: amd64\n"
                                         "Multi-Arch: foreign\n"
                                         "Source: bash (5.2.15-2)\n"
                                         "Version: 5.2.15-2+b7\n"
                                         "Depends: base-files (>= 2.1.12), debianutils\n"
                                         "Description: GNU Bourne Again SHell\n"
                                         "\n");
    /* a scenario moves openssh to the fixed version: the stanza and the pair follow */
    struct rp_sim_side_vuln v;
    assert_int_equal(
        rp_sim_side_pkg_set_state(f->run, deb, "openssh-server", RP_SIM_VULN_AT_FIXED, &v, NULL),
        RP_OK);
    assert_string_equal(v.advisory, "RPSIM-2026-0001");
    assert_string_equal(v.cve, "CVE-2026-90001");
    assert_string_equal(v.source, "openssh");
    assert_string_equal(v.binaries, "openssh-client,openssh-server,openssh-sftp-server");
    assert_string_equal(v.installed, "1:9.2p1-2+deb12u2");
    assert_string_equal(v.fixed, "1:9.2p1-2+deb12u2");
    assert_int_equal(v.state, RP_SIM_VULN_AT_FIXED);
    rp_buf_reset(&b);
    assert_int_equal(rp_sim_side_pkg_stanza(f->run, deb, "openssh-sftp-server", &b), RP_OK);
    assert_string_equal(rp_buf_cstr(&b),
                        "Package: openssh-sftp-server\n"
                        "Status: install ok installed\n"
                        "Priority: optional\n"
                        "Section: net\n"
                        "Installed-Size: 147\n"
                        "Maintainer: Debian OpenSSH Maintainers <debian-ssh@lists.debian.org>\n"
                        "Architecture: amd64\n"
                        "Multi-Arch: foreign\n"
                        "Source: openssh\n"
                        "Version: 1:9.2p1-2+deb12u2\n"
                        "Depends: openssh-client\n"
                        "Description: secure shell (SSH) sftp server module, for SFTP access from "
                        "remote machines\n"
                        "\n");
    assert_int_equal(rp_sim_side_pkg_stanza(f->run, deb, "no-such-package", &b), RP_ENOENT);

    /* Ubuntu: the Debian maintainer moves to Original-Maintainer for changed packages */
    uint32_t ub = find_instance(w, RP_SIM_OS_UBUNTU, "22.04");
    assert_int_not_equal(ub, RP_SIM_NONE);
    rp_buf_reset(&b);
    assert_int_equal(rp_sim_side_pkg_stanza(f->run, ub, "tar", &b), RP_OK);
    assert_string_equal(rp_buf_cstr(&b),
                        "Package: tar\n"
                        "Essential: yes\n"
                        "Status: install ok installed\n"
                        "Priority: required\n"
                        "Section: utils\n"
                        "Installed-Size: 3152\n"
                        "Maintainer: Ubuntu Developers <ubuntu-devel-discuss@lists.ubuntu.com>\n"
                        "Architecture: amd64\n"
                        "Multi-Arch: foreign\n"
                        "Version: 1.34+dfsg-1ubuntu0.1.22.04.2\n"
                        "Description: GNU version of the tar archiving utility\n"
                        "Original-Maintainer: Debian QA Group <packages@qa.debian.org>\n"
                        "\n");
    rp_buf_release(&b);
}

static void test_side_apk_stanza(void **state)
{
    struct fx *f = *state;
    const struct rp_sim_world *w = f->run->world;
    uint32_t al = find_instance(w, RP_SIM_OS_ALPINE, "3.19");
    assert_int_not_equal(al, RP_SIM_NONE);
    assert_string_equal(rp_sim_side_pkg_format(w, al), "apk");
    struct rp_buf b;
    rp_buf_init(&b, 1 << 16);
    assert_int_equal(rp_sim_side_pkg_stanza(f->run, al, "zlib", &b), RP_OK);
    /* C: and c: are derived from (name, version), the same on every host of the release */
    assert_string_equal(rp_buf_cstr(&b), "C:Q18N7IHLGO9tmfNazDmadTgUefdJc=\n"
                                         "P:zlib\n"
                                         "V:1.3.1-r0\n"
                                         "A:x86_64\n"
                                         "S:53520\n"
                                         "I:102400\n"
                                         "T:A compression/decompression Library\n"
                                         "U:https://zlib.net/\n"
                                         "L:Zlib\n"
                                         "o:zlib\n"
                                         "m:Natanael Copa <ncopa@alpinelinux.org>\n"
                                         "t:1728676188\n"
                                         "c:56f34d4c91be5047c9121261694d2285c9e4ffba\n"
                                         "D:so:libc.musl-x86_64.so.1\n"
                                         "\n");
    rp_buf_release(&b);
}

static void test_side_osv_tree(void **state)
{
    struct fx *f = *state;
    struct rp_json_parser *p = rp_json_parser_new();
    assert_non_null(p);
    struct rp_buf b;
    rp_buf_init(&b, 1 << 20);
    char key[128];
    uint32_t n = rp_sim_side_osv_count();
    assert_int_equal(n, 17);
    for (uint32_t i = 0; i < n; i++) {
        rp_buf_reset(&b);
        assert_int_equal(rp_sim_side_osv_render(f->run, i, &b, key, sizeof(key)), RP_OK);
        struct rp_json_val root, v, arr, el, pkg, ranges, ev;
        assert_int_equal(rp_json_parse_buf(p, &b, &root, NULL), RP_OK);
        struct rp_str s;
        assert_int_equal(rp_json_obj_get_str(root, "schema_version", &s), RP_OK);
        assert_int_equal(rp_json_obj_get_str(root, "id", &s), RP_OK);
        assert_true(rp_str_has_prefix(s, "RPSIM-2026-"));
        assert_int_equal(rp_json_obj_get_str(root, "modified", &s), RP_OK);
        assert_int_equal(rp_json_obj_get_str(root, "published", &s), RP_OK);
        assert_int_equal(rp_json_obj_get_str(root, "summary", &s), RP_OK);
        assert_int_equal(rp_json_obj_get_str(root, "details", &s), RP_OK);
        assert_true(rp_str_has_prefix(s, "Synthetic advisory"));
        assert_int_equal(rp_json_obj_get(root, "aliases", &arr), RP_OK);
        assert_int_equal(rp_json_arr_at(arr, 0, &el), RP_OK);
        assert_int_equal(rp_json_get_str(el, &s), RP_OK);
        assert_true(rp_str_has_prefix(s, "CVE-2026-9"));
        assert_int_equal(rp_json_obj_get(root, "severity", &arr), RP_OK);
        assert_int_equal(rp_json_arr_at(arr, 0, &el), RP_OK);
        assert_int_equal(rp_json_obj_get_str(el, "type", &s), RP_OK);
        assert_true(rp_str_eq_cstr(s, "CVSS_V3"));
        assert_int_equal(rp_json_obj_get_str(el, "score", &s), RP_OK);
        assert_true(rp_str_has_prefix(s, "CVSS:3.1/"));
        assert_int_equal(rp_json_obj_get(root, "affected", &arr), RP_OK);
        assert_true(rp_json_len(arr) >= 1);
        struct rp_json_iter it;
        assert_int_equal(rp_json_arr_iter(arr, &it), RP_OK);
        while (rp_json_arr_next(&it, &el)) {
            assert_int_equal(rp_json_obj_get(el, "package", &pkg), RP_OK);
            assert_int_equal(rp_json_obj_get_str(pkg, "ecosystem", &s), RP_OK);
            assert_true(rp_str_has_prefix(s, "Debian:") || rp_str_has_prefix(s, "Ubuntu:") ||
                        rp_str_has_prefix(s, "Alpine:v"));
            assert_int_equal(rp_json_obj_get_str(pkg, "name", &s), RP_OK);
            assert_int_equal(rp_json_obj_get(el, "ranges", &ranges), RP_OK);
            assert_int_equal(rp_json_arr_at(ranges, 0, &v), RP_OK);
            assert_int_equal(rp_json_obj_get_str(v, "type", &s), RP_OK);
            assert_true(rp_str_eq_cstr(s, "ECOSYSTEM"));
            assert_int_equal(rp_json_obj_get(v, "events", &ev), RP_OK);
            assert_int_equal(rp_json_arr_at(ev, 0, &v), RP_OK);
            assert_int_equal(rp_json_obj_get_str(v, "introduced", &s), RP_OK);
            assert_int_equal(rp_json_arr_at(ev, 1, &v), RP_OK);
            assert_int_equal(rp_json_obj_get_str(v, "fixed", &s), RP_OK);
        }
    }
    /* one file exactly */
    rp_buf_reset(&b);
    assert_int_equal(rp_sim_side_osv_render(f->run, 14, &b, key, sizeof(key)), RP_OK);
    assert_string_equal(key, "advisories/osv/Debian/RPSIM-2026-0015.json");
    assert_string_equal(
        rp_buf_cstr(&b),
        "{\"schema_version\":\"1.6.0\",\"id\":\"RPSIM-2026-0015\",\"modified\":\"2025-12-31T00:00:"
        "00Z\",\"published\":\"2025-12-21T00:00:00Z\",\"aliases\":[\"CVE-2026-90007\"],\"summary\":"
        "\"Exim: remote code execution in SMTP chunking\",\"details\":\"Synthetic advisory "
        "generated by rampart simulate for testing vulnerability matchers; it does not describe a "
        "real vulnerability. The mail transfer agent mishandles BDAT chunks. No simulated host "
        "runs Exim.\",\"severity\":[{\"type\":\"CVSS_V3\",\"score\":\"CVSS:3.1/AV:N/AC:L/PR:N/UI:"
        "N/S:U/C:H/I:H/A:H\"}],\"affected\":[{\"package\":{\"ecosystem\":\"Debian:12\",\"name\":"
        "\"exim4\",\"purl\":\"pkg:deb/debian/exim4?arch=source\"},\"ranges\":[{\"type\":"
        "\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"4.96-15+deb12u5\"}]}]}],"
        "\"references\":[{\"type\":\"ADVISORY\",\"url\":\"https://security.example.org/rpsim/"
        "RPSIM-2026-0015\"}],\"database_specific\":{\"synthetic\":true,\"cvss_score\":9.8}}\n");
    rp_buf_release(&b);
    rp_json_parser_free(p);
}

static void test_side_vuln_states(void **state)
{
    struct fx *f = *state;
    const struct rp_sim_world *w = f->run->world;
    bool seen[4] = {false, false, false, false};
    struct rp_buf inv;
    rp_buf_init(&inv, 1 << 22);
    for (uint32_t i = 0; i < w->ninstances; i++) {
        struct rp_sim_side_vuln v[32];
        uint32_t n = rp_sim_side_pkg_vulns(f->run, i, v, 32);
        if (!rp_sim_side_pkg_format(w, i)) {
            assert_int_equal(n, 0);
            continue;
        }
        rp_buf_reset(&inv);
        assert_int_equal(rp_sim_side_pkg_inventory(f->run, i, &inv), RP_OK);
        for (uint32_t k = 0; k < n && k < 32; k++) {
            seen[v[k].state] = true;
            assert_string_equal(v[k].ecosystem, rp_sim_side_pkg_ecosystem(w, i));
            if (v[k].state == RP_SIM_VULN_AT_FIXED)
                assert_string_equal(v[k].installed, v[k].fixed);
            else
                assert_string_not_equal(v[k].installed, v[k].fixed);
            /* the inventory carries the version of the pair for every binary */
            char line[128];
            bool apk = strcmp(rp_sim_side_pkg_format(w, i), "apk") == 0;
            snprintf(line, sizeof(line), apk ? "\nV:%s\n" : "\nVersion: %s\n", v[k].installed);
            assert_non_null(strstr(rp_buf_cstr(&inv), line));
        }
    }
    assert_true(seen[RP_SIM_VULN_AFFECTED]);
    assert_true(seen[RP_SIM_VULN_AT_FIXED]);
    assert_true(seen[RP_SIM_VULN_ABOVE_FIXED]);
    assert_true(seen[RP_SIM_VULN_BELOW_INTRODUCED]);
    rp_buf_release(&inv);
}

static void test_side_mark_vulnerable(void **state)
{
    struct fx *f = *state;
    struct rp_sim_world *w = f->run->world;
    uint32_t ub = find_instance(w, RP_SIM_OS_UBUNTU, "22.04");
    struct rp_sim_side_vuln v;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_sim_side_pkg_mark_vulnerable(f->run, ub, "openssh-server", &v, &eb), RP_OK);
    assert_string_equal(v.advisory, "RPSIM-2026-0002");
    assert_string_equal(v.ecosystem, "Ubuntu:22.04:LTS");
    assert_string_equal(v.installed, "1:8.9p1-3ubuntu0.4");
    assert_string_equal(v.fixed, "1:8.9p1-3ubuntu0.6");
    assert_int_equal(v.state, RP_SIM_VULN_AFFECTED);
    assert_true(w->instances[ub].res.marks & RP_SIM_MARK_VULN_PKG);
    struct rp_buf b;
    rp_buf_init(&b, 1 << 16);
    assert_int_equal(rp_sim_side_pkg_stanza(f->run, ub, "openssh-server", &b), RP_OK);
    assert_non_null(strstr(rp_buf_cstr(&b), "\nVersion: 1:8.9p1-3ubuntu0.4\n"));
    rp_buf_release(&b);

    uint32_t al2023 = find_instance(w, RP_SIM_OS_AMAZON, "2023");
    assert_int_not_equal(al2023, RP_SIM_NONE);
    assert_null(rp_sim_side_pkg_format(w, al2023));
    assert_int_equal(rp_sim_side_pkg_mark_vulnerable(f->run, al2023, "openssh", NULL, &eb),
                     RP_EUNSUPPORTED);
    assert_int_equal(rp_sim_side_pkg_mark_vulnerable(f->run, ub, "exim4", NULL, &eb), RP_ENOENT);
    const char *want = "side-packages: no advisory covers 'exim4' on instance '";
    assert_memory_equal(eb.msg, want, strlen(want));
}

/* ---- metrics ------------------------------------------------------------------------------- */

static void test_side_metrics_rows(void **state)
{
    struct fx *f = *state;
    const struct rp_sim_world *w = f->run->world;
    uint32_t bnd = RP_SIM_NONE, idle = RP_SIM_NONE;
    for (uint32_t i = 0; i < w->ninstances; i++) {
        enum rp_sim_util u =
            rp_sim_side_util_profile(f->run, (struct rp_sim_ref){RP_SIM_K_INSTANCE, i});
        if (u == RP_SIM_UTIL_BOUNDARY && bnd == RP_SIM_NONE) bnd = i;
        if (u == RP_SIM_UTIL_IDLE && idle == RP_SIM_NONE) idle = i;
    }
    assert_int_not_equal(bnd, RP_SIM_NONE);
    assert_int_not_equal(idle, RP_SIM_NONE);
    struct rp_buf b;
    rp_buf_init(&b, 1 << 20);
    assert_int_equal(rp_sim_side_metrics_day(f->run, (struct rp_sim_ref){RP_SIM_K_INSTANCE, bnd},
                                             f->run->start_ms, &b),
                     RP_OK);
    char want[512];
    const char *id = w->instances[bnd].res.id;
    snprintf(want, sizeof(want),
             "Timestamp,Namespace,MetricName,Dimensions,Statistic,Unit,Value\n"
             "2026-01-05T00:00:00Z,AWS/EC2,CPUUtilization,InstanceId=%s,Average,Percent,10.00\n",
             id);
    assert_memory_equal(rp_buf_cstr(&b), want, strlen(want));
    snprintf(want, sizeof(want),
             "2026-01-05T23:00:00Z,AWS/EC2,NetworkIn,InstanceId=%s,Sum,Bytes,100000\n"
             "2026-01-05T23:00:00Z,AWS/EC2,NetworkOut,InstanceId=%s,Sum,Bytes,66666\n",
             id, id);
    assert_int_equal(strlen(rp_buf_cstr(&b)) - strlen(want),
                     (size_t)(strstr(rp_buf_cstr(&b), want) - rp_buf_cstr(&b)));
    size_t lines = 0;
    for (size_t k = 0; k < b.len; k++) lines += b.data[k] == '\n';
    assert_int_equal(lines, 1 + 24 * 4);

    /* an idle instance: every hour's CPU is under 2.5% */
    rp_buf_reset(&b);
    assert_int_equal(rp_sim_side_metrics_day(f->run, (struct rp_sim_ref){RP_SIM_K_INSTANCE, idle},
                                             f->run->start_ms + 3600000, &b),
                     RP_OK);
    const char *p = rp_buf_cstr(&b);
    size_t ncpu = 0;
    while ((p = strstr(p, ",CPUUtilization,")) != NULL) {
        const char *eol = strchr(p, '\n');
        const char *avg = strstr(p, ",Average,Percent,");
        if (avg && avg < eol) {
            assert_true(atof(avg + strlen(",Average,Percent,")) < 2.5);
            ncpu++;
        }
        p = eol;
    }
    assert_int_equal(ncpu, 24);
    assert_int_equal(rp_sim_side_metrics_day(f->run, (struct rp_sim_ref){RP_SIM_K_BUCKET, 0},
                                             f->run->start_ms, &b),
                     RP_ENOENT);
    rp_buf_release(&b);
}

/* ---- threat intel -------------------------------------------------------------------------- */

static void test_side_threatintel(void **state)
{
    struct fx *f = *state;
    const struct rp_sim_world *w = f->run->world;
    char a[RP_SIM_DNS_SZ], b[RP_SIM_DNS_SZ];
    for (enum rp_sim_ti l = RP_SIM_TI_MALICIOUS_IP; l < RP_SIM_TI__COUNT; l++) {
        uint32_t n = rp_sim_side_ti_count(w, l);
        assert_true(n >= 30);
        for (uint32_t i = 0; i < n; i += 7) {
            assert_true(rp_sim_side_ti_entry(w, l, i, a, sizeof(a)));
            assert_int_equal(rp_sim_side_ti_lookup(w, a) & (1u << l), 1u << l);
            for (uint32_t k = i + 1; k < n; k += 3) {
                assert_true(rp_sim_side_ti_entry(w, l, k, b, sizeof(b)));
                assert_string_not_equal(a, b);
            }
        }
        assert_false(rp_sim_side_ti_entry(w, l, n, a, sizeof(a)));
    }
    assert_int_equal(rp_sim_side_ti_count(w, RP_SIM_TI_MALICIOUS_IP), 208);
    assert_true(rp_sim_side_ti_entry(w, RP_SIM_TI_MALICIOUS_IP, 200, a, sizeof(a)));
    assert_true(strncmp(a, "194.", 4) == 0);
    assert_non_null(strstr(a, ".0/24"));
    /* an address inside a listed /24 matches; the world's own addresses never do */
    size_t alen = strlen(a) - 4; /* "194.x.y.0/24" -> "194.x.y.77" */
    memcpy(a + alen, "77", 3);
    assert_int_equal(rp_sim_side_ti_lookup(w, a), 1u << RP_SIM_TI_MALICIOUS_IP);
    for (uint32_t i = 0; i < w->ninstances; i++)
        if (w->instances[i].public_ip[0])
            assert_int_equal(rp_sim_side_ti_lookup(w, w->instances[i].public_ip), 0);
    char ips[16][RP_SIM_IP_SZ];
    uint32_t n = rp_sim_side_trusted_ips(w, ips, 16);
    assert_true(n >= 2 && n <= 3);
    for (uint32_t i = 0; i < n; i++) assert_int_equal(rp_sim_side_ti_lookup(w, ips[i]), 0);
    rp_sim_side_ti_c2_address(w, 0, a, sizeof(a));
    assert_int_equal(rp_sim_side_ti_lookup(w, a), 0);
}

/* ---- documents ----------------------------------------------------------------------------- */

static uint32_t rd16(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t rd32(const unsigned char *p)
{
    return rd16(p) | rd16(p + 2) << 16;
}

/* The uncompressed member name of a zip written by the generator (local headers, deflate),
 * checking its CRC; NULL when absent. */
static char *zip_member(const char *zip, size_t zlen, const char *name, size_t *len)
{
    const unsigned char *z = (const unsigned char *)zip;
    size_t pos = 0;
    while (pos + 30 <= zlen && rd32(z + pos) == 0x04034b50u) {
        uint32_t method = rd16(z + pos + 8), crc = rd32(z + pos + 14), csz = rd32(z + pos + 18);
        uint32_t usz = rd32(z + pos + 22), nl = rd16(z + pos + 26), xl = rd16(z + pos + 28);
        const unsigned char *data = z + pos + 30 + nl + xl;
        if (strlen(name) == nl && memcmp(z + pos + 30, name, nl) == 0) {
            assert_int_equal(method, 8);
            char *out = malloc(usz + 1);
            z_stream st;
            memset(&st, 0, sizeof(st));
            assert_int_equal(inflateInit2(&st, -15), Z_OK);
            st.next_in = (Bytef *)(uintptr_t)data;
            st.avail_in = csz;
            st.next_out = (Bytef *)out;
            st.avail_out = usz;
            assert_int_equal(inflate(&st, Z_FINISH), Z_STREAM_END);
            inflateEnd(&st);
            assert_int_equal(crc32(0L, (const Bytef *)out, usz), crc);
            out[usz] = '\0';
            *len = usz;
            return out;
        }
        pos += 30 + nl + xl + csz;
    }
    return NULL;
}

static char *member_of(const char *path, const char *container, const char *member, size_t *len)
{
    if (!container) return slurp(path, len);
    if (strcmp(container, "gzip") == 0) {
        struct rp_buf b;
        rp_buf_init(&b, 64 << 20);
        if (rp_gz_read_file(path, NULL, &b, NULL) != RP_OK) {
            rp_buf_release(&b);
            return NULL;
        }
        return rp_buf_take(&b, len);
    }
    size_t zlen = 0;
    char *zip = slurp(path, &zlen);
    if (!zip) return NULL;
    char *m = zip_member(zip, zlen, member, len);
    free(zip);
    return m;
}

static void test_side_documents(void **state)
{
    struct fx *f = *state;
    assert_int_equal(side_run(f->dir, "docs", 1, 1), RP_OK);
    char path[1200];
    snprintf(path, sizeof(path), "%s/docs/side-truth/sensitive.jsonl", f->dir);
    size_t tlen = 0;
    char *truth = slurp(path, &tlen);
    assert_non_null(truth);
    struct rp_json_parser *p = rp_json_parser_new();
    struct rp_json_lines jl;
    rp_json_lines_init(&jl, truth, tlen, false);
    struct rp_json_val rec;
    char cur_key[512] = "", cur_container[16] = "", cur_member[64] = "";
    char *content = NULL;
    size_t clen = 0;
    unsigned checked[8] = {0};
    enum { C_CARD, C_CARD_DECOY, C_SSN, C_IBAN, C_NHS, C_EXAMPLE, C_LINES, C_ZIP };
    while (rp_json_lines_next(&jl, p, &rec, NULL) == RP_OK) {
        struct rp_str key, expect, ident, container = {NULL, 0}, member = {NULL, 0};
        int64_t off = 0, len = 0, line = 0;
        assert_int_equal(rp_json_obj_get_str(rec, "key", &key), RP_OK);
        assert_int_equal(rp_json_obj_get_str(rec, "expect", &expect), RP_OK);
        assert_int_equal(rp_json_obj_get_i64(rec, "offset", &off), RP_OK);
        assert_int_equal(rp_json_obj_get_i64(rec, "length", &len), RP_OK);
        assert_int_equal(rp_json_obj_get_i64(rec, "line", &line), RP_OK);
        bool has_ident = rp_json_obj_get_str(rec, "identifier", &ident) == RP_OK;
        if (rp_json_obj_get_str(rec, "container", &container) != RP_OK) container.len = 0;
        if (rp_json_obj_get_str(rec, "member", &member) != RP_OK) member.len = 0;
        if (container.len && rp_str_eq_cstr(container, "zip")) checked[C_ZIP]++;
        if (!rp_str_eq_cstr(key, cur_key) ||
            (member.len ? !rp_str_eq_cstr(member, cur_member) : cur_member[0] != '\0')) {
            free(content);
            snprintf(cur_key, sizeof(cur_key), "%.*s", (int)key.len, key.p);
            snprintf(cur_container, sizeof(cur_container), "%.*s", (int)container.len,
                     container.len ? container.p : "");
            snprintf(cur_member, sizeof(cur_member), "%.*s", (int)member.len,
                     member.len ? member.p : "");
            snprintf(path, sizeof(path), "%s/docs/%s", f->dir, cur_key);
            content = member_of(path, cur_container[0] ? cur_container : NULL, cur_member, &clen);
            assert_non_null(content);
        }
        assert_true((size_t)(off + len) <= clen);
        /* the recorded line is the line of the offset */
        int64_t nl = 1;
        for (int64_t k = 0; k < off; k++) nl += content[k] == '\n';
        assert_int_equal(nl, line);
        checked[C_LINES]++;
        char v[4096];
        assert_true(len < (int64_t)sizeof(v));
        memcpy(v, content + off, (size_t)len);
        v[len] = '\0';
        bool match = rp_str_eq_cstr(expect, "match");
        if (!has_ident) continue;
        if (rp_str_eq_cstr(ident, "CREDIT_CARD_NUMBER")) {
            assert_int_equal(rp_sim_side_luhn_ok(v), match);
            checked[match ? C_CARD : C_CARD_DECOY]++;
        } else if (rp_str_eq_cstr(ident, "USA_SOCIAL_SECURITY_NUMBER")) {
            assert_int_equal(rp_sim_side_ssn_ok(v), match);
            checked[C_SSN]++;
        } else if (rp_str_eq_cstr(ident, "INTERNATIONAL_BANK_ACCOUNT_NUMBER")) {
            assert_int_equal(rp_sim_side_iban_ok(v), match);
            checked[C_IBAN]++;
        } else if (rp_str_eq_cstr(ident, "UK_NHS_NUMBER")) {
            assert_int_equal(rp_sim_side_nhs_ok(v), match);
            checked[C_NHS]++;
        } else if (rp_str_eq_cstr(ident, "AWS_CREDENTIALS") && !match) {
            assert_true(strcmp(v, RP_SIM_AWS_EXAMPLE_KEY_ID) == 0 ||
                        strcmp(v, RP_SIM_AWS_EXAMPLE_SECRET_KEY) == 0);
            checked[C_EXAMPLE]++;
        } else if (rp_str_eq_cstr(ident, "OPENSSH_PRIVATE_KEY") && match) {
            assert_true(strncmp(v, "-----BEGIN OPENSSH PRIVATE KEY-----\n", 36) == 0);
        }
    }
    for (int k = 0; k < 8; k++) assert_true(checked[k] > 0);
    free(content);
    free(truth);
    rp_json_parser_free(p);

    /* the identifiers a scenario can ask about are those planted */
    const struct rp_sim_world *w = f->run->world;
    for (uint32_t bk = 0; bk < w->nbuckets; bk++) {
        const char *ids[32];
        uint32_t n = rp_sim_side_doc_identifiers(f->run, bk, ids, 32);
        if (w->buckets[bk].purpose == RP_SIM_BUCKET_SHARED) {
            assert_int_equal(n, 10);
            assert_string_equal(ids[0], "DATE_OF_BIRTH");
            assert_string_equal(ids[9], "USA_SOCIAL_SECURITY_NUMBER");
        }
        if (w->buckets[bk].purpose == RP_SIM_BUCKET_LOGS) assert_int_equal(n, 0);
    }
}

/* Scenario marks: a decoy-marked data bucket holds look-alikes only, a sensitive-marked log
 * bucket gets a debug log with leaked credentials, and an instance marked RP_SIM_MARK_VULN_PKG
 * gets a vulnerable openssh. */
static void test_side_marks(void **state)
{
    struct fx *f = *state;
    char out[300];
    snprintf(out, sizeof(out), "%s/marks", f->dir);
    struct rp_sim_opts o;
    rp_sim_opts_init(&o);
    o.days = 1;
    o.scenarios = "none";
    o.generators = SIDE_GENS;
    o.out_dir = out;
    struct rp_sim_run *run = NULL;
    assert_int_equal(rp_sim_run_new(&o, &run, NULL), RP_OK);
    struct rp_sim_world *w = run->world;
    uint32_t data = RP_SIM_NONE, logs = RP_SIM_NONE;
    for (uint32_t b = 0; b < w->nbuckets; b++) {
        if (w->buckets[b].purpose == RP_SIM_BUCKET_DATA && data == RP_SIM_NONE) data = b;
        if (w->buckets[b].purpose == RP_SIM_BUCKET_LOGS && logs == RP_SIM_NONE) logs = b;
    }
    assert_int_not_equal(data, RP_SIM_NONE);
    assert_int_not_equal(logs, RP_SIM_NONE);
    assert_false(rp_sim_side_doc_bucket(w, logs));
    w->buckets[data].res.marks |= RP_SIM_MARK_DECOY;
    w->buckets[logs].res.marks |= RP_SIM_MARK_SENSITIVE;
    assert_true(rp_sim_side_doc_bucket(w, logs));
    const char *ids[16];
    assert_int_equal(rp_sim_side_doc_identifiers(run, data, ids, 16), 0);
    assert_int_equal(rp_sim_side_doc_identifiers(run, logs, ids, 16), 3);
    assert_string_equal(ids[0], "AWS_CREDENTIALS");
    assert_string_equal(ids[1], "HTTP_BASIC_AUTH_HEADER");
    assert_string_equal(ids[2], "JSON_WEB_TOKEN");

    uint32_t deb = find_instance(w, RP_SIM_OS_DEBIAN, "12");
    w->instances[deb].res.marks |= RP_SIM_MARK_VULN_PKG;
    struct rp_sim_side_vuln v[32];
    uint32_t n = rp_sim_side_pkg_vulns(run, deb, v, 32);
    bool ssh = false;
    for (uint32_t k = 0; k < n && k < 32; k++)
        if (strcmp(v[k].source, "openssh") == 0) {
            assert_int_equal(v[k].state, RP_SIM_VULN_AFFECTED);
            assert_string_equal(v[k].installed, "1:9.2p1-2+deb12u1");
            ssh = true;
        }
    assert_true(ssh);

    struct rp_errbuf eb = {0};
    assert_int_equal(rp_sim_run_all(run, NULL, &eb), RP_OK);
    char path[600];
    snprintf(path, sizeof(path), "%s/side-truth/sensitive.jsonl", out);
    size_t len = 0;
    char *truth = slurp(path, &len);
    assert_non_null(truth);
    char dq[160], lq[160];
    snprintf(dq, sizeof(dq), "{\"bucket\":\"%s\",", w->buckets[data].res.name);
    snprintf(lq, sizeof(lq), "{\"bucket\":\"%s\",", w->buckets[logs].res.name);
    unsigned decoy_lines = 0, leak = 0;
    for (char *line = truth; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl) *nl = '\0';
        if (strncmp(line, dq, strlen(dq)) == 0) {
            assert_null(strstr(line, "\"expect\":\"match\""));
            decoy_lines++;
        }
        if (strncmp(line, lq, strlen(lq)) == 0 && strstr(line, "\"expect\":\"match\"")) leak++;
        line = nl ? nl + 1 : NULL;
    }
    assert_true(decoy_lines > 100);
    assert_int_equal(leak, 3);
    free(truth);
    snprintf(path, sizeof(path), "%s/buckets/%s/logs/debug/debug-2026-01-04.log", out,
             w->buckets[logs].res.name);
    char *dbg = slurp(path, NULL);
    assert_non_null(dbg);
    assert_non_null(strstr(dbg, "Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."));
    free(dbg);
    rp_sim_run_free(run);
}

/* ---- determinism --------------------------------------------------------------------------- */

/* Compare every file under a and b (recursively, same names, same bytes); count them. */
static void same_tree(const char *a, const char *b, unsigned *files)
{
    DIR *d = opendir(a);
    assert_non_null(d);
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0) continue;
        char pa[1024], pb[1024];
        snprintf(pa, sizeof(pa), "%s/%s", a, de->d_name);
        snprintf(pb, sizeof(pb), "%s/%s", b, de->d_name);
        struct stat st;
        assert_int_equal(stat(pa, &st), 0);
        if (S_ISDIR(st.st_mode)) {
            same_tree(pa, pb, files);
            continue;
        }
        size_t la = 0, lb = 0;
        char *ca = slurp(pa, &la), *cb = slurp(pb, &lb);
        assert_non_null(ca);
        assert_non_null(cb);
        assert_int_equal(la, lb);
        assert_memory_equal(ca, cb, la);
        free(ca);
        free(cb);
        (*files)++;
    }
    closedir(d);
}

static void test_side_same_seed_same_bytes(void **state)
{
    struct fx *f = *state;
    assert_int_equal(side_run(f->dir, "a", 7, 2), RP_OK);
    assert_int_equal(side_run(f->dir, "b", 7, 2), RP_OK);
    assert_int_equal(side_run(f->dir, "c", 8, 2), RP_OK);
    char a[300], b[300], c[300];
    snprintf(a, sizeof(a), "%s/a", f->dir);
    snprintf(b, sizeof(b), "%s/b", f->dir);
    unsigned files = 0;
    same_tree(a, b, &files);
    assert_true(files > 100);
    /* another seed changes the content */
    snprintf(a, sizeof(a), "%s/a/threatintel/malicious-ips.txt", f->dir);
    snprintf(c, sizeof(c), "%s/c/threatintel/malicious-ips.txt", f->dir);
    char *ca = slurp(a, NULL), *cc = slurp(c, NULL);
    assert_non_null(ca);
    assert_non_null(cc);
    assert_string_not_equal(ca, cc);
    free(ca);
    free(cc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_side_validators),
        cmocka_unit_test(test_side_base64),
        cmocka_unit_test(test_side_dpkg_stanza),
        cmocka_unit_test(test_side_apk_stanza),
        cmocka_unit_test(test_side_osv_tree),
        cmocka_unit_test(test_side_vuln_states),
        cmocka_unit_test(test_side_mark_vulnerable),
        cmocka_unit_test(test_side_metrics_rows),
        cmocka_unit_test(test_side_threatintel),
        cmocka_unit_test(test_side_documents),
        cmocka_unit_test(test_side_marks),
        cmocka_unit_test(test_side_same_seed_same_bytes),
    };
    return cmocka_run_group_tests_name("sim_side", tests, setup, teardown);
}
