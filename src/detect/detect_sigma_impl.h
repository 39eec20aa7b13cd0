/* SPDX-License-Identifier: Apache-2.0 */
/* Private to the Sigma files of src/detect (detect_sigma*.c): a compiled rule and the set.
 *
 * A rule compiles to search identifiers (selections), each an OR of maps, each map an AND of
 * field items, each item a field reference plus values (OR, or AND with |all), and a condition
 * tree over the selections. Everything compiled lives in the set's arena; regular expressions
 * live in one rp_re set for the whole rule set, rebuilt after each load. */
#ifndef RP_DETECT_SIGMA_IMPL_H
#define RP_DETECT_SIGMA_IMPL_H

#include "core/rp_arena.h"
#include "core/rp_buf.h"
#include "core/rp_ip.h"
#include "core/rp_json.h"
#include "core/rp_re.h"
#include "detect/detect_ct_common.h"
#include "detect/detect_internal.h"
#include "detect/detect_k8s_common.h"
#include "detect/detect_sigma.h"

#define SG_MAX_COND_DEPTH 64         /* nesting of parentheses and 'not' in a condition */
#define SG_MAX_PATH       16         /* segments of a field name */
#define SG_MAX_FILE_BYTES (4u << 20) /* a rule file larger than this is skipped */

/* How one value compares with one candidate of the field. */
enum sg_op {
    SG_EQ,       /* the whole candidate */
    SG_PREFIX,   /* startswith, or a value ending in one '*' */
    SG_SUFFIX,   /* endswith, or a value starting with one '*' */
    SG_CONTAINS, /* contains, or '*' at both ends */
    SG_GLOB,     /* wildcards elsewhere: pat with wild[] */
    SG_RE,       /* regular expression (unanchored search) */
    SG_CIDR,
    SG_LT,
    SG_LTE,
    SG_GT,
    SG_GTE,
};

struct sg_value {
    enum sg_op op;
    bool cased;      /* exact bytes; else ASCII case-insensitive (pat is lower-cased) */
    const char *pat; /* literal text without its wildcards (GLOB: with them) */
    size_t len;
    const uint8_t *wild; /* GLOB: wild[i] != 0 when pat[i] is a wildcard ('*' or '?') */
    double num;          /* LT..GTE */
    struct rp_cidr cidr; /* CIDR */
    unsigned re;         /* RE: the pattern's index in the set's regex set */
};

/* Where a field's values come from in an event. */
struct sg_field {
    unsigned col; /* index in ev->s, or ev->i when integer */
    bool integer;
    bool boolean;              /* integer column holding 0/1 for false/true (readOnly) */
    bool json;                 /* s[col] is JSON text */
    const struct rp_str *path; /* segments below the column (json only), npath may be 0 */
    size_t npath;
};

enum sg_item_kind {
    SG_ITEM_VALUES, /* compare with vals */
    SG_ITEM_EXISTS, /* |exists: true/false */
    SG_ITEM_NULL,   /* field: null (absent, or JSON null) */
};

struct sg_item {
    enum sg_item_kind kind;
    struct sg_field field;
    bool all;    /* every value must match (|all); else one */
    bool exists; /* SG_ITEM_EXISTS: the presence wanted */
    struct sg_value *vals;
    size_t nvals;
};

struct sg_map {
    struct sg_item *items; /* AND */
    size_t n;
};

struct sg_sel {
    const char *name;
    struct sg_map *maps; /* OR */
    size_t n;
};

enum sg_node_kind { SG_N_SEL, SG_N_AND, SG_N_OR, SG_N_NOT };

/* A condition node: SEL refers to sels[a]; AND/OR to kids[a .. a + n); NOT to nodes[a]. */
struct sg_node {
    enum sg_node_kind kind;
    unsigned a, n;
};

struct sg_rule {
    /* metadata, as rp_det_sigma_rule gives it */
    const char *id, *title, *name, *level, *status, *description, *author, *file;
    const char **tags, **refs;
    size_t ntags, nrefs;
    enum rp_det_source src;
    struct rp_det_type type;     /* type, severity, title, description */
    const char *additional_json; /* {"sigma": {..}} */
    bool disabled;               /* skipped after loading (a bad regex, a correlation's part) */

    struct sg_sel *sels;
    size_t nsels;
    struct sg_node *nodes;
    size_t nnodes;
    unsigned *kids;
    size_t nkids;
    unsigned root;
};

