/* SPDX-License-Identifier: Apache-2.0 */
/* Validators for the PERSONAL_INFORMATION managed data identifiers (PII part): national
 * identity, social security, tax and document numbers whose issuers define a check digit or
 * structural rules (US SSN/ITIN, VIN, Canada SIN, UK NINO and driving licence, France NIR and
 * SPI, Germany Steuer-ID and ID card, Italy codice fiscale, Spain DNI/NIE/NIF/NSS, Brazil
 * CPF/CNPJ, India Aadhaar, Australia TFN, Sweden personnummer).
 *
 * Each receives the matched text exactly as the identifier's regex matched it (separators
 * such as spaces, dashes, dots and slashes included) and skips the separators itself. Each is
 * exported as one rp_dataid_val_<name> descriptor listed in dataid_validators.def; the
 * identifier files under data/dataid/personal/ name them. Pure functions, no allocation. */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "dataid/dataid.h"
#include "core/rp_banned.h"

#define MAXCH 32

/* Copies the ASCII letters and digits of p[0..n) into out (upper-cased), at most cap; returns
 * how many, or 0 when there are more than cap. */
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

/* Digits only (everything else is a separator); 0 when a letter is present or too many. */
static size_t digits_of(const char *p, size_t n, char *out, size_t cap)
{
    size_t k = alnum_of(p, n, out, cap);
    return all_digits(out, k) ? k : 0;
}

static unsigned num(const char *s, size_t n)
{
    unsigned v = 0;
    for (size_t i = 0; i < n; i++) v = v * 10 + (unsigned)(s[i] - '0');
    return v;
}

static bool same_digit(const char *s, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (s[i] != s[0]) return false;
    return true;
}

/* Luhn over n digits (the last one is the check digit). */
static bool luhn_ok(const char *d, size_t n)
{
    unsigned sum = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned v = (unsigned)(d[n - 1 - i] - '0');
        if (i % 2 == 1) {
            v *= 2;
            if (v > 9) v -= 9;
        }
        sum += v;
    }
    return sum % 10 == 0;
}

/* ---- USA ----------------------------------------------------------------------------------- */

/* SSA rules: area 001-899 except 666, group 01-99, serial 0001-9999. */
static bool ssn_digits_ok(const char *d)
{
    unsigned area = num(d, 3), group = num(d + 3, 2), serial = num(d + 5, 4);
    return area != 0 && area != 666 && area < 900 && group != 0 && serial != 0;
}

static bool usa_ssn(const char *p, size_t n)
{
    char d[MAXCH];
    return digits_of(p, n, d, sizeof d) == 9 && ssn_digits_ok(d);
}
const struct rp_dataid_validator rp_dataid_val_usa_ssn = {
    .name = "usa_ssn",
    .summary = "US SSN: area 001-899 except 666, group 01-99, serial 0001-9999",
    .validate = usa_ssn,
};

/* IRS: 9xx-GG-xxxx with GG in 50-65, 70-88, 90-92, 94-99. */
static bool usa_itin(const char *p, size_t n)
{
    char d[MAXCH];
    if (digits_of(p, n, d, sizeof d) != 9 || d[0] != '9') return false;
    unsigned g = num(d + 3, 2);
    return (g >= 50 && g <= 65) || (g >= 70 && g <= 88) || (g >= 90 && g <= 92) || g >= 94;
}
const struct rp_dataid_validator rp_dataid_val_usa_itin = {
    .name = "usa_itin",
    .summary = "US ITIN: 9xx, group 50-65, 70-88, 90-92 or 94-99",
    .validate = usa_itin,
};

/* ISO 3779 / 49 CFR 565: 17 characters without I, O, Q; weighted check digit at position 9
 * (0-9 or X). Mandatory in North America; many European VINs do not carry one. */
static int vin_value(char c)
{
    static const char map[] = "12345678-12345-7-923456789"; /* A..Z, '-' = not allowed */
    if (c >= '0' && c <= '9') return c - '0';
    if (c < 'A' || c > 'Z') return -1;
    char m = map[c - 'A'];
    return m == '-' ? -1 : m - '0';
}

