/* SPDX-License-Identifier: Apache-2.0 */
/* vpc_flow_files('dir'): VPC Flow Logs files (versions 2-8, custom field orders, .gz), read in
 * place with the columns of the store table the vpcflow format fills, plus hidden _path, _file,
 * _account, _region and _date (query_files.c has the pushdown rules). */
#include "query/query_files.h"

static const struct rp_query_files_spec spec = {
    .format = "vpcflow",
    .time_text = NULL,
    .time_secs = "start",
};

RP_QUERY_FILES_TABLE(rp_qtab_vpc_flow_files, "vpc_flow_files",
                     "VPC Flow Logs files (versions 2-8, custom field orders, .gz) read in place "
                     "(same columns as the ingested table)",
                     spec);
