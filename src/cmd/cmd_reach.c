/* SPDX-License-Identifier: Apache-2.0 */
/* `rampart reach`: network reachability from the configuration items in the store (src/netreach,
 * Inspector's NETWORK_REACHABILITY, issue 9). `scan` (the default) lists every port range of
 * every instance, interface, load balancer and database that the internet, a peered VPC, a
 * transit gateway or an on-premises site behind a VPN can open, with the path; `findings`
 * imports them into the findings hub; `explain` answers one question (from, to, port) with the
 * path or the component that blocks it. Items that cannot be read are reported on stderr and
 * make the exit status 3, as ingest does. */
#define RP_LOG_MODULE "cmd"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd_verbs.h"
#include "cmd/cmd_inspector.h"
#include "core/rp_time.h"
#include "core/rp_buf.h"
#include "core/rp_json.h"
#include "core/rp_str.h"
#include "hub/hub.h"
#include "netreach/netreach.h"
#include "store/store.h"
#include "core/rp_banned.h"

#define VERB "reach"

const char rp_cmd_reach_usage[] =
    "rampart reach [scan] [--origin internet|vpn|peered|tgw|all]\n"
    "       rampart reach findings\n"
    "       rampart reach explain --from internet|vpn:CGW|pcx:PCX|tgw:TGW|CIDR --to RESOURCE\n"
    "                             --port N [--protocol tcp|udp]\n"
    "       rampart reach explain --from vpn:CGW --to vpn:CGW";

const char rp_cmd_reach_help[] =
    "Network reachability from the AWS Config items in the store (Inspector's\n"
    "NETWORK_REACHABILITY): security groups, network ACLs in both directions, route tables\n"
    "(longest prefix, route propagation from virtual private gateways), internet gateways and\n"
    "public addresses, load balancers, peering, transit gateways and Site-to-Site VPN.\n"
    "\n"
    "  scan                 every open port range: resource, origin, protocol, ports and the\n"
    "                       path outside in (the default subcommand)\n"
    "    --origin O         only internet, vpn, peered, tgw, or all (default)\n"
    "  findings             import one NETWORK_REACHABILITY finding per range into the hub\n"
    "                       (then `rampart findings list`)\n"
    "  explain              can FROM open PORT on RESOURCE? prints the path, or the component\n"
    "                       that blocks the traffic and why\n"
    "    --from F           internet, vpn:<customer gateway id>, pcx:<peering id>,\n"
    "                       tgw:<transit gateway id>, or an IPv4 address or CIDR\n"
    "    --to R             an instance, interface, load balancer (ARN or name) or database\n"
    "                       (resource id or identifier); vpn:<cgw> for site to site (CloudHub)\n"
    "    --port N           the port; --protocol tcp (default) or udp\n"
    "\n"
    "Exit status: 0 done (explain: whether reachable or not, see the 'reachable' column);\n"
    "3 some configuration items could not be read (each is named on stderr); 1 error.\n"
    "See docs/reach.md.";

static const char *origin_name(enum rp_netreach_origin o)
{
    switch (o) {
    case RP_NETREACH_INTERNET:
        return "internet";
    case RP_NETREACH_VPN:
        return "vpn";
    case RP_NETREACH_PEERED_VPC:
        return "peered";
    default:
        return "tgw";
    }
}

static void warn(void *ctx, const char *msg)
{
    size_t *n = ctx;
    (*n)++;
    fprintf(stderr, "rampart: reach: warning: %s\n", msg);
}

/* Open the store, load and finish the model. Returns an exit code; *bad counts bad items. */
static int load(struct rp_cmd_ctx *ctx, bool rdwr, struct rp_store **st,
                struct rp_netreach_model **m, size_t *bad)
{
    struct rp_errbuf eb = {0};
    *st = NULL;
    *m = NULL;
    size_t nwarn = 0;
    if (rp_store_new(ctx->db_path, rdwr ? RP_STORE_RDWR : RP_STORE_RDONLY, st, &eb))
        return rp_cmd_error(VERB, "%s", eb.msg);
    if (rp_netreach_model_new(m)) {
        rp_store_free(*st);
        return rp_cmd_error(VERB, "out of memory");
    }
    if (rp_netreach_model_load(*m, *st, warn, &nwarn, bad, &eb) ||
        rp_netreach_model_finish(*m, &eb)) {
        rp_netreach_model_free(*m);
        rp_store_free(*st);
        *m = NULL;
        *st = NULL;
        return rp_cmd_error(VERB, "%s", eb.msg);
    }
    return RP_EXIT_OK;
}

