/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for rp_trail (src/trail): CloudTrail digest validation over a local mirror.
 *
 * The group setup makes two RSA-2048 key pairs with OpenSSL at run time. Each test builds, in a
 * fresh temp dir, a mirror with three gzip log files and a chain of three digest files that
 * the test signs itself (its own implementation of the signing string, so the algorithm is
 * pinned independently of trail_verify.c), with `.sig` sidecars and a list-public-keys JSON.
 * Then it damages the tree one way at a time and asserts the exact report: every result as a
 * line "<kind> <status> <path below the temp dir>[: <reason>]" plus the counts.
 * Covered: all valid; a modified log file (content re-gzipped, and a flipped compressed byte);
 * a deleted log file; a deleted digest (gap in the chain); a broken chain with a correctly
 * re-signed digest; a corrupted signature; a modified digest; unknown key; moved digest;
 * signature map instead of sidecars; PEM keys; time, account and region filters; a single
 * digest file as the root; organization-trail layout; digest parser errors and key suffixes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "core/rp_buf.h"
#include "core/rp_gz.h"
#include "core/rp_hash.h"
#include "core/rp_time.h"
#include "trail/trail.h"
#include "tools/rp_test_tmpdir.h"
#include "core/rp_banned.h"

/* ---- names ---------------------------------------------------------------------------- */

#define ACCT   "111122223333"
#define BUCKET "trail-bucket"
#define S3PRE  "ct/" /* the trail's S3 key prefix; the mirror has none (keys map by suffix) */
#define LDIR   "AWSLogs/" ACCT "/CloudTrail/us-east-1/2026/01/01/"
#define DDIR   "AWSLogs/" ACCT "/CloudTrail-Digest/us-east-1/2026/01/01/"
#define L1     LDIR ACCT "_CloudTrail_us-east-1_20260101T0005Z_AAAAAAAAAAAAAAAA.json.gz"
#define L2     LDIR ACCT "_CloudTrail_us-east-1_20260101T0105Z_BBBBBBBBBBBBBBBB.json.gz"
#define L3     LDIR ACCT "_CloudTrail_us-east-1_20260101T0110Z_CCCCCCCCCCCCCCCC.json.gz"
#define DNAME  ACCT "_CloudTrail-Digest_us-east-1_main_us-east-1_"
#define D1     DDIR DNAME "20260101T010000Z.json.gz"
#define D2     DDIR DNAME "20260101T020000Z.json.gz"
#define D3     DDIR DNAME "20260101T030000Z.json.gz"
#define M      "mirror/" /* the tree's folder in the temp dir */

static char tmpdir[64];
static EVP_PKEY *key_a, *key_b; /* key_a signs; key_b is only listed */
static char fp_a[33], fp_b[33];

struct tlog {
    const char *rel;
    char sha[65];
};

struct tdigest {
    const char *rel;
    const char *start, *end;
    const struct tdigest *prev;
    const struct tlog *logs[2];
    size_t nlogs;
    const char *prev_hash_override; /* else prev's real hash */
    char sha[65];                   /* of the uncompressed JSON written */
    char sig[1024];                 /* hex */
};

static struct tlog logs[3] = {{L1, ""}, {L2, ""}, {L3, ""}};
static struct tdigest dig[3];

/* ---- helpers ---------------------------------------------------------------------------- */

static const char *at(const char *rel)
{
    static char bufs[4][1024];
    static int i;
    char *p = bufs[i++ & 3];
    snprintf(p, sizeof bufs[0], "%s/%s", tmpdir, rel);
    return p;
}

static void mkdirs(const char *path)
{
    char tmp[1024];
    snprintf(tmp, sizeof tmp, "%s", path);
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        mkdir(tmp, 0755);
        *p = '/';
    }
}

static void put(const char *rel, const void *data, size_t n)
{
    const char *path = at(rel);
    mkdirs(path);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

static void put_gz(const char *rel, const char *text)
{
    struct rp_buf b;
    rp_buf_init(&b, 0);
    assert_int_equal(rp_gz_compress(text, strlen(text), 6, &b, NULL), RP_OK);
    put(rel, b.data, b.len);
    rp_buf_release(&b);
}

static void put_str(const char *rel, const char *s)
{
    put(rel, s, strlen(s));
}

static void sha_hex(const char *text, char out[65])
{
    assert_int_equal(rp_hash_sha256_hex(text, strlen(text), out), RP_OK);
}

static void hex(const unsigned char *p, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++) snprintf(out + 2 * i, 3, "%02x", p[i]);
}

/* PKCS#1 DER of a key, caller frees with OPENSSL_free. */
static int pkcs1_der(EVP_PKEY *k, unsigned char **der)
{
    *der = NULL;
    int n = i2d_PublicKey(k, der);
    assert_true(n > 0);
    return n;
}

static void fingerprint(EVP_PKEY *k, char out[33])
{
    unsigned char *der, md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    int n = pkcs1_der(k, &der);
    assert_int_equal(EVP_Digest(der, (size_t)n, md, &mdlen, EVP_md5(), NULL), 1);
    OPENSSL_free(der);
    hex(md, mdlen, out);
}

