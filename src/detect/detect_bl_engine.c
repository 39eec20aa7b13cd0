/* SPDX-License-Identifier: Apache-2.0 */
/* The machinery of the behavioural baseline detectors (detect_bl_engine.h): intern table,
 * capped value sets with a spill Bloom filter, the bounded entity table with lazy loading from
 * and saving to the store table detect_baselines (migration 0014), the blob codec,
 * Service.Detection.Anomaly JSON, user-agent families and networks.
 *
 * The models (detect_bl_iam.c, detect_bl_s3.c, detect_bl_flow.c, detect_bl_k8s.c) sit on top:
 * each keeps one rp_bl_table of its entities and one intern table for its values. */
#define RP_LOG_MODULE "detect"
#include <stdlib.h>
#include <string.h>

#include "core/rp_hash.h"
#include "core/rp_json.h"
#include "core/rp_log.h"
#include "core/rp_time.h"
#include "detect/detect_bl_engine.h"
#include "store/store.h"
#include "core/rp_banned.h"

#define STABLE_SEED 0x5242424c31ULL /* "RBBL1": value hashes that may be persisted */

/* ---- intern table ------------------------------------------------------------------------- */

struct intern_ent {
    uint64_t hash; /* stable hash of the text */
    const char *s; /* in the arena, NUL-terminated */
    uint32_t len;
};

struct rp_bl_intern {
    struct rp_arena a;      /* texts */
    struct intern_ent *ent; /* ent[id - 1] */
    uint32_t n, cap;
    uint32_t *slot; /* open addressing: id, 0 = empty; nslot a power of two */
    uint32_t nslot;
    size_t bytes; /* texts + entries, against RP_BL_MAX_INTERN_BYTES */
    uint64_t dropped;
};

rp_err rp_bl_intern_new(struct rp_bl_intern **out)
{
    *out = calloc(1, sizeof(**out));
    if (!*out) return RP_ENOMEM;
    rp_arena_init(&(*out)->a, 16384);
    return RP_OK;
}

void rp_bl_intern_free(struct rp_bl_intern *t)
{
    if (!t) return;
    rp_arena_release(&t->a);
    free(t->ent);
    free(t->slot);
    free(t);
}

static bool intern_grow(struct rp_bl_intern *t)
{
    uint32_t ns = t->nslot ? t->nslot * 2 : 256;
    uint32_t *slot = calloc(ns, sizeof(*slot));
    if (!slot) return false;
    for (uint32_t i = 0; i < t->n; i++) {
        uint32_t j = (uint32_t)t->ent[i].hash & (ns - 1);
        while (slot[j]) j = (j + 1) & (ns - 1);
        slot[j] = i + 1;
    }
    free(t->slot);
    t->slot = slot;
    t->nslot = ns;
    return true;
}

uint32_t rp_bl_intern_id(struct rp_bl_intern *t, struct rp_str s)
{
    if (!s.p || !s.len || s.len > UINT16_MAX) return 0;
    uint64_t h = rp_hash_xxh3_64(s.p, s.len, STABLE_SEED);
    if (t->nslot) {
        for (uint32_t j = (uint32_t)h & (t->nslot - 1); t->slot[j]; j = (j + 1) & (t->nslot - 1)) {
            const struct intern_ent *e = &t->ent[t->slot[j] - 1];
            if (e->hash == h && e->len == s.len && memcmp(e->s, s.p, s.len) == 0) return t->slot[j];
        }
    }
    size_t cost = s.len + 1 + sizeof(struct intern_ent) + 2 * sizeof(uint32_t);
    if (t->bytes + cost > RP_BL_MAX_INTERN_BYTES || t->n == UINT32_MAX - 1) {
        t->dropped++;
        return 0;
    }
    if ((t->n + 1) * 2 > t->nslot && !intern_grow(t)) return 0;
    if (t->n == t->cap) {
        uint32_t nc = t->cap ? t->cap * 2 : 256;
        struct intern_ent *ne = realloc(t->ent, (size_t)nc * sizeof(*ne));
        if (!ne) return 0;
        t->ent = ne;
        t->cap = nc;
    }
    char *c = rp_arena_memdup(&t->a, s.p, s.len);
    if (!c) return 0;
    t->ent[t->n] = (struct intern_ent){h, c, (uint32_t)s.len};
    uint32_t j = (uint32_t)h & (t->nslot - 1);
    while (t->slot[j]) j = (j + 1) & (t->nslot - 1);
    t->slot[j] = ++t->n;
    t->bytes += cost;
    return t->n;
}

const char *rp_bl_intern_str(const struct rp_bl_intern *t, uint32_t id)
{
    return id && id <= t->n ? t->ent[id - 1].s : "";
}

uint64_t rp_bl_intern_hash(const struct rp_bl_intern *t, uint32_t id)
{
    return id && id <= t->n ? t->ent[id - 1].hash : 0;
}

