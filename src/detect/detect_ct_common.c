/* SPDX-License-Identifier: Apache-2.0 */
/* Shared by the CloudTrail signature detectors (detect_ct_*.c, detect_ct_common.h): reading a
 * CloudTrail event (success, S3 data event, service calls, the caller's address, JSON
 * columns), filling the AccessKey/S3Bucket resource and the AWS_API_CALL action of a finding
 * the way GuardDuty writes them, and a bounded least-recently-used map for per-entity state.
 * Sits between the run's events (detect_internal.h) and the detectors of the ct family. */
#define RP_LOG_MODULE "detect"
#include <stdlib.h>
#include <string.h>

#include "core/rp_hash.h"
#include "detect/detect_ct_common.h"
#include "core/rp_banned.h"

/* ---- per-detector scratch -------------------------------------------------------------- */

rp_err rp_det_ct_work_init(struct rp_det_ct_work *w, struct rp_errbuf *eb)
{
    memset(w, 0, sizeof(*w));
    rp_arena_init(&w->a, 8192);
    w->jp = rp_json_parser_new();
    if (!w->jp) return rp_fail(eb, RP_ENOMEM, "detect: out of memory");
    return RP_OK;
}

void rp_det_ct_work_release(struct rp_det_ct_work *w)
{
    rp_json_parser_free(w->jp);
    w->jp = NULL;
    rp_arena_release(&w->a);
}

void rp_det_ct_work_reset(struct rp_det_ct_work *w)
{
    rp_arena_reset(&w->a);
}

const char *rp_det_ct_cstr(struct rp_det_ct_work *w, struct rp_str s)
{
    if (!s.p || !s.len) return NULL;
    return rp_arena_memdup(&w->a, s.p, s.len);
}

/* ---- what an event says ---------------------------------------------------------------- */

struct rp_str rp_det_ct_field(const struct rp_det_event *ev, unsigned f)
{
    struct rp_str s = rp_det_str(ev, f);
    if (!s.p || !s.len) return (struct rp_str){NULL, 0};
    return s;
}

bool rp_det_ct_eq(const struct rp_det_event *ev, unsigned f, const char *s)
{
    struct rp_str v = rp_det_ct_field(ev, f);
    return v.p && rp_str_eq_cstr(v, s);
}

bool rp_det_ct_ok(const struct rp_det_event *ev)
{
    if (rp_det_ct_field(ev, RP_CT_ERROR_CODE).p) return false;
    /* a failed sign-in has an errorMessage ("Failed authentication") and no errorCode */
    if (rp_det_ct_eq(ev, RP_CT_EVENT_NAME, "ConsoleLogin") &&
        rp_det_ct_field(ev, RP_CT_ERROR_MESSAGE).p)
        return false;
    return true;
}

bool rp_det_ct_login_ok(struct rp_det_ct_work *w, const struct rp_det_event *ev)
{
    if (!rp_det_ct_eq(ev, RP_CT_EVENT_NAME, "ConsoleLogin") || !rp_det_ct_ok(ev)) return false;
    struct rp_json_val resp;
    struct rp_str s = {NULL, 0};
    if (rp_det_ct_json(w, ev, true, &resp) != RP_OK) return false;
    if (rp_json_obj_get_str(resp, "ConsoleLogin", &s) != RP_OK) return false;
    return rp_str_eq_cstr(s, "Success");
}

bool rp_det_ct_s3_data(const struct rp_det_event *ev)
{
    if (!rp_det_ct_eq(ev, RP_CT_EVENT_SOURCE, "s3.amazonaws.com")) return false;
    struct rp_str cat = rp_det_ct_field(ev, RP_CT_CATEGORY);
    if (cat.p) return rp_str_eq_cstr(cat, "Data");
    return rp_det_int(ev, RP_CTI_MANAGEMENT, 1) == 0;
}

bool rp_det_ct_by_service(const struct rp_det_event *ev)
{
    return rp_det_ct_field(ev, RP_CT_UID_INVOKED_BY).p ||
           rp_det_ct_eq(ev, RP_CT_UID_TYPE, "AWSService");
}

bool rp_det_ct_src_ip(const struct rp_det_event *ev, struct rp_ip *ip)
{
    struct rp_str s = rp_det_ct_field(ev, RP_CT_SRC_IP);
    if (s.p && rp_ip_parse(s, ip, NULL) == RP_OK) return true;
    s = rp_det_ct_field(ev, RP_CT_SOURCE_IP_ADDRESS);
    return s.p && rp_ip_parse(s, ip, NULL) == RP_OK;
}

