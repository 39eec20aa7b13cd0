/* SPDX-License-Identifier: Apache-2.0 */
/* Behavioural baseline of EC2 instances from VPC flow logs (DESIGN.md §6 kind 3):
 * Behavior:EC2/NetworkPortUnusual and Behavior:EC2/TrafficVolumeUnusual (aws-facts §4.3).
 *
 * Entity: the instance (its id from the record or the inventory, else the interface id when
 * nothing tells the instance; interfaces of NAT gateways, load balancers and the like are
 * skipped by rp_dfl_read). Profile (model "flow", struct flow_ent, 1,856 bytes plus the id):
 * the remote ports the instance opened connections to (32, spill filter past it), the heavy
 * peers it sends to (8 hosts that received at least HEAVY_PEER_BYTES in an hour, with the most
 * they received in one hour), and the open hour's top talkers (space-saving counters).
 *
 * Only public remote addresses count (east-west traffic inside the estate changes too often to
 * profile), never an address on a threat list (the C&C, mining, Tor and custom-list types
 * report those) or on a trusted list, never a crypto-mining port (BitcoinTool.B reports it).
 *
 * NetworkPortUnusual: after the learning period, the instance opens a connection to a remote
 * port that is not habitual. Such connections are collected for PORT_WINDOW_MS and reported
 * then, each port once, unless the window looks like another finding's business: more than
 * PORT_MAX_NEW new ports (a port scan: Recon:EC2/Portscan), a new port towards more than
 * PORT_MAX_HOSTS hosts (a port sweep, a spambot) or more than PORT_MAX_CONNS connections (a
 * brute force, a flood). Severity High for LDAP ports (389, 1389: the log4j callback GuardDuty
 * singles out), Medium otherwise.
 *
 * TrafficVolumeUnusual: after the learning period, the TCP bytes the instance sent to one
 * remote host in a clock hour reach the larger of VOLUME_MIN_BYTES and VOLUME_FACTOR times the
 * most it sent that host in an hour (0 for a host it never sent much to), and the host
 * answered (a transfer, not a flood: DenialOfService reports floods). Traffic to AWS services
 * (pkt-dst-aws-service) and to habitual heavy peers within their volume stays quiet: a nightly
 * backup to the same S3 endpoint is part of the baseline. Reported when the hour closes. */
#define RP_LOG_MODULE "detect"
#include <stdlib.h>
#include <string.h>

#include "detect/detect_bl_engine.h"
#include "detect/detect_flow_common.h"
#include "core/rp_banned.h"

/* ---- thresholds ---------------------------------------------------------------------------- */

#define PORT_WINDOW_MS   (10 * 60 * 1000LL) /* new-port connections are judged together */
#define PORT_MAX_NEW     4                  /* new ports in a window, more = a scan */
#define PORT_MAX_HOSTS   4                  /* hosts on one new port, more = a sweep */
#define PORT_MAX_CONNS   20                 /* records on one new port, more = brute force */
#define VOLUME_MIN_BYTES (1ull << 30)       /* bytes to one host in an hour, at least */
#define VOLUME_FACTOR    10                 /* times the most sent to that host in an hour */
#define HEAVY_PEER_BYTES (64ull << 20)      /* an hour's bytes that make a host a heavy peer */
#define PORT_QUIET_MS                                                                              \
    (60 * 60 * 1000LL) /* after a scan, sweep or brute force: that long                            \
                          without new-port findings (for the port, or for                          \
                          every port after a scan), renewed while it goes on */

/* ---- finding types ------------------------------------------------------------------------- */

enum { T_PORT, T_VOLUME };

static const struct rp_det_type types[] = {
    [T_PORT] = {"Behavior:EC2/NetworkPortUnusual", 5.0,
                "EC2 instance %s is communicating on an unusual remote port",
                "The instance opened a connection to a remote port it never used before. "
                "Connections to LDAP ports (389, 1389) are typical of a log4j JNDI callback and "
                "are rated High."},
    [T_VOLUME] =
        {"Behavior:EC2/TrafficVolumeUnusual", 5.0,
         "EC2 instance %s is sending an unusually large amount of traffic to a remote host",
         "The instance sent far more data to one remote host in an hour than it ever "
         "sent that host, which may be an exfiltration."},
};

