/* SPDX-License-Identifier: Apache-2.0 */
/* Behavioural baseline of S3 data events per principal (DESIGN.md §6 kind 3): GuardDuty's
 * S3 AnomalousBehavior types (aws-facts §4.6): Discovery:S3/AnomalousBehavior,
 * Exfiltration:S3/AnomalousBehavior, Impact:S3/AnomalousBehavior.Delete, .Write, .Permission.
 *
 * Entity: the principal (as detect_bl_iam.c: the user, or the role of a role session), from its
 * first CloudTrail call of any kind (its learning period starts there). Profile
 * (model "s3", struct s3_ent, 904 bytes plus the ARN): per bucket (at most NBUCKET, the
 * least recently used one evicted past it) the most object reads (and bytes), writes,
 * deletes, permission changes and lists the principal made in one clock hour, the same over
 * every bucket, and the principal's source networks (of all its calls, management included).
 *
 * Windows are clock hours per principal and bucket. After the learning period a kind of call
 * is anomalous in a window when its count passes the larger of a floor and FACTOR times the
 * most the principal ever did in an hour (on that bucket or any); when the window's calls come
 * from a network the principal never used the floor and the factor are lower (NEWNET_*).
 * Discovery is listing many buckets the principal never touched within an hour. The call that
 * crosses the threshold raises the finding with the window's count so far; later calls of the
 * window add one each (one finding per type, bucket and principal). Windows without a finding
 * update the profile; anomalous ones do not.
 *
 * Like detect_bl_iam.c: failed calls, calls made by AWS services and calls from threat-listed
 * addresses are ignored; trusted addresses are learned and never reported. */
#define RP_LOG_MODULE "detect"
#include <stdlib.h>
#include <string.h>

#include "detect/detect_bl_engine.h"
#include "detect/detect_ct_common.h"
#include "core/rp_banned.h"

/* ---- thresholds ---------------------------------------------------------------------------- */

#define FACTOR                10  /* anomalous: this many times the most learned in one hour */
#define NEWNET_FACTOR         2   /* ... when the window's calls come from a new network */
#define READ_MIN              100 /* GetObject calls in an hour, at least */
#define READ_MIN_BYTES        (1ull << 30) /* or bytes read in an hour */
#define NEWNET_READ_MIN       20
#define NEWNET_READ_MIN_BYTES (256ull << 20)
#define DELETE_MIN            50
#define NEWNET_DELETE_MIN     10
#define WRITE_MIN             200
#define NEWNET_WRITE_MIN      50
#define PERM_MIN              20
#define NEWNET_PERM_MIN       5
#define DISC_BUCKETS          5 /* buckets never touched before, listed in one hour */

/* ---- kinds of calls ------------------------------------------------------------------------ */

enum kind { K_READ, K_WRITE, K_DELETE, K_PERM, K_LIST, K__N };

/* S3 data-event names by kind (the object-level operations CloudTrail logs as data events). */
static const struct {
    const char *api;
    enum kind k;
} kinds[] = {
    {"CompleteMultipartUpload", K_WRITE},
    {"CopyObject", K_WRITE},
    {"DeleteObject", K_DELETE},
    {"DeleteObjects", K_DELETE},
    {"GetObject", K_READ},
    {"GetObjectAcl", K_LIST},
    {"ListMultipartUploads", K_LIST},
    {"ListObjectVersions", K_LIST},
    {"ListObjects", K_LIST},
    {"ListObjectsV2", K_LIST},
    {"PutObject", K_WRITE},
    {"PutObjectAcl", K_PERM},
    {"PutObjectVersionAcl", K_PERM},
    {"SelectObjectContent", K_READ},
};

static int kind_of(struct rp_str api)
{
    for (size_t i = 0; i < RP_ARRAY_LEN(kinds); i++)
        if (rp_str_eq_cstr(api, kinds[i].api)) return (int)kinds[i].k;
    return -1;
}

/* ---- finding types ------------------------------------------------------------------------- */