uint64_t rp_bl_intern_dropped(const struct rp_bl_intern *t)
{
    return t->dropped;
}

/* ---- value sets ---------------------------------------------------------------------------- */

/* Three bit positions of (dim, value) in the 512-bit spill filter. */
static void spill_bits(const struct rp_bl_set *s, uint32_t id, unsigned bit[3])
{
    uint64_t h = rp_hash_combine(rp_bl_intern_hash(s->t, id), s->dim);
    for (int k = 0; k < 3; k++) bit[k] = (unsigned)(h >> (k * 9)) & (RP_BL_SPILL_BYTES * 8 - 1);
}

static bool spill_has(const struct rp_bl_set *s, uint32_t id)
{
    if (!s->spill || !s->t) return false;
    unsigned bit[3];
    spill_bits(s, id, bit);
    for (int k = 0; k < 3; k++)
        if (!(s->spill[bit[k] / 8] & (1u << (bit[k] % 8)))) return false;
    return true;
}

static void spill_add(const struct rp_bl_set *s, uint32_t id)
{
    if (!s->spill || !s->t) return;
    unsigned bit[3];
    spill_bits(s, id, bit);
    for (int k = 0; k < 3; k++) s->spill[bit[k] / 8] |= (uint8_t)(1u << (bit[k] % 8));
}

static bool val_habitual(const struct rp_bl_val *v)
{
    return (v->flags & RP_BL_LEARNED) || v->days >= RP_BL_HABIT_DAYS;
}

struct rp_bl_val *rp_bl_set_find(const struct rp_bl_set *s, uint32_t id)
{
    if (!id) return NULL;
    for (size_t i = 0; i < s->cap; i++)
        if (s->v[i].id == id) return &s->v[i];
    return NULL;
}

bool rp_bl_set_habitual(const struct rp_bl_set *s, uint32_t id)
{
    if (!id) return true;
    const struct rp_bl_val *v = rp_bl_set_find(s, id);
    if (v) return val_habitual(v);
    return spill_has(s, id);
}

bool rp_bl_set_frequent(const struct rp_bl_set *s, uint32_t id)
{
    if (!id) return true;
    const struct rp_bl_val *v = rp_bl_set_find(s, id);
    if (!v) return spill_has(s, id);
    bool rare = (v->flags & RP_BL_LEARNED) && !(v->flags & RP_BL_LDAYS2) &&
                v->lcount <= RP_BL_RARE_USES && v->days < RP_BL_HABIT_DAYS;
    return val_habitual(v) && !rare;
}

bool rp_bl_set_known(const struct rp_bl_set *s, uint32_t id)
{
    return rp_bl_set_find(s, id) != NULL;
}

struct rp_bl_val *rp_bl_set_note(const struct rp_bl_set *s, uint32_t id, uint16_t day,
                                 bool learning, bool *inserted)
{
    if (inserted) *inserted = false;
    if (!id) return NULL;
    struct rp_bl_val *v = rp_bl_set_find(s, id);
    if (!v) {
        bool known = spill_has(s, id);
        for (size_t i = 0; i < s->cap && !v; i++)
            if (!s->v[i].id) v = &s->v[i];
        if (!v) {
            /* evict the least used value that is not habitual, else the least used one */
            struct rp_bl_val *low = NULL, *lowh = NULL;
            for (size_t i = 0; i < s->cap; i++) {
                struct rp_bl_val *c = &s->v[i];
                struct rp_bl_val **pp = val_habitual(c) ? &lowh : &low;
                if (!*pp || c->count < (*pp)->count) *pp = c;
            }
            v = low ? low : lowh;
            if (val_habitual(v)) spill_add(s, v->id);
        }
        *v = (struct rp_bl_val){.id = id, .last_day = day, .days = 1};
        if (known) v->flags |= RP_BL_LEARNED | RP_BL_LDAYS2; /* as it was: learned, not rare */
        if (inserted) *inserted = !known;
    } else if (v->last_day != day) {
        if (learning && (v->flags & RP_BL_LEARNED)) v->flags |= RP_BL_LDAYS2;
        v->last_day = day;
        if (v->days < UINT8_MAX) v->days++;
    }
    if (v->count < UINT16_MAX) v->count++;
    if (learning) {
        v->flags |= RP_BL_LEARNED;
        if (v->lcount < UINT16_MAX) v->lcount++;
    }
    return v;
}

