/* SPDX-License-Identifier: Apache-2.0 */
/* `rampart rules conformance-pack`: AWS Config conformance packs (docs/conformance-packs.md).
 * load reads a template as AWS publishes it (src/posture/posture_pack.c resolves parameters,
 * conditions and intrinsic functions) and stores each rule it can run as a rule configuration
 * named as AWS names pack rules, "<ConfigRuleName>-conformance-pack-<8 hex>"; rules it cannot
 * run (identifiers Rampart lacks, Lambda rules, parameters that do not fit) are listed with
 * the reason and kept with the pack, never dropped silently. compliance says, per pack and per
 * rule, what the last `rules eval` found. */
#define RP_LOG_MODULE "cmd"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd_rules.h"
#include "cmd/cmd_verbs.h"
#include "core/rp_buf.h"
#include "core/rp_hash.h"
#include "core/rp_json.h"
#include "core/rp_log.h"
#include "core/rp_time.h"
#include "posture/posture_internal.h"
#include "posture/posture_pack.h"
#include "store/store.h"
#include "core/rp_banned.h"

#define VERB "rules conformance-pack"

static int open_store(struct rp_cmd_ctx *ctx, struct rp_store **st)
{
    struct rp_errbuf eb = {0};
    if (rp_store_new(ctx->db_path, RP_STORE_RDWR, st, &eb)) return rp_cmd_error(VERB, "%s", eb.msg);
    return RP_EXIT_OK;
}

static rp_err exec1(struct rp_store *st, const char *sql, const char *a, struct rp_errbuf *eb)
{
    struct rp_store_stmt *s = NULL;
    rp_err e = rp_store_stmt_prepare(st, sql, &s, eb);
    if (e == RP_OK) e = rp_store_stmt_bind_cstr(s, 1, a, eb);
    bool row = false;
    if (e == RP_OK) e = rp_store_stmt_step(s, &row, eb);
    if (s) rp_store_stmt_reset(s);
    return e;
}

/* The configuration name of a pack rule. */
static void cfg_name(const char *pack, const char *rule, char *out, size_t n)
{
    uint64_t h = rp_hash_xxh3_64(pack, strlen(pack), 0x7061636bu);
    snprintf(out, n, "%s-conformance-pack-%08x", rule, (unsigned)(h & 0xffffffffu));
}

static rp_err params_json(const struct rp_posture_pack_rule *r, struct rp_buf *b)
{
    rp_buf_reset(b);
    struct rp_json_writer w;
    rp_json_writer_init(&w, b);
    rp_json_write_obj_begin(&w);
    for (size_t i = 0; i < r->nparams; i++)
        rp_json_write_kv_cstr(&w, r->params[i].name, r->params[i].value);
    rp_json_write_obj_end(&w);
    rp_err e = rp_json_writer_finish(&w);
    return e == RP_OK ? rp_buf_putc(b, '\0') : e;
}

static rp_err scope_json(const struct rp_posture_pack_rule *r, struct rp_buf *b, bool *any)
{
    rp_buf_reset(b);
    *any = r->ntypes || r->tag_key || r->resource_id;
    struct rp_json_writer w;
    rp_json_writer_init(&w, b);
    rp_json_write_obj_begin(&w);
    if (r->ntypes) {
        rp_json_write_key(&w, "ComplianceResourceTypes", 23);
        rp_json_write_arr_begin(&w);
        for (size_t i = 0; i < r->ntypes; i++) rp_json_write_cstr(&w, r->resource_types[i]);
        rp_json_write_arr_end(&w);
    }
    if (r->tag_key) rp_json_write_kv_cstr(&w, "TagKey", r->tag_key);
    if (r->tag_value) rp_json_write_kv_cstr(&w, "TagValue", r->tag_value);
    if (r->resource_id) rp_json_write_kv_cstr(&w, "ComplianceResourceId", r->resource_id);
    rp_json_write_obj_end(&w);
    rp_err e = rp_json_writer_finish(&w);
    return e == RP_OK ? rp_buf_putc(b, '\0') : e;
}