/* RSASSA-PKCS1-v1_5 / SHA-256 signature of msg as hex. */
static void sign(EVP_PKEY *k, const char *msg, char *out)
{
    EVP_MD_CTX *m = EVP_MD_CTX_new();
    unsigned char sig[512];
    size_t n = sizeof sig;
    assert_int_equal(EVP_DigestSignInit_ex(m, NULL, "SHA256", NULL, NULL, k, NULL), 1);
    assert_int_equal(EVP_DigestSign(m, sig, &n, (const unsigned char *)msg, strlen(msg)), 1);
    EVP_MD_CTX_free(m);
    hex(sig, n, out);
}

static void write_keys_json(const char *rel)
{
    char json[4096] = "{\"PublicKeyList\":[";
    EVP_PKEY *ks[2] = {key_b, key_a};
    const char *fps[2] = {fp_b, fp_a};
    for (int i = 0; i < 2; i++) {
        unsigned char *der, b64[1024];
        int n = pkcs1_der(ks[i], &der);
        EVP_EncodeBlock(b64, der, n);
        OPENSSL_free(der);
        size_t len = strlen(json);
        snprintf(json + len, sizeof json - len,
                 "%s{\"Value\":\"%s\",\"ValidityStartTime\":\"2025-01-01T00:00:00+00:00\","
                 "\"ValidityEndTime\":\"2027-01-01T00:00:00+00:00\",\"Fingerprint\":\"%s\"}",
                 i ? "," : "", b64, fps[i]);
    }
    size_t len = strlen(json);
    snprintf(json + len, sizeof json - len, "]}");
    put(rel, json, strlen(json));
}

static void write_log(struct tlog *l, const char *event_name)
{
    char text[512];
    snprintf(text, sizeof text,
             "{\"Records\":[{\"eventVersion\":\"1.08\",\"eventTime\":\"2026-01-01T00:01:00Z\","
             "\"eventSource\":\"iam.amazonaws.com\",\"eventName\":\"%s\","
             "\"awsRegion\":\"us-east-1\",\"recipientAccountId\":\"" ACCT "\"}]}",
             event_name);
    char rel[512];
    snprintf(rel, sizeof rel, M "%s", l->rel);
    put_gz(rel, text);
    sha_hex(text, l->sha);
}

/* Write d as CloudTrail would: JSON, gzip, and the signature in `<file>.sig`. */
static void write_digest(struct tdigest *d, EVP_PKEY *signer, const char *fp)
{
    char json[8192], prev[2048] = "";
    if (d->prev)
        snprintf(prev, sizeof prev,
                 "\"previousDigestS3Bucket\":\"" BUCKET "\",\"previousDigestS3Object\":\"" S3PRE
                 "%s\",\"previousDigestHashValue\":\"%s\",\"previousDigestHashAlgorithm\":"
                 "\"SHA-256\",\"previousDigestSignature\":\"%s\"",
                 d->prev->rel, d->prev_hash_override ? d->prev_hash_override : d->prev->sha,
                 d->prev->sig);
    else
        snprintf(prev, sizeof prev,
                 "\"previousDigestS3Bucket\":null,\"previousDigestS3Object\":null,"
                 "\"previousDigestHashValue\":null,\"previousDigestHashAlgorithm\":null,"
                 "\"previousDigestSignature\":null");
    char files[2048] = "";
    for (size_t i = 0; i < d->nlogs; i++) {
        size_t len = strlen(files);
        snprintf(files + len, sizeof files - len,
                 "%s{\"s3Bucket\":\"" BUCKET "\",\"s3Object\":\"" S3PRE "%s\",\"hashValue\":"
                 "\"%s\",\"hashAlgorithm\":\"SHA-256\",\"newestEventTime\":"
                 "\"2026-01-01T00:01:00Z\",\"oldestEventTime\":\"2026-01-01T00:01:00Z\"}",
                 i ? "," : "", d->logs[i]->rel, d->logs[i]->sha);
    }
    snprintf(json, sizeof json,
             "{\"awsAccountId\":\"" ACCT "\",\"digestStartTime\":\"%s\",\"digestEndTime\":"
             "\"%s\",\"digestS3Bucket\":\"" BUCKET "\",\"digestS3Object\":\"" S3PRE "%s\","
             "\"digestPublicKeyFingerprint\":\"%s\",\"digestSignatureAlgorithm\":"
             "\"SHA256withRSA\",\"newestEventTime\":null,\"oldestEventTime\":null,%s,"
             "\"logFiles\":[%s]}",
             d->start, d->end, d->rel, fp, prev, files);
    sha_hex(json, d->sha);
    char rel[512];
    snprintf(rel, sizeof rel, M "%s", d->rel);
    put_gz(rel, json);
    /* The signing string, as the AWS documentation gives it. */
    char tbs[4096];
    snprintf(tbs, sizeof tbs, "%s\n" BUCKET "/" S3PRE "%s\n%s\n%s", d->end, d->rel, d->sha,
             d->prev ? d->prev->sig : "null");
    sign(signer, tbs, d->sig);
    char sigrel[600];
    snprintf(sigrel, sizeof sigrel, M "%s.sig", d->rel);
    char line[1100];
    snprintf(line, sizeof line, "%s\n", d->sig);
    put(sigrel, line, strlen(line));
}

