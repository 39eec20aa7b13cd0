/* SPDX-License-Identifier: Apache-2.0 */
/* flow.portprobe: a known scanner reaching an open port of an instance
 * (Recon:EC2/PortProbeUnprotectedPort, and Recon:EC2/PortProbeEMRUnprotectedPort for the web
 * ports of EMR clusters), from VPC Flow Logs (aws-facts §4.3, §4.10). Signature detector: an
 * inbound connection, ACCEPTed, from an address on a threat list (the user's lists or
 * GuardDuty-like malicious-address knowledge; trusted lists win) to a port that is open to the
 * internet: rp_det_inv_port_open says so when the inventory knows the interface's security
 * groups, else the ACCEPT itself shows the port was reachable. REJECTed probes are protected ports.
 *
 * One finding per instance and port: probes are gathered per (interface, port) for
 * RP_PROBE_WINDOW_MS and emitted together as a PORT_PROBE action (the probed port and each
 * prober, up to RP_DET_MAX_PROBES); later windows fold into the same finding. Severity Low,
 * High for Elasticsearch (9200, 9300) (aws-facts §4.3); the EMR type is High.
 * Memory: at most RP_PROBE_MAX_ENTITIES entries of about 450 bytes; past that, a probe of a
 * new (interface, port) is emitted on its own at once. */
#define RP_LOG_MODULE "detect"
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "detect/detect_flow_common.h"
#include "core/rp_banned.h"

#define RP_PROBE_WINDOW_MS    (60 * 60 * 1000LL)
#define RP_PROBE_MAX_ENTITIES 16384
#define RP_PROBE_HIGH_SEV     8.0
#define RP_PROBE_MAX_HITS     8

static const char UNPROTECTED[] = "Recon:EC2/PortProbeUnprotectedPort";
static const char EMR[] = "Recon:EC2/PortProbeEMRUnprotectedPort";

static const struct rp_det_type types[] = {
    {UNPROTECTED, 2.0, "Unprotected port on EC2 instance %s is being probed",
     "An open port of EC2 instance %s is being probed by a known malicious scanner. The port is "
     "reachable from the internet; close it in the security group or network ACL if it need "
     "not be public."},
    {EMR, 8.0, "Unprotected EMR-related port on EC2 instance %s is being probed",
     "An EMR-related port (such as the YARN ResourceManager web interface) of EC2 instance %s "
     "is reachable from the internet and is being probed by a known malicious scanner. Such "
     "interfaces can run arbitrary jobs; block the port."},
};

/* Elasticsearch's HTTP and transport ports: High (aws-facts §4.3). */
static const int high_ports[] = {9200, 9300};

/* The web interfaces EMR clusters serve (Amazon EMR's "web interfaces hosted on EMR clusters"
 * table: YARN ResourceManager, NodeManager and timeline server, MapReduce job history, HDFS
 * NameNode (Hadoop 2 and 3), Spark history server, Zeppelin, Livy, HBase master, YARN web
 * proxy). Generic web ports (8080, 8888) are left out: they are too common to mean EMR. */
static const int emr_ports[] = {8042,  8088,  8188,  8890,  8998, 9870,
                                16010, 18080, 19888, 20888, 50070};

static bool in(const int *a, size_t n, int port)
{
    for (size_t i = 0; i < n; i++)
        if (a[i] == port) return true;
    return false;
}

struct key {
    char eni[RP_DFL_ID_SZ];
    uint16_t port;
    uint8_t proto;
    uint8_t pad;
};

struct ent {
    struct key k;
    struct rp_dfl_who who;
    const char *type;
    char threat_list[64], threat_name[64];
    int64_t first_ms, last_ms;
    uint64_t count;
    struct rp_ip probers[RP_DET_MAX_PROBES];
    size_t nprobers;
};

static rp_err emit(void *state, void *entry, struct rp_errbuf *eb);

static rp_err init(struct rp_det_ctx *dc, void **out, struct rp_errbuf *eb)
{
    rp_err e = rp_dfl_win_new(dc, "flow.portprobe", NULL, sizeof(struct rp_dfl_win), out, eb);
    if (e) return e;
    rp_dfl_wtab_init(&((struct rp_dfl_win *)*out)->t, sizeof(struct key), sizeof(struct ent),
                     RP_PROBE_MAX_ENTITIES, RP_PROBE_WINDOW_MS, offsetof(struct ent, first_ms),
                     emit);
    return RP_OK;
}

static rp_err emit(void *state, void *entry, struct rp_errbuf *eb)
{
    struct rp_dfl_win *s = state;
    const struct ent *x = entry;
    char ips[RP_DET_MAX_PROBES][RP_IP_STRBUFSZ];
    char key[8];
    snprintf(key, sizeof key, "%u", (unsigned)x->k.port);
    struct rp_det_finding f;
    rp_dfl_finding(&f, x->type, &x->who);
    f.action = RP_DET_ACT_PORT_PROBE;
    f.evidence_key = key;
    f.first_ms = x->first_ms;
    f.last_ms = x->last_ms;
    f.count = x->count;
    f.protocol = rp_dfl_proto_name(x->k.proto);
    f.local_port = x->k.port;
    for (size_t i = 0; i < x->nprobers; i++) {
        if (rp_ip_format(&x->probers[i], ips[i], sizeof ips[i])) continue;
        f.probes[f.nprobes].local_port = x->k.port;
        f.probes[f.nprobes].remote_ip = ips[i];
        f.nprobes++;
    }
    f.remote_ip = f.nprobes ? f.probes[0].remote_ip : NULL;
    f.resource_role = "TARGET";
    if (x->type == UNPROTECTED && in(high_ports, RP_ARRAY_LEN(high_ports), x->k.port))
        f.severity = RP_PROBE_HIGH_SEV;
    f.threat_list = x->threat_list[0] ? x->threat_list : NULL;
    f.threat_name = x->threat_name[0] ? x->threat_name : NULL;
    return rp_det_emit(s->dc, &f, eb);
}

