/* SPDX-License-Identifier: Apache-2.0 */
/* `rampart findings`: the findings hub (Security Hub) from the command line. Each sub-command
 * maps to a Security Hub API so its habits carry over:
 *   import    BatchImportFindings (ASFF, GuardDuty, OCSF, Trivy, Prowler files)
 *   list      GetFindings (filters, sort, pagination)      count    the number GetFindings finds
 *   show      one finding's ASFF document                   history  GetFindingHistory
 *   update    BatchUpdateFindings                           export   ASFF, OCSF, SARIF, CSV
 *   insights  GetInsightResults and the managed insights (GetInsights)
 * The work is in src/hub; this file parses options and prints. Reading sub-commands open the
 * store read-only; import and update open it read-write (creating it when missing). */
#define RP_LOG_MODULE "cmd"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd/cmd_verbs.h"
#include "core/rp_arena.h"
#include "core/rp_buf.h"
#include "core/rp_gz.h"
#include "core/rp_json.h"
#include "core/rp_str.h"
#include "core/rp_time.h"
#include "core/rp_walk.h"
#include "hub/hub.h"
#include "store/store.h"
#include "core/rp_banned.h"

#define VERB             "findings"
#define LIST_DEFAULT_MAX 100 /* GetFindings' default page */
#define ERRORS_SHOWN     20  /* import errors printed before "and N more" */

const char rp_cmd_findings_usage[] =
    "rampart findings import [--from FORMAT] [--account ID] [--region R] FILE|DIR...\n"
    "       rampart findings list [--filter COND].. [--filters JSON|FILE] [--sort "
    "ATTR[:asc|desc]]..\n"
    "                             [--max N] [--next-token T]\n"
    "       rampart findings count [--filter COND].. [--filters JSON|FILE]\n"
    "       rampart findings show ID [--product-arn ARN]\n"
    "       rampart findings history ID [--product-arn ARN]\n"
    "       rampart findings update (--request JSON|FILE | SELECTION CHANGES)\n"
    "       rampart findings export --to FORMAT [-o FILE] [--filter COND].. [--filters JSON|FILE]\n"
    "       rampart findings insights [--group-by ATTR] [--filter COND].. [--max N]\n"
    "       rampart findings insights list | run ARN|N\n"
    "       rampart findings formats";

const char rp_cmd_findings_help[] =
    "The findings hub, as AWS Security Hub keeps findings: every finding is an ASFF document\n"
    "identified by (ProductArn, Id). Details and examples: docs/findings.md.\n"
    "\n"
    "  import    BatchImportFindings: a newer UpdatedAt replaces a finding, an older or equal\n"
    "            one is ignored, CreatedAt stays from the first import, and Workflow, Note,\n"
    "            VerificationState and UserDefinedFields stay the customer's. FILE is ASFF (a\n"
    "            BatchImportFindings body, GetFindings output, a list, one finding, EventBridge\n"
    "            events, JSON Lines), GuardDuty findings, OCSF findings, a Trivy JSON report or\n"
    "            Prowler output, .gz too; '-' reads stdin; a DIR imports its .json, .jsonl and\n"
    "            .ndjson files (and .gz) in name order. The format is sniffed per document;\n"
    "            --from FORMAT forces one. --account/--region fill in what a format lacks\n"
    "            (Trivy). Each refused finding is reported (and kept in `rampart db rejects`);\n"
    "            the rest are imported and the exit status is 3.\n"
    "  list      GetFindings: newest UpdatedAt first, 100 per page (--max N, 0 = all);\n"
    "            --next-token continues. --format json prints {\"Findings\": [..], "
    "\"NextToken\"}.\n"
    "  count     the number of findings the filters select\n"
    "  show      the ASFF document of finding ID (--product-arn when two products use one Id)\n"
    "  history   GetFindingHistory: every import and update of the finding, oldest first\n"
    "  update    BatchUpdateFindings. --request takes the API's JSON body (inline or a file).\n"
    "            Or select findings with --id ID (repeatable; --product-arn ARN when needed)\n"
    "            or with the filters (--filter/--filters: every matching finding), and change\n"
    "            them with --workflow-status NEW|NOTIFIED|RESOLVED|SUPPRESSED,\n"
    "            --note TEXT [--updated-by WHO], --severity LABEL, --verification-state STATE,\n"
    "            --confidence N, --criticality N, --types T1,T2, --user-defined-field K=V\n"
    "            (repeatable; K= deletes K)\n"
    "  export    write the selected findings: --to asff ({\"Findings\": [..]}), asff-lines,\n"
    "            ocsf (OCSF 1.1 Detection / Compliance / Vulnerability Finding), ocsf-lines,\n"
    "            sarif (SARIF 2.1.0), csv, inspector (Inspector v2 findings JSON of the\n"
    "            Inspector findings) or macie (Macie findings JSON of the sensitive data\n"
    "            findings); to stdout or -o FILE. Streams: memory stays\n"
    "            bounded whatever the number of findings\n"
    "  insights  GetInsightResults: counts of the selected findings grouped by --group-by ATTR\n"
    "            (default ResourceId), largest first, at most --max groups (default 100).\n"
    "            `insights list` shows Security Hub's managed insights; `insights run ARN|N`\n"
    "            runs one (its filters ANDed with any given here)\n"
    "  formats   the import and export formats\n"
    "\n"
    "Filters (ANDed across attributes; for one attribute, = ^= ~= are ORed and != !^= !~= ANDed,\n"
    "as in Security Hub's StringFilter):\n"
    "  --filter 'ATTR=V'   EQUALS       --filter 'ATTR!=V'   NOT_EQUALS\n"
    "  --filter 'ATTR^=V'  PREFIX       --filter 'ATTR!^=V'  PREFIX_NOT_EQUALS\n"
    "  --filter 'ATTR~=V'  CONTAINS     --filter 'ATTR!~=V'  NOT_CONTAINS\n"
    "  numbers: ATTR>=N ATTR<=N ATTR>N ATTR<N ATTR=N;  dates: ATTR>=TIME, ATTR<=TIME, ATTR>7d\n"
    "  (within the last 7 days);  maps: ResourceTags.env=prod;  booleans: Sample=false;\n"
    "  addresses: NetworkSourceIpV4=10.0.0.0/8\n"
    "  --filters JSON|FILE  a GetFindings Filters object ({\"SeverityLabel\": [{\"Value\": "
    "\"HIGH\",\n"
    "                      \"Comparison\": \"EQUALS\"}]}), inline or in a file\n"
    "ATTR is any AwsSecurityFindingFilters attribute: SeverityLabel, WorkflowStatus,\n"
    "RecordState, ResourceId, ResourceType, Type, GeneratorId, AwsAccountId, Region,\n"
    "ComplianceStatus, ProductName, Title, UpdatedAt, ...\n"
    "\n"
    "Examples:\n"
    "  rampart findings import guardduty-findings.json trivy-report.json prowler.ocsf.json\n"
    "  rampart findings list --filter SeverityLabel=HIGH --filter WorkflowStatus=NEW\n"
    "  rampart findings update --filter Type^=TTPs/Discovery --workflow-status SUPPRESSED\n"
    "  rampart findings insights --group-by ResourceId --filter RecordState=ACTIVE\n"
    "  rampart findings export --to sarif -o findings.sarif --filter SeverityLabel=CRITICAL\n";

