/* SPDX-License-Identifier: Apache-2.0 */
/* `rampart discover`: sensitive data discovery (Macie, src/dataid, issue 8).
 * `identifiers test` runs one identifier (managed, stored custom, or a custom identifier
 * file) over sample text as Macie's console test does, and `scan` classifies
 * every file under the paths and stores one Macie finding per file with sensitive data in the
 * findings hub and a checkpoint per object (dataid_job.h), so that `scan --changed-only` reads
 * only what changed; `buckets` prints each bucket's Macie sensitivity score from the
 * checkpoints; `job` stores and runs Macie-style jobs; `policy` makes the bucket policy
 * findings. `identifiers list|add|show|remove` and `allow-list` (stored custom identifiers and
 * allow lists, which scans and jobs use) are in cmd_discover_ids.c. S3 listings go through
 * rp_s3_walk, whose want callback leaves unchanged objects unfetched, as
 * rp_dataid_classify_paths_ex's leaves unchanged local files unopened (its root_done tells
 * when a directory was listed whole, so its gone files can be pruned). */
#define RP_LOG_MODULE "cmd"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/cmd_discover_ids.h"
#include "cmd/cmd_verbs.h"
#include "core/rp_buf.h"
#include "core/rp_gz.h"
#include "core/rp_hash.h"
#include "core/rp_json.h"
#include "core/rp_str.h"
#include "core/rp_time.h"
#include "dataid/dataid.h"
#include "dataid/dataid_job.h"
#include "dataid/dataid_s3.h"
#include "hub/hub.h"
#include "store/store.h"
#include "core/rp_banned.h"

#define VERB       "discover"
#define MAX_OBJECT (512u << 20) /* larger files are reported, not read */

const char rp_cmd_discover_usage[] =
    "rampart discover identifiers list\n"
    "       rampart discover identifiers add FILE.yaml [--name NAME] [--description TEXT]\n"
    "       rampart discover identifiers show|remove ID|NAME\n"
    "       rampart discover identifiers test ID|NAME|FILE.yaml TEXT\n"
    "       rampart discover allow-list create --name NAME [--description TEXT]\n"
    "                             (--regex RE | --words FILE)\n"
    "       rampart discover allow-list list\n"
    "       rampart discover allow-list show ID|NAME\n"
    "       rampart discover allow-list delete [--ignore-job-usage] ID|NAME\n"
    "       rampart discover scan [--dry-run] [--identifiers ID,..] [--custom FILE.yaml]..\n"
    "                             [--custom-id ID|NAME].. [--no-custom]\n"
    "                             [--allow-list-id ID|NAME].. [--no-allow-lists]\n"
    "                             [--allow-list FILE] [--allow-regex RE] [--results FILE]\n"
    "                             [--endpoint-url URL] [--changed-only] [--reveal]\n"
    "                             PATH|s3://BUCKET[/PREFIX]...\n"
    "       rampart discover buckets\n"
    "       rampart discover job create --name NAME [--schedule daily|weekly:DAY|monthly:N]\n"
    "                             [--sampling PCT] [--include-key-prefix P]\n"
    "                             [--exclude-extension EXT].. [--min-size B] [--max-size B]\n"
    "                             [--since DATE] [--identifiers ID,..] [--custom FILE.yaml]..\n"
    "                             [--custom-id ID|NAME].. [--no-custom]\n"
    "                             [--allow-list-id ID|NAME].. [--no-allow-lists]\n"
    "                             PATH|s3://BUCKET[/PREFIX]...\n"
    "       rampart discover job run ID|--due\n"
    "       rampart discover job list\n"
    "       rampart discover job show ID\n"
    "       rampart discover policy [--dry-run]";

const char rp_cmd_discover_help[] =
    "Sensitive data discovery (Macie): managed and custom data identifiers over files.\n"
    "\n"
    "  identifiers list    Macie's managed data identifiers and the stored custom ones (type\n"
    "                      managed|custom): id, category, name, validator, keywords\n"
    "  identifiers add FILE.yaml\n"
    "                      store a custom data identifier (Macie's CreateCustomDataIdentifier):\n"
    "                      the identifier file format or Macie's JSON, validated with Macie's\n"
    "                      limits; prints its customDataIdentifierId\n"
    "      --name NAME     its name (else the file's id, or Macie's name)\n"
    "      --description T its description\n"
    "  identifiers show ID|NAME\n"
    "                      Macie's GetCustomDataIdentifier JSON\n"
    "  identifiers remove ID|NAME\n"
    "                      delete it (a soft delete, as Macie's: jobs that name it keep it)\n"
    "  identifiers test ID|NAME|FILE.yaml TEXT\n"
    "                      run one identifier (a managed id, a stored custom one, or a custom\n"
    "                      identifier file) over TEXT, as Macie's console does: every match\n"
    "                      with its offsets\n"
    "  allow-list create --name NAME (--regex RE | --words FILE)\n"
    "                      store an allow list (Macie's CreateAllowList): a regex, or phrases\n"
    "                      one per line (copied from FILE); prints its allowListId\n"
    "  allow-list list|show ID|NAME|delete ID|NAME\n"
    "                      the allow lists; show prints Macie's GetAllowList JSON; delete\n"
    "                      refuses a list a job not complete uses (--ignore-job-usage)\n"
    "  scan PATH...        classify every file under the paths with all managed identifiers\n"
    "                      (.gz read decompressed, zip and tar archives member by member,\n"
    "                      Word, Excel, PowerPoint and PDF by their text); one finding per\n"
    "                      object with sensitive data (SensitiveData:S3Object/Credentials|\n"
    "                      Financial|Personal|CustomIdentifier|Multiple) in the findings hub,\n"
    "                      with Macie's locators (lineRanges for text, Word and PowerPoint;\n"
    "                      cells for CSV/TSV and workbooks, with cellReference; records and\n"
    "                      JSON paths; pages for PDF);\n"
    "                      values only redacted\n"
    "      --dry-run       print, store nothing\n"
    "      --identifiers L only these managed identifiers (comma-separated ids)\n"
    "      --custom FILE   a custom data identifier file (repeatable; docs/discover.md)\n"
    "                      scans use every stored custom identifier and allow list, unless:\n"
    "      --custom-id R   only these stored custom identifiers (repeatable; id or name)\n"
    "      --no-custom     no stored custom identifier\n"
    "      --allow-list-id R  only these stored allow lists (repeatable; id or name)\n"
    "      --no-allow-lists   no stored allow list\n"
    "      --allow-list F  an allow list: one phrase per line (case-insensitive, exact)\n"
    "      --allow-regex R an allow list regex (an occurrence it matches in full is ignored)\n"
    "      --results FILE  Macie's sensitive data discovery results: one JSON line per object\n"
    "                      read, with each detection type, its count and located occurrences\n"
    "      --reveal        also show the values found in clear (Macie's reveal samples: the\n"
    "                      first 10 of each type and object, in a 'revealed' column); implies\n"
    "                      --dry-run: nothing is stored, and findings keep redacted samples\n"
    "      --changed-only  read only files and objects that changed since the last scan\n"
    "                      recorded them (S3: ETag and size; files: size and modification\n"
    "                      time); the others keep their last results\n"
    "  scan s3://BUCKET[/PREFIX]\n"
    "                      the objects of an S3-compatible bucket (S3 REST API, SigV4); endpoint,\n"
    "                      region and credentials as the AWS CLI finds them (AWS_* variables,\n"
    "                      ~/.aws/credentials and ~/.aws/config, AWS_PROFILE)\n"
    "      --endpoint-url URL\n"
    "                      an S3-compatible server (path-style addressing), as the AWS CLI's\n"
    "                      (else AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, the profile's\n"
    "                      endpoint_url, or AWS)\n"
    "  buckets             per bucket scanned: objects known, classified, bytes classified,\n"
    "                      sensitive objects, errors, and Macie's sensitivity score (-1..100)\n"
    "                      with its label, from the checkpoints of the last scans\n"
    "  job create          a classification job (Macie's): its sources, scope (key prefix,\n"
    "                      excluded extensions, sizes, --since DATE), --sampling percentage\n"
    "                      (the same objects every run), identifiers, and a --schedule\n"
    "                      (daily, weekly:MONDAY, monthly:15; 00:00 UTC); prints the jobId;\n"
    "                      the stored custom identifiers and allow lists it uses are fixed\n"
    "                      now (all, or --custom-id/--allow-list-id, --no-custom...)\n"
    "  job run ID|--due    run a job now, or every scheduled job whose time has come (no\n"
    "                      daemon: run --due from cron); a first run reads all in scope,\n"
    "                      later runs only what changed\n"
    "  job list            the jobs: type, schedule, status, created, last run, runs\n"
    "  job show ID         the job as Macie's DescribeClassificationJob JSON, statistics too\n"
    "  policy              Macie's bucket policy findings from the store's S3 bucket\n"
    "                      configuration items: Policy:IAMUser/S3BucketPublic,\n"
    "                      S3BucketSharedExternally, S3BucketReplicatedExternally,\n"
    "                      S3BlockPublicAccessDisabled, S3BucketEncryptionDisabled\n"
    "\n"
    "Exit status: 0 done; 3 some files or objects were not read (each named on stderr).\n"
    "See docs/discover.md.";

/* ---- the set -------------------------------------------------------------------------------- */

struct set_opts {
    const char *only; /* comma-separated ids or NULL */
    const char *customs[16];
    size_t ncustoms;
    const char *allow_list, *allow_regex;
    bool use_stored; /* the stored custom identifiers and allow lists stored names */
    struct rp_cmd_discover_stored stored;
};

static rp_err read_file(const char *path, struct rp_buf *b, struct rp_errbuf *eb)
{
    rp_buf_init(b, MAX_OBJECT);
    return rp_gz_read_file(path, NULL, b, eb);
}