size_t rp_bl_set_top(const struct rp_bl_set *s, uint32_t *ids, size_t max)
{
    size_t n = 0;
    uint16_t counts[RP_BL_MAX_OBS > 16 ? RP_BL_MAX_OBS : 16];
    if (max > RP_ARRAY_LEN(counts)) max = RP_ARRAY_LEN(counts);
    for (size_t i = 0; i < s->cap; i++) {
        const struct rp_bl_val *v = &s->v[i];
        if (!v->id || !val_habitual(v)) continue;
        /* insertion into the sorted top list */
        size_t at = n;
        while (at > 0 && (counts[at - 1] < v->count || (counts[at - 1] == v->count &&
                                                        strcmp(rp_bl_intern_str(s->t, ids[at - 1]),
                                                               rp_bl_intern_str(s->t, v->id)) > 0)))
            at--;
        if (at >= max) continue;
        size_t last = n < max ? n : max - 1;
        for (size_t k = last; k > at; k--) {
            ids[k] = ids[k - 1];
            counts[k] = counts[k - 1];
        }
        ids[at] = v->id;
        counts[at] = v->count;
        if (n < max) n++;
    }
    return n;
}

uint16_t rp_bl_day(int64_t ms)
{
    int64_t d = ms / RP_BL_DAY_MS;
    if (ms < 0 && d * RP_BL_DAY_MS != ms) d--;
    return (uint16_t)((uint64_t)d & 0xffffu);
}

unsigned rp_bl_hour(int64_t ms)
{
    int64_t h = (ms / RP_BL_HOUR_MS) % 24;
    if (h < 0) h += 24;
    return (unsigned)h;
}

/* ---- entities ------------------------------------------------------------------------------ */

struct rp_bl_table {
    const struct rp_bl_model *m;
    void *ctx;
    struct rp_store *st;
    bool save;
    struct rp_bl_ent **bucket; /* chains; nbucket a power of two */
    size_t nbucket, n;
    struct rp_bl_ent *oldest, *newest;
    uint64_t seed, evicted, loaded, bad;
    struct rp_buf blob; /* scratch for encoding */
};

rp_err rp_bl_table_new(const struct rp_bl_model *m, void *ctx, struct rp_store *st, bool save,
                       struct rp_bl_table **out, struct rp_errbuf *eb)
{
    *out = NULL;
    struct rp_bl_table *t = calloc(1, sizeof(*t));
    if (!t) return rp_fail(eb, RP_ENOMEM, "detect: out of memory");
    t->m = m;
    t->ctx = ctx;
    t->st = st;
    t->save = save && st;
    t->seed = 0x9e3779b97f4a7c15ULL ^ (uint64_t)(uintptr_t)t; /* per process (ASLR) */
    rp_buf_init(&t->blob, 1u << 20);
    *out = t;
    return RP_OK;
}

static void ent_free(struct rp_bl_table *t, struct rp_bl_ent *e)
{
    if (t->m->drop) t->m->drop(t->ctx, e);
    free(e->key);
    free(e);
}

void rp_bl_table_free(struct rp_bl_table *t)
{
    if (!t) return;
    for (struct rp_bl_ent *e = t->oldest, *nx = NULL; e; e = nx) {
        nx = e->newer;
        ent_free(t, e);
    }
    free(t->bucket);
    rp_buf_release(&t->blob);
    free(t);
}

static void lru_unlink(struct rp_bl_table *t, struct rp_bl_ent *e)
{
    if (e->older)
        e->older->newer = e->newer;
    else
        t->oldest = e->newer;
    if (e->newer)
        e->newer->older = e->older;
    else
        t->newest = e->older;
    e->older = e->newer = NULL;
}

static void lru_push(struct rp_bl_table *t, struct rp_bl_ent *e)
{
    e->older = t->newest;
    e->newer = NULL;
    if (t->newest) t->newest->newer = e;
    t->newest = e;
    if (!t->oldest) t->oldest = e;
}

static void chain_unlink(struct rp_bl_table *t, struct rp_bl_ent *e)
{
    struct rp_bl_ent **pp = &t->bucket[e->hash & (t->nbucket - 1)];
    while (*pp && *pp != e) pp = &(*pp)->hnext;
    if (*pp) *pp = e->hnext;
    e->hnext = NULL;
}

static bool grow(struct rp_bl_table *t)
{
    size_t nb = t->nbucket ? t->nbucket * 2 : 64;
    struct rp_bl_ent **b = calloc(nb, sizeof(*b));
    if (!b) return false;
    for (struct rp_bl_ent *e = t->oldest; e; e = e->newer) {
        size_t j = e->hash & (nb - 1);
        e->hnext = b[j];
        b[j] = e;
    }
    free(t->bucket);
    t->bucket = b;
    t->nbucket = nb;
    return true;
}

