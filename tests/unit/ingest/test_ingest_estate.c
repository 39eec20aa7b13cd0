/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for the estate formats (src/ingest/ingest_estate.c, "estate": account summary,
 * password policy or its NoSuchEntity error, EC2 snapshots, get-credential-report JSON; and
 * src/ingest/ingest_estate_credreport.c, "credreport": the credential report CSV): exact rows
 * for the hand-written fixtures in tests/fixtures/estate/ read from estate/ paths, the path
 * facts (account, region, stamp or date), fallbacks to the document and the S3 key layout,
 * rejects with their exact reasons, sniffing against every built-in format, and the tables
 * against the migration's schema (data/schemas/store/0017_estate.sql). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ingest/ingest_estate.h"
#include "unit/ingest/ingest_test_rows.h"
#include "unit/ingest/ingest_test_sink.h"
#include "unit/ingest/ingest_test_schema.h"

extern const struct rp_ingest_source rp_ingest_src_estate;
extern const struct rp_ingest_source rp_ingest_src_estate_credreport;
#define DOCS (&rp_ingest_src_estate)
#define CSV  (&rp_ingest_src_estate_credreport)

#define IAM_DIR "/data/mirror/estate/111122223333/iam/2026/01/05/"
#define EC2_DIR "/data/mirror/estate/111122223333/ec2/us-east-1/2026/01/05/"
#define STAMP   "20260105T002245Z"
#define T_STAMP "1767572565000" /* 2026-01-05T00:22:45Z */
#define T_DAY   "1767571200000" /* 2026-01-05T00:00:00Z */

/* Feed one file to src as the runner would: FRAME_JSON takes the whole text as one document
 * (what the AWS CLI prints), or each of docs[] as one record of the same file; FRAME_LINES
 * takes each line. path and layout (may be NULL) are what the runner would give. */
static void feed(const struct rp_ingest_source *src, const char *path,
                 const struct rp_ingest_layout *layout, const char *const *docs, size_t ndocs,
                 struct rp_test_sink *ts)
{
    struct rp_test_feed f = {.src = src, .path = path};
    struct rp_errbuf eb = {0};
    if (layout)
        f.layout = *layout;
    else
        f.layout.day_ms = -1;
    f.state = calloc(1, src->state_size ? src->state_size : 1);
    rp_arena_init(&f.arena, 0);
    f.cx = (struct rp_ingest_ctx){.src = src,
                                  .path = path,
                                  .layout = &f.layout,
                                  .arena = &f.arena,
                                  .sink = rp_test_sink_row,
                                  .sink_arg = ts};
    struct rp_json_parser *jp = rp_json_parser_new();
    assert_non_null(jp);
    assert_non_null(f.state);
    if (src->file_begin) assert_int_equal(src->file_begin(&f.cx, f.state, &eb), RP_OK);
    for (size_t d = 0; d < ndocs; d++) {
        const char *text = docs[d];
        size_t len = strlen(text);
        if (src->framing == RP_INGEST_FRAME_JSON) {
            struct rp_json_val root;
            assert_int_equal(rp_json_parse(jp, text, len, &root, &eb), RP_OK);
            assert_int_equal(rp_test_feed_one(&f, ts, text, len, 0, 1, root), RP_OK);
            continue;
        }
        size_t pos = 0;
        uint64_t line = 0;
        while (pos < len) {
            const char *nl = memchr(text + pos, '\n', len - pos);
            size_t end = nl ? (size_t)(nl - text) : len, n = end - pos;
            line++;
            if (n && text[pos + n - 1] == '\r') n--;
            if (n)
                assert_int_equal(
                    rp_test_feed_one(&f, ts, text + pos, n, pos, line, (struct rp_json_val){0}),
                    RP_OK);
            pos = end + 1;
        }
    }
    rp_json_parser_free(f.cx.jp);
    rp_json_parser_free(jp);
    rp_arena_release(&f.arena);
    free(f.state);
}

static void expect_text(const struct rp_ingest_source *src, const char *path,
                        const struct rp_ingest_layout *layout, const char *text, const char *want)
{
    struct rp_test_sink ts;
    rp_test_sink_init(&ts);
    feed(src, path, layout, &text, 1, &ts);
    assert_string_equal(rp_test_sink_text(&ts), want);
    rp_test_sink_release(&ts);
}

