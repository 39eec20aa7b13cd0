/* SPDX-License-Identifier: Apache-2.0 */
/* PACKAGE_VULNERABILITY findings (src/vuln/vuln_scan.c, vuln_finding.c): two instances with
 * the same vulnerable OpenSSH (a world-reachable one and its private twin) under the
 * simulator's inventory layout, the OSV fixtures of tests/fixtures/vuln/osv/debian, and the
 * instances' configuration items. Checks the grouping (openssh-server and openssh-client of
 * source openssh are one finding per instance, a package at the fixed version is not
 * listed), the resource taken from the path and the store, severity from the CVSS band, the
 * Inspector score lowered for the twin with its adjustment, the exact ASFF fields, SSM
 * inventory items, and the resource option. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/rp_buf.h"
#include "core/rp_json.h"
#include "store/store.h"
#include "vuln/vuln.h"

#define OSV     RP_FIXTURES_DIR "/vuln/osv/debian"
#define ACCT    "111122223333"
#define REG     "eu-west-1"
#define EXPOSED "i-0aaaaaaaaaaaaaaa1"
#define TWIN    "i-0bbbbbbbbbbbbbbb2"
#define NOW     1767225600000LL /* 2026-01-01T00:00:00Z */

static char g_dir[64];
static char g_db[96];
static struct rp_store *g_st;

static const char os_release[] = "ID=debian\nVERSION_ID=\"12\"\n";
static const char dpkg_status[] = "Package: openssh-server\n"
                                  "Status: install ok installed\n"
                                  "Architecture: amd64\n"
                                  "Source: openssh\n"
                                  "Version: 1:9.2p1-2+deb12u2\n"
                                  "\n"
                                  "Package: openssh-client\n"
                                  "Status: install ok installed\n"
                                  "Architecture: amd64\n"
                                  "Source: openssh\n"
                                  "Version: 1:9.2p1-2+deb12u2\n"
                                  "\n"
                                  "Package: openssh-sftp-server\n"
                                  "Status: install ok installed\n"
                                  "Architecture: amd64\n"
                                  "Source: openssh\n"
                                  "Version: 1:9.2p1-2+deb12u3\n"
                                  "\n"
                                  "Package: bash\n"
                                  "Status: install ok installed\n"
                                  "Architecture: amd64\n"
                                  "Version: 5.2.15-2+b2\n";

/* assert_string_equal for long documents: cmocka cuts its message, so show where they part */
static void same(const char *got, const char *want)
{
    size_t i = 0;
    while (got[i] && got[i] == want[i]) i++;
    if (got[i] || want[i])
        fail_msg("differ at %zu:\n got  ...%.160s\n want ...%.160s", i, got + (i > 40 ? i - 40 : 0),
                 want + (i > 40 ? i - 40 : 0));
}

static void put(const char *path, const char *text)
{
    char dir[512];
    rp_strlcpy(dir, path, sizeof dir);
    for (char *p = dir + 1; *p; p++)
        if (*p == '/') {
            *p = 0;
            mkdir(dir, 0755);
            *p = '/';
        }
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void put_instance(const char *iid)
{
    char p[512];
    snprintf(p, sizeof p, "%s/inventory/%s/%s/%s/etc/os-release", g_dir, ACCT, REG, iid);
    put(p, os_release);
    snprintf(p, sizeof p, "%s/inventory/%s/%s/%s/var/lib/dpkg/status", g_dir, ACCT, REG, iid);
    put(p, dpkg_status);
}

static void exec_sql(const char *sql)
{
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_store_exec(g_st, sql, &eb), RP_OK);
}

