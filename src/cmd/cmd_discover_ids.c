/* SPDX-License-Identifier: Apache-2.0 */
/* `rampart discover identifiers list|add|show|remove` and `rampart discover allow-list
 * create|list|show|delete`: Macie's custom data identifiers and allow lists as resources of
 * the store (src/dataid/dataid_custom.h), and the glue that gives scans and jobs the stored
 * ones (rp_cmd_discover_add_stored, rp_cmd_discover_resolve). `identifiers list` prints the
 * managed identifiers and the stored custom ones; `show` prints Macie's
 * GetCustomDataIdentifier / GetAllowList JSON. Validation and usage errors exit with 2, store
 * errors with 1. Dispatched from cmd_discover.c. */
#define RP_LOG_MODULE "cmd"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd_discover_ids.h"
#include "cmd/cmd_verbs.h"
#include "core/rp_buf.h"
#include "core/rp_gz.h"
#include "core/rp_str.h"
#include "core/rp_time.h"
#include "dataid/dataid.h"
#include "dataid/dataid_custom.h"
#include "store/store.h"
#include "core/rp_banned.h"

#define VERB "discover"

/* The store at db for reading, or *st NULL when there is none or it predates the tables. */
static rp_err open_ro(const char *db, struct rp_store **st, struct rp_errbuf *eb)
{
    *st = NULL;
    if (!db) return RP_OK;
    rp_err e = rp_store_new(db, RP_STORE_RDONLY, st, eb);
    if (e == RP_ENOENT) {
        if (eb) eb->msg[0] = 0;
        return RP_OK;
    }
    if (!e && rp_store_schema_version(*st) < RP_DATAID_CUSTOM_SCHEMA) {
        rp_store_free(*st);
        *st = NULL;
    }
    return e;
}

static rp_err read_text(const char *path, size_t max, struct rp_buf *b, struct rp_errbuf *eb)
{
    rp_buf_init(b, max);
    struct rp_errbuf reb = {0};
    rp_err e = rp_gz_read_file(path, NULL, b, &reb);
    if (e == RP_ELIMIT) return rp_fail(eb, e, "cannot read '%s': larger than %zu bytes", path, max);
    if (e) return rp_fail(eb, e, "cannot read '%s': %s", path, reb.msg);
    return RP_OK;
}

/* An error of a command: validation and lookups exit 2, the rest 1. */
static int fail_with(rp_err e, const struct rp_errbuf *eb)
{
    const char *msg = eb->msg[0] ? eb->msg : rp_strerror(e);
    if (e == RP_EPARSE || e == RP_EINVAL || e == RP_ENOENT || e == RP_EEXIST)
        return rp_cmd_usage_error(VERB, "%s", msg);
    return rp_cmd_error(VERB, "%s", msg);
}

/* ---- identifiers ------------------------------------------------------------------------------
 */

struct list_ctx {
    struct rp_out *out;
};

static const char *kw_mode(enum rp_dataid_keywords m)
{
    return m == RP_DATAID_KW_REQUIRED    ? "required"
           : m == RP_DATAID_KW_FORBIDDEN ? "forbidden"
                                         : "-";
}

static rp_err ident_row(struct rp_out *out, const char *id, const char *type,
                        const struct rp_dataid_ident *d, const char *name)
{
    char dist[16];
    snprintf(dist, sizeof dist, "%u", d->max_distance);
    const char *vals[] = {id,
                          type,
                          rp_dataid_category_name(d->category),
                          name,
                          d->validator ? d->validator->name : "-",
                          kw_mode(d->keyword_mode),
                          dist};
    return rp_out_row(out, vals);
}

static rp_err on_custom_row(void *arg, const struct rp_dataid_custom *c, struct rp_errbuf *eb)
{
    struct list_ctx *l = arg;
    struct rp_dataid_set *s = NULL;
    rp_err e = rp_dataid_set_new(&s, eb);
    if (!e) e = rp_dataid_custom_add_to_set(s, c, eb);
    if (!e) e = ident_row(l->out, c->id, "custom", rp_dataid_set_ident(s, 0), c->name);
    rp_dataid_set_free(s);
    return e;
}

