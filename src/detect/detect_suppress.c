/* SPDX-License-Identifier: Apache-2.0 */
/* Suppression rules (detect_suppress.h): GuardDuty filters with the action ARCHIVE. This file
 * holds the attribute table (GuardDuty's filter attribute names and where each one is in a
 * finding's GuardDuty JSON), the compiler of FindingCriteria, the matcher a detection run
 * calls for every finding it writes, the command line's short form ("severity>=7"), and the
 * rules' table in the store (migration 0015_detect_suppress.sql).
 *
 * Matching walks the finding's JSON along the attribute's path; an array met on the way is
 * entered element by element, so "resource.instanceDetails.tags.key" sees every tag key of
 * the finding. The values found are the attribute's values for that finding. */
#define RP_LOG_MODULE "detect"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rp_arena.h"
#include "core/rp_base.h"
#include "core/rp_ip.h"
#include "core/rp_json.h"
#include "core/rp_str.h"
#include "core/rp_time.h"
#include "detect/detect_suppress.h"
#include "store/store.h"
#include "core/rp_banned.h"

/* ---- attributes ------------------------------------------------------------------------ */

enum kind {
    K_STR,  /* compared as text */
    K_NUM,  /* a number (ports, ASNs written as text by GuardDuty) */
    K_SEV,  /* Severity: Eq "N" is the bucket N..N.9 */
    K_TIME, /* ISO time in the finding, epoch ms in the criteria */
    K_BOOL, /* "true" / "false" */
    K_IP,   /* an address; Eq/Neq also take a CIDR */
    K_TLN,  /* threat list name: AdditionalInfo.Value's threatListName or Evidence */
};

/* GuardDuty's filter attribute names (the FindingCriteria keys its console and API take) and
 * the member of the finding JSON (detect_gd.h) each one reads; arrays on the path are
 * entered. */
