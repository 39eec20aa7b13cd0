/* SPDX-License-Identifier: Apache-2.0 */
/* Import format "trivy": Trivy JSON reports (SchemaVersion 2: ArtifactName, ArtifactType,
 * Metadata, Results[] of {Target, Class, Type, Vulnerabilities, Misconfigurations, Secrets}).
 * Every vulnerability, misconfiguration and secret of every target becomes one ASFF finding,
 * in report order. Trivy's report has no account or region: they come from cv. The field
 * mapping is listed below the includes. */
#define RP_LOG_MODULE "hub"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "hub/hub_conv_util.h"
#include "core/rp_banned.h"

/* Mapping. Common to all three kinds:
 *   ProductArn     arn:aws:securityhub:<region>::product/aquasecurity/aquasecurity (Trivy's
 *                  own Security Hub integration); CompanyName "Aqua Security", ProductName
 *                  "Trivy"
 *   Resources      container images: [{Type "Container", Id ArtifactName, Details.Container
 *                  {ImageName, ImageId}}]; anything else: [{Type "Other", Id ArtifactName,
 *                  Details.Other {ArtifactType, Target}}]
 *   CreatedAt, UpdatedAt  the report's CreatedAt, else cv->now_ms
 *   Severity       Label from Trivy's severity (UNKNOWN is INFORMATIONAL), Normalized from the
 *                  label, Original Trivy's word
 *   ProductFields  aquasecurity/trivy/<Target, Class, Type, and per kind below>
 * Vulnerability: Id "<ArtifactName>/<Target>/<VulnerabilityID>/<PkgName>/<InstalledVersion>",
 *   GeneratorId "Trivy/<VulnerabilityID>", Types [".../Vulnerabilities/CVE"], Title
 *   "<VulnerabilityID> - <PkgName>", Vulnerabilities [{Id, VulnerablePackages [{Name, Version,
 *   FixedInVersion, PackageManager (package_managers), FilePath}], Cvss (each source's V3 and
 *   V4, and V2 when it has no V3), ReferenceUrls, FixAvailable, Vendor}], Remediation when a
 *   fixed version exists.
 * Misconfiguration: Id "<ArtifactName>/<Target>/<ID>[/<CauseMetadata.Resource>]", GeneratorId
 *   "Trivy/<ID>", Types ["Software and Configuration Checks"], Compliance.Status from Status
 *   (misconf_states), Remediation from Resolution.
 * Secret: Id "<ArtifactName>/<Target>/<RuleID>/<StartLine>", GeneratorId "Trivy/<RuleID>",
 *   Types ["Sensitive Data Identifications/Passwords"]. The matched text (Match, Code) is never
 *   copied: the finding names the rule, the file and the lines only. */

#define FMT         "trivy"
#define PF_PREFIX   "aquasecurity/trivy/"
#define TYPES_VULN  "Software and Configuration Checks/Vulnerabilities/CVE"
#define TYPES_MISCF "Software and Configuration Checks"
#define TYPES_SECR  "Sensitive Data Identifications/Passwords"

/* Trivy's package types -> ASFF VulnerablePackages.PackageManager (Inspector's words). OS
 * packages (Class "os-pkgs") are "OS"; a type not listed is upper-cased with '-' as '_'. */
static const struct {
    const char *type;
    const char *manager;
} package_managers[] = {
    {"bundler", "BUNDLER"},   {"cargo", "CARGO"},
    {"composer", "COMPOSER"}, {"dotnet-core", "DOTNET_CORE"},
    {"gemspec", "GEMSPEC"},   {"gobinary", "GOBINARY"},
    {"gomod", "GOMOD"},       {"jar", "JAR"},
    {"node-pkg", "NODEPKG"},  {"npm", "NPM"},
    {"nuget", "NUGET"},       {"pip", "PIP"},
    {"pipenv", "PIPENV"},     {"poetry", "POETRY"},
    {"pom", "POM"},           {"python-pkg", "PYTHONPKG"},
    {"yarn", "YARN"},
};

/* Misconfiguration Status -> Compliance.Status. */
static const struct {
    const char *status;
    const char *compliance;
} misconf_states[] = {
    {"FAIL", "FAILED"},
    {"PASS", "PASSED"},
    {"EXCEPTION", "NOT_AVAILABLE"},
};

