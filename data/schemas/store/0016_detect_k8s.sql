-- SPDX-License-Identifier: Apache-2.0
-- Rampart store schema, migration 16: what the Kubernetes detectors remember between runs
-- (src/detect/detect_k8s_privileged.c). GuardDuty's PrivilegeEscalation:Kubernetes/
-- PrivilegedContainer fires for an image never before run privileged in the cluster: each
-- (cluster, image repository) seen privileged is kept here, so a later run does not raise it
-- again for the same image.

CREATE TABLE detect_k8s_privileged_images (
    cluster  TEXT NOT NULL,    -- EKS cluster name (rp_cluster)
    image    TEXT NOT NULL,    -- image repository, tag and digest dropped
    first_ms INTEGER NOT NULL, -- when it was first seen privileged
    PRIMARY KEY (cluster, image)
) WITHOUT ROWID;
