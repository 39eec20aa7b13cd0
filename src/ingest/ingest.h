/* SPDX-License-Identifier: Apache-2.0 */
/* rp_ingest: reads what AWS delivered (CloudTrail, VPC Flow Logs, Route 53 Resolver query
 * logs, Kubernetes audit, AWS Config) from files, directories, .gz and S3-delivery trees, and
 * writes every record into the store, once (DESIGN.md §2-§4).
 *
 * Pipeline: walk the paths (deterministic order) -> filter on the S3 key layout (account,
 * region, date) before opening anything -> skip files whose checkpoint says they are done ->
 * sniff each file's format (content first, path as a hint) -> frame records (lines or a
 * streaming JSON splitter) -> the format turns each record into rows -> one writer thread
 * inserts them in batches, each batch committed together with the checkpoints of the files it
 * advanced, so a killed run resumes exactly where the last commit ended.
 *
 * Nothing is dropped silently: a record that cannot be read is kept in the rejects table with
 * file, offset, line and reason, counted, and the run goes on; the summary says so and the
 * command exits 3 (partial).
 *
 * Thread-safety: rp_ingest_run uses its own threads (opts->jobs parser threads plus one
 * writer) and its own store connection; call it from one thread. */
#ifndef RP_INGEST_H
#define RP_INGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/rp_err.h"
#include "core/rp_str.h"

struct rp_store;
struct rp_ingest_source;

/* Sources Rampart ingests. The order is stable (summaries list them in it). */
enum rp_ingest_kind {
    RP_INGEST_CLOUDTRAIL,
    RP_INGEST_VPCFLOW,
    RP_INGEST_R53DNS,
    RP_INGEST_K8SAUDIT,
    RP_INGEST_CONFIG,
    RP_INGEST_KIND_COUNT,
};

/* ---- rows (shared by the formats, the runner and rp_ingest_reader) ---------------------- */

enum rp_ingest_coltype {
    RP_INGEST_COL_INT,  /* INTEGER (also booleans, stored 0/1, and times in ms UTC) */
    RP_INGEST_COL_REAL, /* REAL */
    RP_INGEST_COL_TEXT, /* TEXT */
    RP_INGEST_COL_JSON, /* TEXT holding JSON (nested AWS objects, queryable with json_extract) */
    RP_INGEST_COL_RAW,  /* BLOB: the record's original bytes, zstd-compressed by the runner */
};

struct rp_ingest_col {
    const char *name;            /* column name in the SQL table, exactly */
    enum rp_ingest_coltype type; /* what rp_ingest_val it takes */
};

/* One column value. A NULL value is type RP_INGEST_VAL_NULL (a zeroed struct). */
enum rp_ingest_valtype {
    RP_INGEST_VAL_NULL = 0,
    RP_INGEST_VAL_INT,
    RP_INGEST_VAL_REAL,
    RP_INGEST_VAL_TEXT, /* s, n: any bytes (TEXT and JSON columns) */
    RP_INGEST_VAL_RAW,  /* RAW columns: the runner fills it with the record; formats leave it
                           NULL, or set s, n to store other bytes than the record */
};

struct rp_ingest_val {
    enum rp_ingest_valtype type;
    int64_t i;     /* INT */
    double d;      /* REAL */
    const char *s; /* TEXT, RAW: borrowed for the rp_ingest_emit call */
    size_t n;      /* bytes at s */
};

/* What the runner knows about the file from its S3 key layout (ingest_layout.c); every slice
 * is empty (p == NULL) when the path does not say. */
struct rp_ingest_layout {
    struct rp_str org_id;  /* "o-abc123def4" for organization trails */
    struct rp_str account; /* "111122223333" */
    struct rp_str service; /* "CloudTrail", "CloudTrail-Digest", "vpcflowlogs", "Config", .. */
    struct rp_str region;  /* "us-east-1" */
    int64_t day_ms;        /* midnight UTC of the YYYY/MM/DD in the key, -1 if none */
};

/* Called on the caller's thread (from the writer) about every 250 ms and once at the end, for
 * a progress line. Borrowed pointers, valid for the call. */
struct rp_ingest_summary;
typedef void (*rp_ingest_progress_fn)(const struct rp_ingest_summary *s, bool final, void *ctx);

