/* SPDX-License-Identifier: Apache-2.0 */
/* Custom data identifiers and allow lists kept in the store (dataid_custom.h, migration 0019),
 * as Macie keeps them: `rampart discover identifiers add` validates a custom identifier once
 * (Macie's limits, then rp_dataid_set_add_yaml and rp_dataid_set_compile, the code every scan
 * runs) and stores it in the identifier file format with id = its name; `allow-list create`
 * validates and stores a regex or a list of phrases. Scans and jobs add the stored ones to
 * their set with rp_dataid_custom_add_to_set and rp_dataid_allow_add_to_set. Also here: the
 * JSON of Macie's GetCustomDataIdentifier and GetAllowList answers, and the ids (a UUID for a
 * custom identifier, 22 lower-case letters and digits for an allow list, as Macie's look). */
#define RP_LOG_MODULE "dataid"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dataid/dataid.h"
#include "dataid/dataid_custom.h"
#include "core/rp_buf.h"
#include "core/rp_hash.h"
#include "core/rp_json.h"
#include "core/rp_re.h"
#include "core/rp_str.h"
#include "core/rp_time.h"
#include "core/rp_yaml.h"
#include "store/store.h"
#include "core/rp_banned.h"

#define ARN_PREFIX "arn:aws:macie2:us-east-1:000000000000:"

const char *rp_dataid_custom_arn(const char *id, char *buf, size_t n)
{
    snprintf(buf, n, ARN_PREFIX "custom-data-identifier/%s", id);
    return buf;
}

const char *rp_dataid_allow_arn(const char *id, char *buf, size_t n)
{
    snprintf(buf, n, ARN_PREFIX "allow-list/%s", id);
    return buf;
}

/* Characters (UTF-8 code points) of p[0..n). */
static size_t chars(const char *p, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++) c += ((unsigned char)p[i] & 0xC0) != 0x80;
    return c;
}

static size_t cchars(const char *s)
{
    return chars(s, strlen(s));
}

/* Macie's allowListId shape: 22 lower-case letters and digits, random. */
static rp_err new_allow_id(char out[23])
{
    static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
    unsigned char b[22];
    rp_err e = rp_random_fill(b, sizeof b);
    if (e) return e;
    for (size_t i = 0; i < sizeof b; i++) out[i] = digits[b[i] % 36];
    out[22] = 0;
    return RP_OK;
}

static void iso(int64_t ms, char *buf, size_t n)
{
    if (rp_time_format_iso(ms, buf, n)) rp_strlcpy(buf, "", n);
}

static rp_err nomem(struct rp_errbuf *eb)
{
    return rp_fail(eb, RP_ENOMEM, "dataid: out of memory");
}

/* ---- custom identifiers: validation ------------------------------------------------------- */

void rp_dataid_custom_release(struct rp_dataid_custom *c)
{
    if (c) rp_free_and_null(c->definition);
}

static const char *const k_sev[] = {"", "LOW", "MEDIUM", "HIGH"};
static const char *const k_boundary[] = {"none", "digit", "alnum", "word"};
static const char *const k_kwmode[] = {"none", "required", "forbidden"};

static void write_list(struct rp_json_writer *w, const char *key, const char *const *v, size_t n)
{
    rp_json_write_key(w, key, strlen(key));
    rp_json_write_arr_begin(w);
    for (size_t i = 0; i < n; i++) rp_json_write_cstr(w, v[i]);
    rp_json_write_arr_end(w);
}

/* The identifier d in the identifier file format, with id and name set to name. */
static rp_err write_definition(const struct rp_dataid_ident *d, const char *name,
                               struct rp_buf *out)
{
    struct rp_json_writer w;
    rp_json_writer_init(&w, out);
    rp_json_write_obj_begin(&w);
    rp_json_write_kv_cstr(&w, "id", name);
    rp_json_write_kv_cstr(&w, "name", name);
    rp_json_write_kv_cstr(&w, "category", "CUSTOM_IDENTIFIER");
    rp_json_write_kv_cstr(&w, "regex", d->regex);
    if (d->caseless) rp_json_write_kv_bool(&w, "caseless", true);
    if (d->boundary != RP_DATAID_BOUND_NONE)
        rp_json_write_kv_cstr(&w, "boundary", k_boundary[d->boundary]);
    if (d->validator) rp_json_write_kv_cstr(&w, "validator", d->validator->name);
    if (d->nkeywords) {
        write_list(&w, "keywords", d->keywords, d->nkeywords);
        rp_json_write_kv_cstr(&w, "keyword_mode", k_kwmode[d->keyword_mode]);
    }
    rp_json_write_kv_int(&w, "max_distance", d->max_distance);
    if (d->digit_run) rp_json_write_kv_int(&w, "digit_run", d->digit_run);
    if (d->nignore) write_list(&w, "ignore_words", d->ignore_words, d->nignore);
    rp_json_write_key(&w, "severity_levels", 15);
    rp_json_write_arr_begin(&w);
    for (size_t i = 0; i < d->nlevels; i++) {
        rp_json_write_obj_begin(&w);
        rp_json_write_kv_int(&w, "occurrences_threshold", d->levels[i].threshold);
        rp_json_write_kv_cstr(&w, "severity", k_sev[d->levels[i].severity]);
        rp_json_write_obj_end(&w);
    }
    rp_json_write_arr_end(&w);
    rp_json_write_obj_end(&w);
    return rp_json_writer_finish(&w);
}

