/* SPDX-License-Identifier: Apache-2.0 */
/* Export formats "ocsf" (a JSON array) and "ocsf-lines" (JSON Lines) of the findings hub
 * (hub_export.h): each ASFF finding becomes one OCSF 1.1.0 event of the Findings category.
 * Every attribute written here is defined for its class in data/schemas/ocsf/1.1 (the
 * project's own schema files, which say what was checked against OCSF 1.1.0), and the unit
 * tests validate every event with hub_ocsf_schema.c.
 *
 * Class: Vulnerabilities[] not empty, or a type under "Software and Configuration Checks/
 * Vulnerabilities" -> Vulnerability Finding 2002; else Compliance present -> Compliance
 * Finding 2003; else Detection Finding 2004. category_uid 2; activity_id 3 Close for
 * RecordState ARCHIVED, else 1 Create when CreatedAt == UpdatedAt, else 2 Update; type_uid =
 * class_uid * 100 + activity_id; time = UpdatedAt (ms).
 * severity_id from Severity.Label (or Normalized, AWS thresholds); status_id from
 * Workflow.Status (NEW 1, NOTIFIED 2 In Progress, SUPPRESSED 3, RESOLVED 4, absent = NEW,
 * another value 99 with the value as status); confidence_score = Confidence, confidence_id
 * 1 Low (< 40), 2 Medium (< 70), 3 High; message = Note.Text.
 * OCSF 1.1.0 differences that shape the output (see the schema files):
 *   - Vulnerability and Compliance Finding have a single `resource` in 1.1.0 (`resources`
 *     came in 1.3.0): the first ASFF resource goes there; with more than one resource the
 *     whole Resources array is also kept in unmapped. Detection Finding has `resources`.
 *   - Detection Finding 1.1.0 has no `remediation`: Remediation goes to unmapped there. In a
 *     Vulnerability Finding it goes into each vulnerability's remediation.
 *   - Only attributes known in 1.1.0 are written: is_fix_available (not fix_available,
 *     deprecated in 1.1.0); ExploitAvailable and EpssScore stay in unmapped.
 * unmapped: every top-level ASFF attribute that the event does not carry whole is copied
 * there verbatim, under its ASFF name (e.g. Severity with Normalized, ProductFields,
 * FindingProviderFields, Network, Action), so nothing of the finding is lost. */
#define RP_LOG_MODULE "hub"
#include <stdio.h>
#include <string.h>

#include "core/rp_limits.h"
#include "core/rp_time.h"
#include "hub/hub_export.h"

enum { OCSF_VULN = 2002, OCSF_COMPLIANCE = 2003, OCSF_DETECTION = 2004 };

#define OCSF_MAX_FORCED 16

/* Per-finding mapping state. */
struct ocsf_ctx {
    struct rp_json_writer *w;
    struct rp_json_val f; /* the ASFF finding */
    int cls;
    const char *forced[OCSF_MAX_FORCED]; /* top-level keys to copy to unmapped regardless */
    size_t nforced;
};

static void force(struct ocsf_ctx *c, const char *key)
{
    for (size_t i = 0; i < c->nforced; i++)
        if (strcmp(c->forced[i], key) == 0) return;
    if (c->nforced < OCSF_MAX_FORCED) c->forced[c->nforced++] = key;
}

static bool get_str(struct rp_json_val obj, const char *k, struct rp_str *out)
{
    return rp_json_obj_get_str(obj, k, out) == RP_OK;
}

static bool get_obj(struct rp_json_val obj, const char *k, struct rp_json_val *out)
{
    return rp_json_obj_get(obj, k, out) == RP_OK && rp_json_type(*out) == RP_JSON_OBJECT;
}

static bool get_arr(struct rp_json_val obj, const char *k, struct rp_json_val *out)
{
    return rp_json_obj_get(obj, k, out) == RP_OK && rp_json_type(*out) == RP_JSON_ARRAY;
}

/* Time stamp member k of obj in ms. Absent: false. Present but unreadable: false, and the
 * top-level key top is copied to unmapped. */
static bool get_ms(struct ocsf_ctx *c, struct rp_json_val obj, const char *k, const char *top,
                   int64_t *ms)
{
    struct rp_json_val v;
    struct rp_str s;
    if (rp_json_obj_get(obj, k, &v) != RP_OK) return false;
    if (rp_json_get_str(v, &s) == RP_OK && rp_time_parse_iso(s, ms, NULL) == RP_OK) return true;
    force(c, top);
    return false;
}

/* key: string member k of obj, if it is a string. */
static bool kv_member(struct rp_json_writer *w, const char *key, struct rp_json_val obj,
                      const char *k)
{
    struct rp_str s;
    if (!get_str(obj, k, &s)) return false;
    rp_json_write_kv_str(w, key, s.p, s.len);
    return true;
}

/* key: [strings of array member k of obj]; non-strings are skipped (and the top-level key
 * top is then copied to unmapped). Nothing when absent or empty. */
