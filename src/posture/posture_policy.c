/* SPDX-License-Identifier: Apache-2.0 */
/* IAM policy analysis for the posture C checks (posture_policy.h): IAM wildcard matching and
 * pattern intersection/containment, statements of identity and resource policies (Action /
 * NotAction, Resource / NotResource, Principal / NotPrincipal, Condition), which conditions
 * restrict the caller, the S3 bucket public-access analysis (ACL, bucket policy, Block Public
 * Access on the bucket and the account), and the default version of an IAM managed policy.
 * It reads posture value trees only; the checks in posture_check_*.c turn its answers into
 * Config verdicts. The semantics, and where they approximate AWS, are in the header. */
#define RP_LOG_MODULE "posture"
#include "posture/posture_policy.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/rp_ip.h"
#include "core/rp_json.h"
#include "core/rp_str.h"
#include "core/rp_banned.h"

/* ---- small helpers ---------------------------------------------------------------------- */

static char fold(char c, bool nocase)
{
    return nocase && c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

static bool ieqn(const char *a, size_t an, const char *b, size_t bn)
{
    if (an != bn) return false;
    for (size_t i = 0; i < an; i++)
        if (fold(a[i], true) != fold(b[i], true)) return false;
    return true;
}

static bool ieq(const char *a, const char *b)
{
    return a && b && ieqn(a, strlen(a), b, strlen(b));
}

static bool iprefix(const char *s, size_t n, const char *prefix, size_t *plen)
{
    size_t k = strlen(prefix);
    if (n < k || !ieqn(s, k, prefix, k)) return false;
    if (plen) *plen = k;
    return true;
}

static bool isuffix(const char *s, size_t n, const char *suffix)
{
    size_t k = strlen(suffix);
    return n >= k && ieqn(s + n - k, k, suffix, k);
}

static bool all_stars(const char *s, size_t n)
{
    if (n == 0) return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] != '*') return false;
    return true;
}

/* A string value or a list: how many items, and item i when it is a string. */
static size_t items(const struct rp_pv *v)
{
    if (!v) return 0;
    if (v->kind == RP_PV_LIST) return v->n;
    return v->kind == RP_PV_STRING ? 1 : 0;
}

static const struct rp_pv *item_str(const struct rp_pv *v, size_t i)
{
    const struct rp_pv *x = v->kind == RP_PV_LIST ? v->u.items[i] : v;
    return x && x->kind == RP_PV_STRING ? x : NULL;
}

static bool truthy(const struct rp_pv *v)
{
    if (!v) return false;
    if (v->kind == RP_PV_BOOL) return v->u.b;
    if (v->kind == RP_PV_STRING) return ieq(v->u.s, "true");
    return false;
}

/* ---- wildcard patterns ------------------------------------------------------------------ */

bool rp_posture_glob_match(const char *p, size_t pn, const char *s, size_t sn, bool nocase)
{
    size_t pi = 0, si = 0, star = SIZE_MAX, mark = 0;
    while (si < sn) {
        if (pi < pn && p[pi] == '*') {
            star = pi++;
            mark = si;
        } else if (pi < pn && (p[pi] == '?' || fold(p[pi], nocase) == fold(s[si], nocase))) {
            pi++;
            si++;
        } else if (star != SIZE_MAX) {
            pi = star + 1;
            si = ++mark;
        } else {
            return false;
        }
    }
    while (pi < pn && p[pi] == '*') pi++;
    return pi == pn;
}

/* f(i, j) = some string matches both p[i..] and q[j..]; rows of i from the end, so only two
 * rows of j are kept. */
bool rp_posture_glob_intersects(const char *p, size_t pn, const char *q, size_t qn, bool nocase)
{
    if (pn > RP_POSTURE_GLOB_MAX || qn > RP_POSTURE_GLOB_MAX) return true;
    unsigned char rowa[RP_POSTURE_GLOB_MAX + 2], rowb[RP_POSTURE_GLOB_MAX + 2];
    unsigned char *next = rowa, *cur = rowb;
    memset(rowa, 0, qn + 2);
    for (size_t i = pn + 1; i-- > 0;) {
        for (size_t j = qn + 1; j-- > 0;) {
            bool pend = i == pn, qend = j == qn, r = false;
            if (pend && qend)
                r = true;
            else if (!pend && p[i] == '*')
                r = next[j] || (!qend && cur[j + 1]);
            else if (!qend && q[j] == '*')
                r = cur[j + 1] || (!pend && next[j]);
            else if (pend || qend)
                r = false;
            else if (p[i] == '?' || q[j] == '?' || fold(p[i], nocase) == fold(q[j], nocase))
                r = next[j + 1];
            cur[j] = r;
        }
        unsigned char *t = next;
        next = cur;
        cur = t;
    }
    return next[0] != 0;
}

/* Outer read as a pattern over the symbols of inner: '*' of outer takes any run of symbols,
 * '?' of outer one symbol that is not '*', a literal of outer the same literal only. */
bool rp_posture_glob_covers(const char *o, size_t on, const char *s, size_t sn, bool nocase)
{
    if (on > RP_POSTURE_GLOB_MAX || sn > RP_POSTURE_GLOB_MAX) return false;
    size_t pi = 0, si = 0, star = SIZE_MAX, mark = 0;
    while (si < sn) {
        bool one = false;
        if (pi < on && o[pi] != '*') {
            if (o[pi] == '?')
                one = s[si] != '*';
            else
                one = s[si] != '*' && s[si] != '?' && fold(o[pi], nocase) == fold(s[si], nocase);
        }
        if (pi < on && o[pi] == '*') {
            star = pi++;
            mark = si;
        } else if (one) {
            pi++;
            si++;
        } else if (star != SIZE_MAX) {
            pi = star + 1;
            si = ++mark;
        } else {
            return false;
        }
    }
    while (pi < on && o[pi] == '*') pi++;
    return pi == on;
}

