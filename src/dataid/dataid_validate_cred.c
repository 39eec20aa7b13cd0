/* SPDX-License-Identifier: Apache-2.0 */
/* Validators of the credential managed data identifiers (files under data/dataid/credentials),
 * registered in dataid_validators.def (dataid.h has the contract: the matched text exactly,
 * true keeps the match). Structure checks that a regular expression cannot make:
 *
 * aws_access_key_id (the prefixes of AWS credential key ids), aws_secret_key (40 base64
 * characters that look random: upper and lower case and a digit, not a repeated pattern),
 * basic_auth (the "Basic" credentials decode to printable "user:password"), jwt (the header
 * segment is base64url of a JSON object naming "alg", the payload of a JSON object) and
 * pem_private_key (the label is a private key's and the body starts like DER: a SEQUENCE
 * with a well-formed length, or a legacy "Proc-Type: 4,ENCRYPTED" header). */
#include <string.h>

#include "dataid/dataid.h"

static bool is_upper(char c)
{
    return c >= 'A' && c <= 'Z';
}

static bool is_lower(char c)
{
    return c >= 'a' && c <= 'z';
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Value of a base64 character (standard alphabet, or URL-safe when url), or -1. */
static int b64_value(char c, bool url)
{
    if (is_upper(c)) return c - 'A';
    if (is_lower(c)) return c - 'a' + 26;
    if (is_digit(c)) return c - '0' + 52;
    if (c == (url ? '-' : '+')) return 62;
    if (c == (url ? '_' : '/')) return 63;
    return -1;
}

/* Decode p[0..n) (padding '=' allowed only at the end) into out (at most cap bytes); false on
 * a bad character, a length that cannot come from encoding, or overflow. */
static bool b64_decode(const char *p, size_t n, bool url, unsigned char *out, size_t cap,
                       size_t *outn)
{
    while (n > 0 && p[n - 1] == '=') n--;
    if (n % 4 == 1) return false;
    size_t k = 0;
    unsigned acc = 0, bits = 0;
    for (size_t i = 0; i < n; i++) {
        int v = b64_value(p[i], url);
        if (v < 0) return false;
        acc = (acc << 6) | (unsigned)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (k == cap) return false;
            out[k++] = (unsigned char)(acc >> bits);
            acc &= (1u << bits) - 1;
        }
    }
    *outn = k;
    return true;
}

/* ---- aws_access_key_id --------------------------------------------------------------------- */

/* AKIA: IAM user and root access keys; ASIA: temporary (STS) keys; ABIA: STS service bearer
 * tokens; ACCA: context-specific credentials. Then 16 upper-case letters or digits. */
static bool val_aws_key_id(const char *p, size_t n)
{
    static const char prefixes[][5] = {"AKIA", "ASIA", "ABIA", "ACCA"};
    if (n != 20) return false;
    bool known = false;
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
        if (memcmp(p, prefixes[i], 4) == 0) known = true;
    if (!known) return false;
    for (size_t i = 4; i < 20; i++)
        if (!is_upper(p[i]) && !is_digit(p[i])) return false;
    return true;
}

const struct rp_dataid_validator rp_dataid_val_aws_access_key_id = {
    .name = "aws_access_key_id",
    .summary = "AWS access key id: AKIA/ASIA/ABIA/ACCA and 16 upper-case letters or digits",
    .validate = val_aws_key_id,
};

/* ---- aws_secret_key ------------------------------------------------------------------------ */

static bool val_aws_secret(const char *p, size_t n)
{
    if (n != 40) return false;
    bool up = false, low = false, dig = false;
    unsigned char seen[128] = {0};
    unsigned distinct = 0;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (b64_value(c, false) < 0) return false;
        up |= is_upper(c);
        low |= is_lower(c);
        dig |= is_digit(c);
        if (!seen[(unsigned char)c]) {
            seen[(unsigned char)c] = 1;
            distinct++;
        }
    }
    return up && low && dig && distinct >= 12;
}

const struct rp_dataid_validator rp_dataid_val_aws_secret_key = {
    .name = "aws_secret_key",
    .summary = "40 base64 characters with upper and lower case, a digit, 12+ distinct",
    .validate = val_aws_secret,
};

/* ---- basic_auth ---------------------------------------------------------------------------- */

/* "Authorization: Basic <base64>" (any case, spaces or tabs): the credentials decode to at
 * least three printable bytes (UTF-8 allowed) with a ':' between user and password. */
static bool val_basic_auth(const char *p, size_t n)
{
    size_t i = n;
    while (i > 0 && p[i - 1] != ' ' && p[i - 1] != '\t') i--;
    if (i == 0 || i == n) return false;
    unsigned char d[768]; /* 684 base64 characters at most (the regex) */
    size_t nd = 0;
    if (!b64_decode(p + i, n - i, false, d, sizeof d, &nd) || nd < 3) return false;
    bool colon = false;
    for (size_t k = 0; k < nd; k++) {
        if (d[k] < 0x20 || d[k] == 0x7f) return false;
        if (d[k] == ':') colon = true;
    }
    return colon;
}

