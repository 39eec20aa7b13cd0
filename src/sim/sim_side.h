/* SPDX-License-Identifier: Apache-2.0 */
/* rp_sim side data: what users keep next to their logs, generated from the world (sim_world.h)
 * by four generators (sim_builtin.def) and queried by scenarios and truth writers here.
 *
 *   side-metrics      metrics/<acct>/<region>/<EC2|ApplicationELB|NetworkELB|EBS|RDS>/
 *                     YYYY/MM/DD/<resource>.csv  hourly CloudWatch datapoints, one CSV per
 *                     resource and UTC day; side-truth/utilization.jsonl (Trusted Advisor)
 *   side-packages     inventory/<acct>/<region>/<instance-id>/var/lib/dpkg/status (Debian,
 *                     Ubuntu) or .../lib/apk/db/installed (Alpine); advisories/osv/<Debian|
 *                     Ubuntu|Alpine>/<RPSIM-id>.json; side-truth/packages.jsonl
 *   side-documents    buckets/<bucket>/... documents with planted sensitive data and decoys;
 *                     side-truth/sensitive.jsonl
 *   side-threatintel  threatintel/<list>.txt GuardDuty TXT lists (one IP, CIDR or domain a line)
 *
 * Every function here is a pure function of the run's seed and the world as it is at the call
 * (entity indexes, marks, OS releases), so scenarios may call them from plan(), before any
 * generator has started, and get the answer the generators will write. The side-truth files
 * hold what each generator actually wrote and never the secret values themselves (offsets and
 * lengths only), so a scanner pointed at buckets/ does not meet them.
 *
 * No floating point: utilization values are integers in fixed units (hundredths of a percent,
 * bytes, counts). */
#ifndef RP_SIM_SIDE_H
#define RP_SIM_SIDE_H

#include "core/rp_buf.h"
#include "sim/sim_gen.h"
#include "sim/sim_world.h"

/* The generators (sim_builtin.def). */
extern const struct rp_sim_gen rp_sim_gen_side_threatintel;
extern const struct rp_sim_gen rp_sim_gen_side_packages;
extern const struct rp_sim_gen rp_sim_gen_side_documents;
extern const struct rp_sim_gen rp_sim_gen_side_metrics;

/* ---- validators of planted identifiers (also used by tests) -------------------------------- */

/* Luhn check over the digits of s, ignoring spaces and dashes; false for anything else, or for
 * fewer than 12 digits. */
bool rp_sim_side_luhn_ok(const char *s);

/* ISO 13616 IBAN check: two letters, two check digits, 11..30 alphanumerics, spaces ignored,
 * mod-97 of the rearranged number equals 1. */
bool rp_sim_side_iban_ok(const char *s);

/* US SSN structure "AAA-GG-SSSS": area not 000, 666 or 900-999, group not 00, serial not
 * 0000. */
bool rp_sim_side_ssn_ok(const char *s);

/* UK NHS number (10 digits, spaces allowed): mod-11 check digit with weights 10..2, where a
 * computed check of 10 is never valid. */
bool rp_sim_side_nhs_ok(const char *s);

/* Base64 of p[0..n) (url: the URL-safe alphabet without padding, else the standard one with
 * '=' padding) appended to out. RP_ELIMIT/RP_ENOMEM from out. */
rp_err rp_sim_side_base64(const void *p, size_t n, bool url, struct rp_buf *out) RP_WUR;

/* ---- utilization profiles (side-metrics) --------------------------------------------------- */

/* How a resource's metrics behave. Profiles are fixed per entity from its index and the seed;
 * the side-truth file states, per Trusted Advisor check, what the generated values imply. */
enum rp_sim_util {
    RP_SIM_UTIL_NORMAL = 0,
    RP_SIM_UTIL_IDLE,           /* qualifies for the idle/low-utilization checks on every day */
    RP_SIM_UTIL_IDLE_FEW,       /* EC2: idle on 3 of any 14 consecutive days (near miss) */
    RP_SIM_UTIL_LOWCPU_BUSYNET, /* EC2: CPU <= 6% but network >= 50 MB a day (near miss) */
    RP_SIM_UTIL_HOT,            /* EC2: daily average CPU > 90% (High Utilization check) */
    RP_SIM_UTIL_BOUNDARY,       /* EC2: CPU exactly 10.00% every hour, 3,999,984 bytes a day */
    RP_SIM_UTIL_NEAR,           /* LB/EBS/RDS: just above the idle threshold on some days */
};

/* Name of a profile: "normal", "idle", "idle-few", "lowcpu-busynet", "hot", "boundary",
 * "near". */
const char *rp_sim_util_name(enum rp_sim_util u);

/* Profile of an instance, load balancer, volume or DB instance (other kinds: NORMAL).
 * Unattached volumes are always IDLE. Activity generators may consult it to keep flow volume in
 * line with the metrics. */
enum rp_sim_util rp_sim_side_util_profile(const struct rp_sim_run *run, struct rp_sim_ref ref);

