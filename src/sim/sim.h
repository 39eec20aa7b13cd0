/* SPDX-License-Identifier: Apache-2.0 */
/* rp_sim: synthetic AWS estate, activity and labelled attacks, deterministic from a seed
 * (STYLE.md B1: src/sim). This is the capability's public header: code outside src/sim includes
 * only this file. It brings in the simulator proper (sim_gen.h: runs, generators, scenarios,
 * truth, output; sim_world.h: the world model) and declares below the standalone CloudTrail
 * record generator the benchmarks use.
 *
 * The standalone CloudTrail generator: the same options and seed always give byte-identical
 * output on every platform (the PRNG is hand-written, no libc rand(), no floating point in
 * the generation path).
 *
 * Invariants of the output: every record is one compact JSON object in CloudTrail's shape
 * (eventVersion, userIdentity.type, eventTime, eventSource, eventName, awsRegion,
 * sourceIPAddress, userAgent, requestParameters, responseElements, eventID, readOnly,
 * eventType, managementEvent, recipientAccountId, eventCategory are always present); eventTime
 * never decreases from one record to the next of a generator; eventID is a UUID v4 drawn from
 * the PRNG; every string is emitted from a known-safe alphabet, so no escaping is ever needed.
 * A record is never longer than RP_SIM_CT_MAX_RECORD bytes. */
#ifndef RP_SIM_H
#define RP_SIM_H

#include "core/rp_buf.h"
#include "core/rp_err.h"
#include "sim/sim_gen.h"

#define RP_SIM_CT_MAX_RECORD   (16u << 10) /* hard upper bound of one generated record */
#define RP_SIM_CT_MAX_ACCOUNTS 64          /* accounts in struct rp_sim_ct_opts */
#define RP_SIM_CT_MAX_REGIONS  64          /* regions in struct rp_sim_ct_opts */

/* Options of a CloudTrail generator. Fill with rp_sim_ct_opts_init() and change fields;
 * the struct and the strings it points to are borrowed only during rp_sim_ct_new(). */
struct rp_sim_ct_opts {
    uint64_t seed;               /* PRNG seed; same seed + options = same bytes */
    const char *const *accounts; /* 12-digit account ids; NULL = built-in set of 3 */
    size_t naccounts;            /* 1..RP_SIM_CT_MAX_ACCOUNTS when accounts != NULL */
    const char *const *regions;  /* [a-z0-9-]{1,32}; NULL = us-east-1, us-west-2, eu-west-1 */
    size_t nregions;             /* 1..RP_SIM_CT_MAX_REGIONS when regions != NULL */
    int64_t start_ms;            /* eventTime of the first record, ms since 1970 UTC */
    uint32_t mean_interval_ms;   /* mean gap between records (uniform 0..2*mean), <= 1 day */
    uint32_t data_permille;      /* S3 data events per 1000 records, 0..1000 */
    uint32_t error_permille;     /* records with errorCode/errorMessage per 1000, 0..1000 */
};

/* Defaults: seed 1, built-in accounts and regions, start 2024-03-06T00:00:00Z, mean interval
 * 100 ms, 250 per mille S3 data events, 20 per mille errors. */
void rp_sim_ct_opts_init(struct rp_sim_ct_opts *o);

/* A CloudTrail generator (opaque). Not thread-safe; use one per thread. */
struct rp_sim_ct;

/* Build a generator from *o (NULL = defaults). Returns RP_OK and *out, which the caller frees
 * with rp_sim_ct_free(); RP_EINVAL with details in *eb (eb may be NULL) when an option is out
 * of range (account not 12 digits, region not [a-z0-9-]{1,32}, permille > 1000, ...);
 * RP_ENOMEM. Nothing in *o is kept after the call. */
rp_err rp_sim_ct_new(const struct rp_sim_ct_opts *o, struct rp_sim_ct **out,
                     struct rp_errbuf *eb) RP_WUR;

/* Free g and everything it owns. rp_sim_ct_free(NULL) is a no-op. */
void rp_sim_ct_free(struct rp_sim_ct *g);

/* Append the next record (one JSON object, no separator, no newline) to out. Returns RP_OK,
 * or RP_ELIMIT / RP_ENOMEM from out; on error both out and g are unchanged, so the call may
 * be retried with a larger buffer and produces the same record. */
rp_err rp_sim_ct_record_append(struct rp_sim_ct *g, struct rp_buf *out) RP_WUR;

/* Append a whole CloudTrail delivery file {"Records":[r,r,...]} of nrecords records (0 gives
 * {"Records":[]}) to out. Errors as rp_sim_ct_record_append(), except that on error out is
 * truncated back to its length on entry and g has advanced by the records already written. */
rp_err rp_sim_ct_file_append(struct rp_sim_ct *g, size_t nrecords, struct rp_buf *out) RP_WUR;

/* Sink of a streamed file: consume n bytes at p (borrowed for the call). A non-RP_OK return
 * stops the stream and is passed back to the caller. */
typedef rp_err (*rp_sim_sink_fn)(void *ctx, const void *p, size_t n);

/* Stream one delivery file to sink in chunks of about 1 MiB, in constant memory. Records are
 * written until max_records records or at least max_bytes bytes were produced, whichever
 * comes first (0 = no limit, but not both 0: RP_EINVAL). *nrecords (may be NULL) gets the
 * number of records written, also on error. Returns RP_OK, RP_ENOMEM, or the sink's error
 * with details in *eb. */
rp_err rp_sim_ct_file_write(struct rp_sim_ct *g, uint64_t max_records, uint64_t max_bytes,
                            rp_sim_sink_fn sink, void *ctx, uint64_t *nrecords,
                            struct rp_errbuf *eb) RP_WUR;

/* Records produced so far by g. */
uint64_t rp_sim_ct_count(const struct rp_sim_ct *g);

#endif