bool rp_det_ct_trusted(struct rp_det_ctx *dc, const struct rp_det_event *ev)
{
    struct rp_ip ip;
    return rp_det_ct_src_ip(ev, &ip) && rp_det_ti_trusted(dc, &ip);
}

bool rp_det_ct_has_prefix_word(struct rp_str s, const char *prefixes)
{
    struct rp_str rest = rp_str_from(prefixes), tok;
    while (rp_str_split_next(&rest, ' ', &tok))
        if (tok.len && s.len >= tok.len && memcmp(s.p, tok.p, tok.len) == 0) return true;
    return false;
}

rp_err rp_det_ct_json(struct rp_det_ct_work *w, const struct rp_det_event *ev, bool resp,
                      struct rp_json_val *out)
{
    struct rp_str s =
        rp_det_ct_field(ev, resp ? RP_CT_RESPONSE_ELEMENTS : RP_CT_REQUEST_PARAMETERS);
    *out = (struct rp_json_val){0};
    if (!s.p) return RP_ENOENT;
    if (rp_json_parse(w->jp, s.p, s.len, out, NULL) != RP_OK) return RP_ENOENT;
    if (rp_json_type(*out) != RP_JSON_OBJECT) {
        *out = (struct rp_json_val){0};
        return RP_ENOENT;
    }
    return RP_OK;
}

bool rp_det_ct_json_bool(struct rp_json_val obj, const char *key, bool *found)
{
    struct rp_json_val v;
    bool b = false;
    struct rp_str s = {NULL, 0};
    *found = false;
    if (rp_json_obj_get(obj, key, &v) != RP_OK) return false;
    if (rp_json_get_bool(v, &b) == RP_OK) {
        *found = true;
        return b;
    }
    if (rp_json_get_str(v, &s) == RP_OK) {
        if (rp_str_eq_cstr(s, "true")) *found = true;
        if (rp_str_eq_cstr(s, "false")) *found = true;
        return rp_str_eq_cstr(s, "true");
    }
    return false;
}

/* ---- findings -------------------------------------------------------------------------- */

static struct rp_str first_of3(const struct rp_det_event *ev, unsigned a, unsigned b, unsigned c)
{
    struct rp_str s = rp_det_ct_field(ev, a);
    if (!s.p) s = rp_det_ct_field(ev, b);
    if (!s.p) s = rp_det_ct_field(ev, c);
    return s;
}

/* rp_det_ct_finding's work; the resource id is the caller's unless bucket is given. */
static rp_err fill(struct rp_det_ct_work *w, const struct rp_det_event *ev, const char *type,
                   struct rp_str bucket, struct rp_det_finding *f)
{
    rp_det_finding_init(f);
    struct rp_str acct =
        first_of3(ev, RP_CT_ACCOUNT, RP_CT_RECIPIENT_ACCOUNT, RP_CT_UID_ACCOUNT_ID);
    struct rp_str region = rp_det_ct_field(ev, RP_CT_REGION);
    if (!region.p) region = rp_det_ct_field(ev, RP_CT_AWS_REGION);
    struct rp_str key = rp_det_ct_field(ev, RP_CT_ACCESS_KEY_ID);
    struct rp_str rid =
        key.p ? key : first_of3(ev, RP_CT_UID_ARN, RP_CT_PRINCIPAL, RP_CT_UID_PRINCIPAL_ID);
    if (bucket.p) rid = bucket;
    if (!acct.p || !region.p || !rid.p) return RP_ENOENT;
    f->type = type;
    f->account = rp_det_ct_cstr(w, acct);
    f->region = rp_det_ct_cstr(w, region);
    f->resource_id = rp_det_ct_cstr(w, rid);
    if (!f->account || !f->region || !f->resource_id) return RP_ENOMEM;
    if (bucket.p) {
        f->res = RP_DET_RES_S3_BUCKET;
        f->bucket = f->resource_id;
    } else {
        f->res = RP_DET_RES_ACCESS_KEY;
    }
    f->first_ms = f->last_ms = ev->time_ms;
    f->count = 1;

