/* SPDX-License-Identifier: Apache-2.0 */
/* The value tree every posture evaluation reads (src/posture, private to the folder): a
 * configuration item, an account document or a parsed policy, as JSON-shaped values that live
 * in an arena. simdjson's DOM belongs to its parser and is overwritten by the next parse, so
 * documents kept across many evaluations (an inventory of 100,000 items, the targets of a
 * lookup) are converted once into this tree and then only read.
 *
 * Ownership: every node, key and string is allocated in the arena passed to the constructor
 * and lives until that arena is released. Nodes are never freed one by one. Lists and maps
 * built with the _push/_set calls may grow (reallocating their item array in the arena). */
#ifndef RP_POSTURE_VALUE_H
#define RP_POSTURE_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/rp_arena.h"
#include "core/rp_buf.h"
#include "core/rp_err.h"
#include "core/rp_json.h"

enum rp_pv_kind {
    RP_PV_NULL = 0,
    RP_PV_BOOL,
    RP_PV_INT,    /* int64 */
    RP_PV_DOUBLE, /* had a fraction or exponent, or did not fit int64 */
    RP_PV_STRING, /* bytes, NUL-terminated, may contain NUL */
    RP_PV_LIST,
    RP_PV_MAP, /* members in document order; keys may repeat only if the input repeated them */
};

struct rp_pv;

struct rp_pv_member {
    const char *key; /* NUL-terminated */
    uint32_t klen;
    struct rp_pv *val;
};

struct rp_pv {
    enum rp_pv_kind kind;
    uint32_t n;   /* string length, list length, member count */
    uint32_t cap; /* allocated items/members (lists and maps under construction) */
    union {
        bool b;
        int64_t i;
        double d;
        const char *s;
        struct rp_pv **items;
        struct rp_pv_member *members;
    } u;
};

/* Constructors (NULL on allocation failure). s[0..n) is copied into the arena. */
struct rp_pv *rp_pv_null(struct rp_arena *a);
struct rp_pv *rp_pv_bool(struct rp_arena *a, bool b);
struct rp_pv *rp_pv_int(struct rp_arena *a, int64_t i);
struct rp_pv *rp_pv_double(struct rp_arena *a, double d);
struct rp_pv *rp_pv_str(struct rp_arena *a, const char *s, size_t n);
struct rp_pv *rp_pv_cstr(struct rp_arena *a, const char *s); /* NULL s gives a null value */
struct rp_pv *rp_pv_list(struct rp_arena *a);
struct rp_pv *rp_pv_map(struct rp_arena *a);

/* Append v to list l / add key -> v to map m (a key already present is replaced). The key is
 * copied. RP_ENOMEM, RP_EINVAL when l/m has another kind. */
rp_err rp_pv_push(struct rp_arena *a, struct rp_pv *l, struct rp_pv *v) RP_WUR;
rp_err rp_pv_set(struct rp_arena *a, struct rp_pv *m, const char *key, struct rp_pv *v) RP_WUR;

/* Deep copy of a parsed JSON value into the arena. RP_ENOMEM; RP_EINVAL for "no value". */
rp_err rp_pv_from_json(struct rp_arena *a, struct rp_json_val v, struct rp_pv **out) RP_WUR;

/* Parse json[0..n) with parser p and convert it (RP_EPARSE/RP_ELIMIT with the parser's
 * message in *eb). */
rp_err rp_pv_parse(struct rp_arena *a, struct rp_json_parser *p, const char *json, size_t n,
                   struct rp_pv **out, struct rp_errbuf *eb) RP_WUR;

/* Member key of map m (first match), or NULL when m is not a map or has no such key. */
struct rp_pv *rp_pv_get(const struct rp_pv *m, const char *key);
struct rp_pv *rp_pv_getn(const struct rp_pv *m, const char *key, size_t klen);

/* Walk a dotted path of map keys ("configuration.PasswordPolicy.MinimumPasswordLength"); a
 * segment that is all digits indexes a list. NULL when any step is missing. */
struct rp_pv *rp_pv_path(const struct rp_pv *v, const char *path);

/* Deep equality: same kind (INT and DOUBLE compare as numbers), same bytes, same list order,
 * same map members regardless of order. */
bool rp_pv_equal(const struct rp_pv *x, const struct rp_pv *y);

/* True for a string of n bytes equal to s. */
bool rp_pv_is_str(const struct rp_pv *v, const char *s);

/* Static name of a kind ("null", "bool", "int", "double", "string", "list", "map"). */
const char *rp_pv_kind_name(enum rp_pv_kind k);

/* Write v as compact JSON (writer errors are sticky, see rp_json.h). */
void rp_pv_write_json(struct rp_json_writer *w, const struct rp_pv *v);

/* Append v as compact JSON to out (RP_ELIMIT past out->max, RP_ENOMEM). */
rp_err rp_pv_to_json(const struct rp_pv *v, struct rp_buf *out) RP_WUR;

#endif