static void kv_strings(struct ocsf_ctx *c, const char *key, struct rp_json_val obj, const char *k,
                       const char *top)
{
    struct rp_json_val arr, el;
    struct rp_json_iter it;
    if (!get_arr(obj, k, &arr) || rp_json_len(arr) == 0) {
        if (rp_json_obj_get(obj, k, &arr) == RP_OK && rp_json_type(arr) != RP_JSON_ARRAY)
            force(c, top);
        return;
    }
    rp_json_write_key(c->w, key, strlen(key));
    rp_json_write_arr_begin(c->w);
    if (rp_json_arr_iter(arr, &it) == RP_OK)
        while (rp_json_arr_next(&it, &el)) {
            struct rp_str s;
            if (rp_json_get_str(el, &s) == RP_OK)
                rp_json_write_str(c->w, s.p, s.len);
            else
                force(c, top);
        }
    rp_json_write_arr_end(c->w);
}

static const char *const sev_caption[] = {"Unknown", "Informational", "Low",
                                          "Medium",  "High",          "Critical"};

static int severity_id(struct ocsf_ctx *c)
{
    static const char *const labels[] = {"INFORMATIONAL", "LOW", "MEDIUM", "HIGH", "CRITICAL"};
    struct rp_json_val sev;
    struct rp_str s;
    double n = 0;
    if (!get_obj(c->f, "Severity", &sev)) return 0;
    if (get_str(sev, "Label", &s)) {
        for (int i = 0; i < 5; i++)
            if (rp_str_eq_cstr(s, labels[i])) return i + 1;
        force(c, "Severity");
        return 0;
    }
    if (rp_json_obj_get_double(sev, "Normalized", &n) != RP_OK) return 0;
    return n < 1 ? 1 : n < 40 ? 2 : n < 70 ? 3 : n < 90 ? 4 : 5;
}

/* The part of a ProductArn "arn:aws:securityhub:<region>:<account>:product/<company>/<id>":
 * which 0 = company, 1 = product id, 2 = region. Empty when the ARN has another shape. */
static struct rp_str arn_part(struct rp_str arn, int which)
{
    struct rp_str rest = arn, tok = {0}, out = {0};
    for (int i = 0; i < 6 && rp_str_split_next(&rest, ':', &tok); i++)
        if (i == 3 && which == 2) return tok;
    if (!rp_str_has_prefix(tok, "product/")) return out;
    tok.p += 8;
    tok.len -= 8;
    rest = tok;
    for (int i = 0; i <= which && rp_str_split_next(&rest, '/', &out); i++)
        ;
    return out;
}

static void write_metadata(struct ocsf_ctx *c)
{
    struct rp_json_writer *w = c->w;
    struct rp_str arn = {0}, s;
    int64_t ms = 0;
    bool has_arn = get_str(c->f, "ProductArn", &arn);
    rp_json_write_key(w, "metadata", 8);
    rp_json_write_obj_begin(w);
    rp_json_write_kv_cstr(w, "version", "1.1.0");
    rp_json_write_key(w, "product", 7);
    rp_json_write_obj_begin(w);
    if (!kv_member(w, "name", c->f, "ProductName") && has_arn && (s = arn_part(arn, 1)).len)
        rp_json_write_kv_str(w, "name", s.p, s.len);
    if (!kv_member(w, "vendor_name", c->f, "CompanyName")) {
        s = has_arn ? arn_part(arn, 0) : (struct rp_str){0};
        if (s.len)
            rp_json_write_kv_str(w, "vendor_name", s.p, s.len);
        else
            rp_json_write_kv_cstr(w, "vendor_name", "Unknown");
    }
    if (has_arn) rp_json_write_kv_str(w, "uid", arn.p, arn.len);
    rp_json_write_obj_end(w);
    rp_json_write_key(w, "profiles", 8);
    rp_json_write_arr_begin(w);
    rp_json_write_cstr(w, "cloud");
    rp_json_write_arr_end(w);
    kv_member(w, "log_version", c->f, "SchemaVersion");
    if (get_ms(c, c->f, "ProcessedAt", "ProcessedAt", &ms))
        rp_json_write_kv_int(w, "processed_time", ms);
    rp_json_write_obj_end(w);
}

static void write_cloud(struct ocsf_ctx *c)
{
    struct rp_json_writer *w = c->w;
    struct rp_str s = {0}, arn;
    rp_json_write_key(w, "cloud", 5);
    rp_json_write_obj_begin(w);
    rp_json_write_kv_cstr(w, "provider", "AWS");
    /* Region is optional in ASFF; take the ProductArn's region so cloud.region is always
     * there (OCSF 1.0/1.1 may have required it; see the schema files). */
    if (get_str(c->f, "Region", &s) ||
        (get_str(c->f, "ProductArn", &arn) && (s = arn_part(arn, 2)).len))
        rp_json_write_kv_str(w, "region", s.p, s.len);
    if (get_str(c->f, "AwsAccountId", &s)) {
        rp_json_write_key(w, "account", 7);
        rp_json_write_obj_begin(w);
        rp_json_write_kv_str(w, "uid", s.p, s.len);
        rp_json_write_kv_int(w, "type_id", 10);
        rp_json_write_kv_cstr(w, "type", "AWS Account");
        rp_json_write_obj_end(w);
    }
    rp_json_write_obj_end(w);
}