struct rp_ingest_opts {
    const char *const *paths; /* files or directories, borrowed */
    size_t npaths;
    const char *format;          /* --format-in: force this format by name; NULL = sniff */
    int64_t since_ms;            /* --since: skip records before, INT64_MIN = no bound */
    int64_t until_ms;            /* --until: skip records at or after, INT64_MAX = no bound */
    const char *const *accounts; /* --account (repeatable); NULL/0 = all */
    size_t naccounts;
    const char *const *regions; /* --region (repeatable); NULL/0 = all */
    size_t nregions;
    unsigned jobs;     /* parser threads; 0 = number of online CPUs */
    size_t batch_rows; /* rows per transaction; 0 = default (RP_INGEST_BATCH_ROWS) */
    bool force;        /* re-read files even when their checkpoint says done */
    const struct rp_ingest_source *const *sources; /* formats to sniff among, NULL-terminated;
                                                      NULL = all built-in (tests pass their own) */
    rp_ingest_progress_fn progress;                /* may be NULL */
    void *progress_ctx;
};

#define RP_INGEST_BATCH_ROWS 20000

/* Initialise opts with no paths, no filters and the defaults above. */
void rp_ingest_opts_init(struct rp_ingest_opts *opts);

struct rp_ingest_source_counts {
    int64_t records;    /* records read and stored (or found already stored) */
    int64_t rows;       /* rows inserted */
    int64_t duplicates; /* rows the store already had (same eventID, same item ..) */
    int64_t rejected;   /* records sent to the rejects table */
    int64_t filtered;   /* records outside --since/--until */
};

struct rp_ingest_summary {
    int64_t files_seen;      /* regular files the walk found */
    int64_t files_read;      /* files opened and read to the end */
    int64_t files_skipped;   /* unchanged since a completed checkpoint */
    int64_t files_filtered;  /* outside --account/--region/--since/--until by their key */
    int64_t files_duplicate; /* same content as a file already ingested under another path */
    int64_t files_failed;    /* files that could not be read (kept as a reject) */
    int64_t files_unknown;   /* no format recognised them (kept as a reject) */
    int64_t bytes_in;        /* bytes read from disk (compressed) */
    int64_t bytes_decoded;   /* bytes after decompression */
    struct rp_ingest_source_counts by_kind[RP_INGEST_KIND_COUNT];
    int64_t records; /* totals over by_kind */
    int64_t rejected;
    int64_t duplicates;
    int64_t elapsed_ms;
};

/* Ingest opts->paths into st (opened RP_STORE_RDWR). Fills *sum (may be NULL) even on error.
 * Returns RP_OK when everything found was read (the run may still have rejected records or
 * files: check sum->rejected + sum->files_failed + sum->files_unknown for a partial run), or
 * the first error that stopped the run (store failure, RP_ENOMEM, a path that does not exist)
 * with details in *eb. Rows committed before an error stay, with their checkpoints. */
rp_err rp_ingest_run(struct rp_store *st, const struct rp_ingest_opts *opts,
                     struct rp_ingest_summary *sum, struct rp_errbuf *eb) RP_WUR;

/* True when the summary describes a partial run (anything rejected, failed or unknown). */
bool rp_ingest_summary_partial(const struct rp_ingest_summary *sum);

/* "cloudtrail", "vpcflow", "r53dns", "k8saudit", "config"; NULL for a bad kind. */
const char *rp_ingest_kind_name(enum rp_ingest_kind k);

/* The built-in formats, for listing (`rampart ingest --list-formats`): RP_OK with the i-th
 * format's name ("cloudtrail"), kind and one-line summary (static strings), RP_ENOENT past the
 * last one. */
rp_err rp_ingest_format_at(size_t i, const char **name, enum rp_ingest_kind *kind,
                           const char **summary) RP_WUR;

/* True when name is a built-in format (a valid --format-in value). */
bool rp_ingest_format_exists(const char *name);

/* ---- reading files without a store (rp_ingest_reader) ------------------------------------ */

/* A pull reader that turns files into the rows a format would store, without a store: the
 * raw-file connectors of `rampart query` (cloudtrail_files('dir') ..) read through it, so a
 * query over files and over the ingested table see the same columns and values.
 *
 * Files: the paths are walked as ingest walks them (sorted, symlink-safe). A file is skipped
 * without being opened when its S3 key says it belongs to another service (a vpcflowlogs key
 * under a CloudTrail query, digest files) or when the partition filters below rule it out;
 * these count as pruned. Other files are sniffed as ingest does and read only when the
 * wanted format is the best match (files of other formats are skipped and counted in
 * files_other). Damaged records and unreadable files are reported through warn() with the
 * file, line and byte offset, and the reader goes on.
 *
 * Partition filters act on the S3 key layout only, exactly (a path that does not name an
 * account, region or day does not pass a filter on it): accounts, regions, and the key's day
 * in [day_min_ms, day_max_ms]. The time window since/until prunes as `ingest --since/--until`
 * does (by key day with one day of delivery lag allowed), and rows are not filtered by time.
 *
 * Memory: one file open at a time; rows are borrowed until the next call. */
