/* SPDX-License-Identifier: Apache-2.0 */
/* rp_sim side generator "side-documents": for every data-holding bucket (data, backup,
 * shared-docs, and any bucket a scenario marked sensitive or decoy) a directory
 * buckets/<bucket>/... of the documents such buckets hold: CSV exports, JSON API dumps, a SQL
 * dump (.gz), notes, application logs, config files in a .zip, SSH and PKCS#8 private keys.
 * Sensitive values (Luhn-valid card numbers, SSNs, IBANs, NHS numbers, AWS secret keys, JWTs,
 * basic-auth headers, private keys, Stripe keys, names, addresses, phones, birth dates) are
 * planted among decoys that a correct scanner must not report (Luhn-failing 16-digit numbers,
 * invalid SSNs, IBANs and NHS numbers with wrong check digits, AWS's documented example key
 * pair, public keys, UUIDs, SHA-256 hashes, ISBNs).
 *
 * Every planted value and every decoy is recorded in side-truth/sensitive.jsonl with its file,
 * archive member, line, byte offset and length in the (decompressed) content, the Macie managed
 * identifier it stands for and whether a finding is expected: the values themselves are never
 * repeated there. Content is drawn from a per-bucket PRNG stream and the zip archives are written
 * here (deflate through zlib, fixed DOS time stamps), so the same seed gives the same bytes.
 * Everything is written in begin(); sizes are bounded by the scale. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "sim/sim_internal.h"
#include "sim/sim_side.h"
#include "core/rp_json.h"
#include "core/rp_time.h"
#include "core/rp_banned.h"

#define SRC_LABEL "side-documents"
#define DOC_MAX   (16u << 20)

/* ---- identifiers ---------------------------------------------------------------------------- */

enum ident {
    I_ADDR = 0,
    I_AWS,
    I_CC,
    I_DOB,
    I_BASIC,
    I_IBAN,
    I_JWT,
    I_NAME,
    I_SSH,
    I_PHONE,
    I_PKCS,
    I_STRIPE,
    I_NHS,
    I_SSN,
    I__COUNT
};

static const struct {
    const char *id;
    const char *category;
} idents[I__COUNT] = {
    [I_AWS] = {"AWS_CREDENTIALS", "CREDENTIALS"},
    [I_CC] = {"CREDIT_CARD_NUMBER", "FINANCIAL_INFORMATION"},
    [I_DOB] = {"DATE_OF_BIRTH", "PERSONAL_INFORMATION"},
    [I_BASIC] = {"HTTP_BASIC_AUTH_HEADER", "CREDENTIALS"},
    [I_IBAN] = {"INTERNATIONAL_BANK_ACCOUNT_NUMBER", "FINANCIAL_INFORMATION"},
    [I_JWT] = {"JSON_WEB_TOKEN", "CREDENTIALS"},
    [I_NAME] = {"NAME", "PERSONAL_INFORMATION"},
    [I_SSH] = {"OPENSSH_PRIVATE_KEY", "CREDENTIALS"},
    [I_PHONE] = {"PHONE_NUMBER", "PERSONAL_INFORMATION"},
    [I_PKCS] = {"PKCS", "CREDENTIALS"},
    [I_STRIPE] = {"STRIPE_CREDENTIALS", "CREDENTIALS"},
    [I_NHS] = {"UK_NHS_NUMBER", "PERSONAL_INFORMATION"},
    [I_SSN] = {"USA_SOCIAL_SECURITY_NUMBER", "PERSONAL_INFORMATION"},
    [I_ADDR] = {"ADDRESS", "PERSONAL_INFORMATION"},
};

#define BIT(i) (1u << (i))

/* Identifiers each kind of document plants (at least one occurrence each, by construction). */
#define M_CUSTOMERS (BIT(I_NAME) | BIT(I_ADDR) | BIT(I_PHONE) | BIT(I_DOB) | BIT(I_CC))
#define M_ORDERS    (BIT(I_NAME) | BIT(I_CC))
#define M_SQL       (BIT(I_NAME) | BIT(I_CC) | BIT(I_SSN))
#define M_CONFIGZIP (BIT(I_AWS) | BIT(I_STRIPE))
#define M_HR        (BIT(I_NAME) | BIT(I_SSN) | BIT(I_DOB) | BIT(I_IBAN) | BIT(I_NHS) | BIT(I_PHONE))
#define M_NOTES     (BIT(I_SSN) | BIT(I_NAME))
#define M_KEYS      (BIT(I_SSH) | BIT(I_PKCS))
#define M_HANDOVER  (BIT(I_JWT) | BIT(I_BASIC) | BIT(I_NAME) | BIT(I_PHONE))
#define M_LEAKLOG   (BIT(I_AWS) | BIT(I_JWT) | BIT(I_BASIC))

static uint32_t bucket_mask(const struct rp_sim_world *w, uint32_t b)
{
    const struct rp_sim_bucket *bk = &w->buckets[b];
    if (bk->res.marks & RP_SIM_MARK_DECOY) return 0;
    uint32_t m = 0;
    switch (bk->purpose) {
    case RP_SIM_BUCKET_DATA:
        m = M_CUSTOMERS | M_ORDERS;
        break;
    case RP_SIM_BUCKET_BACKUP:
        m = M_SQL | M_CONFIGZIP;
        break;
    case RP_SIM_BUCKET_SHARED:
        m = M_HR | M_NOTES | M_KEYS | M_HANDOVER;
        break;
    default:
        break;
    }
    if (bk->res.marks & RP_SIM_MARK_SENSITIVE) m |= M_LEAKLOG;
    return m;
}

bool rp_sim_side_doc_bucket(const struct rp_sim_world *w, uint32_t bucket)
{
    if (bucket >= w->nbuckets) return false;
    const struct rp_sim_bucket *bk = &w->buckets[bucket];
    if (bk->res.marks & (RP_SIM_MARK_SENSITIVE | RP_SIM_MARK_DECOY)) return true;
    return bk->purpose == RP_SIM_BUCKET_DATA || bk->purpose == RP_SIM_BUCKET_BACKUP ||
           bk->purpose == RP_SIM_BUCKET_SHARED;
}

uint32_t rp_sim_side_doc_identifiers(const struct rp_sim_run *run, uint32_t bucket,
                                     const char **out, uint32_t max)
{
    const struct rp_sim_world *w = run->world;
    if (!rp_sim_side_doc_bucket(w, bucket)) return 0;
    uint32_t m = bucket_mask(w, bucket);
    /* the enum is in the alphabetical order of the ids */
    uint32_t n = 0;
    for (int i = 0; i < I__COUNT; i++) {
        if (!(m & BIT(i))) continue;
        if (n < max) out[n] = idents[i].id;
        n++;
    }
    return n;
}

/* ---- a document under construction --------------------------------------------------------- */

struct doc {
    struct rp_buf b;      /* content */
    uint32_t line;        /* 1-based line of the next byte */
    rp_err err;           /* sticky */
    struct rp_buf *truth; /* truth lines of the bucket, appended to */
    const char *bucket;
    char key[RP_SIM_MAX_KEY];
    const char *member;    /* zip member name or NULL */
    const char *container; /* "gzip", "zip" or NULL */
    uint32_t planted;      /* identifiers planted (bits) */
};

static void doc_init(struct doc *d, struct rp_buf *truth, const char *bucket)
{
    memset(d, 0, sizeof(*d));
    rp_buf_init(&d->b, DOC_MAX);
    d->line = 1;
    d->truth = truth;
    d->bucket = bucket;
}

static void doc_start(struct doc *d, const char *key, const char *member, const char *container)
{
    rp_buf_reset(&d->b);
    d->line = 1;
    rp_strlcpy(d->key, key, sizeof(d->key));
    d->member = member;
    d->container = container;
}

static void put(struct doc *d, const char *s)
{
    if (d->err != RP_OK) return;
    size_t n = strlen(s);
    d->err = rp_buf_append(&d->b, s, n);
    for (size_t i = 0; i < n; i++) d->line += s[i] == '\n';
}

static void putf(struct doc *d, const char *fmt, ...) RP_PRINTF(2, 3);
static void putf(struct doc *d, const char *fmt, ...)
{
    if (d->err != RP_OK) return;
    char tmp[2048];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof(tmp)) {
        d->err = RP_ELIMIT;
        return;
    }
    put(d, tmp);
}

