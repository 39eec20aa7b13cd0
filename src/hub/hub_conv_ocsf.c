/* SPDX-License-Identifier: Apache-2.0 */
/* Import format "ocsf": OCSF findings, versions 1.0 to 1.x, classes 2001 Security Finding
 * (1.0, with a "finding" object and state_id), 2002 Vulnerability, 2003 Compliance, 2004
 * Detection Finding (and the later finding classes up to 2007, read the same way). A document
 * is one finding or a list of them; JSON Lines reach convert one line at a time. Prowler's OCSF
 * output (a list of Detection Findings with status_code PASS/FAIL and its compliance map in
 * unmapped) is read here too. The field mapping is listed below the includes. */
#define RP_LOG_MODULE "hub"
#include <stdio.h>
#include <string.h>

#include "hub/hub_conv_util.h"
#include "core/rp_banned.h"

/* Mapping (fi = finding_info, or finding in 1.0):
 *   Id             fi.uid (required)
 *   ProductArn     metadata.product.uid or .name when it is a Security Hub product ARN; for
 *                  Prowler arn:<p>:securityhub:<region>::product/prowler/prowler; else the
 *                  private arn:<p>:securityhub:<region>:<account>:product/<account>/default
 *   GeneratorId    fi.analytic.uid, fi.analytic.name, metadata.product.feature.uid,
 *                  metadata.event_code ("prowler-<check>" for Prowler), metadata.product.name
 *                  (one is required)
 *   Title          fi.title or message (required)
 *   Description    fi.desc, message, status_detail (for Prowler status_detail, message,
 *                  fi.desc: the result rather than the check)
 *   Severity       severity_id (severity_labels), else the severity word; Original is the
 *                  severity text, else the id
 *   Types          fi.types under an ASFF namespace, else class_defaults / TYPES_CHECK /
 *                  TYPES_DETECTED; dropped types go to ProductFields ocsf/types
 *   times          fi.created_time / modified_time / first_seen_time / last_seen_time (ms, or
 *                  the *_dt strings; numbers below 1e11 are seconds, as Prowler writes them),
 *                  CreatedAt and UpdatedAt falling back to time / time_dt, then to each
 *                  other, then to cv->now_ms
 *   Resources      resources[] or resource: type (else "Other"), uid (else name), region,
 *                  cloud_partition, tags / labels, data as Details when it holds ASFF details;
 *                  none at all: the account (AwsAccount "AWS::::Account:<account>")
 *   AwsAccountId   cloud.account.uid (1.1+), cloud.account_uid (1.0), else cv->account
 *   Region         cloud.region, the first resource's region, else cv->region
 *   Workflow       status_id / state_id / status / state (workflow_states); 5 Archived and
 *                  6 Deleted give RecordState ARCHIVED instead
 *   Compliance     Status from compliance.status_id / status, else status_code PASS FAIL
 *                  MANUAL (compliance_states); SecurityControlId = control;
 *                  RelatedRequirements = requirements, or Prowler's unmapped.compliance map;
 *                  AssociatedStandards = standards
 *   Vulnerabilities  each vulnerabilities[] with a cve.uid: packages (affected_packages or
 *                  packages), cvss, references, fix and exploit availability, EPSS, vendor
 *   Remediation    remediation.desc (fi.remediation in 1.0) and its first http(s) reference
 *   Confidence     confidence_score (0..100)
 *   ProductFields  unmapped: "ProductFields.<k>" members as <k>, the rest flattened under
 *                  ocsf/unmapped/; also ocsf/version, ocsf/event_code, ocsf/types */

#define FMT "ocsf"

/* severity_id -> ASFF label (0 Unknown and 1 Informational are INFORMATIONAL, 6 Fatal is
 * CRITICAL; 99 Other falls back to the severity text). */
static const enum rp_hub_sev severity_labels[] = {
    RP_HUB_SEV_INFORMATIONAL, RP_HUB_SEV_INFORMATIONAL, RP_HUB_SEV_LOW,      RP_HUB_SEV_MEDIUM,
    RP_HUB_SEV_HIGH,          RP_HUB_SEV_CRITICAL,      RP_HUB_SEV_CRITICAL,
};

/* Types when fi.types has none under an ASFF namespace. */
static const struct {
    int64_t class_uid;
    const char *types;
} class_defaults[] = {
    {2002, "Software and Configuration Checks/Vulnerabilities/CVE"},
    {2003, "Software and Configuration Checks/Industry and Regulatory Standards"},
};
#define TYPES_CHECK    "Software and Configuration Checks" /* a finding with a PASS/FAIL result */
#define TYPES_DETECTED "Unusual Behaviors"                 /* any other detection */

