/* SPDX-License-Identifier: Apache-2.0 */
/* ingest_ct_lookup: LookupEvents over a ":memory:" store filled through the CloudTrail
 * format (tests/fixtures/cloudtrail/lookup.jsonl, inserted the way the runner inserts, with
 * ingest_test_schema.h): every lookup attribute, time bounds (inclusive, as AWS), categories,
 * the newest-first order and its eventID tie-break, max_results, stopping from the callback,
 * the original record from rp_raw (plain, zstd, damaged), and the argument errors. Each result
 * is pinned as one rendered line per event. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <zstd.h>

#include "ingest/ingest.h"
#include "ingest_test_rows.h"
#include "ingest_test_schema.h"
#include "store/store.h"
#include "core/rp_banned.h"

extern const struct rp_ingest_source rp_ingest_src_cloudtrail;

static char *read_fixture(const char *name, size_t *len)
{
    struct rp_buf b;
    rp_test_fixture_load(&b, "cloudtrail", name);
    return rp_buf_take(&b, len);
}

static int setup(void **state)
{
    struct rp_store *st = NULL;
    struct rp_errbuf eb = {0};
    if (rp_store_new(":memory:", RP_STORE_RDWR, &st, &eb) != RP_OK) {
        fprintf(stderr, "store: %s\n", eb.msg);
        return -1;
    }
    size_t len = 0;
    char *text = read_fixture("lookup.jsonl", &len);
    struct rp_test_schema_counts n = {0};
    rp_err e = rp_test_schema_feed(st, &rp_ingest_src_cloudtrail, NULL, text, len, &n);
    free(text);
    if (e || n.rows != 7 + 3 || n.ignored != 1 || n.rejected != 0) {
        fprintf(stderr, "feed: e=%d rows=%zu ignored=%zu rejected=%zu\n", e, n.rows, n.ignored,
                n.rejected);
        rp_store_free(st);
        return -1;
    }
    *state = st;
    return 0;
}

static int teardown(void **state)
{
    rp_store_free(*state);
    return 0;
}

struct render {
    struct rp_buf out;
    size_t stop_after; /* return RP_EINTERNAL after this many events, 0 = never */
    size_t n;
};

static const char *nz(const char *s)
{
    return s ? s : "-";
}

/* "e-03 2024-06-01T12:00:00Z GetObject s3.amazonaws.com user=bot key=ASIA.. ro=1 cat=Data
 * res=[AWS::S3::Object logs/a.txt arn:..]" and, when asked, " raw=<record>" */
static rp_err render_event(const struct rp_ct_event *ev, void *ctx)
{
    struct render *r = ctx;
    rp_err e =
        rp_buf_printf(&r->out, "%s %s %s %s user=%s key=%s ro=%d cat=%s res=[", nz(ev->event_id),
                      nz(ev->event_time), nz(ev->event_name), nz(ev->event_source),
                      nz(ev->username), nz(ev->access_key_id), ev->read_only, nz(ev->category));
    for (size_t i = 0; !e && i < ev->nresources; i++)
        e = rp_buf_printf(&r->out, "%s%s %s %s", i ? ", " : "", nz(ev->resources[i].type),
                          nz(ev->resources[i].name), nz(ev->resources[i].arn));
    if (!e) e = rp_buf_putc(&r->out, ']');
    if (!e && ev->raw) e = rp_buf_printf(&r->out, " raw=%.*s", (int)ev->raw_n, ev->raw);
    if (!e) e = rp_buf_putc(&r->out, '\n');
    if (!e && ++r->n == r->stop_after) return RP_EINTERNAL;
    return e;
}

