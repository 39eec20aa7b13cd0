/* SPDX-License-Identifier: Apache-2.0 */
/* ingest_run: rp_ingest_run, the heart of `rampart ingest` (DESIGN.md §2-§4, ingest.h).
 *
 * Phase 1, on the caller's thread: every root must exist (else RP_ENOENT and nothing is
 * read); rp_walk_run lists the files in walk order, pruning directories and files whose S3 key
 * is outside the filters (ingest_layout.c), and CloudTrail-Digest ones, so nothing under them
 * is opened; walk errors and entries that are not regular files become path-level rejects
 * (offset NULL, replaced by the next run's verdict on the path); each file's checkpoint
 * decides whether it is skipped (unchanged and completed), resumed (unchanged, partly done)
 * or read.
 *
 * Phase 2: opts->jobs parser threads take files in walk order. Each hashes a new or changed
 * file (xxh3-128), and, once every earlier file's hash is known, decides in walk order whether
 * it is a duplicate delivery (same bytes as an earlier file of this run or as a completed
 * checkpoint elsewhere); then it sniffs the format, frames the records, parses JSON, calls the
 * format and copies the rows (RAW columns zstd-compressed) into batches. The caller's thread
 * is the one writer: it owns the store connection, takes batches from a bounded FIFO queue and
 * applies them inside transactions whose pre-commit hook writes the checkpoint of every file
 * they advanced, so rows, rejects and checkpoints commit together and a run killed at any
 * moment resumes from the last commit (frames below the checkpoint's records_done are skipped,
 * or replayed without output for formats that keep per-file state such as a header line). */
#define RP_LOG_MODULE "ingest"
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <zstd.h>

#include "core/rp_arena.h"
#include "core/rp_hash.h"
#include "core/rp_json.h"
#include "core/rp_log.h"
#include "core/rp_str.h"
#include "core/rp_walk.h"
#include "ingest/ingest.h"
#include "ingest/ingest_estate.h"
#include "ingest/ingest_frame.h"
#include "ingest/ingest_layout.h"
#include "ingest/ingest_source.h"
#include "store/store.h"
#include "core/rp_banned.h"

#define RP_INGEST_CACHE_KIB "131072" /* SQLite page cache of the writer: 128 MiB */

#define ZSTD_LEVEL      1          /* RAW columns: fast, still about 4x on CloudTrail JSON */
#define BATCH_MAX_ROWS  1024       /* a parser hands a batch over at this many rows .. */
#define BATCH_MAX_BYTES (4u << 20) /* .. or this much copied data */
#define ARENA_KEEP      (4u << 20) /* a recycled batch keeps at most this much arena */
#define PROGRESS_MS     250
#define COMMIT_MS       1000 /* an idle writer commits a transaction this old */
#define HASH_CHUNK      (1u << 20)
#define QUEUE_PER_JOB   2  /* batches in flight per parser thread: bounds memory */
#define HASH_HEX_SZ     48 /* "xxh3:" + 32 hex digits + NUL, rounded up */
#define FORMAT_SZ       64
#define MAX_JOBS        256

/* ---- the plan: one entry per file to look at ----------------------------------------------- */

struct job {
    const char *path; /* run arena */
    int64_t size;
    int64_t mtime_ns;
    /* the checkpoint found for path, if any */
    bool has_cp;
    bool cp_completed;
    int64_t cp_records_done;
    int64_t cp_records_rejected;
    int64_t cp_bytes_done;
    const char *cp_hash;   /* run arena, or NULL */
    const char *cp_format; /* run arena, or NULL */
    /* decided by phase 1 or by the parser thread */
    bool hashed; /* hash[] is known (or hashing failed, see hash_ok) */
    bool hash_ok;
    char hash[HASH_HEX_SZ];
    struct rp_hash128 h;
    uint64_t resume_from; /* frames already committed by an earlier run */
    int64_t rejected_base;
    /* the writer's view of the checkpoint (written by the writer thread only) */
    const struct rp_ingest_source *w_src;
    char w_format[FORMAT_SZ];
    uint64_t w_ordinals;
    uint64_t w_bytes;
    int64_t w_rejected;
    int64_t w_store_rejected; /* records the store refused in this run */
    bool w_completed;
    bool w_touched; /* in the open transaction's list */
};

/* ---- what parsers hand to the writer ------------------------------------------------------- */

enum msg_kind {
    M_ROWS,  /* rows and rejects of one file, frames up to ordinals_done */
    M_FAIL,  /* a path-level reject (cannot open, unknown format, read error ..) */
    M_DUP,   /* a duplicate delivery: completed checkpoint, nothing read */
    M_TOUCH, /* same bytes as its own completed checkpoint, new mtime: update the checkpoint */
};

struct row {
    unsigned table;
    uint64_t offset; /* of the record, for a store-level reject */
    uint64_t line;
    struct rp_ingest_val *vals; /* batch arena */
};

struct rej {
    int64_t offset; /* -1 = path-level */
    int64_t line;
    const char *reason; /* batch arena */
    const char *format; /* static (a source's name) or NULL */
    const void *raw;    /* batch arena */
    size_t raw_n;
    uint64_t orig_len;
};

struct batch {
    enum msg_kind kind;
    struct job *job;
    const struct rp_ingest_source *src;
    bool first;      /* the file starts from frame 0: forget its earlier rejects */
    bool last;       /* the file is complete after this batch */
    bool checkpoint; /* M_FAIL: also write a completed checkpoint (unknown format, empty) */
    uint64_t ordinals_done;
    uint64_t bytes_done;
    int64_t rejected_total;
    struct rp_arena arena;
    struct row *rows;
    size_t nrows, rows_cap;
    struct rej *rejs;
    size_t nrejs, rejs_cap;
    struct batch *next;
};

/* A parser asks the writer whether a completed checkpoint elsewhere has the same hash. */
struct lookup {
    const char *hash;
    const char *path;
    bool done;
    bool found;
    struct lookup *next;
};

struct pathfail {
    const char *path;
    const char *reason;
    struct pathfail *next;
};

/* Per-table prepared statement, cached by the writer. */
struct tstmt {
    const struct rp_ingest_table *t;
    struct rp_store_stmt *s;
};

struct run {
    const struct rp_ingest_opts *o;
    struct rp_store *st;
    struct rp_ingest_filter filt;
    const struct rp_ingest_source *const *sources;
    const struct rp_ingest_source *forced;
    size_t batch_rows;
    struct rp_arena arena; /* paths and checkpoint strings: the whole run */

    struct job *jobs;
    size_t njobs, jobs_cap;
    size_t *work; /* indexes into jobs of the files to read, in walk order */
    size_t nwork;
    struct pathfail *fails, **fails_tail;

    pthread_mutex_t mu;
    pthread_cond_t cv_writer;  /* the writer waits here (monotonic clock) */
    pthread_cond_t cv_parsers; /* parsers wait here: queue space, hashes, lookups */
    size_t next_work;          /* next work item to take */
    size_t hash_prefix;        /* work items [0, hash_prefix) have a known hash */
    struct {
        struct rp_hash128 h;
        size_t pos;
        bool used;
    } * ht; /* hashes of this run's files: smallest work position per hash */
    size_t htcap;
    struct batch *q_head, *q_tail, *free_batches;
    size_t q_len, q_cap, nfree;
    struct lookup *lk_head, *lk_tail;
    unsigned parsers_live;
    bool stop;
    rp_err fatal;
    struct rp_errbuf feb;
    struct rp_ingest_summary sum; /* under mu */

    /* writer only */
    struct tstmt stmts[32];
    size_t nstmts;
    struct job **touched;
    size_t ntouched, touched_cap;
    bool tx_open;
    size_t tx_rows;
    int64_t tx_t0;          /* when the open transaction began */
    struct rp_arena warena; /* SQL texts */

    int64_t t0;
};

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void rp_ingest_opts_init(struct rp_ingest_opts *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->since_ms = INT64_MIN;
    opts->until_ms = INT64_MAX;
}

bool rp_ingest_summary_partial(const struct rp_ingest_summary *sum)
{
    return sum->rejected + sum->files_failed + sum->files_unknown > 0;
}