/* Copy member from of Macie's request to member to of the file format, when present. */
static void copy_member(struct rp_json_writer *w, struct rp_json_val root, const char *from,
                        const char *to)
{
    struct rp_json_val v;
    if (rp_json_obj_get(root, from, &v) || rp_json_type(v) == RP_JSON_NULL) return;
    rp_json_write_key(w, to, strlen(to));
    rp_json_write_val(w, v);
}

/* Macie's CreateCustomDataIdentifier request root, in the identifier file format, into out;
 * *mname gets Macie's name (borrowed from root), empty when absent. */
static rp_err from_macie(const char *file, struct rp_json_val root, const char *name,
                         struct rp_str *mname, struct rp_buf *out, struct rp_errbuf *eb)
{
    *mname = (struct rp_str){0};
    if (rp_json_obj_get_str(root, "name", mname) != RP_OK) *mname = (struct rp_str){0};
    if (!name && !mname->len) return rp_fail(eb, RP_EPARSE, "dataid: %s: missing 'name'", file);
    struct rp_json_val v;
    int64_t dist = 50;
    if (!rp_json_obj_get(root, "maximumMatchDistance", &v) && rp_json_type(v) != RP_JSON_NULL &&
        (rp_json_get_i64(v, &dist) || dist < 1 || dist > 300))
        return rp_fail(eb, RP_EPARSE, "dataid: %s: maximumMatchDistance out of 1..300", file);
    struct rp_json_writer w;
    rp_json_writer_init(&w, out);
    rp_json_write_obj_begin(&w);
    if (name)
        rp_json_write_kv_cstr(&w, "id", name);
    else
        rp_json_write_kv_str(&w, "id", mname->p, mname->len);
    rp_json_write_kv_cstr(&w, "category", "CUSTOM_IDENTIFIER");
    copy_member(&w, root, "regex", "regex");
    copy_member(&w, root, "keywords", "keywords");
    copy_member(&w, root, "ignoreWords", "ignore_words");
    rp_json_write_kv_int(&w, "max_distance", dist);
    copy_member(&w, root, "severityLevels", "severity_levels");
    rp_json_write_obj_end(&w);
    rp_err e = rp_json_writer_finish(&w);
    return e ? rp_fail(eb, e, "dataid: %s: too large", file) : RP_OK;
}

/* Macie's limits on the parsed identifier d. */
static rp_err check_limits(const char *file, const struct rp_dataid_ident *d, struct rp_errbuf *eb)
{
    if (cchars(d->regex) > RP_DATAID_CUSTOM_MAX_REGEX)
        return rp_fail(eb, RP_EPARSE, "dataid: %s: regex longer than %d characters", file,
                       RP_DATAID_CUSTOM_MAX_REGEX);
    if (d->nkeywords > RP_DATAID_CUSTOM_MAX_KEYWORDS)
        return rp_fail(eb, RP_EPARSE, "dataid: %s: more than %d keywords", file,
                       RP_DATAID_CUSTOM_MAX_KEYWORDS);
    for (size_t i = 0; i < d->nkeywords; i++) {
        size_t c = cchars(d->keywords[i]);
        if (c < RP_DATAID_CUSTOM_KEYWORD_MIN || c > RP_DATAID_CUSTOM_KEYWORD_MAX)
            return rp_fail(eb, RP_EPARSE, "dataid: %s: keyword not %d to %d characters long: '%s'",
                           file, RP_DATAID_CUSTOM_KEYWORD_MIN, RP_DATAID_CUSTOM_KEYWORD_MAX,
                           d->keywords[i]);
    }
    if (d->nignore > RP_DATAID_CUSTOM_MAX_IGNORE)
        return rp_fail(eb, RP_EPARSE, "dataid: %s: more than %d ignore words", file,
                       RP_DATAID_CUSTOM_MAX_IGNORE);
    for (size_t i = 0; i < d->nignore; i++) {
        size_t c = cchars(d->ignore_words[i]);
        if (c < RP_DATAID_CUSTOM_IGNORE_MIN || c > RP_DATAID_CUSTOM_IGNORE_MAX)
            return rp_fail(
                eb, RP_EPARSE, "dataid: %s: ignore word not %d to %d characters long: '%s'", file,
                RP_DATAID_CUSTOM_IGNORE_MIN, RP_DATAID_CUSTOM_IGNORE_MAX, d->ignore_words[i]);
    }
    return RP_OK;
}

