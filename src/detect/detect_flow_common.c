/* SPDX-License-Identifier: Apache-2.0 */
/* Shared by the VPC Flow Logs detectors (detect_flow_*.c, detect_flow_common.h): a record
 * read from its interface's side (direction, who opened the connection, the instance), the
 * members every EC2 network finding shares, the bounded per-entity table the window detectors
 * keep their state in with the skeleton they share (sweeps, roll-over, finish, release), and a
 * small distinct-value set.
 *
 * Which side is the interface: the inventory's addresses of the ENI, else flow-direction,
 * else the private side of the record, checked against the address the interface showed
 * before. Who opened the connection: the TCP flags when they say (SYN without SYN-ACK opens,
 * SYN-ACK answers), else the lower port is the service and its peer the client. */
#define RP_LOG_MODULE "detect"
#include <stdlib.h>
#include <string.h>

#include "core/rp_hash.h"
#include "core/rp_log.h"
#include "detect/detect_flow_common.h"
#include "core/rp_banned.h"

/* ---- interfaces that forward traffic ------------------------------------------------------- */

enum eni_state { ENI_NEW, ENI_LEARN, ENI_INV, ENI_TRANSIT };

struct eni_key {
    char eni[RP_DFL_ID_SZ];
};

struct eni_ent {
    struct eni_key k;
    uint8_t state;            /* enum eni_state */
    uint8_t own_len;          /* 0 = not seen yet */
    char own[RP_IP_STRBUFSZ]; /* the address the interface uses, as written */
};

struct rp_dfl_enis {
    struct rp_dfl_map m;
};

rp_err rp_dfl_enis_new(struct rp_dfl_enis **out)
{
    *out = calloc(1, sizeof **out);
    if (!*out) return RP_ENOMEM;
    rp_dfl_map_init(&(*out)->m, sizeof(struct eni_key), sizeof(struct eni_ent), RP_DFL_MAX_ENIS);
    return RP_OK;
}

void rp_dfl_enis_free(struct rp_dfl_enis *t)
{
    if (!t) return;
    rp_dfl_map_release(&t->m);
    free(t);
}

static struct eni_ent *eni_get(struct rp_dfl_enis *t, struct rp_str eni, bool add)
{
    if (!t || !eni.p || !eni.len || eni.len >= RP_DFL_ID_SZ) return NULL;
    struct eni_key k;
    memset(&k, 0, sizeof k);
    memcpy(k.eni, eni.p, eni.len);
    if (!add) return rp_dfl_map_find(&t->m, &k);
    bool created = false;
    rp_err err = RP_OK;
    return rp_dfl_map_add(&t->m, &k, &created, &err);
}

/* The record's address text (canonical column, else as written). */
static struct rp_str addr_text(const struct rp_det_event *ev, bool src)
{
    struct rp_str s = rp_det_str(ev, src ? RP_FL_SRC_IP : RP_FL_DST_IP);
    return s.p ? s : rp_det_str(ev, src ? RP_FL_SRCADDR : RP_FL_DSTADDR);
}

static void own_set(struct eni_ent *e, struct rp_str a)
{
    if (!e || a.len >= sizeof e->own) return;
    memcpy(e->own, a.p, a.len);
    e->own[a.len] = '\0';
    e->own_len = (uint8_t)a.len;
}

static bool own_is(const struct eni_ent *e, struct rp_str a)
{
    return e && e->own_len && a.len == e->own_len && !memcmp(a.p, e->own, a.len);
}

/* Which of src/dst is the interface when the inventory does not know it: flow-direction,
 * else the address it used before, else the private side. 1 src, 2 dst, 0 cannot tell, -1 the
 * interface forwards other hosts' traffic (e, when known, remembers that). */
