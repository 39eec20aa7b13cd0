/* SPDX-License-Identifier: Apache-2.0 */
/* rp_sim side data, shared part (sim_side.h): the check-digit validators of the identifiers the
 * documents generator plants (Luhn, IBAN mod-97, SSN structure, NHS mod-11), base64, and the
 * names of the enums. The four side generators live in sim_gen_metrics.c, sim_gen_packages.c,
 * sim_gen_documents.c and sim_gen_threatintel.c. */
#include <string.h>

#include "sim/sim_side.h"
#include "core/rp_banned.h"

bool rp_sim_side_luhn_ok(const char *s)
{
    unsigned digits[32];
    size_t n = 0;
    for (; *s; s++) {
        if (*s == ' ' || *s == '-') continue;
        if (*s < '0' || *s > '9' || n == RP_ARRAY_LEN(digits)) return false;
        digits[n++] = (unsigned)(*s - '0');
    }
    if (n < 12) return false;
    unsigned sum = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned d = digits[n - 1 - i];
        if (i % 2 == 1) {
            d *= 2;
            if (d > 9) d -= 9;
        }
        sum += d;
    }
    return sum % 10 == 0;
}

static bool is_alnum_upper(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z');
}

bool rp_sim_side_iban_ok(const char *s)
{
    char v[40];
    size_t n = 0;
    for (; *s; s++) {
        if (*s == ' ') continue;
        if (!is_alnum_upper(*s) || n == sizeof(v)) return false;
        v[n++] = *s;
    }
    if (n < 15 || n > 34) return false;
    if (v[0] < 'A' || v[0] > 'Z' || v[1] < 'A' || v[1] > 'Z') return false;
    if (v[2] < '0' || v[2] > '9' || v[3] < '0' || v[3] > '9') return false;
    /* move the first four characters to the end, letters become 10..35, then mod 97 */
    unsigned rem = 0;
    for (size_t k = 0; k < n; k++) {
        char c = v[(k + 4) % n];
        if (c >= '0' && c <= '9')
            rem = (rem * 10 + (unsigned)(c - '0')) % 97;
        else
            rem = (rem * 100 + (unsigned)(c - 'A' + 10)) % 97;
    }
    return rem == 1;
}

static bool digits_at(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

static unsigned num_at(const char *s, size_t n)
{
    unsigned v = 0;
    for (size_t i = 0; i < n; i++) v = v * 10 + (unsigned)(s[i] - '0');
    return v;
}

bool rp_sim_side_ssn_ok(const char *s)
{
    if (strlen(s) != 11 || s[3] != '-' || s[6] != '-') return false;
    if (!digits_at(s, 3) || !digits_at(s + 4, 2) || !digits_at(s + 7, 4)) return false;
    unsigned area = num_at(s, 3), group = num_at(s + 4, 2), serial = num_at(s + 7, 4);
    return area != 0 && area != 666 && area < 900 && group != 0 && serial != 0;
}

bool rp_sim_side_nhs_ok(const char *s)
{
    unsigned d[10];
    size_t n = 0;
    for (; *s; s++) {
        if (*s == ' ') continue;
        if (*s < '0' || *s > '9' || n == 10) return false;
        d[n++] = (unsigned)(*s - '0');
    }
    if (n != 10) return false;
    unsigned sum = 0;
    for (size_t i = 0; i < 9; i++) sum += d[i] * (unsigned)(10 - i);
    unsigned check = 11 - sum % 11;
    if (check == 11) check = 0;
    return check != 10 && check == d[9];
}

rp_err rp_sim_side_base64(const void *p, size_t n, bool url, struct rp_buf *out)
{
    static const char std[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    static const char safe[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const char *al = url ? safe : std;
    const unsigned char *b = p;
    rp_err e = rp_buf_reserve(out, (n + 2) / 3 * 4);
    if (e != RP_OK) return e;
    char *o = out->data + out->len;
    size_t k = 0, i = 0;
    for (; i + 3 <= n; i += 3) {
        uint32_t v = (uint32_t)b[i] << 16 | (uint32_t)b[i + 1] << 8 | b[i + 2];
        o[k++] = al[v >> 18];
        o[k++] = al[(v >> 12) & 63];
        o[k++] = al[(v >> 6) & 63];
        o[k++] = al[v & 63];
    }
    if (n - i == 1) {
        uint32_t v = (uint32_t)b[i] << 16;
        o[k++] = al[v >> 18];
        o[k++] = al[(v >> 12) & 63];
        if (!url) {
            o[k++] = '=';
            o[k++] = '=';
        }
    } else if (n - i == 2) {
        uint32_t v = (uint32_t)b[i] << 16 | (uint32_t)b[i + 1] << 8;
        o[k++] = al[v >> 18];
        o[k++] = al[(v >> 12) & 63];
        o[k++] = al[(v >> 6) & 63];
        if (!url) o[k++] = '=';
    }
    rp_buf_commit(out, k);
    return RP_OK;
}

const char *rp_sim_util_name(enum rp_sim_util u)
{
    static const char *const names[] = {"normal", "idle",     "idle-few", "lowcpu-busynet",
                                        "hot",    "boundary", "near"};
    return (size_t)u < RP_ARRAY_LEN(names) ? names[u] : "normal";
}

const char *rp_sim_vuln_state_name(enum rp_sim_vuln_state s)
{
    static const char *const names[] = {"affected", "at-fixed", "above-fixed", "below-introduced"};
    return (size_t)s < RP_ARRAY_LEN(names) ? names[s] : "affected";
}
