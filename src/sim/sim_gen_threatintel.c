/* SPDX-License-Identifier: Apache-2.0 */
/* rp_sim side generator "side-threatintel": the threat lists and the trusted IP list a user
 * uploads to GuardDuty, in its TXT format (one address, CIDR or domain per line, nothing else),
 * under threatintel/. Entries are pure functions of (seed, list, index) through bijections over
 * address blocks the world never uses for its own addresses (sim_rng.c draws AWS addresses from
 * first octets 3 13 18 34 35 44 52 54 and people's from 24 50 67 71 73 76 81 82 86 90 98 108 174
 * 185), so every entry is distinct, scenarios can take attacker addresses from low indexes at
 * plan time, and rp_sim_side_ti_lookup inverts the mapping without a table. Written once in
 * begin(); the lists do not change during a run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/sim_side.h"
#include "core/rp_banned.h"

#define TI_MAL_FIRSTS 3
#define TI_TOR_FIRSTS 2
#define TI_C2_FIRSTS  2
static const uint8_t mal_firsts[TI_MAL_FIRSTS] = {45, 91, 193};
static const uint8_t tor_firsts[TI_TOR_FIRSTS] = {109, 176};
static const uint8_t c2_firsts[TI_C2_FIRSTS] = {5, 62};
#define TI_CIDR_FIRST 194

#define TI_STRIDE  1000003ull /* prime, coprime with every block size used below */
#define TI_CODE_SZ (36ull * 36 * 36 * 36)

static const char *const ti_keys[RP_SIM_TI__COUNT] = {
    "threatintel/malicious-ips.txt", "threatintel/c2-domains.txt",
    "threatintel/phishing-domains.txt", "threatintel/tor-exit-nodes.txt"};

const char *rp_sim_side_ti_key(enum rp_sim_ti l)
{
    return (unsigned)l < RP_SIM_TI__COUNT ? ti_keys[l] : NULL;
}

static uint32_t scale_pick(const struct rp_sim_world *w, uint32_t s, uint32_t m, uint32_t l)
{
    return w->scale == RP_SIM_SCALE_LARGE ? l : w->scale == RP_SIM_SCALE_MEDIUM ? m : s;
}

static uint32_t mal_ips(const struct rp_sim_world *w)
{
    return scale_pick(w, 200, 1000, 4000);
}

static uint32_t mal_cidrs(const struct rp_sim_world *w)
{
    return scale_pick(w, 8, 16, 32);
}

uint32_t rp_sim_side_ti_count(const struct rp_sim_world *w, enum rp_sim_ti l)
{
    switch (l) {
    case RP_SIM_TI_MALICIOUS_IP:
        return mal_ips(w) + mal_cidrs(w);
    case RP_SIM_TI_C2_DOMAIN:
        return scale_pick(w, 30, 100, 300);
    case RP_SIM_TI_PHISHING_DOMAIN:
        return scale_pick(w, 30, 100, 300);
    case RP_SIM_TI_TOR_EXIT:
        return scale_pick(w, 100, 400, 1200);
    default:
        return 0;
    }
}

static uint64_t offset_of(const struct rp_sim_world *w, const char *what, uint64_t m)
{
    return rp_sim_mix(w->seed, rp_sim_hash_str(what)) % m;
}

/* Address number i of a block set: a bijection of [0, nf * 65536 * 254) onto first octet,
 * two middle octets and a host octet in 1..254. */
static void block_addr(const struct rp_sim_world *w, const char *what, const uint8_t *firsts,
                       unsigned nf, uint64_t i, char *out, size_t outsz)
{
    uint64_t m = (uint64_t)nf * 65536 * 254;
    uint64_t v = (offset_of(w, what, m) + (i % m) * TI_STRIDE) % m;
    unsigned f = (unsigned)(v % nf);
    uint64_t r = v / nf;
    unsigned d = (unsigned)(r % 254) + 1;
    r /= 254;
    snprintf(out, outsz, "%u.%u.%u.%u", firsts[f], (unsigned)(r / 256), (unsigned)(r % 256), d);
}