static void expect_fixture(const struct rp_ingest_source *src, const char *name, const char *path,
                           const char *want)
{
    struct rp_buf in;
    rp_test_fixture_load(&in, "estate", name);
    expect_text(src, path, NULL, rp_buf_cstr(&in), want);
    rp_buf_release(&in);
}

/* ---- documents --------------------------------------------------------------------------- */

static void test_estate_documents(void **state)
{
    (void)state;
    expect_fixture(DOCS, "account-summary.json",
                   IAM_DIR "111122223333_iam_account-summary_" STAMP ".json",
                   "estate_documents kind=iam-account-summary rp_account=111122223333 rp_region= "
                   "rp_time_ms=" T_STAMP " document={\"Users\":3,\"Groups\":1,\"Roles\":7,"
                   "\"Policies\":2,\"AccountMFAEnabled\":1,\"AccountAccessKeysPresent\":0,"
                   "\"AccountSigningCertificatesPresent\":0,\"MFADevices\":2,"
                   "\"MFADevicesInUse\":2,\"UsersQuota\":5000}\n");
    expect_fixture(DOCS, "password-policy.json",
                   IAM_DIR "111122223333_iam_password-policy_" STAMP ".json",
                   "estate_documents kind=iam-password-policy rp_account=111122223333 rp_region= "
                   "rp_time_ms=" T_STAMP " document={\"MinimumPasswordLength\":14,"
                   "\"RequireSymbols\":true,\"RequireNumbers\":true,"
                   "\"RequireUppercaseCharacters\":true,\"RequireLowercaseCharacters\":false,"
                   "\"AllowUsersToChangePassword\":true,\"ExpirePasswords\":true,"
                   "\"MaxPasswordAge\":90,\"PasswordReusePrevention\":24,\"HardExpiry\":false}\n");
    expect_fixture(DOCS, "password-policy-none.json",
                   IAM_DIR "111122223333_iam_password-policy_" STAMP ".json",
                   "estate_documents kind=iam-password-policy rp_account=111122223333 rp_region= "
                   "rp_time_ms=" T_STAMP " document=null\n");
    expect_fixture(
        DOCS, "snapshots.json", EC2_DIR "111122223333_ec2_snapshots_us-east-1_" STAMP ".json",
        "estate_documents kind=ec2-snapshots rp_account=111122223333 rp_region=us-east-1 "
        "rp_time_ms=" T_STAMP " document=[{\"Description\":\"weekly copy of the build volume\","
        "\"Encrypted\":false,\"OwnerId\":\"111122223333\",\"Progress\":\"100%\","
        "\"SnapshotId\":\"snap-0a1b2c3d4e5f60718\",\"StartTime\":\"2026-01-03T02:00:00.000Z\","
        "\"State\":\"completed\",\"VolumeId\":\"vol-0123456789abcdef0\",\"VolumeSize\":8,"
        "\"StorageTier\":\"standard\",\"CreateVolumePermissions\":[{\"Group\":\"all\"}]},"
        "{\"Description\":\"database backup\",\"Encrypted\":true,\"KmsKeyId\":"
        "\"arn:aws:kms:us-east-1:111122223333:key/1a2b3c4d-0000-4000-8000-000000000001\","
        "\"OwnerId\":\"111122223333\",\"Progress\":\"100%\",\"SnapshotId\":"
        "\"snap-0fedcba9876543210\",\"StartTime\":\"2026-01-04T02:00:00.000Z\",\"State\":"
        "\"completed\",\"VolumeId\":\"vol-0fedcba9876543210\",\"VolumeSize\":100,"
        "\"StorageTier\":\"standard\",\"Tags\":[{\"Key\":\"team\",\"Value\":\"data\"}],"
        "\"CreateVolumePermissions\":[]}]\n");
    /* an account with no snapshots in the region */
    expect_text(DOCS, EC2_DIR "111122223333_ec2_snapshots_us-east-1_" STAMP ".json", NULL,
                "{\"Snapshots\":[]}\n",
                "estate_documents kind=ec2-snapshots rp_account=111122223333 rp_region=us-east-1 "
                "rp_time_ms=" T_STAMP " document=[]\n");
    /* aws ec2 get-ebs-encryption-by-default, per region */
    expect_text(DOCS, EC2_DIR "111122223333_ec2_ebs-encryption-by-default_us-east-1_" STAMP ".json",
                NULL, "{\n    \"EbsEncryptionByDefault\": false\n}\n",
                "estate_documents kind=ec2-ebs-encryption-by-default rp_account=111122223333 "
                "rp_region=us-east-1 rp_time_ms=" T_STAMP " document=false\n");
    /* aws iam list-virtual-mfa-devices: the devices, global (no region) */
    expect_text(DOCS, IAM_DIR "111122223333_iam_virtual-mfa-devices_" STAMP ".json", NULL,
                "{\"VirtualMFADevices\": [{\"SerialNumber\": "
                "\"arn:aws:iam::111122223333:mfa/root-account-mfa-device\", \"User\": "
                "{\"Arn\": \"arn:aws:iam::111122223333:root\"}}], \"IsTruncated\": false}\n",
                "estate_documents kind=iam-virtual-mfa-devices rp_account=111122223333 rp_region= "
                "rp_time_ms=" T_STAMP " document=[{\"SerialNumber\":\"arn:aws:iam::111122223333:"
                "mfa/root-account-mfa-device\",\"User\":{\"Arn\":\"arn:aws:iam::111122223333:"
                "root\"}}]\n");
}