static rp_err build_set(const struct set_opts *so, bool managed, struct rp_dataid_set **out,
                        struct rp_errbuf *eb)
{
    struct rp_dataid_set *s = NULL;
    rp_err e = rp_dataid_set_new(&s, eb);
    char *only_copy = NULL;
    const char *ids[256];
    size_t nids = 0;
    if (!e && managed && so->only) {
        if (!(only_copy = strdup(so->only))) e = rp_fail(eb, RP_ENOMEM, "out of memory");
        for (char *p = only_copy, *c; !e && p && *p && nids < 256; p = c ? c + 1 : NULL) {
            c = strchr(p, ',');
            if (c) *c = 0;
            if (*p) ids[nids++] = p;
        }
    }
    if (!e && managed) e = rp_dataid_set_add_managed(s, so->only ? ids : NULL, nids, eb);
    for (size_t i = 0; !e && i < so->ncustoms; i++) {
        struct rp_buf b;
        e = read_file(so->customs[i], &b, eb);
        if (!e) e = rp_dataid_set_add_yaml(s, so->customs[i], b.data ? b.data : "", b.len, eb);
        rp_buf_release(&b);
    }
    if (!e && so->use_stored) e = rp_cmd_discover_add_stored(&so->stored, s, eb);
    if (!e && so->allow_list) {
        struct rp_buf b;
        e = read_file(so->allow_list, &b, eb);
        if (!e) e = rp_dataid_set_allow_phrases(s, b.data ? b.data : "", b.len, eb);
        rp_buf_release(&b);
    }
    if (!e && so->allow_regex) e = rp_dataid_set_allow_regex(s, so->allow_regex, eb);
    if (!e) e = rp_dataid_set_compile(s, eb);
    free(only_copy);
    if (e) {
        rp_dataid_set_free(s);
        return e;
    }
    *out = s;
    return RP_OK;
}

/* ---- identifiers list / test ---------------------------------------------------------------- */

struct test_ctx {
    struct rp_out *out;
    const char *text;
    const struct rp_dataid_ident *want;
    size_t n;
};

static rp_err on_test_match(const struct rp_dataid_match *m, void *arg, struct rp_errbuf *eb)
{
    (void)eb;
    struct test_ctx *t = arg;
    if (t->want && m->ident != t->want) return RP_OK;
    t->n++;
    char s[24], e[24], v[512];
    snprintf(s, sizeof s, "%zu", m->start);
    snprintf(e, sizeof e, "%zu", m->end);
    snprintf(v, sizeof v, "%.*s", (int)(m->end - m->start), t->text + m->start);
    const char *vals[] = {m->ident->id, s, e, v};
    return rp_out_row(t->out, vals);
}

static int ids_test(struct rp_cmd_ctx *ctx, int argc, char **argv)
{
    if (argc != 2)
        return rp_cmd_usage_error(VERB, "identifiers test needs ID|NAME|FILE.yaml and TEXT");
    struct rp_errbuf eb = {0};
    struct set_opts so = {0};
    size_t len = strlen(argv[0]);
    bool file = len > 5 && !strcmp(argv[0] + len - 5, ".yaml");
    struct rp_dataid_set *s = NULL;
    rp_err e = RP_OK;
    if (file) {
        so.customs[so.ncustoms++] = argv[0];
    } else {
        /* a stored custom identifier (by id or name), else a managed id */
        so.use_stored = true;
        so.stored = (struct rp_cmd_discover_stored){
            .db = ctx->db_path, .custom_refs = argv[0], .allow_refs = ""};
        e = build_set(&so, false, &s, &eb);
        if (e == RP_ENOENT) {
            so.use_stored = false;
            so.only = argv[0];
            eb.msg[0] = 0;
        }
    }
    if (!s && (!e || e == RP_ENOENT)) e = build_set(&so, !file, &s, &eb);
    if (e == RP_ENOENT) return rp_cmd_usage_error(VERB, "%s", eb.msg);
    if (e) return rp_cmd_error(VERB, "%s", eb.msg);
    struct rp_dataid_scratch *sc = NULL;
    static const struct rp_out_col cols[] = {
        {"identifier", 0}, {"start", RP_OUT_COL_NUM}, {"end", RP_OUT_COL_NUM}, {"match", 0}};
    struct test_ctx t = {.out = rp_out_new(ctx, cols, 4), .text = argv[1]};
    if (!t.out || rp_dataid_scratch_new(s, &sc)) e = rp_fail(&eb, RP_ENOMEM, "out of memory");
    if (!e) e = rp_dataid_scan(s, sc, argv[1], strlen(argv[1]), on_test_match, &t, &eb);
    if (!e) e = rp_out_flush(t.out);
    rp_out_free(t.out);
    rp_dataid_scratch_free(sc);
    rp_dataid_set_free(s);
    if (e) return rp_cmd_error(VERB, "%s", eb.msg[0] ? eb.msg : rp_strerror(e));
    return RP_EXIT_OK;
}

/* ---- scan ------------------------------------------------------------------------------------ */

struct scan_ctx {
    struct rp_cmd_ctx *ctx;
    const struct rp_dataid_set *s;
    struct rp_dataid_scratch *sc;
    struct rp_out *out;
    FILE *spool;   /* ASFF documents to import, one per line; NULL with --dry-run */
    FILE *results; /* --results: one discovery result per object, or NULL */
    struct rp_buf doc;
    int64_t now;
    int64_t files, findings, failed, skipped, bytes, unchanged;
    struct rp_store *st; /* checkpoints: NULL with --dry-run (unless --changed-only) */
    bool st_rw;          /* checkpoints are written (not --dry-run) */
    FILE *ckpts;         /* checkpoint changes, one JSON line each, written to st at the end */
    bool changed_only;
    const struct rp_dataid_scope *scope; /* a job's scope and sample, or NULL */
    const char *job_id;                  /* a job's id, or NULL */
    int64_t in_scope;                    /* sources in the scope */
    bool made_finding;                   /* set by handle_result for the object at hand */
    bool reveal;                         /* --reveal: a column with the values in clear */
    const char *src_key;                 /* the source being read (file, S3 object) */
    struct rp_dataid_source src;
    rp_err err;
    struct rp_errbuf eb;
};

static void warn_file(struct scan_ctx *c, const char *path, const char *why)
{
    fprintf(stderr, "rampart: discover: %s: %s\n", path, why);
    c->failed++;
}

static rp_err put_line(FILE *f, const struct rp_buf *b)
{
    return fwrite(b->data, 1, b->len, f) != b->len || fputc('\n', f) == EOF ? RP_EIO : RP_OK;
}

/* The result r of the object o (shown as path): its discovery result line, its finding. */
static void handle_result(struct scan_ctx *c, const char *path,
                          const struct rp_dataid_object_ref *o, const struct rp_dataid_result *r)
{
    struct rp_errbuf eb = {0};
    rp_err e = RP_OK;
    c->files++;
    c->bytes += r->size_classified;
    if (c->results) {
        rp_buf_reset(&c->doc);
        e = rp_dataid_result_json(r, o, &c->doc, &eb);
        if (!e && put_line(c->results, &c->doc))
            e = rp_fail(&eb, RP_EIO, "cannot write the results file");
    }
    if (!e && r->ndet) {
        rp_buf_reset(&c->doc);
        e = rp_dataid_finding_asff(r, o, &c->doc, &eb);
        if (e == RP_ENOENT) return; /* only custom detections below their first level */
        if (!e && c->spool && put_line(c->spool, &c->doc))
            e = rp_fail(&eb, RP_EIO, "cannot write the findings' spool file");
    }
    if (e) {
        c->err = e;
        c->eb = eb;
        return;
    }
    if (!r->ndet) return;
    c->findings++;
    c->made_finding = true;
    const char *label = NULL;
    int score = 0;
    rp_dataid_finding_severity(r, &label, &score);
    int64_t total = 0;
    struct rp_buf det;
    rp_buf_init(&det, 4096);
    for (size_t i = 0; i < r->ndet; i++) {
        total += r->det[i].count;
        if (rp_buf_printf(&det, "%s%s:%lld", i ? " " : "", r->det[i].ident->id,
                          (long long)r->det[i].count))
            break;
    }
    char cnt[24];
    snprintf(cnt, sizeof cnt, "%lld", (long long)total);
    struct rp_buf shown; /* --reveal: "TYPE: v1, v2; TYPE: v3", never stored */
    rp_buf_init(&shown, 1u << 20);
    for (size_t i = 0; c->reveal && i < r->ndet; i++) {
        const struct rp_dataid_detection *d = &r->det[i];
        if (rp_buf_printf(&shown, "%s%s: ", i ? "; " : "", d->ident->id)) break;
        for (size_t k = 0; k < d->nocc && d->occ[k].value[0]; k++)
            if (rp_buf_printf(&shown, "%s%s", k ? ", " : "", d->occ[k].value)) break;
    }
    const char *vals[] = {path, rp_dataid_finding_type(r), label,
                          cnt,  det.data ? det.data : "",  shown.data ? shown.data : ""};
    e = rp_out_row(c->out, vals);
    rp_buf_release(&shown);
    rp_buf_release(&det);
    if (e) c->err = rp_fail(&c->eb, e, "cannot write the output");
}

/* The discovery result line of an object that was not read: status SKIPPED, Macie's reason. */
static void skipped_result(struct scan_ctx *c, const struct rp_dataid_object_ref *o,
                           const char *reason)
{
    if (!c->results || c->err) return;
    struct rp_dataid_result r = {.status = "SKIPPED", .reason = reason, .mime_type = ""};
    struct rp_errbuf eb = {0};
    rp_buf_reset(&c->doc);
    rp_err e = rp_dataid_result_json(&r, o, &c->doc, &eb);
    if (!e && put_line(c->results, &c->doc))
        e = rp_fail(&eb, RP_EIO, "cannot write the results file");
    if (e) c->err = e, c->eb = eb;
}

/* The checkpoint of the object o of the current source: status COMPLETE (r given), SKIPPED or
 * ERROR with Macie's reason. */