static int load(struct rp_cmd_ctx *ctx, int argc, char **argv)
{
    const char *file = NULL, *name = NULL;
    const char *kv[128];
    size_t nkv = 0;
    for (int i = 0; i < argc; i++) {
        const char *val = NULL;
        int m;
        if ((m = rp_cmd_opt_value("--name", argc, argv, &i, &val)) > 0)
            name = val;
        else if ((m = rp_cmd_opt_value("--param", argc, argv, &i, &val)) > 0) {
            if (nkv == 128) return rp_cmd_usage_error(VERB, "too many --param");
            kv[nkv++] = val;
        } else if (m < 0)
            return rp_cmd_usage_error(VERB, "%s needs a value", argv[i]);
        else if (argv[i][0] == '-')
            return rp_cmd_usage_error(VERB, "unknown option '%s'", argv[i]);
        else if (file)
            return rp_cmd_usage_error(VERB, "load takes one FILE");
        else
            file = argv[i];
    }
    if (!file) return rp_cmd_usage_error(VERB, "load needs a FILE");
    char base[256];
    const char *slash = strrchr(file, '/');
    rp_strlcpy(base, slash ? slash + 1 : file, sizeof base);
    char *dot = strrchr(base, '.');
    if (dot && dot != base) *dot = '\0';
    if (!name) name = base;
    struct rp_posture_paramval ov[128];
    char keys[128][128];
    struct rp_errbuf peb = {0};
    if (rp_cmd_rules_params_split(kv, nkv, keys, ov, &peb) != RP_OK)
        return rp_cmd_usage_error(VERB, "%s", peb.msg);
    struct rp_buf text;
    rp_buf_init(&text, 16u << 20);
    struct rp_errbuf eb = {0};
    rp_err e = rp_cmd_rules_read_text(file, &text, &eb);
    if (e) {
        rp_buf_release(&text);
        return rp_cmd_error(VERB, "%s", eb.msg);
    }
    struct rp_posture_pack *pack = NULL;
    e = rp_posture_pack_parse(text.data, text.len - 1, base, ov, nkv, &pack, &eb);
    if (e) {
        rp_buf_release(&text);
        return rp_cmd_error(NULL, "%s", eb.msg);
    }
    struct rp_posture_ruleset *set = NULL;
    struct rp_store *st = NULL;
    int rc = RP_EXIT_OK;
    struct rp_posture_pack_result *res = calloc(pack->nrules ? pack->nrules : 1, sizeof(*res));
    size_t runnable = 0;
    if (!res) rc = rp_cmd_error(VERB, "out of memory");
    if (!rc && rp_posture_ruleset_load_managed(&set, &eb) != RP_OK)
        rc = rp_cmd_error(VERB, "%s", eb.msg);
    if (!rc && rp_posture_pack_check(pack, set, res, &runnable, &eb) != RP_OK)
        rc = rp_cmd_error(VERB, "%s", eb.msg);
    if (!rc) rc = open_store(ctx, &st);
    struct rp_buf pj, sj, unk, ovj;
    rp_buf_init(&pj, 1u << 20);
    rp_buf_init(&sj, 1u << 20);
    rp_buf_init(&unk, 4u << 20);
    rp_buf_init(&ovj, 1u << 20);
    static const struct rp_out_col cols[] = {
        {"ConfigRuleName", 0}, {"Source", 0}, {"Identifier", 0}, {"Status", 0}, {"Detail", 0}};
    struct rp_out *out = NULL;
    if (!rc) {
        char src[300];
        snprintf(src, sizeof src, "pack:%s", name);
        e = rp_store_exec(st, "BEGIN IMMEDIATE", &eb);
        if (e == RP_OK)
            e = exec1(st, "DELETE FROM posture_rule_configs WHERE source = ?1", src, &eb);
        struct rp_json_writer w;
        rp_json_writer_init(&w, &unk);
        rp_json_write_arr_begin(&w);
        out = rp_out_new(ctx, cols, RP_ARRAY_LEN(cols));
        if (!out) e = rp_fail(&eb, RP_ENOMEM, "out of memory");
        for (size_t i = 0; i < pack->nrules && e == RP_OK; i++) {
            const struct rp_posture_pack_rule *r = &pack->rules[i];
            char cn[512];
            cfg_name(name, r->name, cn, sizeof cn);
            bool any = false;
            const char *ident = r->identifier ? r->identifier : cn;
            if (res[i].verdict == RP_PACK_MANAGED || res[i].verdict == RP_PACK_GUARD) {
                e = params_json(r, &pj);
                if (e == RP_OK) e = scope_json(r, &sj, &any);
                if (e == RP_OK)
                    e = rp_cmd_rules_config_put(
                        st, cn, res[i].verdict == RP_PACK_GUARD ? cn : r->identifier,
                        res[i].verdict == RP_PACK_GUARD ? "CUSTOM_POLICY" : "AWS", pj.data,
                        any ? sj.data : NULL, r->policy_text, src, "ACTIVE", &eb);
            } else {
                rp_json_write_obj_begin(&w);
                rp_json_write_kv_cstr(&w, "ConfigRuleName", r->name);
                rp_json_write_kv_cstr(&w, "Owner", rp_posture_pack_owner_name(r->owner));
                rp_json_write_kv_cstr(&w, "SourceIdentifier", r->identifier);
                rp_json_write_kv_cstr(&w, "Status", rp_posture_pack_verdict_name(res[i].verdict));
                rp_json_write_kv_cstr(&w, "Detail", res[i].detail);
                rp_json_write_obj_end(&w);
                if (ctx->verbosity >= 0)
                    fprintf(stderr, "rampart: %s: %s: rule '%s' cannot run: %s\n", VERB, base,
                            r->name, res[i].detail);
            }
            const char *vals[] = {res[i].verdict <= RP_PACK_GUARD ? cn : r->name, r->name, ident,
                                  rp_posture_pack_verdict_name(res[i].verdict), res[i].detail};
            if (e == RP_OK) e = rp_out_row(out, vals);
        }
        rp_json_write_arr_end(&w);
        if (e == RP_OK) e = rp_json_writer_finish(&w);
        if (e == RP_OK) e = rp_buf_putc(&unk, '\0');
        if (e == RP_OK) e = rp_cmd_rules_params_json(kv, nkv, &ovj, &eb);
        struct rp_store_stmt *s = NULL;
        if (e == RP_OK)
            e = rp_store_stmt_prepare(st,
                                      "INSERT OR REPLACE INTO posture_packs (name, path, template, "
                                      "parameters, unknown, loaded_ms) VALUES (?1, ?2, ?3, ?4, "
                                      "?5, ?6)",
                                      &s, &eb);
        if (e == RP_OK) e = rp_store_stmt_bind_cstr(s, 1, name, &eb);
        if (e == RP_OK) e = rp_store_stmt_bind_cstr(s, 2, file, &eb);
        if (e == RP_OK) e = rp_store_stmt_bind_cstr(s, 3, text.data, &eb);
        if (e == RP_OK) e = rp_store_stmt_bind_cstr(s, 4, ovj.data, &eb);
        if (e == RP_OK) e = rp_store_stmt_bind_cstr(s, 5, unk.data, &eb);
        if (e == RP_OK) e = rp_store_stmt_bind_int64(s, 6, rp_time_now_ms(), &eb);
        bool row = false;
        if (e == RP_OK) e = rp_store_stmt_step(s, &row, &eb);
        if (s) rp_store_stmt_reset(s);
        if (e == RP_OK)
            e = rp_store_exec(st, "COMMIT", &eb);
        else {
            if (rp_store_exec(st, "ROLLBACK", NULL) != RP_OK)
                RP_LOG_WARN("conformance-pack: rollback failed");
        }
        if (e) rc = rp_cmd_error(VERB, "%s", eb.msg[0] ? eb.msg : rp_strerror(e));
        if (!rc) {
            if (rp_out_flush(out) != RP_OK) rc = rp_cmd_error(VERB, "cannot write the result");
            if (ctx->verbosity >= 0)
                fprintf(stderr, "rampart: %s: '%s' loaded: %zu of %zu rules run here\n", VERB, name,
                        runnable, pack->nrules);
            if (!rc && runnable < pack->nrules) rc = RP_EXIT_PARTIAL;
        }
    }
    rp_out_free(out);
    rp_buf_release(&pj);
    rp_buf_release(&sj);
    rp_buf_release(&unk);
    rp_buf_release(&ovj);
    rp_buf_release(&text);
    free(res);
    rp_posture_ruleset_free(set);
    rp_posture_pack_free(pack);
    rp_store_free(st);
    return rc;
}

