/* SPDX-License-Identifier: Apache-2.0 */
/* rp_ip: addresses, CIDR prefixes, classification and the CIDR set (see rp_ip.h).
 *
 * Ingest parses srcaddr/dstaddr/sourceIPAddress with rp_ip_parse; detection classifies them
 * and looks them up in threat-intel and allow-list CIDR sets once per record. Parsing uses
 * inet_pton(3); formatting is done here so the output is RFC 5952 on every libc.
 *
 * CIDR set layout: per family (IPv4, IPv6) one table of 65536 slots indexed by the first 16
 * bits of the address. Prefixes of length <= 16 live in a complete binary tree array indexed
 * by (length, bits) and are expanded into the slots they cover (slot.shortix points at the
 * longest one), so a duplicate insert is O(1) and a new one writes at most 65536 slots once.
 * Longer prefixes live in a path-compressed binary trie per slot: every node stores its
 * whole prefix, so a lookup walks down comparing masked 128-bit keys and remembers the last
 * node with a value. Nodes sit in one array addressed by uint32 index (0 = none), so growth
 * is a realloc and a lookup allocates nothing. IPv4 keys are the 32 address bits at the top
 * of a 128-bit key. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rp_ip.h"
#include "core/rp_banned.h"

#define NSLOTS 65536u
#define NSHORT 131071u /* prefixes of length 0..16: 2^17 - 1 */
#define NIL    0u

/* ---------------------------------------------------------------- addresses */

static const uint8_t mapped_prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

rp_err rp_ip_parse(struct rp_str s, struct rp_ip *out, struct rp_errbuf *eb)
{
    char buf[RP_IP_STRBUFSZ];
    struct rp_ip ip;
    if (!s.p) s.len = 0;
    if (s.len == 0) return rp_fail(eb, RP_EPARSE, "ip: empty address");
    if (s.len >= sizeof buf)
        return rp_fail(eb, RP_EPARSE, "ip: address too long (%zu bytes)", s.len);
    if (memchr(s.p, '\0', s.len)) return rp_fail(eb, RP_EPARSE, "ip: NUL byte in address");
    memcpy(buf, s.p, s.len);
    buf[s.len] = '\0';
    memset(&ip, 0, sizeof ip);
    if (memchr(buf, ':', s.len)) {
        ip.family = RP_IP_V6;
        if (inet_pton(AF_INET6, buf, ip.b) != 1) goto fail;
    } else {
        ip.family = RP_IP_V4;
        if (inet_pton(AF_INET, buf, ip.b) != 1) goto fail;
    }
    *out = ip;
    return RP_OK;
fail:
    for (size_t i = 0; i < s.len; i++)
        if ((unsigned char)buf[i] < 0x20 || (unsigned char)buf[i] >= 0x7f || buf[i] == '\'')
            buf[i] = '?';
    return rp_fail(eb, RP_EPARSE, "ip: bad %s address '%s'",
                   ip.family == RP_IP_V6 ? "IPv6" : "IPv4", buf);
}

static size_t fmt_v4(char *o, const uint8_t *b)
{
    size_t n = 0;
    for (int i = 0; i < 4; i++) {
        unsigned v = b[i];
        if (i) o[n++] = '.';
        if (v >= 100) o[n++] = (char)('0' + v / 100);
        if (v >= 10) o[n++] = (char)('0' + v / 10 % 10);
        o[n++] = (char)('0' + v % 10);
    }
    o[n] = '\0';
    return n;
}

/* RFC 5952: lower case, no leading zeros, the longest run of two or more zero groups (the
 * first of equal runs) becomes "::", mapped addresses end in dotted IPv4. */
