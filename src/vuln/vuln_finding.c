/* SPDX-License-Identifier: Apache-2.0 */
/* One PACKAGE_VULNERABILITY finding, as Inspector writes it, in ASFF (the hub's model; the
 * hub's "inspector" export turns it back into Inspector's own JSON).
 *
 * From the advisories that matched (read back from the store's OSV index): the CVSS vector
 * (v3.1/v3.0 preferred over v2; the advisory named like the vulnerability first), the vendor
 * severity when no vector scores, dates, references. Severity is Inspector's CVSS band of the
 * base score (UNTRIAGED without one). The Inspector score starts from the base score and is
 * lowered when the resource is known to have no open path from the internet: the attack
 * vector NETWORK becomes ADJACENT_NETWORK and the adjustment says why, as Inspector's
 * inspectorScoreDetails.adjustedCvss does. Instances are described from the store's
 * configuration items when the inventory's instance is recorded there.
 *
 * Field layout: docs/vulns.md "Findings". */
#define RP_LOG_MODULE "vuln"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vuln/vuln_finding.h"
#include "core/rp_arena.h"
#include "core/rp_buf.h"
#include "core/rp_json.h"
#include "core/rp_time.h"
#include "hub/hub.h"
#include "store/store.h"
#include "core/rp_banned.h"

#define MAX_REFS     10
#define MAX_DESC     2048
#define DEFAULT_ACCT "000000000000"
#define DEFAULT_REG  "us-east-1"

struct rp_vuln_fbuilder {
    struct rp_store *st;
    const struct rp_vuln_scan_opts *o;
    struct rp_json_parser *jp;
    struct rp_arena arena; /* per finding */
    struct rp_buf out;
    const struct rp_vuln_fres *res;
    const char *vuln_id;
    struct rp_vuln_vpkg *pkgs;
    size_t npkgs, cappkgs;
    const char **advs;
    size_t nadvs, capadvs;
};

/* What the advisories say, copied into the arena. */
struct advinfo {
    const char *vector;     /* best CVSS vector, or NULL */
    int vector_rank;        /* 3 = v3.1/v3.0 of the advisory named like the vulnerability, .. */
    const char *vendor_sev; /* "HIGH", "MEDIUM".. from a vendor label, or NULL */
    const char *title, *details;
    int64_t published, modified;
    const char *refs[MAX_REFS];
    size_t nrefs;
};

/* What the instance's configuration item says. */
struct instinfo {
    bool found;
    const char *account, *region, *arn;
    const char *type, *image, *key, *profile, *vpc, *subnet, *launched;
    const char *ips[4];
    size_t nips;
};

rp_err rp_vuln_fbuilder_new(struct rp_store *st, const struct rp_vuln_scan_opts *o,
                            struct rp_vuln_fbuilder **out, struct rp_errbuf *eb)
{
    *out = NULL;
    struct rp_vuln_fbuilder *fb = calloc(1, sizeof(*fb));
    if (!fb || !(fb->jp = rp_json_parser_new())) {
        free(fb);
        return rp_fail(eb, RP_ENOMEM, "vulns: out of memory");
    }
    fb->st = st;
    fb->o = o;
    rp_arena_init(&fb->arena, 0);
    rp_buf_init(&fb->out, 0);
    (void)eb;
    *out = fb;
    return RP_OK;
}

void rp_vuln_fbuilder_free(struct rp_vuln_fbuilder *fb)
{
    if (!fb) return;
    rp_json_parser_free(fb->jp);
    rp_arena_release(&fb->arena);
    rp_buf_release(&fb->out);
    free(fb->pkgs);
    free(fb->advs);
    free(fb);
}

void rp_vuln_fbuilder_reset(struct rp_vuln_fbuilder *fb, const struct rp_vuln_fres *r,
                            const char *vuln_id)
{
    rp_arena_reset(&fb->arena);
    fb->res = r;
    fb->vuln_id = vuln_id;
    fb->npkgs = 0;
    fb->nadvs = 0;
}

