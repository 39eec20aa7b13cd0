/* SPDX-License-Identifier: Apache-2.0 */
/* The Macie finding of a classified object (dataid.h), in ASFF as Security Hub shows Macie's
 * sensitive data findings: the detections go into Resources[0].DataClassification, ASFF's
 * image of Macie's classificationDetails.result, so nothing is lost and a Macie export can be
 * rebuilt from the hub.
 *
 * Type: the one category found (Credentials, Financial, Personal, CustomIdentifier), or
 * Multiple. Severity (Rampart's rule, docs/discover.md): credentials High; otherwise by the
 * number of occurrences: 1 Low, 2-99 Medium, 100 and more High; a custom identifier's
 * severity is the level its count reaches (Macie's severityLevels), and below its first
 * threshold it makes no finding. Values are never written: each
 * type's first occurrence is kept redacted in ProductFields. */
#define RP_LOG_MODULE "dataid"

#include <stdio.h>
#include <string.h>

#include "dataid/dataid.h"
#include "core/rp_buf.h"
#include "core/rp_json.h"
#include "core/rp_time.h"
#include "hub/hub.h"
#include "core/rp_banned.h"

static const struct {
    const char *type;   /* Macie's finding type */
    const char *title;  /* Macie's title */
    const char *asff;   /* Security Hub's type */
    const char *phrase; /* for the description */
} kinds[] = {
    {"SensitiveData:S3Object/Credentials", "The S3 object contains credentials data.",
     "Sensitive Data Identifications/Passwords/SensitiveData:S3Object-Credentials",
     "credentials data"},
    {"SensitiveData:S3Object/Financial", "The S3 object contains financial information.",
     "Sensitive Data Identifications/Financial/SensitiveData:S3Object-Financial",
     "financial information"},
    {"SensitiveData:S3Object/Personal", "The S3 object contains personal information.",
     "Sensitive Data Identifications/PII/SensitiveData:S3Object-Personal", "personal information"},
    {"SensitiveData:S3Object/CustomIdentifier",
     "The S3 object contains text that matches the detection criteria of a custom data "
     "identifier.",
     "Sensitive Data Identifications/SensitiveData:S3Object-CustomIdentifier",
     "text that matches a custom data identifier"},
    {"SensitiveData:S3Object/Multiple",
     "The S3 object contains more than one type of sensitive information.",
     "Sensitive Data Identifications/SensitiveData:S3Object-Multiple",
     "more than one type of sensitive information"},
};

/* The severity a custom identifier's count reaches (Macie's severityLevels), 0 = none. */
static int custom_level(const struct rp_dataid_detection *d)
{
    int sev = 0;
    for (size_t i = 0; i < d->ident->nlevels; i++)
        if (d->count >= d->ident->levels[i].threshold) sev = d->ident->levels[i].severity;
    return sev;
}

/* A detection that makes a finding: every managed one; a custom one from its first level. */
static bool counts(const struct rp_dataid_detection *d)
{
    return d->ident->category != RP_DATAID_CUSTOM || custom_level(d) > 0;
}

static int kind_of(const struct rp_dataid_result *r)
{
    unsigned seen = 0;
    for (size_t i = 0; i < r->ndet; i++)
        if (counts(&r->det[i])) seen |= 1u << r->det[i].ident->category;
    if (!seen) return -1;
    if (seen & (seen - 1)) return 4; /* more than one category */
    for (int c = 0; c < 4; c++)
        if (seen == 1u << c) return c; /* enum order = kinds[] order */
    return 4;
}

const char *rp_dataid_finding_type(const struct rp_dataid_result *r)
{
    int k = kind_of(r);
    return k < 0 ? NULL : kinds[k].type;
}

void rp_dataid_finding_severity(const struct rp_dataid_result *r, const char **label, int *score)
{
    int64_t total = 0;
    bool cred = false, managed = false;
    int custom = 0;
    for (size_t i = 0; i < r->ndet; i++) {
        const struct rp_dataid_detection *d = &r->det[i];
        if (d->ident->category == RP_DATAID_CUSTOM) {
            int lv = custom_level(d);
            custom = lv > custom ? lv : custom;
            continue;
        }
        managed = true;
        total += d->count;
        cred = cred || d->ident->category == RP_DATAID_CREDENTIALS;
    }
    int s = !managed ? 0 : cred || total >= 100 ? 3 : total >= 2 ? 2 : 1;
    if (custom > s) s = custom;
    if (s < 1) s = 1;
    *score = s;
    *label = s == 3 ? "High" : s == 2 ? "Medium" : "Low";
}

