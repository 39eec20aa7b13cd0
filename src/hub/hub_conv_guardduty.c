/* SPDX-License-Identifier: Apache-2.0 */
/* Import format "guardduty": GuardDuty findings turned into ASFF the way Security Hub's
 * GuardDuty integration writes them. Accepted shapes: GetFindings output {"Findings": [..]},
 * a list, one finding, and the EventBridge event {"detail-type": "GuardDuty Finding",
 * "detail": {..}}. Both casings are read: the API's ("Resource", "Service", as the CLI prints
 * them) and the S3 export's and EventBridge's ("resource", "service"). The field mapping is
 * listed below the includes; the tables it refers to are the data in this file. */
#define RP_LOG_MODULE "hub"
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/rp_ip.h"
#include "hub/hub_conv_util.h"
#include "core/rp_banned.h"

/* Mapping, one GuardDuty finding to one ASFF finding:
 *   Id             Arn (else built from Partition, Region, AccountId, DetectorId and Id)
 *   ProductArn     arn:<Partition>:securityhub:<Region>::product/aws/guardduty
 *   GeneratorId    arn:<Partition>:guardduty:<Region>:<AccountId>:detector/<DetectorId>
 *   Types          [<namespace/category of the threat purpose>/<Type, '/' written as '-'>]
 *                  (type_overrides, purpose_types, behaviour_types below), for example
 *                  "TTPs/Discovery/Recon:EC2-PortProbeUnprotectedPort"
 *   Severity       Label: 0 INFORMATIONAL, below 4 LOW, below 7 MEDIUM, below 9 HIGH, else
 *                  CRITICAL; Normalized round(value * 10); Original the value as text
 *   CreatedAt, UpdatedAt  as given (each falls back on the other, then on cv->now_ms)
 *   FirstObservedAt, LastObservedAt  Service.EventFirstSeen, Service.EventLastSeen
 *   Resources      by Resource.ResourceType (res_instance, res_access_key, res_s3,
 *                  resource_kinds; anything else is one "Other" resource)
 *   ProductFields  every scalar of Service as "aws/guardduty/service/<camelCase path>"
 *   Network        from NETWORK_CONNECTION, DNS_REQUEST and PORT_PROBE actions
 *   Action         Service.Action for the four action types ASFF has (action_kinds)
 *   RecordState    ARCHIVED when Service.Archived is true, else ACTIVE
 *   Sample         Service.AdditionalInfo.sample (or inside AdditionalInfo.Value's JSON)
 *   also           AwsAccountId, Region, CompanyName "Amazon", ProductName "GuardDuty",
 *                  SourceUrl (the GuardDuty console link) */

#define FMT "guardduty"

/* ---- Types: threat purpose -> ASFF namespace/category ------------------------------------ */

/* Finding types whose effect is better described than by their threat purpose (prefix match). */
static const struct {
    const char *prefix;
    const char *types;
} type_overrides[] = {
    {"UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration", "Effects/Data Exfiltration"},
    {"Trojan:EC2/DNSDataExfiltration", "Effects/Data Exfiltration"},
};

/* The ThreatPurpose part of a finding type (before ':'), and where it goes. NULL = by the
 * affected resource, for Behavior (behaviour_types). */
static const struct {
    const char *purpose;
    const char *types;
} purpose_types[] = {
    {"AttackSequence", "TTPs"},
    {"Backdoor", "TTPs/Command and Control"},
    {"Behavior", NULL},
    {"CredentialAccess", "TTPs/Credential Access"},
    {"CryptoCurrency", "Effects/Resource Consumption"},
    {"DefenseEvasion", "TTPs/Defense Evasion"},
    {"Discovery", "TTPs/Discovery"},
    {"Execution", "TTPs/Execution"},
    {"Exfiltration", "Effects/Data Exfiltration"},
    {"Impact", "Effects/Resource Consumption"},
    {"InitialAccess", "TTPs/Initial Access"},
    {"Object", "TTPs/Execution"},
    {"PenTest", "TTPs/Discovery"},
    {"Persistence", "TTPs/Persistence"},
    {"Policy", "Software and Configuration Checks/AWS Security Best Practices"},
    {"PrivilegeEscalation", "TTPs/Privilege Escalation"},
    {"Recon", "TTPs/Discovery"},
    {"Stealth", "TTPs/Defense Evasion"},
    {"Trojan", "TTPs/Command and Control"},
    {"UnauthorizedAccess", "TTPs/Initial Access"},
};

/* Behavior:<resource>/.. -> Unusual Behaviors/<category>. */
static const struct {
    const char *resource;
    const char *types;
} behaviour_types[] = {
    {"EC2", "Unusual Behaviors/VM"},
    {"IAMUser", "Unusual Behaviors/User"},
    {"Kubernetes", "Unusual Behaviors/Container"},
    {"Lambda", "Unusual Behaviors/Serverless"},
    {"RDS", "Unusual Behaviors/Database"},
    {"Runtime", "Unusual Behaviors/Process"},
    {"S3", "Unusual Behaviors/Data"},
};

#define TYPES_UNKNOWN "Unusual Behaviors" /* a purpose not in the table */

static const char *types_prefix(struct rp_str type)
{
    for (size_t i = 0; i < RP_ARRAY_LEN(type_overrides); i++)
        if (rp_str_has_prefix(type, type_overrides[i].prefix)) return type_overrides[i].types;
    size_t colon = 0;
    while (colon < type.len && type.p[colon] != ':') colon++;
    struct rp_str purpose = {type.p, colon};
    for (size_t i = 0; i < RP_ARRAY_LEN(purpose_types); i++) {
        if (!rp_str_eq_cstr(purpose, purpose_types[i].purpose)) continue;
        if (purpose_types[i].types) return purpose_types[i].types;
        size_t slash = colon + 1;
        while (slash < type.len && type.p[slash] != '/') slash++;
        struct rp_str res = colon < type.len
                                ? (struct rp_str){type.p + colon + 1, slash - colon - 1}
                                : (struct rp_str){"", 0};
        for (size_t j = 0; j < RP_ARRAY_LEN(behaviour_types); j++)
            if (rp_str_eq_cstr(res, behaviour_types[j].resource)) return behaviour_types[j].types;
        return "Unusual Behaviors";
    }
    return TYPES_UNKNOWN;
}