static void write_finding_info(struct ocsf_ctx *c, struct rp_str id)
{
    struct rp_json_writer *w = c->w;
    struct rp_json_val v, el;
    struct rp_json_iter it;
    struct rp_str s;
    int64_t ms = 0;
    rp_json_write_key(w, "finding_info", 12);
    rp_json_write_obj_begin(w);
    rp_json_write_kv_str(w, "uid", id.p, id.len);
    kv_member(w, "title", c->f, "Title");
    kv_member(w, "desc", c->f, "Description");
    kv_strings(c, "types", c->f, "Types", "Types");
    if (get_ms(c, c->f, "CreatedAt", "CreatedAt", &ms)) rp_json_write_kv_int(w, "created_time", ms);
    if (get_ms(c, c->f, "UpdatedAt", "UpdatedAt", &ms))
        rp_json_write_kv_int(w, "modified_time", ms);
    if (get_ms(c, c->f, "FirstObservedAt", "FirstObservedAt", &ms))
        rp_json_write_kv_int(w, "first_seen_time", ms);
    if (get_ms(c, c->f, "LastObservedAt", "LastObservedAt", &ms))
        rp_json_write_kv_int(w, "last_seen_time", ms);
    kv_member(w, "src_url", c->f, "SourceUrl");
    if (get_str(c->f, "GeneratorId", &s)) {
        rp_json_write_key(w, "analytic", 8);
        rp_json_write_obj_begin(w);
        rp_json_write_kv_str(w, "uid", s.p, s.len);
        if (get_obj(c->f, "GeneratorDetails", &v) && get_str(v, "Name", &s))
            rp_json_write_kv_str(w, "name", s.p, s.len);
        rp_json_write_kv_int(w, "type_id", 1);
        rp_json_write_kv_cstr(w, "type", "Rule");
        rp_json_write_obj_end(w);
    }
    if (get_arr(c->f, "RelatedFindings", &v) && rp_json_len(v) > 0 &&
        rp_json_arr_iter(v, &it) == RP_OK) {
        bool open = false;
        while (rp_json_arr_next(&it, &el)) {
            if (!get_str(el, "Id", &s)) {
                force(c, "RelatedFindings");
                continue;
            }
            if (!open) {
                rp_json_write_key(w, "related_events", 14);
                rp_json_write_arr_begin(w);
                open = true;
            }
            rp_json_write_obj_begin(w);
            rp_json_write_kv_str(w, "uid", s.p, s.len);
            kv_member(w, "product_uid", el, "ProductArn");
            rp_json_write_obj_end(w);
        }
        if (open) rp_json_write_arr_end(w);
    }
    rp_json_write_obj_end(w);
}

/* One ASFF Resources[] element as an OCSF resource_details object. */
static void write_resource(struct ocsf_ctx *c, struct rp_json_val r)
{
    struct rp_json_writer *w = c->w;
    struct rp_json_val tags, details, tv;
    struct rp_json_iter it;
    struct rp_str k;
    rp_json_write_obj_begin(w);
    kv_member(w, "uid", r, "Id");
    kv_member(w, "type", r, "Type");
    kv_member(w, "region", r, "Region");
    kv_member(w, "cloud_partition", r, "Partition");
    /* ASFF Tags is a string map; OCSF 1.1 resource_details has labels (strings), so each
     * tag becomes "key=value". */
    if (get_obj(r, "Tags", &tags) && rp_json_len(tags) > 0 &&
        rp_json_obj_iter(tags, &it) == RP_OK) {
        rp_json_write_key(w, "labels", 6);
        rp_json_write_arr_begin(w);
        struct rp_buf lab;
        rp_buf_init(&lab, RP_MAX_EVENT_BYTES);
        while (rp_json_obj_next(&it, &k, &tv)) {
            struct rp_str s;
            rp_buf_reset(&lab);
            bool ok = rp_buf_append(&lab, k.p, k.len) == RP_OK && rp_buf_putc(&lab, '=') == RP_OK;
            if (ok && rp_json_get_str(tv, &s) == RP_OK)
                ok = rp_buf_append(&lab, s.p, s.len) == RP_OK;
            else if (ok)
                ok = rp_json_serialize(tv, &lab) == RP_OK;
            if (ok)
                rp_json_write_str(w, lab.data, lab.len);
            else
                force(c, "Resources");
        }
        rp_buf_release(&lab);
        rp_json_write_arr_end(w);
    }
    if (rp_json_obj_get(r, "Details", &details) == RP_OK) {
        rp_json_write_key(w, "data", 4);
        rp_json_write_val(w, details);
    }
    rp_json_write_obj_end(w);
}

