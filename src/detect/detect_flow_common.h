/* SPDX-License-Identifier: Apache-2.0 */
/* Private to the VPC Flow Logs detectors (detect_flow_*.c): reading one flow-log record as the
 * monitored interface sees it (which side is the interface, which side opened the
 * connection, the instance it belongs to), the finding members every EC2 network finding
 * shares, a bounded hash table of per-entity window state, the skeleton window detectors share
 * (state, periodic sweep, window roll-over, finish, release) and a small set of distinct values.
 *
 * The monitored side of a record is its interface (interface-id). Its own addresses come from
 * the inventory (rp_det_inv_eni), else flow-direction decides, else the private side of the
 * record (and what the interface showed before) does. Interfaces that are not an instance's
 * (a NAT gateway, a load balancer, a Lambda or endpoint ENI: the inventory knows them without
 * an instance) and interfaces that forward other hosts' traffic (records whose addresses are
 * both someone else's) are skipped: EC2 findings are about instances, and a NAT gateway's
 * four records per connection must not raise a second finding.
 *
 * Single-threaded, like a run. */
#ifndef RP_DETECT_FLOW_COMMON_H
#define RP_DETECT_FLOW_COMMON_H

#include "detect/detect_internal.h"

#define RP_DFL_ID_SZ     32 /* "eni-" + 17 hex, "i-" + 17 hex, with room */
#define RP_DFL_ACCT_SZ   16 /* 12 digits */
#define RP_DFL_REGION_SZ 32 /* "ap-southeast-3" */

/* How often (in event time) window detectors close the windows that ended. */
#define RP_DFL_SWEEP_MS (60 * 1000LL)

/* Advance the event clock *now to t (it never goes back) and say whether a sweep of ended
 * windows is due (RP_DFL_SWEEP_MS since *last, which is then set; *last == INT64_MIN at the
 * start). */
bool rp_dfl_tick(int64_t *now, int64_t *last, int64_t t);

/* Records that carry more than this many packets are connections, not probes: a SYN probe is
 * one packet, a connect() probe two or three (SYN, ACK, RST). Used by the scan detectors. */
#define RP_DFL_PROBE_MAX_PACKETS 3

/* Who a finding is about: the interface, its instance, where it lives. */
struct rp_dfl_who {
    char eni[RP_DFL_ID_SZ];
    char instance_id[RP_DFL_ID_SZ]; /* "" when unknown (the resource is then the ENI) */
    char account[RP_DFL_ACCT_SZ];
    char region[RP_DFL_REGION_SZ];
    char local_ip[RP_IP_STRBUFSZ]; /* the interface's address in the record */
};

/* One record from the interface's side. */
struct rp_dfl_rec {
    struct rp_dfl_who who;
    const struct rp_det_inv_eni *inv; /* NULL when the inventory does not know the ENI */
    struct rp_ip local, remote;
    char remote_ip[RP_IP_STRBUFSZ];
    bool outbound;               /* the packets left the interface (srcaddr is the interface) */
    bool local_init;             /* the interface's side opened the connection (it is the client) */
    bool reject;                 /* action REJECT */
    bool remote_public;          /* rp_ip_is_public(remote) */
    int protocol;                /* IANA number, -1 when absent */
    int local_port, remote_port; /* -1 when absent */
    int tcp_flags;               /* -1 when absent */
    int64_t packets, bytes;
    int64_t start_ms, end_ms; /* start/end of the record (start*1000, else the event time) */
};

/* ---- interfaces that forward traffic (no inventory, no instance id) ---------------------- */

/* What the records of an interface the inventory does not know showed: the address it uses,
 * and whether it forwards other hosts' traffic (a NAT gateway's interface carries records of
 * its VPC's instances whose addresses are not its own). Up to RP_DFL_MAX_ENIS interfaces of
 * about 100 bytes; past that, new interfaces are not learned (their records are read from
 * flow-direction or the private side alone). */
#define RP_DFL_MAX_ENIS 16384

struct rp_dfl_enis;

rp_err rp_dfl_enis_new(struct rp_dfl_enis **out) RP_WUR;
void rp_dfl_enis_free(struct rp_dfl_enis *t); /* NULL is a no-op */

/* Learn from ev (every record of the source: call it before any other check, so that the
 * interfaces are learnt from all their traffic, not only from records a detector reads). Does
 * little for an interface already known: a lookup and a comparison of addresses as text. */
void rp_dfl_observe(struct rp_det_ctx *dc, struct rp_dfl_enis *t, const struct rp_det_event *ev);

