/* SPDX-License-Identifier: Apache-2.0 */
/* Office Open XML documents as text for sensitive data discovery (dataid.h "documents"): which
 * kind of document an object is (its extension, else the central directory of its zip, an
 * encrypted package's OLE directory, "%PDF-"), and the text of Word, Excel and PowerPoint
 * files. The zip is read in memory with libarchive, its parts bounded as archive members are
 * (dataid_archive.c's limits); the XML parts are read with libxml2's streaming reader, without
 * network, DTD or entity expansion (a part holding a DTD is refused). A workbook's sheets are
 * read in its order and named as it names them (xl/workbook.xml through its relationships;
 * else "Sheet<N>" after the part). rp_dataid_classify
 * (dataid_object.c) scans the text and locates occurrences by line or cell; PDF is
 * dataid_pdf.c's. Encrypted, damaged and oversized documents get a Macie-style status and a
 * reason in words, never a crash or silence. */
#define RP_LOG_MODULE "dataid"

#include <archive.h>
#include <archive_entry.h>
#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dataid/dataid.h"
#include "core/rp_buf.h"
#include "core/rp_str.h"
#include "core/rp_banned.h"

#define MAX_COLUMN 16384u /* XFD, the last column of a sheet */

/* ---- kinds ------------------------------------------------------------------------------- */

/* a[0..n) equals the C string b, ASCII case-insensitive */
static bool same_ci(const char *a, size_t n, const char *b)
{
    return rp_str_eq_nocase((struct rp_str){a, n}, rp_str_from(b));
}

static uint32_t le16(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The kind a zip's central directory names: [Content_Types].xml and a main part. */
static enum rp_dataid_doc_kind zip_kind(const unsigned char *b, size_t n)
{
    if (n < 22) return RP_DATAID_DOC_NONE;
    size_t lo = n - 22 > 65535 ? n - 22 - 65535 : 0, eocd = SIZE_MAX;
    for (size_t i = n - 22 + 1; i-- > lo;)
        if (le32(b + i) == 0x06054b50u) {
            eocd = i;
            break;
        }
    if (eocd == SIZE_MAX) return RP_DATAID_DOC_NONE;
    uint32_t entries = le16(b + eocd + 10), size = le32(b + eocd + 12), off = le32(b + eocd + 16);
    if ((uint64_t)off + size > eocd) return RP_DATAID_DOC_NONE;
    bool types = false;
    enum rp_dataid_doc_kind k = RP_DATAID_DOC_NONE;
    size_t p = off;
    for (uint32_t i = 0; i < entries && p + 46 <= (size_t)off + size; i++) {
        if (le32(b + p) != 0x02014b50u) break;
        size_t nl = le16(b + p + 28), xl = le16(b + p + 30), cl = le16(b + p + 32);
        const char *name = (const char *)b + p + 46;
        if (p + 46 + nl > (size_t)off + size) break;
        if (same_ci(name, nl, "[Content_Types].xml"))
            types = true;
        else if (same_ci(name, nl, "word/document.xml"))
            k = RP_DATAID_DOC_DOCX;
        else if (same_ci(name, nl, "xl/workbook.xml"))
            k = RP_DATAID_DOC_XLSX;
        else if (same_ci(name, nl, "ppt/presentation.xml"))
            k = RP_DATAID_DOC_PPTX;
        p += 46 + nl + xl + cl;
    }
    return types ? k : RP_DATAID_DOC_NONE;
}

static const unsigned char cfb_magic[8] = {0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1};

/* An OLE compound file whose directory has a stream "EncryptedPackage": what Office writes
 * for a password-protected document. Directory entries are 128 bytes, aligned in sectors
 * after the 512-byte (or 4096-byte) header: the UTF-16LE name, its byte length (34) at 64,
 * the entry type (2, a stream) at 66. */
static bool encrypted_package(const unsigned char *b, size_t n)
{
    static const char name[] = "EncryptedPackage";
    if (n < 512 || memcmp(b, cfb_magic, 8)) return false;
    for (size_t p = 512; p + 128 <= n; p += 128) {
        if (le16(b + p + 64) != 34 || b[p + 66] != 2) continue;
        size_t i = 0;
        while (i < 16 && b[p + 2 * i] == (unsigned char)name[i] && b[p + 2 * i + 1] == 0) i++;
        if (i == 16 && b[p + 32] == 0 && b[p + 33] == 0) return true;
    }
    return false;
}

enum rp_dataid_doc_kind rp_dataid_doc_kind(const char *name, const char *buf, size_t n)
{
    static const struct {
        const char *ext;
        enum rp_dataid_doc_kind k;
    } exts[] = {
        {".docx", RP_DATAID_DOC_DOCX}, {".docm", RP_DATAID_DOC_DOCX}, {".dotx", RP_DATAID_DOC_DOCX},
        {".dotm", RP_DATAID_DOC_DOCX}, {".xlsx", RP_DATAID_DOC_XLSX}, {".xlsm", RP_DATAID_DOC_XLSX},
        {".xltx", RP_DATAID_DOC_XLSX}, {".xltm", RP_DATAID_DOC_XLSX}, {".pptx", RP_DATAID_DOC_PPTX},
        {".pptm", RP_DATAID_DOC_PPTX}, {".potx", RP_DATAID_DOC_PPTX}, {".potm", RP_DATAID_DOC_PPTX},
        {".ppsx", RP_DATAID_DOC_PPTX}, {".ppsm", RP_DATAID_DOC_PPTX}, {".pdf", RP_DATAID_DOC_PDF},
    };
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++)
        if (rp_str_has_suffix_nocase(rp_str_from(name), exts[i].ext)) return exts[i].k;
    const unsigned char *b = (const unsigned char *)buf;
    if (!b) return RP_DATAID_DOC_NONE;
    if (n >= 5 && !memcmp(b, "%PDF-", 5)) return RP_DATAID_DOC_PDF;
    if (n >= 4 && !memcmp(b, "PK\3\4", 4)) return zip_kind(b, n);
    if (encrypted_package(b, n)) return RP_DATAID_DOC_OOXML;
    return RP_DATAID_DOC_NONE;
}