static void build_tree(void)
{
    write_log(&logs[0], "CreateUser");
    write_log(&logs[1], "AttachUserPolicy");
    write_log(&logs[2], "CreateAccessKey");
    memset(dig, 0, sizeof dig);
    dig[0] = (struct tdigest){.rel = D1,
                              .start = "2026-01-01T00:00:00Z",
                              .end = "2026-01-01T01:00:00Z",
                              .logs = {&logs[0]},
                              .nlogs = 1};
    dig[1] = (struct tdigest){.rel = D2,
                              .start = "2026-01-01T01:00:00Z",
                              .end = "2026-01-01T02:00:00Z",
                              .prev = &dig[0],
                              .logs = {&logs[1], &logs[2]},
                              .nlogs = 2};
    dig[2] = (struct tdigest){
        .rel = D3, .start = "2026-01-01T02:00:00Z", .end = "2026-01-01T03:00:00Z", .prev = &dig[1]};
    for (int i = 0; i < 3; i++) write_digest(&dig[i], key_a, fp_a);
    write_keys_json("keys.json");
}

/* ---- running the verifier -------------------------------------------------------------- */

struct rec {
    struct rp_buf lines;
    struct rp_buf details;
};

static rp_err record(const struct rp_trail_result *r, void *ctx)
{
    struct rec *rc = ctx;
    size_t skip = strlen(tmpdir) + 1;
    const char *path = strncmp(r->path, tmpdir, skip - 1) == 0 ? r->path + skip : r->path;
    assert_int_equal(rp_buf_printf(&rc->lines, "%s %s %s%s%s\n", rp_trail_kind_name(r->kind),
                                   rp_trail_status_name(r->status), path, r->reason ? ": " : "",
                                   r->reason ? r->reason : ""),
                     RP_OK);
    if (r->detail) assert_int_equal(rp_buf_printf(&rc->details, "%s\n", r->detail), RP_OK);
    /* Log files always name their digest; a digest never names one. */
    assert_true((r->kind == RP_TRAIL_LOG) == (r->digest != NULL));
    return RP_OK;
}

struct run {
    const char *keys; /* file below tmpdir; default keys.json */
    const char *sigs; /* file below tmpdir or NULL */
    const char *root; /* below tmpdir; default "mirror" */
    const char *start, *end, *account, *region;
};

static struct rp_trail_summary sum;
static struct rec rc;

static void run(const struct run *r)
{
    struct rp_trail_keys *keys = NULL;
    struct rp_trail_sigs *sigs = NULL;
    assert_int_equal(rp_trail_keys_load(at(r->keys ? r->keys : "keys.json"), &keys, NULL), RP_OK);
    if (r->sigs) assert_int_equal(rp_trail_sigs_load(at(r->sigs), &sigs, NULL), RP_OK);
    struct rp_trail_opts o = {
        .keys = keys, .sigs = sigs, .account = r->account, .region = r->region};
    if (r->start) {
        o.has_start = true;
        assert_int_equal(rp_time_parse_iso(rp_str_from(r->start), &o.start_ms, NULL), RP_OK);
    }
    if (r->end) {
        o.has_end = true;
        assert_int_equal(rp_time_parse_iso(rp_str_from(r->end), &o.end_ms, NULL), RP_OK);
    }
    rp_buf_release(&rc.lines);
    rp_buf_release(&rc.details);
    const char *root = at(r->root ? r->root : "mirror");
    struct rp_arena a;
    rp_arena_init(&a, 0);
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_trail_verify(&a, &root, 1, &o, record, &rc, &sum, &eb), RP_OK);
    rp_arena_release(&a);
    rp_trail_keys_free(keys);
    rp_trail_sigs_free(sigs);
}

static void assert_counts(const struct rp_trail_counts *c, size_t total, size_t valid,
                          size_t invalid, size_t missing)
{
    assert_int_equal(c->total, total);
    assert_int_equal(c->valid, valid);
    assert_int_equal(c->invalid, invalid);
    assert_int_equal(c->missing, missing);
}

#define ALL_VALID                                                                                  \
    "digest valid " M D1 "\n"                                                                      \
    "log valid " M L1 "\n"                                                                         \
    "digest valid " M D2 "\n"                                                                      \
    "log valid " M L2 "\n"                                                                         \
    "log valid " M L3 "\n"                                                                         \
    "digest valid " M D3 "\n"

/* ---- setup ---------------------------------------------------------------------------- */

static int group_setup(void **state)
{
    (void)state;
    key_a = EVP_RSA_gen(2048);
    key_b = EVP_RSA_gen(2048);
    if (!key_a || !key_b) return -1;
    fingerprint(key_a, fp_a);
    fingerprint(key_b, fp_b);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    EVP_PKEY_free(key_a);
    EVP_PKEY_free(key_b);
    return 0;
}

static int setup(void **state)
{
    (void)state;
    if (rp_test_tmpdir_make(tmpdir, sizeof tmpdir, "rp_trail_") != 0) return -1;
    rp_buf_init(&rc.lines, 0);
    rp_buf_init(&rc.details, 0);
    build_tree();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    rp_buf_release(&rc.lines);
    rp_buf_release(&rc.details);
    return rp_test_tmpdir_remove(tmpdir);
}

/* ---- tests: the chain and its damage ---------------------------------------------------- */

