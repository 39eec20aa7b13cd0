/* SPDX-License-Identifier: Apache-2.0 */
/* S3-compatible buckets for sensitive data discovery (dataid_s3.h): the AWS CLI's lookup of
 * endpoint, region and credentials (environment, then the shared credentials and config files),
 * AWS Signature Version 4 signing (OpenSSL's HMAC-SHA-256 through core/rp_hash.h), the S3 REST
 * calls ListObjectsV2 and GetObject over libcurl (one reused handle per client, path-style
 * addressing for custom endpoints, bounded bodies, retries with backoff on throttling and 5xx),
 * the XML of listings and errors with libxml2, and the mapping of failures to Macie's status
 * codes. src/cmd/cmd_discover.c walks s3:// arguments through rp_s3_walk (its want callback
 * leaves unchanged objects unfetched). */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "core/rp_buf.h"
#include "core/rp_hash.h"
#include "core/rp_str.h"
#include "core/rp_time.h"
#include "dataid/dataid_s3.h"
#include "core/rp_banned.h"

#define MAX_INI_FILE  (1u << 20)  /* a credentials or config file larger than this is refused */
#define MAX_LIST_BODY (64u << 20) /* one ListObjectsV2 page (1000 keys of 1 KiB at most) */
#define MAX_ERR_BODY  (64u << 10) /* an error document */
#define MAX_TRIES     4           /* a throttled or 5xx request is tried this often */
#define EMPTY_SHA256  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

/* ---- configuration ------------------------------------------------------------------------- */

static const char *env_get(rp_s3_getenv_fn fn, void *ctx, const char *name)
{
    const char *v = fn ? fn(name, ctx) : getenv(name);
    return v && *v ? v : NULL;
}

static rp_err set_field(char *dst, size_t dstsz, const char *v, size_t n, const char *what,
                        struct rp_errbuf *eb)
{
    if (n >= dstsz)
        return rp_fail(eb, RP_ELIMIT, "s3: %s is longer than %zu bytes", what, dstsz - 1);
    memcpy(dst, v, n);
    dst[n] = 0;
    return RP_OK;
}

static rp_err set_str(char *dst, size_t dstsz, const char *v, const char *what,
                      struct rp_errbuf *eb)
{
    return set_field(dst, dstsz, v, strlen(v), what, eb);
}

/* The whole file into *out (NUL-terminated, caller frees); *out NULL when it does not exist. */
static rp_err read_small_file(const char *path, char **out, size_t *len, struct rp_errbuf *eb)
{
    *out = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (errno == ENOENT || errno == ENOTDIR) return RP_OK;
        return rp_fail(eb, RP_EIO, "s3: cannot read '%s': %s", path, strerror(errno));
    }
    struct rp_buf b;
    rp_buf_init(&b, MAX_INI_FILE);
    rp_err e = RP_OK;
    char tmp[4096];
    size_t n;
    while (!e && (n = fread(tmp, 1, sizeof tmp, f)) > 0) e = rp_buf_append(&b, tmp, n);
    if (!e && ferror(f))
        e = rp_fail(eb, RP_EIO, "s3: cannot read '%s'", path);
    else if (e)
        e = rp_fail(eb, e, "s3: '%s' is larger than %u KiB", path, MAX_INI_FILE >> 10);
    fclose(f);
    if (!e && !b.data) e = rp_buf_append(&b, "", 0);
    if (e) {
        rp_buf_release(&b);
        return e;
    }
    *out = rp_buf_take(&b, len);
    return RP_OK;
}

/* The value of key in [section] of an AWS-style INI text, trimmed; false when absent. Lines
 * starting with blanks continue a nested setting ("s3 =\n  addressing_style = path") and are
 * not keys of the section; '#' and ';' start comment lines. */
static bool ini_get(const char *text, size_t n, const char *section, const char *key,
                    struct rp_str *val)
{
    struct rp_str rest = {text, n}, line;
    bool in = false;
    while (rp_str_split_next(&rest, '\n', &line)) {
        if (line.len && (line.p[0] == ' ' || line.p[0] == '\t')) continue;
        struct rp_str t = rp_str_trim(line);
        if (!t.len || t.p[0] == '#' || t.p[0] == ';') continue;
        if (t.p[0] == '[') {
            if (t.p[t.len - 1] != ']') {
                in = false;
                continue;
            }
            struct rp_str name = rp_str_trim((struct rp_str){t.p + 1, t.len - 2});
            in = rp_str_eq_cstr(name, section);
            continue;
        }
        if (!in) continue;
        const char *eq = memchr(t.p, '=', t.len);
        if (!eq) continue;
        struct rp_str k = rp_str_trim((struct rp_str){t.p, (size_t)(eq - t.p)});
        if (!rp_str_eq_cstr(k, key)) continue;
        *val = rp_str_trim((struct rp_str){eq + 1, t.len - (size_t)(eq - t.p) - 1});
        return true;
    }
    return false;
}