static void record(struct scan_ctx *c, const struct rp_dataid_object_ref *o,
                   const struct rp_dataid_result *r, const char *status, const char *reason)
{
    if (!c->st_rw || c->err || !c->src_key) return;
    struct rp_buf counts;
    rp_buf_init(&counts, 0);
    rp_err e = RP_OK;
    if (r) {
        struct rp_json_writer w;
        rp_json_writer_init(&w, &counts);
        rp_json_write_obj_begin(&w);
        for (size_t i = 0; i < r->ndet; i++)
            rp_json_write_kv_int(&w, r->det[i].ident->id, r->det[i].count);
        rp_json_write_obj_end(&w);
        e = rp_json_writer_finish(&w);
    }
    struct rp_buf line;
    rp_buf_init(&line, 0);
    if (!e) {
        struct rp_json_writer w;
        rp_json_writer_init(&w, &line);
        rp_json_write_obj_begin(&w);
        rp_json_write_kv_cstr(&w, "bucket", o->bucket);
        rp_json_write_kv_cstr(&w, "key", o->key);
        rp_json_write_kv_cstr(&w, "source", c->src_key);
        rp_json_write_kv_int(&w, "source_size", c->src.size);
        rp_json_write_kv_int(&w, "source_mtime_ms", c->src.mtime_ms);
        rp_json_write_kv_cstr(&w, "etag", c->src.etag);
        rp_json_write_kv_int(&w, "size", r ? r->size_classified : o->size);
        rp_json_write_kv_cstr(&w, "status", status);
        rp_json_write_kv_cstr(&w, "reason", reason ? reason : "");
        rp_json_write_kv_bool(&w, "sensitive", r && c->made_finding);
        rp_json_write_kv_cstr(&w, "counts", r ? rp_buf_cstr(&counts) : "{}");
        rp_json_write_obj_end(&w);
        e = rp_json_writer_finish(&w);
    }
    if (!e && put_line(c->ckpts, &line)) e = RP_EIO;
    if (e) c->err = rp_fail(&c->eb, e, "cannot record the checkpoint of '%s'", o->key);
    rp_buf_release(&line);
    rp_buf_release(&counts);
}

/* One line of the checkpoint spool (see spool_pair and record). */
struct spool_line {
    char *v[8]; /* strings, NULL when absent; named by k_names */
};
static const char *const k_names[8] = {"forget", "seen",   "walked", "source",
                                       "prefix", "bucket", "key",    "etag"};
enum { L_FORGET, L_SEEN, L_WALKED, L_SOURCE, L_PREFIX, L_BUCKET, L_KEY, L_ETAG };

static rp_err dup_str(struct rp_json_val v, const char *name, char **out, struct rp_errbuf *eb)
{
    struct rp_str t = {0};
    free(*out);
    *out = NULL;
    if (rp_json_obj_get_str(v, name, &t) != RP_OK) return RP_OK;
    if (!(*out = strndup(t.p ? t.p : "", t.len))) return rp_fail(eb, RP_ENOMEM, "out of memory");
    return RP_OK;
}

/* A checkpoint line of record() into the store. */
static rp_err put_ckpt(struct scan_ctx *c, struct rp_json_val v, const struct spool_line *l,
                       struct rp_errbuf *eb)
{
    char *status = NULL, *reason = NULL, *counts = NULL;
    struct rp_dataid_ckpt cp = {.bucket = l->v[L_BUCKET] ? l->v[L_BUCKET] : "",
                                .key = l->v[L_KEY] ? l->v[L_KEY] : "",
                                .source_key = l->v[L_SOURCE] ? l->v[L_SOURCE] : "",
                                .classified_ms = c->now};
    rp_strlcpy(cp.src.etag, l->v[L_ETAG] ? l->v[L_ETAG] : "", sizeof cp.src.etag);
    rp_err e = dup_str(v, "status", &status, eb);
    if (!e) e = dup_str(v, "reason", &reason, eb);
    if (!e) e = dup_str(v, "counts", &counts, eb);
    if (!e && (!status || rp_json_obj_get_i64(v, "source_size", &cp.src.size) ||
               rp_json_obj_get_i64(v, "source_mtime_ms", &cp.src.mtime_ms) ||
               rp_json_obj_get_i64(v, "size", &cp.size) ||
               rp_json_obj_get_bool(v, "sensitive", &cp.sensitive)))
        e = rp_fail(eb, RP_EINTERNAL, "a bad line in the checkpoints' spool");
    cp.status = status;
    cp.reason = reason;
    cp.counts = counts;
    if (!e) e = rp_dataid_ckpt_put(c->st, &cp, eb);
    free(status);
    free(reason);
    free(counts);
    return e;
}

/* The checkpoint changes of the scan (c->ckpts) into the store, in one transaction, after the
 * findings were imported: a scan that stops early records nothing, so its objects are read
 * again by the next --changed-only scan. Then the checkpoints of objects gone from a bucket or
 * directory that was listed completely are deleted. */
static rp_err write_ckpts(struct scan_ctx *c, struct rp_errbuf *eb)
{
    struct rp_json_parser *jp = rp_json_parser_new();
    rp_err e = jp ? RP_OK : rp_fail(eb, RP_ENOMEM, "out of memory");
    if (!e && (fflush(c->ckpts) != 0 || fseek(c->ckpts, 0, SEEK_SET) != 0))
        e = rp_fail(eb, RP_EIO, "cannot read the checkpoints' spool file");
    if (!e) e = rp_store_batch_begin(c->st, 0, NULL, NULL, eb);
    if (!e) e = rp_dataid_ckpt_seen_begin(c->st, eb);
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    struct spool_line l = {{0}};
    long walked_at[64];
    int nwalked = 0;
    for (long off = 0; !e && (n = getline(&line, &cap, c->ckpts)) > 0; off += n) {
        struct rp_json_val v;
        e = rp_json_parse(jp, line, (size_t)n, &v, eb);
        for (int i = 0; !e && i < 8; i++) e = dup_str(v, k_names[i], &l.v[i], eb);
        if (e) break;
        if (l.v[L_FORGET])
            e = rp_dataid_ckpt_forget(c->st, l.v[L_FORGET], l.v[L_SOURCE] ? l.v[L_SOURCE] : "", eb);
        else if (l.v[L_SEEN])
            e = rp_dataid_ckpt_seen(c->st, l.v[L_SEEN], l.v[L_SOURCE] ? l.v[L_SOURCE] : "", eb);
        else if (l.v[L_WALKED] && nwalked < 64)
            walked_at[nwalked++] = off; /* pruned once every object was seen */
        else if (!l.v[L_WALKED])
            e = put_ckpt(c, v, &l, eb);
    }
    for (int i = 0; !e && i < nwalked; i++) {
        if (fseek(c->ckpts, walked_at[i], SEEK_SET) != 0 ||
            (n = getline(&line, &cap, c->ckpts)) <= 0) {
            e = rp_fail(eb, RP_EIO, "cannot read the checkpoints' spool file");
            break;
        }
        struct rp_json_val v;
        e = rp_json_parse(jp, line, (size_t)n, &v, eb);
        if (!e) e = dup_str(v, "walked", &l.v[L_WALKED], eb);
        if (!e) e = dup_str(v, "prefix", &l.v[L_PREFIX], eb);
        if (!e && l.v[L_WALKED])
            e = rp_dataid_ckpt_prune(c->st, l.v[L_WALKED], l.v[L_PREFIX] ? l.v[L_PREFIX] : "", NULL,
                                     eb);
    }
    for (int i = 0; i < 8; i++) free(l.v[i]);
    free(line);
    if (!e)
        e = rp_store_batch_commit(c->st, eb);
    else
        rp_store_batch_rollback(c->st);
    rp_json_parser_free(jp);
    return e;
}

/* A two-string line of the checkpoint spool: {"<what>": bucket, "<key2>": val}. */
static void spool_pair(struct scan_ctx *c, const char *what, const char *bucket, const char *key2,
                       const char *val)
{
    if (!c->st_rw || c->err) return;
    struct rp_buf line;
    rp_buf_init(&line, 0);
    struct rp_json_writer w;
    rp_json_writer_init(&w, &line);
    rp_json_write_obj_begin(&w);
    rp_json_write_kv_cstr(&w, what, bucket);
    rp_json_write_kv_cstr(&w, key2, val);
    rp_json_write_obj_end(&w);
    rp_err e = rp_json_writer_finish(&w);
    if (!e && put_line(c->ckpts, &line)) e = RP_EIO;
    if (e) c->err = rp_fail(&c->eb, e, "cannot write the checkpoints' spool file");
    rp_buf_release(&line);
}

/* An object (a file, an S3 object, an archive member) from the library's classification. */
static rp_err on_object(void *arg, const struct rp_dataid_object *o, struct rp_errbuf *eb)
{
    (void)eb;
    struct scan_ctx *c = arg;
    c->made_finding = false;
    if (o->result) {
        handle_result(c, o->path, &o->ref, o->result);
        record(c, &o->ref, o->result, "COMPLETE", NULL);
    } else if (!strcmp(o->status, "ERROR")) {
        warn_file(c, o->path, o->reason);
        skipped_result(c, &o->ref, "UNKNOWN_ERROR");
        record(c, &o->ref, NULL, "ERROR", "UNKNOWN_ERROR");
    } else {
        skipped_result(c, &o->ref, o->status);
        fprintf(stderr, "rampart: discover: %s: skipped: %s (%s)\n", o->path, o->reason, o->status);
        c->skipped++;
        record(c, &o->ref, NULL, "SKIPPED", o->status);
    }
    return c->err;
}

/* Whether the source bucket/key, listed as now, is to be read; it becomes the current source.
 * With --changed-only a source whose checkpoint matches is not (it is counted as unchanged);
 * the checkpoints of a source about to be read are forgotten (its members may be gone). */
static bool want_source(struct scan_ctx *c, const char *bucket, const char *key,
                        const struct rp_dataid_source *now)
{
    c->src_key = key;
    c->src = *now;
    rp_err e = RP_OK;
    spool_pair(c, "seen", bucket, "source", key); /* for pruning what is gone */
    if (c->scope && !rp_dataid_scope_match(c->scope, bucket, key, now->size, now->mtime_ms))
        return false;
    c->in_scope++;
    if (c->st && c->changed_only) {
        struct rp_dataid_source cp;
        bool found = false;
        e = rp_dataid_ckpt_lookup(c->st, bucket, key, &cp, &found, &c->eb);
        if (!e && found && rp_dataid_source_unchanged(&cp, now)) {
            c->unchanged++;
            return false;
        }
    }
    if (e) {
        c->err = e;
        return false;
    }
    spool_pair(c, "forget", bucket, "source", key);
    return !c->err;
}

/* ---- local files and directories --------------------------------------------------------- */

static const char *basename_of(const char *p, char *buf, size_t n)
{
    rp_strlcpy(buf, p, n);
    size_t len = strlen(buf);
    while (len > 1 && buf[len - 1] == '/') buf[--len] = 0;
    const char *s = strrchr(buf, '/');
    return s ? s + 1 : buf;
}

/* Before a local file is read (or an entry that could not be examined is reported): it
 * becomes the current source, and --changed-only leaves an unchanged file unopened. */