static int cmp_s(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "");
}

rp_err rp_vuln_fbuilder_add(struct rp_vuln_fbuilder *fb, const struct rp_vuln_vpkg *p,
                            const char *advisory, struct rp_errbuf *eb)
{
    bool have = false;
    for (size_t i = 0; i < fb->nadvs && !have; i++) have = strcmp(fb->advs[i], advisory) == 0;
    if (!have) {
        if (fb->nadvs == fb->capadvs) {
            size_t cap = fb->capadvs ? 2 * fb->capadvs : 8;
            const char **n = realloc(fb->advs, cap * sizeof(*n));
            if (!n) return rp_fail(eb, RP_ENOMEM, "vulns: out of memory");
            fb->advs = n;
            fb->capadvs = cap;
        }
        /* kept sorted: insertion, the lists are short */
        size_t k = fb->nadvs++;
        while (k > 0 && strcmp(fb->advs[k - 1], advisory) > 0) {
            fb->advs[k] = fb->advs[k - 1];
            k--;
        }
        fb->advs[k] = advisory;
    }
    for (size_t i = 0; i < fb->npkgs; i++) {
        struct rp_vuln_vpkg *q = &fb->pkgs[i];
        if (!strcmp(q->name, p->name) && !strcmp(q->version, p->version) &&
            !cmp_s(q->file_path, p->file_path)) {
            if (!q->fixed_in) q->fixed_in = p->fixed_in;
            return RP_OK;
        }
    }
    if (fb->npkgs == fb->cappkgs) {
        size_t cap = fb->cappkgs ? 2 * fb->cappkgs : 8;
        struct rp_vuln_vpkg *n = realloc(fb->pkgs, cap * sizeof(*n));
        if (!n) return rp_fail(eb, RP_ENOMEM, "vulns: out of memory");
        fb->pkgs = n;
        fb->cappkgs = cap;
    }
    fb->pkgs[fb->npkgs++] = *p;
    return RP_OK;
}

/* ---- advisories ------------------------------------------------------------------------ */

static const char *adup(struct rp_vuln_fbuilder *fb, struct rp_str s)
{
    return rp_arena_memdup(&fb->arena, s.p ? s.p : "", s.len);
}

/* "moderate" -> "MEDIUM"; NULL when the word is no severity. */
static const char *vendor_label(struct rp_str w)
{
    static const struct {
        const char *word, *label;
    } m[] = {{"critical", "CRITICAL"}, {"high", "HIGH"},      {"important", "HIGH"},
             {"moderate", "MEDIUM"},   {"medium", "MEDIUM"},  {"low", "LOW"},
             {"negligible", "LOW"},    {"unimportant", "LOW"}};
    for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
        if (rp_str_eq_nocase(w, rp_str_from(m[i].word))) return m[i].label;
    return NULL;
}

static void read_severity(struct rp_vuln_fbuilder *fb, struct rp_json_val doc, bool named,
                          struct advinfo *ai)
{
    struct rp_json_val sev, el;
    struct rp_json_iter it;
    if (!rp_json_obj_get(doc, "severity", &sev) && !rp_json_arr_iter(sev, &it)) {
        while (rp_json_arr_next(&it, &el)) {
            struct rp_str type = {0}, score = {0};
            if (rp_json_obj_get_str(el, "type", &type) || rp_json_obj_get_str(el, "score", &score))
                continue;
            int rank = 0;
            if (rp_str_eq_cstr(type, "CVSS_V3")) rank = 2;
            if (rp_str_eq_cstr(type, "CVSS_V2")) rank = 1;
            if (rank && named) rank += 2;
            if (rank > ai->vector_rank) {
                ai->vector_rank = rank;
                ai->vector = adup(fb, score);
            }
            if (!rank && !ai->vendor_sev) ai->vendor_sev = vendor_label(score);
        }
    }
    /* GitHub's and others' database_specific.severity ("HIGH", "MODERATE") */
    struct rp_json_val ds;
    struct rp_str w = {0};
    if (!ai->vendor_sev && !rp_json_obj_get(doc, "database_specific", &ds) &&
        !rp_json_obj_get_str(ds, "severity", &w))
        ai->vendor_sev = vendor_label(w);
}

