/* SPDX-License-Identifier: Apache-2.0 */
/* S3-compatible buckets as a source of sensitive data discovery (issue 8), private to src/dataid
 * and its command (src/cmd/cmd_discover.c).
 *
 * A client speaks the S3 REST API over libcurl: ListObjectsV2 page by page and GetObject into a
 * bounded buffer. Requests are signed here with AWS Signature Version 4 (header form), so
 * session tokens, key encoding and query canonicalisation do not depend on the libcurl version.
 * Endpoint, region and credentials are found as the AWS CLI finds them (rp_s3_config_load).
 * Failures carry Macie's status codes (S3_OBJECT_NOT_FOUND, S3_USER_ACCESS_DENIED,
 * S3_OBJECT_ACCESS_DENIED, S3_THROTTLED, S3_OBJECT_OVERSIZE, UNKNOWN_ERROR). */
#ifndef RP_DATAID_S3_H
#define RP_DATAID_S3_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/rp_err.h"

struct rp_buf;

/* ---- configuration (the AWS CLI's lookup order) -------------------------------------------- */

/* The environment the configuration is read from: getenv(name) by default; tests pass their
 * own. Returns NULL for an unset variable. */
typedef const char *(*rp_s3_getenv_fn)(const char *name, void *ctx);

struct rp_s3_config {
    char endpoint[512]; /* "scheme://host[:port]", no path, no trailing '/' */
    char region[64];    /* never empty after loading ("us-east-1" by default) */
    char profile[128];  /* the profile whose files were read ("default") */
    bool path_style;    /* true for a custom endpoint: http://host/bucket/key */
    char access_key[128];
    char secret_key[256];
    char session_token[4096]; /* "" when none */
    char cred_source[1200];   /* where the credentials came from, for messages:
                                 "environment", "/root/.aws/credentials [default]" */
};

/* Fill c the way the AWS CLI does:
 *  endpoint   endpoint_url (the --endpoint-url option; may be NULL), AWS_ENDPOINT_URL_S3,
 *             AWS_ENDPOINT_URL, the profile's endpoint_url in the config file; else AWS's own
 *             https://s3.<region>.amazonaws.com with virtual-hosted addressing. A custom endpoint
 *             uses path-style addressing.
 *  profile    AWS_PROFILE, AWS_DEFAULT_PROFILE, "default".
 *  region     AWS_REGION, AWS_DEFAULT_REGION, the config file's [profile P] (or [default])
 *             region, "us-east-1".
 *  credentials AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN, or the older
 *             AWS_SECURITY_TOKEN); else the credentials file's [P] section
 *             (aws_access_key_id, aws_secret_access_key, aws_session_token); else the config
 *             file's [profile P] section.
 *  files      AWS_SHARED_CREDENTIALS_FILE (default $HOME/.aws/credentials) and AWS_CONFIG_FILE
 *             (default $HOME/.aws/config); a missing file is no error.
 * getenv_fn NULL = the process environment. Errors: RP_EINVAL "s3: endpoint '...' is not an
 * http:// or https:// URL"; RP_EPERM "s3: no AWS credentials ..." when none is found;
 * RP_ELIMIT for a value longer than its field; RP_EIO for an unreadable file. */
rp_err rp_s3_config_load(struct rp_s3_config *c, const char *endpoint_url,
                         rp_s3_getenv_fn getenv_fn, void *ctx, struct rp_errbuf *eb) RP_WUR;

/* ---- signing and encoding (exposed for tests) ---------------------------------------------- */

/* Append s[0..n) to out, percent-encoded as SigV4 and S3 want it: A-Z a-z 0-9 - . _ ~ are
 * kept, '/' too when keep_slash, every other byte becomes %XX (upper-case hex). */
rp_err rp_s3_uri_encode(struct rp_buf *out, const char *s, size_t n, bool keep_slash) RP_WUR;

/* A request header: name in lower case, value as sent. */
struct rp_s3_header {
    const char *name, *value;
};

/* The Authorization header's value of a SigV4 request (service "s3"):
 * "AWS4-HMAC-SHA256 Credential=<ak>/<date>/<region>/s3/aws4_request, SignedHeaders=..,
 * Signature=<hex>" appended to out. uri is the canonical URI (already encoded), query the
 * canonical query string (encoded, sorted by name; "" when none), h the headers to sign (at
 * most 16; host and x-amz-date among them; any order), amz_date "YYYYMMDDTHHMMSSZ",
 * payload_hash the hex SHA-256 of the body or "UNSIGNED-PAYLOAD". RP_EINVAL for a bad
 * amz_date or too many headers. */
rp_err rp_s3_sign(const char *access_key, const char *secret_key, const char *region,
                  const char *method, const char *uri, const char *query,
                  const struct rp_s3_header *h, size_t nh, const char *amz_date,
                  const char *payload_hash, struct rp_buf *out, struct rp_errbuf *eb) RP_WUR;

/* ---- results and errors ------------------------------------------------------------------- */

/* What a failed request tells: Macie's status code, the HTTP status (0 when the request did not
 * get an answer) and S3's error code ("NoSuchKey", "" when none). */
struct rp_s3_status {
    const char *status; /* static: "S3_OBJECT_NOT_FOUND", ... ; NULL on success */
    long http;
    char code[64];
};

