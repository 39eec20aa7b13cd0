/* SPDX-License-Identifier: Apache-2.0 */
/* Validators for the health (PHI) managed data identifiers of the PERSONAL_INFORMATION
 * category: US National Provider Identifier (Luhn over the 80840 prefix), DEA registration
 * number checksum, Health Insurance Claim Number (SSN rules on its 9 digits), UK NHS number
 * (mod 11) and Ontario health number (Luhn).
 *
 * Each receives the matched text exactly as the identifier's regex matched it (separators
 * included) and skips spaces and dashes itself. Each is exported as one rp_dataid_val_<name>
 * descriptor listed in dataid_validators.def; files under data/dataid/personal/ name them.
 * Pure functions, no allocation. */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "dataid/dataid.h"
#include "core/rp_banned.h"

#define MAXCH 32

/* ASCII letters (upper-cased) and digits of p[0..n) into out; 0 when more than cap. */
static size_t alnum_of(const char *p, size_t n, char *out, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (c >= 'a' && c <= 'z') c = (char)(c - 'a' + 'A');
        if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')) {
            if (k == cap) return 0;
            out[k++] = c;
        }
    }
    return k;
}

static bool all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

static unsigned num(const char *s, size_t n)
{
    unsigned v = 0;
    for (size_t i = 0; i < n; i++) v = v * 10 + (unsigned)(s[i] - '0');
    return v;
}

/* Luhn sum of n digits (the last one is the check digit), plus extra. */
static unsigned luhn_sum(const char *d, size_t n, unsigned extra)
{
    unsigned sum = extra;
    for (size_t i = 0; i < n; i++) {
        unsigned v = (unsigned)(d[n - 1 - i] - '0');
        if (i % 2 == 1) {
            v *= 2;
            if (v > 9) v -= 9;
        }
        sum += v;
    }
    return sum;
}

/* NPI: 10 digits starting with 1 or 2; Luhn over "80840" + the NPI, i.e. the NPI's own
 * Luhn sum plus 24. */
static bool usa_npi(const char *p, size_t n)
{
    char d[MAXCH];
    size_t k = alnum_of(p, n, d, sizeof d);
    if (k != 10 || !all_digits(d, 10) || (d[0] != '1' && d[0] != '2')) return false;
    return luhn_sum(d, 10, 24) % 10 == 0;
}
const struct rp_dataid_validator rp_dataid_val_usa_npi = {
    .name = "usa_npi",
    .summary = "US NPI: 10 digits starting 1 or 2, Luhn over the 80840 prefix",
    .validate = usa_npi,
};

/* DEA registration number: registrant-type letter, second letter (or 9), 7 digits;
 * (d1 + d3 + d5) + 2 * (d2 + d4 + d6) ends with d7. */
static bool usa_dea(const char *p, size_t n)
{
    char s[MAXCH];
    if (alnum_of(p, n, s, sizeof s) != 9) return false;
    if (!strchr("ABCDEFGHJKLMPRSTUX", s[0])) return false;
    if (!((s[1] >= 'A' && s[1] <= 'Z') || s[1] == '9') || !all_digits(s + 2, 7)) return false;
    const char *d = s + 2;
    unsigned sum = (unsigned)(d[0] - '0') + (unsigned)(d[2] - '0') + (unsigned)(d[4] - '0') +
                   2 * ((unsigned)(d[1] - '0') + (unsigned)(d[3] - '0') + (unsigned)(d[5] - '0'));
    return sum % 10 == (unsigned)(d[6] - '0');
}
const struct rp_dataid_validator rp_dataid_val_usa_dea = {
    .name = "usa_dea",
    .summary = "US DEA registration number: registrant letters and the weighted checksum",
    .validate = usa_dea,
};

/* HICN: a 9-digit SSN (area 001-899 except 666, group and serial non-zero) followed by a
 * beneficiary identification code of a letter and an optional letter or digit. */
static bool usa_hicn(const char *p, size_t n)
{
    char s[MAXCH];
    size_t k = alnum_of(p, n, s, sizeof s);
    if (k < 10 || k > 11 || !all_digits(s, 9) || s[9] < 'A' || s[9] > 'Z') return false;
    unsigned area = num(s, 3), group = num(s + 3, 2), serial = num(s + 5, 4);
    return area != 0 && area != 666 && area < 900 && group != 0 && serial != 0;
}
const struct rp_dataid_validator rp_dataid_val_usa_hicn = {
    .name = "usa_hicn",
    .summary = "US HICN: SSN rules on the 9 digits, then a beneficiary code letter",
    .validate = usa_hicn,
};

/* NHS number: 10 digits, weights 10..2 on the first nine, check = 11 - sum mod 11 (11 -> 0,
 * 10 -> never issued). */
static bool uk_nhs(const char *p, size_t n)
{
    char d[MAXCH];
    if (alnum_of(p, n, d, sizeof d) != 10 || !all_digits(d, 10)) return false;
    unsigned sum = 0;
    for (size_t i = 0; i < 9; i++) sum += (unsigned)(d[i] - '0') * (unsigned)(10 - i);
    unsigned c = 11 - sum % 11;
    if (c == 11) c = 0;
    return c != 10 && c == (unsigned)(d[9] - '0');
}
const struct rp_dataid_validator rp_dataid_val_uk_nhs = {
    .name = "uk_nhs",
    .summary = "UK NHS number: 10 digits, mod-11 check digit",
    .validate = uk_nhs,
};

/* Ontario health number (OHIP): 10 digits with a Luhn check digit, then an optional
 * two-letter version code. */
static bool canada_ohip(const char *p, size_t n)
{
    char s[MAXCH];
    size_t k = alnum_of(p, n, s, sizeof s);
    if ((k != 10 && k != 12) || !all_digits(s, 10) || s[0] == '0') return false;
    if (k == 12 && (s[10] < 'A' || s[10] > 'Z' || s[11] < 'A' || s[11] > 'Z')) return false;
    return luhn_sum(s, 10, 0) % 10 == 0;
}
const struct rp_dataid_validator rp_dataid_val_canada_ohip = {
    .name = "canada_ohip",
    .summary = "Ontario health number: 10 digits with a Luhn check, optional version code",
    .validate = canada_ohip,
};
