/* SPDX-License-Identifier: Apache-2.0 */
/* flow.spambot: an instance that suddenly talks SMTP to many mail servers
 * (Backdoor:EC2/Spambot, aws-facts §4.3), from VPC Flow Logs. Window detector per interface:
 * the distinct public addresses the instance opened accepted SMTP sessions to (ports 25, 465,
 * 587) within RP_SPAM_WINDOW_MS.
 *
 * GuardDuty raises it for instances with no history of SMTP. A mail server sends to many
 * servers every day; so an interface whose ordinary (below threshold) SMTP activity was seen
 * at least RP_SPAM_HISTORY_MS before a burst has a history, and the burst raises nothing. The
 * history is what this run read (detection state does not persist for this detector).
 * Memory: at most RP_SPAM_MAX_ENTITIES windows of about 240 bytes plus 4 bytes per distinct
 * server (capped at the threshold), and as many history entries of 48 bytes; interfaces past
 * the caps are not tracked (counted, logged at the end). */
#define RP_LOG_MODULE "detect"
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "core/rp_log.h"
#include "detect/detect_flow_common.h"
#include "core/rp_banned.h"

/* GuardDuty does not publish its thresholds; these are ours. */
#define RP_SPAM_MIN_SERVERS  25                      /* distinct mail servers in a window */
#define RP_SPAM_WINDOW_MS    (60 * 60 * 1000LL)      /* one hour */
#define RP_SPAM_HISTORY_MS   (24 * 60 * 60 * 1000LL) /* ordinary SMTP a day before: history */
#define RP_SPAM_MAX_ENTITIES 16384

static const char SPAMBOT[] = "Backdoor:EC2/Spambot";

static const struct rp_det_type types[] = {
    {SPAMBOT, 5.0, "EC2 instance %s is behaving in a manner that may indicate it is sending spam",
     "EC2 instance %s, which had no history of SMTP, is opening mail sessions to many remote "
     "mail servers. It may be compromised and sending spam."},
};

/* SMTP, SMTPS (implicit TLS) and submission (RFC 8314, RFC 6409). */
static const int smtp_ports[] = {25, 465, 587};

struct key {
    char eni[RP_DFL_ID_SZ];
};

struct ent {
    struct key k;
    struct rp_dfl_who who;
    char first_remote[RP_IP_STRBUFSZ];
    int remote_port;
    int64_t first_ms, last_ms;
    uint64_t count;
    struct rp_dfl_set servers;
};

struct hist {
    struct key k;
    int64_t quiet_ms; /* start of the first window of ordinary SMTP, 0 = none */
};

struct state {
    struct rp_dfl_win w; /* w.m: the windows (struct ent) */
    struct rp_dfl_map h;
};

static bool is_smtp(int port)
{
    for (size_t i = 0; i < RP_ARRAY_LEN(smtp_ports); i++)
        if (smtp_ports[i] == port) return true;
    return false;
}

static rp_err end_ent(void *state, void *entry, struct rp_errbuf *eb);

static rp_err init(struct rp_det_ctx *dc, void **out, struct rp_errbuf *eb)
{
    rp_err e = rp_dfl_win_new(dc, "flow.spambot", NULL, sizeof(struct state), out, eb);
    if (e) return e;
    struct state *s = *out;
    rp_dfl_wtab_init(&s->w.t, sizeof(struct key), sizeof(struct ent), RP_SPAM_MAX_ENTITIES,
                     RP_SPAM_WINDOW_MS, offsetof(struct ent, first_ms), end_ent);
    rp_dfl_map_init(&s->h, sizeof(struct key), sizeof(struct hist), RP_SPAM_MAX_ENTITIES);
    return RP_OK;
}

