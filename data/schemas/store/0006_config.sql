-- SPDX-License-Identifier: Apache-2.0
-- Rampart store schema, migration 6: AWS Config configuration items (src/ingest/ingest_config.c,
-- docs/ingest-config.md).
--
-- Three tables, written together for every configuration item (CI) read from a snapshot or
-- history file, a change notification or an API (get-resource-config-history) output:
--   config_items          history: one row per CI ever seen, stored once however many files
--                         repeat it (a snapshot repeats every unchanged CI);
--   config_resources      current state: one row per resource, replaced only by a newer CI
--                         (capture time, then configurationStateId); a deleted resource keeps
--                         its row with configurationItemStatus 'ResourceDeleted..';
--   config_relationships  the relationships of every CI in config_items, one row each, and the
--                         view config_current_relationships: the edges of the current state.
-- Column names are the CI field names as Config delivers them to S3 (the API names version,
-- accountId, arn are read into the same columns). JSON columns hold compact JSON text
-- (json_extract works on them). rp_time_ms is configurationItemCaptureTime in ms UTC;
-- rp_account and rp_region are the account and region of the resource ('' when no field, path
-- or ARN says), never NULL, so they can be part of keys. Times are ms UTC (DESIGN.md §4).

-- Every configuration item, once. The key is the resource (id, type, account, region) plus its
-- capture time and configurationStateId: a state id alone is not unique (it is the capture time
-- in ms since item version 1.2, shared by resources captured in the same millisecond, and a
-- random UUID in 1.0 items). A second copy of the same item only fills columns the first lacked
-- (an oversized-notification summary followed by the full item; a history-file item followed by
-- the notification carrying its configurationItemDiff); otherwise it is a duplicate.
CREATE TABLE config_items (
    configurationItemVersion     TEXT,             -- '1.3' (API: version)
    configurationItemCaptureTime TEXT NOT NULL,    -- as delivered, ISO-8601
    configurationStateId         INTEGER,          -- increasing per resource; TEXT for 1.0 UUIDs
    awsAccountId                 TEXT,             -- as delivered (older items and API: accountId)
    configurationItemStatus      TEXT,             -- OK, ResourceDiscovered, ResourceNotRecorded,
                                                   -- ResourceDeleted, ResourceDeletedNotRecorded
    resourceType                 TEXT NOT NULL,    -- 'AWS::EC2::Instance'
    resourceId                   TEXT NOT NULL,    -- 'i-0abc..', bucket name, account id ..
    resourceName                 TEXT,
    ARN                          TEXT,             -- (API: arn)
    awsRegion                    TEXT,             -- 'us-east-1', 'global' for IAM
    availabilityZone             TEXT,             -- 'us-east-1a', 'Not Applicable', 'Regional'
    resourceCreationTime         TEXT,             -- as delivered
    tags                         TEXT,             -- JSON object {key: value}
    relatedEvents                TEXT,             -- JSON array of CloudTrail event ids
    relationships                TEXT,             -- JSON array of {resourceType, resourceId,
                                                   -- resourceName, name} (API relationshipName
                                                   -- is renamed name)
    configuration                TEXT,             -- JSON (decoded when delivered as a string);
                                                   -- NULL for oversized summaries and deletions
    supplementaryConfiguration   TEXT,             -- JSON; strings holding JSON are decoded
    configurationItemMD5Hash     TEXT,             -- (or configurationStateMd5Hash); '' since 1.3
    configurationItemDiff        TEXT,             -- JSON, from change notifications only
    rp_time_ms                   INTEGER NOT NULL, -- configurationItemCaptureTime, ms UTC
    rp_account                   TEXT NOT NULL,    -- awsAccountId, else the S3 key, else the ARN
    rp_region                    TEXT NOT NULL,    -- awsRegion, else the S3 key, else the ARN
    rp_raw                       BLOB              -- the record as read, zstd-compressed
);
CREATE UNIQUE INDEX config_items_key ON config_items (
    resourceId, resourceType, rp_account, rp_region, rp_time_ms, ifnull(configurationStateId, -1));
