/* SPDX-License-Identifier: Apache-2.0 */
/* The rpm database inventory (src/vuln/vuln_inv_rpmdb.c). The test makes its own database:
 * librpm creates an empty sqlite rpmdb (rpmtsInitDB under a temp root), and the test inserts
 * header blobs it builds with librpm's header API (headerNew, headerPut*, headerExport) into
 * the Packages table, as rpm itself stores them. Then: exact rows (epoch, epoch 0 dropped,
 * source package names, gpg-pubkey and a damaged header skipped), the OS ecosystem used only
 * when it is an rpm distribution, the runner over a root with os-release, a file that is not
 * a database (RP_EPARSE, temp dir removed), detection, and the pure helpers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <dirent.h>
#include <ftw.h>
#include <rpm/header.h>
#include <rpm/rpmmacro.h>
#include <rpm/rpmtag.h>
#include <rpm/rpmts.h>
#include <sqlite3.h>

#include "core/rp_buf.h"
#include "vuln/vuln.h"
#include "vuln_test_inv.h"

bool rp_vuln_rpmdb_srpm_name(const char *srpm, char *out, size_t outsz);
bool rp_vuln_rpmdb_evr(int64_t epoch, const char *version, const char *release, char *out,
                       size_t outsz);

static char g_root[64];   /* <tmp>/var/lib/rpm/rpmdb.sqlite, <tmp>/etc/os-release */
static char g_tmpdir[64]; /* TMPDIR for the library's staging dirs */
static char g_db[128];

struct hdr {
    const char *name, *version, *release, *arch, *srpm;
    int epoch; /* -1: none */
};

static void insert(sqlite3 *db, const struct hdr *x)
{
    Header h = headerNew();
    if (x->name) assert_int_equal(headerPutString(h, RPMTAG_NAME, x->name), 1);
    if (x->version) assert_int_equal(headerPutString(h, RPMTAG_VERSION, x->version), 1);
    if (x->release) assert_int_equal(headerPutString(h, RPMTAG_RELEASE, x->release), 1);
    if (x->epoch >= 0) {
        uint32_t ep = (uint32_t)x->epoch;
        assert_int_equal(headerPutUint32(h, RPMTAG_EPOCH, &ep, 1), 1);
    }
    if (x->arch) assert_int_equal(headerPutString(h, RPMTAG_ARCH, x->arch), 1);
    if (x->srpm) assert_int_equal(headerPutString(h, RPMTAG_SOURCERPM, x->srpm), 1);
    unsigned int sz = 0;
    void *blob = headerExport(h, &sz);
    assert_non_null(blob);
    sqlite3_stmt *st = NULL;
    assert_int_equal(
        sqlite3_prepare_v2(db, "INSERT INTO Packages (blob) VALUES (?1)", -1, &st, NULL),
        SQLITE_OK);
    assert_int_equal(sqlite3_bind_blob(st, 1, blob, (int)sz, SQLITE_TRANSIENT), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    free(blob);
    headerFree(h);
}

static void mkdirs(const char *root, const char *rel)
{
    char p[256], *s;
    snprintf(p, sizeof p, "%s/%s", root, rel);
    for (s = p + strlen(root) + 1; (s = strchr(s, '/')); s++) {
        *s = 0;
        mkdir(p, 0700);
        *s = '/';
    }
    mkdir(p, 0700);
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int dir_entries(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d)))
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) n++;
    closedir(d);
    return n;
}