static const struct attr {
    const char *name;
    const char *path;
    enum kind kind;
} attrs[] = {
    {"accountId", "AccountId", K_STR},
    {"id", "Id", K_STR},
    {"region", "Region", K_STR},
    {"severity", "Severity", K_SEV},
    {"type", "Type", K_STR},
    {"updatedAt", "UpdatedAt", K_TIME},
    {"resource.resourceType", "Resource.ResourceType", K_STR},
    {"resource.accessKeyDetails.accessKeyId", "Resource.AccessKeyDetails.AccessKeyId", K_STR},
    {"resource.accessKeyDetails.principalId", "Resource.AccessKeyDetails.PrincipalId", K_STR},
    {"resource.accessKeyDetails.userName", "Resource.AccessKeyDetails.UserName", K_STR},
    {"resource.accessKeyDetails.userType", "Resource.AccessKeyDetails.UserType", K_STR},
    {"resource.instanceDetails.iamInstanceProfile.id",
     "Resource.InstanceDetails.IamInstanceProfile.Id", K_STR},
    {"resource.instanceDetails.imageId", "Resource.InstanceDetails.ImageId", K_STR},
    {"resource.instanceDetails.instanceId", "Resource.InstanceDetails.InstanceId", K_STR},
    {"resource.instanceDetails.networkInterfaces.ipv6Addresses",
     "Resource.InstanceDetails.NetworkInterfaces.Ipv6Addresses", K_IP},
    {"resource.instanceDetails.networkInterfaces.privateIpAddresses.privateIpAddress",
     "Resource.InstanceDetails.NetworkInterfaces.PrivateIpAddresses.PrivateIpAddress", K_IP},
    {"resource.instanceDetails.networkInterfaces.privateIpv4Address",
     "Resource.InstanceDetails.NetworkInterfaces.PrivateIpAddress", K_IP},
    {"resource.instanceDetails.networkInterfaces.publicDnsName",
     "Resource.InstanceDetails.NetworkInterfaces.PublicDnsName", K_STR},
    {"resource.instanceDetails.networkInterfaces.publicIp",
     "Resource.InstanceDetails.NetworkInterfaces.PublicIp", K_IP},
    {"resource.instanceDetails.networkInterfaces.securityGroups.groupId",
     "Resource.InstanceDetails.NetworkInterfaces.SecurityGroups.GroupId", K_STR},
    {"resource.instanceDetails.networkInterfaces.securityGroups.groupName",
     "Resource.InstanceDetails.NetworkInterfaces.SecurityGroups.GroupName", K_STR},
    {"resource.instanceDetails.networkInterfaces.subnetId",
     "Resource.InstanceDetails.NetworkInterfaces.SubnetId", K_STR},
    {"resource.instanceDetails.networkInterfaces.vpcId",
     "Resource.InstanceDetails.NetworkInterfaces.VpcId", K_STR},
    {"resource.instanceDetails.tags.key", "Resource.InstanceDetails.Tags.Key", K_STR},
    {"resource.instanceDetails.tags.value", "Resource.InstanceDetails.Tags.Value", K_STR},
    {"resource.s3BucketDetails.name", "Resource.S3BucketDetails.Name", K_STR},
    {"resource.s3BucketDetails.tags.key", "Resource.S3BucketDetails.Tags.Key", K_STR},
    {"resource.s3BucketDetails.tags.value", "Resource.S3BucketDetails.Tags.Value", K_STR},
    {"resource.s3BucketDetails.type", "Resource.S3BucketDetails.Type", K_STR},
    {"resource.s3BucketDetails.defaultServerSideEncryption.encryptionType",
     "Resource.S3BucketDetails.DefaultServerSideEncryption.EncryptionType", K_STR},
    {"resource.eksClusterDetails.name", "Resource.EksClusterDetails.Name", K_STR},
    {"resource.kubernetesDetails.kubernetesUserDetails.username",
     "Resource.KubernetesDetails.KubernetesUserDetails.Username", K_STR},
    {"resource.kubernetesDetails.kubernetesWorkloadDetails.name",
     "Resource.KubernetesDetails.KubernetesWorkloadDetails.Name", K_STR},
    {"resource.kubernetesDetails.kubernetesWorkloadDetails.namespace",
     "Resource.KubernetesDetails.KubernetesWorkloadDetails.Namespace", K_STR},
    {"resource.kubernetesDetails.kubernetesWorkloadDetails.type",
     "Resource.KubernetesDetails.KubernetesWorkloadDetails.Type", K_STR},
    {"resource.kubernetesDetails.kubernetesWorkloadDetails.containers.image",
     "Resource.KubernetesDetails.KubernetesWorkloadDetails.Containers.Image", K_STR},
    {"service.action.actionType", "Service.Action.ActionType", K_STR},
    {"service.action.awsApiCallAction.api", "Service.Action.AwsApiCallAction.Api", K_STR},
    {"service.action.awsApiCallAction.callerType", "Service.Action.AwsApiCallAction.CallerType",
     K_STR},
    {"service.action.awsApiCallAction.errorCode", "Service.Action.AwsApiCallAction.ErrorCode",
     K_STR},
    {"service.action.awsApiCallAction.serviceName", "Service.Action.AwsApiCallAction.ServiceName",
     K_STR},
    {"service.action.awsApiCallAction.userAgent", "Service.Action.AwsApiCallAction.UserAgent",
     K_STR},
    {"service.action.awsApiCallAction.domainDetails.domain",
     "Service.Action.AwsApiCallAction.DomainDetails.Domain", K_STR},
    {"service.action.awsApiCallAction.remoteAccountDetails.accountId",
     "Service.Action.AwsApiCallAction.RemoteAccountDetails.AccountId", K_STR},
    {"service.action.awsApiCallAction.remoteIpDetails.city.cityName",
     "Service.Action.AwsApiCallAction.RemoteIpDetails.City.CityName", K_STR},
    {"service.action.awsApiCallAction.remoteIpDetails.country.countryName",
     "Service.Action.AwsApiCallAction.RemoteIpDetails.Country.CountryName", K_STR},
    {"service.action.awsApiCallAction.remoteIpDetails.ipAddressV4",
     "Service.Action.AwsApiCallAction.RemoteIpDetails.IpAddressV4", K_IP},
    {"service.action.awsApiCallAction.remoteIpDetails.ipAddressV6",
     "Service.Action.AwsApiCallAction.RemoteIpDetails.IpAddressV6", K_IP},
    {"service.action.awsApiCallAction.remoteIpDetails.organization.asn",
     "Service.Action.AwsApiCallAction.RemoteIpDetails.Organization.Asn", K_NUM},
    {"service.action.awsApiCallAction.remoteIpDetails.organization.asnOrg",
     "Service.Action.AwsApiCallAction.RemoteIpDetails.Organization.AsnOrg", K_STR},
    {"service.action.dnsRequestAction.domain", "Service.Action.DnsRequestAction.Domain", K_STR},
    {"service.action.kubernetesApiCallAction.remoteIpDetails.ipAddressV4",
     "Service.Action.KubernetesApiCallAction.RemoteIpDetails.IpAddressV4", K_IP},
    {"service.action.kubernetesApiCallAction.requestUri",
     "Service.Action.KubernetesApiCallAction.RequestUri", K_STR},
    {"service.action.kubernetesApiCallAction.verb", "Service.Action.KubernetesApiCallAction.Verb",
     K_STR},
    {"service.action.networkConnectionAction.blocked",
     "Service.Action.NetworkConnectionAction.Blocked", K_BOOL},
    {"service.action.networkConnectionAction.connectionDirection",
     "Service.Action.NetworkConnectionAction.ConnectionDirection", K_STR},
    {"service.action.networkConnectionAction.localIpDetails.ipAddressV4",
     "Service.Action.NetworkConnectionAction.LocalIpDetails.IpAddressV4", K_IP},
    {"service.action.networkConnectionAction.localPortDetails.port",
     "Service.Action.NetworkConnectionAction.LocalPortDetails.Port", K_NUM},
    {"service.action.networkConnectionAction.protocol",
     "Service.Action.NetworkConnectionAction.Protocol", K_STR},
    {"service.action.networkConnectionAction.remoteIpDetails.city.cityName",
     "Service.Action.NetworkConnectionAction.RemoteIpDetails.City.CityName", K_STR},
    {"service.action.networkConnectionAction.remoteIpDetails.country.countryName",
     "Service.Action.NetworkConnectionAction.RemoteIpDetails.Country.CountryName", K_STR},
    {"service.action.networkConnectionAction.remoteIpDetails.ipAddressV4",
     "Service.Action.NetworkConnectionAction.RemoteIpDetails.IpAddressV4", K_IP},
    {"service.action.networkConnectionAction.remoteIpDetails.ipAddressV6",
     "Service.Action.NetworkConnectionAction.RemoteIpDetails.IpAddressV6", K_IP},
    {"service.action.networkConnectionAction.remoteIpDetails.organization.asn",
     "Service.Action.NetworkConnectionAction.RemoteIpDetails.Organization.Asn", K_NUM},
    {"service.action.networkConnectionAction.remoteIpDetails.organization.asnOrg",
     "Service.Action.NetworkConnectionAction.RemoteIpDetails.Organization.AsnOrg", K_STR},
    {"service.action.networkConnectionAction.remotePortDetails.port",
     "Service.Action.NetworkConnectionAction.RemotePortDetails.Port", K_NUM},
    {"service.action.portProbeAction.portProbeDetails.localIpDetails.ipAddressV4",
     "Service.Action.PortProbeAction.PortProbeDetails.LocalIpDetails.IpAddressV4", K_IP},
    {"service.action.portProbeAction.portProbeDetails.localPortDetails.port",
     "Service.Action.PortProbeAction.PortProbeDetails.LocalPortDetails.Port", K_NUM},
    {"service.action.portProbeAction.portProbeDetails.remoteIpDetails.city.cityName",
     "Service.Action.PortProbeAction.PortProbeDetails.RemoteIpDetails.City.CityName", K_STR},
    {"service.action.portProbeAction.portProbeDetails.remoteIpDetails.country.countryName",
     "Service.Action.PortProbeAction.PortProbeDetails.RemoteIpDetails.Country.CountryName", K_STR},
    {"service.action.portProbeAction.portProbeDetails.remoteIpDetails.ipAddressV4",
     "Service.Action.PortProbeAction.PortProbeDetails.RemoteIpDetails.IpAddressV4", K_IP},
    {"service.action.portProbeAction.portProbeDetails.remoteIpDetails.organization.asn",
     "Service.Action.PortProbeAction.PortProbeDetails.RemoteIpDetails.Organization.Asn", K_NUM},
    {"service.action.portProbeAction.portProbeDetails.remoteIpDetails.organization.asnOrg",
     "Service.Action.PortProbeAction.PortProbeDetails.RemoteIpDetails.Organization.AsnOrg", K_STR},
    {"service.additionalInfo.threatListName", "", K_TLN},
    {"service.archived", "Service.Archived", K_BOOL},
    {"service.featureName", "Service.FeatureName", K_STR},
    {"service.resourceRole", "Service.ResourceRole", K_STR},
};