static void read_advisory(struct rp_vuln_fbuilder *fb, const char *id, struct advinfo *ai)
{
    struct rp_errbuf eb = {0};
    struct rp_store_stmt *q = NULL;
    bool row = false;
    if (rp_store_stmt_prepare(fb->st, "SELECT doc FROM osv_advisories WHERE id = ?1", &q, &eb) ||
        rp_store_stmt_bind_cstr(q, 1, id, &eb) || rp_store_stmt_step(q, &row, &eb) || !row)
        return;
    size_t len = 0;
    const char *doc = rp_store_stmt_column_text(q, 0, &len);
    struct rp_json_val root;
    bool bad = !doc || rp_json_parse(fb->jp, doc, len, &root, &eb);
    rp_store_stmt_reset(q);
    if (bad) return;
    bool named = strcmp(id, fb->vuln_id) == 0;
    read_severity(fb, root, named, ai);
    struct rp_str s = {0};
    if ((!ai->title || named) && !rp_json_obj_get_str(root, "summary", &s) && s.len)
        ai->title = adup(fb, s);
    if ((!ai->details || named) && !rp_json_obj_get_str(root, "details", &s) && s.len)
        ai->details = adup(fb, (struct rp_str){s.p, s.len > MAX_DESC ? MAX_DESC : s.len});
    int64_t ms = 0;
    if (!rp_json_obj_get_str(root, "published", &s) && !rp_time_parse_iso(s, &ms, NULL) &&
        (!ai->published || ms < ai->published))
        ai->published = ms;
    if (!rp_json_obj_get_str(root, "modified", &s) && !rp_time_parse_iso(s, &ms, NULL) &&
        ms > ai->modified)
        ai->modified = ms;
    struct rp_json_val refs, el;
    struct rp_json_iter it;
    if (!rp_json_obj_get(root, "references", &refs) && !rp_json_arr_iter(refs, &it))
        while (ai->nrefs < MAX_REFS && rp_json_arr_next(&it, &el)) {
            struct rp_str url = {0};
            if (rp_json_obj_get_str(el, "url", &url) || !url.len) continue;
            bool dupl = false;
            for (size_t i = 0; i < ai->nrefs && !dupl; i++) dupl = rp_str_eq_cstr(url, ai->refs[i]);
            if (!dupl) ai->refs[ai->nrefs++] = adup(fb, url);
        }
}

/* Inspector's vulnerability source for an advisory id. */
static const char *source_of(const char *id)
{
    static const struct {
        const char *prefix, *source;
    } m[] = {{"DSA-", "DEBIAN_CVE"},    {"DLA-", "DEBIAN_CVE"},
             {"DEBIAN-", "DEBIAN_CVE"}, {"USN-", "UBUNTU_CVE"},
             {"UBUNTU-", "UBUNTU_CVE"}, {"ALPINE-", "ALPINE_SECDB"},
             {"GHSA-", "GITHUB"},       {"PYSEC-", "PYPA"},
             {"RUSTSEC-", "RUSTSEC"},   {"GO-", "GO_VULNDB"},
             {"RHSA-", "REDHAT_CVE"},   {"ALSA-", "ALMALINUX"},
             {"RLSA-", "ROCKY_LINUX"},  {"CVE-", "NVD"}};
    for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
        if (strncmp(id, m[i].prefix, strlen(m[i].prefix)) == 0) return m[i].source;
    return "OSV";
}

/* ---- the instance ------------------------------------------------------------------------ */

static const char *cfg_str(struct rp_vuln_fbuilder *fb, struct rp_json_val o, const char *k)
{
    struct rp_str s = {0};
    if (rp_json_obj_get_str(o, k, &s) || !s.len) return NULL;
    return adup(fb, s);
}

