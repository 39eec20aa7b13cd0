/* SPDX-License-Identifier: Apache-2.0 */
/* Private to src/sim: helpers shared by the built-in scenarios (sim_scn_*.c).
 *
 * A scenario's plan() draws everything from its own PRNG stream ("scn/<id>"), picks its start
 * with rp_sim_scn_when (a slot of the attack period, see below), allocates its context in the
 * world's arena (rp_sim_scn_alloc: it lives as long as the run) and schedules one or more
 * series: sorted lists of step times, each step calling the scenario's step function at its
 * time (so evidence may span several hours). It declares its truth line with
 * rp_sim_scn_truth_add.
 *
 * Slots: the attack period [run->attack_ms, run->end_ms) is cut into as many equal slots as
 * there are registered scenarios, and a permutation drawn from the seed alone ("scn/slots")
 * gives each scenario its slot, so scenarios do not overlap (a trail stopped for a few minutes
 * never swallows another scenario's evidence), times do not depend on which scenarios are
 * enabled, and the injected activity is spread over the whole period. Within its slot a
 * scenario starts at a seeded jitter.
 *
 * Picks: rp_sim_scn_pick only considers entities that exist at the start of the run, so
 * entities created by other scenarios never change a scenario's choices.
 *
 * Addresses: rp_sim_scn_outside_ip gives attacker/VPS-like public addresses from first octets
 * that neither the world (AWS-like, people's ISPs) nor the threat lists use, so an address is
 * "new" to every baseline and on no list unless a scenario takes it from a list on purpose. */
#ifndef RP_SIM_SCN_H
#define RP_SIM_SCN_H

#include "sim/sim_activity.h"
#include "sim/sim_gen.h"
#include "sim/sim_side.h"
#include "sim/sim_world.h"

#define RP_SIM_SCN_MIN  (60LL * 1000)
#define RP_SIM_SCN_HOUR (60LL * RP_SIM_SCN_MIN)
#define RP_SIM_SCN_DAY  (24LL * RP_SIM_SCN_HOUR)

#define RP_SIM_SCN_MAX_LIST 32 /* finding types / rules / entities per truth line */

/* Zeroed n bytes in the world's arena (live until the run is freed), or NULL on allocation
 * failure. */
void *rp_sim_scn_alloc(struct rp_sim_run *run, size_t n);

/* Start of self's activity lasting dur_ms inside its slot of the attack period, jittered from
 * r (whole seconds). false when the attack period is shorter than dur_ms (then the scenario does
 * not run and declares no truth). */
bool rp_sim_scn_when(const struct rp_sim_run *run, const struct rp_sim_scenario *self,
                     struct rp_sim_rng *r, int64_t dur_ms, int64_t *start_ms);

/* Entity filter for rp_sim_scn_pick: true when entity idx of the kind qualifies. */
typedef bool (*rp_sim_scn_filter_fn)(const struct rp_sim_run *run, uint32_t idx, const void *arg);

/* A copy of s in the world's arena (NULL on allocation failure). Scenarios keep copies, never
 * pointers into the world's entity arrays: rp_sim_world_add may move them. */
const char *rp_sim_scn_dup(struct rp_sim_run *run, const char *s);

/* printf into the world's arena (lives as long as the run); NULL on allocation failure. */
const char *rp_sim_scn_printf(struct rp_sim_run *run, const char *fmt, ...) RP_PRINTF(2, 3);

/* A uniformly drawn entity of kind k that is live at the start of the run and passes ok (NULL
 * = any), or RP_SIM_NONE. */
uint32_t rp_sim_scn_pick(const struct rp_sim_run *run, enum rp_sim_kind k, struct rp_sim_rng *r,
                         rp_sim_scn_filter_fn ok, const void *arg);

/* An address outside AWS, the world's people and the threat lists. far selects a block far
 * from the given UTC offset (Asia-Pacific for the Americas and Europe, South America else). */
void rp_sim_scn_outside_ip(struct rp_sim_rng *r, bool far, int tz_offset_min,
                           char out[RP_SIM_IP_SZ]);

