/* SPDX-License-Identifier: Apache-2.0 */
/* Tests of the simulation run and the Config generator (sim_gen.h, sim_run.c, sim_config.c,
 * sim_stream.c, sim_out.c): the same seed writes a byte-identical tree and another seed changes
 * names; every key follows AWS's S3 layouts; exact fields of generated configuration items
 * (ids, relationships, supplementary configuration); a scheduled estate change lands in a
 * ConfigHistory file; records emitted for the four log sources land in time-ordered delivery
 * files; truth lines; option errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/rp_buf.h"
#include "core/rp_gz.h"
#include "core/rp_hash.h"
#include "core/rp_json.h"
#include "core/rp_walk.h"
#include "sim/sim_gen.h"
#include "sim/sim_internal.h"
#include "sim/sim_world.h"

/* ---- helpers ------------------------------------------------------------------------------ */

static char *tmpdir(void)
{
    char tmpl[] = "/tmp/rp-sim-test-XXXXXX";
    char *d = mkdtemp(tmpl);
    assert_non_null(d);
    char *out = malloc(strlen(d) + 8);
    assert_non_null(out);
    snprintf(out, strlen(d) + 8, "%s/out", d);
    return out;
}

/* Remove the temporary directory made by tmpdir() (the parent of dir). */
static void rmtree(const char *dir)
{
    char cmd[512];
    size_t n = strlen(dir);
    assert_true(n > 4 && strcmp(dir + n - 4, "/out") == 0);
    snprintf(cmd, sizeof cmd, "rm -rf '%.*s'", (int)(n - 4), dir);
    assert_int_equal(system(cmd), 0);
}

struct listing {
    char **rel;
    char **hash;
    size_t n, cap;
};

static enum rp_walk_action collect(const struct rp_walk_entry *e, void *ctx)
{
    struct listing *l = ctx;
    if (e->event != RP_WALK_EV_FILE) return RP_WALK_CONTINUE;
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->rel = realloc(l->rel, l->cap * sizeof(char *));
        l->hash = realloc(l->hash, l->cap * sizeof(char *));
    }
    struct rp_buf b;
    rp_buf_init(&b, 0);
    FILE *f = fopen(e->path, "rb");
    assert_non_null(f);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        assert_int_equal(rp_buf_append(&b, chunk, n), RP_OK);
    fclose(f);
    char hex[RP_HASH_SHA256_HEXSZ];
    assert_int_equal(rp_hash_sha256_hex(b.data ? b.data : "", b.len, hex), RP_OK);
    rp_buf_release(&b);
    l->rel[l->n] = strdup(e->rel);
    l->hash[l->n] = strdup(hex);
    l->n++;
    return RP_WALK_CONTINUE;
}

static void list_tree(const char *dir, struct listing *l)
{
    memset(l, 0, sizeof *l);
    struct rp_walk_opts wo = {0, 0, 0};
    const char *roots[] = {dir};
    struct rp_errbuf eb;
    assert_int_equal(rp_walk_run(roots, 1, &wo, collect, l, &eb), RP_OK);
}

static void listing_free(struct listing *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->rel[i]);
        free(l->hash[i]);
    }
    free(l->rel);
    free(l->hash);
}

/* Run a simulation into dir. Unless full, only the Config generator runs and no scenario, so
 * the output depends on this test file and sim_config.c alone. */
static rp_err simulate(const char *dir, bool full, uint64_t seed, uint32_t days,
                       struct rp_sim_run **keep, rp_sim_event_fn ev, int64_t ev_at, void *ev_ctx)
{
    struct rp_sim_opts o;
    rp_sim_opts_init(&o);
    o.seed = seed;
    o.days = days;
    o.out_dir = dir;
    if (!full) {
        o.generators = "config";
        o.scenarios = "none";
    }
    struct rp_sim_run *run = NULL;
    struct rp_errbuf eb;
    rp_err e = rp_sim_run_new(&o, &run, &eb);
    if (e != RP_OK) return e;
    if (ev) assert_int_equal(rp_sim_run_schedule(run, ev_at, ev, ev_ctx, &eb), RP_OK);
    e = rp_sim_run_all(run, NULL, &eb);
    if (e != RP_OK) fprintf(stderr, "run: %s\n", eb.msg);
    if (keep)
        *keep = run;
    else
        rp_sim_run_free(run);
    return e;
}

/* Read a whole (possibly gzipped) output file. */
static void slurp(const char *dir, const char *rel, struct rp_buf *out)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    struct rp_errbuf eb;
    rp_buf_init(out, 0);
    assert_int_equal(rp_gz_read_file(path, NULL, out, &eb), RP_OK);
}

static const char *find_rel(const struct listing *l, const char *needle, size_t skip)
{
    for (size_t i = 0; i < l->n; i++)
        if (strstr(l->rel[i], needle) && skip-- == 0) return l->rel[i];
    return NULL;
}