static rp_err save_one(struct rp_bl_table *t, struct rp_bl_ent *e, int64_t now_ms,
                       struct rp_errbuf *eb)
{
    rp_buf_reset(&t->blob);
    rp_err e1 = rp_bl_put_u32(&t->blob, e->nevents);
    if (!e1) e1 = t->m->encode(t->ctx, e, &t->blob);
    if (e1)
        return rp_fail(eb, e1, "detect: cannot encode the '%s' baseline of '%s'", t->m->name,
                       e->key);
    struct rp_store_stmt *s = NULL;
    bool row = false;
    e1 = rp_store_stmt_prepare(t->st,
                               "INSERT OR REPLACE INTO detect_baselines (model, entity, first_ms, "
                               "last_ms, updated_ms, version, state) VALUES (?1, ?2, ?3, ?4, ?5, "
                               "?6, ?7)",
                               &s, eb);
    if (!e1) e1 = rp_store_stmt_bind_cstr(s, 1, t->m->name, eb);
    if (!e1) e1 = rp_store_stmt_bind_cstr(s, 2, e->key, eb);
    if (!e1) e1 = rp_store_stmt_bind_int64(s, 3, e->first_ms, eb);
    if (!e1) e1 = rp_store_stmt_bind_int64(s, 4, e->last_ms, eb);
    if (!e1) e1 = rp_store_stmt_bind_int64(s, 5, now_ms, eb);
    if (!e1) e1 = rp_store_stmt_bind_int64(s, 6, t->m->version, eb);
    if (!e1) e1 = rp_store_stmt_bind_blob(s, 7, t->blob.data, t->blob.len, eb);
    if (!e1) e1 = rp_store_stmt_step(s, &row, eb);
    if (s) rp_store_stmt_reset(s);
    if (!e1) e->dirty = false;
    return e1;
}

/* Fill the new entity e from the store row of its key, when there is one. */
static rp_err load_one(struct rp_bl_table *t, struct rp_bl_ent *e, struct rp_errbuf *eb)
{
    struct rp_store_stmt *s = NULL;
    bool row = false;
    rp_err err = rp_store_stmt_prepare(t->st,
                                       "SELECT first_ms, last_ms, version, state FROM "
                                       "detect_baselines WHERE model = ?1 AND entity = ?2",
                                       &s, eb);
    if (!err) err = rp_store_stmt_bind_cstr(s, 1, t->m->name, eb);
    if (!err) err = rp_store_stmt_bind_cstr(s, 2, e->key, eb);
    if (!err) err = rp_store_stmt_step(s, &row, eb);
    if (err || !row) {
        if (s) rp_store_stmt_reset(s);
        return err;
    }
    int64_t first = rp_store_stmt_column_int64(s, 0), last = rp_store_stmt_column_int64(s, 1);
    int64_t version = rp_store_stmt_column_int64(s, 2);
    size_t n = 0;
    const uint8_t *p = rp_store_stmt_column_blob(s, 3, &n);
    struct rp_bl_rd r = {p, p ? n : 0, 0, false};
    uint32_t nev = rp_bl_get_u32(&r);
    bool ok =
        version == t->m->version && !r.bad && t->m->decode(t->ctx, e, r.p + r.off, r.n - r.off);
    if (ok) {
        e->first_ms = first;
        e->last_ms = last;
        e->nevents = nev;
        t->loaded++;
    } else {
        /* start afresh: a row of another format version or a damaged one */
        if (t->m->drop) t->m->drop(t->ctx, e);
        memset((char *)e + sizeof(*e), 0, t->m->ent_size - sizeof(*e));
        t->bad++;
        RP_LOG_WARN("detect: ignoring the unreadable '%s' baseline of an entity (version %lld)",
                    t->m->name, (long long)version);
    }
    rp_store_stmt_reset(s);
    return RP_OK;
}

struct rp_bl_ent *rp_bl_table_get(struct rp_bl_table *t, struct rp_str key, int64_t now_ms,
                                  bool *created, rp_err *err, struct rp_errbuf *eb)
{
    *err = RP_OK;
    if (created) *created = false;
    uint64_t h = rp_hash_xxh3_64(key.p, key.len, t->seed);
    if (t->nbucket) {
        for (struct rp_bl_ent *e = t->bucket[h & (t->nbucket - 1)]; e; e = e->hnext)
            if (e->hash == h && strlen(e->key) == key.len && memcmp(e->key, key.p, key.len) == 0) {
                lru_unlink(t, e);
                lru_push(t, e);
                e->dirty = true;
                return e;
            }
    }
    /* make room: the least recently used entity is saved and dropped */
    if (t->n >= RP_BL_MAX_ENTITIES) {
        struct rp_bl_ent *old = t->oldest;
        if (t->save && old->dirty) {
            *err = save_one(t, old, now_ms, eb);
            if (*err) return NULL;
        }
        lru_unlink(t, old);
        chain_unlink(t, old);
        ent_free(t, old);
        t->n--;
        t->evicted++;
    }
    if (t->n + 1 > t->nbucket && !grow(t)) {
        *err = rp_fail(eb, RP_ENOMEM, "detect: out of memory");
        return NULL;
    }
    struct rp_bl_ent *e = calloc(1, t->m->ent_size);
    char *k = malloc(key.len + 1);
    if (!e || !k) {
        free(e);
        free(k);
        *err = rp_fail(eb, RP_ENOMEM, "detect: out of memory");
        return NULL;
    }
    memcpy(k, key.p, key.len);
    k[key.len] = '\0';
    e->key = k;
    e->hash = h;
    e->first_ms = e->last_ms = now_ms;
    bool fresh = true;
    if (t->st) {
        uint64_t before = t->loaded;
        *err = load_one(t, e, eb);
        if (*err) {
            ent_free(t, e);
            return NULL;
        }
        fresh = t->loaded == before;
    }
    size_t j = h & (t->nbucket - 1);
    e->hnext = t->bucket[j];
    t->bucket[j] = e;
    lru_push(t, e);
    t->n++;
    e->dirty = true;
    if (created) *created = fresh;
    return e;
}