/* status_id / state_id -> Workflow.Status; NULL entries archive the record instead. */
static const struct {
    int64_t id;
    const char *word; /* the status caption */
    const char *workflow;
} workflow_states[] = {
    {1, "New", "NEW"},           {2, "In Progress", "NOTIFIED"}, {3, "Suppressed", "SUPPRESSED"},
    {4, "Resolved", "RESOLVED"}, {5, "Archived", NULL},          {6, "Deleted", NULL},
};

/* compliance.status_id -> Compliance.Status, and the words seen in compliance.status and in
 * status_code. */
static const struct {
    int64_t id;
    const char *words[3];
    const char *status;
} compliance_states[] = {
    {1, {"Pass", "PASSED", "PASS"}, "PASSED"},
    {2, {"Warning", "WARNING", "MANUAL"}, "WARNING"},
    {3, {"Fail", "FAILED", "FAIL"}, "FAILED"},
    {0, {"Not Available", "NOT_AVAILABLE", "Unknown"}, "NOT_AVAILABLE"},
};

struct of {
    struct rp_hub_conv *cv;
    struct rp_json_val f, fi, meta, product;
    const char *fi_name; /* "finding_info" or "finding", for messages */
    int64_t class_uid;
    struct rp_str account, region, partition;
    bool prowler;
};

/* ---- pieces ------------------------------------------------------------------------------ */

static bool is_product_arn(struct rp_str s)
{
    static const char sh[] = ":securityhub:", prod[] = ":product/";
    if (!rp_str_has_prefix(s, "arn:")) return false;
    bool a = false, b = false;
    for (size_t i = 0; i < s.len; i++) {
        a = a || (i + sizeof sh - 1 <= s.len && memcmp(s.p + i, sh, sizeof sh - 1) == 0);
        b = b || (i + sizeof prod - 1 <= s.len && memcmp(s.p + i, prod, sizeof prod - 1) == 0);
    }
    return a && b;
}

/* Look up key, then key + "_dt" (times): RP_HUB_CV_TIME_* as rp_hub_cv_time_of. */
static enum rp_hub_cv_time time_at(struct rp_json_val obj, const char *key, int64_t *ms)
{
    struct rp_json_val v = {0};
    char dt[64];
    (void)rp_hub_cv_get(obj, key, &v);
    enum rp_hub_cv_time t = rp_hub_cv_time_of(v, true, ms);
    if (t != RP_HUB_CV_TIME_NONE) return t;
    snprintf(dt, sizeof dt, "%s_dt", key);
    v = (struct rp_json_val){0};
    (void)rp_hub_cv_get(obj, dt, &v);
    return rp_hub_cv_time_of(v, true, ms);
}

static void write_severity(struct rp_json_writer *w, const struct of *o)
{
    struct rp_json_val v;
    struct rp_str word = {0};
    int64_t id = -1;
    char idtext[24] = "";
    enum rp_hub_sev sev = RP_HUB_SEV_INFORMATIONAL;
    bool has_word = rp_hub_cv_str(o->f, "severity", &word);
    if (rp_hub_cv_get(o->f, "severity_id", &v) && rp_hub_cv_int(v, &id))
        snprintf(idtext, sizeof idtext, "%lld", (long long)id);
    if (id >= 0 && id < (int64_t)RP_ARRAY_LEN(severity_labels))
        sev = severity_labels[id];
    else if (has_word && !rp_hub_sev_parse(word, &sev))
        sev = RP_HUB_SEV_INFORMATIONAL;
    rp_hub_cv_kv_severity(w, sev, rp_hub_sev_normalized(sev),
                          has_word ? word : rp_str_from(idtext));
}

/* Details from a resource's data: an object (or the JSON text of one) whose members are all
 * ASFF details types ("Aws..", "Container", "Other"), as Security Hub's own OCSF mapping
 * writes them. The text form is parsed with cv->parser, which is free until the finding is
 * emitted. */
static void write_details(struct rp_json_writer *w, struct rp_hub_conv *cv, struct rp_json_val d)
{
    struct rp_json_iter it;
    struct rp_json_val el;
    struct rp_str k, text;
    if (rp_json_get_str(d, &text) == RP_OK) {
        if (text.len < 2 || text.p[0] != '{' ||
            rp_json_parse(cv->parser, text.p, text.len, &d, NULL) != RP_OK)
            return;
    }
    if (rp_json_type(d) != RP_JSON_OBJECT || rp_json_len(d) == 0 ||
        rp_json_obj_iter(d, &it) != RP_OK)
        return;
    while (rp_json_obj_next(&it, &k, &el))
        if (rp_json_type(el) != RP_JSON_OBJECT ||
            !(rp_str_has_prefix(k, "Aws") || rp_str_eq_cstr(k, "Container") ||
              rp_str_eq_cstr(k, "Other")))
            return;
    rp_json_write_key(w, "Details", 7);
    rp_json_write_val(w, d);
}