bool rp_posture_action_match(const char *pattern, const char *action)
{
    return pattern && action &&
           rp_posture_glob_match(pattern, strlen(pattern), action, strlen(action), true);
}

/* ---- documents -------------------------------------------------------------------------- */

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Parse JSON text into the arena, percent-decoding it first when it has an escape and does
 * not start like JSON. */
static rp_err parse_text(struct rp_arena *a, const char *s, size_t n, struct rp_pv **out,
                         struct rp_errbuf *eb)
{
    struct rp_str t = rp_str_trim((struct rp_str){s, n});
    *out = NULL;
    if (t.len == 0) return RP_OK;
    if (t.p[0] != '{' && t.p[0] != '[' && memchr(t.p, '%', t.len)) {
        char *d = rp_arena_alloc(a, t.len + 1);
        if (!d) return rp_fail(eb, RP_ENOMEM, "posture: out of memory");
        size_t o = 0;
        for (size_t i = 0; i < t.len; i++) {
            int h1 = -1, h2 = -1;
            if (t.p[i] == '%' && i + 2 < t.len) {
                h1 = hexval(t.p[i + 1]);
                h2 = hexval(t.p[i + 2]);
            }
            if (h1 >= 0 && h2 >= 0) {
                d[o++] = (char)(h1 * 16 + h2);
                i += 2;
            } else {
                d[o++] = t.p[i];
            }
        }
        d[o] = '\0';
        t = rp_str_trim((struct rp_str){d, o});
    }
    struct rp_json_parser *jp = rp_json_parser_new();
    if (!jp) return rp_fail(eb, RP_ENOMEM, "posture: out of memory");
    rp_err e = rp_pv_parse(a, jp, t.p, t.len, out, eb);
    rp_json_parser_free(jp);
    return e;
}

static rp_err merge_list(struct rp_arena *a, const struct rp_pv *list, const struct rp_pv **out,
                         struct rp_errbuf *eb)
{
    if (list->n == 1 && list->u.items[0] && list->u.items[0]->kind == RP_PV_MAP) {
        *out = list->u.items[0];
        return RP_OK;
    }
    struct rp_pv *doc = rp_pv_map(a), *stmts = rp_pv_list(a);
    if (!doc || !stmts || rp_pv_set(a, doc, "Statement", stmts) != RP_OK)
        return rp_fail(eb, RP_ENOMEM, "posture: out of memory");
    for (uint32_t i = 0; i < list->n; i++) {
        const struct rp_pv *d = list->u.items[i];
        if (!d || d->kind != RP_PV_MAP) continue;
        size_t ns = rp_posture_policy_nstmts(d);
        for (size_t k = 0; k < ns; k++)
            if (rp_pv_push(a, stmts, (struct rp_pv *)rp_posture_policy_stmt(d, k)) != RP_OK)
                return rp_fail(eb, RP_ENOMEM, "posture: out of memory");
    }
    *out = doc;
    return RP_OK;
}

rp_err rp_posture_policy_resolve(struct rp_arena *a, const struct rp_pv *v,
                                 const struct rp_pv **out, struct rp_errbuf *eb)
{
    *out = NULL;
    if (!v || v->kind == RP_PV_NULL) return RP_OK;
    if (v->kind == RP_PV_MAP) {
        *out = v;
        return RP_OK;
    }
    if (v->kind == RP_PV_LIST) return merge_list(a, v, out, eb);
    if (v->kind != RP_PV_STRING)
        return rp_fail(eb, RP_EPARSE, "policy: a document is not a %s", rp_pv_kind_name(v->kind));
    struct rp_pv *p = NULL;
    rp_err e = parse_text(a, v->u.s, v->n, &p, eb);
    if (e != RP_OK || !p) return e;
    if (p->kind == RP_PV_MAP) {
        *out = p;
        return RP_OK;
    }
    if (p->kind == RP_PV_LIST) return merge_list(a, p, out, eb);
    return rp_fail(eb, RP_EPARSE, "policy: a document is not a %s", rp_pv_kind_name(p->kind));
}

size_t rp_posture_policy_nstmts(const struct rp_pv *policy)
{
    const struct rp_pv *s = rp_pv_get(policy, "Statement");
    if (!s) return 0;
    if (s->kind == RP_PV_LIST) return s->n;
    return s->kind == RP_PV_MAP ? 1 : 0;
}

const struct rp_pv *rp_posture_policy_stmt(const struct rp_pv *policy, size_t i)
{
    const struct rp_pv *s = rp_pv_get(policy, "Statement");
    if (!s) return NULL;
    if (s->kind == RP_PV_LIST) return i < s->n ? s->u.items[i] : NULL;
    return s->kind == RP_PV_MAP && i == 0 ? s : NULL;
}

void rp_posture_stmt_label(const struct rp_pv *stmt, size_t i, char *buf, size_t bufsz)
{
    const struct rp_pv *sid = rp_pv_get(stmt, "Sid");
    if (sid && sid->kind == RP_PV_STRING && sid->n > 0)
        snprintf(buf, bufsz, "'%s'", sid->u.s);
    else
        snprintf(buf, bufsz, "%zu", i + 1);
}