static size_t fmt_v6(char *o, const uint8_t *b)
{
    static const char hex[] = "0123456789abcdef";
    unsigned w[8];
    int best = -1, bestlen = 0, ngroups = 8;
    size_t n = 0;
    bool mapped = memcmp(b, mapped_prefix, 12) == 0;
    for (int i = 0; i < 8; i++) w[i] = (unsigned)b[2 * i] << 8 | b[2 * i + 1];
    if (mapped) ngroups = 6;
    for (int i = 0; i < ngroups;) {
        int j = i;
        while (j < ngroups && w[j] == 0) j++;
        if (j - i > bestlen) {
            best = i;
            bestlen = j - i;
        }
        i = j > i ? j : i + 1;
    }
    if (bestlen < 2) best = -1;
    for (int i = 0; i < ngroups; i++) {
        if (i == best) {
            o[n++] = ':';
            o[n++] = ':';
            i += bestlen - 1;
            continue;
        }
        if (i && i != best + bestlen) o[n++] = ':';
        bool lead = true;
        for (int k = 12; k >= 0; k -= 4) {
            unsigned d = (w[i] >> k) & 15;
            if (lead && d == 0 && k) continue;
            lead = false;
            o[n++] = hex[d];
        }
    }
    if (mapped) {
        if (n && o[n - 1] != ':') o[n++] = ':';
        n += fmt_v4(o + n, b + 12);
    }
    o[n] = '\0';
    return n;
}

rp_err rp_ip_format(const struct rp_ip *ip, char *buf, size_t bufsz)
{
    char tmp[RP_IP_STRBUFSZ];
    size_t n;
    if (bufsz) buf[0] = '\0';
    if (ip->family == RP_IP_V4)
        n = fmt_v4(tmp, ip->b);
    else if (ip->family == RP_IP_V6)
        n = fmt_v6(tmp, ip->b);
    else
        return RP_EINVAL;
    if (n >= bufsz) return RP_ELIMIT;
    memcpy(buf, tmp, n + 1);
    return RP_OK;
}

void rp_ip_from_v4(struct rp_ip *out, uint32_t host_order)
{
    memset(out, 0, sizeof *out);
    out->family = RP_IP_V4;
    out->b[0] = (uint8_t)(host_order >> 24);
    out->b[1] = (uint8_t)(host_order >> 16);
    out->b[2] = (uint8_t)(host_order >> 8);
    out->b[3] = (uint8_t)host_order;
}

void rp_ip_from_v6(struct rp_ip *out, const uint8_t b[16])
{
    out->family = RP_IP_V6;
    memcpy(out->b, b, 16);
}

uint32_t rp_ip_v4_value(const struct rp_ip *ip)
{
    if (ip->family != RP_IP_V4) return 0;
    return (uint32_t)ip->b[0] << 24 | (uint32_t)ip->b[1] << 16 | (uint32_t)ip->b[2] << 8 | ip->b[3];
}

int rp_ip_cmp(const struct rp_ip *a, const struct rp_ip *b)
{
    if (a->family != b->family) return a->family < b->family ? -1 : 1;
    return memcmp(a->b, b->b, 16);
}

bool rp_ip_eq(const struct rp_ip *a, const struct rp_ip *b)
{
    return rp_ip_cmp(a, b) == 0;
}

bool rp_ip_is_v4_mapped(const struct rp_ip *ip)
{
    return ip->family == RP_IP_V6 && memcmp(ip->b, mapped_prefix, 12) == 0;
}

void rp_ip_unmap(const struct rp_ip *ip, struct rp_ip *out)
{
    if (rp_ip_is_v4_mapped(ip)) {
        uint8_t v4[4];
        memcpy(v4, ip->b + 12, 4);
        memset(out, 0, sizeof *out);
        out->family = RP_IP_V4;
        memcpy(out->b, v4, 4);
    } else if (out != ip) {
        *out = *ip;
    }
}

/* ----------------------------------------------------------- 128-bit keys */

/* Addresses as two host-order words, IPv4 in the top 32 bits of hi. fam: 0 IPv4, 1 IPv6. */
struct key {
    uint64_t hi, lo;
    int fam;
};

static uint64_t load64(const uint8_t *b)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v = v << 8 | b[i];
    return v;
}

/* The key of ip in unmapped form. */
static struct key key_of(const struct rp_ip *ip)
{
    struct key k;
    if (ip->family == RP_IP_V6 && !rp_ip_is_v4_mapped(ip)) {
        k.hi = load64(ip->b);
        k.lo = load64(ip->b + 8);
        k.fam = 1;
    } else {
        const uint8_t *b = ip->family == RP_IP_V6 ? ip->b + 12 : ip->b;
        k.hi = (uint64_t)((uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3])
               << 32;
        k.lo = 0;
        k.fam = 0;
    }
    return k;
}

