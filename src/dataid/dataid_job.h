/* SPDX-License-Identifier: Apache-2.0 */
/* Per-object checkpoints and bucket sensitivity scores of sensitive data discovery (issue 8),
 * private to src/dataid and its command (src/cmd/cmd_discover.c).
 *
 * A checkpoint is a row of dataid_objects (data/schemas/store/0011_dataid.sql): what a scan
 * found for one object, and the source it was read from (the file or S3 object, the archive
 * for a member) as it was listed. A source whose listing matches its checkpoint is unchanged
 * and need not be read again. The rows of a bucket give its sensitivity score, Macie's
 * -1..100 (docs/discover.md gives the formula). */
#ifndef RP_DATAID_JOB_H
#define RP_DATAID_JOB_H

#include <stdbool.h>
#include <stdint.h>

#include "core/rp_err.h"

struct rp_store;

/* A source as listed: a local file (etag "") or an S3 object (its ETag). */
struct rp_dataid_source {
    int64_t size;
    int64_t mtime_ms;
    char etag[80];
    char status[16]; /* checkpoints only: "ERROR" when any object of it failed, else the
                        status of one of its objects */
};

/* The match rule: true when now is the source cp was checkpointed from, unchanged. With an
 * ETag on both sides: same ETag and size (S3 keeps the ETag of unchanged content, whatever the
 * time); else same size and modification time. A source whose last attempt failed (status
 * ERROR) never matches: it is read again. */
bool rp_dataid_source_unchanged(const struct rp_dataid_source *cp,
                                const struct rp_dataid_source *now);

/* The checkpoint of source_key in bucket into *out; *found false when there is none. Store
 * errors (RP_EDB ...). */
rp_err rp_dataid_ckpt_lookup(struct rp_store *st, const char *bucket, const char *source_key,
                             struct rp_dataid_source *out, bool *found,
                             struct rp_errbuf *eb) RP_WUR;

/* Forget every object read from source_key (before it is read again: members may be gone). */
rp_err rp_dataid_ckpt_forget(struct rp_store *st, const char *bucket, const char *source_key,
                             struct rp_errbuf *eb) RP_WUR;

/* One object's checkpoint; every string is borrowed for the call (reason, etag may be NULL). */
struct rp_dataid_ckpt {
    const char *bucket, *key, *source_key;
    struct rp_dataid_source src;
    int64_t size, classified_ms;
    const char *status; /* "COMPLETE", "SKIPPED", "ERROR" */
    const char *reason;
    bool sensitive;
    const char *counts; /* JSON object {"TYPE": n}; NULL = "{}" */
};

/* Insert or replace the checkpoint of (bucket, key). Store errors. */
rp_err rp_dataid_ckpt_put(struct rp_store *st, const struct rp_dataid_ckpt *c,
                          struct rp_errbuf *eb) RP_WUR;

/* Objects gone from a bucket: rp_dataid_ckpt_seen_begin starts an empty list of the sources a
 * walk met (a temporary table of st's connection), rp_dataid_ckpt_seen adds one, and
 * rp_dataid_ckpt_prune deletes the checkpoints of bucket whose source starts with prefix ("" =
 * all) and was not seen, *n (may be NULL) counting the objects removed. Call prune only for a
 * bucket or prefix that was listed completely. Store errors. */
rp_err rp_dataid_ckpt_seen_begin(struct rp_store *st, struct rp_errbuf *eb) RP_WUR;
rp_err rp_dataid_ckpt_seen(struct rp_store *st, const char *bucket, const char *source_key,
                           struct rp_errbuf *eb) RP_WUR;
rp_err rp_dataid_ckpt_prune(struct rp_store *st, const char *bucket, const char *prefix, int64_t *n,
                            struct rp_errbuf *eb) RP_WUR;

/* ---- bucket sensitivity scores ------------------------------------------------------------ */

struct rp_dataid_bucket_stats {
    const char *bucket; /* borrowed for the callback */
    int64_t known;      /* objects with a checkpoint */
    int64_t classified; /* status COMPLETE */
    int64_t bytes;      /* bytes of the classified objects */
    int64_t sensitive;  /* classified objects with sensitive data */
    int64_t errors;     /* status ERROR */
    int64_t types;      /* distinct detection types found in the bucket */
};

/* Macie's sensitivityScore of a bucket: -1 nothing classified and some errors; 50 nothing
 * classified (all skipped, or nothing known); 1..49 nothing sensitive found, lower the more
 * of the bucket was classified; 51..100 something sensitive, higher with the share of
 * classified objects holding sensitive data and the number of types found. */