const struct rp_dataid_validator rp_dataid_val_basic_auth = {
    .name = "basic_auth",
    .summary = "HTTP Basic credentials decode to printable user:password",
    .validate = val_basic_auth,
};

/* ---- jwt ----------------------------------------------------------------------------------- */

/* d[0..n) is '{' ... '}' around optional white space. */
static bool json_object_text(const unsigned char *d, size_t n)
{
    size_t a = 0, b = n;
    while (a < b && (d[a] == ' ' || d[a] == '\t' || d[a] == '\r' || d[a] == '\n')) a++;
    while (b > a && (d[b - 1] == ' ' || d[b - 1] == '\t' || d[b - 1] == '\r' || d[b - 1] == '\n'))
        b--;
    return b - a >= 2 && d[a] == '{' && d[b - 1] == '}';
}

static bool contains(const unsigned char *d, size_t n, const char *s)
{
    size_t m = strlen(s);
    for (size_t i = 0; i + m <= n; i++)
        if (memcmp(d + i, s, m) == 0) return true;
    return false;
}

static bool val_jwt(const char *p, size_t n)
{
    const char *dot1 = memchr(p, '.', n);
    if (!dot1) return false;
    size_t hn = (size_t)(dot1 - p);
    const char *rest = dot1 + 1;
    size_t rn = n - hn - 1;
    const char *dot2 = memchr(rest, '.', rn);
    if (!dot2) return false;
    size_t pn = (size_t)(dot2 - rest);
    unsigned char hdr[1024], pay[6144];
    size_t nh = 0, np = 0;
    if (!b64_decode(p, hn, true, hdr, sizeof hdr, &nh) ||
        !b64_decode(rest, pn, true, pay, sizeof pay, &np))
        return false;
    return json_object_text(hdr, nh) && contains(hdr, nh, "\"alg\"") && json_object_text(pay, np);
}

const struct rp_dataid_validator rp_dataid_val_jwt = {
    .name = "jwt",
    .summary = "JWT: header is base64url of a JSON object with \"alg\", payload of an object",
    .validate = val_jwt,
};

/* ---- pem_private_key ----------------------------------------------------------------------- */

static bool val_pem(const char *p, size_t n)
{
    static const char *const labels[] = {
        "-----BEGIN PRIVATE KEY-----",     "-----BEGIN ENCRYPTED PRIVATE KEY-----",
        "-----BEGIN RSA PRIVATE KEY-----", "-----BEGIN EC PRIVATE KEY-----",
        "-----BEGIN DSA PRIVATE KEY-----",
    };
    size_t i = 0;
    bool legacy = false; /* RSA, EC, DSA: may carry Proc-Type headers */
    for (size_t k = 0; k < sizeof labels / sizeof labels[0]; k++) {
        size_t m = strlen(labels[k]);
        if (n >= m && memcmp(p, labels[k], m) == 0) {
            i = m;
            legacy = k >= 2;
            break;
        }
    }
    if (i == 0) return false;
    while (i < n && (p[i] == ' ' || p[i] == '\t')) i++;
    /* a line break, or an escaped one as in JSON strings */
    if (i + 1 < n && p[i] == '\\' && p[i + 1] == 'r') i += 2;
    if (i + 1 < n && p[i] == '\\' && p[i + 1] == 'n')
        i += 2;
    else if (i < n && p[i] == '\r' && i + 1 < n && p[i + 1] == '\n')
        i += 2;
    else if (i < n && p[i] == '\n')
        i++;
    else
        return false;
    static const char proc[] = "Proc-Type: 4,ENCRYPTED";
    if (n - i == sizeof proc - 1 && memcmp(p + i, proc, sizeof proc - 1) == 0) return legacy;
    if (n - i != 4) return false;
    unsigned char d[3];
    size_t nd = 0;
    if (!b64_decode(p + i, 4, false, d, sizeof d, &nd) || nd != 3) return false;
    /* DER SEQUENCE; length: short form of at least 3 (the smallest key structure) or the
     * long form with 1 to 3 length bytes */
    if (d[0] != 0x30) return false;
    return (d[1] >= 0x03 && d[1] <= 0x7f) || (d[1] >= 0x81 && d[1] <= 0x83);
}

const struct rp_dataid_validator rp_dataid_val_pem_private_key = {
    .name = "pem_private_key",
    .summary = "PEM private key label, body starting as a DER SEQUENCE or Proc-Type header",
    .validate = val_pem,
};
