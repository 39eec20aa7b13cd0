/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for the VPC Flow Logs format (src/ingest/ingest_vpcflow.c): every version's
 * fields through a header line, the default order without one, custom orders, NODATA and
 * SKIPDATA, CloudWatch export lines, rejects with their exact reasons, probe scores against
 * every fixture of the three formats, and the table against the migration's schema.
 * Fixtures: tests/fixtures/vpcflow/ (hand-written). Rows are compared whole: the expected row
 * lists every non-RAW column in table order, NULL where the test sets nothing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "unit/ingest/ingest_test_rows.h"
#include "unit/ingest/ingest_test_sink.h"
#include "unit/ingest/ingest_test_schema.h"

extern const struct rp_ingest_source rp_ingest_src_vpcflow;
#define SRC (&rp_ingest_src_vpcflow)

static const char vf_table[] = "vpc_flow_logs";

/* The table's non-RAW columns in order, written out here rather than read from the
 * descriptor, so a change in the descriptor shows up as a failure. */
static const char *const vf_cols[] = {
    "version",
    "account_id",
    "interface_id",
    "srcaddr",
    "dstaddr",
    "srcport",
    "dstport",
    "protocol",
    "packets",
    "bytes",
    "start",
    "end",
    "action",
    "log_status",
    "vpc_id",
    "subnet_id",
    "instance_id",
    "tcp_flags",
    "type",
    "pkt_srcaddr",
    "pkt_dstaddr",
    "region",
    "az_id",
    "sublocation_type",
    "sublocation_id",
    "pkt_src_aws_service",
    "pkt_dst_aws_service",
    "flow_direction",
    "traffic_path",
    "ecs_cluster_arn",
    "ecs_cluster_name",
    "ecs_container_instance_arn",
    "ecs_container_instance_id",
    "ecs_container_id",
    "ecs_second_container_id",
    "ecs_service_name",
    "ecs_task_definition_arn",
    "ecs_task_arn",
    "ecs_task_id",
    "reject_reason",
    "rp_time_ms",
    "rp_account",
    "rp_region",
    "rp_src_ip",
    "rp_dst_ip",
    "rp_src_port",
    "rp_dst_port",
    NULL,
};

/* ---- versions ---------------------------------------------------------------------------- */

static void test_vpcflow_v2_default_without_header(void **state)
{
    (void)state;
    struct rp_buf exp;
    rp_buf_init(&exp, 0);
    rp_test_row_add(&exp, vf_table, vf_cols, "version=2", "account_id=111122223333",
                    "interface_id=eni-0a1b2c3d4e5f60001", "srcaddr=10.0.1.15", "dstaddr=10.0.2.20",
                    "srcport=49152", "dstport=443", "protocol=6", "packets=10", "bytes=5200",
                    "start=1700000000", "end=1700000060", "action=ACCEPT", "log_status=OK",
                    "rp_time_ms=1700000000000", "rp_account=111122223333", "rp_src_ip=10.0.1.15",
                    "rp_dst_ip=10.0.2.20", "rp_src_port=49152", "rp_dst_port=443", NULL);
    rp_test_row_add(&exp, vf_table, vf_cols, "version=2", "account_id=111122223333",
                    "interface_id=eni-0a1b2c3d4e5f60001", "srcaddr=198.51.100.7",
                    "dstaddr=10.0.1.15", "srcport=51515", "dstport=22", "protocol=6", "packets=3",
                    "bytes=180", "start=1700000005", "end=1700000060", "action=REJECT",
                    "log_status=OK", "rp_time_ms=1700000005000", "rp_account=111122223333",
                    "rp_src_ip=198.51.100.7", "rp_dst_ip=10.0.1.15", "rp_src_port=51515",
                    "rp_dst_port=22", NULL);
    /* IPv6 columns keep the text as written; rp_ addresses are canonical (RFC 5952). */
    rp_test_row_add(&exp, vf_table, vf_cols, "version=2", "account_id=111122223333",
                    "interface_id=eni-0a1b2c3d4e5f60001", "srcaddr=2001:db8:0:1::10",
                    "dstaddr=2001:DB8:0:2:0:0:0:20", "srcport=0", "dstport=0", "protocol=58",
                    "packets=2", "bytes=208", "start=1700000010", "end=1700000070", "action=ACCEPT",
                    "log_status=OK", "rp_time_ms=1700000010000", "rp_account=111122223333",
                    "rp_src_ip=2001:db8:0:1::10", "rp_dst_ip=2001:db8:0:2::20", "rp_src_port=0",
                    "rp_dst_port=0", NULL);
    rp_test_check_fixture(SRC, "vpcflow", "v2_noheader.log", NULL, &exp);
    rp_buf_release(&exp);
}

