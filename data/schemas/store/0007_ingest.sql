-- SPDX-License-Identifier: Apache-2.0
-- Rampart store schema, migration 7: what the ingest runner (src/ingest/ingest_run.c) looks up.
--
-- A new or changed input file is hashed (xxh3-128 of its bytes as stored, 'xxh3:<hex>'); a
-- completed checkpoint with the same hash under another path means the same delivery was
-- already ingested (S3 delivers at least once, and mirrors copy trees), so the file is
-- skipped without being parsed. This index makes that lookup one probe per file.
CREATE INDEX ingest_checkpoints_hash ON ingest_checkpoints (hash) WHERE hash IS NOT NULL;