#define NATTRS RP_ARRAY_LEN(attrs)

const char *rp_det_suppress_attr_at(size_t i)
{
    return i < NATTRS ? attrs[i].name : NULL;
}

/* ---- compiled criteria --------------------------------------------------------------------- */

enum op { OP_EQ, OP_NEQ, OP_GT, OP_GTE, OP_LT, OP_LTE };

/* Condition names, GuardDuty's short ones and their long equivalents. */
static const struct {
    const char *name;
    enum op op;
} op_names[] = {
    {"Eq", OP_EQ},          {"Neq", OP_NEQ},
    {"Gt", OP_GT},          {"Gte", OP_GTE},
    {"Lt", OP_LT},          {"Lte", OP_LTE},
    {"Equals", OP_EQ},      {"NotEquals", OP_NEQ},
    {"GreaterThan", OP_GT}, {"GreaterThanOrEqual", OP_GTE},
    {"LessThan", OP_LT},    {"LessThanOrEqual", OP_LTE},
};

struct value {
    struct rp_str s; /* as given (copied into the set's arena) */
    double d;        /* K_NUM, K_SEV, K_TIME: the number */
    bool isnum;
    bool iscidr; /* K_IP: s is a CIDR */
    bool bucket; /* K_SEV: s is all digits, GuardDuty's bucket N..N.9 */
    struct rp_cidr cidr;
};

struct cond {
    unsigned attr;
    enum op op;
    struct value *vals; /* OP_EQ / OP_NEQ */
    size_t nvals;
    double num; /* comparisons */
};

struct rule {
    const char *name;
    struct cond *conds;
    size_t nconds;
};

struct rp_det_suppress {
    struct rp_arena arena; /* names, conditions, values */
    struct rule *rules;    /* malloc'd */
    size_t n, cap;
    struct rp_json_parser *p;  /* the finding */
    struct rp_json_parser *p2; /* AdditionalInfo.Value's JSON text */
};

static int attr_find(struct rp_str name)
{
    for (size_t i = 0; i < NATTRS; i++)
        if (rp_str_eq_cstr(name, attrs[i].name)) return (int)i;
    return -1;
}

/* A hint for a mistyped attribute: a known name equal but for case, or one ending in the same
 * last segment. */
static const char *attr_hint(struct rp_str name)
{
    for (size_t i = 0; i < NATTRS; i++)
        if (rp_str_eq_nocase(name, rp_str_from(attrs[i].name))) return attrs[i].name;
    const char *dot = NULL;
    for (size_t i = 0; i < name.len; i++)
        if (name.p[i] == '.') dot = name.p + i;
    struct rp_str last =
        dot ? (struct rp_str){dot + 1, (size_t)(name.p + name.len - dot - 1)} : name;
    if (!last.len) return NULL;
    for (size_t i = 0; i < NATTRS; i++) {
        const char *d = strrchr(attrs[i].name, '.');
        if (rp_str_eq_nocase(last, rp_str_from(d ? d + 1 : attrs[i].name))) return attrs[i].name;
    }
    return NULL;
}

static rp_err unknown_attr(struct rp_errbuf *eb, struct rp_str name)
{
    const char *hint = attr_hint(name);
    if (hint)
        return rp_fail(eb, RP_EINVAL, "suppress: unknown attribute '%.*s' (did you mean '%s'?)",
                       (int)name.len, name.p, hint);
    return rp_fail(eb, RP_EINVAL,
                   "suppress: unknown attribute '%.*s' (docs/detect-suppress.md lists them)",
                   (int)name.len, name.p);
}

static bool numeric_kind(enum kind k)
{
    return k == K_NUM || k == K_SEV || k == K_TIME;
}

/* A number from text: decimal (integer or not); for K_TIME also an ISO time. */
static bool text_num(struct rp_str s, enum kind k, double *out)
{
    char buf[64];
    if (!s.len || s.len >= sizeof buf) return false;
    memcpy(buf, s.p, s.len);
    buf[s.len] = '\0';
    char *end = NULL;
    double d = strtod(buf, &end);
    if (end && *end == '\0' && end != buf && isfinite(d)) {
        *out = d;
        return true;
    }
    int64_t ms = 0;
    if (k == K_TIME && rp_time_parse_iso(s, &ms, NULL) == RP_OK) {
        *out = (double)ms;
        return true;
    }
    return false;
}

