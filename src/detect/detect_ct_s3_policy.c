/* SPDX-License-Identifier: Apache-2.0 */
/* GuardDuty's S3 control-plane policy types (aws-facts §4.5, §4.10), from successful S3
 * management calls and their requestParameters:
 *   - Policy:S3/AccountBlockPublicAccessDisabled: PutAccountPublicAccessBlock (s3control's
 *     PutPublicAccessBlock without a bucket) leaving one of the four settings off, or
 *     DeleteAccountPublicAccessBlock; about the caller's access key (no bucket), one finding
 *     per account;
 *   - Policy:S3/BucketBlockPublicAccessDisabled: PutBucketPublicAccessBlock leaving one of the
 *     four settings off, or DeleteBucketPublicAccessBlock;
 *   - Policy:S3/BucketAnonymousAccessGranted: PutBucketAcl (or CreateBucket) granting the
 *     AllUsers group (canned public-read / public-read-write, a grant header or an
 *     AccessControlPolicy naming the group), or PutBucketPolicy with an Allow statement for
 *     Principal "*" / {"AWS":"*"} whose conditions do not restrict who calls (no key among
 *     restricting_keys below: source address, VPC, account, organisation, principal);
 *   - Policy:S3/BucketPublicAccessGranted: an ACL granting the AuthenticatedUsers group
 *     (canned authenticated-read or a grant naming the group): every AWS account's users;
 *   - Stealth:S3/ServerAccessLoggingDisabled: PutBucketLogging with a BucketLoggingStatus
 *     that holds no LoggingEnabled.
 * A grant only counts when Block Public Access lets it take effect, as GuardDuty's automated
 * reasoning does: public ACLs are void under IgnorePublicAcls (or BlockPublicAcls), public
 * policies under RestrictPublicBuckets (or BlockPublicPolicy), at the account or the bucket
 * level. The settings are those the run last saw set by CloudTrail calls, else, for the
 * account level, AWS Config's current AWS::S3::AccountPublicAccessBlock item in the store;
 * unknown settings do not block. Failed calls change nothing and raise nothing; trusted wins.
 * State: RP_CT_S3P_ENTRIES accounts, as many buckets and as many Config accounts (least
 * recently used forgotten), about 150 bytes each; only Block Public Access calls and Config's
 * account items fill them. */
#define RP_LOG_MODULE "detect"
#include <stdlib.h>
#include <string.h>

#include "detect/detect_ct_common.h"
#include "store/store.h"
#include "core/rp_banned.h"

#define RP_CT_S3P_ENTRIES 65536 /* accounts, and buckets, whose settings are remembered */

enum { T_ACCOUNT_BPA, T_ANONYMOUS, T_BUCKET_BPA, T_PUBLIC, T_LOGGING };

static const struct rp_det_type types[] = {
    [T_ACCOUNT_BPA] = {"Policy:S3/AccountBlockPublicAccessDisabled", 2.0,
                       "S3 Block Public Access was disabled for the account by %s",
                       "The account-level S3 Block Public Access settings were turned off, so "
                       "bucket policies and ACLs can make buckets public again."},
    [T_ANONYMOUS] = {"Policy:S3/BucketAnonymousAccessGranted", 8.0,
                     "Anonymous access granted to S3 bucket %s",
                     "A bucket policy or ACL change lets anyone on the internet, without AWS "
                     "credentials, access the bucket."},
    [T_BUCKET_BPA] = {"Policy:S3/BucketBlockPublicAccessDisabled", 2.0,
                      "S3 Block Public Access was disabled for bucket %s",
                      "The bucket's S3 Block Public Access settings were turned off, so its "
                      "policy and ACLs can make it public."},
    [T_PUBLIC] = {"Policy:S3/BucketPublicAccessGranted", 8.0,
                  "Public access granted to S3 bucket %s",
                  "An ACL change lets every authenticated AWS user, of any account, access the "
                  "bucket."},
    [T_LOGGING] = {"Stealth:S3/ServerAccessLoggingDisabled", 2.0,
                   "S3 server access logging was disabled for bucket %s",
                   "Server access logging of the bucket was turned off; requests to it are no "
                   "longer recorded there. Attackers do this before touching the data."},
};

/* Block Public Access settings, in this order everywhere. */
enum { BPA_BLOCK_ACLS, BPA_IGNORE_ACLS, BPA_BLOCK_POLICY, BPA_RESTRICT, BPA__COUNT };
static const char *const bpa_api[BPA__COUNT] = {"BlockPublicAcls", "IgnorePublicAcls",
                                                "BlockPublicPolicy", "RestrictPublicBuckets"};
