/* SPDX-License-Identifier: Apache-2.0 */
/* `rampart discover`: sensitive data discovery (Macie, src/dataid, issue 8).
 * `identifiers list` shows the managed data identifiers, `identifiers test` runs one (or a
 * custom identifier file) over sample text as Macie's console test does, and `scan` classifies
 * every file under the paths and stores one Macie finding per file with sensitive data in the
 * findings hub. */
#define RP_LOG_MODULE "cmd"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd/cmd_verbs.h"
#include "core/rp_buf.h"
#include "core/rp_gz.h"
#include "core/rp_json.h"
#include "core/rp_time.h"
#include "core/rp_walk.h"
#include "dataid/dataid.h"
#include "dataid/dataid_s3.h"
#include "hub/hub.h"
#include "store/store.h"
#include "core/rp_banned.h"

#define VERB       "discover"
#define MAX_OBJECT (512u << 20) /* larger files are reported, not read */

const char rp_cmd_discover_usage[] =
    "rampart discover identifiers list\n"
    "       rampart discover identifiers test ID|FILE.yaml TEXT\n"
    "       rampart discover scan [--dry-run] [--identifiers ID,..] [--custom FILE.yaml]..\n"
    "                             [--allow-list FILE] [--allow-regex RE] [--results FILE]\n"
    "                             [--endpoint-url URL] PATH|s3://BUCKET[/PREFIX]...\n"
    "       rampart discover policy [--dry-run]";

const char rp_cmd_discover_help[] =
    "Sensitive data discovery (Macie): managed and custom data identifiers over files.\n"
    "\n"
    "  identifiers list    Macie's managed data identifiers: id, category, validator, keywords\n"
    "  identifiers test ID|FILE.yaml TEXT\n"
    "                      run one identifier (a managed id, or a custom identifier file) over\n"
    "                      TEXT, as Macie's console does: every match with its offsets\n"
    "  scan PATH...        classify every file under the paths with all managed identifiers\n"
    "                      (.gz read decompressed, zip and tar archives member by member);\n"
    "                      one finding per object with sensitive data\n"
    "                      (SensitiveData:S3Object/Credentials|Financial|Personal|\n"
    "                      CustomIdentifier|Multiple) in the findings hub, with Macie's\n"
    "                      locators (lineRanges; cells for CSV/TSV; records and JSON paths);\n"
    "                      values only redacted\n"
    "      --dry-run       print, store nothing\n"
    "      --identifiers L only these managed identifiers (comma-separated ids)\n"
    "      --custom FILE   a custom data identifier file (repeatable; docs/discover.md)\n"
    "      --allow-list F  an allow list: one phrase per line (case-insensitive, exact)\n"
    "      --allow-regex R an allow list regex (an occurrence it matches in full is ignored)\n"
    "      --results FILE  Macie's sensitive data discovery results: one JSON line per object\n"
    "                      read, with each detection type, its count and located occurrences\n"
    "  scan s3://BUCKET[/PREFIX]\n"
    "                      the objects of an S3-compatible bucket (S3 REST API, SigV4); endpoint,\n"
    "                      region and credentials as the AWS CLI finds them (AWS_* variables,\n"
    "                      ~/.aws/credentials and ~/.aws/config, AWS_PROFILE)\n"
    "      --endpoint-url URL\n"
    "                      an S3-compatible server (path-style addressing), as the AWS CLI's\n"
    "                      (else AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, the profile's\n"
    "                      endpoint_url, or AWS)\n"
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