const char *rp_dataid_doc_mime(enum rp_dataid_doc_kind k)
{
    switch (k) {
    case RP_DATAID_DOC_DOCX:
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    case RP_DATAID_DOC_XLSX:
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    case RP_DATAID_DOC_PPTX:
        return "application/vnd.openxmlformats-officedocument.presentationml.presentation";
    case RP_DATAID_DOC_PDF:
        return "application/pdf";
    case RP_DATAID_DOC_OOXML:
        return "application/x-ole-storage";
    default:
        return "";
    }
}

/* ---- extraction -------------------------------------------------------------------------- */

/* A part read from the package. */
struct part {
    char *name;
    int order;   /* within the kind: the main part first */
    long number; /* sheet3.xml: 3 */
    struct rp_buf data;
};

struct office {
    enum rp_dataid_doc_kind kind;
    struct rp_dataid_doc *d;
    struct rp_buf text;
    struct part *parts;
    size_t nparts;
    bool main_part; /* the kind's main part is in the package */
    /* XLSX */
    struct rp_buf sst; /* shared strings, back to back */
    size_t *sst_off;   /* string i: sst.data[sst_off[i] .. sst_off[i + 1]) */
    size_t nsst, capsst;
    size_t capcells;
    int32_t *header;   /* per column (1..MAX_COLUMN) of the current sheet: header cell */
    struct rp_buf val; /* the cell being read */
    struct rp_errbuf *eb;
};

static void set_status(struct rp_dataid_doc *d, const char *status, const char *fmt, ...)
    RP_PRINTF(3, 4);
static void set_status(struct rp_dataid_doc *d, const char *status, const char *fmt, ...)
{
    if (d->status) return;
    d->status = status;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->reason, sizeof d->reason, fmt, ap);
    va_end(ap);
}

/* Which parts a kind reads (order: lower first), -1 = not read. */
static int part_order(enum rp_dataid_doc_kind k, const char *name, long *number)
{
    static const struct {
        enum rp_dataid_doc_kind k;
        const char *prefix; /* a numbered family: prefix<N>.xml */
        bool family;
        int order;
    } wanted[] = {
        {RP_DATAID_DOC_DOCX, "word/document.xml", false, 0},
        {RP_DATAID_DOC_DOCX, "word/header", true, 1},
        {RP_DATAID_DOC_DOCX, "word/footer", true, 2},
        {RP_DATAID_DOC_DOCX, "word/footnotes.xml", false, 3},
        {RP_DATAID_DOC_DOCX, "word/endnotes.xml", false, 4},
        {RP_DATAID_DOC_DOCX, "word/comments.xml", false, 5},
        {RP_DATAID_DOC_XLSX, "xl/sharedStrings.xml", false, 0},
        {RP_DATAID_DOC_XLSX, "xl/workbook.xml", false, 0},
        {RP_DATAID_DOC_XLSX, "xl/_rels/workbook.xml.rels", false, 0},
        {RP_DATAID_DOC_XLSX, "xl/worksheets/sheet", true, 1},
        {RP_DATAID_DOC_PPTX, "ppt/slides/slide", true, 1},
    };
    size_t n = strlen(name);
    for (size_t i = 0; i < sizeof wanted / sizeof wanted[0]; i++) {
        if (wanted[i].k != k) continue;
        size_t pl = strlen(wanted[i].prefix);
        if (!wanted[i].family) {
            if (same_ci(name, n, wanted[i].prefix)) return wanted[i].order;
            continue;
        }
        if (n <= pl + 4 || !same_ci(name, pl, wanted[i].prefix) ||
            !rp_str_has_suffix_nocase(rp_str_from(name), ".xml"))
            continue;
        long v = 0;
        size_t j = pl;
        for (; j < n - 4 && name[j] >= '0' && name[j] <= '9' && v < 100000000; j++)
            v = v * 10 + (name[j] - '0');
        if (j != n - 4 || j == pl) continue;
        *number = v;
        return wanted[i].order;
    }
    return -1;
}

static bool is_main(enum rp_dataid_doc_kind k, const char *name)
{
    const char *m = k == RP_DATAID_DOC_DOCX   ? "word/document.xml"
                    : k == RP_DATAID_DOC_XLSX ? "xl/workbook.xml"
                                              : "ppt/presentation.xml";
    return same_ci(name, strlen(name), m);
}

/* The part's name up to the number of its family ("word/header" of "word/header2.xml"). */
static size_t stem(const char *name)
{
    const char *slash = strrchr(name, '/');
    size_t i = slash ? (size_t)(slash - name) + 1 : 0;
    while (name[i] && !(name[i] >= '0' && name[i] <= '9')) i++;
    return i;
}

