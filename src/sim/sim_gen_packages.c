/* SPDX-License-Identifier: Apache-2.0 */
/* rp_sim side generator "side-packages": per instance a package inventory in the format of its
 * distribution (dpkg's /var/lib/dpkg/status for Debian and Ubuntu, apk's /lib/apk/db/installed
 * for Alpine) next to each instance's etc/os-release, a small OSV advisory tree consistent
 * with them, and side-truth/packages.jsonl,
 * which says for every (instance, advisory) pair whether the installed version is inside the
 * advisory's range.
 *
 * Which packages an instance carries follows its OS release and workload (sim_side_pkgdata.c).
 * For a source package an advisory covers, the installed version is the advisory's vulnerable,
 * fixed or later version, rotating over the instances of a release (so every state occurs once
 * a release has three instances), unless a scenario set it (rp_sim_side_pkg_set_state) or marked
 * the instance RP_SIM_MARK_VULN_PKG. All of it is a pure function of the seed and the world, so
 * scenarios can ask at plan time what the inventories will say. The OSV tree is written in
 * begin(), the inventories and the truth in end() (instances added during the run included). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/sim_internal.h"
#include "sim/sim_side.h"
#include "sim/sim_side_pkg.h"
#include "core/rp_json.h"
#include "core/rp_banned.h"

#define SRC_LABEL "side-packages"
#define MAX_ROWS  256 /* installed packages of one instance (tables are smaller) */

struct pkg_ov {
    uint32_t inst;
    uint16_t adv;
    uint8_t aff;
    uint8_t state; /* enum rp_sim_vuln_state */
};

struct pkg_state {
    struct pkg_ov *ov;
    size_t n, cap;
};

static struct pkg_state *pkg_state(const struct rp_sim_run *run)
{
    /* read-only use of the run: the state pointer is the same for every hook */
    return rp_sim_run_gen_state((struct rp_sim_run *)run, &rp_sim_gen_side_packages);
}

/* ---- releases and installed sets ----------------------------------------------------------- */

static int rel_of(const struct rp_sim_world *w, uint32_t inst)
{
    if (inst >= w->ninstances) return -1;
    const struct rp_sim_instance *in = &w->instances[inst];
    switch (in->os) {
    case RP_SIM_OS_DEBIAN:
        return strcmp(in->os_release, "12") == 0 ? RP_SIM_REL_DEB12 : -1;
    case RP_SIM_OS_UBUNTU:
        if (strcmp(in->os_release, "22.04") == 0) return RP_SIM_REL_U2204;
        if (strcmp(in->os_release, "20.04") == 0) return RP_SIM_REL_U2004;
        return -1;
    case RP_SIM_OS_ALPINE:
        if (strcmp(in->os_release, "3.19") == 0) return RP_SIM_REL_A319;
        if (strcmp(in->os_release, "3.18") == 0) return RP_SIM_REL_A318;
        return -1;
    default:
        return -1;
    }
}

static bool is_apk(int rel)
{
    return rel == RP_SIM_REL_A319 || rel == RP_SIM_REL_A318;
}

const char *rp_sim_side_pkg_format(const struct rp_sim_world *w, uint32_t instance)
{
    int rel = rel_of(w, instance);
    if (rel < 0) return NULL;
    return is_apk(rel) ? "apk" : "dpkg";
}

const char *rp_sim_side_pkg_ecosystem(const struct rp_sim_world *w, uint32_t instance)
{
    int rel = rel_of(w, instance);
    return rel < 0 ? NULL : rp_sim_rel_ecosystem[rel];
}

static uint8_t workload_set(enum rp_sim_workload wl)
{
    switch (wl) {
    case RP_SIM_WL_WEB:
        return RP_SIM_PS_WEB;
    case RP_SIM_WL_APP:
        return RP_SIM_PS_APP;
    case RP_SIM_WL_DB:
        return RP_SIM_PS_DB;
    case RP_SIM_WL_CI_RUNNER:
        return RP_SIM_PS_CI;
    default:
        return 0;
    }
}

static bool group_chosen(const struct rp_sim_world *w, uint32_t inst, uint8_t group)
{
    uint64_t h = rp_sim_mix(rp_sim_mix(w->seed, rp_sim_hash_str(w->instances[inst].res.id)),
                            0x9000u + group);
    return h % 100 < 45;
}

static bool row_wanted(const struct rp_sim_world *w, uint32_t inst, uint8_t sets, uint8_t group)
{
    uint8_t want = RP_SIM_PS_BASE | workload_set(w->instances[inst].workload);
    if (sets & want) return true;
    return (sets & RP_SIM_PS_OPT) && group_chosen(w, inst, group);
}

/* Table version of row r for rel (the part before '|'), into out. NULL when absent. */
static const char *table_ver(int rel, size_t r, char *out, size_t outsz)
{
    const char *v =
        is_apk(rel) ? rp_sim_apk_pkgs[r].ver[rel - RP_SIM_REL_A319] : rp_sim_dpkg_pkgs[r].ver[rel];
    if (!v) return NULL;
    const char *bar = strchr(v, '|');
    size_t n = bar ? (size_t)(bar - v) : strlen(v);
    if (n >= outsz) n = outsz - 1;
    memcpy(out, v, n);
    out[n] = '\0';
    return out;
}