static rp_err want_local(void *arg, const struct rp_dataid_object_ref *ref, const struct stat *st,
                         bool *read, struct rp_errbuf *eb)
{
    struct scan_ctx *c = arg;
    struct rp_dataid_source now = {0};
    if (st) {
        now.size = (int64_t)st->st_size;
        now.mtime_ms = (int64_t)st->st_mtim.tv_sec * 1000 + (int64_t)st->st_mtim.tv_nsec / 1000000;
    }
    *read = want_source(c, ref->bucket, ref->key, &now);
    if (c->err) *eb = c->eb;
    return c->err;
}

/* The end of a local root: a directory walked without errors was listed completely, so the
 * checkpoints of files no longer there can go (not for bucket "local", the files given). */
static rp_err root_done(void *arg, const char *root, bool dir, bool whole, struct rp_errbuf *eb)
{
    struct scan_ctx *c = arg;
    char bucket[1024];
    if (dir && whole) {
        const char *b = basename_of(root, bucket, sizeof bucket);
        if (strcmp(b, "local") != 0) spool_pair(c, "walked", b, "prefix", "");
    }
    if (c->err) *eb = c->eb;
    return c->err;
}

/* ---- s3://bucket/prefix arguments (src/dataid/dataid_s3.h) ----------------------------------- */

static rp_err on_s3_object(const struct rp_s3_item *it, void *arg, struct rp_errbuf *eb)
{
    struct scan_ctx *c = arg;
    struct rp_buf path, gz;
    rp_buf_init(&path, 0);
    rp_buf_init(&gz, MAX_OBJECT);
    if (rp_buf_printf(&path, "s3://%s/%s", it->bucket, it->obj->key))
        return rp_fail(eb, RP_ENOMEM, "out of memory");
    struct rp_errbuf geb = {0};
    struct rp_dataid_object_ref o = {.bucket = it->bucket,
                                     .key = it->obj->key,
                                     .size = it->obj->size,
                                     .last_modified_ms = it->obj->last_modified_ms,
                                     .job_id = c->job_id,
                                     .now_ms = c->now};
    if (it->err && it->st && !strcmp(it->st->status, "S3_OBJECT_OVERSIZE")) {
        fprintf(stderr, "rampart: discover: %s: skipped: larger than %u MiB (OBJECT_OVERSIZE)\n",
                rp_buf_cstr(&path), MAX_OBJECT >> 20);
        c->skipped++;
        skipped_result(c, &o, "OBJECT_OVERSIZE");
        record(c, &o, NULL, "SKIPPED", "OBJECT_OVERSIZE");
    } else if (it->err) {
        const char *why = it->st && it->st->status ? it->st->status : "UNKNOWN_ERROR";
        warn_file(c, rp_buf_cstr(&path), it->msg);
        skipped_result(c, &o, why);
        record(c, &o, NULL, "ERROR", why);
    } else if (rp_gz_is_gzip(it->data, it->len) &&
               rp_gz_decompress(it->data, it->len, rp_buf_cstr(&path), NULL, &gz, &geb)) {
        warn_file(c, rp_buf_cstr(&path), geb.msg); /* .gz objects are read as .gz files are */
        skipped_result(c, &o, "UNSUPPORTED_OR_DAMAGED");
        record(c, &o, NULL, "ERROR", "UNSUPPORTED_OR_DAMAGED");
    } else {
        bool z = gz.len || rp_gz_is_gzip(it->data, it->len);
        struct rp_errbuf ceb = {0};
        rp_err e = rp_dataid_classify_object(c->s, c->sc, &o, rp_buf_cstr(&path),
                                             z ? rp_buf_cstr(&gz) : it->data, z ? gz.len : it->len,
                                             on_object, c, NULL, &ceb);
        if (e && !c->err) c->err = e, c->eb = ceb;
    }
    rp_buf_release(&path);
    rp_buf_release(&gz);
    if (c->err) *eb = c->eb;
    return c->err;
}

/* Before an S3 object is fetched: --changed-only leaves an unchanged one unfetched. */
static rp_err want_s3(const char *bucket, const struct rp_s3_object *ob, void *arg, bool *read,
                      struct rp_errbuf *eb)
{
    struct scan_ctx *c = arg;
    struct rp_dataid_source now = {.size = ob->size, .mtime_ms = ob->last_modified_ms};
    rp_strlcpy(now.etag, ob->etag, sizeof now.etag);
    *read = want_source(c, bucket, ob->key, &now);
    if (c->err) *eb = c->eb;
    return c->err;
}

/* Every object of bucket under prefix that is to be read; a prefix listed whole is marked so
 * that the checkpoints of objects gone from it are pruned. */
static rp_err walk_s3(struct scan_ctx *c, struct rp_s3_client *cl, const char *bucket,
                      const char *prefix, struct rp_errbuf *eb)
{
    rp_err e = rp_s3_walk(cl, bucket, prefix, MAX_OBJECT, want_s3, on_s3_object, c, NULL, eb);
    if (!e) spool_pair(c, "walked", bucket, "prefix", prefix ? prefix : ""); /* listed whole */
    return e;
}

/* Scan the objects under url; a bucket that cannot be listed is named on stderr (exit 3). */
static rp_err scan_s3(struct scan_ctx *c, const char *url, const char *endpoint,
                      struct rp_errbuf *eb)
{
    char bucket[256], prefix[1024];
    struct rp_s3_config cfg;
    struct rp_s3_client *cl = NULL;
    rp_err e = rp_s3_parse_url(url, bucket, sizeof bucket, prefix, sizeof prefix, eb);
    if (!e) e = rp_s3_config_load(&cfg, endpoint, NULL, NULL, eb);
    if (!e) e = rp_s3_client_new(&cfg, &cl, eb);
    memset(&cfg, 0, sizeof cfg);
    if (!e) {
        struct rp_errbuf web = {0};
        e = walk_s3(c, cl, bucket, prefix, &web);
        if (e && !c->err) {
            warn_file(c, url, web.msg);
            e = RP_OK;
        } else if (e) {
            *eb = web;
        }
    }
    rp_s3_client_free(cl);
    return e;
}

static rp_err import_spool(struct rp_cmd_ctx *ctx, FILE *spool, struct rp_errbuf *eb)
{
    struct rp_store *st = NULL;
    rp_err e = rp_store_new(ctx->db_path, RP_STORE_RDWR, &st, eb);
    if (e) return e;
    struct rp_hub_import_opts io;
    rp_hub_import_opts_init(&io);
    io.format = "asff";
    struct rp_hub_importer *im = NULL;
    struct rp_json_parser *jp = rp_json_parser_new();
    if (!jp) e = rp_fail(eb, RP_ENOMEM, "out of memory");
    if (!e) e = rp_hub_importer_new(st, &io, &im, eb);
    char *line = NULL;
    size_t cap = 0, item = 0;
    ssize_t n;
    if (!e && fflush(spool) == 0) rewind(spool);
    while (!e && (n = getline(&line, &cap, spool)) > 0) {
        struct rp_json_val doc;
        e = rp_json_parse(jp, line, (size_t)n, &doc, eb);
        if (!e) e = rp_hub_import_finding(im, doc, "discover scan", item++, NULL, eb);
    }
    if (!e) {
        e = rp_hub_importer_finish(im, eb);
        im = NULL;
    }
    rp_hub_importer_free(im);
    free(line);
    rp_json_parser_free(jp);
    rp_store_free(st);
    return e;
}

/* What a scan reads and how: `discover scan`'s options, or a job's. */
struct scan_args {
    struct set_opts so;
    bool dry, changed_only, reveal;
    const char *results, *endpoint;
    const char *const *paths;
    int npaths;
    const char *const *s3urls;
    int ns3;
    const struct rp_dataid_scope *scope; /* a job's, or NULL */
    const char *job_id;                  /* a job's, or NULL */
};

static int run_scan(struct rp_cmd_ctx *ctx, const struct scan_args *a, int64_t *in_scope);

/* The stored custom identifiers and allow lists named on a command line: --custom-id and
 * --allow-list-id (repeatable), --no-custom and --no-allow-lists. */
struct stored_opts {
    char custom[2048], allow[2048];
    bool some_custom, some_allow, no_custom, no_allow;
};

/* 1 when argv[*i] was one of those options, 0 when not, -1 after a usage error (printed). */
static int stored_opt(struct stored_opts *o, int argc, char **argv, int *i)
{
    const char *v = NULL;
    int m = 0;
    char *dst = NULL;
    if ((m = rp_cmd_opt_value("--custom-id", argc, argv, i, &v)) > 0) {
        dst = o->custom;
        o->some_custom = true;
    } else if (m == 0 && (m = rp_cmd_opt_value("--allow-list-id", argc, argv, i, &v)) > 0) {
        dst = o->allow;
        o->some_allow = true;
    } else if (m < 0) {
        rp_cmd_usage_error(VERB, "%s needs a value", argv[*i]);
        return -1;
    } else if (!strcmp(argv[*i], "--no-custom")) {
        o->no_custom = true;
    } else if (!strcmp(argv[*i], "--no-allow-lists")) {
        o->no_allow = true;
    } else {
        return 0;
    }
    if (dst) {
        size_t len = strlen(dst), vl = strlen(v);
        if (!vl || strchr(v, ',') || len + vl + 2 > sizeof o->custom) {
            rp_cmd_usage_error(VERB,
                               "--custom-id and --allow-list-id take one id or name each, "
                               "not '%s'",
                               v);
            return -1;
        }
        if (len) dst[len++] = ',';
        memcpy(dst + len, v, vl + 1);
    }
    return 1;
}

/* The selection of o as stored refs (NULL: all; "": none); -1 after a usage error. */
static int stored_refs(struct stored_opts *o, const char **custom, const char **allow)
{
    if ((o->no_custom && o->some_custom) || (o->no_allow && o->some_allow)) {
        rp_cmd_usage_error(VERB, "--no-custom and --custom-id (or --no-allow-lists and "
                                 "--allow-list-id) exclude each other");
        return -1;
    }
    *custom = o->no_custom ? "" : o->some_custom ? o->custom : NULL;
    *allow = o->no_allow ? "" : o->some_allow ? o->allow : NULL;
    return 0;
}

