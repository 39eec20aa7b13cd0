-- SPDX-License-Identifier: Apache-2.0
-- Rampart store schema, migration 17: the estate files (src/ingest/ingest_estate.c,
-- src/ingest/ingest_estate_credreport.c, docs/ingest-estate.md): what AWS Config does not
-- record but account-level Config rules read through other APIs. src/posture/posture_estate.c
-- builds the AWS::::Account documents from these rows (the newest file at or before the
-- evaluation time counts).
--
-- estate_documents has one row per file and kind: the document as the AWS CLI returned it,
-- reduced to the part rules read, as compact JSON. rp_time_ms is the delivery stamp in the
-- file name (<acct>_iam_account-summary_<YYYYMMDDTHHMMSSZ>.json), else midnight UTC of the
-- YYYY/MM/DD in its path. The same file read again is a duplicate, not a second row.

CREATE TABLE estate_documents (
    kind        TEXT NOT NULL,    -- 'iam-account-summary' | 'iam-password-policy' |
                                  -- 'ec2-snapshots' | 'ec2-ebs-encryption-by-default'
    rp_account  TEXT NOT NULL,    -- 12 digits: from the path, else the document
    rp_region   TEXT NOT NULL,    -- '' for IAM (global); the region of the EC2 documents
    rp_time_ms  INTEGER NOT NULL, -- ms UTC, see above
    document    TEXT NOT NULL,    -- get-account-summary: the SummaryMap object;
                                  -- get-account-password-policy: the PasswordPolicy object,
                                  --   or JSON null when the account has none (NoSuchEntity);
                                  -- describe-snapshots: the Snapshots array (each snapshot
                                  --   with its CreateVolumePermissions when the file has them)
    PRIMARY KEY (kind, rp_account, rp_region, rp_time_ms)
);

-- The IAM credential report, one row per user (the '<root_account>' row included), from the
-- decoded CSV or from the get-credential-report JSON (base64 Content). row holds every column
-- of the report keyed by its header, values as the CSV text ('true', 'N/A', 'no_information',
-- '2026-01-02T03:04:05+00:00').
CREATE TABLE iam_credential_report (
    rp_account  TEXT NOT NULL,    -- 12 digits: from the user's ARN, else the path
    rp_time_ms  INTEGER NOT NULL, -- GeneratedTime, else the file's stamp or date (as above)
    user        TEXT NOT NULL,    -- the 'user' column ('<root_account>' for the root user)
    arn         TEXT,             -- the 'arn' column
    row         TEXT NOT NULL,    -- JSON object: header -> value
    PRIMARY KEY (rp_account, rp_time_ms, user)
);
