/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target for the file connectors of `rampart query` that parse on their own: csv
 * (RFC 4180, header, delimiters, gzip) and jsonl (src/query/query_tab_csv.c, _jsonl.c). The
 * first byte picks the connector and its options; the rest becomes the file's content (an
 * in-memory file named through /proc/self/fd). CREATE VIRTUAL TABLE may fail with an error
 * (no header, not JSON); when it succeeds every row is read. Nothing may crash or leak. */
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "query/query_table.h"

static sqlite3 *db;
static struct rp_query_stats stats;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    if (!db) {
        if (sqlite3_open(":memory:", &db) != SQLITE_OK) abort();
        if (rp_query_vtab_register(db, NULL, &stats) != SQLITE_OK) abort();
    }
    int fd = memfd_create("fuzz", 0);
    if (fd < 0) return 0;
    size_t off = 1;
    while (off < size) {
        ssize_t w = write(fd, data + off, size - off);
        if (w <= 0) break;
        off += (size_t)w;
    }
    static const char *const mods[] = {"csv", "csv", "csv", "jsonl"};
    static const char *const opts[] = {"", ", 'header=no'", ", 'delimiter=;'", ""};
    char sql[256];
    snprintf(sql, sizeof sql, "CREATE VIRTUAL TABLE temp.t USING %s('/proc/self/fd/%d'%s)",
             mods[data[0] % 4], fd, opts[data[0] % 4]);
    stats.warnings = RP_QUERY_MAX_WARNINGS + 1; /* counted, not printed */
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK) {
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(db, "SELECT * FROM temp.t", -1, &st, NULL) == SQLITE_OK)
            while (sqlite3_step(st) == SQLITE_ROW)
                for (int i = 0; i < sqlite3_column_count(st); i++) (void)sqlite3_column_text(st, i);
        sqlite3_finalize(st);
        if (sqlite3_exec(db, "DROP TABLE temp.t", NULL, NULL, NULL) != SQLITE_OK) abort();
    }
    close(fd);
    return 0;
}
