/* SPDX-License-Identifier: Apache-2.0 */
/* BatchImportFindings for files and buffers: frames the input (one JSON document, or JSON Lines
 * streamed in bounded chunks so a million-finding file never sits in memory whole), picks the
 * format per document (hub_formats.def: ASFF, GuardDuty, OCSF, Trivy, Prowler), and imports
 * each resulting ASFF finding: validate, look up (ProductArn, Id), ignore an older or equal
 * UpdatedAt, merge (hub_merge.c) and write (hub_store.c), all inside one write batch committed
 * every RP_HUB_BATCH findings. A finding that is refused, and a line that is not JSON, go to
 * the caller's error callback and to the store's rejects table (DESIGN.md §4) with the file,
 * line and reason; the rest of the input is imported. */
#define RP_LOG_MODULE "hub"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rp_gz.h"
#include "core/rp_time.h"
#include "hub/hub_conv.h"
#include "hub/hub_internal.h"

#define HUB_CHUNK     (8u << 20)   /* bytes read from a file at a time */
#define HUB_MAX_WHOLE (1ull << 31) /* a single JSON document file (not JSON Lines) */

struct rp_hub_importer {
    struct rp_store *st;
    struct rp_hub_import_opts o;
    struct hub_work w;
    struct rp_json_parser *in_p;   /* input documents */
    struct rp_json_parser *conv_p; /* converters' output */
    struct rp_buf conv;            /* converters' scratch */
    struct rp_buf chunk;           /* file input */
    struct rp_hub_import_stats stats;
    const char *source; /* the input being imported, for messages */
    int64_t line;       /* its current line (JSON Lines), 0 for a whole document */
    rp_err stop;        /* the error callback's refusal, sticky */
};

void rp_hub_import_opts_init(struct rp_hub_import_opts *o)
{
    memset(o, 0, sizeof *o);
}

rp_err rp_hub_importer_new(struct rp_store *st, const struct rp_hub_import_opts *o,
                           struct rp_hub_importer **out, struct rp_errbuf *eb)
{
    struct rp_hub_importer *im = calloc(1, sizeof *im);
    *out = NULL;
    if (!im) return rp_fail(eb, RP_ENOMEM, "hub: out of memory");
    im->st = st;
    if (o) im->o = *o;
    rp_buf_init(&im->conv, HUB_MAX_FINDING_BYTES * 4);
    rp_buf_init(&im->chunk, 0);
    im->in_p = rp_json_parser_new();
    im->conv_p = rp_json_parser_new();
    if (!im->in_p || !im->conv_p || hub_work_init(&im->w) != RP_OK) {
        rp_json_parser_free(im->in_p);
        rp_json_parser_free(im->conv_p);
        free(im);
        return rp_fail(eb, RP_ENOMEM, "hub: out of memory");
    }
    /* a large page cache keeps the (ProductArn, Id) index and the findings table's hot pages
     * in memory over a million-finding import, as ingest does for its tables */
    rp_err e = rp_store_exec(st, "PRAGMA cache_size = -131072", eb);
    if (!e) e = rp_store_batch_begin(st, RP_HUB_BATCH, NULL, NULL, eb);
    if (e) {
        im->st = NULL;
        rp_hub_importer_free(im);
        return e;
    }
    *out = im;
    return RP_OK;
}

static void importer_release(struct rp_hub_importer *im)
{
    hub_work_release(&im->w);
    rp_json_parser_free(im->in_p);
    rp_json_parser_free(im->conv_p);
    rp_buf_release(&im->conv);
    rp_buf_release(&im->chunk);
    free(im);
}

rp_err rp_hub_importer_finish(struct rp_hub_importer *im, struct rp_errbuf *eb)
{
    rp_err e = rp_store_batch_commit(im->st, eb);
    importer_release(im);
    return e;
}

void rp_hub_importer_free(struct rp_hub_importer *im)
{
    if (!im) return;
    if (im->st) rp_store_batch_rollback(im->st);
    importer_release(im);
}

void rp_hub_importer_stats(const struct rp_hub_importer *im, struct rp_hub_import_stats *out)
{
    *out = im->stats;
}

static int64_t now(const struct rp_hub_importer *im)
{
    return im->o.now_ms ? im->o.now_ms : rp_time_now_ms();
}