static void set_fatal(struct run *r, rp_err e, const struct rp_errbuf *eb)
{
    /* under r->mu */
    if (!r->fatal) {
        r->fatal = e;
        if (eb && eb->msg[0])
            r->feb = *eb;
        else
            rp_fail(&r->feb, e, "ingest: %s", rp_strerror(e));
    }
    r->stop = true;
    pthread_cond_broadcast(&r->cv_parsers);
    pthread_cond_signal(&r->cv_writer);
}

static void fatal(struct run *r, rp_err e, const struct rp_errbuf *eb)
{
    pthread_mutex_lock(&r->mu);
    set_fatal(r, e, eb);
    pthread_mutex_unlock(&r->mu);
}

/* ---- batches ------------------------------------------------------------------------------- */

static struct batch *batch_get(struct run *r, enum msg_kind kind, struct job *j,
                               const struct rp_ingest_source *src)
{
    struct batch *b = NULL;
    pthread_mutex_lock(&r->mu);
    if (r->free_batches) {
        b = r->free_batches;
        r->free_batches = b->next;
        r->nfree--;
    }
    pthread_mutex_unlock(&r->mu);
    if (!b) {
        b = calloc(1, sizeof *b);
        if (!b) return NULL;
        rp_arena_init(&b->arena, 0);
    }
    b->kind = kind;
    b->job = j;
    b->src = src;
    b->first = b->last = b->checkpoint = false;
    b->ordinals_done = b->bytes_done = 0;
    b->rejected_total = 0;
    b->nrows = b->nrejs = 0;
    b->next = NULL;
    return b;
}

static void batch_destroy(struct batch *b)
{
    if (!b) return;
    rp_arena_release(&b->arena);
    free(b->rows);
    free(b->rejs);
    free(b);
}

static void batch_put(struct run *r, struct batch *b)
{
    if (!b) return;
    if (b->arena.total > ARENA_KEEP)
        rp_arena_release(&b->arena);
    else
        rp_arena_reset(&b->arena);
    pthread_mutex_lock(&r->mu);
    b->next = r->free_batches;
    r->free_batches = b;
    r->nfree++;
    pthread_mutex_unlock(&r->mu);
}

/* Hand b to the writer, waiting for room in the queue. RP_EINTERNAL (b freed) when the run
 * is stopping. */
static rp_err batch_send(struct run *r, struct batch *b)
{
    pthread_mutex_lock(&r->mu);
    while (r->q_len >= r->q_cap && !r->stop) pthread_cond_wait(&r->cv_parsers, &r->mu);
    if (r->stop) {
        pthread_mutex_unlock(&r->mu);
        batch_put(r, b);
        return RP_EINTERNAL;
    }
    if (r->q_tail)
        r->q_tail->next = b;
    else
        r->q_head = b;
    r->q_tail = b;
    r->q_len++;
    pthread_cond_signal(&r->cv_writer);
    pthread_mutex_unlock(&r->mu);
    return RP_OK;
}

/* A parser hands a batch over at RP_INGEST_BATCH_ROWS-independent small sizes (the writer
 * gathers batches into transactions of opts->batch_rows rows), so memory stays small. */
static bool batch_full(const struct run *r, const struct batch *b)
{
    size_t n = b->nrows + b->nrejs;
    return n >= r->batch_rows || n >= BATCH_MAX_ROWS || b->arena.total >= BATCH_MAX_BYTES;
}

static struct row *row_add(struct batch *b)
{
    if (b->nrows == b->rows_cap) {
        size_t cap = b->rows_cap ? 2 * b->rows_cap : 256;
        struct row *p = realloc(b->rows, cap * sizeof *p);
        if (!p) return NULL;
        b->rows = p;
        b->rows_cap = cap;
    }
    return &b->rows[b->nrows++];
}

static rp_err rej_add(struct batch *b, int64_t offset, int64_t line, const char *reason,
                      const char *format, const void *raw, size_t raw_n, uint64_t orig_len)
{
    if (b->nrejs == b->rejs_cap) {
        size_t cap = b->rejs_cap ? 2 * b->rejs_cap : 16;
        struct rej *p = realloc(b->rejs, cap * sizeof *p);
        if (!p) return RP_ENOMEM;
        b->rejs = p;
        b->rejs_cap = cap;
    }
    size_t keep = raw_n < RP_MAX_REJECT_BYTES ? raw_n : RP_MAX_REJECT_BYTES;
    struct rej *j = &b->rejs[b->nrejs];
    j->offset = offset;
    j->line = line;
    j->format = format;
    j->reason = rp_arena_strdup(&b->arena, reason);
    j->raw = keep ? rp_arena_memdup(&b->arena, raw, keep) : "";
    j->raw_n = keep;
    j->orig_len = orig_len > raw_n ? orig_len : raw_n;
    if (!j->reason || !j->raw) return RP_ENOMEM;
    b->nrejs++;
    return RP_OK;
}

/* ---- phase 1: walk and plan ---------------------------------------------------------------- */

struct walk_ctx {
    struct run *r;
    rp_err err;
    struct rp_errbuf eb;
};

static rp_err path_fail(struct run *r, const char *path, const char *reason)
{
    struct pathfail *f = rp_arena_zalloc(&r->arena, sizeof *f);
    if (!f || !(f->path = rp_arena_strdup(&r->arena, path)) ||
        !(f->reason = rp_arena_strdup(&r->arena, reason)))
        return RP_ENOMEM;
    *r->fails_tail = f;
    r->fails_tail = &f->next;
    r->sum.files_failed++;
    return RP_OK;
}

/* CloudTrail digest files (log file integrity validation) are not events: `rampart trail
 * verify` reads them, ingest leaves them out like filtered files. */
static bool is_digest(const struct rp_ingest_key *k)
{
    return rp_str_eq_cstr(k->l.service, "CloudTrail-Digest");
}

static enum rp_walk_action visit(const struct rp_walk_entry *e, void *ctx)
{
    struct walk_ctx *wc = ctx;
    struct run *r = wc->r;
    switch (e->event) {
    case RP_WALK_EV_DIR: {
        struct rp_ingest_key k;
        rp_ingest_key_parse(e->path, strlen(e->path), true, &k);
        if (is_digest(&k)) {
            RP_LOG_DEBUG("not entering '%s': digest files are not events", e->path);
            return RP_WALK_SKIP;
        }
        enum rp_ingest_prune p = rp_ingest_filter_check(&r->filt, &k);
        if (p == RP_INGEST_KEEP) return RP_WALK_CONTINUE;
        RP_LOG_DEBUG("not entering '%s': outside --%s", e->path, rp_ingest_prune_name(p));
        return RP_WALK_SKIP;
    }
    case RP_WALK_EV_FILE: {
        struct rp_ingest_key k;
        r->sum.files_seen++;
        rp_ingest_key_parse(e->path, strlen(e->path), false, &k);
        enum rp_ingest_prune p = rp_ingest_filter_check(&r->filt, &k);
        if (p != RP_INGEST_KEEP || is_digest(&k)) {
            RP_LOG_DEBUG("not reading '%s': %s", e->path,
                         p ? rp_ingest_prune_name(p) : "a digest file");
            r->sum.files_filtered++;
            return RP_WALK_CONTINUE;
        }
        if (r->njobs == r->jobs_cap) {
            size_t cap = r->jobs_cap ? 2 * r->jobs_cap : 256;
            struct job *p2 = realloc(r->jobs, cap * sizeof *p2);
            if (!p2) goto oom;
            r->jobs = p2;
            r->jobs_cap = cap;
        }
        struct job *j = &r->jobs[r->njobs];
        memset(j, 0, sizeof *j);
        if (!(j->path = rp_arena_strdup(&r->arena, e->path))) goto oom;
        j->size = (int64_t)e->st->st_size;
        j->mtime_ns = (int64_t)e->st->st_mtim.tv_sec * 1000000000LL + e->st->st_mtim.tv_nsec;
        r->njobs++;
        return RP_WALK_CONTINUE;
    }
    case RP_WALK_EV_SKIP:
        /* an overlapping root or a second way into a directory: already walked, not lost */
        if (e->reason == RP_WALK_REASON_SEEN) return RP_WALK_CONTINUE;
        RP_LOG_INFO("%s", e->msg);
        if (path_fail(r, e->path, e->msg)) goto oom;
        return RP_WALK_CONTINUE;
    case RP_WALK_EV_ERROR:
        RP_LOG_INFO("%s", e->msg);
        if (path_fail(r, e->path, e->msg)) goto oom;
        return RP_WALK_CONTINUE;
    }
    return RP_WALK_CONTINUE;
oom:
    wc->err = rp_fail(&wc->eb, RP_ENOMEM, "ingest: out of memory listing files");
    return RP_WALK_STOP;
}

