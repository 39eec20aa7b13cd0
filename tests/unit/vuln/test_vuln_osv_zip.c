/* SPDX-License-Identifier: Apache-2.0 */
/* OSV zip archives in rp_vuln_db_import (src/vuln/vuln_osv.c), as osv.dev publishes them per
 * ecosystem (<Ecosystem>/all.zip, one <ID>.json per member). The test writes the zip itself
 * with libarchive's writer: three advisories (one deflated, two stored), a broken member and a
 * member that is not .json. Checks the exact import summary, the broken member in rejects
 * under "<zip>:<member>" with its reason, that matching sees the zipped advisories, that a
 * re-import changes nothing, a newer zip updates, and that a file named .zip that is not one
 * is rejected. */
#include <archive.h>
#include <archive_entry.h>
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

static char g_dir[64], g_db[96], g_zip[96];
static struct rp_store *g_st;

struct member {
    const char *name, *data;
    bool deflate;
};

static void write_zip(const char *path, const struct member *m, size_t n)
{
    struct archive *a = archive_write_new();
    assert_int_equal(archive_write_set_format_zip(a), ARCHIVE_OK);
    assert_int_equal(archive_write_open_filename(a, path), ARCHIVE_OK);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(m[i].deflate ? archive_write_zip_set_compression_deflate(a)
                                      : archive_write_zip_set_compression_store(a),
                         ARCHIVE_OK);
        struct archive_entry *e = archive_entry_new();
        archive_entry_set_pathname(e, m[i].name);
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_perm(e, 0644);
        archive_entry_set_mtime(e, 1700000000, 0);
        archive_entry_set_size(e, (la_int64_t)strlen(m[i].data));
        assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
        assert_int_equal(archive_write_data(a, m[i].data, strlen(m[i].data)),
                         (la_ssize_t)strlen(m[i].data));
        archive_entry_free(e);
    }
    assert_int_equal(archive_write_close(a), ARCHIVE_OK);
    archive_write_free(a);
}

#define ADV(id, modified, eco, name, fixed)                                                        \
    "{\"id\":\"" id "\",\"modified\":\"" modified "\",\"summary\":\"" id " summary\","             \
    "\"affected\":[{\"package\":{\"ecosystem\":\"" eco "\",\"name\":\"" name "\"},"                \
    "\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"" fixed   \
    "\"}]}]}]}"

static const struct member ZIP1[] = {
    {"ZIP-0001.json", ADV("ZIP-0001", "2024-01-01T00:00:00Z", "PyPI", "zipped-pkg", "1.2.0"), true},
    {"ZIP-0002.json", ADV("ZIP-0002", "2024-01-02T00:00:00Z", "PyPI", "zipped-pkg", "1.1.0"),
     false},
    {"broken.json", "{\"id\": \"ZIP-BROKEN\", ", true},
    {"README.txt", "not an advisory", false},
    {"sub/ZIP-0003.json", ADV("ZIP-0003", "2024-01-03T00:00:00Z", "PyPI", "other-pkg", "2.0"),
     false},
};

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

/* "source|reason" of every reject, in order. */
static char *rejects(void)
{
    struct rp_store_stmt *s;
    bool row = false;
    struct rp_errbuf eb = {0};
    struct rp_buf b;
    rp_buf_init(&b, 1u << 16);
    assert_int_equal(
        rp_store_stmt_prepare(g_st, "SELECT source, reason FROM rejects ORDER BY id", &s, &eb),
        RP_OK);
    while (rp_store_stmt_step(s, &row, &eb) == RP_OK && row)
        assert_int_equal(rp_buf_printf(&b, "%s|%s\n", rp_store_stmt_column_text(s, 0, NULL),
                                       rp_store_stmt_column_text(s, 1, NULL)),
                         RP_OK);
    rp_store_stmt_reset(s);
    assert_int_equal(rp_buf_append(&b, "", 1), RP_OK);
    return rp_buf_take(&b, NULL);
}

static rp_err collect(const struct rp_vuln_hit *h, void *ctx, struct rp_errbuf *eb)
{
    (void)eb;
    return rp_buf_printf(ctx, "%s %s\n", h->id, h->fixed ? h->fixed : "-");
}

static char *match(const char *name, const char *version)
{
    struct rp_buf b;
    rp_buf_init(&b, 1u << 16);
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_vuln_match(g_st, rp_str_from("PyPI"), rp_str_from(name),
                                   rp_str_from(version), collect, &b, &eb),
                     RP_OK);
    assert_int_equal(rp_buf_append(&b, "", 1), RP_OK);
    return rp_buf_take(&b, NULL);
}

