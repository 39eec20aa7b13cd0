/* SPDX-License-Identifier: Apache-2.0 */
/* Inspector over the store, shared by `vulns scan`, `reach` and the demo (cmd_inspector.h):
 * the network model of the configuration items and each resource's internet exposure, looked
 * up by binary search when package findings are scored. */
#define RP_LOG_MODULE "cmd"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd_inspector.h"
#include "core/rp_buf.h"
#include "core/rp_gz.h"
#include "core/rp_json.h"
#include "core/rp_time.h"
#include "hub/hub.h"
#include "store/store.h"
#include "core/rp_banned.h"

/* The exposures come in resource order; keep the first of each resource. */
static rp_err on_exposure(const struct rp_netreach_exposure *x, void *arg, struct rp_errbuf *eb)
{
    struct rp_cmd_inspector *c = arg;
    if (c->nex && strcmp(c->ex[c->nex - 1].id, x->resource_id) == 0) return RP_OK;
    if (c->nex == c->capex) {
        size_t cap = c->capex ? 2 * c->capex : 64;
        struct rp_cmd_exposed *n = realloc(c->ex, cap * sizeof(*n));
        if (!n) return rp_fail(eb, RP_ENOMEM, "out of memory");
        c->ex = n;
        c->capex = cap;
    }
    struct rp_cmd_exposed *d = &c->ex[c->nex];
    d->id = strdup(x->resource_id);
    if (!d->id) return rp_fail(eb, RP_ENOMEM, "out of memory");
    const char *proto = x->protocol == 17 ? "udp" : "tcp";
    if (x->port_begin == x->port_end)
        snprintf(d->detail, sizeof d->detail, "%s/%u from the internet through %s", proto,
                 (unsigned)x->port_begin, x->origin_id ? x->origin_id : "-");
    else
        snprintf(d->detail, sizeof d->detail, "%s/%u-%u from the internet through %s", proto,
                 (unsigned)x->port_begin, (unsigned)x->port_end, x->origin_id ? x->origin_id : "-");
    c->nex++;
    return RP_OK;
}

static int cmp_exposed(const void *a, const void *b)
{
    return strcmp(((const struct rp_cmd_exposed *)a)->id, ((const struct rp_cmd_exposed *)b)->id);
}

static void warn_item(void *ctx, const char *msg)
{
    fprintf(stderr, "rampart: %s: %s\n", (const char *)ctx, msg);
}

rp_err rp_cmd_inspector_load(struct rp_cmd_inspector *x, struct rp_store *st, const char *verb,
                             struct rp_errbuf *eb)
{
    memset(x, 0, sizeof(*x));
    x->st = st;
    rp_err e = rp_netreach_model_new(&x->model);
    if (e) return rp_fail(eb, e, "out of memory");
    e = rp_netreach_model_load(x->model, st, warn_item, (void *)verb, &x->bad_items, eb);
    if (!e) e = rp_netreach_model_finish(x->model, eb);
    if (!e) {
        struct rp_netreach_stats ns;
        rp_netreach_model_stats(x->model, &ns);
        x->have_network = ns.instances > 0;
    }
    if (!e && x->have_network)
        e = rp_netreach_compute(x->model, RP_NETREACH_INTERNET, on_exposure, x, eb);
    if (!e && x->nex) qsort(x->ex, x->nex, sizeof(x->ex[0]), cmp_exposed);
    return e;
}

void rp_cmd_inspector_release(struct rp_cmd_inspector *x)
{
    for (size_t i = 0; i < x->nex; i++) free(x->ex[i].id);
    free(x->ex);
    rp_netreach_model_free(x->model);
    memset(x, 0, sizeof(*x));
}

static bool instance_known(struct rp_store *st, const char *id)
{
    struct rp_store_stmt *q = NULL;
    struct rp_errbuf eb = {0};
    bool row = false;
    if (rp_store_stmt_prepare(st,
                              "SELECT 1 FROM config_resources WHERE resourceType = "
                              "'AWS::EC2::Instance' AND resourceId = ?1 LIMIT 1",
                              &q, &eb) ||
        rp_store_stmt_bind_cstr(q, 1, id, &eb) || rp_store_stmt_step(q, &row, &eb))
        return false;
    rp_store_stmt_reset(q);
    return row;
}