/* Modular inverse of a (mod m), a and m coprime. */
static uint64_t inv_mod(uint64_t a, uint64_t m)
{
    int64_t t = 0, nt = 1;
    int64_t r = (int64_t)m, nr = (int64_t)(a % m);
    while (nr != 0) {
        int64_t q = r / nr, tmp = t - q * nt;
        t = nt;
        nt = tmp;
        tmp = r - q * nr;
        r = nr;
        nr = tmp;
    }
    return (uint64_t)(t < 0 ? t + (int64_t)m : t);
}

/* Index of address (a.b.c.d) in a block set, or UINT64_MAX when it is not one of its. */
static uint64_t block_index(const struct rp_sim_world *w, const char *what, const uint8_t *firsts,
                            unsigned nf, const unsigned o[4])
{
    unsigned f = nf;
    for (unsigned k = 0; k < nf; k++)
        if (firsts[k] == o[0]) f = k;
    if (f == nf || o[3] < 1 || o[3] > 254) return UINT64_MAX;
    uint64_t m = (uint64_t)nf * 65536 * 254;
    uint64_t r = ((uint64_t)o[1] * 256 + o[2]) * 254 + (o[3] - 1);
    uint64_t v = r * nf + f;
    uint64_t off = offset_of(w, what, m);
    uint64_t diff = (v + m - off) % m;
    /* diff * inv(stride) mod m does not overflow: m < 2^26 and inv < m */
    uint64_t inv = inv_mod(TI_STRIDE % m, m);
    return diff * inv % m;
}

static void code36(uint64_t v, char out[5])
{
    static const char al[] = "0123456789abcdefghijklmnopqrstuvwxyz";
    for (int k = 3; k >= 0; k--) {
        out[k] = al[v % 36];
        v /= 36;
    }
    out[4] = '\0';
}

static void c2_domain(const struct rp_sim_world *w, uint32_t i, char *out, size_t outsz)
{
    static const char *const a[] = {"cdn",    "update", "sync",  "telemetry", "api",
                                    "static", "mirror", "cloud", "node",      "edge"};
    static const char *const b[] = {"svc", "host", "relay", "data", "stats", "net", "io", "srv"};
    static const char *const tld[] = {"xyz", "top", "info", "cc", "biz", "online", "site", "pw"};
    uint64_t h = rp_sim_mix(w->seed, rp_sim_mix(rp_sim_hash_str("ti/c2"), i));
    char code[5];
    code36((offset_of(w, "ti/c2/code", TI_CODE_SZ) + (uint64_t)i * TI_STRIDE) % TI_CODE_SZ, code);
    snprintf(out, outsz, "%s-%s%s.%s", a[h % RP_ARRAY_LEN(a)], b[(h >> 8) % RP_ARRAY_LEN(b)], code,
             tld[(h >> 16) % RP_ARRAY_LEN(tld)]);
}

static void phish_domain(const struct rp_sim_world *w, uint32_t i, char *out, size_t outsz)
{
    static const char *const tld[] = {"com", "net", "info", "co", "online", "support"};
    uint64_t h = rp_sim_mix(w->seed, rp_sim_mix(rp_sim_hash_str("ti/phish"), i));
    char c[5];
    code36((offset_of(w, "ti/phish/code", TI_CODE_SZ) + (uint64_t)i * TI_STRIDE) % TI_CODE_SZ, c);
    const char *co = w->company[0] ? w->company : "corp";
    const char *t = tld[(h >> 8) % RP_ARRAY_LEN(tld)];
    switch (h % 8) {
    case 0:
        snprintf(out, outsz, "%s-sso-login-%s.%s", co, c, t);
        break;
    case 1:
        snprintf(out, outsz, "secure-%s-verify-%s.%s", co, c, t);
        break;
    case 2:
        snprintf(out, outsz, "%s-payroll-%s.%s", co, c, t);
        break;
    case 3:
        snprintf(out, outsz, "%s-account-update-%s.%s", co, c, t);
        break;
    case 4:
        snprintf(out, outsz, "mail-%s-auth-%s.%s", co, c, t);
        break;
    case 5:
        snprintf(out, outsz, "%s-helpdesk-%s.%s", co, c, t);
        break;
    case 6:
        snprintf(out, outsz, "%s-docs-share-%s.%s", co, c, t);
        break;
    default:
        snprintf(out, outsz, "signin-%s-portal-%s.%s", co, c, t);
        break;
    }
}