static const char *db_path(const struct rp_cmd_ctx *ctx)
{
    return ctx->db_path && *ctx->db_path ? ctx->db_path : RP_STORE_DEFAULT_PATH;
}

static int open_store(const struct rp_cmd_ctx *ctx, bool write, struct rp_store **st)
{
    struct rp_errbuf eb = {RP_OK, ""};
    rp_err e = rp_store_new(db_path(ctx), write ? RP_STORE_RDWR : RP_STORE_RDONLY, st, &eb);
    if (e == RP_ENOENT)
        return rp_cmd_error(VERB, "no database at '%s' (import findings first, or give --db)",
                            db_path(ctx));
    if (e) return rp_cmd_error(VERB, "%s", eb.msg[0] ? eb.msg : rp_strerror(e));
    if (!write && rp_store_schema_version(*st) < rp_store_schema_latest()) {
        rp_store_free(*st);
        *st = NULL;
        return rp_cmd_error(VERB, "the database '%s' has an older schema; run `rampart db migrate`",
                            db_path(ctx));
    }
    return RP_EXIT_OK;
}

/* Text of a JSON argument: inline when it starts with '{' or '[', else a file's contents. */
static rp_err json_arg(const char *arg, struct rp_buf *out, struct rp_errbuf *eb)
{
    struct rp_str s = rp_str_trim(rp_str_from(arg));
    if (s.len && (s.p[0] == '{' || s.p[0] == '[')) return rp_buf_append(out, s.p, s.len);
    return rp_gz_read_file(arg, NULL, out, eb);
}

/* ---- filters shared by list, count, update, export, insights ------------------------------ */

struct sel {
    struct rp_hub_filter *f;
    struct rp_json_parser *jp;
    bool any;
};

/* 1 when argv[*i] was a filter option (consumed), 0 when not, or an exit code via *rc. */
static int sel_option(struct sel *s, int argc, char **argv, int *i, int *rc)
{
    const char *val = NULL;
    struct rp_errbuf eb = {RP_OK, ""};
    int m = 0;
    if ((m = rp_cmd_opt_value("--filter", argc, argv, i, &val)) != 0) {
        if (m < 0) {
            *rc = rp_cmd_usage_error(VERB, "--filter needs a condition");
            return 1;
        }
        if (rp_hub_filter_add_arg(s->f, val, rp_time_now_ms(), &eb) != RP_OK)
            *rc = rp_cmd_usage_error(VERB, "%s", eb.msg);
        s->any = true;
        return 1;
    }
    if ((m = rp_cmd_opt_value("--filters", argc, argv, i, &val)) != 0) {
        struct rp_buf b;
        struct rp_json_val root, inner;
        if (m < 0) {
            *rc = rp_cmd_usage_error(VERB, "--filters needs a JSON object or a file");
            return 1;
        }
        rp_buf_init(&b, 0);
        rp_err e = json_arg(val, &b, &eb);
        if (!e && !s->jp && !(s->jp = rp_json_parser_new()))
            e = rp_fail(&eb, RP_ENOMEM, "out of memory");
        if (!e) e = rp_json_parse_buf(s->jp, &b, &root, &eb);
        /* the whole GetFindings request ({"Filters": {..}}) is accepted too */
        if (!e && rp_json_obj_get(root, "Filters", &inner) == RP_OK) root = inner;
        if (!e) e = rp_hub_filter_add_json(s->f, root, rp_time_now_ms(), &eb);
        if (e) *rc = rp_cmd_usage_error(VERB, "--filters: %s", eb.msg[0] ? eb.msg : rp_strerror(e));
        rp_buf_release(&b);
        s->any = true;
        return 1;
    }
    return 0;
}

static void sel_release(struct sel *s)
{
    rp_hub_filter_free(s->f);
    rp_json_parser_free(s->jp);
}

/* ---- import ------------------------------------------------------------------------------ */

struct import_ctx {
    size_t shown, failed;
};

static rp_err import_error(void *ctx, const char *source, size_t item, const char *id,
                           const char *code, const char *msg)
{
    struct import_ctx *ic = ctx;
    (void)item;
    ic->failed++;
    if (ic->shown++ < ERRORS_SHOWN)
        fprintf(stderr, "rampart: findings: %s: %s%s%s%s [%s]\n", source, msg, id ? " (Id '" : "",
                id ? id : "", id ? "')" : "", code);
    return RP_OK;
}

/* An error that concerns one input file (reported, counted, the import goes on), as opposed
 * to a store failure that ends the command. */
static bool file_error(rp_err e)
{
    return e == RP_EPARSE || e == RP_ENOENT || e == RP_EIO || e == RP_EINVAL || e == RP_ELIMIT;
}

/* A file a directory walk imports: findings come as .json, .jsonl or .ndjson, maybe .gz. */
static bool findings_file(const char *name)
{
    static const char *const ext[] = {".json",    ".jsonl",    ".ndjson",
                                      ".json.gz", ".jsonl.gz", ".ndjson.gz"};
    struct rp_str n = rp_str_from(name);
    for (size_t i = 0; i < RP_ARRAY_LEN(ext); i++)
        if (rp_str_has_suffix(n, ext[i])) return true;
    return false;
}

struct walk_ctx {
    struct rp_hub_importer *im;
    int *unreadable;
    rp_err fatal;
    struct rp_errbuf *eb;
};

static enum rp_walk_action walk_one(const struct rp_walk_entry *we, void *vctx)
{
    struct walk_ctx *wc = vctx;
    if (we->event == RP_WALK_EV_SKIP || we->event == RP_WALK_EV_ERROR) {
        fprintf(stderr, "rampart: findings: %s: %s\n", we->path, we->msg);
        (*wc->unreadable)++;
        return RP_WALK_CONTINUE;
    }
    if (we->event != RP_WALK_EV_FILE || !findings_file(we->name)) return RP_WALK_CONTINUE;
    struct rp_errbuf eb = {RP_OK, ""};
    rp_err e = rp_hub_import_file(wc->im, we->path, &eb);
    if (file_error(e)) {
        fprintf(stderr, "rampart: findings: %s\n", eb.msg[0] ? eb.msg : rp_strerror(e));
        (*wc->unreadable)++;
    } else if (e) {
        wc->fatal = e;
        *wc->eb = eb;
        return RP_WALK_STOP;
    }
    return RP_WALK_CONTINUE;
}