static int scan(struct rp_cmd_ctx *ctx, int argc, char **argv)
{
    struct set_opts so = {0};
    bool dry = false, changed_only = false, reveal = false;
    const char *results = NULL;
    int npaths = 0, ns3 = 0;
    const char *endpoint = NULL, *s3urls[64];
    struct stored_opts *sto = calloc(1, sizeof *sto);
    if (!sto) return rp_cmd_error(VERB, "out of memory");
    for (int i = 0; i < argc; i++) {
        const char *val = NULL;
        int m = stored_opt(sto, argc, argv, &i);
        if (m < 0) {
            free(sto);
            return RP_EXIT_USAGE;
        }
        if (m > 0)
            continue;
        else if ((m = rp_cmd_opt_value("--identifiers", argc, argv, &i, &val)))
            so.only = val;
        else if ((m = rp_cmd_opt_value("--custom", argc, argv, &i, &val))) {
            if (so.ncustoms == 16) {
                free(sto);
                return rp_cmd_usage_error(VERB, "at most 16 --custom files");
            }
            so.customs[so.ncustoms++] = val;
        } else if ((m = rp_cmd_opt_value("--allow-list", argc, argv, &i, &val)))
            so.allow_list = val;
        else if ((m = rp_cmd_opt_value("--allow-regex", argc, argv, &i, &val)))
            so.allow_regex = val;
        else if ((m = rp_cmd_opt_value("--endpoint-url", argc, argv, &i, &val)))
            endpoint = val;
        else if ((m = rp_cmd_opt_value("--results", argc, argv, &i, &val)))
            results = val;
        else if (strcmp(argv[i], "--dry-run") == 0)
            dry = true;
        else if (strcmp(argv[i], "--changed-only") == 0)
            changed_only = true;
        else if (strcmp(argv[i], "--reveal") == 0)
            reveal = dry = true; /* values in clear are shown, never stored */
        else if (argv[i][0] == '-' && argv[i][1]) {
            free(sto);
            return rp_cmd_usage_error(VERB, "unknown option '%s'", argv[i]);
        } else if (strncmp(argv[i], "s3://", 5) == 0) {
            if (ns3 == 64) {
                free(sto);
                return rp_cmd_usage_error(VERB, "at most 64 s3:// arguments");
            }
            s3urls[ns3++] = argv[i];
        } else
            argv[npaths++] = argv[i];
        if (m < 0) {
            free(sto);
            return rp_cmd_usage_error(VERB, "%s needs a value", argv[i]);
        }
    }
    so.use_stored = true;
    so.stored.db = ctx->db_path;
    if (stored_refs(sto, &so.stored.custom_refs, &so.stored.allow_refs) < 0) {
        free(sto);
        return RP_EXIT_USAGE;
    }
    if (npaths + ns3 < 1) {
        free(sto);
        return rp_cmd_usage_error(VERB, "scan needs at least one PATH");
    }
    struct scan_args a = {.so = so,
                          .dry = dry,
                          .changed_only = changed_only,
                          .reveal = reveal,
                          .results = results,
                          .endpoint = endpoint,
                          .paths = (const char *const *)argv,
                          .npaths = npaths,
                          .s3urls = s3urls,
                          .ns3 = ns3};
    int rc = run_scan(ctx, &a, NULL);
    free(sto);
    return rc;
}

/* Scan a's sources; *in_scope (may be NULL) gets the number of sources in the job's scope. */
static int run_scan(struct rp_cmd_ctx *ctx, const struct scan_args *a, int64_t *in_scope)
{
    const struct set_opts so = a->so;
    const bool dry = a->dry, changed_only = a->changed_only;
    const char *results = a->results, *endpoint = a->endpoint;
    const char *const *s3urls = a->s3urls;
    const int npaths = a->npaths, ns3 = a->ns3;
    struct scan_ctx c = {.ctx = ctx,
                         .now = rp_time_now_ms(),
                         .changed_only = changed_only,
                         .scope = a->scope,
                         .job_id = a->job_id,
                         .reveal = a->reveal};
    struct rp_errbuf eb = {0};
    struct rp_dataid_set *s = NULL;
    rp_err e = build_set(&so, true, &s, &eb);
    if (e == RP_ENOENT) return rp_cmd_usage_error(VERB, "%s", eb.msg);
    if (e) return rp_cmd_error(VERB, "%s", eb.msg);
    rp_dataid_set_reveal(s, a->reveal);
    c.s = s;
    rp_buf_init(&c.doc, 0);
    static const struct rp_out_col cols[] = {{"object", 0},     {"type", 0},
                                             {"severity", 0},   {"count", RP_OUT_COL_NUM},
                                             {"detections", 0}, {"revealed", 0}};
    if (rp_dataid_scratch_new(s, &c.sc) || !(c.out = rp_out_new(ctx, cols, a->reveal ? 6 : 5)))
        e = rp_fail(&eb, RP_ENOMEM, "out of memory");
    if (!e && !dry && !(c.spool = tmpfile()))
        e = rp_fail(&eb, RP_EIO, "cannot create a spool file: %s", strerror(errno));
    if (!e && results && !(c.results = fopen(results, "w")))
        e = rp_fail(&eb, RP_EIO, "cannot write '%s': %s", results, strerror(errno));
    /* checkpoints: written unless --dry-run; a dry run with --changed-only reads them */
    if (!e && (!dry || changed_only)) {
        e = rp_store_new(ctx->db_path, dry ? RP_STORE_RDONLY : RP_STORE_RDWR, &c.st, &eb);
        if (e == RP_ENOENT && dry) e = RP_OK, eb.msg[0] = 0; /* no database: nothing known */
        c.st_rw = c.st && !dry;
        if (!e && c.st_rw && !(c.ckpts = tmpfile()))
            e = rp_fail(&eb, RP_EIO, "cannot create a spool file: %s", strerror(errno));
    }
    struct rp_dataid_walk_opts wo = {
        .job_id = c.job_id, .want = want_local, .root_done = root_done};
    if (!e && npaths)
        e = rp_dataid_classify_paths_ex(c.s, c.sc, a->paths, (size_t)npaths, c.now, &wo, on_object,
                                        &c, NULL, &eb);
    if (!e && c.err) e = c.err, eb = c.eb;
    for (int i = 0; !e && !c.err && i < ns3; i++) e = scan_s3(&c, s3urls[i], endpoint, &eb);
    if (!e && c.err) {
        e = c.err;
        eb = c.eb;
    }
    if (!e && c.out) e = rp_out_flush(c.out);
    if (!e && c.spool) e = import_spool(ctx, c.spool, &eb);
    if (!e && c.ckpts) e = write_ckpts(&c, &eb);
    rp_store_free(c.st);
    if (c.ckpts) fclose(c.ckpts);
    if (c.spool) fclose(c.spool);
    if (c.results && fclose(c.results) && !e)
        e = rp_fail(&eb, RP_EIO, "cannot write '%s': %s", results, strerror(errno));
    rp_out_free(c.out);
    rp_buf_release(&c.doc);
    rp_dataid_scratch_free(c.sc);
    rp_dataid_set_free(s);
    if (e) return rp_cmd_error(VERB, "%s", eb.msg[0] ? eb.msg : rp_strerror(e));
    if (ctx->verbosity >= 0) {
        char notread[64] = "";
        char unchanged[64] = "";
        if (c.skipped || c.failed)
            snprintf(notread, sizeof notread, "; %" PRId64 " not read", c.skipped + c.failed);
        if (changed_only)
            snprintf(unchanged, sizeof unchanged, "; %" PRId64 " unchanged since the last scan",
                     c.unchanged);
        fprintf(stderr,
                "rampart: discover: %" PRId64 " findings in %" PRId64 " files (%" PRId64
                " bytes)%s%s%s\n",
                c.findings, c.files, c.bytes, unchanged, notread,
                dry ? " (dry run: nothing stored)" : "");
    }
    if (in_scope) *in_scope = c.in_scope;
    return c.failed || c.skipped ? RP_EXIT_PARTIAL : RP_EXIT_OK;
}

/* ---- buckets: sensitivity scores from the checkpoints ------------------------------------- */

static rp_err on_bucket(void *arg, const struct rp_dataid_bucket_stats *b, struct rp_errbuf *eb)
{
    char n[6][24];
    int score = rp_dataid_sensitivity_score(b);
    snprintf(n[0], sizeof n[0], "%" PRId64, b->known);
    snprintf(n[1], sizeof n[1], "%" PRId64, b->classified);
    snprintf(n[2], sizeof n[2], "%" PRId64, b->bytes);
    snprintf(n[3], sizeof n[3], "%" PRId64, b->sensitive);
    snprintf(n[4], sizeof n[4], "%" PRId64, b->errors);
    snprintf(n[5], sizeof n[5], "%d", score);
    const char *vals[] = {b->bucket, n[0], n[1], n[2],
                          n[3],      n[4], n[5], rp_dataid_sensitivity_label(score)};
    rp_err e = rp_out_row(arg, vals);
    return e ? rp_fail(eb, e, "cannot write the output") : RP_OK;
}

static int buckets(struct rp_cmd_ctx *ctx, int argc, char **argv)
{
    (void)argv;
    if (argc) return rp_cmd_usage_error(VERB, "buckets takes no arguments");
    struct rp_errbuf eb = {0};
    struct rp_store *st = NULL;
    if (rp_store_new(ctx->db_path, RP_STORE_RDONLY, &st, &eb))
        return rp_cmd_error(VERB, "%s", eb.msg);
    static const struct rp_out_col cols[] = {{"bucket", 0},
                                             {"objects", RP_OUT_COL_NUM},
                                             {"classified", RP_OUT_COL_NUM},
                                             {"bytes", RP_OUT_COL_NUM},
                                             {"sensitive", RP_OUT_COL_NUM},
                                             {"errors", RP_OUT_COL_NUM},
                                             {"score", RP_OUT_COL_NUM},
                                             {"label", 0}};
    struct rp_out *out = rp_out_new(ctx, cols, 8);
    rp_err e = out ? RP_OK : rp_fail(&eb, RP_ENOMEM, "out of memory");
    if (!e) e = rp_dataid_bucket_stats_each(st, on_bucket, out, &eb);
    if (!e) e = rp_out_flush(out);
    rp_out_free(out);
    rp_store_free(st);
    if (e) return rp_cmd_error(VERB, "%s", eb.msg[0] ? eb.msg : rp_strerror(e));
    return RP_EXIT_OK;
}

