/* SPDX-License-Identifier: Apache-2.0 */
/* GetFindings filters (AwsSecurityFindingFilters) and command-line conditions, compiled to SQL
 * over the findings store (data/schemas/store/0008_findings.sql). Used by hub_query.c.
 *
 * Semantics, as Security Hub documents its filter types:
 *   - Attributes are ANDed. A filter is one AwsSecurityFindingFilters object built up by every
 *     rp_hub_filter_add_json / _add_arg call, so conditions on one attribute from several calls
 *     combine by the rules below. An add that fails leaves the filter as it was.
 *   - StringFilter: EQUALS, PREFIX and CONTAINS on one attribute are ORed; NOT_EQUALS,
 *     PREFIX_NOT_EQUALS and NOT_CONTAINS are ANDed; PREFIX with NOT_EQUALS/PREFIX_NOT_EQUALS
 *     means "starts with one of the prefixes, then none of the exclusions". Refused (RP_EINVAL
 *     naming the attribute): EQUALS with NOT_EQUALS or PREFIX_NOT_EQUALS; CONTAINS with anything
 *     but CONTAINS; NOT_CONTAINS with anything but NOT_CONTAINS. Comparison is exact and
 *     case-sensitive (=, a byte-range test for PREFIX, instr() for CONTAINS; never LIKE). For an
 *     array attribute (Type, ResourceId, "[*]" paths) a positive comparison matches when any
 *     element matches, a negative one when no element equals/starts with/contains the excluded
 *     value; a missing attribute matches every negative comparison and no positive one.
 *   - NumberFilter {Gte, Lte, Gt, Lt, Eq}: the bounds of one object are ANDed, several objects
 *     are ORed. Only JSON numbers match (a number written as a string does not).
 *   - DateFilter {Start, End} (ISO 8601, inclusive) or {DateRange: {Value: N, Unit: "DAYS"}}
 *     = [now_ms - N days, now_ms]; given together they intersect; objects are ORed. Document
 *     times are read with SQLite's julianday() (ISO 8601 with Z or +hh:mm).
 *   - MapFilter {Key, Value, Comparison}: EQUALS/CONTAINS ORed, NOT_EQUALS/NOT_CONTAINS ANDed
 *     (a finding without the key matches NOT_EQUALS); EQUALS with NOT_EQUALS and CONTAINS with
 *     NOT_CONTAINS on one attribute are refused.
 *   - BooleanFilter {Value}: a missing value (e.g. no Sample) counts as false; objects ORed.
 *   - IpFilter {Cidr}: an address (v4 or v6, mapped v4 as v4) inside one of the prefixes;
 *     objects ORed. SQLite cannot test CIDR membership on text, so IP conditions are evaluated
 *     in C (rp_cidr_contains) over the candidate rows the other conditions leave, and enter
 *     the final SQL as a set of rowids: correct for every address form, at the cost of reading
 *     the documents of those candidates.
 * now_ms 0 means the current time, as elsewhere in hub.h. Values are always bound parameters.
 * Column-backed attributes (hub_fields.c) compile to conditions on the findings table that use its
 * indexes (Type/ResourceId/ResourceType through an IN over findings UNION ALL finding_values); the
 * others to json_extract/json_each over finding_docs.doc.
 *
 * Command-line conditions (rp_hub_filter_add_arg), "Attr OP Value" with no spaces around OP:
 *   string   = EQUALS, != NOT_EQUALS, ^= PREFIX, !^= PREFIX_NOT_EQUALS, ~= CONTAINS,
 *            !~= NOT_CONTAINS
 *   number   = Eq, >= Gte, <= Lte, > Gt, < Lt
 *   date     >=, <=, >, < with an ISO 8601 time or date, epoch seconds, "now", or a relative
 *            time Ns/Nm/Nh/Nd/Nw meaning that long before now ("UpdatedAt>7d": updated in the
 *            last 7 days)
 *   map      Attr.Key=Value, Attr.Key!=Value, Attr.Key~=Value, Attr.Key!~=Value (the key ends
 *            at the first of = ! ^ ~ < >)
 *   boolean  Attr=true, Attr=false
 *   ip       Attr=CIDR or Attr=address
 * Each condition is one filter object, except that a number or date bound fills the open side
 * of the attribute's previous command-line range, so "Confidence>=50 Confidence<=80" is one
 * {Gte: 50, Lte: 80} while "Confidence=5 Confidence=7" is 5 OR 7. */
#define RP_LOG_MODULE "hub"
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/rp_json.h"
#include "core/rp_time.h"
#include "hub/hub_fields.h"
#include "core/rp_banned.h"

#define ARG_MAX_SHOWN 120 /* bytes of a command-line argument quoted in messages */

static const char *const cmp_names[] = {
    "EQUALS", "PREFIX", "CONTAINS", "NOT_EQUALS", "PREFIX_NOT_EQUALS", "NOT_CONTAINS"};

const char *hub_cmp_name(enum hub_cmp c)
{
    return (size_t)c < RP_ARRAY_LEN(cmp_names) ? cmp_names[c] : "?";
}

static bool cmp_negative(enum hub_cmp c)
{
    return c >= HUB_CMP_NOT_EQUALS;
}

/* ---- filter object ----------------------------------------------------------------------- */

rp_err rp_hub_filter_new(struct rp_hub_filter **out)
{
    struct rp_hub_filter *f = calloc(1, sizeof *f);
    *out = f;
    if (!f) return RP_ENOMEM;
    rp_arena_init(&f->a, 4096);
    return RP_OK;
}

void rp_hub_filter_free(struct rp_hub_filter *f)
{
    if (!f) return;
    rp_arena_release(&f->a);
    free(f->groups);
    free(f->conds);
    free(f);
}