enum { T_DISC, T_EXFIL, T_DELETE, T_PERM, T_WRITE };

static const struct rp_det_type types[] = {
    [T_DISC] = {"Discovery:S3/AnomalousBehavior", 2.0,
                "Anomalous listing of S3 buckets, %s among them",
                "A principal listed several buckets it never used before within an hour, an "
                "enumeration its baseline does not explain."},
    [T_EXFIL] = {"Exfiltration:S3/AnomalousBehavior", 8.0,
                 "Anomalous volume of objects read from S3 bucket %s",
                 "A principal read far more objects or bytes from the bucket in an hour than it "
                 "ever did, or many from a network it never used: a possible exfiltration."},
    [T_DELETE] = {"Impact:S3/AnomalousBehavior.Delete", 8.0,
                  "Anomalous deletion of objects in S3 bucket %s",
                  "A principal deleted far more objects from the bucket in an hour than it ever "
                  "did, or many from a network it never used."},
    [T_PERM] = {"Impact:S3/AnomalousBehavior.Permission", 8.0,
                "Anomalous changes of object permissions in S3 bucket %s",
                "A principal changed the access control lists of far more objects in an hour "
                "than it ever did, or of many from a network it never used."},
    [T_WRITE] = {"Impact:S3/AnomalousBehavior.Write", 5.0,
                 "Anomalous volume of objects written to S3 bucket %s",
                 "A principal wrote far more objects to the bucket in an hour than it ever did, "
                 "or many from a network it never used."},
};

static const int type_of_kind[K__N] = {[K_READ] = T_EXFIL,
                                       [K_WRITE] = T_WRITE,
                                       [K_DELETE] = T_DELETE,
                                       [K_PERM] = T_PERM,
                                       [K_LIST] = -1};

static const char *const kind_dim[K__N] = {"ObjectReads", "ObjectWrites", "ObjectDeletes",
                                           "ObjectPermissionChanges", "ObjectLists"};

/* ---- the profile --------------------------------------------------------------------------- */

#define NBUCKET 8
#define NNET    8

#define B_LEARNED 0x01u /* used while the principal was learning */
#define B_NEWNET  0x02u /* the open window has calls from a new network */

struct bucket {
    uint32_t name;      /* interned bucket name; 0 = free */
    uint32_t hour;      /* hours since 1970 of the open window, 0 = none */
    uint32_t cur[K__N]; /* calls in the open window */
    uint32_t max[K__N]; /* most calls in one hour, learned */
    uint64_t cur_bytes; /* bytes read in the open window */
    uint64_t max_bytes; /* most bytes read in one hour, learned */
    int64_t wfirst;     /* first call of the open window */
    uint8_t fired;      /* kinds reported in the open window (bits) */
    uint8_t flags;      /* B_* */
    uint16_t last_day;  /* last use */
    uint8_t days;       /* distinct days used */
    bool learning;      /* the open window started while the principal learned */
};

struct s3_ent {
    struct rp_bl_ent h;
    struct bucket b[NBUCKET];
    uint32_t pmax[K__N]; /* most calls of a kind in one hour on any bucket, learned */
    uint64_t pmax_bytes;
    struct rp_bl_val net[NNET];
    uint8_t spill[RP_BL_SPILL_BYTES];
    uint32_t disc_hour; /* discovery: the hour of disc_n */
    uint16_t disc_n;    /* buckets never used before, listed in disc_hour */
};

struct s3 {
    struct rp_bl_common c; /* first: the engine allocates and frees the state */
    struct rp_det_ct_work w;
};

static struct rp_bl_set net_set(struct s3 *s, struct s3_ent *e)
{
    return (struct rp_bl_set){e->net, NNET, e->spill, s->c.in, 0};
}