/* One Eq/Neq value of attribute a. */
static rp_err value_make(struct rp_det_suppress *s, const struct attr *a, struct rp_json_val v,
                         struct value *out, struct rp_errbuf *eb)
{
    char tmp[64];
    struct rp_str text = {0};
    memset(out, 0, sizeof *out);
    switch (rp_json_type(v)) {
    case RP_JSON_STRING:
        if (rp_json_get_str(v, &text) != RP_OK) text = (struct rp_str){"", 0};
        break;
    case RP_JSON_INT:
    case RP_JSON_UINT:
    case RP_JSON_DOUBLE: {
        double d = 0;
        if (rp_json_get_double(v, &d) != RP_OK) d = 0;
        int n = snprintf(tmp, sizeof tmp, "%.17g", d);
        text = (struct rp_str){tmp, n > 0 ? (size_t)n : 0};
        break;
    }
    case RP_JSON_BOOL: {
        bool b = false;
        if (rp_json_get_bool(v, &b) != RP_OK) b = false;
        text = rp_str_from(b ? "true" : "false");
        break;
    }
    default:
        return rp_fail(eb, RP_EINVAL, "suppress: '%s': values must be strings, not %s", a->name,
                       rp_json_type_name(rp_json_type(v)));
    }
    if (!text.len) return rp_fail(eb, RP_EINVAL, "suppress: '%s': empty value", a->name);
    char *copy = rp_arena_memdup(&s->arena, text.p, text.len);
    if (!copy) return rp_fail(eb, RP_ENOMEM, "suppress: out of memory");
    out->s = (struct rp_str){copy, text.len};
    if (numeric_kind(a->kind)) {
        if (!text_num(out->s, a->kind, &out->d))
            return rp_fail(eb, RP_EINVAL, "suppress: '%s': '%s' is not a %s", a->name, copy,
                           a->kind == K_TIME ? "time" : "number");
        out->isnum = true;
        out->bucket = a->kind == K_SEV && strspn(copy, "0123456789") == text.len;
    } else if (a->kind == K_BOOL) {
        if (strcmp(copy, "true") != 0 && strcmp(copy, "false") != 0)
            return rp_fail(eb, RP_EINVAL, "suppress: '%s': '%s' is not true or false", a->name,
                           copy);
    } else if (a->kind == K_IP && memchr(copy, '/', text.len)) {
        if (rp_cidr_parse(out->s, &out->cidr, NULL, NULL) != RP_OK)
            return rp_fail(eb, RP_EINVAL, "suppress: '%s': '%s' is not an address or CIDR", a->name,
                           copy);
        out->iscidr = true;
    }
    return RP_OK;
}

static rp_err cond_make(struct rp_det_suppress *s, unsigned ai, struct rp_str opname,
                        struct rp_json_val v, struct cond *c, struct rp_errbuf *eb)
{
    const struct attr *a = &attrs[ai];
    size_t k = 0;
    while (k < RP_ARRAY_LEN(op_names) && !rp_str_eq_cstr(opname, op_names[k].name)) k++;
    if (k == RP_ARRAY_LEN(op_names))
        return rp_fail(eb, RP_EINVAL,
                       "suppress: '%s': unknown condition '%.*s' (Eq, Neq, Gt, Gte, Lt, Lte, "
                       "Equals, NotEquals, GreaterThan, GreaterThanOrEqual, LessThan, "
                       "LessThanOrEqual)",
                       a->name, (int)opname.len, opname.p);
    memset(c, 0, sizeof *c);
    c->attr = ai;
    c->op = op_names[k].op;
    if (c->op == OP_EQ || c->op == OP_NEQ) {
        struct rp_json_iter it;
        struct rp_json_val el;
        size_t n = rp_json_len(v);
        if (rp_json_type(v) != RP_JSON_ARRAY || n == 0)
            return rp_fail(eb, RP_EINVAL, "suppress: '%s': '%s' takes a non-empty list of values",
                           a->name, op_names[k].name);
        if (n > RP_DET_SUPPRESS_VALUES)
            return rp_fail(eb, RP_EINVAL, "suppress: '%s': more than %d values", a->name,
                           RP_DET_SUPPRESS_VALUES);
        c->vals = rp_arena_zalloc(&s->arena, n * sizeof *c->vals);
        if (!c->vals) return rp_fail(eb, RP_ENOMEM, "suppress: out of memory");
        if (rp_json_arr_iter(v, &it) != RP_OK) return rp_fail(eb, RP_EINTERNAL, "suppress: list");
        while (rp_json_arr_next(&it, &el)) {
            rp_err e = value_make(s, a, el, &c->vals[c->nvals], eb);
            if (e != RP_OK) return e;
            c->nvals++;
        }
        return RP_OK;
    }
    if (!numeric_kind(a->kind))
        return rp_fail(eb, RP_EINVAL, "suppress: '%s': '%s' needs a numeric attribute", a->name,
                       op_names[k].name);
    double d = 0;
    struct rp_str text;
    bool ok = rp_json_get_double(v, &d) == RP_OK && isfinite(d);
    if (!ok && rp_json_get_str(v, &text) == RP_OK) ok = text_num(text, a->kind, &d);
    if (!ok)
        return rp_fail(eb, RP_EINVAL, "suppress: '%s': '%s' takes a number", a->name,
                       op_names[k].name);
    c->num = d;
    return RP_OK;
}

