-- SPDX-License-Identifier: Apache-2.0
-- Rampart store schema, migration 8: the findings hub (src/hub, docs/findings.md).
--
-- Every finding is an ASFF document (AWS Security Finding Format, Security Hub). Identity is
-- (ProductArn, Id), as BatchImportFindings has it (unique by construction: hub_store.c looks
-- it up before every insert). The document lives in finding_docs as compact
-- JSON text exactly as the hub merged it (json_extract works on it); findings holds one narrow
-- row per finding with the attributes most filters, sorts and insights use, so a scan of a
-- million findings reads columns, not documents. Times are ms UTC (DESIGN.md §4); the ISO
-- strings are in the document.
--
-- Multi-valued attributes (Types, Resources[].Id/Type) keep their first value in findings and
-- every further value in finding_values, so `ResourceId = x` is an index lookup in either
-- table and the usual single-resource finding costs no extra row.

CREATE TABLE findings (
    rowid               INTEGER PRIMARY KEY,
    product_arn         TEXT NOT NULL,    -- ProductArn
    id                  TEXT NOT NULL,    -- Id
    generator_id        TEXT,             -- GeneratorId
    aws_account_id      TEXT,             -- AwsAccountId
    region              TEXT,             -- Region
    product_name        TEXT,             -- ProductName
    company_name        TEXT,             -- CompanyName
    title               TEXT,             -- Title
    type0               TEXT,             -- Types[0]
    resource_type       TEXT,             -- Resources[0].Type
    resource_id         TEXT,             -- Resources[0].Id
    severity_label      TEXT,             -- Severity.Label (derived from Normalized when absent)
    severity_normalized INTEGER,          -- Severity.Normalized (derived from Label when absent)
    confidence          INTEGER,          -- Confidence
    criticality         INTEGER,          -- Criticality
    workflow_status     TEXT NOT NULL,    -- Workflow.Status: NEW NOTIFIED RESOLVED SUPPRESSED
    record_state        TEXT NOT NULL,    -- RecordState: ACTIVE ARCHIVED
    compliance_status   TEXT,             -- Compliance.Status: PASSED WARNING FAILED NOT_AVAILABLE
    verification_state  TEXT,             -- VerificationState
    security_control_id TEXT,             -- Compliance.SecurityControlId
    created_at          INTEGER NOT NULL, -- CreatedAt, ms
    updated_at          INTEGER NOT NULL, -- UpdatedAt, ms
    first_observed_at   INTEGER,          -- FirstObservedAt, ms
    last_observed_at    INTEGER,          -- LastObservedAt, ms
    customer_fields     INTEGER NOT NULL DEFAULT 0, -- bit set: top-level fields last set by
                                          -- BatchUpdateFindings (hub_merge.c), which later
                                          -- imports leave alone
    imported_at         INTEGER NOT NULL, -- ms, when the hub last wrote this row
    first_imported_at   INTEGER,          -- ms, when the hub created it (GetFindingHistory's
                                          -- creation record is made from this row)
    ident               INTEGER           -- 63-bit hash of ProductArn NUL Id: the identity
                                          -- lookup goes through this small index, then
                                          -- compares product_arn and id
);
CREATE INDEX findings_ident      ON findings (ident);
CREATE INDEX findings_updated    ON findings (updated_at);
CREATE INDEX findings_resource   ON findings (resource_id);
CREATE INDEX findings_type0      ON findings (type0);
CREATE INDEX findings_generator  ON findings (generator_id);
-- covers the dashboard counts (severity x workflow x record state) without touching rows
CREATE INDEX findings_severity   ON findings (severity_label, workflow_status, record_state);

-- The merged ASFF document of each finding.
CREATE TABLE finding_docs (
    rowid INTEGER PRIMARY KEY,            -- = findings.rowid
    doc   TEXT NOT NULL
);

-- Values of multi-valued attributes past the first: field is 'Type', 'ResourceId' or
-- 'ResourceType'. Rewritten whenever the finding's document is.
CREATE TABLE finding_values (
    finding INTEGER NOT NULL,             -- findings.rowid
    field   TEXT NOT NULL,
    value   TEXT NOT NULL
);
CREATE INDEX finding_values_fv ON finding_values (field, value);
CREATE INDEX finding_values_f  ON finding_values (finding);

-- GetFindingHistory: one row per change to a finding after its creation, oldest first (the
-- creation record comes from findings.first_imported_at, so a million new findings cost no
-- history rows). updates is a JSON array of {"UpdatedField", "OldValue", "NewValue"} (values
-- as JSON text, as the API returns them).
CREATE TABLE finding_history (
    seq           INTEGER PRIMARY KEY,
    finding       INTEGER NOT NULL,       -- findings.rowid
    update_time   INTEGER NOT NULL,       -- ms
    source_type   TEXT NOT NULL,          -- BATCH_IMPORT_FINDINGS | BATCH_UPDATE_FINDINGS
    source_identity TEXT,                 -- who: the product ARN or the user
    updates       TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX finding_history_f ON finding_history (finding, seq);
