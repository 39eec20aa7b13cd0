/* SPDX-License-Identifier: Apache-2.0 */
/* BatchImportFindings' merge rules: how a provider's finding becomes the stored document, first
 * time and every time after (Security Hub user guide, "finding-update-batchimportfindings",
 * "asff-top-level-attributes", "finding-workflow-status"; aws-facts.md §6.1-6.3).
 *   - CreatedAt stays from the first import.
 *   - Note, VerificationState, UserDefinedFields and Workflow: the provider's value is taken
 *     when the finding is created; afterwards they belong to the customer (BatchUpdateFindings)
 *     and the provider's values are ignored. Workflow defaults to {"Status": "NEW"}.
 *   - Confidence, Criticality, RelatedFindings, Severity, Types: the top-level value follows
 *     FindingProviderFields (or the provider's top-level value when it sends no
 *     FindingProviderFields) unless the customer changed it with BatchUpdateFindings; then the
 *     customer's value stays and only FindingProviderFields moves. FindingProviderFields is
 *     filled from the top-level values when the provider sends none.
 *   - Severity gets both Label and Normalized (the missing one derived, §6.2).
 *   - RecordState defaults to ACTIVE on creation and keeps the stored value when an update
 *     omits it.
 *   - Workflow resets: NOTIFIED or RESOLVED go back to NEW when RecordState goes ARCHIVED ->
 *     ACTIVE or Compliance.Status goes PASSED -> FAILED/WARNING/NOT_AVAILABLE; SUPPRESSED
 *     stays. A control finding (GeneratorId "security-control/..", or the Security Hub and
 *     Rampart posture products) whose Compliance.Status is PASSED is RESOLVED automatically.
 *     Rampart's own producers (product/rampart/..) also re-open a RESOLVED finding when it is
 *     observed again (LastObservedAt later than the stored one), so a condition that comes
 *     back is seen, and keep the stored FirstObservedAt when it is earlier than the one sent
 *     (a re-run of an analysis reports what it sees now; the finding was first seen before).
 * Everything else is the provider's, in the provider's member order. */
#define RP_LOG_MODULE "hub"
#include <string.h>

#include "core/rp_time.h"
#include "hub/hub_internal.h"

static struct rp_str str_at(struct rp_json_val o, const char *obj, const char *key)
{
    struct rp_str s = {0};
    struct rp_json_val v;
    if (obj && !hub_member(o, obj, &v)) return s;
    if (rp_json_obj_get_str(obj ? v : o, key, &s) != RP_OK) memset(&s, 0, sizeof s);
    return s;
}

static bool is(struct rp_str s, const char *v)
{
    return s.p && rp_str_eq_cstr(s, v);
}

/* Fields whose top level the customer may own (hub_internal.h bits, in this order). */
static const struct {
    const char *name;
    unsigned bit;
} provider_fields[] = {
    {"Confidence", HUB_CUST_CONFIDENCE},
    {"Criticality", HUB_CUST_CRITICALITY},
    {"RelatedFindings", HUB_CUST_RELATED},
    {"Severity", HUB_CUST_SEVERITY},
    {"Types", HUB_CUST_TYPES},
};
#define NPF (sizeof provider_fields / sizeof provider_fields[0])

/* Write a Severity object with both Label and Normalized, keeping its other members. */
static void write_severity(struct rp_json_writer *jw, struct rp_json_val sev)
{
    struct rp_str label = {0};
    int64_t norm = -1;
    bool has_label = rp_json_obj_get_str(sev, "Label", &label) == RP_OK;
    bool has_norm = rp_json_obj_get_i64(sev, "Normalized", &norm) == RP_OK;
    if (has_label && has_norm) {
        rp_json_write_val(jw, sev);
        return;
    }
    struct rp_json_iter it;
    struct rp_str k;
    struct rp_json_val v;
    rp_json_write_obj_begin(jw);
    if (rp_json_obj_iter(sev, &it) == RP_OK)
        while (rp_json_obj_next(&it, &k, &v)) {
            rp_json_write_key(jw, k.p, k.len);
            rp_json_write_val(jw, v);
        }
    if (!has_label) rp_json_write_kv_cstr(jw, "Label", hub_severity_label(norm));
    if (!has_norm) rp_json_write_kv_int(jw, "Normalized", hub_severity_normalized(label));
    rp_json_write_obj_end(jw);
}

static void write_field(struct rp_json_writer *jw, const char *name, struct rp_json_val v)
{
    rp_json_write_key(jw, name, strlen(name));
    if (strcmp(name, "Severity") == 0)
        write_severity(jw, v);
    else
        rp_json_write_val(jw, v);
}

