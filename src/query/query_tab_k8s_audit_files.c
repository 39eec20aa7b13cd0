/* SPDX-License-Identifier: Apache-2.0 */
/* k8s_audit_files('dir'): Kubernetes audit log files (audit.k8s.io Events, EKS exports), read in
 * place with the columns of the store table the k8saudit format fills, plus hidden _path, _file,
 * _account, _region and _date (query_files.c has the pushdown rules). */
#include "query/query_files.h"

static const struct rp_query_files_spec spec = {
    .format = "k8saudit",
    .time_text = "stageTimestamp",
    .time_secs = NULL,
};

RP_QUERY_FILES_TABLE(rp_qtab_k8s_audit_files, "k8s_audit_files",
                     "Kubernetes audit log files (audit.k8s.io Events, EKS exports) read in place "
                     "(same columns as the ingested table)",
                     spec);
