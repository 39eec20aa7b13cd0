/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target for the Athena/Presto functions of `rampart query` (src/query/query_func_*.c)
 * and the raw-record readers behind them. The first byte picks a call shape, the rest is split
 * at 0xff bytes into up to three text arguments bound as parameters (so any bytes reach the
 * functions, including invalid UTF-8 and JSON). Every call must return a value or an SQL
 * error, never crash, hang or leak; the connection has a 1 s deadline per statement. */
#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "query/query_table.h"

static const char *const calls[] = {
    "SELECT json_extract_scalar(?1, ?2)",
    "SELECT json_extract(?1, ?2)",
    "SELECT json_array_length(?1), json_array_get(?1, 1), json_size(?1, ?2)",
    "SELECT rp_field(?1, ?2)",
    "SELECT from_iso8601_timestamp(?1), to_iso8601(?1), to_unixtime(?1)",
    "SELECT date_parse(?1, ?2), date_format(?1, ?2)",
    "SELECT date_diff(?3, ?1, ?2), date_add(?3, 5, ?1), date_trunc(?3, ?1)",
    "SELECT regexp_like(?1, ?2), regexp_extract(?1, ?2), regexp_replace(?1, ?2, ?3)",
    "SELECT regexp_extract_all(?1, ?2), regexp_split(?1, ?2), regexp_count(?1, ?2)",
    "SELECT split_part(?1, ?2, 2), split(?1, ?2), strpos(?1, ?2)",
    "SELECT contains(?1, ?2), cardinality(?1), element_at(?1, 1), array_join(?1, ?2)",
    "SELECT url_extract_host(?1), url_extract_path(?1), url_extract_parameter(?1, ?2)",
    "SELECT from_base64(?1), to_base64(?1), reverse(?1), lpad(?1, 10, ?2)",
    "SELECT ip_in_cidr(?1, ?2), ip_prefix(?1, 24), is_private_ip(?1), is_public_ip(?1)",
    "SELECT rp_decompress(?1)",
    ("SELECT approx_distinct(v), array_agg(v), max_by(v, v), arbitrary(v) FROM "
     "(SELECT ?1 AS v UNION ALL SELECT ?2 UNION ALL SELECT ?3)"),
};

static sqlite3 *db;
static struct timespec started;

/* Stops a statement after 1 s (a pattern with catastrophic backtracking must not hang). */
static int deadline(void *arg)
{
    (void)arg;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec - started.tv_sec > 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    if (!db) {
        if (sqlite3_open(":memory:", &db) != SQLITE_OK) abort();
        if (rp_query_functions_register(db) != SQLITE_OK) abort();
        sqlite3_progress_handler(db, 100000, deadline, NULL);
    }
    clock_gettime(CLOCK_MONOTONIC, &started);
    const char *sql = calls[data[0] % (sizeof calls / sizeof calls[0])];
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) abort();
    size_t start = 1, arg = 1;
    for (size_t i = 1; i <= size && arg <= 3; i++)
        if (i == size || data[i] == 0xff) {
            sqlite3_bind_text(st, (int)arg++, (const char *)data + start, (int)(i - start),
                              SQLITE_TRANSIENT);
            start = i + 1;
        }
    while (sqlite3_step(st) == SQLITE_ROW) {
    }
    sqlite3_finalize(st);
    return 0;
}