CREATE INDEX config_items_time ON config_items (rp_time_ms);

-- The newest CI of every resource (same columns as config_items, without rp_raw). Written with
-- an upsert that replaces a row only with a newer item: a later capture time, or the same time
-- and a greater configurationStateId, or the same item with gaps filled in. Deleted resources
-- stay, with their deleting item's status (skip them with
-- configurationItemStatus NOT IN ('ResourceDeleted', 'ResourceDeletedNotRecorded')).
CREATE TABLE config_resources (
    configurationItemVersion     TEXT,
    configurationItemCaptureTime TEXT NOT NULL,
    configurationStateId         INTEGER,
    awsAccountId                 TEXT,
    configurationItemStatus      TEXT,
    resourceType                 TEXT NOT NULL,
    resourceId                   TEXT NOT NULL,
    resourceName                 TEXT,
    ARN                          TEXT,
    awsRegion                    TEXT,
    availabilityZone             TEXT,
    resourceCreationTime         TEXT,
    tags                         TEXT,
    relatedEvents                TEXT,
    relationships                TEXT,
    configuration                TEXT,
    supplementaryConfiguration   TEXT,
    configurationItemMD5Hash     TEXT,
    configurationItemDiff        TEXT,
    rp_time_ms                   INTEGER NOT NULL,
    rp_account                   TEXT NOT NULL,
    rp_region                    TEXT NOT NULL,
    PRIMARY KEY (rp_account, rp_region, resourceType, resourceId)
);
CREATE INDEX config_resources_type ON config_resources (resourceType);
CREATE INDEX config_resources_id ON config_resources (resourceId);
CREATE INDEX config_resources_arn ON config_resources (ARN);

-- One row per element of the relationships array of every CI in config_items (same key plus
-- idx, its position in the array), so history and current state never disagree whatever order
-- files arrive in. The current edges are in the view config_current_relationships below.
CREATE TABLE config_relationships (
    rp_account           TEXT NOT NULL,    -- of the resource the CI describes (the source)
    rp_region            TEXT NOT NULL,
    resourceType         TEXT NOT NULL,
    resourceId           TEXT NOT NULL,
    rp_time_ms           INTEGER NOT NULL, -- the CI's capture time
    configurationStateId INTEGER,          -- the CI's state id
    idx                  INTEGER NOT NULL, -- 0-based position in the CI's relationships
    relationshipName     TEXT,             -- 'Is contained in Subnet' (name, API relationshipName)
    relatedResourceType  TEXT,             -- the other end: its resourceType ..
    relatedResourceId    TEXT,             -- .. resourceId (absent for some IAM relationships) ..
    relatedResourceName  TEXT              -- .. and resourceName
);
CREATE UNIQUE INDEX config_relationships_key ON config_relationships (
    resourceId, resourceType, rp_account, rp_region, rp_time_ms, ifnull(configurationStateId, -1),
    idx);
CREATE INDEX config_relationships_related ON config_relationships (relatedResourceId);

-- The edges of the current state: the relationships of the CI that config_resources holds for
-- each resource not deleted. A resource whose newest item is an oversized-notification summary
-- (no relationships) has no edges until its full item arrives.
CREATE VIEW config_current_relationships AS
SELECT rel.rp_account, rel.rp_region, rel.resourceType, rel.resourceId, r.resourceName,
       rel.idx, rel.relationshipName, rel.relatedResourceType, rel.relatedResourceId,
       rel.relatedResourceName, rel.rp_time_ms
FROM config_resources AS r
JOIN config_relationships AS rel
  ON rel.resourceId = r.resourceId AND rel.resourceType = r.resourceType
 AND rel.rp_account = r.rp_account AND rel.rp_region = r.rp_region
 AND rel.rp_time_ms = r.rp_time_ms
 AND ifnull(rel.configurationStateId, -1) = ifnull(r.configurationStateId, -1)
WHERE ifnull(r.configurationItemStatus, '') NOT IN ('ResourceDeleted', 'ResourceDeletedNotRecorded');
