/* SPDX-License-Identifier: Apache-2.0 */
/* Macie's policy findings (dataid.h) from the store's inventory: the current
 * AWS::S3::Bucket configuration items (bucket ACL, bucket policy, bucket and account public
 * access blocks, default encryption, replication), judged as Macie's bucket monitoring
 * judges them:
 *   Policy:IAMUser/S3BucketPublic            the ACL grants AllUsers or AuthenticatedUsers
 *                                            (unless public ACLs are ignored), or the policy
 *                                            allows Principal "*" without a Condition (unless
 *                                            public buckets are restricted)
 *   Policy:IAMUser/S3BucketSharedExternally  the policy allows an account outside the estate
 *                                            (the accounts the store has items of)
 *   Policy:IAMUser/S3BucketReplicatedExternally  a replication rule writes to another account
 *                                            outside the estate
 *   Policy:IAMUser/S3BlockPublicAccessDisabled   no public access block setting is on, for the
 *                                            bucket or its account
 *   Policy:IAMUser/S3BucketEncryptionDisabled    no default encryption
 * One finding per (bucket, type), in bucket order; written as ASFF like the sensitive data
 * findings (ProductName Macie, product rampart/dataid). */
#define RP_LOG_MODULE "dataid"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dataid/dataid.h"
#include "core/rp_buf.h"
#include "core/rp_json.h"
#include "core/rp_time.h"
#include "hub/hub.h"
#include "store/store.h"
#include "core/rp_banned.h"

static const struct {
    const char *type, *title, *sev;
} kinds[] = {
    {"Policy:IAMUser/S3BucketPublic", "The S3 bucket is publicly accessible.", "HIGH"},
    {"Policy:IAMUser/S3BucketSharedExternally",
     "The S3 bucket is shared with an external AWS account.", "HIGH"},
    {"Policy:IAMUser/S3BucketReplicatedExternally",
     "The S3 bucket is replicated to an external AWS account.", "HIGH"},
    {"Policy:IAMUser/S3BlockPublicAccessDisabled",
     "Block public access settings are disabled for the S3 bucket.", "LOW"},
    {"Policy:IAMUser/S3BucketEncryptionDisabled",
     "Default encryption is disabled for the S3 bucket.", "LOW"},
};
enum { K_PUBLIC, K_SHARED, K_REPLICATED, K_BPA, K_ENCRYPTION, NKINDS };

struct estate {
    char **accounts; /* the accounts the store holds items of, sorted */
    size_t naccounts;
};

static bool known_account(const struct estate *es, const char *acct, size_t n)
{
    for (size_t i = 0; i < es->naccounts; i++)
        if (strlen(es->accounts[i]) == n && !memcmp(es->accounts[i], acct, n)) return true;
    return false;
}

/* A JSON value that may be a JSON string holding the object (Config writes both). */
static bool object_of(struct rp_json_parser *jp, struct rp_json_val v, struct rp_json_val *out)
{
    if (rp_json_type(v) == RP_JSON_OBJECT) {
        *out = v;
        return true;
    }
    struct rp_str s;
    return rp_json_get_str(v, &s) == RP_OK && s.len &&
           rp_json_parse(jp, s.p, s.len, out, NULL) == RP_OK &&
           rp_json_type(*out) == RP_JSON_OBJECT;
}

static bool flag(struct rp_json_val o, const char *k)
{
    bool b = false;
    return rp_json_obj_get_bool(o, k, &b) == RP_OK && b;
}

/* Every 12-digit account id in text that is not the owner's nor known to the estate. */
static bool external_account(const struct estate *es, const char *owner, struct rp_str text)
{
    for (size_t i = 0; i + 12 <= text.len; i++) {
        size_t k = 0;
        while (k < 12 && text.p[i + k] >= '0' && text.p[i + k] <= '9') k++;
        bool edge = (i == 0 || text.p[i - 1] < '0' || text.p[i - 1] > '9') &&
                    (i + 12 == text.len || text.p[i + 12] < '0' || text.p[i + 12] > '9');
        if (k == 12 && edge) {
            if (strncmp(text.p + i, owner, 12) && !known_account(es, text.p + i, 12)) return true;
            i += 11;
        }
    }
    return false;
}