static void test_vpcflow_v2_header_and_layout(void **state)
{
    (void)state;
    struct rp_buf exp;
    /* Without a layout: "unknown" is no account, so rp_account is NULL. */
    rp_buf_init(&exp, 0);
    rp_test_row_add(&exp, vf_table, vf_cols, "version=2", "account_id=111122223333",
                    "interface_id=eni-0a1b2c3d4e5f60002", "srcaddr=10.0.3.4",
                    "dstaddr=203.0.113.50", "srcport=40000", "dstport=53", "protocol=17",
                    "packets=1", "bytes=70", "start=1700000100", "end=1700000160", "action=ACCEPT",
                    "log_status=OK", "rp_time_ms=1700000100000", "rp_account=111122223333",
                    "rp_src_ip=10.0.3.4", "rp_dst_ip=203.0.113.50", "rp_src_port=40000",
                    "rp_dst_port=53", NULL);
    rp_test_row_add(&exp, vf_table, vf_cols, "version=2", "account_id=unknown",
                    "interface_id=eni-0a1b2c3d4e5f60003", "srcaddr=10.0.3.9", "dstaddr=10.0.3.4",
                    "srcport=8080", "dstport=33000", "protocol=6", "packets=4", "bytes=400",
                    "start=1700000100", "end=1700000160", "action=ACCEPT", "log_status=OK",
                    "rp_time_ms=1700000100000", "rp_src_ip=10.0.3.9", "rp_dst_ip=10.0.3.4",
                    "rp_src_port=8080", "rp_dst_port=33000", NULL);
    rp_test_check_fixture(SRC, "vpcflow", "v2_header.log", NULL, &exp);
    rp_buf_release(&exp);

    /* With the S3 key's account and region: rp_region always from the key (no region field),
     * rp_account from the key only where the record has no account. */
    struct rp_ingest_layout lay = {.account = RP_STR_LIT("444455556666"),
                                   .service = RP_STR_LIT("vpcflowlogs"),
                                   .region = RP_STR_LIT("eu-west-1"),
                                   .day_ms = 1699920000000};
    rp_buf_init(&exp, 0);
    rp_test_row_add(&exp, vf_table, vf_cols, "version=2", "account_id=111122223333",
                    "interface_id=eni-0a1b2c3d4e5f60002", "srcaddr=10.0.3.4",
                    "dstaddr=203.0.113.50", "srcport=40000", "dstport=53", "protocol=17",
                    "packets=1", "bytes=70", "start=1700000100", "end=1700000160", "action=ACCEPT",
                    "log_status=OK", "rp_time_ms=1700000100000", "rp_account=111122223333",
                    "rp_region=eu-west-1", "rp_src_ip=10.0.3.4", "rp_dst_ip=203.0.113.50",
                    "rp_src_port=40000", "rp_dst_port=53", NULL);
    rp_test_row_add(&exp, vf_table, vf_cols, "version=2", "account_id=unknown",
                    "interface_id=eni-0a1b2c3d4e5f60003", "srcaddr=10.0.3.9", "dstaddr=10.0.3.4",
                    "srcport=8080", "dstport=33000", "protocol=6", "packets=4", "bytes=400",
                    "start=1700000100", "end=1700000160", "action=ACCEPT", "log_status=OK",
                    "rp_time_ms=1700000100000", "rp_account=444455556666", "rp_region=eu-west-1",
                    "rp_src_ip=10.0.3.9", "rp_dst_ip=10.0.3.4", "rp_src_port=8080",
                    "rp_dst_port=33000", NULL);
    rp_test_check_fixture(SRC, "vpcflow", "v2_header.log", &lay, &exp);
    rp_buf_release(&exp);
}

static void test_vpcflow_v3(void **state)
{
    (void)state;
    struct rp_buf exp;
    rp_buf_init(&exp, 0);
    rp_test_row_add(&exp, vf_table, vf_cols, "version=3", "account_id=111122223333",
                    "interface_id=eni-0a1b2c3d4e5f60004", "srcaddr=10.0.4.10", "dstaddr=10.0.5.20",
                    "srcport=43418", "dstport=5001", "protocol=6", "packets=17", "bytes=1260",
                    "start=1700000200", "end=1700000260", "action=ACCEPT", "log_status=OK",
                    "vpc_id=vpc-0123456789abcdef0", "subnet_id=subnet-0123456789abcdef1",
                    "instance_id=i-0123456789abcdef2", "tcp_flags=19", "type=IPv4",
                    "pkt_srcaddr=10.0.9.9", "pkt_dstaddr=10.0.5.20", "rp_time_ms=1700000200000",
                    "rp_account=111122223333", "rp_src_ip=10.0.4.10", "rp_dst_ip=10.0.5.20",
                    "rp_src_port=43418", "rp_dst_port=5001", NULL);
    rp_test_row_add(&exp, vf_table, vf_cols, "version=3", "account_id=111122223333",
                    "interface_id=eni-0a1b2c3d4e5f60005", "srcaddr=10.0.5.20", "dstaddr=10.0.4.10",
                    "srcport=5001", "dstport=43418", "protocol=6", "packets=14", "bytes=967",
                    "start=1700000200", "end=1700000260", "action=ACCEPT", "log_status=OK",
                    "vpc_id=vpc-0123456789abcdef0", "subnet_id=subnet-0123456789abcdef1",
                    "tcp_flags=3", "type=IPv4", "pkt_srcaddr=10.0.5.20", "pkt_dstaddr=10.0.9.9",
                    "rp_time_ms=1700000200000", "rp_account=111122223333", "rp_src_ip=10.0.5.20",
                    "rp_dst_ip=10.0.4.10", "rp_src_port=5001", "rp_dst_port=43418", NULL);
    rp_test_check_fixture(SRC, "vpcflow", "v3.log", NULL, &exp);
    rp_buf_release(&exp);
}

