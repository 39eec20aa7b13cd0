/* SPDX-License-Identifier: Apache-2.0 */
/* Threat-intelligence sets for a detection run (DESIGN.md §6, aws-facts §4.2) and the lookups
 * detectors call through their context.
 *
 * Addresses and CIDRs are keys in one rp_cidr_set (longest-prefix match, a /16 table plus
 * Patricia tries) whose value is the key's index. A key links to the longest key strictly
 * containing it (its parent), so a lookup returns every entry holding an address: the longest
 * match, then its chain of parents. Parent links are found by probing an exact-match hash of
 * the keys at each shorter prefix length in use (a bitmap says which) and cached per key until
 * the next new key, so a hit costs one longest-prefix match plus a short walk. Domains are keys
 * in a hash of names probed at every label boundary, the whole name first. Each key has a chain
 * of tags, one per list holding it. Trusted-IP prefixes of active lists are also kept in a set
 * of their own, so "trusted wins" costs one lookup in a small set. Lookups allocate nothing; a
 * miss (the common case for a flow record) costs one longest-prefix match.
 *
 * Built before a run (rp_det_ti_add, rp_det_ti_load: built-in lists, then the store's active
 * lists), unchanged during it. One thread: lookups fill the parent-link cache. */
#define RP_LOG_MODULE "detect"
#include <stdlib.h>
#include <string.h>

#include "core/rp_buf.h"
#include "core/rp_embed.h"
#include "core/rp_hash.h"
#include "detect/detect_ctx.h"
#include "detect/detect_ti_internal.h"
#include "core/rp_banned.h"

#define TI_NIL       UINT32_MAX
#define TI_FIRST     (TI_NIL - 1) /* key_list iteration state: the key's first list is next */
#define TI_MAX_LISTS 65536u       /* lists in one set (the store allows far fewer) */
#define TI_MAX_DEPTH 129          /* prefixes that can contain one address: /0 .. /128 */

/* ---- kinds ------------------------------------------------------------------------------- */

static const char *const kind_names[RP_TI__COUNT + 1] = {
    [RP_TI_THREAT] = "threat",
    [RP_TI_TRUSTED] = "trusted",
    [RP_TI_TOR] = "tor",
    [RP_TI_MALICIOUS] = "malicious",
    [RP_TI_C2] = "c2",
    [RP_TI_MINING] = "mining",
    [RP_TI_PHISHING] = "phishing",
    [RP_TI_DROP_POINT] = "drop-point",
    [RP_TI_BLACKHOLE] = "blackhole",
    [RP_TI_DRIVE_BY] = "drive-by",
    [RP_TI_DGA] = "dga",
    [RP_TI__COUNT] = NULL,
};

const char *const rp_detect_ti_kind_names[] = {
    "threat",   "trusted",    "tor",       "malicious", "c2",  "mining",
    "phishing", "drop-point", "blackhole", "drive-by",  "dga", NULL,
};

const char *rp_det_ti_kind_name(enum rp_det_ti_kind k)
{
    return (unsigned)k < RP_TI__COUNT ? kind_names[k] : NULL;
}

rp_err rp_det_ti_kind_find(const char *s, enum rp_det_ti_kind *out)
{
    for (unsigned k = 0; s && k < RP_TI__COUNT; k++)
        if (strcmp(s, kind_names[k]) == 0) {
            *out = (enum rp_det_ti_kind)k;
            return RP_OK;
        }
    return RP_EINVAL;
}

bool rp_detect_ti_kind_valid(const char *s)
{
    enum rp_det_ti_kind k;
    return rp_det_ti_kind_find(s, &k) == RP_OK;
}

/* ---- canonical entries ------------------------------------------------------------------- */

static char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c + ('a' - 'A')) : c;
}

/* A mapped IPv6 prefix of /96 or longer is the IPv4 prefix it stands for. */
static void cidr_unmap(struct rp_cidr *c)
{
    if (c->addr.family != RP_IP_V6 || c->len < 96 || !rp_ip_is_v4_mapped(&c->addr)) return;
    struct rp_ip v4;
    rp_ip_unmap(&c->addr, &v4);
    c->addr = v4;
    c->len = (uint8_t)(c->len - 96);
}

static unsigned full_len(const struct rp_ip *ip)
{
    return ip->family == RP_IP_V4 ? 32 : 128;
}

/* Domain rules (RFC 1035 lengths, lenient on characters: feeds list names with '_'): labels of
 * [a-z0-9_-], 1..63 bytes, at least two, at most 253 bytes in all, and a top-level label that
 * is not all digits (so "1.2.3.999" is no domain). */
