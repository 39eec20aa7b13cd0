/* SPDX-License-Identifier: Apache-2.0 */
/* Guard engine internals shared by posture_guard_lex.c (tokens), posture_guard_parse.c (the
 * immutable AST), posture_guard_eval.c (evaluation) and posture_guard_fn.c (built-in
 * functions). Private to those files and their tests.
 *
 * Invariants: everything in the AST lives in the file's arena and is never modified after
 * rp_guard_compile returns; regular expressions are compiled (and JIT-compiled) at compile
 * time and listed in res[] so the file frees them. */
#ifndef RP_POSTURE_GUARD_IMPL_H
#define RP_POSTURE_GUARD_IMPL_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/rp_arena.h"
#include "core/rp_err.h"
#include "posture/posture_guard.h"
#include "posture/posture_value.h"

#define GUARD_MAX_NEST    64         /* syntactic nesting of blocks, filters, lists, calls */
#define GUARD_MAX_PARTS   128        /* steps in one query */
#define GUARD_MAX_DEPTH   512        /* evaluation recursion (nesting plus rule references) */
#define GUARD_MAX_RESULTS (1u << 20) /* values one query may produce */
#define GUARD_MAX_STEPS   (1u << 22) /* clauses and path steps in one evaluation */

/* ---- tokens ---------------------------------------------------------------------------- */

enum gtok {
    T_EOF = 0,
    T_IDENT,  /* name, keyword or function name */
    T_TYPE,   /* AWS::S3::Bucket */
    T_STRING, /* '...' or "..." (val/len hold the unescaped bytes) */
    T_INT,
    T_FLOAT,
    T_REGEX, /* /.../ (val/len: the pattern) */
    T_MSG,   /* <<...>> (val/len: the raw text) */
    T_VAR,   /* %name (val/len: name) */
    T_DOT,
    T_COMMA,
    T_COLON,
    T_LBRACK,
    T_RBRACK,
    T_LBRACE,
    T_RBRACE,
    T_LPAREN,
    T_RPAREN,
    T_STAR,
    T_EQ, /* == */
    T_NE, /* != */
    T_LT,
    T_GT,
    T_LE,
    T_GE,
    T_BANG,   /* ! */
    T_ASSIGN, /* = */
};

struct gtoken {
    enum gtok kind;
    uint32_t line, col; /* 1-based */
    uint32_t off, end;  /* byte range in the source */
    const char *val;    /* T_IDENT/T_TYPE: source; T_STRING/T_REGEX/T_MSG/T_VAR: arena copy */
    uint32_t len;
    int64_t i; /* T_INT */
    double d;  /* T_FLOAT */
};

/* Tokenize src[0..n) into *toks (arena a), ending with T_EOF. RP_EPARSE with
 * "NAME:L:C: ..." in *eb. */
rp_err rp_guard_lex(struct rp_arena *a, const char *name, const char *src, size_t n,
                    struct gtoken **toks, size_t *ntoks, struct rp_errbuf *eb) RP_WUR;

/* ---- AST ------------------------------------------------------------------------------- */

enum glit_kind { GL_PV, GL_RE, GL_RANGE, GL_LIST };

/* A literal. Plain values (strings, numbers, bools, null, lists and maps of plain values) are
 * GL_PV; a regex, a range, or a list holding one of those is special. */
struct glit {
    enum glit_kind kind;
    const struct rp_pv *pv; /* GL_PV */
    pcre2_code *re;         /* GL_RE */
    const char *src;        /* GL_RE: the pattern text */
    double lo, hi;          /* GL_RANGE */
    bool lo_incl, hi_incl;
    struct glit **items; /* GL_LIST */
    uint32_t n;
};

struct gblock;
struct gcall;
struct gquery;
struct glet;
struct grule;

/* An operand: a query, a literal or a function call. */
enum gopnd_kind { GO_NONE = 0, GO_QUERY, GO_LIT, GO_CALL };
struct gopnd {
    enum gopnd_kind kind;
    struct gquery *q;
    struct glit *lit;
    struct gcall *call;
    const char *text; /* source text, for messages */
    uint32_t tlen;
};

enum gpart_kind {
    GP_KEY,       /* .name or ."quoted" */
    GP_VARKEY,    /* .%var: each string value of var used as a key */
    GP_STAR,      /* .* */
    GP_ALL,       /* [*] */
    GP_INDEX,     /* [N] */
    GP_FILTER,    /* [ clauses ] */
    GP_KEYFILTER, /* [ keys OP value ] */
};

enum gop {
    OP_NONE = 0,
    /* binary */
    OP_EQ,
    OP_NE,
    OP_LT,
    OP_GT,
    OP_LE,
    OP_GE,
    OP_IN,
    /* unary */
    OP_EXISTS,
    OP_EMPTY,
    OP_IS_STRING,
    OP_IS_LIST,
    OP_IS_STRUCT,
    OP_IS_BOOL,
    OP_IS_INT,
    OP_IS_FLOAT,
    OP_IS_NULL,
};

struct gpart {
    enum gpart_kind kind;
    const char *key; /* GP_KEY */
    uint32_t klen;
    int64_t index;         /* GP_INDEX */
    struct gblock *filter; /* GP_FILTER */
    struct gvarref *var;   /* GP_VARKEY */
    enum gop kop;          /* GP_KEYFILTER */
    bool knot;
    struct gopnd krhs;
};

/* A variable reference, resolved after parsing: either a let in an enclosing scope, or a
 * caller-bound (predeclared) variable. */
struct gvarref {
    const char *name;
    uint32_t nlen;
    uint32_t line, col;
    struct gblock *scope; /* the block the reference appears in */
    struct glet *let;     /* resolved let, or NULL */
    int pre;              /* index in the predeclared names, or -1 */
};

