/* SPDX-License-Identifier: Apache-2.0 */
/* Package inventory: the rpm database itself, through Debian's librpm 4.18
 * (rp_vuln_inv_rpmdb, vuln.h). Debian builds librpm with two backends, so two files are read:
 * var/lib/rpm/rpmdb.sqlite or usr/lib/sysimage/rpm/rpmdb.sqlite (sqlite, RHEL/Fedora >= 9/33)
 * and var/lib/rpm/Packages or usr/lib/sysimage/rpm/Packages (Berkeley DB, through the
 * read-only "bdb_ro" backend). SUSE's ndb Packages.db is not compiled into Debian's librpm
 * and is not detected.
 *
 * parse() gets bytes; librpm opens files: the bytes go to a private temp dir (mkdtemp, 0700,
 * file 0600) as <tmp>/var/lib/rpm/<name>, read with rpmtsSetRootDir(<tmp>) and an
 * RPMDBI_PACKAGES iterator, then the dir is removed. librpm's global state is set up once
 * (pthread_once) WITHOUT rpmReadConfigFiles: no rpmrc or macro file of the host (/etc/rpm,
 * ~/.rpmmacros, Debian's %_dbpath under $HOME) is read, only the three macros reading needs
 * are defined (_dbpath, _db_backend, _rpmlock_path), so results never depend on the host.
 * librpm's macros and log callback are process-global, so reads are serialized by a mutex.
 * Headers are read without digest or signature checks (an inventory, not a verification).
 * Per package: NAME, VERSION, RELEASE, EPOCH, ARCH, SOURCERPM; version "[epoch:]version-
 * release" as OSV writes rpm versions (epoch 0 dropped), match_name the source package's
 * name from SOURCERPM ("openssl-3.0.7-24.el9.src.rpm" -> "openssl"). gpg-pubkey pseudo-
 * packages are skipped. Files that do not look like a database of their backend never reach
 * librpm (see plausible()). */
#define RP_LOG_MODULE "vuln"

#include <dirent.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rpm/header.h>
#include <rpm/rpmdb.h>
#include <rpm/rpmlog.h>
#include <rpm/rpmmacro.h>
#include <rpm/rpmtag.h>
#include <rpm/rpmts.h>

#include "vuln/vuln.h"
#include "vuln/vuln_inv_internal.h"
#include "core/rp_banned.h"

/* ---- pure helpers (declared by tests/unit/vuln/test_vuln_inv_rpmdb.c and the fuzz target) */

/* The source package's name of a SOURCERPM ("openssl-3.0.7-24.el9.src.rpm" -> "openssl")
 * into out[outsz]; false (out empty) when srpm is not "<name>-<version>-<release>.src.rpm"
 * (or .nosrc.rpm) or the name does not fit. */
bool rp_vuln_rpmdb_srpm_name(const char *srpm, char *out, size_t outsz);

/* "[epoch:]version-release" into out[outsz] (epoch < 0 or 0: none); false when version or
 * release is empty or it does not fit. */
bool rp_vuln_rpmdb_evr(int64_t epoch, const char *version, const char *release, char *out,
                       size_t outsz);

bool rp_vuln_rpmdb_srpm_name(const char *srpm, char *out, size_t outsz)
{
    if (outsz) out[0] = 0;
    struct rp_str s = rp_str_from(srpm ? srpm : "");
    if (rp_str_has_suffix(s, ".src.rpm"))
        s.len -= 8;
    else if (rp_str_has_suffix(s, ".nosrc.rpm"))
        s.len -= 10;
    else
        return false;
    for (int i = 0; i < 2; i++) { /* drop "-release", then "-version" */
        while (s.len && s.p[s.len - 1] != '-') s.len--;
        if (s.len < 2) return false;
        s.len--;
    }
    return rp_vuln_inv_cstr(out, outsz, s);
}

bool rp_vuln_rpmdb_evr(int64_t epoch, const char *version, const char *release, char *out,
                       size_t outsz)
{
    if (outsz) out[0] = 0;
    if (!version || !release || !version[0] || !release[0]) return false;
    int w = epoch > 0 ? snprintf(out, outsz, "%" PRId64 ":%s-%s", epoch, version, release)
                      : snprintf(out, outsz, "%s-%s", version, release);
    if (w < 0 || (size_t)w >= outsz) {
        if (outsz) out[0] = 0;
        return false;
    }
    return true;
}

/* ---- detection --------------------------------------------------------------------------- */

static const char *const SQLITE_PATHS[] = {"var/lib/rpm/rpmdb.sqlite",
                                           "usr/lib/sysimage/rpm/rpmdb.sqlite"};
static const char *const BDB_PATHS[] = {"var/lib/rpm/Packages", "usr/lib/sysimage/rpm/Packages"};

static bool is_sqlite(const char *path)
{
    return rp_vuln_inv_path_ends(path, SQLITE_PATHS[0]) ||
           rp_vuln_inv_path_ends(path, SQLITE_PATHS[1]);
}