/* Documented key layouts (docs/simulate.md): AWS's for AWSLogs/, Rampart's for the rest. */
static const char *const patterns[] = {
    "^AWSLogs/([0-9]{12})/CloudTrail/([a-z0-9-]+)/[0-9]{4}/[0-9]{2}/[0-9]{2}/"
    "\\1_CloudTrail_\\2_[0-9]{8}T[0-9]{4}Z_[A-Za-z0-9]{16}\\.json\\.gz$",
    "^AWSLogs/([0-9]{12})/Config/([a-z0-9-]+)/[0-9]{4}/[1-9][0-9]?/[1-9][0-9]?/ConfigSnapshot/"
    "\\1_Config_\\2_ConfigSnapshot_[0-9]{8}T[0-9]{6}Z_"
    "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\\.json\\.gz$",
    "^AWSLogs/([0-9]{12})/Config/([a-z0-9-]+)/[0-9]{4}/[1-9][0-9]?/[1-9][0-9]?/ConfigHistory/"
    "\\1_Config_\\2_ConfigHistory_AWS::[A-Za-z0-9]+::[A-Za-z0-9]+_[0-9]{8}T[0-9]{6}Z_"
    "[0-9]{8}T[0-9]{6}Z_[0-9]+\\.json\\.gz$",
    "^AWSLogs/([0-9]{12})/vpcflowlogs/([a-z0-9-]+)/[0-9]{4}/[0-9]{2}/[0-9]{2}/"
    "\\1_vpcflowlogs_\\2_fl-[0-9a-f]{17}_[0-9]{8}T[0-9]{4}Z_[0-9a-f]{8}\\.log\\.gz$",
    "^AWSLogs/([0-9]{12})/vpcdnsquerylogs/(vpc-[0-9a-f]{17})/[0-9]{4}/[0-9]{2}/[0-9]{2}/"
    "\\2_vpcdnsquerylogs_\\1_[0-9]{8}T[0-9]{4}Z_[0-9a-f]{8}\\.log\\.gz$",
    "^AWSLogs/([0-9]{12})/EKS/([a-z0-9-]+)/([a-z0-9-]+)/[0-9]{4}/[0-9]{2}/[0-9]{2}/"
    "\\1_EKS_\\2_\\3_kube-apiserver-audit_[0-9]{8}T[0-9]{4}Z_[0-9a-f]{8}\\.log\\.gz$",
    "^estate/([0-9]{12})/iam/[0-9]{4}/[0-9]{2}/[0-9]{2}/\\1_iam_(account-summary|password-"
    "policy|virtual-mfa-devices)_[0-9]{8}T[0-9]{6}Z\\.json$",
    "^estate/([0-9]{12})/iam/[0-9]{4}/[0-9]{2}/[0-9]{2}/\\1_iam_credential-report_"
    "[0-9]{8}T[0-9]{6}Z\\.csv$",
    "^estate/([0-9]{12})/ec2/([a-z0-9-]+)/[0-9]{4}/[0-9]{2}/[0-9]{2}/\\1_ec2_(snapshots|ebs-"
    "encryption-by-default)_\\2_[0-9]{8}T[0-9]{6}Z\\.json$",
    "^(manifest\\.json|truth\\.jsonl)$",
};

/* Every key of the listing under AWSLogs/ (or every key, when all) matches a pattern. */
static void check_keys(const struct listing *l, bool all)
{
    regex_t re[RP_ARRAY_LEN(patterns)];
    for (size_t p = 0; p < RP_ARRAY_LEN(patterns); p++)
        assert_int_equal(regcomp(&re[p], patterns[p], REG_EXTENDED | REG_NOSUB), 0);
    for (size_t i = 0; i < l->n; i++) {
        if (!all && strncmp(l->rel[i], "AWSLogs/", 8) != 0) continue;
        bool ok = false;
        for (size_t p = 0; p < RP_ARRAY_LEN(patterns) && !ok; p++)
            ok = regexec(&re[p], l->rel[i], 0, NULL, 0) == 0;
        if (!ok) fail_msg("unexpected key: %s", l->rel[i]);
    }
    for (size_t p = 0; p < RP_ARRAY_LEN(patterns); p++) regfree(&re[p]);
}

static rp_err emit_all_auto(struct rp_sim_run *run, int64_t at_ms, void *ctx, struct rp_errbuf *eb);

/* ---- determinism and layout -------------------------------------------------------------------
 */

static void test_config_same_seed_same_bytes(void **state)
{
    (void)state;
    char *a = tmpdir(), *b = tmpdir(), *c = tmpdir();
    assert_int_equal(simulate(a, true, 11, 2, NULL, NULL, 0, NULL), RP_OK);
    assert_int_equal(simulate(b, true, 11, 2, NULL, NULL, 0, NULL), RP_OK);
    assert_int_equal(simulate(c, true, 12, 2, NULL, NULL, 0, NULL), RP_OK);
    struct listing la, lb, lc;
    list_tree(a, &la);
    list_tree(b, &lb);
    list_tree(c, &lc);
    assert_true(la.n > 20);
    check_keys(&la, false);
    assert_int_equal(la.n, lb.n);
    for (size_t i = 0; i < la.n; i++) {
        assert_string_equal(la.rel[i], lb.rel[i]);
        assert_string_equal(la.hash[i], lb.hash[i]);
    }
    /* another seed: other account ids, so no AWSLogs key in common */
    size_t common = 0;
    for (size_t i = 0; i < la.n; i++)
        for (size_t k = 0; k < lc.n; k++)
            if (strncmp(la.rel[i], "AWSLogs/", 8) == 0 && strcmp(la.rel[i], lc.rel[k]) == 0)
                common++;
    assert_int_equal(common, 0);
    listing_free(&la);
    listing_free(&lb);
    listing_free(&lc);
    rmtree(a);
    rmtree(b);
    rmtree(c);
    free(a);
    free(b);
    free(c);
}

