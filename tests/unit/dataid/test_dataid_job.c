/* SPDX-License-Identifier: Apache-2.0 */
/* Checkpoints and bucket sensitivity scores (src/dataid/dataid_job.h): the match rule of
 * --changed-only (ETag and size for S3, size and time for files, failed sources read again),
 * checkpoints put, looked up, forgotten and pruned in an in-memory store, and exact scores and
 * labels of hand-made buckets, summed from rows and given directly; job scopes (key prefix,
 * excluded extensions, sizes, dates), the deterministic sample, schedules' next run times and
 * the jobs table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

/* of the 1000 keys "exports/dir/file-NNNN.csv", those whose XXH3 hash modulo 100 is below
 * 10 and 50 (computed once, fixed here: the sample must not change between versions) */
#define SAMPLED_10 106
#define SAMPLED_50 509

#include "core/rp_str.h"
#include "core/rp_time.h"
#include "dataid/dataid_job.h"
#include "store/store.h"

static struct rp_store *g_st;

static int setup(void **state)
{
    (void)state;
    struct rp_errbuf eb = {0};
    return rp_store_new(":memory:", RP_STORE_RDWR, &g_st, &eb) ? -1 : 0;
}

static int teardown(void **state)
{
    (void)state;
    rp_store_free(g_st);
    g_st = NULL;
    return 0;
}

static struct rp_dataid_source src(int64_t size, int64_t mtime, const char *etag,
                                   const char *status)
{
    struct rp_dataid_source s = {.size = size, .mtime_ms = mtime};
    snprintf(s.etag, sizeof s.etag, "%s", etag);
    snprintf(s.status, sizeof s.status, "%s", status);
    return s;
}

static void test_match_rules(void **state)
{
    (void)state;
    struct rp_dataid_source cp = src(100, 5000, "", "COMPLETE");
    struct rp_dataid_source now = src(100, 5000, "", "");
    assert_true(rp_dataid_source_unchanged(&cp, &now));
    now = src(101, 5000, "", ""); /* size differs */
    assert_false(rp_dataid_source_unchanged(&cp, &now));
    now = src(100, 5001, "", ""); /* time differs */
    assert_false(rp_dataid_source_unchanged(&cp, &now));
    cp = src(100, 5000, "", "SKIPPED"); /* skipped (oversize) stays skipped */
    now = src(100, 5000, "", "");
    assert_true(rp_dataid_source_unchanged(&cp, &now));
    cp = src(100, 5000, "", "ERROR"); /* failed: read again */
    assert_false(rp_dataid_source_unchanged(&cp, &now));

    /* S3: the ETag and size decide, not the time */
    cp = src(100, 5000, "9b2cf535f27731c974343645a3985328", "COMPLETE");
    now = src(100, 9000, "9b2cf535f27731c974343645a3985328", "");
    assert_true(rp_dataid_source_unchanged(&cp, &now));
    now = src(100, 5000, "0c0b1a4ab41c8e5e14b1bcf5a7b5fcd0", "");
    assert_false(rp_dataid_source_unchanged(&cp, &now));
    now = src(101, 5000, "9b2cf535f27731c974343645a3985328", "");
    assert_false(rp_dataid_source_unchanged(&cp, &now));
    now = src(100, 5000, "", ""); /* listed once with an ETag, once without */
    assert_false(rp_dataid_source_unchanged(&cp, &now));
}

static void put(const char *bucket, const char *key, const char *source_key, int64_t size,
                const char *status, const char *reason, bool sensitive, const char *counts)
{
    struct rp_errbuf eb = {0};
    struct rp_dataid_ckpt c = {.bucket = bucket,
                               .key = key,
                               .source_key = source_key,
                               .src = src(size, 1000, "", ""),
                               .size = size,
                               .classified_ms = 2000,
                               .status = status,
                               .reason = reason,
                               .sensitive = sensitive,
                               .counts = counts};
    assert_int_equal(rp_dataid_ckpt_put(g_st, &c, &eb), RP_OK);
}

