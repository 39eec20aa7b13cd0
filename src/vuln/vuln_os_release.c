/* SPDX-License-Identifier: Apache-2.0 */
/* The OSV ecosystem of a scanned system from its /etc/os-release (rp_vuln_os_release,
 * vuln_inv_internal.h), which the inventory runner passes to the OS package parsers as
 * rp_vuln_inv_ctx.os_ecosystem. os-release is shell-style "KEY=value" lines, the value bare,
 * "double-quoted" (backslash escapes \" \\ \$ \`) or 'single-quoted'; '#' starts a comment
 * line. Only ID, VERSION_ID, VERSION, PRETTY_NAME and CPE_NAME are read. Ecosystem names are
 * the ones of OSV's ecosystems list (docs/vulns.md has the mapping and its reasons). */
#include <stdio.h>
#include <string.h>

#include "vuln/vuln_inv_internal.h"

#define VAL 256

struct osr {
    char id[VAL], version_id[VAL], version[VAL], pretty[VAL], cpe[VAL];
};

/* Unquote value into dst[VAL]; false when it does not fit or is malformed. */
static bool unquote(struct rp_str v, char *dst)
{
    size_t k = 0;
    char q = 0;
    size_t i = 0;
    if (v.len && (v.p[0] == '"' || v.p[0] == '\'')) q = v.p[i++];
    for (; i < v.len; i++) {
        char c = v.p[i];
        if (q && c == q) {
            if (i + 1 != v.len) return false; /* text after the closing quote */
            q = 0;
            break;
        }
        if (q == '"' && c == '\\' && i + 1 < v.len) c = v.p[++i];
        if (c == 0 || k + 1 >= VAL) return false;
        dst[k++] = c;
    }
    if (q) return false; /* unterminated */
    dst[k] = 0;
    return true;
}

static void read_osr(const char *p, size_t n, struct osr *o)
{
    memset(o, 0, sizeof *o);
    size_t pos = 0;
    struct rp_str line;
    while (rp_vuln_inv_line(p, n, &pos, &line)) {
        line = rp_str_trim(line);
        if (line.len == 0 || line.p[0] == '#') continue;
        const char *eq = memchr(line.p, '=', line.len);
        if (!eq) continue;
        struct rp_str k = {line.p, (size_t)(eq - line.p)};
        struct rp_str v = {eq + 1, line.len - k.len - 1};
        char *dst = rp_str_eq_cstr(k, "ID")            ? o->id
                    : rp_str_eq_cstr(k, "VERSION_ID")  ? o->version_id
                    : rp_str_eq_cstr(k, "VERSION")     ? o->version
                    : rp_str_eq_cstr(k, "PRETTY_NAME") ? o->pretty
                    : rp_str_eq_cstr(k, "CPE_NAME")    ? o->cpe
                                                       : NULL;
        if (dst && !unquote(v, dst)) dst[0] = 0; /* the last assignment wins, as in sh */
    }
}

/* The first n dot-separated numbers of s ("3.19.1", 2 -> "3.19"), into dst[VAL]; false unless
 * s starts with n digit runs. */
static bool numeric_prefix(const char *s, int n, char *dst)
{
    size_t k = 0;
    for (int part = 0; part < n; part++) {
        if (part) {
            if (*s != '.') return false;
            dst[k++] = *s++;
        }
        if (*s < '0' || *s > '9') return false;
        while (*s >= '0' && *s <= '9' && k + 2 < VAL) dst[k++] = *s++;
    }
    dst[k] = 0;
    return true;
}

static rp_err put(char *out, size_t outsz, const char *a, const char *b, const char *c)
{
    int w = snprintf(out, outsz, "%s%s%s", a, b, c);
    if (w < 0) return RP_EINTERNAL;
    return (size_t)w < outsz ? RP_OK : RP_ELIMIT;
}

rp_err rp_vuln_os_release(const char *p, size_t n, char *out, size_t outsz)
{
    if (outsz) out[0] = 0;
    struct osr o;
    read_osr(p, n, &o);
    char num[VAL];
    const char *id = o.id;
    if (strcmp(id, "debian") == 0) /* testing and sid have no VERSION_ID: every release */
        return o.version_id[0] ? put(out, outsz, "Debian:", o.version_id, "")
                               : put(out, outsz, "Debian", "", "");
    if (strcmp(id, "ubuntu") == 0) {
        if (!numeric_prefix(o.version_id, 2, num)) return RP_ENOENT;
        return put(out, outsz, "Ubuntu:", num, strstr(o.version, "LTS") ? ":LTS" : "");
    }
    if (strcmp(id, "alpine") == 0) {
        if (!numeric_prefix(o.version_id, 2, num)) return RP_ENOENT;
        return put(out, outsz, "Alpine:v", num, "");
    }
    if (strcmp(id, "rocky") == 0 || strcmp(id, "almalinux") == 0) {
        if (!numeric_prefix(o.version_id, 1, num)) return RP_ENOENT;
        return put(out, outsz, id[0] == 'r' ? "Rocky Linux:" : "AlmaLinux:", num, "");
    }
    if (strcmp(id, "rhel") == 0) {
        static const char pre[] = "cpe:/o:redhat:";
        if (strncmp(o.cpe, pre, sizeof pre - 1) != 0 || !o.cpe[sizeof pre - 1]) return RP_ENOENT;
        return put(out, outsz, "Red Hat:", o.cpe + sizeof pre - 1, "");
    }
    if (strncmp(id, "opensuse", 8) == 0 || strcmp(id, "sles") == 0 || strcmp(id, "sled") == 0) {
        if (!o.pretty[0]) return RP_ENOENT;
        return put(out, outsz, id[0] == 'o' ? "openSUSE:" : "SUSE:", o.pretty, "");
    }
    if (strcmp(id, "wolfi") == 0) return put(out, outsz, "Wolfi", "", "");
    if (strcmp(id, "chainguard") == 0) return put(out, outsz, "Chainguard", "", "");
    return RP_ENOENT;
}