static void write_resources(struct ocsf_ctx *c)
{
    struct rp_json_val arr, el;
    struct rp_json_iter it;
    if (!get_arr(c->f, "Resources", &arr) || rp_json_len(arr) == 0 ||
        rp_json_arr_iter(arr, &it) != RP_OK)
        return;
    if (c->cls == OCSF_DETECTION) {
        rp_json_write_key(c->w, "resources", 9);
        rp_json_write_arr_begin(c->w);
        while (rp_json_arr_next(&it, &el)) write_resource(c, el);
        rp_json_write_arr_end(c->w);
        return;
    }
    if (rp_json_len(arr) > 1)
        force(c, "Resources"); /* 1.1.0: one resource only, keep them all in unmapped */
    if (rp_json_arr_next(&it, &el)) {
        rp_json_write_key(c->w, "resource", 8);
        write_resource(c, el);
    }
}

/* The ASFF Remediation.Recommendation as an OCSF remediation object under key; needs Text
 * (remediation.desc is required). */
static void write_remediation(struct ocsf_ctx *c, const char *key)
{
    struct rp_json_val rem, rec;
    struct rp_str text, url;
    if (!get_obj(c->f, "Remediation", &rem)) return;
    if (!get_obj(rem, "Recommendation", &rec) || !get_str(rec, "Text", &text)) {
        force(c, "Remediation");
        return;
    }
    rp_json_write_key(c->w, key, strlen(key));
    rp_json_write_obj_begin(c->w);
    rp_json_write_kv_str(c->w, "desc", text.p, text.len);
    if (get_str(rec, "Url", &url)) {
        rp_json_write_key(c->w, "references", 10);
        rp_json_write_arr_begin(c->w);
        rp_json_write_str(c->w, url.p, url.len);
        rp_json_write_arr_end(c->w);
    }
    rp_json_write_obj_end(c->w);
}

/* Members field of the elements of array arr, joined with "; " into key (if any). */
static void kv_joined(struct rp_json_writer *w, const char *key, struct rp_json_val arr,
                      const char *field)
{
    struct rp_json_iter it;
    struct rp_json_val el;
    struct rp_str s;
    struct rp_buf b;
    rp_buf_init(&b, RP_MAX_EVENT_BYTES);
    bool ok = true;
    if (rp_json_arr_iter(arr, &it) == RP_OK)
        while (ok && rp_json_arr_next(&it, &el))
            if (get_str(el, field, &s))
                ok = (b.len == 0 || rp_buf_append(&b, "; ", 2) == RP_OK) &&
                     rp_buf_append(&b, s.p, s.len) == RP_OK;
    if (ok && b.len) rp_json_write_kv_str(w, key, b.data, b.len);
    rp_buf_release(&b);
}

static void write_compliance(struct ocsf_ctx *c)
{
    static const struct {
        const char *asff;
        int id;
        const char *caption;
    } st[] = {{"PASSED", 1, "Pass"}, {"WARNING", 2, "Warning"}, {"FAILED", 3, "Fail"}};
    struct rp_json_writer *w = c->w;
    struct rp_json_val comp, arr, el;
    struct rp_json_iter it;
    struct rp_str s;
    get_obj(c->f, "Compliance", &comp);
    rp_json_write_key(w, "compliance", 10);
    rp_json_write_obj_begin(w);
    kv_member(w, "control", comp, "SecurityControlId");
    if (get_str(comp, "Status", &s)) {
        int id = 99;
        const char *cap = NULL;
        for (size_t i = 0; i < RP_ARRAY_LEN(st); i++)
            if (rp_str_eq_cstr(s, st[i].asff)) {
                id = st[i].id;
                cap = st[i].caption;
            }
        rp_json_write_kv_int(w, "status_id", id);
        if (cap)
            rp_json_write_kv_cstr(w, "status", cap);
        else
            rp_json_write_kv_str(w, "status", s.p, s.len); /* NOT_AVAILABLE: Other */
    } else {
        rp_json_write_kv_int(w, "status_id", 0);
        rp_json_write_kv_cstr(w, "status", "Unknown");
    }
    kv_strings(c, "requirements", comp, "RelatedRequirements", "Compliance");
    /* standards may have been required before 1.2 (it was in 1.0): always written. */
    rp_json_write_key(w, "standards", 9);
    rp_json_write_arr_begin(w);
    if (get_arr(comp, "AssociatedStandards", &arr) && rp_json_arr_iter(arr, &it) == RP_OK)
        while (rp_json_arr_next(&it, &el)) {
            if (get_str(el, "StandardsId", &s))
                rp_json_write_str(w, s.p, s.len);
            else
                force(c, "Compliance");
        }
    rp_json_write_arr_end(w);
    if (get_arr(comp, "StatusReasons", &arr)) {
        kv_joined(w, "status_code", arr, "ReasonCode");
        kv_joined(w, "status_detail", arr, "Description");
    }
    rp_json_write_obj_end(w);
}