static void test_vpcflow_v4(void **state)
{
    (void)state;
    struct rp_buf exp;
    rp_buf_init(&exp, 0);
    rp_test_row_add(&exp, vf_table, vf_cols, "version=4", "account_id=111122223333",
                    "interface_id=eni-0a1b2c3d4e5f60006", "srcaddr=10.0.6.7", "dstaddr=10.0.6.8",
                    "srcport=1234", "dstport=80", "protocol=6", "packets=5", "bytes=500",
                    "start=1700000300", "end=1700000360", "action=ACCEPT", "log_status=OK",
                    "region=us-west-2", "az_id=usw2-az1", "rp_time_ms=1700000300000",
                    "rp_account=111122223333", "rp_region=us-west-2", "rp_src_ip=10.0.6.7",
                    "rp_dst_ip=10.0.6.8", "rp_src_port=1234", "rp_dst_port=80", NULL);
    rp_test_row_add(&exp, vf_table, vf_cols, "version=4", "account_id=111122223333",
                    "interface_id=eni-0a1b2c3d4e5f60007", "srcaddr=10.0.6.9", "dstaddr=10.0.6.8",
                    "srcport=1235", "dstport=80", "protocol=6", "packets=5", "bytes=500",
                    "start=1700000300", "end=1700000360", "action=ACCEPT", "log_status=OK",
                    "region=us-west-2", "sublocation_type=outpost",
                    "sublocation_id=op-0123456789abcdef0", "rp_time_ms=1700000300000",
                    "rp_account=111122223333", "rp_region=us-west-2", "rp_src_ip=10.0.6.9",
                    "rp_dst_ip=10.0.6.8", "rp_src_port=1235", "rp_dst_port=80", NULL);
    /* The record's region wins over the S3 key's. */
    struct rp_ingest_layout lay = {.region = RP_STR_LIT("eu-west-1"), .day_ms = -1};
    rp_test_check_fixture(SRC, "vpcflow", "v4.log", &lay, &exp);
    rp_buf_release(&exp);
}

static void test_vpcflow_v5(void **state)
{
    (void)state;
    struct rp_buf exp;
    rp_buf_init(&exp, 0);
    rp_test_row_add(&exp, vf_table, vf_cols, "version=5", "account_id=111122223333",
                    "interface_id=eni-0a1b2c3d4e5f60008", "srcaddr=52.95.0.10", "dstaddr=10.0.7.71",
                    "srcport=443", "dstport=34210", "protocol=6", "packets=14", "bytes=15044",
                    "start=1700000400", "end=1700000460", "action=ACCEPT", "log_status=OK",
                    "vpc_id=vpc-0123456789abcdef0", "subnet_id=subnet-0123456789abcdef3",
                    "instance_id=i-0123456789abcdef4", "tcp_flags=19", "type=IPv4",
                    "pkt_srcaddr=52.95.0.10", "pkt_dstaddr=10.0.7.71", "region=ap-southeast-2",
                    "az_id=apse2-az3", "pkt_src_aws_service=S3", "flow_direction=ingress",
                    "rp_time_ms=1700000400000", "rp_account=111122223333",
                    "rp_region=ap-southeast-2", "rp_src_ip=52.95.0.10", "rp_dst_ip=10.0.7.71",
                    "rp_src_port=443", "rp_dst_port=34210", NULL);
    rp_test_row_add(&exp, vf_table, vf_cols, "version=5", "account_id=111122223333",
                    "interface_id=eni-0a1b2c3d4e5f60008", "srcaddr=10.0.7.71", "dstaddr=52.95.0.10",
                    "srcport=34210", "dstport=443", "protocol=6", "packets=7", "bytes=471",
                    "start=1700000400", "end=1700000460", "action=ACCEPT", "log_status=OK",
                    "vpc_id=vpc-0123456789abcdef0", "subnet_id=subnet-0123456789abcdef3",
                    "instance_id=i-0123456789abcdef4", "tcp_flags=3", "type=IPv4",
                    "pkt_srcaddr=10.0.7.71", "pkt_dstaddr=52.95.0.10", "region=ap-southeast-2",
                    "az_id=apse2-az3", "pkt_dst_aws_service=S3", "flow_direction=egress",
                    "traffic_path=8", "rp_time_ms=1700000400000", "rp_account=111122223333",
                    "rp_region=ap-southeast-2", "rp_src_ip=10.0.7.71", "rp_dst_ip=52.95.0.10",
                    "rp_src_port=34210", "rp_dst_port=443", NULL);
    rp_test_check_fixture(SRC, "vpcflow", "v5.log", NULL, &exp);
    rp_buf_release(&exp);
}

