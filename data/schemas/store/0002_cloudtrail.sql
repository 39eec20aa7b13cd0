-- SPDX-License-Identifier: Apache-2.0
-- Rampart store schema, migration 2: CloudTrail events (src/ingest/ingest_cloudtrail.c).
--
-- cloudtrail_logs has one row per event, deduplicated on eventID (AWS delivers duplicates, and
-- global-service events can arrive in several regions' files; ingest inserts with INSERT OR
-- IGNORE and counts the rows it skipped). Columns named like CloudTrail's record fields hold
-- them as delivered: text as text, nested objects as minified JSON (NULL for an absent field
-- or a JSON null), booleans as 0/1. Columns prefixed rp_ are Rampart's normalized view, for
-- lookups and joins; rp_raw keeps the whole original record, zstd-compressed.
-- docs/ingest-cloudtrail.md describes every column.

CREATE TABLE cloudtrail_logs (
    eventVersion                 TEXT,
    userIdentity                 TEXT,     -- JSON
    eventTime                    TEXT,     -- as delivered, '2014-03-06T21:22:54Z'
    eventSource                  TEXT,     -- Insights: insightDetails.eventSource
    eventName                    TEXT,     -- Insights: insightDetails.eventName
    awsRegion                    TEXT,
    sourceIPAddress              TEXT,
    userAgent                    TEXT,
    errorCode                    TEXT,
    errorMessage                 TEXT,
    requestParameters            TEXT,     -- JSON
    responseElements             TEXT,     -- JSON
    additionalEventData          TEXT,     -- JSON
    requestID                    TEXT,
    eventID                      TEXT,     -- absent only in Insights records
    eventType                    TEXT,
    apiVersion                   TEXT,
    managementEvent              INTEGER CHECK (managementEvent IN (0, 1)),
    readOnly                     INTEGER CHECK (readOnly IN (0, 1)),
    resources                    TEXT,     -- JSON
    recipientAccountId           TEXT,
    serviceEventDetails          TEXT,     -- JSON
    sharedEventID                TEXT,
    vpcEndpointId                TEXT,
    eventCategory                TEXT,     -- as delivered; NULL before eventVersion 1.07
    addendum                     TEXT,     -- JSON
    sessionCredentialFromConsole TEXT,
    edgeDeviceDetails            TEXT,     -- JSON
    tlsDetails                   TEXT,     -- JSON
    insightDetails               TEXT,     -- JSON
    rp_time_ms                   INTEGER NOT NULL,  -- eventTime, ms since the epoch UTC
    rp_category                  TEXT NOT NULL,     -- Management, Data, Insight, NetworkActivity
    rp_account                   TEXT,     -- recipientAccountId, else userIdentity.accountId
    rp_region                    TEXT,     -- awsRegion, else the region of the S3 key
    rp_principal                 TEXT,     -- userIdentity.arn, else invokedBy, else principalId
    rp_user_name                 TEXT,     -- LookupEvents 'Username'
    rp_access_key_id             TEXT,     -- userIdentity.accessKeyId when not empty
    rp_src_ip                    TEXT,     -- sourceIPAddress when it is an address (canonical)
    rp_raw                       BLOB,     -- the original record, zstd
    UNIQUE (eventID)
);
CREATE INDEX cloudtrail_logs_time ON cloudtrail_logs (rp_time_ms);
CREATE INDEX cloudtrail_logs_category ON cloudtrail_logs (rp_category, rp_time_ms);
CREATE INDEX cloudtrail_logs_name ON cloudtrail_logs (eventName, rp_time_ms);
CREATE INDEX cloudtrail_logs_source ON cloudtrail_logs (eventSource, rp_time_ms);
CREATE INDEX cloudtrail_logs_user ON cloudtrail_logs (rp_user_name, rp_time_ms);
CREATE INDEX cloudtrail_logs_key ON cloudtrail_logs (rp_access_key_id, rp_time_ms);

-- One row per element of an event's resources[] array, for the ResourceType and ResourceName
-- lookups. Elements that are not objects are skipped (they stay in cloudtrail_logs.resources).
CREATE TABLE cloudtrail_resources (
    eventID    TEXT NOT NULL,               -- cloudtrail_logs.eventID
    idx        INTEGER NOT NULL,            -- 0-based position in resources[]
    type       TEXT,                        -- 'AWS::S3::Object'
    ARN        TEXT,                        -- ARN, else ARNPrefix
    accountId  TEXT,
    rp_name    TEXT,                        -- the resource's name, from the ARN (see docs)
    UNIQUE (eventID, idx)
);
CREATE INDEX cloudtrail_resources_type ON cloudtrail_resources (type);
CREATE INDEX cloudtrail_resources_arn ON cloudtrail_resources (ARN);
CREATE INDEX cloudtrail_resources_name ON cloudtrail_resources (rp_name);
