/* SPDX-License-Identifier: Apache-2.0 */
/* rp_ingest_run end to end on scratch trees, with two formats defined here (so the runner is
 * tested apart from the real ones): "tjson", JSON records with a UNIQUE id and a second table
 * of tags, and "tline", text lines whose header line sets per-file state. Each test builds a
 * tree, runs the ingest into a file store and compares exact rows, rejects (reason, offset,
 * line, raw length), checkpoints and summary counts: a normal tree, a re-run, duplicate
 * deliveries and duplicate records, a file that fails mid-way and is resumed, kill -9 at
 * several moments (a child process killed from inside a format) and resume, key-layout
 * pruning (pruned paths hold FIFOs and garbage that would be reported if anything touched
 * them), every bad input the issue lists, --force, changed and touched files, and jobs=1
 * against jobs=2. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <zstd.h>

#include "core/rp_buf.h"
#include "core/rp_gz.h"
#include "core/rp_time.h"
#include "ingest/ingest.h"
#include "ingest/ingest_source.h"
#include "store/store.h"
#include "tools/rp_test_tmpdir.h"

/* ---- the test formats ---------------------------------------------------------------------- */

static const char *g_kill_id; /* a record with this id (or line field a) ends the process */
static const char *g_fail_id; /* a record with this id fails the file (RP_EIO) .. */
static int g_fail_times;      /* .. this many times */

static const struct rp_ingest_col ev_cols[] = {
    {"id", RP_INGEST_COL_TEXT}, {"ts", RP_INGEST_COL_INT},  {"acct", RP_INGEST_COL_TEXT},
    {"v", RP_INGEST_COL_JSON},  {"raw", RP_INGEST_COL_RAW},
};
static const struct rp_ingest_col tag_cols[] = {{"id", RP_INGEST_COL_TEXT},
                                                {"tag", RP_INGEST_COL_TEXT}};
static const struct rp_ingest_table tj_tables[] = {
    {.name = "t_events", .cols = ev_cols, .ncols = 5, .time_col = 1},
    {.name = "t_tags", .cols = tag_cols, .ncols = 2, .time_col = -1},
};
static const char *const tj_containers[] = {"Records", NULL};

static int tj_probe(const char *head, size_t n, const char *path)
{
    (void)path;
    return memmem(head, n, "\"id\"", 4) ? 80 : 0;
}

static rp_err tj_record(struct rp_ingest_ctx *cx, void *state, const struct rp_ingest_rec *rec,
                        struct rp_errbuf *eb)
{
    (void)state;
    struct rp_str id, acct = cx->layout->account, v = {NULL, 0};
    int64_t ts;
    struct rp_json_val tags, el;
    if (rp_json_obj_get_str(rec->json, "id", &id) != RP_OK)
        return rp_fail(eb, RP_EPARSE, "missing field 'id'");
    if (rp_json_obj_get_i64(rec->json, "ts", &ts) != RP_OK)
        return rp_fail(eb, RP_EPARSE, "missing field 'ts'");
    if (g_kill_id && rp_str_eq_cstr(id, g_kill_id)) _exit(77);
    if (g_fail_id && rp_str_eq_cstr(id, g_fail_id) && g_fail_times > 0) {
        g_fail_times--;
        return rp_fail(eb, RP_EIO, "tjson: simulated failure at '%s'", g_fail_id);
    }
    if (rp_json_obj_get_str(rec->json, "acct", &acct) != RP_OK) acct = cx->layout->account;
    if (rp_json_obj_get_str(rec->json, "v", &v) != RP_OK) v = (struct rp_str){NULL, 0};
    struct rp_ingest_val row[5] = {rp_ingest_val_str(id),
                                   rp_ingest_val_int(ts),
                                   rp_ingest_val_str(acct),
                                   rp_ingest_val_str(v),
                                   {0}};
    rp_err e = rp_ingest_emit(cx, 0, row, eb);
    if (e) return e;
    if (rp_json_obj_get(rec->json, "tags", &tags) == RP_OK) {
        struct rp_json_iter it;
        if (rp_json_arr_iter(tags, &it) != RP_OK)
            return rp_fail(eb, RP_EPARSE, "field 'tags' is not an array");
        while (rp_json_arr_next(&it, &el)) {
            struct rp_str t;
            if (rp_json_get_str(el, &t) != RP_OK)
                return rp_fail(eb, RP_EPARSE, "a tag is not a string");
            struct rp_ingest_val trow[2] = {rp_ingest_val_str(id), rp_ingest_val_str(t)};
            if ((e = rp_ingest_emit(cx, 1, trow, eb))) return e;
        }
    }
    return RP_OK;
}

static const struct rp_ingest_source src_tjson = {
    .name = "tjson",
    .summary = "test JSON records",
    .kind = RP_INGEST_CLOUDTRAIL,
    .framing = RP_INGEST_FRAME_JSON,
    .containers = tj_containers,
    .tables = tj_tables,
    .ntables = 2,
    .probe = tj_probe,
    .record = tj_record,
};

static const struct rp_ingest_col line_cols[] = {{"ts", RP_INGEST_COL_INT},
                                                 {"a", RP_INGEST_COL_TEXT},
                                                 {"b", RP_INGEST_COL_TEXT},
                                                 {"hdr", RP_INGEST_COL_TEXT}};
static const struct rp_ingest_table tl_tables[] = {
    {.name = "t_lines", .cols = line_cols, .ncols = 4, .time_col = 0},
};

struct tl_state {
    char hdr[32];
};

static int tl_probe(const char *head, size_t n, const char *path)
{
    (void)path;
    return n >= 6 && memcmp(head, "#tline", 6) == 0 ? 90 : 0;
}

static rp_err tl_record(struct rp_ingest_ctx *cx, void *state, const struct rp_ingest_rec *rec,
                        struct rp_errbuf *eb)
{
    struct tl_state *st = state;
    struct rp_str line = {rec->p, rec->n}, rest = line, f[4];
    size_t n = 0;
    if (rp_str_has_prefix(line, "#tline")) {
        snprintf(st->hdr, sizeof st->hdr, "%.*s", (int)(line.len - 6), line.p + 6);
        return RP_OK;
    }
    while (n < 4 && rp_str_split_next(&rest, ' ', &f[n])) n++;
    if (n != 3) return rp_fail(eb, RP_EPARSE, "expected 3 fields, got %zu", n);
    int64_t ts;
    if (rp_str_to_i64(f[0], &ts) != RP_OK)
        return rp_fail(eb, RP_EPARSE, "bad time '%.*s'", (int)f[0].len, f[0].p);
    if (g_kill_id && rp_str_eq_cstr(f[1], g_kill_id)) _exit(77);
    struct rp_ingest_val row[4] = {
        rp_ingest_val_int(ts), rp_ingest_val_str(f[1]), rp_ingest_val_str(f[2]),
        st->hdr[0] ? rp_ingest_val_text(st->hdr, strlen(st->hdr)) : (struct rp_ingest_val){0}};
    return rp_ingest_emit(cx, 0, row, eb);
}

