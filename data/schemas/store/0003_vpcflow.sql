-- SPDX-License-Identifier: Apache-2.0
-- Rampart store schema, migration 3: VPC Flow Logs (src/ingest/ingest_vpcflow.c).
--
-- One row per flow-log record (versions 2 to 8, default or custom field order). Each field has
-- the column Athena's DDL gives it: the field name with '-' replaced by '_'. A field that the
-- file's format does not have, or that the record writes as '-', is NULL; NODATA and SKIPDATA
-- records are rows too (log_status says which). start and end stay epoch seconds as written.
-- The rp_ columns are Rampart's normalized view for joins and filters. There is no UNIQUE key:
-- identical lines are legitimate, and ingest checkpoints keep a file from being read twice.

CREATE TABLE vpc_flow_logs (
    version                    INTEGER,  -- format version of the record
    account_id                 TEXT,     -- owner of the interface ('unknown' for some services)
    interface_id               TEXT,     -- 'eni-..'
    srcaddr                    TEXT,     -- as written
    dstaddr                    TEXT,
    srcport                    INTEGER,
    dstport                    INTEGER,
    protocol                   INTEGER,  -- IANA number (6 TCP, 17 UDP, 1 ICMP)
    packets                    INTEGER,
    bytes                      INTEGER,
    start                      INTEGER,  -- epoch seconds of the first packet
    "end"                      INTEGER,  -- epoch seconds of the last packet
    action                     TEXT,     -- 'ACCEPT' | 'REJECT'
    log_status                 TEXT,     -- 'OK' | 'NODATA' | 'SKIPDATA'
    vpc_id                     TEXT,     -- version 3
    subnet_id                  TEXT,
    instance_id                TEXT,
    tcp_flags                  INTEGER,  -- OR of FIN 1, SYN 2, RST 4, SYN-ACK 18
    type                       TEXT,     -- 'IPv4' | 'IPv6' | 'EFA'
    pkt_srcaddr                TEXT,
    pkt_dstaddr                TEXT,
    region                     TEXT,     -- version 4
    az_id                      TEXT,
    sublocation_type           TEXT,
    sublocation_id             TEXT,
    pkt_src_aws_service        TEXT,     -- version 5
    pkt_dst_aws_service        TEXT,
    flow_direction             TEXT,     -- 'ingress' | 'egress'
    traffic_path               INTEGER,
    ecs_cluster_arn            TEXT,     -- version 7
    ecs_cluster_name           TEXT,
    ecs_container_instance_arn TEXT,
    ecs_container_instance_id  TEXT,
    ecs_container_id           TEXT,
    ecs_second_container_id    TEXT,
    ecs_service_name           TEXT,
    ecs_task_definition_arn    TEXT,
    ecs_task_arn               TEXT,
    ecs_task_id                TEXT,
    reject_reason              TEXT,     -- version 8 ('BPA')
    rp_time_ms                 INTEGER NOT NULL,  -- start in ms UTC, else end
    rp_account                 TEXT,     -- account_id when it is an account, else the S3 key's
    rp_region                  TEXT,     -- region, else the S3 key's
    rp_src_ip                  TEXT,     -- srcaddr (else pkt_srcaddr) in canonical form
    rp_dst_ip                  TEXT,     -- dstaddr (else pkt_dstaddr) in canonical form
    rp_src_port                INTEGER,
    rp_dst_port                INTEGER,
    rp_raw                     BLOB      -- the line as read, compressed by the runner
);
CREATE INDEX vpc_flow_logs_time ON vpc_flow_logs (rp_time_ms);
CREATE INDEX vpc_flow_logs_dst ON vpc_flow_logs (rp_dst_ip, rp_dst_port);
CREATE INDEX vpc_flow_logs_src ON vpc_flow_logs (rp_src_ip);