struct rp_ingest_reader;

typedef void (*rp_ingest_warn_fn)(void *ctx, bool rejected, const char *msg);

struct rp_ingest_reader_opts {
    const char *format;       /* "cloudtrail", "vpcflow", "r53dns", "k8saudit", "config" */
    const char *table;        /* which of its tables; NULL = its first (main) table */
    const char *const *paths; /* files or directories, borrowed until the reader is freed */
    size_t npaths;
    const char *const *accounts; /* key account must be one of these; NULL/0 = any */
    size_t naccounts;
    const char *const *regions; /* key region must be one of these; NULL/0 = any */
    size_t nregions;
    int64_t day_min_ms;  /* key day (midnight UTC) at or after; INT64_MIN = no bound */
    int64_t day_max_ms;  /* key day at or before; INT64_MAX = no bound */
    const int64_t *days; /* key day must be one of these (midnight UTC); NULL/0 = any */
    size_t ndays;
    int64_t since_ms;       /* records at or after (pruning only); INT64_MIN = no bound */
    int64_t until_ms;       /* records before (pruning only); INT64_MAX = no bound */
    rp_ingest_warn_fn warn; /* may be NULL */
    void *warn_ctx;
};

/* All filters off, no paths. */
void rp_ingest_reader_opts_init(struct rp_ingest_reader_opts *o);

/* The columns of format's table (NULL = the main table): static arrays. *time_col is the
 * index of its ms-UTC time column or -1. RP_ENOENT for an unknown format or table. */
rp_err rp_ingest_table_columns(const char *format, const char *table,
                               const struct rp_ingest_col **cols, size_t *ncols,
                               int *time_col) RP_WUR;

/* Start reading. RP_ENOENT for an unknown format/table, RP_ENOMEM. A path that does not exist
 * is not an error here: it is a warning when reading starts. */
rp_err rp_ingest_reader_new(const struct rp_ingest_reader_opts *o, struct rp_ingest_reader **out,
                            struct rp_errbuf *eb) RP_WUR;
void rp_ingest_reader_free(struct rp_ingest_reader *r); /* NULL is a no-op */

/* The next row: RP_OK with *vals pointing at the table's ncols values (the RAW column holds
 * the record's bytes as read, not compressed), or *vals == NULL after the last row.
 * RP_ENOMEM, or RP_EIO when the walk itself fails. Borrowed until the next call. */
rp_err rp_ingest_reader_next(struct rp_ingest_reader *r, const struct rp_ingest_val **vals,
                             struct rp_errbuf *eb) RP_WUR;

/* Where the current row came from: its file and that file's key layout. Borrowed until the
 * reader moves to another file. */
const char *rp_ingest_reader_file(const struct rp_ingest_reader *r);
const struct rp_ingest_layout *rp_ingest_reader_layout(const struct rp_ingest_reader *r);

/* Where the current row is in its file: the byte offset of its record in the decoded stream
 * and its index among the rows that record gave (0 for most formats). With the file's path
 * this identifies a row across scans (the query connectors' rowid). */
void rp_ingest_reader_position(const struct rp_ingest_reader *r, uint64_t *offset,
                               size_t *row_in_record);

struct rp_ingest_reader_stats {
    int64_t files_seen;   /* regular files found */
    int64_t files_pruned; /* skipped from their path alone (never opened) */
    int64_t dirs_pruned;  /* directories skipped whole from their path (never listed) */
    int64_t files_opened; /* opened (read, or sniffed and found to be another format) */
    int64_t files_other;  /* opened and found to hold another format */
    int64_t bytes_in;     /* bytes read from disk */
    int64_t records;      /* records read */
    int64_t rejected;     /* bad records and unreadable files reported through warn() */
};

void rp_ingest_reader_stats(const struct rp_ingest_reader *r, struct rp_ingest_reader_stats *out);

/* ---- CloudTrail lookup ------------------------------------------------------------------ */

/* CloudTrail LookupEvents over the store (`rampart events`): the
 * filters of the AWS API (one lookup attribute per AttributeKey, StartTime, EndTime,
 * EventCategory, MaxResults) turned into one SQL query with bound parameters only, run
 * against cloudtrail_logs / cloudtrail_resources (data/schemas/store/0002_cloudtrail.sql),
 * newest event first.
 *
 * Differences from AWS, on purpose: every attribute may be set at once (AWS takes one; here
 * they are ANDed); the store keeps data and network-activity events, so the category filter
 * takes a set (AWS: management only, or insight). Matching is exact and case-sensitive, as in
 * AWS. ResourceName matches a resource's name (cloudtrail_resources.rp_name) or its ARN.
 *
 * Thread-safety: as the store's (one store per thread). */

