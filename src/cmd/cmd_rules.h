/* SPDX-License-Identifier: Apache-2.0 */
/* Shared by cmd_rules.c, cmd_rules_pack.c and cmd_standards.c: storing rule configurations. */
#ifndef RP_CMD_RULES_H
#define RP_CMD_RULES_H

#include "cmd/cmd.h"
#include "core/rp_buf.h"
#include "store/store.h"

/* --param KEY=VALUE strings as an InputParameters JSON object (NUL-terminated) into out. */
rp_err rp_cmd_rules_params_json(const char *const *kv, size_t n, struct rp_buf *out,
                                struct rp_errbuf *eb) RP_WUR;

/* Insert or replace the posture_rule_configs row name. NULL params = "{}". */
rp_err rp_cmd_rules_config_put(struct rp_store *st, const char *name, const char *identifier,
                               const char *owner, const char *params, const char *scope,
                               const char *policy, const char *source, const char *state,
                               struct rp_errbuf *eb) RP_WUR;

/* The whole file at path (gzip is fine), NUL-terminated, into out; errors name the file. */
rp_err rp_cmd_rules_read_text(const char *path, struct rp_buf *out, struct rp_errbuf *eb) RP_WUR;

/* KEY=VALUE strings kv[0..n) split into out[i] = {keys[i], VALUE} (keys is the caller's
 * storage, 128 bytes per key). RP_EINVAL naming the first string that is not KEY=VALUE. */
struct rp_posture_paramval;
rp_err rp_cmd_rules_params_split(const char *const *kv, size_t n, char (*keys)[128],
                                 struct rp_posture_paramval *out, struct rp_errbuf *eb) RP_WUR;

/* Run sql on st with params[0..nparams) bound as text (NULL binds NULL) and print every row
 * through the result writer with cols; errors are reported under verb. An exit status. */
struct rp_out_col;
int rp_cmd_rules_sql_rows(struct rp_cmd_ctx *ctx, const char *verb, struct rp_store *st,
                          const char *sql, const char **params, int nparams,
                          const struct rp_out_col *cols, size_t ncols);

/* `rampart rules conformance-pack ...` (argv[0] is the pack subcommand). */
int rp_cmd_rules_pack(struct rp_cmd_ctx *ctx, int argc, char **argv);

#endif