static rp_err check_name(rp_err code, const char *who, const char *name, const char *description,
                         struct rp_errbuf *eb)
{
    size_t c = cchars(name);
    if (c < 1 || c > RP_DATAID_CUSTOM_MAX_NAME || strlen(name) >= 4 * RP_DATAID_CUSTOM_MAX_NAME + 1)
        return rp_fail(eb, code, "dataid: %s: name not 1 to %d characters long", who,
                       RP_DATAID_CUSTOM_MAX_NAME);
    if (cchars(description) > RP_DATAID_CUSTOM_MAX_DESCRIPTION ||
        strlen(description) >= 4 * RP_DATAID_CUSTOM_MAX_DESCRIPTION + 1)
        return rp_fail(eb, code, "dataid: %s: description longer than %d characters", who,
                       RP_DATAID_CUSTOM_MAX_DESCRIPTION);
    return RP_OK;
}

/* RP_EPARSE when name is a managed identifier's id (a scan could not hold both). */
static rp_err check_not_managed(const char *file, const char *name, struct rp_errbuf *eb)
{
    struct rp_dataid_set *m = NULL;
    struct rp_errbuf meb = {0};
    rp_err e = rp_dataid_set_new(&m, eb);
    if (e) return e;
    const char *only[] = {name};
    e = rp_dataid_set_add_managed(m, only, 1, &meb);
    rp_dataid_set_free(m);
    if (e == RP_ENOENT) return RP_OK;
    if (e) return rp_fail(eb, e, "%s", meb.msg);
    return rp_fail(eb, RP_EPARSE, "dataid: %s: name is a managed data identifier's id: '%s'", file,
                   name);
}

rp_err rp_dataid_custom_prepare(const char *file, const char *text, size_t n, const char *name,
                                const char *description, struct rp_dataid_custom *out,
                                struct rp_errbuf *eb)
{
    memset(out, 0, sizeof *out);
    struct rp_buf js, conv, def;
    rp_buf_init(&js, 1u << 20);
    rp_buf_init(&conv, 1u << 20);
    rp_buf_init(&def, 1u << 20);
    struct rp_json_parser *jp = NULL;
    struct rp_dataid_set *s = NULL;
    struct rp_errbuf yeb = {0};
    struct rp_json_val root;
    struct rp_str v = {0};
    char fname[4 * RP_DATAID_CUSTOM_MAX_NAME + 2] = "";
    const char *src = text;
    size_t srcn = n;
    rp_err e = rp_yaml_to_json(text, n, &js, &yeb);
    if (e) {
        e = rp_fail(eb, RP_EPARSE, "dataid: %s: %s", file, yeb.msg);
        goto out;
    }
    if (!(jp = rp_json_parser_new())) {
        e = nomem(eb);
        goto out;
    }
    if (rp_json_parse_buf(jp, &js, &root, NULL) || rp_json_type(root) != RP_JSON_OBJECT) {
        e = rp_fail(eb, RP_EPARSE, "dataid: %s: not a mapping", file);
        goto out;
    }
    if (!rp_json_obj_get_str(root, "category", &v)) {
        if (!rp_str_eq_cstr(v, "CUSTOM_IDENTIFIER")) {
            e = rp_fail(eb, RP_EPARSE, "dataid: %s: category is not CUSTOM_IDENTIFIER: '%.*s'",
                        file, (int)(v.len > 64 ? 64 : v.len), v.p ? v.p : "");
            goto out;
        }
        if (!rp_json_obj_get_str(root, "id", &v))
            snprintf(fname, sizeof fname, "%.*s", (int)v.len, v.p ? v.p : "");
    } else {
        e = from_macie(file, root, name, &v, &conv, eb);
        if (e) goto out;
        snprintf(fname, sizeof fname, "%.*s", (int)v.len, v.p ? v.p : "");
        src = rp_buf_cstr(&conv);
        srcn = conv.len;
    }
    bool too_long = false;
    if (description) {
        too_long = strlen(description) >= sizeof out->description;
        if (!too_long) rp_strlcpy(out->description, description, sizeof out->description);
    } else if (!rp_json_obj_get_str(root, "description", &v)) {
        too_long = v.len >= sizeof out->description;
        if (!too_long) memcpy(out->description, v.p ? v.p : "", v.len);
    }
    if (too_long) {
        e = rp_fail(eb, RP_EPARSE, "dataid: %s: description longer than %d characters", file,
                    RP_DATAID_CUSTOM_MAX_DESCRIPTION);
        goto out;
    }
    if (!(e = rp_dataid_set_new(&s, eb))) e = rp_dataid_set_add_yaml(s, file, src, srcn, eb);
    if (e) goto out;
    const struct rp_dataid_ident *d = rp_dataid_set_ident(s, 0);
    const char *nm = name ? name : fname[0] ? fname : d->id;
    if ((e = check_name(RP_EPARSE, file, nm, out->description, eb))) goto out;
    rp_strlcpy(out->name, nm, sizeof out->name);
    if ((e = check_limits(file, d, eb))) goto out;
    if ((e = check_not_managed(file, out->name, eb))) goto out;
    if ((e = rp_dataid_set_compile(s, eb))) goto out;
    if (write_definition(d, out->name, &def)) {
        e = nomem(eb);
        goto out;
    }
    out->definition = rp_buf_take(&def, NULL);
    if (!out->definition) e = nomem(eb);
out:
    rp_dataid_set_free(s);
    rp_json_parser_free(jp);
    rp_buf_release(&js);
    rp_buf_release(&conv);
    rp_buf_release(&def);
    if (e) rp_dataid_custom_release(out);
    return e;
}