static void write_types(struct rp_json_writer *w, struct rp_str type)
{
    char buf[512];
    int n = snprintf(buf, sizeof buf, "%s/%.*s", types_prefix(type), (int)type.len, type.p);
    size_t len = n < 0 ? 0 : (size_t)n >= sizeof buf ? sizeof buf - 1 : (size_t)n;
    size_t start = strlen(types_prefix(type)) + 1;
    for (size_t i = start; i < len; i++)
        if (buf[i] == '/') buf[i] = '-';
    rp_json_write_key(w, "Types", 5);
    rp_json_write_arr_begin(w);
    rp_json_write_str(w, buf, len);
    rp_json_write_arr_end(w);
}

/* ---- Action and Network ------------------------------------------------------------------ */

static const struct rp_hub_cv_field f_org[] = {
    {"Asn", NULL, RP_HUB_CV_INT, NULL},
    {"AsnOrg", NULL, RP_HUB_CV_STR, NULL},
    {"Isp", NULL, RP_HUB_CV_STR, NULL},
    {"Org", NULL, RP_HUB_CV_STR, NULL},
    {NULL, NULL, 0, NULL},
};
static const struct rp_hub_cv_field f_country[] = {
    {"CountryCode", NULL, RP_HUB_CV_STR, NULL},
    {"CountryName", NULL, RP_HUB_CV_STR, NULL},
    {NULL, NULL, 0, NULL},
};
static const struct rp_hub_cv_field f_city[] = {
    {"CityName", NULL, RP_HUB_CV_STR, NULL},
    {NULL, NULL, 0, NULL},
};
static const struct rp_hub_cv_field f_geo[] = {
    {"Lon", NULL, RP_HUB_CV_DBL, NULL},
    {"Lat", NULL, RP_HUB_CV_DBL, NULL},
    {NULL, NULL, 0, NULL},
};
static const struct rp_hub_cv_field f_remote_ip[] = {
    {"IpAddressV4", NULL, RP_HUB_CV_STR, NULL},  {"Organization", NULL, RP_HUB_CV_OBJ, f_org},
    {"Country", NULL, RP_HUB_CV_OBJ, f_country}, {"City", NULL, RP_HUB_CV_OBJ, f_city},
    {"GeoLocation", NULL, RP_HUB_CV_OBJ, f_geo}, {NULL, NULL, 0, NULL},
};
static const struct rp_hub_cv_field f_port[] = {
    {"Port", NULL, RP_HUB_CV_INT, NULL},
    {"PortName", NULL, RP_HUB_CV_STR, NULL},
    {NULL, NULL, 0, NULL},
};
static const struct rp_hub_cv_field f_local_ip[] = {
    {"IpAddressV4", NULL, RP_HUB_CV_STR, NULL},
    {NULL, NULL, 0, NULL},
};
static const struct rp_hub_cv_field f_netconn[] = {
    {"ConnectionDirection", NULL, RP_HUB_CV_STR, NULL},
    {"RemoteIpDetails", NULL, RP_HUB_CV_OBJ, f_remote_ip},
    {"RemotePortDetails", NULL, RP_HUB_CV_OBJ, f_port},
    {"LocalPortDetails", NULL, RP_HUB_CV_OBJ, f_port},
    {"Protocol", NULL, RP_HUB_CV_STR, NULL},
    {"Blocked", NULL, RP_HUB_CV_BOOL, NULL},
    {NULL, NULL, 0, NULL},
};
static const struct rp_hub_cv_field f_domain[] = {
    {"Domain", NULL, RP_HUB_CV_STR, NULL},
    {NULL, NULL, 0, NULL},
};
static const struct rp_hub_cv_field f_apicall[] = {
    {"Api", NULL, RP_HUB_CV_STR, NULL},
    {"ServiceName", NULL, RP_HUB_CV_STR, NULL},
    {"CallerType", NULL, RP_HUB_CV_STR, NULL},
    {"RemoteIpDetails", NULL, RP_HUB_CV_OBJ, f_remote_ip},
    {"DomainDetails", NULL, RP_HUB_CV_OBJ, f_domain},
    {"AffectedResources", NULL, RP_HUB_CV_MAP_STR, NULL},
    {NULL, NULL, 0, NULL},
};
static const struct rp_hub_cv_field f_dns[] = {
    {"Domain", NULL, RP_HUB_CV_STR, NULL},
    {"Protocol", NULL, RP_HUB_CV_STR, NULL},
    {"Blocked", NULL, RP_HUB_CV_BOOL, NULL},
    {NULL, NULL, 0, NULL},
};
static const struct rp_hub_cv_field f_probe_detail[] = {
    {"LocalPortDetails", NULL, RP_HUB_CV_OBJ, f_port},
    {"LocalIpDetails", NULL, RP_HUB_CV_OBJ, f_local_ip},
    {"RemoteIpDetails", NULL, RP_HUB_CV_OBJ, f_remote_ip},
    {NULL, NULL, 0, NULL},
};
static const struct rp_hub_cv_field f_portprobe[] = {
    {"PortProbeDetails", NULL, RP_HUB_CV_ARR_OBJ, f_probe_detail},
    {"Blocked", NULL, RP_HUB_CV_BOOL, NULL},
    {NULL, NULL, 0, NULL},
};

