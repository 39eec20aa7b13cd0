/* SPDX-License-Identifier: Apache-2.0 */
/* rp_store: Rampart's persistence (DESIGN.md §4). Everything that reads or writes the database
 * goes through this header, so that a shared PostgreSQL backend can come later (§10); no
 * SQLite type appears here.
 *
 * The embedded backend is one SQLite file (default ./rampart.db) in WAL mode with
 * synchronous=NORMAL, foreign_keys=ON and a busy timeout, so one writer and many readers in
 * other processes can share it. Its schema is the numbered SQL files under
 * data/schemas/store/ (NNNN_name.sql, embedded at build time): PRAGMA user_version holds the
 * number of the last one applied, and a read-write open applies the missing ones in order, one
 * transaction each. A database whose version is newer than the binary is refused.
 *
 * Invariants: a struct rp_store is one connection; its cached statements and its batch belong
 * to it. At most one batch is open per store. The store never exits or aborts on bad input; it
 * reports RP_EDB with SQLite's message and the path in *eb.
 *
 * Thread-safety: one rp_store per thread. A store, and every statement prepared on it, must
 * only be used by one thread at a time; open one store per thread (WAL lets them run
 * concurrently, writers serialise on the database lock and wait up to the busy timeout).
 *
 * Errors common to every function below: RP_ENOMEM on allocation failure (in Rampart or in
 * SQLite), RP_EDB for any other database failure, with "store: cannot ... '<path>': <sqlite
 * message>" in *eb (eb may be NULL). */
#ifndef RP_STORE_H
#define RP_STORE_H

#include "core/rp_err.h"
#include "core/rp_arena.h"

struct rp_store;
struct rp_store_stmt;

/* ---- opening --------------------------------------------------------------------------- */

#define RP_STORE_RDONLY 0x0u /* inspect/query: never creates, never migrates, refuses writes */
#define RP_STORE_RDWR   0x1u /* create the file if missing, migrate it to the latest schema */

#define RP_STORE_DEFAULT_PATH    "rampart.db"
#define RP_STORE_BUSY_TIMEOUT_MS 5000 /* wait this long for another process's write lock */

/* Open the database at path and store a new handle in *out (the caller frees it with
 * rp_store_free). With RP_STORE_RDWR the file is created when missing, switched to WAL and
 * migrated to rp_store_schema_latest(). With RP_STORE_RDONLY nothing is written and the schema
 * is left as found (it may be older than the latest). path ":memory:" gives a private in-memory
 * database (RP_STORE_RDWR only; for tests).
 * Errors: RP_ENOENT when a read-only open finds no file (no file is created); RP_EDB when the
 * file is not a SQLite database, belongs to another application, has a schema version newer
 * than this binary, or a migration fails (the failed migration is rolled back, earlier ones
 * stay); RP_EPERM when RP_STORE_RDWR meets a write-protected file; RP_EINVAL for unknown
 * flags; RP_ENOMEM. Details and the path are in *eb. */
rp_err rp_store_new(const char *path, unsigned flags, struct rp_store **out,
                    struct rp_errbuf *eb) RP_WUR;

/* Roll back an open batch (its uncommitted rows are lost), finalize every cached statement
 * and close the connection. rp_store_free(NULL) is a no-op. */
void rp_store_free(struct rp_store *st);

/* The path given to rp_store_new. Borrowed from st. */
const char *rp_store_path(const struct rp_store *st);

/* The schema version of the open database (PRAGMA user_version), after any migration. */
int rp_store_schema_version(const struct rp_store *st);

/* The schema version the file had when rp_store_new opened it: 0 for a new file, less than
 * rp_store_schema_version() when rp_store_new migrated it. */
int rp_store_schema_version_opened(const struct rp_store *st);

/* The newest schema version this binary knows (the number of embedded migrations). */
int rp_store_schema_latest(void);

/* ---- statements ------------------------------------------------------------------------ */

/* Run sql (one or more statements, no results: DDL, PRAGMA settings, simple DML) directly,
 * without caching. */
