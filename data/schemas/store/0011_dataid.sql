-- SPDX-License-Identifier: Apache-2.0
-- Rampart store schema, migration 11: sensitive data discovery checkpoints (src/dataid/
-- dataid_job.c, docs/discover.md "Checkpoints and bucket sensitivity scores").
--
-- dataid_objects has one row per object `rampart discover scan` classified or could not read:
-- a file, an S3 object, or a member of an archive ("backup.tar!/hr.csv"). source_key names
-- what was read (the file or S3 object itself, the archive for a member) with its size and
-- time, or ETag for S3, as they were listed: a later scan with --changed-only reads a source
-- again only when these differ (or when its last attempt failed). `discover buckets` sums the
-- rows per bucket into Macie's sensitivity score.

CREATE TABLE dataid_objects (
    bucket          TEXT NOT NULL,     -- S3 bucket; a local directory's name, "local"
    key             TEXT NOT NULL,     -- object key; "archive!/member" for a member
    source_key      TEXT NOT NULL,     -- the file or S3 object read (key, or the archive's)
    source_size     INTEGER NOT NULL,  -- its size as listed (compressed for .gz)
    source_mtime_ms INTEGER NOT NULL,  -- its modification time, ms UTC
    etag            TEXT NOT NULL DEFAULT '',  -- S3 ETag without quotes; '' for files
    size            INTEGER NOT NULL,  -- bytes of the object (decompressed, the member's)
    classified_ms   INTEGER NOT NULL,  -- when it was classified or skipped
    status          TEXT NOT NULL,     -- COMPLETE | SKIPPED | ERROR
    reason          TEXT NOT NULL DEFAULT '',  -- with SKIPPED/ERROR: Macie's reason
    sensitive       INTEGER NOT NULL DEFAULT 0, -- 1 when a finding was made for it
    counts          TEXT NOT NULL DEFAULT '{}', -- {"DETECTION_TYPE": count, ..}
    PRIMARY KEY (bucket, key)
) WITHOUT ROWID;
CREATE INDEX dataid_objects_source ON dataid_objects (bucket, source_key);

-- dataid_jobs: `rampart discover job create` (Macie's CreateClassificationJob, in Macie's
-- names where it has them). `job run` runs one (or every SCHEDULED job that is due) with
-- --changed-only semantics over its sources, in its scope and sample.
CREATE TABLE dataid_jobs (
    job_id        TEXT PRIMARY KEY,  -- 32 hex digits, as Macie's
    name          TEXT NOT NULL,
    job_type      TEXT NOT NULL,     -- ONE_TIME | SCHEDULED
    schedule      TEXT NOT NULL DEFAULT '',  -- daily | weekly:MONDAY | monthly:15 ('' one time)
    sampling      INTEGER NOT NULL DEFAULT 100, -- samplingPercentage 1..100
    key_prefix    TEXT NOT NULL DEFAULT '',  -- scoping includes OBJECT_KEY STARTS_WITH
    exclude_ext   TEXT NOT NULL DEFAULT '',  -- scoping excludes OBJECT_EXTENSION EQ (a,b)
    min_size      INTEGER NOT NULL DEFAULT -1, -- OBJECT_SIZE GTE (-1: none)
    max_size      INTEGER NOT NULL DEFAULT -1, -- OBJECT_SIZE LTE (-1: none)
    since_ms      INTEGER NOT NULL DEFAULT -1, -- OBJECT_LAST_MODIFIED_DATE GTE (-1: none)
    identifiers   TEXT NOT NULL DEFAULT '',  -- managed ids (comma-separated), '' = all
    customs       TEXT NOT NULL DEFAULT '',  -- custom identifier files, one per line
    sources       TEXT NOT NULL,             -- paths and s3:// URLs, one per line
    job_status    TEXT NOT NULL,             -- IDLE | RUNNING | COMPLETE
    created_ms    INTEGER NOT NULL,
    last_run_ms   INTEGER NOT NULL DEFAULT 0,
    next_run_ms   INTEGER NOT NULL DEFAULT 0, -- SCHEDULED: when `job run --due` runs it
    runs          INTEGER NOT NULL DEFAULT 0, -- statistics.numberOfRuns
    objects       INTEGER NOT NULL DEFAULT 0  -- statistics.approximateNumberOfObjectsToProcess
) WITHOUT ROWID;
