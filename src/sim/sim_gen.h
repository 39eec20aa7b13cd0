/* SPDX-License-Identifier: Apache-2.0 */
/* rp_sim run, generator plug-ins, scenarios and output (the backbone of `rampart simulate`).
 *
 * A run (struct rp_sim_run) owns the world (sim_world.h), the output directory and the record
 * streams. The driver (rp_sim_run_all) does, in this order:
 *   1. every enabled scenario's plan() (registry order): pick entities, set marks, schedule
 *      timed events (rp_sim_run_schedule), declare truth (rp_sim_truth_add);
 *   2. every generator's begin() (registry order, sim_builtin.def);
 *   3. for each hour of the period, in time order:
 *        a. the scheduled events due before the end of the hour, in (at_ms, scheduling order);
 *        b. every generator's hour() (registry order);
 *        c. the record streams of the hour are sorted by time and written as delivery files;
 *   4. every generator's end(), then truth.jsonl and manifest.json.
 *
 * Record streams: activity generators and scenarios append records for the four log sources
 * through rp_sim_emit_* (one call per record, any order within the hour). At the end of the
 * hour the driver sorts each stream (stable, by time then emission order) and writes AWS-shaped
 * delivery files: one file per stream per 5-minute window (CloudTrail per account and region,
 * flow logs per VPC flow log, DNS query logs per VPC, EKS audit per cluster), so generators and
 * scenarios share files and every file is time-ordered. Memory is bounded: when buffered
 * records pass RP_SIM_MAX_PENDING_BYTES the largest stream is written out early (as extra
 * files of the same windows), so memory never grows with --days or the activity rate.
 *
 * Estate changes: a scenario (or generator) mutates the world struct, then calls
 * rp_sim_world_changed(); the Config generator captures the configuration item at that moment
 * and writes it into the next ConfigHistory file of that resource type, and later snapshots
 * reflect the new state.
 *
 * Output files go through rp_sim_out_open/_write/_close: keys are relative S3-style paths
 * under the output directory, gzip is deterministic (no name, mtime 0, fixed OS byte), every
 * file is counted in the manifest under a source label. A key can be written only once.
 *
 * Errors: every function returning rp_err fills *eb (may be NULL) on failure; an error from a
 * hook stops the run and is returned by rp_sim_run_all. */
#ifndef RP_SIM_GEN_H
#define RP_SIM_GEN_H

#include "core/rp_buf.h"
#include "sim/sim_world.h"

#define RP_SIM_MAX_PENDING_BYTES  (64u << 20)       /* buffered records of the hour, all streams */
#define RP_SIM_MAX_RECORD_BYTES   (256u << 10)      /* one emitted record */
#define RP_SIM_DELIVERY_WINDOW_MS (5LL * 60 * 1000) /* records per delivery file window */
#define RP_SIM_MAX_KEY            512               /* output key length including NUL */

struct rp_sim_run_priv;

/* A run. Fields are read-only for generators and scenarios. */
struct rp_sim_run {
    const struct rp_sim_opts *opts; /* copy owned by the run (strings included) */
    struct rp_sim_world *world;     /* owned by the run; scenarios may mutate it */
    uint64_t seed;
    int64_t start_ms;  /* = world->start_ms */
    int64_t end_ms;    /* = world->end_ms */
    int64_t attack_ms; /* = world->attack_ms, end of the learning period */
    int64_t hour_ms;   /* start of the hour being generated (during scheduled events/hour()) */
    struct rp_sim_run_priv *priv;
};

/* ---- generators (sim_builtin.def) --------------------------------------------------------- */

/* A generator. Hooks may be NULL. state is state_size zeroed bytes owned by the run, the same
 * pointer for every hook of this generator. release() (optional) frees what the generator
 * allocated inside state and is called once at the end of the run, also after an error, even
 * when begin() was not called or failed. */
struct rp_sim_gen {
    const char *name;    /* unique, lower case ("config", "cloudtrail", "side-metrics") */
    const char *summary; /* one line */
    size_t state_size;
    rp_err (*begin)(struct rp_sim_run *run, void *state, struct rp_errbuf *eb);
    /* called for every hour of the period in time order; hour_start_ms == run->hour_ms */
    rp_err (*hour)(struct rp_sim_run *run, void *state, int64_t hour_start_ms,
                   struct rp_errbuf *eb);
    rp_err (*end)(struct rp_sim_run *run, void *state, struct rp_errbuf *eb);
    void (*release)(struct rp_sim_run *run, void *state);
};

