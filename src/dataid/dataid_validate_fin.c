/* SPDX-License-Identifier: Apache-2.0 */
/* Validators of the financial managed data identifiers (the files under data/dataid/financial),
 * registered in dataid_validators.def (dataid.h has the contract: the matched text exactly,
 * separators included, true keeps the match).
 *
 * credit_card (brand IIN range and length, consistent grouping, Luhn), card_track
 * (magnetic stripe track 1 / track 2: the PAN by credit_card's rules, the expiry month),
 * iban_mod97 (ISO 13616: the country's length from the IBAN registry, BBAN characters,
 * groups of four, ISO 7064 mod 97-10), and national account numbers: france_rib (RIB key),
 * italy_bban (CIN check letter), spain_ccc (the two control digits), germany_bban (bank code
 * shape), uk_bank_account (sort code and account), us_ca_bank_account (US/Canadian layouts).
 * The IBAN length table is written from the SWIFT IBAN registry's country list. */
#include <string.h>

#include "dataid/dataid.h"

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_upper(char c)
{
    return c >= 'A' && c <= 'Z';
}

/* Collect the digits of p[0..n) into d (at most cap); false when a byte other than a digit,
 * a space or a dash appears or there are more than cap digits. */
static bool digits_of(const char *p, size_t n, char *d, size_t cap, size_t *nd)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (is_digit(p[i])) {
            if (k == cap) return false;
            d[k++] = p[i];
        } else if (p[i] != ' ' && p[i] != '-') {
            return false;
        }
    }
    *nd = k;
    return true;
}

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

/* ---- credit_card --------------------------------------------------------------------------- */

static unsigned prefix_num(const char *d, size_t k)
{
    unsigned v = 0;
    for (size_t i = 0; i < k; i++) v = v * 10 + (unsigned)(d[i] - '0');
    return v;
}

/* Major brands' IIN ranges and lengths (Visa, Mastercard, Mir, American Express, Diners
 * Club, JCB, Discover, UnionPay, Maestro), as the card networks publish them. */
static bool brand_ok(const char *d, size_t n)
{
    unsigned p1 = prefix_num(d, 1), p2 = prefix_num(d, 2), p3 = prefix_num(d, 3);
    unsigned p4 = prefix_num(d, 4), p6 = prefix_num(d, 6);
    if (p1 == 4) /* Visa */
        return n == 13 || n == 16 || n == 19;
    if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) /* Mastercard */
        return n == 16;
    if (p4 >= 2200 && p4 <= 2204) /* Mir */
        return n >= 16 && n <= 19;
    if (p2 == 34 || p2 == 37) /* American Express */
        return n == 15;
    if ((p3 >= 300 && p3 <= 305) || p2 == 36 || p2 == 38 || p2 == 39) /* Diners Club */
        return n >= 14 && n <= 19;
    if (p4 >= 3528 && p4 <= 3589) /* JCB */
        return n >= 16 && n <= 19;
    if (p4 == 6011 || (p3 >= 644 && p3 <= 649) || p2 == 65 ||
        (p6 >= 622126 && p6 <= 622925)) /* Discover */
        return n >= 16 && n <= 19;
    if (p2 == 62 || p2 == 81) /* UnionPay */
        return n >= 16 && n <= 19;
    if (p2 == 50 || (p2 >= 56 && p2 <= 58) || p2 == 63 || p2 == 67 || p2 == 69) /* Maestro */
        return n >= 12 && n <= 19;
    return false;
}

/* Grouping: no separator at all, or one separator character used throughout, between groups
 * of 4-4-4-4(-3) digits or 4-6-4/4-6-5 (Diners, American Express). */
static bool grouping_ok(const char *p, size_t n)
{
    size_t groups[8];
    size_t ng = 0, len = 0;
    char sep = 0;
    for (size_t i = 0; i < n; i++) {
        if (is_digit(p[i])) {
            len++;
            continue;
        }
        if (sep && p[i] != sep) return false;
        sep = p[i];
        if (len == 0 || ng == 7) return false;
        groups[ng++] = len;
        len = 0;
    }
    if (len == 0) return false;
    groups[ng++] = len;
    if (ng == 1) return true;
    if (ng == 3) return groups[0] == 4 && groups[1] == 6 && (groups[2] == 4 || groups[2] == 5);
    if (ng == 4 || ng == 5) {
        for (size_t i = 0; i < 4; i++)
            if (groups[i] != 4) return false;
        return ng == 4 || groups[4] == 3;
    }
    return false;
}

static bool card_pan_ok(const char *p, size_t n)
{
    char d[32];
    size_t nd = 0;
    if (!digits_of(p, n, d, sizeof d, &nd) || nd < 12 || nd > 19) return false;
    return grouping_ok(p, n) && brand_ok(d, nd) && luhn_ok(d, nd);
}

