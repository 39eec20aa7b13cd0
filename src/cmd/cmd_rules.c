/* SPDX-License-Identifier: Apache-2.0 */
/* `rampart rules`: AWS Config rules over the inventory in the store (src/posture,
 * docs/rules.md): list and describe the managed rules, configure them (parameters, disable),
 * add custom Guard rules, evaluate, and read the compliance, per rule and resource, and its
 * timeline. Conformance packs are `rampart rules conformance-pack` (cmd_rules_pack.c). */
#define RP_LOG_MODULE "cmd"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd_rules.h"
#include "cmd/cmd_verbs.h"
#include "core/rp_buf.h"
#include "core/rp_gz.h"
#include "core/rp_json.h"
#include "core/rp_time.h"
#include "posture/posture.h"
#include "posture/posture_internal.h"
#include "posture/posture_run.h"
#include "store/store.h"
#include "core/rp_banned.h"

#define VERB "rules"

const char rp_cmd_rules_usage[] =
    "rampart rules list [--all]\n"
    "       rampart rules describe RULE\n"
    "       rampart rules eval [--at TIME] [--rule NAME]... [--dry-run] [--no-findings]\n"
    "       rampart rules compliance [--rule NAME] [--resource ID] [--type TYPE]\n"
    "                                [--compliance C[,C..]]\n"
    "       rampart rules history [--rule NAME] [--resource ID]\n"
    "       rampart rules enable RULE [--name NAME] [--param KEY=VALUE]...\n"
    "       rampart rules disable NAME\n"
    "       rampart rules add --guard FILE --name NAME --resource-types T[,T..] [--param "
    "KEY=VALUE]...\n"
    "       rampart rules remove NAME\n"
    "       rampart rules score TRUTH.jsonl\n"
    "       rampart rules conformance-pack load FILE [--name NAME] [--param KEY=VALUE]...\n"
    "       rampart rules conformance-pack list | compliance [NAME] | remove NAME";

const char rp_cmd_rules_help[] =
    "AWS Config rules over the configuration items in the store (`rampart ingest` reads\n"
    "Config snapshots, history files, change notifications and the estate/ IAM and EC2\n"
    "files). Every managed rule runs under its AWS name with its default parameters unless\n"
    "disabled; rules with a required parameter run once `rules enable` gives it.\n"
    "\n"
    "  list                the active rule configurations: name, identifier, resource types,\n"
    "                      trigger, source (managed, user, pack:NAME, standard), parameters\n"
    "      --all           also the managed rules that wait for a parameter, and disabled ones\n"
    "  describe RULE       a rule by identifier or name: what it checks, parameters with\n"
    "                      types and defaults, what it needs, its Guard text\n"
    "  eval                evaluate every active configuration over the current inventory;\n"
    "                      changes go to the compliance timeline, NON_COMPLIANT results to the\n"
    "                      findings hub (ASFF, Compliance.Status FAILED)\n"
    "      --at TIME       the evaluation time (ages of keys, certificates..); default: the\n"
    "                      newest capture time in the store\n"
    "      --rule NAME     only this configuration (repeatable; a name or an identifier)\n"
    "      --dry-run       evaluate and count, store nothing\n"
    "      --no-findings   do not send findings to the hub\n"
    "  compliance          per rule: how many resources are COMPLIANT, NON_COMPLIANT,\n"
    "                      NOT_APPLICABLE, INSUFFICIENT_DATA, and the rule's compliance; with\n"
    "                      --rule or --resource: one row per evaluation with its annotation\n"
    "  history             the compliance timeline: every change, at the capture time of the\n"
    "                      configuration item that caused it\n"
    "  enable RULE         run RULE (identifier or name) under --name (default: its AWS\n"
    "                      name) with --param values (AWS's InputParameters)\n"
    "  disable NAME        stop running a configuration\n"
    "  add --guard FILE    a custom policy rule in CloudFormation Guard 2.x (docs/guard.md),\n"
    "                      scoped to --resource-types; --param values are bound as %KEY\n"
    "  remove NAME         delete a custom rule or a configuration made with enable\n"
    "  conformance-pack    load AWS conformance pack templates (docs/conformance-packs.md)\n"
    "  score TRUTH         the evaluations against a simulator's truth.jsonl: planted\n"
    "                      misconfigurations NON_COMPLIANT, clean look-alikes COMPLIANT\n"
    "\n"
    "Exit status: 0 done; 1 failure; 2 usage. See docs/rules.md.";

static int open_store(struct rp_cmd_ctx *ctx, unsigned flags, struct rp_store **st)
{
    struct rp_errbuf eb = {0};
    if (rp_store_new(ctx->db_path, flags, st, &eb)) return rp_cmd_error(VERB, "%s", eb.msg);
    return RP_EXIT_OK;
}

static struct rp_posture_ruleset *load_rules(struct rp_store *st)
{
    struct rp_posture_ruleset *set = NULL;
    struct rp_errbuf eb = {0};
    if (rp_posture_ruleset_load_managed(&set, &eb) != RP_OK) {
        rp_cmd_error(VERB, "%s", eb.msg);
        return NULL;
    }
    if (st && rp_posture_ruleset_add_stored(st, set, stderr, &eb) != RP_OK) {
        rp_cmd_error(VERB, "%s", eb.msg);
        rp_posture_ruleset_free(set);
        return NULL;
    }
    return set;
}