    /* AccessKeyDetails: GuardDuty names a role session by its role (the session issuer) */
    struct rp_str utype = rp_det_ct_field(ev, RP_CT_UID_TYPE);
    struct rp_str uname = {NULL, 0};
    if (utype.p && (rp_str_eq_cstr(utype, "AssumedRole") || rp_str_eq_cstr(utype, "FederatedUser")))
        uname = rp_det_ct_field(ev, RP_CT_UID_ISSUER_NAME);
    if (!uname.p) uname = rp_det_ct_field(ev, RP_CT_USER_NAME);
    if (!uname.p && utype.p && rp_str_eq_cstr(utype, "Root")) uname = RP_STR_LIT("Root");
    f->access_key_id = key.p ? rp_det_ct_cstr(w, key) : NULL;
    f->principal_id = rp_det_ct_cstr(w, rp_det_ct_field(ev, RP_CT_UID_PRINCIPAL_ID));
    f->user_name = rp_det_ct_cstr(w, uname);
    f->user_type = rp_det_ct_cstr(w, utype);

    /* Service.Action: AwsApiCallAction */
    f->action = RP_DET_ACT_AWS_API_CALL;
    f->api = rp_det_ct_cstr(w, rp_det_ct_field(ev, RP_CT_EVENT_NAME));
    f->service_name = rp_det_ct_cstr(w, rp_det_ct_field(ev, RP_CT_EVENT_SOURCE));
    f->user_agent = rp_det_ct_cstr(w, rp_det_ct_field(ev, RP_CT_USER_AGENT));
    f->error_code = rp_det_ct_cstr(w, rp_det_ct_field(ev, RP_CT_ERROR_CODE));
    struct rp_ip ip;
    if (rp_det_ct_src_ip(ev, &ip)) {
        char buf[RP_IP_STRBUFSZ];
        if (rp_ip_format(&ip, buf, sizeof(buf)) == RP_OK) {
            f->remote_ip = rp_arena_strdup(&w->a, buf);
            if (!f->remote_ip) return RP_ENOMEM;
        }
        f->caller_type = "Remote IP";
    } else {
        f->caller_type = "AWS Service";
    }
    return RP_OK;
}

rp_err rp_det_ct_finding(struct rp_det_ct_work *w, const struct rp_det_event *ev, const char *type,
                         struct rp_det_finding *f)
{
    return fill(w, ev, type, (struct rp_str){NULL, 0}, f);
}

rp_err rp_det_ct_finding_s3(struct rp_det_ct_work *w, const struct rp_det_event *ev,
                            const char *type, struct rp_str bucket, struct rp_det_finding *f)
{
    if (!bucket.p || !bucket.len) {
        rp_det_finding_init(f);
        return RP_ENOENT;
    }
    return fill(w, ev, type, bucket, f);
}

/* The bucket of an S3 ARN: "arn:aws:s3:::bucket" or "arn:aws:s3:::bucket/key". */
static struct rp_str arn_bucket(struct rp_str arn)
{
    static const char pre[] = ":s3:::";
    for (size_t i = 0; i + sizeof(pre) - 1 <= arn.len; i++)
        if (memcmp(arn.p + i, pre, sizeof(pre) - 1) == 0) {
            struct rp_str b = {arn.p + i + sizeof(pre) - 1, arn.len - i - (sizeof(pre) - 1)};
            const char *slash = b.len ? memchr(b.p, '/', b.len) : NULL;
            if (slash) b.len = (size_t)(slash - b.p);
            return b.len ? b : (struct rp_str){NULL, 0};
        }
    return (struct rp_str){NULL, 0};
}

struct rp_str rp_det_ct_bucket(struct rp_det_ct_work *w, const struct rp_det_event *ev)
{
    struct rp_json_val req, arr, el;
    struct rp_str s = {NULL, 0};
    if (rp_det_ct_json(w, ev, false, &req) == RP_OK &&
        rp_json_obj_get_str(req, "bucketName", &s) == RP_OK && s.len) {
        const char *c = rp_det_ct_cstr(w, s);
        return c ? (struct rp_str){c, s.len} : (struct rp_str){NULL, 0};
    }
    struct rp_str res = rp_det_ct_field(ev, RP_CT_RESOURCES);
    struct rp_json_iter it;
    if (!res.p || rp_json_parse(w->jp, res.p, res.len, &arr, NULL) != RP_OK ||
        rp_json_arr_iter(arr, &it) != RP_OK)
        return (struct rp_str){NULL, 0};
    while (rp_json_arr_next(&it, &el)) {
        struct rp_str t = {NULL, 0}, arn = {NULL, 0};
        if (rp_json_obj_get_str(el, "type", &t) != RP_OK) continue;
        if (!rp_str_eq_cstr(t, "AWS::S3::Bucket") && !rp_str_eq_cstr(t, "AWS::S3::Object"))
            continue;
        if (rp_json_obj_get_str(el, "ARN", &arn) != RP_OK &&
            rp_json_obj_get_str(el, "ARNPrefix", &arn) != RP_OK)
            continue;
        struct rp_str b = arn_bucket(arn);
        if (!b.p) continue;
        const char *c = rp_det_ct_cstr(w, b);
        return c ? (struct rp_str){c, b.len} : (struct rp_str){NULL, 0};
    }
    return (struct rp_str){NULL, 0};
}

