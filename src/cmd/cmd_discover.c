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
#include "hub/hub.h"
#include "store/store.h"
#include "core/rp_banned.h"

#define VERB       "discover"
#define MAX_OBJECT (512u << 20) /* larger files are reported, not read */

const char rp_cmd_discover_usage[] =
    "rampart discover identifiers list\n"
    "       rampart discover identifiers test ID|FILE.yaml TEXT\n"
    "       rampart discover scan [--dry-run] [--identifiers ID,..] [--custom FILE.yaml]..\n"
    "                             [--allow-list FILE] [--allow-regex RE] PATH...";

const char rp_cmd_discover_help[] =
    "Sensitive data discovery (Macie): managed and custom data identifiers over files.\n"
    "\n"
    "  identifiers list    Macie's managed data identifiers: id, category, validator, keywords\n"
    "  identifiers test ID|FILE.yaml TEXT\n"
    "                      run one identifier (a managed id, or a custom identifier file) over\n"
    "                      TEXT, as Macie's console does: every match with its offsets\n"
    "  scan PATH...        classify every file under the paths with all managed identifiers;\n"
    "                      one finding per file with sensitive data\n"
    "                      (SensitiveData:S3Object/Credentials|Financial|Personal|\n"
    "                      CustomIdentifier|Multiple) in the findings hub, with Macie's\n"
    "                      locators (lineRanges; cells for CSV/TSV); values only redacted\n"
    "      --dry-run       print, store nothing\n"
    "      --identifiers L only these managed identifiers (comma-separated ids)\n"
    "      --custom FILE   a custom data identifier file (repeatable; docs/discover.md)\n"
    "      --allow-list F  an allow list: one phrase per line (case-insensitive, exact)\n"
    "      --allow-regex R an allow list regex (an occurrence it matches in full is ignored)\n"
    "\n"
    "Exit status: 0 done; 3 some files could not be read (each named on stderr).\n"
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
    FILE *spool; /* ASFF documents to import, one per line; NULL with --dry-run */
    struct rp_buf doc;
    int64_t now;
    int64_t files, findings, failed, skipped, bytes;
    rp_err err;
    struct rp_errbuf eb;
};

static const char *basename_of(const char *p, char *buf, size_t n)
{
    rp_strlcpy(buf, p, n);
    size_t len = strlen(buf);
    while (len > 1 && buf[len - 1] == '/') buf[--len] = 0;
    const char *s = strrchr(buf, '/');
    return s ? s + 1 : buf;
}

static void warn_file(struct scan_ctx *c, const char *path, const char *why)
{
    fprintf(stderr, "rampart: discover: %s: %s\n", path, why);
    c->failed++;
}

static void classify_file(struct scan_ctx *c, const struct rp_walk_entry *en)
{
    if (en->st && (uint64_t)en->st->st_size > MAX_OBJECT) {
        /* Macie's S3_OBJECT_OVERSIZE: reported, not read */
        fprintf(stderr, "rampart: discover: %s: skipped: larger than %u MiB (OBJECT_OVERSIZE)\n",
                en->path, MAX_OBJECT >> 20);
        c->skipped++;
        return;
    }
    struct rp_buf b;
    struct rp_errbuf eb = {0};
    if (read_file(en->path, &b, &eb)) {
        warn_file(c, en->path, eb.msg);
        rp_buf_release(&b);
        return;
    }
    c->files++;
    c->bytes += (int64_t)b.len;
    struct rp_dataid_result r;
    rp_err e = rp_dataid_classify(c->s, c->sc, en->path, b.data ? b.data : "", b.len, &r, &eb);
    rp_buf_release(&b);
    if (e) {
        warn_file(c, en->path, eb.msg);
        return;
    }
    if (!r.ndet) {
        rp_dataid_result_release(&r);
        return;
    }
    char bucketbuf[1024];
    const char *bucket = en->depth ? basename_of(en->root, bucketbuf, sizeof bucketbuf) : "local";
    struct rp_dataid_object_ref o = {.bucket = bucket,
                                     .key = en->depth ? en->rel : en->path,
                                     .size = en->st ? (int64_t)en->st->st_size : 0,
                                     .last_modified_ms =
                                         en->st ? (int64_t)en->st->st_mtime * 1000 : 0,
                                     .now_ms = c->now};
    rp_buf_reset(&c->doc);
    e = rp_dataid_finding_asff(&r, &o, &c->doc, &eb);
    if (!e && c->spool &&
        (fwrite(c->doc.data, 1, c->doc.len, c->spool) != c->doc.len ||
         fputc('\n', c->spool) == EOF))
        e = rp_fail(&eb, RP_EIO, "cannot write the findings' spool file");
    if (e) {
        c->err = e;
        c->eb = eb;
        rp_dataid_result_release(&r);
        return;
    }
    c->findings++;
    const char *label = NULL;
    int score = 0;
    rp_dataid_finding_severity(&r, &label, &score);
    int64_t total = 0;
    struct rp_buf det;
    rp_buf_init(&det, 4096);
    for (size_t i = 0; i < r.ndet; i++) {
        total += r.det[i].count;
        if (rp_buf_printf(&det, "%s%s:%lld", i ? " " : "", r.det[i].ident->id,
                          (long long)r.det[i].count))
            break;
    }
    char cnt[24];
    snprintf(cnt, sizeof cnt, "%lld", (long long)total);
    const char *vals[] = {en->path, rp_dataid_finding_type(&r), label, cnt,
                          det.data ? det.data : ""};
    e = rp_out_row(c->out, vals);
    rp_buf_release(&det);
    rp_dataid_result_release(&r);
    if (e) c->err = rp_fail(&c->eb, e, "cannot write the output");
}

