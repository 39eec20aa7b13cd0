/* SPDX-License-Identifier: Apache-2.0 */
/* Documents (src/dataid/dataid_office.c, dataid_pdf.c, through rp_dataid_classify): Word,
 * Excel and PowerPoint files the test writes itself (zips made with libarchive's writer from
 * hand-written XML) and PDFs written by hand (objects, content streams, an xref table with
 * the offsets computed here). Exact detections and locators: Word and PowerPoint lines (a
 * paragraph a line, tab stops not taken for tabs, mc:Fallback read once, slides in number
 * order), workbook cells (shared, rich and inline strings, numbers, rows and columns without
 * r, the header row's names as keywords and column names, "Sheet1!B7": sheets named and
 * ordered by the workbook, quoted as Excel quotes them, "Sheet<N>" without names), PDF pages
 * and lines within them. Documents not read: encrypted (an OLE EncryptedPackage, a PDF with a
 * password), damaged (XML, zip, PDF), a DTD, no main part, past the expansion limit; each with
 * its exact status and reason. Kind detection by extension and by content, ahead of archives.
 * RP_WRITE_SEEDS=DIR writes the documents there (the fuzz target's seed corpus). */
#include <archive.h>
#include <archive_entry.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/rp_buf.h"
#include "dataid/dataid.h"

struct mem {
    char *data;
    size_t n;
};

struct entry {
    const char *name;
    const char *data; /* NUL-terminated */
};

#define W_NS                                                                                       \
    "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" "                    \
    "xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\""
#define S_NS "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""
#define P_NS                                                                                       \
    "xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" "                           \
    "xmlns:p=\"http://schemas.openxmlformats.org/presentationml/2006/main\""
#define TYPES                                                                                      \
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"                              \
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"               \
    "<Default Extension=\"xml\" ContentType=\"application/xml\"/></Types>"

static void write_seed(const char *name, const struct mem *m)
{
    const char *dir = getenv("RP_WRITE_SEEDS");
    if (!dir || !*dir) return;
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(m->data, 1, m->n, f), m->n);
    assert_int_equal(fclose(f), 0);
}

/* A zip (deflate) of the entries, in order. */
static struct mem zip_of(const struct entry *e, size_t k)
{
    size_t cap = 1u << 22, used = 0;
    char *buf = malloc(cap);
    assert_non_null(buf);
    struct archive *a = archive_write_new();
    archive_write_set_format_zip(a);
    assert_int_equal(archive_write_open_memory(a, buf, cap, &used), ARCHIVE_OK);
    for (size_t i = 0; i < k; i++) {
        size_t n = strlen(e[i].data);
        struct archive_entry *en = archive_entry_new();
        archive_entry_set_pathname(en, e[i].name);
        archive_entry_set_filetype(en, AE_IFREG);
        archive_entry_set_perm(en, 0644);
        archive_entry_set_size(en, (la_int64_t)n);
        archive_entry_set_mtime(en, 1767225600, 0);
        assert_int_equal(archive_write_header(a, en), ARCHIVE_OK);
        if (n) assert_int_equal(archive_write_data(a, e[i].data, n), (la_ssize_t)n);
        archive_entry_free(en);
    }
    assert_int_equal(archive_write_close(a), ARCHIVE_OK);
    archive_write_free(a);
    return (struct mem){buf, used};
}

