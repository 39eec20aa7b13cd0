/* SPDX-License-Identifier: Apache-2.0 */
/* Account documents and credential-report rows for a run (posture_run.h, docs/rules-format.md):
 * what AWS Config's account-level rules read through IAM and EC2 APIs, taken from the estate
 * tables that `rampart ingest` fills from get-account-summary, get-account-password-policy,
 * the credential report and describe-snapshots (data/schemas/store/0017_estate.sql). The
 * newest file at or before the evaluation time counts. A key is left out when no file supplied
 * it, so a rule that requires it answers INSUFFICIENT_DATA. */
#define RP_LOG_MODULE "posture"
#include <string.h>

#include "core/rp_time.h"
#include "posture/posture_run.h"
#include "core/rp_banned.h"

/* Newest estate document of kind for (account, region) at or before at_ms, parsed, or *out
 * NULL when there is none. *t gets its time. */
static rp_err estate_doc(struct rp_store *st, struct rp_posture_docs *d, const char *kind,
                         const char *acct, const char *region, int64_t at_ms, struct rp_pv **out,
                         int64_t *t, struct rp_errbuf *eb)
{
    *out = NULL;
    struct rp_store_stmt *s = NULL;
    rp_err e = rp_store_stmt_prepare(st,
                                     "SELECT document, rp_time_ms FROM estate_documents WHERE "
                                     "kind = ?1 AND rp_account = ?2 AND rp_region = ?3 AND "
                                     "rp_time_ms <= ?4 ORDER BY rp_time_ms DESC LIMIT 1",
                                     &s, eb);
    if (e == RP_OK) e = rp_store_stmt_bind_cstr(s, 1, kind, eb);
    if (e == RP_OK) e = rp_store_stmt_bind_cstr(s, 2, acct, eb);
    if (e == RP_OK) e = rp_store_stmt_bind_cstr(s, 3, region, eb);
    if (e == RP_OK) e = rp_store_stmt_bind_int64(s, 4, at_ms, eb);
    bool row = false;
    if (e == RP_OK) e = rp_store_stmt_step(s, &row, eb);
    if (e == RP_OK && row) {
        size_t n = 0;
        const char *doc = rp_store_stmt_column_text(s, 0, &n);
        struct rp_errbuf peb = {0};
        if (doc && rp_pv_parse(&d->arena, d->jp, doc, n, out, &peb) != RP_OK) *out = NULL;
        int64_t tt = rp_store_stmt_column_int64(s, 1);
        if (*out && tt > *t) *t = tt;
    }
    if (s) rp_store_stmt_reset(s);
    return e;
}

/* The credential report of acct (rows at the newest report time <= at_ms), or NULL. */
static rp_err cred_report(struct rp_store *st, struct rp_arena *a, struct rp_json_parser *jp,
                          const char *acct, int64_t at_ms, struct rp_pv **out, int64_t *t,
                          struct rp_errbuf *eb)
{
    *out = NULL;
    struct rp_store_stmt *s = NULL;
    rp_err e = rp_store_stmt_prepare(
        st,
        "SELECT row, rp_time_ms FROM iam_credential_report WHERE rp_account = ?1 AND "
        "rp_time_ms = (SELECT max(rp_time_ms) FROM iam_credential_report WHERE rp_account = ?1 "
        "AND rp_time_ms <= ?2) ORDER BY rowid",
        &s, eb);
    if (e == RP_OK) e = rp_store_stmt_bind_cstr(s, 1, acct, eb);
    if (e == RP_OK) e = rp_store_stmt_bind_int64(s, 2, at_ms, eb);
    bool row = false;
    while (e == RP_OK && (e = rp_store_stmt_step(s, &row, eb)) == RP_OK && row) {
        if (!*out && !(*out = rp_pv_list(a)))
            return rp_fail(eb, RP_ENOMEM, "posture: out of memory");
        size_t n = 0;
        const char *txt = rp_store_stmt_column_text(s, 0, &n);
        struct rp_pv *r = NULL;
        struct rp_errbuf peb = {0};
        if (txt && rp_pv_parse(a, jp, txt, n, &r, &peb) == RP_OK && rp_pv_push(a, *out, r) != RP_OK)
            return rp_fail(eb, RP_ENOMEM, "posture: out of memory");
        int64_t tt = rp_store_stmt_column_int64(s, 1);
        if (tt > *t) *t = tt;
    }
    if (s) rp_store_stmt_reset(s);
    return e;
}

