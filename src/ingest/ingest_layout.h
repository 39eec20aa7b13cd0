/* SPDX-License-Identifier: Apache-2.0 */
/* S3 key layouts of AWS log deliveries, and the --account/--region/--since/--until filters
 * applied to them before any file is opened (private to src/ingest and its tests).
 *
 * Layouts understood, below an optional bucket prefix (any leading components), the last
 * component named exactly "AWSLogs" starting the key:
 *   AWSLogs/<acct>/<service>/<region>/YYYY/MM/DD/<file>            CloudTrail, -Insight,
 *                                                                  -Digest, Config (M, D
 *                                                                  unpadded), vpcflowlogs
 *                                                                  (optionally /HH/)
 *   AWSLogs/<o-org-id>/<acct>/<service>/<region>/YYYY/MM/DD/<file> organization trails
 *   AWSLogs/<acct>/vpcdnsquerylogs/<vpc-id>/YYYY/MM/DD/<file>      Route 53 (no region)
 *   AWSLogs/aws-account-id=<acct>/aws-service=<svc>/aws-region=<r>/year=YYYY/month=MM/
 *           day=DD/[hour=HH/]<file>                                Hive-compatible flow logs
 * where <acct> is 12 digits, <o-org-id> is "o-" and 10..32 lower-case letters or digits,
 * <region> is lower-case letters, digits and '-' with at least one '-', months and days are
 * 1 or 2 digits and must form a real date. Parsing stops at the first component that does
 * not fit its slot: what came before is kept, the rest is unknown (never guessed). Anything
 * after the date (ConfigSnapshot/, more directories) is ignored.
 *
 * File names carry the same facts and fill what the directories did not say:
 *   <acct>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<rand>.json.gz (also CloudTrail-Insight,
 *   CloudTrail-Digest, vpcflowlogs, Config), <vpc-id>_vpcdnsquerylogs_<acct>_<stamp>_<h>.log.gz.
 * The first '_'-separated token of the form YYYYMMDDTHHmm[ss]Z is the delivery stamp.
 *
 * Filters (struct rp_ingest_filter). --account and --region act only through the layout: a
 * path that does not name an account (or region) is kept. Dates: a file delivered on day D
 * holds records up to its delivery time, so with --since S a day D < day(S) is skipped; with
 * --until U a day D > day(U) + 1 is skipped (one day of late delivery is allowed). A
 * directory naming only a year or a month is skipped when every day in it would be. Records
 * inside kept files are then filtered by their own time by the runner.
 *
 * Every function here is pure and thread-safe; slices point into the path given. */
#ifndef RP_INGEST_LAYOUT_H
#define RP_INGEST_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ingest/ingest_source.h"

/* What a path says. */
struct rp_ingest_key {
    struct rp_ingest_layout l; /* account, region, ..; l.day_ms when year, month and day are
                                  all known (from the directories, else the file name) */
    bool aws;                  /* an "AWSLogs" component was found */
    bool hive;                 /* the Hive-compatible (name=value) layout */
    int year;                  /* from the directories; 0 = not in the path */
    int month;                 /* 1..12; 0 = not in the path */
    int day;                   /* 1..31; 0 = not in the path */
    int hour;                  /* 0..23 (vpcflowlogs hourly partitions); -1 = none */
    int64_t name_ms;           /* delivery stamp from the file name, -1 = none */
};

/* Parse path[0..len). is_dir: the path is a directory, so its last component is a key
 * component too; otherwise the last component is a file name (parsed as a file name). Never
 * fails: *out says what could be read (everything empty / 0 / -1 otherwise). */
void rp_ingest_key_parse(const char *path, size_t len, bool is_dir, struct rp_ingest_key *out);

struct rp_ingest_filter {
    int64_t since_ms;            /* INT64_MIN = no bound */
    int64_t until_ms;            /* INT64_MAX = no bound (exclusive) */
    const char *const *accounts; /* NULL/0 = every account */
    size_t naccounts;
    const char *const *regions; /* NULL/0 = every region */
    size_t nregions;
};

/* True when some filter is set (nothing to prune otherwise). */
bool rp_ingest_filter_active(const struct rp_ingest_filter *f);

/* Why a path is left out; RP_INGEST_KEEP when it is not. */
enum rp_ingest_prune {
    RP_INGEST_KEEP = 0,
    RP_INGEST_PRUNE_ACCOUNT, /* names an account not in --account */
    RP_INGEST_PRUNE_REGION,  /* names a region not in --region */
    RP_INGEST_PRUNE_SINCE,   /* every day it can hold is before day(--since) */
    RP_INGEST_PRUNE_UNTIL,   /* every day it can hold is after day(--until) + 1 */
};

/* The verdict for a parsed key (a directory or a file). */
enum rp_ingest_prune rp_ingest_filter_check(const struct rp_ingest_filter *f,
                                            const struct rp_ingest_key *k);

/* Parse and check in one step. */
enum rp_ingest_prune rp_ingest_filter_path(const struct rp_ingest_filter *f, const char *path,
                                           bool is_dir);

/* "keep", "account", "region", "since", "until". Static strings. */
const char *rp_ingest_prune_name(enum rp_ingest_prune p);

#endif