static uint64_t mask_hi(unsigned len)
{
    return len == 0 ? 0 : len >= 64 ? ~0ULL : ~0ULL << (64 - len);
}

static uint64_t mask_lo(unsigned len)
{
    return len <= 64 ? 0 : len >= 128 ? ~0ULL : ~0ULL << (128 - len);
}

static bool key_match(uint64_t hi, uint64_t lo, uint64_t phi, uint64_t plo, unsigned len)
{
    return (((hi ^ phi) & mask_hi(len)) | ((lo ^ plo) & mask_lo(len))) == 0;
}

static unsigned key_bit(uint64_t hi, uint64_t lo, unsigned pos)
{
    return pos < 64 ? (unsigned)(hi >> (63 - pos)) & 1 : (unsigned)(lo >> (127 - pos)) & 1;
}

/* Length of the common prefix of two keys, at most max. */
static unsigned common_len(uint64_t ahi, uint64_t alo, uint64_t bhi, uint64_t blo, unsigned max)
{
    unsigned c;
    if (ahi != bhi)
        c = (unsigned)__builtin_clzll(ahi ^ bhi);
    else if (alo != blo)
        c = 64 + (unsigned)__builtin_clzll(alo ^ blo);
    else
        c = 128;
    return c < max ? c : max;
}

static void key_to_ip(uint64_t hi, uint64_t lo, int fam, struct rp_ip *out)
{
    memset(out, 0, sizeof *out);
    if (fam == 0) {
        rp_ip_from_v4(out, (uint32_t)(hi >> 32));
        return;
    }
    out->family = RP_IP_V6;
    for (int i = 0; i < 8; i++) {
        out->b[i] = (uint8_t)(hi >> (56 - 8 * i));
        out->b[8 + i] = (uint8_t)(lo >> (56 - 8 * i));
    }
}

/* A prefix in canonical form: a mapped IPv6 prefix of length >= 96 becomes IPv4. */
static struct key prefix_key(const struct rp_cidr *c, unsigned *len)
{
    struct key k;
    *len = c->len;
    if (c->addr.family == RP_IP_V6 && c->len >= 96 && rp_ip_is_v4_mapped(&c->addr)) {
        k = key_of(&c->addr);
        *len -= 96;
    } else if (c->addr.family == RP_IP_V6) {
        k.hi = load64(c->addr.b);
        k.lo = load64(c->addr.b + 8);
        k.fam = 1;
    } else {
        k = key_of(&c->addr);
    }
    k.hi &= mask_hi(*len);
    k.lo &= mask_lo(*len);
    return k;
}

/* ---------------------------------------------------------- classification */

static bool in4(uint32_t a, uint32_t net, unsigned len)
{
    return len == 0 || (a ^ net) >> (32 - len) == 0;
}

/* IPv6 range test on the high 64 bits (len <= 64). */
static bool in6(const struct key *k, uint64_t net_hi, unsigned len)
{
    return key_match(k->hi, 0, net_hi, 0, len);
}

static uint32_t v4of(const struct key *k)
{
    return (uint32_t)(k->hi >> 32);
}

bool rp_ip_is_private(const struct rp_ip *ip)
{
    struct key k = key_of(ip);
    if (k.fam == 0) {
        uint32_t a = v4of(&k);
        return in4(a, 0x0a000000, 8) || in4(a, 0xac100000, 12) || in4(a, 0xc0a80000, 16) ||
               in4(a, 0x64400000, 10);
    }
    return in6(&k, 0xfc00000000000000ULL, 7);
}

bool rp_ip_is_loopback(const struct rp_ip *ip)
{
    struct key k = key_of(ip);
    if (k.fam == 0) return in4(v4of(&k), 0x7f000000, 8);
    return k.hi == 0 && k.lo == 1;
}