static bool write_resource(struct rp_json_writer *w, struct of *o, struct rp_json_val r)
{
    struct rp_str type, id, s;
    struct rp_json_val v;
    if (!rp_hub_cv_str(r, "uid", &id) && !rp_hub_cv_str(r, "name", &id)) return false;
    if (!rp_hub_cv_str(r, "type", &type)) type = RP_STR_LIT("Other");
    rp_json_write_obj_begin(w);
    rp_json_write_kv_str(w, "Type", type.p, type.len);
    rp_json_write_kv_str(w, "Id", id.p, id.len);
    if (rp_hub_cv_str(r, "cloud_partition", &s) || rp_hub_cv_str(r, "partition", &s))
        rp_json_write_kv_str(w, "Partition", s.p, s.len);
    else
        rp_json_write_kv_str(w, "Partition", o->partition.p, o->partition.len);
    if (rp_hub_cv_str(r, "region", &s))
        rp_json_write_kv_str(w, "Region", s.p, s.len);
    else
        rp_json_write_kv_str(w, "Region", o->region.p, o->region.len);
    if (rp_hub_cv_get(r, "tags", &v) && rp_json_len(v) > 0)
        rp_hub_cv_kv_tags(w, v);
    else if (rp_hub_cv_get(r, "labels", &v))
        rp_hub_cv_kv_tags(w, v);
    if (rp_hub_cv_get(r, "data", &v)) write_details(w, o->cv, v);
    rp_json_write_obj_end(w);
    return true;
}

static void write_resources(struct rp_json_writer *w, struct of *o)
{
    struct rp_json_val arr, el;
    struct rp_json_iter it;
    size_t n = 0;
    rp_json_write_key(w, "Resources", 9);
    rp_json_write_arr_begin(w);
    if (rp_hub_cv_get(o->f, "resources", &arr) && rp_json_arr_iter(arr, &it) == RP_OK) {
        while (n < RP_HUB_CV_MAX_RESOURCES && rp_json_arr_next(&it, &el))
            n += write_resource(w, o, el);
    }
    if (n == 0 && rp_hub_cv_get(o->f, "resource", &el)) n += write_resource(w, o, el);
    if (n == 0) {
        char id[128];
        snprintf(id, sizeof id, "AWS::::Account:%.*s", (int)o->account.len, o->account.p);
        rp_json_write_obj_begin(w);
        rp_json_write_kv_cstr(w, "Type", "AwsAccount");
        rp_json_write_kv_cstr(w, "Id", id);
        rp_json_write_kv_str(w, "Partition", o->partition.p, o->partition.len);
        rp_json_write_kv_str(w, "Region", o->region.p, o->region.len);
        rp_json_write_obj_end(w);
    }
    rp_json_write_arr_end(w);
}

static const char *compliance_word(struct rp_str s)
{
    for (size_t i = 0; i < RP_ARRAY_LEN(compliance_states); i++)
        for (size_t j = 0; j < 3; j++)
            if (rp_str_eq_nocase(s, rp_str_from(compliance_states[i].words[j])))
                return compliance_states[i].status;
    return NULL;
}

static void write_compliance(struct rp_json_writer *w, const struct of *o)
{
    struct rp_json_val c = {0}, v, reqs = {0}, el;
    struct rp_json_iter it;
    struct rp_str s, control = {0};
    const char *status = NULL;
    int64_t id = 0;
    bool has_c = rp_hub_cv_get(o->f, "compliance", &c);
    if (has_c && rp_hub_cv_get(c, "status_id", &v) && rp_hub_cv_int(v, &id))
        for (size_t i = 0; i < RP_ARRAY_LEN(compliance_states); i++)
            if (compliance_states[i].id == id && id != 0) status = compliance_states[i].status;
    if (!status && has_c && rp_hub_cv_str(c, "status", &s)) status = compliance_word(s);
    if (!status && rp_hub_cv_str(o->f, "status_code", &s)) status = compliance_word(s);
    if (has_c) (void)rp_hub_cv_str(c, "control", &control);
    bool has_reqs = (has_c && rp_hub_cv_get(c, "requirements", &reqs) && rp_json_len(reqs) > 0) ||
                    (rp_hub_cv_path(o->f, "unmapped.compliance", &reqs) && rp_json_len(reqs) > 0);
    bool has_std = has_c && rp_hub_cv_get(c, "standards", &v) && rp_json_len(v) > 0;
    if (!status && !control.len && !has_reqs && !has_std) return;
    rp_json_write_key(w, "Compliance", 10);
    rp_json_write_obj_begin(w);
    if (status) rp_json_write_kv_cstr(w, "Status", status);
    if (control.len) rp_json_write_kv_str(w, "SecurityControlId", control.p, control.len);
    if (has_reqs) rp_hub_cv_kv_requirements(w, reqs);
    if (has_std && rp_json_arr_iter(v, &it) == RP_OK) {
        size_t n = 0;
        rp_json_write_key(w, "AssociatedStandards", 19);
        rp_json_write_arr_begin(w);
        while (n < 20 && rp_json_arr_next(&it, &el))
            if (rp_json_get_str(el, &s) == RP_OK && s.len) {
                rp_json_write_obj_begin(w);
                rp_json_write_kv_str(w, "StandardsId", s.p, s.len);
                rp_json_write_obj_end(w);
                n++;
            }
        rp_json_write_arr_end(w);
    }
    rp_json_write_obj_end(w);
}

