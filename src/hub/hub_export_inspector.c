/* SPDX-License-Identifier: Apache-2.0 */
/* Export format "inspector" of the findings hub (hub_export.h): Inspector v2's own finding
 * JSON, as `aws inspector2 list-findings` prints it ({"findings": [...]}), rebuilt from the
 * ASFF that Rampart's Inspector producers store (src/vuln PACKAGE_VULNERABILITY, src/netreach
 * NETWORK_REACHABILITY; layout in docs/vulns.md and docs/reach.md):
 *   findingArn        arn:aws:inspector2:<region>:<account>:finding/<the Id's hex part>
 *   type, resources[].{type,id}, inspectorScore   from ProductFields "aws/inspector/.."
 *   status            ACTIVE; SUPPRESSED when the workflow is; CLOSED when archived
 *   packageVulnerabilityDetails   from Vulnerabilities[0] (Cvss entries other than the
 *                     INSPECTOR one; vulnerablePackages with epoch as a number)
 *   inspectorScoreDetails.adjustedCvss   the INSPECTOR Cvss entry and its Adjustments, or the
 *                     base entry with no adjustments
 *   networkReachabilityDetails   openPortRange and protocol from ProductFields, steps from
 *                     NetworkPath
 * Findings of other products have no Inspector form and are left out (filter on
 * ProductName=Inspector to export only these). */
#define RP_LOG_MODULE "hub"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hub/hub_export.h"
#include "hub/hub_internal.h"

static struct rp_str pf(struct rp_json_val f, const char *key)
{
    struct rp_json_val p;
    struct rp_str s = {0};
    if (hub_member(f, "ProductFields", &p)) (void)hub_str_member(p, key, &s);
    return s;
}

static void kv_rstr(struct rp_json_writer *w, const char *k, struct rp_str s);

/* Inspector's finding type: Rampart's ProductFields, else (findings Security Hub received
 * from Inspector itself) the ASFF type Inspector files them under. */
static struct rp_str type_of(struct rp_json_val f)
{
    struct rp_str t = pf(f, "aws/inspector/type"), s = {0};
    if (t.p) return t;
    struct rp_str arn = {0};
    if (!hub_str_member(f, "ProductArn", &arn) || !rp_str_has_suffix(arn, ":product/aws/inspector"))
        return t;
    struct rp_json_val types, el;
    struct rp_json_iter it;
    if (hub_member(f, "Types", &types) && rp_json_arr_iter(types, &it) == RP_OK)
        while (rp_json_arr_next(&it, &el))
            if (rp_json_get_str(el, &s) == RP_OK) {
                if (rp_str_has_suffix(s, "/Vulnerabilities/CVE"))
                    return rp_str_from("PACKAGE_VULNERABILITY");
                if (rp_str_has_prefix(s, "Software and Configuration Checks/AWS Security Best "
                                         "Practices/Network Reachability"))
                    return rp_str_from("NETWORK_REACHABILITY");
            }
    return t;
}

/* resources[0].type and .id: Rampart's ProductFields, else from the ASFF resource. */
static void write_resource_ids(struct rp_json_writer *w, struct rp_json_val f, struct rp_json_val r)
{
    struct rp_str t = pf(f, "aws/inspector/resourceType"), id = pf(f, "aws/inspector/resourceId");
    struct rp_str at = {0}, aid = {0};
    if (!t.p && hub_str_member(r, "Type", &at)) {
        static const struct {
            const char *asff, *insp;
        } m[] = {{"AwsEc2Instance", "AWS_EC2_INSTANCE"},
                 {"AwsEcrContainerImage", "AWS_ECR_CONTAINER_IMAGE"},
                 {"AwsLambdaFunction", "AWS_LAMBDA_FUNCTION"}};
        for (size_t i = 0; i < sizeof m / sizeof m[0] && !t.p; i++)
            if (rp_str_eq_cstr(at, m[i].asff)) t = rp_str_from(m[i].insp);
    }
    if (!id.p && hub_str_member(r, "Id", &aid)) {
        /* "arn:aws:ec2:region:account:instance/i-0abc" -> "i-0abc" */
        const char *slash = memchr(aid.p, '/', aid.len);
        id = slash ? (struct rp_str){slash + 1, aid.len - (size_t)(slash + 1 - aid.p)} : aid;
    }
    kv_rstr(w, "type", t);
    kv_rstr(w, "id", id);
}