static bool control_finding(struct rp_json_val f)
{
    struct rp_str gen = str_at(f, NULL, "GeneratorId"), arn = str_at(f, NULL, "ProductArn");
    return (gen.p && rp_str_has_prefix(gen, "security-control/")) ||
           (arn.p && (rp_str_has_suffix(arn, ":product/aws/securityhub") ||
                      rp_str_has_suffix(arn, "/product/rampart/posture")));
}

static bool rampart_producer(struct rp_json_val f)
{
    struct rp_str arn = str_at(f, NULL, "ProductArn");
    static const char mark[] = ":product/rampart/";
    if (!arn.p || arn.len < sizeof mark) return false;
    for (size_t i = 0; i + sizeof mark - 1 <= arn.len; i++)
        if (memcmp(arn.p + i, mark, sizeof mark - 1) == 0) return true;
    return false;
}

static int64_t time_at(struct rp_json_val f, const char *k)
{
    struct rp_str s = str_at(f, NULL, k);
    int64_t ms = INT64_MIN;
    if (!s.p || rp_time_parse_iso(s, &ms, NULL) != RP_OK) return INT64_MIN;
    return ms;
}

/* The workflow status after this import. */
static const char *workflow_after(struct rp_json_val f, const struct hub_stored *old)
{
    struct rp_str cs_new = str_at(f, "Compliance", "Status");
    const char *status = "NEW";
    if (!old) {
        struct rp_str given = str_at(f, "Workflow", "Status");
        static const char *const ok[] = {"NEW", "NOTIFIED", "RESOLVED", "SUPPRESSED"};
        for (size_t i = 0; i < 4; i++)
            if (is(given, ok[i])) status = ok[i];
    } else {
        struct rp_str cur = str_at(old->doc, "Workflow", "Status");
        status = is(cur, "NOTIFIED")     ? "NOTIFIED"
                 : is(cur, "RESOLVED")   ? "RESOLVED"
                 : is(cur, "SUPPRESSED") ? "SUPPRESSED"
                                         : "NEW";
        struct rp_str rs_old = str_at(old->doc, NULL, "RecordState");
        struct rp_str rs_new = str_at(f, NULL, "RecordState");
        struct rp_str cs_old = str_at(old->doc, "Compliance", "Status");
        bool reactivated = is(rs_old, "ARCHIVED") && is(rs_new, "ACTIVE");
        bool failed_again = is(cs_old, "PASSED") && cs_new.p && !is(cs_new, "PASSED");
        bool seen_again = rampart_producer(f) &&
                          time_at(f, "LastObservedAt") > time_at(old->doc, "LastObservedAt") &&
                          time_at(old->doc, "LastObservedAt") != INT64_MIN;
        if ((strcmp(status, "NOTIFIED") == 0 || strcmp(status, "RESOLVED") == 0) &&
            (reactivated || failed_again))
            status = "NEW";
        else if (strcmp(status, "RESOLVED") == 0 && seen_again && !is(cs_new, "PASSED"))
            status = "NEW";
    }
    if (is(cs_new, "PASSED") && control_finding(f) &&
        (strcmp(status, "NEW") == 0 || strcmp(status, "NOTIFIED") == 0))
        status = "RESOLVED";
    return status;
}

rp_err hub_merge_import(struct hub_work *w, struct rp_json_val f, const struct hub_stored *old,
                        struct rp_errbuf *eb)
{
    struct rp_json_writer jw;
    struct rp_json_val fpf = {0}, v, ov;
    bool has_fpf = hub_member(f, "FindingProviderFields", &fpf);
    bool written[NPF] = {false};
    /* The top-level value of each provider field after the merge; "no value" = absent. */
    struct rp_json_val top[NPF];
    for (size_t i = 0; i < NPF; i++) {
        memset(&top[i], 0, sizeof top[i]);
        const char *n = provider_fields[i].name;
        if (old && (old->customer_fields & provider_fields[i].bit)) {
            if (hub_member(old->doc, n, &ov)) top[i] = ov;
        } else if (has_fpf && hub_member(fpf, n, &v)) {
            top[i] = v;
        } else if (hub_member(f, n, &v)) {
            top[i] = v;
        }
    }
    const char *workflow = workflow_after(f, old);
    bool seen_workflow = false, seen_record = false, seen_fpf = false;