/* One series of timed steps: fn(run, ctx, i, ts_ms) for i in [0, n) at times[i] (ascending),
 * each call inside the hour being generated. */
typedef rp_err (*rp_sim_scn_step_fn)(struct rp_sim_run *run, void *ctx, uint32_t i, int64_t ts_ms,
                                     struct rp_errbuf *eb);

struct rp_sim_scn_series {
    rp_sim_scn_step_fn fn;
    void *ctx;
    int64_t *times; /* n ascending times (arena) */
    uint32_t n;
    uint32_t next; /* next step to run */
};

/* A series of n steps in the world's arena with its times array (zeroed: the caller fills it,
 * ascending), or NULL on allocation failure. */
struct rp_sim_scn_series *rp_sim_scn_series_new(struct rp_sim_run *run, uint32_t n,
                                                rp_sim_scn_step_fn fn, void *ctx);

/* Fill s->times with n times from t0: t0, then gaps drawn uniformly in [gap_lo, gap_hi] ms. */
void rp_sim_scn_series_spread(struct rp_sim_scn_series *s, struct rp_sim_rng *r, int64_t t0,
                              int64_t gap_lo, int64_t gap_hi);

/* Schedule the series (its first step; later ones follow hour by hour). RP_ENOMEM. */
rp_err rp_sim_scn_series_start(struct rp_sim_run *run, struct rp_sim_scn_series *s,
                               struct rp_errbuf *eb) RP_WUR;

/* The last time of s (s->times[n - 1]), or 0 for an empty series. */
int64_t rp_sim_scn_series_end(const struct rp_sim_scn_series *s);

/* Declare the one truth line of self: id "<scenario id>#1", scenario and mitre from self,
 * expect none for benign scenarios; the lists and window come from t (its id, scenario, mitre
 * and expect_none are ignored). */
rp_err rp_sim_scn_truth_add(struct rp_sim_run *run, const struct rp_sim_scenario *self,
                            const struct rp_sim_truth *t, struct rp_errbuf *eb) RP_WUR;

/* A list of strings copied into fixed buffers, for truth entities built at plan time. */
struct rp_sim_scn_list {
    char v[RP_SIM_SCN_MAX_LIST][RP_SIM_ARN_SZ];
    const char *p[RP_SIM_SCN_MAX_LIST];
    size_t n;
};

/* Append s (cut to RP_SIM_ARN_SZ - 1) unless the list is full or s is empty or already in. */
void rp_sim_scn_list_add(struct rp_sim_scn_list *l, const char *s);

/* ---- CloudTrail call plans ------------------------------------------------------------------
 *
 * Most scenarios are a list of API calls by one or a few actors. A plan holds the actors (a
 * caller identity plus address, user agent, key and session strings kept in the plan) and the
 * calls (times, event names, raw JSON parameters); rp_sim_scn_ctplan_start sorts the calls by
 * time (stable) and emits each at its time. A call with a non-zero tag calls the plan's hook
 * after it was emitted, with its eventID: that is where scenarios change the world and note the
 * change (rp_sim_world_changed), so Config history shows the CloudTrail call that made it. */

#define RP_SIM_SCN_MAX_ACTORS 4

struct rp_sim_scn_actor {
    struct rp_sim_ct_who who; /* strings below are plugged in at emission when not empty */
    uint32_t acct;            /* recipient account, RP_SIM_NONE = the caller's */
    uint32_t region;          /* region filed under, RP_SIM_NONE = derived */
    char ip[RP_SIM_IP_SZ];
    char ua[RP_SIM_UA_SZ];
    char key[24];
    char session[RP_SIM_NAME_SZ];
};

struct rp_sim_scn_call {
    int64_t ts;
    uint8_t actor;
    int tag;         /* != 0: the plan's hook runs after the call (before with hook_first) */
    bool hook_first; /* run the hook before emitting (the change must precede the record,
                        e.g. a trail that starts logging); the eventID is drawn at plan time */
    char event_id[RP_SIM_UUID_SZ]; /* with hook_first */
    const char *src, *name;
    const char *params, *resp, *add; /* raw JSON or NULL */
    const char *err, *errmsg;
    const char *event_type;
    const char *aws_region;
    const char *res_type[2], *res_arn[2], *res_acct[2];
    uint8_t nres;
    bool data;
    int read_only;   /* -1 derived */
    uint32_t region; /* RP_SIM_NONE = the actor's */
};