rp_err rp_bl_table_each(struct rp_bl_table *t, rp_err (*fn)(void *ctx, struct rp_bl_ent *e),
                        void *ctx)
{
    for (struct rp_bl_ent *e = t->oldest; e; e = e->newer) {
        rp_err err = fn(ctx, e);
        if (err) return err;
    }
    return RP_OK;
}

rp_err rp_bl_table_save(struct rp_bl_table *t, int64_t now_ms, struct rp_errbuf *eb)
{
    if (!t->save) return RP_OK;
    rp_err err = rp_store_exec(t->st, "SAVEPOINT rp_baselines", eb);
    for (struct rp_bl_ent *e = t->oldest; !err && e; e = e->newer)
        if (e->dirty) err = save_one(t, e, now_ms, eb);
    if (err) {
        if (rp_store_exec(t->st, "ROLLBACK TO rp_baselines; RELEASE rp_baselines", NULL))
            RP_LOG_WARN("detect: cannot roll the baselines back");
        return err;
    }
    return rp_store_exec(t->st, "RELEASE rp_baselines", eb);
}

size_t rp_bl_table_count(const struct rp_bl_table *t)
{
    return t->n;
}

uint64_t rp_bl_table_evicted(const struct rp_bl_table *t)
{
    return t->evicted;
}

uint64_t rp_bl_table_loaded(const struct rp_bl_table *t)
{
    return t->loaded;
}

uint64_t rp_bl_table_bad(const struct rp_bl_table *t)
{
    return t->bad;
}

bool rp_bl_learning(const struct rp_det_ctx *dc, const struct rp_bl_ent *e, int64_t ms)
{
    const struct rp_detect_opts *o = rp_det_opts(dc);
    int64_t learn = o && o->learning_ms > 0 ? o->learning_ms : 7 * RP_BL_DAY_MS;
    int64_t day0 = e->first_ms - e->first_ms % RP_BL_DAY_MS;
    if (e->first_ms < 0 && day0 != e->first_ms) day0 -= RP_BL_DAY_MS;
    return ms < day0 + learn;
}

/* ---- blob codec ---------------------------------------------------------------------------- */

rp_err rp_bl_put_u8(struct rp_buf *w, uint8_t v)
{
    return rp_buf_append(w, &v, 1);
}

rp_err rp_bl_put_u16(struct rp_buf *w, uint16_t v)
{
    uint8_t b[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
    return rp_buf_append(w, b, 2);
}

rp_err rp_bl_put_u32(struct rp_buf *w, uint32_t v)
{
    uint8_t b[4];
    for (int i = 0; i < 4; i++) b[i] = (uint8_t)(v >> (8 * i));
    return rp_buf_append(w, b, 4);
}

rp_err rp_bl_put_u64(struct rp_buf *w, uint64_t v)
{
    uint8_t b[8];
    for (int i = 0; i < 8; i++) b[i] = (uint8_t)(v >> (8 * i));
    return rp_buf_append(w, b, 8);
}

rp_err rp_bl_put_str(struct rp_buf *w, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n > UINT16_MAX) n = UINT16_MAX;
    rp_err e = rp_bl_put_u16(w, (uint16_t)n);
    return e ? e : rp_buf_append(w, s ? s : "", n);
}

rp_err rp_bl_put_set(struct rp_buf *w, const struct rp_bl_set *s)
{
    uint16_t n = 0;
    for (size_t i = 0; i < s->cap; i++)
        if (s->v[i].id) n++;
    rp_err e = rp_bl_put_u16(w, n);
    for (size_t i = 0; !e && i < s->cap; i++) {
        const struct rp_bl_val *v = &s->v[i];
        if (!v->id) continue;
        e = rp_bl_put_str(w, rp_bl_intern_str(s->t, v->id));
        if (!e) e = rp_bl_put_u16(w, v->count);
        if (!e) e = rp_bl_put_u16(w, v->last_day);
        if (!e) e = rp_bl_put_u8(w, v->days);
        if (!e) e = rp_bl_put_u8(w, v->flags);
        if (!e) e = rp_bl_put_u16(w, v->lcount);
    }
    return e;
}