static void expect_summary(const struct rp_vuln_import_summary *s, int64_t files, int64_t adv,
                           int64_t ins, int64_t upd, int64_t unch, int64_t rej)
{
    assert_int_equal(s->files, files);
    assert_int_equal(s->advisories, adv);
    assert_int_equal(s->inserted, ins);
    assert_int_equal(s->updated, upd);
    assert_int_equal(s->unchanged, unch);
    assert_int_equal(s->rejected, rej);
}

static void test_osv_zip_import(void **state)
{
    (void)state;
    write_zip(g_zip, ZIP1, sizeof ZIP1 / sizeof ZIP1[0]);
    const char *paths[] = {g_zip};
    struct rp_vuln_import_summary sum;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_vuln_db_import(g_st, paths, 1, &sum, &eb), RP_OK);
    expect_summary(&sum, 4, 3, 3, 0, 0, 1);
    char *r = rejects(), want[512];
    snprintf(want, sizeof want, "%s:broken.json|%s\n", g_zip,
             "json: unexpected end of input at offset 21");
    assert_string_equal(r, want);
    free(r);
    char *m = match("zipped-pkg", "1.0.0");
    assert_string_equal(m, "ZIP-0001 1.2.0\nZIP-0002 1.1.0\n");
    free(m);
    m = match("other-pkg", "1.9");
    assert_string_equal(m, "ZIP-0003 2.0\n");
    free(m);

    /* again: nothing changes (the broken member is rejected again) */
    assert_int_equal(rp_vuln_db_import(g_st, paths, 1, &sum, &eb), RP_OK);
    expect_summary(&sum, 4, 3, 0, 0, 3, 1);
    assert_int_equal(count("SELECT count(*) FROM osv_advisories WHERE id LIKE 'ZIP-%'"), 3);

    /* a newer ZIP-0002 in a new zip, found by walking the directory */
    const struct member newer[] = {
        {"ZIP-0002.json", ADV("ZIP-0002", "2024-02-01T00:00:00Z", "PyPI", "zipped-pkg", "1.0.1"),
         true},
    };
    char z2[128];
    snprintf(z2, sizeof z2, "%s/PyPI-newer.zip", g_dir);
    write_zip(z2, newer, 1);
    const char *dir[] = {z2};
    assert_int_equal(rp_vuln_db_import(g_st, dir, 1, &sum, &eb), RP_OK);
    expect_summary(&sum, 1, 1, 0, 1, 0, 0);
    m = match("zipped-pkg", "1.0.1");
    assert_string_equal(m, "ZIP-0001 1.2.0\n");
    free(m);
    unlink(z2);
}

static void test_osv_zip_not_a_zip(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/fake.zip", g_dir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs("this is not a zip archive\n", f);
    fclose(f);
    const char *paths[] = {path};
    struct rp_vuln_import_summary sum;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_vuln_db_import(g_st, paths, 1, &sum, &eb), RP_OK);
    expect_summary(&sum, 1, 0, 0, 0, 0, 1);
    char *r = rejects(), want[1024];
    snprintf(want, sizeof want,
             "%s:broken.json|json: unexpected end of input at offset 21\n"
             "%s:broken.json|json: unexpected end of input at offset 21\n"
             "%s|not a zip archive: Unrecognized archive format\n",
             g_zip, g_zip, path);
    assert_string_equal(r, want);
    free(r);
    unlink(path);
}

static int setup(void **state)
{
    (void)state;
    snprintf(g_dir, sizeof g_dir, "/tmp/rp-vuln-osvzip-XXXXXX");
    if (!mkdtemp(g_dir)) return -1;
    snprintf(g_db, sizeof g_db, "%s/store.db", g_dir);
    snprintf(g_zip, sizeof g_zip, "%s/all.zip", g_dir);
    struct rp_errbuf eb = {0};
    return rp_store_new(g_db, RP_STORE_RDWR, &g_st, &eb) == RP_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    rp_store_free(g_st);
    char p[128];
    unlink(g_db);
    snprintf(p, sizeof p, "%s-wal", g_db);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", g_db);
    unlink(p);
    unlink(g_zip);
    return rmdir(g_dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_osv_zip_import),
        cmocka_unit_test(test_osv_zip_not_a_zip),
    };
    return cmocka_run_group_tests_name("vuln_osv_zip", tests, setup, teardown);
}