static const struct rp_ingest_source src_tline = {
    .name = "tline",
    .summary = "test lines",
    .kind = RP_INGEST_VPCFLOW,
    .framing = RP_INGEST_FRAME_LINES,
    .tables = tl_tables,
    .ntables = 1,
    .probe = tl_probe,
    .state_size = sizeof(struct tl_state),
    .record = tl_record,
};

static const struct rp_ingest_source *const test_sources[] = {&src_tjson, &src_tline, NULL};

static const char schema[] =
    "CREATE TABLE IF NOT EXISTS t_events (id TEXT NOT NULL UNIQUE, ts INTEGER, acct TEXT,"
    " v TEXT, raw BLOB);"
    "CREATE TABLE IF NOT EXISTS t_tags (id TEXT, tag TEXT, UNIQUE (id, tag));"
    "CREATE TABLE IF NOT EXISTS t_lines (ts INTEGER, a TEXT, b TEXT, hdr TEXT);";

/* ---- scratch trees and stores -------------------------------------------------------------- */

struct fx {
    char dir[256];
    char *strs[256]; /* paths made by pth(), freed by teardown */
    size_t nstrs;
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    if (!f || rp_test_tmpdir_make(f->dir, sizeof f->dir, "rp_ingest_run_") != 0) return -1;
    g_kill_id = g_fail_id = NULL;
    g_fail_times = 0;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    int rc = rp_test_tmpdir_remove(f->dir);
    for (size_t i = 0; i < f->nstrs; i++) free(f->strs[i]);
    free(f);
    return rc;
}

/* dir/rel, valid until teardown */
static const char *pth(struct fx *f, const char *rel)
{
    char buf[1024];
    snprintf(buf, sizeof buf, "%s/%s", f->dir, rel);
    assert_true(f->nstrs < RP_ARRAY_LEN(f->strs));
    f->strs[f->nstrs] = strdup(buf);
    assert_non_null(f->strs[f->nstrs]);
    return f->strs[f->nstrs++];
}

static void mkparents(const char *path)
{
    char p[1024];
    snprintf(p, sizeof p, "%s", path);
    for (char *s = p + 1; *s; s++) {
        if (*s != '/') continue;
        *s = '\0';
        if (mkdir(p, 0755) != 0) assert_int_equal(errno, EEXIST);
        *s = '/';
    }
}

static void put(struct fx *f, const char *rel, const void *p, size_t n)
{
    const char *path = pth(f, rel);
    mkparents(path);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(p, 1, n, fp), n);
    assert_int_equal(fclose(fp), 0);
}

static void puts_(struct fx *f, const char *rel, const char *s)
{
    put(f, rel, s, strlen(s));
}

/* gzip s into rel, keeping only the first keep_pct percent of the compressed bytes; returns
 * the bytes written */
static size_t put_gz(struct fx *f, const char *rel, const char *s, unsigned keep_pct)
{
    struct rp_buf b;
    rp_buf_init(&b, 0);
    assert_int_equal(rp_gz_compress(s, strlen(s), 6, &b, NULL), RP_OK);
    size_t n = b.len * keep_pct / 100;
    put(f, rel, b.data, n);
    rp_buf_release(&b);
    return n;
}

static struct rp_store *open_store(struct fx *f, const char *name)
{
    struct rp_store *st = NULL;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_store_new(pth(f, name), RP_STORE_RDWR, &st, &eb), RP_OK);
    assert_int_equal(rp_store_exec(st, schema, &eb), RP_OK);
    return st;
}

static void opts_for(struct rp_ingest_opts *o, const char *const *paths, size_t n)
{
    rp_ingest_opts_init(o);
    o->paths = paths;
    o->npaths = n;
    o->sources = test_sources;
    o->jobs = 2;
}

static rp_err run(struct rp_store *st, const struct rp_ingest_opts *o, struct rp_ingest_summary *s,
                  struct rp_errbuf *eb)
{
    return rp_ingest_run(st, o, s, eb);
}

/* Every row of sql as "a|b|c\n"; NULL as NULL, zstd blobs as z:<decompressed bytes>, with the
 * scratch directory replaced by "T" so expectations do not depend on it. */
static char *dump(struct fx *f, struct rp_store *st, const char *sql)
{
    struct rp_store_stmt *s;
    struct rp_errbuf eb = {0};
    struct rp_buf out;
    bool row;
    rp_buf_init(&out, 0);
    assert_int_equal(rp_store_stmt_prepare(st, sql, &s, &eb), RP_OK);
    for (;;) {
        assert_int_equal(rp_store_stmt_step(s, &row, &eb), RP_OK);
        if (!row) break;
        int n = rp_store_stmt_column_count(s);
        for (int c = 0; c < n; c++) {
            if (c) assert_int_equal(rp_buf_putc(&out, '|'), RP_OK);
            size_t len;
            switch (rp_store_stmt_column_type(s, c)) {
            case RP_STORE_NULL:
                assert_int_equal(rp_buf_append_str(&out, "NULL"), RP_OK);
                break;
            case RP_STORE_BLOB: {
                const void *p = rp_store_stmt_column_blob(s, c, &len);
                unsigned long long sz = p ? ZSTD_getFrameContentSize(p, len) : 0;
                if (!p || sz == ZSTD_CONTENTSIZE_ERROR || sz == ZSTD_CONTENTSIZE_UNKNOWN) {
                    assert_int_equal(rp_buf_printf(&out, "blob(%zu)", len), RP_OK);
                    break;
                }
                char *d = malloc(sz + 1);
                assert_non_null(d);
                assert_int_equal(ZSTD_decompress(d, sz + 1, p, len), sz);
                assert_int_equal(rp_buf_append_str(&out, "z:"), RP_OK);
                assert_int_equal(rp_buf_append(&out, d, sz), RP_OK);
                free(d);
                break;
            }
            default: {
                const char *t = rp_store_stmt_column_text(s, c, &len);
                const char *dir = f->dir;
                size_t dl = strlen(dir);
                for (size_t i = 0; i < len;) {
                    if (i + dl <= len && memcmp(t + i, dir, dl) == 0) {
                        assert_int_equal(rp_buf_putc(&out, 'T'), RP_OK);
                        i += dl;
                    } else {
                        assert_int_equal(rp_buf_putc(&out, t[i++]), RP_OK);
                    }
                }
            }
            }
        }
        assert_int_equal(rp_buf_putc(&out, '\n'), RP_OK);
    }
    char *r = strdup(rp_buf_cstr(&out));
    rp_buf_release(&out);
    return r;
}