static rp_err encode(void *ctx, const struct rp_bl_ent *he, struct rp_buf *w)
{
    struct s3 *s = ctx;
    struct s3_ent *e = (struct s3_ent *)(void *)he;
    uint8_t n = 0;
    for (size_t i = 0; i < NBUCKET; i++)
        if (e->b[i].name) n++;
    rp_err err = rp_bl_put_u8(w, n);
    for (size_t i = 0; !err && i < NBUCKET; i++) {
        const struct bucket *b = &e->b[i];
        if (!b->name) continue;
        err = rp_bl_put_str(w, rp_bl_intern_str(s->c.in, b->name));
        for (int k = 0; !err && k < K__N; k++) err = rp_bl_put_u32(w, b->max[k]);
        if (!err) err = rp_bl_put_u64(w, b->max_bytes);
        if (!err) err = rp_bl_put_u8(w, b->flags & B_LEARNED);
        if (!err) err = rp_bl_put_u16(w, b->last_day);
        if (!err) err = rp_bl_put_u8(w, b->days);
    }
    for (int k = 0; !err && k < K__N; k++) err = rp_bl_put_u32(w, e->pmax[k]);
    if (!err) err = rp_bl_put_u64(w, e->pmax_bytes);
    struct rp_bl_set set = net_set(s, e);
    if (!err) err = rp_bl_put_set(w, &set);
    if (!err) err = rp_buf_append(w, e->spill, sizeof(e->spill));
    return err;
}

static bool decode(void *ctx, struct rp_bl_ent *he, const uint8_t *p, size_t n)
{
    struct s3 *s = ctx;
    struct s3_ent *e = (struct s3_ent *)(void *)he;
    struct rp_bl_rd r = {p, n, 0, false};
    uint8_t nb = rp_bl_get_u8(&r);
    for (uint8_t i = 0; i < nb && !r.bad; i++) {
        struct bucket b = {0};
        b.name = rp_bl_intern_id(s->c.in, rp_bl_get_str(&r));
        for (int k = 0; k < K__N; k++) b.max[k] = rp_bl_get_u32(&r);
        b.max_bytes = rp_bl_get_u64(&r);
        b.flags = rp_bl_get_u8(&r) & B_LEARNED;
        b.last_day = rp_bl_get_u16(&r);
        b.days = rp_bl_get_u8(&r);
        if (i < NBUCKET && b.name) e->b[i] = b;
    }
    for (int k = 0; k < K__N; k++) e->pmax[k] = rp_bl_get_u32(&r);
    e->pmax_bytes = rp_bl_get_u64(&r);
    struct rp_bl_set set = net_set(s, e);
    rp_bl_get_set(&r, s->c.in, &set);
    for (size_t i = 0; i < sizeof(e->spill); i++) e->spill[i] = rp_bl_get_u8(&r);
    return !r.bad && r.off == r.n;
}

static const struct rp_bl_model model = {
    .name = "s3",
    .ent_size = sizeof(struct s3_ent),
    .version = 1,
    .encode = encode,
    .decode = decode,
};

/* ---- windows ------------------------------------------------------------------------------- */

static bool habitual_bucket(const struct bucket *b)
{
    return (b->flags & B_LEARNED) || b->days >= RP_BL_HABIT_DAYS;
}

/* Close b's open window: learn from it unless it raised a finding. */
static void close_window(struct s3_ent *e, struct bucket *b)
{
    if (b->hour && (b->learning || !b->fired)) {
        for (int k = 0; k < K__N; k++) {
            if (b->cur[k] > b->max[k]) b->max[k] = b->cur[k];
            if (b->learning && b->cur[k] > e->pmax[k]) e->pmax[k] = b->cur[k];
        }
        if (b->cur_bytes > b->max_bytes) b->max_bytes = b->cur_bytes;
        if (b->learning && b->cur_bytes > e->pmax_bytes) e->pmax_bytes = b->cur_bytes;
    }
    memset(b->cur, 0, sizeof(b->cur));
    b->cur_bytes = 0;
    b->hour = 0;
    b->fired = 0;
    b->flags &= (uint8_t)~B_NEWNET;
}

