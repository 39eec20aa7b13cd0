/* SPDX-License-Identifier: Apache-2.0 */
/* GuardDuty's finding JSON (detect_gd.h): one folded finding of a detection run written as
 * `aws guardduty get-findings` prints a finding (aws-facts.md §4.1). The run (detect_run.c)
 * calls it for every finding before importing it into the findings hub through the hub's
 * GuardDuty converter, and the suppression rules (detect_suppress.c) read what it wrote.
 *
 * Resource details come from the detector (AccessKeyDetails, KubernetesDetails) and from the
 * inventory the run passes in as AWS Config items (InstanceDetails, S3BucketDetails,
 * EksClusterDetails); Config stores EC2 in camelCase, EKS in PascalCase, so every lookup in a
 * Config item tries both casings. Members nobody knows are left out, never guessed. */
#define RP_LOG_MODULE "detect"
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/rp_base.h"
#include "core/rp_buf.h"
#include "core/rp_ip.h"
#include "core/rp_time.h"
#include "detect/detect_gd.h"
#include "core/rp_banned.h"

#define SCHEMA_VERSION "2.0" /* GuardDuty's finding schema version */
#define MAX_TEXT       4096  /* bytes of a Title or Description after "%s" is replaced */

/* PortName of well-known ports as GuardDuty's findings name them; every other port is
 * "Unknown" (seen in GuardDuty's sample findings: SSH, RDP, HTTP, HTTPS, DNS, SMTP). */
static const struct {
    int port;
    const char *name;
} port_names[] = {
    {22, "SSH"}, {25, "SMTP"}, {53, "DNS"}, {80, "HTTP"}, {443, "HTTPS"}, {3389, "RDP"},
};

const char *rp_det_gd_port_name(int port)
{
    for (size_t i = 0; i < RP_ARRAY_LEN(port_names); i++)
        if (port_names[i].port == port) return port_names[i].name;
    return "Unknown";
}

/* Threat purposes of the S3 types that come from management events (aws-facts.md §4.5:
 * Policy:S3/.., Stealth:S3/..); every other S3 type needs S3 data events (§4.6). The feature
 * names are those GuardDuty's findings carry in Service.FeatureName [mem]. */
const char *rp_det_gd_feature_name(enum rp_det_source src, const char *type)
{
    switch (src) {
    case RP_DET_SRC_CLOUDTRAIL: {
        const char *colon = type ? strchr(type, ':') : NULL;
        if (colon && strncmp(colon + 1, "S3/", 3) == 0 && strncmp(type, "Policy:", 7) != 0 &&
            strncmp(type, "Stealth:", 8) != 0)
            return "S3DataEvents";
        return "CloudTrail";
    }
    case RP_DET_SRC_FLOW:
        return "FlowLogs";
    case RP_DET_SRC_DNS:
        return "DnsLogs";
    case RP_DET_SRC_K8S:
        return "EksAuditLogs";
    default:
        return "CloudTrail";
    }
}

/* ---- small writers ----------------------------------------------------------------------- */

static bool set(const char *s)
{
    return s && *s;
}

static void kv(struct rp_json_writer *w, const char *k, const char *s)
{
    if (set(s)) rp_json_write_kv_cstr(w, k, s);
}

static void kv_s(struct rp_json_writer *w, const char *k, struct rp_str s)
{
    if (s.len) rp_json_write_kv_str(w, k, s.p, s.len);
}

static void kv_time(struct rp_json_writer *w, const char *k, int64_t ms)
{
    char buf[RP_TIME_ISO_BUFSZ];
    if (rp_time_format_iso(ms, buf, sizeof buf) == RP_OK) rp_json_write_kv_cstr(w, k, buf);
}

static void key(struct rp_json_writer *w, const char *k)
{
    rp_json_write_key(w, k, strlen(k));
}

/* Member key of obj in the given casing or with its first letter's case flipped (Config
 * items: "instanceId" for EC2, "Arn" for EKS). A JSON null counts as absent. */
static bool get2(struct rp_json_val obj, const char *k, struct rp_json_val *out)
{
    if (rp_json_type(obj) != RP_JSON_OBJECT) return false;
    if (rp_json_obj_get(obj, k, out) == RP_OK && rp_json_type(*out) != RP_JSON_NULL) return true;
    char alt[64];
    size_t n = strlen(k);
    if (n == 0 || n >= sizeof alt) return false;
    memcpy(alt, k, n + 1);
    if (alt[0] >= 'A' && alt[0] <= 'Z')
        alt[0] = (char)(alt[0] - 'A' + 'a');
    else if (alt[0] >= 'a' && alt[0] <= 'z')
        alt[0] = (char)(alt[0] - 'a' + 'A');
    else
        return false;
    return rp_json_obj_get(obj, alt, out) == RP_OK && rp_json_type(*out) != RP_JSON_NULL;
}

/* A non-empty string at k (get2). */
static bool str2(struct rp_json_val obj, const char *k, struct rp_str *s)
{
    struct rp_json_val v;
    return get2(obj, k, &v) && rp_json_get_str(v, s) == RP_OK && s->len > 0;
}

/* A dotted path of get2 steps. */
static bool path2(struct rp_json_val obj, const char *path, struct rp_json_val *out)
{
    char step[64];
    struct rp_json_val cur = obj;
    const char *p = path;
    while (*p) {
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        if (n >= sizeof step) return false;
        memcpy(step, p, n);
        step[n] = '\0';
        if (!get2(cur, step, &cur)) return false;
        p += n + (dot ? 1 : 0);
    }
    *out = cur;
    return true;
}

