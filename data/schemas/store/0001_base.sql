-- SPDX-License-Identifier: Apache-2.0
-- Rampart store schema, migration 1: the tables every capability shares.
--
-- Migrations are data/schemas/store/NNNN_name.sql, numbered from 0001 without gaps. A
-- read-write open (src/store/store_sqlite.c) runs each missing one in its own transaction,
-- records it in store_migrations and sets PRAGMA user_version to its number. A released
-- migration is never edited: change the schema with a new file. Times are INTEGER ms since
-- the epoch UTC (DESIGN.md §4).

-- One row per migration applied to this file.
CREATE TABLE store_migrations (
    version    INTEGER PRIMARY KEY,          -- NNNN of the file
    name       TEXT NOT NULL,                -- its file name, e.g. '0001_base.sql'
    applied_ms INTEGER NOT NULL              -- when it was applied
);

-- Records that failed to parse, kept with their location and (capped) raw bytes.
CREATE TABLE rejects (
    id          INTEGER PRIMARY KEY,         -- ascending in recording order
    time_ms     INTEGER NOT NULL,            -- when it was recorded
    source      TEXT NOT NULL,               -- file path or other source name
    format      TEXT,                        -- parser that rejected it ('cloudtrail'), or NULL
    byte_offset INTEGER,                     -- offset in the decoded stream, NULL if unknown
    line        INTEGER,                     -- 1-based line number, NULL if unknown
    reason      TEXT NOT NULL,               -- what was wrong
    raw         BLOB NOT NULL,               -- the first RP_MAX_REJECT_BYTES bytes at most
    orig_len    INTEGER NOT NULL,            -- the record's original length in bytes
    truncated   INTEGER NOT NULL DEFAULT 0,  -- 1 when raw holds fewer than orig_len bytes
    CHECK (length(raw) <= orig_len),
    CHECK (truncated = (length(raw) < orig_len))
);
CREATE INDEX rejects_source ON rejects (source, id);

-- Per input file: how far ingest got, so a re-run skips what is done and resumes the rest.
CREATE TABLE ingest_checkpoints (
    path             TEXT PRIMARY KEY,       -- the file's path as given to ingest
    size             INTEGER NOT NULL,       -- bytes when last seen
    mtime_ns         INTEGER NOT NULL,       -- modification time, ns since the epoch
    hash             TEXT,                   -- content hash, algorithm-prefixed ('xxh3:..')
    etag             TEXT,                   -- S3 ETag when the file came from S3
    format           TEXT,                   -- detected source format ('cloudtrail')
    bytes_done       INTEGER NOT NULL DEFAULT 0,  -- input bytes processed and committed
    records_done     INTEGER NOT NULL DEFAULT 0,  -- records stored and committed
    records_rejected INTEGER NOT NULL DEFAULT 0,  -- records sent to rejects
    completed        INTEGER NOT NULL DEFAULT 0 CHECK (completed IN (0, 1)),
    first_ms         INTEGER NOT NULL,       -- first recorded
    updated_ms       INTEGER NOT NULL        -- last updated
) WITHOUT ROWID;