static void test_verify_all_valid(void **state)
{
    (void)state;
    run(&(struct run){0});
    assert_string_equal(rp_buf_cstr(&rc.lines), ALL_VALID);
    assert_string_equal(rp_buf_cstr(&rc.details), "");
    assert_counts(&sum.digests, 3, 3, 0, 0);
    assert_counts(&sum.logs, 3, 3, 0, 0);
    assert_true(sum.found);
    char t[RP_TIME_ISO_BUFSZ];
    assert_int_equal(rp_time_format_iso_s(sum.found_start_ms, t, sizeof t), RP_OK);
    assert_string_equal(t, "2026-01-01T00:00:00Z");
    assert_int_equal(rp_time_format_iso_s(sum.found_end_ms, t, sizeof t), RP_OK);
    assert_string_equal(t, "2026-01-01T03:00:00Z");
    assert_int_equal(sum.walk_errors, 0);
}

/* The content changed by one byte and re-gzipped: the gzip is fine, the hash is not. */
static void test_verify_log_modified(void **state)
{
    (void)state;
    struct tlog changed = {L2, ""};
    write_log(&changed, "AttachUserPolicZ");
    run(&(struct run){0});
    assert_string_equal(rp_buf_cstr(&rc.lines), "digest valid " M D1 "\n"
                                                "log valid " M L1 "\n"
                                                "digest valid " M D2 "\n"
                                                "log invalid " M L2 ": hash mismatch\n"
                                                "log valid " M L3 "\n"
                                                "digest valid " M D3 "\n");
    char want[256];
    snprintf(want, sizeof want, "content hashes to %s, the digest lists %s\n", changed.sha,
             logs[1].sha);
    assert_string_equal(rp_buf_cstr(&rc.details), want);
    assert_counts(&sum.digests, 3, 3, 0, 0);
    assert_counts(&sum.logs, 3, 2, 1, 0);
}

/* One byte of the stored .json.gz flipped: it no longer decompresses, still "hash mismatch". */
static void test_verify_log_byte_flipped(void **state)
{
    (void)state;
    FILE *f = fopen(at(M L1), "r+b");
    assert_non_null(f);
    assert_int_equal(fseek(f, 20, SEEK_SET), 0);
    int c = fgetc(f);
    assert_int_equal(fseek(f, 20, SEEK_SET), 0);
    fputc(c ^ 0x55, f);
    assert_int_equal(fclose(f), 0);
    run(&(struct run){0});
    assert_string_equal(rp_buf_cstr(&rc.lines), "digest valid " M D1 "\n"
                                                "log invalid " M L1 ": hash mismatch\n"
                                                "digest valid " M D2 "\n"
                                                "log valid " M L2 "\n"
                                                "log valid " M L3 "\n"
                                                "digest valid " M D3 "\n");
    assert_non_null(strstr(rp_buf_cstr(&rc.details), "content no longer decompresses: gz: "));
    assert_counts(&sum.logs, 3, 2, 1, 0);
}

static void test_verify_log_deleted(void **state)
{
    (void)state;
    assert_int_equal(unlink(at(M L3)), 0);
    run(&(struct run){0});
    assert_string_equal(rp_buf_cstr(&rc.lines), "digest valid " M D1 "\n"
                                                "log valid " M L1 "\n"
                                                "digest valid " M D2 "\n"
                                                "log valid " M L2 "\n"
                                                "log missing " M L3 ": not found\n"
                                                "digest valid " M D3 "\n");
    assert_counts(&sum.digests, 3, 3, 0, 0);
    assert_counts(&sum.logs, 3, 2, 0, 1);
}

/* D2 and its sidecar deleted: a gap, reported where the chain breaks; D2's logs are unknown. */
static void test_verify_digest_deleted(void **state)
{
    (void)state;
    assert_int_equal(unlink(at(M D2)), 0);
    assert_int_equal(unlink(at(M D2 ".sig")), 0);
    run(&(struct run){0});
    assert_string_equal(rp_buf_cstr(&rc.lines), "digest valid " M D1 "\n"
                                                "log valid " M L1 "\n"
                                                "digest missing " M D2 ": not found\n"
                                                "digest valid " M D3 "\n");
    assert_string_equal(rp_buf_cstr(&rc.details), "referenced as previousDigestS3Object\n");
    assert_counts(&sum.digests, 3, 2, 0, 1);
    assert_counts(&sum.logs, 1, 1, 0, 0);
}

/* D3 rewritten with a wrong previousDigestHashValue and signed again: its signature is good,
 * only the link to D2 is broken. */
static void test_verify_chain_broken(void **state)
{
    (void)state;
    dig[2].prev_hash_override = "00000000000000000000000000000000"
                                "00000000000000000000000000000000";
    write_digest(&dig[2], key_a, fp_a);
    run(&(struct run){0});
    assert_string_equal(rp_buf_cstr(&rc.lines),
                        "digest valid " M D1 "\n"
                        "log valid " M L1 "\n"
                        "digest valid " M D2 "\n"
                        "log valid " M L2 "\n"
                        "log valid " M L3 "\n"
                        "digest invalid " M D3 ": previous digest hash mismatch\n");
    char want[512];
    snprintf(want, sizeof want,
             "previousDigestHashValue is %s (SHA-256), '%s/" M D2 "' hashes to %s\n",
             dig[2].prev_hash_override, tmpdir, dig[1].sha);
    assert_string_equal(rp_buf_cstr(&rc.details), want);
    assert_counts(&sum.digests, 3, 2, 1, 0);
    assert_counts(&sum.logs, 3, 3, 0, 0);
}