static bool path_str2(struct rp_json_val obj, const char *path, struct rp_str *s)
{
    struct rp_json_val v;
    return path2(obj, path, &v) && rp_json_get_str(v, s) == RP_OK && s->len > 0;
}

/* Copy the string at src in obj to member dst. */
static void copy_str(struct rp_json_writer *w, const char *dst, struct rp_json_val obj,
                     const char *src)
{
    struct rp_str s;
    if (path_str2(obj, src, &s)) kv_s(w, dst, s);
}

/* A time (ISO text in any form rp_time reads) at src, written as GuardDuty writes times. */
static void copy_time(struct rp_json_writer *w, const char *dst, struct rp_json_val obj,
                      const char *src)
{
    struct rp_str s;
    int64_t ms = 0;
    if (path_str2(obj, src, &s) && rp_time_parse_iso(s, &ms, NULL) == RP_OK) kv_time(w, dst, ms);
}

/* "Tags": [{Key, Value}] from a list of {key, value} / {Key, Value} objects or an object map
 * of strings (Config's item-level tags); always written, empty when there are none. */
static void write_tags(struct rp_json_writer *w, struct rp_json_val tags)
{
    struct rp_json_iter it;
    struct rp_json_val el;
    struct rp_str k, v;
    key(w, "Tags");
    rp_json_write_arr_begin(w);
    if (rp_json_type(tags) == RP_JSON_ARRAY && rp_json_arr_iter(tags, &it) == RP_OK) {
        while (rp_json_arr_next(&it, &el))
            if (str2(el, "Key", &k)) {
                struct rp_json_val vv;
                if (!get2(el, "Value", &vv) || rp_json_get_str(vv, &v) != RP_OK)
                    v = (struct rp_str){"", 0};
                rp_json_write_obj_begin(w);
                rp_json_write_kv_str(w, "Key", k.p, k.len);
                rp_json_write_kv_str(w, "Value", v.p, v.len);
                rp_json_write_obj_end(w);
            }
    } else if (rp_json_type(tags) == RP_JSON_OBJECT && rp_json_obj_iter(tags, &it) == RP_OK) {
        while (rp_json_obj_next(&it, &k, &el)) {
            if (rp_json_get_str(el, &v) != RP_OK) continue;
            rp_json_write_obj_begin(w);
            rp_json_write_kv_str(w, "Key", k.p, k.len);
            rp_json_write_kv_str(w, "Value", v.p, v.len);
            rp_json_write_obj_end(w);
        }
    }
    rp_json_write_arr_end(w);
}

/* ---- addresses ----------------------------------------------------------------------------- */

static bool is_v6(const char *ip)
{
    struct rp_ip a;
    return rp_ip_parse(rp_str_from(ip), &a, NULL) == RP_OK && a.family == RP_IP_V6;
}

/* "<k>": {IpAddressV4|IpAddressV6}, for local addresses. */
static void local_ip(struct rp_json_writer *w, const char *k, const char *ip)
{
    if (!set(ip)) return;
    key(w, k);
    rp_json_write_obj_begin(w);
    rp_json_write_kv_cstr(w, is_v6(ip) ? "IpAddressV6" : "IpAddressV4", ip);
    rp_json_write_obj_end(w);
}

/* "RemoteIpDetails": {City, Country, GeoLocation, IpAddressV4|V6, Organization}. */
static void remote_ip(struct rp_json_writer *w, const char *ip, const struct rp_det_gd_facts *g)
{
    if (!set(ip)) return;
    struct rp_det_gd_ipinfo in;
    memset(&in, 0, sizeof in);
    bool known = g->ipinfo && g->ipinfo(g->ipinfo_ctx, ip, &in);
    key(w, "RemoteIpDetails");
    rp_json_write_obj_begin(w);
    if (known && set(in.city)) {
        key(w, "City");
        rp_json_write_obj_begin(w);
        kv(w, "CityName", in.city);
        rp_json_write_obj_end(w);
    }
    if (known && (set(in.country_code) || set(in.country_name))) {
        key(w, "Country");
        rp_json_write_obj_begin(w);
        kv(w, "CountryCode", in.country_code);
        kv(w, "CountryName", in.country_name);
        rp_json_write_obj_end(w);
    }
    if (known && in.has_geo) {
        key(w, "GeoLocation");
        rp_json_write_obj_begin(w);
        rp_json_write_kv_double(w, "Lat", in.lat);
        rp_json_write_kv_double(w, "Lon", in.lon);
        rp_json_write_obj_end(w);
    }
    rp_json_write_kv_cstr(w, is_v6(ip) ? "IpAddressV6" : "IpAddressV4", ip);
    if (known && (set(in.asn) || set(in.asn_org) || set(in.isp) || set(in.org))) {
        key(w, "Organization");
        rp_json_write_obj_begin(w);
        kv(w, "Asn", in.asn);
        kv(w, "AsnOrg", in.asn_org);
        kv(w, "Isp", in.isp);
        kv(w, "Org", in.org);
        rp_json_write_obj_end(w);
    }
    rp_json_write_obj_end(w);
}

static void port_details(struct rp_json_writer *w, const char *k, int port)
{
    if (port < 0) return;
    key(w, k);
    rp_json_write_obj_begin(w);
    rp_json_write_kv_int(w, "Port", port);
    rp_json_write_kv_cstr(w, "PortName", rp_det_gd_port_name(port));
    rp_json_write_obj_end(w);
}

/* ---- JSON texts from the run ------------------------------------------------------------ */