static rp_err group_of(struct rp_hub_filter *f, const struct hub_field *fl, size_t *out)
{
    for (size_t i = 0; i < f->ngroups; i++)
        if (f->groups[i].fl == fl) {
            *out = i;
            return RP_OK;
        }
    if (f->ngroups == f->capg) {
        size_t cap = f->capg ? 2 * f->capg : 8;
        struct hub_group *g = realloc(f->groups, cap * sizeof *g);
        if (!g) return RP_ENOMEM;
        f->groups = g;
        f->capg = cap;
    }
    f->groups[f->ngroups].fl = fl;
    *out = f->ngroups++;
    return RP_OK;
}

static rp_err cond_push(struct rp_hub_filter *f, const struct hub_cond *c)
{
    if (f->nconds == f->capc) {
        size_t cap = f->capc ? 2 * f->capc : 16;
        struct hub_cond *n = realloc(f->conds, cap * sizeof *n);
        if (!n) return RP_ENOMEM;
        f->conds = n;
        f->capc = cap;
    }
    f->conds[f->nconds++] = *c;
    return RP_OK;
}

static rp_err str_dup(struct rp_hub_filter *f, struct rp_str s, struct rp_str *out)
{
    char *p = rp_arena_memdup(&f->a, s.p ? s.p : "", s.len);
    if (!p) return RP_ENOMEM;
    *out = (struct rp_str){p, s.len};
    return RP_OK;
}

/* The refused combination on group g, as "'Attr' cannot combine A with B" in buf, or false. */
static bool combo_error(const struct rp_hub_filter *f, size_t g, char *buf, size_t n)
{
    unsigned m = 0;
    for (size_t i = 0; i < f->nconds; i++)
        if (f->conds[i].group == g) m |= 1u << f->conds[i].cmp;
    const struct hub_field *fl = f->groups[g].fl;
    enum hub_cmp a = HUB_CMP_EQUALS, b = HUB_CMP_EQUALS;
    bool bad = false;
#define HAS(c) ((m & (1u << (c))) != 0)
    if (fl->kind == HUB_K_STRING) {
        static const enum hub_cmp order[] = {HUB_CMP_EQUALS,
                                             HUB_CMP_PREFIX,
                                             HUB_CMP_CONTAINS,
                                             HUB_CMP_NOT_EQUALS,
                                             HUB_CMP_PREFIX_NOT_EQUALS,
                                             HUB_CMP_NOT_CONTAINS};
        for (int solo = 0; solo < 2 && !bad; solo++) {
            enum hub_cmp only = solo == 0 ? HUB_CMP_CONTAINS : HUB_CMP_NOT_CONTAINS;
            if (!HAS(only)) continue;
            for (size_t i = 0; i < RP_ARRAY_LEN(order) && !bad; i++)
                if (order[i] != only && HAS(order[i])) {
                    a = only;
                    b = order[i];
                    bad = true;
                }
        }
        if (!bad && HAS(HUB_CMP_EQUALS) &&
            (HAS(HUB_CMP_NOT_EQUALS) || HAS(HUB_CMP_PREFIX_NOT_EQUALS))) {
            a = HUB_CMP_EQUALS;
            b = HAS(HUB_CMP_NOT_EQUALS) ? HUB_CMP_NOT_EQUALS : HUB_CMP_PREFIX_NOT_EQUALS;
            bad = true;
        }
    } else if (fl->kind == HUB_K_MAP) {
        if (HAS(HUB_CMP_EQUALS) && HAS(HUB_CMP_NOT_EQUALS)) {
            a = HUB_CMP_EQUALS;
            b = HUB_CMP_NOT_EQUALS;
            bad = true;
        } else if (HAS(HUB_CMP_CONTAINS) && HAS(HUB_CMP_NOT_CONTAINS)) {
            a = HUB_CMP_CONTAINS;
            b = HUB_CMP_NOT_CONTAINS;
            bad = true;
        }
    }
#undef HAS
    if (bad)
        snprintf(buf, n, "'%s' cannot combine %s with %s", fl->name, cmp_names[a], cmp_names[b]);
    return bad;
}

/* ---- GetFindings JSON -------------------------------------------------------------------- */

static const char *const filter_type[] = {"StringFilter", "NumberFilter",  "DateFilter",
                                          "MapFilter",    "BooleanFilter", "IpFilter"};

static bool parse_cmp(struct rp_str s, bool map, enum hub_cmp *out)
{
    for (size_t i = 0; i < RP_ARRAY_LEN(cmp_names); i++)
        if (rp_str_eq_cstr(s, cmp_names[i])) {
            enum hub_cmp c = (enum hub_cmp)i;
            if (map && (c == HUB_CMP_PREFIX || c == HUB_CMP_PREFIX_NOT_EQUALS)) return false;
            *out = c;
            return true;
        }
    return false;
}

/* Members of one filter object; a JSON null counts as absent. */
struct members {
    struct rp_json_val v[6];
    bool has[6];
};

static rp_err get_members(struct rp_json_val el, const char *const *names, size_t n,
                          const struct hub_field *fl, struct members *m, struct rp_errbuf *eb)
{
    memset(m, 0, sizeof *m);
    struct rp_json_iter it;
    struct rp_str k;
    struct rp_json_val v;
    if (rp_json_obj_iter(el, &it) != RP_OK)
        return rp_fail(eb, RP_EINVAL, "hub filter: '%s' must be an array of %s objects", fl->name,
                       filter_type[fl->kind]);
    while (rp_json_obj_next(&it, &k, &v)) {
        size_t i = 0;
        while (i < n && !rp_str_eq_cstr(k, names[i])) i++;
        if (i == n)
            return rp_fail(eb, RP_EINVAL, "hub filter: '%s': unknown %s member '%.*s'", fl->name,
                           filter_type[fl->kind], (int)(k.len > 64 ? 64 : k.len), k.p);
        if (rp_json_type(v) == RP_JSON_NULL) continue;
        m->v[i] = v;
        m->has[i] = true;
    }
    return RP_OK;
}

static rp_err need_str(const struct members *m, size_t i, const char *name,
                       const struct hub_field *fl, struct rp_str *out, struct rp_errbuf *eb)
{
    if (!m->has[i] || rp_json_get_str(m->v[i], out) != RP_OK)
        return rp_fail(eb, RP_EINVAL, "hub filter: '%s': %s needs a string '%s'", fl->name,
                       filter_type[fl->kind], name);
    return RP_OK;
}