rp_err rp_store_exec(struct rp_store *st, const char *sql, struct rp_errbuf *eb) RP_WUR;

/* A prepared statement, cached by its exact SQL text (SQLite's own prepare cache, as in
 * Git's and Fossil's db layers). The same text always gives back the same handle, reset and
 * with its bindings cleared, so hot paths may call prepare for every row. The handle is owned
 * by st and lives until rp_store_free; never free it. A statement has one cursor, so one SQL
 * text cannot be iterated twice at once (prepare resets the earlier use). Past
 * RP_MAX_STORE_STMTS distinct texts prepare returns RP_ELIMIT (SQL must be code, not data:
 * bind values with ?N, never format them in). RP_EDB with the SQLite message for bad SQL. */
rp_err rp_store_stmt_prepare(struct rp_store *st, const char *sql, struct rp_store_stmt **out,
                             struct rp_errbuf *eb) RP_WUR;

/* Bind parameter idx (1-based, as ?1, ?2 ...) of s. Text and blobs are copied, so p may be
 * freed after the call. len counts bytes. bind_cstr binds a C string, or NULL for a NULL
 * pointer. Errors: RP_EDB for an index out of range, RP_ELIMIT for a value too big. */
rp_err rp_store_stmt_bind_int64(struct rp_store_stmt *s, int idx, int64_t v,
                                struct rp_errbuf *eb) RP_WUR;
rp_err rp_store_stmt_bind_double(struct rp_store_stmt *s, int idx, double v,
                                 struct rp_errbuf *eb) RP_WUR;
rp_err rp_store_stmt_bind_text(struct rp_store_stmt *s, int idx, const char *p, size_t len,
                               struct rp_errbuf *eb) RP_WUR;
rp_err rp_store_stmt_bind_cstr(struct rp_store_stmt *s, int idx, const char *str,
                               struct rp_errbuf *eb) RP_WUR;
rp_err rp_store_stmt_bind_blob(struct rp_store_stmt *s, int idx, const void *p, size_t len,
                               struct rp_errbuf *eb) RP_WUR;
rp_err rp_store_stmt_bind_null(struct rp_store_stmt *s, int idx, struct rp_errbuf *eb) RP_WUR;

/* Run s to its next row: *row is true when a row is ready for the column getters, false when
 * the statement is done (it then releases its locks and can be stepped again from the start).
 * Errors: RP_EEXIST for a UNIQUE or PRIMARY KEY violation, RP_ENOMEM, RP_EDB otherwise; the
 * statement is reset after an error. */
rp_err rp_store_stmt_step(struct rp_store_stmt *s, bool *row, struct rp_errbuf *eb) RP_WUR;

/* Rewind s and clear its bindings. Call it when done with a query before its last row, so the
 * statement does not hold a read snapshot open. */
void rp_store_stmt_reset(struct rp_store_stmt *s);

/* Column getters for the current row; col is 0-based (SQLite's convention, unlike binds).
 * Values convert as SQLite converts them; an out-of-range col reads as NULL. Pointers are
 * borrowed from s and valid until the next step, reset or getter call on the same column.
 * column_text returns NULL for a NULL value (or when SQLite runs out of memory converting);
 * column_blob may return NULL for an empty value. len may be NULL. */
enum rp_store_type { RP_STORE_NULL, RP_STORE_INT, RP_STORE_REAL, RP_STORE_TEXT, RP_STORE_BLOB };
int rp_store_stmt_column_count(struct rp_store_stmt *s);
const char *rp_store_stmt_column_name(struct rp_store_stmt *s, int col);
enum rp_store_type rp_store_stmt_column_type(struct rp_store_stmt *s, int col);
int64_t rp_store_stmt_column_int64(struct rp_store_stmt *s, int col);
double rp_store_stmt_column_double(struct rp_store_stmt *s, int col);
const char *rp_store_stmt_column_text(struct rp_store_stmt *s, int col, size_t *len);
const void *rp_store_stmt_column_blob(struct rp_store_stmt *s, int col, size_t *len);