static const char *const bpa_cfg[BPA__COUNT] = {"blockPublicAcls", "ignorePublicAcls",
                                                "blockPublicPolicy", "restrictPublicBuckets"};

struct bpa {
    bool on[BPA__COUNT];
};

/* Condition keys that restrict who may use a statement, so that Principal "*" is not the
 * whole internet (S3's definition of a public policy: fixed values of these keys). */
static const char *const restricting_keys[] = {"aws:sourceip",
                                               "aws:sourcevpc",
                                               "aws:sourcevpce",
                                               "aws:sourceaccount",
                                               "aws:sourcearn",
                                               "aws:sourceowner",
                                               "aws:principalorgid",
                                               "aws:principalorgpaths",
                                               "aws:principalaccount",
                                               "aws:principalarn",
                                               "aws:principalservicename",
                                               "aws:userid",
                                               "aws:username",
                                               "aws:sourceorgid",
                                               "aws:sourceorgpaths",
                                               "s3:dataaccesspointaccount",
                                               "s3:dataaccesspointarn",
                                               "aws:vpcsourceip"};

static const char all_users[] = "groups/global/AllUsers";
static const char all_users_esc[] = "groups\\/global\\/AllUsers";
static const char auth_users[] = "groups/global/AuthenticatedUsers";
static const char auth_users_esc[] = "groups\\/global\\/AuthenticatedUsers";

struct st {
    struct rp_det_ct_work w;
    struct rp_json_parser *pol;     /* a bucket policy given as a string */
    struct rp_det_ct_map *accounts; /* account -> struct bpa seen in this run */
    struct rp_det_ct_map *buckets;  /* bucket -> struct bpa seen in this run */
    struct rp_det_ct_map *config;   /* account -> struct bpa from AWS Config */
    bool config_loaded;
};

static void release(void *state)
{
    struct st *s = state;
    if (!s) return;
    rp_det_ct_work_release(&s->w);
    rp_json_parser_free(s->pol);
    rp_det_ct_map_free(s->accounts);
    rp_det_ct_map_free(s->buckets);
    rp_det_ct_map_free(s->config);
    free(s);
}

static rp_err init(struct rp_det_ctx *dc, void **state, struct rp_errbuf *eb)
{
    (void)dc;
    struct st *s = calloc(1, sizeof(*s));
    if (!s) return rp_fail(eb, RP_ENOMEM, "detect: out of memory");
    *state = s;
    rp_err e = rp_det_ct_work_init(&s->w, eb);
    if (e) return e;
    s->pol = rp_json_parser_new();
    if (!s->pol || rp_det_ct_map_new(RP_CT_S3P_ENTRIES, sizeof(struct bpa), &s->accounts) ||
        rp_det_ct_map_new(RP_CT_S3P_ENTRIES, sizeof(struct bpa), &s->buckets) ||
        rp_det_ct_map_new(RP_CT_S3P_ENTRIES, sizeof(struct bpa), &s->config))
        return rp_fail(eb, RP_ENOMEM, "detect: out of memory");
    return RP_OK;
}

/* Settings of obj under either spelling; *all_on tells whether all four are on. */
static struct bpa bpa_read(struct rp_json_val obj, const char *const *names, bool *all_on)
{
    struct bpa b;
    memset(&b, 0, sizeof(b));
    *all_on = true;
    for (int i = 0; i < BPA__COUNT; i++) {
        bool found = false;
        b.on[i] = rp_det_ct_json_bool(obj, names[i], &found);
        if (!b.on[i]) *all_on = false;
    }
    return b;
}

