/* SPDX-License-Identifier: Apache-2.0 */
/* `rampart standards`: Security Hub standards over the Config rule evaluations in the store
 * (src/posture/posture_standards.c, docs/standards.md): list, enable and disable standards,
 * disable and enable controls (with a reason), the status of every control and the security
 * score per standard and overall. Enabling a standard takes effect at the next
 * `rampart rules eval`, which evaluates the rules its controls need. */
#define RP_LOG_MODULE "cmd"

#include <stdio.h>
#include <string.h>

#include "cmd/cmd_verbs.h"
#include "core/rp_arena.h"
#include "core/rp_buf.h"
#include "posture/posture_internal.h"
#include "posture/posture_run.h"
#include "posture/posture_standards.h"
#include "store/store.h"
#include "core/rp_banned.h"

#define VERB "standards"

const char rp_cmd_standards_usage[] =
    "rampart standards list\n"
    "       rampart standards enable|disable STANDARD\n"
    "       rampart standards controls STANDARD [--status S[,S..]]\n"
    "       rampart standards score [--account ID] [--region R]\n"
    "       rampart standards disable-control CONTROL [--standard STANDARD] [--reason TEXT]\n"
    "       rampart standards enable-control CONTROL [--standard STANDARD]";

const char rp_cmd_standards_help[] =
    "Security Hub standards: CIS AWS Foundations Benchmark v1.2.0 and v1.4.0, PCI DSS v3.2.1\n"
    "and AWS Foundational Security Best Practices v1.0.0, with Security Hub's control ids,\n"
    "titles and severities. A control's status comes from the Config rule evaluations of the\n"
    "last `rampart rules eval`: FAILED when a resource fails, UNKNOWN when one is\n"
    "undetermined (INSUFFICIENT_DATA) and none fails, PASSED when all pass, NO_DATA without\n"
    "evaluations, DISABLED when disabled. Score = PASSED / (PASSED + FAILED + UNKNOWN).\n"
    "With nothing chosen yet, FSBP and CIS v1.2.0 are enabled, as Security Hub does.\n"
    "\n"
    "  list                 the standards: id, name, enabled, controls, score\n"
    "  enable STANDARD      by id (cis-aws-foundations-benchmark/v/1.4.0) or StandardsArn;\n"
    "  disable STANDARD     run `rampart rules eval` afterwards\n"
    "  controls STANDARD    every control of the standard with its status and findings\n"
    "      --status S       only PASSED, FAILED, UNKNOWN, NO_DATA or DISABLED (comma list)\n"
    "  score                the security score of each enabled standard and overall\n"
    "      --account ID, --region R   only the evaluations of that account / region\n"
    "  disable-control CONTROL   leave a control out of status and score; CONTROL is a\n"
    "                       security control id (IAM.6: in every standard) or a standard's own\n"
    "                       id (PCI.IAM.4) or, with --standard, either in that standard only\n"
    "  enable-control CONTROL    undo disable-control\n"
    "\n"
    "See docs/standards.md.";

struct sctx {
    struct rp_store *st;
    struct rp_posture_standards *s;
    struct rp_posture_std_selection *sel;
};

static int sopen(struct rp_cmd_ctx *ctx, struct sctx *c)
{
    memset(c, 0, sizeof(*c));
    struct rp_errbuf eb = {0};
    if (rp_store_new(ctx->db_path, RP_STORE_RDWR, &c->st, &eb) != RP_OK ||
        rp_posture_standards_load(&c->s, &eb) != RP_OK ||
        rp_posture_std_selection_load(c->st, c->s, &c->sel, &eb) != RP_OK) {
        rp_posture_standards_free(c->s);
        rp_store_free(c->st);
        return rp_cmd_error(VERB, "%s", eb.msg);
    }
    return RP_EXIT_OK;
}

static void sclose(struct sctx *c)
{
    rp_posture_std_selection_free(c->sel);
    rp_posture_standards_free(c->s);
    rp_store_free(c->st);
}

static rp_err report(struct sctx *c, const char *account, const char *region, struct rp_arena *a,
                     struct rp_posture_std_report **out, struct rp_errbuf *eb)
{
    struct rp_posture_std_eval *ev = NULL;
    size_t n = 0;
    rp_err e = rp_posture_std_evals_load(c->st, a, 0, &ev, &n, eb);
    struct rp_posture_std_scope sc = {account, region};
    if (e == RP_OK) e = rp_posture_std_report_build(c->s, c->sel, ev, n, &sc, out, eb);
    return e;
}

static int finish_out(struct rp_out *out, rp_err e)
{
    if (e == RP_OK) e = rp_out_flush(out);
    rp_out_free(out);
    if (e) return rp_cmd_error(VERB, "cannot write the result: %s", rp_strerror(e));
    return RP_EXIT_OK;
}

static void pct(const struct rp_posture_std_result *r, char *b, size_t n)
{
    int p = r ? rp_posture_std_score_pct(r) : -1;
    if (p < 0)
        snprintf(b, n, "-");
    else
        snprintf(b, n, "%d%%", p);
}

