/* SPDX-License-Identifier: Apache-2.0 */
/* A validator of OCSF events against Rampart's own compact OCSF schema files
 * (the JSON files in data/schemas/ocsf/<version>/; hub_ocsf_schema.h says what is checked). Used by
 * the unit tests of the OCSF exports (hub_export_ocsf.c) to hold them to the classes they claim.
 * Schema files are loaded through rp_embed (so --data-dir can replace them) and kept parsed:
 * one rp_json parser per file, whose values the checks walk directly. Class files have name,
 * extends, uid, category_uid, attributes and optional profiles; the object file has objects
 * {name: {attributes}}. An attribute spec is "<type> <requirement>" or {type, requirement,
 * enum, caption_in}. Lookups are linear, which is fine for a test-time checker. */
#define RP_LOG_MODULE "hub"
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rp_embed.h"
#include "core/rp_limits.h"
#include "hub/hub_ocsf_schema.h"

#define OCSF_MAX_FILES  32
#define OCSF_MAX_CHAIN  8
#define OCSF_MAX_PATH   512
#define OCSF_MAX_NEST   32
#define OCSF_PATH_BYTES 160

struct ocsf_file {
    struct rp_json_parser *p;
    struct rp_json_val root;
};

struct rp_hub_ocsf_schema {
    struct ocsf_file files[OCSF_MAX_FILES];
    size_t nfiles;
    struct rp_json_val objects; /* the "objects" member of the object file */
};

enum req { REQ_OPTIONAL, REQ_RECOMMENDED, REQ_REQUIRED };

struct spec {
    struct rp_str type;
    enum req req;
    struct rp_json_val enumv; /* "no value" when the attribute has no enum */
    struct rp_str caption_in; /* sibling that holds the caption; empty = name minus _id */
};

/* A container's definition: attribute maps in priority order (most specific first). */
struct defs {
    struct rp_json_val maps[OCSF_MAX_CHAIN * 2];
    size_t n;
};

struct vctx {
    struct rp_hub_ocsf_schema *s;
    const char *cls;
    char path[OCSF_MAX_PATH];
    size_t plen;
    size_t depth;
    struct rp_errbuf *eb;
};

void rp_hub_ocsf_schema_free(struct rp_hub_ocsf_schema *s)
{
    if (!s) return;
    for (size_t i = 0; i < s->nfiles; i++) rp_json_parser_free(s->files[i].p);
    free(s);
}

struct collect {
    char paths[OCSF_MAX_FILES][OCSF_PATH_BYTES];
    size_t n;
    bool too_many;
};

static int collect_one(const struct rp_embed_file *f, void *ctx)
{
    struct collect *c = ctx;
    size_t n = strlen(f->path);
    if (n < 5 || strcmp(f->path + n - 5, ".json") != 0) return 0;
    if (c->n == OCSF_MAX_FILES || n >= OCSF_PATH_BYTES) {
        c->too_many = true;
        return 1;
    }
    memcpy(c->paths[c->n++], f->path, n + 1);
    return 0;
}