/* ---- the profile --------------------------------------------------------------------------- */

#define NPORT 32
#define NPEER 8
#define NHH   8
#define NPEND PORT_MAX_NEW

struct peer {        /* a heavy peer */
    struct rp_ip ip; /* family 0 = free */
    uint8_t flags;   /* RP_BL_LEARNED */
    uint8_t days;    /* distinct days it was heavy */
    uint16_t last_day;
    uint64_t max_bytes; /* most bytes sent to it in one hour */
};

struct talker {          /* one counter of the open hour */
    struct rp_ip ip;     /* family 0 = free */
    int32_t remote_port; /* of the first record */
    uint32_t records;
    uint64_t out, in, err; /* bytes sent, received; err: overestimate (space-saving) */
    int64_t first_ms, last_ms;
};

struct pend { /* a new port waiting for its window to close */
    uint16_t port;
    uint8_t proto;
    uint8_t nhosts; /* distinct hosts (PORT_MAX_HOSTS + 1 = more) */
    uint32_t conns;
    uint32_t hosts[PORT_MAX_HOSTS];
    struct rp_ip ip; /* the first host */
    int64_t first_ms, last_ms;
};

struct flow_ent {
    struct rp_bl_ent h;
    struct rp_bl_val port[NPORT];
    uint8_t spill[RP_BL_SPILL_BYTES];
    struct peer peer[NPEER];
    uint32_t hour;      /* hours since 1970 of the open hour, 0 = none */
    bool hour_learning; /* the open hour started while the instance learned */
    struct talker tk[NHH];
    int64_t pend_start; /* 0 = no window */
    uint8_t npend;
    bool scan; /* the window saw more than PORT_MAX_NEW new ports */
    struct pend pend[NPEND];
    int64_t quiet_until; /* a scan was seen: no new-port findings before this */
    struct {
        uint16_t port;
        int64_t until;
    } noisy[NPEND];        /* ports of a sweep or a brute force: none for them before until */
    struct rp_dfl_who who; /* the interface of the last record (for the findings) */
};

struct flow {
    struct rp_bl_common c; /* first: the engine allocates and frees the state */
    struct rp_dfl_enis *enis;
};

static struct rp_bl_set port_set(struct flow *s, struct flow_ent *e)
{
    return (struct rp_bl_set){e->port, NPORT, e->spill, s->c.in, 0};
}

static rp_err encode(void *ctx, const struct rp_bl_ent *he, struct rp_buf *w)
{
    struct flow *s = ctx;
    struct flow_ent *e = (struct flow_ent *)(void *)he;
    struct rp_bl_set set = port_set(s, e);
    rp_err err = rp_bl_put_set(w, &set);
    if (!err) err = rp_buf_append(w, e->spill, sizeof(e->spill));
    uint8_t n = 0;
    for (size_t i = 0; i < NPEER; i++)
        if (e->peer[i].ip.family) n++;
    if (!err) err = rp_bl_put_u8(w, n);
    for (size_t i = 0; !err && i < NPEER; i++) {
        const struct peer *p = &e->peer[i];
        if (!p->ip.family) continue;
        err = rp_bl_put_u8(w, p->ip.family);
        if (!err) err = rp_buf_append(w, p->ip.b, sizeof(p->ip.b));
        if (!err) err = rp_bl_put_u8(w, p->flags);
        if (!err) err = rp_bl_put_u8(w, p->days);
        if (!err) err = rp_bl_put_u16(w, p->last_day);
        if (!err) err = rp_bl_put_u64(w, p->max_bytes);
    }
    return err;
}

