/* SPDX-License-Identifier: Apache-2.0 */
/* rp_hash: XXH3 (libxxhash), SHA-256 (OpenSSL libcrypto EVP) and hex helpers (see rp_hash.h).
 *
 * The only file that includes xxhash.h for hashing APIs and OpenSSL's EVP headers, so the
 * rest of Rampart sees plain C types. Incremental states are heap objects because both
 * libraries' state types are defined in their own headers (XXH3_state_t needs 64-byte
 * alignment; EVP_MD_CTX is opaque and always heap-allocated by OpenSSL). */
#define XXH_STATIC_LINKING_ONLY /* full XXH3_state_t, to embed it */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <xxhash.h>

#include "core/rp_hash.h"
#include "core/rp_banned.h"

struct rp_hash_xxh3 {
    XXH3_state_t s;
};

struct rp_hash_sha256 {
    EVP_MD_CTX *ctx;
};

static const char hexdig[] = "0123456789abcdef";

/* libxxhash reads nothing when n is 0, but keep NULL away from memcpy-style code paths. */
static const void *nonnull(const void *p)
{
    return p ? p : "";
}

uint64_t rp_hash_xxh3_64(const void *p, size_t n, uint64_t seed)
{
    return XXH3_64bits_withSeed(nonnull(p), n, seed);
}

struct rp_hash128 rp_hash_xxh3_128(const void *p, size_t n, uint64_t seed)
{
    XXH128_hash_t h = XXH3_128bits_withSeed(nonnull(p), n, seed);
    struct rp_hash128 r = {h.low64, h.high64};
    return r;
}

uint64_t rp_hash_combine(uint64_t h, uint64_t v)
{
    unsigned char b[16];
    for (int i = 0; i < 8; i++) {
        b[i] = (unsigned char)(h >> (8 * i));
        b[8 + i] = (unsigned char)(v >> (8 * i));
    }
    return XXH3_64bits(b, sizeof b);
}

struct rp_hash_xxh3 *rp_hash_xxh3_new(uint64_t seed)
{
    /* XXH3_state_t is declared 64-byte aligned, so its size is a multiple of 64. */
    struct rp_hash_xxh3 *st = aligned_alloc(64, sizeof *st);
    if (!st) return NULL;
    rp_hash_xxh3_reset(st, seed);
    return st;
}

void rp_hash_xxh3_reset(struct rp_hash_xxh3 *st, uint64_t seed)
{
    /* Cannot fail for a valid state pointer. */
    (void)XXH3_64bits_reset_withSeed(&st->s, seed);
}

void rp_hash_xxh3_update(struct rp_hash_xxh3 *st, const void *p, size_t n)
{
    if (n) (void)XXH3_64bits_update(&st->s, p, n);
}

uint64_t rp_hash_xxh3_digest64(const struct rp_hash_xxh3 *st)
{
    return XXH3_64bits_digest(&st->s);
}

struct rp_hash128 rp_hash_xxh3_digest128(const struct rp_hash_xxh3 *st)
{
    XXH128_hash_t h = XXH3_128bits_digest(&st->s);
    struct rp_hash128 r = {h.low64, h.high64};
    return r;
}

void rp_hash_xxh3_free(struct rp_hash_xxh3 *st)
{
    free(st);
}

rp_err rp_hash_sha256(const void *p, size_t n, uint8_t out[RP_HASH_SHA256_LEN])
{
    unsigned int len = 0;
    if (!EVP_Digest(nonnull(p), n, out, &len, EVP_sha256(), NULL) || len != RP_HASH_SHA256_LEN) {
        memset(out, 0, RP_HASH_SHA256_LEN);
        return RP_EINTERNAL;
    }
    return RP_OK;
}

rp_err rp_hash_hmac_sha256(const void *key, size_t klen, const void *msg, size_t n,
                           uint8_t out[RP_HASH_SHA256_LEN])
{
    unsigned int len = 0;
    if (klen > INT32_MAX ||
        !HMAC(EVP_sha256(), nonnull(key), (int)klen, nonnull(msg), n, out, &len) ||
        len != RP_HASH_SHA256_LEN) {
        memset(out, 0, RP_HASH_SHA256_LEN);
        return RP_EINTERNAL;
    }
    return RP_OK;
}