/* OSV source name of row r in rel into out. */
static void row_source(int rel, size_t r, char *out, size_t outsz)
{
    if (is_apk(rel)) {
        const struct rp_sim_apk_pkg *p = &rp_sim_apk_pkgs[r];
        rp_strlcpy(out, p->origin ? p->origin : p->name, outsz);
        return;
    }
    const struct rp_sim_dpkg_pkg *p = &rp_sim_dpkg_pkgs[r];
    const char *v = p->ver[rel];
    const char *bar = v ? strchr(v, '|') : NULL;
    if (bar) {
        const char *s = bar + 1;
        size_t n = strcspn(s, " ");
        if (n >= outsz) n = outsz - 1;
        memcpy(out, s, n);
        out[n] = '\0';
        return;
    }
    rp_strlcpy(out, p->source ? p->source : p->name, outsz);
}

static size_t table_len(int rel)
{
    return is_apk(rel) ? rp_sim_apk_npkgs : rp_sim_dpkg_npkgs;
}

static const char *row_name(int rel, size_t r)
{
    return is_apk(rel) ? rp_sim_apk_pkgs[r].name : rp_sim_dpkg_pkgs[r].name;
}

static bool row_installed(const struct rp_sim_world *w, uint32_t inst, int rel, size_t r)
{
    if (is_apk(rel)) {
        const struct rp_sim_apk_pkg *p = &rp_sim_apk_pkgs[r];
        return p->ver[rel - RP_SIM_REL_A319] && row_wanted(w, inst, p->sets, p->group);
    }
    const struct rp_sim_dpkg_pkg *p = &rp_sim_dpkg_pkgs[r];
    return p->ver[rel] && row_wanted(w, inst, p->sets, p->group);
}

static bool source_installed(const struct rp_sim_world *w, uint32_t inst, int rel,
                             const char *source)
{
    char s[64];
    for (size_t r = 0; r < table_len(rel); r++) {
        if (!row_installed(w, inst, rel, r)) continue;
        row_source(rel, r, s, sizeof(s));
        if (strcmp(s, source) == 0) return true;
    }
    return false;
}

/* ---- advisory states ----------------------------------------------------------------------- */

/* The advisory entry (a, k) covering (rel, source) with a vulnerable version; false if none. */
static bool find_aff(int rel, const char *source, bool need_range, size_t *a, size_t *k)
{
    for (size_t i = 0; i < rp_sim_nadvs; i++)
        for (size_t j = 0; j < rp_sim_advs[i].naff; j++) {
            const struct rp_sim_adv_aff *f = &rp_sim_advs[i].aff[j];
            if (f->rel != rel || strcmp(f->source, source) != 0) continue;
            if (need_range && !f->affected) continue;
            *a = i;
            *k = j;
            return true;
        }
    return false;
}

static const struct pkg_ov *find_ov(const struct pkg_state *st, uint32_t inst, size_t a, size_t k)
{
    if (!st) return NULL;
    for (size_t i = 0; i < st->n; i++)
        if (st->ov[i].inst == inst && st->ov[i].adv == a && st->ov[i].aff == k) return &st->ov[i];
    return NULL;
}

static bool has_affected_ov(const struct pkg_state *st, uint32_t inst)
{
    if (!st) return false;
    for (size_t i = 0; i < st->n; i++)
        if (st->ov[i].inst == inst && st->ov[i].state == RP_SIM_VULN_AFFECTED) return true;
    return false;
}

/* The advisory made vulnerable by RP_SIM_MARK_VULN_PKG: openssh, else the first covered
 * source installed. */
static bool preferred_aff(const struct rp_sim_world *w, uint32_t inst, int rel, size_t *pa,
                          size_t *pk)
{
    bool found = false;
    for (size_t i = 0; i < rp_sim_nadvs; i++)
        for (size_t j = 0; j < rp_sim_advs[i].naff; j++) {
            const struct rp_sim_adv_aff *f = &rp_sim_advs[i].aff[j];
            if (f->rel != rel || !f->affected || !source_installed(w, inst, rel, f->source))
                continue;
            if (strcmp(f->source, "openssh") == 0) {
                *pa = i;
                *pk = j;
                return true;
            }
            if (!found) {
                *pa = i;
                *pk = j;
                found = true;
            }
        }
    return found;
}