static void hash_hex(const struct rp_hash128 *h, char out[HASH_HEX_SZ])
{
    snprintf(out, HASH_HEX_SZ, "xxh3:%016" PRIx64 "%016" PRIx64, h->hi, h->lo);
}

static bool hash_parse(const char *s, struct rp_hash128 *h)
{
    uint8_t b[16];
    size_t n;
    if (!s || strncmp(s, "xxh3:", 5) != 0 || strlen(s) != 37) return false;
    if (rp_hex_decode(rp_str_from(s + 5), b, sizeof b, &n, NULL) != RP_OK || n != 16) return false;
    h->hi = h->lo = 0;
    for (int i = 0; i < 8; i++) {
        h->hi = (h->hi << 8) | b[i];
        h->lo = (h->lo << 8) | b[8 + i];
    }
    return true;
}

/* The in-run hash table (under r->mu): remember pos for h unless a smaller one is there. */
static void ht_put(struct run *r, const struct rp_hash128 *h, size_t pos)
{
    size_t i = (size_t)(h->lo ^ h->hi) & (r->htcap - 1);
    while (r->ht[i].used && (r->ht[i].h.lo != h->lo || r->ht[i].h.hi != h->hi))
        i = (i + 1) & (r->htcap - 1);
    if (!r->ht[i].used || pos < r->ht[i].pos) {
        r->ht[i].used = true;
        r->ht[i].h = *h;
        r->ht[i].pos = pos;
    }
}

static size_t ht_get(const struct run *r, const struct rp_hash128 *h)
{
    size_t i = (size_t)(h->lo ^ h->hi) & (r->htcap - 1);
    while (r->ht[i].used) {
        if (r->ht[i].h.lo == h->lo && r->ht[i].h.hi == h->hi) return r->ht[i].pos;
        i = (i + 1) & (r->htcap - 1);
    }
    return SIZE_MAX;
}

/* Decide for jobs[i] from its checkpoint: skip it, or add it to r->work (resuming it when an
 * earlier run left it half-done). */
static rp_err plan_one(struct run *r, size_t i, struct rp_errbuf *eb)
{
    struct job *j = &r->jobs[i];
    struct rp_store_checkpoint cp = {0};
    rp_err e = rp_store_checkpoint_get(&r->arena, r->st, j->path, &cp, eb);
    if (e == RP_ENOENT) {
        rp_errbuf_clear(eb);
    } else if (e) {
        return e;
    } else {
        j->has_cp = true;
        j->cp_completed = cp.completed;
        j->cp_records_done = cp.records_done;
        j->cp_records_rejected = cp.records_rejected;
        j->cp_bytes_done = cp.bytes_done;
        j->cp_hash = cp.hash;
        j->cp_format = cp.format;
    }
    bool same = j->has_cp && j->size == cp.size && j->mtime_ns == cp.mtime_ns;
    if (same && j->cp_completed && !r->o->force) {
        r->sum.files_skipped++;
        return RP_OK;
    }
    if (same && !r->o->force && hash_parse(j->cp_hash, &j->h)) {
        /* partly done by an earlier run: resume after its last commit */
        j->hashed = j->hash_ok = true;
        rp_strlcpy(j->hash, j->cp_hash, sizeof j->hash);
        j->resume_from = (uint64_t)(j->cp_records_done > 0 ? j->cp_records_done : 0);
        j->rejected_base = j->cp_records_rejected;
    }
    size_t pos = r->nwork++;
    r->work[pos] = i;
    if (j->hashed && j->size > 0) ht_put(r, &j->h, pos);
    return RP_OK;
}

/* Decide for each listed file from its checkpoint; fill r->work. */
static rp_err plan(struct run *r, struct rp_errbuf *eb)
{
    r->work = malloc((r->njobs ? r->njobs : 1) * sizeof *r->work);
    r->htcap = 16;
    while (r->htcap < 2 * r->njobs) r->htcap *= 2;
    r->ht = calloc(r->htcap, sizeof *r->ht);
    /* a file named twice on the command line (or as a root and inside another root) is one
     * file: its later mentions are dropped, so two jobs never share a checkpoint */
    size_t *seen = calloc(r->htcap, sizeof *seen);
    if (!r->work || !r->ht || !seen) {
        free(seen);
        return rp_fail(eb, RP_ENOMEM, "ingest: out of memory planning");
    }
    rp_err e = RP_OK;
    for (size_t i = 0; i < r->njobs && !e; i++) {
        struct job *j = &r->jobs[i];
        size_t h = (size_t)rp_hash_xxh3_64(j->path, strlen(j->path), 0) & (r->htcap - 1);
        while (seen[h] && strcmp(r->jobs[seen[h] - 1].path, j->path) != 0)
            h = (h + 1) & (r->htcap - 1);
        if (seen[h]) {
            r->sum.files_seen--;
            continue;
        }
        seen[h] = i + 1;
        e = plan_one(r, i, eb);
    }
    free(seen);
    if (e) return e;
    /* the known hashes form a prefix only as far as they are consecutive */
    while (r->hash_prefix < r->nwork && r->jobs[r->work[r->hash_prefix]].hashed) r->hash_prefix++;
    return RP_OK;
}

/* Path-level rejects: the latest verdict on a path replaces the earlier path-level ones. */
static rp_err reject_path_level(struct rp_store *st, const char *path, const char *format,
                                const char *reason, const void *raw, size_t raw_n,
                                uint64_t orig_len, struct rp_errbuf *eb)
{
    struct rp_store_stmt *s;
    bool row;
    rp_err e = rp_store_stmt_prepare(
        st, "DELETE FROM rejects WHERE source = ?1 AND byte_offset IS NULL", &s, eb);
    if (e) return e;
    if ((e = rp_store_stmt_bind_cstr(s, 1, path, eb)) || (e = rp_store_stmt_step(s, &row, eb))) {
        rp_store_stmt_reset(s);
        return e;
    }
    rp_store_stmt_reset(s);
    if (!reason) return RP_OK;
    struct rp_store_reject rj = {.source = path,
                                 .format = format,
                                 .offset = -1,
                                 .line = 0,
                                 .reason = reason,
                                 .raw = raw_n ? raw : "",
                                 .raw_n = raw_n,
                                 .orig_len = orig_len};
    return rp_store_reject_add(st, &rj, NULL, eb);
}

static rp_err write_walk_failures(struct run *r, struct rp_errbuf *eb)
{
    if (!r->fails) return RP_OK;
    rp_err e = rp_store_batch_begin(r->st, 0, NULL, NULL, eb);
    if (e) return e;
    for (struct pathfail *f = r->fails; f && !e; f = f->next)
        e = reject_path_level(r->st, f->path, NULL, f->reason, NULL, 0, 0, eb);
    if (e) {
        rp_store_batch_rollback(r->st);
        return e;
    }
    return rp_store_batch_commit(r->st, eb);
}

/* ---- the writer (the caller's thread) ------------------------------------------------------ */

static rp_err precommit(struct rp_store *st, void *ctx, struct rp_errbuf *eb)
{
    struct run *r = ctx;
    rp_err e = RP_OK;
    for (size_t i = 0; i < r->ntouched && !e; i++) {
        struct job *j = r->touched[i];
        struct rp_store_checkpoint cp = {.path = j->path,
                                         .size = j->size,
                                         .mtime_ns = j->mtime_ns,
                                         .hash = j->hash_ok ? j->hash : NULL,
                                         .format = j->w_format[0] ? j->w_format : NULL,
                                         .bytes_done = (int64_t)j->w_bytes,
                                         .records_done = (int64_t)j->w_ordinals,
                                         .records_rejected = j->w_rejected,
                                         .completed = j->w_completed};
        e = rp_store_checkpoint_put(st, &cp, eb);
    }
    return e;
}

static rp_err tx_begin(struct run *r, struct rp_errbuf *eb)
{
    if (r->tx_open) return RP_OK;
    rp_err e = rp_store_batch_begin(r->st, 0, precommit, r, eb);
    if (e) return e;
    r->tx_open = true;
    r->tx_rows = 0;
    r->tx_t0 = mono_ms();
    return RP_OK;
}