bool rp_ip_is_link_local(const struct rp_ip *ip)
{
    struct key k = key_of(ip);
    if (k.fam == 0) return in4(v4of(&k), 0xa9fe0000, 16);
    return in6(&k, 0xfe80000000000000ULL, 10);
}

bool rp_ip_is_metadata(const struct rp_ip *ip)
{
    struct key k = key_of(ip);
    if (k.fam == 0) return v4of(&k) == 0xa9fea9fe;
    return k.hi == 0xfd000ec200000000ULL && k.lo == 0x254;
}

bool rp_ip_is_multicast(const struct rp_ip *ip)
{
    struct key k = key_of(ip);
    if (k.fam == 0) return in4(v4of(&k), 0xe0000000, 4);
    return in6(&k, 0xff00000000000000ULL, 8);
}

bool rp_ip_is_unspecified(const struct rp_ip *ip)
{
    struct key k = key_of(ip);
    return k.hi == 0 && k.lo == 0;
}

bool rp_ip_is_documentation(const struct rp_ip *ip)
{
    struct key k = key_of(ip);
    if (k.fam == 0) {
        uint32_t a = v4of(&k);
        return in4(a, 0xc0000200, 24) || in4(a, 0xc6336400, 24) || in4(a, 0xcb007100, 24);
    }
    return in6(&k, 0x20010db800000000ULL, 32) || in6(&k, 0x3fff000000000000ULL, 20);
}

struct range4 {
    uint32_t net;
    unsigned len;
};

/* IPv4 space that is not public: rp_ip_is_public's list in rp_ip.h (224/3 is multicast
 * 224/4 plus reserved 240/4). */
static const struct range4 special4[] = {
    {0x00000000, 8},  {0x0a000000, 8},  {0x64400000, 10}, {0x7f000000, 8},  {0xa9fe0000, 16},
    {0xac100000, 12}, {0xc0000000, 24}, {0xc0000200, 24}, {0xc0586300, 24}, {0xc0a80000, 16},
    {0xc6120000, 15}, {0xc6336400, 24}, {0xcb007100, 24}, {0xe0000000, 3},
};

static bool public_v4(uint32_t a)
{
    for (size_t i = 0; i < RP_ARRAY_LEN(special4); i++)
        if (in4(a, special4[i].net, special4[i].len)) return false;
    return true;
}

bool rp_ip_is_public(const struct rp_ip *ip)
{
    struct key k = key_of(ip);
    if (k.fam == 0) return public_v4(v4of(&k));
    if (k.hi == 0x0064ff9b00000000ULL && (k.lo >> 32) == 0) /* 64:ff9b::/96 NAT64 */
        return public_v4((uint32_t)k.lo);
    return in6(&k, 0x2000000000000000ULL, 3) && !in6(&k, 0x2001000000000000ULL, 23) &&
           !in6(&k, 0x20010db800000000ULL, 32) && !in6(&k, 0x2002000000000000ULL, 16) &&
           !in6(&k, 0x3fff000000000000ULL, 20);
}

/* ---------------------------------------------------------------- prefixes */

static unsigned maxlen_of(int family)
{
    return family == RP_IP_V4 ? 32 : family == RP_IP_V6 ? 128 : 0;
}

rp_err rp_cidr_from_ip(const struct rp_ip *ip, unsigned len, struct rp_cidr *out,
                       bool *host_bits_set)
{
    unsigned max = maxlen_of(ip->family);
    if (!max || len > max) return RP_EINVAL;
    struct rp_cidr c;
    memset(&c, 0, sizeof c);
    c.addr.family = ip->family;
    c.len = (uint8_t)len;
    bool lost = false;
    for (unsigned i = 0; i < max / 8; i++) {
        unsigned keep = len >= 8 * (i + 1) ? 8 : len > 8 * i ? len - 8 * i : 0;
        uint8_t m = (uint8_t)(keep ? 0xff << (8 - keep) : 0);
        c.addr.b[i] = ip->b[i] & m;
        lost |= (ip->b[i] & (uint8_t)~m) != 0;
    }
    if (host_bits_set) *host_bits_set = lost;
    *out = c;
    return RP_OK;
}

