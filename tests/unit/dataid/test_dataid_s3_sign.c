/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for src/dataid/dataid_s3.c without a network: SigV4 signatures of the example
 * requests of AWS's S3 documentation (GET object with a range, PUT object with an encoded key,
 * ListObjects with a query, GET ?lifecycle; the documentation's example keys), URI encoding of
 * keys and query values, ListObjectsV2 pages (contents, continuation tokens, bad documents),
 * S3 error documents and Macie's status codes, s3:// URLs, and the AWS CLI's lookup order of
 * endpoint, region and credentials (a fake environment and credentials/config files in a
 * scratch directory). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "core/rp_buf.h"
#include "core/rp_hash.h"
#include "dataid/dataid_s3.h"
#include "tools/rp_test_tmpdir.h"

#define AK     "AKIAIOSFODNN7EXAMPLE"
#define SK     "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
#define EMPTY  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define DATE   "20130524T000000Z"
#define PREFIX "AWS4-HMAC-SHA256 Credential=" AK "/20130524/us-east-1/s3/aws4_request, "

static void sign_expect(const char *method, const char *uri, const char *query,
                        const struct rp_s3_header *h, size_t nh, const char *payload,
                        const char *want)
{
    struct rp_buf out;
    rp_buf_init(&out, 0);
    struct rp_errbuf eb = {0};
    assert_int_equal(
        rp_s3_sign(AK, SK, "us-east-1", method, uri, query, h, nh, DATE, payload, &out, &eb),
        RP_OK);
    assert_string_equal(rp_buf_cstr(&out), want);
    rp_buf_release(&out);
}