/* Import a file, or every findings file under a directory (walked in a fixed order, symlinks
 * below it not followed). Errors of single files are reported here and counted in
 * *unreadable; the return is a file's error for a file PATH, or a fatal (store) error. */
static rp_err import_path(struct rp_hub_importer *im, const char *path, int *unreadable,
                          struct rp_errbuf *eb)
{
    struct stat sb;
    if (stat(path, &sb) != 0 || !S_ISDIR(sb.st_mode)) return rp_hub_import_file(im, path, eb);
    struct walk_ctx wc = {im, unreadable, RP_OK, eb};
    const char *roots[1] = {path};
    rp_err e = rp_walk_run(roots, 1, NULL, walk_one, &wc, eb);
    return wc.fatal ? wc.fatal : e;
}

static int cmd_import(struct rp_cmd_ctx *ctx, int argc, char **argv)
{
    struct rp_hub_import_opts o;
    struct import_ctx ic = {0, 0};
    struct rp_store *st = NULL;
    struct rp_hub_importer *im = NULL;
    struct rp_errbuf eb = {RP_OK, ""};
    int rc = RP_EXIT_OK, nfiles = 0;
    rp_hub_import_opts_init(&o);
    o.on_error = import_error;
    o.ctx = &ic;
    for (int i = 1; i < argc; i++) {
        const char *val = NULL;
        int m = 0;
        if ((m = rp_cmd_opt_value("--from", argc, argv, &i, &val)) ||
            (m = rp_cmd_opt_value("--format-in", argc, argv, &i, &val))) {
            if (m < 0) return rp_cmd_usage_error(VERB, "--from needs a format");
            bool known = false;
            for (const char *const *n = rp_hub_import_format_names; *n; n++)
                known = known || strcmp(*n, val) == 0;
            if (!known)
                return rp_cmd_usage_error(VERB,
                                          "unknown import format '%s' (see `rampart findings "
                                          "formats`)",
                                          val);
            o.format = val;
        } else if ((m = rp_cmd_opt_value("--account", argc, argv, &i, &val))) {
            if (m < 0) return rp_cmd_usage_error(VERB, "--account needs an account id");
            o.account = val;
        } else if ((m = rp_cmd_opt_value("--region", argc, argv, &i, &val))) {
            if (m < 0) return rp_cmd_usage_error(VERB, "--region needs a region");
            o.region = val;
        } else if ((m = rp_cmd_opt_value("--identity", argc, argv, &i, &val))) {
            if (m < 0) return rp_cmd_usage_error(VERB, "--identity needs a name");
            o.identity = val;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            return rp_cmd_usage_error(VERB, "unknown option '%s'", argv[i]);
        } else {
            nfiles++;
        }
    }
    if (nfiles == 0)
        return rp_cmd_usage_error(VERB, "import needs at least one FILE ('-' for stdin)");
    if ((rc = open_store(ctx, true, &st))) return rc;
    if (rp_hub_importer_new(st, &o, &im, &eb) != RP_OK) {
        rp_store_free(st);
        return rp_cmd_error(VERB, "%s", eb.msg);
    }
    int unreadable = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] == '-' && a[1] != '\0') {
            if (!strchr(a, '=')) i++; /* its value */
            continue;
        }
        rp_err e;
        eb.code = RP_OK;
        eb.msg[0] = '\0';
        if (strcmp(a, "-") == 0) {
            struct rp_buf b;
            char tmp[65536];
            size_t n;
            rp_buf_init(&b, 0);
            e = RP_OK;
            while (!e && (n = fread(tmp, 1, sizeof tmp, stdin)) > 0) e = rp_buf_append(&b, tmp, n);
            if (!e) e = rp_hub_import_buf(im, b.data ? b.data : "", b.len, "<stdin>", &eb);
            rp_buf_release(&b);
        } else {
            e = import_path(im, a, &unreadable, &eb);
        }
        if (file_error(e)) {
            fprintf(stderr, "rampart: findings: %s\n", eb.msg[0] ? eb.msg : rp_strerror(e));
            unreadable++;
            continue;
        }
        if (e) {
            rp_hub_importer_free(im);
            rp_store_free(st);
            return rp_cmd_error(VERB, "%s", eb.msg[0] ? eb.msg : rp_strerror(e));
        }
    }
    struct rp_hub_import_stats s;
    rp_hub_importer_stats(im, &s);
    if (rp_hub_importer_finish(im, &eb) != RP_OK) {
        rp_store_free(st);
        return rp_cmd_error(VERB, "%s", eb.msg);
    }
    rp_store_free(st);
    if (ic.shown > ERRORS_SHOWN)
        fprintf(stderr, "rampart: findings: ... and %zu more refused findings\n",
                ic.shown - ERRORS_SHOWN);
    static const struct rp_out_col cols[] = {{"created", RP_OUT_COL_NUM},
                                             {"updated", RP_OUT_COL_NUM},
                                             {"unchanged", RP_OUT_COL_NUM},
                                             {"failed", RP_OUT_COL_NUM}};
    struct rp_out *out = rp_out_new(ctx, cols, RP_ARRAY_LEN(cols));
    char v[4][24];
    snprintf(v[0], sizeof v[0], "%zu", s.created);
    snprintf(v[1], sizeof v[1], "%zu", s.updated);
    snprintf(v[2], sizeof v[2], "%zu", s.unchanged);
    snprintf(v[3], sizeof v[3], "%zu", s.failed);
    const char *row[4] = {v[0], v[1], v[2], v[3]};
    if (!out || rp_out_row(out, row) != RP_OK || rp_out_flush(out) != RP_OK)
        rc = rp_cmd_error(VERB, "cannot write the summary");
    rp_out_free(out);
    if (rc) return rc;
    if (s.failed)
        fprintf(stderr, "rampart: findings: %zu findings refused; see `rampart db rejects`\n",
                s.failed);
    return s.failed || unreadable ? RP_EXIT_PARTIAL : RP_EXIT_OK;
}

/* ---- list, count, show ------------------------------------------------------------------- */

struct list_ctx {
    const struct rp_cmd_ctx *ctx;
    struct rp_out *out;
    struct rp_json_parser *jp;
    size_t n;
    bool raw; /* JSON: write documents as they are */
};

