/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of src/sim/sim_cloudtrail.c, the deterministic CloudTrail generator.
 *
 * Pins determinism (same seed, same bytes, and a hash of a fixed output so a change on any
 * platform shows up), JSON validity (core/rp_json, plus a check for duplicate keys), the CloudTrail
 * fields every record carries, time order, eventID uniqueness and format, the S3 data-event ratio,
 * option validation, and the streaming and buffer-limit contracts of sim.h. Nothing here reads
 * fixtures or sample data. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/rp_json.h"
#include "sim/sim.h"
#include "core/rp_banned.h"

/* Outputs pinned for fixed seeds (see test_cloudtrail_output_pinned). */
#define PINNED_LEN      1545502
#define PINNED_HASH     0x567fe03d1b6d788bull
#define PINNED_DATA_250 2453

/* ---- JSON validity: core/rp_json, plus a duplicate-key check it does not make ---------- */

static bool no_dup_keys(struct rp_json_val v, unsigned depth)
{
    struct rp_json_iter it;
    struct rp_json_val child;
    struct rp_str key;
    if (depth > 64) return false;
    if (rp_json_type(v) == RP_JSON_ARRAY) {
        if (rp_json_arr_iter(v, &it) != RP_OK) return false;
        while (rp_json_arr_next(&it, &child))
            if (!no_dup_keys(child, depth + 1)) return false;
    } else if (rp_json_type(v) == RP_JSON_OBJECT) {
        struct rp_str seen[128];
        size_t n = 0;
        if (rp_json_obj_iter(v, &it) != RP_OK) return false;
        while (rp_json_obj_next(&it, &key, &child)) {
            for (size_t i = 0; i < n; i++)
                if (rp_str_eq(seen[i], key)) return false;
            if (n < RP_ARRAY_LEN(seen)) seen[n++] = key;
            if (!no_dup_keys(child, depth + 1)) return false;
        }
    }
    return true;
}

/* True when p[0..n) is exactly one JSON value without duplicate keys; *items gets the length
 * of the "Records" array when there is one. */
static bool json_valid(const char *p, size_t n, size_t *items)
{
    struct rp_json_parser *jp = rp_json_parser_new();
    struct rp_json_val root, recs;
    bool ok = jp && rp_json_parse(jp, p, n, &root, NULL) == RP_OK && no_dup_keys(root, 0);
    if (ok && items && rp_json_obj_get(root, "Records", &recs) == RP_OK) *items = rp_json_len(recs);
    rp_json_parser_free(jp);
    return ok;
}

/* ---- helpers ------------------------------------------------------------------------------- */

static struct rp_sim_ct *gen_seed(uint64_t seed)
{
    struct rp_sim_ct_opts o;
    rp_sim_ct_opts_init(&o);
    o.seed = seed;
    struct rp_sim_ct *g = NULL;
    assert_int_equal(rp_sim_ct_new(&o, &g, NULL), RP_OK);
    assert_non_null(g);
    return g;
}

/* The string value of "key":"..." in a record, or NULL; *n gets its length. */
static const char *field(const char *rec, const char *key, size_t *n)
{
    char pat[64];
    snprintf(pat, sizeof(pat), "\"%s\":\"", key);
    const char *s = strstr(rec, pat);
    if (!s) return NULL;
    s += strlen(pat);
    const char *e = strchr(s, '"');
    if (!e) return NULL;
    *n = (size_t)(e - s);
    return s;
}

static uint64_t fnv1a(const void *p, size_t n)
{
    const unsigned char *s = p;
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++) h = (h ^ s[i]) * 0x100000001b3ull;
    return h;
}

static rp_err sink_buf(void *ctx, const void *p, size_t n)
{
    return rp_buf_append(ctx, p, n);
}

static rp_err sink_fail(void *ctx, const void *p, size_t n)
{
    (void)ctx;
    (void)p;
    (void)n;
    return RP_EIO;
}

/* ---- tests --------------------------------------------------------------------------------- */