static void test_sign_get_object(void **state)
{
    (void)state;
    /* headers in any order: the signer sorts them */
    const struct rp_s3_header h[] = {{"x-amz-date", DATE},
                                     {"range", "bytes=0-9"},
                                     {"host", "examplebucket.s3.amazonaws.com"},
                                     {"x-amz-content-sha256", EMPTY}};
    sign_expect("GET", "/test.txt", "", h, 4, EMPTY,
                PREFIX
                "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
                "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
}

static void test_sign_put_object(void **state)
{
    (void)state;
    char payload[RP_HASH_SHA256_HEXSZ];
    const char *body = "Welcome to Amazon S3.";
    assert_int_equal(rp_hash_sha256_hex(body, strlen(body), payload), RP_OK);
    assert_string_equal(payload,
                        "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
    struct rp_buf uri;
    rp_buf_init(&uri, 0);
    assert_int_equal(rp_buf_append_str(&uri, "/"), RP_OK);
    assert_int_equal(rp_s3_uri_encode(&uri, "test$file.text", 14, true), RP_OK);
    assert_string_equal(rp_buf_cstr(&uri), "/test%24file.text");
    const struct rp_s3_header h[] = {{"date", "Fri, 24 May 2013 00:00:00 GMT"},
                                     {"host", "examplebucket.s3.amazonaws.com"},
                                     {"x-amz-content-sha256", payload},
                                     {"x-amz-date", DATE},
                                     {"x-amz-storage-class", "REDUCED_REDUNDANCY"}};
    sign_expect("PUT", rp_buf_cstr(&uri), "", h, 5, payload,
                PREFIX
                "SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;"
                "x-amz-storage-class, "
                "Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd");
    rp_buf_release(&uri);
}

static void test_sign_list_and_subresource(void **state)
{
    (void)state;
    const struct rp_s3_header h[] = {{"host", "examplebucket.s3.amazonaws.com"},
                                     {"x-amz-content-sha256", EMPTY},
                                     {"x-amz-date", DATE}};
    sign_expect("GET", "/", "max-keys=2&prefix=J", h, 3, EMPTY,
                PREFIX
                "SignedHeaders=host;x-amz-content-sha256;x-amz-date, "
                "Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");
    sign_expect("GET", "/", "lifecycle=", h, 3, EMPTY,
                PREFIX
                "SignedHeaders=host;x-amz-content-sha256;x-amz-date, "
                "Signature=fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543");
}

static void test_sign_errors(void **state)
{
    (void)state;
    struct rp_buf out;
    rp_buf_init(&out, 0);
    struct rp_errbuf eb = {0};
    const struct rp_s3_header h[] = {{"host", "h"}};
    assert_int_equal(
        rp_s3_sign(AK, SK, "us-east-1", "GET", "/", "", h, 1, "2013-05-24", EMPTY, &out, &eb),
        RP_EINVAL);
    assert_string_equal(eb.msg, "s3: '2013-05-24' is not a YYYYMMDDTHHMMSSZ time");
    assert_int_equal(out.len, 0);
    rp_buf_release(&out);
}

static void test_uri_encode(void **state)
{
    (void)state;
    struct rp_buf b;
    rp_buf_init(&b, 0);
    const char key[] = "dir one/ä+=&?%~._-Az09\x01";
    assert_int_equal(rp_s3_uri_encode(&b, key, sizeof key - 1, true), RP_OK);
    assert_string_equal(rp_buf_cstr(&b), "dir%20one/%C3%A4%2B%3D%26%3F%25~._-Az09%01");
    rp_buf_reset(&b);
    assert_int_equal(rp_s3_uri_encode(&b, "a/b c", 5, false), RP_OK);
    assert_string_equal(rp_buf_cstr(&b), "a%2Fb%20c");
    rp_buf_release(&b);
}

static void test_parse_list(void **state)
{
    (void)state;
    static const char xml[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
        "<Name>rp-bucket</Name><Prefix>data/</Prefix><KeyCount>2</KeyCount>"
        "<MaxKeys>2</MaxKeys><IsTruncated>true</IsTruncated>"
        "<Contents><Key>data/a &amp; b.csv</Key>"
        "<LastModified>2026-11-27T07:19:48.000Z</LastModified>"
        "<ETag>&quot;9b2cf535f27731c974343645a3985328&quot;</ETag><Size>1234</Size>"
        "<StorageClass>STANDARD</StorageClass></Contents>"
        "<Contents><Key>data/folder/</Key><LastModified>2026-11-27T07:20:00Z</LastModified>"
        "<ETag>\"d41d8cd98f00b204e9800998ecf8427e-2\"</ETag><Size>0</Size></Contents>"
        "<NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</"
        "NextContinuationToken>"
        "<ContinuationToken>abc</ContinuationToken></ListBucketResult>";
    struct rp_s3_page pg;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_s3_parse_list(xml, sizeof xml - 1, &pg, &eb), RP_OK);
    assert_int_equal(pg.n, 2);
    assert_true(pg.truncated);
    assert_string_equal(pg.next_token, "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=");
    assert_string_equal(pg.obj[0].key, "data/a & b.csv");
    assert_int_equal(pg.obj[0].size, 1234);
    assert_string_equal(pg.obj[0].etag, "9b2cf535f27731c974343645a3985328");
    assert_int_equal(pg.obj[0].last_modified_ms, 1795763988000LL);
    assert_string_equal(pg.obj[0].storage_class, "STANDARD");
    assert_string_equal(pg.obj[1].key, "data/folder/");
    assert_int_equal(pg.obj[1].size, 0);
    assert_string_equal(pg.obj[1].etag, "d41d8cd98f00b204e9800998ecf8427e-2");
    assert_int_equal(pg.obj[1].last_modified_ms, 1795764000000LL);
    assert_string_equal(pg.obj[1].storage_class, "");
    rp_s3_page_release(&pg);
    assert_int_equal(pg.n, 0);
    assert_null(pg.obj);

    /* the last page: not truncated, no token; an empty bucket has no Contents */
    static const char last[] = "<ListBucketResult><IsTruncated>false</IsTruncated>"
                               "<KeyCount>0</KeyCount></ListBucketResult>";
    assert_int_equal(rp_s3_parse_list(last, sizeof last - 1, &pg, &eb), RP_OK);
    assert_int_equal(pg.n, 0);
    assert_false(pg.truncated);
    assert_null(pg.next_token);
    rp_s3_page_release(&pg);
}

static void parse_list_fails(const char *xml, const char *msg)
{
    struct rp_s3_page pg;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_s3_parse_list(xml, strlen(xml), &pg, &eb), RP_EPARSE);
    assert_string_equal(eb.msg, msg);
    rp_s3_page_release(&pg);
}

static void test_parse_list_bad(void **state)
{
    (void)state;
    parse_list_fails("not xml", "s3: listing: not a ListBucketResult document");
    parse_list_fails("<Error><Code>NoSuchBucket</Code></Error>",
                     "s3: listing: not a ListBucketResult document");
    parse_list_fails("<ListBucketResult><IsTruncated>true</IsTruncated></ListBucketResult>",
                     "s3: listing: truncated without a NextContinuationToken");
    parse_list_fails("<ListBucketResult><Contents><Size>1</Size></Contents></ListBucketResult>",
                     "s3: listing: an object without a Key");
    parse_list_fails("<ListBucketResult><Contents><Key>k</Key><Size>-1</Size></Contents>"
                     "</ListBucketResult>",
                     "s3: listing: bad Size '-1'");
    parse_list_fails("<ListBucketResult><Contents><Key>k</Key><Size>1x</Size></Contents>"
                     "</ListBucketResult>",
                     "s3: listing: bad Size '1x'");
    parse_list_fails("<ListBucketResult><Contents><Key>k</Key>"
                     "<LastModified>yesterday</LastModified></Contents></ListBucketResult>",
                     "s3: listing: bad LastModified 'yesterday'");
    /* no external entity is fetched or expanded */
    parse_list_fails("<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY x SYSTEM "
                     "\"file:///etc/passwd\">]><ListBucketResult><Contents><Key>&x;</Key>"
                     "<Size>1</Size></Contents><IsTruncated>true</IsTruncated>"
                     "</ListBucketResult>",
                     "s3: listing: truncated without a NextContinuationToken");
}

static void test_parse_error_and_status(void **state)
{
    (void)state;
    char code[64], msg[128];
    static const char xml[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>"
                              "<Code>NoSuchKey</Code><Message>The specified key does not "
                              "exist.</Message><Key>a.txt</Key></Error>";
    rp_s3_parse_error(xml, sizeof xml - 1, code, sizeof code, msg, sizeof msg);
    assert_string_equal(code, "NoSuchKey");
    assert_string_equal(msg, "The specified key does not exist.");
    rp_s3_parse_error("<html>502</html>", 16, code, sizeof code, msg, sizeof msg);
    assert_string_equal(code, "");
    assert_string_equal(msg, "");
    rp_s3_parse_error("", 0, code, sizeof code, msg, sizeof msg);
    assert_string_equal(code, "");

    assert_string_equal(rp_s3_status_for(404, "NoSuchKey", true), "S3_OBJECT_NOT_FOUND");
    assert_string_equal(rp_s3_status_for(404, "NoSuchBucket", false), "S3_OBJECT_NOT_FOUND");
    assert_string_equal(rp_s3_status_for(403, "AccessDenied", true), "S3_OBJECT_ACCESS_DENIED");
    assert_string_equal(rp_s3_status_for(403, "AccessDenied", false), "S3_USER_ACCESS_DENIED");
    assert_string_equal(rp_s3_status_for(403, "SignatureDoesNotMatch", true),
                        "S3_USER_ACCESS_DENIED");
    assert_string_equal(rp_s3_status_for(403, "InvalidAccessKeyId", true), "S3_USER_ACCESS_DENIED");
    assert_string_equal(rp_s3_status_for(400, "ExpiredToken", true), "S3_USER_ACCESS_DENIED");
    assert_string_equal(rp_s3_status_for(503, "SlowDown", true), "S3_THROTTLED");
    assert_string_equal(rp_s3_status_for(503, NULL, false), "S3_THROTTLED");
    assert_string_equal(rp_s3_status_for(429, "", true), "S3_THROTTLED");
    assert_string_equal(rp_s3_status_for(400, "Throttling", false), "S3_THROTTLED");
    assert_string_equal(rp_s3_status_for(500, "InternalError", true), "UNKNOWN_ERROR");
    assert_string_equal(rp_s3_status_for(0, NULL, true), "UNKNOWN_ERROR");
}

static void test_parse_url(void **state)
{
    (void)state;
    char b[64], p[64];
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_s3_parse_url("s3://rp-bucket/data/2024/", b, sizeof b, p, sizeof p, &eb),
                     RP_OK);
    assert_string_equal(b, "rp-bucket");
    assert_string_equal(p, "data/2024/");
    assert_int_equal(rp_s3_parse_url("s3://rp-bucket", b, sizeof b, p, sizeof p, &eb), RP_OK);
    assert_string_equal(b, "rp-bucket");
    assert_string_equal(p, "");
    assert_int_equal(rp_s3_parse_url("s3:///x", b, sizeof b, p, sizeof p, &eb), RP_EINVAL);
    assert_string_equal(eb.msg, "s3: 's3:///x' is not an s3://bucket[/prefix] URL");
    assert_int_equal(rp_s3_parse_url("/tmp/x", b, sizeof b, p, sizeof p, &eb), RP_EINVAL);
    assert_int_equal(rp_s3_parse_url("s3://b/0123456789", b, sizeof b, p, 8, &eb), RP_ELIMIT);
}

/* ---- the lookup order -------------------------------------------------------------------- */

struct fake_env {
    const char *kv[32]; /* name, value, ... NULL */
};

static const char *fake_getenv(const char *name, void *ctx)
{
    const struct fake_env *f = ctx;
    for (size_t i = 0; f->kv[i]; i += 2)
        if (!strcmp(f->kv[i], name)) return f->kv[i + 1];
    return NULL;
}

static char tmp[256], home[300], credfile[320], cfgfile[320], altcred[320];

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

static int setup_files(void **state)
{
    (void)state;
    if (rp_test_tmpdir_make(tmp, sizeof tmp, "rp_s3_")) return -1;
    snprintf(home, sizeof home, "%s/home", tmp);
    snprintf(credfile, sizeof credfile, "%s/.aws/credentials", home);
    snprintf(cfgfile, sizeof cfgfile, "%s/.aws/config", home);
    snprintf(altcred, sizeof altcred, "%s/alt-credentials", tmp);
    char aws[320];
    snprintf(aws, sizeof aws, "%s/.aws", home);
    if (mkdir(home, 0700) || mkdir(aws, 0700)) return -1;
    write_file(credfile, "# comment\n"
                         "[default]\n"
                         "aws_access_key_id = AKIDEFAULTFILE\n"
                         "aws_secret_access_key=secret/default\r\n"
                         "\n"
                         "[dev]\n"
                         "aws_access_key_id = AKIDEVFILE\n"
                         "aws_secret_access_key = secret-dev\n"
                         "aws_session_token = token-dev\n"
                         "[half]\n"
                         "aws_access_key_id = AKIHALF\n");
    write_file(cfgfile, "[default]\n"
                        "region = eu-west-1\n"
                        "[profile dev]\n"
                        "region = ap-south-1\n"
                        "s3 =\n"
                        "  region = nested-not-this\n"
                        "endpoint_url = http://127.0.0.1:9000/\n"
                        "[profile cfgonly]\n"
                        "aws_access_key_id = AKICFGONLY\n"
                        "aws_secret_access_key = secret-cfg\n");
    write_file(altcred, "[default]\naws_access_key_id = AKIALT\naws_secret_access_key = s-alt\n");
    return 0;
}

static int teardown_files(void **state)
{
    (void)state;
    return rp_test_tmpdir_remove(tmp);
}

static void test_config_env_first(void **state)
{
    (void)state;
    struct fake_env f = {{"HOME", home, "AWS_ACCESS_KEY_ID", "AKIENV", "AWS_SECRET_ACCESS_KEY",
                          "secret-env", "AWS_SESSION_TOKEN", "tok-env", "AWS_REGION", "us-west-2",
                          "AWS_DEFAULT_REGION", "eu-central-1", "AWS_PROFILE", "dev",
                          "AWS_ENDPOINT_URL", "http://localhost:4566", NULL}};
    struct rp_s3_config c;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_s3_config_load(&c, NULL, fake_getenv, &f, &eb), RP_OK);
    assert_string_equal(c.access_key, "AKIENV");
    assert_string_equal(c.secret_key, "secret-env");
    assert_string_equal(c.session_token, "tok-env");
    assert_string_equal(c.cred_source, "environment");
    assert_string_equal(c.region, "us-west-2");
    assert_string_equal(c.profile, "dev");
    assert_string_equal(c.endpoint, "http://localhost:4566");
    assert_true(c.path_style);
    /* --endpoint-url beats the environment, its trailing '/' dropped */
    assert_int_equal(rp_s3_config_load(&c, "https://minio.example:9000/", fake_getenv, &f, &eb),
                     RP_OK);
    assert_string_equal(c.endpoint, "https://minio.example:9000");
}

