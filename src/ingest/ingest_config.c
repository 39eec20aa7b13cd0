/* SPDX-License-Identifier: Apache-2.0 */
/* ingest_config: AWS Config configuration items (CIs) into config_items (history, one row per
 * CI), config_resources (current state, one row per resource) and config_relationships (one
 * row per relationship of every CI), data/schemas/store/0006_config.sql, docs/ingest-config.md.
 *
 * Records read (the runner unwraps "configurationItems"/"baseConfigurationItems" arrays of
 * snapshot and history files and of API outputs, so each CI comes here alone):
 *   - a CI in the delivered field names (configurationItemVersion, awsAccountId, ARN ..) or
 *     the API's (version, accountId, arn ..), also a JSON array of CIs;
 *   - change notifications (messageType ConfigurationItemChangeNotification: the CI plus its
 *     configurationItemDiff; OversizedConfigurationItemChangeNotification: the summary, with
 *     configuration NULL), bare, inside an SNS envelope ("Message", object or string) or in a
 *     rule invocation event ("invokingEvent" string). Other messageTypes carry no CI: they are
 *     accepted and give no row.
 * A CI without resourceType, resourceId or configurationItemCaptureTime is rejected. Which
 * copy of a resource wins in config_resources is decided by the upsert SQL below, not here. */
#define RP_LOG_MODULE "ingest"
#include <string.h>

#include "core/rp_json.h"
#include "core/rp_limits.h"
#include "core/rp_time.h"
#include "ingest/ingest_source.h"
#include "core/rp_banned.h"

/* ---- tables ------------------------------------------------------------------------------ */

#define C(n, t)                                                                                    \
    {                                                                                              \
        n, RP_INGEST_COL_##t                                                                       \
    }
static const struct rp_ingest_col cols[] = {
    C("configurationItemVersion", TEXT),
    C("configurationItemCaptureTime", TEXT),
    C("configurationStateId", INT), /* INT, or TEXT for the UUIDs of 1.0 items */
    C("awsAccountId", TEXT),
    C("configurationItemStatus", TEXT),
    C("resourceType", TEXT),
    C("resourceId", TEXT),
    C("resourceName", TEXT),
    C("ARN", TEXT),
    C("awsRegion", TEXT),
    C("availabilityZone", TEXT),
    C("resourceCreationTime", TEXT),
    C("tags", JSON),
    C("relatedEvents", JSON),
    C("relationships", JSON),
    C("configuration", JSON),
    C("supplementaryConfiguration", JSON),
    C("configurationItemMD5Hash", TEXT),
    C("configurationItemDiff", JSON),
    C("rp_time_ms", INT),
    C("rp_account", TEXT),
    C("rp_region", TEXT),
    C("rp_raw", RAW), /* last: config_resources has every column but this one */
};

static const struct rp_ingest_col rel_cols[] = {
    C("rp_account", TEXT),
    C("rp_region", TEXT),
    C("resourceType", TEXT),
    C("resourceId", TEXT),
    C("rp_time_ms", INT),
    C("configurationStateId", INT),
    C("idx", INT),
    C("relationshipName", TEXT),
    C("relatedResourceType", TEXT),
    C("relatedResourceId", TEXT),
    C("relatedResourceName", TEXT),
};
#undef C

enum {
    COL_VERSION,
    COL_CAPTURE,
    COL_STATE,
    COL_ACCOUNT_ID,
    COL_STATUS,
    COL_TYPE,
    COL_ID,
    COL_NAME,
    COL_ARN,
    COL_AWS_REGION,
    COL_AZ,
    COL_CREATED,
    COL_TAGS,
    COL_EVENTS,
    COL_RELS,
    COL_CONFIG,
    COL_SUPP,
    COL_MD5,
    COL_DIFF,
    COL_TIME,
    COL_ACCOUNT,
    COL_REGION,
    COL_RAW,
    NCOLS,
};

enum {
    REL_ACCOUNT,
    REL_REGION,
    REL_TYPE,
    REL_ID,
    REL_TIME,
    REL_STATE,
    REL_IDX,
    REL_NAME,
    REL_RTYPE,
    REL_RID,
    REL_RNAME,
    NRELCOLS,
};

_Static_assert(RP_ARRAY_LEN(cols) == NCOLS, "column enum matches cols[]");
_Static_assert(RP_ARRAY_LEN(rel_cols) == NRELCOLS, "column enum matches rel_cols[]");
_Static_assert(COL_RAW == NCOLS - 1, "rp_raw is the last column");

/* Column list of config_resources, in ?N order (config_items adds rp_raw as ?23). */
#define CI_COLS                                                                                    \
    "configurationItemVersion, configurationItemCaptureTime, configurationStateId, "               \
    "awsAccountId, configurationItemStatus, resourceType, resourceId, resourceName, ARN, "         \
    "awsRegion, availabilityZone, resourceCreationTime, tags, relatedEvents, relationships, "      \
    "configuration, supplementaryConfiguration, configurationItemMD5Hash, "                        \
    "configurationItemDiff, rp_time_ms, rp_account, rp_region"