/* Statement is Allow with Principal "*" (or {"AWS": "*"}) and no Condition. */
static bool public_statement(struct rp_json_val st)
{
    struct rp_str eff = {0}, s = {0};
    struct rp_json_val pr, aws, cond;
    if (rp_json_obj_get_str(st, "Effect", &eff) || !rp_str_eq_cstr(eff, "Allow")) return false;
    if (rp_json_obj_get(st, "Condition", &cond) == RP_OK) return false;
    if (rp_json_obj_get(st, "Principal", &pr)) return false;
    if (rp_json_get_str(pr, &s) == RP_OK) return rp_str_eq_cstr(s, "*");
    if (rp_json_obj_get(pr, "AWS", &aws)) return false;
    if (rp_json_get_str(aws, &s) == RP_OK) return rp_str_eq_cstr(s, "*");
    struct rp_json_iter it;
    struct rp_json_val el;
    if (rp_json_arr_iter(aws, &it) == RP_OK)
        while (rp_json_arr_next(&it, &el))
            if (rp_json_get_str(el, &s) == RP_OK && rp_str_eq_cstr(s, "*")) return true;
    return false;
}

struct verdict {
    bool hit[NKINDS];
    char why[NKINDS][200];
};

static void judge(struct rp_json_parser *jp, struct rp_json_val sup, const char *owner,
                  const struct estate *es, bool acct_ignore_acls, bool acct_restrict, bool acct_any,
                  struct verdict *v)
{
    memset(v, 0, sizeof(*v));
    struct rp_json_val bpa, x;
    bool has_bpa = rp_json_obj_get(sup, "PublicAccessBlockConfiguration", &bpa) == RP_OK &&
                   object_of(jp, bpa, &bpa);
    bool ignore_acls = acct_ignore_acls || (has_bpa && flag(bpa, "ignorePublicAcls"));
    bool restrict_public = acct_restrict || (has_bpa && flag(bpa, "restrictPublicBuckets"));
    bool any_bpa =
        acct_any ||
        (has_bpa && (flag(bpa, "blockPublicAcls") || flag(bpa, "ignorePublicAcls") ||
                     flag(bpa, "blockPublicPolicy") || flag(bpa, "restrictPublicBuckets")));
    if (!any_bpa) {
        v->hit[K_BPA] = true;
        snprintf(v->why[K_BPA], sizeof v->why[0],
                 "no block public access setting is on for the bucket or its account");
    }
    if (rp_json_obj_get(sup, "ServerSideEncryptionConfiguration", &x) ||
        rp_json_type(x) == RP_JSON_NULL) {
        v->hit[K_ENCRYPTION] = true;
        snprintf(v->why[K_ENCRYPTION], sizeof v->why[0], "no default encryption rule");
    }
    /* the ACL: grants to everyone or to any authenticated AWS user */
    struct rp_json_val acl, grants, g;
    struct rp_json_iter it;
    if (!ignore_acls && rp_json_obj_get(sup, "AccessControlList", &acl) == RP_OK &&
        object_of(jp, acl, &acl) && rp_json_obj_get(acl, "grantList", &grants) == RP_OK &&
        rp_json_arr_iter(grants, &it) == RP_OK)
        while (rp_json_arr_next(&it, &g)) {
            struct rp_str who = {0}, perm = {0};
            if (rp_json_obj_get_str(g, "grantee", &who)) continue;
            if (rp_str_eq_cstr(who, "AllUsers") || rp_str_eq_cstr(who, "AuthenticatedUsers")) {
                if (rp_json_obj_get_str(g, "permission", &perm)) perm = rp_str_from("access");
                v->hit[K_PUBLIC] = true;
                snprintf(v->why[K_PUBLIC], sizeof v->why[0], "the ACL grants %.*s to %.*s",
                         (int)perm.len, perm.p ? perm.p : "", (int)who.len, who.p);
                break;
            }
        }
    /* the policy: a JSON string in Config's files, an object once ingest has expanded it */
    struct rp_json_val pol, ptext, doc, sts, st;
    struct rp_buf pb;
    rp_buf_init(&pb, 1u << 20);
    if (rp_json_obj_get(sup, "BucketPolicy", &pol) == RP_OK &&
        rp_json_obj_get(pol, "policyText", &ptext) == RP_OK && object_of(jp, ptext, &doc) &&
        rp_json_serialize(doc, &pb) == RP_OK) {
        if (external_account(es, owner, (struct rp_str){pb.data, pb.len})) {
            v->hit[K_SHARED] = true;
            snprintf(v->why[K_SHARED], sizeof v->why[0],
                     "the bucket policy grants access to an account outside the estate");
        }
        if (!restrict_public && rp_json_obj_get(doc, "Statement", &sts) == RP_OK) {
            if (rp_json_type(sts) == RP_JSON_OBJECT && public_statement(sts))
                v->hit[K_PUBLIC] = true;
            else if (rp_json_arr_iter(sts, &it) == RP_OK)
                while (rp_json_arr_next(&it, &st))
                    if (public_statement(st)) v->hit[K_PUBLIC] = true;
            if (v->hit[K_PUBLIC] && !v->why[K_PUBLIC][0])
                snprintf(v->why[K_PUBLIC], sizeof v->why[0],
                         "the bucket policy allows Principal \"*\" without a condition");
        }
    }
    rp_buf_release(&pb);
    /* replication to another account */
    struct rp_json_val rep;
    struct rp_buf rb;
    rp_buf_init(&rb, 1u << 20);
    if (rp_json_obj_get(sup, "BucketReplicationConfiguration", &rep) == RP_OK &&
        rp_json_serialize(rep, &rb) == RP_OK &&
        external_account(es, owner, (struct rp_str){rb.data, rb.len})) {
        v->hit[K_REPLICATED] = true;
        snprintf(v->why[K_REPLICATED], sizeof v->why[0],
                 "a replication rule writes to an account outside the estate");
    }
    rp_buf_release(&rb);
}

