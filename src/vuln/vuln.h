/* SPDX-License-Identifier: Apache-2.0 */
/* rp_vuln: vulnerable packages (Inspector's PACKAGE_VULNERABILITY, issue 9, DESIGN.md §9).
 * This header is the first layer: version ordering per ecosystem, exactly as each upstream
 * orders versions, and the range syntaxes advisories use. Package inventories, the OSV
 * advisory index and findings build on it.
 *
 * Every function here is pure and thread-safe; inputs are byte slices (not NUL-terminated). */
#ifndef RP_VULN_H
#define RP_VULN_H

#include <stdbool.h>
#include <stddef.h>

#include "core/rp_err.h"
#include "core/rp_str.h"

/* ---- version ordering ------------------------------------------------------------------ */

/* One versioning scheme (one file vuln_ver_<name>.c, one line in vuln_versionings.def). */
struct rp_vuln_versioning {
    const char *name;              /* "dpkg", "rpm", "apk", "semver", "pep440", "maven", "go" */
    const char *const *ecosystems; /* OSV ecosystem names it orders, NULL-terminated, as OSV
                                      writes them ("Debian", "Ubuntu", "npm", "PyPI", ..);
                                      a "Debian:12" style name matches its prefix "Debian" */
    /* Upstream's order: <0, 0, >0. Versions the scheme cannot parse still get a total,
     * deterministic order (upstream's where upstream defines one, else bytewise), so sorting
     * never fails; use valid() to reject them. */
    int (*cmp)(struct rp_str a, struct rp_str b);
    /* True when v is a version of the scheme as upstream's strict parser accepts it. */
    bool (*valid)(struct rp_str v);
};

/* Registry: every scheme, NULL-terminated, in vuln_versionings.def order. */
extern const struct rp_vuln_versioning *const rp_vuln_versionings[];

/* The scheme named name ("dpkg"), or NULL. */
const struct rp_vuln_versioning *rp_vuln_versioning_find(const char *name);

/* The scheme of an OSV ecosystem name ("Debian:12" -> dpkg, "npm" -> semver), or NULL. */
const struct rp_vuln_versioning *rp_vuln_versioning_for_ecosystem(struct rp_str ecosystem);

/* ---- range syntaxes ----------------------------------------------------------------------- */

/* npm (node-semver): does version satisfy range ("^1.2.3 || >=2.0.0 <3", "1.x", "1.2 - 2",
 * "~1.2", "*", ..)? Options as node-semver's: loose parsing, includePrerelease. Returns RP_OK
 * with *out set, or RP_EPARSE ("semver: invalid range '...'") with details in *eb; an invalid
 * version gives *out = false, not an error (node-semver returns false). */
struct rp_semver_opts {
    bool loose;
    bool include_prerelease;
};
rp_err rp_semver_satisfies(struct rp_str range, struct rp_str version,
                           const struct rp_semver_opts *opts, bool *out,
                           struct rp_errbuf *eb) RP_WUR;

/* PEP 440: does version match the specifier set ("~=1.4.5, !=1.5.0", "==2.*", ">1.0", ..)?
 * Pre-releases match only when the specifier names one or prereleases is true, as
 * packaging's SpecifierSet.contains does. RP_EPARSE for a bad specifier; an invalid version
 * gives *out = false. */
rp_err rp_pep440_contains(struct rp_str specifiers, struct rp_str version, bool prereleases,
                          bool *out, struct rp_errbuf *eb) RP_WUR;

/* PEP 440 normal form of v ("1.0.0-RC1" -> "1.0.0rc1") into buf. RP_EPARSE when v is not a
 * version, RP_ELIMIT when buf is too small. */
rp_err rp_pep440_normalize(struct rp_str v, char *buf, size_t bufsz, struct rp_errbuf *eb) RP_WUR;

/* ---- package inventories (vuln_inv_*.c, vuln_inventories.def) --------------------------- */