/* ---- statements ------------------------------------------------------------------------- */

enum rp_posture_effect rp_posture_stmt_effect(const struct rp_pv *stmt)
{
    if (!stmt || stmt->kind != RP_PV_MAP) return RP_POSTURE_EFFECT_NONE;
    if (!rp_pv_get(stmt, "Action") && !rp_pv_get(stmt, "NotAction")) return RP_POSTURE_EFFECT_NONE;
    const struct rp_pv *e = rp_pv_get(stmt, "Effect");
    if (rp_pv_is_str(e, "Allow")) return RP_POSTURE_EFFECT_ALLOW;
    if (rp_pv_is_str(e, "Deny")) return RP_POSTURE_EFFECT_DENY;
    return RP_POSTURE_EFFECT_NONE;
}

enum rel { REL_MATCH, REL_MAY, REL_COVERS };

static bool rel_holds(enum rel r, const char *pat, size_t pn, const char *x, size_t xn, bool nocase)
{
    switch (r) {
    case REL_MATCH:
        return rp_posture_glob_match(pat, pn, x, xn, nocase);
    case REL_MAY:
        return rp_posture_glob_intersects(pat, pn, x, xn, nocase);
    case REL_COVERS:
        return rp_posture_glob_covers(pat, pn, x, xn, nocase);
    }
    return false;
}

static bool any_pattern(const struct rp_pv *v, enum rel r, const char *x, bool nocase)
{
    size_t xn = strlen(x), n = items(v);
    for (size_t i = 0; i < n; i++) {
        const struct rp_pv *s = item_str(v, i);
        if (s && rel_holds(r, s->u.s, s->n, x, xn, nocase)) return true;
    }
    return false;
}

/* Does the element pos/neg of stmt apply to x under r? With the negative form the question
 * turns around: some of x is left in when no excluded pattern covers x; all of x is in when
 * no excluded pattern meets x. */
static bool element_applies(const struct rp_pv *stmt, const char *pos, const char *neg, enum rel r,
                            const char *x, bool nocase, bool absent_all)
{
    if (!stmt || stmt->kind != RP_PV_MAP || !x) return false;
    const struct rp_pv *p = rp_pv_get(stmt, pos);
    if (p) return any_pattern(p, r, x, nocase);
    const struct rp_pv *n = rp_pv_get(stmt, neg);
    if (!n) return absent_all;
    if (n->kind != RP_PV_STRING && n->kind != RP_PV_LIST) return false;
    switch (r) {
    case REL_MATCH:
        return !any_pattern(n, REL_MATCH, x, nocase);
    case REL_MAY:
        return !any_pattern(n, REL_COVERS, x, nocase);
    case REL_COVERS:
        return !any_pattern(n, REL_MAY, x, nocase);
    }
    return false;
}

bool rp_posture_stmt_action_matches(const struct rp_pv *stmt, const char *action)
{
    return element_applies(stmt, "Action", "NotAction", REL_MATCH, action, true, false);
}

bool rp_posture_stmt_action_may_match(const struct rp_pv *stmt, const char *pattern)
{
    return element_applies(stmt, "Action", "NotAction", REL_MAY, pattern, true, false);
}

bool rp_posture_stmt_action_covers(const struct rp_pv *stmt, const char *pattern)
{
    return element_applies(stmt, "Action", "NotAction", REL_COVERS, pattern, true, false);
}

bool rp_posture_stmt_resource_matches(const struct rp_pv *stmt, const char *resource)
{
    return element_applies(stmt, "Resource", "NotResource", REL_MATCH, resource, false, true);
}

bool rp_posture_stmt_resource_may_match(const struct rp_pv *stmt, const char *pattern)
{
    return element_applies(stmt, "Resource", "NotResource", REL_MAY, pattern, false, true);
}

bool rp_posture_stmt_resource_covers(const struct rp_pv *stmt, const char *pattern)
{
    return element_applies(stmt, "Resource", "NotResource", REL_COVERS, pattern, false, true);
}

bool rp_posture_stmt_allows(const struct rp_pv *stmt, const char *action, const char *resource)
{
    return rp_posture_stmt_effect(stmt) == RP_POSTURE_EFFECT_ALLOW &&
           rp_posture_stmt_action_matches(stmt, action) &&
           (!resource || rp_posture_stmt_resource_matches(stmt, resource));
}

/* "*", "**", "*:*": every action. */
static bool every_action(const char *s, size_t n)
{
    if (all_stars(s, n)) return true;
    const char *c = memchr(s, ':', n);
    return c && all_stars(s, (size_t)(c - s)) && all_stars(c + 1, n - (size_t)(c - s) - 1);
}

bool rp_posture_stmt_is_admin(const struct rp_pv *stmt)
{
    if (rp_posture_stmt_effect(stmt) != RP_POSTURE_EFFECT_ALLOW) return false;
    const struct rp_pv *act = rp_pv_get(stmt, "Action"), *res = rp_pv_get(stmt, "Resource");
    bool acts = false, all = false;
    for (size_t i = 0, n = items(act); i < n && !acts; i++) {
        const struct rp_pv *s = item_str(act, i);
        acts = s && every_action(s->u.s, s->n);
    }
    for (size_t i = 0, n = items(res); i < n && !all; i++) {
        const struct rp_pv *s = item_str(res, i);
        all = s && all_stars(s->u.s, s->n);
    }
    return acts && all;
}