static void read_instance(struct rp_vuln_fbuilder *fb, const char *id, struct instinfo *ii)
{
    memset(ii, 0, sizeof(*ii));
    struct rp_errbuf eb = {0};
    struct rp_store_stmt *q = NULL;
    bool row = false;
    if (rp_store_stmt_prepare(fb->st,
                              "SELECT rp_account, rp_region, ARN, configuration FROM "
                              "config_resources WHERE resourceType = 'AWS::EC2::Instance' AND "
                              "resourceId = ?1 ORDER BY rp_time_ms DESC LIMIT 1",
                              &q, &eb) ||
        rp_store_stmt_bind_cstr(q, 1, id, &eb) || rp_store_stmt_step(q, &row, &eb) || !row)
        return;
    ii->found = true;
    const char *t = rp_store_stmt_column_text(q, 0, NULL);
    if (t) ii->account = rp_arena_strdup(&fb->arena, t);
    t = rp_store_stmt_column_text(q, 1, NULL);
    if (t) ii->region = rp_arena_strdup(&fb->arena, t);
    t = rp_store_stmt_column_text(q, 2, NULL);
    if (t && *t) ii->arn = rp_arena_strdup(&fb->arena, t);
    size_t len = 0;
    const char *cfg = rp_store_stmt_column_text(q, 3, &len);
    struct rp_json_val c, v;
    bool bad = !cfg || rp_json_parse(fb->jp, cfg, len, &c, &eb);
    rp_store_stmt_reset(q);
    if (bad) return;
    ii->type = cfg_str(fb, c, "instanceType");
    ii->image = cfg_str(fb, c, "imageId");
    ii->key = cfg_str(fb, c, "keyName");
    ii->vpc = cfg_str(fb, c, "vpcId");
    ii->subnet = cfg_str(fb, c, "subnetId");
    ii->launched = cfg_str(fb, c, "launchTime");
    if (!rp_json_obj_get(c, "iamInstanceProfile", &v)) ii->profile = cfg_str(fb, v, "arn");
    const char *ip = cfg_str(fb, c, "privateIpAddress");
    if (ip) ii->ips[ii->nips++] = ip;
    ip = cfg_str(fb, c, "publicIpAddress");
    if (ip) ii->ips[ii->nips++] = ip;
}

/* ---- rendering --------------------------------------------------------------------------- */

static void kv_time(struct rp_json_writer *w, const char *k, int64_t ms)
{
    char t[40];
    if (rp_time_format_iso(ms, t, sizeof t)) return;
    rp_json_write_kv_cstr(w, k, t);
}

static void kv_score(struct rp_json_writer *w, const char *k, double v)
{
    char t[16];
    snprintf(t, sizeof t, "%.1f", v);
    rp_json_write_kv_cstr(w, k, t);
}

static const char *asff_resource_type(const char *t)
{
    if (!strcmp(t, "AWS_EC2_INSTANCE")) return "AwsEc2Instance";
    if (!strcmp(t, "AWS_ECR_CONTAINER_IMAGE")) return "AwsEcrContainerImage";
    if (!strcmp(t, "AWS_LAMBDA_FUNCTION")) return "AwsLambdaFunction";
    return "Other";
}

/* OS packages: "1:9.2p1-2+deb12u2" -> epoch "1", version "9.2p1", release "2+deb12u2". */
static void split_evr(struct rp_vuln_fbuilder *fb, struct rp_vuln_vpkg *p)
{
    if (!p->package_manager || strcmp(p->package_manager, "OS") != 0) return;
    const char *v = p->version, *colon = strchr(v, ':'), *dash = strrchr(v, '-');
    p->epoch = colon ? rp_arena_memdup(&fb->arena, v, (size_t)(colon - v)) : "0";
    const char *up = colon ? colon + 1 : v;
    if (dash && dash > up) {
        p->version = rp_arena_memdup(&fb->arena, up, (size_t)(dash - up));
        p->release = dash + 1;
    } else {
        p->version = up;
    }
}