static const struct rp_hub_cv_field f_package[] = {
    {"Name", "name", RP_HUB_CV_STR, NULL},
    {"Version", "version", RP_HUB_CV_STR, NULL},
    {"Epoch", "epoch", RP_HUB_CV_STR, NULL},
    {"Release", "release", RP_HUB_CV_STR, NULL},
    {"Architecture", "architecture", RP_HUB_CV_STR, NULL},
    {"PackageManager", "package_manager", RP_HUB_CV_STR, NULL},
    {"FixedInVersion", "fixed_in_version", RP_HUB_CV_STR, NULL},
    {"FilePath", "path", RP_HUB_CV_STR, NULL},
    {"Remediation", "remediation.desc", RP_HUB_CV_STR, NULL},
    {NULL, NULL, 0, NULL},
};
static const struct rp_hub_cv_field f_cvss[] = {
    {"Version", "version", RP_HUB_CV_STR, NULL},
    {"BaseScore", "base_score", RP_HUB_CV_DBL, NULL},
    {"BaseVector", "vector_string", RP_HUB_CV_STR, NULL},
    {"Source", "vendor_name", RP_HUB_CV_STR, NULL},
    {NULL, NULL, 0, NULL},
};

static void yes_no(struct rp_json_writer *w, const char *key, struct rp_json_val vuln,
                   const char *a, const char *b)
{
    struct rp_json_val v;
    bool x = false;
    if ((rp_hub_cv_get(vuln, a, &v) || (b && rp_hub_cv_get(vuln, b, &v))) && rp_hub_cv_bool(v, &x))
        rp_json_write_kv_cstr(w, key, x ? "YES" : "NO");
}

static void write_vuln(struct rp_json_writer *w, struct rp_json_val vuln, struct rp_str id)
{
    struct rp_json_val v, cve = {0}, el;
    struct rp_json_iter it;
    struct rp_str s;
    double d = 0;
    (void)rp_hub_cv_get(vuln, "cve", &cve);
    rp_json_write_obj_begin(w);
    rp_json_write_kv_str(w, "Id", id.p, id.len);
    if ((rp_hub_cv_get(vuln, "affected_packages", &v) || rp_hub_cv_get(vuln, "packages", &v)) &&
        rp_json_arr_iter(v, &it) == RP_OK) {
        bool open = false;
        while (rp_json_arr_next(&it, &el))
            if (rp_hub_cv_fields_any(el, f_package)) {
                if (!open) {
                    rp_json_write_key(w, "VulnerablePackages", 18);
                    rp_json_write_arr_begin(w);
                    open = true;
                }
                rp_json_write_obj_begin(w);
                rp_hub_cv_fields_copy(w, el, f_package);
                rp_json_write_obj_end(w);
            }
        if (open) rp_json_write_arr_end(w);
    }
    if (rp_hub_cv_get(cve, "cvss", &v)) {
        bool open = false;
        if (rp_json_type(v) == RP_JSON_OBJECT && rp_hub_cv_fields_any(v, f_cvss)) {
            rp_json_write_key(w, "Cvss", 4);
            rp_json_write_arr_begin(w);
            rp_json_write_obj_begin(w);
            rp_hub_cv_fields_copy(w, v, f_cvss);
            rp_json_write_obj_end(w);
            rp_json_write_arr_end(w);
        } else if (rp_json_arr_iter(v, &it) == RP_OK) {
            while (rp_json_arr_next(&it, &el))
                if (rp_hub_cv_fields_any(el, f_cvss)) {
                    if (!open) {
                        rp_json_write_key(w, "Cvss", 4);
                        rp_json_write_arr_begin(w);
                        open = true;
                    }
                    rp_json_write_obj_begin(w);
                    rp_hub_cv_fields_copy(w, el, f_cvss);
                    rp_json_write_obj_end(w);
                }
            if (open) rp_json_write_arr_end(w);
        }
    }
    if ((rp_hub_cv_get(vuln, "references", &v) && rp_json_len(v) > 0) ||
        rp_hub_cv_get(cve, "references", &v)) {
        rp_hub_cv_write_strs(w, "ReferenceUrls", v, RP_HUB_CV_MAX_REFS);
    }
    yes_no(w, "FixAvailable", vuln, "is_fix_available", "fix_available");
    yes_no(w, "ExploitAvailable", vuln, "is_exploit_available", NULL);
    if (rp_hub_cv_path(cve, "epss.score", &v) && rp_hub_cv_num(v, &d))
        rp_json_write_kv_double(w, "EpssScore", d);
    if (rp_hub_cv_str(vuln, "vendor_name", &s)) {
        rp_json_write_key(w, "Vendor", 6);
        rp_json_write_obj_begin(w);
        rp_json_write_kv_str(w, "Name", s.p, s.len);
        if (rp_hub_cv_str(vuln, "severity", &s))
            rp_json_write_kv_str(w, "VendorSeverity", s.p, s.len);
        rp_json_write_obj_end(w);
    }
    rp_json_write_obj_end(w);
}

