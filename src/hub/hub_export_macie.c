/* SPDX-License-Identifier: Apache-2.0 */
/* Export format "macie" of the findings hub (hub_export.h): Macie's own finding JSON, as
 * `aws macie2 get-findings` prints it ({"findings": [...]}), rebuilt from the ASFF of
 * sensitive data findings (Rampart's discover and Macie findings Security Hub received):
 *   id                 the Id's last part; type from ProductFields "aws/macie/type" (else
 *                      from the ASFF type "…/SensitiveData:S3Object-Personal" -> "…/Personal")
 *   category           CLASSIFICATION
 *   severity           {description Low|Medium|High, score 1-3} from Severity.Original/Label
 *   resourcesAffected  s3Bucket {arn, name} and s3Object {bucketArn, key, path, extension,
 *                      size, lastModified} from the AwsS3Bucket/AwsS3Object resources
 *   classificationDetails.result  Resources[].DataClassification.Result in Macie's casing
 *                      (sensitiveData, detections, occurrences {lineRanges, cells, records})
 * Findings of other products have no Macie form and are left out. */
#define RP_LOG_MODULE "hub"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hub/hub_export.h"
#include "hub/hub_internal.h"

/* PascalCase member name -> camelCase ("LineRanges" -> "lineRanges"). */
static void camel_key(struct rp_json_writer *w, struct rp_str k)
{
    char buf[64];
    size_t n = k.len < sizeof buf ? k.len : sizeof buf;
    memcpy(buf, k.p, n);
    if (n && buf[0] >= 'A' && buf[0] <= 'Z') buf[0] = (char)(buf[0] + 32);
    rp_json_write_key(w, buf, n);
}

/* v with every member name camelCased, recursively (Macie's casing of ASFF's result). */
static void write_camel(struct rp_json_writer *w, struct rp_json_val v)
{
    struct rp_json_iter it;
    struct rp_json_val el;
    struct rp_str k;
    switch (rp_json_type(v)) {
    case RP_JSON_OBJECT:
        rp_json_write_obj_begin(w);
        if (rp_json_obj_iter(v, &it) == RP_OK)
            while (rp_json_obj_next(&it, &k, &el)) {
                camel_key(w, k);
                write_camel(w, el);
            }
        rp_json_write_obj_end(w);
        break;
    case RP_JSON_ARRAY:
        rp_json_write_arr_begin(w);
        if (rp_json_arr_iter(v, &it) == RP_OK)
            while (rp_json_arr_next(&it, &el)) write_camel(w, el);
        rp_json_write_arr_end(w);
        break;
    default:
        rp_json_write_val(w, v);
    }
}

static struct rp_str pf(struct rp_json_val f, const char *key)
{
    struct rp_json_val p;
    struct rp_str s = {0};
    if (hub_member(f, "ProductFields", &p)) (void)hub_str_member(p, key, &s);
    return s;
}

/* Macie's finding type: ProductFields, else from Security Hub's type. */
static bool type_of(struct rp_json_val f, char *out, size_t n)
{
    struct rp_str t = pf(f, "aws/macie/type");
    if (t.p) {
        snprintf(out, n, "%.*s", (int)t.len, t.p);
        return true;
    }
    struct rp_json_val types, el;
    struct rp_json_iter it;
    struct rp_str s;
    if (!hub_member(f, "Types", &types) || rp_json_arr_iter(types, &it) != RP_OK) return false;
    while (rp_json_arr_next(&it, &el)) {
        if (rp_json_get_str(el, &s) != RP_OK) continue;
        const char *m = NULL;
        for (size_t i = 0; i + 24 <= s.len && !m; i++)
            if (!memcmp(s.p + i, "SensitiveData:S3Object-", 23)) m = s.p + i;
        if (m) { /* "SensitiveData:S3Object-Personal" -> "SensitiveData:S3Object/Personal" */
            size_t len = (size_t)(s.p + s.len - m);
            snprintf(out, n, "SensitiveData:S3Object/%.*s", (int)(len - 23), m + 23);
            return true;
        }
    }
    return false;
}

