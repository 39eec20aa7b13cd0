/* SPDX-License-Identifier: Apache-2.0 */
/* Private to src/trail: what trail_verify.c needs from the key and signature sets of
 * trail_keys.c, without exposing OpenSSL types. */
#ifndef RP_TRAIL_INTERNAL_H
#define RP_TRAIL_INTERNAL_H

#include "trail/trail.h"

enum rp_trail_sigcheck {
    RP_TRAIL_SIG_OK,     /* the signature verifies */
    RP_TRAIL_SIG_NO_KEY, /* no key has that fingerprint */
    RP_TRAIL_SIG_BAD,    /* it does not verify (or is not well-formed hex) */
};

/* Verify the hex signature sig_hex over msg[0..n) with RSASSA-PKCS1-v1_5 and SHA-256, using
 * the key whose fingerprint equals fingerprint (hex, either case). *res gets the outcome.
 * Returns RP_OK, or RP_ENOMEM / RP_EINTERNAL when OpenSSL cannot run at all. */
rp_err rp_trail_keys_verify(const struct rp_trail_keys *k, const char *fingerprint,
                            const char *sig_hex, const void *msg, size_t n,
                            enum rp_trail_sigcheck *res, struct rp_errbuf *eb) RP_WUR;

/* The signature stored for the digest whose key suffix (from "AWSLogs") is key, or NULL.
 * Borrowed from s; s may be NULL. */
const char *rp_trail_sigs_find(const struct rp_trail_sigs *s, const char *key);

#endif