/* Rowid of the last successful INSERT on st, and rows changed by the last INSERT, UPDATE or
 * DELETE statement. */
int64_t rp_store_last_insert_id(struct rp_store *st);
int64_t rp_store_changes(struct rp_store *st);

/* ---- batched transactions -------------------------------------------------------------- */

/* Called inside the transaction just before each commit of a batch (automatic or final), so a
 * writer can record its progress (an ingest checkpoint) atomically with the rows. A non-OK
 * return cancels the commit: the batch is rolled back and ended, and the code is returned.
 * It may write through st but must not call rp_store_batch_*. */
typedef rp_err (*rp_store_precommit_fn)(struct rp_store *st, void *ctx, struct rp_errbuf *eb);

/* Open a write transaction (BEGIN IMMEDIATE) that commits automatically every `every` rows
 * counted with rp_store_batch_add (every 0 = only at rp_store_batch_commit). precommit may be
 * NULL. Errors: RP_EINVAL when a batch is already open or st is read-only. */
rp_err rp_store_batch_begin(struct rp_store *st, size_t every, rp_store_precommit_fn precommit,
                            void *ctx, struct rp_errbuf *eb) RP_WUR;

/* Count n more rows written in the batch. When the count since the last commit reaches
 * `every`, runs precommit, commits and begins the next transaction. On any failure the current
 * transaction is rolled back, the batch is ended and the error returned; rows committed
 * earlier stay. RP_EINVAL without an open batch. */
rp_err rp_store_batch_add(struct rp_store *st, size_t n, struct rp_errbuf *eb) RP_WUR;

/* Run precommit, commit and end the batch. On failure the transaction is rolled back and the
 * batch ended. RP_EINVAL without an open batch. */
rp_err rp_store_batch_commit(struct rp_store *st, struct rp_errbuf *eb) RP_WUR;

/* Roll back the rows since the last commit and end the batch; a no-op without one. Use it
 * after any failed write inside a batch. */
void rp_store_batch_rollback(struct rp_store *st);

/* ---- rejects: records that could not be parsed (DESIGN.md §4) --------------------------- */

/* One rejected record. For rp_store_reject_add the caller fills source .. orig_len; raw_n is
 * the bytes the caller has at raw, and orig_len the original record length when that is
 * larger (0 = raw_n). The store keeps at most RP_MAX_REJECT_BYTES of raw and sets truncated
 * when it keeps fewer bytes than orig_len. When listing, every field is filled in and raw_n is
 * the number of bytes stored. */
struct rp_store_reject {
    int64_t id;         /* assigned by the store, ascending; ignored by add */
    int64_t time_ms;    /* when recorded, ms since the epoch UTC; add: 0 = now */
    const char *source; /* file path or other source name; required */
    const char *format; /* parser that rejected it ("cloudtrail"), NULL if unknown */
    int64_t offset;     /* byte offset in the decoded (decompressed) stream, -1 if unknown */
    int64_t line;       /* 1-based line number, 0 if unknown */
    const char *reason; /* what was wrong, one line; required */
    const void *raw;    /* the record's bytes (not NUL-terminated, may hold any byte) */
    size_t raw_n;       /* bytes at raw */
    uint64_t orig_len;  /* original length of the record */
    bool truncated;     /* list: fewer than orig_len bytes were kept */
};

/* Record a reject; *id (may be NULL) gets its id. Strings and bytes are copied. Inside a batch
 * it commits with the batch, so a resumed ingest does not record it twice. RP_EINVAL without
 * source or reason. */
rp_err rp_store_reject_add(struct rp_store *st, const struct rp_store_reject *r, int64_t *id,
                           struct rp_errbuf *eb) RP_WUR;

struct rp_store_reject_filter {
    const char *source; /* only this source, NULL = every source */
    int64_t after_id;   /* only ids greater than this (paging), 0 = from the first */
    size_t limit;       /* at most this many, 0 = no limit */
};

/* Called once per reject; r and everything it points to is borrowed for the call only. A
 * non-OK return stops the walk and is returned by rp_store_reject_list. */