/* Compile the criteria root (FindingCriteria, or a body holding one) into r. */
static rp_err rule_compile(struct rp_det_suppress *s, struct rp_json_val root, struct rule *r,
                           struct rp_errbuf *eb)
{
    struct rp_json_val fc = root, crit, attrv, condv;
    struct rp_json_iter it, it2;
    struct rp_str name, opname;
    if (rp_json_type(root) != RP_JSON_OBJECT)
        return rp_fail(eb, RP_EINVAL, "suppress: criteria must be a JSON object");
    if (rp_json_obj_get(root, "FindingCriteria", &fc) != RP_OK) fc = root;
    if (rp_json_obj_get(fc, "Criterion", &crit) != RP_OK || rp_json_type(crit) != RP_JSON_OBJECT)
        return rp_fail(eb, RP_EINVAL,
                       "suppress: criteria need a 'Criterion' object ({\"Criterion\": "
                       "{\"type\": {\"Eq\": [..]}}})");
    size_t total = 0;
    if (rp_json_obj_iter(crit, &it) != RP_OK) return rp_fail(eb, RP_EINTERNAL, "suppress: iter");
    while (rp_json_obj_next(&it, &name, &attrv)) {
        int ai = attr_find(name);
        if (ai < 0) return unknown_attr(eb, name);
        if (rp_json_type(attrv) != RP_JSON_OBJECT || rp_json_len(attrv) == 0)
            return rp_fail(eb, RP_EINVAL, "suppress: '%.*s' needs at least one condition",
                           (int)name.len, name.p);
        total += rp_json_len(attrv);
    }
    if (total == 0) return rp_fail(eb, RP_EINVAL, "suppress: criteria have no condition");
    r->conds = rp_arena_zalloc(&s->arena, total * sizeof *r->conds);
    if (!r->conds) return rp_fail(eb, RP_ENOMEM, "suppress: out of memory");
    r->nconds = 0;
    if (rp_json_obj_iter(crit, &it) != RP_OK) return rp_fail(eb, RP_EINTERNAL, "suppress: iter");
    while (rp_json_obj_next(&it, &name, &attrv)) {
        unsigned ai = (unsigned)attr_find(name);
        if (rp_json_obj_iter(attrv, &it2) != RP_OK)
            return rp_fail(eb, RP_EINTERNAL, "suppress: iter");
        while (rp_json_obj_next(&it2, &opname, &condv)) {
            rp_err e = cond_make(s, ai, opname, condv, &r->conds[r->nconds], eb);
            if (e != RP_OK) return e;
            r->nconds++;
        }
    }
    return RP_OK;
}

/* ---- sets ------------------------------------------------------------------------------- */

rp_err rp_det_suppress_new(struct rp_det_suppress **out)
{
    *out = NULL;
    struct rp_det_suppress *s = calloc(1, sizeof *s);
    if (!s) return RP_ENOMEM;
    rp_arena_init(&s->arena, 0);
    s->p = rp_json_parser_new();
    s->p2 = rp_json_parser_new();
    if (!s->p || !s->p2) {
        rp_det_suppress_free(s);
        return RP_ENOMEM;
    }
    *out = s;
    return RP_OK;
}

void rp_det_suppress_free(struct rp_det_suppress *s)
{
    if (!s) return;
    rp_json_parser_free(s->p);
    rp_json_parser_free(s->p2);
    rp_arena_release(&s->arena);
    free(s->rules);
    free(s);
}

size_t rp_det_suppress_count(const struct rp_det_suppress *s)
{
    return s ? s->n : 0;
}

rp_err rp_det_suppress_add(struct rp_det_suppress *s, const char *name, const char *criteria,
                           size_t len, struct rp_errbuf *eb)
{
    struct rp_json_val root;
    rp_err e = rp_json_parse(s->p, criteria, len, &root, eb);
    if (e != RP_OK) return e;
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 8;
        struct rule *r = realloc(s->rules, cap * sizeof *r);
        if (!r) return rp_fail(eb, RP_ENOMEM, "suppress: out of memory");
        s->rules = r;
        s->cap = cap;
    }
    struct rule *r = &s->rules[s->n];
    memset(r, 0, sizeof *r);
    e = rule_compile(s, root, r, eb);
    if (e != RP_OK) return e;
    r->name = rp_arena_strdup(&s->arena, name ? name : "");
    if (!r->name) return rp_fail(eb, RP_ENOMEM, "suppress: out of memory");
    s->n++;
    return RP_OK;
}

rp_err rp_detect_suppress_criteria_check(const char *criteria, size_t len, struct rp_buf *out,
                                         struct rp_errbuf *eb)
{
    struct rp_det_suppress *s = NULL;
    if (rp_det_suppress_new(&s) != RP_OK) return rp_fail(eb, RP_ENOMEM, "suppress: out of memory");
    rp_err e = rp_det_suppress_add(s, "", criteria, len, eb);
    if (e == RP_OK && out) {
        struct rp_json_val root;
        e = rp_json_parse(s->p, criteria, len, &root, eb);
        struct rp_json_val fc = root;
        if (e == RP_OK && rp_json_obj_get(root, "FindingCriteria", &fc) != RP_OK) fc = root;
        if (e == RP_OK) {
            /* only the FindingCriteria part is kept */
            struct rp_json_val crit;
            struct rp_json_writer w;
            rp_json_writer_init(&w, out);
            rp_json_write_obj_begin(&w);
            if (rp_json_obj_get(fc, "Criterion", &crit) == RP_OK) {
                rp_json_write_key(&w, "Criterion", 9);
                rp_json_write_val(&w, crit);
            }
            rp_json_write_obj_end(&w);
            e = rp_json_writer_finish(&w);
            if (e != RP_OK) e = rp_fail(eb, e, "suppress: %s", rp_strerror(e));
        }
    }
    rp_det_suppress_free(s);
    return e;
}

/* ---- matching ---------------------------------------------------------------------------- */

#define MAX_LEAVES 64 /* values of one attribute in one finding considered */

struct leaf {
    struct rp_str s; /* text (strings; booleans as "true"/"false") */
    double d;        /* numbers */
    bool isnum;
};

struct leaves {
    struct leaf v[MAX_LEAVES];
    size_t n;
};

static void leaf_add(struct leaves *out, struct rp_json_val v)
{
    if (out->n >= MAX_LEAVES) return;
    struct leaf *l = &out->v[out->n];
    memset(l, 0, sizeof *l);
    bool b = false;
    switch (rp_json_type(v)) {
    case RP_JSON_STRING:
        if (rp_json_get_str(v, &l->s) != RP_OK) return;
        break;
    case RP_JSON_INT:
    case RP_JSON_UINT:
    case RP_JSON_DOUBLE:
        if (rp_json_get_double(v, &l->d) != RP_OK) return;
        l->isnum = true;
        break;
    case RP_JSON_BOOL:
        if (rp_json_get_bool(v, &b) != RP_OK) return;
        l->s = rp_str_from(b ? "true" : "false");
        break;
    default:
        return;
    }
    out->n++;
}

