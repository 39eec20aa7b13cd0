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
 * them) from files and directory trees into st (opened RP_STORE_RDWR). Incremental: an
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

#endif