const struct rp_dataid_validator rp_dataid_val_credit_card = {
    .name = "credit_card",
    .summary = "card brand IIN range and length, one separator in 4-4-4-4 or 4-6-5 groups, Luhn",
    .validate = card_pan_ok,
};

/* ---- card_track ---------------------------------------------------------------------------- */

/* Track 1 "%B<PAN>^<NAME>^<YYMM><service code>..." or track 2 ";<PAN>=<YYMM><service>...":
 * the PAN passes credit_card and the expiry month is 01-12. */
static bool val_card_track(const char *p, size_t n)
{
    size_t i = 0;
    char end = 0;
    if (n >= 2 && p[0] == '%' && p[1] == 'B') {
        i = 2;
        end = '^';
    } else if (n >= 1 && p[0] == ';') {
        i = 1;
        end = '=';
    } else {
        return false;
    }
    size_t pan = i;
    while (i < n && is_digit(p[i])) i++;
    if (i == n || p[i] != end || !card_pan_ok(p + pan, i - pan)) return false;
    i++;
    if (end == '^') { /* the name field, then '^' */
        while (i < n && p[i] != '^') i++;
        if (i == n) return false;
        i++;
    }
    if (n - i < 7) /* YYMM and the three-digit service code */
        return false;
    for (size_t k = 0; k < 7; k++)
        if (!is_digit(p[i + k])) return false;
    unsigned mm = prefix_num(p + i + 2, 2);
    return mm >= 1 && mm <= 12;
}

const struct rp_dataid_validator rp_dataid_val_card_track = {
    .name = "card_track",
    .summary = "magnetic stripe track 1/2: PAN passes credit_card, expiry month 01-12",
    .validate = val_card_track,
};

/* ---- iban_mod97 ---------------------------------------------------------------------------- */

struct iban_country {
    char cc[3];
    unsigned char len;
};

/* Country code -> total IBAN length, every country of the SWIFT IBAN registry (sorted). */
static const struct iban_country iban_countries[] = {
    {"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20}, {"BE", 16}, {"BG", 22},
    {"BH", 22}, {"BI", 27}, {"BR", 29}, {"BY", 28}, {"CH", 21}, {"CR", 22}, {"CY", 28}, {"CZ", 24},
    {"DE", 22}, {"DJ", 27}, {"DK", 18}, {"DO", 28}, {"EE", 20}, {"EG", 29}, {"ES", 24}, {"FI", 18},
    {"FK", 18}, {"FO", 18}, {"FR", 27}, {"GB", 22}, {"GE", 22}, {"GI", 23}, {"GL", 18}, {"GR", 27},
    {"GT", 28}, {"HN", 28}, {"HR", 21}, {"HU", 28}, {"IE", 22}, {"IL", 23}, {"IQ", 23}, {"IS", 26},
    {"IT", 27}, {"JO", 30}, {"KW", 30}, {"KZ", 20}, {"LB", 28}, {"LC", 32}, {"LI", 21}, {"LT", 20},
    {"LU", 20}, {"LV", 21}, {"LY", 25}, {"MC", 27}, {"MD", 24}, {"ME", 22}, {"MK", 19}, {"MN", 20},
    {"MR", 27}, {"MT", 31}, {"MU", 30}, {"NI", 28}, {"NL", 18}, {"NO", 15}, {"OM", 23}, {"PK", 24},
    {"PL", 28}, {"PS", 29}, {"QA", 29}, {"RO", 24}, {"RS", 22}, {"RU", 33}, {"SA", 24}, {"SC", 31},
    {"SD", 18}, {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27}, {"SO", 23}, {"ST", 25}, {"SV", 28},
    {"TL", 23}, {"TN", 24}, {"TR", 26}, {"UA", 29}, {"VA", 22}, {"VG", 24}, {"XK", 20}, {"YE", 30},
};

static unsigned iban_length(const char *cc)
{
    for (size_t i = 0; i < sizeof iban_countries / sizeof iban_countries[0]; i++)
        if (iban_countries[i].cc[0] == cc[0] && iban_countries[i].cc[1] == cc[1])
            return iban_countries[i].len;
    return 0;
}

/* ISO 7064 mod 97-10 over s (upper-case letters and digits), letters as 10..35. */
static unsigned mod97(const char *s, size_t n, unsigned r)
{
    for (size_t i = 0; i < n; i++) {
        if (is_digit(s[i]))
            r = (r * 10 + (unsigned)(s[i] - '0')) % 97;
        else
            r = (r * 100 + (unsigned)(s[i] - 'A' + 10)) % 97;
    }
    return r;
}

static bool val_iban(const char *p, size_t n)
{
    char s[40];
    size_t k = 0;
    bool spaced = n > 4 && p[4] == ' ';
    for (size_t i = 0; i < n; i++) {
        if (p[i] == ' ') {
            /* spaces only between groups of four: after 4, 8, 12... characters */
            if (!spaced || k == 0 || k % 4 != 0 || (i > 0 && p[i - 1] == ' ')) return false;
            continue;
        }
        if (spaced && k > 0 && k % 4 == 0 && p[i - 1] != ' ') return false;
        if (!is_digit(p[i]) && !is_upper(p[i])) return false;
        if (k == sizeof s) return false;
        s[k++] = p[i];
    }
    if (k < 15 || !is_upper(s[0]) || !is_upper(s[1]) || !is_digit(s[2]) || !is_digit(s[3]))
        return false;
    if (iban_length(s) != k) return false;
    /* BBAN first, then country and check digits */
    unsigned r = mod97(s + 4, k - 4, 0);
    r = mod97(s, 4, r);
    return r == 1;
}

const struct rp_dataid_validator rp_dataid_val_iban_mod97 = {
    .name = "iban_mod97",
    .summary = "IBAN: registry length for the country, groups of four, ISO 7064 mod 97-10",
    .validate = val_iban,
};

/* ---- national bank account numbers --------------------------------------------------------- */

/* Copy the bytes of p[0..n) that are not spaces, dashes or dots into s (at most cap). */
static bool compact(const char *p, size_t n, char *s, size_t cap, size_t *ns)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == ' ' || p[i] == '-' || p[i] == '.') continue;
        if (k == cap) return false;
        s[k++] = p[i];
    }
    *ns = k;
    return true;
}

