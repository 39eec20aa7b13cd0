-- SPDX-License-Identifier: Apache-2.0
-- Rampart store schema, migration 14: behavioural baselines of `rampart detect` (src/detect/
-- detect_bl_*.c, DESIGN.md §6 kind 3).
--
-- detect_baselines keeps one row per profiled entity and model: a CloudTrail principal
-- (model "iam": APIs, services, networks, user-agent families, regions, hours of activity;
-- model "s3": per-bucket hourly object reads, writes, deletes, permission changes, lists),
-- an EC2 instance (model "flow": remote ports, heavy peers and their hourly bytes) or a
-- Kubernetes user of a cluster (model "k8s": verbs on resources, source networks, user
-- agents). A run loads an entity's row the first time it sees the entity and writes the rows
-- it changed when it finishes (not in a dry run, nor in a --since/--until re-run), so
-- detection on day N+1 uses what the runs before learned. first_ms is the entity's first event:
-- its learning period counts from there. state is the model's compact binary profile
-- (values as text, little-endian integers); a row whose version the binary does not know is
-- ignored and the entity starts learning afresh.

CREATE TABLE detect_baselines (
    model      TEXT NOT NULL,     -- iam | s3 | flow | k8s
    entity     TEXT NOT NULL,     -- principal ARN, instance id (else ENI id), cluster/user
    first_ms   INTEGER NOT NULL,  -- first event of the entity, ms UTC
    last_ms    INTEGER NOT NULL,  -- last event of the entity, ms UTC
    updated_ms INTEGER NOT NULL,  -- when the row was written
    version    INTEGER NOT NULL,  -- format of state
    state      BLOB NOT NULL,     -- the profile
    PRIMARY KEY (model, entity)
) WITHOUT ROWID;
