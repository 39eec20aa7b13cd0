/* SPDX-License-Identifier: Apache-2.0 */
/* Private to the behavioural baseline detectors (src/detect/detect_bl_*.c, DESIGN.md §6 kind
 * 3): the machinery every model shares.
 *
 *   - an intern table: every profiled value (an API name, a /24, a user-agent family, a
 *     region, a bucket) is stored once per detector and named by a 32-bit id in the profiles;
 *   - capped value sets (struct rp_bl_val[]) that remember, per value, how often and on how
 *     many distinct days it was used and whether it was used during the learning period, with
 *     a small per-entity Bloom filter that keeps learned values a full set had to evict;
 *   - a table of entities (a principal, an instance, a cluster user) of one fixed size per
 *     model, at most a capped number in memory (least recently used ones are saved to the
 *     store and dropped past the cap, counted), loaded lazily from the store table
 *     detect_baselines (migration 0014) and saved there at finish, so a later run goes on
 *     learning and detecting from what earlier runs saw;
 *   - the compact binary blob a model writes its entity into (values as text, so blobs do not
 *     depend on one run's intern ids);
 *   - Service.Detection.Anomaly as GuardDuty writes it (Profiles / Unusual.Behavior, objects
 *     {ProfileType, ProfileSubtype, Observations{Text}});
 *   - the detector state every model starts with (struct rp_bl_common: run, intern table,
 *     entity table, anomaly buffer), its allocation, table opening, saving at finish and
 *     release, and the steps every finding takes (anomaly JSON, emit);
 *   - small helpers: user-agent family, network of an address (/24, /48), learning test.
 *
 * Learning: an entity learns for rp_det_opts()->learning_ms from the start (00:00 UTC) of the
 * day of its first event: whole days of data, so that an entity first seen at 09:00 is not
 * still learning at 05:00 on the last day. A value is habitual when the entity used it while
 * learning, or on at least RP_BL_HABIT_DAYS distinct days since. Models raise findings only
 * for entities past their learning period, about values that are not habitual (or rare).
 *
 * Single-threaded, as a run is. */
#ifndef RP_DETECT_BL_ENGINE_H
#define RP_DETECT_BL_ENGINE_H

#include "core/rp_buf.h"
#include "detect/detect_internal.h"

/* A value first used after the learning period becomes habitual once used on this many
 * distinct days (a new office network, a new tool that stays). */
#define RP_BL_HABIT_DAYS 3

/* A learned value used at most this many times, all on one day, is rare (see
 * rp_bl_set_frequent). */
#define RP_BL_RARE_USES 2

/* Entities kept in memory per model; past it the least recently used one is saved (when the
 * run has a store and saves state) and dropped. Bytes per entity (x86-64, the struct plus its
 * key, a malloc header and a hash-chain slot): iam 1,576 + key + ~24, s3 904 + key + ~24, flow
 * 1,856 + id + ~24, k8s 848 + key + ~24; a CloudTrail principal is in both iam and s3: about
 * 2.6 KiB with its ARN twice. So 50,000 flow entities take ~95 MiB at most, and 10,000
 * principals ~26 MiB (plus the intern table: each distinct value once). */
#define RP_BL_MAX_ENTITIES 50000

/* Bytes of text the intern table of one detector may hold (values past it are not tracked:
 * they count as habitual, so they never raise a finding, and are counted). */
#define RP_BL_MAX_INTERN_BYTES (16u << 20)

#define RP_BL_DAY_MS  86400000LL
#define RP_BL_HOUR_MS 3600000LL

/* ---- intern table ------------------------------------------------------------------------- */

struct rp_bl_intern;

rp_err rp_bl_intern_new(struct rp_bl_intern **out) RP_WUR;
void rp_bl_intern_free(struct rp_bl_intern *t); /* NULL is a no-op */
/* The id (>= 1) of s, added when new; 0 when s is empty, the table is full (counted) or
 * memory runs out. */