static void write_resources(struct rp_json_writer *w, struct rp_json_val f,
                            struct rp_json_val *result)
{
    struct rp_json_val rs, r, dc;
    struct rp_json_iter it;
    struct rp_str type = {0}, id = {0};
    const char *bucket_arn = NULL;
    char bucket[512] = "", key[1024] = "";
    int64_t size = -1;
    result->doc = NULL;
    if (hub_member(f, "Resources", &rs) && rp_json_arr_iter(rs, &it) == RP_OK)
        while (rp_json_arr_next(&it, &r)) {
            if (!hub_str_member(r, "Type", &type) || !hub_str_member(r, "Id", &id)) continue;
            if (rp_str_eq_cstr(type, "AwsS3Object") && rp_str_has_prefix(id, "arn:aws:s3:::")) {
                const char *p = id.p + 13, *slash = memchr(p, '/', id.len - 13);
                if (slash) {
                    snprintf(bucket, sizeof bucket, "%.*s", (int)(slash - p), p);
                    snprintf(key, sizeof key, "%.*s", (int)(id.p + id.len - slash - 1), slash + 1);
                }
                struct rp_json_val res;
                if (hub_member(r, "DataClassification", &dc) && hub_member(dc, "Result", &res)) {
                    *result = res;
                    int64_t sz = 0;
                    if (rp_json_obj_get_i64(res, "SizeClassified", &sz) == RP_OK) size = sz;
                }
            }
        }
    rp_json_write_key(w, "resourcesAffected", 17);
    rp_json_write_obj_begin(w);
    if (bucket[0]) {
        char arn[600];
        snprintf(arn, sizeof arn, "arn:aws:s3:::%s", bucket);
        bucket_arn = arn;
        rp_json_write_key(w, "s3Bucket", 8);
        rp_json_write_obj_begin(w);
        rp_json_write_kv_cstr(w, "arn", arn);
        rp_json_write_kv_cstr(w, "name", bucket);
        rp_json_write_obj_end(w);
        rp_json_write_key(w, "s3Object", 8);
        rp_json_write_obj_begin(w);
        rp_json_write_kv_cstr(w, "bucketArn", bucket_arn);
        rp_json_write_kv_cstr(w, "key", key);
        char path[1600];
        snprintf(path, sizeof path, "%s/%s", bucket, key);
        rp_json_write_kv_cstr(w, "path", path);
        const char *dot = strrchr(key, '.'), *sl = strrchr(key, '/');
        rp_json_write_kv_cstr(w, "extension", dot && (!sl || dot > sl) ? dot + 1 : "");
        if (size >= 0) rp_json_write_kv_int(w, "size", size);
        rp_json_write_obj_end(w);
    }
    rp_json_write_obj_end(w);
}

static rp_err macie_begin(struct rp_hub_export_state *x, struct rp_errbuf *eb)
{
    rp_err e = rp_buf_append_str(x->buf, "{\"findings\":[");
    return e ? rp_fail(eb, e, "export: macie: %s", rp_strerror(e)) : RP_OK;
}

