/* SPDX-License-Identifier: Apache-2.0 */
/* Private to src/hub: the query side of the findings hub (GetFindings, GetInsightResults).
 *
 *   - The attribute catalogue (hub_fields.c): every AwsSecurityFindingFilters attribute Rampart
 *     can filter, sort or group on, read once from data/hub/filter_fields.json. An attribute is
 *     backed either by a column of the findings table (the fast path: indexes or a scan of the
 *     narrow table, no JSON parsing), optionally with its 2nd.. values in finding_values
 *     (Type, ResourceId, ResourceType), or by a JSON path into finding_docs.doc in which "[*]"
 *     walks an array ("$.Resources[*].Details.AwsEc2Instance.Type").
 *   - A SQL builder (hub_sql) that keeps text and bound values together: values are always
 *     bound parameters ?N, never formatted into the text, and one value may be referenced
 *     several times by number.
 *   - The compiled filter (struct rp_hub_filter, built by hub_filter.c) and its translation
 *     into a WHERE condition over "findings f" (and "finding_docs d" when needs_doc), used by
 *     hub_query.c.
 * The SQL always names the findings table f and the documents table d. */
#ifndef RP_HUB_FIELDS_H
#define RP_HUB_FIELDS_H

#include "core/rp_arena.h"
#include "core/rp_buf.h"
#include "core/rp_ip.h"
#include "core/rp_str.h"
#include "hub/hub.h"

/* ---- attribute catalogue ----------------------------------------------------------------- */

enum hub_kind {
    HUB_K_STRING,  /* StringFilter */
    HUB_K_NUMBER,  /* NumberFilter */
    HUB_K_DATE,    /* DateFilter (columns hold ms UTC, documents ISO 8601 text) */
    HUB_K_MAP,     /* MapFilter (path names a JSON object of string values) */
    HUB_K_BOOLEAN, /* BooleanFilter (a missing scalar value counts as false) */
    HUB_K_IP,      /* IpFilter (matched in C after SQL, see hub_filter.c) */
};

/* One attribute. Invariants: path starts with "$"; seg[0..narr] are the pieces of path
 * between "[*]" markers (seg[0] starts with "$", the others with "." or "" for the element
 * itself); column and values are SQL identifiers / plain words checked at load; values is set
 * only with column. Strings live as long as the process. */
struct hub_field {
    const char *name;       /* "ResourceId" */
    enum hub_kind kind;     /* what filters it takes */
    const char *column;     /* findings column ("resource_id"), NULL = JSON path only */
    const char *values;     /* finding_values.field of the 2nd.. values ("ResourceId"), or NULL */
    const char *path;       /* "$.Resources[*].Id" */
    const char **seg;       /* narr + 1 pieces of path */
    const char **rel;       /* rel[0] = seg[0], rel[i] = "$" seg[i]: relative to an element */
    size_t narr;            /* "[*]" markers in path */
    const char *first_path; /* path with every "[*]" as "[0]": the value a sort uses */
};

/* Load data/hub/filter_fields.json (the --data-dir overlay applies) the first time, thread-safe;
 * later calls return the first outcome. RP_OK, or the load/parse error with details in *eb. */
rp_err hub_fields_load(struct rp_errbuf *eb) RP_WUR;

/* Every attribute, sorted by name. Loads first; RP_OK or the load error. */
rp_err hub_fields_all(const struct hub_field **out, size_t *n, struct rp_errbuf *eb) RP_WUR;

/* The attribute called name (exact, case-sensitive): RP_OK, RP_EINVAL "hub filter: unknown
 * attribute 'x'" (*out NULL), or the load error. */
rp_err hub_field_lookup(struct rp_str name, const struct hub_field **out,
                        struct rp_errbuf *eb) RP_WUR;

/* "string", "number", "date", "map", "boolean", "ip". */
const char *hub_kind_name(enum hub_kind k);

/* A catalogue parsed from json[0..len) (the file's format), sorted by name: what the loader
 * does, exposed for tests of its checks. *out and its strings live in arena a. RP_EPARSE with
 * the entry and the reason in *eb. */
rp_err hub_fields_parse(struct rp_arena *a, const char *json, size_t len,
                        const struct hub_field **out, size_t *n, struct rp_errbuf *eb) RP_WUR;

/* ---- SQL builder ------------------------------------------------------------------------- */

enum hub_bind_kind { HUB_BIND_TEXT, HUB_BIND_INT, HUB_BIND_DOUBLE };

struct hub_bind {
    enum hub_bind_kind kind;
    const char *p; /* text, borrowed: must outlive the hub_sql (filter arena, q->a, catalogue) */
    size_t len;
    int64_t i;
    double d;
};

/* Invariants: binds[k] is parameter ?(k+1); err is sticky (every call after the first error is
 * a no-op) and reported by hub_sql_prepare. */
