/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for the streaming side of the findings hub's export driver (src/hub/hub_export.c):
 * write errors are RP_EIO and sticky, and memory stays bounded: 40,000 small findings go
 * through every format into a counting sink, and no write (each one a flush of the exporter's
 * buffer) exceeds RP_HUB_EXPORT_FLUSH plus one finding's output. Kept apart from
 * test_hub_export.c because it is the slow one (seconds in debug, more under ASan). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* fopencookie */
#endif
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "hub/hub.h"
#include "hub/hub_export.h"

static const char one[] =
    "{\"SchemaVersion\":\"2018-10-08\",\"Id\":\"f-1\",\"ProductArn\":\"arn:aws:securityhub:"
    "us-east-1:111122223333:product/rampart/detect\",\"GeneratorId\":\"rule-1\","
    "\"AwsAccountId\":\"111122223333\",\"CreatedAt\":\"2024-03-01T00:00:00Z\","
    "\"UpdatedAt\":\"2024-03-01T00:00:00Z\",\"Title\":\"t\",\"Description\":\"d\","
    "\"Severity\":{\"Label\":\"LOW\"},\"Resources\":[{\"Type\":\"Other\",\"Id\":\"r\"}]}";

struct sink {
    size_t writes, total, max_write;
    char tail[256];
    size_t tail_len;
    int fail_errno; /* nonzero: every write fails with it */
};

static ssize_t sink_write(void *cookie, const char *buf, size_t n)
{
    struct sink *s = cookie;
    if (s->fail_errno) {
        errno = s->fail_errno;
        return 0;
    }
    s->writes++;
    s->total += n;
    if (n > s->max_write) s->max_write = n;
    if (n >= sizeof s->tail) {
        memcpy(s->tail, buf + n - sizeof s->tail, sizeof s->tail);
        s->tail_len = sizeof s->tail;
    } else {
        size_t keep = s->tail_len + n > sizeof s->tail ? sizeof s->tail - n : s->tail_len;
        memmove(s->tail, s->tail + s->tail_len - keep, keep);
        memcpy(s->tail + keep, buf, n);
        s->tail_len = keep + n;
    }
    return (ssize_t)n;
}

static FILE *sink_open(struct sink *s)
{
    cookie_io_functions_t io = {.write = sink_write};
    FILE *f = fopencookie(s, "w", io);
    assert_non_null(f);
    /* Unbuffered: each fwrite of the exporter reaches sink_write whole, so max_write is the
     * largest amount the exporter ever held before writing. */
    assert_int_equal(setvbuf(f, NULL, _IONBF, 0), 0);
    return f;
}

static void test_export_write_error_is_eio(void **state)
{
    (void)state;
    struct sink s = {.fail_errno = ENOSPC};
    FILE *f = sink_open(&s);
    struct rp_hub_exporter *x = NULL;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_hub_exporter_new("asff", f, &x, &eb), RP_OK);
    assert_int_equal(rp_hub_exporter_add(x, one, sizeof one - 1, &eb), RP_OK);
    assert_int_equal(rp_hub_exporter_finish(x, &eb), RP_EIO);
    assert_string_equal(eb.msg, "export: cannot write output: No space left on device");
    fclose(f);

    /* A failed flush in the middle is sticky: later adds and the finish report it. */
    s.fail_errno = EIO;
    f = sink_open(&s);
    assert_int_equal(rp_hub_exporter_new("csv", f, &x, &eb), RP_OK);
    rp_err e = RP_OK;
    size_t i = 0;
    for (; i < 100000 && e == RP_OK; i++) e = rp_hub_exporter_add(x, one, sizeof one - 1, &eb);
    assert_int_equal(e, RP_EIO);
    assert_string_equal(eb.msg, "export: cannot write output: Input/output error");
    assert_int_equal(rp_hub_exporter_add(x, one, sizeof one - 1, &eb), RP_EIO);
    assert_string_equal(eb.msg, "export: output already failed");
    assert_int_equal(rp_hub_exporter_finish(x, &eb), RP_EIO);
    fclose(f);
}

/* 40,000 small findings in every format (20,000 for the two -lines variants, which share
 * their mapping with asff and ocsf; still dozens of flushes): the exporter never holds more
 * than RP_HUB_EXPORT_FLUSH plus one finding's output (every write is one flush of its
 * buffer), it writes as it goes, and SARIF keeps its rule table bounded (20,000 distinct
 * rules, capped). */
static void test_export_bounded_memory(void **state)
{
    (void)state;
    for (size_t fi = 0; rp_hub_export_fmts[fi]; fi++) {
        const char *fmt = rp_hub_export_fmts[fi]->name;
        const size_t N = strstr(fmt, "-lines") ? 20000 : 40000;
        struct sink s = {0};
        FILE *f = sink_open(&s);
        struct rp_hub_exporter *x = NULL;
        struct rp_errbuf eb = {0};
        assert_int_equal(rp_hub_exporter_new(fmt, f, &x, &eb), RP_OK);
        char doc[640];
        for (size_t i = 0; i < N; i++) {
            int n = snprintf(doc, sizeof doc,
                             "{\"SchemaVersion\":\"2018-10-08\",\"Id\":\"f-%06zu\","
                             "\"ProductArn\":\"arn:aws:securityhub:us-east-1:111122223333:"
                             "product/rampart/detect\",\"GeneratorId\":\"rule-%zu\","
                             "\"AwsAccountId\":\"111122223333\",\"Region\":\"us-east-1\","
                             "\"Types\":[\"TTPs/Discovery\"],"
                             "\"CreatedAt\":\"2024-03-01T00:00:00Z\","
                             "\"UpdatedAt\":\"2024-03-01T00:00:00Z\",\"Title\":\"t\","
                             "\"Description\":\"d\",\"Severity\":{\"Label\":\"LOW\"},"
                             /* so that "inspector", "macie" and "guardduty" write it too */
                             "\"ProductFields\":{\"aws/inspector/type\":"
                             "\"PACKAGE_VULNERABILITY\",\"aws/macie/type\":"
                             "\"SensitiveData:S3Object/Personal\","
                             "\"aws/guardduty/service/count\":\"1\"},"
                             "\"Resources\":[{\"Type\":\"Other\",\"Id\":\"r-%zu\"}]}",
                             i, i % 20000, i % 977);
            assert_true(n > 0 && (size_t)n < sizeof doc);
            if (rp_hub_exporter_add(x, doc, (size_t)n, &eb) != RP_OK)
                fail_msg("%s: add %zu: %s", fmt, i, eb.msg);
        }
        assert_int_equal(rp_hub_exporter_finish(x, &eb), RP_OK);
        fclose(f);
        /* One small finding's output is far below 4 KiB in every format. */
        assert_true(s.max_write < RP_HUB_EXPORT_FLUSH + 4096);
        assert_true(s.total > N * 40);
        assert_true(s.writes > 20);
        assert_true(s.writes >= s.total / (RP_HUB_EXPORT_FLUSH + 4096));
        if (strcmp(fmt, "sarif") == 0) {
            static const char end[] = ",\"properties\":{\"rampart/rulesTruncated\":true}}]}\n";
            assert_true(s.tail_len >= sizeof end - 1);
            assert_memory_equal(s.tail + s.tail_len - (sizeof end - 1), end, sizeof end - 1);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_export_write_error_is_eio),
        cmocka_unit_test(test_export_bounded_memory),
    };
    return cmocka_run_group_tests_name("hub_export_stream", tests, NULL, NULL);
}
