/* SPDX-License-Identifier: Apache-2.0 */
/* The export driver of the findings hub (rp_hub_exporter_* in hub.h) and the registry of
 * export formats (hub_exports.def, STYLE.md B5). A caller (rampart findings export, the API)
 * feeds stored ASFF documents one by one; the driver parses each with one reused parser,
 * hands it to the format (hub_export_<name>.c), and writes the format's output buffer to the
 * FILE* whenever it holds RP_HUB_EXPORT_FLUSH bytes or more, and once more before the
 * format's end() and after it. So the output buffer never holds more than
 * RP_HUB_EXPORT_FLUSH bytes plus the output of one finding (or of end()), whatever the
 * number of findings. Write errors (fwrite, fflush, ferror) are RP_EIO.
 * A finding the format refuses leaves no partial output behind: the buffer is cut back to
 * where it was, the error is returned, and the caller may go on with the next finding. A
 * write error is sticky: every later add and the finish return RP_EIO. */
#define RP_LOG_MODULE "hub"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rp_limits.h"
#include "hub/hub.h"
#include "hub/hub_export.h"

#define RP_HUB_EXPORT(sym, name) extern const struct rp_hub_export_fmt sym;
#include "hub/hub_exports.def"
#undef RP_HUB_EXPORT

#define RP_HUB_EXPORT(sym, name) &sym,
const struct rp_hub_export_fmt *const rp_hub_export_fmts[] = {
#include "hub/hub_exports.def"
    NULL};
#undef RP_HUB_EXPORT

#define RP_HUB_EXPORT(sym, name) name,
const char *const rp_hub_export_format_names[] = {
#include "hub/hub_exports.def"
    NULL};
#undef RP_HUB_EXPORT

/* Hard cap of the output buffer: RP_HUB_EXPORT_FLUSH of earlier findings plus the output of
 * the largest finding a format can make from one document (each document is at most
 * RP_MAX_RECORD_BYTES; OCSF repeats parts of it, escaping can grow it). */
#define HUB_EXPORT_BUF_MAX ((size_t)RP_HUB_EXPORT_FLUSH + 4 * (size_t)RP_MAX_RECORD_BYTES)

struct rp_hub_exporter {
    const struct rp_hub_export_fmt *fmt;
    FILE *out;                     /* borrowed; never closed here */
    struct rp_buf buf;             /* pending output, flushed past RP_HUB_EXPORT_FLUSH */
    struct rp_json_parser *parser; /* reused for every document */
    struct rp_hub_export_state st; /* handed to the format; st.buf points at buf */
    rp_err werr;                   /* first write error, sticky: the output is broken */
};

const struct rp_hub_export_fmt *rp_hub_export_fmt_find(const char *name)
{
    if (!name) return NULL;
    for (size_t i = 0; rp_hub_export_fmts[i]; i++)
        if (strcmp(rp_hub_export_fmts[i]->name, name) == 0) return rp_hub_export_fmts[i];
    return NULL;
}

static rp_err flush(struct rp_hub_exporter *x, struct rp_errbuf *eb)
{
    if (x->buf.len == 0) return RP_OK;
    errno = 0;
    size_t n = fwrite(x->buf.data, 1, x->buf.len, x->out);
    if (n != x->buf.len || ferror(x->out)) {
        int e = errno;
        x->werr = RP_EIO;
        return rp_fail(eb, RP_EIO, "export: cannot write output: %s",
                       e ? strerror(e) : "write error");
    }
    rp_buf_reset(&x->buf);
    return RP_OK;
}

void rp_hub_exporter_free(struct rp_hub_exporter *x)
{
    if (!x) return;
    if (x->fmt && x->fmt->release && x->st.priv) x->fmt->release(&x->st);
    free(x->st.priv);
    rp_json_parser_free(x->parser);
    rp_buf_release(&x->buf);
    free(x);
}