struct acct_region {
    char acct[32];
    char region[32];
};

static const char *sget(const struct rp_pv *doc, const char *k)
{
    const struct rp_pv *v = rp_pv_get(doc, k);
    return v && v->kind == RP_PV_STRING ? v->u.s : "";
}

rp_err rp_posture_estate_user(struct rp_store *st, struct rp_arena *a, struct rp_json_parser *jp,
                              struct rp_pv *doc, int64_t at_ms, struct rp_errbuf *eb)
{
    if (strcmp(sget(doc, "resourceType"), "AWS::IAM::User") != 0) return RP_OK;
    int64_t t = 0;
    struct rp_pv *rep = NULL;
    rp_err e = cred_report(st, a, jp, sget(doc, "awsAccountId"), at_ms, &rep, &t, eb);
    if (e != RP_OK || !rep) return e;
    const char *user = sget(doc, "resourceName");
    for (uint32_t k = 0; k < rep->n; k++)
        if (strcmp(sget(rep->u.items[k], "user"), user) == 0) {
            struct rp_pv *sc = rp_pv_get(doc, "supplementaryConfiguration");
            if (!sc || sc->kind != RP_PV_MAP) {
                sc = rp_pv_map(a);
                if (!sc || rp_pv_set(a, doc, "supplementaryConfiguration", sc) != RP_OK)
                    return rp_fail(eb, RP_ENOMEM, "posture: out of memory");
            }
            if (rp_pv_set(a, sc, "CredentialReport", rep->u.items[k]) != RP_OK)
                return rp_fail(eb, RP_ENOMEM, "posture: out of memory");
            break;
        }
    return RP_OK;
}