/* Parses with g->parser, or with a parser of its own (freed by doc_release). */
struct doc {
    struct rp_json_parser *own;
    struct rp_json_parser *p;
    struct rp_json_val root;
    bool ok;
};

static rp_err doc_parse(struct doc *d, const struct rp_det_gd_facts *g, const char *text)
{
    memset(d, 0, sizeof *d);
    if (!set(text)) return RP_OK;
    d->p = g->parser;
    if (!d->p) {
        d->own = d->p = rp_json_parser_new();
        if (!d->p) return RP_ENOMEM;
    }
    d->ok = rp_json_parse(d->p, text, strlen(text), &d->root, NULL) == RP_OK;
    return RP_OK;
}

static void doc_release(struct doc *d)
{
    rp_json_parser_free(d->own);
    d->own = NULL;
}

/* Write text (JSON) as the value of key k when it parses, through the parser of d (re-used). */
static rp_err raw_json(struct rp_json_writer *w, const char *k, const char *text,
                       const struct rp_det_gd_facts *g, enum rp_json_type want)
{
    struct doc d;
    if (doc_parse(&d, g, text) != RP_OK) return RP_ENOMEM;
    if (d.ok && (want == RP_JSON_NONE || rp_json_type(d.root) == want)) {
        if (k) key(w, k);
        rp_json_write_val(w, d.root);
    }
    bool ok = d.ok;
    doc_release(&d);
    return ok ? RP_OK : RP_EPARSE;
}

/* ---- Resource ------------------------------------------------------------------------------ */

static void access_key_details(struct rp_json_writer *w, const struct rp_det_finding *f,
                               const char *fallback_id)
{
    key(w, "AccessKeyDetails");
    rp_json_write_obj_begin(w);
    kv(w, "AccessKeyId", set(f->access_key_id) ? f->access_key_id : fallback_id);
    kv(w, "PrincipalId", f->principal_id);
    kv(w, "UserName", f->user_name);
    kv(w, "UserType", f->user_type);
    rp_json_write_obj_end(w);
}

/* One NetworkInterfaces element from a Config item's networkInterfaces element. */
static void ni_from_config(struct rp_json_writer *w, struct rp_json_val ni)
{
    struct rp_json_val arr, el;
    struct rp_json_iter it;
    struct rp_str s;
    rp_json_write_obj_begin(w);
    key(w, "Ipv6Addresses");
    rp_json_write_arr_begin(w);
    if (get2(ni, "Ipv6Addresses", &arr) && rp_json_arr_iter(arr, &it) == RP_OK)
        while (rp_json_arr_next(&it, &el))
            if (str2(el, "Ipv6Address", &s) || rp_json_get_str(el, &s) == RP_OK)
                rp_json_write_str(w, s.p, s.len);
    rp_json_write_arr_end(w);
    copy_str(w, "NetworkInterfaceId", ni, "NetworkInterfaceId");
    copy_str(w, "PrivateDnsName", ni, "PrivateDnsName");
    copy_str(w, "PrivateIpAddress", ni, "PrivateIpAddress");
    if (get2(ni, "PrivateIpAddresses", &arr) && rp_json_arr_iter(arr, &it) == RP_OK) {
        key(w, "PrivateIpAddresses");
        rp_json_write_arr_begin(w);
        while (rp_json_arr_next(&it, &el)) {
            rp_json_write_obj_begin(w);
            copy_str(w, "PrivateDnsName", el, "PrivateDnsName");
            copy_str(w, "PrivateIpAddress", el, "PrivateIpAddress");
            rp_json_write_obj_end(w);
        }
        rp_json_write_arr_end(w);
    }
    copy_str(w, "PublicDnsName", ni, "Association.PublicDnsName");
    copy_str(w, "PublicIp", ni, "Association.PublicIp");
    if (get2(ni, "Groups", &arr) || get2(ni, "SecurityGroups", &arr)) {
        key(w, "SecurityGroups");
        rp_json_write_arr_begin(w);
        if (rp_json_arr_iter(arr, &it) == RP_OK)
            while (rp_json_arr_next(&it, &el)) {
                rp_json_write_obj_begin(w);
                copy_str(w, "GroupId", el, "GroupId");
                copy_str(w, "GroupName", el, "GroupName");
                rp_json_write_obj_end(w);
            }
        rp_json_write_arr_end(w);
    }
    copy_str(w, "SubnetId", ni, "SubnetId");
    copy_str(w, "VpcId", ni, "VpcId");
    rp_json_write_obj_end(w);
}

/* The one interface the run's facts describe (no Config item). */
static void ni_from_facts(struct rp_json_writer *w, const struct rp_det_finding *f,
                          const struct rp_det_inv_eni *x)
{
    const char *eni = x && set(x->eni) ? x->eni : f->eni;
    const char *priv = x && set(x->private_ip) ? x->private_ip : f->local_ip;
    if (!set(eni) && !set(priv)) return;
    key(w, "NetworkInterfaces");
    rp_json_write_arr_begin(w);
    rp_json_write_obj_begin(w);
    kv(w, "NetworkInterfaceId", eni);
    kv(w, "PrivateIpAddress", priv);
    if (x) {
        kv(w, "PublicIp", x->public_ip);
        if (x->nsecurity_groups) {
            key(w, "SecurityGroups");
            rp_json_write_arr_begin(w);
            for (size_t i = 0; i < x->nsecurity_groups; i++) {
                rp_json_write_obj_begin(w);
                kv(w, "GroupId", x->security_groups[i]);
                rp_json_write_obj_end(w);
            }
            rp_json_write_arr_end(w);
        }
        kv(w, "SubnetId", x->subnet_id);
        kv(w, "VpcId", x->vpc_id);
    }
    rp_json_write_obj_end(w);
    rp_json_write_arr_end(w);
}

