/* SPDX-License-Identifier: Apache-2.0 */
/* ingest_layout: every S3 key layout the runner understands (CloudTrail, organization trails,
 * Insight and Digest prefixes, Config with unpadded dates, flow logs plain, hourly and
 * Hive-compatible, Route 53 without a region, bucket prefixes, file-name stamps), what stops a
 * parse, and the pruning verdicts for directories and files under --account, --region,
 * --since and --until, each pinned exactly by rendering the parsed key as one line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/rp_time.h"
#include "ingest/ingest_layout.h"

/* "org=.. acct=.. svc=.. region=.. ymd=Y-M-D hour=H day=ISO name=ISO aws=0|1 hive=0|1" */
static const char *render(const char *path, bool is_dir)
{
    static char out[512];
    struct rp_ingest_key k;
    char day[RP_TIME_ISO_BUFSZ] = "-", name[RP_TIME_ISO_BUFSZ] = "-";
    rp_ingest_key_parse(path, strlen(path), is_dir, &k);
    if (k.l.day_ms >= 0) assert_int_equal(rp_time_format_iso_s(k.l.day_ms, day, sizeof day), RP_OK);
    if (k.name_ms >= 0) assert_int_equal(rp_time_format_iso_s(k.name_ms, name, sizeof name), RP_OK);
#define S(x) (int)(x).len, (x).p ? (x).p : ""
    snprintf(out, sizeof out,
             "org=%.*s acct=%.*s svc=%.*s region=%.*s ymd=%d-%d-%d hour=%d day=%s name=%s "
             "aws=%d hive=%d",
             S(k.l.org_id), S(k.l.account), S(k.l.service), S(k.l.region), k.year, k.month, k.day,
             k.hour, day, name, k.aws, k.hive);
#undef S
    return out;
}

static void test_layout_cloudtrail(void **state)
{
    (void)state;
    assert_string_equal(
        render("/data/bucket/AWSLogs/111122223333/CloudTrail/us-east-2/2015/08/01/"
               "111122223333_CloudTrail_us-east-2_20150801T0210Z_Mu0KsOhtH1ar15ZZ.json.gz",
               false),
        "org= acct=111122223333 svc=CloudTrail region=us-east-2 ymd=2015-8-1 hour=-1 "
        "day=2015-08-01T00:00:00Z name=2015-08-01T02:10:00Z aws=1 hive=0");
    /* a bucket prefix of several components, and a root given with a trailing slash */
    assert_string_equal(
        render("b/logs/prod//AWSLogs/111122223333/CloudTrail/eu-west-1/2024/02/29", true),
        "org= acct=111122223333 svc=CloudTrail region=eu-west-1 ymd=2024-2-29 hour=-1 "
        "day=2024-02-29T00:00:00Z name=- aws=1 hive=0");
    /* directories above the day: what is known so far */
    assert_string_equal(render("AWSLogs/111122223333/CloudTrail/eu-west-1/2024/02", true),
                        "org= acct=111122223333 svc=CloudTrail region=eu-west-1 ymd=2024-2-0 "
                        "hour=-1 day=- name=- aws=1 hive=0");
    assert_string_equal(render("AWSLogs/111122223333", true),
                        "org= acct=111122223333 svc= region= ymd=0-0-0 hour=-1 day=- name=- "
                        "aws=1 hive=0");
    assert_string_equal(render("x/AWSLogs", true),
                        "org= acct= svc= region= ymd=0-0-0 hour=-1 day=- name=- aws=1 hive=0");
}

