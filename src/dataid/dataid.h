/* SPDX-License-Identifier: Apache-2.0 */
/* rp_dataid: sensitive data discovery (Macie, issue 8, DESIGN.md §8).
 *
 * Managed data identifiers are data: one YAML file per identifier under data/dataid/
 * (embedded at build time; layout in docs/discover.md "Identifier files"), each with Macie's
 * id and category, a regular expression, an optional validator (C, this header's registry),
 * keywords and the distance within which one must precede the match, and samples that a test
 * runs. Custom identifiers and allow lists follow Macie's definitions.
 *
 * A set of identifiers is compiled once into one multi-pattern matcher (core/rp_re.h:
 * Hyperscan where it serves, PCRE2 otherwise) and is then immutable: scans may run from
 * several threads, each with its own scratch. */
#ifndef RP_DATAID_H
#define RP_DATAID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "core/rp_err.h"
#include "core/rp_str.h"

/* ---- validators (dataid_validate_*.c, dataid_validators.def) ----------------------------- */

/* A check-digit or structure rule applied to a candidate match: p[0..n) is the matched text
 * exactly as it appears (separators included); true keeps the match. Pure, thread-safe. */
typedef bool (*rp_dataid_validate_fn)(const char *p, size_t n);

struct rp_dataid_validator {
    const char *name;    /* "luhn", "iban_mod97", "usa_ssn" (as identifier files name it) */
    const char *summary; /* one line: what is checked */
    rp_dataid_validate_fn validate;
};

/* Registry, NULL-terminated, in dataid_validators.def order. */
extern const struct rp_dataid_validator *const rp_dataid_validators[];
/* The validator named name, or NULL. */
const struct rp_dataid_validator *rp_dataid_validator_find(const char *name);

/* ---- identifiers ----------------------------------------------------------------------------- */

enum rp_dataid_category {
    RP_DATAID_CREDENTIALS,
    RP_DATAID_FINANCIAL,
    RP_DATAID_PERSONAL,
    RP_DATAID_CUSTOM,
};
/* Macie's names: "CREDENTIALS", "FINANCIAL_INFORMATION", "PERSONAL_INFORMATION",
 * "CUSTOM_IDENTIFIER". */
const char *rp_dataid_category_name(enum rp_dataid_category c);

/* What must surround a match (checked on the bytes just outside it). */
enum rp_dataid_boundary {
    RP_DATAID_BOUND_NONE,  /* nothing */
    RP_DATAID_BOUND_DIGIT, /* no ASCII digit just before or after */
    RP_DATAID_BOUND_ALNUM, /* no ASCII letter or digit just before or after */
    RP_DATAID_BOUND_WORD,  /* no letter, digit or '_' just before or after */
};

/* How keywords decide. */
enum rp_dataid_keywords {
    RP_DATAID_KW_NONE,      /* keywords are not looked at */
    RP_DATAID_KW_REQUIRED,  /* a keyword must precede the match within max_distance */
    RP_DATAID_KW_FORBIDDEN, /* reported only when no keyword precedes it (the _(NO_KEYWORD)
                               twin of an identifier that requires one) */
};