static bool detect(const char *path, const char *head, size_t n)
{
    if (is_sqlite(path)) /* the sqlite header, when the caller gave one */
        return !head || n == 0 || (n >= 16 && memcmp(head, "SQLite format 3", 16) == 0);
    return rp_vuln_inv_path_ends(path, BDB_PATHS[0]) || rp_vuln_inv_path_ends(path, BDB_PATHS[1]);
}

/* ---- librpm ------------------------------------------------------------------------------ */

static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static char g_rpmerr[256]; /* librpm's last error message, under g_lock */

static int on_rpmlog(rpmlogRec rec, rpmlogCallbackData data)
{
    (void)data;
    if (rpmlogRecPriority(rec) <= RPMLOG_ERR) {
        const char *m = rpmlogRecMessage(rec);
        snprintf(g_rpmerr, sizeof g_rpmerr, "%s", m ? m : "");
        size_t l = strlen(g_rpmerr);
        while (l && (g_rpmerr[l - 1] == '\n' || g_rpmerr[l - 1] == ' ')) g_rpmerr[--l] = 0;
    }
    return 0; /* never print: errors come back through rp_errbuf */
}

static void rpm_init(void)
{
    rpmPushMacro(NULL, "_dbpath", NULL, "/var/lib/rpm", RMIL_CMDLINE);
    rpmPushMacro(NULL, "_rpmlock_path", NULL, "%{_dbpath}/.rpm.lock", RMIL_CMDLINE);
    rpmlogSetCallback(on_rpmlog, NULL);
}

/* Remove dir and everything in it (three levels: <tmp>/var/lib/rpm). */
static void rm_tree(const char *tmp)
{
    static const char *const sub[] = {"/var/lib/rpm", "/var/lib", "/var", ""};
    char d[512];
    snprintf(d, sizeof d, "%s%s", tmp, sub[0]);
    DIR *dir = opendir(d);
    if (dir) {
        struct dirent *de;
        while ((de = readdir(dir))) {
            if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0) continue;
            char f[1024];
            snprintf(f, sizeof f, "%s/%s", d, de->d_name);
            unlink(f);
        }
        closedir(dir);
    }
    for (int i = 0; i < 4; i++) {
        snprintf(d, sizeof d, "%s%s", tmp, sub[i]);
        rmdir(d);
    }
}

static bool write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w <= 0) return false;
        p += w;
        n -= (size_t)w;
    }
    return true;
}

/* The database bytes into <tmp>/var/lib/rpm/<name>; tmp[tmpsz] gets the new temp dir. */
static rp_err stage(const char *file, const char *name, const char *p, size_t n, char *tmp,
                    size_t tmpsz, struct rp_errbuf *eb)
{
    const char *base = getenv("TMPDIR");
    if (!base || base[0] != '/' || strlen(base) > 200) base = "/tmp";
    snprintf(tmp, tmpsz, "%s/rp-rpmdb-XXXXXX", base);
    if (!mkdtemp(tmp)) {
        tmp[0] = 0;
        return rp_fail(eb, RP_EIO, "%s: cannot create a temporary directory under '%s'", file,
                       base);
    }
    char d[512];
    static const char *const sub[] = {"/var", "/var/lib", "/var/lib/rpm"};
    for (int i = 0; i < 3; i++) {
        snprintf(d, sizeof d, "%s%s", tmp, sub[i]);
        if (mkdir(d, 0700) != 0) return rp_fail(eb, RP_EIO, "%s: cannot create '%s'", file, d);
    }
    snprintf(d, sizeof d, "%s/var/lib/rpm/%s", tmp, name);
    int fd = open(d, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) return rp_fail(eb, RP_EIO, "%s: cannot create '%s'", file, d);
    bool ok = write_all(fd, p, n);
    if (close(fd) != 0) ok = false;
    if (!ok) return rp_fail(eb, RP_EIO, "%s: cannot write '%s'", file, d);
    return RP_OK;
}

/* Cheap checks before librpm sees the bytes: Debian's librpm 4.18 leaks its sqlite connection
 * (~100 KB) when a database fails to open, so only files that look like a database of the
 * backend reach it. sqlite: the 16-byte magic, a valid page size (offset 16, big-endian, a
 * power of two 512..32768, or 1 for 65536) and a whole number of pages. Berkeley DB: the hash
 * magic 0x00061561 at offset 12, in either byte order. */
static bool plausible(bool sqlite, const char *p, size_t n)
{
    const unsigned char *u = (const unsigned char *)p;
    if (sqlite) {
        if (n < 100 || memcmp(p, "SQLite format 3", 16) != 0) return false;
        size_t ps = ((size_t)u[16] << 8) | u[17];
        if (ps == 1) ps = 65536;
        if (ps < 512 || ps > 65536 || (ps & (ps - 1))) return false;
        return n % ps == 0;
    }
    if (n < 512) return false;
    static const unsigned char le[4] = {0x61, 0x15, 0x06, 0x00}, be[4] = {0x00, 0x06, 0x15, 0x61};
    return memcmp(u + 12, le, 4) == 0 || memcmp(u + 12, be, 4) == 0;
}