static void write_package(struct ocsf_ctx *c, struct rp_json_val p)
{
    struct rp_json_writer *w = c->w;
    struct rp_str name, version, s;
    int64_t epoch = 0;
    if (!get_str(p, "Name", &name) || !get_str(p, "Version", &version)) {
        force(c, "Vulnerabilities"); /* name and version are required in OCSF */
        return;
    }
    rp_json_write_obj_begin(w);
    rp_json_write_kv_str(w, "name", name.p, name.len);
    rp_json_write_kv_str(w, "version", version.p, version.len);
    if (get_str(p, "Epoch", &s)) {
        if (rp_str_to_i64(s, &epoch) == RP_OK && epoch >= 0 && epoch <= INT32_MAX)
            rp_json_write_kv_int(w, "epoch", epoch);
        else
            force(c, "Vulnerabilities");
    }
    kv_member(w, "release", p, "Release");
    kv_member(w, "architecture", p, "Architecture");
    kv_member(w, "package_manager", p, "PackageManager");
    kv_member(w, "fixed_in_version", p, "FixedInVersion");
    kv_member(w, "path", p, "FilePath");
    if (get_str(p, "Remediation", &s)) {
        rp_json_write_key(w, "remediation", 11);
        rp_json_write_obj_begin(w);
        rp_json_write_kv_str(w, "desc", s.p, s.len);
        rp_json_write_obj_end(w);
    }
    rp_json_write_obj_end(w);
}

static void write_vulnerability(struct ocsf_ctx *c, struct rp_json_val v, bool has)
{
    struct rp_json_writer *w = c->w;
    struct rp_json_val arr, el, vendor;
    struct rp_json_iter it;
    struct rp_str s;
    rp_json_write_obj_begin(w);
    if (has && get_str(v, "Id", &s)) {
        /* OCSF 1.1 has no advisory object: any id (CVE, GHSA, ALAS) is cve.uid. */
        rp_json_write_key(w, "cve", 3);
        rp_json_write_obj_begin(w);
        rp_json_write_kv_str(w, "uid", s.p, s.len);
        if (get_arr(v, "Cvss", &arr) && rp_json_len(arr) > 0 &&
            rp_json_arr_iter(arr, &it) == RP_OK) {
            rp_json_write_key(w, "cvss", 4);
            rp_json_write_arr_begin(w);
            while (rp_json_arr_next(&it, &el)) {
                double score = 0;
                if (!get_str(el, "Version", &s) ||
                    rp_json_obj_get_double(el, "BaseScore", &score) != RP_OK) {
                    force(c, "Vulnerabilities"); /* version and base_score are required */
                    continue;
                }
                rp_json_write_obj_begin(w);
                rp_json_write_kv_str(w, "version", s.p, s.len);
                rp_json_write_kv_double(w, "base_score", score);
                kv_member(w, "vector_string", el, "BaseVector");
                rp_json_write_obj_end(w);
            }
            rp_json_write_arr_end(w);
        }
        rp_json_write_obj_end(w);
    } else if (has) {
        force(c, "Vulnerabilities");
    }
    kv_member(w, "title", c->f, "Title");
    kv_member(w, "desc", c->f, "Description");
    bool sev = false;
    if (has && get_obj(v, "Vendor", &vendor)) {
        kv_member(w, "vendor_name", vendor, "Name");
        sev = kv_member(w, "severity", vendor, "VendorSeverity");
    }
    if (!sev && get_obj(c->f, "Severity", &vendor)) /* else the finding's own label */
        kv_member(w, "severity", vendor, "Label");
    if (has && get_arr(v, "VulnerablePackages", &arr) && rp_json_len(arr) > 0 &&
        rp_json_arr_iter(arr, &it) == RP_OK) {
        rp_json_write_key(w, "affected_packages", 17);
        rp_json_write_arr_begin(w);
        while (rp_json_arr_next(&it, &el)) write_package(c, el);
        rp_json_write_arr_end(w);
    }
    if (has) {
        kv_strings(c, "references", v, "ReferenceUrls", "Vulnerabilities");
        kv_strings(c, "related_vulnerabilities", v, "RelatedVulnerabilities", "Vulnerabilities");
        if (get_str(v, "FixAvailable", &s)) {
            if (rp_str_eq_cstr(s, "YES") || rp_str_eq_cstr(s, "NO"))
                rp_json_write_kv_bool(w, "is_fix_available", rp_str_eq_cstr(s, "YES"));
            else
                force(c, "Vulnerabilities"); /* PARTIAL has no OCSF 1.1 value */
        }
    }
    write_remediation(c, "remediation");
    rp_json_write_obj_end(w);
}

static void write_vulnerabilities(struct ocsf_ctx *c)
{
    struct rp_json_val arr, el;
    struct rp_json_iter it;
    rp_json_write_key(c->w, "vulnerabilities", 15);
    rp_json_write_arr_begin(c->w);
    if (get_arr(c->f, "Vulnerabilities", &arr) && rp_json_len(arr) > 0 &&
        rp_json_arr_iter(arr, &it) == RP_OK) {
        while (rp_json_arr_next(&it, &el))
            write_vulnerability(c, el, rp_json_type(el) == RP_JSON_OBJECT);
    } else {
        write_vulnerability(c, (struct rp_json_val){0}, false); /* typed as a vulnerability */
    }
    rp_json_write_arr_end(c->w);
}

