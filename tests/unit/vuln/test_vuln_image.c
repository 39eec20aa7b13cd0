/* SPDX-License-Identifier: Apache-2.0 */
/* Container image tars in the inventory runner (src/vuln/vuln_image.c through
 * rp_vuln_inventory): the test builds layered images itself with libarchive's writer, in a
 * temp dir. Layer 1: etc/os-release (a symlink to usr/lib/os-release, Debian 12) and a dpkg
 * status with packages A, B, C; layer 2 (gzip): the status without B, plus
 * app/package-lock.json; layer 3: a whiteout of app/ (.wh.app in the docker image, an opaque
 * app/ with a new lockfile, zstd-compressed, in the OCI image). Checks the exact packages with the
 * exact layer digests, a corrupt layer (warning naming it, the other layers still read), a
 * truncated image, a missing layer and a file that is not an image. */
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
#include "core/rp_hash.h"
#include "vuln/vuln.h"

static char g_dir[64];

/* ---- building tars ----------------------------------------------------------------------- */

enum kind { F_FILE, F_DIR, F_LINK };

struct member {
    enum kind kind;
    const char *path;
    const char *data; /* file contents, or the link target */
    size_t n;         /* 0: strlen(data) */
};

enum filter { PLAIN, GZIP, ZSTD };

/* A tar of the members in memory, compressed with filter; caller frees. */
static char *tar_mem(const struct member *m, size_t nm, enum filter gz, size_t *outn)
{
    size_t cap = 1u << 20, used = 0;
    char *buf = malloc(cap);
    assert_non_null(buf);
    struct archive *a = archive_write_new();
    assert_int_equal(archive_write_set_format_pax_restricted(a), ARCHIVE_OK);
    if (gz == GZIP) assert_int_equal(archive_write_add_filter_gzip(a), ARCHIVE_OK);
    if (gz == ZSTD) assert_int_equal(archive_write_add_filter_zstd(a), ARCHIVE_OK);
    assert_int_equal(archive_write_open_memory(a, buf, cap, &used), ARCHIVE_OK);
    for (size_t i = 0; i < nm; i++) {
        struct archive_entry *e = archive_entry_new();
        archive_entry_set_pathname(e, m[i].path);
        archive_entry_set_mtime(e, 1700000000, 0);
        size_t n = m[i].data ? (m[i].n ? m[i].n : strlen(m[i].data)) : 0;
        if (m[i].kind == F_DIR) {
            archive_entry_set_filetype(e, AE_IFDIR);
            archive_entry_set_perm(e, 0755);
        } else if (m[i].kind == F_LINK) {
            archive_entry_set_filetype(e, AE_IFLNK);
            archive_entry_set_perm(e, 0777);
            archive_entry_set_symlink(e, m[i].data);
        } else {
            archive_entry_set_filetype(e, AE_IFREG);
            archive_entry_set_perm(e, 0644);
            archive_entry_set_size(e, (la_int64_t)n);
        }
        assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
        if (m[i].kind == F_FILE && n)
            assert_int_equal(archive_write_data(a, m[i].data, n), (la_ssize_t)n);
        archive_entry_free(e);
    }
    assert_int_equal(archive_write_close(a), ARCHIVE_OK);
    archive_write_free(a);
    *outn = used;
    return buf;
}

/* "sha256:<hex>" of (p, n) into out[72]. */
static void digest(const char *p, size_t n, char out[80])
{
    char hex[RP_HASH_SHA256_HEXSZ];
    assert_int_equal(rp_hash_sha256_hex(p, n, hex), RP_OK);
    snprintf(out, 80, "sha256:%s", hex);
}

/* Write a plain tar of the members to path. */
static void tar_file(const char *path, const struct member *m, size_t nm)
{
    size_t n = 0;
    char *p = tar_mem(m, nm, PLAIN, &n);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(p, 1, n, f), n);
    fclose(f);
    free(p);
}

/* ---- the image ---------------------------------------------------------------------------- */

static const char OS_RELEASE[] = "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n"
                                 "NAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nID=debian\n";

