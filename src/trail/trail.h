/* SPDX-License-Identifier: Apache-2.0 */
/* CloudTrail log file integrity validation over a local mirror of the trail bucket, as
 * `aws cloudtrail validate-logs` does it against S3 (docs/trail.md has the exact algorithm).
 *
 * A digest file (AWSLogs/<acct>/CloudTrail-Digest/<region>/YYYY/MM/DD/<name>.json.gz, org trails
 * AWSLogs/<o-id>/<acct>/CloudTrail-Digest/...) lists the log files delivered in one hour with
 * the SHA-256 of each one's uncompressed content, and links to the previous digest by its key,
 * the SHA-256 of its uncompressed content and its signature. CloudTrail signs each digest with
 * RSA (SHA256withRSA) and ships the signature as S3 object metadata; a local mirror has no
 * metadata, so the hex signature is read from `<digest>.sig` next to the file or from a map
 * file (rp_trail_sigs_load). S3 keys map to local files by their suffix starting at the path
 * component "AWSLogs" (the bucket is not part of the local path).
 *
 * Checked per digest: it parses, sits where its digestS3Object says, its signature verifies
 * with the public key named by digestPublicKeyFingerprint, and it links to its predecessor
 * (previous digest present, hash and signature equal); per log file it lists: present, and its
 * uncompressed SHA-256 equals hashValue.
 *
 * Memory: one entry per digest file found lives in the caller's arena for the whole call;
 * results are handed to a callback and live only during it. Key and signature sets are heap
 * objects (_load / _free), read-only once loaded. Separate calls are independent. */
#ifndef RP_TRAIL_H
#define RP_TRAIL_H

#include "core/rp_arena.h"
#include "core/rp_err.h"

/* Largest digest file accepted, decompressed (one hour of an organization trail is a few MB). */
#define RP_TRAIL_MAX_DIGEST_BYTES (256u << 20)

/* ---- digest files -------------------------------------------------------------------- */

/* One entry of a digest's logFiles array. Strings are NUL-terminated copies in the arena. */
struct rp_trail_logfile {
    const char *s3_bucket;      /* s3Bucket */
    const char *s3_object;      /* s3Object: the key, e.g. "AWSLogs/1111/CloudTrail/..." */
    const char *hash_value;     /* hashValue: hex SHA-256 of the uncompressed file */
    const char *hash_algorithm; /* hashAlgorithm: "SHA-256" */
};

/* A parsed digest file. Strings are NUL-terminated copies in the arena; the previous* fields
 * are NULL when the JSON has null (the first digest of a chain). */
struct rp_trail_digest {
    const char *account;         /* awsAccountId */
    const char *start_time;      /* digestStartTime, verbatim */
    const char *end_time;        /* digestEndTime, verbatim (part of the signing string) */
    int64_t start_ms, end_ms;    /* the two times parsed */
    const char *s3_bucket;       /* digestS3Bucket */
    const char *s3_object;       /* digestS3Object */
    const char *key_fingerprint; /* digestPublicKeyFingerprint (hex) */
    const char *sig_algorithm;   /* digestSignatureAlgorithm: "SHA256withRSA" */
    const char *prev_bucket;     /* previousDigestS3Bucket or NULL */
    const char *prev_object;     /* previousDigestS3Object or NULL */
    const char *prev_hash;       /* previousDigestHashValue (hex) or NULL */
    const char *prev_hash_alg;   /* previousDigestHashAlgorithm: "SHA-256" or NULL */
    const char *prev_signature;  /* previousDigestSignature (hex) or NULL */
    struct rp_trail_logfile *logs;
    size_t nlogs;
};

/* Parse the uncompressed JSON of a digest file json[0..len) into *out, allocating in a.
 * Required: the string fields awsAccountId, digestStartTime, digestEndTime (both ISO-8601),
 * digestS3Bucket, digestS3Object, digestPublicKeyFingerprint, digestSignatureAlgorithm, and the
 * array logFiles whose entries need s3Bucket, s3Object, hashValue and hashAlgorithm. The
 * previousDigest* fields may be strings, null or absent. Other fields are ignored.
 * Returns RP_OK; RP_EPARSE / RP_ELIMIT with "trail: digest: ..." in *eb; RP_ENOMEM. *out is
 * unspecified on error. */