static void kv_rstr(struct rp_json_writer *w, const char *k, struct rp_str s)
{
    if (s.p) rp_json_write_kv_str(w, k, s.p, s.len);
}

static void copy_str(struct rp_json_writer *w, const char *to, struct rp_json_val o,
                     const char *from)
{
    struct rp_str s = {0};
    if (hub_str_member(o, from, &s)) rp_json_write_kv_str(w, to, s.p, s.len);
}

static void copy_val(struct rp_json_writer *w, const char *to, struct rp_json_val o,
                     const char *from)
{
    struct rp_json_val v;
    if (!hub_member(o, from, &v)) return;
    rp_json_write_key(w, to, strlen(to));
    rp_json_write_val(w, v);
}

static bool number_of(struct rp_str s, double *out)
{
    char buf[32];
    if (!s.p || !s.len || s.len >= sizeof buf) return false;
    memcpy(buf, s.p, s.len);
    buf[s.len] = 0;
    char *end = NULL;
    *out = strtod(buf, &end);
    return end && *end == 0;
}

static void write_resources(struct rp_json_writer *w, struct rp_json_val f)
{
    struct rp_json_val rs, r, d, ec2;
    struct rp_json_iter it;
    rp_json_write_key(w, "resources", 9);
    rp_json_write_arr_begin(w);
    if (hub_member(f, "Resources", &rs) && rp_json_arr_iter(rs, &it) == RP_OK &&
        rp_json_arr_next(&it, &r)) {
        rp_json_write_obj_begin(w);
        write_resource_ids(w, f, r);
        copy_str(w, "partition", r, "Partition");
        copy_str(w, "region", r, "Region");
        copy_val(w, "tags", r, "Tags");
        if (hub_member(r, "Details", &d) && hub_member(d, "AwsEc2Instance", &ec2)) {
            rp_json_write_key(w, "details", 7);
            rp_json_write_obj_begin(w);
            rp_json_write_key(w, "awsEc2Instance", 14);
            rp_json_write_obj_begin(w);
            copy_str(w, "type", ec2, "Type");
            copy_str(w, "imageId", ec2, "ImageId");
            copy_val(w, "ipV4Addresses", ec2, "IpV4Addresses");
            copy_str(w, "keyName", ec2, "KeyName");
            copy_str(w, "iamInstanceProfileArn", ec2, "IamInstanceProfileArn");
            copy_str(w, "vpcId", ec2, "VpcId");
            copy_str(w, "subnetId", ec2, "SubnetId");
            copy_str(w, "launchedAt", ec2, "LaunchedAt");
            rp_json_write_obj_end(w);
            rp_json_write_obj_end(w);
        }
        rp_json_write_obj_end(w);
    }
    rp_json_write_arr_end(w);
}

static bool is_inspector_cvss(struct rp_json_val c)
{
    struct rp_str src = {0};
    return hub_str_member(c, "Source", &src) && rp_str_eq_cstr(src, "INSPECTOR");
}

static void write_cvss_entry(struct rp_json_writer *w, struct rp_json_val c)
{
    rp_json_write_obj_begin(w);
    copy_val(w, "baseScore", c, "BaseScore");
    copy_str(w, "scoringVector", c, "BaseVector");
    copy_str(w, "version", c, "Version");
    copy_str(w, "source", c, "Source");
    rp_json_write_obj_end(w);
}