/* Macie's status code for an S3 answer: http (0 = no answer) and S3's error code (may be "" or
 * NULL); object is true for a request about one object (GetObject), false for a bucket request
 * (ListObjectsV2). 404 -> S3_OBJECT_NOT_FOUND; 403 -> S3_OBJECT_ACCESS_DENIED for an object,
 * S3_USER_ACCESS_DENIED for a bucket or a credential problem (InvalidAccessKeyId,
 * SignatureDoesNotMatch, ExpiredToken, ...); 429, 503 and SlowDown/Throttling codes ->
 * S3_THROTTLED; everything else UNKNOWN_ERROR. */
const char *rp_s3_status_for(long http, const char *code, bool object);

/* One object of a listing. */
struct rp_s3_object {
    char *key; /* owned by the page */
    int64_t size;
    char etag[80]; /* as S3 gives it, quotes removed */
    int64_t last_modified_ms;
    char storage_class[32]; /* "" when not given */
};

/* One ListObjectsV2 page. */
struct rp_s3_page {
    struct rp_s3_object *obj;
    size_t n;
    bool truncated;
    char *next_token; /* NextContinuationToken, NULL when none */
};
void rp_s3_page_release(struct rp_s3_page *p); /* the page is empty afterwards */

/* Parse a ListObjectsV2 answer (ListBucketResult) into out (released by the caller even on
 * error). RP_EPARSE "s3: listing: ..." for a document that is not one. */
rp_err rp_s3_parse_list(const char *xml, size_t n, struct rp_s3_page *out,
                        struct rp_errbuf *eb) RP_WUR;

/* S3's error document (<Error><Code>..</Code><Message>..</Message></Error>): its code and
 * message into code/msg (empty when the body is not one). */
void rp_s3_parse_error(const char *xml, size_t n, char *code, size_t codesz, char *msg,
                       size_t msgsz);

/* ---- the client ---------------------------------------------------------------------------- */

struct rp_s3_client;

/* A client for cfg (copied). One connection, reused; not thread-safe (one per thread).
 * RP_ENOMEM, RP_EINTERNAL when libcurl cannot start. */
rp_err rp_s3_client_new(const struct rp_s3_config *cfg, struct rp_s3_client **out,
                        struct rp_errbuf *eb) RP_WUR;
void rp_s3_client_free(struct rp_s3_client *c); /* NULL is a no-op */

/* One page of the objects of bucket under prefix (NULL or "" = all), after token (NULL = the
 * first page); at most 1000 keys. out is filled (release it even on error). Errors: RP_ENOENT
 * (404, NoSuchBucket), RP_EPERM (403), RP_ELIMIT (throttled after retries), RP_ENET (no
 * answer), RP_EPARSE (a bad listing), RP_EIO otherwise; st tells Macie's status, the HTTP status
 * and S3's code, and the message names them: "s3: list 'bucket/prefix': HTTP 403 AccessDenied:
 * Access Denied". */
rp_err rp_s3_list_page(struct rp_s3_client *c, const char *bucket, const char *prefix,
                       const char *token, struct rp_s3_page *out, struct rp_s3_status *st,
                       struct rp_errbuf *eb) RP_WUR;

/* The object bucket/key into out (reset first; at most cap bytes). An object larger than cap is
 * not read: RP_ELIMIT with status S3_OBJECT_OVERSIZE. Other errors as rp_s3_list_page, with
 * S3_OBJECT_* statuses: "s3: get 'bucket/key': HTTP 404 NoSuchKey: ...". */
rp_err rp_s3_get_object(struct rp_s3_client *c, const char *bucket, const char *key, size_t cap,
                        struct rp_buf *out, struct rp_s3_status *st, struct rp_errbuf *eb) RP_WUR;

/* ---- walking a bucket ----------------------------------------------------------------------- */

/* One object of a walk: read (data/len) or not (err set, st and msg say why). */
struct rp_s3_item {
    const char *bucket;
    const struct rp_s3_object *obj;
    const char *data; /* the object's bytes (borrowed for the call; "" when empty) or NULL */
    size_t len;
    rp_err err;                    /* RP_OK when read */
    const struct rp_s3_status *st; /* Macie's status etc. when not read */
    const char *msg;               /* the error message when not read */
};
typedef rp_err (*rp_s3_walk_fn)(const struct rp_s3_item *it, void *ctx, struct rp_errbuf *eb);

/* Before an object is fetched: *read false leaves it out (not fetched, not given to fn). An
 * error stops the walk and is returned. */
typedef rp_err (*rp_s3_want_fn)(const char *bucket, const struct rp_s3_object *o, void *ctx,
                                bool *read, struct rp_errbuf *eb);

/* Every object of bucket under prefix, in key order, page by page: each that want (when not
 * NULL) wants is read (objects larger than cap are not: S3_OBJECT_OVERSIZE, as a failed read
 * is) and given to fn; "folder" markers (keys ending in '/' of size 0) are left out. A listing
 * error stops the walk and is returned (st, when not NULL, says which); want's and fn's errors
 * stop it too. RP_OK means the prefix was listed whole. */
rp_err rp_s3_walk(struct rp_s3_client *c, const char *bucket, const char *prefix, size_t cap,
                  rp_s3_want_fn want, rp_s3_walk_fn fn, void *ctx, struct rp_s3_status *st,
                  struct rp_errbuf *eb) RP_WUR;

/* Split "s3://bucket/prefix" into bucket and prefix (either may be cut to its buffer's size:
 * RP_ELIMIT). RP_EINVAL "s3: '...' is not an s3://bucket[/prefix] URL". */
rp_err rp_s3_parse_url(const char *url, char *bucket, size_t bucketsz, char *prefix,
                       size_t prefixsz, struct rp_errbuf *eb) RP_WUR;

#endif
