/* SPDX-License-Identifier: Apache-2.0 */
/* The "config" simulation generator: AWS Config delivery files for the simulated estate.
 *
 *   - ConfigSnapshot files per account and region at the first hour and then daily, every live
 *     recorded resource of the region (IAM, CloudFront and the account-level S3 Block Public
 *     Access in the home region), in the delivery shape of configuration item version 1.3;
 *   - ConfigHistory files per account, region and resource type for every 6-hour window in which
 *     changes were captured (rp_sim_world_changed, and a few benign admin changes made here with
 *     their CloudTrail records);
 *   - side files AWS Config does not record but its IAM rules evaluate: the account summary,
 *     password policy and credential report per account, and EBS snapshots per region, daily
 *     under estate/ (docs/simulate.md).
 *
 * configuration shapes follow what the Describe/List APIs return (checked against real
 * configuration items); IAM policy documents are URL-encoded strings, as Config writes them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/sim_internal.h"
#include "core/rp_json.h"
#include "core/rp_time.h"
#include "core/rp_banned.h"

#define HOUR RP_TIME_MS_PER_HOUR
#define DAY  RP_TIME_MS_PER_DAY

/* Config types: one per kind, plus two that hang off other entities. */
enum {
    CT_STAGE = RP_SIM_K__COUNT, /* AWS::ApiGateway::Stage of a REST API */
    CT_ACCOUNT_PAB,             /* AWS::S3::AccountPublicAccessBlock of an account */
    CT__COUNT
};

static const char *ctype_name(int ct)
{
    if (ct == CT_STAGE) return "AWS::ApiGateway::Stage";
    if (ct == CT_ACCOUNT_PAB) return "AWS::S3::AccountPublicAccessBlock";
    return rp_sim_kind_info((enum rp_sim_kind)ct)->config_type;
}

struct pend_ci {
    int64_t ts;
    uint64_t seq;
    size_t off;
    size_t len;
};

struct pending {
    struct rp_buf data;
    struct pend_ci *cis;
    size_t n, cap;
};

struct cfg_state {
    struct pending *pend; /* [acct][region][ctype] */
    size_t npend;
    uint64_t seq;
    int64_t *lastcap[RP_SIM_K__COUNT]; /* last capture time per entity, 0 = none */
    uint32_t lastcap_n[RP_SIM_K__COUNT];
    struct rp_buf ci;   /* scratch: one CI */
    struct rp_buf ct;   /* scratch: one CloudTrail record */
    struct rp_buf text; /* scratch: policy documents */
    struct rp_sim_rng r;
};

/* ---- small helpers --------------------------------------------------------------------------- */

#define KEY(jw, k)    rp_json_write_key((jw), (k), strlen(k))
#define KS(jw, k, v)  rp_json_write_kv_cstr((jw), (k), (v))
#define KB(jw, k, v)  rp_json_write_kv_bool((jw), (k), (v))
#define KI(jw, k, v)  rp_json_write_kv_int((jw), (k), (v))
#define KN(jw, k)     rp_json_write_kv_null((jw), (k))
#define OBJ(jw)       rp_json_write_obj_begin(jw)
#define END(jw)       rp_json_write_obj_end(jw)
#define ARR(jw)       rp_json_write_arr_begin(jw)
#define AEND(jw)      rp_json_write_arr_end(jw)
#define KOBJ(jw, k)   (KEY(jw, k), OBJ(jw))
#define KARR(jw, k)   (KEY(jw, k), ARR(jw))
#define KSN(jw, k, v) ((v) && *(v) ? KS(jw, k, v) : KN(jw, k))

static void iso_ms(int64_t ms, char out[RP_TIME_ISO_BUFSZ])
{
    rp_sim_iso_ms(ms, out, RP_TIME_ISO_BUFSZ);
}

static void kts(struct rp_json_writer *jw, const char *k, int64_t ms)
{
    char t[RP_TIME_ISO_BUFSZ];
    iso_ms(ms, t);
    KS(jw, k, t);
}

/* "Feb 21, 2022 6:36:56 PM", the Java date format API Gateway items carry. */
static void kts_java(struct rp_json_writer *jw, const char *k, int64_t ms)
{
    static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    struct rp_time_civil c;
    if (rp_time_to_civil(ms, &c) != RP_OK) memset(&c, 0, sizeof(c));
    if (c.month < 1 || c.month > 12) c.month = 1;
    int h12 = c.hour % 12 == 0 ? 12 : c.hour % 12;
    char t[48];
    rp_sim_fmt(t, sizeof(t), "%s %d, %04d %d:%02d:%02d %s", mon[c.month - 1], c.day, c.year, h12,
               c.minute, c.second, c.hour < 12 ? "AM" : "PM");
    KS(jw, k, t);
}

static const char *acct_of(const struct rp_sim_world *w, const struct rp_sim_res *r)
{
    return w->accounts[r->acct].res.id;
}

static const char *region_of(const struct rp_sim_world *w, const struct rp_sim_res *r)
{
    return w->regions[r->region];
}

static void rel(struct rp_json_writer *jw, const char *type, const char *id, const char *name,
                const char *relname)
{
    OBJ(jw);
    if (id && *id) KS(jw, "resourceId", id);
    if (name && *name) KS(jw, "resourceName", name);
    KS(jw, "resourceType", type);
    KS(jw, "name", relname);
    END(jw);
}

static void config_tags(struct rp_json_writer *jw, const struct rp_sim_res *r, const char *key,
                        const char *kname, const char *vname)
{
    KARR(jw, key);
    for (uint32_t i = 0; i < r->ntags; i++) {
        OBJ(jw);
        KS(jw, kname, r->tags[i].key);
        KS(jw, vname, r->tags[i].value);
        END(jw);
    }
    AEND(jw);
}

rp_err rp_sim_urlencode_append(struct rp_buf *out, const char *s)
{
    static const char hx[] = "0123456789ABCDEF";
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.' || c == '~';
        rp_err e;
        if (keep) {
            e = rp_buf_putc(out, (char)c);
        } else {
            char t[3] = {'%', hx[c >> 4], hx[c & 15]};
            e = rp_buf_append(out, t, 3);
        }
        if (e != RP_OK) return e;
    }
    return RP_OK;
}

/* kv with the URL-encoded form of doc. */
static void k_urlenc(struct rp_json_writer *jw, struct cfg_state *st, const char *k,
                     const char *doc)
{
    rp_buf_reset(&st->text);
    if (!doc || rp_sim_urlencode_append(&st->text, doc) != RP_OK) {
        KN(jw, k);
        return;
    }
    rp_json_write_kv_str(jw, k, st->text.data ? st->text.data : "", st->text.len);
}

void rp_sim_s3_canonical_id(const struct rp_sim_world *w, uint32_t acct, char out[65])
{
    static const char hx[] = "0123456789abcdef";
    uint64_t h = rp_sim_mix(w->seed, rp_sim_hash_str(w->accounts[acct].res.id));
    for (int i = 0; i < 64; i++) {
        if (i % 16 == 0) h = rp_sim_mix(h, (uint64_t)i);
        out[i] = hx[(h >> (4 * (i % 16))) & 15];
    }
    out[64] = '\0';
}

/* ---- policy documents generated from entity flags ---------------------------------------------
 */

static rp_err trust_doc(const struct rp_sim_role *ro, const struct rp_sim_world *w,
                        struct rp_buf *out)
{
    if (ro->trust_doc) return rp_buf_append_str(out, ro->trust_doc);
    rp_err e = rp_buf_append_str(out, "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":"
                                      "\"Allow\",\"Principal\":{");
    if (e != RP_OK) return e;
    if (ro->trust_service[0])
        return rp_buf_printf(out, "\"Service\":\"%s\"},\"Action\":\"sts:AssumeRole\"}]}",
                             ro->trust_service);
    if (ro->trust_federated[0])
        return rp_buf_printf(out,
                             "\"Federated\":\"%s\"},\"Action\":\"sts:AssumeRoleWithWebIdentity\","
                             "\"Condition\":{\"StringEquals\":{\"token.actions.githubusercontent."
                             "com:aud\":\"sts.amazonaws.com\"},\"StringLike\":{\"token.actions."
                             "githubusercontent.com:sub\":\"repo:%s/*\"}}}]}",
                             ro->trust_federated, w->company);
    if (ro->external_id[0])
        return rp_buf_printf(out,
                             "\"AWS\":\"%s\"},\"Action\":\"sts:AssumeRole\",\"Condition\":{"
                             "\"StringEquals\":{\"sts:ExternalId\":\"%s\"}}}]}",
                             ro->trust_aws, ro->external_id);
    return rp_buf_printf(out,
                         "\"AWS\":\"%s\"},\"Action\":\"sts:AssumeRole\",\"Condition\":{\"Bool\":"
                         "{\"aws:MultiFactorAuthPresent\":\"true\"}}}]}",
                         ro->trust_aws);
}

/* The bucket policy implied by the bucket's flags, or "" when it has none. */
static rp_err bucket_policy(const struct rp_sim_world *w, uint32_t bi, struct rp_buf *out)
{
    const struct rp_sim_bucket *b = &w->buckets[bi];
    if (b->policy_override) return rp_buf_append_str(out, b->policy_override);
    const char *acct = acct_of(w, &b->res), *n = b->res.name;
    size_t start = out->len;
    int nst = 0;
    rp_err e = RP_OK;
#define ST(...)                                                                                    \
    do {                                                                                           \
        if (e == RP_OK && nst++) e = rp_buf_putc(out, ',');                                        \
        if (e == RP_OK) e = rp_buf_printf(out, __VA_ARGS__);                                       \
    } while (0)
    if (b->tls_only)
        ST("{\"Sid\":\"DenyInsecureTransport\",\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":"
           "\"s3:*\",\"Resource\":[\"arn:aws:s3:::%s\",\"arn:aws:s3:::%s/*\"],\"Condition\":{"
           "\"Bool\":{\"aws:SecureTransport\":\"false\"}}}",
           n, n);
    if (b->policy_public)
        ST("{\"Sid\":\"PublicRead\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":"
           "\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::%s/*\"}",
           n);
    if (b->purpose == RP_SIM_BUCKET_LOGS) {
        ST("{\"Sid\":\"AWSCloudTrailAclCheck\",\"Effect\":\"Allow\",\"Principal\":{\"Service\":"
           "\"cloudtrail.amazonaws.com\"},\"Action\":\"s3:GetBucketAcl\",\"Resource\":"
           "\"arn:aws:s3:::%s\"}",
           n);
        ST("{\"Sid\":\"AWSCloudTrailWrite\",\"Effect\":\"Allow\",\"Principal\":{\"Service\":"
           "\"cloudtrail.amazonaws.com\"},\"Action\":\"s3:PutObject\",\"Resource\":"
           "\"arn:aws:s3:::%s/AWSLogs/%s/*\",\"Condition\":{\"StringEquals\":{\"s3:x-amz-acl\":"
           "\"bucket-owner-full-control\"}}}",
           n, acct);
        ST("{\"Sid\":\"AWSLogDeliveryWrite\",\"Effect\":\"Allow\",\"Principal\":{\"Service\":"
           "\"delivery.logs.amazonaws.com\"},\"Action\":\"s3:PutObject\",\"Resource\":"
           "\"arn:aws:s3:::%s/AWSLogs/%s/"
           "*\",\"Condition\":{\"StringEquals\":{\"aws:SourceAccount\":"
           "\"%s\"}}}",
           n, acct, acct);
        ST("{\"Sid\":\"AWSConfigBucketDelivery\",\"Effect\":\"Allow\",\"Principal\":{\"Service\":"
           "\"config.amazonaws.com\"},\"Action\":\"s3:PutObject\",\"Resource\":"
           "\"arn:aws:s3:::%s/AWSLogs/%s/Config/*\"}",
           n, acct);
    }
    if (b->purpose == RP_SIM_BUCKET_WEB)
        for (uint32_t i = 0; i < w->ncloudfronts; i++)
            if (w->cloudfronts[i].origin_bucket == bi && w->cloudfronts[i].oac)
                ST("{\"Sid\":\"AllowCloudFrontServicePrincipal\",\"Effect\":\"Allow\","
                   "\"Principal\":{\"Service\":\"cloudfront.amazonaws.com\"},\"Action\":"
                   "\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::%s/*\",\"Condition\":{"
                   "\"StringEquals\":{\"AWS:SourceArn\":\"%s\"}}}",
                   n, w->cloudfronts[i].res.arn);
#undef ST
    if (e != RP_OK) return e;
    if (nst == 0) return RP_OK;
    /* wrap the statements */
    size_t body = out->len - start;
    static const char head[] = "{\"Version\":\"2012-10-17\",\"Statement\":[";
    e = rp_buf_reserve(out, sizeof(head) - 1 + 2);
    if (e != RP_OK) return e;
    memmove(out->data + start + sizeof(head) - 1, out->data + start, body);
    memcpy(out->data + start, head, sizeof(head) - 1);
    rp_buf_commit(out, sizeof(head) - 1);
    return rp_buf_append(out, "]}", 2);
}

static rp_err access_point_policy(const struct rp_sim_world *w,
                                  const struct rp_sim_access_point *ap, struct rp_buf *out)
{
    if (ap->policy_override) return rp_buf_append_str(out, ap->policy_override);
    const char *acct = acct_of(w, &ap->res);
    if (ap->policy_public)
        return rp_buf_printf(out,
                             "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                             "\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":"
                             "\"%s/object/*\"}]}",
                             ap->res.arn);
    return rp_buf_printf(
        out,
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
        "\"Principal\":{\"AWS\":\"arn:aws:iam::%s:root\"},\"Action\":"
        "[\"s3:GetObject\",\"s3:ListBucket\"],\"Resource\":[\"%s\",\"%s/object/*\"]"
        "}]}",
        acct, ap->res.arn, ap->res.arn);
}

/* ---- configuration items per kind ---------------------------------------------------------------
 */

struct ci {
    const struct rp_sim_world *w;
    struct cfg_state *st;
    struct rp_json_writer *jw;
    uint32_t idx;
    const struct rp_sim_res *res;
};

static const char *kms_arn(const struct rp_sim_world *w, uint32_t k)
{
    return k < w->nkms_keys ? w->kms_keys[k].res.arn : NULL;
}

static void sg_pairs(struct rp_json_writer *jw, const struct rp_sim_world *w, const uint32_t *sgs,
                     uint32_t n, const char *idkey, const char *namekey)
{
    ARR(jw);
    for (uint32_t i = 0; i < n; i++) {
        OBJ(jw);
        KS(jw, namekey, w->sgs[sgs[i]].res.name);
        KS(jw, idkey, w->sgs[sgs[i]].res.id);
        END(jw);
    }
    AEND(jw);
}

static void rel_sgs(struct rp_json_writer *jw, const struct rp_sim_world *w, const uint32_t *sgs,
                    uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        rel(jw, "AWS::EC2::SecurityGroup", w->sgs[sgs[i]].res.id, NULL,
            "Is associated with SecurityGroup");
}

static void ci_vpc(struct ci *c)
{
    const struct rp_sim_world *w = c->w;
    struct rp_json_writer *jw = c->jw;
    const struct rp_sim_vpc *v = &w->vpcs[c->idx];
    KARR(jw, "relationships");
    for (uint32_t i = 0; i < w->nnacls; i++)
        if (w->nacls[i].vpc == c->idx && !w->nacls[i].res.deleted_ms)
            rel(jw, "AWS::EC2::NetworkAcl", w->nacls[i].res.id, NULL, "Contains NetworkAcl");
    for (uint32_t i = 0; i < w->nenis; i++)
        if (w->enis[i].vpc == c->idx && !w->enis[i].res.deleted_ms)
            rel(jw, "AWS::EC2::NetworkInterface", w->enis[i].res.id, NULL,
                "Contains NetworkInterface");
    for (uint32_t i = 0; i < w->ninstances; i++)
        if (w->instances[i].vpc == c->idx && !w->instances[i].res.deleted_ms)
            rel(jw, "AWS::EC2::Instance", w->instances[i].res.id, NULL, "Contains Instance");
    if (v->igw != RP_SIM_NONE)
        rel(jw, "AWS::EC2::InternetGateway", w->igws[v->igw].res.id, NULL,
            "Is attached to InternetGateway");
    if (v->vgw != RP_SIM_NONE)
        rel(jw, "AWS::EC2::VPNGateway", w->vgws[v->vgw].res.id, NULL, "Is attached to VpnGateway");
    for (uint32_t i = 0; i < w->nroute_tables; i++)
        if (w->route_tables[i].vpc == c->idx && !w->route_tables[i].res.deleted_ms)
            rel(jw, "AWS::EC2::RouteTable", w->route_tables[i].res.id, NULL, "Contains RouteTable");
    for (uint32_t i = 0; i < w->nsgs; i++)
        if (w->sgs[i].vpc == c->idx && !w->sgs[i].res.deleted_ms)
            rel(jw, "AWS::EC2::SecurityGroup", w->sgs[i].res.id, NULL, "Contains SecurityGroup");
    for (uint32_t i = 0; i < w->nsubnets; i++)
        if (w->subnets[i].vpc == c->idx && !w->subnets[i].res.deleted_ms)
            rel(jw, "AWS::EC2::Subnet", w->subnets[i].res.id, NULL, "Contains Subnet");
    AEND(jw);
    KOBJ(jw, "configuration");
    KS(jw, "cidrBlock", v->cidr);
    KS(jw, "dhcpOptionsId", v->dhcp_options);
    KS(jw, "state", "available");
    KS(jw, "vpcId", v->res.id);
    KS(jw, "ownerId", acct_of(w, &v->res));
    KS(jw, "instanceTenancy", "default");
    KARR(jw, "ipv6CidrBlockAssociationSet");
    AEND(jw);
    KARR(jw, "cidrBlockAssociationSet");
    OBJ(jw);
    char assoc[40];
    rp_sim_fmt(assoc, sizeof(assoc), "vpc-cidr-assoc-%s", v->res.id + 4);
    KS(jw, "associationId", assoc);
    KS(jw, "cidrBlock", v->cidr);
    KOBJ(jw, "cidrBlockState");
    KS(jw, "state", "associated");
    END(jw);
    END(jw);
    AEND(jw);
    KB(jw, "isDefault", v->is_default);
    config_tags(jw, &v->res, "tags", "key", "value");
    END(jw);
    KOBJ(jw, "supplementaryConfiguration");
    END(jw);
}