static bool vin(const char *p, size_t n)
{
    static const int w[17] = {8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2};
    if (n != 17) return false;
    int sum = 0;
    for (size_t i = 0; i < 17; i++) {
        char c = p[i];
        if (c >= 'a' && c <= 'z') c = (char)(c - 'a' + 'A');
        int v = vin_value(c);
        if (v < 0) return false;
        sum += v * w[i];
    }
    int r = sum % 11;
    char want = r == 10 ? 'X' : (char)('0' + r);
    char got = p[8] == 'x' ? 'X' : p[8];
    return got == want;
}
const struct rp_dataid_validator rp_dataid_val_vin = {
    .name = "vin",
    .summary = "vehicle identification number: no I/O/Q, check digit at position 9",
    .validate = vin,
};

/* ---- Canada -------------------------------------------------------------------------------- */

/* 9 digits, Luhn; no SIN starts with 0 or 8. */
static bool canada_sin(const char *p, size_t n)
{
    char d[MAXCH];
    return digits_of(p, n, d, sizeof d) == 9 && d[0] != '0' && d[0] != '8' && luhn_ok(d, 9);
}
const struct rp_dataid_validator rp_dataid_val_canada_sin = {
    .name = "canada_sin",
    .summary = "Canada SIN: 9 digits, Luhn, first digit not 0 or 8",
    .validate = canada_sin,
};

/* ---- UK ------------------------------------------------------------------------------------ */

/* NINO: prefix letters (no D F I Q U V, second not O, not BG GB KN NK NT TN ZZ), 6 digits,
 * suffix A-D. */
static bool uk_nino(const char *p, size_t n)
{
    static const char *const bad[] = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"};
    char s[MAXCH];
    if (alnum_of(p, n, s, sizeof s) != 9) return false;
    if (!strchr("ABCEGHJKLMNOPRSTWXYZ", s[0]) || !strchr("ABCEGHJKLMNPRSTWXYZ", s[1])) return false;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (s[0] == bad[i][0] && s[1] == bad[i][1]) return false;
    return all_digits(s + 2, 6) && s[8] >= 'A' && s[8] <= 'D';
}
const struct rp_dataid_validator rp_dataid_val_uk_nino = {
    .name = "uk_nino",
    .summary = "UK national insurance number: allocated prefix letters, 6 digits, suffix A-D",
    .validate = uk_nino,
};

/* DVLA licence number SSSSS D MM DD Y II C KK: month 01-12 (51-62 for women), day 01-31. */
static bool uk_driving_licence(const char *p, size_t n)
{
    char s[MAXCH];
    if (alnum_of(p, n, s, sizeof s) != 16 || !all_digits(s + 5, 6)) return false;
    unsigned m = num(s + 6, 2), d = num(s + 8, 2);
    if (m > 50) m -= 50;
    return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}
const struct rp_dataid_validator rp_dataid_val_uk_driving_licence = {
    .name = "uk_driving_licence",
    .summary = "UK driving licence: month 01-12 or 51-62 and day 01-31 in the birth date field",
    .validate = uk_driving_licence,
};

/* ---- France -------------------------------------------------------------------------------- */

/* NIR (numéro de sécurité sociale / INSEE): sex, year, month, department (2A/2B for
 * Corsica), commune, order, then key = 97 - (number mod 97), Corsica counted as 19/18. */