rp_err rp_dataid_custom_add_to_set(struct rp_dataid_set *s, const struct rp_dataid_custom *c,
                                   struct rp_errbuf *eb)
{
    char arn[128];
    rp_dataid_custom_arn(c->id, arn, sizeof arn);
    const char *def = c->definition ? c->definition : "";
    return rp_dataid_set_add_yaml(s, arn, def, strlen(def), eb);
}

rp_err rp_dataid_custom_json(const struct rp_dataid_custom *c, struct rp_buf *out,
                             struct rp_errbuf *eb)
{
    struct rp_dataid_set *s = NULL;
    rp_err e = rp_dataid_set_new(&s, eb);
    if (!e) e = rp_dataid_custom_add_to_set(s, c, eb);
    if (e) {
        rp_dataid_set_free(s);
        return e;
    }
    const struct rp_dataid_ident *d = rp_dataid_set_ident(s, 0);
    char arn[128], t[RP_TIME_ISO_BUFSZ];
    struct rp_json_writer w;
    rp_json_writer_init(&w, out);
    rp_json_write_obj_begin(&w);
    rp_json_write_kv_cstr(&w, "arn", rp_dataid_custom_arn(c->id, arn, sizeof arn));
    iso(c->created_ms, t, sizeof t);
    rp_json_write_kv_cstr(&w, "createdAt", t);
    rp_json_write_kv_bool(&w, "deleted", c->deleted);
    rp_json_write_kv_cstr(&w, "description", c->description);
    rp_json_write_kv_cstr(&w, "id", c->id);
    write_list(&w, "ignoreWords", d->ignore_words, d->nignore);
    write_list(&w, "keywords", d->keywords, d->nkeywords);
    rp_json_write_kv_int(&w, "maximumMatchDistance", d->max_distance);
    rp_json_write_kv_cstr(&w, "name", c->name);
    rp_json_write_kv_cstr(&w, "regex", d->regex);
    rp_json_write_key(&w, "severityLevels", 14);
    rp_json_write_arr_begin(&w);
    for (size_t i = 0; i < d->nlevels; i++) {
        rp_json_write_obj_begin(&w);
        rp_json_write_kv_int(&w, "occurrencesThreshold", d->levels[i].threshold);
        rp_json_write_kv_cstr(&w, "severity", k_sev[d->levels[i].severity]);
        rp_json_write_obj_end(&w);
    }
    rp_json_write_arr_end(&w);
    rp_json_write_obj_end(&w);
    e = rp_json_writer_finish(&w);
    rp_dataid_set_free(s);
    return e ? rp_fail(eb, e, "dataid: cannot write custom data identifier '%s'", c->id) : RP_OK;
}

/* ---- custom identifiers: the store -------------------------------------------------------- */

#define CUSTOM_COLS "id, name, description, definition, created_ms, deleted, deleted_ms"

static void text_col(struct rp_store_stmt *s, int col, char *dst, size_t n)
{
    const char *t = rp_store_stmt_column_text(s, col, NULL);
    rp_strlcpy(dst, t ? t : "", n);
}

static rp_err read_custom(struct rp_store_stmt *s, struct rp_dataid_custom *c, struct rp_errbuf *eb)
{
    memset(c, 0, sizeof *c);
    text_col(s, 0, c->id, sizeof c->id);
    text_col(s, 1, c->name, sizeof c->name);
    text_col(s, 2, c->description, sizeof c->description);
    const char *d = rp_store_stmt_column_text(s, 3, NULL);
    if (!(c->definition = strdup(d ? d : ""))) return nomem(eb);
    c->created_ms = rp_store_stmt_column_int64(s, 4);
    c->deleted = rp_store_stmt_column_int64(s, 5) != 0;
    c->deleted_ms = rp_store_stmt_column_int64(s, 6);
    return RP_OK;
}

/* The id of the custom identifier named name not deleted into id ("" when none). */
static rp_err custom_by_name(struct rp_store *st, const char *name, char id[37],
                             struct rp_errbuf *eb)
{
    struct rp_store_stmt *s = NULL;
    id[0] = 0;
    rp_err e = rp_store_stmt_prepare(
        st, "SELECT id FROM dataid_custom_ids WHERE name = ?1 AND deleted = 0", &s, eb);
    if (!e) e = rp_store_stmt_bind_cstr(s, 1, name, eb);
    bool row = false;
    if (!e) e = rp_store_stmt_step(s, &row, eb);
    if (!e && row) {
        text_col(s, 0, id, 37);
        rp_store_stmt_reset(s);
    }
    return e;
}