static rp_err instance_details(struct rp_json_writer *w, const struct rp_det_folded *ff,
                               const struct rp_det_gd_facts *g)
{
    const struct rp_det_finding *f = &ff->f;
    const char *iid = set(f->instance_id)                  ? f->instance_id
                      : g->eni && set(g->eni->instance_id) ? g->eni->instance_id
                                                           : f->resource_id;
    struct doc d;
    if (doc_parse(&d, g, g->instance_json) != RP_OK) return RP_ENOMEM;
    struct rp_json_val c = d.root, v;
    bool has = d.ok && rp_json_type(c) == RP_JSON_OBJECT;
    if (has && rp_json_obj_get(c, "configuration", &v) == RP_OK &&
        rp_json_type(v) == RP_JSON_OBJECT)
        c = v; /* a whole Config item */
    key(w, "InstanceDetails");
    rp_json_write_obj_begin(w);
    if (has) {
        copy_str(w, "AvailabilityZone", c, "Placement.AvailabilityZone");
        if (path2(c, "IamInstanceProfile", &v)) {
            key(w, "IamInstanceProfile");
            rp_json_write_obj_begin(w);
            copy_str(w, "Arn", v, "Arn");
            copy_str(w, "Id", v, "Id");
            rp_json_write_obj_end(w);
        }
        copy_str(w, "ImageId", c, "ImageId");
    }
    struct rp_str s;
    if (has && str2(c, "InstanceId", &s))
        kv_s(w, "InstanceId", s);
    else
        kv(w, "InstanceId", iid);
    if (has) {
        copy_str(w, "InstanceState", c, "State.Name");
        copy_str(w, "InstanceType", c, "InstanceType");
        copy_time(w, "LaunchTime", c, "LaunchTime");
    }
    struct rp_json_val nis, el;
    struct rp_json_iter it;
    if (has && get2(c, "NetworkInterfaces", &nis) && rp_json_arr_iter(nis, &it) == RP_OK &&
        rp_json_len(nis) > 0) {
        key(w, "NetworkInterfaces");
        rp_json_write_arr_begin(w);
        while (rp_json_arr_next(&it, &el)) ni_from_config(w, el);
        rp_json_write_arr_end(w);
    } else {
        ni_from_facts(w, f, g->eni);
    }
    if (has) {
        copy_str(w, "Platform", c, "Platform");
        key(w, "ProductCodes");
        rp_json_write_arr_begin(w);
        rp_json_write_arr_end(w);
        struct rp_json_val tags = {0};
        (void)get2(c, "Tags", &tags);
        write_tags(w, tags);
    }
    rp_json_write_obj_end(w);
    doc_release(&d);
    return RP_OK;
}

/* A Config bucket ACL ({"grantList": [{"grantee": "AllUsers" | {..}, "permission": ..}]})
 * allowing public read / write: a grant to AllUsers or AuthenticatedUsers. */
static void acl_public(struct rp_json_val acl, bool *read, bool *write)
{
    struct rp_json_val list, el, g;
    struct rp_json_iter it;
    struct rp_str s, perm;
    if (!get2(acl, "GrantList", &list) || rp_json_arr_iter(list, &it) != RP_OK) return;
    while (rp_json_arr_next(&it, &el)) {
        if (!get2(el, "Grantee", &g) || !str2(el, "Permission", &perm)) continue;
        bool pub = false;
        if (rp_json_get_str(g, &s) == RP_OK)
            pub = rp_str_eq_cstr(s, "AllUsers") || rp_str_eq_cstr(s, "AuthenticatedUsers");
        else if (str2(g, "Uri", &s) || str2(g, "Identifier", &s))
            pub = rp_str_has_suffix(s, "/AllUsers") || rp_str_has_suffix(s, "/AuthenticatedUsers");
        if (!pub) continue;
        bool full = rp_str_eq_nocase(perm, RP_STR_LIT("FullControl"));
        if (full || rp_str_eq_nocase(perm, RP_STR_LIT("Read"))) *read = true;
        if (full || rp_str_eq_nocase(perm, RP_STR_LIT("Write"))) *write = true;
    }
}

/* A boolean member that is true. */
static bool flag(struct rp_json_val obj, const char *k)
{
    struct rp_json_val v;
    bool b = false;
    return get2(obj, k, &v) && rp_json_get_bool(v, &b) == RP_OK && b;
}