static void ci_subnet(struct ci *c)
{
    const struct rp_sim_world *w = c->w;
    struct rp_json_writer *jw = c->jw;
    const struct rp_sim_subnet *s = &w->subnets[c->idx];
    KARR(jw, "relationships");
    if (s->nacl != RP_SIM_NONE)
        rel(jw, "AWS::EC2::NetworkAcl", w->nacls[s->nacl].res.id, NULL,
            "Is attached to NetworkAcl");
    uint32_t used = 0;
    for (uint32_t i = 0; i < w->nenis; i++)
        if (w->enis[i].subnet == c->idx && !w->enis[i].res.deleted_ms) {
            rel(jw, "AWS::EC2::NetworkInterface", w->enis[i].res.id, NULL,
                "Contains NetworkInterface");
            used++;
        }
    for (uint32_t i = 0; i < w->ninstances; i++)
        if (w->instances[i].subnet == c->idx && !w->instances[i].res.deleted_ms)
            rel(jw, "AWS::EC2::Instance", w->instances[i].res.id, NULL, "Contains Instance");
    if (s->route_table != RP_SIM_NONE)
        rel(jw, "AWS::EC2::RouteTable", w->route_tables[s->route_table].res.id, NULL,
            "Is associated with RouteTable");
    rel(jw, "AWS::EC2::VPC", w->vpcs[s->vpc].res.id, NULL, "Is contained in Vpc");
    AEND(jw);
    KOBJ(jw, "configuration");
    KS(jw, "availabilityZone", s->az);
    KS(jw, "availabilityZoneId", s->az_id);
    unsigned plen = 24;
    const char *slash = strchr(s->cidr, '/');
    if (slash) plen = (unsigned)strtoul(slash + 1, NULL, 10);
    int64_t avail = plen <= 28 ? ((int64_t)1 << (32 - plen)) - 5 - (int64_t)used : 0;
    KI(jw, "availableIpAddressCount", avail < 0 ? 0 : avail);
    KS(jw, "cidrBlock", s->cidr);
    KB(jw, "defaultForAz", w->vpcs[s->vpc].is_default);
    KB(jw, "mapPublicIpOnLaunch", s->map_public_ip);
    KS(jw, "state", "available");
    KS(jw, "subnetId", s->res.id);
    KS(jw, "vpcId", w->vpcs[s->vpc].res.id);
    KS(jw, "ownerId", acct_of(w, &s->res));
    KB(jw, "assignIpv6AddressOnCreation", false);
    KARR(jw, "ipv6CidrBlockAssociationSet");
    AEND(jw);
    config_tags(jw, &s->res, "tags", "key", "value");
    KS(jw, "subnetArn", s->res.arn);
    END(jw);
    KOBJ(jw, "supplementaryConfiguration");
    END(jw);
}

static const char *rt_origin(const struct rp_sim_route *r)
{
    if (r->target_kind == RP_SIM_RT_LOCAL) return "CreateRouteTable";
    return r->propagated ? "EnableVgwRoutePropagation" : "CreateRoute";
}

static void ci_route_table(struct ci *c)
{
    const struct rp_sim_world *w = c->w;
    struct rp_json_writer *jw = c->jw;
    const struct rp_sim_route_table *t = &w->route_tables[c->idx];
    KARR(jw, "relationships");
    for (uint32_t i = 0; i < w->nsubnets; i++)
        if (w->subnets[i].route_table == c->idx && !w->subnets[i].res.deleted_ms)
            rel(jw, "AWS::EC2::Subnet", w->subnets[i].res.id, NULL, "Contains Subnet");
    for (uint32_t i = 0; i < t->nroutes; i++)
        if (t->routes[i].target_kind == RP_SIM_RT_IGW)
            rel(jw, "AWS::EC2::InternetGateway", w->igws[t->routes[i].target].res.id, NULL,
                "Contains InternetGateway");
    if (t->propagating_vgw != RP_SIM_NONE)
        rel(jw, "AWS::EC2::VPNGateway", w->vgws[t->propagating_vgw].res.id, NULL,
            "Is associated with VpnGateway");
    rel(jw, "AWS::EC2::VPC", w->vpcs[t->vpc].res.id, NULL, "Is contained in Vpc");
    AEND(jw);
    KOBJ(jw, "configuration");
    KARR(jw, "associations");
    uint64_t h = rp_sim_hash_str(t->res.id);
    char aid[40];
    if (t->main) {
        OBJ(jw);
        KB(jw, "main", true);
        rp_sim_fmt(aid, sizeof(aid), "rtbassoc-0%016llx", (unsigned long long)h);
        KS(jw, "routeTableAssociationId", aid);
        KS(jw, "routeTableId", t->res.id);
        KOBJ(jw, "associationState");
        KS(jw, "state", "associated");
        END(jw);
        END(jw);
    }
    for (uint32_t i = 0; i < w->nsubnets; i++) {
        if (w->subnets[i].route_table != c->idx || w->subnets[i].res.deleted_ms) continue;
        if (t->main && w->vpcs[t->vpc].is_default) continue; /* implicit association */
        OBJ(jw);
        KB(jw, "main", false);
        rp_sim_fmt(aid, sizeof(aid), "rtbassoc-0%016llx",
                   (unsigned long long)rp_sim_mix(h, rp_sim_hash_str(w->subnets[i].res.id)));
        KS(jw, "routeTableAssociationId", aid);
        KS(jw, "routeTableId", t->res.id);
        KS(jw, "subnetId", w->subnets[i].res.id);
        KOBJ(jw, "associationState");
        KS(jw, "state", "associated");
        END(jw);
        END(jw);
    }
    AEND(jw);
    KARR(jw, "propagatingVgws");
    if (t->propagating_vgw != RP_SIM_NONE) {
        OBJ(jw);
        KS(jw, "gatewayId", w->vgws[t->propagating_vgw].res.id);
        END(jw);
    }
    AEND(jw);
    KS(jw, "routeTableId", t->res.id);
    KARR(jw, "routes");
    for (uint32_t i = 0; i < t->nroutes; i++) {
        const struct rp_sim_route *r = &t->routes[i];
        /* propagated routes exist only while propagation is enabled for their gateway */
        if (r->propagated && t->propagating_vgw != r->target) continue;
        OBJ(jw);
        KS(jw, "destinationCidrBlock", r->dest);
        switch (r->target_kind) {
        case RP_SIM_RT_LOCAL:
            KS(jw, "gatewayId", "local");
            break;
        case RP_SIM_RT_IGW:
            KS(jw, "gatewayId", w->igws[r->target].res.id);
            break;
        case RP_SIM_RT_VGW:
            KS(jw, "gatewayId", w->vgws[r->target].res.id);
            break;
        case RP_SIM_RT_NAT:
            KS(jw, "natGatewayId", w->natgws[r->target].res.id);
            break;
        case RP_SIM_RT_INSTANCE:
            KS(jw, "instanceId", w->instances[r->target].res.id);
            KS(jw, "instanceOwnerId", acct_of(w, &t->res));
            break;
        case RP_SIM_RT_PEERING:
            KS(jw, "vpcPeeringConnectionId", "pcx-0000000000000000");
            break;
        }
        KS(jw, "origin", rt_origin(r));
        KS(jw, "state", "active");
        END(jw);
    }
    AEND(jw);
    config_tags(jw, &t->res, "tags", "key", "value");
    KS(jw, "vpcId", w->vpcs[t->vpc].res.id);
    KS(jw, "ownerId", acct_of(w, &t->res));
    END(jw);
    KOBJ(jw, "supplementaryConfiguration");
    END(jw);
}

static void ci_igw(struct ci *c)
{
    const struct rp_sim_world *w = c->w;
    struct rp_json_writer *jw = c->jw;
    const struct rp_sim_igw *g = &w->igws[c->idx];
    KARR(jw, "relationships");
    rel(jw, "AWS::EC2::VPC", w->vpcs[g->vpc].res.id, NULL, "Is attached to Vpc");
    AEND(jw);
    KOBJ(jw, "configuration");
    KARR(jw, "attachments");
    OBJ(jw);
    KS(jw, "state", "available");
    KS(jw, "vpcId", w->vpcs[g->vpc].res.id);
    END(jw);
    AEND(jw);
    KS(jw, "internetGatewayId", g->res.id);
    KS(jw, "ownerId", acct_of(w, &g->res));
    config_tags(jw, &g->res, "tags", "key", "value");
    END(jw);
    KOBJ(jw, "supplementaryConfiguration");
    END(jw);
}

static void ci_natgw(struct ci *c)
{
    const struct rp_sim_world *w = c->w;
    struct rp_json_writer *jw = c->jw;
    const struct rp_sim_natgw *n = &w->natgws[c->idx];
    KARR(jw, "relationships");
    rel(jw, "AWS::EC2::VPC", w->vpcs[n->vpc].res.id, NULL, "Is contained in Vpc");
    rel(jw, "AWS::EC2::Subnet", w->subnets[n->subnet].res.id, NULL, "Is contained in Subnet");
    rel(jw, "AWS::EC2::NetworkInterface", w->enis[n->eni].res.id, NULL,
        "Is attached to NetworkInterface");
    AEND(jw);
    KOBJ(jw, "configuration");
    KI(jw, "createTime", n->res.created_ms);
    KARR(jw, "natGatewayAddresses");
    OBJ(jw);
    KS(jw, "allocationId", n->allocation_id);
    KS(jw, "networkInterfaceId", w->enis[n->eni].res.id);
    KS(jw, "privateIp", n->private_ip);
    KS(jw, "publicIp", n->public_ip);
    END(jw);
    AEND(jw);
    KS(jw, "natGatewayId", n->res.id);
    KS(jw, "state", "available");
    KS(jw, "subnetId", w->subnets[n->subnet].res.id);
    KS(jw, "vpcId", w->vpcs[n->vpc].res.id);
    config_tags(jw, &n->res, "tags", "key", "value");
    KS(jw, "connectivityType", "public");
    END(jw);
    KOBJ(jw, "supplementaryConfiguration");
    END(jw);
}

static const char *proto_str(int p, char buf[8])
{
    if (p < 0) return "-1";
    rp_sim_fmt(buf, 8, "%d", p);
    return buf;
}

static void ci_nacl(struct ci *c)
{
    const struct rp_sim_world *w = c->w;
    struct rp_json_writer *jw = c->jw;
    const struct rp_sim_nacl *n = &w->nacls[c->idx];
    KARR(jw, "relationships");
    for (uint32_t i = 0; i < w->nsubnets; i++)
        if (w->subnets[i].nacl == c->idx && !w->subnets[i].res.deleted_ms)
            rel(jw, "AWS::EC2::Subnet", w->subnets[i].res.id, NULL, "Is attached to Subnet");
    rel(jw, "AWS::EC2::VPC", w->vpcs[n->vpc].res.id, NULL, "Is contained in Vpc");
    AEND(jw);
    KOBJ(jw, "configuration");
    KARR(jw, "associations");
    for (uint32_t i = 0; i < w->nsubnets; i++) {
        if (w->subnets[i].nacl != c->idx || w->subnets[i].res.deleted_ms) continue;
        OBJ(jw);
        char aid[40];
        rp_sim_fmt(aid, sizeof(aid), "aclassoc-0%016llx",
                   (unsigned long long)rp_sim_mix(rp_sim_hash_str(n->res.id),
                                                  rp_sim_hash_str(w->subnets[i].res.id)));
        KS(jw, "networkAclAssociationId", aid);
        KS(jw, "networkAclId", n->res.id);
        KS(jw, "subnetId", w->subnets[i].res.id);
        END(jw);
    }
    AEND(jw);
    KARR(jw, "entries");
    for (uint32_t i = 0; i < n->nentries; i++) {
        const struct rp_sim_nacl_entry *e = &n->entries[i];
        char pb[8];
        OBJ(jw);
        KS(jw, "cidrBlock", e->cidr);
        KB(jw, "egress", e->egress);
        if (e->protocol == 6 || e->protocol == 17) {
            KOBJ(jw, "portRange");
            KI(jw, "from", e->port_from);
            KI(jw, "to", e->port_to);
            END(jw);
        }
        KS(jw, "protocol", proto_str(e->protocol, pb));
        KS(jw, "ruleAction", e->allow ? "allow" : "deny");
        KI(jw, "ruleNumber", e->rule);
        END(jw);
    }
    AEND(jw);
    KB(jw, "isDefault", n->is_default);
    KS(jw, "networkAclId", n->res.id);
    config_tags(jw, &n->res, "tags", "key", "value");
    KS(jw, "vpcId", w->vpcs[n->vpc].res.id);
    KS(jw, "ownerId", acct_of(w, &n->res));
    END(jw);
    KOBJ(jw, "supplementaryConfiguration");
    END(jw);
}

static void sg_perms(struct rp_json_writer *jw, const struct rp_sim_world *w,
                     const struct rp_sim_sg *s, const struct rp_sim_sg_rule *rules, uint32_t n)
{
    ARR(jw);
    for (uint32_t i = 0; i < n; i++) {
        const struct rp_sim_sg_rule *r = &rules[i];
        char pb[8];
        OBJ(jw);
        if (r->protocol >= 0) {
            KI(jw, "fromPort", r->port_from);
            KI(jw, "toPort", r->port_to);
        }
        KS(jw, "ipProtocol",
           r->protocol == 6    ? "tcp"
           : r->protocol == 17 ? "udp"
           : r->protocol == 1  ? "icmp"
                               : proto_str(r->protocol, pb));
        KARR(jw, "ipv6Ranges");
        AEND(jw);
        KARR(jw, "prefixListIds");
        AEND(jw);
        KARR(jw, "userIdGroupPairs");
        if (r->src_sg != RP_SIM_NONE) {
            OBJ(jw);
            if (r->description[0]) KS(jw, "description", r->description);
            KS(jw, "groupId", w->sgs[r->src_sg].res.id);
            KS(jw, "userId", acct_of(w, &s->res));
            END(jw);
        }
        AEND(jw);
        KARR(jw, "ipv4Ranges");
        if (r->cidr[0]) {
            OBJ(jw);
            KS(jw, "cidrIp", r->cidr);
            if (r->description[0]) KS(jw, "description", r->description);
            END(jw);
        }
        AEND(jw);
        KARR(jw, "ipRanges");
        if (r->cidr[0]) rp_json_write_cstr(jw, r->cidr);
        AEND(jw);
        END(jw);
    }
    AEND(jw);
}

static void ci_sg(struct ci *c)
{
    const struct rp_sim_world *w = c->w;
    struct rp_json_writer *jw = c->jw;
    const struct rp_sim_sg *s = &w->sgs[c->idx];
    KARR(jw, "relationships");
    for (uint32_t i = 0; i < w->ninstances; i++) {
        const struct rp_sim_instance *in = &w->instances[i];
        if (in->res.deleted_ms) continue;
        for (uint32_t k = 0; k < in->nsgs; k++)
            if (in->sgs[k] == c->idx)
                rel(jw, "AWS::EC2::Instance", in->res.id, NULL, "Is associated with Instance");
    }
    for (uint32_t i = 0; i < w->nenis; i++) {
        const struct rp_sim_eni *e = &w->enis[i];
        if (e->res.deleted_ms) continue;
        for (uint32_t k = 0; k < e->nsgs; k++)
            if (e->sgs[k] == c->idx)
                rel(jw, "AWS::EC2::NetworkInterface", e->res.id, NULL,
                    "Is associated with NetworkInterface");
    }
    rel(jw, "AWS::EC2::VPC", w->vpcs[s->vpc].res.id, NULL, "Is contained in Vpc");
    AEND(jw);
    KOBJ(jw, "configuration");
    KS(jw, "description", s->description);
    KS(jw, "groupName", s->res.name);
    KEY(jw, "ipPermissions");
    sg_perms(jw, w, s, s->ingress, s->ningress);
    KS(jw, "ownerId", acct_of(w, &s->res));
    KS(jw, "groupId", s->res.id);
    KEY(jw, "ipPermissionsEgress");
    sg_perms(jw, w, s, s->egress, s->negress);
    config_tags(jw, &s->res, "tags", "key", "value");
    KS(jw, "vpcId", w->vpcs[s->vpc].res.id);
    END(jw);
    KOBJ(jw, "supplementaryConfiguration");
    END(jw);
}

static void eni_body(struct rp_json_writer *jw, const struct rp_sim_world *w, uint32_t idx,
                     bool for_instance)
{
    const struct rp_sim_eni *e = &w->enis[idx];
    const struct rp_sim_subnet *s = &w->subnets[e->subnet];
    char dns[RP_SIM_DNS_SZ];
    char dashed[RP_SIM_IP_SZ];
    rp_strlcpy(dashed, e->private_ip, sizeof(dashed));
    for (char *p = dashed; *p; p++)
        if (*p == '.') *p = '-';
    if (strcmp(region_of(w, &e->res), "us-east-1") == 0)
        rp_sim_fmt(dns, sizeof(dns), "ip-%s.ec2.internal", dashed);
    else
        rp_sim_fmt(dns, sizeof(dns), "ip-%s.%s.compute.internal", dashed, region_of(w, &e->res));
    if (e->public_ip[0]) {
        KOBJ(jw, "association");
        KS(jw, "ipOwnerId", "amazon");
        KS(jw, "publicIp", e->public_ip);
        END(jw);
    }
    if (e->use == RP_SIM_ENI_INSTANCE && e->owner < w->ninstances) {
        KOBJ(jw, "attachment");
        char aid[40];
        rp_sim_fmt(aid, sizeof(aid), "eni-attach-0%016llx",
                   (unsigned long long)rp_sim_hash_str(e->res.id));
        KS(jw, "attachmentId", aid);
        KI(jw, "deviceIndex", 0);
        KS(jw, "status", "attached");
        kts(jw, "attachTime", w->instances[e->owner].res.created_ms);
        KB(jw, "deleteOnTermination", true);
        if (!for_instance) {
            KS(jw, "instanceId", w->instances[e->owner].res.id);
            KS(jw, "instanceOwnerId", acct_of(w, &e->res));
        }
        END(jw);
    }
    if (!for_instance) KS(jw, "availabilityZone", s->az);
    KS(jw, "description", e->description);
    KEY(jw, "groups");
    sg_pairs(jw, w, e->sgs, e->nsgs, "groupId", "groupName");
    if (!for_instance) KS(jw, "interfaceType", e->interface_type);
    KS(jw, "macAddress", e->mac);
    KS(jw, "networkInterfaceId", e->res.id);
    KS(jw, "ownerId", acct_of(w, &e->res));
    KS(jw, "privateDnsName", dns);
    KS(jw, "privateIpAddress", e->private_ip);
    KARR(jw, "privateIpAddresses");
    OBJ(jw);
    if (e->public_ip[0]) {
        KOBJ(jw, "association");
        KS(jw, "ipOwnerId", "amazon");
        KS(jw, "publicIp", e->public_ip);
        END(jw);
    }
    KB(jw, "primary", true);
    KS(jw, "privateDnsName", dns);
    KS(jw, "privateIpAddress", e->private_ip);
    END(jw);
    AEND(jw);
    if (!for_instance) {
        KB(jw, "requesterManaged", e->requester_managed);
        if (e->requester_managed)
            KS(jw, "requesterId",
               e->use == RP_SIM_ENI_LAMBDA ? "AROAJQ2LEHASNSF6ZOO6Y:lambda" : "amazon-aws");
    }
    KB(jw, "sourceDestCheck", e->use != RP_SIM_ENI_NATGW);
    KS(jw, "status", "in-use");
    KS(jw, "subnetId", s->res.id);
    if (!for_instance) {
        KARR(jw, "tagSet");
        AEND(jw);
    }
    KS(jw, "vpcId", w->vpcs[e->vpc].res.id);
}

static void ci_eni(struct ci *c)
{
    const struct rp_sim_world *w = c->w;
    struct rp_json_writer *jw = c->jw;
    const struct rp_sim_eni *e = &w->enis[c->idx];
    KARR(jw, "relationships");
    if (e->use == RP_SIM_ENI_INSTANCE && e->owner < w->ninstances)
        rel(jw, "AWS::EC2::Instance", w->instances[e->owner].res.id, NULL,
            "Is attached to Instance");
    rel_sgs(jw, w, e->sgs, e->nsgs);
    rel(jw, "AWS::EC2::Subnet", w->subnets[e->subnet].res.id, NULL, "Is contained in Subnet");
    rel(jw, "AWS::EC2::VPC", w->vpcs[e->vpc].res.id, NULL, "Is contained in Vpc");
    AEND(jw);
    KOBJ(jw, "configuration");
    eni_body(jw, w, c->idx, false);
    END(jw);
    KOBJ(jw, "supplementaryConfiguration");
    END(jw);
}

