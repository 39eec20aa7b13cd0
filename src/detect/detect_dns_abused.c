/* SPDX-License-Identifier: Apache-2.0 */
/* dns.abused: Impact:EC2/AbusedDomainRequest.Reputation (aws-facts §4.4). GuardDuty's domain
 * reputation model flags low-reputation domains of commonly abused kinds, among them free
 * subdomains of dynamic-DNS providers, which malware favours for command and control and
 * phishing because they cost nothing and change address at will. Without GuardDuty's model,
 * this detector covers only that part: an instance resolves <name>.<provider> for a provider
 * of the built-in dynamic-DNS / free-subdomain table (detect_dns_common.c), other than the
 * provider's own web site. Abused top-level domains are left out: they hold too much ordinary
 * traffic to flag without reputation data.
 *
 * Signature: each such query is one occurrence; one finding per instance and customer
 * subdomain (the registered domain under the provider). No state. */
#define RP_LOG_MODULE "detect"
#include <string.h>

#include "detect/detect_dns_common.h"
#include "core/rp_banned.h"

static const struct rp_det_type types[] = {
    {"Impact:EC2/AbusedDomainRequest.Reputation", 5.0,
     "Commonly abused domain name queried by EC2 instance %s",
     "EC2 instance %s queried a free subdomain of a dynamic-DNS provider, a kind of domain "
     "commonly abused for malware command and control and phishing."},
};

static rp_err on_event(struct rp_det_ctx *dc, void *state, const struct rp_det_event *ev,
                       struct rp_errbuf *eb)
{
    (void)state;
    char name[RP_DET_DNS_NAME_SZ];
    size_t len = rp_det_dns_name(ev, name);
    if (!len || !rp_det_dns_dyndns((struct rp_str){name, len}, NULL)) return RP_OK;
    struct rp_det_dns_query q;
    if (!rp_det_dns_query_read(dc, ev, &q)) return RP_OK;
    struct rp_str base = rp_det_dns_base_domain((struct rp_str){q.name, q.name_len});
    char key[RP_DET_DNS_NAME_SZ];
    memcpy(key, base.p, base.len);
    key[base.len] = '\0';
    struct rp_det_finding f;
    rp_det_dns_finding(&f, types[0].type, &q);
    f.evidence_key = key;
    return rp_det_emit(dc, &f, eb);
}

const struct rp_detector rp_det_dns_abused = {
    .id = "dns.abused",
    .source = RP_DET_SRC_DNS,
    .kind = RP_DET_SIGNATURE,
    .summary = "an instance resolves a free subdomain of a dynamic-DNS provider",
    .types = types,
    .ntypes = RP_ARRAY_LEN(types),
    .event = on_event,
};