uint32_t rp_bl_intern_id(struct rp_bl_intern *t, struct rp_str s);
/* The text of id (NUL-terminated, borrowed from t), "" for 0 or an unknown id. */
const char *rp_bl_intern_str(const struct rp_bl_intern *t, uint32_t id);
/* A hash of the text of id that does not depend on the run (0 for 0 or an unknown id). */
uint64_t rp_bl_intern_hash(const struct rp_bl_intern *t, uint32_t id);
/* Values refused because the table was full. */
uint64_t rp_bl_intern_dropped(const struct rp_bl_intern *t);

/* ---- value sets ---------------------------------------------------------------------------- */

#define RP_BL_LEARNED 0x01u /* used while the entity was learning */
#define RP_BL_LDAYS2  0x02u /* ... on two days or more */

/* One value of a profile: 12 bytes. */
struct rp_bl_val {
    uint32_t id;       /* interned value; 0 = free slot */
    uint16_t count;    /* uses, saturating at 65535 */
    uint16_t last_day; /* day of the last use (days since 1970, modulo 65536) */
    uint8_t days;      /* distinct days with a use, saturating at 255 */
    uint8_t flags;     /* RP_BL_LEARNED, RP_BL_LDAYS2 */
    uint16_t lcount;   /* uses while learning, saturating */
};

#define RP_BL_SPILL_BYTES 64 /* per-entity Bloom filter of evicted learned values: 512 bits */

/* A set of one entity: its slots, and what the spill filter needs (the entity's filter, the
 * intern table for stable value hashes, a dimension number so that equal texts of two
 * dimensions stay apart). */
struct rp_bl_set {
    struct rp_bl_val *v;
    size_t cap;
    uint8_t *spill; /* RP_BL_SPILL_BYTES, or NULL */
    const struct rp_bl_intern *t;
    unsigned dim;
};

/* The slot of id, or NULL. */
struct rp_bl_val *rp_bl_set_find(const struct rp_bl_set *s, uint32_t id);
/* True when id is habitual: a learned slot, a slot used on RP_BL_HABIT_DAYS days, or (not in
 * the set) a value the spill filter remembers. Id 0 (untracked) counts as habitual. */
bool rp_bl_set_habitual(const struct rp_bl_set *s, uint32_t id);
/* True when id is habitual and not rare: a rare value was used while learning at most
 * RP_BL_RARE_USES times, all on one day, and on fewer than RP_BL_HABIT_DAYS days in all (an
 * admin's one-off while learning). Values the spill filter remembers count as frequent. */
bool rp_bl_set_frequent(const struct rp_bl_set *s, uint32_t id);
/* True when id is in the set (learned or not). */
bool rp_bl_set_known(const struct rp_bl_set *s, uint32_t id);
/* Record one use of id on day (learning: the entity is learning). A full set makes room by
 * evicting its least used value that is not habitual, else its least used value (remembered
 * by the spill filter when learned). Returns the slot, or NULL for id 0. *inserted (may be
 * NULL) is true when the value was new to the set and unknown to the spill filter. */
struct rp_bl_val *rp_bl_set_note(const struct rp_bl_set *s, uint32_t id, uint16_t day,
                                 bool learning, bool *inserted);
/* Up to max ids of habitual values by decreasing count (ties by text), into ids. */
size_t rp_bl_set_top(const struct rp_bl_set *s, uint32_t *ids, size_t max);

/* The day of ms (days since 1970, modulo 65536) and the hour of day (0..23, UTC). */
uint16_t rp_bl_day(int64_t ms);
unsigned rp_bl_hour(int64_t ms);

/* ---- entities ------------------------------------------------------------------------------ */

