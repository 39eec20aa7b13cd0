/* SPDX-License-Identifier: Apache-2.0 */
/* Configuration items into the documents rules read (posture_internal.h, docs/rules-format.md):
 * a CI in AWS's delivery shape, the API shape (get-resource-config-history: configuration as a
 * JSON string, accountId, arn, version) or a config_resources row as JSON, converted once into a
 * value tree and normalized so that every rule sees structures, not JSON held in strings:
 *   - configuration given as a string is parsed;
 *   - API names are copied to the delivery names (accountId -> awsAccountId, arn -> ARN,
 *     version -> configurationItemVersion) when the delivery name is absent;
 *   - every supplementaryConfiguration value that is a string holding a JSON object or array is
 *     parsed, and so is S3's BucketPolicy.policyText;
 *   - IAM policy documents (any policyDocument, assumeRolePolicyDocument or
 *     policyVersionList[].document string under configuration) are percent-decoded when they
 *     are URL-encoded, as Config delivers them, and parsed.
 * A string that does not parse is left as it was: a rule then sees a string and fails its
 * structural clauses, which is the honest answer for a document AWS would not accept either. */
#define RP_LOG_MODULE "posture"
#include <string.h>

#include "core/rp_limits.h"
#include "posture/posture_internal.h"
#include "core/rp_banned.h"

static bool looks_json(const char *s, uint32_t n)
{
    uint32_t i = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) i++;
    return i < n && (s[i] == '{' || s[i] == '[');
}