/* GuardDuty's action types that ASFF's Action has, with the member holding the details. */
static const struct {
    const char *type;
    const char *member;
    const struct rp_hub_cv_field *fields;
} action_kinds[] = {
    {"NETWORK_CONNECTION", "NetworkConnectionAction", f_netconn},
    {"AWS_API_CALL", "AwsApiCallAction", f_apicall},
    {"DNS_REQUEST", "DnsRequestAction", f_dns},
    {"PORT_PROBE", "PortProbeAction", f_portprobe},
};

static void write_action(struct rp_json_writer *w, struct rp_json_val action, struct rp_str type)
{
    struct rp_json_val d;
    for (size_t i = 0; i < RP_ARRAY_LEN(action_kinds); i++) {
        if (!rp_str_eq_cstr(type, action_kinds[i].type)) continue;
        if (!rp_hub_cv_get(action, action_kinds[i].member, &d) ||
            !rp_hub_cv_fields_any(d, action_kinds[i].fields))
            return;
        rp_json_write_key(w, "Action", 6);
        rp_json_write_obj_begin(w);
        rp_json_write_kv_cstr(w, "ActionType", action_kinds[i].type);
        rp_hub_cv_kv_fields(w, action_kinds[i].member, d, action_kinds[i].fields);
        rp_json_write_obj_end(w);
        return;
    }
}

/* The address at <obj>.IpAddressV4 / IpAddressV6, checked. */
static bool ip_of(struct rp_json_val obj, struct rp_str *s, bool *v6)
{
    struct rp_ip ip;
    if ((rp_hub_cv_str(obj, "IpAddressV4", s) || rp_hub_cv_str(obj, "IpAddressV6", s)) &&
        rp_ip_parse(*s, &ip, NULL) == RP_OK) {
        *v6 = ip.family == RP_IP_V6;
        return true;
    }
    return false;
}

struct net {
    const char *direction; /* "IN", "OUT" or NULL */
    struct rp_str protocol, src_ip, dst_ip, dst_domain;
    bool src_v6, dst_v6;
    int64_t src_port, dst_port; /* -1 = none */
};

static void net_port(struct rp_json_val obj, const char *key, int64_t *port)
{
    struct rp_json_val v;
    int64_t p = 0;
    if (rp_hub_cv_path(obj, key, &v) && rp_hub_cv_int(v, &p) && p >= 0 && p <= 65535) *port = p;
}

static void write_network(struct rp_json_writer *w, struct rp_json_val action, struct rp_str type)
{
    struct net n = {.src_port = -1, .dst_port = -1};
    struct rp_json_val d, el, remote = {0}, local = {0};
    struct rp_str s;
    bool inbound = false;
    if (rp_str_eq_cstr(type, "NETWORK_CONNECTION") &&
        rp_hub_cv_get(action, "NetworkConnectionAction", &d)) {
        if (rp_hub_cv_str(d, "ConnectionDirection", &s)) {
            inbound = rp_str_eq_cstr(s, "INBOUND");
            if (inbound || rp_str_eq_cstr(s, "OUTBOUND")) n.direction = inbound ? "IN" : "OUT";
        }
        (void)rp_hub_cv_str(d, "Protocol", &n.protocol);
        (void)rp_hub_cv_get(d, "RemoteIpDetails", &remote);
        (void)rp_hub_cv_get(d, "LocalIpDetails", &local);
        /* inbound: the remote host is the source; outbound: the destination */
        struct rp_str *rip = inbound ? &n.src_ip : &n.dst_ip;
        struct rp_str *lip = inbound ? &n.dst_ip : &n.src_ip;
        (void)ip_of(remote, rip, inbound ? &n.src_v6 : &n.dst_v6);
        (void)ip_of(local, lip, inbound ? &n.dst_v6 : &n.src_v6);
        net_port(d, "RemotePortDetails.Port", inbound ? &n.src_port : &n.dst_port);
        net_port(d, "LocalPortDetails.Port", inbound ? &n.dst_port : &n.src_port);
    } else if (rp_str_eq_cstr(type, "DNS_REQUEST") &&
               rp_hub_cv_get(action, "DnsRequestAction", &d)) {
        n.direction = "OUT";
        (void)rp_hub_cv_str(d, "Protocol", &n.protocol);
        (void)rp_hub_cv_str(d, "Domain", &n.dst_domain);
    } else if (rp_str_eq_cstr(type, "PORT_PROBE") && rp_hub_cv_get(action, "PortProbeAction", &d) &&
               rp_hub_cv_get(d, "PortProbeDetails", &el) && rp_hub_cv_first(el, &el)) {
        n.direction = "IN";
        (void)rp_hub_cv_get(el, "RemoteIpDetails", &remote);
        (void)rp_hub_cv_get(el, "LocalIpDetails", &local);
        (void)ip_of(remote, &n.src_ip, &n.src_v6);
        (void)ip_of(local, &n.dst_ip, &n.dst_v6);
        net_port(el, "LocalPortDetails.Port", &n.dst_port);
    } else {
        return;
    }
    rp_json_write_key(w, "Network", 7);
    rp_json_write_obj_begin(w);
    if (n.direction) rp_json_write_kv_cstr(w, "Direction", n.direction);
    if (n.protocol.len) rp_json_write_kv_str(w, "Protocol", n.protocol.p, n.protocol.len);
    if (n.src_ip.len)
        rp_json_write_kv_str(w, n.src_v6 ? "SourceIpV6" : "SourceIpV4", n.src_ip.p, n.src_ip.len);
    if (n.src_port >= 0) rp_json_write_kv_int(w, "SourcePort", n.src_port);
    if (n.dst_ip.len)
        rp_json_write_kv_str(w, n.dst_v6 ? "DestinationIpV6" : "DestinationIpV4", n.dst_ip.p,
                             n.dst_ip.len);
    if (n.dst_port >= 0) rp_json_write_kv_int(w, "DestinationPort", n.dst_port);
    if (n.dst_domain.len)
        rp_json_write_kv_str(w, "DestinationDomain", n.dst_domain.p, n.dst_domain.len);
    rp_json_write_obj_end(w);
}