struct tv {
    struct rp_hub_conv *cv;
    struct rp_json_val root, result;
    struct rp_str artifact, artifact_type, image_id;
    struct rp_str target, klass, type; /* of the current result */
    bool has_artifact, has_target;
    int64_t created;
};

/* ---- shared pieces ----------------------------------------------------------------------- */

static void write_common(struct rp_json_writer *w, const struct tv *t, const char *id,
                         const char *gen_id, const char *types)
{
    char arn[256];
    rp_json_write_kv_cstr(w, "Id", id);
    snprintf(arn, sizeof arn, "arn:aws:securityhub:%s::product/aquasecurity/aquasecurity",
             t->cv->region);
    rp_json_write_kv_cstr(w, "ProductArn", arn);
    rp_json_write_kv_cstr(w, "GeneratorId", gen_id);
    rp_json_write_kv_cstr(w, "AwsAccountId", t->cv->account);
    rp_json_write_kv_cstr(w, "Region", t->cv->region);
    rp_json_write_kv_cstr(w, "CompanyName", "Aqua Security");
    rp_json_write_kv_cstr(w, "ProductName", "Trivy");
    rp_json_write_key(w, "Types", 5);
    rp_json_write_arr_begin(w);
    rp_json_write_cstr(w, types);
    rp_json_write_arr_end(w);
    rp_hub_cv_kv_time(w, "CreatedAt", t->created);
    rp_hub_cv_kv_time(w, "UpdatedAt", t->created);
}

static void write_severity(struct rp_json_writer *w, struct rp_json_val item)
{
    struct rp_str word = {0};
    enum rp_hub_sev sev = RP_HUB_SEV_INFORMATIONAL;
    if (rp_hub_cv_str(item, "Severity", &word) && !rp_hub_sev_parse(word, &sev))
        sev = RP_HUB_SEV_INFORMATIONAL;
    rp_hub_cv_kv_severity(w, sev, rp_hub_sev_normalized(sev), word);
}

static void write_resources(struct rp_json_writer *w, const struct tv *t)
{
    bool container = rp_str_eq_cstr(t->artifact_type, "container_image");
    rp_json_write_key(w, "Resources", 9);
    rp_json_write_arr_begin(w);
    rp_json_write_obj_begin(w);
    rp_json_write_kv_cstr(w, "Type", container ? "Container" : "Other");
    rp_json_write_kv_str(w, "Id", t->artifact.p, t->artifact.len);
    rp_json_write_kv_cstr(w, "Partition", "aws");
    rp_json_write_kv_cstr(w, "Region", t->cv->region);
    rp_json_write_key(w, "Details", 7);
    rp_json_write_obj_begin(w);
    if (container) {
        rp_json_write_key(w, "Container", 9);
        rp_json_write_obj_begin(w);
        rp_json_write_kv_str(w, "ImageName", t->artifact.p, t->artifact.len);
        if (t->image_id.len) rp_json_write_kv_str(w, "ImageId", t->image_id.p, t->image_id.len);
    } else {
        rp_json_write_key(w, "Other", 5);
        rp_json_write_obj_begin(w);
        if (t->artifact_type.len)
            rp_json_write_kv_str(w, "ArtifactType", t->artifact_type.p, t->artifact_type.len);
        rp_json_write_kv_str(w, "Target", t->target.p, t->target.len);
    }
    rp_json_write_obj_end(w);
    rp_json_write_obj_end(w);
    rp_json_write_obj_end(w);
    rp_json_write_arr_end(w);
}

/* An item member copied to ProductFields as PF_PREFIX<name>. */
struct pf_key {
    const char *member;
    const char *name;
};

/* ProductFields every finding carries, plus the item's own members listed in keys. */
static void write_pf(struct rp_json_writer *w, const struct tv *t, struct rp_json_val item,
                     const struct pf_key *keys)
{
    struct rp_hub_cv_pf pf;
    struct rp_json_val v;
    rp_hub_cv_pf_init(&pf, w);
    rp_hub_cv_pf_add(&pf, PF_PREFIX "Target", sizeof PF_PREFIX - 1 + 6, t->target);
    if (t->klass.len) rp_hub_cv_pf_add(&pf, PF_PREFIX "Class", sizeof PF_PREFIX - 1 + 5, t->klass);
    if (t->type.len) rp_hub_cv_pf_add(&pf, PF_PREFIX "Type", sizeof PF_PREFIX - 1 + 4, t->type);
    for (size_t i = 0; keys[i].member; i++) {
        char key[96];
        snprintf(key, sizeof key, PF_PREFIX "%s", keys[i].name);
        if (rp_hub_cv_get(item, keys[i].member, &v)) rp_hub_cv_pf_flatten(&pf, key, v, false);
    }
    rp_hub_cv_pf_end(&pf);
}