static void tx_forget(struct run *r)
{
    for (size_t i = 0; i < r->ntouched; i++) r->touched[i]->w_touched = false;
    r->ntouched = 0;
    r->tx_open = false;
    r->tx_rows = 0;
}

static rp_err tx_commit(struct run *r, struct rp_errbuf *eb)
{
    if (!r->tx_open) return RP_OK;
    rp_err e = rp_store_batch_commit(r->st, eb);
    tx_forget(r);
    return e;
}

static rp_err touch(struct run *r, struct job *j)
{
    if (j->w_touched) return RP_OK;
    if (r->ntouched == r->touched_cap) {
        size_t cap = r->touched_cap ? 2 * r->touched_cap : 64;
        struct job **p = realloc(r->touched, cap * sizeof *p);
        if (!p) return RP_ENOMEM;
        r->touched = p;
        r->touched_cap = cap;
    }
    r->touched[r->ntouched++] = j;
    j->w_touched = true;
    return RP_OK;
}

static rp_err stmt_for(struct run *r, const struct rp_ingest_table *t, struct rp_store_stmt **out,
                       struct rp_errbuf *eb)
{
    for (size_t i = 0; i < r->nstmts; i++)
        if (r->stmts[i].t == t) {
            *out = r->stmts[i].s;
            return RP_OK;
        }
    const char *sql = t->insert_sql;
    if (!sql) {
        struct rp_buf b;
        rp_buf_init(&b, 1u << 20);
        rp_err e = rp_buf_printf(&b, "INSERT OR IGNORE INTO \"%s\" (", t->name);
        for (size_t c = 0; !e && c < t->ncols; c++)
            e = rp_buf_printf(&b, "%s\"%s\"", c ? ", " : "", t->cols[c].name);
        if (!e) e = rp_buf_append_str(&b, ") VALUES (");
        for (size_t c = 0; !e && c < t->ncols; c++)
            e = rp_buf_printf(&b, "%s?%zu", c ? ", " : "", c + 1);
        if (!e) e = rp_buf_putc(&b, ')');
        char *s = e ? NULL : rp_arena_strdup(&r->warena, rp_buf_cstr(&b));
        rp_buf_release(&b);
        if (!s) return rp_fail(eb, RP_ENOMEM, "ingest: out of memory preparing '%s'", t->name);
        sql = s;
    }
    struct rp_store_stmt *s;
    rp_err e = rp_store_stmt_prepare(r->st, sql, &s, eb);
    if (e) return e;
    if (r->nstmts < RP_ARRAY_LEN(r->stmts)) {
        r->stmts[r->nstmts].t = t;
        r->stmts[r->nstmts++].s = s;
    }
    *out = s;
    return RP_OK;
}

static rp_err bind_row(struct rp_store_stmt *s, const struct rp_ingest_table *t,
                       const struct rp_ingest_val *v, struct rp_errbuf *eb)
{
    rp_err e = RP_OK;
    for (size_t c = 0; c < t->ncols && !e; c++) {
        int idx = (int)c + 1;
        switch (v[c].type) {
        case RP_INGEST_VAL_NULL:
            e = rp_store_stmt_bind_null(s, idx, eb);
            break;
        case RP_INGEST_VAL_INT:
            e = rp_store_stmt_bind_int64(s, idx, v[c].i, eb);
            break;
        case RP_INGEST_VAL_REAL:
            e = rp_store_stmt_bind_double(s, idx, v[c].d, eb);
            break;
        case RP_INGEST_VAL_TEXT:
            e = rp_store_stmt_bind_text(s, idx, v[c].s, v[c].n, eb);
            break;
        case RP_INGEST_VAL_RAW:
            e = rp_store_stmt_bind_blob(s, idx, v[c].s, v[c].n, eb);
            break;
        }
    }
    return e;
}

static rp_err apply_rows(struct run *r, struct batch *b, struct rp_ingest_source_counts *cnt,
                         struct rp_errbuf *eb)
{
    const struct rp_ingest_source *src = b->src;
    for (size_t i = 0; i < b->nrows; i++) {
        const struct row *w = &b->rows[i];
        const struct rp_ingest_table *t = &src->tables[w->table];
        struct rp_store_stmt *s = NULL;
        bool more;
        rp_err e = stmt_for(r, t, &s, eb);
        if (!e) e = bind_row(s, t, w->vals, eb);
        if (!e) e = rp_store_stmt_step(s, &more, eb);
        if (s && (e == RP_EEXIST || e == RP_ELIMIT)) {
            /* a row the table refuses (a custom insert's key clash, a value too large): the
             * record is rejected, the batch goes on */
            char reason[RP_MAX_ERRMSG];
            rp_strlcpy(reason, eb->msg, sizeof reason);
            struct rp_store_reject rj = {.source = b->job->path,
                                         .format = src->name,
                                         .offset = (int64_t)w->offset,
                                         .line = (int64_t)w->line,
                                         .reason = reason,
                                         .raw = "",
                                         .raw_n = 0};
            rp_store_stmt_reset(s);
            if ((e = rp_store_reject_add(r->st, &rj, NULL, eb))) return e;
            cnt->rejected++;
            b->job->w_store_rejected++;
            continue;
        }
        if (e) return e;
        int64_t changed = rp_store_changes(r->st);
        if (changed > 0) cnt->rows++;
        if (w->table == 0) {
            cnt->records++;
            if (changed == 0) cnt->duplicates++;
        }
    }
    return RP_OK;
}

static rp_err apply(struct run *r, struct batch *b, struct rp_errbuf *eb)
{
    struct job *j = b->job;
    struct rp_ingest_source_counts cnt = {0};
    rp_err e = tx_begin(r, eb);
    if (e) return e;
    if (b->first && (e = rp_store_reject_delete(r->st, j->path, eb))) return e;
    switch (b->kind) {
    case M_ROWS:
        /* a file that now reads to the end has no path-level failure left */
        if (b->last && !b->first &&
            (e = reject_path_level(r->st, j->path, NULL, NULL, NULL, 0, 0, eb)))
            return e;
        if ((e = apply_rows(r, b, &cnt, eb))) return e;
        break;
    case M_FAIL:
        if (b->nrejs) {
            const struct rej *x = &b->rejs[0];
            if (x->offset < 0) {
                e = reject_path_level(r->st, j->path, x->format, x->reason, x->raw, x->raw_n,
                                      x->orig_len, eb);
                if (e) return e;
            }
        }
        break;
    case M_DUP:
    case M_TOUCH:
        break;
    }
    for (size_t i = 0; i < b->nrejs; i++) {
        const struct rej *x = &b->rejs[i];
        if (b->kind == M_FAIL && x->offset < 0) continue;
        struct rp_store_reject rj = {.source = j->path,
                                     .format = x->format,
                                     .offset = x->offset,
                                     .line = x->line,
                                     .reason = x->reason,
                                     .raw = x->raw,
                                     .raw_n = x->raw_n,
                                     .orig_len = x->orig_len};
        if ((e = rp_store_reject_add(r->st, &rj, NULL, eb))) return e;
    }
    if (b->kind == M_ROWS || (b->kind == M_FAIL && b->checkpoint) || b->kind == M_DUP ||
        b->kind == M_TOUCH) {
        if (b->kind == M_ROWS || b->kind == M_FAIL) {
            j->w_ordinals = b->ordinals_done;
            j->w_bytes = b->bytes_done;
            j->w_rejected = b->rejected_total + j->w_store_rejected;
            j->w_completed = b->last || b->checkpoint;
        } else if (b->kind == M_DUP) {
            j->w_ordinals = 0;
            j->w_bytes = 0;
            j->w_rejected = 0;
            j->w_completed = true;
        } else { /* M_TOUCH: the old checkpoint, with the new mtime */
            j->w_ordinals = (uint64_t)j->cp_records_done;
            j->w_bytes = (uint64_t)j->cp_bytes_done;
            j->w_rejected = j->cp_records_rejected;
            j->w_completed = true;
        }
        if (b->src) rp_strlcpy(j->w_format, b->src->name, sizeof j->w_format);
        if ((e = touch(r, j))) return rp_fail(eb, e, "ingest: out of memory");
    }
    r->tx_rows += b->nrows + b->nrejs + 1;
    if (b->src && (cnt.records || cnt.rows || cnt.rejected)) {
        pthread_mutex_lock(&r->mu);
        struct rp_ingest_source_counts *k = &r->sum.by_kind[b->src->kind];
        k->records += cnt.records;
        k->rows += cnt.rows;
        k->duplicates += cnt.duplicates;
        k->rejected += cnt.rejected;
        pthread_mutex_unlock(&r->mu);
    }
    return RP_OK;
}