static void test_vpcflow_v7_ecs(void **state)
{
    (void)state;
    struct rp_buf exp;
    rp_buf_init(&exp, 0);
    rp_test_row_add(
        &exp, vf_table, vf_cols, "version=7", "account_id=111122223333",
        "interface_id=eni-0a1b2c3d4e5f60009", "srcaddr=10.0.8.5", "dstaddr=10.0.8.6",
        "srcport=38000", "dstport=8080", "protocol=6", "packets=12", "bytes=3400",
        "start=1700000500", "end=1700000560", "action=ACCEPT", "log_status=OK",
        "ecs_cluster_arn=arn:aws:ecs:us-east-1:111122223333:cluster/shop", "ecs_cluster_name=shop",
        "ecs_container_id=c0ffee01-1", "ecs_service_name=cart",
        "ecs_task_definition_arn=arn:aws:ecs:us-east-1:111122223333:task-definition/cart:3",
        "ecs_task_arn=arn:aws:ecs:us-east-1:111122223333:task/shop/0a1b2c3d4e",
        "ecs_task_id=0a1b2c3d4e", "rp_time_ms=1700000500000", "rp_account=111122223333",
        "rp_src_ip=10.0.8.5", "rp_dst_ip=10.0.8.6", "rp_src_port=38000", "rp_dst_port=8080", NULL);
    rp_test_check_fixture(SRC, "vpcflow", "v7.log", NULL, &exp);
    rp_buf_release(&exp);
}

static void test_vpcflow_v8_reject_reason(void **state)
{
    (void)state;
    struct rp_buf exp;
    rp_buf_init(&exp, 0);
    rp_test_row_add(&exp, vf_table, vf_cols, "version=8", "account_id=111122223333",
                    "interface_id=eni-0a1b2c3d4e5f6000a", "srcaddr=198.51.100.9",
                    "dstaddr=10.0.9.10", "srcport=44321", "dstport=3389", "protocol=6", "packets=1",
                    "bytes=60", "start=1700000600", "end=1700000660", "action=REJECT",
                    "log_status=OK", "flow_direction=ingress", "reject_reason=BPA",
                    "rp_time_ms=1700000600000", "rp_account=111122223333", "rp_src_ip=198.51.100.9",
                    "rp_dst_ip=10.0.9.10", "rp_src_port=44321", "rp_dst_port=3389", NULL);
    rp_test_row_add(&exp, vf_table, vf_cols, "version=8", "account_id=111122223333",
                    "interface_id=eni-0a1b2c3d4e5f6000a", "srcaddr=10.0.9.10",
                    "dstaddr=198.51.100.9", "srcport=3389", "dstport=44321", "protocol=6",
                    "packets=1", "bytes=60", "start=1700000600", "end=1700000660", "action=ACCEPT",
                    "log_status=OK", "flow_direction=egress", "rp_time_ms=1700000600000",
                    "rp_account=111122223333", "rp_src_ip=10.0.9.10", "rp_dst_ip=198.51.100.9",
                    "rp_src_port=3389", "rp_dst_port=44321", NULL);
    rp_test_check_fixture(SRC, "vpcflow", "v8.log", NULL, &exp);
    rp_buf_release(&exp);
}

/* A custom order without version or account; the second record has no start, so its time
 * comes from end. */
static void test_vpcflow_custom_order(void **state)
{
    (void)state;
    struct rp_buf exp;
    rp_buf_init(&exp, 0);
    rp_test_row_add(&exp, vf_table, vf_cols, "interface_id=eni-0a1b2c3d4e5f6000b",
                    "srcaddr=10.1.0.1", "dstaddr=10.1.0.2", "srcport=5353", "dstport=53",
                    "protocol=17", "start=1700000700", "end=1700000760", "action=ACCEPT",
                    "log_status=OK", "rp_time_ms=1700000700000", "rp_src_ip=10.1.0.1",
                    "rp_dst_ip=10.1.0.2", "rp_src_port=5353", "rp_dst_port=53", NULL);
    rp_test_row_add(&exp, vf_table, vf_cols, "interface_id=eni-0a1b2c3d4e5f6000b",
                    "srcaddr=10.1.0.3", "dstaddr=10.1.0.2", "srcport=5353", "dstport=53",
                    "protocol=17", "end=1700000760", "action=REJECT", "log_status=OK",
                    "rp_time_ms=1700000760000", "rp_src_ip=10.1.0.3", "rp_dst_ip=10.1.0.2",
                    "rp_src_port=5353", "rp_dst_port=53", NULL);
    rp_test_check_fixture(SRC, "vpcflow", "custom.log", NULL, &exp);
    rp_buf_release(&exp);
}

