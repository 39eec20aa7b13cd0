/* SPDX-License-Identifier: Apache-2.0 */
/* CVSS base scores from vectors, for Inspector's severity and score (vuln_finding.c).
 *
 * v3.0 and v3.1 follow the FIRST specification's base equations (impact sub-score, scope,
 * exploitability, and each version's Roundup: 3.0 rounds up the float, 3.1 works in integers
 * of 1/100000 so that 4.000000001 stays 4.0); v2 follows the v2 guide's base equation rounded
 * to one decimal. Only base metrics count; temporal and environmental metrics in the vector
 * are accepted and ignored, as Inspector and NVD score the base. v4.0 vectors are recognised
 * but not scored (its scores come from a lookup of macro vectors, not an equation): callers
 * fall back to the vendor's severity.
 *
 * Written here because no Debian library scores CVSS. */
#define RP_LOG_MODULE "vuln"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "vuln/vuln.h"
#include "core/rp_banned.h"

struct metric_val {
    const char *metric;
    char value;
    double w;
};

/* v3: PR's weight depends on scope; the S:C weights are in pr_changed. */
static const struct metric_val v3_w[] = {
    {"AV", 'N', 0.85}, {"AV", 'A', 0.62}, {"AV", 'L', 0.55}, {"AV", 'P', 0.2},  {"AC", 'L', 0.77},
    {"AC", 'H', 0.44}, {"PR", 'N', 0.85}, {"PR", 'L', 0.62}, {"PR", 'H', 0.27}, {"UI", 'N', 0.85},
    {"UI", 'R', 0.62}, {"S", 'U', 0},     {"S", 'C', 0},     {"C", 'H', 0.56},  {"C", 'L', 0.22},
    {"C", 'N', 0},     {"I", 'H', 0.56},  {"I", 'L', 0.22},  {"I", 'N', 0},     {"A", 'H', 0.56},
    {"A", 'L', 0.22},  {"A", 'N', 0},
};
static const char *const v3_base[] = {"AV", "AC", "PR", "UI", "S", "C", "I", "A"};

static const struct metric_val v2_w[] = {
    {"AV", 'L', 0.395}, {"AV", 'A', 0.646}, {"AV", 'N', 1.0},  {"AC", 'H', 0.35},
    {"AC", 'M', 0.61},  {"AC", 'L', 0.71},  {"Au", 'M', 0.45}, {"Au", 'S', 0.56},
    {"Au", 'N', 0.704}, {"C", 'N', 0},      {"C", 'P', 0.275}, {"C", 'C', 0.660},
    {"I", 'N', 0},      {"I", 'P', 0.275},  {"I", 'C', 0.660}, {"A", 'N', 0},
    {"A", 'P', 0.275},  {"A", 'C', 0.660},
};
static const char *const v2_base[] = {"AV", "AC", "Au", "C", "I", "A"};

/* The value letter of metric in vector ("AV:N/.."), 0 when absent. A metric given twice is
 * an error, reported as '?'. */
static char value_of(struct rp_str vector, const char *metric)
{
    char found = 0;
    struct rp_str rest = vector, tok;
    size_t ml = strlen(metric);
    while (rp_str_split_next(&rest, '/', &tok)) {
        if (tok.len == ml + 2 && memcmp(tok.p, metric, ml) == 0 && tok.p[ml] == ':') {
            if (found) return '?';
            found = tok.p[ml + 1];
        }
    }
    return found;
}

static bool weight(const struct metric_val *t, size_t n, const char *metric, char v, double *w)
{
    for (size_t i = 0; i < n; i++)
        if (t[i].value == v && strcmp(t[i].metric, metric) == 0) {
            *w = t[i].w;
            return true;
        }
    return false;
}

static double roundup31(double x)
{
    long long i = llround(x * 100000.0);
    if (i % 10000 == 0) return (double)i / 100000.0;
    return (double)(i / 10000 + 1) / 10.0;
}

static double roundup30(double x)
{
    return ceil(x * 10.0 - 1e-9) / 10.0;
}

static rp_err bad(struct rp_errbuf *eb, struct rp_str vector, const char *why, const char *metric)
{
    return rp_fail(eb, RP_EPARSE, "cvss: %s '%s' in '%.*s'", why, metric, (int)vector.len,
                   vector.p);
}

