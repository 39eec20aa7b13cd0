/* SPDX-License-Identifier: Apache-2.0 */
/* The results directory of `rampart query` (query.h, "results directory"), laid out as Athena
 * lays out its output bucket: <id>.csv holds the rows of a query (every non-NULL field quoted,
 * as Athena writes them) and <id>.csv.metadata.json what GetQueryExecution and the
 * ResultSetMetadata of GetQueryResults say about it. History, get-execution and get-results
 * read the directory back; nothing else is kept anywhere.
 *
 * Files appear atomically: the CSV is written under a hidden temporary name (.<id>.csv.XXXXXX)
 * and renamed when the query succeeds; the metadata is written to a temporary file and renamed
 * over its final name. A query killed half-way leaves at most a hidden temporary, which history
 * ignores. Ids are checked to be made of [0-9A-Za-z_-] before they become part of a path.
 * Statistics.Rows is the number of rows in the saved CSV when there is one (what get-results
 * returns), else the caller's count. Reading back types each value by its column's saved
 * Athena type (bigint -> INT, double -> REAL, varbinary -> BLOB) when the text reads as one.
 * The layout and the JSON are described in docs/query-results.md. */
#define RP_LOG_MODULE "query"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/rp_buf.h"
#include "core/rp_hash.h"
#include "core/rp_json.h"
#include "core/rp_str.h"
#include "core/rp_time.h"
#include "query/query.h"
#include "core/rp_banned.h"

#define META_SUFFIX    ".csv.metadata.json"
#define META_MAX_BYTES (64u << 20) /* one metadata file (the query text is in it) */
#define CSV_CHUNK      (64u << 10)

/* ---- ids and paths ---------------------------------------------------------------------- */

rp_err rp_query_id_new(char out[37])
{
    return rp_uuid_new(out);
}

/* An id that can be part of a file name: 1..36 of [0-9A-Za-z_-]. */
static bool id_ok(const char *id)
{
    size_t n = 0;
    for (; id && id[n]; n++) {
        char c = id[n];
        bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                  c == '-' || c == '_';
        if (!ok || n >= 36) return false;
    }
    return n > 0;
}

/* malloc'd "<a>/<b><c>". NULL on allocation failure. */
static char *path_join(const char *a, const char *b, const char *c)
{
    size_t n = strlen(a) + strlen(b) + strlen(c) + 2;
    char *p = malloc(n);
    if (p) snprintf(p, n, "%s/%s%s", a, b, c);
    return p;
}

/* mkdir -p dir, new directories with mode 0700. */
static rp_err make_dirs(const char *dir, struct rp_errbuf *eb)
{
    size_t n = strlen(dir);
    if (n == 0) return rp_fail(eb, RP_EINVAL, "query: empty results directory");
    char *p = strdup(dir);
    if (!p) return rp_fail(eb, RP_ENOMEM, "query: out of memory");
    rp_err e = RP_OK;
    for (size_t i = 1; i <= n && !e; i++) {
        if (p[i] != '/' && p[i] != '\0') continue;
        char keep = p[i];
        p[i] = '\0';
        if (mkdir(p, 0700) != 0 && errno != EEXIST)
            e = rp_fail(eb, RP_EIO, "query: cannot create directory '%s': %s", p, strerror(errno));
        p[i] = keep;
    }
    free(p);
    if (e) return e;
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return rp_fail(eb, RP_EIO, "query: '%s' is not a directory", dir);
    return RP_OK;
}

static rp_err write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return RP_EIO;
        p += w;
        n -= (size_t)w;
    }
    return RP_OK;
}

/* Write data to <dir>/<name> through a temporary file and rename(2), so the file is either
 * absent, the old one, or complete. Mode 0600. */
static rp_err write_atomic(const char *dir, const char *name, const char *data, size_t len,
                           struct rp_errbuf *eb)
{
    char *final = path_join(dir, name, "");
    size_t tn = strlen(dir) + strlen(name) + 10;
    char *tmpx = malloc(tn);
    rp_err e = RP_OK;
    if (!final || !tmpx) {
        e = rp_fail(eb, RP_ENOMEM, "query: out of memory");
        goto out;
    }
    snprintf(tmpx, tn, "%s/.%s.XXXXXX", dir, name);
    int fd = mkstemp(tmpx);
    if (fd < 0) {
        e = rp_fail(eb, RP_EIO, "query: cannot write '%s': %s", final, strerror(errno));
        goto out;
    }
    int err = 0;
    if (write_all(fd, data, len) != RP_OK || fsync(fd) != 0) err = errno ? errno : EIO;
    if (close(fd) != 0 && !err) err = errno;
    if (!err && rename(tmpx, final) != 0) err = errno;
    if (err) {
        unlink(tmpx);
        e = rp_fail(eb, RP_EIO, "query: cannot write '%s': %s", final, strerror(err));
    }
out:
    free(final);
    free(tmpx);
    return e;
}