/* Values at path (dotted, from p) under v; arrays are entered wherever they are met. */
static void walk(struct rp_json_val v, const char *p, struct leaves *out)
{
    if (rp_json_type(v) == RP_JSON_ARRAY) {
        struct rp_json_iter it;
        struct rp_json_val el;
        if (rp_json_arr_iter(v, &it) == RP_OK)
            while (rp_json_arr_next(&it, &el) && out->n < MAX_LEAVES) walk(el, p, out);
        return;
    }
    if (!*p) {
        leaf_add(out, v);
        return;
    }
    const char *dot = strchr(p, '.');
    size_t n = dot ? (size_t)(dot - p) : strlen(p);
    struct rp_json_val m;
    if (rp_json_type(v) == RP_JSON_OBJECT && rp_json_obj_getn(v, p, n, &m) == RP_OK)
        walk(m, dot ? dot + 1 : p + n, out);
}

static void leaves_of(struct rp_det_suppress *s, struct rp_json_val root, const struct attr *a,
                      struct leaves *out)
{
    out->n = 0;
    if (a->kind != K_TLN) {
        walk(root, a->path, out);
        return;
    }
    walk(root, "Service.Evidence.ThreatIntelligenceDetails.ThreatListName", out);
    struct leaves val = {.n = 0};
    walk(root, "Service.AdditionalInfo.Value", &val);
    struct rp_json_val inner, m;
    if (val.n && val.v[0].s.len && val.v[0].s.p[0] == '{' &&
        rp_json_parse(s->p2, val.v[0].s.p, val.v[0].s.len, &inner, NULL) == RP_OK &&
        rp_json_obj_get(inner, "threatListName", &m) == RP_OK)
        leaf_add(out, m);
}

static bool leaf_num(const struct leaf *l, enum kind k, double *d)
{
    if (l->isnum) {
        *d = l->d;
        return true;
    }
    return text_num(l->s, k, d);
}

static bool leaf_eq(const struct leaf *l, const struct value *v, enum kind k)
{
    double d = 0;
    switch (k) {
    case K_NUM:
    case K_TIME:
        return leaf_num(l, k, &d) && d == v->d;
    case K_SEV:
        if (!leaf_num(l, k, &d)) return false;
        /* "N" is GuardDuty's bucket N..N.9, "N.M" the exact value */
        return v->bucket ? floor(d) == v->d : d == v->d;
    case K_IP: {
        struct rp_ip ip, vip;
        if (l->isnum || rp_ip_parse(l->s, &ip, NULL) != RP_OK) return rp_str_eq(l->s, v->s);
        if (v->iscidr) return rp_cidr_contains(&v->cidr, &ip);
        return rp_ip_parse(v->s, &vip, NULL) == RP_OK ? rp_ip_eq(&ip, &vip) : rp_str_eq(l->s, v->s);
    }
    default:
        if (l->isnum) {
            char tmp[64];
            int n = snprintf(tmp, sizeof tmp, "%.17g", l->d);
            return n > 0 && rp_str_eq(v->s, (struct rp_str){tmp, (size_t)n});
        }
        return rp_str_eq(l->s, v->s);
    }
}

static bool cond_holds(const struct cond *c, const struct leaves *lv)
{
    enum kind k = attrs[c->attr].kind;
    bool any = false;
    for (size_t i = 0; i < lv->n && !any; i++) {
        const struct leaf *l = &lv->v[i];
        double d = 0;
        switch (c->op) {
        case OP_EQ:
        case OP_NEQ:
            for (size_t j = 0; j < c->nvals && !any; j++) any = leaf_eq(l, &c->vals[j], k);
            break;
        case OP_GT:
            any = leaf_num(l, k, &d) && d > c->num;
            break;
        case OP_GTE:
            any = leaf_num(l, k, &d) && d >= c->num;
            break;
        case OP_LT:
            any = leaf_num(l, k, &d) && d < c->num;
            break;
        case OP_LTE:
            any = leaf_num(l, k, &d) && d <= c->num;
            break;
        }
    }
    return c->op == OP_NEQ ? !any : any;
}

bool rp_det_suppress_match(struct rp_det_suppress *s, const char *gd_json, size_t len,
                           const char **rule_name)
{
    if (rule_name) *rule_name = NULL;
    if (!s || s->n == 0 || !gd_json) return false;
    struct rp_json_val root;
    if (rp_json_parse(s->p, gd_json, len, &root, NULL) != RP_OK ||
        rp_json_type(root) != RP_JSON_OBJECT)
        return false;
    struct leaves lv;
    for (size_t i = 0; i < s->n; i++) {
        const struct rule *r = &s->rules[i];
        bool all = true;
        for (size_t j = 0; j < r->nconds && all; j++) {
            leaves_of(s, root, &attrs[r->conds[j].attr], &lv);
            all = cond_holds(&r->conds[j], &lv);
        }
        if (all) {
            if (rule_name) *rule_name = r->name;
            return true;
        }
    }
    return false;
}

/* ---- the short form ------------------------------------------------------------------------ */

/* Severity labels as FindingCriteria buckets (aws-facts.md §4.1). */
static const struct {
    const char *label;
    const char *const vals[4];
} sev_labels[] = {
    {"low", {"1", "2", "3", NULL}},
    {"medium", {"4", "5", "6", NULL}},
    {"high", {"7", "8", NULL, NULL}},
    {"critical", {"9", "10", NULL, NULL}},
};

struct arg {
    struct rp_str attr;
    enum op op;
    struct rp_str val;
    bool done;
};

static const char *const op_short[] = {"Eq", "Neq", "Gt", "Gte", "Lt", "Lte"};