static void test_config_keys_follow_aws_layouts(void **state)
{
    (void)state;
    char *d = tmpdir();
    assert_int_equal(simulate(d, false, 3, 2, NULL, emit_all_auto, 0, NULL), RP_OK);
    struct listing l;
    list_tree(d, &l);
    check_keys(&l, true);
    size_t snapshots = 0, history = 0, cloudtrail = 0, flow = 0, dns = 0, eks = 0;
    for (size_t i = 0; i < l.n; i++) {
        snapshots += strstr(l.rel[i], "/ConfigSnapshot/") != NULL;
        history += strstr(l.rel[i], "/ConfigHistory/") != NULL;
        cloudtrail += strstr(l.rel[i], "/CloudTrail/") != NULL;
        flow += strstr(l.rel[i], "/vpcflowlogs/") != NULL;
        dns += strstr(l.rel[i], "/vpcdnsquerylogs/") != NULL;
        eks += strstr(l.rel[i], "/EKS/") != NULL;
    }
    /* 2 accounts x 2 regions x 2 days of snapshots */
    assert_int_equal(snapshots, 8);
    assert_true(history > 0);
    assert_true(cloudtrail > 0);
    assert_int_equal(flow, 2);
    assert_int_equal(dns, 1);
    assert_int_equal(eks, 1);
    listing_free(&l);
    rmtree(d);
    free(d);
}

/* ---- configuration items ----------------------------------------------------------------------
 */

static struct rp_json_parser *jp;

static struct rp_json_val parse_ci(const struct rp_sim_world *w, enum rp_sim_kind k, uint32_t idx,
                                   struct rp_buf *b)
{
    rp_buf_init(b, 0);
    assert_int_equal(
        rp_sim_config_ci_append(w, (struct rp_sim_ref){k, idx}, w->start_ms, "OK", NULL, b), RP_OK);
    struct rp_json_val v;
    struct rp_errbuf eb;
    assert_int_equal(rp_json_parse_buf(jp, b, &v, &eb), RP_OK);
    return v;
}

static void expect_str(struct rp_json_val obj, const char *path, const char *want)
{
    /* path: dot-separated object keys */
    char p[256];
    snprintf(p, sizeof p, "%s", path);
    struct rp_json_val v = obj;
    char *save = p;
    for (char *dot; (dot = strchr(save, '.')) != NULL; save = dot + 1) {
        *dot = '\0';
        assert_int_equal(rp_json_obj_get(v, save, &v), RP_OK);
    }
    struct rp_str s;
    if (rp_json_obj_get_str(v, save, &s) != RP_OK) fail_msg("no string at '%s'", path);
    if (!rp_str_eq_cstr(s, want))
        fail_msg("'%s' is '%.*s', want '%s'", path, (int)s.len, s.p, want);
}

static bool has_rel(struct rp_json_val ci, const char *type, const char *id, const char *name)
{
    struct rp_json_val rels, r;
    assert_int_equal(rp_json_obj_get(ci, "relationships", &rels), RP_OK);
    struct rp_json_iter it;
    assert_int_equal(rp_json_arr_iter(rels, &it), RP_OK);
    while (rp_json_arr_next(&it, &r)) {
        struct rp_str t, i, n;
        if (rp_json_obj_get_str(r, "resourceType", &t) != RP_OK) continue;
        if (rp_json_obj_get_str(r, "name", &n) != RP_OK) continue;
        bool idok =
            rp_json_obj_get_str(r, "resourceId", &i) == RP_OK
                ? rp_str_eq_cstr(i, id)
                : (rp_json_obj_get_str(r, "resourceName", &i) == RP_OK && rp_str_eq_cstr(i, id));
        if (rp_str_eq_cstr(t, type) && idok && rp_str_eq_cstr(n, name)) return true;
    }
    return false;
}