rp_err rp_hub_ocsf_schema_load(const char *dir, struct rp_hub_ocsf_schema **out,
                               struct rp_errbuf *eb)
{
    *out = NULL;
    char prefix[OCSF_PATH_BYTES];
    int w = snprintf(prefix, sizeof prefix, "%s/", dir);
    if (w < 0 || (size_t)w >= sizeof prefix)
        return rp_fail(eb, RP_EINVAL, "ocsf schema: path '%s' is too long", dir);
    struct collect *c = calloc(1, sizeof *c);
    struct rp_hub_ocsf_schema *s = calloc(1, sizeof *s);
    if (!c || !s) {
        free(c);
        free(s);
        return rp_fail(eb, RP_ENOMEM, "ocsf schema: out of memory");
    }
    rp_err e = RP_OK;
    rp_embed_each(prefix, collect_one, c);
    if (c->too_many)
        e = rp_fail(eb, RP_ELIMIT, "ocsf schema: more than %d files under '%s'", OCSF_MAX_FILES,
                    dir);
    else if (c->n == 0)
        e = rp_fail(eb, RP_ENOENT, "ocsf schema: no schema files under '%s'", dir);
    struct rp_buf b;
    rp_buf_init(&b, RP_MAX_EMBED_OVERLAY);
    for (size_t i = 0; e == RP_OK && i < c->n; i++) {
        struct ocsf_file *f = &s->files[s->nfiles];
        rp_buf_reset(&b);
        if ((e = rp_embed_load(c->paths[i], &b, eb)) != RP_OK) break;
        if (!(f->p = rp_json_parser_new())) {
            e = rp_fail(eb, RP_ENOMEM, "ocsf schema: out of memory");
            break;
        }
        s->nfiles++;
        struct rp_errbuf pe = {0};
        if (rp_json_parse_buf(f->p, &b, &f->root, &pe) != RP_OK) {
            e = rp_fail(eb, RP_EPARSE, "ocsf schema: '%s': %s", c->paths[i], pe.msg);
            break;
        }
        struct rp_json_val v;
        if (rp_json_obj_get(f->root, "objects", &v) == RP_OK && rp_json_type(v) == RP_JSON_OBJECT) {
            s->objects = v;
            continue;
        }
        struct rp_str name;
        if (rp_json_obj_get_str(f->root, "name", &name) != RP_OK ||
            rp_json_obj_get(f->root, "attributes", &v) != RP_OK ||
            rp_json_type(v) != RP_JSON_OBJECT)
            e = rp_fail(eb, RP_EPARSE, "ocsf schema: '%s' is neither a class nor an object list",
                        c->paths[i]);
    }
    rp_buf_release(&b);
    free(c);
    if (e != RP_OK) {
        rp_hub_ocsf_schema_free(s);
        return e;
    }
    *out = s;
    return RP_OK;
}

/* ---- lookups ----------------------------------------------------------------------------- */

static bool class_by_name(const struct rp_hub_ocsf_schema *s, struct rp_str name,
                          struct rp_json_val *out)
{
    for (size_t i = 0; i < s->nfiles; i++) {
        struct rp_str n;
        if (rp_json_obj_get_str(s->files[i].root, "name", &n) == RP_OK && rp_str_eq(n, name)) {
            *out = s->files[i].root;
            return true;
        }
    }
    return false;
}

static bool class_by_uid(const struct rp_hub_ocsf_schema *s, int64_t uid, struct rp_json_val *out)
{
    for (size_t i = 0; i < s->nfiles; i++) {
        int64_t u = 0;
        if (rp_json_obj_get_i64(s->files[i].root, "uid", &u) == RP_OK && u == uid) {
            *out = s->files[i].root;
            return true;
        }
    }
    return false;
}

static bool spec_parse(struct rp_json_val v, struct spec *sp)
{
    struct rp_str s, req = {0};
    *sp = (struct spec){0};
    if (rp_json_get_str(v, &s) == RP_OK) {
        const char *sp_at = NULL;
        for (size_t i = s.len; i > 0; i--)
            if (s.p[i - 1] == ' ') {
                sp_at = s.p + i - 1;
                break;
            }
        if (!sp_at) return false;
        sp->type = (struct rp_str){s.p, (size_t)(sp_at - s.p)};
        req = (struct rp_str){sp_at + 1, s.len - (size_t)(sp_at - s.p) - 1};
    } else if (rp_json_type(v) == RP_JSON_OBJECT) {
        if (rp_json_obj_get_str(v, "type", &sp->type) != RP_OK ||
            rp_json_obj_get_str(v, "requirement", &req) != RP_OK)
            return false;
        if (rp_json_obj_get(v, "enum", &sp->enumv) != RP_OK) sp->enumv = (struct rp_json_val){0};
        if (rp_json_obj_get_str(v, "caption_in", &sp->caption_in) != RP_OK)
            sp->caption_in = (struct rp_str){0};
    } else {
        return false;
    }
    if (rp_str_eq_cstr(req, "required"))
        sp->req = REQ_REQUIRED;
    else if (rp_str_eq_cstr(req, "recommended"))
        sp->req = REQ_RECOMMENDED;
    else if (rp_str_eq_cstr(req, "optional"))
        sp->req = REQ_OPTIONAL;
    else
        return false;
    return true;
}

static bool defs_lookup(const struct defs *d, struct rp_str name, struct rp_json_val *out)
{
    for (size_t i = 0; i < d->n; i++)
        if (rp_json_obj_getn(d->maps[i], name.p, name.len, out) == RP_OK) return true;
    return false;
}

