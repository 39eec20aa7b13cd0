/* SPDX-License-Identifier: Apache-2.0 */
/* dns.dga: Trojan:EC2/DGADomainRequest.B (aws-facts §4.4). Malware with a domain generation
 * algorithm looks up many pseudo-random names, most of which nobody registered (NXDOMAIN), to
 * find the few its operator did. GuardDuty's ".B" variant is heuristic: it needs no list and
 * catches new families. Here, per instance, in windows of DGA_WINDOW_MS:
 *   - each public name's registered-domain label (the label left of the public suffix) is
 *     scored on its characters: English bigram plausibility, consonant runs, letters mixed
 *     with digits, vowel share, entropy (rp_det_dns_dga_label);
 *   - a window with at least DGA_MIN_NAMES distinct DGA-like registered domains, of which at
 *     least DGA_MIN_NX_PCT percent answered NXDOMAIN, is one occurrence (count = those names).
 * One finding per instance (evidence key empty): later windows add to its Count.
 *
 * Memory: at most DGA_MAX_ENTITIES instances with an open window (about 1.5 KiB each: the
 * first query, a 4096-bit Bloom filter of names, the key); only instances that looked up a
 * DGA-like name get one. Past the cap new instances are not tracked (counted in the table's
 * dropped). Windows close on the instance's next DGA-like name after the window, on a sweep
 * every quarter window of event time, and at the end of the run. */
#define RP_LOG_MODULE "detect"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rp_hash.h"
#include "detect/detect_dns_common.h"
#include "core/rp_banned.h"

/* Window and threshold (our reading of GuardDuty's description: "many" generated names from
 * one instance, mostly unresolved). The simulator's DGA burst is 120-220 names in minutes;
 * ordinary resolvers see a handful of NXDOMAINs an hour and no random registered domains. */
#define DGA_WINDOW_MS  (60LL * 60 * 1000) /* one hour, from the window's first DGA-like name */
#define DGA_MIN_NAMES  20                 /* distinct DGA-like registered domains per window */
#define DGA_MIN_NX_PCT 60                 /* of which at least this share is NXDOMAIN */
/* Label scoring. A label is DGA-like when its score reaches DGA_MIN_SCORE, where implausible
 * bigrams count two points and each other feature one. */
#define DGA_MIN_LABEL_LEN     10  /* shorter labels are too short to judge */
#define DGA_MAX_PLAUSIBLE_PCT 55  /* letter pairs common in English: below this share */
#define DGA_MIN_CONSONANT_RUN 4   /* "xkcdq": four consonants in a row or more */
#define DGA_MAX_VOWEL_PCT     25  /* vowels among letters: below this share */
#define DGA_MIN_ENTROPY       3.0 /* bits per character */
#define DGA_MIN_TRANSITIONS   2   /* letter<->digit changes ("ab3c9d") */
#define DGA_MIN_SCORE         4
/* Memory */
#define DGA_MAX_ENTITIES 4096
#define DGA_BLOOM_WORDS  64 /* 4096 bits: nearly exact for a few hundred names */

static const struct rp_det_type types[] = {
    {"Trojan:EC2/DGADomainRequest.B", 8.0,
     "Algorithmically generated domains queried by EC2 instance %s",
     "EC2 instance %s queried many domain names that look algorithmically generated, most of "
     "them unregistered: malware using a domain generation algorithm to find its command and "
     "control server."},
};

bool rp_det_dns_dga_label(struct rp_str label)
{
    if (label.len < DGA_MIN_LABEL_LEN || label.len > 63) return false;
    struct rp_det_dns_label_stats st;
    rp_det_dns_label_stats(label, &st);
    if (st.letters < DGA_MIN_LABEL_LEN / 2) return false; /* mostly digits: a number, an id */
    int score = 0;
    if (st.bigrams && st.plausible * 100 < st.bigrams * DGA_MAX_PLAUSIBLE_PCT) score += 2;
    if (st.max_consonant_run >= DGA_MIN_CONSONANT_RUN) score++;
    if (st.digits && st.transitions >= DGA_MIN_TRANSITIONS) score++;
    if (st.vowels * 100 < st.letters * DGA_MAX_VOWEL_PCT) score++;
    if (st.entropy >= DGA_MIN_ENTROPY) score++;
    return score >= DGA_MIN_SCORE;
}

struct dga_ent {
    int64_t start_ms; /* first: the window's start (rp_det_dns_win) */
    int64_t first_ms, last_ms;
    uint32_t names, nx;
    struct rp_det_dns_query q; /* the window's first DGA-like query */
    uint64_t bloom[DGA_BLOOM_WORDS];
};

/* Emit the window of x when it qualifies (rp_det_dns_close_fn). */
static rp_err close_window(struct rp_det_ctx *dc, const void *el, struct rp_errbuf *eb)
{
    const struct dga_ent *x = el;
    if (x->names < DGA_MIN_NAMES || (uint64_t)x->nx * 100 < (uint64_t)x->names * DGA_MIN_NX_PCT)
        return RP_OK;
    struct rp_det_finding f;
    rp_det_dns_finding(&f, types[0].type, &x->q);
    f.first_ms = x->first_ms;
    f.last_ms = x->last_ms;
    f.count = x->names;
    char info[96];
    snprintf(info, sizeof info, "{\"generatedDomains\":%u,\"nxdomain\":%u}", x->names, x->nx);
    f.additional_json = info;
    return rp_det_emit(dc, &f, eb);
}

static rp_err on_init(struct rp_det_ctx *dc, void **state, struct rp_errbuf *eb)
{
    (void)dc;
    return rp_det_dns_win_new(state, DGA_MAX_ENTITIES, sizeof(struct dga_ent), DGA_WINDOW_MS,
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
    const char *dot = memchr(base.p, '.', base.len);
    if (!dot) return RP_OK;
    if (!rp_det_dns_dga_label((struct rp_str){base.p, (size_t)(dot - base.p)})) return RP_OK;
    struct rp_det_dns_query q;
    if (!rp_det_dns_query_read(dc, ev, &q)) return RP_OK;
    struct rp_str key = rp_str_from(q.resource_id);
    void *el = NULL;
    bool fresh = false;
    e = rp_det_dns_win_entry(dc, w, key, ev->time_ms, &el, &fresh, eb);
    if (!el) return e; /* close's error, or full: not tracked (tab.dropped) */
    struct dga_ent *x = el;
    if (fresh) {
        x->first_ms = ev->time_ms;
        x->q = q;
    }
    if (!rp_det_dns_bloom_add(x->bloom, DGA_BLOOM_WORDS, rp_hash_xxh3_64(base.p, base.len, 0)))
        return RP_OK; /* the same generated domain again */
    x->names++;
    if (q.nxdomain) x->nx++;
    x->last_ms = ev->time_ms;
    return RP_OK;
}

const struct rp_detector rp_det_dns_dga = {
    .id = "dns.dga",
    .source = RP_DET_SRC_DNS,
    .kind = RP_DET_WINDOW,
    .summary = "an instance looks up many algorithmically generated, mostly unregistered names",
    .types = types,
    .ntypes = RP_ARRAY_LEN(types),
    .init = on_init,
    .event = on_event,
    .finish = rp_det_dns_win_finish,
    .release = rp_det_dns_win_release,
};
