/* SPDX-License-Identifier: Apache-2.0 */
/* flow.portscan: an instance probing many ports of one host (Recon:EC2/Portscan) or one port
 * on many hosts of one network (Impact:EC2/PortSweep), from VPC Flow Logs (aws-facts §4.3,
 * §4.10). Window detector: per (interface, remote host) the distinct destination ports, per
 * (interface, port, remote network) the distinct hosts, over probe-sized TCP records the
 * instance opened (a SYN, or a connect() torn down at once: at most RP_DFL_PROBE_MAX_PACKETS
 * packets). Records the instance answered are not its probes. REJECTed probes count: the
 * instance still scanned (the finding then says Blocked).
 *
 * TCP only: UDP "scans" are mostly traceroute (three probes per hop to rising ports) and DNS
 * resolvers, which are no reconnaissance. Memory: at most RP_SCAN_MAX_ENTITIES entries per
 * table of about 200 bytes, plus up to 4 bytes per distinct port or host (capped at the
 * threshold); entities past the cap are not tracked (counted, logged at the end). */
#define RP_LOG_MODULE "detect"
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rp_log.h"
#include "detect/detect_flow_common.h"
#include "core/rp_banned.h"

/* GuardDuty does not publish its thresholds; these are ours. A port scan: at least
 * RP_SCAN_MIN_PORTS distinct ports of one host within RP_SCAN_WINDOW_MS (nmap's default scan
 * touches 1000 ports in seconds to minutes; traceroute uses fewer than 100 UDP ports, and is
 * UDP anyway). A sweep: at least RP_SWEEP_MIN_HOSTS distinct hosts of one /16 (IPv4) or /48
 * (IPv6) on one port within RP_SWEEP_WINDOW_MS. */
#define RP_SCAN_MIN_PORTS    100
#define RP_SCAN_WINDOW_MS    (10 * 60 * 1000LL)
#define RP_SWEEP_MIN_HOSTS   100
#define RP_SWEEP_WINDOW_MS   (15 * 60 * 1000LL)
#define RP_SWEEP_V4_PREFIX   16
#define RP_SWEEP_V6_PREFIX   48
#define RP_SCAN_MAX_ENTITIES 16384

static const char PORTSCAN[] = "Recon:EC2/Portscan";
static const char PORTSWEEP[] = "Impact:EC2/PortSweep";

static const struct rp_det_type types[] = {
    {PORTSCAN, 5.0, "Unusual outbound port scan from EC2 instance %s",
     "EC2 instance %s is probing many ports of one remote host in a short time, as a port "
     "scanner does. The instance may be compromised and used for reconnaissance."},
    {PORTSWEEP, 8.0, "EC2 instance %s is sweeping one port across many hosts",
     "EC2 instance %s is probing the same port on many addresses of one network, looking for "
     "hosts that expose a service. The instance may be compromised and searching for targets."},
};

struct scan_key {
    char eni[RP_DFL_ID_SZ];
    struct rp_ip remote;
    uint8_t pad[7];
};

struct scan_ent {
    struct scan_key k;
    struct rp_dfl_who who;
    int64_t first_ms, last_ms;
    uint64_t count, rejected;
    struct rp_dfl_set ports;
};

struct sweep_key {
    char eni[RP_DFL_ID_SZ];
    struct rp_cidr net;
    uint8_t pad[2];
    uint16_t port;
    uint8_t pad2[4];
};

struct sweep_ent {
    struct sweep_key k;
    struct rp_dfl_who who;
    char first_remote[RP_IP_STRBUFSZ];
    int64_t first_ms, last_ms;
    uint64_t count, rejected;
    struct rp_dfl_set hosts;
};

struct state {
    struct rp_dfl_win w; /* w.t: the port scans (struct scan_ent) */
    struct rp_dfl_wtab sweep;
};

static rp_err end_scan(void *state, void *entry, struct rp_errbuf *eb);
static rp_err end_sweep(void *state, void *entry, struct rp_errbuf *eb);