/* Optional context of a recorded value. */
struct where {
    const char *column;
    const char *json_path;
    const char *access_key_id;
};

/* Append value and record it: ident < I__COUNT with decoy NULL is a planted value (a finding is
 * expected); decoy names the kind of look-alike (expect none), and ident may then be I__COUNT
 * for look-alikes of no identifier in particular. */
static void rec(struct doc *d, const char *value, int ident, const char *decoy,
                const struct where *wh)
{
    if (d->err != RP_OK) return;
    size_t off = d->b.len;
    uint32_t line = d->line;
    put(d, value);
    if (d->err != RP_OK) return;
    if (!decoy && ident < I__COUNT) d->planted |= BIT(ident);
    struct rp_json_writer jw;
    rp_json_writer_init(&jw, d->truth);
    rp_json_write_obj_begin(&jw);
    rp_json_write_kv_cstr(&jw, "bucket", d->bucket);
    rp_json_write_kv_cstr(&jw, "key", d->key);
    if (d->container) rp_json_write_kv_cstr(&jw, "container", d->container);
    if (d->member) rp_json_write_kv_cstr(&jw, "member", d->member);
    rp_json_write_kv_uint(&jw, "line", line);
    rp_json_write_kv_uint(&jw, "offset", off);
    rp_json_write_kv_uint(&jw, "length", strlen(value));
    if (ident < I__COUNT) {
        rp_json_write_kv_cstr(&jw, "identifier", idents[ident].id);
        rp_json_write_kv_cstr(&jw, "category", idents[ident].category);
    } else {
        rp_json_write_kv_null(&jw, "identifier");
        rp_json_write_kv_null(&jw, "category");
    }
    rp_json_write_kv_cstr(&jw, "expect", decoy ? "none" : "match");
    if (decoy) rp_json_write_kv_cstr(&jw, "decoy", decoy);
    if (wh && wh->column) rp_json_write_kv_cstr(&jw, "column", wh->column);
    if (wh && wh->json_path) rp_json_write_kv_cstr(&jw, "json_path", wh->json_path);
    if (wh && wh->access_key_id) rp_json_write_kv_cstr(&jw, "access_key_id", wh->access_key_id);
    rp_json_write_obj_end(&jw);
    d->err = rp_json_writer_finish(&jw);
    if (d->err == RP_OK) d->err = rp_buf_putc(d->truth, '\n');
}

static void col(struct doc *d, const char *value, int ident, const char *decoy, const char *c)
{
    struct where wh = {c, NULL, NULL};
    rec(d, value, ident, decoy, &wh);
}

static void jpath(struct doc *d, const char *value, int ident, const char *decoy, const char *path)
{
    struct where wh = {NULL, path, NULL};
    rec(d, value, ident, decoy, &wh);
}

/* ---- value generators ----------------------------------------------------------------------- */

static const char *const first_names[] = {
    "Olivia", "Liam",  "Emma",   "Noah",  "Ava",    "Elijah", "Sophia", "James", "Mia",    "Lucas",
    "Amelia", "Mateo", "Harper", "Ethan", "Evelyn", "Aiden",  "Priya",  "Wei",   "Fatima", "Diego",
    "Yuki",   "Kwame", "Ingrid", "Tomas", "Lena",   "Omar",   "Chloe",  "Ravi",  "Hana",   "Marco"};
static const char *const last_names[] = {
    "Garcia", "Smith",   "Johnson", "Brown",    "Martinez", "Nguyen", "Patel",  "Kim",
    "Okafor", "Rossi",   "Schmidt", "Kowalski", "Silva",    "Haddad", "Larsen", "Dubois",
    "Murphy", "Tanaka",  "Cohen",   "Mendes",   "Novak",    "Jensen", "Ahmed",  "Lopez",
    "Walker", "Bianchi", "Fischer", "Moreau",   "Park",     "Singh"};
static const char *const streets[] = {
    "Maple Avenue",   "Oak Street",     "Cedar Lane",       "Pine Road",         "Elm Street",
    "Lakeview Drive", "Hillcrest Road", "Sunset Boulevard", "Washington Street", "Park Avenue",
    "River Road",     "Meadow Lane",    "Highland Avenue",  "Church Street",     "Mill Road"};
static const struct {
    const char *city, *state, *zip3, *area;
} cities[] = {{"Springfield", "IL", "627", "217"}, {"Portland", "OR", "972", "503"},
              {"Austin", "TX", "787", "512"},      {"Columbus", "OH", "432", "614"},
              {"Madison", "WI", "537", "608"},     {"Raleigh", "NC", "276", "919"},
              {"Denver", "CO", "802", "303"},      {"Boise", "ID", "837", "208"},
              {"Richmond", "VA", "232", "804"},    {"Tucson", "AZ", "857", "520"},
              {"Albany", "NY", "122", "518"},      {"Sacramento", "CA", "958", "916"}};

#define PICK(r, a) (a)[rp_sim_rng_below((r), (uint32_t)RP_ARRAY_LEN(a))]

struct person {
    char first[16], last[20], name[40], email[80], phone[24], address[96], dob[12];
};

static void person_gen(struct rp_sim_rng *r, struct person *p)
{
    rp_strlcpy(p->first, PICK(r, first_names), sizeof(p->first));
    rp_strlcpy(p->last, PICK(r, last_names), sizeof(p->last));
    snprintf(p->name, sizeof(p->name), "%s %s", p->first, p->last);
    static const char *const doms[] = {"example.com", "example.net", "example.org"};
    char lf[16], ll[20];
    rp_strlcpy(lf, p->first, sizeof(lf));
    rp_strlcpy(ll, p->last, sizeof(ll));
    for (char *c = lf; *c; c++)
        if (*c >= 'A' && *c <= 'Z') *c = (char)(*c - 'A' + 'a');
    for (char *c = ll; *c; c++)
        if (*c >= 'A' && *c <= 'Z') *c = (char)(*c - 'A' + 'a');
    snprintf(p->email, sizeof(p->email), "%s.%s%u@%s", lf, ll, rp_sim_rng_below(r, 100),
             PICK(r, doms));
    unsigned ci = rp_sim_rng_below(r, (uint32_t)RP_ARRAY_LEN(cities));
    /* 555-0100..555-0199: numbers reserved for fiction */
    snprintf(p->phone, sizeof(p->phone), "(%s) 555-01%02u", cities[ci].area,
             rp_sim_rng_below(r, 100));
    snprintf(p->address, sizeof(p->address), "%u %s, %s, %s %s%02u",
             (unsigned)rp_sim_rng_range(r, 10, 9899), PICK(r, streets), cities[ci].city,
             cities[ci].state, cities[ci].zip3, rp_sim_rng_below(r, 100));
    snprintf(p->dob, sizeof(p->dob), "%04u-%02u-%02u", (unsigned)rp_sim_rng_range(r, 1950, 2003),
             (unsigned)rp_sim_rng_range(r, 1, 12), (unsigned)rp_sim_rng_range(r, 1, 28));
}

static unsigned luhn_digit(const char *payload)
{
    size_t n = strlen(payload);
    unsigned sum = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned d = (unsigned)(payload[n - 1 - i] - '0');
        if (i % 2 == 0) { /* doubled: these are odd positions once the check digit is appended */
            d *= 2;
            if (d > 9) d -= 9;
        }
        sum += d;
    }
    return (10 - sum % 10) % 10;
}

/* len digits starting with prefix, the last one the Luhn check digit (valid) or that digit
 * plus one (not valid), into out. */
static void luhn_number(struct rp_sim_rng *r, const char *prefix, size_t len, bool valid, char *out,
                        size_t outsz)
{
    char d[24];
    size_t n = strlen(prefix);
    memcpy(d, prefix, n);
    while (n < len - 1) d[n++] = (char)('0' + rp_sim_rng_below(r, 10));
    d[n] = '\0';
    unsigned c = luhn_digit(d);
    if (!valid) c = (c + 1) % 10;
    d[n++] = (char)('0' + c);
    d[n] = '\0';
    rp_strlcpy(out, d, outsz);
}

/* A card number of a common brand (Visa, Mastercard, Amex, Discover) in plain digits. */
static void card_gen(struct rp_sim_rng *r, bool valid, char *out, size_t outsz)
{
    static const char *const pre[] = {"4", "51", "52", "53", "54", "55", "34", "37", "6011", "4"};
    const char *p = PICK(r, pre);
    luhn_number(r, p, p[0] == '3' ? 15 : 16, valid, out, outsz);
}

