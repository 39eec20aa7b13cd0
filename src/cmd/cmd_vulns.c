/* SPDX-License-Identifier: Apache-2.0 */
/* `rampart vulns`: the vulnerability database and package matching (src/vuln, issue 9).
 * `db import` reads OSV advisories into the store, `db info` counts them by ecosystem,
 * `match` says which advisories affect one package version, with the ecosystem's own version
 * ordering, and `versions` compares versions the way an ecosystem does. Package inventories,
 * findings and reachability come with the rest of issue 9. */
#define RP_LOG_MODULE "cmd"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd_verbs.h"
#include "core/rp_str.h"
#include "core/rp_json.h"
#include "core/rp_time.h"
#include "hub/hub.h"
#include "cmd/cmd_inspector.h"
#include "store/store.h"
#include "vuln/vuln.h"
#include "core/rp_banned.h"

#define VERB "vulns"

const char rp_cmd_vulns_usage[] =
    "rampart vulns inventory PATH...\n"
    "       rampart vulns scan [--ssm] [--dry-run] [--resource-id ID] PATH...\n"
    "       rampart vulns db import PATH...\n"
    "       rampart vulns db info\n"
    "       rampart vulns match ECOSYSTEM NAME VERSION\n"
    "       rampart vulns versions SCHEME V1 V2...";

const char rp_cmd_vulns_help[] =
    "The vulnerability database and package matching (Inspector's PACKAGE_VULNERABILITY).\n"
    "\n"
    "  inventory PATH...   the packages found in files, directories and unpacked root file\n"
    "                      systems: dpkg and apk databases, rpm manifests, lockfiles (npm,\n"
    "                      yarn, pip, poetry, pipenv, go, cargo, composer, bundler, maven) and\n"
    "                      SBOMs (CycloneDX, SPDX); the OS comes from etc/os-release\n"
    "  scan PATH...        the inventory matched against the database, as Inspector's\n"
    "                      PACKAGE_VULNERABILITY findings: one per resource and vulnerability\n"
    "                      (an i-.. directory in the path names the instance; an image tar is\n"
    "                      its own resource), with severity, CVSS, the Inspector score (lowered\n"
    "                      when `rampart reach` finds no path from the internet to the\n"
    "                      instance), the packages and their fixed versions; stored in the\n"
    "                      findings hub (`rampart findings list`, `findings export --format\n"
    "                      inspector`)\n"
    "      --ssm           also scan the store's SSM inventory "
    "(AWS::SSM::ManagedInstanceInventory)\n"
    "      --dry-run       print the findings, store nothing\n"
    "      --resource-id ID, --resource-type T, --account A, --region R\n"
    "                      the resource the packages belong to, when the path does not say\n"
    "  db import PATH...   read OSV advisories (JSON files, .json.gz, directory trees as\n"
    "                      osv.dev publishes them) into the store; re-importing keeps an\n"
    "                      advisory unless its 'modified' is newer; bad files go to rejects\n"
    "  db info             advisories and affected packages per ecosystem\n"
    "  match ECOSYSTEM NAME VERSION\n"
    "                      the advisories affecting that version ('Debian:12' openssh\n"
    "                      1:9.2p1-2+deb12u2; npm lodash 4.17.20; PyPI Django 4.2.0), with the\n"
    "                      version that fixes each\n"
    "  versions SCHEME V1 V2...\n"
    "                      sort versions as the scheme does (dpkg, rpm, apk, semver, pep440,\n"
    "                      maven, go); invalid ones are marked\n"
    "\n"
    "Exit status: 0 done; 3 db import rejected some files (see `rampart db rejects`), or an\n"
    "inventory file could not be read (a warning names it).\n"
    "See docs/vulns.md.";