rp_err rp_posture_estate_attach(struct rp_store *st, struct rp_posture_docs *d, int64_t at_ms,
                                struct rp_errbuf *eb)
{
    struct rp_arena *a = &d->arena;
    /* the (account, region) pairs: from the inventory, then the estate's own */
    struct rp_store_stmt *s = NULL;
    rp_err e = rp_store_stmt_prepare(
        st,
        "SELECT DISTINCT rp_account, rp_region FROM config_resources WHERE rp_account <> '' AND "
        "rp_region NOT IN ('', 'global') UNION SELECT DISTINCT rp_account, rp_region FROM "
        "estate_documents WHERE rp_region <> '' UNION SELECT DISTINCT rp_account, '' FROM "
        "estate_documents WHERE rp_account NOT IN (SELECT rp_account FROM config_resources "
        "WHERE rp_region NOT IN ('', 'global')) AND rp_account NOT IN (SELECT rp_account FROM "
        "estate_documents WHERE rp_region <> '') ORDER BY 1, 2",
        &s, eb);
    struct acct_region *pairs = NULL;
    size_t np = 0, cap = 0;
    bool row = false;
    while (e == RP_OK && (e = rp_store_stmt_step(s, &row, eb)) == RP_OK && row) {
        if (np == cap) {
            cap = cap ? cap * 2 : 16;
            struct acct_region *p = rp_arena_alloc(a, cap * sizeof(*p));
            if (!p) return rp_fail(eb, RP_ENOMEM, "posture: out of memory");
            if (np) memcpy(p, pairs, np * sizeof(*p));
            pairs = p;
        }
        const char *ac = rp_store_stmt_column_text(s, 0, NULL);
        const char *rg = rp_store_stmt_column_text(s, 1, NULL);
        rp_strlcpy(pairs[np].acct, ac ? ac : "", sizeof(pairs[np].acct));
        rp_strlcpy(pairs[np].region, rg ? rg : "", sizeof(pairs[np].region));
        np++;
    }
    if (e != RP_OK) return e;
    /* credential-report rows onto IAM users */
    size_t nres = d->n;
    for (size_t i = 0; i < nres && e == RP_OK; i++)
        e = rp_posture_estate_user(st, a, d->jp, d->v[i].doc, at_ms, eb);
    /* account documents */
    for (size_t i = 0; i < np && e == RP_OK; i++) {
        const char *acct = pairs[i].acct, *region = pairs[i].region;
        struct rp_pv *doc = rp_pv_map(a), *conf = rp_pv_map(a);
        if (!doc || !conf) return rp_fail(eb, RP_ENOMEM, "posture: out of memory");
        int64_t t = 0;
        struct rp_pv *v = NULL;
        char arn[96];
        snprintf(arn, sizeof(arn), "arn:aws::::account/%s", acct);
        if (rp_pv_set(a, doc, "configurationItemVersion", rp_pv_cstr(a, "1.3")) != RP_OK ||
            rp_pv_set(a, doc, "resourceType", rp_pv_cstr(a, "AWS::::Account")) != RP_OK ||
            rp_pv_set(a, doc, "resourceId", rp_pv_cstr(a, acct)) != RP_OK ||
            rp_pv_set(a, doc, "ARN", rp_pv_cstr(a, arn)) != RP_OK ||
            rp_pv_set(a, doc, "awsAccountId", rp_pv_cstr(a, acct)) != RP_OK ||
            rp_pv_set(a, doc, "awsRegion", rp_pv_cstr(a, region)) != RP_OK ||
            rp_pv_set(a, doc, "configurationItemStatus", rp_pv_cstr(a, "OK")) != RP_OK ||
            rp_pv_set(a, doc, "configuration", conf) != RP_OK)
            return rp_fail(eb, RP_ENOMEM, "posture: out of memory");
        static const struct {
            const char *kind, *key;
            bool regional;
        } kinds[] = {{"iam-account-summary", "AccountSummary", false},
                     {"iam-password-policy", "PasswordPolicy", false},
                     {"ec2-snapshots", "Snapshots", true},
                     {"ec2-ebs-encryption-by-default", "EbsEncryptionByDefault", true},
                     {"iam-virtual-mfa-devices", "VirtualMFADevices", false}};
        for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]) && e == RP_OK; k++) {
            e = estate_doc(st, d, kinds[k].kind, acct, kinds[k].regional ? region : "", at_ms, &v,
                           &t, eb);
            if (e == RP_OK && v && rp_pv_set(a, conf, kinds[k].key, v) != RP_OK)
                e = rp_fail(eb, RP_ENOMEM, "posture: out of memory");
        }
        if (e == RP_OK) e = cred_report(st, a, d->jp, acct, at_ms, &v, &t, eb);
        if (e == RP_OK && v && rp_pv_set(a, conf, "CredentialReport", v) != RP_OK)
            e = rp_fail(eb, RP_ENOMEM, "posture: out of memory");
        if (e == RP_OK) {
            char when[32] = "";
            if (t && rp_time_format_iso(t, when, sizeof(when)) == RP_OK &&
                rp_pv_set(a, doc, "configurationItemCaptureTime", rp_pv_cstr(a, when)) != RP_OK)
                return rp_fail(eb, RP_ENOMEM, "posture: out of memory");
            if (rp_posture_docs_push(d, doc, t ? t : at_ms) != RP_OK)
                return rp_fail(eb, RP_ENOMEM, "posture: out of memory");
            d->naccounts++;
        }
    }
    return e;
}