static bool all_keys_pattern(const char *r, size_t n)
{
    static const char shape[] = "arn:*:kms:*:*:key/*";
    if (all_stars(r, n)) return true;
    if (!rp_posture_glob_intersects(r, n, shape, sizeof(shape) - 1, false)) return false;
    size_t colons = 0, i = 0;
    for (; i < n && colons < 5; i++)
        if (r[i] == ':') colons++;
    if (colons < 5) return r[n - 1] == '*';
    return rp_posture_glob_covers(r + i, n - i, "key/*", 5, false);
}

bool rp_posture_stmt_all_kms_keys(const struct rp_pv *stmt)
{
    if (!stmt || stmt->kind != RP_PV_MAP) return false;
    const struct rp_pv *res = rp_pv_get(stmt, "Resource");
    if (res) {
        for (size_t i = 0, n = items(res); i < n; i++) {
            const struct rp_pv *s = item_str(res, i);
            if (s && all_keys_pattern(s->u.s, s->n)) return true;
        }
        return false;
    }
    const struct rp_pv *neg = rp_pv_get(stmt, "NotResource");
    if (!neg) return true;
    if (neg->kind != RP_PV_STRING && neg->kind != RP_PV_LIST) return false;
    for (size_t i = 0, n = items(neg); i < n; i++) {
        const struct rp_pv *s = item_str(neg, i);
        if (s && all_keys_pattern(s->u.s, s->n)) return false;
    }
    return true;
}

const char *const rp_posture_probe_services[] = {
    "s3",
    "ec2",
    "iam",
    "kms",
    "lambda",
    "sts",
    "dynamodb",
    "rds",
    "sqs",
    "sns",
    "cloudtrail",
    "logs",
    "cloudwatch",
    "config",
    "organizations",
    "ssm",
    "secretsmanager",
    "ecr",
    "ecs",
    "eks",
    "elasticloadbalancing",
    "autoscaling",
    "cloudformation",
    "route53",
    "guardduty",
    "securityhub",
    "kinesis",
    "glue",
    "athena",
    NULL,
};

bool rp_posture_stmt_full_access(const struct rp_pv *stmt, char *what, size_t whatsz)
{
    if (rp_posture_stmt_effect(stmt) != RP_POSTURE_EFFECT_ALLOW) return false;
    const struct rp_pv *act = rp_pv_get(stmt, "Action");
    if (act) {
        for (size_t i = 0, n = items(act); i < n; i++) {
            const struct rp_pv *s = item_str(act, i);
            if (!s) continue;
            const char *c = memchr(s->u.s, ':', s->n);
            bool full = all_stars(s->u.s, s->n) ||
                        (c && c > s->u.s && all_stars(c + 1, s->n - (size_t)(c - s->u.s) - 1));
            if (full) {
                if (what) snprintf(what, whatsz, "%s", s->u.s);
                return true;
            }
        }
        return false;
    }
    const struct rp_pv *neg = rp_pv_get(stmt, "NotAction");
    if (!neg || (neg->kind != RP_PV_STRING && neg->kind != RP_PV_LIST)) return false;
    for (size_t k = 0; rp_posture_probe_services[k]; k++) {
        char all[64];
        snprintf(all, sizeof(all), "%s:*", rp_posture_probe_services[k]);
        if (!any_pattern(neg, REL_MAY, all, true)) {
            if (what) snprintf(what, whatsz, "%s through NotAction", all);
            return true;
        }
    }
    return false;
}

/* ---- principals ------------------------------------------------------------------------- */

static enum rp_posture_principal_kind principal_kind(const char *k)
{
    if (strcmp(k, "AWS") == 0) return RP_POSTURE_PRIN_AWS;
    if (strcmp(k, "Service") == 0) return RP_POSTURE_PRIN_SERVICE;
    if (strcmp(k, "Federated") == 0) return RP_POSTURE_PRIN_FEDERATED;
    if (strcmp(k, "CanonicalUser") == 0) return RP_POSTURE_PRIN_CANONICAL;
    return RP_POSTURE_PRIN_OTHER;
}

size_t rp_posture_stmt_principals(const struct rp_pv *stmt, struct rp_posture_principal *out,
                                  size_t max, bool *negated)
{
    if (negated) *negated = false;
    if (!stmt || stmt->kind != RP_PV_MAP) return 0;
    const struct rp_pv *v = rp_pv_get(stmt, "Principal");
    bool neg = false;
    if (!v) {
        v = rp_pv_get(stmt, "NotPrincipal");
        neg = v != NULL;
    }
    if (negated) *negated = neg;
    if (!v) return 0;
    size_t n = 0;
    if (v->kind == RP_PV_STRING) {
        if (n < max)
            out[n] = (struct rp_posture_principal){
                rp_pv_is_str(v, "*") ? RP_POSTURE_PRIN_ALL : RP_POSTURE_PRIN_OTHER, v->u.s, v->n};
        return 1;
    }
    if (v->kind != RP_PV_MAP) return 0;
    for (uint32_t m = 0; m < v->n; m++) {
        enum rp_posture_principal_kind k = principal_kind(v->u.members[m].key);
        const struct rp_pv *vals = v->u.members[m].val;
        for (size_t i = 0, ni = items(vals); i < ni; i++) {
            const struct rp_pv *s = item_str(vals, i);
            if (!s) continue;
            if (n < max) out[n] = (struct rp_posture_principal){k, s->u.s, s->n};
            n++;
        }
    }
    return n;
}

#define MAX_PRINCIPALS 256

