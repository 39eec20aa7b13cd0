#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# `rampart discover scan` on documents: a Word file, an Excel workbook (zipped here with
# `zip` from hand-written XML) and a two-page PDF (written here with printf, its xref offsets
# counted with wc), a damaged Word file and a password-protected one (an OLE container with
# an EncryptedPackage stream): the rows, the documents not read on stderr with their reason
# and exit status 3, and the discovery results (--results) with Macie's mime types and
# locators: lineRanges for Word, cells with cellReference ('Staff list'!B7: the sheet's name
# from the workbook, quoted as Excel quotes it) and columnName for Excel, pages
# with pageNumber and lineRange for PDF. Synthetic values only.
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/cli_lib.sh"
rc=0 out= err=

for tool in jq zip; do
    command -v $tool >/dev/null 2>&1 || {
        echo "FAIL: $tool is not installed (scripts/install-deps.sh installs it)"
        exit 1
    }
done

T=docs
mkdir -p "$T" w/word w/_rels x/xl/worksheets x/xl/_rels
TYPES='<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>'
WNS='xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

# ---- a Word file: a paragraph a line --------------------------------------------------------
printf '%s' "$TYPES" >'w/[Content_Types].xml'
printf '<Relationships/>' >w/_rels/.rels
printf '<w:document %s><w:body><w:p><w:r><w:t>Staff record</w:t></w:r></w:p><w:p><w:r><w:t>Employee SSN:</w:t><w:tab/><w:t>536-22-4817</w:t></w:r></w:p><w:p><w:r><w:t>mail ann@corp-example.org</w:t></w:r></w:p></w:body></w:document>' \
    "$WNS" >w/word/document.xml
(cd w && zip -q -X -r ../"$T"/record.docx .)
# damaged: the body is cut short
printf '<w:document %s><w:body><w:p>' "$WNS" >w/word/document.xml
(cd w && zip -q -X -r ../"$T"/broken.docx .)

# ---- an Excel workbook: shared strings, a header row, a sheet named "Staff list" -------------
SNS='xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
RNS='xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
printf '%s' "$TYPES" >'x/[Content_Types].xml'
printf '<workbook %s %s><sheets><sheet name="Staff list" sheetId="1" r:id="rId1"/></sheets></workbook>' \
    "$SNS" "$RNS" >x/xl/workbook.xml
printf '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>' \
    >x/xl/_rels/workbook.xml.rels
printf '<sst %s><si><t>name</t></si><si><t>ssn</t></si><si><t>Bob Example</t></si></sst>' \
    "$SNS" >x/xl/sharedStrings.xml
printf '<worksheet %s><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row><row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="inlineStr"><is><t>219-09-9999</t></is></c></row><row r="7"><c r="B7"><v>078051120</v></c></row></sheetData></worksheet>' \
    "$SNS" >x/xl/worksheets/sheet1.xml
(cd x && zip -q -X -r ../"$T"/people.xlsx .)

# ---- a PDF of two pages ---------------------------------------------------------------------
P="$T/invoice.pdf"
off() { wc -c <"$P" | tr -d ' '; }
page() { # page N CONTENT-OBJ TEXT-LINES...
    n=$1 c=$2
    shift 2
    s='BT /F1 12 Tf 16 TL 72 720 Td'
    for l in "$@"; do s="$s ($l) Tj T*"; done
    s="$s ET"
    eval "o$n=\$(off)"
    printf '%s 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents %s 0 R >>\nendobj\n' "$n" "$c" >>"$P"
    eval "o$c=\$(off)"
    printf '%s 0 obj\n<< /Length %s >>\nstream\n%s\nendstream\nendobj\n' "$c" "${#s}" "$s" >>"$P"
}
printf '%%PDF-1.4\n' >"$P"
o1=$(off)
printf '1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n' >>"$P"
o2=$(off)
printf '2 0 obj\n<< /Type /Pages /Count 2 /Kids [4 0 R 6 0 R] >>\nendobj\n' >>"$P"
o3=$(off)
printf '3 0 obj\n<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>\nendobj\n' >>"$P"
page 4 5 'Invoice 17' 'nothing sensitive'
page 6 7 'Totals' 'Payment card number 4111 1111 1111 1111'
x=$(off)
{
    printf 'xref\n0 8\n0000000000 65535 f \n'
    for o in "$o1" "$o2" "$o3" "$o4" "$o5" "$o6" "$o7"; do printf '%010d 00000 n \n' "$o"; done
    printf 'trailer\n<< /Size 8 /Root 1 0 R >>\nstartxref\n%s\n%%%%EOF\n' "$x"
} >>"$P"