static void ci_instance(struct ci *c)
{
    const struct rp_sim_world *w = c->w;
    struct rp_json_writer *jw = c->jw;
    const struct rp_sim_instance *in = &w->instances[c->idx];
    KARR(jw, "relationships");
    rel(jw, "AWS::EC2::NetworkInterface", w->enis[in->eni].res.id, NULL,
        "Contains NetworkInterface");
    rel_sgs(jw, w, in->sgs, in->nsgs);
    rel(jw, "AWS::EC2::Subnet", w->subnets[in->subnet].res.id, NULL, "Is contained in Subnet");
    for (uint32_t i = 0; i < in->nvolumes; i++)
        rel(jw, "AWS::EC2::Volume", w->volumes[in->volumes[i]].res.id, NULL,
            "Is attached to Volume");
    rel(jw, "AWS::EC2::VPC", w->vpcs[in->vpc].res.id, NULL, "Is contained in Vpc");
    AEND(jw);
    bool running = strcmp(in->state, "running") == 0;
    KOBJ(jw, "configuration");
    KI(jw, "amiLaunchIndex", 0);
    KS(jw, "imageId", in->ami);
    KS(jw, "instanceId", in->res.id);
    KS(jw, "instanceType", in->type);
    KS(jw, "keyName", in->key_name);
    kts(jw, "launchTime", in->res.created_ms);
    KOBJ(jw, "monitoring");
    KS(jw, "state", in->monitoring ? "enabled" : "disabled");
    END(jw);
    KOBJ(jw, "placement");
    KS(jw, "availabilityZone", in->az);
    KS(jw, "groupName", "");
    KS(jw, "tenancy", "default");
    END(jw);
    KS(jw, "platformDetails", "Linux/UNIX");
    KS(jw, "privateDnsName", in->private_dns);
    KS(jw, "privateIpAddress", in->private_ip);
    KARR(jw, "productCodes");
    AEND(jw);
    KS(jw, "publicDnsName", running ? in->public_dns : "");
    if (in->public_ip[0] && running) KS(jw, "publicIpAddress", in->public_ip);
    KOBJ(jw, "state");
    KI(jw, "code", running ? 16 : strcmp(in->state, "stopped") == 0 ? 80 : 48);
    KS(jw, "name", in->state);
    END(jw);
    KS(jw, "subnetId", w->subnets[in->subnet].res.id);
    KS(jw, "vpcId", w->vpcs[in->vpc].res.id);
    KS(jw, "architecture", "x86_64");
    KARR(jw, "blockDeviceMappings");
    for (uint32_t i = 0; i < in->nvolumes; i++) {
        const struct rp_sim_volume *v = &w->volumes[in->volumes[i]];
        OBJ(jw);
        KS(jw, "deviceName", v->device);
        KOBJ(jw, "ebs");
        kts(jw, "attachTime", in->res.created_ms);
        KB(jw, "deleteOnTermination", i == 0);
        KS(jw, "status", "attached");
        KS(jw, "volumeId", v->res.id);
        END(jw);
        END(jw);
    }
    AEND(jw);
    char tok[40];
    rp_sim_fmt(tok, sizeof(tok), "%016llx", (unsigned long long)rp_sim_hash_str(in->res.id));
    KS(jw, "clientToken", tok);
    KB(jw, "ebsOptimized", true);
    KB(jw, "enaSupport", true);
    KS(jw, "hypervisor", "xen");
    if (in->profile_role != RP_SIM_NONE) {
        const struct rp_sim_role *ro = &w->roles[in->profile_role];
        KOBJ(jw, "iamInstanceProfile");
        KS(jw, "arn", ro->profile_arn);
        KS(jw, "id", ro->profile_id);
        END(jw);
    }
    KARR(jw, "networkInterfaces");
    OBJ(jw);
    eni_body(jw, w, in->eni, true);
    END(jw);
    AEND(jw);
    KS(jw, "rootDeviceName", in->nvolumes ? w->volumes[in->volumes[0]].device : "/dev/xvda");
    KS(jw, "rootDeviceType", "ebs");
    KEY(jw, "securityGroups");
    sg_pairs(jw, w, in->sgs, in->nsgs, "groupId", "groupName");
    KB(jw, "sourceDestCheck", true);
    KS(jw, "stateTransitionReason", "");
    config_tags(jw, &in->res, "tags", "key", "value");
    KS(jw, "virtualizationType", "hvm");
    KOBJ(jw, "metadataOptions");
    KS(jw, "state", "applied");
    KS(jw, "httpTokens", in->imdsv2_required ? "required" : "optional");
    KI(jw, "httpPutResponseHopLimit", in->eks != RP_SIM_NONE ? 2 : 1);
    KS(jw, "httpEndpoint", "enabled");
    KS(jw, "httpProtocolIpv6", "disabled");
    KS(jw, "instanceMetadataTags", "disabled");
    END(jw);
    END(jw);
    KOBJ(jw, "supplementaryConfiguration");
    END(jw);
}

static void ci_volume(struct ci *c)
{
    const struct rp_sim_world *w = c->w;
    struct rp_json_writer *jw = c->jw;
    const struct rp_sim_volume *v = &w->volumes[c->idx];
    KARR(jw, "relationships");
    if (v->instance != RP_SIM_NONE)
        rel(jw, "AWS::EC2::Instance", w->instances[v->instance].res.id, NULL,
            "Is attached to Instance");
    AEND(jw);
    KOBJ(jw, "configuration");
    KARR(jw, "attachments");
    if (v->instance != RP_SIM_NONE) {
        OBJ(jw);
        kts(jw, "attachTime", w->instances[v->instance].res.created_ms);
        KS(jw, "device", v->device);
        KS(jw, "instanceId", w->instances[v->instance].res.id);
        KS(jw, "state", "attached");
        KS(jw, "volumeId", v->res.id);
        KB(jw, "deleteOnTermination", strcmp(v->device, "/dev/sdf") != 0);
        END(jw);
    }
    AEND(jw);
    KS(jw, "availabilityZone", v->az);
    kts(jw, "createTime", v->res.created_ms);
    KB(jw, "encrypted", v->encrypted);
    if (v->encrypted) {
        if (v->kms != RP_SIM_NONE)
            KS(jw, "kmsKeyId", kms_arn(w, v->kms));
        else {
            char arn[RP_SIM_ARN_SZ];
            rp_sim_fmt(arn, sizeof(arn), "arn:aws:kms:%s:%s:alias/aws/ebs", region_of(w, &v->res),
                       acct_of(w, &v->res));
            KS(jw, "kmsKeyId", arn);
        }
    }
    KI(jw, "size", v->size_gb);
    KS(jw, "snapshotId", v->snapshot_id);
    KS(jw, "state", v->instance != RP_SIM_NONE ? "in-use" : "available");
    KS(jw, "volumeId", v->res.id);
    KI(jw, "iops", 3000);
    config_tags(jw, &v->res, "tags", "key", "value");
    KS(jw, "volumeType", v->type);
    KB(jw, "multiAttachEnabled", false);
    KI(jw, "throughput", 125);
    END(jw);
    KOBJ(jw, "supplementaryConfiguration");
    END(jw);
}

static void ci_lb(struct ci *c)
{
    const struct rp_sim_world *w = c->w;
    struct rp_json_writer *jw = c->jw;
    const struct rp_sim_lb *lb = &w->lbs[c->idx];
    KARR(jw, "relationships");
    rel_sgs(jw, w, lb->sgs, lb->nsgs);
    for (uint32_t i = 0; i < lb->nsubnets; i++)
        rel(jw, "AWS::EC2::Subnet", w->subnets[lb->subnets[i]].res.id, NULL,
            "Is attached to Subnet");
    rel(jw, "AWS::EC2::VPC", w->vpcs[lb->vpc].res.id, NULL, "Is contained in Vpc");
    AEND(jw);
    KOBJ(jw, "configuration");
    KS(jw, "loadBalancerArn", lb->res.arn);
    KS(jw, "dNSName", lb->dns);
    KS(jw, "canonicalHostedZoneId", lb->zone_id);
    kts(jw, "createdTime", lb->res.created_ms);
    KS(jw, "loadBalancerName", lb->res.name);
    KS(jw, "scheme", lb->internet_facing ? "internet-facing" : "internal");
    KS(jw, "vpcId", w->vpcs[lb->vpc].res.id);
    KOBJ(jw, "state");
    KS(jw, "code", "active");
    END(jw);
    KS(jw, "type", lb->application ? "application" : "network");
    KARR(jw, "availabilityZones");
    for (uint32_t i = 0; i < lb->nsubnets; i++) {
        OBJ(jw);
        KS(jw, "zoneName", w->subnets[lb->subnets[i]].az);
        KS(jw, "subnetId", w->subnets[lb->subnets[i]].res.id);
        KARR(jw, "loadBalancerAddresses");
        AEND(jw);
        END(jw);
    }
    AEND(jw);
    KARR(jw, "securityGroups");
    for (uint32_t i = 0; i < lb->nsgs; i++) rp_json_write_cstr(jw, w->sgs[lb->sgs[i]].res.id);
    AEND(jw);
    KS(jw, "ipAddressType", "ipv4");
    END(jw);
    KOBJ(jw, "supplementaryConfiguration");
    KARR(jw, "LoadBalancerAttributes");
    static const char *const keys[] = {
        "access_logs.s3.enabled",       "access_logs.s3.bucket",
        "access_logs.s3.prefix",        "deletion_protection.enabled",
        "idle_timeout.timeout_seconds", "routing.http.drop_invalid_header_fields.enabled",
        "routing.http2.enabled"};
    uint32_t logb = w->accounts[lb->res.acct].log_bucket;
    for (unsigned i = 0; i < RP_ARRAY_LEN(keys); i++) {
        OBJ(jw);
        KS(jw, "key", keys[i]);
        const char *v = "false";
        if (i == 0) v = lb->access_logs ? "true" : "false";
        if (i == 1) v = lb->access_logs && logb != RP_SIM_NONE ? w->buckets[logb].res.name : "";
        if (i == 2) v = lb->access_logs ? "elb" : "";
        if (i == 4) v = "60";
        if (i == 5) v = lb->drop_invalid_headers ? "true" : "false";
        if (i == 6) v = "true";
        KS(jw, "value", v);
        END(jw);
    }
    AEND(jw);
    KARR(jw, "Tags");
    AEND(jw);
    END(jw);
}

static void ci_asg(struct ci *c)
{
    const struct rp_sim_world *w = c->w;
    struct rp_json_writer *jw = c->jw;
    const struct rp_sim_asg *a = &w->asgs[c->idx];
    KARR(jw, "relationships");
    for (uint32_t i = 0; i < a->nsubnets; i++)
        rel(jw, "AWS::EC2::Subnet", w->subnets[a->subnets[i]].res.id, NULL,
            "Is associated with Subnet");
    for (uint32_t i = 0; i < a->ninstances; i++)
        if (!w->instances[a->instances[i]].res.deleted_ms)
            rel(jw, "AWS::EC2::Instance", w->instances[a->instances[i]].res.id, NULL,
                "Contains Instance");
    AEND(jw);
    KOBJ(jw, "configuration");
    KS(jw, "autoScalingGroupName", a->res.name);
    KS(jw, "autoScalingGroupARN", a->res.arn);
    KOBJ(jw, "launchTemplate");
    KS(jw, "launchTemplateId", a->launch_template_id);
    KS(jw, "launchTemplateName", a->launch_template_name);
    KS(jw, "version", "$Latest");
    END(jw);
    KI(jw, "minSize", a->min);
    KI(jw, "maxSize", a->max);
    KI(jw, "desiredCapacity", a->desired);
    KI(jw, "defaultCooldown", 300);
    KARR(jw, "availabilityZones");
    for (uint32_t i = 0; i < a->nsubnets; i++) rp_json_write_cstr(jw, w->subnets[a->subnets[i]].az);
    AEND(jw);
    KARR(jw, "loadBalancerNames");
    AEND(jw);
    KARR(jw, "targetGroupARNs");
    if (a->lb != RP_SIM_NONE) rp_json_write_cstr(jw, w->lbs[a->lb].tg_arn);
    AEND(jw);
    KS(jw, "healthCheckType", a->lb != RP_SIM_NONE ? "ELB" : "EC2");
    KI(jw, "healthCheckGracePeriod", 300);
    KARR(jw, "instances");
    for (uint32_t i = 0; i < a->ninstances; i++) {
        const struct rp_sim_instance *in = &w->instances[a->instances[i]];
        if (in->res.deleted_ms) continue;
        OBJ(jw);
        KS(jw, "instanceId", in->res.id);
        KS(jw, "instanceType", in->type);
        KS(jw, "availabilityZone", in->az);
        KS(jw, "lifecycleState", "InService");
        KS(jw, "healthStatus", "Healthy");
        KOBJ(jw, "launchTemplate");
        KS(jw, "launchTemplateId", a->launch_template_id);
        KS(jw, "launchTemplateName", a->launch_template_name);
        KS(jw, "version", "1");
        END(jw);
        KB(jw, "protectedFromScaleIn", false);
        END(jw);
    }
    AEND(jw);
    KI(jw, "createdTime", a->res.created_ms);
    KARR(jw, "suspendedProcesses");
    AEND(jw);
    char zones[RP_SIM_MAX_SUBNETS * (RP_SIM_ID_SZ + 1)] = "";
    size_t zl = 0;
    for (uint32_t i = 0; i < a->nsubnets; i++)
        zl += (size_t)rp_sim_fmt(zones + zl, sizeof(zones) - zl, "%s%s", i ? "," : "",
                                 w->subnets[a->subnets[i]].res.id);
    KS(jw, "vpczoneIdentifier", zones);
    KARR(jw, "enabledMetrics");
    AEND(jw);
    config_tags(jw, &a->res, "tags", "key", "value");
    KARR(jw, "terminationPolicies");
    rp_json_write_cstr(jw, "Default");
    AEND(jw);
    KB(jw, "newInstancesProtectedFromScaleIn", false);
    char slr[RP_SIM_ARN_SZ];
    rp_sim_fmt(slr, sizeof(slr),
               "arn:aws:iam::%s:role/aws-service-role/autoscaling.amazonaws.com/"
               "AWSServiceRoleForAutoScaling",
               acct_of(w, &a->res));
    KS(jw, "serviceLinkedRoleARN", slr);
    KB(jw, "capacityRebalance", false);
    END(jw);
    KOBJ(jw, "supplementaryConfiguration");
    KARR(jw, "LifeCycleHooks");
    AEND(jw);
    END(jw);
}

static void db_subnet_group(struct rp_json_writer *jw, const struct rp_sim_world *w,
                            const struct rp_sim_db_instance *d)
{
    KOBJ(jw, "dBSubnetGroup");
    KS(jw, "dBSubnetGroupName", d->subnet_group);
    KS(jw, "dBSubnetGroupDescription", d->subnet_group);
    KS(jw, "vpcId", w->vpcs[d->vpc].res.id);
    KS(jw, "subnetGroupStatus", "Complete");
    KARR(jw, "subnets");
    for (uint32_t i = 0; i < d->nsubnets; i++) {
        OBJ(jw);
        KS(jw, "subnetIdentifier", w->subnets[d->subnets[i]].res.id);
        KOBJ(jw, "subnetAvailabilityZone");
        KS(jw, "name", w->subnets[d->subnets[i]].az);
        END(jw);
        KS(jw, "subnetStatus", "Active");
        END(jw);
    }
    AEND(jw);
    END(jw);
}

static void vpc_sgs(struct rp_json_writer *jw, const struct rp_sim_world *w, const uint32_t *sgs,
                    uint32_t n)
{
    KARR(jw, "vpcSecurityGroups");
    for (uint32_t i = 0; i < n; i++) {
        OBJ(jw);
        KS(jw, "vpcSecurityGroupId", w->sgs[sgs[i]].res.id);
        KS(jw, "status", "active");
        END(jw);
    }
    AEND(jw);
}

static void ci_db_instance(struct ci *c)
{
    const struct rp_sim_world *w = c->w;
    struct rp_json_writer *jw = c->jw;
    const struct rp_sim_db_instance *d = &w->db_instances[c->idx];
    KARR(jw, "relationships");
    rel(jw, "AWS::RDS::DBSubnetGroup", NULL, d->subnet_group, "Is associated with DBSubnetGroup");
    rel_sgs(jw, w, d->sgs, d->nsgs);
    if (d->cluster != RP_SIM_NONE)
        rel(jw, "AWS::RDS::DBCluster", w->db_clusters[d->cluster].res.id,
            w->db_clusters[d->cluster].res.name, "Is contained in DBCluster");
    AEND(jw);
    KOBJ(jw, "configuration");
    KS(jw, "dBInstanceIdentifier", d->res.name);
    KS(jw, "dBInstanceClass", d->instance_class);
    KS(jw, "engine", d->engine);
    KS(jw, "dBInstanceStatus", "available");
    KS(jw, "masterUsername", d->master_user);
    KOBJ(jw, "endpoint");
    KS(jw, "address", d->endpoint);
    KI(jw, "port", d->port);
    char zone[16];
    rp_sim_fmt(zone, sizeof(zone), "Z%012llX",
               (unsigned long long)(rp_sim_hash_str(region_of(w, &d->res)) & 0xffffffffffffull));
    KS(jw, "hostedZoneId", zone);
    END(jw);
    KI(jw, "allocatedStorage", d->storage_gb);
    kts(jw, "instanceCreateTime", d->res.created_ms);
    KS(jw, "preferredBackupWindow", "03:10-03:40");
    KI(jw, "backupRetentionPeriod", d->backup_days);
    KARR(jw, "dBSecurityGroups");
    AEND(jw);
    vpc_sgs(jw, w, d->sgs, d->nsgs);
    KS(jw, "availabilityZone", d->az);
    db_subnet_group(jw, w, d);
    KS(jw, "preferredMaintenanceWindow", "sun:05:00-sun:05:30");
    KB(jw, "multiAZ", d->multi_az);
    KS(jw, "engineVersion", d->engine_version);
    KB(jw, "autoMinorVersionUpgrade", d->auto_minor_upgrade);
    KARR(jw, "readReplicaDBInstanceIdentifiers");
    AEND(jw);
    KS(jw, "licenseModel",
       strncmp(d->engine, "aurora", 6) == 0 ? "postgresql-license"
       : strcmp(d->engine, "mysql") == 0    ? "general-public-license"
                                            : "postgresql-license");
    KB(jw, "publiclyAccessible", d->publicly_accessible);
    KS(jw, "storageType", d->cluster != RP_SIM_NONE ? "aurora" : "gp3");
    KI(jw, "dbInstancePort", 0);
    if (d->cluster != RP_SIM_NONE)
        KS(jw, "dBClusterIdentifier", w->db_clusters[d->cluster].res.name);
    KB(jw, "storageEncrypted", d->encrypted);
    if (d->encrypted) KS(jw, "kmsKeyId", kms_arn(w, d->kms));
    KS(jw, "dbiResourceId", d->res.id);
    KS(jw, "cACertificateIdentifier", "rds-ca-rsa2048-g1");
    KARR(jw, "domainMemberships");
    AEND(jw);
    KB(jw, "copyTagsToSnapshot", true);
    KI(jw, "monitoringInterval", 0);
    KS(jw, "dBInstanceArn", d->res.arn);
    KB(jw, "iAMDatabaseAuthenticationEnabled", d->iam_auth);
    KB(jw, "performanceInsightsEnabled", false);
    KB(jw, "deletionProtection", d->deletion_protection);
    KARR(jw, "enabledCloudwatchLogsExports");
    AEND(jw);
    END(jw);
    KOBJ(jw, "supplementaryConfiguration");
    config_tags(jw, &d->res, "Tags", "key", "value");
    END(jw);
}