/* Replace *slot (a string holding JSON) by its parse, when it parses. */
static rp_err parse_in_place(struct rp_arena *a, struct rp_json_parser *jp, struct rp_pv **slot)
{
    struct rp_pv *v = *slot;
    if (!v || v->kind != RP_PV_STRING || !looks_json(v->u.s, v->n)) return RP_OK;
    struct rp_pv *out = NULL;
    struct rp_errbuf eb = {0};
    rp_err e = rp_pv_parse(a, jp, v->u.s, v->n, &out, &eb);
    if (e == RP_ENOMEM) return e;
    if (e == RP_OK) *slot = out;
    return RP_OK;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* A policy document string: percent-decode it when it is URL-encoded (starts with "%7B" or has
 * no '{' but has '%'), then parse. */
static rp_err policy_in_place(struct rp_arena *a, struct rp_json_parser *jp, struct rp_pv **slot)
{
    struct rp_pv *v = *slot;
    if (!v || v->kind != RP_PV_STRING) return RP_OK;
    const char *s = v->u.s;
    uint32_t n = v->n;
    bool encoded = memchr(s, '%', n) != NULL && !looks_json(s, n);
    if (encoded) {
        char *d = rp_arena_alloc(a, (size_t)n + 1);
        if (!d) return RP_ENOMEM;
        uint32_t o = 0;
        for (uint32_t i = 0; i < n; i++) {
            int h1 = -1, h2 = -1;
            if (s[i] == '%' && i + 2 < n) {
                h1 = hexval(s[i + 1]);
                h2 = hexval(s[i + 2]);
            }
            if (h1 >= 0 && h2 >= 0) {
                d[o++] = (char)(h1 * 16 + h2);
                i += 2;
            } else {
                d[o++] = s[i];
            }
        }
        d[o] = '\0';
        struct rp_pv *dv = rp_pv_str(a, d, o);
        if (!dv) return RP_ENOMEM;
        *slot = dv;
    }
    return parse_in_place(a, jp, slot);
}

static bool is_policy_key(const char *k)
{
    return strcmp(k, "policyDocument") == 0 || strcmp(k, "assumeRolePolicyDocument") == 0 ||
           strcmp(k, "PolicyDocument") == 0 || strcmp(k, "AssumeRolePolicyDocument") == 0;
}

/* Walk configuration: decode policy documents wherever they sit (inline policy lists, role
 * documents, policyVersionList[].document). depth bounds the walk. */
static rp_err walk_policies(struct rp_arena *a, struct rp_json_parser *jp, struct rp_pv *v,
                            bool in_versions, unsigned depth)
{
    if (!v || depth > 16) return RP_OK;
    rp_err e = RP_OK;
    if (v->kind == RP_PV_LIST) {
        for (uint32_t i = 0; i < v->n && e == RP_OK; i++)
            e = walk_policies(a, jp, v->u.items[i], in_versions, depth + 1);
        return e;
    }
    if (v->kind != RP_PV_MAP) return RP_OK;
    for (uint32_t i = 0; i < v->n && e == RP_OK; i++) {
        struct rp_pv_member *m = &v->u.members[i];
        if (is_policy_key(m->key) || (in_versions && strcmp(m->key, "document") == 0)) {
            e = policy_in_place(a, jp, &m->val);
        } else if (m->val->kind == RP_PV_LIST || m->val->kind == RP_PV_MAP) {
            e = walk_policies(a, jp, m->val, strcmp(m->key, "policyVersionList") == 0, depth + 1);
        }
    }
    return e;
}

static rp_err alias(struct rp_arena *a, struct rp_pv *doc, const char *from, const char *to)
{
    struct rp_pv *v = rp_pv_get(doc, from);
    if (!v || rp_pv_get(doc, to)) return RP_OK;
    return rp_pv_set(a, doc, to, v);
}

rp_err rp_posture_doc_normalize(struct rp_arena *a, struct rp_json_parser *jp, struct rp_pv *doc,
                                struct rp_errbuf *eb)
{
    if (!doc || doc->kind != RP_PV_MAP)
        return rp_fail(eb, RP_EINVAL, "posture: a configuration item must be a JSON object");
    struct rp_pv *rt = rp_pv_get(doc, "resourceType");
    if (!rt || rt->kind != RP_PV_STRING)
        return rp_fail(eb, RP_EINVAL, "posture: configuration item without 'resourceType'");
    rp_err e = RP_OK;
    if ((e = alias(a, doc, "accountId", "awsAccountId")) != RP_OK ||
        (e = alias(a, doc, "arn", "ARN")) != RP_OK ||
        (e = alias(a, doc, "version", "configurationItemVersion")) != RP_OK)
        return rp_fail(eb, e, "posture: out of memory");
    for (uint32_t i = 0; i < doc->n && e == RP_OK; i++) {
        struct rp_pv_member *m = &doc->u.members[i];
        if (strcmp(m->key, "configuration") == 0) {
            e = parse_in_place(a, jp, &m->val);
            if (e == RP_OK) e = walk_policies(a, jp, m->val, false, 0);
        } else if (strcmp(m->key, "supplementaryConfiguration") == 0 && m->val->kind == RP_PV_MAP) {
            struct rp_pv *sc = m->val;
            for (uint32_t j = 0; j < sc->n && e == RP_OK; j++) {
                e = parse_in_place(a, jp, &sc->u.members[j].val);
                struct rp_pv *bp = sc->u.members[j].val;
                if (e == RP_OK && strcmp(sc->u.members[j].key, "BucketPolicy") == 0 &&
                    bp->kind == RP_PV_MAP)
                    for (uint32_t k = 0; k < bp->n && e == RP_OK; k++)
                        if (strcmp(bp->u.members[k].key, "policyText") == 0)
                            e = parse_in_place(a, jp, &bp->u.members[k].val);
                if (e == RP_OK && strcmp(sc->u.members[j].key, "Policy") == 0)
                    e = policy_in_place(a, jp, &sc->u.members[j].val);
            }
        }
    }
    if (e != RP_OK) return rp_fail(eb, e, "posture: out of memory");
    return RP_OK;
}

rp_err rp_posture_doc_from_ci(struct rp_arena *a, struct rp_json_parser *jp, struct rp_json_val ci,
                              struct rp_pv **out, struct rp_errbuf *eb)
{
    struct rp_pv *doc = NULL;
    rp_err e = rp_pv_from_json(a, ci, &doc);
    if (e == RP_EINVAL) return rp_fail(eb, e, "posture: no configuration item");
    if (e == RP_ELIMIT)
        return rp_fail(eb, e, "posture: configuration item nested deeper than %d",
                       RP_MAX_JSON_DEPTH);
    if (e != RP_OK) return rp_fail(eb, e, "posture: out of memory");
    e = rp_posture_doc_normalize(a, jp, doc, eb);
    if (e != RP_OK) return e;
    *out = doc;
    return RP_OK;
}
