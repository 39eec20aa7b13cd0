/* SPDX-License-Identifier: Apache-2.0 */
/* bench_sqlite_insert: the "minimal C insert loop" peer of bench/ingest.sh.
 *
 *     bench_sqlite_insert SRC.db DST.db TABLE...
 *
 * Loads every row of each TABLE from SRC.db (a store `rampart ingest` filled) into memory,
 * untimed, then creates DST.db with the same table definitions and indexes, the same pragmas
 * the store uses (WAL, synchronous=NORMAL), and times inserting exactly those rows with one
 * prepared INSERT per table inside transactions of 20,000 rows — the least work any program
 * storing the same rows could do. Prints "rows=N seconds=S" on stdout.
 * It talks to SQLite directly on purpose: it is the peer being measured against, not Rampart. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

struct val {
    int type;
    sqlite3_int64 i;
    double d;
    void *p;
    int n;
};

struct table {
    const char *name;
    int ncols;
    size_t nrows;
    struct val *vals; /* nrows * ncols */
    char *insert_sql;
};

static void die(sqlite3 *db, const char *what)
{
    fprintf(stderr, "bench_sqlite_insert: %s: %s\n", what, db ? sqlite3_errmsg(db) : "error");
    exit(1);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void load(sqlite3 *src, struct table *t)
{
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT * FROM \"%s\"", t->name);
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(src, sql, -1, &s, NULL)) die(src, "select");
    t->ncols = sqlite3_column_count(s);
    size_t cap = 1024;
    t->vals = malloc(cap * (size_t)t->ncols * sizeof *t->vals);
    size_t sqlcap = 64 + (size_t)t->ncols * 8 + strlen(t->name);
    t->insert_sql = malloc(sqlcap);
    int off = snprintf(t->insert_sql, sqlcap, "INSERT INTO \"%s\" VALUES(", t->name);
    for (int c = 0; c < t->ncols; c++)
        off += snprintf(t->insert_sql + off, sqlcap - (size_t)off, "%s?", c ? "," : "");
    snprintf(t->insert_sql + off, sqlcap - (size_t)off, ")");
    while (sqlite3_step(s) == SQLITE_ROW) {
        if (t->nrows == cap) {
            cap *= 2;
            t->vals = realloc(t->vals, cap * (size_t)t->ncols * sizeof *t->vals);
            if (!t->vals) die(NULL, "out of memory");
        }
        struct val *row = &t->vals[t->nrows * (size_t)t->ncols];
        for (int c = 0; c < t->ncols; c++) {
            struct val *v = &row[c];
            memset(v, 0, sizeof *v);
            v->type = sqlite3_column_type(s, c);
            if (v->type == SQLITE_INTEGER)
                v->i = sqlite3_column_int64(s, c);
            else if (v->type == SQLITE_FLOAT)
                v->d = sqlite3_column_double(s, c);
            else if (v->type == SQLITE_TEXT || v->type == SQLITE_BLOB) {
                const void *p = v->type == SQLITE_TEXT ? (const void *)sqlite3_column_text(s, c)
                                                       : sqlite3_column_blob(s, c);
                v->n = sqlite3_column_bytes(s, c);
                v->p = malloc((size_t)v->n + 1);
                if (!v->p) die(NULL, "out of memory");
                if (v->n) memcpy(v->p, p, (size_t)v->n);
            }
        }
        t->nrows++;
    }
    sqlite3_finalize(s);
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: bench_sqlite_insert SRC.db DST.db TABLE...\n");
        return 2;
    }
    sqlite3 *src, *dst;
    if (sqlite3_open_v2(argv[1], &src, SQLITE_OPEN_READONLY, NULL)) die(src, argv[1]);
    remove(argv[2]);
    if (sqlite3_open(argv[2], &dst)) die(dst, argv[2]);
    if (sqlite3_exec(dst, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", 0, 0, 0))
        die(dst, "pragmas");
    int ntables = argc - 3;
    struct table *tabs = calloc((size_t)ntables, sizeof *tabs);
    for (int k = 0; k < ntables; k++) {
        tabs[k].name = argv[3 + k];
        load(src, &tabs[k]);
        /* same table and index definitions as the source */
        sqlite3_stmt *s;
        if (sqlite3_prepare_v2(src,
                               "SELECT sql FROM sqlite_master WHERE tbl_name = ?1 AND sql IS NOT "
                               "NULL ORDER BY type = 'index'",
                               -1, &s, NULL))
            die(src, "schema");
        sqlite3_bind_text(s, 1, tabs[k].name, -1, SQLITE_STATIC);
        while (sqlite3_step(s) == SQLITE_ROW)
            if (sqlite3_exec(dst, (const char *)sqlite3_column_text(s, 0), 0, 0, 0))
                die(dst, "create");
        sqlite3_finalize(s);
    }
    double t0 = now_s();
    size_t total = 0, in_tx = 0;
    if (sqlite3_exec(dst, "BEGIN", 0, 0, 0)) die(dst, "begin");
    for (int k = 0; k < ntables; k++) {
        struct table *t = &tabs[k];
        sqlite3_stmt *ins;
        if (sqlite3_prepare_v2(dst, t->insert_sql, -1, &ins, NULL)) die(dst, "insert");
        for (size_t r = 0; r < t->nrows; r++) {
            const struct val *row = &t->vals[r * (size_t)t->ncols];
            for (int c = 0; c < t->ncols; c++) {
                const struct val *v = &row[c];
                switch (v->type) {
                case SQLITE_INTEGER:
                    sqlite3_bind_int64(ins, c + 1, v->i);
                    break;
                case SQLITE_FLOAT:
                    sqlite3_bind_double(ins, c + 1, v->d);
                    break;
                case SQLITE_TEXT:
                    sqlite3_bind_text(ins, c + 1, v->p, v->n, SQLITE_STATIC);
                    break;
                case SQLITE_BLOB:
                    sqlite3_bind_blob(ins, c + 1, v->p, v->n, SQLITE_STATIC);
                    break;
                default:
                    sqlite3_bind_null(ins, c + 1);
                    break;
                }
            }
            if (sqlite3_step(ins) != SQLITE_DONE) die(dst, "step");
            sqlite3_reset(ins);
            total++;
            if (++in_tx == 20000) {
                if (sqlite3_exec(dst, "COMMIT; BEGIN", 0, 0, 0)) die(dst, "commit");
                in_tx = 0;
            }
        }
        sqlite3_finalize(ins);
    }
    if (sqlite3_exec(dst, "COMMIT", 0, 0, 0)) die(dst, "commit");
    double t1 = now_s();
    printf("rows=%zu seconds=%.3f\n", total, t1 - t0);
    sqlite3_close(dst);
    sqlite3_close(src);
    return 0;
}