/* ---- messages and paths ------------------------------------------------------------------ */

static size_t path_push_key(struct vctx *c, struct rp_str k)
{
    size_t old = c->plen;
    int w = snprintf(c->path + c->plen, sizeof c->path - c->plen, "%s%.*s", c->plen ? "." : "",
                     (int)k.len, k.p);
    if (w > 0)
        c->plen = c->plen + (size_t)w < sizeof c->path ? c->plen + (size_t)w : sizeof c->path - 1;
    return old;
}

static size_t path_push_idx(struct vctx *c, size_t i)
{
    size_t old = c->plen;
    int w = snprintf(c->path + c->plen, sizeof c->path - c->plen, "[%zu]", i);
    if (w > 0)
        c->plen = c->plen + (size_t)w < sizeof c->path ? c->plen + (size_t)w : sizeof c->path - 1;
    return old;
}

static void path_pop(struct vctx *c, size_t old)
{
    c->plen = old;
    c->path[old] = '\0';
}

static rp_err bad_schema(struct vctx *c, const char *what)
{
    return rp_fail(c->eb, RP_EPARSE, "ocsf schema: %s at '%s'", what, c->path);
}

/* ---- checks ------------------------------------------------------------------------------ */

static rp_err check_container(struct vctx *c, const struct defs *d, struct rp_json_val obj);

static rp_err check_object(struct vctx *c, struct rp_str name, struct rp_json_val v)
{
    struct rp_json_val def, attrs;
    if (rp_json_obj_getn(c->s->objects, name.p, name.len, &def) != RP_OK ||
        rp_json_obj_get(def, "attributes", &attrs) != RP_OK)
        return rp_fail(c->eb, RP_EPARSE, "ocsf schema: object '%.*s' is not defined (at '%s')",
                       (int)name.len, name.p, c->path);
    struct defs d = {.maps = {attrs}, .n = 1};
    return check_container(c, &d, v);
}

static rp_err type_error(struct vctx *c, struct rp_str type, struct rp_json_val v)
{
    return rp_fail(c->eb, RP_EINVAL, "ocsf: %s: attribute '%s' must be %.*s, not %s", c->cls,
                   c->path, (int)type.len, type.p, rp_json_type_name(rp_json_type(v)));
}

static rp_err check_value(struct vctx *c, struct rp_str type, struct rp_json_val v)
{
    enum rp_json_type t = rp_json_type(v);
    int64_t i = 0;
    if (rp_str_has_prefix(type, "array:")) {
        if (t != RP_JSON_ARRAY) return type_error(c, type, v);
        struct rp_str el_type = {type.p + 6, type.len - 6};
        struct rp_json_iter it;
        struct rp_json_val el;
        size_t n = 0;
        if (rp_json_arr_iter(v, &it) != RP_OK) return type_error(c, type, v);
        while (rp_json_arr_next(&it, &el)) {
            size_t old = path_push_idx(c, n++);
            rp_err e = check_value(c, el_type, el);
            if (e != RP_OK) return e;
            path_pop(c, old);
        }
        return RP_OK;
    }
    if (rp_str_has_prefix(type, "object:")) {
        if (t != RP_JSON_OBJECT) return type_error(c, type, v);
        if (++c->depth > OCSF_MAX_NEST)
            return rp_fail(c->eb, RP_ELIMIT, "ocsf: %s: nesting too deep at '%s'", c->cls, c->path);
        rp_err e = check_object(c, (struct rp_str){type.p + 7, type.len - 7}, v);
        c->depth--;
        return e;
    }
    bool ok = false;
    if (rp_str_eq_cstr(type, "string"))
        ok = t == RP_JSON_STRING;
    else if (rp_str_eq_cstr(type, "integer"))
        ok =
            rp_json_get_i64(v, &i) == RP_OK && t == RP_JSON_INT && i >= INT32_MIN && i <= INT32_MAX;
    else if (rp_str_eq_cstr(type, "long") || rp_str_eq_cstr(type, "timestamp_t"))
        ok = t == RP_JSON_INT;
    else if (rp_str_eq_cstr(type, "float"))
        ok = t == RP_JSON_DOUBLE || t == RP_JSON_INT || t == RP_JSON_UINT;
    else if (rp_str_eq_cstr(type, "boolean"))
        ok = t == RP_JSON_BOOL;
    else if (rp_str_eq_cstr(type, "json"))
        ok = t != RP_JSON_NONE;
    else if (rp_str_eq_cstr(type, "object"))
        ok = t == RP_JSON_OBJECT;
    else
        return bad_schema(c, "unknown type");
    return ok ? RP_OK : type_error(c, type, v);
}