static void test_ckpt_store(void **state)
{
    (void)state;
    struct rp_errbuf eb = {0};
    struct rp_dataid_source got;
    bool found = true;
    assert_int_equal(rp_dataid_ckpt_lookup(g_st, "b", "a.tar", &got, &found, &eb), RP_OK);
    assert_false(found);
    put("b", "a.tar!/x.csv", "a.tar", 40, "COMPLETE", NULL, false, NULL);
    put("b", "a.tar!/y.zip", "a.tar", 40, "ERROR", "UNSUPPORTED_OR_DAMAGED", false, NULL);
    put("b", "c.txt", "c.txt", 7, "COMPLETE", NULL, true, "{\"EMAIL_ADDRESS\":2}");
    assert_int_equal(rp_dataid_ckpt_lookup(g_st, "b", "a.tar", &got, &found, &eb), RP_OK);
    assert_true(found);
    assert_int_equal(got.size, 40);
    assert_int_equal(got.mtime_ms, 1000);
    assert_string_equal(got.etag, "");
    assert_string_equal(got.status, "ERROR"); /* one member failed: the archive is read again */
    assert_int_equal(rp_dataid_ckpt_lookup(g_st, "b", "c.txt", &got, &found, &eb), RP_OK);
    assert_true(found);
    assert_string_equal(got.status, "COMPLETE");
    assert_int_equal(rp_dataid_ckpt_lookup(g_st, "other", "c.txt", &got, &found, &eb), RP_OK);
    assert_false(found);

    assert_int_equal(rp_dataid_ckpt_forget(g_st, "b", "a.tar", &eb), RP_OK);
    assert_int_equal(rp_dataid_ckpt_lookup(g_st, "b", "a.tar", &got, &found, &eb), RP_OK);
    assert_false(found);
    assert_int_equal(rp_dataid_ckpt_lookup(g_st, "b", "c.txt", &got, &found, &eb), RP_OK);
    assert_true(found);
}

static int64_t count_rows(const char *bucket)
{
    struct rp_errbuf eb = {0};
    struct rp_store_stmt *s = NULL;
    bool row = false;
    assert_int_equal(rp_store_stmt_prepare(
                         g_st, "SELECT count(*) FROM dataid_objects WHERE bucket = ?1", &s, &eb),
                     RP_OK);
    assert_int_equal(rp_store_stmt_bind_cstr(s, 1, bucket, &eb), RP_OK);
    assert_int_equal(rp_store_stmt_step(s, &row, &eb), RP_OK);
    assert_true(row);
    int64_t n = rp_store_stmt_column_int64(s, 0);
    rp_store_stmt_reset(s);
    return n;
}

static void test_ckpt_prune(void **state)
{
    (void)state;
    struct rp_errbuf eb = {0};
    put("b", "a.tar!/x.csv", "a.tar", 40, "COMPLETE", NULL, false, NULL);
    put("b", "a.tar!/y.csv", "a.tar", 40, "COMPLETE", NULL, false, NULL);
    put("b", "hr/c.txt", "hr/c.txt", 7, "COMPLETE", NULL, false, NULL);
    put("b", "hr/d.txt", "hr/d.txt", 7, "COMPLETE", NULL, false, NULL);
    put("other", "hr/d.txt", "hr/d.txt", 7, "COMPLETE", NULL, false, NULL);
    int64_t n = -1;
    /* a listing of b/hr/ that met only hr/c.txt: hr/d.txt is gone, a.tar is not under hr/ */
    assert_int_equal(rp_dataid_ckpt_seen_begin(g_st, &eb), RP_OK);
    assert_int_equal(rp_dataid_ckpt_seen(g_st, "b", "hr/c.txt", &eb), RP_OK);
    assert_int_equal(rp_dataid_ckpt_seen(g_st, "b", "hr/c.txt", &eb), RP_OK); /* twice: fine */
    assert_int_equal(rp_dataid_ckpt_prune(g_st, "b", "hr/", &n, &eb), RP_OK);
    assert_int_equal(n, 1);
    assert_int_equal(count_rows("b"), 3);
    assert_int_equal(count_rows("other"), 1);
    /* a new list: the whole of b met a.tar only; the archive's members stay with it */
    assert_int_equal(rp_dataid_ckpt_seen_begin(g_st, &eb), RP_OK);
    assert_int_equal(rp_dataid_ckpt_seen(g_st, "b", "a.tar", &eb), RP_OK);
    assert_int_equal(rp_dataid_ckpt_prune(g_st, "b", "", &n, &eb), RP_OK);
    assert_int_equal(n, 1);
    assert_int_equal(count_rows("b"), 2);
    assert_int_equal(count_rows("other"), 1);
}

