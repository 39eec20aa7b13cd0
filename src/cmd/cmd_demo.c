/* SPDX-License-Identifier: Apache-2.0 */
/* `rampart demo`: the main job until the simulator and the analyses land. It runs what
 * Rampart has end to end on input it generates, and prints what it computed:
 *   1. writes an S3-layout CloudTrail delivery tree (AWSLogs/<acct>/CloudTrail/<region>/Y/M/D/
 *      *.json.gz) with src/sim's generator, planting three defects: a truncated .gz, a file of
 *      malformed JSON and one record with an impossible eventTime;
 *   2. walks it (rp_walk), reads and inflates each file (rp_gz), parses it (rp_json), checks
 *      every record's time (rp_time), labels source addresses by longest-prefix match over
 *      data/demo/ip-ranges.txt (rp_ip, rp_embed) and tallies events, keeping file checkpoints
 *      and rejected input in the store;
 *   3. runs the same pass again to show that checkpoints make it a no-op;
 *   4. checks that exactly the planted defects were rejected: exit 0 if so, 1 if not. */
#define RP_LOG_MODULE "demo"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cmd_verbs.h"
#include "core/rp_arena.h"
#include "core/rp_buf.h"
#include "core/rp_embed.h"
#include "core/rp_gz.h"
#include "core/rp_hash.h"
#include "core/rp_ip.h"
#include "core/rp_json.h"
#include "core/rp_log.h"
#include "core/rp_str.h"
#include "core/rp_time.h"
#include "core/rp_walk.h"
#include "sim/sim.h"
#include "store/store.h"
#include "core/rp_banned.h"

const char rp_cmd_demo_usage[] = "rampart demo [--out DIR] [--seed N] [--days N] [--records N]";
const char rp_cmd_demo_help[] =
    "\noptions:\n"
    "  --out DIR      where to write the generated delivery tree (default: rampart-demo)\n"
    "  --seed N       generator seed; the same seed gives the same files (default: 1)\n"
    "  --days N       days of activity, 1..366 (default: 3)\n"
    "  --records N    records per delivery file, 10..100000 (default: 500)\n\n"
    "The tree has 2 accounts x 2 regions x 4 delivery files a day, plus three planted defects\n"
    "that must end up in the store's rejects table. Results go into the store (--db).\n\n"
    "example:\n"
    "  rampart --db /tmp/demo.db demo --out /tmp/demo-input --days 1\n";

#define DEMO_MAX_KEYS      256
#define DEMO_FILES_PER_DAY 4
#define DEMO_PLANTED       3 /* defects planted by generate() */

static const char *const demo_accounts[] = {"111122223333", "444455556666"};
static const char *const demo_regions[] = {"us-east-1", "eu-west-1"};

struct tally_ent {
    char *name; /* arena */
    uint64_t n;
};

struct tally {
    struct tally_ent e[DEMO_MAX_KEYS];
    size_t n;
    uint64_t other; /* counts of keys past DEMO_MAX_KEYS */
};

struct demo {
    struct rp_cmd_ctx *ctx;
    const char *out_dir;
    struct rp_store *st;
    struct rp_json_parser *jp;
    struct rp_cidr_set *ranges;
    char *labels[64];
    size_t nlabels;
    struct rp_arena arena; /* tally keys and labels: the whole run */
    struct rp_buf raw, json, tmp;
    /* per pass */
    uint64_t files, files_read, files_unchanged, files_rejected, files_other;
    uint64_t records, records_rejected, json_bytes;
    int64_t tmin, tmax;
    struct tally names, identities, sources, errors, categories;
    rp_err fatal; /* a store error stops the run */
    struct rp_errbuf feb;
};

static void tally_add(struct demo *d, struct tally *t, struct rp_str key)
{
    for (size_t i = 0; i < t->n; i++)
        if (rp_str_eq_cstr(key, t->e[i].name)) {
            t->e[i].n++;
            return;
        }
    char *k;
    if (t->n == DEMO_MAX_KEYS || !(k = rp_arena_memdup(&d->arena, key.p, key.len))) {
        t->other++;
        return;
    }
    t->e[t->n].name = k;
    t->e[t->n++].n = 1;
}

static int tally_cmp(const void *a, const void *b)
{
    const struct tally_ent *x = a, *y = b;
    if (x->n != y->n) return x->n < y->n ? 1 : -1;
    return strcmp(x->name, y->name);
}

/* ---- generation ---- */