/* Rendered result of q ("ERR <code> <msg>" on failure). */
static char *lookup(struct rp_store *st, const struct rp_ct_lookup *q)
{
    struct render r = {.stop_after = 0};
    struct rp_errbuf eb = {0};
    rp_buf_init(&r.out, 0);
    rp_err e = rp_ingest_ct_lookup(st, q, render_event, &r, &eb);
    if (e) {
        rp_buf_reset(&r.out);
        assert_int_equal(rp_buf_printf(&r.out, "ERR %s %s", rp_err_name(e), eb.msg), RP_OK);
    }
    char *s = strdup(rp_buf_cstr(&r.out));
    rp_buf_release(&r.out);
    return s;
}

static void check(struct rp_store *st, const struct rp_ct_lookup *q, const char *want)
{
    char *got = lookup(st, q);
    if (strcmp(got, want) != 0) fprintf(stderr, "---- got:\n%s\n---- want:\n%s\n", got, want);
    assert_string_equal(got, want);
    free(got);
}

#define E01                                                                                        \
    "e-01 2024-06-01T10:00:00Z ConsoleLogin signin.amazonaws.com user=alice key=- ro=0 "           \
    "cat=Management res=[]\n"
#define E02                                                                                        \
    "e-02 2024-06-01T11:00:00Z ListBuckets s3.amazonaws.com user=alice key=AKIAEXAMPLEALICE0001 "  \
    "ro=1 cat=Management res=[]\n"
#define E03                                                                                        \
    "e-03 2024-06-01T12:00:00Z GetObject s3.amazonaws.com user=bot key=ASIAEXAMPLEBOT000001 ro=1 " \
    "cat=Data res=[AWS::S3::Object logs/a.txt arn:aws:s3:::logs/a.txt, AWS::S3::Bucket logs "      \
    "arn:aws:s3:::logs]\n"
#define E04                                                                                        \
    "e-04 2024-06-02T09:00:00Z CreateUser iam.amazonaws.com user=alice key=AKIAEXAMPLEALICE0001 "  \
    "ro=0 cat=Management res=[AWS::IAM::User eve arn:aws:iam::111122223333:user/eve]\n"
#define E05                                                                                        \
    "e-05 2024-06-02T09:00:00Z DeleteUser iam.amazonaws.com user=alice key=AKIAEXAMPLEALICE0002 "  \
    "ro=0 cat=Management res=[]\n"
#define E06                                                                                        \
    "e-06 2024-06-02T10:00:00Z RunInstances ec2.amazonaws.com user=- key=- ro=-1 cat=Insight "     \
    "res=[]\n"
#define E07                                                                                        \
    "e-07 2024-06-03T00:00:00Z ConsoleLogin signin.amazonaws.com user=root key=- ro=0 "            \
    "cat=Management res=[]\n"

/* Management events by default, newest first; the same time sorts by eventID descending; the
 * duplicate e-01 (mallory) was ignored at insert. */
static void test_ct_lookup_default(void **state)
{
    struct rp_ct_lookup q;
    rp_ct_lookup_init(&q);
    check(*state, &q, E07 E05 E04 E02 E01);
}

static void test_ct_lookup_categories(void **state)
{
    struct rp_ct_lookup q;
    rp_ct_lookup_init(&q);
    q.categories = RP_CT_CAT_ALL;
    check(*state, &q, E07 E06 E05 E04 E03 E02 E01);
    q.categories = RP_CT_CAT_INSIGHT;
    check(*state, &q, E06);
    q.categories = RP_CT_CAT_DATA | RP_CT_CAT_INSIGHT;
    check(*state, &q, E06 E03);
    q.categories = RP_CT_CAT_NETWORK;
    check(*state, &q, "");
}

