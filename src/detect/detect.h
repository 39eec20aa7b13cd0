/* SPDX-License-Identifier: Apache-2.0 */
/* rp_detect: threat detection (GuardDuty, DESIGN.md §6). GuardDuty's finding types, by their
 * exact names, severities and finding format, raised from the CloudTrail, VPC Flow Logs,
 * Route 53 Resolver and Kubernetes audit events in the store (or in files, `--stream`) by
 * three kinds of detector: signatures, windows/thresholds per entity, behavioural baselines.
 * Threat lists and trusted-IP lists (rp_detect_ti_*), Sigma rules and suppression rules feed
 * it. Findings go to the findings hub as ASFF (through the hub's GuardDuty converter, so they
 * read exactly like GuardDuty findings Security Hub received) and are kept as GuardDuty JSON.
 *
 * Thread-safety: a run uses its store from one thread. */
#ifndef RP_DETECT_H
#define RP_DETECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/rp_err.h"

struct rp_store;
struct rp_detector;

/* GuardDuty's data sources, in this order everywhere. */
enum rp_det_source {
    RP_DET_SRC_CLOUDTRAIL, /* CLOUD_TRAIL (management and S3 data events) */
    RP_DET_SRC_FLOW,       /* FLOW_LOGS */
    RP_DET_SRC_DNS,        /* DNS_LOGS */
    RP_DET_SRC_K8S,        /* KUBERNETES_AUDIT_LOGS */
    RP_DET_SRC__COUNT
};

enum rp_det_kind { RP_DET_SIGNATURE, RP_DET_WINDOW, RP_DET_BASELINE };

/* "cloudtrail", "flow", "dns", "k8s" and GuardDuty's names "CLOUD_TRAIL", "FLOW_LOGS",
 * "DNS_LOGS", "KUBERNETES_AUDIT_LOGS". NULL for a bad value. */
const char *rp_det_source_name(enum rp_det_source s);
const char *rp_det_source_gd_name(enum rp_det_source s);
const char *rp_det_kind_name(enum rp_det_kind k); /* "signature", "window", "baseline" */

struct rp_detect_opts {
    int64_t since_ms, until_ms;      /* re-run a window of event time: every event in it is read
                                        again, whatever earlier runs read; INT64_MIN/INT64_MAX = an
                                        incremental run (only events not analysed yet) */
    int64_t now_ms;                  /* clock for UpdatedAt/CreatedAt; 0 = real time */
    int64_t learning_ms;             /* baselines: learning period per entity (default 7 days) */
    const char *const *stream_paths; /* --stream: read these files, store no event, NULL = store */
    size_t nstream_paths;
    const char *const *sigma_paths; /* Sigma rule files/directories to load, besides the
                                       store's persistent rules directory */
    size_t nsigma_paths;
    const char *sigma_dir;   /* persistent Sigma rules directory; NULL = none */
    const char *const *only; /* detector ids or finding types to run (NULL = all) */
    size_t nonly;
    bool dry_run;                               /* print findings, import nothing, save no state */
    const struct rp_detector *const *detectors; /* NULL-terminated list to run instead of the
                                                   built-in ones (tests); NULL = built-in */
    const char *detector_id; /* GuardDuty DetectorId in the findings (NULL = derived) */
    /* Each finding, as GuardDuty JSON (one object), when not NULL: called before import. */
    rp_err (*on_finding)(void *ctx, const char *json, size_t len);
    void *on_finding_ctx;
    /* Warnings: a Sigma rule skipped, a list entry ignored, a record unreadable (stream). */
    void (*warn)(void *ctx, const char *msg);
    void *warn_ctx;
};

void rp_detect_opts_init(struct rp_detect_opts *o);

struct rp_detect_summary {
    int64_t events[RP_DET_SRC__COUNT]; /* events analysed per source */
    int64_t emitted;                   /* occurrences raised by detectors */
    int64_t findings;                  /* distinct findings written */
    int64_t created, updated;          /* in the hub */
    int64_t suppressed;                /* archived by a suppression rule */
    int64_t rejected;                  /* stream: records that could not be read */
    int64_t elapsed_ms;
};

/* The name of a finding type descriptor ("Recon:EC2/Portscan"), for code outside src/detect
 * that holds one (a Sigma rule's type). NULL for NULL. */
struct rp_det_type;
const char *rp_det_type_name(const struct rp_det_type *t);

/* Run detection. st may be NULL only with stream paths and dry_run. RP_OK, or the first error
 * that stopped the run (store, RP_ENOMEM) with details in *eb; findings already imported stay. */
rp_err rp_detect_run(struct rp_store *st, const struct rp_detect_opts *o,
                     struct rp_detect_summary *sum, struct rp_errbuf *eb) RP_WUR;

/* Every finding type the built-in detectors raise: RP_OK with the i-th type's name, default
 * severity, source, detector id and kind; RP_ENOENT past the last one. */
rp_err rp_detect_type_at(size_t i, const char **type, double *severity, enum rp_det_source *src,
                         const char **detector, enum rp_det_kind *kind) RP_WUR;

/* ---- scoring against the simulator's truth (detect_score.c) ----------------------------- */

struct rp_detect_score {
    int64_t expected;       /* (truth line, GuardDuty type) pairs truth.jsonl expects */
    int64_t found;          /* of those, found: that type, one of the line's entities, in time */
    int64_t findings;       /* findings in the store (detect_findings) */
    int64_t explained;      /* of those, expected by some truth line (type, entity, time) */
    int64_t benign;         /* benign look-alike lines ("expect": "none") */
    int64_t benign_alarmed; /* of those, named by an unexplained finding in their window */
};

enum rp_detect_score_what {
    RP_DETECT_SCORE_MISSED,       /* detail: the truth line's id */
    RP_DETECT_SCORE_UNEXPLAINED,  /* detail: the finding's GuardDuty JSON */
    RP_DETECT_SCORE_BENIGN_ALARM, /* detail: the benign line's id */
};
typedef void (*rp_detect_score_fn)(void *ctx, enum rp_detect_score_what what, const char *type,
                                   const char *detail);

/* Score the store's findings against truth_path (a simulator's truth.jsonl): recall =
 * found / expected, precision = explained / findings. fn (may be NULL) hears every miss and
 * every unexplained finding. RP_OK, or RP_ENOENT/RP_EIO/RP_EPARSE naming the file and line. */
rp_err rp_detect_score(struct rp_store *st, const char *truth_path, rp_detect_score_fn fn,
                       void *ctx, struct rp_detect_score *out, struct rp_errbuf *eb) RP_WUR;

#endif
