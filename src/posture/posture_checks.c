/* SPDX-License-Identifier: Apache-2.0 */
/* The registry of posture C checks (posture_checks.def, STYLE.md B5): the managed Config rules
 * whose logic Guard cannot express well (policy analysis) are C functions, each in its own
 * posture_check_<name>.c, named from a rule file by `check: <name>`. Also the helpers those
 * checks share to read their parameters and write their verdict (posture_policy.h). */
#define RP_LOG_MODULE "posture"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/rp_str.h"
#include "posture/posture_internal.h"
#include "posture/posture_policy.h"
#include "core/rp_banned.h"

#define RP_POSTURE_CHECK(sym) extern const struct rp_posture_check sym;
#include "posture/posture_checks.def"
#undef RP_POSTURE_CHECK

#define RP_POSTURE_CHECK(sym) &sym,
const struct rp_posture_check *const rp_posture_checks[] = {
#include "posture/posture_checks.def"
    NULL};
#undef RP_POSTURE_CHECK

const struct rp_posture_check *rp_posture_check_find(const char *name)
{
    for (size_t i = 0; name && rp_posture_checks[i]; i++)
        if (strcmp(rp_posture_checks[i]->name, name) == 0) return rp_posture_checks[i];
    return NULL;
}

bool rp_posture_param_bool(const struct rp_posture_eval_in *in, const char *name, bool dflt)
{
    const struct rp_pv *v = rp_posture_binding_get(in, name);
    if (!v) return dflt;
    if (v->kind == RP_PV_BOOL) return v->u.b;
    if (v->kind == RP_PV_STRING) {
        struct rp_str t = rp_str_trim((struct rp_str){v->u.s, v->n});
        if (rp_str_eq_nocase(t, RP_STR_LIT("true"))) return true;
        if (rp_str_eq_nocase(t, RP_STR_LIT("false"))) return false;
    }
    return dflt;
}

const struct rp_pv *rp_posture_param_list(const struct rp_posture_eval_in *in, const char *name)
{
    const struct rp_pv *v = rp_posture_binding_get(in, name);
    if (!v) return NULL;
    if (v->kind == RP_PV_LIST) return v->n ? v : NULL;
    if (v->kind != RP_PV_STRING) return NULL;
    struct rp_pv *l = rp_pv_list(in->scratch);
    if (!l) return NULL;
    struct rp_str rest = {v->u.s, v->n}, tok;
    while (rp_str_split_next(&rest, ',', &tok)) {
        tok = rp_str_trim(tok);
        if (tok.len == 0) continue;
        struct rp_pv *s = rp_pv_str(in->scratch, tok.p, tok.len);
        if (!s || rp_pv_push(in->scratch, l, s) != RP_OK) return NULL;
    }
    return l->n ? l : NULL;
}

const char *rp_posture_param_str(const struct rp_posture_eval_in *in, const char *name)
{
    const struct rp_pv *v = rp_posture_binding_get(in, name);
    return v && v->kind == RP_PV_STRING && v->n > 0 ? v->u.s : NULL;
}

void rp_posture_verdict_set(struct rp_posture_verdict *out, enum rp_posture_compliance c,
                            const char *fmt, ...)
{
    out->compliance = c;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out->annotation, sizeof(out->annotation), fmt, ap);
    va_end(ap);
}