static int group_setup(void **state)
{
    (void)state;
    snprintf(g_dir, sizeof g_dir, "/tmp/rp-vuln-scan-XXXXXX");
    if (!mkdtemp(g_dir)) return -1;
    snprintf(g_db, sizeof g_db, "%s/rampart.db", g_dir);
    struct rp_errbuf eb = {0};
    if (rp_store_new(g_db, RP_STORE_RDWR, &g_st, &eb)) return -1;
    const char *paths[] = {OSV};
    struct rp_vuln_import_summary s;
    if (rp_vuln_db_import(g_st, paths, 1, &s, &eb)) return -1;
    put_instance(EXPOSED);
    put_instance(TWIN);
    exec_sql("INSERT INTO config_resources (configurationItemCaptureTime, awsAccountId, "
             "resourceType, resourceId, ARN, awsRegion, configuration, rp_time_ms, rp_account, "
             "rp_region) VALUES ('2025-12-01T00:00:00.000Z', '" ACCT
             "', 'AWS::EC2::Instance', '" EXPOSED "', 'arn:aws:ec2:" REG ":" ACCT
             ":instance/" EXPOSED "', '" REG "', "
             "'{\"instanceId\":\"" EXPOSED "\",\"instanceType\":\"t3.small\",\"imageId\":"
             "\"ami-0123456789abcdef0\",\"vpcId\":\"vpc-01\",\"subnetId\":\"subnet-01\","
             "\"privateIpAddress\":\"10.0.1.5\",\"publicIpAddress\":\"203.0.113.9\","
             "\"keyName\":\"jump\",\"launchTime\":\"2025-11-30T10:00:00.000Z\"}', "
             "1764547200000, '" ACCT "', '" REG "')");
    /* the SSM inventory of a third instance, without files */
    exec_sql(
        "INSERT INTO config_resources (configurationItemCaptureTime, awsAccountId, "
        "configurationItemStatus, resourceType, resourceId, awsRegion, configuration, "
        "rp_time_ms, rp_account, rp_region) VALUES ('2025-12-01T00:00:00.000Z', '" ACCT
        "', 'OK', 'AWS::SSM::ManagedInstanceInventory', 'i-0ccccccccccccccc3', '" REG "', "
        "'{\"AWS:InstanceInformation\":{\"SchemaVersion\":\"1.0\",\"Content\":{"
        "\"i-0ccccccccccccccc3\":{\"PlatformName\":\"Debian GNU/Linux\",\"PlatformVersion\":"
        "\"12\",\"PlatformType\":\"Linux\"}}},\"AWS:Application\":{\"SchemaVersion\":\"1.1\","
        "\"Content\":{\"openssh\":{\"Name\":\"openssh\",\"Version\":\"9.2p1\",\"Release\":"
        "\"2+deb12u1\",\"Epoch\":\"1\",\"Architecture\":\"x86_64\"},\"zlib1g\":{\"Name\":"
        "\"zlib1g\",\"Version\":\"1.2.13\",\"Release\":\"2\",\"Architecture\":\"x86_64\"}}}}', "
        "1764547200000, '" ACCT "', '" REG "')");
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    rp_store_free(g_st);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
    return system(cmd) == 0 ? 0 : -1;
}

struct got {
    struct rp_buf rows;
    struct rp_buf asff; /* the documents, one per line */
};

static rp_err on_finding(const struct rp_vuln_finding *f, void *ctx, struct rp_errbuf *eb)
{
    (void)eb;
    struct got *g = ctx;
    rp_err e = rp_buf_printf(&g->rows, "%s %s %s %s %s %.1f %.1f %s %s |", f->resource_id,
                             f->resource_type, f->account, f->region, f->vulnerability_id,
                             f->base_score, f->inspector_score, f->severity, f->fix_available);
    for (size_t i = 0; i < f->npkgs && !e; i++)
        e = rp_buf_printf(&g->rows, " %s=%s/%s/%s->%s", f->pkgs[i].name, f->pkgs[i].epoch,
                          f->pkgs[i].version, f->pkgs[i].release,
                          f->pkgs[i].fixed_in ? f->pkgs[i].fixed_in : "-");
    if (!e) e = rp_buf_printf(&g->rows, " [%s]\n", f->advisories);
    if (!e) e = rp_buf_append(&g->asff, f->asff, f->asff_len);
    if (!e) e = rp_buf_append_str(&g->asff, "\n");
    return e;
}

static enum rp_vuln_exposure exposure(void *ctx, const char *id, char *detail, size_t n)
{
    (void)ctx;
    if (!strcmp(id, EXPOSED)) {
        snprintf(detail, n, "tcp/22 from igw-01");
        return RP_VULN_EXPOSURE_INTERNET;
    }
    if (!strcmp(id, TWIN)) return RP_VULN_EXPOSURE_NONE;
    return RP_VULN_EXPOSURE_UNKNOWN;
}

static void run(const struct rp_vuln_scan_opts *o, const char *path, struct got *g,
                struct rp_vuln_inventory_summary *sum)
{
    rp_buf_init(&g->rows, 0);
    rp_buf_init(&g->asff, 0);
    struct rp_errbuf eb = {0};
    const char *paths[] = {path};
    assert_int_equal(
        rp_vuln_scan(g_st, paths, path ? 1 : 0, o, on_finding, g, NULL, NULL, sum, &eb), RP_OK);
}