/* One JSON column of the current event, parsed once. */
struct sg_jcache {
    struct rp_json_parser *p; /* created on first use, kept */
    bool valid;               /* the key below describes what root holds */
    int64_t seq;
    const char *ptr;
    size_t len;
    bool ok; /* the text parsed */
    struct rp_json_val root;
};

/* A correlation rule's reference to another rule, by id or name. */
struct sg_corr_ref {
    const char *ref; /* the referenced rule's id or name */
    const char *by;  /* the correlation's title */
    bool generate;   /* generate: true: the referenced rules also run alone */
};

/* The exact-match index of one source's rules: a rule whose condition requires a plain column
 * (eventName, eventSource, verb, ..) to equal one of some values is only evaluated on the events
 * where it does; the others run on every event. */
#define SG_MAX_ICOLS 8 /* columns indexed per source; rules on others run on every event */

struct sg_ikey {
    unsigned col;
    const char *pat; /* lower-cased */
    size_t len;
    uint32_t first, n; /* the rules: set->irules[first .. first + n) */
};

struct sg_index {
    struct sg_ikey *keys;
    size_t nkeys;
    uint32_t *slots; /* open addressing on (col, value): 0 empty, else key index + 1 */
    size_t nslots;   /* a power of two, or 0 */
    unsigned cols[SG_MAX_ICOLS];
    size_t ncols;
};

struct rp_det_sigma_set {
    struct rp_arena a;      /* compiled rules */
    struct sg_rule **rules; /* load order, disabled ones included */
    size_t nrules, caprules;
    struct sg_rule **act; /* the rules that run, load order (rebuilt after each load) */
    size_t nactive, skipped;

    /* regular expressions of every rule */
    struct rp_re_pattern *pats;
    size_t npats, cappats;
    unsigned *pat_rule; /* owner of each pattern (index in rules) */
    bool re_dirty;      /* pats changed since re was built */
    struct rp_re_set *re;
    struct rp_re_scratch *re_scr;
    unsigned char *re_on; /* npats flags, all zero between scans */

    struct sg_corr_ref *corr;
    size_t ncorr, capcorr;

    struct sg_index idx[2]; /* [0] CloudTrail, [1] Kubernetes */
    uint32_t *irules;       /* the index's rule lists (indexes into act) */
    unsigned char *always;  /* nactive: 1 for a rule the index does not cover */
    unsigned char *cand;    /* nactive: scratch, the rules to evaluate on this event */

    /* evaluation scratch */
    struct sg_jcache jc[2][RP_DET_MAX_STR]; /* [0] CloudTrail, [1] Kubernetes */
    rp_err err;                             /* first error of the current evaluation */
    uint64_t parses;            /* JSON columns parsed so far (tests check the cache with it) */
    struct rp_det_ct_work ctw;  /* a finding's strings (CloudTrail) */
    struct rp_det_k8s_work k8w; /* a finding's strings (Kubernetes) */
    struct rp_json_parser *lp;  /* loading: the parser of a rule's JSON */
};

/* detect_sigma_compile.c: compile the detection of rule r from its JSON (the "detection"
 * member). RP_OK; RP_EUNSUPPORTED or RP_EPARSE with the reason in *eb (the rule is then
 * skipped); RP_ENOMEM. */
rp_err rp_det_sigma_compile(struct rp_det_sigma_set *set, struct sg_rule *r,
                            struct rp_json_val detection, struct rp_errbuf *eb) RP_WUR;

/* detect_sigma_match.c: does rule r match ev? set->err is set on an internal error. */
bool rp_det_sigma_rule_match(struct rp_det_sigma_set *set, const struct sg_rule *r,
                             const struct rp_det_event *ev);

/* detect_sigma_match.c: the parsed JSON of text column col of ev (cached per event), or false
 * when the column is absent or not JSON. */
bool rp_det_sigma_json(struct rp_det_sigma_set *set, const struct rp_det_event *ev, unsigned col,
                       struct rp_json_val *root);

/* detect_sigma_match.c: (re)build the exact-match index over set->act. RP_OK or RP_ENOMEM. */
rp_err rp_det_sigma_index(struct rp_det_sigma_set *set) RP_WUR;
/* detect_sigma_match.c: free the index. */
void rp_det_sigma_index_free(struct rp_det_sigma_set *set);

/* detect_sigma_match.c: (re)build the regex set after a load. RP_OK; on RP_EPARSE *bad is the
 * pattern that does not compile (its owner must be disabled and the pattern neutralised before
 * building again); RP_ENOMEM. */
rp_err rp_det_sigma_re_build(struct rp_det_sigma_set *set, size_t *bad,
                             struct rp_errbuf *eb) RP_WUR;

#endif