/* ASFF paths an event of class cls carries whole: an entry "A.B" means member B of object A
 * is carried with everything under it; "A[]" steps into the elements of array A. */
static const char *const carried_common[] = {"SchemaVersion",
                                             "Id",
                                             "ProductArn",
                                             "ProductName",
                                             "CompanyName",
                                             "GeneratorId",
                                             "GeneratorDetails.Name",
                                             "AwsAccountId",
                                             "Region",
                                             "Types",
                                             "CreatedAt",
                                             "UpdatedAt",
                                             "FirstObservedAt",
                                             "LastObservedAt",
                                             "ProcessedAt",
                                             "Title",
                                             "Description",
                                             "SourceUrl",
                                             "Severity.Label",
                                             "Workflow.Status",
                                             "Confidence",
                                             "Note.Text",
                                             "RelatedFindings[].Id",
                                             "RelatedFindings[].ProductArn",
                                             "RecordState",
                                             "Resources[].Id",
                                             "Resources[].Type",
                                             "Resources[].Region",
                                             "Resources[].Partition",
                                             "Resources[].Tags",
                                             "Resources[].Details",
                                             NULL};
static const char *const carried_compliance[] = {"Compliance.Status",
                                                 "Compliance.SecurityControlId",
                                                 "Compliance.RelatedRequirements",
                                                 "Compliance.AssociatedStandards[].StandardsId",
                                                 "Compliance.StatusReasons[].ReasonCode",
                                                 "Compliance.StatusReasons[].Description",
                                                 "Remediation.Recommendation.Text",
                                                 "Remediation.Recommendation.Url",
                                                 NULL};
static const char *const carried_vuln[] = {"Vulnerabilities[].Id",
                                           "Vulnerabilities[].Cvss[].Version",
                                           "Vulnerabilities[].Cvss[].BaseScore",
                                           "Vulnerabilities[].Cvss[].BaseVector",
                                           "Vulnerabilities[].Vendor.Name",
                                           "Vulnerabilities[].Vendor.VendorSeverity",
                                           "Vulnerabilities[].VulnerablePackages[].Name",
                                           "Vulnerabilities[].VulnerablePackages[].Version",
                                           "Vulnerabilities[].VulnerablePackages[].Epoch",
                                           "Vulnerabilities[].VulnerablePackages[].Release",
                                           "Vulnerabilities[].VulnerablePackages[].Architecture",
                                           "Vulnerabilities[].VulnerablePackages[].PackageManager",
                                           "Vulnerabilities[].VulnerablePackages[].FixedInVersion",
                                           "Vulnerabilities[].VulnerablePackages[].FilePath",
                                           "Vulnerabilities[].VulnerablePackages[].Remediation",
                                           "Vulnerabilities[].ReferenceUrls",
                                           "Vulnerabilities[].RelatedVulnerabilities",
                                           "Vulnerabilities[].FixAvailable",
                                           "Remediation.Recommendation.Text",
                                           "Remediation.Recommendation.Url",
                                           NULL};

/* 2 = path is listed (carried whole), 1 = a listed path lies below it, 0 = neither. */
static int path_match(const char *const *list, const char *path, size_t n)
{
    int best = 0;
    for (size_t i = 0; list[i]; i++) {
        if (strncmp(list[i], path, n) != 0) continue;
        char next = list[i][n];
        if (next == '\0') return 2;
        if (next == '.' || next == '[') best = 1;
    }
    return best;
}

static int path_match_cls(int cls, const char *path, size_t n)
{
    int m = path_match(carried_common, path, n);
    int m2 = cls == OCSF_COMPLIANCE ? path_match(carried_compliance, path, n)
             : cls == OCSF_VULN     ? path_match(carried_vuln, path, n)
                                    : 0;
    return m > m2 ? m : m2;
}

/* Is v (found at path[0..n)) carried whole by an event of class cls? */
/* A value at a listed path is carried only when it has the type the mapping reads: a value
 * of another type (a number where ASFF has a string) is skipped by the writers, so it must go
 * to unmapped instead. */
static bool leaf_ok(const char *path, struct rp_json_val v)
{
    static const char *const arrays[] = {"Types", "RelatedRequirements", "ReferenceUrls",
                                         "RelatedVulnerabilities"};
    enum rp_json_type t = rp_json_type(v);
    struct rp_str p = rp_str_from(path);
    if (rp_str_has_suffix(p, "Details")) return true;
    if (rp_str_has_suffix(p, "Tags")) return t == RP_JSON_OBJECT;
    if (rp_str_has_suffix(p, "Confidence") || rp_str_has_suffix(p, "BaseScore"))
        return t == RP_JSON_INT || t == RP_JSON_UINT || t == RP_JSON_DOUBLE;
    for (size_t i = 0; i < RP_ARRAY_LEN(arrays); i++)
        if (rp_str_has_suffix(p, arrays[i])) return t == RP_JSON_ARRAY; /* elements: force() */
    return t == RP_JSON_STRING;
}