static const char *trigger_name(enum rp_posture_trigger t)
{
    return t == RP_PT_PERIODIC ? "Periodic" : t == RP_PT_BOTH ? "Both" : "ConfigurationChanges";
}

static const char *param_type_name(enum rp_posture_param_type t)
{
    static const char *const n[] = {"String", "int", "double", "boolean", "CSV", "StringMap"};
    return (unsigned)t < 6 ? n[t] : "?";
}

/* "a,b" of the rule's resource types into buf. */
static const char *types_of(const struct rp_posture_rule *r, char *buf, size_t n)
{
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < r->ntypes && o < n; i++)
        o += (size_t)snprintf(buf + o, n - o, "%s%s", i ? "," : "", r->resource_types[i]);
    return buf;
}

static int flush(struct rp_out *out)
{
    rp_err e = rp_out_flush(out);
    rp_out_free(out);
    if (e) return rp_cmd_error(VERB, "cannot write the result: %s", rp_strerror(e));
    return RP_EXIT_OK;
}

/* ---- list / describe ---------------------------------------------------------------------- */

static int list(struct rp_cmd_ctx *ctx, int argc, char **argv)
{
    bool all = false;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--all") == 0)
            all = true;
        else
            return rp_cmd_usage_error(VERB, "unknown argument '%s'", argv[i]);
    }
    struct rp_store *st = NULL;
    int rc = open_store(ctx, RP_STORE_RDWR, &st);
    if (rc) return rc;
    struct rp_posture_ruleset *set = load_rules(st);
    struct rp_errbuf eb = {0};
    struct rp_posture_cfgs cs;
    memset(&cs, 0, sizeof(cs));
    if (!set || rp_posture_standards_cfgs_add(st, set, &eb) != RP_OK ||
        rp_posture_cfgs_collect(st, set, &cs, stderr, &eb) != RP_OK) {
        if (set)
            rc = rp_cmd_error(VERB, "%s", eb.msg);
        else
            rc = RP_EXIT_ERROR;
        rp_posture_cfgs_release(&cs);
        rp_posture_ruleset_free(set);
        rp_store_free(st);
        return rc;
    }
    static const struct rp_out_col cols[] = {{"ConfigRuleName", 0},
                                             {"Identifier", 0},
                                             {"ResourceTypes", 0},
                                             {"Trigger", 0},
                                             {"Source", 0},
                                             {"State", 0},
                                             {"InputParameters", RP_OUT_COL_JSON}};
    struct rp_out *out = rp_out_new(ctx, cols, RP_ARRAY_LEN(cols));
    rp_err e = out ? RP_OK : RP_ENOMEM;
    char tb[512];
    struct rp_buf pj;
    rp_buf_init(&pj, 1u << 20);
    for (size_t i = 0; i < cs.n && e == RP_OK; i++) {
        const struct rp_posture_cfg *c = &cs.v[i];
        rp_buf_reset(&pj);
        struct rp_json_writer w;
        rp_json_writer_init(&w, &pj);
        rp_json_write_obj_begin(&w);
        for (size_t k = 0; k < c->nparams; k++)
            rp_json_write_kv_cstr(&w, c->params[k].name, c->params[k].value);
        rp_json_write_obj_end(&w);
        e = rp_json_writer_finish(&w);
        if (e == RP_OK) e = rp_buf_putc(&pj, '\0');
        const char *vals[] = {c->name,
                              c->rule->identifier,
                              types_of(c->rule, tb, sizeof(tb)),
                              trigger_name(c->rule->trigger),
                              c->source,
                              "ACTIVE",
                              pj.data};
        if (e == RP_OK) e = rp_out_row(out, vals);
    }
    if (all)
        for (size_t i = 0; i < rp_posture_ruleset_count(set) && e == RP_OK; i++) {
            const struct rp_posture_rule *r = rp_posture_ruleset_at(set, i);
            const char *name = r->name ? r->name : r->identifier;
            bool active = false;
            for (size_t k = 0; k < cs.n && !active; k++) active = cs.v[k].rule == r;
            if (active) continue;
            const char *state = "DISABLED";
            for (size_t k = 0; k < r->nparams; k++)
                if (!r->params[k].optional && !r->params[k].dflt) state = "NEEDS_PARAMETERS";
            const char *vals[] = {name,
                                  r->identifier,
                                  types_of(r, tb, sizeof(tb)),
                                  trigger_name(r->trigger),
                                  r->custom ? "user" : "managed",
                                  state,
                                  "{}"};
            e = rp_out_row(out, vals);
        }
    rp_buf_release(&pj);
    rp_posture_cfgs_release(&cs);
    rp_posture_ruleset_free(set);
    rp_store_free(st);
    if (e) {
        rp_out_free(out);
        return rp_cmd_error(VERB, "%s", rp_strerror(e));
    }
    return flush(out);
}