static rp_err json_string(struct rp_hub_filter *f, struct rp_json_val el,
                          const struct hub_field *fl, struct hub_cond *c, struct rp_errbuf *eb)
{
    bool map = fl->kind == HUB_K_MAP;
    static const char *const snames[] = {"Value", "Comparison"};
    static const char *const mnames[] = {"Value", "Comparison", "Key"};
    struct members m;
    struct rp_str val, cmp, key;
    rp_err e = get_members(el, map ? mnames : snames, map ? 3 : 2, fl, &m, eb);
    if (!e && map) e = need_str(&m, 2, "Key", fl, &key, eb);
    if (!e) e = need_str(&m, 0, "Value", fl, &val, eb);
    if (!e) e = need_str(&m, 1, "Comparison", fl, &cmp, eb);
    if (e) return e;
    if (!parse_cmp(cmp, map, &c->cmp))
        return rp_fail(eb, RP_EINVAL, "hub filter: '%s': unknown %s comparison '%.*s'", fl->name,
                       filter_type[fl->kind], (int)(cmp.len > 64 ? 64 : cmp.len), cmp.p);
    if (str_dup(f, val, &c->value) || (map && str_dup(f, key, &c->key)))
        return rp_fail(eb, RP_ENOMEM, "hub filter: out of memory");
    return RP_OK;
}

static rp_err json_number(struct rp_json_val el, const struct hub_field *fl, struct hub_cond *c,
                          struct rp_errbuf *eb)
{
    static const char *const names[] = {"Gte", "Lte", "Gt", "Lt", "Eq"};
    static const unsigned bits[] = {HUB_HAS_GTE, HUB_HAS_LTE, HUB_HAS_GT, HUB_HAS_LT, HUB_HAS_EQ};
    double *dst[] = {&c->gte, &c->lte, &c->gt, &c->lt, &c->eq};
    struct members m;
    rp_err e = get_members(el, names, 5, fl, &m, eb);
    if (e) return e;
    for (size_t i = 0; i < 5; i++) {
        if (!m.has[i]) continue;
        if (rp_json_get_double(m.v[i], dst[i]) != RP_OK)
            return rp_fail(eb, RP_EINVAL, "hub filter: '%s': '%s' must be a number", fl->name,
                           names[i]);
        c->has |= bits[i];
    }
    if (!c->has)
        return rp_fail(eb, RP_EINVAL, "hub filter: '%s': NumberFilter needs Gte, Lte, Gt, Lt or Eq",
                       fl->name);
    return RP_OK;
}

static void date_bound(struct hub_cond *c, unsigned bit, int64_t t)
{
    if (bit == HUB_HAS_GTE) {
        if (!(c->has & bit) || t > c->start) c->start = t;
    } else {
        if (!(c->has & bit) || t < c->end) c->end = t;
    }
    c->has |= bit;
}

static rp_err json_date(struct rp_json_val el, const struct hub_field *fl, int64_t now_ms,
                        struct hub_cond *c, struct rp_errbuf *eb)
{
    static const char *const names[] = {"Start", "End", "DateRange"};
    struct members m;
    rp_err e = get_members(el, names, 3, fl, &m, eb);
    if (e) return e;
    for (size_t i = 0; i < 2; i++) {
        if (!m.has[i]) continue;
        struct rp_str s;
        struct rp_errbuf teb = {0};
        int64_t t = 0;
        if (rp_json_get_str(m.v[i], &s) != RP_OK)
            return rp_fail(eb, RP_EINVAL, "hub filter: '%s': '%s' must be a string", fl->name,
                           names[i]);
        if (rp_time_parse_iso(s, &t, &teb) != RP_OK)
            return rp_fail(eb, RP_EINVAL, "hub filter: '%s': bad '%s': %s", fl->name, names[i],
                           teb.msg);
        date_bound(c, i == 0 ? HUB_HAS_GTE : HUB_HAS_LTE, t);
    }
    if (m.has[2]) {
        struct rp_json_val dr = m.v[2], v;
        struct rp_str unit;
        int64_t n = -1;
        if (rp_json_type(dr) != RP_JSON_OBJECT)
            return rp_fail(eb, RP_EINVAL, "hub filter: '%s': 'DateRange' must be an object",
                           fl->name);
        struct rp_json_iter it;
        struct rp_str k;
        if (rp_json_obj_iter(dr, &it) == RP_OK)
            while (rp_json_obj_next(&it, &k, &v))
                if (!rp_str_eq_cstr(k, "Value") && !rp_str_eq_cstr(k, "Unit"))
                    return rp_fail(eb, RP_EINVAL,
                                   "hub filter: '%s': unknown DateRange member '%.*s'", fl->name,
                                   (int)(k.len > 64 ? 64 : k.len), k.p);
        if (rp_json_obj_get_i64(dr, "Value", &n) != RP_OK || n < 0 || n > 3650000)
            return rp_fail(eb, RP_EINVAL,
                           "hub filter: '%s': DateRange 'Value' must be an integer of days "
                           "from 0 to 3650000",
                           fl->name);
        if (rp_json_obj_get_str(dr, "Unit", &unit) != RP_OK || !rp_str_eq_cstr(unit, "DAYS"))
            return rp_fail(eb, RP_EINVAL, "hub filter: '%s': DateRange 'Unit' must be 'DAYS'",
                           fl->name);
        date_bound(c, HUB_HAS_GTE, now_ms - n * RP_TIME_MS_PER_DAY);
        date_bound(c, HUB_HAS_LTE, now_ms);
    }
    if (!c->has)
        return rp_fail(eb, RP_EINVAL, "hub filter: '%s': DateFilter needs Start, End or DateRange",
                       fl->name);
    return RP_OK;
}