bool rp_sim_side_ti_entry(const struct rp_sim_world *w, enum rp_sim_ti l, uint32_t i, char *out,
                          size_t outsz)
{
    if (outsz) out[0] = '\0';
    if (i >= rp_sim_side_ti_count(w, l)) return false;
    switch (l) {
    case RP_SIM_TI_MALICIOUS_IP:
        if (i < mal_ips(w)) {
            block_addr(w, "ti/mal", mal_firsts, TI_MAL_FIRSTS, i, out, outsz);
        } else {
            uint64_t j = i - mal_ips(w);
            uint64_t v = (offset_of(w, "ti/cidr", 65536) + j * TI_STRIDE) % 65536;
            snprintf(out, outsz, "%u.%u.%u.0/24", TI_CIDR_FIRST, (unsigned)(v / 256),
                     (unsigned)(v % 256));
        }
        return true;
    case RP_SIM_TI_C2_DOMAIN:
        c2_domain(w, i, out, outsz);
        return true;
    case RP_SIM_TI_PHISHING_DOMAIN:
        phish_domain(w, i, out, outsz);
        return true;
    case RP_SIM_TI_TOR_EXIT:
        block_addr(w, "ti/tor", tor_firsts, TI_TOR_FIRSTS, i, out, outsz);
        return true;
    default:
        return false;
    }
}

void rp_sim_side_ti_c2_address(const struct rp_sim_world *w, uint32_t i, char *out, size_t outsz)
{
    block_addr(w, "ti/c2addr", c2_firsts, TI_C2_FIRSTS, i, out, outsz);
}

static bool parse_v4(const char *s, unsigned o[4])
{
    for (int k = 0; k < 4; k++) {
        unsigned v = 0, n = 0;
        while (*s >= '0' && *s <= '9' && n < 3) {
            v = v * 10 + (unsigned)(*s++ - '0');
            n++;
        }
        if (n == 0 || v > 255) return false;
        o[k] = v;
        if (k < 3 && *s++ != '.') return false;
    }
    return *s == '\0';
}

uint32_t rp_sim_side_ti_lookup(const struct rp_sim_world *w, const char *s)
{
    uint32_t hit = 0;
    unsigned o[4];
    if (parse_v4(s, o)) {
        uint64_t i = block_index(w, "ti/mal", mal_firsts, TI_MAL_FIRSTS, o);
        if (i < mal_ips(w)) hit |= 1u << RP_SIM_TI_MALICIOUS_IP;
        if (o[0] == TI_CIDR_FIRST) {
            uint64_t v = (uint64_t)o[1] * 256 + o[2];
            uint64_t diff = (v + 65536 - offset_of(w, "ti/cidr", 65536)) % 65536;
            uint64_t j = (diff * inv_mod(TI_STRIDE % 65536, 65536)) % 65536;
            if (j < mal_cidrs(w)) hit |= 1u << RP_SIM_TI_MALICIOUS_IP;
        }
        i = block_index(w, "ti/tor", tor_firsts, TI_TOR_FIRSTS, o);
        if (i < rp_sim_side_ti_count(w, RP_SIM_TI_TOR_EXIT)) hit |= 1u << RP_SIM_TI_TOR_EXIT;
        return hit;
    }
    /* a CIDR is listed verbatim on the malicious list; anything else may be a domain */
    bool cidr = strchr(s, '/') != NULL;
    char e[RP_SIM_DNS_SZ];
    for (enum rp_sim_ti l = RP_SIM_TI_MALICIOUS_IP; l < RP_SIM_TI__COUNT; l++) {
        bool domains = l == RP_SIM_TI_C2_DOMAIN || l == RP_SIM_TI_PHISHING_DOMAIN;
        if (cidr ? l != RP_SIM_TI_MALICIOUS_IP : !domains) continue;
        uint32_t n = rp_sim_side_ti_count(w, l);
        for (uint32_t i = cidr ? mal_ips(w) : 0; i < n; i++) {
            (void)rp_sim_side_ti_entry(w, l, i, e, sizeof(e));
            if (strcmp(e, s) == 0) {
                hit |= 1u << l;
                break;
            }
        }
    }
    return hit;
}

static bool human(enum rp_sim_user_kind k)
{
    return k == RP_SIM_USER_ADMIN || k == RP_SIM_USER_DEVELOPER || k == RP_SIM_USER_READONLY ||
           k == RP_SIM_USER_SECURITY || k == RP_SIM_USER_DATA;
}