static rp_err init(struct rp_det_ctx *dc, void **out, struct rp_errbuf *eb)
{
    rp_err e = rp_dfl_win_new(dc, "flow.portscan", NULL, sizeof(struct state), out, eb);
    if (e) return e;
    struct state *s = *out;
    rp_dfl_wtab_init(&s->w.t, sizeof(struct scan_key), sizeof(struct scan_ent),
                     RP_SCAN_MAX_ENTITIES, RP_SCAN_WINDOW_MS, offsetof(struct scan_ent, first_ms),
                     end_scan);
    rp_dfl_wtab_init(&s->sweep, sizeof(struct sweep_key), sizeof(struct sweep_ent),
                     RP_SCAN_MAX_ENTITIES, RP_SWEEP_WINDOW_MS, offsetof(struct sweep_ent, first_ms),
                     end_sweep);
    return RP_OK;
}

static rp_err close_scan(struct state *s, struct scan_ent *x, struct rp_errbuf *eb)
{
    if (x->ports.n < RP_SCAN_MIN_PORTS) return RP_OK;
    char remote[RP_IP_STRBUFSZ];
    if (rp_ip_format(&x->k.remote, remote, sizeof remote)) return RP_OK;
    struct rp_det_finding f;
    rp_dfl_conn_finding(&f, PORTSCAN, &x->who, true, "TCP", remote, x->first_ms, x->last_ms,
                        x->count);
    f.evidence_key = remote;
    f.blocked = x->rejected == x->count;
    return rp_det_emit(s->w.dc, &f, eb);
}

static rp_err close_sweep(struct state *s, struct sweep_ent *x, struct rp_errbuf *eb)
{
    if (x->hosts.n < RP_SWEEP_MIN_HOSTS) return RP_OK;
    char net[RP_CIDR_STRBUFSZ], key[RP_CIDR_STRBUFSZ + 8];
    if (rp_cidr_format(&x->k.net, net, sizeof net)) return RP_OK;
    snprintf(key, sizeof key, "%u@%s", (unsigned)x->k.port, net);
    struct rp_det_finding f;
    rp_dfl_conn_finding(&f, PORTSWEEP, &x->who, true, "TCP", x->first_remote, x->first_ms,
                        x->last_ms, x->count);
    f.evidence_key = key;
    f.remote_port = x->k.port;
    f.blocked = x->rejected == x->count;
    return rp_det_emit(s->w.dc, &f, eb);
}

/* The windows' closes (rp_dfl_close_fn). */
static rp_err end_scan(void *state, void *entry, struct rp_errbuf *eb)
{
    struct scan_ent *x = entry;
    rp_err e = close_scan(state, x, eb);
    rp_dfl_set_release(&x->ports);
    return e;
}

static rp_err end_sweep(void *state, void *entry, struct rp_errbuf *eb)
{
    struct sweep_ent *x = entry;
    rp_err e = close_sweep(state, x, eb);
    rp_dfl_set_release(&x->hosts);
    return e;
}

static rp_err sweep_all(struct state *s, struct rp_errbuf *eb)
{
    rp_err e = rp_dfl_wtab_sweep(&s->w, &s->w.t, eb);
    rp_err e2 = rp_dfl_wtab_sweep(&s->w, &s->sweep, eb);
    return e ? e : e2;
}

static rp_err add_scan(struct state *s, const struct rp_dfl_rec *r, struct rp_errbuf *eb)
{
    struct scan_key k;
    memset(&k, 0, sizeof k);
    memcpy(k.eni, r->who.eni, sizeof k.eni);
    k.remote = r->remote;
    void *el = NULL;
    bool created = false;
    rp_err e = rp_dfl_wtab_entry(&s->w, &s->w.t, &k, r->start_ms, &el, &created, eb);
    if (!el) return e;
    struct scan_ent *x = el;
    if (created) {
        x->who = r->who;
        x->first_ms = r->start_ms;
        x->last_ms = r->end_ms;
        x->count = x->rejected = 0;
    }
    if (r->end_ms > x->last_ms) x->last_ms = r->end_ms;
    x->count++;
    x->rejected += r->reject;
    if (rp_dfl_set_add(&x->ports, (uint32_t)r->remote_port, RP_SCAN_MIN_PORTS) < 0)
        return rp_fail(eb, RP_ENOMEM, "flow.portscan: out of memory");
    return RP_OK;
}