static const char docx_body[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<w:document " W_NS "><w:body>"
    /* 1: tab stops in the paragraph's properties are not tabs */
    "<w:p><w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"720\"/></w:tabs></w:pPr>"
    "<w:r><w:t>Personnel record</w:t></w:r></w:p>"
    /* 2: runs, a tab as a space */
    "<w:p><w:r><w:t>Employee SSN:</w:t><w:tab/><w:t>536-22-4817</w:t></w:r></w:p>"
    /* 3: empty */
    "<w:p/>"
    /* 4, 5: a table cell, a break */
    "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>card number</w:t><w:br/>"
    "<w:t>5500-0000-0000-0004</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
    /* 6: alternate content read once */
    "<w:p><w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:t>mail "
    "ann@corp-example.org</w:t></mc:Choice><mc:Fallback><w:t>mail "
    "ann@corp-example.org</w:t></mc:Fallback></mc:AlternateContent></w:r></w:p>"
    /* 7: deleted text is still in the file */
    "<w:p><w:del><w:r><w:delText>old 4111111111111111</w:delText></w:r></w:del></w:p>"
    "</w:body></w:document>";

static const char docx_header[] = "<?xml version=\"1.0\"?><w:hdr " W_NS ">"
                                  "<w:p><w:r><w:t>Confidential ssn 219-09-9999</w:t></w:r></w:p>"
                                  "</w:hdr>";

static struct mem make_docx(const char *body)
{
    const struct entry e[] = {
        {"[Content_Types].xml", TYPES},
        {"_rels/.rels", "<Relationships/>"},
        {"word/header1.xml", docx_header},
        {"word/document.xml", body},
    };
    return zip_of(e, 4);
}

static const char sst_xml[] = "<?xml version=\"1.0\"?><sst " S_NS " count=\"5\" uniqueCount=\"5\">"
                              "<si><t>Name</t></si><si><t>SSN</t></si><si><t>Ann Example</t></si>"
                              "<si><r><t>219-09</t></r><r><rPr><b/></rPr><t>-9999</t></r></si>"
                              "<si><t>Bob</t><rPh sb=\"0\" eb=\"1\"><t>BOBU</t></rPh></si></sst>";

static const char sheet1_xml[] =
    "<?xml version=\"1.0\"?><worksheet " S_NS "><sheetData>"
    "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c>"
    "<c r=\"C1\" t=\"inlineStr\"><is><t>Card Number</t></is></c></row>"
    "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>2</v></c><c r=\"B2\"><v>536224817</v></c>"
    "<c r=\"C2\" t=\"inlineStr\"><is><t>4111 1111 1111 1111</t></is></c></row>"
    "<row r=\"5\"><c r=\"A5\" t=\"s\"><v>4</v></c><c r=\"B5\" t=\"s\"><v>3</v></c>"
    "<c r=\"C5\" s=\"1\"/></row>"
    "</sheetData></worksheet>";

static const char sheet2_xml[] =
    "<?xml version=\"1.0\"?><worksheet " S_NS "><sheetData>"
    "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>note</t></is></c></row>"
    "<row r=\"3\"><c r=\"B3\" t=\"str\"><f>CONCAT(\"a\")</f><v>ssn 078-05-1120</v></c></row>"
    "<row><c t=\"inlineStr\"><is><t>x</t></is></c><c t=\"inlineStr\"><is><t>cc# "
    "5500 0000 0000 0004</t></is></c></row>"
    "</sheetData></worksheet>";

/* The workbook of sheet1_xml and sheet2_xml with this xl/workbook.xml and (unless NULL)
 * xl/_rels/workbook.xml.rels. */
static struct mem make_xlsx_with(const char *workbook, const char *rels)
{
    struct entry e[6] = {
        {"[Content_Types].xml", TYPES},           {"xl/workbook.xml", workbook},
        {"xl/worksheets/sheet2.xml", sheet2_xml}, {"xl/sharedStrings.xml", sst_xml},
        {"xl/worksheets/sheet1.xml", sheet1_xml},
    };
    size_t k = 5;
    if (rels) e[k++] = (struct entry){"xl/_rels/workbook.xml.rels", rels};
    return zip_of(e, k);
}

/* No sheets named: "Sheet<N>" after the parts, in part order. */
static struct mem make_xlsx(void)
{
    return make_xlsx_with("<workbook " S_NS "/>", NULL);
}

#define R_NS   "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""
#define REL_NS "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\""
#define WS_REL                                                                                     \
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\""

/* sheet2.xml first as "Notes" (an absolute Target), then sheet1.xml as "Ann's list". */
static const char named_workbook[] =
    "<?xml version=\"1.0\"?><workbook " S_NS " " R_NS "><bookViews><workbookView/></bookViews>"
    "<sheets><sheet name=\"Notes\" sheetId=\"2\" r:id=\"rId1\"/>"
    "<sheet name=\"Ann&apos;s list\" sheetId=\"1\" r:id=\"rId3\"/></sheets></workbook>";
static const char named_rels[] =
    "<?xml version=\"1.0\"?><Relationships " REL_NS ">"
    "<Relationship Id=\"rId3\" " WS_REL " Target=\"worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/sharedStrings\" Target=\"sharedStrings.xml\"/>"
    "<Relationship Id=\"rId1\" " WS_REL " Target=\"/xl/worksheets/sheet2.xml\"/>"
    "</Relationships>";

static const char slide1[] =
    "<?xml version=\"1.0\"?><p:sld " P_NS "><p:cSld><p:spTree><p:sp><p:txBody><a:bodyPr/>"
    "<a:p><a:r><a:t>Quarterly review</a:t></a:r></a:p>"
    "<a:p><a:r><a:t>Contact: </a:t></a:r><a:r><a:t>bob@corp-example.org</a:t></a:r><a:br/>"
    "<a:r><a:t>ssn 219-09-9999</a:t></a:r></a:p>"
    "</p:txBody></p:sp></p:spTree></p:cSld></p:sld>";
static const char slide2[] =
    "<?xml version=\"1.0\"?><p:sld " P_NS "><p:cSld><p:spTree><p:sp><p:txBody>"
    "<a:p><a:r><a:t>Card number 5500 0000 0000 0004</a:t></a:r></a:p>"
    "</p:txBody></p:sp></p:spTree></p:cSld></p:sld>";
static const char slide10[] =
    "<?xml version=\"1.0\"?><p:sld " P_NS "><p:cSld><p:spTree><p:sp><p:txBody>"
    "<a:p><a:r><a:t>Thanks</a:t></a:r></a:p><a:p><a:r><a:t>ssn 536-22-4817</a:t></a:r></a:p>"
    "</p:txBody></p:sp></p:spTree></p:cSld></p:sld>";

static struct mem make_pptx(void)
{
    const struct entry e[] = {
        {"[Content_Types].xml", TYPES},      {"ppt/presentation.xml", "<p:presentation " P_NS "/>"},
        {"ppt/slides/slide10.xml", slide10}, {"ppt/slides/slide2.xml", slide2},
        {"ppt/slides/slide1.xml", slide1},
    };
    return zip_of(e, 5);
}

/* A PDF written by hand: one page per entry, its lines (separated by '\n') shown one below
 * the other in Helvetica; encrypted adds a standard security handler whose user password is
 * not empty (the /U entry matches no password: the reader must ask for one). */
static struct mem make_pdf(const char *const *pages, size_t npages, bool encrypted)
{
    struct rp_buf b;
    rp_buf_init(&b, 0);
    size_t nobj = 3 + 2 * npages + (encrypted ? 1 : 0);
    size_t *off = calloc(nobj + 1, sizeof(*off));
    assert_non_null(off);
    assert_int_equal(rp_buf_append_str(&b, "%PDF-1.4\n"), RP_OK);
    off[1] = b.len;
    assert_int_equal(rp_buf_append_str(&b, "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"),
                     RP_OK);
    off[2] = b.len;
    assert_int_equal(rp_buf_printf(&b, "2 0 obj\n<< /Type /Pages /Count %zu /Kids [", npages),
                     RP_OK);
    for (size_t i = 0; i < npages; i++)
        assert_int_equal(rp_buf_printf(&b, " %zu 0 R", 4 + 2 * i), RP_OK);
    assert_int_equal(rp_buf_append_str(&b, " ] >>\nendobj\n"), RP_OK);
    off[3] = b.len;
    assert_int_equal(rp_buf_append_str(&b, "3 0 obj\n<< /Type /Font /Subtype /Type1 /BaseFont "
                                           "/Helvetica >>\nendobj\n"),
                     RP_OK);
    for (size_t i = 0; i < npages; i++) {
        struct rp_buf c;
        rp_buf_init(&c, 0);
        assert_int_equal(rp_buf_append_str(&c, "BT /F1 12 Tf 16 TL 72 720 Td\n"), RP_OK);
        for (const char *p = pages[i]; *p;) {
            const char *nl = strchr(p, '\n');
            size_t len = nl ? (size_t)(nl - p) : strlen(p);
            assert_int_equal(rp_buf_printf(&c, "(%.*s) Tj T*\n", (int)len, p), RP_OK);
            p += len + (nl ? 1 : 0);
        }
        assert_int_equal(rp_buf_append_str(&c, "ET\n"), RP_OK);
        off[4 + 2 * i] = b.len;
        assert_int_equal(rp_buf_printf(&b,
                                       "%zu 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 "
                                       "612 792] /Resources << /Font << /F1 3 0 R >> >> "
                                       "/Contents %zu 0 R >>\nendobj\n",
                                       4 + 2 * i, 5 + 2 * i),
                         RP_OK);
        off[5 + 2 * i] = b.len;
        assert_int_equal(rp_buf_printf(&b,
                                       "%zu 0 obj\n<< /Length %zu >>\nstream\n%s\nendstream\n"
                                       "endobj\n",
                                       5 + 2 * i, c.len, c.data),
                         RP_OK);
        rp_buf_release(&c);
    }
    if (encrypted) {
        off[nobj] = b.len;
        assert_int_equal(
            rp_buf_printf(&b,
                          "%zu 0 obj\n<< /Filter /Standard /V 1 /R 2 /P -4 "
                          "/O <0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20> "
                          "/U <a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0> "
                          ">>\nendobj\n",
                          nobj),
            RP_OK);
    }
    size_t xref = b.len;
    assert_int_equal(rp_buf_printf(&b, "xref\n0 %zu\n0000000000 65535 f \n", nobj + 1), RP_OK);
    for (size_t i = 1; i <= nobj; i++)
        assert_int_equal(rp_buf_printf(&b, "%010zu 00000 n \n", off[i]), RP_OK);
    assert_int_equal(rp_buf_printf(&b, "trailer\n<< /Size %zu /Root 1 0 R", nobj + 1), RP_OK);
    if (encrypted)
        assert_int_equal(rp_buf_printf(&b,
                                       " /Encrypt %zu 0 R /ID [<00112233445566778899aabbccddeeff>"
                                       " <00112233445566778899aabbccddeeff>]",
                                       nobj),
                         RP_OK);
    assert_int_equal(rp_buf_printf(&b, " >>\nstartxref\n%zu\n%%%%EOF\n", xref), RP_OK);
    free(off);
    size_t n = 0;
    char *data = rp_buf_take(&b, &n);
    return (struct mem){data, n};
}

static struct rp_dataid_set *g_set;
static struct rp_dataid_scratch *g_sc;

static int setup(void **state)
{
    (void)state;
    static const char *const only[] = {"USA_SOCIAL_SECURITY_NUMBER", "CREDIT_CARD_NUMBER",
                                       "CREDIT_CARD_NUMBER_(NO_KEYWORD)", "EMAIL_ADDRESS"};
    struct rp_errbuf eb = {0};
    if (rp_dataid_set_new(&g_set, &eb) || rp_dataid_set_add_managed(g_set, only, 4, &eb) ||
        rp_dataid_set_compile(g_set, &eb) || rp_dataid_scratch_new(g_set, &g_sc))
        return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    rp_dataid_scratch_free(g_sc);
    rp_dataid_set_free(g_set);
    return 0;
}

/* The result as lines: status, mime type, size; then "ID count: locator; locator". */
static void render(const struct rp_dataid_result *r, struct rp_buf *b)
{
    assert_int_equal(rp_buf_printf(b, "%s %s %s %lld%s\n", r->status, r->reason ? r->reason : "-",
                                   r->mime_type, (long long)r->size_classified,
                                   r->additional_occurrences ? " more" : ""),
                     RP_OK);
    if (r->reason) assert_int_equal(rp_buf_printf(b, "%s\n", r->detail), RP_OK);
    for (size_t i = 0; i < r->ndet; i++) {
        const struct rp_dataid_detection *d = &r->det[i];
        assert_int_equal(rp_buf_printf(b, "%s %lld:", d->ident->id, (long long)d->count), RP_OK);
        for (size_t j = 0; j < d->nocc; j++) {
            const struct rp_dataid_occurrence *o = &d->occ[j];
            rp_err e = RP_OK;
            switch (o->kind) {
            case RP_DATAID_LOC_LINES:
                e = rp_buf_printf(b, " L%lld-%lld@%lld", (long long)o->start, (long long)o->end,
                                  (long long)o->start_column);
                break;
            case RP_DATAID_LOC_CELLS:
                e = rp_buf_printf(b, " %s(r%lld c%lld '%s')", o->cell_reference, (long long)o->row,
                                  (long long)o->column, o->column_name);
                break;
            case RP_DATAID_LOC_PAGES:
                e = rp_buf_printf(b, " p%lld L%lld-%lld@%lld [%lld,%lld)",
                                  (long long)o->page_number, (long long)o->start, (long long)o->end,
                                  (long long)o->start_column, (long long)o->offset_start,
                                  (long long)o->offset_end);
                break;
            default:
                e = rp_buf_printf(b, " ?");
            }
            assert_int_equal(e, RP_OK);
        }
        assert_int_equal(rp_buf_putc(b, '\n'), RP_OK);
    }
}

/* Classified as name, the result must render as want, with the keyword windows and with
 * every identifier searched everywhere (the reference) alike. */
static void check(const char *name, const struct mem *m, const char *want)
{
    for (int exhaustive = 0; exhaustive < 2; exhaustive++) {
        rp_dataid_set_exhaustive(g_set, exhaustive == 1);
        struct rp_dataid_result r;
        struct rp_errbuf eb = {0};
        assert_int_equal(rp_dataid_classify(g_set, g_sc, name, m->data, m->n, &r, &eb), RP_OK);
        struct rp_buf b;
        rp_buf_init(&b, 0);
        render(&r, &b);
        assert_string_equal(b.data, want);
        rp_buf_release(&b);
        rp_dataid_result_release(&r);
    }
    rp_dataid_set_exhaustive(g_set, false);
}

static void test_office_docx(void **state)
{
    (void)state;
    struct mem d = make_docx(docx_body);
    write_seed("record.docx", &d);
    char want[1024];
    snprintf(want, sizeof want,
             "COMPLETE - application/vnd.openxmlformats-officedocument.wordprocessingml.document "
             "%zu\n"
             "CREDIT_CARD_NUMBER 1: L5-5@1\n"
             "CREDIT_CARD_NUMBER_(NO_KEYWORD) 1: L7-7@5\n"
             "EMAIL_ADDRESS 1: L6-6@6\n"
             "USA_SOCIAL_SECURITY_NUMBER 2: L2-2@15 L8-8@18\n",
             d.n);
    check("hr/record.docx", &d, want);
    /* by content, whatever the name: a document, not an archive */
    assert_int_equal(rp_dataid_doc_kind("blob.bin", d.data, d.n), RP_DATAID_DOC_DOCX);
    assert_false(rp_dataid_is_archive("blob.bin", d.data, d.n));
    assert_false(rp_dataid_is_archive("x.DOCM", "", 0));
    check("blob.bin", &d, want);
    /* the text itself */
    struct rp_dataid_doc doc;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_dataid_doc_extract(RP_DATAID_DOC_DOCX, d.data, d.n, &doc, &eb), RP_OK);
    assert_null(doc.status);
    assert_string_equal(doc.text, "Personnel record\n"
                                  "Employee SSN: 536-22-4817\n"
                                  "\n"
                                  "card number\n"
                                  "5500-0000-0000-0004\n"
                                  "mail ann@corp-example.org\n"
                                  "old 4111111111111111\n"
                                  "Confidential ssn 219-09-9999\n");
    rp_dataid_doc_release(&doc);
    free(d.data);
}