static void test_layout_org_insight_digest(void **state)
{
    (void)state;
    assert_string_equal(
        render("AWSLogs/o-exampleorgid/111122223333/CloudTrail/ap-south-1/2023/12/31/x.json.gz",
               false),
        "org=o-exampleorgid acct=111122223333 svc=CloudTrail region=ap-south-1 ymd=2023-12-31 "
        "hour=-1 day=2023-12-31T00:00:00Z name=- aws=1 hive=0");
    assert_string_equal(
        render("AWSLogs/111122223333/CloudTrail-Insight/us-east-1/2023/01/02/"
               "111122223333_CloudTrail-Insight_us-east-1_20230102T0005Z_abc.json.gz",
               false),
        "org= acct=111122223333 svc=CloudTrail-Insight region=us-east-1 ymd=2023-1-2 hour=-1 "
        "day=2023-01-02T00:00:00Z name=2023-01-02T00:05:00Z aws=1 hive=0");
    assert_string_equal(
        render("AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2023/01/02/"
               "111122223333_CloudTrail-Digest_us-east-1_trail_us-east-1_20230102T010203Z.json.gz",
               false),
        "org= acct=111122223333 svc=CloudTrail-Digest region=us-east-1 ymd=2023-1-2 hour=-1 "
        "day=2023-01-02T00:00:00Z name=2023-01-02T01:02:03Z aws=1 hive=0");
    /* an org id that is too short is not an org: the parse stops there */
    assert_string_equal(render("AWSLogs/o-short/111122223333/CloudTrail", true),
                        "org= acct= svc= region= ymd=0-0-0 hour=-1 day=- name=- aws=1 hive=0");
}

static void test_layout_config(void **state)
{
    (void)state;
    assert_string_equal(
        render("AWSLogs/111122223333/Config/us-west-2/2024/3/5/ConfigSnapshot/"
               "111122223333_Config_us-west-2_ConfigSnapshot_20240305T101112Z_abc.json.gz",
               false),
        "org= acct=111122223333 svc=Config region=us-west-2 ymd=2024-3-5 hour=-1 "
        "day=2024-03-05T00:00:00Z name=2024-03-05T10:11:12Z aws=1 hive=0");
    assert_string_equal(
        render("AWSLogs/111122223333/Config/us-west-2/2024/11/30/ConfigHistory", true),
        "org= acct=111122223333 svc=Config region=us-west-2 ymd=2024-11-30 "
        "hour=-1 day=2024-11-30T00:00:00Z name=- aws=1 hive=0");
}

static void test_layout_flowlogs(void **state)
{
    (void)state;
    assert_string_equal(
        render("AWSLogs/111122223333/vpcflowlogs/us-east-1/2024/03/05/07/"
               "111122223333_vpcflowlogs_us-east-1_fl-0123456789abcdef0_20240305T0710Z_h.log.gz",
               false),
        "org= acct=111122223333 svc=vpcflowlogs region=us-east-1 ymd=2024-3-5 hour=7 "
        "day=2024-03-05T00:00:00Z name=2024-03-05T07:10:00Z aws=1 hive=0");
    assert_string_equal(
        render("AWSLogs/111122223333/vpcflowlogs/us-east-1/2024/03/05/a.log.gz", false),
        "org= acct=111122223333 svc=vpcflowlogs region=us-east-1 ymd=2024-3-5 hour=-1 "
        "day=2024-03-05T00:00:00Z name=- aws=1 hive=0");
    assert_string_equal(
        render("pfx/AWSLogs/aws-account-id=111122223333/aws-service=vpcflowlogs/"
               "aws-region=eu-central-1/year=2024/month=03/day=05/hour=23/f.log.gz",
               false),
        "org= acct=111122223333 svc=vpcflowlogs region=eu-central-1 ymd=2024-3-5 hour=23 "
        "day=2024-03-05T00:00:00Z name=- aws=1 hive=1");
    assert_string_equal(
        render(
            "AWSLogs/aws-account-id=111122223333/aws-service=vpcflowlogs/aws-region=eu-central-1/"
            "year=2024",
            true),
        "org= acct=111122223333 svc=vpcflowlogs region=eu-central-1 ymd=2024-0-0 hour=-1 day=- "
        "name=- aws=1 hive=1");
    /* a Hive key with the plain layout's component in it stops there */
    assert_string_equal(
        render("AWSLogs/aws-account-id=111122223333/aws-service=vpcflowlogs/eu-central-1", true),
        "org= acct=111122223333 svc=vpcflowlogs region= ymd=0-0-0 hour=-1 day=- name=- aws=1 "
        "hive=1");
}