static rp_err close_ent(struct state *s, struct ent *x, struct rp_errbuf *eb)
{
    bool created = false;
    rp_err err = RP_OK;
    struct hist *h = rp_dfl_map_add(&s->h, &x->k, &created, &err);
    if (err) return rp_fail(eb, err, "flow.spambot: out of memory");
    if (x->servers.n < RP_SPAM_MIN_SERVERS) {
        /* ordinary mail: remember when the interface started sending it */
        if (h && (!h->quiet_ms || x->first_ms < h->quiet_ms)) h->quiet_ms = x->first_ms;
        return RP_OK;
    }
    if (h && h->quiet_ms && h->quiet_ms + RP_SPAM_HISTORY_MS <= x->first_ms) return RP_OK;
    struct rp_det_finding f;
    rp_dfl_conn_finding(&f, SPAMBOT, &x->who, true, "TCP", x->first_remote, x->first_ms, x->last_ms,
                        x->count);
    f.remote_port = x->remote_port;
    return rp_det_emit(s->w.dc, &f, eb);
}

/* The window's close (rp_dfl_close_fn). close_ent may grow the history table, not the
 * windows' table: entry stays valid. */
static rp_err end_ent(void *state, void *entry, struct rp_errbuf *eb)
{
    struct ent *x = entry;
    rp_err e = close_ent(state, x, eb);
    rp_dfl_set_release(&x->servers);
    return e;
}

static rp_err event(struct rp_det_ctx *dc, void *state, const struct rp_det_event *ev,
                    struct rp_errbuf *eb)
{
    struct state *s = state;
    rp_dfl_observe(dc, s->w.enis, ev);
    if (rp_det_int(ev, RP_FLI_PROTOCOL, -1) != 6) return RP_OK;
    if (!is_smtp((int)rp_det_int(ev, RP_FLI_DSTPORT, -1))) return RP_OK;
    rp_err e = rp_dfl_win_tick(&s->w, ev, eb);
    if (e) return e;
    struct rp_dfl_rec r;
    if (!rp_dfl_read(dc, s->w.enis, ev, &r)) return RP_OK;
    if (!r.outbound || !r.local_init || r.reject || !r.remote_public) return RP_OK;
    if (rp_det_ti_trusted(dc, &r.remote)) return RP_OK;
    struct key k;
    memset(&k, 0, sizeof k);
    memcpy(k.eni, r.who.eni, sizeof k.eni);
    void *el = NULL;
    bool created = false;
    e = rp_dfl_wtab_entry(&s->w, &s->w.t, &k, r.start_ms, &el, &created, eb);
    if (!el) return e;
    struct ent *x = el;
    if (created) {
        x->who = r.who;
        memcpy(x->first_remote, r.remote_ip, sizeof x->first_remote);
        x->remote_port = r.remote_port;
        x->first_ms = r.start_ms;
        x->last_ms = r.end_ms;
        x->count = 0;
    }
    if (r.end_ms > x->last_ms) x->last_ms = r.end_ms;
    x->count++;
    if (rp_dfl_set_add(&x->servers, rp_dfl_ip32(&r.remote), RP_SPAM_MIN_SERVERS) < 0)
        return rp_fail(eb, RP_ENOMEM, "flow.spambot: out of memory");
    return RP_OK;
}

static rp_err finish(struct rp_det_ctx *dc, void *state, struct rp_errbuf *eb)
{
    struct state *s = state;
    rp_err e = rp_dfl_win_finish(dc, &s->w, eb);
    if (s->w.t.m.dropped || s->h.dropped)
        RP_LOG_WARN("flow.spambot: %llu sessions of untracked interfaces (table cap %d)",
                    (unsigned long long)(s->w.t.m.dropped + s->h.dropped), RP_SPAM_MAX_ENTITIES);
    return e;
}

static void release(void *state)
{
    struct state *s = state;
    if (!s) return;
    rp_dfl_map_release_sets(&s->w.t.m, offsetof(struct ent, servers));
    rp_dfl_map_release(&s->h);
    rp_dfl_win_release(s);
}

const struct rp_detector rp_det_flow_spambot = {
    .id = "flow.spambot",
    .source = RP_DET_SRC_FLOW,
    .kind = RP_DET_WINDOW,
    .summary = "an instance without SMTP history opens mail sessions to many servers",
    .types = types,
    .ntypes = RP_ARRAY_LEN(types),
    .init = init,
    .event = event,
    .finish = finish,
    .release = release,
};