/* The path as "a > b > c", or a JSON array of {id, type} in JSON output. */
static rp_err path_text(const struct rp_cmd_ctx *ctx, const struct rp_netreach_step *s, size_t n,
                        struct rp_buf *b)
{
    rp_buf_reset(b);
    if (ctx->format == RP_OUT_JSON) {
        struct rp_json_writer w;
        rp_json_writer_init(&w, b);
        rp_json_write_arr_begin(&w);
        for (size_t i = 0; i < n; i++) {
            rp_json_write_obj_begin(&w);
            rp_json_write_kv_cstr(&w, "id", s[i].component_id);
            rp_json_write_kv_cstr(&w, "type", s[i].component_type);
            rp_json_write_obj_end(&w);
        }
        rp_json_write_arr_end(&w);
        rp_err e = rp_json_writer_finish(&w);
        if (!e) e = rp_buf_putc(b, '\0');
        return e;
    }
    for (size_t i = 0; i < n; i++) {
        rp_err e = rp_buf_printf(b, "%s%s", i ? " > " : "", s[i].component_id);
        if (e) return e;
    }
    return rp_buf_putc(b, '\0');
}

struct scan_ctx {
    struct rp_cmd_ctx *ctx;
    struct rp_out *out;
    struct rp_buf path;
};

static rp_err on_exposure(const struct rp_netreach_exposure *x, void *arg, struct rp_errbuf *eb)
{
    (void)eb;
    struct scan_ctx *c = arg;
    char ports[16];
    if (x->port_begin == x->port_end)
        snprintf(ports, sizeof ports, "%u", (unsigned)x->port_begin);
    else
        snprintf(ports, sizeof ports, "%u-%u", (unsigned)x->port_begin, (unsigned)x->port_end);
    rp_err e = path_text(c->ctx, x->steps, x->nsteps, &c->path);
    if (e) return e;
    const char *vals[] = {x->resource_id,
                          x->resource_type,
                          x->account,
                          x->vpc_id ? x->vpc_id : "",
                          origin_name(x->origin),
                          x->origin_id,
                          x->protocol == 6 ? "tcp" : "udp",
                          ports,
                          c->path.data};
    return rp_out_row(c->out, vals);
}

static int scan(struct rp_cmd_ctx *ctx, int argc, char **argv)
{
    unsigned origins = RP_NETREACH_ORIGINS_ALL;
    for (int i = 0; i < argc; i++) {
        const char *val = NULL;
        int mo = rp_cmd_opt_value("--origin", argc, argv, &i, &val);
        if (mo < 0) return rp_cmd_usage_error(VERB, "--origin needs a value");
        if (mo == 0) return rp_cmd_usage_error(VERB, "unknown argument '%s'", argv[i]);
        if (!strcmp(val, "internet"))
            origins = RP_NETREACH_INTERNET;
        else if (!strcmp(val, "vpn"))
            origins = RP_NETREACH_VPN;
        else if (!strcmp(val, "peered"))
            origins = RP_NETREACH_PEERED_VPC;
        else if (!strcmp(val, "tgw"))
            origins = RP_NETREACH_TGW;
        else if (!strcmp(val, "all"))
            origins = RP_NETREACH_ORIGINS_ALL;
        else
            return rp_cmd_usage_error(VERB, "unknown origin '%s' (internet, vpn, peered, tgw, all)",
                                      val);
    }
    struct rp_store *st;
    struct rp_netreach_model *m;
    size_t bad = 0;
    int rc = load(ctx, false, &st, &m, &bad);
    if (rc) return rc;
    static const struct rp_out_col cols[] = {
        {"resource", 0},  {"type", 0},     {"account", 0}, {"vpc", 0},  {"origin", 0},
        {"origin_id", 0}, {"protocol", 0}, {"ports", 0},   {"path", 0},
    };
    struct rp_out_col pcols[9];
    memcpy(pcols, cols, sizeof cols);
    if (ctx->format == RP_OUT_JSON) pcols[8].flags = RP_OUT_COL_JSON;
    struct scan_ctx c = {.ctx = ctx, .out = rp_out_new(ctx, pcols, 9)};
    rp_buf_init(&c.path, 0);
    struct rp_errbuf eb = {0};
    rp_err e = c.out ? rp_netreach_compute(m, origins, on_exposure, &c, &eb)
                     : rp_fail(&eb, RP_ENOMEM, "out of memory");
    if (!e) e = rp_out_flush(c.out);
    rp_out_free(c.out);
    rp_buf_release(&c.path);
    rp_netreach_model_free(m);
    rp_store_free(st);
    if (e) return rp_cmd_error(VERB, "%s", eb.msg[0] ? eb.msg : rp_strerror(e));
    return bad ? RP_EXIT_PARTIAL : RP_EXIT_OK;
}