static int ids_list(struct rp_cmd_ctx *ctx, int argc)
{
    if (argc) return rp_cmd_usage_error(VERB, "identifiers list takes no arguments");
    struct rp_errbuf eb = {0};
    struct rp_dataid_set *s = NULL;
    struct rp_store *st = NULL;
    static const struct rp_out_col cols[] = {{"id", 0},
                                             {"type", 0},
                                             {"category", 0},
                                             {"name", 0},
                                             {"validator", 0},
                                             {"keywords", 0},
                                             {"max_distance", RP_OUT_COL_NUM}};
    struct list_ctx l = {.out = rp_out_new(ctx, cols, 7)};
    rp_err e = l.out ? RP_OK : rp_fail(&eb, RP_ENOMEM, "out of memory");
    if (!e) e = rp_dataid_set_new(&s, &eb);
    if (!e) e = rp_dataid_set_add_managed(s, NULL, 0, &eb);
    for (size_t i = 0; !e && i < rp_dataid_set_count(s); i++) {
        const struct rp_dataid_ident *d = rp_dataid_set_ident(s, i);
        e = ident_row(l.out, d->id, "managed", d, d->name);
    }
    if (!e) e = open_ro(ctx->db_path, &st, &eb);
    if (!e && st) e = rp_dataid_custom_each(st, false, on_custom_row, &l, &eb);
    if (!e) e = rp_out_flush(l.out);
    rp_out_free(l.out);
    rp_store_free(st);
    rp_dataid_set_free(s);
    return e ? rp_cmd_error(VERB, "%s", eb.msg[0] ? eb.msg : rp_strerror(e)) : RP_EXIT_OK;
}

static int ids_add(struct rp_cmd_ctx *ctx, int argc, char **argv)
{
    const char *file = NULL, *name = NULL, *desc = NULL;
    for (int i = 0; i < argc; i++) {
        const char *v = NULL;
        int m;
        if ((m = rp_cmd_opt_value("--name", argc, argv, &i, &v)) > 0)
            name = v;
        else if (m == 0 && (m = rp_cmd_opt_value("--description", argc, argv, &i, &v)) > 0)
            desc = v;
        else if (m < 0)
            return rp_cmd_usage_error(VERB, "%s needs a value", argv[i]);
        else if (argv[i][0] == '-' && argv[i][1])
            return rp_cmd_usage_error(VERB, "unknown option '%s'", argv[i]);
        else if (file)
            return rp_cmd_usage_error(VERB, "identifiers add takes one FILE.yaml");
        else
            file = argv[i];
    }
    if (!file) return rp_cmd_usage_error(VERB, "identifiers add needs FILE.yaml");
    struct rp_errbuf eb = {0};
    struct rp_buf b;
    struct rp_dataid_custom c = {0};
    struct rp_store *st = NULL;
    rp_err e = read_text(file, 1u << 20, &b, &eb);
    if (!e) e = rp_dataid_custom_prepare(file, b.data ? b.data : "", b.len, name, desc, &c, &eb);
    rp_buf_release(&b);
    if (e) return fail_with(e == RP_ENOENT || e == RP_EIO || e == RP_EPERM ? RP_EINVAL : e, &eb);
    e = rp_store_new(ctx->db_path, RP_STORE_RDWR, &st, &eb);
    if (!e) e = rp_dataid_custom_put(st, &c, &eb);
    rp_store_free(st);
    if (!e) printf("%s\n", c.id);
    rp_dataid_custom_release(&c);
    return e ? fail_with(e, &eb) : RP_EXIT_OK;
}

static int ids_show(struct rp_cmd_ctx *ctx, int argc, char **argv)
{
    if (argc != 1) return rp_cmd_usage_error(VERB, "identifiers show needs one ID or NAME");
    struct rp_errbuf eb = {0};
    struct rp_store *st = NULL;
    struct rp_dataid_custom c = {0};
    struct rp_buf b;
    rp_buf_init(&b, 0);
    rp_err e = open_ro(ctx->db_path, &st, &eb);
    if (!e && !st) e = rp_fail(&eb, RP_ENOENT, "dataid: no custom data identifier '%s'", argv[0]);
    if (!e) e = rp_dataid_custom_get(st, argv[0], &c, &eb);
    if (!e) e = rp_dataid_custom_json(&c, &b, &eb);
    if (!e) printf("%s\n", rp_buf_cstr(&b));
    rp_buf_release(&b);
    rp_dataid_custom_release(&c);
    rp_store_free(st);
    return e ? fail_with(e, &eb) : RP_EXIT_OK;
}