/* D2's signature corrupted (one hex digit): D2 fails, its logs cannot be trusted, and D3's
 * previousDigestSignature no longer matches D2's. */
static void test_verify_bad_signature(void **state)
{
    (void)state;
    char sig[1100];
    snprintf(sig, sizeof sig, "%s\n", dig[1].sig);
    sig[10] = sig[10] == '0' ? '1' : '0';
    put(M D2 ".sig", sig, strlen(sig));
    run(&(struct run){0});
    assert_string_equal(rp_buf_cstr(&rc.lines),
                        "digest valid " M D1 "\n"
                        "log valid " M L1 "\n"
                        "digest invalid " M D2 ": signature does not verify\n"
                        "log invalid " M L2 ": listed in an unverified digest\n"
                        "log invalid " M L3 ": listed in an unverified digest\n"
                        "digest invalid " M D3 ": previous digest signature mismatch\n");
    assert_counts(&sum.digests, 3, 1, 2, 0);
    assert_counts(&sum.logs, 3, 1, 2, 0);
}

/* D2's content changed (a log hash swapped) without re-signing: its signature fails and D3's
 * link to it breaks. */
static void test_verify_digest_modified(void **state)
{
    (void)state;
    struct tdigest forged = dig[1];
    forged.logs[0] = &logs[0];
    char sig[1024];
    memcpy(sig, dig[1].sig, sizeof sig);
    write_digest(&forged, key_a, fp_a);
    char line[1100];
    snprintf(line, sizeof line, "%s\n", sig); /* the original signature stays */
    put(M D2 ".sig", line, strlen(line));
    run(&(struct run){0});
    assert_string_equal(rp_buf_cstr(&rc.lines),
                        "digest valid " M D1 "\n"
                        "log valid " M L1 "\n"
                        "digest invalid " M D2 ": signature does not verify\n"
                        "log invalid " M L1 ": listed in an unverified digest\n"
                        "log invalid " M L3 ": listed in an unverified digest\n"
                        "digest invalid " M D3 ": previous digest hash mismatch\n");
}

/* The key is chosen by fingerprint: D3 signed with the second listed key is valid; with a
 * fingerprint nobody lists it has no key; with the other key's fingerprint it fails. */
static void test_verify_key_selection(void **state)
{
    (void)state;
    write_digest(&dig[2], key_b, fp_b);
    run(&(struct run){0});
    assert_string_equal(rp_buf_cstr(&rc.lines), ALL_VALID);

    write_digest(&dig[2], key_b, "0123456789ABCDEF0123456789ABCDEF");
    run(&(struct run){0});
    assert_string_equal(rp_buf_cstr(&rc.lines), "digest valid " M D1 "\n"
                                                "log valid " M L1 "\n"
                                                "digest valid " M D2 "\n"
                                                "log valid " M L2 "\n"
                                                "log valid " M L3 "\n"
                                                "digest invalid " M D3 ": public key not found\n");
    assert_string_equal(rp_buf_cstr(&rc.details),
                        "no key with fingerprint '0123456789ABCDEF0123456789ABCDEF'\n");

    write_digest(&dig[2], key_b, fp_a);
    run(&(struct run){0});
    assert_string_equal(rp_buf_cstr(&rc.lines),
                        "digest valid " M D1 "\n"
                        "log valid " M L1 "\n"
                        "digest valid " M D2 "\n"
                        "log valid " M L2 "\n"
                        "log valid " M L3 "\n"
                        "digest invalid " M D3 ": signature does not verify\n");
}

/* No `.sig` for D1 (and no map): D1 cannot be verified, nor can the hash D1 lists for L1. */
static void test_verify_no_signature(void **state)
{
    (void)state;
    assert_int_equal(unlink(at(M D1 ".sig")), 0);
    run(&(struct run){0});
    assert_string_equal(rp_buf_cstr(&rc.lines),
                        "digest invalid " M D1 ": signature not found\n"
                        "log invalid " M L1 ": listed in an unverified digest\n"
                        "digest valid " M D2 "\n"
                        "log valid " M L2 "\n"
                        "log valid " M L3 "\n"
                        "digest valid " M D3 "\n");
    char want[1024];
    snprintf(want, sizeof want,
             "no '%s/" M D1 ".sig' and no entry in the signature map\n"
             "the hash matches, but the digest's signature was not verified\n",
             tmpdir);
    assert_string_equal(rp_buf_cstr(&rc.details), want);
    assert_counts(&sum.digests, 3, 2, 1, 0);
    assert_counts(&sum.logs, 3, 2, 1, 0);
}