static bool france_nir(const char *p, size_t n)
{
    char s[MAXCH];
    if (alnum_of(p, n, s, sizeof s) != 15) return false;
    if (!strchr("12378", s[0]) && s[0] != '4') return false;
    unsigned long long v = 0;
    for (size_t i = 0; i < 13; i++) {
        char c = s[i];
        if (i == 6 && s[5] == '2' && (c == 'A' || c == 'B')) {
            v = v / 10 * 10 + 1; /* the '2' already added becomes 1: 2A -> 19, 2B -> 18 */
            v = v * 10 + (c == 'A' ? 9 : 8);
            continue;
        }
        if (c < '0' || c > '9') return false;
        v = v * 10 + (unsigned long long)(c - '0');
    }
    if (!all_digits(s + 13, 2)) return false;
    unsigned month = num(s + 3, 2);
    if (month == 0 || (month > 12 && month < 20) || (month > 42 && month < 50)) return false;
    return 97 - v % 97 == num(s + 13, 2);
}
const struct rp_dataid_validator rp_dataid_val_france_nir = {
    .name = "france_nir",
    .summary = "France NIR/INSEE number: structure and 97-modulus key (2A/2B for Corsica)",
    .validate = france_nir,
};

/* SPI (numéro fiscal): 13 digits, first 0-3, last three = first ten mod 511. */
static bool france_spi(const char *p, size_t n)
{
    char d[MAXCH];
    if (digits_of(p, n, d, sizeof d) != 13 || d[0] > '3') return false;
    unsigned long long v = 0;
    for (size_t i = 0; i < 10; i++) v = v * 10 + (unsigned long long)(d[i] - '0');
    return v % 511 == num(d + 10, 3);
}
const struct rp_dataid_validator rp_dataid_val_france_spi = {
    .name = "france_spi",
    .summary = "France tax number (SPI): 13 digits, first 0-3, key = first ten mod 511",
    .validate = france_spi,
};

/* ---- Germany ------------------------------------------------------------------------------- */

/* Steuerliche Identifikationsnummer: 11 digits, first not 0; in the first ten exactly one
 * digit occurs twice or three times (three not all adjacent), every other digit at most
 * once; check digit by ISO 7064 MOD 11,10. */
static bool germany_tin(const char *p, size_t n)
{
    char d[MAXCH];
    if (digits_of(p, n, d, sizeof d) != 11 || d[0] == '0') return false;
    unsigned cnt[10] = {0};
    for (size_t i = 0; i < 10; i++) cnt[d[i] - '0']++;
    int rep = -1;
    for (int k = 0; k < 10; k++) {
        if (cnt[k] <= 1) continue;
        if (rep >= 0 || cnt[k] > 3) return false;
        rep = k;
    }
    if (rep < 0) return false;
    if (cnt[rep] == 3)
        for (size_t i = 0; i + 2 < 10; i++)
            if (d[i] - '0' == rep && d[i + 1] == d[i] && d[i + 2] == d[i]) return false;
    unsigned product = 10;
    for (size_t i = 0; i < 10; i++) {
        unsigned sum = ((unsigned)(d[i] - '0') + product) % 10;
        if (sum == 0) sum = 10;
        product = (sum * 2) % 11;
    }
    unsigned check = 11 - product;
    if (check == 10) check = 0;
    return check == (unsigned)(d[10] - '0');
}
const struct rp_dataid_validator rp_dataid_val_germany_tin = {
    .name = "germany_tin",
    .summary = "Germany tax id (Steuer-ID): digit repetition rule, ISO 7064 MOD 11,10 check",
    .validate = germany_tin,
};

/* ICAO 9303 check digit (weights 7, 3, 1; A=10 .. Z=35) of s[0..n). */
static int icao_check(const char *s, size_t n)
{
    static const int w[3] = {7, 3, 1};
    int sum = 0;
    for (size_t i = 0; i < n; i++) {
        int v = s[i] >= 'A' ? s[i] - 'A' + 10 : s[i] - '0';
        sum += v * w[i % 3];
    }
    return sum % 10;
}

/* Personalausweis / Reisepass document number: 9 characters from the Bundesdruckerei
 * alphabet, then (ID card; optional on passports) the ICAO check digit. */
