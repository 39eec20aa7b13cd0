/* SPDX-License-Identifier: Apache-2.0 */
/* Import format "prowler": Prowler's legacy JSON output (v3 "json": a list of check results
 * with Provider, CheckID, CheckTitle, CheckType, Status PASS/FAIL/MANUAL, StatusExtended,
 * Severity, ResourceId, ResourceArn, ResourceType, ResourceTags, AccountId, Region,
 * AssessmentStartTime, Remediation, Compliance {framework: [requirements]}). One object per
 * JSON Lines line works too. Prowler's other outputs need no code here: its ASFF output is
 * ASFF (the asff probe claims it) and its OCSF output is OCSF (hub_conv_ocsf.c). The field
 * mapping is listed below the includes. */
#define RP_LOG_MODULE "hub"
#include <stdio.h>
#include <string.h>

#include "core/rp_hash.h"
#include "hub/hub_conv_util.h"
#include "core/rp_banned.h"

/* Mapping, one check result to one ASFF finding:
 *   Id             "prowler-<CheckID>-<AccountId>-<Region>-<16 hex digits of XXH3-64 of
 *                  ResourceId (ResourceArn when there is no ResourceId)>"
 *   ProductArn     arn:<partition>:securityhub:<Region>::product/prowler/prowler
 *   GeneratorId    "prowler-<CheckID>"
 *   Types          CheckType under an ASFF namespace, else "Software and Configuration Checks"
 *   Severity       Label from Severity (informational, low, medium, high, critical),
 *                  Normalized from the label, Original as written
 *   Title          CheckTitle; Description StatusExtended (else Description, else the title)
 *   CreatedAt, UpdatedAt  AssessmentStartTime (zone-less times are UTC), else cv->now_ms
 *   Resources      [{Type ResourceType (else "Other"), Id ResourceArn (else ResourceId),
 *                  Partition from the ARN, Region, Tags ResourceTags}]
 *   Compliance     Status (status_map), RelatedRequirements "<framework> <requirement>"
 *   Remediation    Remediation.Recommendation {Text, Url}
 *   ProductFields  prowler/prowler/<CheckID, ServiceName, SubServiceName, Provider,
 *                  FindingUniqueId>
 *   AwsAccountId and Region fall back to cv->account and cv->region. */

#define FMT        "prowler"
#define TYPES_DFLT "Software and Configuration Checks"

static const struct {
    const char *status;
    const char *compliance;
} status_map[] = {
    {"PASS", "PASSED"},
    {"FAIL", "FAILED"},
    {"MANUAL", "WARNING"},
    {"INFO", "WARNING"},
};

static const char *const pf_keys[] = {"CheckID",  "ServiceName",     "SubServiceName",
                                      "Provider", "FindingUniqueId", NULL};

static rp_err fail_missing(struct rp_hub_conv *cv, const char *field)
{
    return rp_hub_cv_fail(cv, NULL, RP_HUB_CV_FAILED, FMT ": missing field '%s'", field);
}

/* The partition of an ARN ("arn:aws-cn:..." -> "aws-cn"), else "aws". */
static struct rp_str partition_of(struct rp_str arn)
{
    if (rp_str_has_prefix(arn, "arn:")) {
        size_t e = 4;
        while (e < arn.len && arn.p[e] != ':') e++;
        if (e > 4 && e < arn.len) return (struct rp_str){arn.p + 4, e - 4};
    }
    return RP_STR_LIT("aws");
}