#define CI_PARAMS                                                                                  \
    "?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, "  \
    "?21, ?22"

/* The columns a copy of a CI may lack that another copy of the same CI has (an oversized
 * summary has no configuration, tags or relationships; an item from a file has no diff). */
#define CI_GAP_COLS(X)                                                                             \
    X("configurationItemVersion")                                                                  \
    X("awsAccountId")                                                                              \
    X("configurationItemStatus")                                                                   \
    X("resourceName")                                                                              \
    X("ARN")                                                                                       \
    X("awsRegion")                                                                                 \
    X("availabilityZone")                                                                          \
    X("resourceCreationTime")                                                                      \
    X("tags")                                                                                      \
    X("relatedEvents")                                                                             \
    X("relationships")                                                                             \
    X("configuration")                                                                             \
    X("supplementaryConfiguration")                                                                \
    X("configurationItemMD5Hash")                                                                  \
    X("configurationItemDiff")

/* config_items: the same CI again is a duplicate (no change), unless it fills a gap. */
#define ITEM_FILL(c) c " = coalesce(config_items." c ", excluded." c "), "
#define ITEM_GAP(c)  "(config_items." c " IS NULL AND excluded." c " IS NOT NULL) OR "
static const char items_sql[] =
    "INSERT INTO config_items(" CI_COLS ", rp_raw) VALUES(" CI_PARAMS ", ?23) "
    "ON CONFLICT(resourceId, resourceType, rp_account, rp_region, rp_time_ms, "
    "ifnull(configurationStateId, -1)) DO UPDATE SET " CI_GAP_COLS(ITEM_FILL)
    /* the fuller copy's bytes replace a summary's */
    "rp_raw = CASE WHEN config_items.configuration IS NULL AND excluded.configuration IS NOT "
    "NULL THEN excluded.rp_raw ELSE config_items.rp_raw END "
    "WHERE " CI_GAP_COLS(ITEM_GAP) "0";

/* config_resources: a newer CI (later capture, or same capture and greater state id) replaces
 * the row; the same CI only fills gaps; an older one changes nothing. */
#define RES_SAME                                                                                   \
    "(excluded.rp_time_ms = config_resources.rp_time_ms AND "                                      \
    "ifnull(excluded.configurationStateId, -1) = ifnull(config_resources.configurationStateId, "   \
    "-1))"
#define RES_NEWER                                                                                  \
    "(excluded.rp_time_ms > config_resources.rp_time_ms OR "                                       \
    "(excluded.rp_time_ms = config_resources.rp_time_ms AND "                                      \
    "ifnull(excluded.configurationStateId, -1) > ifnull(config_resources.configurationStateId, "   \
    "-1)))"
#define RES_SET(c)                                                                                 \
    c " = CASE WHEN " RES_SAME " THEN coalesce(config_resources." c ", excluded." c                \
      ") ELSE excluded." c " END, "
#define RES_GAP(c) "(config_resources." c " IS NULL AND excluded." c " IS NOT NULL) OR "
#define RES_SETS                                                                                   \
    CI_GAP_COLS(RES_SET)                                                                           \
    "configurationItemCaptureTime = excluded.configurationItemCaptureTime, "                       \
    "configurationStateId = excluded.configurationStateId, rp_time_ms = excluded.rp_time_ms"
static const char resources_sql[] =
    "INSERT INTO config_resources(" CI_COLS ") VALUES(" CI_PARAMS ") "
    "ON CONFLICT(rp_account, rp_region, resourceType, resourceId) DO UPDATE SET " RES_SETS
    " WHERE " RES_NEWER " OR (" RES_SAME " AND (" CI_GAP_COLS(RES_GAP) "0))";

enum { TBL_ITEMS, TBL_RESOURCES, TBL_RELATIONSHIPS };

static const struct rp_ingest_table tables[] = {
    [TBL_ITEMS] = {.name = "config_items",
                   .cols = cols,
                   .ncols = NCOLS,
                   .time_col = COL_TIME,
                   .insert_sql = items_sql},
    [TBL_RESOURCES] = {.name = "config_resources",
                       .cols = cols,
                       .ncols = NCOLS - 1,
                       .time_col = COL_TIME,
                       .insert_sql = resources_sql},
    [TBL_RELATIONSHIPS] = {.name = "config_relationships",
                           .cols = rel_cols,
                           .ncols = NRELCOLS,
                           .time_col = REL_TIME,
                           .insert_sql = NULL},
};

/* ---- probe ------------------------------------------------------------------------------- */