static void write_package(struct rp_json_writer *w, struct rp_json_val p)
{
    rp_json_write_obj_begin(w);
    copy_str(w, "name", p, "Name");
    copy_str(w, "version", p, "Version");
    struct rp_str ep = {0};
    int64_t n = 0;
    if (hub_str_member(p, "Epoch", &ep) && rp_str_to_i64(ep, &n) == RP_OK)
        rp_json_write_kv_int(w, "epoch", n);
    copy_str(w, "release", p, "Release");
    copy_str(w, "arch", p, "Architecture");
    copy_str(w, "packageManager", p, "PackageManager");
    copy_str(w, "filePath", p, "FilePath");
    copy_str(w, "fixedInVersion", p, "FixedInVersion");
    copy_str(w, "remediation", p, "Remediation");
    copy_str(w, "sourceLayerHash", p, "SourceLayerHash");
    rp_json_write_obj_end(w);
}

static void write_package_details(struct rp_json_writer *w, struct rp_json_val v)
{
    struct rp_json_val vendor, arr, el;
    struct rp_json_iter it;
    rp_json_write_key(w, "packageVulnerabilityDetails", 27);
    rp_json_write_obj_begin(w);
    copy_str(w, "vulnerabilityId", v, "Id");
    if (hub_member(v, "Vendor", &vendor)) {
        copy_str(w, "source", vendor, "Name");
        copy_str(w, "sourceUrl", vendor, "Url");
        copy_str(w, "vendorSeverity", vendor, "VendorSeverity");
        copy_str(w, "vendorCreatedAt", vendor, "VendorCreatedAt");
        copy_str(w, "vendorUpdatedAt", vendor, "VendorUpdatedAt");
    }
    rp_json_write_key(w, "cvss", 4);
    rp_json_write_arr_begin(w);
    if (hub_member(v, "Cvss", &arr) && rp_json_arr_iter(arr, &it) == RP_OK)
        while (rp_json_arr_next(&it, &el))
            if (!is_inspector_cvss(el)) write_cvss_entry(w, el);
    rp_json_write_arr_end(w);
    copy_val(w, "relatedVulnerabilities", v, "RelatedVulnerabilities");
    copy_val(w, "referenceUrls", v, "ReferenceUrls");
    rp_json_write_key(w, "vulnerablePackages", 18);
    rp_json_write_arr_begin(w);
    if (hub_member(v, "VulnerablePackages", &arr) && rp_json_arr_iter(arr, &it) == RP_OK)
        while (rp_json_arr_next(&it, &el)) write_package(w, el);
    rp_json_write_arr_end(w);
    rp_json_write_obj_end(w);
}

/* inspectorScoreDetails.adjustedCvss: the INSPECTOR entry (with its adjustments) when the
 * score was adjusted, else the first (base) entry with none. */
static void write_score_details(struct rp_json_writer *w, struct rp_json_val v, double score)
{
    struct rp_json_val arr, el, base = {0}, adj = {0};
    struct rp_json_iter it;
    bool have_base = false, have_adj = false;
    if (hub_member(v, "Cvss", &arr) && rp_json_arr_iter(arr, &it) == RP_OK)
        while (rp_json_arr_next(&it, &el)) {
            if (is_inspector_cvss(el) && !have_adj) {
                adj = el;
                have_adj = true;
            } else if (!is_inspector_cvss(el) && !have_base) {
                base = el;
                have_base = true;
            }
        }
    if (!have_base) return;
    struct rp_json_val use = have_adj ? adj : base;
    rp_json_write_key(w, "inspectorScoreDetails", 21);
    rp_json_write_obj_begin(w);
    rp_json_write_key(w, "adjustedCvss", 12);
    rp_json_write_obj_begin(w);
    copy_str(w, "scoreSource", base, "Source");
    copy_str(w, "cvssSource", base, "Source");
    copy_str(w, "version", use, "Version");
    rp_json_write_kv_double(w, "score", score);
    copy_str(w, "scoringVector", use, "BaseVector");
    rp_json_write_key(w, "adjustments", 11);
    rp_json_write_arr_begin(w);
    if (have_adj && hub_member(adj, "Adjustments", &arr) && rp_json_arr_iter(arr, &it) == RP_OK)
        while (rp_json_arr_next(&it, &el)) {
            rp_json_write_obj_begin(w);
            copy_str(w, "metric", el, "Metric");
            copy_str(w, "reason", el, "Reason");
            rp_json_write_obj_end(w);
        }
    rp_json_write_arr_end(w);
    rp_json_write_obj_end(w);
    rp_json_write_obj_end(w);
}