/* Every built-in generator, in driver order, NULL-terminated (sim_builtin.def). */
extern const struct rp_sim_gen *const rp_sim_gens[];

/* ---- scenarios (sim_scenarios.def) -------------------------------------------------------- */

enum rp_sim_scenario_kind {
    RP_SIM_SCN_THREAT = 0, /* attack activity (GuardDuty-style findings expected) */
    RP_SIM_SCN_POSTURE,    /* misconfiguration (Config rule / Inspector findings expected) */
    RP_SIM_SCN_DATA,       /* sensitive data exposure (Macie findings expected) */
    RP_SIM_SCN_BENIGN,     /* look-alike that must produce no finding (truth expect: none) */
};

/* A scenario: plan() runs once before any generator starts (world built, nothing written).
 * It picks its entities with its own PRNG stream (rp_sim_rng_initf(&r, run->seed, "scn/%s",
 * id)), chooses its time with seeded jitter inside [run->attack_ms, run->end_ms), sets marks,
 * schedules events, and declares one truth line per injected instance. A plan that cannot run
 * (period too short, no suitable entity) returns RP_OK without declaring truth.
 *
 * Expected outputs (expects): a static, NULL-terminated, non-empty list that says what plan()
 * declares in its truth line, without running it (`rampart simulate --list-scenarios` prints
 * it). One string per truth entry, in truth.jsonl order (guardduty, config_rules, macie, cves):
 *   "GuardDuty:<finding type>"         an entry of "guardduty"  ("GuardDuty:Recon:EC2/Portscan")
 *   "Config:<rule identifier>"         an entry of "config_rules" ("Config:LAMBDA_INSIDE_VPC")
 *   "Macie:<finding type or id>"       an entry of "macie": a Macie finding type or a managed
 *                                      data identifier id ("Macie:CREDIT_CARD_NUMBER")
 *   "Inspector:PACKAGE_VULNERABILITY"  stands for the whole "cves" list: the CVE ids are chosen
 *                                      at run time from the side advisories (advisories/,
 *                                      side-truth/packages.jsonl), so only truth.jsonl names them
 *   "none"                             alone: a benign look-alike ("expect":"none", all empty)
 * The service is the text before the first ':'; the rest is the identifier verbatim (GuardDuty
 * types contain ':' themselves). An entry ending in '?' is declared only in some worlds (the
 * scenario's source says when, e.g. a bucket ACL that an account-level Block Public Access
 * makes ineffective); every other entry is declared whenever the scenario runs. Write the list
 * with RP_SIM_EXPECTS; tests/unit/sim/test_sim_expects.c checks it against truth.jsonl. */
struct rp_sim_scenario {
    const char *id;      /* stable, "s3-public-read-bucket" ([a-z0-9-]) */
    const char *summary; /* one line */
    enum rp_sim_scenario_kind kind;
    const char *mitre; /* main technique "T1530", NULL for posture-only */
    rp_err (*plan)(struct rp_sim_run *run, const struct rp_sim_scenario *self,
                   struct rp_errbuf *eb);
    const char *const *expects; /* expected outputs, NULL-terminated (see above); static */
};

/* A static NULL-terminated list of expected-output strings for rp_sim_scenario.expects:
 * .expects = RP_SIM_EXPECTS("GuardDuty:Recon:EC2/Portscan", "Config:INCOMING_SSH_DISABLED"). */
#define RP_SIM_EXPECTS(...) ((const char *const[]){__VA_ARGS__, NULL})

/* The optional-entry mark: the last character of an expects entry declared only in some
 * worlds. */
#define RP_SIM_EXPECT_OPTIONAL '?'

/* Every built-in scenario, sorted by id, NULL-terminated (sim_scenarios.def). */
extern const struct rp_sim_scenario *const rp_sim_scenarios[];

/* True when scenario id is selected by the run's --scenarios option. */
bool rp_sim_run_scenario_enabled(const struct rp_sim_run *run, const char *id);

/* ---- ground truth (truth.jsonl) ------------------------------------------------------------ */