#define PKG(name, src, ver)                                                                        \
    "Package: " name "\nStatus: install ok installed\nArchitecture: amd64\n" src "Version: " ver   \
    "\n\n"

static const char STATUS_ABC[] =
    PKG("pkg-a", "", "1.0-1") PKG("pkg-b", "Source: bsrc\n", "2.0-1") PKG("pkg-c", "", "1:3.0-2");
static const char STATUS_AC[] = PKG("pkg-a", "", "1.0-1") PKG("pkg-c", "", "1:3.0-2");

static const char LOCK_OLD[] = "{\"name\":\"app\",\"lockfileVersion\":3,\"packages\":{"
                               "\"\":{\"name\":\"app\"},"
                               "\"node_modules/lodash\":{\"version\":\"4.17.20\"}}}";
static const char LOCK_NEW[] = "{\"name\":\"app\",\"lockfileVersion\":3,\"packages\":{"
                               "\"\":{\"name\":\"app\"},"
                               "\"node_modules/lodash\":{\"version\":\"4.17.21\"}}}";

struct layers {
    char *p[3];
    size_t n[3];
    char d[3][80];
};

/* The three layers; opaque selects the OCI variant of layer 3. */
static void make_layers(struct layers *L, bool opaque)
{
    const struct member l1[] = {
        {F_DIR, "etc/", NULL, 0},
        {F_LINK, "etc/os-release", "../usr/lib/os-release", 0},
        {F_DIR, "usr/lib/", NULL, 0},
        {F_FILE, "usr/lib/os-release", OS_RELEASE, 0},
        {F_FILE, "usr/share/doc/README", "not a package file\n", 0},
        {F_FILE, "var/lib/dpkg/status", STATUS_ABC, 0},
    };
    const struct member l2[] = {
        {F_FILE, "./var/lib/dpkg/status", STATUS_AC, 0},
        {F_DIR, "app/", NULL, 0},
        {F_FILE, "app/package-lock.json", LOCK_OLD, 0},
    };
    const struct member l3w[] = {
        {F_FILE, ".wh.app", "", 0},
        {F_FILE, "srv/readme", "x\n", 0},
    };
    /* the new lockfile comes before the opaque marker: a marker hides lower layers only */
    const struct member l3o[] = {
        {F_FILE, "app/package-lock.json", LOCK_NEW, 0},
        {F_FILE, "app/.wh..wh..opq", "", 0},
    };
    L->p[0] = tar_mem(l1, sizeof l1 / sizeof l1[0], PLAIN, &L->n[0]);
    L->p[1] = tar_mem(l2, sizeof l2 / sizeof l2[0], GZIP, &L->n[1]);
    if (opaque) /* the OCI variant's layer 3 is zstd-compressed */
        L->p[2] = tar_mem(l3o, 2, ZSTD, &L->n[2]);
    else
        L->p[2] = tar_mem(l3w, 2, PLAIN, &L->n[2]);
    for (int i = 0; i < 3; i++) digest(L->p[i], L->n[i], L->d[i]);
}

static void free_layers(struct layers *L)
{
    for (int i = 0; i < 3; i++) free(L->p[i]);
}

/* A docker save tar at path: l<i>/layer.tar members, config.json with diff_ids (when
 * with_config), manifest.json last (as docker writes it). bad_layer (0-based, or -1) gets
 * garbage instead of its bytes. */