static void test_config_instance_item(void **state)
{
    (void)state;
    struct rp_sim_opts o;
    rp_sim_opts_init(&o);
    struct rp_sim_world *w = NULL;
    struct rp_errbuf eb;
    assert_int_equal(rp_sim_world_new(&o, &w, &eb), RP_OK);
    const struct rp_sim_instance *in = &w->instances[0];
    struct rp_buf b;
    struct rp_json_val ci = parse_ci(w, RP_SIM_K_INSTANCE, 0, &b);
    expect_str(ci, "resourceType", "AWS::EC2::Instance");
    expect_str(ci, "resourceId", in->res.id);
    expect_str(ci, "ARN", in->res.arn);
    expect_str(ci, "awsAccountId", w->accounts[in->res.acct].res.id);
    expect_str(ci, "awsRegion", "us-east-1");
    expect_str(ci, "availabilityZone", in->az);
    expect_str(ci, "configurationItemVersion", "1.3");
    expect_str(ci, "configurationItemStatus", "OK");
    expect_str(ci, "configurationItemCaptureTime", "2026-01-05T00:00:00.000Z");
    expect_str(ci, "configuration.instanceId", in->res.id);
    expect_str(ci, "configuration.subnetId", w->subnets[in->subnet].res.id);
    expect_str(ci, "configuration.privateIpAddress", in->private_ip);
    expect_str(ci, "configuration.state.name", "running");
    expect_str(ci, "configuration.iamInstanceProfile.arn", w->roles[in->profile_role].profile_arn);
    expect_str(ci, "configuration.metadataOptions.httpTokens",
               in->imdsv2_required ? "required" : "optional");
    expect_str(ci, "tags.Name", rp_sim_res_tag(&in->res, "Name"));
    assert_true(
        has_rel(ci, "AWS::EC2::Subnet", w->subnets[in->subnet].res.id, "Is contained in Subnet"));
    assert_true(has_rel(ci, "AWS::EC2::VPC", w->vpcs[in->vpc].res.id, "Is contained in Vpc"));
    assert_true(has_rel(ci, "AWS::EC2::NetworkInterface", w->enis[in->eni].res.id,
                        "Contains NetworkInterface"));
    assert_true(has_rel(ci, "AWS::EC2::SecurityGroup", w->sgs[in->sgs[0]].res.id,
                        "Is associated with SecurityGroup"));
    assert_true(has_rel(ci, "AWS::EC2::Volume", w->volumes[in->volumes[0]].res.id,
                        "Is attached to Volume"));
    int64_t sid = 0;
    assert_int_equal(rp_json_obj_get_i64(ci, "configurationStateId", &sid), RP_OK);
    assert_int_equal(sid, RP_SIM_DEFAULT_START_MS);
    rp_buf_release(&b);
    rp_sim_world_free(w);
}

static struct rp_json_val at(struct rp_json_val v, size_t i)
{
    struct rp_json_val out;
    assert_int_equal(rp_json_arr_at(v, i, &out), RP_OK);
    return out;
}

static struct rp_json_val get(struct rp_json_val v, const char *k)
{
    struct rp_json_val out;
    if (rp_json_obj_get(v, k, &out) != RP_OK) fail_msg("no key '%s'", k);
    return out;
}

static struct rp_sim_world *small_world(void)
{
    struct rp_sim_opts o;
    rp_sim_opts_init(&o);
    struct rp_sim_world *w = NULL;
    struct rp_errbuf eb;
    assert_int_equal(rp_sim_world_new(&o, &w, &eb), RP_OK);
    return w;
}

static void test_config_bucket_item_supplementary(void **state)
{
    (void)state;
    struct rp_sim_world *w = small_world();
    /* the data bucket of the dev account (SSE-S3, no versioning), made world-readable */
    uint32_t bi = RP_SIM_NONE;
    for (uint32_t i = 0; i < w->nbuckets && bi == RP_SIM_NONE; i++)
        if (w->buckets[i].res.acct == 1 && w->buckets[i].purpose == RP_SIM_BUCKET_DATA) bi = i;
    assert_int_not_equal(bi, RP_SIM_NONE);
    struct rp_sim_bucket *bk = &w->buckets[bi];
    bk->acl_public_read = true;
    bk->policy_public = true;
    bk->bpa_set = false;
    struct rp_buf b;
    struct rp_json_val ci = parse_ci(w, RP_SIM_K_BUCKET, bi, &b);
    expect_str(ci, "resourceType", "AWS::S3::Bucket");
    expect_str(ci, "resourceId", bk->res.name);
    expect_str(ci, "resourceName", bk->res.name);
    expect_str(ci, "ARN", bk->res.arn);
    expect_str(ci, "availabilityZone", "Regional");
    expect_str(ci, "configuration.name", bk->res.name);
    struct rp_json_val sup = get(ci, "supplementaryConfiguration");
    expect_str(sup, "BucketVersioningConfiguration.status", "Off");
    expect_str(sup, "BucketLoggingConfiguration.destinationBucketName",
               w->buckets[bk->log_target].res.name);
    struct rp_json_val rule = at(get(get(sup, "ServerSideEncryptionConfiguration"), "rules"), 0);
    expect_str(rule, "applyServerSideEncryptionByDefault.sseAlgorithm", "AES256");
    char want[512];
    snprintf(want, sizeof want,
             "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"PublicRead\",\"Effect\":"
             "\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":"
             "\"arn:aws:s3:::%s/*\"}]}",
             bk->res.name);
    expect_str(sup, "BucketPolicy.policyText", want);
    struct rp_str acl;
    assert_int_equal(rp_json_obj_get_str(sup, "AccessControlList", &acl), RP_OK);
    char aclz[2048];
    snprintf(aclz, sizeof aclz, "%.*s", (int)acl.len, acl.p);
    assert_non_null(strstr(aclz, "{\"grantee\":\"AllUsers\",\"permission\":\"Read\"}"));
    struct rp_json_val none;
    assert_int_equal(rp_json_obj_get(sup, "PublicAccessBlockConfiguration", &none), RP_ENOENT);
    rp_buf_release(&b);

    /* the same bucket with Block Public Access on */
    bk->bpa_set = true;
    ci = parse_ci(w, RP_SIM_K_BUCKET, bi, &b);
    bool v = false;
    assert_int_equal(rp_json_obj_get_bool(get(get(ci, "supplementaryConfiguration"),
                                              "PublicAccessBlockConfiguration"),
                                          "restrictPublicBuckets", &v),
                     RP_OK);
    assert_true(v);
    rp_buf_release(&b);
    rp_sim_world_free(w);
}

