/* SPDX-License-Identifier: Apache-2.0 */
/* flow.bruteforce: password guessing over SSH (22), RDP (3389) and WinRM (5985/5986) seen in
 * VPC Flow Logs (aws-facts §4.3, §4.10): many short accepted sessions between one outside
 * address and the instance. Inbound, the instance is the TARGET (Low); outbound, it is the
 * ACTOR attacking others (High). Window detector over the session-opening records (the side
 * that connected to the service port; the service's answers are the same sessions).
 *
 * Only accepted sessions count (a REJECTed connection never reached the login prompt), and
 * only with public remote addresses: configuration management (Ansible, deploy tools) opens
 * many short SSH sessions inside the estate every day. Trusted addresses never count.
 * Memory: at most RP_BRUTE_MAX_ENTITIES entries of about 190 bytes; past that, new
 * (interface, remote, service) triples are not tracked (counted, logged at the end). */
#define RP_LOG_MODULE "detect"
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "detect/detect_flow_common.h"
#include "core/rp_banned.h"

/* GuardDuty does not publish its thresholds; these are ours. A session is short when its
 * record is at most RP_BRUTE_MAX_PACKETS packets and RP_BRUTE_MAX_SECONDS long (a failed
 * login is a handshake, a key exchange and a few attempts: 10-40 packets in seconds; an admin
 * session lasts minutes). A brute force is RP_BRUTE_MIN_SESSIONS such sessions between one
 * remote address and the interface within RP_BRUTE_WINDOW_MS. */
#define RP_BRUTE_MAX_PACKETS  60
#define RP_BRUTE_MAX_SECONDS  30
#define RP_BRUTE_MIN_SESSIONS 50
#define RP_BRUTE_WINDOW_MS    (30 * 60 * 1000LL)
#define RP_BRUTE_MAX_ENTITIES 16384
#define RP_BRUTE_ACTOR_SEV    8.0 /* aws-facts §4.3: High when the instance is the attacker */

static const char SSH[] = "UnauthorizedAccess:EC2/SSHBruteForce";
static const char RDP[] = "UnauthorizedAccess:EC2/RDPBruteForce";
static const char WINRM[] = "Impact:EC2/WinRMBruteForce";

static const struct rp_det_type types[] = {
    {SSH, 2.0, "SSH brute force attack involving EC2 instance %s",
     "EC2 instance %s is involved in SSH brute force: many short SSH sessions with one remote "
     "address. When the instance is the target, check that its SSH is not open to the world; "
     "when it is the actor, it may be compromised."},
    {RDP, 2.0, "RDP brute force attack involving EC2 instance %s",
     "EC2 instance %s is involved in RDP brute force: many short Remote Desktop sessions with "
     "one remote address, guessing passwords."},
    {WINRM, 2.0, "WinRM brute force attack involving EC2 instance %s",
     "EC2 instance %s is involved in WinRM brute force: many short Windows Remote Management "
     "sessions with one remote address, guessing credentials."},
};

/* The services, by port (aws-facts §4.3: SSH on 22 only; RDP 3389; WinRM 5985 and 5986). */
static const struct {
    int port;
    const char *type;
} services[] = {{22, SSH}, {3389, RDP}, {5985, WINRM}, {5986, WINRM}};

struct key {
    char eni[RP_DFL_ID_SZ];
    struct rp_ip remote;
    uint8_t actor;
    uint8_t service; /* index in services[] of the first port seen (WinRM: one of two) */
    uint8_t pad[5];
};

struct ent {
    struct key k;
    struct rp_dfl_who who;
    int local_port, remote_port;
    int64_t first_ms, last_ms;
    uint64_t count;
};

static int service_of(int port)
{
    for (size_t i = 0; i < RP_ARRAY_LEN(services); i++)
        if (services[i].port == port) return (int)i;
    return -1;
}

static rp_err close_ent(void *state, void *entry, struct rp_errbuf *eb);

static rp_err init(struct rp_det_ctx *dc, void **out, struct rp_errbuf *eb)
{
    rp_err e =
        rp_dfl_win_new(dc, "flow.bruteforce", "sessions", sizeof(struct rp_dfl_win), out, eb);
    if (e) return e;
    rp_dfl_wtab_init(&((struct rp_dfl_win *)*out)->t, sizeof(struct key), sizeof(struct ent),
                     RP_BRUTE_MAX_ENTITIES, RP_BRUTE_WINDOW_MS, offsetof(struct ent, first_ms),
                     close_ent);
    return RP_OK;
}