/* AWS Config's account-level settings, read once from the store (nothing without one). */
static rp_err config_load(struct rp_det_ctx *dc, struct st *s, struct rp_errbuf *eb)
{
    s->config_loaded = true;
    struct rp_store *st = rp_det_store(dc);
    if (!st) return RP_OK;
    struct rp_store_stmt *q = NULL;
    if (rp_store_stmt_prepare(st,
                              "SELECT rp_account, configuration FROM config_resources WHERE "
                              "resourceType = 'AWS::S3::AccountPublicAccessBlock' AND "
                              "configuration IS NOT NULL",
                              &q, NULL) != RP_OK)
        return RP_OK; /* a store without Config tables */
    bool row = false;
    rp_err e = RP_OK;
    while (!(e = rp_store_stmt_step(q, &row, eb)) && row) {
        size_t alen = 0, clen = 0;
        const char *acct = rp_store_stmt_column_text(q, 0, &alen);
        const char *cfg = rp_store_stmt_column_text(q, 1, &clen);
        struct rp_json_val root;
        if (!acct || !cfg || rp_json_parse(s->pol, cfg, clen, &root, NULL) != RP_OK) continue;
        bool all = false;
        struct bpa b = bpa_read(root, bpa_cfg, &all);
        struct bpa *slot = rp_det_ct_map_put(s->config, (struct rp_str){acct, alen}, NULL);
        if (!slot) {
            e = RP_ENOMEM;
            break;
        }
        *slot = b;
    }
    rp_store_stmt_reset(q);
    if (e) return rp_fail(eb, e, "detect: cannot read S3 Block Public Access settings");
    return RP_OK;
}

/* True when the settings known for account/bucket void a public ACL (acl) or policy. */
static rp_err blocked(struct rp_det_ctx *dc, struct st *s, const char *account,
                      struct rp_str bucket, bool acl, bool *out, struct rp_errbuf *eb)
{
    *out = false;
    int a = acl ? BPA_BLOCK_ACLS : BPA_BLOCK_POLICY, b = acl ? BPA_IGNORE_ACLS : BPA_RESTRICT;
    const struct bpa *x = rp_det_ct_map_get(s->buckets, bucket);
    if (x && (x->on[a] || x->on[b])) {
        *out = true;
        return RP_OK;
    }
    struct rp_str acct = rp_str_from(account);
    x = rp_det_ct_map_get(s->accounts, acct);
    if (!x) {
        if (!s->config_loaded) {
            rp_err e = config_load(dc, s, eb);
            if (e) return e;
        }
        x = rp_det_ct_map_get(s->config, acct);
    }
    *out = x && (x->on[a] || x->on[b]);
    return RP_OK;
}

/* x-amz-acl as a string or an array of strings: does it hold want? */
static bool canned_is(struct rp_json_val req, const char *want)
{
    struct rp_json_val v, el;
    struct rp_str s = {NULL, 0};
    struct rp_json_iter it;
    if (rp_json_obj_get(req, "x-amz-acl", &v) != RP_OK) return false;
    if (rp_json_get_str(v, &s) == RP_OK) return rp_str_eq_cstr(s, want);
    if (rp_json_arr_iter(v, &it) != RP_OK) return false;
    while (rp_json_arr_next(&it, &el))
        if (rp_json_get_str(el, &s) == RP_OK && rp_str_eq_cstr(s, want)) return true;
    return false;
}

static bool contains(struct rp_str hay, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= hay.len; i++)
        if (memcmp(hay.p + i, needle, n) == 0) return true;
    return false;
}

/* True when principal p names everyone: "*", {"AWS":"*"} or {"AWS":[.., "*", ..]}. */
static bool principal_everyone(struct rp_json_val p)
{
    struct rp_str s = {NULL, 0};
    struct rp_json_val aws, el;
    struct rp_json_iter it;
    if (rp_json_get_str(p, &s) == RP_OK) return rp_str_eq_cstr(s, "*");
    if (rp_json_obj_get(p, "AWS", &aws) != RP_OK) return false;
    if (rp_json_get_str(aws, &s) == RP_OK) return rp_str_eq_cstr(s, "*");
    if (rp_json_arr_iter(aws, &it) != RP_OK) return false;
    while (rp_json_arr_next(&it, &el))
        if (rp_json_get_str(el, &s) == RP_OK && rp_str_eq_cstr(s, "*")) return true;
    return false;
}

/* True when a condition block restricts the caller: one of its keys is a restricting one. */
static bool condition_restricts(struct rp_json_val cond)
{
    struct rp_json_iter ops, keys;
    struct rp_str op, key;
    struct rp_json_val body, val;
    if (rp_json_obj_iter(cond, &ops) != RP_OK) return false;
    while (rp_json_obj_next(&ops, &op, &body)) {
        if (rp_json_obj_iter(body, &keys) != RP_OK) continue;
        while (rp_json_obj_next(&keys, &key, &val))
            for (size_t i = 0; i < RP_ARRAY_LEN(restricting_keys); i++)
                if (rp_str_eq_nocase(key, rp_str_from(restricting_keys[i]))) return true;
    }
    return false;
}