static void test_config_iam_role_trust_is_url_encoded(void **state)
{
    (void)state;
    struct rp_sim_world *w = small_world();
    uint32_t ri = RP_SIM_NONE;
    for (uint32_t i = 0; i < w->nroles && ri == RP_SIM_NONE; i++)
        if (w->roles[i].kind == RP_SIM_ROLE_INSTANCE_PROFILE) ri = i;
    assert_int_not_equal(ri, RP_SIM_NONE);
    const struct rp_sim_role *ro = &w->roles[ri];
    struct rp_buf b;
    struct rp_json_val ci = parse_ci(w, RP_SIM_K_ROLE, ri, &b);
    expect_str(ci, "resourceType", "AWS::IAM::Role");
    expect_str(ci, "resourceId", ro->res.id);
    expect_str(ci, "resourceName", ro->res.name);
    expect_str(ci, "awsRegion", "global");
    expect_str(ci, "availabilityZone", "Not Applicable");
    expect_str(ci, "configuration.assumeRolePolicyDocument",
               "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22"
               "Allow%22%2C%22Principal%22%3A%7B%22Service%22%3A%22ec2.amazonaws.com%22%7D%2C%22"
               "Action%22%3A%22sts%3AAssumeRole%22%7D%5D%7D");
    struct rp_json_val prof = at(get(get(ci, "configuration"), "instanceProfileList"), 0);
    expect_str(prof, "instanceProfileName", ro->profile_name);
    expect_str(prof, "arn", ro->profile_arn);
    /* customer-managed policies are relationships, AWS-managed ones are not */
    for (uint32_t k = 0; k < ro->npolicies; k++) {
        const struct rp_sim_policy *p = &w->policies[ro->policies[k]];
        assert_int_equal(
            has_rel(ci, "AWS::IAM::Policy", p->res.id, "Is attached to CustomerManagedPolicy"),
            !p->aws_managed);
    }
    rp_buf_release(&b);
    rp_sim_world_free(w);
}

static void test_config_route_propagation_flag(void **state)
{
    (void)state;
    struct rp_sim_world *w = small_world();
    uint32_t ti = RP_SIM_NONE;
    for (uint32_t i = 0; i < w->nroute_tables && ti == RP_SIM_NONE; i++)
        if (w->route_tables[i].propagating_vgw != RP_SIM_NONE) ti = i;
    assert_int_not_equal(ti, RP_SIM_NONE);
    struct rp_sim_route_table *t = &w->route_tables[ti];
    uint32_t propagated = 0;
    for (uint32_t i = 0; i < t->nroutes; i++) propagated += t->routes[i].propagated;
    assert_true(propagated >= 1);
    struct rp_buf b;
    struct rp_json_val ci = parse_ci(w, RP_SIM_K_ROUTE_TABLE, ti, &b);
    struct rp_json_val cfg = get(ci, "configuration");
    assert_int_equal(rp_json_len(get(cfg, "propagatingVgws")), 1);
    expect_str(at(get(cfg, "propagatingVgws"), 0), "gatewayId", w->vgws[t->propagating_vgw].res.id);
    assert_int_equal(rp_json_len(get(cfg, "routes")), t->nroutes);
    expect_str(at(get(cfg, "routes"), t->nroutes - 1), "origin", "EnableVgwRoutePropagation");
    rp_buf_release(&b);
    /* propagation disabled: the gateway's routes disappear from the table */
    t->propagating_vgw = RP_SIM_NONE;
    ci = parse_ci(w, RP_SIM_K_ROUTE_TABLE, ti, &b);
    cfg = get(ci, "configuration");
    assert_int_equal(rp_json_len(get(cfg, "propagatingVgws")), 0);
    assert_int_equal(rp_json_len(get(cfg, "routes")), t->nroutes - propagated);
    rp_buf_release(&b);
    rp_sim_world_free(w);
}

/* ---- changes, record streams, truth --------------------------------------------------------- */

struct change_ctx {
    uint32_t bucket;
};

static rp_err make_public(struct rp_sim_run *run, int64_t at_ms, void *ctx, struct rp_errbuf *eb)
{
    struct change_ctx *c = ctx;
    struct rp_sim_bucket *b = &run->world->buckets[c->bucket];
    b->acl_public_read = true;
    b->res.marks |= RP_SIM_MARK_SCENARIO;
    return rp_sim_world_changed(run, (struct rp_sim_ref){RP_SIM_K_BUCKET, c->bucket}, at_ms,
                                RP_SIM_CHANGE_UPDATE, "11111111-2222-4333-8444-555555555555", eb);
}