struct rp_dataid_ident {
    const char *id;   /* Macie's id: "CREDIT_CARD_NUMBER"; a custom identifier's name */
    const char *name; /* human name: "Credit card number" */
    bool rampart;     /* origin: rampart: an identifier Macie does not have (token formats of
                         other services, e-mail addresses), named like Macie's */
    enum rp_dataid_category category;
    const char *regex; /* PCRE2 syntax (see docs/discover.md for what Hyperscan takes) */
    bool caseless;
    enum rp_dataid_boundary boundary;
    const struct rp_dataid_validator *validator; /* or NULL */
    enum rp_dataid_keywords keyword_mode;
    const char *const *keywords; /* case-insensitive phrases */
    size_t nkeywords;
    unsigned max_distance; /* characters from a keyword's end to the match's end (Macie's
                              maximumMatchDistance), default 50 */
    unsigned digit_run;    /* 0, or: every match starts with a digit, is made of digits, spaces
                              and dashes, and holds at least this many digits (a prefilter for an
                              identifier that needs no keyword: only such runs are searched) */
    const char *run_bytes; /* NULL, or: every match is made of these bytes (up to 6 single
                              bytes or ranges, "A-Z0-9 ") and is at least run_length long, so
                              only runs of such bytes that long are searched (a prefilter) */
    unsigned run_length;
    const char *const *run_needs; /* with run_bytes: every match also holds bytes of these
                                     classes in a row ("a-z", " '-", "A-Z", "a-z"); only runs
                                     holding them are searched. An identifier that needs a
                                     keyword uses run_bytes only where it is searched over a
                                     whole file (a CSV column or JSON keys name it) */
    size_t nrun_needs;
    const char *const *ignore_words; /* case-sensitive: a match containing one is dropped */
    size_t nignore;
    /* custom identifiers: Macie's severityLevels, ascending thresholds; a count below the
     * first makes no finding; none given = one level {1, Medium} */
    struct {
        int64_t threshold;
        int severity; /* 1 Low, 2 Medium, 3 High */
    } levels[3];
    size_t nlevels;
    const char *file; /* the identifier file ("dataid/financial/CREDIT_CARD_NUMBER.yaml"), or
                         NULL for custom identifiers */
    /* the file's samples (tests run them): texts with exactly one match, the value it must
     * have (NULL = any), and texts without a match */
    const char *const *match_texts, *const *match_values;
    size_t nmatch;
    const char *const *no_match_texts;
    size_t nno_match;
};

/* ---- a set of identifiers ------------------------------------------------------------------ */

struct rp_dataid_set;

/* An empty set. RP_ENOMEM. */
rp_err rp_dataid_set_new(struct rp_dataid_set **out, struct rp_errbuf *eb) RP_WUR;
void rp_dataid_set_free(struct rp_dataid_set *s); /* NULL is a no-op */

/* Add the managed identifiers (every data/dataid/<category>/<ID>.yaml, built in or from the
 * --data-dir overlay); only (n ids) keeps those ids, NULL = all. RP_EPARSE naming the file and
 * the problem for a bad identifier file; RP_ENOENT naming an id of only that does not exist. */
rp_err rp_dataid_set_add_managed(struct rp_dataid_set *s, const char *const *only, size_t nonly,
                                 struct rp_errbuf *eb) RP_WUR;

/* Add one identifier from the YAML of an identifier file (file names it in messages; a custom
 * identifier has category CUSTOM_IDENTIFIER). RP_EPARSE "dataid: <file>: <problem>". */
rp_err rp_dataid_set_add_yaml(struct rp_dataid_set *s, const char *file, const char *yaml, size_t n,
                              struct rp_errbuf *eb) RP_WUR;

/* Allow lists (Macie's): an occurrence whose text equals one of the phrases (one per line of
 * text[0..n), ASCII case-insensitive, blank lines ignored), or that the regex matches in
 * full, is not reported. */
rp_err rp_dataid_set_allow_phrases(struct rp_dataid_set *s, const char *text, size_t n,
                                   struct rp_errbuf *eb) RP_WUR;
rp_err rp_dataid_set_allow_regex(struct rp_dataid_set *s, const char *regex,
                                 struct rp_errbuf *eb) RP_WUR;

/* Compile the patterns; after this the set is immutable and may be scanned by threads (each
 * with its own scratch). RP_EPARSE naming the identifier whose regex PCRE2 refuses. */
rp_err rp_dataid_set_compile(struct rp_dataid_set *s, struct rp_errbuf *eb) RP_WUR;

/* Scans search identifiers that need a keyword only after their keywords (and over the whole
 * of a structured file whose header or keys name them), which finds the same matches as
 * searching everywhere; with on, they are searched everywhere: the reference the tests hold
 * the windows to. */
void rp_dataid_set_exhaustive(struct rp_dataid_set *s, bool on);

/* Reveal (Macie's "reveal samples"): with on, classification also keeps the clear text of the
 * first RP_DATAID_MAX_REVEAL occurrences of each type in rp_dataid_occurrence.value, for the
 * caller to show the user; no writer of this library (findings, discovery results) ever writes
 * it. Off by default, and then value is "". */
#define RP_DATAID_MAX_REVEAL 10
void rp_dataid_set_reveal(struct rp_dataid_set *s, bool on);
bool rp_dataid_set_reveals(const struct rp_dataid_set *s);