static rp_err score_v3(struct rp_str vector, bool v31, double *out, struct rp_errbuf *eb)
{
    double w[8] = {0};
    char v[8] = {0};
    for (size_t i = 0; i < 8; i++) {
        v[i] = value_of(vector, v3_base[i]);
        if (!v[i]) return bad(eb, vector, "missing base metric", v3_base[i]);
        if (!weight(v3_w, sizeof v3_w / sizeof v3_w[0], v3_base[i], v[i], &w[i]))
            return bad(eb, vector, "bad value of metric", v3_base[i]);
    }
    bool changed = v[4] == 'C';
    double pr = w[2];
    if (changed && v[2] == 'L') pr = 0.68;
    if (changed && v[2] == 'H') pr = 0.5;
    double iss = 1.0 - (1.0 - w[5]) * (1.0 - w[6]) * (1.0 - w[7]);
    double impact = changed ? 7.52 * (iss - 0.029) - 3.25 * pow(iss - 0.02, 15) : 6.42 * iss;
    double expl = 8.22 * w[0] * w[1] * pr * w[3];
    if (impact <= 0) {
        *out = 0;
        return RP_OK;
    }
    double raw = changed ? fmin(1.08 * (impact + expl), 10.0) : fmin(impact + expl, 10.0);
    *out = v31 ? roundup31(raw) : roundup30(raw);
    return RP_OK;
}

static rp_err score_v2(struct rp_str vector, double *out, struct rp_errbuf *eb)
{
    double w[6] = {0};
    for (size_t i = 0; i < 6; i++) {
        char v = value_of(vector, v2_base[i]);
        if (!v) return bad(eb, vector, "missing base metric", v2_base[i]);
        if (!weight(v2_w, sizeof v2_w / sizeof v2_w[0], v2_base[i], v, &w[i]))
            return bad(eb, vector, "bad value of metric", v2_base[i]);
    }
    double impact = 10.41 * (1.0 - (1.0 - w[3]) * (1.0 - w[4]) * (1.0 - w[5]));
    double expl = 20.0 * w[0] * w[1] * w[2];
    double f = impact == 0 ? 0 : 1.176;
    double base = (0.6 * impact + 0.4 * expl - 1.5) * f;
    *out = round(base * 10.0 + 1e-9) / 10.0;
    if (*out < 0) *out = 0;
    return RP_OK;
}

rp_err rp_cvss_base_score(struct rp_str vector, double *score, int *version, struct rp_errbuf *eb)
{
    *score = 0;
    *version = 0;
    if (rp_str_has_prefix(vector, "CVSS:3.1/")) {
        *version = 31;
        return score_v3(vector, true, score, eb);
    }
    if (rp_str_has_prefix(vector, "CVSS:3.0/")) {
        *version = 30;
        return score_v3(vector, false, score, eb);
    }
    if (rp_str_has_prefix(vector, "CVSS:4.0/")) {
        *version = 40;
        return rp_fail(eb, RP_EUNSUPPORTED, "cvss: v4.0 vectors are not scored ('%.*s')",
                       (int)vector.len, vector.p);
    }
    if (rp_str_has_prefix(vector, "CVSS:"))
        return rp_fail(eb, RP_EPARSE, "cvss: unknown version in '%.*s'", (int)vector.len, vector.p);
    *version = 2;
    return score_v2(vector, score, eb);
}

rp_err rp_cvss_set_metric(struct rp_str vector, const char *metric, const char *value, char *buf,
                          size_t n)
{
    size_t ml = strlen(metric), o = 0;
    bool done = false;
    struct rp_str rest = vector, tok;
    buf[0] = 0;
    while (rp_str_split_next(&rest, '/', &tok)) {
        int k;
        if (tok.len == ml + 2 && memcmp(tok.p, metric, ml) == 0 && tok.p[ml] == ':') {
            k = snprintf(buf + o, n - o, "%s%s:%s", o ? "/" : "", metric, value);
            done = true;
        } else {
            k = snprintf(buf + o, n - o, "%s%.*s", o ? "/" : "", (int)tok.len, tok.p);
        }
        if (k < 0 || (size_t)k >= n - o) return RP_ELIMIT;
        o += (size_t)k;
    }
    return done ? RP_OK : RP_EINVAL;
}

const char *rp_cvss_severity(double score)
{
    if (score <= 0) return "INFORMATIONAL";
    if (score < 4.0) return "LOW";
    if (score < 7.0) return "MEDIUM";
    if (score < 9.0) return "HIGH";
    return "CRITICAL";
}