static bool decode(void *ctx, struct rp_bl_ent *he, const uint8_t *p, size_t n)
{
    struct flow *s = ctx;
    struct flow_ent *e = (struct flow_ent *)(void *)he;
    struct rp_bl_rd r = {p, n, 0, false};
    struct rp_bl_set set = port_set(s, e);
    rp_bl_get_set(&r, s->c.in, &set);
    for (size_t i = 0; i < sizeof(e->spill); i++) e->spill[i] = rp_bl_get_u8(&r);
    uint8_t np = rp_bl_get_u8(&r);
    for (uint8_t i = 0; i < np && !r.bad; i++) {
        struct peer x = {0};
        x.ip.family = rp_bl_get_u8(&r);
        for (size_t k = 0; k < sizeof(x.ip.b); k++) x.ip.b[k] = rp_bl_get_u8(&r);
        x.flags = rp_bl_get_u8(&r);
        x.days = rp_bl_get_u8(&r);
        x.last_day = rp_bl_get_u16(&r);
        x.max_bytes = rp_bl_get_u64(&r);
        if (x.ip.family != RP_IP_V4 && x.ip.family != RP_IP_V6) r.bad = true;
        if (i < NPEER) e->peer[i] = x;
    }
    return !r.bad && r.off == r.n;
}

static const struct rp_bl_model model = {
    .name = "flow",
    .ent_size = sizeof(struct flow_ent),
    .version = 1,
    .encode = encode,
    .decode = decode,
};

/* ---- heavy peers and the hour's talkers ------------------------------------------------------ */

static struct peer *peer_find(struct flow_ent *e, const struct rp_ip *ip)
{
    for (size_t i = 0; i < NPEER; i++)
        if (e->peer[i].ip.family && rp_ip_eq(&e->peer[i].ip, ip)) return &e->peer[i];
    return NULL;
}

static bool peer_habitual(const struct peer *p)
{
    return p && ((p->flags & RP_BL_LEARNED) || p->days >= RP_BL_HABIT_DAYS);
}

/* Remember that ip received bytes in one hour (learning: while the instance learned). */
static void peer_learn(struct flow_ent *e, const struct rp_ip *ip, uint64_t bytes, uint16_t day,
                       bool learning)
{
    struct peer *p = peer_find(e, ip);
    if (!p) {
        /* a free slot, else the smallest peer that is not habitual, else the smallest */
        struct peer *low = NULL, *lowh = NULL;
        for (size_t i = 0; i < NPEER && !p; i++) {
            struct peer *c = &e->peer[i];
            if (!c->ip.family) {
                p = c;
                break;
            }
            struct peer **pp = peer_habitual(c) ? &lowh : &low;
            if (!*pp || c->max_bytes < (*pp)->max_bytes) *pp = c;
        }
        if (!p) p = low ? low : lowh;
        memset(p, 0, sizeof(*p));
        p->ip = *ip;
    }
    if (!p->days || p->last_day != day) {
        p->last_day = day;
        if (p->days < UINT8_MAX) p->days++;
    }
    if (learning) p->flags |= RP_BL_LEARNED;
    if (bytes > p->max_bytes) p->max_bytes = bytes;
}

/* Count bytes sent to (out) or received from ip in the open hour (space-saving: a full table
 * replaces its smallest counter, whose count the newcomer inherits as a possible error). */
static void talker_add(struct flow_ent *e, const struct rp_dfl_rec *r, bool out)
{
    struct talker *t = NULL, *low = NULL;
    for (size_t i = 0; i < NHH; i++) {
        struct talker *c = &e->tk[i];
        if (c->ip.family && rp_ip_eq(&c->ip, &r->remote)) {
            t = c;
            break;
        }
        if (!low || (!c->ip.family && low->ip.family) ||
            (c->ip.family && low->ip.family && c->out < low->out))
            low = c;
    }
    if (!t) {
        if (!out) return; /* replies alone do not make a talker */
        uint64_t inherit = low->ip.family ? low->out : 0;
        memset(low, 0, sizeof(*low));
        t = low;
        t->ip = r->remote;
        t->out = t->err = inherit;
        t->remote_port = r->remote_port;
        t->first_ms = r->start_ms;
    }
    uint64_t b = r->bytes > 0 ? (uint64_t)r->bytes : 0;
    if (out) {
        t->out += b;
        if (t->records < UINT32_MAX) t->records++;
        if (r->start_ms > t->last_ms) t->last_ms = r->start_ms;
    } else {
        t->in += b;
    }
}

/* ---- findings ------------------------------------------------------------------------------ */