static enum rp_sim_vuln_state aff_state(const struct rp_sim_run *run, uint32_t inst, int rel,
                                        size_t a, size_t k)
{
    const struct rp_sim_world *w = run->world;
    const struct rp_sim_adv_aff *f = &rp_sim_advs[a].aff[k];
    if (!f->affected) return RP_SIM_VULN_BELOW_INTRODUCED;
    const struct pkg_state *st = pkg_state(run);
    const struct pkg_ov *ov = find_ov(st, inst, a, k);
    if (ov) return (enum rp_sim_vuln_state)ov->state;
    if ((w->instances[inst].res.marks & RP_SIM_MARK_VULN_PKG) && !has_affected_ov(st, inst)) {
        size_t pa = 0, pk = 0;
        if (preferred_aff(w, inst, rel, &pa, &pk) && pa == a && pk == k)
            return RP_SIM_VULN_AFFECTED;
    }
    /* rotate over the instances of the release and over the release's advisories, so both an
     * advisory's instances and an instance's advisories take every state */
    uint32_t rank = 0, seq = 0;
    for (uint32_t j = 0; j < inst; j++)
        if (rel_of(w, j) == rel) rank++;
    for (size_t i = 0; i < a; i++)
        for (size_t j = 0; j < rp_sim_advs[i].naff; j++)
            if (rp_sim_advs[i].aff[j].rel == rel && rp_sim_advs[i].aff[j].affected) seq++;
    static const enum rp_sim_vuln_state rot[3] = {RP_SIM_VULN_AFFECTED, RP_SIM_VULN_AT_FIXED,
                                                  RP_SIM_VULN_ABOVE_FIXED};
    return rot[(rank + seq + run->seed % 3) % 3];
}

static const char *state_version(const struct rp_sim_adv_aff *f, enum rp_sim_vuln_state s)
{
    switch (s) {
    case RP_SIM_VULN_AFFECTED:
        return f->affected;
    case RP_SIM_VULN_AT_FIXED:
        return f->fixed;
    case RP_SIM_VULN_ABOVE_FIXED:
        return f->later;
    default:
        return NULL;
    }
}

/* Installed version of row r on inst into out (advisory state first, then the table). */
static const char *installed_ver(const struct rp_sim_run *run, uint32_t inst, int rel, size_t r,
                                 char *out, size_t outsz)
{
    char src[64];
    row_source(rel, r, src, sizeof(src));
    size_t a = 0, k = 0;
    if (find_aff(rel, src, true, &a, &k)) {
        const char *v = state_version(&rp_sim_advs[a].aff[k], aff_state(run, inst, rel, a, k));
        if (v) {
            rp_strlcpy(out, v, outsz);
            return out;
        }
    }
    return table_ver(rel, r, out, outsz);
}

/* Installed rows of inst in file order (dpkg: by name; apk: table order). */
static size_t installed_rows(const struct rp_sim_world *w, uint32_t inst, int rel,
                             size_t rows[MAX_ROWS])
{
    size_t n = 0;
    for (size_t r = 0; r < table_len(rel) && n < MAX_ROWS; r++)
        if (row_installed(w, inst, rel, r)) rows[n++] = r;
    if (!is_apk(rel))
        for (size_t i = 1; i < n; i++)
            for (size_t j = i;
                 j > 0 && strcmp(row_name(rel, rows[j - 1]), row_name(rel, rows[j])) > 0; j--) {
                size_t t = rows[j];
                rows[j] = rows[j - 1];
                rows[j - 1] = t;
            }
    return n;
}

static void fill_vuln(const struct rp_sim_run *run, uint32_t inst, int rel, size_t a, size_t k,
                      struct rp_sim_side_vuln *v)
{
    const struct rp_sim_adv *ad = &rp_sim_advs[a];
    const struct rp_sim_adv_aff *f = &ad->aff[k];
    memset(v, 0, sizeof(*v));
    rp_strlcpy(v->advisory, ad->id, sizeof(v->advisory));
    rp_strlcpy(v->cve, ad->cve, sizeof(v->cve));
    rp_strlcpy(v->ecosystem, rp_sim_rel_ecosystem[rel], sizeof(v->ecosystem));
    rp_strlcpy(v->source, f->source, sizeof(v->source));
    rp_strlcpy(v->introduced, f->introduced, sizeof(v->introduced));
    rp_strlcpy(v->fixed, f->fixed, sizeof(v->fixed));
    rp_strlcpy(v->cvss, ad->cvss, sizeof(v->cvss));
    v->score10 = ad->score10;
    v->state = aff_state(run, inst, rel, a, k);
    size_t rows[MAX_ROWS];
    size_t n = installed_rows(run->world, inst, rel, rows);
    const char *names[MAX_ROWS];
    size_t nn = 0;
    char src[64];
    for (size_t i = 0; i < n; i++) {
        row_source(rel, rows[i], src, sizeof(src));
        if (strcmp(src, f->source) != 0) continue;
        names[nn++] = row_name(rel, rows[i]);
        if (nn == 1) installed_ver(run, inst, rel, rows[i], v->installed, sizeof(v->installed));
    }
    for (size_t i = 1; i < nn; i++) /* apk rows are in install order: sort the names */
        for (size_t j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
            const char *t = names[j];
            names[j] = names[j - 1];
            names[j - 1] = t;
        }
    size_t len = 0;
    for (size_t i = 0; i < nn; i++) {
        int m =
            snprintf(v->binaries + len, sizeof(v->binaries) - len, "%s%s", i ? "," : "", names[i]);
        if (m < 0 || (size_t)m >= sizeof(v->binaries) - len) break;
        len += (size_t)m;
    }
}