static const struct rp_out_col list_cols[] = {
    {"UpdatedAt", 0},   {"SeverityLabel", 0}, {"WorkflowStatus", 0},
    {"RecordState", 0}, {"ProductName", 0},   {"Type", 0},
    {"ResourceId", 0},  {"Title", 0},         {"Id", 0},
};

static void str_of(struct rp_json_val d, const char *obj, const char *k, char *out, size_t n)
{
    struct rp_json_val o = d;
    struct rp_str s;
    out[0] = '\0';
    if (obj && rp_json_obj_get(d, obj, &o) != RP_OK) return;
    if (rp_json_obj_get_str(o, k, &s) == RP_OK) snprintf(out, n, "%.*s", (int)s.len, s.p);
}

static rp_err list_one(void *vctx, const char *doc, size_t len)
{
    struct list_ctx *lc = vctx;
    struct rp_json_val d, arr, el;
    struct rp_str s;
    char v[9][512];
    lc->n++;
    if (lc->raw) {
        if (lc->n > 1) fputc(',', lc->ctx->out);
        fwrite(doc, 1, len, lc->ctx->out);
        return ferror(lc->ctx->out) ? RP_EIO : RP_OK;
    }
    rp_err e = rp_json_parse(lc->jp, doc, len, &d, NULL);
    if (e) return e;
    str_of(d, NULL, "UpdatedAt", v[0], sizeof v[0]);
    str_of(d, "Severity", "Label", v[1], sizeof v[1]);
    str_of(d, "Workflow", "Status", v[2], sizeof v[2]);
    str_of(d, NULL, "RecordState", v[3], sizeof v[3]);
    str_of(d, NULL, "ProductName", v[4], sizeof v[4]);
    v[5][0] = v[6][0] = '\0';
    if (rp_json_obj_get(d, "Types", &arr) == RP_OK && rp_json_arr_at(arr, 0, &el) == RP_OK &&
        rp_json_get_str(el, &s) == RP_OK)
        snprintf(v[5], sizeof v[5], "%.*s", (int)s.len, s.p);
    if (rp_json_obj_get(d, "Resources", &arr) == RP_OK && rp_json_arr_at(arr, 0, &el) == RP_OK)
        str_of(el, NULL, "Id", v[6], sizeof v[6]);
    str_of(d, NULL, "Title", v[7], sizeof v[7]);
    str_of(d, NULL, "Id", v[8], sizeof v[8]);
    const char *row[9];
    for (int i = 0; i < 9; i++) row[i] = v[i];
    return rp_out_row(lc->out, row);
}

/* --sort ATTR[:asc|desc] into s; the attribute name is copied into field (64 bytes). */
static int parse_sort(const char *val, struct rp_hub_sort *s, char *field)
{
    const char *colon = strrchr(val, ':');
    size_t n = colon ? (size_t)(colon - val) : strlen(val);
    if (n == 0 || n >= 64) return -1;
    memcpy(field, val, n);
    field[n] = '\0';
    s->field = field;
    s->asc = false;
    if (colon) {
        if (strcmp(colon + 1, "asc") == 0)
            s->asc = true;
        else if (strcmp(colon + 1, "desc") != 0)
            return -1;
    }
    return 0;
}

static int cmd_list(struct rp_cmd_ctx *ctx, int argc, char **argv, bool count_only)
{
    struct sel sl = {NULL, NULL, false};
    struct rp_hub_query q;
    struct rp_store *st = NULL;
    struct rp_errbuf eb = {RP_OK, ""};
    int rc = RP_EXIT_OK, nsort = 0;
    char sort_fields[4][64];
    char *next = NULL;
    memset(&q, 0, sizeof q);
    q.max_results = LIST_DEFAULT_MAX;
    if (rp_hub_filter_new(&sl.f) != RP_OK) return rp_cmd_error(VERB, "out of memory");
    for (int i = 1; i < argc && !rc; i++) {
        const char *val = NULL;
        int m = 0;
        if (sel_option(&sl, argc, argv, &i, &rc)) continue;
        if (!count_only && (m = rp_cmd_opt_value("--sort", argc, argv, &i, &val))) {
            if (m < 0 || nsort >= 4 || parse_sort(val, &q.sort[nsort], sort_fields[nsort]) != 0)
                rc = rp_cmd_usage_error(VERB, "--sort wants ATTR[:asc|desc] (at most 4)");
            else
                nsort++;
        } else if (!count_only && ((m = rp_cmd_opt_value("--max", argc, argv, &i, &val)) ||
                                   (m = rp_cmd_opt_value("--max-results", argc, argv, &i, &val)))) {
            char *end = NULL;
            long long n = m > 0 ? strtoll(val, &end, 10) : -1;
            if (m < 0 || !end || *end || n < 0)
                rc = rp_cmd_usage_error(VERB, "--max wants a number (0 = all)");
            else
                q.max_results = (size_t)n;
        } else if (!count_only && (m = rp_cmd_opt_value("--next-token", argc, argv, &i, &val))) {
            if (m < 0)
                rc = rp_cmd_usage_error(VERB, "--next-token needs the token");
            else
                q.next_token = val;
        } else {
            rc = rp_cmd_usage_error(VERB, "unknown option '%s'", argv[i]);
        }
    }
    if (rc || (rc = open_store(ctx, false, &st))) {
        sel_release(&sl);
        return rc;
    }
    q.filter = sl.f;
    if (count_only) {
        int64_t n = 0;
        if (rp_hub_findings_count(st, sl.f, &n, &eb) != RP_OK)
            rc = rp_cmd_error(VERB, "%s", eb.msg);
        else
            fprintf(ctx->out, "%" PRId64 "\n", n);
        rp_store_free(st);
        sel_release(&sl);
        return rc;
    }
    struct list_ctx lc = {ctx, NULL, rp_json_parser_new(), 0, ctx->format == RP_OUT_JSON};
    if (!lc.raw) lc.out = rp_out_new(ctx, list_cols, RP_ARRAY_LEN(list_cols));
    if (!lc.jp || (!lc.raw && !lc.out)) {
        rc = rp_cmd_error(VERB, "out of memory");
        goto out;
    }
    if (lc.raw) fputs("{\"Findings\":[", ctx->out);
    if (rp_hub_findings_get(st, &q, list_one, &lc, &next, &eb) != RP_OK) {
        if (lc.raw) fputs("]}\n", ctx->out);
        rc = rp_cmd_error(VERB, "%s", eb.msg[0] ? eb.msg : "cannot read the findings");
        goto out;
    }
    if (lc.raw) {
        fputs("]", ctx->out);
        if (next) {
            struct rp_buf b;
            struct rp_json_writer jw;
            rp_buf_init(&b, 0);
            rp_json_writer_init(&jw, &b);
            rp_json_write_cstr(&jw, next);
            if (rp_json_writer_finish(&jw) == RP_OK) fprintf(ctx->out, ",\"NextToken\":%s", b.data);
            rp_buf_release(&b);
        }
        fputs("}\n", ctx->out);
    } else {
        if (rp_out_flush(lc.out) != RP_OK) rc = rp_cmd_error(VERB, "cannot write the results");
        if (next) fprintf(stderr, "rampart: findings: more findings: --next-token %s\n", next);
    }
out:
    free(next);
    rp_out_free(lc.out);
    rp_json_parser_free(lc.jp);
    rp_store_free(st);
    sel_release(&sl);
    return rc;
}