static rp_err json_bool(struct rp_json_val el, const struct hub_field *fl, struct hub_cond *c,
                        struct rp_errbuf *eb)
{
    static const char *const names[] = {"Value"};
    struct members m;
    rp_err e = get_members(el, names, 1, fl, &m, eb);
    if (e) return e;
    if (!m.has[0] || rp_json_get_bool(m.v[0], &c->bval) != RP_OK)
        return rp_fail(eb, RP_EINVAL, "hub filter: '%s': BooleanFilter needs a boolean 'Value'",
                       fl->name);
    return RP_OK;
}

static rp_err json_ip(struct rp_json_val el, const struct hub_field *fl, struct hub_cond *c,
                      struct rp_errbuf *eb)
{
    static const char *const names[] = {"Cidr"};
    struct members m;
    struct rp_str s;
    struct rp_errbuf teb = {0};
    rp_err e = get_members(el, names, 1, fl, &m, eb);
    if (!e) e = need_str(&m, 0, "Cidr", fl, &s, eb);
    if (e) return e;
    if (rp_cidr_parse(s, &c->cidr, NULL, &teb) != RP_OK)
        return rp_fail(eb, RP_EINVAL, "hub filter: '%s': bad 'Cidr': %s", fl->name, teb.msg);
    return RP_OK;
}

static rp_err add_json(struct rp_hub_filter *f, struct rp_json_val filters, int64_t now_ms,
                       struct rp_errbuf *eb)
{
    struct rp_json_iter it, ai;
    struct rp_str k;
    struct rp_json_val v, el;
    if (rp_json_obj_iter(filters, &it) != RP_OK)
        return rp_fail(eb, RP_EINVAL, "hub filter: Filters must be an object");
    while (rp_json_obj_next(&it, &k, &v)) {
        const struct hub_field *fl = NULL;
        rp_err e = hub_field_lookup(k, &fl, eb);
        if (e) return e;
        if (rp_json_arr_iter(v, &ai) != RP_OK)
            return rp_fail(eb, RP_EINVAL, "hub filter: '%s' must be an array of %s objects",
                           fl->name, filter_type[fl->kind]);
        size_t g = 0;
        if (group_of(f, fl, &g)) return rp_fail(eb, RP_ENOMEM, "hub filter: out of memory");
        while (rp_json_arr_next(&ai, &el)) {
            struct hub_cond c;
            memset(&c, 0, sizeof c);
            c.group = g;
            switch (fl->kind) {
            case HUB_K_STRING:
            case HUB_K_MAP:
                e = json_string(f, el, fl, &c, eb);
                break;
            case HUB_K_NUMBER:
                e = json_number(el, fl, &c, eb);
                break;
            case HUB_K_DATE:
                e = json_date(el, fl, now_ms, &c, eb);
                break;
            case HUB_K_BOOLEAN:
                e = json_bool(el, fl, &c, eb);
                break;
            case HUB_K_IP:
                e = json_ip(el, fl, &c, eb);
                break;
            }
            if (!e && cond_push(f, &c)) e = rp_fail(eb, RP_ENOMEM, "hub filter: out of memory");
            if (e) return e;
        }
        char msg[RP_MAX_ERRMSG];
        if (combo_error(f, g, msg, sizeof msg))
            return rp_fail(eb, RP_EINVAL, "hub filter: %s", msg);
    }
    return RP_OK;
}

rp_err rp_hub_filter_add_json(struct rp_hub_filter *f, struct rp_json_val filters, int64_t now_ms,
                              struct rp_errbuf *eb)
{
    if (now_ms == 0) now_ms = rp_time_now_ms();
    size_t ng = f->ngroups, nc = f->nconds;
    rp_err e = add_json(f, filters, now_ms, eb);
    if (e) {
        f->ngroups = ng;
        f->nconds = nc;
    }
    return e;
}

/* ---- command-line conditions ------------------------------------------------------------- */

enum cli_op {
    OP_EQ,
    OP_NE,
    OP_PREFIX,
    OP_NPREFIX,
    OP_CONTAINS,
    OP_NCONTAINS,
    OP_GE,
    OP_LE,
    OP_GT,
    OP_LT
};

static const struct {
    const char *text;
    enum cli_op op;
} cli_ops[] = {
    /* longest first, so "!^=" is not read as "!" then "^=" */
    {"!^=", OP_NPREFIX}, {"!~=", OP_NCONTAINS}, {"!=", OP_NE}, {"^=", OP_PREFIX},
    {"~=", OP_CONTAINS}, {">=", OP_GE},         {"<=", OP_LE}, {"=", OP_EQ},
    {">", OP_GT},        {"<", OP_LT},
};

static bool op_at(const char *p, enum cli_op *op, size_t *len)
{
    for (size_t i = 0; i < RP_ARRAY_LEN(cli_ops); i++) {
        size_t n = strlen(cli_ops[i].text);
        if (strncmp(p, cli_ops[i].text, n) == 0) {
            *op = cli_ops[i].op;
            *len = n;
            return true;
        }
    }
    return false;
}

static bool is_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static bool parse_number(const char *s, double *out)
{
    if (!*s) return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= '0' && *p <= '9') || *p == '.' || *p == '-' || *p == '+' || *p == 'e' ||
              *p == 'E'))
            return false;
    char *end = NULL;
    double d = strtod(s, &end);
    if (!end || *end || !isfinite(d)) return false;
    *out = d;
    return true;
}

/* The command line's last open range on group g, if a bound `bit` may still go into it. */
static struct hub_cond *cli_range(struct rp_hub_filter *f, size_t g, unsigned lower)
{
    for (size_t i = f->nconds; i-- > 0;) {
        struct hub_cond *c = &f->conds[i];
        if (c->group != g) continue;
        if (!c->cli) return NULL;
        unsigned side = lower ? (HUB_HAS_GTE | HUB_HAS_GT) : (HUB_HAS_LTE | HUB_HAS_LT);
        return (c->has & (side | HUB_HAS_EQ)) ? NULL : c;
    }
    return NULL;
}

#define ARGF(fmt, ...) rp_fail(eb, RP_EINVAL, "hub filter: '%.*s': " fmt, shown, arg, __VA_ARGS__)