/* The enum rules for attribute name with value v inside container obj. */
static rp_err check_enum(struct vctx *c, const struct spec *sp, struct rp_str name,
                         struct rp_json_val v, struct rp_json_val obj)
{
    int64_t id = 0;
    if (rp_json_get_i64(v, &id) != RP_OK)
        return RP_OK; /* type errors are reported by check_value */
    char key[24];
    snprintf(key, sizeof key, "%" PRId64, id);
    struct rp_json_val capv;
    struct rp_str cap, sib = sp->caption_in, have;
    if (rp_json_obj_get(sp->enumv, key, &capv) != RP_OK)
        return rp_fail(c->eb, RP_EINVAL, "ocsf: %s: attribute '%s' has undefined value %" PRId64,
                       c->cls, c->path, id);
    if (rp_json_get_str(capv, &cap) != RP_OK) return bad_schema(c, "enum caption is not a string");
    if (id == 99) return RP_OK;
    if (!sib.len) {
        if (!rp_str_has_suffix(name, "_id")) return RP_OK;
        sib = (struct rp_str){name.p, name.len - 3};
    }
    if (rp_json_obj_getn(obj, sib.p, sib.len, &capv) != RP_OK ||
        rp_json_get_str(capv, &have) != RP_OK || rp_str_eq(have, cap))
        return RP_OK;
    /* Report at the sibling's path, naming the id attribute's path. */
    char idpath[OCSF_MAX_PATH];
    rp_strlcpy(idpath, c->path, sizeof idpath);
    size_t base = c->plen >= name.len ? c->plen - name.len : 0;
    char sibpath[OCSF_MAX_PATH];
    snprintf(sibpath, sizeof sibpath, "%.*s%.*s", (int)base, c->path, (int)sib.len, sib.p);
    return rp_fail(
        c->eb, RP_EINVAL, "ocsf: %s: attribute '%s' is '%.*s', not '%.*s' (%s %" PRId64 ")", c->cls,
        sibpath, (int)(have.len > 64 ? 64 : have.len), have.p, (int)cap.len, cap.p, idpath, id);
}

static rp_err check_container(struct vctx *c, const struct defs *d, struct rp_json_val obj)
{
    struct rp_json_iter it;
    struct rp_json_val v, specv;
    struct rp_str k;
    struct spec sp;
    /* Required attributes, most specific definition first. */
    for (size_t m = 0; m < d->n; m++) {
        if (rp_json_obj_iter(d->maps[m], &it) != RP_OK)
            return bad_schema(c, "attributes is not an object");
        while (rp_json_obj_next(&it, &k, &specv)) {
            struct rp_json_val eff;
            if (!defs_lookup(d, k, &eff) || !spec_parse(eff, &sp))
                return bad_schema(c, "bad attribute spec");
            if (sp.req != REQ_REQUIRED || rp_json_obj_getn(obj, k.p, k.len, &v) == RP_OK) continue;
            size_t old = path_push_key(c, k);
            rp_err e = rp_fail(c->eb, RP_EINVAL, "ocsf: %s: missing required attribute '%s'",
                               c->cls, c->path);
            path_pop(c, old);
            return e;
        }
    }
    /* Every member defined and well typed. */
    if (rp_json_obj_iter(obj, &it) != RP_OK) return RP_OK;
    while (rp_json_obj_next(&it, &k, &v)) {
        size_t old = path_push_key(c, k);
        if (!defs_lookup(d, k, &specv))
            return rp_fail(c->eb, RP_EINVAL, "ocsf: %s: attribute '%s' is not defined", c->cls,
                           c->path);
        if (!spec_parse(specv, &sp)) return bad_schema(c, "bad attribute spec");
        rp_err e = check_value(c, sp.type, v);
        if (e == RP_OK && rp_json_type(sp.enumv) == RP_JSON_OBJECT)
            e = check_enum(c, &sp, k, v, obj);
        if (e != RP_OK) return e;
        path_pop(c, old);
    }
    return RP_OK;
}