/* ASFF writes Macie's result in PascalCase ("Detections"), Macie itself in camelCase. */
struct names {
    const char *occurrences, *cells, *records, *line_ranges, *row, *column, *column_name,
        *record_index, *json_path, *start, *end, *start_column, *sensitive_data, *category,
        *detections, *count, *type, *total_count, *custom, *name, *cell_reference, *pages,
        *page_number, *line_range, *offset_range, *arn;
};
static const struct names asff_names = {"Occurrences",
                                        "Cells",
                                        "Records",
                                        "LineRanges",
                                        "Row",
                                        "Column",
                                        "ColumnName",
                                        "RecordIndex",
                                        "JsonPath",
                                        "Start",
                                        "End",
                                        "StartColumn",
                                        "SensitiveData",
                                        "Category",
                                        "Detections",
                                        "Count",
                                        "Type",
                                        "TotalCount",
                                        "CustomDataIdentifiers",
                                        "Name",
                                        "CellReference",
                                        "Pages",
                                        "PageNumber",
                                        "LineRange",
                                        "OffsetRange",
                                        "Arn"};
static const struct names macie_names = {"occurrences",
                                         "cells",
                                         "records",
                                         "lineRanges",
                                         "row",
                                         "column",
                                         "columnName",
                                         "recordIndex",
                                         "jsonPath",
                                         "start",
                                         "end",
                                         "startColumn",
                                         "sensitiveData",
                                         "category",
                                         "detections",
                                         "count",
                                         "type",
                                         "totalCount",
                                         "customDataIdentifiers",
                                         "name",
                                         "cellReference",
                                         "pages",
                                         "pageNumber",
                                         "lineRange",
                                         "offsetRange",
                                         "arn"};

static void kv_key(struct rp_json_writer *w, const char *k)
{
    rp_json_write_key(w, k, strlen(k));
}

static void write_occurrences(struct rp_json_writer *w, const struct rp_dataid_detection *d,
                              const struct names *nm)
{
    enum rp_dataid_loc kind = d->nocc ? d->occ[0].kind : RP_DATAID_LOC_LINES;
    bool cells = kind == RP_DATAID_LOC_CELLS, records = kind == RP_DATAID_LOC_RECORDS,
         pages = kind == RP_DATAID_LOC_PAGES;
    kv_key(w, nm->occurrences);
    rp_json_write_obj_begin(w);
    kv_key(w, cells ? nm->cells : records ? nm->records : pages ? nm->pages : nm->line_ranges);
    rp_json_write_arr_begin(w);
    for (size_t i = 0; i < d->nocc; i++) {
        const struct rp_dataid_occurrence *o = &d->occ[i];
        rp_json_write_obj_begin(w);
        if (records) {
            rp_json_write_kv_int(w, nm->record_index, o->record_index);
            rp_json_write_kv_cstr(w, nm->json_path, o->json_path);
        } else if (cells) {
            rp_json_write_kv_int(w, nm->row, o->row);
            rp_json_write_kv_int(w, nm->column, o->column);
            if (o->column_name[0]) rp_json_write_kv_cstr(w, nm->column_name, o->column_name);
            if (o->cell_reference[0])
                rp_json_write_kv_cstr(w, nm->cell_reference, o->cell_reference);
        } else if (pages) {
            rp_json_write_kv_int(w, nm->page_number, o->page_number);
            kv_key(w, nm->line_range);
            rp_json_write_obj_begin(w);
            rp_json_write_kv_int(w, nm->start, o->start);
            rp_json_write_kv_int(w, nm->end, o->end);
            rp_json_write_kv_int(w, nm->start_column, o->start_column);
            rp_json_write_obj_end(w);
            kv_key(w, nm->offset_range);
            rp_json_write_obj_begin(w);
            rp_json_write_kv_int(w, nm->start, o->offset_start);
            rp_json_write_kv_int(w, nm->end, o->offset_end);
            rp_json_write_obj_end(w);
        } else {
            rp_json_write_kv_int(w, nm->start, o->start);
            rp_json_write_kv_int(w, nm->end, o->end);
            rp_json_write_kv_int(w, nm->start_column, o->start_column);
        }
        rp_json_write_obj_end(w);
    }
    rp_json_write_arr_end(w);
    rp_json_write_obj_end(w);
}

