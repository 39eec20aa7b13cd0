/* SPDX-License-Identifier: Apache-2.0 */
/* bench_gen_dataid: the corpus of the sensitive-data benchmark (bench/discover.sh, issue 8).
 *
 *     bench_gen_dataid OUTDIR [MB [SEED]]          defaults: 1024 MiB, seed 1
 *
 * writes MB MiB of mixed files under OUTDIR, 16 MiB each, in turn plain text (prose lines
 * with numbers, dates, order ids, and application log lines), CSV (customer-like records) and
 * JSON Lines (order records), and OUTDIR.manifest (beside the directory, so that scans of OUTDIR
 * do not read it) with the number of each planted kind.
 * About once every 50 KB (25-75 KB apart) a line carries a planted item: a sensitive value
 * with the keyword Macie's identifiers want (Luhn-valid card numbers, US SSNs in valid areas,
 * mod-97-valid IBANs, emails, AWS secret keys, JWTs, US phone numbers) or a decoy (Luhn-failing
 * 16-digit numbers after a card keyword, SSN-like numbers in reserved areas, IBANs with a
 * wrong check, bare Luhn-failing digit runs). The filler is made of synthetic words and numbers
 * only. Deterministic: the same arguments give the same bytes (splitmix64 PRNG). */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/rp_banned.h"

#define FILE_BYTES (16u << 20)

static uint64_t rng;