static void got_release(struct got *g)
{
    rp_buf_release(&g->rows);
    rp_buf_release(&g->asff);
}

static rp_err on_resource(void *ctx, const char *id, const char *type, struct rp_errbuf *eb)
{
    (void)eb;
    return rp_buf_printf(ctx, "%s %s\n", id, type);
}

static void test_scan_groups_and_scores(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/inventory", g_dir);
    struct rp_buf res;
    rp_buf_init(&res, 0);
    struct rp_vuln_scan_opts o = {
        .exposure = exposure, .now_ms = NOW, .on_resource = on_resource, .resource_ctx = &res};
    struct got g;
    struct rp_vuln_inventory_summary sum;
    run(&o, path, &g, &sum);
    assert_string_equal(
        g.rows.data,
        EXPOSED " AWS_EC2_INSTANCE " ACCT " " REG " CVE-2024-6387 8.1 8.1 HIGH YES |"
                " openssh-client=1/9.2p1/2+deb12u2->1:9.2p1-2+deb12u3"
                " openssh-server=1/9.2p1/2+deb12u2->1:9.2p1-2+deb12u3 [DEBIAN-CVE-2024-6387]\n" TWIN
                " AWS_EC2_INSTANCE " ACCT " " REG " CVE-2024-6387 8.1 7.5 HIGH YES |"
                " openssh-client=1/9.2p1/2+deb12u2->1:9.2p1-2+deb12u3"
                " openssh-server=1/9.2p1/2+deb12u2->1:9.2p1-2+deb12u3 [DEBIAN-CVE-2024-6387]\n");
    assert_int_equal(sum.files_read, 2);
    assert_int_equal(sum.packages, 8);
    /* every resource whose packages were read, once (the order the walk met them) */
    assert_true(!strcmp(res.data, EXPOSED " AWS_EC2_INSTANCE\n" TWIN " AWS_EC2_INSTANCE\n") ||
                !strcmp(res.data, TWIN " AWS_EC2_INSTANCE\n" EXPOSED " AWS_EC2_INSTANCE\n"));
    rp_buf_release(&res);
    got_release(&g);
}