int rp_dataid_sensitivity_score(const struct rp_dataid_bucket_stats *b);

/* Macie's label of a score: "Classification error", "Not analyzed yet", "Not sensitive",
 * "Sensitive". Static. */
const char *rp_dataid_sensitivity_label(int score);

typedef rp_err (*rp_dataid_bucket_fn)(void *ctx, const struct rp_dataid_bucket_stats *b,
                                      struct rp_errbuf *eb);

/* The statistics of every bucket with checkpoints, in bucket order, to fn. Store errors, fn's
 * error. */
rp_err rp_dataid_bucket_stats_each(struct rp_store *st, rp_dataid_bucket_fn fn, void *ctx,
                                   struct rp_errbuf *eb) RP_WUR;

/* ---- jobs: scope, sampling, schedules, the dataid_jobs table ------------------------------ */

/* A job's scope, as Macie's scoping terms: OBJECT_KEY STARTS_WITH key_prefix (NULL or "" =
 * any), OBJECT_EXTENSION not one of exclude_ext (case-insensitive, with or without the dot),
 * OBJECT_SIZE GTE min_size and LTE max_size, OBJECT_LAST_MODIFIED_DATE GTE since_ms (-1 each:
 * no bound), and samplingPercentage (1..100; 0 counts as 100). */
struct rp_dataid_scope {
    const char *key_prefix;
    const char *const *exclude_ext;
    size_t nexclude;
    int64_t min_size, max_size, since_ms;
    int sampling;
};

/* True when the object bucket/key (size bytes, modified at mtime_ms) is in the scope and in
 * its sample. */
bool rp_dataid_scope_match(const struct rp_dataid_scope *sc, const char *bucket, const char *key,
                           int64_t size, int64_t mtime_ms);

/* The deterministic sample: true for about pct of 100 objects, chosen by the XXH3 hash of
 * "bucket/key" modulo 100 being below pct (the same objects every run; a larger pct keeps the
 * smaller one's objects). pct 0 (not set) or 100 and more: every object. */
bool rp_dataid_sampled(int pct, const char *bucket, const char *key);

/* The first run time strictly after after_ms of a schedule: "daily" (00:00 UTC),
 * "weekly:MONDAY" (SUNDAY..SATURDAY, 00:00 UTC), "monthly:N" (day N, 1..31, of each month at
 * 00:00 UTC; the last day of a shorter month). RP_EINVAL "dataid: bad schedule '...'". */
rp_err rp_dataid_schedule_next(const char *schedule, int64_t after_ms, int64_t *next,
                               struct rp_errbuf *eb) RP_WUR;

/* A job, a row of dataid_jobs (store migrations 0011 and 0019). Lists are in one string:
 * exclude_ext, identifiers, custom_ids and allow_list_ids comma-separated, customs and sources
 * one per line. */
struct rp_dataid_job {
    char id[33];
    char name[129];
    char type[16];     /* ONE_TIME | SCHEDULED */
    char schedule[32]; /* "" for ONE_TIME */
    int sampling;      /* 1..100 */
    char key_prefix[256];
    char exclude_ext[256];
    int64_t min_size, max_size, since_ms; /* -1: none */
    char identifiers[1024];
    char customs[2048];        /* custom identifier files (--custom) */
    char custom_ids[2048];     /* stored custom identifiers (customDataIdentifierIds) */
    char allow_list_ids[1024]; /* stored allow lists (allowListIds) */
    char sources[4096];
    char status[16]; /* IDLE | RUNNING | COMPLETE */
    int64_t created_ms, last_run_ms, next_run_ms, runs, objects;
};

/* Insert or replace the job j->id. Store errors. */
rp_err rp_dataid_job_put(struct rp_store *st, const struct rp_dataid_job *j,
                         struct rp_errbuf *eb) RP_WUR;

/* The job id into *j; RP_ENOENT "dataid: no job 'id'" when there is none. */
rp_err rp_dataid_job_get(struct rp_store *st, const char *id, struct rp_dataid_job *j,
                         struct rp_errbuf *eb) RP_WUR;

/* Every job (only the SCHEDULED ones due at due_ms, when due_ms >= 0), oldest first, to fn;
 * j is borrowed for the call; the jobs are read first, so fn may use st freely. fn's error
 * stops the walk and is returned. */
typedef rp_err (*rp_dataid_job_fn)(void *ctx, const struct rp_dataid_job *j, struct rp_errbuf *eb);
rp_err rp_dataid_job_each(struct rp_store *st, int64_t due_ms, rp_dataid_job_fn fn, void *ctx,
                          struct rp_errbuf *eb) RP_WUR;

#endif