static void write_vulns(struct rp_json_writer *w, const struct of *o)
{
    struct rp_json_val arr, el;
    struct rp_json_iter it;
    struct rp_str id;
    size_t n = 0;
    bool open = false;
    if (!rp_hub_cv_get(o->f, "vulnerabilities", &arr) || rp_json_arr_iter(arr, &it) != RP_OK)
        return;
    while (n < RP_HUB_CV_MAX_RESOURCES && rp_json_arr_next(&it, &el)) {
        if (!rp_hub_cv_path_str(el, "cve.uid", &id)) continue;
        if (!open) {
            rp_json_write_key(w, "Vulnerabilities", 15);
            rp_json_write_arr_begin(w);
            open = true;
        }
        write_vuln(w, el, id);
        n++;
    }
    if (open) rp_json_write_arr_end(w);
}

static void write_remediation(struct rp_json_writer *w, const struct of *o)
{
    struct rp_json_val r, v, el;
    struct rp_json_iter it;
    struct rp_str text, url = {0}, s;
    if (!rp_hub_cv_get(o->f, "remediation", &r) && !rp_hub_cv_get(o->fi, "remediation", &r)) return;
    if (!rp_hub_cv_str(r, "desc", &text)) return;
    if (rp_hub_cv_get(r, "references", &v) && rp_json_arr_iter(v, &it) == RP_OK)
        while (!url.len && rp_json_arr_next(&it, &el))
            if (rp_json_get_str(el, &s) == RP_OK &&
                (rp_str_has_prefix(s, "https://") || rp_str_has_prefix(s, "http://")))
                url = s;
    rp_json_write_key(w, "Remediation", 11);
    rp_json_write_obj_begin(w);
    rp_json_write_key(w, "Recommendation", 14);
    rp_json_write_obj_begin(w);
    rp_hub_cv_kv_capped(w, "Text", text, 512);
    if (url.len) rp_json_write_kv_str(w, "Url", url.p, url.len);
    rp_json_write_obj_end(w);
    rp_json_write_obj_end(w);
}

static void write_workflow(struct rp_json_writer *w, const struct of *o)
{
    struct rp_json_val v;
    struct rp_str s;
    int64_t id = 0;
    int k = -1;
    if ((rp_hub_cv_get(o->f, "status_id", &v) || rp_hub_cv_get(o->f, "state_id", &v)) &&
        rp_hub_cv_int(v, &id)) {
        for (size_t i = 0; i < RP_ARRAY_LEN(workflow_states); i++)
            if (workflow_states[i].id == id) k = (int)i;
    }
    if (k < 0 && (rp_hub_cv_str(o->f, "status", &s) || rp_hub_cv_str(o->f, "state", &s))) {
        for (size_t i = 0; i < RP_ARRAY_LEN(workflow_states); i++)
            if (rp_str_eq_nocase(s, rp_str_from(workflow_states[i].word))) k = (int)i;
    }
    if (k >= 0 && workflow_states[k].workflow) {
        rp_json_write_key(w, "Workflow", 8);
        rp_json_write_obj_begin(w);
        rp_json_write_kv_cstr(w, "Status", workflow_states[k].workflow);
        rp_json_write_obj_end(w);
    }
    rp_json_write_kv_cstr(w, "RecordState",
                          k >= 0 && !workflow_states[k].workflow ? "ARCHIVED" : "ACTIVE");
}