/* One installed or locked package. Strings are borrowed for the callback only. */
struct rp_vuln_pkg {
    const char *ecosystem;       /* OSV ecosystem to match in: "Debian:12", "Alpine:v3.19",
                                    "npm", "PyPI", "Go", "crates.io", "Packagist", "RubyGems",
                                    "Maven"; NULL when the OS is unknown (dpkg without an
                                    os-release: then "Debian") */
    const char *name;            /* the package's name as its manager writes it */
    const char *match_name;      /* the name advisories use, when it differs: the SOURCE
                                    package for dpkg/rpm/apk (OSV's distro advisories are
                                    per source package), "group:artifact" for Maven; else
                                    NULL (use name) */
    const char *version;         /* full version as the ecosystem orders it ("1:9.2p1-2+deb12u3") */
    const char *arch;            /* or NULL */
    const char *package_manager; /* Inspector's packageManager: OS, NPM, YARN, PIP, PIPENV,
                                    POETRY, GOMOD, CARGO, COMPOSER, BUNDLER, POM, GEMSPEC */
    const char *file_path;       /* the file it was found in */
    const char *source_layer_hash; /* image layer digest ("sha256:.."), or NULL */
};

typedef rp_err (*rp_vuln_pkg_fn)(const struct rp_vuln_pkg *p, void *ctx, struct rp_errbuf *eb);

/* What a parser is told about where the file sits. */
struct rp_vuln_inv_ctx {
    const char *path;         /* the file */
    const char *os_ecosystem; /* from the scanned root's etc/os-release ("Debian:12",
                                 "Ubuntu:22.04", "Alpine:v3.19"), or NULL */
};

/* One inventory format (one file vuln_inv_<name>.c, one line in vuln_inventories.def). */
struct rp_vuln_inventory_format {
    const char *name; /* "dpkg-status", "apk-installed", "package-lock", "cyclonedx", .. */
    /* True when the file at path (head: its first bytes, up to 4 KiB) is this format. Most
     * decide by name ("package-lock.json", ".../var/lib/dpkg/status"). */
    bool (*detect)(const char *path, const char *head, size_t n);
    /* Every package of the file's bytes (p, n) to fn. RP_EPARSE with "file:line: reason" in
     * *eb for a file that cannot be read as the format (the runner records it and goes on);
     * a damaged entry inside an otherwise good file is skipped. fn's error is returned. */
    rp_err (*parse)(const struct rp_vuln_inv_ctx *cx, const char *p, size_t n, rp_vuln_pkg_fn fn,
                    void *ctx, struct rp_errbuf *eb);
};

/* Registry: every inventory format, NULL-terminated, in vuln_inventories.def order. */
extern const struct rp_vuln_inventory_format *const rp_vuln_inventory_formats[];

struct rp_vuln_inventory_summary {
    int64_t files_seen; /* regular files found */
    int64_t files_read; /* recognised by a format and read */
    int64_t packages;   /* packages reported */
    int64_t failed;     /* recognised files that could not be read (reported through warn) */
};

typedef void (*rp_vuln_warn_fn)(void *ctx, const char *msg);

/* `rampart vulns inventory`: walk paths (files, directories, unpacked images or root
 * filesystems) and report every package of every file a format recognises. A regular file
 * that is a container image tar (`docker save`: manifest.json; OCI image layout: oci-layout
 * and index.json) is read as an image: layers applied in order in memory (whiteouts
 * honoured), the image's own os-release, file_path "<tar>:/<path in image>" and
 * source_layer_hash the digest of the layer that last wrote the file; a bad member or
 * corrupt layer is a warning (counted in sum->failed) and the rest of the image is read. The OS of
 * each root comes from its etc/os-release (or usr/lib/os-release) and names the ecosystem of its OS
 * packages ("Debian:12"). A file that a format recognises but cannot read is reported through warn
 * (file and reason) and counted in sum->failed; the walk goes on. fn's error stops it and is
 * returned; RP_ENOMEM; a path that does not exist is a warning. */
rp_err rp_vuln_inventory(const char *const *paths, size_t npaths, rp_vuln_pkg_fn fn, void *ctx,
                         rp_vuln_warn_fn warn, void *warn_ctx,
                         struct rp_vuln_inventory_summary *sum, struct rp_errbuf *eb) RP_WUR;

/* ---- the OSV advisory index (vuln_osv.c, store migration 0010) -------------------------- */

struct rp_store;

struct rp_vuln_import_summary {
    int64_t files;      /* files read */
    int64_t advisories; /* advisories found in them */
    int64_t inserted;   /* new to the store */
    int64_t updated;    /* replaced: their `modified` is newer than the stored one's */
    int64_t unchanged;  /* the store already has them, as new or newer */
    int64_t rejected;   /* files or advisories that are not OSV (kept in the rejects table) */
};