/* An rpm database at g_db with the packages of the test. */
static int setup(void **state)
{
    (void)state;
    snprintf(g_root, sizeof g_root, "/tmp/rp-vuln-rpmdb-XXXXXX");
    snprintf(g_tmpdir, sizeof g_tmpdir, "/tmp/rp-vuln-rpmtmp-XXXXXX");
    if (!mkdtemp(g_root) || !mkdtemp(g_tmpdir)) return -1;
    setenv("TMPDIR", g_tmpdir, 1);
    mkdirs(g_root, "var/lib/rpm");
    mkdirs(g_root, "etc");
    /* the macros librpm needs to create a database (as the library defines them to read) */
    rpmPushMacro(NULL, "_dbpath", NULL, "/var/lib/rpm", RMIL_CMDLINE);
    rpmPushMacro(NULL, "_rpmlock_path", NULL, "%{_dbpath}/.rpm.lock", RMIL_CMDLINE);
    rpmPushMacro(NULL, "_db_backend", NULL, "sqlite", RMIL_CMDLINE);
    rpmts ts = rpmtsCreate();
    rpmtsSetRootDir(ts, g_root);
    int rc = rpmtsInitDB(ts, 0600);
    rpmtsFree(ts);
    rpmPopMacro(NULL, "_db_backend");
    if (rc != 0) return -1;
    snprintf(g_db, sizeof g_db, "%s/var/lib/rpm/rpmdb.sqlite", g_root);
    sqlite3 *db = NULL;
    if (sqlite3_open(g_db, &db) != SQLITE_OK) return -1;
    static const struct hdr pkgs[] = {
        {"openssl-libs", "3.0.7", "24.el9", "x86_64", "openssl-3.0.7-24.el9.src.rpm", 1},
        {"bash", "5.1.8", "6.el9", "x86_64", "bash-5.1.8-6.el9.src.rpm", -1},
        {"gpg-pubkey", "fd431d51", "4ae0493b", NULL, NULL, -1},
        {"tzdata", "2023c", "1.el9", "noarch", "tzdata-2023c-1.el9.src.rpm", 0},
        {"broken", NULL, "1.el9", "x86_64", "broken-1-1.el9.src.rpm", -1},
        {"python3-libs", "3.9.18", "1.el9_3", "x86_64", "python3.9-3.9.18-1.el9_3.src.rpm", -1},
    };
    for (size_t i = 0; i < sizeof pkgs / sizeof pkgs[0]; i++) insert(db, &pkgs[i]);
    sqlite3_close(db);
    /* librpm's own files (the lock, -shm, -wal) stay out of the staged copy */
    char p[160];
    snprintf(p, sizeof p, "%s/etc/os-release", g_root);
    write_text(p, "NAME=\"Rocky Linux\"\nVERSION_ID=\"9.3\"\nID=\"rocky\"\n");
    return 0;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

/* Remove a tree the test made with mkdtemp. */
static int rm_tree(const char *dir)
{
    return nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static int teardown(void **state)
{
    (void)state;
    return rm_tree(g_root) == 0 && rm_tree(g_tmpdir) == 0 ? 0 : -1;
}

static const char ROWS[] = "%s|openssl-libs|openssl|1:3.0.7-24.el9|x86_64|OS\n"
                           "%s|bash|-|5.1.8-6.el9|x86_64|OS\n"
                           "%s|tzdata|-|2023c-1.el9|noarch|OS\n"
                           "%s|python3-libs|python3.9|3.9.18-1.el9_3|x86_64|OS\n";

/* The rows of parse() over the file at path (read whole, any size). */
static char *parse_file(const char *path, const char *os, int stop_after, rp_err *rc,
                        struct rp_errbuf *eb)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    struct rp_buf data;
    rp_buf_init(&data, 16u << 20);
    char tmp[4096];
    size_t k;
    while ((k = fread(tmp, 1, sizeof tmp, f)) > 0)
        assert_int_equal(rp_buf_append(&data, tmp, k), RP_OK);
    fclose(f);
    struct inv_rows r = {.path = path, .stop_after = stop_after};
    rp_buf_init(&r.b, 1u << 20);
    struct rp_vuln_inv_ctx cx = {.path = path, .os_ecosystem = os};
    *rc = rp_vuln_inv_rpmdb.parse(&cx, data.data ? data.data : "", data.len, inv_row, &r, eb);
    rp_buf_release(&data);
    assert_int_equal(rp_buf_append(&r.b, "", 1), RP_OK);
    return rp_buf_take(&r.b, NULL);
}

static void test_rpmdb_sqlite_packages(void **state)
{
    (void)state;
    struct rp_errbuf eb = {0};
    rp_err rc;
    char want[1024];
    char *rows = parse_file(g_db, "Rocky Linux:9", 0, &rc, &eb);
    assert_int_equal(rc, RP_OK);
    snprintf(want, sizeof want, ROWS, "Rocky Linux:9", "Rocky Linux:9", "Rocky Linux:9",
             "Rocky Linux:9");
    assert_string_equal(rows, want);
    free(rows);
    /* not an rpm distribution: no ecosystem */
    rows = parse_file(g_db, "Debian:12", 0, &rc, &eb);
    assert_int_equal(rc, RP_OK);
    snprintf(want, sizeof want, ROWS, "-", "-", "-", "-");
    assert_string_equal(rows, want);
    free(rows);
    /* the callback's error stops the read; the staging dirs are gone either way */
    rows = parse_file(g_db, NULL, 2, &rc, &eb);
    assert_int_equal(rc, RP_ELIMIT);
    assert_string_equal(eb.msg, "stop at 'tzdata'");
    free(rows);
    assert_int_equal(dir_entries(g_tmpdir), 0);
}

static rp_err walk_row(const struct rp_vuln_pkg *p, void *ctx, struct rp_errbuf *eb)
{
    (void)eb;
    struct inv_rows *r = ctx;
    assert_string_equal(p->file_path, r->path);
    assert_null(p->source_layer_hash);
#define D(s) ((s) ? (s) : "-")
    return rp_buf_printf(&r->b, "%s|%s|%s|%s|%s|%s\n", D(p->ecosystem), D(p->name),
                         D(p->match_name), D(p->version), D(p->arch), D(p->package_manager));
#undef D
}

static void test_rpmdb_through_inventory(void **state)
{
    (void)state;
    struct inv_rows r = {.path = g_db};
    rp_buf_init(&r.b, 1u << 16);
    struct rp_vuln_inventory_summary sum;
    struct rp_errbuf eb = {0};
    const char *paths[] = {g_root};
    assert_int_equal(rp_vuln_inventory(paths, 1, walk_row, &r, NULL, NULL, &sum, &eb), RP_OK);
    assert_int_equal(rp_buf_append(&r.b, "", 1), RP_OK);
    char want[1024];
    snprintf(want, sizeof want, ROWS, "Rocky Linux:9", "Rocky Linux:9", "Rocky Linux:9",
             "Rocky Linux:9");
    assert_string_equal(r.b.data, want);
    assert_int_equal(sum.files_read, 1);
    assert_int_equal(sum.packages, 4);
    assert_int_equal(sum.failed, 0);
    rp_buf_release(&r.b);
}

static void test_rpmdb_not_a_database(void **state)
{
    (void)state;
    char path[160];
    snprintf(path, sizeof path, "%s/junk/var/lib/rpm/rpmdb.sqlite", g_tmpdir);
    mkdirs(g_tmpdir, "junk/var/lib/rpm");
    write_text(path, "SQLite format 3\nbut then nothing a database would hold, at all......\n");
    struct rp_errbuf eb = {0};
    rp_err rc;
    char *rows = parse_file(path, NULL, 0, &rc, &eb);
    assert_int_equal(rc, RP_EPARSE);
    char want[512];
    snprintf(want, sizeof want, "%s:1: not an rpm database (no sqlite header)", path);
    assert_string_equal(eb.msg, want);
    assert_string_equal(rows, "");
    free(rows);
    char junk[128];
    snprintf(junk, sizeof junk, "%s/junk", g_tmpdir);
    assert_int_equal(rm_tree(junk), 0);
    assert_int_equal(dir_entries(g_tmpdir), 0);
    /* empty */
    struct rp_vuln_inv_ctx cx = {.path = "/r/var/lib/rpm/rpmdb.sqlite"};
    assert_int_equal(rp_vuln_inv_rpmdb.parse(&cx, "", 0, inv_row, NULL, &eb), RP_EPARSE);
    assert_string_equal(eb.msg, "/r/var/lib/rpm/rpmdb.sqlite:1: empty file, not an rpm database");
}

static void test_rpmdb_detect(void **state)
{
    (void)state;
    const struct rp_vuln_inventory_format *f = &rp_vuln_inv_rpmdb;
    assert_string_equal(f->name, "rpm-db");
    assert_true(f->detect("/r/var/lib/rpm/rpmdb.sqlite", "SQLite format 3\0xx", 18));
    assert_true(f->detect("/r/usr/lib/sysimage/rpm/rpmdb.sqlite", "SQLite format 3\0xx", 18));
    assert_false(f->detect("/r/var/lib/rpm/rpmdb.sqlite", "not sqlite at all....", 20));
    assert_true(f->detect("var/lib/rpm/Packages", "", 0));
    assert_true(f->detect("/r/usr/lib/sysimage/rpm/Packages", "x", 1));
    assert_false(f->detect("/r/var/lib/rpm/Packages.db", "x", 1)); /* ndb: not in Debian's librpm */
    assert_false(f->detect("/r/xvar/lib/rpm/rpmdb.sqlite", "SQLite format 3\0xx", 18));
    assert_false(f->detect("/r/var/lib/rpm/Name", "x", 1));
}

static void test_rpmdb_helpers(void **state)
{
    (void)state;
    char b[64];
    assert_true(rp_vuln_rpmdb_srpm_name("openssl-3.0.7-24.el9.src.rpm", b, sizeof b));
    assert_string_equal(b, "openssl");
    assert_true(rp_vuln_rpmdb_srpm_name("python3.9-3.9.18-1.el9_3.src.rpm", b, sizeof b));
    assert_string_equal(b, "python3.9");
    assert_true(rp_vuln_rpmdb_srpm_name("perl-Foo-Bar-1.0-1.nosrc.rpm", b, sizeof b));
    assert_string_equal(b, "perl-Foo-Bar");
    assert_false(rp_vuln_rpmdb_srpm_name("openssl-3.0.7.src.rpm", b, sizeof b)); /* no release */
    assert_string_equal(b, "");
    assert_false(rp_vuln_rpmdb_srpm_name("-1-2.src.rpm", b, sizeof b));
    assert_false(rp_vuln_rpmdb_srpm_name("openssl-3.0.7-24.el9.rpm", b, sizeof b));
    assert_false(rp_vuln_rpmdb_srpm_name(NULL, b, sizeof b));
    assert_false(rp_vuln_rpmdb_srpm_name("openssl-3.0.7-24.el9.src.rpm", b, 7)); /* no room */
    assert_true(rp_vuln_rpmdb_srpm_name("openssl-3.0.7-24.el9.src.rpm", b, 8));
    assert_true(rp_vuln_rpmdb_evr(1, "3.0.7", "24.el9", b, sizeof b));
    assert_string_equal(b, "1:3.0.7-24.el9");
    assert_true(rp_vuln_rpmdb_evr(0, "2023c", "1.el9", b, sizeof b));
    assert_string_equal(b, "2023c-1.el9");
    assert_true(rp_vuln_rpmdb_evr(-1, "1.0", "1", b, sizeof b));
    assert_string_equal(b, "1.0-1");
    assert_false(rp_vuln_rpmdb_evr(-1, "", "1", b, sizeof b));
    assert_false(rp_vuln_rpmdb_evr(-1, "1.0", NULL, b, sizeof b));
    assert_false(rp_vuln_rpmdb_evr(12, "1.0", "1", b, 8)); /* "12:1.0-1" needs 9 */
    assert_string_equal(b, "");
    assert_true(rp_vuln_rpmdb_evr(12, "1.0", "1", b, 9));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rpmdb_sqlite_packages),
        cmocka_unit_test(test_rpmdb_through_inventory),
        cmocka_unit_test(test_rpmdb_not_a_database),
        cmocka_unit_test(test_rpmdb_detect),
        cmocka_unit_test(test_rpmdb_helpers),
    };
    return cmocka_run_group_tests_name("vuln_inv_rpmdb", tests, setup, teardown);
}