/* An EMR port on an instance that is an EMR node, or whose inventory we lack. */
static const char *type_for(struct rp_dfl_win *s, const struct rp_dfl_rec *r)
{
    if (!in(emr_ports, RP_ARRAY_LEN(emr_ports), r->local_port)) return UNPROTECTED;
    if (!r->who.instance_id[0]) return EMR;
    const char *json = rp_det_inv_instance_json(s->dc, r->who.instance_id);
    if (!json || strstr(json, "aws:elasticmapreduce")) return EMR;
    return UNPROTECTED;
}

static void fill(struct ent *x, const struct rp_dfl_rec *r, const struct rp_det_ti_hit *hit)
{
    if (!x->count || r->start_ms < x->first_ms) x->first_ms = r->start_ms;
    if (r->end_ms > x->last_ms) x->last_ms = r->end_ms;
    x->count++;
    bool have = false;
    for (size_t i = 0; i < x->nprobers; i++) have |= rp_ip_eq(&x->probers[i], &r->remote);
    if (!have && x->nprobers < RP_DET_MAX_PROBES) x->probers[x->nprobers++] = r->remote;
    if (!x->threat_list[0] && hit->list) {
        rp_strlcpy(x->threat_list, hit->list, sizeof x->threat_list);
        if (hit->name) rp_strlcpy(x->threat_name, hit->name, sizeof x->threat_name);
    }
}

static rp_err event(struct rp_det_ctx *dc, void *state, const struct rp_det_event *ev,
                    struct rp_errbuf *eb)
{
    struct rp_dfl_win *s = state;
    rp_dfl_observe(dc, s->enis, ev);
    rp_err e = rp_dfl_win_tick(s, ev, eb);
    if (e) return e;
    /* cheap checks first: accepted TCP/UDP whose source is listed */
    if (!rp_str_eq_cstr(rp_det_str(ev, RP_FL_ACTION), "ACCEPT")) return RP_OK;
    int proto = (int)rp_det_int(ev, RP_FLI_PROTOCOL, -1);
    if (proto != 6 && proto != 17) return RP_OK;
    struct rp_ip src;
    struct rp_det_ti_hit hits[RP_PROBE_MAX_HITS];
    if (!rp_dfl_addr(ev, true, &src)) return RP_OK;
    size_t n = rp_det_ti_ip(dc, &src, hits, RP_PROBE_MAX_HITS);
    const struct rp_det_ti_hit *hit = NULL;
    for (size_t i = 0; i < n && !hit; i++)
        if (hits[i].kind == RP_TI_THREAT || hits[i].kind == RP_TI_MALICIOUS) hit = &hits[i];
    if (!hit) return RP_OK;
    struct rp_dfl_rec r;
    if (!rp_dfl_read(dc, s->enis, ev, &r)) return RP_OK;
    if (r.outbound || r.local_init || r.local_port <= 0) return RP_OK;
    if (r.inv && r.inv->nsecurity_groups &&
        !rp_det_inv_port_open(dc, r.inv, proto == 6 ? "tcp" : "udp", r.local_port))
        return RP_OK;
    struct key k;
    memset(&k, 0, sizeof k);
    memcpy(k.eni, r.who.eni, sizeof k.eni);
    k.port = (uint16_t)r.local_port;
    k.proto = (uint8_t)proto;
    void *el = NULL;
    bool created = false;
    e = rp_dfl_wtab_entry(s, &s->t, &k, r.start_ms, &el, &created, eb);
    if (e) return e;
    struct ent *x = el;
    if (!x) { /* table full: report this probe alone */
        struct ent one;
        memset(&one, 0, sizeof one);
        one.k = k;
        one.who = r.who;
        one.type = type_for(s, &r);
        fill(&one, &r, hit);
        return emit(s, &one, eb);
    }
    if (created) { /* new, or its window was emitted: start afresh */
        memset((char *)x + sizeof x->k, 0, sizeof *x - sizeof x->k);
        x->who = r.who;
        x->type = type_for(s, &r);
    }
    fill(x, &r, hit);
    return RP_OK;
}

const struct rp_detector rp_det_flow_portprobe = {
    .id = "flow.portprobe",
    .source = RP_DET_SRC_FLOW,
    .kind = RP_DET_SIGNATURE,
    .summary = "a listed scanner reaches a port of an instance that is open to the internet",
    .types = types,
    .ntypes = RP_ARRAY_LEN(types),
    .init = init,
    .event = event,
    .finish = rp_dfl_win_finish,
    .release = rp_dfl_win_release,
};
