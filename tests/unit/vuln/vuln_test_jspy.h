/* SPDX-License-Identifier: Apache-2.0 */
/* Shared by the JavaScript and Python lockfile tests (test_vuln_inv_package_lock.c and the
 * yarn, requirements, poetry and Pipfile ones; include after vuln_test_inv.h): parse text held
 * in the test itself under a short path, for exact error messages and damaged entries. */
#ifndef RP_VULN_TEST_JSPY_H
#define RP_VULN_TEST_JSPY_H

/* Rows of text parsed by fmt as the file "path" (an exact-size copy, for ASan). */
static inline char *jspy_text(const struct rp_vuln_inventory_format *fmt, const char *path,
                              const char *text, rp_err *rc, struct rp_errbuf *eb)
{
    size_t n = strlen(text);
    char *data = malloc(n ? n : 1);
    assert_non_null(data);
    memcpy(data, text, n);
    struct inv_rows r = {.path = path};
    rp_buf_init(&r.b, 1u << 20);
    struct rp_vuln_inv_ctx cx = {.path = path, .os_ecosystem = "Debian:12"};
    *rc = fmt->parse(&cx, data, n, inv_row, &r, eb);
    free(data);
    assert_int_equal(rp_buf_append(&r.b, "", 1), RP_OK);
    return rp_buf_take(&r.b, NULL);
}

/* Assert that parsing text fails with code and exactly message msg. */
static inline void jspy_fails(const struct rp_vuln_inventory_format *fmt, const char *path,
                              const char *text, rp_err code, const char *msg)
{
    rp_err rc = RP_OK;
    struct rp_errbuf eb = {0};
    char *rows = jspy_text(fmt, path, text, &rc, &eb);
    assert_int_equal(rc, code);
    assert_string_equal(eb.msg, msg);
    assert_string_equal(rows, "");
    free(rows);
}

/* Assert that parsing text succeeds with exactly the rows want. */
static inline void jspy_rows(const struct rp_vuln_inventory_format *fmt, const char *path,
                             const char *text, const char *want)
{
    rp_err rc = RP_EINTERNAL;
    struct rp_errbuf eb = {0};
    char *rows = jspy_text(fmt, path, text, &rc, &eb);
    assert_int_equal(rc, RP_OK);
    assert_string_equal(rows, want);
    free(rows);
}

/* Assert that fixture file (under INV) parses with exactly the rows want. */
static inline void jspy_file(const struct rp_vuln_inventory_format *fmt, const char *file,
                             const char *want)
{
    rp_err rc = RP_EINTERNAL;
    struct rp_errbuf eb = {0};
    char *rows = inv_parse(fmt, file, NULL, 0, &rc, &eb);
    assert_int_equal(rc, RP_OK);
    assert_string_equal(rows, want);
    free(rows);
}

#endif