/* ---- bounded per-entity state ---------------------------------------------------------- */

#define NIL UINT32_MAX

struct map_ent {
    uint64_t hash;
    size_t klen;           /* the whole key's length */
    uint32_t next;         /* bucket chain */
    uint32_t older, newer; /* recency list */
    char key[RP_DET_CT_KEY_MAX];
};

struct rp_det_ct_map {
    size_t cap, vsize, stride;
    unsigned char *ents; /* n entries of stride bytes: struct map_ent, then the value */
    size_t n, alloc;     /* entries in use (all slots below n are live), slots allocated */
    uint32_t *buckets;   /* chain heads, nbuckets a power of two */
    size_t nbuckets;
    uint32_t oldest, newest;
    uint64_t seed, evicted;
};

static struct map_ent *ent_at(const struct rp_det_ct_map *m, uint32_t i)
{
    return (struct map_ent *)(void *)(m->ents + (size_t)i * m->stride);
}

static void *val_of(const struct rp_det_ct_map *m, uint32_t i)
{
    return m->ents + (size_t)i * m->stride + ((sizeof(struct map_ent) + 7) & ~(size_t)7);
}

rp_err rp_det_ct_map_new(size_t cap, size_t vsize, struct rp_det_ct_map **out)
{
    *out = NULL;
    if (cap == 0 || cap >= NIL / 2) return RP_EINVAL;
    struct rp_det_ct_map *m = calloc(1, sizeof(*m));
    if (!m) return RP_ENOMEM;
    m->cap = cap;
    m->vsize = vsize;
    m->stride = (((sizeof(struct map_ent) + 7) & ~(size_t)7) + vsize + 7) & ~(size_t)7;
    m->oldest = m->newest = NIL;
    m->seed = 0x9e3779b97f4a7c15ULL ^ (uint64_t)(uintptr_t)m; /* per-process (ASLR) */
    *out = m;
    return RP_OK;
}

void rp_det_ct_map_free(struct rp_det_ct_map *m)
{
    if (!m) return;
    free(m->ents);
    free(m->buckets);
    free(m);
}

static bool key_match(const struct map_ent *e, uint64_t h, struct rp_str key)
{
    if (e->hash != h || e->klen != key.len) return false;
    size_t n = key.len < RP_DET_CT_KEY_MAX ? key.len : RP_DET_CT_KEY_MAX;
    return n == 0 || memcmp(e->key, key.p, n) == 0;
}

static uint32_t find(const struct rp_det_ct_map *m, uint64_t h, struct rp_str key)
{
    if (!m->nbuckets) return NIL;
    for (uint32_t i = m->buckets[h & (m->nbuckets - 1)]; i != NIL; i = ent_at(m, i)->next)
        if (key_match(ent_at(m, i), h, key)) return i;
    return NIL;
}

static void lru_unlink(struct rp_det_ct_map *m, uint32_t i)
{
    struct map_ent *e = ent_at(m, i);
    if (e->older != NIL)
        ent_at(m, e->older)->newer = e->newer;
    else
        m->oldest = e->newer;
    if (e->newer != NIL)
        ent_at(m, e->newer)->older = e->older;
    else
        m->newest = e->older;
    e->older = e->newer = NIL;
}

static void lru_push(struct rp_det_ct_map *m, uint32_t i)
{
    struct map_ent *e = ent_at(m, i);
    e->older = m->newest;
    e->newer = NIL;
    if (m->newest != NIL) ent_at(m, m->newest)->newer = i;
    m->newest = i;
    if (m->oldest == NIL) m->oldest = i;
}