enum rp_vuln_exposure rp_cmd_inspector_exposure(void *arg, const char *id, char *detail, size_t n)
{
    struct rp_cmd_inspector *c = arg;
    if (!c->have_network) return RP_VULN_EXPOSURE_UNKNOWN;
    struct rp_cmd_exposed key = {.id = (char *)id};
    const struct rp_cmd_exposed *x =
        c->nex ? bsearch(&key, c->ex, c->nex, sizeof(c->ex[0]), cmp_exposed) : NULL;
    if (x) {
        rp_strlcpy(detail, x->detail, n);
        return RP_VULN_EXPOSURE_INTERNET;
    }
    return instance_known(c->st, id) ? RP_VULN_EXPOSURE_NONE : RP_VULN_EXPOSURE_UNKNOWN;
}

/* ---- Inspector over a simulated estate ------------------------------------------------------ */

/* A list of strings we own: "instance\tadvisory" pairs, sorted for merging, or documents. */
struct pairs {
    char **v;
    size_t n, cap;
};

static rp_err strs_add(struct pairs *p, const char *str, size_t len)
{
    if (p->n == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 256;
        char **n = realloc(p->v, cap * sizeof(*n));
        if (!n) return RP_ENOMEM;
        p->v = n;
        p->cap = cap;
    }
    char *c = malloc(len + 1);
    if (!c) return RP_ENOMEM;
    memcpy(c, str, len);
    c[len] = 0;
    p->v[p->n++] = c;
    return RP_OK;
}

static rp_err pair_add(struct pairs *p, const char *inst, size_t ilen, const char *adv, size_t alen)
{
    char *buf = malloc(ilen + alen + 1);
    if (!buf) return RP_ENOMEM;
    memcpy(buf, inst, ilen);
    buf[ilen] = '\t';
    memcpy(buf + ilen + 1, adv, alen);
    rp_err e = strs_add(p, buf, ilen + 1 + alen);
    free(buf);
    return e;
}

static int cmp_pstr(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void pairs_sort(struct pairs *p)
{
    if (p->n) qsort(p->v, p->n, sizeof(p->v[0]), cmp_pstr);
    size_t o = 0; /* drop repeats */
    for (size_t i = 0; i < p->n; i++) {
        if (o && strcmp(p->v[o - 1], p->v[i]) == 0) {
            free(p->v[i]);
            continue;
        }
        p->v[o++] = p->v[i];
    }
    p->n = o;
}

static void pairs_free(struct pairs *p)
{
    for (size_t i = 0; i < p->n; i++) free(p->v[i]);
    free(p->v);
}

struct estate {
    struct rp_cmd_inspector *x;
    struct rp_hub_importer *im;
    struct rp_json_parser *jp;
    struct rp_cmd_inspector_totals *t;
    struct pairs found;
    const char *last_resource;
    size_t item;
};

static rp_err on_estate_finding(const struct rp_vuln_finding *f, void *ctx, struct rp_errbuf *eb)
{
    struct estate *es = ctx;
    struct rp_cmd_inspector_totals *t = es->t;
    t->findings++;
    if (!es->last_resource || strcmp(es->last_resource, f->resource_id) != 0) t->resources++;
    es->last_resource = f->resource_id; /* borrowed, compared before the next call only */
    if (f->score_adjustment) t->lowered++;
    for (size_t i = 0; i < t->nwatch; i++) {
        struct rp_cmd_inspector_watch *w = &t->watch[i];
        if (w->instance && w->cve && !strcmp(w->instance, f->resource_id) &&
            !strcmp(w->cve, f->vulnerability_id)) {
            w->found = true;
            w->base = f->base_score;
            w->score = f->inspector_score;
        }
    }
    /* the (instance, advisory) pairs of the finding */
    const char *a = f->advisories;
    while (a && *a) {
        const char *end = strchr(a, ',');
        size_t len = end ? (size_t)(end - a) : strlen(a);
        if (pair_add(&es->found, f->resource_id, strlen(f->resource_id), a, len))
            return rp_fail(eb, RP_ENOMEM, "out of memory");
        a = end ? end + 1 : NULL;
    }
    struct rp_json_val doc;
    rp_err e = rp_json_parse(es->jp, f->asff, f->asff_len, &doc, eb);
    if (!e) e = rp_hub_import_finding(es->im, doc, "inspector", es->item++, NULL, eb);
    return e;
}

/* The vulnerable pairs side-truth/packages.jsonl expects. */
static rp_err expected_pairs(const char *input, struct rp_json_parser *jp, struct pairs *p,
                             struct rp_errbuf *eb)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/side-truth/packages.jsonl", input);
    struct rp_buf b;
    rp_buf_init(&b, 256u << 20);
    rp_err e = rp_gz_read_file(path, NULL, &b, eb);
    if (e) {
        rp_buf_release(&b);
        return e;
    }
    struct rp_json_lines jl;
    rp_json_lines_init(&jl, b.data ? b.data : "", b.len, b.data != NULL);
    struct rp_json_val o;
    while ((e = rp_json_lines_next(&jl, jp, &o, eb)) == RP_OK && rp_json_type(o)) {
        struct rp_str inst = {0}, adv = {0}, ex = {0};
        if (rp_json_obj_get_str(o, "instance", &inst) || rp_json_obj_get_str(o, "advisory", &adv) ||
            rp_json_obj_get_str(o, "expect", &ex) || !rp_str_eq_cstr(ex, "vulnerable"))
            continue;
        if (pair_add(p, inst.p, inst.len, adv.p, adv.len)) {
            e = rp_fail(eb, RP_ENOMEM, "out of memory");
            break;
        }
    }
    if (e == RP_ENOENT) e = RP_OK; /* the end of the lines */
    rp_buf_release(&b);
    return e;
}