/* Whether text has a [section] line. */
static bool ini_has_section(const char *text, size_t n, const char *section)
{
    struct rp_str rest = {text, n}, line;
    while (rp_str_split_next(&rest, '\n', &line)) {
        struct rp_str t = rp_str_trim(line);
        if (t.len >= 2 && t.p[0] == '[' && t.p[t.len - 1] == ']' &&
            rp_str_eq_cstr(rp_str_trim((struct rp_str){t.p + 1, t.len - 2}), section))
            return true;
    }
    return false;
}

static rp_err file_path(char *out, size_t outsz, rp_s3_getenv_fn fn, void *ctx, const char *var,
                        const char *deflt, struct rp_errbuf *eb)
{
    const char *v = env_get(fn, ctx, var);
    if (v) return set_str(out, outsz, v, var, eb);
    const char *home = env_get(fn, ctx, "HOME");
    if (!home) {
        out[0] = 0;
        return RP_OK;
    }
    int w = snprintf(out, outsz, "%s/.aws/%s", home, deflt);
    if (w < 0 || (size_t)w >= outsz) return rp_fail(eb, RP_ELIMIT, "s3: HOME is too long");
    return RP_OK;
}

static rp_err check_endpoint(struct rp_s3_config *c, const char *url, struct rp_errbuf *eb)
{
    size_t n = strlen(url);
    while (n && url[n - 1] == '/') n--;
    const char *host = NULL;
    if (n > 7 && !strncmp(url, "http://", 7))
        host = url + 7;
    else if (n > 8 && !strncmp(url, "https://", 8))
        host = url + 8;
    if (!host || host >= url + n || memchr(host, '/', (size_t)(url + n - host)) ||
        memchr(host, '?', (size_t)(url + n - host)) || memchr(host, '@', (size_t)(url + n - host)))
        return rp_fail(eb, RP_EINVAL, "s3: endpoint '%s' is not an http:// or https:// URL", url);
    for (const char *p = url; p < url + n; p++)
        if ((unsigned char)*p <= ' ' || *p == 0x7f)
            return rp_fail(eb, RP_EINVAL, "s3: endpoint '%s' is not an http:// or https:// URL",
                           url);
    return set_field(c->endpoint, sizeof c->endpoint, url, n, "the endpoint", eb);
}

