/* SPDX-License-Identifier: Apache-2.0 */
/* CloudTrail digest signing keys and signatures (trail.h): the public keys of `aws cloudtrail
 * list-public-keys` (JSON, base64 DER) or PEM files, looked up by fingerprint; the signature
 * map exported from S3 object metadata; and the RSASSA-PKCS1-v1_5 / SHA-256 check itself.
 *
 * The only file of rp_trail that includes OpenSSL. It uses the EVP API of libcrypto 3.0
 * (d2i_PUBKEY / d2i_PublicKey, EVP_DigestVerify), no deprecated RSA_* calls. A PEM key's
 * fingerprint is the MD5 of its PKCS#1 DER encoding, the form CloudTrail publishes keys in
 * (see docs/trail.md for why this is an assumption). */
#define RP_LOG_MODULE "trail"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "core/rp_buf.h"
#include "core/rp_gz.h"
#include "core/rp_hash.h"
#include "core/rp_json.h"
#include "trail/trail_internal.h"
#include "core/rp_banned.h"

#define MAX_KEYFILE_BYTES (16u << 20) /* a key or signature file; real ones are a few KB */
#define MAX_SIG_BYTES     1024        /* RSA-8192; CloudTrail uses 2048-bit keys */
#define FP_MAX            128         /* fingerprint hex we keep */

struct trail_key {
    char fp[FP_MAX + 1]; /* lower-case hex */
    EVP_PKEY *pkey;
};

struct rp_trail_keys {
    struct trail_key *v;
    size_t n, cap;
};

struct trail_sig {
    char *key; /* suffix from "AWSLogs" */
    char *sig; /* hex, trimmed */
};

struct rp_trail_sigs {
    struct trail_sig *v;
    size_t n, cap;
};

/* ---- helpers ------------------------------------------------------------------------------ */

static void lower_copy(char *dst, size_t dstsz, const char *s, size_t n)
{
    size_t i = 0;
    for (; i < n && i + 1 < dstsz; i++) dst[i] = (char)tolower((unsigned char)s[i]);
    dst[i] = '\0';
}

/* Strict base64 (standard alphabet, '=' padding optional at the end, no whitespace) into out,
 * which must hold n * 3 / 4 + 3 bytes. */
static bool b64_decode(const char *s, size_t n, unsigned char *out, size_t *outlen)
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    while (n > 0 && s[n - 1] == '=') n--;
    if (n % 4 == 1) return false;
    uint32_t acc = 0;
    unsigned bits = 0;
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        const char *c = s[i] ? memchr(alphabet, s[i], 64) : NULL;
        if (!c) return false;
        acc = (acc << 6) | (uint32_t)(c - alphabet);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[o++] = (unsigned char)(acc >> bits);
        }
    }
    *outlen = o;
    return true;
}

/* MD5 of the PKCS#1 DER of pkey as lower-case hex. */
static rp_err key_fingerprint(EVP_PKEY *pkey, char out[FP_MAX + 1])
{
    unsigned char *der = NULL;
    int n = i2d_PublicKey(pkey, &der);
    if (n <= 0) return RP_EINTERNAL;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    int ok = EVP_Digest(der, (size_t)n, md, &mdlen, EVP_md5(), NULL);
    OPENSSL_free(der);
    if (!ok) return RP_EINTERNAL;
    return rp_hex_encode(out, FP_MAX + 1, md, mdlen);
}

/* An RSA public key from DER: SubjectPublicKeyInfo or PKCS#1 RSAPublicKey. NULL if neither. */
static EVP_PKEY *der_to_key(const unsigned char *der, size_t n, bool pkcs1_first)
{
    EVP_PKEY *k = NULL;
    for (int pass = 0; pass < 2 && !k; pass++) {
        const unsigned char *p = der;
        if ((pass == 0) == pkcs1_first)
            k = d2i_PublicKey(EVP_PKEY_RSA, NULL, &p, (long)n);
        else
            k = d2i_PUBKEY(NULL, &p, (long)n);
        if (k && p != der + n) { /* trailing bytes: not one key */
            EVP_PKEY_free(k);
            k = NULL;
        }
    }
    ERR_clear_error();
    if (k && !EVP_PKEY_is_a(k, "RSA")) {
        EVP_PKEY_free(k);
        k = NULL;
    }
    return k;
}