static void test_config_history_records_scheduled_change(void **state)
{
    (void)state;
    char *d = tmpdir();
    struct change_ctx ctx = {3}; /* a bucket of the first account */
    const int64_t t = RP_SIM_DEFAULT_START_MS + 26 * 3600000LL + 17 * 60000LL + 5000;
    struct rp_sim_run *run = NULL;
    assert_int_equal(simulate(d, false, 1, 2, &run, make_public, t, &ctx), RP_OK);
    const struct rp_sim_bucket *bk = &run->world->buckets[3];
    char want[1024];
    snprintf(want, sizeof want,
             "Config/us-east-1/2026/1/6/ConfigHistory/%s_Config_us-east-1_ConfigHistory_"
             "AWS::S3::Bucket_20260106T021705Z_20260106T021705Z_1.json.gz",
             run->world->accounts[bk->res.acct].res.id);
    struct listing l;
    list_tree(d, &l);
    const char *rel = find_rel(&l, want, 0);
    assert_non_null(rel);
    struct rp_buf b;
    slurp(d, rel, &b);
    struct rp_json_val root, ci;
    struct rp_errbuf eb;
    assert_int_equal(rp_json_parse_buf(jp, &b, &root, &eb), RP_OK);
    expect_str(root, "fileVersion", "1.0");
    assert_int_equal(rp_json_len(get(root, "configurationItems")), 1);
    ci = at(get(root, "configurationItems"), 0);
    expect_str(ci, "resourceId", bk->res.name);
    expect_str(ci, "configurationItemStatus", "OK");
    expect_str(ci, "configurationItemCaptureTime", "2026-01-06T02:17:05.000Z");
    struct rp_str ev;
    assert_int_equal(rp_json_get_str(at(get(ci, "relatedEvents"), 0), &ev), RP_OK);
    assert_true(rp_str_eq_cstr(ev, "11111111-2222-4333-8444-555555555555"));
    struct rp_str acl;
    assert_int_equal(
        rp_json_obj_get_str(get(ci, "supplementaryConfiguration"), "AccessControlList", &acl),
        RP_OK);
    char aclz[2048];
    snprintf(aclz, sizeof aclz, "%.*s", (int)acl.len, acl.p);
    assert_non_null(strstr(aclz, "{\"grantee\":\"AllUsers\",\"permission\":\"Read\"}"));
    rp_buf_release(&b);
    listing_free(&l);
    rp_sim_run_free(run);
    rmtree(d);
    free(d);
}

/* Emits records for all four sources at fixed times of the hour, out of time order. */
struct emit_ctx {
    uint32_t eni_v2, eni_v5, vpc_dns, eks;
};

static rp_err emit_all(struct rp_sim_run *run, int64_t at_ms, void *ctx, struct rp_errbuf *eb)
{
    struct emit_ctx *c = ctx;
    const struct rp_sim_world *w = run->world;
    rp_err e = RP_OK;
    static const int64_t offs[] = {200000, 100000, 400000}; /* 3:20, 1:40, 6:40 past at */
    for (int i = 0; i < 3 && e == RP_OK; i++) {
        char rec[128];
        snprintf(rec, sizeof rec, "{\"eventTime\":%lld,\"n\":%d}", (long long)(at_ms + offs[i]), i);
        e = rp_sim_emit_cloudtrail(run, 0, 0, at_ms + offs[i], rec, strlen(rec), eb);
    }
    struct rp_sim_flow f;
    memset(&f, 0, sizeof f);
    f.srcaddr = "203.0.113.9";
    f.dstaddr = w->enis[c->eni_v2].private_ip;
    f.srcport = 40000;
    f.dstport = 443;
    f.protocol = 6;
    f.packets = 10;
    f.bytes = 5000;
    f.start_s = at_ms / 1000 + 10;
    f.end_s = f.start_s + 50;
    f.tcp_flags = 19;
    f.eni = c->eni_v2;
    if (e == RP_OK) e = rp_sim_emit_flow(run, &f, eb);
    f.eni = c->eni_v5;
    f.dstaddr = w->enis[c->eni_v5].private_ip;
    f.reject = true;
    if (e == RP_OK) e = rp_sim_emit_flow(run, &f, eb);
    static const char dns[] = "{\"version\":\"1.100000\",\"query_name\":\"example.com.\"}";
    if (e == RP_OK) e = rp_sim_emit_dns(run, c->vpc_dns, at_ms + 5, dns, sizeof dns - 1, eb);
    static const char k8s[] = "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\"}";
    if (e == RP_OK) e = rp_sim_emit_k8s(run, c->eks, at_ms + 7, k8s, sizeof k8s - 1, eb);
    /* outside the current hour: refused */
    if (e == RP_OK) {
        struct rp_errbuf eb2;
        rp_err bad = rp_sim_emit_cloudtrail(run, 0, 0, at_ms + 3600000, "{}", 2, &eb2);
        assert_int_equal(bad, RP_EINVAL);
        assert_string_equal(eb2.msg, "simulate: cloudtrail record time outside the current hour");
    }
    return e;
}

static void find_emit_ctx(const struct rp_sim_world *w, struct emit_ctx *c)
{
    c->eni_v2 = c->eni_v5 = RP_SIM_NONE;
    c->eks = 0;
    for (uint32_t i = 0; i < w->nenis; i++) {
        enum rp_sim_flow_format f = w->vpcs[w->enis[i].vpc].flow_format;
        if (f == RP_SIM_FLOW_V2 && c->eni_v2 == RP_SIM_NONE) c->eni_v2 = i;
        if (f == RP_SIM_FLOW_V5_CUSTOM && c->eni_v5 == RP_SIM_NONE) c->eni_v5 = i;
    }
    assert_int_not_equal(c->eni_v2, RP_SIM_NONE);
    assert_int_not_equal(c->eni_v5, RP_SIM_NONE);
    c->vpc_dns = w->enis[c->eni_v2].vpc;
}

static rp_err emit_all_auto(struct rp_sim_run *run, int64_t at_ms, void *ctx, struct rp_errbuf *eb)
{
    (void)ctx;
    static struct emit_ctx c;
    find_emit_ctx(run->world, &c);
    return emit_all(run, at_ms, &c, eb);
}