static void test_office_xlsx(void **state)
{
    (void)state;
    struct mem x = make_xlsx();
    write_seed("people.xlsx", &x);
    char want[1024];
    snprintf(want, sizeof want,
             "COMPLETE - application/vnd.openxmlformats-officedocument.spreadsheetml.sheet %zu\n"
             "CREDIT_CARD_NUMBER 2: Sheet1!C2(r2 c3 'Card Number') Sheet2!B4(r4 c2 '')\n"
             "USA_SOCIAL_SECURITY_NUMBER 3: Sheet1!B2(r2 c2 'SSN') Sheet1!B5(r5 c2 'SSN') "
             "Sheet2!B3(r3 c2 '')\n",
             x.n);
    check("people.xlsx", &x, want);
    struct rp_dataid_doc doc;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_dataid_doc_extract(RP_DATAID_DOC_XLSX, x.data, x.n, &doc, &eb), RP_OK);
    assert_null(doc.status);
    assert_string_equal(doc.text, "Name\tSSN\tCard Number\n"
                                  "Ann Example\t536224817\t4111 1111 1111 1111\n"
                                  "Bob\t219-09-9999\n"
                                  "note\n"
                                  "ssn 078-05-1120\n"
                                  "x\tcc# 5500 0000 0000 0004\n");
    assert_int_equal(doc.ncells, 12);
    /* B5 "219-09-9999": sheet 0, its header B1 (cell 1) */
    assert_int_equal(doc.cells[7].row, 5);
    assert_int_equal(doc.cells[7].column, 2);
    assert_int_equal(doc.cells[7].sheet, 0);
    assert_int_equal(doc.cells[7].header, 1);
    /* A4 "x" of the second sheet, its row and column counted on from the row before */
    assert_int_equal(doc.cells[10].row, 4);
    assert_int_equal(doc.cells[10].column, 1);
    assert_int_equal(doc.cells[10].sheet, 1);
    assert_int_equal(doc.cells[10].header, 8);
    assert_int_equal(doc.nsheets, 2);
    assert_string_equal(doc.sheets[0], "Sheet1");
    assert_string_equal(doc.sheets[1], "Sheet2");
    rp_dataid_doc_release(&doc);
    free(x.data);

    /* names for the sheets but no relationships, or damaged ones, or a damaged workbook:
     * the same "Sheet<N>" in part order */
    const char *const broken[][2] = {
        {named_workbook, NULL},
        {named_workbook, "<Relationships " REL_NS "><Relationship Id=\"rId1\""},
        {named_workbook, "<!DOCTYPE r [<!ENTITY a \"aaaa\">]><Relationships/>"},
        {"<workbook " S_NS " " R_NS "><sheets><sheet name=\"Notes\" r:id=\"rId1\"/>", named_rels},
    };
    for (size_t i = 0; i < sizeof broken / sizeof broken[0]; i++) {
        struct mem y = make_xlsx_with(broken[i][0], broken[i][1]);
        snprintf(want, sizeof want,
                 "COMPLETE - application/vnd.openxmlformats-officedocument.spreadsheetml.sheet "
                 "%zu\n"
                 "CREDIT_CARD_NUMBER 2: Sheet1!C2(r2 c3 'Card Number') Sheet2!B4(r4 c2 '')\n"
                 "USA_SOCIAL_SECURITY_NUMBER 3: Sheet1!B2(r2 c2 'SSN') Sheet1!B5(r5 c2 'SSN') "
                 "Sheet2!B3(r3 c2 '')\n",
                 y.n);
        check("people.xlsx", &y, want);
        free(y.data);
    }
}