rp_err rp_trail_digest_parse(struct rp_arena *a, const char *json, size_t len,
                             struct rp_trail_digest *out, struct rp_errbuf *eb) RP_WUR;

/* The suffix of an S3 key or a path starting at its last "AWSLogs" component
 * ("b/pre/AWSLogs/1/x" gives "AWSLogs/1/x"); NULL when there is none. Borrowed from s. */
const char *rp_trail_key_suffix(const char *s);

/* ---- public keys and signatures -------------------------------------------------------- */

struct rp_trail_keys; /* opaque: RSA public keys by fingerprint */

/* Load public keys from the file at path, either
 *   - the JSON `aws cloudtrail list-public-keys` prints: {"PublicKeyList": [{"Value": base64
 *     DER of a PKCS#1 RSAPublicKey (SubjectPublicKeyInfo is accepted too), "Fingerprint": hex,
 *     "ValidityStartTime", "ValidityEndTime"}]}; or
 *   - PEM with one or more "RSA PUBLIC KEY" or "PUBLIC KEY" blocks, each one's fingerprint
 *     being the hex MD5 of its PKCS#1 DER encoding (what CloudTrail's fingerprints appear to
 *     be; docs/trail.md).
 * A JSON entry without Fingerprint gets the computed one. Only RSA keys are accepted.
 * Returns RP_OK with *out (free with rp_trail_keys_free); RP_ENOENT / RP_EPERM / RP_EIO when
 * the file cannot be read; RP_EPARSE with "trail: keys: ..." for bad content or no key at
 * all; RP_ENOMEM. */
rp_err rp_trail_keys_load(const char *path, struct rp_trail_keys **out,
                          struct rp_errbuf *eb) RP_WUR;

/* Number of keys loaded. */
size_t rp_trail_keys_count(const struct rp_trail_keys *k);

/* NULL is a no-op. */
void rp_trail_keys_free(struct rp_trail_keys *k);

struct rp_trail_sigs; /* opaque: digest key suffix -> hex signature */

/* Load a signature map from the JSON object at path. Each member name is a digest's S3 key,
 * "bucket/key" or "s3://bucket/key" (matched by its suffix from "AWSLogs"); each value is the
 * hex signature as a string, or the object `aws s3api head-object` prints, whose
 * Metadata.signature is used (an object with a "signature" member works too).
 * Returns RP_OK with *out (free with rp_trail_sigs_free); file errors as rp_trail_keys_load;
 * RP_EPARSE with "trail: signatures: ..."; RP_ENOMEM. */
rp_err rp_trail_sigs_load(const char *path, struct rp_trail_sigs **out,
                          struct rp_errbuf *eb) RP_WUR;

/* NULL is a no-op. */
void rp_trail_sigs_free(struct rp_trail_sigs *s);

/* ---- verification ------------------------------------------------------------------------ */

enum rp_trail_kind { RP_TRAIL_DIGEST, RP_TRAIL_LOG };

enum rp_trail_status {
    RP_TRAIL_VALID,   /* checked and good */
    RP_TRAIL_INVALID, /* present but failed a check; reason says which */
    RP_TRAIL_MISSING, /* referenced (by a digest) but not present locally */
};

/* Reasons (fixed strings; a digest failing several checks gets them joined with "; "):
 *   digest: "cannot read", "invalid format", "moved from its original location",
 *           "unsupported signature algorithm", "signature not found", "public key not found",
 *           "signature does not verify", "previous digest hash mismatch",
 *           "previous digest signature mismatch", "previous digest unreadable",
 *           missing: "not found"
 *   log:    "hash mismatch" (content differs, including a .gz that no longer decompresses),
 *           "cannot read", "unsupported hash algorithm", "invalid key",
 *           "listed in an unverified digest" (its digest's signature was not verified, so the
 *           listed hash cannot be trusted even when it matches), missing: "not found" */
