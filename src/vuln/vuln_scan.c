/* SPDX-License-Identifier: Apache-2.0 */
/* `rampart vulns scan`: inventory -> advisories -> one PACKAGE_VULNERABILITY finding per
 * (resource, vulnerability), as Inspector groups them.
 *
 * The inventory of each path (rp_vuln_inventory) and, on request, the store's SSM inventory
 * configuration items give packages; each package is matched (rp_vuln_match) and every hit is
 * recorded with the resource the package belongs to (an "i-.." directory in its path, an
 * image tar, or the scanned path). Hits are then sorted by (resource, vulnerability id) and
 * each run becomes one finding, rendered by vuln_finding.c. The vulnerability id is the CVE an
 * advisory names (id or alias), so a Debian DSA and a DEBIAN-CVE entry for the same CVE make
 * one finding listing both advisories.
 *
 * Memory: one record per (package, advisory) hit, strings in one arena; nothing per package
 * that does not match. */
#define RP_LOG_MODULE "vuln"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vuln/vuln.h"
#include "vuln/vuln_finding.h"
#include "vuln/vuln_inv_internal.h"
#include "core/rp_arena.h"
#include "core/rp_json.h"
#include "core/rp_time.h"
#include "store/store.h"
#include "core/rp_banned.h"

struct hitrec {
    uint32_t res;         /* index into scan.res */
    const char *res_id;   /* scan.res[res].id, for sorting */
    const char *vuln_id;  /* CVE or advisory id */
    const char *advisory; /* OSV id */
    const char *fixed;    /* or NULL */
    struct rp_vuln_vpkg pkg;
};

struct scan {
    struct rp_arena arena;
    struct rp_arena *a;
    struct rp_store *st;
    const struct rp_vuln_scan_opts *o;
    const char *root; /* the path being scanned */
    struct hitrec *hits;
    size_t nhits, caphits;
    struct rp_vuln_fres *res;
    size_t nres, capres;
    uint32_t last_res; /* cache: packages of one file share a resource */
    const char *last_key;
    const struct rp_vuln_pkg *pkg; /* current package */
    uint32_t pkg_res;
};

static const char *dup(struct scan *s, const char *p)
{
    return p ? rp_arena_strdup(s->a, p) : NULL;
}

static bool all_hex(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'a' && p[i] <= 'f'))) return false;
    return true;
}

static bool is_instance_id(struct rp_str c)
{
    return (c.len == 10 || c.len == 19) && c.p[0] == 'i' && c.p[1] == '-' &&
           all_hex(c.p + 2, c.len - 2);
}

static bool is_account(struct rp_str c)
{
    if (c.len != 12) return false;
    for (size_t i = 0; i < c.len; i++)
        if (c.p[i] < '0' || c.p[i] > '9') return false;
    return true;
}

/* "us-east-1", "eu-central-2", "us-gov-west-1", "ap-southeast-3" */
static bool is_region(struct rp_str c)
{
    if (c.len < 9 || c.len > 16) return false;
    if (!(c.p[0] >= 'a' && c.p[0] <= 'z' && c.p[1] >= 'a' && c.p[1] <= 'z' && c.p[2] == '-'))
        return false;
    char last = c.p[c.len - 1];
    return last >= '1' && last <= '9' && c.p[c.len - 2] == '-';
}