/* One line of truth.jsonl. All pointers are borrowed for the call (copied). Arrays may be NULL
 * when their count is 0. Written at the end of the run, sorted by (start_ms, id). */
struct rp_sim_truth {
    const char *id;               /* unique per run: "<scenario>#<n>" */
    const char *scenario;         /* scenario id */
    const char *mitre;            /* technique or NULL */
    bool expect_none;             /* benign look-alike: no finding expected */
    const char *const *guardduty; /* GuardDuty finding types */
    size_t nguardduty;
    const char *const *config_rules; /* Config rule identifiers */
    size_t nconfig_rules;
    const char *const *macie; /* Macie finding types / managed identifier ids */
    size_t nmacie;
    const char *const *cves;
    size_t ncves;
    const char *const *entities; /* ids/ARNs/addresses of the entities involved */
    size_t nentities;
    int64_t start_ms, end_ms; /* window in which the evidence appears */
    const char *note;         /* free text or NULL */
};

/* Record a truth line. RP_EINVAL without id/scenario or with end_ms < start_ms; RP_ENOMEM. */
rp_err rp_sim_truth_add(struct rp_sim_run *run, const struct rp_sim_truth *t,
                        struct rp_errbuf *eb) RP_WUR;

/* ---- timed events -------------------------------------------------------------------------- */

/* A scheduled event: called once, during the hour containing at_ms, before the generators'
 * hour() hooks of that hour; run->hour_ms is that hour. It may emit records timed in
 * [at_ms, hour end), mutate the world, note changes and schedule further events. */
typedef rp_err (*rp_sim_event_fn)(struct rp_sim_run *run, int64_t at_ms, void *ctx,
                                  struct rp_errbuf *eb);

/* Schedule fn(run, at_ms, ctx) (ctx is borrowed and must outlive the run or the call). Events
 * with equal at_ms fire in scheduling order. at_ms before the current hour fires at the start of
 * the next hour processed; at_ms >= run->end_ms never fires. RP_ENOMEM. */
rp_err rp_sim_run_schedule(struct rp_sim_run *run, int64_t at_ms, rp_sim_event_fn fn, void *ctx,
                           struct rp_errbuf *eb) RP_WUR;

/* ---- estate changes (Config history) ------------------------------------------------------ */

enum rp_sim_change {
    RP_SIM_CHANGE_CREATE = 0, /* configurationItemStatus ResourceDiscovered */
    RP_SIM_CHANGE_UPDATE,     /* OK */
    RP_SIM_CHANGE_DELETE,     /* ResourceDeleted (set res.deleted_ms first) */
};

/* The entity ref changed at at_ms (caller mutated the world already): its configuration item is
 * captured now, as it is at this moment, for the ConfigHistory file covering at_ms. A kind
 * without a Config resource type (accounts: root MFA, password policy) is captured in the next
 * daily IAM summary / credential report instead. related_event_id (CloudTrail eventID of the
 * call that made the change, or NULL) goes into relatedEvents. RP_EINVAL for a bad ref,
 * RP_ENOMEM. */
rp_err rp_sim_world_changed(struct rp_sim_run *run, struct rp_sim_ref ref, int64_t at_ms,
                            enum rp_sim_change change, const char *related_event_id,
                            struct rp_errbuf *eb) RP_WUR;

/* ---- record streams (the four log sources) ------------------------------------------------ */

enum rp_sim_src {
    RP_SIM_SRC_CLOUDTRAIL = 0,
    RP_SIM_SRC_VPCFLOW,
    RP_SIM_SRC_DNS,
    RP_SIM_SRC_K8S_AUDIT,
    RP_SIM_SRC__COUNT
};

/* Manifest label of a source: "cloudtrail", "vpcflow", "dns", "k8s-audit". */
const char *rp_sim_src_name(enum rp_sim_src s);

/* Append one CloudTrail record (a complete JSON object, no trailing separator) of account acct
 * in region region, eventTime ts_ms, to the hour's stream. ts_ms must lie in the current hour
 * [run->hour_ms, run->hour_ms + 1 h) (RP_EINVAL otherwise); len <= RP_SIM_MAX_RECORD_BYTES.
 * Dropped silently (RP_OK) when no trail logs that account and region (rp_sim_world_trail_for),
 * as CloudTrail would. Files: AWSLogs/<acct>/CloudTrail/<region>/YYYY/MM/DD/
 * <acct>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<16 alnum>.json.gz, {"Records":[...]}. */
