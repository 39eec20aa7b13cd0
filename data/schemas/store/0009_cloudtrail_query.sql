-- SPDX-License-Identifier: Apache-2.0
-- Rampart store schema, migration 9: CloudTrail indexes for the questions analysts ask most
-- (`rampart query`, docs/query.md), measured in bench/query.sh.
--
-- Who and from where: every call of one principal, and the source addresses it used
-- (sourceIPAddress, the column Athena queries name), answer from the index alone, without
-- reading the wide rows that hold the raw record; every call from one address. Failed calls:
-- about 2% of events carry an errorCode, so a partial index keeps "errors by code and
-- service" and "AccessDenied by principal" small and fast.
CREATE INDEX cloudtrail_logs_principal ON cloudtrail_logs (rp_principal, sourceIPAddress);
CREATE INDEX cloudtrail_logs_src_ip ON cloudtrail_logs (sourceIPAddress, rp_time_ms);
CREATE INDEX cloudtrail_logs_error ON cloudtrail_logs (errorCode, eventSource, rp_principal)
    WHERE errorCode IS NOT NULL;