static int learn_side(struct eni_ent *e, struct rp_str dir, struct rp_str srct, struct rp_str dstt,
                      const struct rp_ip *src, const struct rp_ip *dst)
{
    if (e && e->state == ENI_TRANSIT) return -1;
    bool ps = rp_ip_is_private(src), pd = rp_ip_is_private(dst);
    int side = 0;
    if (rp_str_eq_cstr(dir, "egress"))
        side = 1;
    else if (rp_str_eq_cstr(dir, "ingress"))
        side = 2;
    if (side) {
        /* the interface's side public, the other a private IPv4 host: a NAT gateway's
         * records of that host's connection */
        const struct rp_ip *l = side == 1 ? src : dst, *r = side == 1 ? dst : src;
        if (l->family == RP_IP_V4 && r->family == RP_IP_V4 && !rp_ip_is_private(l) &&
            rp_ip_is_private(r)) {
            if (e) e->state = ENI_TRANSIT;
            return -1;
        }
        if (e && !e->own_len && rp_ip_is_private(l)) own_set(e, side == 1 ? srct : dstt);
        return side;
    }
    if (own_is(e, srct)) return 1;
    if (own_is(e, dstt)) return 2;
    if (ps == pd) return 0; /* both private or both public: cannot tell */
    if (e && e->own_len) {
        /* another private address on the private side: the interface forwards for it */
        e->state = ENI_TRANSIT;
        return -1;
    }
    own_set(e, ps ? srct : dstt);
    return ps ? 1 : 2;
}

void rp_dfl_observe(struct rp_det_ctx *dc, struct rp_dfl_enis *t, const struct rp_det_event *ev)
{
    struct rp_str st = rp_det_str(ev, RP_FL_LOG_STATUS);
    if (!t || (st.p && !rp_str_eq_cstr(st, "OK"))) return;
    struct rp_str eni = rp_det_str(ev, RP_FL_INTERFACE_ID);
    struct eni_ent *e = eni_get(t, eni, true);
    if (!e || e->state == ENI_TRANSIT || e->state == ENI_INV) return;
    if (e->state == ENI_NEW) e->state = rp_det_inv_eni(dc, eni) ? ENI_INV : ENI_LEARN;
    if (e->state == ENI_INV) return;
    struct rp_str srct = addr_text(ev, true), dstt = addr_text(ev, false);
    struct rp_str dir = rp_det_str(ev, RP_FL_FLOW_DIRECTION);
    if (!srct.p || !dstt.p) return;
    /* the usual case, without parsing: the interface's own address on its side */
    if (rp_str_eq_cstr(dir, "egress")    ? own_is(e, srct)
        : rp_str_eq_cstr(dir, "ingress") ? own_is(e, dstt)
                                         : (own_is(e, srct) || own_is(e, dstt)))
        return;
    struct rp_ip src, dst;
    if (rp_ip_parse(srct, &src, NULL) || rp_ip_parse(dstt, &dst, NULL)) return;
    (void)learn_side(e, dir, srct, dstt, &src, &dst);
}

/* ---- reading a record ---------------------------------------------------------------------- */

static bool copy_str(char *dst, size_t dstsz, struct rp_str s)
{
    if (!s.p || !s.len || s.len >= dstsz) return false;
    memcpy(dst, s.p, s.len);
    dst[s.len] = '\0';
    return true;
}

static bool copy_cstr(char *dst, size_t dstsz, const char *s)
{
    return s && copy_str(dst, dstsz, rp_str_from(s));
}

int64_t rp_dfl_start_ms(const struct rp_det_event *ev)
{
    return rp_det_has(ev, RP_FLI_START) ? rp_det_int(ev, RP_FLI_START, 0) * 1000 : ev->time_ms;
}

bool rp_dfl_tick(int64_t *now, int64_t *last, int64_t t)
{
    if (t > *now) *now = t;
    if (*last != INT64_MIN && *now - *last < RP_DFL_SWEEP_MS) return false;
    *last = *now;
    return true;
}

bool rp_dfl_addr(const struct rp_det_event *ev, bool src, struct rp_ip *ip)
{
    struct rp_str s = addr_text(ev, src);
    return s.p && rp_ip_parse(s, ip, NULL) == RP_OK;
}

static bool ip_is(const struct rp_ip *ip, const char *text)
{
    struct rp_ip x;
    return text && rp_ip_parse(rp_str_from(text), &x, NULL) == RP_OK && rp_ip_eq(ip, &x);
}