/* Types, keeping a note of what had to be dropped for ProductFields. */
static size_t write_types(struct rp_json_writer *w, const struct of *o)
{
    struct rp_json_val types = {0}, v;
    struct rp_str s;
    (void)rp_hub_cv_get(o->fi, "types", &types);
    const char *fallback = NULL;
    for (size_t i = 0; i < RP_ARRAY_LEN(class_defaults); i++)
        if (class_defaults[i].class_uid == o->class_uid) fallback = class_defaults[i].types;
    if (!fallback)
        fallback = (rp_hub_cv_str(o->f, "status_code", &s) && compliance_word(s)) ||
                           rp_hub_cv_get(o->f, "compliance", &v)
                       ? TYPES_CHECK
                       : TYPES_DETECTED;
    return rp_hub_cv_kv_types(w, types, fallback);
}

static void write_product_fields(struct rp_json_writer *w, const struct of *o, bool types_dropped)
{
    struct rp_hub_cv_pf pf;
    struct rp_json_val un, el;
    struct rp_json_iter it;
    struct rp_str k, s;
    char key[RP_HUB_CV_MAX_PF_KEY + 32];
    rp_hub_cv_pf_init(&pf, w);
    if (rp_hub_cv_str(o->meta, "version", &s)) rp_hub_cv_pf_add(&pf, "ocsf/version", 12, s);
    if (rp_hub_cv_str(o->meta, "event_code", &s)) rp_hub_cv_pf_add(&pf, "ocsf/event_code", 15, s);
    if (types_dropped && rp_hub_cv_get(o->fi, "types", &un) && rp_json_arr_iter(un, &it) == RP_OK) {
        /* the types ASFF could not take, joined, so nothing is lost */
        char joined[RP_HUB_CV_MAX_PF_VALUE];
        size_t at = 0;
        while (rp_json_arr_next(&it, &el))
            if (rp_json_get_str(el, &s) == RP_OK && !rp_hub_cv_type_ok(s) &&
                at + s.len + 2 < sizeof joined) {
                if (at) {
                    memcpy(joined + at, ", ", 2);
                    at += 2;
                }
                memcpy(joined + at, s.p, s.len);
                at += s.len;
            }
        if (at) rp_hub_cv_pf_add(&pf, "ocsf/types", 10, (struct rp_str){joined, at});
    }
    if (rp_hub_cv_get(o->f, "unmapped", &un) && rp_json_obj_iter(un, &it) == RP_OK) {
        while (rp_json_obj_next(&it, &k, &el)) {
            if (rp_str_eq_cstr(k, "compliance")) /* became RelatedRequirements */
                continue;
            if (k.len > 14 && rp_str_has_prefix(k, "ProductFields.") &&
                rp_json_type(el) == RP_JSON_STRING && rp_json_get_str(el, &s) == RP_OK) {
                rp_hub_cv_pf_add(&pf, k.p + 14, k.len - 14, s);
                continue;
            }
            if (k.len > RP_HUB_CV_MAX_PF_KEY) continue;
            snprintf(key, sizeof key, "ocsf/unmapped/%.*s", (int)k.len, k.p);
            rp_hub_cv_pf_flatten(&pf, key, el, false);
        }
    }
    rp_hub_cv_pf_end(&pf);
}

/* ---- one finding ------------------------------------------------------------------------- */

static rp_err fail_missing(struct rp_hub_conv *cv, const char *id, const char *obj,
                           const char *field)
{
    return rp_hub_cv_fail(cv, id, RP_HUB_CV_FAILED, FMT ": missing field '%s%s%s'", obj ? obj : "",
                          obj ? "." : "", field);
}