static void test_vpcflow_nodata_skipdata(void **state)
{
    (void)state;
    struct rp_buf exp;
    rp_buf_init(&exp, 0);
    rp_test_row_add(&exp, vf_table, vf_cols, "version=2", "account_id=111122223333",
                    "interface_id=eni-0a1b2c3d4e5f6000c", "start=1700000800", "end=1700000860",
                    "log_status=NODATA", "rp_time_ms=1700000800000", "rp_account=111122223333",
                    NULL);
    rp_test_row_add(&exp, vf_table, vf_cols, "version=2", "account_id=111122223333",
                    "interface_id=eni-0a1b2c3d4e5f6000d", "start=1700000800", "end=1700000860",
                    "log_status=SKIPDATA", "rp_time_ms=1700000800000", "rp_account=111122223333",
                    NULL);
    rp_test_check_fixture(SRC, "vpcflow", "nodata.log", NULL, &exp);
    rp_buf_release(&exp);
}

static void test_vpcflow_cloudwatch_export(void **state)
{
    (void)state;
    struct rp_buf exp;
    rp_buf_init(&exp, 0);
    rp_test_row_add(&exp, vf_table, vf_cols, "version=2", "account_id=111122223333",
                    "interface_id=eni-0a1b2c3d4e5f60010", "srcaddr=10.0.10.1", "dstaddr=10.0.10.2",
                    "srcport=45000", "dstport=443", "protocol=6", "packets=8", "bytes=900",
                    "start=1700001100", "end=1700001160", "action=ACCEPT", "log_status=OK",
                    "rp_time_ms=1700001100000", "rp_account=111122223333", "rp_src_ip=10.0.10.1",
                    "rp_dst_ip=10.0.10.2", "rp_src_port=45000", "rp_dst_port=443", NULL);
    rp_test_row_add(&exp, vf_table, vf_cols, "version=2", "account_id=111122223333",
                    "interface_id=eni-0a1b2c3d4e5f60010", "start=1700001100", "end=1700001160",
                    "log_status=NODATA", "rp_time_ms=1700001100000", "rp_account=111122223333",
                    NULL);
    rp_test_check_fixture(SRC, "vpcflow", "cloudwatch.log", NULL, &exp);
    rp_buf_release(&exp);
}

/* Headerless lines holding every field up to their version, in the documented order (here
 * v3, v4 behind a CloudWatch time and v5); a line of no such length is rejected against the
 * default layout. */