/* The CSV the generator writes for resource ref (instance, load balancer, volume or DB
 * instance) for the UTC day containing day_ms, appended to out: the header line and one row per
 * metric, statistic and hour. RP_ENOENT for other kinds, indexes out of range and resources
 * without datapoints that day (stopped instances, unattached volumes); RP_ELIMIT/RP_ENOMEM. */
rp_err rp_sim_side_metrics_day(const struct rp_sim_run *run, struct rp_sim_ref ref, int64_t day_ms,
                               struct rp_buf *out) RP_WUR;

/* Trusted Advisor check ids used in side-truth/utilization.jsonl. */
#define RP_SIM_TA_EC2_LOW  "Qch7DwouX1" /* Low Utilization Amazon EC2 Instances */
#define RP_SIM_TA_EC2_HIGH "ZRxQlPsb6c" /* High Utilization Amazon EC2 Instances */
#define RP_SIM_TA_LB_IDLE  "hjLMh88uM8" /* Idle Load Balancers */
#define RP_SIM_TA_EBS_LOW  "DAvU99Dc4C" /* Underutilized Amazon EBS Volumes */
#define RP_SIM_TA_RDS_IDLE "Ti39halfu8" /* Amazon RDS Idle DB Instances */

/* ---- packages and advisories (side-packages) ----------------------------------------------- */

/* Where an installed version stands against one advisory's range for its ecosystem. */
enum rp_sim_vuln_state {
    RP_SIM_VULN_AFFECTED = 0,    /* introduced <= installed < fixed: vulnerable */
    RP_SIM_VULN_AT_FIXED,        /* installed == fixed (a distro backport): not vulnerable */
    RP_SIM_VULN_ABOVE_FIXED,     /* installed > fixed: not vulnerable */
    RP_SIM_VULN_BELOW_INTRODUCED /* installed < introduced: not vulnerable */
};

/* "affected", "at-fixed", "above-fixed", "below-introduced". */
const char *rp_sim_vuln_state_name(enum rp_sim_vuln_state s);

/* One (instance, advisory) pair: every advisory in the tree that names a source package
 * installed on the instance for the instance's own ecosystem. Strings are copied. */
struct rp_sim_side_vuln {
    char advisory[24];  /* OSV id "RPSIM-2026-0001" */
    char cve[24];       /* alias "CVE-2026-90001" (synthetic) */
    char ecosystem[24]; /* "Debian:12", "Ubuntu:22.04:LTS", "Alpine:v3.19" */
    char source[32];    /* OSV package name: the source package ("openssh") */
    char binaries[192]; /* installed binary packages of that source, comma-separated, sorted */
    char installed[64]; /* version installed on the instance */
    char introduced[64];
    char fixed[64];
    char cvss[64];    /* CVSS:3.1 vector */
    uint32_t score10; /* CVSS base score times 10 (81 = 8.1) */
    enum rp_sim_vuln_state state;
};

/* Inventory format of an instance: "dpkg", "apk", or NULL when the generator writes none
 * (Amazon Linux: rpm databases are not generated). */
const char *rp_sim_side_pkg_format(const struct rp_sim_world *w, uint32_t instance);

/* OSV ecosystem of an instance ("Debian:12", "Ubuntu:20.04:LTS", "Alpine:v3.18") or NULL. */
const char *rp_sim_side_pkg_ecosystem(const struct rp_sim_world *w, uint32_t instance);

/* Fill out[0..max) with the advisory pairs of instance (order: advisory id) and return how many
 * there are in total (0 for an instance without inventory or out of range). */
uint32_t rp_sim_side_pkg_vulns(const struct rp_sim_run *run, uint32_t instance,
                               struct rp_sim_side_vuln *out, uint32_t max);

/* Set where package (a binary or source name, "openssh-server" or "openssh") of instance stands
 * against the advisory of the instance's ecosystem that covers it: AFFECTED installs the
 * advisory's vulnerable version (and marks the instance RP_SIM_MARK_VULN_PKG), AT_FIXED the fixed
 * version, ABOVE_FIXED a later one. *out (may be NULL) describes the pair afterwards. Call from a
 * scenario's plan(); the last call for a pair wins. RP_EUNSUPPORTED when the instance has no
 * inventory (Amazon Linux) or the side-packages generator is not part of the run, RP_ENOENT when
 * the package is not installed there or no advisory of the instance's ecosystem has a range it can
 * be moved into (BELOW_INTRODUCED cannot be set), RP_EINVAL for a bad index or state, RP_ENOMEM. */
rp_err rp_sim_side_pkg_set_state(struct rp_sim_run *run, uint32_t instance, const char *package,
                                 enum rp_sim_vuln_state state, struct rp_sim_side_vuln *out,
                                 struct rp_errbuf *eb) RP_WUR;

/* rp_sim_side_pkg_set_state(run, instance, package, RP_SIM_VULN_AFFECTED, out, eb). An instance
 * marked RP_SIM_MARK_VULN_PKG without any such call gets its openssh (else its first covered
 * package) made vulnerable. */
rp_err rp_sim_side_pkg_mark_vulnerable(struct rp_sim_run *run, uint32_t instance,
                                       const char *package, struct rp_sim_side_vuln *out,
                                       struct rp_errbuf *eb) RP_WUR;

