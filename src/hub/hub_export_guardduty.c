/* SPDX-License-Identifier: Apache-2.0 */
/* Export format "guardduty" of the findings hub (hub_export.h): GuardDuty's own finding JSON,
 * as `aws guardduty get-findings` prints it ({"Findings": [...]}), rebuilt from the ASFF the
 * hub keeps of GuardDuty findings (GuardDuty's, through the "guardduty" import format, and
 * Rampart's detect findings, which go through the same converter, hub_conv_guardduty.c):
 *   Arn, Id, AccountId, Region, Partition  the ASFF Id (the finding ARN) and AwsAccountId
 *   Type                 from Types ("TTPs/Discovery/Recon:EC2-Portscan" -> "Recon:EC2/Portscan")
 *   Severity             Severity.Original, else Normalized / 10
 *   Title, Description, CreatedAt, UpdatedAt  as kept
 *   Resource             from Resources: AwsEc2Instance -> InstanceDetails, AwsIamAccessKey ->
 *                        AccessKeyDetails, AwsS3Bucket -> S3BucketDetails (+ the caller's
 *                        key), AwsEksCluster -> EksClusterDetails, others by Details.Other
 *   Service              ProductFields "aws/guardduty/service/<path>" (every scalar the
 *                        converter flattened, camelCase path segments turned back into
 *                        PascalCase, "/0/" indexes into arrays), then the ASFF Action laid
 *                        over it (typed values, and what the 50-pair cap of ProductFields cut),
 *                        NetworkConnectionAction.LocalIpDetails from Network, Archived from
 *                        RecordState, EventFirstSeen/EventLastSeen from First/LastObservedAt
 *                        and DetectorId from GeneratorId when ProductFields lack them.
 * Leaf types come from GuardDuty's model (Count and Port are integers, Archived and Blocked
 * booleans, Organization.Asn a string, ...), whatever the ASFF holds. A finding is GuardDuty's
 * when its ProductArn ends in "/product/aws/guardduty", its ProductName is "GuardDuty" or it
 * has "aws/guardduty/" ProductFields; findings of other products are left out.
 * What the converter does not keep cannot come back: InstanceDetails' AvailabilityZone,
 * InstanceState, SecurityGroups, DNS names and IamInstanceProfile.Id (and which address
 * belongs to which of several interfaces), S3BucketDetails' Type, encryption and public
 * access, EksClusterDetails' VpcId and CreatedAt, KubernetesDetails, and the Service scalars
 * past ProductFields' 50 pairs that the ASFF Action does not hold (KUBERNETES_API_CALL's
 * and anomaly profiles' first). */
#define RP_LOG_MODULE "hub"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rp_arena.h"
#include "core/rp_base.h"
#include "core/rp_ip.h"
#include "hub/hub_export.h"
#include "hub/hub_internal.h"
#include "core/rp_banned.h"

#define PF_PREFIX "aws/guardduty/service/"

/* GuardDuty's types of leaves, by member name (the API model); others keep the JSON type
 * they came with (text from ProductFields stays text). */
static const char *const int_leaves[] = {"Count", "Port", "StatusCode"};
static const char *const bool_leaves[] = {
    "Affiliated",
    "AllowsPublicReadAccess",
    "AllowsPublicWriteAccess",
    "Archived",
    "Blocked",
    "BlockPublicAcls",
    "BlockPublicPolicy",
    "HostNetwork",
    "IgnorePublicAcls",
    "Privileged",
    "RestrictPublicBuckets",
    "Sample",
};
static const char *const dbl_leaves[] = {"Lat", "Lon"};
static const char *const str_leaves[] = {"Asn"}; /* a number in ASFF, text in GuardDuty */

static bool in(const char *const *tab, size_t n, struct rp_str k)
{
    for (size_t i = 0; i < n; i++)
        if (rp_str_eq_cstr(k, tab[i])) return true;
    return false;
}

/* ---- a small tree of the Service object ---------------------------------------------------- */