typedef rp_err (*rp_sim_scn_hook_fn)(struct rp_sim_run *run, void *ctx, int tag, int64_t ts_ms,
                                     const char *event_id, struct rp_errbuf *eb);

struct rp_sim_scn_ctplan {
    struct rp_sim_rng r; /* eventID/requestID draws: "scn/<id>/ct" */
    struct rp_sim_scn_actor actors[RP_SIM_SCN_MAX_ACTORS];
    uint32_t nactors;
    struct rp_sim_scn_call *calls;
    uint32_t ncalls, cap;
    rp_sim_scn_hook_fn hook;
    void *hook_ctx;
    bool oom;
    struct rp_sim_scn_call scratch; /* handed out after an allocation failure */
};

/* A plan in the world's arena for scenario self, or NULL on allocation failure. */
struct rp_sim_scn_ctplan *rp_sim_scn_ctplan_new(struct rp_sim_run *run,
                                                const struct rp_sim_scenario *self);

/* Add an actor calling as (kind, idx) (see struct rp_sim_ct_who), acct/region RP_SIM_NONE;
 * returns it (never NULL: past RP_SIM_SCN_MAX_ACTORS the last one is reused). */
struct rp_sim_scn_actor *rp_sim_scn_actor_add(struct rp_sim_scn_ctplan *p, enum rp_sim_ct_kind kind,
                                              uint32_t idx, uint8_t *index);

/* Add a call of actor at ts_ms and return it for the caller to fill (read_only -1, region
 * RP_SIM_NONE); on allocation failure a scratch call is returned and the plan is marked, and
 * rp_sim_scn_ctplan_start then fails with RP_ENOMEM. */
struct rp_sim_scn_call *rp_sim_scn_call_add(struct rp_sim_run *run, struct rp_sim_scn_ctplan *p,
                                            uint8_t actor, int64_t ts_ms, const char *src,
                                            const char *name);

/* Add an S3 object-level data event (GetObject, PutObject, DeleteObject, ...) on bucket/key
 * with its requestParameters, resources and additionalEventData (bytes out/in). */
struct rp_sim_scn_call *rp_sim_scn_call_s3obj(struct rp_sim_run *run, struct rp_sim_scn_ctplan *p,
                                              uint8_t actor, int64_t ts_ms, const char *name,
                                              uint32_t bucket, const char *key, uint64_t bytes_out,
                                              uint64_t bytes_in);

/* Mark call c to run the plan's hook with tag before it is emitted (see hook_first). */
void rp_sim_scn_call_hook_first(struct rp_sim_scn_ctplan *p, struct rp_sim_scn_call *c, int tag);

/* Emit one S3 object-level data event of actor a directly (no plan): as
 * rp_sim_scn_call_s3obj, for scenarios that generate calls day by day. */
rp_err rp_sim_scn_s3obj_emit(struct rp_sim_run *run, struct rp_sim_rng *r,
                             const struct rp_sim_scn_actor *a, int64_t ts_ms, const char *name,
                             uint32_t bucket, const char *key, uint64_t bytes_out,
                             uint64_t bytes_in, struct rp_errbuf *eb) RP_WUR;

/* Sort the calls by time (stable) and schedule them. RP_ENOMEM. */
rp_err rp_sim_scn_ctplan_start(struct rp_sim_run *run, struct rp_sim_scn_ctplan *p,
                               struct rp_errbuf *eb) RP_WUR;

/* Time of the first / last call (0 when there is none). */
int64_t rp_sim_scn_ctplan_first(const struct rp_sim_scn_ctplan *p);
int64_t rp_sim_scn_ctplan_last(const struct rp_sim_scn_ctplan *p);

/* ---- resources created by scenarios -------------------------------------------------------
 *
 * Scenarios that launch something create it in plan() (so truth can name it and side data can
 * see it) with RP_SIM_MARK_SCENARIO and res.deleted_ms = RP_SIM_SCN_PENDING, so that Config
 * snapshots, the activity generators and other scenarios' picks, which all skip deleted
 * entities, ignore it until it exists. The CloudTrail call that creates it then clears
 * deleted_ms, sets created_ms and notes the creation (rp_sim_scn_created). */

