/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for core/rp_embed: the generated table is sorted, complete and NUL-terminated;
 * lookups find every entry; the --data-dir overlay replaces files by path, never patches. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/rp_embed.h"
#include "tools/rp_test_tmpdir.h"

static void test_embed_table_sorted_and_findable(void **state)
{
    (void)state;
    assert_true(rp_embedded_count > 0); /* data/ is never empty: the store schema lives there */
    for (unsigned i = 0; i < rp_embedded_count; i++) {
        const struct rp_embed_file *f = &rp_embedded[i];
        assert_non_null(f->path);
        if (i) assert_true(strcmp(rp_embedded[i - 1].path, f->path) < 0);
        assert_int_equal(f->data[f->size], 0);
        assert_ptr_equal(rp_embed_find(f->path), f);
    }
    assert_null(rp_embedded[rp_embedded_count].path);
    assert_null(rp_embed_find("no/such/file.yaml"));
    assert_null(rp_embed_find(""));
}

/* Each built-in file's bytes equal the file in data/ at build time. */
static void test_embed_bytes_match_source(void **state)
{
    (void)state;
    for (unsigned i = 0; i < rp_embedded_count; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", RP_DATA_DIR, rp_embedded[i].path);
        FILE *f = fopen(path, "rb");
        assert_non_null(f);
        char *buf = malloc(rp_embedded[i].size + 1);
        size_t n = fread(buf, 1, rp_embedded[i].size + 1, f);
        fclose(f);
        assert_int_equal(n, rp_embedded[i].size);
        assert_memory_equal(buf, rp_embedded[i].data, n);
        free(buf);
    }
}

static int count_cb(const struct rp_embed_file *f, void *ctx)
{
    (void)f;
    (*(unsigned *)ctx)++;
    return 0;
}

static void test_embed_each_prefix(void **state)
{
    (void)state;
    unsigned n = 0;
    assert_int_equal(rp_embed_each("", count_cb, &n), 0);
    assert_int_equal(n, rp_embedded_count);
    n = 0;
    assert_int_equal(rp_embed_each("no-such-prefix/", count_cb, &n), 0);
    assert_int_equal(n, 0);
}

static void test_embed_overlay_replaces_by_path(void **state)
{
    (void)state;
    char dir[64];
    assert_int_equal(rp_test_tmpdir_make(dir, sizeof dir, "rp_embed_"), 0);
    const char *name = rp_embedded[0].path;
    char sub[1200], file[1200];
    snprintf(file, sizeof file, "%s/%s", dir, name);
    /* create the parent directories of the overlay file */
    snprintf(sub, sizeof sub, "%s", file);
    for (char *p = sub + strlen(dir) + 1; (p = strchr(p, '/')); p++) {
        *p = '\0';
        mkdir(sub, 0700);
        *p = '/';
    }
    FILE *f = fopen(file, "wb");
    assert_non_null(f);
    fputs("overlay!", f);
    fclose(f);

    struct rp_buf b;
    struct rp_errbuf eb;
    rp_buf_init(&b, 0);
    assert_int_equal(rp_embed_set_overlay(dir), RP_OK);
    assert_int_equal(rp_embed_load(name, &b, &eb), RP_OK);
    assert_string_equal(rp_buf_cstr(&b), "overlay!");
    /* a file missing from the overlay falls back to the built-in copy */
    rp_buf_reset(&b);
    assert_int_equal(rp_embed_load("no/such/file.yaml", &b, &eb), RP_ENOENT);
    assert_string_equal(eb.msg, "embed: no data file 'no/such/file.yaml'");
    assert_int_equal(rp_embed_set_overlay(NULL), RP_OK);
    rp_buf_reset(&b);
    assert_int_equal(rp_embed_load(name, &b, &eb), RP_OK);
    assert_int_equal(b.len, rp_embedded[0].size);
    assert_memory_equal(b.data, rp_embedded[0].data, b.len);
    rp_buf_release(&b);
    assert_int_equal(rp_test_tmpdir_remove(dir), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_embed_table_sorted_and_findable),
        cmocka_unit_test(test_embed_bytes_match_source),
        cmocka_unit_test(test_embed_each_prefix),
        cmocka_unit_test(test_embed_overlay_replaces_by_path),
    };
    return cmocka_run_group_tests_name("core_embed", tests, NULL, NULL);
}