/* ---- reading a record ---------------------------------------------------------------------- */

/* The record's start in ms (RP_FLI_START * 1000, else the event time). */
int64_t rp_dfl_start_ms(const struct rp_det_event *ev);

/* Read ev from its interface's side into r. False (r unspecified) for NODATA/SKIPDATA rows,
 * records without interface or addresses, records of interfaces that belong to no instance
 * or that forward traffic, records whose interface side cannot be told, and records whose
 * account or region is unknown. enis (may be NULL) learns interfaces the inventory and the
 * record do not describe. */
bool rp_dfl_read(struct rp_det_ctx *dc, struct rp_dfl_enis *enis, const struct rp_det_event *ev,
                 struct rp_dfl_rec *r);

/* The source or destination address of ev (the canonical rp_*_ip column, else as written)
 * parsed into *ip. False when absent or not an address. */
bool rp_dfl_addr(const struct rp_det_event *ev, bool src, struct rp_ip *ip);

/* "TCP", "UDP", "ICMP", "ICMPV6", "IGMP", "GRE", "ESP", "AH", "SCTP", or NULL. */
const char *rp_dfl_proto_name(int protocol);

/* The finding's resource id: the instance, else the ENI. */
const char *rp_dfl_resource(const struct rp_dfl_who *w);

/* Start a finding of type about w (f is initialised here): account, region, the instance
 * resource (instance id, ENI), a NETWORK_CONNECTION action with w's local address. The strings
 * stay w's. */
void rp_dfl_finding(struct rp_det_finding *f, const char *type, const struct rp_dfl_who *w);

/* rp_dfl_finding for a window of connections with remote_ip: first_ms, last_ms and count,
 * the protocol, and Direction OUTBOUND with ResourceRole ACTOR when the instance is the actor,
 * else INBOUND and TARGET. The strings stay the caller's. */
void rp_dfl_conn_finding(struct rp_det_finding *f, const char *type, const struct rp_dfl_who *w,
                         bool actor, const char *protocol, const char *remote_ip, int64_t first_ms,
                         int64_t last_ms, uint64_t count);

/* ---- bounded table of per-entity state ----------------------------------------------------- */

/* Up to cap entries of esize bytes each; an entry starts with its key (ksize bytes, compared
 * as bytes: zero the key's padding). Entries are kept densely in insertion order, indexed by
 * open addressing over an XXH3 of the key. Past cap a new key is refused and counted in
 * dropped. Memory: esize bytes per entry plus 8 bytes of index per entry, grown by doubling.
 * Pointers to entries are valid until the next add or sweep. */
struct rp_dfl_map {
    size_t ksize, esize, cap;
    size_t n, alloc;
    unsigned char *e;
    uint32_t *slot; /* entry index + 1, 0 = empty */
    size_t nslot;   /* power of two >= 2 * alloc */
    uint64_t seed;
    uint64_t dropped;
};

void rp_dfl_map_init(struct rp_dfl_map *m, size_t ksize, size_t esize, size_t cap);
/* Frees the table (not what entries point to: sweep them first). */
void rp_dfl_map_release(struct rp_dfl_map *m);
/* The entry of key, or NULL. */
void *rp_dfl_map_find(struct rp_dfl_map *m, const void *key);
/* The entry of key, added zeroed (key copied, *created true) when absent. NULL when the table
 * is full (dropped counts it) or on RP_ENOMEM (*err set, else left alone). */
void *rp_dfl_map_add(struct rp_dfl_map *m, const void *key, bool *created, rp_err *err);
/* Call fn on every entry in insertion order; entries for which fn sets *remove are removed
 * (fn releases what they own). Stops at fn's first error and returns it (entries not visited
 * stay). */
rp_err rp_dfl_map_sweep(struct rp_dfl_map *m,
                        rp_err (*fn)(void *ctx, void *entry, bool *remove, struct rp_errbuf *eb),
                        void *ctx, struct rp_errbuf *eb) RP_WUR;

/* ---- small set of distinct 32-bit values --------------------------------------------------- */

#define RP_DFL_SET_INLINE 4

/* Distinct values (ports, IPv4 addresses, hashes of IPv6 addresses), inline up to
 * RP_DFL_SET_INLINE, then on the heap, never more than the max given to add: counts saturate
 * there (a detector only needs to know that a threshold was reached). Zeroed = empty. */