struct node {
    struct rp_str key; /* member name, or the index text of an array element */
    bool index;        /* an array element */
    bool scalar;
    struct rp_str text;     /* scalar: its text */
    enum rp_json_type hint; /* scalar: the JSON type it came as */
    struct node *kids, *last, *next;
};

struct gd_state {
    size_t written;
    struct rp_arena arena; /* the tree of one finding; reset per finding */
    bool arena_ready;
    bool oom;
};

static struct node *child(struct gd_state *g, struct node *parent, struct rp_str key, bool index)
{
    for (struct node *n = parent->kids; n; n = n->next)
        if (rp_str_eq(n->key, key)) return n;
    struct node *n = rp_arena_zalloc(&g->arena, sizeof *n);
    char *k = n ? rp_arena_memdup(&g->arena, key.p, key.len) : NULL;
    if (!n || !k) {
        g->oom = true;
        return NULL;
    }
    n->key = (struct rp_str){k, key.len};
    n->index = index;
    if (parent->last)
        parent->last->next = n;
    else
        parent->kids = n;
    parent->last = n;
    parent->scalar = false;
    return n;
}

static bool all_digits(struct rp_str s)
{
    if (!s.len) return false;
    for (size_t i = 0; i < s.len; i++)
        if (s.p[i] < '0' || s.p[i] > '9') return false;
    return true;
}

static void set_scalar(struct gd_state *g, struct node *n, struct rp_str text,
                       enum rp_json_type hint)
{
    char *t = rp_arena_memdup(&g->arena, text.p, text.len);
    if (!t) {
        g->oom = true;
        return;
    }
    n->kids = n->last = NULL;
    n->scalar = true;
    n->text = (struct rp_str){t, text.len};
    n->hint = hint;
}

/* Insert the ProductFields pair "<path>" = text (path: camelCase segments separated by '/'). */
static void insert_pf(struct gd_state *g, struct node *root, struct rp_str path, struct rp_str text)
{
    struct node *cur = root;
    struct rp_str rest = path, seg;
    while (cur && rp_str_split_next(&rest, '/', &seg)) {
        if (!seg.len) return;
        bool index = all_digits(seg);
        struct rp_str key = seg;
        if (!index && seg.p[0] >= 'a' && seg.p[0] <= 'z') {
            char *k = rp_arena_memdup(&g->arena, seg.p, seg.len);
            if (!k) {
                g->oom = true;
                return;
            }
            k[0] = (char)(k[0] - 'a' + 'A');
            key = (struct rp_str){k, seg.len};
        }
        cur = child(g, cur, key, index);
    }
    if (cur && cur != root) set_scalar(g, cur, text, RP_JSON_STRING);
}

/* Lay the JSON value v over node n (objects and arrays member by member). */
static void insert_json(struct gd_state *g, struct node *n, struct rp_json_val v)
{
    struct rp_json_iter it;
    struct rp_json_val el;
    struct rp_str k;
    char idx[24], tmp[64];
    switch (rp_json_type(v)) {
    case RP_JSON_OBJECT:
        if (rp_json_obj_iter(v, &it) == RP_OK)
            while (rp_json_obj_next(&it, &k, &el) && n) {
                if (rp_json_type(el) == RP_JSON_NULL) continue;
                insert_json(g, child(g, n, k, false), el);
            }
        return;
    case RP_JSON_ARRAY: {
        size_t i = 0;
        if (rp_json_arr_iter(v, &it) == RP_OK)
            while (rp_json_arr_next(&it, &el) && n) {
                int len = snprintf(idx, sizeof idx, "%zu", i++);
                insert_json(g, child(g, n, (struct rp_str){idx, (size_t)len}, true), el);
            }
        if (i == 0 && n && !n->kids) n->scalar = false; /* an empty list stays a list */
        return;
    }
    default:
        break;
    }
    if (!n) return;
    struct rp_str text = {0};
    bool b = false;
    int64_t iv = 0;
    double d = 0;
    enum rp_json_type t = rp_json_type(v);
    if (t == RP_JSON_STRING) {
        if (rp_json_get_str(v, &text) != RP_OK) return;
    } else if (t == RP_JSON_BOOL && rp_json_get_bool(v, &b) == RP_OK) {
        text = rp_str_from(b ? "true" : "false");
    } else if (t == RP_JSON_INT && rp_json_get_i64(v, &iv) == RP_OK) {
        int len = snprintf(tmp, sizeof tmp, "%lld", (long long)iv);
        text = (struct rp_str){tmp, (size_t)len};
    } else if ((t == RP_JSON_DOUBLE || t == RP_JSON_UINT) && rp_json_get_double(v, &d) == RP_OK) {
        int len = snprintf(tmp, sizeof tmp, "%.17g", d);
        text = (struct rp_str){tmp, (size_t)len};
    } else {
        return;
    }
    set_scalar(g, n, text, t);
}