static void test_cloudtrail_same_seed_same_bytes(void **state)
{
    (void)state;
    struct rp_sim_ct *a = gen_seed(42), *b = gen_seed(42);
    struct rp_buf ba, bb;
    rp_buf_init(&ba, 0);
    rp_buf_init(&bb, 0);
    assert_int_equal(rp_sim_ct_file_append(a, 2000, &ba), RP_OK);
    assert_int_equal(rp_sim_ct_file_append(b, 2000, &bb), RP_OK);
    assert_int_equal(ba.len, bb.len);
    assert_memory_equal(ba.data, bb.data, ba.len);
    assert_int_equal(rp_sim_ct_count(a), 2000);
    rp_buf_release(&ba);
    rp_buf_release(&bb);
    rp_sim_ct_free(a);
    rp_sim_ct_free(b);
}

static void test_cloudtrail_different_seed_differs(void **state)
{
    (void)state;
    struct rp_sim_ct *a = gen_seed(42), *b = gen_seed(43);
    struct rp_buf ba, bb;
    rp_buf_init(&ba, 0);
    rp_buf_init(&bb, 0);
    assert_int_equal(rp_sim_ct_record_append(a, &ba), RP_OK);
    assert_int_equal(rp_sim_ct_record_append(b, &bb), RP_OK);
    assert_false(ba.len == bb.len && memcmp(ba.data, bb.data, ba.len) == 0);
    size_t na, nb;
    const char *ida = field(ba.data, "eventID", &na), *idb = field(bb.data, "eventID", &nb);
    assert_non_null(ida);
    assert_non_null(idb);
    assert_false(na == nb && memcmp(ida, idb, na) == 0);
    rp_buf_release(&ba);
    rp_buf_release(&bb);
    rp_sim_ct_free(a);
    rp_sim_ct_free(b);
}

/* A fixed seed's output is pinned, so the "byte-identical on every platform" promise is
 * checked wherever the suite runs. Update the constant only when the generator changes on
 * purpose, and say so in the commit. */
static void test_cloudtrail_output_pinned(void **state)
{
    (void)state;
    struct rp_sim_ct *g = gen_seed(42);
    struct rp_buf b;
    rp_buf_init(&b, 0);
    assert_int_equal(rp_sim_ct_file_append(g, 1000, &b), RP_OK);
    print_message("pinned output: len %zu fnv1a %016llx\n", b.len,
                  (unsigned long long)fnv1a(b.data, b.len));
    assert_int_equal(b.len, PINNED_LEN);
    assert_int_equal(fnv1a(b.data, b.len), PINNED_HASH);
    rp_buf_release(&b);
    rp_sim_ct_free(g);
}

static void test_cloudtrail_file_is_valid_json(void **state)
{
    (void)state;
    struct rp_sim_ct *g = gen_seed(7);
    struct rp_buf b;
    rp_buf_init(&b, 0);
    assert_int_equal(rp_sim_ct_file_append(g, 0, &b), RP_OK);
    assert_string_equal(b.data, "{\"Records\":[]}");
    rp_buf_reset(&b);
    assert_int_equal(rp_sim_ct_file_append(g, 5000, &b), RP_OK);
    assert_memory_equal(b.data, "{\"Records\":[{", 13);
    assert_memory_equal(b.data + b.len - 3, "}]}", 3);
    size_t items = 0;
    assert_true(json_valid(b.data, b.len, &items));
    assert_int_equal(items, 5000);
    /* the checker itself rejects what it must */
    assert_false(json_valid("{\"a\":1,\"a\":2}", 13, NULL));
    assert_false(json_valid("{\"a\":[1,]}", 10, NULL));
    assert_false(json_valid("{\"a\":\"x\ty\"}", 11, NULL));
    rp_buf_release(&b);
    rp_sim_ct_free(g);
}