/* ---- Resources --------------------------------------------------------------------------- */

/* The finding's frame, shared by the resource writers. */
struct gd {
    struct rp_hub_conv *cv;
    struct rp_json_val f, res, svc;
    struct rp_str account, region, partition, arn;
    const char *missing; /* the field a resource writer could not find */
};

static void res_begin(struct rp_json_writer *w, const struct gd *g, const char *type,
                      struct rp_str id)
{
    rp_json_write_obj_begin(w);
    rp_json_write_kv_cstr(w, "Type", type);
    rp_json_write_kv_str(w, "Id", id.p, id.len);
    rp_json_write_kv_str(w, "Partition", g->partition.p, g->partition.len);
    rp_json_write_kv_str(w, "Region", g->region.p, g->region.len);
}

static const struct rp_hub_cv_field f_access_key[] = {
    {"PrincipalId", NULL, RP_HUB_CV_STR, NULL},
    {"PrincipalName", "UserName", RP_HUB_CV_STR, NULL},
    {"PrincipalType", "UserType", RP_HUB_CV_STR, NULL},
    {NULL, NULL, 0, NULL},
};

static bool res_access_key(struct rp_json_writer *w, struct gd *g, bool required)
{
    struct rp_json_val d;
    struct rp_str key;
    char id[256];
    if (!rp_hub_cv_get(g->res, "AccessKeyDetails", &d) || !rp_hub_cv_str(d, "AccessKeyId", &key)) {
        if (required) g->missing = "Resource.AccessKeyDetails.AccessKeyId";
        return !required;
    }
    snprintf(id, sizeof id, "AWS::IAM::AccessKey:%.*s", (int)key.len, key.p);
    res_begin(w, g, "AwsIamAccessKey", rp_str_from(id));
    if (rp_hub_cv_fields_any(d, f_access_key)) {
        rp_json_write_key(w, "Details", 7);
        rp_json_write_obj_begin(w);
        rp_hub_cv_kv_fields(w, "AwsIamAccessKey", d, f_access_key);
        rp_json_write_obj_end(w);
    }
    rp_json_write_obj_end(w);
    return true;
}

/* Strings at <member>.<key> of each element of arr, written as array elements. */
static void each_str(struct rp_json_writer *w, struct rp_json_val arr, const char *key)
{
    struct rp_json_iter it;
    struct rp_json_val el;
    struct rp_str s;
    if (rp_json_arr_iter(arr, &it) == RP_OK)
        while (rp_json_arr_next(&it, &el))
            if (key ? rp_hub_cv_str(el, key, &s) : rp_json_get_str(el, &s) == RP_OK && s.len)
                rp_json_write_str(w, s.p, s.len);
}

static bool res_instance(struct rp_json_writer *w, struct gd *g)
{
    struct rp_json_val d, nis, ni0 = {0}, v, el;
    struct rp_json_iter it;
    struct rp_str iid, s;
    char id[256];
    if (!rp_hub_cv_get(g->res, "InstanceDetails", &d) || !rp_hub_cv_str(d, "InstanceId", &iid)) {
        g->missing = "Resource.InstanceDetails.InstanceId";
        return false;
    }
    snprintf(id, sizeof id, "arn:%.*s:ec2:%.*s:%.*s:instance/%.*s", (int)g->partition.len,
             g->partition.p, (int)g->region.len, g->region.p, (int)g->account.len, g->account.p,
             (int)iid.len, iid.p);
    res_begin(w, g, "AwsEc2Instance", rp_str_from(id));
    if (rp_hub_cv_get(d, "Tags", &v)) rp_hub_cv_kv_tags(w, v);
    bool has_nis = rp_hub_cv_get(d, "NetworkInterfaces", &nis) && rp_hub_cv_first(nis, &ni0);
    rp_json_write_key(w, "Details", 7);
    rp_json_write_obj_begin(w);
    rp_json_write_key(w, "AwsEc2Instance", 14);
    rp_json_write_obj_begin(w);
    if (rp_hub_cv_str(d, "InstanceType", &s)) rp_json_write_kv_str(w, "Type", s.p, s.len);
    if (rp_hub_cv_str(d, "ImageId", &s)) rp_json_write_kv_str(w, "ImageId", s.p, s.len);
    if (has_nis) {
        rp_json_write_key(w, "IpV4Addresses", 13);
        rp_json_write_arr_begin(w);
        each_str(w, nis, "PrivateIpAddress");
        each_str(w, nis, "PublicIp");
        rp_json_write_arr_end(w);
        if (rp_json_arr_iter(nis, &it) == RP_OK) {
            bool open = false;
            while (rp_json_arr_next(&it, &el))
                if (rp_hub_cv_get(el, "Ipv6Addresses", &v) && rp_json_len(v) > 0) {
                    if (!open) {
                        rp_json_write_key(w, "IpV6Addresses", 13);
                        rp_json_write_arr_begin(w);
                        open = true;
                    }
                    each_str(w, v, NULL);
                }
            if (open) rp_json_write_arr_end(w);
        }
    }
    if (rp_hub_cv_path_str(d, "IamInstanceProfile.Arn", &s))
        rp_json_write_kv_str(w, "IamInstanceProfileArn", s.p, s.len);
    if (has_nis && rp_hub_cv_str(ni0, "VpcId", &s)) rp_json_write_kv_str(w, "VpcId", s.p, s.len);
    if (has_nis && rp_hub_cv_str(ni0, "SubnetId", &s))
        rp_json_write_kv_str(w, "SubnetId", s.p, s.len);
    int64_t ms = 0;
    if (rp_hub_cv_get(d, "LaunchTime", &v) && rp_hub_cv_time_of(v, false, &ms) == RP_HUB_CV_TIME_OK)
        rp_hub_cv_kv_time(w, "LaunchedAt", ms);
    if (has_nis) {
        rp_json_write_key(w, "NetworkInterfaces", 17);
        rp_json_write_arr_begin(w);
        if (rp_json_arr_iter(nis, &it) == RP_OK)
            while (rp_json_arr_next(&it, &el))
                if (rp_hub_cv_str(el, "NetworkInterfaceId", &s)) {
                    rp_json_write_obj_begin(w);
                    rp_json_write_kv_str(w, "NetworkInterfaceId", s.p, s.len);
                    rp_json_write_obj_end(w);
                }
        rp_json_write_arr_end(w);
    }
    rp_json_write_obj_end(w);
    rp_json_write_obj_end(w);
    rp_json_write_obj_end(w);
    return true;
}