#define EXPECT_DUMP(f, st, sql, want)                                                              \
    do {                                                                                           \
        char *got_ = dump(f, st, sql);                                                             \
        assert_string_equal(got_, want);                                                           \
        free(got_);                                                                                \
    } while (0)

#define Q_EVENTS "SELECT id, ts, acct, v, raw FROM t_events ORDER BY id"
#define Q_TAGS   "SELECT id, tag FROM t_tags ORDER BY id, tag"
#define Q_LINES  "SELECT ts, a, b, hdr FROM t_lines ORDER BY ts, a, b"
#define Q_REJ                                                                                      \
    "SELECT source, format, byte_offset, line, reason, length(raw), orig_len, truncated"           \
    " FROM rejects ORDER BY source, byte_offset, id"
#define Q_CP                                                                                       \
    "SELECT path, size, hash IS NOT NULL, format, bytes_done, records_done, records_rejected,"     \
    " completed FROM ingest_checkpoints ORDER BY path"

/* "seen/read/skipped/filtered/duplicate/failed/unknown records/rows/dups/rej/filt" of the two
 * test kinds (cloudtrail = tjson, vpcflow = tline) */
static const char *sumline(const struct rp_ingest_summary *s)
{
    static char b[256];
    const struct rp_ingest_source_counts *j = &s->by_kind[RP_INGEST_CLOUDTRAIL],
                                         *l = &s->by_kind[RP_INGEST_VPCFLOW];
    snprintf(b, sizeof b,
             "files %lld/%lld/%lld/%lld/%lld/%lld/%lld tjson %lld/%lld/%lld/%lld/%lld "
             "tline %lld/%lld/%lld/%lld/%lld total %lld/%lld/%lld",
             (long long)s->files_seen, (long long)s->files_read, (long long)s->files_skipped,
             (long long)s->files_filtered, (long long)s->files_duplicate,
             (long long)s->files_failed, (long long)s->files_unknown, (long long)j->records,
             (long long)j->rows, (long long)j->duplicates, (long long)j->rejected,
             (long long)j->filtered, (long long)l->records, (long long)l->rows,
             (long long)l->duplicates, (long long)l->rejected, (long long)l->filtered,
             (long long)s->records, (long long)s->rejected, (long long)s->duplicates);
    return b;
}

/* ---- a normal tree, re-run, duplicates ------------------------------------------------------ */

#define CT_A "AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/05/a.json"
#define CT_B "AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/05/b.json.gz"
#define LN_C "AWSLogs/111122223333/vpcflowlogs/us-east-1/2024/03/05/c.log"

static size_t tree_gz_size; /* bytes of CT_B */

static void make_tree(struct fx *f)
{
    puts_(f, "tree/" CT_A,
          "{\"Records\":[{\"id\":\"e1\",\"ts\":1000,\"tags\":[\"x\",\"y\"]},\n"
          "{\"id\":\"e2\",\"ts\":2000,\"acct\":\"999988887777\",\"v\":\"{\\\"k\\\":1}\"}]}\n");
    tree_gz_size =
        put_gz(f, "tree/" CT_B, "{\"id\":\"e3\",\"ts\":3000}\n{\"id\":\"e4\",\"ts\":4000}\n", 100);
    puts_(f, "tree/" LN_C, "#tline v2\n10 a b\n20 c d\n");
    puts_(f, "tree/README.txt", "not a log\n");
}

static const char want_events[] =
    "e1|1000|111122223333|NULL|z:{\"id\":\"e1\",\"ts\":1000,\"tags\":[\"x\",\"y\"]}\n"
    "e2|2000|999988887777|{\"k\":1}|z:{\"id\":\"e2\",\"ts\":2000,\"acct\":\"999988887777\","
    "\"v\":\"{\\\"k\\\":1}\"}\n"
    "e3|3000|111122223333|NULL|z:{\"id\":\"e3\",\"ts\":3000}\n"
    "e4|4000|111122223333|NULL|z:{\"id\":\"e4\",\"ts\":4000}\n";
static const char want_lines[] = "10|a|b| v2\n20|c|d| v2\n";
static const char want_tree_rejects[] =
    "T/tree/README.txt|NULL|NULL|NULL|no known format|10|10|0\n";

static void test_run_tree_and_rerun(void **state)
{
    struct fx *f = *state;
    make_tree(f);
    struct rp_store *st = open_store(f, "s.db");
    const char *paths[] = {pth(f, "tree")};
    struct rp_ingest_opts o;
    struct rp_ingest_summary s;
    struct rp_errbuf eb = {0};
    opts_for(&o, paths, 1);
    assert_int_equal(run(st, &o, &s, &eb), RP_OK);
    assert_string_equal(sumline(&s), "files 4/3/0/0/0/0/1 tjson 4/6/0/0/0 tline 2/2/0/0/0 "
                                     "total 6/0/0");
    assert_true(rp_ingest_summary_partial(&s));
    assert_int_equal(s.bytes_decoded, 114 + 44 + 24 + 10);
    EXPECT_DUMP(f, st, Q_EVENTS, want_events);
    EXPECT_DUMP(f, st, Q_TAGS, "e1|x\ne1|y\n");
    EXPECT_DUMP(f, st, Q_LINES, want_lines);
    EXPECT_DUMP(f, st, Q_REJ, want_tree_rejects);
    char want_cp[1024];
    snprintf(want_cp, sizeof want_cp,
             "T/tree/" CT_A "|114|1|tjson|114|2|0|1\n"
             "T/tree/" CT_B "|%zu|1|tjson|44|2|0|1\n"
             "T/tree/" LN_C "|24|1|tline|24|3|0|1\n"
             "T/tree/README.txt|10|1|NULL|0|0|1|1\n",
             tree_gz_size);
    EXPECT_DUMP(f, st, Q_CP, want_cp);
    assert_int_equal(s.bytes_in, 114 + tree_gz_size + 24 + 10);

    /* the same tree again: every file is skipped, nothing is stored twice */
    assert_int_equal(run(st, &o, &s, &eb), RP_OK);
    assert_string_equal(sumline(&s), "files 4/0/4/0/0/0/0 tjson 0/0/0/0/0 tline 0/0/0/0/0 "
                                     "total 0/0/0");
    assert_false(rp_ingest_summary_partial(&s));
    EXPECT_DUMP(f, st, Q_EVENTS, want_events);
    EXPECT_DUMP(f, st, Q_LINES, want_lines);
    EXPECT_DUMP(f, st, Q_REJ, want_tree_rejects);
    rp_store_free(st);
}