static int describe(struct rp_cmd_ctx *ctx, int argc, char **argv)
{
    if (argc != 1) return rp_cmd_usage_error(VERB, "describe takes one RULE");
    struct rp_store *st = NULL;
    int rc = open_store(ctx, RP_STORE_RDWR, &st);
    if (rc) return rc;
    struct rp_posture_ruleset *set = load_rules(st);
    if (!set) {
        rp_store_free(st);
        return RP_EXIT_ERROR;
    }
    const struct rp_posture_rule *r = rp_posture_ruleset_find(set, argv[0]);
    if (!r) {
        rp_posture_ruleset_free(set);
        rp_store_free(st);
        return rp_cmd_error(VERB, "no rule '%s' (see `rampart rules list --all`)", argv[0]);
    }
    FILE *f = ctx->out;
    char tb[512];
    if (ctx->format == RP_OUT_JSON) {
        struct rp_buf b;
        rp_buf_init(&b, 1u << 20);
        struct rp_json_writer w;
        rp_json_writer_init(&w, &b);
        rp_json_write_obj_begin(&w);
        rp_json_write_kv_cstr(&w, "Identifier", r->identifier);
        rp_json_write_kv_cstr(&w, "ConfigRuleName", r->name ? r->name : r->identifier);
        rp_json_write_kv_cstr(&w, "Description", r->description);
        rp_json_write_key(&w, "ResourceTypes", 13);
        rp_json_write_arr_begin(&w);
        for (size_t i = 0; i < r->ntypes; i++) rp_json_write_cstr(&w, r->resource_types[i]);
        rp_json_write_arr_end(&w);
        rp_json_write_kv_cstr(&w, "Trigger", trigger_name(r->trigger));
        rp_json_write_key(&w, "Parameters", 10);
        rp_json_write_arr_begin(&w);
        for (size_t i = 0; i < r->nparams; i++) {
            rp_json_write_obj_begin(&w);
            rp_json_write_kv_cstr(&w, "Name", r->params[i].name);
            rp_json_write_kv_cstr(&w, "Type", param_type_name(r->params[i].type));
            rp_json_write_kv_cstr(&w, "Default", r->params[i].dflt);
            rp_json_write_kv_bool(&w, "Optional", r->params[i].optional);
            rp_json_write_obj_end(&w);
        }
        rp_json_write_arr_end(&w);
        rp_json_write_kv_cstr(&w, "Engine", r->check ? "c" : "guard");
        rp_json_write_kv_cstr(&w, "Source", r->path);
        rp_json_write_obj_end(&w);
        if (rp_json_writer_finish(&w) == RP_OK) fprintf(f, "%.*s\n", (int)b.len, b.data);
        rp_buf_release(&b);
    } else {
        fprintf(f, "Identifier:     %s\n", r->identifier);
        fprintf(f, "ConfigRuleName: %s\n", r->name ? r->name : r->identifier);
        if (r->description) fprintf(f, "Description:    %s\n", r->description);
        fprintf(f, "ResourceTypes:  %s\n", types_of(r, tb, sizeof(tb)));
        fprintf(f, "Trigger:        %s\n", trigger_name(r->trigger));
        for (size_t i = 0; i < r->nparams; i++)
            fprintf(f, "Parameter:      %s (%s%s%s%s)\n", r->params[i].name,
                    param_type_name(r->params[i].type), r->params[i].dflt ? ", default " : "",
                    r->params[i].dflt ? r->params[i].dflt : "",
                    r->params[i].optional ? ", optional" : "");
        for (size_t i = 0; i < r->nrequires; i++)
            fprintf(f, "Needs:          %s\n", r->requires[i]);
        for (size_t i = 0; i < r->nlookups; i++)
            fprintf(f, "Lookup:         %%%s = %s%s%s%s%s\n", r->lookups[i].var,
                    r->lookups[i].resource_type, r->lookups[i].key ? " where " : " in the account",
                    r->lookups[i].key ? r->lookups[i].key : "", r->lookups[i].key ? " = " : "",
                    r->lookups[i].key ? r->lookups[i].match : "");
        fprintf(f, "Engine:         %s\n", r->check ? "C check (policy analysis)" : "Guard");
        fprintf(f, "Source:         %s\n", r->path);
    }
    rp_posture_ruleset_free(set);
    rp_store_free(st);
    return RP_EXIT_OK;
}

/* ---- eval ------------------------------------------------------------------------------------ */