/* A new filter selecting finding Id (of product arn, unless NULL) into *out (NULL on error). */
static rp_err id_filter(const char *id, const char *arn, struct rp_hub_filter **out,
                        struct rp_errbuf *eb)
{
    struct rp_buf cond;
    rp_buf_init(&cond, 0);
    rp_err e = rp_hub_filter_new(out);
    if (!e) e = rp_buf_printf(&cond, "Id=%s", id);
    if (!e) e = rp_hub_filter_add_arg(*out, cond.data, 0, eb);
    if (!e && arn) {
        rp_buf_reset(&cond);
        if (!(e = rp_buf_printf(&cond, "ProductArn=%s", arn)))
            e = rp_hub_filter_add_arg(*out, cond.data, 0, eb);
    }
    rp_buf_release(&cond);
    if (e) {
        rp_hub_filter_free(*out);
        *out = NULL;
    }
    return e;
}

/* show and history: find the ProductArn of an Id when none is given. */
struct find_ctx {
    struct rp_json_parser *jp;
    char arn[1024];
    size_t n;
};

static rp_err find_one(void *vctx, const char *doc, size_t len)
{
    struct find_ctx *fc = vctx;
    struct rp_json_val d;
    struct rp_str s;
    if (fc->n++ == 0 && rp_json_parse(fc->jp, doc, len, &d, NULL) == RP_OK &&
        rp_json_obj_get_str(d, "ProductArn", &s) == RP_OK)
        snprintf(fc->arn, sizeof fc->arn, "%.*s", (int)s.len, s.p);
    return RP_OK;
}

static rp_err print_doc(void *vctx, const char *doc, size_t len)
{
    FILE *f = vctx;
    fwrite(doc, 1, len, f);
    fputc('\n', f);
    return ferror(f) ? RP_EIO : RP_OK;
}

struct hist_ctx {
    FILE *f;
    size_t n;
    bool json; /* GetFindingHistory's shape: {"Records": [..]} */
};

static rp_err print_record(void *vctx, const char *rec, size_t len)
{
    struct hist_ctx *hc = vctx;
    if (hc->json && hc->n) fputc(',', hc->f);
    hc->n++;
    fwrite(rec, 1, len, hc->f);
    if (!hc->json) fputc('\n', hc->f);
    return ferror(hc->f) ? RP_EIO : RP_OK;
}

static int cmd_show(struct rp_cmd_ctx *ctx, int argc, char **argv, bool history)
{
    const char *id = NULL, *arn = NULL;
    struct rp_store *st = NULL;
    struct rp_errbuf eb = {RP_OK, ""};
    int rc = RP_EXIT_OK;
    for (int i = 1; i < argc; i++) {
        const char *val = NULL;
        int m = rp_cmd_opt_value("--product-arn", argc, argv, &i, &val);
        if (m < 0) return rp_cmd_usage_error(VERB, "--product-arn needs an ARN");
        if (m > 0)
            arn = val;
        else if (argv[i][0] == '-' && argv[i][1])
            return rp_cmd_usage_error(VERB, "unknown option '%s'", argv[i]);
        else if (!id)
            id = argv[i];
        else
            return rp_cmd_usage_error(VERB, "%s takes one finding Id", argv[0]);
    }
    if (!id) return rp_cmd_usage_error(VERB, "%s needs a finding Id", argv[0]);
    if ((rc = open_store(ctx, false, &st))) return rc;
    struct rp_hub_filter *f = NULL;
    struct find_ctx fc = {rp_json_parser_new(), "", 0};
    struct rp_hub_query q;
    memset(&q, 0, sizeof q);
    rp_err e = fc.jp ? id_filter(id, arn, &f, &eb) : RP_ENOMEM;
    q.filter = f;
    q.max_results = 2;
    if (!e) e = rp_hub_findings_get(st, &q, find_one, &fc, NULL, &eb);
    if (e) {
        rc = rp_cmd_error(VERB, "%s", eb.msg[0] ? eb.msg : rp_strerror(e));
    } else if (fc.n == 0) {
        rc = rp_cmd_error(VERB, "no finding with Id '%s'%s%s", id, arn ? " and ProductArn " : "",
                          arn ? arn : "");
    } else if (fc.n > 1) {
        rc = rp_cmd_error(VERB, "several products have a finding '%s'; give --product-arn", id);
    } else if (history) {
        struct hist_ctx hc = {ctx->out, 0, ctx->format == RP_OUT_JSON};
        if (hc.json) fputs("{\"Records\":[", ctx->out);
        e = rp_hub_history(st, fc.arn, id, print_record, &hc, &eb);
        if (hc.json) fputs("]}\n", ctx->out);
        if (e) rc = rp_cmd_error(VERB, "%s", eb.msg);
    } else {
        q.max_results = 1;
        e = rp_hub_findings_get(st, &q, print_doc, ctx->out, NULL, &eb);
        if (e) rc = rp_cmd_error(VERB, "%s", eb.msg);
    }
    rp_hub_filter_free(f);
    rp_json_parser_free(fc.jp);
    rp_store_free(st);
    return rc;
}

/* ---- update ------------------------------------------------------------------------------ */

struct ids_ctx {
    struct rp_json_writer *jw;
    struct rp_json_parser *jp;
    size_t n;
};

static rp_err add_identifier(void *vctx, const char *doc, size_t len)
{
    struct ids_ctx *ic = vctx;
    struct rp_json_val d;
    struct rp_str id, arn;
    rp_err e = rp_json_parse(ic->jp, doc, len, &d, NULL);
    if (e) return e;
    if (rp_json_obj_get_str(d, "Id", &id) != RP_OK ||
        rp_json_obj_get_str(d, "ProductArn", &arn) != RP_OK)
        return RP_OK;
    rp_json_write_obj_begin(ic->jw);
    rp_json_write_kv_str(ic->jw, "Id", id.p, id.len);
    rp_json_write_kv_str(ic->jw, "ProductArn", arn.p, arn.len);
    rp_json_write_obj_end(ic->jw);
    ic->n++;
    return RP_OK;
}