rp_err rp_hub_ocsf_validate(struct rp_hub_ocsf_schema *s, struct rp_json_val ev,
                            struct rp_errbuf *eb)
{
    struct vctx c = {.s = s, .cls = "event", .eb = eb};
    struct rp_json_val cls, v, el;
    struct rp_json_iter it;
    struct rp_str name;
    int64_t uid = 0, want = 0, got = 0, act = 0;
    if (rp_json_type(ev) != RP_JSON_OBJECT)
        return rp_fail(eb, RP_EINVAL, "ocsf: an event must be an object, not %s",
                       rp_json_type_name(rp_json_type(ev)));
    if (rp_json_obj_get(ev, "class_uid", &v) != RP_OK)
        return rp_fail(eb, RP_EINVAL, "ocsf: missing required attribute 'class_uid'");
    if (rp_json_get_i64(v, &uid) != RP_OK)
        return rp_fail(eb, RP_EINVAL, "ocsf: attribute 'class_uid' must be integer, not %s",
                       rp_json_type_name(rp_json_type(v)));
    if (!class_by_uid(s, uid, &cls))
        return rp_fail(eb, RP_EINVAL, "ocsf: unknown class_uid %" PRId64, uid);

    struct defs d = {.n = 0};
    struct rp_json_val chain[OCSF_MAX_CHAIN];
    size_t nchain = 0;
    for (struct rp_json_val cur = cls; nchain < OCSF_MAX_CHAIN;) {
        chain[nchain++] = cur;
        if (rp_json_obj_get_str(cur, "extends", &name) != RP_OK) break;
        if (!class_by_name(s, name, &cur))
            return rp_fail(eb, RP_EPARSE, "ocsf schema: class '%.*s' is not defined", (int)name.len,
                           name.p);
    }
    if (rp_json_obj_get_str(cls, "name", &name) != RP_OK)
        return rp_fail(eb, RP_EPARSE, "ocsf schema: class %" PRId64 " has no name", uid);
    c.cls = name.p; /* NUL-terminated by the parser */
    for (size_t i = 0; i < nchain; i++)
        if (rp_json_obj_get(chain[i], "attributes", &d.maps[d.n]) == RP_OK) d.n++;
    /* Profiles named in metadata.profiles add their attributes. */
    if (rp_json_obj_get(ev, "metadata", &v) == RP_OK &&
        rp_json_obj_get(v, "profiles", &v) == RP_OK && rp_json_arr_iter(v, &it) == RP_OK)
        while (rp_json_arr_next(&it, &el)) {
            struct rp_str pn;
            if (rp_json_get_str(el, &pn) != RP_OK) continue; /* reported as a type error below */
            bool found = false;
            for (size_t i = 0; !found && i < nchain; i++) {
                struct rp_json_val profs, prof, attrs;
                if (rp_json_obj_get(chain[i], "profiles", &profs) == RP_OK &&
                    rp_json_obj_getn(profs, pn.p, pn.len, &prof) == RP_OK &&
                    rp_json_obj_get(prof, "attributes", &attrs) == RP_OK) {
                    found = true;
                    if (d.n < RP_ARRAY_LEN(d.maps)) d.maps[d.n++] = attrs;
                }
            }
            if (!found)
                return rp_fail(eb, RP_EINVAL, "ocsf: %s: profile '%.*s' is not defined", c.cls,
                               (int)(pn.len > 64 ? 64 : pn.len), pn.p);
        }

    rp_err e = check_container(&c, &d, ev);
    if (e != RP_OK) return e;
    if (rp_json_obj_get_i64(cls, "category_uid", &want) == RP_OK &&
        rp_json_obj_get_i64(ev, "category_uid", &got) == RP_OK && got != want)
        return rp_fail(eb, RP_EINVAL, "ocsf: %s: category_uid %" PRId64 " is not %" PRId64, c.cls,
                       got, want);
    if (rp_json_obj_get_i64(ev, "activity_id", &act) == RP_OK &&
        rp_json_obj_get_i64(ev, "type_uid", &got) == RP_OK && got != uid * 100 + act)
        return rp_fail(eb, RP_EINVAL,
                       "ocsf: %s: type_uid %" PRId64
                       " is not class_uid * 100 + activity_id (%" PRId64 ")",
                       c.cls, got, uid * 100 + act);
    return RP_OK;
}