/* The workbook's names and order: sheet2.xml is its first sheet, "Notes"; sheet1.xml is "Ann's
 * list", quoted in references with its ' doubled. */
static void test_office_xlsx_sheets(void **state)
{
    (void)state;
    struct mem x = make_xlsx_with(named_workbook, named_rels);
    write_seed("sheets.xlsx", &x);
    char want[1024];
    snprintf(want, sizeof want,
             "COMPLETE - application/vnd.openxmlformats-officedocument.spreadsheetml.sheet %zu\n"
             "CREDIT_CARD_NUMBER 2: Notes!B4(r4 c2 '') 'Ann''s list'!C2(r2 c3 'Card Number')\n"
             "USA_SOCIAL_SECURITY_NUMBER 3: Notes!B3(r3 c2 '') 'Ann''s list'!B2(r2 c2 'SSN') "
             "'Ann''s list'!B5(r5 c2 'SSN')\n",
             x.n);
    check("people.xlsx", &x, want);
    struct rp_dataid_doc doc;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_dataid_doc_extract(RP_DATAID_DOC_XLSX, x.data, x.n, &doc, &eb), RP_OK);
    assert_null(doc.status);
    assert_string_equal(doc.text, "note\n"
                                  "ssn 078-05-1120\n"
                                  "x\tcc# 5500 0000 0000 0004\n"
                                  "Name\tSSN\tCard Number\n"
                                  "Ann Example\t536224817\t4111 1111 1111 1111\n"
                                  "Bob\t219-09-9999\n");
    assert_int_equal(doc.nsheets, 2);
    assert_string_equal(doc.sheets[0], "Notes");
    assert_string_equal(doc.sheets[1], "Ann's list");
    assert_int_equal(doc.ncells, 12);
    assert_int_equal(doc.cells[3].sheet, 0); /* "cc# ..." */
    assert_int_equal(doc.cells[4].sheet, 1); /* "Name" */
    assert_int_equal(doc.cells[4].row, 1);
    rp_dataid_doc_release(&doc);
    free(x.data);

    /* one sheet without its relationship: the named one first, the other after it as
     * "Sheet<N>" */
    struct mem y =
        make_xlsx_with("<workbook " S_NS " " R_NS "><sheets><sheet name=\"Notes\" r:id=\"rId1\"/>"
                       "<sheet name=\"Gone\" r:id=\"rId9\"/></sheets></workbook>",
                       "<Relationships " REL_NS "><Relationship Id=\"rId1\" " WS_REL
                       " Target=\"./worksheets/../worksheets/sheet2.xml\"/></Relationships>");
    snprintf(want, sizeof want,
             "COMPLETE - application/vnd.openxmlformats-officedocument.spreadsheetml.sheet %zu\n"
             "CREDIT_CARD_NUMBER 2: Notes!B4(r4 c2 '') Sheet1!C2(r2 c3 'Card Number')\n"
             "USA_SOCIAL_SECURITY_NUMBER 3: Notes!B3(r3 c2 '') Sheet1!B2(r2 c2 'SSN') "
             "Sheet1!B5(r5 c2 'SSN')\n",
             y.n);
    check("people.xlsx", &y, want);
    free(y.data);
}