/* What the path does not say comes from the file name, the document or the S3 key layout. */
static void test_estate_fallbacks(void **state)
{
    (void)state;
    /* no stamp in the name: the date in the path, midnight UTC */
    expect_text(DOCS, IAM_DIR "summary.json", NULL, "{\"SummaryMap\":{\"Users\":1}}",
                "estate_documents kind=iam-account-summary rp_account=111122223333 rp_region= "
                "rp_time_ms=" T_DAY " document={\"Users\":1}\n");
    /* a copy elsewhere keeps its name: account, region and stamp from it */
    expect_text(DOCS, "/tmp/111122223333_ec2_snapshots_eu-west-1_" STAMP ".json", NULL,
                "{\"Snapshots\":[]}",
                "estate_documents kind=ec2-snapshots rp_account=111122223333 rp_region=eu-west-1 "
                "rp_time_ms=" T_STAMP " document=[]\n");
    /* the account from the document: OwnerId, the NoSuchEntity message */
    expect_text(DOCS, "/tmp/snapshots_us-west-2_" STAMP ".json", NULL,
                "{\"Snapshots\":[{\"SnapshotId\":\"snap-1\",\"OwnerId\":\"444455556666\"}]}",
                "estate_documents kind=ec2-snapshots rp_account=444455556666 rp_region=us-west-2 "
                "rp_time_ms=" T_STAMP
                " document=[{\"SnapshotId\":\"snap-1\",\"OwnerId\":\"444455556666\"}]\n");
    expect_text(DOCS, "/tmp/pp_" STAMP ".json", NULL,
                "{\"Error\":{\"Code\":\"NoSuchEntity\",\"Message\":\"The Password Policy with "
                "domain name 444455556666 cannot be found.\"}}",
                "estate_documents kind=iam-password-policy rp_account=444455556666 rp_region= "
                "rp_time_ms=" T_STAMP " document=null\n");
    /* an S3 key layout (AWSLogs/..) fills account, region and day */
    struct rp_ingest_layout l = {.account = rp_str_from("777788889999"),
                                 .region = rp_str_from("ap-south-1"),
                                 .day_ms = 1767484800000};
    expect_text(DOCS, "AWSLogs/777788889999/x/ap-south-1/2026/01/04/s.json", &l,
                "{\"Snapshots\":[]}",
                "estate_documents kind=ec2-snapshots rp_account=777788889999 rp_region=ap-south-1 "
                "rp_time_ms=1767484800000 document=[]\n");
}

/* ---- the credential report --------------------------------------------------------------- */

