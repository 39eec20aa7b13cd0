-- SPDX-License-Identifier: Apache-2.0
-- Rampart store schema, migration 12: threat detection (src/detect, docs/detect.md).
--
-- detect_progress: per source, the last row `rampart detect` analysed, so that a run without
-- --since/--until reads only events ingested since (incremental). A window re-run
-- (--since/--until) reads its window again and leaves this alone.
--
-- detect_findings: per finding (its hub Id), what earlier runs counted, so that a repeat of
-- the same activity in a later run updates one finding (Service.Count adds up, EventFirstSeen
-- stays, EventLastSeen moves) as GuardDuty does. `doc` is the last GuardDuty JSON written.

CREATE TABLE detect_progress (
    source     TEXT PRIMARY KEY,    -- cloudtrail | flow | dns | k8s
    last_rowid INTEGER NOT NULL,    -- rowid of the last event analysed in its table
    events     INTEGER NOT NULL,    -- events analysed so far, all runs
    updated_ms INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE detect_findings (
    id         TEXT PRIMARY KEY,    -- "detect/<32 hex>" (rp_hub_finding_id)
    type       TEXT NOT NULL,       -- GuardDuty finding type
    count      INTEGER NOT NULL,    -- Service.Count over every incremental run
    first_ms   INTEGER NOT NULL,    -- Service.EventFirstSeen
    last_ms    INTEGER NOT NULL,    -- Service.EventLastSeen
    created_ms INTEGER NOT NULL,    -- CreatedAt
    updated_ms INTEGER NOT NULL,    -- UpdatedAt
    archived   INTEGER NOT NULL DEFAULT 0, -- Service.Archived (a suppression rule matched)
    doc        TEXT NOT NULL        -- the finding as GuardDuty JSON
) WITHOUT ROWID;
CREATE INDEX detect_findings_type ON detect_findings (type);