static void test_config_default_profile(void **state)
{
    (void)state;
    struct fake_env f = {{"HOME", home, NULL}};
    struct rp_s3_config c;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_s3_config_load(&c, NULL, fake_getenv, &f, &eb), RP_OK);
    assert_string_equal(c.access_key, "AKIDEFAULTFILE");
    assert_string_equal(c.secret_key, "secret/default");
    assert_string_equal(c.session_token, "");
    char want[400];
    snprintf(want, sizeof want, "%s [default]", credfile);
    assert_string_equal(c.cred_source, want);
    assert_string_equal(c.region, "eu-west-1");
    assert_string_equal(c.endpoint, "https://s3.eu-west-1.amazonaws.com");
    assert_false(c.path_style);
    /* AWS_DEFAULT_REGION beats the file */
    struct fake_env f2 = {{"HOME", home, "AWS_DEFAULT_REGION", "eu-north-1", NULL}};
    assert_int_equal(rp_s3_config_load(&c, NULL, fake_getenv, &f2, &eb), RP_OK);
    assert_string_equal(c.region, "eu-north-1");
    assert_string_equal(c.endpoint, "https://s3.eu-north-1.amazonaws.com");
}

static void test_config_named_profile(void **state)
{
    (void)state;
    struct fake_env f = {{"HOME", home, "AWS_PROFILE", "dev", NULL}};
    struct rp_s3_config c;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_s3_config_load(&c, NULL, fake_getenv, &f, &eb), RP_OK);
    assert_string_equal(c.access_key, "AKIDEVFILE");
    assert_string_equal(c.secret_key, "secret-dev");
    assert_string_equal(c.session_token, "token-dev");
    assert_string_equal(c.region, "ap-south-1"); /* not the nested s3.region */
    assert_string_equal(c.endpoint, "http://127.0.0.1:9000");
    assert_true(c.path_style);
    /* keys only in the config file's [profile cfgonly]; AWS_DEFAULT_PROFILE names it */
    struct fake_env f2 = {{"HOME", home, "AWS_DEFAULT_PROFILE", "cfgonly", NULL}};
    assert_int_equal(rp_s3_config_load(&c, NULL, fake_getenv, &f2, &eb), RP_OK);
    assert_string_equal(c.access_key, "AKICFGONLY");
    assert_string_equal(c.region, "us-east-1");
    char want[400];
    snprintf(want, sizeof want, "%s [profile cfgonly]", cfgfile);
    assert_string_equal(c.cred_source, want);
    /* AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE replace the files under HOME */
    struct fake_env f3 = {{"HOME", home, "AWS_SHARED_CREDENTIALS_FILE", altcred, "AWS_CONFIG_FILE",
                           "/nonexistent/config", NULL}};
    assert_int_equal(rp_s3_config_load(&c, NULL, fake_getenv, &f3, &eb), RP_OK);
    assert_string_equal(c.access_key, "AKIALT");
    assert_string_equal(c.region, "us-east-1");
}