/* A digest copied to another day's folder: its digestS3Object says where it belongs. */
static void test_verify_digest_moved(void **state)
{
    (void)state;
    const char *moved =
        "AWSLogs/" ACCT "/CloudTrail-Digest/us-east-1/2026/01/02/" DNAME "20260101T030000Z.json.gz";
    char from[600], to[600], sfrom[610], sto[610];
    snprintf(from, sizeof from, "%s", at(M D3));
    snprintf(to, sizeof to, "%s/" M "%s", tmpdir, moved);
    snprintf(sfrom, sizeof sfrom, "%s.sig", from);
    snprintf(sto, sizeof sto, "%s.sig", to);
    mkdirs(to);
    assert_int_equal(rename(from, to), 0);
    assert_int_equal(rename(sfrom, sto), 0);
    run(&(struct run){0});
    char want[2048];
    snprintf(want, sizeof want,
             "digest valid " M D1 "\n"
             "log valid " M L1 "\n"
             "digest valid " M D2 "\n"
             "log valid " M L2 "\n"
             "log valid " M L3 "\n"
             "digest invalid " M "%s: moved from its original location\n",
             moved);
    assert_string_equal(rp_buf_cstr(&rc.lines), want);
    assert_string_equal(rp_buf_cstr(&rc.details), "digestS3Object is '" S3PRE D3 "'\n");
}

/* ---- tests: inputs ------------------------------------------------------------------- */

/* Signatures from a map file (head-object output and plain strings), no sidecars. */
static void test_verify_signature_map(void **state)
{
    (void)state;
    for (int i = 0; i < 3; i++) {
        char rel[600];
        snprintf(rel, sizeof rel, M "%s.sig", dig[i].rel);
        assert_int_equal(unlink(at(rel)), 0);
    }
    char json[4096];
    snprintf(json, sizeof json,
             "{\"" S3PRE D1 "\":{\"AcceptRanges\":\"bytes\",\"Metadata\":{\"signature\":\"%s\","
             "\"signature-algorithm\":\"SHA256withRSA\"}},"
             "\"s3://" BUCKET "/" S3PRE D2 "\":\"%s\","
             "\"" D3 "\":{\"signature\":\"%s\"}}",
             dig[0].sig, dig[1].sig, dig[2].sig);
    put_str("sigs.json", json);
    run(&(struct run){.sigs = "sigs.json"});
    assert_string_equal(rp_buf_cstr(&rc.lines), ALL_VALID);
}

/* Keys as PEM, one SubjectPublicKeyInfo block and one PKCS#1 block; fingerprints computed. */
static void test_verify_pem_keys(void **state)
{
    (void)state;
    BIO *bio = BIO_new_file(at("keys.pem"), "w");
    assert_non_null(bio);
    assert_int_equal(PEM_write_bio_PUBKEY(bio, key_b), 1);
    unsigned char *der;
    int n = pkcs1_der(key_a, &der);
    assert_true(PEM_write_bio(bio, "RSA PUBLIC KEY", "", der, n) > 0);
    OPENSSL_free(der);
    BIO_free(bio);
    struct rp_trail_keys *k = NULL;
    assert_int_equal(rp_trail_keys_load(at("keys.pem"), &k, NULL), RP_OK);
    assert_int_equal(rp_trail_keys_count(k), 2);
    rp_trail_keys_free(k);
    run(&(struct run){.keys = "keys.pem"});
    assert_string_equal(rp_buf_cstr(&rc.lines), ALL_VALID);
}

static void test_verify_keys_errors(void **state)
{
    (void)state;
    struct rp_trail_keys *k = NULL;
    struct rp_errbuf eb = {0};
    put_str("k1.json", "{\"PublicKeyList\":[{\"Value\":\"bm90IGEga2V5\",\"Fingerprint\":\"ab\"}]}");
    assert_int_equal(rp_trail_keys_load(at("k1.json"), &k, &eb), RP_EPARSE);
    char want[256];
    snprintf(want, sizeof want, "trail: keys: '%s': key 0 is not a base64 DER RSA key",
             at("k1.json"));
    assert_string_equal(eb.msg, want);
    assert_null(k);
    put_str("k2.json", "{\"Keys\":[]}");
    assert_int_equal(rp_trail_keys_load(at("k2.json"), &k, &eb), RP_EPARSE);
    snprintf(want, sizeof want, "trail: keys: '%s' has no 'PublicKeyList' array", at("k2.json"));
    assert_string_equal(eb.msg, want);
    put_str("k3.pem", "hello\n");
    assert_int_equal(rp_trail_keys_load(at("k3.pem"), &k, &eb), RP_EPARSE);
    snprintf(want, sizeof want, "trail: keys: no public key in '%s'", at("k3.pem"));
    assert_string_equal(eb.msg, want);
    assert_int_equal(rp_trail_keys_load(at("none.json"), &k, &eb), RP_ENOENT);
}

/* --start-time after D1: D1 and L1 are not reported; D2's link to D1 is still checked. Then
 * with D1 deleted, the gap before the range is no error. */