/* Takes ownership of pkey (freed on error). fp may be NULL: it is then computed. */
static rp_err keys_add(struct rp_trail_keys *ks, EVP_PKEY *pkey, const char *fp, size_t fplen)
{
    if (ks->n == ks->cap) {
        size_t cap = ks->cap ? ks->cap * 2 : 4;
        struct trail_key *v = realloc(ks->v, cap * sizeof *v);
        if (!v) {
            EVP_PKEY_free(pkey);
            return RP_ENOMEM;
        }
        ks->v = v;
        ks->cap = cap;
    }
    struct trail_key *k = &ks->v[ks->n];
    if (fp && fplen) {
        lower_copy(k->fp, sizeof k->fp, fp, fplen);
    } else {
        rp_err e = key_fingerprint(pkey, k->fp);
        if (e) {
            EVP_PKEY_free(pkey);
            return e;
        }
    }
    k->pkey = pkey;
    ks->n++;
    return RP_OK;
}

static bool looks_like_json(const struct rp_buf *b)
{
    for (size_t i = 0; i < b->len; i++) {
        unsigned char c = (unsigned char)b->data[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
        return c == '{' || c == '[';
    }
    return false;
}

static rp_err read_whole(const char *path, const char *what, struct rp_buf *b, struct rp_errbuf *eb)
{
    rp_buf_init(b, MAX_KEYFILE_BYTES);
    struct rp_errbuf e2 = {0};
    rp_err e = rp_gz_read_file(path, NULL, b, &e2);
    if (e) {
        rp_buf_release(b);
        return rp_fail(eb, e, "trail: %s: cannot read '%s': %s", what, path, rp_errbuf_msg(&e2, e));
    }
    return RP_OK;
}

/* ---- public keys ------------------------------------------------------------------------- */

static rp_err keys_from_json(struct rp_trail_keys *ks, const struct rp_buf *b, const char *path,
                             struct rp_errbuf *eb)
{
    struct rp_json_parser *p = rp_json_parser_new();
    if (!p) return RP_ENOMEM;
    struct rp_json_val root, list, el;
    struct rp_errbuf e2 = {0};
    rp_err e = rp_json_parse_buf(p, b, &root, &e2);
    if (e) {
        e = rp_fail(eb, e, "trail: keys: '%s': %s", path, rp_errbuf_msg(&e2, e));
        goto out;
    }
    if (rp_json_obj_get(root, "PublicKeyList", &list) != RP_OK ||
        rp_json_type(list) != RP_JSON_ARRAY) {
        e = rp_fail(eb, RP_EPARSE, "trail: keys: '%s' has no 'PublicKeyList' array", path);
        goto out;
    }
    struct rp_json_iter it;
    size_t idx = 0;
    if (rp_json_arr_iter(list, &it) != RP_OK) {
        e = rp_fail(eb, RP_EPARSE, "trail: keys: '%s' has no 'PublicKeyList' array", path);
        goto out;
    }
    for (; rp_json_arr_next(&it, &el); idx++) {
        struct rp_str val = {0}, fp = {0};
        if (rp_json_obj_get_str(el, "Value", &val) != RP_OK) {
            e = rp_fail(eb, RP_EPARSE, "trail: keys: '%s': key %zu has no 'Value' string", path,
                        idx);
            goto out;
        }
        if (rp_json_obj_get_str(el, "Fingerprint", &fp) == RP_OK && fp.len > FP_MAX) {
            e = rp_fail(eb, RP_EPARSE, "trail: keys: '%s': key %zu: fingerprint too long", path,
                        idx);
            goto out;
        }
        unsigned char *der = malloc(val.len / 4 * 3 + 4);
        size_t dlen = 0;
        if (!der) {
            e = RP_ENOMEM;
            goto out;
        }
        EVP_PKEY *k = NULL;
        if (b64_decode(val.p, val.len, der, &dlen)) k = der_to_key(der, dlen, true);
        free(der);
        if (!k) {
            e = rp_fail(eb, RP_EPARSE, "trail: keys: '%s': key %zu is not a base64 DER RSA key",
                        path, idx);
            goto out;
        }
        if ((e = keys_add(ks, k, fp.p, fp.len))) goto out;
    }
out:
    rp_json_parser_free(p);
    return e;
}

static rp_err keys_from_pem(struct rp_trail_keys *ks, const struct rp_buf *b, const char *path,
                            struct rp_errbuf *eb)
{
    BIO *bio = BIO_new_mem_buf(b->data, (int)b->len);
    if (!bio) return RP_ENOMEM;
    rp_err e = RP_OK;
    for (size_t idx = 0;; idx++) {
        char *name = NULL, *header = NULL;
        unsigned char *data = NULL;
        long len = 0;
        if (!PEM_read_bio(bio, &name, &header, &data, &len)) {
            unsigned long err = ERR_peek_last_error();
            ERR_clear_error();
            /* "no start line" is the normal end; anything else is a broken block. */
            if (ERR_GET_REASON(err) != PEM_R_NO_START_LINE)
                e = rp_fail(eb, RP_EPARSE, "trail: keys: '%s': PEM block %zu is malformed", path,
                            idx);
            break;
        }
        EVP_PKEY *k = NULL;
        bool known = strcmp(name, "RSA PUBLIC KEY") == 0 || strcmp(name, "PUBLIC KEY") == 0;
        if (known) k = der_to_key(data, (size_t)len, strcmp(name, "RSA PUBLIC KEY") == 0);
        if (!k)
            e = rp_fail(eb, RP_EPARSE, "trail: keys: '%s': PEM block %zu ('%s') is not an RSA %s",
                        path, idx, name, "public key");
        OPENSSL_free(name);
        OPENSSL_free(header);
        OPENSSL_free(data);
        if (e || (e = keys_add(ks, k, NULL, 0))) break;
    }
    BIO_free(bio);
    return e;
}

rp_err rp_trail_keys_load(const char *path, struct rp_trail_keys **out, struct rp_errbuf *eb)
{
    *out = NULL;
    struct rp_buf b;
    rp_err e = read_whole(path, "keys", &b, eb);
    if (e) return e;
    struct rp_trail_keys *ks = calloc(1, sizeof *ks);
    if (!ks) {
        rp_buf_release(&b);
        return RP_ENOMEM;
    }
    if (looks_like_json(&b))
        e = keys_from_json(ks, &b, path, eb);
    else
        e = keys_from_pem(ks, &b, path, eb);
    rp_buf_release(&b);
    if (!e && ks->n == 0) e = rp_fail(eb, RP_EPARSE, "trail: keys: no public key in '%s'", path);
    if (e) {
        rp_trail_keys_free(ks);
        return e;
    }
    *out = ks;
    return RP_OK;
}

size_t rp_trail_keys_count(const struct rp_trail_keys *k)
{
    return k ? k->n : 0;
}

void rp_trail_keys_free(struct rp_trail_keys *k)
{
    if (!k) return;
    for (size_t i = 0; i < k->n; i++) EVP_PKEY_free(k->v[i].pkey);
    free(k->v);
    free(k);
}

rp_err rp_trail_keys_verify(const struct rp_trail_keys *k, const char *fingerprint,
                            const char *sig_hex, const void *msg, size_t n,
                            enum rp_trail_sigcheck *res, struct rp_errbuf *eb)
{
    char fp[FP_MAX + 1];
    lower_copy(fp, sizeof fp, fingerprint, strlen(fingerprint));
    EVP_PKEY *pkey = NULL;
    for (size_t i = 0; k && i < k->n && !pkey; i++)
        if (strcmp(k->v[i].fp, fp) == 0) pkey = k->v[i].pkey;
    if (!pkey) {
        *res = RP_TRAIL_SIG_NO_KEY;
        return RP_OK;
    }
    uint8_t sig[MAX_SIG_BYTES];
    size_t siglen = 0;
    *res = RP_TRAIL_SIG_BAD;
    if (rp_hex_decode(rp_str_from(sig_hex), sig, sizeof sig, &siglen, NULL) != RP_OK || !siglen)
        return RP_OK;
    EVP_MD_CTX *mctx = EVP_MD_CTX_new();
    if (!mctx) return rp_fail(eb, RP_ENOMEM, "trail: out of memory");
    EVP_PKEY_CTX *pctx = NULL;
    rp_err e = RP_OK;
    if (EVP_DigestVerifyInit_ex(mctx, &pctx, "SHA256", NULL, NULL, pkey, NULL) != 1 ||
        EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) != 1) {
        e = rp_fail(eb, RP_EINTERNAL, "trail: cannot set up SHA256withRSA verification");
    } else if (EVP_DigestVerify(mctx, sig, siglen, msg, n) == 1) {
        *res = RP_TRAIL_SIG_OK;
    }
    ERR_clear_error();
    EVP_MD_CTX_free(mctx);
    return e;
}