struct rp_dfl_set {
    uint32_t n, cap;
    uint32_t in[RP_DFL_SET_INLINE];
    uint32_t *heap;
};

/* Add v: 1 when new, 0 when present or the set holds max values already, -1 out of memory. */
int rp_dfl_set_add(struct rp_dfl_set *s, uint32_t v, uint32_t max);
void rp_dfl_set_release(struct rp_dfl_set *s);
/* Release the set at byte offset off of every entry of m (before releasing m). */
void rp_dfl_map_release_sets(struct rp_dfl_map *m, size_t off);

/* A 32-bit value for an address: the IPv4 value, a hash of an IPv6 one. */
uint32_t rp_dfl_ip32(const struct rp_ip *ip);

/* ---- window detector skeleton -------------------------------------------------------------- */

struct rp_dfl_win;

/* Emit the window of entry (when it qualifies) and release what the entry owns; state is the
 * detector's (a struct rp_dfl_win first). The entry is removed or reused afterwards, also on
 * error. */
typedef rp_err (*rp_dfl_close_fn)(void *state, void *entry, struct rp_errbuf *eb);

/* A table of windows: each entry holds one window, which starts at the int64_t at byte
 * start_off of the entry and ends window_ms later. */
struct rp_dfl_wtab {
    struct rp_dfl_map m;
    int64_t window_ms;
    size_t start_off;
    rp_dfl_close_fn close;
};

/* rp_dfl_map_init(&t->m, ksize, esize, cap) and the window's parameters. */
void rp_dfl_wtab_init(struct rp_dfl_wtab *t, size_t ksize, size_t esize, size_t cap,
                      int64_t window_ms, size_t start_off, rp_dfl_close_fn close);

/* The state every flow window detector starts with (the first member of its own state, so
 * that a pointer to one is a pointer to the other). */
struct rp_dfl_win {
    const char *id;   /* the detector's id, for messages (static) */
    const char *what; /* what t's dropped entries count ("sessions"), NULL: no warning */
    struct rp_det_ctx *dc;
    struct rp_dfl_enis *enis;
    struct rp_dfl_wtab t; /* the windows (set up by the caller: rp_dfl_wtab_init) */
    int64_t now, last_sweep;
    bool flush; /* finish: close every window */
};

/* Allocate a zeroed state of size bytes (>= sizeof(struct rp_dfl_win), starting with one)
 * into *out, with its interface table; the caller then sets up t. id and what (may be NULL)
 * are static. RP_OK, or RP_ENOMEM ("<id>: out of memory"). */
rp_err rp_dfl_win_new(struct rp_det_ctx *dc, const char *id, const char *what, size_t size,
                      void **out, struct rp_errbuf *eb) RP_WUR;

/* Close and remove the windows of t (of state w) that ended: the event clock passed their
 * end, or every one when w is finishing. Returns the first close error (that entry is
 * removed too; later ones stay). */
rp_err rp_dfl_wtab_sweep(struct rp_dfl_win *w, struct rp_dfl_wtab *t, struct rp_errbuf *eb) RP_WUR;

/* The window of key in t for a record starting at start_ms into *out: added zeroed (*created
 * true) when absent, closed and reused (*created true; the caller resets it) when its window
 * ended by start_ms. *out is NULL when the table is full (t->m.dropped counts it; RP_OK), on
 * RP_ENOMEM ("<id>: out of memory") and on a close error (returned). */
rp_err rp_dfl_wtab_entry(struct rp_dfl_win *w, struct rp_dfl_wtab *t, const void *key,
                         int64_t start_ms, void **out, bool *created, struct rp_errbuf *eb) RP_WUR;

/* Advance the event clock to the start of ev and sweep w->t when a sweep is due
 * (rp_dfl_tick). */
rp_err rp_dfl_win_tick(struct rp_dfl_win *w, const struct rp_det_event *ev,
                       struct rp_errbuf *eb) RP_WUR;

/* Close every window of t of state (a struct rp_dfl_win first; flush is set for good). When
 * what is set and t dropped entries, warns "<id>: <n> <what> of untracked peers (table cap
 * <cap>)". Returns the first close error. Usable as a detector's finish. */
rp_err rp_dfl_win_finish(struct rp_det_ctx *dc, void *state, struct rp_errbuf *eb) RP_WUR;

/* Free state (a struct rp_dfl_win first): t, the interface table and the state itself; what
 * t's entries own must be released before. NULL is a no-op. Usable as a detector's release. */
void rp_dfl_win_release(void *state);

#endif