static int eval(struct rp_cmd_ctx *ctx, int argc, char **argv)
{
    struct rp_posture_eval_opts o = {0};
    const char *only[64];
    for (int i = 0; i < argc; i++) {
        const char *val = NULL;
        int m;
        if ((m = rp_cmd_opt_value("--at", argc, argv, &i, &val)) > 0) {
            struct rp_errbuf eb = {0};
            if (rp_time_parse_filter(rp_str_from(val), rp_time_now_ms(), &o.at_ms, &eb))
                return rp_cmd_usage_error(VERB, "--at: %s", eb.msg);
        } else if ((m = rp_cmd_opt_value("--rule", argc, argv, &i, &val)) > 0) {
            if (o.nonly == 64) return rp_cmd_usage_error(VERB, "too many --rule");
            only[o.nonly++] = val;
        } else if (m == 0 && strcmp(argv[i], "--dry-run") == 0)
            o.dry_run = true;
        else if (m == 0 && strcmp(argv[i], "--no-findings") == 0)
            o.no_hub = true;
        else if (m < 0)
            return rp_cmd_usage_error(VERB, "%s needs a value", argv[i]);
        else
            return rp_cmd_usage_error(VERB, "unknown argument '%s'", argv[i]);
    }
    o.only = o.nonly ? only : NULL;
    struct rp_store *st = NULL;
    int rc = open_store(ctx, RP_STORE_RDWR, &st);
    if (rc) return rc;
    struct rp_posture_eval_stats s;
    struct rp_errbuf eb = {0};
    rp_err e = rp_posture_eval_run(st, &o, stderr, &s, &eb);
    rp_store_free(st);
    if (e) return rp_cmd_error(NULL, "%s", eb.msg);
    char at[32] = "";
    if (rp_time_format_iso_s(s.at_ms, at, sizeof(at)) != RP_OK) at[0] = '\0';
    static const struct rp_out_col cols[] = {{"EvaluatedAt", 0},
                                             {"Resources", RP_OUT_COL_NUM},
                                             {"Accounts", RP_OUT_COL_NUM},
                                             {"Rules", RP_OUT_COL_NUM},
                                             {"Evaluations", RP_OUT_COL_NUM},
                                             {"COMPLIANT", RP_OUT_COL_NUM},
                                             {"NON_COMPLIANT", RP_OUT_COL_NUM},
                                             {"NOT_APPLICABLE", RP_OUT_COL_NUM},
                                             {"INSUFFICIENT_DATA", RP_OUT_COL_NUM},
                                             {"Changes", RP_OUT_COL_NUM},
                                             {"Findings", RP_OUT_COL_NUM}};
    char n[10][24];
    size_t v[10] = {s.resources,        s.accounts,         s.configs,          s.evaluations,
                    s.by_compliance[0], s.by_compliance[1], s.by_compliance[2], s.by_compliance[3],
                    s.changes,          s.findings};
    for (int i = 0; i < 10; i++) snprintf(n[i], sizeof n[i], "%zu", v[i]);
    const char *vals[] = {at, n[0], n[1], n[2], n[3], n[4], n[5], n[6], n[7], n[8], n[9]};
    struct rp_out *out = rp_out_new(ctx, cols, RP_ARRAY_LEN(cols));
    if (!out) return rp_cmd_error(VERB, "out of memory");
    if (rp_out_row(out, vals) != RP_OK) {
        rp_out_free(out);
        return rp_cmd_error(VERB, "out of memory");
    }
    rc = flush(out);
    if (rc == RP_EXIT_OK && s.skipped) return RP_EXIT_PARTIAL;
    return rc;
}

/* ---- compliance / history ---------------------------------------------------------------- */

int rp_cmd_rules_sql_rows(struct rp_cmd_ctx *ctx, const char *verb, struct rp_store *st,
                          const char *sql, const char **params, int nparams,
                          const struct rp_out_col *cols, size_t ncols)
{
    struct rp_errbuf eb = {0};
    struct rp_store_stmt *s = NULL;
    rp_err e = rp_store_stmt_prepare(st, sql, &s, &eb);
    for (int i = 0; i < nparams && e == RP_OK; i++)
        e = params[i] ? rp_store_stmt_bind_cstr(s, i + 1, params[i], &eb)
                      : rp_store_stmt_bind_null(s, i + 1, &eb);
    struct rp_out *out = rp_out_new(ctx, cols, ncols);
    if (!out) e = rp_fail(&eb, RP_ENOMEM, "out of memory");
    bool row = false;
    const char *vals[16];
    while (e == RP_OK && (e = rp_store_stmt_step(s, &row, &eb)) == RP_OK && row) {
        for (size_t c = 0; c < ncols && c < 16; c++)
            vals[c] = rp_store_stmt_column_text(s, (int)c, NULL);
        e = rp_out_row(out, vals);
    }
    if (s) rp_store_stmt_reset(s);
    if (e == RP_OK) e = rp_out_flush(out);
    rp_out_free(out);
    if (e) return rp_cmd_error(verb, "%s", eb.msg[0] ? eb.msg : rp_strerror(e));
    return RP_EXIT_OK;
}