/* Group digits in fours with sep (Amex 4-6-5). */
static void card_format(const char *digits, char sep, char *out, size_t outsz)
{
    size_t n = strlen(digits), k = 0;
    static const size_t amex[] = {4, 10};
    for (size_t i = 0; i < n && k + 2 < outsz; i++) {
        bool brk = n == 15 ? (i == amex[0] || i == amex[1]) : (i > 0 && i % 4 == 0);
        if (brk) out[k++] = sep;
        out[k++] = digits[i];
    }
    out[k] = '\0';
}

static void ssn_gen(struct rp_sim_rng *r, bool valid, char *out, size_t outsz)
{
    unsigned area, group = (unsigned)rp_sim_rng_range(r, 1, 99),
                   serial = (unsigned)rp_sim_rng_range(r, 1, 9999);
    if (valid) {
        area = (unsigned)rp_sim_rng_range(r, 1, 898);
        if (area >= 666) area++; /* skip 666: 1..665, 667..899 */
    } else {
        static const unsigned bad[] = {0, 666, 900, 912, 987, 999};
        area = PICK(r, bad);
    }
    snprintf(out, outsz, "%03u-%02u-%04u", area, group, serial);
}

/* mod 97 of a digit/letter string, letters as 10..35 */
static unsigned mod97(const char *s)
{
    unsigned rem = 0;
    for (; *s; s++) {
        if (*s >= '0' && *s <= '9')
            rem = (rem * 10 + (unsigned)(*s - '0')) % 97;
        else
            rem = (rem * 100 + (unsigned)(*s - 'A' + 10)) % 97;
    }
    return rem;
}

/* An IBAN of country cc (DE, GB, FR, NL, ES; anything else: one of them at random). */
static void iban_gen(struct rp_sim_rng *r, const char *cc, bool valid, char *out, size_t outsz)
{
    static const struct {
        const char *cc;
        const char *pattern; /* 'n' digit, 'a' upper-case letter */
    } forms[] = {{"DE", "nnnnnnnnnnnnnnnnnn"},
                 {"GB", "aaaannnnnnnnnnnnnn"},
                 {"FR", "nnnnnnnnnnnnnnnnnnnnnnn"},
                 {"NL", "aaaannnnnnnnnn"},
                 {"ES", "nnnnnnnnnnnnnnnnnnnn"}};
    unsigned f = rp_sim_rng_below(r, (uint32_t)RP_ARRAY_LEN(forms));
    for (unsigned k = 0; k < RP_ARRAY_LEN(forms); k++)
        if (strcmp(forms[k].cc, cc) == 0) f = k;
    char bban[40];
    size_t n = strlen(forms[f].pattern);
    for (size_t i = 0; i < n; i++)
        bban[i] = forms[f].pattern[i] == 'n' ? (char)('0' + rp_sim_rng_below(r, 10))
                                             : (char)('A' + rp_sim_rng_below(r, 26));
    bban[n] = '\0';
    char tmp[48];
    snprintf(tmp, sizeof(tmp), "%s%s00", bban, forms[f].cc);
    unsigned check = 98 - mod97(tmp);
    if (!valid) check = check >= 97 ? 2 : check + 1;
    snprintf(out, outsz, "%s%02u%s", forms[f].cc, check, bban);
}

static void nhs_gen(struct rp_sim_rng *r, bool valid, char *out, size_t outsz)
{
    for (;;) {
        unsigned d[10], sum = 0;
        d[0] = 4 + rp_sim_rng_below(r, 3);
        for (int i = 1; i < 9; i++) d[i] = rp_sim_rng_below(r, 10);
        for (int i = 0; i < 9; i++) sum += d[i] * (unsigned)(10 - i);
        unsigned c = 11 - sum % 11;
        if (c == 11) c = 0;
        if (c == 10) continue; /* no valid number with these nine digits */
        d[9] = valid ? c : (c + 1) % 10;
        snprintf(out, outsz, "%u%u%u %u%u%u %u%u%u%u", d[0], d[1], d[2], d[3], d[4], d[5], d[6],
                 d[7], d[8], d[9]);
        return;
    }
}

/* ISBN-13 with a correct check digit, hyphenated: 978-1-NNNN-NNNN-C */
static void isbn_gen(struct rp_sim_rng *r, char *out, size_t outsz)
{
    unsigned d[13] = {9, 7, 8, 1};
    for (int i = 4; i < 12; i++) d[i] = rp_sim_rng_below(r, 10);
    unsigned sum = 0;
    for (int i = 0; i < 12; i++) sum += d[i] * (i % 2 ? 3u : 1u);
    d[12] = (10 - sum % 10) % 10;
    snprintf(out, outsz, "978-1-%u%u%u%u-%u%u%u%u-%u", d[4], d[5], d[6], d[7], d[8], d[9], d[10],
             d[11], d[12]);
}

static void b64(struct rp_buf *tmp, const void *p, size_t n, bool url, char *out, size_t outsz)
{
    rp_buf_reset(tmp);
    if (rp_sim_side_base64(p, n, url, tmp) != RP_OK) {
        out[0] = '\0';
        return;
    }
    rp_strlcpy(out, rp_buf_cstr(tmp), outsz);
}

static void jwt_gen(struct rp_sim_rng *r, const struct person *p, int64_t iat_s, char *out,
                    size_t outsz)
{
    struct rp_buf t;
    rp_buf_init(&t, 4096);
    char uuid[RP_SIM_UUID_SZ], h[64], pl[512], sig[64], js[256];
    rp_sim_rng_uuid(r, uuid);
    static const char hdr[] = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
    b64(&t, hdr, strlen(hdr), true, h, sizeof(h));
    snprintf(js, sizeof(js), "{\"sub\":\"%s\",\"name\":\"%s\",\"iat\":%lld,\"exp\":%lld}", uuid,
             p->name, (long long)iat_s, (long long)(iat_s + 3600));
    b64(&t, js, strlen(js), true, pl, sizeof(pl));
    uint8_t s[32];
    for (int i = 0; i < 32; i++) s[i] = (uint8_t)rp_sim_rng_below(r, 256);
    b64(&t, s, sizeof(s), true, sig, sizeof(sig));
    snprintf(out, outsz, "%s.%s.%s", h, pl, sig);
    rp_buf_release(&t);
}

static void basic_gen(struct rp_sim_rng *r, char *out, size_t outsz)
{
    static const char *const users[] = {"svc-reporting", "admin",   "deploy",
                                        "etl-loader",    "grafana", "backup"};
    char cred[96], pw[17], enc[160];
    rp_sim_rng_chars(r, pw, 16, RP_SIM_ALPHA_ALNUM);
    snprintf(cred, sizeof(cred), "%s:%s", PICK(r, users), pw);
    struct rp_buf t;
    rp_buf_init(&t, 1024);
    b64(&t, cred, strlen(cred), false, enc, sizeof(enc));
    rp_buf_release(&t);
    snprintf(out, outsz, "Authorization: Basic %s", enc);
}

static void put_u32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* An openssh-key-v1 ed25519 private key block with random key material (parseable structure,
 * not a key of anything), or with pub_only the matching "ssh-ed25519 AAAA... comment" line. */