/* LookupAttribute keys, in the order of the AWS API model. */
enum rp_ct_attr {
    RP_CT_ATTR_EVENT_ID,
    RP_CT_ATTR_EVENT_NAME,
    RP_CT_ATTR_READ_ONLY, /* value "true" or "false" */
    RP_CT_ATTR_USERNAME,
    RP_CT_ATTR_RESOURCE_TYPE,
    RP_CT_ATTR_RESOURCE_NAME,
    RP_CT_ATTR_EVENT_SOURCE,
    RP_CT_ATTR_ACCESS_KEY_ID,
    RP_CT_ATTR_COUNT,
};

/* The AWS AttributeKey of a ("EventName"), or NULL for a bad value. */
const char *rp_ct_attr_name(enum rp_ct_attr a);

/* The attribute whose AWS AttributeKey is name (exact, as AWS: "EventName"), or
 * RP_CT_ATTR_COUNT when there is none. */
enum rp_ct_attr rp_ct_attr_find(struct rp_str name);

/* Event categories, as a bit set (rp_category of cloudtrail_logs). */
#define RP_CT_CAT_MANAGEMENT 0x1u
#define RP_CT_CAT_DATA       0x2u
#define RP_CT_CAT_INSIGHT    0x4u
#define RP_CT_CAT_NETWORK    0x8u /* NetworkActivity */
#define RP_CT_CAT_ALL        0xfu

/* Parse a comma-separated list of management, data, insight, networkactivity (or network)
 * and all, case-insensitive, into *out. RP_EPARSE naming the bad word in *eb. */
rp_err rp_ct_category_parse(struct rp_str s, unsigned *out, struct rp_errbuf *eb) RP_WUR;

struct rp_ct_lookup {
    const char *attrs[RP_CT_ATTR_COUNT]; /* value per attribute, NULL = any; borrowed */
    int64_t start_ms;                    /* events at or after; INT64_MIN = no bound */
    int64_t end_ms;                      /* events at or before (AWS: inclusive); INT64_MAX */
    unsigned categories;                 /* RP_CT_CAT_* set; 0 = RP_CT_CAT_MANAGEMENT */
    size_t max_results;                  /* at most this many events, 0 = all */
    bool want_raw;                       /* decode each event's original record */
};

/* No attributes, no time bounds, management events, no limit, no raw record. */
void rp_ct_lookup_init(struct rp_ct_lookup *q);

struct rp_ct_resource {
    const char *type; /* "AWS::S3::Bucket", or NULL */
    const char *name; /* rp_name, else the ARN, or NULL */
    const char *arn;  /* or NULL */
};

/* One event found. Everything is borrowed for the callback only; NULL where the store has
 * NULL. */
struct rp_ct_event {
    const char *event_id;
    const char *event_name;
    const char *event_source;
    const char *event_time; /* eventTime as delivered */
    int64_t time_ms;        /* rp_time_ms */
    const char *category;   /* rp_category */
    const char *username;   /* rp_user_name */
    const char *access_key_id;
    int read_only; /* 1, 0, or -1 when the record does not say */
    const struct rp_ct_resource *resources;
    size_t nresources;
    const char *raw; /* want_raw: the original record (not NUL-terminated), else NULL */
    size_t raw_n;
};

/* Called once per event, newest first (rp_time_ms descending, then eventID descending). A
 * non-OK return stops the lookup and is returned by rp_ingest_ct_lookup. */
typedef rp_err (*rp_ct_lookup_fn)(const struct rp_ct_event *ev, void *ctx);

/* Run q on st (opened read-only or read-write, schema version >= 2). Returns RP_OK, RP_EINVAL
 * for a ReadOnly value other than "true"/"false" or start after end (message in *eb),
 * RP_ENOENT when the store has no cloudtrail_logs table (older schema), the store's errors,
 * RP_EPARSE when a stored rp_raw cannot be decompressed, or the callback's error. */
rp_err rp_ingest_ct_lookup(struct rp_store *st, const struct rp_ct_lookup *q, rp_ct_lookup_fn fn,
                           void *ctx, struct rp_errbuf *eb) RP_WUR;

/* Decode a stored rp_raw value into *out (appended): a zstd frame is decompressed (at most
 * RP_MAX_RECORD_BYTES), anything else is taken as the record itself. RP_EPARSE for a damaged
 * frame, RP_ELIMIT past out->max, RP_ENOMEM. */
struct rp_buf;
rp_err rp_ingest_ct_raw_decode(const void *p, size_t n, struct rp_buf *out,
                               struct rp_errbuf *eb) RP_WUR;

#endif