static bool res_s3(struct rp_json_writer *w, struct gd *g)
{
    struct rp_json_val arr, el, v;
    struct rp_json_iter it;
    struct rp_str name, arn, s;
    size_t n = 0;
    if (!rp_hub_cv_get(g->res, "S3BucketDetails", &arr) || rp_json_arr_iter(arr, &it) != RP_OK) {
        g->missing = "Resource.S3BucketDetails";
        return false;
    }
    while (rp_json_arr_next(&it, &el) && n < RP_HUB_CV_MAX_RESOURCES - 1) {
        char id[320];
        if (rp_hub_cv_str(el, "Arn", &arn))
            snprintf(id, sizeof id, "%.*s", (int)arn.len, arn.p);
        else if (rp_hub_cv_str(el, "Name", &name))
            snprintf(id, sizeof id, "arn:%.*s:s3:::%.*s", (int)g->partition.len, g->partition.p,
                     (int)name.len, name.p);
        else
            continue;
        res_begin(w, g, "AwsS3Bucket", rp_str_from(id));
        if (rp_hub_cv_get(el, "Tags", &v)) rp_hub_cv_kv_tags(w, v);
        int64_t ms = 0;
        bool has_owner = rp_hub_cv_path_str(el, "Owner.Id", &s);
        bool has_created = rp_hub_cv_get(el, "CreatedAt", &v) &&
                           rp_hub_cv_time_of(v, false, &ms) == RP_HUB_CV_TIME_OK;
        if (has_owner || has_created) {
            rp_json_write_key(w, "Details", 7);
            rp_json_write_obj_begin(w);
            rp_json_write_key(w, "AwsS3Bucket", 11);
            rp_json_write_obj_begin(w);
            if (has_owner) rp_json_write_kv_str(w, "OwnerId", s.p, s.len);
            if (has_created) rp_hub_cv_kv_time(w, "CreatedAt", ms);
            rp_json_write_obj_end(w);
            rp_json_write_obj_end(w);
        }
        rp_json_write_obj_end(w);
        n++;
    }
    if (n == 0) {
        g->missing = "Resource.S3BucketDetails";
        return false;
    }
    /* S3 findings also name the caller's access key when there is one */
    return res_access_key(w, g, false);
}

static const struct rp_hub_cv_field f_eks[] = {
    {"Name", NULL, RP_HUB_CV_STR, NULL},
    {"Arn", NULL, RP_HUB_CV_STR, NULL},
    {"ClusterStatus", "Status", RP_HUB_CV_STR, NULL},
    {NULL, NULL, 0, NULL},
};
static const struct rp_hub_cv_field f_ecs[] = {
    {"ClusterName", "Name", RP_HUB_CV_STR, NULL},
    {"ClusterArn", "Arn", RP_HUB_CV_STR, NULL},
    {"Status", NULL, RP_HUB_CV_STR, NULL},
    {NULL, NULL, 0, NULL},
};
static const struct rp_hub_cv_field f_container[] = {
    {"Name", NULL, RP_HUB_CV_STR, NULL},
    {"ImageName", "Image", RP_HUB_CV_STR, NULL},
    {"ContainerRuntime", NULL, RP_HUB_CV_STR, NULL},
    {NULL, NULL, 0, NULL},
};
static const struct rp_hub_cv_field f_lambda[] = {
    {"FunctionName", NULL, RP_HUB_CV_STR, NULL},
    {"Role", NULL, RP_HUB_CV_STR, NULL},
    {"Version", "FunctionVersion", RP_HUB_CV_STR, NULL},
    {NULL, NULL, 0, NULL},
};
static const struct rp_hub_cv_field f_rds[] = {
    {"DbInstanceIdentifier", NULL, RP_HUB_CV_STR, NULL},
    {"DbClusterIdentifier", NULL, RP_HUB_CV_STR, NULL},
    {"Engine", NULL, RP_HUB_CV_STR, NULL},
    {"EngineVersion", NULL, RP_HUB_CV_STR, NULL},
    {NULL, NULL, 0, NULL},
};

/* Resource types whose details copy over by table: GuardDuty's ResourceType, the member
 * holding the details, the ASFF resource type, the member holding the resource's id (an
 * ARN), and the details fields. */
static const struct {
    const char *rtype;
    const char *member;
    const char *asff_type;
    const char *id_key;
    const struct rp_hub_cv_field *fields;
} resource_kinds[] = {
    {"EKSCluster", "EksClusterDetails", "AwsEksCluster", "Arn", f_eks},
    {"ECSCluster", "EcsClusterDetails", "AwsEcsCluster", "Arn", f_ecs},
    {"Container", "ContainerDetails", "Container", "Id", f_container},
    {"Lambda", "LambdaDetails", "AwsLambdaFunction", "FunctionArn", f_lambda},
    {"RDSDBInstance", "RdsDbInstanceDetails", "AwsRdsDbInstance", "DbInstanceArn", f_rds},
};