static int findings(struct rp_cmd_ctx *ctx, int argc, char **argv)
{
    (void)argv;
    if (argc) return rp_cmd_usage_error(VERB, "findings takes no arguments");
    struct rp_store *st;
    struct rp_netreach_model *m;
    size_t bad = 0;
    int rc = load(ctx, true, &st, &m, &bad);
    if (rc) return rc;
    struct rp_hub_import_opts o;
    rp_hub_import_opts_init(&o);
    o.identity = "rampart reach";
    struct rp_hub_importer *im = NULL;
    struct rp_errbuf eb = {0};
    size_t n = 0;
    struct rp_hub_import_stats s = {0};
    /* one time for the findings and for closing the ranges this run no longer sees */
    int64_t now = rp_time_now_ms();
    size_t closed = 0;
    rp_err e = rp_hub_importer_new(st, &o, &im, &eb);
    if (!e) e = rp_netreach_findings_import(m, im, now, &n, &eb);
    if (!e) {
        rp_hub_importer_stats(im, &s);
        e = rp_hub_importer_finish(im, &eb);
        im = NULL;
    }
    rp_hub_importer_free(im);
    if (!e)
        e = rp_cmd_inspector_close_stale(st, "NETWORK_REACHABILITY", NULL, 0, now, &closed, &eb);
    rp_netreach_model_free(m);
    rp_store_free(st);
    if (e) return rp_cmd_error(VERB, "%s", eb.msg[0] ? eb.msg : rp_strerror(e));
    static const struct rp_out_col cols[] = {
        {"findings", RP_OUT_COL_NUM},  {"created", RP_OUT_COL_NUM}, {"updated", RP_OUT_COL_NUM},
        {"unchanged", RP_OUT_COL_NUM}, {"failed", RP_OUT_COL_NUM},  {"closed", RP_OUT_COL_NUM},
        {"bad_items", RP_OUT_COL_NUM}};
    char v[7][24];
    size_t nums[7] = {n, s.created, s.updated, s.unchanged, s.failed, closed, bad};
    const char *vals[7];
    for (int i = 0; i < 7; i++) {
        snprintf(v[i], sizeof v[i], "%zu", nums[i]);
        vals[i] = v[i];
    }
    struct rp_out *out = rp_out_new(ctx, cols, 7);
    if (!out) return rp_cmd_error(VERB, "out of memory");
    e = rp_out_row(out, vals);
    if (!e) e = rp_out_flush(out);
    rp_out_free(out);
    if (e) return rp_cmd_error(VERB, "cannot write the summary: %s", rp_strerror(e));
    return bad || s.failed ? RP_EXIT_PARTIAL : RP_EXIT_OK;
}