typedef rp_err (*rp_store_reject_fn)(const struct rp_store_reject *r, void *ctx);

/* Call fn for each reject matching f (NULL = all), in id order. fn must not call
 * rp_store_reject_list on the same store. */
rp_err rp_store_reject_list(struct rp_store *st, const struct rp_store_reject_filter *f,
                            rp_store_reject_fn fn, void *ctx, struct rp_errbuf *eb) RP_WUR;

/* Number of rejects of source (NULL = all) into *n. */
rp_err rp_store_reject_count(struct rp_store *st, const char *source, int64_t *n,
                             struct rp_errbuf *eb) RP_WUR;

/* Delete the rejects of source (NULL = all), e.g. before re-ingesting a changed file. */
rp_err rp_store_reject_delete(struct rp_store *st, const char *source, struct rp_errbuf *eb) RP_WUR;

/* ---- ingest checkpoints: per source file, for idempotent and resumable ingest ----------- */

/* What the store knows about one input file. A file is unchanged when size, mtime_ns and
 * (when known) hash or etag match; then completed says whether it can be skipped, and
 * bytes_done/records_done where to resume. */
struct rp_store_checkpoint {
    const char *path;         /* key: the file's path as given to ingest; required */
    int64_t size;             /* bytes of the file when last seen */
    int64_t mtime_ns;         /* its modification time, ns since the epoch */
    const char *hash;         /* content hash, algorithm-prefixed ("xxh3:0123.."), or NULL */
    const char *etag;         /* S3 ETag when the file came from S3, or NULL */
    const char *format;       /* source format detected ("cloudtrail"), or NULL */
    int64_t bytes_done;       /* input bytes fully processed and committed */
    int64_t records_done;     /* records stored and committed */
    int64_t records_rejected; /* records sent to the rejects table */
    bool completed;           /* the whole file is in the store */
    int64_t first_ms;         /* get: when the file was first recorded (ms UTC); put ignores */
    int64_t updated_ms;       /* get: when it was last put (ms UTC); put: 0 = now */
};

/* Insert or replace the checkpoint of cp->path (first_ms is kept from the first put). Copies
 * everything. Put it inside the batch that stored the rows it counts (see
 * rp_store_precommit_fn), so rows and checkpoint commit together. RP_EINVAL without path. */
rp_err rp_store_checkpoint_put(struct rp_store *st, const struct rp_store_checkpoint *cp,
                               struct rp_errbuf *eb) RP_WUR;

/* The checkpoint of path into *out; its strings live in arena a. RP_ENOENT when path has
 * none (with a message in *eb). */
rp_err rp_store_checkpoint_get(struct rp_arena *a, struct rp_store *st, const char *path,
                               struct rp_store_checkpoint *out, struct rp_errbuf *eb) RP_WUR;

/* Forget the checkpoint of path (no error if there is none). */
rp_err rp_store_checkpoint_delete(struct rp_store *st, const char *path,
                                  struct rp_errbuf *eb) RP_WUR;

/* ---- inspection ------------------------------------------------------------------------ */

struct rp_store_table_info {
    const char *name; /* table name */
    int64_t rows;     /* exact row count (a full count, so it costs a scan) */
};

struct rp_store_info {
    const char *path;                   /* as given to rp_store_new */
    int schema_version;                 /* of the file */
    int schema_latest;                  /* of this binary */
    int64_t db_bytes;                   /* size of the database file */
    int64_t wal_bytes;                  /* size of its -wal file, 0 if none */
    int64_t file_bytes;                 /* db_bytes + wal_bytes */
    const char *journal_mode;           /* "wal" for any file Rampart wrote */
    size_t ntables;                     /* entries in tables */
    struct rp_store_table_info *tables; /* every user table, sorted by name */
};

/* Fill *out; strings and the tables array live in arena a. Counts are taken in one read
 * transaction, so they are consistent with each other. */
rp_err rp_store_info_get(struct rp_arena *a, struct rp_store *st, struct rp_store_info *out,
                         struct rp_errbuf *eb) RP_WUR;

#endif
