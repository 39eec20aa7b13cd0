/* SPDX-License-Identifier: Apache-2.0 */
/* rp_sim PRNG and identifier helpers (sim_world.h): xoshiro256** with named streams seeded
 * through splitmix64, stateless hashes for stable names, AWS-style ids (EC2 17-hex ids, IAM
 * unique ids and keys, account ids), addresses inside CIDRs and plausible public addresses.
 *
 * Only integer arithmetic is used, so a seed gives the same values on every platform. The
 * generator is hand-written (public-domain algorithm by Blackman and Vigna) rather than libc
 * rand(), whose algorithm differs between C libraries. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sim/sim_internal.h"
#include "core/rp_banned.h"

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static inline uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t rp_sim_hash_str(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ull;
    if (s)
        for (; *s; s++) h = (h ^ (uint8_t)*s) * 0x100000001b3ull;
    return h;
}

uint64_t rp_sim_mix(uint64_t a, uint64_t b)
{
    uint64_t x = a ^ rotl(b * 0x9e3779b97f4a7c15ull, 23);
    (void)splitmix64(&x);
    return splitmix64(&x);
}

void rp_sim_rng_init(struct rp_sim_rng *r, uint64_t seed, const char *stream)
{
    uint64_t x = rp_sim_mix(seed, rp_sim_hash_str(stream ? stream : ""));
    for (int i = 0; i < 4; i++) r->s[i] = splitmix64(&x);
    if ((r->s[0] | r->s[1] | r->s[2] | r->s[3]) == 0) r->s[0] = 1; /* never all zero */
}