/* Render the dpkg status stanza of one installed package (as dpkg writes it, ending with the
 * blank line) or the apk installed-db stanza, for instance, into out. The generator writes the
 * whole file from these; tests use them to check exact lines. RP_ENOENT when the package is
 * not installed there, RP_ELIMIT/RP_ENOMEM from out. */
rp_err rp_sim_side_pkg_stanza(const struct rp_sim_run *run, uint32_t instance, const char *binary,
                              struct rp_buf *out) RP_WUR;

/* The whole inventory file of instance into out (RP_ENOENT without inventory). */
rp_err rp_sim_side_pkg_inventory(const struct rp_sim_run *run, uint32_t instance,
                                 struct rp_buf *out) RP_WUR;

/* Number of advisories in the OSV tree, and advisory i (catalogue order) rendered as its OSV
 * file (one JSON object and a newline) appended to out, its output key
 * ("advisories/osv/Debian/RPSIM-2026-0001.json") into key[keysz] (key may be NULL). RP_ENOENT
 * past the end, RP_ELIMIT/RP_ENOMEM from out. */
uint32_t rp_sim_side_osv_count(void);
rp_err rp_sim_side_osv_render(const struct rp_sim_run *run, uint32_t i, struct rp_buf *out,
                              char *key, size_t keysz) RP_WUR;

/* ---- documents with planted sensitive data (side-documents) ------------------------------- */

/* Macie managed data identifier ids planted in bucket's documents (see
 * side-truth/sensitive.jsonl for each occurrence), sorted, into out[0..max); returns how many
 * there are in total. 0 for buckets without documents (logs, web, artifacts) and for buckets
 * marked RP_SIM_MARK_DECOY (look-alikes only). The strings are static. */
uint32_t rp_sim_side_doc_identifiers(const struct rp_sim_run *run, uint32_t bucket,
                                     const char **out, uint32_t max);

/* True when bucket gets a documents directory. Data, backup and shared-docs buckets always do;
 * any bucket marked RP_SIM_MARK_SENSITIVE or RP_SIM_MARK_DECOY does too. */
bool rp_sim_side_doc_bucket(const struct rp_sim_world *w, uint32_t bucket);

/* AWS's documented example access key pair: planted as a decoy that must not be reported as a
 * credential (see docs/simulate.md, "Side data"). */
#define RP_SIM_AWS_EXAMPLE_KEY_ID     "AKIAIOSFODNN7EXAMPLE"
#define RP_SIM_AWS_EXAMPLE_SECRET_KEY "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"

/* ---- threat intelligence (side-threatintel) ------------------------------------------------ */

enum rp_sim_ti {
    RP_SIM_TI_MALICIOUS_IP = 0, /* threatintel/malicious-ips.txt (addresses; CIDRs follow) */
    RP_SIM_TI_C2_DOMAIN,        /* threatintel/c2-domains.txt */
    RP_SIM_TI_PHISHING_DOMAIN,  /* threatintel/phishing-domains.txt */
    RP_SIM_TI_TOR_EXIT,         /* threatintel/tor-exit-nodes.txt */
    RP_SIM_TI__COUNT
};

/* Output key of list l ("threatintel/malicious-ips.txt"). */
const char *rp_sim_side_ti_key(enum rp_sim_ti l);

/* Number of entries of list l in this world (by scale; the malicious list counts its CIDR
 * entries too, which come last). */
uint32_t rp_sim_side_ti_count(const struct rp_sim_world *w, enum rp_sim_ti l);

/* Entry i of list l (i < rp_sim_side_ti_count) into out: an address, a CIDR ("194.x.y.0/24")
 * or a domain. Entries are distinct within a list and every list's addresses come from first
 * octets the world never uses for its own or its people's addresses: malicious 45, 91, 193
 * (CIDRs 194), Tor exits 109, 176. Scenarios take attacker addresses from low indexes.
 * false when i is out of range. */
bool rp_sim_side_ti_entry(const struct rp_sim_world *w, enum rp_sim_ti l, uint32_t i, char *out,
                          size_t outsz);

/* Address a C2 domain i resolves to (first octets 5 and 62, deliberately not on the IP list, so
 * a DNS-based detection is distinguishable from an IP-list match). */
void rp_sim_side_ti_c2_address(const struct rp_sim_world *w, uint32_t i, char *out, size_t outsz);

/* The list (or lists) that contain s, exactly (addresses also inside a listed CIDR): a bitmask
 * of 1u << enum rp_sim_ti, 0 when none. */
uint32_t rp_sim_side_ti_lookup(const struct rp_sim_world *w, const char *s);

/* The trusted IP list (threatintel/trusted-ips.txt): the offices' public egress addresses, as
 * the world's people use them (habits.ips[1] of human users), sorted, distinct. Returns how many
 * there are; writes at most max into out. */
uint32_t rp_sim_side_trusted_ips(const struct rp_sim_world *w, char (*out)[RP_SIM_IP_SZ],
                                 uint32_t max);

#endif
