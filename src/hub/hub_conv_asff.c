/* SPDX-License-Identifier: Apache-2.0 */
/* Import format "asff": documents that already hold ASFF findings. Accepted shapes:
 *   {"Findings": [..]}                     BatchImportFindings body, GetFindings output
 *                                          (NextToken is ignored)
 *   [..]                                   a plain list (Prowler's ASFF output is one)
 *   {"SchemaVersion", "Id", "ProductArn"..} one finding
 *   {"detail-type": "Security Hub Findings - Imported" | "- Custom Action" | "- Custom Action",
 *    "detail": {"findings": [..]}}         an EventBridge event
 * Findings are handed to the importer as they are (cv->finding with a value of the input's
 * parser, never re-serialized); the importer validates them. An item that is not an object is
 * reported as InvalidInput. */
#define RP_LOG_MODULE "hub"
#include <string.h>

#include "hub/hub_conv_util.h"
#include "core/rp_banned.h"

/* How many leading list elements a probe looks at to find one object. */
#define PROBE_SCAN 8

/* 95 when the first object among the first elements of arr looks like a finding, 0 when it
 * looks like something else or there is no object among them, 5 for an empty list (nothing to
 * import, and no other format claims it). */
static int probe_list(struct rp_json_val arr)
{
    struct rp_json_iter it;
    struct rp_json_val el;
    size_t n = 0;
    if (rp_json_arr_iter(arr, &it) != RP_OK) return 0;
    while (n++ < PROBE_SCAN && rp_json_arr_next(&it, &el))
        if (rp_json_type(el) == RP_JSON_OBJECT)
            return rp_hub_cv_has(el, "ProductArn") && rp_hub_cv_has(el, "Id") ? 95 : 0;
    return rp_json_len(arr) == 0 ? 5 : 0;
}

/* The EventBridge events Security Hub sends: "Security Hub Findings - Imported", "- Custom
 * Action" and "- Custom Action" all start the same way. */
static bool is_sechub_event(struct rp_json_val root)
{
    struct rp_str dt;
    return rp_json_obj_get_str(root, "detail-type", &dt) == RP_OK &&
           rp_str_has_prefix(dt, "Security Hub Findings") && rp_hub_cv_has(root, "detail");
}

static int probe(struct rp_json_val root)
{
    struct rp_json_val v;
    switch (rp_json_type(root)) {
    case RP_JSON_ARRAY:
        return probe_list(root);
    case RP_JSON_OBJECT:
        if (rp_json_obj_get(root, "Findings", &v) == RP_OK) return probe_list(v);
        if (is_sechub_event(root)) return 95;
        if (rp_hub_cv_has(root, "ProductArn") && rp_hub_cv_has(root, "Id") &&
            (rp_hub_cv_has(root, "SchemaVersion") || rp_hub_cv_has(root, "GeneratorId")))
            return 95;
        return 0;
    default:
        return 0;
    }
}

static rp_err convert_list(struct rp_hub_conv *cv, struct rp_json_val arr, struct rp_errbuf *eb)
{
    struct rp_json_iter it;
    struct rp_json_val el;
    if (rp_json_arr_iter(arr, &it) != RP_OK)
        return rp_fail(eb, RP_EINVAL, "asff: the findings are not in an array");
    while (rp_json_arr_next(&it, &el)) {
        rp_err e;
        cv->current = el;
        if (rp_json_type(el) != RP_JSON_OBJECT) {
            e = rp_hub_cv_fail(cv, NULL, RP_HUB_CV_INVALID,
                               "asff: a finding must be a JSON object, not %s",
                               rp_json_type_name(rp_json_type(el)));
        } else {
            e = cv->finding(cv, el, eb);
            cv->item++;
        }
        if (e != RP_OK) return e;
    }
    return RP_OK;
}

static rp_err convert(struct rp_hub_conv *cv, struct rp_json_val root, struct rp_errbuf *eb)
{
    struct rp_json_val v;
    if (rp_json_type(root) == RP_JSON_ARRAY) return convert_list(cv, root, eb);
    if (rp_json_type(root) != RP_JSON_OBJECT)
        return rp_fail(eb, RP_EINVAL, "asff: expected a finding or a list of findings, not %s",
                       rp_json_type_name(rp_json_type(root)));
    if (rp_json_obj_get(root, "Findings", &v) == RP_OK) return convert_list(cv, v, eb);
    if (is_sechub_event(root)) {
        if (!rp_hub_cv_path(root, "detail.findings", &v))
            return rp_fail(eb, RP_EINVAL, "asff: event has no 'detail.findings'");
        return convert_list(cv, v, eb);
    }
    if (rp_hub_cv_has(root, "ProductArn") || rp_hub_cv_has(root, "SchemaVersion")) {
        rp_err e = cv->finding(cv, root, eb);
        cv->item++;
        return e;
    }
    return rp_fail(eb, RP_EINVAL,
                   "asff: not an ASFF document (no 'Findings', 'ProductArn' or Security Hub "
                   "event)");
}

const struct rp_hub_format rp_hub_fmt_asff = {
    .name = "asff",
    .summary = "ASFF findings: BatchImportFindings body, GetFindings output, a list, one "
               "finding, or a Security Hub EventBridge event",
    .probe = probe,
    .convert = convert,
};