static void test_run_duplicate_delivery(void **state)
{
    struct fx *f = *state;
    make_tree(f);
    /* the same bytes under two more paths: one in the same run, one in a later run */
    const char *doc = "{\"id\":\"e3\",\"ts\":3000}\n{\"id\":\"e4\",\"ts\":4000}\n";
    struct rp_store *st = open_store(f, "s.db");
    put_gz(f, "tree/copy/b-again.json.gz", doc, 100);
    const char *paths[] = {pth(f, "tree")};
    struct rp_ingest_opts o;
    struct rp_ingest_summary s;
    struct rp_errbuf eb = {0};
    opts_for(&o, paths, 1);
    assert_int_equal(run(st, &o, &s, &eb), RP_OK);
    /* AWSLogs/.. sorts before copy/, so the copy is the duplicate */
    assert_string_equal(sumline(&s), "files 5/3/0/0/1/0/1 tjson 4/6/0/0/0 tline 2/2/0/0/0 "
                                     "total 6/0/0");
    EXPECT_DUMP(f, st, Q_EVENTS, want_events);
    EXPECT_DUMP(f, st,
                "SELECT c.path, c.hash = o.hash, c.format, c.records_done, c.completed"
                " FROM ingest_checkpoints c JOIN ingest_checkpoints o"
                " ON o.path LIKE '%b.json.gz' WHERE c.path LIKE '%b-again.json.gz'",
                "T/tree/copy/b-again.json.gz|1|NULL|0|1\n");

    put_gz(f, "other/late-copy.json.gz", doc, 100);
    const char *p2[] = {pth(f, "tree"), pth(f, "other")};
    opts_for(&o, p2, 2);
    assert_int_equal(run(st, &o, &s, &eb), RP_OK);
    assert_string_equal(sumline(&s), "files 6/0/5/0/1/0/0 tjson 0/0/0/0/0 tline 0/0/0/0/0 "
                                     "total 0/0/0");
    EXPECT_DUMP(f, st, Q_EVENTS, want_events);
    /* --force reads the copies too: their rows are duplicates, rejects are not doubled */
    o.force = true;
    assert_int_equal(run(st, &o, &s, &eb), RP_OK);
    assert_string_equal(sumline(&s), "files 6/5/0/0/0/0/1 tjson 8/0/8/0/0 tline 2/2/0/0/0 "
                                     "total 10/0/8");
    EXPECT_DUMP(f, st, Q_EVENTS, want_events);
    /* a table without a UNIQUE key gets the lines again: --force means read again */
    EXPECT_DUMP(f, st, Q_LINES, "10|a|b| v2\n10|a|b| v2\n20|c|d| v2\n20|c|d| v2\n");
    EXPECT_DUMP(f, st, Q_REJ, want_tree_rejects);
    rp_store_free(st);
}

static void test_run_duplicate_records(void **state)
{
    struct fx *f = *state;
    puts_(f, "t/1.json", "{\"id\":\"d1\",\"ts\":1}\n{\"id\":\"d2\",\"ts\":2}\n");
    puts_(f, "t/2.json", "{\"id\":\"d2\",\"ts\":2}\n{\"id\":\"d3\",\"ts\":3}\n");
    struct rp_store *st = open_store(f, "s.db");
    const char *paths[] = {pth(f, "t")};
    struct rp_ingest_opts o;
    struct rp_ingest_summary s;
    struct rp_errbuf eb = {0};
    opts_for(&o, paths, 1);
    o.jobs = 1;
    assert_int_equal(run(st, &o, &s, &eb), RP_OK);
    assert_string_equal(sumline(&s), "files 2/2/0/0/0/0/0 tjson 4/3/1/0/0 tline 0/0/0/0/0 "
                                     "total 4/0/1");
    EXPECT_DUMP(f, st, "SELECT id, ts FROM t_events ORDER BY id", "d1|1\nd2|2\nd3|3\n");
    rp_store_free(st);

    /* a file named twice (as a root and inside another root) is read once */
    struct rp_store *st2 = open_store(f, "s2.db");
    const char *twice[] = {pth(f, "t/2.json"), pth(f, "t"), pth(f, "t/2.json")};
    opts_for(&o, twice, 3);
    assert_int_equal(run(st2, &o, &s, &eb), RP_OK);
    assert_string_equal(sumline(&s), "files 2/2/0/0/0/0/0 tjson 4/3/1/0/0 tline 0/0/0/0/0 "
                                     "total 4/0/1");
    EXPECT_DUMP(f, st2, "SELECT count(*), sum(completed) FROM ingest_checkpoints", "2|2\n");
    rp_store_free(st2);
}

/* ---- changed and touched files --------------------------------------------------------------- */

static void test_run_changed_and_touched(void **state)
{
    struct fx *f = *state;
    puts_(f, "t/1.json", "{\"id\":\"c1\",\"ts\":1}\n{\"ts\":2}\n");
    struct rp_store *st = open_store(f, "s.db");
    const char *paths[] = {pth(f, "t")};
    struct rp_ingest_opts o;
    struct rp_ingest_summary s;
    struct rp_errbuf eb = {0};
    opts_for(&o, paths, 1);
    assert_int_equal(run(st, &o, &s, &eb), RP_OK);
    EXPECT_DUMP(f, st, Q_REJ, "T/t/1.json|tjson|19|2|missing field 'id'|8|8|0\n");

    /* touched: same bytes, new mtime: skipped, and the checkpoint learns the new mtime */
    struct timespec ts[2] = {{.tv_sec = 1000000000}, {.tv_sec = 1000000000}};
    assert_int_equal(utimensat(AT_FDCWD, pth(f, "t/1.json"), ts, 0), 0);
    assert_int_equal(run(st, &o, &s, &eb), RP_OK);
    assert_string_equal(sumline(&s), "files 1/0/1/0/0/0/0 tjson 0/0/0/0/0 tline 0/0/0/0/0 "
                                     "total 0/0/0");
    EXPECT_DUMP(f, st,
                "SELECT mtime_ns, bytes_done, records_done, records_rejected, completed"
                " FROM ingest_checkpoints",
                "1000000000000000000|28|2|1|1\n");
    assert_int_equal(run(st, &o, &s, &eb), RP_OK);
    assert_int_equal(s.files_skipped, 1);

    /* changed: read again from the start; old rows are duplicates, old rejects replaced */
    puts_(f, "t/1.json", "{\"id\":\"c1\",\"ts\":1}\n{\"ts\":2}\n{\"id\":\"c2\",\"ts\":3}\n");
    assert_int_equal(run(st, &o, &s, &eb), RP_OK);
    assert_string_equal(sumline(&s), "files 1/1/0/0/0/0/0 tjson 2/1/1/1/0 tline 0/0/0/0/0 "
                                     "total 2/1/1");
    EXPECT_DUMP(f, st, "SELECT id, ts FROM t_events ORDER BY id", "c1|1\nc2|3\n");
    EXPECT_DUMP(f, st, Q_REJ, "T/t/1.json|tjson|19|2|missing field 'id'|8|8|0\n");
    rp_store_free(st);
}