/* Read the file at path into b (initialised here, capped at max). RP_ENOENT when missing. */
static rp_err read_file(const char *path, struct rp_buf *b, size_t max, struct rp_errbuf *eb)
{
    rp_buf_init(b, max);
    FILE *f = fopen(path, "rb");
    if (!f) {
        int err = errno;
        return rp_fail(eb, err == ENOENT ? RP_ENOENT : RP_EIO, "query: cannot read '%s': %s", path,
                       strerror(err));
    }
    char chunk[8192];
    size_t n;
    rp_err e = RP_OK;
    while (!e && (n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        e = rp_buf_append(b, chunk, n);
        if (e == RP_ELIMIT)
            e = rp_fail(eb, RP_ELIMIT, "query: '%s' is larger than %zu bytes", path, max);
        else if (e)
            e = rp_fail(eb, e, "query: cannot read '%s': %s", path, rp_strerror(e));
    }
    if (!e && ferror(f)) e = rp_fail(eb, RP_EIO, "query: cannot read '%s': %s", path, "I/O error");
    fclose(f);
    if (e) rp_buf_release(b);
    return e;
}

/* ---- pretty JSON (the AWS CLI's layout: 4-space indent, ": " and ",") --------------------- */

static rp_err indent(struct rp_buf *out, size_t n)
{
    rp_err e = RP_OK;
    for (size_t i = 0; i < n && !e; i++) e = rp_buf_putc(out, ' ');
    return e;
}

static rp_err pretty(struct rp_buf *out, struct rp_json_val v, size_t ind)
{
    enum rp_json_type t = rp_json_type(v);
    rp_err e = RP_OK;
    if ((t == RP_JSON_OBJECT || t == RP_JSON_ARRAY) && rp_json_len(v) > 0) {
        bool obj = t == RP_JSON_OBJECT;
        struct rp_json_iter it;
        struct rp_json_val el;
        struct rp_str key = {0};
        e = obj ? rp_json_obj_iter(v, &it) : rp_json_arr_iter(v, &it);
        if (!e) e = rp_buf_append_str(out, obj ? "{\n" : "[\n");
        bool first = true;
        while (!e && (obj ? rp_json_obj_next(&it, &key, &el) : rp_json_arr_next(&it, &el))) {
            if (!first) e = rp_buf_append_str(out, ",\n");
            first = false;
            if (!e) e = indent(out, ind + 4);
            if (!e && obj) {
                struct rp_json_writer w;
                rp_json_writer_init(&w, out);
                rp_json_write_str(&w, key.p, key.len);
                e = rp_json_writer_finish(&w);
                if (!e) e = rp_buf_append_str(out, ": ");
            }
            if (!e) e = pretty(out, el, ind + 4);
        }
        if (!e) e = rp_buf_putc(out, '\n');
        if (!e) e = indent(out, ind);
        if (!e) e = rp_buf_putc(out, obj ? '}' : ']');
        return e;
    }
    struct rp_json_writer w;
    rp_json_writer_init(&w, out);
    rp_json_write_val(&w, v);
    return rp_json_writer_finish(&w);
}

/* Member at a dotted path ("Status.State") of v. */
static bool member(struct rp_json_val v, const char *path, struct rp_json_val *out)
{
    struct rp_str rest = rp_str_from(path), tok;
    while (rp_str_split_next(&rest, '.', &tok))
        if (rp_json_obj_getn(v, tok.p, tok.len, &v) != RP_OK) return false;
    *out = v;
    return true;
}

static bool member_str(struct rp_json_val v, const char *path, struct rp_str *out)
{
    struct rp_json_val m;
    return member(v, path, &m) && rp_json_get_str(m, out) == RP_OK;
}

static int64_t member_i64(struct rp_json_val v, const char *path)
{
    struct rp_json_val m;
    int64_t x = 0;
    if (!member(v, path, &m) || rp_json_get_i64(m, &x) != RP_OK) return 0;
    return x;
}

/* ---- metadata --------------------------------------------------------------------------- */

static void write_time(struct rp_json_writer *w, const char *k, int64_t ms)
{
    char buf[RP_TIME_ISO_BUFSZ];
    if (rp_time_format_iso(ms, buf, sizeof buf) != RP_OK) {
        rp_json_write_kv_null(w, k);
        return;
    }
    rp_json_write_kv_cstr(w, k, buf);
}

/* The metadata document of x (compact) into out. output: the CSV path or NULL; the columns
 * describe it (ncols 0 when there is no CSV). */
static rp_err build_meta(struct rp_buf *out, const struct rp_query_execution *x, const char *output,
                         size_t ncols, char *const *names, char *const *types)
{
    struct rp_json_writer w;
    rp_json_writer_init(&w, out);
    rp_json_write_obj_begin(&w);
    rp_json_write_key(&w, "QueryExecution", 14);
    rp_json_write_obj_begin(&w);
    rp_json_write_kv_cstr(&w, "QueryExecutionId", x->id);
    rp_json_write_kv_cstr(&w, "Query", x->query ? x->query : "");
    rp_json_write_kv_cstr(&w, "StatementType", "DML");
    rp_json_write_key(&w, "ResultConfiguration", 19);
    rp_json_write_obj_begin(&w);
    if (output) rp_json_write_kv_cstr(&w, "OutputLocation", output);
    rp_json_write_obj_end(&w);
    rp_json_write_key(&w, "QueryExecutionContext", 21);
    rp_json_write_obj_begin(&w);
    if (x->database) rp_json_write_kv_cstr(&w, "Database", x->database);
    rp_json_write_obj_end(&w);
    rp_json_write_key(&w, "Status", 6);
    rp_json_write_obj_begin(&w);
    rp_json_write_kv_cstr(&w, "State", x->state);
    if (x->reason) rp_json_write_kv_cstr(&w, "StateChangeReason", x->reason);
    write_time(&w, "SubmissionDateTime", x->submitted_ms);
    write_time(&w, "CompletionDateTime", x->completed_ms);
    rp_json_write_obj_end(&w);
    rp_json_write_key(&w, "Statistics", 10);
    rp_json_write_obj_begin(&w);
    int64_t total = x->completed_ms - x->submitted_ms;
    rp_json_write_kv_int(&w, "EngineExecutionTimeInMillis", x->engine_ms);
    rp_json_write_kv_int(&w, "DataScannedInBytes", x->bytes_scanned);
    rp_json_write_kv_int(&w, "TotalExecutionTimeInMillis", total > 0 ? total : 0);
    rp_json_write_kv_int(&w, "Rows", x->rows);
    rp_json_write_kv_int(&w, "FilesOpened", x->files_opened);
    rp_json_write_kv_int(&w, "FilesPruned", x->files_pruned);
    rp_json_write_kv_int(&w, "DirectoriesPruned", x->dirs_pruned);
    rp_json_write_kv_int(&w, "RecordsRejected", x->records_rejected);
    rp_json_write_obj_end(&w);
    rp_json_write_kv_cstr(&w, "WorkGroup", "primary");
    rp_json_write_obj_end(&w);
    rp_json_write_key(&w, "ResultSetMetadata", 17);
    rp_json_write_obj_begin(&w);
    rp_json_write_key(&w, "ColumnInfo", 10);
    rp_json_write_arr_begin(&w);
    for (size_t i = 0; i < ncols; i++) {
        const char *type = types[i] ? types[i] : "varchar";
        rp_json_write_obj_begin(&w);
        rp_json_write_kv_cstr(&w, "CatalogName", "rampart");
        rp_json_write_kv_cstr(&w, "SchemaName", "");
        rp_json_write_kv_cstr(&w, "TableName", "");
        rp_json_write_kv_cstr(&w, "Name", names[i]);
        rp_json_write_kv_cstr(&w, "Label", names[i]);
        rp_json_write_kv_cstr(&w, "Type", type);
        rp_json_write_kv_int(&w, "Precision", 0);
        rp_json_write_kv_int(&w, "Scale", 0);
        rp_json_write_kv_cstr(&w, "Nullable", "UNKNOWN");
        rp_json_write_kv_bool(&w, "CaseSensitive", strcmp(type, "varchar") == 0);
        rp_json_write_obj_end(&w);
    }
    rp_json_write_arr_end(&w);
    rp_json_write_obj_end(&w);
    rp_json_write_obj_end(&w);
    return rp_json_writer_finish(&w);
}

/* Write <dir>/<x->id>.csv.metadata.json, pretty-printed. */
static rp_err write_meta(const char *dir, const struct rp_query_execution *x, const char *output,
                         size_t ncols, char *const *names, char *const *types, struct rp_errbuf *eb)
{
    if (!id_ok(x->id)) return rp_fail(eb, RP_EINVAL, "query: bad query id '%s'", x->id);
    if (!x->state) return rp_fail(eb, RP_EINVAL, "query: query '%s' has no state", x->id);
    struct rp_buf compact, out;
    rp_buf_init(&compact, 0);
    rp_buf_init(&out, 0);
    struct rp_json_parser *jp = rp_json_parser_new();
    struct rp_json_val root;
    rp_err e = jp ? build_meta(&compact, x, output, ncols, names, types) : RP_ENOMEM;
    if (!e) e = rp_json_parse_buf(jp, &compact, &root, NULL);
    if (!e) e = pretty(&out, root, 0);
    if (!e) e = rp_buf_putc(&out, '\n');
    if (e) {
        e = rp_fail(eb, e, "query: cannot build the metadata of '%s': %s", x->id, rp_strerror(e));
    } else {
        char name[64];
        snprintf(name, sizeof name, "%s" META_SUFFIX, x->id);
        e = write_atomic(dir, name, out.data, out.len, eb);
    }
    rp_json_parser_free(jp);
    rp_buf_release(&compact);
    rp_buf_release(&out);
    return e;
}

/* ---- writing a result ------------------------------------------------------------------- */

struct rp_query_results {
    char *dir; /* absolute (realpath) */
    char id[37];
    char *tmp_path; /* the CSV being written; NULL before the first statement */
    FILE *csv;      /* open on tmp_path */
    size_t ncols;   /* columns of the last statement */
    int64_t nrows;  /* its rows, written to the CSV */
    char **names;
    char **types;
};

static void free_cols(struct rp_query_results *r)
{
    for (size_t i = 0; i < r->ncols; i++) {
        free(r->names[i]);
        free(r->types[i]);
    }
    rp_free_and_null(r->names);
    rp_free_and_null(r->types);
    r->ncols = 0;
}

rp_err rp_query_results_new(const char *dir, const char *id, struct rp_query_results **out,
                            struct rp_errbuf *eb)
{
    *out = NULL;
    if (!id_ok(id)) return rp_fail(eb, RP_EINVAL, "query: bad query id '%s'", id ? id : "");
    rp_err e = make_dirs(dir, eb);
    if (e) return e;
    struct rp_query_results *r = calloc(1, sizeof *r);
    if (!r) return rp_fail(eb, RP_ENOMEM, "query: out of memory");
    r->dir = realpath(dir, NULL);
    if (!r->dir) {
        int err = errno;
        free(r);
        return rp_fail(eb, RP_EIO, "query: cannot resolve '%s': %s", dir, strerror(err));
    }
    rp_strlcpy(r->id, id, sizeof r->id);
    *out = r;
    return RP_OK;
}

static rp_err csv_io_error(struct rp_query_results *r, struct rp_errbuf *eb)
{
    return rp_fail(eb, RP_EIO, "query: cannot write '%s': %s", r->tmp_path,
                   strerror(errno ? errno : EIO));
}

/* One field as Athena writes it: quoted with '"' doubled; NULL is nothing. */
static void csv_put(FILE *f, const char *v, size_t n, enum rp_query_vtype t)
{
    if (t == RP_QV_NULL || !v) return;
    putc('"', f);
    if (t == RP_QV_BLOB) {
        static const char hex[] = "0123456789abcdef";
        const unsigned char *s = (const unsigned char *)v;
        for (size_t i = 0; i < n; i++) {
            if (i) putc(' ', f);
            putc(hex[s[i] >> 4], f);
            putc(hex[s[i] & 15], f);
        }
    } else {
        size_t run = 0;
        for (size_t i = 0; i < n; i++) {
            if (v[i] != '"') continue;
            fwrite(v + run, 1, i + 1 - run, f);
            run = i;
        }
        fwrite(v + run, 1, n - run, f);
    }
    putc('"', f);
}

static rp_err res_begin(void *ctx, const struct rp_query_columns *cols, struct rp_errbuf *eb)
{
    struct rp_query_results *r = ctx;
    if (!r->csv) {
        size_t n = strlen(r->dir) + strlen(r->id) + 32;
        r->tmp_path = malloc(n);
        if (!r->tmp_path) return rp_fail(eb, RP_ENOMEM, "query: out of memory");
        snprintf(r->tmp_path, n, "%s/.%s.csv.XXXXXX", r->dir, r->id);
        int fd = mkstemp(r->tmp_path);
        if (fd < 0) {
            int err = errno;
            rp_free_and_null(r->tmp_path);
            return rp_fail(eb, RP_EIO, "query: cannot create a file in '%s': %s", r->dir,
                           strerror(err));
        }
        r->csv = fdopen(fd, "w");
        if (!r->csv) {
            close(fd);
            return csv_io_error(r, eb);
        }
    } else {
        /* only the last statement's rows are kept */
        if (fflush(r->csv) != 0 || ftruncate(fileno(r->csv), 0) != 0) return csv_io_error(r, eb);
        rewind(r->csv);
    }
    free_cols(r);
    r->nrows = 0;
    size_t n = cols->ncols;
    r->names = calloc(n ? n : 1, sizeof *r->names);
    r->types = calloc(n ? n : 1, sizeof *r->types);
    if (!r->names || !r->types) {
        free_cols(r);
        return rp_fail(eb, RP_ENOMEM, "query: out of memory");
    }
    r->ncols = n;
    for (size_t i = 0; i < n; i++) {
        const char *t = cols->types && cols->types[i] ? cols->types[i] : "varchar";
        r->names[i] = strdup(cols->names[i] ? cols->names[i] : "");
        r->types[i] = strdup(t);
        if (!r->names[i] || !r->types[i]) {
            free_cols(r);
            return rp_fail(eb, RP_ENOMEM, "query: out of memory");
        }
        if (i) putc(',', r->csv);
        csv_put(r->csv, r->names[i], strlen(r->names[i]), RP_QV_TEXT);
    }
    putc('\n', r->csv);
    return ferror(r->csv) ? csv_io_error(r, eb) : RP_OK;
}

static rp_err res_row(void *ctx, const struct rp_query_row *row, struct rp_errbuf *eb)
{
    struct rp_query_results *r = ctx;
    if (!r->csv) return RP_OK;
    for (size_t i = 0; i < r->ncols; i++) {
        if (i) putc(',', r->csv);
        if (i < row->ncols) csv_put(r->csv, row->vals[i], row->lens[i], row->types[i]);
    }
    putc('\n', r->csv);
    r->nrows++;
    return ferror(r->csv) ? csv_io_error(r, eb) : RP_OK;
}

struct rp_query_sink rp_query_results_sink(struct rp_query_results *r)
{
    struct rp_query_sink s = {res_begin, res_row, NULL, r};
    return s;
}

void rp_query_results_free(struct rp_query_results *r)
{
    if (!r) return;
    if (r->csv) fclose(r->csv);
    if (r->tmp_path) unlink(r->tmp_path);
    free(r->tmp_path);
    free_cols(r);
    free(r->dir);
    free(r);
}

rp_err rp_query_results_finish(struct rp_query_results *r, const struct rp_query_execution *x,
                               struct rp_errbuf *eb)
{
    if (!r) return RP_OK;
    bool ok = x->state && strcmp(x->state, "SUCCEEDED") == 0;
    char *final = NULL;
    rp_err e = RP_OK;
    if (r->csv) {
        int err = 0;
        if (fflush(r->csv) != 0 || ferror(r->csv) || fsync(fileno(r->csv)) != 0)
            err = errno ? errno : EIO;
        if (fclose(r->csv) != 0 && !err) err = errno;
        r->csv = NULL;
        if (err)
            e = rp_fail(eb, RP_EIO, "query: cannot write '%s': %s", r->tmp_path, strerror(err));
        if (!e && ok) {
            final = path_join(r->dir, r->id, ".csv");
            if (!final) {
                e = rp_fail(eb, RP_ENOMEM, "query: out of memory");
            } else if (rename(r->tmp_path, final) != 0) {
                e = rp_fail(eb, RP_EIO, "query: cannot write '%s': %s", final, strerror(errno));
            } else {
                rp_free_and_null(r->tmp_path);
            }
        }
    }
    if (!e) {
        bool csv = final && !r->tmp_path;
        struct rp_query_execution xx = *x;
        rp_strlcpy(xx.id, r->id, sizeof xx.id);
        if (csv) xx.rows = r->nrows; /* the rows get-results will return */
        e = write_meta(r->dir, &xx, csv ? final : NULL, csv ? r->ncols : 0, r->names, r->types, eb);
        if (e && csv) unlink(final); /* no metadata, no result */
    }
    free(final);
    rp_query_results_free(r);
    return e;
}

rp_err rp_query_results_write_failed(const char *dir, const struct rp_query_execution *x,
                                     struct rp_errbuf *eb)
{
    if (!id_ok(x->id)) return rp_fail(eb, RP_EINVAL, "query: bad query id '%s'", x->id);
    rp_err e = make_dirs(dir, eb);
    if (e) return e;
    return write_meta(dir, x, NULL, 0, NULL, NULL, eb);
}

/* ---- history ---------------------------------------------------------------------------- */

static void item_release(struct rp_query_history_item *it)
{
    free(it->query);
    free(it->state);
    free(it->reason);
}

static char *dup_str(struct rp_str s)
{
    char *p = malloc(s.len + 1);
    if (p) {
        memcpy(p, s.p, s.len);
        p[s.len] = '\0';
    }
    return p;
}

/* The history item of the metadata document root, whose file is named for id. RP_EPARSE with
 * the reason in why[] when a field is missing; RP_ENOMEM. */
static rp_err item_from(struct rp_json_val root, const char *id, struct rp_query_history_item *it,
                        char *why, size_t whysz)
{
    static const char *const required[] = {"QueryExecutionId", "Query", "Status.State",
                                           "Status.SubmissionDateTime"};
    struct rp_json_val qe;
    struct rp_str s[4];
    if (!id_ok(id)) {
        snprintf(why, whysz, "not named for a query id");
        return RP_EPARSE;
    }
    if (!member(root, "QueryExecution", &qe)) {
        snprintf(why, whysz, "no QueryExecution");
        return RP_EPARSE;
    }
    for (size_t i = 0; i < RP_ARRAY_LEN(required); i++) {
        if (!member_str(qe, required[i], &s[i])) {
            snprintf(why, whysz, "no string QueryExecution.%s", required[i]);
            return RP_EPARSE;
        }
    }
    if (!rp_str_eq_cstr(s[0], id)) {
        snprintf(why, whysz, "its QueryExecutionId is not '%s'", id);
        return RP_EPARSE;
    }
    struct rp_errbuf teb = {0};
    if (rp_time_parse_iso(s[3], &it->submitted_ms, &teb) != RP_OK) {
        snprintf(why, whysz, "%s", teb.msg);
        return RP_EPARSE;
    }
    struct rp_str t;
    it->completed_ms = it->submitted_ms;
    if (member_str(qe, "Status.CompletionDateTime", &t) &&
        rp_time_parse_iso(t, &it->completed_ms, &teb) != RP_OK) {
        snprintf(why, whysz, "%s", teb.msg);
        return RP_EPARSE;
    }
    rp_strlcpy(it->id, id, sizeof it->id);
    it->engine_ms = member_i64(qe, "Statistics.EngineExecutionTimeInMillis");
    it->bytes_scanned = member_i64(qe, "Statistics.DataScannedInBytes");
    it->rows = member_i64(qe, "Statistics.Rows");
    it->query = dup_str(s[1]);
    it->state = dup_str(s[2]);
    struct rp_str reason;
    bool has_reason = member_str(qe, "Status.StateChangeReason", &reason);
    it->reason = has_reason ? dup_str(reason) : NULL;
    if (!it->query || !it->state || (has_reason && !it->reason)) {
        item_release(it);
        return RP_ENOMEM;
    }
    return RP_OK;
}

static int item_cmp(const void *a, const void *b)
{
    const struct rp_query_history_item *x = a, *y = b;
    if (x->submitted_ms != y->submitted_ms) return x->submitted_ms > y->submitted_ms ? -1 : 1;
    return strcmp(x->id, y->id);
}

rp_err rp_query_history_load(const char *dir, size_t max, struct rp_query_history *out,
                             struct rp_errbuf *eb)
{
    out->items = NULL;
    out->n = 0;
    DIR *d = opendir(dir);
    if (!d) {
        if (errno == ENOENT) return RP_OK;
        return rp_fail(eb, RP_EIO, "query: cannot read '%s': %s", dir, strerror(errno));
    }
    struct rp_json_parser *jp = rp_json_parser_new();
    if (!jp) {
        closedir(d);
        return rp_fail(eb, RP_ENOMEM, "query: out of memory");
    }
    size_t cap = 0;
    rp_err e = RP_OK;
    struct dirent *de;
    while (!e && (de = readdir(d)) != NULL) {
        const char *name = de->d_name;
        size_t n = strlen(name), sl = strlen(META_SUFFIX);
        if (name[0] == '.' || n <= sl || strcmp(name + n - sl, META_SUFFIX) != 0) continue;
        char id[64];
        if (n - sl >= sizeof id) continue;
        memcpy(id, name, n - sl);
        id[n - sl] = '\0';
        char *path = path_join(dir, name, "");
        if (!path) {
            e = rp_fail(eb, RP_ENOMEM, "query: out of memory");
            break;
        }
        struct rp_buf b;
        struct rp_errbuf feb = {0};
        struct rp_json_val root;
        char why[RP_MAX_ERRMSG] = "";
        struct rp_query_history_item it;
        memset(&it, 0, sizeof it);
        rp_err fe = read_file(path, &b, META_MAX_BYTES, &feb);
        if (!fe) fe = rp_json_parse_buf(jp, &b, &root, &feb);
        if (fe) {
            snprintf(why, sizeof why, "%s", feb.msg);
        } else {
            fe = item_from(root, id, &it, why, sizeof why);
        }
        rp_buf_release(&b);
        if (fe == RP_ENOMEM) {
            e = rp_fail(eb, RP_ENOMEM, "query: out of memory");
        } else if (fe) {
            fprintf(stderr, "rampart: warning: query: skipping '%s': %s\n", path, why);
        } else {
            if (out->n == cap) {
                size_t nc = cap ? 2 * cap : 16;
                struct rp_query_history_item *ni = realloc(out->items, nc * sizeof *ni);
                if (!ni) {
                    item_release(&it);
                    e = rp_fail(eb, RP_ENOMEM, "query: out of memory");
                    free(path);
                    break;
                }
                out->items = ni;
                cap = nc;
            }
            out->items[out->n++] = it;
        }
        free(path);
    }
    closedir(d);
    rp_json_parser_free(jp);
    if (e) {
        rp_query_history_free(out);
        return e;
    }
    if (out->n) qsort(out->items, out->n, sizeof *out->items, item_cmp);
    while (max && out->n > max) item_release(&out->items[--out->n]);
    return RP_OK;
}

void rp_query_history_free(struct rp_query_history *h)
{
    if (!h) return;
    for (size_t i = 0; i < h->n; i++) item_release(&h->items[i]);
    rp_free_and_null(h->items);
    h->n = 0;
}

/* ---- reading a query back --------------------------------------------------------------- */

/* Parse the metadata of query id in dir with jp (its buffer in *b, released by the caller).
 * RP_ENOENT "query: no query 'id' in 'dir'", RP_EPARSE. */
static rp_err load_meta(const char *dir, const char *id, struct rp_json_parser *jp,
                        struct rp_buf *b, struct rp_json_val *qe, struct rp_json_val *root,
                        struct rp_errbuf *eb)
{
    rp_buf_init(b, 0);
    if (!id_ok(id)) return rp_fail(eb, RP_ENOENT, "query: no query '%s' in '%s'", id, dir);
    char *path = path_join(dir, id, META_SUFFIX);
    if (!path) return rp_fail(eb, RP_ENOMEM, "query: out of memory");
    struct rp_errbuf feb = {0};
    rp_err e = read_file(path, b, META_MAX_BYTES, &feb);
    if (e == RP_ENOENT) {
        e = rp_fail(eb, RP_ENOENT, "query: no query '%s' in '%s'", id, dir);
    } else if (e) {
        rp_fail(eb, e, "%s", feb.msg);
    } else if ((e = rp_json_parse_buf(jp, b, root, &feb)) != RP_OK) {
        e = rp_fail(eb, RP_EPARSE, "query: cannot read '%s': %s", path, feb.msg);
    } else if (!member(*root, "QueryExecution", qe) || rp_json_type(*qe) != RP_JSON_OBJECT) {
        e = rp_fail(eb, RP_EPARSE, "query: cannot read '%s': no QueryExecution", path);
    }
    free(path);
    return e;
}

rp_err rp_query_execution_print(const char *dir, const char *id, FILE *f, struct rp_errbuf *eb)
{
    struct rp_json_parser *jp = rp_json_parser_new();
    if (!jp) return rp_fail(eb, RP_ENOMEM, "query: out of memory");
    struct rp_buf b, out;
    struct rp_json_val qe, root;
    rp_buf_init(&out, 0);
    rp_err e = load_meta(dir, id, jp, &b, &qe, &root, eb);
    if (!e) {
        e = rp_buf_append_str(&out, "{\n    \"QueryExecution\": ");
        if (!e) e = pretty(&out, qe, 4);
        if (!e) e = rp_buf_append_str(&out, "\n}\n");
        if (e) e = rp_fail(eb, e, "query: cannot print query '%s': %s", id, rp_strerror(e));
    }
    if (!e && (fwrite(out.data, 1, out.len, f) != out.len || fflush(f) != 0))
        e = rp_fail(eb, RP_EIO, "query: cannot write the output: %s", strerror(errno));
    rp_buf_release(&out);
    rp_buf_release(&b);
    rp_json_parser_free(jp);
    return e;
}

/* An RFC 4180 reader over a FILE: fields separated by ',', records by LF or CRLF, a field in
 * double quotes may hold anything with '"' doubled. Unquoted empty fields are NULL. */
struct csv_reader {
    FILE *f;
    const char *path;
    unsigned char *buf;
    size_t pos, len;
    size_t line; /* 1-based line of the next byte */
};

static int csv_getc(struct csv_reader *rd)
{
    if (rd->pos == rd->len) {
        rd->len = fread(rd->buf, 1, CSV_CHUNK, rd->f);
        rd->pos = 0;
        if (rd->len == 0) return EOF;
    }
    int c = rd->buf[rd->pos++];
    if (c == '\n') rd->line++;
    return c;
}

struct csv_field {
    size_t off, len;
    bool quoted;
};

/* The next record: field bytes in rec, fields in *fields (grown as needed). *got is false at
 * the end of the input. RP_EPARSE / RP_ELIMIT / RP_ENOMEM / RP_EIO. */
static rp_err csv_record(struct csv_reader *rd, struct rp_buf *rec, struct csv_field **fields,
                         size_t *cap, size_t *nf, bool *got, struct rp_errbuf *eb)
{
    rp_buf_reset(rec);
    *nf = 0;
    *got = false;
    size_t start = rd->line;
    int c = csv_getc(rd);
    if (c == EOF) {
        if (ferror(rd->f))
            return rp_fail(eb, RP_EIO, "query: cannot read '%s': %s", rd->path, strerror(errno));
        return RP_OK;
    }
    *got = true;
    for (;;) {
        if (*nf == *cap) {
            size_t nc = *cap ? 2 * *cap : 16;
            struct csv_field *n = realloc(*fields, nc * sizeof *n);
            if (!n) return rp_fail(eb, RP_ENOMEM, "query: out of memory");
            *fields = n;
            *cap = nc;
        }
        struct csv_field *fl = &(*fields)[(*nf)++];
        fl->off = rec->len;
        fl->quoted = c == '"';
        rp_err e = RP_OK;
        if (fl->quoted) {
            for (;;) {
                c = csv_getc(rd);
                if (c == EOF)
                    return rp_fail(eb, RP_EPARSE, "query: '%s' line %zu: unterminated quoted field",
                                   rd->path, start);
                if (c == '"') {
                    c = csv_getc(rd);
                    if (c != '"') break;
                }
                if ((e = rp_buf_putc(rec, (char)c)) != RP_OK) break;
            }
            if (!e && c != ',' && c != '\n' && c != '\r' && c != EOF)
                return rp_fail(eb, RP_EPARSE,
                               "query: '%s' line %zu: unexpected character after a closing quote",
                               rd->path, rd->line);
        } else {
            while (!e && c != ',' && c != '\n' && c != '\r' && c != EOF) {
                if (c == '"')
                    return rp_fail(eb, RP_EPARSE,
                                   "query: '%s' line %zu: quote in an unquoted field", rd->path,
                                   rd->line);
                e = rp_buf_putc(rec, (char)c);
                c = csv_getc(rd);
            }
        }
        if (e == RP_ELIMIT)
            return rp_fail(eb, RP_ELIMIT, "query: '%s' line %zu: record longer than %u bytes",
                           rd->path, start, (unsigned)RP_MAX_RECORD_BYTES);
        if (e) return rp_fail(eb, e, "query: out of memory");
        fl->len = rec->len - fl->off;
        if (c == ',') {
            c = csv_getc(rd);
            continue;
        }
        if (c == '\r' && csv_getc(rd) != '\n')
            return rp_fail(eb, RP_EPARSE, "query: '%s' line %zu: CR without LF", rd->path,
                           rd->line);
        if (c == EOF && ferror(rd->f))
            return rp_fail(eb, RP_EIO, "query: cannot read '%s': %s", rd->path, strerror(errno));
        return RP_OK;
    }
}

static bool type_is(const char *t, const char *const *set, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(t, set[i]) == 0) return true;
    return false;
}