static void write_network_details(struct rp_json_writer *w, struct rp_json_val f)
{
    double b = 0, e = 0;
    rp_json_write_key(w, "networkReachabilityDetails", 26);
    rp_json_write_obj_begin(w);
    if (number_of(pf(f, "aws/inspector/networkReachabilityDetails/openPortRange/begin"), &b) &&
        number_of(pf(f, "aws/inspector/networkReachabilityDetails/openPortRange/end"), &e)) {
        rp_json_write_key(w, "openPortRange", 13);
        rp_json_write_obj_begin(w);
        rp_json_write_kv_int(w, "begin", (int64_t)b);
        rp_json_write_kv_int(w, "end", (int64_t)e);
        rp_json_write_obj_end(w);
    }
    kv_rstr(w, "protocol", pf(f, "aws/inspector/networkReachabilityDetails/protocol"));
    rp_json_write_key(w, "networkPath", 11);
    rp_json_write_obj_begin(w);
    rp_json_write_key(w, "steps", 5);
    rp_json_write_arr_begin(w);
    struct rp_json_val arr, el;
    struct rp_json_iter it;
    if (hub_member(f, "NetworkPath", &arr) && rp_json_arr_iter(arr, &it) == RP_OK)
        while (rp_json_arr_next(&it, &el)) {
            rp_json_write_obj_begin(w);
            copy_str(w, "componentId", el, "ComponentId");
            copy_str(w, "componentType", el, "ComponentType");
            rp_json_write_obj_end(w);
        }
    rp_json_write_arr_end(w);
    rp_json_write_obj_end(w);
    rp_json_write_obj_end(w);
}

static const char *status_of(struct rp_json_val f)
{
    struct rp_json_val wf;
    struct rp_str s = {0};
    if (hub_str_member(f, "RecordState", &s) && rp_str_eq_cstr(s, "ARCHIVED")) return "CLOSED";
    if (hub_member(f, "Workflow", &wf) && hub_str_member(wf, "Status", &s) &&
        rp_str_eq_cstr(s, "SUPPRESSED"))
        return "SUPPRESSED";
    return "ACTIVE";
}

static rp_err insp_begin(struct rp_hub_export_state *x, struct rp_errbuf *eb)
{
    rp_err e = rp_buf_append_str(x->buf, "{\"findings\":[");
    return e ? rp_fail(eb, e, "export: inspector: %s", rp_strerror(e)) : RP_OK;
}