static void make_docker(const char *path, const struct layers *L, bool with_config, int bad_layer,
                        bool manifest_first)
{
    char cfg[1024], man[1024];
    snprintf(cfg, sizeof cfg,
             "{\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"%s\",\"%s\",\"%s\"]}}", L->d[0],
             L->d[1], L->d[2]);
    snprintf(man, sizeof man,
             "[{\"Config\":%s,\"RepoTags\":[\"app:1\"],\"Layers\":[\"l1/layer.tar\","
             "\"l2/layer.tar\",\"l3/layer.tar\"]}]",
             with_config ? "\"config.json\"" : "null");
    static const char junk[] = "\x1f\x8b\x08\x00garbage that is not a gzip stream at all......";
    struct member m[] = {
        {F_FILE, manifest_first ? "manifest.json" : "config.json", manifest_first ? man : cfg, 0},
        {F_FILE, "l1/layer.tar", bad_layer == 0 ? junk : L->p[0],
         bad_layer == 0 ? sizeof junk - 1 : L->n[0]},
        {F_FILE, "l2/layer.tar", bad_layer == 1 ? junk : L->p[1],
         bad_layer == 1 ? sizeof junk - 1 : L->n[1]},
        {F_FILE, "l3/layer.tar", bad_layer == 2 ? junk : L->p[2],
         bad_layer == 2 ? sizeof junk - 1 : L->n[2]},
        {F_FILE, manifest_first ? "config.json" : "manifest.json", manifest_first ? cfg : man, 0},
    };
    tar_file(path, m, sizeof m / sizeof m[0]);
}

/* An OCI image layout tar at path: blobs in reverse layer order (the reader must not rely on
 * member order), the manifest blob, index.json, oci-layout. */
static void make_oci(const char *path, const struct layers *L)
{
    char man[2048], idx[512], mdig[80], names[3][96], mname[96];
    snprintf(
        man, sizeof man,
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
        "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\","
        "\"digest\":\"sha256:0000000000000000000000000000000000000000000000000000000000000000\","
        "\"size\":2},\"layers\":["
        "{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"%s\",\"size\":%zu},"
        "{\"mediaType\":\"application/"
        "vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"%s\",\"size\":%zu},"
        "{\"mediaType\":\"application/"
        "vnd.oci.image.layer.v1.tar\",\"digest\":\"%s\",\"size\":%zu}]}",
        L->d[0], L->n[0], L->d[1], L->n[1], L->d[2], L->n[2]);
    digest(man, strlen(man), mdig);
    snprintf(idx, sizeof idx,
             "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
             "\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"%s\",\"size\":%zu}]}",
             mdig, strlen(man));
    for (int i = 0; i < 3; i++) snprintf(names[i], sizeof names[i], "blobs/sha256/%s", L->d[i] + 7);
    snprintf(mname, sizeof mname, "blobs/sha256/%s", mdig + 7);
    struct member m[] = {
        {F_FILE, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}", 0},
        {F_FILE, names[2], L->p[2], L->n[2]},
        {F_FILE, names[1], L->p[1], L->n[1]},
        {F_FILE, names[0], L->p[0], L->n[0]},
        {F_FILE, mname, man, 0},
        {F_FILE, "index.json", idx, 0},
    };
    tar_file(path, m, sizeof m / sizeof m[0]);
}

/* ---- running the inventory ---------------------------------------------------------------- */

struct out {
    struct rp_buf rows, warns;
};

static rp_err row(const struct rp_vuln_pkg *p, void *ctx, struct rp_errbuf *eb)
{
    (void)eb;
    struct out *o = ctx;
#define D(s) ((s) ? (s) : "-")
    return rp_buf_printf(&o->rows, "%s|%s|%s|%s|%s|%s|%s\n", D(p->ecosystem), D(p->name),
                         D(p->version), D(p->package_manager), D(p->file_path),
                         D(p->source_layer_hash), D(p->arch));
#undef D
}

static void warn(void *ctx, const char *msg)
{
    struct out *o = ctx;
    assert_int_equal(rp_buf_printf(&o->warns, "%s\n", msg), RP_OK);
}

static void run(const char *path, struct out *o, struct rp_vuln_inventory_summary *sum)
{
    rp_buf_init(&o->rows, 1u << 20);
    rp_buf_init(&o->warns, 1u << 20);
    struct rp_errbuf eb = {0};
    const char *paths[] = {path};
    assert_int_equal(rp_vuln_inventory(paths, 1, row, o, warn, o, sum, &eb), RP_OK);
    assert_int_equal(rp_buf_append(&o->rows, "", 1), RP_OK);
    assert_int_equal(rp_buf_append(&o->warns, "", 1), RP_OK);
}