static size_t skip_ws(const char *h, size_t n, size_t i)
{
    while (i < n && (h[i] == ' ' || h[i] == '\t' || h[i] == '\r' || h[i] == '\n')) i++;
    return i;
}

/* Offset just past the ':' of member name key ("\"key\"" then optional space and ':') in
 * h[0..n), or 0 when there is none. Escaped names inside JSON strings (\"key\") never match,
 * since their closing quote is preceded by a backslash. */
static size_t find_key(const char *h, size_t n, const char *key)
{
    size_t kl = strlen(key), i = 0;
    while (i + kl + 2 <= n) {
        const char *q = memchr(h + i, '"', n - i);
        if (!q) return 0;
        i = (size_t)(q - h) + 1;
        if (i + kl + 1 > n || memcmp(h + i, key, kl) != 0 || h[i + kl] != '"') continue;
        size_t j = skip_ws(h, n, i + kl + 1);
        if (j < n && h[j] == ':') return j + 1;
    }
    return 0;
}

static bool has_key(const char *h, size_t n, const char *key)
{
    return find_key(h, n, key) != 0;
}

/* True when member key has a string value starting with one of prefixes (NULL-terminated). */
static bool key_value_starts(const char *h, size_t n, const char *key, const char *const *prefixes)
{
    size_t j = find_key(h, n, key);
    if (!j) return false;
    j = skip_ws(h, n, j);
    if (j >= n || h[j] != '"') return false;
    j++;
    for (; *prefixes; prefixes++) {
        size_t pl = strlen(*prefixes);
        if (j + pl <= n && memcmp(h + j, *prefixes, pl) == 0) return true;
    }
    return false;
}

static bool contains(const char *h, size_t n, const char *s)
{
    return memmem(h, n, s, strlen(s)) != NULL;
}

/* The name of the first member of the top-level object (or of the first object in a
 * top-level array) equals key. */
static bool first_key_is(const char *h, size_t n, const char *key)
{
    size_t i = skip_ws(h, n, 0), kl = strlen(key);
    if (i < n && h[i] == '[') i = skip_ws(h, n, i + 1);
    if (i >= n || h[i] != '{') return false;
    i = skip_ws(h, n, i + 1);
    return i + kl + 2 <= n && h[i] == '"' && memcmp(h + i + 1, key, kl) == 0 &&
           h[i + 1 + kl] == '"';
}

static const char *const config_message_types[] = {
    "Configuration", "OversizedConfiguration", "Compliance", "ConfigRules", "Scheduled", NULL,
};

/* Scores, from the first bytes: a snapshot/history file (fileVersion or configurationItems
 * first) 100; a configurationItems array elsewhere 90; a Config messageType 90; a rule
 * invocation event 85; a CI (resourceType and configurationItemCaptureTime) 85; an SNS
 * envelope carrying a Config message 80. CloudTrail (a Records file, or any record with
 * eventVersion and eventSource, even one about config.amazonaws.com) and anything that is not
 * a JSON object or array: 0. A .../Config/.../ConfigSnapshot|ConfigHistory/... path adds 5,
 * or gives 40 to a JSON document in which nothing was recognised (its first item may be larger
 * than the head). */
static int probe(const char *head, size_t n, const char *path)
{
    size_t i = skip_ws(head, n, 0);
    if (n - i >= 3 && memcmp(head + i, "\xef\xbb\xbf", 3) == 0) i = skip_ws(head, n, i + 3);
    bool hint = path && strstr(path, "/Config/") &&
                (strstr(path, "ConfigSnapshot") || strstr(path, "ConfigHistory"));
    if (i == n) return hint ? 40 : 0;
    if (head[i] != '{' && head[i] != '[') return 0;
    const char *h = head + i;
    n -= i;
    int score = 0;
    if (first_key_is(h, n, "Records")) return 0;
    if ((first_key_is(h, n, "fileVersion") || first_key_is(h, n, "configurationItems")) &&
        has_key(h, n, "configurationItems"))
        score = 100;
    else if (has_key(h, n, "eventVersion") && has_key(h, n, "eventSource"))
        return 0;
    else if (has_key(h, n, "configurationItems") || has_key(h, n, "baseConfigurationItems"))
        score = 90;
    else if (key_value_starts(h, n, "messageType", config_message_types))
        score = 90;
    else if (has_key(h, n, "invokingEvent") && has_key(h, n, "configRuleName"))
        score = 85;
    else if (has_key(h, n, "resourceType") && has_key(h, n, "configurationItemCaptureTime"))
        score = 85;
    else if (has_key(h, n, "TopicArn") && has_key(h, n, "Message") &&
             (contains(h, n, "ConfigurationItem") || contains(h, n, "ConfigurationSnapshot") ||
              contains(h, n, "ConfigurationHistory") || contains(h, n, "ComplianceChange")))
        score = 80;
    if (!hint) return score;
    return score ? (score + 5 > 100 ? 100 : score + 5) : 40;
}

