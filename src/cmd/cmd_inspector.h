/* SPDX-License-Identifier: Apache-2.0 */
/* Private to src/cmd: what `vulns scan`, `reach` and the demo share to run Inspector over the
 * store: the network model of its configuration items (src/netreach) and, from it, each
 * resource's exposure to the internet for the Inspector score of package findings (src/vuln
 * does not depend on src/netreach; the command wires them). */
#ifndef RP_CMD_INSPECTOR_H
#define RP_CMD_INSPECTOR_H

#include <stdbool.h>
#include <stddef.h>

#include "core/rp_err.h"
#include "netreach/netreach.h"
#include "vuln/vuln.h"

struct rp_store;

struct rp_cmd_exposed {
    char *id;         /* resource id */
    char detail[160]; /* its first internet exposure, "tcp/22 from the internet through igw-.." */
};

struct rp_cmd_inspector {
    struct rp_store *st;             /* borrowed */
    struct rp_netreach_model *model; /* the store's network, finished */
    size_t bad_items;                /* configuration items the model could not read */
    bool have_network;               /* the model holds instances: exposure is known */
    struct rp_cmd_exposed *ex;       /* sorted by id */
    size_t nex, capex;
};

/* Build the model from st's configuration items (an unreadable item is reported on stderr
 * prefixed with verb and counted in bad_items) and compute the internet exposure of every
 * resource. RP_OK or the error that stopped it, with details in *eb; release either way. */
rp_err rp_cmd_inspector_load(struct rp_cmd_inspector *x, struct rp_store *st, const char *verb,
                             struct rp_errbuf *eb) RP_WUR;
void rp_cmd_inspector_release(struct rp_cmd_inspector *x);

/* rp_vuln_exposure_fn over a loaded struct rp_cmd_inspector (ctx): INTERNET when the model
 * found a path from the internet to the resource, NONE when the resource is an instance the
 * store's configuration describes and nothing reaches it, UNKNOWN otherwise. */
enum rp_vuln_exposure rp_cmd_inspector_exposure(void *ctx, const char *resource_id, char *detail,
                                                size_t n);

/* Close what a run no longer sees, as Inspector does when a vulnerable package is updated
 * or a port is closed: every ACTIVE Inspector finding of type ("PACKAGE_VULNERABILITY",
 * "NETWORK_REACHABILITY") last observed before now_ms (the run's time, which every finding
 * it reported carries) gets RecordState ARCHIVED and FindingStatus CLOSED. With resources
 * (nresources ids, any order), only the findings of those resources: a scan of some
 * instances says nothing about the others. *closed (may be NULL) counts them. */
rp_err rp_cmd_inspector_close_stale(struct rp_store *st, const char *type,
                                    const char *const *resources, size_t nresources, int64_t now_ms,
                                    size_t *closed, struct rp_errbuf *eb) RP_WUR;

/* ---- Inspector over a simulated estate (the demo) ---------------------------------------- */

/* An instance the truth names, and what the run found on it. */
struct rp_cmd_inspector_watch {
    const char *instance; /* in: instance id */
    const char *cve;      /* in: the CVE the truth expects on it */
    bool found;           /* out: a PACKAGE_VULNERABILITY finding of cve on instance */
    double base, score;   /* out: its CVSS base score and Inspector score */
    bool internet;        /* out: some port of instance is reachable from the internet */
    char detail[160];     /* out: the first such exposure */
};

struct rp_cmd_inspector_totals {
    int64_t advisories;       /* imported from <input>/advisories */
    int64_t files, packages;  /* inventory files read, packages in them */
    int64_t findings;         /* PACKAGE_VULNERABILITY findings */
    int64_t resources;        /* resources with one */
    int64_t lowered;          /* findings whose score exposure lowered */
    size_t reach_findings;    /* NETWORK_REACHABILITY findings */
    int64_t expected, tp, fp; /* side-truth/packages.jsonl: vulnerable (instance, advisory)
                                 pairs; found and expected; found but not expected */
    struct rp_cmd_inspector_watch watch[4];
    size_t nwatch; /* in: watch[0..nwatch) filled by the caller */
};

/* Inspector over the estate the simulator wrote into input, with st holding its ingested
 * configuration: import the advisories, import the NETWORK_REACHABILITY findings, scan the
 * inventories into PACKAGE_VULNERABILITY findings scored by exposure, and compare with
 * side-truth/packages.jsonl. now_ms stamps the findings (0 = real time). */
rp_err rp_cmd_inspector_estate(struct rp_store *st, const char *input, int64_t now_ms,
                               struct rp_cmd_inspector_totals *t, struct rp_errbuf *eb) RP_WUR;

#endif