/* ---- a file that fails mid-way, resumed --------------------------------------------------------
 */

static void test_run_resume_after_failure(void **state)
{
    struct fx *f = *state;
    puts_(f, "t/1.json",
          "{\"id\":\"r1\",\"ts\":1}\n{\"id\":\"r2\",\"ts\":2}\n{\"ts\":3}\n"
          "{\"id\":\"r3\",\"ts\":3}\n{\"id\":\"r4\",\"ts\":4}\n");
    puts_(f, "t/2.log", "#tline h\n1 a b\n2 c d\n3 e f\n");
    struct rp_store *st = open_store(f, "s.db");
    const char *paths[] = {pth(f, "t")};
    struct rp_ingest_opts o;
    struct rp_ingest_summary s;
    struct rp_errbuf eb = {0};
    opts_for(&o, paths, 1);
    o.batch_rows = 1;
    g_fail_id = "r3";
    g_fail_times = 1;
    assert_int_equal(run(st, &o, &s, &eb), RP_OK);
    assert_string_equal(sumline(&s), "files 2/1/0/0/0/1/0 tjson 2/2/0/1/0 tline 3/3/0/0/0 "
                                     "total 5/1/0");
    EXPECT_DUMP(f, st, "SELECT id FROM t_events ORDER BY id", "r1\nr2\n");
    EXPECT_DUMP(f, st, Q_CP,
                "T/t/1.json|85|1|tjson|46|3|1|0\n"
                "T/t/2.log|27|1|tline|27|4|0|1\n");
    EXPECT_DUMP(f, st, Q_REJ,
                "T/t/1.json|tjson|NULL|NULL|tjson: simulated failure at 'r3'|0|0|0\n"
                "T/t/1.json|tjson|38|3|missing field 'id'|8|8|0\n");

    /* the next run resumes after frame 3: nothing stored twice, the failure reject is gone */
    assert_int_equal(run(st, &o, &s, &eb), RP_OK);
    assert_string_equal(sumline(&s), "files 2/1/1/0/0/0/0 tjson 2/2/0/0/0 tline 0/0/0/0/0 "
                                     "total 2/0/0");
    EXPECT_DUMP(f, st, "SELECT id FROM t_events ORDER BY id", "r1\nr2\nr3\nr4\n");
    EXPECT_DUMP(f, st, Q_CP,
                "T/t/1.json|85|1|tjson|85|5|1|1\n"
                "T/t/2.log|27|1|tline|27|4|0|1\n");
    EXPECT_DUMP(f, st, Q_REJ, "T/t/1.json|tjson|38|3|missing field 'id'|8|8|0\n");
    rp_store_free(st);
}

/* ---- kill -9 at several moments, then resume ---------------------------------------------------
 */

static void make_big_tree(struct fx *f, const char *root, unsigned files, unsigned per_file)
{
    struct rp_buf b;
    rp_buf_init(&b, 0);
    char rel[256];
    for (unsigned i = 0; i < files; i++) {
        rp_buf_reset(&b);
        if (i % 3 == 2) {
            /* a line file: its header must be replayed on resume */
            assert_int_equal(rp_buf_printf(&b, "#tline f%u\n", i), RP_OK);
            for (unsigned k = 0; k < per_file; k++)
                assert_int_equal(rp_buf_printf(&b, "%u L%u_%u x\n", k, i, k), RP_OK);
            if (i == 2) assert_int_equal(rp_buf_append_str(&b, "bad line\n"), RP_OK);
            snprintf(rel, sizeof rel, "%s/d%02u/f%02u.log", root, i / 4, i);
        } else {
            assert_int_equal(rp_buf_append_str(&b, "{\"Records\":[\n"), RP_OK);
            for (unsigned k = 0; k < per_file; k++) {
                assert_int_equal(
                    rp_buf_printf(&b, "%s{\"id\":\"E%u_%u\",\"ts\":%u,\"tags\":[\"t%u\"]}\n",
                                  k ? "," : "", i, k, k, k % 3),
                    RP_OK);
                if (i == 1 && k == per_file / 2)
                    assert_int_equal(rp_buf_append_str(&b, ",{\"id\":\"broken\",,}\n"), RP_OK);
            }
            assert_int_equal(rp_buf_append_str(&b, "]}\n"), RP_OK);
            snprintf(rel, sizeof rel, "%s/d%02u/f%02u.json%s", root, i / 4, i, i % 2 ? ".gz" : "");
        }
        if (i % 2) {
            put_gz(f, rel, rp_buf_cstr(&b), 100);
        } else {
            put(f, rel, b.data, b.len);
        }
    }
    rp_buf_release(&b);
}

#define Q_ALL_EVENTS "SELECT id, ts, acct, v, raw FROM t_events ORDER BY 1, 2, 3, 4, 5"
#define Q_ALL_TAGS   "SELECT id, tag FROM t_tags ORDER BY 1, 2"
#define Q_ALL_LINES  "SELECT ts, a, b, hdr FROM t_lines ORDER BY 1, 2, 3, 4"
#define Q_ALL_REJ                                                                                  \
    "SELECT source, format, byte_offset, line, reason, raw, orig_len, truncated FROM rejects"      \
    " ORDER BY 1, 2, 3, 4, 5, 6, 7, 8"
#define Q_ALL_CP                                                                                   \
    "SELECT path, size, mtime_ns, hash, etag, format, bytes_done, records_done,"                   \
    " records_rejected, completed FROM ingest_checkpoints ORDER BY 1"

static char *dump_all(struct fx *f, struct rp_store *st)
{
    const char *qs[] = {Q_ALL_EVENTS, Q_ALL_TAGS, Q_ALL_LINES, Q_ALL_REJ, Q_ALL_CP};
    struct rp_buf b;
    rp_buf_init(&b, 0);
    for (size_t i = 0; i < RP_ARRAY_LEN(qs); i++) {
        char *d = dump(f, st, qs[i]);
        assert_int_equal(rp_buf_printf(&b, "-- %zu\n%s", i, d), RP_OK);
        free(d);
    }
    char *r = strdup(rp_buf_cstr(&b));
    rp_buf_release(&b);
    return r;
}

