/* SPDX-License-Identifier: Apache-2.0 */
/* IP addresses, CIDR prefixes and CIDR sets with longest-prefix match.
 *
 * struct rp_ip invariants: family is RP_IP_V4 or RP_IP_V6; bytes are in network order; an
 * IPv4 address uses b[0..3] and b[4..15] are zero. So two equal addresses are memcmp-equal
 * and the struct may be hashed as bytes (sizeof is 17, no padding).
 * IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) are kept as parsed (family RP_IP_V6); every
 * matching function (classification, rp_cidr_contains, rp_cidr_set_lookup) treats them as
 * the IPv4 address a.b.c.d, as a dual-stack socket does.
 *
 * struct rp_cidr invariants: len <= 32 (IPv4) or <= 128 (IPv6) and every bit of addr past len
 * is zero (the constructors mask host bits off).
 *
 * Everything except rp_cidr_set_* is pure, allocation-free and thread-safe. */
#ifndef RP_IP_H
#define RP_IP_H

#include "core/rp_err.h"
#include "core/rp_str.h"

enum rp_ip_family { RP_IP_V4 = 4, RP_IP_V6 = 6 };

#define RP_IP_STRBUFSZ   46 /* INET6_ADDRSTRLEN: longest formatted address + NUL */
#define RP_CIDR_STRBUFSZ 50 /* address, "/128", NUL */

struct rp_ip {
    uint8_t family; /* enum rp_ip_family */
    uint8_t b[16];  /* network byte order; IPv4 in b[0..3], rest zero */
};

struct rp_cidr {
    struct rp_ip addr; /* network address, host bits zero */
    uint8_t len;       /* prefix length: 0..32 for IPv4, 0..128 for IPv6 */
};

/* Parse an address from s (not NUL-terminated): dotted-quad IPv4 with no leading zeros
 * ("10.0.0.1"), or IPv6 text as inet_pton(3) takes it ("2001:db8::1", "::ffff:1.2.3.4").
 * No spaces, brackets, zone ids ("%eth0") or prefix lengths. Returns RP_OK, or RP_EPARSE with
 * the text quoted in *eb. */
rp_err rp_ip_parse(struct rp_str s, struct rp_ip *out, struct rp_errbuf *eb) RP_WUR;

/* Format ip into buf[bufsz]: IPv4 dotted quad, IPv6 in RFC 5952 form (lower case, longest run
 * of zero groups compressed, "::ffff:1.2.3.4" for mapped). RP_OK, RP_ELIMIT when bufsz is too
 * small (RP_IP_STRBUFSZ always fits), RP_EINVAL for a bad family. On error buf holds "" when
 * bufsz > 0. */
rp_err rp_ip_format(const struct rp_ip *ip, char *buf, size_t bufsz) RP_WUR;

/* Build an address: IPv4 from a host-order 32-bit value (0x0a000001 = 10.0.0.1), IPv6 from
 * 16 network-order bytes. */
void rp_ip_from_v4(struct rp_ip *out, uint32_t host_order);
void rp_ip_from_v6(struct rp_ip *out, const uint8_t b[16]);

/* The host-order value of an IPv4 address (0 for IPv6; unmap first to read a mapped one). */
uint32_t rp_ip_v4_value(const struct rp_ip *ip);

/* Total order: IPv4 before IPv6, then by bytes. Mapped addresses are IPv6 here (unmap first to
 * compare them with IPv4). Returns <0, 0 or >0. */
int rp_ip_cmp(const struct rp_ip *a, const struct rp_ip *b);
bool rp_ip_eq(const struct rp_ip *a, const struct rp_ip *b);

/* True for an IPv6 address in ::ffff:0:0/96. */
bool rp_ip_is_v4_mapped(const struct rp_ip *ip);

/* out = the IPv4 form of a mapped address, else a copy of ip (out may equal ip). */
void rp_ip_unmap(const struct rp_ip *ip, struct rp_ip *out);

/* Classification, on the unmapped form. The ranges are exactly:
 * private      10/8, 172.16/12, 192.168/16 (RFC 1918), 100.64/10 (CGNAT, RFC 6598);
 *              fc00::/7 (unique local)
 * loopback     127/8; ::1
 * link-local   169.254/16 (includes the 169.254.169.254 metadata service); fe80::/10
 * metadata     169.254.169.254; fd00:ec2::254 (EC2 IMDS over IPv6, also private)
 * multicast    224/4; ff00::/8
 * unspecified  0.0.0.0; ::
 * documentation 192.0.2/24, 198.51.100/24, 203.0.113/24 (RFC 5737); 2001:db8::/32 (RFC 3849),
 *              3fff::/20 (RFC 9637)
 * public       IPv4: none of the above and not in 0/8, 192.0.0/24, 192.88.99/24, 198.18/15,
 *              240/4 (includes 255.255.255.255). IPv6: in 2000::/3 (global unicast) but not
 *              in 2001::/23 (IETF protocol assignments, Teredo), 2001:db8::/32, 2002::/16
 *              (6to4) or 3fff::/20; or in 64:ff9b::/96 (NAT64 of a public IPv4 host).
 *              Meant as "external to the estate" for GuardDuty-like detection. */