uint32_t rp_sim_side_pkg_vulns(const struct rp_sim_run *run, uint32_t instance,
                               struct rp_sim_side_vuln *out, uint32_t max)
{
    const struct rp_sim_world *w = run->world;
    int rel = rel_of(w, instance);
    if (rel < 0) return 0;
    uint32_t n = 0;
    for (size_t a = 0; a < rp_sim_nadvs; a++)
        for (size_t k = 0; k < rp_sim_advs[a].naff; k++) {
            const struct rp_sim_adv_aff *f = &rp_sim_advs[a].aff[k];
            if (f->rel != rel || !source_installed(w, instance, rel, f->source)) continue;
            if (n < max) fill_vuln(run, instance, rel, a, k, &out[n]);
            n++;
        }
    return n;
}

/* Source name of package (binary or source) on inst; false when not installed. */
static bool package_source(const struct rp_sim_world *w, uint32_t inst, int rel,
                           const char *package, char *src, size_t srcsz)
{
    for (size_t r = 0; r < table_len(rel); r++) {
        if (!row_installed(w, inst, rel, r)) continue;
        row_source(rel, r, src, srcsz);
        if (strcmp(row_name(rel, r), package) == 0 || strcmp(src, package) == 0) return true;
    }
    return false;
}

rp_err rp_sim_side_pkg_set_state(struct rp_sim_run *run, uint32_t instance, const char *package,
                                 enum rp_sim_vuln_state state, struct rp_sim_side_vuln *out,
                                 struct rp_errbuf *eb)
{
    struct rp_sim_world *w = run->world;
    if (instance >= w->ninstances || !package || state > RP_SIM_VULN_ABOVE_FIXED)
        return rp_fail(eb, RP_EINVAL, "side-packages: bad instance, package or state");
    int rel = rel_of(w, instance);
    if (rel < 0)
        return rp_fail(eb, RP_EUNSUPPORTED, "side-packages: instance '%s' has no package inventory",
                       w->instances[instance].res.id);
    char src[64];
    size_t a = 0, k = 0;
    if (!package_source(w, instance, rel, package, src, sizeof(src)) ||
        !find_aff(rel, src, true, &a, &k))
        return rp_fail(eb, RP_ENOENT, "side-packages: no advisory covers '%s' on instance '%s'",
                       package, w->instances[instance].res.id);
    struct pkg_state *st = pkg_state(run);
    if (!st) return rp_fail(eb, RP_EUNSUPPORTED, "side-packages: generator not part of this run");
    struct pkg_ov *ov = (struct pkg_ov *)find_ov(st, instance, a, k);
    if (!ov) {
        if (st->n == st->cap) {
            size_t ncap = st->cap ? st->cap * 2 : 8;
            struct pkg_ov *nv = realloc(st->ov, ncap * sizeof(*nv));
            if (!nv) return rp_fail(eb, RP_ENOMEM, "side-packages: out of memory");
            st->ov = nv;
            st->cap = ncap;
        }
        ov = &st->ov[st->n++];
        ov->inst = instance;
        ov->adv = (uint16_t)a;
        ov->aff = (uint8_t)k;
    }
    ov->state = (uint8_t)state;
    if (state == RP_SIM_VULN_AFFECTED) w->instances[instance].res.marks |= RP_SIM_MARK_VULN_PKG;
    if (out) fill_vuln(run, instance, rel, a, k, out);
    return RP_OK;
}

rp_err rp_sim_side_pkg_mark_vulnerable(struct rp_sim_run *run, uint32_t instance,
                                       const char *package, struct rp_sim_side_vuln *out,
                                       struct rp_errbuf *eb)
{
    return rp_sim_side_pkg_set_state(run, instance, package, RP_SIM_VULN_AFFECTED, out, eb);
}

/* ---- rendering ----------------------------------------------------------------------------- */

/* True when v ends in a binNMU suffix "+bN"; *base_len gets the length without it. */
static bool binnmu(const char *v, size_t *base_len)
{
    const char *p = strrchr(v, '+');
    if (!p || p[1] != 'b' || !p[2]) return false;
    for (const char *q = p + 2; *q; q++)
        if (*q < '0' || *q > '9') return false;
    *base_len = (size_t)(p - v);
    return true;
}

static bool ubuntu_modified(const char *v)
{
    return strstr(v, "ubuntu") != NULL || strstr(v, "build") != NULL;
}

