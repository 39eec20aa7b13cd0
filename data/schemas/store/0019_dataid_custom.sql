-- SPDX-License-Identifier: Apache-2.0
-- Rampart store schema, migration 19: custom data identifiers and allow lists as account
-- resources, as Macie keeps them (src/dataid/dataid_custom.c, docs/discover.md "Custom data
-- identifiers and allow lists").
--
-- dataid_custom_ids: `rampart discover identifiers add` (Macie's CreateCustomDataIdentifier).
-- The definition is the validated identifier in Rampart's identifier file format, as JSON,
-- with id = name. Removing one is a soft delete, as Macie's DeleteCustomDataIdentifier is
-- (GetCustomDataIdentifier keeps answering, with deleted: true): jobs that name it keep its
-- definition, and the name is free again for a new identifier.
CREATE TABLE dataid_custom_ids (
    id          TEXT PRIMARY KEY,          -- customDataIdentifierId, a UUID
    name        TEXT NOT NULL,             -- unique among those not deleted
    description TEXT NOT NULL DEFAULT '',
    definition  TEXT NOT NULL,             -- JSON in the identifier file format
    created_ms  INTEGER NOT NULL,
    deleted     INTEGER NOT NULL DEFAULT 0, -- 1 after `identifiers remove`
    deleted_ms  INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE UNIQUE INDEX dataid_custom_ids_name ON dataid_custom_ids (name) WHERE deleted = 0;

-- dataid_allow_lists: `rampart discover allow-list create` (Macie's CreateAllowList).
-- kind regex: content is the regex (criteria.regex); kind phrases: content is the phrases, one
-- per line, copied from the file at creation (criteria.s3WordsList; source names the file).
-- Deleting one deletes the row, as Macie's DeleteAllowList does.
CREATE TABLE dataid_allow_lists (
    id          TEXT PRIMARY KEY,          -- allowListId, 22 lower-case letters and digits
    name        TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT '',
    kind        TEXT NOT NULL CHECK (kind IN ('regex', 'phrases')),
    content     TEXT NOT NULL,
    source      TEXT NOT NULL DEFAULT '',  -- phrases: the file they were read from
    created_ms  INTEGER NOT NULL,
    updated_ms  INTEGER NOT NULL
) WITHOUT ROWID;

-- A job's stored custom identifiers and allow lists (Macie's customDataIdentifierIds and
-- allowListIds), comma-separated ids, fixed when the job is created.
ALTER TABLE dataid_jobs ADD COLUMN custom_ids TEXT NOT NULL DEFAULT '';
ALTER TABLE dataid_jobs ADD COLUMN allow_list_ids TEXT NOT NULL DEFAULT '';