/* ---- signatures ------------------------------------------------------------------------- */

static int sig_cmp(const void *a, const void *b)
{
    return strcmp(((const struct trail_sig *)a)->key, ((const struct trail_sig *)b)->key);
}

static rp_err sigs_add(struct rp_trail_sigs *ss, const char *key, struct rp_str sig)
{
    if (ss->n == ss->cap) {
        size_t cap = ss->cap ? ss->cap * 2 : 16;
        struct trail_sig *v = realloc(ss->v, cap * sizeof *v);
        if (!v) return RP_ENOMEM;
        ss->v = v;
        ss->cap = cap;
    }
    sig = rp_str_trim(sig);
    struct trail_sig *s = &ss->v[ss->n];
    s->key = strdup(key);
    s->sig = malloc(sig.len + 1);
    if (!s->key || !s->sig) {
        free(s->key);
        free(s->sig);
        return RP_ENOMEM;
    }
    memcpy(s->sig, sig.p, sig.len);
    s->sig[sig.len] = '\0';
    ss->n++;
    return RP_OK;
}

/* The signature inside a map value: a string, {"Metadata": {"signature": ..}} as head-object
 * prints it, or {"signature": ..}. */
static bool sig_of_value(struct rp_json_val v, struct rp_str *sig)
{
    struct rp_json_val md;
    if (rp_json_get_str(v, sig) == RP_OK) return true;
    if (rp_json_obj_get(v, "Metadata", &md) == RP_OK)
        return rp_json_obj_get_str(md, "signature", sig) == RP_OK;
    return rp_json_obj_get_str(v, "signature", sig) == RP_OK;
}