static int compliance(struct rp_cmd_ctx *ctx, int argc, char **argv)
{
    const char *rule = NULL, *res = NULL, *type = NULL, *comp = NULL;
    for (int i = 0; i < argc; i++) {
        const char *val = NULL;
        int m;
        if ((m = rp_cmd_opt_value("--rule", argc, argv, &i, &val)) > 0)
            rule = val;
        else if ((m = rp_cmd_opt_value("--resource", argc, argv, &i, &val)) > 0)
            res = val;
        else if ((m = rp_cmd_opt_value("--type", argc, argv, &i, &val)) > 0)
            type = val;
        else if ((m = rp_cmd_opt_value("--compliance", argc, argv, &i, &val)) > 0)
            comp = val;
        else if (m < 0)
            return rp_cmd_usage_error(VERB, "%s needs a value", argv[i]);
        else
            return rp_cmd_usage_error(VERB, "unknown argument '%s'", argv[i]);
    }
    if (comp) {
        struct rp_str rest = rp_str_from(comp), tok;
        while (rp_str_split_next(&rest, ',', &tok)) {
            char b[32];
            snprintf(b, sizeof b, "%.*s", (int)tok.len, tok.p);
            enum rp_posture_compliance c;
            if (!rp_posture_compliance_parse(b, &c))
                return rp_cmd_usage_error(VERB,
                                          "--compliance: '%s' is not COMPLIANT, NON_COMPLIANT, "
                                          "NOT_APPLICABLE or INSUFFICIENT_DATA",
                                          b);
        }
    }
    struct rp_store *st = NULL;
    int rc = open_store(ctx, RP_STORE_RDWR, &st);
    if (rc) return rc;
    const char *p[4] = {rule, res, type, comp};
    if (!rule && !res && !type) {
        static const struct rp_out_col cols[] = {{"ConfigRuleName", 0},
                                                 {"Identifier", 0},
                                                 {"Compliance", 0},
                                                 {"COMPLIANT", RP_OUT_COL_NUM},
                                                 {"NON_COMPLIANT", RP_OUT_COL_NUM},
                                                 {"NOT_APPLICABLE", RP_OUT_COL_NUM},
                                                 {"INSUFFICIENT_DATA", RP_OUT_COL_NUM}};
        rc = rp_cmd_rules_sql_rows(
            ctx, VERB, st,
            "SELECT config_rule, identifier, CASE WHEN sum(compliance = "
            "'NON_COMPLIANT') > 0 THEN 'NON_COMPLIANT' WHEN sum(compliance = "
            "'COMPLIANT') > 0 THEN 'COMPLIANT' WHEN sum(compliance = "
            "'INSUFFICIENT_DATA') > 0 THEN 'INSUFFICIENT_DATA' ELSE 'NOT_APPLICABLE' "
            "END AS c, sum(compliance = 'COMPLIANT'), sum(compliance = "
            "'NON_COMPLIANT'), sum(compliance = 'NOT_APPLICABLE'), sum(compliance = "
            "'INSUFFICIENT_DATA') FROM posture_evaluations GROUP BY config_rule HAVING ?1 "
            "IS NULL OR instr(',' || ?1 || ',', ',' || c || ',') > 0 ORDER BY "
            "config_rule",
            &comp, 1, cols, RP_ARRAY_LEN(cols));
    } else {
        static const struct rp_out_col cols[] = {{"ConfigRuleName", 0}, {"ResourceType", 0},
                                                 {"ResourceId", 0},     {"AccountId", 0},
                                                 {"Region", 0},         {"Compliance", 0},
                                                 {"Annotation", 0},     {"OrderingTimestamp", 0}};
        rc = rp_cmd_rules_sql_rows(
            ctx, VERB, st,
            "SELECT config_rule, resourceType, resourceId, rp_account, rp_region, "
            "compliance, annotation, strftime('%Y-%m-%dT%H:%M:%SZ', ordering_ms / 1000, "
            "'unixepoch') FROM posture_evaluations WHERE (?1 IS NULL OR config_rule = "
            "?1 OR identifier = ?1) AND (?2 IS NULL OR resourceId = ?2 OR ARN = ?2) AND "
            "(?3 IS NULL OR resourceType = ?3) AND (?4 IS NULL OR instr(',' || ?4 || "
            "',', ',' || compliance || ',') > 0) ORDER BY config_rule, resourceType, "
            "resourceId, rp_account, rp_region",
            p, 4, cols, RP_ARRAY_LEN(cols));
    }
    rp_store_free(st);
    return rc;
}

static int history(struct rp_cmd_ctx *ctx, int argc, char **argv)
{
    const char *rule = NULL, *res = NULL;
    for (int i = 0; i < argc; i++) {
        const char *val = NULL;
        int m;
        if ((m = rp_cmd_opt_value("--rule", argc, argv, &i, &val)) > 0)
            rule = val;
        else if ((m = rp_cmd_opt_value("--resource", argc, argv, &i, &val)) > 0)
            res = val;
        else if (m < 0)
            return rp_cmd_usage_error(VERB, "%s needs a value", argv[i]);
        else
            return rp_cmd_usage_error(VERB, "unknown argument '%s'", argv[i]);
    }
    struct rp_store *st = NULL;
    int rc = open_store(ctx, RP_STORE_RDWR, &st);
    if (rc) return rc;
    static const struct rp_out_col cols[] = {
        {"OrderingTimestamp", 0}, {"ConfigRuleName", 0}, {"ResourceType", 0}, {"ResourceId", 0},
        {"AccountId", 0},         {"Region", 0},         {"Compliance", 0},   {"Annotation", 0}};
    const char *p[2] = {rule, res};
    rc = rp_cmd_rules_sql_rows(
        ctx, VERB, st,
        "SELECT strftime('%Y-%m-%dT%H:%M:%SZ', ordering_ms / 1000, 'unixepoch'), "
        "config_rule, resourceType, resourceId, rp_account, rp_region, compliance, "
        "annotation FROM posture_eval_history WHERE (?1 IS NULL OR config_rule = ?1) "
        "AND (?2 IS NULL OR resourceId = ?2) ORDER BY ordering_ms, config_rule, "
        "resourceId, rowid",
        p, 2, cols, RP_ARRAY_LEN(cols));
    rp_store_free(st);
    return rc;
}

/* ---- configuration ------------------------------------------------------------------------ */

rp_err rp_cmd_rules_read_text(const char *path, struct rp_buf *out, struct rp_errbuf *eb)
{
    rp_err e = rp_gz_read_file(path, NULL, out, eb);
    if (e == RP_OK && rp_buf_putc(out, '\0') != RP_OK)
        e = rp_fail(eb, RP_ELIMIT, "'%s' is too large", path);
    return e;
}

rp_err rp_cmd_rules_params_split(const char *const *kv, size_t n, char (*keys)[128],
                                 struct rp_posture_paramval *out, struct rp_errbuf *eb)
{
    for (size_t i = 0; i < n; i++) {
        const char *eq = strchr(kv[i], '=');
        if (!eq || eq == kv[i] || (size_t)(eq - kv[i]) >= 128)
            return rp_fail(eb, RP_EINVAL, "--param '%s' is not KEY=VALUE", kv[i]);
        snprintf(keys[i], 128, "%.*s", (int)(eq - kv[i]), kv[i]);
        out[i] = (struct rp_posture_paramval){keys[i], eq + 1};
    }
    return RP_OK;
}