static const uint8_t *take(struct rp_bl_rd *r, size_t n)
{
    if (r->bad || r->n - r->off < n) {
        r->bad = true;
        return NULL;
    }
    const uint8_t *p = r->p + r->off;
    r->off += n;
    return p;
}

uint8_t rp_bl_get_u8(struct rp_bl_rd *r)
{
    const uint8_t *p = take(r, 1);
    return p ? p[0] : 0;
}

uint16_t rp_bl_get_u16(struct rp_bl_rd *r)
{
    const uint8_t *p = take(r, 2);
    return p ? (uint16_t)(p[0] | p[1] << 8) : 0;
}

uint32_t rp_bl_get_u32(struct rp_bl_rd *r)
{
    const uint8_t *p = take(r, 4);
    uint32_t v = 0;
    for (int i = 3; p && i >= 0; i--) v = v << 8 | p[i];
    return v;
}

uint64_t rp_bl_get_u64(struct rp_bl_rd *r)
{
    const uint8_t *p = take(r, 8);
    uint64_t v = 0;
    for (int i = 7; p && i >= 0; i--) v = v << 8 | p[i];
    return v;
}

struct rp_str rp_bl_get_str(struct rp_bl_rd *r)
{
    uint16_t n = rp_bl_get_u16(r);
    const uint8_t *p = take(r, n);
    return p ? (struct rp_str){(const char *)p, n} : (struct rp_str){NULL, 0};
}

void rp_bl_get_set(struct rp_bl_rd *r, struct rp_bl_intern *t, const struct rp_bl_set *s)
{
    uint16_t n = rp_bl_get_u16(r);
    size_t k = 0;
    for (uint16_t i = 0; i < n && !r->bad; i++) {
        struct rp_str v = rp_bl_get_str(r);
        struct rp_bl_val x = {0};
        x.count = rp_bl_get_u16(r);
        x.last_day = rp_bl_get_u16(r);
        x.days = rp_bl_get_u8(r);
        x.flags = rp_bl_get_u8(r);
        x.lcount = rp_bl_get_u16(r);
        x.id = rp_bl_intern_id(t, v);
        if (r->bad || !x.id || k >= s->cap || rp_bl_set_find(s, x.id)) continue;
        s->v[k++] = x;
    }
}

struct rp_bl_set rp_bl_set_at(const struct rp_bl_common *c, const struct rp_bl_slot *dims,
                              unsigned d, void *ent, uint8_t *spill)
{
    struct rp_bl_set r = {(struct rp_bl_val *)(void *)((char *)ent + dims[d].off), dims[d].cap,
                          spill, c->in, d};
    return r;
}

rp_err rp_bl_put_sets(struct rp_buf *w, const struct rp_bl_common *c, const struct rp_bl_slot *dims,
                      size_t n, void *ent, uint8_t *spill)
{
    rp_err err = RP_OK;
    for (size_t d = 0; !err && d < n; d++) {
        struct rp_bl_set set = rp_bl_set_at(c, dims, (unsigned)d, ent, spill);
        err = rp_bl_put_set(w, &set);
    }
    return err;
}

void rp_bl_get_sets(struct rp_bl_rd *r, struct rp_bl_common *c, const struct rp_bl_slot *dims,
                    size_t n, void *ent, uint8_t *spill)
{
    for (size_t d = 0; d < n; d++) {
        struct rp_bl_set set = rp_bl_set_at(c, dims, (unsigned)d, ent, spill);
        rp_bl_get_set(r, c->in, &set);
    }
}

/* ---- Service.Detection.Anomaly -------------------------------------------------------------- */

static void anomaly_object(struct rp_json_writer *w, const char *subtype, const char *const *obs,
                           size_t n)
{
    rp_json_write_obj_begin(w);
    rp_json_write_kv_cstr(w, "ProfileType", "FREQUENCY");
    rp_json_write_kv_cstr(w, "ProfileSubtype", subtype);
    rp_json_write_key(w, "Observations", 12);
    rp_json_write_obj_begin(w);
    rp_json_write_key(w, "Text", 4);
    rp_json_write_arr_begin(w);
    for (size_t i = 0; i < n && i < RP_BL_MAX_OBS; i++) rp_json_write_cstr(w, obs[i]);
    rp_json_write_arr_end(w);
    rp_json_write_obj_end(w);
    rp_json_write_obj_end(w);
}