/* The first member of every model's entity. */
struct rp_bl_ent {
    struct rp_bl_ent *hnext;         /* hash chain */
    struct rp_bl_ent *older, *newer; /* recency list */
    uint64_t hash;
    char *key;        /* entity key: principal ARN, instance id, ...; owned */
    int64_t first_ms; /* first event ever seen (learning starts here) */
    int64_t last_ms;  /* last event */
    uint32_t nevents; /* events seen, saturating */
    bool dirty;       /* changed since loaded or saved */
};

/* What a model tells the table. */
struct rp_bl_model {
    const char *name; /* store key: "iam", "s3", "flow", "k8s" */
    size_t ent_size;  /* sizeof the model's entity (struct rp_bl_ent first) */
    unsigned version; /* blob format version; rows of another version are ignored */
    /* Write the model part of e (after the header) into w; RP_ENOMEM / RP_ELIMIT. */
    rp_err (*encode)(void *ctx, const struct rp_bl_ent *e, struct rp_buf *w);
    /* Read it back; false for a blob that does not parse (the entity then starts afresh). */
    bool (*decode)(void *ctx, struct rp_bl_ent *e, const uint8_t *p, size_t n);
    /* Release what the model part owns (may be NULL). */
    void (*drop)(void *ctx, struct rp_bl_ent *e);
};

struct rp_bl_table;

/* A table for model m (ctx is passed to its callbacks). st may be NULL (in memory only); when
 * save is false nothing is written back (dry run, window re-run). */
rp_err rp_bl_table_new(const struct rp_bl_model *m, void *ctx, struct rp_store *st, bool save,
                       struct rp_bl_table **out, struct rp_errbuf *eb) RP_WUR;
/* Free the table and every entity, without saving. NULL is a no-op. */
void rp_bl_table_free(struct rp_bl_table *t);
/* The entity of key, loaded from the store or created (zeroed, first_ms = now_ms) when absent;
 * *created (may be NULL) is true for a new one. Marks it used and dirty. NULL with *eb on
 * RP_ENOMEM or a store error (*err). */
struct rp_bl_ent *rp_bl_table_get(struct rp_bl_table *t, struct rp_str key, int64_t now_ms,
                                  bool *created, rp_err *err, struct rp_errbuf *eb);
/* Call fn for every entity in memory (oldest use first); a non-OK return stops the walk. */
rp_err rp_bl_table_each(struct rp_bl_table *t, rp_err (*fn)(void *ctx, struct rp_bl_ent *e),
                        void *ctx);
/* Save every dirty entity (one transaction). RP_OK without a store or when not saving. */
rp_err rp_bl_table_save(struct rp_bl_table *t, int64_t now_ms, struct rp_errbuf *eb) RP_WUR;
size_t rp_bl_table_count(const struct rp_bl_table *t);
uint64_t rp_bl_table_evicted(const struct rp_bl_table *t); /* dropped past the cap */
uint64_t rp_bl_table_loaded(const struct rp_bl_table *t);  /* read from the store */
uint64_t rp_bl_table_bad(const struct rp_bl_table *t);     /* rows that did not decode */

/* True while e learns at time ms: before the start of the day of e->first_ms plus the run's
 * learning period. */
bool rp_bl_learning(const struct rp_det_ctx *dc, const struct rp_bl_ent *e, int64_t ms);

/* ---- blob codec ---------------------------------------------------------------------------- */

/* Writers (append little-endian to w; errors are sticky in the rp_buf: check the last one). */
rp_err rp_bl_put_u8(struct rp_buf *w, uint8_t v) RP_WUR;
rp_err rp_bl_put_u16(struct rp_buf *w, uint16_t v) RP_WUR;
rp_err rp_bl_put_u32(struct rp_buf *w, uint32_t v) RP_WUR;
rp_err rp_bl_put_u64(struct rp_buf *w, uint64_t v) RP_WUR;
rp_err rp_bl_put_str(struct rp_buf *w, const char *s) RP_WUR; /* u16 length + bytes */
/* A value set: count, then per used slot: text, count, last_day, days, flags, lcount. */
rp_err rp_bl_put_set(struct rp_buf *w, const struct rp_bl_set *s) RP_WUR;