size_t rp_dataid_set_count(const struct rp_dataid_set *s);
/* Identifier i (< count), in load order; borrowed for the set's life. */
const struct rp_dataid_ident *rp_dataid_set_ident(const struct rp_dataid_set *s, size_t i);
/* The identifier with id, or NULL. */
const struct rp_dataid_ident *rp_dataid_set_find(const struct rp_dataid_set *s, const char *id);

/* ---- scanning a buffer ------------------------------------------------------------------- */

struct rp_dataid_scratch;
rp_err rp_dataid_scratch_new(const struct rp_dataid_set *s, struct rp_dataid_scratch **out) RP_WUR;
void rp_dataid_scratch_free(struct rp_dataid_scratch *sc);

/* One occurrence: buf[start..end) is sensitive data of ident. */
struct rp_dataid_match {
    const struct rp_dataid_ident *ident;
    size_t start, end;
};
typedef rp_err (*rp_dataid_match_fn)(const struct rp_dataid_match *m, void *ctx,
                                     struct rp_errbuf *eb);

/* Every occurrence in buf[0..n), in order of end offset: candidates of the one-pass match,
 * kept when the boundary holds, the validator accepts the text, the keyword rule holds
 * (a keyword ending at most max_distance characters before the match's end, and before its
 * start), no ignore word is in it and no allow list covers it. fn's error stops the scan. */
rp_err rp_dataid_scan(const struct rp_dataid_set *s, struct rp_dataid_scratch *sc, const char *buf,
                      size_t n, rp_dataid_match_fn fn, void *ctx, struct rp_errbuf *eb) RP_WUR;

/* What the text around a match does not show: structured files name a value's column or
 * field elsewhere (a CSV header, a JSON key). context_keyword (may be NULL) says whether the
 * context of the match starting at start holds one of d's keywords; it counts as a keyword
 * before the match. */
struct rp_dataid_scan_opts {
    bool (*context_keyword)(void *ctx, const struct rp_dataid_ident *d, size_t start);
    void *ctx;
    /* Where context keywords can be, so that identifiers that need a keyword are searched
     * there too (elsewhere they are searched only after their keywords): */
    size_t header_end; /* CSV/TSV: the header row's end; a keyword there: the whole buffer */
    bool json;         /* a keyword in a key: its scalar value is searched to its end */
    bool whole;        /* any keyword in the buffer: the whole buffer (SQL COPY columns) */
};
rp_err rp_dataid_scan_ex(const struct rp_dataid_set *s, struct rp_dataid_scratch *sc,
                         const char *buf, size_t n, const struct rp_dataid_scan_opts *opts,
                         rp_dataid_match_fn fn, void *ctx, struct rp_errbuf *eb) RP_WUR;

/* True when p[0..n) contains one of d's keywords (case-insensitive; '_', '-' and ' ' alike). */
bool rp_dataid_keyword_in(const struct rp_dataid_ident *d, const char *p, size_t n);

/* ---- objects: files and S3 objects (dataid_object.c) ---------------------------------------- */

#define RP_DATAID_MAX_OCCURRENCES 15 /* per detection type, as Macie reports them */

/* Where an occurrence is, as Macie locates it. */
enum rp_dataid_loc {
    RP_DATAID_LOC_LINES,   /* lineRanges: 1-based lines and start column */
    RP_DATAID_LOC_CELLS,   /* cells: 1-based row and column, the column's name (CSV/TSV) */
    RP_DATAID_LOC_RECORDS, /* records: 0-based record (line of JSON Lines), JSON path */
    RP_DATAID_LOC_PAGES,   /* pages: 1-based page, the lines within it, offsets within it (PDF) */
};