static rp_err answer(struct run *r, struct lookup *lk, struct rp_errbuf *eb)
{
    struct rp_store_stmt *s;
    bool row = false;
    rp_err e = rp_store_stmt_prepare(r->st,
                                     "SELECT 1 FROM ingest_checkpoints WHERE hash = ?1"
                                     " AND completed = 1 AND path <> ?2 LIMIT 1",
                                     &s, eb);
    if (e) return e;
    if (!(e = rp_store_stmt_bind_cstr(s, 1, lk->hash, eb)) &&
        !(e = rp_store_stmt_bind_cstr(s, 2, lk->path, eb)) &&
        !(e = rp_store_stmt_step(s, &row, eb)))
        lk->found = row;
    rp_store_stmt_reset(s);
    return e;
}

static void totals(struct rp_ingest_summary *s)
{
    s->records = s->rejected = s->duplicates = 0;
    for (int k = 0; k < RP_INGEST_KIND_COUNT; k++) {
        s->records += s->by_kind[k].records;
        s->rejected += s->by_kind[k].rejected;
        s->duplicates += s->by_kind[k].duplicates;
    }
}

static void progress(struct run *r, bool final)
{
    if (!r->o->progress) return;
    pthread_mutex_lock(&r->mu);
    struct rp_ingest_summary s = r->sum;
    pthread_mutex_unlock(&r->mu);
    totals(&s);
    s.elapsed_ms = mono_ms() - r->t0;
    r->o->progress(&s, final, r->o->progress_ctx);
}

static void writer_loop(struct run *r)
{
    struct rp_errbuf eb = {0};
    int64_t next_progress = mono_ms() + PROGRESS_MS;
    pthread_mutex_lock(&r->mu);
    for (;;) {
        if (r->lk_head) {
            struct lookup *lk = r->lk_head;
            r->lk_head = lk->next;
            if (!r->lk_head) r->lk_tail = NULL;
            pthread_mutex_unlock(&r->mu);
            rp_err e = r->stop ? RP_OK : answer(r, lk, &eb);
            pthread_mutex_lock(&r->mu);
            lk->done = true;
            if (e) set_fatal(r, e, &eb);
            pthread_cond_broadcast(&r->cv_parsers);
            continue;
        }
        if (r->q_head) {
            struct batch *b = r->q_head;
            r->q_head = b->next;
            if (!r->q_head) r->q_tail = NULL;
            r->q_len--;
            pthread_cond_broadcast(&r->cv_parsers);
            bool stopping = r->stop;
            pthread_mutex_unlock(&r->mu);
            rp_err e = RP_OK;
            if (!stopping) {
                e = apply(r, b, &eb);
                if (!e && r->tx_rows >= r->batch_rows) e = tx_commit(r, &eb);
                if (e && r->tx_open) {
                    rp_store_batch_rollback(r->st);
                    tx_forget(r);
                }
            }
            batch_put(r, b);
            if (mono_ms() >= next_progress) {
                progress(r, false);
                next_progress = mono_ms() + PROGRESS_MS;
            }
            pthread_mutex_lock(&r->mu);
            if (e) set_fatal(r, e, &eb);
            continue;
        }
        int64_t now = mono_ms();
        if (r->tx_open && (r->stop || r->parsers_live == 0 || now - r->tx_t0 >= COMMIT_MS)) {
            /* nothing queued for a while (or no more to come): commit rather than hold the
             * write lock; committing on every short gap would rewrite the same index pages
             * many times over */
            pthread_mutex_unlock(&r->mu);
            rp_err e = RP_OK;
            if (r->stop) {
                rp_store_batch_rollback(r->st);
                tx_forget(r);
            } else {
                e = tx_commit(r, &eb);
            }
            pthread_mutex_lock(&r->mu);
            if (e) set_fatal(r, e, &eb);
            continue;
        }
        if (r->parsers_live == 0 && !r->tx_open) break;
        if (now >= next_progress) {
            pthread_mutex_unlock(&r->mu);
            progress(r, false);
            next_progress = mono_ms() + PROGRESS_MS;
            pthread_mutex_lock(&r->mu);
            continue;
        }
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        int64_t wait = next_progress - now;
        if (r->tx_open && r->tx_t0 + COMMIT_MS - now < wait) wait = r->tx_t0 + COMMIT_MS - now;
        if (wait < 1) wait = 1;
        ts.tv_sec += wait / 1000;
        ts.tv_nsec += (wait % 1000) * 1000000;
        if (ts.tv_nsec >= 1000000000) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000;
        }
        pthread_cond_timedwait(&r->cv_writer, &r->mu, &ts);
    }
    pthread_mutex_unlock(&r->mu);
}

/* ---- parsers ------------------------------------------------------------------------------- */

struct parser {
    struct run *r;
    struct rp_json_parser *jp;
    ZSTD_CCtx *zc;
    struct rp_arena scratch; /* cx->arena, reset after each record */
    char *hbuf;              /* HASH_CHUNK bytes for hashing */
    struct rp_hash_xxh3 *hx;
    /* the file being read */
    struct job *job;
    const struct rp_ingest_source *src;
    struct batch *b;
    bool replay; /* frames below resume_from: run the format, keep nothing */
    const struct rp_ingest_rec *rec;
    uint64_t in_seen, dec_seen; /* bytes already added to the summary */
};

static void sum_add(struct run *r, int64_t *field, int64_t n)
{
    pthread_mutex_lock(&r->mu);
    *field += n;
    pthread_mutex_unlock(&r->mu);
}

/* The sink of struct rp_ingest_ctx: copy one row into the current batch. */
static rp_err sink_row(struct rp_ingest_ctx *cx, unsigned table, const struct rp_ingest_val *vals,
                       struct rp_errbuf *eb)
{
    struct parser *p = cx->sink_arg;
    if (p->replay) return RP_OK;
    const struct rp_ingest_source *src = cx->src;
    if (table >= src->ntables)
        return rp_fail(eb, RP_EINVAL, "ingest: format '%s' emitted a row for table %u of %zu",
                       src->name, table, src->ntables);
    const struct rp_ingest_table *t = &src->tables[table];
    struct batch *b = p->b;
    struct rp_ingest_val *v = rp_arena_alloc(&b->arena, t->ncols * sizeof *v);
    struct row *w = v ? row_add(b) : NULL;
    if (!w) return rp_fail(eb, RP_ENOMEM, "ingest: out of memory copying a row");
    w->table = table;
    w->offset = cx->rec->offset;
    w->line = cx->rec->line;
    w->vals = v;
    for (size_t c = 0; c < t->ncols; c++) {
        v[c] = vals[c];
        if (t->cols[c].type == RP_INGEST_COL_RAW) {
            const char *s = vals[c].s;
            size_t n = vals[c].n;
            if (vals[c].type == RP_INGEST_VAL_NULL || !s) {
                s = cx->rec->p;
                n = cx->rec->n;
            }
            size_t cap = ZSTD_compressBound(n);
            char *dst = rp_arena_alloc(&b->arena, cap ? cap : 1);
            if (!dst) goto oom;
            size_t z = ZSTD_compressCCtx(p->zc, dst, cap, s, n, ZSTD_LEVEL);
            if (ZSTD_isError(z))
                return rp_fail(eb, RP_EINTERNAL, "ingest: zstd: %s", ZSTD_getErrorName(z));
            v[c].type = RP_INGEST_VAL_RAW;
            v[c].s = dst;
            v[c].n = z;
        } else if (vals[c].type == RP_INGEST_VAL_TEXT || vals[c].type == RP_INGEST_VAL_RAW) {
            v[c].s = rp_arena_memdup(&b->arena, vals[c].s ? vals[c].s : "", vals[c].n);
            if (!v[c].s) goto oom;
        }
    }
    return RP_OK;
oom:
    b->nrows--;
    return rp_fail(eb, RP_ENOMEM, "ingest: out of memory copying a row");
}

