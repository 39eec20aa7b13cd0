/* SPDX-License-Identifier: Apache-2.0 */
/* Deterministic finding identity for Rampart's own producers (DESIGN.md §5). A finding's Id is
 * a function of what makes it the same finding (producer, type, resource, normalized evidence),
 * so when detect, posture or dataid run again over the same data they re-import the same Ids:
 * the hub updates those findings (count, LastObservedAt) instead of adding copies, and a
 * RESOLVED finding whose condition comes back is re-opened by the import rules.
 * The Id is "<producer>/<xxh3-128 of the four fields, NUL-separated, as 32 hex digits>". The
 * hash and its seed are part of the store format: changing either would orphan every
 * finding's workflow, so they never change. */
#define RP_LOG_MODULE "hub"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rp_hash.h"
#include "hub/hub.h"
#include "hub/hub_conv_util.h"

#define HUB_ID_SEED 0x52616d7061727431ull /* "Rampart1" */

rp_err rp_hub_finding_id(const char *producer, const char *type, const char *resource,
                         const char *evidence, char out[RP_HUB_ID_MAX])
{
    const char *parts[4] = {producer, type, resource, evidence};
    size_t total = 0;
    for (int i = 0; i < 4; i++) total += (parts[i] ? strlen(parts[i]) : 0) + 1;
    char small[1024];
    char *key = total <= sizeof small ? small : malloc(total);
    if (!key) return RP_ENOMEM;
    size_t at = 0;
    for (int i = 0; i < 4; i++) {
        size_t n = parts[i] ? strlen(parts[i]) : 0;
        memcpy(key + at, parts[i] ? parts[i] : "", n);
        at += n;
        key[at++] = '\0'; /* separator, so ("ab", "c") and ("a", "bc") differ */
    }
    struct rp_hash128 d = rp_hash_xxh3_128(key, total, HUB_ID_SEED);
    if (key != small) free(key);
    snprintf(out, RP_HUB_ID_MAX, "%.24s/%016llx%016llx", producer ? producer : "rampart",
             (unsigned long long)d.hi, (unsigned long long)d.lo);
    return RP_OK;
}

rp_err rp_hub_product_arn(const char *producer, const char *region, const char *account, char *out,
                          size_t n)
{
    int w = snprintf(out, n, "arn:aws:securityhub:%s:%s:product/rampart/%s", region ? region : "",
                     account ? account : "", producer ? producer : "rampart");
    if (w < 0 || (size_t)w >= n) return RP_ELIMIT;
    return RP_OK;
}

rp_err rp_hub_head_write(struct rp_json_writer *w, const struct rp_hub_head *h,
                         struct rp_errbuf *eb)
{
    enum rp_hub_sev sev = RP_HUB_SEV_INFORMATIONAL;
    if (!h->severity || !rp_hub_sev_parse(rp_str_from(h->severity), &sev))
        return rp_fail(eb, RP_EINVAL, "hub: '%s' is no severity label",
                       h->severity ? h->severity : "");
    char arn[512];
    if (rp_hub_product_arn(h->producer, h->region, h->account, arn, sizeof arn))
        return rp_fail(eb, RP_ELIMIT, "hub: product ARN too long");
    rp_json_write_kv_cstr(w, "SchemaVersion", "2018-10-08");
    rp_json_write_kv_cstr(w, "Id", h->id);
    rp_json_write_kv_cstr(w, "ProductArn", arn);
    rp_json_write_kv_cstr(w, "ProductName", h->product_name);
    rp_json_write_kv_cstr(w, "CompanyName", "Rampart");
    rp_json_write_kv_cstr(w, "GeneratorId", h->generator_id);
    rp_json_write_kv_cstr(w, "AwsAccountId", h->account);
    rp_json_write_kv_cstr(w, "Region", h->region);
    rp_json_write_key(w, "Types", 5);
    rp_json_write_arr_begin(w);
    rp_json_write_cstr(w, h->type);
    rp_json_write_arr_end(w);
    static const char *const times[] = {"FirstObservedAt", "LastObservedAt", "CreatedAt",
                                        "UpdatedAt"};
    for (size_t i = 0; i < 4; i++) rp_hub_cv_kv_time(w, times[i], h->now_ms);
    rp_hub_cv_kv_severity(w, sev, rp_hub_sev_normalized(sev),
                          rp_str_from(h->severity_original ? h->severity_original : h->severity));
    return RP_OK;
}