struct rp_dataid_occurrence {
    enum rp_dataid_loc kind;
    int64_t start, end;               /* LINES, PAGES: first and last line (PAGES: of the page) */
    int64_t start_column;             /* LINES, PAGES: 1-based column of the first byte */
    int64_t row, column;              /* CELLS */
    char column_name[64];             /* CELLS: from the header row, "" when none */
    char cell_reference[112];         /* CELLS of a workbook: the absolute reference as Excel
                                         writes it, "Sheet2!C5", "'My Sheet'!C5" ("" for
                                         CSV/TSV); room for any 31-character sheet name */
    int64_t page_number;              /* PAGES: 1-based */
    int64_t offset_start, offset_end; /* PAGES: bytes from the start of the page's text to the
                                         first byte and past the last one */
    int64_t record_index;             /* RECORDS */
    char json_path[128];              /* RECORDS: "$.customer.card" ("$" at the top) */
    char redacted[40];                /* a redacted sample of the value ("****1111") */
    char value[128]; /* the value in clear, only when the set reveals (rp_dataid_set_reveal):
                        control characters as '?', cut at a character boundary; else "" */
};

/* One detection type of an object: an identifier, how many times, where (the first 15). */
struct rp_dataid_detection {
    const struct rp_dataid_ident *ident;
    int64_t count;
    struct rp_dataid_occurrence occ[RP_DATAID_MAX_OCCURRENCES];
    size_t nocc;
};

/* Macie's classification result of one object. */
struct rp_dataid_result {
    const char *mime_type; /* "text/plain", "text/csv", "text/tab-separated-values",
                              "application/json", "application/x-ndjson", Office Open XML's
                              (rp_dataid_doc_mime), "application/pdf" */
    int64_t size_classified;
    const char *status; /* "COMPLETE", or "SKIPPED"/"ERROR" with reason */
    const char *reason; /* with SKIPPED: Macie-style code ("UNSUPPORTED_OR_DAMAGED") */
    char detail[160];   /* with SKIPPED: the reason in words ("an encrypted document") */
    struct rp_dataid_detection *det; /* one per identifier found, in set order */
    size_t ndet;
    bool additional_occurrences; /* some type had more than RP_DATAID_MAX_OCCURRENCES */
};

/* Classify buf[0..n) as the object named name (its extension chooses the locators: .csv and
 * .tsv by cell, .json, .jsonl and .ndjson by record and JSON path, everything else by line;
 * a CSV column's header and a JSON value's key count as keywords of its values). A document
 * (rp_dataid_doc_kind: Word, Excel, PowerPoint, PDF) is classified by its text: Word and
 * PowerPoint by line (a paragraph a line), workbooks by cell (row, column, the name in the
 * sheet's first row, "Sheet1!B7"; that name counts as a keyword as a CSV header does), PDF by page
 * (page number, line range in the page); size_classified is then the document's size. A
 * document that cannot be read (encrypted, damaged, past a limit) gives status "SKIPPED", the
 * code in reason and the words in detail, and RP_OK. out is filled (release with
 * rp_dataid_result_release). fn-free: occurrences are counted, not reported one by one. */
rp_err rp_dataid_classify(const struct rp_dataid_set *s, struct rp_dataid_scratch *sc,
                          const char *name, const char *buf, size_t n, struct rp_dataid_result *out,
                          struct rp_errbuf *eb) RP_WUR;
void rp_dataid_result_release(struct rp_dataid_result *r);

/* ---- archives (dataid_archive.c) --------------------------------------------------------- */

#define RP_DATAID_MAX_NESTING 3            /* an archive in an archive in an archive */
#define RP_DATAID_MAX_MEMBER  (256u << 20) /* bytes of one member */
#define RP_DATAID_MAX_RATIO   100u         /* all members together, times the archive's size */

/* True when an object named name with these first bytes is a zip or tar archive (plain or
 * compressed: .tar.gz, .tgz, .tar.bz2, .tar.xz, .tar.zst), and not a document (an Office Open
 * XML file is a zip, but rp_dataid_doc_kind comes first). */
bool rp_dataid_is_archive(const char *name, const char *buf, size_t n);

/* One member: path is "<archive>!/<member>" (nested: "a.zip!/b.tar!/c.csv"); data[0..n) its
 * bytes, or data NULL with status a Macie-style reason it was not read ("OBJECT_OVERSIZE",
 * "ARCHIVE_EXPANSION_LIMIT", "UNSUPPORTED_OR_DAMAGED"). */
typedef rp_err (*rp_dataid_member_fn)(void *ctx, const char *path, const char *data, size_t n,
                                      const char *status, struct rp_errbuf *eb);