rp_err rp_cmd_inspector_estate(struct rp_store *st, const char *input, int64_t now_ms,
                               struct rp_cmd_inspector_totals *t, struct rp_errbuf *eb)
{
    char adv[4096], inv[4096];
    snprintf(adv, sizeof adv, "%s/advisories", input);
    snprintf(inv, sizeof inv, "%s/inventory", input);
    const char *advp[] = {adv}, *invp[] = {inv};
    struct rp_vuln_import_summary is;
    rp_err e = rp_vuln_db_import(st, advp, 1, &is, eb);
    if (e) return e;
    t->advisories = is.advisories;

    struct rp_cmd_inspector x;
    struct estate es = {.x = &x, .t = t};
    struct pairs expected = {0};
    e = rp_cmd_inspector_load(&x, st, "demo", eb);
    for (size_t i = 0; !e && i < t->nwatch; i++) {
        struct rp_cmd_inspector_watch *w = &t->watch[i];
        w->internet = rp_cmd_inspector_exposure(&x, w->instance, w->detail, sizeof w->detail) ==
                      RP_VULN_EXPOSURE_INTERNET;
    }
    struct rp_hub_import_opts io;
    rp_hub_import_opts_init(&io);
    io.format = "asff";
    io.now_ms = now_ms;
    if (!e) e = rp_hub_importer_new(st, &io, &es.im, eb);
    if (!e) e = rp_netreach_findings_import(x.model, es.im, now_ms, &t->reach_findings, eb);
    if (!e && !(es.jp = rp_json_parser_new())) e = rp_fail(eb, RP_ENOMEM, "out of memory");
    struct rp_vuln_scan_opts o = {
        .exposure = rp_cmd_inspector_exposure, .exposure_ctx = &x, .now_ms = now_ms};
    struct rp_vuln_inventory_summary sum = {0};
    if (!e) e = rp_vuln_scan(st, invp, 1, &o, on_estate_finding, &es, NULL, NULL, &sum, eb);
    t->files = sum.files_read;
    t->packages = sum.packages;
    if (!e) {
        e = rp_hub_importer_finish(es.im, eb);
        es.im = NULL;
    }
    if (!e) e = expected_pairs(input, es.jp, &expected, eb);
    if (!e) {
        pairs_sort(&expected);
        pairs_sort(&es.found);
        t->expected = (int64_t)expected.n;
        size_t i = 0, j = 0;
        while (i < expected.n && j < es.found.n) {
            int c = strcmp(expected.v[i], es.found.v[j]);
            if (c == 0) t->tp++;
            if (c <= 0) i++;
            if (c >= 0) j++;
        }
        t->fp = (int64_t)es.found.n - t->tp;
    }
    rp_hub_importer_free(es.im);
    rp_json_parser_free(es.jp);
    pairs_free(&expected);
    pairs_free(&es.found);
    rp_cmd_inspector_release(&x);
    return e;
}