/* Run in a child process that ends itself (_exit, as abrupt as kill -9 for the store) when a
 * format meets kill_id; returns the child's exit status. */
static int run_killed(struct fx *f, const char *db, const char *root, const char *kill_id,
                      unsigned jobs, size_t batch_rows)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        struct rp_store *st = NULL;
        struct rp_errbuf eb = {0};
        if (rp_store_new(pth(f, db), RP_STORE_RDWR, &st, &eb) != RP_OK ||
            rp_store_exec(st, schema, &eb) != RP_OK)
            _exit(10);
        const char *paths[] = {pth(f, root)};
        struct rp_ingest_opts o;
        struct rp_ingest_summary s;
        opts_for(&o, paths, 1);
        o.jobs = jobs;
        o.batch_rows = batch_rows;
        g_kill_id = kill_id;
        rp_err e = rp_ingest_run(st, &o, &s, &eb);
        rp_store_free(st);
        _exit(e ? 11 : 0);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    return WEXITSTATUS(status);
}

static void test_run_kill_and_resume(void **state)
{
    struct fx *f = *state;
    make_big_tree(f, "big", 12, 40);
    const char *paths[] = {pth(f, "big")};
    struct rp_ingest_opts o;
    struct rp_ingest_summary s;
    struct rp_errbuf eb = {0};

    /* the uninterrupted run */
    struct rp_store *st = open_store(f, "ref.db");
    opts_for(&o, paths, 1);
    assert_int_equal(run(st, &o, &s, &eb), RP_OK);
    assert_string_equal(sumline(&s), "files 12/12/0/0/0/0/0 tjson 320/640/0/1/0 "
                                     "tline 160/160/0/1/0 total 480/2/0");
    char *want = dump_all(f, st);
    rp_store_free(st);

    /* killed at the first record, mid-file, in a line file, near the end; then once more in
     * the resumed run, later in the same file (the only place sure not to be committed yet
     * when other files run in parallel); each time the next run must end with exactly the
     * reference */
    static const struct {
        const char *kill1, *kill2;
        unsigned jobs;
        size_t batch;
    } cases[] = {
        {"E0_0", NULL, 1, 1},   {"E4_20", NULL, 2, 1},    {"L5_7", "L5_30", 2, 3},
        {"E10_39", NULL, 2, 7}, {"E1_25", "E1_33", 1, 2}, {"E7_3", "E7_38", 2, 50},
    };
    for (size_t c = 0; c < RP_ARRAY_LEN(cases); c++) {
        char db[32];
        snprintf(db, sizeof db, "k%zu.db", c);
        assert_int_equal(run_killed(f, db, "big", cases[c].kill1, cases[c].jobs, cases[c].batch),
                         77);
        if (cases[c].kill2)
            assert_int_equal(
                run_killed(f, db, "big", cases[c].kill2, cases[c].jobs, cases[c].batch), 77);
        st = open_store(f, db);
        o.jobs = cases[c].jobs;
        o.batch_rows = cases[c].batch;
        assert_int_equal(run(st, &o, &s, &eb), RP_OK);
        assert_int_equal(s.files_failed + s.files_unknown, 0);
        char *got = dump_all(f, st);
        assert_string_equal(got, want);
        free(got);
        /* and a further run stores nothing */
        assert_int_equal(run(st, &o, &s, &eb), RP_OK);
        assert_int_equal(s.files_skipped, 12);
        assert_int_equal(s.records, 0);
        rp_store_free(st);
    }
    free(want);
}

static void test_run_jobs_same_rows(void **state)
{
    struct fx *f = *state;
    make_big_tree(f, "big", 9, 25);
    const char *paths[] = {pth(f, "big")};
    struct rp_ingest_opts o;
    struct rp_ingest_summary s1, s2;
    struct rp_errbuf eb = {0};
    struct rp_store *a = open_store(f, "a.db"), *b = open_store(f, "b.db");
    opts_for(&o, paths, 1);
    o.jobs = 1;
    assert_int_equal(run(a, &o, &s1, &eb), RP_OK);
    o.jobs = 2;
    o.batch_rows = 4;
    assert_int_equal(run(b, &o, &s2, &eb), RP_OK);
    assert_string_equal(sumline(&s1), sumline(&s2));
    char *da = dump_all(f, a), *db = dump_all(f, b);
    assert_string_equal(da, db);
    free(da);
    free(db);
    rp_store_free(a);
    rp_store_free(b);
}

/* ---- filters -----------------------------------------------------------------------------------
 */

static void test_run_filters_prune(void **state)
{
    struct fx *f = *state;
    char buf[256];
    int64_t d5 = 1709596800000LL; /* 2024-03-05T00:00:00Z */
    struct {
        const char *rel, *id;
        int64_t ts;
    } keep[] = {
        {"AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/05/k1.json", "k1", d5 + 3600000},
        {"AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/06/k2.json", "k2", d5 + 86400000},
        /* day(U) + 1 is read for late deliveries; its record is then filtered by time */
        {"AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/07/k3.json", "k3", d5 + 2 * 86400000},
        /* no layout: read, record filtered by its own time */
        {"flat/k4.json", "k4", d5 - 86400000},
        {"flat/k5.json", "k5", d5 + 7200000},
    };
    for (size_t i = 0; i < RP_ARRAY_LEN(keep); i++) {
        snprintf(buf, sizeof buf, "{\"id\":\"%s\",\"ts\":%lld}\n", keep[i].id,
                 (long long)keep[i].ts);
        puts_(f, keep[i].rel, buf);
    }
    /* pruned: directories hold a FIFO (a walk into them would report it) and files hold bytes
     * no format knows (opening them would reject them) */
    const char *pruned_dirs[] = {
        "AWSLogs/999999999999",
        "AWSLogs/111122223333/CloudTrail/eu-west-1",
        "AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/04",
        "AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/08",
        "AWSLogs/111122223333/CloudTrail/us-east-1/2024/02",
        "AWSLogs/111122223333/CloudTrail/us-east-1/2023",
    };
    for (size_t i = 0; i < RP_ARRAY_LEN(pruned_dirs); i++) {
        char rel[512];
        snprintf(rel, sizeof rel, "%s/x/fifo", pruned_dirs[i]);
        mkparents(pth(f, rel));
        assert_int_equal(mkfifo(pth(f, rel), 0600), 0);
        snprintf(rel, sizeof rel, "%s/junk.bin", pruned_dirs[i]);
        put(f, rel, "\x01\x02\x00\xff", 4);
    }
    /* CloudTrail digest files are not events: their directory is not entered, and a digest
     * file met elsewhere is left out like a filtered one */
    mkparents(pth(f, "AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2024/03/05/x/fifo"));
    assert_int_equal(
        mkfifo(pth(f, "AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2024/03/05/x/fifo"), 0600),
        0);
    puts_(f, "flat/111122223333_CloudTrail-Digest_us-east-1_t_us-east-1_20240305T010203Z.json",
          "{\"digestPublicKeyFingerprint\":\"00\"}");
    /* pruned by file name (no key around it) */
    puts_(f, "flat/999999999999_CloudTrail_us-east-1_20240305T0100Z_r.json", "\x01\x02");
    puts_(f, "flat/111122223333_CloudTrail_us-east-1_20240303T0100Z_r.json", "\x01\x02");

    struct rp_store *st = open_store(f, "s.db");
    const char *paths[] = {pth(f, "AWSLogs"), pth(f, "flat")};
    const char *accts[] = {"111122223333"};
    const char *regions[] = {"us-east-1", "us-west-2"};
    struct rp_ingest_opts o;
    struct rp_ingest_summary s;
    struct rp_errbuf eb = {0};
    opts_for(&o, paths, 2);
    o.accounts = accts;
    o.naccounts = 1;
    o.regions = regions;
    o.nregions = 2;
    o.since_ms = d5;
    o.until_ms = d5 + 86400000 + 1;
    assert_int_equal(run(st, &o, &s, &eb), RP_OK);
    assert_string_equal(sumline(&s), "files 8/5/0/3/0/0/0 tjson 3/3/0/0/2 tline 0/0/0/0/0 "
                                     "total 3/0/0");
    EXPECT_DUMP(f, st, "SELECT id FROM t_events ORDER BY id", "k1\nk2\nk5\n");
    EXPECT_DUMP(f, st, Q_REJ, "");
    EXPECT_DUMP(f, st, "SELECT count(*) FROM ingest_checkpoints", "5\n");
    rp_store_free(st);
}