static rp_err s3_bucket_details(struct rp_json_writer *w, const struct rp_det_folded *ff,
                                const struct rp_det_gd_facts *g, const char *partition)
{
    const struct rp_det_finding *f = &ff->f;
    const char *name = set(f->bucket) ? f->bucket : f->resource_id;
    struct doc d;
    if (doc_parse(&d, g, g->bucket_json) != RP_OK) return RP_ENOMEM;
    struct rp_json_val item = d.root, c = d.root, supp = {0}, v, tags = {0};
    bool has = d.ok && rp_json_type(item) == RP_JSON_OBJECT;
    if (has && rp_json_obj_get(item, "configuration", &v) == RP_OK) {
        c = v;
        (void)get2(item, "SupplementaryConfiguration", &supp);
        (void)get2(item, "Tags", &tags);
    }
    key(w, "S3BucketDetails");
    rp_json_write_arr_begin(w);
    rp_json_write_obj_begin(w);
    char arn[512];
    snprintf(arn, sizeof arn, "arn:%s:s3:::%s", partition, name);
    rp_json_write_kv_cstr(w, "Arn", arn);
    bool bpa = false, bpa_acls = false, bpa_policy = false, bpa_ignore = false,
         bpa_restrict = false;
    struct rp_str acl_text = {0};
    if (has) {
        copy_time(w, "CreatedAt", c, "CreationDate");
        struct rp_str alg;
        struct rp_json_val rules, r0;
        if (path2(supp, "ServerSideEncryptionConfiguration.Rules", &rules) &&
            rp_json_arr_at(rules, 0, &r0) == RP_OK &&
            path_str2(r0, "ApplyServerSideEncryptionByDefault.SseAlgorithm", &alg)) {
            key(w, "DefaultServerSideEncryption");
            rp_json_write_obj_begin(w);
            kv_s(w, "EncryptionType", alg);
            copy_str(w, "KmsMasterKeyArn", r0, "ApplyServerSideEncryptionByDefault.KmsMasterKeyID");
            rp_json_write_obj_end(w);
        }
    }
    rp_json_write_kv_cstr(w, "Name", name);
    if (has && path2(c, "Owner.Id", &v)) {
        key(w, "Owner");
        rp_json_write_obj_begin(w);
        copy_str(w, "Id", c, "Owner.Id");
        rp_json_write_obj_end(w);
    }
    write_tags(w, tags);
    rp_json_write_kv_cstr(w, "Type", "Destination");
    if (has && path2(supp, "PublicAccessBlockConfiguration", &v)) {
        bpa = true;
        bpa_acls = flag(v, "BlockPublicAcls");
        bpa_policy = flag(v, "BlockPublicPolicy");
        bpa_ignore = flag(v, "IgnorePublicAcls");
        bpa_restrict = flag(v, "RestrictPublicBuckets");
    }
    if (has) (void)str2(supp, "AccessControlList", &acl_text);
    bool acl_read = false, acl_write = false, has_acl = false;
    if (acl_text.len) {
        /* the ACL is JSON in a string: parse it with a parser of its own, d's values stay */
        struct rp_json_parser *p = rp_json_parser_new();
        struct rp_json_val acl;
        if (!p) {
            doc_release(&d);
            return RP_ENOMEM;
        }
        if (rp_json_parse(p, acl_text.p, acl_text.len, &acl, NULL) == RP_OK) {
            has_acl = true;
            acl_public(acl, &acl_read, &acl_write);
        }
        rp_json_parser_free(p);
    }
    if (bpa || has_acl) {
        key(w, "PublicAccess");
        rp_json_write_obj_begin(w);
        key(w, "PermissionConfiguration");
        rp_json_write_obj_begin(w);
        key(w, "BucketLevelPermissions");
        rp_json_write_obj_begin(w);
        if (has_acl) {
            key(w, "AccessControlList");
            rp_json_write_obj_begin(w);
            rp_json_write_kv_bool(w, "AllowsPublicReadAccess", acl_read);
            rp_json_write_kv_bool(w, "AllowsPublicWriteAccess", acl_write);
            rp_json_write_obj_end(w);
        }
        if (bpa) {
            key(w, "BlockPublicAccess");
            rp_json_write_obj_begin(w);
            rp_json_write_kv_bool(w, "BlockPublicAcls", bpa_acls);
            rp_json_write_kv_bool(w, "BlockPublicPolicy", bpa_policy);
            rp_json_write_kv_bool(w, "IgnorePublicAcls", bpa_ignore);
            rp_json_write_kv_bool(w, "RestrictPublicBuckets", bpa_restrict);
            rp_json_write_obj_end(w);
        }
        rp_json_write_obj_end(w);
        rp_json_write_obj_end(w);
        rp_json_write_obj_end(w);
    }
    rp_json_write_obj_end(w);
    rp_json_write_arr_end(w);
    doc_release(&d);
    return RP_OK;
}

