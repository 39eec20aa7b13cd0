/* SPDX-License-Identifier: Apache-2.0 */
/* What the two estate formats share (private to src/ingest and its tests; docs/ingest-estate.md):
 * the facts a path gives about an estate file, and the credential report (its CSV header, rows
 * into iam_credential_report), which arrives either as the decoded CSV (ingest_estate_credreport.c,
 * format "credreport") or base64 inside `aws iam get-credential-report` JSON (ingest_estate.c,
 * format "estate"). */
#ifndef RP_INGEST_ESTATE_H
#define RP_INGEST_ESTATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ingest/ingest_source.h"

/* The table both formats write (data/schemas/store/0017_estate.sql). */
extern const struct rp_ingest_col rp_ingest_estate_cr_cols[];
#define RP_INGEST_ESTATE_CR_NCOLS 5
#define RP_INGEST_ESTATE_CR_TABLE                                                                  \
    {                                                                                              \
        .name = "iam_credential_report", .cols = rp_ingest_estate_cr_cols,                         \
        .ncols = RP_INGEST_ESTATE_CR_NCOLS, .time_col = 1, .insert_sql = NULL                      \
    }

/* What an estate file's path says. Layout (the simulator's, docs/simulate.md):
 *   [..]/estate/<acct>/iam/YYYY/MM/DD/<acct>_iam_<what>_<YYYYMMDDTHHMMSSZ>.json|.csv
 *   [..]/estate/<acct>/ec2/<region>/YYYY/MM/DD/<acct>_ec2_snapshots_<region>_<stamp>.json
 * Any path is accepted: what it does not say stays empty. The file name alone also gives the
 * account (a leading 12-digit token), the region (the token after "snapshots") and the stamp
 * (any YYYYMMDDTHHmm[ss]Z token), so a file copied elsewhere keeps them. */
enum rp_estate_hint {
    RP_ESTATE_HINT_NONE = 0,
    RP_ESTATE_HINT_SUMMARY,    /* "account-summary" in the name */
    RP_ESTATE_HINT_PASSWORD,   /* "password-policy" */
    RP_ESTATE_HINT_CREDREPORT, /* "credential-report" */
    RP_ESTATE_HINT_SNAPSHOTS,  /* "snapshots" */
};

struct rp_estate_path {
    char account[13]; /* 12 digits, or "" */
    char region[32];  /* "us-east-1", or "" */
    int64_t time_ms;  /* the name's delivery stamp, else midnight UTC of the path's date;
                         -1 when neither */
    bool estate;      /* an "estate" directory component was found */
    enum rp_estate_hint hint;
};

/* Parse path (NULL gives an empty result). Pure. */
void rp_ingest_estate_path(const char *path, struct rp_estate_path *out);

/* Credential report header: the CSV columns in order. */
#define RP_ESTATE_CR_MAXCOLS 64
struct rp_estate_cr_header {
    size_t ncols; /* 0 = no header read yet */
    char names[RP_ESTATE_CR_MAXCOLS][48];
    size_t user_col, arn_col; /* indexes of "user" and "arn" */
};

/* True when line (without its line end) starts like a credential report header
 * ("user,arn,user_creation_time"). */
bool rp_ingest_estate_cr_is_header(const char *line, size_t n);

/* Read a header line into h. RP_EPARSE with a reason when it is not a credential report header
 * (no "user" and "arn" columns, an empty or too long name, more than RP_ESTATE_CR_MAXCOLS). */
rp_err rp_ingest_estate_cr_header(const char *line, size_t n, struct rp_estate_cr_header *h,
                                  struct rp_errbuf *eb) RP_WUR;

/* One data line into a row of table (iam_credential_report's columns) through cx: the account
 * is the one in the user's ARN (arn:aws:iam::<acct>:..), else fallback_account ("" = none:
 * RP_EPARSE). RP_EPARSE with a reason for a line whose field count is not the header's, a bad
 * quote, an empty user, or no account. Scratch goes into cx->arena. */
rp_err rp_ingest_estate_cr_row(struct rp_ingest_ctx *cx, unsigned table,
                               const struct rp_estate_cr_header *h, const char *line, size_t n,
                               const char *fallback_account, int64_t time_ms,
                               struct rp_errbuf *eb) RP_WUR;

#endif