#define CR_ROOT                                                                                    \
    "{\"user\":\"<root_account>\",\"arn\":\"arn:aws:iam::111122223333:root\","                     \
    "\"user_creation_time\":\"2024-05-01T10:00:00+00:00\",\"password_enabled\":"                   \
    "\"not_supported\",\"password_last_used\":\"2026-01-02T08:15:00+00:00\","                      \
    "\"password_last_changed\":\"not_supported\",\"password_next_rotation\":\"not_supported\","    \
    "\"mfa_active\":\"true\",\"access_key_1_active\":\"false\",\"access_key_1_last_rotated\":"     \
    "\"N/A\",\"access_key_1_last_used_date\":\"N/A\",\"access_key_1_last_used_region\":\"N/A\","   \
    "\"access_key_1_last_used_service\":\"N/A\",\"access_key_2_active\":\"false\","                \
    "\"access_key_2_last_rotated\":\"N/A\",\"access_key_2_last_used_date\":\"N/A\","               \
    "\"access_key_2_last_used_region\":\"N/A\",\"access_key_2_last_used_service\":\"N/A\","        \
    "\"cert_1_active\":\"false\",\"cert_1_last_rotated\":\"N/A\",\"cert_2_active\":\"false\","     \
    "\"cert_2_last_rotated\":\"N/A\"}"

static void test_estate_credreport_csv(void **state)
{
    (void)state;
    expect_fixture(
        CSV, "credential-report.csv", IAM_DIR "111122223333_iam_credential-report_" STAMP ".csv",
        "iam_credential_report rp_account=111122223333 rp_time_ms=" T_STAMP
        " user=<root_account> arn=arn:aws:iam::111122223333:root row=" CR_ROOT "\n"
        "iam_credential_report rp_account=111122223333 rp_time_ms=" T_STAMP
        " user=alice arn=arn:aws:iam::111122223333:user/alice row={\"user\":\"alice\",\"arn\":"
        "\"arn:aws:iam::111122223333:user/alice\",\"user_creation_time\":"
        "\"2024-06-01T09:00:00+00:00\",\"password_enabled\":\"true\",\"password_last_used\":"
        "\"2026-01-03T17:40:00+00:00\",\"password_last_changed\":\"2025-11-20T09:00:00+00:00\","
        "\"password_next_rotation\":\"2026-02-18T09:00:00+00:00\",\"mfa_active\":\"true\","
        "\"access_key_1_active\":\"true\",\"access_key_1_last_rotated\":"
        "\"2025-12-01T12:00:00+00:00\",\"access_key_1_last_used_date\":"
        "\"2026-01-04T06:00:00+00:00\",\"access_key_1_last_used_region\":\"us-east-1\","
        "\"access_key_1_last_used_service\":\"s3\",\"access_key_2_active\":\"false\","
        "\"access_key_2_last_rotated\":\"N/A\",\"access_key_2_last_used_date\":\"N/A\","
        "\"access_key_2_last_used_region\":\"N/A\",\"access_key_2_last_used_service\":\"N/A\","
        "\"cert_1_active\":\"false\",\"cert_1_last_rotated\":\"N/A\",\"cert_2_active\":\"false\","
        "\"cert_2_last_rotated\":\"N/A\"}\n"
        "iam_credential_report rp_account=111122223333 rp_time_ms=" T_STAMP
        " user=ci-bot arn=arn:aws:iam::111122223333:user/automation/ci-bot row={\"user\":"
        "\"ci-bot\",\"arn\":\"arn:aws:iam::111122223333:user/automation/ci-bot\","
        "\"user_creation_time\":\"2025-02-10T14:30:00+00:00\",\"password_enabled\":\"false\","
        "\"password_last_used\":\"N/A\",\"password_last_changed\":\"N/A\","
        "\"password_next_rotation\":\"N/A\",\"mfa_active\":\"false\",\"access_key_1_active\":"
        "\"true\",\"access_key_1_last_rotated\":\"2025-02-10T14:30:00+00:00\","
        "\"access_key_1_last_used_date\":\"no_information\",\"access_key_1_last_used_region\":"
        "\"N/A\",\"access_key_1_last_used_service\":\"N/A\",\"access_key_2_active\":\"true\","
        "\"access_key_2_last_rotated\":\"2025-08-01T00:00:00+00:00\","
        "\"access_key_2_last_used_date\":\"2026-01-04T23:59:00+00:00\","
        "\"access_key_2_last_used_region\":\"eu-west-1\",\"access_key_2_last_used_service\":"
        "\"sts,ec2\",\"cert_1_active\":\"false\",\"cert_1_last_rotated\":\"N/A\","
        "\"cert_2_active\":\"false\",\"cert_2_last_rotated\":\"N/A\"}\n");
    /* the account comes from each row's ARN, even when the path says nothing */
    expect_text(CSV, IAM_DIR "report.csv", NULL,
                "user,arn,user_creation_time\r\nbob,arn:aws:iam::444455556666:user/bob,N/A\r\n",
                "iam_credential_report rp_account=444455556666 rp_time_ms=" T_DAY
                " user=bob arn=arn:aws:iam::444455556666:user/bob row={\"user\":\"bob\",\"arn\":"
                "\"arn:aws:iam::444455556666:user/bob\",\"user_creation_time\":\"N/A\"}\n");
}