rp_err rp_s3_config_load(struct rp_s3_config *c, const char *endpoint_url,
                         rp_s3_getenv_fn getenv_fn, void *ctx, struct rp_errbuf *eb)
{
    memset(c, 0, sizeof *c);
    char credpath[1024], cfgpath[1024], section[160];
    char *cred = NULL, *cfg = NULL;
    size_t credlen = 0, cfglen = 0;
    struct rp_str v;
    const char *p = env_get(getenv_fn, ctx, "AWS_PROFILE");
    if (!p) p = env_get(getenv_fn, ctx, "AWS_DEFAULT_PROFILE");
    rp_err e = set_str(c->profile, sizeof c->profile, p ? p : "default", "the profile name", eb);
    if (!e)
        e = file_path(credpath, sizeof credpath, getenv_fn, ctx, "AWS_SHARED_CREDENTIALS_FILE",
                      "credentials", eb);
    if (!e) e = file_path(cfgpath, sizeof cfgpath, getenv_fn, ctx, "AWS_CONFIG_FILE", "config", eb);
    if (!e && credpath[0]) e = read_small_file(credpath, &cred, &credlen, eb);
    if (!e && cfgpath[0]) e = read_small_file(cfgpath, &cfg, &cfglen, eb);
    /* the config file names the default profile [default] (or [profile default]) and every
     * other one [profile NAME]; the credentials file names each by its bare name */
    const char *cfgsec = section;
    snprintf(section, sizeof section, "profile %s", c->profile);
    if (!strcmp(c->profile, "default") && !(cfg && ini_has_section(cfg, cfglen, section)))
        cfgsec = "default";

    /* region */
    if (!e) {
        const char *r = env_get(getenv_fn, ctx, "AWS_REGION");
        if (!r) r = env_get(getenv_fn, ctx, "AWS_DEFAULT_REGION");
        if (r)
            e = set_str(c->region, sizeof c->region, r, "the region", eb);
        else if (cfg && ini_get(cfg, cfglen, cfgsec, "region", &v) && v.len)
            e = set_field(c->region, sizeof c->region, v.p, v.len, "the region", eb);
        else
            e = set_str(c->region, sizeof c->region, "us-east-1", "the region", eb);
    }

    /* endpoint */
    if (!e) {
        const char *ep = endpoint_url && *endpoint_url ? endpoint_url : NULL;
        if (!ep) ep = env_get(getenv_fn, ctx, "AWS_ENDPOINT_URL_S3");
        if (!ep) ep = env_get(getenv_fn, ctx, "AWS_ENDPOINT_URL");
        char epbuf[512];
        if (!ep && cfg && ini_get(cfg, cfglen, cfgsec, "endpoint_url", &v) && v.len) {
            e = set_field(epbuf, sizeof epbuf, v.p, v.len, "the endpoint", eb);
            ep = epbuf;
        }
        if (!e && ep) {
            e = check_endpoint(c, ep, eb);
            c->path_style = true;
        } else if (!e) {
            int w =
                snprintf(c->endpoint, sizeof c->endpoint, "https://s3.%s.amazonaws.com", c->region);
            if (w < 0 || (size_t)w >= sizeof c->endpoint)
                e = rp_fail(eb, RP_ELIMIT, "s3: the region is too long");
        }
    }

    /* credentials */
    bool found = false;
    if (!e) {
        const char *ak = env_get(getenv_fn, ctx, "AWS_ACCESS_KEY_ID");
        const char *sk = env_get(getenv_fn, ctx, "AWS_SECRET_ACCESS_KEY");
        if (ak || sk) {
            if (!ak || !sk)
                e = rp_fail(eb, RP_EINVAL, "s3: %s is set but %s is not",
                            ak ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY",
                            ak ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID");
            const char *tok = env_get(getenv_fn, ctx, "AWS_SESSION_TOKEN");
            if (!tok) tok = env_get(getenv_fn, ctx, "AWS_SECURITY_TOKEN");
            if (!e) e = set_str(c->access_key, sizeof c->access_key, ak, "AWS_ACCESS_KEY_ID", eb);
            if (!e)
                e = set_str(c->secret_key, sizeof c->secret_key, sk, "AWS_SECRET_ACCESS_KEY", eb);
            if (!e && tok)
                e = set_str(c->session_token, sizeof c->session_token, tok, "AWS_SESSION_TOKEN",
                            eb);
            if (!e) e = set_str(c->cred_source, sizeof c->cred_source, "environment", "", eb);
            found = true;
        }
    }
    for (int pass = 0; !e && !found && pass < 2; pass++) {
        const char *text = pass == 0 ? cred : cfg;
        size_t len = pass == 0 ? credlen : cfglen;
        const char *sec = pass == 0 ? c->profile : cfgsec;
        struct rp_str ak = {0}, sk = {0}, tok = {0};
        if (!text) continue;
        bool hak = ini_get(text, len, sec, "aws_access_key_id", &ak) && ak.len;
        bool hsk = ini_get(text, len, sec, "aws_secret_access_key", &sk) && sk.len;
        if (!hak && !hsk) continue;
        if (!hak || !hsk) {
            e = rp_fail(eb, RP_EINVAL, "s3: '%s' [%s] has %s but not %s",
                        pass == 0 ? credpath : cfgpath, sec,
                        hak ? "aws_access_key_id" : "aws_secret_access_key",
                        hak ? "aws_secret_access_key" : "aws_access_key_id");
            break;
        }
        e = set_field(c->access_key, sizeof c->access_key, ak.p, ak.len, "aws_access_key_id", eb);
        if (!e)
            e = set_field(c->secret_key, sizeof c->secret_key, sk.p, sk.len,
                          "aws_secret_access_key", eb);
        if (!e && ini_get(text, len, sec, "aws_session_token", &tok) && tok.len)
            e = set_field(c->session_token, sizeof c->session_token, tok.p, tok.len,
                          "aws_session_token", eb);
        if (!e)
            snprintf(c->cred_source, sizeof c->cred_source, "%s [%s]",
                     pass == 0 ? credpath : cfgpath, sec);
        found = true;
    }
    if (!e && !found)
        e = rp_fail(eb, RP_EPERM,
                    "s3: no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or "
                    "give profile '%s' keys in '%s'",
                    c->profile, credpath[0] ? credpath : "~/.aws/credentials");
    free(cred);
    free(cfg);
    return e;
}

/* ---- encoding and signing ------------------------------------------------------------------ */

rp_err rp_s3_uri_encode(struct rp_buf *out, const char *s, size_t n, bool keep_slash)
{
    static const char hex[] = "0123456789ABCDEF";
    rp_err e = rp_buf_reserve(out, n);
    for (size_t i = 0; !e && i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (isalnum(ch) || ch == '-' || ch == '.' || ch == '_' || ch == '~' ||
            (keep_slash && ch == '/'))
            e = rp_buf_putc(out, (char)ch);
        else {
            char t[3] = {'%', hex[ch >> 4], hex[ch & 15]};
            e = rp_buf_append(out, t, 3);
        }
    }
    return e;
}

static rp_err hmac_sha256(const uint8_t *key, size_t klen, const void *msg, size_t n,
                          uint8_t out[RP_HASH_SHA256_LEN])
{
    return rp_hash_hmac_sha256(key, klen, msg, n, out);
}

static int cmp_header(const void *a, const void *b)
{
    return strcmp(((const struct rp_s3_header *)a)->name, ((const struct rp_s3_header *)b)->name);
}

rp_err rp_s3_sign(const char *access_key, const char *secret_key, const char *region,
                  const char *method, const char *uri, const char *query,
                  const struct rp_s3_header *h, size_t nh, const char *amz_date,
                  const char *payload_hash, struct rp_buf *out, struct rp_errbuf *eb)
{
    if (nh > 16) return rp_fail(eb, RP_EINVAL, "s3: too many headers to sign");
    if (strlen(amz_date) != 16 || amz_date[8] != 'T' || amz_date[15] != 'Z')
        return rp_fail(eb, RP_EINVAL, "s3: '%s' is not a YYYYMMDDTHHMMSSZ time", amz_date);
    struct rp_s3_header hs[16];
    memcpy(hs, h, nh * sizeof *h);
    qsort(hs, nh, sizeof *hs, cmp_header);
    struct rp_buf creq, sts, signed_names;
    rp_buf_init(&creq, 0);
    rp_buf_init(&sts, 0);
    rp_buf_init(&signed_names, 0);
    rp_err e = rp_buf_printf(&creq, "%s\n%s\n%s\n", method, uri, query);
    for (size_t i = 0; !e && i < nh; i++) {
        /* values trimmed, inner runs of blanks folded to one space */
        e = rp_buf_printf(&creq, "%s:", hs[i].name);
        const char *v = hs[i].value;
        while (*v == ' ' || *v == '\t') v++;
        bool sp = false;
        for (; !e && *v; v++) {
            if (*v == ' ' || *v == '\t') {
                sp = true;
                continue;
            }
            if (sp) e = rp_buf_putc(&creq, ' ');
            sp = false;
            if (!e) e = rp_buf_putc(&creq, *v);
        }
        if (!e) e = rp_buf_putc(&creq, '\n');
        if (!e) e = rp_buf_printf(&signed_names, "%s%s", i ? ";" : "", hs[i].name);
    }
    if (!e) e = rp_buf_printf(&creq, "\n%s\n%s", rp_buf_cstr(&signed_names), payload_hash);
    char creq_hash[RP_HASH_SHA256_HEXSZ], date[9];
    memcpy(date, amz_date, 8);
    date[8] = 0;
    if (!e) e = rp_hash_sha256_hex(creq.data, creq.len, creq_hash);
    if (!e)
        e = rp_buf_printf(&sts, "AWS4-HMAC-SHA256\n%s\n%s/%s/s3/aws4_request\n%s", amz_date, date,
                          region, creq_hash);
    uint8_t k[RP_HASH_SHA256_LEN], sig[RP_HASH_SHA256_LEN];
    char sighex[RP_HASH_SHA256_HEXSZ];
    struct rp_buf secret;
    rp_buf_init(&secret, 0);
    if (!e) e = rp_buf_printf(&secret, "AWS4%s", secret_key);
    if (!e) e = hmac_sha256((const uint8_t *)secret.data, secret.len, date, 8, k);
    if (!e) e = hmac_sha256(k, sizeof k, region, strlen(region), k);
    if (!e) e = hmac_sha256(k, sizeof k, "s3", 2, k);
    if (!e) e = hmac_sha256(k, sizeof k, "aws4_request", 12, k);
    if (!e) e = hmac_sha256(k, sizeof k, sts.data, sts.len, sig);
    if (!e) e = rp_hex_encode(sighex, sizeof sighex, sig, sizeof sig);
    if (!e)
        e = rp_buf_printf(out,
                          "AWS4-HMAC-SHA256 Credential=%s/%s/%s/s3/aws4_request, "
                          "SignedHeaders=%s, Signature=%s",
                          access_key, date, region, rp_buf_cstr(&signed_names), sighex);
    if (secret.data) memset(secret.data, 0, secret.len);
    rp_buf_release(&secret);
    memset(k, 0, sizeof k);
    rp_buf_release(&creq);
    rp_buf_release(&sts);
    rp_buf_release(&signed_names);
    if (e && !eb->msg[0]) return rp_fail(eb, e, "s3: cannot sign the request");
    return e;
}

/* ---- statuses and XML ---------------------------------------------------------------------- */

const char *rp_s3_status_for(long http, const char *code, bool object)
{
    static const char *const cred_codes[] = {
        "InvalidAccessKeyId",   "SignatureDoesNotMatch", "ExpiredToken",     "InvalidToken",
        "TokenRefreshRequired", "AccountProblem",        "AllAccessDisabled"};
    static const char *const throttle_codes[] = {"SlowDown", "Throttling", "ThrottlingException",
                                                 "RequestLimitExceeded", "TooManyRequests"};
    if (!code) code = "";
    for (size_t i = 0; i < RP_ARRAY_LEN(throttle_codes); i++)
        if (!strcmp(code, throttle_codes[i])) return "S3_THROTTLED";
    if (http == 429 || http == 503) return "S3_THROTTLED";
    for (size_t i = 0; i < RP_ARRAY_LEN(cred_codes); i++)
        if (!strcmp(code, cred_codes[i])) return "S3_USER_ACCESS_DENIED";
    if (http == 404) return "S3_OBJECT_NOT_FOUND";
    if (http == 403 || http == 401)
        return object ? "S3_OBJECT_ACCESS_DENIED" : "S3_USER_ACCESS_DENIED";
    return "UNKNOWN_ERROR";
}

static xmlDocPtr xml_read(const char *xml, size_t n)
{
    if (n > (size_t)INT32_MAX) return NULL;
    return xmlReadMemory(xml, (int)n, "s3.xml", NULL,
                         XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
}

static bool is_elem(xmlNodePtr nd, const char *name)
{
    return nd->type == XML_ELEMENT_NODE && !strcmp((const char *)nd->name, name);
}

/* The text of element nd into out (cut to outsz); the text's length. */
static size_t elem_text(xmlNodePtr nd, char *out, size_t outsz)
{
    xmlChar *t = xmlNodeGetContent(nd);
    size_t n = t ? strlen((const char *)t) : 0;
    if (outsz) rp_strlcpy(out, t ? (const char *)t : "", outsz);
    xmlFree(t);
    return n;
}

static char *elem_dup(xmlNodePtr nd)
{
    xmlChar *t = xmlNodeGetContent(nd);
    char *s = strdup(t ? (const char *)t : "");
    xmlFree(t);
    return s;
}

void rp_s3_page_release(struct rp_s3_page *p)
{
    for (size_t i = 0; i < p->n; i++) free(p->obj[i].key);
    free(p->obj);
    free(p->next_token);
    memset(p, 0, sizeof *p);
}

static rp_err parse_contents(xmlNodePtr c, struct rp_s3_object *o, struct rp_errbuf *eb)
{
    char num[32], date[64];
    bool have_key = false;
    for (xmlNodePtr f = c->children; f; f = f->next) {
        if (is_elem(f, "Key")) {
            free(o->key);
            if (!(o->key = elem_dup(f))) return rp_fail(eb, RP_ENOMEM, "out of memory");
            have_key = true;
        } else if (is_elem(f, "Size")) {
            size_t n = elem_text(f, num, sizeof num);
            if (n >= sizeof num || rp_str_to_i64(rp_str_from(num), &o->size) || o->size < 0)
                return rp_fail(eb, RP_EPARSE, "s3: listing: bad Size '%s'", num);
        } else if (is_elem(f, "ETag")) {
            char tag[sizeof o->etag + 2];
            elem_text(f, tag, sizeof tag);
            size_t n = strlen(tag);
            const char *p = tag;
            if (n >= 2 && tag[0] == '"' && tag[n - 1] == '"') {
                p++;
                n -= 2;
            }
            if (n >= sizeof o->etag) n = sizeof o->etag - 1;
            memcpy(o->etag, p, n);
            o->etag[n] = 0;
        } else if (is_elem(f, "LastModified")) {
            size_t n = elem_text(f, date, sizeof date);
            struct rp_errbuf teb = {0};
            if (n >= sizeof date ||
                rp_time_parse_iso(rp_str_from(date), &o->last_modified_ms, &teb))
                return rp_fail(eb, RP_EPARSE, "s3: listing: bad LastModified '%s'", date);
        } else if (is_elem(f, "StorageClass")) {
            elem_text(f, o->storage_class, sizeof o->storage_class);
        }
    }
    if (!have_key) return rp_fail(eb, RP_EPARSE, "s3: listing: an object without a Key");
    return RP_OK;
}

rp_err rp_s3_parse_list(const char *xml, size_t n, struct rp_s3_page *out, struct rp_errbuf *eb)
{
    memset(out, 0, sizeof *out);
    xmlDocPtr doc = xml_read(xml, n);
    xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL;
    if (!root || !is_elem(root, "ListBucketResult")) {
        xmlFreeDoc(doc);
        return rp_fail(eb, RP_EPARSE, "s3: listing: not a ListBucketResult document");
    }
    size_t count = 0;
    for (xmlNodePtr nd = root->children; nd; nd = nd->next)
        if (is_elem(nd, "Contents")) count++;
    rp_err e = RP_OK;
    if (count && !(out->obj = calloc(count, sizeof *out->obj)))
        e = rp_fail(eb, RP_ENOMEM, "out of memory");
    char flag[16];
    for (xmlNodePtr nd = root->children; !e && nd; nd = nd->next) {
        if (is_elem(nd, "Contents")) {
            e = parse_contents(nd, &out->obj[out->n], eb);
            out->n++;
        } else if (is_elem(nd, "IsTruncated")) {
            elem_text(nd, flag, sizeof flag);
            out->truncated = !strcmp(flag, "true");
        } else if (is_elem(nd, "NextContinuationToken")) {
            free(out->next_token);
            if (!(out->next_token = elem_dup(nd))) e = rp_fail(eb, RP_ENOMEM, "out of memory");
        }
    }
    if (!e && out->truncated && (!out->next_token || !out->next_token[0]))
        e = rp_fail(eb, RP_EPARSE, "s3: listing: truncated without a NextContinuationToken");
    xmlFreeDoc(doc);
    return e;
}

void rp_s3_parse_error(const char *xml, size_t n, char *code, size_t codesz, char *msg,
                       size_t msgsz)
{
    if (codesz) code[0] = 0;
    if (msgsz) msg[0] = 0;
    xmlDocPtr doc = n ? xml_read(xml, n) : NULL;
    xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL;
    if (root && is_elem(root, "Error"))
        for (xmlNodePtr nd = root->children; nd; nd = nd->next) {
            if (is_elem(nd, "Code"))
                elem_text(nd, code, codesz);
            else if (is_elem(nd, "Message"))
                elem_text(nd, msg, msgsz);
        }
    xmlFreeDoc(doc);
}

/* ---- the client ---------------------------------------------------------------------------- */

struct rp_s3_client {
    struct rp_s3_config cfg;
    CURL *curl;
    const char *hostport; /* into cfg.endpoint */
    bool https;
    char curl_err[CURL_ERROR_SIZE];
};

rp_err rp_s3_client_new(const struct rp_s3_config *cfg, struct rp_s3_client **out,
                        struct rp_errbuf *eb)
{
    *out = NULL;
    static bool inited;
    if (!inited) {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
            return rp_fail(eb, RP_EINTERNAL, "s3: libcurl cannot start");
        inited = true;
    }
    struct rp_s3_client *c = calloc(1, sizeof *c);
    if (!c) return rp_fail(eb, RP_ENOMEM, "out of memory");
    c->cfg = *cfg;
    c->https = !strncmp(c->cfg.endpoint, "https://", 8);
    c->hostport = c->cfg.endpoint + (c->https ? 8 : 7);
    if (!(c->curl = curl_easy_init())) {
        free(c);
        return rp_fail(eb, RP_EINTERNAL, "s3: libcurl cannot start");
    }
    *out = c;
    return RP_OK;
}

void rp_s3_client_free(struct rp_s3_client *c)
{
    if (!c) return;
    if (c->curl) curl_easy_cleanup(c->curl);
    memset(&c->cfg, 0, sizeof c->cfg); /* the secret key */
    free(c);
}

struct sink {
    CURL *curl;
    struct rp_buf *body; /* a 2xx answer */
    struct rp_buf err;   /* any other answer, cut at MAX_ERR_BODY */
    size_t cap;
    bool over; /* the body would pass cap */
};

static size_t on_write(char *p, size_t sz, size_t nm, void *ud)
{
    struct sink *s = ud;
    size_t n = sz * nm;
    long code = 0;
    curl_easy_getinfo(s->curl, CURLINFO_RESPONSE_CODE, &code);
    if (code < 200 || code > 299) {
        if (s->err.len + n <= MAX_ERR_BODY && rp_buf_append(&s->err, p, n)) return 0;
        return n;
    }
    curl_off_t cl = -1;
    if (!s->body->len &&
        curl_easy_getinfo(s->curl, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &cl) == CURLE_OK && cl > 0 &&
        (uint64_t)cl > s->cap) {
        s->over = true;
        return 0;
    }
    if (s->body->len + n > s->cap) {
        s->over = true;
        return 0;
    }
    if (rp_buf_append(s->body, p, n)) {
        s->over = true;
        return 0;
    }
    return n;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) == -1 && errno == EINTR) {
    }
}