static struct node *find(struct node *n, const char *key)
{
    for (struct node *k = n ? n->kids : NULL; k; k = k->next)
        if (rp_str_eq_cstr(k->key, key)) return k;
    return NULL;
}

static void write_scalar(struct rp_json_writer *w, const struct node *n)
{
    struct rp_str k = n->key, t = n->text;
    int64_t iv = 0;
    char buf[64];
    if (in(str_leaves, RP_ARRAY_LEN(str_leaves), k)) {
        rp_json_write_str(w, t.p, t.len);
        return;
    }
    if (in(int_leaves, RP_ARRAY_LEN(int_leaves), k) && rp_str_to_i64(t, &iv) == RP_OK) {
        rp_json_write_int(w, iv);
        return;
    }
    bool tf = rp_str_eq_cstr(t, "true") || rp_str_eq_cstr(t, "false");
    if ((in(bool_leaves, RP_ARRAY_LEN(bool_leaves), k) || n->hint == RP_JSON_BOOL) && tf) {
        rp_json_write_bool(w, rp_str_eq_cstr(t, "true"));
        return;
    }
    bool dbl = in(dbl_leaves, RP_ARRAY_LEN(dbl_leaves), k) || n->hint == RP_JSON_DOUBLE ||
               n->hint == RP_JSON_INT || n->hint == RP_JSON_UINT;
    if (dbl && t.len && t.len < sizeof buf) {
        memcpy(buf, t.p, t.len);
        buf[t.len] = '\0';
        char *end = NULL;
        double d = strtod(buf, &end);
        if (end && *end == '\0') {
            if (n->hint == RP_JSON_INT && rp_str_to_i64(t, &iv) == RP_OK)
                rp_json_write_int(w, iv);
            else
                rp_json_write_double(w, d);
            return;
        }
    }
    rp_json_write_str(w, t.p, t.len);
}

static int cmp_key(const void *a, const void *b)
{
    const struct node *x = *(const struct node *const *)a, *y = *(const struct node *const *)b;
    size_t n = x->key.len < y->key.len ? x->key.len : y->key.len;
    int c = memcmp(x->key.p, y->key.p, n);
    return c ? c : (x->key.len > y->key.len) - (x->key.len < y->key.len);
}

/* Objects are written with their members in name order, as GuardDuty's API writes them. */
static void write_node(struct gd_state *g, struct rp_json_writer *w, const struct node *n)
{
    if (n->scalar) {
        write_scalar(w, n);
        return;
    }
    bool arr = n->kids ? n->kids->index : false;
    if (arr) {
        rp_json_write_arr_begin(w);
        for (const struct node *k = n->kids; k; k = k->next) write_node(g, w, k);
        rp_json_write_arr_end(w);
        return;
    }
    size_t cnt = 0;
    for (const struct node *k = n->kids; k; k = k->next) cnt += !k->index;
    const struct node **v = cnt ? rp_arena_alloc(&g->arena, cnt * sizeof *v) : NULL;
    if (cnt && !v) {
        g->oom = true;
        return;
    }
    size_t i = 0;
    /* a list and an object met at one path: keep the object */
    for (const struct node *k = n->kids; k; k = k->next)
        if (!k->index) v[i++] = k;
    if (cnt > 1) qsort(v, cnt, sizeof *v, cmp_key);
    rp_json_write_obj_begin(w);
    for (i = 0; i < cnt; i++) {
        rp_json_write_key(w, v[i]->key.p, v[i]->key.len);
        write_node(g, w, v[i]);
    }
    rp_json_write_obj_end(w);
}

