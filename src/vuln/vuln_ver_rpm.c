/* SPDX-License-Identifier: Apache-2.0 */
/* RPM version ordering (rp_vuln_ver_rpm, vuln.h), for the OSV ecosystems of RPM distributions
 * (Red Hat, AlmaLinux, Rocky Linux, SUSE, openSUSE, Mageia, openEuler, Photon OS, Azure
 * Linux, and Amazon Linux for ALAS data). A version is [epoch:]version[-release]; two are
 * ordered by epoch (missing = 0), then version, then release (missing = empty, so it sorts
 * before any release but one starting with '~'), each string compared with rpm's rpmvercmp rules:
 * alphanumeric segments split at any other character, digits beat letters, digit segments compare
 * as numbers, '~' sorts before everything (pre-release) and '^' after the end of a string but
 * before any further segment (post-release snapshot).
 *
 * cmp() takes any bytes; valid() accepts what an rpm spec file would: an unsigned 32-bit
 * epoch, version and release made of letters, digits and "._+~^" without "..", at most one
 * '-'. docs/vuln-versions.md has the rules with examples. */
#include <stdint.h>

#include "vuln/vuln.h"

/* An empty slice may have p == NULL (rp_str_from(NULL)); point it somewhere so that no
 * arithmetic is done on a null pointer. */
static struct rp_str nonnull(struct rp_str s)
{
    return s.p ? s : (struct rp_str){"", 0};
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* A separator: neither part of a segment nor one of the two marks. */
static bool is_sep(char c)
{
    return !is_digit(c) && !is_alpha(c) && c != '~' && c != '^';
}

static int cmp_bytes(struct rp_str a, struct rp_str b)
{
    size_t n = a.len < b.len ? a.len : b.len;
    for (size_t i = 0; i < n; i++)
        if (a.p[i] != b.p[i]) return (unsigned char)a.p[i] < (unsigned char)b.p[i] ? -1 : 1;
    if (a.len != b.len) return a.len < b.len ? -1 : 1;
    return 0;
}

static int cmp_number(struct rp_str a, struct rp_str b)
{
    while (a.len > 0 && a.p[0] == '0') a.p++, a.len--;
    while (b.len > 0 && b.p[0] == '0') b.p++, b.len--;
    if (a.len != b.len) return a.len < b.len ? -1 : 1;
    return cmp_bytes(a, b);
}

/* rpmvercmp: one version or one release string against another. */
static int vercmp(struct rp_str a, struct rp_str b)
{
    if (cmp_bytes(a, b) == 0) return 0;
    size_t i = 0, j = 0;
    while (i < a.len || j < b.len) {
        while (i < a.len && is_sep(a.p[i])) i++;
        while (j < b.len && is_sep(b.p[j])) j++;

        /* '~' sorts before anything, even the end of the string */
        bool ta = i < a.len && a.p[i] == '~', tb = j < b.len && b.p[j] == '~';
        if (ta || tb) {
            if (!ta) return 1;
            if (!tb) return -1;
            i++, j++;
            continue;
        }
        /* '^' sorts after the end of the string but before any other segment */
        bool ca = i < a.len && a.p[i] == '^', cb = j < b.len && b.p[j] == '^';
        if (ca || cb) {
            if (i >= a.len) return -1;
            if (j >= b.len) return 1;
            if (!ca) return 1;
            if (!cb) return -1;
            i++, j++;
            continue;
        }
        if (i >= a.len || j >= b.len) break;

        /* the segment type is set by a; b's segment of the same type may be empty */
        bool numeric = is_digit(a.p[i]);
        size_t si = i, sj = j;
        if (numeric) {
            while (i < a.len && is_digit(a.p[i])) i++;
            while (j < b.len && is_digit(b.p[j])) j++;
        } else {
            while (i < a.len && is_alpha(a.p[i])) i++;
            while (j < b.len && is_alpha(b.p[j])) j++;
        }
        struct rp_str sa = {a.p + si, i - si}, sb = {b.p + sj, j - sj};
        if (sb.len == 0) return numeric ? 1 : -1; /* a number beats letters */
        int r = numeric ? cmp_number(sa, sb) : cmp_bytes(sa, sb);
        if (r != 0) return r;
    }
    /* whichever still has characters is newer */
    if (i >= a.len && j >= b.len) return 0;
    return i < a.len ? 1 : -1;
}

struct evr {
    struct rp_str epoch; /* digits; empty = 0 */
    struct rp_str version;
    struct rp_str release; /* empty when there is no '-' */
    bool has_epoch, has_release;
};

/* rpm's split: leading digits followed by ':' are the epoch, the last '-' after them starts
 * the release. */
static struct evr split(struct rp_str s)
{
    struct evr e = {{s.p, 0}, s, {s.p, 0}, false, false};
    size_t d = 0;
    while (d < s.len && is_digit(s.p[d])) d++;
    if (d < s.len && s.p[d] == ':') {
        e.epoch.len = d;
        e.has_epoch = true;
        e.version = (struct rp_str){s.p + d + 1, s.len - d - 1};
    }
    for (size_t k = s.len; k-- > d;) {
        if (s.p[k] != '-') continue;
        e.release = (struct rp_str){s.p + k + 1, s.len - k - 1};
        e.version.len = (size_t)(s.p + k - e.version.p);
        e.has_release = true;
        break;
    }
    return e;
}

static int rpm_cmp(struct rp_str a, struct rp_str b)
{
    a = nonnull(a), b = nonnull(b);
    struct evr ea = split(a), eb = split(b);
    int r = cmp_number(ea.epoch, eb.epoch);
    if (r == 0) r = vercmp(ea.version, eb.version);
    if (r == 0) r = vercmp(ea.release, eb.release);
    return r;
}

static bool part_valid(struct rp_str s)
{
    if (s.len == 0) return false;
    for (size_t i = 0; i < s.len; i++) {
        char c = s.p[i];
        if (!is_digit(c) && !is_alpha(c) && c != '.' && c != '_' && c != '+' && c != '~' &&
            c != '^')
            return false;
        if (c == '.' && i + 1 < s.len && s.p[i + 1] == '.') return false;
    }
    return true;
}

static bool rpm_valid(struct rp_str v)
{
    v = nonnull(v);
    struct evr e = split(v);
    if (e.has_epoch) {
        if (e.epoch.len == 0) return false;
        uint64_t n = 0;
        for (size_t i = 0; i < e.epoch.len; i++) {
            n = n * 10 + (uint64_t)(e.epoch.p[i] - '0');
            if (n > UINT32_MAX) return false;
        }
    }
    if (!part_valid(e.version)) return false;
    for (size_t i = 0; i < e.version.len; i++)
        if (e.version.p[i] == '-') return false;
    return !e.has_release || part_valid(e.release);
}

static const char *const rpm_ecosystems[] = {
    "AlmaLinux", "Amazon Linux", "Azure Linux", "Mageia", "openEuler", "openSUSE",
    "Photon OS", "Red Hat",      "Rocky Linux", "SUSE",   NULL,
};

const struct rp_vuln_versioning rp_vuln_ver_rpm = {
    .name = "rpm",
    .ecosystems = rpm_ecosystems,
    .cmp = rpm_cmp,
    .valid = rpm_valid,
};