/* The resource a package found at path (under root) belongs to. */
static void resource_of(struct scan *s, const struct rp_vuln_pkg *p, struct rp_vuln_fres *r)
{
    const struct rp_vuln_scan_opts *o = s->o;
    memset(r, 0, sizeof(*r));
    if (o->resource_id) {
        r->id = o->resource_id;
        r->type = o->resource_type ? o->resource_type : "AWS_EC2_INSTANCE";
        return;
    }
    if (p->source_layer_hash) {
        /* "dir/app.tar:/var/lib/dpkg/status": the image is the tar */
        const char *sep = p->file_path ? strstr(p->file_path, ":/") : NULL;
        r->id = sep ? rp_arena_memdup(s->a, p->file_path, (size_t)(sep - p->file_path)) : s->root;
        r->type = "AWS_ECR_CONTAINER_IMAGE";
        return;
    }
    /* .../<account>/<region>/<i-..>/var/lib/dpkg/status (the simulator's and the agent's
     * layout), or any path with an instance id directory */
    struct rp_str rest = rp_str_from(p->file_path ? p->file_path : ""), c, prev = {0}, prev2 = {0};
    while (rp_str_split_next(&rest, '/', &c)) {
        if (is_instance_id(c)) {
            r->id = rp_arena_memdup(s->a, c.p, c.len);
            r->type = "AWS_EC2_INSTANCE";
            if (is_region(prev)) r->region = rp_arena_memdup(s->a, prev.p, prev.len);
            if (is_region(prev) && is_account(prev2))
                r->account = rp_arena_memdup(s->a, prev2.p, prev2.len);
            return;
        }
        prev2 = prev;
        prev = c;
    }
    r->id = s->root;
    r->type = o->resource_type ? o->resource_type : "CODE_REPOSITORY";
}

static rp_err res_add(struct scan *s, const struct rp_vuln_fres *r, uint32_t *idx)
{
    if (s->last_key && strcmp(s->last_key, r->id) == 0) {
        *idx = s->last_res;
        return RP_OK;
    }
    for (size_t i = 0; i < s->nres; i++)
        if (strcmp(s->res[i].id, r->id) == 0) {
            *idx = (uint32_t)i;
            s->last_res = *idx;
            s->last_key = s->res[i].id;
            return RP_OK;
        }
    if (s->nres == s->capres) {
        size_t cap = s->capres ? 2 * s->capres : 16;
        struct rp_vuln_fres *n = realloc(s->res, cap * sizeof(*n));
        if (!n) return RP_ENOMEM;
        s->res = n;
        s->capres = cap;
    }
    struct rp_vuln_fres *d = &s->res[s->nres];
    *d = *r;
    d->id = dup(s, r->id);
    if (!d->id) return RP_ENOMEM;
    *idx = (uint32_t)s->nres++;
    s->last_res = *idx;
    s->last_key = d->id;
    return RP_OK;
}

/* The first CVE id in a JSON array of aliases, copied into the arena; NULL when none. */
static const char *cve_of(struct scan *s, const char *id, const char *aliases)
{
    if (rp_str_has_prefix(rp_str_from(id), "CVE-")) return dup(s, id);
    const char *q = aliases ? strstr(aliases, "\"CVE-") : NULL;
    if (!q) return dup(s, id);
    q++;
    const char *end = strchr(q, '"');
    return end ? rp_arena_memdup(s->a, q, (size_t)(end - q)) : dup(s, id);
}

static rp_err on_hit(const struct rp_vuln_hit *h, void *arg, struct rp_errbuf *eb)
{
    struct scan *s = arg;
    const struct rp_vuln_pkg *p = s->pkg;
    if (s->nhits == s->caphits) {
        size_t cap = s->caphits ? 2 * s->caphits : 64;
        struct hitrec *n = realloc(s->hits, cap * sizeof(*n));
        if (!n) return rp_fail(eb, RP_ENOMEM, "vulns: out of memory");
        s->hits = n;
        s->caphits = cap;
    }
    struct hitrec *r = &s->hits[s->nhits];
    memset(r, 0, sizeof(*r));
    r->res = s->pkg_res;
    r->res_id = s->res[s->pkg_res].id;
    r->vuln_id = cve_of(s, h->id, h->aliases);
    r->advisory = dup(s, h->id);
    r->fixed = dup(s, h->fixed);
    r->pkg.name = dup(s, p->name);
    r->pkg.version = dup(s, p->version);
    r->pkg.arch = dup(s, p->arch);
    r->pkg.package_manager = dup(s, p->package_manager);
    r->pkg.file_path = dup(s, p->file_path);
    r->pkg.source_layer_hash = dup(s, p->source_layer_hash);
    r->pkg.fixed_in = r->fixed;
    if (!r->vuln_id || !r->advisory || !r->pkg.name || !r->pkg.version)
        return rp_fail(eb, RP_ENOMEM, "vulns: out of memory");
    s->nhits++;
    return RP_OK;
}