static void write_remediation(struct rp_json_writer *w, struct rp_str text, struct rp_str url)
{
    rp_json_write_key(w, "Remediation", 11);
    rp_json_write_obj_begin(w);
    rp_json_write_key(w, "Recommendation", 14);
    rp_json_write_obj_begin(w);
    rp_hub_cv_kv_capped(w, "Text", text, 512);
    if (url.len) rp_json_write_kv_str(w, "Url", url.p, url.len);
    rp_json_write_obj_end(w);
    rp_json_write_obj_end(w);
}

/* snprintf into id[RP_HUB_CV_MAX_ID + 1]; false when the id would be longer than AWS allows. */
static bool make_id(char *id, size_t n, const char *fmt, ...) RP_PRINTF(3, 4);
static bool make_id(char *id, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = vsnprintf(id, n, fmt, ap);
    va_end(ap);
    return r >= 0 && (size_t)r <= RP_HUB_CV_MAX_ID;
}

static rp_err fail_missing(struct rp_hub_conv *cv, const char *field)
{
    return rp_hub_cv_fail(cv, NULL, RP_HUB_CV_FAILED, FMT ": missing field '%s'", field);
}

/* The checks every item needs before its own: an object, a report ArtifactName, a Target. */
static bool item_ok(struct tv *t, struct rp_json_val item, const char *what, rp_err *e)
{
    t->cv->current = item;
    if (rp_json_type(item) != RP_JSON_OBJECT) {
        *e =
            rp_hub_cv_fail(t->cv, NULL, RP_HUB_CV_INVALID, FMT ": %s must be a JSON object, not %s",
                           what, rp_json_type_name(rp_json_type(item)));
        return false;
    }
    if (!t->has_artifact) {
        *e = fail_missing(t->cv, "ArtifactName");
        return false;
    }
    if (!t->has_target) {
        *e = fail_missing(t->cv, "Results[].Target");
        return false;
    }
    return true;
}

/* ---- vulnerabilities --------------------------------------------------------------------- */