rp_err rp_bl_anomaly_json(struct rp_buf *out, const char *profile, const struct rp_bl_dim *dims,
                          size_t ndims)
{
    rp_buf_reset(out);
    struct rp_json_writer w;
    rp_json_writer_init(&w, out);
    rp_json_write_obj_begin(&w);
    rp_json_write_key(&w, "Profiles", 8);
    rp_json_write_obj_begin(&w);
    rp_json_write_key(&w, profile, strlen(profile));
    rp_json_write_obj_begin(&w);
    for (size_t i = 0; i < ndims; i++) {
        if (!dims[i].nfrequent) continue;
        rp_json_write_key(&w, dims[i].name, strlen(dims[i].name));
        rp_json_write_arr_begin(&w);
        anomaly_object(&w, "FREQUENT", dims[i].frequent, dims[i].nfrequent);
        rp_json_write_arr_end(&w);
    }
    rp_json_write_obj_end(&w);
    rp_json_write_obj_end(&w);
    rp_json_write_key(&w, "Unusual", 7);
    rp_json_write_obj_begin(&w);
    rp_json_write_key(&w, "Behavior", 8);
    rp_json_write_obj_begin(&w);
    rp_json_write_key(&w, profile, strlen(profile));
    rp_json_write_obj_begin(&w);
    for (size_t i = 0; i < ndims; i++) {
        if (!dims[i].nunusual) continue;
        rp_json_write_key(&w, dims[i].name, strlen(dims[i].name));
        anomaly_object(&w, dims[i].subtype ? dims[i].subtype : "UNSEEN", dims[i].unusual,
                       dims[i].nunusual);
    }
    rp_json_write_obj_end(&w);
    rp_json_write_obj_end(&w);
    rp_json_write_obj_end(&w);
    rp_json_write_obj_end(&w);
    return rp_json_writer_finish(&w);
}

/* ---- helpers -------------------------------------------------------------------------------- */

static bool has_nocase(struct rp_str s, const char *w)
{
    size_t n = strlen(w);
    for (size_t i = 0; i + n <= s.len; i++) {
        size_t k = 0;
        while (k < n) {
            char c = s.p[i + k];
            if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
            if (c != w[k]) break;
            k++;
        }
        if (k == n) return true;
    }
    return false;
}

void rp_bl_common_ua(struct rp_bl_common *c, struct rp_str ua, char *buf, size_t bufsz)
{
    if (!ua.p || !ua.len || ua.len >= RP_BL_UA_TEXT || bufsz > sizeof c->ua[0].family) {
        rp_bl_ua_family(ua, buf, bufsz);
        return;
    }
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < ua.len; i++) h = (h ^ (uint8_t)ua.p[i]) * 16777619u;
    struct rp_bl_ua_slot *sl = &c->ua[h % RP_BL_UA_SLOTS];
    if (sl->len != ua.len || memcmp(sl->text, ua.p, ua.len)) {
        rp_bl_ua_family(ua, sl->family, sizeof sl->family);
        memcpy(sl->text, ua.p, ua.len);
        sl->len = (uint16_t)ua.len;
    }
    rp_strlcpy(buf, sl->family, bufsz);
}

void rp_bl_ua_family(struct rp_str ua, char *buf, size_t bufsz)
{
    if (!bufsz) return;
    buf[0] = '\0';
    ua = rp_str_trim(ua);
    while (ua.len && (ua.p[0] == '[' || ua.p[0] == ' ')) {
        ua.p++;
        ua.len--;
    }
    if (!ua.len) return;
    char prod[48];
    size_t n = 0;
    if (rp_str_has_prefix(ua, "Mozilla/")) {
        rp_strlcpy(prod, "Browser", sizeof(prod));
    } else if (has_nocase(ua, "terraform/")) {
        rp_strlcpy(prod, "Terraform", sizeof(prod));
    } else {
        const char *slash = memchr(ua.p, '/', ua.len);
        /* no version anywhere: a name such as "AWS Internal" or "s3.amazonaws.com" */
        size_t end = slash ? (size_t)(slash - ua.p) : ua.len;
        if (slash)
            for (size_t i = 0; i < end; i++)
                if (ua.p[i] == ' ' || ua.p[i] == '(' || ua.p[i] == ',') end = i;
        for (; n < end && n + 1 < sizeof(prod); n++) prod[n] = ua.p[n];
        prod[n] = '\0';
        if (!n) return;
    }
    static const struct {
        const char *word, *os;
    } oses[] = {{"windows", "Windows"}, {"darwin", "macOS"},    {"macos", "macOS"},
                {"mac os", "macOS"},    {"android", "Android"}, {"iphone", "iOS"},
                {"linux", "Linux"}};
    const char *os = NULL;
    for (size_t i = 0; i < RP_ARRAY_LEN(oses) && !os; i++)
        if (has_nocase(ua, oses[i].word)) os = oses[i].os;
    if (os)
        snprintf(buf, bufsz, "%s (%s)", prod, os);
    else
        rp_strlcpy(buf, prod, bufsz);
}