static void ci_db_cluster(struct ci *c)
{
    const struct rp_sim_world *w = c->w;
    struct rp_json_writer *jw = c->jw;
    const struct rp_sim_db_cluster *d = &w->db_clusters[c->idx];
    KARR(jw, "relationships");
    rel(jw, "AWS::RDS::DBSubnetGroup", NULL, d->subnet_group, "Is associated with DBSubnetGroup");
    rel_sgs(jw, w, d->sgs, d->nsgs);
    for (uint32_t i = 0; i < d->nmembers; i++)
        rel(jw, "AWS::RDS::DBInstance", w->db_instances[d->members[i]].res.id,
            w->db_instances[d->members[i]].res.name, "Contains DBInstance");
    AEND(jw);
    KOBJ(jw, "configuration");
    KI(jw, "allocatedStorage", 1);
    KARR(jw, "availabilityZones");
    for (uint32_t i = 0; i < d->nmembers; i++)
        rp_json_write_cstr(jw, w->db_instances[d->members[i]].az);
    AEND(jw);
    KI(jw, "backupRetentionPeriod", d->backup_days);
    KS(jw, "databaseName", "");
    KS(jw, "status", "available");
    KS(jw, "endpoint", d->endpoint);
    KS(jw, "readerEndpoint", d->reader_endpoint);
    KARR(jw, "customEndpoints");
    AEND(jw);
    KB(jw, "multiAZ", d->nmembers > 1);
    KS(jw, "engine", d->engine);
    KS(jw, "engineVersion", d->engine_version);
    KI(jw, "port", d->port);
    KS(jw, "masterUsername", d->master_user);
    KS(jw, "preferredBackupWindow", "04:48-05:18");
    KS(jw, "preferredMaintenanceWindow", "fri:03:50-fri:04:20");
    KARR(jw, "readReplicaIdentifiers");
    AEND(jw);
    vpc_sgs(jw, w, d->sgs, d->nsgs);
    KB(jw, "storageEncrypted", d->encrypted);
    if (d->encrypted) KS(jw, "kmsKeyId", kms_arn(w, d->kms));
    KS(jw, "dbClusterResourceId", d->res.id);
    KARR(jw, "associatedRoles");
    AEND(jw);
    KI(jw, "clusterCreateTime", d->res.created_ms);
    KARR(jw, "enabledCloudwatchLogsExports");
    AEND(jw);
    KS(jw, "engineMode", "provisioned");
    KB(jw, "deletionProtection", d->deletion_protection);
    KB(jw, "httpEndpointEnabled", false);
    KB(jw, "copyTagsToSnapshot", true);
    KB(jw, "crossAccountClone", false);
    KARR(jw, "domainMemberships");
    AEND(jw);
    config_tags(jw, &d->res, "tagList", "key", "value");
    KB(jw, "autoMinorVersionUpgrade", true);
    KS(jw, "dbclusterIdentifier", d->res.name);
    KB(jw, "iamdatabaseAuthenticationEnabled", d->iam_auth);
    KS(jw, "dbsubnetGroup", d->subnet_group);
    KARR(jw, "dbclusterMembers");
    for (uint32_t i = 0; i < d->nmembers; i++) {
        OBJ(jw);
        KB(jw, "isClusterWriter", i == 0);
        KI(jw, "promotionTier", 1);
        KS(jw, "dbinstanceIdentifier", w->db_instances[d->members[i]].res.name);
        KB(jw, "clusterWriter", i == 0);
        KS(jw, "dbclusterParameterGroupStatus", "in-sync");
        END(jw);
    }
    AEND(jw);
    KS(jw, "dbclusterArn", d->res.arn);
    END(jw);
    KOBJ(jw, "supplementaryConfiguration");
    config_tags(jw, &d->res, "Tags", "key", "value");
    END(jw);
}

static void ci_lambda(struct ci *c)
{
    const struct rp_sim_world *w = c->w;
    struct rp_json_writer *jw = c->jw;
    const struct rp_sim_lambda *l = &w->lambdas[c->idx];
    KARR(jw, "relationships");
    if (l->role != RP_SIM_NONE)
        rel(jw, "AWS::IAM::Role", NULL, w->roles[l->role].res.name, "Is associated with Role");
    rel_sgs(jw, w, l->sgs, l->nsgs);
    for (uint32_t i = 0; i < l->nsubnets; i++)
        rel(jw, "AWS::EC2::Subnet", w->subnets[l->subnets[i]].res.id, NULL,
            "Is contained in Subnet");
    AEND(jw);
    KOBJ(jw, "configuration");
    KS(jw, "functionName", l->res.name);
    KS(jw, "functionArn", l->res.arn);
    KS(jw, "runtime", l->runtime);
    KS(jw, "role", l->role != RP_SIM_NONE ? w->roles[l->role].res.arn : "");
    KS(jw, "handler", l->handler);
    KI(jw, "codeSize", (int64_t)l->code_size);
    KS(jw, "description", "");
    KI(jw, "timeout", l->timeout_s);
    KI(jw, "memorySize", l->memory_mb);
    char lm[40];
    struct rp_time_civil tc;
    if (rp_time_to_civil(l->last_modified_ms, &tc) != RP_OK) memset(&tc, 0, sizeof(tc));
    rp_sim_fmt(lm, sizeof(lm), "%04d-%02d-%02dT%02d:%02d:%02d.%03d+0000", tc.year, tc.month, tc.day,
               tc.hour, tc.minute, tc.second, tc.ms);
    KS(jw, "lastModified", lm);
    KS(jw, "codeSha256", l->code_sha256);
    KS(jw, "version", "$LATEST");
    KOBJ(jw, "vpcConfig");
    KARR(jw, "subnetIds");
    for (uint32_t i = 0; i < l->nsubnets; i++)
        rp_json_write_cstr(jw, w->subnets[l->subnets[i]].res.id);
    AEND(jw);
    KARR(jw, "securityGroupIds");
    for (uint32_t i = 0; i < l->nsgs; i++) rp_json_write_cstr(jw, w->sgs[l->sgs[i]].res.id);
    AEND(jw);
    END(jw);
    if (l->kms != RP_SIM_NONE) KS(jw, "kMSKeyArn", kms_arn(w, l->kms));
    KOBJ(jw, "tracingConfig");
    KS(jw, "mode", "PassThrough");
    END(jw);
    char rev[RP_SIM_UUID_SZ];
    struct rp_sim_rng r;
    rp_sim_rng_init(&r, rp_sim_hash_str(l->code_sha256), l->res.arn);
    rp_sim_rng_uuid(&r, rev);
    KS(jw, "revisionId", rev);
    KARR(jw, "layers");
    AEND(jw);
    KS(jw, "state", "Active");
    KS(jw, "packageType", "Zip");
    KARR(jw, "architectures");
    rp_json_write_cstr(jw, "x86_64");
    AEND(jw);
    KOBJ(jw, "ephemeralStorage");
    KI(jw, "size", 512);
    END(jw);
    END(jw);
    KOBJ(jw, "supplementaryConfiguration");
    KOBJ(jw, "Tags");
    for (uint32_t i = 0; i < l->res.ntags; i++) KS(jw, l->res.tags[i].key, l->res.tags[i].value);
    END(jw);
    if (l->public_url) {
        KOBJ(jw, "FunctionUrlConfig");
        KS(jw, "AuthType", "NONE");
        END(jw);
    }
    END(jw);
}

static void ci_kms(struct ci *c)
{
    const struct rp_sim_world *w = c->w;
    struct rp_json_writer *jw = c->jw;
    const struct rp_sim_kms_key *k = &w->kms_keys[c->idx];
    const char *acct = acct_of(w, &k->res);
    KARR(jw, "relationships");
    AEND(jw);
    KOBJ(jw, "configuration");
    KS(jw, "keyId", k->res.id);
    KS(jw, "arn", k->res.arn);
    KI(jw, "creationDate", k->res.created_ms);
    KB(jw, "enabled", strcmp(k->state, "Enabled") == 0);
    KS(jw, "description", k->description);
    KS(jw, "keyUsage", k->usage);
    KS(jw, "keyState", k->state);
    KS(jw, "origin", "AWS_KMS");
    KS(jw, "keyManager", k->customer_managed ? "CUSTOMER" : "AWS");
    KS(jw, "customerMasterKeySpec", k->spec);
    KS(jw, "keySpec", k->spec);
    KARR(jw, "encryptionAlgorithms");
    rp_json_write_cstr(jw, "SYMMETRIC_DEFAULT");
    AEND(jw);
    KARR(jw, "signingAlgorithms");
    AEND(jw);
    KB(jw, "multiRegion", false);
    KS(jw, "awsaccountId", acct);
    END(jw);
    KOBJ(jw, "supplementaryConfiguration");
    char pol[1024];
    rp_sim_fmt(
        pol, sizeof(pol),
        "{\n  \"Version\" : \"2012-10-17\",\n  \"Id\" : \"key-default-1\",\n  \"Statement\" "
        ": [ {\n    \"Sid\" : \"Enable IAM User Permissions\",\n    \"Effect\" : \"Allow\",\n "
        "   \"Principal\" : {\n      \"AWS\" : \"arn:aws:iam::%s:root\"\n    },\n    "
        "\"Action\" : \"kms:*\",\n    \"Resource\" : \"*\"\n  } ]\n}",
        acct);
    KS(jw, "Policy", pol);
    KB(jw, "KeyRotationStatus", k->rotation);
    if (k->alias[0]) {
        KARR(jw, "Aliases");
        OBJ(jw);
        KS(jw, "aliasName", k->alias);
        END(jw);
        AEND(jw);
    }
    KARR(jw, "Tags");
    AEND(jw);
    END(jw);
}

static void ci_trail(struct ci *c)
{
    const struct rp_sim_world *w = c->w;
    struct rp_json_writer *jw = c->jw;
    const struct rp_sim_trail *t = &w->trails[c->idx];
    KARR(jw, "relationships");
    AEND(jw);
    KOBJ(jw, "configuration");
    KS(jw, "name", t->res.name);
    KS(jw, "s3BucketName", t->bucket != RP_SIM_NONE ? w->buckets[t->bucket].res.name : "");
    if (t->prefix[0]) KS(jw, "s3KeyPrefix", t->prefix);
    KB(jw, "includeGlobalServiceEvents", t->global_events);
    KB(jw, "isMultiRegionTrail", t->multi_region);
    KS(jw, "homeRegion", region_of(w, &t->res));
    KS(jw, "trailARN", t->res.arn);
    KB(jw, "logFileValidationEnabled", t->validation);
    if (t->log_group_arn[0]) {
        KS(jw, "cloudWatchLogsLogGroupArn", t->log_group_arn);
        char role[RP_SIM_ARN_SZ];
        rp_sim_fmt(role, sizeof(role), "arn:aws:iam::%s:role/CloudTrail_CloudWatchLogs_Role",
                   acct_of(w, &t->res));
        KS(jw, "cloudWatchLogsRoleArn", role);
    }
    if (t->kms != RP_SIM_NONE) KS(jw, "kmsKeyId", kms_arn(w, t->kms));
    KB(jw, "hasCustomEventSelectors", t->s3_data_events);
    KB(jw, "hasInsightSelectors", false);
    KB(jw, "isOrganizationTrail", t->org_trail);
    END(jw);
    KOBJ(jw, "supplementaryConfiguration");
    KARR(jw, "Tags");
    AEND(jw);
    KARR(jw, "EventSelectors");
    OBJ(jw);
    KS(jw, "readWriteType", "All");
    KB(jw, "includeManagementEvents", true);
    KARR(jw, "dataResources");
    if (t->s3_data_events) {
        OBJ(jw);
        KS(jw, "type", "AWS::S3::Object");
        KARR(jw, "values");
        rp_json_write_cstr(jw, "arn:aws:s3");
        AEND(jw);
        END(jw);
    }
    AEND(jw);
    KARR(jw, "excludeManagementEventSources");
    AEND(jw);
    END(jw);
    AEND(jw);
    KOBJ(jw, "TrailStatus");
    KB(jw, "isLogging", t->logging);
    END(jw);
    END(jw);
}

static void ci_eks(struct ci *c)
{
    const struct rp_sim_world *w = c->w;
    struct rp_json_writer *jw = c->jw;
    const struct rp_sim_eks *k = &w->eks[c->idx];
    KARR(jw, "relationships");
    AEND(jw);
    KOBJ(jw, "configuration");
    KS(jw, "Name", k->res.name);
    KS(jw, "Arn", k->res.arn);
    KS(jw, "Version", k->version);
    KS(jw, "PlatformVersion", k->platform_version);
    KS(jw, "RoleArn", k->role != RP_SIM_NONE ? w->roles[k->role].res.arn : "");
    KS(jw, "Endpoint", k->endpoint);
    KS(jw, "ClusterStatus", "ACTIVE");
    KOBJ(jw, "ResourcesVpcConfig");
    KARR(jw, "SubnetIds");
    for (uint32_t i = 0; i < k->nsubnets; i++)
        rp_json_write_cstr(jw, w->subnets[k->subnets[i]].res.id);
    AEND(jw);
    KARR(jw, "SecurityGroupIds");
    if (k->sg != RP_SIM_NONE) rp_json_write_cstr(jw, w->sgs[k->sg].res.id);
    AEND(jw);
    KB(jw, "EndpointPublicAccess", k->public_endpoint);
    KB(jw, "EndpointPrivateAccess", k->private_endpoint);
    KARR(jw, "PublicAccessCidrs");
    for (uint32_t i = 0; i < k->npublic_cidrs; i++) rp_json_write_cstr(jw, k->public_cidrs[i]);
    AEND(jw);
    END(jw);
    KOBJ(jw, "KubernetesNetworkConfig");
    KS(jw, "ServiceIpv4Cidr", k->service_cidr);
    KS(jw, "IpFamily", "ipv4");
    END(jw);
    KOBJ(jw, "Logging");
    KOBJ(jw, "ClusterLogging");
    KARR(jw, "EnabledTypes");
    if (k->audit_logging) {
        static const char *const types[] = {"api", "audit", "authenticator"};
        for (unsigned i = 0; i < RP_ARRAY_LEN(types); i++) {
            OBJ(jw);
            KS(jw, "Type", types[i]);
            END(jw);
        }
    }
    AEND(jw);
    END(jw);
    END(jw);
    if (k->secrets_encryption && k->kms != RP_SIM_NONE) {
        KARR(jw, "EncryptionConfig");
        OBJ(jw);
        KARR(jw, "Resources");
        rp_json_write_cstr(jw, "secrets");
        AEND(jw);
        KOBJ(jw, "Provider");
        KS(jw, "KeyArn", kms_arn(w, k->kms));
        END(jw);
        END(jw);
        AEND(jw);
    }
    KS(jw, "OpenIdConnectIssuerUrl", k->oidc_issuer);
    config_tags(jw, &k->res, "Tags", "Key", "Value");
    END(jw);
    KOBJ(jw, "supplementaryConfiguration");
    END(jw);
}

static void ci_vgw(struct ci *c)
{
    const struct rp_sim_world *w = c->w;
    struct rp_json_writer *jw = c->jw;
    const struct rp_sim_vgw *g = &w->vgws[c->idx];
    KARR(jw, "relationships");
    if (g->vpc != RP_SIM_NONE)
        rel(jw, "AWS::EC2::VPC", w->vpcs[g->vpc].res.id, NULL, "Is attached to Vpc");
    AEND(jw);
    KOBJ(jw, "configuration");
    KS(jw, "vpnGatewayId", g->res.id);
    KS(jw, "state", "available");
    KS(jw, "type", "ipsec.1");
    KARR(jw, "vpcAttachments");
    if (g->vpc != RP_SIM_NONE) {
        OBJ(jw);
        KS(jw, "vpcId", w->vpcs[g->vpc].res.id);
        KS(jw, "state", "attached");
        END(jw);
    }
    AEND(jw);
    KI(jw, "amazonSideAsn", g->asn);
    config_tags(jw, &g->res, "tags", "key", "value");
    END(jw);
    KOBJ(jw, "supplementaryConfiguration");
    END(jw);
}

static void ci_cgw(struct ci *c)
{
    const struct rp_sim_world *w = c->w;
    struct rp_json_writer *jw = c->jw;
    const struct rp_sim_cgw *g = &w->cgws[c->idx];
    KARR(jw, "relationships");
    AEND(jw);
    KOBJ(jw, "configuration");
    KS(jw, "customerGatewayId", g->res.id);
    KS(jw, "state", "available");
    KS(jw, "type", "ipsec.1");
    KS(jw, "ipAddress", g->ip);
    char asn[16];
    rp_sim_fmt(asn, sizeof(asn), "%u", g->bgp_asn);
    KS(jw, "bgpAsn", asn);
    config_tags(jw, &g->res, "tags", "key", "value");
    END(jw);
    KOBJ(jw, "supplementaryConfiguration");
    END(jw);
}

static void ci_vpn(struct ci *c)
{
    const struct rp_sim_world *w = c->w;
    struct rp_json_writer *jw = c->jw;
    const struct rp_sim_vpn *v = &w->vpns[c->idx];
    KARR(jw, "relationships");
    rel(jw, "AWS::EC2::CustomerGateway", w->cgws[v->cgw].res.id, NULL,
        "Is attached to CustomerGateway");
    rel(jw, "AWS::EC2::VPNGateway", w->vgws[v->vgw].res.id, NULL, "Is attached to VpnGateway");
    AEND(jw);
    KOBJ(jw, "configuration");
    KS(jw, "vpnConnectionId", v->res.id);
    KS(jw, "state", "available");
    KS(jw, "type", "ipsec.1");
    KS(jw, "category", "VPN");
    KS(jw, "customerGatewayId", w->cgws[v->cgw].res.id);
    KS(jw, "vpnGatewayId", w->vgws[v->vgw].res.id);
    KOBJ(jw, "options");
    KB(jw, "staticRoutesOnly", v->static_routes);
    KS(jw, "localIpv4NetworkCidr", "0.0.0.0/0");
    KS(jw, "remoteIpv4NetworkCidr", "0.0.0.0/0");
    KARR(jw, "tunnelOptions");
    for (unsigned t = 0; t < 2; t++) {
        OBJ(jw);
        KS(jw, "outsideIpAddress", v->tunnel_ips[t]);
        KS(jw, "tunnelInsideCidr", v->tunnel_inside[t]);
        END(jw);
    }
    AEND(jw);
    END(jw);
    KARR(jw, "routes");
    for (uint32_t i = 0; i < v->nroutes; i++) {
        OBJ(jw);
        KS(jw, "destinationCidrBlock", v->routes[i]);
        KS(jw, "source", "Static");
        KS(jw, "state", "available");
        END(jw);
    }
    AEND(jw);
    KARR(jw, "vgwTelemetry");
    for (unsigned t = 0; t < 2; t++) {
        OBJ(jw);
        KI(jw, "acceptedRouteCount", v->accepted_routes[t]);
        kts(jw, "lastStatusChange", v->res.created_ms + (int64_t)(t + 1) * HOUR);
        KS(jw, "outsideIpAddress", v->tunnel_ips[t]);
        KS(jw, "status", v->tunnel_up[t] ? "UP" : "DOWN");
        KS(jw, "statusMessage", v->tunnel_up[t] ? "" : "IPSEC IS DOWN");
        END(jw);
    }
    AEND(jw);
    config_tags(jw, &v->res, "tags", "key", "value");
    END(jw);
    KOBJ(jw, "supplementaryConfiguration");
    END(jw);
}