static bool statement_public(struct rp_json_val st)
{
    struct rp_str eff = {NULL, 0};
    struct rp_json_val p, cond;
    if (rp_json_obj_get_str(st, "Effect", &eff) != RP_OK || !rp_str_eq_cstr(eff, "Allow"))
        return false;
    if (rp_json_obj_get(st, "Principal", &p) != RP_OK || !principal_everyone(p)) return false;
    if (rp_json_obj_get(st, "Condition", &cond) == RP_OK && condition_restricts(cond)) return false;
    return true;
}

/* True when the PutBucketPolicy parameters hold a public Allow statement. */
static bool policy_public(struct st *s, struct rp_json_val req)
{
    struct rp_json_val pol, stmts, el;
    struct rp_str text = {NULL, 0};
    struct rp_json_iter it;
    if (rp_json_obj_get(req, "bucketPolicy", &pol) != RP_OK &&
        rp_json_obj_get(req, "policy", &pol) != RP_OK)
        return false;
    if (rp_json_get_str(pol, &text) == RP_OK &&
        (!text.len || rp_json_parse(s->pol, text.p, text.len, &pol, NULL) != RP_OK))
        return false;
    if (rp_json_obj_get(pol, "Statement", &stmts) != RP_OK) return false;
    if (rp_json_type(stmts) == RP_JSON_OBJECT) return statement_public(stmts);
    if (rp_json_arr_iter(stmts, &it) != RP_OK) return false;
    while (rp_json_arr_next(&it, &el))
        if (statement_public(el)) return true;
    return false;
}

/* Emit type t about the bucket (or, for T_ACCOUNT_BPA, the caller's key). */
static rp_err emit(struct rp_det_ctx *dc, struct st *s, const struct rp_det_event *ev, int t,
                   struct rp_str bucket, struct rp_errbuf *eb)
{
    struct rp_det_finding f;
    rp_err e = t == T_ACCOUNT_BPA ? rp_det_ct_finding(&s->w, ev, types[t].type, &f)
                                  : rp_det_ct_finding_s3(&s->w, ev, types[t].type, bucket, &f);
    if (e == RP_ENOENT) return RP_OK;
    if (e) return rp_fail(eb, e, "detect: out of memory");
    if (t == T_ACCOUNT_BPA) f.evidence_key = f.account;
    return rp_det_emit(dc, &f, eb);
}

/* Remember a Put/Delete of Block Public Access settings (all off for a delete). */
static rp_err note_bpa(struct rp_det_ct_map *m, struct rp_str key, const struct bpa *b,
                       struct rp_errbuf *eb)
{
    if (!key.p) return RP_OK;
    struct bpa *slot = rp_det_ct_map_put(m, key, NULL);
    if (!slot) return rp_fail(eb, RP_ENOMEM, "detect: out of memory");
    *slot = *b;
    return RP_OK;
}

static rp_err on_bpa(struct rp_det_ctx *dc, struct st *s, const struct rp_det_event *ev, bool del,
                     bool account, struct rp_str bucket, bool trusted, struct rp_errbuf *eb)
{
    struct bpa b;
    memset(&b, 0, sizeof(b));
    bool all_on = false;
    struct rp_json_val req, cfg;
    if (!del && rp_det_ct_json(&s->w, ev, false, &req) == RP_OK &&
        rp_json_obj_get(req, "PublicAccessBlockConfiguration", &cfg) == RP_OK)
        b = bpa_read(cfg, bpa_api, &all_on);
    struct rp_str acct = rp_det_ct_field(ev, RP_CT_ACCOUNT);
    if (!acct.p) acct = rp_det_ct_field(ev, RP_CT_RECIPIENT_ACCOUNT);
    rp_err e = account ? note_bpa(s->accounts, acct, &b, eb) : note_bpa(s->buckets, bucket, &b, eb);
    if (e || all_on || trusted) return e;
    return emit(dc, s, ev, account ? T_ACCOUNT_BPA : T_BUCKET_BPA, bucket, eb);
}