struct hub_sql {
    struct rp_arena *a;     /* borrowed: scratch for bound texts built while compiling */
    struct hub_bind *binds; /* malloc'd */
    size_t nbind, cap;
    rp_err err;
};

void hub_sql_init(struct hub_sql *q, struct rp_arena *a);
void hub_sql_release(struct hub_sql *q);

/* New parameters; each returns its number N (0 after an error). p is borrowed. */
int hub_sql_text(struct hub_sql *q, const char *p, size_t len);
int hub_sql_cstr(struct hub_sql *q, const char *s);
int hub_sql_int(struct hub_sql *q, int64_t v);
int hub_sql_double(struct hub_sql *q, double v);

/* Append text / printf to b, recording RP_ELIMIT or RP_ENOMEM in q->err. */
void hub_sql_put(struct hub_sql *q, struct rp_buf *b, const char *s);
void hub_sql_putf(struct hub_sql *q, struct rp_buf *b, const char *fmt, ...) RP_PRINTF(3, 4);

/* The elements of a JSON-path attribute, for use in a FROM clause: appends to from the
 * comma-separated json_each joins named <alias>1, <alias>2.. (nothing when the path has no
 * "[*]" and members is false) and writes into val and type SQL expressions of one element's
 * value and JSON type (json_type names: 'text', 'integer', 'real', 'true', 'false', 'null',
 * 'object', 'array'). With members, the object at the end of the path is walked too: each of
 * its members is an element and <alias><last>.key its key (for map attributes); *last gets
 * that last alias number (0 when there are no joins). */
void hub_sql_elements(struct hub_sql *q, const struct hub_field *fl, const char *alias,
                      bool members, struct rp_buf *from, struct rp_buf *val, struct rp_buf *type,
                      int *last);

/* The SQL expression of a date value in ms UTC from a JSON text expression v (ISO 8601; NULL
 * for anything SQLite's date functions do not read). Appended to b. */
void hub_sql_date_ms(struct hub_sql *q, struct rp_buf *b, const char *v);

/* Prepare sql on st (cached by text, store.h) and bind q's parameters. RP_OK, q->err, or the
 * store's error. */
rp_err hub_sql_prepare(struct hub_sql *q, struct rp_store *st, const char *sql,
                       struct rp_store_stmt **out, struct rp_errbuf *eb) RP_WUR;

/* ---- compiled filter --------------------------------------------------------------------- */

/* String and map comparisons. The first three are positive (ORed within an attribute), the
 * last three negative (ANDed). */
enum hub_cmp {
    HUB_CMP_EQUALS,
    HUB_CMP_PREFIX,
    HUB_CMP_CONTAINS,
    HUB_CMP_NOT_EQUALS,
    HUB_CMP_PREFIX_NOT_EQUALS,
    HUB_CMP_NOT_CONTAINS,
};

const char *hub_cmp_name(enum hub_cmp c);

/* Bits of hub_cond.has for number and date ranges. */
enum {
    HUB_HAS_GTE = 1u << 0, /* number Gte, date Start */
    HUB_HAS_LTE = 1u << 1, /* number Lte, date End */
    HUB_HAS_GT = 1u << 2,
    HUB_HAS_LT = 1u << 3,
    HUB_HAS_EQ = 1u << 4,
};

/* One filter object (one element of an attribute's array). Which members count depends on
 * the attribute's kind. Strings live in the filter's arena. */
struct hub_cond {
    size_t group;                /* index in rp_hub_filter.groups */
    enum hub_cmp cmp;            /* string, map */
    struct rp_str key;           /* map */
    struct rp_str value;         /* string, map */
    unsigned has;                /* number, date: HUB_HAS_* */
    double gte, lte, gt, lt, eq; /* number */
    int64_t start, end;          /* date, ms, inclusive (HUB_HAS_GTE / HUB_HAS_LTE) */
    bool bval;                   /* boolean */
    struct rp_cidr cidr;         /* ip */
    bool cli; /* number/date range from the command line a later bound may complete */
};

/* The conditions on one attribute. */
struct hub_group {
    const struct hub_field *fl;
};

/* Invariants: each attribute has at most one group; conds are in the order added. */
struct rp_hub_filter {
    struct rp_arena a; /* condition strings */
    struct hub_group *groups;
    size_t ngroups, capg;
    struct hub_cond *conds;
    size_t nconds, capc;
};

/* Append to where the filter's condition over "findings f" (plus "finding_docs d" when
 * *needs_doc comes back true), with its values bound in q; "1" for an empty or NULL filter.
 * IP conditions are resolved here by running queries on st (see hub_filter.c), so this can
 * fail with store errors. */
rp_err hub_filter_where(const struct rp_hub_filter *f, struct rp_store *st, struct hub_sql *q,
                        struct rp_buf *where, bool *needs_doc, struct rp_errbuf *eb) RP_WUR;

#endif