static rp_err emit_volume(struct flow *s, struct flow_ent *e, const struct talker *t, uint64_t base,
                          struct rp_errbuf *eb)
{
    char ip[RP_IP_STRBUFSZ], usual[96], now[96];
    if (rp_ip_format(&t->ip, ip, sizeof(ip)) != RP_OK) return RP_OK;
    snprintf(usual, sizeof(usual), "at most %llu bytes per hour to %s", (unsigned long long)base,
             ip);
    snprintf(now, sizeof(now), "%llu bytes in one hour to %s",
             (unsigned long long)(t->out - t->err), ip);
    struct rp_bl_dim d[2];
    memset(d, 0, sizeof(d));
    d[0].name = "BytesPerPeer";
    d[0].frequent[d[0].nfrequent++] = usual;
    d[0].unusual[d[0].nunusual++] = now;
    d[0].subtype = "RARE";
    d[1].name = "HeavyPeers";
    char peers[NPEER][RP_IP_STRBUFSZ];
    for (size_t i = 0; i < NPEER && d[1].nfrequent < 5; i++)
        if (peer_habitual(&e->peer[i]) &&
            rp_ip_format(&e->peer[i].ip, peers[i], sizeof(peers[i])) == RP_OK)
            d[1].frequent[d[1].nfrequent++] = peers[i];
    if (!peer_habitual(peer_find(e, &t->ip))) d[1].unusual[d[1].nunusual++] = ip;
    rp_err err = rp_bl_common_anomaly(&s->c, e->h.key, d, RP_ARRAY_LEN(d), eb);
    if (err) return err;
    struct rp_det_finding f;
    rp_dfl_finding(&f, types[T_VOLUME].type, &e->who);
    f.first_ms = t->first_ms;
    f.last_ms = t->last_ms > t->first_ms ? t->last_ms : t->first_ms;
    f.count = t->records ? t->records : 1;
    f.evidence_key = ip;
    f.direction = "OUTBOUND";
    f.protocol = "TCP";
    f.remote_ip = ip;
    f.remote_port = t->remote_port;
    f.resource_role = "ACTOR";
    return rp_bl_common_emit(&s->c, &f, eb);
}

/* Close the open hour: report talkers far above their peer's volume, learn heavy peers. */
static rp_err close_hour(struct flow *s, struct flow_ent *e, struct rp_errbuf *eb)
{
    rp_err err = RP_OK;
    uint16_t day = (uint16_t)((uint64_t)e->hour / 24 & 0xffffu);
    for (size_t i = 0; !err && i < NHH; i++) {
        struct talker *t = &e->tk[i];
        if (!t->ip.family) continue;
        uint64_t sure = t->out - t->err;
        bool fired = false;
        if (!e->hour_learning) {
            struct peer *p = peer_find(e, &t->ip);
            uint64_t base = p ? p->max_bytes : 0;
            uint64_t need =
                VOLUME_FACTOR * base > VOLUME_MIN_BYTES ? VOLUME_FACTOR * base : VOLUME_MIN_BYTES;
            if (sure >= need && t->in > 0) {
                fired = true;
                err = emit_volume(s, e, t, base, eb);
            }
        }
        if (!fired && sure >= HEAVY_PEER_BYTES) peer_learn(e, &t->ip, sure, day, e->hour_learning);
    }
    memset(e->tk, 0, sizeof(e->tk));
    e->hour = 0;
    return err;
}

/* Keep new-port findings about port quiet until until. */
static void port_quiet(struct flow_ent *e, uint16_t port, int64_t until)
{
    size_t at = 0;
    for (size_t i = 0; i < NPEND; i++) {
        if (e->noisy[i].port == port && e->noisy[i].until) {
            at = i;
            break;
        }
        if (e->noisy[i].until < e->noisy[at].until) at = i;
    }
    e->noisy[at].port = port;
    if (until > e->noisy[at].until) e->noisy[at].until = until;
}

static bool port_is_quiet(const struct flow_ent *e, uint16_t port, int64_t ms)
{
    if (ms < e->quiet_until) return true;
    for (size_t i = 0; i < NPEND; i++)
        if (e->noisy[i].port == port && ms < e->noisy[i].until) return true;
    return false;
}

/* Close the new-port window: report each new port unless the window was a scan, a sweep or a
 * brute force (those keep the instance, or the port, quiet for a while). */