static int cmp_part(const void *a, const void *b)
{
    const struct part *x = a, *y = b;
    if (x->order != y->order) return x->order < y->order ? -1 : 1;
    size_t sx = stem(x->name), sy = stem(y->name);
    if (sx == sy && !strncmp(x->name, y->name, sx) && x->number != y->number)
        return x->number < y->number ? -1 : 1; /* sheet2 before sheet10 */
    return strcmp(x->name, y->name);
}

/* Read the parts the kind wants, bounded as archive members are. */
static rp_err read_parts(struct office *o, const char *buf, size_t n)
{
    struct rp_dataid_doc *d = o->d;
    uint64_t budget = (uint64_t)n * RP_DATAID_MAX_RATIO;
    if (budget < (1u << 20)) budget = 1u << 20;
    struct archive *a = archive_read_new();
    if (!a) return rp_fail(o->eb, RP_ENOMEM, "dataid: out of memory");
    archive_read_support_format_zip(a);
    rp_err e = RP_OK;
    if (archive_read_open_memory(a, buf, n) != ARCHIVE_OK) {
        set_status(d, "UNSUPPORTED_OR_DAMAGED", "a damaged document: %s", "not a zip package");
        archive_read_free(a);
        return RP_OK;
    }
    struct archive_entry *en = NULL;
    int r = ARCHIVE_OK;
    while (!e && !d->status && (r = archive_read_next_header(a, &en)) == ARCHIVE_OK) {
        if (archive_entry_filetype(en) != AE_IFREG) continue;
        const char *name = archive_entry_pathname(en);
        if (!name) continue;
        if (is_main(o->kind, name)) o->main_part = true;
        long number = 0;
        int order = part_order(o->kind, name, &number);
        if (order < 0) continue;
        if (archive_entry_is_encrypted(en)) {
            set_status(d, "UNSUPPORTED_OBJECT_TYPE", "an encrypted document: '%s' is encrypted",
                       name);
            break;
        }
        int64_t size = archive_entry_size_is_set(en) ? archive_entry_size(en) : 0;
        if (size > (int64_t)RP_DATAID_MAX_MEMBER) {
            set_status(d, "OBJECT_OVERSIZE", "a document part too large to read: '%s'", name);
            break;
        }
        if ((uint64_t)(size > 0 ? size : 0) > budget) {
            set_status(d, "ARCHIVE_EXPANSION_LIMIT", "the document expands past its limit at '%s'",
                       name);
            break;
        }
        struct part *np = realloc(o->parts, (o->nparts + 1) * sizeof(*np));
        if (!np) {
            e = rp_fail(o->eb, RP_ENOMEM, "dataid: out of memory");
            break;
        }
        o->parts = np;
        struct part *p = &o->parts[o->nparts];
        memset(p, 0, sizeof(*p));
        rp_buf_init(&p->data, RP_DATAID_MAX_MEMBER);
        p->order = order;
        p->number = number;
        p->name = strdup(name);
        if (!p->name) {
            e = rp_fail(o->eb, RP_ENOMEM, "dataid: out of memory");
            break;
        }
        o->nparts++;
        char chunk[65536];
        la_ssize_t got;
        while ((got = archive_read_data(a, chunk, sizeof chunk)) > 0) {
            if ((uint64_t)got > budget) {
                set_status(d, "ARCHIVE_EXPANSION_LIMIT",
                           "the document expands past its limit at '%s'", name);
                break;
            }
            rp_err ae = rp_buf_append(&p->data, chunk, (size_t)got);
            if (ae == RP_ELIMIT) {
                set_status(d, "OBJECT_OVERSIZE", "a document part too large to read: '%s'", name);
                break;
            }
            if (ae) {
                e = rp_fail(o->eb, RP_ENOMEM, "dataid: out of memory");
                break;
            }
            budget -= (uint64_t)got;
        }
        if (!e && !d->status && got < 0)
            set_status(d, "UNSUPPORTED_OR_DAMAGED", "a damaged document: cannot read '%s'", name);
    }
    if (!e && !d->status && r != ARCHIVE_EOF)
        set_status(d, "UNSUPPORTED_OR_DAMAGED", "a damaged document: %s", "a damaged zip package");
    archive_read_free(a);
    if (!e && !d->status && !o->main_part)
        set_status(d, "UNSUPPORTED_OR_DAMAGED", "a damaged document: no main part ('%s')",
                   o->kind == RP_DATAID_DOC_DOCX   ? "word/document.xml"
                   : o->kind == RP_DATAID_DOC_XLSX ? "xl/workbook.xml"
                                                   : "ppt/presentation.xml");
    if (!e && o->nparts > 1) qsort(o->parts, o->nparts, sizeof(*o->parts), cmp_part);
    return e;
}

/* Text appended with tabs, new lines and other control bytes as spaces. */
static rp_err put_text(struct office *o, struct rp_buf *b, const char *s, size_t n)
{
    rp_err e = rp_buf_reserve(b, n);
    if (!e) {
        char *w = b->data + b->len;
        for (size_t i = 0; i < n; i++) w[i] = (unsigned char)s[i] < 0x20 ? ' ' : s[i];
        rp_buf_commit(b, n);
    }
    if (e == RP_ELIMIT) {
        set_status(o->d, "OBJECT_OVERSIZE", "the text of the document is larger than %s",
                   "256 MiB");
        return RP_OK;
    }
    return e ? rp_fail(o->eb, RP_ENOMEM, "dataid: out of memory") : RP_OK;
}

