-- SPDX-License-Identifier: Apache-2.0
-- Rampart store schema, migration 5: Kubernetes audit events (src/ingest/ingest_k8saudit.c).
--
-- One row per audit Event (audit.k8s.io v1, v1beta1), from API server logs, webhook
-- EventLists or EKS control-plane logs. Columns carry the Event's own field names; nested
-- objects keep their JSON. The rp_ columns are Rampart's normalized view for joins and
-- filters. An event is logged once per stage, so (auditID, stage) identifies a row.

CREATE TABLE k8s_audit_logs (
    kind                     TEXT,     -- 'Event' (NULL for webhook items without it)
    apiVersion               TEXT,     -- 'audit.k8s.io/v1' | 'audit.k8s.io/v1beta1'
    level                    TEXT,     -- 'Metadata' | 'Request' | 'RequestResponse'
    auditID                  TEXT NOT NULL,
    stage                    TEXT NOT NULL,  -- 'RequestReceived' | 'ResponseStarted' | ..
    requestURI               TEXT,
    verb                     TEXT,     -- 'get', 'list', 'create', ..
    user                     TEXT,     -- JSON {username, uid, groups, extra}
    impersonatedUser         TEXT,     -- JSON, same shape
    sourceIPs                TEXT,     -- JSON array
    userAgent                TEXT,
    objectRef                TEXT,     -- JSON {resource, namespace, name, apiGroup, ..}
    responseStatus           TEXT,     -- JSON metav1.Status
    requestObject            TEXT,     -- JSON (Request and RequestResponse levels)
    responseObject           TEXT,     -- JSON (RequestResponse level)
    requestReceivedTimestamp TEXT,     -- MicroTime as written
    stageTimestamp           TEXT,     -- MicroTime as written
    annotations              TEXT,     -- JSON map
    rp_time_ms               INTEGER NOT NULL,  -- stageTimestamp, else requestReceivedTimestamp,
                                                -- else timestamp (v1beta1), in ms UTC
    rp_user                  TEXT,     -- user.username
    rp_src_ip                TEXT,     -- last of sourceIPs (the API server's peer), canonical
    rp_resource              TEXT,     -- objectRef.resource
    rp_namespace             TEXT,     -- objectRef.namespace
    rp_name                  TEXT,     -- objectRef.name
    rp_response_code         INTEGER,  -- responseStatus.code
    rp_cluster               TEXT,     -- EKS cluster from the log group or path, else NULL
    rp_raw                   BLOB,     -- the record as read, compressed by the runner
    UNIQUE (auditID, stage)
);
CREATE INDEX k8s_audit_logs_time ON k8s_audit_logs (rp_time_ms);
CREATE INDEX k8s_audit_logs_user ON k8s_audit_logs (rp_user);
