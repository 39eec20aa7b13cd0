/* SPDX-License-Identifier: Apache-2.0 */
/* dns.exfil: Trojan:EC2/DNSDataExfiltration (aws-facts §4.4). DNS tunnelling tools move data
 * out through the resolver by encoding it (base32, base64url, hex) into the labels of names
 * under a domain whose authoritative server the attacker runs; every query carries new data,
 * so the names are many, distinct, long and random-looking.
 *
 * Per instance and registered domain, in windows of EXFIL_WINDOW_MS: the bytes of the labels
 * left of the registered domain that look encoded (long, nearly all letters and digits, high
 * entropy, digits mixed in or un-English letter pairs) are added up over DISTINCT names only.
 * A window with at least EXFIL_MIN_BYTES such bytes in at least EXFIL_MIN_NAMES distinct names
 * is one occurrence (count = those names). Counting distinct names is what keeps a busy fixed
 * name with a random-looking label (an EKS endpoint, 32 hex characters, looked up hundreds of
 * times by its nodes) from adding up: it carries no new data after its first lookup.
 * One finding per instance and registered domain (the evidence key); Domain = that domain.
 *
 * Memory: at most EXFIL_MAX_ENTRIES (instance, domain) windows open (about 2.2 KiB each: the
 * first query, an 8192-bit Bloom filter of names, the key); only pairs that saw an encoded
 * label get one. Past the cap new pairs are not tracked (counted in the table's dropped).
 * Windows close as in dns.dga: on the pair's next query after the window, on a sweep every
 * quarter window of event time, and at the end of the run. */
#define RP_LOG_MODULE "detect"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rp_hash.h"
#include "detect/detect_dns_common.h"
#include "core/rp_banned.h"

/* Our reading of GuardDuty's description ("DNS queries carry encoded data"): a tunnel moving
 * a few kilobytes an hour through one domain. The simulator's exfiltration writes 700-1200
 * names of 80-130 encoded characters in half an hour; ordinary names repeat. */
#define EXFIL_WINDOW_MS (60LL * 60 * 1000) /* one hour from the pair's first encoded label */
#define EXFIL_MIN_BYTES 8192               /* encoded bytes over distinct names per window */
#define EXFIL_MIN_NAMES 64                 /* distinct names with encoded labels per window */
/* An encoded label */
#define EXFIL_MIN_LABEL_LEN     16  /* shorter labels carry little */
#define EXFIL_MIN_ALNUM_PCT     90  /* letters and digits (the rest '-', '_', '=') */
#define EXFIL_MIN_LABEL_ENTROPY 3.3 /* bits per character (English words: about 3) */
#define EXFIL_MIN_DIGIT_PCT     10  /* digits mixed in (base32 has 2-7, hex 0-9) ... */
#define EXFIL_MAX_PLAUSIBLE_PCT 70  /* ... or letter pairs mostly un-English */
/* Memory */
#define EXFIL_MAX_ENTRIES 2048
#define EXFIL_BLOOM_WORDS 128 /* 8192 bits */

static const struct rp_det_type types[] = {
    {"Trojan:EC2/DNSDataExfiltration", 8.0,
     "Data exfiltration through DNS queries from EC2 instance %s",
     "EC2 instance %s sent many DNS queries whose names carry encoded data under one domain: "
     "DNS tunnelling, used to move data out past firewalls."},
};

static bool encoded_label(struct rp_str l)
{
    if (l.len < EXFIL_MIN_LABEL_LEN) return false;
    struct rp_det_dns_label_stats st;
    rp_det_dns_label_stats(l, &st);
    if ((st.letters + st.digits) * 100 < l.len * EXFIL_MIN_ALNUM_PCT) return false;
    if (st.entropy < EXFIL_MIN_LABEL_ENTROPY) return false;
    return st.digits * 100 >= l.len * EXFIL_MIN_DIGIT_PCT ||
           (st.bigrams && st.plausible * 100 < st.bigrams * EXFIL_MAX_PLAUSIBLE_PCT);
}