/* The slot of bucket name, taken (evicting the least recently used) when new. */
static struct bucket *bucket_of(struct s3_ent *e, uint32_t name, bool *isnew)
{
    *isnew = false;
    struct bucket *free_b = NULL, *old = NULL;
    for (size_t i = 0; i < NBUCKET; i++) {
        struct bucket *b = &e->b[i];
        if (b->name == name) return b;
        if (!b->name && !free_b) free_b = b;
        if (b->name && (!old || (uint16_t)(b->last_day - old->last_day) > 0x8000u)) old = b;
    }
    struct bucket *b = free_b ? free_b : old;
    memset(b, 0, sizeof(*b));
    b->name = name;
    *isnew = true;
    return b;
}

/* ---- detector ------------------------------------------------------------------------------ */

static rp_err init(struct rp_det_ctx *dc, void **state, struct rp_errbuf *eb)
{
    rp_err err = rp_bl_state_new(dc, sizeof(struct s3), state, eb);
    if (err) return err;
    struct s3 *s = *state;
    err = rp_det_ct_work_init(&s->w, eb);
    return err ? err : rp_bl_common_table(&s->c, &model, s, eb);
}

static void release(void *state)
{
    struct s3 *s = state;
    if (s) rp_det_ct_work_release(&s->w);
    rp_bl_state_free(s);
}

static rp_err close_all(void *ctx, struct rp_bl_ent *he)
{
    (void)ctx;
    struct s3_ent *e = (struct s3_ent *)(void *)he;
    for (size_t i = 0; i < NBUCKET; i++)
        if (e->b[i].name && e->b[i].hour) close_window(e, &e->b[i]);
    return RP_OK;
}

static rp_err finish(struct rp_det_ctx *dc, void *state, struct rp_errbuf *eb)
{
    (void)dc;
    struct s3 *s = state;
    rp_err err = rp_bl_table_each(s->c.tab, close_all, s);
    return err ? err : rp_bl_common_finish(&s->c, eb);
}

static uint64_t at_least(uint64_t floor, uint64_t factor, uint64_t base)
{
    uint64_t v = factor * base;
    return v > floor ? v : floor;
}

/* The anomaly of a volume finding: what the principal did in the window against the most it
 * did in an hour. */
static rp_err anomaly_volume(struct s3 *s, struct s3_ent *e, const struct bucket *b, int k,
                             uint64_t base, uint64_t base_bytes, uint32_t netid,
                             struct rp_errbuf *eb)
{
    char usual[96], now[96];
    if (k == K_READ)
        snprintf(usual, sizeof(usual), "at most %llu calls (%llu bytes) per hour",
                 (unsigned long long)base, (unsigned long long)base_bytes);
    else
        snprintf(usual, sizeof(usual), "at most %llu calls per hour", (unsigned long long)base);
    if (k == K_READ)
        snprintf(now, sizeof(now), "%u calls (%llu bytes) in one hour", b->cur[k],
                 (unsigned long long)b->cur_bytes);
    else
        snprintf(now, sizeof(now), "%u calls in one hour", b->cur[k]);
    struct rp_bl_dim d[3];
    memset(d, 0, sizeof(d));
    d[0].name = kind_dim[k];
    d[0].frequent[d[0].nfrequent++] = usual;
    d[0].unusual[d[0].nunusual++] = now;
    d[0].subtype = "RARE";
    d[1].name = "Buckets";
    for (size_t i = 0; i < NBUCKET && d[1].nfrequent < 5; i++)
        if (e->b[i].name && habitual_bucket(&e->b[i]))
            d[1].frequent[d[1].nfrequent++] = rp_bl_intern_str(s->c.in, e->b[i].name);
    if (!habitual_bucket(b)) d[1].unusual[d[1].nunusual++] = rp_bl_intern_str(s->c.in, b->name);
    d[2].name = "NetworkLocations";
    struct rp_bl_set set = net_set(s, e);
    rp_bl_dim_top(&d[2], &set, 5);
    if (netid) d[2].unusual[d[2].nunusual++] = rp_bl_intern_str(s->c.in, netid);
    return rp_bl_common_anomaly(&s->c, e->h.key, d, RP_ARRAY_LEN(d), eb);
}

