/* SPDX-License-Identifier: Apache-2.0 */
/* flow.threatintel: an instance talking to an address on a threat list, from VPC Flow Logs
 * (aws-facts §4.3, §4.10): command and control, crypto-mining pools, Tor nodes, sinkholes,
 * drop points, and the user's own threat lists (.Custom). Signature detector: the remote
 * address of each record is looked up (rp_det_ti_ip; trusted lists win).
 *
 * What counts as talking (each such record is one occurrence): the request side of a
 * connection the instance opened, whatever the action (a blocked attempt to reach a C2 server
 * still says the instance is infected), or an accepted record that carried real data
 * (RP_TI_MIN_EXCHANGE_BYTES) either way: a listed host that only knocks on the instance's
 * ports is a port probe (flow.portprobe), not the instance talking to it, and must not raise
 * a second finding. Tor: only connections the instance opens (it is then a Tor client).
 * .Custom: accepted traffic only.
 *
 * Crypto mining without a listed address: a connection to a well-known stratum port
 * (rp_det_ti_mining_port) of a public address, kept open across at least RP_MINE_MIN_RECORDS
 * records spanning RP_MINE_MIN_SPAN_MS, in small packets (stratum is line-based JSON: job
 * notifications and share submissions, tens to hundreds of bytes). Memory for that: at most
 * RP_MINE_MAX_FLOWS flows of about 200 bytes, forgotten RP_MINE_IDLE_MS after their last
 * record; flows past the cap are not tracked (counted, logged at the end). */
#define RP_LOG_MODULE "detect"
#include <stdlib.h>
#include <string.h>

#include "core/rp_log.h"
#include "detect/detect_flow_common.h"
#include "core/rp_banned.h"

#define RP_TI_MIN_EXCHANGE_BYTES 10240 /* an exchange, not a knock (a probe is < 1 KiB) */
#define RP_TI_MAX_HITS           8

/* Stratum connections: long-lived (flow logs report a live connection every aggregation
 * interval, at most 10 minutes apart) and made of small messages. */
#define RP_MINE_MIN_RECORDS   3
#define RP_MINE_MIN_SPAN_MS   (20 * 60 * 1000LL)
#define RP_MINE_MAX_AVG_BYTES 512
#define RP_MINE_IDLE_MS       (30 * 60 * 1000LL)
#define RP_MINE_MAX_FLOWS     16384

static const char BITCOIN[] = "CryptoCurrency:EC2/BitcoinTool.B";
static const char C2[] = "Backdoor:EC2/C&CActivity.B";
static const char TOR[] = "UnauthorizedAccess:EC2/TorClient";
static const char BLACKHOLE[] = "Trojan:EC2/BlackholeTraffic";
static const char DROP[] = "Trojan:EC2/DropPoint";
static const char CUSTOM[] = "UnauthorizedAccess:EC2/MaliciousIPCaller.Custom";

static const struct rp_det_type types[] = {
    {BITCOIN, 8.0, "Bitcoin-related IP address or mining pool contacted by EC2 instance %s",
     "EC2 instance %s is communicating with an address associated with crypto-currency mining, "
     "or holds a mining-pool (stratum) connection. Unless mining is intended, the instance may "
     "be compromised."},
    {C2, 8.0, "Command and control server IP address contacted by EC2 instance %s",
     "EC2 instance %s is communicating with an address known as a command-and-control server. "
     "The instance is likely compromised and controlled by an attacker."},
    {TOR, 8.0, "EC2 instance %s is communicating with Tor entry nodes",
     "EC2 instance %s is connecting to Tor nodes, as a Tor client does. This may be an attempt "
     "to hide unauthorized access or communication."},
    {BLACKHOLE, 5.0, "Black hole IP address contacted by EC2 instance %s",
     "EC2 instance %s is trying to reach a black-hole (sinkhole) address, to which malware "
     "traffic is diverted. The instance may be infected."},
    {DROP, 5.0, "Drop point IP address contacted by EC2 instance %s",
     "EC2 instance %s is communicating with an address known to collect stolen credentials and "
     "data. The instance may be compromised."},
    {CUSTOM, 5.0, "Custom threat list IP address contacted by EC2 instance %s",
     "EC2 instance %s is communicating with an address on a threat list you uploaded."},
};

struct mkey {
    char eni[RP_DFL_ID_SZ];
    struct rp_ip remote;
    uint8_t pad;
    uint16_t remote_port, local_port;
    uint8_t pad2[2];
};