/* A real as SQLite prints one: a decimal number or Inf / -Inf. */
static bool real_text(const char *s, size_t n)
{
    size_t i = s[0] == '-' ? 1 : 0;
    if (n - i == 3 && memcmp(s + i, "Inf", 3) == 0) return true;
    bool digits = false;
    while (i < n && s[i] >= '0' && s[i] <= '9') i++, digits = true;
    if (i < n && s[i] == '.') {
        i++;
        while (i < n && s[i] >= '0' && s[i] <= '9') i++, digits = true;
    }
    if (!digits) return false;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-')) i++;
        size_t d = i;
        while (i < n && s[i] >= '0' && s[i] <= '9') i++;
        if (i == d) return false;
    }
    return i == n;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Decode "de ad" in place; the byte count, or SIZE_MAX when s is not that form. */
static size_t unhex(char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i += 3) {
        if (i + 2 > n || (i + 2 < n && s[i + 2] != ' ')) return SIZE_MAX;
        int hi = hexval(s[i]), lo = hexval(s[i + 1]);
        if (hi < 0 || lo < 0) return SIZE_MAX;
        s[k++] = (char)(hi << 4 | lo);
    }
    return n && s[n - 1] == ' ' ? SIZE_MAX : k;
}

/* The value type of a saved field in a column of Athena type t (TEXT unless it reads as the
 * column's type). May decode BLOB hex in place and shorten *n. */