static rp_err add_arg(struct rp_hub_filter *f, const char *arg, int64_t now_ms,
                      struct rp_errbuf *eb)
{
    int shown = (int)strnlen(arg, ARG_MAX_SHOWN);
    size_t nl = 0;
    while (is_alnum(arg[nl])) nl++;
    if (nl == 0) return ARGF("%s", "missing attribute name");
    struct rp_str name = {arg, nl}, key = {0};
    size_t pos = nl;
    if (arg[pos] == '.') {
        size_t ks = ++pos;
        while (arg[pos] && !strchr("=!^~<>", arg[pos])) pos++;
        key = (struct rp_str){arg + ks, pos - ks};
        if (key.len == 0) return ARGF("%s", "empty map key");
    }
    enum cli_op op = OP_EQ;
    size_t oplen = 0;
    if (!op_at(arg + pos, &op, &oplen))
        return ARGF("expected an operator after '%.*s' (=, !=, ^=, !^=, ~=, !~=, >=, <=, > or <)",
                    (int)(pos > ARG_MAX_SHOWN ? ARG_MAX_SHOWN : pos), arg);
    const char *val = arg + pos + oplen;
    const struct hub_field *fl = NULL;
    struct rp_errbuf leb = {0};
    if (hub_field_lookup(name, &fl, &leb) != RP_OK) {
        if (leb.code != RP_EINVAL) return rp_fail(eb, leb.code, "%s", leb.msg);
        return ARGF("unknown attribute '%.*s'", (int)(nl > ARG_MAX_SHOWN ? ARG_MAX_SHOWN : nl),
                    arg);
    }
    if (key.p && fl->kind != HUB_K_MAP) return ARGF("'%s' is not a map attribute", fl->name);
    if (!key.p && fl->kind == HUB_K_MAP)
        return ARGF("'%s' needs a key, as in '%s.<key>=<value>'", fl->name, fl->name);
    size_t g = 0;
    if (group_of(f, fl, &g)) return rp_fail(eb, RP_ENOMEM, "hub filter: out of memory");
    struct hub_cond c;
    memset(&c, 0, sizeof c);
    c.group = g;
    bool ranged = false; /* a bound that may complete an open range */
    switch (fl->kind) {
    case HUB_K_STRING:
    case HUB_K_MAP: {
        static const enum hub_cmp map_of[] = {
            [OP_EQ] = HUB_CMP_EQUALS,         [OP_NE] = HUB_CMP_NOT_EQUALS,
            [OP_PREFIX] = HUB_CMP_PREFIX,     [OP_NPREFIX] = HUB_CMP_PREFIX_NOT_EQUALS,
            [OP_CONTAINS] = HUB_CMP_CONTAINS, [OP_NCONTAINS] = HUB_CMP_NOT_CONTAINS,
        };
        bool ok = op <= OP_NCONTAINS &&
                  (fl->kind == HUB_K_STRING || (op != OP_PREFIX && op != OP_NPREFIX));
        if (!ok) {
            if (fl->kind == HUB_K_MAP)
                return ARGF("map attribute '%s' takes =, !=, ~= or !~=", fl->name);
            return ARGF("string attribute '%s' takes =, !=, ^=, !^=, ~= or !~=", fl->name);
        }
        c.cmp = map_of[op];
        if (str_dup(f, rp_str_from(val), &c.value) || (key.p && str_dup(f, key, &c.key)))
            return rp_fail(eb, RP_ENOMEM, "hub filter: out of memory");
        break;
    }
    case HUB_K_NUMBER: {
        double d = 0;
        if (op < OP_GE && op != OP_EQ)
            return ARGF("number attribute '%s' takes =, >=, <=, > or <", fl->name);
        if (!parse_number(val, &d)) return ARGF("'%s' is not a number", val);
        switch (op) {
        case OP_GE:
            c.gte = d, c.has = HUB_HAS_GTE;
            break;
        case OP_LE:
            c.lte = d, c.has = HUB_HAS_LTE;
            break;
        case OP_GT:
            c.gt = d, c.has = HUB_HAS_GT;
            break;
        case OP_LT:
            c.lt = d, c.has = HUB_HAS_LT;
            break;
        default:
            c.eq = d, c.has = HUB_HAS_EQ;
            break;
        }
        ranged = op != OP_EQ;
        break;
    }
    case HUB_K_DATE: {
        int64_t t = 0;
        struct rp_errbuf teb = {0};
        if (op < OP_GE) return ARGF("date attribute '%s' takes >=, <=, > or <", fl->name);
        if (rp_time_parse_filter(rp_str_from(val), now_ms, &t, &teb) != RP_OK)
            return ARGF("%s", teb.msg);
        if (op == OP_GT) t = t < RP_TIME_MAX_MS ? t + 1 : t;
        if (op == OP_LT) t = t > RP_TIME_MIN_MS ? t - 1 : t;
        if (op == OP_GE || op == OP_GT)
            c.start = t, c.has = HUB_HAS_GTE;
        else
            c.end = t, c.has = HUB_HAS_LTE;
        ranged = true;
        break;
    }
    case HUB_K_BOOLEAN:
        if (op != OP_EQ) return ARGF("boolean attribute '%s' takes = with true or false", fl->name);
        if (strcmp(val, "true") == 0)
            c.bval = true;
        else if (strcmp(val, "false") != 0)
            return ARGF("'%s' is not true or false", val);
        break;
    case HUB_K_IP: {
        struct rp_errbuf teb = {0};
        if (op != OP_EQ) return ARGF("ip attribute '%s' takes = with an address or CIDR", fl->name);
        if (rp_cidr_parse(rp_str_from(val), &c.cidr, NULL, &teb) != RP_OK)
            return ARGF("%s", teb.msg);
        break;
    }
    }
    if (ranged) {
        bool lower = (c.has & (HUB_HAS_GTE | HUB_HAS_GT)) != 0;
        struct hub_cond *open = cli_range(f, g, lower);
        if (open) {
            /* no combination rule applies to ranges, so filling in place needs no rollback */
            open->has |= c.has;
            if (c.has & HUB_HAS_GTE) open->gte = c.gte, open->start = c.start;
            if (c.has & HUB_HAS_LTE) open->lte = c.lte, open->end = c.end;
            if (c.has & HUB_HAS_GT) open->gt = c.gt;
            if (c.has & HUB_HAS_LT) open->lt = c.lt;
            return RP_OK;
        }
        c.cli = true;
    }
    if (cond_push(f, &c)) return rp_fail(eb, RP_ENOMEM, "hub filter: out of memory");
    char msg[RP_MAX_ERRMSG];
    if (combo_error(f, g, msg, sizeof msg)) return ARGF("%s", msg);
    return RP_OK;
}