struct ment {
    struct mkey k;
    struct rp_dfl_who who;
    int64_t first_ms, last_ms, seen_ms;
    uint64_t count;
    bool reported;
};

struct state {
    struct rp_det_ctx *dc;
    struct rp_dfl_enis *enis;
    struct rp_dfl_map mine;
    int64_t now, last_sweep;
};

static rp_err init(struct rp_det_ctx *dc, void **out, struct rp_errbuf *eb)
{
    struct state *s = calloc(1, sizeof *s);
    if (!s || rp_dfl_enis_new(&s->enis)) {
        free(s);
        return rp_fail(eb, RP_ENOMEM, "flow.threatintel: out of memory");
    }
    s->dc = dc;
    rp_dfl_map_init(&s->mine, sizeof(struct mkey), sizeof(struct ment), RP_MINE_MAX_FLOWS);
    s->last_sweep = INT64_MIN;
    *out = s;
    return RP_OK;
}

static rp_err emit(struct state *s, const char *type, const struct rp_dfl_rec *r,
                   const struct rp_det_ti_hit *hit, struct rp_errbuf *eb)
{
    struct rp_det_finding f;
    rp_dfl_finding(&f, type, &r->who);
    f.evidence_key = r->remote_ip;
    f.first_ms = r->start_ms;
    f.last_ms = r->end_ms;
    f.direction = r->local_init ? "OUTBOUND" : "INBOUND";
    f.protocol = rp_dfl_proto_name(r->protocol);
    f.remote_ip = r->remote_ip;
    f.local_port = r->local_port;
    f.remote_port = r->remote_port;
    f.blocked = r->reject;
    f.resource_role = r->local_init ? "ACTOR" : "TARGET";
    if (hit) {
        f.threat_list = hit->list;
        f.threat_name = hit->name;
    }
    return rp_det_emit(s->dc, &f, eb);
}

/* The type a list kind raises here, or NULL. */
static const char *type_of(enum rp_det_ti_kind k)
{
    switch (k) {
    case RP_TI_MINING:
        return BITCOIN;
    case RP_TI_C2:
        return C2;
    case RP_TI_TOR:
        return TOR;
    case RP_TI_BLACKHOLE:
        return BLACKHOLE;
    case RP_TI_DROP_POINT:
        return DROP;
    case RP_TI_THREAT:
        return CUSTOM;
    default:
        return NULL;
    }
}

static rp_err listed(struct state *s, const struct rp_dfl_rec *r, struct rp_errbuf *eb)
{
    struct rp_det_ti_hit hits[RP_TI_MAX_HITS];
    size_t n = rp_det_ti_ip(s->dc, &r->remote, hits, RP_TI_MAX_HITS);
    bool exchanged = !r->reject && r->bytes >= RP_TI_MIN_EXCHANGE_BYTES;
    const char *done[RP_TI_MAX_HITS];
    size_t ndone = 0;
    bool opened = r->local_init && r->outbound; /* the instance's request side */
    for (size_t i = 0; i < n; i++) {
        const char *type = type_of(hits[i].kind);
        if (!type) continue;
        bool talks = opened || exchanged;
        if (type == TOR) talks = opened;
        if (type == CUSTOM) talks = !r->reject && talks;
        if (!talks) continue;
        bool dup = false; /* one emission per type and record, the most specific entry */
        for (size_t j = 0; j < ndone; j++) dup |= done[j] == type;
        if (dup) continue;
        done[ndone++] = type;
        rp_err e = emit(s, type, r, &hits[i], eb);
        if (e) return e;
    }
    return RP_OK;
}

static rp_err mine_sweep_fn(void *ctx, void *entry, bool *remove, struct rp_errbuf *eb)
{
    (void)eb;
    struct state *s = ctx;
    const struct ment *x = entry;
    *remove = s->now >= x->seen_ms + RP_MINE_IDLE_MS;
    return RP_OK;
}