static rp_err load_accounts(struct rp_store *st, struct estate *es, struct rp_errbuf *eb)
{
    struct rp_store_stmt *q = NULL;
    rp_err e = rp_store_stmt_prepare(
        st, "SELECT DISTINCT rp_account FROM config_resources ORDER BY rp_account", &q, eb);
    bool row = false;
    size_t cap = 0;
    while (!e && !(e = rp_store_stmt_step(q, &row, eb)) && row) {
        const char *a = rp_store_stmt_column_text(q, 0, NULL);
        if (!a) continue;
        if (es->naccounts == cap) {
            cap = cap ? 2 * cap : 16;
            char **n = realloc(es->accounts, cap * sizeof(*n));
            if (!n) return rp_fail(eb, RP_ENOMEM, "dataid: out of memory");
            es->accounts = n;
        }
        if (!(es->accounts[es->naccounts++] = strdup(a)))
            return rp_fail(eb, RP_ENOMEM, "dataid: out of memory");
    }
    if (q) rp_store_stmt_reset(q);
    return e;
}

/* Account-level public access block: account -> its four flags. */
struct acct_bpa {
    char account[16];
    bool ignore_acls, restrict_public, any;
};

rp_err rp_dataid_policy_findings(struct rp_store *st, int64_t now_ms, rp_dataid_doc_fn fn,
                                 void *ctx, size_t *n, struct rp_errbuf *eb)
{
    if (n) *n = 0;
    struct estate es = {0};
    struct acct_bpa *ab = NULL;
    size_t nab = 0;
    struct rp_json_parser *jp = rp_json_parser_new(), *jp2 = rp_json_parser_new();
    rp_err e = jp && jp2 ? load_accounts(st, &es, eb) : rp_fail(eb, RP_ENOMEM, "out of memory");
    struct rp_store_stmt *q = NULL;
    bool row = false;
    /* the account-level settings first */
    if (!e)
        e = rp_store_stmt_prepare(st,
                                  "SELECT rp_account, configuration FROM config_resources WHERE "
                                  "resourceType = 'AWS::S3::AccountPublicAccessBlock'",
                                  &q, eb);
    while (!e && !(e = rp_store_stmt_step(q, &row, eb)) && row) {
        size_t len = 0;
        const char *a = rp_store_stmt_column_text(q, 0, NULL);
        const char *cfg = rp_store_stmt_column_text(q, 1, &len);
        struct rp_json_val c;
        if (!a || !cfg || rp_json_parse(jp, cfg, len, &c, NULL)) continue;
        struct acct_bpa *nb = realloc(ab, (nab + 1) * sizeof(*nb));
        if (!nb) {
            e = rp_fail(eb, RP_ENOMEM, "dataid: out of memory");
            break;
        }
        ab = nb;
        memset(&ab[nab], 0, sizeof(ab[0]));
        rp_strlcpy(ab[nab].account, a, sizeof ab[0].account);
        ab[nab].ignore_acls = flag(c, "ignorePublicAcls");
        ab[nab].restrict_public = flag(c, "restrictPublicBuckets");
        ab[nab].any = flag(c, "blockPublicAcls") || ab[nab].ignore_acls ||
                      flag(c, "blockPublicPolicy") || ab[nab].restrict_public;
        nab++;
    }
    if (q) rp_store_stmt_reset(q);
    if (!e)
        e = rp_store_stmt_prepare(
            st,
            "SELECT resourceId, rp_account, rp_region, supplementaryConfiguration FROM "
            "config_resources WHERE resourceType = 'AWS::S3::Bucket' AND configurationItemStatus "
            "NOT IN ('ResourceDeleted', 'ResourceDeletedNotRecorded') ORDER BY resourceId",
            &q, eb);
    struct rp_buf out;
    rp_buf_init(&out, 1u << 20);
    while (!e && !(e = rp_store_stmt_step(q, &row, eb)) && row) {
        size_t len = 0;
        const char *name = rp_store_stmt_column_text(q, 0, NULL);
        char acct[16] = "", region[32] = "";
        const char *t = rp_store_stmt_column_text(q, 1, NULL);
        if (t) rp_strlcpy(acct, t, sizeof acct);
        t = rp_store_stmt_column_text(q, 2, NULL);
        if (t) rp_strlcpy(region, t, sizeof region);
        const char *sup = rp_store_stmt_column_text(q, 3, &len);
        struct rp_json_val s;
        if (!name || !sup || rp_json_parse(jp, sup, len, &s, NULL) ||
            rp_json_type(s) != RP_JSON_OBJECT)
            continue;
        const struct acct_bpa *a = NULL;
        for (size_t i = 0; i < nab && !a; i++)
            if (!strcmp(ab[i].account, acct)) a = &ab[i];
        struct verdict v;
        judge(jp2, s, acct, &es, a && a->ignore_acls, a && a->restrict_public, a && a->any, &v);
        char bname[256];
        rp_strlcpy(bname, name, sizeof bname);
        for (int k = 0; k < NKINDS && !e; k++) {
            if (!v.hit[k]) continue;
            char id[RP_HUB_ID_MAX], arn[300];
            snprintf(arn, sizeof arn, "arn:aws:s3:::%s", bname);
            if (rp_hub_finding_id("dataid", kinds[k].type, arn, "", id)) {
                e = rp_fail(eb, RP_ENOMEM, "dataid: out of memory");
                break;
            }
            rp_buf_reset(&out);
            struct rp_json_writer w;
            rp_json_writer_init(&w, &out);
            rp_json_write_obj_begin(&w);
            /* Security Hub writes the type's '/' as '-': ".../Policy:IAMUser-S3BucketPublic" */
            static const char prefix[] =
                "Software and Configuration Checks/AWS Security Best Practices/";
            char asff_type[160];
            snprintf(asff_type, sizeof asff_type, "%s%s", prefix, kinds[k].type);
            for (char *p = strchr(asff_type + sizeof prefix - 1, '/'); p; p = strchr(p, '/'))
                *p = '-';
            struct rp_hub_head head = {.id = id,
                                       .producer = "dataid",
                                       .product_name = "Macie",
                                       .generator_id = "aws/macie",
                                       .type = asff_type,
                                       .account = acct,
                                       .region = region,
                                       .now_ms = now_ms ? now_ms : rp_time_now_ms(),
                                       .severity = kinds[k].sev,
                                       .severity_original =
                                           kinds[k].sev[0] == 'H' ? "High" : "Low"};
            e = rp_hub_head_write(&w, &head, eb);
            if (e) break;
            rp_json_write_kv_cstr(&w, "Title", kinds[k].title);
            char desc[512];
            snprintf(desc, sizeof desc, "The S3 bucket %.255s: %.200s.", bname, v.why[k]);
            rp_json_write_kv_cstr(&w, "Description", desc);
            rp_json_write_key(&w, "ProductFields", 13);
            rp_json_write_obj_begin(&w);
            rp_json_write_kv_cstr(&w, "aws/macie/type", kinds[k].type);
            rp_json_write_kv_cstr(&w, "aws/macie/category", "POLICY");
            rp_json_write_obj_end(&w);
            rp_json_write_key(&w, "Resources", 9);
            rp_json_write_arr_begin(&w);
            rp_json_write_obj_begin(&w);
            rp_json_write_kv_cstr(&w, "Type", "AwsS3Bucket");
            rp_json_write_kv_cstr(&w, "Id", arn);
            rp_json_write_kv_cstr(&w, "Partition", "aws");
            rp_json_write_kv_cstr(&w, "Region", region);
            rp_json_write_obj_end(&w);
            rp_json_write_arr_end(&w);
            rp_json_write_kv_cstr(&w, "RecordState", "ACTIVE");
            rp_json_write_key(&w, "Workflow", 8);
            rp_json_write_obj_begin(&w);
            rp_json_write_kv_cstr(&w, "Status", "NEW");
            rp_json_write_obj_end(&w);
            rp_json_write_obj_end(&w);
            if ((e = rp_json_writer_finish(&w))) {
                e = rp_fail(eb, e, "dataid: cannot write the finding of '%s'", bname);
                break;
            }
            e = fn(ctx, kinds[k].type, arn, out.data, out.len, eb);
            if (!e && n) (*n)++;
        }
    }
    if (q) rp_store_stmt_reset(q);
    rp_buf_release(&out);
    for (size_t i = 0; i < es.naccounts; i++) free(es.accounts[i]);
    free(es.accounts);
    free(ab);
    rp_json_parser_free(jp);
    rp_json_parser_free(jp2);
    return e;
}
