/* SPDX-License-Identifier: Apache-2.0 */
/* AWS CloudFormation Guard 2.x (plus Guard 3's built-in functions), the language of AWS Config
 * custom policy rules, compiled once and evaluated over posture value trees (posture_value.h).
 * Private to src/posture. The language: ../shared/reference/specs/cfn-guard and docs/guard.md.
 *
 * Rampart additions (documented in docs/guard.md): the functions days_since(q) and
 * days_until(q) (days between an ISO-8601 time or epoch-seconds number and the evaluation time,
 * as a double), and variables bound by the caller before evaluation (rule parameters and
 * lookups, referenced as %name like any let variable). */
#ifndef RP_POSTURE_GUARD_H
#define RP_POSTURE_GUARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/rp_arena.h"
#include "core/rp_err.h"
#include "posture/posture_value.h"

/* A compiled rules file: immutable after compile, safe to evaluate from several threads with
 * separate scratch arenas. */
struct rp_guard_file;

/* Compile text[0..n). name is used in messages ("rules.guard"). On a bad file: RP_EPARSE with
 * "NAME:LINE:COLUMN: <what is wrong>" in *eb (1-based line and column of the offending
 * token), e.g. "x.guard:3:14: expected ')' to close the filter opened at 3:5". References to
 * undefined named rules are compile errors; references to undefined variables are compile
 * errors unless the variable name is in predeclared[0..npre) (the caller binds those at
 * evaluation). */
rp_err rp_guard_compile(const char *name, const char *text, size_t n,
                        const char *const *predeclared, size_t npre, struct rp_guard_file **out,
                        struct rp_errbuf *eb) RP_WUR;
void rp_guard_file_free(struct rp_guard_file *f);

/* Names of the file's rules in order (named rules included), for `rules describe`. */
size_t rp_guard_file_rule_count(const struct rp_guard_file *f);
const char *rp_guard_file_rule_name(const struct rp_guard_file *f, size_t i);

enum rp_guard_status { RP_GUARD_PASS, RP_GUARD_FAIL, RP_GUARD_SKIP };

/* A variable bound by the caller: %name resolves to val (a list value is a multi-valued
 * query result, as a let over a query would be). */
struct rp_guard_var {
    const char *name;
    const struct rp_pv *val;
};

struct rp_guard_env {
    int64_t now_ms;                  /* what now() and days_since() take as the present */
    const struct rp_guard_var *vars; /* caller-bound variables */
    size_t nvars;
    struct rp_arena *scratch; /* evaluation temporaries; the caller resets it */
};

#define RP_GUARD_MSG_MAX 256 /* AWS Config's annotation limit */

struct rp_guard_result {
    /* The file's status over doc: FAIL when any top-level rule fails, else PASS when any
     * passes, else SKIP (every rule's `when` was false or nothing matched a type block). */
    enum rp_guard_status status;
    /* For FAIL: why, for a person: the custom message (<<...>>) of the first failing clause
     * when it has one, else "<rule>: <query> <op> <expected> failed: got <value>" (value
     * truncated), NUL-terminated and cut to fit. Empty otherwise. */
    char message[RP_GUARD_MSG_MAX];
    /* Per top-level rule (in file order, named rules included) its own status. */
    enum rp_guard_status *rule_status; /* in env->scratch */
    size_t nrules;
};

/* Evaluate every rule of f over doc. RP_OK with *out filled (a clause that fails, a query that
 * finds nothing, a type mismatch: all are results, not errors). Errors only for RP_ENOMEM and
 * RP_ELIMIT (recursion or result-size limits), with details in *eb. */
rp_err rp_guard_eval(const struct rp_guard_file *f, const struct rp_pv *doc,
                     const struct rp_guard_env *env, struct rp_guard_result *out,
                     struct rp_errbuf *eb) RP_WUR;

#endif