/* aws iam get-credential-report: base64 Content, GeneratedTime wins over the file's stamp */
static void test_estate_credreport_json(void **state)
{
    (void)state;
    expect_fixture(DOCS, "credential-report.json",
                   IAM_DIR "111122223333_iam_credential-report_" STAMP ".json",
                   "iam_credential_report rp_account=111122223333 rp_time_ms=1767574923000 "
                   "user=<root_account> arn=arn:aws:iam::111122223333:root row=" CR_ROOT "\n");
}

/* ---- rejects ----------------------------------------------------------------------------- */

static void test_estate_rejects(void **state)
{
    (void)state;
    const char *sum = IAM_DIR "111122223333_iam_account-summary_" STAMP ".json";
    const char *pp = IAM_DIR "111122223333_iam_password-policy_" STAMP ".json";
    expect_text(DOCS, sum, NULL, "[1]",
                "REJECT ordinal=0 line=1 offset=0: estate: the document is not an object\n");
    expect_text(DOCS, sum, NULL, "{\"Users\":[]}",
                "REJECT ordinal=0 line=1 offset=0: estate: not an estate document (no SummaryMap, "
                "PasswordPolicy, Snapshots, credential report Content or NoSuchEntity error)\n");
    expect_text(DOCS, sum, NULL, "{\"SummaryMap\":[]}",
                "REJECT ordinal=0 line=1 offset=0: estate: 'SummaryMap' is not an object\n");
    expect_text(DOCS, pp, NULL, "{\"PasswordPolicy\":null}",
                "REJECT ordinal=0 line=1 offset=0: estate: 'PasswordPolicy' is not an object\n");
    expect_text(DOCS, EC2_DIR "s.json", NULL, "{\"EbsEncryptionByDefault\":\"yes\"}",
                "REJECT ordinal=0 line=1 offset=0: estate: 'EbsEncryptionByDefault' is not true or "
                "false\n");
    expect_text(DOCS, IAM_DIR "v.json", NULL, "{\"VirtualMFADevices\":{}}",
                "REJECT ordinal=0 line=1 offset=0: estate: 'VirtualMFADevices' is not an array\n");
    expect_text(DOCS, IAM_DIR "v.json", NULL, "{\"VirtualMFADevices\":[{\"User\":{}}]}",
                "REJECT ordinal=0 line=1 offset=0: estate: virtual MFA device 0 has no "
                "'SerialNumber'\n");
    expect_text(DOCS, EC2_DIR "s.json", NULL, "{\"Snapshots\":{}}",
                "REJECT ordinal=0 line=1 offset=0: estate: 'Snapshots' is not an array\n");
    expect_text(DOCS, EC2_DIR "s.json", NULL,
                "{\"Snapshots\":[{\"SnapshotId\":\"snap-1\"},{\"SnapshotIdentifier\":\"rs-1\"}]}",
                "REJECT ordinal=0 line=1 offset=0: estate: snapshot 1 has no 'SnapshotId' (not "
                "EC2 snapshots?)\n");
    expect_text(DOCS, sum, NULL, "{\"Error\":{\"Code\":\"AccessDenied\"}}",
                "REJECT ordinal=0 line=1 offset=0: estate: an error document other than "
                "NoSuchEntity\n");
    expect_text(DOCS, sum, NULL,
                "{\"Error\":{\"Code\":\"NoSuchEntity\",\"Message\":\"The user with name x cannot "
                "be found.\"}}",
                "REJECT ordinal=0 line=1 offset=0: estate: a NoSuchEntity error that is not about "
                "the password policy\n");
    expect_text(DOCS, "/tmp/summary_" STAMP ".json", NULL, "{\"SummaryMap\":{}}",
                "REJECT ordinal=0 line=1 offset=0: estate: no account (put the file under "
                "estate/<account>/ or name it <account>_...)\n");
    expect_text(DOCS, "/data/estate/111122223333/ec2/2026/01/05/s.json", NULL, "{\"Snapshots\":[]}",
                "REJECT ordinal=0 line=1 offset=0: estate: no region for the snapshots (put the "
                "file under estate/<account>/ec2/<region>/)\n");
    expect_text(DOCS, "/data/estate/111122223333/iam/summary.json", NULL, "{\"SummaryMap\":{}}",
                "REJECT ordinal=0 line=1 offset=0: estate: no time (no YYYYMMDDTHHMMSSZ stamp in "
                "the file name, no YYYY/MM/DD in the path)\n");
    expect_text(DOCS, pp, NULL, "{\"Content\":\"!!\",\"ReportFormat\":\"text/csv\"}",
                "REJECT ordinal=0 line=1 offset=0: estate: credential report 'Content' is not "
                "base64\n");
    /* base64 of "user,arn,user_creation_time\nbob\n": a row with too few fields rejects the whole
     * report */
    expect_text(DOCS, pp, NULL, "{\"Content\":\"dXNlcixhcm4sdXNlcl9jcmVhdGlvbl90aW1lCmJvYgo=\"}",
                "REJECT ordinal=0 line=1 offset=0: estate: line 2 of the credential report: the "
                "row has 1 fields, the header 3\n");
    /* two documents of the same kind in one file: the second is refused */
    struct rp_test_sink ts;
    rp_test_sink_init(&ts);
    const char *two[] = {"{\"SummaryMap\":{\"Users\":1}}", "{\"SummaryMap\":{\"Users\":2}}"};
    feed(DOCS, sum, NULL, two, 2, &ts);
    assert_string_equal(rp_test_sink_text(&ts),
                        "estate_documents kind=iam-account-summary rp_account=111122223333 "
                        "rp_region= rp_time_ms=" T_STAMP " document={\"Users\":1}\n"
                        "REJECT ordinal=1 line=1 offset=0: estate: a second iam-account-summary "
                        "document in one file\n");
    rp_test_sink_release(&ts);

    const char *cr = IAM_DIR "111122223333_iam_credential-report_" STAMP ".csv";
    expect_text(CSV, cr, NULL, "name,arn\nbob,x\n",
                "REJECT ordinal=0 line=1 offset=0: credential report: the first line is not the "
                "header 'user,arn,user_creation_time,...'\n"
                "REJECT ordinal=1 line=2 offset=9: credential report: no header line before this "
                "row\n");
    expect_text(CSV, cr, NULL,
                "user,arn,user_creation_time\n"
                "a,arn:aws:iam::111122223333:user/a\n"
                "b,arn:aws:iam::111122223333:user/b,\"x\"y\n"
                ",arn:aws:iam::111122223333:user/c,N/A\n"
                "d,not-an-arn,N/A\n"
                "e,arn:aws:iam::111122223333:user/e,N/A,extra\n",
                "REJECT ordinal=1 line=2 offset=28: credential report: the row has 2 fields, the "
                "header 3\n"
                "REJECT ordinal=2 line=3 offset=63: credential report: bad quoting\n"
                "REJECT ordinal=3 line=4 offset=103: credential report: empty 'user'\n"
                "iam_credential_report rp_account=111122223333 rp_time_ms=" T_STAMP
                " user=d arn=not-an-arn row={\"user\":\"d\",\"arn\":\"not-an-arn\","
                "\"user_creation_time\":\"N/A\"}\n"
                "REJECT ordinal=5 line=6 offset=158: credential report: the row has 4 fields, the "
                "header 3\n");
    expect_text(CSV, "/tmp/report.csv", NULL, "user,arn,user_creation_time\nd,not-an-arn,N/A\n",
                "REJECT ordinal=1 line=2 offset=28: credential report: no account (the arn has "
                "none and neither has the path)\n");
}