/* Sheet names in references as Excel writes them: plain names bare, others quoted (a space, a
 * period, a leading digit, a name that reads as a cell, A1 or R1C1); non-ASCII letters bare;
 * the longest name Excel allows fits beside its last cell; a longer one is cut at a character.
 * Strict OOXML's relationship namespace. */
static void test_office_xlsx_quoting(void **state)
{
    (void)state;
    static const char e_acute[] = "\xc3\xa9", han[] = "\xe8\xa1\xa8";
    char cjk31[3 * 31 + 1] = "", longname[1 + 2 * 100 + 1] = "a";
    for (int i = 0; i < 31; i++) memcpy(cjk31 + 3 * i, han, 4);
    for (int i = 0; i < 100; i++) memcpy(longname + 1 + 2 * i, e_acute, 3);
    const char *const names[] = {"Sheet2",
                                 "My Sheet",
                                 "Q3.data",
                                 "2026",
                                 "A1",
                                 "R2C3",
                                 "C",
                                 "Donn\xc3\xa9"
                                 "es",
                                 cjk31,
                                 longname};
    const char *const refs[] = {"A1", "A1", "A1", "A1", "A1", "A1", "A1", "A1", "XFD1048576", "A1"};
    enum { K = sizeof names / sizeof names[0] };
    struct rp_buf wb, rels;
    rp_buf_init(&wb, 0);
    rp_buf_init(&rels, 0);
    assert_int_equal(rp_buf_printf(&wb, "<workbook " S_NS " xmlns:r=\"http://purl.oclc.org/ooxml/"
                                        "officeDocument/relationships\"><sheets>"),
                     RP_OK);
    assert_int_equal(rp_buf_printf(&rels, "<Relationships " REL_NS ">"), RP_OK);
    struct entry e[3 + K];
    char *sheets[K], parts[K][32];
    e[0] = (struct entry){"[Content_Types].xml", TYPES};
    for (size_t i = 0; i < K; i++) {
        assert_int_equal(rp_buf_printf(&wb, "<sheet name=\"%s\" sheetId=\"%zu\" r:id=\"rId%zu\"/>",
                                       names[i], i + 1, i + 1),
                         RP_OK);
        assert_int_equal(rp_buf_printf(&rels,
                                       "<Relationship Id=\"rId%zu\" Target=\"worksheets/"
                                       "sheet%zu.xml\"/>",
                                       i + 1, K - i),
                         RP_OK);
        snprintf(parts[i], sizeof parts[i], "xl/worksheets/sheet%zu.xml", K - i);
        struct rp_buf b;
        rp_buf_init(&b, 0);
        assert_int_equal(rp_buf_printf(&b,
                                       "<worksheet " S_NS "><sheetData><row><c r=\"%s\" "
                                       "t=\"inlineStr\"><is><t>ssn 078-05-1120</t></is></c>"
                                       "</row></sheetData></worksheet>",
                                       refs[i]),
                         RP_OK);
        size_t n = 0;
        sheets[i] = rp_buf_take(&b, &n);
        e[1 + i] = (struct entry){parts[i], sheets[i]};
    }
    assert_int_equal(rp_buf_printf(&wb, "</sheets></workbook>"), RP_OK);
    assert_int_equal(rp_buf_printf(&rels, "</Relationships>"), RP_OK);
    e[1 + K] = (struct entry){"xl/workbook.xml", wb.data};
    e[2 + K] = (struct entry){"xl/_rels/workbook.xml.rels", rels.data};
    struct mem x = zip_of(e, 3 + K);
    char want[2048];
    int k = snprintf(want, sizeof want,
                     "COMPLETE - application/vnd.openxmlformats-officedocument.spreadsheetml.sheet "
                     "%zu\n"
                     "USA_SOCIAL_SECURITY_NUMBER %d: Sheet2!A1(r1 c1 '') 'My Sheet'!A1(r1 c1 '') "
                     "'Q3.data'!A1(r1 c1 '') '2026'!A1(r1 c1 '') 'A1'!A1(r1 c1 '') "
                     "'R2C3'!A1(r1 c1 '') 'C'!A1(r1 c1 '') Donn\xc3\xa9"
                     "es!A1(r1 c1 '') "
                     "%s!XFD1048576(r1048576 c16384 '') ",
                     x.n, (int)K, cjk31);
    /* cut to fit the 112 bytes: "a", then the 2-byte characters that fit before "!A1" */
    memcpy(want + k, longname, 1 + 2 * 53);
    k += 1 + 2 * 53;
    snprintf(want + k, sizeof want - (size_t)k, "!A1(r1 c1 '')\n");
    check("quoting.xlsx", &x, want);
    for (size_t i = 0; i < K; i++) free(sheets[i]);
    rp_buf_release(&wb);
    rp_buf_release(&rels);
    free(x.data);
}