/* Report a refused item: the callback, the counters and the rejects table. raw may be NULL. */
static rp_err refuse(struct rp_hub_importer *im, size_t item, const char *id, const char *code,
                     const char *msg, const char *raw, size_t raw_n, struct rp_errbuf *eb)
{
    char full[RP_MAX_ERRMSG + 64];
    if (im->line > 0)
        snprintf(full, sizeof full, "line %lld: %s", (long long)im->line, msg);
    else
        snprintf(full, sizeof full, "item %zu: %s", item, msg);
    im->stats.failed++;
    struct rp_store_reject r = {
        .source = im->source ? im->source : "-",
        .format = im->o.format ? im->o.format : "findings",
        .offset = -1,
        .line = im->line,
        .reason = full,
        .raw = raw ? raw : "",
        .raw_n = raw ? raw_n : 0,
    };
    char reason[RP_MAX_ERRMSG + 96];
    snprintf(reason, sizeof reason, "%s: %s", code, full);
    r.reason = reason;
    rp_err e = rp_store_reject_add(im->st, &r, NULL, eb);
    if (e) return e;
    if (im->o.on_error && !im->stop)
        im->stop = im->o.on_error(im->o.ctx, im->source ? im->source : "-", item, id, code, full);
    return im->stop;
}

rp_err rp_hub_import_finding(struct rp_hub_importer *im, struct rp_json_val f, const char *source,
                             size_t item, enum rp_hub_outcome *outcome, struct rp_errbuf *eb)
{
    const char *code = NULL;
    char msg[RP_MAX_ERRMSG];
    struct hub_stored old;
    enum rp_hub_outcome res = RP_HUB_FAILED;
    rp_err e = RP_OK;
    if (source) im->source = source;
    if (outcome) *outcome = RP_HUB_FAILED;
    if (!hub_validate(f, &code, msg, sizeof msg)) {
        struct rp_str id = {0};
        char idbuf[HUB_MAX_ID_BYTES + 1] = "";
        if (rp_json_obj_get_str(f, "Id", &id) == RP_OK)
            snprintf(idbuf, sizeof idbuf, "%.*s",
                     (int)(id.len > HUB_MAX_ID_BYTES ? HUB_MAX_ID_BYTES : id.len), id.p);
        rp_buf_reset(&im->w.a);
        const char *raw = NULL;
        if (rp_json_serialize(f, &im->w.a) == RP_OK) raw = im->w.a.data;
        return refuse(im, item, idbuf[0] ? idbuf : NULL, code, msg, raw, im->w.a.len, eb);
    }
    struct rp_str arn = {0}, id = {0}, upd = {0};
    int64_t updated = 0;
    hub_ignore(rp_json_obj_get_str(f, "ProductArn", &arn));
    hub_ignore(rp_json_obj_get_str(f, "Id", &id));
    hub_ignore(rp_json_obj_get_str(f, "UpdatedAt", &upd));
    hub_ignore(rp_time_parse_iso(upd, &updated, NULL));

    /* one lookup; the stored document is parsed only when this import is newer */
    e = hub_stored_get(im->st, &im->w, arn, id, updated, &old, eb);
    if (e == RP_OK && updated <= old.updated_at) {
        im->stats.unchanged++;
        res = RP_HUB_UNCHANGED;
        goto done;
    }
    if (e != RP_OK && e != RP_ENOENT) return e;
    bool exists = e == RP_OK;
    if ((e = hub_merge_import(&im->w, f, exists ? &old : NULL, eb))) return e;
    if (im->w.merged.len > HUB_MAX_FINDING_BYTES) {
        snprintf(msg, sizeof msg, "the finding is larger than %u bytes", HUB_MAX_FINDING_BYTES);
        char idbuf[HUB_MAX_ID_BYTES + 1];
        snprintf(idbuf, sizeof idbuf, "%.*s", (int)id.len, id.p);
        return refuse(im, item, idbuf, "InvalidInput", msg, NULL, 0, eb);
    }
    e = hub_store_write(im->st, &im->w, exists ? &old : NULL, im->w.merged.data, im->w.merged.len,
                        exists ? old.customer_fields : 0, "BATCH_IMPORT_FINDINGS", im->o.identity,
                        now(im), eb);
    if (e) return e;
    if ((e = rp_store_batch_add(im->st, 1, eb))) return e;
    if (exists)
        im->stats.updated++;
    else
        im->stats.created++;
    res = exists ? RP_HUB_UPDATED : RP_HUB_CREATED;
done:
    if (outcome) *outcome = res;
    return RP_OK;
}

/* ---- formats ------------------------------------------------------------------------------ */