/* ---- closing what a run no longer sees ------------------------------------------------------ */

struct stale {
    const char *const *resources; /* sorted */
    size_t nresources;
    struct rp_json_parser *jp;
    struct pairs docs; /* the documents to close */
    rp_err err;
};

static int cmp_cstr(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static rp_err on_stale(void *ctx, const char *doc, size_t len)
{
    struct stale *s = ctx;
    struct rp_json_val f, pf;
    struct rp_str id = {0};
    struct rp_errbuf eb = {0};
    if (rp_json_parse(s->jp, doc, len, &f, &eb) || rp_json_obj_get(f, "ProductFields", &pf) ||
        rp_json_obj_get_str(pf, "aws/inspector/resourceId", &id))
        return RP_OK;
    if (s->resources) {
        const char *key = id.p;
        if (!bsearch(&key, s->resources, s->nresources, sizeof(s->resources[0]), cmp_cstr))
            return RP_OK;
    }
    return strs_add(&s->docs, doc, len) ? RP_ENOMEM : RP_OK;
}

/* doc with RecordState ARCHIVED, UpdatedAt now and FindingStatus CLOSED, into w. */
static void write_closed(struct rp_json_writer *w, struct rp_json_val f, const char *now)
{
    struct rp_json_iter it, pit;
    struct rp_str k, pk;
    struct rp_json_val v, pv;
    rp_json_write_obj_begin(w);
    if (rp_json_obj_iter(f, &it) == RP_OK)
        while (rp_json_obj_next(&it, &k, &v)) {
            rp_json_write_key(w, k.p, k.len);
            if (rp_str_eq_cstr(k, "RecordState")) {
                rp_json_write_cstr(w, "ARCHIVED");
            } else if (rp_str_eq_cstr(k, "UpdatedAt")) {
                rp_json_write_cstr(w, now);
            } else if (rp_str_eq_cstr(k, "ProductFields") && rp_json_obj_iter(v, &pit) == RP_OK) {
                rp_json_write_obj_begin(w);
                while (rp_json_obj_next(&pit, &pk, &pv)) {
                    rp_json_write_key(w, pk.p, pk.len);
                    if (rp_str_eq_cstr(pk, "aws/inspector/FindingStatus"))
                        rp_json_write_cstr(w, "CLOSED");
                    else
                        rp_json_write_val(w, pv);
                }
                rp_json_write_obj_end(w);
            } else {
                rp_json_write_val(w, v);
            }
        }
    rp_json_write_obj_end(w);
}

rp_err rp_cmd_inspector_close_stale(struct rp_store *st, const char *type,
                                    const char *const *resources, size_t nresources, int64_t now_ms,
                                    size_t *closed, struct rp_errbuf *eb)
{
    if (closed) *closed = 0;
    struct stale s = {.nresources = nresources};
    const char **sorted = NULL;
    if (resources) {
        sorted = malloc((nresources ? nresources : 1) * sizeof(*sorted));
        if (!sorted) return rp_fail(eb, RP_ENOMEM, "out of memory");
        memcpy(sorted, resources, nresources * sizeof(*sorted));
        qsort(sorted, nresources, sizeof(*sorted), cmp_cstr);
        s.resources = sorted;
    }
    char before[40], now[40];
    if (rp_time_format_iso(now_ms - 1, before, sizeof before) ||
        rp_time_format_iso(now_ms, now, sizeof now)) {
        free(sorted);
        return rp_fail(eb, RP_EINVAL, "bad time");
    }
    /* GetFindings filters: Inspector's ACTIVE findings of type, last seen before this run */
    struct rp_buf fb;
    rp_buf_init(&fb, 0);
    struct rp_json_writer w;
    rp_json_writer_init(&w, &fb);
    rp_json_write_obj_begin(&w);
    const char *eq[][2] = {{"ProductName", "Inspector"}, {"RecordState", "ACTIVE"}};
    for (size_t i = 0; i < 2; i++) {
        rp_json_write_key(&w, eq[i][0], strlen(eq[i][0]));
        rp_json_write_arr_begin(&w);
        rp_json_write_obj_begin(&w);
        rp_json_write_kv_cstr(&w, "Value", eq[i][1]);
        rp_json_write_kv_cstr(&w, "Comparison", "EQUALS");
        rp_json_write_obj_end(&w);
        rp_json_write_arr_end(&w);
    }
    rp_json_write_key(&w, "ProductFields", 13);
    rp_json_write_arr_begin(&w);
    rp_json_write_obj_begin(&w);
    rp_json_write_kv_cstr(&w, "Key", "aws/inspector/type");
    rp_json_write_kv_cstr(&w, "Value", type);
    rp_json_write_kv_cstr(&w, "Comparison", "EQUALS");
    rp_json_write_obj_end(&w);
    rp_json_write_arr_end(&w);
    rp_json_write_key(&w, "LastObservedAt", 14);
    rp_json_write_arr_begin(&w);
    rp_json_write_obj_begin(&w);
    rp_json_write_kv_cstr(&w, "End", before);
    rp_json_write_obj_end(&w);
    rp_json_write_arr_end(&w);
    rp_json_write_obj_end(&w);
    rp_err e = rp_json_writer_finish(&w);
    if (e) e = rp_fail(eb, e, "out of memory");

    struct rp_hub_filter *filter = NULL;
    struct rp_json_parser *fp = NULL;
    struct rp_json_val fv;
    if (!e && !(fp = rp_json_parser_new())) e = rp_fail(eb, RP_ENOMEM, "out of memory");
    if (!e) e = rp_json_parse(fp, fb.data, fb.len, &fv, eb);
    if (!e) e = rp_hub_filter_new(&filter);
    if (!e) e = rp_hub_filter_add_json(filter, fv, now_ms, eb);
    if (!e && !(s.jp = rp_json_parser_new())) e = rp_fail(eb, RP_ENOMEM, "out of memory");
    struct rp_hub_query q = {.filter = filter};
    if (!e) e = rp_hub_findings_get(st, &q, on_stale, &s, NULL, eb);

    /* then archive them (not from inside the query: its statements are shared) */
    struct rp_hub_importer *im = NULL;
    struct rp_hub_import_opts io;
    rp_hub_import_opts_init(&io);
    io.format = "asff";
    io.now_ms = now_ms;
    if (!e && s.docs.n) e = rp_hub_importer_new(st, &io, &im, eb);
    struct rp_buf out;
    rp_buf_init(&out, 0);
    for (size_t i = 0; !e && i < s.docs.n; i++) {
        struct rp_json_val f, g;
        e = rp_json_parse(s.jp, s.docs.v[i], strlen(s.docs.v[i]), &f, eb);
        rp_buf_reset(&out);
        rp_json_writer_init(&w, &out);
        if (!e) write_closed(&w, f, now);
        if (!e && (e = rp_json_writer_finish(&w))) e = rp_fail(eb, e, "out of memory");
        if (!e) e = rp_json_parse(fp, out.data, out.len, &g, eb);
        if (!e) e = rp_hub_import_finding(im, g, "close", i, NULL, eb);
        if (!e && closed) (*closed)++;
    }
    if (im) {
        if (!e)
            e = rp_hub_importer_finish(im, eb);
        else
            rp_hub_importer_free(im);
    }
    rp_buf_release(&out);
    rp_buf_release(&fb);
    rp_hub_filter_free(filter);
    rp_json_parser_free(fp);
    rp_json_parser_free(s.jp);
    pairs_free(&s.docs);
    free(sorted);
    return e;
}