static rp_err convert_one(struct rp_hub_conv *cv, struct rp_json_val f, struct rp_errbuf *eb)
{
    struct of o = {.cv = cv, .f = f};
    struct rp_json_val v;
    struct rp_str id, s, gen = {0}, title, desc;
    cv->current = f;
    if (rp_json_type(f) != RP_JSON_OBJECT)
        return rp_hub_cv_fail(cv, NULL, RP_HUB_CV_INVALID,
                              FMT ": a finding must be a JSON object, not %s",
                              rp_json_type_name(rp_json_type(f)));
    if (!rp_hub_cv_get(f, "class_uid", &v)) return fail_missing(cv, NULL, NULL, "class_uid");
    if (!rp_hub_cv_int(v, &o.class_uid) || o.class_uid < 2001 || o.class_uid > 2007)
        return rp_hub_cv_fail(cv, NULL, RP_HUB_CV_FAILED,
                              FMT ": 'class_uid' is not a finding class (2001 to 2007)");
    if (rp_hub_cv_get(f, "finding_info", &o.fi))
        o.fi_name = "finding_info";
    else if (rp_hub_cv_get(f, "finding", &o.fi))
        o.fi_name = "finding";
    else
        o.fi_name = o.class_uid == 2001 ? "finding" : "finding_info";
    if (!rp_hub_cv_str(o.fi, "uid", &id)) return fail_missing(cv, NULL, o.fi_name, "uid");
    if (id.len > RP_HUB_CV_MAX_ID)
        return rp_hub_cv_fail(cv, NULL, RP_HUB_CV_FAILED, FMT ": '%s.uid' is longer than %d bytes",
                              o.fi_name, RP_HUB_CV_MAX_ID);
    (void)rp_hub_cv_get(f, "metadata", &o.meta);
    (void)rp_hub_cv_get(o.meta, "product", &o.product);

    struct rp_json_val res0 = {0};
    if (!rp_hub_cv_get(f, "resources", &v) || !rp_hub_cv_first(v, &res0))
        (void)rp_hub_cv_get(f, "resource", &res0);
    if (!rp_hub_cv_path_str(f, "cloud.account.uid", &o.account) &&
        !rp_hub_cv_path_str(f, "cloud.account_uid", &o.account))
        o.account = rp_str_from(cv->account);
    if (!rp_hub_cv_path_str(f, "cloud.region", &o.region) &&
        !rp_hub_cv_str(res0, "region", &o.region))
        o.region = rp_str_from(cv->region);
    if (!rp_hub_cv_path_str(f, "cloud.cloud_partition", &o.partition) &&
        !rp_hub_cv_str(res0, "cloud_partition", &o.partition))
        o.partition = RP_STR_LIT("aws");
    struct rp_str pname = {0}, puid = {0};
    (void)rp_hub_cv_str(o.product, "name", &pname);
    (void)rp_hub_cv_str(o.product, "uid", &puid);
    o.prowler = rp_str_eq_nocase(pname, RP_STR_LIT("prowler"));

    char arn[512], genbuf[300];
    if (is_product_arn(puid))
        snprintf(arn, sizeof arn, "%.*s", (int)puid.len, puid.p);
    else if (is_product_arn(pname))
        snprintf(arn, sizeof arn, "%.*s", (int)pname.len, pname.p);
    else if (o.prowler)
        snprintf(arn, sizeof arn, "arn:%.*s:securityhub:%.*s::product/prowler/prowler",
                 (int)o.partition.len, o.partition.p, (int)o.region.len, o.region.p);
    else
        snprintf(arn, sizeof arn, "arn:%.*s:securityhub:%.*s:%.*s:product/%.*s/default",
                 (int)o.partition.len, o.partition.p, (int)o.region.len, o.region.p,
                 (int)o.account.len, o.account.p, (int)o.account.len, o.account.p);

    if (rp_hub_cv_path_str(o.fi, "analytic.uid", &gen) ||
        rp_hub_cv_path_str(o.fi, "analytic.name", &gen) ||
        rp_hub_cv_path_str(o.product, "feature.uid", &gen)) {
    } else if (rp_hub_cv_str(o.meta, "event_code", &s)) {
        snprintf(genbuf, sizeof genbuf, "%s%.*s", o.prowler ? "prowler-" : "", (int)s.len, s.p);
        gen = rp_str_from(genbuf);
    } else if (!pname.len) {
        return fail_missing(cv, id.p, o.fi_name, "analytic.uid");
    } else {
        gen = pname;
    }
    if (!rp_hub_cv_str(o.fi, "title", &title) && !rp_hub_cv_str(f, "message", &title))
        return fail_missing(cv, id.p, o.fi_name, "title");
    /* Prowler's finding_info.desc describes the check; its result is in status_detail, which
     * is what Prowler's own ASFF output puts in Description */
    if (o.prowler ? !rp_hub_cv_str(f, "status_detail", &desc) &&
                        !rp_hub_cv_str(f, "message", &desc) && !rp_hub_cv_str(o.fi, "desc", &desc)
                  : !rp_hub_cv_str(o.fi, "desc", &desc) && !rp_hub_cv_str(f, "message", &desc) &&
                        !rp_hub_cv_str(f, "status_detail", &desc))
        desc = title;

    int64_t created = 0, updated = 0, first = 0, last = 0, t = 0;
    enum rp_hub_cv_time tc = time_at(o.fi, "created_time", &created);
    enum rp_hub_cv_time tu = time_at(o.fi, "modified_time", &updated);
    enum rp_hub_cv_time tt = time_at(f, "time", &t);
    if (tc == RP_HUB_CV_TIME_BAD)
        return rp_hub_cv_fail(cv, id.p, RP_HUB_CV_FAILED,
                              FMT ": '%s.created_time' is not a valid time", o.fi_name);
    if (tu == RP_HUB_CV_TIME_BAD)
        return rp_hub_cv_fail(cv, id.p, RP_HUB_CV_FAILED,
                              FMT ": '%s.modified_time' is not a valid time", o.fi_name);
    bool has_t = tt == RP_HUB_CV_TIME_OK;
    if (tc != RP_HUB_CV_TIME_OK)
        created = has_t ? t : tu == RP_HUB_CV_TIME_OK ? updated : cv->now_ms;
    if (tu != RP_HUB_CV_TIME_OK) updated = has_t ? t : created;
    bool has_first = time_at(o.fi, "first_seen_time", &first) == RP_HUB_CV_TIME_OK;
    bool has_last = time_at(o.fi, "last_seen_time", &last) == RP_HUB_CV_TIME_OK;

    struct rp_json_writer w;
    rp_hub_cv_begin(cv, &w);
    rp_json_write_kv_str(&w, "Id", id.p, id.len);
    rp_json_write_kv_cstr(&w, "ProductArn", arn);
    rp_json_write_kv_str(&w, "GeneratorId", gen.p, gen.len);
    rp_json_write_kv_str(&w, "AwsAccountId", o.account.p, o.account.len);
    rp_json_write_kv_str(&w, "Region", o.region.p, o.region.len);
    if (rp_hub_cv_str(o.product, "vendor_name", &s))
        rp_json_write_kv_str(&w, "CompanyName", s.p, s.len);
    if (pname.len && !is_product_arn(pname))
        rp_json_write_kv_str(&w, "ProductName", pname.p, pname.len);
    bool types_dropped = write_types(&w, &o) > 0;
    if (has_first) rp_hub_cv_kv_time(&w, "FirstObservedAt", first);
    if (has_last) rp_hub_cv_kv_time(&w, "LastObservedAt", last);
    rp_hub_cv_kv_time(&w, "CreatedAt", created);
    rp_hub_cv_kv_time(&w, "UpdatedAt", updated);
    write_severity(&w, &o);
    int64_t conf = 0;
    if (rp_hub_cv_get(f, "confidence_score", &v) && rp_hub_cv_int(v, &conf) && conf >= 0 &&
        conf <= 100)
        rp_json_write_kv_int(&w, "Confidence", conf);
    rp_hub_cv_kv_capped(&w, "Title", title, RP_HUB_CV_MAX_TITLE);
    rp_hub_cv_kv_capped(&w, "Description", desc, RP_HUB_CV_MAX_DESCRIPTION);
    if (rp_hub_cv_str(o.fi, "src_url", &s)) rp_json_write_kv_str(&w, "SourceUrl", s.p, s.len);
    write_remediation(&w, &o);
    write_product_fields(&w, &o, types_dropped);
    write_resources(&w, &o);
    write_compliance(&w, &o);
    write_vulns(&w, &o);
    write_workflow(&w, &o);
    return rp_hub_cv_end(cv, &w, FMT, id.p, eb);
}