static rp_err put_char(struct office *o, char c)
{
    rp_err e = rp_buf_putc(&o->text, c);
    if (e == RP_ELIMIT) {
        set_status(o->d, "OBJECT_OVERSIZE", "the text of the document is larger than %s",
                   "256 MiB");
        return RP_OK;
    }
    return e ? rp_fail(o->eb, RP_ENOMEM, "dataid: out of memory") : RP_OK;
}

static bool named(xmlTextReaderPtr rd, const char *local)
{
    const xmlChar *l = xmlTextReaderConstLocalName(rd);
    return l && !strcmp((const char *)l, local);
}

static bool is_text_node(int type)
{
    return type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
           type == XML_READER_TYPE_WHITESPACE || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE;
}

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

static void xml_init(void)
{
    xmlInitParser(); /* once, before any thread parses */
}

/* A reader over a part, or NULL with the status set (a DTD, or no memory). */
static xmlTextReaderPtr open_part(struct office *o, const struct part *p)
{
    pthread_once(&xml_once, xml_init);
    const char *data = p->data.data ? p->data.data : "";
    if (memmem(data, p->data.len, "<!DOCTYPE", 9) || memmem(data, p->data.len, "<!ENTITY", 8)) {
        set_status(o->d, "UNSUPPORTED_OR_DAMAGED", "a damaged document: '%s' has a DTD", p->name);
        return NULL;
    }
    if (p->data.len > (size_t)INT32_MAX) {
        set_status(o->d, "OBJECT_OVERSIZE", "a document part too large to read: '%s'", p->name);
        return NULL;
    }
    xmlTextReaderPtr rd =
        xmlReaderForMemory(data, (int)p->data.len, p->name, NULL,
                           XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!rd)
        set_status(o->d, "UNSUPPORTED_OR_DAMAGED", "a damaged document: cannot parse '%s'",
                   p->name);
    return rd;
}

static void damaged_xml(struct office *o, const struct part *p)
{
    set_status(o->d, "UNSUPPORTED_OR_DAMAGED", "a damaged document: '%s' is not well-formed XML",
               p->name);
}

/* Word and PowerPoint: a line per paragraph (p), text of t (and Word's deleted text), breaks
 * as new lines; Word's tabs (in runs) as spaces; alternate content read once (mc:Choice). */
static rp_err para_text(struct office *o, const struct part *p)
{
    xmlTextReaderPtr rd = open_part(o, p);
    if (!rd) return RP_OK;
    bool docx = o->kind == RP_DATAID_DOC_DOCX;
    int tdepth = -1, runs = 0;
    rp_err e = RP_OK;
    int r = xmlTextReaderRead(rd);
    while (r == 1 && !e && !o->d->status) {
        int type = xmlTextReaderNodeType(rd);
        if (type == XML_READER_TYPE_ELEMENT) {
            bool empty = xmlTextReaderIsEmptyElement(rd) == 1;
            if (named(rd, "Fallback") && !empty) {
                r = xmlTextReaderNext(rd);
                continue;
            }
            if ((named(rd, "t") || (docx && named(rd, "delText"))) && !empty)
                tdepth = xmlTextReaderDepth(rd);
            else if (named(rd, "r") && !empty)
                runs++;
            else if (named(rd, "p") && empty)
                e = put_char(o, '\n');
            else if (named(rd, "br") || (docx && named(rd, "cr")))
                e = (!docx || runs) ? put_char(o, '\n') : RP_OK;
            else if (docx && named(rd, "tab") && runs)
                e = put_char(o, ' ');
        } else if (type == XML_READER_TYPE_END_ELEMENT) {
            if (tdepth >= 0 && xmlTextReaderDepth(rd) == tdepth)
                tdepth = -1;
            else if (named(rd, "r") && runs)
                runs--;
            else if (named(rd, "p"))
                e = put_char(o, '\n');
        } else if (tdepth >= 0 && is_text_node(type)) {
            const xmlChar *v = xmlTextReaderConstValue(rd);
            if (v) e = put_text(o, &o->text, (const char *)v, strlen((const char *)v));
        }
        if (!e) r = xmlTextReaderRead(rd);
    }
    if (!e && r < 0) damaged_xml(o, p);
    xmlFreeTextReader(rd);
    return e;
}

/* The text of t elements under the current element (si, is), phonetic runs (rPh) left out,
 * into b; the reader ends on the element's end. */
