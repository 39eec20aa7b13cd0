/* SPDX-License-Identifier: Apache-2.0 */
/* Private to the DNS detectors (detect_dns_*.c): reading a Route 53 Resolver query into the
 * members a DNS_REQUEST finding needs (the instance that asked, account, region, protocol,
 * DNS Firewall block), an approximate registered-domain function, character statistics of a
 * label (entropy, consonant runs, digits, English bigram plausibility), and a bounded table
 * of per-entity state with a small Bloom filter to count distinct names, and the windows the
 * window detectors keep in that table (state, periodic sweep, roll-over, finish, release).
 *
 * Nothing here allocates except rp_det_dns_tab_init and rp_det_dns_win_new. Single-threaded,
 * like a run. */
#ifndef RP_DETECT_DNS_COMMON_H
#define RP_DETECT_DNS_COMMON_H

#include "detect/detect_internal.h"

#define RP_DET_DNS_NAME_SZ 256 /* a DNS name is at most 253 characters */
#define RP_DET_DNS_ID_SZ   64  /* instance id ("i-" + 17 hex), ENI id */
#define RP_DET_DNS_ACCT_SZ 32  /* account id, region */

/* One query, as a finding about it needs it. Strings are copies (NUL-terminated). */
struct rp_det_dns_query {
    char name[RP_DET_DNS_NAME_SZ]; /* lower case, no trailing dot */
    size_t name_len;
    char resource_id[RP_DET_DNS_ID_SZ]; /* the instance id, else the ENI id */
    char instance_id[RP_DET_DNS_ID_SZ]; /* "" when unknown */
    char eni[RP_DET_DNS_ID_SZ];         /* "" when unknown */
    char account[RP_DET_DNS_ACCT_SZ];
    char region[RP_DET_DNS_ACCT_SZ];
    char protocol[8]; /* "UDP", "TCP", .. upper case; "" when absent */
    bool blocked;     /* DNS Firewall answered BLOCK */
    bool nxdomain;    /* rcode NXDOMAIN */
    int64_t time_ms;
};

/* The query name of ev (rp_query_name, else query_name lower-cased without its trailing dot)
 * into buf[RP_DET_DNS_NAME_SZ]; its length, 0 when absent, empty or too long. */
size_t rp_det_dns_name(const struct rp_det_event *ev, char buf[RP_DET_DNS_NAME_SZ]);

/* Fill q from ev: the name (as rp_det_dns_name), the instance that asked (srcids.instance,
 * else the inventory's interface holding srcaddr: its instance, else the ENI itself), account
 * and region (rp_account/rp_region, else the record's own, else the inventory's). False when
 * the query has no name, or no resource, account or region can be found: such a query cannot
 * be the subject of a finding. */
bool rp_det_dns_query_read(struct rp_det_ctx *dc, const struct rp_det_event *ev,
                           struct rp_det_dns_query *q);

/* Start a DNS_REQUEST finding about q (f is initialised here): type, account, region, the
 * instance resource, Service.Action (Domain = q->name, Protocol, Blocked), ResourceRole
 * ACTOR (the instance made the request), first = last = q->time_ms. The strings stay q's. */
void rp_det_dns_finding(struct rp_det_finding *f, const char *type,
                        const struct rp_det_dns_query *q);

/* The query name of ev into buf (as rp_det_dns_name) when it is a public one (not
 * rp_det_dns_private_name), with its registered domain in *base (rp_det_dns_base_domain, a
 * slice of buf); its length, 0 (*base unspecified) when absent or private. */
size_t rp_det_dns_public_name(const struct rp_det_event *ev, char buf[RP_DET_DNS_NAME_SZ],
                              struct rp_str *base);

/* The registered domain of name (lower case, no trailing dot) as a slice of it: the last two
 * labels, or three when the last two are a multi-label public suffix of a small built-in
 * table (co.uk, com.au, amazonaws.com, the dynamic-DNS providers, ..). An approximation of
 * the Public Suffix List, which is not a dependency here. A name of one or two labels is its
 * own registered domain. */
struct rp_str rp_det_dns_base_domain(struct rp_str name);

/* True when name is under a dynamic-DNS / free-subdomain provider of the built-in table, with
 * at least one label of its own that is not "www"; *provider (may be NULL) gets the
 * provider's suffix as a slice of name. */
bool rp_det_dns_dyndns(struct rp_str name, struct rp_str *provider);

/* True for a name that never leaves the estate or has no public meaning: one label, or under
 * .internal, .local, .localdomain, .localhost, .arpa (reverse lookups), .lan, .home, .corp,
 * .intranet, .test, .invalid, .example. */
bool rp_det_dns_private_name(struct rp_str name);

/* Character statistics of one label. */
struct rp_det_dns_label_stats {
    size_t len;               /* bytes */
    size_t letters, digits;   /* a-z (either case), 0-9 */
    size_t vowels;            /* a e i o u */
    size_t others;            /* '-', '_' and anything else */
    size_t max_consonant_run; /* longest run of consecutive consonant letters */
    size_t transitions;       /* letter<->digit changes between neighbours */
    size_t bigrams;           /* letter-letter neighbours */
    size_t plausible;         /* of those, pairs common in English words */
    double entropy;           /* Shannon entropy of the bytes, bits per character */
};

void rp_det_dns_label_stats(struct rp_str label, struct rp_det_dns_label_stats *st);

/* True when the letter pair (a, b) (lower case) is common in English words (the detectors'
 * own small table). */
bool rp_det_dns_bigram_plausible(char a, char b);

/* detect_dns_dga.c: true when label (the label of a registered domain, left of its public
 * suffix) looks algorithmically generated by its character statistics. */