rp_err rp_cidr_parse(struct rp_str s, struct rp_cidr *out, bool *host_bits_set,
                     struct rp_errbuf *eb)
{
    struct rp_ip ip;
    struct rp_str a = s;
    unsigned len;
    rp_err e;
    if (!s.p) a.len = s.len = 0;
    const char *slash = s.len ? memchr(s.p, '/', s.len) : NULL;
    if (slash) a.len = (size_t)(slash - s.p);
    if ((e = rp_ip_parse(a, &ip, eb))) return e;
    unsigned max = maxlen_of(ip.family);
    if (slash) {
        const char *p = slash + 1;
        size_t n = s.len - a.len - 1;
        len = 0;
        bool ok = n >= 1 && n <= 3 && !(n > 1 && p[0] == '0');
        for (size_t i = 0; ok && i < n; i++) {
            ok = p[i] >= '0' && p[i] <= '9';
            len = len * 10 + (unsigned)(p[i] - '0');
        }
        if (!ok || len > max) {
            char q[8];
            size_t qn = n < sizeof q - 1 ? n : sizeof q - 1;
            for (size_t i = 0; i < qn; i++)
                q[i] = (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '\'') ? p[i] : '?';
            q[qn] = '\0';
            return rp_fail(eb, RP_EPARSE, "cidr: bad prefix length '%s%s' at %zu (0..%u)", q,
                           n > qn ? "..." : "", a.len + 1, max);
        }
    } else {
        len = max;
    }
    return rp_cidr_from_ip(&ip, len, out, host_bits_set);
}

rp_err rp_cidr_format(const struct rp_cidr *c, char *buf, size_t bufsz)
{
    char tmp[RP_CIDR_STRBUFSZ];
    rp_err e = rp_ip_format(&c->addr, tmp, sizeof tmp);
    if (e) {
        if (bufsz) buf[0] = '\0';
        return e;
    }
    int n = snprintf(buf, bufsz, "%s/%u", tmp, (unsigned)c->len);
    if (n < 0 || (size_t)n >= bufsz) {
        if (bufsz) buf[0] = '\0';
        return RP_ELIMIT;
    }
    return RP_OK;
}

bool rp_cidr_contains(const struct rp_cidr *c, const struct rp_ip *ip)
{
    unsigned len;
    if (!maxlen_of(c->addr.family) || c->len > maxlen_of(c->addr.family)) return false;
    if (!maxlen_of(ip->family)) return false;
    struct key p = prefix_key(c, &len), k = key_of(ip);
    return p.fam == k.fam && key_match(k.hi, k.lo, p.hi, p.lo, len);
}

/* -------------------------------------------------------------- CIDR set */

struct node {
    uint64_t hi, lo;   /* prefix bits, zero past len */
    uint32_t child[2]; /* by the bit at position len; NIL when absent */
    uint32_t value;    /* valid when has_value */
    uint8_t len;       /* prefix length, 17..128 (glue nodes may be 16) */
    uint8_t has_value; /* 0 for glue nodes that only join two subtries */
};

struct slot {
    uint32_t root;    /* trie of prefixes longer than /16 under this /16, NIL if none */
    uint32_t shortix; /* 1 + index of the longest short prefix covering the slot, 0 if none */
};

struct fam {
    struct slot *top;   /* NSLOTS slots; NULL until the family's first insert */
    uint32_t *shortval; /* NSHORT values of prefixes /0../16, by heap index */
    uint64_t *shortset; /* bitset over shortval: present */
};

struct rp_cidr_set {
    struct fam fam[2];  /* [0] IPv4, [1] IPv6 */
    struct node *nodes; /* nodes[0] unused so that index 0 is NIL */
    uint32_t nnodes;    /* used, including nodes[0] */
    uint32_t cap;       /* allocated */
    size_t count;       /* distinct prefixes, <= RP_MAX_CIDR_ENTRIES */
};

_Static_assert(sizeof(struct node) == 32, "two nodes per cache line");
_Static_assert((uint64_t)RP_MAX_CIDR_ENTRIES * 2 + 3 < UINT32_MAX, "node index fits");