/* ---- bad input
 * ----------------------------------------------------------------------------------- */

static void test_run_bad_inputs(void **state)
{
    struct fx *f = *state;
    /* truncated gzip: the records before the damage are kept */
    struct rp_buf big;
    rp_buf_init(&big, 0);
    assert_int_equal(rp_buf_append_str(&big, "{\"Records\":["), RP_OK);
    for (int i = 0; i < 200; i++)
        assert_int_equal(rp_buf_printf(&big, "%s{\"id\":\"g%03d\",\"ts\":%d,\"v\":\"%0100d\"}",
                                       i ? "," : "", i, i, i),
                         RP_OK);
    assert_int_equal(rp_buf_append_str(&big, "]}"), RP_OK);
    put_gz(f, "bad/01-truncated.json.gz", rp_buf_cstr(&big), 50);
    rp_buf_release(&big);
    /* a broken record in the middle of a Records array */
    puts_(f, "bad/02-broken.json",
          "{\"Records\":[{\"id\":\"b1\",\"ts\":1},\n{\"id\":\"b2\",,\"ts\":2},\n"
          "{\"id\":\"b3\",\"ts\":3}]}");
    /* invalid UTF-8 in a string */
    puts_(f, "bad/03-utf8.json", "{\"id\":\"u1\",\"ts\":1}\n{\"id\":\"u\xff\xfe\",\"ts\":2}\n");
    /* a 50 MB string */
    size_t n50 = 50u << 20;
    char *s50 = malloc(n50 + 64);
    assert_non_null(s50);
    size_t k = (size_t)snprintf(s50, 64, "{\"id\":\"huge\",\"ts\":1,\"v\":\"");
    memset(s50 + k, 'a', n50 - k - 3);
    memcpy(s50 + n50 - 3, "\"}\n", 3);
    memcpy(s50 + n50, "{\"id\":\"after\",\"ts\":2}\n", 22);
    put(f, "bad/04-huge.json", s50, n50 + 22);
    free(s50);
    /* 10,000-deep nesting */
    struct rp_buf deep;
    rp_buf_init(&deep, 0);
    assert_int_equal(rp_buf_append_str(&deep, "{\"id\":\"deep\",\"ts\":1,\"x\":"), RP_OK);
    for (int i = 0; i < 10000; i++) assert_int_equal(rp_buf_putc(&deep, '['), RP_OK);
    for (int i = 0; i < 10000; i++) assert_int_equal(rp_buf_putc(&deep, ']'), RP_OK);
    assert_int_equal(rp_buf_append_str(&deep, "}\n{\"id\":\"shallow\",\"ts\":2}\n"), RP_OK);
    put(f, "bad/05-deep.json", deep.data, deep.len);
    rp_buf_release(&deep);
    /* an empty file, a binary file, a gzip file of nothing */
    put(f, "bad/06-empty.json", "", 0);
    put(f, "bad/06-empty-too.json", "", 0); /* same (no) bytes, yet not a duplicate */
    put(f, "bad/07-binary.bin",
        "\x7f"
        "ELF\x02\x01\x01\x00\x00\x00\x00\x00\xff\xfe",
        14);
    put_gz(f, "bad/08-empty.json.gz", "", 100);
    /* a line with the wrong field count */
    puts_(f, "bad/09-lines.log", "#tline h\n1 a b\n2 c\n3 e f g\n4 h i\n");

    struct rp_store *st = open_store(f, "s.db");
    const char *paths[] = {pth(f, "bad")};
    struct rp_ingest_opts o;
    struct rp_ingest_summary s;
    struct rp_errbuf eb = {0};
    opts_for(&o, paths, 1);
    assert_int_equal(run(st, &o, &s, &eb), RP_OK);
    assert_true(rp_ingest_summary_partial(&s));
    EXPECT_DUMP(f, st, "SELECT id FROM t_events WHERE id NOT LIKE 'g%' ORDER BY id",
                "after\nb1\nb3\nshallow\nu1\n");
    EXPECT_DUMP(f, st, Q_LINES, "1|a|b| h\n4|h|i| h\n");
    EXPECT_DUMP(
        f, st, Q_REJ,
        "T/bad/01-truncated.json.gz|tjson|12386|1|gzip data truncated after 12397 decoded "
        "bytes|11|11|0\n"
        "T/bad/02-broken.json|tjson|43|2|json: unexpected character ',' at offset 43|19|19|0\n"
        "T/bad/03-utf8.json|tjson|27|2|json: invalid UTF-8 at offset 27|19|19|0\n"
        "T/bad/04-huge.json|tjson|0|1|record larger than 16 MiB|65536|52428799|1\n"
        "T/bad/05-deep.json|tjson|280|1|json: nesting deeper than the limit of 256 at offset "
        "280|20025|20025|0\n"
        "T/bad/06-empty-too.json|NULL|NULL|NULL|empty file|0|0|0\n"
        "T/bad/06-empty.json|NULL|NULL|NULL|empty file|0|0|0\n"
        "T/bad/07-binary.bin|NULL|NULL|NULL|no known format|14|14|0\n"
        "T/bad/08-empty.json.gz|NULL|NULL|NULL|empty file|0|0|0\n"
        "T/bad/09-lines.log|tline|15|3|expected 3 fields, got 2|3|3|0\n"
        "T/bad/09-lines.log|tline|19|4|expected 3 fields, got 4|7|7|0\n");
    /* the records decoded before the gzip damage are kept: g000..g095 */
    EXPECT_DUMP(f, st, "SELECT count(*), min(id), max(id) FROM t_events WHERE id LIKE 'g%'",
                "96|g000|g095\n");
    assert_string_equal(sumline(&s), "files 10/6/0/0/0/0/4 tjson 101/101/0/5/0 "
                                     "tline 2/2/0/2/0 total 103/7/0");
    /* the raw bytes of the huge record are cut at RP_MAX_REJECT_BYTES */
    EXPECT_DUMP(f, st,
                "SELECT CAST(substr(raw, 1, 30) AS TEXT), length(raw) FROM rejects WHERE source "
                "LIKE '%huge%'",
                "{\"id\":\"huge\",\"ts\":1,\"v\":\"aaaaa|65536\n");
    rp_store_free(st);
}