static rp_err close_ports(struct flow *s, struct flow_ent *e, struct rp_errbuf *eb)
{
    rp_err err = RP_OK;
    int64_t last = e->pend_start;
    for (size_t i = 0; i < e->npend; i++)
        if (e->pend[i].last_ms > last) last = e->pend[i].last_ms;
    if (e->scan) e->quiet_until = last + PORT_QUIET_MS;
    for (size_t i = 0; !err && !e->scan && i < e->npend; i++) {
        const struct pend *p = &e->pend[i];
        if (p->nhosts > PORT_MAX_HOSTS || p->conns > PORT_MAX_CONNS) {
            port_quiet(e, p->port, p->last_ms + PORT_QUIET_MS);
            continue;
        }
        char ip[RP_IP_STRBUFSZ], port[8], key[16];
        if (rp_ip_format(&p->ip, ip, sizeof(ip)) != RP_OK) continue;
        snprintf(port, sizeof(port), "%u", p->port);
        struct rp_bl_dim d[1];
        memset(d, 0, sizeof(d));
        d[0].name = "RemotePorts";
        struct rp_bl_set set = port_set(s, e);
        rp_bl_dim_top(&d[0], &set, 5);
        d[0].unusual[d[0].nunusual++] = port;
        err = rp_bl_common_anomaly(&s->c, e->h.key, d, 1, eb);
        if (err) return err;
        struct rp_det_finding f;
        rp_dfl_finding(&f, types[T_PORT].type, &e->who);
        f.first_ms = p->first_ms;
        f.last_ms = p->last_ms;
        f.count = p->conns;
        snprintf(key, sizeof(key), "%u", p->port);
        f.evidence_key = key;
        f.direction = "OUTBOUND";
        f.protocol = rp_dfl_proto_name(p->proto);
        f.remote_ip = ip;
        f.remote_port = p->port;
        f.resource_role = "ACTOR";
        if (p->port == 389 || p->port == 1389) f.severity = 8.0;
        err = rp_bl_common_emit(&s->c, &f, eb);
    }
    e->npend = 0;
    e->scan = false;
    e->pend_start = 0;
    return err;
}

static void pend_add(struct flow_ent *e, const struct rp_dfl_rec *r)
{
    uint16_t port = (uint16_t)r->remote_port;
    if (port_is_quiet(e, port, r->start_ms)) {
        /* the scan, sweep or brute force goes on */
        if (r->start_ms < e->quiet_until)
            e->quiet_until = r->start_ms + PORT_QUIET_MS;
        else
            port_quiet(e, port, r->start_ms + PORT_QUIET_MS);
        return;
    }
    if (!e->pend_start) e->pend_start = r->start_ms;
    struct pend *p = NULL;
    for (size_t i = 0; i < e->npend && !p; i++)
        if (e->pend[i].port == r->remote_port) p = &e->pend[i];
    if (!p) {
        if (e->npend == NPEND) {
            e->scan = true;
            return;
        }
        p = &e->pend[e->npend++];
        memset(p, 0, sizeof(*p));
        p->port = (uint16_t)r->remote_port;
        p->proto = (uint8_t)(r->protocol > 0 ? r->protocol : 0);
        p->ip = r->remote;
        p->first_ms = r->start_ms;
    }
    if (p->conns < UINT32_MAX) p->conns++;
    if (r->start_ms > p->last_ms) p->last_ms = r->start_ms;
    uint32_t h = rp_dfl_ip32(&r->remote);
    bool seen = false;
    for (size_t i = 0; i < p->nhosts && i < PORT_MAX_HOSTS; i++)
        if (p->hosts[i] == h) seen = true;
    if (!seen && p->nhosts <= PORT_MAX_HOSTS) {
        if (p->nhosts < PORT_MAX_HOSTS) p->hosts[p->nhosts] = h;
        p->nhosts++;
    }
}

/* ---- detector ------------------------------------------------------------------------------ */