/* True when the record's source opened the connection. */
static bool src_opened(int proto, int flags, int sport, int dport)
{
    if (proto == 6 && flags >= 0) {
        if ((flags & 2) && !(flags & 16)) return true; /* SYN: the client's first packet */
        if ((flags & 18) == 18) return false;          /* SYN-ACK: the server's answer */
    }
    if (sport < 0 || dport < 0) return true;
    return dport <= sport; /* the lower port is the service */
}

bool rp_dfl_read(struct rp_det_ctx *dc, struct rp_dfl_enis *enis, const struct rp_det_event *ev,
                 struct rp_dfl_rec *r)
{
    struct rp_str st = rp_det_str(ev, RP_FL_LOG_STATUS);
    if (st.p && !rp_str_eq_cstr(st, "OK")) return false;
    struct rp_str eni = rp_det_str(ev, RP_FL_INTERFACE_ID);
    if (!eni.p || !eni.len || eni.len >= RP_DFL_ID_SZ) return false;
    struct rp_ip src, dst;
    if (!rp_dfl_addr(ev, true, &src) || !rp_dfl_addr(ev, false, &dst)) return false;

    memset(&r->who, 0, sizeof r->who);
    memcpy(r->who.eni, eni.p, eni.len);
    const struct rp_det_inv_eni *inv = rp_det_inv_eni(dc, eni);
    r->inv = inv;
    struct rp_str inst = rp_det_str(ev, RP_FL_INSTANCE_ID);
    if (inst.p && inst.len) {
        if (!copy_str(r->who.instance_id, sizeof r->who.instance_id, inst)) return false;
    } else if (inv) {
        /* known to the inventory without an instance: a NAT gateway, load balancer, Lambda or
         * endpoint interface; EC2 findings are about instances */
        if (!copy_cstr(r->who.instance_id, sizeof r->who.instance_id, inv->instance_id))
            return false;
    }
    struct rp_str acct = rp_det_str(ev, RP_FL_ACCOUNT);
    if (!acct.p || !acct.len) acct = rp_det_str(ev, RP_FL_ACCOUNT_ID);
    if (rp_str_eq_cstr(acct, "unknown")) acct = (struct rp_str){NULL, 0};
    if (!copy_str(r->who.account, sizeof r->who.account, acct) &&
        !(inv && copy_cstr(r->who.account, sizeof r->who.account, inv->account)))
        return false;
    if (!copy_str(r->who.region, sizeof r->who.region, rp_det_str(ev, RP_FL_REGION)) &&
        !(inv && copy_cstr(r->who.region, sizeof r->who.region, inv->region)))
        return false;

    struct rp_str dir = rp_det_str(ev, RP_FL_FLOW_DIRECTION);
    int side = 0;
    if (inv) {
        if (ip_is(&src, inv->private_ip) || ip_is(&src, inv->public_ip))
            side = 1;
        else if (ip_is(&dst, inv->private_ip) || ip_is(&dst, inv->public_ip))
            side = 2;
        /* another address of the interface (IPv6, a secondary address) */
        else if (rp_str_eq_cstr(dir, "egress"))
            side = 1;
        else if (rp_str_eq_cstr(dir, "ingress"))
            side = 2;
        else
            side = -1; /* neither side is the interface: forwarded traffic */
    } else {
        side = learn_side(eni_get(enis, eni, true), dir, addr_text(ev, true), addr_text(ev, false),
                          &src, &dst);
    }
    if (side <= 0) return false;
    r->outbound = side == 1;
    r->local = r->outbound ? src : dst;
    r->remote = r->outbound ? dst : src;
    if (rp_ip_format(&r->local, r->who.local_ip, sizeof r->who.local_ip) ||
        rp_ip_format(&r->remote, r->remote_ip, sizeof r->remote_ip))
        return false;
    r->remote_public = rp_ip_is_public(&r->remote);
    r->reject = rp_str_eq_cstr(rp_det_str(ev, RP_FL_ACTION), "REJECT");
    r->protocol = (int)rp_det_int(ev, RP_FLI_PROTOCOL, -1);
    int sport = (int)rp_det_int(ev, RP_FLI_SRCPORT, -1);
    int dport = (int)rp_det_int(ev, RP_FLI_DSTPORT, -1);
    r->local_port = r->outbound ? sport : dport;
    r->remote_port = r->outbound ? dport : sport;
    r->tcp_flags = (int)rp_det_int(ev, RP_FLI_TCP_FLAGS, -1);
    r->local_init = src_opened(r->protocol, r->tcp_flags, sport, dport) == r->outbound;
    r->packets = rp_det_int(ev, RP_FLI_PACKETS, 0);
    r->bytes = rp_det_int(ev, RP_FLI_BYTES, 0);
    r->start_ms = rp_dfl_start_ms(ev);
    r->end_ms = rp_det_has(ev, RP_FLI_END) ? rp_det_int(ev, RP_FLI_END, 0) * 1000 : r->start_ms;
    if (r->end_ms < r->start_ms) r->end_ms = r->start_ms;
    return true;
}

