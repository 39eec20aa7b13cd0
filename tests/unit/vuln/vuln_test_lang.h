/* SPDX-License-Identifier: Apache-2.0 */
/* Shared by the language-lockfile and SBOM inventory tests (test_vuln_inv_go_mod.c ..
 * test_vuln_inv_spdx.c): run a format's parse() over a fixture under
 * tests/fixtures/vuln/inv and render every package as one line
 * "ecosystem|name|match_name|version|arch|package_manager|file" ("-" for NULL). Include after
 * cmocka.h. */
#ifndef VULN_TEST_LANG_H
#define VULN_TEST_LANG_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rp_buf.h"
#include "vuln/vuln.h"

#define INV RP_FIXTURES_DIR "/vuln/inv"

static char *inv_slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *b = malloc(1u << 20);
    assert_non_null(b);
    *n = fread(b, 1, 1u << 20, f);
    fclose(f);
    return b;
}

static rp_err inv_collect(const struct rp_vuln_pkg *p, void *ctx, struct rp_errbuf *eb)
{
    (void)eb;
    const char *file = strrchr(p->file_path, '/');
    return rp_buf_printf(ctx, "%s|%s|%s|%s|%s|%s|%s\n", p->ecosystem ? p->ecosystem : "-", p->name,
                         p->match_name ? p->match_name : "-", p->version, p->arch ? p->arch : "-",
                         p->package_manager, file ? file + 1 : "");
}

/* Parse fixture rel with fmt; returns the rendered packages (or "ERR <code> <msg>" with the
 * fixtures prefix removed from the message). The caller frees. */
static char *inv_run(const struct rp_vuln_inventory_format *fmt, const char *rel)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", INV, rel);
    size_t n = 0;
    char *data = inv_slurp(path, &n);
    struct rp_buf b;
    rp_buf_init(&b, 1u << 20);
    struct rp_errbuf eb = {0};
    struct rp_vuln_inv_ctx cx = {path, NULL};
    rp_err rc = fmt->parse(&cx, data, n, inv_collect, &b, &eb);
    free(data);
    if (rc != RP_OK) {
        b.len = 0;
        const char *m = eb.msg;
        if (strncmp(m, INV "/", strlen(INV) + 1) == 0) m += strlen(INV) + 1;
        assert_int_equal(rp_buf_printf(&b, "ERR %s %s", rp_err_name(rc), m), RP_OK);
    }
    assert_int_equal(rp_buf_append(&b, "", 1), RP_OK);
    return rp_buf_take(&b, NULL);
}

static void inv_expect(const struct rp_vuln_inventory_format *fmt, const char *rel,
                       const char *want)
{
    char *got = inv_run(fmt, rel);
    assert_string_equal(got, want);
    free(got);
}

/* The format is registered in rp_vuln_inventory_formats[]. */
static void inv_registered(const struct rp_vuln_inventory_format *fmt)
{
    bool found = false;
    for (size_t i = 0; rp_vuln_inventory_formats[i]; i++)
        if (rp_vuln_inventory_formats[i] == fmt) found = true;
    assert_true(found);
}

#endif