enum gqstart { GQ_ROOT, GQ_THIS, GQ_VAR };
struct gquery {
    enum gqstart start;
    struct gvarref *var; /* GQ_VAR */
    struct gpart *parts;
    uint32_t nparts;
    bool some;
};

enum gfn {
    FN_JSON_PARSE,
    FN_REGEX_REPLACE,
    FN_JOIN,
    FN_SUBSTRING,
    FN_TO_UPPER,
    FN_TO_LOWER,
    FN_URL_DECODE,
    FN_PARSE_BOOLEAN,
    FN_PARSE_CHAR,
    FN_PARSE_EPOCH,
    FN_PARSE_FLOAT,
    FN_PARSE_INT,
    FN_PARSE_STRING,
    FN_NOW,
    FN_COUNT,
    FN_DAYS_SINCE,
    FN_DAYS_UNTIL,
};

struct gcall {
    enum gfn fn;
    struct gopnd *args;
    uint32_t nargs;
    pcre2_code *re; /* regex_replace: compiled at compile time when the pattern is constant */
};

struct glet {
    const char *name;
    uint32_t nlen;
    struct gblock *owner; /* scope */
    uint32_t idx;         /* index among owner's lets */
    struct gopnd val;
    bool some;
    uint32_t line, col;
};

enum gcl_kind {
    GC_CMP,   /* lhs op rhs */
    GC_UNARY, /* lhs op */
    GC_REF,   /* [not] rule_name */
    GC_BLOCK, /* [some] query { body } */
    GC_WHEN,  /* when cond { body } */
    GC_TYPE,  /* AWS::X::Y [when cond] { body } */
    GC_NOT,   /* not ( clause ): inverts PASS/FAIL of sub */
};

/* A message piece: literal text, or a query to interpolate ({{query}}). */
struct gmsgpart {
    const char *text;
    uint32_t len;
    struct gopnd *q; /* non-NULL: interpolate */
};

struct gclause {
    enum gcl_kind kind;
    bool some;
    bool opnot; /* not/! before a unary or IN operator, or != */
    enum gop op;
    struct gopnd lhs, rhs;
    struct gmsgpart *msg; /* custom message parts, or NULL */
    uint32_t nmsg;
    const char *optext; /* operator as written, for default messages */
    uint32_t oplen;
    const char *refname; /* GC_REF */
    uint32_t reflen;
    struct grule *ref;
    bool negate;         /* GC_REF: not rule */
    struct gblock *cond; /* GC_WHEN / GC_TYPE */
    struct gblock *body; /* GC_BLOCK / GC_WHEN / GC_TYPE */
    const char *type;    /* GC_TYPE */
    uint32_t typelen;
    struct gclause *sub; /* GC_NOT */
    uint32_t line, col;
};

/* A disjunction of clauses (or). */
struct ggroup {
    struct gclause **cl;
    uint32_t n;
};

/* A block: its lets and a conjunction of disjunctions. Rule bodies, when bodies, query block
 * bodies, filters and when conditions are blocks. */
struct gblock {
    struct gblock *parent;
    struct glet **lets;
    uint32_t nlets;
    struct ggroup *groups;
    uint32_t ngroups;
    struct grule *rule; /* the rule it belongs to (NULL for file-level) */
};

struct grule {
    const char *name;
    uint32_t nlen;
    uint32_t idx;
    struct gblock *cond; /* or NULL */
    struct gblock *body;
    uint32_t line, col;
};

struct rp_guard_file {
    struct rp_arena arena;
    const char *name;
    struct gblock *top; /* file-level lets (and, with no rules, nothing else) */
    struct grule **rules;
    uint32_t nrules;
    char **pre; /* predeclared names (copied) */
    uint32_t npre;
    pcre2_code **res; /* every compiled regex, freed with the file */
    uint32_t nres, capres;
    pcre2_match_context *mctx; /* match limits, shared read-only */
};

/* ---- evaluation helpers shared with posture_guard_fn.c ---------------------------------- */

/* One value of a query result: v (document or scratch value), or l (a special literal), or
 * neither (unresolved: the path did not exist). */
struct gitem {
    const struct rp_pv *v;
    const struct glit *l;
};

struct gset {
    struct gitem *it;
    uint32_t n, cap;
    struct gitem inl[6];
};

struct gev;

void rp_guard_set_init(struct gset *s);
rp_err rp_guard_set_push(struct gev *ev, struct gset *s, const struct rp_pv *v,
                         const struct glit *l) RP_WUR;
/* Evaluate an operand in the current context into *out. */
rp_err rp_guard_eval_opnd(struct gev *ev, const struct gopnd *o, struct gset *out) RP_WUR;
struct rp_arena *rp_guard_ev_arena(struct gev *ev);
int64_t rp_guard_ev_now_ms(struct gev *ev);
pcre2_match_data *rp_guard_ev_md(struct gev *ev);
const struct rp_guard_file *rp_guard_ev_file(struct gev *ev);
rp_err rp_guard_ev_json(struct gev *ev, const char *s, size_t n, struct rp_pv **out);

/* Call a built-in function; results appended to *out. */
rp_err rp_guard_fn_call(struct gev *ev, const struct gcall *c, struct gset *out) RP_WUR;

/* d as the shortest decimal text that reads back the same ("1.5", "0.1"); with point, an
 * integral value gets ".0". Returns the length (0 when cap is too small). */
size_t rp_guard_fmt_double(char *buf, size_t cap, double d, bool point);

/* Function table: name -> fn, argument counts. NULL when unknown. */
struct gfn_info {
    const char *name;
    enum gfn fn;
    uint8_t min_args, max_args;
};
const struct gfn_info *rp_guard_fn_find(const char *name, size_t n);

#endif
