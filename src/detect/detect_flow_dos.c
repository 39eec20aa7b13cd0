/* SPDX-License-Identifier: Apache-2.0 */
/* flow.dos: an instance taking part in a denial-of-service attack, from VPC Flow Logs
 * (aws-facts §4.3): a huge outbound packet rate to one public address that hardly answers.
 * Window detector over one-minute buckets per (interface, remote address): the packet rate is
 * the sum over the bucket's records of packets / seconds, per kind of traffic:
 *
 *   Backdoor:EC2/DenialOfService.Dns             to port 53 in query-sized packets
 *   Backdoor:EC2/DenialOfService.UdpOnTcpPorts   UDP to a port only TCP services use
 *   Backdoor:EC2/DenialOfService.Udp             other UDP
 *   Backdoor:EC2/DenialOfService.Tcp             TCP
 *   Backdoor:EC2/DenialOfService.UnusualProtocol any protocol but TCP, UDP, ICMP, ICMPv6
 *
 * A bulk transfer (a backup to S3, a large upload) is as fast but is acknowledged: the remote
 * sends back about one packet for every two. A flood is not answered, so a bucket counts only
 * when the replies stay under RP_DOS_MAX_REPLY_PERCENT of what was sent. Only records of at
 * least RP_DOS_MIN_RECORD_PACKETS packets are read (floods and bulk transfers; the rest cannot
 * matter). REJECTed packets count: the instance still sent them.
 * Memory: at most RP_DOS_MAX_ENTITIES entries of about 330 bytes; past that, new pairs are
 * not tracked (counted, logged at the end). */
#define RP_LOG_MODULE "detect"
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "detect/detect_flow_common.h"
#include "core/rp_banned.h"

/* GuardDuty does not publish its thresholds; these are ours. A flood: at least RP_DOS_MIN_PPS
 * packets per second of one kind to one address, and at least RP_DOS_MIN_PACKETS in the
 * minute (half a minute at that rate), answered by under RP_DOS_MAX_REPLY_PERCENT. */
#define RP_DOS_BUCKET_MS          (60 * 1000LL)
#define RP_DOS_MIN_PPS            5000.0
#define RP_DOS_MIN_PACKETS        150000
#define RP_DOS_MAX_REPLY_PERCENT  10
#define RP_DOS_MIN_RECORD_PACKETS 1000
#define RP_DOS_DNS_MAX_AVG_BYTES  512 /* a DNS query fits in 512 bytes (RFC 1035 over UDP) */
#define RP_DOS_MAX_ENTITIES       16384

enum kind { K_DNS, K_UDP_ON_TCP, K_UDP, K_TCP, K_UNUSUAL, K__COUNT };

static const struct rp_det_type types[] = {
    {"Backdoor:EC2/DenialOfService.Dns", 8.0,
     "EC2 instance %s is behaving in a manner that may indicate it is being used to perform a "
     "denial of service attack using DNS",
     "EC2 instance %s is sending a very large volume of DNS queries to one public address that "
     "hardly answers. It may be compromised and part of a DNS flood."},
    {"Backdoor:EC2/DenialOfService.UdpOnTcpPorts", 8.0,
     "EC2 instance %s is behaving in a manner that may indicate it is being used to perform a "
     "denial of service attack using UDP on TCP ports",
     "EC2 instance %s is sending a very large volume of UDP packets to a port that only TCP "
     "services use, on one public address. It may be compromised and part of a flood."},
    {"Backdoor:EC2/DenialOfService.Udp", 8.0,
     "EC2 instance %s is behaving in a manner that may indicate it is being used to perform a "
     "denial of service attack using UDP",
     "EC2 instance %s is sending a very large volume of UDP packets to one public address that "
     "does not answer. It may be compromised and part of a UDP flood."},
    {"Backdoor:EC2/DenialOfService.Tcp", 8.0,
     "EC2 instance %s is behaving in a manner that may indicate it is being used to perform a "
     "denial of service attack using TCP",
     "EC2 instance %s is sending a very large volume of TCP packets to one public address that "
     "hardly answers, as in a SYN flood. It may be compromised."},
    {"Backdoor:EC2/DenialOfService.UnusualProtocol", 8.0,
     "EC2 instance %s is behaving in a manner that may indicate it is being used to perform a "
     "denial of service attack using an unusual protocol",
     "EC2 instance %s is sending a very large volume of packets of a protocol EC2 instances "
     "rarely use (such as IGMP or GRE) to one public address. It may be compromised."},
};

/* Ports of services that speak TCP only (IANA assignments in use; HTTP on 80 and 443 is left
 * out: QUIC and HTTP/3 carry UDP there). */
static const int tcp_only_ports[] = {21,   22,   23,   25,   110,  143,  445,   465,
                                     587,  993,  995,  1433, 1521, 3306, 3389,  5432,
                                     5985, 5986, 6379, 8080, 8443, 9200, 11211, 27017};

struct key {
    char eni[RP_DFL_ID_SZ];
    struct rp_ip remote;
    uint8_t pad[7];
};

struct acc {
    double pps;
    int64_t packets;
    uint64_t records, rejected;
    int64_t first_ms, last_ms;
    int protocol, local_port, remote_port;
};