static uint64_t next(void)
{
    /* splitmix64 */
    uint64_t z = (rng += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static unsigned below(unsigned n)
{
    return (unsigned)(next() % n);
}

/* ---- output buffer -------------------------------------------------------------------------- */

static char obuf[1 << 20];
static size_t olen;
static FILE *out;
static uint64_t file_bytes, total_bytes;

static void flush(void)
{
    if (olen && fwrite(obuf, 1, olen, out) != olen) {
        perror("bench_gen_dataid: write");
        exit(1);
    }
    olen = 0;
}

static void put(const char *s, size_t n)
{
    if (olen + n > sizeof obuf) flush();
    memcpy(obuf + olen, s, n);
    olen += n;
    file_bytes += n;
    total_bytes += n;
}

static void puts_(const char *s)
{
    put(s, strlen(s));
}

static void putc_(char c)
{
    put(&c, 1);
}

static void putu(uint64_t v)
{
    char t[24];
    size_t i = sizeof t;
    do {
        t[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    put(t + i, sizeof t - i);
}

/* v zero-padded to w digits */
static void putuw(uint64_t v, int w)
{
    char t[24];
    for (int i = w - 1; i >= 0; i--) {
        t[i] = (char)('0' + v % 10);
        v /= 10;
    }
    put(t, (size_t)w);
}

static void pick(const char *const *list, size_t n)
{
    puts_(list[below((unsigned)n)]);
}
#define PICK(a) pick(a, sizeof a / sizeof a[0])

/* ---- word lists (made up for this generator) ------------------------------------------------ */

static const char *const words[] = {
    "the",      "a",        "of",       "and",       "to",       "in",        "for",
    "with",     "on",       "was",      "is",        "from",     "by",        "after",
    "before",   "during",   "account",  "customer",  "order",    "shipment",  "invoice",
    "payment",  "request",  "team",     "report",    "update",   "review",    "meeting",
    "project",  "service",  "delivery", "warehouse", "support",  "ticket",    "refund",
    "contract", "renewal",  "schedule", "quarter",   "budget",   "forecast",  "region",
    "store",    "product",  "catalog",  "price",     "discount", "balance",   "statement",
    "transfer", "branch",   "office",   "manager",   "analyst",  "engineer",  "vendor",
    "supplier", "partner",  "approved", "pending",   "rejected", "received",  "processed",
    "updated",  "closed",   "opened",   "escalated", "resolved", "scheduled", "confirmed",
    "noted",    "sent",     "late",     "early",     "new",      "old",       "large",
    "small",    "urgent",   "routine",  "annual",    "monthly",  "weekly",    "daily",
    "internal", "external", "north",    "south",     "east",     "west",      "central",
    "backlog",  "estimate", "sample",   "batch",     "pallet",   "container", "route",
    "driver",   "carrier",  "address",  "records",   "policy",   "claim",     "premium",
    "audit",    "summary",  "notes",    "follow-up", "call",     "email",     "letter",
};

static const char *const first_names[] = {
    "Alex", "Maria", "Sam",   "Priya", "Jordan", "Chen",  "Fatima", "Luca",  "Noor",  "Tomas",
    "Ines", "Kofi",  "Hana",  "Omar",  "Greta",  "Ravi",  "Elena",  "Jonas", "Aiko",  "Mateo",
    "Lena", "Yusuf", "Clara", "Diego", "Mira",   "Felix", "Zara",   "Ivan",  "Sofia", "Kai",
};
static const char *const last_names[] = {
    "Lopez", "Novak",  "Okafor", "Schmidt", "Tanaka",  "Haddad", "Silva",  "Kowalski",
    "Ahmed", "Rossi",  "Dubois", "Nguyen",  "Larsen",  "Petrov", "Moreau", "Garcia",
    "Ito",   "Mensah", "Berg",   "Costa",   "Fischer", "Reyes",  "Varga",  "Quinn",
};
static const char *const cities[] = {
    "Springfield", "Riverton",   "Lakeside",    "Fairview", "Georgetown", "Milltown",
    "Ashford",     "Brookfield", "Cedar Falls", "Dunmore",  "Eastwick",   "Glenwood",
};
static const char *const states[] = {"IL", "OR", "TX", "NY", "CA", "WA", "MA", "GA", "OH", "CO"};
static const char *const plans[] = {"basic", "standard", "premium", "enterprise", "trial"};
static const char *const levels[] = {"INFO", "INFO", "INFO", "DEBUG", "WARN", "ERROR"};
static const char *const paths[] = {
    "/api/v1/orders", "/api/v1/customers", "/api/v2/invoices", "/health",
    "/api/v1/search", "/static/app.js",    "/api/v1/payments", "/login"};
static const char *const domains[] = {"example.com", "example.org", "example.net",
                                      "mail.example.com", "corp.example"};
static const char *const hex = "0123456789abcdef";

/* ---- planted items -------------------------------------------------------------------------- */

enum kind {
    K_CARD,
    K_SSN,
    K_IBAN,
    K_EMAIL,
    K_AWS_SECRET,
    K_JWT,
    K_PHONE,
    K_DECOY_CARD_LUHN,
    K_DECOY_SSN_RESERVED,
    K_DECOY_IBAN_CHECK,
    K_DECOY_DIGITS,
    K_NKINDS
};
static const char *const kind_names[K_NKINDS] = {
    "credit_card_luhn_valid_with_keyword",
    "us_ssn_with_keyword",
    "iban_mod97_valid_with_keyword",
    "email",
    "aws_secret_key_with_keyword",
    "jwt",
    "us_phone_with_keyword",
    "decoy_card_luhn_failing_with_keyword",
    "decoy_ssn_reserved_area_with_keyword",
    "decoy_iban_bad_check_with_keyword",
    "decoy_digit_run",
};
static uint64_t counts[K_NKINDS];

static void digits(char *d, int n)
{
    for (int i = 0; i < n; i++) d[i] = (char)('0' + below(10));
}

/* Luhn check digit for d[0..n) (the digit that would follow) */
static int luhn_digit(const char *d, int n)
{
    int sum = 0;
    for (int i = n - 1, dbl = 1; i >= 0; i--, dbl = !dbl) {
        int v = d[i] - '0';
        if (dbl) {
            v *= 2;
            if (v > 9) v -= 9;
        }
        sum += v;
    }
    return (10 - sum % 10) % 10;
}

static void card(bool valid)
{
    char d[20];
    int n = 16;
    unsigned brand = below(3);
    if (brand == 0) {
        d[0] = '4';
        digits(d + 1, 14);
    } else if (brand == 1) {
        d[0] = '5';
        d[1] = (char)('1' + below(5));
        digits(d + 2, 13);
    } else {
        n = 15;
        d[0] = '3';
        d[1] = below(2) ? '4' : '7';
        digits(d + 2, 12);
    }
    int c = luhn_digit(d, n - 1);
    if (!valid) c = (c + 1 + (int)below(9)) % 10;
    d[n - 1] = (char)('0' + c);
    static const char *const kw[] = {"credit card number: ", "card number ", "Visa ",
                                     "payment card: ",       "cc#",          "card no. "};
    static const char *const kw_amex[] = {"AMEX ", "american express: ", "credit card: "};
    if (n == 15)
        PICK(kw_amex);
    else
        PICK(kw);
    unsigned fmt = below(3);
    if (fmt == 0) {
        put(d, (size_t)n);
    } else {
        char sep = fmt == 1 ? ' ' : '-';
        if (n == 16) {
            for (int g = 0; g < 4; g++) {
                if (g) putc_(sep);
                put(d + 4 * g, 4);
            }
        } else {
            put(d, 4);
            putc_(sep);
            put(d + 4, 6);
            putc_(sep);
            put(d + 10, 5);
        }
    }
}

static void ssn(bool valid)
{
    static const char *const kw[] = {"SSN: ", "social security number ", "SSN# ", "ssn="};
    PICK(kw);
    unsigned area;
    if (valid) {
        do area = 1 + below(899);
        while (area == 666);
    } else {
        unsigned r = below(3);
        area = r == 0 ? 0 : r == 1 ? 666 : 900 + below(100);
    }
    putuw(area, 3);
    putc_('-');
    putuw(1 + below(99), 2);
    putc_('-');
    putuw(1 + below(9999), 4);
}

/* mod 97 of a decimal string given piecewise */
static unsigned mod97_add(unsigned m, char c)
{
    if (c >= '0' && c <= '9') return (m * 10 + (unsigned)(c - '0')) % 97;
    unsigned v = (unsigned)(c - 'A' + 10);
    return (m * 100 + v) % 97;
}

static void iban(bool valid)
{
    static const struct {
        const char *cc;
        int nalpha, ndigit; /* BBAN: letters then digits */
    } fmts[] = {{"DE", 0, 18}, {"GB", 4, 14}, {"NL", 4, 10}, {"FR", 0, 23}, {"ES", 0, 20}};
    unsigned f = below(sizeof fmts / sizeof fmts[0]);
    char bban[32];
    int n = 0;
    for (int i = 0; i < fmts[f].nalpha; i++) bban[n++] = (char)('A' + below(26));
    digits(bban + n, fmts[f].ndigit);
    n += fmts[f].ndigit;
    unsigned m = 0;
    for (int i = 0; i < n; i++) m = mod97_add(m, bban[i]);
    m = mod97_add(m, fmts[f].cc[0]);
    m = mod97_add(m, fmts[f].cc[1]);
    m = mod97_add(m, '0');
    m = mod97_add(m, '0');
    unsigned check = 98 - m;
    if (!valid) /* any other value of 02..98 */
        check = 2 + (check - 2 + 1 + below(96)) % 97;
    char s[40];
    s[0] = fmts[f].cc[0];
    s[1] = fmts[f].cc[1];
    s[2] = (char)('0' + check / 10);
    s[3] = (char)('0' + check % 10);
    memcpy(s + 4, bban, (size_t)n);
    n += 4;
    static const char *const kw[] = {"IBAN: ", "iban ", "bank account (IBAN) ", "IBAN="};
    PICK(kw);
    if (below(2)) {
        put(s, (size_t)n);
    } else {
        for (int i = 0; i < n; i += 4) {
            if (i) putc_(' ');
            put(s + i, (size_t)(n - i < 4 ? n - i : 4));
        }
    }
}

static void email(void)
{
    static const char *const kw[] = {"contact ", "email: ", "reply to ", "cc "};
    PICK(kw);
    const char *fn = first_names[below(sizeof first_names / sizeof first_names[0])];
    const char *ln = last_names[below(sizeof last_names / sizeof last_names[0])];
    for (const char *p = fn; *p; p++) putc_((char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p));
    putc_('.');
    for (const char *p = ln; *p; p++) putc_((char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p));
    if (below(2)) putu(below(100));
    putc_('@');
    PICK(domains);
}

static void aws_secret(void)
{
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    static const char *const kw[] = {"aws_secret_access_key = ", "AWS_SECRET_ACCESS_KEY=",
                                     "aws secret key: ", "SecretAccessKey "};
    PICK(kw);
    char k[40];
    for (int i = 0; i < 40; i++) k[i] = b64[below(64)];
    put(k, 40);
}

static size_t b64url(const unsigned char *in, size_t n, char *o)
{
    static const char t[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    size_t j = 0;
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)in[i] << 16;
        if (i + 1 < n) v |= (unsigned)in[i + 1] << 8;
        if (i + 2 < n) v |= in[i + 2];
        o[j++] = t[(v >> 18) & 63];
        o[j++] = t[(v >> 12) & 63];
        if (i + 1 < n) o[j++] = t[(v >> 6) & 63];
        if (i + 2 < n) o[j++] = t[v & 63];
    }
    return j;
}

static void jwt(void)
{
    static const char *const kw[] = {"Authorization: Bearer ", "token=", "id_token: ", "jwt "};
    PICK(kw);
    /* {"alg":"HS256","typ":"JWT"} */
    puts_("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.");
    char payload[128], enc[192];
    /* one PRNG call per statement: compilers order the evaluation of arguments differently */
    unsigned sub = below(1000000), iat = 1700000000u + below(10000000);
    int pn = snprintf(payload, sizeof payload,
                      "{\"sub\":\"user-%u\",\"iat\":%u,\"scope\":\"read\"}", sub, iat);
    put(enc, b64url((const unsigned char *)payload, (size_t)pn, enc));
    putc_('.');
    unsigned char sig[32];
    for (int i = 0; i < 32; i++) sig[i] = (unsigned char)below(256);
    put(enc, b64url(sig, 32, enc));
}

static void phone(void)
{
    static const char *const kw[] = {"phone: ", "cell ", "tel ", "mobile number "};
    PICK(kw);
    unsigned area = 201 + below(780), exch = 200 + below(800), line = below(10000);
    switch (below(3)) {
    case 0:
        putc_('(');
        putu(area);
        puts_(") ");
        putu(exch);
        putc_('-');
        putuw(line, 4);
        break;
    case 1:
        puts_("+1 ");
        putu(area);
        putc_('-');
        putu(exch);
        putc_('-');
        putuw(line, 4);
        break;
    default:
        putu(area);
        putc_('.');
        putu(exch);
        putc_('.');
        putuw(line, 4);
        break;
    }
}

static void decoy_digits(void)
{
    static const char *const kw[] = {"ref ", "tracking ", "serial ", "batch "};
    PICK(kw);
    char d[24];
    int n = 12 + (int)below(9);
    digits(d, n);
    d[0] = (char)('1' + below(9));
    /* never Luhn-valid, so that no card identifier may take it */
    d[n - 1] = (char)('0' + (luhn_digit(d, n - 1) + 1 + (int)below(9)) % 10);
    put(d, (size_t)n);
}

static void plant(void)
{
    enum kind k = (enum kind)below(K_NKINDS);
    counts[k]++;
    switch (k) {
    case K_CARD:
        card(true);
        break;
    case K_SSN:
        ssn(true);
        break;
    case K_IBAN:
        iban(true);
        break;
    case K_EMAIL:
        email();
        break;
    case K_AWS_SECRET:
        aws_secret();
        break;
    case K_JWT:
        jwt();
        break;
    case K_PHONE:
        phone();
        break;
    case K_DECOY_CARD_LUHN:
        card(false);
        break;
    case K_DECOY_SSN_RESERVED:
        ssn(false);
        break;
    case K_DECOY_IBAN_CHECK:
        iban(false);
        break;
    default:
        decoy_digits();
        break;
    }
}

/* ---- filler --------------------------------------------------------------------------------- */

static uint64_t line_no;

static void date(void)
{
    putu(2022 + below(3));
    putc_('-');
    putuw(1 + below(12), 2);
    putc_('-');
    putuw(1 + below(28), 2);
}

static void timestamp(void)
{
    date();
    putc_('T');
    putuw(below(24), 2);
    putc_(':');
    putuw(below(60), 2);
    putc_(':');
    putuw(below(60), 2);
    putc_('.');
    putuw(below(1000), 3);
    putc_('Z');
}

static void hexrun(int n)
{
    char t[40];
    for (int i = 0; i < n; i++) t[i] = hex[below(16)];
    put(t, (size_t)n);
}

static void amount(void)
{
    putu(below(5000));
    putc_('.');
    putuw(below(100), 2);
}

static void prose(bool with_plant)
{
    int n = 8 + (int)below(14), at = with_plant ? (int)below((unsigned)n) : -1;
    for (int i = 0; i < n; i++) {
        if (i) putc_(' ');
        if (i == at) {
            plant();
            continue;
        }
        unsigned r = below(16);
        if (r == 0) {
            puts_("order ");
            putu(10000 + below(90000));
        } else if (r == 1) {
            putu(1 + below(40));
        } else if (r == 2) {
            putc_('$');
            amount();
        } else if (r == 3) {
            puts_("on ");
            date();
        } else {
            const char *w = words[below(sizeof words / sizeof words[0])];
            if (i == 0) {
                putc_((char)(w[0] >= 'a' && w[0] <= 'z' ? w[0] - 32 : w[0]));
                puts_(w + 1);
            } else {
                puts_(w);
            }
        }
    }
    puts_(".\n");
}

static void logline(bool with_plant)
{
    timestamp();
    putc_(' ');
    PICK(levels);
    puts_(" [worker-");
    putu(below(8));
    puts_("] request_id=");
    hexrun(8);
    putc_('-');
    hexrun(4);
    putc_('-');
    hexrun(4);
    puts_(" user=");
    const char *fn = first_names[below(sizeof first_names / sizeof first_names[0])];
    for (const char *p = fn; *p; p++) putc_((char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p));
    putu(below(100));
    puts_(" ip=10.");
    putu(below(256));
    putc_('.');
    putu(below(256));
    putc_('.');
    putu(below(256));
    puts_(" method=GET path=");
    PICK(paths);
    putc_('/');
    putu(below(100000));
    puts_(" status=");
    putu(below(10) ? 200 : 404);
    puts_(" bytes=");
    putu(below(100000));
    puts_(" latency_ms=");
    putu(below(400));
    putc_('.');
    putu(below(10));
    if (with_plant) {
        puts_(" msg=\"");
        plant();
        putc_('"');
    }
    putc_('\n');
}

static void csv_header(void)
{
    puts_("id,first_name,last_name,city,state,zip,signup_date,plan,balance,last_order,notes\n");
}

static void csvline(bool with_plant)
{
    putu(100000 + line_no);
    putc_(',');
    PICK(first_names);
    putc_(',');
    PICK(last_names);
    putc_(',');
    PICK(cities);
    putc_(',');
    PICK(states);
    putc_(',');
    putuw(10000 + below(89999), 5);
    putc_(',');
    date();
    putc_(',');
    PICK(plans);
    putc_(',');
    amount();
    putc_(',');
    putu(10000 + below(90000));
    putc_(',');
    if (with_plant) {
        putc_('"');
        plant();
        putc_('"');
    } else {
        int n = 2 + (int)below(6);
        for (int i = 0; i < n; i++) {
            if (i) putc_(' ');
            PICK(words);
        }
    }
    putc_('\n');
}

static void jsonline(bool with_plant)
{
    puts_("{\"id\":");
    putu(100000 + line_no);
    puts_(",\"ts\":\"");
    timestamp();
    puts_("\",\"customer\":{\"name\":\"");
    PICK(first_names);
    putc_(' ');
    PICK(last_names);
    puts_("\",\"city\":\"");
    PICK(cities);
    puts_("\",\"zip\":\"");
    putuw(10000 + below(89999), 5);
    puts_("\"},\"order\":{\"number\":");
    putu(10000 + below(90000));
    puts_(",\"total\":");
    amount();
    puts_(",\"items\":");
    putu(1 + below(12));
    puts_(",\"sku\":\"SKU-");
    putu(below(100000));
    putc_('-');
    putc_((char)('A' + below(26)));
    puts_("\"},\"note\":\"");
    if (with_plant) {
        plant();
    } else {
        int n = 2 + (int)below(8);
        for (int i = 0; i < n; i++) {
            if (i) putc_(' ');
            PICK(words);
        }
    }
    puts_("\"}\n");
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 4) {
        fprintf(stderr, "usage: bench_gen_dataid OUTDIR [MB [SEED]]\n");
        return 2;
    }
    const char *dir = argv[1];
    uint64_t mb = argc > 2 ? strtoull(argv[2], NULL, 10) : 1024;
    rng = argc > 3 ? strtoull(argv[3], NULL, 10) : 1;
    if (mb == 0) {
        fprintf(stderr, "bench_gen_dataid: MB must be a positive number\n");
        return 2;
    }
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        perror(dir);
        return 1;
    }
    uint64_t want = mb << 20, gap = 25000 + below(50000), since = 0;
    unsigned nfiles = 0;
    static const char *const ext[] = {"txt", "csv", "jsonl"};
    while (total_bytes < want) {
        unsigned type = nfiles % 3;
        char path[4096];
        snprintf(path, sizeof path, "%s/part-%04u.%s", dir, nfiles, ext[type]);
        out = fopen(path, "wb");
        if (!out) {
            perror(path);
            return 1;
        }
        file_bytes = 0;
        if (type == 1) csv_header();
        uint64_t limit = want - total_bytes < FILE_BYTES ? want - total_bytes : FILE_BYTES;
        while (file_bytes < limit) {
            uint64_t before = total_bytes;
            bool p = since >= gap;
            if (p) {
                since = 0;
                gap = 25000 + below(50000);
            }
            line_no++;
            if (type == 0) {
                if (below(3) == 0)
                    prose(p);
                else
                    logline(p);
            } else if (type == 1) {
                csvline(p);
            } else {
                jsonline(p);
            }
            since += total_bytes - before;
        }
        flush();
        if (fclose(out) != 0) {
            perror(path);
            return 1;
        }
        nfiles++;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s.manifest", dir);
    FILE *m = fopen(path, "w");
    if (!m) {
        perror(path);
        return 1;
    }
    uint64_t real = 0, decoys = 0;
    for (int k = 0; k < K_NKINDS; k++) {
        if (k < K_DECOY_CARD_LUHN)
            real += counts[k];
        else
            decoys += counts[k];
    }
    fprintf(m,
            "files %u\nbytes %" PRIu64 "\nlines %" PRIu64 "\nplanted %" PRIu64 "\ndecoys %" PRIu64
            "\n",
            nfiles, total_bytes, line_no, real, decoys);
    for (int k = 0; k < K_NKINDS; k++) fprintf(m, "%s %" PRIu64 "\n", kind_names[k], counts[k]);
    if (fclose(m) != 0) {
        perror(path);
        return 1;
    }
    return 0;
}