static void test_config_record_streams_become_delivery_files(void **state)
{
    (void)state;
    char *d = tmpdir();
    struct rp_sim_opts o;
    rp_sim_opts_init(&o);
    o.days = 1;
    o.out_dir = d;
    o.generators = "config";
    o.scenarios = "none";
    struct rp_sim_run *run = NULL;
    struct rp_errbuf eb;
    assert_int_equal(rp_sim_run_new(&o, &run, &eb), RP_OK);
    const struct rp_sim_world *w = run->world;
    struct emit_ctx ctx;
    find_emit_ctx(w, &ctx);
    const int64_t t = RP_SIM_DEFAULT_START_MS + 3 * 3600000LL; /* 03:00 */
    assert_int_equal(rp_sim_run_schedule(run, t, emit_all, &ctx, &eb), RP_OK);
    assert_int_equal(rp_sim_run_all(run, NULL, &eb), RP_OK);

    struct listing l;
    list_tree(d, &l);
    char want[1024];
    const char *acct = w->accounts[0].res.id;
    /* CloudTrail: records in [03:00, 03:05) form one file delivered 5-9 minutes after 03:05,
     * the 6:40 record another; each file sorted by time */
    snprintf(want, sizeof want,
             "AWSLogs/%s/CloudTrail/us-east-1/2026/01/05/%s_CloudTrail_us-east-1_20260105T031",
             acct, acct);
    const char *ct = find_rel(&l, want, 0);
    assert_non_null(ct);
    struct rp_buf b;
    slurp(d, ct, &b);
    char expect[256];
    snprintf(expect, sizeof expect,
             "{\"Records\":[{\"eventTime\":%lld,\"n\":1},{\"eventTime\":%lld,\"n\":0}]}",
             (long long)(t + 100000), (long long)(t + 200000));
    assert_string_equal(rp_buf_cstr(&b), expect);
    rp_buf_release(&b);

    /* flow logs: default v2 header and line; custom v5 header and its 27 fields */
    const struct rp_sim_vpc *v2 = &w->vpcs[w->enis[ctx.eni_v2].vpc];
    snprintf(want, sizeof want, "_vpcflowlogs_us-east-1_%s_20260105T03", v2->flow_log_id);
    const char *fl = find_rel(&l, want, 0);
    assert_non_null(fl);
    slurp(d, fl, &b);
    char line[512];
    snprintf(line, sizeof line,
             RP_SIM_FLOW_V2_FIELDS
             "\n2 %s %s 203.0.113.9 %s 40000 443 6 10 5000 %lld %lld ACCEPT OK\n",
             acct, w->enis[ctx.eni_v2].res.id, w->enis[ctx.eni_v2].private_ip,
             (long long)(t / 1000 + 10), (long long)(t / 1000 + 60));
    assert_string_equal(rp_buf_cstr(&b), line);
    rp_buf_release(&b);
    const struct rp_sim_vpc *v5 = &w->vpcs[w->enis[ctx.eni_v5].vpc];
    snprintf(want, sizeof want, "_%s_20260105T03", v5->flow_log_id);
    fl = find_rel(&l, want, 0);
    assert_non_null(fl);
    slurp(d, fl, &b);
    const char *nl = strchr(rp_buf_cstr(&b), '\n');
    assert_non_null(nl);
    assert_int_equal((size_t)(nl - b.data), strlen(RP_SIM_FLOW_V5_FIELDS));
    int fields = 1;
    for (const char *p = nl + 1; *p && *p != '\n'; p++) fields += *p == ' ';
    assert_int_equal(fields, 27); /* the words of RP_SIM_FLOW_V5_FIELDS */
    assert_memory_equal(nl + 1, "5 ", 2);
    assert_non_null(strstr(nl, " REJECT 19 OK "));
    rp_buf_release(&b);

    /* DNS and EKS audit: JSON lines */
    snprintf(want, sizeof want, "vpcdnsquerylogs/%s/2026/01/05/%s_vpcdnsquerylogs_%s_20260105T03",
             v2->res.id, v2->res.id, acct);
    const char *dn = find_rel(&l, want, 0);
    assert_non_null(dn);
    slurp(d, dn, &b);
    assert_string_equal(rp_buf_cstr(&b),
                        "{\"version\":\"1.100000\",\"query_name\":\"example.com.\"}\n");
    rp_buf_release(&b);
    snprintf(want, sizeof want,
             "/EKS/us-east-1/%s/2026/01/05/%s_EKS_us-east-1_%s_kube-apiserver-audit_20260105T03",
             w->eks[0].res.name, acct, w->eks[0].res.name);
    assert_non_null(find_rel(&l, want, 0));
    listing_free(&l);
    rp_sim_run_free(run);
    rmtree(d);
    free(d);
}