/* A reader over a blob: any read past the end sets bad and returns 0 / an empty string. */
struct rp_bl_rd {
    const uint8_t *p;
    size_t n, off;
    bool bad;
};
uint8_t rp_bl_get_u8(struct rp_bl_rd *r);
uint16_t rp_bl_get_u16(struct rp_bl_rd *r);
uint32_t rp_bl_get_u32(struct rp_bl_rd *r);
uint64_t rp_bl_get_u64(struct rp_bl_rd *r);
struct rp_str rp_bl_get_str(struct rp_bl_rd *r);
/* Read a set written by rp_bl_put_set into s (values interned into t); values past its cap
 * are dropped. */
void rp_bl_get_set(struct rp_bl_rd *r, struct rp_bl_intern *t, const struct rp_bl_set *s);

struct rp_bl_common;

/* Where a model keeps the value sets of its dimensions in its entity: one row per dimension,
 * in the order they are stored. */
struct rp_bl_slot {
    size_t off; /* offsetof the struct rp_bl_val array in the entity */
    size_t cap; /* its length */
};

/* The set of dimension d (dims[d]) of entity ent, spilling into spill (RP_BL_SPILL_BYTES). */
struct rp_bl_set rp_bl_set_at(const struct rp_bl_common *c, const struct rp_bl_slot *dims,
                              unsigned d, void *ent, uint8_t *spill);
/* rp_bl_put_set / rp_bl_get_set for dimensions 0..n, in order. */
rp_err rp_bl_put_sets(struct rp_buf *w, const struct rp_bl_common *c, const struct rp_bl_slot *dims,
                      size_t n, void *ent, uint8_t *spill) RP_WUR;
void rp_bl_get_sets(struct rp_bl_rd *r, struct rp_bl_common *c, const struct rp_bl_slot *dims,
                    size_t n, void *ent, uint8_t *spill);

/* ---- Service.Detection.Anomaly -------------------------------------------------------------- */

#define RP_BL_MAX_OBS 8

/* One dimension of a profile: the expected (frequent) values and what was unusual. */
struct rp_bl_dim {
    const char *name;                    /* "ApiCalls", "NetworkLocations", "UserAgents", .. */
    const char *frequent[RP_BL_MAX_OBS]; /* Profiles: FREQUENT observations */
    size_t nfrequent;
    const char *unusual[RP_BL_MAX_OBS]; /* Unusual.Behavior: observations */
    size_t nunusual;
    const char *subtype; /* of the unusual object: NULL = "UNSEEN" ("RARE" for
                            a volume far above the profile) */
};

/* Write {"Profiles": {profile: {dim: [{..FREQUENT..}]}}, "Unusual": {"Behavior": {profile:
 * {dim: {..}}}}} for dims into out (replacing its contents). Dimensions without frequent
 * values are left out of Profiles, those without unusual ones out of Unusual. */
rp_err rp_bl_anomaly_json(struct rp_buf *out, const char *profile, const struct rp_bl_dim *dims,
                          size_t ndims) RP_WUR;

/* ---- a model's detector state --------------------------------------------------------------- */

/* What every model's detector state holds first (the state struct starts with it, so the state
 * is allocated and freed here): the run, the intern table, the entity table and the buffer the
 * anomaly JSON of a finding is written into. */
/* User agents repeat (a principal keeps its tools), and working out a family reads the whole
 * text several times: a direct-mapped cache of RP_BL_UA_SLOTS recent ones, keyed by the full
 * text (texts longer than RP_BL_UA_TEXT are not cached). */
#define RP_BL_UA_SLOTS 64
#define RP_BL_UA_TEXT  224
struct rp_bl_ua_slot {
    uint16_t len; /* 0 = empty */
    char text[RP_BL_UA_TEXT];
    char family[64];
};