static rp_err hash_file(struct parser *p, const char *path, struct rp_hash128 *out,
                        struct rp_errbuf *eb)
{
    int fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return rp_fail(eb, rp_err_from_errno(errno), "ingest: cannot open '%s': %s", path,
                       strerror(errno));
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        close(fd);
        return rp_fail(eb, RP_EIO, "ingest: '%s' is no longer a regular file", path);
    }
    rp_hash_xxh3_reset(p->hx, 0);
    for (;;) {
        ssize_t n = read(fd, p->hbuf, HASH_CHUNK);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            int er = errno;
            close(fd);
            return rp_fail(eb, rp_err_from_errno(er), "ingest: cannot read '%s': %s", path,
                           strerror(er));
        }
        if (n == 0) break;
        rp_hash_xxh3_update(p->hx, p->hbuf, (size_t)n);
    }
    close(fd);
    *out = rp_hash_xxh3_digest128(p->hx);
    return RP_OK;
}

static void mark_hashed(struct run *r, struct job *j, size_t pos)
{
    pthread_mutex_lock(&r->mu);
    j->hashed = true;
    if (j->hash_ok && j->size > 0) ht_put(r, &j->h, pos);
    while (r->hash_prefix < r->nwork && r->jobs[r->work[r->hash_prefix]].hashed) r->hash_prefix++;
    pthread_cond_broadcast(&r->cv_parsers);
    pthread_mutex_unlock(&r->mu);
}

/* Send a path-level failure for j: a reject without offset, and with `checkpoint` a completed
 * checkpoint (nothing more can be read from these bytes). */
static rp_err send_fail(struct parser *p, struct job *j, const struct rp_ingest_source *src,
                        bool checkpoint, const char *reason, const void *raw, size_t raw_n,
                        uint64_t orig_len)
{
    struct run *r = p->r;
    struct batch *b = batch_get(r, M_FAIL, j, src);
    if (!b) return RP_ENOMEM;
    b->first = j->resume_from == 0 && checkpoint;
    b->checkpoint = checkpoint;
    b->last = checkpoint;
    b->rejected_total = j->rejected_base;
    if (rej_add(b, -1, 0, reason, src ? src->name : NULL, raw, raw_n, orig_len)) {
        batch_put(r, b);
        return RP_ENOMEM;
    }
    if (checkpoint) b->rejected_total++;
    return batch_send(r, b);
}

/* A JSON parse failure: the reject points at the error's byte in the decoded stream. */
static rp_err reject_json(struct parser *p, const struct rp_ingest_frame *f, const char *msg)
{
    size_t rel = rp_json_parser_err_offset(p->jp);
    char reason[RP_MAX_ERRMSG + 32];
    uint64_t off = f->offset, line = f->line;
    const char *at = strstr(msg, " at offset ");
    if (rel != SIZE_MAX && rel <= f->n) {
        off = f->offset + rel;
        for (size_t i = 0; i < rel; i++) line += f->p[i] == '\n';
        if (at) {
            snprintf(reason, sizeof reason, "%.*s at offset %" PRIu64, (int)(at - msg), msg, off);
            msg = reason;
        }
    }
    return rej_add(p->b, (int64_t)off, (int64_t)line, msg, p->src->name, f->p, f->n, f->n);
}

/* The time of a record's rows for --since/--until: the first row whose table has a time
 * column holding an integer. */
static bool record_in_window(const struct run *r, const struct batch *b, size_t mark)
{
    if (r->o->since_ms == INT64_MIN && r->o->until_ms == INT64_MAX) return true;
    for (size_t i = mark; i < b->nrows; i++) {
        const struct rp_ingest_table *t = &b->src->tables[b->rows[i].table];
        if (t->time_col < 0 || (size_t)t->time_col >= t->ncols) continue;
        const struct rp_ingest_val *v = &b->rows[i].vals[t->time_col];
        if (v->type != RP_INGEST_VAL_INT) continue;
        return v->i >= r->o->since_ms && v->i < r->o->until_ms;
    }
    return true;
}

static const struct rp_ingest_source *sniff(struct parser *p, const struct job *j, const char *head,
                                            size_t n)
{
    struct run *r = p->r;
    if (r->forced) return r->forced;
    if (j->resume_from && j->cp_format) /* keep reading with the format that began the file */
        for (size_t i = 0; r->sources[i]; i++)
            if (strcmp(r->sources[i]->name, j->cp_format) == 0) return r->sources[i];
    return rp_ingest_source_sniff(r->sources, head, n, j->path);
}

static void count_bytes(struct parser *p, struct rp_ingest_input *in)
{
    uint64_t bi = rp_ingest_input_bytes_in(in), bd = rp_ingest_input_bytes_decoded(in);
    pthread_mutex_lock(&p->r->mu);
    p->r->sum.bytes_in += (int64_t)(bi - p->in_seen);
    p->r->sum.bytes_decoded += (int64_t)(bd - p->dec_seen);
    pthread_mutex_unlock(&p->r->mu);
    p->in_seen = bi;
    p->dec_seen = bd;
}

/* Frame, parse and convert one file. Returns RP_OK when the file was dealt with (read,
 * rejected or failed: all reported), or an error that stops the run. */