static bool covered(int cls, struct rp_json_val v, char *path, size_t n, size_t cap)
{
    int m = path_match_cls(cls, path, n);
    if (m == 2) return leaf_ok(path, v);
    if (m == 0) return false;
    struct rp_json_iter it;
    struct rp_json_val el;
    struct rp_str k;
    if (rp_json_type(v) == RP_JSON_ARRAY) {
        if (n + 3 > cap) return false;
        memcpy(path + n, "[]", 3);
        if (rp_json_arr_iter(v, &it) != RP_OK) return false;
        while (rp_json_arr_next(&it, &el))
            if (!covered(cls, el, path, n + 2, cap)) return false;
        return true;
    }
    if (rp_json_type(v) != RP_JSON_OBJECT || rp_json_obj_iter(v, &it) != RP_OK) return false;
    while (rp_json_obj_next(&it, &k, &el)) {
        if (n + 1 + k.len + 1 > cap || memchr(k.p, '\0', k.len)) return false;
        path[n] = '.';
        memcpy(path + n + 1, k.p, k.len);
        path[n + 1 + k.len] = '\0';
        if (!covered(cls, el, path, n + 1 + k.len, cap)) return false;
    }
    return true;
}

static void write_unmapped(struct ocsf_ctx *c)
{
    struct rp_json_iter it;
    struct rp_json_val v;
    struct rp_str k;
    bool open = false;
    char path[256];
    if (rp_json_obj_iter(c->f, &it) != RP_OK) return;
    while (rp_json_obj_next(&it, &k, &v)) {
        bool keep = true;
        if (k.len < sizeof path && !memchr(k.p, '\0', k.len)) {
            memcpy(path, k.p, k.len);
            path[k.len] = '\0';
            keep = !covered(c->cls, v, path, k.len, sizeof path);
            for (size_t i = 0; !keep && i < c->nforced; i++) keep = rp_str_eq_cstr(k, c->forced[i]);
        }
        if (!keep) continue;
        if (!open) {
            rp_json_write_key(c->w, "unmapped", 8);
            rp_json_write_obj_begin(c->w);
            open = true;
        }
        rp_json_write_key(c->w, k.p, k.len);
        rp_json_write_val(c->w, v);
    }
    if (open) rp_json_write_obj_end(c->w);
}

static int choose_class(struct rp_json_val f)
{
    struct rp_json_val v, el;
    struct rp_json_iter it;
    if (get_arr(f, "Vulnerabilities", &v) && rp_json_len(v) > 0) return OCSF_VULN;
    if (get_arr(f, "Types", &v) && rp_json_arr_iter(v, &it) == RP_OK)
        while (rp_json_arr_next(&it, &el)) {
            struct rp_str s;
            if (rp_json_get_str(el, &s) == RP_OK &&
                rp_str_has_prefix(s, "Software and Configuration Checks/Vulnerabilities"))
                return OCSF_VULN;
        }
    if (get_obj(f, "Compliance", &v)) return OCSF_COMPLIANCE;
    return OCSF_DETECTION;
}

/* Append the OCSF event for ASFF finding f to out (one compact JSON object). */
static rp_err ocsf_write(struct rp_buf *out, struct rp_json_val f, size_t index,
                         struct rp_errbuf *eb)
{
    static const char *const act_name[] = {"Unknown", "Create", "Update", "Close"};
    static const char *const status_asff[] = {NULL, "NEW", "NOTIFIED", "SUPPRESSED", "RESOLVED"};
    static const char *const status_cap[] = {NULL, "New", "In Progress", "Suppressed", "Resolved"};
    struct rp_json_writer w;
    struct ocsf_ctx c = {.w = &w, .f = f, .cls = choose_class(f)};
    struct rp_str id, s;
    struct rp_json_val v;
    int64_t updated = 0, created = 0;
    if (!get_str(f, "Id", &id))
        return rp_fail(eb, RP_EINVAL, "export: ocsf: finding %zu has no Id", index);
    if (!get_str(f, "UpdatedAt", &s) || rp_time_parse_iso(s, &updated, NULL) != RP_OK)
        return rp_fail(eb, RP_EINVAL, "export: ocsf: finding '%.*s' has no valid UpdatedAt",
                       (int)(id.len > 200 ? 200 : id.len), id.p);
    const char *cls_name = c.cls == OCSF_VULN         ? "Vulnerability Finding"
                           : c.cls == OCSF_COMPLIANCE ? "Compliance Finding"
                                                      : "Detection Finding";
    int act = 2;
    if (get_str(f, "RecordState", &s) && rp_str_eq_cstr(s, "ARCHIVED"))
        act = 3;
    else if (get_str(f, "CreatedAt", &s) && rp_time_parse_iso(s, &created, NULL) == RP_OK &&
             created == updated)
        act = 1;

