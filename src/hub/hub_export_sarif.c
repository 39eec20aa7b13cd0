/* SPDX-License-Identifier: Apache-2.0 */
/* Export format "sarif" of the findings hub (hub_export.h): SARIF 2.1.0, for code-scanning
 * dashboards and CI gates that read SARIF.
 *
 * Layout, chosen for streaming: a single run whose tool.driver is "Rampart", not one run per
 * producer. Findings arrive in query order with producers interleaved, and a SARIF run must
 * hold all of its results, so one run per producer would need every result in memory (or one
 * run per stretch of equal producers, which splits a producer into many runs). Each result
 * names its producer instead (properties productArn, productName, companyName). The run is
 * written as {"results":[...],"tool":{...}}: results stream out as they come, and the tool
 * with its rules follows them (member order means nothing in JSON).
 *
 * Rules: one per distinct ruleId (GeneratorId, else the first of Types, else "unknown"), from
 * the first finding that uses it: shortDescription = its Title, properties.tags = its Types.
 * Memory is bounded for any number of findings: at most SARIF_MAX_RULES distinct rules and
 * SARIF_RULES_BYTES of serialized rules are kept (so the rule table end() writes stays within
 * RP_HUB_EXPORT_FLUSH); past either cap further rules are left out of tool.driver.rules (their
 * results still carry ruleId) and the run gets properties {"rampart/rulesTruncated": true}.
 *
 * Result: ruleId; level from Severity.Label (or Normalized, AWS thresholds): CRITICAL and HIGH
 * "error", MEDIUM "warning", LOW and INFORMATIONAL "note", none "warning"; a compliance finding
 * with Compliance.Status PASSED is kind "pass" with level "none"; message.text = Description
 * (else Title); one location per resource with logicalLocations [{fullyQualifiedName: Id,
 * kind: Type}]; partialFingerprints {"asffId/v1": Id}; Workflow.Status SUPPRESSED becomes
 * suppressions [{"kind":"external","status":"accepted"}]; properties: title, productArn,
 * productName, companyName, generatorId, severity (label), workflowStatus, recordState,
 * awsAccountId, region, complianceStatus, createdAt, updatedAt (those present). */
#define RP_LOG_MODULE "hub"
#include <stdlib.h>
#include <string.h>

#include "core/rp_hash.h"
#include "hub/hub_export.h"

#define SARIF_MAX_RULES   4096u
#define SARIF_SLOTS       8192u /* power of two, twice SARIF_MAX_RULES */
#define SARIF_RULES_BYTES ((size_t)RP_HUB_EXPORT_FLUSH - 4096u)
#define SARIF_IDS_BYTES   ((size_t)RP_HUB_EXPORT_FLUSH * 4u)

struct sarif_slot {
    uint64_t hash;
    uint32_t off, len; /* the id in ids */
    bool used;
};

struct sarif_priv {
    struct rp_buf rules;      /* serialized rule objects, comma-separated */
    struct rp_buf ids;        /* ids of known rules, back to back */
    struct rp_buf tmp;        /* the rule being built */
    struct sarif_slot *slots; /* SARIF_SLOTS entries, open addressing */
    size_t nrules;
    bool truncated; /* a rule was left out */
};

static const char sarif_head[] = "{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\","
                                 "\"version\":\"2.1.0\",\"runs\":[{\"results\":[";

static bool get_str(struct rp_json_val obj, const char *k, struct rp_str *out)
{
    return rp_json_obj_get_str(obj, k, out) == RP_OK;
}

static bool get_str2(struct rp_json_val obj, const char *a, const char *b, struct rp_str *out)
{
    struct rp_json_val v;
    return rp_json_obj_get(obj, a, &v) == RP_OK && get_str(v, b, out);
}

