/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target for core/rp_ip. The input is split at newlines; each piece goes to the
 * address and prefix parsers as a slice that is not NUL-terminated. A parsed address must
 * format and parse back to itself; a parsed prefix likewise, and it must contain its own
 * network address. Every prefix is also inserted into a CIDR set, and each address is looked
 * up there and checked against a linear scan of the prefixes (longest match wins). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/rp_ip.h"

#define MAX_PREFIXES 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The length of c in canonical form: a mapped IPv6 prefix of /96 or longer is the IPv4 prefix
 * it stands for (::ffff:10.9.9.9/128 is 10.9.9.9/32), so the two compare as one prefix. */
static unsigned canon_len(const struct rp_cidr *c)
{
    if (c->len >= 96 && rp_ip_is_v4_mapped(&c->addr)) return c->len - 96u;
    return c->len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* An exact-size heap copy, so ASan catches any read past the slice. */
    char *p = malloc(size ? size : 1);
    if (!p) return 0;
    if (size) memcpy(p, data, size);
    struct rp_cidr_set *set = rp_cidr_set_new();
    struct rp_cidr pre[MAX_PREFIXES];
    struct rp_ip addrs[MAX_PREFIXES];
    size_t npre = 0, naddr = 0;
    struct rp_str rest = {p, size}, piece;
    char buf[RP_CIDR_STRBUFSZ];
    while (set && rp_str_split_next(&rest, '\n', &piece)) {
        struct rp_ip ip, back;
        struct rp_cidr c, cback;
        bool host_bits;
        if (rp_ip_parse(piece, &ip, NULL) == RP_OK) {
            if (rp_ip_format(&ip, buf, sizeof buf) != RP_OK) abort();
            if (rp_ip_parse(rp_str_from(buf), &back, NULL) != RP_OK || !rp_ip_eq(&ip, &back))
                abort();
            if (naddr < MAX_PREFIXES) addrs[naddr++] = ip;
        }
        if (rp_cidr_parse(piece, &c, &host_bits, NULL) == RP_OK) {
            if (rp_cidr_format(&c, buf, sizeof buf) != RP_OK) abort();
            if (rp_cidr_parse(rp_str_from(buf), &cback, &host_bits, NULL) != RP_OK || host_bits ||
                cback.len != c.len || !rp_ip_eq(&cback.addr, &c.addr))
                abort();
            if (!rp_cidr_contains(&c, &c.addr)) abort();
            if (npre < MAX_PREFIXES && rp_cidr_set_insert(set, &c, (uint32_t)npre) == RP_OK)
                pre[npre++] = c;
        }
    }
    for (size_t i = 0; set && i < naddr; i++) {
        /* the expected answer: the longest containing prefix, the latest insert on ties */
        long best = -1;
        for (size_t k = 0; k < npre; k++)
            if (rp_cidr_contains(&pre[k], &addrs[i]) &&
                (best < 0 || canon_len(&pre[k]) >= canon_len(&pre[best])))
                best = (long)k;
        uint32_t v;
        bool hit = rp_cidr_set_lookup(set, &addrs[i], &v, NULL);
        if (hit != (best >= 0)) abort();
        if (hit && canon_len(&pre[v]) != canon_len(&pre[best])) abort();
    }
    rp_cidr_set_free(set);
    free(p);
    return 0;
}