    rp_json_writer_init(&w, out);
    rp_json_write_obj_begin(&w);
    rp_json_write_kv_int(&w, "activity_id", act);
    rp_json_write_kv_cstr(&w, "activity_name", act_name[act]);
    rp_json_write_kv_int(&w, "category_uid", 2);
    rp_json_write_kv_cstr(&w, "category_name", "Findings");
    rp_json_write_kv_int(&w, "class_uid", c.cls);
    rp_json_write_kv_cstr(&w, "class_name", cls_name);
    rp_json_write_kv_int(&w, "type_uid", (int64_t)c.cls * 100 + act);
    char tn[64];
    snprintf(tn, sizeof tn, "%s: %s", cls_name, act_name[act]);
    rp_json_write_kv_cstr(&w, "type_name", tn);
    rp_json_write_kv_int(&w, "time", updated);
    int sev = severity_id(&c);
    rp_json_write_kv_int(&w, "severity_id", sev);
    rp_json_write_kv_cstr(&w, "severity", sev_caption[sev]);

    int st = 1; /* Security Hub's default workflow status is NEW */
    struct rp_str wst = {0};
    if (get_obj(f, "Workflow", &v) && get_str(v, "Status", &wst)) {
        st = 99;
        for (int i = 1; i <= 4; i++)
            if (rp_str_eq_cstr(wst, status_asff[i])) st = i;
    }
    rp_json_write_kv_int(&w, "status_id", st);
    if (st == 99)
        rp_json_write_kv_str(&w, "status", wst.p, wst.len);
    else
        rp_json_write_kv_cstr(&w, "status", status_cap[st]);

    double conf = 0;
    if (rp_json_obj_get(f, "Confidence", &v) == RP_OK) {
        if (rp_json_get_double(v, &conf) == RP_OK && conf >= 0 && conf <= 100) {
            int cid = conf < 40 ? 1 : conf < 70 ? 2 : 3;
            static const char *const cap[] = {NULL, "Low", "Medium", "High"};
            rp_json_write_kv_int(&w, "confidence_id", cid);
            rp_json_write_kv_cstr(&w, "confidence", cap[cid]);
            rp_json_write_kv_int(&w, "confidence_score", (int64_t)conf);
            if (conf != (double)(int64_t)conf) force(&c, "Confidence");
        } else {
            force(&c, "Confidence");
        }
    }
    if (get_obj(f, "Note", &v)) kv_member(&w, "message", v, "Text");

    write_metadata(&c);
    write_cloud(&c);
    write_finding_info(&c, id);
    write_resources(&c);
    if (c.cls == OCSF_COMPLIANCE) {
        write_compliance(&c);
        write_remediation(&c, "remediation");
    } else if (c.cls == OCSF_VULN) {
        write_vulnerabilities(&c);
    }
    write_unmapped(&c);
    rp_json_write_obj_end(&w);
    rp_err e = rp_json_writer_finish(&w);
    if (e != RP_OK)
        return rp_fail(eb, e, "export: ocsf: finding '%.*s': %s",
                       (int)(id.len > 200 ? 200 : id.len), id.p, rp_strerror(e));
    return RP_OK;
}

static rp_err put(struct rp_hub_export_state *x, const char *s, struct rp_errbuf *eb)
{
    rp_err e = rp_buf_append_str(x->buf, s);
    return e == RP_OK ? RP_OK : rp_fail(eb, e, "export: ocsf: %s", rp_strerror(e));
}

static rp_err array_begin(struct rp_hub_export_state *x, struct rp_errbuf *eb)
{
    return put(x, "[", eb);
}

static rp_err array_finding(struct rp_hub_export_state *x, struct rp_json_val f,
                            struct rp_errbuf *eb)
{
    rp_err e = put(x, x->count ? ",\n" : "\n", eb);
    return e == RP_OK ? ocsf_write(x->buf, f, x->count, eb) : e;
}

static rp_err array_end(struct rp_hub_export_state *x, struct rp_errbuf *eb)
{
    return put(x, x->count ? "\n]\n" : "]\n", eb);
}

const struct rp_hub_export_fmt rp_hub_export_ocsf = {
    .name = "ocsf",
    .summary = "OCSF 1.1.0 Detection/Compliance/Vulnerability Finding events, a JSON array",
    .begin = array_begin,
    .finding = array_finding,
    .end = array_end,
};

static rp_err lines_finding(struct rp_hub_export_state *x, struct rp_json_val f,
                            struct rp_errbuf *eb)
{
    rp_err e = ocsf_write(x->buf, f, x->count, eb);
    return e == RP_OK ? put(x, "\n", eb) : e;
}

const struct rp_hub_export_fmt rp_hub_export_ocsf_lines = {
    .name = "ocsf-lines",
    .summary = "OCSF 1.1.0 finding events as JSON Lines",
    .finding = lines_finding,
};