static bool germany_document(const char *p, size_t n, bool check_required)
{
    char s[MAXCH];
    size_t k = alnum_of(p, n, s, sizeof s);
    if (k != 9 && k != 10) return false;
    for (size_t i = 0; i < 9; i++)
        if (!strchr("0123456789CFGHJKLMNPRTVWXYZ", s[i])) return false;
    if (k == 9) return !check_required;
    return s[9] >= '0' && s[9] <= '9' && icao_check(s, 9) == s[9] - '0';
}

static bool germany_id(const char *p, size_t n)
{
    return germany_document(p, n, true);
}
const struct rp_dataid_validator rp_dataid_val_germany_id = {
    .name = "germany_id",
    .summary = "Germany ID card number: 9 characters of the card alphabet and ICAO check digit",
    .validate = germany_id,
};

static bool germany_passport(const char *p, size_t n)
{
    return germany_document(p, n, false);
}
const struct rp_dataid_validator rp_dataid_val_germany_passport = {
    .name = "germany_passport",
    .summary = "Germany passport number: card alphabet, ICAO check digit when present",
    .validate = germany_passport,
};

/* ---- Italy --------------------------------------------------------------------------------- */

/* Codice fiscale: check letter from the odd/even position tables (omocodia letters stand
 * for digits and use the same values as their digits' letter positions). */
static bool italy_cf(const char *p, size_t n)
{
    /* odd-position values of 0-9 then A-Z */
    static const unsigned char odd[36] = {1,  0, 5, 7,  9,  13, 15, 17, 19, 21, 1,  0,
                                          5,  7, 9, 13, 15, 17, 19, 21, 2,  4,  18, 20,
                                          11, 3, 6, 8,  12, 14, 16, 10, 22, 25, 24, 23};
    char s[MAXCH];
    if (alnum_of(p, n, s, sizeof s) != 16) return false;
    unsigned sum = 0;
    for (size_t i = 0; i < 15; i++) {
        char c = s[i];
        int idx = c <= '9' ? c - '0' : c - 'A' + 10;
        if (i % 2 == 0)
            sum += odd[idx];
        else
            sum += (unsigned)(c <= '9' ? c - '0' : c - 'A');
    }
    return s[15] == (char)('A' + sum % 26);
}
const struct rp_dataid_validator rp_dataid_val_italy_cf = {
    .name = "italy_cf",
    .summary = "Italy codice fiscale: check letter over the first 15 characters",
    .validate = italy_cf,
};

/* ---- Spain --------------------------------------------------------------------------------- */

static char dni_letter(unsigned long v)
{
    return "TRWAGMYFPDXBNJZSQVHLCKE"[v % 23];
}

static bool dni_ok(const char *s, size_t k)
{
    return k == 9 && all_digits(s, 8) && s[8] == dni_letter(num(s, 8));
}

static bool nie_ok(const char *s, size_t k)
{
    if (k != 9 || !strchr("XYZ", s[0]) || !all_digits(s + 1, 7)) return false;
    unsigned long v = (unsigned long)(s[0] - 'X') * 10000000UL + num(s + 1, 7);
    return s[8] == dni_letter(v);
}

static bool spain_dni(const char *p, size_t n)
{
    char s[MAXCH];
    return dni_ok(s, alnum_of(p, n, s, sizeof s));
}
const struct rp_dataid_validator rp_dataid_val_spain_dni = {
    .name = "spain_dni",
    .summary = "Spain DNI: 8 digits and the mod-23 check letter",
    .validate = spain_dni,
};

static bool spain_nie(const char *p, size_t n)
{
    char s[MAXCH];
    return nie_ok(s, alnum_of(p, n, s, sizeof s));
}
const struct rp_dataid_validator rp_dataid_val_spain_nie = {
    .name = "spain_nie",
    .summary = "Spain NIE: X/Y/Z, 7 digits and the mod-23 check letter",
    .validate = spain_nie,
};