/* ---- jobs: Macie's classification jobs, run on demand or when due ------------------------- */

#define MAX_JOB_SOURCES 64

/* Append item to the list dst (n bytes) after sep; RP_ELIMIT when it does not fit. */
static rp_err list_add(char *dst, size_t n, char sep, const char *item, struct rp_errbuf *eb)
{
    size_t len = strlen(dst), il = strlen(item);
    if (len + il + 2 > n) return rp_fail(eb, RP_ELIMIT, "'%s' makes the job too long", item);
    if (len) dst[len++] = sep;
    memcpy(dst + len, item, il + 1);
    return RP_OK;
}

/* A local path as the job keeps it (absolute, so `job run` works from anywhere). */
static rp_err abs_path(const char *p, char *out, size_t n, struct rp_errbuf *eb)
{
    char buf[PATH_MAX];
    if (!realpath(p, buf)) return rp_fail(eb, RP_ENOENT, "'%s': %s", p, strerror(errno));
    if (strlen(buf) >= n) return rp_fail(eb, RP_ELIMIT, "'%s' is too long", p);
    rp_strlcpy(out, buf, n);
    return RP_OK;
}

static rp_err parse_size(const char *opt, const char *v, int64_t *out, struct rp_errbuf *eb)
{
    char *end = NULL;
    errno = 0;
    long long x = strtoll(v, &end, 10);
    if (errno || end == v || *end || x < 0)
        return rp_fail(eb, RP_EINVAL, "%s needs a number of bytes, not '%s'", opt, v);
    *out = x;
    return RP_OK;
}

static int job_create(struct rp_cmd_ctx *ctx, int argc, char **argv)
{
    struct rp_dataid_job *j = calloc(1, sizeof *j);
    if (!j) return rp_cmd_error(VERB, "out of memory");
    struct rp_errbuf eb = {0};
    rp_err e = RP_OK;
    j->sampling = 100;
    j->min_size = j->max_size = j->since_ms = -1;
    rp_strlcpy(j->type, "ONE_TIME", sizeof j->type);
    rp_strlcpy(j->status, "IDLE", sizeof j->status);
    int nsrc = 0;
    struct stored_opts *sto = calloc(1, sizeof *sto);
    if (!sto) {
        free(j);
        return rp_cmd_error(VERB, "out of memory");
    }
    for (int i = 0; !e && i < argc; i++) {
        const char *v = NULL;
        int m = stored_opt(sto, argc, argv, &i);
        if (m < 0) {
            free(sto);
            free(j);
            return RP_EXIT_USAGE;
        }
        if (m > 0) continue;
        if ((m = rp_cmd_opt_value("--name", argc, argv, &i, &v)) > 0) {
            if (strlen(v) >= sizeof j->name || !*v)
                e = rp_fail(&eb, RP_EINVAL, "--name needs 1 to 128 characters");
            else
                rp_strlcpy(j->name, v, sizeof j->name);
        } else if (m == 0 && (m = rp_cmd_opt_value("--schedule", argc, argv, &i, &v)) > 0) {
            int64_t next = 0;
            if (strlen(v) >= sizeof j->schedule)
                e = rp_fail(&eb, RP_EINVAL, "dataid: bad schedule '%s'", v);
            else
                e = rp_dataid_schedule_next(v, 0, &next, &eb);
            if (!e) rp_strlcpy(j->schedule, v, sizeof j->schedule);
            rp_strlcpy(j->type, "SCHEDULED", sizeof j->type);
        } else if (m == 0 && (m = rp_cmd_opt_value("--sampling", argc, argv, &i, &v)) > 0) {
            int64_t pct = 0;
            e = parse_size("--sampling", v, &pct, &eb);
            if (!e && (pct < 1 || pct > 100))
                e = rp_fail(&eb, RP_EINVAL, "--sampling needs a percentage 1..100, not '%s'", v);
            j->sampling = (int)pct;
        } else if (m == 0 &&
                   (m = rp_cmd_opt_value("--include-key-prefix", argc, argv, &i, &v)) > 0) {
            if (strlen(v) >= sizeof j->key_prefix)
                e = rp_fail(&eb, RP_EINVAL, "--include-key-prefix is too long");
            else
                rp_strlcpy(j->key_prefix, v, sizeof j->key_prefix);
        } else if (m == 0 &&
                   (m = rp_cmd_opt_value("--exclude-extension", argc, argv, &i, &v)) > 0) {
            e = list_add(j->exclude_ext, sizeof j->exclude_ext, ',', v[0] == '.' ? v + 1 : v, &eb);
        } else if (m == 0 && (m = rp_cmd_opt_value("--min-size", argc, argv, &i, &v)) > 0) {
            e = parse_size("--min-size", v, &j->min_size, &eb);
        } else if (m == 0 && (m = rp_cmd_opt_value("--max-size", argc, argv, &i, &v)) > 0) {
            e = parse_size("--max-size", v, &j->max_size, &eb);
        } else if (m == 0 && (m = rp_cmd_opt_value("--since", argc, argv, &i, &v)) > 0) {
            e = rp_time_parse_iso(rp_str_from(v), &j->since_ms, &eb);
        } else if (m == 0 && (m = rp_cmd_opt_value("--identifiers", argc, argv, &i, &v)) > 0) {
            if (strlen(v) >= sizeof j->identifiers)
                e = rp_fail(&eb, RP_EINVAL, "--identifiers is too long");
            else
                rp_strlcpy(j->identifiers, v, sizeof j->identifiers);
        } else if (m == 0 && (m = rp_cmd_opt_value("--custom", argc, argv, &i, &v)) > 0) {
            char ap[PATH_MAX];
            e = abs_path(v, ap, sizeof ap, &eb);
            if (!e) e = list_add(j->customs, sizeof j->customs, '\n', ap, &eb);
        } else if (m < 0) {
            e = rp_fail(&eb, RP_EINVAL, "%s needs a value", argv[i]);
        } else if (argv[i][0] == '-' && argv[i][1]) {
            e = rp_fail(&eb, RP_EINVAL, "unknown option '%s'", argv[i]);
        } else if (nsrc == MAX_JOB_SOURCES) {
            e = rp_fail(&eb, RP_EINVAL, "at most %d sources", MAX_JOB_SOURCES);
        } else {
            char ap[PATH_MAX];
            nsrc++;
            if (strncmp(argv[i], "s3://", 5) == 0)
                e = list_add(j->sources, sizeof j->sources, '\n', argv[i], &eb);
            else if (!(e = abs_path(argv[i], ap, sizeof ap, &eb)))
                e = list_add(j->sources, sizeof j->sources, '\n', ap, &eb);
        }
    }
    if (!e && !j->name[0]) e = rp_fail(&eb, RP_EINVAL, "job create needs --name");
    if (!e && !nsrc) e = rp_fail(&eb, RP_EINVAL, "job create needs at least one PATH or s3:// URL");
    const char *crefs = NULL, *arefs = NULL;
    if (!e && stored_refs(sto, &crefs, &arefs) < 0) {
        free(sto);
        free(j);
        return RP_EXIT_USAGE;
    }
    /* the stored custom identifiers and allow lists are fixed now, by id (Macie's
     * customDataIdentifierIds and allowListIds) */
    if (!e)
        e = rp_cmd_discover_resolve(ctx->db_path, crefs, true, j->custom_ids, sizeof j->custom_ids,
                                    &eb);
    if (!e)
        e = rp_cmd_discover_resolve(ctx->db_path, arefs, false, j->allow_list_ids,
                                    sizeof j->allow_list_ids, &eb);
    free(sto);
    if (e) {
        free(j);
        if (e == RP_EDB || e == RP_ENOMEM || e == RP_EIO) return rp_cmd_error(VERB, "%s", eb.msg);
        return rp_cmd_usage_error(VERB, "%s", eb.msg);
    }
    j->created_ms = rp_time_now_ms();
    j->next_run_ms = j->created_ms; /* a scheduled job's first run is due at once */
    unsigned char rnd[16];          /* Macie's jobId: 32 hex digits */
    e = rp_random_fill(rnd, sizeof rnd);
    if (e) {
        free(j);
        return rp_cmd_error(VERB, "no random bytes for a job id");
    }
    for (size_t i = 0; i < sizeof rnd; i++)
        snprintf(j->id + 2 * i, sizeof j->id - 2 * i, "%02x", rnd[i]);
    struct rp_store *st = NULL;
    e = rp_store_new(ctx->db_path, RP_STORE_RDWR, &st, &eb);
    if (!e) e = rp_dataid_job_put(st, j, &eb);
    rp_store_free(st);
    if (!e) printf("%s\n", j->id);
    free(j);
    return e ? rp_cmd_error(VERB, "%s", eb.msg) : RP_EXIT_OK;
}

static void iso(int64_t ms, char *buf, size_t n)
{
    if (ms <= 0 || rp_time_format_iso(ms, buf, n)) rp_strlcpy(buf, "-", n);
}

static rp_err on_job_row(void *arg, const struct rp_dataid_job *j, struct rp_errbuf *eb)
{
    char created[RP_TIME_ISO_BUFSZ], last[RP_TIME_ISO_BUFSZ], runs[24], pct[8];
    iso(j->created_ms, created, sizeof created);
    iso(j->last_run_ms, last, sizeof last);
    snprintf(runs, sizeof runs, "%" PRId64, j->runs);
    snprintf(pct, sizeof pct, "%d", j->sampling);
    const char *vals[] = {j->id, j->name,   j->type, j->schedule[0] ? j->schedule : "-",
                          pct,   j->status, created, last,
                          runs};
    rp_err e = rp_out_row(arg, vals);
    return e ? rp_fail(eb, e, "cannot write the output") : RP_OK;
}

static int job_list(struct rp_cmd_ctx *ctx, int argc)
{
    if (argc) return rp_cmd_usage_error(VERB, "job list takes no arguments");
    struct rp_errbuf eb = {0};
    struct rp_store *st = NULL;
    if (rp_store_new(ctx->db_path, RP_STORE_RDONLY, &st, &eb))
        return rp_cmd_error(VERB, "%s", eb.msg);
    static const struct rp_out_col cols[] = {{"jobId", 0},
                                             {"name", 0},
                                             {"jobType", 0},
                                             {"schedule", 0},
                                             {"samplingPercentage", RP_OUT_COL_NUM},
                                             {"jobStatus", 0},
                                             {"createdAt", 0},
                                             {"lastRunTime", 0},
                                             {"numberOfRuns", RP_OUT_COL_NUM}};
    struct rp_out *out = rp_out_new(ctx, cols, 9);
    rp_err e = out ? RP_OK : rp_fail(&eb, RP_ENOMEM, "out of memory");
    if (!e) e = rp_dataid_job_each(st, -1, on_job_row, out, &eb);
    if (!e) e = rp_out_flush(out);
    rp_out_free(out);
    rp_store_free(st);
    return e ? rp_cmd_error(VERB, "%s", eb.msg[0] ? eb.msg : rp_strerror(e)) : RP_EXIT_OK;
}