static int mkdirs(const char *path)
{
    char p[RP_MAX_PATH_BYTES];
    if (rp_strlcpy(p, path, sizeof p) >= sizeof p) return -1;
    for (char *s = p + 1; *s; s++) {
        if (*s != '/') continue;
        *s = '\0';
        if (mkdir(p, 0755) != 0 && errno != EEXIST) return -1;
        *s = '/';
    }
    return mkdir(p, 0755) != 0 && errno != EEXIST ? -1 : 0;
}

static rp_err write_file(const char *path, const void *p, size_t n, struct rp_errbuf *eb)
{
    FILE *f = fopen(path, "wb");
    if (!f) return rp_fail(eb, RP_EIO, "demo: cannot create '%s': %s", path, strerror(errno));
    size_t w = fwrite(p, 1, n, f);
    if (fclose(f) != 0 || w != n)
        return rp_fail(eb, RP_EIO, "demo: cannot write '%s': %s", path, strerror(errno));
    return RP_OK;
}

/* Overwrite the month of the k-th eventTime in a delivery file with "13". */
static bool plant_bad_time(struct rp_buf *b, int k)
{
    const char *key = "\"eventTime\":\"";
    char *p = b->data;
    for (int i = 0; i <= k; i++) {
        p = strstr(p, key);
        if (!p) return false;
        p += strlen(key);
    }
    p[5] = '1';
    p[6] = '3';
    return true;
}

/* Replace the ':' after the middle "awsRegion" key with '='; returns its offset. */
static long plant_bad_json(struct rp_buf *b)
{
    const char *key = "\"awsRegion\":";
    char *mid = b->data + b->len / 2;
    char *p = strstr(mid, key);
    if (!p) return -1;
    p += strlen(key) - 1;
    *p = '=';
    return (long)(p - b->data);
}

struct plan {
    long bad_json_offset;  /* where the malformed-JSON file breaks */
    uint64_t good_records; /* records in files that are not planted whole-file defects */
};

static rp_err generate(struct demo *d, uint64_t seed, unsigned days, unsigned records,
                       struct plan *plan, struct rp_errbuf *eb)
{
    const int64_t day0 = 1793491200000LL; /* 2026-11-01T00:00:00Z */
    const int64_t slot = 6LL * 3600 * 1000;
    plan->bad_json_offset = -1;
    plan->good_records = 0;
    char path[RP_MAX_PATH_BYTES];

    int n0 = snprintf(path, sizeof path, "%s/README.txt", d->out_dir);
    if (n0 < 0 || (size_t)n0 >= sizeof path)
        return rp_fail(eb, RP_ELIMIT, "demo: path too long: '%s'", d->out_dir);
    if (mkdirs(d->out_dir) != 0)
        return rp_fail(eb, RP_EIO, "demo: cannot create '%s': %s", d->out_dir, strerror(errno));
    static const char readme[] = "Generated by `rampart demo`: synthetic CloudTrail deliveries.\n"
                                 "Not a CloudTrail file, so the demo passes over it.\n";
    rp_err e = write_file(path, readme, sizeof readme - 1, eb);
    if (e) return e;

