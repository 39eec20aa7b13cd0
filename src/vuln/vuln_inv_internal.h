/* SPDX-License-Identifier: Apache-2.0 */
/* Private to src/vuln: helpers shared by the operating-system package inventories
 * (vuln_inv_dpkg_status.c, vuln_inv_apk_installed.c, vuln_inv_rpm_manifest.c) and the
 * /etc/os-release reader the inventory runner uses to fill rp_vuln_inv_ctx.os_ecosystem. */
#ifndef RP_VULN_INV_INTERNAL_H
#define RP_VULN_INV_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "core/rp_err.h"
#include "core/rp_str.h"
#include "vuln/vuln.h"

/* The OSV ecosystem of the system whose /etc/os-release text is (p, n), into out[outsz]
 * (always NUL-terminated when outsz > 0):
 *   ID=debian VERSION_ID="12"                         -> "Debian:12" (no VERSION_ID: "Debian")
 *   ID=ubuntu VERSION_ID="22.04" VERSION="22.04.3 LTS" -> "Ubuntu:22.04:LTS" (":LTS" only when
 *                                                        VERSION says LTS, as OSV writes it)
 *   ID=alpine VERSION_ID=3.19.1                       -> "Alpine:v3.19"
 *   ID=rocky / almalinux VERSION_ID="9.3"             -> "Rocky Linux:9" / "AlmaLinux:9"
 *   ID=rhel CPE_NAME="cpe:/o:redhat:enterprise_linux:9::baseos"
 *                                                     -> "Red Hat:enterprise_linux:9::baseos"
 *   ID=opensuse-* / sles PRETTY_NAME="..."            -> "openSUSE:<PRETTY_NAME>" / "SUSE:<..>"
 *   ID=wolfi / chainguard                             -> "Wolfi" / "Chainguard"
 * docs/vulns.md ("Package inventories: operating systems") explains each mapping.
 * Returns RP_OK; RP_ENOENT when the text names no ID, an ID not listed above (derivatives
 * such as ID=linuxmint included: their packages are not the parent's), or lacks the field the
 * mapping needs; RP_ELIMIT when out is too small. Never reads past p + n. */
rp_err rp_vuln_os_release(const char *p, size_t n, char *out, size_t outsz) RP_WUR;

/* The next line of (p, n) from *pos into *line, without its "\n" or "\r\n"; advances *pos.
 * False at the end of the input. */
static inline bool rp_vuln_inv_line(const char *p, size_t n, size_t *pos, struct rp_str *line)
{
    if (*pos >= n) return false;
    const char *s = p + *pos;
    const char *nl = memchr(s, '\n', n - *pos);
    size_t len = nl ? (size_t)(nl - s) : n - *pos;
    *pos += nl ? len + 1 : len;
    if (len && s[len - 1] == '\r') len--;
    *line = (struct rp_str){s, len};
    return true;
}

/* s copied into dst[dstsz] as a C string; false (dst empty) when it does not fit or holds a
 * NUL byte. */
static inline bool rp_vuln_inv_cstr(char *dst, size_t dstsz, struct rp_str s)
{
    if (s.len >= dstsz || (s.len && memchr(s.p, 0, s.len))) {
        if (dstsz) dst[0] = 0;
        return false;
    }
    if (s.len) memcpy(dst, s.p, s.len);
    dst[s.len] = 0;
    return true;
}

/* True when line (p, n) is blank (only spaces and tabs). */
static inline bool rp_vuln_inv_blank(struct rp_str s)
{
    for (size_t i = 0; i < s.len; i++)
        if (s.p[i] != ' ' && s.p[i] != '\t') return false;
    return true;
}

/* True when path ends with suffix at a path-component boundary ("/x/var/lib/dpkg/status" and
 * "var/lib/dpkg/status" end with "var/lib/dpkg/status"; "/xvar/lib/dpkg/status" does not). */
static inline bool rp_vuln_inv_path_ends(const char *path, const char *suffix)
{
    if (!path) return false;
    size_t n = strlen(path), k = strlen(suffix);
    if (n < k || memcmp(path + n - k, suffix, k) != 0) return false;
    return n == k || path[n - k - 1] == '/';
}

/* The last component of path ("" for NULL). */
static inline const char *rp_vuln_inv_basename(const char *path)
{
    if (!path) return "";
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* The 1-based line of byte off in (p, n). */
static inline size_t rp_vuln_inv_lineno(const char *p, size_t n, size_t off)
{
    size_t line = 1;
    for (size_t i = 0; i < n && i < off; i++)
        if (p[i] == '\n') line++;
    return line;
}

struct rp_json_parser;
struct rp_json_val;

/* Parse (p, n) as one JSON document with jp; a syntax error becomes RP_EPARSE-class error
 * "<path>:<line>: <reason>" in *eb (the line of the parser's error offset). */
rp_err rp_vuln_inv_json_parse(const struct rp_vuln_inv_ctx *cx, struct rp_json_parser *jp,
                              const char *p, size_t n, struct rp_json_val *root,
                              struct rp_errbuf *eb) RP_WUR;

/* Maximum bytes kept per field (name, version, arch, source); a longer field makes its entry
 * damaged (skipped). */
#define RP_VULN_INV_FIELD 256

#endif