static void test_office_pptx(void **state)
{
    (void)state;
    struct mem p = make_pptx();
    write_seed("review.pptx", &p);
    char want[1024];
    snprintf(want, sizeof want,
             "COMPLETE - application/vnd.openxmlformats-officedocument.presentationml.presentation "
             "%zu\n"
             "CREDIT_CARD_NUMBER 1: L4-4@13\n"
             "EMAIL_ADDRESS 1: L2-2@10\n"
             "USA_SOCIAL_SECURITY_NUMBER 2: L3-3@5 L6-6@5\n",
             p.n);
    check("deck.pptm", &p, want);
    free(p.data);
}

static void test_office_pdf(void **state)
{
    (void)state;
    static const char *const pages[] = {
        "Invoice 2024-17\nCustomer SSN 536-22-4817",
        "Card number 4111 1111 1111 1111\nmail bob@corp-example.org"};
    struct mem p = make_pdf(pages, 2, false);
    write_seed("invoice.pdf", &p);
    struct rp_dataid_doc doc;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_dataid_doc_extract(RP_DATAID_DOC_PDF, p.data, p.n, &doc, &eb), RP_OK);
    assert_null(doc.status);
    assert_string_equal(doc.text, "Invoice 2024-17\nCustomer SSN 536-22-4817\n"
                                  "Card number 4111 1111 1111 1111\nmail bob@corp-example.org\n");
    assert_int_equal(doc.npages, 2);
    assert_int_equal(doc.pages[1], 41);
    rp_dataid_doc_release(&doc);
    char want[1024];
    snprintf(want, sizeof want,
             "COMPLETE - application/pdf %zu\n"
             "CREDIT_CARD_NUMBER 1: p2 L1-1@13 [12,31)\n"
             "EMAIL_ADDRESS 1: p2 L2-2@6 [37,57)\n"
             "USA_SOCIAL_SECURITY_NUMBER 1: p1 L2-2@14 [29,40)\n",
             p.n);
    check("docs/invoice.pdf", &p, want);
    assert_int_equal(rp_dataid_doc_kind("x.bin", p.data, p.n), RP_DATAID_DOC_PDF);
    free(p.data);
}