static int score_of(int64_t known, int64_t classified, int64_t sensitive, int64_t errors,
                    int64_t types)
{
    struct rp_dataid_bucket_stats b = {.bucket = "b",
                                       .known = known,
                                       .classified = classified,
                                       .sensitive = sensitive,
                                       .errors = errors,
                                       .types = types};
    return rp_dataid_sensitivity_score(&b);
}

static void test_score_formula(void **state)
{
    (void)state;
    assert_int_equal(score_of(0, 0, 0, 0, 0), 50);   /* nothing known */
    assert_int_equal(score_of(3, 0, 0, 0, 0), 50);   /* all skipped */
    assert_int_equal(score_of(3, 0, 0, 2, 0), -1);   /* only errors */
    assert_int_equal(score_of(4, 4, 0, 0, 0), 1);    /* all classified, nothing found */
    assert_int_equal(score_of(4, 2, 0, 1, 0), 25);   /* half: 1 + 48*2/4 */
    assert_int_equal(score_of(100, 1, 0, 0, 0), 48); /* 1 + 48*99/100 = 48 */
    assert_int_equal(score_of(10, 10, 1, 0, 1), 56); /* 50 + ceil(40/10) + 2 */
    assert_int_equal(score_of(3, 3, 2, 0, 3), 83);   /* 50 + ceil(80/3) + 6 */
    assert_int_equal(score_of(5, 5, 5, 0, 5), 100);  /* 50 + 40 + 10 */
    assert_int_equal(score_of(5, 5, 5, 0, 9), 100);  /* types count up to 5 */
    assert_int_equal(score_of(1000, 1000, 1, 0, 1), 53);
    assert_string_equal(rp_dataid_sensitivity_label(-1), "Classification error");
    assert_string_equal(rp_dataid_sensitivity_label(1), "Not sensitive");
    assert_string_equal(rp_dataid_sensitivity_label(49), "Not sensitive");
    assert_string_equal(rp_dataid_sensitivity_label(50), "Not analyzed yet");
    assert_string_equal(rp_dataid_sensitivity_label(51), "Sensitive");
    assert_string_equal(rp_dataid_sensitivity_label(100), "Sensitive");
}

struct rows {
    char text[8][160];
    int n;
};

static rp_err on_bucket(void *ctx, const struct rp_dataid_bucket_stats *b, struct rp_errbuf *eb)
{
    (void)eb;
    struct rows *r = ctx;
    if (r->n == 8) return RP_ELIMIT;
    int score = rp_dataid_sensitivity_score(b);
    snprintf(r->text[r->n++], sizeof r->text[0], "%s %lld %lld %lld %lld %lld %lld %d %s",
             b->bucket, (long long)b->known, (long long)b->classified, (long long)b->bytes,
             (long long)b->sensitive, (long long)b->errors, (long long)b->types, score,
             rp_dataid_sensitivity_label(score));
    return RP_OK;
}