static void test_config_errors(void **state)
{
    (void)state;
    struct rp_s3_config c;
    struct rp_errbuf eb = {0};
    struct fake_env f = {{"HOME", home, "AWS_PROFILE", "half", NULL}};
    assert_int_equal(rp_s3_config_load(&c, NULL, fake_getenv, &f, &eb), RP_EINVAL);
    char want[600];
    snprintf(want, sizeof want,
             "s3: '%s' [half] has aws_access_key_id but not aws_secret_access_key", credfile);
    assert_string_equal(eb.msg, want);

    struct fake_env f2 = {{"HOME", home, "AWS_PROFILE", "nosuch", NULL}};
    assert_int_equal(rp_s3_config_load(&c, NULL, fake_getenv, &f2, &eb), RP_EPERM);
    snprintf(want, sizeof want,
             "s3: no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or give "
             "profile 'nosuch' keys in '%s'",
             credfile);
    assert_string_equal(eb.msg, want);

    struct fake_env f3 = {{"AWS_ACCESS_KEY_ID", "AKI", NULL}};
    assert_int_equal(rp_s3_config_load(&c, NULL, fake_getenv, &f3, &eb), RP_EINVAL);
    assert_string_equal(eb.msg, "s3: AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not");

    struct fake_env f4 = {{"HOME", home, NULL}};
    assert_int_equal(rp_s3_config_load(&c, "ftp://host", fake_getenv, &f4, &eb), RP_EINVAL);
    assert_string_equal(eb.msg, "s3: endpoint 'ftp://host' is not an http:// or https:// URL");
    assert_int_equal(rp_s3_config_load(&c, "http://host/path", fake_getenv, &f4, &eb), RP_EINVAL);
    assert_string_equal(eb.msg,
                        "s3: endpoint 'http://host/path' is not an http:// or https:// URL");
    assert_int_equal(rp_s3_config_load(&c, "http://", fake_getenv, &f4, &eb), RP_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sign_get_object),
        cmocka_unit_test(test_sign_put_object),
        cmocka_unit_test(test_sign_list_and_subresource),
        cmocka_unit_test(test_sign_errors),
        cmocka_unit_test(test_uri_encode),
        cmocka_unit_test(test_parse_list),
        cmocka_unit_test(test_parse_list_bad),
        cmocka_unit_test(test_parse_error_and_status),
        cmocka_unit_test(test_parse_url),
        cmocka_unit_test(test_config_env_first),
        cmocka_unit_test(test_config_default_profile),
        cmocka_unit_test(test_config_named_profile),
        cmocka_unit_test(test_config_errors),
    };
    return cmocka_run_group_tests_name("dataid_s3_sign", tests, setup_files, teardown_files);
}