/* --param KEY=VALUE pairs as an InputParameters JSON object into out. */
rp_err rp_cmd_rules_params_json(const char *const *kv, size_t n, struct rp_buf *out,
                                struct rp_errbuf *eb)
{
    struct rp_json_writer w;
    rp_json_writer_init(&w, out);
    rp_json_write_obj_begin(&w);
    for (size_t i = 0; i < n; i++) {
        const char *eq = strchr(kv[i], '=');
        if (!eq || eq == kv[i])
            return rp_fail(eb, RP_EINVAL, "--param '%s' is not KEY=VALUE", kv[i]);
        rp_json_write_key(&w, kv[i], (size_t)(eq - kv[i]));
        rp_json_write_cstr(&w, eq + 1);
    }
    rp_json_write_obj_end(&w);
    rp_err e = rp_json_writer_finish(&w);
    if (e == RP_OK) e = rp_buf_putc(out, '\0');
    return e == RP_OK ? RP_OK : rp_fail(eb, e, "%s", rp_strerror(e));
}

rp_err rp_cmd_rules_config_put(struct rp_store *st, const char *name, const char *identifier,
                               const char *owner, const char *params, const char *scope,
                               const char *policy, const char *source, const char *state,
                               struct rp_errbuf *eb)
{
    struct rp_store_stmt *s = NULL;
    rp_err e = rp_store_stmt_prepare(
        st,
        "INSERT INTO posture_rule_configs (name, identifier, owner, parameters, scope, "
        "policy_text, source, state, created_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON "
        "CONFLICT (name) DO UPDATE SET identifier = ?2, owner = ?3, parameters = ?4, scope = ?5, "
        "policy_text = ?6, source = ?7, state = ?8",
        &s, eb);
    const char *v[8] = {name,  identifier, owner,  params ? params : "{}",
                        scope, policy,     source, state};
    for (int i = 0; i < 8 && e == RP_OK; i++)
        e = v[i] ? rp_store_stmt_bind_cstr(s, i + 1, v[i], eb)
                 : rp_store_stmt_bind_null(s, i + 1, eb);
    if (e == RP_OK) e = rp_store_stmt_bind_int64(s, 9, rp_time_now_ms(), eb);
    bool row = false;
    if (e == RP_OK) e = rp_store_stmt_step(s, &row, eb);
    if (s) rp_store_stmt_reset(s);
    return e;
}

/* Check a configuration's parameters against its rule by evaluating it once over an empty
 * document of its first type; a parameter that does not fit is the error. */
static rp_err params_check(const struct rp_posture_rule *r, const char *const *kv, size_t n,
                           struct rp_errbuf *eb)
{
    struct rp_posture_paramval pv[64];
    char keys[64][128];
    if (n > 64) return rp_fail(eb, RP_ELIMIT, "too many --param");
    rp_err pe = rp_cmd_rules_params_split(kv, n, keys, pv, eb);
    if (pe != RP_OK) return pe;
    for (size_t j = 0; j < r->nparams; j++) {
        bool given = false;
        for (size_t i = 0; i < n && !given; i++) given = strcmp(keys[i], r->params[j].name) == 0;
        if (!given && !r->params[j].optional && !r->params[j].dflt)
            return rp_fail(eb, RP_EINVAL, "rule '%s' needs --param %s=VALUE", r->identifier,
                           r->params[j].name);
    }
    struct rp_arena a;
    rp_arena_init(&a, 4096);
    struct rp_pv *doc = rp_pv_map(&a);
    rp_err e =
        doc ? rp_pv_set(&a, doc, "resourceType", rp_pv_cstr(&a, r->resource_types[0])) : RP_ENOMEM;
    struct rp_posture_verdict v;
    if (e == RP_OK) e = rp_posture_rule_eval(r, doc, pv, n, NULL, 0, &a, &v, eb);
    rp_arena_release(&a);
    return e;
}

static int enable(struct rp_cmd_ctx *ctx, int argc, char **argv)
{
    const char *rule = NULL, *name = NULL;
    const char *kv[64];
    size_t nkv = 0;
    for (int i = 0; i < argc; i++) {
        const char *val = NULL;
        int m;
        if ((m = rp_cmd_opt_value("--name", argc, argv, &i, &val)) > 0)
            name = val;
        else if ((m = rp_cmd_opt_value("--param", argc, argv, &i, &val)) > 0) {
            if (nkv == 64) return rp_cmd_usage_error(VERB, "too many --param");
            kv[nkv++] = val;
        } else if (m < 0)
            return rp_cmd_usage_error(VERB, "%s needs a value", argv[i]);
        else if (argv[i][0] == '-')
            return rp_cmd_usage_error(VERB, "unknown option '%s'", argv[i]);
        else if (rule)
            return rp_cmd_usage_error(VERB, "enable takes one RULE");
        else
            rule = argv[i];
    }
    if (!rule) return rp_cmd_usage_error(VERB, "enable needs a RULE");
    struct rp_store *st = NULL;
    int rc = open_store(ctx, RP_STORE_RDWR, &st);
    if (rc) return rc;
    struct rp_posture_ruleset *set = load_rules(st);
    struct rp_errbuf eb = {0};
    const struct rp_posture_rule *r = set ? rp_posture_ruleset_find(set, rule) : NULL;
    struct rp_buf pj;
    rp_buf_init(&pj, 1u << 20);
    if (!set)
        rc = RP_EXIT_ERROR;
    else if (!r)
        rc = rp_cmd_error(VERB, "no rule '%s' (see `rampart rules list --all`)", rule);
    else if (params_check(r, kv, nkv, &eb) != RP_OK ||
             rp_cmd_rules_params_json(kv, nkv, &pj, &eb) != RP_OK ||
             rp_cmd_rules_config_put(st, name ? name : (r->name ? r->name : r->identifier),
                                     r->identifier, r->custom ? "CUSTOM_POLICY" : "AWS", pj.data,
                                     NULL, NULL, "user", "ACTIVE", &eb) != RP_OK)
        rc = rp_cmd_error(VERB, "%s", eb.msg);
    rp_buf_release(&pj);
    rp_posture_ruleset_free(set);
    rp_store_free(st);
    return rc;
}