/* ---- the finding --------------------------------------------------------------------------- */

static bool is_guardduty(struct rp_json_val f)
{
    struct rp_str s;
    struct rp_json_val pf;
    struct rp_json_iter it;
    struct rp_json_val v;
    if (hub_str_member(f, "ProductArn", &s) && rp_str_has_suffix(s, "/product/aws/guardduty"))
        return true;
    if (hub_str_member(f, "ProductName", &s) && rp_str_eq_cstr(s, "GuardDuty")) return true;
    if (hub_member(f, "ProductFields", &pf) && rp_json_obj_iter(pf, &it) == RP_OK)
        while (rp_json_obj_next(&it, &s, &v))
            if (rp_str_has_prefix(s, "aws/guardduty/")) return true;
    return false;
}

/* The GuardDuty type in an ASFF Types entry: its last '/' segment, with the first '-' after
 * ':' turned back into the '/' the converter replaced ("Recon:EC2-Portscan"). */
static bool type_of(struct rp_json_val f, char *out, size_t n)
{
    struct rp_json_val types, el;
    struct rp_json_iter it;
    struct rp_str s;
    if (!hub_member(f, "Types", &types) || rp_json_arr_iter(types, &it) != RP_OK) return false;
    while (rp_json_arr_next(&it, &el)) {
        if (rp_json_get_str(el, &s) != RP_OK) continue;
        const char *last = memrchr(s.p, '/', s.len);
        struct rp_str t = last ? (struct rp_str){last + 1, (size_t)(s.p + s.len - last - 1)} : s;
        const char *colon = memchr(t.p, ':', t.len);
        if (!colon || t.len >= n) continue;
        memcpy(out, t.p, t.len);
        out[t.len] = '\0';
        char *dash = strchr(out + (colon - t.p), '-');
        if (dash) *dash = '/';
        return true;
    }
    return false;
}

static double severity_of(struct rp_json_val f)
{
    struct rp_json_val sev;
    struct rp_str s;
    int64_t norm = 0;
    if (!hub_member(f, "Severity", &sev)) return 0;
    if (hub_str_member(sev, "Original", &s) && s.len < 32) {
        char buf[32];
        memcpy(buf, s.p, s.len);
        buf[s.len] = '\0';
        char *end = NULL;
        double d = strtod(buf, &end);
        if (end && *end == '\0' && d >= 0 && d <= 10) return d;
    }
    if (rp_json_obj_get_i64(sev, "Normalized", &norm) == RP_OK) return (double)norm / 10.0;
    if (hub_str_member(sev, "Label", &s)) {
        int64_t n = hub_severity_normalized(s);
        if (n >= 0) return (double)n / 10.0;
    }
    return 0;
}

/* The text after the last occurrence of sep in s (all of s without one). */
static struct rp_str after(struct rp_str s, const char *sep)
{
    size_t n = strlen(sep);
    for (size_t i = s.len; i >= n && i > 0; i--)
        if (memcmp(s.p + i - n, sep, n) == 0) return (struct rp_str){s.p + i, s.len - i};
    return s;
}

static void kv_s(struct rp_json_writer *w, const char *k, struct rp_str s)
{
    if (s.len) rp_json_write_kv_str(w, k, s.p, s.len);
}

static void copy(struct rp_json_writer *w, const char *dst, struct rp_json_val o, const char *src)
{
    struct rp_str s;
    if (hub_str_member(o, src, &s)) kv_s(w, dst, s);
}