const char *rp_dfl_proto_name(int protocol)
{
    switch (protocol) {
    case 1:
        return "ICMP";
    case 2:
        return "IGMP";
    case 6:
        return "TCP";
    case 17:
        return "UDP";
    case 47:
        return "GRE";
    case 50:
        return "ESP";
    case 51:
        return "AH";
    case 58:
        return "ICMPV6";
    case 132:
        return "SCTP";
    default:
        return NULL;
    }
}

const char *rp_dfl_resource(const struct rp_dfl_who *w)
{
    return w->instance_id[0] ? w->instance_id : w->eni;
}

void rp_dfl_finding(struct rp_det_finding *f, const char *type, const struct rp_dfl_who *w)
{
    rp_det_finding_init(f);
    f->type = type;
    f->account = w->account;
    f->region = w->region;
    f->res = RP_DET_RES_INSTANCE;
    f->resource_id = rp_dfl_resource(w);
    f->instance_id = w->instance_id[0] ? w->instance_id : NULL;
    f->eni = w->eni;
    f->action = RP_DET_ACT_NETWORK_CONNECTION;
    f->local_ip = w->local_ip[0] ? w->local_ip : NULL;
}

/* ---- bounded table ------------------------------------------------------------------------- */

void rp_dfl_map_init(struct rp_dfl_map *m, size_t ksize, size_t esize, size_t cap)
{
    memset(m, 0, sizeof *m);
    m->ksize = ksize;
    m->esize = esize;
    m->cap = cap;
    /* a per-table seed: keys hold addresses an outsider chooses */
    uintptr_t a = (uintptr_t)m;
    m->seed = rp_hash_xxh3_64(&a, sizeof a, 0x666c6f77u);
}

void rp_dfl_map_release(struct rp_dfl_map *m)
{
    free(m->e);
    free(m->slot);
    m->e = NULL;
    m->slot = NULL;
    m->n = m->alloc = m->nslot = 0;
}

static size_t slot_of(const struct rp_dfl_map *m, const void *key)
{
    return (size_t)rp_hash_xxh3_64(key, m->ksize, m->seed) & (m->nslot - 1);
}

static void reindex(struct rp_dfl_map *m)
{
    memset(m->slot, 0, m->nslot * sizeof *m->slot);
    for (size_t i = 0; i < m->n; i++) {
        size_t h = slot_of(m, m->e + i * m->esize);
        while (m->slot[h]) h = (h + 1) & (m->nslot - 1);
        m->slot[h] = (uint32_t)i + 1;
    }
}

static rp_err grow(struct rp_dfl_map *m)
{
    size_t alloc = m->alloc ? m->alloc * 2 : 64;
    if (alloc > m->cap) alloc = m->cap;
    size_t nslot = 16;
    while (nslot < alloc * 2) nslot *= 2;
    unsigned char *e = realloc(m->e, alloc * m->esize);
    if (!e) return RP_ENOMEM;
    m->e = e;
    uint32_t *slot = calloc(nslot, sizeof *slot);
    if (!slot) return RP_ENOMEM;
    free(m->slot);
    m->slot = slot;
    m->nslot = nslot;
    m->alloc = alloc;
    reindex(m);
    return RP_OK;
}