/* Every regular member of the archive name (buf[0..n)), nested archives opened (up to
 * RP_DATAID_MAX_NESTING), in archive order. fn's error stops the walk and is returned. */
rp_err rp_dataid_archive_each(const char *name, const char *buf, size_t n, rp_dataid_member_fn fn,
                              void *ctx, struct rp_errbuf *eb) RP_WUR;

/* ---- documents: Office Open XML (dataid_office.c) and PDF (dataid_pdf.c) ----------------- */

#define RP_DATAID_MAX_CELLS (4u << 20) /* non-empty cells of a workbook */

enum rp_dataid_doc_kind {
    RP_DATAID_DOC_NONE,
    RP_DATAID_DOC_DOCX,  /* .docx .docm .dotx .dotm, or a zip with word/document.xml */
    RP_DATAID_DOC_XLSX,  /* .xlsx .xlsm .xltx .xltm, or a zip with xl/workbook.xml */
    RP_DATAID_DOC_PPTX,  /* .pptx .pptm .potx .potm .ppsx .ppsm, or ppt/presentation.xml */
    RP_DATAID_DOC_PDF,   /* .pdf, or bytes starting "%PDF-" */
    RP_DATAID_DOC_OOXML, /* otherwise named: an encrypted package (an OLE container holding
                            an EncryptedPackage stream) */
};

/* The kind of document an object named name with bytes buf[0..n) is: by extension first,
 * else by content (a zip whose central directory has [Content_Types].xml and the main part of
 * a kind, "%PDF-", an encrypted package). Pure. */
enum rp_dataid_doc_kind rp_dataid_doc_kind(const char *name, const char *buf, size_t n);
/* Macie's mimeType of a kind ("application/vnd.openxmlformats-officedocument.
 * wordprocessingml.document", ...; "application/pdf"), "" for none. */
const char *rp_dataid_doc_mime(enum rp_dataid_doc_kind k);

/* A workbook cell's text: text[start..end), its 1-based row and column, its sheet (0-based,
 * in the order the sheets are read; rp_dataid_doc.sheets names it), and the index of its
 * column's header cell (the cell of that column in the sheet's first non-empty row) or -1
 * (none, or the cell is a header). */
struct rp_dataid_doc_cell {
    uint32_t start, end;
    uint32_t row;
    uint16_t column, sheet;
    int32_t header;
};

/* A document's text, as extracted: Word: a line per paragraph (of the body, then headers,
 * footers, footnotes, endnotes, comments), tabs as spaces, breaks as new lines; PowerPoint: a
 * line per paragraph of each slide in slide order; Excel: each sheet's rows a line each, the
 * non-empty cells of a row separated by tabs (shared strings, inline strings, values as
 * stored), with cells[] in text order; PDF: each page's text (poppler), ending with a new
 * line, pages[] where each page starts. Not read: status (Macie-style code) and reason.
 *
 * A workbook's sheets are read in the workbook's order (xl/workbook.xml's <sheets>, each
 * mapped to its worksheet part through xl/_rels/workbook.xml.rels) and named as there
 * ("My Sheet"); a worksheet part they do not name (either file missing or damaged, or no
 * relationship leads to it) follows, in part-number order, named "Sheet<N>" after its part
 * (xl/worksheets/sheet3.xml: "Sheet3"). */
struct rp_dataid_doc {
    enum rp_dataid_doc_kind kind;
    char *text; /* owned; NUL-terminated */
    size_t len;
    struct rp_dataid_doc_cell *cells; /* XLSX; owned */
    size_t ncells;
    size_t *pages; /* PDF; owned */
    size_t npages;
    char **sheets; /* XLSX: each sheet's name as the workbook gives it (cells[].sheet indexes
                      it; UTF-8, not quoted); owned, as are the names */
    size_t nsheets;
    const char *status; /* NULL when read; "UNSUPPORTED_OR_DAMAGED", "UNSUPPORTED_OBJECT_TYPE"
                           (encrypted), "OBJECT_OVERSIZE", "ARCHIVE_EXPANSION_LIMIT" */
    char reason[160];   /* with status: one line in words */
};