static int list(struct rp_cmd_ctx *ctx, struct sctx *c)
{
    struct rp_arena a;
    rp_arena_init(&a, 1u << 20);
    struct rp_posture_std_report *r = NULL;
    struct rp_errbuf eb = {0};
    rp_err e = report(c, NULL, NULL, &a, &r, &eb);
    if (e) {
        rp_arena_release(&a);
        return rp_cmd_error(VERB, "%s", eb.msg);
    }
    static const struct rp_out_col cols[] = {{"StandardsId", 0},
                                             {"Name", 0},
                                             {"Enabled", 0},
                                             {"Controls", RP_OUT_COL_NUM},
                                             {"Score", 0}};
    struct rp_out *out = rp_out_new(ctx, cols, RP_ARRAY_LEN(cols));
    e = out ? RP_OK : RP_ENOMEM;
    for (size_t i = 0; i < rp_posture_standards_count(c->s) && e == RP_OK; i++) {
        const struct rp_posture_standard *std = rp_posture_standards_at(c->s, i);
        const struct rp_posture_std_result *res = NULL;
        for (size_t k = 0; k < r->nstandards; k++)
            if (r->standards[k].standard == std) res = &r->standards[k];
        char nc[16], sc[16];
        snprintf(nc, sizeof nc, "%zu", std->ncontrols);
        pct(res, sc, sizeof sc);
        const char *vals[] = {std->id, std->name,
                              rp_posture_std_selection_enabled(c->sel, std) ? "yes" : "no", nc,
                              res ? sc : "-"};
        e = rp_out_row(out, vals);
    }
    rp_posture_std_report_free(r);
    rp_arena_release(&a);
    return finish_out(out, e);
}

static int score(struct rp_cmd_ctx *ctx, struct sctx *c, const char *account, const char *region)
{
    struct rp_arena a;
    rp_arena_init(&a, 1u << 20);
    struct rp_posture_std_report *r = NULL;
    struct rp_errbuf eb = {0};
    rp_err e = report(c, account, region, &a, &r, &eb);
    if (e) {
        rp_arena_release(&a);
        return rp_cmd_error(VERB, "%s", eb.msg);
    }
    static const struct rp_out_col cols[] = {{"Standard", 0},
                                             {"Score", 0},
                                             {"Passed", RP_OUT_COL_NUM},
                                             {"Failed", RP_OUT_COL_NUM},
                                             {"Unknown", RP_OUT_COL_NUM},
                                             {"NoData", RP_OUT_COL_NUM},
                                             {"Disabled", RP_OUT_COL_NUM}};
    struct rp_out *out = rp_out_new(ctx, cols, RP_ARRAY_LEN(cols));
    e = out ? RP_OK : RP_ENOMEM;
    for (size_t i = 0; i <= r->nstandards && e == RP_OK; i++) {
        const struct rp_posture_std_result *res =
            i < r->nstandards ? &r->standards[i] : &r->overall;
        char sc[16], n[5][24];
        pct(res, sc, sizeof sc);
        for (int k = 0; k < 5; k++) snprintf(n[k], sizeof n[k], "%zu", res->by_status[k]);
        const char *vals[] = {
            res->standard ? res->standard->id : "overall", sc, n[0], n[1], n[2], n[3], n[4]};
        e = rp_out_row(out, vals);
    }
    rp_posture_std_report_free(r);
    rp_arena_release(&a);
    return finish_out(out, e);
}

static int controls(struct rp_cmd_ctx *ctx, struct sctx *c, const char *stdname, const char *status)
{
    const struct rp_posture_standard *std = rp_posture_standards_find(c->s, stdname);
    if (!std) return rp_cmd_error(VERB, "no standard '%s' (see `rampart standards list`)", stdname);
    if (!rp_posture_std_selection_enabled(c->sel, std))
        return rp_cmd_error(VERB, "standard '%s' is not enabled (`rampart standards enable %s`)",
                            std->id, std->id);
    struct rp_arena a;
    rp_arena_init(&a, 1u << 20);
    struct rp_posture_std_report *r = NULL;
    struct rp_errbuf eb = {0};
    rp_err e = report(c, NULL, NULL, &a, &r, &eb);
    if (e) {
        rp_arena_release(&a);
        return rp_cmd_error(VERB, "%s", eb.msg);
    }
    struct rp_posture_ruleset *rules = NULL;
    struct rp_errbuf reb = {0};
    if (rp_posture_ruleset_load_managed(&rules, &reb) != RP_OK) rules = NULL;
    static const struct rp_out_col cols[] = {{"ControlId", 0},
                                             {"SecurityControlId", 0},
                                             {"Title", 0},
                                             {"Severity", 0},
                                             {"Status", 0},
                                             {"Failed", RP_OUT_COL_NUM},
                                             {"Passed", RP_OUT_COL_NUM},
                                             {"Unknown", RP_OUT_COL_NUM},
                                             {"Note", 0}};
    struct rp_out *out = rp_out_new(ctx, cols, RP_ARRAY_LEN(cols));
    e = out ? RP_OK : RP_ENOMEM;
    const struct rp_posture_std_result *res = NULL;
    for (size_t k = 0; k < r->nstandards; k++)
        if (r->standards[k].standard == std) res = &r->standards[k];
    for (size_t i = 0; res && i < res->ncontrols && e == RP_OK; i++) {
        const struct rp_posture_ctl_result *cr = &res->controls[i];
        const char *sn = rp_posture_ctl_status_name(cr->status);
        if (status) {
            size_t l = strlen(sn);
            const char *p = strstr(status, sn);
            bool hit = false;
            while (p && !hit) {
                hit = (p == status || p[-1] == ',') && (p[l] == ',' || p[l] == '\0');
                p = strstr(p + 1, sn);
            }
            if (!hit) continue;
        }
        char n[3][24];
        snprintf(n[0], sizeof n[0], "%zu", cr->failed);
        snprintf(n[1], sizeof n[1], "%zu", cr->passed);
        snprintf(n[2], sizeof n[2], "%zu", cr->warning);
        char nb[200];
        const char *note = cr->disabled_reason  ? cr->disabled_reason
                           : !cr->control->rule ? cr->control->reason
                                                : "";
        if (!cr->disabled_reason && cr->control->rule && rules &&
            !rp_posture_ruleset_find(rules, cr->control->rule)) {
            snprintf(nb, sizeof nb, "Rampart has no rule %s", cr->control->rule);
            note = nb;
        }
        const char *vals[] = {cr->control_ids,
                              cr->control->id,
                              cr->control->title,
                              cr->control->severity,
                              sn,
                              n[0],
                              n[1],
                              n[2],
                              note};
        e = rp_out_row(out, vals);
    }
    rp_posture_ruleset_free(rules);
    rp_posture_std_report_free(r);
    rp_arena_release(&a);
    return finish_out(out, e);
}