static rp_err eks_details(struct rp_json_writer *w, const struct rp_det_folded *ff,
                          const struct rp_det_gd_facts *g, const char *partition)
{
    const struct rp_det_finding *f = &ff->f;
    const char *name = set(f->cluster) ? f->cluster : f->resource_id;
    struct doc d;
    if (doc_parse(&d, g, g->cluster_json) != RP_OK) return RP_ENOMEM;
    struct rp_json_val c = d.root, v;
    bool has = d.ok && rp_json_type(c) == RP_JSON_OBJECT;
    if (has && rp_json_obj_get(c, "configuration", &v) == RP_OK) c = v;
    struct rp_str s;
    key(w, "EksClusterDetails");
    rp_json_write_obj_begin(w);
    if (has && str2(c, "Arn", &s)) {
        kv_s(w, "Arn", s);
    } else {
        char arn[512];
        snprintf(arn, sizeof arn, "arn:%s:eks:%s:%s:cluster/%s", partition, ff->f.region,
                 ff->f.account, name);
        rp_json_write_kv_cstr(w, "Arn", arn);
    }
    if (has) copy_time(w, "CreatedAt", c, "CreatedAt");
    rp_json_write_kv_cstr(w, "Name", name);
    if (has && (str2(c, "ClusterStatus", &s) || str2(c, "Status", &s))) kv_s(w, "Status", s);
    if (has && get2(c, "Tags", &v)) write_tags(w, v);
    if (has) copy_str(w, "VpcId", c, "ResourcesVpcConfig.VpcId");
    rp_json_write_obj_end(w);
    doc_release(&d);

    bool user = set(f->k8s_user) || set(f->k8s_uid) || set(f->k8s_groups);
    bool wl = set(f->workload_name) || set(f->workload_image);
    if (!user && !wl) return RP_OK;
    key(w, "KubernetesDetails");
    rp_json_write_obj_begin(w);
    if (user) {
        key(w, "KubernetesUserDetails");
        rp_json_write_obj_begin(w);
        if (set(f->k8s_groups)) {
            rp_err e = raw_json(w, "Groups", f->k8s_groups, g, RP_JSON_ARRAY);
            if (e == RP_ENOMEM) return e;
        }
        kv(w, "Uid", f->k8s_uid);
        kv(w, "Username", f->k8s_user);
        rp_json_write_obj_end(w);
    }
    if (wl) {
        key(w, "KubernetesWorkloadDetails");
        rp_json_write_obj_begin(w);
        if (set(f->workload_image)) {
            key(w, "Containers");
            rp_json_write_arr_begin(w);
            rp_json_write_obj_begin(w);
            rp_json_write_kv_cstr(w, "Image", f->workload_image);
            key(w, "SecurityContext");
            rp_json_write_obj_begin(w);
            rp_json_write_kv_bool(w, "Privileged", f->workload_privileged);
            rp_json_write_obj_end(w);
            rp_json_write_obj_end(w);
            rp_json_write_arr_end(w);
        }
        kv(w, "Name", f->workload_name);
        kv(w, "Namespace", f->workload_ns);
        kv(w, "Type", f->workload_type);
        if (set(f->workload_volumes_json)) {
            rp_err e = raw_json(w, "Volumes", f->workload_volumes_json, g, RP_JSON_ARRAY);
            if (e == RP_ENOMEM) return e;
        }
        rp_json_write_obj_end(w);
    }
    rp_json_write_obj_end(w);
    return RP_OK;
}

static const char *const res_names[] = {"AccessKey", "Instance", "S3Bucket", "EKSCluster"};

static rp_err write_resource(struct rp_json_writer *w, const struct rp_det_folded *ff,
                             const struct rp_det_gd_facts *g, const char *partition)
{
    const struct rp_det_finding *f = &ff->f;
    rp_err e = RP_OK;
    key(w, "Resource");
    rp_json_write_obj_begin(w);
    switch (f->res) {
    case RP_DET_RES_ACCESS_KEY:
        access_key_details(w, f, f->resource_id);
        break;
    case RP_DET_RES_INSTANCE:
        e = instance_details(w, ff, g);
        break;
    case RP_DET_RES_S3_BUCKET:
        if (set(f->access_key_id) || set(f->principal_id) || set(f->user_name))
            access_key_details(w, f, NULL);
        e = s3_bucket_details(w, ff, g, partition);
        break;
    case RP_DET_RES_EKS_CLUSTER:
        e = eks_details(w, ff, g, partition);
        break;
    }
    if ((unsigned)f->res < RP_ARRAY_LEN(res_names))
        rp_json_write_kv_cstr(w, "ResourceType", res_names[f->res]);
    rp_json_write_obj_end(w);
    return e;
}

/* ---- Service ------------------------------------------------------------------------------- */

static const char *const action_types[] = {"AWS_API_CALL", "NETWORK_CONNECTION", "DNS_REQUEST",
                                           "PORT_PROBE", "KUBERNETES_API_CALL"};