/* ---- document ---------------------------------------------------------------------------- */

static bool looks_like_finding(struct rp_json_val o)
{
    return rp_hub_cv_has(o, "class_uid") &&
           (rp_hub_cv_has(o, "finding_info") || rp_hub_cv_has(o, "finding"));
}

static int probe(struct rp_json_val root)
{
    struct rp_json_iter it;
    struct rp_json_val el;
    size_t n = 0;
    if (rp_json_type(root) == RP_JSON_OBJECT) return looks_like_finding(root) ? 90 : 0;
    if (rp_json_arr_iter(root, &it) != RP_OK) return 0;
    while (n++ < 8 && rp_json_arr_next(&it, &el))
        if (rp_json_type(el) == RP_JSON_OBJECT) return looks_like_finding(el) ? 90 : 0;
    return 0;
}

static rp_err convert(struct rp_hub_conv *cv, struct rp_json_val root, struct rp_errbuf *eb)
{
    struct rp_json_iter it;
    struct rp_json_val el;
    if (rp_json_type(root) == RP_JSON_OBJECT) {
        if (!rp_hub_cv_has(root, "class_uid"))
            return rp_fail(eb, RP_EINVAL, FMT ": not an OCSF finding (no 'class_uid')");
        return convert_one(cv, root, eb);
    }
    if (rp_json_arr_iter(root, &it) != RP_OK)
        return rp_fail(eb, RP_EINVAL, FMT ": expected a finding or a list of findings, not %s",
                       rp_json_type_name(rp_json_type(root)));
    while (rp_json_arr_next(&it, &el)) {
        rp_err e = convert_one(cv, el, eb);
        if (e != RP_OK) return e;
    }
    return RP_OK;
}

const struct rp_hub_format rp_hub_fmt_ocsf = {
    .name = "ocsf",
    .summary = "OCSF findings 1.0-1.x (Security, Vulnerability, Compliance, Detection Finding), "
               "one, a list or JSON Lines; Prowler's OCSF output",
    .probe = probe,
    .convert = convert,
};
