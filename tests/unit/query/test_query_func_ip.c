/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for the "ip" function group (query_func_ip.c) through SQL on an in-memory
 * connection: ip_in_cidr over both families, mapped addresses and bare-address networks,
 * is_ipv4_in_cidr refusing IPv6, ip_prefix's canonical networks and its length errors, and
 * is_private_ip / is_public_ip on each kind of range; text that is not an address is NULL. */
#include "query_func_test.h"

static void test_ip_in_cidr(void **state)
{
    (void)state;
    EXPECT("SELECT ip_in_cidr('10.1.2.3', '10.0.0.0/8'), ip_in_cidr('11.0.0.1', '10.0.0.0/8'), "
           "ip_in_cidr('2001:db8::1', '2001:db8::/32'), ip_in_cidr('10.1.2.3', '2001:db8::/32'), "
           "ip_in_cidr('::ffff:10.1.2.3', '10.0.0.0/8'), ip_in_cidr('10.1.2.3', '10.1.2.3'), "
           "ip_in_cidr('10.1.2.3', '10.1.2.7/24')",
           "1|0|1|0|1|1|1");
    EXPECT("SELECT ip_in_cidr('x', '10.0.0.0/8'), ip_in_cidr('10.1.2.3', 'bad'), "
           "ip_in_cidr(NULL, '10.0.0.0/8'), ip_in_cidr('10.1.2.3', NULL), "
           "ip_in_cidr('10.1.2.3', '10.0.0.0/33'), ip_in_cidr(' 10.1.2.3', '10.0.0.0/8')",
           "NULL|NULL|NULL|NULL|NULL|NULL");
    EXPECT("SELECT is_ipv4_in_cidr('10.1.2.3', '10.0.0.0/8'), "
           "is_ipv4_in_cidr('2001:db8::1', '2001:db8::/32'), "
           "is_ipv4_in_cidr('::ffff:10.1.2.3', '10.0.0.0/8'), "
           "is_ipv4_in_cidr('10.1.2.3', '::ffff:10.0.0.0/104'), "
           "is_ipv4_in_cidr('1.2.3.4', '0.0.0.0/0'), is_ipv4_in_cidr('1.2.3.4', '::/0'), "
           "is_ipv4_in_cidr('x', '0.0.0.0/0')",
           "1|0|1|1|1|0|NULL");
}

static void test_ip_prefix(void **state)
{
    (void)state;
    EXPECT(
        "SELECT ip_prefix('192.168.255.255', 9), ip_prefix('2001:db8:85a3::8a2e:370:7334', 48), "
        "ip_prefix('10.1.2.3', 32), ip_prefix('10.1.2.3', 0), ip_prefix('::ffff:10.1.2.3', 24), "
        "ip_prefix('x', 8), ip_prefix('10.1.2.3', NULL)",
        "'192.128.0.0/9'|'2001:db8:85a3::/48'|'10.1.2.3/32'|'0.0.0.0/0'|'10.1.2.0/24'|NULL|NULL");
    EXPECT_ERR("SELECT ip_prefix('10.1.2.3', 33)",
               "ip_prefix: IPv4 prefix length must be in the range [0, 32]");
    EXPECT_ERR("SELECT ip_prefix('::1', 129)",
               "ip_prefix: IPv6 prefix length must be in the range [0, 128]");
    EXPECT_ERR("SELECT ip_prefix('10.1.2.3', -1)",
               "ip_prefix: IPv4 prefix length must be in the range [0, 32]");
}

static void test_ip_classes(void **state)
{
    (void)state;
    EXPECT("SELECT is_private_ip('10.0.0.1'), is_private_ip('172.16.5.4'), "
           "is_private_ip('192.168.1.1'), is_private_ip('100.64.0.1'), is_private_ip('127.0.0.1'), "
           "is_private_ip('169.254.169.254'), is_private_ip('203.0.113.5'), "
           "is_private_ip('0.1.2.3'), is_private_ip('240.0.0.1')",
           "1|1|1|1|1|1|1|1|1");
    EXPECT("SELECT is_private_ip('8.8.8.8'), is_private_ip('224.0.0.1'), is_private_ip('fd00::1'), "
           "is_private_ip('fe80::1'), is_private_ip('::1'), is_private_ip('2600:1f18::1'), "
           "is_private_ip('::ffff:192.168.0.1'), is_private_ip('x'), is_private_ip(NULL)",
           "0|0|1|1|1|0|1|NULL|NULL");
    EXPECT("SELECT is_public_ip('8.8.8.8'), is_public_ip('10.0.0.1'), is_public_ip('224.0.0.1'), "
           "is_public_ip('2600:1f18::1'), is_public_ip('::ffff:8.8.8.8'), "
           "is_public_ip('2001:db8::1'), is_public_ip('x')",
           "1|0|0|1|1|0|NULL");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ip_in_cidr),
        cmocka_unit_test(test_ip_prefix),
        cmocka_unit_test(test_ip_classes),
    };
    return cmocka_run_group_tests_name("query_func_ip", tests, qft_setup, qft_teardown);
}