static int ids_remove(struct rp_cmd_ctx *ctx, int argc, char **argv)
{
    if (argc != 1) return rp_cmd_usage_error(VERB, "identifiers remove needs one ID or NAME");
    struct rp_errbuf eb = {0};
    struct rp_store *st = NULL;
    struct rp_dataid_custom c = {0};
    rp_err e = rp_store_new(ctx->db_path, RP_STORE_RDWR, &st, &eb);
    if (!e) e = rp_dataid_custom_remove(st, argv[0], rp_time_now_ms(), &c, &eb);
    rp_store_free(st);
    if (!e && ctx->verbosity >= 0)
        fprintf(stderr, "rampart: discover: custom data identifier %s (%s) deleted\n", c.id,
                c.name);
    rp_dataid_custom_release(&c);
    return e ? fail_with(e, &eb) : RP_EXIT_OK;
}

int rp_cmd_discover_identifiers(struct rp_cmd_ctx *ctx, int argc, char **argv)
{
    if (argc >= 1 && !strcmp(argv[0], "list")) return ids_list(ctx, argc - 1);
    if (argc >= 1 && !strcmp(argv[0], "add")) return ids_add(ctx, argc - 1, argv + 1);
    if (argc >= 1 && !strcmp(argv[0], "show")) return ids_show(ctx, argc - 1, argv + 1);
    if (argc >= 1 && !strcmp(argv[0], "remove")) return ids_remove(ctx, argc - 1, argv + 1);
    return rp_cmd_usage_error(VERB, "identifiers needs list, add, show, remove or test");
}

/* ---- allow lists ------------------------------------------------------------------------------
 */

static int allow_create(struct rp_cmd_ctx *ctx, int argc, char **argv)
{
    const char *name = NULL, *desc = NULL, *regex = NULL, *words = NULL;
    for (int i = 0; i < argc; i++) {
        const char *v = NULL;
        int m;
        if ((m = rp_cmd_opt_value("--name", argc, argv, &i, &v)) > 0)
            name = v;
        else if (m == 0 && (m = rp_cmd_opt_value("--description", argc, argv, &i, &v)) > 0)
            desc = v;
        else if (m == 0 && (m = rp_cmd_opt_value("--regex", argc, argv, &i, &v)) > 0)
            regex = v;
        else if (m == 0 && (m = rp_cmd_opt_value("--words", argc, argv, &i, &v)) > 0)
            words = v;
        else if (m < 0)
            return rp_cmd_usage_error(VERB, "%s needs a value", argv[i]);
        else
            return rp_cmd_usage_error(VERB, "allow-list create: unexpected '%s'", argv[i]);
    }
    if (!name) return rp_cmd_usage_error(VERB, "allow-list create needs --name");
    if (!regex == !words)
        return rp_cmd_usage_error(VERB, "allow-list create needs one of --regex RE, --words FILE");
    struct rp_errbuf eb = {0};
    struct rp_dataid_allow a = {0};
    struct rp_store *st = NULL;
    rp_err e = RP_OK;
    if (regex) {
        e = rp_dataid_allow_prepare_regex(name, desc, regex, &a, &eb);
    } else {
        struct rp_buf b;
        char abs[PATH_MAX]; /* kept as an absolute path, as jobs keep theirs */
        if (realpath(words, abs)) words = abs;
        e = read_text(words, RP_DATAID_ALLOW_MAX_BYTES, &b, &eb);
        if (e == RP_ELIMIT)
            e = rp_fail(&eb, RP_EINVAL, "dataid: allow list: '%s' is larger than 35 MiB", words);
        if (!e)
            e = rp_dataid_allow_prepare_phrases(name, desc, words, b.data ? b.data : "", b.len, &a,
                                                &eb);
        rp_buf_release(&b);
    }
    if (e) return fail_with(e == RP_ENOENT || e == RP_EIO || e == RP_EPERM ? RP_EINVAL : e, &eb);
    e = rp_store_new(ctx->db_path, RP_STORE_RDWR, &st, &eb);
    if (!e) e = rp_dataid_allow_put(st, &a, &eb);
    rp_store_free(st);
    if (!e) printf("%s\n", a.id);
    rp_dataid_allow_release(&a);
    return e ? fail_with(e, &eb) : RP_EXIT_OK;
}