static void chain_unlink(struct rp_det_ct_map *m, uint32_t i)
{
    struct map_ent *e = ent_at(m, i);
    uint32_t *pp = &m->buckets[e->hash & (m->nbuckets - 1)];
    while (*pp != NIL && *pp != i) pp = &ent_at(m, *pp)->next;
    if (*pp == i) *pp = e->next;
    e->next = NIL;
}

static void chain_push(struct rp_det_ct_map *m, uint32_t i)
{
    struct map_ent *e = ent_at(m, i);
    uint32_t *head = &m->buckets[e->hash & (m->nbuckets - 1)];
    e->next = *head;
    *head = i;
}

/* Make room for one more slot: double the allocation (up to cap) and rebuild the chains. */
static rp_err grow(struct rp_det_ct_map *m)
{
    size_t want = m->alloc ? m->alloc * 2 : 16;
    if (want > m->cap) want = m->cap;
    unsigned char *ne = realloc(m->ents, want * m->stride);
    if (!ne) return RP_ENOMEM;
    m->ents = ne;
    m->alloc = want;
    size_t nb = 16;
    while (nb < want * 2) nb *= 2;
    if (nb != m->nbuckets) {
        uint32_t *b = malloc(nb * sizeof(*b));
        if (!b) return RP_ENOMEM;
        free(m->buckets);
        m->buckets = b;
        m->nbuckets = nb;
        for (size_t k = 0; k < nb; k++) b[k] = NIL;
        for (uint32_t i = 0; i < m->n; i++) chain_push(m, i);
    }
    return RP_OK;
}

void *rp_det_ct_map_get(struct rp_det_ct_map *m, struct rp_str key)
{
    uint64_t h = rp_hash_xxh3_64(key.p, key.len, m->seed);
    uint32_t i = find(m, h, key);
    if (i == NIL) return NULL;
    lru_unlink(m, i);
    lru_push(m, i);
    return val_of(m, i);
}

/* Move the entry in the last slot into slot i (so live slots stay 0..n-1). */
static void compact(struct rp_det_ct_map *m, uint32_t i)
{
    uint32_t last = (uint32_t)(m->n - 1);
    if (i != last) {
        chain_unlink(m, last);
        struct map_ent *src = ent_at(m, last);
        uint32_t older = src->older, newer = src->newer;
        memcpy(ent_at(m, i), src, m->stride);
        struct map_ent *e = ent_at(m, i);
        e->older = older;
        e->newer = newer;
        if (older != NIL)
            ent_at(m, older)->newer = i;
        else
            m->oldest = i;
        if (newer != NIL)
            ent_at(m, newer)->older = i;
        else
            m->newest = i;
        chain_push(m, i);
    }
    m->n--;
}

static void remove_at(struct rp_det_ct_map *m, uint32_t i)
{
    chain_unlink(m, i);
    lru_unlink(m, i);
    compact(m, i);
}

void *rp_det_ct_map_put(struct rp_det_ct_map *m, struct rp_str key, bool *created)
{
    if (created) *created = false;
    uint64_t h = rp_hash_xxh3_64(key.p, key.len, m->seed);
    uint32_t i = find(m, h, key);
    if (i != NIL) {
        lru_unlink(m, i);
        lru_push(m, i);
        return val_of(m, i);
    }
    if (m->n == m->cap) {
        remove_at(m, m->oldest);
        m->evicted++;
    }
    if (m->n == m->alloc && grow(m) != RP_OK) return NULL;
    i = (uint32_t)m->n++;
    struct map_ent *e = ent_at(m, i);
    memset(e, 0, m->stride);
    e->hash = h;
    e->klen = key.len;
    if (key.len) memcpy(e->key, key.p, key.len < RP_DET_CT_KEY_MAX ? key.len : RP_DET_CT_KEY_MAX);
    e->older = e->newer = e->next = NIL;
    chain_push(m, i);
    lru_push(m, i);
    if (created) *created = true;
    return val_of(m, i);
}

void rp_det_ct_map_del(struct rp_det_ct_map *m, struct rp_str key)
{
    uint64_t h = rp_hash_xxh3_64(key.p, key.len, m->seed);
    uint32_t i = find(m, h, key);
    if (i != NIL) remove_at(m, i);
}

size_t rp_det_ct_map_count(const struct rp_det_ct_map *m)
{
    return m->n;
}

uint64_t rp_det_ct_map_evicted(const struct rp_det_ct_map *m)
{
    return m->evicted;
}