static void sshkey_gen(struct rp_sim_rng *r, const char *comment, char *priv, size_t privsz,
                       char *pub, size_t pubsz)
{
    uint8_t raw[512], pk[32], sk[32];
    size_t n = 0;
    for (int i = 0; i < 32; i++) pk[i] = (uint8_t)rp_sim_rng_below(r, 256);
    for (int i = 0; i < 32; i++) sk[i] = (uint8_t)rp_sim_rng_below(r, 256);
#define RAW(p, len)                                                                                \
    do {                                                                                           \
        memcpy(raw + n, (p), (len));                                                               \
        n += (len);                                                                                \
    } while (0)
#define STR(p, len)                                                                                \
    do {                                                                                           \
        put_u32(raw + n, (uint32_t)(len));                                                         \
        n += 4;                                                                                    \
        RAW((p), (len));                                                                           \
    } while (0)
    RAW("openssh-key-v1", 15); /* with its NUL */
    STR("none", 4);
    STR("none", 4);
    STR("", 0);
    put_u32(raw + n, 1);
    n += 4;
    uint8_t pubblob[51];
    put_u32(pubblob, 11);
    memcpy(pubblob + 4, "ssh-ed25519", 11);
    put_u32(pubblob + 15, 32);
    memcpy(pubblob + 19, pk, 32);
    STR(pubblob, sizeof(pubblob));
    uint8_t sec[256];
    size_t s = 0;
    uint32_t check = (uint32_t)rp_sim_rng_next(r);
    put_u32(sec, check);
    put_u32(sec + 4, check);
    s = 8;
    put_u32(sec + s, 11);
    memcpy(sec + s + 4, "ssh-ed25519", 11);
    s += 15;
    put_u32(sec + s, 32);
    memcpy(sec + s + 4, pk, 32);
    s += 36;
    put_u32(sec + s, 64);
    memcpy(sec + s + 4, sk, 32);
    memcpy(sec + s + 36, pk, 32);
    s += 68;
    size_t cl = strlen(comment);
    put_u32(sec + s, (uint32_t)cl);
    memcpy(sec + s + 4, comment, cl);
    s += 4 + cl;
    for (uint8_t pad = 1; s % 8 != 0; pad++) sec[s++] = pad;
    STR(sec, s);
#undef STR
#undef RAW
    struct rp_buf t;
    rp_buf_init(&t, 4096);
    char enc[1024];
    b64(&t, raw, n, false, enc, sizeof(enc));
    size_t k = (size_t)snprintf(priv, privsz, "-----BEGIN OPENSSH PRIVATE KEY-----\n");
    size_t elen = strlen(enc);
    for (size_t i = 0; i < elen && k + 80 < privsz; i += 70) {
        size_t len = elen - i < 70 ? elen - i : 70;
        memcpy(priv + k, enc + i, len);
        k += len;
        priv[k++] = '\n';
    }
    snprintf(priv + k, privsz - k, "-----END OPENSSH PRIVATE KEY-----");
    b64(&t, pubblob, sizeof(pubblob), false, enc, sizeof(enc));
    snprintf(pub, pubsz, "ssh-ed25519 %s %s", enc, comment);
    rp_buf_release(&t);
}

/* A PKCS#8 "PRIVATE KEY" PEM block: the DER framing of an RSA-2048 key with random contents. */
static void pkcs8_gen(struct rp_sim_rng *r, char *out, size_t outsz)
{
    static const uint8_t head[] = {0x30, 0x82, 0x04, 0xbd, 0x02, 0x01, 0x00, 0x30, 0x0d, 0x06,
                                   0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01,
                                   0x05, 0x00, 0x04, 0x82, 0x04, 0xa7, 0x30, 0x82, 0x04, 0xa3,
                                   0x02, 0x01, 0x00, 0x02, 0x82, 0x01, 0x01, 0x00};
    uint8_t der[1217];
    memcpy(der, head, sizeof(head));
    for (size_t i = sizeof(head); i < sizeof(der); i++) der[i] = (uint8_t)rp_sim_rng_below(r, 256);
    der[sizeof(head)] |= 0x80; /* the modulus starts with a high bit set */
    struct rp_buf t;
    rp_buf_init(&t, 4096);
    char enc[1700];
    b64(&t, der, sizeof(der), false, enc, sizeof(enc));
    rp_buf_release(&t);
    size_t k = (size_t)snprintf(out, outsz, "-----BEGIN PRIVATE KEY-----\n");
    size_t elen = strlen(enc);
    for (size_t i = 0; i < elen && k + 80 < outsz; i += 64) {
        size_t len = elen - i < 64 ? elen - i : 64;
        memcpy(out + k, enc + i, len);
        k += len;
        out[k++] = '\n';
    }
    snprintf(out + k, outsz - k, "-----END PRIVATE KEY-----");
}

/* ---- zip (stored names, deflate, fixed time) ------------------------------------------------ */

struct zip_member {
    char name[64];
    struct rp_buf data; /* uncompressed */
};

static void le16(struct rp_buf *b, unsigned v, rp_err *e)
{
    unsigned char c[2] = {(unsigned char)v, (unsigned char)(v >> 8)};
    if (*e == RP_OK) *e = rp_buf_append(b, c, 2);
}

static void le32(struct rp_buf *b, uint32_t v, rp_err *e)
{
    unsigned char c[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 24)};
    if (*e == RP_OK) *e = rp_buf_append(b, c, 4);
}