/* ---- walk problems and bad arguments
 * --------------------------------------------------------------- */

static void test_run_walk_problems(void **state)
{
    struct fx *f = *state;
    puts_(f, "w/ok.json", "{\"id\":\"w1\",\"ts\":1}\n");
    assert_int_equal(mkfifo(pth(f, "w/pipe"), 0600), 0);
    assert_int_equal(symlink("ok.json", pth(f, "w/link.json")), 0);
    struct rp_store *st = open_store(f, "s.db");
    const char *paths[] = {pth(f, "w")};
    struct rp_ingest_opts o;
    struct rp_ingest_summary s;
    struct rp_errbuf eb = {0};
    opts_for(&o, paths, 1);
    assert_int_equal(run(st, &o, &s, &eb), RP_OK);
    assert_string_equal(sumline(&s), "files 1/1/0/0/0/2/0 tjson 1/1/0/0/0 tline 0/0/0/0/0 "
                                     "total 1/0/0");
    assert_true(rp_ingest_summary_partial(&s));
    EXPECT_DUMP(f, st, Q_REJ,
                "T/w/link.json|NULL|NULL|NULL|walk: 'T/w/link.json' is a symlink, not "
                "followed|0|0|0\n"
                "T/w/pipe|NULL|NULL|NULL|walk: 'T/w/pipe' is not a regular file or "
                "directory|0|0|0\n");
    /* again: the same rejects, not twice */
    assert_int_equal(run(st, &o, &s, &eb), RP_OK);
    assert_int_equal(s.files_failed, 2);
    EXPECT_DUMP(f, st, "SELECT count(*) FROM rejects", "2\n");

    /* a path that does not exist stops the run before anything is read */
    const char *p2[] = {pth(f, "w"), pth(f, "nope")};
    opts_for(&o, p2, 2);
    assert_int_equal(run(st, &o, &s, &eb), RP_ENOENT);
    char want[512];
    snprintf(want, sizeof want, "ingest: no such file or directory '%s/nope'", f->dir);
    assert_string_equal(eb.msg, want);
    assert_int_equal(s.files_seen, 0);
    /* an unknown --format-in */
    opts_for(&o, paths, 1);
    o.format = "nope";
    assert_int_equal(run(st, &o, &s, &eb), RP_EINVAL);
    assert_string_equal(eb.msg, "ingest: unknown format 'nope'");
    rp_store_free(st);
}

static void test_run_format_forced(void **state)
{
    struct fx *f = *state;
    /* sniffing would call this tline (the header); forced, the lines are not JSON */
    puts_(f, "x/a.txt", "#tline\n{\"id\":\"f1\",\"ts\":1}\n");
    struct rp_store *st = open_store(f, "s.db");
    const char *paths[] = {pth(f, "x")};
    struct rp_ingest_opts o;
    struct rp_ingest_summary s;
    struct rp_errbuf eb = {0};
    opts_for(&o, paths, 1);
    o.format = "tjson";
    assert_int_equal(run(st, &o, &s, &eb), RP_OK);
    EXPECT_DUMP(f, st, "SELECT id FROM t_events", "f1\n");
    EXPECT_DUMP(f, st, Q_REJ, "T/x/a.txt|tjson|0|1|not JSON|6|6|0\n");
    rp_store_free(st);
}

static void progress_count(const struct rp_ingest_summary *s, bool final, void *ctx)
{
    int *n = ctx;
    (void)s;
    if (final)
        n[1]++;
    else
        n[0]++;
}

static void test_run_progress_final(void **state)
{
    struct fx *f = *state;
    make_tree(f);
    struct rp_store *st = open_store(f, "s.db");
    const char *paths[] = {pth(f, "tree")};
    struct rp_ingest_opts o;
    struct rp_ingest_summary s;
    struct rp_errbuf eb = {0};
    int calls[2] = {0, 0};
    opts_for(&o, paths, 1);
    o.progress = progress_count;
    o.progress_ctx = calls;
    assert_int_equal(run(st, &o, &s, &eb), RP_OK);
    assert_int_equal(calls[1], 1); /* exactly one final call; periodic ones depend on timing */
    rp_store_free(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_run_tree_and_rerun, setup, teardown),
        cmocka_unit_test_setup_teardown(test_run_duplicate_delivery, setup, teardown),
        cmocka_unit_test_setup_teardown(test_run_duplicate_records, setup, teardown),
        cmocka_unit_test_setup_teardown(test_run_changed_and_touched, setup, teardown),
        cmocka_unit_test_setup_teardown(test_run_resume_after_failure, setup, teardown),
        cmocka_unit_test_setup_teardown(test_run_kill_and_resume, setup, teardown),
        cmocka_unit_test_setup_teardown(test_run_jobs_same_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_run_filters_prune, setup, teardown),
        cmocka_unit_test_setup_teardown(test_run_bad_inputs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_run_walk_problems, setup, teardown),
        cmocka_unit_test_setup_teardown(test_run_format_forced, setup, teardown),
        cmocka_unit_test_setup_teardown(test_run_progress_final, setup, teardown),
    };
    return cmocka_run_group_tests_name("ingest_run", tests, NULL, NULL);
}