static rp_err inline_text(struct office *o, xmlTextReaderPtr rd, struct rp_buf *b, int *r)
{
    if (xmlTextReaderIsEmptyElement(rd) == 1) return RP_OK;
    int depth = xmlTextReaderDepth(rd), tdepth = -1;
    rp_err e = RP_OK;
    *r = xmlTextReaderRead(rd);
    while (*r == 1 && !e && !o->d->status) {
        int type = xmlTextReaderNodeType(rd);
        if (type == XML_READER_TYPE_END_ELEMENT && xmlTextReaderDepth(rd) == depth) break;
        if (type == XML_READER_TYPE_ELEMENT) {
            if (named(rd, "rPh") && xmlTextReaderIsEmptyElement(rd) != 1) {
                *r = xmlTextReaderNext(rd);
                continue;
            }
            if (named(rd, "t") && xmlTextReaderIsEmptyElement(rd) != 1)
                tdepth = xmlTextReaderDepth(rd);
        } else if (type == XML_READER_TYPE_END_ELEMENT) {
            if (xmlTextReaderDepth(rd) == tdepth) tdepth = -1;
        } else if (tdepth >= 0 && is_text_node(type)) {
            const xmlChar *v = xmlTextReaderConstValue(rd);
            if (v) e = put_text(o, b, (const char *)v, strlen((const char *)v));
        }
        if (!e) *r = xmlTextReaderRead(rd);
    }
    return e;
}

static rp_err shared_strings(struct office *o, const struct part *p)
{
    xmlTextReaderPtr rd = open_part(o, p);
    if (!rd) return RP_OK;
    rp_err e = RP_OK;
    int r = xmlTextReaderRead(rd);
    while (r == 1 && !e && !o->d->status) {
        if (xmlTextReaderNodeType(rd) == XML_READER_TYPE_ELEMENT && named(rd, "si")) {
            if (o->nsst + 2 > o->capsst) {
                size_t cap = o->capsst ? 2 * o->capsst : 256;
                size_t *no = realloc(o->sst_off, cap * sizeof(*no));
                if (!no) {
                    e = rp_fail(o->eb, RP_ENOMEM, "dataid: out of memory");
                    break;
                }
                o->sst_off = no;
                o->capsst = cap;
            }
            o->sst_off[o->nsst] = o->sst.len;
            e = inline_text(o, rd, &o->sst, &r);
            o->nsst++;
            o->sst_off[o->nsst] = o->sst.len;
            if (e || r != 1) break;
        }
        r = xmlTextReaderRead(rd);
    }
    if (!e && r < 0) damaged_xml(o, p);
    xmlFreeTextReader(rd);
    return e;
}

/* "B7" -> column 2, row 7; false when it is not a cell reference. */
static bool parse_ref(const char *s, uint32_t *col, uint32_t *row)
{
    uint32_t c = 0, r = 0;
    size_t i = 0;
    while (s[i] >= 'A' && s[i] <= 'Z' && c <= MAX_COLUMN) c = c * 26 + (uint32_t)(s[i++] - 'A' + 1);
    if (!i || c > MAX_COLUMN || !(s[i] >= '1' && s[i] <= '9')) return false;
    while (s[i] >= '0' && s[i] <= '9' && r < 100000000u) r = r * 10 + (uint32_t)(s[i++] - '0');
    if (s[i] || r > 100000000u) return false;
    *col = c;
    *row = r;
    return true;
}

static bool parse_uint(const char *s, uint32_t *out)
{
    uint64_t v = 0;
    size_t i = 0;
    while (s[i] >= '0' && s[i] <= '9' && v < 1000000000u) v = v * 10 + (uint64_t)(s[i++] - '0');
    if (!i || s[i] || v >= 1000000000u) return false;
    *out = (uint32_t)v;
    return true;
}

struct sheet {
    uint16_t index;
    uint32_t row;        /* the current row */
    uint32_t col;        /* the last cell's column in it */
    uint32_t header_row; /* the first row with a non-empty cell, 0 = none yet */
    uint32_t last_row;   /* of the last cell written, 0 = none */
};

/* The cell just read (o->val, its type): into the text and cells[]. */
static rp_err put_cell(struct office *o, struct sheet *sh, uint32_t col, const char *type)
{
    const char *v = o->val.data ? o->val.data : "";
    size_t vn = o->val.len;
    if (type && !strcmp(type, "s")) {
        uint32_t idx = 0;
        if (!parse_uint(v, &idx) || idx >= o->nsst) return RP_OK; /* no such string: empty */
        v = o->sst.data + o->sst_off[idx];
        vn = o->sst_off[idx + 1] - o->sst_off[idx];
    }
    if (!vn) return RP_OK;
    struct rp_dataid_doc *d = o->d;
    if (d->ncells >= RP_DATAID_MAX_CELLS) {
        set_status(d, "OBJECT_OVERSIZE", "a workbook with more than %s non-empty cells", "4194304");
        return RP_OK;
    }
    rp_err e = RP_OK;
    if (sh->last_row) e = put_char(o, sh->last_row == sh->row ? '\t' : '\n');
    size_t start = o->text.len;
    if (!e) e = put_text(o, &o->text, v, vn);
    if (e || d->status) return e;
    if (d->ncells == o->capcells) {
        size_t cap = o->capcells ? 2 * o->capcells : 256;
        struct rp_dataid_doc_cell *nc = realloc(d->cells, cap * sizeof(*nc));
        if (!nc) return rp_fail(o->eb, RP_ENOMEM, "dataid: out of memory");
        d->cells = nc;
        o->capcells = cap;
    }
    if (!sh->header_row) sh->header_row = sh->row;
    int32_t header = -1;
    if (col <= MAX_COLUMN) {
        if (sh->row == sh->header_row)
            o->header[col] = (int32_t)d->ncells;
        else if (sh->row > sh->header_row)
            header = o->header[col];
    }
    d->cells[d->ncells++] = (struct rp_dataid_doc_cell){
        .start = (uint32_t)start,
        .end = (uint32_t)o->text.len,
        .row = sh->row,
        .column = (uint16_t)(col <= MAX_COLUMN ? col : 0),
        .sheet = sh->index,
        .header = header,
    };
    sh->last_row = sh->row;
    return RP_OK;
}

