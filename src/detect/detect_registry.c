/* SPDX-License-Identifier: Apache-2.0 */
/* The registry of built-in detectors (detect_builtin.def, one list per family) and the finding
 * types they raise, plus the names of sources and kinds. Adding a detector is one file and one
 * line in its family's .def (STYLE.md B5). */
#define RP_LOG_MODULE "detect"
#include <string.h>

#include "detect/detect_internal.h"
#include "core/rp_banned.h"

#define RP_DETECTOR(sym) extern const struct rp_detector sym;
#include "detect/detect_builtin.def"
#undef RP_DETECTOR

#define RP_DETECTOR(sym) &sym,
const struct rp_detector *const rp_det_builtins[] = {
#include "detect/detect_builtin.def"
    NULL};
#undef RP_DETECTOR

static const char *const src_names[RP_DET_SRC__COUNT] = {"cloudtrail", "flow", "dns", "k8s"};
static const char *const src_gd[RP_DET_SRC__COUNT] = {"CLOUD_TRAIL", "FLOW_LOGS", "DNS_LOGS",
                                                      "KUBERNETES_AUDIT_LOGS"};

const char *rp_det_source_name(enum rp_det_source s)
{
    return (unsigned)s < RP_DET_SRC__COUNT ? src_names[s] : NULL;
}

const char *rp_det_source_gd_name(enum rp_det_source s)
{
    return (unsigned)s < RP_DET_SRC__COUNT ? src_gd[s] : NULL;
}

const char *rp_det_kind_name(enum rp_det_kind k)
{
    switch (k) {
    case RP_DET_SIGNATURE:
        return "signature";
    case RP_DET_WINDOW:
        return "window";
    case RP_DET_BASELINE:
        return "baseline";
    }
    return NULL;
}

const struct rp_det_type *rp_det_type_find(const char *type)
{
    if (!type) return NULL;
    for (size_t i = 0; rp_det_builtins[i]; i++) {
        const struct rp_detector *d = rp_det_builtins[i];
        for (size_t j = 0; j < d->ntypes; j++)
            if (!strcmp(d->types[j].type, type)) return &d->types[j];
    }
    return NULL;
}

rp_err rp_detect_type_at(size_t i, const char **type, double *severity, enum rp_det_source *src,
                         const char **detector, enum rp_det_kind *kind)
{
    for (size_t k = 0; rp_det_builtins[k]; k++) {
        const struct rp_detector *d = rp_det_builtins[k];
        if (i < d->ntypes) {
            if (type) *type = d->types[i].type;
            if (severity) *severity = d->types[i].severity;
            if (src) *src = d->source;
            if (detector) *detector = d->id;
            if (kind) *kind = d->kind;
            return RP_OK;
        }
        i -= d->ntypes;
    }
    return RP_ENOENT;
}

const char *rp_det_type_name(const struct rp_det_type *t)
{
    return t ? t->type : NULL;
}