static int disable_or_remove(struct rp_cmd_ctx *ctx, int argc, char **argv, bool remove)
{
    if (argc != 1)
        return rp_cmd_usage_error(VERB, "%s takes one NAME", remove ? "remove" : "disable");
    struct rp_store *st = NULL;
    int rc = open_store(ctx, RP_STORE_RDWR, &st);
    if (rc) return rc;
    struct rp_errbuf eb = {0};
    rp_err e = RP_OK;
    if (remove) {
        struct rp_store_stmt *s = NULL;
        e = rp_store_stmt_prepare(st,
                                  "DELETE FROM posture_rule_configs WHERE name = ?1 AND source = "
                                  "'user'",
                                  &s, &eb);
        if (e == RP_OK) e = rp_store_stmt_bind_cstr(s, 1, argv[0], &eb);
        bool row = false;
        if (e == RP_OK) e = rp_store_stmt_step(s, &row, &eb);
        if (s) rp_store_stmt_reset(s);
        if (e == RP_OK && rp_store_changes(st) == 0)
            rc = rp_cmd_error(VERB, "no custom rule or configuration '%s' made with add or enable",
                              argv[0]);
    } else {
        struct rp_posture_ruleset *set = load_rules(st);
        struct rp_posture_cfgs cs;
        memset(&cs, 0, sizeof(cs));
        if (!set || rp_posture_cfgs_collect(st, set, &cs, NULL, &eb) != RP_OK) {
            rc = RP_EXIT_ERROR;
        } else {
            const struct rp_posture_cfg *c = NULL;
            for (size_t i = 0; i < cs.n && !c; i++)
                if (strcmp(cs.v[i].name, argv[0]) == 0) c = &cs.v[i];
            if (!c)
                rc = rp_cmd_error(VERB, "no active rule configuration '%s'", argv[0]);
            else
                e = rp_cmd_rules_config_put(st, c->name, c->rule->identifier,
                                            c->rule->custom ? "CUSTOM_POLICY" : "AWS", NULL, NULL,
                                            NULL, "user", "DISABLED", &eb);
        }
        rp_posture_cfgs_release(&cs);
        rp_posture_ruleset_free(set);
    }
    rp_store_free(st);
    if (e) return rp_cmd_error(VERB, "%s", eb.msg);
    return rc;
}