/* "Tags": [{Key, Value}] from the ASFF Tags map, when the resource has one. */
static void tags(struct rp_json_writer *w, struct rp_json_val r)
{
    struct rp_json_val t, v;
    struct rp_json_iter it;
    struct rp_str k, s;
    if (!hub_member(r, "Tags", &t) || rp_json_obj_iter(t, &it) != RP_OK) return;
    rp_json_write_key(w, "Tags", 4);
    rp_json_write_arr_begin(w);
    while (rp_json_obj_next(&it, &k, &v)) {
        if (rp_json_get_str(v, &s) != RP_OK) continue;
        rp_json_write_obj_begin(w);
        rp_json_write_kv_str(w, "Key", k.p, k.len);
        rp_json_write_kv_str(w, "Value", s.p, s.len);
        rp_json_write_obj_end(w);
    }
    rp_json_write_arr_end(w);
}

static void access_key(struct rp_json_writer *w, struct rp_json_val r)
{
    struct rp_json_val d, ak = {0};
    struct rp_str id;
    (void)hub_str_member(r, "Id", &id);
    if (hub_member(r, "Details", &d)) (void)hub_member(d, "AwsIamAccessKey", &ak);
    rp_json_write_key(w, "AccessKeyDetails", 16);
    rp_json_write_obj_begin(w);
    kv_s(w, "AccessKeyId", after(id, "AWS::IAM::AccessKey:"));
    copy(w, "PrincipalId", ak, "PrincipalId");
    copy(w, "UserName", ak, "PrincipalName");
    copy(w, "UserType", ak, "PrincipalType");
    rp_json_write_obj_end(w);
}

static void instance(struct rp_json_writer *w, struct rp_json_val r)
{
    struct rp_json_val d, ec2 = {0}, arr, el;
    struct rp_json_iter it;
    struct rp_str id, s, priv = {0}, pub = {0};
    (void)hub_str_member(r, "Id", &id);
    if (hub_member(r, "Details", &d)) (void)hub_member(d, "AwsEc2Instance", &ec2);
    /* the converter lists private addresses of every interface, then public ones */
    if (hub_member(ec2, "IpV4Addresses", &arr) && rp_json_arr_iter(arr, &it) == RP_OK)
        while (rp_json_arr_next(&it, &el)) {
            struct rp_ip ip;
            if (rp_json_get_str(el, &s) != RP_OK || rp_ip_parse(s, &ip, NULL) != RP_OK) continue;
            if (!rp_ip_is_private(&ip)) {
                if (!pub.len) pub = s;
            } else if (!priv.len) {
                priv = s;
            }
        }
    rp_json_write_key(w, "InstanceDetails", 15);
    rp_json_write_obj_begin(w);
    if (hub_str_member(ec2, "IamInstanceProfileArn", &s)) {
        rp_json_write_key(w, "IamInstanceProfile", 18);
        rp_json_write_obj_begin(w);
        kv_s(w, "Arn", s);
        rp_json_write_obj_end(w);
    }
    copy(w, "ImageId", ec2, "ImageId");
    kv_s(w, "InstanceId", after(id, "instance/"));
    copy(w, "InstanceType", ec2, "Type");
    copy(w, "LaunchTime", ec2, "LaunchedAt");
    if (hub_member(ec2, "NetworkInterfaces", &arr) && rp_json_arr_iter(arr, &it) == RP_OK) {
        rp_json_write_key(w, "NetworkInterfaces", 17);
        rp_json_write_arr_begin(w);
        bool first = true;
        while (rp_json_arr_next(&it, &el)) {
            rp_json_write_obj_begin(w);
            if (first) {
                struct rp_json_val v6;
                struct rp_json_iter it6;
                if (hub_member(ec2, "IpV6Addresses", &v6) && rp_json_arr_iter(v6, &it6) == RP_OK) {
                    struct rp_json_val e6;
                    rp_json_write_key(w, "Ipv6Addresses", 13);
                    rp_json_write_arr_begin(w);
                    while (rp_json_arr_next(&it6, &e6))
                        if (rp_json_get_str(e6, &s) == RP_OK) rp_json_write_str(w, s.p, s.len);
                    rp_json_write_arr_end(w);
                }
            }
            copy(w, "NetworkInterfaceId", el, "NetworkInterfaceId");
            if (first) {
                kv_s(w, "PrivateIpAddress", priv);
                kv_s(w, "PublicIp", pub);
                copy(w, "SubnetId", ec2, "SubnetId");
                copy(w, "VpcId", ec2, "VpcId");
            }
            rp_json_write_obj_end(w);
            first = false;
        }
        rp_json_write_arr_end(w);
    }
    tags(w, r);
    rp_json_write_obj_end(w);
}