/* Extract the text of the document buf[0..n) of kind k into *out (release with
 * rp_dataid_doc_release, also after an error). A document that cannot be read is not an error:
 * out->status says why. Parts are bounded as archive members are (RP_DATAID_MAX_MEMBER each,
 * RP_DATAID_MAX_RATIO times n in all), the text by RP_DATAID_MAX_MEMBER, the cells by
 * RP_DATAID_MAX_CELLS. XML is read without network, DTDs or entity expansion. RP_ENOMEM. */
rp_err rp_dataid_doc_extract(enum rp_dataid_doc_kind k, const char *buf, size_t n,
                             struct rp_dataid_doc *out, struct rp_errbuf *eb) RP_WUR;
void rp_dataid_doc_release(struct rp_dataid_doc *d);
/* The formats' halves of rp_dataid_doc_extract (out is zeroed by the caller). */
rp_err rp_dataid_office_extract(enum rp_dataid_doc_kind k, const char *buf, size_t n,
                                struct rp_dataid_doc *out, struct rp_errbuf *eb) RP_WUR;
rp_err rp_dataid_pdf_extract(const char *buf, size_t n, struct rp_dataid_doc *out,
                             struct rp_errbuf *eb) RP_WUR;

/* ---- findings (dataid_finding.c) ---------------------------------------------------------- */

/* The Macie finding of a classified object: type SensitiveData:S3Object/<Credentials|
 * Financial|Personal|CustomIdentifier|Multiple>, severity, and the result as Macie's
 * classificationDetails, written as ASFF (Resources[].DataClassification carries the
 * detections) into out. bucket and key name the object (for a local file: the scanned
 * directory's name and the path under it). Returns RP_ENOENT (nothing written) when the
 * result has no detection. */
struct rp_dataid_object_ref {
    const char *account, *region; /* NULL: "000000000000", "us-east-1" */
    const char *bucket, *key;
    int64_t size, last_modified_ms;
    const char *job_id; /* or NULL */
    int64_t now_ms;
};
struct rp_buf;
rp_err rp_dataid_finding_asff(const struct rp_dataid_result *r,
                              const struct rp_dataid_object_ref *o, struct rp_buf *out,
                              struct rp_errbuf *eb) RP_WUR;

/* ---- policy findings (dataid_policy.c) ---------------------------------------------------- */

/* One finding document (ASFF text doc[0..n)) of type on resource; borrowed for the call. */
typedef rp_err (*rp_dataid_doc_fn)(void *ctx, const char *type, const char *resource,
                                   const char *doc, size_t n, struct rp_errbuf *eb);

/* Macie's policy findings (Policy:IAMUser/S3BucketPublic, S3BucketSharedExternally,
 * S3BucketReplicatedExternally, S3BlockPublicAccessDisabled, S3BucketEncryptionDisabled)
 * from the current AWS::S3::Bucket and AWS::S3::AccountPublicAccessBlock configuration items
 * of st, one per bucket and type, in bucket order, each to fn as ASFF. "External" means an
 * account the store holds no item of. *n (may be NULL) counts them. Store errors, RP_ENOMEM,
 * fn's error. */
struct rp_store;
rp_err rp_dataid_policy_findings(struct rp_store *st, int64_t now_ms, rp_dataid_doc_fn fn,
                                 void *ctx, size_t *n, struct rp_errbuf *eb) RP_WUR;

/* Macie's "sensitive data discovery result" of one object, as one JSON object (a line of
 * `discover scan --results FILE`), in Macie's record layout: version, jobId,
 * resourcesAffected{s3Bucket{arn, name, ownerId}, s3Object{bucketArn, key, path, extension,
 * size, lastModified}}, classificationDetails{jobId, originType, result{status{code, reason},
 * mimeType, sizeClassified, additionalOccurrences, sensitiveData, customDataIdentifiers}}.
 * Written for every object, with or without detections; an object not read has status code
 * SKIPPED and the reason. */
rp_err rp_dataid_result_json(const struct rp_dataid_result *r, const struct rp_dataid_object_ref *o,
                             struct rp_buf *out, struct rp_errbuf *eb) RP_WUR;

/* Macie's finding type and severity ("Low", "Medium", "High" and 1-3) of a result. */
const char *rp_dataid_finding_type(const struct rp_dataid_result *r);
void rp_dataid_finding_severity(const struct rp_dataid_result *r, const char **label, int *score);