/* Split "attr<op>value". */
static rp_err arg_split(const char *text, struct arg *a, struct rp_errbuf *eb)
{
    const char *p = text;
    while (*p && !strchr("!=<>", *p)) p++;
    if (!*p || p == text)
        return rp_fail(eb, RP_EINVAL,
                       "suppress: '%s' is not attribute=value, attribute!=value or "
                       "attribute>=number",
                       text);
    a->attr = (struct rp_str){text, (size_t)(p - text)};
    a->attr = rp_str_trim(a->attr);
    if (p[0] == '!' && p[1] == '=') {
        a->op = OP_NEQ;
        p += 2;
    } else if (p[0] == '=') {
        a->op = OP_EQ;
        p += 1;
    } else if (p[0] == '>' || p[0] == '<') {
        bool eq = p[1] == '=';
        a->op = p[0] == '>' ? (eq ? OP_GTE : OP_GT) : (eq ? OP_LTE : OP_LT);
        p += eq ? 2 : 1;
    } else {
        return rp_fail(eb, RP_EINVAL, "suppress: '%s': bad operator", text);
    }
    a->val = rp_str_trim(rp_str_from(p));
    if (!a->val.len) return rp_fail(eb, RP_EINVAL, "suppress: '%s' has no value", text);
    a->done = false;
    return RP_OK;
}

rp_err rp_detect_suppress_criteria_from_args(const char *const *args, size_t n, struct rp_buf *out,
                                             struct rp_errbuf *eb)
{
    if (n == 0) return rp_fail(eb, RP_EINVAL, "suppress: no condition given");
    struct arg *as = calloc(n, sizeof *as);
    if (!as) return rp_fail(eb, RP_ENOMEM, "suppress: out of memory");
    rp_err e = RP_OK;
    for (size_t i = 0; i < n && e == RP_OK; i++) {
        e = arg_split(args[i], &as[i], eb);
        if (e == RP_OK && attr_find(as[i].attr) < 0) e = unknown_attr(eb, as[i].attr);
    }
    size_t start = out->len;
    struct rp_json_writer w;
    rp_json_writer_init(&w, out);
    rp_json_write_obj_begin(&w);
    rp_json_write_key(&w, "Criterion", 9);
    rp_json_write_obj_begin(&w);
    for (size_t i = 0; i < n && e == RP_OK; i++) {
        if (as[i].done) continue;
        const struct attr *at = &attrs[attr_find(as[i].attr)];
        rp_json_write_key(&w, at->name, strlen(at->name));
        rp_json_write_obj_begin(&w);
        for (int op = OP_EQ; op <= OP_LTE && e == RP_OK; op++) {
            bool open = false;
            for (size_t j = i; j < n && e == RP_OK; j++) {
                if (as[j].done || (int)as[j].op != op || !rp_str_eq(as[j].attr, as[i].attr))
                    continue;
                as[j].done = true;
                struct rp_str v = as[j].val;
                if (op >= OP_GT) {
                    double d = 0;
                    if (open) {
                        e = rp_fail(eb, RP_EINVAL, "suppress: '%s' repeats '%s'", args[j],
                                    op_short[op]);
                        break;
                    }
                    if (!numeric_kind(at->kind)) {
                        e = rp_fail(eb, RP_EINVAL, "suppress: '%s': '%s' is not numeric", args[j],
                                    at->name);
                        break;
                    }
                    if (!text_num(v, at->kind, &d)) {
                        e = rp_fail(eb, RP_EINVAL, "suppress: '%s': '%.*s' is not a %s", args[j],
                                    (int)v.len, v.p, at->kind == K_TIME ? "time" : "number");
                        break;
                    }
                    rp_json_write_key(&w, op_short[op], strlen(op_short[op]));
                    if (d == floor(d) && fabs(d) < 9e15)
                        rp_json_write_int(&w, (int64_t)d);
                    else
                        rp_json_write_double(&w, d);
                    open = true;
                    continue;
                }
                if (!open) {
                    rp_json_write_key(&w, op_short[op], strlen(op_short[op]));
                    rp_json_write_arr_begin(&w);
                    open = true;
                }
                size_t k = 0;
                if (at->kind == K_SEV)
                    while (k < RP_ARRAY_LEN(sev_labels) &&
                           !rp_str_eq_nocase(v, rp_str_from(sev_labels[k].label)))
                        k++;
                if (at->kind == K_SEV && k < RP_ARRAY_LEN(sev_labels)) {
                    for (size_t m = 0; m < 4 && sev_labels[k].vals[m]; m++)
                        rp_json_write_cstr(&w, sev_labels[k].vals[m]);
                } else {
                    rp_json_write_str(&w, v.p, v.len);
                }
            }
            if (open && op < OP_GT) rp_json_write_arr_end(&w);
        }
        rp_json_write_obj_end(&w);
    }
    rp_json_write_obj_end(&w);
    rp_json_write_obj_end(&w);
    free(as);
    rp_err we = rp_json_writer_finish(&w);
    if (e == RP_OK && we != RP_OK) e = rp_fail(eb, we, "suppress: %s", rp_strerror(we));
    if (e == RP_OK) {
        /* the result must compile (values of numeric attributes, IPs, booleans) */
        e = rp_detect_suppress_criteria_check(out->data + start, out->len - start, NULL, eb);
    }
    if (e != RP_OK) rp_buf_truncate(out, start);
    return e;
}

/* ---- the store ------------------------------------------------------------------------------ */

static rp_err name_check(const char *name, struct rp_errbuf *eb)
{
    size_t n = name ? strlen(name) : 0;
    if (n < 3 || n > RP_DET_SUPPRESS_NAME_MAX)
        return rp_fail(eb, RP_EINVAL, "suppress: rule name '%s' must be 3 to %d characters",
                       name ? name : "", RP_DET_SUPPRESS_NAME_MAX);
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.'))
            return rp_fail(eb, RP_EINVAL,
                           "suppress: rule name '%s' may only hold letters, digits, '-', '_' "
                           "and '.'",
                           name);
    }
    return RP_OK;
}