bool rp_posture_stmt_principal_everyone(const struct rp_pv *stmt)
{
    struct rp_posture_principal ps[MAX_PRINCIPALS];
    bool neg = false;
    size_t n = rp_posture_stmt_principals(stmt, ps, MAX_PRINCIPALS, &neg);
    if (neg) return true;
    if (n > MAX_PRINCIPALS) return true; /* not analysed: assume the worst */
    for (size_t i = 0; i < n; i++) {
        if (ps[i].kind == RP_POSTURE_PRIN_ALL) return true;
        if (ps[i].kind == RP_POSTURE_PRIN_AWS && memchr(ps[i].value, '*', ps[i].len)) return true;
    }
    return false;
}

static bool twelve_digits(const char *s, size_t n)
{
    if (n != 12) return false;
    for (size_t i = 0; i < 12; i++)
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

bool rp_posture_principal_account(const char *p, size_t n, char acct[13])
{
    if (twelve_digits(p, n)) {
        memcpy(acct, p, 12);
        acct[12] = '\0';
        return true;
    }
    /* arn:partition:service:region:account:resource */
    const char *f[6];
    size_t fl[6], k = 0, start = 0;
    for (size_t i = 0; i <= n && k < 6; i++) {
        if (i == n || (p[i] == ':' && k < 5)) {
            f[k] = p + start;
            fl[k] = i - start;
            k++;
            start = i + 1;
        }
    }
    if (k < 6 || fl[0] != 3 || memcmp(f[0], "arn", 3) != 0) return false;
    bool svc =
        (fl[2] == 3 && memcmp(f[2], "iam", 3) == 0) || (fl[2] == 3 && memcmp(f[2], "sts", 3) == 0);
    if (!svc || !twelve_digits(f[4], fl[4])) return false;
    memcpy(acct, f[4], 12);
    acct[12] = '\0';
    return true;
}

/* ---- conditions ------------------------------------------------------------------------- */

void rp_posture_cond_iter_init(struct rp_posture_cond_iter *it, const struct rp_pv *stmt)
{
    const struct rp_pv *c = rp_pv_get(stmt, "Condition");
    it->cond = c && c->kind == RP_PV_MAP ? c : NULL;
    it->oi = 0;
    it->ki = 0;
}

bool rp_posture_cond_next(struct rp_posture_cond_iter *it, const char **op, const char **key,
                          const struct rp_pv **value)
{
    while (it->cond && it->oi < it->cond->n) {
        const struct rp_pv_member *om = &it->cond->u.members[it->oi];
        const struct rp_pv *keys = om->val;
        if (!keys || keys->kind != RP_PV_MAP || it->ki >= keys->n) {
            it->oi++;
            it->ki = 0;
            continue;
        }
        const struct rp_pv_member *km = &keys->u.members[it->ki++];
        *op = om->key;
        *key = km->key;
        *value = km->val;
        return true;
    }
    return false;
}

const char *const rp_posture_restricting_keys[] = {
    "aws:SourceIp",
    "aws:SourceVpc",
    "aws:SourceVpce",
    "aws:VpcSourceIp",
    "aws:SourceAccount",
    "aws:SourceArn",
    "aws:SourceOwner",
    "aws:SourceOrgID",
    "aws:SourceOrgPaths",
    "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths",
    "aws:PrincipalAccount",
    "aws:PrincipalArn",
    "aws:PrincipalServiceName",
    "aws:userid",
    "aws:username",
    "kms:CallerAccount",
    "s3:DataAccessPointAccount",
    "s3:DataAccessPointArn",
    "lambda:EventSourceToken",
    NULL,
};

bool rp_posture_condition_key_restricts(const char *key)
{
    for (size_t i = 0; key && rp_posture_restricting_keys[i]; i++)
        if (ieq(key, rp_posture_restricting_keys[i])) return true;
    return false;
}

static bool is_ip_key(const char *key)
{
    return ieq(key, "aws:SourceIp") || ieq(key, "aws:VpcSourceIp");
}

/* A CIDR narrow enough to name known callers: IPv4 /8 or longer, IPv6 /32 or longer. */
static bool narrow_cidr(const char *s, size_t n)
{
    struct rp_cidr c;
    if (rp_cidr_parse((struct rp_str){s, n}, &c, NULL, NULL) != RP_OK) return false;
    return c.addr.family == RP_IP_V4 ? c.len >= 8 : c.len >= 32;
}

/* Every value of a condition is fixed (and for IP keys a narrow CIDR); at least one value. */
static bool fixed_values(const char *key, const struct rp_pv *v)
{
    if (!v) return false;
    size_t n = v->kind == RP_PV_LIST ? v->n : 1;
    if (n == 0) return false;
    bool ip = is_ip_key(key);
    for (size_t i = 0; i < n; i++) {
        const struct rp_pv *x = v->kind == RP_PV_LIST ? v->u.items[i] : v;
        if (!x) return false;
        if (x->kind == RP_PV_INT && !ip) continue;
        if (x->kind != RP_PV_STRING || x->n == 0) return false;
        if (memchr(x->u.s, '*', x->n) || memchr(x->u.s, '?', x->n) || strstr(x->u.s, "${"))
            return false;
        if (ip && !narrow_cidr(x->u.s, x->n)) return false;
    }
    return true;
}

static bool op_in(const char *op, size_t n, const char *const *names)
{
    for (size_t i = 0; names[i]; i++)
        if (ieqn(op, n, names[i], strlen(names[i]))) return true;
    return false;
}

bool rp_posture_condition_restricts(const char *op, const char *key, const struct rp_pv *value)
{
    static const char *const pos[] = {"StringEquals",
                                      "StringEqualsIgnoreCase",
                                      "StringLike",
                                      "ArnEquals",
                                      "ArnLike",
                                      "IpAddress",
                                      NULL};
    if (!op || !rp_posture_condition_key_restricts(key)) return false;
    size_t n = strlen(op), k = 0;
    if (iprefix(op, n, "ForAnyValue:", &k)) {
        op += k;
        n -= k;
    }
    if (isuffix(op, n, "IfExists")) return false;
    return op_in(op, n, pos) && fixed_values(key, value);
}

bool rp_posture_condition_restricts_negated(const char *op, const char *key,
                                            const struct rp_pv *value)
{
    static const char *const neg[] = {"StringNotEquals",
                                      "StringNotEqualsIgnoreCase",
                                      "StringNotLike",
                                      "ArnNotEquals",
                                      "ArnNotLike",
                                      "NotIpAddress",
                                      NULL};
    if (!op || !rp_posture_condition_key_restricts(key)) return false;
    size_t n = strlen(op);
    if (isuffix(op, n, "IfExists")) n -= strlen("IfExists");
    return op_in(op, n, neg) && fixed_values(key, value);
}

bool rp_posture_stmt_condition_restricts(const struct rp_pv *stmt)
{
    struct rp_posture_cond_iter it;
    const char *op = NULL, *key = NULL;
    const struct rp_pv *val = NULL;
    rp_posture_cond_iter_init(&it, stmt);
    while (rp_posture_cond_next(&it, &op, &key, &val))
        if (rp_posture_condition_restricts(op, key, val)) return true;
    return false;
}

bool rp_posture_stmt_is_public(const struct rp_pv *stmt)
{
    return rp_posture_stmt_effect(stmt) == RP_POSTURE_EFFECT_ALLOW &&
           rp_posture_stmt_principal_everyone(stmt) && !rp_posture_stmt_condition_restricts(stmt);
}

/* ---- S3 buckets ------------------------------------------------------------------------- */

const struct rp_posture_s3_probe rp_posture_s3_read_probes[] = {
    {"s3:GetObject", true},
    {"s3:GetObjectVersion", true},
    {"s3:GetObjectAcl", true},
    {"s3:ListBucket", false},
    {"s3:ListBucketVersions", false},
    {"s3:ListBucketMultipartUploads", false},
    {NULL, false},
};

const struct rp_posture_s3_probe rp_posture_s3_write_probes[] = {
    {"s3:PutObject", true},
    {"s3:PutObjectAcl", true},
    {"s3:DeleteObject", true},
    {"s3:DeleteObjectVersion", true},
    {"s3:RestoreObject", true},
    {"s3:AbortMultipartUpload", true},
    {"s3:PutBucketPolicy", false},
    {"s3:DeleteBucketPolicy", false},
    {"s3:PutBucketAcl", false},
    {"s3:DeleteBucket", false},
    {"s3:PutLifecycleConfiguration", false},
    {NULL, false},
};

static const char *str_of(const struct rp_pv *v)
{
    return v && v->kind == RP_PV_STRING && v->n > 0 ? v->u.s : NULL;
}

bool rp_posture_s3_bucket_arn(const struct rp_pv *doc, char *buf, size_t bufsz)
{
    const char *arn = str_of(rp_pv_get(doc, "ARN"));
    if (!arn) arn = str_of(rp_pv_get(doc, "arn"));
    if (arn && strncmp(arn, "arn:", 4) == 0) {
        snprintf(buf, bufsz, "%s", arn);
        return true;
    }
    const char *name = str_of(rp_pv_path(doc, "configuration.name"));
    if (!name) name = str_of(rp_pv_get(doc, "resourceName"));
    if (!name) name = str_of(rp_pv_get(doc, "resourceId"));
    if (!name) return false;
    snprintf(buf, bufsz, "arn:aws:s3:::%s", name);
    return true;
}

rp_err rp_posture_s3_bucket_policy(struct rp_arena *a, const struct rp_pv *doc,
                                   const struct rp_pv **out, struct rp_errbuf *eb)
{
    const struct rp_pv *bp = rp_pv_path(doc, "supplementaryConfiguration.BucketPolicy");
    const struct rp_pv *text = bp && bp->kind == RP_PV_MAP ? rp_pv_get(bp, "policyText") : bp;
    return rp_posture_policy_resolve(a, text, out, eb);
}

/* "AllUsers" / "AuthenticatedUsers" when the grantee is one of those groups: Config's
 * serialization gives the group's name as a string; the S3 API gives a URI. */
static const char *group_of_text(const char *s, size_t n)
{
    if (ieqn(s, n, "AllUsers", 8) || isuffix(s, n, "/groups/global/AllUsers")) return "AllUsers";
    if (ieqn(s, n, "AuthenticatedUsers", 18) || isuffix(s, n, "/groups/global/AuthenticatedUsers"))
        return "AuthenticatedUsers";
    return NULL;
}

static const char *group_of(const struct rp_pv *g)
{
    if (!g) return NULL;
    if (g->kind == RP_PV_STRING) return group_of_text(g->u.s, g->n);
    if (g->kind != RP_PV_MAP) return NULL;
    for (uint32_t i = 0; i < g->n; i++) {
        const struct rp_pv *v = g->u.members[i].val;
        const char *r = v && v->kind == RP_PV_STRING ? group_of_text(v->u.s, v->n) : NULL;
        if (r) return r;
    }
    return NULL;
}

/* The permission in the S3 API's spelling ("FullControl", "FULL_CONTROL" -> "FULL_CONTROL"),
 * or NULL. */
static const char *perm_name(const struct rp_pv *p)
{
    static const char *const names[][2] = {
        {"read", "READ"},
        {"write", "WRITE"},
        {"readacp", "READ_ACP"},
        {"writeacp", "WRITE_ACP"},
        {"fullcontrol", "FULL_CONTROL"},
    };
    if (!p || p->kind != RP_PV_STRING || p->n > 32) return NULL;
    char k[40];
    size_t n = 0;
    for (uint32_t i = 0; i < p->n; i++)
        if (p->u.s[i] != '_') k[n++] = fold(p->u.s[i], true);
    k[n] = '\0';
    for (size_t i = 0; i < RP_ARRAY_LEN(names); i++)
        if (strcmp(k, names[i][0]) == 0) return names[i][1];
    return NULL;
}

static bool perm_counts(enum rp_posture_s3_access what, const char *perm)
{
    if (strcmp(perm, "FULL_CONTROL") == 0) return true;
    if (what == RP_POSTURE_S3_READ) return strcmp(perm, "READ") == 0;
    return strcmp(perm, "WRITE") == 0 || strcmp(perm, "WRITE_ACP") == 0;
}

static const struct rp_pv *grants_of(const struct rp_pv *acl)
{
    static const char *const keys[] = {"grantList", "grants", "Grants", "grantSet"};
    for (size_t i = 0; i < RP_ARRAY_LEN(keys); i++) {
        const struct rp_pv *g = rp_pv_get(acl, keys[i]);
        if (g && g->kind == RP_PV_LIST) return g;
    }
    return NULL;
}

static const struct rp_pv *get2(const struct rp_pv *m, const char *a, const char *b)
{
    const struct rp_pv *v = rp_pv_get(m, a);
    return v ? v : rp_pv_get(m, b);
}

/* The Deny d applies to every resource through which allow grants the probe: the whole probe
 * resource, or (for objects) each of allow's Resource patterns that meets it. */
static bool deny_covers_grant(const struct rp_pv *d, const struct rp_pv *allow, const char *res,
                              bool object)
{
    if (!object) return rp_posture_stmt_resource_matches(d, res);
    if (rp_posture_stmt_resource_covers(d, res)) return true;
    const struct rp_pv *ar = rp_pv_get(allow, "Resource");
    bool any = false;
    size_t rn = strlen(res);
    for (size_t i = 0, n = items(ar); i < n; i++) {
        const struct rp_pv *r = item_str(ar, i);
        if (!r || !rp_posture_glob_intersects(r->u.s, r->n, res, rn, false)) continue;
        if (!rp_posture_stmt_resource_covers(d, r->u.s)) return false;
        any = true;
    }
    return any;
}

/* A Deny for everyone that takes the probe, as allow grants it, away from every caller the
 * restricting conditions do not name. */
static bool denied(const struct rp_pv *policy, const struct rp_pv *allow, const char *action,
                   const char *res, bool object)
{
    for (size_t i = 0, n = rp_posture_policy_nstmts(policy); i < n; i++) {
        const struct rp_pv *d = rp_posture_policy_stmt(policy, i);
        if (rp_posture_stmt_effect(d) != RP_POSTURE_EFFECT_DENY) continue;
        if (!rp_posture_stmt_principal_everyone(d)) continue;
        if (!rp_posture_stmt_action_matches(d, action)) continue;
        if (!deny_covers_grant(d, allow, res, object)) continue;
        struct rp_posture_cond_iter it;
        const char *op = NULL, *key = NULL;
        const struct rp_pv *val = NULL;
        bool all = true;
        rp_posture_cond_iter_init(&it, d);
        while (all && rp_posture_cond_next(&it, &op, &key, &val))
            all = rp_posture_condition_restricts_negated(op, key, val);
        if (all) return true;
    }
    return false;
}

rp_err rp_posture_s3_public_eval(const struct rp_posture_eval_in *in,
                                 enum rp_posture_s3_access what, struct rp_posture_verdict *out,
                                 struct rp_errbuf *eb)
{
    const struct rp_pv *doc = in->doc;
    char arn[1100];
    if (!rp_posture_s3_bucket_arn(doc, arn, sizeof(arn))) {
        rp_posture_verdict_set(out, RP_PC_INSUFFICIENT_DATA, "needs the bucket name");
        return RP_OK;
    }
    const struct rp_pv *sc = rp_pv_get(doc, "supplementaryConfiguration");
    const struct rp_pv *bpa = rp_pv_get(sc, "PublicAccessBlockConfiguration");
    bool ignore_acls = truthy(rp_pv_get(bpa, "ignorePublicAcls"));
    bool restrict_pol = truthy(rp_pv_get(bpa, "restrictPublicBuckets"));
    const struct rp_pv *acct = rp_posture_binding_get(in, "accountBlock");
    if (acct && acct->kind == RP_PV_LIST)
        for (uint32_t i = 0; i < acct->n; i++) {
            const struct rp_pv *cfg = rp_pv_get(acct->u.items[i], "configuration");
            ignore_acls = ignore_acls || truthy(rp_pv_get(cfg, "ignorePublicAcls"));
            restrict_pol = restrict_pol || truthy(rp_pv_get(cfg, "restrictPublicBuckets"));
        }

    if (!ignore_acls) {
        const struct rp_pv *acl = rp_pv_get(sc, "AccessControlList");
        if (acl && acl->kind == RP_PV_STRING) {
            struct rp_pv *p = NULL;
            rp_err e = parse_text(in->scratch, acl->u.s, acl->n, &p, eb);
            if (e == RP_ENOMEM) return e;
            if (e != RP_OK) {
                rp_posture_verdict_set(out, RP_PC_INSUFFICIENT_DATA,
                                       "the bucket ACL does not parse");
                return RP_OK;
            }
            acl = p;
        }
        const struct rp_pv *grants = grants_of(acl);
        for (uint32_t i = 0; grants && i < grants->n; i++) {
            const struct rp_pv *g = grants->u.items[i];
            const char *grp = group_of(get2(g, "grantee", "Grantee"));
            const char *perm = perm_name(get2(g, "permission", "Permission"));
            if (grp && perm && perm_counts(what, perm)) {
                rp_posture_verdict_set(out, RP_PC_NON_COMPLIANT, "bucket ACL grants %s to %s", perm,
                                       grp);
                return RP_OK;
            }
        }
    }

    if (!restrict_pol) {
        const struct rp_pv *policy = NULL;
        rp_err e = rp_posture_s3_bucket_policy(in->scratch, doc, &policy, eb);
        if (e == RP_ENOMEM) return e;
        if (e != RP_OK) {
            rp_posture_verdict_set(out, RP_PC_INSUFFICIENT_DATA,
                                   "the bucket policy does not parse");
            return RP_OK;
        }
        const struct rp_posture_s3_probe *probes =
            what == RP_POSTURE_S3_READ ? rp_posture_s3_read_probes : rp_posture_s3_write_probes;
        char objres[1104];
        snprintf(objres, sizeof(objres), "%s/*", arn);
        for (size_t i = 0, n = rp_posture_policy_nstmts(policy); i < n; i++) {
            const struct rp_pv *s = rp_posture_policy_stmt(policy, i);
            if (!rp_posture_stmt_is_public(s)) continue;
            for (size_t k = 0; probes[k].action; k++) {
                const char *res = probes[k].object ? objres : arn;
                if (!rp_posture_stmt_action_matches(s, probes[k].action) ||
                    !rp_posture_stmt_resource_may_match(s, res) ||
                    denied(policy, s, probes[k].action, res, probes[k].object))
                    continue;
                char label[160];
                rp_posture_stmt_label(s, i, label, sizeof(label));
                rp_posture_verdict_set(out, RP_PC_NON_COMPLIANT,
                                       "bucket policy statement %s allows %s to everyone", label,
                                       probes[k].action);
                return RP_OK;
            }
        }
    }
    rp_posture_verdict_set(out, RP_PC_COMPLIANT, "%s", "");
    return RP_OK;
}

/* ---- IAM documents ---------------------------------------------------------------------- */

static const struct rp_pv *default_version(const struct rp_pv *cfg)
{
    const struct rp_pv *list = rp_pv_get(cfg, "policyVersionList");
    if (!list || list->kind != RP_PV_LIST) return NULL;
    for (uint32_t i = 0; i < list->n; i++)
        if (truthy(rp_pv_get(list->u.items[i], "isDefaultVersion")))
            return rp_pv_get(list->u.items[i], "document");
    const struct rp_pv *id = rp_pv_get(cfg, "defaultVersionId");
    for (uint32_t i = 0; id && id->kind == RP_PV_STRING && i < list->n; i++)
        if (rp_pv_equal(rp_pv_get(list->u.items[i], "versionId"), id))
            return rp_pv_get(list->u.items[i], "document");
    return NULL;
}

rp_err rp_posture_iam_managed_policy(const struct rp_posture_eval_in *in, bool exclude_boundary,
                                     const struct rp_pv **policy, struct rp_posture_verdict *out,
                                     struct rp_errbuf *eb)
{
    *policy = NULL;
    const struct rp_pv *cfg = rp_pv_get(in->doc, "configuration");
    const char *arn = str_of(rp_pv_get(cfg, "arn"));
    if (!arn) arn = str_of(rp_pv_get(in->doc, "ARN"));
    if (arn && strstr(arn, ":iam::aws:policy/")) {
        rp_posture_verdict_set(out, RP_PC_NOT_APPLICABLE, "AWS managed policy");
        return RP_OK;
    }
    const struct rp_pv *uses = rp_pv_get(cfg, "permissionsBoundaryUsageCount");
    if (exclude_boundary && uses &&
        ((uses->kind == RP_PV_INT && uses->u.i > 0) ||
         (uses->kind == RP_PV_DOUBLE && uses->u.d > 0))) {
        rp_posture_verdict_set(out, RP_PC_NOT_APPLICABLE,
                               "policy is used as a permissions boundary");
        return RP_OK;
    }
    const struct rp_pv *docv = default_version(cfg);
    const struct rp_pv *p = NULL;
    rp_err e = docv ? rp_posture_policy_resolve(in->scratch, docv, &p, eb) : RP_OK;
    if (e == RP_ENOMEM) return e;
    if (e != RP_OK) {
        rp_posture_verdict_set(out, RP_PC_INSUFFICIENT_DATA,
                               "the default policy version does not parse");
        return RP_OK;
    }
    if (!p) {
        rp_posture_verdict_set(out, RP_PC_INSUFFICIENT_DATA,
                               "needs configuration.policyVersionList with the default version");
        return RP_OK;
    }
    *policy = p;
    return RP_OK;
}