rp_err rp_dataid_custom_put(struct rp_store *st, struct rp_dataid_custom *c, struct rp_errbuf *eb)
{
    char other[37];
    rp_err e = custom_by_name(st, c->name, other, eb);
    if (e) return e;
    if (other[0])
        return rp_fail(eb, RP_EEXIST, "dataid: a custom data identifier named '%s' exists: '%s'",
                       c->name, other);
    if (!c->id[0] && rp_uuid_new(c->id))
        return rp_fail(eb, RP_EIO, "dataid: no random bytes for an id");
    if (!c->created_ms) c->created_ms = rp_time_now_ms();
    struct rp_store_stmt *s = NULL;
    e = rp_store_stmt_prepare(
        st, "INSERT INTO dataid_custom_ids (" CUSTOM_COLS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        &s, eb);
    if (!e) e = rp_store_stmt_bind_cstr(s, 1, c->id, eb);
    if (!e) e = rp_store_stmt_bind_cstr(s, 2, c->name, eb);
    if (!e) e = rp_store_stmt_bind_cstr(s, 3, c->description, eb);
    if (!e) e = rp_store_stmt_bind_cstr(s, 4, c->definition ? c->definition : "", eb);
    if (!e) e = rp_store_stmt_bind_int64(s, 5, c->created_ms, eb);
    if (!e) e = rp_store_stmt_bind_int64(s, 6, c->deleted ? 1 : 0, eb);
    if (!e) e = rp_store_stmt_bind_int64(s, 7, c->deleted_ms, eb);
    bool row = false;
    if (!e) e = rp_store_stmt_step(s, &row, eb);
    if (e == RP_EEXIST)
        return rp_fail(eb, RP_EEXIST, "dataid: a custom data identifier with id '%s' exists",
                       c->id);
    return e;
}

rp_err rp_dataid_custom_get(struct rp_store *st, const char *ref, struct rp_dataid_custom *out,
                            struct rp_errbuf *eb)
{
    memset(out, 0, sizeof *out);
    struct rp_store_stmt *s = NULL;
    rp_err e = rp_store_stmt_prepare(st,
                                     "SELECT " CUSTOM_COLS " FROM dataid_custom_ids WHERE id = ?1 "
                                     "OR (name = ?1 AND deleted = 0) ORDER BY id = ?1 DESC LIMIT 1",
                                     &s, eb);
    if (!e) e = rp_store_stmt_bind_cstr(s, 1, ref, eb);
    bool row = false;
    if (!e) e = rp_store_stmt_step(s, &row, eb);
    if (e) return e;
    if (!row) return rp_fail(eb, RP_ENOENT, "dataid: no custom data identifier '%s'", ref);
    e = read_custom(s, out, eb);
    rp_store_stmt_reset(s);
    if (e) rp_dataid_custom_release(out);
    return e;
}

rp_err rp_dataid_custom_remove(struct rp_store *st, const char *ref, int64_t now_ms,
                               struct rp_dataid_custom *out, struct rp_errbuf *eb)
{
    struct rp_dataid_custom c;
    rp_err e = rp_dataid_custom_get(st, ref, &c, eb);
    if (e) return e;
    if (c.deleted) {
        rp_dataid_custom_release(&c);
        return rp_fail(eb, RP_ENOENT, "dataid: custom data identifier '%s' was deleted already",
                       ref);
    }
    struct rp_store_stmt *s = NULL;
    e = rp_store_stmt_prepare(
        st, "UPDATE dataid_custom_ids SET deleted = 1, deleted_ms = ?2 WHERE id = ?1", &s, eb);
    if (!e) e = rp_store_stmt_bind_cstr(s, 1, c.id, eb);
    if (!e) e = rp_store_stmt_bind_int64(s, 2, now_ms, eb);
    bool row = false;
    if (!e) e = rp_store_stmt_step(s, &row, eb);
    c.deleted = true;
    c.deleted_ms = now_ms;
    if (!e && out)
        *out = c;
    else
        rp_dataid_custom_release(&c);
    return e;
}