static void test_verify_time_range(void **state)
{
    (void)state;
    run(&(struct run){.start = "2026-01-01T01:30:00Z", .end = "2026-01-01T02:00:00Z"});
    assert_string_equal(rp_buf_cstr(&rc.lines), "digest valid " M D2 "\n"
                                                "log valid " M L2 "\n"
                                                "log valid " M L3 "\n");
    /* D1 rewritten (another end time, so another hash and signature): D2's link notices. */
    dig[0].end = "2026-01-01T00:59:59Z";
    write_digest(&dig[0], key_a, fp_a);
    run(&(struct run){.start = "2026-01-01T01:30:00Z"});
    assert_string_equal(rp_buf_cstr(&rc.lines),
                        "digest invalid " M D2
                        ": previous digest hash mismatch; previous digest signature mismatch\n"
                        "log valid " M L2 "\n"
                        "log valid " M L3 "\n"
                        "digest valid " M D3 "\n");
    assert_int_equal(unlink(at(M D1)), 0);
    run(&(struct run){.start = "2026-01-01T01:30:00Z"});
    assert_string_equal(rp_buf_cstr(&rc.lines), "digest valid " M D2 "\n"
                                                "log valid " M L2 "\n"
                                                "log valid " M L3 "\n"
                                                "digest valid " M D3 "\n");
    /* Without a start the gap counts. */
    run(&(struct run){0});
    assert_string_equal(rp_buf_cstr(&rc.lines), "digest missing " M D1 ": not found\n"
                                                "digest valid " M D2 "\n"
                                                "log valid " M L2 "\n"
                                                "log valid " M L3 "\n"
                                                "digest valid " M D3 "\n");
}

static void test_verify_account_region_filters(void **state)
{
    (void)state;
    run(&(struct run){.account = "999999999999"});
    assert_string_equal(rp_buf_cstr(&rc.lines), "");
    assert_int_equal(sum.digests.total, 0);
    assert_false(sum.found);
    run(&(struct run){.region = "eu-west-1"});
    assert_string_equal(rp_buf_cstr(&rc.lines), "");
    run(&(struct run){.account = ACCT, .region = "us-east-1"});
    assert_string_equal(rp_buf_cstr(&rc.lines), ALL_VALID);
    /* A root inside the tree (the digest folder itself) works too. */
    run(&(struct run){.root = M "AWSLogs/" ACCT "/CloudTrail-Digest"});
    assert_string_equal(rp_buf_cstr(&rc.lines), ALL_VALID);
}

/* A single digest file as the root: its predecessor is found at the path its key gives. */
static void test_verify_single_file_root(void **state)
{
    (void)state;
    run(&(struct run){.root = M D2});
    assert_string_equal(rp_buf_cstr(&rc.lines), "digest valid " M D2 "\n"
                                                "log valid " M L2 "\n"
                                                "log valid " M L3 "\n");
    assert_int_equal(unlink(at(M D1)), 0);
    run(&(struct run){.root = M D2});
    assert_string_equal(rp_buf_cstr(&rc.lines), "digest missing " M D1 ": not found\n"
                                                "digest valid " M D2 "\n"
                                                "log valid " M L2 "\n"
                                                "log valid " M L3 "\n");
}

/* Organization trail: AWSLogs/<o-id>/<acct>/CloudTrail-Digest/... */
static void test_verify_org_layout(void **state)
{
    (void)state;
    assert_int_equal(rp_test_tmpdir_remove(tmpdir), 0);
    assert_int_equal(mkdir(tmpdir, 0700), 0);
    struct tlog ol = {NULL, ""};
    char lrel[512], drel[512];
    snprintf(lrel, sizeof lrel, "AWSLogs/o-abc123/%s", &L1[8]); /* after "AWSLogs/" */
    ol.rel = lrel;
    write_log(&ol, "CreateUser");
    snprintf(drel, sizeof drel, "AWSLogs/o-abc123/%s", &D1[8]);
    struct tdigest od = {.rel = drel,
                         .start = "2026-01-01T00:00:00Z",
                         .end = "2026-01-01T01:00:00Z",
                         .logs = {&ol},
                         .nlogs = 1};
    write_digest(&od, key_a, fp_a);
    write_keys_json("keys.json");
    run(&(struct run){.account = ACCT});
    char want[1200];
    snprintf(want, sizeof want, "digest valid " M "%s\nlog valid " M "%s\n", drel, lrel);
    assert_string_equal(rp_buf_cstr(&rc.lines), want);
}

/* ---- tests: the parser ------------------------------------------------------------------- */

static void test_digest_parse_errors(void **state)
{
    (void)state;
    static const struct {
        const char *json, *msg;
    } cases[] = {
        {"[]", "trail: digest: top level is array, not an object"},
        {"{\"awsAccountId\":1}", "trail: digest: field 'awsAccountId' is int, not a string"},
        {"{\"awsAccountId\":\"1\"}", "trail: digest: missing field 'digestStartTime'"},
        {"{\"awsAccountId\":\"1\",\"digestStartTime\":\"x\",\"digestEndTime\":\"y\","
         "\"digestS3Bucket\":\"b\",\"digestS3Object\":\"o\",\"digestPublicKeyFingerprint\":"
         "\"f\",\"digestSignatureAlgorithm\":\"SHA256withRSA\"}",
         "trail: digest: bad 'digestStartTime': time: bad year 'x' at 0 in 'x'"},
        {"{\"awsAccountId\":\"1\",\"digestStartTime\":\"2026-01-01T00:00:00Z\","
         "\"digestEndTime\":\"2026-01-01T01:00:00Z\",\"digestS3Bucket\":\"b\","
         "\"digestS3Object\":\"o\",\"digestPublicKeyFingerprint\":\"f\","
         "\"digestSignatureAlgorithm\":\"SHA256withRSA\",\"logFiles\":[{\"s3Bucket\":\"b\"}]}",
         "trail: digest: missing field 's3Object' in logFiles[0]"},
        {"{\"awsAccountId\":\"1\",\"digestStartTime\":\"2026-01-01T00:00:00Z\","
         "\"digestEndTime\":\"2026-01-01T01:00:00Z\",\"digestS3Bucket\":\"b\","
         "\"digestS3Object\":\"o\",\"digestPublicKeyFingerprint\":\"f\","
         "\"digestSignatureAlgorithm\":\"SHA256withRSA\",\"previousDigestS3Object\":7,"
         "\"logFiles\":[]}",
         "trail: digest: field 'previousDigestS3Object' is int, not a string"},
        {"{\"awsAccountId\":\"1\\u0000\"}", "trail: digest: field 'awsAccountId' holds a NUL byte"},
        {"{", "trail: digest: json: unexpected end of input at offset 1"},
    };
    struct rp_arena a;
    rp_arena_init(&a, 0);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct rp_trail_digest d;
        struct rp_errbuf eb = {0};
        assert_int_equal(rp_trail_digest_parse(&a, cases[i].json, strlen(cases[i].json), &d, &eb),
                         RP_EPARSE);
        assert_string_equal(eb.msg, cases[i].msg);
    }
    rp_arena_release(&a);
}