rp_err rp_hub_filter_add_arg(struct rp_hub_filter *f, const char *arg, int64_t now_ms,
                             struct rp_errbuf *eb)
{
    if (now_ms == 0) now_ms = rp_time_now_ms();
    size_t ng = f->ngroups, nc = f->nconds;
    rp_err e = add_arg(f, arg ? arg : "", now_ms, eb);
    if (e) {
        f->ngroups = ng;
        f->nconds = nc;
    }
    return e;
}

/* ---- compiling to SQL -------------------------------------------------------------------- */

/* The parameters of one string/map comparison: value (and key), and for PREFIX the exclusive
 * upper end of the byte range of strings starting with value (0 = none: every string above). */
struct cparam {
    int v, hi, k;
};

/* The smallest string above every string starting with p (p with trailing 0xff bytes dropped
 * and its last byte incremented), bound as a parameter; 0 when there is none. */
static int prefix_hi(struct hub_sql *q, struct rp_str p)
{
    size_t n = p.len;
    while (n > 0 && (unsigned char)p.p[n - 1] == 0xff) n--;
    if (n == 0) return 0;
    char *hi = rp_arena_memdup(q->a, p.p, n);
    if (!hi) {
        q->err = RP_ENOMEM;
        return 0;
    }
    hi[n - 1] = (char)((unsigned char)hi[n - 1] + 1);
    return hub_sql_text(q, hi, n);
}

/* Appends "t1 OR t2 .." over the string/map comparisons of group g whose sign is neg. */
static void str_terms(struct hub_sql *q, struct rp_buf *b, const struct rp_hub_filter *f, size_t g,
                      const struct cparam *par, bool neg, const char *v, const char *key)
{
    bool first = true;
    for (size_t i = 0; i < f->nconds; i++) {
        const struct hub_cond *c = &f->conds[i];
        if (c->group != g || cmp_negative(c->cmp) != neg) continue;
        hub_sql_put(q, b, first ? "(" : " OR (");
        first = false;
        if (key) hub_sql_putf(q, b, "%s = ?%d AND ", key, par[i].k);
        switch (c->cmp) {
        case HUB_CMP_EQUALS:
        case HUB_CMP_NOT_EQUALS:
            hub_sql_putf(q, b, "%s = ?%d", v, par[i].v);
            break;
        case HUB_CMP_PREFIX:
        case HUB_CMP_PREFIX_NOT_EQUALS:
            if (par[i].hi)
                hub_sql_putf(q, b, "%s >= ?%d AND %s < ?%d", v, par[i].v, v, par[i].hi);
            else
                hub_sql_putf(q, b, "%s >= ?%d", v, par[i].v);
            break;
        case HUB_CMP_CONTAINS:
        case HUB_CMP_NOT_CONTAINS:
            hub_sql_putf(q, b, "instr(%s, ?%d) > 0", v, par[i].v);
            break;
        }
        hub_sql_put(q, b, ")");
    }
}

/* Appends "t1 OR t2 .." over the number/date/boolean objects of group g, for the value v. */
static void range_terms(struct hub_sql *q, struct rp_buf *b, const struct rp_hub_filter *f,
                        size_t g, const char *v)
{
    bool first = true;
    for (size_t i = 0; i < f->nconds; i++) {
        const struct hub_cond *c = &f->conds[i];
        if (c->group != g) continue;
        hub_sql_put(q, b, first ? "(" : " OR (");
        first = false;
        const char *and = "";
        if (f->groups[g].fl->kind == HUB_K_BOOLEAN) {
            hub_sql_putf(q, b, "%s = %d", v, c->bval ? 1 : 0);
        } else if (f->groups[g].fl->kind == HUB_K_DATE) {
            if (c->has & HUB_HAS_GTE)
                hub_sql_putf(q, b, "%s >= ?%d", v, hub_sql_int(q, c->start)), and = " AND ";
            if (c->has & HUB_HAS_LTE)
                hub_sql_putf(q, b, "%s%s <= ?%d", and, v, hub_sql_int(q, c->end));
        } else {
            static const struct {
                unsigned bit;
                const char *op;
            } ops[] = {{HUB_HAS_GTE, ">="},
                       {HUB_HAS_LTE, "<="},
                       {HUB_HAS_GT, ">"},
                       {HUB_HAS_LT, "<"},
                       {HUB_HAS_EQ, "="}};
            const double vals[] = {c->gte, c->lte, c->gt, c->lt, c->eq};
            for (size_t k = 0; k < RP_ARRAY_LEN(ops); k++)
                if (c->has & ops[k].bit) {
                    hub_sql_putf(q, b, "%s%s %s ?%d", and, v, ops[k].op,
                                 hub_sql_double(q, vals[k]));
                    and = " AND ";
                }
        }
        hub_sql_put(q, b, ")");
    }
}

/* The predicate of a string group on a multi-valued column: an index-friendly IN over the
 * first values (findings) and the others (finding_values). */
static void multi_in(struct hub_sql *q, struct rp_buf *w, const struct rp_hub_filter *f, size_t g,
                     const struct cparam *par, bool neg, int fpar)
{
    const struct hub_field *fl = f->groups[g].fl;
    char xv[80];
    snprintf(xv, sizeof xv, "x.%s", fl->column);
    hub_sql_putf(q, w, "f.rowid %sIN (SELECT x.rowid FROM findings x WHERE ", neg ? "NOT " : "");
    str_terms(q, w, f, g, par, neg, xv, NULL);
    hub_sql_putf(
        q, w, " UNION ALL SELECT v.finding FROM finding_values v WHERE v.field = ?%d AND (", fpar);
    str_terms(q, w, f, g, par, neg, "v.value", NULL);
    hub_sql_put(q, w, "))");
}