struct ent {
    struct key k;
    struct rp_dfl_who who;
    int64_t bucket_ms; /* start of the bucket */
    int64_t out_packets, in_packets;
    struct acc a[K__COUNT];
};

static rp_err close_bucket(void *state, void *entry, struct rp_errbuf *eb);

static rp_err init(struct rp_det_ctx *dc, void **out, struct rp_errbuf *eb)
{
    rp_err e = rp_dfl_win_new(dc, "flow.dos", "records", sizeof(struct rp_dfl_win), out, eb);
    if (e) return e;
    rp_dfl_wtab_init(&((struct rp_dfl_win *)*out)->t, sizeof(struct key), sizeof(struct ent),
                     RP_DOS_MAX_ENTITIES, RP_DOS_BUCKET_MS, offsetof(struct ent, bucket_ms),
                     close_bucket);
    return RP_OK;
}

static enum kind kind_of(const struct rp_dfl_rec *r)
{
    bool udp = r->protocol == 17, tcp = r->protocol == 6;
    if ((udp || tcp) && r->remote_port == 53 && r->packets > 0 &&
        r->bytes / r->packets <= RP_DOS_DNS_MAX_AVG_BYTES)
        return K_DNS;
    if (tcp) return K_TCP;
    if (udp) {
        for (size_t i = 0; i < RP_ARRAY_LEN(tcp_only_ports); i++)
            if (tcp_only_ports[i] == r->remote_port) return K_UDP_ON_TCP;
        return K_UDP;
    }
    return K_UNUSUAL;
}

static rp_err close_bucket(void *state, void *entry, struct rp_errbuf *eb)
{
    struct rp_dfl_win *s = state;
    struct ent *x = entry;
    if (x->in_packets * 100 > x->out_packets * RP_DOS_MAX_REPLY_PERCENT) return RP_OK;
    char remote[RP_IP_STRBUFSZ];
    if (rp_ip_format(&x->k.remote, remote, sizeof remote)) return RP_OK;
    for (int k = 0; k < K__COUNT; k++) {
        const struct acc *a = &x->a[k];
        if (a->pps < RP_DOS_MIN_PPS || a->packets < RP_DOS_MIN_PACKETS) continue;
        struct rp_det_finding f;
        rp_dfl_conn_finding(&f, types[k].type, &x->who, true, rp_dfl_proto_name(a->protocol),
                            remote, a->first_ms, a->last_ms, a->records);
        f.evidence_key = remote;
        f.local_port = a->local_port;
        f.remote_port = a->remote_port;
        f.blocked = a->rejected == a->records;
        rp_err e = rp_det_emit(s->dc, &f, eb);
        if (e) return e;
    }
    return RP_OK;
}

static rp_err event(struct rp_det_ctx *dc, void *state, const struct rp_det_event *ev,
                    struct rp_errbuf *eb)
{
    struct rp_dfl_win *s = state;
    rp_dfl_observe(dc, s->enis, ev);
    if (rp_det_int(ev, RP_FLI_PACKETS, 0) < RP_DOS_MIN_RECORD_PACKETS) return RP_OK;
    rp_err e = rp_dfl_win_tick(s, ev, eb);
    if (e) return e;
    struct rp_dfl_rec r;
    if (!rp_dfl_read(dc, s->enis, ev, &r)) return RP_OK;
    if (!r.remote_public || r.protocol == 1 || r.protocol == 58 || r.protocol < 0) return RP_OK;
    if (rp_det_ti_trusted(dc, &r.remote)) return RP_OK;
    struct key k;
    memset(&k, 0, sizeof k);
    memcpy(k.eni, r.who.eni, sizeof k.eni);
    k.remote = r.remote;
    void *el = NULL;
    bool created = false;
    e = rp_dfl_wtab_entry(s, &s->t, &k, r.start_ms, &el, &created, eb);
    if (!el) return e;
    struct ent *x = el;
    if (created) {
        x->who = r.who;
        x->bucket_ms = r.start_ms;
        x->out_packets = x->in_packets = 0;
        memset(x->a, 0, sizeof x->a);
    }
    if (!r.outbound) {
        x->in_packets += r.packets;
        return RP_OK;
    }
    x->out_packets += r.packets;
    struct acc *a = &x->a[kind_of(&r)];
    int64_t secs = (r.end_ms - r.start_ms) / 1000;
    a->pps += (double)r.packets / (double)(secs > 0 ? secs : 1);
    a->packets += r.packets;
    if (!a->records || r.start_ms < a->first_ms) a->first_ms = r.start_ms;
    if (r.end_ms > a->last_ms) a->last_ms = r.end_ms;
    a->records++;
    a->rejected += r.reject;
    a->protocol = r.protocol;
    a->local_port = r.local_port;
    a->remote_port = r.remote_port;
    return RP_OK;
}

const struct rp_detector rp_det_flow_dos = {
    .id = "flow.dos",
    .source = RP_DET_SRC_FLOW,
    .kind = RP_DET_WINDOW,
    .summary = "an instance floods one public address with packets that go unanswered",
    .types = types,
    .ntypes = RP_ARRAY_LEN(types),
    .init = init,
    .event = event,
    .finish = rp_dfl_win_finish,
    .release = rp_dfl_win_release,
};