static bool res_by_table(struct rp_json_writer *w, struct gd *g, size_t k)
{
    struct rp_json_val d, sc;
    struct rp_str id;
    bool priv = false;
    if (!rp_hub_cv_get(g->res, resource_kinds[k].member, &d) ||
        !rp_hub_cv_str(d, resource_kinds[k].id_key, &id)) {
        g->missing = resource_kinds[k].member;
        return false;
    }
    res_begin(w, g, resource_kinds[k].asff_type, id);
    if (rp_hub_cv_get(d, "Tags", &sc)) rp_hub_cv_kv_tags(w, sc);
    bool has_priv = strcmp(resource_kinds[k].rtype, "Container") == 0 &&
                    rp_hub_cv_get(d, "SecurityContext", &sc) &&
                    rp_hub_cv_get(sc, "Privileged", &sc) && rp_hub_cv_bool(sc, &priv);
    if (rp_hub_cv_fields_any(d, resource_kinds[k].fields) || has_priv) {
        rp_json_write_key(w, "Details", 7);
        rp_json_write_obj_begin(w);
        rp_json_write_key(w, resource_kinds[k].asff_type, strlen(resource_kinds[k].asff_type));
        rp_json_write_obj_begin(w);
        rp_hub_cv_fields_copy(w, d, resource_kinds[k].fields);
        if (has_priv) rp_json_write_kv_bool(w, "Privileged", priv);
        rp_json_write_obj_end(w);
        rp_json_write_obj_end(w);
    }
    rp_json_write_obj_end(w);
    return true;
}

/* Write "Resources"; false (with g->missing set) when the finding lacks what they need. */
static bool write_resources(struct rp_json_writer *w, struct gd *g)
{
    struct rp_str rt;
    if (!rp_hub_cv_str(g->res, "ResourceType", &rt)) {
        g->missing = "Resource.ResourceType";
        return false;
    }
    rp_json_write_key(w, "Resources", 9);
    rp_json_write_arr_begin(w);
    bool ok = true;
    if (rp_str_eq_cstr(rt, "Instance")) {
        ok = res_instance(w, g);
    } else if (rp_str_eq_cstr(rt, "AccessKey")) {
        ok = res_access_key(w, g, true);
    } else if (rp_str_eq_cstr(rt, "S3Bucket")) {
        ok = res_s3(w, g);
    } else {
        size_t k = 0;
        while (k < RP_ARRAY_LEN(resource_kinds) && !rp_str_eq_cstr(rt, resource_kinds[k].rtype))
            k++;
        if (k < RP_ARRAY_LEN(resource_kinds)) {
            ok = res_by_table(w, g, k);
        } else {
            /* a resource type ASFF has no type for: the finding itself stands for it */
            res_begin(w, g, "Other", g->arn);
            rp_json_write_key(w, "Details", 7);
            rp_json_write_obj_begin(w);
            rp_json_write_key(w, "Other", 5);
            rp_json_write_obj_begin(w);
            rp_json_write_kv_str(w, "ResourceType", rt.p, rt.len);
            rp_json_write_obj_end(w);
            rp_json_write_obj_end(w);
            rp_json_write_obj_end(w);
        }
    }
    rp_json_write_arr_end(w);
    return ok;
}

/* ---- one finding ------------------------------------------------------------------------- */

/* Service.AdditionalInfo.sample, or "sample" inside the JSON text of AdditionalInfo.Value (the
 * API's form). Parses that text with cv->parser, before the finding is written. */
static bool is_sample(struct rp_hub_conv *cv, struct rp_json_val svc)
{
    struct rp_json_val ai, v, root;
    struct rp_str text;
    bool b = false;
    if (!rp_hub_cv_get(svc, "AdditionalInfo", &ai)) return false;
    if (rp_hub_cv_get(ai, "Sample", &v)) return rp_hub_cv_bool(v, &b) && b;
    if (!rp_hub_cv_str(ai, "Value", &text) || text.p[0] != '{') return false;
    if (rp_json_parse(cv->parser, text.p, text.len, &root, NULL) != RP_OK) return false;
    return rp_hub_cv_get(root, "Sample", &v) && rp_hub_cv_bool(v, &b) && b;
}

/* The detector id inside a finding ARN ".../detector/<id>/finding/<id>". */
static bool detector_from_arn(struct rp_str arn, struct rp_str *out)
{
    static const char key[] = "detector/";
    for (size_t i = 0; i + sizeof key - 1 < arn.len; i++)
        if (memcmp(arn.p + i, key, sizeof key - 1) == 0) {
            size_t s = i + sizeof key - 1, e = s;
            while (e < arn.len && arn.p[e] != '/') e++;
            *out = (struct rp_str){arn.p + s, e - s};
            return e > s;
        }
    return false;
}

static rp_err fail_missing(struct rp_hub_conv *cv, const char *id, const char *field)
{
    return rp_hub_cv_fail(cv, id, RP_HUB_CV_FAILED, FMT ": missing field '%s'", field);
}

/* One time member: *ms set when present; false when present but not a time. */
static bool time_member(struct rp_json_val obj, const char *key, bool *has, int64_t *ms)
{
    struct rp_json_val v = {0};
    (void)rp_hub_cv_get(obj, key, &v);
    enum rp_hub_cv_time t = rp_hub_cv_time_of(v, false, ms);
    *has = t == RP_HUB_CV_TIME_OK;
    return t != RP_HUB_CV_TIME_BAD;
}