static void ci_rest_api(struct ci *c)
{
    const struct rp_sim_world *w = c->w;
    struct rp_json_writer *jw = c->jw;
    const struct rp_sim_rest_api *a = &w->rest_apis[c->idx];
    KARR(jw, "relationships");
    AEND(jw);
    KOBJ(jw, "configuration");
    KS(jw, "id", a->res.id);
    KS(jw, "name", a->res.name);
    kts_java(jw, "createdDate", a->res.created_ms);
    KS(jw, "apiKeySource", "HEADER");
    KOBJ(jw, "endpointConfiguration");
    KARR(jw, "types");
    rp_json_write_cstr(jw, a->endpoint_type);
    AEND(jw);
    END(jw);
    KB(jw, "disableExecuteApiEndpoint", false);
    END(jw);
    KOBJ(jw, "supplementaryConfiguration");
    END(jw);
}

static void ci_stage(struct ci *c, uint32_t s)
{
    const struct rp_sim_world *w = c->w;
    struct rp_json_writer *jw = c->jw;
    const struct rp_sim_rest_api *a = &w->rest_apis[c->idx];
    const struct rp_sim_stage *st = &a->stages[s];
    KARR(jw, "relationships");
    rel(jw, "AWS::ApiGateway::RestApi", a->res.arn, a->res.name, "Is contained in RestApi");
    AEND(jw);
    KOBJ(jw, "configuration");
    KS(jw, "deploymentId", st->deployment_id);
    KS(jw, "stageName", st->name);
    KB(jw, "cacheClusterEnabled", st->cache);
    KS(jw, "cacheClusterStatus", st->cache ? "AVAILABLE" : "NOT_AVAILABLE");
    KOBJ(jw, "methodSettings");
    if (strcmp(st->log_level, "OFF") != 0 || st->cache) {
        KOBJ(jw, "*/*");
        KB(jw, "metricsEnabled", true);
        KS(jw, "loggingLevel", st->log_level);
        KB(jw, "dataTraceEnabled", false);
        KI(jw, "throttlingBurstLimit", 5000);
        KI(jw, "throttlingRateLimit", 10000);
        KB(jw, "cachingEnabled", st->cache);
        KI(jw, "cacheTtlInSeconds", 300);
        KB(jw, "cacheDataEncrypted", st->cache_encrypted);
        KB(jw, "requireAuthorizationForCacheControl", true);
        END(jw);
    }
    END(jw);
    if (st->access_logs) {
        KOBJ(jw, "accessLogSettings");
        char arn[RP_SIM_ARN_SZ];
        rp_sim_fmt(arn, sizeof(arn), "arn:aws:logs:%s:%s:log-group:API-Gateway-Access-Logs_%s/%s",
                   region_of(w, &a->res), acct_of(w, &a->res), a->res.id, st->name);
        KS(jw, "destinationArn", arn);
        KS(jw, "format",
           "{\"requestId\":\"$context.requestId\",\"ip\":\"$context.identity.sourceIp\","
           "\"requestTime\":\"$context.requestTime\",\"status\":\"$context.status\"}");
        END(jw);
    }
    KB(jw, "tracingEnabled", st->tracing);
    if (st->client_cert[0]) KS(jw, "clientCertificateId", st->client_cert);
    if (st->waf_acl_arn[0]) KS(jw, "webAclArn", st->waf_acl_arn);
    kts_java(jw, "createdDate", a->res.created_ms + HOUR);
    kts_java(jw, "lastUpdatedDate", a->res.created_ms + HOUR);
    END(jw);
    KOBJ(jw, "supplementaryConfiguration");
    END(jw);
}

static void ci_cloudfront(struct ci *c)
{
    const struct rp_sim_world *w = c->w;
    struct rp_json_writer *jw = c->jw;
    const struct rp_sim_cloudfront *d = &w->cloudfronts[c->idx];
    KARR(jw, "relationships");
    AEND(jw);
    char origin_id[RP_SIM_NAME_SZ + 8], origin_dns[RP_SIM_DNS_SZ + 32];
    bool s3 = d->origin_bucket != RP_SIM_NONE;
    if (s3) {
        rp_sim_fmt(origin_id, sizeof(origin_id), "S3-%s", w->buckets[d->origin_bucket].res.name);
        rp_sim_fmt(origin_dns, sizeof(origin_dns), "%s.s3.amazonaws.com",
                   w->buckets[d->origin_bucket].res.name);
    } else if (d->origin_lb != RP_SIM_NONE) {
        rp_sim_fmt(origin_id, sizeof(origin_id), "ELB-%s", w->lbs[d->origin_lb].res.name);
        rp_strlcpy(origin_dns, w->lbs[d->origin_lb].dns, sizeof(origin_dns));
    } else {
        rp_strlcpy(origin_id, "origin", sizeof(origin_id));
        rp_strlcpy(origin_dns, "example.invalid", sizeof(origin_dns));
    }
    KOBJ(jw, "configuration");
    KOBJ(jw, "activeTrustedSigners");
    KB(jw, "enabled", false);
    KI(jw, "quantity", 0);
    END(jw);
    KS(jw, "domainName", d->domain);
    kts(jw, "lastModifiedTime", d->res.created_ms);
    KOBJ(jw, "distributionConfig");
    KOBJ(jw, "viewerCertificate");
    KB(jw, "cloudFrontDefaultCertificate", true);
    KS(jw, "minimumProtocolVersion", d->min_tls);
    KS(jw, "certificateSource", "cloudfront");
    END(jw);
    KOBJ(jw, "logging");
    char lb[RP_SIM_NAME_SZ + 24] = "";
    if (d->logging && d->log_bucket != RP_SIM_NONE)
        rp_sim_fmt(lb, sizeof(lb), "%s.s3.amazonaws.com", w->buckets[d->log_bucket].res.name);
    KS(jw, "bucket", lb);
    KS(jw, "prefix", d->logging ? "cloudfront/" : "");
    KB(jw, "includeCookies", false);
    KB(jw, "enabled", d->logging);
    END(jw);
    KS(jw, "callerReference", d->res.id);
    KS(jw, "defaultRootObject", d->default_root_object);
    KS(jw, "priceClass", d->price_class);
    KS(jw, "httpVersion", "http2");
    KOBJ(jw, "defaultCacheBehavior");
    KS(jw, "targetOriginId", origin_id);
    KS(jw, "viewerProtocolPolicy", d->viewer_policy);
    KB(jw, "compress", true);
    KI(jw, "minTTL", 0);
    KI(jw, "defaultTTL", 86400);
    KI(jw, "maxTTL", 31536000);
    KOBJ(jw, "allowedMethods");
    KI(jw, "quantity", 2);
    KARR(jw, "items");
    rp_json_write_cstr(jw, "HEAD");
    rp_json_write_cstr(jw, "GET");
    AEND(jw);
    END(jw);
    END(jw);
    KOBJ(jw, "aliases");
    KI(jw, "quantity", 0);
    END(jw);
    KOBJ(jw, "restrictions");
    KOBJ(jw, "geoRestriction");
    KS(jw, "restrictionType", "none");
    KI(jw, "quantity", 0);
    END(jw);
    END(jw);
    KOBJ(jw, "origins");
    KI(jw, "quantity", 1);
    KARR(jw, "items");
    OBJ(jw);
    KS(jw, "id", origin_id);
    KS(jw, "domainName", origin_dns);
    KS(jw, "originPath", "");
    if (s3) {
        KOBJ(jw, "s3OriginConfig");
        KS(jw, "originAccessIdentity", "");
        END(jw);
        if (d->oac) {
            char oac[24];
            rp_sim_fmt(oac, sizeof(oac), "E%013llX",
                       (unsigned long long)(rp_sim_hash_str(d->res.id) & 0xfffffffffffffull));
            KS(jw, "originAccessControlId", oac);
        }
    } else {
        KOBJ(jw, "customOriginConfig");
        KI(jw, "httpPort", 80);
        KI(jw, "httpsPort", 443);
        KS(jw, "originProtocolPolicy", "https-only");
        KOBJ(jw, "originSslProtocols");
        KI(jw, "quantity", 1);
        KARR(jw, "items");
        rp_json_write_cstr(jw, "TLSv1.2");
        AEND(jw);
        END(jw);
        END(jw);
    }
    END(jw);
    AEND(jw);
    END(jw);
    char waf[RP_SIM_ARN_SZ] = "";
    if (d->waf)
        rp_sim_fmt(waf, sizeof(waf), "arn:aws:wafv2:us-east-1:%s:global/webacl/edge-protect/%s",
                   acct_of(w, &d->res), d->res.id);
    KS(jw, "webACLId", waf);
    KS(jw, "comment", "");
    KB(jw, "enabled", d->enabled);
    KB(jw, "isIPV6Enabled", true);
    END(jw);
    KS(jw, "arn", d->res.arn);
    KS(jw, "id", d->res.id);
    KS(jw, "status", "Deployed");
    END(jw);
    KOBJ(jw, "supplementaryConfiguration");
    END(jw);
}

static void ci_bucket(struct ci *c)
{
    const struct rp_sim_world *w = c->w;
    struct rp_json_writer *jw = c->jw;
    const struct rp_sim_bucket *b = &w->buckets[c->idx];
    char owner[65];
    rp_sim_s3_canonical_id(w, b->res.acct, owner);
    KARR(jw, "relationships");
    AEND(jw);
    KOBJ(jw, "configuration");
    KS(jw, "name", b->res.name);
    KOBJ(jw, "owner");
    KN(jw, "displayName");
    KS(jw, "id", owner);
    END(jw);
    kts(jw, "creationDate", b->res.created_ms);
    END(jw);
    KOBJ(jw, "supplementaryConfiguration");
    /* AccessControlList is a JSON document serialized into a string */
    struct rp_buf *t = &c->st->text;
    rp_buf_reset(t);
    rp_err e = rp_buf_printf(t,
                             "{\"grantSet\":null,\"grantList\":[{\"grantee\":{\"id\":\"%s\","
                             "\"displayName\":null},\"permission\":\"FullControl\"}",
                             owner);
    if (e == RP_OK && b->acl_public_read)
        e = rp_buf_append_str(t, ",{\"grantee\":\"AllUsers\",\"permission\":\"Read\"}");
    if (e == RP_OK && b->acl_public_write)
        e = rp_buf_append_str(t, ",{\"grantee\":\"AllUsers\",\"permission\":\"Write\"}");
    if (e == RP_OK && b->acl_log_delivery)
        e = rp_buf_append_str(t, ",{\"grantee\":\"LogDelivery\",\"permission\":\"Write\"},"
                                 "{\"grantee\":\"LogDelivery\",\"permission\":\"ReadAcp\"}");
    if (e == RP_OK)
        e = rp_buf_printf(t,
                          "],\"owner\":{\"displayName\":null,\"id\":\"%s\"},"
                          "\"isRequesterCharged\":false}",
                          owner);
    if (e == RP_OK)
        rp_json_write_kv_str(jw, "AccessControlList", t->data, t->len);
    else
        KN(jw, "AccessControlList");
    KOBJ(jw, "BucketAccelerateConfiguration");
    KN(jw, "status");
    END(jw);
    KOBJ(jw, "BucketLoggingConfiguration");
    if (b->log_target != RP_SIM_NONE) {
        KS(jw, "destinationBucketName", w->buckets[b->log_target].res.name);
        KS(jw, "logFilePrefix", b->log_prefix);
    } else {
        KN(jw, "destinationBucketName");
        KN(jw, "logFilePrefix");
    }
    END(jw);
    KOBJ(jw, "BucketNotificationConfiguration");
    KOBJ(jw, "configurations");
    END(jw);
    END(jw);
    KOBJ(jw, "BucketPolicy");
    rp_buf_reset(t);
    if (bucket_policy(w, c->idx, t) == RP_OK && t->len)
        rp_json_write_kv_str(jw, "policyText", t->data, t->len);
    else
        KN(jw, "policyText");
    END(jw);
    KOBJ(jw, "BucketVersioningConfiguration");
    KS(jw, "status",
       b->versioning == RP_SIM_VERSIONING_ENABLED     ? "Enabled"
       : b->versioning == RP_SIM_VERSIONING_SUSPENDED ? "Suspended"
                                                      : "Off");
    if (b->versioning == RP_SIM_VERSIONING_OFF)
        KN(jw, "isMfaDeleteEnabled");
    else
        KB(jw, "isMfaDeleteEnabled", b->mfa_delete);
    END(jw);
    KB(jw, "IsRequesterPaysEnabled", false);
    if (b->object_lock) {
        KOBJ(jw, "ObjectLockConfiguration");
        KS(jw, "objectLockEnabled", "Enabled");
        KN(jw, "rule");
        END(jw);
    }
    if (b->bpa_set) {
        KOBJ(jw, "PublicAccessBlockConfiguration");
        KB(jw, "blockPublicAcls", b->bpa[RP_SIM_BPA_BLOCK_PUBLIC_ACLS]);
        KB(jw, "ignorePublicAcls", b->bpa[RP_SIM_BPA_IGNORE_PUBLIC_ACLS]);
        KB(jw, "blockPublicPolicy", b->bpa[RP_SIM_BPA_BLOCK_PUBLIC_POLICY]);
        KB(jw, "restrictPublicBuckets", b->bpa[RP_SIM_BPA_RESTRICT_PUBLIC_BUCKETS]);
        END(jw);
    }
    if (b->sse != RP_SIM_SSE_NONE) {
        KOBJ(jw, "ServerSideEncryptionConfiguration");
        KARR(jw, "rules");
        OBJ(jw);
        KOBJ(jw, "applyServerSideEncryptionByDefault");
        KS(jw, "sseAlgorithm", b->sse == RP_SIM_SSE_KMS ? "aws:kms" : "AES256");
        if (b->sse == RP_SIM_SSE_KMS && b->kms != RP_SIM_NONE)
            KS(jw, "kmsMasterKeyID", kms_arn(w, b->kms));
        else
            KN(jw, "kmsMasterKeyID");
        END(jw);
        KB(jw, "bucketKeyEnabled", b->bucket_key);
        END(jw);
        AEND(jw);
        END(jw);
    }
    END(jw);
}

static void ci_access_point(struct ci *c)
{
    const struct rp_sim_world *w = c->w;
    struct rp_json_writer *jw = c->jw;
    const struct rp_sim_access_point *ap = &w->access_points[c->idx];
    KARR(jw, "relationships");
    rel(jw, "AWS::S3::Bucket", w->buckets[ap->bucket].res.name, w->buckets[ap->bucket].res.name,
        "Is associated with Bucket");
    AEND(jw);
    KOBJ(jw, "configuration");
    KS(jw, "Name", ap->res.name);
    KS(jw, "Arn", ap->res.arn);
    KS(jw, "Alias", ap->alias);
    KS(jw, "Bucket", w->buckets[ap->bucket].res.name);
    KS(jw, "BucketAccountId", acct_of(w, &w->buckets[ap->bucket].res));
    KS(jw, "NetworkOrigin", ap->vpc_origin ? "VPC" : "Internet");
    if (ap->vpc_origin && ap->vpc != RP_SIM_NONE) {
        KOBJ(jw, "VpcConfiguration");
        KS(jw, "VpcId", w->vpcs[ap->vpc].res.id);
        END(jw);
    }
    KOBJ(jw, "PublicAccessBlockConfiguration");
    KB(jw, "BlockPublicAcls", ap->bpa[RP_SIM_BPA_BLOCK_PUBLIC_ACLS]);
    KB(jw, "IgnorePublicAcls", ap->bpa[RP_SIM_BPA_IGNORE_PUBLIC_ACLS]);
    KB(jw, "BlockPublicPolicy", ap->bpa[RP_SIM_BPA_BLOCK_PUBLIC_POLICY]);
    KB(jw, "RestrictPublicBuckets", ap->bpa[RP_SIM_BPA_RESTRICT_PUBLIC_BUCKETS]);
    END(jw);
    struct rp_buf *t = &c->st->text;
    rp_buf_reset(t);
    if (access_point_policy(w, ap, t) == RP_OK && t->len) {
        KEY(jw, "Policy");
        rp_json_write_raw(jw, t->data, t->len);
    }
    END(jw);
    KOBJ(jw, "supplementaryConfiguration");
    END(jw);
}

static void managed_list(struct rp_json_writer *jw, const struct rp_sim_world *w,
                         const uint32_t *pol, uint32_t n)
{
    KARR(jw, "attachedManagedPolicies");
    for (uint32_t i = 0; i < n; i++) {
        OBJ(jw);
        KS(jw, "policyName", w->policies[pol[i]].res.name);
        KS(jw, "policyArn", w->policies[pol[i]].res.arn);
        END(jw);
    }
    AEND(jw);
}

static void rel_policies(struct rp_json_writer *jw, const struct rp_sim_world *w,
                         const uint32_t *pol, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        const struct rp_sim_policy *p = &w->policies[pol[i]];
        if (p->aws_managed) continue; /* Config records customer-managed policies only */
        rel(jw, "AWS::IAM::Policy", p->res.id, p->res.name, "Is attached to CustomerManagedPolicy");
    }
}

static void inline_list(struct ci *c, const char *key, const char *name, const char *doc)
{
    struct rp_json_writer *jw = c->jw;
    KARR(jw, key);
    if (name && name[0] && doc) {
        OBJ(jw);
        KS(jw, "policyName", name);
        k_urlenc(jw, c->st, "policyDocument", doc);
        END(jw);
    }
    AEND(jw);
}

static void ci_user(struct ci *c)
{
    const struct rp_sim_world *w = c->w;
    struct rp_json_writer *jw = c->jw;
    const struct rp_sim_user *u = &w->users[c->idx];
    KARR(jw, "relationships");
    for (uint32_t i = 0; i < u->ngroups; i++)
        rel(jw, "AWS::IAM::Group", w->groups[u->groups[i]].res.id, w->groups[u->groups[i]].res.name,
            "Is attached to Group");
    rel_policies(jw, w, u->policies, u->npolicies);
    AEND(jw);
    KOBJ(jw, "configuration");
    KS(jw, "path", u->path);
    KS(jw, "userName", u->res.name);
    KS(jw, "userId", u->res.id);
    KS(jw, "arn", u->res.arn);
    kts(jw, "createDate", u->res.created_ms);
    inline_list(c, "userPolicyList", u->inline_name, u->inline_doc);
    KARR(jw, "groupList");
    for (uint32_t i = 0; i < u->ngroups; i++)
        rp_json_write_cstr(jw, w->groups[u->groups[i]].res.name);
    AEND(jw);
    managed_list(jw, w, u->policies, u->npolicies);
    KN(jw, "permissionsBoundary");
    config_tags(jw, &u->res, "tags", "key", "value");
    END(jw);
    KOBJ(jw, "supplementaryConfiguration");
    END(jw);
}