static void test_ct_lookup_attributes(void **state)
{
    struct rp_ct_lookup q;
    rp_ct_lookup_init(&q);
    q.attrs[RP_CT_ATTR_EVENT_NAME] = "ConsoleLogin";
    check(*state, &q, E07 E01);
    q.attrs[RP_CT_ATTR_EVENT_NAME] = "consolelogin"; /* exact, as AWS */
    check(*state, &q, "");

    rp_ct_lookup_init(&q);
    q.attrs[RP_CT_ATTR_USERNAME] = "alice";
    check(*state, &q, E05 E04 E02 E01);
    q.attrs[RP_CT_ATTR_READ_ONLY] = "false"; /* several attributes are ANDed */
    check(*state, &q, E05 E04 E01);

    rp_ct_lookup_init(&q);
    q.attrs[RP_CT_ATTR_READ_ONLY] = "true";
    check(*state, &q, E02);
    q.categories = RP_CT_CAT_ALL;
    check(*state, &q, E03 E02);

    rp_ct_lookup_init(&q);
    q.attrs[RP_CT_ATTR_ACCESS_KEY_ID] = "AKIAEXAMPLEALICE0001";
    check(*state, &q, E04 E02);

    rp_ct_lookup_init(&q);
    q.attrs[RP_CT_ATTR_EVENT_SOURCE] = "iam.amazonaws.com";
    check(*state, &q, E05 E04);

    rp_ct_lookup_init(&q);
    q.attrs[RP_CT_ATTR_EVENT_ID] = "e-03";
    check(*state, &q, ""); /* a data event: not a management event */
    q.categories = RP_CT_CAT_ALL;
    check(*state, &q, E03);

    /* Insights take their name and source from insightDetails */
    rp_ct_lookup_init(&q);
    q.categories = RP_CT_CAT_INSIGHT;
    q.attrs[RP_CT_ATTR_EVENT_NAME] = "RunInstances";
    check(*state, &q, E06);
}

static void test_ct_lookup_resources(void **state)
{
    struct rp_ct_lookup q;
    rp_ct_lookup_init(&q);
    q.categories = RP_CT_CAT_ALL;
    q.attrs[RP_CT_ATTR_RESOURCE_TYPE] = "AWS::S3::Object";
    check(*state, &q, E03);
    q.attrs[RP_CT_ATTR_RESOURCE_TYPE] = "AWS::IAM::User";
    check(*state, &q, E04);

    rp_ct_lookup_init(&q);
    q.categories = RP_CT_CAT_ALL;
    q.attrs[RP_CT_ATTR_RESOURCE_NAME] = "logs"; /* the name */
    check(*state, &q, E03);
    q.attrs[RP_CT_ATTR_RESOURCE_NAME] = "arn:aws:s3:::logs/a.txt"; /* or the ARN */
    check(*state, &q, E03);
    q.attrs[RP_CT_ATTR_RESOURCE_NAME] = "eve";
    check(*state, &q, E04);
    /* type and name must hold for the same resource */
    q.attrs[RP_CT_ATTR_RESOURCE_NAME] = "logs";
    q.attrs[RP_CT_ATTR_RESOURCE_TYPE] = "AWS::S3::Object";
    check(*state, &q, "");
    q.attrs[RP_CT_ATTR_RESOURCE_TYPE] = "AWS::S3::Bucket";
    check(*state, &q, E03);
}

static void test_ct_lookup_time_and_limit(void **state)
{
    struct rp_ct_lookup q;
    rp_ct_lookup_init(&q);
    q.start_ms = 1717239600000; /* 2024-06-01T11:00:00Z, inclusive */
    q.end_ms = 1717318800000;   /* 2024-06-02T09:00:00Z, inclusive */
    check(*state, &q, E05 E04 E02);
    q.start_ms = q.end_ms;
    check(*state, &q, E05 E04);

    rp_ct_lookup_init(&q);
    q.max_results = 2;
    check(*state, &q, E07 E05);
    q.max_results = 100;
    check(*state, &q, E07 E05 E04 E02 E01);
}

static void test_ct_lookup_callback_stops(void **state)
{
    struct rp_ct_lookup q;
    rp_ct_lookup_init(&q);
    struct render r = {.stop_after = 2};
    rp_buf_init(&r.out, 0);
    assert_int_equal(rp_ingest_ct_lookup(*state, &q, render_event, &r, NULL), RP_EINTERNAL);
    assert_string_equal(rp_buf_cstr(&r.out), E07 E05);
    rp_buf_release(&r.out);
    /* the statement was reset: the next lookup starts over */
    check(*state, &q, E07 E05 E04 E02 E01);
}