struct rp_bl_common {
    struct rp_det_ctx *dc;
    struct rp_bl_intern *in;
    struct rp_bl_table *tab;
    struct rp_buf anomaly;
    struct rp_bl_ua_slot ua[RP_BL_UA_SLOTS]; /* rp_bl_common_ua's cache */
};

/* Allocate a zeroed state of size bytes (starting with struct rp_bl_common) into *state, with
 * its run, anomaly buffer and intern table; the table comes later (rp_bl_common_table), once
 * the model set up what its callbacks need. RP_ENOMEM ("detect: out of memory"); *state is
 * set as soon as the allocation succeeded, so the caller's release frees a partial state. */
rp_err rp_bl_state_new(struct rp_det_ctx *dc, size_t size, void **state,
                       struct rp_errbuf *eb) RP_WUR;
/* Open c's entity table for model m (ctx for its callbacks), in the run's store; saving back
 * unless the run is a dry run or re-runs a time window. Errors of rp_bl_table_new. */
rp_err rp_bl_common_table(struct rp_bl_common *c, const struct rp_bl_model *m, void *ctx,
                          struct rp_errbuf *eb) RP_WUR;
/* Free a state from rp_bl_state_new (table, intern table, buffer, the state itself) after the
 * model released what it added. NULL is a no-op. */
void rp_bl_state_free(void *state);
/* At finish: save the dirty entities, stamped with the run's now (or the clock). */
rp_err rp_bl_common_finish(struct rp_bl_common *c, struct rp_errbuf *eb) RP_WUR;
/* The entity of key (rp_bl_table_get) used by an event at ms: its last_ms and event count are
 * updated. NULL with *err and *eb as rp_bl_table_get. */
struct rp_bl_ent *rp_bl_common_use(struct rp_bl_common *c, struct rp_str key, int64_t ms,
                                   rp_err *err, struct rp_errbuf *eb);
/* Append to dim's frequent observations the top (at most max) habitual values of set. */
void rp_bl_dim_top(struct rp_bl_dim *dim, const struct rp_bl_set *set, size_t max);
/* Write the anomaly of entity key for dims into c->anomaly (rp_bl_anomaly_json); errors name
 * the entity ("detect: cannot write the anomaly of '<key>'"). */
rp_err rp_bl_common_anomaly(struct rp_bl_common *c, const char *key, const struct rp_bl_dim *dims,
                            size_t ndims, struct rp_errbuf *eb) RP_WUR;
/* Emit f with c->anomaly as its anomaly JSON (rp_det_emit). */
rp_err rp_bl_common_emit(struct rp_bl_common *c, struct rp_det_finding *f,
                         struct rp_errbuf *eb) RP_WUR;

/* ---- helpers -------------------------------------------------------------------------------- */

/* The family of a user agent: the product ("aws-cli", "Boto3", "aws-sdk-go", "Terraform",
 * "Browser" for Mozilla/..., "AWS Internal", a service name) and, when the text names one, the
 * operating system: "aws-cli (Linux)". Into buf (always NUL-terminated). */
void rp_bl_ua_family(struct rp_str ua, char *buf, size_t bufsz);
/* rp_bl_ua_family through c's cache: the same result. */
void rp_bl_common_ua(struct rp_bl_common *c, struct rp_str ua, char *buf, size_t bufsz);
/* The principal a CloudTrail call is profiled under: the user (IAM, root, federated) by its
 * ARN, a role session by its role (the session issuer's ARN: session names change with every
 * session); an absent slice for calls of AWS services, web identities and other callers. */
struct rp_str rp_bl_ct_principal(const struct rp_det_event *ev);
/* The network of an address as text: "203.0.113.0/24" for IPv4 (mapped included), the /48 for
 * IPv6. Into buf of at least RP_CIDR_STRBUFSZ bytes; false for a bad address. */
bool rp_bl_network(const struct rp_ip *ip, char *buf, size_t bufsz);

#endif
