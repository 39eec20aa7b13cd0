/* SPDX-License-Identifier: Apache-2.0 */
/* Private to src/sim: the package catalogues and the synthetic advisory catalogue behind the
 * side-packages generator (sim_side_pkgdata.c holds the data, sim_gen_packages.c the logic).
 *
 * Versions are plausible version strings of each release (not a record of any real archive
 * state). A dpkg version column may read "BINVER|SOURCE FIELD" when the Source field is not
 * derivable (another source name per release, or a source version that differs for another
 * reason than a binNMU); otherwise Source is the row's source name, followed by "(SRCVER)" when
 * the binary version is a binNMU ("+bN" appended). */
#ifndef RP_SIM_SIDE_PKG_H
#define RP_SIM_SIDE_PKG_H

#include <stddef.h>
#include <stdint.h>

/* Releases with an inventory format. */
enum rp_sim_rel {
    RP_SIM_REL_DEB12 = 0, /* Debian 12 bookworm (dpkg) */
    RP_SIM_REL_U2204,     /* Ubuntu 22.04 jammy (dpkg) */
    RP_SIM_REL_U2004,     /* Ubuntu 20.04 focal (dpkg) */
    RP_SIM_REL_A319,      /* Alpine 3.19 (apk) */
    RP_SIM_REL_A318,      /* Alpine 3.18 (apk) */
    RP_SIM_REL_DEB11,     /* Debian 11: only named by advisories (no instance runs it) */
    RP_SIM_REL__COUNT
};

#define RP_SIM_DPKG_RELS 3 /* DEB12, U2204, U2004 */
#define RP_SIM_APK_RELS  2 /* A319, A318 */

/* Package sets (bits of .sets). */
#define RP_SIM_PS_BASE 0x01u
#define RP_SIM_PS_WEB  0x02u
#define RP_SIM_PS_DB   0x04u
#define RP_SIM_PS_APP  0x08u
#define RP_SIM_PS_CI   0x10u
#define RP_SIM_PS_OPT  0x20u /* optional tools; .group picks them together */

/* dpkg flags. */
#define RP_SIM_DF_ESSENTIAL  0x01u
#define RP_SIM_DF_MA_SAME    0x02u
#define RP_SIM_DF_MA_FOREIGN 0x04u
#define RP_SIM_DF_ALL        0x08u /* Architecture: all */

/* Index in rp_sim_dpkg_maints of "Ubuntu Developers": Ubuntu-native packages, and the
 * Maintainer of every package Ubuntu changed (the Debian one moves to Original-Maintainer). */
#define RP_SIM_DPKG_MAINT_UBUNTU 23

struct rp_sim_dpkg_pkg {
    const char *name;
    const char *source; /* NULL = same as name */
    const char *section;
    const char *priority;
    uint32_t size_kb;
    uint8_t flags;
    uint8_t sets;
    uint8_t group;       /* RP_SIM_PS_OPT group number (1..) */
    uint8_t maint;       /* index into rp_sim_dpkg_maints */
    const char *depends; /* NULL = none */
    const char *desc;
    const char *ver[RP_SIM_DPKG_RELS]; /* NULL = not in that release */
};

struct rp_sim_apk_pkg {
    const char *name;
    const char *origin;
    uint32_t size, isize; /* S: and I: bytes */
    uint8_t sets;
    uint8_t group;
    const char *desc;
    const char *url;
    const char *license;
    const char *depends; /* D: line or NULL */
    const char *ver[RP_SIM_APK_RELS];
};

extern const struct rp_sim_dpkg_pkg rp_sim_dpkg_pkgs[];
extern const size_t rp_sim_dpkg_npkgs;
extern const char *const rp_sim_dpkg_maints[];
extern const struct rp_sim_apk_pkg rp_sim_apk_pkgs[];
extern const size_t rp_sim_apk_npkgs;

/* One affected entry of an advisory. affected == NULL: no instance is ever inside the range
 * (the range starts above every installed version, or names a release no instance runs). */
struct rp_sim_adv_aff {
    uint8_t rel; /* enum rp_sim_rel */
    const char *source;
    const char *introduced;
    const char *fixed;
    const char *affected; /* installed when vulnerable */
    const char *later;    /* installed when above the fix */
};

#define RP_SIM_ADV_MAX_AFF 2

struct rp_sim_adv {
    const char *id;
    const char *cve;
    const char *family; /* "Debian", "Ubuntu", "Alpine" */
    const char *summary;
    const char *details;
    const char *cvss;
    uint8_t score10;
    uint16_t published_days; /* before the simulated start */
    uint16_t modified_days;
    struct rp_sim_adv_aff aff[RP_SIM_ADV_MAX_AFF];
    uint8_t naff;
};

extern const struct rp_sim_adv rp_sim_advs[];
extern const size_t rp_sim_nadvs;

/* OSV ecosystem string of a release. */
extern const char *const rp_sim_rel_ecosystem[RP_SIM_REL__COUNT];

#endif