static void bucket(struct rp_json_writer *w, struct rp_json_val r)
{
    struct rp_json_val d, b = {0};
    struct rp_str id, s;
    (void)hub_str_member(r, "Id", &id);
    if (hub_member(r, "Details", &d)) (void)hub_member(d, "AwsS3Bucket", &b);
    rp_json_write_obj_begin(w);
    kv_s(w, "Arn", id);
    copy(w, "CreatedAt", b, "CreatedAt");
    kv_s(w, "Name", after(id, ":::"));
    if (hub_str_member(b, "OwnerId", &s)) {
        rp_json_write_key(w, "Owner", 5);
        rp_json_write_obj_begin(w);
        kv_s(w, "Id", s);
        rp_json_write_obj_end(w);
    }
    tags(w, r);
    rp_json_write_obj_end(w);
}

/* ASFF resource types of the table-driven GuardDuty resources (hub_conv_guardduty.c). */
static const struct {
    const char *asff;
    const char *rtype;
    const char *member;
} other_kinds[] = {
    {"AwsEcsCluster", "ECSCluster", "EcsClusterDetails"},
    {"Container", "Container", "ContainerDetails"},
    {"AwsLambdaFunction", "Lambda", "LambdaDetails"},
    {"AwsRdsDbInstance", "RDSDBInstance", "RdsDbInstanceDetails"},
};

static void write_resource(struct rp_json_writer *w, struct rp_json_val f)
{
    struct rp_json_val rs, r, first = {0}, key = {0}, d, o;
    struct rp_json_iter it;
    struct rp_str type, s;
    if (hub_member(f, "Resources", &rs) && rp_json_arr_iter(rs, &it) == RP_OK)
        while (rp_json_arr_next(&it, &r)) {
            if (!hub_str_member(r, "Type", &type)) continue;
            if (!first.doc) first = r;
            if (rp_str_eq_cstr(type, "AwsIamAccessKey") && !key.doc) key = r;
        }
    rp_json_write_key(w, "Resource", 8);
    rp_json_write_obj_begin(w);
    if (!first.doc || !hub_str_member(first, "Type", &type)) {
        rp_json_write_obj_end(w);
        return;
    }
    const char *rtype = NULL;
    if (rp_str_eq_cstr(type, "AwsEc2Instance")) {
        instance(w, first);
        rtype = "Instance";
    } else if (rp_str_eq_cstr(type, "AwsIamAccessKey")) {
        access_key(w, first);
        rtype = "AccessKey";
    } else if (rp_str_eq_cstr(type, "AwsS3Bucket")) {
        if (key.doc) access_key(w, key);
        rp_json_write_key(w, "S3BucketDetails", 15);
        rp_json_write_arr_begin(w);
        if (rp_json_arr_iter(rs, &it) == RP_OK)
            while (rp_json_arr_next(&it, &r))
                if (hub_str_member(r, "Type", &s) && rp_str_eq_cstr(s, "AwsS3Bucket")) bucket(w, r);
        rp_json_write_arr_end(w);
        rtype = "S3Bucket";
    } else if (rp_str_eq_cstr(type, "AwsEksCluster")) {
        struct rp_json_val eks = {0};
        if (hub_member(first, "Details", &d)) (void)hub_member(d, "AwsEksCluster", &eks);
        rp_json_write_key(w, "EksClusterDetails", 17);
        rp_json_write_obj_begin(w);
        copy(w, "Arn", first, "Id");
        copy(w, "Name", eks, "Name");
        copy(w, "Status", eks, "ClusterStatus");
        tags(w, first);
        rp_json_write_obj_end(w);
        rtype = "EKSCluster";
    } else {
        for (size_t i = 0; i < RP_ARRAY_LEN(other_kinds) && !rtype; i++)
            if (rp_str_eq_cstr(type, other_kinds[i].asff)) rtype = other_kinds[i].rtype;
        if (!rtype && hub_member(first, "Details", &d) && hub_member(d, "Other", &o) &&
            hub_str_member(o, "ResourceType", &s))
            rp_json_write_kv_str(w, "ResourceType", s.p, s.len);
    }
    if (rtype) rp_json_write_kv_cstr(w, "ResourceType", rtype);
    rp_json_write_obj_end(w);
}