static rp_err read_file(struct parser *p, struct job *j)
{
    struct run *r = p->r;
    struct rp_errbuf eb = {0};
    struct rp_ingest_input *in = NULL;
    struct rp_ingest_framer *fr = NULL;
    void *state = NULL;
    rp_err e = RP_OK;
    const char *head = NULL;
    size_t hn = 0;
    struct rp_ingest_ctx cx = {0};
    p->in_seen = p->dec_seen = 0;
    p->b = NULL;

    if ((e = rp_ingest_input_open(j->path, &in, &eb)) ||
        (e = rp_ingest_input_head(in, &head, &hn, &eb))) {
        if (e == RP_ENOMEM) goto out;
        RP_LOG_INFO("%s", eb.msg);
        sum_add(r, &r->sum.files_failed, 1);
        e = send_fail(p, j, NULL, false, eb.msg, NULL, 0, 0);
        goto out;
    }
    if (hn == 0) {
        /* nothing decodes: an empty file, or damage before the first byte */
        const char *why = "empty file";
        struct rp_ingest_frame f;
        if ((e = rp_ingest_framer_new(in, RP_INGEST_FRAME_LINES, NULL, &fr))) goto out;
        e = rp_ingest_framer_next(fr, &f, &eb);
        if (e == RP_ENOMEM) goto out;
        if (e)
            why = eb.msg;
        else if (f.kind == RP_INGEST_FRAME_BAD)
            why = f.reason;
        count_bytes(p, in);
        sum_add(r, &r->sum.files_unknown, 1);
        e = send_fail(p, j, NULL, true, why, NULL, 0, 0);
        goto out;
    }
    const struct rp_ingest_source *src = sniff(p, j, head, hn);
    if (!src) {
        count_bytes(p, in);
        sum_add(r, &r->sum.files_unknown, 1);
        e = send_fail(p, j, NULL, true, "no known format", head, hn, hn);
        goto out;
    }
    p->src = src;
    if ((e = rp_ingest_framer_new(in, src->framing, src->containers, &fr))) goto out;
    state = calloc(1, src->state_size ? src->state_size : 1);
    if (!state) {
        e = RP_ENOMEM;
        goto out;
    }
    struct rp_ingest_layout layout;
    struct rp_ingest_key key;
    rp_ingest_key_parse(j->path, strlen(j->path), false, &key);
    layout = key.l;
    cx = (struct rp_ingest_ctx){.src = src,
                                .path = j->path,
                                .layout = &layout,
                                .arena = &p->scratch,
                                .sink = sink_row,
                                .sink_arg = p};

    uint64_t ordinals = j->resume_from, bytes = 0;
    int64_t rejected = j->rejected_base;
    struct rp_ingest_source_counts cnt = {0};
    if (!(p->b = batch_get(r, M_ROWS, j, src))) {
        e = RP_ENOMEM;
        goto out;
    }
    p->b->first = j->resume_from == 0;
    p->b->ordinals_done = ordinals;
    p->b->rejected_total = rejected;
    p->replay = false;
    if (src->file_begin && (e = src->file_begin(&cx, state, &eb))) {
        if (e == RP_ENOMEM) goto out;
        goto file_error;
    }
    for (;;) {
        struct rp_ingest_frame f;
        e = rp_ingest_framer_next(fr, &f, &eb);
        if (e) {
            if (e == RP_ENOMEM) goto out;
            goto file_error;
        }
        if (f.kind == RP_INGEST_FRAME_END) break;
        if (f.ordinal < j->resume_from) {
            /* committed by an earlier run; formats with per-file state (a header line) see
             * the record again, and nothing it emits is kept */
            if (src->state_size && f.kind == RP_INGEST_FRAME_RECORD) {
                struct rp_ingest_rec rec = {
                    .p = f.p, .n = f.n, .offset = f.offset, .line = f.line, .ordinal = f.ordinal};
                struct rp_errbuf reb;
                if (src->framing == RP_INGEST_FRAME_JSON &&
                    rp_json_parse_padded(p->jp, f.p, f.n, &rec.json, &reb) != RP_OK)
                    continue;
                p->replay = true;
                cx.rec = &rec;
                (void)src->record(&cx, state, &rec, &reb);
                rp_arena_reset(&p->scratch);
                p->replay = false;
            }
            continue;
        }
        if (f.kind == RP_INGEST_FRAME_BAD) {
            if ((e = rej_add(p->b, (int64_t)f.offset, (int64_t)f.line, f.reason, src->name, f.p,
                             f.n, f.orig_len)))
                goto out;
            rejected++;
            cnt.rejected++;
        } else {
            struct rp_ingest_rec rec = {
                .p = f.p, .n = f.n, .offset = f.offset, .line = f.line, .ordinal = f.ordinal};
            struct rp_errbuf reb = {0};
            rp_err pe = RP_OK;
            if (src->framing == RP_INGEST_FRAME_JSON)
                pe = rp_json_parse_padded(p->jp, f.p, f.n, &rec.json, &reb);
            if (pe == RP_ENOMEM) {
                e = pe;
                goto out;
            }
            if (pe) {
                if ((e = reject_json(p, &f, reb.msg))) goto out;
                rejected++;
                cnt.rejected++;
            } else {
                size_t mark = p->b->nrows;
                cx.rec = &rec;
                rp_err re = src->record(&cx, state, &rec, &reb);
                rp_arena_reset(&p->scratch);
                if (re == RP_EPARSE) {
                    p->b->nrows = mark; /* the record's rows are dropped */
                    if ((e = rej_add(p->b, (int64_t)f.offset, (int64_t)f.line, reb.msg, src->name,
                                     f.p, f.n, f.n)))
                        goto out;
                    rejected++;
                    cnt.rejected++;
                } else if (re) {
                    p->b->nrows = mark;
                    e = re;
                    eb = reb;
                    if (e == RP_ENOMEM) goto out;
                    goto file_error;
                } else if (p->b->nrows > mark && !record_in_window(r, p->b, mark)) {
                    p->b->nrows = mark;
                    cnt.filtered++;
                }
            }
        }
        ordinals = f.ordinal + 1;
        bytes = f.offset + (f.kind == RP_INGEST_FRAME_BAD ? f.orig_len : f.n);
        p->b->ordinals_done = ordinals;
        p->b->bytes_done = bytes;
        p->b->rejected_total = rejected;
        if (batch_full(r, p->b)) {
            count_bytes(p, in);
            struct batch *nb = batch_get(r, M_ROWS, j, src);
            if (!nb) {
                e = RP_ENOMEM;
                goto out;
            }
            nb->ordinals_done = ordinals;
            nb->bytes_done = bytes;
            nb->rejected_total = rejected;
            e = batch_send(r, p->b);
            p->b = nb;
            if (e) goto out;
        }
    }
    count_bytes(p, in);
    p->b->last = true;
    p->b->bytes_done = rp_ingest_input_bytes_decoded(in);
    e = batch_send(r, p->b);
    p->b = NULL;
    if (e) goto out;
    pthread_mutex_lock(&r->mu);
    r->sum.files_read++;
    r->sum.by_kind[src->kind].rejected += cnt.rejected;
    r->sum.by_kind[src->kind].filtered += cnt.filtered;
    pthread_mutex_unlock(&r->mu);
    goto out;

file_error:
    /* the file cannot be read further: what was read so far is committed with an incomplete
     * checkpoint, so a later run resumes it; the failure is a path-level reject */
    RP_LOG_INFO("%s", eb.msg);
    count_bytes(p, in);
    {
        struct batch *b = p->b;
        p->b = NULL;
        e = batch_send(r, b);
        if (e) goto out;
    }
    pthread_mutex_lock(&r->mu);
    r->sum.files_failed++;
    r->sum.by_kind[src->kind].rejected += cnt.rejected;
    r->sum.by_kind[src->kind].filtered += cnt.filtered;
    pthread_mutex_unlock(&r->mu);
    e = send_fail(p, j, src, false, eb.msg, NULL, 0, 0);

out:
    if (p->b) {
        batch_put(r, p->b);
        p->b = NULL;
    }
    rp_json_parser_free(cx.jp);
    free(state);
    rp_ingest_framer_free(fr);
    rp_ingest_input_free(in);
    return e;
}

/* One work item: hash, decide (duplicate, unchanged, resume), then read. */
static rp_err do_job(struct parser *p, size_t pos)
{
    struct run *r = p->r;
    struct job *j = &r->jobs[r->work[pos]];
    struct rp_errbuf eb = {0};
    if (!j->hashed) {
        rp_err e = hash_file(p, j->path, &j->h, &eb);
        if (e == RP_OK) {
            j->hash_ok = true;
            hash_hex(&j->h, j->hash);
        }
        mark_hashed(r, j, pos);
        if (e) {
            RP_LOG_INFO("%s", eb.msg);
            sum_add(r, &r->sum.files_failed, 1);
            return send_fail(p, j, NULL, false, eb.msg, NULL, 0, 0);
        }
        /* new mtime, same bytes as its own checkpoint */
        if (j->has_cp && j->cp_hash && strcmp(j->cp_hash, j->hash) == 0 && !r->o->force) {
            if (j->cp_completed) {
                struct batch *b = batch_get(r, M_TOUCH, j, NULL);
                if (!b) return RP_ENOMEM;
                rp_strlcpy(j->w_format, j->cp_format ? j->cp_format : "", sizeof j->w_format);
                sum_add(r, &r->sum.files_skipped, 1);
                return batch_send(r, b);
            }
            j->resume_from = (uint64_t)(j->cp_records_done > 0 ? j->cp_records_done : 0);
            j->rejected_base = j->cp_records_rejected;
        }
    }
    /* empty files all hash alike: each is reported as empty, none is a duplicate; estate files
     * say their account, region and day only in their path, so equal bytes under two estate
     * paths are two documents (two accounts without snapshots), not one delivery twice */
    struct rp_estate_path ep;
    rp_ingest_estate_path(j->path, &ep);
    if (!r->o->force && j->size > 0 && !ep.estate) {
        /* duplicates are decided in walk order: wait until every earlier hash is known */
        struct lookup lk = {.hash = j->hash, .path = j->path};
        bool dup = false;
        pthread_mutex_lock(&r->mu);
        while (r->hash_prefix <= pos && !r->stop) pthread_cond_wait(&r->cv_parsers, &r->mu);
        size_t first = ht_get(r, &j->h);
        if (first != SIZE_MAX && first < pos) {
            dup = true;
            const struct job *o = &r->jobs[r->work[first]];
            RP_LOG_INFO("'%s' has the same bytes as '%s': not read again", j->path, o->path);
        } else if (!r->stop) {
            if (r->lk_tail)
                r->lk_tail->next = &lk;
            else
                r->lk_head = &lk;
            r->lk_tail = &lk;
            pthread_cond_signal(&r->cv_writer);
            while (!lk.done && !r->stop) pthread_cond_wait(&r->cv_parsers, &r->mu);
            if (!lk.done) {
                /* stopping: the writer will not answer; unlink the request */
                struct lookup **pp = &r->lk_head;
                while (*pp && *pp != &lk) pp = &(*pp)->next;
                if (*pp) *pp = lk.next;
                r->lk_tail = NULL;
                for (struct lookup *x = r->lk_head; x; x = x->next) r->lk_tail = x;
            }
            dup = lk.found;
            if (dup) RP_LOG_INFO("'%s' has the same bytes as a file already ingested", j->path);
        }
        bool stop = r->stop;
        pthread_mutex_unlock(&r->mu);
        if (stop) return RP_EINTERNAL;
        if (dup) {
            struct batch *b = batch_get(r, M_DUP, j, NULL);
            if (!b) return RP_ENOMEM;
            j->w_format[0] = '\0'; /* nothing was read: no format detected */
            sum_add(r, &r->sum.files_duplicate, 1);
            return batch_send(r, b);
        }
    }
    return read_file(p, j);
}