/* Severity label of a finding: Label, else from Normalized (aws-facts §6.2); NULL if none. */
static const char *severity_label(struct rp_json_val f)
{
    static const char *const labels[] = {"INFORMATIONAL", "LOW", "MEDIUM", "HIGH", "CRITICAL"};
    struct rp_json_val sev;
    struct rp_str s;
    double n = 0;
    if (rp_json_obj_get(f, "Severity", &sev) != RP_OK) return NULL;
    if (get_str(sev, "Label", &s)) {
        for (size_t i = 0; i < RP_ARRAY_LEN(labels); i++)
            if (rp_str_eq_cstr(s, labels[i])) return labels[i];
        return NULL;
    }
    if (rp_json_obj_get_double(sev, "Normalized", &n) != RP_OK) return NULL;
    return n < 1    ? labels[0]
           : n < 40 ? labels[1]
           : n < 70 ? labels[2]
           : n < 90 ? labels[3]
                    : labels[4];
}

static void kv_member(struct rp_json_writer *w, const char *key, struct rp_json_val f,
                      const char *a, const char *b)
{
    struct rp_str s;
    if (b ? get_str2(f, a, b, &s) : get_str(f, a, &s)) rp_json_write_kv_str(w, key, s.p, s.len);
}

/* Record rule id (from finding f) in the rule table unless it is known or a cap is reached
 * (then only mark the run truncated). RP_ENOMEM is the only error. */
static rp_err rule_note(struct sarif_priv *p, struct rp_str id, struct rp_json_val f)
{
    uint64_t h = rp_hash_xxh3_64(id.p, id.len, 0);
    size_t i = (size_t)h & (SARIF_SLOTS - 1);
    for (; p->slots[i].used; i = (i + 1) & (SARIF_SLOTS - 1)) {
        const struct sarif_slot *s = &p->slots[i];
        if (s->hash == h && s->len == id.len && memcmp(p->ids.data + s->off, id.p, id.len) == 0)
            return RP_OK; /* known */
    }
    if (p->nrules >= SARIF_MAX_RULES || p->ids.len + id.len > SARIF_IDS_BYTES) {
        p->truncated = true;
        return RP_OK;
    }
    rp_buf_reset(&p->tmp);
    struct rp_json_writer w;
    rp_json_writer_init(&w, &p->tmp);
    rp_json_write_obj_begin(&w);
    rp_json_write_kv_str(&w, "id", id.p, id.len);
    struct rp_str title;
    if (get_str(f, "Title", &title)) {
        rp_json_write_key(&w, "shortDescription", 16);
        rp_json_write_obj_begin(&w);
        rp_json_write_kv_str(&w, "text", title.p, title.len);
        rp_json_write_obj_end(&w);
    }
    struct rp_json_val types, t;
    struct rp_json_iter it;
    if (rp_json_obj_get(f, "Types", &types) == RP_OK && rp_json_arr_iter(types, &it) == RP_OK &&
        rp_json_len(types) > 0) {
        rp_json_write_key(&w, "properties", 10);
        rp_json_write_obj_begin(&w);
        rp_json_write_key(&w, "tags", 4);
        rp_json_write_arr_begin(&w);
        while (rp_json_arr_next(&it, &t)) {
            struct rp_str s;
            if (rp_json_get_str(t, &s) == RP_OK) rp_json_write_str(&w, s.p, s.len);
        }
        rp_json_write_arr_end(&w);
        rp_json_write_obj_end(&w);
    }
    rp_json_write_obj_end(&w);
    rp_err e = rp_json_writer_finish(&w);
    if (e != RP_OK && e != RP_ELIMIT) return e;
    if (e == RP_ELIMIT || p->rules.len + 1 + p->tmp.len > SARIF_RULES_BYTES) {
        p->truncated = true;
        return RP_OK;
    }
    size_t off = p->ids.len;
    if ((e = rp_buf_append(&p->ids, id.p, id.len)) != RP_OK) return e;
    if (p->nrules && (e = rp_buf_putc(&p->rules, ',')) != RP_OK) return e;
    if ((e = rp_buf_append(&p->rules, p->tmp.data, p->tmp.len)) != RP_OK) return e;
    p->slots[i] =
        (struct sarif_slot){.hash = h, .off = (uint32_t)off, .len = (uint32_t)id.len, .used = true};
    p->nrules++;
    return RP_OK;
}

