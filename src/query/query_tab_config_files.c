/* SPDX-License-Identifier: Apache-2.0 */
/* config_files('dir'): AWS Config snapshot and history files (configuration items), read in place
 * with the columns of the store table the config format fills, plus hidden _path, _file, _account,
 * _region and _date (query_files.c has the pushdown rules). */
#include "query/query_files.h"

static const struct rp_query_files_spec spec = {
    .format = "config",
    .time_text = "configurationItemCaptureTime",
    .time_secs = NULL,
};

RP_QUERY_FILES_TABLE(rp_qtab_config_files, "config_files",
                     "AWS Config snapshot and history files (configuration items) read in place "
                     "(same columns as the ingested table)",
                     spec);
