/* SPDX-License-Identifier: Apache-2.0 */
/* A Config rule result as an ASFF finding for the findings hub (posture_run.h), in the shape
 * AWS Config's Security Hub integration sends: one finding per (rule configuration, resource),
 * Id and GeneratorId from the rule, Types "Software and Configuration Checks/AWS Config
 * Analysis", Compliance.Status FAILED (NON_COMPLIANT), PASSED (COMPLIANT) or NOT_AVAILABLE
 * (not applicable any more, which archives the finding), the annotation as the status reason,
 * and ProductFields naming the rule. Also the Config -> Security Hub resource type names. */
#define RP_LOG_MODULE "posture"
#include <string.h>

#include "core/rp_json.h"
#include "core/rp_time.h"
#include "hub/hub.h"
#include "posture/posture.h"
#include "posture/posture_run.h"
#include "posture/posture_standards.h"
#include "core/rp_banned.h"

static const char *status_of(enum rp_posture_compliance c)
{
    switch (c) {
    case RP_PC_NON_COMPLIANT:
        return "FAILED";
    case RP_PC_COMPLIANT:
        return "PASSED";
    default:
        return "NOT_AVAILABLE";
    }
}

rp_err rp_posture_finding_write(struct rp_buf *out, const struct rp_posture_result *r,
                                struct rp_errbuf *eb)
{
    char id[RP_HUB_ID_MAX];
    rp_err e = rp_hub_finding_id("config", r->config_name, r->arn ? r->arn : r->id, r->account, id);
    if (e != RP_OK) return rp_fail(eb, e, "rules: finding id");
    char gen[300], tbuf[128], title[300];
    snprintf(gen, sizeof(gen), "arn:aws:config:%s:%s:config-rule/%s", r->region, r->account,
             r->config_name);
    snprintf(title, sizeof(title), "%s", r->config_name);
    struct rp_json_writer w;
    rp_json_writer_init(&w, out);
    rp_json_write_obj_begin(&w);
    struct rp_hub_head h = {id,
                            "config",
                            "Config",
                            gen,
                            "Software and Configuration Checks/AWS Config Analysis",
                            r->account,
                            r->region[0] ? r->region : "us-east-1",
                            r->now_ms,
                            r->compliance == RP_PC_NON_COMPLIANT ? "MEDIUM" : "INFORMATIONAL",
                            NULL};
    e = rp_hub_head_write(&w, &h, eb);
    if (e != RP_OK) return e;
    rp_json_write_kv_cstr(&w, "Title", title);
    char desc[600];
    snprintf(desc, sizeof(desc), "%s%s(AWS Config rule %s, %s)",
             r->description ? r->description : "", r->description ? " " : "", r->identifier,
             r->config_name);
    rp_json_write_kv_cstr(&w, "Description", desc);
    rp_json_write_key(&w, "Resources", 9);
    rp_json_write_arr_begin(&w);
    rp_json_write_obj_begin(&w);
    rp_json_write_kv_cstr(&w, "Type", rp_posture_std_asff_type(r->type, tbuf, sizeof(tbuf)));
    rp_json_write_kv_cstr(&w, "Id", r->arn && *r->arn ? r->arn : r->id);
    rp_json_write_kv_cstr(&w, "Partition", "aws");
    rp_json_write_kv_cstr(&w, "Region", r->region[0] ? r->region : "us-east-1");
    rp_json_write_key(&w, "Details", 7);
    rp_json_write_obj_begin(&w);
    rp_json_write_key(&w, "Other", 5);
    rp_json_write_obj_begin(&w);
    rp_json_write_kv_cstr(&w, "ConfigResourceType", r->type);
    rp_json_write_kv_cstr(&w, "ConfigResourceId", r->id);
    rp_json_write_obj_end(&w);
    rp_json_write_obj_end(&w);
    rp_json_write_obj_end(&w);
    rp_json_write_arr_end(&w);
    rp_json_write_key(&w, "Compliance", 10);
    rp_json_write_obj_begin(&w);
    rp_json_write_kv_cstr(&w, "Status", status_of(r->compliance));
    if (r->annotation && *r->annotation) {
        rp_json_write_key(&w, "StatusReasons", 13);
        rp_json_write_arr_begin(&w);
        rp_json_write_obj_begin(&w);
        rp_json_write_kv_cstr(&w, "ReasonCode", "CONFIG_EVALUATIONS_ANNOTATION");
        rp_json_write_kv_cstr(&w, "Description", r->annotation);
        rp_json_write_obj_end(&w);
        rp_json_write_arr_end(&w);
    }
    rp_json_write_obj_end(&w);
    rp_json_write_key(&w, "ProductFields", 13);
    rp_json_write_obj_begin(&w);
    rp_json_write_kv_cstr(&w, "aws/config/ConfigRuleName", r->config_name);
    rp_json_write_kv_cstr(&w, "aws/config/SourceIdentifier", r->identifier);
    rp_json_write_kv_cstr(&w, "aws/config/ConfigComplianceType",
                          rp_posture_compliance_name(r->compliance));
    char when[32];
    if (rp_time_format_iso(r->ordering_ms, when, sizeof(when)) == RP_OK)
        rp_json_write_kv_cstr(&w, "aws/config/OrderingTimestamp", when);
    rp_json_write_obj_end(&w);
    rp_json_write_key(&w, "RecordState", 11);
    rp_json_write_cstr(&w, r->compliance == RP_PC_NON_COMPLIANT ? "ACTIVE" : "ARCHIVED");
    rp_json_write_obj_end(&w);
    e = rp_json_writer_finish(&w);
    if (e != RP_OK) return rp_fail(eb, e, "rules: finding JSON");
    return RP_OK;
}