size_t rp_det_dns_encoded_bytes(struct rp_str name, struct rp_str base)
{
    if (base.len + 1 >= name.len) return 0;
    struct rp_str rest = {name.p, name.len - base.len - 1}, l;
    size_t n = 0;
    while (rp_str_split_next(&rest, '.', &l))
        if (encoded_label(l)) n += l.len;
    return n;
}

struct exfil_ent {
    int64_t start_ms; /* first: the window's start (rp_det_dns_win) */
    int64_t first_ms, last_ms;
    uint32_t names;
    uint64_t bytes;
    char base[RP_DET_DNS_NAME_SZ];
    struct rp_det_dns_query q; /* the window's first query with encoded labels */
    uint64_t bloom[EXFIL_BLOOM_WORDS];
};

/* Emit the window of x when it qualifies (rp_det_dns_close_fn). */
static rp_err close_window(struct rp_det_ctx *dc, const void *el, struct rp_errbuf *eb)
{
    const struct exfil_ent *x = el;
    if (x->bytes < EXFIL_MIN_BYTES || x->names < EXFIL_MIN_NAMES) return RP_OK;
    struct rp_det_finding f;
    rp_det_dns_finding(&f, types[0].type, &x->q);
    f.first_ms = x->first_ms;
    f.last_ms = x->last_ms;
    f.count = x->names;
    f.domain = x->base;
    f.evidence_key = x->base;
    char info[96];
    snprintf(info, sizeof info, "{\"distinctNames\":%u,\"encodedBytes\":%llu}", x->names,
             (unsigned long long)x->bytes);
    f.additional_json = info;
    return rp_det_emit(dc, &f, eb);
}

static rp_err on_init(struct rp_det_ctx *dc, void **state, struct rp_errbuf *eb)
{
    (void)dc;
    return rp_det_dns_win_new(state, EXFIL_MAX_ENTRIES, sizeof(struct exfil_ent), EXFIL_WINDOW_MS,
                              close_window, eb);
}

static rp_err on_event(struct rp_det_ctx *dc, void *state, const struct rp_det_event *ev,
                       struct rp_errbuf *eb)
{
    struct rp_det_dns_win *w = state;
    char name[RP_DET_DNS_NAME_SZ];
    size_t len = 0;
    struct rp_str base = {NULL, 0};
    rp_err e = rp_det_dns_win_event(dc, w, ev, name, &len, &base, eb);
    if (e != RP_OK || !len) return e;
    size_t bytes = rp_det_dns_encoded_bytes((struct rp_str){name, len}, base);
    if (!bytes) return RP_OK;
    struct rp_det_dns_query q;
    if (!rp_det_dns_query_read(dc, ev, &q)) return RP_OK;
    char key[RP_DET_DNS_KEY_SZ];
    int kl = snprintf(key, sizeof key, "%s|%.*s", q.resource_id, (int)base.len, base.p);
    if (kl < 0 || (size_t)kl >= sizeof key) return RP_OK;
    struct rp_str k = {key, (size_t)kl};
    void *el = NULL;
    bool fresh = false;
    e = rp_det_dns_win_entry(dc, w, k, ev->time_ms, &el, &fresh, eb);
    if (!el) return e; /* close's error, or full: not tracked (tab.dropped) */
    struct exfil_ent *x = el;
    if (fresh) {
        x->first_ms = ev->time_ms;
        x->q = q;
        memcpy(x->base, base.p, base.len);
        x->base[base.len] = '\0';
    }
    if (!rp_det_dns_bloom_add(x->bloom, EXFIL_BLOOM_WORDS, rp_hash_xxh3_64(name, len, 0)))
        return RP_OK; /* the same name again: no new data */
    x->names++;
    x->bytes += bytes;
    x->last_ms = ev->time_ms;
    return RP_OK;
}

const struct rp_detector rp_det_dns_exfil = {
    .id = "dns.exfil",
    .source = RP_DET_SRC_DNS,
    .kind = RP_DET_WINDOW,
    .summary = "an instance sends data out in the encoded labels of many distinct DNS names",
    .types = types,
    .ntypes = RP_ARRAY_LEN(types),
    .init = on_init,
    .event = on_event,
    .finish = rp_det_dns_win_finish,
    .release = rp_det_dns_win_release,
};