static rp_err stratum(struct state *s, const struct rp_dfl_rec *r, struct rp_errbuf *eb)
{
    if (r->protocol != 6 || r->reject || !r->outbound || !r->local_init || !r->remote_public ||
        r->packets <= 0 || r->bytes / r->packets > RP_MINE_MAX_AVG_BYTES)
        return RP_OK;
    if (rp_det_ti_trusted(s->dc, &r->remote)) return RP_OK;
    struct mkey k;
    memset(&k, 0, sizeof k);
    memcpy(k.eni, r->who.eni, sizeof k.eni);
    k.remote = r->remote;
    k.remote_port = (uint16_t)r->remote_port;
    k.local_port = (uint16_t)r->local_port;
    bool created = false;
    rp_err err = RP_OK;
    struct ment *x = rp_dfl_map_add(&s->mine, &k, &created, &err);
    if (!x) return err ? rp_fail(eb, err, "flow.threatintel: out of memory") : RP_OK;
    if (created) {
        x->who = r->who;
        x->first_ms = r->start_ms;
    }
    if (r->start_ms < x->first_ms) x->first_ms = r->start_ms;
    if (r->end_ms > x->last_ms) x->last_ms = r->end_ms;
    x->seen_ms = r->start_ms > x->seen_ms ? r->start_ms : x->seen_ms;
    x->count++;
    if (x->count < RP_MINE_MIN_RECORDS || x->last_ms - x->first_ms < RP_MINE_MIN_SPAN_MS)
        return RP_OK;
    struct rp_det_finding f;
    rp_dfl_finding(&f, BITCOIN, &x->who);
    char remote[RP_IP_STRBUFSZ];
    memcpy(remote, r->remote_ip, sizeof remote);
    f.evidence_key = remote;
    /* the first report covers the records so far, later ones one record each */
    f.first_ms = x->reported ? r->start_ms : x->first_ms;
    f.last_ms = r->end_ms;
    f.count = x->reported ? 1 : x->count;
    f.direction = "OUTBOUND";
    f.protocol = "TCP";
    f.remote_ip = remote;
    f.local_port = r->local_port;
    f.remote_port = r->remote_port;
    f.resource_role = "ACTOR";
    x->reported = true;
    return rp_det_emit(s->dc, &f, eb);
}

static rp_err event(struct rp_det_ctx *dc, void *state, const struct rp_det_event *ev,
                    struct rp_errbuf *eb)
{
    struct state *s = state;
    rp_dfl_observe(dc, s->enis, ev);
    if (rp_dfl_tick(&s->now, &s->last_sweep, rp_dfl_start_ms(ev))) {
        rp_err e = rp_dfl_map_sweep(&s->mine, mine_sweep_fn, s, eb);
        if (e) return e;
    }
    /* cheap checks first: is either address listed, or is a port a stratum port? */
    struct rp_ip a;
    struct rp_det_ti_hit hit;
    bool hot = (rp_dfl_addr(ev, true, &a) && rp_det_ti_ip(dc, &a, &hit, 1)) ||
               (rp_dfl_addr(ev, false, &a) && rp_det_ti_ip(dc, &a, &hit, 1));
    bool pool = rp_det_ti_mining_port((int)rp_det_int(ev, RP_FLI_DSTPORT, -1)) ||
                rp_det_ti_mining_port((int)rp_det_int(ev, RP_FLI_SRCPORT, -1));
    if (!hot && !pool) return RP_OK;
    struct rp_dfl_rec r;
    if (!rp_dfl_read(dc, s->enis, ev, &r)) return RP_OK;
    rp_err e = RP_OK;
    if (hot) e = listed(s, &r, eb);
    if (!e && pool && rp_det_ti_mining_port(r.remote_port)) e = stratum(s, &r, eb);
    return e;
}

static rp_err finish(struct rp_det_ctx *dc, void *state, struct rp_errbuf *eb)
{
    (void)dc;
    (void)eb;
    struct state *s = state;
    if (s->mine.dropped)
        RP_LOG_WARN("flow.threatintel: %llu records of untracked mining-port flows (table cap "
                    "%d)",
                    (unsigned long long)s->mine.dropped, RP_MINE_MAX_FLOWS);
    return RP_OK;
}

static void release(void *state)
{
    struct state *s = state;
    if (!s) return;
    rp_dfl_map_release(&s->mine);
    rp_dfl_enis_free(s->enis);
    free(s);
}

const struct rp_detector rp_det_flow_threatintel = {
    .id = "flow.threatintel",
    .source = RP_DET_SRC_FLOW,
    .kind = RP_DET_SIGNATURE,
    .summary = "an instance talks to a listed address (C2, mining pool, Tor, sinkhole, drop "
               "point, own threat list) or holds a stratum connection",
    .types = types,
    .ntypes = RP_ARRAY_LEN(types),
    .init = init,
    .event = event,
    .finish = finish,
    .release = release,
};