static void *parser_main(void *arg)
{
    struct parser *p = arg;
    struct run *r = p->r;
    for (;;) {
        pthread_mutex_lock(&r->mu);
        if (r->stop || r->next_work == r->nwork) {
            pthread_mutex_unlock(&r->mu);
            break;
        }
        size_t pos = r->next_work++;
        pthread_mutex_unlock(&r->mu);
        rp_err e = do_job(p, pos);
        if (e == RP_EINTERNAL) break; /* the run is stopping */
        if (e) {
            struct rp_errbuf eb;
            rp_fail(&eb, e, "ingest: %s while reading '%s'", rp_strerror(e),
                    r->jobs[r->work[pos]].path);
            fatal(r, e, &eb);
            break;
        }
    }
    pthread_mutex_lock(&r->mu);
    r->parsers_live--;
    pthread_cond_signal(&r->cv_writer);
    pthread_cond_broadcast(&r->cv_parsers);
    pthread_mutex_unlock(&r->mu);
    return NULL;
}

static void parser_release(struct parser *p)
{
    rp_json_parser_free(p->jp);
    ZSTD_freeCCtx(p->zc);
    rp_arena_release(&p->scratch);
    free(p->hbuf);
    rp_hash_xxh3_free(p->hx);
}

/* ---- rp_ingest_run ------------------------------------------------------------------------- */

static rp_err check_opts(struct run *r, const struct rp_ingest_opts *o, struct rp_errbuf *eb)
{
    if (!o || (o->npaths && !o->paths)) return rp_fail(eb, RP_EINVAL, "ingest: bad options");
    r->sources = o->sources ? o->sources : rp_ingest_sources;
    if (o->format) {
        for (size_t i = 0; r->sources[i]; i++)
            if (strcmp(r->sources[i]->name, o->format) == 0) r->forced = r->sources[i];
        if (!r->forced) return rp_fail(eb, RP_EINVAL, "ingest: unknown format '%s'", o->format);
    }
    /* A root that does not exist is a mistake on the command line, not bad input: the run
     * stops before reading anything (rather than ingesting the other roots and leaving the
     * user to notice), so a corrected command starts from a clean state. A root that exists
     * but cannot be read is a walk error, reported and counted like any other file. */
    for (size_t i = 0; i < o->npaths; i++) {
        struct stat sb;
        if (!o->paths[i] || !o->paths[i][0]) return rp_fail(eb, RP_EINVAL, "ingest: empty path");
        if (stat(o->paths[i], &sb) != 0 && (errno == ENOENT || errno == ENOTDIR))
            return rp_fail(eb, RP_ENOENT, "ingest: no such file or directory '%s'", o->paths[i]);
    }
    return RP_OK;
}

rp_err rp_ingest_run(struct rp_store *st, const struct rp_ingest_opts *opts,
                     struct rp_ingest_summary *sum, struct rp_errbuf *eb)
{
    struct run *r = calloc(1, sizeof *r);
    struct parser *ps = NULL;
    pthread_t *tids = NULL;
    unsigned nthreads = 0, started = 0;
    rp_err e = RP_OK;
    if (sum) memset(sum, 0, sizeof *sum);
    if (!r) return rp_fail(eb, RP_ENOMEM, "ingest: out of memory");
    r->t0 = mono_ms();
    r->o = opts;
    r->st = st;
    r->fails_tail = &r->fails;
    rp_arena_init(&r->arena, 0);
    rp_arena_init(&r->warena, 0);
    pthread_mutex_init(&r->mu, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&r->cv_writer, &ca);
    pthread_condattr_destroy(&ca);
    pthread_cond_init(&r->cv_parsers, NULL);

    if ((e = check_opts(r, opts, eb))) goto out;
    r->batch_rows = opts->batch_rows ? opts->batch_rows : RP_INGEST_BATCH_ROWS;
    r->filt = (struct rp_ingest_filter){.since_ms = opts->since_ms,
                                        .until_ms = opts->until_ms,
                                        .accounts = opts->accounts,
                                        .naccounts = opts->naccounts,
                                        .regions = opts->regions,
                                        .nregions = opts->nregions};

    /* phase 1 */
    if (opts->npaths) {
        struct walk_ctx wc = {.r = r};
        e = rp_walk_run(opts->paths, opts->npaths, NULL, visit, &wc, eb);
        if (!e && wc.err) {
            e = wc.err;
            if (eb) *eb = wc.eb;
        }
        if (e) goto out;
    }
    if ((e = write_walk_failures(r, eb)) || (e = plan(r, eb))) goto out;

    /* phase 2. The writer's index inserts (eventID, times, names) touch pages all over the
     * tables; SQLite's default 2 MiB page cache makes it re-read them from the WAL with
     * pread. A larger cache for this connection (freed with it) halves the writer's time. */
    if ((e = rp_store_exec(st, "PRAGMA cache_size = -" RP_INGEST_CACHE_KIB, eb))) goto out;
    nthreads = opts->jobs;
    if (!nthreads) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        nthreads = n > 0 ? (unsigned)n : 1;
    }
    if (nthreads > MAX_JOBS) nthreads = MAX_JOBS;
    if (nthreads > r->nwork) nthreads = (unsigned)r->nwork;
    r->q_cap = QUEUE_PER_JOB * (nthreads ? nthreads : 1);
    if (nthreads) {
        ps = calloc(nthreads, sizeof *ps);
        tids = calloc(nthreads, sizeof *tids);
        if (!ps || !tids) {
            e = rp_fail(eb, RP_ENOMEM, "ingest: out of memory");
            goto out;
        }
    }
    for (unsigned i = 0; i < nthreads; i++) {
        struct parser *p = &ps[i];
        p->r = r;
        rp_arena_init(&p->scratch, 0);
        p->jp = rp_json_parser_new();
        p->zc = ZSTD_createCCtx();
        p->hbuf = malloc(HASH_CHUNK);
        p->hx = rp_hash_xxh3_new(0);
        if (!p->jp || !p->zc || !p->hbuf || !p->hx) {
            e = rp_fail(eb, RP_ENOMEM, "ingest: out of memory");
            goto out;
        }
    }
    r->parsers_live = nthreads;
    for (; started < nthreads; started++)
        if (pthread_create(&tids[started], NULL, parser_main, &ps[started]) != 0) break;
    if (started < nthreads) {
        pthread_mutex_lock(&r->mu);
        r->parsers_live -= nthreads - started;
        set_fatal(r, RP_ENOMEM, NULL);
        rp_fail(&r->feb, RP_ENOMEM, "ingest: cannot start parser threads");
        pthread_mutex_unlock(&r->mu);
    }
    writer_loop(r);
    for (unsigned i = 0; i < started; i++) pthread_join(tids[i], NULL);
    if (r->tx_open) {
        rp_err ce = r->fatal ? RP_OK : tx_commit(r, eb);
        if (r->fatal || ce) {
            rp_store_batch_rollback(st);
            tx_forget(r);
        }
        if (ce && !r->fatal) r->fatal = ce;
    }
    if (r->fatal) {
        e = r->fatal;
        if (eb && r->feb.msg[0]) *eb = r->feb;
    }

out:
    totals(&r->sum);
    r->sum.elapsed_ms = mono_ms() - r->t0;
    if (sum) *sum = r->sum;
    if (opts && opts->progress) opts->progress(&r->sum, true, opts->progress_ctx);
    for (unsigned i = 0; ps && i < nthreads; i++) parser_release(&ps[i]);
    free(ps);
    free(tids);
    while (r->q_head) {
        struct batch *b = r->q_head;
        r->q_head = b->next;
        batch_destroy(b);
    }
    while (r->free_batches) {
        struct batch *b = r->free_batches;
        r->free_batches = b->next;
        batch_destroy(b);
    }
    free(r->jobs);
    free(r->work);
    free(r->ht);
    free(r->touched);
    rp_arena_release(&r->arena);
    rp_arena_release(&r->warena);
    pthread_cond_destroy(&r->cv_writer);
    pthread_cond_destroy(&r->cv_parsers);
    pthread_mutex_destroy(&r->mu);
    free(r);
    return e;
}