static void test_vpcflow_all_fields_without_header(void **state)
{
    (void)state;
    struct rp_buf exp;
    rp_buf_init(&exp, 0);
    rp_test_row_add(&exp, vf_table, vf_cols, "version=3", "account_id=111122223333",
                    "interface_id=eni-0a1b2c3d4e5f60011", "srcaddr=10.0.11.1", "dstaddr=10.0.11.2",
                    "srcport=50000", "dstport=443", "protocol=6", "packets=9", "bytes=1200",
                    "start=1700001200", "end=1700001260", "action=ACCEPT", "log_status=OK",
                    "vpc_id=vpc-0123456789abcdef0", "subnet_id=subnet-0123456789abcdef5",
                    "instance_id=i-0123456789abcdef6", "tcp_flags=2", "type=IPv4",
                    "pkt_srcaddr=10.0.11.1", "pkt_dstaddr=10.0.11.2", "rp_time_ms=1700001200000",
                    "rp_account=111122223333", "rp_src_ip=10.0.11.1", "rp_dst_ip=10.0.11.2",
                    "rp_src_port=50000", "rp_dst_port=443", NULL);
    rp_test_row_add(&exp, vf_table, vf_cols, "version=4", "account_id=111122223333",
                    "interface_id=eni-0a1b2c3d4e5f60011", "srcaddr=10.0.11.1", "dstaddr=10.0.11.3",
                    "srcport=50001", "dstport=443", "protocol=6", "packets=9", "bytes=1200",
                    "start=1700001200", "end=1700001260", "action=ACCEPT", "log_status=OK",
                    "vpc_id=vpc-0123456789abcdef0", "subnet_id=subnet-0123456789abcdef5",
                    "instance_id=i-0123456789abcdef6", "tcp_flags=2", "type=IPv4",
                    "pkt_srcaddr=10.0.11.1", "pkt_dstaddr=10.0.11.3", "region=us-east-1",
                    "az_id=use1-az1", "rp_time_ms=1700001200000", "rp_account=111122223333",
                    "rp_region=us-east-1", "rp_src_ip=10.0.11.1", "rp_dst_ip=10.0.11.3",
                    "rp_src_port=50001", "rp_dst_port=443", NULL);
    rp_test_row_add(
        &exp, vf_table, vf_cols, "version=5", "account_id=111122223333",
        "interface_id=eni-0a1b2c3d4e5f60011", "srcaddr=10.0.11.1", "dstaddr=198.51.100.4",
        "srcport=50002", "dstport=443", "protocol=6", "packets=9", "bytes=1200", "start=1700001200",
        "end=1700001260", "action=ACCEPT", "log_status=OK", "vpc_id=vpc-0123456789abcdef0",
        "subnet_id=subnet-0123456789abcdef5", "instance_id=i-0123456789abcdef6", "tcp_flags=2",
        "type=IPv4", "pkt_srcaddr=10.0.11.1", "pkt_dstaddr=198.51.100.4", "region=us-east-1",
        "az_id=use1-az1", "flow_direction=egress", "traffic_path=8", "rp_time_ms=1700001200000",
        "rp_account=111122223333", "rp_region=us-east-1", "rp_src_ip=10.0.11.1",
        "rp_dst_ip=198.51.100.4", "rp_src_port=50002", "rp_dst_port=443", NULL);
    rp_test_line_add(&exp,
                     "REJECT ordinal=3 line=4 offset=696: vpcflow: expected 14 fields, found 22");
    rp_test_check_fixture(SRC, "vpcflow", "allfields_noheader.log", NULL, &exp);
    rp_buf_release(&exp);

    /* After a header, only the header's layout counts. */
    rp_buf_init(&exp, 0);
    rp_test_line_add(&exp,
                     "REJECT ordinal=1 line=2 offset=22: vpcflow: expected 3 fields, found 21");
    rp_test_check_text(
        SRC,
        "version start srcaddr\n"
        "3 111122223333 eni-0a1b2c3d4e5f60011 10.0.11.1 10.0.11.2 50000 443 6 9 1200 "
        "1700001200 1700001260 ACCEPT OK vpc-0123456789abcdef0 subnet-0123456789abcdef5 "
        "i-0123456789abcdef6 2 IPv4 10.0.11.1 10.0.11.2\n",
        &exp);
    rp_buf_release(&exp);
}

/* ---- headers ----------------------------------------------------------------------------- */

/* A header naming a field Rampart does not know: that column is skipped, the others are read.
 * A second header later in the stream (concatenated files) switches the order. */
static void test_vpcflow_header_unknown_names_and_switch(void **state)
{
    (void)state;
    struct rp_buf exp;
    rp_buf_init(&exp, 0);
    rp_test_row_add(&exp, vf_table, vf_cols, "srcaddr=10.5.0.1", "start=1700002000",
                    "rp_time_ms=1700002000000", "rp_src_ip=10.5.0.1", NULL);
    rp_test_row_add(&exp, vf_table, vf_cols, "dstaddr=10.5.0.2", "end=1700002060",
                    "rp_time_ms=1700002060000", "rp_dst_ip=10.5.0.2", NULL);
    rp_test_line_add(&exp,
                     "REJECT ordinal=4 line=6 offset=101: vpcflow: expected 2 fields, found 3");
    rp_test_check_text(SRC,
                       "srcaddr resource-id start\n"
                       "10.5.0.1 vpc-0aa11bb22cc33dd44 1700002000\n"
                       "\n"
                       "end dstaddr\n"
                       "1700002060 10.5.0.2\n"
                       "1700002060 10.5.0.2 x\n",
                       &exp);
    rp_buf_release(&exp);
}

/* Lines that look like headers but are not: a repeated field name, or only unknown names,
 * are data (and here rejected as such). */
static void test_vpcflow_not_a_header(void **state)
{
    (void)state;
    struct rp_buf exp;
    rp_buf_init(&exp, 0);
    rp_test_line_add(&exp,
                     "REJECT ordinal=0 line=1 offset=0: vpcflow: expected 14 fields, found 2");
    rp_test_line_add(&exp,
                     "REJECT ordinal=1 line=2 offset=16: vpcflow: expected 14 fields, found 2");
    rp_test_check_text(SRC, "srcaddr srcaddr\nvpc-0aa11 eni-0bb22\n", &exp);
    rp_buf_release(&exp);
}

/* A header alone gives no rows and no rejects. */
static void test_vpcflow_header_only(void **state)
{
    (void)state;
    struct rp_buf exp;
    rp_buf_init(&exp, 0);
    rp_test_check_text(
        SRC,
        "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets "
        "bytes start end action log-status\n",
        &exp);
    rp_buf_release(&exp);
}