rp_err rp_dataid_custom_each(struct rp_store *st, bool with_deleted, rp_dataid_custom_fn fn,
                             void *ctx, struct rp_errbuf *eb)
{
    struct rp_store_stmt *s = NULL;
    rp_err e = rp_store_stmt_prepare(st,
                                     "SELECT " CUSTOM_COLS " FROM dataid_custom_ids WHERE ?1 OR "
                                     "deleted = 0 ORDER BY name, id",
                                     &s, eb);
    if (!e) e = rp_store_stmt_bind_int64(s, 1, with_deleted ? 1 : 0, eb);
    struct rp_dataid_custom *v = NULL;
    size_t n = 0, cap = 0;
    bool row = false;
    while (!e && !(e = rp_store_stmt_step(s, &row, eb)) && row) {
        if (n == cap) {
            size_t nc = cap ? 2 * cap : 8;
            struct rp_dataid_custom *nv = realloc(v, nc * sizeof *nv);
            if (!nv) {
                e = nomem(eb);
                break;
            }
            v = nv;
            cap = nc;
        }
        if ((e = read_custom(s, &v[n], eb))) break;
        n++;
    }
    if (e && s) rp_store_stmt_reset(s);
    for (size_t i = 0; !e && i < n; i++) e = fn(ctx, &v[i], eb);
    for (size_t i = 0; i < n; i++) rp_dataid_custom_release(&v[i]);
    free(v);
    return e;
}

/* ---- allow lists -------------------------------------------------------------------------- */

void rp_dataid_allow_release(struct rp_dataid_allow *a)
{
    if (a) rp_free_and_null(a->content);
}

static size_t count_phrases(const char *text, size_t n)
{
    size_t k = 0, pos = 0;
    while (pos < n) {
        const char *nl = memchr(text + pos, '\n', n - pos);
        size_t end = nl ? (size_t)(nl - text) : n;
        for (size_t i = pos; i < end; i++)
            if (text[i] != ' ' && text[i] != '\t' && text[i] != '\r') {
                k++;
                break;
            }
        pos = end + 1;
    }
    return k;
}

static rp_err allow_names(const char *name, const char *description, struct rp_dataid_allow *out,
                          struct rp_errbuf *eb)
{
    if (!description) description = "";
    rp_err e = check_name(RP_EINVAL, "allow list", name ? name : "", description, eb);
    if (e) return e;
    rp_strlcpy(out->name, name, sizeof out->name);
    rp_strlcpy(out->description, description, sizeof out->description);
    return RP_OK;
}

rp_err rp_dataid_allow_prepare_regex(const char *name, const char *description, const char *regex,
                                     struct rp_dataid_allow *out, struct rp_errbuf *eb)
{
    memset(out, 0, sizeof *out);
    out->kind = RP_DATAID_ALLOW_REGEX;
    rp_err e = allow_names(name, description, out, eb);
    if (e) return e;
    if (!*regex) return rp_fail(eb, RP_EINVAL, "dataid: allow list: empty regex");
    if (cchars(regex) > RP_DATAID_CUSTOM_MAX_REGEX)
        return rp_fail(eb, RP_EINVAL, "dataid: allow list: regex longer than %d characters",
                       RP_DATAID_CUSTOM_MAX_REGEX);
    /* the regex alone first, so that PCRE2's offsets are the user's */
    struct rp_re_set *re = NULL;
    struct rp_errbuf reb = {0};
    struct rp_re_pattern pat = {regex, 0};
    e = rp_re_set_new(&pat, 1, &re, &reb);
    rp_re_set_free(re);
    if (e) {
        const char *m = reb.msg;
        if (!strncmp(m, "re: pattern 0: ", 15)) m += 15;
        return rp_fail(eb, e, "dataid: allow list regex: %s", m);
    }
    struct rp_dataid_set *s = NULL;
    e = rp_dataid_set_new(&s, eb);
    if (!e) e = rp_dataid_set_allow_regex(s, regex, eb);
    if (!e) e = rp_dataid_set_compile(s, eb);
    rp_dataid_set_free(s);
    if (e) return e;
    if (!(out->content = strdup(regex))) return nomem(eb);
    return RP_OK;
}

rp_err rp_dataid_allow_prepare_phrases(const char *name, const char *description, const char *file,
                                       const char *text, size_t n, struct rp_dataid_allow *out,
                                       struct rp_errbuf *eb)
{
    memset(out, 0, sizeof *out);
    out->kind = RP_DATAID_ALLOW_PHRASES;
    rp_err e = allow_names(name, description, out, eb);
    if (e) return e;
    if (n > RP_DATAID_ALLOW_MAX_BYTES)
        return rp_fail(eb, RP_EINVAL, "dataid: allow list: '%s' is larger than 35 MiB", file);
    if (memchr(text, 0, n))
        return rp_fail(eb, RP_EINVAL, "dataid: allow list: '%s' is not text", file);
    out->nphrases = count_phrases(text, n);
    if (!out->nphrases)
        return rp_fail(eb, RP_EINVAL, "dataid: allow list: '%s' has no phrases", file);
    if (out->nphrases > RP_DATAID_ALLOW_MAX_PHRASES)
        return rp_fail(eb, RP_EINVAL, "dataid: allow list: '%s' has more than %d phrases", file,
                       RP_DATAID_ALLOW_MAX_PHRASES);
    if (strlen(file) >= sizeof out->source)
        return rp_fail(eb, RP_EINVAL, "dataid: allow list: '%s' is too long a name", file);
    rp_strlcpy(out->source, file, sizeof out->source);
    if (!(out->content = strndup(text, n))) return nomem(eb);
    return RP_OK;
}