bool rp_ip_is_private(const struct rp_ip *ip);
bool rp_ip_is_loopback(const struct rp_ip *ip);
bool rp_ip_is_link_local(const struct rp_ip *ip);
bool rp_ip_is_metadata(const struct rp_ip *ip);
bool rp_ip_is_multicast(const struct rp_ip *ip);
bool rp_ip_is_unspecified(const struct rp_ip *ip);
bool rp_ip_is_documentation(const struct rp_ip *ip);
bool rp_ip_is_public(const struct rp_ip *ip);

/* Parse "10.0.0.0/8", "2001:db8::/32", or a bare address (= /32 or /128). The length is 1..3
 * decimal digits without sign or leading zeros ("/08" is rejected), at most 32 or 128.
 * Host bits set ("10.1.2.3/8") are accepted and masked off (giving 10.0.0.0/8), because
 * threat lists and security-group rules contain such entries; *host_bits_set (may be NULL)
 * tells the caller so it can warn. Returns RP_OK, or RP_EPARSE with details in *eb. */
rp_err rp_cidr_parse(struct rp_str s, struct rp_cidr *out, bool *host_bits_set,
                     struct rp_errbuf *eb) RP_WUR;

/* The prefix of length len containing ip (host bits masked off, *host_bits_set as above).
 * RP_EINVAL when len is too long for the family or the family is bad. */
rp_err rp_cidr_from_ip(const struct rp_ip *ip, unsigned len, struct rp_cidr *out,
                       bool *host_bits_set) RP_WUR;

/* Format as "addr/len" (the length is always written). As rp_ip_format otherwise. */
rp_err rp_cidr_format(const struct rp_cidr *c, char *buf, size_t bufsz) RP_WUR;

/* True when ip lies in c. Families are separate (0.0.0.0/0 holds no IPv6 address, ::/0 no
 * IPv4 address) except for mapping: a mapped address is IPv4, and an IPv6 prefix within
 * ::ffff:0:0/96 is the matching IPv4 prefix (::ffff:10.0.0.0/104 = 10.0.0.0/8). */
bool rp_cidr_contains(const struct rp_cidr *c, const struct rp_ip *ip);

/* A set of prefixes, each with a uint32_t value, answering longest-prefix-match lookups over
 * IPv4 and IPv6 together (same family and mapping rules as rp_cidr_contains). Built for
 * threat lists of ~1M prefixes checked per flow-log record: a direct-indexed table on the
 * first 16 bits, then a path-compressed binary (Patricia) trie per /16; a lookup touches the
 * table slot and O(log n) trie nodes, and allocates nothing. Memory is about 1 MiB per family
 * in use plus at most 2 nodes of 32 bytes per prefix longer than /16 (and up to 50% growth
 * slack): ~70 MiB for 1M random IPv4 prefixes.
 * Thread-safety: build with rp_cidr_set_insert from one thread, then any number of threads
 * may call rp_cidr_set_lookup concurrently as long as no insert runs (sets are built, then
 * swapped in immutable, STYLE.md B4.5). */
struct rp_cidr_set;

/* An empty set. NULL on allocation failure. */
struct rp_cidr_set *rp_cidr_set_new(void);

/* Free s and everything in it. NULL is a no-op. */
void rp_cidr_set_free(struct rp_cidr_set *s);

/* Add prefix with value. Inserting a prefix already present replaces its value (last value
 * wins) and does not count twice. Host bits in prefix->addr are ignored. Returns RP_OK;
 * RP_EINVAL for a bad family or length; RP_ELIMIT when the set already holds
 * RP_MAX_CIDR_ENTRIES distinct prefixes; RP_ENOMEM (the set is unchanged). */
rp_err rp_cidr_set_insert(struct rp_cidr_set *s, const struct rp_cidr *prefix,
                          uint32_t value) RP_WUR;

/* Longest-prefix match of ip: true with *value (may be NULL) set to the value of the longest
 * prefix containing ip and *match (may be NULL) set to that prefix (in IPv4 form when it was
 * inserted as a mapped IPv6 prefix); false, with both left untouched, when no prefix contains
 * ip. */
bool rp_cidr_set_lookup(const struct rp_cidr_set *s, const struct rp_ip *ip, uint32_t *value,
                        struct rp_cidr *match);

/* Distinct prefixes in s. */
size_t rp_cidr_set_count(const struct rp_cidr_set *s);

/* Bytes of heap held by s (tables and nodes), for stats. */
size_t rp_cidr_set_memory(const struct rp_cidr_set *s);

#endif