static char *attr(xmlTextReaderPtr rd, const char *name)
{
    return (char *)xmlTextReaderGetAttribute(rd, (const xmlChar *)name);
}

/* One worksheet: rows (r or the next), cells (r or the next column), values by type. */
static rp_err worksheet(struct office *o, const struct part *p, uint16_t index)
{
    xmlTextReaderPtr rd = open_part(o, p);
    if (!rd) return RP_OK;
    for (size_t i = 0; i <= MAX_COLUMN; i++) o->header[i] = -1;
    struct sheet sh = {.index = index};
    rp_err e = o->text.len ? put_char(o, '\n') : RP_OK; /* sheets apart */
    int r = e ? 1 : xmlTextReaderRead(rd);
    while (r == 1 && !e && !o->d->status) {
        int type = xmlTextReaderNodeType(rd);
        if (type != XML_READER_TYPE_ELEMENT) {
            r = xmlTextReaderRead(rd);
            continue;
        }
        if (named(rd, "row")) {
            char *rv = attr(rd, "r");
            uint32_t rn = 0;
            sh.row = rv && parse_uint(rv, &rn) ? rn : sh.row + 1;
            sh.col = 0;
            xmlFree(rv);
        } else if (named(rd, "c")) {
            char *ref = attr(rd, "r"), *t = attr(rd, "t");
            uint32_t col = sh.col + 1, row = 0;
            if (ref && parse_ref(ref, &col, &row)) sh.row = row;
            if (!sh.row) sh.row = 1;
            sh.col = col;
            rp_buf_reset(&o->val);
            if (xmlTextReaderIsEmptyElement(rd) != 1) {
                int depth = xmlTextReaderDepth(rd), vdepth = -1;
                r = xmlTextReaderRead(rd);
                while (r == 1 && !e && !o->d->status) {
                    int ty = xmlTextReaderNodeType(rd);
                    if (ty == XML_READER_TYPE_END_ELEMENT && xmlTextReaderDepth(rd) == depth) break;
                    if (ty == XML_READER_TYPE_ELEMENT && named(rd, "is")) {
                        e = inline_text(o, rd, &o->val, &r);
                    } else if (ty == XML_READER_TYPE_ELEMENT && named(rd, "v") &&
                               xmlTextReaderIsEmptyElement(rd) != 1) {
                        vdepth = xmlTextReaderDepth(rd);
                    } else if (ty == XML_READER_TYPE_END_ELEMENT &&
                               xmlTextReaderDepth(rd) == vdepth) {
                        vdepth = -1;
                    } else if (vdepth >= 0 && is_text_node(ty)) {
                        const xmlChar *v = xmlTextReaderConstValue(rd);
                        if (v) e = put_text(o, &o->val, (const char *)v, strlen((const char *)v));
                    }
                    if (!e && r == 1) r = xmlTextReaderRead(rd);
                }
            }
            if (!e && r == 1 && !o->d->status) e = put_cell(o, &sh, col, t);
            xmlFree(ref);
            xmlFree(t);
        }
        if (!e && r == 1) r = xmlTextReaderRead(rd);
    }
    if (!e && r < 0) damaged_xml(o, p);
    xmlFreeTextReader(rd);
    return e;
}

/* ---- the workbook's sheets: names and order --------------------------------------------- */

/* A reader over a part whose damage does not stop the document (xl/workbook.xml, its rels):
 * NULL, and no status, when it holds a DTD or cannot be parsed; the caller falls back. */
static xmlTextReaderPtr open_quiet(const struct part *p)
{
    pthread_once(&xml_once, xml_init);
    const char *data = p->data.data ? p->data.data : "";
    if (memmem(data, p->data.len, "<!DOCTYPE", 9) || memmem(data, p->data.len, "<!ENTITY", 8) ||
        p->data.len > (size_t)INT32_MAX)
        return NULL;
    return xmlReaderForMemory(data, (int)p->data.len, p->name, NULL,
                              XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
}

/* A pair of strings read from an element's attributes (a sheet's name and r:id, a
 * relationship's Id and Target). */
struct pair {
    char *a, *b;
};

static void free_pairs(struct pair *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        xmlFree(v[i].a);
        xmlFree(v[i].b);
    }
    free(v);
}

#define NS_REL        "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define NS_REL_STRICT "http://purl.oclc.org/ooxml/officeDocument/relationships"

/* The elements local of part p, each with attributes a and b (b in namespace ns_b, or the
 * strict twin, when ns_b is set; elements missing one are left out): *out (free_pairs), or
 * *out NULL when the part is damaged. RP_ENOMEM. */