#define ALLOW_COLS "id, name, description, kind, content, source, created_ms, updated_ms"

static rp_err read_allow(struct rp_store_stmt *s, struct rp_dataid_allow *a, struct rp_errbuf *eb)
{
    memset(a, 0, sizeof *a);
    text_col(s, 0, a->id, sizeof a->id);
    text_col(s, 1, a->name, sizeof a->name);
    text_col(s, 2, a->description, sizeof a->description);
    const char *k = rp_store_stmt_column_text(s, 3, NULL);
    a->kind = k && !strcmp(k, "regex") ? RP_DATAID_ALLOW_REGEX : RP_DATAID_ALLOW_PHRASES;
    size_t len = 0;
    const char *c = rp_store_stmt_column_text(s, 4, &len);
    if (!(a->content = strndup(c ? c : "", c ? len : 0))) return nomem(eb);
    if (a->kind == RP_DATAID_ALLOW_PHRASES) a->nphrases = count_phrases(a->content, len);
    text_col(s, 5, a->source, sizeof a->source);
    a->created_ms = rp_store_stmt_column_int64(s, 6);
    a->updated_ms = rp_store_stmt_column_int64(s, 7);
    return RP_OK;
}

rp_err rp_dataid_allow_put(struct rp_store *st, struct rp_dataid_allow *a, struct rp_errbuf *eb)
{
    struct rp_store_stmt *s = NULL;
    rp_err e =
        rp_store_stmt_prepare(st, "SELECT id FROM dataid_allow_lists WHERE name = ?1", &s, eb);
    if (!e) e = rp_store_stmt_bind_cstr(s, 1, a->name, eb);
    bool row = false;
    if (!e) e = rp_store_stmt_step(s, &row, eb);
    if (e) return e;
    if (row) {
        char other[23];
        text_col(s, 0, other, sizeof other);
        rp_store_stmt_reset(s);
        return rp_fail(eb, RP_EEXIST, "dataid: an allow list named '%s' exists: '%s'", a->name,
                       other);
    }
    if (!a->id[0] && new_allow_id(a->id))
        return rp_fail(eb, RP_EIO, "dataid: no random bytes for an id");
    if (!a->created_ms) a->created_ms = rp_time_now_ms();
    if (!a->updated_ms) a->updated_ms = a->created_ms;
    e = rp_store_stmt_prepare(st,
                              "INSERT INTO dataid_allow_lists (" ALLOW_COLS
                              ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                              &s, eb);
    if (!e) e = rp_store_stmt_bind_cstr(s, 1, a->id, eb);
    if (!e) e = rp_store_stmt_bind_cstr(s, 2, a->name, eb);
    if (!e) e = rp_store_stmt_bind_cstr(s, 3, a->description, eb);
    if (!e)
        e = rp_store_stmt_bind_cstr(s, 4, a->kind == RP_DATAID_ALLOW_REGEX ? "regex" : "phrases",
                                    eb);
    if (!e) e = rp_store_stmt_bind_cstr(s, 5, a->content ? a->content : "", eb);
    if (!e) e = rp_store_stmt_bind_cstr(s, 6, a->source, eb);
    if (!e) e = rp_store_stmt_bind_int64(s, 7, a->created_ms, eb);
    if (!e) e = rp_store_stmt_bind_int64(s, 8, a->updated_ms, eb);
    if (!e) e = rp_store_stmt_step(s, &row, eb);
    if (e == RP_EEXIST)
        return rp_fail(eb, RP_EEXIST, "dataid: an allow list with id '%s' exists", a->id);
    return e;
}

rp_err rp_dataid_allow_get(struct rp_store *st, const char *ref, struct rp_dataid_allow *out,
                           struct rp_errbuf *eb)
{
    memset(out, 0, sizeof *out);
    struct rp_store_stmt *s = NULL;
    rp_err e = rp_store_stmt_prepare(st,
                                     "SELECT " ALLOW_COLS " FROM dataid_allow_lists WHERE id = ?1 "
                                     "OR name = ?1 ORDER BY id = ?1 DESC LIMIT 1",
                                     &s, eb);
    if (!e) e = rp_store_stmt_bind_cstr(s, 1, ref, eb);
    bool row = false;
    if (!e) e = rp_store_stmt_step(s, &row, eb);
    if (e) return e;
    if (!row) return rp_fail(eb, RP_ENOENT, "dataid: no allow list '%s'", ref);
    e = read_allow(s, out, eb);
    rp_store_stmt_reset(s);
    if (e) rp_dataid_allow_release(out);
    return e;
}