static void ci_group(struct ci *c)
{
    const struct rp_sim_world *w = c->w;
    struct rp_json_writer *jw = c->jw;
    const struct rp_sim_group *g = &w->groups[c->idx];
    KARR(jw, "relationships");
    for (uint32_t i = 0; i < w->nusers; i++) {
        const struct rp_sim_user *u = &w->users[i];
        if (u->res.deleted_ms) continue;
        for (uint32_t k = 0; k < u->ngroups; k++)
            if (u->groups[k] == c->idx)
                rel(jw, "AWS::IAM::User", u->res.id, u->res.name, "Contains User");
    }
    rel_policies(jw, w, g->policies, g->npolicies);
    AEND(jw);
    KOBJ(jw, "configuration");
    KS(jw, "path", g->path);
    KS(jw, "groupName", g->res.name);
    KS(jw, "groupId", g->res.id);
    KS(jw, "arn", g->res.arn);
    kts(jw, "createDate", g->res.created_ms);
    inline_list(c, "groupPolicyList", g->inline_name, g->inline_doc);
    managed_list(jw, w, g->policies, g->npolicies);
    END(jw);
    KOBJ(jw, "supplementaryConfiguration");
    END(jw);
}

static void ci_role(struct ci *c)
{
    const struct rp_sim_world *w = c->w;
    struct rp_json_writer *jw = c->jw;
    const struct rp_sim_role *ro = &w->roles[c->idx];
    KARR(jw, "relationships");
    rel_policies(jw, w, ro->policies, ro->npolicies);
    AEND(jw);
    /* trust policy into the scratch text (k_urlenc reuses it, so keep a copy) */
    struct rp_buf trust;
    rp_buf_init(&trust, 64 << 10);
    bool have_trust = trust_doc(ro, w, &trust) == RP_OK;
    KOBJ(jw, "configuration");
    KS(jw, "path", ro->path);
    KS(jw, "roleName", ro->res.name);
    KS(jw, "roleId", ro->res.id);
    KS(jw, "arn", ro->res.arn);
    kts(jw, "createDate", ro->res.created_ms);
    k_urlenc(jw, c->st, "assumeRolePolicyDocument", have_trust ? rp_buf_cstr(&trust) : NULL);
    KARR(jw, "instanceProfileList");
    if (ro->profile_name[0]) {
        OBJ(jw);
        KS(jw, "path", ro->path);
        KS(jw, "instanceProfileName", ro->profile_name);
        KS(jw, "instanceProfileId", ro->profile_id);
        KS(jw, "arn", ro->profile_arn);
        kts(jw, "createDate", ro->res.created_ms);
        KARR(jw, "roles");
        OBJ(jw);
        KS(jw, "path", ro->path);
        KS(jw, "roleName", ro->res.name);
        KS(jw, "roleId", ro->res.id);
        KS(jw, "arn", ro->res.arn);
        kts(jw, "createDate", ro->res.created_ms);
        k_urlenc(jw, c->st, "assumeRolePolicyDocument", have_trust ? rp_buf_cstr(&trust) : NULL);
        END(jw);
        AEND(jw);
        END(jw);
    }
    AEND(jw);
    inline_list(c, "rolePolicyList", ro->inline_name, ro->inline_doc);
    managed_list(jw, w, ro->policies, ro->npolicies);
    KN(jw, "permissionsBoundary");
    config_tags(jw, &ro->res, "tags", "key", "value");
    if (ro->last_used_ms) {
        KOBJ(jw, "roleLastUsed");
        kts(jw, "lastUsedDate", ro->last_used_ms);
        KS(jw, "region", w->regions[ro->last_used_region < w->nregions ? ro->last_used_region : 0]);
        END(jw);
    }
    END(jw);
    KOBJ(jw, "supplementaryConfiguration");
    END(jw);
    rp_buf_release(&trust);
}

static void ci_policy(struct ci *c)
{
    const struct rp_sim_world *w = c->w;
    struct rp_json_writer *jw = c->jw;
    const struct rp_sim_policy *p = &w->policies[c->idx];
    KARR(jw, "relationships");
    uint32_t count = 0;
    for (uint32_t i = 0; i < w->nroles; i++)
        for (uint32_t k = 0; k < w->roles[i].npolicies; k++)
            if (w->roles[i].policies[k] == c->idx && !w->roles[i].res.deleted_ms) {
                rel(jw, "AWS::IAM::Role", w->roles[i].res.id, w->roles[i].res.name,
                    "Is attached to Role");
                count++;
            }
    for (uint32_t i = 0; i < w->nusers; i++)
        for (uint32_t k = 0; k < w->users[i].npolicies; k++)
            if (w->users[i].policies[k] == c->idx && !w->users[i].res.deleted_ms) {
                rel(jw, "AWS::IAM::User", w->users[i].res.id, w->users[i].res.name,
                    "Is attached to User");
                count++;
            }
    for (uint32_t i = 0; i < w->ngroups; i++)
        for (uint32_t k = 0; k < w->groups[i].npolicies; k++)
            if (w->groups[i].policies[k] == c->idx && !w->groups[i].res.deleted_ms) {
                rel(jw, "AWS::IAM::Group", w->groups[i].res.id, w->groups[i].res.name,
                    "Is attached to Group");
                count++;
            }
    AEND(jw);
    KOBJ(jw, "configuration");
    KS(jw, "policyName", p->res.name);
    KS(jw, "policyId", p->res.id);
    KS(jw, "arn", p->res.arn);
    KS(jw, "path", p->path);
    KS(jw, "defaultVersionId", p->version);
    KI(jw, "attachmentCount", count);
    KI(jw, "permissionsBoundaryUsageCount", 0);
    KB(jw, "isAttachable", true);
    KN(jw, "description");
    kts(jw, "createDate", p->res.created_ms);
    kts(jw, "updateDate", p->res.created_ms);
    KARR(jw, "policyVersionList");
    OBJ(jw);
    k_urlenc(jw, c->st, "document", p->doc);
    KS(jw, "versionId", p->version);
    KB(jw, "isDefaultVersion", true);
    kts(jw, "createDate", p->res.created_ms);
    END(jw);
    AEND(jw);
    END(jw);
    KOBJ(jw, "supplementaryConfiguration");
    END(jw);
}

static void ci_account_pab(struct ci *c)
{
    const struct rp_sim_account *a = &c->w->accounts[c->idx];
    struct rp_json_writer *jw = c->jw;
    KARR(jw, "relationships");
    AEND(jw);
    KOBJ(jw, "configuration");
    KB(jw, "blockPublicAcls", a->bpa[RP_SIM_BPA_BLOCK_PUBLIC_ACLS]);
    KB(jw, "ignorePublicAcls", a->bpa[RP_SIM_BPA_IGNORE_PUBLIC_ACLS]);
    KB(jw, "blockPublicPolicy", a->bpa[RP_SIM_BPA_BLOCK_PUBLIC_POLICY]);
    KB(jw, "restrictPublicBuckets", a->bpa[RP_SIM_BPA_RESTRICT_PUBLIC_BUCKETS]);
    END(jw);
    KOBJ(jw, "supplementaryConfiguration");
    END(jw);
}

/* ---- the common envelope ------------------------------------------------------------------- */

static const char *avail_zone(const struct rp_sim_world *w, int ct, uint32_t idx)
{
    switch (ct) {
    case RP_SIM_K_INSTANCE:
        return w->instances[idx].az;
    case RP_SIM_K_SUBNET:
        return w->subnets[idx].az;
    case RP_SIM_K_ENI:
        return w->subnets[w->enis[idx].subnet].az;
    case RP_SIM_K_VOLUME:
        return w->volumes[idx].az;
    case RP_SIM_K_DB_INSTANCE:
        return w->db_instances[idx].multi_az ? "Multiple Availability Zones"
                                             : w->db_instances[idx].az;
    case RP_SIM_K_VPC:
    case RP_SIM_K_IGW:
    case RP_SIM_K_NACL:
    case RP_SIM_K_LB:
    case RP_SIM_K_ASG:
    case RP_SIM_K_DB_CLUSTER:
        return "Multiple Availability Zones";
    case RP_SIM_K_BUCKET:
    case RP_SIM_K_TRAIL:
    case RP_SIM_K_EKS:
    case RP_SIM_K_VGW:
    case RP_SIM_K_VPN:
        return "Regional";
    default:
        return "Not Applicable";
    }
}

/* Render the CI of config type ct / entity idx (sub: stage index for CT_STAGE). */
static rp_err ci_render(const struct rp_sim_world *w, struct cfg_state *st, int ct, uint32_t idx,
                        uint32_t sub, int64_t capture_ms, const char *status, const char *event_id,
                        struct rp_buf *out)
{
    struct rp_json_writer jw;
    rp_json_writer_init(&jw, out);
    const struct rp_sim_res *res =
        ct == CT_STAGE ? &w->rest_apis[idx].res
        : ct == CT_ACCOUNT_PAB
            ? &w->accounts[idx].res
            : rp_sim_world_res(w, (struct rp_sim_ref){(enum rp_sim_kind)ct, idx});
    if (!res) return RP_EINVAL;
    struct ci c = {w, st, &jw, idx, res};
    OBJ(&jw);
    KARR(&jw, "relatedEvents");
    if (event_id && *event_id) rp_json_write_cstr(&jw, event_id);
    AEND(&jw);
    bool deleted = strcmp(status, "ResourceDeleted") == 0;
    if (deleted) { /* deleted items carry no configuration */
        KARR(&jw, "relationships");
        AEND(&jw);
        KN(&jw, "configuration");
        KOBJ(&jw, "supplementaryConfiguration");
        END(&jw);
    }
    switch (deleted ? -1 : ct) {
    case -1:
        break;
    case RP_SIM_K_USER:
        ci_user(&c);
        break;
    case RP_SIM_K_GROUP:
        ci_group(&c);
        break;
    case RP_SIM_K_ROLE:
        ci_role(&c);
        break;
    case RP_SIM_K_POLICY:
        ci_policy(&c);
        break;
    case RP_SIM_K_VPC:
        ci_vpc(&c);
        break;
    case RP_SIM_K_SUBNET:
        ci_subnet(&c);
        break;
    case RP_SIM_K_ROUTE_TABLE:
        ci_route_table(&c);
        break;
    case RP_SIM_K_IGW:
        ci_igw(&c);
        break;
    case RP_SIM_K_NATGW:
        ci_natgw(&c);
        break;
    case RP_SIM_K_NACL:
        ci_nacl(&c);
        break;
    case RP_SIM_K_SG:
        ci_sg(&c);
        break;
    case RP_SIM_K_ENI:
        ci_eni(&c);
        break;
    case RP_SIM_K_INSTANCE:
        ci_instance(&c);
        break;
    case RP_SIM_K_LB:
        ci_lb(&c);
        break;
    case RP_SIM_K_ASG:
        ci_asg(&c);
        break;
    case RP_SIM_K_VOLUME:
        ci_volume(&c);
        break;
    case RP_SIM_K_BUCKET:
        ci_bucket(&c);
        break;
    case RP_SIM_K_ACCESS_POINT:
        ci_access_point(&c);
        break;
    case RP_SIM_K_DB_INSTANCE:
        ci_db_instance(&c);
        break;
    case RP_SIM_K_DB_CLUSTER:
        ci_db_cluster(&c);
        break;
    case RP_SIM_K_LAMBDA:
        ci_lambda(&c);
        break;
    case RP_SIM_K_KMS_KEY:
        ci_kms(&c);
        break;
    case RP_SIM_K_TRAIL:
        ci_trail(&c);
        break;
    case RP_SIM_K_EKS:
        ci_eks(&c);
        break;
    case RP_SIM_K_VGW:
        ci_vgw(&c);
        break;
    case RP_SIM_K_CGW:
        ci_cgw(&c);
        break;
    case RP_SIM_K_VPN:
        ci_vpn(&c);
        break;
    case RP_SIM_K_REST_API:
        ci_rest_api(&c);
        break;
    case RP_SIM_K_CLOUDFRONT:
        ci_cloudfront(&c);
        break;
    case CT_STAGE:
        ci_stage(&c, sub);
        break;
    case CT_ACCOUNT_PAB:
        ci_account_pab(&c);
        break;
    default:
        return RP_EINVAL;
    }
    KOBJ(&jw, "tags");
    if (ct != CT_ACCOUNT_PAB && ct != CT_STAGE)
        for (uint32_t i = 0; i < res->ntags; i++) KS(&jw, res->tags[i].key, res->tags[i].value);
    END(&jw);
    KS(&jw, "configurationItemVersion", "1.3");
    kts(&jw, "configurationItemCaptureTime", capture_ms);
    KI(&jw, "configurationStateId", capture_ms);
    KS(&jw, "awsAccountId", w->accounts[res->acct].res.id);
    KS(&jw, "configurationItemStatus", status);
    KS(&jw, "resourceType", ctype_name(ct));
    char sid[RP_SIM_ARN_SZ + 32];
    const char *rid = res->id, *rname = res->name, *arn = res->arn;
    if (ct == CT_STAGE) {
        rp_sim_fmt(sid, sizeof(sid), "%s/stages/%s", res->arn, w->rest_apis[idx].stages[sub].name);
        rid = sid;
        rname = w->rest_apis[idx].stages[sub].name;
        arn = sid;
    } else if (ct == CT_ACCOUNT_PAB) {
        rname = "";
        arn = "";
    } else if (ct == RP_SIM_K_REST_API) {
        rid = res->arn;
    }
    KS(&jw, "resourceId", rid);
    KSN(&jw, "resourceName", rname);
    KSN(&jw, "ARN", arn);
    KS(&jw, "awsRegion", res->global ? "global" : w->regions[res->region]);
    KS(&jw, "availabilityZone", ct < RP_SIM_K__COUNT ? avail_zone(w, ct, idx) : "Not Applicable");
    KS(&jw, "configurationStateMd5Hash", "");
    if (ct != CT_ACCOUNT_PAB) kts(&jw, "resourceCreationTime", res->created_ms);
    END(&jw);
    return rp_json_writer_finish(&jw);
}

rp_err rp_sim_config_ci_append(const struct rp_sim_world *w, struct rp_sim_ref ref,
                               int64_t capture_ms, const char *status, const char *related_event_id,
                               struct rp_buf *out)
{
    struct cfg_state st;
    memset(&st, 0, sizeof(st));
    rp_buf_init(&st.text, 16 << 20);
    int ct = ref.kind == RP_SIM_K_ACCOUNT ? CT_ACCOUNT_PAB : (int)ref.kind;
    rp_err e = ci_render(w, &st, ct, ref.idx, 0, capture_ms, status, related_event_id, out);
    rp_buf_release(&st.text);
    return e;
}

/* ---- state, capture, history --------------------------------------------------------------- */

static struct pending *pend_at(struct cfg_state *st, const struct rp_sim_world *w, uint32_t acct,
                               uint32_t region, int ct)
{
    size_t i = ((size_t)acct * w->nregions + region) * CT__COUNT + (size_t)ct;
    return i < st->npend ? &st->pend[i] : NULL;
}

static rp_err pend_add(struct cfg_state *st, struct pending *p, int64_t ts, const char *data,
                       size_t len)
{
    if (p->n == p->cap) {
        size_t ncap = p->cap ? p->cap * 2 : 16;
        struct pend_ci *c = realloc(p->cis, ncap * sizeof(*c));
        if (!c) return RP_ENOMEM;
        p->cis = c;
        p->cap = ncap;
    }
    size_t off = p->data.len;
    rp_err e = rp_buf_append(&p->data, data, len);
    if (e != RP_OK) return e;
    p->cis[p->n++] = (struct pend_ci){ts, st->seq++, off, len};
    return RP_OK;
}

static int64_t *lastcap_slot(struct cfg_state *st, enum rp_sim_kind k, uint32_t idx)
{
    if (idx >= st->lastcap_n[k]) {
        uint32_t n = st->lastcap_n[k] ? st->lastcap_n[k] : 64;
        while (n <= idx) n *= 2;
        int64_t *p = realloc(st->lastcap[k], n * sizeof(*p));
        if (!p) return NULL;
        memset(p + st->lastcap_n[k], 0, (n - st->lastcap_n[k]) * sizeof(*p));
        st->lastcap[k] = p;
        st->lastcap_n[k] = n;
    }
    return &st->lastcap[k][idx];
}

static const char *status_of(enum rp_sim_change ch)
{
    return ch == RP_SIM_CHANGE_CREATE   ? "ResourceDiscovered"
           : ch == RP_SIM_CHANGE_DELETE ? "ResourceDeleted"
                                        : "OK";
}

static rp_err capture_ct(struct rp_sim_run *run, struct cfg_state *st, int ct, uint32_t idx,
                         uint32_t sub, const struct rp_sim_res *res, int64_t at,
                         enum rp_sim_change ch, const char *event_id, struct rp_errbuf *eb)
{
    const struct rp_sim_world *w = run->world;
    uint32_t region = res->global ? 0 : res->region;
    struct pending *p = pend_at(st, w, res->acct, region, ct);
    if (!p) return rp_fail(eb, RP_EINVAL, "simulate: config change outside the world");
    rp_buf_reset(&st->ci);
    rp_err e = ci_render(w, st, ct, idx, sub, at, status_of(ch), event_id, &st->ci);
    if (e == RP_OK) e = pend_add(st, p, at, st->ci.data, st->ci.len);
    if (e != RP_OK) return rp_fail(eb, e, "simulate: cannot capture a configuration item");
    return RP_OK;
}

rp_err rp_sim_config_capture(struct rp_sim_run *run, void *state, struct rp_sim_ref ref,
                             int64_t at_ms, enum rp_sim_change change, const char *related_event_id,
                             struct rp_errbuf *eb)
{
    struct cfg_state *st = state;
    const struct rp_sim_world *w = run->world;
    if (!st->pend) return RP_OK; /* before begin(): the first snapshot shows the state */
    const struct rp_sim_res *res = rp_sim_world_res(w, ref);
    if (!res) return rp_fail(eb, RP_EINVAL, "simulate: change of an unknown entity");
    int64_t *lc = lastcap_slot(st, ref.kind, ref.idx);
    if (!lc) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    *lc = at_ms;
    if (ref.kind == RP_SIM_K_ACCOUNT)
        return capture_ct(run, st, CT_ACCOUNT_PAB, ref.idx, 0, res, at_ms, change, related_event_id,
                          eb);
    if (ref.kind == RP_SIM_K_SNAPSHOT) return RP_OK; /* not recorded by Config (estate file) */
    if (ref.kind == RP_SIM_K_POLICY && w->policies[ref.idx].aws_managed) return RP_OK;
    rp_err e =
        capture_ct(run, st, (int)ref.kind, ref.idx, 0, res, at_ms, change, related_event_id, eb);
    if (e == RP_OK && ref.kind == RP_SIM_K_REST_API)
        for (uint32_t s = 0; s < w->rest_apis[ref.idx].nstages && e == RP_OK; s++)
            e = capture_ct(run, st, CT_STAGE, ref.idx, s, res, at_ms, change, related_event_id, eb);
    return e;
}