static void test_office_not_read(void **state)
{
    (void)state;
    /* a password-protected Office file: an OLE compound file with an EncryptedPackage stream */
    struct mem cfb = {calloc(1, 1536), 1536};
    assert_non_null(cfb.data);
    memcpy(cfb.data, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8);
    static const char name[] = "EncryptedPackage";
    for (size_t i = 0; i < 16; i++) cfb.data[512 + 128 + 2 * i] = name[i];
    cfb.data[512 + 128 + 64] = 34;
    cfb.data[512 + 128 + 66] = 2;
    write_seed("secret.docx", &cfb);
    check("secret.docx", &cfb,
          "SKIPPED UNSUPPORTED_OBJECT_TYPE "
          "application/vnd.openxmlformats-officedocument.wordprocessingml.document 0\n"
          "an encrypted document (password-protected Office file)\n");
    assert_int_equal(rp_dataid_doc_kind("secret", cfb.data, cfb.n), RP_DATAID_DOC_OOXML);
    check("secret", &cfb,
          "SKIPPED UNSUPPORTED_OBJECT_TYPE application/x-ole-storage 0\n"
          "an encrypted document (password-protected Office file)\n");
    cfb.data[512 + 128 + 66] = 1; /* a storage, not the stream: an old binary file */
    assert_int_equal(rp_dataid_doc_kind("old.doc", cfb.data, cfb.n), RP_DATAID_DOC_NONE);
    check("old.xlsx", &cfb,
          "SKIPPED UNSUPPORTED_OR_DAMAGED "
          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet 0\n"
          "not an Office Open XML package (an OLE compound file)\n");
    free(cfb.data);

    /* damaged XML, a DTD, no main part, not a zip */
    struct mem bad = make_docx("<?xml version=\"1.0\"?><w:document " W_NS "><w:body><w:p>");
    check("bad.docx", &bad,
          "SKIPPED UNSUPPORTED_OR_DAMAGED "
          "application/vnd.openxmlformats-officedocument.wordprocessingml.document 0\n"
          "a damaged document: 'word/document.xml' is not well-formed XML\n");
    write_seed("bad.docx", &bad);
    free(bad.data);
    struct mem dtd = make_docx("<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY a \"aaaa\">]>"
                               "<d>&a;</d>");
    check("dtd.docx", &dtd,
          "SKIPPED UNSUPPORTED_OR_DAMAGED "
          "application/vnd.openxmlformats-officedocument.wordprocessingml.document 0\n"
          "a damaged document: 'word/document.xml' has a DTD\n");
    free(dtd.data);
    const struct entry only_types[] = {{"[Content_Types].xml", TYPES}};
    struct mem empty = zip_of(only_types, 1);
    check("empty.pptx", &empty,
          "SKIPPED UNSUPPORTED_OR_DAMAGED "
          "application/vnd.openxmlformats-officedocument.presentationml.presentation 0\n"
          "a damaged document: no main part ('ppt/presentation.xml')\n");
    free(empty.data);
    struct mem notzip = {"PK\3\4 not a zip", 14};
    check("cut.xlsx", &notzip,
          "SKIPPED UNSUPPORTED_OR_DAMAGED "
          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet 0\n"
          "a damaged document: a damaged zip package\n");

    /* 4 MiB of text compressed to a few KiB: past RP_DATAID_MAX_RATIO times the file */
    size_t big = 4u << 20;
    char *xml = malloc(big + 400);
    assert_non_null(xml);
    int k = snprintf(xml, 200, "<w:document " W_NS "><w:body><w:p><w:r><w:t>");
    memset(xml + k, 'a', big);
    snprintf(xml + k + big, 400 - (size_t)k, "</w:t></w:r></w:p></w:body></w:document>");
    struct mem bomb = make_docx(xml);
    free(xml);
    assert_true(bomb.n < 20000);
    check("bomb.docx", &bomb,
          "SKIPPED ARCHIVE_EXPANSION_LIMIT "
          "application/vnd.openxmlformats-officedocument.wordprocessingml.document 0\n"
          "the document expands past its limit at 'word/document.xml'\n");
    free(bomb.data);

    /* PDFs: a password, damage */
    static const char *const pages[] = {"ssn 536-22-4817"};
    struct mem enc = make_pdf(pages, 1, true);
    write_seed("locked.pdf", &enc);
    check("locked.pdf", &enc,
          "SKIPPED UNSUPPORTED_OBJECT_TYPE application/pdf 0\n"
          "an encrypted PDF (password-protected)\n");
    free(enc.data);
    struct mem cut = {"%PDF-1.4\n1 0 obj\n<< /Type", 25};
    check("cut.pdf", &cut,
          "SKIPPED UNSUPPORTED_OR_DAMAGED application/pdf 0\n"
          "a damaged PDF\n");
}

/* Objects through the walk: a document inside a zip is a document, and one not read is
 * reported with its status and reason, not given a result. */
static rp_err on_object(void *ctx, const struct rp_dataid_object *o, struct rp_errbuf *eb)
{
    (void)eb;
    struct rp_buf *b = ctx;
    if (o->result)
        return rp_buf_printf(b, "%s %s %s %zu\n", o->path, o->ref.key, o->result->mime_type,
                             o->result->ndet);
    return rp_buf_printf(b, "%s %s %s: %s\n", o->path, o->ref.key, o->status, o->reason);
}

