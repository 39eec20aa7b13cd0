-- SPDX-License-Identifier: Apache-2.0
-- Rampart store schema, migration 4: Route 53 Resolver query logs (src/ingest/ingest_r53dns.c).
--
-- One row per DNS query. Columns carry the log's own field names; answers and srcids keep
-- their JSON. The rp_ columns are Rampart's normalized view for joins and filters. There is
-- no UNIQUE key: the log has no query id and identical queries are legitimate.

CREATE TABLE r53_resolver_query_logs (
    version                 TEXT,     -- format version as written ('1.100000')
    account_id              TEXT,     -- owner of the VPC
    region                  TEXT,
    vpc_id                  TEXT,
    query_timestamp         TEXT,     -- ISO 8601 as written
    query_name              TEXT,     -- as written, with its trailing dot
    query_type              TEXT,     -- 'A', 'AAAA', 'PTR', .. or 'ANY'
    query_class             TEXT,     -- 'IN'
    rcode                   TEXT,     -- 'NOERROR', 'NXDOMAIN', ..
    answers                 TEXT,     -- JSON array of {Rdata, Type, Class}
    srcaddr                 TEXT,     -- client address as written
    srcport                 TEXT,     -- client port as written (a string in the log)
    transport               TEXT,     -- 'UDP' | 'TCP' | ..
    srcids                  TEXT,     -- JSON {instance, resolver_endpoint, ..}
    firewall_rule_group_id  TEXT,     -- DNS Firewall match (ALERT or BLOCK rules only)
    firewall_rule_action    TEXT,
    firewall_domain_list_id TEXT,
    rp_time_ms              INTEGER NOT NULL,  -- query_timestamp in ms UTC
    rp_account              TEXT,     -- account_id, else the S3 key's
    rp_region               TEXT,     -- region, else the S3 key's
    rp_src_ip               TEXT,     -- srcaddr in canonical form
    rp_src_port             INTEGER,  -- srcport as a number
    rp_query_name           TEXT,     -- query_name lower-cased, without its trailing dot
    rp_instance_id          TEXT,     -- srcids.instance
    rp_raw                  BLOB      -- the record as read, compressed by the runner
);
CREATE INDEX r53_resolver_query_logs_time ON r53_resolver_query_logs (rp_time_ms);
CREATE INDEX r53_resolver_query_logs_name ON r53_resolver_query_logs (rp_query_name);
CREATE INDEX r53_resolver_query_logs_src ON r53_resolver_query_logs (rp_src_ip);