static rp_err emit(struct s3 *s, struct s3_ent *e, const struct rp_det_event *ev, int type,
                   struct rp_str bucket, uint64_t count, int64_t first_ms, struct rp_errbuf *eb)
{
    struct rp_det_finding f;
    rp_err err = rp_det_ct_finding_s3(&s->w, ev, types[type].type, bucket, &f);
    if (err == RP_ENOENT) return RP_OK;
    if (err) return rp_fail(eb, err, "detect: out of memory");
    f.count = count;
    f.first_ms = first_ms;
    f.last_ms = ev->time_ms;
    f.evidence_key = e->h.key; /* one finding per principal on a bucket */
    return rp_bl_common_emit(&s->c, &f, eb);
}

static rp_err event(struct rp_det_ctx *dc, void *state, const struct rp_det_event *ev,
                    struct rp_errbuf *eb)
{
    struct s3 *s = state;
    rp_det_ct_work_reset(&s->w);
    if (rp_det_ct_by_service(ev)) return RP_OK;
    struct rp_str who = rp_bl_ct_principal(ev);
    if (!who.p) return RP_OK;
    struct rp_ip ip;
    bool has_ip = rp_det_ct_src_ip(ev, &ip), trusted = false;
    char net[RP_CIDR_STRBUFSZ] = "";
    if (has_ip) {
        struct rp_det_ti_hit hit;
        if (rp_det_ti_ip(dc, &ip, &hit, 1)) return RP_OK; /* the threat-list types own it */
        trusted = rp_det_ti_trusted(dc, &ip);
        if (!rp_bl_network(&ip, net, sizeof(net))) has_ip = false;
    }
    /* every call of the principal counts for its learning period (one that never used S3 and
     * downloads a bucket is anomalous) and for its networks; only S3 data calls go further */
    bool data = rp_det_ct_s3_data(ev);
    int k = data ? kind_of(rp_det_ct_field(ev, RP_CT_EVENT_NAME)) : -1;
    if (data && (k < 0 || !rp_det_ct_ok(ev))) return RP_OK;
    rp_err err = RP_OK;
    struct s3_ent *e = (struct s3_ent *)(void *)rp_bl_common_use(&s->c, who, ev->time_ms, &err, eb);
    if (!e) return err;
    bool learning = rp_bl_learning(dc, &e->h, ev->time_ms);
    uint16_t day = rp_bl_day(ev->time_ms);
    uint32_t hour = (uint32_t)(ev->time_ms / RP_BL_HOUR_MS);

    /* the network: new ones mark the window */
    struct rp_bl_set set = net_set(s, e);
    uint32_t netid = has_ip ? rp_bl_intern_id(s->c.in, rp_str_from(net)) : 0;
    bool newnet = netid && !learning && !rp_bl_set_habitual(&set, netid);
    (void)rp_bl_set_note(&set, netid, day, learning, NULL);
    if (!data) return RP_OK;
    struct rp_str bname = rp_det_ct_bucket(&s->w, ev);
    if (!bname.p) return RP_OK;