struct rp_str rp_bl_ct_principal(const struct rp_det_event *ev)
{
    struct rp_str t = rp_det_str(ev, RP_CT_UID_TYPE), r = {NULL, 0};
    if (!t.p || !t.len) return r;
    if (rp_str_eq_cstr(t, "AssumedRole")) {
        r = rp_det_str(ev, RP_CT_UID_ISSUER_ARN);
        if (!r.p || !r.len) r = rp_det_str(ev, RP_CT_UID_ARN);
    } else if (rp_str_eq_cstr(t, "IAMUser") || rp_str_eq_cstr(t, "Root") ||
               rp_str_eq_cstr(t, "FederatedUser")) {
        r = rp_det_str(ev, RP_CT_UID_ARN);
        if (!r.p || !r.len) r = rp_det_str(ev, RP_CT_PRINCIPAL);
    }
    return r.p && r.len ? r : (struct rp_str){NULL, 0};
}

bool rp_bl_network(const struct rp_ip *ip, char *buf, size_t bufsz)
{
    struct rp_ip u;
    rp_ip_unmap(ip, &u);
    struct rp_cidr c;
    if (rp_cidr_from_ip(&u, u.family == RP_IP_V4 ? 24 : 48, &c, NULL) != RP_OK) return false;
    return rp_cidr_format(&c, buf, bufsz) == RP_OK;
}

/* ---- a model's detector state --------------------------------------------------------------- */

rp_err rp_bl_state_new(struct rp_det_ctx *dc, size_t size, void **state, struct rp_errbuf *eb)
{
    struct rp_bl_common *c = calloc(1, size);
    if (!c) return rp_fail(eb, RP_ENOMEM, "detect: out of memory");
    *state = c;
    c->dc = dc;
    rp_buf_init(&c->anomaly, 1u << 16);
    rp_err err = rp_bl_intern_new(&c->in);
    return err ? rp_fail(eb, err, "detect: out of memory") : RP_OK;
}

rp_err rp_bl_common_table(struct rp_bl_common *c, const struct rp_bl_model *m, void *ctx,
                          struct rp_errbuf *eb)
{
    const struct rp_detect_opts *o = rp_det_opts(c->dc);
    bool window = o && (o->since_ms != INT64_MIN || o->until_ms != INT64_MAX);
    bool save = o && !o->dry_run && !window;
    return rp_bl_table_new(m, ctx, rp_det_store(c->dc), save, &c->tab, eb);
}

void rp_bl_state_free(void *state)
{
    struct rp_bl_common *c = state;
    if (!c) return;
    rp_bl_table_free(c->tab);
    rp_bl_intern_free(c->in);
    rp_buf_release(&c->anomaly);
    free(c);
}

rp_err rp_bl_common_finish(struct rp_bl_common *c, struct rp_errbuf *eb)
{
    const struct rp_detect_opts *o = rp_det_opts(c->dc);
    int64_t now = o && o->now_ms ? o->now_ms : rp_time_now_ms();
    return rp_bl_table_save(c->tab, now, eb);
}

struct rp_bl_ent *rp_bl_common_use(struct rp_bl_common *c, struct rp_str key, int64_t ms,
                                   rp_err *err, struct rp_errbuf *eb)
{
    struct rp_bl_ent *e = rp_bl_table_get(c->tab, key, ms, NULL, err, eb);
    if (!e) return NULL;
    if (ms > e->last_ms) e->last_ms = ms;
    if (e->nevents < UINT32_MAX) e->nevents++;
    return e;
}

void rp_bl_dim_top(struct rp_bl_dim *dim, const struct rp_bl_set *set, size_t max)
{
    uint32_t ids[RP_BL_MAX_OBS];
    size_t room = RP_BL_MAX_OBS - dim->nfrequent;
    size_t n = rp_bl_set_top(set, ids, max < room ? max : room);
    for (size_t i = 0; i < n; i++)
        dim->frequent[dim->nfrequent++] = rp_bl_intern_str(set->t, ids[i]);
}

rp_err rp_bl_common_anomaly(struct rp_bl_common *c, const char *key, const struct rp_bl_dim *dims,
                            size_t ndims, struct rp_errbuf *eb)
{
    rp_err err = rp_bl_anomaly_json(&c->anomaly, key, dims, ndims);
    return err ? rp_fail(eb, err, "detect: cannot write the anomaly of '%s'", key) : RP_OK;
}

rp_err rp_bl_common_emit(struct rp_bl_common *c, struct rp_det_finding *f, struct rp_errbuf *eb)
{
    f->anomaly_json = rp_buf_cstr(&c->anomaly);
    return rp_det_emit(c->dc, f, eb);
}