void *rp_dfl_map_find(struct rp_dfl_map *m, const void *key)
{
    if (!m->n) return NULL;
    for (size_t h = slot_of(m, key); m->slot[h]; h = (h + 1) & (m->nslot - 1)) {
        unsigned char *e = m->e + (size_t)(m->slot[h] - 1) * m->esize;
        if (!memcmp(e, key, m->ksize)) return e;
    }
    return NULL;
}

void *rp_dfl_map_add(struct rp_dfl_map *m, const void *key, bool *created, rp_err *err)
{
    *created = false;
    void *found = rp_dfl_map_find(m, key);
    if (found) return found;
    if (m->n >= m->cap) {
        m->dropped++;
        return NULL;
    }
    if (m->n == m->alloc) {
        rp_err e = grow(m);
        if (e) {
            *err = e;
            return NULL;
        }
    }
    unsigned char *e = m->e + m->n * m->esize;
    memset(e, 0, m->esize);
    memcpy(e, key, m->ksize);
    size_t h = slot_of(m, key);
    while (m->slot[h]) h = (h + 1) & (m->nslot - 1);
    m->slot[h] = (uint32_t)m->n + 1;
    m->n++;
    *created = true;
    return e;
}

rp_err rp_dfl_map_sweep(struct rp_dfl_map *m,
                        rp_err (*fn)(void *ctx, void *entry, bool *remove, struct rp_errbuf *eb),
                        void *ctx, struct rp_errbuf *eb)
{
    size_t j = 0;
    rp_err err = RP_OK;
    for (size_t i = 0; i < m->n; i++) {
        unsigned char *e = m->e + i * m->esize;
        bool remove = false;
        if (!err) err = fn(ctx, e, &remove, eb);
        if (remove) continue;
        if (j != i) memmove(m->e + j * m->esize, e, m->esize);
        j++;
    }
    if (j != m->n) {
        m->n = j;
        reindex(m);
    }
    return err;
}

/* ---- small set ------------------------------------------------------------------------------ */

int rp_dfl_set_add(struct rp_dfl_set *s, uint32_t v, uint32_t max)
{
    uint32_t *p = s->heap ? s->heap : s->in;
    for (uint32_t i = 0; i < s->n; i++)
        if (p[i] == v) return 0;
    if (s->n >= max) return 0;
    uint32_t cap = s->heap ? s->cap : RP_DFL_SET_INLINE;
    if (s->n == cap) {
        uint32_t ncap = cap * 2 < max ? cap * 2 : max;
        uint32_t *h = realloc(s->heap, ncap * sizeof *h);
        if (!h) return -1;
        if (!s->heap) memcpy(h, s->in, s->n * sizeof *h);
        s->heap = h;
        s->cap = ncap;
        p = h;
    }
    p[s->n++] = v;
    return 1;
}

void rp_dfl_set_release(struct rp_dfl_set *s)
{
    free(s->heap);
    memset(s, 0, sizeof *s);
}

void rp_dfl_map_release_sets(struct rp_dfl_map *m, size_t off)
{
    for (size_t i = 0; i < m->n; i++)
        rp_dfl_set_release((struct rp_dfl_set *)(void *)(m->e + i * m->esize + off));
}

uint32_t rp_dfl_ip32(const struct rp_ip *ip)
{
    struct rp_ip u;
    rp_ip_unmap(ip, &u);
    if (u.family == RP_IP_V4) return rp_ip_v4_value(&u);
    return (uint32_t)rp_hash_xxh3_64(u.b, sizeof u.b, 0);
}

void rp_dfl_conn_finding(struct rp_det_finding *f, const char *type, const struct rp_dfl_who *w,
                         bool actor, const char *protocol, const char *remote_ip, int64_t first_ms,
                         int64_t last_ms, uint64_t count)
{
    rp_dfl_finding(f, type, w);
    f->first_ms = first_ms;
    f->last_ms = last_ms;
    f->count = count;
    f->direction = actor ? "OUTBOUND" : "INBOUND";
    f->protocol = protocol;
    f->remote_ip = remote_ip;
    f->resource_role = actor ? "ACTOR" : "TARGET";
}