static rp_err dpkg_stanza(const struct rp_sim_run *run, uint32_t inst, int rel, size_t r,
                          struct rp_buf *out)
{
    const struct rp_sim_dpkg_pkg *p = &rp_sim_dpkg_pkgs[r];
    char ver[80];
    installed_ver(run, inst, rel, r, ver, sizeof(ver));
    bool ubuntu = rel == RP_SIM_REL_U2204 || rel == RP_SIM_REL_U2004;
    const char *maint = rp_sim_dpkg_maints[p->maint];
    const char *orig = NULL;
    if (ubuntu && (ubuntu_modified(ver) || p->maint == RP_SIM_DPKG_MAINT_UBUNTU)) {
        orig = p->maint == RP_SIM_DPKG_MAINT_UBUNTU ? NULL : maint;
        maint = rp_sim_dpkg_maints[RP_SIM_DPKG_MAINT_UBUNTU];
    }
    rp_err e = rp_buf_printf(out, "Package: %s\n", p->name);
    if (e == RP_OK && (p->flags & RP_SIM_DF_ESSENTIAL))
        e = rp_buf_append_str(out, "Essential: yes\n");
    if (e == RP_OK)
        e = rp_buf_printf(out,
                          "Status: install ok installed\nPriority: %s\nSection: %s\n"
                          "Installed-Size: %u\nMaintainer: %s\nArchitecture: %s\n",
                          p->priority, p->section, p->size_kb, maint,
                          (p->flags & RP_SIM_DF_ALL) ? "all" : "amd64");
    if (e == RP_OK && (p->flags & (RP_SIM_DF_MA_SAME | RP_SIM_DF_MA_FOREIGN)))
        e = rp_buf_printf(out, "Multi-Arch: %s\n",
                          (p->flags & RP_SIM_DF_MA_SAME) ? "same" : "foreign");
    /* Source: from the table's override, or the source name plus the version when binNMU'd */
    const char *tv = p->ver[rel];
    const char *bar = tv ? strchr(tv, '|') : NULL;
    size_t base = 0;
    if (e != RP_OK) return e;
    if (bar)
        e = rp_buf_printf(out, "Source: %s\n", bar + 1);
    else if (binnmu(ver, &base))
        e = rp_buf_printf(out, "Source: %s (%.*s)\n", p->source ? p->source : p->name, (int)base,
                          ver);
    else if (p->source)
        e = rp_buf_printf(out, "Source: %s\n", p->source);
    if (e == RP_OK) e = rp_buf_printf(out, "Version: %s\n", ver);
    if (e == RP_OK && p->depends) e = rp_buf_printf(out, "Depends: %s\n", p->depends);
    if (e == RP_OK) e = rp_buf_printf(out, "Description: %s\n", p->desc);
    if (e == RP_OK && orig) e = rp_buf_printf(out, "Original-Maintainer: %s\n", orig);
    if (e == RP_OK) e = rp_buf_putc(out, '\n');
    return e;
}

static rp_err apk_stanza(const struct rp_sim_run *run, uint32_t inst, int rel, size_t r,
                         struct rp_buf *out)
{
    const struct rp_sim_apk_pkg *p = &rp_sim_apk_pkgs[r];
    char ver[80];
    installed_ver(run, inst, rel, r, ver, sizeof(ver));
    const char *origin = p->origin ? p->origin : p->name;
    /* the package checksum and the aports commit are properties of the build, the same on every
     * host: derive them from (name, version) and (origin, version) */
    uint64_t h = rp_sim_mix(rp_sim_hash_str(p->name), rp_sim_hash_str(ver));
    uint8_t sha1[20];
    for (int i = 0; i < 20; i++) {
        if (i % 8 == 0) h = rp_sim_mix(h, (uint64_t)i);
        sha1[i] = (uint8_t)(h >> (8 * (i % 8)));
    }
    uint64_t oh = rp_sim_mix(rp_sim_hash_str(origin), rp_sim_hash_str(ver));
    char commit[41];
    for (int i = 0; i < 40; i++) {
        if (i % 16 == 0) oh = rp_sim_mix(oh, 0xc0u + (uint64_t)i);
        commit[i] = RP_SIM_ALPHA_HEX[(oh >> (4 * (i % 16))) & 15];
    }
    commit[40] = '\0';
    int64_t built = (rel == RP_SIM_REL_A319 ? 1701000000 : 1684000000) + (int64_t)(oh % 30000000);
    rp_err e = rp_buf_append_str(out, "C:Q1");
    if (e == RP_OK) e = rp_sim_side_base64(sha1, sizeof(sha1), false, out);
    if (e == RP_OK)
        e = rp_buf_printf(out,
                          "\nP:%s\nV:%s\nA:x86_64\nS:%u\nI:%u\nT:%s\nU:%s\nL:%s\no:%s\n"
                          "m:Natanael Copa <ncopa@alpinelinux.org>\nt:%lld\nc:%s\n",
                          p->name, ver, p->size, p->isize, p->desc, p->url, p->license, origin,
                          (long long)built, commit);
    if (e == RP_OK && p->depends) e = rp_buf_printf(out, "D:%s\n", p->depends);
    if (e == RP_OK) e = rp_buf_putc(out, '\n');
    return e;
}

rp_err rp_sim_side_pkg_stanza(const struct rp_sim_run *run, uint32_t instance, const char *binary,
                              struct rp_buf *out)
{
    int rel = rel_of(run->world, instance);
    if (rel < 0) return RP_ENOENT;
    for (size_t r = 0; r < table_len(rel); r++) {
        if (strcmp(row_name(rel, r), binary) != 0 || !row_installed(run->world, instance, rel, r))
            continue;
        return is_apk(rel) ? apk_stanza(run, instance, rel, r, out)
                           : dpkg_stanza(run, instance, rel, r, out);
    }
    return RP_ENOENT;
}