static rp_err update_error(void *ctx, const char *source, size_t item, const char *id,
                           const char *code, const char *msg)
{
    size_t *failed = ctx;
    (void)source;
    (void)item;
    (*failed)++;
    fprintf(stderr, "rampart: findings: %s: %s (Id '%s')\n", code, msg, id ? id : "");
    return RP_OK;
}

static int cmd_update(struct rp_cmd_ctx *ctx, int argc, char **argv)
{
    struct sel sl = {NULL, NULL, false};
    const char *request = NULL, *arn = NULL, *note = NULL, *by = NULL;
    const char *ids[256];
    size_t nids = 0;
    struct rp_buf body, udf;
    struct rp_json_writer jw, uw;
    struct rp_errbuf eb = {RP_OK, ""};
    struct rp_store *st = NULL;
    int rc = RP_EXIT_OK;
    bool changes = false;
    rp_buf_init(&body, 0);
    rp_buf_init(&udf, 0);
    rp_json_writer_init(&jw, &body);
    rp_json_writer_init(&uw, &udf);
    rp_json_write_obj_begin(&uw);
    /* changes are written into the request body as they come; identifiers are added last */
    rp_json_write_obj_begin(&jw);
    if (rp_hub_filter_new(&sl.f) != RP_OK) return rp_cmd_error(VERB, "out of memory");
    for (int i = 1; i < argc && !rc; i++) {
        const char *val = NULL;
        int m = 0;
        if (sel_option(&sl, argc, argv, &i, &rc)) continue;
        if ((m = rp_cmd_opt_value("--request", argc, argv, &i, &val)))
            request = val;
        else if ((m = rp_cmd_opt_value("--id", argc, argv, &i, &val))) {
            if (m > 0 && nids < RP_ARRAY_LEN(ids))
                ids[nids++] = val;
            else if (m > 0)
                rc = rp_cmd_usage_error(VERB, "more than %zu --id; use --request or --filter",
                                        RP_ARRAY_LEN(ids));
        } else if ((m = rp_cmd_opt_value("--product-arn", argc, argv, &i, &val)))
            arn = val;
        else if ((m = rp_cmd_opt_value("--note", argc, argv, &i, &val)))
            note = val, changes = true;
        else if ((m = rp_cmd_opt_value("--updated-by", argc, argv, &i, &val)))
            by = val;
        else if ((m = rp_cmd_opt_value("--workflow-status", argc, argv, &i, &val))) {
            rp_json_write_key(&jw, "Workflow", 8);
            rp_json_write_obj_begin(&jw);
            rp_json_write_kv_cstr(&jw, "Status", val);
            rp_json_write_obj_end(&jw);
            changes = true;
        } else if ((m = rp_cmd_opt_value("--severity", argc, argv, &i, &val))) {
            rp_json_write_key(&jw, "Severity", 8);
            rp_json_write_obj_begin(&jw);
            rp_json_write_kv_cstr(&jw, "Label", val);
            rp_json_write_obj_end(&jw);
            changes = true;
        } else if ((m = rp_cmd_opt_value("--verification-state", argc, argv, &i, &val))) {
            rp_json_write_kv_cstr(&jw, "VerificationState", val);
            changes = true;
        } else if ((m = rp_cmd_opt_value("--confidence", argc, argv, &i, &val)) ||
                   (m = rp_cmd_opt_value("--criticality", argc, argv, &i, &val))) {
            char *end = NULL;
            long long n = m > 0 ? strtoll(val, &end, 10) : -1;
            if (m < 0 || !end || *end)
                rc = rp_cmd_usage_error(VERB, "%s wants a number from 0 to 100", argv[i]);
            rp_json_write_kv_int(&jw, strstr(argv[i], "crit") ? "Criticality" : "Confidence", n);
            changes = true;
        } else if ((m = rp_cmd_opt_value("--types", argc, argv, &i, &val))) {
            rp_json_write_key(&jw, "Types", 5);
            rp_json_write_arr_begin(&jw);
            for (const char *p = val; *p;) {
                const char *c = strchr(p, ',');
                size_t n = c ? (size_t)(c - p) : strlen(p);
                if (n) rp_json_write_str(&jw, p, n);
                p += n + (c ? 1 : 0);
            }
            rp_json_write_arr_end(&jw);
            changes = true;
        } else if ((m = rp_cmd_opt_value("--user-defined-field", argc, argv, &i, &val))) {
            const char *eq = m > 0 ? strchr(val, '=') : NULL;
            if (!eq || eq == val)
                rc = rp_cmd_usage_error(VERB, "--user-defined-field wants KEY=VALUE");
            else {
                rp_json_write_key(&uw, val, (size_t)(eq - val));
                rp_json_write_cstr(&uw, eq + 1);
            }
            changes = true;
        } else {
            rc = rp_cmd_usage_error(VERB, "unknown option '%s'", argv[i]);
        }
        if (!rc && m < 0) rc = rp_cmd_usage_error(VERB, "option '%s' needs a value", argv[i]);
    }
    if (!rc && request && (changes || nids || sl.any))
        rc = rp_cmd_usage_error(VERB, "--request takes the whole request; give no other option");
    if (!rc && !request && !changes)
        rc = rp_cmd_usage_error(VERB, "update needs --request, or a change such as "
                                      "--workflow-status");
    if (!rc && !request && !nids && !sl.any)
        rc = rp_cmd_usage_error(VERB, "update needs findings: --id ID or --filter COND");
    if (!rc && note && !by) by = getenv("USER") ? getenv("USER") : "rampart";
    if (rc) goto out;
    if ((rc = open_store(ctx, true, &st))) goto out;
    struct rp_json_parser *jp = rp_json_parser_new();
    struct rp_json_val root;
    if (!jp) {
        rc = rp_cmd_error(VERB, "out of memory");
        goto out;
    }
    rp_err e = RP_OK;
    if (request) {
        rp_buf_reset(&body);
        e = json_arg(request, &body, &eb);
    } else {
        if (note) {
            rp_json_write_key(&jw, "Note", 4);
            rp_json_write_obj_begin(&jw);
            rp_json_write_kv_cstr(&jw, "Text", note);
            rp_json_write_kv_cstr(&jw, "UpdatedBy", by);
            rp_json_write_obj_end(&jw);
        }
        rp_json_write_obj_end(&uw);
        if (rp_json_writer_finish(&uw) == RP_OK && udf.len > 2) {
            rp_json_write_key(&jw, "UserDefinedFields", 17);
            rp_json_write_raw(&jw, udf.data, udf.len);
        }
        rp_json_write_key(&jw, "FindingIdentifiers", 18);
        rp_json_write_arr_begin(&jw);
        struct rp_json_parser *fp = rp_json_parser_new();
        struct ids_ctx ic = {&jw, fp, 0};
        if (!fp) e = RP_ENOMEM;
        for (size_t k = 0; !e && k < nids; k++) {
            /* an --id without --product-arn: every product's finding with that Id */
            struct rp_hub_filter *f = NULL;
            struct rp_hub_query q;
            memset(&q, 0, sizeof q);
            size_t before = ic.n;
            e = id_filter(ids[k], arn, &f, &eb);
            q.filter = f;
            if (!e) e = rp_hub_findings_get(st, &q, add_identifier, &ic, NULL, &eb);
            if (!e && ic.n == before) {
                /* let the update report FindingNotFound, as the API does */
                rp_json_write_obj_begin(&jw);
                rp_json_write_kv_cstr(&jw, "Id", ids[k]);
                rp_json_write_kv_cstr(&jw, "ProductArn", arn ? arn : "");
                rp_json_write_obj_end(&jw);
                ic.n++;
            }
            rp_hub_filter_free(f);
        }
        if (!e && sl.any) {
            struct rp_hub_query q;
            memset(&q, 0, sizeof q);
            q.filter = sl.f;
            e = rp_hub_findings_get(st, &q, add_identifier, &ic, NULL, &eb);
        }
        rp_json_parser_free(fp);
        rp_json_write_arr_end(&jw);
        rp_json_write_obj_end(&jw);
        if (!e) e = rp_json_writer_finish(&jw);
        if (!e && ic.n == 0) {
            fprintf(stderr, "rampart: findings: no finding matches; nothing updated\n");
            goto done;
        }
    }
    if (!e) e = rp_json_parse_buf(jp, &body, &root, &eb);
    size_t processed = 0, failed = 0;
    if (!e) e = rp_hub_update(st, root, getenv("USER"), 0, update_error, &failed, &processed, &eb);
    if (e) {
        rc = e == RP_EINVAL ? rp_cmd_usage_error(VERB, "%s", eb.msg)
                            : rp_cmd_error(VERB, "%s", eb.msg[0] ? eb.msg : rp_strerror(e));
    } else {
        fprintf(ctx->out, "updated %zu finding%s", processed, processed == 1 ? "" : "s");
        if (failed) fprintf(ctx->out, ", %zu not processed", failed);
        fputc('\n', ctx->out);
        if (failed) rc = RP_EXIT_PARTIAL;
    }
done:
    rp_json_parser_free(jp);
out:
    rp_store_free(st);
    rp_buf_release(&body);
    rp_buf_release(&udf);
    sel_release(&sl);
    return rc;
}