/* ---- window detector skeleton -------------------------------------------------------------- */

void rp_dfl_wtab_init(struct rp_dfl_wtab *t, size_t ksize, size_t esize, size_t cap,
                      int64_t window_ms, size_t start_off, rp_dfl_close_fn close)
{
    rp_dfl_map_init(&t->m, ksize, esize, cap);
    t->window_ms = window_ms;
    t->start_off = start_off;
    t->close = close;
}

static int64_t wtab_start(const struct rp_dfl_wtab *t, const void *entry)
{
    int64_t v;
    memcpy(&v, (const char *)entry + t->start_off, sizeof v);
    return v;
}

rp_err rp_dfl_win_new(struct rp_det_ctx *dc, const char *id, const char *what, size_t size,
                      void **out, struct rp_errbuf *eb)
{
    struct rp_dfl_win *w = calloc(1, size);
    if (!w || rp_dfl_enis_new(&w->enis)) {
        free(w);
        return rp_fail(eb, RP_ENOMEM, "%s: out of memory", id);
    }
    w->id = id;
    w->what = what;
    w->dc = dc;
    w->last_sweep = INT64_MIN;
    *out = w;
    return RP_OK;
}

struct wtab_sweep {
    struct rp_dfl_win *w;
    struct rp_dfl_wtab *t;
};

static rp_err wtab_sweep_fn(void *ctx, void *entry, bool *remove, struct rp_errbuf *eb)
{
    const struct wtab_sweep *c = ctx;
    if (!c->w->flush && c->w->now < wtab_start(c->t, entry) + c->t->window_ms) return RP_OK;
    *remove = true;
    return c->t->close(c->w, entry, eb);
}

rp_err rp_dfl_wtab_sweep(struct rp_dfl_win *w, struct rp_dfl_wtab *t, struct rp_errbuf *eb)
{
    struct wtab_sweep c = {w, t};
    return rp_dfl_map_sweep(&t->m, wtab_sweep_fn, &c, eb);
}

rp_err rp_dfl_wtab_entry(struct rp_dfl_win *w, struct rp_dfl_wtab *t, const void *key,
                         int64_t start_ms, void **out, bool *created, struct rp_errbuf *eb)
{
    *out = NULL;
    *created = false;
    rp_err err = RP_OK;
    void *x = rp_dfl_map_add(&t->m, key, created, &err);
    if (!x) return err ? rp_fail(eb, err, "%s: out of memory", w->id) : RP_OK;
    if (!*created && start_ms >= wtab_start(t, x) + t->window_ms) {
        rp_err e = t->close(w, x, eb);
        if (e) return e;
        *created = true;
    }
    *out = x;
    return RP_OK;
}

rp_err rp_dfl_win_tick(struct rp_dfl_win *w, const struct rp_det_event *ev, struct rp_errbuf *eb)
{
    if (!rp_dfl_tick(&w->now, &w->last_sweep, rp_dfl_start_ms(ev))) return RP_OK;
    return rp_dfl_wtab_sweep(w, &w->t, eb);
}

rp_err rp_dfl_win_finish(struct rp_det_ctx *dc, void *state, struct rp_errbuf *eb)
{
    (void)dc;
    struct rp_dfl_win *w = state;
    w->flush = true;
    rp_err e = rp_dfl_wtab_sweep(w, &w->t, eb);
    if (w->what && w->t.m.dropped)
        RP_LOG_WARN("%s: %llu %s of untracked peers (table cap %zu)", w->id,
                    (unsigned long long)w->t.m.dropped, w->what, w->t.m.cap);
    return e;
}

void rp_dfl_win_release(void *state)
{
    struct rp_dfl_win *w = state;
    if (!w) return;
    rp_dfl_map_release(&w->t.m);
    rp_dfl_enis_free(w->enis);
    free(w);
}