/* ---- rejects ----------------------------------------------------------------------------- */

static void test_vpcflow_wrong_field_count(void **state)
{
    (void)state;
    struct rp_buf exp;
    rp_buf_init(&exp, 0);
    rp_test_line_add(&exp,
                     "REJECT ordinal=0 line=1 offset=0: vpcflow: expected 14 fields, found 13");
    rp_test_line_add(&exp,
                     "REJECT ordinal=1 line=2 offset=99: vpcflow: expected 14 fields, found 15");
    rp_test_row_add(&exp, vf_table, vf_cols, "version=2", "account_id=111122223333",
                    "interface_id=eni-0a1b2c3d4e5f6000e", "srcaddr=10.0.0.1", "dstaddr=10.0.0.2",
                    "srcport=1000", "dstport=80", "protocol=6", "packets=1", "bytes=60",
                    "start=1700000900", "end=1700000960", "action=ACCEPT", "log_status=OK",
                    "rp_time_ms=1700000900000", "rp_account=111122223333", "rp_src_ip=10.0.0.1",
                    "rp_dst_ip=10.0.0.2", "rp_src_port=1000", "rp_dst_port=80", NULL);
    rp_test_check_fixture(SRC, "vpcflow", "badcount.log", NULL, &exp);
    rp_buf_release(&exp);
}

static void test_vpcflow_bad_values(void **state)
{
    (void)state;
    struct rp_buf exp;
    rp_buf_init(&exp, 0);
    rp_test_line_add(&exp,
                     "REJECT ordinal=0 line=1 offset=0: vpcflow: bad address '10.0.0.256' in field "
                     "'srcaddr'");
    rp_test_line_add(
        &exp, "REJECT ordinal=1 line=2 offset=104: vpcflow: bad number '70000' in field 'srcport'");
    rp_test_line_add(
        &exp, "REJECT ordinal=2 line=3 offset=207: vpcflow: bad number 'x12' in field 'packets'");
    rp_test_line_add(
        &exp, "REJECT ordinal=3 line=4 offset=311: vpcflow: bad time '999999999999' in field "
              "'start'");
    rp_test_line_add(
        &exp, "REJECT ordinal=4 line=5 offset=415: vpcflow: record has no 'start' or 'end' time");
    rp_test_check_fixture(SRC, "vpcflow", "badvalue.log", NULL, &exp);
    rp_buf_release(&exp);
}

/* ---- probe ------------------------------------------------------------------------------- */

static void test_vpcflow_probe(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        int score;
    } own[] = {
        {"v2_noheader.log", 90},
        {"v2_header.log", 100},
        {"v3.log", 100},
        {"v4.log", 100},
        {"v5.log", 100},
        {"v7.log", 100},
        {"v8.log", 100},
        {"custom.log", 100},
        {"nodata.log", 90},
        {"cloudwatch.log", 90},
        {"badcount.log", 0},
        {"badvalue.log", 0},
        {"allfields_noheader.log", 90},
    };
    for (size_t i = 0; i < RP_ARRAY_LEN(own); i++)
        assert_int_equal(rp_test_probe_fixture(SRC, "vpcflow", own[i].name, "x.log"), own[i].score);

    /* The path hint. */
    const char *s3 = "b/AWSLogs/111122223333/vpcflowlogs/us-east-1/2023/11/14/"
                     "111122223333_vpcflowlogs_us-east-1_fl-0123_20231114T2210Z_ab12.log.gz";
    assert_int_equal(rp_test_probe_fixture(SRC, "vpcflow", "v2_noheader.log", s3), 95);
    assert_int_equal(rp_test_probe_fixture(SRC, "vpcflow", "v2_header.log", s3), 100);
    assert_int_equal(rp_test_probe_fixture(SRC, "vpcflow", "badcount.log", s3), 30);

    /* Other formats' fixtures are not flow logs, and JSON never is. */
    static const struct {
        const char *dir, *name;
    } other[] = {
        {"r53dns", "queries.jsonl"},    {"r53dns", "bad.jsonl"},
        {"k8saudit", "v1.jsonl"},       {"k8saudit", "v1beta1.jsonl"},
        {"k8saudit", "eventlist.json"}, {"k8saudit", "cloudwatch.jsonl"},
        {"k8saudit", "bad.jsonl"},
    };
    for (size_t i = 0; i < RP_ARRAY_LEN(other); i++)
        assert_int_equal(rp_test_probe_fixture(SRC, other[i].dir, other[i].name, s3), 0);
    assert_int_equal(SRC->probe("{\"Records\":[]}", 14, s3), 0);
    assert_int_equal(SRC->probe("  [1]", 5, s3), 0);
    assert_int_equal(SRC->probe("", 0, s3), 0);

    /* A head cut in the middle of the first line is judged on what is there. */
    assert_int_equal(SRC->probe("version account-id interface-id src", 35, NULL), 90);

    /* The other formats give 0 for every flow-log fixture. */
    const struct rp_ingest_source *r53 = rp_ingest_source_find("r53dns");
    const struct rp_ingest_source *k8s = rp_ingest_source_find("k8saudit");
    assert_non_null(r53);
    assert_non_null(k8s);
    for (size_t i = 0; i < RP_ARRAY_LEN(own); i++) {
        assert_int_equal(rp_test_probe_fixture(r53, "vpcflow", own[i].name, "x.log"), 0);
        assert_int_equal(rp_test_probe_fixture(k8s, "vpcflow", own[i].name, "x.log"), 0);
    }
}

