/* SPDX-License-Identifier: Apache-2.0 */
/* The Macie finding of a classified object (dataid.h), in ASFF as Security Hub shows Macie's
 * sensitive data findings: the detections go into Resources[0].DataClassification, ASFF's
 * image of Macie's classificationDetails.result, so nothing is lost and a Macie export can be
 * rebuilt from the hub.
 *
 * Type: the one category found (Credentials, Financial, Personal, CustomIdentifier), or
 * Multiple. Severity (Rampart's rule, docs/discover.md): credentials High; otherwise by the
 * number of occurrences: 1 Low, 2-99 Medium, 100 and more High. Values are never written: each
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

static int kind_of(const struct rp_dataid_result *r)
{
    unsigned seen = 0;
    for (size_t i = 0; i < r->ndet; i++) seen |= 1u << r->det[i].ident->category;
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
    bool cred = false;
    for (size_t i = 0; i < r->ndet; i++) {
        total += r->det[i].count;
        cred = cred || r->det[i].ident->category == RP_DATAID_CREDENTIALS;
    }
    int s = cred || total >= 100 ? 3 : total >= 2 ? 2 : 1;
    *score = s;
    *label = s == 3 ? "High" : s == 2 ? "Medium" : "Low";
}

static void write_occurrences(struct rp_json_writer *w, const struct rp_dataid_detection *d)
{
    enum rp_dataid_loc kind = d->nocc ? d->occ[0].kind : RP_DATAID_LOC_LINES;
    bool cells = kind == RP_DATAID_LOC_CELLS, records = kind == RP_DATAID_LOC_RECORDS;
    const char *key = cells ? "Cells" : records ? "Records" : "LineRanges";
    rp_json_write_key(w, "Occurrences", 11);
    rp_json_write_obj_begin(w);
    rp_json_write_key(w, key, strlen(key));
    rp_json_write_arr_begin(w);
    for (size_t i = 0; i < d->nocc; i++) {
        const struct rp_dataid_occurrence *o = &d->occ[i];
        rp_json_write_obj_begin(w);
        if (records) {
            rp_json_write_kv_int(w, "RecordIndex", o->record_index);
            rp_json_write_kv_cstr(w, "JsonPath", o->json_path);
        } else if (cells) {
            rp_json_write_kv_int(w, "Row", o->row);
            rp_json_write_kv_int(w, "Column", o->column);
            if (o->column_name[0]) rp_json_write_kv_cstr(w, "ColumnName", o->column_name);
        } else {
            rp_json_write_kv_int(w, "Start", o->start);
            rp_json_write_kv_int(w, "End", o->end);
            rp_json_write_kv_int(w, "StartColumn", o->start_column);
        }
        rp_json_write_obj_end(w);
    }
    rp_json_write_arr_end(w);
    rp_json_write_obj_end(w);
}

/* SensitiveData: one entry per category (not custom), each with its detections. */
static void write_sensitive(struct rp_json_writer *w, const struct rp_dataid_result *r)
{
    rp_json_write_key(w, "SensitiveData", 13);
    rp_json_write_arr_begin(w);
    for (int c = RP_DATAID_CREDENTIALS; c <= RP_DATAID_PERSONAL; c++) {
        int64_t total = 0;
        for (size_t i = 0; i < r->ndet; i++)
            if ((int)r->det[i].ident->category == c) total += r->det[i].count;
        if (!total) continue;
        rp_json_write_obj_begin(w);
        rp_json_write_kv_cstr(w, "Category", rp_dataid_category_name((enum rp_dataid_category)c));
        rp_json_write_key(w, "Detections", 10);
        rp_json_write_arr_begin(w);
        for (size_t i = 0; i < r->ndet; i++) {
            const struct rp_dataid_detection *d = &r->det[i];
            if ((int)d->ident->category != c) continue;
            rp_json_write_obj_begin(w);
            rp_json_write_kv_int(w, "Count", d->count);
            rp_json_write_kv_cstr(w, "Type", d->ident->id);
            write_occurrences(w, d);
            rp_json_write_obj_end(w);
        }
        rp_json_write_arr_end(w);
        rp_json_write_kv_int(w, "TotalCount", total);
        rp_json_write_obj_end(w);
    }
    rp_json_write_arr_end(w);
    int64_t ctotal = 0;
    for (size_t i = 0; i < r->ndet; i++)
        if (r->det[i].ident->category == RP_DATAID_CUSTOM) ctotal += r->det[i].count;
    rp_json_write_key(w, "CustomDataIdentifiers", 21);
    rp_json_write_obj_begin(w);
    rp_json_write_key(w, "Detections", 10);
    rp_json_write_arr_begin(w);
    for (size_t i = 0; i < r->ndet; i++) {
        const struct rp_dataid_detection *d = &r->det[i];
        if (d->ident->category != RP_DATAID_CUSTOM) continue;
        rp_json_write_obj_begin(w);
        rp_json_write_kv_int(w, "Count", d->count);
        rp_json_write_kv_cstr(w, "Name", d->ident->id);
        write_occurrences(w, d);
        rp_json_write_obj_end(w);
    }
    rp_json_write_arr_end(w);
    rp_json_write_kv_int(w, "TotalCount", ctotal);
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
    write_sensitive(&w, r);
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
