/* SPDX-License-Identifier: Apache-2.0 */
/* The raw-file connectors' shared engine (private to src/query): a table-valued function
 * over one ingest format's files, read in place through rp_ingest_reader, with the same
 * columns as the store table that format fills (query_files.c). Each connector is a small
 * query_tab_<name>_files.c that names its format and its record-time column. */
#ifndef RP_QUERY_FILES_H
#define RP_QUERY_FILES_H

#include "query/query_table.h"

/* What a connector says about its format. */
struct rp_query_files_spec {
    const char *format;    /* rp_ingest format name: "cloudtrail" */
    const char *time_text; /* column holding the record time as ISO text ("eventTime"), or NULL */
    const char *time_secs; /* column holding it as epoch seconds ("start"), or NULL */
};

rp_err rp_query_files_connect(struct rp_query_tabinfo *ti, const struct rp_query_files_spec *spec,
                              int argc, const char *const *argv, struct rp_errbuf *eb);
void rp_query_files_disconnect(struct rp_query_tabinfo *ti);
rp_err rp_query_files_filter(struct rp_query_cur *cur, const struct rp_query_cons *cons,
                             size_t ncons, struct rp_errbuf *eb);
rp_err rp_query_files_next(struct rp_query_cur *cur, struct rp_errbuf *eb);
rp_err rp_query_files_column(struct rp_query_cur *cur, int col, sqlite3_context *ctx,
                             struct rp_errbuf *eb);
void rp_query_files_close(struct rp_query_cur *cur);
double rp_query_files_estimate(const struct rp_query_tabinfo *ti, uint64_t eq, uint64_t range);

/* Defines the table spec of a connector in one statement. */
#define RP_QUERY_FILES_TABLE(sym, tname, tsummary, spec)                                           \
    static rp_err sym##_connect(struct rp_query_tabinfo *ti, int argc, const char *const *argv,    \
                                struct rp_errbuf *eb)                                              \
    {                                                                                              \
        return rp_query_files_connect(ti, &(spec), argc, argv, eb);                                \
    }                                                                                              \
    const struct rp_query_table sym = {                                                            \
        .name = tname,                                                                             \
        .summary = tsummary,                                                                       \
        .connect = sym##_connect,                                                                  \
        .disconnect = rp_query_files_disconnect,                                                   \
        .filter = rp_query_files_filter,                                                           \
        .next = rp_query_files_next,                                                               \
        .column = rp_query_files_column,                                                           \
        .close = rp_query_files_close,                                                             \
        .estimate = rp_query_files_estimate,                                                       \
        .cursor_size = sizeof(void *), /* holds the cursor's own state */                          \
    }

#endif