/* ---- descriptor and schema --------------------------------------------------------------- */

static void test_vpcflow_descriptor(void **state)
{
    (void)state;
    assert_ptr_equal(rp_ingest_source_find("vpcflow"), SRC);
    assert_int_equal(SRC->kind, RP_INGEST_VPCFLOW);
    assert_int_equal(SRC->framing, RP_INGEST_FRAME_LINES);
    assert_null(SRC->containers);
    assert_int_equal(SRC->ntables, 1);
    const struct rp_ingest_table *t = &SRC->tables[0];
    rp_test_table_check(t, vf_table, vf_cols);
    assert_string_equal(t->cols[t->time_col].name, "rp_time_ms");
    assert_null(t->insert_sql);
}

static void test_vpcflow_schema(void **state)
{
    (void)state;
    struct rp_store *st = NULL;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_store_new(":memory:", RP_STORE_RDWR, &st, &eb), RP_OK);
    assert_int_equal(rp_test_schema_check(st, SRC), 0);

    struct rp_test_schema_counts n = {0};
    static const char *const files[] = {"v2_noheader.log", "v5.log",     "v7.log",
                                        "custom.log",      "nodata.log", "badvalue.log"};
    for (size_t i = 0; i < RP_ARRAY_LEN(files); i++) {
        struct rp_buf in;
        rp_test_fixture_load(&in, "vpcflow", files[i]);
        assert_int_equal(rp_test_schema_feed(st, SRC, NULL, in.data, in.len, &n), RP_OK);
        rp_buf_release(&in);
    }
    assert_int_equal(n.rows, 10);
    assert_int_equal(n.ignored, 0);
    assert_int_equal(n.rejected, 5);

    /* Identical lines are two rows (no UNIQUE key). */
    struct rp_buf in;
    rp_test_fixture_load(&in, "vpcflow", "nodata.log");
    assert_int_equal(rp_test_schema_feed(st, SRC, NULL, in.data, in.len, &n), RP_OK);
    rp_buf_release(&in);
    assert_int_equal(n.rows, 12);
    assert_int_equal(rp_test_query_int(st, "SELECT count(*) FROM vpc_flow_logs"), 12);
    assert_int_equal(rp_test_query_int(st, "SELECT count(*) FROM vpc_flow_logs WHERE log_status = "
                                           "'NODATA' AND srcaddr IS NULL"),
                     2);
    assert_int_equal(
        rp_test_query_int(st, "SELECT sum(\"end\") FROM vpc_flow_logs WHERE version = 5"),
        2 * 1700000460LL);
    assert_int_equal(
        rp_test_query_int(st, "SELECT count(*) FROM vpc_flow_logs WHERE rp_raw IS NOT NULL"), 12);
    assert_int_equal(
        rp_test_query_int(st, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND "
                              "tbl_name = 'vpc_flow_logs'"),
        3);
    rp_store_free(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vpcflow_v2_default_without_header),
        cmocka_unit_test(test_vpcflow_v2_header_and_layout),
        cmocka_unit_test(test_vpcflow_v3),
        cmocka_unit_test(test_vpcflow_v4),
        cmocka_unit_test(test_vpcflow_v5),
        cmocka_unit_test(test_vpcflow_v7_ecs),
        cmocka_unit_test(test_vpcflow_v8_reject_reason),
        cmocka_unit_test(test_vpcflow_custom_order),
        cmocka_unit_test(test_vpcflow_nodata_skipdata),
        cmocka_unit_test(test_vpcflow_cloudwatch_export),
        cmocka_unit_test(test_vpcflow_all_fields_without_header),
        cmocka_unit_test(test_vpcflow_header_unknown_names_and_switch),
        cmocka_unit_test(test_vpcflow_not_a_header),
        cmocka_unit_test(test_vpcflow_header_only),
        cmocka_unit_test(test_vpcflow_wrong_field_count),
        cmocka_unit_test(test_vpcflow_bad_values),
        cmocka_unit_test(test_vpcflow_probe),
        cmocka_unit_test(test_vpcflow_descriptor),
        cmocka_unit_test(test_vpcflow_schema),
    };
    return cmocka_run_group_tests_name("ingest_vpcflow", tests, NULL, NULL);
}