static void test_cloudtrail_records_have_required_fields(void **state)
{
    (void)state;
    static const char *const required[] = {
        "\"eventVersion\":\"1.0",
        "\"userIdentity\":{\"type\":\"",
        "\"eventTime\":\"",
        "\"eventSource\":\"",
        "\"eventName\":\"",
        "\"awsRegion\":\"",
        "\"sourceIPAddress\":\"",
        "\"userAgent\":\"",
        "\"requestParameters\":",
        "\"responseElements\":",
        "\"eventID\":\"",
        "\"readOnly\":",
        "\"eventType\":\"",
        "\"managementEvent\":",
        "\"recipientAccountId\":\"",
        "\"eventCategory\":\"",
    };
    struct rp_sim_ct *g = gen_seed(11);
    struct rp_buf b;
    rp_buf_init(&b, 0);
    for (int i = 0; i < 10000; i++) {
        rp_buf_reset(&b);
        assert_int_equal(rp_sim_ct_record_append(g, &b), RP_OK);
        assert_true(b.len < RP_SIM_CT_MAX_RECORD / 2);
        assert_true(json_valid(b.data, b.len, NULL));
        for (size_t k = 0; k < sizeof(required) / sizeof(required[0]); k++) {
            if (!strstr(b.data, required[k]))
                fail_msg("record %d lacks %s: %s", i, required[k], b.data);
        }
        size_t n;
        const char *acct = field(b.data, "recipientAccountId", &n);
        assert_int_equal(n, 12);
        assert_true(strspn(acct, "0123456789") >= 12);
        /* data events and management events say so consistently */
        bool data = strstr(b.data, "\"eventCategory\":\"Data\"") != NULL;
        assert_int_equal(data, strstr(b.data, "\"managementEvent\":false") != NULL);
        if (data) assert_non_null(strstr(b.data, "\"type\":\"AWS::S3::"));
    }
    rp_buf_release(&b);
    rp_sim_ct_free(g);
}

static void test_cloudtrail_event_time_non_decreasing(void **state)
{
    (void)state;
    struct rp_sim_ct *g = gen_seed(5);
    struct rp_buf b;
    rp_buf_init(&b, 0);
    char prev[21] = "";
    for (int i = 0; i < 10000; i++) {
        rp_buf_reset(&b);
        assert_int_equal(rp_sim_ct_record_append(g, &b), RP_OK);
        size_t n;
        const char *t = field(b.data, "eventTime", &n);
        assert_non_null(t);
        assert_int_equal(n, 20);
        /* 2024-03-06T21:22:54Z: fixed width, so byte order is time order */
        assert_true(t[4] == '-' && t[7] == '-' && t[10] == 'T' && t[13] == ':' && t[16] == ':' &&
                    t[19] == 'Z');
        if (i == 0)
            assert_memory_equal(t, "2024-03-06T00:00:00Z", 20);
        else
            assert_true(memcmp(prev, t, 20) <= 0);
        memcpy(prev, t, 20);
    }
    /* 10000 gaps of mean 100 ms: about 1000 s later */
    assert_memory_equal(prev, "2024-03-06T00:1", 15);
    rp_buf_release(&b);
    rp_sim_ct_free(g);
}

static int cmp_id(const void *a, const void *b)
{
    return memcmp(a, b, 36);
}

static void test_cloudtrail_event_ids_unique(void **state)
{
    (void)state;
    enum { N = 10000 };
    char(*ids)[36] = malloc(sizeof(*ids) * N);
    assert_non_null(ids);
    struct rp_sim_ct *g = gen_seed(9);
    struct rp_buf b;
    rp_buf_init(&b, 0);
    for (int i = 0; i < N; i++) {
        rp_buf_reset(&b);
        assert_int_equal(rp_sim_ct_record_append(g, &b), RP_OK);
        size_t n;
        const char *id = field(b.data, "eventID", &n);
        assert_non_null(id);
        assert_int_equal(n, 36);
        for (int k = 0; k < 36; k++) {
            if (k == 8 || k == 13 || k == 18 || k == 23)
                assert_int_equal(id[k], '-');
            else
                assert_non_null(strchr("0123456789abcdef", id[k]));
        }
        assert_int_equal(id[14], '4');           /* version 4 */
        assert_non_null(strchr("89ab", id[19])); /* RFC 4122 variant */
        memcpy(ids[i], id, 36);
    }
    qsort(ids, N, 36, cmp_id);
    for (int i = 1; i < N; i++) assert_true(memcmp(ids[i - 1], ids[i], 36) != 0);
    free(ids);
    rp_buf_release(&b);
    rp_sim_ct_free(g);
}

/* strstr for multi-megabyte buffers: ASan's strstr interceptor rescans the whole haystack on
 * every call, which makes repeated searches quadratic under the sanitizer build. */
static const char *find(const char *s, const char *needle)
{
    size_t n = strlen(needle);
    for (; *s; s++)
        if (*s == needle[0] && strncmp(s, needle, n) == 0) return s;
    return NULL;
}

static size_t count(const char *hay, const char *needle)
{
    size_t c = 0, n = strlen(needle);
    for (const char *s = hay; (s = find(s, needle)) != NULL; s += n) c++;
    return c;
}