/* ---- parsers for JSON held in strings ---------------------------------------------------- */

/* JSON inside strings (an SNS Message, an invokingEvent, a configuration delivered as a
 * string, an S3 policyText) is parsed with a parser of its own per level of nesting, so the
 * document it came from stays valid: level 0 is cx->jp, deeper levels are created on demand
 * and freed after the record. Deeper than CFG_LEVELS, strings are kept as they are. */
#define CFG_LEVELS 6

struct pool {
    struct rp_ingest_ctx *cx;
    struct rp_json_parser *jp[CFG_LEVELS]; /* [0] borrowed from cx, others owned */
};

static void pool_release(struct pool *p)
{
    for (int i = 1; i < CFG_LEVELS; i++) rp_json_parser_free(p->jp[i]);
}

/* The parser of level, or NULL in *out past CFG_LEVELS. RP_ENOMEM. */
static rp_err pool_get(struct pool *p, int level, struct rp_json_parser **out)
{
    *out = NULL;
    if (level >= CFG_LEVELS) return RP_OK;
    if (!p->jp[level])
        p->jp[level] = level == 0 ? rp_ingest_ctx_parser(p->cx) : rp_json_parser_new();
    if (!p->jp[level]) return RP_ENOMEM;
    *out = p->jp[level];
    return RP_OK;
}

/* If s holds a JSON object or array, parse it at level into *out (true), else false. */
static rp_err decode_str(struct pool *p, int level, struct rp_str s, struct rp_json_val *out,
                         bool *ok)
{
    struct rp_json_parser *jp;
    struct rp_errbuf ignored = {0};
    *ok = false;
    size_t i = skip_ws(s.p, s.len, 0);
    if (i == s.len || (s.p[i] != '{' && s.p[i] != '[')) return RP_OK;
    rp_err e = pool_get(p, level, &jp);
    if (e || !jp) return e;
    e = rp_json_parse(jp, s.p, s.len, out, &ignored);
    if (e == RP_ENOMEM) return e;
    *ok = e == RP_OK;
    return RP_OK;
}

/* ---- JSON columns ------------------------------------------------------------------------ */

enum jmode {
    J_PLAIN, /* as delivered */
    J_TOP,   /* a string holding a JSON object or array is replaced by it (configuration) */
    J_DEEP,  /* every string holding a JSON object or array, at any depth, is replaced by it
                (supplementaryConfiguration: S3 AccessControlList, BucketPolicy.policyText) */
    J_RELS,  /* relationships: relationshipName (API) is written as name */
};

static rp_err write_deep(struct pool *p, struct rp_json_writer *w, struct rp_json_val v, int level)
{
    struct rp_json_iter it;
    struct rp_json_val el, dec;
    struct rp_str s, key;
    bool ok = false;
    rp_err e = RP_OK;
    switch (rp_json_type(v)) {
    case RP_JSON_STRING:
        if (rp_json_get_str(v, &s) != RP_OK) return RP_EINTERNAL;
        if ((e = decode_str(p, level, s, &dec, &ok)) != RP_OK) return e;
        if (ok) return write_deep(p, w, dec, level + 1);
        rp_json_write_str(w, s.p, s.len);
        return RP_OK;
    case RP_JSON_OBJECT:
        if (rp_json_obj_iter(v, &it) != RP_OK) return RP_EINTERNAL;
        rp_json_write_obj_begin(w);
        while (!e && rp_json_obj_next(&it, &key, &el)) {
            rp_json_write_key(w, key.p, key.len);
            e = write_deep(p, w, el, level);
        }
        rp_json_write_obj_end(w);
        return e;
    case RP_JSON_ARRAY:
        if (rp_json_arr_iter(v, &it) != RP_OK) return RP_EINTERNAL;
        rp_json_write_arr_begin(w);
        while (!e && rp_json_arr_next(&it, &el)) e = write_deep(p, w, el, level);
        rp_json_write_arr_end(w);
        return e;
    default:
        rp_json_write_val(w, v);
        return RP_OK;
    }
}

static void write_rels(struct rp_json_writer *w, struct rp_json_val v)
{
    struct rp_json_iter it, mit;
    struct rp_json_val el, mv, name;
    struct rp_str key;
    if (rp_json_arr_iter(v, &it) != RP_OK) {
        rp_json_write_val(w, v);
        return;
    }
    rp_json_write_arr_begin(w);
    while (rp_json_arr_next(&it, &el)) {
        bool has_name = rp_json_obj_get(el, "name", &name) == RP_OK;
        if (rp_json_obj_iter(el, &mit) != RP_OK) {
            rp_json_write_val(w, el);
            continue;
        }
        rp_json_write_obj_begin(w);
        while (rp_json_obj_next(&mit, &key, &mv)) {
            if (!has_name && rp_str_eq_cstr(key, "relationshipName")) key = RP_STR_LIT("name");
            rp_json_write_key(w, key.p, key.len);
            rp_json_write_val(w, mv);
        }
        rp_json_write_obj_end(w);
    }
    rp_json_write_arr_end(w);
}