static rp_err amz_now(char out[17], struct rp_errbuf *eb)
{
    struct rp_time_civil t;
    if (rp_time_to_civil(rp_time_now_ms(), &t))
        return rp_fail(eb, RP_EINTERNAL, "s3: the clock is out of range");
    snprintf(out, 17, "%04d%02d%02dT%02d%02d%02dZ", t.year, t.month, t.day, t.hour, t.minute,
             t.second);
    return RP_OK;
}

/* One signed GET of bucket (and key, or the bucket itself with query), its 2xx body into body
 * (cut at cap: RP_ELIMIT, S3_OBJECT_OVERSIZE). what names the request in messages. */
static rp_err s3_get(struct rp_s3_client *c, const char *bucket, const char *key, const char *query,
                     struct rp_buf *body, size_t cap, const char *what, struct rp_s3_status *st,
                     struct rp_errbuf *eb)
{
    bool object = key != NULL;
    memset(st, 0, sizeof *st);
    bool path_style = c->cfg.path_style || strchr(bucket, '.');
    struct rp_buf uri, url, host, auth, hdr;
    rp_buf_init(&uri, 0);
    rp_buf_init(&url, 0);
    rp_buf_init(&host, 0);
    rp_buf_init(&auth, 0);
    rp_buf_init(&hdr, 0);
    rp_err e = RP_OK;
    if (path_style) {
        e = rp_buf_append_str(&host, c->hostport);
        if (!e) e = rp_buf_putc(&uri, '/');
        if (!e) e = rp_s3_uri_encode(&uri, bucket, strlen(bucket), false);
        if (!e && key) e = rp_buf_putc(&uri, '/');
    } else {
        e = rp_buf_printf(&host, "%s.%s", bucket, c->hostport);
        if (!e) e = rp_buf_putc(&uri, '/');
    }
    if (!e && key) e = rp_s3_uri_encode(&uri, key, strlen(key), true);
    if (!e)
        e = rp_buf_printf(&url, "%s://%s%s%s%s", c->https ? "https" : "http", rp_buf_cstr(&host),
                          rp_buf_cstr(&uri), query[0] ? "?" : "", query);
    struct sink sk = {.curl = c->curl, .body = body, .cap = cap};
    rp_buf_init(&sk.err, 0);
    long delay = 200;
    for (int attempt = 1; !e; attempt++) {
        char amz_date[17];
        e = amz_now(amz_date, eb);
        struct rp_s3_header h[4] = {{"host", rp_buf_cstr(&host)},
                                    {"x-amz-content-sha256", EMPTY_SHA256},
                                    {"x-amz-date", amz_date},
                                    {"x-amz-security-token", c->cfg.session_token}};
        size_t nh = c->cfg.session_token[0] ? 4 : 3;
        rp_buf_reset(&auth);
        if (!e)
            e = rp_s3_sign(c->cfg.access_key, c->cfg.secret_key, c->cfg.region, "GET",
                           rp_buf_cstr(&uri), query, h, nh, amz_date, EMPTY_SHA256, &auth, eb);
        struct curl_slist *hl = NULL, *t = NULL;
        for (size_t i = 0; !e && i < nh; i++) {
            rp_buf_reset(&hdr);
            e = rp_buf_printf(&hdr, "%s: %s", i == 0 ? "Host" : h[i].name, h[i].value);
            if (!e && !(t = curl_slist_append(hl, rp_buf_cstr(&hdr))))
                e = rp_fail(eb, RP_ENOMEM, "out of memory");
            if (!e) hl = t;
        }
        rp_buf_reset(&hdr);
        if (!e) e = rp_buf_printf(&hdr, "Authorization: %s", rp_buf_cstr(&auth));
        if (!e && !(t = curl_slist_append(hl, rp_buf_cstr(&hdr))))
            e = rp_fail(eb, RP_ENOMEM, "out of memory");
        if (!e) hl = t;
        if (!e && !(t = curl_slist_append(hl, "Expect:")))
            e = rp_fail(eb, RP_ENOMEM, "out of memory");
        if (!e) hl = t;
        if (e) {
            curl_slist_free_all(hl);
            break;
        }
        rp_buf_reset(body);
        rp_buf_reset(&sk.err);
        sk.over = false;
        CURL *cu = c->curl;
        curl_easy_reset(cu);
        c->curl_err[0] = 0;
        curl_easy_setopt(cu, CURLOPT_URL, rp_buf_cstr(&url));
        curl_easy_setopt(cu, CURLOPT_HTTPHEADER, hl);
        curl_easy_setopt(cu, CURLOPT_WRITEFUNCTION, on_write);
        curl_easy_setopt(cu, CURLOPT_WRITEDATA, &sk);
        curl_easy_setopt(cu, CURLOPT_ERRORBUFFER, c->curl_err);
        curl_easy_setopt(cu, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(cu, CURLOPT_PATH_AS_IS, 1L);
        curl_easy_setopt(cu, CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(cu, CURLOPT_CONNECTTIMEOUT, 30L);
        curl_easy_setopt(cu, CURLOPT_LOW_SPEED_LIMIT, 1L);
        curl_easy_setopt(cu, CURLOPT_LOW_SPEED_TIME, 120L);
        curl_easy_setopt(cu, CURLOPT_USERAGENT, "rampart-discover");
        CURLcode cc = curl_easy_perform(cu);
        curl_slist_free_all(hl);
        long http = 0;
        curl_easy_getinfo(cu, CURLINFO_RESPONSE_CODE, &http);
        st->http = http;
        if (sk.over) {
            st->status = "S3_OBJECT_OVERSIZE";
            e = rp_fail(eb, RP_ELIMIT, "s3: %s: larger than %zu MiB (S3_OBJECT_OVERSIZE)", what,
                        cap >> 20);
            break;
        }
        if (cc == CURLE_OK && http >= 200 && http <= 299) break;
        char msg[256] = "";
        if (cc == CURLE_OK)
            rp_s3_parse_error(sk.err.data ? sk.err.data : "", sk.err.len, st->code, sizeof st->code,
                              msg, sizeof msg);
        st->status = cc == CURLE_OK ? rp_s3_status_for(http, st->code, object) : "UNKNOWN_ERROR";
        bool retry = cc != CURLE_OK || http >= 500 || !strcmp(st->status, "S3_THROTTLED");
        if (retry && attempt < MAX_TRIES) {
            sleep_ms(delay);
            delay *= 2;
            continue;
        }
        if (cc != CURLE_OK) {
            e = rp_fail(eb, RP_ENET, "s3: %s: %s (UNKNOWN_ERROR)", what,
                        c->curl_err[0] ? c->curl_err : curl_easy_strerror(cc));
            break;
        }
        e = http == 404                           ? RP_ENOENT
            : !strcmp(st->status, "S3_THROTTLED") ? RP_ELIMIT
            : strstr(st->status, "ACCESS_DENIED") ? RP_EPERM
                                                  : RP_EIO;
        e = rp_fail(eb, e, "s3: %s: HTTP %ld%s%s%s%s (%s)", what, http, st->code[0] ? " " : "",
                    st->code, msg[0] ? ": " : "", msg, st->status);
        break;
    }
    rp_buf_release(&sk.err);
    rp_buf_release(&uri);
    rp_buf_release(&url);
    rp_buf_release(&host);
    rp_buf_release(&auth);
    rp_buf_release(&hdr);
    if (!e)
        st->status = NULL;
    else if (!st->status)
        st->status = "UNKNOWN_ERROR";
    return e;
}

rp_err rp_s3_list_page(struct rp_s3_client *c, const char *bucket, const char *prefix,
                       const char *token, struct rp_s3_page *out, struct rp_s3_status *st,
                       struct rp_errbuf *eb)
{
    memset(out, 0, sizeof *out);
    /* the canonical query: names sorted, names and values encoded */
    struct rp_buf q, what, body;
    rp_buf_init(&q, 0);
    rp_buf_init(&what, 0);
    rp_buf_init(&body, MAX_LIST_BODY);
    rp_err e = RP_OK;
    if (token) {
        e = rp_buf_append_str(&q, "continuation-token=");
        if (!e) e = rp_s3_uri_encode(&q, token, strlen(token), false);
        if (!e) e = rp_buf_putc(&q, '&');
    }
    if (!e) e = rp_buf_append_str(&q, "list-type=2&max-keys=1000");
    if (!e && prefix && *prefix) {
        e = rp_buf_append_str(&q, "&prefix=");
        if (!e) e = rp_s3_uri_encode(&q, prefix, strlen(prefix), false);
    }
    if (!e) e = rp_buf_printf(&what, "list '%s/%s'", bucket, prefix ? prefix : "");
    if (e) e = rp_fail(eb, e, "out of memory");
    if (!e)
        e = s3_get(c, bucket, NULL, rp_buf_cstr(&q), &body, MAX_LIST_BODY, rp_buf_cstr(&what), st,
                   eb);
    if (!e) {
        e = rp_s3_parse_list(body.data ? body.data : "", body.len, out, eb);
        if (e) st->status = "UNKNOWN_ERROR";
    }
    rp_buf_release(&q);
    rp_buf_release(&what);
    rp_buf_release(&body);
    return e;
}

rp_err rp_s3_get_object(struct rp_s3_client *c, const char *bucket, const char *key, size_t cap,
                        struct rp_buf *out, struct rp_s3_status *st, struct rp_errbuf *eb)
{
    struct rp_buf what;
    rp_buf_init(&what, 0);
    rp_err e = rp_buf_printf(&what, "get '%s/%s'", bucket, key);
    if (e) {
        rp_buf_release(&what);
        memset(st, 0, sizeof *st);
        st->status = "UNKNOWN_ERROR";
        return rp_fail(eb, e, "out of memory");
    }
    rp_buf_reset(out);
    e = s3_get(c, bucket, key, "", out, cap, rp_buf_cstr(&what), st, eb);
    rp_buf_release(&what);
    return e;
}

rp_err rp_s3_walk(struct rp_s3_client *c, const char *bucket, const char *prefix, size_t cap,
                  rp_s3_want_fn want, rp_s3_walk_fn fn, void *ctx, struct rp_s3_status *st,
                  struct rp_errbuf *eb)
{
    struct rp_s3_status lst = {0};
    struct rp_s3_page pg = {0};
    char *token = NULL;
    struct rp_buf body;
    rp_buf_init(&body, 0);
    rp_err e = RP_OK;
    do {
        rp_s3_page_release(&pg);
        e = rp_s3_list_page(c, bucket, prefix, token, &pg, &lst, eb);
        free(token);
        token = NULL;
        for (size_t i = 0; !e && i < pg.n; i++) {
            const struct rp_s3_object *o = &pg.obj[i];
            size_t klen = strlen(o->key);
            if (o->size == 0 && klen && o->key[klen - 1] == '/') continue;
            bool read = true;
            if (want && (e = want(bucket, o, ctx, &read, eb))) break;
            if (!read) continue;
            struct rp_s3_item it = {.bucket = bucket, .obj = o};
            struct rp_s3_status ost = {0};
            struct rp_errbuf oeb = {0};
            if ((uint64_t)o->size > cap) {
                ost.status = "S3_OBJECT_OVERSIZE";
                it.err = rp_fail(&oeb, RP_ELIMIT,
                                 "s3: get '%s/%s': larger than %zu MiB (S3_OBJECT_OVERSIZE)",
                                 bucket, o->key, cap >> 20);
            } else {
                it.err = rp_s3_get_object(c, bucket, o->key, cap, &body, &ost, &oeb);
            }
            if (it.err) {
                it.st = &ost;
                it.msg = oeb.msg;
            } else {
                it.data = body.data ? body.data : "";
                it.len = body.len;
            }
            e = fn(&it, ctx, eb);
        }
        if (!e && pg.truncated && !(token = strdup(pg.next_token)))
            e = rp_fail(eb, RP_ENOMEM, "out of memory");
    } while (!e && token);
    free(token);
    rp_s3_page_release(&pg);
    rp_buf_release(&body);
    if (st) *st = lst;
    return e;
}

rp_err rp_s3_parse_url(const char *url, char *bucket, size_t bucketsz, char *prefix,
                       size_t prefixsz, struct rp_errbuf *eb)
{
    if (strncmp(url, "s3://", 5) != 0 || !url[5] || url[5] == '/')
        return rp_fail(eb, RP_EINVAL, "s3: '%s' is not an s3://bucket[/prefix] URL", url);
    const char *b = url + 5, *slash = strchr(b, '/');
    size_t blen = slash ? (size_t)(slash - b) : strlen(b);
    const char *p = slash ? slash + 1 : "";
    if (blen >= bucketsz || strlen(p) >= prefixsz)
        return rp_fail(eb, RP_ELIMIT, "s3: '%s' is too long", url);
    memcpy(bucket, b, blen);
    bucket[blen] = 0;
    rp_strlcpy(prefix, p, prefixsz);
    return RP_OK;
}