static int db_import(struct rp_cmd_ctx *ctx, int argc, char **argv)
{
    if (argc < 1) return rp_cmd_usage_error(VERB, "db import needs at least one PATH");
    struct rp_store *st = NULL;
    struct rp_errbuf eb = {0};
    if (rp_store_new(ctx->db_path, RP_STORE_RDWR, &st, &eb))
        return rp_cmd_error(VERB, "%s", eb.msg);
    struct rp_vuln_import_summary s;
    rp_err e = rp_vuln_db_import(st, (const char *const *)argv, (size_t)argc, &s, &eb);
    rp_store_free(st);
    if (e) return rp_cmd_error(VERB, "%s", eb.msg);
    static const struct rp_out_col cols[] = {
        {"files", RP_OUT_COL_NUM},   {"advisories", RP_OUT_COL_NUM}, {"inserted", RP_OUT_COL_NUM},
        {"updated", RP_OUT_COL_NUM}, {"unchanged", RP_OUT_COL_NUM},  {"rejected", RP_OUT_COL_NUM},
    };
    char v[6][24];
    int64_t n[6] = {s.files, s.advisories, s.inserted, s.updated, s.unchanged, s.rejected};
    const char *vals[6];
    for (int i = 0; i < 6; i++) {
        snprintf(v[i], sizeof v[i], "%" PRId64, n[i]);
        vals[i] = v[i];
    }
    struct rp_out *out = rp_out_new(ctx, cols, 6);
    if (!out) return rp_cmd_error(VERB, "out of memory");
    e = rp_out_row(out, vals);
    if (!e) e = rp_out_flush(out);
    rp_out_free(out);
    if (e) return rp_cmd_error(VERB, "cannot write the summary: %s", rp_strerror(e));
    return s.rejected ? RP_EXIT_PARTIAL : RP_EXIT_OK;
}

static int db_info(struct rp_cmd_ctx *ctx)
{
    struct rp_store *st = NULL;
    struct rp_errbuf eb = {0};
    if (rp_store_new(ctx->db_path, RP_STORE_RDONLY, &st, &eb))
        return rp_cmd_error(VERB, "%s", eb.msg);
    struct rp_store_stmt *s = NULL;
    rp_err e = rp_store_stmt_prepare(
        st,
        "SELECT f.eco_base, count(DISTINCT f.advisory), count(DISTINCT f.name) "
        "FROM osv_affected AS f GROUP BY f.eco_base ORDER BY f.eco_base",
        &s, &eb);
    static const struct rp_out_col cols[] = {
        {"ecosystem", 0}, {"advisories", RP_OUT_COL_NUM}, {"packages", RP_OUT_COL_NUM}};
    struct rp_out *out = e ? NULL : rp_out_new(ctx, cols, 3);
    if (!e && !out) e = rp_fail(&eb, RP_ENOMEM, "out of memory");
    bool row = false;
    while (!e && !(e = rp_store_stmt_step(s, &row, &eb)) && row) {
        char a[24], p[24];
        snprintf(a, sizeof a, "%" PRId64, rp_store_stmt_column_int64(s, 1));
        snprintf(p, sizeof p, "%" PRId64, rp_store_stmt_column_int64(s, 2));
        const char *vals[] = {rp_store_stmt_column_text(s, 0, NULL), a, p};
        e = rp_out_row(out, vals);
    }
    if (!e && out) e = rp_out_flush(out);
    rp_out_free(out);
    rp_store_free(st);
    if (e) return rp_cmd_error(VERB, "%s", eb.msg[0] ? eb.msg : rp_strerror(e));
    return RP_EXIT_OK;
}

struct match_ctx {
    struct rp_out *out;
};

static rp_err on_hit(const struct rp_vuln_hit *h, void *arg, struct rp_errbuf *eb)
{
    (void)eb;
    struct match_ctx *m = arg;
    const char *vals[] = {h->id,
                          h->ecosystem,
                          h->fixed ? h->fixed : "-",
                          h->how,
                          h->aliases ? h->aliases : "",
                          h->summary ? h->summary : ""};
    return rp_out_row(m->out, vals);
}

static int match(struct rp_cmd_ctx *ctx, int argc, char **argv)
{
    if (argc != 3) return rp_cmd_usage_error(VERB, "match needs ECOSYSTEM NAME VERSION");
    struct rp_store *st = NULL;
    struct rp_errbuf eb = {0};
    if (rp_store_new(ctx->db_path, RP_STORE_RDONLY, &st, &eb))
        return rp_cmd_error(VERB, "%s", eb.msg);
    if (!rp_vuln_versioning_for_ecosystem(rp_str_from(argv[0])))
        fprintf(stderr,
                "rampart: vulns: warning: no version ordering for ecosystem '%s': only "
                "versions listed in advisories match\n",
                argv[0]);
    static const struct rp_out_col cols[] = {{"id", 0},      {"ecosystem", 0}, {"fixed_in", 0},
                                             {"matched", 0}, {"aliases", 0},   {"summary", 0}};
    struct match_ctx m = {.out = rp_out_new(ctx, cols, 6)};
    if (!m.out) {
        rp_store_free(st);
        return rp_cmd_error(VERB, "out of memory");
    }
    rp_err e = rp_vuln_match(st, rp_str_from(argv[0]), rp_str_from(argv[1]), rp_str_from(argv[2]),
                             on_hit, &m, &eb);
    if (!e) e = rp_out_flush(m.out);
    rp_out_free(m.out);
    rp_store_free(st);
    if (e) return rp_cmd_error(VERB, "%s", eb.msg[0] ? eb.msg : rp_strerror(e));
    return RP_EXIT_OK;
}