/* One CI being turned into rows. JSON columns are written one after another into buf; their
 * spans become values once buf has stopped moving. */
struct ci {
    struct rp_ingest_ctx *cx;
    struct pool *pool;
    int level; /* first free parser level */
    struct rp_ingest_val v[NCOLS];
    struct rp_buf buf;
    size_t off[NCOLS], len[NCOLS];
    bool json[NCOLS]; /* v[c] is the span off/len of buf */
};

#define CI_BUF_MAX (2u * RP_MAX_RECORD_BYTES + (1u << 20))

static rp_err json_col(struct ci *ci, int col, struct rp_json_val v, enum jmode mode,
                       struct rp_errbuf *eb)
{
    struct rp_json_writer w;
    struct rp_str s;
    struct rp_json_val dec;
    bool ok = false;
    rp_err e = RP_OK;
    if (rp_json_type(v) == RP_JSON_NONE || rp_json_type(v) == RP_JSON_NULL) return RP_OK;
    size_t start = ci->buf.len;
    rp_json_writer_init(&w, &ci->buf);
    switch (mode) {
    case J_PLAIN:
        rp_json_write_val(&w, v);
        break;
    case J_RELS:
        write_rels(&w, v);
        break;
    case J_DEEP:
        e = write_deep(ci->pool, &w, v, ci->level);
        break;
    case J_TOP:
        if (rp_json_type(v) == RP_JSON_STRING && rp_json_get_str(v, &s) == RP_OK &&
            (e = decode_str(ci->pool, ci->level, s, &dec, &ok)) == RP_OK && ok)
            v = dec;
        if (!e) rp_json_write_val(&w, v);
        break;
    }
    rp_err we = rp_json_writer_finish(&w);
    if (e) return e;
    if (we == RP_ELIMIT)
        return rp_fail(eb, RP_EPARSE, "config: field '%s' is too large or too deep",
                       cols[col].name);
    if (we) return we;
    ci->off[col] = start;
    ci->len[col] = ci->buf.len - start;
    ci->json[col] = true;
    return RP_OK;
}

/* Member of o under the first of names that is present and not null; "no value" if none. */
static struct rp_json_val member(struct rp_json_val o, const char *const *names)
{
    struct rp_json_val v = {0};
    for (; *names; names++)
        if (rp_json_obj_get(o, *names, &v) == RP_OK && rp_json_type(v) != RP_JSON_NULL) return v;
    return (struct rp_json_val){0};
}

/* A TEXT column from the first present member of names: a string as is, another scalar as
 * its JSON text; an object or array is RP_EPARSE. */
static rp_err text_col(struct ci *ci, int col, struct rp_json_val o, const char *const *names,
                       struct rp_errbuf *eb)
{
    struct rp_json_val v = member(o, names);
    struct rp_str s;
    enum rp_json_type t = rp_json_type(v);
    if (t == RP_JSON_NONE) return RP_OK;
    if (t == RP_JSON_STRING) {
        if (rp_json_get_str(v, &s) != RP_OK) return RP_EINTERNAL;
        ci->v[col] = rp_ingest_val_text(s.p, s.len);
        return RP_OK;
    }
    if (t == RP_JSON_ARRAY || t == RP_JSON_OBJECT)
        return rp_fail(eb, RP_EPARSE, "config: field '%s' is an %s, expected a string", names[0],
                       rp_json_type_name(t));
    struct rp_buf b; /* a number or boolean: its JSON text */
    rp_buf_init(&b, 64);
    rp_err e = rp_json_serialize(v, &b);
    char *p = e ? NULL : rp_arena_memdup(ci->cx->arena, b.data, b.len);
    size_t len = b.len;
    rp_buf_release(&b);
    if (e == RP_ELIMIT) return rp_fail(eb, RP_EPARSE, "config: field '%s' is too long", names[0]);
    if (e) return e;
    if (!p) return RP_ENOMEM;
    ci->v[col] = rp_ingest_val_text(p, len);
    return RP_OK;
}

#define NAMES(...) ((const char *const[]){__VA_ARGS__, NULL})

/* configurationStateId: an integer (JSON number or all-digit string) as INT, else TEXT. */
static rp_err state_col(struct ci *ci, struct rp_json_val o, struct rp_errbuf *eb)
{
    struct rp_json_val v = member(o, NAMES("configurationStateId", "configurationStateID"));
    int64_t i = 0;
    struct rp_str s;
    if (rp_json_get_i64(v, &i) == RP_OK ||
        (rp_json_get_str(v, &s) == RP_OK && rp_str_to_i64(s, &i) == RP_OK)) {
        ci->v[COL_STATE] = rp_ingest_val_int(i);
        return RP_OK;
    }
    return text_col(ci, COL_STATE, o, NAMES("configurationStateId", "configurationStateID"), eb);
}