static rp_err plan_truth(struct rp_sim_run *run, int64_t at_ms, void *ctx, struct rp_errbuf *eb)
{
    (void)ctx;
    static const char *const gd[] = {"Recon:EC2/Portscan"};
    static const char *const ent[] = {"i-0123456789abcdef0", "198.51.100.7"};
    struct rp_sim_truth t = {.id = "portscan#1",
                             .scenario = "portscan",
                             .mitre = "T1046",
                             .guardduty = gd,
                             .nguardduty = 1,
                             .entities = ent,
                             .nentities = 2,
                             .start_ms = at_ms,
                             .end_ms = at_ms + 600000};
    rp_err e = rp_sim_truth_add(run, &t, eb);
    struct rp_sim_truth b = {.id = "backup-scan#1",
                             .scenario = "backup-scan",
                             .expect_none = true,
                             .start_ms = at_ms - 3600000,
                             .end_ms = at_ms,
                             .note = "nightly backup agent"};
    if (e == RP_OK) e = rp_sim_truth_add(run, &b, eb);
    struct rp_errbuf eb2;
    assert_int_equal(rp_sim_truth_add(run, &t, &eb2), RP_EEXIST);
    assert_string_equal(eb2.msg, "simulate: truth id 'portscan#1' used twice");
    return e;
}

static void test_config_truth_and_manifest(void **state)
{
    (void)state;
    char *d = tmpdir();
    const int64_t t = RP_SIM_DEFAULT_START_MS + 30 * 3600000LL;
    assert_int_equal(simulate(d, false, 1, 2, NULL, plan_truth, t, NULL), RP_OK);
    struct rp_buf b;
    slurp(d, "truth.jsonl", &b);
    assert_string_equal(
        rp_buf_cstr(&b),
        "{\"id\":\"backup-scan#1\",\"scenario\":\"backup-scan\",\"mitre\":null,\"expect\":\"none\","
        "\"guardduty\":[],\"config_rules\":[],\"macie\":[],\"cves\":[],\"entities\":[],"
        "\"window\":{\"start\":\"2026-01-06T05:00:00Z\",\"end\":\"2026-01-06T06:00:00Z\"},"
        "\"note\":\"nightly backup agent\"}\n"
        "{\"id\":\"portscan#1\",\"scenario\":\"portscan\",\"mitre\":\"T1046\",\"expect\":"
        "\"finding\",\"guardduty\":[\"Recon:EC2/Portscan\"],\"config_rules\":[],\"macie\":[],"
        "\"cves\":[],\"entities\":[\"i-0123456789abcdef0\",\"198.51.100.7\"],\"window\":{"
        "\"start\":\"2026-01-06T06:00:00Z\",\"end\":\"2026-01-06T06:10:00Z\"}}\n");
    rp_buf_release(&b);
    slurp(d, "manifest.json", &b);
    struct rp_json_val m;
    struct rp_errbuf eb;
    assert_int_equal(rp_json_parse_buf(jp, &b, &m, &eb), RP_OK);
    uint64_t seed = 0, lines = 0;
    assert_int_equal(rp_json_obj_get_u64(m, "seed", &seed), RP_OK);
    assert_int_equal(seed, 1);
    assert_int_equal(rp_json_obj_get_u64(get(m, "scenarios"), "truth_lines", &lines), RP_OK);
    assert_int_equal(lines, 2);
    expect_str(m, "period.start", "2026-01-05T00:00:00Z");
    expect_str(m, "period.attacks_from", "2026-01-06T00:00:00Z");
    uint64_t files = 0;
    assert_int_equal(rp_json_obj_get_u64(get(get(m, "sources"), "config"), "files", &files), RP_OK);
    assert_true(files >= 8);
    rp_buf_release(&b);
    rmtree(d);
    free(d);
}

static void test_config_run_errors(void **state)
{
    (void)state;
    char *d = tmpdir();
    struct rp_sim_opts o;
    rp_sim_opts_init(&o);
    struct rp_sim_run *run = NULL;
    struct rp_errbuf eb;
    assert_int_equal(rp_sim_run_new(&o, &run, &eb), RP_EINVAL);
    assert_string_equal(eb.msg, "simulate: no output directory (--out DIR)");
    o.out_dir = d;
    o.scenarios = "no-such-scenario";
    assert_int_equal(rp_sim_run_new(&o, &run, &eb), RP_EINVAL);
    assert_string_equal(eb.msg,
                        "simulate: unknown scenario 'no-such-scenario' (see --list-scenarios)");
    o.scenarios = "none";
    o.days = 1;
    assert_int_equal(simulate(d, false, 1, 1, NULL, NULL, 0, NULL), RP_OK);
    assert_int_equal(rp_sim_run_new(&o, &run, &eb), RP_EEXIST);
    char want[1024];
    snprintf(want, sizeof want, "simulate: output directory '%s' is not empty", d);
    assert_string_equal(eb.msg, want);
    assert_null(run);
    rmtree(d);
    free(d);
}

int main(void)
{
    jp = rp_json_parser_new();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_config_same_seed_same_bytes),
        cmocka_unit_test(test_config_keys_follow_aws_layouts),
        cmocka_unit_test(test_config_instance_item),
        cmocka_unit_test(test_config_bucket_item_supplementary),
        cmocka_unit_test(test_config_iam_role_trust_is_url_encoded),
        cmocka_unit_test(test_config_route_propagation_flag),
        cmocka_unit_test(test_config_history_records_scheduled_change),
        cmocka_unit_test(test_config_record_streams_become_delivery_files),
        cmocka_unit_test(test_config_truth_and_manifest),
        cmocka_unit_test(test_config_run_errors),
    };
    int rc = cmocka_run_group_tests_name("sim_config", tests, NULL, NULL);
    rp_json_parser_free(jp);
    return rc;
}