static const char *hstr(Header h, rpmTagVal tag)
{
    const char *s = headerGetString(h, tag);
    return s && s[0] ? s : NULL;
}

/* Read the staged database; called with g_lock held. */
static rp_err read_db(const struct rp_vuln_inv_ctx *cx, const char *tmp, const char *eco,
                      rp_vuln_pkg_fn fn, void *ctx, struct rp_errbuf *eb)
{
    const char *file = cx->path ? cx->path : "rpmdb";
    rpmts ts = rpmtsCreate();
    if (!ts) return rp_fail(eb, RP_ENOMEM, "vulns: out of memory");
    rp_err e = RP_OK;
    if (rpmtsSetRootDir(ts, tmp) != 0) {
        rpmtsFree(ts);
        return rp_fail(eb, RP_EPARSE, "%s: librpm refused the root '%s'", file, tmp);
    }
    rpmtsSetVSFlags(ts, _RPMVSF_NOSIGNATURES | _RPMVSF_NODIGESTS);
    g_rpmerr[0] = 0;
    rpmdbMatchIterator mi = rpmtsInitIterator(ts, RPMDBI_PACKAGES, NULL, 0);
    if (!mi) {
        e = rp_fail(eb, RP_EPARSE, "%s: not an rpm database%s%s", file, g_rpmerr[0] ? ": " : "",
                    g_rpmerr);
        rpmtsFree(ts);
        return e;
    }
    Header h;
    while (!e && (h = rpmdbNextIterator(mi))) {
        const char *name = hstr(h, RPMTAG_NAME);
        if (!name || strcmp(name, "gpg-pubkey") == 0) continue;
        int64_t epoch =
            headerIsEntry(h, RPMTAG_EPOCH) ? (int64_t)headerGetNumber(h, RPMTAG_EPOCH) : -1;
        char ver[RP_VULN_INV_FIELD], src[RP_VULN_INV_FIELD];
        if (!rp_vuln_rpmdb_evr(epoch, hstr(h, RPMTAG_VERSION), hstr(h, RPMTAG_RELEASE), ver,
                               sizeof ver) ||
            strlen(name) >= RP_VULN_INV_FIELD)
            continue; /* a damaged header */
        const char *arch = hstr(h, RPMTAG_ARCH);
        if (arch && strlen(arch) >= RP_VULN_INV_FIELD) arch = NULL;
        bool has_src = rp_vuln_rpmdb_srpm_name(hstr(h, RPMTAG_SOURCERPM), src, sizeof src);
        struct rp_vuln_pkg pkg = {
            .ecosystem = eco,
            .name = name,
            .match_name = has_src && strcmp(src, name) != 0 ? src : NULL,
            .version = ver,
            .arch = arch,
            .package_manager = "OS",
            .file_path = cx->path,
        };
        e = fn(&pkg, ctx, eb);
    }
    rpmdbFreeIterator(mi);
    rpmtsFree(ts);
    return e;
}

static rp_err parse(const struct rp_vuln_inv_ctx *cx, const char *p, size_t n, rp_vuln_pkg_fn fn,
                    void *ctx, struct rp_errbuf *eb)
{
    const char *file = cx->path ? cx->path : "rpmdb";
    const struct rp_vuln_versioning *rpm = rp_vuln_versioning_find("rpm");
    const char *eco = NULL;
    if (cx->os_ecosystem && rp_vuln_versioning_for_ecosystem(rp_str_from(cx->os_ecosystem)) == rpm)
        eco = cx->os_ecosystem;
    bool sqlite = is_sqlite(cx->path) || (n >= 16 && memcmp(p, "SQLite format 3", 16) == 0);
    if (n == 0) return rp_fail(eb, RP_EPARSE, "%s:1: empty file, not an rpm database", file);
    if (!plausible(sqlite, p, n))
        return rp_fail(eb, RP_EPARSE, "%s:1: not an rpm database (no %s header)", file,
                       sqlite ? "sqlite" : "Berkeley DB hash");
    pthread_once(&g_once, rpm_init);
    pthread_mutex_lock(&g_lock);
    char tmp[256] = "";
    rp_err e = stage(file, sqlite ? "rpmdb.sqlite" : "Packages", p, n, tmp, sizeof tmp, eb);
    if (!e) {
        rpmPushMacro(NULL, "_db_backend", NULL, sqlite ? "sqlite" : "bdb_ro", RMIL_CMDLINE);
        e = read_db(cx, tmp, eco, fn, ctx, eb);
        rpmPopMacro(NULL, "_db_backend");
    }
    if (tmp[0]) rm_tree(tmp);
    pthread_mutex_unlock(&g_lock);
    return e;
}

const struct rp_vuln_inventory_format rp_vuln_inv_rpmdb = {
    .name = "rpm-db",
    .detect = detect,
    .parse = parse,
};