/* The exposed instance's document, field by field. */
static void test_scan_asff_fields(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/inventory/%s/%s/%s", g_dir, ACCT, REG, EXPOSED);
    struct rp_vuln_scan_opts o = {.exposure = exposure, .now_ms = NOW};
    struct got g;
    struct rp_vuln_inventory_summary sum;
    run(&o, path, &g, &sum);
    struct rp_json_parser *jp = rp_json_parser_new();
    struct rp_json_val f, v;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_json_parse(jp, g.asff.data, g.asff.len, &f, &eb), RP_OK);
    struct rp_buf out;
    rp_buf_init(&out, 0);
    assert_int_equal(rp_json_serialize(f, &out), RP_OK);
    /* the Id is a hash of producer, type, resource and vulnerability: check its form */
    struct rp_str id = {0};
    assert_int_equal(rp_json_obj_get_str(f, "Id", &id), RP_OK);
    assert_int_equal(id.len, strlen("inspector/") + 32);
    assert_memory_equal(id.p, "inspector/", 10);
    char want[8192];
    snprintf(
        want, sizeof want,
        "{\"SchemaVersion\":\"2018-10-08\",\"Id\":\"%s\",\"ProductArn\":\"arn:aws:securityhub:"
        "eu-west-1:111122223333:product/rampart/inspector\",\"ProductName\":\"Inspector\","
        "\"CompanyName\":\"Rampart\",\"GeneratorId\":\"AWSInspector\",\"AwsAccountId\":"
        "\"111122223333\",\"Region\":\"eu-west-1\",\"Types\":[\"Software and Configuration "
        "Checks/Vulnerabilities/CVE\"],\"FirstObservedAt\":\"2026-01-01T00:00:00.000Z\","
        "\"LastObservedAt\":\"2026-01-01T00:00:00.000Z\",\"CreatedAt\":"
        "\"2026-01-01T00:00:00.000Z\",\"UpdatedAt\":\"2026-01-01T00:00:00.000Z\",\"Severity\":{"
        "\"Label\":\"HIGH\",\"Normalized\":70,\"Original\":\"HIGH\"},\"Title\":\"CVE-2024-6387 - "
        "openssh-client, openssh-server\",\"Description\":\"a signal handler race in sshd allows "
        "unauthenticated remote code execution\",\"Remediation\":{\"Recommendation\":{\"Text\":"
        "\"Upgrade the affected packages to the fixed versions listed\"}},\"ProductFields\":{"
        "\"aws/inspector/ProductVersion\":\"2\",\"aws/inspector/FindingStatus\":\"ACTIVE\","
        "\"aws/inspector/type\":\"PACKAGE_VULNERABILITY\",\"aws/inspector/resourceId\":"
        "\"" EXPOSED "\",\"aws/inspector/resourceType\":\"AWS_EC2_INSTANCE\","
        "\"aws/inspector/advisories\":\"DEBIAN-CVE-2024-6387\",\"aws/inspector/inspectorScore\":"
        "\"8.1\",\"aws/inspector/exposure\":\"tcp/22 from igw-01\"},\"Resources\":[{\"Type\":"
        "\"AwsEc2Instance\",\"Id\":\"arn:aws:ec2:eu-west-1:111122223333:instance/" EXPOSED "\","
        "\"Partition\":\"aws\",\"Region\":\"eu-west-1\",\"Details\":{\"AwsEc2Instance\":{\"Type\":"
        "\"t3.small\",\"ImageId\":\"ami-0123456789abcdef0\",\"IpV4Addresses\":[\"10.0.1.5\","
        "\"203.0.113.9\"],\"KeyName\":\"jump\",\"VpcId\":\"vpc-01\",\"SubnetId\":\"subnet-01\","
        "\"LaunchedAt\":\"2025-11-30T10:00:00.000Z\"}}}],\"Vulnerabilities\":[{\"Id\":"
        "\"CVE-2024-6387\",\"VulnerablePackages\":[{\"Name\":\"openssh-client\",\"Version\":"
        "\"9.2p1\",\"Epoch\":\"1\",\"Release\":\"2+deb12u2\",\"Architecture\":\"amd64\","
        "\"PackageManager\":\"OS\",\"FilePath\":\"%s/var/lib/dpkg/status\",\"FixedInVersion\":"
        "\"1:9.2p1-2+deb12u3\",\"Remediation\":\"Upgrade openssh-client to version "
        "1:9.2p1-2+deb12u3 or later\"},{\"Name\":\"openssh-server\",\"Version\":\"9.2p1\","
        "\"Epoch\":\"1\",\"Release\":\"2+deb12u2\",\"Architecture\":\"amd64\",\"PackageManager\":"
        "\"OS\",\"FilePath\":\"%s/var/lib/dpkg/status\",\"FixedInVersion\":\"1:9.2p1-2+deb12u3\","
        "\"Remediation\":\"Upgrade openssh-server to version 1:9.2p1-2+deb12u3 or later\"}],"
        "\"Cvss\":[{\"Version\":\"3.1\",\"BaseScore\":8.1,\"BaseVector\":\"CVSS:3.1/AV:N/AC:H/"
        "PR:N/UI:N/S:U/C:H/I:H/A:H\",\"Source\":\"DEBIAN_CVE\"}],\"RelatedVulnerabilities\":["
        "\"DEBIAN-CVE-2024-6387\"],\"Vendor\":{\"Name\":"
        "\"DEBIAN_CVE\",\"Url\":\"https://osv.dev/vulnerability/DEBIAN-CVE-2024-6387\","
        "\"VendorSeverity\":\"HIGH\",\"VendorCreatedAt\":\"2024-07-01T13:00:00.000Z\","
        "\"VendorUpdatedAt\":\"2024-07-02T10:00:00.000Z\"},\"FixAvailable\":\"YES\"}],"
        "\"RecordState\":\"ACTIVE\",\"Workflow\":{\"Status\":\"NEW\"}}",
        id.p, path, path);
    same(out.data, want);
    assert_int_equal(rp_json_obj_get(f, "Vulnerabilities", &v), RP_OK);
    rp_buf_release(&out);
    rp_json_parser_free(jp);
    got_release(&g);
}