void rp_sim_rng_initf(struct rp_sim_rng *r, uint64_t seed, const char *fmt, ...)
{
    char name[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(name, sizeof(name), fmt, ap);
    va_end(ap);
    if (n < 0) name[0] = '\0';
    rp_sim_rng_init(r, seed, name);
}

uint64_t rp_sim_rng_next(struct rp_sim_rng *r)
{
    uint64_t *s = r->s;
    uint64_t res = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return res;
}

uint32_t rp_sim_rng_below(struct rp_sim_rng *r, uint32_t n)
{
    return (uint32_t)(((rp_sim_rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

uint64_t rp_sim_rng_below64(struct rp_sim_rng *r, uint64_t n)
{
    if (n == 0) return 0;
    uint64_t lim = UINT64_MAX - UINT64_MAX % n; /* reject the partial top bucket */
    for (;;) {
        uint64_t v = rp_sim_rng_next(r);
        if (v < lim) return v % n;
    }
}

int64_t rp_sim_rng_range(struct rp_sim_rng *r, int64_t lo, int64_t hi)
{
    if (lo >= hi) return lo;
    uint64_t span = (uint64_t)hi - (uint64_t)lo;
    if (span == UINT64_MAX) return (int64_t)rp_sim_rng_next(r);
    return (int64_t)((uint64_t)lo + rp_sim_rng_below64(r, span + 1));
}

bool rp_sim_rng_chance(struct rp_sim_rng *r, uint32_t permille)
{
    if (permille >= 1000) {
        (void)rp_sim_rng_next(r); /* same number of draws either way */
        return true;
    }
    return rp_sim_rng_below(r, 1000) < permille;
}

size_t rp_sim_rng_pick_weighted(struct rp_sim_rng *r, const uint32_t *w, size_t n)
{
    uint64_t total = 0;
    for (size_t i = 0; i < n; i++) total += w[i];
    if (total == 0) return 0;
    uint64_t x = rp_sim_rng_below64(r, total);
    for (size_t i = 0; i < n; i++) {
        if (x < w[i]) return i;
        x -= w[i];
    }
    return n - 1;
}

uint32_t rp_sim_rng_count(struct rp_sim_rng *r, uint32_t mean)
{
    if (mean == 0) return 0;
    /* sum of four uniforms on [0, mean/2]: mean `mean`, bell-shaped, bounded by 2 * mean */
    uint64_t half = mean / 2, sum = 0;
    for (int i = 0; i < 4; i++) sum += rp_sim_rng_below64(r, half + 1);
    if (mean & 1) sum += rp_sim_rng_below(r, 2) * 2; /* odd means keep their expectation */
    return (uint32_t)sum;
}

void rp_sim_rng_chars(struct rp_sim_rng *r, char *out, size_t n, const char *alphabet)
{
    size_t alen = strlen(alphabet);
    if (alen == 0 || alen > 256) alen = 1;
    for (size_t i = 0; i < n; i++) out[i] = alphabet[rp_sim_rng_below(r, (uint32_t)alen)];
    out[n] = '\0';
}

void rp_sim_rng_hex(struct rp_sim_rng *r, char *out, size_t n)
{
    rp_sim_rng_chars(r, out, n, RP_SIM_ALPHA_HEX);
}

void rp_sim_rng_uuid(struct rp_sim_rng *r, char out[RP_SIM_UUID_SZ])
{
    static const char hx[] = RP_SIM_ALPHA_HEX;
    uint64_t hi = rp_sim_rng_next(r), lo = rp_sim_rng_next(r);
    hi = (hi & ~0xf000ull) | 0x4000ull;       /* version 4 */
    lo = (lo & ~(3ull << 62)) | (2ull << 62); /* variant 10 */
    char *p = out;
    for (int i = 0; i < 16; i++) {
        if (i == 8 || i == 12) *p++ = '-';
        *p++ = hx[(hi >> (60 - 4 * i)) & 0xf];
    }
    for (int i = 0; i < 16; i++) {
        if (i == 0 || i == 4) *p++ = '-';
        *p++ = hx[(lo >> (60 - 4 * i)) & 0xf];
    }
    *p = '\0';
}

void rp_sim_suffix(uint64_t seed, const char *basis, const char *alphabet, size_t n, char *out)
{
    struct rp_sim_rng r;
    uint64_t x = rp_sim_mix(seed ^ 0x5eedf11e5ull, rp_sim_hash_str(basis));
    for (int i = 0; i < 4; i++) r.s[i] = splitmix64(&x);
    rp_sim_rng_chars(&r, out, n, alphabet);
}

void rp_sim_id_ec2(struct rp_sim_rng *r, const char *prefix, char *out, size_t outsz)
{
    char hex[17];
    rp_sim_rng_hex(r, hex, 16);
    snprintf(out, outsz, "%s-0%s", prefix, hex);
}

void rp_sim_id_iam(struct rp_sim_rng *r, const char *prefix, char *out, size_t outsz)
{
    char body[18];
    bool key = strcmp(prefix, "AKIA") == 0 || strcmp(prefix, "ASIA") == 0;
    rp_sim_rng_chars(r, body, key ? 16 : 17, RP_SIM_ALPHA_BASE32);
    snprintf(out, outsz, "%s%s", prefix, body);
}

void rp_sim_id_secret(struct rp_sim_rng *r, char out[41])
{
    rp_sim_rng_chars(r, out, 40,
                     "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
}

void rp_sim_id_account(struct rp_sim_rng *r, char out[RP_SIM_ACCT_SZ])
{
    out[0] = (char)('1' + rp_sim_rng_below(r, 9));
    for (int i = 1; i < 12; i++) out[i] = (char)('0' + rp_sim_rng_below(r, 10));
    out[12] = '\0';
}

/* Parse "a.b.c.d/n" into a host-order base and prefix length. */
static bool parse_cidr4(const char *s, uint32_t *base, unsigned *len)
{
    uint32_t v = 0;
    for (int part = 0; part < 4; part++) {
        unsigned o = 0, digits = 0;
        while (*s >= '0' && *s <= '9' && digits < 4) {
            o = o * 10 + (unsigned)(*s++ - '0');
            digits++;
        }
        if (digits == 0 || o > 255) return false;
        v = (v << 8) | o;
        if (part < 3 && *s++ != '.') return false;
    }
    if (*s++ != '/') return false;
    unsigned l = 0, digits = 0;
    while (*s >= '0' && *s <= '9' && digits < 3) {
        l = l * 10 + (unsigned)(*s++ - '0');
        digits++;
    }
    if (digits == 0 || *s || l > 32) return false;
    uint32_t mask = l == 0 ? 0 : 0xffffffffu << (32 - l);
    *base = v & mask;
    *len = l;
    return true;
}

rp_err rp_sim_ip_in_cidr(const char *cidr, uint32_t host, bool skip_reserved, char *out,
                         size_t outsz)
{
    uint32_t base = 0;
    unsigned len = 0;
    if (!parse_cidr4(cidr, &base, &len) || len == 0) return RP_EINVAL;
    uint64_t size = 1ull << (32 - len);
    uint32_t v;
    if (skip_reserved && size > 8) /* AWS reserves .0-.3 and the broadcast address */
        v = base + 4 + (uint32_t)(host % (size - 5));
    else
        v = base + (uint32_t)(host % size);
    snprintf(out, outsz, "%u.%u.%u.%u", v >> 24, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff);
    return RP_OK;
}

static void ip_from_firsts(struct rp_sim_rng *r, const uint8_t *firsts, size_t n, char *out)
{
    unsigned a = firsts[rp_sim_rng_below(r, (uint32_t)n)];
    unsigned b = rp_sim_rng_below(r, 256), c = rp_sim_rng_below(r, 256);
    unsigned d = 1 + rp_sim_rng_below(r, 253);
    snprintf(out, RP_SIM_IP_SZ, "%u.%u.%u.%u", a, b, c, d);
}

void rp_sim_ip_aws_public(struct rp_sim_rng *r, char out[RP_SIM_IP_SZ])
{
    static const uint8_t aws[] = {3, 13, 18, 34, 35, 44, 52, 54};
    ip_from_firsts(r, aws, sizeof(aws), out);
}

void rp_sim_ip_isp(struct rp_sim_rng *r, char out[RP_SIM_IP_SZ])
{
    /* first octets of large consumer/office ISP allocations; none private or reserved */
    static const uint8_t isp[] = {24, 50, 67, 71, 73, 76, 81, 82, 86, 90, 98, 108, 174, 185};
    ip_from_firsts(r, isp, sizeof(isp), out);
}

int rp_sim_fmt(char *out, size_t outsz, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(out, outsz, fmt, ap);
    va_end(ap);
    if (n < 0 && outsz) out[0] = '\0';
    return n;
}