/* Field n (0-based) of an ARN "arn:partition:service:region:account:resource". */
static struct rp_str arn_field(const struct rp_ingest_val *arn, int n)
{
    struct rp_str rest = {arn->s, arn->n}, tok = {0};
    if (arn->type != RP_INGEST_VAL_TEXT || !rp_str_has_prefix(rest, "arn:")) return tok;
    for (int i = 0; i <= n; i++)
        if (!rp_str_split_next(&rest, ':', &tok)) return (struct rp_str){0};
    return tok;
}

/* v if it holds text, else the slice if not empty, else the ARN field, else "". */
static struct rp_ingest_val first_of(const struct rp_ingest_val *v, struct rp_str layout,
                                     struct rp_str arn)
{
    if (v->type == RP_INGEST_VAL_TEXT && v->n) return *v;
    if (layout.p && layout.len) return rp_ingest_val_str(layout);
    if (arn.p && arn.len) return rp_ingest_val_str(arn);
    return rp_ingest_val_text("", 0);
}

static rp_err rel_rows(struct ci *ci, struct rp_json_val rels, struct rp_errbuf *eb)
{
    struct rp_json_iter it;
    struct rp_json_val el;
    struct rp_ingest_val r[NRELCOLS];
    int64_t idx = 0;
    rp_err e = RP_OK;
    if (rp_json_arr_iter(rels, &it) != RP_OK) return RP_OK;
    while (!e && rp_json_arr_next(&it, &el)) {
        struct rp_str rt = {0}, rid = {0}, rname = {0}, name = {0};
        if (rp_json_type(el) != RP_JSON_OBJECT) {
            idx++;
            continue;
        }
        (void)!rp_json_obj_get_str(el, "resourceType", &rt);
        (void)!rp_json_obj_get_str(el, "resourceId", &rid);
        (void)!rp_json_obj_get_str(el, "resourceName", &rname);
        if (rp_json_obj_get_str(el, "name", &name) != RP_OK)
            (void)!rp_json_obj_get_str(el, "relationshipName", &name);
        memset(r, 0, sizeof r);
        r[REL_ACCOUNT] = ci->v[COL_ACCOUNT];
        r[REL_REGION] = ci->v[COL_REGION];
        r[REL_TYPE] = ci->v[COL_TYPE];
        r[REL_ID] = ci->v[COL_ID];
        r[REL_TIME] = ci->v[COL_TIME];
        r[REL_STATE] = ci->v[COL_STATE];
        r[REL_IDX] = rp_ingest_val_int(idx++);
        r[REL_NAME] = rp_ingest_val_str(name);
        r[REL_RTYPE] = rp_ingest_val_str(rt);
        r[REL_RID] = rp_ingest_val_str(rid);
        r[REL_RNAME] = rp_ingest_val_str(rname);
        e = rp_ingest_emit(ci->cx, TBL_RELATIONSHIPS, r, eb);
    }
    return e;
}

#define QMAX 64 /* bytes of a bad value quoted in a reject reason */

/* One CI (or an oversized notification's summary, with diff NULL and change_type set) into
 * its three kinds of rows. */
static rp_err emit_ci(struct pool *pool, int level, struct rp_json_val o, struct rp_json_val diff,
                      struct rp_str change_type, struct rp_errbuf *eb)
{
    struct ci ci = {.cx = pool->cx, .pool = pool, .level = level};
    struct rp_ingest_ctx *cx = pool->cx;
    rp_err e = RP_OK;
    if (rp_json_type(o) != RP_JSON_OBJECT)
        return rp_fail(eb, RP_EPARSE, "config: configuration item is a JSON %s, expected an object",
                       rp_json_type_name(rp_json_type(o)));
    rp_buf_init(&ci.buf, CI_BUF_MAX);