static void out_release(struct out *o)
{
    rp_buf_release(&o->rows);
    rp_buf_release(&o->warns);
}

/* The expected rows: dpkg A and C (B removed in layer 2) from layer 2, and the lockfile. */
static char *expected(const char *tar, const struct layers *L, const char *lock_layer,
                      const char *lock_version)
{
    struct rp_buf b;
    rp_buf_init(&b, 1u << 16);
    if (lock_layer)
        assert_int_equal(rp_buf_printf(&b, "npm|lodash|%s|NPM|%s:/app/package-lock.json|%s|-\n",
                                       lock_version, tar, lock_layer),
                         RP_OK);
    assert_int_equal(rp_buf_printf(&b,
                                   "Debian:12|pkg-a|1.0-1|OS|%s:/var/lib/dpkg/status|%s|amd64\n"
                                   "Debian:12|pkg-c|1:3.0-2|OS|%s:/var/lib/dpkg/status|%s|amd64\n",
                                   tar, L->d[1], tar, L->d[1]),
                     RP_OK);
    assert_int_equal(rp_buf_append(&b, "", 1), RP_OK);
    return rp_buf_take(&b, NULL);
}

static void test_image_docker_layers(void **state)
{
    (void)state;
    struct layers L;
    make_layers(&L, false);
    char tar[128];
    snprintf(tar, sizeof tar, "%s/docker.tar", g_dir);
    for (int with_config = 1; with_config >= 0; with_config--) {
        /* without a config the digests are computed from the members: the same values */
        make_docker(tar, &L, with_config, -1, false);
        struct out o;
        struct rp_vuln_inventory_summary sum;
        run(tar, &o, &sum);
        char *want = expected(tar, &L, NULL, NULL);
        assert_string_equal(o.rows.data, want);
        assert_string_equal(o.warns.data, "");
        assert_int_equal(sum.files_seen, 1);
        assert_int_equal(sum.files_read, 1);
        assert_int_equal(sum.packages, 2);
        assert_int_equal(sum.failed, 0);
        free(want);
        out_release(&o);
    }
    unlink(tar);
    free_layers(&L);
}

static void test_image_oci_layout_opaque(void **state)
{
    (void)state;
    struct layers L;
    make_layers(&L, true);
    char tar[128];
    snprintf(tar, sizeof tar, "%s/oci.tar", g_dir);
    make_oci(tar, &L);
    struct out o;
    struct rp_vuln_inventory_summary sum;
    run(tar, &o, &sum);
    char *want = expected(tar, &L, L.d[2], "4.17.21");
    assert_string_equal(o.rows.data, want);
    assert_string_equal(o.warns.data, "");
    assert_int_equal(sum.files_read, 2);
    assert_int_equal(sum.packages, 3);
    free(want);
    out_release(&o);
    unlink(tar);
    free_layers(&L);
}

static void test_image_corrupt_layer(void **state)
{
    (void)state;
    struct layers L;
    make_layers(&L, false);
    char tar[128];
    snprintf(tar, sizeof tar, "%s/bad.tar", g_dir);
    make_docker(tar, &L, true, 1, false);
    struct out o;
    struct rp_vuln_inventory_summary sum;
    run(tar, &o, &sum);
    /* layer 2 is lost: the status of layer 1 (A, B, C) stands, layer 3 still applies */
    char want[2048], warns[1024];
    snprintf(want, sizeof want,
             "Debian:12|pkg-a|1.0-1|OS|%s:/var/lib/dpkg/status|%s|amd64\n"
             "Debian:12|pkg-b|2.0-1|OS|%s:/var/lib/dpkg/status|%s|amd64\n"
             "Debian:12|pkg-c|1:3.0-2|OS|%s:/var/lib/dpkg/status|%s|amd64\n",
             tar, L.d[0], tar, L.d[0], tar, L.d[0]);
    assert_string_equal(o.rows.data, want);
    snprintf(warns, sizeof warns,
             "vulns: image '%s': layer 'l2/layer.tar': gzip decompression failed\n", tar);
    assert_string_equal(o.warns.data, warns);
    assert_int_equal(sum.failed, 1);
    out_release(&o);
    unlink(tar);
    free_layers(&L);
}