struct rp_cidr_set *rp_cidr_set_new(void)
{
    return calloc(1, sizeof(struct rp_cidr_set));
}

void rp_cidr_set_free(struct rp_cidr_set *s)
{
    if (!s) return;
    for (int f = 0; f < 2; f++) {
        free(s->fam[f].top);
        free(s->fam[f].shortval);
        free(s->fam[f].shortset);
    }
    free(s->nodes);
    free(s);
}

size_t rp_cidr_set_count(const struct rp_cidr_set *s)
{
    return s->count;
}

size_t rp_cidr_set_memory(const struct rp_cidr_set *s)
{
    size_t n = sizeof *s + (size_t)s->cap * sizeof(struct node);
    for (int f = 0; f < 2; f++)
        if (s->fam[f].top)
            n += NSLOTS * sizeof(struct slot) + NSHORT * sizeof(uint32_t) +
                 (NSHORT + 63) / 64 * sizeof(uint64_t);
    return n;
}

static rp_err fam_alloc(struct fam *f)
{
    if (f->top) return RP_OK;
    struct slot *top = calloc(NSLOTS, sizeof *top);
    uint32_t *val = calloc(NSHORT, sizeof *val);
    uint64_t *set = calloc((NSHORT + 63) / 64, sizeof *set);
    if (!top || !val || !set) {
        free(top);
        free(val);
        free(set);
        return RP_ENOMEM;
    }
    f->top = top;
    f->shortval = val;
    f->shortset = set;
    return RP_OK;
}

/* Room for n more nodes, so that pointers into the array stay valid during one insert. */
static rp_err nodes_reserve(struct rp_cidr_set *s, uint32_t n)
{
    size_t used = s->nnodes ? s->nnodes : 1; /* nodes[0] is NIL */
    if (used + n <= s->cap) return RP_OK;
    size_t cap = s->cap ? (size_t)s->cap + s->cap / 2 : 1024; /* 1.5x: bounded slack */
    size_t max = (size_t)RP_MAX_CIDR_ENTRIES * 2 + 3; /* <= 2 nodes per prefix, NIL, slack */
    if (cap > max) cap = max;
    if (cap < used + n) return RP_ELIMIT; /* unreachable: the prefix count is capped */
    struct node *nn = realloc(s->nodes, cap * sizeof *nn);
    if (!nn) return RP_ENOMEM;
    s->nodes = nn;
    s->cap = (uint32_t)cap;
    s->nnodes = (uint32_t)used;
    return RP_OK;
}

static uint32_t node_new(struct rp_cidr_set *s, uint64_t hi, uint64_t lo, unsigned len,
                         bool has_value, uint32_t value)
{
    uint32_t i = s->nnodes++;
    struct node *n = &s->nodes[i];
    n->hi = hi & mask_hi(len);
    n->lo = lo & mask_lo(len);
    n->child[0] = n->child[1] = NIL;
    n->value = has_value ? value : 0;
    n->len = (uint8_t)len;
    n->has_value = has_value;
    return i;
}

static unsigned short_len(uint32_t idx)
{
    return 31u - (unsigned)__builtin_clz(idx + 1);
}

static rp_err insert_short(struct rp_cidr_set *s, struct fam *f, uint64_t hi, unsigned len,
                           uint32_t value)
{
    uint32_t top16 = (uint32_t)(hi >> 48);
    uint32_t idx = ((1u << len) - 1) + (len ? top16 >> (16 - len) : 0);
    uint64_t bit = 1ULL << (idx % 64);
    if (f->shortset[idx / 64] & bit) {
        f->shortval[idx] = value;
        return RP_OK;
    }
    if (s->count >= RP_MAX_CIDR_ENTRIES) return RP_ELIMIT;
    f->shortset[idx / 64] |= bit;
    f->shortval[idx] = value;
    s->count++;
    uint32_t first = len ? top16 >> (16 - len) << (16 - len) : 0, n = 1u << (16 - len);
    for (uint32_t i = first; i < first + n; i++) {
        uint32_t cur = f->top[i].shortix;
        if (cur == 0 || short_len(cur - 1) < len) f->top[i].shortix = idx + 1;
    }
    return RP_OK;
}