static enum rp_walk_action on_entry(const struct rp_walk_entry *en, void *arg)
{
    struct scan_ctx *c = arg;
    switch (en->event) {
    case RP_WALK_EV_FILE:
        classify_file(c, en);
        return c->err ? RP_WALK_STOP : RP_WALK_CONTINUE;
    case RP_WALK_EV_SKIP:
        if (en->reason == RP_WALK_REASON_SYMLINK || en->reason == RP_WALK_REASON_SEEN ||
            en->reason == RP_WALK_REASON_SPECIAL)
            return RP_WALK_CONTINUE;
        warn_file(c, en->path, en->msg);
        return RP_WALK_CONTINUE;
    case RP_WALK_EV_ERROR:
        warn_file(c, en->path, en->msg);
        return RP_WALK_CONTINUE;
    default:
        return RP_WALK_CONTINUE;
    }
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
    int npaths = 0;
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
        else if (strcmp(argv[i], "--dry-run") == 0)
            dry = true;
        else if (argv[i][0] == '-' && argv[i][1])
            return rp_cmd_usage_error(VERB, "unknown option '%s'", argv[i]);
        else
            argv[npaths++] = argv[i];
        if (m < 0) return rp_cmd_usage_error(VERB, "%s needs a value", argv[i]);
    }
    if (npaths < 1) return rp_cmd_usage_error(VERB, "scan needs at least one PATH");
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
    if (!e) e = rp_walk_run((const char *const *)argv, (size_t)npaths, NULL, on_entry, &c, &eb);
    if (!e && c.err) {
        e = c.err;
        eb = c.eb;
    }
    if (!e && c.out) e = rp_out_flush(c.out);
    if (!e && c.spool) e = import_spool(ctx, c.spool, &eb);
    if (c.spool) fclose(c.spool);
    rp_out_free(c.out);
    rp_buf_release(&c.doc);
    rp_dataid_scratch_free(c.sc);
    rp_dataid_set_free(s);
    if (e) return rp_cmd_error(VERB, "%s", eb.msg[0] ? eb.msg : rp_strerror(e));
    if (ctx->verbosity >= 0)
        fprintf(stderr,
                "rampart: discover: %" PRId64 " findings in %" PRId64 " files (%" PRId64
                " bytes)%s%s\n",
                c.findings, c.files, c.bytes, c.skipped ? "; some files skipped" : "",
                dry ? " (dry run: nothing stored)" : "");
    return c.failed ? RP_EXIT_PARTIAL : RP_EXIT_OK;
}

int rp_cmd_discover(struct rp_cmd_ctx *ctx, int argc, char **argv)
{
    if (argc >= 3 && !strcmp(argv[1], "identifiers") && !strcmp(argv[2], "list"))
        return ids_list(ctx);
    if (argc >= 3 && !strcmp(argv[1], "identifiers") && !strcmp(argv[2], "test"))
        return ids_test(ctx, argc - 3, argv + 3);
    if (argc >= 2 && !strcmp(argv[1], "scan")) return scan(ctx, argc - 2, argv + 2);
    if (argc < 2) return rp_cmd_usage_error(VERB, "say what to do: identifiers or scan");
    return rp_cmd_usage_error(VERB, "unknown subcommand '%s'", argv[1]);
}