/* The twin: its Cvss carries the INSPECTOR entry with the adjustment. */
static void test_scan_twin_adjustment(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/inventory/%s/%s/%s", g_dir, ACCT, REG, TWIN);
    struct rp_vuln_scan_opts o = {.exposure = exposure, .now_ms = NOW};
    struct got g;
    struct rp_vuln_inventory_summary sum;
    run(&o, path, &g, &sum);
    const char *cvss = strstr(g.asff.data, "\"Cvss\":");
    assert_non_null(cvss);
    const char *want = "\"Cvss\":[{\"Version\":\"3.1\",\"BaseScore\":8.1,\"BaseVector\":\"CVSS:3.1/"
                       "AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H\",\"Source\":\"DEBIAN_CVE\"},{"
                       "\"Version\":\"3.1\",\"BaseScore\":7.5,\"BaseVector\":\"CVSS:3.1/AV:A/"
                       "AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H\",\"Source\":\"INSPECTOR\",\"Adjustments\":"
                       "[{\"Metric\":\"AV\",\"Reason\":\"attack vector lowered from NETWORK to "
                       "ADJACENT_NETWORK: no port of " TWIN " is reachable from the internet\"}]}]";
    assert_memory_equal(cvss, want, strlen(want));
    assert_non_null(strstr(g.asff.data, "\"aws/inspector/inspectorScore\":\"7.5\","
                                        "\"aws/inspector/exposure\":\"not reachable from the "
                                        "internet\""));
    /* no configuration item for the twin: account and region come from the path, the ARN is
     * built, and there are no Details */
    assert_non_null(strstr(g.asff.data, "\"Resources\":[{\"Type\":\"AwsEc2Instance\",\"Id\":"
                                        "\"arn:aws:ec2:eu-west-1:111122223333:instance/" TWIN
                                        "\",\"Partition\":\"aws\",\"Region\":\"eu-west-1\"}]"));
    got_release(&g);
}

/* SSM inventory items: the OS from AWS:InstanceInformation, versions from Epoch/Version/
 * Release; the SSM item names the source-less package "openssh" as Debian's source does. */
static void test_scan_ssm_inventory(void **state)
{
    (void)state;
    struct rp_vuln_scan_opts o = {.ssm_inventory = true, .now_ms = NOW};
    struct got g;
    struct rp_vuln_inventory_summary sum;
    run(&o, NULL, &g, &sum);
    assert_string_equal(g.rows.data, "i-0ccccccccccccccc3 AWS_EC2_INSTANCE " ACCT " " REG
                                     " CVE-2024-6387 8.1 8.1 HIGH YES | openssh=1/9.2p1/2+deb12u1->"
                                     "1:9.2p1-2+deb12u3 [DEBIAN-CVE-2024-6387]\n");
    assert_int_equal(sum.files_seen, 1);
    assert_int_equal(sum.files_read, 1);
    assert_non_null(strstr(g.asff.data, "\"FilePath\":\"AWS::SSM::ManagedInstanceInventory/"
                                        "i-0ccccccccccccccc3\""));
    got_release(&g);
}

/* A path without an instance directory: the resource is the path, unless named. */
static void test_scan_resource_option(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/inventory/%s/%s/%s", g_dir, ACCT, REG, TWIN);
    struct rp_vuln_scan_opts o = {.resource_id = "i-0ddddddddddddddd4",
                                  .account = "444455556666",
                                  .region = "us-west-2",
                                  .now_ms = NOW};
    struct got g;
    struct rp_vuln_inventory_summary sum;
    run(&o, path, &g, &sum);
    assert_string_equal(g.rows.data,
                        "i-0ddddddddddddddd4 AWS_EC2_INSTANCE 444455556666 us-west-2 "
                        "CVE-2024-6387 8.1 8.1 HIGH YES | openssh-client=1/9.2p1/2+deb12u2->"
                        "1:9.2p1-2+deb12u3 openssh-server=1/9.2p1/2+deb12u2->1:9.2p1-2+deb12u3 "
                        "[DEBIAN-CVE-2024-6387]\n");
    got_release(&g);
    char root[128];
    snprintf(root, sizeof root, "%s/inventory/%s/%s/%s/var", g_dir, ACCT, REG, EXPOSED);
    struct rp_vuln_scan_opts o2 = {.now_ms = NOW};
    /* the instance id is in the file's path even when the scanned root is below it */
    run(&o2, root, &g, &sum);
    assert_non_null(strstr(g.rows.data, EXPOSED " AWS_EC2_INSTANCE " ACCT " " REG " "));
    got_release(&g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scan_groups_and_scores), cmocka_unit_test(test_scan_asff_fields),
        cmocka_unit_test(test_scan_twin_adjustment),   cmocka_unit_test(test_scan_ssm_inventory),
        cmocka_unit_test(test_scan_resource_option),
    };
    return cmocka_run_group_tests_name("vuln_scan", tests, group_setup, group_teardown);
}
