/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers of the DNS detectors (detect_dns_*.c; detect_dns_common.h documents them): the
 * query → finding plumbing (which instance asked, DNS_REQUEST members), an approximate
 * registered-domain function with a small built-in table of multi-label public suffixes and
 * dynamic-DNS providers (Debian's publicsuffix is not a dependency), label statistics with a
 * hand-written English bigram table, a bounded per-entity table with the window detectors'
 * sweeps over it, and a Bloom filter.
 *
 * Tables are static const data; the facts behind them are general DNS knowledge (which
 * second-level domains registries hand out, which providers give away subdomains), written
 * here in our own selection, not copied from a list. */
#define RP_LOG_MODULE "detect"
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/rp_hash.h"
#include "detect/detect_dns_common.h"
#include "core/rp_banned.h"

/* ---- reading a query --------------------------------------------------------------------- */

static bool copy_str(struct rp_str s, char *buf, size_t sz)
{
    if (!s.p || !s.len || s.len >= sz) return false;
    memcpy(buf, s.p, s.len);
    buf[s.len] = '\0';
    return true;
}

size_t rp_det_dns_name(const struct rp_det_event *ev, char buf[RP_DET_DNS_NAME_SZ])
{
    struct rp_str s = rp_det_str(ev, RP_DNS_NAME);
    if (!s.p || !s.len) s = rp_det_str(ev, RP_DNS_QUERY_NAME);
    if (s.len && s.p[s.len - 1] == '.') s.len--;
    buf[0] = '\0';
    if (!s.p || !s.len || s.len >= RP_DET_DNS_NAME_SZ) return 0;
    for (size_t i = 0; i < s.len; i++) {
        char c = s.p[i];
        buf[i] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
    }
    buf[s.len] = '\0';
    return s.len;
}

bool rp_det_dns_query_read(struct rp_det_ctx *dc, const struct rp_det_event *ev,
                           struct rp_det_dns_query *q)
{
    memset(q, 0, sizeof *q);
    q->time_ms = ev->time_ms;
    q->name_len = rp_det_dns_name(ev, q->name);
    if (!q->name_len) return false;
    const struct rp_det_inv_eni *x = NULL;
    if (!copy_str(rp_det_str(ev, RP_DNS_INSTANCE_ID), q->instance_id, sizeof q->instance_id)) {
        q->instance_id[0] = '\0';
        struct rp_str ip = rp_det_str(ev, RP_DNS_SRC_IP);
        if (!ip.p || !ip.len) ip = rp_det_str(ev, RP_DNS_SRCADDR);
        if (ip.p && ip.len) x = rp_det_inv_ip(dc, ip);
        if (x && x->instance_id) rp_strlcpy(q->instance_id, x->instance_id, sizeof q->instance_id);
        if (x && x->eni) rp_strlcpy(q->eni, x->eni, sizeof q->eni);
    }
    if (q->instance_id[0])
        rp_strlcpy(q->resource_id, q->instance_id, sizeof q->resource_id);
    else if (q->eni[0])
        rp_strlcpy(q->resource_id, q->eni, sizeof q->resource_id);
    else
        return false;
    if (!copy_str(rp_det_str(ev, RP_DNS_ACCOUNT), q->account, sizeof q->account) &&
        !copy_str(rp_det_str(ev, RP_DNS_ACCOUNT_ID), q->account, sizeof q->account)) {
        if (!x || !x->account) return false;
        rp_strlcpy(q->account, x->account, sizeof q->account);
    }
    if (!copy_str(rp_det_str(ev, RP_DNS_REGION), q->region, sizeof q->region) &&
        !copy_str(rp_det_str(ev, RP_DNS_REGION_FIELD), q->region, sizeof q->region)) {
        if (!x || !x->region) return false;
        rp_strlcpy(q->region, x->region, sizeof q->region);
    }
    struct rp_str tr = rp_det_str(ev, RP_DNS_TRANSPORT);
    if (tr.p && tr.len && tr.len < sizeof q->protocol) {
        for (size_t i = 0; i < tr.len; i++) {
            char c = tr.p[i];
            q->protocol[i] = (c >= 'a' && c <= 'z') ? (char)(c - 32) : c;
        }
        q->protocol[tr.len] = '\0';
    }
    q->blocked = rp_str_eq_nocase(rp_det_str(ev, RP_DNS_FIREWALL_ACTION), RP_STR_LIT("BLOCK"));
    q->nxdomain = rp_str_eq_nocase(rp_det_str(ev, RP_DNS_RCODE), RP_STR_LIT("NXDOMAIN"));
    return true;
}

void rp_det_dns_finding(struct rp_det_finding *f, const char *type,
                        const struct rp_det_dns_query *q)
{
    rp_det_finding_init(f);
    f->type = type;
    f->account = q->account;
    f->region = q->region;
    f->first_ms = f->last_ms = q->time_ms;
    f->res = RP_DET_RES_INSTANCE;
    f->resource_id = q->resource_id;
    f->instance_id = q->instance_id[0] ? q->instance_id : NULL;
    f->eni = q->eni[0] ? q->eni : NULL;
    f->action = RP_DET_ACT_DNS_REQUEST;
    f->domain = q->name;
    f->protocol = q->protocol[0] ? q->protocol : NULL;
    f->blocked = q->blocked;
    f->resource_role = "ACTOR";
}

/* ---- names ------------------------------------------------------------------------------- */

/* Second-level domains that registries or hosting platforms hand out to many unrelated owners,
 * so that the registered domain is one label further left. Sorted (strcmp order): bsearch. */
static const char *const multi_suffixes[] = {
    "ac.jp",
    "ac.uk",
    "amazonaws.com",
    "appspot.com",
    "azurewebsites.net",
    "blogspot.com",
    "cloudapp.net",
    "cloudfront.net",
    "co.id",
    "co.il",
    "co.in",
    "co.jp",
    "co.kr",
    "co.nz",
    "co.th",
    "co.uk",
    "co.za",
    "com.ar",
    "com.au",
    "com.br",
    "com.cn",
    "com.co",
    "com.eg",
    "com.hk",
    "com.mx",
    "com.my",
    "com.ng",
    "com.pe",
    "com.ph",
    "com.pk",
    "com.pl",
    "com.sa",
    "com.sg",
    "com.tr",
    "com.tw",
    "com.ua",
    "com.vn",
    "compute.internal",
    "edu.au",
    "elasticbeanstalk.com",
    "firebaseapp.com",
    "github.io",
    "gitlab.io",
    "go.jp",
    "gov.au",
    "gov.uk",
    "herokuapp.com",
    "ltd.uk",
    "me.uk",
    "ne.jp",
    "net.au",
    "net.br",
    "net.cn",
    "net.in",
    "net.nz",
    "netlify.app",
    "or.jp",
    "org.au",
    "org.br",
    "org.cn",
    "org.in",
    "org.nz",
    "org.uk",
    "pages.dev",
    "plc.uk",
    "vercel.app",
    "web.app",
    "workers.dev",
};

/* Dynamic-DNS and free-subdomain / tunnel providers: anyone gets <name>.<provider> for free,
 * which is why GuardDuty counts them among commonly abused domains. Sorted (strcmp order). */
static const char *const dyndns_suffixes[] = {
    "3utilities.com", "chickenkiller.com", "ddns.net",      "ddnsking.com", "dnsalias.com",
    "dnsalias.net",   "dnsalias.org",      "duckdns.org",   "dyndns.biz",   "dyndns.org",
    "dynu.net",       "freeddns.org",      "gotdns.ch",     "homeip.net",   "hopto.org",
    "ignorelist.com", "mooo.com",          "myftp.biz",     "myftp.org",    "ngrok-free.app",
    "ngrok.io",       "no-ip.biz",         "no-ip.info",    "no-ip.org",    "redirectme.net",
    "serveftp.com",   "servehttp.com",     "strangled.net", "sytes.net",    "trycloudflare.com",
    "zapto.org",
};

/* Top-level names with no public meaning (RFC 6761, RFC 8375, .internal, habits). */
static const char *const private_tlds[] = {
    "arpa",    "corp", "example", "home",        "internal",  "intranet",
    "invalid", "lan",  "local",   "localdomain", "localhost", "test",
};

static int cmp_slice(const void *key, const void *el)
{
    const struct rp_str *k = key;
    const char *s = *(const char *const *)el;
    size_t n = strlen(s);
    int c = memcmp(k->p, s, k->len < n ? k->len : n);
    if (c) return c;
    return k->len < n ? -1 : k->len > n;
}

static bool in_table(struct rp_str s, const char *const *tab, size_t n)
{
    return s.len && bsearch(&s, tab, n, sizeof tab[0], cmp_slice) != NULL;
}

/* The slice of the last k labels of name (the whole name when it has fewer). */
static struct rp_str last_labels(struct rp_str name, unsigned k, bool *whole)
{
    size_t i = name.len;
    unsigned seen = 0;
    while (i > 0) {
        if (name.p[i - 1] == '.' && ++seen == k) {
            *whole = false;
            return (struct rp_str){name.p + i, name.len - i};
        }
        i--;
    }
    *whole = true;
    return name;
}

struct rp_str rp_det_dns_base_domain(struct rp_str name)
{
    bool whole = false;
    struct rp_str two = last_labels(name, 2, &whole);
    if (whole) return name;
    if (in_table(two, multi_suffixes, RP_ARRAY_LEN(multi_suffixes)) ||
        in_table(two, dyndns_suffixes, RP_ARRAY_LEN(dyndns_suffixes)))
        return last_labels(name, 3, &whole);
    return two;
}

bool rp_det_dns_dyndns(struct rp_str name, struct rp_str *provider)
{
    bool whole = false;
    struct rp_str two = last_labels(name, 2, &whole);
    if (whole || !in_table(two, dyndns_suffixes, RP_ARRAY_LEN(dyndns_suffixes))) return false;
    /* the label just left of the provider's suffix: the customer's own name */
    size_t end = name.len - two.len - 1, start = end;
    while (start > 0 && name.p[start - 1] != '.') start--;
    if (end == start) return false;
    if (end - start == 3 && memcmp(name.p + start, "www", 3) == 0) return false;
    if (provider) *provider = two;
    return true;
}

bool rp_det_dns_private_name(struct rp_str name)
{
    bool whole = false;
    struct rp_str tld = last_labels(name, 1, &whole);
    if (whole) return true;
    for (size_t i = 0; i < RP_ARRAY_LEN(private_tlds); i++)
        if (rp_str_eq_cstr(tld, private_tlds[i])) return true;
    return false;
}

/* ---- label statistics -------------------------------------------------------------------- */

/* For each first letter, the letters that commonly follow it inside English words (our own
 * judgement of English spelling, kept loose: domain names glue words together). A random
 * string of letters hits about half of these pairs; ordinary words almost all of them. */
static const char *const bigram_follow[26] = {
    /* a */ "bcdefghiklmnprstuvwxyz",
    /* b */ "abeilorsuy",
    /* c */ "aehiklorstuy",
    /* d */ "adeilorsuvwy",
    /* e */ "abcdefghiklmnopqrstuvwxy",
    /* f */ "aefilorstuy",
    /* g */ "aeghilnorsuy",
    /* h */ "aeilnoruy",
    /* i */ "abcdefgklmnopqrstvxz",
    /* j */ "aeiou",
    /* k */ "aeilnorsuy",
    /* l */ "abcdefiklmnopstuvwy",
    /* m */ "abeilmnopsuy",
    /* n */ "acdefgiknostuvy",
    /* o */ "abcdefgiklmnopqrstuvwxy",
    /* p */ "aehiloprstuy",
    /* q */ "u",
    /* r */ "abcdefgiklmnoprstuvwy",
    /* s */ "acehiklmnopqstuwy",
    /* t */ "aehiloprstuwy",
    /* u */ "abcdefgilmnprstvxz",
    /* v */ "aeiouy",
    /* w */ "aehinorsy",
    /* x */ "aceiptuy",
    /* y */ "aeinost",
    /* z */ "aeiouyz",
};

bool rp_det_dns_bigram_plausible(char a, char b)
{
    if (a < 'a' || a > 'z' || b < 'a' || b > 'z') return false;
    return strchr(bigram_follow[a - 'a'], b) != NULL;
}

static bool is_vowel(char c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

void rp_det_dns_label_stats(struct rp_str label, struct rp_det_dns_label_stats *st)
{
    memset(st, 0, sizeof *st);
    st->len = label.len;
    if (!label.p || !label.len) return;
    unsigned counts[256] = {0};
    size_t run = 0;
    int prev = 0; /* 1 letter, 2 digit, 0 other */
    char prevc = 0;
    for (size_t i = 0; i < label.len; i++) {
        char c = label.p[i];
        counts[(unsigned char)c]++;
        if (c >= 'A' && c <= 'Z') c = (char)(c + 32);
        int kind = (c >= 'a' && c <= 'z') ? 1 : (c >= '0' && c <= '9') ? 2 : 0;
        if (kind == 1) {
            st->letters++;
            if (is_vowel(c)) {
                st->vowels++;
                run = 0;
            } else if (++run > st->max_consonant_run) {
                st->max_consonant_run = run;
            }
            if (prev == 1) {
                st->bigrams++;
                if (rp_det_dns_bigram_plausible(prevc, c)) st->plausible++;
            }
        } else {
            run = 0;
            if (kind == 2)
                st->digits++;
            else
                st->others++;
        }
        if ((prev == 1 && kind == 2) || (prev == 2 && kind == 1)) st->transitions++;
        prev = kind;
        prevc = c;
    }
    double n = (double)label.len, h = 0;
    for (size_t i = 0; i < 256; i++)
        if (counts[i]) {
            double p = counts[i] / n;
            h -= p * log2(p);
        }
    st->entropy = h;
}

/* ---- bounded table ----------------------------------------------------------------------- */

static uint64_t key_hash(struct rp_str key)
{
    return rp_hash_xxh3_64(key.p, key.len, 0x646e73u /* "dns" */);
}

rp_err rp_det_dns_tab_init(struct rp_det_dns_tab *t, size_t cap, size_t elsize,
                           struct rp_errbuf *eb)
{
    memset(t, 0, sizeof *t);
    if (!cap || cap > UINT32_MAX / 2) return rp_fail(eb, RP_EINVAL, "detect: bad table size");
    size_t nb = 1;
    while (nb < cap) nb <<= 1;
    t->cap = cap;
    t->elsize = elsize;
    t->nbuckets = nb;
    t->buckets = calloc(nb, sizeof *t->buckets);
    t->next = calloc(cap, sizeof *t->next);
    t->hash = calloc(cap, sizeof *t->hash);
    t->keys = calloc(cap, RP_DET_DNS_KEY_SZ);
    t->el = calloc(cap, elsize);
    t->used = calloc(cap, 1);
    if (!t->buckets || !t->next || !t->hash || !t->keys || !t->el || !t->used) {
        rp_det_dns_tab_release(t);
        return rp_fail(eb, RP_ENOMEM, "detect: out of memory");
    }
    for (size_t i = 0; i < cap; i++) t->next[i] = i + 1 < cap ? (uint32_t)(i + 2) : 0;
    t->free_head = 1;
    return RP_OK;
}

void rp_det_dns_tab_release(struct rp_det_dns_tab *t)
{
    free(t->buckets);
    free(t->next);
    free(t->hash);
    free(t->keys);
    free(t->el);
    free(t->used);
    memset(t, 0, sizeof *t);
}

static bool key_eq(const struct rp_det_dns_tab *t, size_t i, struct rp_str key)
{
    const char *k = t->keys + i * RP_DET_DNS_KEY_SZ;
    return strlen(k) == key.len && memcmp(k, key.p, key.len) == 0;
}

void *rp_det_dns_tab_get(struct rp_det_dns_tab *t, struct rp_str key)
{
    if (!t->cap || key.len >= RP_DET_DNS_KEY_SZ) return NULL;
    uint64_t h = key_hash(key);
    for (uint32_t i = t->buckets[h & (t->nbuckets - 1)]; i; i = t->next[i - 1])
        if (t->hash[i - 1] == h && key_eq(t, i - 1, key)) return t->el + (i - 1) * t->elsize;
    return NULL;
}

void *rp_det_dns_tab_put(struct rp_det_dns_tab *t, struct rp_str key)
{
    if (!t->cap || key.len >= RP_DET_DNS_KEY_SZ) return NULL;
    if (!t->free_head) {
        t->dropped++;
        return NULL;
    }
    uint32_t i = t->free_head - 1;
    t->free_head = t->next[i];
    uint64_t h = key_hash(key);
    size_t b = h & (t->nbuckets - 1);
    t->next[i] = t->buckets[b];
    t->buckets[b] = i + 1;
    t->hash[i] = h;
    memcpy(t->keys + (size_t)i * RP_DET_DNS_KEY_SZ, key.p, key.len);
    t->keys[(size_t)i * RP_DET_DNS_KEY_SZ + key.len] = '\0';
    t->used[i] = 1;
    t->n++;
    unsigned char *el = t->el + (size_t)i * t->elsize;
    memset(el, 0, t->elsize);
    return el;
}

void rp_det_dns_tab_del(struct rp_det_dns_tab *t, void *el)
{
    size_t i = (size_t)((unsigned char *)el - t->el) / t->elsize;
    if (i >= t->cap || !t->used[i]) return;
    size_t b = t->hash[i] & (t->nbuckets - 1);
    uint32_t *link = &t->buckets[b];
    while (*link && *link != i + 1) link = &t->next[*link - 1];
    if (*link) *link = t->next[i];
    t->used[i] = 0;
    t->next[i] = t->free_head;
    t->free_head = (uint32_t)i + 1;
    t->n--;
}

void *rp_det_dns_tab_at(struct rp_det_dns_tab *t, size_t i)
{
    return i < t->cap && t->used[i] ? t->el + i * t->elsize : NULL;
}

size_t rp_det_dns_public_name(const struct rp_det_event *ev, char buf[RP_DET_DNS_NAME_SZ],
                              struct rp_str *base)
{
    size_t len = rp_det_dns_name(ev, buf);
    struct rp_str n = {buf, len};
    if (!len || rp_det_dns_private_name(n)) return 0;
    *base = rp_det_dns_base_domain(n);
    return len;
}

/* ---- windows in the table ---------------------------------------------------------------- */

rp_err rp_det_dns_win_new(void **state, size_t cap, size_t elsize, int64_t window_ms,
                          rp_det_dns_close_fn close, struct rp_errbuf *eb)
{
    struct rp_det_dns_win *w = calloc(1, sizeof *w);
    if (!w) return rp_fail(eb, RP_ENOMEM, "detect: out of memory");
    rp_err e = rp_det_dns_tab_init(&w->tab, cap, elsize, eb);
    if (e != RP_OK) {
        free(w);
        return e;
    }
    w->window_ms = window_ms;
    w->next_sweep_ms = INT64_MIN;
    w->close = close;
    *state = w;
    return RP_OK;
}

void rp_det_dns_win_release(void *state)
{
    struct rp_det_dns_win *w = state;
    if (!w) return;
    rp_det_dns_tab_release(&w->tab);
    free(w);
}

/* The start of the window of entry el (its first member). */
static int64_t win_start(const void *el)
{
    int64_t t;
    memcpy(&t, el, sizeof t);
    return t;
}

static rp_err win_sweep(struct rp_det_ctx *dc, struct rp_det_dns_win *w, int64_t now, bool all,
                        struct rp_errbuf *eb)
{
    for (size_t i = 0; i < w->tab.cap; i++) {
        void *x = rp_det_dns_tab_at(&w->tab, i);
        if (!x || (!all && now < win_start(x) + w->window_ms)) continue;
        rp_err e = w->close(dc, x, eb);
        rp_det_dns_tab_del(&w->tab, x);
        if (e != RP_OK) return e;
    }
    return RP_OK;
}

rp_err rp_det_dns_win_tick(struct rp_det_ctx *dc, struct rp_det_dns_win *w, int64_t now,
                           struct rp_errbuf *eb)
{
    if (now < w->next_sweep_ms) return RP_OK;
    rp_err e = win_sweep(dc, w, now, false, eb);
    if (e != RP_OK) return e;
    w->next_sweep_ms = now + w->window_ms / 4;
    return RP_OK;
}

rp_err rp_det_dns_win_event(struct rp_det_ctx *dc, struct rp_det_dns_win *w,
                            const struct rp_det_event *ev, char buf[RP_DET_DNS_NAME_SZ],
                            size_t *len, struct rp_str *base, struct rp_errbuf *eb)
{
    *len = 0;
    rp_err e = rp_det_dns_win_tick(dc, w, ev->time_ms, eb);
    if (e != RP_OK) return e;
    *len = rp_det_dns_public_name(ev, buf, base);
    return RP_OK;
}

rp_err rp_det_dns_win_finish(struct rp_det_ctx *dc, void *state, struct rp_errbuf *eb)
{
    return win_sweep(dc, state, 0, true, eb);
}

rp_err rp_det_dns_win_entry(struct rp_det_ctx *dc, struct rp_det_dns_win *w, struct rp_str key,
                            int64_t now, void **out, bool *fresh, struct rp_errbuf *eb)
{
    *out = NULL;
    *fresh = false;
    void *x = rp_det_dns_tab_get(&w->tab, key);
    if (x && now >= win_start(x) + w->window_ms) {
        rp_err e = w->close(dc, x, eb);
        rp_det_dns_tab_del(&w->tab, x);
        x = NULL;
        if (e != RP_OK) return e;
    }
    if (!x) {
        x = rp_det_dns_tab_put(&w->tab, key);
        if (!x) return RP_OK; /* full: not tracked (tab.dropped) */
        memcpy(x, &now, sizeof now);
        *fresh = true;
    }
    *out = x;
    return RP_OK;
}

/* ---- Bloom filter ------------------------------------------------------------------------ */

bool rp_det_dns_bloom_add(uint64_t *bits, size_t nwords, uint64_t h)
{
    size_t nbits = nwords * 64;
    bool fresh = false;
    /* three probes from one 64-bit hash (double hashing) */
    uint64_t h1 = h, h2 = (h >> 32) | (h << 32);
    h2 |= 1;
    for (unsigned k = 0; k < 3; k++) {
        size_t b = (size_t)((h1 + k * h2) % nbits);
        uint64_t m = 1ull << (b % 64);
        if (!(bits[b / 64] & m)) {
            fresh = true;
            bits[b / 64] |= m;
        }
    }
    return fresh;
}