static rp_err read_pairs(struct office *o, const struct part *p, const char *local, const char *a,
                         const char *b, bool ns_b, struct pair **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    xmlTextReaderPtr rd = open_quiet(p);
    if (!rd) return RP_OK;
    struct pair *v = NULL;
    size_t cap = 0;
    rp_err e = RP_OK;
    int r = xmlTextReaderRead(rd);
    while (r == 1) {
        if (xmlTextReaderNodeType(rd) == XML_READER_TYPE_ELEMENT && named(rd, local)) {
            char *x = attr(rd, a), *y = NULL;
            if (ns_b) {
                y = (char *)xmlTextReaderGetAttributeNs(rd, (const xmlChar *)b,
                                                        (const xmlChar *)NS_REL);
                if (!y)
                    y = (char *)xmlTextReaderGetAttributeNs(rd, (const xmlChar *)b,
                                                            (const xmlChar *)NS_REL_STRICT);
            } else {
                y = attr(rd, b);
            }
            if (x && y && *n == cap) {
                struct pair *nv = NULL;
                if (cap < (1u << 20)) { /* more: past any real workbook, taken as damaged */
                    cap = cap ? 2 * cap : 16;
                    nv = realloc(v, cap * sizeof(*nv));
                    if (!nv) e = rp_fail(o->eb, RP_ENOMEM, "dataid: out of memory");
                }
                if (!nv) {
                    xmlFree(x);
                    xmlFree(y);
                    break;
                }
                v = nv;
            }
            if (x && y) {
                v[(*n)++] = (struct pair){x, y};
            } else {
                xmlFree(x);
                xmlFree(y);
            }
        }
        r = xmlTextReaderRead(rd);
    }
    xmlFreeTextReader(rd);
    if (e || r != 0) {
        free_pairs(v, *n);
        *n = 0;
        return e;
    }
    *out = v;
    return RP_OK;
}

/* The part a workbook relationship's Target names: relative to xl/ ("worksheets/sheet1.xml",
 * "./worksheets/../worksheets/sheet1.xml") or absolute ("/xl/worksheets/sheet1.xml"). False
 * when it does not fit out. */
static bool resolve_target(const char *target, char *out, size_t n)
{
    char tmp[512];
    int k = target[0] == '/' ? snprintf(tmp, sizeof tmp, "%s", target + 1)
                             : snprintf(tmp, sizeof tmp, "xl/%s", target);
    if (k < 0 || (size_t)k >= sizeof tmp || n == 0) return false;
    size_t o = 0;
    for (const char *s = tmp; *s;) {
        const char *slash = strchr(s, '/');
        size_t len = slash ? (size_t)(slash - s) : strlen(s);
        if (len == 2 && s[0] == '.' && s[1] == '.') {
            while (o && out[o - 1] != '/') o--;
            if (o) o--; /* the slash before the segment dropped */
        } else if (len && !(len == 1 && s[0] == '.')) {
            if (o + (o ? 1 : 0) + len >= n) return false;
            if (o) out[o++] = '/';
            memcpy(out + o, s, len);
            o += len;
        }
        s += len + (slash ? 1 : 0);
    }
    out[o] = 0;
    return true;
}

static const struct part *find_part(const struct office *o, const char *name)
{
    for (size_t i = 0; i < o->nparts; i++)
        if (same_ci(o->parts[i].name, strlen(o->parts[i].name), name)) return &o->parts[i];
    return NULL;
}

static int cmp_pair(const void *a, const void *b)
{
    return strcmp(((const struct pair *)a)->a, ((const struct pair *)b)->a);
}

static int cmp_part_name(const void *a, const void *b)
{
    return strcasecmp((*(const struct part *const *)a)->name,
                      (*(const struct part *const *)b)->name);
}

/* Add sheet part p (o->parts index i) named name (copied) to the read order. */
static rp_err add_sheet(struct office *o, size_t *seq, bool *taken, size_t i, const char *name)
{
    struct rp_dataid_doc *d = o->d;
    char *copy = strdup(name);
    if (!copy) return rp_fail(o->eb, RP_ENOMEM, "dataid: out of memory");
    seq[d->nsheets] = i;
    d->sheets[d->nsheets++] = copy;
    taken[i] = true;
    return RP_OK;
}

/* Shared strings, then the worksheets in the workbook's order with its names, then any
 * worksheet part it does not name, in part order, as "Sheet<N>". */