static rp_err on_allow_row(void *arg, const struct rp_dataid_allow *a, struct rp_errbuf *eb)
{
    char n[24], t[RP_TIME_ISO_BUFSZ];
    snprintf(n, sizeof n, "%zu", a->nphrases);
    if (rp_time_format_iso(a->created_ms, t, sizeof t)) rp_strlcpy(t, "-", sizeof t);
    bool rx = a->kind == RP_DATAID_ALLOW_REGEX;
    const char *vals[] = {a->id, a->name, rx ? "regex" : "s3WordsList", rx ? a->content : a->source,
                          n,     t};
    rp_err e = rp_out_row(arg, vals);
    return e ? rp_fail(eb, e, "cannot write the output") : RP_OK;
}

static int allow_list(struct rp_cmd_ctx *ctx, int argc)
{
    if (argc) return rp_cmd_usage_error(VERB, "allow-list list takes no arguments");
    struct rp_errbuf eb = {0};
    struct rp_store *st = NULL;
    static const struct rp_out_col cols[] = {
        {"id", 0},       {"name", 0}, {"criteria", 0}, {"value", 0}, {"phrases", RP_OUT_COL_NUM},
        {"createdAt", 0}};
    struct rp_out *out = rp_out_new(ctx, cols, 6);
    rp_err e = out ? RP_OK : rp_fail(&eb, RP_ENOMEM, "out of memory");
    if (!e) e = open_ro(ctx->db_path, &st, &eb);
    if (!e && st) e = rp_dataid_allow_each(st, on_allow_row, out, &eb);
    if (!e) e = rp_out_flush(out);
    rp_out_free(out);
    rp_store_free(st);
    return e ? rp_cmd_error(VERB, "%s", eb.msg[0] ? eb.msg : rp_strerror(e)) : RP_EXIT_OK;
}

static int allow_show(struct rp_cmd_ctx *ctx, int argc, char **argv)
{
    if (argc != 1) return rp_cmd_usage_error(VERB, "allow-list show needs one ID or NAME");
    struct rp_errbuf eb = {0};
    struct rp_store *st = NULL;
    struct rp_dataid_allow a = {0};
    struct rp_buf b;
    rp_buf_init(&b, 0);
    rp_err e = open_ro(ctx->db_path, &st, &eb);
    if (!e && !st) e = rp_fail(&eb, RP_ENOENT, "dataid: no allow list '%s'", argv[0]);
    if (!e) e = rp_dataid_allow_get(st, argv[0], &a, &eb);
    if (!e) e = rp_dataid_allow_json(&a, &b, &eb);
    if (!e) printf("%s\n", rp_buf_cstr(&b));
    rp_buf_release(&b);
    rp_dataid_allow_release(&a);
    rp_store_free(st);
    return e ? fail_with(e, &eb) : RP_EXIT_OK;
}