static void test_image_truncated(void **state)
{
    (void)state;
    struct layers L;
    make_layers(&L, false);
    char tar[128];
    snprintf(tar, sizeof tar, "%s/trunc.tar", g_dir);
    make_docker(tar, &L, true, -1, true);
    /* cut in the middle of layer 3's bytes */
    size_t n = 0;
    FILE *f = fopen(tar, "rb");
    assert_non_null(f);
    char *all = malloc(1u << 20);
    assert_non_null(all);
    n = fread(all, 1, 1u << 20, f);
    fclose(f);
    const char *at = memmem(all, n, L.p[2], L.n[2]);
    assert_non_null(at);
    long cut = (long)(at - all) + (long)L.n[2] / 2;
    free(all);
    assert_int_equal(truncate(tar, cut), 0);
    struct out o;
    struct rp_vuln_inventory_summary sum;
    run(tar, &o, &sum);
    char *want = expected(tar, &L, L.d[1], "4.17.20");
    assert_string_equal(o.rows.data, want);
    free(want);
    char warns[1024];
    /* the header pass, the config (after the cut) and layer 3 */
    snprintf(warns, sizeof warns,
             "vulns: image '%s': Truncated input file (needed 2560 bytes, only 1280 available) "
             "at byte %ld\n"
             "vulns: image '%s': member 'config.json' not found\n"
             "vulns: image '%s': layer 'l3/layer.tar': Truncated tar archive at byte %ld of the "
             "image\n",
             tar, cut, tar, tar, cut);
    assert_string_equal(o.warns.data, warns);
    out_release(&o);
    unlink(tar);
    free_layers(&L);
}

static void test_image_missing_layer(void **state)
{
    (void)state;
    char tar[128], want[512];
    snprintf(tar, sizeof tar, "%s/missing.tar", g_dir);
    const struct member m[] = {
        {F_FILE, "manifest.json", "[{\"Config\":null,\"Layers\":[\"nope/layer.tar\"]}]", 0},
    };
    tar_file(tar, m, 1);
    struct out o;
    struct rp_vuln_inventory_summary sum;
    run(tar, &o, &sum);
    assert_string_equal(o.rows.data, "");
    snprintf(want, sizeof want, "vulns: image '%s': layer 'nope/layer.tar' not found\n", tar);
    assert_string_equal(o.warns.data, want);
    assert_int_equal(sum.failed, 1);
    out_release(&o);
    unlink(tar);
}

static void test_image_plain_tar_is_not_an_image(void **state)
{
    (void)state;
    char tar[128];
    snprintf(tar, sizeof tar, "%s/plain.tar", g_dir);
    const struct member m[] = {{F_FILE, "var/lib/dpkg/status", STATUS_AC, 0}};
    tar_file(tar, m, 1);
    struct out o;
    struct rp_vuln_inventory_summary sum;
    run(tar, &o, &sum);
    assert_string_equal(o.rows.data, "");
    assert_string_equal(o.warns.data, "");
    assert_int_equal(sum.files_seen, 1);
    assert_int_equal(sum.files_read, 0);
    out_release(&o);
    unlink(tar);
}

static int setup(void **state)
{
    (void)state;
    snprintf(g_dir, sizeof g_dir, "/tmp/rp-vuln-image-XXXXXX");
    return mkdtemp(g_dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    return rmdir(g_dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_image_docker_layers),
        cmocka_unit_test(test_image_oci_layout_opaque),
        cmocka_unit_test(test_image_corrupt_layer),
        cmocka_unit_test(test_image_truncated),
        cmocka_unit_test(test_image_missing_layer),
        cmocka_unit_test(test_image_plain_tar_is_not_an_image),
    };
    return cmocka_run_group_tests_name("vuln_image", tests, setup, teardown);
}
