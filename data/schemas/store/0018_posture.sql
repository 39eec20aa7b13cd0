-- SPDX-License-Identifier: Apache-2.0
-- Rampart store schema, migration 18: AWS Config rule evaluations (src/posture, docs/rules.md).
--
-- posture_rule_configs   rule configurations beyond the managed rules' defaults: a managed rule
--                        with other parameters or disabled, a custom Guard rule, the rules of a
--                        conformance pack, the rules a Security Hub standard needs;
-- posture_results        the current compliance of every (rule configuration, resource), and
--                        the view posture_evaluations over it by name;
-- posture_result_history every change of that compliance, at the time of the configuration item
--                        (or estate file) that caused it: the compliance timeline (view
--                        posture_eval_history);
-- posture_packs          conformance packs loaded (the template is kept as given);
-- posture_std_selection  Security Hub standards enabled, and disabled controls;
-- posture_state          run watermarks.
-- Times are ms UTC.

CREATE TABLE posture_rule_configs (
    name        TEXT PRIMARY KEY,   -- ConfigRuleName: 'access-keys-rotated'
    identifier  TEXT NOT NULL,      -- SourceIdentifier (managed) or the custom rule's name
    owner       TEXT NOT NULL,      -- 'AWS' | 'CUSTOM_POLICY' | 'CUSTOM_LAMBDA' (listed only)
    parameters  TEXT NOT NULL DEFAULT '{}', -- InputParameters: {name: text value}
    scope       TEXT,               -- {"ComplianceResourceTypes":[..],"TagKey","TagValue",
                                    --  "ComplianceResourceId"} or NULL
    policy_text TEXT,               -- CUSTOM_POLICY: the Guard rules
    source      TEXT NOT NULL,      -- 'user', 'pack:<name>', 'standard', 'managed'
    state       TEXT NOT NULL DEFAULT 'ACTIVE', -- ACTIVE | DISABLED
    created_ms  INTEGER NOT NULL
);

-- Results are kept by number (a run writes hundreds of thousands of them): every resource ever
-- evaluated and every rule configuration name once, the results keyed by their two ids. The
-- views posture_evaluations and posture_eval_history below give them back by name.
CREATE TABLE posture_resources (
    id            INTEGER PRIMARY KEY,
    resourceType  TEXT NOT NULL,
    resourceId    TEXT NOT NULL,
    rp_account    TEXT NOT NULL,
    rp_region     TEXT NOT NULL,    -- the item's awsRegion ('global' for IAM)
    resourceName  TEXT,
    ARN           TEXT,
    UNIQUE (resourceId, resourceType, rp_account, rp_region)
);

CREATE TABLE posture_config_names (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE, -- ConfigRuleName
    identifier  TEXT NOT NULL         -- SourceIdentifier (managed) or the custom rule's name
);

-- The current compliance of every (rule configuration, resource). compliance: 0 COMPLIANT,
-- 1 NON_COMPLIANT, 2 NOT_APPLICABLE, 3 INSUFFICIENT_DATA. A resource that is deleted or leaves
-- the rule's scope keeps its row, NOT_APPLICABLE, as AWS Config keeps its evaluation. The first
-- result of a key is kept in its row (first_*), so the timeline needs a history row only for
-- each later change; first_* are NULL when the key's first result came from an item replayed
-- into posture_result_history.
CREATE TABLE posture_results (
    config_id    INTEGER NOT NULL,  -- posture_config_names.id
    resource_id  INTEGER NOT NULL,  -- posture_resources.id
    compliance   INTEGER NOT NULL,
    annotation   TEXT NOT NULL DEFAULT '',
    ordering_ms  INTEGER NOT NULL,  -- the configuration item's capture time (OrderingTimestamp)
    recorded_ms  INTEGER NOT NULL,  -- the run that wrote it (ResultRecordedTime)
    first_compliance  INTEGER,
    first_annotation  TEXT,
    first_ordering_ms INTEGER,
    first_recorded_ms INTEGER,
    PRIMARY KEY (resource_id, config_id) -- resource first: a run writes in resource order
) WITHOUT ROWID;

-- Every later change of a result, at the capture time of the item that caused it.
CREATE TABLE posture_result_history (
    config_id    INTEGER NOT NULL,
    resource_id  INTEGER NOT NULL,
    compliance   INTEGER NOT NULL,
    annotation   TEXT NOT NULL DEFAULT '',
    ordering_ms  INTEGER NOT NULL,
    recorded_ms  INTEGER NOT NULL
);

CREATE VIEW posture_evaluations AS
SELECT n.name AS config_rule, n.identifier, r.resourceType, r.resourceId, r.rp_account,
       r.rp_region, r.resourceName, r.ARN,
       CASE p.compliance WHEN 0 THEN 'COMPLIANT' WHEN 1 THEN 'NON_COMPLIANT'
            WHEN 2 THEN 'NOT_APPLICABLE' ELSE 'INSUFFICIENT_DATA' END AS compliance,
       p.annotation, p.ordering_ms, p.recorded_ms, p.config_id, p.resource_id
FROM posture_results AS p
JOIN posture_config_names AS n ON n.id = p.config_id
JOIN posture_resources AS r ON r.id = p.resource_id;

CREATE VIEW posture_eval_history AS
WITH h AS (
    SELECT config_id, resource_id, first_compliance AS compliance,
           first_annotation AS annotation, first_ordering_ms AS ordering_ms,
           first_recorded_ms AS recorded_ms
    FROM posture_results WHERE first_compliance IS NOT NULL
    UNION ALL
    SELECT config_id, resource_id, compliance, annotation, ordering_ms, recorded_ms
    FROM posture_result_history)
SELECT n.name AS config_rule, n.identifier, r.resourceType, r.resourceId, r.rp_account,
       r.rp_region,
       CASE h.compliance WHEN 0 THEN 'COMPLIANT' WHEN 1 THEN 'NON_COMPLIANT'
            WHEN 2 THEN 'NOT_APPLICABLE' ELSE 'INSUFFICIENT_DATA' END AS compliance,
       h.annotation, h.ordering_ms, h.recorded_ms
FROM h
JOIN posture_config_names AS n ON n.id = h.config_id
JOIN posture_resources AS r ON r.id = h.resource_id;

CREATE TABLE posture_packs (
    name        TEXT PRIMARY KEY,   -- ConformancePackName
    path        TEXT,               -- the file it was loaded from
    template    TEXT NOT NULL,      -- the template as given
    parameters  TEXT NOT NULL DEFAULT '{}', -- overrides given at load
    unknown     TEXT NOT NULL DEFAULT '[]', -- rules that cannot run here: [{name, identifier, why}]
    loaded_ms   INTEGER NOT NULL
);

-- The Security Hub selection: enabled standards and disabled controls, as the JSON of
-- rp_posture_std_selection_to_json (src/posture/posture_standards.h). No row: the standards
-- Security Hub enables by default (FSBP and CIS v1.2.0).
CREATE TABLE posture_std_selection (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    selection  TEXT NOT NULL,
    updated_ms INTEGER NOT NULL
);

CREATE TABLE posture_state (
    key   TEXT PRIMARY KEY,
    value INTEGER
);