static rp_err convert_one(struct rp_hub_conv *cv, struct rp_json_val f, struct rp_errbuf *eb)
{
    struct gd g = {.cv = cv, .f = f};
    struct rp_str type, det, fid, s;
    struct rp_json_val v;
    char arnbuf[RP_HUB_CV_MAX_ID + 1];
    cv->current = f;
    if (rp_json_type(f) != RP_JSON_OBJECT)
        return rp_hub_cv_fail(cv, NULL, RP_HUB_CV_INVALID,
                              FMT ": a finding must be a JSON object, not %s",
                              rp_json_type_name(rp_json_type(f)));
    if (!rp_hub_cv_str(f, "AccountId", &g.account)) g.account = rp_str_from(cv->account);
    if (!rp_hub_cv_str(f, "Region", &g.region)) g.region = rp_str_from(cv->region);
    if (!rp_hub_cv_str(f, "Partition", &g.partition)) g.partition = RP_STR_LIT("aws");
    (void)rp_hub_cv_get(f, "Service", &g.svc);
    (void)rp_hub_cv_get(f, "Resource", &g.res);
    bool has_fid = rp_hub_cv_str(f, "Id", &fid);
    bool has_arn = rp_hub_cv_str(f, "Arn", &g.arn);
    if (!rp_hub_cv_str(g.svc, "DetectorId", &det) && !(has_arn && detector_from_arn(g.arn, &det)))
        det = (struct rp_str){NULL, 0};
    if (!has_arn && has_fid && det.len) {
        int n = snprintf(arnbuf, sizeof arnbuf,
                         "arn:%.*s:guardduty:%.*s:%.*s:detector/%.*s/finding/%.*s",
                         (int)g.partition.len, g.partition.p, (int)g.region.len, g.region.p,
                         (int)g.account.len, g.account.p, (int)det.len, det.p, (int)fid.len, fid.p);
        if (n < 0 || (size_t)n >= sizeof arnbuf)
            return rp_hub_cv_fail(cv, fid.p, RP_HUB_CV_FAILED,
                                  FMT ": 'Arn' is longer than %d bytes", RP_HUB_CV_MAX_ID);
        g.arn = rp_str_from(arnbuf);
        has_arn = true;
    }
    if (!has_arn) return fail_missing(cv, has_fid ? fid.p : NULL, "Arn");
    const char *id = g.arn.p;
    if (g.arn.len > RP_HUB_CV_MAX_ID)
        return rp_hub_cv_fail(cv, NULL, RP_HUB_CV_FAILED, FMT ": 'Arn' is longer than %d bytes",
                              RP_HUB_CV_MAX_ID);
    if (!det.len) return fail_missing(cv, id, "Service.DetectorId");
    if (!rp_hub_cv_str(f, "Type", &type)) return fail_missing(cv, id, "Type");
    double sev = 0;
    if (!rp_hub_cv_get(f, "Severity", &v)) return fail_missing(cv, id, "Severity");
    if (!rp_hub_cv_num(v, &sev) || sev < 0 || sev > 10)
        return rp_hub_cv_fail(cv, id, RP_HUB_CV_FAILED,
                              FMT ": 'Severity' must be a number from 0 to 10");
    bool has_c = false, has_u = false, has_first = false, has_last = false;
    int64_t created = 0, updated = 0, first = 0, last = 0;
    if (!time_member(f, "CreatedAt", &has_c, &created))
        return rp_hub_cv_fail(cv, id, RP_HUB_CV_FAILED, FMT ": 'CreatedAt' is not a valid time");
    if (!time_member(f, "UpdatedAt", &has_u, &updated))
        return rp_hub_cv_fail(cv, id, RP_HUB_CV_FAILED, FMT ": 'UpdatedAt' is not a valid time");
    (void)time_member(g.svc, "EventFirstSeen", &has_first, &first);
    (void)time_member(g.svc, "EventLastSeen", &has_last, &last);
    if (!has_c) created = has_u ? updated : cv->now_ms;
    if (!has_u) updated = has_c ? created : cv->now_ms;
    bool sample = is_sample(cv, g.svc);
    bool archived = false;
    if (rp_hub_cv_get(g.svc, "Archived", &v)) (void)rp_hub_cv_bool(v, &archived);

    struct rp_json_writer w;
    char buf[512];
    rp_hub_cv_begin(cv, &w);
    rp_json_write_kv_str(&w, "Id", g.arn.p, g.arn.len);
    snprintf(buf, sizeof buf, "arn:%.*s:securityhub:%.*s::product/aws/guardduty",
             (int)g.partition.len, g.partition.p, (int)g.region.len, g.region.p);
    rp_json_write_kv_cstr(&w, "ProductArn", buf);
    snprintf(buf, sizeof buf, "arn:%.*s:guardduty:%.*s:%.*s:detector/%.*s", (int)g.partition.len,
             g.partition.p, (int)g.region.len, g.region.p, (int)g.account.len, g.account.p,
             (int)det.len, det.p);
    rp_json_write_kv_cstr(&w, "GeneratorId", buf);
    rp_json_write_kv_str(&w, "AwsAccountId", g.account.p, g.account.len);
    rp_json_write_kv_str(&w, "Region", g.region.p, g.region.len);
    rp_json_write_kv_cstr(&w, "CompanyName", "Amazon");
    rp_json_write_kv_cstr(&w, "ProductName", "GuardDuty");
    write_types(&w, type);
    if (has_first) rp_hub_cv_kv_time(&w, "FirstObservedAt", first);
    if (has_last) rp_hub_cv_kv_time(&w, "LastObservedAt", last);
    rp_hub_cv_kv_time(&w, "CreatedAt", created);
    rp_hub_cv_kv_time(&w, "UpdatedAt", updated);

    int norm = (int)lround(sev * 10);
    enum rp_hub_sev label = norm == 0   ? RP_HUB_SEV_INFORMATIONAL
                            : sev < 4.0 ? RP_HUB_SEV_LOW
                            : sev < 7.0 ? RP_HUB_SEV_MEDIUM
                            : sev < 9.0 ? RP_HUB_SEV_HIGH
                                        : RP_HUB_SEV_CRITICAL;
    char orig[40];
    snprintf(orig, sizeof orig, "%.15g", sev);
    rp_hub_cv_kv_severity(&w, label, norm, rp_str_from(orig));

    struct rp_str title = type, desc;
    (void)rp_hub_cv_str(f, "Title", &title);
    if (!rp_hub_cv_str(f, "Description", &desc)) desc = title;
    rp_hub_cv_kv_capped(&w, "Title", title, RP_HUB_CV_MAX_TITLE);
    rp_hub_cv_kv_capped(&w, "Description", desc, RP_HUB_CV_MAX_DESCRIPTION);
    if (has_fid) {
        snprintf(buf, sizeof buf,
                 "https://%.*s.console.aws.amazon.com/guardduty/home?region=%.*s#/"
                 "findings?macros=current&fId=%.*s",
                 (int)g.region.len, g.region.p, (int)g.region.len, g.region.p, (int)fid.len, fid.p);
        rp_json_write_kv_cstr(&w, "SourceUrl", buf);
    }

    struct rp_hub_cv_pf pf;
    rp_hub_cv_pf_init(&pf, &w);
    if (rp_json_type(g.svc) == RP_JSON_OBJECT)
        rp_hub_cv_pf_flatten(&pf, "aws/guardduty/service", g.svc, true);
    rp_hub_cv_pf_end(&pf);

    if (!write_resources(&w, &g)) {
        rp_buf_reset(cv->buf);
        return fail_missing(cv, id, g.missing);
    }

    struct rp_json_val action = {0};
    if (rp_hub_cv_get(g.svc, "Action", &action) && rp_hub_cv_str(action, "ActionType", &s)) {
        write_network(&w, action, s);
        write_action(&w, action, s);
    }
    rp_json_write_kv_cstr(&w, "RecordState", archived ? "ARCHIVED" : "ACTIVE");
    rp_json_write_kv_bool(&w, "Sample", sample);
    return rp_hub_cv_end(cv, &w, FMT, id, eb);
}