static int allow_delete(struct rp_cmd_ctx *ctx, int argc, char **argv)
{
    const char *ref = NULL;
    bool force = false;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--ignore-job-usage"))
            force = true;
        else if (argv[i][0] == '-' && argv[i][1])
            return rp_cmd_usage_error(VERB, "unknown option '%s'", argv[i]);
        else if (ref)
            return rp_cmd_usage_error(VERB, "allow-list delete takes one ID or NAME");
        else
            ref = argv[i];
    }
    if (!ref) return rp_cmd_usage_error(VERB, "allow-list delete needs one ID or NAME");
    struct rp_errbuf eb = {0};
    struct rp_store *st = NULL;
    struct rp_dataid_allow a = {0};
    int64_t n = 0;
    char job[33] = "";
    rp_err e = rp_store_new(ctx->db_path, RP_STORE_RDWR, &st, &eb);
    if (!e) e = rp_dataid_allow_get(st, ref, &a, &eb);
    if (!e) e = rp_dataid_allow_jobs_using(st, a.id, &n, job, &eb);
    int rc = RP_EXIT_OK;
    if (!e && n && !force) {
        rc = rp_cmd_error(VERB,
                          "allow list '%s' is used by %lld job%s not complete (%s); "
                          "--ignore-job-usage deletes it anyway",
                          ref, (long long)n, n == 1 ? "" : "s", job);
    } else if (!e) {
        e = rp_dataid_allow_delete(st, a.id, &eb);
        if (!e && ctx->verbosity >= 0)
            fprintf(stderr, "rampart: discover: allow list %s (%s) deleted\n", a.id, a.name);
    }
    rp_store_free(st);
    rp_dataid_allow_release(&a);
    return e ? fail_with(e, &eb) : rc;
}

int rp_cmd_discover_allow_list(struct rp_cmd_ctx *ctx, int argc, char **argv)
{
    if (argc >= 1 && !strcmp(argv[0], "create")) return allow_create(ctx, argc - 1, argv + 1);
    if (argc >= 1 && !strcmp(argv[0], "list")) return allow_list(ctx, argc - 1);
    if (argc >= 1 && !strcmp(argv[0], "show")) return allow_show(ctx, argc - 1, argv + 1);
    if (argc >= 1 && !strcmp(argv[0], "delete")) return allow_delete(ctx, argc - 1, argv + 1);
    return rp_cmd_usage_error(VERB, "allow-list needs create, list, show or delete");
}

/* ---- stored resources for scans and jobs ------------------------------------------------------
 */

struct add_ctx {
    struct rp_dataid_set *s;
};

static rp_err add_custom(void *arg, const struct rp_dataid_custom *c, struct rp_errbuf *eb)
{
    return rp_dataid_custom_add_to_set(((struct add_ctx *)arg)->s, c, eb);
}

static rp_err add_allow(void *arg, const struct rp_dataid_allow *a, struct rp_errbuf *eb)
{
    return rp_dataid_allow_add_to_set(((struct add_ctx *)arg)->s, a, eb);
}

/* Call fn for each comma-separated item of list (copied: list is const). */
static rp_err each_ref(const char *list,
                       rp_err (*fn)(void *ctx, const char *ref, struct rp_errbuf *eb), void *ctx,
                       struct rp_errbuf *eb)
{
    char *copy = strdup(list);
    if (!copy) return rp_fail(eb, RP_ENOMEM, "out of memory");
    rp_err e = RP_OK;
    for (char *p = copy, *c; !e && p && *p; p = c ? c + 1 : NULL) {
        c = strchr(p, ',');
        if (c) *c = 0;
        if (*p) e = fn(ctx, p, eb);
    }
    free(copy);
    return e;
}

struct ref_ctx {
    struct rp_store *st;
    struct rp_dataid_set *s;
    bool job;
    char *out; /* resolve: the ids */
    size_t n;
};

static rp_err add_custom_ref(void *arg, const char *ref, struct rp_errbuf *eb)
{
    struct ref_ctx *r = arg;
    struct rp_dataid_custom c = {0};
    if (!r->st) return rp_fail(eb, RP_ENOENT, "dataid: no custom data identifier '%s'", ref);
    rp_err e = rp_dataid_custom_get(r->st, ref, &c, eb);
    if (!e) e = rp_dataid_custom_add_to_set(r->s, &c, eb);
    rp_dataid_custom_release(&c);
    return e;
}

static rp_err add_allow_ref(void *arg, const char *ref, struct rp_errbuf *eb)
{
    struct ref_ctx *r = arg;
    struct rp_dataid_allow a = {0};
    rp_err e = r->st ? rp_dataid_allow_get(r->st, ref, &a, eb)
                     : rp_fail(eb, RP_ENOENT, "dataid: no allow list '%s'", ref);
    if (e == RP_ENOENT && r->job) { /* deleted with --ignore-job-usage: the job runs without */
        fprintf(stderr, "rampart: discover: allow list '%s' no longer exists; not used\n", ref);
        eb->msg[0] = 0;
        return RP_OK;
    }
    if (!e) e = rp_dataid_allow_add_to_set(r->s, &a, eb);
    rp_dataid_allow_release(&a);
    return e;
}