static void test_bucket_stats(void **state)
{
    (void)state;
    struct rp_errbuf eb = {0};
    /* exports: 4 objects, 3 classified (2 sensitive, types CREDIT_CARD_NUMBER, EMAIL_ADDRESS,
     * USA_SOCIAL_SECURITY_NUMBER), 1 skipped */
    put("exports", "a.csv", "a.csv", 100, "COMPLETE", NULL, true,
        "{\"EMAIL_ADDRESS\":1,\"USA_SOCIAL_SECURITY_NUMBER\":2}");
    put("exports", "b.txt", "b.txt", 30, "COMPLETE", NULL, true,
        "{\"CREDIT_CARD_NUMBER\":1,\"EMAIL_ADDRESS\":4}");
    put("exports", "c.txt", "c.txt", 10, "COMPLETE", NULL, false, "{}");
    put("exports", "big.bin", "big.bin", 900, "SKIPPED", "OBJECT_OVERSIZE", false, NULL);
    /* broken: only errors; clean: nothing found; custom: detections below the custom
     * identifier's first level make no finding and do not count as types */
    put("broken", "x.zip", "x.zip", 5, "ERROR", "UNSUPPORTED_OR_DAMAGED", false, NULL);
    put("clean", "r.txt", "r.txt", 12, "COMPLETE", NULL, false, "{}");
    put("clean", "s.txt", "s.txt", 8, "COMPLETE", NULL, false, "{\"EMPLOYEE_ID\":1}");
    put("skipped", "huge.csv", "huge.csv", 900, "SKIPPED", "OBJECT_OVERSIZE", false, NULL);
    struct rows r = {0};
    assert_int_equal(rp_dataid_bucket_stats_each(g_st, on_bucket, &r, &eb), RP_OK);
    assert_int_equal(r.n, 4);
    assert_string_equal(r.text[0], "broken 1 0 0 0 1 0 -1 Classification error");
    assert_string_equal(r.text[1], "clean 2 2 20 0 0 0 1 Not sensitive");
    assert_string_equal(r.text[2], "exports 4 3 140 2 0 3 83 Sensitive"); /* 50+27+6 */
    assert_string_equal(r.text[3], "skipped 1 0 0 0 0 0 50 Not analyzed yet");
}

static void test_scope(void **state)
{
    (void)state;
    const char *ext[] = {"log", ".TMP"};
    struct rp_dataid_scope sc = {.key_prefix = "hr/",
                                 .exclude_ext = ext,
                                 .nexclude = 2,
                                 .min_size = 10,
                                 .max_size = 100,
                                 .since_ms = 1000,
                                 .sampling = 100};
    assert_true(rp_dataid_scope_match(&sc, "b", "hr/people.csv", 10, 1000));
    assert_true(rp_dataid_scope_match(&sc, "b", "hr/people.csv", 100, 5000));
    assert_false(rp_dataid_scope_match(&sc, "b", "misc/people.csv", 50, 5000)); /* OBJECT_KEY */
    assert_false(rp_dataid_scope_match(&sc, "b", "hr/app.log", 50, 5000));      /* extension */
    assert_false(rp_dataid_scope_match(&sc, "b", "hr/x.tmp", 50, 5000));        /* any case */
    assert_false(rp_dataid_scope_match(&sc, "b", "hr/x.Log", 50, 5000));
    assert_true(rp_dataid_scope_match(&sc, "b", "hr/log", 50, 5000));          /* no extension */
    assert_true(rp_dataid_scope_match(&sc, "b", "hr/x.log.gz", 50, 5000));     /* ".gz" counts */
    assert_false(rp_dataid_scope_match(&sc, "b", "hr/people.csv", 9, 5000));   /* too small */
    assert_false(rp_dataid_scope_match(&sc, "b", "hr/people.csv", 101, 5000)); /* too large */
    assert_false(rp_dataid_scope_match(&sc, "b", "hr/people.csv", 50, 999));   /* too old */
    struct rp_dataid_scope any = {.min_size = -1, .max_size = -1, .since_ms = -1};
    assert_true(rp_dataid_scope_match(&any, "b", "anything.log", 0, 0));
}