    for (size_t a = 0; a < RP_ARRAY_LEN(demo_accounts); a++)
        for (size_t r = 0; r < RP_ARRAY_LEN(demo_regions); r++)
            for (unsigned day = 0; day < days; day++)
                for (unsigned f = 0; f < DEMO_FILES_PER_DAY; f++) {
                    int64_t start = day0 + (int64_t)day * 86400000LL + f * slot;
                    struct rp_time_civil c;
                    int64_t delivered = start + slot + 5 * 60000;
                    if ((e = rp_time_to_civil(start, &c))) return e;
                    char dir[RP_MAX_PATH_BYTES];
                    int k = snprintf(dir, sizeof dir, "%s/AWSLogs/%s/CloudTrail/%s/%04d/%02d/%02d",
                                     d->out_dir, demo_accounts[a], demo_regions[r], c.year, c.month,
                                     c.day);
                    if (k < 0 || (size_t)k >= sizeof dir)
                        return rp_fail(eb, RP_ELIMIT, "demo: path too long under '%s'", d->out_dir);
                    if (mkdirs(dir) != 0)
                        return rp_fail(eb, RP_EIO, "demo: cannot create '%s': %s", dir,
                                       strerror(errno));
                    uint64_t fseed = rp_hash_combine(seed, (a << 24) | (r << 16) | (day << 4) | f);
                    struct rp_time_civil dc;
                    if ((e = rp_time_to_civil(delivered, &dc))) return e;
                    k = snprintf(path, sizeof path,
                                 "%s/%s_CloudTrail_%s_%04d%02d%02dT%02d%02dZ_%016llX.json.gz", dir,
                                 demo_accounts[a], demo_regions[r], dc.year, dc.month, dc.day,
                                 dc.hour, dc.minute,
                                 (unsigned long long)rp_hash_xxh3_64(&fseed, sizeof fseed, 0));
                    if (k < 0 || (size_t)k >= sizeof path)
                        return rp_fail(eb, RP_ELIMIT, "demo: path too long under '%s'", d->out_dir);

                    struct rp_sim_ct_opts o;
                    rp_sim_ct_opts_init(&o);
                    o.seed = fseed;
                    o.accounts = &demo_accounts[a];
                    o.naccounts = 1;
                    o.regions = &demo_regions[r];
                    o.nregions = 1;
                    o.start_ms = start;
                    o.mean_interval_ms = (uint32_t)(slot / (records + 1) / 2);
                    struct rp_sim_ct *g;
                    if ((e = rp_sim_ct_new(&o, &g, eb))) return e;
                    rp_buf_reset(&d->json);
                    e = rp_sim_ct_file_append(g, records, &d->json);
                    rp_sim_ct_free(g);
                    if (e) return rp_fail(eb, e, "demo: cannot generate '%s'", path);

                    /* the planted defects, at fixed places in the tree */
                    bool last = a == 1 && day == days - 1;
                    bool truncate = a == 1 && r == 0 && day == 0 && f == 3;
                    if (a == 0 && r == 0 && day == 0 && f == 1 && !plant_bad_time(&d->json, 3))
                        return rp_fail(eb, RP_EINTERNAL, "demo: cannot plant a bad eventTime");
                    if (last && r == 1 && f == 2) {
                        plan->bad_json_offset = plant_bad_json(&d->json);
                        if (plan->bad_json_offset < 0)
                            return rp_fail(eb, RP_EINTERNAL, "demo: cannot plant bad JSON");
                    } else if (!truncate) {
                        plan->good_records += records;
                    }
                    rp_buf_reset(&d->tmp);
                    if ((e = rp_gz_compress(d->json.data, d->json.len, 6, &d->tmp, eb))) return e;
                    size_t n = truncate ? d->tmp.len * 3 / 5 : d->tmp.len;
                    if ((e = write_file(path, d->tmp.data, n, eb))) return e;
                }
    plan->good_records -= 1; /* the record with the planted eventTime */
    return RP_OK;
}

/* ---- one pass over the tree ---- */

static rp_err load_ranges(struct demo *d, struct rp_errbuf *eb)
{
    struct rp_buf b;
    rp_buf_init(&b, 0);
    rp_err e = rp_embed_load("demo/ip-ranges.txt", &b, eb);
    if (e) goto out;
    d->ranges = rp_cidr_set_new();
    if (!d->ranges) {
        e = rp_fail(eb, RP_ENOMEM, "demo: out of memory");
        goto out;
    }
    struct rp_str rest = {b.data, b.len}, line;
    size_t lineno = 0;
    while (rp_str_split_next(&rest, '\n', &line)) {
        lineno++;
        line = rp_str_trim(line);
        if (line.len == 0 || line.p[0] == '#') continue;
        size_t sp = 0;
        while (sp < line.len && line.p[sp] != ' ' && line.p[sp] != '\t') sp++;
        struct rp_str cidr = {line.p, sp};
        struct rp_str label = rp_str_trim((struct rp_str){line.p + sp, line.len - sp});
        struct rp_cidr c;
        bool host_bits;
        if ((e = rp_cidr_parse(cidr, &c, &host_bits, eb)) || label.len == 0) {
            e = rp_fail(eb, RP_EPARSE, "demo: demo/ip-ranges.txt line %zu: expected 'CIDR label'",
                        lineno);
            goto out;
        }
        size_t id = 0;
        while (id < d->nlabels && !rp_str_eq_cstr(label, d->labels[id])) id++;
        if (id == d->nlabels) {
            if (id == RP_ARRAY_LEN(d->labels)) {
                e = rp_fail(eb, RP_ELIMIT, "demo: demo/ip-ranges.txt: more than %zu labels", id);
                goto out;
            }
            d->labels[id] = rp_arena_memdup(&d->arena, label.p, label.len);
            if (!d->labels[id]) {
                e = rp_fail(eb, RP_ENOMEM, "demo: out of memory");
                goto out;
            }
            d->nlabels++;
        }
        if ((e = rp_cidr_set_insert(d->ranges, &c, (uint32_t)id))) {
            rp_fail(eb, e, "demo: cannot add a range of demo/ip-ranges.txt line %zu", lineno);
            goto out;
        }
    }
out:
    rp_buf_release(&b);
    return e;
}