static int ids_list(struct rp_cmd_ctx *ctx)
{
    struct rp_errbuf eb = {0};
    struct set_opts so = {0};
    struct rp_dataid_set *s = NULL;
    if (build_set(&so, true, &s, &eb)) return rp_cmd_error(VERB, "%s", eb.msg);
    static const struct rp_out_col cols[] = {{"id", 0},       {"category", 0},
                                             {"name", 0},     {"validator", 0},
                                             {"keywords", 0}, {"max_distance", RP_OUT_COL_NUM}};
    struct rp_out *out = rp_out_new(ctx, cols, 6);
    rp_err e = out ? RP_OK : RP_ENOMEM;
    for (size_t i = 0; !e && i < rp_dataid_set_count(s); i++) {
        const struct rp_dataid_ident *d = rp_dataid_set_ident(s, i);
        char kw[32], dist[16];
        snprintf(kw, sizeof kw, "%s%s",
                 d->keyword_mode == RP_DATAID_KW_REQUIRED    ? "required"
                 : d->keyword_mode == RP_DATAID_KW_FORBIDDEN ? "forbidden"
                                                             : "-",
                 "");
        snprintf(dist, sizeof dist, "%u", d->max_distance);
        const char *vals[] = {d->id,   rp_dataid_category_name(d->category),
                              d->name, d->validator ? d->validator->name : "-",
                              kw,      dist};
        e = rp_out_row(out, vals);
    }
    if (!e) e = rp_out_flush(out);
    rp_out_free(out);
    rp_dataid_set_free(s);
    return e ? rp_cmd_error(VERB, "%s", rp_strerror(e)) : RP_EXIT_OK;
}

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
    if (argc != 2) return rp_cmd_usage_error(VERB, "identifiers test needs ID|FILE.yaml and TEXT");
    struct rp_errbuf eb = {0};
    struct set_opts so = {0};
    size_t len = strlen(argv[0]);
    bool file = len > 5 && !strcmp(argv[0] + len - 5, ".yaml");
    if (file) {
        so.customs[so.ncustoms++] = argv[0];
    } else {
        so.only = argv[0];
    }
    struct rp_dataid_set *s = NULL;
    rp_err e = build_set(&so, !file, &s, &eb);
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
    int64_t files, findings, failed, skipped, bytes;
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
    const char *vals[] = {path, rp_dataid_finding_type(r), label, cnt, det.data ? det.data : ""};
    e = rp_out_row(c->out, vals);
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