static const struct rp_vuln_versioning *g_ver; /* for qsort */

static int cmp_ver(const void *a, const void *b)
{
    return g_ver->cmp(rp_str_from(*(char *const *)a), rp_str_from(*(char *const *)b));
}

static int versions(struct rp_cmd_ctx *ctx, int argc, char **argv)
{
    if (argc < 2) return rp_cmd_usage_error(VERB, "versions needs SCHEME and versions");
    const struct rp_vuln_versioning *v = rp_vuln_versioning_find(argv[0]);
    if (!v) {
        char names[256] = "";
        for (size_t i = 0; rp_vuln_versionings[i]; i++) {
            size_t n = strlen(names);
            snprintf(names + n, sizeof names - n, "%s%s", i ? ", " : "",
                     rp_vuln_versionings[i]->name);
        }
        return rp_cmd_usage_error(VERB, "unknown scheme '%s' (use %s)", argv[0], names);
    }
    g_ver = v;
    qsort(argv + 1, (size_t)argc - 1, sizeof *argv, cmp_ver);
    for (int i = 1; i < argc; i++)
        fprintf(ctx->out, "%s%s\n", argv[i], v->valid(rp_str_from(argv[i])) ? "" : "  (invalid)");
    return RP_EXIT_OK;
}

struct inv_ctx {
    struct rp_out *out;
};

static void inv_warn(void *ctx, const char *msg)
{
    (void)ctx;
    fprintf(stderr, "rampart: vulns: %s\n", msg);
}

static const char *eco_of(const struct rp_vuln_pkg *p)
{
    return p->ecosystem ? p->ecosystem : "";
}

static rp_err on_inv_pkg(const struct rp_vuln_pkg *p, void *arg, struct rp_errbuf *eb)
{
    (void)eb;
    struct inv_ctx *c = arg;
    const char *vals[] = {eco_of(p),
                          p->name,
                          p->version,
                          p->match_name ? p->match_name : "",
                          p->arch ? p->arch : "",
                          p->package_manager ? p->package_manager : "",
                          p->file_path ? p->file_path : ""};
    return rp_out_row(c->out, vals);
}

static int inventory(struct rp_cmd_ctx *ctx, int argc, char **argv)
{
    if (argc < 1) return rp_cmd_usage_error(VERB, "inventory needs at least one PATH");
    static const struct rp_out_col inv_cols[] = {{"ecosystem", 0},  {"name", 0}, {"version", 0},
                                                 {"match_name", 0}, {"arch", 0}, {"manager", 0},
                                                 {"file", 0}};
    struct rp_errbuf eb = {0};
    struct inv_ctx c = {0};
    c.out = rp_out_new(ctx, inv_cols, 7);
    if (!c.out) return rp_cmd_error(VERB, "out of memory");
    struct rp_vuln_inventory_summary sum;
    rp_err e = rp_vuln_inventory((const char *const *)argv, (size_t)argc, on_inv_pkg, &c, inv_warn,
                                 NULL, &sum, &eb);
    if (!e) e = rp_out_flush(c.out);
    rp_out_free(c.out);
    if (e) return rp_cmd_error(VERB, "%s", eb.msg[0] ? eb.msg : rp_strerror(e));
    return sum.failed ? RP_EXIT_PARTIAL : RP_EXIT_OK;
}

/* ---- scan: findings ------------------------------------------------------------------------ */

struct scan_ctx {
    struct rp_out *out;
    FILE *spool; /* the findings' ASFF, one per line, imported after the scan; NULL with
                    --dry-run (the hub's importer enlarges SQLite's cache for its batch, which
                    would hold every advisory page the matching reads) */
    int64_t findings;
    char **resources; /* every resource scanned, for closing what it no longer has */
    size_t nresources, capresources;
};