/* Appends the condition of group g (not an IP group) to w. */
static void group_sql(struct hub_sql *q, struct rp_buf *w, const struct rp_hub_filter *f, size_t g,
                      struct cparam *par, bool *needs_doc)
{
    const struct hub_field *fl = f->groups[g].fl;
    bool strlike = fl->kind == HUB_K_STRING || fl->kind == HUB_K_MAP;
    bool pos = false, neg = false;
    for (size_t i = 0; i < f->nconds; i++) {
        const struct hub_cond *c = &f->conds[i];
        if (c->group != g) continue;
        if (strlike) {
            *(cmp_negative(c->cmp) ? &neg : &pos) = true;
            par[i].v = hub_sql_text(q, c->value.p, c->value.len);
            if (c->cmp == HUB_CMP_PREFIX || c->cmp == HUB_CMP_PREFIX_NOT_EQUALS)
                par[i].hi = prefix_hi(q, c->value);
            if (fl->kind == HUB_K_MAP) par[i].k = hub_sql_text(q, c->key.p, c->key.len);
        } else {
            pos = true;
        }
    }
    if (!pos && !neg) {
        hub_sql_put(q, w, "1");
        return;
    }
    struct rp_buf from, val, type, tmp, expr;
    rp_buf_init(&from, 0);
    rp_buf_init(&val, 0);
    rp_buf_init(&type, 0);
    rp_buf_init(&tmp, 0);
    rp_buf_init(&expr, 0);
    int last = 0;
    if (fl->column && fl->values) {
        int fpar = hub_sql_cstr(q, fl->values);
        if (pos) multi_in(q, w, f, g, par, false, fpar);
        if (pos && neg) hub_sql_put(q, w, " AND ");
        if (neg) multi_in(q, w, f, g, par, true, fpar);
        goto out;
    }
    if (fl->column) {
        hub_sql_putf(q, &val, "f.%s", fl->column);
    } else {
        *needs_doc = true;
        hub_sql_elements(q, fl, "j", fl->kind == HUB_K_MAP, &from, &val, &type, &last);
    }
    const char *v = rp_buf_cstr(&val), *t = rp_buf_cstr(&type);
    if (strlike) {
        char key[32];
        snprintf(key, sizeof key, "j%d.key", last);
        const char *k = fl->kind == HUB_K_MAP ? key : NULL;
        for (int sign = 0; sign < 2; sign++) {
            if (!(sign ? neg : pos)) continue;
            if (sign && pos) hub_sql_put(q, w, " AND ");
            if (last)
                hub_sql_putf(q, w, "%sEXISTS (SELECT 1 FROM %s WHERE ", sign ? "NOT " : "",
                             rp_buf_cstr(&from));
            else
                hub_sql_put(q, w, sign ? "NOT coalesce((" : "((");
            str_terms(q, w, f, g, par, sign, v, k);
            hub_sql_put(q, w, last ? ")" : sign ? "), 0)" : "))");
        }
        goto out;
    }
    /* number, date, boolean: one positive predicate on a value expression x */
    const char *x = v;
    if (fl->kind == HUB_K_DATE && !fl->column) {
        hub_sql_date_ms(q, &expr, v);
        x = rp_buf_cstr(&expr);
    } else if (fl->kind == HUB_K_BOOLEAN) {
        if (fl->column)
            hub_sql_putf(q, &expr, "(coalesce(%s, 0) <> 0)", v);
        else
            hub_sql_putf(q, &expr, "(%s IS 'true')", t);
        x = rp_buf_cstr(&expr);
    }
    if (!fl->column && fl->kind == HUB_K_NUMBER)
        hub_sql_putf(q, &tmp, "%s IN ('integer', 'real') AND ", t);
    else if (!fl->column && fl->kind == HUB_K_DATE)
        hub_sql_putf(q, &tmp, "%s = 'text' AND ", t);
    hub_sql_put(q, &tmp, "(");
    range_terms(q, &tmp, f, g, x);
    hub_sql_put(q, &tmp, ")");
    if (last)
        hub_sql_putf(q, w, "EXISTS (SELECT 1 FROM %s WHERE %s)", rp_buf_cstr(&from),
                     rp_buf_cstr(&tmp));
    else
        hub_sql_putf(q, w, "(%s)", rp_buf_cstr(&tmp));
out:
    rp_buf_release(&from);
    rp_buf_release(&val);
    rp_buf_release(&type);
    rp_buf_release(&tmp);
    rp_buf_release(&expr);
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* A set of rowids: appended, then sorted and made unique. */
struct idset {
    int64_t *v;
    size_t n, cap;
};

static rp_err idset_add(struct idset *s, int64_t id)
{
    if (s->n && s->v[s->n - 1] == id) return RP_OK;
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 256;
        int64_t *nv = realloc(s->v, cap * sizeof *nv);
        if (!nv) return RP_ENOMEM;
        s->v = nv;
        s->cap = cap;
    }
    s->v[s->n++] = id;
    return RP_OK;
}

static void idset_sort(struct idset *s)
{
    if (s->n) qsort(s->v, s->n, sizeof *s->v, cmp_i64);
    size_t k = 0;
    for (size_t i = 0; i < s->n; i++)
        if (k == 0 || s->v[k - 1] != s->v[i]) s->v[k++] = s->v[i];
    s->n = k;
}

/* Keep in a only what is also in b (both sorted). */
static void idset_and(struct idset *a, const struct idset *b)
{
    size_t i = 0, j = 0, k = 0;
    while (i < a->n && j < b->n) {
        if (a->v[i] < b->v[j]) {
            i++;
        } else if (a->v[i] > b->v[j]) {
            j++;
        } else {
            a->v[k++] = a->v[i++];
            j++;
        }
    }
    a->n = k;
}