rp_err rp_hub_exporter_new(const char *format, FILE *out, struct rp_hub_exporter **xp,
                           struct rp_errbuf *eb)
{
    *xp = NULL;
    const struct rp_hub_export_fmt *fmt = rp_hub_export_fmt_find(format);
    if (!fmt) {
        char names[256] = "";
        size_t at = 0;
        for (size_t i = 0; rp_hub_export_format_names[i] && at < sizeof names; i++) {
            int w = snprintf(names + at, sizeof names - at, "%s%s", i ? ", " : "",
                             rp_hub_export_format_names[i]);
            if (w < 0) break;
            at += (size_t)w;
        }
        return rp_fail(eb, RP_EINVAL, "export: unknown format '%s' (known: %s)",
                       format ? format : "", names);
    }
    if (!out) return rp_fail(eb, RP_EINVAL, "export: no output stream");
    struct rp_hub_exporter *x = calloc(1, sizeof *x);
    if (!x) return rp_fail(eb, RP_ENOMEM, "export: out of memory");
    x->fmt = fmt;
    x->out = out;
    rp_buf_init(&x->buf, HUB_EXPORT_BUF_MAX);
    x->st.buf = &x->buf;
    x->parser = rp_json_parser_new();
    if (fmt->priv_size) x->st.priv = calloc(1, fmt->priv_size);
    if (!x->parser || (fmt->priv_size && !x->st.priv)) {
        rp_hub_exporter_free(x);
        return rp_fail(eb, RP_ENOMEM, "export: out of memory");
    }
    rp_json_parser_set_max_bytes(x->parser, RP_MAX_RECORD_BYTES);
    if (fmt->begin) {
        rp_err e = fmt->begin(&x->st, eb);
        if (e != RP_OK) {
            rp_hub_exporter_free(x);
            return e;
        }
    }
    *xp = x;
    return RP_OK;
}

rp_err rp_hub_exporter_add(struct rp_hub_exporter *x, const char *doc, size_t len,
                           struct rp_errbuf *eb)
{
    struct rp_json_val root;
    struct rp_errbuf pe = {0};
    if (x->werr != RP_OK) return rp_fail(eb, x->werr, "export: output already failed");
    rp_err e = rp_json_parse(x->parser, doc, len, &root, &pe);
    if (e != RP_OK)
        return rp_fail(eb, e, "export: finding %zu: %s", x->st.count, rp_errbuf_msg(&pe, e));
    if (rp_json_type(root) != RP_JSON_OBJECT)
        return rp_fail(eb, RP_EPARSE, "export: finding %zu is not a JSON object", x->st.count);
    size_t mark = x->buf.len;
    x->st.doc = doc;
    x->st.doc_len = len;
    e = x->fmt->finding ? x->fmt->finding(&x->st, root, eb) : RP_OK;
    x->st.doc = NULL;
    x->st.doc_len = 0;
    if (e != RP_OK) {
        rp_buf_truncate(&x->buf, mark);
        return e;
    }
    x->st.count++;
    if (x->buf.len >= RP_HUB_EXPORT_FLUSH) return flush(x, eb);
    return RP_OK;
}

rp_err rp_hub_exporter_finish(struct rp_hub_exporter *x, struct rp_errbuf *eb)
{
    if (!x) return rp_fail(eb, RP_EINVAL, "export: no exporter");
    /* Flush first, so whatever end() writes (SARIF's rule table) starts an empty buffer. */
    rp_err e =
        x->werr != RP_OK ? rp_fail(eb, x->werr, "export: output already failed") : flush(x, eb);
    if (e == RP_OK && x->fmt->end) e = x->fmt->end(&x->st, eb);
    if (e == RP_OK) e = flush(x, eb);
    errno = 0;
    if (e == RP_OK && (fflush(x->out) != 0 || ferror(x->out))) {
        int en = errno;
        e = rp_fail(eb, RP_EIO, "export: cannot write output: %s",
                    en ? strerror(en) : "write error");
    }
    rp_hub_exporter_free(x);
    return e;
}