static int rows(struct rp_cmd_ctx *ctx, const char *sql, const char *param,
                const struct rp_out_col *cols, size_t ncols)
{
    struct rp_store *st = NULL;
    int rc = open_store(ctx, &st);
    if (rc) return rc;
    const char *params[1] = {param};
    rc = rp_cmd_rules_sql_rows(ctx, VERB, st, sql, params, param ? 1 : 0, cols, ncols);
    rp_store_free(st);
    return rc;
}

/* Compliance of a pack's rules: NON_COMPLIANT when one resource is, COMPLIANT when one is and
 * none is not, else INSUFFICIENT_DATA when one is, else NOT_APPLICABLE (no evaluations). */
#define RULE_COMPLIANCE                                                                            \
    "CASE WHEN sum(e.compliance = 'NON_COMPLIANT') > 0 THEN 'NON_COMPLIANT' WHEN "                 \
    "sum(e.compliance = 'COMPLIANT') > 0 THEN 'COMPLIANT' WHEN sum(e.compliance = "                \
    "'INSUFFICIENT_DATA') > 0 THEN 'INSUFFICIENT_DATA' ELSE 'NOT_APPLICABLE' END"

static int compliance(struct rp_cmd_ctx *ctx, int argc, char **argv)
{
    if (argc > 1) return rp_cmd_usage_error(VERB, "compliance takes at most one NAME");
    if (argc == 1) {
        static const struct rp_out_col cols[] = {{"ConfigRuleName", 0},
                                                 {"Identifier", 0},
                                                 {"Compliance", 0},
                                                 {"NON_COMPLIANT", RP_OUT_COL_NUM},
                                                 {"COMPLIANT", RP_OUT_COL_NUM}};
        return rows(ctx,
                    "SELECT c.name, c.identifier, " RULE_COMPLIANCE ", ifnull(sum(e.compliance = "
                    "'NON_COMPLIANT'), 0), ifnull(sum(e.compliance = 'COMPLIANT'), 0) FROM "
                    "posture_rule_configs "
                    "c LEFT JOIN posture_evaluations e ON e.config_rule = c.name WHERE c.source = "
                    "'pack:' || ?1 GROUP BY c.name ORDER BY c.name",
                    argv[0], cols, RP_ARRAY_LEN(cols));
    }
    static const struct rp_out_col cols[] = {{"ConformancePackName", 0},
                                             {"ComplianceType", 0},
                                             {"NonCompliantRules", RP_OUT_COL_NUM},
                                             {"CompliantRules", RP_OUT_COL_NUM},
                                             {"Rules", RP_OUT_COL_NUM},
                                             {"NotRunnable", RP_OUT_COL_NUM}};
    return rows(ctx,
                "WITH r AS (SELECT c.source, c.name, " RULE_COMPLIANCE " AS comp FROM "
                "posture_rule_configs c LEFT JOIN posture_evaluations e ON e.config_rule = "
                "c.name WHERE c.source LIKE 'pack:%' GROUP BY c.name) SELECT p.name, CASE WHEN "
                "sum(r.comp = 'NON_COMPLIANT') > 0 THEN 'NON_COMPLIANT' WHEN sum(r.comp = "
                "'COMPLIANT') > 0 THEN 'COMPLIANT' ELSE 'INSUFFICIENT_DATA' END, sum(r.comp = "
                "'NON_COMPLIANT'), sum(r.comp = 'COMPLIANT'), count(r.name), "
                "json_array_length(p.unknown) FROM posture_packs p LEFT JOIN r ON r.source = "
                "'pack:' || p.name GROUP BY p.name ORDER BY p.name",
                NULL, cols, RP_ARRAY_LEN(cols));
}