static rp_err close_ent(void *state, void *entry, struct rp_errbuf *eb)
{
    struct rp_dfl_win *s = state;
    const struct ent *x = entry;
    if (x->count < RP_BRUTE_MIN_SESSIONS) return RP_OK;
    char remote[RP_IP_STRBUFSZ];
    if (rp_ip_format(&x->k.remote, remote, sizeof remote)) return RP_OK;
    struct rp_det_finding f;
    rp_dfl_conn_finding(&f, services[x->k.service].type, &x->who, x->k.actor, "TCP", remote,
                        x->first_ms, x->last_ms, x->count);
    /* a target: one finding per attacker; an actor: one finding for the instance */
    f.evidence_key = x->k.actor ? NULL : remote;
    f.severity = x->k.actor ? RP_BRUTE_ACTOR_SEV : 0;
    f.local_port = x->local_port;
    f.remote_port = x->remote_port;
    return rp_det_emit(s->dc, &f, eb);
}

static rp_err event(struct rp_det_ctx *dc, void *state, const struct rp_det_event *ev,
                    struct rp_errbuf *eb)
{
    struct rp_dfl_win *s = state;
    rp_dfl_observe(dc, s->enis, ev);
    /* cheap checks first: TCP, a service port, accepted, short */
    if (rp_det_int(ev, RP_FLI_PROTOCOL, -1) != 6) return RP_OK;
    int sp = (int)rp_det_int(ev, RP_FLI_SRCPORT, -1), dp = (int)rp_det_int(ev, RP_FLI_DSTPORT, -1);
    if (service_of(sp) < 0 && service_of(dp) < 0) return RP_OK;
    rp_err e = rp_dfl_win_tick(s, ev, eb);
    if (e) return e;
    int64_t pk = rp_det_int(ev, RP_FLI_PACKETS, 0);
    if (pk < 1 || pk > RP_BRUTE_MAX_PACKETS) return RP_OK;
    struct rp_dfl_rec r;
    if (!rp_dfl_read(dc, s->enis, ev, &r)) return RP_OK;
    if (r.reject || !r.remote_public) return RP_OK;
    if (r.end_ms - r.start_ms > RP_BRUTE_MAX_SECONDS * 1000LL) return RP_OK;
    /* the session-opening record: to the instance's service (target), or from the instance
     * to a remote service (actor) */
    int svc = -1;
    bool actor = false;
    if (!r.outbound && !r.local_init) {
        svc = service_of(r.local_port);
    } else if (r.outbound && r.local_init) {
        svc = service_of(r.remote_port);
        actor = true;
    }
    if (svc < 0) return RP_OK;
    if (rp_det_ti_trusted(dc, &r.remote)) return RP_OK;
    struct key k;
    memset(&k, 0, sizeof k);
    memcpy(k.eni, r.who.eni, sizeof k.eni);
    k.remote = r.remote;
    k.actor = actor;
    k.service = (uint8_t)(services[svc].type == WINRM ? service_of(5985) : svc);
    void *el = NULL;
    bool created = false;
    e = rp_dfl_wtab_entry(s, &s->t, &k, r.start_ms, &el, &created, eb);
    if (!el) return e;
    struct ent *x = el;
    if (created) {
        x->who = r.who;
        x->local_port = r.local_port;
        x->remote_port = r.remote_port;
        x->first_ms = r.start_ms;
        x->last_ms = r.end_ms;
        x->count = 0;
    }
    if (r.end_ms > x->last_ms) x->last_ms = r.end_ms;
    x->count++;
    return RP_OK;
}

const struct rp_detector rp_det_flow_bruteforce = {
    .id = "flow.bruteforce",
    .source = RP_DET_SRC_FLOW,
    .kind = RP_DET_WINDOW,
    .summary = "many short SSH, RDP or WinRM sessions between an instance and one remote host",
    .types = types,
    .ntypes = RP_ARRAY_LEN(types),
    .init = init,
    .event = event,
    .finish = rp_dfl_win_finish,
    .release = rp_dfl_win_release,
};