static void package_manager(const struct tv *t, char *out, size_t n)
{
    out[0] = '\0';
    if (rp_str_eq_cstr(t->klass, "os-pkgs")) {
        snprintf(out, n, "OS");
        return;
    }
    for (size_t i = 0; i < RP_ARRAY_LEN(package_managers); i++)
        if (rp_str_eq_cstr(t->type, package_managers[i].type)) {
            snprintf(out, n, "%s", package_managers[i].manager);
            return;
        }
    size_t k = 0;
    for (; k < t->type.len && k + 1 < n; k++) {
        char c = t->type.p[k];
        out[k] = c == '-' ? '_' : (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
    }
    out[k] = '\0';
}

/* One Cvss element. */
static void cvss_one(struct rp_json_writer *w, bool *open, const char *version, double score,
                     struct rp_str vector, struct rp_str source)
{
    if (!*open) {
        rp_json_write_key(w, "Cvss", 4);
        rp_json_write_arr_begin(w);
        *open = true;
    }
    rp_json_write_obj_begin(w);
    rp_json_write_kv_cstr(w, "Version", version);
    rp_json_write_kv_double(w, "BaseScore", score);
    if (vector.len) rp_json_write_kv_str(w, "BaseVector", vector.p, vector.len);
    rp_json_write_kv_str(w, "Source", source.p, source.len);
    rp_json_write_obj_end(w);
}

static void write_cvss(struct rp_json_writer *w, struct rp_json_val vuln)
{
    struct rp_json_val map, src, v;
    struct rp_json_iter it;
    struct rp_str name, vec;
    bool open = false;
    if (!rp_hub_cv_get(vuln, "CVSS", &map) || rp_json_obj_iter(map, &it) != RP_OK) return;
    while (rp_json_obj_next(&it, &name, &src)) {
        double score = 0;
        bool v3 = false;
        if (rp_hub_cv_get(src, "V3Score", &v) && rp_hub_cv_num(v, &score)) {
            const char *ver = "3.0";
            vec = (struct rp_str){"", 0};
            (void)rp_hub_cv_str(src, "V3Vector", &vec);
            if (rp_str_has_prefix(vec, "CVSS:3.1/")) ver = "3.1";
            cvss_one(w, &open, ver, score, vec, name);
            v3 = true;
        }
        if (rp_hub_cv_get(src, "V40Score", &v) && rp_hub_cv_num(v, &score)) {
            vec = (struct rp_str){"", 0};
            (void)rp_hub_cv_str(src, "V40Vector", &vec);
            cvss_one(w, &open, "4.0", score, vec, name);
        }
        if (!v3 && rp_hub_cv_get(src, "V2Score", &v) && rp_hub_cv_num(v, &score)) {
            vec = (struct rp_str){"", 0};
            (void)rp_hub_cv_str(src, "V2Vector", &vec);
            cvss_one(w, &open, "2.0", score, vec, name);
        }
    }
    if (open) rp_json_write_arr_end(w);
}

static void write_vulnerabilities(struct rp_json_writer *w, const struct tv *t,
                                  struct rp_json_val vuln, struct rp_str vid, struct rp_str pkg,
                                  struct rp_str ver, struct rp_str fixed)
{
    struct rp_json_val v;
    struct rp_str s;
    char pm[48];
    int64_t ms = 0;
    rp_json_write_key(w, "Vulnerabilities", 15);
    rp_json_write_arr_begin(w);
    rp_json_write_obj_begin(w);
    rp_json_write_kv_str(w, "Id", vid.p, vid.len);
    rp_json_write_key(w, "VulnerablePackages", 18);
    rp_json_write_arr_begin(w);
    rp_json_write_obj_begin(w);
    rp_json_write_kv_str(w, "Name", pkg.p, pkg.len);
    if (ver.len) rp_json_write_kv_str(w, "Version", ver.p, ver.len);
    if (fixed.len) rp_json_write_kv_str(w, "FixedInVersion", fixed.p, fixed.len);
    package_manager(t, pm, sizeof pm);
    if (pm[0]) rp_json_write_kv_cstr(w, "PackageManager", pm);
    if (rp_hub_cv_str(vuln, "PkgPath", &s)) rp_json_write_kv_str(w, "FilePath", s.p, s.len);
    rp_json_write_obj_end(w);
    rp_json_write_arr_end(w);
    write_cvss(w, vuln);
    if (rp_hub_cv_get(vuln, "References", &v))
        rp_hub_cv_write_strs(w, "ReferenceUrls", v, RP_HUB_CV_MAX_REFS);
    rp_json_write_kv_cstr(w, "FixAvailable", fixed.len ? "YES" : "NO");
    rp_json_write_key(w, "Vendor", 6);
    rp_json_write_obj_begin(w);
    if (!rp_hub_cv_path_str(vuln, "DataSource.Name", &s) &&
        !rp_hub_cv_str(vuln, "SeveritySource", &s))
        s = RP_STR_LIT("Trivy");
    rp_json_write_kv_str(w, "Name", s.p, s.len);
    if (rp_hub_cv_str(vuln, "PrimaryURL", &s) || rp_hub_cv_path_str(vuln, "DataSource.URL", &s))
        rp_json_write_kv_str(w, "Url", s.p, s.len);
    if (rp_hub_cv_str(vuln, "Severity", &s)) rp_json_write_kv_str(w, "VendorSeverity", s.p, s.len);
    if (rp_hub_cv_get(vuln, "PublishedDate", &v) &&
        rp_hub_cv_time_of(v, false, &ms) == RP_HUB_CV_TIME_OK)
        rp_hub_cv_kv_time(w, "VendorCreatedAt", ms);
    if (rp_hub_cv_get(vuln, "LastModifiedDate", &v) &&
        rp_hub_cv_time_of(v, false, &ms) == RP_HUB_CV_TIME_OK)
        rp_hub_cv_kv_time(w, "VendorUpdatedAt", ms);
    rp_json_write_obj_end(w);
    rp_json_write_obj_end(w);
    rp_json_write_arr_end(w);
}

static rp_err convert_vuln(struct tv *t, struct rp_json_val vuln, struct rp_errbuf *eb)
{
    static const struct pf_key pf_keys[] = {{"PkgID", "PkgID"},
                                            {"SeveritySource", "SeveritySource"},
                                            {"Status", "Status"},
                                            {NULL, NULL}};
    struct rp_str vid, pkg, ver = {"", 0}, fixed = {"", 0}, s;
    char id[RP_HUB_CV_MAX_ID + 1], gen[300], title[RP_HUB_CV_MAX_TITLE + 1], text[600];
    rp_err e = RP_OK;
    if (!item_ok(t, vuln, "a vulnerability", &e)) return e;
    if (!rp_hub_cv_str(vuln, "VulnerabilityID", &vid))
        return fail_missing(t->cv, "VulnerabilityID");
    if (!rp_hub_cv_str(vuln, "PkgName", &pkg)) return fail_missing(t->cv, "PkgName");
    (void)rp_hub_cv_str(vuln, "InstalledVersion", &ver);
    (void)rp_hub_cv_str(vuln, "FixedVersion", &fixed);
    if (!make_id(id, sizeof id, "%.*s/%.*s/%.*s/%.*s/%.*s", (int)t->artifact.len, t->artifact.p,
                 (int)t->target.len, t->target.p, (int)vid.len, vid.p, (int)pkg.len, pkg.p,
                 (int)ver.len, ver.p))
        return rp_hub_cv_fail(t->cv, NULL, RP_HUB_CV_FAILED,
                              FMT ": finding id would be longer than %d bytes", RP_HUB_CV_MAX_ID);
    snprintf(gen, sizeof gen, "Trivy/%.*s", (int)vid.len, vid.p);
    snprintf(title, sizeof title, "%.*s - %.*s", (int)vid.len, vid.p, (int)pkg.len, pkg.p);

    struct rp_json_writer w;
    rp_hub_cv_begin(t->cv, &w);
    write_common(&w, t, id, gen, TYPES_VULN);
    write_severity(&w, vuln);
    rp_hub_cv_kv_capped(&w, "Title", rp_str_from(title), RP_HUB_CV_MAX_TITLE);
    if (!rp_hub_cv_str(vuln, "Description", &s) && !rp_hub_cv_str(vuln, "Title", &s)) {
        snprintf(text, sizeof text, "%.*s in %.*s %.*s", (int)vid.len, vid.p, (int)pkg.len, pkg.p,
                 (int)ver.len, ver.p);
        s = rp_str_from(text);
    }
    rp_hub_cv_kv_capped(&w, "Description", s, RP_HUB_CV_MAX_DESCRIPTION);
    if (fixed.len) {
        snprintf(text, sizeof text, "Upgrade %.*s to %.*s", (int)pkg.len, pkg.p, (int)fixed.len,
                 fixed.p);
        s = (struct rp_str){"", 0};
        (void)rp_hub_cv_str(vuln, "PrimaryURL", &s);
        write_remediation(&w, rp_str_from(text), s);
    }
    write_pf(&w, t, vuln, pf_keys);
    write_resources(&w, t);
    write_vulnerabilities(&w, t, vuln, vid, pkg, ver, fixed);
    rp_json_write_kv_cstr(&w, "RecordState", "ACTIVE");
    return rp_hub_cv_end(t->cv, &w, FMT, id, eb);
}

/* ---- misconfigurations ------------------------------------------------------------------- */

static rp_err convert_misconf(struct tv *t, struct rp_json_val m, struct rp_errbuf *eb)
{
    /* the check's Type would clash with the result's */
    static const struct pf_key pf_keys[] = {
        {"AVDID", "AVDID"}, {"Type", "CheckType"}, {"Namespace", "Namespace"}, {NULL, NULL}};
    struct rp_str cid, res = {"", 0}, s, status = {0};
    char id[RP_HUB_CV_MAX_ID + 1], gen[300], title[RP_HUB_CV_MAX_TITLE + 1];
    rp_err e = RP_OK;
    if (!item_ok(t, m, "a misconfiguration", &e)) return e;
    if (!rp_hub_cv_str(m, "ID", &cid) && !rp_hub_cv_str(m, "AVDID", &cid))
        return fail_missing(t->cv, "ID");
    (void)rp_hub_cv_path_str(m, "CauseMetadata.Resource", &res);
    if (!make_id(id, sizeof id, "%.*s/%.*s/%.*s%s%.*s", (int)t->artifact.len, t->artifact.p,
                 (int)t->target.len, t->target.p, (int)cid.len, cid.p, res.len ? "/" : "",
                 (int)res.len, res.p))
        return rp_hub_cv_fail(t->cv, NULL, RP_HUB_CV_FAILED,
                              FMT ": finding id would be longer than %d bytes", RP_HUB_CV_MAX_ID);
    snprintf(gen, sizeof gen, "Trivy/%.*s", (int)cid.len, cid.p);
    if (rp_hub_cv_str(m, "Title", &s))
        snprintf(title, sizeof title, "%.*s: %.*s", (int)cid.len, cid.p, (int)s.len, s.p);
    else
        snprintf(title, sizeof title, "%.*s", (int)cid.len, cid.p);
    const char *compliance = "FAILED"; /* Trivy lists failures unless asked for more */
    if (rp_hub_cv_str(m, "Status", &status))
        for (size_t i = 0; i < RP_ARRAY_LEN(misconf_states); i++)
            if (rp_str_eq_nocase(status, rp_str_from(misconf_states[i].status)))
                compliance = misconf_states[i].compliance;

    struct rp_json_writer w;
    rp_hub_cv_begin(t->cv, &w);
    write_common(&w, t, id, gen, TYPES_MISCF);
    write_severity(&w, m);
    rp_hub_cv_kv_capped(&w, "Title", rp_str_from(title), RP_HUB_CV_MAX_TITLE);
    if (!rp_hub_cv_str(m, "Message", &s) && !rp_hub_cv_str(m, "Description", &s))
        s = rp_str_from(title);
    rp_hub_cv_kv_capped(&w, "Description", s, RP_HUB_CV_MAX_DESCRIPTION);
    if (rp_hub_cv_str(m, "Resolution", &s)) {
        struct rp_str url = {"", 0};
        (void)rp_hub_cv_str(m, "PrimaryURL", &url);
        write_remediation(&w, s, url);
    }
    write_pf(&w, t, m, pf_keys);
    write_resources(&w, t);
    rp_json_write_key(&w, "Compliance", 10);
    rp_json_write_obj_begin(&w);
    rp_json_write_kv_cstr(&w, "Status", compliance);
    rp_json_write_obj_end(&w);
    rp_json_write_kv_cstr(&w, "RecordState", "ACTIVE");
    return rp_hub_cv_end(t->cv, &w, FMT, id, eb);
}

/* ---- secrets ----------------------------------------------------------------------------- */

static rp_err convert_secret(struct tv *t, struct rp_json_val sec, struct rp_errbuf *eb)
{
    /* Match and Code hold the secret itself: never listed here */
    static const struct pf_key pf_keys[] = {{"RuleID", "RuleID"},
                                            {"Category", "Category"},
                                            {"StartLine", "StartLine"},
                                            {"EndLine", "EndLine"},
                                            {NULL, NULL}};
    struct rp_str rule, name, cat = {"", 0};
    struct rp_json_val v;
    int64_t start = 0, end = 0;
    char id[RP_HUB_CV_MAX_ID + 1], gen[300], title[RP_HUB_CV_MAX_TITLE + 1],
        desc[RP_HUB_CV_MAX_DESCRIPTION];
    rp_err e = RP_OK;
    if (!item_ok(t, sec, "a secret", &e)) return e;
    if (!rp_hub_cv_str(sec, "RuleID", &rule)) return fail_missing(t->cv, "RuleID");
    if (rp_hub_cv_get(sec, "StartLine", &v)) (void)rp_hub_cv_int(v, &start);
    end = start;
    if (rp_hub_cv_get(sec, "EndLine", &v)) (void)rp_hub_cv_int(v, &end);
    if (!rp_hub_cv_str(sec, "Title", &name)) name = rule;
    (void)rp_hub_cv_str(sec, "Category", &cat);
    if (!make_id(id, sizeof id, "%.*s/%.*s/%.*s/%lld", (int)t->artifact.len, t->artifact.p,
                 (int)t->target.len, t->target.p, (int)rule.len, rule.p, (long long)start))
        return rp_hub_cv_fail(t->cv, NULL, RP_HUB_CV_FAILED,
                              FMT ": finding id would be longer than %d bytes", RP_HUB_CV_MAX_ID);
    snprintf(gen, sizeof gen, "Trivy/%.*s", (int)rule.len, rule.p);
    snprintf(title, sizeof title, "Secret (%.*s) in %.*s", (int)name.len, name.p,
             (int)t->target.len, t->target.p);
    snprintf(desc, sizeof desc,
             "Trivy found a secret matching rule '%.*s'%s%.*s%s in %.*s, lines %lld-%lld. The "
             "matched text is not copied into this finding.",
             (int)rule.len, rule.p, cat.len ? " (" : "", (int)cat.len, cat.p, cat.len ? ")" : "",
             (int)t->target.len, t->target.p, (long long)start, (long long)end);

    struct rp_json_writer w;
    rp_hub_cv_begin(t->cv, &w);
    write_common(&w, t, id, gen, TYPES_SECR);
    write_severity(&w, sec);
    rp_hub_cv_kv_capped(&w, "Title", rp_str_from(title), RP_HUB_CV_MAX_TITLE);
    rp_hub_cv_kv_capped(&w, "Description", rp_str_from(desc), RP_HUB_CV_MAX_DESCRIPTION);
    write_pf(&w, t, sec, pf_keys);
    write_resources(&w, t);
    rp_json_write_kv_cstr(&w, "RecordState", "ACTIVE");
    return rp_hub_cv_end(t->cv, &w, FMT, id, eb);
}

/* ---- document ---------------------------------------------------------------------------- */

static const struct {
    const char *member;
    rp_err (*fn)(struct tv *t, struct rp_json_val item, struct rp_errbuf *eb);
} kinds[] = {
    {"Vulnerabilities", convert_vuln},
    {"Misconfigurations", convert_misconf},
    {"Secrets", convert_secret},
};

static int probe(struct rp_json_val root)
{
    if (!rp_hub_cv_has(root, "Results")) return 0;
    if (rp_hub_cv_has(root, "ArtifactName")) return 95;
    return rp_hub_cv_has(root, "SchemaVersion") && rp_hub_cv_has(root, "ArtifactType") ? 80 : 0;
}

static rp_err convert(struct rp_hub_conv *cv, struct rp_json_val root, struct rp_errbuf *eb)
{
    struct tv t = {.cv = cv, .root = root, .created = cv->now_ms};
    struct rp_json_val results, v, arr, el;
    struct rp_json_iter it, jt;
    if (!rp_hub_cv_get(root, "Results", &results) || rp_json_arr_iter(results, &it) != RP_OK)
        return rp_fail(eb, RP_EINVAL, FMT ": not a Trivy report (no 'Results' array)");
    t.has_artifact = rp_hub_cv_str(root, "ArtifactName", &t.artifact);
    (void)rp_hub_cv_str(root, "ArtifactType", &t.artifact_type);
    (void)rp_hub_cv_path_str(root, "Metadata.ImageID", &t.image_id);
    int64_t ms = 0;
    if (rp_hub_cv_get(root, "CreatedAt", &v) &&
        rp_hub_cv_time_of(v, false, &ms) == RP_HUB_CV_TIME_OK)
        t.created = ms;
    while (rp_json_arr_next(&it, &t.result)) {
        rp_err e = RP_OK;
        if (rp_json_type(t.result) != RP_JSON_OBJECT) {
            e = rp_hub_cv_fail(cv, NULL, RP_HUB_CV_INVALID,
                               FMT ": a result must be a JSON object, not %s",
                               rp_json_type_name(rp_json_type(t.result)));
            if (e != RP_OK) return e;
            continue;
        }
        t.has_target = rp_hub_cv_str(t.result, "Target", &t.target);
        if (!t.has_target) t.target = (struct rp_str){"", 0};
        if (!rp_hub_cv_str(t.result, "Class", &t.klass)) t.klass = (struct rp_str){"", 0};
        if (!rp_hub_cv_str(t.result, "Type", &t.type)) t.type = (struct rp_str){"", 0};
        for (size_t k = 0; k < RP_ARRAY_LEN(kinds); k++) {
            if (!rp_hub_cv_get(t.result, kinds[k].member, &arr) ||
                rp_json_arr_iter(arr, &jt) != RP_OK)
                continue;
            while (rp_json_arr_next(&jt, &el)) {
                e = kinds[k].fn(&t, el, eb);
                if (e != RP_OK) return e;
            }
        }
    }
    return RP_OK;
}

const struct rp_hub_format rp_hub_fmt_trivy = {
    .name = "trivy",
    .summary = "Trivy JSON reports: vulnerabilities, misconfigurations and secrets per target",
    .probe = probe,
    .convert = convert,
};