static rp_err on_pkg(const struct rp_vuln_pkg *p, void *arg, struct rp_errbuf *eb)
{
    struct scan *s = arg;
    if (!p->ecosystem || !*p->ecosystem || !p->version) return RP_OK;
    struct rp_vuln_fres r;
    resource_of(s, p, &r);
    if (res_add(s, &r, &s->pkg_res)) return rp_fail(eb, RP_ENOMEM, "vulns: out of memory");
    s->pkg = p;
    const char *name = p->match_name ? p->match_name : p->name;
    return rp_vuln_match(s->st, rp_str_from(p->ecosystem), rp_str_from(name),
                         rp_str_from(p->version), on_hit, s, eb);
}

static int cmp_str(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "");
}

static int cmp_hit(const void *va, const void *vb)
{
    const struct hitrec *a = va, *b = vb;
    int c = strcmp(a->res_id, b->res_id);
    if (!c) c = strcmp(a->vuln_id, b->vuln_id);
    if (!c) c = strcmp(a->pkg.name, b->pkg.name);
    if (!c) c = strcmp(a->pkg.version, b->pkg.version);
    if (!c) c = cmp_str(a->pkg.file_path, b->pkg.file_path);
    if (!c) c = strcmp(a->advisory, b->advisory);
    return c;
}

/* ---- SSM inventory (AWS::SSM::ManagedInstanceInventory configuration items) ------------- */

/* An os-release text for the platform SSM reports, so the OS's ecosystem is named the same
 * way as from a file system ("Ubuntu" "22.04" -> "Ubuntu:22.04:LTS"). */
static bool ssm_ecosystem(struct rp_str name, struct rp_str version, char *out, size_t n)
{
    static const struct {
        const char *word, *id;
    } ids[] = {{"Ubuntu", "ubuntu"},       {"Debian", "debian"}, {"Alpine", "alpine"},
               {"Amazon Linux", "amzn"},   {"Red Hat", "rhel"},  {"Rocky", "rocky"},
               {"AlmaLinux", "almalinux"}, {"SUSE", "sles"},     {"CentOS", "centos"}};
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        size_t wl = strlen(ids[i].word);
        for (size_t k = 0; k + wl <= name.len; k++)
            if (memcmp(name.p + k, ids[i].word, wl) == 0) {
                char osr[160];
                int m = snprintf(osr, sizeof osr, "ID=%s\nVERSION_ID=\"%.*s\"\n", ids[i].id,
                                 (int)(version.len < 40 ? version.len : 40), version.p);
                if (m < 0 || (size_t)m >= sizeof osr) return false;
                return rp_vuln_os_release(osr, (size_t)m, out, n) == RP_OK;
            }
    }
    return false;
}

/* Member key of o when it is a string, else the empty string. */
static struct rp_str opt_str(struct rp_json_val o, const char *key)
{
    struct rp_str v = {0};
    if (rp_json_obj_get_str(o, key, &v)) v = (struct rp_str){0};
    return v;
}

/* Content is an object keyed by name or id (current Config) or an array (older items). */
static bool content_next(struct rp_json_iter *it, bool obj, struct rp_json_val *v)
{
    struct rp_str k;
    return obj ? rp_json_obj_next(it, &k, v) : rp_json_arr_next(it, v);
}