static rp_err sarif_begin(struct rp_hub_export_state *x, struct rp_errbuf *eb)
{
    struct sarif_priv *p = x->priv;
    rp_buf_init(&p->rules, SARIF_RULES_BYTES);
    rp_buf_init(&p->ids, SARIF_IDS_BYTES);
    rp_buf_init(&p->tmp, SARIF_RULES_BYTES);
    p->slots = calloc(SARIF_SLOTS, sizeof *p->slots);
    if (!p->slots) return rp_fail(eb, RP_ENOMEM, "export: sarif: out of memory");
    rp_err e = rp_buf_append(x->buf, sarif_head, sizeof sarif_head - 1);
    return e == RP_OK ? RP_OK : rp_fail(eb, e, "export: sarif: %s", rp_strerror(e));
}

static rp_err sarif_finding(struct rp_hub_export_state *x, struct rp_json_val f,
                            struct rp_errbuf *eb)
{
    struct sarif_priv *p = x->priv;
    struct rp_str id = {0}, rule = RP_STR_LIT("unknown"), s;
    struct rp_json_val v, el;
    struct rp_json_iter it;
    if (!get_str(f, "Id", &id))
        return rp_fail(eb, RP_EINVAL, "export: sarif: finding %zu has no Id", x->count);
    if (!get_str(f, "GeneratorId", &rule) && rp_json_obj_get(f, "Types", &v) == RP_OK &&
        rp_json_arr_at(v, 0, &el) == RP_OK && rp_json_get_str(el, &s) == RP_OK)
        rule = s;

    if (rp_buf_append_str(x->buf, x->count ? ",\n" : "\n") != RP_OK)
        return rp_fail(eb, RP_ELIMIT, "export: sarif: output buffer full");
    struct rp_json_writer w;
    rp_json_writer_init(&w, x->buf);
    rp_json_write_obj_begin(&w);
    rp_json_write_kv_str(&w, "ruleId", rule.p, rule.len);
    const char *label = severity_label(f);
    struct rp_str cstat = {0}, wstat = {0};
    bool has_cstat = get_str2(f, "Compliance", "Status", &cstat);
    bool has_wstat = get_str2(f, "Workflow", "Status", &wstat);
    if (has_cstat && rp_str_eq_cstr(cstat, "PASSED")) {
        rp_json_write_kv_cstr(&w, "kind", "pass");
        rp_json_write_kv_cstr(&w, "level", "none");
    } else {
        const char *level = "warning";
        if (label && (!strcmp(label, "CRITICAL") || !strcmp(label, "HIGH")))
            level = "error";
        else if (label && (!strcmp(label, "LOW") || !strcmp(label, "INFORMATIONAL")))
            level = "note";
        rp_json_write_kv_cstr(&w, "level", level);
    }
    rp_json_write_key(&w, "message", 7);
    rp_json_write_obj_begin(&w);
    if (get_str(f, "Description", &s) || get_str(f, "Title", &s))
        rp_json_write_kv_str(&w, "text", s.p, s.len);
    else
        rp_json_write_kv_str(&w, "text", id.p, id.len);
    rp_json_write_obj_end(&w);