rp_err rp_trail_sigs_load(const char *path, struct rp_trail_sigs **out, struct rp_errbuf *eb)
{
    *out = NULL;
    struct rp_buf b;
    rp_err e = read_whole(path, "signatures", &b, eb);
    if (e) return e;
    struct rp_trail_sigs *ss = calloc(1, sizeof *ss);
    struct rp_json_parser *p = rp_json_parser_new();
    if (!ss || !p) {
        e = RP_ENOMEM;
        goto out;
    }
    struct rp_json_val root, v;
    struct rp_errbuf e2 = {0};
    struct rp_json_iter it;
    struct rp_str name;
    if ((e = rp_json_parse_buf(p, &b, &root, &e2))) {
        e = rp_fail(eb, e, "trail: signatures: '%s': %s", path, rp_errbuf_msg(&e2, e));
        goto out;
    }
    if (rp_json_obj_iter(root, &it) != RP_OK) {
        e = rp_fail(eb, RP_EPARSE, "trail: signatures: '%s' is not a JSON object", path);
        goto out;
    }
    while (!e && rp_json_obj_next(&it, &name, &v)) {
        struct rp_str sig;
        const char *key = strlen(name.p) == name.len ? rp_trail_key_suffix(name.p) : NULL;
        if (!key) {
            e = rp_fail(eb, RP_EPARSE, "trail: signatures: '%s': key '%.*s' has no 'AWSLogs/'",
                        path, (int)(name.len > 120 ? 120 : name.len), name.p);
        } else if (!sig_of_value(v, &sig)) {
            e = rp_fail(eb, RP_EPARSE, "trail: signatures: '%s': no signature for '%s'", path, key);
        } else {
            e = sigs_add(ss, key, sig);
        }
    }
    if (!e && ss->n) qsort(ss->v, ss->n, sizeof *ss->v, sig_cmp);
out:
    rp_json_parser_free(p);
    rp_buf_release(&b);
    if (e) {
        rp_trail_sigs_free(ss);
        return e;
    }
    *out = ss;
    return RP_OK;
}

void rp_trail_sigs_free(struct rp_trail_sigs *s)
{
    if (!s) return;
    for (size_t i = 0; i < s->n; i++) {
        free(s->v[i].key);
        free(s->v[i].sig);
    }
    free(s->v);
    free(s);
}

const char *rp_trail_sigs_find(const struct rp_trail_sigs *s, const char *key)
{
    if (!s || !s->n) return NULL;
    struct trail_sig probe = {(char *)key, NULL};
    const struct trail_sig *hit = bsearch(&probe, s->v, s->n, sizeof *s->v, sig_cmp);
    return hit ? hit->sig : NULL;
}
