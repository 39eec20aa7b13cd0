/* SPDX-License-Identifier: Apache-2.0 */
/* dns.rebind: UnauthorizedAccess:EC2/MetadataDNSRebind (aws-facts §4.4). A public name looked
 * up by an instance is answered with the instance metadata service's address (169.254.169.254,
 * or fd00:ec2::254 over IPv6): the shape of a DNS-rebinding attack, where software on the
 * instance (often through an SSRF) is pointed at a harmless-looking name that later resolves
 * to the metadata service, so that it hands over the instance's credentials.
 *
 * Names with no public meaning (instance-data.ec2.internal and other .internal, .local, one
 * label) legitimately resolve there and are left alone. Signature: each such answer is one
 * occurrence; one finding per instance and registered domain (rebinding services mint a fresh
 * subdomain per attempt). The answers are parsed (RP_DNS_ANSWERS: [{Rdata, Type, Class}]) only
 * when their text holds the address, so ordinary queries cost one memmem. */
#define RP_LOG_MODULE "detect"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rp_json.h"
#include "detect/detect_dns_common.h"
#include "core/rp_banned.h"

static const struct rp_det_type types[] = {
    {"UnauthorizedAccess:EC2/MetadataDNSRebind", 8.0,
     "EC2 instance %s resolved a domain name to the instance metadata service",
     "EC2 instance %s looked up a public domain name whose answer is the instance metadata "
     "service address (169.254.169.254), a DNS-rebinding attempt to reach the metadata service "
     "and steal the instance's credentials."},
};

struct rebind {
    struct rp_json_parser *jp;
};

static rp_err on_init(struct rp_det_ctx *dc, void **state, struct rp_errbuf *eb)
{
    (void)dc;
    struct rebind *s = calloc(1, sizeof *s);
    if (s) s->jp = rp_json_parser_new();
    if (!s || !s->jp) {
        if (s) free(s);
        return rp_fail(eb, RP_ENOMEM, "detect: out of memory");
    }
    *state = s;
    return RP_OK;
}

static void on_release(void *state)
{
    struct rebind *s = state;
    if (!s) return;
    rp_json_parser_free(s->jp);
    free(s);
}

/* Cheap test before parsing: the text of the answers mentions a metadata address. */
static bool mentions_metadata(struct rp_str a)
{
    if (!a.p || a.len < 9) return false;
    if (memmem(a.p, a.len, "169.254.169.254", 15)) return true;
    for (size_t i = 0; i + 8 <= a.len; i++)
        if ((a.p[i] == 'f' || a.p[i] == 'F') &&
            rp_str_eq_nocase((struct rp_str){a.p + i, 8}, RP_STR_LIT("fd00:ec2")))
            return true;
    return false;
}

/* The first answer whose Rdata is a metadata address, copied into out; false when none (or
 * the answers do not parse: a record we cannot read raises nothing). */
static bool metadata_answer(struct rebind *s, struct rp_str a, char *out, size_t outsz)
{
    struct rp_json_val root, el;
    struct rp_json_iter it;
    if (rp_json_parse(s->jp, a.p, a.len, &root, NULL) != RP_OK) return false;
    if (rp_json_arr_iter(root, &it) != RP_OK) return false;
    while (rp_json_arr_next(&it, &el)) {
        struct rp_str rdata;
        struct rp_ip ip;
        if (rp_json_obj_get_str(el, "Rdata", &rdata) != RP_OK) continue;
        rdata = rp_str_trim(rdata);
        if (rp_ip_parse(rdata, &ip, NULL) != RP_OK || !rp_ip_is_metadata(&ip)) continue;
        if (rp_ip_format(&ip, out, outsz) != RP_OK) continue;
        return true;
    }
    return false;
}

static rp_err on_event(struct rp_det_ctx *dc, void *state, const struct rp_det_event *ev,
                       struct rp_errbuf *eb)
{
    struct rebind *s = state;
    struct rp_str answers = rp_det_str(ev, RP_DNS_ANSWERS);
    if (!mentions_metadata(answers)) return RP_OK;
    char name[RP_DET_DNS_NAME_SZ];
    size_t len = rp_det_dns_name(ev, name);
    if (!len || rp_det_dns_private_name((struct rp_str){name, len})) return RP_OK;
    char addr[RP_IP_STRBUFSZ];
    if (!metadata_answer(s, answers, addr, sizeof addr)) return RP_OK;
    struct rp_det_dns_query q;
    if (!rp_det_dns_query_read(dc, ev, &q)) return RP_OK;
    struct rp_str base = rp_det_dns_base_domain((struct rp_str){q.name, q.name_len});
    char key[RP_DET_DNS_NAME_SZ];
    memcpy(key, base.p, base.len);
    key[base.len] = '\0';
    struct rp_det_finding f;
    rp_det_dns_finding(&f, types[0].type, &q);
    f.evidence_key = key;
    char info[96];
    snprintf(info, sizeof info, "{\"answer\":\"%s\"}", addr);
    f.additional_json = info;
    return rp_det_emit(dc, &f, eb);
}

const struct rp_detector rp_det_dns_rebind = {
    .id = "dns.rebind",
    .source = RP_DET_SRC_DNS,
    .kind = RP_DET_SIGNATURE,
    .summary = "a public name an instance looks up resolves to the instance metadata service",
    .types = types,
    .ntypes = RP_ARRAY_LEN(types),
    .init = on_init,
    .event = on_event,
    .release = on_release,
};