static rp_err convert_one(struct rp_hub_conv *cv, struct rp_json_val f, struct rp_errbuf *eb)
{
    struct rp_str check, status, account, region, rid = {0}, rarn = {0}, s, title, desc;
    struct rp_json_val v;
    cv->current = f;
    if (rp_json_type(f) != RP_JSON_OBJECT)
        return rp_hub_cv_fail(cv, NULL, RP_HUB_CV_INVALID,
                              FMT ": a check result must be a JSON object, not %s",
                              rp_json_type_name(rp_json_type(f)));
    if (!rp_hub_cv_str(f, "CheckID", &check)) return fail_missing(cv, "CheckID");
    if (!rp_hub_cv_str(f, "Status", &status)) return fail_missing(cv, "Status");
    const char *compliance = NULL;
    for (size_t i = 0; i < RP_ARRAY_LEN(status_map); i++)
        if (rp_str_eq_nocase(status, rp_str_from(status_map[i].status)))
            compliance = status_map[i].compliance;
    if (!compliance)
        return rp_hub_cv_fail(cv, NULL, RP_HUB_CV_FAILED,
                              FMT ": 'Status' must be PASS, FAIL or MANUAL");
    bool has_rid = rp_hub_cv_str(f, "ResourceId", &rid);
    bool has_rarn = rp_hub_cv_str(f, "ResourceArn", &rarn);
    if (!has_rid && !has_rarn) return fail_missing(cv, "ResourceId");
    if (!rp_hub_cv_str(f, "AccountId", &account)) account = rp_str_from(cv->account);
    if (!rp_hub_cv_str(f, "Region", &region)) region = rp_str_from(cv->region);
    struct rp_str rkey = has_rid ? rid : rarn, res_id = has_rarn ? rarn : rid;
    struct rp_str partition = partition_of(res_id);

    int64_t ts = cv->now_ms, ms = 0;
    if (rp_hub_cv_get(f, "AssessmentStartTime", &v)) {
        enum rp_hub_cv_time t = rp_hub_cv_time_of(v, false, &ms);
        if (t == RP_HUB_CV_TIME_BAD)
            return rp_hub_cv_fail(cv, NULL, RP_HUB_CV_FAILED,
                                  FMT ": 'AssessmentStartTime' is not a valid time");
        if (t == RP_HUB_CV_TIME_OK) ts = ms;
    }

    char id[RP_HUB_CV_MAX_ID + 1], buf[512];
    int n = snprintf(id, sizeof id, "prowler-%.*s-%.*s-%.*s-%016llx", (int)check.len, check.p,
                     (int)account.len, account.p, (int)region.len, region.p,
                     (unsigned long long)rp_hash_xxh3_64(rkey.p, rkey.len, 0));
    if (n < 0 || n > RP_HUB_CV_MAX_ID)
        return rp_hub_cv_fail(cv, NULL, RP_HUB_CV_FAILED,
                              FMT ": finding id would be longer than %d bytes", RP_HUB_CV_MAX_ID);

    struct rp_json_writer w;
    rp_hub_cv_begin(cv, &w);
    rp_json_write_kv_cstr(&w, "Id", id);
    snprintf(buf, sizeof buf, "arn:%.*s:securityhub:%.*s::product/prowler/prowler",
             (int)partition.len, partition.p, (int)region.len, region.p);
    rp_json_write_kv_cstr(&w, "ProductArn", buf);
    snprintf(buf, sizeof buf, "prowler-%.*s", (int)check.len, check.p);
    rp_json_write_kv_cstr(&w, "GeneratorId", buf);
    rp_json_write_kv_str(&w, "AwsAccountId", account.p, account.len);
    rp_json_write_kv_str(&w, "Region", region.p, region.len);
    rp_json_write_kv_cstr(&w, "CompanyName", "Prowler");
    rp_json_write_kv_cstr(&w, "ProductName", "Prowler");
    v = (struct rp_json_val){0};
    (void)rp_hub_cv_get(f, "CheckType", &v);
    (void)rp_hub_cv_kv_types(&w, v, TYPES_DFLT);
    rp_hub_cv_kv_time(&w, "CreatedAt", ts);
    rp_hub_cv_kv_time(&w, "UpdatedAt", ts);

    struct rp_str word = {0};
    enum rp_hub_sev sev = RP_HUB_SEV_INFORMATIONAL;
    if (rp_hub_cv_str(f, "Severity", &word) && !rp_hub_sev_parse(word, &sev))
        sev = RP_HUB_SEV_INFORMATIONAL;
    rp_hub_cv_kv_severity(&w, sev, rp_hub_sev_normalized(sev), word);

    if (!rp_hub_cv_str(f, "CheckTitle", &title)) title = check;
    if (!rp_hub_cv_str(f, "StatusExtended", &desc) && !rp_hub_cv_str(f, "Description", &desc))
        desc = title;
    rp_hub_cv_kv_capped(&w, "Title", title, RP_HUB_CV_MAX_TITLE);
    rp_hub_cv_kv_capped(&w, "Description", desc, RP_HUB_CV_MAX_DESCRIPTION);

    struct rp_json_val rec;
    if (rp_hub_cv_path(f, "Remediation.Recommendation", &rec) && rp_hub_cv_str(rec, "Text", &s)) {
        rp_json_write_key(&w, "Remediation", 11);
        rp_json_write_obj_begin(&w);
        rp_json_write_key(&w, "Recommendation", 14);
        rp_json_write_obj_begin(&w);
        rp_hub_cv_kv_capped(&w, "Text", s, 512);
        if (rp_hub_cv_str(rec, "Url", &s)) rp_json_write_kv_str(&w, "Url", s.p, s.len);
        rp_json_write_obj_end(&w);
        rp_json_write_obj_end(&w);
    }

    struct rp_hub_cv_pf pf;
    rp_hub_cv_pf_init(&pf, &w);
    for (size_t i = 0; pf_keys[i]; i++)
        if (rp_hub_cv_str(f, pf_keys[i], &s)) {
            snprintf(buf, sizeof buf, "prowler/prowler/%s", pf_keys[i]);
            rp_hub_cv_pf_add(&pf, buf, strlen(buf), s);
        }
    rp_hub_cv_pf_end(&pf);

    rp_json_write_key(&w, "Resources", 9);
    rp_json_write_arr_begin(&w);
    rp_json_write_obj_begin(&w);
    if (!rp_hub_cv_str(f, "ResourceType", &s)) s = RP_STR_LIT("Other");
    rp_json_write_kv_str(&w, "Type", s.p, s.len);
    rp_json_write_kv_str(&w, "Id", res_id.p, res_id.len);
    rp_json_write_kv_str(&w, "Partition", partition.p, partition.len);
    rp_json_write_kv_str(&w, "Region", region.p, region.len);
    if (rp_hub_cv_get(f, "ResourceTags", &v)) rp_hub_cv_kv_tags(&w, v);
    rp_json_write_obj_end(&w);
    rp_json_write_arr_end(&w);

    rp_json_write_key(&w, "Compliance", 10);
    rp_json_write_obj_begin(&w);
    rp_json_write_kv_cstr(&w, "Status", compliance);
    if (rp_hub_cv_get(f, "Compliance", &v)) rp_hub_cv_kv_requirements(&w, v);
    rp_json_write_obj_end(&w);
    rp_json_write_kv_cstr(&w, "RecordState", "ACTIVE");
    return rp_hub_cv_end(cv, &w, FMT, id, eb);
}

