/* SPDX-License-Identifier: Apache-2.0 */
/* Archives (src/dataid/dataid_archive.c), built by the test with libarchive's writer: members
 * of a zip in order with their paths, a tar inside the zip opened in turn, directories
 * skipped, a highly compressible member past the expansion limit reported instead of read,
 * a damaged archive reported, and the archive sniffing by name and magic. */
#include <archive.h>
#include <archive_entry.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/rp_buf.h"
#include "dataid/dataid.h"

struct mem {
    char *data;
    size_t n;
};

static void add(struct archive *a, const char *name, const char *data, size_t n, bool dir)
{
    struct archive_entry *e = archive_entry_new();
    archive_entry_set_pathname(e, name);
    archive_entry_set_filetype(e, dir ? AE_IFDIR : AE_IFREG);
    archive_entry_set_perm(e, dir ? 0755 : 0644);
    archive_entry_set_size(e, dir ? 0 : (la_int64_t)n);
    archive_entry_set_mtime(e, 1767225600, 0);
    assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
    if (!dir && n) assert_int_equal(archive_write_data(a, data, n), (la_ssize_t)n);
    archive_entry_free(e);
}

/* An archive in memory: zip (deflate) or ustar, with the given members. */
static struct mem build(bool zip, const char *const *names, const struct mem *data, size_t k)
{
    size_t cap = 1u << 22, used = 0;
    char *buf = malloc(cap);
    assert_non_null(buf);
    struct archive *a = archive_write_new();
    if (zip)
        archive_write_set_format_zip(a);
    else
        archive_write_set_format_ustar(a);
    assert_int_equal(archive_write_open_memory(a, buf, cap, &used), ARCHIVE_OK);
    for (size_t i = 0; i < k; i++) add(a, names[i], data[i].data, data[i].n, data[i].data == NULL);
    assert_int_equal(archive_write_close(a), ARCHIVE_OK);
    archive_write_free(a);
    return (struct mem){buf, used};
}

static rp_err on_member(void *ctx, const char *path, const char *data, size_t n, const char *status,
                        struct rp_errbuf *eb)
{
    (void)eb;
    return rp_buf_printf(ctx, "%s %zu %s %.*s\n", path, n, status ? status : "-",
                         (int)(n < 12 ? n : 12), data ? data : "");
}

static void test_archive_nested_members(void **state)
{
    (void)state;
    static const char *const tnames[] = {"inner/b.csv"};
    struct mem tdata[] = {{"name,ssn\nx,1\n", 13}};
    struct mem tar = build(false, tnames, tdata, 1);
    static const char *const znames[] = {"docs/", "docs/a.txt", "pack.tar", "z.txt"};
    struct mem zdata[] = {{NULL, 0}, {"hello world\n", 12}, {tar.data, tar.n}, {"last", 4}};
    struct mem zip = build(true, znames, zdata, 4);
    assert_true(rp_dataid_is_archive("x.bin", zip.data, zip.n));
    assert_true(rp_dataid_is_archive("x.TAR.GZ", "", 0));
    assert_false(rp_dataid_is_archive("x.txt", "hello", 5));
    struct rp_buf out;
    rp_buf_init(&out, 0);
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_dataid_archive_each("b/c.zip", zip.data, zip.n, on_member, &out, &eb),
                     RP_OK);
    assert_string_equal(out.data, "b/c.zip!/docs/a.txt 12 - hello world\n\n"
                                  "b/c.zip!/pack.tar!/inner/b.csv 13 - name,ssn\nx,1\n"
                                  "b/c.zip!/z.txt 4 - last\n");
    rp_buf_release(&out);
    free(tar.data);
    free(zip.data);
}

static void test_archive_limits_and_damage(void **state)
{
    (void)state;
    size_t big = 8u << 20; /* zeros: a few KiB compressed, 8 MiB expanded */
    char *zeros = calloc(1, big);
    assert_non_null(zeros);
    static const char *const names[] = {"ok.txt", "bomb.bin"};
    struct mem data[] = {{"fine", 4}, {zeros, big}};
    struct mem zip = build(true, names, data, 2);
    assert_true(zip.n < 100000);
    struct rp_buf out;
    rp_buf_init(&out, 0);
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_dataid_archive_each("z.zip", zip.data, zip.n, on_member, &out, &eb), RP_OK);
    assert_string_equal(out.data, "z.zip!/ok.txt 4 - fine\n"
                                  "z.zip!/bomb.bin 0 ARCHIVE_EXPANSION_LIMIT \n");
    rp_buf_release(&out);
    /* cut in the middle: what was read comes first, then the damage is reported */
    rp_buf_init(&out, 0);
    assert_int_equal(rp_dataid_archive_each("bad.zip", "PK\3\4garbage", 11, on_member, &out, &eb),
                     RP_OK);
    assert_string_equal(out.data, "bad.zip 0 UNSUPPORTED_OR_DAMAGED \n");
    rp_buf_release(&out);
    free(zip.data);
    free(zeros);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_archive_nested_members),
        cmocka_unit_test(test_archive_limits_and_damage),
    };
    return cmocka_run_group_tests_name("dataid_archive", tests, NULL, NULL);
}