static void test_layout_route53(void **state)
{
    (void)state;
    assert_string_equal(render("AWSLogs/111122223333/vpcdnsquerylogs/vpc-0abc/2024/03/05/"
                               "vpc-0abc_vpcdnsquerylogs_111122223333_20240305T0100Z_h.log.gz",
                               false),
                        "org= acct=111122223333 svc=vpcdnsquerylogs region= ymd=2024-3-5 hour=-1 "
                        "day=2024-03-05T00:00:00Z name=2024-03-05T01:00:00Z aws=1 hive=0");
    /* the name alone, outside any AWSLogs tree */
    assert_string_equal(
        render("/tmp/vpc-0abc_vpcdnsquerylogs_111122223333_20240305T0100Z_h.log", false),
        "org= acct=111122223333 svc=vpcdnsquerylogs region= ymd=0-0-0 hour=-1 "
        "day=2024-03-05T00:00:00Z name=2024-03-05T01:00:00Z aws=0 hive=0");
}

static void test_layout_names_and_garbage(void **state)
{
    (void)state;
    /* a flat directory of delivery files: the name says everything */
    assert_string_equal(
        render("mirror/444455556666_CloudTrail_sa-east-1_20240101T2355Z_r.json.gz", false),
        "org= acct=444455556666 svc=CloudTrail region=sa-east-1 ymd=0-0-0 hour=-1 "
        "day=2024-01-01T00:00:00Z name=2024-01-01T23:55:00Z aws=0 hive=0");
    /* the key wins over the name where both speak */
    assert_string_equal(
        render("AWSLogs/111122223333/CloudTrail/us-east-1/2024/01/02/"
               "444455556666_CloudTrail_sa-east-1_20240101T2355Z_r.json.gz",
               false),
        "org= acct=111122223333 svc=CloudTrail region=us-east-1 ymd=2024-1-2 hour=-1 "
        "day=2024-01-02T00:00:00Z name=2024-01-01T23:55:00Z aws=1 hive=0");
    /* impossible dates stop the parse: Feb 30, month 13, a 2-digit year */
    assert_string_equal(render("AWSLogs/111122223333/CloudTrail/us-east-1/2023/02/30", true),
                        "org= acct=111122223333 svc=CloudTrail region=us-east-1 ymd=2023-2-0 "
                        "hour=-1 day=- name=- aws=1 hive=0");
    assert_string_equal(render("AWSLogs/111122223333/CloudTrail/us-east-1/2023/13", true),
                        "org= acct=111122223333 svc=CloudTrail region=us-east-1 ymd=2023-0-0 "
                        "hour=-1 day=- name=- aws=1 hive=0");
    assert_string_equal(render("AWSLogs/111122223333/CloudTrail/us-east-1/23", true),
                        "org= acct=111122223333 svc=CloudTrail region=us-east-1 ymd=0-0-0 "
                        "hour=-1 day=- name=- aws=1 hive=0");
    /* not a region (upper case), not an account (11 digits), an ordinary path */
    assert_string_equal(render("AWSLogs/111122223333/CloudTrail/US-EAST-1/2023", true),
                        "org= acct=111122223333 svc=CloudTrail region= ymd=0-0-0 hour=-1 day=- "
                        "name=- aws=1 hive=0");
    assert_string_equal(render("AWSLogs/11112222333/CloudTrail", true),
                        "org= acct= svc= region= ymd=0-0-0 hour=-1 day=- name=- aws=1 hive=0");
    assert_string_equal(render("/var/log/app/2024/01/02/events.json", false),
                        "org= acct= svc= region= ymd=0-0-0 hour=-1 day=- name=- aws=0 hive=0");
    /* the file name is never a key component; a file named AWSLogs is just a file */
    assert_string_equal(render("dir/AWSLogs", false),
                        "org= acct= svc= region= ymd=0-0-0 hour=-1 day=- name=- aws=0 hive=0");
    assert_string_equal(render("", true),
                        "org= acct= svc= region= ymd=0-0-0 hour=-1 day=- name=- aws=0 hive=0");
    /* a stamp with a bad date is not a stamp */
    assert_string_equal(render("111122223333_CloudTrail_us-east-1_20231301T0000Z_r.json", false),
                        "org= acct=111122223333 svc=CloudTrail region=us-east-1 ymd=0-0-0 "
                        "hour=-1 day=- name=- aws=0 hive=0");
}