rp_err rp_sim_side_pkg_inventory(const struct rp_sim_run *run, uint32_t instance,
                                 struct rp_buf *out)
{
    int rel = rel_of(run->world, instance);
    if (rel < 0) return RP_ENOENT;
    size_t rows[MAX_ROWS];
    size_t n = installed_rows(run->world, instance, rel, rows);
    rp_err e = RP_OK;
    for (size_t i = 0; i < n && e == RP_OK; i++)
        e = is_apk(rel) ? apk_stanza(run, instance, rel, rows[i], out)
                        : dpkg_stanza(run, instance, rel, rows[i], out);
    return e;
}

/* ---- OSV tree ------------------------------------------------------------------------------ */

static void osv_time(int64_t start_ms, unsigned days_before, char *out, size_t outsz)
{
    rp_sim_iso_s(start_ms - (int64_t)days_before * 86400000LL, out, outsz);
}

static rp_err osv_render(const struct rp_sim_run *run, const struct rp_sim_adv *ad,
                         struct rp_buf *out)
{
    struct rp_json_writer jw;
    rp_json_writer_init(&jw, out);
    char ts[40], purl[128], score[8];
    rp_json_write_obj_begin(&jw);
    rp_json_write_kv_cstr(&jw, "schema_version", "1.6.0");
    rp_json_write_kv_cstr(&jw, "id", ad->id);
    osv_time(run->start_ms, ad->modified_days, ts, sizeof(ts));
    rp_json_write_kv_cstr(&jw, "modified", ts);
    osv_time(run->start_ms, ad->published_days, ts, sizeof(ts));
    rp_json_write_kv_cstr(&jw, "published", ts);
    rp_json_write_key(&jw, "aliases", 7);
    rp_json_write_arr_begin(&jw);
    rp_json_write_cstr(&jw, ad->cve);
    rp_json_write_arr_end(&jw);
    rp_json_write_kv_cstr(&jw, "summary", ad->summary);
    rp_json_write_kv_cstr(&jw, "details", ad->details);
    rp_json_write_key(&jw, "severity", 8);
    rp_json_write_arr_begin(&jw);
    rp_json_write_obj_begin(&jw);
    rp_json_write_kv_cstr(&jw, "type", "CVSS_V3");
    rp_json_write_kv_cstr(&jw, "score", ad->cvss);
    rp_json_write_obj_end(&jw);
    rp_json_write_arr_end(&jw);
    rp_json_write_key(&jw, "affected", 8);
    rp_json_write_arr_begin(&jw);
    for (size_t k = 0; k < ad->naff; k++) {
        const struct rp_sim_adv_aff *f = &ad->aff[k];
        bool apk = f->rel == RP_SIM_REL_A319 || f->rel == RP_SIM_REL_A318;
        snprintf(purl, sizeof(purl), "pkg:%s/%s/%s?arch=source", apk ? "apk" : "deb",
                 apk                                                        ? "alpine"
                 : f->rel == RP_SIM_REL_U2204 || f->rel == RP_SIM_REL_U2004 ? "ubuntu"
                                                                            : "debian",
                 f->source);
        rp_json_write_obj_begin(&jw);
        rp_json_write_key(&jw, "package", 7);
        rp_json_write_obj_begin(&jw);
        rp_json_write_kv_cstr(&jw, "ecosystem", rp_sim_rel_ecosystem[f->rel]);
        rp_json_write_kv_cstr(&jw, "name", f->source);
        rp_json_write_kv_cstr(&jw, "purl", purl);
        rp_json_write_obj_end(&jw);
        rp_json_write_key(&jw, "ranges", 6);
        rp_json_write_arr_begin(&jw);
        rp_json_write_obj_begin(&jw);
        rp_json_write_kv_cstr(&jw, "type", "ECOSYSTEM");
        rp_json_write_key(&jw, "events", 6);
        rp_json_write_arr_begin(&jw);
        rp_json_write_obj_begin(&jw);
        rp_json_write_kv_cstr(&jw, "introduced", f->introduced);
        rp_json_write_obj_end(&jw);
        rp_json_write_obj_begin(&jw);
        rp_json_write_kv_cstr(&jw, "fixed", f->fixed);
        rp_json_write_obj_end(&jw);
        rp_json_write_arr_end(&jw);
        rp_json_write_obj_end(&jw);
        rp_json_write_arr_end(&jw);
        rp_json_write_obj_end(&jw);
    }
    rp_json_write_arr_end(&jw);
    rp_json_write_key(&jw, "references", 10);
    rp_json_write_arr_begin(&jw);
    rp_json_write_obj_begin(&jw);
    rp_json_write_kv_cstr(&jw, "type", "ADVISORY");
    char url[128];
    snprintf(url, sizeof(url), "https://security.example.org/rpsim/%s", ad->id);
    rp_json_write_kv_cstr(&jw, "url", url);
    rp_json_write_obj_end(&jw);
    rp_json_write_arr_end(&jw);
    rp_json_write_key(&jw, "database_specific", 17);
    rp_json_write_obj_begin(&jw);
    rp_json_write_kv_bool(&jw, "synthetic", true);
    snprintf(score, sizeof(score), "%u.%u", ad->score10 / 10u, ad->score10 % 10u);
    rp_json_write_key(&jw, "cvss_score", 10);
    rp_json_write_raw(&jw, score, strlen(score));
    rp_json_write_obj_end(&jw);
    rp_json_write_obj_end(&jw);
    rp_err e = rp_json_writer_finish(&jw);
    if (e == RP_OK) e = rp_buf_putc(out, '\n');
    return e;
}

