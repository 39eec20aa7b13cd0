/* SPDX-License-Identifier: Apache-2.0 */
/* cloudtrail_files('dir'): CloudTrail log files (S3 delivery trees, .json.gz, JSON Lines), read in
 * place with the columns of the store table the cloudtrail format fills, plus hidden _path, _file,
 * _account, _region and _date (query_files.c has the pushdown rules). */
#include "query/query_files.h"

static const struct rp_query_files_spec spec = {
    .format = "cloudtrail",
    .time_text = "eventTime",
    .time_secs = NULL,
};

RP_QUERY_FILES_TABLE(rp_qtab_cloudtrail_files, "cloudtrail_files",
                     "CloudTrail log files (S3 delivery trees, .json.gz, JSON Lines) read in place "
                     "(same columns as the ingested table)",
                     spec);