/* Service: ProductFields, the ASFF Action over them, and the finding's own members where
 * ProductFields lack them. */
static rp_err write_service(struct gd_state *g, struct rp_json_writer *w, struct rp_json_val f,
                            struct rp_errbuf *eb)
{
    struct node root = {0};
    struct rp_json_val pf, v, action, net;
    struct rp_json_iter it;
    struct rp_str k, s;
    if (hub_member(f, "ProductFields", &pf) && rp_json_obj_iter(pf, &it) == RP_OK)
        while (rp_json_obj_next(&it, &k, &v))
            if (rp_str_has_prefix(k, PF_PREFIX) && rp_json_get_str(v, &s) == RP_OK)
                insert_pf(g, &root,
                          (struct rp_str){k.p + sizeof PF_PREFIX - 1, k.len - sizeof PF_PREFIX + 1},
                          s);
    if (hub_member(f, "Action", &action))
        insert_json(g, child(g, &root, RP_STR_LIT("Action"), false), action);
    /* LocalIpDetails of a connection: the converter keeps it in Network only */
    struct node *act = find(&root, "Action");
    struct node *nc = find(act, "NetworkConnectionAction");
    struct rp_str dir = {0}, lip = {0};
    if (nc && !find(nc, "LocalIpDetails") && hub_member(f, "Network", &net) &&
        hub_str_member(net, "Direction", &dir)) {
        bool inb = rp_str_eq_cstr(dir, "IN");
        bool v6 = hub_str_member(net, inb ? "DestinationIpV6" : "SourceIpV6", &lip);
        if (v6 || hub_str_member(net, inb ? "DestinationIpV4" : "SourceIpV4", &lip)) {
            struct node *l = child(g, nc, RP_STR_LIT("LocalIpDetails"), false);
            struct node *a =
                l ? child(g, l, v6 ? RP_STR_LIT("IpAddressV6") : RP_STR_LIT("IpAddressV4"), false)
                  : NULL;
            if (a) set_scalar(g, a, lip, RP_JSON_STRING);
        }
    }
    struct rp_str rs = {0};
    struct node *n = child(g, &root, RP_STR_LIT("Archived"), false);
    if (n && hub_str_member(f, "RecordState", &rs))
        set_scalar(g, n, rp_str_from(rp_str_eq_cstr(rs, "ARCHIVED") ? "true" : "false"),
                   RP_JSON_BOOL);
    else if (n && !n->scalar)
        set_scalar(g, n, RP_STR_LIT("false"), RP_JSON_BOOL);
    if (!find(&root, "Count") && (n = child(g, &root, RP_STR_LIT("Count"), false)))
        set_scalar(g, n, RP_STR_LIT("1"), RP_JSON_INT);
    if (!find(&root, "DetectorId") && hub_str_member(f, "GeneratorId", &s) &&
        (s = after(s, "detector/")).len && (n = child(g, &root, RP_STR_LIT("DetectorId"), false)))
        set_scalar(g, n, s, RP_JSON_STRING);
    if (!find(&root, "EventFirstSeen") && hub_str_member(f, "FirstObservedAt", &s) &&
        (n = child(g, &root, RP_STR_LIT("EventFirstSeen"), false)))
        set_scalar(g, n, s, RP_JSON_STRING);
    if (!find(&root, "EventLastSeen") && hub_str_member(f, "LastObservedAt", &s) &&
        (n = child(g, &root, RP_STR_LIT("EventLastSeen"), false)))
        set_scalar(g, n, s, RP_JSON_STRING);
    if (!find(&root, "ServiceName") && (n = child(g, &root, RP_STR_LIT("ServiceName"), false)))
        set_scalar(g, n, RP_STR_LIT("guardduty"), RP_JSON_STRING);
    if (g->oom) return rp_fail(eb, RP_ENOMEM, "export: guardduty: out of memory");
    rp_json_write_key(w, "Service", 7);
    write_node(g, w, &root);
    return g->oom ? rp_fail(eb, RP_ENOMEM, "export: guardduty: out of memory") : RP_OK;
}