static bool all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_digit(s[i])) return false;
    return true;
}

/* France RIB: bank (5 digits), branch (5), account (11, letters allowed), key (2):
 * key = 97 - ((89 * bank + 15 * branch + 3 * account) mod 97), letters of the account
 * counted as A,J=1 B,K,S=2 C,L,T=3 ... I,R,Z=9. */
static bool val_fr_rib(const char *p, size_t n)
{
    char s[32];
    size_t k = 0;
    if (!compact(p, n, s, sizeof s, &k) || k != 23) return false;
    if (!all_digits(s, 10) || !all_digits(s + 21, 2)) return false;
    unsigned long long acct = 0;
    for (size_t i = 10; i < 21; i++) {
        unsigned v;
        if (is_digit(s[i]))
            v = (unsigned)(s[i] - '0');
        else if (is_upper(s[i]))
            v = (unsigned)((s[i] - 'A') % 9 + 1) + (s[i] >= 'S' ? 1u : 0u);
        else
            return false;
        if (v > 9) v = 9;
        acct = acct * 10 + v;
    }
    unsigned long long bank = prefix_num(s, 5), branch = prefix_num(s + 5, 5);
    unsigned key = (unsigned)(97 - ((89 * bank + 15 * branch + 3 * (acct % 97)) % 97));
    return key == prefix_num(s + 21, 2);
}

const struct rp_dataid_validator rp_dataid_val_france_rib = {
    .name = "france_rib",
    .summary = "France RIB: 5+5+11+2 characters, RIB key mod 97",
    .validate = val_fr_rib,
};

/* Italy BBAN: CIN letter, ABI (5 digits), CAB (5 digits), account (12 characters). The CIN is
 * the check character over the other 22: odd positions through the odd table, even positions
 * as their value (digits 0-9, letters 0-25), sum mod 26 as a letter. */
static bool val_it_bban(const char *p, size_t n)
{
    static const unsigned char odd[26] = {1,  0,  5, 7, 9, 13, 15, 17, 19, 21, 2,  4,  18,
                                          20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23};
    char s[32];
    size_t k = 0;
    if (!compact(p, n, s, sizeof s, &k) || k != 23 || !is_upper(s[0])) return false;
    if (!all_digits(s + 1, 10)) return false;
    unsigned sum = 0;
    for (size_t i = 1; i < 23; i++) {
        unsigned v;
        if (is_digit(s[i]))
            v = (unsigned)(s[i] - '0');
        else if (is_upper(s[i]))
            v = (unsigned)(s[i] - 'A');
        else
            return false;
        sum += (i % 2 == 1) ? odd[v] : v; /* i = 1 is the first position (odd) */
    }
    return s[0] == (char)('A' + sum % 26);
}

const struct rp_dataid_validator rp_dataid_val_italy_bban = {
    .name = "italy_bban",
    .summary = "Italy BBAN: CIN check letter over ABI, CAB and account",
    .validate = val_it_bban,
};