static int pend_cmp(const void *pa, const void *pb)
{
    const struct pend_ci *a = pa, *b = pb;
    if (a->ts != b->ts) return a->ts < b->ts ? -1 : 1;
    return a->seq < b->seq ? -1 : (a->seq > b->seq);
}

static rp_err flush_history(struct rp_sim_run *run, struct cfg_state *st, struct rp_errbuf *eb)
{
    const struct rp_sim_world *w = run->world;
    for (size_t i = 0; i < st->npend; i++) {
        struct pending *p = &st->pend[i];
        if (!p->n) continue;
        int ct = (int)(i % CT__COUNT);
        size_t ar = i / CT__COUNT;
        uint32_t acct = (uint32_t)(ar / w->nregions), region = (uint32_t)(ar % w->nregions);
        qsort(p->cis, p->n, sizeof(*p->cis), pend_cmp);
        char date[16], s0[24], s1[24], key[RP_SIM_MAX_KEY];
        int64_t last = p->cis[p->n - 1].ts;
        rp_sim_key_date(last, true, date, sizeof(date));
        rp_sim_stamp_sec(p->cis[0].ts, s0, sizeof(s0));
        rp_sim_stamp_sec(last, s1, sizeof(s1));
        const char *aid = w->accounts[acct].res.id, *rn = w->regions[region];
        rp_sim_fmt(
            key, sizeof(key),
            "AWSLogs/%s/Config/%s/%s/ConfigHistory/%s_Config_%s_ConfigHistory_%s_%s_%s_1.json.gz",
            aid, rn, date, aid, rn, ctype_name(ct), s0, s1);
        struct rp_sim_file *f = NULL;
        rp_err e = rp_sim_out_open(run, "config", key, RP_SIM_OUT_GZIP, &f, eb);
        if (e != RP_OK) return e;
        static const char head[] = "{\"fileVersion\":\"1.0\",\"configurationItems\":[";
        e = rp_sim_file_write(f, head, sizeof(head) - 1, eb);
        for (size_t k = 0; k < p->n && e == RP_OK; k++) {
            if (k) e = rp_sim_file_write(f, ",", 1, eb);
            if (e == RP_OK)
                e = rp_sim_file_write(f, p->data.data + p->cis[k].off, p->cis[k].len, eb);
        }
        if (e == RP_OK) e = rp_sim_file_write(f, "]}", 2, eb);
        rp_sim_file_add_records(f, p->n);
        rp_err e2 = rp_sim_file_close(f, eb);
        if (e != RP_OK || e2 != RP_OK) return e != RP_OK ? e : e2;
        p->n = 0;
        rp_buf_reset(&p->data);
    }
    return RP_OK;
}

/* ---- snapshots ---------------------------------------------------------------------------------
 */

struct snap_ctx {
    struct rp_sim_run *run;
    struct cfg_state *st;
    struct rp_sim_file *f;
    uint64_t n;
};

static int64_t capture_time(struct cfg_state *st, const struct rp_sim_world *w, enum rp_sim_kind k,
                            uint32_t idx, const struct rp_sim_res *res)
{
    int64_t recorder = w->start_ms - 30 * DAY; /* the recorder was turned on a month earlier */
    int64_t t = res->created_ms > recorder ? res->created_ms : recorder;
    if (idx < st->lastcap_n[k] && st->lastcap[k][idx] > t) t = st->lastcap[k][idx];
    return t;
}

static rp_err snap_write(struct snap_ctx *sc, int ct, uint32_t idx, uint32_t sub, int64_t cap,
                         struct rp_errbuf *eb)
{
    struct cfg_state *st = sc->st;
    rp_buf_reset(&st->ci);
    if (sc->n) {
        rp_err e = rp_buf_putc(&st->ci, ',');
        if (e != RP_OK) return rp_fail(eb, e, "simulate: out of memory");
    }
    rp_err e = ci_render(sc->run->world, st, ct, idx, sub, cap, "OK", NULL, &st->ci);
    if (e != RP_OK) return rp_fail(eb, e, "simulate: cannot render a configuration item");
    sc->n++;
    return rp_sim_file_write(sc->f, st->ci.data, st->ci.len, eb);
}

static rp_err write_snapshot(struct rp_sim_run *run, struct cfg_state *st, uint32_t acct,
                             uint32_t region, int64_t at, struct rp_errbuf *eb)
{
    const struct rp_sim_world *w = run->world;
    const char *aid = w->accounts[acct].res.id, *rn = w->regions[region];
    char date[16], stamp[24], key[RP_SIM_MAX_KEY], basis[128], uuid[RP_SIM_UUID_SZ];
    rp_sim_key_date(at, true, date, sizeof(date));
    rp_sim_stamp_sec(at, stamp, sizeof(stamp));
    struct rp_sim_rng r;
    rp_sim_fmt(basis, sizeof(basis), "config-snapshot/%s/%s/%lld", aid, rn, (long long)at);
    rp_sim_rng_init(&r, run->seed, basis);
    rp_sim_rng_uuid(&r, uuid);
    rp_sim_fmt(key, sizeof(key),
               "AWSLogs/%s/Config/%s/%s/ConfigSnapshot/%s_Config_%s_ConfigSnapshot_%s_%s.json.gz",
               aid, rn, date, aid, rn, stamp, uuid);
    struct snap_ctx sc = {run, st, NULL, 0};
    rp_err e = rp_sim_out_open(run, "config", key, RP_SIM_OUT_GZIP, &sc.f, eb);
    if (e != RP_OK) return e;
    char req[RP_SIM_UUID_SZ];
    rp_sim_rng_uuid(&r, req);
    e = rp_sim_file_printf(sc.f, eb,
                           "{\"fileVersion\":\"1.0\",\"requestId\":\"%s\","
                           "\"configurationItems\":[",
                           req);
    for (int k = RP_SIM_K_USER; k < RP_SIM_K__COUNT && e == RP_OK; k++) {
        const struct rp_sim_kind_info *ki = rp_sim_kind_info((enum rp_sim_kind)k);
        if (!ki->config_type) continue;
        uint32_t n = rp_sim_world_count(w, (enum rp_sim_kind)k);
        for (uint32_t i = 0; i < n && e == RP_OK; i++) {
            const struct rp_sim_res *res = rp_sim_world_res(w, (struct rp_sim_ref){k, i});
            if (res->acct != acct || res->deleted_ms || res->created_ms > at) continue;
            if ((res->global ? 0 : res->region) != region) continue;
            if (k == RP_SIM_K_POLICY && w->policies[i].aws_managed) continue;
            int64_t cap = capture_time(st, w, (enum rp_sim_kind)k, i, res);
            if (cap > at) cap = at;
            e = snap_write(&sc, k, i, 0, cap, eb);
            if (k == RP_SIM_K_REST_API)
                for (uint32_t s = 0; s < w->rest_apis[i].nstages && e == RP_OK; s++)
                    e = snap_write(&sc, CT_STAGE, i, s, cap, eb);
        }
    }
    if (e == RP_OK && region == 0) {
        const struct rp_sim_res *res = &w->accounts[acct].res;
        int64_t cap = capture_time(st, w, RP_SIM_K_ACCOUNT, acct, res);
        e = snap_write(&sc, CT_ACCOUNT_PAB, acct, 0, cap > at ? at : cap, eb);
    }
    if (e == RP_OK) e = rp_sim_file_write(sc.f, "]}", 2, eb);
    rp_sim_file_add_records(sc.f, sc.n);
    rp_err e2 = rp_sim_file_close(sc.f, eb);
    return e != RP_OK ? e : e2;
}

/* ---- estate side files: IAM account summary, password policy, credential report, snapshots -- */

static void cr_time(char *out, size_t sz, int64_t ms)
{
    struct rp_time_civil c;
    if (rp_time_to_civil(ms, &c) != RP_OK) memset(&c, 0, sizeof(c));
    rp_sim_fmt(out, sz, "%04d-%02d-%02dT%02d:%02d:%02d+00:00", c.year, c.month, c.day, c.hour,
               c.minute, c.second);
}

static rp_err write_iam_files(struct rp_sim_run *run, struct cfg_state *st, uint32_t acct,
                              int64_t at, struct rp_errbuf *eb)
{
    const struct rp_sim_world *w = run->world;
    const struct rp_sim_account *a = &w->accounts[acct];
    char date[16], stamp[24], key[RP_SIM_MAX_KEY];
    rp_sim_key_date(at, false, date, sizeof(date));
    rp_sim_stamp_sec(at, stamp, sizeof(stamp));
    struct rp_buf *b = &st->text;

    /* account summary (aws iam get-account-summary) */
    uint32_t users = 0, groups = 0, roles = 0, policies = 0, mfa = 0, profiles = 0;
    for (uint32_t i = 0; i < w->nusers; i++)
        if (w->users[i].res.acct == acct && !w->users[i].res.deleted_ms) {
            users++;
            mfa += w->users[i].mfa;
        }
    for (uint32_t i = 0; i < w->ngroups; i++)
        groups += w->groups[i].res.acct == acct && !w->groups[i].res.deleted_ms;
    for (uint32_t i = 0; i < w->nroles; i++)
        if (w->roles[i].res.acct == acct && !w->roles[i].res.deleted_ms) {
            roles++;
            profiles += w->roles[i].profile_name[0] != '\0';
        }
    for (uint32_t i = 0; i < w->npolicies; i++)
        policies += w->policies[i].res.acct == acct && !w->policies[i].aws_managed &&
                    !w->policies[i].res.deleted_ms;
    rp_buf_reset(b);
    rp_err e = rp_buf_printf(
        b,
        "{\n    \"SummaryMap\": {\n        \"GroupPolicySizeQuota\": 5120,\n"
        "        \"InstanceProfilesQuota\": 1000,\n        \"Policies\": %u,\n"
        "        \"GroupsPerUserQuota\": 10,\n        \"InstanceProfiles\": %u,\n"
        "        \"AttachedPoliciesPerUserQuota\": 10,\n        \"Users\": %u,\n"
        "        \"PoliciesQuota\": 1500,\n        \"Providers\": 1,\n"
        "        \"AccountMFAEnabled\": %d,\n        \"AccessKeysPerUserQuota\": 2,\n"
        "        \"AssumeRolePolicySizeQuota\": 2048,\n        \"PolicyVersionsInUseQuota\": "
        "10000,\n"
        "        \"GlobalEndpointTokenVersion\": 1,\n        \"VersionsPerPolicyQuota\": 5,\n"
        "        \"AttachedPoliciesPerGroupQuota\": 10,\n        \"PolicySizeQuota\": 6144,\n"
        "        \"Groups\": %u,\n        \"AccountSigningCertificatesPresent\": 0,\n"
        "        \"UsersQuota\": 5000,\n        \"ServerCertificatesQuota\": 20,\n"
        "        \"MFADevices\": %u,\n        \"UserPolicySizeQuota\": 2048,\n"
        "        \"PolicyVersionsInUse\": %u,\n        \"ServerCertificates\": 0,\n"
        "        \"Roles\": %u,\n        \"RolesQuota\": 1000,\n"
        "        \"SigningCertificatesPerUserQuota\": 2,\n        \"MFADevicesInUse\": %u,\n"
        "        \"RolePolicySizeQuota\": 10240,\n        \"AttachedPoliciesPerRoleQuota\": 10,\n"
        "        \"AccountAccessKeysPresent\": %d,\n        \"GroupsQuota\": 300\n    }\n}\n",
        policies, profiles, users, a->root_mfa ? 1 : 0, groups, mfa + (a->root_mfa ? 1 : 0),
        policies, roles, mfa + (a->root_mfa ? 1 : 0), a->root_access_key ? 1 : 0);
    if (e != RP_OK) return rp_fail(eb, e, "simulate: out of memory");
    rp_sim_fmt(key, sizeof(key), "estate/%s/iam/%s/%s_iam_account-summary_%s.json", a->res.id, date,
               a->res.id, stamp);
    e = rp_sim_out_put(run, "estate-iam", key, RP_SIM_OUT_PLAIN, b->data, b->len, 1, eb);
    if (e != RP_OK) return e;

    /* password policy (aws iam get-account-password-policy), or its NoSuchEntity error */
    const struct rp_sim_password_policy *pp = &a->pwpolicy;
    rp_buf_reset(b);
    if (pp->present) {
        e = rp_buf_printf(
            b,
            "{\n    \"PasswordPolicy\": {\n        \"MinimumPasswordLength\": %u,\n"
            "        \"RequireSymbols\": %s,\n        \"RequireNumbers\": %s,\n"
            "        \"RequireUppercaseCharacters\": %s,\n"
            "        \"RequireLowercaseCharacters\": %s,\n"
            "        \"AllowUsersToChangePassword\": %s,\n"
            "        \"ExpirePasswords\": %s,\n",
            pp->min_length, pp->require_symbols ? "true" : "false",
            pp->require_numbers ? "true" : "false", pp->require_upper ? "true" : "false",
            pp->require_lower ? "true" : "false", pp->allow_users_to_change ? "true" : "false",
            pp->max_age_days ? "true" : "false");
        if (e == RP_OK && pp->max_age_days)
            e = rp_buf_printf(b, "        \"MaxPasswordAge\": %u,\n", pp->max_age_days);
        if (e == RP_OK && pp->reuse_prevention)
            e = rp_buf_printf(b, "        \"PasswordReusePrevention\": %u,\n",
                              pp->reuse_prevention);
        if (e == RP_OK)
            e = rp_buf_printf(b, "        \"HardExpiry\": %s\n    }\n}\n",
                              pp->hard_expiry ? "true" : "false");
    } else {
        e = rp_buf_printf(b,
                          "{\n    \"Error\": {\n        \"Type\": \"Sender\",\n"
                          "        \"Code\": \"NoSuchEntity\",\n        \"Message\": \"The "
                          "Password Policy with domain name %s cannot be found.\"\n    }\n}\n",
                          a->res.id);
    }
    if (e != RP_OK) return rp_fail(eb, e, "simulate: out of memory");
    rp_sim_fmt(key, sizeof(key), "estate/%s/iam/%s/%s_iam_password-policy_%s.json", a->res.id, date,
               a->res.id, stamp);
    e = rp_sim_out_put(run, "estate-iam", key, RP_SIM_OUT_PLAIN, b->data, b->len, 1, eb);
    if (e != RP_OK) return e;

    /* virtual MFA devices (aws iam list-virtual-mfa-devices): the users' devices, and the root
     * user's when its MFA is not a hardware device */
    {
        struct rp_json_writer jw;
        char t[32];
        rp_buf_reset(b);
        rp_json_writer_init(&jw, b);
        OBJ(&jw);
        KARR(&jw, "VirtualMFADevices");
        if (a->root_mfa && !a->root_hw_mfa) {
            char serial[RP_SIM_ARN_SZ], arn[RP_SIM_ARN_SZ];
            rp_sim_fmt(serial, sizeof(serial), "arn:aws:iam::%s:mfa/root-account-mfa-device",
                       a->res.id);
            rp_sim_fmt(arn, sizeof(arn), "arn:aws:iam::%s:root", a->res.id);
            OBJ(&jw);
            KS(&jw, "SerialNumber", serial);
            KEY(&jw, "User");
            OBJ(&jw);
            KS(&jw, "UserId", a->res.id);
            KS(&jw, "Arn", arn);
            cr_time(t, sizeof(t), a->res.created_ms);
            KS(&jw, "CreateDate", t);
            END(&jw);
            KS(&jw, "EnableDate", t);
            END(&jw);
        }
        for (uint32_t i = 0; i < w->nusers; i++) {
            const struct rp_sim_user *u = &w->users[i];
            if (u->res.acct != acct || u->res.deleted_ms || !u->mfa || !u->mfa_serial[0]) continue;
            OBJ(&jw);
            KS(&jw, "SerialNumber", u->mfa_serial);
            KEY(&jw, "User");
            OBJ(&jw);
            KS(&jw, "Path", u->path[0] ? u->path : "/");
            KS(&jw, "UserName", u->res.name);
            KS(&jw, "UserId", u->res.id);
            KS(&jw, "Arn", u->res.arn);
            cr_time(t, sizeof(t), u->res.created_ms);
            KS(&jw, "CreateDate", t);
            END(&jw);
            KS(&jw, "EnableDate", t);
            END(&jw);
        }
        AEND(&jw);
        KB(&jw, "IsTruncated", false);
        END(&jw);
        e = rp_json_writer_finish(&jw);
        if (e == RP_OK) e = rp_buf_putc(b, '\n');
        if (e != RP_OK) return rp_fail(eb, e, "simulate: out of memory");
        rp_sim_fmt(key, sizeof(key), "estate/%s/iam/%s/%s_iam_virtual-mfa-devices_%s.json",
                   a->res.id, date, a->res.id, stamp);
        e = rp_sim_out_put(run, "estate-iam", key, RP_SIM_OUT_PLAIN, b->data, b->len, 1, eb);
        if (e != RP_OK) return e;
    }

    /* credential report (aws iam generate-credential-report, decoded Content) */
    rp_buf_reset(b);
    e = rp_buf_append_str(
        b, "user,arn,user_creation_time,password_enabled,password_last_used,"
           "password_last_changed,password_next_rotation,mfa_active,access_key_1_active,"
           "access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,"
           "access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,"
           "access_key_2_last_used_date,access_key_2_last_used_region,"
           "access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,"
           "cert_2_last_rotated\n");
    char t0[40], t1[40], t2[40];
    cr_time(t0, sizeof(t0), a->res.created_ms);
    if (a->root_last_login_ms && a->root_last_login_ms <= at)
        cr_time(t1, sizeof(t1), a->root_last_login_ms);
    else
        rp_strlcpy(t1, "no_information", sizeof(t1));
    if (a->root_access_key) cr_time(t2, sizeof(t2), a->root_key_created_ms);
    if (e == RP_OK)
        e = rp_buf_printf(b,
                          "<root_account>,arn:aws:iam::%s:root,%s,not_supported,%s,not_supported,"
                          "not_supported,%s,%s,%s,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,"
                          "false,N/A\n",
                          a->res.id, t0, t1, a->root_mfa ? "true" : "false",
                          a->root_access_key ? "true" : "false", a->root_access_key ? t2 : "N/A");
    uint32_t nrows = 1;
    for (uint32_t i = 0; i < w->nusers && e == RP_OK; i++) {
        const struct rp_sim_user *u = &w->users[i];
        if (u->res.acct != acct || u->res.deleted_ms || u->res.created_ms > at) continue;
        nrows++;
        cr_time(t0, sizeof(t0), u->res.created_ms);
        e = rp_buf_printf(b, "%s,%s,%s,", u->res.name, u->res.arn, t0);
        if (e == RP_OK && u->console_password) {
            if (u->password_last_used_ms && u->password_last_used_ms <= at)
                cr_time(t1, sizeof(t1), u->password_last_used_ms);
            else
                rp_strlcpy(t1, "no_information", sizeof(t1));
            cr_time(t2, sizeof(t2), u->password_last_changed_ms);
            const struct rp_sim_password_policy *p = &w->accounts[acct].pwpolicy;
            char t3[40] = "N/A";
            if (p->present && p->max_age_days)
                cr_time(t3, sizeof(t3),
                        u->password_last_changed_ms + (int64_t)p->max_age_days * DAY);
            e = rp_buf_printf(b, "true,%s,%s,%s,", t1, t2, t3);
        } else if (e == RP_OK) {
            e = rp_buf_append_str(b, "false,N/A,N/A,N/A,");
        }
        if (e == RP_OK) e = rp_buf_printf(b, "%s", u->mfa ? "true" : "false");
        for (uint32_t k = 0; k < 2 && e == RP_OK; k++) {
            if (k < u->nkeys && u->keys[k].created_ms <= at) {
                const struct rp_sim_access_key *ak = &u->keys[k];
                cr_time(t1, sizeof(t1), ak->created_ms);
                if (ak->last_used_ms && ak->last_used_ms <= at) {
                    cr_time(t2, sizeof(t2), ak->last_used_ms);
                    e = rp_buf_printf(
                        b, ",%s,%s,%s,%s,%s", ak->active ? "true" : "false", t1, t2,
                        w->regions[ak->last_used_region < w->nregions ? ak->last_used_region : 0],
                        ak->last_used_service[0] ? ak->last_used_service : "N/A");
                } else {
                    e = rp_buf_printf(b, ",%s,%s,N/A,N/A,N/A", ak->active ? "true" : "false", t1);
                }
            } else {
                e = rp_buf_append_str(b, ",false,N/A,N/A,N/A,N/A");
            }
        }
        if (e == RP_OK) e = rp_buf_append_str(b, ",false,N/A,false,N/A\n");
    }
    if (e != RP_OK) return rp_fail(eb, e, "simulate: out of memory");
    rp_sim_fmt(key, sizeof(key), "estate/%s/iam/%s/%s_iam_credential-report_%s.csv", a->res.id,
               date, a->res.id, stamp);
    e = rp_sim_out_put(run, "estate-iam", key, RP_SIM_OUT_PLAIN, b->data, b->len, nrows, eb);
    if (e != RP_OK) return e;

    /* EBS snapshots per region (aws ec2 describe-snapshots, plus each snapshot's
     * createVolumePermission attribute, which Config does not record) */
    for (uint32_t r = 0; r < w->nregions; r++) {
        rp_buf_reset(b);
        struct rp_json_writer jw;
        rp_json_writer_init(&jw, b);
        OBJ(&jw);
        KARR(&jw, "Snapshots");
        uint32_t n = 0;
        for (uint32_t i = 0; i < w->nsnapshots; i++) {
            const struct rp_sim_snapshot *s = &w->snapshots[i];
            if (s->res.acct != acct || s->res.region != r || s->res.deleted_ms ||
                s->res.created_ms > at)
                continue;
            n++;
            OBJ(&jw);
            KS(&jw, "Description", s->description);
            KB(&jw, "Encrypted", s->encrypted);
            if (s->encrypted && s->kms != RP_SIM_NONE) KS(&jw, "KmsKeyId", kms_arn(w, s->kms));
            KS(&jw, "OwnerId", a->res.id);
            KS(&jw, "Progress", "100%");
            KS(&jw, "SnapshotId", s->res.id);
            kts(&jw, "StartTime", s->res.created_ms);
            KS(&jw, "State", "completed");
            KS(&jw, "VolumeId",
               s->volume < w->nvolumes ? w->volumes[s->volume].res.id : "vol-ffffffff");
            KI(&jw, "VolumeSize", s->size_gb);
            KS(&jw, "StorageTier", "standard");
            KARR(&jw, "CreateVolumePermissions");
            if (s->public_restore) {
                OBJ(&jw);
                KS(&jw, "Group", "all");
                END(&jw);
            }
            AEND(&jw);
            END(&jw);
        }
        AEND(&jw);
        END(&jw);
        e = rp_json_writer_finish(&jw);
        if (e == RP_OK) e = rp_buf_putc(b, '\n');
        if (e != RP_OK) return rp_fail(eb, e, "simulate: out of memory");
        rp_sim_fmt(key, sizeof(key), "estate/%s/ec2/%s/%s/%s_ec2_snapshots_%s_%s.json", a->res.id,
                   w->regions[r], date, a->res.id, w->regions[r], stamp);
        e = rp_sim_out_put(run, "estate-ec2", key, RP_SIM_OUT_PLAIN, b->data, b->len, n, eb);
        if (e != RP_OK) return e;
        /* aws ec2 get-ebs-encryption-by-default: on in the home region of prod-like accounts,
         * off elsewhere (EC2.7 / CIS 2.2.1 then has both answers in every estate) */
        bool ebs_default = r == 0 && strcmp(a->role_label, "dev") != 0;
        rp_buf_reset(b);
        e = rp_buf_printf(b, "{\n    \"EbsEncryptionByDefault\": %s\n}\n",
                          ebs_default ? "true" : "false");
        if (e != RP_OK) return rp_fail(eb, e, "simulate: out of memory");
        rp_sim_fmt(key, sizeof(key),
                   "estate/%s/ec2/%s/%s/%s_ec2_ebs-encryption-by-default_%s_%s.json", a->res.id,
                   w->regions[r], date, a->res.id, w->regions[r], stamp);
        e = rp_sim_out_put(run, "estate-ec2", key, RP_SIM_OUT_PLAIN, b->data, b->len, 1, eb);
        if (e != RP_OK) return e;
    }
    return RP_OK;
}