/* SensitiveData: one entry per category (not custom), each with its detections. */
static void write_sensitive(struct rp_json_writer *w, const struct rp_dataid_result *r,
                            const struct names *nm)
{
    kv_key(w, nm->sensitive_data);
    rp_json_write_arr_begin(w);
    for (int c = RP_DATAID_CREDENTIALS; c <= RP_DATAID_PERSONAL; c++) {
        int64_t total = 0;
        for (size_t i = 0; i < r->ndet; i++)
            if ((int)r->det[i].ident->category == c) total += r->det[i].count;
        if (!total) continue;
        rp_json_write_obj_begin(w);
        rp_json_write_kv_cstr(w, nm->category, rp_dataid_category_name((enum rp_dataid_category)c));
        kv_key(w, nm->detections);
        rp_json_write_arr_begin(w);
        for (size_t i = 0; i < r->ndet; i++) {
            const struct rp_dataid_detection *d = &r->det[i];
            if ((int)d->ident->category != c) continue;
            rp_json_write_obj_begin(w);
            rp_json_write_kv_int(w, nm->count, d->count);
            rp_json_write_kv_cstr(w, nm->type, d->ident->id);
            write_occurrences(w, d, nm);
            rp_json_write_obj_end(w);
        }
        rp_json_write_arr_end(w);
        rp_json_write_kv_int(w, nm->total_count, total);
        rp_json_write_obj_end(w);
    }
    rp_json_write_arr_end(w);
    int64_t ctotal = 0;
    for (size_t i = 0; i < r->ndet; i++)
        if (r->det[i].ident->category == RP_DATAID_CUSTOM) ctotal += r->det[i].count;
    kv_key(w, nm->custom);
    rp_json_write_obj_begin(w);
    kv_key(w, nm->detections);
    rp_json_write_arr_begin(w);
    for (size_t i = 0; i < r->ndet; i++) {
        const struct rp_dataid_detection *d = &r->det[i];
        if (d->ident->category != RP_DATAID_CUSTOM) continue;
        rp_json_write_obj_begin(w);
        /* a stored identifier (discover identifiers add) is known by its ARN, as in Macie */
        if (d->ident->file && !strncmp(d->ident->file, "arn:aws:macie2:", 15))
            rp_json_write_kv_cstr(w, nm->arn, d->ident->file);
        rp_json_write_kv_int(w, nm->count, d->count);
        rp_json_write_kv_cstr(w, nm->name, d->ident->id);
        write_occurrences(w, d, nm);
        rp_json_write_obj_end(w);
    }
    rp_json_write_arr_end(w);
    rp_json_write_kv_int(w, nm->total_count, ctotal);
    rp_json_write_obj_end(w);
}

rp_err rp_dataid_finding_asff(const struct rp_dataid_result *r,
                              const struct rp_dataid_object_ref *o, struct rp_buf *out,
                              struct rp_errbuf *eb)
{
    int k = kind_of(r);
    if (k < 0) return RP_ENOENT;
    const char *account = o->account ? o->account : "000000000000";
    const char *region = o->region ? o->region : "us-east-1";
    char obj_arn[1024], bucket_arn[512], id[RP_HUB_ID_MAX];
    snprintf(obj_arn, sizeof obj_arn, "arn:aws:s3:::%s/%s", o->bucket, o->key);
    snprintf(bucket_arn, sizeof bucket_arn, "arn:aws:s3:::%s", o->bucket);
    if (rp_hub_finding_id("dataid", "SensitiveData:S3Object", obj_arn, "", id))
        return rp_fail(eb, RP_ENOMEM, "dataid: out of memory");
    const char *sev_label = NULL;
    int sev_score = 0;
    rp_dataid_finding_severity(r, &sev_label, &sev_score);
    static const char *const asff_sev[] = {"LOW", "LOW", "MEDIUM", "HIGH"};