static rp_err add_sweep(struct state *s, const struct rp_dfl_rec *r, struct rp_errbuf *eb)
{
    struct sweep_key k;
    memset(&k, 0, sizeof k);
    memcpy(k.eni, r->who.eni, sizeof k.eni);
    struct rp_ip u;
    rp_ip_unmap(&r->remote, &u);
    if (rp_cidr_from_ip(&u, u.family == RP_IP_V4 ? RP_SWEEP_V4_PREFIX : RP_SWEEP_V6_PREFIX, &k.net,
                        NULL))
        return RP_OK;
    k.port = (uint16_t)r->remote_port;
    void *el = NULL;
    bool created = false;
    rp_err e = rp_dfl_wtab_entry(&s->w, &s->sweep, &k, r->start_ms, &el, &created, eb);
    if (!el) return e;
    struct sweep_ent *x = el;
    if (created) {
        x->who = r->who;
        memcpy(x->first_remote, r->remote_ip, sizeof x->first_remote);
        x->first_ms = r->start_ms;
        x->last_ms = r->end_ms;
        x->count = x->rejected = 0;
    }
    if (r->end_ms > x->last_ms) x->last_ms = r->end_ms;
    x->count++;
    x->rejected += r->reject;
    if (rp_dfl_set_add(&x->hosts, rp_dfl_ip32(&u), RP_SWEEP_MIN_HOSTS) < 0)
        return rp_fail(eb, RP_ENOMEM, "flow.portscan: out of memory");
    return RP_OK;
}

static rp_err event(struct rp_det_ctx *dc, void *state, const struct rp_det_event *ev,
                    struct rp_errbuf *eb)
{
    struct state *s = state;
    rp_dfl_observe(dc, s->w.enis, ev);
    /* cheap checks first: TCP, probe-sized, ports known */
    if (rp_det_int(ev, RP_FLI_PROTOCOL, -1) != 6) return RP_OK;
    int64_t pk = rp_det_int(ev, RP_FLI_PACKETS, 0);
    if (pk < 1 || pk > RP_DFL_PROBE_MAX_PACKETS) return RP_OK;
    if (!rp_det_has(ev, RP_FLI_SRCPORT) || !rp_det_has(ev, RP_FLI_DSTPORT)) return RP_OK;
    if (rp_dfl_tick(&s->w.now, &s->w.last_sweep, rp_dfl_start_ms(ev))) {
        rp_err e = sweep_all(s, eb);
        if (e) return e;
    }
    struct rp_dfl_rec r;
    if (!rp_dfl_read(dc, s->w.enis, ev, &r)) return RP_OK;
    if (!r.outbound || !r.local_init || r.remote_port <= 0) return RP_OK;
    if (rp_det_ti_trusted(dc, &r.remote)) return RP_OK;
    rp_err e = add_scan(s, &r, eb);
    if (!e) e = add_sweep(s, &r, eb);
    return e;
}

static rp_err finish(struct rp_det_ctx *dc, void *state, struct rp_errbuf *eb)
{
    struct state *s = state;
    rp_err e = rp_dfl_win_finish(dc, &s->w, eb); /* sets flush: the sweeps close all */
    rp_err e2 = rp_dfl_wtab_sweep(&s->w, &s->sweep, eb);
    if (s->w.t.m.dropped || s->sweep.m.dropped)
        RP_LOG_WARN("flow.portscan: %llu records of hosts and %llu of networks not tracked "
                    "(table cap %d)",
                    (unsigned long long)s->w.t.m.dropped, (unsigned long long)s->sweep.m.dropped,
                    RP_SCAN_MAX_ENTITIES);
    return e ? e : e2;
}

static void release(void *state)
{
    struct state *s = state;
    if (!s) return;
    rp_dfl_map_release_sets(&s->w.t.m, offsetof(struct scan_ent, ports));
    rp_dfl_map_release_sets(&s->sweep.m, offsetof(struct sweep_ent, hosts));
    rp_dfl_map_release(&s->sweep.m);
    rp_dfl_win_release(s);
}

const struct rp_detector rp_det_flow_portscan = {
    .id = "flow.portscan",
    .source = RP_DET_SRC_FLOW,
    .kind = RP_DET_WINDOW,
    .summary = "an instance probes many ports of one host, or one port of many hosts",
    .types = types,
    .ntypes = RP_ARRAY_LEN(types),
    .init = init,
    .event = event,
    .finish = finish,
    .release = release,
};