/* ---- paths and sniffing ------------------------------------------------------------------ */

static void test_estate_path(void **state)
{
    (void)state;
    struct rp_estate_path p;
    rp_ingest_estate_path(EC2_DIR "111122223333_ec2_snapshots_us-east-1_" STAMP ".json", &p);
    assert_true(p.estate);
    assert_string_equal(p.account, "111122223333");
    assert_string_equal(p.region, "us-east-1");
    assert_int_equal(p.time_ms, 1767572565000);
    assert_int_equal(p.hint, RP_ESTATE_HINT_SNAPSHOTS);
    rp_ingest_estate_path("estate/111122223333/iam/2026/2/30/x_credential-report.csv", &p);
    assert_string_equal(p.account, "111122223333");
    assert_string_equal(p.region, "");
    assert_int_equal(p.time_ms, -1); /* February 30th is no date */
    assert_int_equal(p.hint, RP_ESTATE_HINT_CREDREPORT);
    rp_ingest_estate_path("x.json", &p);
    assert_false(p.estate);
    assert_string_equal(p.account, "");
    assert_int_equal(p.time_ms, -1);
    assert_int_equal(p.hint, RP_ESTATE_HINT_NONE);
    rp_ingest_estate_path(NULL, &p);
    assert_int_equal(p.time_ms, -1);
}