    struct rp_json_writer w;
    rp_json_writer_init(&w, out);
    rp_json_write_obj_begin(&w);
    struct rp_hub_head head = {.id = id,
                               .producer = "dataid",
                               .product_name = "Macie",
                               .generator_id = "aws/macie",
                               .type = kinds[k].asff,
                               .account = account,
                               .region = region,
                               .now_ms = o->now_ms ? o->now_ms : rp_time_now_ms(),
                               .severity = asff_sev[sev_score],
                               .severity_original = sev_label};
    rp_err e = rp_hub_head_write(&w, &head, eb);
    if (e) return e;
    rp_json_write_kv_cstr(&w, "Title", kinds[k].title);
    /* "The S3 object contains personal information such as USA_SOCIAL_SECURITY_NUMBER (3)" */
    struct rp_buf d;
    rp_buf_init(&d, 4096);
    e = rp_buf_printf(&d, "The S3 object %s/%s contains %s:", o->bucket, o->key, kinds[k].phrase);
    for (size_t i = 0; i < r->ndet && !e; i++)
        e = rp_buf_printf(&d, "%s %s (%lld)", i ? "," : "", r->det[i].ident->id,
                          (long long)r->det[i].count);
    rp_json_write_kv_str(&w, "Description", d.data ? d.data : "", d.len);
    rp_buf_release(&d);

    rp_json_write_key(&w, "ProductFields", 13);
    rp_json_write_obj_begin(&w);
    rp_json_write_kv_cstr(&w, "aws/macie/type", kinds[k].type);
    rp_json_write_kv_cstr(&w, "aws/macie/category", "CLASSIFICATION");
    char sc[8];
    snprintf(sc, sizeof sc, "%d", sev_score);
    rp_json_write_kv_cstr(&w, "aws/macie/severity/score", sc);
    if (o->job_id) rp_json_write_kv_cstr(&w, "aws/macie/jobId", o->job_id);
    for (size_t i = 0; i < r->ndet; i++) {
        char key[160];
        snprintf(key, sizeof key, "aws/macie/sample/%s", r->det[i].ident->id);
        if (r->det[i].nocc) rp_json_write_kv_cstr(&w, key, r->det[i].occ[0].redacted);
    }
    rp_json_write_obj_end(&w);

    rp_json_write_key(&w, "Resources", 9);
    rp_json_write_arr_begin(&w);
    rp_json_write_obj_begin(&w);
    rp_json_write_kv_cstr(&w, "Type", "AwsS3Object");
    rp_json_write_kv_cstr(&w, "Id", obj_arn);
    rp_json_write_kv_cstr(&w, "Partition", "aws");
    rp_json_write_kv_cstr(&w, "Region", region);
    if (o->last_modified_ms) {
        char t[40];
        if (!rp_time_format_iso(o->last_modified_ms, t, sizeof t)) {
            rp_json_write_key(&w, "Details", 7);
            rp_json_write_obj_begin(&w);
            rp_json_write_key(&w, "AwsS3Object", 11);
            rp_json_write_obj_begin(&w);
            rp_json_write_kv_cstr(&w, "LastModified", t);
            rp_json_write_kv_cstr(&w, "ContentType", r->mime_type);
            rp_json_write_obj_end(&w);
            rp_json_write_obj_end(&w);
        }
    }
    rp_json_write_key(&w, "DataClassification", 18);
    rp_json_write_obj_begin(&w);
    rp_json_write_key(&w, "Result", 6);
    rp_json_write_obj_begin(&w);
    rp_json_write_kv_cstr(&w, "MimeType", r->mime_type);
    rp_json_write_kv_int(&w, "SizeClassified", r->size_classified);
    rp_json_write_kv_bool(&w, "AdditionalOccurrences", r->additional_occurrences);
    rp_json_write_key(&w, "Status", 6);
    rp_json_write_obj_begin(&w);
    rp_json_write_kv_cstr(&w, "Code", r->status ? r->status : "COMPLETE");
    if (r->reason) rp_json_write_kv_cstr(&w, "Reason", r->reason);
    rp_json_write_obj_end(&w);
    write_sensitive(&w, r, &asff_names);
    rp_json_write_obj_end(&w);
    rp_json_write_obj_end(&w);
    rp_json_write_obj_end(&w);
    rp_json_write_obj_begin(&w);
    rp_json_write_kv_cstr(&w, "Type", "AwsS3Bucket");
    rp_json_write_kv_cstr(&w, "Id", bucket_arn);
    rp_json_write_kv_cstr(&w, "Partition", "aws");
    rp_json_write_kv_cstr(&w, "Region", region);
    rp_json_write_obj_end(&w);
    rp_json_write_arr_end(&w);
    rp_json_write_kv_bool(&w, "Sample", false);
    rp_json_write_kv_cstr(&w, "RecordState", "ACTIVE");
    rp_json_write_key(&w, "Workflow", 8);
    rp_json_write_obj_begin(&w);
    rp_json_write_kv_cstr(&w, "Status", "NEW");
    rp_json_write_obj_end(&w);
    rp_json_write_obj_end(&w);
    e = rp_json_writer_finish(&w);
    return e ? rp_fail(eb, e, "dataid: cannot write the finding of '%s'", obj_arn) : RP_OK;
}