static rp_err insp_finding(struct rp_hub_export_state *x, struct rp_json_val f,
                           struct rp_errbuf *eb)
{
    struct rp_str type = type_of(f);
    if (!type.p) return RP_OK; /* not an Inspector finding */
    size_t *written = x->priv;
    struct rp_str id = {0}, acct = {0}, region = {0}, s = {0};
    (void)hub_str_member(f, "Id", &id);
    (void)hub_str_member(f, "AwsAccountId", &acct);
    (void)hub_str_member(f, "Region", &region);
    const char *slash = id.p ? memchr(id.p, '/', id.len) : NULL;
    struct rp_str tail =
        slash ? (struct rp_str){slash + 1, id.len - (size_t)(slash + 1 - id.p)} : id;
    rp_err e = rp_buf_append_str(x->buf, *written ? ",\n" : "\n");
    if (e) return rp_fail(eb, e, "export: inspector: %s", rp_strerror(e));
    struct rp_json_writer w;
    rp_json_writer_init(&w, x->buf);
    rp_json_write_obj_begin(&w);
    char arn[512];
    int an = 0;
    if (id.p && rp_str_has_prefix(id, "arn:aws:inspector2:")) /* Inspector's own finding */
        an = snprintf(arn, sizeof arn, "%.*s", (int)id.len, id.p);
    else
        an = snprintf(arn, sizeof arn, "arn:aws:inspector2:%.*s:%.*s:finding/%.*s", (int)region.len,
                      region.p ? region.p : "", (int)acct.len, acct.p ? acct.p : "", (int)tail.len,
                      tail.p ? tail.p : "");
    if (an > 0 && (size_t)an < sizeof arn) rp_json_write_kv_cstr(&w, "findingArn", arn);
    kv_rstr(&w, "awsAccountId", acct);
    kv_rstr(&w, "type", type);
    copy_str(&w, "title", f, "Title");
    copy_str(&w, "description", f, "Description");
    struct rp_json_val rem, rec, sev;
    if (hub_member(f, "Remediation", &rem) && hub_member(rem, "Recommendation", &rec)) {
        rp_json_write_key(&w, "remediation", 11);
        rp_json_write_obj_begin(&w);
        rp_json_write_key(&w, "recommendation", 14);
        rp_json_write_obj_begin(&w);
        copy_str(&w, "text", rec, "Text");
        copy_str(&w, "Url", rec, "Url");
        rp_json_write_obj_end(&w);
        rp_json_write_obj_end(&w);
    }
    if (hub_member(f, "Severity", &sev)) {
        if (!hub_str_member(sev, "Original", &s)) (void)hub_str_member(sev, "Label", &s);
        kv_rstr(&w, "severity", s);
    }
    copy_str(&w, "firstObservedAt", f, "FirstObservedAt");
    copy_str(&w, "lastObservedAt", f, "LastObservedAt");
    copy_str(&w, "updatedAt", f, "UpdatedAt");
    rp_json_write_kv_cstr(&w, "status", status_of(f));
    write_resources(&w, f);
    double score = 0;
    bool scored = number_of(pf(f, "aws/inspector/inspectorScore"), &score);
    if (scored) rp_json_write_kv_double(&w, "inspectorScore", score);
    struct rp_json_val vulns, v;
    struct rp_json_iter it;
    if (rp_str_eq_cstr(type, "PACKAGE_VULNERABILITY") && hub_member(f, "Vulnerabilities", &vulns) &&
        rp_json_arr_iter(vulns, &it) == RP_OK && rp_json_arr_next(&it, &v)) {
        if (scored) write_score_details(&w, v, score);
        write_package_details(&w, v);
        copy_str(&w, "fixAvailable", v, "FixAvailable");
        copy_str(&w, "exploitAvailable", v, "ExploitAvailable");
    }
    if (rp_str_eq_cstr(type, "NETWORK_REACHABILITY")) write_network_details(&w, f);
    rp_json_write_obj_end(&w);
    e = rp_json_writer_finish(&w);
    if (e) return rp_fail(eb, e, "export: inspector: %s", rp_strerror(e));
    (*written)++;
    return RP_OK;
}

static rp_err insp_end(struct rp_hub_export_state *x, struct rp_errbuf *eb)
{
    size_t *written = x->priv;
    rp_err e = rp_buf_append_str(x->buf, *written ? "\n]}\n" : "]}\n");
    return e ? rp_fail(eb, e, "export: inspector: %s", rp_strerror(e)) : RP_OK;
}

const struct rp_hub_export_fmt rp_hub_export_inspector = {
    .name = "inspector",
    .summary = "Inspector v2 findings JSON ({\"findings\": [...]}) of Inspector findings",
    .priv_size = sizeof(size_t),
    .begin = insp_begin,
    .finding = insp_finding,
    .end = insp_end,
};
