/* SPDX-License-Identifier: Apache-2.0 */
/* PDF documents as text for sensitive data discovery (dataid.h "documents"): poppler-glib
 * opens the bytes in memory and gives each page's text (poppler_page_get_text, lines as
 * poppler lays them out), appended page after page with where each starts, so that
 * rp_dataid_classify (dataid_object.c) can locate an occurrence as Macie does in a PDF: page
 * number and line range within the page. A password-protected PDF is reported
 * (UNSUPPORTED_OBJECT_TYPE), a damaged one too (UNSUPPORTED_OR_DAMAGED), never read in part.
 * poppler reports syntax problems through GLib's log (domain "Poppler"); they are dropped
 * here instead of going to stderr: a damaged file is reported once, by its status. */
#define RP_LOG_MODULE "dataid"

#include <poppler.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dataid/dataid.h"
#include "core/rp_buf.h"
#include "core/rp_banned.h"

static void quiet(const gchar *domain, GLogLevelFlags level, const gchar *msg, gpointer data)
{
    (void)domain;
    (void)level;
    (void)msg;
    (void)data;
}

static pthread_once_t quiet_once = PTHREAD_ONCE_INIT;

static void install_quiet(void)
{
    g_log_set_handler("Poppler",
                      (GLogLevelFlags)(G_LOG_LEVEL_MASK | G_LOG_FLAG_FATAL | G_LOG_FLAG_RECURSION),
                      quiet, NULL);
}

static rp_err oom(struct rp_errbuf *eb)
{
    return rp_fail(eb, RP_ENOMEM, "dataid: out of memory");
}

rp_err rp_dataid_pdf_extract(const char *buf, size_t n, struct rp_dataid_doc *out,
                             struct rp_errbuf *eb)
{
    pthread_once(&quiet_once, install_quiet);
    out->kind = RP_DATAID_DOC_PDF;
    GBytes *bytes = g_bytes_new_static(buf ? buf : "", n);
    GError *err = NULL;
    PopplerDocument *doc = poppler_document_new_from_bytes(bytes, NULL, &err);
    g_bytes_unref(bytes);
    if (!doc) {
        out->status = "UNSUPPORTED_OR_DAMAGED";
        snprintf(out->reason, sizeof out->reason, "a damaged PDF");
        if (err && err->domain == POPPLER_ERROR && err->code == POPPLER_ERROR_ENCRYPTED) {
            out->status = "UNSUPPORTED_OBJECT_TYPE";
            snprintf(out->reason, sizeof out->reason, "an encrypted PDF (password-protected)");
        }
        if (err) g_error_free(err);
        return RP_OK;
    }
    if (err) g_error_free(err);
    int npages = poppler_document_get_n_pages(doc);
    struct rp_buf text;
    rp_buf_init(&text, RP_DATAID_MAX_MEMBER);
    rp_err e = RP_OK;
    if (npages > 0) {
        out->pages = calloc((size_t)npages, sizeof(*out->pages));
        if (!out->pages) e = oom(eb);
    }
    for (int i = 0; !e && !out->status && i < npages; i++) {
        out->pages[i] = text.len;
        out->npages = (size_t)i + 1;
        PopplerPage *page = poppler_document_get_page(doc, i);
        char *t = page ? poppler_page_get_text(page) : NULL;
        size_t tn = t ? strlen(t) : 0;
        rp_err ae = rp_buf_append(&text, t ? t : "", tn);
        if (!ae && (!tn || t[tn - 1] != '\n')) ae = rp_buf_putc(&text, '\n');
        if (ae == RP_ELIMIT) {
            out->status = "OBJECT_OVERSIZE";
            snprintf(out->reason, sizeof out->reason, "the text of the PDF is larger than %u MiB",
                     RP_DATAID_MAX_MEMBER >> 20);
        } else if (ae) {
            e = oom(eb);
        }
        g_free(t);
        if (page) g_object_unref(page);
    }
    g_object_unref(doc);
    if (e || out->status) {
        rp_buf_release(&text);
        free(out->pages);
        out->pages = NULL;
        out->npages = 0;
        return e;
    }
    out->text = rp_buf_take(&text, &out->len);
    return RP_OK;
}