static enum rp_query_vtype saved_type(const char *t, char *v, size_t *n)
{
    static const char *const ints[] = {"bigint", "integer", "int", "smallint", "tinyint"};
    static const char *const reals[] = {"double", "real", "float"};
    struct rp_str s = {v, *n};
    int64_t i64;
    if (type_is(t, ints, RP_ARRAY_LEN(ints)))
        return *n && rp_str_to_i64(s, &i64) == RP_OK ? RP_QV_INT : RP_QV_TEXT;
    if (type_is(t, reals, RP_ARRAY_LEN(reals)) || strncmp(t, "decimal", 7) == 0)
        return *n && real_text(v, *n) ? RP_QV_REAL : RP_QV_TEXT;
    if (strcmp(t, "varbinary") == 0) {
        char *copy = malloc(*n ? *n : 1);
        if (!copy) return RP_QV_TEXT;
        memcpy(copy, v, *n);
        size_t k = unhex(copy, *n);
        if (k != SIZE_MAX) {
            memcpy(v, copy, k);
            *n = k;
        }
        free(copy);
        return k != SIZE_MAX ? RP_QV_BLOB : RP_QV_TEXT;
    }
    return RP_QV_TEXT;
}

rp_err rp_query_results_read(const char *dir, const char *id, const struct rp_query_sink *sink,
                             struct rp_errbuf *eb)
{
    struct rp_json_parser *jp = rp_json_parser_new();
    if (!jp) return rp_fail(eb, RP_ENOMEM, "query: out of memory");
    struct rp_buf b, rec;
    rp_buf_init(&rec, RP_MAX_RECORD_BYTES);
    struct rp_json_val qe, root, info;
    struct rp_str state = {0}, reason;
    char **names = NULL, **types = NULL;
    size_t ncols = 0;
    struct csv_field *fields = NULL;
    size_t fcap = 0, nf = 0;
    enum rp_query_vtype *vtypes = NULL;
    const char **vals = NULL;
    size_t *lens = NULL;
    char *path = NULL;
    struct csv_reader rd = {0};
    static char empty[1];
    rp_err e = load_meta(dir, id, jp, &b, &qe, &root, eb);
    if (e) goto out;
    if (!member_str(qe, "Status.State", &state)) {
        e = rp_fail(eb, RP_EPARSE, "query: '%s' has no state", id);
        goto out;
    }
    if (!rp_str_eq_cstr(state, "SUCCEEDED")) {
        if (member_str(qe, "Status.StateChangeReason", &reason))
            e = rp_fail(eb, RP_ENOENT, "query: '%s' %.*s: %.*s", id, (int)state.len, state.p,
                        (int)reason.len, reason.p);
        else
            e = rp_fail(eb, RP_ENOENT, "query: '%s' %.*s", id, (int)state.len, state.p);
        goto out;
    }
    struct rp_str loc;
    if (!member_str(qe, "ResultConfiguration.OutputLocation", &loc)) {
        e = rp_fail(eb, RP_ENOENT, "query: '%s' has no result", id);
        goto out;
    }
    struct rp_json_iter it;
    struct rp_json_val col;
    if (!member(root, "ResultSetMetadata.ColumnInfo", &info) ||
        rp_json_arr_iter(info, &it) != RP_OK) {
        e = rp_fail(eb, RP_EPARSE, "query: the metadata of '%s' has no ColumnInfo", id);
        goto out;
    }
    size_t n = rp_json_len(info);
    names = calloc(n ? n : 1, sizeof *names);
    types = calloc(n ? n : 1, sizeof *types);
    vtypes = calloc(n ? n : 1, sizeof *vtypes);
    vals = calloc(n ? n : 1, sizeof *vals);
    lens = calloc(n ? n : 1, sizeof *lens);
    if (!names || !types || !vtypes || !vals || !lens) {
        e = rp_fail(eb, RP_ENOMEM, "query: out of memory");
        goto out;
    }
    while (rp_json_arr_next(&it, &col)) {
        struct rp_str nm, ty;
        if (!member_str(col, "Name", &nm)) nm = RP_STR_LIT("");
        if (!member_str(col, "Type", &ty)) ty = RP_STR_LIT("varchar");
        names[ncols] = dup_str(nm);
        types[ncols] = dup_str(ty);
        ncols++;
        if (!names[ncols - 1] || !types[ncols - 1]) {
            e = rp_fail(eb, RP_ENOMEM, "query: out of memory");
            goto out;
        }
    }
    path = path_join(dir, id, ".csv");
    if (!path) {
        e = rp_fail(eb, RP_ENOMEM, "query: out of memory");
        goto out;
    }
    rd.path = path;
    rd.line = 1;
    rd.buf = malloc(CSV_CHUNK);
    rd.f = rd.buf ? fopen(path, "rb") : NULL;
    if (!rd.f) {
        int err = rd.buf ? errno : ENOMEM;
        e = rp_fail(eb, err == ENOENT ? RP_ENOENT : RP_EIO, "query: cannot read '%s': %s", path,
                    strerror(err));
        goto out;
    }
    bool got;
    e = csv_record(&rd, &rec, &fields, &fcap, &nf, &got, eb);
    if (e) goto out;
    if (!got || nf != ncols) {
        e = rp_fail(eb, RP_EPARSE, "query: '%s' line 1: %zu header fields, expected %zu", path,
                    got ? nf : 0, ncols);
        goto out;
    }
    struct rp_query_columns cols = {ncols, (const char *const *)names, (const char *const *)types};
    if (sink->begin && (e = sink->begin(sink->ctx, &cols, eb)) != RP_OK) goto out;
    for (;;) {
        size_t line = rd.line;
        e = csv_record(&rd, &rec, &fields, &fcap, &nf, &got, eb);
        if (e || !got) break;
        if (nf != ncols) {
            e = rp_fail(eb, RP_EPARSE, "query: '%s' line %zu: %zu fields, expected %zu", path, line,
                        nf, ncols);
            break;
        }
        for (size_t i = 0; i < ncols; i++) {
            char *v = rec.data ? rec.data + fields[i].off : NULL;
            size_t len = fields[i].len;
            if (!fields[i].quoted && len == 0) {
                vtypes[i] = RP_QV_NULL;
                vals[i] = NULL;
                lens[i] = 0;
                continue;
            }
            if (!v) v = empty; /* a record of empty quoted fields only */
            vtypes[i] = saved_type(types[i], v, &len);
            vals[i] = v;
            lens[i] = len;
        }
        struct rp_query_row row = {ncols, vtypes, vals, lens};
        if (sink->row && (e = sink->row(sink->ctx, &row, eb)) != RP_OK) break;
    }
    if (!e && sink->end) e = sink->end(sink->ctx, &cols, eb);
out:
    if (rd.f) fclose(rd.f);
    free(rd.buf);
    free(path);
    for (size_t i = 0; i < ncols; i++) {
        free(names[i]);
        free(types[i]);
    }
    free(names);
    free(types);
    free(vtypes);
    free(vals);
    free(lens);
    free(fields);
    rp_buf_release(&rec);
    rp_buf_release(&b);
    rp_json_parser_free(jp);
    return e;
}