static size_t data_events(uint32_t permille, size_t nrec)
{
    struct rp_sim_ct_opts o;
    rp_sim_ct_opts_init(&o);
    o.seed = 3;
    o.data_permille = permille;
    struct rp_sim_ct *g;
    assert_int_equal(rp_sim_ct_new(&o, &g, NULL), RP_OK);
    struct rp_buf b;
    rp_buf_init(&b, 0);
    assert_int_equal(rp_sim_ct_file_append(g, nrec, &b), RP_OK);
    size_t d = count(b.data, "\"eventCategory\":\"Data\"");
    assert_int_equal(d + count(b.data, "\"eventCategory\":\"Management\""), nrec);
    rp_buf_release(&b);
    rp_sim_ct_free(g);
    return d;
}

static void test_cloudtrail_data_fraction_matches(void **state)
{
    (void)state;
    size_t d = data_events(250, 10000);
    print_message("data events at 250 per mille: %zu of 10000\n", d);
    assert_true(d > 2350 && d < 2650); /* binomial sd ~ 43 */
    assert_int_equal(d, PINNED_DATA_250);
    assert_int_equal(data_events(0, 2000), 0);
    assert_int_equal(data_events(1000, 2000), 2000);
}

static void test_cloudtrail_catalogue_coverage(void **state)
{
    (void)state;
    struct rp_sim_ct *g = gen_seed(13);
    struct rp_buf b;
    rp_buf_init(&b, 0);
    assert_int_equal(rp_sim_ct_file_append(g, 20000, &b), RP_OK);
    static const char *const must[] = {
        "\"userIdentity\":{\"type\":\"IAMUser\"",
        "\"userIdentity\":{\"type\":\"AssumedRole\"",
        "\"userIdentity\":{\"type\":\"Root\"",
        "\"userIdentity\":{\"type\":\"AWSService\"",
        "\"userIdentity\":{\"type\":\"AWSAccount\"",
        "\"eventType\":\"AwsApiCall\"",
        "\"eventType\":\"AwsConsoleSignIn\"",
        "\"eventType\":\"AwsServiceEvent\"",
        "\"responseElements\":{\"ConsoleLogin\":\"Success\"}",
        "\"MFAUsed\":\"",
        "\"sessionContext\":{\"sessionIssuer\":{\"type\":\"Role\"",
        "\"mfaAuthenticated\":\"",
        "\"invokedBy\":\"lambda.amazonaws.com\"",
        "\"errorCode\":\"AccessDenied\"",
        "\"type\":\"AWS::S3::Object\"",
        "\"additionalEventData\":{",
        "\"tlsDetails\":{\"tlsVersion\":\"TLSv1.",
        "\"sessionCredentialFromConsole\":\"true\"",
        "\"requestParameters\":null",
        "\"responseElements\":null",
        "\"eventName\":\"GetObject\"",
        "\"eventName\":\"PutObject\"",
        "\"eventName\":\"CreateAccessKey\"",
        "\"eventName\":\"AssumeRole\"",
        "\"eventName\":\"GetCallerIdentity\"",
        "\"eventName\":\"RunInstances\"",
        "\"eventSource\":\"monitoring.amazonaws.com\"",
        "\"vpcEndpointId\":\"vpce-",
    };
    for (size_t i = 0; i < sizeof(must) / sizeof(must[0]); i++)
        if (!find(b.data, must[i])) fail_msg("no record has %s", must[i]);
    /* distinct event names */
    char names[128][48];
    size_t nnames = 0;
    for (const char *s = b.data; (s = find(s, "\"eventName\":\"")) != NULL;) {
        s += 13;
        size_t n = strcspn(s, "\"");
        assert_true(n < 48);
        size_t k = 0;
        while (k < nnames && !(strlen(names[k]) == n && memcmp(names[k], s, n) == 0)) k++;
        if (k == nnames) {
            assert_true(nnames < 128);
            memcpy(names[nnames], s, n);
            names[nnames++][n] = '\0';
        }
    }
    print_message("distinct eventNames in 20000 records: %zu\n", nnames);
    assert_true(nnames >= 40);
    rp_buf_release(&b);
    rp_sim_ct_free(g);
}