#define RP_TRAIL_R_NOT_FOUND  "not found"
#define RP_TRAIL_R_READ       "cannot read"
#define RP_TRAIL_R_FORMAT     "invalid format"
#define RP_TRAIL_R_MOVED      "moved from its original location"
#define RP_TRAIL_R_SIG_ALG    "unsupported signature algorithm"
#define RP_TRAIL_R_NO_SIG     "signature not found"
#define RP_TRAIL_R_NO_KEY     "public key not found"
#define RP_TRAIL_R_BAD_SIG    "signature does not verify"
#define RP_TRAIL_R_PREV_HASH  "previous digest hash mismatch"
#define RP_TRAIL_R_PREV_SIG   "previous digest signature mismatch"
#define RP_TRAIL_R_PREV_READ  "previous digest unreadable"
#define RP_TRAIL_R_HASH       "hash mismatch"
#define RP_TRAIL_R_HASH_ALG   "unsupported hash algorithm"
#define RP_TRAIL_R_BAD_KEY    "invalid key"
#define RP_TRAIL_R_UNVERIFIED "listed in an unverified digest"

/* One checked (or missing) file. Its strings are valid during the callback only (copy what
 * you keep), so memory stays flat however many log files a tree holds. */
struct rp_trail_result {
    enum rp_trail_kind kind;
    enum rp_trail_status status;
    const char *path;   /* local path (for a missing file: where it was looked for) */
    const char *s3_uri; /* "s3://bucket/key" as the digest names it; NULL if unknown */
    const char *reason; /* NULL when valid; see above */
    const char *detail; /* NULL or more words on the reason (hashes, parser message) */
    const char *digest; /* log files: path of the digest listing it; NULL for digests */
};

/* Called for each result in report order: digests sorted bytewise by key (so each trail's
 * chain is in time order), a missing previous digest just before the digest that names it,
 * the log files of a digest just after it, in the digest's order. Return RP_OK to go on; any
 * other code stops the verification, which then returns that code. */
typedef rp_err (*rp_trail_result_fn)(const struct rp_trail_result *r, void *ctx);

struct rp_trail_opts {
    const struct rp_trail_keys *keys; /* required */
    const struct rp_trail_sigs *sigs; /* optional map; `<digest>.sig` is read otherwise */
    bool has_start, has_end;          /* range on each digest's end time (inclusive) */
    int64_t start_ms, end_ms;
    const char *account; /* only this account (the AWSLogs/<acct> component); NULL = all */
    const char *region;  /* only this region; NULL = all */
};

struct rp_trail_counts {
    size_t total, valid, invalid, missing; /* total = valid + invalid + missing */
};

struct rp_trail_summary {
    struct rp_trail_counts digests;
    struct rp_trail_counts logs;
    bool found;             /* at least one digest parsed: found_* are set */
    int64_t found_start_ms; /* earliest digestStartTime of the parsed digests */
    int64_t found_end_ms;   /* latest digestEndTime */
    size_t walk_errors;     /* directories or files the walk could not examine (logged) */
};

/* Verify the digests found under the npaths paths (directories are walked, a file is taken
 * as it is) and the log files they list. The time stamp of a digest for the range is the one
 * in its file name (_YYYYMMDDTHHMMSSZ.json.gz, CloudTrail's digestEndTime), else its
 * digestEndTime. Digests outside the range, account or region are not reported, but a
 * present predecessor of an in-range digest is still hashed for the chain check; an absent
 * predecessor is reported missing unless its own time stamp is before start_ms.
 * fn gets every result (may be NULL); *sum gets the counts. Problems with files are results,
 * not errors. Returns RP_OK, RP_EINVAL (no keys), RP_ENOMEM, or fn's code. */
rp_err rp_trail_verify(struct rp_arena *a, const char *const *paths, size_t npaths,
                       const struct rp_trail_opts *opts, rp_trail_result_fn fn, void *ctx,
                       struct rp_trail_summary *sum, struct rp_errbuf *eb) RP_WUR;

/* "digest" / "log"; "valid" / "invalid" / "missing". Static strings. */
const char *rp_trail_kind_name(enum rp_trail_kind k);
const char *rp_trail_status_name(enum rp_trail_status s);

#endif