/* The original record: as inserted (plain), minified for CloudTrailEvent, and zstd. */
static void test_ct_lookup_raw(void **state)
{
    struct rp_store *st = *state;
    struct rp_ct_lookup q;
    rp_ct_lookup_init(&q);
    q.want_raw = true;
    q.attrs[RP_CT_ATTR_EVENT_ID] = "e-04";
    check(st, &q,
          "e-04 2024-06-02T09:00:00Z CreateUser iam.amazonaws.com user=alice "
          "key=AKIAEXAMPLEALICE0001 ro=0 cat=Management res=[AWS::IAM::User eve "
          "arn:aws:iam::111122223333:user/eve] "
          "raw={\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"IAMUser\",\"userName\":"
          "\"alice\",\"accessKeyId\":\"AKIAEXAMPLEALICE0001\"},\"eventTime\":"
          "\"2024-06-02T09:00:00Z\",\"eventSource\":\"iam.amazonaws.com\",\"eventName\":"
          "\"CreateUser\",\"requestParameters\":{\"userName\":\"eve\",\"note\":\"two  spaces\"},"
          "\"eventID\":\"e-04\",\"readOnly\":false,\"resources\":[{\"type\":\"AWS::IAM::User\","
          "\"ARN\":\"arn:aws:iam::111122223333:user/eve\"}],\"eventCategory\":"
          "\"Management\"}\n");

    /* store e-05's record zstd-compressed, as the runner does */
    const char *rec = "{\"eventID\":\"e-05\",\"x\":\"zstd \\\" ok\"}";
    char z[256];
    size_t zn = ZSTD_compress(z, sizeof z, rec, strlen(rec), 3);
    assert_false(ZSTD_isError(zn));
    struct rp_store_stmt *s = NULL;
    bool row = false;
    assert_int_equal(rp_store_stmt_prepare(
                         st, "UPDATE cloudtrail_logs SET rp_raw = ?1 WHERE eventID = ?2", &s, NULL),
                     RP_OK);
    assert_int_equal(rp_store_stmt_bind_blob(s, 1, z, zn, NULL), RP_OK);
    assert_int_equal(rp_store_stmt_bind_cstr(s, 2, "e-05", NULL), RP_OK);
    assert_int_equal(rp_store_stmt_step(s, &row, NULL), RP_OK);
    q.attrs[RP_CT_ATTR_EVENT_ID] = "e-05";
    check(st, &q,
          "e-05 2024-06-02T09:00:00Z DeleteUser iam.amazonaws.com user=alice "
          "key=AKIAEXAMPLEALICE0002 ro=0 cat=Management res=[] "
          "raw={\"eventID\":\"e-05\",\"x\":\"zstd \\\" ok\"}\n");

    /* a damaged frame is an error, not garbage */
    z[zn - 2] ^= 0x55;
    assert_int_equal(rp_store_stmt_prepare(
                         st, "UPDATE cloudtrail_logs SET rp_raw = ?1 WHERE eventID = ?2", &s, NULL),
                     RP_OK);
    assert_int_equal(rp_store_stmt_bind_blob(s, 1, z, zn - 1, NULL), RP_OK);
    assert_int_equal(rp_store_stmt_bind_cstr(s, 2, "e-05", NULL), RP_OK);
    assert_int_equal(rp_store_stmt_step(s, &row, NULL), RP_OK);
    char *got = lookup(st, &q);
    assert_int_equal(strncmp(got, "ERR RP_EPARSE cloudtrail: stored record is ", 43), 0);
    free(got);
}