static const char *sniff(const char *fixture, const char *path)
{
    struct rp_buf in;
    rp_test_fixture_load(&in, "estate", fixture);
    const struct rp_ingest_source *s =
        rp_ingest_source_sniff(rp_ingest_sources, in.data, in.len, path);
    rp_buf_release(&in);
    return s ? s->name : "none";
}

static void test_estate_probe(void **state)
{
    (void)state;
    /* content decides, with or without the estate path */
    const char *fixtures[] = {"account-summary.json", "password-policy.json",
                              "password-policy-none.json", "snapshots.json",
                              "credential-report.json"};
    for (size_t i = 0; i < RP_ARRAY_LEN(fixtures); i++) {
        assert_string_equal(sniff(fixtures[i], "/tmp/out.json"), "estate");
        assert_string_equal(sniff(fixtures[i], IAM_DIR "f.json"), "estate");
    }
    assert_string_equal(sniff("credential-report.csv", "/tmp/report.csv"), "credreport");
    assert_int_equal(rp_test_probe_fixture(CSV, "estate", "credential-report.csv", "x"), 100);
    assert_int_equal(rp_test_probe_fixture(DOCS, "estate", "account-summary.json", "x"), 100);
    assert_int_equal(rp_test_probe_fixture(DOCS, "estate", "credential-report.csv", "x"), 0);
    assert_int_equal(rp_test_probe_fixture(CSV, "estate", "snapshots.json", "x"), 0);
    /* a NoSuchEntity about something else, or another service's Snapshots, is not claimed */
    const char *other = "{\"Error\":{\"Code\":\"NoSuchEntity\",\"Message\":\"no such user\"}}";
    assert_int_equal(DOCS->probe(other, strlen(other), "/tmp/x.json"), 0);
    const char *rs = "{\"Snapshots\":[{\"SnapshotIdentifier\":\"rs-1\"}]}";
    assert_int_equal(DOCS->probe(rs, strlen(rs), "/tmp/x.json"), 50);
    /* nothing else claims the estate files */
    for (size_t i = 0; rp_ingest_sources[i]; i++) {
        const struct rp_ingest_source *s = rp_ingest_sources[i];
        if (s == DOCS || s == CSV) continue;
        for (size_t k = 0; k < RP_ARRAY_LEN(fixtures); k++)
            assert_true(rp_test_probe_fixture(s, "estate", fixtures[k], IAM_DIR "f.json") < 50);
        assert_true(rp_test_probe_fixture(s, "estate", "credential-report.csv", "r.csv") < 50);
    }
}