int rp_cmd_standards(struct rp_cmd_ctx *ctx, int argc, char **argv)
{
    if (argc < 2) return rp_cmd_usage_error(VERB, "which subcommand?");
    const char *sub = argv[1];
    const char *std = NULL, *reason = NULL, *status = NULL, *account = NULL, *region = NULL,
               *arg = NULL;
    for (int i = 2; i < argc; i++) {
        const char *val = NULL;
        int m;
        if ((m = rp_cmd_opt_value("--standard", argc, argv, &i, &val)) > 0)
            std = val;
        else if ((m = rp_cmd_opt_value("--reason", argc, argv, &i, &val)) > 0)
            reason = val;
        else if ((m = rp_cmd_opt_value("--status", argc, argv, &i, &val)) > 0)
            status = val;
        else if ((m = rp_cmd_opt_value("--account", argc, argv, &i, &val)) > 0)
            account = val;
        else if ((m = rp_cmd_opt_value("--region", argc, argv, &i, &val)) > 0)
            region = val;
        else if (m < 0)
            return rp_cmd_usage_error(VERB, "%s needs a value", argv[i]);
        else if (argv[i][0] == '-')
            return rp_cmd_usage_error(VERB, "unknown option '%s'", argv[i]);
        else if (arg)
            return rp_cmd_usage_error(VERB, "%s takes one argument", sub);
        else
            arg = argv[i];
    }
    bool needs_arg = strcmp(sub, "enable") == 0 || strcmp(sub, "disable") == 0 ||
                     strcmp(sub, "controls") == 0 || strcmp(sub, "disable-control") == 0 ||
                     strcmp(sub, "enable-control") == 0;
    bool known = needs_arg || strcmp(sub, "list") == 0 || strcmp(sub, "score") == 0;
    if (!known) return rp_cmd_usage_error(VERB, "unknown subcommand '%s'", sub);
    if (needs_arg && !arg) return rp_cmd_usage_error(VERB, "%s needs an argument", sub);
    if (!needs_arg && arg) return rp_cmd_usage_error(VERB, "%s takes no argument", sub);
    struct sctx c;
    int rc = sopen(ctx, &c);
    if (rc) return rc;
    struct rp_errbuf eb = {0};
    rp_err e = RP_OK;
    bool save = false;
    if (strcmp(sub, "list") == 0)
        rc = list(ctx, &c);
    else if (strcmp(sub, "score") == 0)
        rc = score(ctx, &c, account, region);
    else if (strcmp(sub, "controls") == 0)
        rc = controls(ctx, &c, arg, status);
    else if (strcmp(sub, "enable") == 0)
        save = (e = rp_posture_std_selection_enable(c.sel, arg, &eb)) == RP_OK;
    else if (strcmp(sub, "disable") == 0)
        save = (e = rp_posture_std_selection_disable(c.sel, arg, &eb)) == RP_OK;
    else if (strcmp(sub, "disable-control") == 0)
        save =
            (e = rp_posture_std_selection_disable_control(c.sel, std, arg, reason, &eb)) == RP_OK;
    else
        save = (e = rp_posture_std_selection_enable_control(c.sel, std, arg, &eb)) == RP_OK;
    if (save) e = rp_posture_std_selection_save(c.st, c.sel, &eb);
    if (e) rc = rp_cmd_error(VERB, "%s", eb.msg);
    sclose(&c);
    return rc;
}