static rp_err conv_finding(struct rp_hub_conv *cv, struct rp_json_val asff, struct rp_errbuf *eb)
{
    struct rp_hub_importer *im = cv->ctx;
    return rp_hub_import_finding(im, asff, NULL, cv->item, NULL, eb);
}

static rp_err conv_error(struct rp_hub_conv *cv, const char *id, const char *code, const char *msg)
{
    struct rp_hub_importer *im = cv->ctx;
    const char *raw = NULL;
    size_t n = 0;
    /* keep the refused input item itself (cut at RP_MAX_REJECT_BYTES by the store) */
    rp_buf_reset(&im->w.a);
    if (rp_json_type(cv->current) != RP_JSON_NONE &&
        rp_json_serialize(cv->current, &im->w.a) == RP_OK) {
        raw = im->w.a.data;
        n = im->w.a.len;
    }
    return refuse(im, cv->item, id, code, msg, raw, n, NULL);
}

/* Import one parsed top-level document. *item is the running item number. */
static rp_err import_doc(struct rp_hub_importer *im, struct rp_json_val root, size_t *item,
                         struct rp_errbuf *eb)
{
    const struct rp_hub_format *fmt =
        im->o.format ? rp_hub_format_find(im->o.format) : rp_hub_format_sniff(root);
    if (!fmt) {
        rp_err e = refuse(im, *item, NULL, "InvalidInput",
                          im->o.format ? "unknown format"
                                       : "not a findings document of any known "
                                         "format (asff, guardduty, ocsf, trivy, "
                                         "prowler)",
                          NULL, 0, eb);
        (*item)++;
        return e;
    }
    struct rp_hub_conv cv = {
        .now_ms = now(im),
        .account = im->o.account ? im->o.account : "000000000000",
        .region = im->o.region ? im->o.region : "us-east-1",
        .buf = &im->conv,
        .parser = im->conv_p,
        .item = *item,
        .finding = conv_finding,
        .error = conv_error,
        .ctx = im,
    };
    size_t before = cv.item;
    rp_err e = fmt->convert(&cv, root, eb);
    if (e == RP_EINVAL && cv.item == before) {
        /* not this format's document at all: one refused item */
        char msg[RP_MAX_ERRMSG];
        snprintf(msg, sizeof msg, "%s", eb && eb->msg[0] ? eb->msg : "not a findings document");
        e = refuse(im, cv.item, NULL, "InvalidInput", msg, NULL, 0, eb);
        cv.item++;
    }
    *item = cv.item;
    if (!e && im->stop) e = im->stop;
    return e;
}

/* The first non-blank line of data parses alone: the input is JSON Lines. */
static bool looks_like_lines(struct rp_hub_importer *im, const char *data, size_t len)
{
    size_t i = 0;
    while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
        i++;
    const char *nl = memchr(data + i, '\n', len - i);
    if (!nl) return false; /* one line: a whole document either way */
    struct rp_json_val v;
    return rp_json_parse(im->in_p, data + i, (size_t)(nl - (data + i)), &v, NULL) == RP_OK;
}

/* Import the complete lines of data[0..len) (padded); *consumed gets the bytes used. */
static rp_err import_lines(struct rp_hub_importer *im, const char *data, size_t len, bool padded,
                           size_t *item, size_t *consumed, struct rp_errbuf *eb)
{
    struct rp_json_lines jl;
    struct rp_json_val root;
    struct rp_errbuf leb;
    rp_err e = RP_OK;
    int64_t base = im->line;
    rp_json_lines_init(&jl, data, len, padded);
    for (;;) {
        leb.code = RP_OK;
        leb.msg[0] = '\0';
        rp_err pe = rp_json_lines_next(&jl, im->in_p, &root, &leb);
        if (pe == RP_ENOENT) break;
        im->line = base + (int64_t)jl.lineno;
        if (pe == RP_ENOMEM) return rp_fail(eb, pe, "hub: out of memory");
        if (pe) {
            size_t end = jl.pos > jl.line_start ? jl.pos - jl.line_start : 0;
            e = refuse(im, *item, NULL, "InvalidInput", leb.msg, data + jl.line_start,
                       end > RP_MAX_REJECT_BYTES ? RP_MAX_REJECT_BYTES : end, eb);
            (*item)++;
        } else {
            e = import_doc(im, root, item, eb);
        }
        if (e) return e;
    }
    for (const char *q = data; (q = memchr(q, '\n', (size_t)(data + len - q))) != NULL; q++) base++;
    im->line = base;
    *consumed = len;
    return RP_OK;
}