/* ---- export ------------------------------------------------------------------------------ */

static rp_err export_one(void *vctx, const char *doc, size_t len)
{
    return rp_hub_exporter_add(vctx, doc, len, NULL);
}

static int cmd_export(struct rp_cmd_ctx *ctx, int argc, char **argv)
{
    struct sel sl = {NULL, NULL, false};
    const char *to = NULL, *path = NULL;
    struct rp_store *st = NULL;
    struct rp_errbuf eb = {RP_OK, ""};
    int rc = RP_EXIT_OK;
    if (rp_hub_filter_new(&sl.f) != RP_OK) return rp_cmd_error(VERB, "out of memory");
    for (int i = 1; i < argc && !rc; i++) {
        const char *val = NULL;
        int m = 0;
        if (sel_option(&sl, argc, argv, &i, &rc)) continue;
        if ((m = rp_cmd_opt_value("--to", argc, argv, &i, &val)))
            to = val;
        else if ((m = rp_cmd_opt_value("-o", argc, argv, &i, &val)) ||
                 (m = rp_cmd_opt_value("--output", argc, argv, &i, &val)))
            path = val;
        else
            rc = rp_cmd_usage_error(VERB, "unknown option '%s'", argv[i]);
        if (!rc && m < 0) rc = rp_cmd_usage_error(VERB, "option '%s' needs a value", argv[i]);
    }
    if (!rc && !to)
        rc = rp_cmd_usage_error(VERB, "export needs --to FORMAT (asff, asff-lines, ocsf, "
                                      "ocsf-lines, sarif, csv, inspector, macie, guardduty)");
    if (rc || (rc = open_store(ctx, false, &st))) {
        sel_release(&sl);
        return rc;
    }
    FILE *f = path ? fopen(path, "w") : ctx->out;
    struct rp_hub_exporter *x = NULL;
    struct rp_hub_query q;
    memset(&q, 0, sizeof q);
    q.filter = sl.f;
    q.sort[0].field = "UpdatedAt";
    q.sort[0].asc = true;
    if (!f) {
        rc = rp_cmd_error(VERB, "cannot write '%s'", path);
    } else if (rp_hub_exporter_new(to, f, &x, &eb) != RP_OK) {
        rc = rp_cmd_usage_error(VERB, "%s", eb.msg);
    } else {
        rp_err e = rp_hub_findings_get(st, &q, export_one, x, NULL, &eb);
        if (e) {
            rp_hub_exporter_free(x);
            rc = rp_cmd_error(VERB, "%s", eb.msg[0] ? eb.msg : rp_strerror(e));
        } else if (rp_hub_exporter_finish(x, &eb) != RP_OK) {
            rc = rp_cmd_error(VERB, "%s", eb.msg);
        }
    }
    if (f && path && fclose(f) != 0 && !rc) rc = rp_cmd_error(VERB, "cannot write '%s'", path);
    rp_store_free(st);
    sel_release(&sl);
    return rc;
}

/* ---- insights ---------------------------------------------------------------------------- */

static rp_err group_row(void *vctx, const char *value, int64_t count)
{
    struct rp_out *out = vctx;
    char n[24];
    snprintf(n, sizeof n, "%" PRId64, count);
    const char *row[2] = {value, n};
    return rp_out_row(out, row);
}