# ---- a password-protected Word file: an OLE container holding an EncryptedPackage ----------
{
    printf '\320\317\021\340\241\261\032\341'
    head -c 632 /dev/zero
    printf 'E\0n\0c\0r\0y\0p\0t\0e\0d\0P\0a\0c\0k\0a\0g\0e\0\0\0'
    head -c 30 /dev/zero
    printf '\042\0\002'
    head -c 829 /dev/zero
} >"$T/locked.docx"

# ---- the scan ---------------------------------------------------------------------------------
run --db d.db discover scan --dry-run --results results.jsonl "$T"
expect_rc 3 "documents not read"
expect_out "object            type                              severity  count  detections
docs/invoice.pdf  SensitiveData:S3Object/Financial  Low           1  CREDIT_CARD_NUMBER:1
docs/people.xlsx  SensitiveData:S3Object/Personal   Medium        2  USA_SOCIAL_SECURITY_NUMBER:2
docs/record.docx  SensitiveData:S3Object/Personal   Medium        2  EMAIL_ADDRESS:1 USA_SOCIAL_SECURITY_NUMBER:1" "rows"
expect_err "rampart: discover: docs/broken.docx: skipped: a damaged document: 'word/document.xml' is not well-formed XML (UNSUPPORTED_OR_DAMAGED)
rampart: discover: docs/locked.docx: skipped: an encrypted document (password-protected Office file) (UNSUPPORTED_OBJECT_TYPE)
rampart: discover: 3 findings in 3 files ($(($(wc -c <"$T/invoice.pdf") + $(wc -c <"$T/people.xlsx") + $(wc -c <"$T/record.docx"))) bytes); 2 not read (dry run: nothing stored)" "stderr"

out=$(jq -c '[.resourcesAffected.s3Object.key, .classificationDetails.result.status.code, .classificationDetails.result.status.reason, .classificationDetails.result.mimeType]' results.jsonl)
expect_out '["broken.docx","SKIPPED","UNSUPPORTED_OR_DAMAGED",""]
["invoice.pdf","COMPLETE",null,"application/pdf"]
["locked.docx","SKIPPED","UNSUPPORTED_OBJECT_TYPE",""]
["people.xlsx","COMPLETE",null,"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"]
["record.docx","COMPLETE",null,"application/vnd.openxmlformats-officedocument.wordprocessingml.document"]' "statuses and mime types"

out=$(jq -c 'select(.classificationDetails.result.status.code == "COMPLETE") | [.resourcesAffected.s3Object.key, (.classificationDetails.result.sensitiveData[].detections[] | [.type, .count, .occurrences])]' results.jsonl)
expect_out '["invoice.pdf",["CREDIT_CARD_NUMBER",1,{"pages":[{"pageNumber":2,"lineRange":{"start":2,"end":2,"startColumn":21},"offsetRange":{"start":27,"end":46}}]}]]
["people.xlsx",["USA_SOCIAL_SECURITY_NUMBER",2,{"cells":[{"row":2,"column":2,"columnName":"ssn","cellReference":"'"'Staff list'"'!B2"},{"row":7,"column":2,"columnName":"ssn","cellReference":"'"'Staff list'"'!B7"}]}]]
["record.docx",["EMAIL_ADDRESS",1,{"lineRanges":[{"start":3,"end":3,"startColumn":6}]}],["USA_SOCIAL_SECURITY_NUMBER",1,{"lineRanges":[{"start":2,"end":2,"startColumn":15}]}]]' "locators"

finish