static rp_err ssm_item(struct scan *s, struct rp_json_val cfg, const char *iid, const char *acct,
                       const char *region, const char *where, struct rp_errbuf *eb)
{
    char eco[64] = "";
    struct rp_json_val info, content, app, v;
    struct rp_str pn = {0}, pv = {0};
    if (!rp_json_obj_get(cfg, "AWS:InstanceInformation", &info) &&
        !rp_json_obj_get(info, "Content", &content)) {
        struct rp_json_iter it;
        bool obj = rp_json_type(content) == RP_JSON_OBJECT;
        if (!(obj ? rp_json_obj_iter(content, &it) : rp_json_arr_iter(content, &it)))
            if (content_next(&it, obj, &v)) {
                pn = opt_str(v, "PlatformName");
                pv = opt_str(v, "PlatformVersion");
            }
    }
    if (!ssm_ecosystem(pn, pv, eco, sizeof eco)) return RP_OK; /* not an OS OSV covers */
    if (rp_json_obj_get(cfg, "AWS:Application", &app) || rp_json_obj_get(app, "Content", &content))
        return RP_OK;
    struct rp_vuln_fres r = {
        .id = iid, .type = "AWS_EC2_INSTANCE", .account = acct, .region = region};
    if (res_add(s, &r, &s->pkg_res)) return rp_fail(eb, RP_ENOMEM, "vulns: out of memory");
    struct rp_json_iter it;
    bool obj = rp_json_type(content) == RP_JSON_OBJECT;
    if (obj ? rp_json_obj_iter(content, &it) : rp_json_arr_iter(content, &it)) return RP_OK;
    while (content_next(&it, obj, &v)) {
        struct rp_str name = opt_str(v, "Name"), ver = opt_str(v, "Version");
        struct rp_str rel = opt_str(v, "Release"), ep = opt_str(v, "Epoch");
        struct rp_str arch = opt_str(v, "Architecture");
        if (!name.len || !ver.len) continue;
        char nm[256], full[256], ar[64];
        bool epoch = ep.len && !rp_str_eq_cstr(ep, "0");
        int m = snprintf(full, sizeof full, "%.*s%s%.*s%s%.*s", epoch ? (int)ep.len : 0,
                         epoch ? ep.p : "", epoch ? ":" : "", (int)ver.len, ver.p,
                         rel.len ? "-" : "", (int)rel.len, rel.len ? rel.p : "");
        if (m < 0 || (size_t)m >= sizeof full || !rp_vuln_inv_cstr(nm, sizeof nm, name)) continue;
        (void)rp_vuln_inv_cstr(ar, sizeof ar, arch);
        struct rp_vuln_pkg p = {.ecosystem = eco,
                                .name = nm,
                                .version = full,
                                .arch = ar[0] ? ar : NULL,
                                .package_manager = "OS",
                                .file_path = where};
        s->pkg = &p;
        rp_err e = rp_vuln_match(s->st, rp_str_from(eco), rp_str_from(nm), rp_str_from(full),
                                 on_hit, s, eb);
        if (e) return e;
    }
    return RP_OK;
}