static void test_sampling(void **state)
{
    (void)state;
    char key[32];
    int in10 = 0, in50 = 0, in100 = 0;
    for (int i = 0; i < 1000; i++) {
        snprintf(key, sizeof key, "dir/file-%04d.csv", i);
        bool a = rp_dataid_sampled(10, "exports", key), b = rp_dataid_sampled(50, "exports", key);
        assert_int_equal(a, rp_dataid_sampled(10, "exports", key)); /* deterministic */
        if (a) assert_true(b); /* a larger sample keeps the smaller one's objects */
        in10 += a;
        in50 += b;
        in100 += rp_dataid_sampled(100, "exports", key);
    }
    assert_int_equal(in100, 1000);
    assert_int_equal(in10, SAMPLED_10);
    assert_int_equal(in50, SAMPLED_50);
    struct rp_dataid_scope sc = {.min_size = -1, .max_size = -1, .since_ms = -1, .sampling = 50};
    int n = 0;
    for (int i = 0; i < 1000; i++) {
        snprintf(key, sizeof key, "dir/file-%04d.csv", i);
        n += rp_dataid_scope_match(&sc, "exports", key, 1, 1);
    }
    assert_int_equal(n, SAMPLED_50);
}

static int64_t next_of(const char *sched, const char *after)
{
    struct rp_errbuf eb = {0};
    int64_t a = 0, n = 0;
    assert_int_equal(rp_time_parse_iso(rp_str_from(after), &a, &eb), RP_OK);
    assert_int_equal(rp_dataid_schedule_next(sched, a, &n, &eb), RP_OK);
    return n;
}

static void assert_next(const char *sched, const char *after, const char *want)
{
    char buf[RP_TIME_ISO_BUFSZ];
    assert_int_equal(rp_time_format_iso(next_of(sched, after), buf, sizeof buf), RP_OK);
    assert_string_equal(buf, want);
}

static void test_schedules(void **state)
{
    (void)state;
    /* 2026-11-27 is a Friday */
    assert_next("daily", "2026-11-27T08:30:00Z", "2026-11-28T00:00:00.000Z");
    assert_next("daily", "2026-11-27T00:00:00Z", "2026-11-28T00:00:00.000Z");
    assert_next("weekly:MONDAY", "2026-11-27T08:30:00Z", "2026-11-30T00:00:00.000Z");
    assert_next("weekly:FRIDAY", "2026-11-27T08:30:00Z", "2026-12-04T00:00:00.000Z");
    assert_next("weekly:SATURDAY", "2026-11-27T08:30:00Z", "2026-11-28T00:00:00.000Z");
    assert_next("weekly:THURSDAY", "1970-01-01T00:00:00Z", "1970-01-08T00:00:00.000Z");
    assert_next("monthly:15", "2026-11-27T08:30:00Z", "2026-12-15T00:00:00.000Z");
    assert_next("monthly:28", "2026-11-27T08:30:00Z", "2026-11-28T00:00:00.000Z");
    assert_next("monthly:31", "2026-11-27T08:30:00Z", "2026-11-30T00:00:00.000Z"); /* last */
    assert_next("monthly:30", "2027-01-31T10:00:00Z", "2027-02-28T00:00:00.000Z");
    assert_next("monthly:29", "2028-02-01T10:00:00Z", "2028-02-29T00:00:00.000Z"); /* leap */
    assert_next("monthly:1", "2026-12-01T00:00:00Z", "2027-01-01T00:00:00.000Z");
    const char *bad[] = {"hourly",     "weekly:monday", "weekly:",    "monthly:0",
                         "monthly:32", "monthly:",      "monthly:1x", ""};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        struct rp_errbuf eb = {0};
        int64_t n = 0;
        assert_int_equal(rp_dataid_schedule_next(bad[i], 0, &n, &eb), RP_EINVAL);
    }
    struct rp_errbuf eb = {0};
    int64_t n = 0;
    assert_int_equal(rp_dataid_schedule_next("weekly:Monday", 0, &n, &eb), RP_EINVAL);
    assert_string_equal(eb.msg, "dataid: bad schedule 'weekly:Monday' (daily, "
                                "weekly:MONDAY..SUNDAY or monthly:1..31)");
}