static void write_pkg(struct rp_json_writer *w, const struct rp_vuln_vpkg *p)
{
    rp_json_write_obj_begin(w);
    rp_json_write_kv_cstr(w, "Name", p->name);
    rp_json_write_kv_cstr(w, "Version", p->version);
    if (p->epoch) rp_json_write_kv_cstr(w, "Epoch", p->epoch);
    if (p->release) rp_json_write_kv_cstr(w, "Release", p->release);
    if (p->arch) rp_json_write_kv_cstr(w, "Architecture", p->arch);
    if (p->package_manager) rp_json_write_kv_cstr(w, "PackageManager", p->package_manager);
    if (p->file_path) rp_json_write_kv_cstr(w, "FilePath", p->file_path);
    if (p->fixed_in) rp_json_write_kv_cstr(w, "FixedInVersion", p->fixed_in);
    if (p->fixed_in) {
        char rem[512];
        snprintf(rem, sizeof rem, "Upgrade %s to version %s or later", p->name, p->fixed_in);
        rp_json_write_kv_cstr(w, "Remediation", rem);
    }
    if (p->source_layer_hash) rp_json_write_kv_cstr(w, "SourceLayerHash", p->source_layer_hash);
    rp_json_write_obj_end(w);
}

static const char *cvss_version(int v)
{
    return v == 31 ? "3.1" : v == 30 ? "3.0" : "2.0";
}

static void write_cvss(struct rp_json_writer *w, const struct rp_vuln_finding *f,
                       const char *vector, int version, const char *source, const char *adj_vector)
{
    rp_json_write_key(w, "Cvss", 4);
    rp_json_write_arr_begin(w);
    rp_json_write_obj_begin(w);
    rp_json_write_kv_cstr(w, "Version", cvss_version(version));
    rp_json_write_kv_double(w, "BaseScore", f->base_score);
    rp_json_write_kv_cstr(w, "BaseVector", vector);
    rp_json_write_kv_cstr(w, "Source", source);
    rp_json_write_obj_end(w);
    if (adj_vector) {
        rp_json_write_obj_begin(w);
        rp_json_write_kv_cstr(w, "Version", cvss_version(version));
        rp_json_write_kv_double(w, "BaseScore", f->inspector_score);
        rp_json_write_kv_cstr(w, "BaseVector", adj_vector);
        rp_json_write_kv_cstr(w, "Source", "INSPECTOR");
        rp_json_write_key(w, "Adjustments", 11);
        rp_json_write_arr_begin(w);
        rp_json_write_obj_begin(w);
        rp_json_write_kv_cstr(w, "Metric", "AV");
        rp_json_write_kv_cstr(w, "Reason", f->score_adjustment);
        rp_json_write_obj_end(w);
        rp_json_write_arr_end(w);
        rp_json_write_obj_end(w);
    }
    rp_json_write_arr_end(w);
}

static void write_instance_details(struct rp_json_writer *w, const struct instinfo *ii)
{
    rp_json_write_key(w, "Details", 7);
    rp_json_write_obj_begin(w);
    rp_json_write_key(w, "AwsEc2Instance", 14);
    rp_json_write_obj_begin(w);
    if (ii->type) rp_json_write_kv_cstr(w, "Type", ii->type);
    if (ii->image) rp_json_write_kv_cstr(w, "ImageId", ii->image);
    if (ii->nips) {
        rp_json_write_key(w, "IpV4Addresses", 13);
        rp_json_write_arr_begin(w);
        for (size_t i = 0; i < ii->nips; i++) rp_json_write_cstr(w, ii->ips[i]);
        rp_json_write_arr_end(w);
    }
    if (ii->key) rp_json_write_kv_cstr(w, "KeyName", ii->key);
    if (ii->profile) rp_json_write_kv_cstr(w, "IamInstanceProfileArn", ii->profile);
    if (ii->vpc) rp_json_write_kv_cstr(w, "VpcId", ii->vpc);
    if (ii->subnet) rp_json_write_kv_cstr(w, "SubnetId", ii->subnet);
    if (ii->launched) rp_json_write_kv_cstr(w, "LaunchedAt", ii->launched);
    rp_json_write_obj_end(w);
    rp_json_write_obj_end(w);
}