    uint32_t name = rp_bl_intern_id(s->c.in, bname);
    if (!name) return RP_OK;
    bool isnew = false;
    struct bucket *b = bucket_of(e, name, &isnew);
    if (b->hour != hour) {
        if (b->hour) close_window(e, b);
        b->hour = hour;
        b->wfirst = ev->time_ms;
        b->learning = learning;
    }
    if (b->last_day != day || !b->days) {
        b->last_day = day;
        if (b->days < UINT8_MAX) b->days++;
    }
    if (learning) b->flags |= B_LEARNED;
    if (newnet) b->flags |= B_NEWNET;
    if (b->cur[k] < UINT32_MAX) b->cur[k]++;
    if (k == K_READ) {
        struct rp_str add = rp_det_ct_field(ev, RP_CT_ADDITIONAL_DATA);
        struct rp_json_val v;
        int64_t bytes = 0;
        double dbytes = 0;
        if (add.p && rp_json_parse(s->w.jp, add.p, add.len, &v, NULL) == RP_OK) {
            if (rp_json_obj_get_i64(v, "bytesTransferredOut", &bytes) != RP_OK &&
                rp_json_obj_get_double(v, "bytesTransferredOut", &dbytes) == RP_OK && dbytes > 0 &&
                dbytes < 9e18)
                bytes = (int64_t)dbytes;
            if (bytes > 0) b->cur_bytes += (uint64_t)bytes;
        }
    }
    if (learning || trusted) return RP_OK;

    /* discovery: buckets never used before, listed within the hour */
    if (k == K_LIST && isnew) {
        if (e->disc_hour != hour) {
            e->disc_hour = hour;
            e->disc_n = 0;
        }
        if (e->disc_n < UINT16_MAX) e->disc_n++;
        if (e->disc_n >= DISC_BUCKETS) {
            struct rp_bl_dim d[1];
            memset(d, 0, sizeof(d));
            d[0].name = "Buckets";
            for (size_t i = 0; i < NBUCKET && d[0].nfrequent < 5; i++)
                if (e->b[i].name && habitual_bucket(&e->b[i]))
                    d[0].frequent[d[0].nfrequent++] = rp_bl_intern_str(s->c.in, e->b[i].name);
            d[0].unusual[d[0].nunusual++] = rp_bl_intern_str(s->c.in, name);
            err = rp_bl_common_anomaly(&s->c, e->h.key, d, 1, eb);
            if (err) return err;
            err = emit(s, e, ev, T_DISC, bname, 1, ev->time_ms, eb);
            if (err) return err;
        }
    }

    int type = type_of_kind[k];
    if (type < 0) return RP_OK;
    uint64_t base = b->max[k] > e->pmax[k] ? b->max[k] : e->pmax[k];
    uint64_t base_bytes = b->max_bytes > e->pmax_bytes ? b->max_bytes : e->pmax_bytes;
    bool nn = b->flags & B_NEWNET;
    uint64_t fac = nn ? NEWNET_FACTOR : FACTOR;
    static const uint64_t floor_[2][K__N] = {
        {READ_MIN, WRITE_MIN, DELETE_MIN, PERM_MIN, 0},
        {NEWNET_READ_MIN, NEWNET_WRITE_MIN, NEWNET_DELETE_MIN, NEWNET_PERM_MIN, 0}};
    bool over = b->cur[k] >= at_least(floor_[nn][k], fac, base);
    if (k == K_READ && !over)
        over =
            b->cur_bytes >= at_least(nn ? NEWNET_READ_MIN_BYTES : READ_MIN_BYTES, fac, base_bytes);
    if (!(b->fired & (1u << k))) {
        if (!over) return RP_OK;
        b->fired |= (uint8_t)(1u << k);
        err = anomaly_volume(s, e, b, k, base, base_bytes, nn ? netid : 0, eb);
        if (err) return err;
        return emit(s, e, ev, type, bname, b->cur[k], b->wfirst, eb);
    }
    err = anomaly_volume(s, e, b, k, base, base_bytes, nn ? netid : 0, eb);
    return err ? err : emit(s, e, ev, type, bname, 1, ev->time_ms, eb);
}

const struct rp_detector rp_det_baseline_s3 = {
    .id = "baseline.s3",
    .source = RP_DET_SRC_CLOUDTRAIL,
    .kind = RP_DET_BASELINE,
    .summary = "principals reading, writing, deleting or re-permissioning S3 objects far beyond "
               "their hourly baseline, or listing many buckets they never used",
    .types = types,
    .ntypes = RP_ARRAY_LEN(types),
    .init = init,
    .event = event,
    .finish = finish,
    .release = release,
};