static void pass_reset(struct demo *d)
{
    d->files = d->files_read = d->files_unchanged = d->files_rejected = d->files_other = 0;
    d->records = d->records_rejected = d->json_bytes = 0;
    d->tmin = INT64_MAX;
    d->tmax = INT64_MIN;
    d->names.n = d->identities.n = d->sources.n = d->errors.n = d->categories.n = 0;
    d->names.other = d->identities.other = d->sources.other = d->errors.other = 0;
    d->categories.other = 0;
}

static rp_err reject(struct demo *d, const char *source, const char *format, int64_t offset,
                     int64_t line, const char *reason, const void *raw, size_t n, uint64_t orig_len)
{
    struct rp_store_reject r = {.source = source,
                                .format = format,
                                .offset = offset,
                                .line = line,
                                .reason = reason,
                                .raw = raw,
                                .raw_n = n,
                                .orig_len = orig_len};
    int64_t id;
    RP_LOG_INFO("%s: %s", source, reason); /* the demo prints its rejects table */
    return rp_store_reject_add(d->st, &r, &id, &d->feb);
}

static void source_label(struct demo *d, struct rp_str src)
{
    struct rp_ip ip;
    uint32_t id;
    if (rp_ip_parse(src, &ip, NULL) != RP_OK) {
        /* CloudTrail writes the service's host name when an AWS service made the call */
        tally_add(d, &d->sources,
                  rp_str_has_suffix(src, ".amazonaws.com") ? RP_STR_LIT("AWS service (host name)")
                                                           : RP_STR_LIT("other (not an address)"));
        return;
    }
    if (rp_cidr_set_lookup(d->ranges, &ip, &id, NULL))
        tally_add(d, &d->sources, rp_str_from(d->labels[id]));
    else
        tally_add(d, &d->sources, RP_STR_LIT("unlabelled"));
}

/* Returns the number of records rejected. */
static uint64_t records_scan(struct demo *d, const char *path, struct rp_json_val recs)
{
    struct rp_json_iter it;
    struct rp_json_val rec;
    uint64_t rejected = 0;
    size_t idx = 0;
    if (rp_json_arr_iter(recs, &it) != RP_OK) return 0;
    for (; rp_json_arr_next(&it, &rec); idx++) {
        struct rp_str name, when, type = RP_STR_LIT("(none)"), src, err, cat;
        struct rp_json_val ui;
        struct rp_errbuf eb;
        int64_t ms;
        char reason[RP_MAX_ERRMSG + 64];
        reason[0] = '\0';
        if (rp_json_obj_get_str(rec, "eventName", &name) != RP_OK)
            snprintf(reason, sizeof reason, "Records[%zu]: no eventName string", idx);
        else if (rp_json_obj_get_str(rec, "eventTime", &when) != RP_OK)
            snprintf(reason, sizeof reason, "Records[%zu]: no eventTime string", idx);
        else if (rp_time_parse_iso(when, &ms, &eb) != RP_OK)
            snprintf(reason, sizeof reason, "Records[%zu]: eventTime: %s", idx, eb.msg);
        if (reason[0]) {
            rp_buf_reset(&d->tmp);
            bool ok = rp_json_serialize(rec, &d->tmp) == RP_OK;
            if (reject(d, path, "cloudtrail", -1, 0, reason, ok ? d->tmp.data : "",
                       ok ? d->tmp.len : 0, 0) != RP_OK)
                d->fatal = RP_EDB;
            rejected++;
            continue;
        }
        d->records++;
        if (ms < d->tmin) d->tmin = ms;
        if (ms > d->tmax) d->tmax = ms;
        tally_add(d, &d->names, name);
        if (rp_json_obj_get(rec, "userIdentity", &ui) == RP_OK &&
            rp_json_obj_get_str(ui, "type", &type) != RP_OK)
            type = RP_STR_LIT("(none)");
        tally_add(d, &d->identities, type);
        if (rp_json_obj_get_str(rec, "sourceIPAddress", &src) == RP_OK) source_label(d, src);
        if (rp_json_obj_get_str(rec, "errorCode", &err) == RP_OK) tally_add(d, &d->errors, err);
        if (rp_json_obj_get_str(rec, "eventCategory", &cat) != RP_OK)
            cat = RP_STR_LIT("Management"); /* before eventVersion 1.07 */
        tally_add(d, &d->categories, cat);
    }
    return rejected;
}

