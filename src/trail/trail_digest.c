/* SPDX-License-Identifier: Apache-2.0 */
/* CloudTrail digest file parser (trail.h): the uncompressed JSON of one digest into a struct
 * rp_trail_digest whose strings are copied into the caller's arena, so the JSON parser can be
 * reused at once. Also the S3-key-to-local-path rule shared by the verifier and the signature
 * map: a key is matched by its suffix from the last "AWSLogs" component.
 *
 * Input is untrusted (a digest may be forged; that is what the verifier is for), so every
 * field is type-checked and the parser is a libFuzzer target (tests/fuzz/fuzz_trail_digest.c). */
#define RP_LOG_MODULE "trail"

#include <stdio.h>
#include <string.h>

#include "core/rp_json.h"
#include "core/rp_time.h"
#include "trail/trail.h"
#include "core/rp_banned.h"

const char *rp_trail_key_suffix(const char *s)
{
    const char *hit = NULL;
    for (const char *p = s; (p = strstr(p, "AWSLogs/")) != NULL; p++)
        if (p == s || p[-1] == '/') hit = p;
    return hit;
}

/* Copy of a string member into the arena. null_ok: JSON null or an absent member give NULL. */
static rp_err get_str(struct rp_arena *a, struct rp_json_val obj, const char *key, bool null_ok,
                      const char *where, const char **out, struct rp_errbuf *eb)
{
    struct rp_json_val v;
    struct rp_str s;
    *out = NULL;
    if (rp_json_obj_get(obj, key, &v) != RP_OK) {
        if (null_ok) return RP_OK;
        return rp_fail(eb, RP_EPARSE, "trail: digest: missing field '%s'%s", key, where);
    }
    if (null_ok && rp_json_type(v) == RP_JSON_NULL) return RP_OK;
    if (rp_json_get_str(v, &s) != RP_OK)
        return rp_fail(eb, RP_EPARSE, "trail: digest: field '%s'%s is %s, not a string", key, where,
                       rp_json_type_name(rp_json_type(v)));
    /* Every field ends up in a path, a message or the signing string: no NUL bytes. */
    if (memchr(s.p, '\0', s.len))
        return rp_fail(eb, RP_EPARSE, "trail: digest: field '%s'%s holds a NUL byte", key, where);
    if (!(*out = rp_arena_memdup(a, s.p, s.len))) return RP_ENOMEM;
    return RP_OK;
}

static rp_err get_time(const char *s, const char *key, int64_t *ms, struct rp_errbuf *eb)
{
    struct rp_errbuf e2 = {0};
    if (rp_time_parse_iso(rp_str_from(s), ms, &e2) != RP_OK)
        return rp_fail(eb, RP_EPARSE, "trail: digest: bad '%s': %s", key, e2.msg);
    return RP_OK;
}

static rp_err parse_root(struct rp_arena *a, struct rp_json_val root, struct rp_trail_digest *d,
                         struct rp_errbuf *eb)
{
    struct {
        const char *key;
        const char **dst;
        bool null_ok;
    } fields[] = {
        {"awsAccountId", &d->account, false},
        {"digestStartTime", &d->start_time, false},
        {"digestEndTime", &d->end_time, false},
        {"digestS3Bucket", &d->s3_bucket, false},
        {"digestS3Object", &d->s3_object, false},
        {"digestPublicKeyFingerprint", &d->key_fingerprint, false},
        {"digestSignatureAlgorithm", &d->sig_algorithm, false},
        {"previousDigestS3Bucket", &d->prev_bucket, true},
        {"previousDigestS3Object", &d->prev_object, true},
        {"previousDigestHashValue", &d->prev_hash, true},
        {"previousDigestHashAlgorithm", &d->prev_hash_alg, true},
        {"previousDigestSignature", &d->prev_signature, true},
    };
    if (rp_json_type(root) != RP_JSON_OBJECT)
        return rp_fail(eb, RP_EPARSE, "trail: digest: top level is %s, not an object",
                       rp_json_type_name(rp_json_type(root)));
    rp_err e;
    for (size_t i = 0; i < RP_ARRAY_LEN(fields); i++)
        if ((e = get_str(a, root, fields[i].key, fields[i].null_ok, "", fields[i].dst, eb)))
            return e;
    if ((e = get_time(d->start_time, "digestStartTime", &d->start_ms, eb)) ||
        (e = get_time(d->end_time, "digestEndTime", &d->end_ms, eb)))
        return e;

    struct rp_json_val logs, el;
    struct rp_json_iter it;
    if (rp_json_obj_get(root, "logFiles", &logs) != RP_OK)
        return rp_fail(eb, RP_EPARSE, "trail: digest: missing field 'logFiles'");
    if (rp_json_arr_iter(logs, &it) != RP_OK)
        return rp_fail(eb, RP_EPARSE, "trail: digest: field 'logFiles' is %s, not an array",
                       rp_json_type_name(rp_json_type(logs)));
    size_t n = rp_json_len(logs);
    d->logs = n ? rp_arena_zalloc(a, n * sizeof *d->logs) : NULL;
    if (n && !d->logs) return RP_ENOMEM;
    for (size_t i = 0; rp_json_arr_next(&it, &el); i++) {
        struct rp_trail_logfile *lf = &d->logs[i];
        char where[48];
        snprintf(where, sizeof where, " in logFiles[%zu]", i);
        if (rp_json_type(el) != RP_JSON_OBJECT)
            return rp_fail(eb, RP_EPARSE, "trail: digest: logFiles[%zu] is %s, not an object", i,
                           rp_json_type_name(rp_json_type(el)));
        if ((e = get_str(a, el, "s3Bucket", false, where, &lf->s3_bucket, eb)) ||
            (e = get_str(a, el, "s3Object", false, where, &lf->s3_object, eb)) ||
            (e = get_str(a, el, "hashValue", false, where, &lf->hash_value, eb)) ||
            (e = get_str(a, el, "hashAlgorithm", false, where, &lf->hash_algorithm, eb)))
            return e;
        d->nlogs = i + 1;
    }
    return RP_OK;
}

rp_err rp_trail_digest_parse(struct rp_arena *a, const char *json, size_t len,
                             struct rp_trail_digest *out, struct rp_errbuf *eb)
{
    memset(out, 0, sizeof *out);
    if (len > RP_TRAIL_MAX_DIGEST_BYTES)
        return rp_fail(eb, RP_ELIMIT, "trail: digest: %zu bytes, more than the %u allowed", len,
                       RP_TRAIL_MAX_DIGEST_BYTES);
    struct rp_json_parser *p = rp_json_parser_new();
    if (!p) return RP_ENOMEM;
    struct rp_json_val root;
    struct rp_errbuf e2 = {0};
    rp_err e = rp_json_parse(p, json, len, &root, &e2);
    if (e && e != RP_ENOMEM)
        e = rp_fail(eb, e, "trail: digest: %s", rp_errbuf_msg(&e2, e));
    else if (!e)
        e = parse_root(a, root, out, eb);
    rp_json_parser_free(p);
    return e;
}