static int cmd_insights(struct rp_cmd_ctx *ctx, int argc, char **argv)
{
    struct sel sl = {NULL, NULL, false};
    const char *group_by = NULL, *run = NULL;
    size_t max = 100;
    bool list = false;
    struct rp_store *st = NULL;
    struct rp_errbuf eb = {RP_OK, ""};
    struct rp_arena arena;
    struct rp_hub_insight *ins = NULL;
    size_t nins = 0;
    int rc = RP_EXIT_OK;
    rp_arena_init(&arena, 0);
    if (rp_hub_filter_new(&sl.f) != RP_OK) return rp_cmd_error(VERB, "out of memory");
    for (int i = 1; i < argc && !rc; i++) {
        const char *val = NULL;
        int m = 0;
        if (sel_option(&sl, argc, argv, &i, &rc)) continue;
        if ((m = rp_cmd_opt_value("--group-by", argc, argv, &i, &val))) {
            group_by = val;
        } else if ((m = rp_cmd_opt_value("--max", argc, argv, &i, &val))) {
            char *end = NULL;
            long long n = m > 0 ? strtoll(val, &end, 10) : -1;
            if (!end || *end || n < 0)
                rc = rp_cmd_usage_error(VERB, "--max wants a number (0 = all)");
            max = (size_t)n;
        } else if (i == 1 && strcmp(argv[i], "list") == 0) {
            list = true;
        } else if (i == 1 && strcmp(argv[i], "run") == 0) {
            if (i + 1 >= argc)
                rc = rp_cmd_usage_error(VERB, "insights run needs an insight ARN or number");
            else
                run = argv[++i];
        } else {
            rc = rp_cmd_usage_error(VERB, "unknown option '%s'", argv[i]);
        }
        if (!rc && m < 0) rc = rp_cmd_usage_error(VERB, "option '%s' needs a value", argv[i]);
    }
    if (rc) goto out;
    if (list || run) {
        if (rp_hub_insights_load(&arena, &ins, &nins, &eb) != RP_OK) {
            rc = rp_cmd_error(VERB, "%s", eb.msg[0] ? eb.msg : "cannot load the managed insights");
            goto out;
        }
    }
    if (list) {
        static const struct rp_out_col cols[] = {
            {"N", RP_OUT_COL_NUM}, {"Name", 0}, {"GroupByAttribute", 0}, {"InsightArn", 0}};
        struct rp_out *out = rp_out_new(ctx, cols, RP_ARRAY_LEN(cols));
        for (size_t k = 0; out && k < nins; k++) {
            char n[24];
            snprintf(n, sizeof n, "%zu", k + 1);
            const char *row[4] = {n, ins[k].name, ins[k].group_by, ins[k].arn};
            if (rp_out_row(out, row) != RP_OK) break;
        }
        if (!out || rp_out_flush(out) != RP_OK) rc = rp_cmd_error(VERB, "cannot write the list");
        rp_out_free(out);
        goto out;
    }
    if (run) {
        char *end = NULL;
        long long n = strtoll(run, &end, 10);
        const struct rp_hub_insight *hit = NULL;
        for (size_t k = 0; k < nins; k++)
            if (strcmp(ins[k].arn, run) == 0 || (end && !*end && n == (long long)k + 1))
                hit = &ins[k];
        if (!hit) {
            rc = rp_cmd_usage_error(VERB,
                                    "no managed insight '%s' (see `rampart findings insights "
                                    "list`)",
                                    run);
            goto out;
        }
        struct rp_json_parser *jp = rp_json_parser_new();
        struct rp_json_val root;
        rp_err e =
            jp ? rp_json_parse(jp, hit->filters, strlen(hit->filters), &root, &eb) : RP_ENOMEM;
        if (!e) e = rp_hub_filter_add_json(sl.f, root, rp_time_now_ms(), &eb);
        rp_json_parser_free(jp);
        if (e) {
            rc = rp_cmd_error(VERB, "insight '%s': %s", hit->name, eb.msg);
            goto out;
        }
        if (!group_by) group_by = hit->group_by;
        if (ctx->format == RP_OUT_TABLE) fprintf(ctx->out, "%s\n", hit->name);
    }
    if (!group_by) group_by = "ResourceId";
    if ((rc = open_store(ctx, false, &st))) goto out;
    const struct rp_out_col cols[] = {{group_by, 0}, {"Count", RP_OUT_COL_NUM}};
    struct rp_out *out = rp_out_new(ctx, cols, RP_ARRAY_LEN(cols));
    if (!out) {
        rc = rp_cmd_error(VERB, "out of memory");
        goto out;
    }
    if (rp_hub_group(st, sl.f, group_by, max, group_row, out, &eb) != RP_OK)
        rc = eb.code == RP_EINVAL ? rp_cmd_usage_error(VERB, "%s", eb.msg)
                                  : rp_cmd_error(VERB, "%s", eb.msg);
    else if (rp_out_flush(out) != RP_OK)
        rc = rp_cmd_error(VERB, "cannot write the results");
    rp_out_free(out);
out:
    rp_arena_release(&arena);
    rp_store_free(st);
    sel_release(&sl);
    return rc;
}

static int cmd_formats(struct rp_cmd_ctx *ctx)
{
    static const struct rp_out_col cols[] = {{"direction", 0}, {"format", 0}};
    struct rp_out *out = rp_out_new(ctx, cols, RP_ARRAY_LEN(cols));
    int rc = RP_EXIT_OK;
    for (const char *const *n = rp_hub_import_format_names; out && *n; n++) {
        const char *row[2] = {"import (--from)", *n};
        if (rp_out_row(out, row) != RP_OK) rc = RP_EXIT_ERROR;
    }
    for (const char *const *n = rp_hub_export_format_names; out && *n; n++) {
        const char *row[2] = {"export (--to)", *n};
        if (rp_out_row(out, row) != RP_OK) rc = RP_EXIT_ERROR;
    }
    if (!out || rp_out_flush(out) != RP_OK) rc = rp_cmd_error(VERB, "cannot write the list");
    rp_out_free(out);
    return rc;
}

int rp_cmd_findings(struct rp_cmd_ctx *ctx, int argc, char **argv)
{
    if (argc < 2)
        return rp_cmd_usage_error(VERB, "missing sub-command (import, list, count, show, history, "
                                        "update, export, insights, formats)");
    const char *sub = argv[1];
    argc--;
    argv++;
    if (strcmp(sub, "import") == 0) return cmd_import(ctx, argc, argv);
    if (strcmp(sub, "list") == 0) return cmd_list(ctx, argc, argv, false);
    if (strcmp(sub, "count") == 0) return cmd_list(ctx, argc, argv, true);
    if (strcmp(sub, "show") == 0) return cmd_show(ctx, argc, argv, false);
    if (strcmp(sub, "history") == 0) return cmd_show(ctx, argc, argv, true);
    if (strcmp(sub, "update") == 0) return cmd_update(ctx, argc, argv);
    if (strcmp(sub, "export") == 0) return cmd_export(ctx, argc, argv);
    if (strcmp(sub, "insights") == 0) return cmd_insights(ctx, argc, argv);
    if (strcmp(sub, "formats") == 0) return cmd_formats(ctx);
    return rp_cmd_usage_error(VERB, "unknown sub-command '%s'", sub);
}