static int64_t ms(const char *iso)
{
    int64_t v = 0;
    assert_int_equal(rp_time_parse_iso(rp_str_from(iso), &v, NULL), RP_OK);
    return v;
}

static const char *verdict(const struct rp_ingest_filter *f, const char *path, bool is_dir)
{
    return rp_ingest_prune_name(rp_ingest_filter_path(f, path, is_dir));
}

static void test_filter_account_region(void **state)
{
    (void)state;
    const char *accts[] = {"111122223333", "444455556666"};
    const char *regions[] = {"eu-west-1"};
    struct rp_ingest_filter f = {.since_ms = INT64_MIN, .until_ms = INT64_MAX};
    assert_false(rp_ingest_filter_active(&f));
    assert_string_equal(verdict(&f, "AWSLogs/999999999999", true), "keep");
    f.accounts = accts;
    f.naccounts = 2;
    assert_true(rp_ingest_filter_active(&f));
    assert_string_equal(verdict(&f, "AWSLogs/999999999999", true), "account");
    assert_string_equal(verdict(&f, "AWSLogs/444455556666", true), "keep");
    assert_string_equal(verdict(&f, "AWSLogs/o-exampleorgid", true), "keep");
    assert_string_equal(verdict(&f, "AWSLogs/o-exampleorgid/999999999999", true), "account");
    assert_string_equal(verdict(&f, "AWSLogs", true), "keep");
    assert_string_equal(verdict(&f, "AWSLogs/aws-account-id=999999999999", true), "account");
    /* a path that names no account is read */
    assert_string_equal(verdict(&f, "logs/app.json", false), "keep");
    assert_string_equal(
        verdict(&f, "999999999999_CloudTrail_us-east-1_20240101T0000Z_r.json", false), "account");
    f.regions = regions;
    f.nregions = 1;
    assert_string_equal(verdict(&f, "AWSLogs/111122223333/CloudTrail/us-east-1", true), "region");
    assert_string_equal(verdict(&f, "AWSLogs/111122223333/CloudTrail/eu-west-1", true), "keep");
    assert_string_equal(verdict(&f, "AWSLogs/111122223333/CloudTrail", true), "keep");
    /* Route 53 keys have no region: kept */
    assert_string_equal(verdict(&f, "AWSLogs/111122223333/vpcdnsquerylogs/vpc-1/2024/03/05", true),
                        "keep");
    assert_string_equal(
        verdict(&f,
                "AWSLogs/aws-account-id=111122223333/aws-service=vpcflowlogs/aws-region=us-east-1",
                true),
        "region");
}

