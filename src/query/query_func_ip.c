/* SPDX-License-Identifier: Apache-2.0 */
/* The "ip" group of `rampart query` functions, over addresses and networks held as text:
 * ip_in_cidr and is_ipv4_in_cidr (network membership, the helpers Athena users write with
 * split_part and bit arithmetic), Trino's ip_prefix, is_private_ip and is_public_ip. Parsing,
 * masking and classification are core/rp_ip's; an IPv4-mapped IPv6 address (::ffff:a.b.c.d)
 * counts as its IPv4 address everywhere, as Trino's IPADDRESS type does. Text that is not an
 * address gives NULL. docs/query-functions.md lists the exact ranges. */
#define RP_LOG_MODULE "query"
#include <string.h>

#include "query/query_func.h"
#include "query/query_table.h"
#include "core/rp_ip.h"
#include "core/rp_banned.h"

/* The address of v, unmapped; false for NULL or text that is not an address. */
static bool ip_arg(sqlite3_value *v, struct rp_ip *ip)
{
    const char *s = NULL;
    size_t n = 0;
    if (!rp_qf_text(v, &s, &n) || rp_ip_parse((struct rp_str){s, n}, ip, NULL) != RP_OK)
        return false;
    rp_ip_unmap(ip, ip);
    return true;
}

static bool cidr_arg(sqlite3_value *v, struct rp_cidr *c)
{
    const char *s = NULL;
    size_t n = 0;
    return rp_qf_text(v, &s, &n) && rp_cidr_parse((struct rp_str){s, n}, c, NULL, NULL) == RP_OK;
}

static void ip_in_cidr_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    struct rp_ip ip;
    struct rp_cidr c;
    if (ip_arg(argv[0], &ip) && cidr_arg(argv[1], &c))
        sqlite3_result_int(ctx, rp_cidr_contains(&c, &ip));
}

static void is_ipv4_in_cidr_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    struct rp_ip ip;
    struct rp_cidr c;
    if (!ip_arg(argv[0], &ip) || !cidr_arg(argv[1], &c)) return;
    bool v4 = ip.family == RP_IP_V4 && (c.addr.family == RP_IP_V4 || rp_ip_is_v4_mapped(&c.addr));
    sqlite3_result_int(ctx, v4 && rp_cidr_contains(&c, &ip));
}

static void ip_prefix_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    struct rp_ip ip;
    struct rp_cidr c;
    char buf[RP_CIDR_STRBUFSZ];
    if (sqlite3_value_type(argv[1]) == SQLITE_NULL || !ip_arg(argv[0], &ip)) return;
    int64_t len = sqlite3_value_int64(argv[1]);
    int64_t max = ip.family == RP_IP_V4 ? 32 : 128;
    if (len < 0 || len > max) {
        rp_qf_error(ctx, "ip_prefix: %s prefix length must be in the range [0, %lld]",
                    ip.family == RP_IP_V4 ? "IPv4" : "IPv6", (long long)max);
        return;
    }
    if (rp_cidr_from_ip(&ip, (unsigned)len, &c, NULL) != RP_OK ||
        rp_cidr_format(&c, buf, sizeof buf) != RP_OK)
        return;
    sqlite3_result_text(ctx, buf, -1, SQLITE_TRANSIENT);
}

static void is_private_ip_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    struct rp_ip ip;
    if (ip_arg(argv[0], &ip))
        sqlite3_result_int(ctx, !rp_ip_is_public(&ip) && !rp_ip_is_multicast(&ip));
}

static void is_public_ip_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    struct rp_ip ip;
    if (ip_arg(argv[0], &ip)) sqlite3_result_int(ctx, rp_ip_is_public(&ip));
}

static const struct rp_qf_def defs[] = {
    {"ip_in_cidr", 2, RP_QF_DET, ip_in_cidr_fn, NULL, NULL},
    {"ip_prefix", 2, RP_QF_DET, ip_prefix_fn, NULL, NULL},
    {"is_ipv4_in_cidr", 2, RP_QF_DET, is_ipv4_in_cidr_fn, NULL, NULL},
    {"is_private_ip", 1, RP_QF_DET, is_private_ip_fn, NULL, NULL},
    {"is_public_ip", 1, RP_QF_DET, is_public_ip_fn, NULL, NULL},
};

static int register_ip(sqlite3 *db)
{
    return rp_qf_register(db, defs, RP_ARRAY_LEN(defs), NULL);
}

const struct rp_query_funcs rp_query_funcs_ip = {
    .name = "ip",
    .summary = "IP address functions (ip_in_cidr, is_ipv4_in_cidr, ip_prefix, is_private_ip, "
               "is_public_ip)",
    .register_fn = register_ip,
};