/* ---- benign admin changes (with their CloudTrail records) --------------------------------- */

static rp_err admin_event(struct rp_sim_run *run, struct cfg_state *st, uint32_t acct,
                          uint32_t user, int64_t at, const char *source, const char *name,
                          const char *params, char event_id[RP_SIM_UUID_SZ], struct rp_errbuf *eb)
{
    const struct rp_sim_world *w = run->world;
    const struct rp_sim_user *u = &w->users[user];
    struct rp_sim_rng r;
    rp_sim_rng_initf(&r, run->seed, "config/admin-event/%lld/%s", (long long)at, name);
    rp_sim_rng_uuid(&r, event_id);
    char req[RP_SIM_UUID_SZ], ts[RP_TIME_ISO_BUFSZ];
    rp_sim_rng_uuid(&r, req);
    rp_sim_iso_s(at, ts, sizeof(ts));
    const char *region = w->regions[u->habits.region < w->nregions ? u->habits.region : 0];
    const char *ip = u->habits.nips ? u->habits.ips[rp_sim_rng_below(&r, u->habits.nips)] : "";
    struct rp_buf *b = &st->ct;
    rp_buf_reset(b);
    struct rp_json_writer jw;
    rp_json_writer_init(&jw, b);
    OBJ(&jw);
    KS(&jw, "eventVersion", "1.09");
    KOBJ(&jw, "userIdentity");
    KS(&jw, "type", "IAMUser");
    KS(&jw, "principalId", u->res.id);
    KS(&jw, "arn", u->res.arn);
    KS(&jw, "accountId", w->accounts[acct].res.id);
    KS(&jw, "accessKeyId", u->nkeys ? u->keys[0].id : "");
    KS(&jw, "userName", u->res.name);
    END(&jw);
    KS(&jw, "eventTime", ts);
    KS(&jw, "eventSource", source);
    KS(&jw, "eventName", name);
    KS(&jw, "awsRegion", region);
    KS(&jw, "sourceIPAddress", ip);
    KS(&jw, "userAgent", u->habits.user_agent);
    KEY(&jw, "requestParameters");
    rp_json_write_raw(&jw, params, strlen(params));
    KN(&jw, "responseElements");
    KS(&jw, "requestID", req);
    KS(&jw, "eventID", event_id);
    KB(&jw, "readOnly", false);
    KS(&jw, "eventType", "AwsApiCall");
    KB(&jw, "managementEvent", true);
    KS(&jw, "recipientAccountId", w->accounts[acct].res.id);
    KS(&jw, "eventCategory", "Management");
    END(&jw);
    rp_err e = rp_json_writer_finish(&jw);
    if (e != RP_OK) return rp_fail(eb, e, "simulate: cannot render an admin event");
    uint32_t ri = rp_sim_world_region(w, region);
    return rp_sim_emit_cloudtrail(run, acct, ri == RP_SIM_NONE ? 0 : ri, at, b->data, b->len, eb);
}

/* A few changes per account per working day: instance tags, security-group rule descriptions,
 * Lambda code deployments, Auto Scaling limits, access-key rotation. */
static rp_err benign_changes(struct rp_sim_run *run, struct cfg_state *st, int64_t hour,
                             struct rp_errbuf *eb)
{
    struct rp_sim_world *w = run->world;
    for (uint32_t a = 0; a < w->naccounts; a++) {
        struct rp_sim_rng r;
        rp_sim_rng_initf(&r, run->seed, "config/benign/%u/%lld", a, (long long)hour);
        /* an admin of the account whose working hours cover this hour */
        uint32_t admin = RP_SIM_NONE;
        for (uint32_t i = 0; i < w->nusers; i++)
            if (w->users[i].res.acct == a && w->users[i].kind == RP_SIM_USER_ADMIN &&
                !w->users[i].res.deleted_ms && rp_sim_habits_active(&w->users[i].habits, hour)) {
                admin = i;
                break;
            }
        if (admin == RP_SIM_NONE || !rp_sim_rng_chance(&r, 350)) continue;
        int64_t at = hour + rp_sim_rng_range(&r, 60, 3599) * 1000;
        char ev[RP_SIM_UUID_SZ], params[512];
        rp_err e = RP_OK;
        switch (rp_sim_rng_below(&r, 5)) {
        case 0: { /* tag an instance */
            uint32_t list[64];
            uint32_t n = rp_sim_world_list(w, RP_SIM_K_INSTANCE, a, RP_SIM_NONE, list, 64);
            if (!n) break;
            uint32_t i = list[rp_sim_rng_below(&r, n < 64 ? n : 64)];
            static const char *const owners[] = {"platform", "payments", "search", "data"};
            const char *owner = owners[rp_sim_rng_below(&r, 4)];
            rp_sim_res_set_tag(&w->instances[i].res, "owner", owner);
            rp_sim_fmt(
                params, sizeof(params),
                "{\"resourcesSet\":{\"items\":[{\"resourceId\":\"%s\"}]},\"tagSet\":{\"items\":"
                "[{\"key\":\"owner\",\"value\":\"%s\"}]}}",
                w->instances[i].res.id, owner);
            e = admin_event(run, st, a, admin, at, "ec2.amazonaws.com", "CreateTags", params, ev,
                            eb);
            if (e == RP_OK)
                e = rp_sim_world_changed(run, (struct rp_sim_ref){RP_SIM_K_INSTANCE, i}, at,
                                         RP_SIM_CHANGE_UPDATE, ev, eb);
            break;
        }
        case 1: { /* reword a security-group rule description */
            uint32_t list[128];
            uint32_t n = rp_sim_world_list(w, RP_SIM_K_SG, a, RP_SIM_NONE, list, 128);
            uint32_t sg = RP_SIM_NONE;
            for (uint32_t k = 0; k < n && k < 128; k++) {
                uint32_t cand =
                    list[(k + rp_sim_rng_below(&r, n < 128 ? n : 128)) % (n < 128 ? n : 128)];
                if (w->sgs[cand].ningress && w->sgs[cand].ingress[0].description[0]) {
                    sg = cand;
                    break;
                }
            }
            if (sg == RP_SIM_NONE) break;
            struct rp_sim_sg_rule *ru = &w->sgs[sg].ingress[0];
            static const char *const words[] = {"reviewed", "see runbook", "owner platform",
                                                "ticket OPS-", "keep"};
            char d[64];
            rp_sim_fmt(d, sizeof(d), "%.40s (%s)", ru->description,
                       words[rp_sim_rng_below(&r, RP_ARRAY_LEN(words))]);
            char *paren = strstr(ru->description, " (");
            if (paren) *paren = '\0';
            rp_sim_fmt(d, sizeof(d), "%.40s (%s)", ru->description,
                       words[rp_sim_rng_below(&r, RP_ARRAY_LEN(words))]);
            rp_strlcpy(ru->description, d, sizeof(ru->description));
            rp_sim_fmt(params, sizeof(params),
                       "{\"groupId\":\"%s\",\"ipPermissions\":{\"items\":[{\"ipProtocol\":\"%s\","
                       "\"fromPort\":%u,\"toPort\":%u}]}}",
                       w->sgs[sg].res.id, ru->protocol == 6 ? "tcp" : "-1", ru->port_from,
                       ru->port_to);
            e = admin_event(run, st, a, admin, at, "ec2.amazonaws.com",
                            "UpdateSecurityGroupRuleDescriptionsIngress", params, ev, eb);
            if (e == RP_OK)
                e = rp_sim_world_changed(run, (struct rp_sim_ref){RP_SIM_K_SG, sg}, at,
                                         RP_SIM_CHANGE_UPDATE, ev, eb);
            break;
        }
        case 2: { /* deploy new Lambda code */
            uint32_t list[32];
            uint32_t n = rp_sim_world_list(w, RP_SIM_K_LAMBDA, a, RP_SIM_NONE, list, 32);
            if (!n) break;
            uint32_t i = list[rp_sim_rng_below(&r, n < 32 ? n : 32)];
            struct rp_sim_lambda *l = &w->lambdas[i];
            rp_sim_rng_chars(&r, l->code_sha256, 43,
                             "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
            l->code_sha256[43] = '=';
            l->code_sha256[44] = '\0';
            l->last_modified_ms = at;
            l->code_size += (uint64_t)rp_sim_rng_range(&r, 1, 4096);
            rp_sim_fmt(params, sizeof(params), "{\"functionName\":\"%s\",\"publish\":false}",
                       l->res.name);
            e = admin_event(run, st, a, admin, at, "lambda.amazonaws.com",
                            "UpdateFunctionCode20150331v2", params, ev, eb);
            if (e == RP_OK)
                e = rp_sim_world_changed(run, (struct rp_sim_ref){RP_SIM_K_LAMBDA, i}, at,
                                         RP_SIM_CHANGE_UPDATE, ev, eb);
            break;
        }
        case 3: { /* raise or lower an Auto Scaling group's maximum */
            uint32_t list[16];
            uint32_t n = rp_sim_world_list(w, RP_SIM_K_ASG, a, RP_SIM_NONE, list, 16);
            if (!n) break;
            struct rp_sim_asg *g = &w->asgs[list[0]];
            g->max =
                g->max > g->desired + 1 && rp_sim_rng_chance(&r, 500) ? g->max - 1 : g->max + 1;
            rp_sim_fmt(params, sizeof(params), "{\"autoScalingGroupName\":\"%s\",\"maxSize\":%u}",
                       g->res.name, g->max);
            e = admin_event(run, st, a, admin, at, "autoscaling.amazonaws.com",
                            "UpdateAutoScalingGroup", params, ev, eb);
            if (e == RP_OK)
                e = rp_sim_world_changed(run, (struct rp_sim_ref){RP_SIM_K_ASG, list[0]}, at,
                                         RP_SIM_CHANGE_UPDATE, ev, eb);
            break;
        }
        default: { /* rotate a developer's access key: the old one becomes inactive */
            uint32_t pick = RP_SIM_NONE;
            for (uint32_t i = 0; i < w->nusers; i++) {
                const struct rp_sim_user *u = &w->users[i];
                if (u->res.acct == a && u->nkeys == 1 && u->kind == RP_SIM_USER_DEVELOPER &&
                    !u->res.deleted_ms && at - u->keys[0].created_ms > 45 * DAY) {
                    pick = i;
                    break;
                }
            }
            if (pick == RP_SIM_NONE) break;
            struct rp_sim_user *u = &w->users[pick];
            struct rp_sim_access_key *k = &u->keys[1];
            memset(k, 0, sizeof(*k));
            rp_sim_id_iam(&r, "AKIA", k->id, sizeof(k->id));
            k->created_ms = at - at % 1000;
            k->active = true;
            u->keys[0].active = false;
            u->nkeys = 2;
            rp_sim_fmt(params, sizeof(params), "{\"userName\":\"%s\"}", u->res.name);
            e = admin_event(run, st, a, admin, at, "iam.amazonaws.com", "CreateAccessKey", params,
                            ev, eb);
            break;
        }
        }
        if (e != RP_OK) return e;
    }
    return RP_OK;
}

/* ---- generator hooks ----------------------------------------------------------------------------
 */

static rp_err cfg_begin(struct rp_sim_run *run, void *state, struct rp_errbuf *eb)
{
    struct cfg_state *st = state;
    const struct rp_sim_world *w = run->world;
    st->npend = (size_t)w->naccounts * w->nregions * CT__COUNT;
    st->pend = calloc(st->npend, sizeof(*st->pend));
    if (!st->pend) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    for (size_t i = 0; i < st->npend; i++) rp_buf_init(&st->pend[i].data, 0);
    rp_buf_init(&st->ci, 64 << 20);
    rp_buf_init(&st->ct, 1 << 20);
    rp_buf_init(&st->text, 16 << 20);
    rp_sim_rng_init(&st->r, run->seed, "config");
    return RP_OK;
}

static rp_err cfg_hour(struct rp_sim_run *run, void *state, int64_t hour, struct rp_errbuf *eb)
{
    struct cfg_state *st = state;
    const struct rp_sim_world *w = run->world;
    rp_err e = RP_OK;
    int64_t since = hour - run->start_ms;
    /* history of the 6 hours that just ended */
    if (since > 0 && since % (6 * HOUR) == 0 && (e = flush_history(run, st, eb)) != RP_OK) return e;
    if (since % DAY == 0) {
        for (uint32_t a = 0; a < w->naccounts && e == RP_OK; a++) {
            uint64_t h = rp_sim_mix(run->seed, rp_sim_mix((uint64_t)hour, a));
            int64_t at =
                hour + (int64_t)(5 + h % 40) * RP_TIME_MS_PER_MIN + (int64_t)((h >> 8) % 60) * 1000;
            for (uint32_t r = 0; r < w->nregions && e == RP_OK; r++)
                e = write_snapshot(run, st, a, r, at + (int64_t)r * 7000, eb);
            if (e == RP_OK) e = write_iam_files(run, st, a, at, eb);
        }
    }
    if (e == RP_OK) e = benign_changes(run, st, hour, eb);
    return e;
}

/* The estate files once more at the end of the period, as an export taken then would hold
 * them: a change made after the last daily files (root MFA removed, a snapshot made public on
 * the last day) is then in the estate as it is in the trail and the Config history. */
static rp_err cfg_end(struct rp_sim_run *run, void *state, struct rp_errbuf *eb)
{
    rp_err e = flush_history(run, state, eb);
    int64_t at = run->end_ms - 60 * 1000;
    for (uint32_t a = 0; a < run->world->naccounts && e == RP_OK; a++)
        e = write_iam_files(run, state, a, at, eb);
    return e;
}

static void cfg_release(struct rp_sim_run *run, void *state)
{
    (void)run;
    struct cfg_state *st = state;
    if (st->pend)
        for (size_t i = 0; i < st->npend; i++) {
            rp_buf_release(&st->pend[i].data);
            free(st->pend[i].cis);
        }
    free(st->pend);
    for (int k = 0; k < RP_SIM_K__COUNT; k++) free(st->lastcap[k]);
    rp_buf_release(&st->ci);
    rp_buf_release(&st->ct);
    rp_buf_release(&st->text);
}

const struct rp_sim_gen rp_sim_gen_config = {
    .name = "config",
    .summary = "AWS Config snapshots and history, IAM summaries and credential reports",
    .state_size = sizeof(struct cfg_state),
    .begin = cfg_begin,
    .hour = cfg_hour,
    .end = cfg_end,
    .release = cfg_release,
};
