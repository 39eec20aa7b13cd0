/* SPDX-License-Identifier: Apache-2.0 */
/* Hashing: thin wrappers so that only rp_hash.c includes xxhash.h and OpenSSL (STYLE.md B10).
 *
 * - XXH3 (xxHash 0.8) 64- and 128-bit: fast non-cryptographic hashes for hash tables, dedupe
 *   keys and log-safe fingerprints. Stable across runs, machines and byte orders for a given
 *   seed, so they may be persisted. Not collision-resistant against an attacker: key tables
 *   that hold untrusted input with a per-process random seed.
 * - SHA-256 (OpenSSL EVP): content identity, CloudTrail digest validation, finding ids.
 * - Lower-case hex encoding and strict decoding.
 * - Random bytes and version-4 UUIDs from OpenSSL's generator (RAND_bytes), for ids.
 *
 * One-shot functions allocate nothing and are thread-safe. An incremental state belongs to one
 * thread at a time. */
#ifndef RP_HASH_H
#define RP_HASH_H

#include "core/rp_err.h"
#include "core/rp_str.h"

#define RP_HASH_SHA256_LEN   32                           /* digest bytes */
#define RP_HASH_SHA256_HEXSZ (2 * RP_HASH_SHA256_LEN + 1) /* hex digest + NUL */

/* A 128-bit XXH3 value; the canonical (big-endian) rendering is hi then lo. */
struct rp_hash128 {
    uint64_t lo;
    uint64_t hi;
};

/* XXH3_64bits_withSeed of p[0..n) (p may be NULL when n is 0). Seed 0 equals plain XXH3_64bits. */
uint64_t rp_hash_xxh3_64(const void *p, size_t n, uint64_t seed);

/* XXH3_128bits_withSeed of p[0..n). */
struct rp_hash128 rp_hash_xxh3_128(const void *p, size_t n, uint64_t seed);

/* Mix v into the running hash h (order matters: combine(combine(s, a), b) differs from
 * combine(combine(s, b), a)). XXH3 of the 16 little-endian bytes of h and v, so the result is
 * the same on every platform. Use it to hash tuples (a 5-tuple, an (account, region) key). */
uint64_t rp_hash_combine(uint64_t h, uint64_t v);

/* Incremental XXH3. Feeding a message in any split gives the one-shot value with the same
 * seed; both the 64- and the 128-bit digest can be read from one state (xxHash 0.8 resets
 * the two variants identically, test_rp_hash pins this). */
struct rp_hash_xxh3;

/* A new state seeded with seed. NULL on allocation failure. Free with rp_hash_xxh3_free. */
struct rp_hash_xxh3 *rp_hash_xxh3_new(uint64_t seed);

/* Start a new message with seed, forgetting what was fed before. */
void rp_hash_xxh3_reset(struct rp_hash_xxh3 *st, uint64_t seed);

/* Feed p[0..n) (p may be NULL when n is 0). */
void rp_hash_xxh3_update(struct rp_hash_xxh3 *st, const void *p, size_t n);

/* Digest of everything fed since new/reset; the state is unchanged and may be fed further. */
uint64_t rp_hash_xxh3_digest64(const struct rp_hash_xxh3 *st);
struct rp_hash128 rp_hash_xxh3_digest128(const struct rp_hash_xxh3 *st);

/* Free st; NULL is a no-op. */
void rp_hash_xxh3_free(struct rp_hash_xxh3 *st);

/* SHA-256 of p[0..n) into out. Returns RP_OK, RP_ENOMEM, or RP_EINTERNAL if OpenSSL fails
 * (out is then zero-filled). */
rp_err rp_hash_sha256(const void *p, size_t n, uint8_t out[RP_HASH_SHA256_LEN]) RP_WUR;

/* HMAC-SHA-256 of msg[0..n) under key[0..klen) into out (RFC 2104, OpenSSL's HMAC). Returns
 * RP_OK or RP_EINTERNAL (out zero-filled). */
rp_err rp_hash_hmac_sha256(const void *key, size_t klen, const void *msg, size_t n,
                           uint8_t out[RP_HASH_SHA256_LEN]) RP_WUR;

/* As rp_hash_sha256, written as 64 lower-case hex digits and a NUL into out. On error out
 * holds "". */
rp_err rp_hash_sha256_hex(const void *p, size_t n, char out[RP_HASH_SHA256_HEXSZ]) RP_WUR;

/* Incremental SHA-256 (an EVP_MD_CTX). */
struct rp_hash_sha256;

/* A new state ready for rp_hash_sha256_update. NULL on allocation failure or if OpenSSL
 * cannot provide SHA-256. Free with rp_hash_sha256_free. */
struct rp_hash_sha256 *rp_hash_sha256_new(void);

/* Feed p[0..n). RP_OK, or RP_EINTERNAL if OpenSSL fails; the state must then be reset. */
rp_err rp_hash_sha256_update(struct rp_hash_sha256 *st, const void *p, size_t n) RP_WUR;

/* Write the digest of everything fed and reset st for a new message. RP_OK or RP_EINTERNAL
 * (out zero-filled). */
rp_err rp_hash_sha256_final(struct rp_hash_sha256 *st, uint8_t out[RP_HASH_SHA256_LEN]) RP_WUR;

/* Forget what was fed and start a new message. RP_OK or RP_EINTERNAL. */
rp_err rp_hash_sha256_reset(struct rp_hash_sha256 *st) RP_WUR;

/* Free st; NULL is a no-op. */
void rp_hash_sha256_free(struct rp_hash_sha256 *st);

/* Lower-case hex of p[0..n) into out[outsz] with a NUL: needs outsz >= 2n + 1, else
 * RP_ELIMIT and out holds "" (when outsz > 0). */
rp_err rp_hex_encode(char *out, size_t outsz, const void *p, size_t n) RP_WUR;

/* Decode hex text (upper or lower case, even length, no prefix, no spaces) into
 * out[0..outsz); *outlen gets the byte count (s.len / 2). RP_EPARSE with the offending
 * position in *eb for an odd length or a non-hex byte; RP_ELIMIT when outsz < s.len / 2.
 * out is unspecified on error. */
rp_err rp_hex_decode(struct rp_str s, void *out, size_t outsz, size_t *outlen,
                     struct rp_errbuf *eb) RP_WUR;

/* n random bytes into buf from OpenSSL's CSPRNG (RAND_bytes). RP_EIO when it has no entropy. */
rp_err rp_random_fill(void *buf, size_t n) RP_WUR;

/* A random version-4 UUID, lower-case, into out ("1b4e28ba-2fa1-4d2b-883f-0016d3cca427").
 * RP_EIO as rp_random_fill. */
rp_err rp_uuid_new(char out[37]) RP_WUR;

#endif
