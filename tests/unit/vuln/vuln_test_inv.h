/* SPDX-License-Identifier: Apache-2.0 */
/* Shared by the package-inventory tests of tests/unit/vuln (include after cmocka.h): run one
 * format's parse() over a fixture file and render every package as a line
 *     "ecosystem|name|match_name|version|arch|package_manager"
 * ("-" for NULL), checking that file_path is the path given in the context. */
#ifndef RP_VULN_TEST_INV_H
#define RP_VULN_TEST_INV_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rp_buf.h"
#include "vuln/vuln.h"

#define INV RP_FIXTURES_DIR "/vuln/inv"

/* The descriptors, declared from the registry's list (vuln.h only exports the registry). */
#define RP_VULN_INVENTORY(sym) extern const struct rp_vuln_inventory_format sym;
#include "vuln/vuln_inventories.def"
#undef RP_VULN_INVENTORY

struct inv_rows {
    struct rp_buf b;
    const char *path;
    int stop_after; /* fail with RP_ELIMIT after this many packages (0: never) */
    int seen;
};

static inline rp_err inv_row(const struct rp_vuln_pkg *p, void *ctx, struct rp_errbuf *eb)
{
    struct inv_rows *r = ctx;
    assert_ptr_equal(p->file_path, r->path);
    if (r->stop_after && r->seen == r->stop_after)
        return rp_fail(eb, RP_ELIMIT, "stop at '%s'", p->name);
    r->seen++;
#define D(s) ((s) ? (s) : "-")
    return rp_buf_printf(&r->b, "%s|%s|%s|%s|%s|%s\n", D(p->ecosystem), D(p->name),
                         D(p->match_name), D(p->version), D(p->arch), D(p->package_manager));
#undef D
}

/* The whole file at path in a buffer of exactly its size (so ASan sees overreads). */
static inline char *inv_read(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char tmp[1 << 16];
    size_t len = fread(tmp, 1, sizeof tmp, f);
    assert_true(len < sizeof tmp);
    fclose(f);
    char *p = malloc(len ? len : 1);
    assert_non_null(p);
    memcpy(p, tmp, len);
    *n = len;
    return p;
}

/* Parse the file with fmt; returns the rendered rows (caller frees) and the error in *rc/eb. */
static inline char *inv_parse(const struct rp_vuln_inventory_format *fmt, const char *path,
                              const char *os, int stop_after, rp_err *rc, struct rp_errbuf *eb)
{
    size_t n = 0;
    char *data = inv_read(path, &n);
    struct inv_rows r = {.path = path, .stop_after = stop_after};
    rp_buf_init(&r.b, 1u << 20);
    struct rp_vuln_inv_ctx cx = {.path = path, .os_ecosystem = os};
    *rc = fmt->parse(&cx, data, n, inv_row, &r, eb);
    free(data);
    assert_int_equal(rp_buf_append(&r.b, "", 1), RP_OK);
    char *out = rp_buf_take(&r.b, NULL);
    return out;
}

/* The format named name in the registry (it must be registered). */
static inline const struct rp_vuln_inventory_format *inv_format(const char *name)
{
    for (size_t i = 0; rp_vuln_inventory_formats[i]; i++)
        if (strcmp(rp_vuln_inventory_formats[i]->name, name) == 0)
            return rp_vuln_inventory_formats[i];
    fail_msg("format '%s' not registered", name);
    return NULL;
}

#endif