static rp_err write_action(struct rp_json_writer *w, const struct rp_det_finding *f,
                           const struct rp_det_gd_facts *g)
{
    if ((unsigned)f->action >= RP_ARRAY_LEN(action_types)) return RP_OK;
    key(w, "Action");
    rp_json_write_obj_begin(w);
    rp_json_write_kv_cstr(w, "ActionType", action_types[f->action]);
    switch (f->action) {
    case RP_DET_ACT_AWS_API_CALL: {
        const char *caller = f->caller_type;
        if (!set(caller))
            caller = set(f->remote_ip)        ? "Remote IP"
                     : set(f->remote_account) ? "Remote account"
                     : set(f->domain)         ? "Domain"
                                              : NULL;
        key(w, "AwsApiCallAction");
        rp_json_write_obj_begin(w);
        kv(w, "Api", f->api);
        kv(w, "CallerType", caller);
        if (set(f->domain)) {
            key(w, "DomainDetails");
            rp_json_write_obj_begin(w);
            rp_json_write_kv_cstr(w, "Domain", f->domain);
            rp_json_write_obj_end(w);
        }
        kv(w, "ErrorCode", f->error_code);
        if (set(f->remote_account)) {
            key(w, "RemoteAccountDetails");
            rp_json_write_obj_begin(w);
            rp_json_write_kv_cstr(w, "AccountId", f->remote_account);
            rp_json_write_obj_end(w);
        }
        remote_ip(w, f->remote_ip, g);
        kv(w, "ServiceName", f->service_name);
        kv(w, "UserAgent", f->user_agent);
        rp_json_write_obj_end(w);
        break;
    }
    case RP_DET_ACT_NETWORK_CONNECTION:
        key(w, "NetworkConnectionAction");
        rp_json_write_obj_begin(w);
        rp_json_write_kv_bool(w, "Blocked", f->blocked);
        rp_json_write_kv_cstr(w, "ConnectionDirection",
                              set(f->direction) ? f->direction : "UNKNOWN");
        local_ip(w, "LocalIpDetails", f->local_ip);
        port_details(w, "LocalPortDetails", f->local_port);
        kv(w, "Protocol", f->protocol);
        remote_ip(w, f->remote_ip, g);
        port_details(w, "RemotePortDetails", f->remote_port);
        rp_json_write_obj_end(w);
        break;
    case RP_DET_ACT_DNS_REQUEST:
        key(w, "DnsRequestAction");
        rp_json_write_obj_begin(w);
        rp_json_write_kv_bool(w, "Blocked", f->blocked);
        kv(w, "Domain", f->domain);
        kv(w, "Protocol", f->protocol);
        rp_json_write_obj_end(w);
        break;
    case RP_DET_ACT_PORT_PROBE: {
        key(w, "PortProbeAction");
        rp_json_write_obj_begin(w);
        rp_json_write_kv_bool(w, "Blocked", f->blocked);
        key(w, "PortProbeDetails");
        rp_json_write_arr_begin(w);
        size_t n = f->nprobes < RP_DET_MAX_PROBES ? f->nprobes : RP_DET_MAX_PROBES;
        for (size_t i = 0; i < n; i++) {
            rp_json_write_obj_begin(w);
            local_ip(w, "LocalIpDetails", f->local_ip);
            port_details(w, "LocalPortDetails", f->probes[i].local_port);
            remote_ip(w, f->probes[i].remote_ip, g);
            rp_json_write_obj_end(w);
        }
        if (n == 0 && (f->local_port >= 0 || set(f->remote_ip))) {
            rp_json_write_obj_begin(w);
            local_ip(w, "LocalIpDetails", f->local_ip);
            port_details(w, "LocalPortDetails", f->local_port);
            remote_ip(w, f->remote_ip, g);
            rp_json_write_obj_end(w);
        }
        rp_json_write_arr_end(w);
        rp_json_write_obj_end(w);
        break;
    }
    case RP_DET_ACT_KUBERNETES_API_CALL: {
        key(w, "KubernetesApiCallAction");
        rp_json_write_obj_begin(w);
        remote_ip(w, f->remote_ip, g);
        kv(w, "RequestUri", f->request_uri);
        rp_err e = set(f->source_ips_json)
                       ? raw_json(w, "SourceIps", f->source_ips_json, g, RP_JSON_ARRAY)
                       : RP_EPARSE;
        if (e == RP_ENOMEM) return e;
        if (e != RP_OK && set(f->remote_ip)) {
            key(w, "SourceIps");
            rp_json_write_arr_begin(w);
            rp_json_write_cstr(w, f->remote_ip);
            rp_json_write_arr_end(w);
        }
        if (f->status_code > 0) rp_json_write_kv_int(w, "StatusCode", f->status_code);
        kv(w, "UserAgent", f->user_agent);
        kv(w, "Verb", f->verb);
        rp_json_write_obj_end(w);
        break;
    }
    }
    rp_json_write_obj_end(w);
    return RP_OK;
}

/* AdditionalInfo.Value: the detector's JSON object (or text) with threatListName added when a
 * list matched and the detector did not say it. */
static rp_err additional_value(struct rp_buf *out, const struct rp_det_finding *f,
                               const struct rp_det_gd_facts *g)
{
    struct rp_json_writer w;
    rp_json_writer_init(&w, out);
    struct doc d;
    if (doc_parse(&d, g, f->additional_json) != RP_OK) return RP_ENOMEM;
    if (set(f->additional_json) && (!d.ok || rp_json_type(d.root) != RP_JSON_OBJECT)) {
        /* not an object: the text as the detector gave it */
        doc_release(&d);
        return rp_buf_append_str(out, f->additional_json);
    }
    rp_json_write_obj_begin(&w);
    bool has_list = false;
    if (d.ok) {
        struct rp_json_iter it;
        struct rp_json_val v;
        struct rp_str k;
        if (rp_json_obj_iter(d.root, &it) == RP_OK)
            while (rp_json_obj_next(&it, &k, &v)) {
                if (rp_str_eq_cstr(k, "threatListName")) has_list = true;
                rp_json_write_key(&w, k.p, k.len);
                rp_json_write_val(&w, v);
            }
    }
    if (!has_list && set(f->threat_list))
        rp_json_write_kv_cstr(&w, "threatListName", f->threat_list);
    rp_json_write_obj_end(&w);
    doc_release(&d);
    return rp_json_writer_finish(&w);
}