static void test_office_in_archive(void **state)
{
    (void)state;
    struct mem x = make_xlsx();
    struct mem bad = make_docx("<w:document " W_NS "><w:body>");
    size_t cap = 1u << 20, used = 0;
    char *buf = malloc(cap);
    assert_non_null(buf);
    struct archive *a = archive_write_new();
    archive_write_set_format_zip(a);
    assert_int_equal(archive_write_open_memory(a, buf, cap, &used), ARCHIVE_OK);
    const struct mem *m[] = {&x, &bad};
    const char *names[] = {"in/people.xlsx", "in/bad.docx"};
    for (size_t i = 0; i < 2; i++) {
        struct archive_entry *en = archive_entry_new();
        archive_entry_set_pathname(en, names[i]);
        archive_entry_set_filetype(en, AE_IFREG);
        archive_entry_set_perm(en, 0644);
        archive_entry_set_size(en, (la_int64_t)m[i]->n);
        assert_int_equal(archive_write_header(a, en), ARCHIVE_OK);
        assert_int_equal(archive_write_data(a, m[i]->data, m[i]->n), (la_ssize_t)m[i]->n);
        archive_entry_free(en);
    }
    assert_int_equal(archive_write_close(a), ARCHIVE_OK);
    archive_write_free(a);
    struct rp_buf out;
    rp_buf_init(&out, 0);
    struct rp_dataid_object_ref ref = {.bucket = "b", .key = "k/pack.zip", .size = (int64_t)used};
    struct rp_dataid_walk_stats st;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_dataid_classify_object(g_set, g_sc, &ref, "s3://b/k/pack.zip", buf, used,
                                               on_object, &out, &st, &eb),
                     RP_OK);
    assert_string_equal(out.data,
                        "s3://b/k/pack.zip!/in/people.xlsx k/pack.zip!/in/people.xlsx "
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet 2\n"
                        "s3://b/k/pack.zip!/in/bad.docx k/pack.zip!/in/bad.docx "
                        "UNSUPPORTED_OR_DAMAGED: a damaged document: 'word/document.xml' is not "
                        "well-formed XML\n");
    assert_int_equal(st.objects, 1);
    assert_int_equal(st.skipped, 1);
    assert_int_equal(st.bytes, (int64_t)x.n);
    rp_buf_release(&out);
    free(buf);
    free(x.data);
    free(bad.data);
}

/* The locators as the discovery results write them (Macie's casing) and in ASFF. */
static void test_office_json(void **state)
{
    (void)state;
    struct mem x = make_xlsx();
    static const char *const pages[] = {"x", "Customer SSN 536-22-4817"};
    struct mem p = make_pdf(pages, 2, false);
    struct rp_dataid_result r;
    struct rp_errbuf eb = {0};
    struct rp_dataid_object_ref o = {.bucket = "b", .key = "people.xlsx", .size = (int64_t)x.n};
    struct rp_buf b;
    rp_buf_init(&b, 0);
    assert_int_equal(rp_dataid_classify(g_set, g_sc, "people.xlsx", x.data, x.n, &r, &eb), RP_OK);
    assert_int_equal(rp_dataid_result_json(&r, &o, &b, &eb), RP_OK);
    assert_non_null(strstr(b.data, "\"detections\":[{\"count\":2,\"type\":\"CREDIT_CARD_NUMBER\","
                                   "\"occurrences\":{\"cells\":[{\"row\":2,\"column\":3,"
                                   "\"columnName\":\"Card Number\",\"cellReference\":"
                                   "\"Sheet1!C2\"},{\"row\":4,\"column\":2,\"cellReference\":"
                                   "\"Sheet2!B4\"}]}}]"));
    rp_buf_reset(&b);
    assert_int_equal(rp_dataid_finding_asff(&r, &o, &b, &eb), RP_OK);
    assert_non_null(strstr(b.data, "\"Cells\":[{\"Row\":2,\"Column\":2,\"ColumnName\":\"SSN\","
                                   "\"CellReference\":\"Sheet1!B2\"},"));
    rp_dataid_result_release(&r);
    o.key = "a.pdf";
    assert_int_equal(rp_dataid_classify(g_set, g_sc, "a.pdf", p.data, p.n, &r, &eb), RP_OK);
    rp_buf_reset(&b);
    assert_int_equal(rp_dataid_result_json(&r, &o, &b, &eb), RP_OK);
    assert_non_null(strstr(b.data, "\"occurrences\":{\"pages\":[{\"pageNumber\":2,\"lineRange\":"
                                   "{\"start\":1,\"end\":1,\"startColumn\":14},\"offsetRange\":"
                                   "{\"start\":13,\"end\":24}}]}"));
    rp_buf_reset(&b);
    assert_int_equal(rp_dataid_finding_asff(&r, &o, &b, &eb), RP_OK);
    assert_non_null(strstr(b.data, "\"Occurrences\":{\"Pages\":[{\"PageNumber\":2,\"LineRange\":"
                                   "{\"Start\":1,\"End\":1,\"StartColumn\":14},\"OffsetRange\":"
                                   "{\"Start\":13,\"End\":24}}]}"));
    rp_dataid_result_release(&r);
    rp_buf_release(&b);
    free(x.data);
    free(p.data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_office_docx),        cmocka_unit_test(test_office_xlsx),
        cmocka_unit_test(test_office_xlsx_sheets), cmocka_unit_test(test_office_xlsx_quoting),
        cmocka_unit_test(test_office_pptx),        cmocka_unit_test(test_office_pdf),
        cmocka_unit_test(test_office_not_read),    cmocka_unit_test(test_office_in_archive),
        cmocka_unit_test(test_office_json),
    };
    return cmocka_run_group_tests_name("dataid_office", tests, setup, teardown);
}