/* ---- document ---------------------------------------------------------------------------- */

static bool has2(struct rp_json_val obj, const char *key)
{
    struct rp_json_val v;
    return rp_hub_cv_get(obj, key, &v);
}

static bool looks_like_finding(struct rp_json_val o)
{
    return rp_json_type(o) == RP_JSON_OBJECT && has2(o, "Arn") && has2(o, "Type") &&
           (has2(o, "Service") || has2(o, "Resource")) && !rp_hub_cv_has(o, "ProductArn");
}

static bool is_event(struct rp_json_val root)
{
    struct rp_str dt;
    return rp_json_obj_get_str(root, "detail-type", &dt) == RP_OK &&
           rp_str_eq_cstr(dt, "GuardDuty Finding") && rp_hub_cv_has(root, "detail");
}

static int probe_list(struct rp_json_val arr)
{
    struct rp_json_iter it;
    struct rp_json_val el;
    size_t n = 0;
    if (rp_json_arr_iter(arr, &it) != RP_OK) return 0;
    while (n++ < 8 && rp_json_arr_next(&it, &el))
        if (rp_json_type(el) == RP_JSON_OBJECT) return looks_like_finding(el) ? 90 : 0;
    return 0;
}

static int probe(struct rp_json_val root)
{
    struct rp_json_val v;
    if (rp_json_type(root) == RP_JSON_ARRAY) return probe_list(root);
    if (rp_json_type(root) != RP_JSON_OBJECT) return 0;
    if (rp_json_obj_get(root, "Findings", &v) == RP_OK) return probe_list(v) ? 95 : 0;
    if (is_event(root)) return 95;
    return looks_like_finding(root) ? 90 : 0;
}

static rp_err convert_list(struct rp_hub_conv *cv, struct rp_json_val arr, struct rp_errbuf *eb)
{
    struct rp_json_iter it;
    struct rp_json_val el;
    if (rp_json_arr_iter(arr, &it) != RP_OK)
        return rp_fail(eb, RP_EINVAL, FMT ": the findings are not in an array");
    while (rp_json_arr_next(&it, &el)) {
        rp_err e = convert_one(cv, el, eb);
        if (e != RP_OK) return e;
    }
    return RP_OK;
}

static rp_err convert(struct rp_hub_conv *cv, struct rp_json_val root, struct rp_errbuf *eb)
{
    struct rp_json_val v;
    if (rp_json_type(root) == RP_JSON_ARRAY) return convert_list(cv, root, eb);
    if (rp_json_type(root) != RP_JSON_OBJECT)
        return rp_fail(eb, RP_EINVAL, FMT ": expected a finding or a list of findings, not %s",
                       rp_json_type_name(rp_json_type(root)));
    if (rp_json_obj_get(root, "Findings", &v) == RP_OK) return convert_list(cv, v, eb);
    if (is_event(root)) {
        if (!rp_hub_cv_get(root, "detail", &v))
            return rp_fail(eb, RP_EINVAL, FMT ": event has no 'detail'");
        return convert_one(cv, v, eb);
    }
    if (!has2(root, "Arn") && !has2(root, "Type"))
        return rp_fail(eb, RP_EINVAL,
                       FMT ": not a GuardDuty document (no 'Findings', 'Arn' or 'Type')");
    return convert_one(cv, root, eb);
}

const struct rp_hub_format rp_hub_fmt_guardduty = {
    .name = "guardduty",
    .summary = "GuardDuty findings: GetFindings output, a list, one finding, an S3 export "
               "line, or a GuardDuty Finding EventBridge event",
    .probe = probe,
    .convert = convert,
};