static uint32_t v4_num(const char *s)
{
    unsigned o[4] = {0, 0, 0, 0};
    if (!parse_v4(s, o)) return UINT32_MAX;
    return (uint32_t)o[0] << 24 | (uint32_t)o[1] << 16 | (uint32_t)o[2] << 8 | o[3];
}

uint32_t rp_sim_side_trusted_ips(const struct rp_sim_world *w, char (*out)[RP_SIM_IP_SZ],
                                 uint32_t max)
{
    /* the offices are few (two or three per world): collect distinct numbers, then sort */
    uint32_t nums[64];
    uint32_t n = 0;
    for (uint32_t u = 0; u < w->nusers; u++) {
        const struct rp_sim_user *us = &w->users[u];
        if (!human(us->kind) || us->habits.nips < 2) continue;
        uint32_t v = v4_num(us->habits.ips[1]);
        if (v == UINT32_MAX) continue;
        bool dup = false;
        for (uint32_t k = 0; k < n; k++) dup |= nums[k] == v;
        if (!dup && n < RP_ARRAY_LEN(nums)) nums[n++] = v;
    }
    for (uint32_t i = 1; i < n; i++)
        for (uint32_t k = i; k > 0 && nums[k - 1] > nums[k]; k--) {
            uint32_t t = nums[k];
            nums[k] = nums[k - 1];
            nums[k - 1] = t;
        }
    for (uint32_t i = 0; i < n && i < max; i++)
        snprintf(out[i], RP_SIM_IP_SZ, "%u.%u.%u.%u", nums[i] >> 24, (nums[i] >> 16) & 0xff,
                 (nums[i] >> 8) & 0xff, nums[i] & 0xff);
    return n;
}

/* ---- the generator ------------------------------------------------------------------------ */

static rp_err write_list(struct rp_sim_run *run, enum rp_sim_ti l, struct rp_errbuf *eb)
{
    struct rp_sim_file *f = NULL;
    rp_err e = rp_sim_out_open(run, "side-threatintel", ti_keys[l], RP_SIM_OUT_PLAIN, &f, eb);
    if (e != RP_OK) return e;
    uint32_t n = rp_sim_side_ti_count(run->world, l);
    char line[RP_SIM_DNS_SZ + 1];
    for (uint32_t i = 0; i < n && e == RP_OK; i++) {
        (void)rp_sim_side_ti_entry(run->world, l, i, line, sizeof(line) - 1);
        size_t len = strlen(line);
        line[len++] = '\n';
        e = rp_sim_file_write(f, line, len, eb);
    }
    rp_sim_file_add_records(f, n);
    rp_err e2 = rp_sim_file_close(f, eb);
    return e != RP_OK ? e : e2;
}

static rp_err ti_begin(struct rp_sim_run *run, void *state, struct rp_errbuf *eb)
{
    (void)state;
    rp_err e = RP_OK;
    for (enum rp_sim_ti l = RP_SIM_TI_MALICIOUS_IP; l < RP_SIM_TI__COUNT && e == RP_OK; l++)
        e = write_list(run, l, eb);
    if (e != RP_OK) return e;
    char ips[64][RP_SIM_IP_SZ];
    uint32_t n = rp_sim_side_trusted_ips(run->world, ips, RP_ARRAY_LEN(ips));
    if (n > RP_ARRAY_LEN(ips)) n = RP_ARRAY_LEN(ips);
    struct rp_sim_file *f = NULL;
    e = rp_sim_out_open(run, "side-threatintel", "threatintel/trusted-ips.txt", RP_SIM_OUT_PLAIN,
                        &f, eb);
    if (e != RP_OK) return e;
    for (uint32_t i = 0; i < n && e == RP_OK; i++) e = rp_sim_file_printf(f, eb, "%s\n", ips[i]);
    rp_sim_file_add_records(f, n);
    rp_err e2 = rp_sim_file_close(f, eb);
    return e != RP_OK ? e : e2;
}

const struct rp_sim_gen rp_sim_gen_side_threatintel = {
    .name = "side-threatintel",
    .summary = "GuardDuty TXT threat lists (malicious IPs, C2 and phishing domains, Tor exits) "
               "and the trusted IP list of the offices",
    .state_size = 0,
    .begin = ti_begin,
};