static rp_err ssm_scan(struct scan *s, rp_vuln_warn_fn warn, void *wctx,
                       struct rp_vuln_inventory_summary *sum, struct rp_errbuf *eb)
{
    struct rp_store_stmt *q = NULL;
    rp_err e = rp_store_stmt_prepare(
        s->st,
        "SELECT resourceId, rp_account, rp_region, configuration FROM config_resources "
        "WHERE resourceType = 'AWS::SSM::ManagedInstanceInventory' AND configurationItemStatus "
        "NOT IN ('ResourceDeleted', 'ResourceDeletedNotRecorded') ORDER BY resourceId",
        &q, eb);
    if (e) return e;
    struct rp_json_parser *jp = rp_json_parser_new();
    if (!jp) {
        rp_store_stmt_reset(q);
        return rp_fail(eb, RP_ENOMEM, "vulns: out of memory");
    }
    bool row = false;
    while (!(e = rp_store_stmt_step(q, &row, eb)) && row) {
        size_t len = 0;
        const char *iid = rp_store_stmt_column_text(q, 0, NULL);
        const char *acct = rp_store_stmt_column_text(q, 1, NULL);
        const char *region = rp_store_stmt_column_text(q, 2, NULL);
        const char *cfg = rp_store_stmt_column_text(q, 3, &len);
        if (!iid || !cfg) continue;
        char where[160];
        snprintf(where, sizeof where, "AWS::SSM::ManagedInstanceInventory/%s", iid);
        sum->files_seen++;
        struct rp_json_val root;
        struct rp_errbuf jeb = {0};
        if (rp_json_parse(jp, cfg, len, &root, &jeb) || rp_json_type(root) != RP_JSON_OBJECT) {
            char msg[400];
            snprintf(msg, sizeof msg, "%s: configuration is not a JSON object", where);
            if (warn) warn(wctx, msg);
            sum->failed++;
            continue;
        }
        sum->files_read++;
        e = ssm_item(s, root, dup(s, iid), dup(s, acct), dup(s, region), where, eb);
        if (e) break;
    }
    rp_store_stmt_reset(q);
    rp_json_parser_free(jp);
    return e;
}

/* ---- the scan ---------------------------------------------------------------------------- */

static rp_err emit_all(struct scan *s, rp_vuln_finding_fn fn, void *ctx, struct rp_errbuf *eb)
{
    if (s->nhits) qsort(s->hits, s->nhits, sizeof(s->hits[0]), cmp_hit);
    struct rp_vuln_fbuilder *fb = NULL;
    rp_err e = rp_vuln_fbuilder_new(s->st, s->o, &fb, eb);
    if (e) return e;
    for (size_t i = 0; i < s->nhits && !e;) {
        size_t j = i + 1;
        while (j < s->nhits && s->hits[j].res == s->hits[i].res &&
               strcmp(s->hits[j].vuln_id, s->hits[i].vuln_id) == 0)
            j++;
        rp_vuln_fbuilder_reset(fb, &s->res[s->hits[i].res], s->hits[i].vuln_id);
        for (size_t k = i; k < j && !e; k++)
            e = rp_vuln_fbuilder_add(fb, &s->hits[k].pkg, s->hits[k].advisory, eb);
        if (!e) e = rp_vuln_fbuilder_emit(fb, fn, ctx, eb);
        i = j;
    }
    rp_vuln_fbuilder_free(fb);
    for (size_t i = 0; !e && s->o->on_resource && i < s->nres; i++)
        e = s->o->on_resource(s->o->resource_ctx, s->res[i].id, s->res[i].type, eb);
    return e;
}

rp_err rp_vuln_scan(struct rp_store *st, const char *const *paths, size_t npaths,
                    const struct rp_vuln_scan_opts *o, rp_vuln_finding_fn fn, void *ctx,
                    rp_vuln_warn_fn warn, void *warn_ctx, struct rp_vuln_inventory_summary *sum,
                    struct rp_errbuf *eb)
{
    memset(sum, 0, sizeof(*sum));
    struct scan s = {0};
    s.st = st;
    s.o = o;
    rp_arena_init(&s.arena, 0);
    s.a = &s.arena;
    rp_err e = RP_OK;
    for (size_t i = 0; i < npaths && !e; i++) {
        struct rp_vuln_inventory_summary one;
        s.root = dup(&s, paths[i]);
        s.last_key = NULL;
        e = rp_vuln_inventory(&paths[i], 1, on_pkg, &s, warn, warn_ctx, &one, eb);
        sum->files_seen += one.files_seen;
        sum->files_read += one.files_read;
        sum->packages += one.packages;
        sum->failed += one.failed;
    }
    if (!e && o->ssm_inventory) e = ssm_scan(&s, warn, warn_ctx, sum, eb);
    if (!e) e = emit_all(&s, fn, ctx, eb);
    free(s.hits);
    free(s.res);
    rp_arena_release(&s.arena);
    return e;
}