static char *joined_names(struct rp_vuln_fbuilder *fb)
{
    /* unique package names in order, ", "-separated (the title Inspector writes) */
    struct rp_buf b;
    rp_buf_init(&b, 4096);
    for (size_t i = 0; i < fb->npkgs; i++) {
        bool seen = false;
        for (size_t k = 0; k < i && !seen; k++) seen = !strcmp(fb->pkgs[k].name, fb->pkgs[i].name);
        if (seen) continue;
        if ((b.len && rp_buf_append_str(&b, ", ")) || rp_buf_append_str(&b, fb->pkgs[i].name))
            break;
    }
    char *s = rp_arena_memdup(&fb->arena, b.data ? b.data : "", b.len);
    rp_buf_release(&b);
    return s;
}

rp_err rp_vuln_fbuilder_emit(struct rp_vuln_fbuilder *fb, rp_vuln_finding_fn fn, void *ctx,
                             struct rp_errbuf *eb)
{
    const struct rp_vuln_scan_opts *o = fb->o;
    const struct rp_vuln_fres *r = fb->res;
    struct advinfo ai;
    memset(&ai, 0, sizeof ai);
    for (size_t i = 0; i < fb->nadvs; i++) read_advisory(fb, fb->advs[i], &ai);
    struct instinfo ii;
    memset(&ii, 0, sizeof ii);
    if (!strcmp(r->type, "AWS_EC2_INSTANCE")) read_instance(fb, r->id, &ii);

    struct rp_vuln_finding f;
    memset(&f, 0, sizeof f);
    f.resource_id = r->id;
    f.resource_type = r->type;
    f.account = r->account   ? r->account
                : ii.account ? ii.account
                : o->account ? o->account
                             : DEFAULT_ACCT;
    f.region = r->region ? r->region : ii.region ? ii.region : o->region ? o->region : DEFAULT_REG;
    f.vulnerability_id = fb->vuln_id;
    f.base_score = -1;
    f.inspector_score = -1;

    /* the advisories, comma-separated */
    struct rp_buf advs;
    rp_buf_init(&advs, 0);
    for (size_t i = 0; i < fb->nadvs; i++)
        if ((i && rp_buf_append_str(&advs, ",")) || rp_buf_append_str(&advs, fb->advs[i])) {
            rp_buf_release(&advs);
            return rp_fail(eb, RP_ENOMEM, "vulns: out of memory");
        }
    f.advisories = rp_arena_memdup(&fb->arena, advs.data ? advs.data : "", advs.len);
    rp_buf_release(&advs);

    /* score, severity, exposure */
    int version = 0;
    const char *adj_vector = NULL;
    char detail[256] = "";
    enum rp_vuln_exposure ex = o->exposure
                                   ? o->exposure(o->exposure_ctx, r->id, detail, sizeof detail)
                                   : RP_VULN_EXPOSURE_UNKNOWN;
    double base = 0;
    struct rp_errbuf ceb = {0};
    if (ai.vector && !rp_cvss_base_score(rp_str_from(ai.vector), &base, &version, &ceb)) {
        f.base_score = base;
        f.inspector_score = base;
        f.severity = rp_cvss_severity(base);
        char adj[256];
        if (ex == RP_VULN_EXPOSURE_NONE &&
            (strstr(ai.vector, "/AV:N/") || rp_str_has_prefix(rp_str_from(ai.vector), "AV:N/")) &&
            !rp_cvss_set_metric(rp_str_from(ai.vector), "AV", "A", adj, sizeof adj) &&
            !rp_cvss_base_score(rp_str_from(adj), &base, &version, &ceb)) {
            adj_vector = rp_arena_strdup(&fb->arena, adj);
            f.inspector_score = base;
            f.score_adjustment = rp_arena_printf(
                &fb->arena,
                "attack vector lowered from NETWORK to ADJACENT_NETWORK: no port of %s is "
                "reachable from the internet",
                r->id);
        }
    } else {
        f.severity = ai.vendor_sev ? ai.vendor_sev : "UNTRIAGED";
    }
    size_t nfixed = 0;
    for (size_t i = 0; i < fb->npkgs; i++) {
        split_evr(fb, &fb->pkgs[i]);
        nfixed += fb->pkgs[i].fixed_in != NULL;
    }
    f.fix_available = nfixed == fb->npkgs ? "YES" : nfixed ? "PARTIAL" : "NO";
    f.pkgs = fb->pkgs;
    f.npkgs = fb->npkgs;