static void test_cloudtrail_opts_custom_estate(void **state)
{
    (void)state;
    static const char *const accounts[] = {"000000000001"};
    static const char *const regions[] = {"ap-south-1"};
    struct rp_sim_ct_opts o;
    rp_sim_ct_opts_init(&o);
    o.accounts = accounts;
    o.naccounts = 1;
    o.regions = regions;
    o.nregions = 1;
    o.start_ms = 1700000000123; /* 2023-11-14T22:13:20.123Z */
    o.mean_interval_ms = 0;
    o.error_permille = 0;
    struct rp_sim_ct *g;
    assert_int_equal(rp_sim_ct_new(&o, &g, NULL), RP_OK);
    struct rp_buf b;
    rp_buf_init(&b, 0);
    for (int i = 0; i < 3000; i++) {
        rp_buf_reset(&b);
        assert_int_equal(rp_sim_ct_record_append(g, &b), RP_OK);
        size_t n;
        const char *v = field(b.data, "recipientAccountId", &n);
        assert_memory_equal(v, "000000000001", 12);
        v = field(b.data, "awsRegion", &n);
        assert_true((n == 10 && memcmp(v, "ap-south-1", 10) == 0) ||
                    (n == 9 && memcmp(v, "us-east-1", 9) == 0)); /* global services */
        v = field(b.data, "eventTime", &n);
        assert_memory_equal(v, "2023-11-14T22:13:20Z", 20); /* interval 0: time stands */
        assert_null(strstr(b.data, "\"errorCode\""));
        assert_null(strstr(b.data, "\"errorMessage\""));
    }
    rp_buf_release(&b);
    rp_sim_ct_free(g);
}

static void test_cloudtrail_opts_invalid_rejected(void **state)
{
    (void)state;
    static const char *const bad_acct[] = {"12345678901"};
    static const char *const bad_acct2[] = {"12345678901x"};
    static const char *const bad_region[] = {"US-EAST-1"};
    static const char *const bad_region2[] = {"us-east-1\"}"};
    struct rp_sim_ct_opts o;
    struct rp_sim_ct *g = (struct rp_sim_ct *)1;
    struct rp_errbuf eb;

    rp_sim_ct_opts_init(&o);
    o.accounts = bad_acct;
    o.naccounts = 1;
    assert_int_equal(rp_sim_ct_new(&o, &g, &eb), RP_EINVAL);
    assert_null(g);
    assert_non_null(strstr(eb.msg, "12-digit"));
    o.accounts = bad_acct2;
    assert_int_equal(rp_sim_ct_new(&o, &g, NULL), RP_EINVAL);
    o.naccounts = 0;
    assert_int_equal(rp_sim_ct_new(&o, &g, NULL), RP_EINVAL);

    rp_sim_ct_opts_init(&o);
    o.regions = bad_region;
    o.nregions = 1;
    assert_int_equal(rp_sim_ct_new(&o, &g, NULL), RP_EINVAL);
    o.regions = bad_region2; /* would break the JSON if it were accepted */
    assert_int_equal(rp_sim_ct_new(&o, &g, NULL), RP_EINVAL);

    rp_sim_ct_opts_init(&o);
    o.data_permille = 1001;
    assert_int_equal(rp_sim_ct_new(&o, &g, NULL), RP_EINVAL);
    rp_sim_ct_opts_init(&o);
    o.error_permille = 5000;
    assert_int_equal(rp_sim_ct_new(&o, &g, NULL), RP_EINVAL);
    rp_sim_ct_opts_init(&o);
    o.mean_interval_ms = 86400001;
    assert_int_equal(rp_sim_ct_new(&o, &g, NULL), RP_EINVAL);
    rp_sim_ct_opts_init(&o);
    o.start_ms = 0;
    assert_int_equal(rp_sim_ct_new(&o, &g, NULL), RP_EINVAL);

    /* NULL options mean the defaults */
    assert_int_equal(rp_sim_ct_new(NULL, &g, NULL), RP_OK);
    rp_sim_ct_free(g);
    rp_sim_ct_free(NULL);
}