/* ---- descriptors and schema -------------------------------------------------------------- */

static void test_estate_descriptor(void **state)
{
    (void)state;
    assert_ptr_equal(rp_ingest_source_find("estate"), DOCS);
    assert_ptr_equal(rp_ingest_source_find("credreport"), CSV);
    assert_int_equal(DOCS->framing, RP_INGEST_FRAME_JSON);
    assert_null(DOCS->containers);
    assert_int_equal(CSV->framing, RP_INGEST_FRAME_LINES);
    assert_int_equal(DOCS->ntables, 2);
    assert_int_equal(CSV->ntables, 1);
    const struct rp_ingest_table *d = &DOCS->tables[0], *c = &CSV->tables[0];
    assert_string_equal(d->name, "estate_documents");
    assert_string_equal(d->cols[d->time_col].name, "rp_time_ms");
    assert_int_equal(d->cols[4].type, RP_INGEST_COL_JSON);
    assert_string_equal(c->name, "iam_credential_report");
    assert_string_equal(DOCS->tables[1].name, "iam_credential_report");
    assert_string_equal(c->cols[c->time_col].name, "rp_time_ms");
    assert_int_equal(c->cols[4].type, RP_INGEST_COL_JSON);
}

static void test_estate_schema(void **state)
{
    (void)state;
    struct rp_store *st = NULL;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_store_new(":memory:", RP_STORE_RDWR, &st, &eb), RP_OK);
    assert_int_equal(rp_test_schema_check(st, DOCS), 0);
    assert_int_equal(rp_test_schema_check(st, CSV), 0);
    struct rp_ingest_layout l = {.account = rp_str_from("111122223333"),
                                 .region = rp_str_from("us-east-1"),
                                 .day_ms = 1767571200000};
    struct rp_test_schema_counts n = {0};
    static const char docs[] = "{\"SummaryMap\":{\"Users\":1}}\n"
                               "{\"PasswordPolicy\":{\"MinimumPasswordLength\":8}}\n"
                               "{\"Snapshots\":[]}\n";
    static const char csv[] = "user,arn,user_creation_time\n"
                              "<root_account>,arn:aws:iam::111122223333:root,N/A\n"
                              "bob,arn:aws:iam::111122223333:user/bob,N/A\n";
    /* twice: the second time every row is already there */
    for (int i = 0; i < 2; i++) {
        assert_int_equal(rp_test_schema_feed(st, DOCS, &l, docs, strlen(docs), &n), RP_OK);
        assert_int_equal(rp_test_schema_feed(st, CSV, &l, csv, strlen(csv), &n), RP_OK);
    }
    assert_int_equal(n.rows, 5);
    assert_int_equal(n.ignored, 5);
    assert_int_equal(n.rejected, 0);
    assert_int_equal(rp_test_query_int(st, "SELECT json_extract(document, "
                                           "'$.MinimumPasswordLength') FROM estate_documents "
                                           "WHERE kind = 'iam-password-policy'"),
                     8);
    assert_int_equal(rp_test_query_int(st, "SELECT count(*) FROM iam_credential_report WHERE "
                                           "json_extract(row, '$.user') = user AND rp_time_ms = "
                                           "1767571200000"),
                     2);
    rp_store_free(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_estate_documents),      cmocka_unit_test(test_estate_fallbacks),
        cmocka_unit_test(test_estate_credreport_csv), cmocka_unit_test(test_estate_credreport_json),
        cmocka_unit_test(test_estate_rejects),        cmocka_unit_test(test_estate_path),
        cmocka_unit_test(test_estate_probe),          cmocka_unit_test(test_estate_descriptor),
        cmocka_unit_test(test_estate_schema),
    };
    return cmocka_run_group_tests_name("ingest_estate", tests, NULL, NULL);
}