static void file_done(struct demo *d, const struct rp_walk_entry *e, const char *hash,
                      uint64_t records, uint64_t rejected)
{
    struct rp_store_checkpoint cp = {.path = e->path,
                                     .size = (int64_t)e->st->st_size,
                                     .mtime_ns = (int64_t)e->st->st_mtim.tv_sec * 1000000000LL +
                                                 e->st->st_mtim.tv_nsec,
                                     .hash = hash,
                                     .format = "cloudtrail",
                                     .bytes_done = (int64_t)e->st->st_size,
                                     .records_done = (int64_t)records,
                                     .records_rejected = (int64_t)rejected,
                                     .completed = true};
    if (rp_store_checkpoint_put(d->st, &cp, &d->feb) != RP_OK) d->fatal = RP_EDB;
}

/* A file that could not be read as a whole: keep the bytes in the rejects table and mark the
 * file done, so a re-run does not reject it again until it changes. */
static void file_reject(struct demo *d, const struct rp_walk_entry *e, const char *hash,
                        const char *format, int64_t offset, int64_t line, const char *reason,
                        const void *raw, size_t n)
{
    if (reject(d, e->path, format, offset, line, reason, raw, n, 0) != RP_OK) {
        d->fatal = RP_EDB;
        return;
    }
    d->files_rejected++;
    file_done(d, e, hash, 0, 1);
}

static void file_scan(struct demo *d, const struct rp_walk_entry *e)
{
    struct rp_arena a;
    struct rp_store_checkpoint cp;
    struct rp_errbuf eb;
    bool have_cp;
    char hash[32];
    int fd;
    rp_arena_init(&a, 1024);
    d->files++;
    int64_t mtime_ns = (int64_t)e->st->st_mtim.tv_sec * 1000000000LL + e->st->st_mtim.tv_nsec;
    have_cp = rp_store_checkpoint_get(&a, d->st, e->path, &cp, NULL) == RP_OK && cp.completed &&
              cp.size == (int64_t)e->st->st_size;
    if (have_cp && cp.mtime_ns == mtime_ns) {
        d->files_unchanged++;
        goto out;
    }
    rp_buf_reset(&d->raw);
    if (rp_walk_entry_open(e, &fd, &eb) != RP_OK) {
        RP_LOG_WARN("%s", eb.msg);
        d->files_rejected++;
        goto out;
    }
    rp_err err = rp_gz_read_raw_fd(fd, e->path, &d->raw, &eb);
    close(fd);
    if (err) {
        RP_LOG_WARN("%s", eb.msg);
        d->files_rejected++;
        goto out;
    }
    snprintf(hash, sizeof hash, "xxh3:%016llx",
             (unsigned long long)rp_hash_xxh3_64(d->raw.data, d->raw.len, 0));
    if (have_cp && cp.hash && strcmp(cp.hash, hash) == 0) {
        /* same bytes under a new mtime (the tree was regenerated): nothing to do */
        d->files_unchanged++;
        file_done(d, e, hash, (uint64_t)cp.records_done, (uint64_t)cp.records_rejected);
        goto out;
    }
    d->files_read++;
    if (rp_store_batch_begin(d->st, 0, NULL, NULL, &d->feb) != RP_OK) {
        d->fatal = RP_EDB;
        goto out;
    }
    rp_buf_reset(&d->json);
    const struct rp_buf *doc = &d->raw;
    if (rp_gz_is_gzip(d->raw.data, d->raw.len)) {
        if (rp_gz_decompress(d->raw.data, d->raw.len, e->path, NULL, &d->json, &eb) != RP_OK) {
            file_reject(d, e, hash, "gzip", -1, 0, eb.msg, d->raw.data, d->raw.len);
            goto commit;
        }
        doc = &d->json;
    }
    d->json_bytes += doc->len;
    struct rp_json_val root, recs;
    if (rp_json_parse_buf(d->jp, doc, &root, &eb) != RP_OK) {
        size_t off = rp_json_parser_err_offset(d->jp);
        int64_t line = 1;
        for (size_t i = 0; off != SIZE_MAX && i < off && i < doc->len; i++)
            line += doc->data[i] == '\n';
        /* keep the bytes around the error: the record boundaries are what is broken */
        size_t from = off != SIZE_MAX && off > 256 ? off - 256 : 0;
        size_t n = doc->len - from < 512 ? doc->len - from : 512;
        char reason[RP_MAX_ERRMSG + 64];
        snprintf(reason, sizeof reason, "%s (kept bytes %zu..%zu)", eb.msg, from, from + n);
        file_reject(d, e, hash, "cloudtrail", off == SIZE_MAX ? -1 : (int64_t)off, line, reason,
                    doc->data + from, n);
        goto commit;
    }
    if (rp_json_obj_get(root, "Records", &recs) != RP_OK || rp_json_type(recs) != RP_JSON_ARRAY) {
        file_reject(d, e, hash, "cloudtrail", 0, 1, "no top-level \"Records\" array", doc->data,
                    doc->len);
        goto commit;
    }
    uint64_t before = d->records;
    uint64_t rej = records_scan(d, e->path, recs);
    d->records_rejected += rej;
    file_done(d, e, hash, d->records - before, rej);
commit:
    if (d->fatal)
        rp_store_batch_rollback(d->st); /* a failed write: keep nothing of this file */
    else if (rp_store_batch_commit(d->st, &d->feb) != RP_OK)
        d->fatal = RP_EDB;
out:
    rp_arena_release(&a);
}