/* CIF-style NIF of legal entities: letter, 7 digits, control digit or letter. */
static bool cif_ok(const char *s)
{
    if (!strchr("ABCDEFGHJNPQRSUVW", s[0]) || !all_digits(s + 1, 7)) return false;
    unsigned sum = 0;
    for (size_t i = 0; i < 7; i++) {
        unsigned v = (unsigned)(s[1 + i] - '0');
        if (i % 2 == 0) {
            v *= 2;
            v = v / 10 + v % 10;
        }
        sum += v;
    }
    unsigned c = (10 - sum % 10) % 10;
    char as_digit = (char)('0' + c), as_letter = "JABCDEFGHI"[c];
    if (strchr("PQRSNW", s[0])) return s[8] == as_letter;
    if (strchr("ABEH", s[0])) return s[8] == as_digit;
    return s[8] == as_digit || s[8] == as_letter;
}

/* NIF: a DNI, a NIE, a K/L/M personal NIF (7 digits and the DNI letter) or an entity CIF. */
static bool spain_nif(const char *p, size_t n)
{
    char s[MAXCH];
    size_t k = alnum_of(p, n, s, sizeof s);
    if (k != 9) return false;
    if (dni_ok(s, k) || nie_ok(s, k)) return true;
    if (strchr("KLM", s[0]) && all_digits(s + 1, 7)) return s[8] == dni_letter(num(s + 1, 7));
    return cif_ok(s);
}
const struct rp_dataid_validator rp_dataid_val_spain_nif = {
    .name = "spain_nif",
    .summary = "Spain NIF: DNI, NIE, K/L/M or entity CIF with its control character",
    .validate = spain_nif,
};

/* Número de la Seguridad Social: province (2), number (8), control (2) = mod 97 of the
 * province and number (the number without its leading zeros when below 10^7). */
static bool spain_nss(const char *p, size_t n)
{
    char d[MAXCH];
    if (digits_of(p, n, d, sizeof d) != 12) return false;
    unsigned long long prov = num(d, 2), body = num(d + 2, 8);
    unsigned long long v =
        body < 10000000ULL ? body + prov * 10000000ULL : prov * 100000000ULL + body;
    return v % 97 == num(d + 10, 2);
}
const struct rp_dataid_validator rp_dataid_val_spain_nss = {
    .name = "spain_nss",
    .summary = "Spain social security number: 12 digits, mod-97 control",
    .validate = spain_nss,
};

/* ---- Brazil -------------------------------------------------------------------------------- */

static bool brazil_cpf(const char *p, size_t n)
{
    char d[MAXCH];
    if (digits_of(p, n, d, sizeof d) != 11 || same_digit(d, 11)) return false;
    for (size_t len = 9; len <= 10; len++) {
        unsigned sum = 0;
        for (size_t i = 0; i < len; i++) sum += (unsigned)(d[i] - '0') * (unsigned)(len + 1 - i);
        unsigned r = sum * 10 % 11;
        if (r == 10) r = 0;
        if (r != (unsigned)(d[len] - '0')) return false;
    }
    return true;
}
const struct rp_dataid_validator rp_dataid_val_brazil_cpf = {
    .name = "brazil_cpf",
    .summary = "Brazil CPF: 11 digits, two mod-11 check digits, not all equal",
    .validate = brazil_cpf,
};

static bool brazil_cnpj(const char *p, size_t n)
{
    static const unsigned w[13] = {6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2};
    char d[MAXCH];
    if (digits_of(p, n, d, sizeof d) != 14 || same_digit(d, 14)) return false;
    for (size_t len = 12; len <= 13; len++) {
        const unsigned *wt = w + (13 - len);
        unsigned sum = 0;
        for (size_t i = 0; i < len; i++) sum += (unsigned)(d[i] - '0') * wt[i];
        unsigned r = sum % 11;
        unsigned dv = r < 2 ? 0 : 11 - r;
        if (dv != (unsigned)(d[len] - '0')) return false;
    }
    return true;
}
const struct rp_dataid_validator rp_dataid_val_brazil_cnpj = {
    .name = "brazil_cnpj",
    .summary = "Brazil CNPJ: 14 digits, two mod-11 check digits, not all equal",
    .validate = brazil_cnpj,
};