static void test_ct_raw_decode(void **state)
{
    (void)state;
    struct rp_buf out;
    struct rp_errbuf eb = {0};
    rp_buf_init(&out, 0);
    assert_int_equal(rp_ingest_ct_raw_decode("{\"a\":1}", 7, &out, &eb), RP_OK);
    assert_string_equal(rp_buf_cstr(&out), "{\"a\":1}");
    /* two frames in a row decode to their concatenation */
    char z[512];
    size_t n1 = ZSTD_compress(z, sizeof z, "{\"b\":", 5, 1);
    size_t n2 = ZSTD_compress(z + n1, sizeof z - n1, "2}", 2, 1);
    rp_buf_reset(&out);
    assert_int_equal(rp_ingest_ct_raw_decode(z, n1 + n2, &out, &eb), RP_OK);
    assert_string_equal(rp_buf_cstr(&out), "{\"b\":2}");
    /* a frame cut short */
    rp_buf_reset(&out);
    assert_int_equal(rp_ingest_ct_raw_decode(z, n1 - 3, &out, &eb), RP_EPARSE);
    assert_string_equal(eb.msg, "cloudtrail: stored record is truncated");
    assert_int_equal(out.len, 0);
    rp_buf_release(&out);
}

static void test_ct_lookup_errors(void **state)
{
    struct rp_ct_lookup q;
    rp_ct_lookup_init(&q);
    q.attrs[RP_CT_ATTR_READ_ONLY] = "yes";
    check(*state, &q, "ERR RP_EINVAL ReadOnly must be 'true' or 'false', not 'yes'");
    rp_ct_lookup_init(&q);
    q.start_ms = 2;
    q.end_ms = 1;
    check(*state, &q, "ERR RP_EINVAL start time is after end time");
}

static void test_ct_lookup_names(void **state)
{
    (void)state;
    unsigned bits = 0;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_ct_attr_find(RP_STR_LIT("EventName")), RP_CT_ATTR_EVENT_NAME);
    assert_int_equal(rp_ct_attr_find(RP_STR_LIT("AccessKeyId")), RP_CT_ATTR_ACCESS_KEY_ID);
    assert_int_equal(rp_ct_attr_find(RP_STR_LIT("eventname")), RP_CT_ATTR_COUNT);
    assert_string_equal(rp_ct_attr_name(RP_CT_ATTR_RESOURCE_NAME), "ResourceName");
    assert_null(rp_ct_attr_name(RP_CT_ATTR_COUNT));
    assert_int_equal(rp_ct_category_parse(RP_STR_LIT("management, Data"), &bits, &eb), RP_OK);
    assert_int_equal(bits, RP_CT_CAT_MANAGEMENT | RP_CT_CAT_DATA);
    assert_int_equal(rp_ct_category_parse(RP_STR_LIT("ALL"), &bits, &eb), RP_OK);
    assert_int_equal(bits, RP_CT_CAT_ALL);
    assert_int_equal(rp_ct_category_parse(RP_STR_LIT("networkactivity"), &bits, &eb), RP_OK);
    assert_int_equal(bits, RP_CT_CAT_NETWORK);
    assert_int_equal(rp_ct_category_parse(RP_STR_LIT("data,bogus"), &bits, &eb), RP_EPARSE);
    assert_string_equal(
        eb.msg, "unknown category 'bogus' (management, data, insight, networkactivity or all)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ct_lookup_default),
        cmocka_unit_test(test_ct_lookup_categories),
        cmocka_unit_test(test_ct_lookup_attributes),
        cmocka_unit_test(test_ct_lookup_resources),
        cmocka_unit_test(test_ct_lookup_time_and_limit),
        cmocka_unit_test(test_ct_lookup_callback_stops),
        cmocka_unit_test(test_ct_lookup_errors),
        cmocka_unit_test(test_ct_raw_decode),
        cmocka_unit_test(test_ct_lookup_names),
        /* last: it rewrites rp_raw of e-05 */
        cmocka_unit_test(test_ct_lookup_raw),
    };
    return cmocka_run_group_tests_name("ingest_ct_lookup", tests, setup, teardown);
}
