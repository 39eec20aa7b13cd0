/* SPDX-License-Identifier: Apache-2.0 */
/* bench_hub_sqlite: the "minimal SQLite loop" peer of bench/hub.sh (as bench_sqlite_insert is
 * for bench/ingest.sh).
 *
 *     bench_hub_sqlite DB FILE...
 *
 * Opens (or creates) DB with the store's pragmas (WAL, synchronous=NORMAL) and one table
 * findings(product_arn, id, updated_at, doc, UNIQUE(product_arn, id)), then reads each FILE of
 * ASFF JSON Lines with getline and upserts every line with one prepared statement: SQLite's
 * json_extract takes ProductArn, Id and UpdatedAt out of the line, ON CONFLICT DO UPDATE
 * replaces the document only when UpdatedAt is newer (ISO strings of one format compare as
 * text); 5,000 findings a transaction, as RP_HUB_BATCH. This is the least any SQLite-backed
 * hub must do with the same input: no validation, no merge rules, no filter columns, no
 * history. Run it twice on one DB for import then updates. Prints "lines=N inserted=I
 * updated=U unchanged=K rows=R seconds=S" on stdout; seconds covers reading, parsing and
 * writing (from opening the first FILE to the last COMMIT).
 * It talks to SQLite directly on purpose: it is the peer being measured against, not Rampart. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* getline */
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#define BATCH 5000

static void die(sqlite3 *db, const char *what)
{
    fprintf(stderr, "bench_hub_sqlite: %s: %s\n", what, db ? sqlite3_errmsg(db) : "error");
    exit(1);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long long rows(sqlite3 *db)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM findings", -1, &s, NULL)) die(db, "count");
    if (sqlite3_step(s) != SQLITE_ROW) die(db, "count");
    long long n = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return n;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_hub_sqlite DB FILE...\n");
        return 2;
    }
    sqlite3 *db;
    if (sqlite3_open(argv[1], &db)) die(db, argv[1]);
    if (sqlite3_exec(db,
                     "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                     "CREATE TABLE IF NOT EXISTS findings (product_arn TEXT NOT NULL, id TEXT NOT "
                     "NULL, updated_at TEXT NOT NULL, doc TEXT NOT NULL, UNIQUE (product_arn, id))",
                     0, 0, 0))
        die(db, "create");
    long long before = rows(db);
    sqlite3_stmt *up;
    if (sqlite3_prepare_v2(db,
                           "INSERT INTO findings (product_arn, id, updated_at, doc) "
                           "VALUES (json_extract(?1, '$.ProductArn'), json_extract(?1, '$.Id'), "
                           "json_extract(?1, '$.UpdatedAt'), ?1) "
                           "ON CONFLICT (product_arn, id) DO UPDATE SET doc = excluded.doc, "
                           "updated_at = excluded.updated_at "
                           "WHERE excluded.updated_at > findings.updated_at",
                           -1, &up, NULL))
        die(db, "prepare");

    double t0 = now_s();
    long long lines = 0, changed = 0;
    size_t in_tx = 0, cap = 0;
    char *line = NULL;
    if (sqlite3_exec(db, "BEGIN", 0, 0, 0)) die(db, "begin");
    for (int k = 2; k < argc; k++) {
        FILE *f = fopen(argv[k], "rb");
        if (!f) {
            perror(argv[k]);
            return 1;
        }
        ssize_t n;
        while ((n = getline(&line, &cap, f)) > 0) {
            while (n && (line[n - 1] == '\n' || line[n - 1] == '\r')) n--;
            if (!n) continue;
            sqlite3_bind_text(up, 1, line, (int)n, SQLITE_STATIC);
            if (sqlite3_step(up) != SQLITE_DONE) die(db, "upsert");
            changed += sqlite3_changes(db);
            sqlite3_reset(up);
            lines++;
            if (++in_tx == BATCH) {
                if (sqlite3_exec(db, "COMMIT; BEGIN", 0, 0, 0)) die(db, "commit");
                in_tx = 0;
            }
        }
        fclose(f);
    }
    if (sqlite3_exec(db, "COMMIT", 0, 0, 0)) die(db, "commit");
    double t1 = now_s();
    free(line);
    sqlite3_finalize(up);
    long long after = rows(db);
    long long inserted = after - before;
    printf("lines=%lld inserted=%lld updated=%lld unchanged=%lld rows=%lld seconds=%.3f\n", lines,
           inserted, changed - inserted, lines - changed, after, t1 - t0);
    sqlite3_close(db);
    return 0;
}