/* ---- India --------------------------------------------------------------------------------- */

/* Aadhaar: 12 digits, first 2-9, Verhoeff check digit. */
static bool india_aadhaar(const char *p, size_t n)
{
    static const unsigned char dt[10][10] = {
        {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 2, 3, 4, 0, 6, 7, 8, 9, 5},
        {2, 3, 4, 0, 1, 7, 8, 9, 5, 6}, {3, 4, 0, 1, 2, 8, 9, 5, 6, 7},
        {4, 0, 1, 2, 3, 9, 5, 6, 7, 8}, {5, 9, 8, 7, 6, 0, 4, 3, 2, 1},
        {6, 5, 9, 8, 7, 1, 0, 4, 3, 2}, {7, 6, 5, 9, 8, 2, 1, 0, 4, 3},
        {8, 7, 6, 5, 9, 3, 2, 1, 0, 4}, {9, 8, 7, 6, 5, 4, 3, 2, 1, 0}};
    static const unsigned char pt[8][10] = {
        {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 5, 7, 6, 2, 8, 3, 0, 9, 4},
        {5, 8, 0, 3, 7, 9, 6, 1, 4, 2}, {8, 9, 1, 6, 0, 4, 3, 5, 2, 7},
        {9, 4, 5, 3, 1, 2, 6, 8, 7, 0}, {4, 2, 8, 6, 5, 7, 3, 9, 0, 1},
        {2, 7, 9, 3, 8, 0, 6, 4, 1, 5}, {7, 0, 4, 6, 9, 1, 3, 2, 5, 8}};
    char d[MAXCH];
    if (digits_of(p, n, d, sizeof d) != 12 || d[0] < '2') return false;
    unsigned c = 0;
    for (size_t i = 0; i < 12; i++) c = dt[c][pt[i % 8][d[11 - i] - '0']];
    return c == 0;
}
const struct rp_dataid_validator rp_dataid_val_india_aadhaar = {
    .name = "india_aadhaar",
    .summary = "India Aadhaar: 12 digits, first 2-9, Verhoeff check digit",
    .validate = india_aadhaar,
};

/* ---- Sweden -------------------------------------------------------------------------------- */

/* Personnummer (also the driving licence number): [CC]YYMMDD[-+]NNNC, month 01-12, day 01-31
 * (61-91 for coordination numbers), Luhn over the ten digits YYMMDDNNNC. */
static bool sweden_pin(const char *p, size_t n)
{
    char d[MAXCH];
    size_t k = digits_of(p, n, d, sizeof d);
    if (k != 10 && k != 12) return false;
    const char *t = d + (k - 10);
    unsigned m = num(t + 2, 2), day = num(t + 4, 2);
    if (day > 60) day -= 60;
    return m >= 1 && m <= 12 && day >= 1 && day <= 31 && luhn_ok(t, 10);
}
const struct rp_dataid_validator rp_dataid_val_sweden_pin = {
    .name = "sweden_pin",
    .summary = "Sweden personnummer: valid month and day, Luhn over YYMMDDNNNC",
    .validate = sweden_pin,
};

/* ---- Australia ----------------------------------------------------------------------------- */

/* Tax file number: 9 digits, weights 1 4 3 7 5 8 6 9 10, sum divisible by 11. */
static bool australia_tfn(const char *p, size_t n)
{
    static const unsigned w[9] = {1, 4, 3, 7, 5, 8, 6, 9, 10};
    char d[MAXCH];
    if (digits_of(p, n, d, sizeof d) != 9) return false;
    unsigned sum = 0;
    for (size_t i = 0; i < 9; i++) sum += (unsigned)(d[i] - '0') * w[i];
    return sum % 11 == 0;
}
const struct rp_dataid_validator rp_dataid_val_australia_tfn = {
    .name = "australia_tfn",
    .summary = "Australia TFN: 9 digits, weighted sum divisible by 11",
    .validate = australia_tfn,
};