rp_err rp_detect_suppress_add(struct rp_store *st, const struct rp_detect_suppress_rule *r,
                              bool replace, int64_t now_ms, struct rp_errbuf *eb)
{
    rp_err e = name_check(r->name, eb);
    if (e != RP_OK) return e;
    const char *desc = r->description ? r->description : "";
    if (strlen(desc) > RP_DET_SUPPRESS_DESC_MAX)
        return rp_fail(eb, RP_EINVAL, "suppress: description is longer than %d bytes",
                       RP_DET_SUPPRESS_DESC_MAX);
    if (r->rank < 0 || r->rank > RP_DET_SUPPRESS_RANK_MAX)
        return rp_fail(eb, RP_EINVAL, "suppress: rank %d is not 1 to %d", r->rank,
                       RP_DET_SUPPRESS_RANK_MAX);
    if (!r->criteria) return rp_fail(eb, RP_EINVAL, "suppress: rule '%s' has no criteria", r->name);
    struct rp_buf crit;
    rp_buf_init(&crit, 1u << 20);
    e = rp_detect_suppress_criteria_check(r->criteria, strlen(r->criteria), &crit, eb);
    if (e != RP_OK) {
        rp_buf_release(&crit);
        return e;
    }
    if (!now_ms) now_ms = rp_time_now_ms();
    struct rp_store_stmt *s = NULL;
    int rank = r->rank;
    bool row = false;
    if (rank == 0) {
        e = rp_store_stmt_prepare(st, "SELECT coalesce(max(rank), 0) FROM detect_suppress_rules",
                                  &s, eb);
        if (e == RP_OK) e = rp_store_stmt_step(s, &row, eb);
        if (e == RP_OK && row) rank = (int)rp_store_stmt_column_int64(s, 0) + 1;
        if (s) rp_store_stmt_reset(s);
        if (rank > RP_DET_SUPPRESS_RANK_MAX) rank = RP_DET_SUPPRESS_RANK_MAX;
        if (rank < 1) rank = 1;
    }
    const char *sql =
        replace ? "INSERT INTO detect_suppress_rules (name, description, rank, action, criteria, "
                  "created_ms, updated_ms) VALUES (?1, ?2, ?3, 'ARCHIVE', ?4, ?5, ?5) "
                  "ON CONFLICT (name) DO UPDATE SET description = excluded.description, "
                  "rank = excluded.rank, criteria = excluded.criteria, "
                  "updated_ms = excluded.updated_ms"
                : "INSERT INTO detect_suppress_rules (name, description, rank, action, criteria, "
                  "created_ms, updated_ms) VALUES (?1, ?2, ?3, 'ARCHIVE', ?4, ?5, ?5)";
    if (e == RP_OK) e = rp_store_stmt_prepare(st, sql, &s, eb);
    if (e == RP_OK) e = rp_store_stmt_bind_cstr(s, 1, r->name, eb);
    if (e == RP_OK) e = rp_store_stmt_bind_cstr(s, 2, desc, eb);
    if (e == RP_OK) e = rp_store_stmt_bind_int64(s, 3, rank, eb);
    if (e == RP_OK) e = rp_store_stmt_bind_text(s, 4, crit.data, crit.len, eb);
    if (e == RP_OK) e = rp_store_stmt_bind_int64(s, 5, now_ms, eb);
    if (e == RP_OK) e = rp_store_stmt_step(s, &row, eb);
    rp_buf_release(&crit);
    if (e == RP_EEXIST)
        return rp_fail(eb, RP_EEXIST, "suppress: a rule named '%s' exists", r->name);
    return e;
}

rp_err rp_detect_suppress_remove(struct rp_store *st, const char *name, struct rp_errbuf *eb)
{
    struct rp_store_stmt *s = NULL;
    bool row = false;
    rp_err e =
        rp_store_stmt_prepare(st, "DELETE FROM detect_suppress_rules WHERE name = ?1", &s, eb);
    if (e == RP_OK) e = rp_store_stmt_bind_cstr(s, 1, name, eb);
    if (e == RP_OK) e = rp_store_stmt_step(s, &row, eb);
    if (e == RP_OK && rp_store_changes(st) == 0)
        return rp_fail(eb, RP_ENOENT, "suppress: no rule '%s'", name ? name : "");
    return e;
}

rp_err rp_detect_suppress_list(struct rp_store *st, rp_detect_suppress_fn fn, void *ctx,
                               struct rp_errbuf *eb)
{
    struct rp_store_stmt *s = NULL;
    bool row = false;
    rp_err e = rp_store_stmt_prepare(st,
                                     "SELECT name, description, rank, criteria, created_ms, "
                                     "updated_ms FROM detect_suppress_rules ORDER BY rank, name",
                                     &s, eb);
    while (e == RP_OK && (e = rp_store_stmt_step(s, &row, eb)) == RP_OK && row) {
        struct rp_detect_suppress_rule r = {
            .name = rp_store_stmt_column_text(s, 0, NULL),
            .description = rp_store_stmt_column_text(s, 1, NULL),
            .rank = (int)rp_store_stmt_column_int64(s, 2),
            .criteria = rp_store_stmt_column_text(s, 3, NULL),
            .created_ms = rp_store_stmt_column_int64(s, 4),
            .updated_ms = rp_store_stmt_column_int64(s, 5),
        };
        if (!r.name || !r.criteria) {
            e = rp_fail(eb, RP_ENOMEM, "suppress: out of memory");
            break;
        }
        if (!r.description) r.description = "";
        e = fn(ctx, &r);
    }
    if (s) rp_store_stmt_reset(s);
    return e;
}

struct load_ctx {
    struct rp_det_suppress *set;
    struct rp_errbuf *eb;
};

static rp_err load_one(void *ctx, const struct rp_detect_suppress_rule *r)
{
    struct load_ctx *lc = ctx;
    return rp_det_suppress_add(lc->set, r->name, r->criteria, strlen(r->criteria), lc->eb);
}

rp_err rp_det_suppress_load(struct rp_store *st, struct rp_det_suppress **out, struct rp_errbuf *eb)
{
    *out = NULL;
    struct rp_det_suppress *s = NULL;
    if (rp_det_suppress_new(&s) != RP_OK) return rp_fail(eb, RP_ENOMEM, "suppress: out of memory");
    struct load_ctx lc = {s, eb};
    rp_err e = st ? rp_detect_suppress_list(st, load_one, &lc, eb) : RP_OK;
    if (e != RP_OK) {
        rp_det_suppress_free(s);
        return e;
    }
    *out = s;
    return RP_OK;
}