static rp_err domain_check(const char *d, size_t n, struct rp_errbuf *eb)
{
    if (n > 253) return rp_fail(eb, RP_EPARSE, "domain longer than 253 characters");
    size_t labels = 0, lab = 0;
    bool digits_only = true;
    for (size_t i = 0; i <= n; i++) {
        if (i == n || d[i] == '.') {
            if (lab == 0) return rp_fail(eb, RP_EPARSE, "not an address, CIDR or domain");
            if (lab > 63) return rp_fail(eb, RP_EPARSE, "domain label longer than 63 characters");
            labels++;
            if (i < n) {
                lab = 0;
                digits_only = true;
            }
            continue;
        }
        char c = d[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
            return rp_fail(eb, RP_EPARSE, "not an address, CIDR or domain");
        if (!(c >= '0' && c <= '9')) digits_only = false;
        lab++;
    }
    if (labels < 2 || digits_only) return rp_fail(eb, RP_EPARSE, "not an address, CIDR or domain");
    return RP_OK;
}

/* canon() with the parsed prefix for addresses and CIDRs. */
static rp_err canon(struct rp_str s, char out[RP_DET_TI_ENTRY_SZ], enum rp_det_ti_entry_type *type,
                    bool *host_bits, struct rp_cidr *c, struct rp_errbuf *eb)
{
    out[0] = '\0';
    if (host_bits) *host_bits = false;
    s = rp_str_trim(s);
    if (!s.len) return rp_fail(eb, RP_EPARSE, "empty entry");
    struct rp_ip ip;
    const char *slash = memchr(s.p, '/', s.len);
    if (slash) {
        bool hb = false;
        /* "not a valid CIDR" only when an address is followed by a bad length ("10.0.0.0/33") */
        if (rp_ip_parse((struct rp_str){s.p, (size_t)(slash - s.p)}, &ip, NULL))
            return rp_fail(eb, RP_EPARSE, "not an address, CIDR or domain");
        if (rp_cidr_parse(s, c, &hb, NULL)) return rp_fail(eb, RP_EPARSE, "not a valid CIDR");
        if (host_bits) *host_bits = hb;
        cidr_unmap(c);
    } else if (rp_ip_parse(s, &ip, NULL) == RP_OK) {
        rp_ip_unmap(&ip, &ip);
        c->addr = ip;
        c->len = (uint8_t)full_len(&ip);
    } else {
        if (rp_str_has_prefix(s, "*.")) {
            s.p += 2;
            s.len -= 2;
        } else if (rp_str_has_prefix(s, ".")) {
            s.p++;
            s.len--;
        }
        if (s.len && s.p[s.len - 1] == '.') s.len--;
        if (s.len >= RP_DET_TI_ENTRY_SZ)
            return rp_fail(eb, RP_EPARSE, "domain longer than 253 characters");
        for (size_t i = 0; i < s.len; i++) out[i] = lower(s.p[i]);
        out[s.len] = '\0';
        rp_err e = domain_check(out, s.len, eb);
        if (e) {
            out[0] = '\0';
            return e;
        }
        *type = RP_TI_ENTRY_DOMAIN;
        return RP_OK;
    }
    rp_err e = c->len == full_len(&c->addr) ? rp_ip_format(&c->addr, out, RP_DET_TI_ENTRY_SZ)
                                            : rp_cidr_format(c, out, RP_DET_TI_ENTRY_SZ);
    if (e) return rp_fail(eb, RP_EPARSE, "not an address, CIDR or domain");
    *type = c->len == full_len(&c->addr) ? RP_TI_ENTRY_IP : RP_TI_ENTRY_CIDR;
    return RP_OK;
}

rp_err rp_det_ti_entry_canon(struct rp_str s, char out[RP_DET_TI_ENTRY_SZ],
                             enum rp_det_ti_entry_type *type, bool *host_bits, struct rp_errbuf *eb)
{
    struct rp_cidr c;
    enum rp_det_ti_entry_type t = RP_TI_ENTRY_DOMAIN;
    rp_err e = canon(s, out, &t, host_bits, &c, eb);
    if (!e && type) *type = t;
    return e;
}

/* ---- the set ----------------------------------------------------------------------------- */

struct ti_list {
    const char *name; /* arena */
    enum rp_det_ti_kind kind;
    bool active;
};

/* A key's lists: the first one inline (most keys are on one list, so a hit touches no tag),
 * the others in a chain of tags. */
struct ti_tag {
    uint32_t next; /* next tag of the same key, TI_NIL = last */
    uint32_t list;
};

struct ti_ipkey {
    struct rp_cidr c; /* canonical: unmapped, host bits clear */
    uint32_t list0;   /* its first list */
    uint32_t more;    /* first tag of the others, TI_NIL = none */
    uint32_t parent;  /* the longest key strictly containing this one, TI_NIL = none; valid
                         when gen == the set's gen (a cache filled by lookups) */
    uint32_t gen;
    const char *name; /* arena: canonical text */
};

struct ti_domkey {
    const char *name; /* arena: canonical text */
    uint64_t hash;
    uint32_t len;
    uint32_t list0, more; /* as in ti_ipkey */
};

struct rp_det_ti {
    struct rp_arena arena; /* names */
    struct ti_list *lists;
    size_t nlists, caplists, last_list;
    struct ti_tag *tags;
    size_t ntags, captags;
    struct ti_ipkey *ipk;
    size_t nipk, capipk;
    uint32_t *iph; /* exact index over ipk: key + 1, 0 = empty; power-of-two size */
    size_t iphcap;
    uint64_t lens4;              /* bit l: an IPv4 key of length l exists */
    uint64_t lens6[3];           /* bit l % 64 of word l / 64: an IPv6 key of length l exists */
    struct rp_cidr_set *ips;     /* every address key -> its index */
    struct rp_cidr_set *trusted; /* prefixes of active trusted lists */
    size_t ntrusted;
    uint32_t gen; /* bumped by every new address key: invalidates the parent links */
    struct ti_domkey *dk;
    size_t ndk, capdk;
    uint32_t *dh; /* index over dk: key + 1, 0 = empty; power-of-two size */
    size_t dhcap;
};

rp_err rp_det_ti_new(struct rp_det_ti **out)
{
    *out = NULL;
    struct rp_det_ti *ti = calloc(1, sizeof *ti);
    if (!ti) return RP_ENOMEM;
    rp_arena_init(&ti->arena, 0);
    ti->ips = rp_cidr_set_new();
    ti->trusted = rp_cidr_set_new();
    if (!ti->ips || !ti->trusted) {
        rp_det_ti_free(ti);
        return RP_ENOMEM;
    }
    ti->last_list = TI_NIL;
    *out = ti;
    return RP_OK;
}

void rp_det_ti_free(struct rp_det_ti *ti)
{
    if (!ti) return;
    rp_cidr_set_free(ti->ips);
    rp_cidr_set_free(ti->trusted);
    free(ti->lists);
    free(ti->tags);
    free(ti->ipk);
    free(ti->iph);
    free(ti->dk);
    free(ti->dh);
    rp_arena_release(&ti->arena);
    free(ti);
}

/* Grow *arr (of *cap elements of size sz) to hold n + 1. */
static rp_err grow(void **arr, size_t *cap, size_t n, size_t sz)
{
    if (n < *cap) return RP_OK;
    size_t c = *cap ? *cap * 2 : 64;
    void *p = realloc(*arr, c * sz);
    if (!p) return RP_ENOMEM;
    *arr = p;
    *cap = c;
    return RP_OK;
}

static uint64_t mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

static uint64_t cidr_hash(const struct rp_cidr *c)
{
    uint64_t a = 0, b = 0;
    memcpy(&a, c->addr.b, 8);
    memcpy(&b, c->addr.b + 8, 8);
    return mix64(a ^ mix64(b ^ ((uint64_t)c->len << 8 | c->addr.family)));
}

static bool cidr_eq(const struct rp_cidr *a, const struct rp_cidr *b)
{
    return a->len == b->len && a->addr.family == b->addr.family &&
           memcmp(a->addr.b, b->addr.b, sizeof a->addr.b) == 0;
}

static uint32_t ip_find(const struct rp_det_ti *ti, const struct rp_cidr *c)
{
    if (!ti->iphcap) return TI_NIL;
    size_t m = ti->iphcap - 1;
    for (size_t h = cidr_hash(c) & m;; h = (h + 1) & m) {
        uint32_t v = ti->iph[h];
        if (!v) return TI_NIL;
        if (cidr_eq(&ti->ipk[v - 1].c, c)) return v - 1;
    }
}

static rp_err ip_index_grow(struct rp_det_ti *ti)
{
    if ((ti->nipk + 1) * 2 <= ti->iphcap) return RP_OK;
    size_t cap = ti->iphcap ? ti->iphcap * 2 : 1024;
    uint32_t *t = calloc(cap, sizeof *t);
    if (!t) return RP_ENOMEM;
    for (size_t i = 0; i < ti->nipk; i++) {
        size_t h = cidr_hash(&ti->ipk[i].c) & (cap - 1);
        while (t[h]) h = (h + 1) & (cap - 1);
        t[h] = (uint32_t)i + 1;
    }
    free(ti->iph);
    ti->iph = t;
    ti->iphcap = cap;
    return RP_OK;
}

static uint64_t dom_hash(const char *p, size_t n)
{
    return rp_hash_xxh3_64(p, n, 0);
}

static uint32_t dom_find(const struct rp_det_ti *ti, const char *p, size_t n, uint64_t hash)
{
    if (!ti->dhcap) return TI_NIL;
    size_t m = ti->dhcap - 1;
    for (size_t h = hash & m;; h = (h + 1) & m) {
        uint32_t v = ti->dh[h];
        if (!v) return TI_NIL;
        const struct ti_domkey *k = &ti->dk[v - 1];
        if (k->hash == hash && k->len == n && memcmp(k->name, p, n) == 0) return v - 1;
    }
}

static rp_err dom_index_grow(struct rp_det_ti *ti)
{
    if ((ti->ndk + 1) * 2 <= ti->dhcap) return RP_OK;
    size_t cap = ti->dhcap ? ti->dhcap * 2 : 256;
    uint32_t *t = calloc(cap, sizeof *t);
    if (!t) return RP_ENOMEM;
    for (size_t i = 0; i < ti->ndk; i++) {
        size_t h = ti->dk[i].hash & (cap - 1);
        while (t[h]) h = (h + 1) & (cap - 1);
        t[h] = (uint32_t)i + 1;
    }
    free(ti->dh);
    ti->dh = t;
    ti->dhcap = cap;
    return RP_OK;
}

static rp_err list_index(struct rp_det_ti *ti, enum rp_det_ti_kind kind, const char *name,
                         bool active, uint32_t *out)
{
    if (!name) name = "";
    const struct ti_list *l = ti->last_list != TI_NIL ? &ti->lists[ti->last_list] : NULL;
    if (l && l->kind == kind && l->active == active && strcmp(l->name, name) == 0) {
        *out = (uint32_t)ti->last_list;
        return RP_OK;
    }
    for (size_t i = 0; i < ti->nlists; i++) {
        l = &ti->lists[i];
        if (l->kind == kind && l->active == active && strcmp(l->name, name) == 0) {
            ti->last_list = i;
            *out = (uint32_t)i;
            return RP_OK;
        }
    }
    if (ti->nlists >= TI_MAX_LISTS) return RP_ELIMIT;
    if (grow((void **)&ti->lists, &ti->caplists, ti->nlists, sizeof *ti->lists)) return RP_ENOMEM;
    const char *copy = rp_arena_strdup(&ti->arena, name);
    if (!copy) return RP_ENOMEM;
    ti->lists[ti->nlists] = (struct ti_list){.name = copy, .kind = kind, .active = active};
    ti->last_list = ti->nlists;
    *out = (uint32_t)ti->nlists++;
    return RP_OK;
}

/* Put list li on a key whose first list is list0 and whose other lists chain from *more;
 * *added = false when it is there already. */
static rp_err tag_add(struct rp_det_ti *ti, uint32_t list0, uint32_t *more, uint32_t li,
                      bool *added)
{
    *added = false;
    if (list0 == li) return RP_OK;
    uint32_t *link = more;
    for (uint32_t t = *more; t != TI_NIL; t = ti->tags[t].next) {
        if (ti->tags[t].list == li) {
            *added = false;
            return RP_OK;
        }
        link = &ti->tags[t].next;
    }
    if (ti->ntags >= TI_FIRST) return RP_ELIMIT;
    if (grow((void **)&ti->tags, &ti->captags, ti->ntags, sizeof *ti->tags)) return RP_ENOMEM;
    ti->tags[ti->ntags] = (struct ti_tag){.next = TI_NIL, .list = li};
    *link = (uint32_t)ti->ntags++;
    *added = true;
    return RP_OK;
}

static void lens_set(struct rp_det_ti *ti, const struct rp_cidr *c)
{
    if (c->addr.family == RP_IP_V4)
        ti->lens4 |= 1ull << c->len;
    else
        ti->lens6[c->len / 64] |= 1ull << (c->len % 64);
}

static bool lens_has(const struct rp_det_ti *ti, unsigned fam, unsigned l)
{
    return fam == RP_IP_V4 ? (ti->lens4 >> l) & 1u : (ti->lens6[l / 64] >> (l % 64)) & 1u;
}

static rp_err add_ip(struct rp_det_ti *ti, const struct rp_cidr *c, const char *text, uint32_t li,
                     bool *added)
{
    uint32_t k = ip_find(ti, c);
    if (k == TI_NIL) {
        if (ti->nipk >= TI_NIL - 1) return RP_ELIMIT;
        if (grow((void **)&ti->ipk, &ti->capipk, ti->nipk, sizeof *ti->ipk) || ip_index_grow(ti))
            return RP_ENOMEM;
        const char *name = rp_arena_strdup(&ti->arena, text);
        if (!name) return RP_ENOMEM;
        k = (uint32_t)ti->nipk;
        rp_err e = rp_cidr_set_insert(ti->ips, c, k);
        if (e) return e;
        ti->ipk[k] = (struct ti_ipkey){
            .c = *c, .list0 = li, .more = TI_NIL, .parent = TI_NIL, .gen = 0, .name = name};
        ti->gen = ti->gen + 1 ? ti->gen + 1 : 1; /* never 0, the "never computed" mark */
        ti->nipk++;
        size_t m = ti->iphcap - 1, h = cidr_hash(c) & m;
        while (ti->iph[h]) h = (h + 1) & m;
        ti->iph[h] = k + 1;
        lens_set(ti, c);
        *added = true;
        return RP_OK;
    }
    return tag_add(ti, ti->ipk[k].list0, &ti->ipk[k].more, li, added);
}

static rp_err add_domain(struct rp_det_ti *ti, const char *text, size_t n, uint32_t li, bool *added)
{
    uint64_t h = dom_hash(text, n);
    uint32_t k = dom_find(ti, text, n, h);
    if (k == TI_NIL) {
        if (ti->ndk >= TI_NIL - 1) return RP_ELIMIT;
        if (grow((void **)&ti->dk, &ti->capdk, ti->ndk, sizeof *ti->dk) || dom_index_grow(ti))
            return RP_ENOMEM;
        const char *name = rp_arena_memdup(&ti->arena, text, n);
        if (!name) return RP_ENOMEM;
        k = (uint32_t)ti->ndk++;
        ti->dk[k] = (struct ti_domkey){
            .name = name, .hash = h, .len = (uint32_t)n, .list0 = li, .more = TI_NIL};
        size_t m = ti->dhcap - 1, s = h & m;
        while (ti->dh[s]) s = (s + 1) & m;
        ti->dh[s] = k + 1;
        *added = true;
        return RP_OK;
    }
    return tag_add(ti, ti->dk[k].list0, &ti->dk[k].more, li, added);
}

rp_err rp_det_ti_add_ex(struct rp_det_ti *ti, enum rp_det_ti_kind kind, const char *list,
                        bool active, struct rp_str entry, bool *added, struct rp_errbuf *eb)
{
    bool dummy = false;
    if (!added) added = &dummy;
    *added = false;
    if ((unsigned)kind >= RP_TI__COUNT)
        return rp_fail(eb, RP_EINVAL, "threatintel: bad list kind %d", (int)kind);
    char text[RP_DET_TI_ENTRY_SZ];
    enum rp_det_ti_entry_type type = RP_TI_ENTRY_DOMAIN;
    struct rp_cidr c;
    struct rp_errbuf why = {0};
    if (canon(entry, text, &type, NULL, &c, &why)) {
        struct rp_str t = rp_str_trim(entry);
        return rp_fail(eb, RP_EPARSE, "threatintel: %s: '%.*s'", why.msg,
                       (int)(t.len > 100 ? 100 : t.len), t.p ? t.p : "");
    }
    if (type == RP_TI_ENTRY_DOMAIN && kind == RP_TI_TRUSTED)
        return rp_fail(eb, RP_EPARSE,
                       "threatintel: a trusted IP list holds addresses and CIDRs only: '%s'", text);
    uint32_t li = 0;
    rp_err e = list_index(ti, kind, list, active, &li);
    if (!e)
        e = type == RP_TI_ENTRY_DOMAIN ? add_domain(ti, text, strlen(text), li, added)
                                       : add_ip(ti, &c, text, li, added);
    if (!e && type != RP_TI_ENTRY_DOMAIN && kind == RP_TI_TRUSTED && active) {
        e = rp_cidr_set_insert(ti->trusted, &c, 0);
        if (!e) ti->ntrusted = rp_cidr_set_count(ti->trusted);
    }
    if (e == RP_ELIMIT)
        return rp_fail(eb, e, "threatintel: too many lists or entries to add '%s'", text);
    if (e) return rp_fail(eb, e, "threatintel: cannot add '%s': %s", text, rp_strerror(e));
    return RP_OK;
}

rp_err rp_det_ti_add(struct rp_det_ti *ti, enum rp_det_ti_kind kind, const char *list,
                     struct rp_str entry, struct rp_errbuf *eb)
{
    return rp_det_ti_add_ex(ti, kind, list, true, entry, NULL, eb);
}

/* ---- lookups ----------------------------------------------------------------------------- */

/* The longest key strictly containing key k: probe each shorter length in use, longest
 * first. */
static uint32_t parent_probe(const struct rp_det_ti *ti, uint32_t k)
{
    const struct rp_cidr *kc = &ti->ipk[k].c;
    unsigned fam = kc->addr.family;
    if (fam == RP_IP_V4) {
        uint64_t bits = kc->len ? ti->lens4 & ((1ull << kc->len) - 1) : 0;
        while (bits) {
            unsigned l = 63u - (unsigned)__builtin_clzll(bits);
            bits &= ~(1ull << l);
            struct rp_cidr c;
            if (rp_cidr_from_ip(&kc->addr, l, &c, NULL)) continue;
            uint32_t p = ip_find(ti, &c);
            if (p != TI_NIL) return p;
        }
        return TI_NIL;
    }
    for (unsigned l = kc->len; l-- > 0;) {
        if (!lens_has(ti, fam, l)) continue;
        struct rp_cidr c;
        if (rp_cidr_from_ip(&kc->addr, l, &c, NULL)) continue;
        uint32_t p = ip_find(ti, &c);
        if (p != TI_NIL) return p;
    }
    return TI_NIL;
}

/* The parent link of key k, computed once per generation of the set (lookups fill this cache,
 * which is why a set serves one thread: detect_internal.h). */
static uint32_t parent_of(struct rp_det_ti *ti, uint32_t k)
{
    struct ti_ipkey *x = &ti->ipk[k];
    if (x->gen != ti->gen) {
        x->parent = parent_probe(ti, k);
        x->gen = ti->gen;
    }
    return x->parent;
}

/* The keys of every prefix containing ip, the longest first: the longest match, then its
 * chain of parents. ip is unmapped already. */
static size_t ip_keys(struct rp_det_ti *ti, const struct rp_ip *ip, uint32_t *keys)
{
    uint32_t v = 0;
    if (!ti->nipk || !rp_cidr_set_lookup(ti->ips, ip, &v, NULL)) return 0;
    size_t n = 0;
    for (uint32_t k = v; k != TI_NIL && n < TI_MAX_DEPTH; k = parent_of(ti, k)) keys[n++] = k;
    return n;
}

/* The next list of a key (list0, more) into *li; *st starts at TI_FIRST. */
static inline bool key_list(const struct rp_det_ti *ti, uint32_t list0, uint32_t more, uint32_t *st,
                            uint32_t *li)
{
    if (*st == TI_FIRST) {
        *li = list0;
        *st = more;
        return true;
    }
    if (*st == TI_NIL) return false;
    *li = ti->tags[*st].list;
    *st = ti->tags[*st].next;
    return true;
}

static void hit_fill(const struct rp_det_ti *ti, uint32_t li, const char *name,
                     struct rp_det_ti_hit *h)
{
    const struct ti_list *l = &ti->lists[li];
    h->kind = l->kind;
    h->list = l->name;
    h->name = name;
}

static bool ti_trusted(const struct rp_det_ti *ti, const struct rp_ip *ip)
{
    return ti && ti->ntrusted && rp_cidr_set_lookup(ti->trusted, ip, NULL, NULL);
}

bool rp_det_ti_trusted(struct rp_det_ctx *dc, const struct rp_ip *ip)
{
    return dc && ip && ti_trusted(dc->ti, ip);
}

size_t rp_det_ti_ip(struct rp_det_ctx *dc, const struct rp_ip *ip, struct rp_det_ti_hit *hits,
                    size_t max)
{
    struct rp_det_ti *ti = dc ? dc->ti : NULL;
    if (!ti || !ip || !max || !ti->nipk || ti_trusted(ti, ip)) return 0;
    struct rp_ip u;
    if (ip->family == RP_IP_V6) { /* keys are canonical: a mapped address is its IPv4 form */
        rp_ip_unmap(ip, &u);
        ip = &u;
    }
    uint32_t keys[TI_MAX_DEPTH];
    size_t nk = ip_keys(ti, ip, keys), n = 0;
    for (size_t i = 0; i < nk; i++) {
        const struct ti_ipkey *k = &ti->ipk[keys[i]];
        for (uint32_t st = TI_FIRST, li = 0; key_list(ti, k->list0, k->more, &st, &li);) {
            const struct ti_list *l = &ti->lists[li];
            if (!l->active || l->kind == RP_TI_TRUSTED) continue;
            hit_fill(ti, li, k->name, &hits[n]);
            if (++n == max) return n;
        }
    }
    return n;
}

size_t rp_det_ti_ip_str(struct rp_det_ctx *dc, struct rp_str ip, struct rp_det_ti_hit *hits,
                        size_t max)
{
    struct rp_ip a;
    if (!ip.p || !ip.len || rp_ip_parse(ip, &a, NULL)) return 0;
    return rp_det_ti_ip(dc, &a, hits, max);
}

/* name in lower case into buf (>= 256 bytes), without a trailing dot, keeping at most the
 * last 253 bytes from a label boundary on (a longer name can only match by a suffix). */
static size_t dom_norm(struct rp_str name, char *buf)
{
    if (!name.p) return 0;
    if (name.len && name.p[name.len - 1] == '.') name.len--;
    if (name.len > 253) {
        size_t off = name.len - 253;
        if (name.p[off - 1] != '.') {
            const char *dot = memchr(name.p + off, '.', name.len - off);
            if (!dot) return 0;
            off = (size_t)(dot - name.p) + 1;
        }
        name.p += off;
        name.len -= off;
    }
    for (size_t i = 0; i < name.len; i++) buf[i] = lower(name.p[i]);
    return name.len;
}

/* Calls back with each domain key matching buf[0..n) or a parent domain, longest first. */
#define DOM_EACH(ti, buf, n, k, body)                                                              \
    for (size_t off_ = 0; off_ < (n);) {                                                           \
        uint32_t k = dom_find((ti), (buf) + off_, (n)-off_, dom_hash((buf) + off_, (n)-off_));     \
        if (k != TI_NIL) body;                                                                     \
        const char *dot_ = memchr((buf) + off_, '.', (n)-off_);                                    \
        if (!dot_) break;                                                                          \
        off_ = (size_t)(dot_ - (buf)) + 1;                                                         \
    }

size_t rp_det_ti_domain(struct rp_det_ctx *dc, struct rp_str name, struct rp_det_ti_hit *hits,
                        size_t max)
{
    const struct rp_det_ti *ti = dc ? dc->ti : NULL;
    if (!ti || !ti->ndk || !max) return 0;
    char buf[256];
    size_t len = dom_norm(name, buf), n = 0;
    DOM_EACH(ti, buf, len, k, {
        const struct ti_domkey *d = &ti->dk[k];
        for (uint32_t st = TI_FIRST, li = 0; key_list(ti, d->list0, d->more, &st, &li);) {
            if (!ti->lists[li].active) continue;
            hit_fill(ti, li, d->name, &hits[n]);
            if (++n == max) return n;
        }
    })
    return n;
}

size_t rp_det_ti_hits_all_ip(struct rp_det_ti *ti, const struct rp_ip *ip,
                             struct rp_det_ti_hit_ex *hits, size_t max)
{
    if (!ti || !ip || !max) return 0;
    struct rp_ip u;
    rp_ip_unmap(ip, &u);
    uint32_t keys[TI_MAX_DEPTH];
    size_t nk = ip_keys(ti, &u, keys), n = 0;
    for (size_t i = 0; i < nk; i++) {
        const struct ti_ipkey *k = &ti->ipk[keys[i]];
        for (uint32_t st = TI_FIRST, li = 0; key_list(ti, k->list0, k->more, &st, &li);) {
            hit_fill(ti, li, k->name, &hits[n].h);
            hits[n].active = ti->lists[li].active;
            if (++n == max) return n;
        }
    }
    return n;
}

size_t rp_det_ti_hits_all_domain(const struct rp_det_ti *ti, struct rp_str name,
                                 struct rp_det_ti_hit_ex *hits, size_t max)
{
    if (!ti || !ti->ndk || !max) return 0;
    char buf[256];
    size_t len = dom_norm(name, buf), n = 0;
    DOM_EACH(ti, buf, len, k, {
        const struct ti_domkey *d = &ti->dk[k];
        for (uint32_t st = TI_FIRST, li = 0; key_list(ti, d->list0, d->more, &st, &li);) {
            hit_fill(ti, li, d->name, &hits[n].h);
            hits[n].active = ti->lists[li].active;
            if (++n == max) return n;
        }
    })
    return n;
}

/* Stratum (mining pool protocol) ports that public pools publish for their miners: 3333 is the
 * protocol's customary default; 4444/5555/6666/7777/9999 are the usual difficulty tiers of
 * Monero and Ethereum pools; 2222 (2Miners), 10001/10128 (MoneroOcean's difficulty ports),
 * 14433/14444 (Nanopool, TLS and plain), 45560/45700 (MinerGate). A port alone is weak
 * evidence (several are also used by ordinary software); detectors combine it with other
 * signals. Sorted for the binary search. */
static const uint16_t mining_ports[] = {2222, 3333,  3334,  3335,  4444,  5555,  6666, 7777,
                                        9999, 10001, 10128, 14433, 14444, 45560, 45700};

bool rp_det_ti_mining_port(int port)
{
    size_t lo = 0, hi = sizeof mining_ports / sizeof mining_ports[0];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (mining_ports[mid] == port) return true;
        if (mining_ports[mid] < port)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

/* ---- built-in lists and loading ------------------------------------------------------------ */

#define BUILTIN_DIR "detect/threatintel/"

struct builtin_paths {
    const char *paths[64];
    size_t n;
};

static int collect_builtin(const struct rp_embed_file *f, void *ctx)
{
    struct builtin_paths *b = ctx;
    size_t n = strlen(f->path);
    if (n > 4 && strcmp(f->path + n - 4, ".txt") == 0 && b->n < RP_ARRAY_LEN(b->paths))
        b->paths[b->n++] = f->path;
    return 0;
}

/* The kind from the file's "# kind: NAME" line (among its leading comment lines). */
static rp_err builtin_kind(const char *path, const char *p, size_t n, enum rp_det_ti_kind *k,
                           struct rp_errbuf *eb)
{
    struct rp_str rest = {p, n}, line;
    while (rp_str_split_next(&rest, '\n', &line)) {
        line = rp_str_trim(line);
        if (!line.len) continue;
        if (line.p[0] != '#') break;
        line.p++;
        line.len--;
        line = rp_str_trim(line);
        if (!rp_str_has_prefix(line, "kind:")) continue;
        struct rp_str v = rp_str_trim((struct rp_str){line.p + 5, line.len - 5});
        char name[32];
        if (v.len < sizeof name) {
            memcpy(name, v.p, v.len);
            name[v.len] = '\0';
            if (rp_det_ti_kind_find(name, k) == RP_OK) return RP_OK;
        }
        return rp_fail(eb, RP_EPARSE, "threatintel: built-in list '%s': unknown kind '%.*s'", path,
                       (int)(v.len > 32 ? 32 : v.len), v.p);
    }
    return rp_fail(eb, RP_EPARSE, "threatintel: built-in list '%s' has no '# kind:' line", path);
}

rp_err rp_det_ti_builtin_each(rp_det_ti_builtin_fn fn, void *ctx, struct rp_errbuf *eb)
{
    struct builtin_paths b = {.n = 0};
    (void)rp_embed_each(BUILTIN_DIR, collect_builtin, &b);
    rp_err e = RP_OK;
    for (size_t i = 0; i < b.n && !e; i++) {
        struct rp_buf buf;
        rp_buf_init(&buf, RP_DETECT_TI_MAX_FILE_BYTES);
        e = rp_embed_load(b.paths[i], &buf, eb);
        enum rp_det_ti_kind kind = RP_TI_THREAT;
        if (!e) e = builtin_kind(b.paths[i], buf.data ? buf.data : "", buf.len, &kind, eb);
        if (!e) {
            const char *base = b.paths[i] + strlen(BUILTIN_DIR);
            char name[128];
            snprintf(name, sizeof name, "builtin/%.*s", (int)(strlen(base) - 4), base);
            e = fn(ctx, name, kind, b.paths[i], buf.data ? buf.data : "", buf.len, eb);
        }
        rp_buf_release(&buf);
    }
    return e;
}

struct builtin_add {
    struct rp_det_ti *ti;
    const char *name, *path;
    enum rp_det_ti_kind kind;
};

static rp_err builtin_entry(void *ctx, struct rp_str value, const struct rp_det_ti_rec *rec,
                            struct rp_errbuf *eb)
{
    struct builtin_add *b = ctx;
    int64_t line = rec->line;
    struct rp_errbuf why = {0};
    rp_err e = rp_det_ti_add_ex(b->ti, b->kind, b->name, true, value, NULL, &why);
    if (e)
        return rp_fail(eb, e, "threatintel: built-in list '%s' line %lld: %s", b->path,
                       (long long)line, why.msg);
    return RP_OK;
}

static rp_err builtin_reject(void *ctx, const char *reason, const struct rp_det_ti_rec *rec,
                             struct rp_errbuf *eb)
{
    struct builtin_add *b = ctx;
    return rp_fail(eb, RP_EPARSE, "threatintel: built-in list '%s' line %lld: %s", b->path,
                   (long long)rec->line, reason);
}

static rp_err builtin_load(void *ctx, const char *name, enum rp_det_ti_kind kind, const char *path,
                           const char *data, size_t len, struct rp_errbuf *eb)
{
    struct builtin_add b = {.ti = ctx, .name = name, .path = path, .kind = kind};
    struct rp_det_ti_sink s = {.entry = builtin_entry, .reject = builtin_reject, .ctx = &b};
    return rp_det_ti_parse(RP_DETECT_TI_TXT, data, len, &s, eb);
}

rp_err rp_det_ti_load(struct rp_det_ti *ti, struct rp_store *st, struct rp_errbuf *eb)
{
    rp_err e = rp_det_ti_builtin_each(builtin_load, ti, eb);
    if (!e && st) e = rp_det_ti_store_load(ti, st, false, eb);
    return e;
}