uint32_t rp_sim_side_osv_count(void)
{
    return (uint32_t)rp_sim_nadvs;
}

rp_err rp_sim_side_osv_render(const struct rp_sim_run *run, uint32_t i, struct rp_buf *out,
                              char *key, size_t keysz)
{
    if (i < rp_sim_nadvs && key)
        snprintf(key, keysz, "advisories/osv/%s/%s.json", rp_sim_advs[i].family, rp_sim_advs[i].id);
    if (i >= rp_sim_nadvs) return RP_ENOENT;
    return osv_render(run, &rp_sim_advs[i], out);
}

/* ---- the generator ------------------------------------------------------------------------- */

static rp_err pk_begin(struct rp_sim_run *run, void *state, struct rp_errbuf *eb)
{
    (void)state;
    struct rp_buf b;
    rp_buf_init(&b, 1 << 20);
    rp_err e = RP_OK;
    char key[RP_SIM_MAX_KEY];
    for (size_t i = 0; i < rp_sim_nadvs && e == RP_OK; i++) {
        rp_buf_reset(&b);
        e = osv_render(run, &rp_sim_advs[i], &b);
        if (e != RP_OK) {
            e = rp_fail(eb, e, "side-packages: cannot render advisory '%s'", rp_sim_advs[i].id);
            break;
        }
        snprintf(key, sizeof(key), "advisories/osv/%s/%s.json", rp_sim_advs[i].family,
                 rp_sim_advs[i].id);
        e = rp_sim_out_put(run, SRC_LABEL, key, RP_SIM_OUT_PLAIN, b.data, b.len, 1, eb);
    }
    rp_buf_release(&b);
    return e;
}

static rp_err truth_lines(struct rp_sim_run *run, uint32_t inst, const char *inv_key,
                          struct rp_buf *b)
{
    const struct rp_sim_world *w = run->world;
    const struct rp_sim_instance *in = &w->instances[inst];
    struct rp_sim_side_vuln v[32];
    uint32_t n = rp_sim_side_pkg_vulns(run, inst, v, RP_ARRAY_LEN(v));
    if (n > RP_ARRAY_LEN(v)) n = RP_ARRAY_LEN(v);
    for (uint32_t i = 0; i < n; i++) {
        struct rp_json_writer jw;
        rp_json_writer_init(&jw, b);
        rp_json_write_obj_begin(&jw);
        rp_json_write_kv_cstr(&jw, "instance", in->res.id);
        rp_json_write_kv_cstr(&jw, "account", w->accounts[in->res.acct].res.id);
        rp_json_write_kv_cstr(&jw, "region", w->regions[in->res.region]);
        rp_json_write_kv_cstr(&jw, "inventory", inv_key);
        rp_json_write_kv_cstr(&jw, "ecosystem", v[i].ecosystem);
        rp_json_write_kv_cstr(&jw, "advisory", v[i].advisory);
        rp_json_write_kv_cstr(&jw, "cve", v[i].cve);
        rp_json_write_kv_cstr(&jw, "source", v[i].source);
        rp_json_write_key(&jw, "packages", 8);
        rp_json_write_arr_begin(&jw);
        struct rp_str rest = rp_str_from(v[i].binaries), tok;
        while (rp_str_split_next(&rest, ',', &tok)) rp_json_write_str(&jw, tok.p, tok.len);
        rp_json_write_arr_end(&jw);
        rp_json_write_kv_cstr(&jw, "installed", v[i].installed);
        rp_json_write_kv_cstr(&jw, "introduced", v[i].introduced);
        rp_json_write_kv_cstr(&jw, "fixed", v[i].fixed);
        rp_json_write_kv_cstr(&jw, "state", rp_sim_vuln_state_name(v[i].state));
        rp_json_write_kv_cstr(&jw, "expect",
                              v[i].state == RP_SIM_VULN_AFFECTED ? "vulnerable" : "not-vulnerable");
        rp_json_write_kv_cstr(&jw, "cvss", v[i].cvss);
        rp_json_write_obj_end(&jw);
        rp_err e = rp_json_writer_finish(&jw);
        if (e == RP_OK) e = rp_buf_putc(b, '\n');
        if (e != RP_OK) return e;
    }
    return RP_OK;
}