rp_err rp_hub_import_buf(struct rp_hub_importer *im, const char *data, size_t len,
                         const char *source, struct rp_errbuf *eb)
{
    size_t item = 0, used = 0;
    struct rp_json_val root;
    im->source = source ? source : "-";
    im->line = 0;
    if (looks_like_lines(im, data, len)) {
        struct rp_buf copy;
        rp_buf_init(&copy, 0);
        rp_err e = rp_buf_append(&copy, data, len);
        if (!e) e = import_lines(im, copy.data, copy.len, true, &item, &used, eb);
        rp_buf_release(&copy);
        return e;
    }
    struct rp_errbuf peb = {RP_OK, ""};
    rp_err e = rp_json_parse(im->in_p, data, len, &root, &peb);
    if (e == RP_ENOMEM) return rp_fail(eb, e, "hub: out of memory");
    if (e) return rp_fail(eb, RP_EPARSE, "hub: '%s': %s", im->source, peb.msg);
    return import_doc(im, root, &item, eb);
}

rp_err rp_hub_import_file(struct rp_hub_importer *im, const char *path, struct rp_errbuf *eb)
{
    struct rp_gz_reader *r = NULL;
    rp_err e = rp_gz_reader_new_path(&r, path, NULL, eb);
    if (e) return e;
    size_t item = 0;
    int mode = 0; /* 0 undecided, 1 JSON Lines, 2 whole document */
    bool eof = false;
    im->source = path;
    im->line = 0;
    rp_buf_reset(&im->chunk);
    while (!e) {
        if (!eof) {
            size_t got = 0;
            if ((e = rp_buf_reserve(&im->chunk, HUB_CHUNK))) break;
            if ((e = rp_gz_reader_read(r, im->chunk.data + im->chunk.len, HUB_CHUNK, &got, eb)))
                break;
            rp_buf_commit(&im->chunk, got);
            eof = got < HUB_CHUNK;
        }
        if (mode == 0) {
            const char *nl = memchr(im->chunk.data ? im->chunk.data : "", '\n', im->chunk.len);
            if (!nl && !eof) continue; /* the first line is not complete yet */
            mode = looks_like_lines(im, im->chunk.data, im->chunk.len) ? 1 : 2;
        }
        if (mode == 2) {
            if (!eof) {
                if (im->chunk.len > HUB_MAX_WHOLE) {
                    e = rp_fail(eb, RP_ELIMIT,
                                "hub: '%s': a single JSON document larger than "
                                "%llu bytes (use JSON Lines)",
                                path, (unsigned long long)HUB_MAX_WHOLE);
                }
                continue;
            }
            struct rp_json_val root;
            struct rp_errbuf peb = {RP_OK, ""};
            e = rp_json_parse_buf(im->in_p, &im->chunk, &root, &peb);
            if (e == RP_ENOMEM) {
                e = rp_fail(eb, e, "hub: out of memory");
            } else if (e) {
                e = rp_fail(eb, RP_EPARSE, "hub: '%s': %s", path, peb.msg);
            } else {
                e = import_doc(im, root, &item, eb);
            }
            break;
        }
        /* JSON Lines: import every complete line, keep the partial last one */
        size_t upto = im->chunk.len;
        if (!eof) {
            const char *last = NULL;
            for (size_t i = im->chunk.len; i > 0; i--)
                if (im->chunk.data[i - 1] == '\n') {
                    last = im->chunk.data + i;
                    break;
                }
            if (!last) {
                if (im->chunk.len > RP_MAX_RECORD_BYTES)
                    e = rp_fail(eb, RP_ELIMIT, "hub: '%s': line %lld is longer than %u bytes", path,
                                (long long)im->line + 1, RP_MAX_RECORD_BYTES);
                continue;
            }
            upto = (size_t)(last - im->chunk.data);
        }
        size_t used = 0;
        e = import_lines(im, im->chunk.data, upto, true, &item, &used, eb);
        if (e || eof) break;
        memmove(im->chunk.data, im->chunk.data + upto, im->chunk.len - upto);
        rp_buf_truncate(&im->chunk, im->chunk.len - upto);
    }
    rp_gz_reader_free(r);
    if (im->chunk.cap > 4 * (size_t)HUB_CHUNK) rp_buf_release(&im->chunk);
    return e;
}