/* Split list (sep-separated) in place into at most max items. */
static int split(char *list, char sep, const char **items, int max)
{
    int n = 0;
    for (char *p = list, *c; p && *p && n < max; p = c ? c + 1 : NULL) {
        c = strchr(p, sep);
        if (c) *c = 0;
        if (*p) items[n++] = p;
    }
    return n;
}

/* A simpleScopeTerm of one value. */
struct scope_term {
    const char *cmp, *key, *val;
};

/* The job as Macie's DescribeClassificationJob answer. */
static rp_err job_json(const struct rp_dataid_job *j, struct rp_buf *out, struct rp_errbuf *eb)
{
    struct rp_dataid_job c = *j; /* lists are split in place */
    const char *ext[32], *ids[256], *cust[16], *src[MAX_JOB_SOURCES], *cids[64], *aids[64];
    int next = split(c.exclude_ext, ',', ext, 32), nids = split(c.identifiers, ',', ids, 256);
    int ncust = split(c.customs, '\n', cust, 16), nsrc = split(c.sources, '\n', src, 64);
    int ncids = split(c.custom_ids, ',', cids, 64), naids = split(c.allow_list_ids, ',', aids, 64);
    char t[RP_TIME_ISO_BUFSZ], arn[128];
    struct rp_json_writer w;
    rp_json_writer_init(&w, out);
    rp_json_write_obj_begin(&w);
    if (naids) { /* as Macie; left out when empty, as jobs before allow lists were shown */
        rp_json_write_key(&w, "allowListIds", 12);
        rp_json_write_arr_begin(&w);
        for (int i = 0; i < naids; i++) rp_json_write_cstr(&w, aids[i]);
        rp_json_write_arr_end(&w);
    }
    iso(j->created_ms, t, sizeof t);
    rp_json_write_kv_cstr(&w, "createdAt", t);
    /* the stored custom identifiers' ids, then (Rampart) the --custom files */
    rp_json_write_key(&w, "customDataIdentifierIds", 23);
    rp_json_write_arr_begin(&w);
    for (int i = 0; i < ncids; i++) rp_json_write_cstr(&w, cids[i]);
    for (int i = 0; i < ncust; i++) rp_json_write_cstr(&w, cust[i]);
    rp_json_write_arr_end(&w);
    snprintf(arn, sizeof arn, "arn:aws:macie2:us-east-1:000000000000:classification-job/%s", j->id);
    rp_json_write_kv_cstr(&w, "jobArn", arn);
    rp_json_write_kv_cstr(&w, "jobId", j->id);
    rp_json_write_kv_cstr(&w, "jobStatus", j->status);
    rp_json_write_kv_cstr(&w, "jobType", j->type);
    if (j->last_run_ms > 0) {
        iso(j->last_run_ms, t, sizeof t);
        rp_json_write_kv_cstr(&w, "lastRunTime", t);
    }
    rp_json_write_kv_cstr(&w, "managedDataIdentifierSelector", nids ? "INCLUDE" : "ALL");
    if (nids) {
        rp_json_write_key(&w, "managedDataIdentifierIds", 24);
        rp_json_write_arr_begin(&w);
        for (int i = 0; i < nids; i++) rp_json_write_cstr(&w, ids[i]);
        rp_json_write_arr_end(&w);
    }
    rp_json_write_kv_cstr(&w, "name", j->name);
    /* s3JobDefinition: the buckets (Rampart also keeps the sources as given) and scoping */
    rp_json_write_key(&w, "s3JobDefinition", 15);
    rp_json_write_obj_begin(&w);
    rp_json_write_key(&w, "bucketDefinitions", 17);
    rp_json_write_arr_begin(&w);
    rp_json_write_obj_begin(&w);
    rp_json_write_kv_cstr(&w, "accountId", "000000000000");
    rp_json_write_key(&w, "buckets", 7);
    rp_json_write_arr_begin(&w);
    for (int i = 0; i < nsrc; i++) {
        char b[1024];
        if (!strncmp(src[i], "s3://", 5)) {
            char prefix[1024];
            struct rp_errbuf peb = {0};
            if (rp_s3_parse_url(src[i], b, sizeof b, prefix, sizeof prefix, &peb)) continue;
        } else {
            const char *slash = strrchr(src[i], '/');
            rp_strlcpy(b, slash && slash[1] ? slash + 1 : src[i], sizeof b);
        }
        rp_json_write_cstr(&w, b);
    }
    rp_json_write_arr_end(&w);
    rp_json_write_obj_end(&w);
    rp_json_write_arr_end(&w);
    rp_json_write_key(&w, "scoping", 7);
    rp_json_write_obj_begin(&w);
    rp_json_write_key(&w, "excludes", 8);
    rp_json_write_obj_begin(&w);
    rp_json_write_key(&w, "and", 3);
    rp_json_write_arr_begin(&w);
    if (next) {
        rp_json_write_obj_begin(&w);
        rp_json_write_key(&w, "simpleScopeTerm", 15);
        rp_json_write_obj_begin(&w);
        rp_json_write_kv_cstr(&w, "comparator", "EQ");
        rp_json_write_kv_cstr(&w, "key", "OBJECT_EXTENSION");
        rp_json_write_key(&w, "values", 6);
        rp_json_write_arr_begin(&w);
        for (int i = 0; i < next; i++) rp_json_write_cstr(&w, ext[i]);
        rp_json_write_arr_end(&w);
        rp_json_write_obj_end(&w);
        rp_json_write_obj_end(&w);
    }
    rp_json_write_arr_end(&w);
    rp_json_write_obj_end(&w);
    rp_json_write_key(&w, "includes", 8);
    rp_json_write_obj_begin(&w);
    rp_json_write_key(&w, "and", 3);
    rp_json_write_arr_begin(&w);
    struct scope_term terms[4] = {{0}};
    int nt = 0;
    char vmin[24], vmax[24], vsince[RP_TIME_ISO_BUFSZ];
    if (j->key_prefix[0])
        terms[nt++] = (struct scope_term){"STARTS_WITH", "OBJECT_KEY", j->key_prefix};
    if (j->min_size >= 0) {
        snprintf(vmin, sizeof vmin, "%" PRId64, j->min_size);
        terms[nt++] = (struct scope_term){"GTE", "OBJECT_SIZE", vmin};
    }
    if (j->max_size >= 0) {
        snprintf(vmax, sizeof vmax, "%" PRId64, j->max_size);
        terms[nt++] = (struct scope_term){"LTE", "OBJECT_SIZE", vmax};
    }
    if (j->since_ms >= 0) {
        iso(j->since_ms, vsince, sizeof vsince);
        terms[nt++] = (struct scope_term){"GTE", "OBJECT_LAST_MODIFIED_DATE", vsince};
    }
    for (int i = 0; i < nt; i++) {
        rp_json_write_obj_begin(&w);
        rp_json_write_key(&w, "simpleScopeTerm", 15);
        rp_json_write_obj_begin(&w);
        rp_json_write_kv_cstr(&w, "comparator", terms[i].cmp);
        rp_json_write_kv_cstr(&w, "key", terms[i].key);
        rp_json_write_key(&w, "values", 6);
        rp_json_write_arr_begin(&w);
        rp_json_write_cstr(&w, terms[i].val);
        rp_json_write_arr_end(&w);
        rp_json_write_obj_end(&w);
        rp_json_write_obj_end(&w);
    }
    rp_json_write_arr_end(&w);
    rp_json_write_obj_end(&w);
    rp_json_write_obj_end(&w);
    rp_json_write_key(&w, "sources", 7);
    rp_json_write_arr_begin(&w);
    for (int i = 0; i < nsrc; i++) rp_json_write_cstr(&w, src[i]);
    rp_json_write_arr_end(&w);
    rp_json_write_obj_end(&w);
    rp_json_write_kv_int(&w, "samplingPercentage", j->sampling);
    if (!strcmp(j->type, "SCHEDULED")) {
        rp_json_write_key(&w, "scheduleFrequency", 17);
        rp_json_write_obj_begin(&w);
        if (!strcmp(j->schedule, "daily")) {
            rp_json_write_key(&w, "dailySchedule", 13);
            rp_json_write_obj_begin(&w);
            rp_json_write_obj_end(&w);
        } else if (!strncmp(j->schedule, "weekly:", 7)) {
            rp_json_write_key(&w, "weeklySchedule", 14);
            rp_json_write_obj_begin(&w);
            rp_json_write_kv_cstr(&w, "dayOfWeek", j->schedule + 7);
            rp_json_write_obj_end(&w);
        } else {
            rp_json_write_key(&w, "monthlySchedule", 15);
            rp_json_write_obj_begin(&w);
            rp_json_write_kv_int(&w, "dayOfMonth", strtol(j->schedule + 8, NULL, 10));
            rp_json_write_obj_end(&w);
        }
        rp_json_write_obj_end(&w);
    }
    rp_json_write_key(&w, "statistics", 10);
    rp_json_write_obj_begin(&w);
    rp_json_write_kv_int(&w, "approximateNumberOfObjectsToProcess", j->objects);
    rp_json_write_kv_int(&w, "numberOfRuns", j->runs);
    rp_json_write_obj_end(&w);
    rp_json_write_obj_end(&w);
    rp_err e = rp_json_writer_finish(&w);
    return e ? rp_fail(eb, e, "cannot write the job's JSON") : RP_OK;
}