    /* the ASFF document */
    char id[RP_HUB_ID_MAX], rarn[512];
    if (rp_hub_finding_id("inspector", "PACKAGE_VULNERABILITY", r->id, fb->vuln_id, id))
        return rp_fail(eb, RP_ENOMEM, "vulns: out of memory");
    if (ii.arn)
        rp_strlcpy(rarn, ii.arn, sizeof rarn);
    else if (!strcmp(r->type, "AWS_EC2_INSTANCE"))
        snprintf(rarn, sizeof rarn, "arn:aws:ec2:%s:%s:instance/%s", f.region, f.account, r->id);
    else
        rp_strlcpy(rarn, r->id, sizeof rarn);
    int64_t now = o->now_ms ? o->now_ms : rp_time_now_ms();
    const char *names = joined_names(fb);
    const char *asff_label = !strcmp(f.severity, "UNTRIAGED") ? "INFORMATIONAL" : f.severity;

    rp_buf_reset(&fb->out);
    struct rp_json_writer w;
    rp_json_writer_init(&w, &fb->out);
    rp_json_write_obj_begin(&w);
    struct rp_hub_head head = {.id = id,
                               .producer = "inspector",
                               .product_name = "Inspector",
                               .generator_id = "AWSInspector",
                               .type = "Software and Configuration Checks/Vulnerabilities/CVE",
                               .account = f.account,
                               .region = f.region,
                               .now_ms = now,
                               .severity = asff_label,
                               .severity_original = f.severity};
    rp_err e = rp_hub_head_write(&w, &head, eb);
    if (e) return e;
    char *title = rp_arena_printf(&fb->arena, "%s - %s", fb->vuln_id, names);
    rp_json_write_kv_cstr(&w, "Title", title ? title : fb->vuln_id);
    rp_json_write_kv_cstr(&w, "Description",
                          ai.details ? ai.details
                          : ai.title ? ai.title
                                     : fb->vuln_id);
    rp_json_write_key(&w, "Remediation", 11);
    rp_json_write_obj_begin(&w);
    rp_json_write_key(&w, "Recommendation", 14);
    rp_json_write_obj_begin(&w);
    rp_json_write_kv_cstr(&w, "Text",
                          nfixed ? "Upgrade the affected packages to the fixed versions listed"
                                 : "No fixed version is known yet");
    rp_json_write_obj_end(&w);
    rp_json_write_obj_end(&w);

    rp_json_write_key(&w, "ProductFields", 13);
    rp_json_write_obj_begin(&w);
    rp_json_write_kv_cstr(&w, "aws/inspector/ProductVersion", "2");
    rp_json_write_kv_cstr(&w, "aws/inspector/FindingStatus", "ACTIVE");
    rp_json_write_kv_cstr(&w, "aws/inspector/type", "PACKAGE_VULNERABILITY");
    rp_json_write_kv_cstr(&w, "aws/inspector/resourceId", r->id);
    rp_json_write_kv_cstr(&w, "aws/inspector/resourceType", r->type);
    rp_json_write_kv_cstr(&w, "aws/inspector/advisories", f.advisories);
    if (f.inspector_score >= 0) kv_score(&w, "aws/inspector/inspectorScore", f.inspector_score);
    if (ex != RP_VULN_EXPOSURE_UNKNOWN)
        rp_json_write_kv_cstr(&w, "aws/inspector/exposure",
                              ex == RP_VULN_EXPOSURE_INTERNET
                                  ? (detail[0] ? detail : "reachable from the internet")
                                  : "not reachable from the internet");
    rp_json_write_obj_end(&w);

