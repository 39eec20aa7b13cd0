/* SPDX-License-Identifier: Apache-2.0 */
/* Package URLs (purl, github.com/package-url/purl-spec) as SBOMs carry them, mapped to the
 * OSV ecosystem, names and Inspector packageManager of a struct rp_vuln_pkg; and the small
 * slice-to-package helper the lockfile inventories share. Private to src/vuln. */
#ifndef RP_VULN_PURL_H
#define RP_VULN_PURL_H

#include <stdbool.h>

#include "vuln/vuln.h"

/* A parsed purl, every component percent-decoded (NUL-terminated). Absent parts are "". */
struct rp_vuln_purl {
    char type[32];      /* lower case: "npm", "deb", "maven", .. */
    char ns[256];       /* namespace, segments joined by '/' ("@angular", "org.apache") */
    char name[256];     /* the last path segment */
    char version[256];  /* after the last '@' of the last segment */
    char distro[64];    /* qualifier distro= */
    char arch[64];      /* qualifier arch= */
    char epoch[16];     /* qualifier epoch= */
    char upstream[256]; /* qualifier upstream= (a source package, "openssl@3.0.11-1") */
};

/* Parse s ("pkg:type/ns/name@version?qualifiers#subpath"). False when s is not a purl
 * (no "pkg:" scheme, no type or name, a bad %-escape, a NUL byte) or a part is too long. */
bool rp_vuln_purl_parse(struct rp_str s, struct rp_vuln_purl *out);

/* A purl as an inventory package. Fields point into the struct itself. */
struct rp_vuln_purl_pkg {
    char ecosystem[64];
    char name[520];
    char match_name[520];
    char version[280];
    char arch[64]; /* qualifier arch=, or "" */
    const char *package_manager;
    bool has_match; /* match_name is set */
};

/* Map s to a package: npm -> npm/NPM (scope joined: "@angular/core"), pypi -> PyPI/PIP,
 * golang -> Go/GOMOD (namespace joined: "github.com/x/y"), cargo -> crates.io/CARGO,
 * composer -> Packagist/COMPOSER ("vendor/name"), gem -> RubyGems/BUNDLER, maven ->
 * Maven/POM (name = artifact, match_name "group:artifact"), deb -> Debian or Ubuntu/OS
 * ("Debian:12" from distro=debian-12), apk -> Alpine/OS ("Alpine:v3.19" from
 * distro=alpine-3.19.1), rpm -> by namespace (redhat -> "Red Hat", rocky, almalinux,
 * suse, opensuse, mariner; other namespaces: NULL ecosystem)/OS. For deb, apk and rpm an
 * epoch= qualifier is prefixed to the version ("1:2.0-1") and upstream= gives the source
 * package as match_name. False for other types, a purl without a version, or one that does
 * not parse. fallback_version is used when the purl has no version (may be empty). */
bool rp_vuln_purl_to_pkg(struct rp_str s, struct rp_str fallback_version,
                         struct rp_vuln_purl_pkg *out);

/* Hand one package to fn with its strings copied out of the input slices (NUL-terminated).
 * An entry with an empty name or version, a NUL byte or a part longer than 1 KiB is skipped
 * (RP_OK, fn not called): a damaged entry. match.p == NULL and arch.p == NULL mean absent. */
rp_err rp_vuln_inv_emit(const struct rp_vuln_inv_ctx *cx, const char *ecosystem, struct rp_str name,
                        struct rp_str match, struct rp_str version, struct rp_str arch,
                        const char *package_manager, rp_vuln_pkg_fn fn, void *ctx,
                        struct rp_errbuf *eb) RP_WUR;

#endif