rp_err rp_sim_emit_cloudtrail(struct rp_sim_run *run, uint32_t acct, uint32_t region, int64_t ts_ms,
                              const char *json, size_t len, struct rp_errbuf *eb) RP_WUR;

/* One VPC flow log record, in the fields of the highest version. Strings may be NULL for "-"
 * (pkt_* default to src/dst address). */
struct rp_sim_flow {
    uint32_t eni; /* interface (gives account, VPC, subnet, instance, region, AZ) */
    const char *srcaddr;
    const char *dstaddr;
    uint16_t srcport, dstport;
    uint8_t protocol; /* 6, 17, 1 */
    uint64_t packets, bytes;
    int64_t start_s, end_s; /* Unix seconds; start_s * 1000 must lie in the current hour */
    bool reject;            /* action REJECT (else ACCEPT) */
    const char *log_status; /* NULL = "OK"; "NODATA", "SKIPDATA" */
    int tcp_flags;          /* -1 = "-" */
    const char *pkt_srcaddr, *pkt_dstaddr;
    const char *pkt_src_service, *pkt_dst_service; /* "AMAZON", "S3", ... or NULL */
    bool egress;                                   /* flow-direction egress (else ingress) */
    uint8_t traffic_path;                          /* 0 = "-" */
};

/* Format f in its VPC's flow-log format (default v2, or RP_SIM_FLOW_V5_FIELDS for the custom
 * VPC) and append it to the VPC's flow stream. Dropped silently (RP_OK) when the VPC has no
 * flow log. Files: AWSLogs/<acct>/vpcflowlogs/<region>/YYYY/MM/DD/
 * <acct>_vpcflowlogs_<region>_<fl-id>_<YYYYMMDDTHHmmZ>_<8 hex>.log.gz, header line first.
 * RP_EINVAL for a bad eni or a time outside the hour. */
rp_err rp_sim_emit_flow(struct rp_sim_run *run, const struct rp_sim_flow *f,
                        struct rp_errbuf *eb) RP_WUR;

/* Format f as one flow-log line (no newline) in format fmt into out (appended). */
rp_err rp_sim_flow_format(const struct rp_sim_world *w, enum rp_sim_flow_format fmt,
                          const struct rp_sim_flow *f, struct rp_buf *out) RP_WUR;

/* Append one Route 53 Resolver query-log record (a JSON object, one line, no newline) of VPC
 * vpc at query_timestamp ts_ms. Dropped silently when the VPC has no query logging. Files:
 * AWSLogs/<acct>/vpcdnsquerylogs/<vpc-id>/YYYY/MM/DD/
 * <vpc-id>_vpcdnsquerylogs_<acct>_<YYYYMMDDTHHmmZ>_<8 hex>.log.gz (JSON lines). */
rp_err rp_sim_emit_dns(struct rp_sim_run *run, uint32_t vpc, int64_t ts_ms, const char *json,
                       size_t len, struct rp_errbuf *eb) RP_WUR;

/* Append one Kubernetes audit event (audit.k8s.io/v1 Event JSON, one line) of EKS cluster eks
 * at stageTimestamp ts_ms. Dropped silently when the cluster's audit logging is off. Files (a
 * Rampart layout; EKS delivers to CloudWatch Logs, not S3): AWSLogs/<acct>/EKS/<region>/
 * <cluster>/YYYY/MM/DD/<acct>_EKS_<region>_<cluster>_kube-apiserver-audit_<YYYYMMDDTHHmmZ>_
 * <8 hex>.log.gz (JSON lines). */
rp_err rp_sim_emit_k8s(struct rp_sim_run *run, uint32_t eks, int64_t ts_ms, const char *json,
                       size_t len, struct rp_errbuf *eb) RP_WUR;

/* ---- output files -------------------------------------------------------------------------- */

#define RP_SIM_OUT_PLAIN 0x0u
#define RP_SIM_OUT_GZIP  0x1u /* deflate with a deterministic gzip header */

struct rp_sim_file; /* an open output file (opaque) */

