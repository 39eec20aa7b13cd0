/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers of the netreach tests: a model built from tests/fixtures/netreach/base.json (a small
 * hand-written estate: vpc-1 with an internet gateway, a public and a private subnet, their
 * route tables and network ACLs, the web security group and instance i-1) plus configuration
 * items written inline with CI(); every exposure rendered as one line; explain verdicts as
 * one line. Header-only, test code only. */
#ifndef RP_NETREACH_TEST_H
#define RP_NETREACH_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/rp_buf.h"
#include "core/rp_json.h"
#include "netreach/netreach.h"

/* A configuration item of account 111122223333 in us-east-1; conf is JSON text. */
#define CI(type, id, conf)                                                                         \
    "{\"resourceType\":\"" type "\",\"resourceId\":\"" id "\",\"awsAccountId\":\"111122223333\","  \
    "\"awsRegion\":\"us-east-1\",\"configurationItemStatus\":\"OK\",\"configuration\":" conf "}"

static inline char *nt_read(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) return NULL;
    static char buf[1 << 17];
    *len = fread(buf, 1, sizeof buf - 1, fp);
    fclose(fp);
    buf[*len] = '\0';
    return buf;
}

/* Add every CI of base.json (when base) and then each of extra (NULL-terminated), finish. */
static inline struct rp_netreach_model *nt_model(bool base, const char *const *extra)
{
    struct rp_netreach_model *m = NULL;
    assert_int_equal(rp_netreach_model_new(&m), RP_OK);
    struct rp_json_parser *p = rp_json_parser_new();
    assert_non_null(p);
    struct rp_errbuf eb = {0};
    if (base) {
        size_t len = 0;
        const char *txt = nt_read(RP_FIXTURES_DIR "/netreach/base.json", &len);
        assert_non_null(txt);
        struct rp_json_val root, el;
        assert_int_equal(rp_json_parse(p, txt, len, &root, &eb), RP_OK);
        struct rp_json_iter it;
        assert_int_equal(rp_json_arr_iter(root, &it), RP_OK);
        while (rp_json_arr_next(&it, &el)) {
            rp_err e = rp_netreach_model_add_ci(m, el, &eb);
            if (e) fail_msg("base: %s", eb.msg);
        }
    }
    for (size_t i = 0; extra && extra[i]; i++) {
        struct rp_json_val v;
        if (rp_json_parse(p, extra[i], strlen(extra[i]), &v, &eb))
            fail_msg("extra %zu: %s", i, eb.msg);
        if (rp_netreach_model_add_ci(m, v, &eb)) fail_msg("extra %zu: %s", i, eb.msg);
    }
    rp_json_parser_free(p);
    assert_int_equal(rp_netreach_model_finish(m, &eb), RP_OK);
    return m;
}

static inline const char *nt_origin(enum rp_netreach_origin o)
{
    switch (o) {
    case RP_NETREACH_INTERNET:
        return "INTERNET";
    case RP_NETREACH_VPN:
        return "VPN";
    case RP_NETREACH_PEERED_VPC:
        return "PEERED_VPC";
    default:
        return "TGW";
    }
}

static inline rp_err nt_line(const struct rp_netreach_exposure *x, void *ctx, struct rp_errbuf *eb)
{
    (void)eb;
    struct rp_buf *b = ctx;
    rp_err e = rp_buf_printf(b, "%s %s %s %s %u-%u", x->resource_id, nt_origin(x->origin),
                             x->origin_id, x->protocol == 6 ? "tcp" : "udp",
                             (unsigned)x->port_begin, (unsigned)x->port_end);
    for (size_t i = 0; i < x->nsteps && !e; i++)
        e = rp_buf_printf(b, "%s%s", i ? ">" : " ", x->steps[i].component_id);
    if (!e) e = rp_buf_putc(b, '\n');
    return e;
}

/* Every exposure of m from origins, one line each; the caller frees. */
static inline char *nt_compute(const struct rp_netreach_model *m, unsigned origins)
{
    struct rp_buf b;
    rp_buf_init(&b, 0);
    struct rp_errbuf eb = {0};
    rp_err e = rp_netreach_compute(m, origins, nt_line, &b, &eb);
    if (e) fail_msg("compute: %s", eb.msg);
    if (rp_buf_append(&b, "", 1)) fail_msg("oom");
    return rp_buf_take(&b, NULL);
}

/* "reachable: a>b>c" or "blocked: id type: reason" */
static inline char *nt_explain(const struct rp_netreach_model *m, const char *from, const char *to,
                               int proto, unsigned port)
{
    struct rp_arena a;
    rp_arena_init(&a, 0);
    struct rp_netreach_query q = {from, to, proto, (uint16_t)port};
    struct rp_netreach_verdict v;
    struct rp_errbuf eb = {0};
    rp_err e = rp_netreach_explain(m, &a, &q, &v, &eb);
    static char out[1024];
    if (e) {
        snprintf(out, sizeof out, "error %d: %s", (int)e, eb.msg);
    } else if (v.reachable) {
        size_t off = (size_t)snprintf(out, sizeof out, "reachable:");
        for (size_t i = 0; i < v.nsteps && off < sizeof out; i++)
            off += (size_t)snprintf(out + off, sizeof out - off, "%s%s", i ? ">" : " ",
                                    v.steps[i].component_id);
    } else {
        snprintf(out, sizeof out, "blocked: %s %s: %s", v.blocked_by_id ? v.blocked_by_id : "-",
                 v.blocked_by_type ? v.blocked_by_type : "-", v.reason);
    }
    rp_arena_release(&a);
    return out;
}

#endif