static rp_err write_service(struct rp_json_writer *w, const struct rp_det_folded *ff,
                            const struct rp_det_gd_facts *g)
{
    const struct rp_det_finding *f = &ff->f;
    key(w, "Service");
    rp_json_write_obj_begin(w);
    rp_err e = write_action(w, f, g);
    if (e != RP_OK) return e;

    struct rp_buf val;
    rp_buf_init(&val, 1u << 20);
    e = additional_value(&val, f, g);
    if (e != RP_OK) {
        rp_buf_release(&val);
        return e;
    }
    key(w, "AdditionalInfo");
    rp_json_write_obj_begin(w);
    rp_json_write_kv_str(w, "Value", val.data ? val.data : "", val.len);
    rp_json_write_kv_cstr(w, "Type", "default");
    rp_json_write_obj_end(w);
    rp_buf_release(&val);

    rp_json_write_kv_bool(w, "Archived", g->archived);
    rp_json_write_kv_uint(w, "Count", f->count ? f->count : 1);
    rp_json_write_kv_cstr(w, "DetectorId", g->detector_id);
    int64_t last = f->last_ms ? f->last_ms : f->first_ms;
    kv_time(w, "EventFirstSeen", f->first_ms);
    kv_time(w, "EventLastSeen", last);
    if (set(f->threat_list)) {
        key(w, "Evidence");
        rp_json_write_obj_begin(w);
        key(w, "ThreatIntelligenceDetails");
        rp_json_write_arr_begin(w);
        rp_json_write_obj_begin(w);
        rp_json_write_kv_cstr(w, "ThreatListName", f->threat_list);
        key(w, "ThreatNames");
        rp_json_write_arr_begin(w);
        if (set(f->threat_name)) rp_json_write_cstr(w, f->threat_name);
        rp_json_write_arr_end(w);
        rp_json_write_obj_end(w);
        rp_json_write_arr_end(w);
        rp_json_write_obj_end(w);
    }
    rp_json_write_kv_cstr(w, "FeatureName", rp_det_gd_feature_name(ff->source, f->type));
    rp_json_write_kv_cstr(w, "ResourceRole", set(f->resource_role) ? f->resource_role : "TARGET");
    rp_json_write_kv_cstr(w, "ServiceName", "guardduty");
    /* last: anomaly profiles can be large, and the hub keeps the first 50 scalars of Service */
    if (set(f->anomaly_json)) {
        struct doc d;
        if (doc_parse(&d, g, f->anomaly_json) != RP_OK) return RP_ENOMEM;
        if (d.ok && rp_json_type(d.root) == RP_JSON_OBJECT) {
            key(w, "Detection");
            rp_json_write_obj_begin(w);
            key(w, "Anomaly");
            rp_json_write_val(w, d.root);
            rp_json_write_obj_end(w);
        }
        doc_release(&d);
    }
    rp_json_write_obj_end(w);
    return RP_OK;
}

/* ---- the finding --------------------------------------------------------------------------- */

/* tmpl with every "%s" replaced by id, into out (cut at its max). */
static void subst(struct rp_buf *out, const char *tmpl, const char *id)
{
    rp_buf_reset(out);
    size_t idlen = strlen(id);
    for (const char *p = tmpl; *p;) {
        const char *q = strstr(p, "%s");
        size_t n = q ? (size_t)(q - p) : strlen(p);
        if (rp_buf_append(out, p, n) != RP_OK) return;
        if (!q) return;
        if (rp_buf_append(out, id, idlen) != RP_OK) return;
        p = q + 2;
    }
}

rp_err rp_det_gd_write(struct rp_json_writer *w, const struct rp_det_folded *ff,
                       const struct rp_det_gd_facts *g, struct rp_errbuf *eb)
{
    const struct rp_det_finding *f = &ff->f;
    if (!set(f->type)) return rp_fail(eb, RP_EINVAL, "guardduty json: finding has no type");
    if (!set(f->account) || !set(f->region) || !set(f->resource_id))
        return rp_fail(eb, RP_EINVAL,
                       "guardduty json: finding '%s' lacks its account, region or resource id",
                       f->type);
    if (!g || !set(g->detector_id)) return rp_fail(eb, RP_EINVAL, "guardduty json: no detector id");
    const char *partition = set(g->partition) ? g->partition : "aws";
    const char *slash = strrchr(ff->id, '/');
    const char *fid = slash ? slash + 1 : ff->id;
    if (!*fid) return rp_fail(eb, RP_EINVAL, "guardduty json: finding '%s' has no id", f->type);

    int64_t created = g->created_ms ? g->created_ms : g->now_ms;
    int64_t updated = g->updated_ms ? g->updated_ms : g->now_ms;
    double sev = f->severity > 0 ? f->severity : ff->type ? ff->type->severity : 0;
    const char *title = ff->type && set(ff->type->title) ? ff->type->title : f->type;
    const char *desc = set(f->description)                      ? f->description
                       : ff->type && set(ff->type->description) ? ff->type->description
                                                                : title;
    struct rp_buf text;
    rp_buf_init(&text, MAX_TEXT);
    char arn[768];
    snprintf(arn, sizeof arn, "arn:%s:guardduty:%s:%s:detector/%s/finding/%s", partition, f->region,
             f->account, g->detector_id, fid);

    rp_json_write_obj_begin(w);
    rp_json_write_kv_cstr(w, "AccountId", f->account);
    rp_json_write_kv_cstr(w, "Arn", arn);
    kv_time(w, "CreatedAt", created);
    subst(&text, desc, f->resource_id);
    rp_json_write_kv_str(w, "Description", text.data ? text.data : "", text.len);
    rp_json_write_kv_cstr(w, "Id", fid);
    rp_json_write_kv_cstr(w, "Partition", partition);
    rp_json_write_kv_cstr(w, "Region", f->region);
    rp_err e = write_resource(w, ff, g, partition);
    if (e == RP_OK) {
        rp_json_write_kv_cstr(w, "SchemaVersion", SCHEMA_VERSION);
        e = write_service(w, ff, g);
    }
    if (e != RP_OK) {
        rp_buf_release(&text);
        return rp_fail(eb, e, "guardduty json: %s", rp_strerror(e));
    }
    /* GuardDuty's severities carry one decimal (5.0, 8.0, 2.5) */
    rp_json_write_kv_double(w, "Severity", round(sev * 10.0) / 10.0);
    subst(&text, title, f->resource_id);
    rp_json_write_kv_str(w, "Title", text.data ? text.data : "", text.len);
    rp_json_write_kv_cstr(w, "Type", f->type);
    kv_time(w, "UpdatedAt", updated);
    rp_json_write_obj_end(w);
    rp_buf_release(&text);
    return RP_OK;
}
