/* SPDX-License-Identifier: Apache-2.0 */
/* r53_resolver_files('dir'): Route 53 Resolver query log files, read in place with the columns of
 * the store table the r53dns format fills, plus hidden _path, _file, _account, _region and _date
 * (query_files.c has the pushdown rules). */
#include "query/query_files.h"

static const struct rp_query_files_spec spec = {
    .format = "r53dns",
    .time_text = "query_timestamp",
    .time_secs = NULL,
};

RP_QUERY_FILES_TABLE(
    rp_qtab_r53_resolver_files, "r53_resolver_files",
    "Route 53 Resolver query log files read in place (same columns as the ingested table)", spec);