static int job_show(struct rp_cmd_ctx *ctx, int argc, char **argv)
{
    if (argc != 1) return rp_cmd_usage_error(VERB, "job show needs one job id");
    struct rp_errbuf eb = {0};
    struct rp_store *st = NULL;
    struct rp_dataid_job *j = calloc(1, sizeof *j);
    struct rp_buf b;
    rp_buf_init(&b, 0);
    rp_err e = j ? RP_OK : rp_fail(&eb, RP_ENOMEM, "out of memory");
    if (!e) e = rp_store_new(ctx->db_path, RP_STORE_RDONLY, &st, &eb);
    if (!e) e = rp_dataid_job_get(st, argv[0], j, &eb);
    if (!e) e = job_json(j, &b, &eb);
    if (!e) printf("%s\n", rp_buf_cstr(&b));
    rp_buf_release(&b);
    rp_store_free(st);
    free(j);
    if (e == RP_ENOENT) return rp_cmd_usage_error(VERB, "%s", eb.msg);
    return e ? rp_cmd_error(VERB, "%s", eb.msg) : RP_EXIT_OK;
}

/* Run job j now: its sources in its scope and sample, only what changed since the
 * checkpoints; then its statistics, status and next run time are stored. */
static int run_job(struct rp_cmd_ctx *ctx, const struct rp_dataid_job *j)
{
    struct rp_dataid_job c = *j;
    const char *ext[32], *cust[16], *src[MAX_JOB_SOURCES], *paths[MAX_JOB_SOURCES],
        *urls[MAX_JOB_SOURCES];
    int next = split(c.exclude_ext, ',', ext, 32), ncust = split(c.customs, '\n', cust, 16);
    int nsrc = split(c.sources, '\n', src, MAX_JOB_SOURCES), np = 0, nu = 0;
    for (int i = 0; i < nsrc; i++) {
        if (!strncmp(src[i], "s3://", 5))
            urls[nu++] = src[i];
        else
            paths[np++] = src[i];
    }
    struct rp_dataid_scope scope = {.key_prefix = c.key_prefix[0] ? c.key_prefix : NULL,
                                    .exclude_ext = ext,
                                    .nexclude = (size_t)next,
                                    .min_size = c.min_size,
                                    .max_size = c.max_size,
                                    .since_ms = c.since_ms,
                                    .sampling = c.sampling};
    struct scan_args a = {.changed_only = j->runs > 0, /* a first run reads all in scope */
                          .paths = paths,
                          .npaths = np,
                          .s3urls = urls,
                          .ns3 = nu,
                          .scope = &scope,
                          .job_id = j->id};
    a.so.only = c.identifiers[0] ? c.identifiers : NULL;
    for (int i = 0; i < ncust; i++) a.so.customs[a.so.ncustoms++] = cust[i];
    /* exactly the stored custom identifiers (deleted since or not) and allow lists it names */
    a.so.use_stored = true;
    a.so.stored = (struct rp_cmd_discover_stored){.db = ctx->db_path,
                                                  .custom_refs = c.custom_ids,
                                                  .allow_refs = c.allow_list_ids,
                                                  .job = true};
    if (ctx->verbosity >= 0) fprintf(stderr, "rampart: discover: job %s (%s)\n", j->id, j->name);
    int64_t now = rp_time_now_ms(), objects = 0;
    int rc = run_scan(ctx, &a, &objects);
    if (rc != RP_EXIT_OK && rc != RP_EXIT_PARTIAL) return rc;
    struct rp_dataid_job u = *j;
    u.last_run_ms = now;
    u.runs++;
    u.objects = objects;
    rp_strlcpy(u.status, strcmp(u.type, "SCHEDULED") ? "COMPLETE" : "IDLE", sizeof u.status);
    struct rp_errbuf eb = {0};
    struct rp_store *st = NULL;
    rp_err e = RP_OK;
    if (!strcmp(u.type, "SCHEDULED"))
        e = rp_dataid_schedule_next(u.schedule, now, &u.next_run_ms, &eb);
    if (!e) e = rp_store_new(ctx->db_path, RP_STORE_RDWR, &st, &eb);
    if (!e) e = rp_dataid_job_put(st, &u, &eb);
    rp_store_free(st);
    return e ? rp_cmd_error(VERB, "%s", eb.msg) : rc;
}

struct due_ctx {
    struct rp_cmd_ctx *ctx;
    int rc, n;
};

static rp_err on_due(void *arg, const struct rp_dataid_job *j, struct rp_errbuf *eb)
{
    (void)eb;
    struct due_ctx *d = arg;
    int rc = run_job(d->ctx, j);
    d->n++;
    if (rc > d->rc) d->rc = rc;
    return RP_OK;
}

static int job_run(struct rp_cmd_ctx *ctx, int argc, char **argv)
{
    bool due = argc == 1 && !strcmp(argv[0], "--due");
    if (argc != 1) return rp_cmd_usage_error(VERB, "job run needs a job id or --due");
    struct rp_errbuf eb = {0};
    struct rp_store *st = NULL;
    rp_err e = rp_store_new(ctx->db_path, RP_STORE_RDWR, &st, &eb);
    if (!e && due) {
        struct due_ctx d = {.ctx = ctx};
        /* the store stays open for the list only; each run opens its own */
        e = rp_dataid_job_each(st, rp_time_now_ms(), on_due, &d, &eb);
        rp_store_free(st);
        if (e) return rp_cmd_error(VERB, "%s", eb.msg);
        if (ctx->verbosity >= 0) fprintf(stderr, "rampart: discover: %d jobs due\n", d.n);
        return d.rc;
    }
    struct rp_dataid_job *j = calloc(1, sizeof *j);
    if (!e && !j) e = rp_fail(&eb, RP_ENOMEM, "out of memory");
    if (!e) e = rp_dataid_job_get(st, argv[0], j, &eb);
    rp_store_free(st);
    int rc = e == RP_ENOENT ? rp_cmd_usage_error(VERB, "%s", eb.msg)
             : e            ? rp_cmd_error(VERB, "%s", eb.msg)
                            : run_job(ctx, j);
    free(j);
    return rc;
}

static int job(struct rp_cmd_ctx *ctx, int argc, char **argv)
{
    if (argc >= 1 && !strcmp(argv[0], "create")) return job_create(ctx, argc - 1, argv + 1);
    if (argc >= 1 && !strcmp(argv[0], "run")) return job_run(ctx, argc - 1, argv + 1);
    if (argc >= 1 && !strcmp(argv[0], "list")) return job_list(ctx, argc - 1);
    if (argc >= 1 && !strcmp(argv[0], "show")) return job_show(ctx, argc - 1, argv + 1);
    return rp_cmd_usage_error(VERB, "job needs create, run, list or show");
}

/* ---- policy: Macie's bucket policy findings from the inventory ------------------------------ */

struct policy_ctx {
    struct rp_out *out;
    struct rp_hub_importer *im; /* NULL with --dry-run */
    struct rp_json_parser *jp;
    size_t item;
};

static rp_err on_policy(void *arg, const char *type, const char *resource, const char *doc,
                        size_t n, struct rp_errbuf *eb)
{
    struct policy_ctx *p = arg;
    if (p->im) {
        struct rp_json_val v;
        rp_err e = rp_json_parse(p->jp, doc, n, &v, eb);
        if (!e) e = rp_hub_import_finding(p->im, v, "discover policy", p->item++, NULL, eb);
        if (e) return e;
    }
    const char *vals[] = {resource, type};
    return rp_out_row(p->out, vals);
}

static int policy(struct rp_cmd_ctx *ctx, int argc, char **argv)
{
    bool dry = argc == 1 && !strcmp(argv[0], "--dry-run");
    if (argc > 1 || (argc == 1 && !dry))
        return rp_cmd_usage_error(VERB, "policy takes only --dry-run");
    struct rp_errbuf eb = {0};
    struct rp_store *st = NULL;
    if (rp_store_new(ctx->db_path, dry ? RP_STORE_RDONLY : RP_STORE_RDWR, &st, &eb))
        return rp_cmd_error(VERB, "%s", eb.msg);
    static const struct rp_out_col cols[] = {{"bucket", 0}, {"type", 0}};
    struct policy_ctx p = {.out = rp_out_new(ctx, cols, 2), .jp = rp_json_parser_new()};
    rp_err e = p.out && p.jp ? RP_OK : rp_fail(&eb, RP_ENOMEM, "out of memory");
    struct rp_hub_import_opts io;
    rp_hub_import_opts_init(&io);
    io.format = "asff";
    if (!e && !dry) e = rp_hub_importer_new(st, &io, &p.im, &eb);
    size_t n = 0;
    if (!e) e = rp_dataid_policy_findings(st, 0, on_policy, &p, &n, &eb);
    if (!e && p.im) {
        e = rp_hub_importer_finish(p.im, &eb);
        p.im = NULL;
    }
    rp_hub_importer_free(p.im);
    if (!e) e = rp_out_flush(p.out);
    rp_out_free(p.out);
    rp_json_parser_free(p.jp);
    rp_store_free(st);
    if (e) return rp_cmd_error(VERB, "%s", eb.msg[0] ? eb.msg : rp_strerror(e));
    if (ctx->verbosity >= 0)
        fprintf(stderr, "rampart: discover: %zu policy findings%s\n", n,
                dry ? " (dry run: nothing stored)" : "");
    return RP_EXIT_OK;
}

int rp_cmd_discover(struct rp_cmd_ctx *ctx, int argc, char **argv)
{
    if (argc >= 3 && !strcmp(argv[1], "identifiers") && !strcmp(argv[2], "test"))
        return ids_test(ctx, argc - 3, argv + 3);
    if (argc >= 2 && !strcmp(argv[1], "identifiers"))
        return rp_cmd_discover_identifiers(ctx, argc - 2, argv + 2);
    if (argc >= 2 && !strcmp(argv[1], "allow-list"))
        return rp_cmd_discover_allow_list(ctx, argc - 2, argv + 2);
    if (argc >= 2 && !strcmp(argv[1], "scan")) return scan(ctx, argc - 2, argv + 2);
    if (argc >= 2 && !strcmp(argv[1], "policy")) return policy(ctx, argc - 2, argv + 2);
    if (argc >= 2 && !strcmp(argv[1], "buckets")) return buckets(ctx, argc - 2, argv + 2);
    if (argc >= 2 && !strcmp(argv[1], "job")) return job(ctx, argc - 2, argv + 2);
    if (argc < 2)
        return rp_cmd_usage_error(
            VERB, "say what to do: identifiers, allow-list, scan, buckets, job or policy");
    return rp_cmd_usage_error(VERB, "unknown subcommand '%s'", argv[1]);
}