#define RP_SIM_SCN_PENDING 1 /* deleted_ms of an entity a scenario creates later */

/* Entity ref comes into existence at ts_ms: clear the pending mark, set created_ms and note
 * the creation (CHANGE_CREATE) with the CloudTrail eventID of the call. */
rp_err rp_sim_scn_created(struct rp_sim_run *run, struct rp_sim_ref ref, int64_t ts_ms,
                          const char *event_id, struct rp_errbuf *eb) RP_WUR;

struct rp_sim_scn_instance_spec {
    uint32_t subnet;
    enum rp_sim_workload workload;
    enum rp_sim_os os;
    const char *os_release, *os_codename;
    const char *name; /* Name tag */
    const char *type; /* "t3.medium" */
    const uint32_t *sgs;
    uint32_t nsgs;
    bool public_ip;
};

/* A new (pending) running instance with its primary ENI and root volume (unencrypted gp3).
 * *out gets the instance index. RP_ENOMEM. */
rp_err rp_sim_scn_instance_new(struct rp_sim_run *run, struct rp_sim_rng *r,
                               const struct rp_sim_scn_instance_spec *spec, uint32_t *out,
                               struct rp_errbuf *eb) RP_WUR;

/* rp_sim_scn_created for instance inst, its ENI and its volumes. */
rp_err rp_sim_scn_instance_created(struct rp_sim_run *run, uint32_t inst, int64_t ts_ms,
                                   const char *event_id, struct rp_errbuf *eb) RP_WUR;

/* A new (pending) security group in vpc (default egress: everything); returns its index or
 * RP_SIM_NONE on allocation failure. */
uint32_t rp_sim_scn_sg_new(struct rp_sim_run *run, struct rp_sim_rng *r, uint32_t vpc,
                           const char *name, const char *desc);

/* Append an ingress rule (ignored when the group is full; returns false then). */
bool rp_sim_scn_sg_allow(struct rp_sim_run *run, uint32_t sg, int16_t protocol, uint16_t from,
                         uint16_t to, const char *cidr, const char *desc);

/* ---- crypto-mining pools ------------------------------------------------------------------
 *
 * Public Monero pool hosts and their stratum ports, with the address each resolves to in this
 * world (first octets 51, 95, 141, 148: used by nothing else). The side threat lists do not
 * carry mining pools (GuardDuty's BitcoinTool findings come from its own intelligence). */

#define RP_SIM_SCN_NPOOLS 6

/* Pool i (i < RP_SIM_SCN_NPOOLS): host name (static), stratum port and address. */
void rp_sim_scn_pool(const struct rp_sim_world *w, uint32_t i, const char **host, uint16_t *port,
                     char ip[RP_SIM_IP_SZ]);

/* ---- small builders shared by the themes --------------------------------------------------- */

/* The region index of an entity (global entities: the account's home region). */
uint32_t rp_sim_scn_region(const struct rp_sim_world *w, struct rp_sim_ref ref);

/* Emit one CloudTrail call c at ts_ms drawing ids from r; event_id (may be NULL) receives the
 * eventID. */
rp_err rp_sim_scn_ct(struct rp_sim_run *run, struct rp_sim_ct_call *c, int64_t ts_ms,
                     struct rp_sim_rng *r, char *event_id, struct rp_errbuf *eb) RP_WUR;

/* The first live user of account acct with kind k (RP_SIM_NONE if none). */
uint32_t rp_sim_scn_user_of(const struct rp_sim_world *w, uint32_t acct, enum rp_sim_user_kind k);

/* The first live role of account acct with kind k (RP_SIM_NONE if none). */
uint32_t rp_sim_scn_role_of(const struct rp_sim_world *w, uint32_t acct, enum rp_sim_role_kind k);

/* A public-looking ephemeral port in [32768, 60999]. */
uint16_t rp_sim_scn_eport(struct rp_sim_rng *r);

#endif