static rp_err on_resource(void *arg, const char *id, const char *type, struct rp_errbuf *eb)
{
    (void)type;
    struct scan_ctx *c = arg;
    if (c->nresources == c->capresources) {
        size_t cap = c->capresources ? 2 * c->capresources : 64;
        char **n = realloc(c->resources, cap * sizeof(*n));
        if (!n) return rp_fail(eb, RP_ENOMEM, "vulns: out of memory");
        c->resources = n;
        c->capresources = cap;
    }
    if (!(c->resources[c->nresources] = strdup(id)))
        return rp_fail(eb, RP_ENOMEM, "vulns: out of memory");
    c->nresources++;
    return RP_OK;
}

static rp_err on_finding(const struct rp_vuln_finding *f, void *arg, struct rp_errbuf *eb)
{
    struct scan_ctx *c = arg;
    c->findings++;
    if (c->spool &&
        (fwrite(f->asff, 1, f->asff_len, c->spool) != f->asff_len || fputc('\n', c->spool) == EOF))
        return rp_fail(eb, RP_EIO, "vulns: cannot write the findings' spool file");
    char base[16] = "-", score[16] = "-";
    if (f->base_score >= 0) snprintf(base, sizeof base, "%.1f", f->base_score);
    if (f->inspector_score >= 0) snprintf(score, sizeof score, "%.1f", f->inspector_score);
    char pkgs[512] = "", fixed[512] = "";
    size_t po = 0, fo = 0;
    for (size_t i = 0; i < f->npkgs; i++) {
        const struct rp_vuln_vpkg *p = &f->pkgs[i];
        int k = snprintf(pkgs + po, sizeof pkgs - po, "%s%s", i ? " " : "", p->name);
        if (k > 0 && (size_t)k < sizeof pkgs - po) po += (size_t)k;
        k = snprintf(fixed + fo, sizeof fixed - fo, "%s%s", i ? " " : "",
                     p->fixed_in ? p->fixed_in : "-");
        if (k > 0 && (size_t)k < sizeof fixed - fo) fo += (size_t)k;
    }
    const char *vals[] = {f->resource_id, f->vulnerability_id, f->severity, score,
                          base,           f->fix_available,    pkgs,        fixed,
                          f->advisories};
    return rp_out_row(c->out, vals);
}

/* Import the spooled findings into the hub. */
static rp_err import_spool(struct rp_store *st, FILE *spool, struct rp_errbuf *eb)
{
    struct rp_hub_import_opts io;
    rp_hub_import_opts_init(&io);
    io.format = "asff";
    struct rp_hub_importer *im = NULL;
    struct rp_json_parser *jp = rp_json_parser_new();
    if (!jp) return rp_fail(eb, RP_ENOMEM, "vulns: out of memory");
    rp_err e = rp_hub_importer_new(st, &io, &im, eb);
    char *line = NULL;
    size_t cap = 0, item = 0;
    ssize_t n;
    if (!e && fflush(spool) == 0) rewind(spool);
    while (!e && (n = getline(&line, &cap, spool)) > 0) {
        struct rp_json_val doc;
        e = rp_json_parse(jp, line, (size_t)n, &doc, eb);
        if (!e) e = rp_hub_import_finding(im, doc, "vulns scan", item++, NULL, eb);
    }
    if (!e && ferror(spool)) e = rp_fail(eb, RP_EIO, "vulns: cannot read the findings' spool file");
    if (!e) {
        e = rp_hub_importer_finish(im, eb);
        im = NULL;
    }
    rp_hub_importer_free(im);
    free(line);
    rp_json_parser_free(jp);
    return e;
}