/* Into *out (sorted, unique): the rowids, among those matching the SQL condition where (with
 * the parameters of base), that have an address of IP group g inside one of its prefixes. */
static rp_err ip_rowids(const struct rp_hub_filter *f, size_t g, struct rp_store *st,
                        const struct hub_sql *base, const char *where, struct idset *out,
                        struct rp_errbuf *eb)
{
    const struct hub_field *fl = f->groups[g].fl;
    struct hub_sql q;
    struct rp_buf from, val, type, sql;
    hub_sql_init(&q, base->a);
    rp_buf_init(&from, 0);
    rp_buf_init(&val, 0);
    rp_buf_init(&type, 0);
    rp_buf_init(&sql, 0);
    for (size_t i = 0; i < base->nbind; i++) {
        const struct hub_bind *b = &base->binds[i];
        if (b->kind == HUB_BIND_TEXT)
            hub_sql_text(&q, b->p, b->len);
        else if (b->kind == HUB_BIND_INT)
            hub_sql_int(&q, b->i);
        else
            hub_sql_double(&q, b->d);
    }
    int last = 0;
    hub_sql_elements(&q, fl, "g", false, &from, &val, &type, &last);
    hub_sql_putf(&q, &sql,
                 "SELECT f.rowid, %s FROM findings f JOIN finding_docs d ON d.rowid = f.rowid%s%s "
                 "WHERE %s",
                 rp_buf_cstr(&val), last ? ", " : "", rp_buf_cstr(&from), where);
    struct rp_store_stmt *s = NULL;
    rp_err e = hub_sql_prepare(&q, st, rp_buf_cstr(&sql), &s, eb);
    bool row = false;
    while (!e && !(e = rp_store_stmt_step(s, &row, eb)) && row) {
        size_t len = 0;
        const char *t = rp_store_stmt_column_text(s, 1, &len);
        struct rp_ip ip;
        if (!t || rp_ip_parse((struct rp_str){t, len}, &ip, NULL) != RP_OK) continue;
        for (size_t i = 0; i < f->nconds; i++) {
            const struct hub_cond *c = &f->conds[i];
            if (c->group == g && rp_cidr_contains(&c->cidr, &ip)) {
                if (idset_add(out, rp_store_stmt_column_int64(s, 0)))
                    e = rp_fail(eb, RP_ENOMEM, "hub filter: out of memory");
                break;
            }
        }
    }
    if (e && s) rp_store_stmt_reset(s);
    idset_sort(out);
    hub_sql_release(&q);
    rp_buf_release(&from);
    rp_buf_release(&val);
    rp_buf_release(&type);
    rp_buf_release(&sql);
    return e;
}

rp_err hub_filter_where(const struct rp_hub_filter *f, struct rp_store *st, struct hub_sql *q,
                        struct rp_buf *where, bool *needs_doc, struct rp_errbuf *eb)
{
    *needs_doc = false;
    size_t start = where->len;
    bool any = false, ips = false;
    struct cparam *par = NULL;
    rp_err e = RP_OK;
    if (f && f->nconds) {
        par = calloc(f->nconds, sizeof *par);
        if (!par) return rp_fail(eb, RP_ENOMEM, "hub filter: out of memory");
    }
    /* Column conditions first: SQLite tests AND terms left to right, so a row they reject
     * never has its document parsed. */
    for (int pass = 0; pass < 2; pass++)
        for (size_t g = 0; f && g < f->ngroups; g++) {
            bool used = false;
            for (size_t i = 0; i < f->nconds && !used; i++) used = f->conds[i].group == g;
            if (!used || (f->groups[g].fl->column != NULL) != (pass == 0)) continue;
            if (f->groups[g].fl->kind == HUB_K_IP) {
                ips = true;
                continue;
            }
            hub_sql_put(q, where, any ? " AND " : "");
            group_sql(q, where, f, g, par, needs_doc);
            any = true;
        }
    if (!any) hub_sql_put(q, where, "1");
    free(par);
    if (q->err) return rp_fail(eb, q->err, "hub filter: cannot build the query");
    if (!ips) return RP_OK;

    /* IP groups: evaluate each over the rows the SQL condition leaves, intersect, and narrow
     * the condition to that set of rowids. */
    char *base = rp_arena_memdup(q->a, where->data + start, where->len - start);
    if (!base) return rp_fail(eb, RP_ENOMEM, "hub filter: out of memory");
    struct idset acc = {0}, one = {0};
    bool first = true;
    for (size_t g = 0; !e && g < f->ngroups; g++) {
        if (f->groups[g].fl->kind != HUB_K_IP) continue;
        bool used = false;
        for (size_t i = 0; i < f->nconds && !used; i++) used = f->conds[i].group == g;
        if (!used) continue;
        one.n = 0;
        e = ip_rowids(f, g, st, q, base, first ? &acc : &one, eb);
        if (!e && !first) idset_and(&acc, &one);
        first = false;
    }
    struct rp_buf ids;
    rp_buf_init(&ids, 0);
    for (size_t i = 0; !e && i < acc.n; i++)
        if (rp_buf_printf(&ids, "%s%lld", i ? "," : "[", (long long)acc.v[i]))
            e = rp_fail(eb, RP_ENOMEM, "hub filter: out of memory");
    if (!e && rp_buf_append_str(&ids, acc.n ? "]" : "[]"))
        e = rp_fail(eb, RP_ENOMEM, "hub filter: out of memory");
    if (!e) {
        char *txt = rp_arena_memdup(q->a, ids.data, ids.len);
        if (!txt)
            e = rp_fail(eb, RP_ENOMEM, "hub filter: out of memory");
        else
            hub_sql_putf(q, where, " AND f.rowid IN (SELECT value FROM json_each(?%d))",
                         hub_sql_text(q, txt, ids.len));
    }
    rp_buf_release(&ids);
    free(acc.v);
    free(one.v);
    if (!e && q->err) e = rp_fail(eb, q->err, "hub filter: cannot build the query");
    return e;
}