/* An object (a file, an S3 object, an archive member) from the library's walk. */
static rp_err on_object(void *arg, const struct rp_dataid_object *o, struct rp_errbuf *eb)
{
    (void)eb;
    struct scan_ctx *c = arg;
    if (o->result) {
        handle_result(c, o->path, &o->ref, o->result);
    } else if (!strcmp(o->status, "ERROR")) {
        warn_file(c, o->path, o->reason);
        skipped_result(c, &o->ref, "UNKNOWN_ERROR");
    } else {
        skipped_result(c, &o->ref, o->status);
        fprintf(stderr, "rampart: discover: %s: skipped: %s (%s)\n", o->path, o->reason, o->status);
        c->skipped++;
    }
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
                                     .now_ms = c->now};
    if (it->err && it->st && !strcmp(it->st->status, "S3_OBJECT_OVERSIZE")) {
        fprintf(stderr, "rampart: discover: %s: skipped: larger than %u MiB (OBJECT_OVERSIZE)\n",
                rp_buf_cstr(&path), MAX_OBJECT >> 20);
        c->skipped++;
        skipped_result(c, &o, "OBJECT_OVERSIZE");
    } else if (it->err) {
        warn_file(c, rp_buf_cstr(&path), it->msg);
        skipped_result(c, &o, it->st && it->st->status ? it->st->status : "UNKNOWN_ERROR");
    } else if (rp_gz_is_gzip(it->data, it->len) &&
               rp_gz_decompress(it->data, it->len, rp_buf_cstr(&path), NULL, &gz, &geb)) {
        warn_file(c, rp_buf_cstr(&path), geb.msg); /* .gz objects are read as .gz files are */
        skipped_result(c, &o, "UNSUPPORTED_OR_DAMAGED");
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
        e = rp_s3_walk(cl, bucket, prefix, MAX_OBJECT, on_s3_object, c, NULL, &web);
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

static int scan(struct rp_cmd_ctx *ctx, int argc, char **argv)
{
    struct set_opts so = {0};
    bool dry = false;
    const char *results = NULL;
    int npaths = 0, ns3 = 0;
    const char *endpoint = NULL, *s3urls[64];
    for (int i = 0; i < argc; i++) {
        const char *val = NULL;
        int m;
        if ((m = rp_cmd_opt_value("--identifiers", argc, argv, &i, &val)))
            so.only = val;
        else if ((m = rp_cmd_opt_value("--custom", argc, argv, &i, &val))) {
            if (so.ncustoms == 16) return rp_cmd_usage_error(VERB, "at most 16 --custom files");
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
        else if (argv[i][0] == '-' && argv[i][1])
            return rp_cmd_usage_error(VERB, "unknown option '%s'", argv[i]);
        else if (strncmp(argv[i], "s3://", 5) == 0) {
            if (ns3 == 64) return rp_cmd_usage_error(VERB, "at most 64 s3:// arguments");
            s3urls[ns3++] = argv[i];
        } else
            argv[npaths++] = argv[i];
        if (m < 0) return rp_cmd_usage_error(VERB, "%s needs a value", argv[i]);
    }
    if (npaths + ns3 < 1) return rp_cmd_usage_error(VERB, "scan needs at least one PATH");
    struct scan_ctx c = {.ctx = ctx, .now = rp_time_now_ms()};
    struct rp_errbuf eb = {0};
    struct rp_dataid_set *s = NULL;
    rp_err e = build_set(&so, true, &s, &eb);
    if (e == RP_ENOENT) return rp_cmd_usage_error(VERB, "%s", eb.msg);
    if (e) return rp_cmd_error(VERB, "%s", eb.msg);
    c.s = s;
    rp_buf_init(&c.doc, 0);
    static const struct rp_out_col cols[] = {
        {"object", 0}, {"type", 0}, {"severity", 0}, {"count", RP_OUT_COL_NUM}, {"detections", 0}};
    if (rp_dataid_scratch_new(s, &c.sc) || !(c.out = rp_out_new(ctx, cols, 5)))
        e = rp_fail(&eb, RP_ENOMEM, "out of memory");
    if (!e && !dry && !(c.spool = tmpfile()))
        e = rp_fail(&eb, RP_EIO, "cannot create a spool file: %s", strerror(errno));
    if (!e && results && !(c.results = fopen(results, "w")))
        e = rp_fail(&eb, RP_EIO, "cannot write '%s': %s", results, strerror(errno));
    if (!e && npaths)
        e = rp_dataid_classify_paths(s, c.sc, (const char *const *)argv, (size_t)npaths, c.now,
                                     on_object, &c, NULL, &eb);
    for (int i = 0; !e && !c.err && i < ns3; i++) e = scan_s3(&c, s3urls[i], endpoint, &eb);
    if (!e && c.err) {
        e = c.err;
        eb = c.eb;
    }
    if (!e && c.out) e = rp_out_flush(c.out);
    if (!e && c.spool) e = import_spool(ctx, c.spool, &eb);
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
        if (c.skipped || c.failed)
            snprintf(notread, sizeof notread, "; %" PRId64 " not read", c.skipped + c.failed);
        fprintf(stderr,
                "rampart: discover: %" PRId64 " findings in %" PRId64 " files (%" PRId64
                " bytes)%s%s\n",
                c.findings, c.files, c.bytes, notread, dry ? " (dry run: nothing stored)" : "");
    }
    return c.failed || c.skipped ? RP_EXIT_PARTIAL : RP_EXIT_OK;
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
    if (argc >= 3 && !strcmp(argv[1], "identifiers") && !strcmp(argv[2], "list"))
        return ids_list(ctx);
    if (argc >= 3 && !strcmp(argv[1], "identifiers") && !strcmp(argv[2], "test"))
        return ids_test(ctx, argc - 3, argv + 3);
    if (argc >= 2 && !strcmp(argv[1], "scan")) return scan(ctx, argc - 2, argv + 2);
    if (argc >= 2 && !strcmp(argv[1], "policy")) return policy(ctx, argc - 2, argv + 2);
    if (argc < 2) return rp_cmd_usage_error(VERB, "say what to do: identifiers, scan or policy");
    return rp_cmd_usage_error(VERB, "unknown subcommand '%s'", argv[1]);
}