/* One Spanish control digit: weights 1,2,4,8,5,10,9,7,3,6 over 10 digits, 11 - sum mod 11,
 * 11 -> 0, 10 -> 1. */
static unsigned es_dc(const char *d)
{
    static const unsigned w[10] = {1, 2, 4, 8, 5, 10, 9, 7, 3, 6};
    unsigned sum = 0;
    for (size_t i = 0; i < 10; i++) sum += w[i] * (unsigned)(d[i] - '0');
    unsigned c = 11 - sum % 11;
    return c == 11 ? 0 : c == 10 ? 1 : c;
}

/* Spain CCC: entity (4), office (4), control digits (2), account (10). The first control
 * digit covers "00" + entity + office, the second the account. */
static bool val_es_ccc(const char *p, size_t n)
{
    char s[32];
    size_t k = 0;
    if (!compact(p, n, s, sizeof s, &k) || k != 20 || !all_digits(s, 20)) return false;
    char first[10] = {'0', '0'};
    memcpy(first + 2, s, 8);
    return es_dc(first) == (unsigned)(s[8] - '0') && es_dc(s + 10) == (unsigned)(s[9] - '0');
}

const struct rp_dataid_validator rp_dataid_val_spain_ccc = {
    .name = "spain_ccc",
    .summary = "Spain CCC: both control digits (weights 1,2,4,8,5,10,9,7,3,6 mod 11)",
    .validate = val_es_ccc,
};

/* Germany BBAN: Bankleitzahl (8 digits, first one 1-8: the clearing area; 9 and 0 are not
 * used) and a 10-digit account number. Account check digits are bank-specific (over a
 * hundred methods) and not checked. */
static bool val_de_bban(const char *p, size_t n)
{
    char s[32];
    size_t k = 0;
    if (!compact(p, n, s, sizeof s, &k) || k != 18 || !all_digits(s, 18)) return false;
    if (s[0] < '1' || s[0] > '8') return false;
    for (size_t i = 8; i < 18; i++) /* account not all zero */
        if (s[i] != '0') return true;
    return false;
}

const struct rp_dataid_validator rp_dataid_val_germany_bban = {
    .name = "germany_bban",
    .summary = "Germany BBAN: bank code in clearing areas 1-8, non-zero 10-digit account",
    .validate = val_de_bban,
};

/* UK: sort code (6 digits, written nn-nn-nn or nnnnnn), then anything but digits ("account
 * number:"), then an 8-digit account number. The sort code's dashes are both present or both
 * absent; a zero sort code or account is not a real one. (Modulus checking needs the
 * clearing house's tables and is not done.) */
static bool val_uk_account(const char *p, size_t n)
{
    size_t i = 0;
    char sc[6];
    size_t ns = 0, dashes = 0;
    for (; i < n && ns < 6; i++) {
        if (is_digit(p[i]))
            sc[ns++] = p[i];
        else if (p[i] == '-' && (ns == 2 || ns == 4))
            dashes++;
        else
            return false;
    }
    if (ns != 6 || (dashes != 0 && dashes != 2)) return false;
    size_t gap = i;
    while (i < n && !is_digit(p[i])) i++;
    if (i == gap || n - i != 8 || !all_digits(p + i, 8)) return false;
    return prefix_num(sc, 6) != 0 && prefix_num(p + i, 8) != 0;
}

const struct rp_dataid_validator rp_dataid_val_uk_bank_account = {
    .name = "uk_bank_account",
    .summary = "UK sort code (nn-nn-nn or nnnnnn), a gap, 8-digit account; neither all zero",
    .validate = val_uk_account,
};

/* US (8-17 digits) or Canada (transit 5, institution 3, account 7-12, written with dashes,
 * spaces or dots between the parts): digits only or that layout, not all one digit. */
static bool val_ca_us_account(const char *p, size_t n)
{
    char s[40];
    size_t k = 0;
    if (!compact(p, n, s, sizeof s, &k) || !all_digits(s, k)) return false;
    if (k == n) { /* no separators: US layout */
        if (k < 8 || k > 17) return false;
    } else { /* Canada layout: 5 sep 3 sep 7..12 */
        if (n < 17 || !all_digits(p, 5) || !all_digits(p + 6, 3) || p[5] != p[9] ||
            !strchr("-. ", p[5]))
            return false;
        if (k < 15 || k > 20) return false;
    }
    for (size_t i = 1; i < k; i++)
        if (s[i] != s[0]) return true;
    return false;
}

const struct rp_dataid_validator rp_dataid_val_us_ca_bank_account = {
    .name = "us_ca_bank_account",
    .summary = "US (8-17 digits) or Canada (transit-institution-account) layout, not one digit",
    .validate = val_ca_us_account,
};