static void test_filter_dates(void **state)
{
    (void)state;
    struct rp_ingest_filter f = {.since_ms = ms("2024-03-05T13:00:00Z"), .until_ms = INT64_MAX};
    const char *base = "AWSLogs/111122223333/CloudTrail/us-east-1/";
    char p[256];
#define V(rel, dir) (snprintf(p, sizeof p, "%s%s", base, rel), verdict(&f, p, dir))
    /* --since: days before day(S) go, day(S) itself stays */
    assert_string_equal(V("2024/03/04", true), "since");
    assert_string_equal(V("2024/03/05", true), "keep");
    assert_string_equal(V("2024/03/06", true), "keep");
    assert_string_equal(V("2024/02", true), "since");
    assert_string_equal(V("2024/03", true), "keep");
    assert_string_equal(V("2023", true), "since");
    assert_string_equal(V("2024", true), "keep");
    assert_string_equal(V("2025", true), "keep");
    /* files: the key's day decides; a flat file by its name's day */
    assert_string_equal(V("2024/03/04/x.json.gz", false), "since");
    assert_string_equal(
        verdict(&f, "111122223333_CloudTrail_us-east-1_20240304T2355Z_r.json.gz", false), "since");
    assert_string_equal(
        verdict(&f, "111122223333_CloudTrail_us-east-1_20240305T0005Z_r.json.gz", false), "keep");
    /* --until U (exclusive): days after day(U) + 1 go; day(U) + 1 stays for late deliveries */
    f.since_ms = INT64_MIN;
    f.until_ms = ms("2024-03-05T13:00:00Z");
    assert_string_equal(V("2024/03/05", true), "keep");
    assert_string_equal(V("2024/03/06", true), "keep");
    assert_string_equal(V("2024/03/07", true), "until");
    assert_string_equal(V("2024/04", true), "until");
    assert_string_equal(V("2024/03", true), "keep");
    assert_string_equal(V("2025", true), "until");
    assert_string_equal(V("2024", true), "keep");
    /* the month boundary: U on Jan 31 keeps Feb 1, prunes Feb 2 and the rest of February is
     * still kept as a month because its first day is kept */
    f.until_ms = ms("2024-01-31T00:00:00Z");
    assert_string_equal(V("2024/02/01", true), "keep");
    assert_string_equal(V("2024/02/02", true), "until");
    assert_string_equal(V("2024/02", true), "keep");
    assert_string_equal(V("2024/03", true), "until");
    /* Config keys with unpadded month and day */
    f.since_ms = ms("2024-03-05");
    f.until_ms = ms("2024-03-06");
    assert_string_equal(verdict(&f, "AWSLogs/111122223333/Config/us-east-1/2024/3/4", true),
                        "since");
    assert_string_equal(verdict(&f, "AWSLogs/111122223333/Config/us-east-1/2024/3/5", true),
                        "keep");
    assert_string_equal(verdict(&f, "AWSLogs/111122223333/Config/us-east-1/2024/3/7", true),
                        "keep");
    assert_string_equal(verdict(&f, "AWSLogs/111122223333/Config/us-east-1/2024/3/8", true),
                        "until");
    /* Hive keys, and paths without dates */
    assert_string_equal(verdict(&f,
                                "AWSLogs/aws-account-id=111122223333/aws-service=vpcflowlogs/"
                                "aws-region=us-east-1/year=2024/month=03/day=04",
                                true),
                        "since");
    assert_string_equal(verdict(&f, "AWSLogs/111122223333/CloudTrail/us-east-1", true), "keep");
    assert_string_equal(verdict(&f, "plain/dir", true), "keep");
    assert_string_equal(verdict(&f, "plain/file.json", false), "keep");
#undef V
}

static void test_filter_dates_before_1970(void **state)
{
    (void)state;
    /* day arithmetic floors, so times before the epoch round to the right day */
    struct rp_ingest_filter f = {.since_ms = ms("1969-12-31T12:00:00Z"), .until_ms = INT64_MAX};
    assert_string_equal(verdict(&f, "AWSLogs/111122223333/CloudTrail/us-east-1/1969/12/31", true),
                        "keep");
    assert_string_equal(verdict(&f, "AWSLogs/111122223333/CloudTrail/us-east-1/1969/12/30", true),
                        "since");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layout_cloudtrail),
        cmocka_unit_test(test_layout_org_insight_digest),
        cmocka_unit_test(test_layout_config),
        cmocka_unit_test(test_layout_flowlogs),
        cmocka_unit_test(test_layout_route53),
        cmocka_unit_test(test_layout_names_and_garbage),
        cmocka_unit_test(test_filter_account_region),
        cmocka_unit_test(test_filter_dates),
        cmocka_unit_test(test_filter_dates_before_1970),
    };
    return cmocka_run_group_tests_name("ingest_layout", tests, NULL, NULL);
}