    if ((e = text_col(&ci, COL_VERSION, o, NAMES("configurationItemVersion", "version"), eb)) ||
        (e = text_col(&ci, COL_CAPTURE, o, NAMES("configurationItemCaptureTime"), eb)) ||
        (e = state_col(&ci, o, eb)) ||
        (e = text_col(&ci, COL_ACCOUNT_ID, o, NAMES("awsAccountId", "accountId"), eb)) ||
        (e = text_col(&ci, COL_STATUS, o, NAMES("configurationItemStatus"), eb)) ||
        (e = text_col(&ci, COL_TYPE, o, NAMES("resourceType"), eb)) ||
        (e = text_col(&ci, COL_ID, o, NAMES("resourceId"), eb)) ||
        (e = text_col(&ci, COL_NAME, o, NAMES("resourceName"), eb)) ||
        (e = text_col(&ci, COL_ARN, o, NAMES("ARN", "arn"), eb)) ||
        (e = text_col(&ci, COL_AWS_REGION, o, NAMES("awsRegion"), eb)) ||
        (e = text_col(&ci, COL_AZ, o, NAMES("availabilityZone", "availibilityZone"), eb)) ||
        (e = text_col(&ci, COL_CREATED, o, NAMES("resourceCreationTime"), eb)) ||
        (e = text_col(&ci, COL_MD5, o,
                      NAMES("configurationItemMD5Hash", "configurationStateMd5Hash"), eb)))
        goto out;
    static const int required[] = {COL_TYPE, COL_ID, COL_CAPTURE};
    for (size_t i = 0; i < RP_ARRAY_LEN(required); i++) {
        const struct rp_ingest_val *v = &ci.v[required[i]];
        if (v->type == RP_INGEST_VAL_NULL || (v->type == RP_INGEST_VAL_TEXT && v->n == 0)) {
            e = rp_fail(eb, RP_EPARSE, "config: missing field '%s'", cols[required[i]].name);
            goto out;
        }
    }
    int64_t ms = 0;
    const struct rp_ingest_val *cap = &ci.v[COL_CAPTURE];
    if (cap->type != RP_INGEST_VAL_TEXT ||
        rp_time_parse_iso((struct rp_str){cap->s, cap->n}, &ms, NULL) != RP_OK) {
        e = rp_fail(eb, RP_EPARSE,
                    "config: bad time '%.*s' in field 'configurationItemCaptureTime'",
                    (int)(cap->n < QMAX ? cap->n : QMAX), cap->s ? cap->s : "");
        goto out;
    }
    ci.v[COL_TIME] = rp_ingest_val_int(ms);

    struct rp_json_val rels = member(o, NAMES("relationships"));
    if ((e = json_col(&ci, COL_TAGS, member(o, NAMES("tags")), J_PLAIN, eb)) ||
        (e = json_col(&ci, COL_EVENTS, member(o, NAMES("relatedEvents")), J_PLAIN, eb)) ||
        (e = json_col(&ci, COL_RELS, rels, J_RELS, eb)) ||
        (e = json_col(&ci, COL_CONFIG, member(o, NAMES("configuration")), J_TOP, eb)) ||
        (e = json_col(&ci, COL_SUPP, member(o, NAMES("supplementaryConfiguration")), J_DEEP, eb)) ||
        (e = json_col(&ci, COL_DIFF, diff, J_PLAIN, eb)))
        goto out;
    if (!ci.json[COL_DIFF] && change_type.p) {
        /* an oversized notification says what kind of change it was, not what changed */
        size_t start = ci.buf.len;
        struct rp_json_writer w;
        rp_json_writer_init(&w, &ci.buf);
        rp_json_write_obj_begin(&w);
        rp_json_write_kv_str(&w, "changeType", change_type.p, change_type.len);
        rp_json_write_obj_end(&w);
        if ((e = rp_json_writer_finish(&w)) != RP_OK) goto out;
        ci.off[COL_DIFF] = start;
        ci.len[COL_DIFF] = ci.buf.len - start;
        ci.json[COL_DIFF] = true;
    }
    for (int c = 0; c < NCOLS; c++)
        if (ci.json[c]) ci.v[c] = rp_ingest_val_text(ci.buf.data + ci.off[c], ci.len[c]);

    const struct rp_ingest_val *arn = &ci.v[COL_ARN];
    ci.v[COL_ACCOUNT] = first_of(&ci.v[COL_ACCOUNT_ID], cx->layout->account, arn_field(arn, 4));
    ci.v[COL_REGION] = first_of(&ci.v[COL_AWS_REGION], cx->layout->region, arn_field(arn, 3));

    if ((e = rp_ingest_emit(cx, TBL_ITEMS, ci.v, eb)) == RP_OK &&
        (e = rp_ingest_emit(cx, TBL_RESOURCES, ci.v, eb)) == RP_OK)
        e = rel_rows(&ci, rels, eb);
out:
    rp_buf_release(&ci.buf);
    return e;
}

/* ---- records ----------------------------------------------------------------------------- */

#define CFG_ENVELOPES 3 /* SNS Message -> invokingEvent -> .. nesting accepted */

static rp_err handle(struct pool *pool, int level, int depth, struct rp_json_val v,
                     struct rp_errbuf *eb);