    bool any = false;
    if (rp_json_obj_get(f, "Resources", &v) == RP_OK && rp_json_arr_iter(v, &it) == RP_OK) {
        while (rp_json_arr_next(&it, &el)) {
            struct rp_str rid, rtype;
            if (!get_str(el, "Id", &rid)) continue;
            if (!any) {
                rp_json_write_key(&w, "locations", 9);
                rp_json_write_arr_begin(&w);
                any = true;
            }
            rp_json_write_obj_begin(&w);
            rp_json_write_key(&w, "logicalLocations", 16);
            rp_json_write_arr_begin(&w);
            rp_json_write_obj_begin(&w);
            rp_json_write_kv_str(&w, "fullyQualifiedName", rid.p, rid.len);
            if (get_str(el, "Type", &rtype)) rp_json_write_kv_str(&w, "kind", rtype.p, rtype.len);
            rp_json_write_obj_end(&w);
            rp_json_write_arr_end(&w);
            rp_json_write_obj_end(&w);
        }
        if (any) rp_json_write_arr_end(&w);
    }
    rp_json_write_key(&w, "partialFingerprints", 19);
    rp_json_write_obj_begin(&w);
    rp_json_write_kv_str(&w, "asffId/v1", id.p, id.len);
    rp_json_write_obj_end(&w);
    if (has_wstat && rp_str_eq_cstr(wstat, "SUPPRESSED")) {
        rp_json_write_key(&w, "suppressions", 12);
        rp_json_write_arr_begin(&w);
        rp_json_write_obj_begin(&w);
        rp_json_write_kv_cstr(&w, "kind", "external");
        rp_json_write_kv_cstr(&w, "status", "accepted");
        rp_json_write_obj_end(&w);
        rp_json_write_arr_end(&w);
    }
    rp_json_write_key(&w, "properties", 10);
    rp_json_write_obj_begin(&w);
    kv_member(&w, "title", f, "Title", NULL);
    kv_member(&w, "productArn", f, "ProductArn", NULL);
    kv_member(&w, "productName", f, "ProductName", NULL);
    kv_member(&w, "companyName", f, "CompanyName", NULL);
    kv_member(&w, "generatorId", f, "GeneratorId", NULL);
    if (label) rp_json_write_kv_cstr(&w, "severity", label);
    if (has_wstat) rp_json_write_kv_str(&w, "workflowStatus", wstat.p, wstat.len);
    kv_member(&w, "recordState", f, "RecordState", NULL);
    kv_member(&w, "awsAccountId", f, "AwsAccountId", NULL);
    kv_member(&w, "region", f, "Region", NULL);
    if (has_cstat) rp_json_write_kv_str(&w, "complianceStatus", cstat.p, cstat.len);
    kv_member(&w, "createdAt", f, "CreatedAt", NULL);
    kv_member(&w, "updatedAt", f, "UpdatedAt", NULL);
    rp_json_write_obj_end(&w);
    rp_json_write_obj_end(&w);
    rp_err e = rp_json_writer_finish(&w);
    if (e == RP_OK) e = rule_note(p, rule, f);
    return e == RP_OK ? RP_OK : rp_fail(eb, e, "export: sarif: %s", rp_strerror(e));
}

static rp_err sarif_end(struct rp_hub_export_state *x, struct rp_errbuf *eb)
{
    struct sarif_priv *p = x->priv;
    rp_err e = rp_buf_append_str(x->buf, x->count ? "\n]," : "],");
    if (e == RP_OK)
        e = rp_buf_append_str(x->buf, "\"tool\":{\"driver\":{\"name\":\"Rampart\",\"rules\":[");
    if (e == RP_OK && p->rules.len) e = rp_buf_append(x->buf, p->rules.data, p->rules.len);
    if (e == RP_OK) e = rp_buf_append_str(x->buf, "]}}");
    if (e == RP_OK && p->truncated)
        e = rp_buf_append_str(x->buf, ",\"properties\":{\"rampart/rulesTruncated\":true}");
    if (e == RP_OK) e = rp_buf_append_str(x->buf, "}]}\n");
    return e == RP_OK ? RP_OK : rp_fail(eb, e, "export: sarif: %s", rp_strerror(e));
}

static void sarif_release(struct rp_hub_export_state *x)
{
    struct sarif_priv *p = x->priv;
    rp_buf_release(&p->rules);
    rp_buf_release(&p->ids);
    rp_buf_release(&p->tmp);
    rp_free_and_null(p->slots);
}

const struct rp_hub_export_fmt rp_hub_export_sarif = {
    .name = "sarif",
    .summary = "SARIF 2.1.0: one run, one result per finding, rules from GeneratorId",
    .priv_size = sizeof(struct sarif_priv),
    .begin = sarif_begin,
    .finding = sarif_finding,
    .end = sarif_end,
    .release = sarif_release,
};
