/* SPDX-License-Identifier: Apache-2.0 */
/* The registry of ingest formats, generated from ingest_builtin.def (STYLE.md B5): one
 * extern declaration and one array entry per RP_INGEST_SOURCE line. */
#include <string.h>

#include "ingest/ingest_source.h"

#define RP_INGEST_SOURCE(sym) extern const struct rp_ingest_source sym;
#include "ingest_builtin.def"
#undef RP_INGEST_SOURCE

#define RP_INGEST_SOURCE(sym) &sym,
const struct rp_ingest_source *const rp_ingest_sources[] = {
#include "ingest_builtin.def"
    NULL};
#undef RP_INGEST_SOURCE

const struct rp_ingest_source *rp_ingest_source_find(const char *name)
{
    for (size_t i = 0; name && rp_ingest_sources[i]; i++)
        if (strcmp(rp_ingest_sources[i]->name, name) == 0) return rp_ingest_sources[i];
    return NULL;
}

const char *rp_ingest_kind_name(enum rp_ingest_kind k)
{
    static const char *const names[RP_INGEST_KIND_COUNT] = {
        [RP_INGEST_CLOUDTRAIL] = "cloudtrail", [RP_INGEST_VPCFLOW] = "vpcflow",
        [RP_INGEST_R53DNS] = "r53dns",         [RP_INGEST_K8SAUDIT] = "k8saudit",
        [RP_INGEST_CONFIG] = "config",
    };
    return (unsigned)k < RP_INGEST_KIND_COUNT ? names[k] : NULL;
}

struct rp_json_parser *rp_ingest_ctx_parser(struct rp_ingest_ctx *cx)
{
    if (!cx->jp) cx->jp = rp_json_parser_new();
    return cx->jp;
}

rp_err rp_ingest_format_at(size_t i, const char **name, enum rp_ingest_kind *kind,
                           const char **summary)
{
    for (size_t k = 0; rp_ingest_sources[k]; k++) {
        if (k != i) continue;
        *name = rp_ingest_sources[k]->name;
        *kind = rp_ingest_sources[k]->kind;
        *summary = rp_ingest_sources[k]->summary;
        return RP_OK;
    }
    return RP_ENOENT;
}

bool rp_ingest_format_exists(const char *name)
{
    return rp_ingest_source_find(name) != NULL;
}

const struct rp_ingest_source *rp_ingest_source_sniff(const struct rp_ingest_source *const *sources,
                                                      const char *head, size_t n, const char *path)
{
    const struct rp_ingest_source *best = NULL;
    int score = 0;
    for (size_t i = 0; sources[i]; i++) {
        int sc = sources[i]->probe ? sources[i]->probe(head, n, path) : 0;
        if (sc > score) {
            score = sc;
            best = sources[i];
        }
    }
    return best;
}