static rp_err insert_long(struct rp_cidr_set *s, struct fam *f, uint64_t hi, uint64_t lo,
                          unsigned len, uint32_t value)
{
    rp_err e = nodes_reserve(s, 2);
    if (e) return e;
    uint32_t *ref = &f->top[hi >> 48].root;
    while (*ref != NIL) {
        struct node *n = &s->nodes[*ref];
        unsigned c = common_len(hi, lo, n->hi, n->lo, len < n->len ? len : n->len);
        if (c == n->len && c == len) { /* the same prefix, maybe a glue node so far */
            if (!n->has_value) {
                if (s->count >= RP_MAX_CIDR_ENTRIES) return RP_ELIMIT;
                s->count++;
                n->has_value = 1;
            }
            n->value = value;
            return RP_OK;
        }
        if (c == n->len) { /* n is an ancestor: go down */
            ref = &n->child[key_bit(hi, lo, n->len)];
            continue;
        }
        if (s->count >= RP_MAX_CIDR_ENTRIES) return RP_ELIMIT;
        s->count++;
        uint32_t old = *ref;
        unsigned oldbit = key_bit(n->hi, n->lo, c); /* n is invalid after node_new */
        if (c == len) {
            /* the new prefix is an ancestor of n: it takes n's place */
            uint32_t m = node_new(s, hi, lo, len, true, value);
            s->nodes[m].child[oldbit] = old;
            *ref = m;
            return RP_OK;
        }
        /* n and the new prefix part after c bits: join them under a glue node */
        uint32_t g = node_new(s, hi, lo, c, false, 0);
        uint32_t leaf = node_new(s, hi, lo, len, true, value);
        s->nodes[g].child[oldbit] = old;
        s->nodes[g].child[key_bit(hi, lo, c)] = leaf;
        *ref = g;
        return RP_OK;
    }
    if (s->count >= RP_MAX_CIDR_ENTRIES) return RP_ELIMIT;
    s->count++;
    *ref = node_new(s, hi, lo, len, true, value);
    return RP_OK;
}

rp_err rp_cidr_set_insert(struct rp_cidr_set *s, const struct rp_cidr *prefix, uint32_t value)
{
    unsigned max = maxlen_of(prefix->addr.family), len;
    if (!max || prefix->len > max) return RP_EINVAL;
    struct key k = prefix_key(prefix, &len);
    struct fam *f = &s->fam[k.fam];
    rp_err e = fam_alloc(f);
    if (e) return e;
    if (len <= 16) return insert_short(s, f, k.hi, len, value);
    return insert_long(s, f, k.hi, k.lo, len, value);
}

bool rp_cidr_set_lookup(const struct rp_cidr_set *s, const struct rp_ip *ip, uint32_t *value,
                        struct rp_cidr *match)
{
    if (ip->family != RP_IP_V4 && ip->family != RP_IP_V6) return false;
    struct key k = key_of(ip);
    const struct fam *f = &s->fam[k.fam];
    if (!f->top) return false;
    const struct slot *sl = &f->top[k.hi >> 48];
    const struct node *best = NULL;
    uint32_t i = sl->root;
    while (i != NIL) {
        const struct node *n = &s->nodes[i];
        if (!key_match(k.hi, k.lo, n->hi, n->lo, n->len)) break;
        if (n->has_value) best = n;
        if (n->len >= 128) break;
        i = n->child[key_bit(k.hi, k.lo, n->len)];
    }
    uint64_t phi, plo = 0;
    unsigned plen;
    if (best) {
        if (value) *value = best->value;
        phi = best->hi;
        plo = best->lo;
        plen = best->len;
    } else if (sl->shortix) {
        uint32_t idx = sl->shortix - 1;
        if (value) *value = f->shortval[idx];
        plen = short_len(idx);
        phi = (k.hi >> 48) >> (16 - plen) << (16 - plen) << 48;
    } else {
        return false;
    }
    if (match) {
        key_to_ip(phi, plo, k.fam, &match->addr);
        match->len = (uint8_t)plen;
    }
    return true;
}