/* A member holding a message or event, as an object or as a string of JSON. */
static rp_err envelope(struct pool *pool, int level, int depth, struct rp_json_val v,
                       const char *name, struct rp_errbuf *eb)
{
    struct rp_str s;
    struct rp_json_val inner;
    struct rp_json_parser *jp;
    if (depth >= CFG_ENVELOPES)
        return rp_fail(eb, RP_EPARSE, "config: messages nested too deeply in '%s'", name);
    if (rp_json_get_str(v, &s) != RP_OK) return handle(pool, level, depth + 1, v, eb);
    rp_err e = pool_get(pool, level, &jp);
    if (e) return e;
    if (!jp) return rp_fail(eb, RP_EPARSE, "config: messages nested too deeply in '%s'", name);
    struct rp_errbuf peb = {0};
    e = rp_json_parse(jp, s.p, s.len, &inner, &peb);
    if (e == RP_ENOMEM) return e;
    if (e) return rp_fail(eb, RP_EPARSE, "config: field '%s' is not JSON: %s", name, peb.msg);
    return handle(pool, level + 1, depth + 1, inner, eb);
}

static rp_err each_ci(struct pool *pool, int level, struct rp_json_val arr, struct rp_json_val diff,
                      struct rp_errbuf *eb)
{
    struct rp_json_iter it;
    struct rp_json_val el;
    rp_err e = RP_OK;
    size_t i = 0;
    if (rp_json_arr_iter(arr, &it) != RP_OK) return RP_EINTERNAL;
    while (!e && rp_json_arr_next(&it, &el)) {
        struct rp_errbuf ieb = {0};
        e = emit_ci(pool, level, el, diff, (struct rp_str){0}, &ieb);
        if (e == RP_EPARSE) {
            /* "config: missing field 'x'" -> "config: item 1: missing field 'x'" */
            const char *why = strncmp(ieb.msg, "config: ", 8) == 0 ? ieb.msg + 8 : ieb.msg;
            return rp_fail(eb, e, "config: item %zu: %s", i, why);
        }
        if (e && eb) *eb = ieb;
        i++;
    }
    return e;
}

static rp_err handle(struct pool *pool, int level, int depth, struct rp_json_val o,
                     struct rp_errbuf *eb)
{
    struct rp_json_val m, diff = {0};
    struct rp_str type = {0}, change = {0};
    enum rp_json_type t = rp_json_type(o);
    if (t == RP_JSON_ARRAY) return each_ci(pool, level, o, diff, eb);
    if (t != RP_JSON_OBJECT)
        return rp_fail(eb, RP_EPARSE, "config: record is a JSON %s, expected an object",
                       rp_json_type_name(t));
    if (rp_json_obj_get_str(o, "messageType", &type) == RP_OK) {
        if (rp_str_eq_cstr(type, "ConfigurationItemChangeNotification")) {
            (void)!rp_json_obj_get(o, "configurationItemDiff", &diff);
            m = member(o, NAMES("configurationItem"));
            if (rp_json_type(m) == RP_JSON_ARRAY) return each_ci(pool, level, m, diff, eb);
            if (rp_json_type(m) == RP_JSON_NONE)
                return rp_fail(eb, RP_EPARSE, "config: missing field 'configurationItem'");
            return emit_ci(pool, level, m, diff, change, eb);
        }
        if (rp_str_eq_cstr(type, "OversizedConfigurationItemChangeNotification")) {
            m = member(o, NAMES("configurationItemSummary"));
            if (rp_json_type(m) == RP_JSON_NONE)
                return rp_fail(eb, RP_EPARSE, "config: missing field 'configurationItemSummary'");
            if (rp_json_obj_get_str(m, "changeType", &change) != RP_OK) change = (struct rp_str){0};
            return emit_ci(pool, level, m, diff, change, eb);
        }
        return RP_OK; /* delivery, compliance and scheduled notifications carry no CI */
    }
    if ((m = member(o, NAMES("invokingEvent"))).doc)
        return envelope(pool, level, depth, m, "invokingEvent", eb);
    if ((m = member(o, NAMES("Message"))).doc)
        return envelope(pool, level, depth, m, "Message", eb);
    m = member(o, NAMES("configurationItems", "baseConfigurationItems"));
    if (rp_json_type(m) == RP_JSON_ARRAY) return each_ci(pool, level, m, diff, eb);
    return emit_ci(pool, level, o, diff, change, eb);
}

static rp_err record(struct rp_ingest_ctx *cx, void *state, const struct rp_ingest_rec *rec,
                     struct rp_errbuf *eb)
{
    struct pool pool = {.cx = cx};
    (void)state;
    rp_err e = handle(&pool, 0, 0, rec->json, eb);
    pool_release(&pool);
    return e;
}

static const char *const containers[] = {"configurationItems", "baseConfigurationItems", NULL};

const struct rp_ingest_source rp_ingest_src_config = {
    .name = "config",
    .summary = "AWS Config configuration items: snapshots, history, change notifications",
    .kind = RP_INGEST_CONFIG,
    .framing = RP_INGEST_FRAME_JSON,
    .containers = containers,
    .tables = tables,
    .ntables = RP_ARRAY_LEN(tables),
    .probe = probe,
    .state_size = 0,
    .file_begin = NULL,
    .record = record,
};