/* The instance's etc/os-release, as the release writes it (the fields scanners read: NAME,
 * VERSION_ID, VERSION, VERSION_CODENAME, ID, ID_LIKE, PRETTY_NAME), so an inventory names its
 * distribution: Ubuntu and Debian both keep dpkg databases. */
static rp_err os_release_text(const struct rp_sim_instance *in, int rel, struct rp_buf *b)
{
    switch (rel) {
    case RP_SIM_REL_DEB12:
        return rp_buf_append_str(b, "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n"
                                    "NAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\n"
                                    "VERSION=\"12 (bookworm)\"\nVERSION_CODENAME=bookworm\n"
                                    "ID=debian\n");
    case RP_SIM_REL_U2204:
    case RP_SIM_REL_U2004: {
        bool jammy = rel == RP_SIM_REL_U2204;
        return rp_buf_printf(b,
                             "PRETTY_NAME=\"Ubuntu %s LTS\"\nNAME=\"Ubuntu\"\n"
                             "VERSION_ID=\"%s\"\nVERSION=\"%s LTS (%s)\"\n"
                             "VERSION_CODENAME=%s\nID=ubuntu\nID_LIKE=debian\n",
                             jammy ? "22.04.4" : "20.04.6", in->os_release,
                             jammy ? "22.04.4" : "20.04.6",
                             jammy ? "Jammy Jellyfish" : "Focal Fossa", in->os_codename);
    }
    default:
        return rp_buf_printf(b,
                             "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=%s.1\n"
                             "PRETTY_NAME=\"Alpine Linux v%s\"\n",
                             in->os_release, in->os_release);
    }
}

static rp_err pk_end(struct rp_sim_run *run, void *state, struct rp_errbuf *eb)
{
    (void)state;
    const struct rp_sim_world *w = run->world;
    struct rp_sim_file *tf = NULL;
    rp_err e =
        rp_sim_out_open(run, SRC_LABEL, "side-truth/packages.jsonl", RP_SIM_OUT_PLAIN, &tf, eb);
    if (e != RP_OK) return e;
    struct rp_buf b, t;
    rp_buf_init(&b, 8 << 20);
    rp_buf_init(&t, 1 << 20);
    char key[RP_SIM_MAX_KEY];
    uint64_t ntruth = 0;
    for (uint32_t i = 0; i < w->ninstances && e == RP_OK; i++) {
        const struct rp_sim_instance *in = &w->instances[i];
        int rel = rel_of(w, i);
        if (rel < 0 || in->res.deleted_ms != 0 || strcmp(in->state, "terminated") == 0) continue;
        snprintf(key, sizeof(key), "inventory/%s/%s/%s/%s", w->accounts[in->res.acct].res.id,
                 w->regions[in->res.region], in->res.id,
                 is_apk(rel) ? "lib/apk/db/installed" : "var/lib/dpkg/status");
        rp_buf_reset(&b);
        e = rp_sim_side_pkg_inventory(run, i, &b);
        if (e != RP_OK) {
            e = rp_fail(eb, e, "side-packages: cannot render the inventory of '%s'", in->res.id);
            break;
        }
        size_t rows[MAX_ROWS];
        e = rp_sim_out_put(run, SRC_LABEL, key, RP_SIM_OUT_PLAIN, b.data, b.len,
                           installed_rows(w, i, rel, rows), eb);
        if (e != RP_OK) break;
        char osr_key[RP_SIM_MAX_KEY];
        snprintf(osr_key, sizeof(osr_key), "inventory/%s/%s/%s/etc/os-release",
                 w->accounts[in->res.acct].res.id, w->regions[in->res.region], in->res.id);
        rp_buf_reset(&b);
        e = os_release_text(in, rel, &b);
        if (e == RP_OK)
            e = rp_sim_out_put(run, SRC_LABEL, osr_key, RP_SIM_OUT_PLAIN, b.data, b.len, 0, eb);
        if (e != RP_OK) break;
        rp_buf_reset(&t);
        e = truth_lines(run, i, key, &t);
        if (e != RP_OK) {
            e = rp_fail(eb, e, "side-packages: cannot render the truth of '%s'", in->res.id);
            break;
        }
        for (size_t k = 0; k < t.len; k++) ntruth += t.data[k] == '\n';
        e = rp_sim_file_write(tf, t.data, t.len, eb);
    }
    rp_buf_release(&b);
    rp_buf_release(&t);
    rp_sim_file_add_records(tf, ntruth);
    rp_err e2 = rp_sim_file_close(tf, eb);
    return e != RP_OK ? e : e2;
}

static void pk_release(struct rp_sim_run *run, void *state)
{
    (void)run;
    struct pkg_state *st = state;
    free(st->ov);
    st->ov = NULL;
    st->n = st->cap = 0;
}

const struct rp_sim_gen rp_sim_gen_side_packages = {
    .name = "side-packages",
    .summary = "dpkg status / apk installed inventories per instance, a synthetic OSV advisory "
               "tree consistent with them, and which installed versions are vulnerable",
    .state_size = sizeof(struct pkg_state),
    .begin = pk_begin,
    .end = pk_end,
    .release = pk_release,
};