int rp_cmd_rules_pack(struct rp_cmd_ctx *ctx, int argc, char **argv)
{
    if (argc < 1) return rp_cmd_usage_error("rules", "conformance-pack: which subcommand?");
    const char *sub = argv[0];
    if (strcmp(sub, "load") == 0) return load(ctx, argc - 1, argv + 1);
    if (strcmp(sub, "compliance") == 0) return compliance(ctx, argc - 1, argv + 1);
    if (strcmp(sub, "list") == 0) {
        if (argc != 1) return rp_cmd_usage_error(VERB, "list takes no arguments");
        static const struct rp_out_col cols[] = {{"ConformancePackName", 0},
                                                 {"Rules", RP_OUT_COL_NUM},
                                                 {"NotRunnable", RP_OUT_COL_NUM},
                                                 {"Path", 0},
                                                 {"LoadedAt", 0}};
        return rows(ctx,
                    "SELECT p.name, (SELECT count(*) FROM posture_rule_configs c WHERE c.source = "
                    "'pack:' || p.name), json_array_length(p.unknown), p.path, "
                    "strftime('%Y-%m-%dT%H:%M:%SZ', p.loaded_ms / 1000, 'unixepoch') FROM "
                    "posture_packs p ORDER BY p.name",
                    NULL, cols, RP_ARRAY_LEN(cols));
    }
    if (strcmp(sub, "remove") == 0) {
        if (argc != 2) return rp_cmd_usage_error(VERB, "remove takes one NAME");
        struct rp_store *st = NULL;
        int rc = open_store(ctx, &st);
        if (rc) return rc;
        struct rp_errbuf eb = {0};
        char src[300];
        snprintf(src, sizeof src, "pack:%s", argv[1]);
        rp_err e = exec1(st, "DELETE FROM posture_packs WHERE name = ?1", argv[1], &eb);
        bool gone = e == RP_OK && rp_store_changes(st) > 0;
        if (e == RP_OK)
            e = exec1(st, "DELETE FROM posture_rule_configs WHERE source = ?1", src, &eb);
        rp_store_free(st);
        if (e) return rp_cmd_error(VERB, "%s", eb.msg);
        if (!gone) return rp_cmd_error(VERB, "no conformance pack '%s'", argv[1]);
        return RP_EXIT_OK;
    }
    return rp_cmd_usage_error(VERB, "unknown subcommand '%s'", sub);
}