static rp_err init(struct rp_det_ctx *dc, void **state, struct rp_errbuf *eb)
{
    rp_err err = rp_bl_state_new(dc, sizeof(struct flow), state, eb);
    if (err) return err;
    struct flow *s = *state;
    err = rp_dfl_enis_new(&s->enis);
    if (err) return rp_fail(eb, err, "detect: out of memory");
    return rp_bl_common_table(&s->c, &model, s, eb);
}

static void release(void *state)
{
    struct flow *s = state;
    if (s) rp_dfl_enis_free(s->enis);
    rp_bl_state_free(s);
}

struct flush_ctx {
    struct flow *s;
    struct rp_errbuf *eb;
};

static rp_err flush_one(void *ctx, struct rp_bl_ent *he)
{
    struct flush_ctx *c = ctx;
    struct flow_ent *e = (struct flow_ent *)(void *)he;
    rp_err err = e->npend ? close_ports(c->s, e, c->eb) : RP_OK;
    if (!err && e->hour) err = close_hour(c->s, e, c->eb);
    return err;
}

static rp_err finish(struct rp_det_ctx *dc, void *state, struct rp_errbuf *eb)
{
    (void)dc;
    struct flow *s = state;
    struct flush_ctx c = {s, eb};
    rp_err err = rp_bl_table_each(s->c.tab, flush_one, &c);
    return err ? err : rp_bl_common_finish(&s->c, eb);
}

static bool aws_service(const struct rp_det_event *ev)
{
    struct rp_str v = rp_det_str(ev, RP_FL_PKT_DST_AWS_SERVICE);
    return v.p && v.len && !rp_str_eq_cstr(v, "-");
}

static rp_err event(struct rp_det_ctx *dc, void *state, const struct rp_det_event *ev,
                    struct rp_errbuf *eb)
{
    struct flow *s = state;
    struct rp_dfl_rec r;
    if (!rp_dfl_read(dc, s->enis, ev, &r) || r.reject || !r.remote_public) return RP_OK;
    struct rp_det_ti_hit hit;
    if (rp_det_ti_ip(dc, &r.remote, &hit, 1) || rp_det_ti_trusted(dc, &r.remote)) return RP_OK;
    bool port_rec = r.outbound && r.local_init && r.remote_port > 0 &&
                    (r.protocol == 6 || r.protocol == 17) && !rp_det_ti_mining_port(r.remote_port);
    bool vol_rec = r.protocol == 6 && !aws_service(ev);
    if (!port_rec && !vol_rec) return RP_OK;

    rp_err err = RP_OK;
    struct flow_ent *e = (struct flow_ent *)(void *)rp_bl_common_use(
        &s->c, rp_str_from(rp_dfl_resource(&r.who)), r.start_ms, &err, eb);
    if (!e) return err;
    e->who = r.who;
    bool learning = rp_bl_learning(dc, &e->h, r.start_ms);

    if (e->npend && r.start_ms - e->pend_start >= PORT_WINDOW_MS) {
        err = close_ports(s, e, eb);
        if (err) return err;
    }
    uint32_t hour = (uint32_t)(r.start_ms / RP_BL_HOUR_MS);
    if (e->hour && e->hour != hour) {
        err = close_hour(s, e, eb);
        if (err) return err;
    }

    if (port_rec) {
        char port[8];
        snprintf(port, sizeof(port), "%d", r.remote_port);
        struct rp_bl_set set = port_set(s, e);
        uint32_t id = rp_bl_intern_id(s->c.in, rp_str_from(port));
        if (!learning && !rp_bl_set_habitual(&set, id)) pend_add(e, &r);
        (void)rp_bl_set_note(&set, id, rp_bl_day(r.start_ms), learning, NULL);
    }
    if (vol_rec) {
        if (!e->hour) {
            e->hour = hour;
            e->hour_learning = learning;
        }
        talker_add(e, &r, r.outbound);
    }
    return RP_OK;
}

const struct rp_detector rp_det_baseline_flow = {
    .id = "baseline.flow",
    .source = RP_DET_SRC_FLOW,
    .kind = RP_DET_BASELINE,
    .summary = "instances connecting to remote ports they never used, or sending far more to one "
               "host than their baseline",
    .types = types,
    .ntypes = RP_ARRAY_LEN(types),
    .init = init,
    .event = event,
    .finish = finish,
    .release = release,
};