static bool looks_like_result(struct rp_json_val o)
{
    return rp_hub_cv_has(o, "CheckID") && rp_hub_cv_has(o, "Status") &&
           (rp_hub_cv_has(o, "StatusExtended") || rp_hub_cv_has(o, "Provider"));
}

static int probe(struct rp_json_val root)
{
    struct rp_json_iter it;
    struct rp_json_val el;
    size_t n = 0;
    if (rp_json_type(root) == RP_JSON_OBJECT) return looks_like_result(root) ? 90 : 0;
    if (rp_json_arr_iter(root, &it) != RP_OK) return 0;
    while (n++ < 8 && rp_json_arr_next(&it, &el))
        if (rp_json_type(el) == RP_JSON_OBJECT) return looks_like_result(el) ? 90 : 0;
    return 0;
}

static rp_err convert(struct rp_hub_conv *cv, struct rp_json_val root, struct rp_errbuf *eb)
{
    struct rp_json_iter it;
    struct rp_json_val el;
    if (rp_json_type(root) == RP_JSON_OBJECT) {
        if (!rp_hub_cv_has(root, "CheckID"))
            return rp_fail(eb, RP_EINVAL, FMT ": not a Prowler check result (no 'CheckID')");
        return convert_one(cv, root, eb);
    }
    if (rp_json_arr_iter(root, &it) != RP_OK)
        return rp_fail(eb, RP_EINVAL, FMT ": expected a list of check results, not %s",
                       rp_json_type_name(rp_json_type(root)));
    while (rp_json_arr_next(&it, &el)) {
        rp_err e = convert_one(cv, el, eb);
        if (e != RP_OK) return e;
    }
    return RP_OK;
}

const struct rp_hub_format rp_hub_fmt_prowler = {
    .name = "prowler",
    .summary = "Prowler's legacy JSON output (v3 check results); its ASFF and OCSF outputs "
               "import as asff and ocsf",
    .probe = probe,
    .convert = convert,
};