struct ids {
    char id[4][33];
    int n;
};

static rp_err on_job(void *ctx, const struct rp_dataid_job *j, struct rp_errbuf *eb)
{
    (void)eb;
    struct ids *r = ctx;
    if (r->n == 4) return RP_ELIMIT;
    snprintf(r->id[r->n++], sizeof r->id[0], "%s", j->id);
    return RP_OK;
}

static void test_jobs_store(void **state)
{
    (void)state;
    struct rp_errbuf eb = {0};
    struct rp_dataid_job a = {.id = "0123456789abcdef0123456789abcdef",
                              .name = "hr weekly",
                              .type = "SCHEDULED",
                              .schedule = "weekly:MONDAY",
                              .sampling = 25,
                              .key_prefix = "hr/",
                              .exclude_ext = "log,tmp",
                              .min_size = 1,
                              .max_size = -1,
                              .since_ms = 86400000,
                              .identifiers = "EMAIL_ADDRESS",
                              .customs = "/etc/rampart/emp.yaml",
                              .sources = "/srv/exports\ns3://bucket/hr/",
                              .status = "IDLE",
                              .created_ms = 1000,
                              .next_run_ms = 5000};
    struct rp_dataid_job b = {.id = "ffffffffffffffffffffffffffffffff",
                              .name = "once",
                              .type = "ONE_TIME",
                              .sampling = 100,
                              .min_size = -1,
                              .max_size = -1,
                              .since_ms = -1,
                              .sources = "/srv",
                              .status = "COMPLETE",
                              .created_ms = 2000,
                              .last_run_ms = 3000,
                              .runs = 1,
                              .objects = 7};
    assert_int_equal(rp_dataid_job_put(g_st, &b, &eb), RP_OK);
    assert_int_equal(rp_dataid_job_put(g_st, &a, &eb), RP_OK);
    struct rp_dataid_job got;
    assert_int_equal(rp_dataid_job_get(g_st, a.id, &got, &eb), RP_OK);
    assert_memory_equal(&got, &a, sizeof a);
    assert_int_equal(rp_dataid_job_get(g_st, "nope", &got, &eb), RP_ENOENT);
    assert_string_equal(eb.msg, "dataid: no job 'nope'");

    struct ids all = {0}, due = {0}, early = {0};
    assert_int_equal(rp_dataid_job_each(g_st, -1, on_job, &all, &eb), RP_OK);
    assert_int_equal(all.n, 2);
    assert_string_equal(all.id[0], a.id); /* oldest first */
    assert_string_equal(all.id[1], b.id);
    assert_int_equal(rp_dataid_job_each(g_st, 5000, on_job, &due, &eb), RP_OK);
    assert_int_equal(due.n, 1); /* only the scheduled job, at its next run time */
    assert_string_equal(due.id[0], a.id);
    assert_int_equal(rp_dataid_job_each(g_st, 4999, on_job, &early, &eb), RP_OK);
    assert_int_equal(early.n, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_match_rules),
        cmocka_unit_test_setup_teardown(test_ckpt_store, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ckpt_prune, setup, teardown),
        cmocka_unit_test(test_score_formula),
        cmocka_unit_test_setup_teardown(test_bucket_stats, setup, teardown),
        cmocka_unit_test(test_scope),
        cmocka_unit_test(test_sampling),
        cmocka_unit_test(test_schedules),
        cmocka_unit_test_setup_teardown(test_jobs_store, setup, teardown),
    };
    return cmocka_run_group_tests_name("dataid_job", tests, NULL, NULL);
}