static rp_err deflate_raw(const struct rp_buf *in, struct rp_buf *out)
{
    z_stream z;
    memset(&z, 0, sizeof(z));
    if (deflateInit2(&z, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) return RP_ENOMEM;
    uLong bound = deflateBound(&z, (uLong)in->len);
    rp_err e = rp_buf_reserve(out, bound);
    if (e != RP_OK) {
        deflateEnd(&z);
        return e;
    }
    z.next_in = (Bytef *)(uintptr_t)rp_buf_cstr(in);
    z.avail_in = (uInt)in->len;
    z.next_out = (Bytef *)(out->data + out->len);
    z.avail_out = (uInt)bound;
    int rc = deflate(&z, Z_FINISH);
    size_t produced = bound - z.avail_out;
    deflateEnd(&z);
    if (rc != Z_STREAM_END) return RP_EINTERNAL;
    rp_buf_commit(out, produced);
    return RP_OK;
}

/* Write the members as a zip archive to out. DOS date from ms, time 00:00. */
static rp_err zip_build(const struct zip_member *m, size_t n, int64_t ms, struct rp_buf *out)
{
    struct rp_time_civil c;
    if (rp_time_to_civil(ms, &c) != RP_OK) return RP_EINVAL;
    unsigned dosdate = (unsigned)(((c.year - 1980) << 9) | (c.month << 5) | c.day);
    uint32_t offs[8], crcs[8], csz[8];
    if (n > 8) return RP_ELIMIT;
    rp_err e = RP_OK;
    struct rp_buf comp;
    rp_buf_init(&comp, DOC_MAX);
    for (size_t i = 0; i < n && e == RP_OK; i++) {
        offs[i] = (uint32_t)out->len;
        crcs[i] = (uint32_t)crc32(0L, (const Bytef *)rp_buf_cstr(&m[i].data), (uInt)m[i].data.len);
        rp_buf_reset(&comp);
        e = deflate_raw(&m[i].data, &comp);
        if (e != RP_OK) break;
        csz[i] = (uint32_t)comp.len;
        size_t nl = strlen(m[i].name);
        le32(out, 0x04034b50u, &e);
        le16(out, 20, &e);
        le16(out, 0, &e);
        le16(out, 8, &e);
        le16(out, 0, &e);
        le16(out, dosdate, &e);
        le32(out, crcs[i], &e);
        le32(out, csz[i], &e);
        le32(out, (uint32_t)m[i].data.len, &e);
        le16(out, (unsigned)nl, &e);
        le16(out, 0, &e);
        if (e == RP_OK) e = rp_buf_append(out, m[i].name, nl);
        if (e == RP_OK) e = rp_buf_append(out, comp.data, comp.len);
    }
    uint32_t cd = (uint32_t)out->len;
    for (size_t i = 0; i < n && e == RP_OK; i++) {
        size_t nl = strlen(m[i].name);
        le32(out, 0x02014b50u, &e);
        le16(out, 0x031e, &e); /* made by Unix, spec 3.0 */
        le16(out, 20, &e);
        le16(out, 0, &e);
        le16(out, 8, &e);
        le16(out, 0, &e);
        le16(out, dosdate, &e);
        le32(out, crcs[i], &e);
        le32(out, csz[i], &e);
        le32(out, (uint32_t)m[i].data.len, &e);
        le16(out, (unsigned)nl, &e);
        le16(out, 0, &e);
        le16(out, 0, &e);
        le16(out, 0, &e);
        le16(out, 0, &e);
        le32(out, 0100644u << 16, &e); /* regular file, rw-r--r-- */
        le32(out, offs[i], &e);
        if (e == RP_OK) e = rp_buf_append(out, m[i].name, nl);
    }
    uint32_t cdsz = (uint32_t)out->len - cd;
    le32(out, 0x06054b50u, &e);
    le16(out, 0, &e);
    le16(out, 0, &e);
    le16(out, (unsigned)n, &e);
    le16(out, (unsigned)n, &e);
    le32(out, cdsz, &e);
    le32(out, cd, &e);
    le16(out, 0, &e);
    rp_buf_release(&comp);
    return e;
}

/* ---- the documents ------------------------------------------------------------------------- */

struct gen {
    struct rp_sim_run *run;
    const struct rp_sim_bucket *bk;
    uint32_t bidx;
    struct rp_sim_rng r;
    struct doc d;
    struct rp_buf truth;
    struct rp_sim_file *tf; /* side-truth/sensitive.jsonl */
    uint64_t ntruth;
    uint32_t rows; /* CSV rows by scale */
    int64_t day0;  /* start of the simulated period (midnight UTC) */
    char date[12]; /* YYYY-MM-DD of day0 */
    char prev[12]; /* the day before */
    uint32_t planted;
    struct rp_errbuf *eb;
};

static void ymd(int64_t ms, char *out, size_t outsz)
{
    struct rp_time_civil c;
    if (rp_time_to_civil(ms, &c) != RP_OK) memset(&c, 0, sizeof(c));
    snprintf(out, outsz, "%04d-%02d-%02d", c.year, c.month, c.day);
}

static rp_err flush_truth(struct gen *g)
{
    for (size_t i = 0; i < g->truth.len; i++) g->ntruth += g->truth.data[i] == '\n';
    rp_err e = rp_sim_file_write(g->tf, g->truth.data, g->truth.len, g->eb);
    rp_buf_reset(&g->truth);
    return e;
}

static void key_of(const struct gen *g, const char *rel, char *out, size_t outsz)
{
    snprintf(out, outsz, "buckets/%s/%s", g->bk->res.name, rel);
}

/* Start a document at buckets/<bucket>/<rel>. */
static void begin_doc(struct gen *g, const char *rel, const char *container)
{
    char key[RP_SIM_MAX_KEY];
    key_of(g, rel, key, sizeof(key));
    doc_start(&g->d, key, NULL, container);
}

static rp_err end_doc(struct gen *g, unsigned flags)
{
    if (g->d.err != RP_OK)
        return rp_fail(g->eb, g->d.err, "side-documents: cannot render '%s'", g->d.key);
    g->planted |= g->d.planted;
    g->d.planted = 0;
    uint64_t lines = g->d.line - 1;
    rp_err e =
        rp_sim_out_put(g->run, SRC_LABEL, g->d.key, flags, g->d.b.data, g->d.b.len, lines, g->eb);
    if (e == RP_OK) e = flush_truth(g);
    return e;
}

static void customers_csv(struct gen *g, bool decoy_only)
{
    struct doc *d = &g->d;
    put(d, "customer_id,name,email,phone,address,date_of_birth,card_number,card_exp,"
           "loyalty_card,signup_date\n");
    char v[64], c2[64];
    for (uint32_t i = 0; i < g->rows; i++) {
        struct person p;
        person_gen(&g->r, &p);
        char uuid[RP_SIM_UUID_SZ];
        rp_sim_rng_uuid(&g->r, uuid);
        put(d, uuid);
        put(d, ",");
        if (decoy_only) {
            /* sample data: placeholders instead of people */
            putf(d,
                 "Test User %u,test.user%u@example.com,(000) 000-0000,\"1 Test Street, "
                 "Nowhere\",1900-01-01,",
                 i + 1, i + 1);
        } else {
            col(d, p.name, I_NAME, NULL, "name");
            putf(d, ",%s,", p.email);
            col(d, p.phone, I_PHONE, NULL, "phone");
            put(d, ",\"");
            col(d, p.address, I_ADDR, NULL, "address");
            put(d, "\",");
            col(d, p.dob, I_DOB, NULL, "date_of_birth");
            put(d, ",");
        }
        /* a card on every third row (row 0 included), Luhn-valid unless the bucket is a decoy */
        if (i % 3 == 0) {
            card_gen(&g->r, !decoy_only, v, sizeof(v));
            col(d, v, I_CC, decoy_only ? "luhn-fail" : NULL, "card_number");
            putf(d, ",%02u/%02u,", (unsigned)rp_sim_rng_range(&g->r, 1, 12),
                 (unsigned)rp_sim_rng_range(&g->r, 26, 31));
        } else {
            put(d, ",,");
        }
        /* loyalty card numbers look like card numbers but fail the Luhn check */
        luhn_number(&g->r, "9", 16, false, c2, sizeof(c2));
        col(d, c2, I_CC, "luhn-fail", "loyalty_card");
        putf(d, ",%s\n", g->prev);
    }
}

static void orders_json(struct gen *g)
{
    struct doc *d = &g->d;
    uint32_t n = g->rows / 2 + 2;
    put(d, "{\n  \"orders\": [\n");
    char v[64], path[96], uuid[RP_SIM_UUID_SZ], sha[65], isbn[24];
    for (uint32_t i = 0; i < n; i++) {
        struct person p;
        person_gen(&g->r, &p);
        put(d, "    {\n      \"order_id\": \"");
        putf(d, "ORD-%s-%06u", g->date, (unsigned)rp_sim_rng_below(&g->r, 1000000));
        put(d, "\",\n      \"order_number\": \"");
        card_gen(&g->r, false, v, sizeof(v));
        snprintf(path, sizeof(path), "$.orders[%u].order_number", i);
        jpath(d, v, I_CC, "luhn-fail", path);
        put(d, "\",\n      \"request_id\": \"");
        rp_sim_rng_uuid(&g->r, uuid);
        snprintf(path, sizeof(path), "$.orders[%u].request_id", i);
        jpath(d, uuid, I__COUNT, "uuid", path);
        put(d, "\",\n      \"customer\": {\"name\": \"");
        snprintf(path, sizeof(path), "$.orders[%u].customer.name", i);
        jpath(d, p.name, I_NAME, NULL, path);
        putf(d, "\", \"email\": \"%s\"},\n      \"items\": [{\"isbn\": \"", p.email);
        isbn_gen(&g->r, isbn, sizeof(isbn));
        snprintf(path, sizeof(path), "$.orders[%u].items[0].isbn", i);
        jpath(d, isbn, I__COUNT, "isbn", path);
        putf(d, "\", \"quantity\": %u, \"unit_price\": \"%u.%02u\"}],\n",
             (unsigned)rp_sim_rng_range(&g->r, 1, 4), (unsigned)rp_sim_rng_range(&g->r, 5, 90),
             rp_sim_rng_below(&g->r, 100));
        put(d, "      \"payment\": {\"method\": \"card\", ");
        if (i % 7 == 0) {
            /* a bug in the export wrote the full card number instead of the last four */
            card_gen(&g->r, true, v, sizeof(v));
            put(d, "\"card_number\": \"");
            snprintf(path, sizeof(path), "$.orders[%u].payment.card_number", i);
            jpath(d, v, I_CC, NULL, path);
            put(d, "\", ");
        } else {
            putf(d, "\"card_last4\": \"%04u\", ", rp_sim_rng_below(&g->r, 10000));
        }
        rp_sim_rng_hex(&g->r, sha, 64);
        put(d, "\"fingerprint\": \"");
        snprintf(path, sizeof(path), "$.orders[%u].payment.fingerprint", i);
        jpath(d, sha, I__COUNT, "sha256", path);
        putf(d, "\"},\n      \"created_at\": \"%sT%02u:%02u:%02uZ\"\n    }%s\n", g->prev,
             rp_sim_rng_below(&g->r, 24), rp_sim_rng_below(&g->r, 60), rp_sim_rng_below(&g->r, 60),
             i + 1 < n ? "," : "");
    }
    put(d, "  ],\n  \"next_token\": null\n}\n");
}

static void report_txt(struct gen *g)
{
    struct doc *d = &g->d;
    char isbn[24], uuid[RP_SIM_UUID_SZ], num[32];
    putf(d, "Quarterly sales summary (generated %s)\n\n", g->date);
    putf(d, "Orders: %u   Revenue: %u.%02u USD   Returns: %u\n",
         1000 + rp_sim_rng_below(&g->r, 9000), 100000 + rp_sim_rng_below(&g->r, 900000),
         rp_sim_rng_below(&g->r, 100), rp_sim_rng_below(&g->r, 200));
    put(d, "Top title: ISBN ");
    isbn_gen(&g->r, isbn, sizeof(isbn));
    rec(d, isbn, I__COUNT, "isbn", NULL);
    put(d, "\nLargest order number: ");
    card_gen(&g->r, false, num, sizeof(num));
    rec(d, num, I_CC, "luhn-fail", NULL);
    put(d, "\nReport run id: ");
    rp_sim_rng_uuid(&g->r, uuid);
    rec(d, uuid, I__COUNT, "uuid", NULL);
    put(d, "\n");
}

static void sql_dump(struct gen *g)
{
    struct doc *d = &g->d;
    put(d, "--\n-- PostgreSQL database dump\n--\n\n-- Dumped from database version 15.10\n\n"
           "SET statement_timeout = 0;\nSET client_encoding = 'UTF8';\n\n"
           "CREATE TABLE public.customers (\n    id integer NOT NULL,\n    full_name text,\n"
           "    tax_id text,\n    card_number text,\n    created_at timestamp with time zone\n"
           ");\n\n"
           "COPY public.customers (id, full_name, tax_id, card_number, created_at) FROM stdin;\n");
    char v[64];
    for (uint32_t i = 0; i < g->rows; i++) {
        struct person p;
        person_gen(&g->r, &p);
        putf(d, "%u\t", 1000 + i);
        col(d, p.name, I_NAME, NULL, "full_name");
        put(d, "\t");
        if (i % 4 == 0) {
            ssn_gen(&g->r, true, v, sizeof(v));
            col(d, v, I_SSN, NULL, "tax_id");
        } else {
            put(d, "\\N");
        }
        put(d, "\t");
        if (i % 2 == 0) {
            card_gen(&g->r, true, v, sizeof(v));
            col(d, v, I_CC, NULL, "card_number");
        } else {
            put(d, "\\N");
        }
        putf(d, "\t%s %02u:%02u:00+00\n", g->prev, rp_sim_rng_below(&g->r, 24),
             rp_sim_rng_below(&g->r, 60));
    }
    put(d, "\\.\n\n--\n-- PostgreSQL database dump complete\n--\n");
}

/* An IAM user of the bucket's account with an access key (service/CI users first): leaked key
 * ids then match the world's CloudTrail. NULL when none. */
static const char *account_key_id(const struct gen *g)
{
    const struct rp_sim_world *w = g->run->world;
    const char *any = NULL;
    for (uint32_t u = 0; u < w->nusers; u++) {
        const struct rp_sim_user *us = &w->users[u];
        if (us->res.acct != g->bk->res.acct || us->nkeys == 0 || !us->keys[0].active) continue;
        if (us->kind == RP_SIM_USER_SERVICE || us->kind == RP_SIM_USER_CI) return us->keys[0].id;
        if (!any) any = us->keys[0].id;
    }
    return any;
}

static void aws_pair(struct gen *g, const char *id_prefix, const char *secret_prefix,
                     const char *sep)
{
    struct doc *d = &g->d;
    char kid[32], secret[41];
    const char *known = account_key_id(g);
    if (known)
        rp_strlcpy(kid, known, sizeof(kid));
    else
        rp_sim_id_iam(&g->r, "AKIA", kid, sizeof(kid));
    rp_sim_id_secret(&g->r, secret);
    putf(d, "%s%s%s\n%s%s", id_prefix, sep, kid, secret_prefix, sep);
    struct where wh = {NULL, NULL, kid};
    rec(d, secret, I_AWS, NULL, &wh);
    put(d, "\n");
}

static void example_pair(struct doc *d, const char *id_prefix, const char *secret_prefix,
                         const char *sep)
{
    putf(d, "%s%s", id_prefix, sep);
    rec(d, RP_SIM_AWS_EXAMPLE_KEY_ID, I_AWS, "aws-doc-example", NULL);
    putf(d, "\n%s%s", secret_prefix, sep);
    rec(d, RP_SIM_AWS_EXAMPLE_SECRET_KEY, I_AWS, "aws-doc-example", NULL);
    put(d, "\n");
}

static rp_err config_zip(struct gen *g)
{
    struct zip_member m[3];
    memset(m, 0, sizeof(m));
    for (int i = 0; i < 3; i++) rp_buf_init(&m[i].data, DOC_MAX);
    rp_strlcpy(m[0].name, ".env", sizeof(m[0].name));
    rp_strlcpy(m[1].name, "application.yml", sizeof(m[1].name));
    rp_strlcpy(m[2].name, "README.txt", sizeof(m[2].name));
    char rel[128], key[RP_SIM_MAX_KEY], pw[21], sk[40];
    snprintf(rel, sizeof(rel), "config/app-config-%s.zip", g->date);
    key_of(g, rel, key, sizeof(key));
    struct doc *d = &g->d;
    rp_err e = RP_OK;

    doc_start(d, key, m[0].name, "zip");
    rp_sim_rng_chars(&g->r, pw, 20, RP_SIM_ALPHA_ALNUM);
    putf(d, "APP_ENV=production\nDATABASE_URL=postgres://app:%s@db.internal:5432/app\n", pw);
    aws_pair(g, "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "=");
    put(d, "STRIPE_SECRET_KEY=");
    rp_strlcpy(sk, "sk_live_", sizeof(sk));
    rp_sim_rng_chars(&g->r, sk + 8, 24, RP_SIM_ALPHA_ALNUM);
    rec(d, sk, I_STRIPE, NULL, NULL);
    put(d, "\nLOG_LEVEL=info\n");
    if (d->err == RP_OK) d->err = rp_buf_append(&m[0].data, d->b.data, d->b.len);
    g->planted |= d->planted;
    d->planted = 0;

    doc_start(d, key, m[1].name, "zip");
    put(d, "spring:\n  datasource:\n    url: jdbc:postgresql://db.internal:5432/app\n"
           "    username: app\n    password: ${DB_PASSWORD}\n"
           "# local testing only: the key pair from the AWS documentation\n"
           "cloud:\n  aws:\n    credentials:\n");
    example_pair(d, "      access-key", "      secret-key", ": ");
    if (d->err == RP_OK) d->err = rp_buf_append(&m[1].data, d->b.data, d->b.len);

    doc_start(d, key, m[2].name, "zip");
    putf(d,
         "Configuration snapshot taken %s by the nightly backup job.\n"
         "Restore with: unzip -d /etc/app app-config-%s.zip\n",
         g->date, g->date);
    if (d->err == RP_OK) d->err = rp_buf_append(&m[2].data, d->b.data, d->b.len);

    if (d->err != RP_OK) e = rp_fail(g->eb, d->err, "side-documents: cannot render '%s'", key);
    struct rp_buf z;
    rp_buf_init(&z, DOC_MAX);
    if (e == RP_OK) e = zip_build(m, 3, g->day0, &z);
    if (e == RP_OK)
        e = rp_sim_out_put(g->run, SRC_LABEL, key, RP_SIM_OUT_PLAIN, z.data, z.len, 3, g->eb);
    if (e == RP_OK) e = flush_truth(g);
    rp_buf_release(&z);
    for (int i = 0; i < 3; i++) rp_buf_release(&m[i].data);
    return e;
}

static void hr_csv(struct gen *g, bool decoy_only)
{
    struct doc *d = &g->d;
    put(d, "employee_id,name,country,phone,date_of_birth,ssn,nhs_number,iban,salary,start_date\n");
    char v[64];
    static const char *const countries[] = {"US", "GB", "DE", "US", "FR", "NL"};
    for (uint32_t i = 0; i < g->rows / 2 + 3; i++) {
        struct person p;
        person_gen(&g->r, &p);
        const char *cty = countries[i % RP_ARRAY_LEN(countries)];
        putf(d, "E%05u,", 1000 + i);
        if (decoy_only)
            putf(d, "Sample Employee %u,%s,(000) 000-0000,1900-01-01,", i + 1, cty);
        else {
            col(d, p.name, I_NAME, NULL, "name");
            putf(d, ",%s,", cty);
            col(d, p.phone, I_PHONE, NULL, "phone");
            put(d, ",");
            col(d, p.dob, I_DOB, NULL, "date_of_birth");
            put(d, ",");
        }
        bool us = strcmp(cty, "US") == 0, gb = strcmp(cty, "GB") == 0;
        if (us) {
            ssn_gen(&g->r, !decoy_only, v, sizeof(v));
            col(d, v, I_SSN, decoy_only ? "invalid-ssn" : NULL, "ssn");
        }
        put(d, ",");
        if (gb) {
            nhs_gen(&g->r, !decoy_only, v, sizeof(v));
            col(d, v, I_NHS, decoy_only ? "nhs-bad-check" : NULL, "nhs_number");
        }
        put(d, ",");
        if (!us) {
            iban_gen(&g->r, cty, !decoy_only, v, sizeof(v));
            col(d, v, I_IBAN, decoy_only ? "iban-bad-check" : NULL, "iban");
        }
        putf(d, ",%u,20%02u-%02u-01\n", 45000 + 1000 * rp_sim_rng_below(&g->r, 90),
             (unsigned)rp_sim_rng_range(&g->r, 12, 25), (unsigned)rp_sim_rng_range(&g->r, 1, 12));
    }
}

static void notes_txt(struct gen *g, bool decoy_only)
{
    struct doc *d = &g->d;
    struct person p;
    person_gen(&g->r, &p);
    char v[64], f[64], uuid[RP_SIM_UUID_SZ], sha[65];
    putf(d, "Meeting notes %s - onboarding and payroll\n\nAttendees: ", g->date);
    if (decoy_only)
        put(d, "HR team, IT team");
    else
        rec(d, p.name, I_NAME, NULL, NULL);
    put(d, "\n\n- Payroll setup for the new hire is blocked until HR receives the SSN: ");
    ssn_gen(&g->r, !decoy_only, v, sizeof(v));
    rec(d, v, I_SSN, decoy_only ? "invalid-ssn" : NULL, NULL);
    put(d, "\n- Card reader ticket ");
    card_gen(&g->r, false, v, sizeof(v));
    card_format(v, ' ', f, sizeof(f));
    rec(d, f, I_CC, "luhn-fail", NULL);
    put(d, " is still open (the number is our vendor's ticket id, not a card).\n");
    put(d, "- Laptop image checksum (sha256): ");
    rp_sim_rng_hex(&g->r, sha, 64);
    rec(d, sha, I__COUNT, "sha256", NULL);
    put(d, "\n- Tracking id for the equipment order: ");
    rp_sim_rng_uuid(&g->r, uuid);
    rec(d, uuid, I__COUNT, "uuid", NULL);
    put(d, "\n\nNext meeting in two weeks.\n");
}

static rp_err keys_docs(struct gen *g)
{
    char priv[1400], pub[256], pem[2200], comment[64];
    snprintf(comment, sizeof(comment), "deploy@%s-ci", g->run->world->company);
    sshkey_gen(&g->r, comment, priv, sizeof(priv), pub, sizeof(pub));
    begin_doc(g, "keys/id_ed25519", NULL);
    rec(&g->d, priv, I_SSH, NULL, NULL);
    put(&g->d, "\n");
    rp_err e = end_doc(g, RP_SIM_OUT_PLAIN);
    if (e != RP_OK) return e;
    begin_doc(g, "keys/id_ed25519.pub", NULL);
    rec(&g->d, pub, I_SSH, "public-key", NULL);
    put(&g->d, "\n");
    e = end_doc(g, RP_SIM_OUT_PLAIN);
    if (e != RP_OK) return e;
    pkcs8_gen(&g->r, pem, sizeof(pem));
    begin_doc(g, "keys/server.key", NULL);
    rec(&g->d, pem, I_PKCS, NULL, NULL);
    put(&g->d, "\n");
    return end_doc(g, RP_SIM_OUT_PLAIN);
}

static void aws_docs_md(struct gen *g)
{
    struct doc *d = &g->d;
    put(d, "# Setting up the AWS CLI\n\nRun `aws configure` and enter your own keys. The values "
           "below are the examples from the AWS documentation and do not work:\n\n```\n");
    example_pair(d, "aws_access_key_id", "aws_secret_access_key", " = ");
    put(d, "```\n\nNever commit real keys to this bucket.\n");
}

static rp_err handover_zip(struct gen *g)
{
    struct zip_member m[2];
    memset(m, 0, sizeof(m));
    for (int i = 0; i < 2; i++) rp_buf_init(&m[i].data, DOC_MAX);
    rp_strlcpy(m[0].name, "handover.txt", sizeof(m[0].name));
    rp_strlcpy(m[1].name, "contacts.csv", sizeof(m[1].name));
    char rel[128], key[RP_SIM_MAX_KEY], v[1024];
    snprintf(rel, sizeof(rel), "archive/handover-%s.zip", g->date);
    key_of(g, rel, key, sizeof(key));
    struct doc *d = &g->d;
    struct person p;
    person_gen(&g->r, &p);

    doc_start(d, key, m[0].name, "zip");
    put(d, "Handover notes for the on-call rotation\n\nAdmin API token (expires soon):\n");
    jwt_gen(&g->r, &p, g->day0 / 1000 - 86400, v, sizeof(v));
    rec(d, v, I_JWT, NULL, NULL);
    put(d, "\n\nLegacy metrics endpoint needs this header:\n");
    basic_gen(&g->r, v, sizeof(v));
    rec(d, v, I_BASIC, NULL, NULL);
    put(d, "\n");
    if (d->err == RP_OK) d->err = rp_buf_append(&m[0].data, d->b.data, d->b.len);
    g->planted |= d->planted;
    d->planted = 0;

    doc_start(d, key, m[1].name, "zip");
    put(d, "name,role,phone\n");
    static const char *const roles[] = {"primary on-call", "secondary on-call", "manager"};
    for (int i = 0; i < 3; i++) {
        person_gen(&g->r, &p);
        col(d, p.name, I_NAME, NULL, "name");
        putf(d, ",%s,", roles[i]);
        col(d, p.phone, I_PHONE, NULL, "phone");
        put(d, "\n");
    }
    if (d->err == RP_OK) d->err = rp_buf_append(&m[1].data, d->b.data, d->b.len);
    g->planted |= d->planted;
    d->planted = 0;

    rp_err e = RP_OK;
    if (d->err != RP_OK) e = rp_fail(g->eb, d->err, "side-documents: cannot render '%s'", key);
    struct rp_buf z;
    rp_buf_init(&z, DOC_MAX);
    if (e == RP_OK) e = zip_build(m, 2, g->day0, &z);
    if (e == RP_OK)
        e = rp_sim_out_put(g->run, SRC_LABEL, key, RP_SIM_OUT_PLAIN, z.data, z.len, 2, g->eb);
    if (e == RP_OK) e = flush_truth(g);
    rp_buf_release(&z);
    for (int i = 0; i < 2; i++) rp_buf_release(&m[i].data);
    return e;
}

/* Application log lines; with leaks, credentials a debug logger wrote out. */
static void app_log(struct gen *g, bool leaks)
{
    struct doc *d = &g->d;
    static const char *const paths[] = {"/api/v1/orders", "/api/v1/customers",
                                        "/healthz",       "/api/v1/cart",
                                        "/login",         "/api/v1/search"};
    char uuid[RP_SIM_UUID_SZ], v[1024], sha[65];
    uint32_t n = g->rows + 10;
    for (uint32_t i = 0; i < n; i++) {
        unsigned hh = i * 24 / n, mm = rp_sim_rng_below(&g->r, 60),
                 ss = rp_sim_rng_below(&g->r, 60);
        putf(d, "%sT%02u:%02u:%02u.%03uZ INFO  [http-%u] ", g->prev, hh, mm, ss,
             rp_sim_rng_below(&g->r, 1000), rp_sim_rng_below(&g->r, 16));
        put(d, "request_id=");
        rp_sim_rng_uuid(&g->r, uuid);
        rec(d, uuid, I__COUNT, "uuid", NULL);
        putf(d, " method=GET path=%s status=%u duration_ms=%u\n", PICK(&g->r, paths),
             rp_sim_rng_chance(&g->r, 950) ? 200u : 500u,
             (unsigned)rp_sim_rng_range(&g->r, 3, 900));
        if (i == n / 5) {
            putf(d, "%sT%02u:%02u:%02u.000Z INFO  [main] artifact etag sha256=", g->prev, hh, mm,
                 ss);
            rp_sim_rng_hex(&g->r, sha, 64);
            rec(d, sha, I__COUNT, "sha256", NULL);
            put(d, "\n");
        }
        if (!leaks) continue;
        if (i == n / 3) {
            putf(d, "%sT%02u:%02u:%02u.000Z DEBUG [main] loaded credentials from environment:\n",
                 g->prev, hh, mm, ss);
            aws_pair(g, "  aws_access_key_id", "  aws_secret_access_key", "=");
        } else if (i == n / 2) {
            struct person p;
            person_gen(&g->r, &p);
            jwt_gen(&g->r, &p, g->day0 / 1000 - 3600, v, sizeof(v));
            putf(d,
                 "%sT%02u:%02u:%02u.000Z DEBUG [http-3] upstream request headers: "
                 "Authorization: Bearer ",
                 g->prev, hh, mm, ss);
            rec(d, v, I_JWT, NULL, NULL);
            put(d, "\n");
        } else if (i == 2 * n / 3) {
            basic_gen(&g->r, v, sizeof(v));
            putf(d,
                 "%sT%02u:%02u:%02u.000Z DEBUG [http-7] proxy request to "
                 "http://metrics.internal:9090/api/v1/query headers: ",
                 g->prev, hh, mm, ss);
            rec(d, v, I_BASIC, NULL, NULL);
            put(d, "\n");
        } else if (i == 3 * n / 4) {
            putf(d, "%sT%02u:%02u:%02u.000Z DEBUG [main] sdk default profile (docs sample):\n",
                 g->prev, hh, mm, ss);
            example_pair(d, "  aws_access_key_id", "  aws_secret_access_key", "=");
        }
    }
}

static rp_err bucket_docs(struct gen *g)
{
    bool decoy = (g->bk->res.marks & RP_SIM_MARK_DECOY) != 0;
    char rel[160];
    rp_err e = RP_OK;
    if (decoy) {
        /* look-alikes only: test fixtures, documentation, logs without secrets */
        begin_doc(g, "exports/test-data/customers-sample.csv", NULL);
        customers_csv(g, true);
        e = end_doc(g, RP_SIM_OUT_PLAIN);
        if (e == RP_OK) {
            begin_doc(g, "exports/test-data/employees-sample.csv", NULL);
            hr_csv(g, true);
            e = end_doc(g, RP_SIM_OUT_PLAIN);
        }
        if (e == RP_OK) {
            begin_doc(g, "docs/aws-cli-setup.md", NULL);
            aws_docs_md(g);
            e = end_doc(g, RP_SIM_OUT_PLAIN);
        }
        if (e == RP_OK) {
            begin_doc(g, "notes/onboarding-template.txt", NULL);
            notes_txt(g, true);
            e = end_doc(g, RP_SIM_OUT_PLAIN);
        }
        if (e == RP_OK) {
            snprintf(rel, sizeof(rel), "logs/app/app-%s.log", g->prev);
            begin_doc(g, rel, NULL);
            app_log(g, false);
            e = end_doc(g, RP_SIM_OUT_PLAIN);
        }
        return e;
    }
    switch (g->bk->purpose) {
    case RP_SIM_BUCKET_DATA:
        snprintf(rel, sizeof(rel), "exports/customers/customers-%s.csv", g->date);
        begin_doc(g, rel, NULL);
        customers_csv(g, false);
        e = end_doc(g, RP_SIM_OUT_PLAIN);
        if (e == RP_OK) {
            snprintf(rel, sizeof(rel), "exports/customers/customers-%s.csv.gz", g->prev);
            begin_doc(g, rel, "gzip");
            customers_csv(g, false);
            e = end_doc(g, RP_SIM_OUT_GZIP);
        }
        if (e == RP_OK) {
            snprintf(rel, sizeof(rel), "api/orders/orders-%s.json", g->date);
            begin_doc(g, rel, NULL);
            orders_json(g);
            e = end_doc(g, RP_SIM_OUT_PLAIN);
        }
        if (e == RP_OK) {
            begin_doc(g, "reports/quarterly-summary.txt", NULL);
            report_txt(g);
            e = end_doc(g, RP_SIM_OUT_PLAIN);
        }
        break;
    case RP_SIM_BUCKET_BACKUP:
        snprintf(rel, sizeof(rel), "db/customers-%s.sql.gz", g->date);
        begin_doc(g, rel, "gzip");
        sql_dump(g);
        e = end_doc(g, RP_SIM_OUT_GZIP);
        if (e == RP_OK) e = config_zip(g);
        break;
    case RP_SIM_BUCKET_SHARED:
        snprintf(rel, sizeof(rel), "hr/employees-%.4s.csv", g->date);
        begin_doc(g, rel, NULL);
        hr_csv(g, false);
        e = end_doc(g, RP_SIM_OUT_PLAIN);
        if (e == RP_OK) {
            snprintf(rel, sizeof(rel), "notes/meeting-notes-%s.txt", g->prev);
            begin_doc(g, rel, NULL);
            notes_txt(g, false);
            e = end_doc(g, RP_SIM_OUT_PLAIN);
        }
        if (e == RP_OK) e = keys_docs(g);
        if (e == RP_OK) {
            begin_doc(g, "docs/aws-cli-setup.md", NULL);
            aws_docs_md(g);
            e = end_doc(g, RP_SIM_OUT_PLAIN);
        }
        if (e == RP_OK) e = handover_zip(g);
        break;
    default:
        break;
    }
    if (e == RP_OK) {
        /* every data-holding bucket has an ordinary application log; a sensitive-marked one has
         * a debug log with leaked credentials too */
        snprintf(rel, sizeof(rel), "logs/app/app-%s.log", g->prev);
        begin_doc(g, rel, NULL);
        app_log(g, false);
        e = end_doc(g, RP_SIM_OUT_PLAIN);
    }
    if (e == RP_OK && (g->bk->res.marks & RP_SIM_MARK_SENSITIVE)) {
        snprintf(rel, sizeof(rel), "logs/debug/debug-%s.log", g->prev);
        begin_doc(g, rel, NULL);
        app_log(g, true);
        e = end_doc(g, RP_SIM_OUT_PLAIN);
    }
    return e;
}

static rp_err dc_begin(struct rp_sim_run *run, void *state, struct rp_errbuf *eb)
{
    (void)state;
    const struct rp_sim_world *w = run->world;
    struct gen g;
    memset(&g, 0, sizeof(g));
    g.run = run;
    g.eb = eb;
    g.rows = w->scale == RP_SIM_SCALE_LARGE ? 1000 : w->scale == RP_SIM_SCALE_MEDIUM ? 200 : 40;
    g.day0 = run->start_ms - run->start_ms % 86400000LL;
    ymd(g.day0, g.date, sizeof(g.date));
    ymd(g.day0 - 86400000LL, g.prev, sizeof(g.prev));
    rp_buf_init(&g.truth, 64 << 20);
    rp_err e =
        rp_sim_out_open(run, SRC_LABEL, "side-truth/sensitive.jsonl", RP_SIM_OUT_PLAIN, &g.tf, eb);
    if (e != RP_OK) {
        rp_buf_release(&g.truth);
        return e;
    }
    for (uint32_t b = 0; b < w->nbuckets && e == RP_OK; b++) {
        if (!rp_sim_side_doc_bucket(w, b) || w->buckets[b].res.deleted_ms != 0) continue;
        g.bk = &w->buckets[b];
        g.bidx = b;
        g.planted = 0;
        rp_sim_rng_initf(&g.r, run->seed, "side-documents/%s", g.bk->res.name);
        doc_init(&g.d, &g.truth, g.bk->res.name);
        e = bucket_docs(&g);
        rp_buf_release(&g.d.b);
        if (e == RP_OK && g.planted != bucket_mask(w, b))
            e = rp_fail(eb, RP_EINTERNAL,
                        "side-documents: bucket '%s' planted identifiers 0x%x, expected 0x%x",
                        g.bk->res.name, g.planted, bucket_mask(w, b));
    }
    rp_sim_file_add_records(g.tf, g.ntruth);
    rp_err e2 = rp_sim_file_close(g.tf, eb);
    rp_buf_release(&g.truth);
    return e != RP_OK ? e : e2;
}

const struct rp_sim_gen rp_sim_gen_side_documents = {
    .name = "side-documents",
    .summary = "documents in data, backup and shared buckets with planted sensitive data among "
               "decoys, every occurrence recorded in side-truth/sensitive.jsonl",
    .state_size = 0,
    .begin = dc_begin,
};