static void test_digest_parse_fields(void **state)
{
    (void)state;
    const char *json =
        "{\"awsAccountId\":\"1\",\"digestStartTime\":\"2026-01-01T00:00:00Z\","
        "\"digestEndTime\":\"2026-01-01T01:00:00Z\",\"digestS3Bucket\":\"b\","
        "\"digestS3Object\":\"o\",\"digestPublicKeyFingerprint\":\"f\","
        "\"digestSignatureAlgorithm\":\"SHA256withRSA\",\"previousDigestS3Bucket\":\"pb\","
        "\"previousDigestS3Object\":\"po\",\"previousDigestHashValue\":\"ph\","
        "\"previousDigestHashAlgorithm\":\"SHA-256\",\"previousDigestSignature\":\"ps\","
        "\"logFiles\":[{\"s3Bucket\":\"lb\",\"s3Object\":\"lo\",\"hashValue\":\"lh\","
        "\"hashAlgorithm\":\"SHA-256\"}]}";
    struct rp_arena a;
    rp_arena_init(&a, 0);
    struct rp_trail_digest d;
    assert_int_equal(rp_trail_digest_parse(&a, json, strlen(json), &d, NULL), RP_OK);
    assert_string_equal(d.account, "1");
    assert_int_equal(d.end_ms - d.start_ms, 3600000);
    assert_string_equal(d.prev_bucket, "pb");
    assert_string_equal(d.prev_object, "po");
    assert_string_equal(d.prev_hash, "ph");
    assert_string_equal(d.prev_hash_alg, "SHA-256");
    assert_string_equal(d.prev_signature, "ps");
    assert_int_equal(d.nlogs, 1);
    assert_string_equal(d.logs[0].s3_bucket, "lb");
    assert_string_equal(d.logs[0].s3_object, "lo");
    assert_string_equal(d.logs[0].hash_value, "lh");
    assert_string_equal(d.logs[0].hash_algorithm, "SHA-256");
    rp_arena_release(&a);
}

static void test_key_suffix(void **state)
{
    (void)state;
    assert_string_equal(rp_trail_key_suffix("AWSLogs/1/x"), "AWSLogs/1/x");
    assert_string_equal(rp_trail_key_suffix("b/pre/AWSLogs/1/x"), "AWSLogs/1/x");
    assert_string_equal(rp_trail_key_suffix("/m/AWSLogs/a/AWSLogs/1/x"), "AWSLogs/1/x");
    assert_null(rp_trail_key_suffix("b/MyAWSLogs/1/x"));
    assert_null(rp_trail_key_suffix("b/AWSLogs"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_verify_all_valid, setup, teardown),
        cmocka_unit_test_setup_teardown(test_verify_log_modified, setup, teardown),
        cmocka_unit_test_setup_teardown(test_verify_log_byte_flipped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_verify_log_deleted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_verify_digest_deleted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_verify_chain_broken, setup, teardown),
        cmocka_unit_test_setup_teardown(test_verify_bad_signature, setup, teardown),
        cmocka_unit_test_setup_teardown(test_verify_digest_modified, setup, teardown),
        cmocka_unit_test_setup_teardown(test_verify_key_selection, setup, teardown),
        cmocka_unit_test_setup_teardown(test_verify_no_signature, setup, teardown),
        cmocka_unit_test_setup_teardown(test_verify_digest_moved, setup, teardown),
        cmocka_unit_test_setup_teardown(test_verify_signature_map, setup, teardown),
        cmocka_unit_test_setup_teardown(test_verify_pem_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(test_verify_keys_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_verify_time_range, setup, teardown),
        cmocka_unit_test_setup_teardown(test_verify_account_region_filters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_verify_single_file_root, setup, teardown),
        cmocka_unit_test_setup_teardown(test_verify_org_layout, setup, teardown),
        cmocka_unit_test(test_digest_parse_errors),
        cmocka_unit_test(test_digest_parse_fields),
        cmocka_unit_test(test_key_suffix),
    };
    return cmocka_run_group_tests_name("trail_verify", tests, group_setup, group_teardown);
}