static enum rp_walk_action visit(const struct rp_walk_entry *e, void *ctx)
{
    struct demo *d = ctx;
    struct rp_str name = rp_str_from(e->name);
    switch (e->event) {
    case RP_WALK_EV_FILE:
        if (rp_str_has_suffix(name, ".json.gz") || rp_str_has_suffix(name, ".json"))
            file_scan(d, e);
        else
            d->files_other++;
        break;
    case RP_WALK_EV_SKIP:
    case RP_WALK_EV_ERROR:
        RP_LOG_WARN("%s: %s", e->path, e->msg);
        break;
    default:
        break;
    }
    return d->fatal ? RP_WALK_STOP : RP_WALK_CONTINUE;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static rp_err run_pass(struct demo *d, double *secs)
{
    pass_reset(d);
    const char *roots[] = {d->out_dir};
    struct rp_walk_opts wo = {0, 0, 0};
    struct rp_errbuf eb;
    double t0 = now_s();
    rp_err e = rp_walk_run(roots, 1, &wo, visit, d, &eb);
    *secs = now_s() - t0;
    if (d->fatal) return d->fatal;
    if (e) RP_LOG_WARN("%s", eb.msg);
    return e;
}

/* ---- printing ---- */

static rp_err print_tally(struct demo *d, const char *title, struct tally *t, size_t top)
{
    static const struct rp_out_col cols[] = {{"count", RP_OUT_COL_NUM}, {NULL, 0}};
    struct rp_out_col c[2] = {cols[0], {title, 0}};
    qsort(t->e, t->n, sizeof t->e[0], tally_cmp);
    struct rp_cmd_ctx tctx = *d->ctx;
    tctx.format = RP_OUT_TABLE;
    struct rp_out *o = rp_out_new(&tctx, c, 2);
    if (!o) return RP_ENOMEM;
    rp_err e = RP_OK;
    uint64_t rest = t->other;
    for (size_t i = 0; i < t->n && !e; i++) {
        if (i >= top) {
            rest += t->e[i].n;
            continue;
        }
        char n[24];
        snprintf(n, sizeof n, "%llu", (unsigned long long)t->e[i].n);
        const char *row[] = {n, t->e[i].name};
        e = rp_out_row(o, row);
    }
    if (!e && rest) {
        char n[24], what[64];
        snprintf(n, sizeof n, "%llu", (unsigned long long)rest);
        size_t others = (t->n > top ? t->n - top : 0) + (t->other ? 1 : 0);
        snprintf(what, sizeof what, "(%zu other%s)", others, others == 1 ? "" : "s");
        const char *row[] = {n, what};
        e = rp_out_row(o, row);
    }
    if (!e) e = rp_out_flush(o);
    rp_out_free(o);
    fputc('\n', d->ctx->out);
    return e;
}

static rp_err print_pass(struct demo *d, const char *title)
{
    static const struct rp_out_col cols[] = {{"pass", 0},
                                             {"files", RP_OUT_COL_NUM},
                                             {"read", RP_OUT_COL_NUM},
                                             {"unchanged", RP_OUT_COL_NUM},
                                             {"rejected", RP_OUT_COL_NUM},
                                             {"records", RP_OUT_COL_NUM},
                                             {"records_rejected", RP_OUT_COL_NUM},
                                             {"json_bytes", RP_OUT_COL_NUM}};
    struct rp_cmd_ctx tctx = *d->ctx;
    tctx.format = RP_OUT_TABLE;
    struct rp_out *o = rp_out_new(&tctx, cols, RP_ARRAY_LEN(cols));
    if (!o) return RP_ENOMEM;
    char v[7][24];
    uint64_t nums[7] = {d->files,   d->files_read,       d->files_unchanged, d->files_rejected,
                        d->records, d->records_rejected, d->json_bytes};
    for (int i = 0; i < 7; i++) snprintf(v[i], sizeof v[i], "%llu", (unsigned long long)nums[i]);
    const char *row[] = {title, v[0], v[1], v[2], v[3], v[4], v[5], v[6]};
    rp_err e = rp_out_row(o, row);
    if (!e) e = rp_out_flush(o);
    rp_out_free(o);
    return e;
}

static rp_err reject_row(const struct rp_store_reject *r, void *ctx)
{
    struct rp_out *o = ctx;
    char off[24], line[24];
    snprintf(off, sizeof off, "%lld", (long long)r->offset);
    snprintf(line, sizeof line, "%lld", (long long)r->line);
    const char *src = strstr(r->source, "/AWSLogs/");
    const char *row[] = {src ? src + 1 : r->source, r->offset < 0 ? NULL : off,
                         r->line <= 0 ? NULL : line, r->reason};
    return rp_out_row(o, row);
}

static rp_err print_rejects(struct demo *d, int64_t *count)
{
    static const struct rp_out_col cols[] = {
        {"source", 0}, {"offset", RP_OUT_COL_NUM}, {"line", RP_OUT_COL_NUM}, {"reason", 0}};
    struct rp_cmd_ctx tctx = *d->ctx;
    tctx.format = RP_OUT_TABLE;
    struct rp_out *o = rp_out_new(&tctx, cols, RP_ARRAY_LEN(cols));
    if (!o) return RP_ENOMEM;
    struct rp_store_reject_filter f = {NULL, 0, 0};
    rp_err e = rp_store_reject_list(d->st, &f, reject_row, o, &d->feb);
    if (!e) e = rp_out_flush(o);
    rp_out_free(o);
    if (!e) e = rp_store_reject_count(d->st, NULL, count, &d->feb);
    return e;
}

static rp_err print_store(struct demo *d)
{
    static const struct rp_out_col cols[] = {{"table", 0}, {"rows", RP_OUT_COL_NUM}};
    struct rp_arena a;
    struct rp_store_info info;
    rp_arena_init(&a, 0);
    rp_err e = rp_store_info_get(&a, d->st, &info, &d->feb);
    if (e) goto out;
    fprintf(d->ctx->out, "store %s: schema version %d, %lld bytes\n", info.path,
            info.schema_version, (long long)info.file_bytes);
    struct rp_cmd_ctx tctx = *d->ctx;
    tctx.format = RP_OUT_TABLE;
    struct rp_out *o = rp_out_new(&tctx, cols, RP_ARRAY_LEN(cols));
    if (!o) {
        e = RP_ENOMEM;
        goto out;
    }
    for (size_t i = 0; i < info.ntables && !e; i++) {
        char n[24];
        snprintf(n, sizeof n, "%lld", (long long)info.tables[i].rows);
        const char *row[] = {info.tables[i].name, n};
        e = rp_out_row(o, row);
    }
    if (!e) e = rp_out_flush(o);
    rp_out_free(o);
out:
    rp_arena_release(&a);
    return e;
}

/* ---- the verb ---- */

static int parse_uint_opt(const char *name, const char *v, unsigned lo, unsigned hi, unsigned *out)
{
    uint64_t u;
    if (rp_str_to_u64(rp_str_from(v), &u) != RP_OK || u < lo || u > hi)
        return rp_cmd_usage_error("demo", "option '%s' wants a number from %u to %u, not '%s'",
                                  name, lo, hi, v);
    *out = (unsigned)u;
    return RP_EXIT_OK;
}

int rp_cmd_demo(struct rp_cmd_ctx *ctx, int argc, char **argv)
{
    struct demo *d = calloc(1, sizeof *d);
    unsigned days = 3, records = 500, seed = 1;
    int rc = RP_EXIT_OK;
    if (!d) return rp_cmd_error("demo", "out of memory");
    d->ctx = ctx;
    d->out_dir = "rampart-demo";
    for (int i = 1; i < argc && rc == RP_EXIT_OK; i++) {
        static const char *const opts[] = {"--out", "--seed", "--days", "--records"};
        const char *v = NULL;
        size_t k;
        int m = 0;
        for (k = 0; k < RP_ARRAY_LEN(opts); k++)
            if ((m = rp_cmd_opt_value(opts[k], argc, argv, &i, &v))) break;
        if (m < 0)
            rc = rp_cmd_usage_error("demo", "option '%s' needs a value", opts[k]);
        else if (m == 0)
            rc = rp_cmd_usage_error("demo", "unknown argument '%s'", argv[i]);
        else if (k == 0)
            d->out_dir = v;
        else if (k == 1)
            rc = parse_uint_opt("--seed", v, 0, 4294967295u, &seed);
        else if (k == 2)
            rc = parse_uint_opt("--days", v, 1, 366, &days);
        else
            rc = parse_uint_opt("--records", v, 10, 100000, &records);
    }
    if (rc != RP_EXIT_OK) {
        free(d);
        return rc;
    }

    struct rp_errbuf eb;
    struct plan plan;
    double secs;
    int64_t nrejects = 0;
    rp_err e;
    rp_arena_init(&d->arena, 0);
    rp_buf_init(&d->raw, 0);
    rp_buf_init(&d->json, 0);
    rp_buf_init(&d->tmp, 0);
    if ((e = load_ranges(d, &eb))) goto fail;
    if (!(d->jp = rp_json_parser_new())) {
        e = rp_fail(&eb, RP_ENOMEM, "out of memory");
        goto fail;
    }
    if ((e = generate(d, seed, days, records, &plan, &eb))) goto fail;
    if ((e = rp_store_new(ctx->db_path, RP_STORE_RDWR, &d->st, &eb))) goto fail;

    FILE *out = ctx->out;
    unsigned nfiles = (unsigned)(RP_ARRAY_LEN(demo_accounts) * RP_ARRAY_LEN(demo_regions)) * days *
                      DEMO_FILES_PER_DAY;
    fprintf(out,
            "Rampart demo: %u CloudTrail delivery files (2 accounts x 2 regions x %u day(s) x %d "
            "a day, %u records each, seed %u) in %s,\nwith %d planted defects: a truncated .gz, "
            "a file of malformed JSON (at byte %ld), a record with month 13.\n\n",
            nfiles, days, DEMO_FILES_PER_DAY, records, seed, d->out_dir, DEMO_PLANTED,
            plan.bad_json_offset);

    if ((e = run_pass(d, &secs))) goto store_fail;
    if ((e = print_pass(d, "1"))) goto fail;
    fprintf(out, "timing: pass 1 read %.1f MB of JSON in %.3f s (%.0f MB/s, %.0f records/s)\n\n",
            (double)d->json_bytes / 1e6, secs, secs > 0 ? (double)d->json_bytes / 1e6 / secs : 0.0,
            secs > 0 ? (double)d->records / secs : 0.0);
    char t0[RP_TIME_ISO_BUFSZ] = "-", t1[RP_TIME_ISO_BUFSZ] = "-";
    if (d->records && (rp_time_format_iso_s(d->tmin, t0, sizeof t0) ||
                       rp_time_format_iso_s(d->tmax, t1, sizeof t1)))
        RP_LOG_WARN("event times out of range");
    fprintf(out, "events from %s to %s; %llu other file(s) passed over\n\n", t0, t1,
            (unsigned long long)d->files_other);
    if ((e = print_tally(d, "eventName (top 10)", &d->names, 10)) ||
        (e = print_tally(d, "userIdentity.type", &d->identities, 20)) ||
        (e = print_tally(d, "eventCategory", &d->categories, 20)) ||
        (e = print_tally(d, "sourceIPAddress (longest-prefix label)", &d->sources, 20)) ||
        (e = print_tally(d, "errorCode (top 5)", &d->errors, 5)))
        goto fail;

    uint64_t pass1_records = d->records;
    fputs("rejected input, kept in the store (rampart db rejects):\n", out);
    if ((e = print_rejects(d, &nrejects))) goto store_fail;
    fputc('\n', out);

    if ((e = run_pass(d, &secs))) goto store_fail;
    fputs("the same tree again: checkpoints make the second pass read nothing\n", out);
    if ((e = print_pass(d, "2"))) goto fail;
    fputc('\n', out);
    if ((e = print_store(d))) goto store_fail;

    bool ok = nrejects == DEMO_PLANTED && pass1_records == plan.good_records && d->files_read == 0;
    if (ok) {
        fprintf(out,
                "\ndemo: ok: the %d planted defects were rejected and kept, "
                "all %llu good records were read, the re-run read nothing\n",
                DEMO_PLANTED, (unsigned long long)plan.good_records);
    } else {
        rc = rp_cmd_error("demo",
                          "self-check failed: %lld rejects (want %d), %llu records (want %llu), "
                          "%llu files re-read (want 0); was the store used before? try a new --db",
                          (long long)nrejects, DEMO_PLANTED, (unsigned long long)pass1_records,
                          (unsigned long long)plan.good_records, (unsigned long long)d->files_read);
    }
    goto done;

store_fail:
    if (d->fatal || e == RP_EDB) eb = d->feb;
fail:
    rc = rp_cmd_error("demo", "%s", rp_errbuf_msg(&eb, e));
done:
    rp_store_free(d->st);
    rp_json_parser_free(d->jp);
    rp_cidr_set_free(d->ranges);
    rp_buf_release(&d->raw);
    rp_buf_release(&d->json);
    rp_buf_release(&d->tmp);
    rp_arena_release(&d->arena);
    free(d);
    return rc;
}