static int explain(struct rp_cmd_ctx *ctx, int argc, char **argv)
{
    const char *from = NULL, *to = NULL, *port = NULL, *proto = "tcp";
    for (int i = 0; i < argc; i++) {
        const char *val = NULL;
        int mo;
        if ((mo = rp_cmd_opt_value("--from", argc, argv, &i, &val)))
            from = val;
        else if ((mo = rp_cmd_opt_value("--to", argc, argv, &i, &val)))
            to = val;
        else if ((mo = rp_cmd_opt_value("--port", argc, argv, &i, &val)))
            port = val;
        else if ((mo = rp_cmd_opt_value("--protocol", argc, argv, &i, &val)))
            proto = val;
        else
            return rp_cmd_usage_error(VERB, "unknown argument '%s'", argv[i]);
        if (mo < 0) return rp_cmd_usage_error(VERB, "%s needs a value", argv[i]);
    }
    if (!from || !to) return rp_cmd_usage_error(VERB, "explain needs --from and --to");
    bool site = !strncmp(to, "vpn:", 4);
    uint64_t pn = 0;
    if (!port && !site) return rp_cmd_usage_error(VERB, "explain needs --port");
    if (port && (rp_str_to_u64(rp_str_from(port), &pn) || pn > 65535))
        return rp_cmd_usage_error(VERB, "--port must be 0..65535, not '%s'", port);
    int p = 6;
    if (!strcmp(proto, "udp"))
        p = 17;
    else if (strcmp(proto, "tcp"))
        return rp_cmd_usage_error(VERB, "--protocol must be tcp or udp, not '%s'", proto);
    struct rp_store *st;
    struct rp_netreach_model *m;
    size_t bad = 0;
    int rc = load(ctx, false, &st, &m, &bad);
    if (rc) return rc;
    struct rp_arena a;
    rp_arena_init(&a, 0);
    struct rp_netreach_query q = {from, to, p, (uint16_t)pn};
    struct rp_netreach_verdict v;
    struct rp_errbuf eb = {0};
    rp_err e = rp_netreach_explain(m, &a, &q, &v, &eb);
    struct rp_buf path;
    rp_buf_init(&path, 0);
    if (!e && v.reachable) e = path_text(ctx, v.steps, v.nsteps, &path);
    if (!e && !v.reachable) e = rp_buf_putc(&path, '\0');
    if (!e) {
        static const struct rp_out_col cols[] = {
            {"from", 0},       {"to", 0},           {"protocol", 0}, {"port", 0}, {"reachable", 0},
            {"blocked_by", 0}, {"blocked_type", 0}, {"reason", 0},   {"path", 0}};
        struct rp_out_col pcols[9];
        memcpy(pcols, cols, sizeof cols);
        if (ctx->format == RP_OUT_JSON) {
            pcols[4].flags = RP_OUT_COL_JSON;
            if (v.reachable) pcols[8].flags = RP_OUT_COL_JSON;
        }
        char pb[8];
        snprintf(pb, sizeof pb, "%u", (unsigned)pn);
        const char *vals[] = {from,
                              to,
                              site ? NULL : proto,
                              site ? NULL : pb,
                              v.reachable ? (ctx->format == RP_OUT_JSON ? "true" : "yes")
                                          : (ctx->format == RP_OUT_JSON ? "false" : "no"),
                              v.blocked_by_id,
                              v.blocked_by_type,
                              v.reason,
                              v.reachable ? path.data : NULL};
        struct rp_out *out = rp_out_new(ctx, pcols, 9);
        if (!out) e = rp_fail(&eb, RP_ENOMEM, "out of memory");
        if (!e) e = rp_out_row(out, vals);
        if (!e) e = rp_out_flush(out);
        rp_out_free(out);
    }
    rp_buf_release(&path);
    rp_arena_release(&a);
    rp_netreach_model_free(m);
    rp_store_free(st);
    if (e == RP_ENOENT || e == RP_EINVAL) return rp_cmd_usage_error(VERB, "%s", eb.msg);
    if (e) return rp_cmd_error(VERB, "%s", eb.msg[0] ? eb.msg : rp_strerror(e));
    return bad ? RP_EXIT_PARTIAL : RP_EXIT_OK;
}

int rp_cmd_reach(struct rp_cmd_ctx *ctx, int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "findings")) return findings(ctx, argc - 2, argv + 2);
    if (argc >= 2 && !strcmp(argv[1], "explain")) return explain(ctx, argc - 2, argv + 2);
    if (argc >= 2 && !strcmp(argv[1], "scan")) return scan(ctx, argc - 2, argv + 2);
    if (argc >= 2 && argv[1][0] != '-')
        return rp_cmd_usage_error(VERB, "unknown subcommand '%s'", argv[1]);
    return scan(ctx, argc - 1, argv + 1);
}