static int scan(struct rp_cmd_ctx *ctx, int argc, char **argv)
{
    struct rp_vuln_scan_opts o = {0};
    bool dry = false;
    int npaths = 0;
    for (int i = 0; i < argc; i++) {
        const char *val = NULL;
        int m;
        if ((m = rp_cmd_opt_value("--resource-id", argc, argv, &i, &val)))
            o.resource_id = val;
        else if ((m = rp_cmd_opt_value("--resource-type", argc, argv, &i, &val)))
            o.resource_type = val;
        else if ((m = rp_cmd_opt_value("--account", argc, argv, &i, &val)))
            o.account = val;
        else if ((m = rp_cmd_opt_value("--region", argc, argv, &i, &val)))
            o.region = val;
        else if (strcmp(argv[i], "--ssm") == 0)
            o.ssm_inventory = true;
        else if (strcmp(argv[i], "--dry-run") == 0)
            dry = true;
        else if (argv[i][0] == '-' && argv[i][1])
            return rp_cmd_usage_error(VERB, "unknown option '%s'", argv[i]);
        else
            argv[npaths++] = argv[i];
        if (m < 0) return rp_cmd_usage_error(VERB, "%s needs a value", argv[i]);
    }
    if (npaths < 1 && !o.ssm_inventory)
        return rp_cmd_usage_error(VERB, "scan needs at least one PATH (or --ssm)");
    static const struct rp_out_col cols[] = {
        {"resource", 0},           {"vulnerability", 0},     {"severity", 0},
        {"score", RP_OUT_COL_NUM}, {"cvss", RP_OUT_COL_NUM}, {"fix", 0},
        {"packages", 0},           {"fixed_in", 0},          {"advisories", 0}};
    struct rp_errbuf eb = {0};
    struct scan_ctx c = {0};
    struct rp_store *st = NULL;
    if (rp_store_new(ctx->db_path, dry ? RP_STORE_RDONLY : RP_STORE_RDWR, &st, &eb))
        return rp_cmd_error(VERB, "%s", eb.msg);
    struct rp_cmd_inspector insp;
    rp_err e = rp_cmd_inspector_load(&insp, st, VERB, &eb);
    o.exposure = rp_cmd_inspector_exposure;
    o.exposure_ctx = &insp;
    o.now_ms = rp_time_now_ms(); /* one time for the findings and for closing the rest */
    o.on_resource = dry ? NULL : on_resource;
    o.resource_ctx = &c;
    if (!e && !dry && !(c.spool = tmpfile()))
        e = rp_fail(&eb, RP_EIO, "vulns: cannot create a spool file: %s", strerror(errno));
    c.out = e ? NULL : rp_out_new(ctx, cols, 9);
    if (!e && !c.out) e = rp_fail(&eb, RP_ENOMEM, "out of memory");
    struct rp_vuln_inventory_summary sum = {0};
    if (!e)
        e = rp_vuln_scan(st, (const char *const *)argv, (size_t)npaths, &o, on_finding, &c,
                         inv_warn, NULL, &sum, &eb);
    if (!e && c.spool) e = import_spool(st, c.spool, &eb);
    if (c.spool) fclose(c.spool);
    size_t closed = 0;
    if (!e && !dry)
        e = rp_cmd_inspector_close_stale(st, "PACKAGE_VULNERABILITY",
                                         (const char *const *)c.resources, c.nresources, o.now_ms,
                                         &closed, &eb);
    for (size_t i = 0; i < c.nresources; i++) free(c.resources[i]);
    free(c.resources);
    if (!e && c.out) e = rp_out_flush(c.out);
    rp_out_free(c.out);
    rp_cmd_inspector_release(&insp);
    rp_store_free(st);
    if (e) return rp_cmd_error(VERB, "%s", eb.msg[0] ? eb.msg : rp_strerror(e));
    char note[64] = "";
    if (dry)
        snprintf(note, sizeof note, " (dry run: nothing stored)");
    else if (closed)
        snprintf(note, sizeof note, "; %zu earlier findings closed", closed);
    if (ctx->verbosity >= 0)
        fprintf(stderr,
                "rampart: vulns: %" PRId64 " findings from %" PRId64 " packages in %" PRId64
                " files%s\n",
                c.findings, sum.packages, sum.files_read, note);
    return sum.failed ? RP_EXIT_PARTIAL : RP_EXIT_OK;
}

int rp_cmd_vulns(struct rp_cmd_ctx *ctx, int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "inventory") == 0) return inventory(ctx, argc - 2, argv + 2);
    if (argc >= 2 && strcmp(argv[1], "scan") == 0) return scan(ctx, argc - 2, argv + 2);
    if (argc < 2)
        return rp_cmd_usage_error(VERB, "say what to do: inventory, scan, db, match or versions");
    if (strcmp(argv[1], "db") == 0 && argc >= 3 && strcmp(argv[2], "import") == 0)
        return db_import(ctx, argc - 3, argv + 3);
    if (strcmp(argv[1], "db") == 0 && argc == 3 && strcmp(argv[2], "info") == 0)
        return db_info(ctx);
    if (strcmp(argv[1], "match") == 0) return match(ctx, argc - 2, argv + 2);
    if (strcmp(argv[1], "versions") == 0) return versions(ctx, argc - 2, argv + 2);
    return rp_cmd_usage_error(VERB, "unknown subcommand '%s'", argv[1]);
}