rp_err rp_hash_sha256_hex(const void *p, size_t n, char out[RP_HASH_SHA256_HEXSZ])
{
    uint8_t d[RP_HASH_SHA256_LEN];
    rp_err e = rp_hash_sha256(p, n, d);
    if (e) {
        out[0] = '\0';
        return e;
    }
    return rp_hex_encode(out, RP_HASH_SHA256_HEXSZ, d, sizeof d);
}

struct rp_hash_sha256 *rp_hash_sha256_new(void)
{
    struct rp_hash_sha256 *st = malloc(sizeof *st);
    if (!st) return NULL;
    st->ctx = EVP_MD_CTX_new();
    if (!st->ctx || !EVP_DigestInit_ex(st->ctx, EVP_sha256(), NULL)) {
        rp_hash_sha256_free(st);
        return NULL;
    }
    return st;
}

rp_err rp_hash_sha256_update(struct rp_hash_sha256 *st, const void *p, size_t n)
{
    if (n == 0) return RP_OK;
    return EVP_DigestUpdate(st->ctx, p, n) ? RP_OK : RP_EINTERNAL;
}

rp_err rp_hash_sha256_final(struct rp_hash_sha256 *st, uint8_t out[RP_HASH_SHA256_LEN])
{
    unsigned int len = 0;
    if (!EVP_DigestFinal_ex(st->ctx, out, &len) || len != RP_HASH_SHA256_LEN) {
        memset(out, 0, RP_HASH_SHA256_LEN);
        return RP_EINTERNAL;
    }
    return rp_hash_sha256_reset(st);
}

rp_err rp_hash_sha256_reset(struct rp_hash_sha256 *st)
{
    return EVP_DigestInit_ex(st->ctx, EVP_sha256(), NULL) ? RP_OK : RP_EINTERNAL;
}

void rp_hash_sha256_free(struct rp_hash_sha256 *st)
{
    if (!st) return;
    EVP_MD_CTX_free(st->ctx);
    free(st);
}

rp_err rp_hex_encode(char *out, size_t outsz, const void *p, size_t n)
{
    const unsigned char *b = p;
    if (outsz == 0) return RP_ELIMIT;
    if (n > (outsz - 1) / 2) {
        out[0] = '\0';
        return RP_ELIMIT;
    }
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hexdig[b[i] >> 4];
        out[2 * i + 1] = hexdig[b[i] & 15];
    }
    out[2 * n] = '\0';
    return RP_OK;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

rp_err rp_hex_decode(struct rp_str s, void *out, size_t outsz, size_t *outlen, struct rp_errbuf *eb)
{
    unsigned char *o = out;
    if (s.len % 2)
        return rp_fail(eb, RP_EPARSE, "hex: odd length %zu, expected pairs of digits", s.len);
    if (s.len / 2 > outsz)
        return rp_fail(eb, RP_ELIMIT, "hex: %zu bytes do not fit in %zu", s.len / 2, outsz);
    for (size_t i = 0; i < s.len; i += 2) {
        int hi = hexval(s.p[i]), lo = hexval(s.p[i + 1]);
        if (hi < 0 || lo < 0) {
            size_t at = hi < 0 ? i : i + 1;
            unsigned char c = (unsigned char)s.p[at];
            if (c >= 0x20 && c < 0x7f)
                return rp_fail(eb, RP_EPARSE, "hex: bad digit '%c' at %zu", c, at);
            return rp_fail(eb, RP_EPARSE, "hex: bad byte 0x%02x at %zu", c, at);
        }
        o[i / 2] = (unsigned char)(hi << 4 | lo);
    }
    *outlen = s.len / 2;
    return RP_OK;
}

rp_err rp_random_fill(void *buf, size_t n)
{
    if (n > INT_MAX) return RP_EINVAL;
    return n == 0 || RAND_bytes(buf, (int)n) == 1 ? RP_OK : RP_EIO;
}

rp_err rp_uuid_new(char out[37])
{
    unsigned char b[16];
    rp_err e = rp_random_fill(b, sizeof b);
    if (e) return e;
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40); /* version 4 */
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80); /* variant 10xx */
    static const char hex[] = "0123456789abcdef";
    size_t k = 0;
    for (size_t i = 0; i < sizeof b; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out[k++] = '-';
        out[k++] = hex[b[i] >> 4];
        out[k++] = hex[b[i] & 15];
    }
    out[k] = '\0';
    return RP_OK;
}