static int add(struct rp_cmd_ctx *ctx, int argc, char **argv)
{
    const char *guard = NULL, *name = NULL, *types = NULL;
    const char *kv[64];
    size_t nkv = 0;
    for (int i = 0; i < argc; i++) {
        const char *val = NULL;
        int m;
        if ((m = rp_cmd_opt_value("--guard", argc, argv, &i, &val)) > 0)
            guard = val;
        else if ((m = rp_cmd_opt_value("--name", argc, argv, &i, &val)) > 0)
            name = val;
        else if ((m = rp_cmd_opt_value("--resource-types", argc, argv, &i, &val)) > 0)
            types = val;
        else if ((m = rp_cmd_opt_value("--param", argc, argv, &i, &val)) > 0) {
            if (nkv == 64) return rp_cmd_usage_error(VERB, "too many --param");
            kv[nkv++] = val;
        } else if (m < 0)
            return rp_cmd_usage_error(VERB, "%s needs a value", argv[i]);
        else
            return rp_cmd_usage_error(VERB, "unknown argument '%s'", argv[i]);
    }
    if (!guard) return rp_cmd_usage_error(VERB, "add needs --guard FILE");
    if (!name) return rp_cmd_usage_error(VERB, "add needs --name NAME");
    if (!types) return rp_cmd_usage_error(VERB, "add needs --resource-types TYPE[,TYPE..]");
    struct rp_buf text;
    rp_buf_init(&text, 4u << 20);
    struct rp_errbuf reb = {0};
    rp_err e = rp_cmd_rules_read_text(guard, &text, &reb);
    if (e) {
        rp_buf_release(&text);
        return rp_cmd_error(VERB, "%s", reb.msg);
    }
    /* the scope, and a compile check with the same predeclared parameters as the run */
    const char *tl[64];
    char tb[64][128];
    size_t nt = 0;
    struct rp_str rest = rp_str_from(types), tok;
    while (rp_str_split_next(&rest, ',', &tok) && nt < 64) {
        tok = rp_str_trim(tok);
        if (!tok.len) continue;
        snprintf(tb[nt], sizeof tb[nt], "%.*s", (int)tok.len, tok.p);
        tl[nt] = tb[nt];
        nt++;
    }
    const char *pn[64];
    char pb[64][128];
    for (size_t i = 0; i < nkv; i++) {
        const char *eq = strchr(kv[i], '=');
        snprintf(pb[i], sizeof pb[i], "%.*s", eq ? (int)(eq - kv[i]) : (int)strlen(kv[i]), kv[i]);
        pn[i] = pb[i];
    }
    struct rp_errbuf eb = {0};
    struct rp_posture_ruleset *set = rp_posture_ruleset_new();
    if (!set) {
        rp_buf_release(&text);
        return rp_cmd_error(VERB, "out of memory");
    }
    e = rp_posture_ruleset_add_guard(set, guard, text.data, text.len - 1, tl, nt, pn, nkv, &eb);
    rp_posture_ruleset_free(set);
    if (e) {
        rp_buf_release(&text);
        return rp_cmd_error(NULL, "%s", eb.msg);
    }
    struct rp_buf scope, pj;
    rp_buf_init(&scope, 1u << 20);
    rp_buf_init(&pj, 1u << 20);
    struct rp_json_writer w;
    rp_json_writer_init(&w, &scope);
    rp_json_write_obj_begin(&w);
    rp_json_write_key(&w, "ComplianceResourceTypes", 23);
    rp_json_write_arr_begin(&w);
    for (size_t i = 0; i < nt; i++) rp_json_write_cstr(&w, tl[i]);
    rp_json_write_arr_end(&w);
    rp_json_write_obj_end(&w);
    e = rp_json_writer_finish(&w);
    if (e == RP_OK) e = rp_buf_putc(&scope, '\0');
    struct rp_store *st = NULL;
    int rc = e ? rp_cmd_error(VERB, "%s", rp_strerror(e)) : open_store(ctx, RP_STORE_RDWR, &st);
    if (!rc && (rp_cmd_rules_params_json(kv, nkv, &pj, &eb) != RP_OK ||
                rp_cmd_rules_config_put(st, name, name, "CUSTOM_POLICY", pj.data, scope.data,
                                        text.data, "user", "ACTIVE", &eb) != RP_OK))
        rc = rp_cmd_error(VERB, "%s", eb.msg);
    if (!rc && ctx->verbosity >= 0)
        fprintf(stderr, "rampart: rules: custom rule '%s' added for %s\n", name, types);
    rp_store_free(st);
    rp_buf_release(&scope);
    rp_buf_release(&pj);
    rp_buf_release(&text);
    return rc;
}

static void on_score(void *ctx, enum rp_posture_score_what what, const char *line, const char *rule)
{
    FILE *f = ctx;
    if (what == RP_POSTURE_SCORE_MISSED) fprintf(f, "missed: %s %s\n", line, rule);
    if (what == RP_POSTURE_SCORE_ALARMED) fprintf(f, "alarmed: %s\n", line);
}

static int score(struct rp_cmd_ctx *ctx, int argc, char **argv)
{
    if (argc != 1) return rp_cmd_usage_error(VERB, "score takes one TRUTH file");
    struct rp_store *st = NULL;
    int rc = open_store(ctx, RP_STORE_RDWR, &st);
    if (rc) return rc;
    struct rp_posture_score s;
    struct rp_errbuf eb = {0};
    rp_err e = rp_posture_score(st, argv[0], on_score, ctx->out, &s, &eb);
    rp_store_free(st);
    if (e) return rp_cmd_error(VERB, "%s", eb.msg);
    fprintf(ctx->out,
            "recall: %zu of %zu planted misconfigurations NON_COMPLIANT under their rule\n",
            s.found, s.expected);
    fprintf(ctx->out, "look-alikes: %zu of %zu clean twins COMPLIANT\n", s.benign_quiet, s.benign);
    return RP_EXIT_OK;
}

int rp_cmd_rules(struct rp_cmd_ctx *ctx, int argc, char **argv)
{
    if (argc < 2) return rp_cmd_usage_error(VERB, "which subcommand?");
    const char *sub = argv[1];
    int n = argc - 2;
    char **rest = argv + 2;
    if (strcmp(sub, "list") == 0) return list(ctx, n, rest);
    if (strcmp(sub, "describe") == 0) return describe(ctx, n, rest);
    if (strcmp(sub, "eval") == 0) return eval(ctx, n, rest);
    if (strcmp(sub, "compliance") == 0) return compliance(ctx, n, rest);
    if (strcmp(sub, "history") == 0) return history(ctx, n, rest);
    if (strcmp(sub, "enable") == 0) return enable(ctx, n, rest);
    if (strcmp(sub, "disable") == 0) return disable_or_remove(ctx, n, rest, false);
    if (strcmp(sub, "remove") == 0) return disable_or_remove(ctx, n, rest, true);
    if (strcmp(sub, "add") == 0) return add(ctx, n, rest);
    if (strcmp(sub, "conformance-pack") == 0) return rp_cmd_rules_pack(ctx, n, rest);
    if (strcmp(sub, "score") == 0) return score(ctx, n, rest);
    return rp_cmd_usage_error(VERB, "unknown subcommand '%s'", sub);
}
