/* SPDX-License-Identifier: Apache-2.0 */
/* Private to src/sim: the parts of the world and the run that only rp_sim's own files see
 * (world storage, the builder, the Config generator's change capture, output internals). */
#ifndef RP_SIM_INTERNAL_H
#define RP_SIM_INTERNAL_H

#include "core/rp_arena.h"
#include "core/rp_buf.h"
#include "sim/sim_gen.h"
#include "sim/sim_world.h"

struct rp_sim_world_priv {
    struct rp_arena arena;         /* policy documents and other text */
    uint32_t cap[RP_SIM_K__COUNT]; /* allocated slots per kind */
};

/* Build the estate into w (options already validated and copied into w). sim_world_build.c. */
rp_err rp_sim_world_build(struct rp_sim_world *w, uint32_t naccounts, struct rp_errbuf *eb) RP_WUR;

/* The Config generator (sim_config.c). */
extern const struct rp_sim_gen rp_sim_gen_config;

/* Capture the CI of ref at at_ms into the Config generator's pending history (state is the
 * generator's state). Called by rp_sim_world_changed. */
rp_err rp_sim_config_capture(struct rp_sim_run *run, void *state, struct rp_sim_ref ref,
                             int64_t at_ms, enum rp_sim_change change, const char *related_event_id,
                             struct rp_errbuf *eb) RP_WUR;

/* Write the configuration item of ref (AWS Config delivery shape, version 1.3) captured at
 * capture_ms as one JSON object appended to out. status is the configurationItemStatus. */
rp_err rp_sim_config_ci_append(const struct rp_sim_world *w, struct rp_sim_ref ref,
                               int64_t capture_ms, const char *status, const char *related_event_id,
                               struct rp_buf *out) RP_WUR;

/* The state pointer of generator g in run (NULL when g is not part of the run). */
void *rp_sim_run_gen_state(struct rp_sim_run *run, const struct rp_sim_gen *g);

/* Write the pending record streams of the hour (sim_stream.c); called by the driver. */
rp_err rp_sim_stream_flush_hour(struct rp_sim_run *run, struct rp_errbuf *eb) RP_WUR;

/* Stream storage lifetime (sim_stream.c). */
struct rp_sim_streams;
struct rp_sim_streams *rp_sim_streams_new(void);
void rp_sim_streams_free(struct rp_sim_streams *s);

/* Output directory state (sim_out.c). */
struct rp_sim_out;
rp_err rp_sim_out_new(const char *dir, struct rp_sim_out **out, struct rp_errbuf *eb) RP_WUR;
void rp_sim_out_free(struct rp_sim_out *o);
/* The stats kept by the output (files and bytes per source). */
struct rp_sim_stats *rp_sim_out_stats(struct rp_sim_out *o);
/* Count records for source without a file (e.g. records written into shared files). */
void rp_sim_out_count(struct rp_sim_out *o, const char *source, uint64_t files, uint64_t bytes,
                      uint64_t records);

struct rp_sim_run_priv {
    struct rp_sim_opts opts; /* copy; strings point into strs */
    char *strs;              /* owned copies of the option strings */
    struct rp_sim_out *out;
    struct rp_sim_streams *streams;
    void **gen_state; /* one per rp_sim_gens entry */
    size_t ngens;
    /* timed events, a binary min-heap on (at_ms, seq) */
    struct sim_event *events;
    size_t nevents, capevents;
    uint64_t event_seq;
    /* truth lines (JSON, one per entry) with their sort keys */
    struct sim_truth *truth;
    size_t ntruth, captruth;
    uint32_t scenarios_planned;
    bool ran;
};

/* snprintf for names and keys built from bounded fields: the same contract (returns what
 * snprintf returns, always NUL-terminates when outsz > 0), without the compiler's truncation
 * analysis, which cannot see that the fields are shorter than their buffers. */
int rp_sim_fmt(char *out, size_t outsz, const char *fmt, ...) RP_PRINTF(3, 4);

/* URL-encode s (RFC 3986 unreserved characters kept) and append to out: Config's form of IAM
 * policy documents. */
rp_err rp_sim_urlencode_append(struct rp_buf *out, const char *s) RP_WUR;

/* The canonical user id of account acct's S3 owner: 64 hex digits, stable per account and seed
 * (sim_config.c), so ACLs in the trail and in Config name the same owner. */
void rp_sim_s3_canonical_id(const struct rp_sim_world *w, uint32_t acct, char out[65]);

#endif