/* Import OSV advisories (JSON files, .json.gz too; one advisory per file, or a JSON array of
 * them; and .zip archives of such files, as osv.dev publishes each ecosystem's all.zip) from
 * files and directory trees into st (opened RP_STORE_RDWR). A bad zip member is rejected as
 * "<archive>:<member>". Incremental: an
 * advisory already stored is replaced only by a newer `modified`. A file that is not JSON or an
 * advisory without `id` / `modified` is rejected with its path and reason (rejects table) and
 * the import goes on. Returns RP_OK (check sum->rejected for a partial import), or the error
 * that stopped it (store, memory, a path that does not exist) with details in *eb. */
rp_err rp_vuln_db_import(struct rp_store *st, const char *const *paths, size_t npaths,
                         struct rp_vuln_import_summary *sum, struct rp_errbuf *eb) RP_WUR;

/* One advisory that affects a package version. Everything is borrowed for the callback. */
struct rp_vuln_hit {
    const char *id;        /* "DSA-5555-1", "GHSA-.." */
    const char *summary;   /* or NULL */
    const char *aliases;   /* JSON array text, or NULL */
    const char *severity;  /* JSON array text, or NULL */
    const char *ecosystem; /* the affected entry's ("Debian:12") */
    const char *fixed;     /* the fix that ends the matching range ("1.2-3+deb12u1"), or NULL
                              when none is known (listed in `versions`, or an open range) */
    const char *how;       /* "ECOSYSTEM", "SEMVER" (the range type that matched) or
                              "versions" (listed explicitly) */
};

typedef rp_err (*rp_vuln_hit_fn)(const struct rp_vuln_hit *h, void *ctx, struct rp_errbuf *eb);

/* The advisories affecting version of package name in ecosystem, in id order, each once.
 * ecosystem "Debian:12" matches entries for "Debian:12" and for "Debian" (every release);
 * "Debian" matches every Debian entry. ECOSYSTEM ranges are evaluated with the ecosystem's
 * versioning (rp_vuln_versioning_for_ecosystem), SEMVER ranges with SemVer 2.0 whatever the
 * ecosystem (crates.io, Go, ..), as the OSV schema defines events: introduced ("0" = from
 * the start), fixed (exclusive), last_affected (inclusive), limit; GIT ranges are skipped
 * (they need the repository). Withdrawn advisories never match. A distribution's own
 * advisories are the ones that match its packages, so a backported fix
 * ("1.2-3+deb12u1") is honoured. fn's error stops the walk and is returned. */
rp_err rp_vuln_match(struct rp_store *st, struct rp_str ecosystem, struct rp_str name,
                     struct rp_str version, rp_vuln_hit_fn fn, void *ctx,
                     struct rp_errbuf *eb) RP_WUR;

/* PyPI's normalized name (PEP 503) of name into buf; other ecosystems keep names as they are.
 * RP_ELIMIT when buf is too small. */
rp_err rp_vuln_name_normalize(struct rp_str ecosystem, struct rp_str name, char *buf,
                              size_t bufsz) RP_WUR;

/* ---- CVSS (vuln_cvss.c) -------------------------------------------------------------------- */

/* Base score of a CVSS vector as FIRST's specifications compute it: v3.1 and v3.0
 * ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H" -> 9.8) and v2 ("AV:N/AC:L/Au:N/C:P/I:P/A:P"
 * -> 7.5). *version is 31, 30, 2 (or 40 for a v4.0 vector, which is RP_EUNSUPPORTED: v4
 * scores come from a table, not an equation). RP_EPARSE names a missing or bad base metric. */
rp_err rp_cvss_base_score(struct rp_str vector, double *score, int *version,
                          struct rp_errbuf *eb) RP_WUR;
/* vector with metric's value replaced ("AV" -> "A") into buf. RP_EINVAL when the vector has
 * no such metric, RP_ELIMIT when buf is too small. */
rp_err rp_cvss_set_metric(struct rp_str vector, const char *metric, const char *value, char *buf,
                          size_t n) RP_WUR;
/* Inspector's severity band of a CVSS score: "INFORMATIONAL" (0), "LOW" (0.1-3.9), "MEDIUM",
 * "HIGH" (7.0-8.9), "CRITICAL" (9.0-10). */
const char *rp_cvss_severity(double score);

/* ---- findings: PACKAGE_VULNERABILITY (vuln_scan.c, vuln_finding.c) ------------------------- */