/* Create key (relative, '/'-separated, [A-Za-z0-9._=:@+-] segments, no "." or ".." segment, at
 * most RP_SIM_MAX_KEY - 1 bytes) under the output directory, making parent directories.
 * source is the manifest label ("config", "side-metrics", ...; copied). RP_EINVAL for a bad
 * key, RP_EEXIST when the key was already written in this run (determinism guard), RP_EIO,
 * RP_ENOMEM. */
rp_err rp_sim_out_open(struct rp_sim_run *run, const char *source, const char *key, unsigned flags,
                       struct rp_sim_file **out, struct rp_errbuf *eb) RP_WUR;

/* Append n bytes (compressed on the fly for gzip files). RP_EIO, RP_ENOMEM. */
rp_err rp_sim_file_write(struct rp_sim_file *f, const void *p, size_t n,
                         struct rp_errbuf *eb) RP_WUR;

rp_err rp_sim_file_printf(struct rp_sim_file *f, struct rp_errbuf *eb, const char *fmt, ...)
    RP_PRINTF(3, 4) RP_WUR;

/* Count n records (lines, CIs, ...) in this file for the manifest. */
void rp_sim_file_add_records(struct rp_sim_file *f, uint64_t n);

/* Finish and close f; f is freed in every case (NULL is a no-op returning RP_OK). RP_EIO. */
rp_err rp_sim_file_close(struct rp_sim_file *f, struct rp_errbuf *eb) RP_WUR;

/* Open, write p[0..n), count nrecords and close, in one call. */
rp_err rp_sim_out_put(struct rp_sim_run *run, const char *source, const char *key, unsigned flags,
                      const void *p, size_t n, uint64_t nrecords, struct rp_errbuf *eb) RP_WUR;

/* The date part of S3 keys: "YYYY/MM/DD" (zero padded, CloudTrail and flow logs) into out
 * (>= 11 bytes), or "YYYY/M/D" (Config, not padded) when unpadded. */
void rp_sim_key_date(int64_t ms, bool unpadded, char *out, size_t outsz);

/* Compact UTC stamps: "YYYYMMDDTHHmmZ" (minutes) and "YYYYMMDDTHHMMSSZ" (seconds). */
void rp_sim_stamp_min(int64_t ms, char *out, size_t outsz);
void rp_sim_stamp_sec(int64_t ms, char *out, size_t outsz);

/* ISO-8601 forms used in records: "2026-01-05T10:00:00Z" and "2026-01-05T10:00:00.000Z". */
void rp_sim_iso_s(int64_t ms, char *out, size_t outsz);
void rp_sim_iso_ms(int64_t ms, char *out, size_t outsz);

/* ---- the run ------------------------------------------------------------------------------- */

/* Per-source totals (manifest.json), indexed by label in order of first use. */
struct rp_sim_source_stats {
    char name[32];
    uint64_t files;
    uint64_t bytes;   /* bytes on disk */
    uint64_t records; /* as counted by writers */
};

#define RP_SIM_MAX_SOURCES 32

struct rp_sim_stats {
    struct rp_sim_source_stats sources[RP_SIM_MAX_SOURCES];
    uint32_t nsources;
    uint64_t files, bytes, records;
    uint32_t truth_lines;
    uint32_t scenarios_planned;
};

/* Build the world and prepare the output directory o->out_dir (created when missing; it must
 * be empty otherwise: RP_EEXIST). Returns RP_OK and *out (free with rp_sim_run_free),
 * RP_EINVAL for bad options (unknown scenario id in o->scenarios, missing out_dir, ...),
 * RP_EIO, RP_ENOMEM. */
rp_err rp_sim_run_new(const struct rp_sim_opts *o, struct rp_sim_run **out,
                      struct rp_errbuf *eb) RP_WUR;

/* Run everything (see the top of this file) and write manifest.json and truth.jsonl. Call once.
 * stats (may be NULL) receives the totals. */
rp_err rp_sim_run_all(struct rp_sim_run *run, struct rp_sim_stats *stats,
                      struct rp_errbuf *eb) RP_WUR;

/* Free run, its world and every state. NULL is a no-op. */
void rp_sim_run_free(struct rp_sim_run *run);

/* A per-run scratch PRNG for stream name `stream` (same as rp_sim_rng_init(r, run->seed,
 * stream)). */
void rp_sim_run_rng(const struct rp_sim_run *run, struct rp_sim_rng *r, const char *stream);

#endif