/* ---- local files and directories (dataid_walk.c) ------------------------------------------ */

#define RP_DATAID_MAX_OBJECT (512u << 20) /* larger files are reported, not read */

/* One object met by rp_dataid_classify_paths: a file, or a member of an archive file. */
struct rp_dataid_object {
    const char *path;                      /* as shown: "dir/a.zip!/x.csv" */
    struct rp_dataid_object_ref ref;       /* bucket: the scanned directory's name ("local"
                                              for a file given directly); key: the path under
                                              it, "a.zip!/x.csv" for a member */
    const struct rp_dataid_result *result; /* NULL when the object was not read */
    const char *status;                    /* NULL when read; else Macie-style: "OBJECT_OVERSIZE",
                                              "ARCHIVE_EXPANSION_LIMIT",
                                              "UNSUPPORTED_OR_DAMAGED",
                                              "UNSUPPORTED_OBJECT_TYPE" (an encrypted
                                              document), "ERROR" */
    const char *reason;                    /* with status: one line naming the problem */
};
typedef rp_err (*rp_dataid_object_fn)(void *ctx, const struct rp_dataid_object *o,
                                      struct rp_errbuf *eb);

struct rp_dataid_walk_stats {
    int64_t objects; /* classified */
    int64_t bytes;   /* their bytes (decompressed) */
    int64_t skipped; /* not read: oversize, limits, damage */
    int64_t failed;  /* could not be read at all (errors) */
};

/* Classify every file under paths (gzip read decompressed, zip and tar archives member by
 * member, Office and PDF documents by their text: one that cannot be read, such as an
 * encrypted one, is reported with its status and reason), calling fn for each object, read or
 * not. fn's error stops the walk and is
 * returned; problems with single files are reported through fn (status, reason) and counted,
 * and the walk goes on. */
rp_err rp_dataid_classify_paths(const struct rp_dataid_set *s, struct rp_dataid_scratch *sc,
                                const char *const *paths, size_t npaths, int64_t now_ms,
                                rp_dataid_object_fn fn, void *ctx, struct rp_dataid_walk_stats *st,
                                struct rp_errbuf *eb) RP_WUR;

/* What a caller may add to the walk of rp_dataid_classify_paths_ex (any member may be 0). */
struct rp_dataid_walk_opts {
    const char *job_id; /* put in every object's ref */
    /* Before a file is read, and before an entry that could not be examined is reported: *read
     * false leaves it out (it is neither read nor given to fn). ref names it as fn would see
     * it; st is the file's status (NULL for an entry that could not be examined). An error
     * stops the walk. */
    rp_err (*want)(void *ctx, const struct rp_dataid_object_ref *ref, const struct stat *st,
                   bool *read, struct rp_errbuf *eb);
    /* After each path given: dir when it was a directory, whole when everything under it
     * could be examined (a listing one can prune checkpoints against). */
    rp_err (*root_done)(void *ctx, const char *root, bool dir, bool whole, struct rp_errbuf *eb);
};

/* As rp_dataid_classify_paths, with opts (NULL: none). */
rp_err rp_dataid_classify_paths_ex(const struct rp_dataid_set *s, struct rp_dataid_scratch *sc,
                                   const char *const *paths, size_t npaths, int64_t now_ms,
                                   const struct rp_dataid_walk_opts *opts, rp_dataid_object_fn fn,
                                   void *ctx, struct rp_dataid_walk_stats *st,
                                   struct rp_errbuf *eb) RP_WUR;

/* Classify one object read from elsewhere (an S3 object): data is its content, already
 * decompressed when it was gzip; ref names it (bucket, key, size, times) and path is how it
 * is shown. An archive is opened member by member ("path!/member", key "key!/member"); a
 * document (rp_dataid_doc_kind) is read by its text; else the name without ".gz" picks the
 * locators. fn is called as by rp_dataid_classify_paths. */
rp_err rp_dataid_classify_object(const struct rp_dataid_set *s, struct rp_dataid_scratch *sc,
                                 const struct rp_dataid_object_ref *ref, const char *path,
                                 const char *data, size_t n, rp_dataid_object_fn fn, void *ctx,
                                 struct rp_dataid_walk_stats *st, struct rp_errbuf *eb) RP_WUR;

#endif
