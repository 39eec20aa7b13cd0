-- SPDX-License-Identifier: Apache-2.0
-- Rampart store schema, migration 15: suppression rules of threat detection (src/detect/
-- detect_suppress.c, docs/detect-suppress.md): GuardDuty's filters with the action ARCHIVE.
--
-- One row per rule (`rampart detect suppress add`). criteria is GuardDuty's FindingCriteria
-- as CreateFilter takes it ({"Criterion": {"<attribute>": {"Eq": [..], "Gte": n, ..}}}),
-- compact, checked before it is stored. A run loads every rule by rank, then name, and
-- archives a finding the first matching rule names.
CREATE TABLE detect_suppress_rules (
    name        TEXT PRIMARY KEY,          -- 3..64 of [A-Za-z0-9_.-], GuardDuty's filter name rule
    description TEXT NOT NULL DEFAULT '',  -- at most 512 bytes
    rank        INTEGER NOT NULL,          -- 1..100: order of evaluation
    action      TEXT NOT NULL DEFAULT 'ARCHIVE', -- GuardDuty's FilterAction; only ARCHIVE
    criteria    TEXT NOT NULL,             -- FindingCriteria JSON
    created_ms  INTEGER NOT NULL,
    updated_ms  INTEGER NOT NULL
) WITHOUT ROWID;