static rp_err on_grant(struct rp_det_ctx *dc, struct st *s, const struct rp_det_event *ev,
                       bool policy, struct rp_str bucket, struct rp_errbuf *eb)
{
    struct rp_json_val req;
    if (rp_det_ct_json(&s->w, ev, false, &req) != RP_OK) return RP_OK;
    bool anon = false, auth = false;
    if (policy) {
        anon = policy_public(s, req);
    } else {
        struct rp_str text = rp_det_ct_field(ev, RP_CT_REQUEST_PARAMETERS);
        anon = canned_is(req, "public-read") || canned_is(req, "public-read-write") ||
               contains(text, all_users) || contains(text, all_users_esc);
        auth = canned_is(req, "authenticated-read") || contains(text, auth_users) ||
               contains(text, auth_users_esc);
    }
    if (!anon && !auth) return RP_OK;
    struct rp_str acct = rp_det_ct_field(ev, RP_CT_ACCOUNT);
    if (!acct.p) acct = rp_det_ct_field(ev, RP_CT_RECIPIENT_ACCOUNT);
    const char *account = rp_det_ct_cstr(&s->w, acct);
    bool off = false;
    rp_err e = blocked(dc, s, account ? account : "", bucket, !policy, &off, eb);
    if (e || off) return e;
    if (anon) e = emit(dc, s, ev, T_ANONYMOUS, bucket, eb);
    if (!e && auth) e = emit(dc, s, ev, T_PUBLIC, bucket, eb);
    return e;
}

static rp_err on_logging(struct rp_det_ctx *dc, struct st *s, const struct rp_det_event *ev,
                         struct rp_str bucket, struct rp_errbuf *eb)
{
    struct rp_json_val req, status, le;
    if (rp_det_ct_json(&s->w, ev, false, &req) != RP_OK ||
        rp_json_obj_get(req, "BucketLoggingStatus", &status) != RP_OK)
        return RP_OK;
    if (rp_json_obj_get(status, "LoggingEnabled", &le) == RP_OK && rp_json_type(le) != RP_JSON_NULL)
        return RP_OK;
    return emit(dc, s, ev, T_LOGGING, bucket, eb);
}

static rp_err event(struct rp_det_ctx *dc, void *state, const struct rp_det_event *ev,
                    struct rp_errbuf *eb)
{
    struct st *s = state;
    rp_det_ct_work_reset(&s->w);
    if (!rp_det_ct_eq(ev, RP_CT_EVENT_SOURCE, "s3.amazonaws.com") || rp_det_ct_s3_data(ev))
        return RP_OK;
    struct rp_str name = rp_det_ct_field(ev, RP_CT_EVENT_NAME);
    if (!name.p || !rp_det_ct_has_prefix_word(name, "Put Delete Create")) return RP_OK;
    if (!rp_det_ct_ok(ev) || rp_det_ct_eq(ev, RP_CT_UID_TYPE, "AWSService")) return RP_OK;
    bool trusted = rp_det_ct_trusted(dc, ev);
    struct rp_str bucket = rp_det_ct_bucket(&s->w, ev);

    bool acct_put = rp_str_eq_cstr(name, "PutAccountPublicAccessBlock") ||
                    (rp_str_eq_cstr(name, "PutPublicAccessBlock") && !bucket.p);
    bool acct_del = rp_str_eq_cstr(name, "DeleteAccountPublicAccessBlock") ||
                    (rp_str_eq_cstr(name, "DeletePublicAccessBlock") && !bucket.p);
    if (acct_put || acct_del) return on_bpa(dc, s, ev, acct_del, true, bucket, trusted, eb);
    if (!bucket.p) return RP_OK;
    bool b_put = rp_str_eq_cstr(name, "PutBucketPublicAccessBlock") ||
                 rp_str_eq_cstr(name, "PutPublicAccessBlock");
    bool b_del = rp_str_eq_cstr(name, "DeleteBucketPublicAccessBlock") ||
                 rp_str_eq_cstr(name, "DeletePublicAccessBlock");
    if (b_put || b_del) return on_bpa(dc, s, ev, b_del, false, bucket, trusted, eb);
    if (trusted) return RP_OK;
    if (rp_str_eq_cstr(name, "PutBucketAcl") || rp_str_eq_cstr(name, "CreateBucket"))
        return on_grant(dc, s, ev, false, bucket, eb);
    if (rp_str_eq_cstr(name, "PutBucketPolicy")) return on_grant(dc, s, ev, true, bucket, eb);
    if (rp_str_eq_cstr(name, "PutBucketLogging")) return on_logging(dc, s, ev, bucket, eb);
    return RP_OK;
}

const struct rp_detector rp_det_ct_s3_policy = {
    .id = "ct.s3-policy-change",
    .source = RP_DET_SRC_CLOUDTRAIL,
    .kind = RP_DET_SIGNATURE,
    .summary = "S3 Block Public Access turned off, a bucket made public, access logging off",
    .types = types,
    .ntypes = RP_ARRAY_LEN(types),
    .init = init,
    .event = event,
    .release = release,
};