    rp_json_write_key(&w, "Resources", 9);
    rp_json_write_arr_begin(&w);
    rp_json_write_obj_begin(&w);
    rp_json_write_kv_cstr(&w, "Type", asff_resource_type(r->type));
    rp_json_write_kv_cstr(&w, "Id", rarn);
    rp_json_write_kv_cstr(&w, "Partition", "aws");
    rp_json_write_kv_cstr(&w, "Region", f.region);
    if (ii.found) write_instance_details(&w, &ii);
    rp_json_write_obj_end(&w);
    rp_json_write_arr_end(&w);

    rp_json_write_key(&w, "Vulnerabilities", 15);
    rp_json_write_arr_begin(&w);
    rp_json_write_obj_begin(&w);
    rp_json_write_kv_cstr(&w, "Id", fb->vuln_id);
    rp_json_write_key(&w, "VulnerablePackages", 18);
    rp_json_write_arr_begin(&w);
    for (size_t i = 0; i < fb->npkgs; i++) write_pkg(&w, &fb->pkgs[i]);
    rp_json_write_arr_end(&w);
    const char *primary = fb->nadvs ? fb->advs[0] : fb->vuln_id;
    for (size_t i = 0; i < fb->nadvs; i++)
        if (!strcmp(fb->advs[i], fb->vuln_id)) primary = fb->advs[i];
    if (f.base_score >= 0) write_cvss(&w, &f, ai.vector, version, source_of(primary), adj_vector);
    bool related = false;
    for (size_t i = 0; i < fb->nadvs; i++) {
        if (!strcmp(fb->advs[i], fb->vuln_id)) continue;
        if (!related) {
            rp_json_write_key(&w, "RelatedVulnerabilities", 22);
            rp_json_write_arr_begin(&w);
            related = true;
        }
        rp_json_write_cstr(&w, fb->advs[i]);
    }
    if (related) rp_json_write_arr_end(&w);
    rp_json_write_key(&w, "Vendor", 6);
    rp_json_write_obj_begin(&w);
    rp_json_write_kv_cstr(&w, "Name", source_of(primary));
    char url[300];
    snprintf(url, sizeof url, "https://osv.dev/vulnerability/%s", primary);
    rp_json_write_kv_cstr(&w, "Url", url);
    rp_json_write_kv_cstr(&w, "VendorSeverity", ai.vendor_sev ? ai.vendor_sev : f.severity);
    if (ai.published) kv_time(&w, "VendorCreatedAt", ai.published);
    if (ai.modified) kv_time(&w, "VendorUpdatedAt", ai.modified);
    rp_json_write_obj_end(&w);
    if (ai.nrefs) {
        rp_json_write_key(&w, "ReferenceUrls", 13);
        rp_json_write_arr_begin(&w);
        for (size_t i = 0; i < ai.nrefs; i++) rp_json_write_cstr(&w, ai.refs[i]);
        rp_json_write_arr_end(&w);
    }
    rp_json_write_kv_cstr(&w, "FixAvailable", f.fix_available);
    rp_json_write_obj_end(&w);
    rp_json_write_arr_end(&w);

    rp_json_write_kv_cstr(&w, "RecordState", "ACTIVE");
    rp_json_write_key(&w, "Workflow", 8);
    rp_json_write_obj_begin(&w);
    rp_json_write_kv_cstr(&w, "Status", "NEW");
    rp_json_write_obj_end(&w);
    rp_json_write_obj_end(&w);
    e = rp_json_writer_finish(&w);
    if (e)
        return rp_fail(eb, e, "vulns: cannot write the finding of '%s' on '%s'", fb->vuln_id,
                       r->id);
    f.asff = fb->out.data;
    f.asff_len = fb->out.len;
    return fn(&f, ctx, eb);
}