rp_err rp_cmd_discover_add_stored(const struct rp_cmd_discover_stored *w, struct rp_dataid_set *s,
                                  struct rp_errbuf *eb)
{
    struct ref_ctx r = {.s = s, .job = w->job};
    struct add_ctx a = {.s = s};
    bool any_custom = !w->custom_refs || *w->custom_refs;
    bool any_allow = !w->allow_refs || *w->allow_refs;
    if (!w->db || (!any_custom && !any_allow)) return RP_OK;
    rp_err e = open_ro(w->db, &r.st, eb);
    if (!e && !w->custom_refs && r.st) e = rp_dataid_custom_each(r.st, false, add_custom, &a, eb);
    if (!e && w->custom_refs) e = each_ref(w->custom_refs, add_custom_ref, &r, eb);
    if (!e && !w->allow_refs && r.st) e = rp_dataid_allow_each(r.st, add_allow, &a, eb);
    if (!e && w->allow_refs) e = each_ref(w->allow_refs, add_allow_ref, &r, eb);
    rp_store_free(r.st);
    return e;
}

static rp_err out_add(struct ref_ctx *r, const char *id, struct rp_errbuf *eb)
{
    size_t len = strlen(r->out), il = strlen(id);
    for (const char *p = r->out; *p;) { /* once each */
        const char *c = strchr(p, ',');
        size_t l = c ? (size_t)(c - p) : strlen(p);
        if (l == il && !memcmp(p, id, il)) return RP_OK;
        p += l + (c ? 1 : 0);
    }
    if (len + il + 2 > r->n) return rp_fail(eb, RP_ELIMIT, "too many ids for one job");
    if (len) r->out[len++] = ',';
    memcpy(r->out + len, id, il + 1);
    return RP_OK;
}

static rp_err resolve_custom(void *arg, const char *ref, struct rp_errbuf *eb)
{
    struct ref_ctx *r = arg;
    struct rp_dataid_custom c;
    if (!r->st) return rp_fail(eb, RP_ENOENT, "dataid: no custom data identifier '%s'", ref);
    rp_err e = rp_dataid_custom_get(r->st, ref, &c, eb);
    if (!e && c.deleted)
        e = rp_fail(eb, RP_ENOENT, "dataid: custom data identifier '%s' was deleted", ref);
    if (!e) e = out_add(r, c.id, eb);
    rp_dataid_custom_release(&c);
    return e;
}

static rp_err resolve_allow(void *arg, const char *ref, struct rp_errbuf *eb)
{
    struct ref_ctx *r = arg;
    struct rp_dataid_allow a;
    if (!r->st) return rp_fail(eb, RP_ENOENT, "dataid: no allow list '%s'", ref);
    rp_err e = rp_dataid_allow_get(r->st, ref, &a, eb);
    if (!e) e = out_add(r, a.id, eb);
    rp_dataid_allow_release(&a);
    return e;
}

static rp_err each_custom_id(void *arg, const struct rp_dataid_custom *c, struct rp_errbuf *eb)
{
    return out_add(arg, c->id, eb);
}

static rp_err each_allow_id(void *arg, const struct rp_dataid_allow *a, struct rp_errbuf *eb)
{
    return out_add(arg, a->id, eb);
}

rp_err rp_cmd_discover_resolve(const char *db, const char *refs, bool custom, char *out, size_t n,
                               struct rp_errbuf *eb)
{
    struct ref_ctx r = {.out = out, .n = n};
    out[0] = 0;
    if (refs && !*refs) return RP_OK;
    rp_err e = open_ro(db, &r.st, eb);
    if (!e && refs) e = each_ref(refs, custom ? resolve_custom : resolve_allow, &r, eb);
    if (!e && !refs && r.st)
        e = custom ? rp_dataid_custom_each(r.st, false, each_custom_id, &r, eb)
                   : rp_dataid_allow_each(r.st, each_allow_id, &r, eb);
    rp_store_free(r.st);
    return e;
}
