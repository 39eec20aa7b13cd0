/* SPDX-License-Identifier: Apache-2.0 */
/* The os-release reader (src/vuln/vuln_os_release.c): the OSV ecosystem of Debian, Ubuntu
 * (LTS or not), Alpine, Rocky, AlmaLinux, RHEL (from CPE_NAME), openSUSE, SLES, Wolfi; quoting
 * and comments; RP_ENOENT for unknown or incomplete files; RP_ELIMIT for a short buffer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vuln/vuln_inv_internal.h"

/* The ecosystem of text (a copy of exactly its length), or "ENOENT". */
static void expect(const char *text, const char *want)
{
    size_t n = strlen(text);
    char *p = malloc(n ? n : 1);
    assert_non_null(p);
    memcpy(p, text, n);
    char out[128];
    rp_err e = rp_vuln_os_release(p, n, out, sizeof out);
    free(p);
    if (strcmp(want, "ENOENT") == 0) {
        assert_int_equal(e, RP_ENOENT);
        assert_string_equal(out, "");
    } else {
        assert_int_equal(e, RP_OK);
        assert_string_equal(out, want);
    }
}

static void test_distributions(void **state)
{
    (void)state;
    expect("PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\n"
           "VERSION_ID=\"12\"\nVERSION=\"12 (bookworm)\"\nVERSION_CODENAME=bookworm\nID=debian\n",
           "Debian:12");
    expect("PRETTY_NAME=\"Debian GNU/Linux trixie/sid\"\nID=debian\n", "Debian");
    expect("NAME=\"Ubuntu\"\nVERSION=\"22.04.3 LTS (Jammy Jellyfish)\"\nID=ubuntu\n"
           "ID_LIKE=debian\nVERSION_ID=\"22.04\"\n",
           "Ubuntu:22.04:LTS");
    expect("ID=ubuntu\nVERSION_ID=\"23.10\"\nVERSION=\"23.10 (Mantic Minotaur)\"\n",
           "Ubuntu:23.10");
    expect("NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.19.1\n", "Alpine:v3.19");
    expect("ID=alpine\nVERSION_ID=3.20.0_alpha20240329\n", "Alpine:v3.20");
    expect("ID=\"rocky\"\nID_LIKE=\"rhel centos fedora\"\nVERSION_ID=\"9.3\"\n", "Rocky Linux:9");
    expect("ID=\"almalinux\"\nVERSION_ID=\"8.9\"\n", "AlmaLinux:8");
    expect(
        "ID=\"rhel\"\nVERSION_ID=\"9.2\"\nCPE_NAME=\"cpe:/o:redhat:enterprise_linux:9::baseos\"\n",
        "Red Hat:enterprise_linux:9::baseos");
    expect("ID=\"opensuse-leap\"\nVERSION_ID=\"15.5\"\nPRETTY_NAME=\"openSUSE Leap 15.5\"\n",
           "openSUSE:openSUSE Leap 15.5");
    expect("ID=\"sles\"\nPRETTY_NAME=\"SUSE Linux Enterprise Server 15 SP5\"\n",
           "SUSE:SUSE Linux Enterprise Server 15 SP5");
    expect("ID=wolfi\nNAME=\"Wolfi\"\n", "Wolfi");
    expect("ID=chainguard\n", "Chainguard");
}

static void test_syntax(void **state)
{
    (void)state;
    /* comments, spaces around lines, CRLF, single quotes, escapes, the last assignment wins */
    expect("# ID=ubuntu\n  ID='debian'  \r\nVERSION_ID=\"1\\\"1\"\nVERSION_ID=\"11\"\n",
           "Debian:11");
    expect("ID=debian\nVERSION_ID=\"12", "Debian"); /* unterminated quote: not set */
    expect("ID=debian\nVERSION_ID=\"12\"x\n", "Debian");
    expect("ID=debian\nVERSION_ID=12", "Debian:12"); /* no final newline */
}

static void test_unknown(void **state)
{
    (void)state;
    expect("", "ENOENT");
    expect("NAME=\"Linux Mint\"\nID=linuxmint\nID_LIKE=\"ubuntu debian\"\n", "ENOENT");
    expect("ID=ubuntu\n", "ENOENT");                  /* no VERSION_ID */
    expect("ID=alpine\nVERSION_ID=edge\n", "ENOENT"); /* not numeric */
    expect("ID=rocky\n", "ENOENT");
    expect("ID=rhel\nVERSION_ID=\"9.2\"\n", "ENOENT"); /* no CPE_NAME */
    expect("ID=rhel\nCPE_NAME=\"cpe:/o:redhat:\"\n", "ENOENT");
    expect("ID=sles\n", "ENOENT");
    expect("ID\nVERSION_ID=12\n=debian\n", "ENOENT");
}

static void test_limit(void **state)
{
    (void)state;
    const char *t = "ID=debian\nVERSION_ID=12\n";
    char out[16];
    assert_int_equal(rp_vuln_os_release(t, strlen(t), out, 9), RP_ELIMIT);
    assert_int_equal(rp_vuln_os_release(t, strlen(t), out, 10), RP_OK);
    assert_string_equal(out, "Debian:12");
    const char nul[] = "ID=deb\0ian\n";
    assert_int_equal(rp_vuln_os_release(nul, sizeof nul - 1, out, sizeof out), RP_ENOENT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_distributions),
        cmocka_unit_test(test_syntax),
        cmocka_unit_test(test_unknown),
        cmocka_unit_test(test_limit),
    };
    return cmocka_run_group_tests_name("vuln_os_release", tests, NULL, NULL);
}