/* How the network reaches a resource, for the Inspector score. */
enum rp_vuln_exposure {
    RP_VULN_EXPOSURE_UNKNOWN = 0, /* no network data: the score is the CVSS base score */
    RP_VULN_EXPOSURE_NONE,        /* known, and nothing is reachable from the internet */
    RP_VULN_EXPOSURE_INTERNET,    /* some port is reachable from the internet */
};
/* The exposure of resource_id; detail (size n) gets one line for the finding ("tcp/22 from
 * igw-0abc"), may be left empty. */
typedef enum rp_vuln_exposure (*rp_vuln_exposure_fn)(void *ctx, const char *resource_id,
                                                     char *detail, size_t n);

struct rp_vuln_scan_opts {
    const char *resource_id;      /* every package belongs to this resource; NULL: from the path
                                     (an "i-.." directory: that instance; an image tar: the
                                     image), else the scanned path itself */
    const char *resource_type;    /* Inspector's: AWS_EC2_INSTANCE, AWS_ECR_CONTAINER_IMAGE,
                                     AWS_LAMBDA_FUNCTION, CODE_REPOSITORY; NULL: derived */
    const char *account;          /* when neither the path nor the store says; NULL =
                                     "000000000000" (the hub's default) */
    const char *region;           /* likewise; NULL = "us-east-1" */
    bool ssm_inventory;           /* also scan the store's AWS::SSM::ManagedInstanceInventory
                                     configuration items (AWS:Application) */
    rp_vuln_exposure_fn exposure; /* may be NULL: exposure unknown */
    void *exposure_ctx;
    int64_t now_ms; /* FirstObservedAt/UpdatedAt; 0 = real time */
    /* Called once per resource whose packages were read (with findings or not), after all
     * the findings, so a caller can close the findings of that resource a scan no longer
     * reports. May be NULL. Strings borrowed for the call. */
    rp_err (*on_resource)(void *ctx, const char *resource_id, const char *resource_type,
                          struct rp_errbuf *eb);
    void *resource_ctx;
};

/* One vulnerable package of a finding (Inspector's vulnerablePackages[]). */
struct rp_vuln_vpkg {
    const char *name, *version, *epoch, *release, *arch; /* epoch/release: OS packages, or
                                                             NULL */
    const char *package_manager, *file_path, *fixed_in;  /* fixed_in NULL: no fix known */
    const char *source_layer_hash;                       /* image layer, or NULL */
};

/* One PACKAGE_VULNERABILITY finding: one vulnerability on one resource, with every package
 * of the resource it affects. Everything is borrowed for the callback. */
struct rp_vuln_finding {
    const char *resource_id, *resource_type, *account, *region;
    const char *vulnerability_id; /* the CVE when an advisory names one, else the advisory */
    const char *advisories;       /* the OSV ids that matched, comma-separated */
    const char *severity;         /* INFORMATIONAL..CRITICAL, or UNTRIAGED */
    double base_score;            /* CVSS base, -1 when no scorable vector */
    double inspector_score;       /* base adjusted by exposure, -1 when no base */
    const char *score_adjustment; /* why inspector_score differs, or NULL */
    const char *fix_available;    /* YES, NO, PARTIAL */
    const struct rp_vuln_vpkg *pkgs;
    size_t npkgs;
    const char *asff; /* the finding as one ASFF document (docs/vulns.md) */
    size_t asff_len;
};
typedef rp_err (*rp_vuln_finding_fn)(const struct rp_vuln_finding *f, void *ctx,
                                     struct rp_errbuf *eb);

/* `rampart vulns scan`: the inventory of paths (and of the store's SSM inventories when
 * o->ssm_inventory) matched against the store's advisories, grouped into one finding per
 * (resource, vulnerability), in (resource, vulnerability id) order. Instances are enriched
 * from the store's configuration items (account, region, VPC, subnet, image) when present.
 * Inventory problems go to warn and sum->failed as in rp_vuln_inventory; fn's error stops
 * the scan and is returned. */
rp_err rp_vuln_scan(struct rp_store *st, const char *const *paths, size_t npaths,
                    const struct rp_vuln_scan_opts *o, rp_vuln_finding_fn fn, void *ctx,
                    rp_vuln_warn_fn warn, void *warn_ctx, struct rp_vuln_inventory_summary *sum,
                    struct rp_errbuf *eb) RP_WUR;

#endif