static rp_err gd_begin(struct rp_hub_export_state *x, struct rp_errbuf *eb)
{
    struct gd_state *g = x->priv;
    rp_arena_init(&g->arena, 16u << 10);
    g->arena_ready = true;
    rp_err e = rp_buf_append_str(x->buf, "{\"Findings\":[");
    return e ? rp_fail(eb, e, "export: guardduty: %s", rp_strerror(e)) : RP_OK;
}

static rp_err gd_finding(struct rp_hub_export_state *x, struct rp_json_val f, struct rp_errbuf *eb)
{
    struct gd_state *g = x->priv;
    if (!is_guardduty(f)) return RP_OK;
    rp_arena_reset(&g->arena);
    g->oom = false;
    struct rp_str id = {0}, s = {0};
    char type[256] = "";
    (void)hub_str_member(f, "Id", &id);
    bool has_type = type_of(f, type, sizeof type);
    struct rp_str partition = RP_STR_LIT("aws");
    if (rp_str_has_prefix(id, "arn:")) {
        const char *c = memchr(id.p + 4, ':', id.len - 4);
        if (c) partition = (struct rp_str){id.p + 4, (size_t)(c - id.p - 4)};
    }
    rp_err e = rp_buf_append_str(x->buf, g->written ? ",\n" : "\n");
    if (e) return rp_fail(eb, e, "export: guardduty: %s", rp_strerror(e));
    struct rp_json_writer w;
    rp_json_writer_init(&w, x->buf);
    rp_json_write_obj_begin(&w);
    copy(&w, "AccountId", f, "AwsAccountId");
    kv_s(&w, "Arn", id);
    copy(&w, "CreatedAt", f, "CreatedAt");
    copy(&w, "Description", f, "Description");
    kv_s(&w, "Id", after(id, "/finding/").len < id.len ? after(id, "/finding/") : after(id, "/"));
    kv_s(&w, "Partition", partition);
    copy(&w, "Region", f, "Region");
    write_resource(&w, f);
    rp_json_write_kv_cstr(&w, "SchemaVersion", "2.0");
    e = write_service(g, &w, f, eb);
    if (e) return e;
    rp_json_write_kv_double(&w, "Severity", severity_of(f));
    copy(&w, "Title", f, "Title");
    if (has_type) rp_json_write_kv_cstr(&w, "Type", type);
    if (hub_str_member(f, "UpdatedAt", &s)) kv_s(&w, "UpdatedAt", s);
    rp_json_write_obj_end(&w);
    e = rp_json_writer_finish(&w);
    if (e) return rp_fail(eb, e, "export: guardduty: %s", rp_strerror(e));
    g->written++;
    return RP_OK;
}

static rp_err gd_end(struct rp_hub_export_state *x, struct rp_errbuf *eb)
{
    struct gd_state *g = x->priv;
    rp_err e = rp_buf_append_str(x->buf, g->written ? "\n]}\n" : "]}\n");
    return e ? rp_fail(eb, e, "export: guardduty: %s", rp_strerror(e)) : RP_OK;
}

static void gd_release(struct rp_hub_export_state *x)
{
    struct gd_state *g = x->priv;
    if (g->arena_ready) rp_arena_release(&g->arena);
}

const struct rp_hub_export_fmt rp_hub_export_guardduty = {
    .name = "guardduty",
    .summary = "GuardDuty findings JSON ({\"Findings\": [...]}) of GuardDuty findings",
    .priv_size = sizeof(struct gd_state),
    .begin = gd_begin,
    .finding = gd_finding,
    .end = gd_end,
    .release = gd_release,
};