static rp_err macie_finding(struct rp_hub_export_state *x, struct rp_json_val f,
                            struct rp_errbuf *eb)
{
    char type[128];
    if (!type_of(f, type, sizeof type)) return RP_OK; /* not a sensitive data finding */
    size_t *written = x->priv;
    struct rp_str id = {0}, acct = {0}, region = {0}, s = {0};
    (void)hub_str_member(f, "Id", &id);
    (void)hub_str_member(f, "AwsAccountId", &acct);
    (void)hub_str_member(f, "Region", &region);
    const char *slash = id.p ? memrchr(id.p, '/', id.len) : NULL;
    struct rp_str tail =
        slash ? (struct rp_str){slash + 1, id.len - (size_t)(slash + 1 - id.p)} : id;
    rp_err e = rp_buf_append_str(x->buf, *written ? ",\n" : "\n");
    if (e) return rp_fail(eb, e, "export: macie: %s", rp_strerror(e));
    struct rp_json_writer w;
    rp_json_writer_init(&w, x->buf);
    rp_json_write_obj_begin(&w);
    rp_json_write_kv_cstr(&w, "schemaVersion", "1.0");
    if (tail.p) rp_json_write_kv_str(&w, "id", tail.p, tail.len);
    if (acct.p) rp_json_write_kv_str(&w, "accountId", acct.p, acct.len);
    if (region.p) rp_json_write_kv_str(&w, "region", region.p, region.len);
    rp_json_write_kv_cstr(&w, "partition", "aws");
    rp_json_write_kv_cstr(&w, "type", type);
    rp_json_write_kv_cstr(&w, "category", "CLASSIFICATION");
    if (hub_str_member(f, "Title", &s)) rp_json_write_kv_str(&w, "title", s.p, s.len);
    if (hub_str_member(f, "Description", &s)) rp_json_write_kv_str(&w, "description", s.p, s.len);
    struct rp_json_val sev;
    struct rp_str label = {0};
    if (hub_member(f, "Severity", &sev) && !hub_str_member(sev, "Original", &label))
        (void)hub_str_member(sev, "Label", &label);
    int score = rp_str_eq_nocase(label, rp_str_from("high"))       ? 3
                : rp_str_eq_nocase(label, rp_str_from("medium"))   ? 2
                : rp_str_eq_nocase(label, rp_str_from("critical")) ? 3
                                                                   : 1;
    static const char *const names[] = {"", "Low", "Medium", "High"};
    rp_json_write_key(&w, "severity", 8);
    rp_json_write_obj_begin(&w);
    rp_json_write_kv_cstr(&w, "description", names[score]);
    rp_json_write_kv_int(&w, "score", score);
    rp_json_write_obj_end(&w);
    if (hub_str_member(f, "CreatedAt", &s)) rp_json_write_kv_str(&w, "createdAt", s.p, s.len);
    if (hub_str_member(f, "UpdatedAt", &s)) rp_json_write_kv_str(&w, "updatedAt", s.p, s.len);
    rp_json_write_kv_int(&w, "count", 1);
    struct rp_str rs = {0};
    rp_json_write_kv_bool(&w, "archived",
                          hub_str_member(f, "RecordState", &rs) && rp_str_eq_cstr(rs, "ARCHIVED"));
    struct rp_json_val result = {0};
    write_resources(&w, f, &result);
    rp_json_write_key(&w, "classificationDetails", 21);
    rp_json_write_obj_begin(&w);
    rp_json_write_kv_cstr(&w, "originType", "SENSITIVE_DATA_DISCOVERY_JOB");
    struct rp_str job = pf(f, "aws/macie/jobId");
    if (job.p) rp_json_write_kv_str(&w, "jobId", job.p, job.len);
    if (result.doc) {
        rp_json_write_key(&w, "result", 6);
        write_camel(&w, result);
    }
    rp_json_write_obj_end(&w);
    rp_json_write_kv_bool(&w, "sample", false);
    rp_json_write_obj_end(&w);
    e = rp_json_writer_finish(&w);
    if (e) return rp_fail(eb, e, "export: macie: %s", rp_strerror(e));
    (*written)++;
    return RP_OK;
}

static rp_err macie_end(struct rp_hub_export_state *x, struct rp_errbuf *eb)
{
    size_t *written = x->priv;
    rp_err e = rp_buf_append_str(x->buf, *written ? "\n]}\n" : "]}\n");
    return e ? rp_fail(eb, e, "export: macie: %s", rp_strerror(e)) : RP_OK;
}

const struct rp_hub_export_fmt rp_hub_export_macie = {
    .name = "macie",
    .summary = "Macie findings JSON ({\"findings\": [...]}) of sensitive data findings",
    .priv_size = sizeof(size_t),
    .begin = macie_begin,
    .finding = macie_finding,
    .end = macie_end,
};