    rp_buf_reset(&w->merged);
    rp_json_writer_init(&jw, &w->merged);
    rp_json_write_obj_begin(&jw);
    struct rp_json_iter it;
    struct rp_str k;
    if (rp_json_obj_iter(f, &it) != RP_OK)
        return rp_fail(eb, RP_EINVAL, "hub: a finding must be an object");
    while (rp_json_obj_next(&it, &k, &v)) {
        size_t pf = NPF;
        for (size_t i = 0; i < NPF; i++)
            if (rp_str_eq_cstr(k, provider_fields[i].name)) pf = i;
        if (pf < NPF) {
            if (!written[pf] && rp_json_type(top[pf]) != RP_JSON_NONE)
                write_field(&jw, provider_fields[pf].name, top[pf]);
            written[pf] = true;
            continue;
        }
        if (rp_str_eq_cstr(k, "Workflow")) {
            if (!seen_workflow) {
                rp_json_write_key(&jw, "Workflow", 8);
                rp_json_write_obj_begin(&jw);
                rp_json_write_kv_cstr(&jw, "Status", workflow);
                rp_json_write_obj_end(&jw);
            }
            seen_workflow = true;
            continue;
        }
        /* a Rampart analysis re-run sends "first seen = now"; the stored, earlier one stays */
        if (old && rp_str_eq_cstr(k, "FirstObservedAt") && rampart_producer(f) &&
            time_at(old->doc, "FirstObservedAt") != INT64_MIN &&
            time_at(old->doc, "FirstObservedAt") < time_at(f, "FirstObservedAt") &&
            hub_member(old->doc, "FirstObservedAt", &ov)) {
            rp_json_write_key(&jw, k.p, k.len);
            rp_json_write_val(&jw, ov);
            continue;
        }
        if (old && rp_str_eq_cstr(k, "CreatedAt") && hub_member(old->doc, "CreatedAt", &ov)) {
            rp_json_write_key(&jw, k.p, k.len);
            rp_json_write_val(&jw, ov);
            continue;
        }
        if (rp_str_eq_cstr(k, "Note") || rp_str_eq_cstr(k, "VerificationState") ||
            rp_str_eq_cstr(k, "UserDefinedFields")) {
            if (old) {
                /* the customer's value, written where the provider put the attribute */
                if (hub_member(old->doc, k.p, &ov)) {
                    rp_json_write_key(&jw, k.p, k.len);
                    rp_json_write_val(&jw, ov);
                }
                continue;
            }
        }
        if (rp_str_eq_cstr(k, "RecordState")) seen_record = true;
        if (rp_str_eq_cstr(k, "FindingProviderFields")) seen_fpf = true;
        rp_json_write_key(&jw, k.p, k.len);
        rp_json_write_val(&jw, v);
    }
    /* What the provider's document did not carry but the stored finding must. */
    for (size_t i = 0; i < NPF; i++)
        if (!written[i] && rp_json_type(top[i]) != RP_JSON_NONE)
            write_field(&jw, provider_fields[i].name, top[i]);
    if (old) {
        static const char *const customer[] = {"Note", "VerificationState", "UserDefinedFields"};
        for (size_t i = 0; i < 3; i++)
            if (!hub_member(f, customer[i], &v) && hub_member(old->doc, customer[i], &ov)) {
                rp_json_write_key(&jw, customer[i], strlen(customer[i]));
                rp_json_write_val(&jw, ov);
            }
    }
    if (!seen_workflow) {
        rp_json_write_key(&jw, "Workflow", 8);
        rp_json_write_obj_begin(&jw);
        rp_json_write_kv_cstr(&jw, "Status", workflow);
        rp_json_write_obj_end(&jw);
    }
    if (!seen_record) {
        struct rp_str rs = old ? str_at(old->doc, NULL, "RecordState") : (struct rp_str){0};
        rp_json_write_kv_cstr(&jw, "RecordState", is(rs, "ARCHIVED") ? "ARCHIVED" : "ACTIVE");
    }
    if (!seen_fpf) {
        /* Security Hub fills FindingProviderFields from the provider's top-level values. */
        rp_json_write_key(&jw, "FindingProviderFields", 21);
        rp_json_write_obj_begin(&jw);
        for (size_t i = 0; i < NPF; i++)
            if (hub_member(f, provider_fields[i].name, &v))
                write_field(&jw, provider_fields[i].name, v);
        rp_json_write_obj_end(&jw);
    }
    rp_json_write_obj_end(&jw);
    rp_err e = rp_json_writer_finish(&jw);
    if (e) return rp_fail(eb, e, "hub: cannot write the merged finding: %s", rp_strerror(e));
    return RP_OK;
}