rp_err rp_dataid_allow_jobs_using(struct rp_store *st, const char *id, int64_t *n, char *job,
                                  struct rp_errbuf *eb)
{
    struct rp_store_stmt *s = NULL;
    *n = 0;
    job[0] = 0;
    rp_err e = rp_store_stmt_prepare(st,
                                     "SELECT job_id FROM dataid_jobs WHERE job_status <> "
                                     "'COMPLETE' AND instr(',' || allow_list_ids || ',', ',' || "
                                     "?1 || ',') > 0 ORDER BY created_ms, job_id",
                                     &s, eb);
    if (!e) e = rp_store_stmt_bind_cstr(s, 1, id, eb);
    bool row = false;
    while (!e && !(e = rp_store_stmt_step(s, &row, eb)) && row) {
        if (!(*n)++) text_col(s, 0, job, 33);
    }
    return e;
}

rp_err rp_dataid_allow_delete(struct rp_store *st, const char *ref, struct rp_errbuf *eb)
{
    struct rp_dataid_allow a;
    rp_err e = rp_dataid_allow_get(st, ref, &a, eb);
    if (e) return e;
    struct rp_store_stmt *s = NULL;
    e = rp_store_stmt_prepare(st, "DELETE FROM dataid_allow_lists WHERE id = ?1", &s, eb);
    if (!e) e = rp_store_stmt_bind_cstr(s, 1, a.id, eb);
    bool row = false;
    if (!e) e = rp_store_stmt_step(s, &row, eb);
    rp_dataid_allow_release(&a);
    return e;
}

rp_err rp_dataid_allow_each(struct rp_store *st, rp_dataid_allow_fn fn, void *ctx,
                            struct rp_errbuf *eb)
{
    struct rp_store_stmt *s = NULL;
    rp_err e = rp_store_stmt_prepare(
        st, "SELECT " ALLOW_COLS " FROM dataid_allow_lists ORDER BY name, id", &s, eb);
    struct rp_dataid_allow *v = NULL;
    size_t n = 0, cap = 0;
    bool row = false;
    while (!e && !(e = rp_store_stmt_step(s, &row, eb)) && row) {
        if (n == cap) {
            size_t nc = cap ? 2 * cap : 8;
            struct rp_dataid_allow *nv = realloc(v, nc * sizeof *nv);
            if (!nv) {
                e = nomem(eb);
                break;
            }
            v = nv;
            cap = nc;
        }
        if ((e = read_allow(s, &v[n], eb))) break;
        n++;
    }
    if (e && s) rp_store_stmt_reset(s);
    for (size_t i = 0; !e && i < n; i++) e = fn(ctx, &v[i], eb);
    for (size_t i = 0; i < n; i++) rp_dataid_allow_release(&v[i]);
    free(v);
    return e;
}

rp_err rp_dataid_allow_add_to_set(struct rp_dataid_set *s, const struct rp_dataid_allow *a,
                                  struct rp_errbuf *eb)
{
    const char *c = a->content ? a->content : "";
    if (a->kind == RP_DATAID_ALLOW_REGEX) return rp_dataid_set_allow_regex(s, c, eb);
    return rp_dataid_set_allow_phrases(s, c, strlen(c), eb);
}

rp_err rp_dataid_allow_json(const struct rp_dataid_allow *a, struct rp_buf *out,
                            struct rp_errbuf *eb)
{
    char arn[128], t[RP_TIME_ISO_BUFSZ];
    struct rp_json_writer w;
    rp_json_writer_init(&w, out);
    rp_json_write_obj_begin(&w);
    rp_json_write_kv_cstr(&w, "arn", rp_dataid_allow_arn(a->id, arn, sizeof arn));
    iso(a->created_ms, t, sizeof t);
    rp_json_write_kv_cstr(&w, "createdAt", t);
    rp_json_write_key(&w, "criteria", 8);
    rp_json_write_obj_begin(&w);
    if (a->kind == RP_DATAID_ALLOW_REGEX) {
        rp_json_write_kv_cstr(&w, "regex", a->content ? a->content : "");
    } else {
        rp_json_write_key(&w, "s3WordsList", 11);
        rp_json_write_obj_begin(&w);
        rp_json_write_kv_cstr(&w, "bucketName", "local");
        rp_json_write_kv_cstr(&w, "objectKey", a->source);
        rp_json_write_obj_end(&w);
    }
    rp_json_write_obj_end(&w);
    rp_json_write_kv_cstr(&w, "description", a->description);
    rp_json_write_kv_cstr(&w, "id", a->id);
    rp_json_write_kv_cstr(&w, "name", a->name);
    rp_json_write_key(&w, "status", 6);
    rp_json_write_obj_begin(&w);
    rp_json_write_kv_cstr(&w, "code", "OK");
    rp_json_write_obj_end(&w);
    iso(a->updated_ms, t, sizeof t);
    rp_json_write_kv_cstr(&w, "updatedAt", t);
    rp_json_write_obj_end(&w);
    rp_err e = rp_json_writer_finish(&w);
    return e ? rp_fail(eb, e, "dataid: cannot write allow list '%s'", a->id) : RP_OK;
}