static void test_cloudtrail_limit_keeps_state(void **state)
{
    (void)state;
    struct rp_sim_ct *g = gen_seed(21), *ref = gen_seed(21);
    struct rp_buf small, big, want;
    rp_buf_init(&small, 100);
    rp_buf_init(&big, 0);
    rp_buf_init(&want, 0);
    assert_int_equal(rp_buf_append_str(&small, "xy"), RP_OK);
    assert_int_equal(rp_sim_ct_record_append(g, &small), RP_ELIMIT);
    assert_int_equal(small.len, 2);
    assert_string_equal(small.data, "xy");
    assert_int_equal(rp_sim_ct_count(g), 0);
    /* the retry yields the record a fresh generator makes first */
    assert_int_equal(rp_sim_ct_record_append(g, &big), RP_OK);
    assert_int_equal(rp_sim_ct_record_append(ref, &want), RP_OK);
    assert_int_equal(big.len, want.len);
    assert_memory_equal(big.data, want.data, big.len);
    /* a cap that fits the record but not RP_SIM_CT_MAX_RECORD takes the scratch path */
    struct rp_buf tight;
    rp_buf_init(&tight, want.len + 4000);
    rp_buf_reset(&want);
    assert_int_equal(rp_sim_ct_record_append(g, &tight), RP_OK);
    assert_int_equal(rp_sim_ct_record_append(ref, &want), RP_OK);
    assert_int_equal(tight.len, want.len);
    assert_memory_equal(tight.data, want.data, want.len);
    /* file_append rolls the buffer back on failure */
    assert_int_equal(rp_sim_ct_file_append(g, 50, &small), RP_ELIMIT);
    assert_int_equal(small.len, 2);
    rp_buf_release(&small);
    rp_buf_release(&big);
    rp_buf_release(&want);
    rp_buf_release(&tight);
    rp_sim_ct_free(g);
    rp_sim_ct_free(ref);
}

static void test_cloudtrail_stream_matches_append(void **state)
{
    (void)state;
    struct rp_sim_ct *g = gen_seed(77), *ref = gen_seed(77);
    struct rp_buf got, want;
    rp_buf_init(&got, 0);
    rp_buf_init(&want, 0);
    uint64_t n = 0;
    assert_int_equal(rp_sim_ct_file_write(g, 3000, 0, sink_buf, &got, &n, NULL), RP_OK);
    assert_int_equal(n, 3000);
    assert_int_equal(rp_sim_ct_file_append(ref, 3000, &want), RP_OK);
    assert_int_equal(got.len, want.len);
    assert_memory_equal(got.data, want.data, got.len);

    /* a byte limit: at least the limit, overshoot by less than one record */
    rp_buf_reset(&got);
    assert_int_equal(rp_sim_ct_file_write(g, 0, 3u << 20, sink_buf, &got, &n, NULL), RP_OK);
    assert_true(got.len >= (3u << 20));
    assert_true(got.len < (3u << 20) + RP_SIM_CT_MAX_RECORD + 2);
    size_t items = 0;
    assert_true(json_valid(got.data, got.len, &items));
    assert_int_equal(items, n);

    struct rp_errbuf eb;
    assert_int_equal(rp_sim_ct_file_write(g, 0, 0, sink_buf, &got, &n, &eb), RP_EINVAL);
    assert_int_equal(rp_sim_ct_file_write(g, 10, 0, sink_fail, NULL, &n, &eb), RP_EIO);
    assert_non_null(strstr(eb.msg, "sim:"));
    rp_buf_release(&got);
    rp_buf_release(&want);
    rp_sim_ct_free(g);
    rp_sim_ct_free(ref);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cloudtrail_same_seed_same_bytes),
        cmocka_unit_test(test_cloudtrail_different_seed_differs),
        cmocka_unit_test(test_cloudtrail_output_pinned),
        cmocka_unit_test(test_cloudtrail_file_is_valid_json),
        cmocka_unit_test(test_cloudtrail_records_have_required_fields),
        cmocka_unit_test(test_cloudtrail_event_time_non_decreasing),
        cmocka_unit_test(test_cloudtrail_event_ids_unique),
        cmocka_unit_test(test_cloudtrail_data_fraction_matches),
        cmocka_unit_test(test_cloudtrail_catalogue_coverage),
        cmocka_unit_test(test_cloudtrail_opts_custom_estate),
        cmocka_unit_test(test_cloudtrail_opts_invalid_rejected),
        cmocka_unit_test(test_cloudtrail_limit_keeps_state),
        cmocka_unit_test(test_cloudtrail_stream_matches_append),
    };
    return cmocka_run_group_tests_name("sim_cloudtrail", tests, NULL, NULL);
}