rp_err rp_dataid_result_json(const struct rp_dataid_result *r, const struct rp_dataid_object_ref *o,
                             struct rp_buf *out, struct rp_errbuf *eb)
{
    struct rp_json_writer w;
    rp_json_writer_init(&w, out);
    char arn[1024], path[2048], t[40];
    snprintf(arn, sizeof arn, "arn:aws:s3:::%s", o->bucket);
    snprintf(path, sizeof path, "%s/%s", o->bucket, o->key);
    const char *slash = strrchr(o->key, '/'), *dot = strrchr(o->key, '.');
    const char *ext = dot && (!slash || dot > slash) ? dot + 1 : "";
    rp_json_write_obj_begin(&w);
    rp_json_write_kv_cstr(&w, "version", "1.0");
    if (o->job_id) rp_json_write_kv_cstr(&w, "jobId", o->job_id);
    rp_json_write_key(&w, "resourcesAffected", 17);
    rp_json_write_obj_begin(&w);
    rp_json_write_key(&w, "s3Bucket", 8);
    rp_json_write_obj_begin(&w);
    rp_json_write_kv_cstr(&w, "arn", arn);
    rp_json_write_kv_cstr(&w, "name", o->bucket);
    rp_json_write_kv_cstr(&w, "ownerId", o->account ? o->account : "000000000000");
    rp_json_write_obj_end(&w);
    rp_json_write_key(&w, "s3Object", 8);
    rp_json_write_obj_begin(&w);
    rp_json_write_kv_cstr(&w, "bucketArn", arn);
    rp_json_write_kv_cstr(&w, "key", o->key);
    rp_json_write_kv_cstr(&w, "path", path);
    rp_json_write_kv_cstr(&w, "extension", ext);
    rp_json_write_kv_int(&w, "size", o->size);
    if (o->last_modified_ms && !rp_time_format_iso(o->last_modified_ms, t, sizeof t))
        rp_json_write_kv_cstr(&w, "lastModified", t);
    rp_json_write_obj_end(&w);
    rp_json_write_obj_end(&w);
    rp_json_write_key(&w, "classificationDetails", 21);
    rp_json_write_obj_begin(&w);
    if (o->job_id) rp_json_write_kv_cstr(&w, "jobId", o->job_id);
    rp_json_write_kv_cstr(&w, "originType", "SENSITIVE_DATA_DISCOVERY_JOB");
    rp_json_write_key(&w, "result", 6);
    rp_json_write_obj_begin(&w);
    rp_json_write_key(&w, "status", 6);
    rp_json_write_obj_begin(&w);
    rp_json_write_kv_cstr(&w, "code", r->status ? r->status : "COMPLETE");
    if (r->reason) rp_json_write_kv_cstr(&w, "reason", r->reason);
    rp_json_write_obj_end(&w);
    rp_json_write_kv_cstr(&w, "mimeType", r->mime_type ? r->mime_type : "");
    rp_json_write_kv_int(&w, "sizeClassified", r->size_classified);
    rp_json_write_kv_bool(&w, "additionalOccurrences", r->additional_occurrences);
    write_sensitive(&w, r, &macie_names);
    rp_json_write_obj_end(&w);
    rp_json_write_obj_end(&w);
    rp_json_write_obj_end(&w);
    rp_err e = rp_json_writer_finish(&w);
    return e ? rp_fail(eb, e, "dataid: cannot write the result of '%s'", o->key) : RP_OK;
}