bool rp_det_dns_dga_label(struct rp_str label);

/* detect_dns_exfil.c: the bytes of the labels of name left of its registered domain base
 * (base is a slice at the end of name) that look like encoded data; 0 when none. */
size_t rp_det_dns_encoded_bytes(struct rp_str name, struct rp_str base);

/* ---- bounded per-entity table ------------------------------------------------------------ */

/* Up to cap entries of elsize bytes, keyed by a string of at most RP_DET_DNS_KEY_SZ - 1 bytes.
 * Chained hashing over an XXH3 of the key (the key itself is compared too). Past cap an insert
 * fails (the caller counts it in dropped); entries are removed by the caller when their
 * window closes, which frees their slot. Memory: cap * (elsize + RP_DET_DNS_KEY_SZ + 16)
 * bytes plus 4 bytes per bucket, allocated once at init. */
#define RP_DET_DNS_KEY_SZ 320

struct rp_det_dns_tab {
    size_t cap, elsize, n;
    size_t nbuckets;     /* power of two >= cap */
    uint32_t *buckets;   /* chain head index + 1, 0 = empty */
    uint32_t *next;      /* per entry: next index + 1 in its chain / free list */
    uint64_t *hash;      /* per entry */
    char *keys;          /* cap * RP_DET_DNS_KEY_SZ */
    unsigned char *el;   /* cap * elsize */
    unsigned char *used; /* per entry: 1 when in use */
    uint32_t free_head;  /* index + 1, 0 = full */
    uint64_t dropped;    /* inserts refused because the table was full */
};

/* RP_OK or RP_ENOMEM (details in *eb). */
rp_err rp_det_dns_tab_init(struct rp_det_dns_tab *t, size_t cap, size_t elsize,
                           struct rp_errbuf *eb) RP_WUR;
void rp_det_dns_tab_release(struct rp_det_dns_tab *t);
/* The entry of key, or NULL. */
void *rp_det_dns_tab_get(struct rp_det_dns_tab *t, struct rp_str key);
/* A new zeroed entry for key (which must not be present), or NULL when the table is full
 * (dropped counts it) or the key is too long. */
void *rp_det_dns_tab_put(struct rp_det_dns_tab *t, struct rp_str key);
/* Remove the entry el (returned by get/put/at). */
void rp_det_dns_tab_del(struct rp_det_dns_tab *t, void *el);
/* Entry slot i (0 <= i < cap) when in use, else NULL: for sweeping every entry. */
void *rp_det_dns_tab_at(struct rp_det_dns_tab *t, size_t i);

/* ---- windows in the table ---------------------------------------------------------------- */

/* Emit the window of entry el when it qualifies (el stays in the table: the caller removes
 * it). */
typedef rp_err (*rp_det_dns_close_fn)(struct rp_det_ctx *dc, const void *el, struct rp_errbuf *eb);

/* A window detector's state: a table whose entries each hold one window and START WITH
 * int64_t start_ms (the window's start), closed window_ms after it by close: on the entry's
 * next event after the window (rp_det_dns_win_entry), on a sweep every quarter window of
 * event time (rp_det_dns_win_tick), and at the end of the run (rp_det_dns_win_finish). */
struct rp_det_dns_win {
    struct rp_det_dns_tab tab;
    int64_t window_ms;
    int64_t next_sweep_ms;
    rp_det_dns_close_fn close;
};

/* Allocate a window state into *state (a table of cap entries of elsize bytes). RP_OK or
 * RP_ENOMEM (details in *eb). */
rp_err rp_det_dns_win_new(void **state, size_t cap, size_t elsize, int64_t window_ms,
                          rp_det_dns_close_fn close, struct rp_errbuf *eb) RP_WUR;
/* Free a window state (NULL is a no-op). Usable as a detector's release. */
void rp_det_dns_win_release(void *state);
/* At an event of time now: close and remove the windows that ended when a sweep is due.
 * Returns close's first error (the window it failed on is removed too). */
rp_err rp_det_dns_win_tick(struct rp_det_ctx *dc, struct rp_det_dns_win *w, int64_t now,
                           struct rp_errbuf *eb) RP_WUR;
/* The start of a window detector's event: rp_det_dns_win_tick at ev's time, then the public
 * name of ev into buf with its registered domain in *base (rp_det_dns_public_name); its
 * length into *len, 0 when ev has no public name. Returns the sweep's error. */
rp_err rp_det_dns_win_event(struct rp_det_ctx *dc, struct rp_det_dns_win *w,
                            const struct rp_det_event *ev, char buf[RP_DET_DNS_NAME_SZ],
                            size_t *len, struct rp_str *base, struct rp_errbuf *eb) RP_WUR;
/* Close and remove every window. Usable as a detector's finish. */
rp_err rp_det_dns_win_finish(struct rp_det_ctx *dc, void *state, struct rp_errbuf *eb) RP_WUR;
/* The open window of key at time now into *out: the entry of key, closed and replaced when
 * its window ended, else a new zeroed entry with start_ms = now (*fresh true). *out is NULL
 * when the table is full (tab.dropped counts it) or on close's error (returned). */
rp_err rp_det_dns_win_entry(struct rp_det_ctx *dc, struct rp_det_dns_win *w, struct rp_str key,
                            int64_t now, void **out, bool *fresh, struct rp_errbuf *eb) RP_WUR;

/* ---- Bloom filter over name hashes ------------------------------------------------------- */

/* Add h to the filter of nwords 64-bit words (3 probes). True when h was not in the set
 * before (a false "already there" is possible and makes counts err low, never high). */
bool rp_det_dns_bloom_add(uint64_t *bits, size_t nwords, uint64_t h);

#endif