static rp_err workbook(struct office *o)
{
    struct rp_dataid_doc *d = o->d;
    const struct part *sst = find_part(o, "xl/sharedStrings.xml");
    const struct part *wb = find_part(o, "xl/workbook.xml");
    const struct part *rels = find_part(o, "xl/_rels/workbook.xml.rels");
    rp_err e = sst ? shared_strings(o, sst) : RP_OK;
    if (e || d->status) return e;
    size_t *seq = calloc(o->nparts + 1, sizeof(*seq));
    bool *taken = calloc(o->nparts + 1, sizeof(*taken));
    d->sheets = calloc(o->nparts + 1, sizeof(*d->sheets));
    if (!seq || !taken || !d->sheets) e = rp_fail(o->eb, RP_ENOMEM, "dataid: out of memory");
    struct pair *sheets = NULL, *rel = NULL;
    size_t nsheets = 0, nrel = 0;
    if (!e && wb && rels) e = read_pairs(o, wb, "sheet", "name", "id", true, &sheets, &nsheets);
    if (!e && sheets) e = read_pairs(o, rels, "Relationship", "Id", "Target", false, &rel, &nrel);
    const struct part **byname = NULL; /* the worksheet parts by name */
    size_t nbyname = 0;
    if (!e && rel) {
        qsort(rel, nrel, sizeof(*rel), cmp_pair);
        byname = calloc(o->nparts + 1, sizeof(*byname));
        if (!byname) e = rp_fail(o->eb, RP_ENOMEM, "dataid: out of memory");
        for (size_t i = 0; !e && i < o->nparts; i++)
            if (o->parts[i].order == 1) byname[nbyname++] = &o->parts[i];
        if (nbyname > 1) qsort(byname, nbyname, sizeof(*byname), cmp_part_name);
    }
    for (size_t i = 0; !e && rel && i < nsheets; i++) {
        struct pair key = {.a = sheets[i].b};
        const struct pair *r = bsearch(&key, rel, nrel, sizeof(*rel), cmp_pair);
        char target[512];
        if (!r || !sheets[i].a[0] || !resolve_target(r->b, target, sizeof target)) continue;
        struct part tp = {.name = target};
        const struct part *kp = &tp, *const *hit = bsearch(&kp, byname, nbyname, sizeof(*byname),
                                                           cmp_part_name);
        size_t pi = hit ? (size_t)(*hit - o->parts) : 0;
        if (hit && !taken[pi]) e = add_sheet(o, seq, taken, pi, sheets[i].a);
    }
    free(byname);
    free_pairs(sheets, nsheets);
    free_pairs(rel, nrel);
    for (size_t i = 0; !e && i < o->nparts; i++) {
        if (o->parts[i].order != 1 || taken[i]) continue;
        char name[32];
        snprintf(name, sizeof name, "Sheet%ld", o->parts[i].number);
        e = add_sheet(o, seq, taken, i, name);
    }
    if (!e && d->nsheets > UINT16_MAX)
        set_status(d, "OBJECT_OVERSIZE", "a workbook with more than %s sheets", "65535");
    for (size_t i = 0; !e && !d->status && i < d->nsheets; i++)
        e = worksheet(o, &o->parts[seq[i]], (uint16_t)i);
    free(seq);
    free(taken);
    return e;
}

rp_err rp_dataid_office_extract(enum rp_dataid_doc_kind k, const char *buf, size_t n,
                                struct rp_dataid_doc *out, struct rp_errbuf *eb)
{
    out->kind = k;
    const unsigned char *b = (const unsigned char *)(buf ? buf : "");
    if (n >= 8 && !memcmp(b, cfb_magic, 8)) {
        if (encrypted_package(b, n))
            set_status(out, "UNSUPPORTED_OBJECT_TYPE", "%s",
                       "an encrypted document (password-protected Office file)");
        else
            set_status(out, "UNSUPPORTED_OR_DAMAGED", "%s",
                       "not an Office Open XML package (an OLE compound file)");
        return RP_OK;
    }
    if (k == RP_DATAID_DOC_OOXML) {
        set_status(out, "UNSUPPORTED_OR_DAMAGED", "%s", "not an Office Open XML package");
        return RP_OK;
    }
    struct office o = {.kind = k, .d = out, .eb = eb};
    rp_buf_init(&o.text, RP_DATAID_MAX_MEMBER);
    rp_buf_init(&o.sst, RP_DATAID_MAX_MEMBER);
    rp_buf_init(&o.val, RP_DATAID_MAX_MEMBER);
    rp_err e = read_parts(&o, buf ? buf : "", n);
    if (!e && !out->status && k == RP_DATAID_DOC_XLSX) {
        o.header = malloc((MAX_COLUMN + 1) * sizeof(*o.header));
        if (!o.header) e = rp_fail(eb, RP_ENOMEM, "dataid: out of memory");
    }
    if (!e && !out->status && k == RP_DATAID_DOC_XLSX) e = workbook(&o);
    for (size_t i = 0; !e && !out->status && k != RP_DATAID_DOC_XLSX && i < o.nparts; i++)
        e = para_text(&o, &o.parts[i]);
    if (!e && !out->status && o.text.len && o.text.data[o.text.len - 1] != '\n')
        e = put_char(&o, '\n');
    for (size_t i = 0; i < o.nparts; i++) {
        free(o.parts[i].name);
        rp_buf_release(&o.parts[i].data);
    }
    free(o.parts);
    free(o.header);
    free(o.sst_off);
    rp_buf_release(&o.sst);
    rp_buf_release(&o.val);
    if (e || out->status) {
        rp_buf_release(&o.text);
        return e;
    }
    out->text = rp_buf_take(&o.text, &out->len);
    return RP_OK;
}

rp_err rp_dataid_doc_extract(enum rp_dataid_doc_kind k, const char *buf, size_t n,
                             struct rp_dataid_doc *out, struct rp_errbuf *eb)
{
    memset(out, 0, sizeof(*out));
    out->kind = k;
    rp_err e = k == RP_DATAID_DOC_PDF ? rp_dataid_pdf_extract(buf, n, out, eb)
                                      : rp_dataid_office_extract(k, buf, n, out, eb);
    if (!e && !out->status && !out->text) {
        out->text = calloc(1, 1);
        if (!out->text) e = rp_fail(eb, RP_ENOMEM, "dataid: out of memory");
    }
    return e;
}

void rp_dataid_doc_release(struct rp_dataid_doc *d)
{
    free(d->text);
    free(d->cells);
    free(d->pages);
    for (size_t i = 0; i < d->nsheets; i++) free(d->sheets[i]);
    free(d->sheets);
    d->text = NULL;
    d->cells = NULL;
    d->pages = NULL;
    d->sheets = NULL;
    d->len = d->ncells = d->npages = d->nsheets = 0;
}
