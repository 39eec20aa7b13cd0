/* SPDX-License-Identifier: Apache-2.0 */
/* query_tab_processes: the processes table of `rampart query`, the host's running processes
 * read from Linux /proc the way osquery's table of the same name reads them (query_table.h,
 * docs/query-connectors.md). Eponymous: `SELECT pid, name, cmdline FROM processes`.
 *
 * filter() lists the pids to visit: those of a `pid = N` or `pid IN (..)` constraint, or every
 * numeric entry of /proc (less those outside integer range constraints on pid), in ascending
 * order. next() reads /proc/<pid>/stat and /proc/<pid>/status; a process that is gone by then
 * is skipped silently, as processes end all the time. path (exe), cmdline and cwd are read
 * only when a query asks for them; unreadable ones (another user's process, a kernel thread)
 * are NULL. The agent will extend the host tables; this one needs no privileges. */
#define RP_LOG_MODULE "query"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/rp_buf.h"
#include "core/rp_str.h"
#include "query/query_table.h"
#include "core/rp_banned.h"

#define PROC_MAX_CMDLINE (1u << 20) /* bytes of /proc/<pid>/cmdline read */

enum {
    C_PID,
    C_NAME,
    C_PATH,
    C_CMDLINE,
    C_STATE,
    C_PPID,
    C_UID,
    C_GID,
    C_EUID,
    C_START_TIME,
    C_RESIDENT_SIZE,
    C_TOTAL_SIZE,
    C_THREADS,
    C_CWD,
};

static const struct rp_query_col cols[] = {
    [C_PID] = {"pid", RP_QCOL_INT, RP_QCOL_INDEXED},
    [C_NAME] = {"name", RP_QCOL_TEXT, 0},
    [C_PATH] = {"path", RP_QCOL_TEXT, 0},
    [C_CMDLINE] = {"cmdline", RP_QCOL_TEXT, 0},
    [C_STATE] = {"state", RP_QCOL_TEXT, 0},
    [C_PPID] = {"ppid", RP_QCOL_INT, 0},
    [C_UID] = {"uid", RP_QCOL_INT, 0},
    [C_GID] = {"gid", RP_QCOL_INT, 0},
    [C_EUID] = {"euid", RP_QCOL_INT, 0},
    [C_START_TIME] = {"start_time", RP_QCOL_INT, 0},
    [C_RESIDENT_SIZE] = {"resident_size", RP_QCOL_INT, 0},
    [C_TOTAL_SIZE] = {"total_size", RP_QCOL_INT, 0},
    [C_THREADS] = {"threads", RP_QCOL_INT, 0},
    [C_CWD] = {"cwd", RP_QCOL_TEXT, 0},
};

/* One process, as read by next(). Lazy fields are read on the first column() asking. */
struct proc_row {
    int64_t pid;
    char name[64];
    char state[8];
    int64_t ppid, uid, gid, euid, start_time, rss, vsize, threads;
    bool lazy_done[3]; /* path, cmdline, cwd read (or found unreadable) */
    char *lazy[3];     /* NULL = unreadable */
    size_t lazy_len[3];
};

struct proc_cur {
    int64_t *pids;
    size_t npids, next;
    int64_t btime; /* boot time, epoch seconds */
    long hz, page;
    struct proc_row row;
};

/* Read the small file path into buf[size) (NUL-terminated); the byte count, or -1 with errno. */
static ssize_t read_small(const char *path, char *buf, size_t size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    size_t n = 0;
    while (n + 1 < size) {
        ssize_t k = read(fd, buf + n, size - 1 - n);
        if (k < 0 && errno == EINTR) continue;
        if (k < 0) {
            int e = errno;
            close(fd);
            errno = e;
            return -1;
        }
        if (k == 0) break;
        n += (size_t)k;
    }
    close(fd);
    buf[n] = 0;
    return (ssize_t)n;
}

static bool parse_i64(const char *s, size_t n, int64_t *out)
{
    return rp_str_to_i64((struct rp_str){s, n}, out) == RP_OK;
}

/* /proc/<pid>/stat: "pid (comm) state ppid .. num_threads(20) .. starttime(22) vsize(23)
 * rss(24) ..". comm may hold spaces and parentheses: it ends at the last ')'. */
static bool proc_parse_stat(const char *s, struct proc_row *row, int64_t *starttime_ticks)
{
    const char *open = strchr(s, '(');
    const char *close = strrchr(s, ')');
    if (!open || !close || close < open) return false;
    size_t nlen = (size_t)(close - open - 1);
    if (nlen >= sizeof row->name) nlen = sizeof row->name - 1;
    memcpy(row->name, open + 1, nlen);
    row->name[nlen] = 0;
    /* fields from 3 (state) on, separated by single spaces */
    struct rp_str rest = rp_str_trim(rp_str_from(close + 1)), tok;
    int field = 3;
    bool ok = false;
    while (rp_str_split_next(&rest, ' ', &tok) && field <= 24) {
        int64_t v = 0;
        if (field == 3) {
            size_t k = tok.len < sizeof row->state ? tok.len : sizeof row->state - 1;
            memcpy(row->state, tok.p, k);
            row->state[k] = 0;
        } else if (field == 4 || field == 20 || field == 22 || field == 23 || field == 24) {
            if (!parse_i64(tok.p, tok.len, &v)) return false;
            if (field == 4) row->ppid = v;
            if (field == 20) row->threads = v;
            if (field == 22) *starttime_ticks = v;
            if (field == 23) row->vsize = v;
            if (field == 24) {
                row->rss = v;
                ok = true;
            }
        }
        field++;
    }
    return ok;
}

/* /proc/<pid>/status: "Tgid:\tN", "Uid:\treal\teffective\tsaved\tfs" and "Gid:\t.." lines.
 * *tgid is the process a thread id belongs to (the pid itself for a process). */
static bool proc_parse_status(const char *s, struct proc_row *row, int64_t *tgid)
{
    bool uid = false, gid = false, tg = false;
    struct rp_str rest = rp_str_from(s), line;
    while (rp_str_split_next(&rest, '\n', &line)) {
        if (rp_str_has_prefix(line, "Tgid:")) {
            struct rp_str v = rp_str_trim((struct rp_str){line.p + 5, line.len - 5});
            if (!parse_i64(v.p, v.len, tgid)) return false;
            tg = true;
            continue;
        }
        bool is_uid = rp_str_has_prefix(line, "Uid:"), is_gid = rp_str_has_prefix(line, "Gid:");
        if (!is_uid && !is_gid) continue;
        struct rp_str f = {line.p + 4, line.len - 4}, tok;
        int64_t v[2] = {0, 0};
        int n = 0;
        while (n < 2 && rp_str_split_next(&f, '\t', &tok)) {
            tok = rp_str_trim(tok);
            if (!tok.len) continue;
            if (!parse_i64(tok.p, tok.len, &v[n])) return false;
            n++;
        }
        if (n < 2) return false;
        if (is_uid) {
            row->uid = v[0];
            row->euid = v[1];
            uid = true;
        } else {
            row->gid = v[0];
            gid = true;
        }
    }
    return uid && gid && tg;
}

/* Boot time in epoch seconds, from the "btime" line of /proc/stat; 0 when unreadable. */
static int64_t boot_time(void)
{
    FILE *f = fopen("/proc/stat", "re");
    if (!f) return 0;
    char *line = NULL;
    size_t cap = 0;
    int64_t bt = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, f)) > 0)
        if (strncmp(line, "btime ", 6) == 0) {
            struct rp_str v = rp_str_trim((struct rp_str){line + 6, (size_t)n - 6});
            if (!parse_i64(v.p, v.len, &bt)) bt = 0;
            break;
        }
    free(line);
    fclose(f);
    return bt;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* The value of v as an integer when it is one (an INTEGER, or a REAL with no fraction). */
static bool value_int(sqlite3_value *v, int64_t *out)
{
    if (sqlite3_value_type(v) == SQLITE_INTEGER) {
        *out = sqlite3_value_int64(v);
        return true;
    }
    if (sqlite3_value_type(v) == SQLITE_FLOAT) {
        double d = sqlite3_value_double(v);
        if (d >= -9e18 && d <= 9e18 && d == (double)(int64_t)d) {
            *out = (int64_t)d;
            return true;
        }
    }
    return false;
}

/* Whether pid passes the range constraints that are plain numbers (others are left to SQLite). */
static bool in_range(int64_t pid, const struct rp_query_cons *cons, size_t ncons)
{
    for (size_t i = 0; i < ncons; i++) {
        if (cons[i].col != C_PID || cons[i].op == SQLITE_INDEX_CONSTRAINT_EQ) continue;
        int t = sqlite3_value_type(cons[i].vals[0]);
        if (t != SQLITE_INTEGER && t != SQLITE_FLOAT) continue;
        double v = sqlite3_value_double(cons[i].vals[0]), p = (double)pid;
        if ((cons[i].op == SQLITE_INDEX_CONSTRAINT_GT && !(p > v)) ||
            (cons[i].op == SQLITE_INDEX_CONSTRAINT_GE && !(p >= v)) ||
            (cons[i].op == SQLITE_INDEX_CONSTRAINT_LT && !(p < v)) ||
            (cons[i].op == SQLITE_INDEX_CONSTRAINT_LE && !(p <= v)))
            return false;
    }
    return true;
}

static rp_err push_pid(struct proc_cur *c, size_t *cap, int64_t pid, struct rp_errbuf *eb)
{
    if (c->npids == *cap) {
        size_t ncap = *cap ? 2 * *cap : 256;
        int64_t *np = realloc(c->pids, ncap * sizeof *np);
        if (!np) return rp_fail(eb, RP_ENOMEM, "processes: out of memory");
        c->pids = np;
        *cap = ncap;
    }
    c->pids[c->npids++] = pid;
    return RP_OK;
}

static void row_release(struct proc_row *row)
{
    for (int i = 0; i < 3; i++) rp_free_and_null(row->lazy[i]);
}

static void proc_close(struct rp_query_cur *cur)
{
    struct proc_cur *c = cur->state;
    row_release(&c->row);
    rp_free_and_null(c->pids);
    c->npids = c->next = 0;
}

/* Read the next process that still exists into c->row. */
static rp_err proc_next(struct rp_query_cur *cur, struct rp_errbuf *eb)
{
    struct proc_cur *c = cur->state;
    char path[64];
    char buf[4096];
    for (;;) {
        row_release(&c->row);
        if (c->next >= c->npids) {
            cur->eof = true;
            return RP_OK;
        }
        int64_t pid = c->pids[c->next++];
        struct proc_row *row = &c->row;
        memset(row, 0, sizeof *row);
        row->pid = pid;
        int64_t ticks = 0;
        snprintf(path, sizeof path, "/proc/%lld/stat", (long long)pid);
        if (read_small(path, buf, sizeof buf) <= 0 || !proc_parse_stat(buf, row, &ticks)) continue;
        snprintf(path, sizeof path, "/proc/%lld/status", (long long)pid);
        int64_t tgid = 0;
        if (read_small(path, buf, sizeof buf) <= 0 || !proc_parse_status(buf, row, &tgid)) continue;
        if (tgid != pid) continue; /* `pid = N` named a thread, which a full scan never lists */
        row->start_time = c->btime + (c->hz > 0 ? ticks / c->hz : 0);
        row->rss *= c->page;
        return RP_OK;
    }
}

/* Every process of /proc within the integer range constraints on pid. */
static rp_err list_all(struct proc_cur *c, size_t *cap, const struct rp_query_cons *cons,
                       size_t ncons, struct rp_errbuf *eb)
{
    DIR *d = opendir("/proc");
    if (!d) {
        int err = errno;
        return rp_fail(eb, rp_err_from_errno(err), "processes: cannot open '/proc': %s",
                       strerror(err));
    }
    rp_err e = RP_OK;
    struct dirent *de;
    while (!e && (de = readdir(d))) {
        int64_t pid = 0;
        const char *n = de->d_name;
        if (n[0] < '1' || n[0] > '9' || !parse_i64(n, strlen(n), &pid)) continue;
        if (in_range(pid, cons, ncons)) e = push_pid(c, cap, pid, eb);
    }
    closedir(d);
    return e;
}

static rp_err proc_filter(struct rp_query_cur *cur, const struct rp_query_cons *cons, size_t ncons,
                          struct rp_errbuf *eb)
{
    struct proc_cur *c = cur->state;
    proc_close(cur);
    cur->eof = false;
    c->hz = sysconf(_SC_CLK_TCK);
    c->page = sysconf(_SC_PAGESIZE);
    c->btime = boot_time();
    size_t cap = 0;
    rp_err e = RP_OK;
    bool listed = false;

    /* pid = N or pid IN (..) with integer values: only those */
    for (size_t i = 0; i < ncons && !listed; i++) {
        if (cons[i].col != C_PID || cons[i].op != SQLITE_INDEX_CONSTRAINT_EQ) continue;
        bool all_int = true;
        for (size_t k = 0; k < cons[i].nvals && all_int; k++) {
            int64_t v = 0;
            all_int = value_int(cons[i].vals[k], &v);
        }
        if (!all_int) continue;
        listed = true;
        for (size_t k = 0; k < cons[i].nvals && !e; k++) {
            int64_t v = 0;
            (void)value_int(cons[i].vals[k], &v);
            if (v > 0 && in_range(v, cons, ncons)) e = push_pid(c, &cap, v, eb);
        }
    }
    if (!listed) e = list_all(c, &cap, cons, ncons, eb);
    if (e) return e;
    if (c->npids) qsort(c->pids, c->npids, sizeof *c->pids, cmp_i64);
    size_t o = 0;
    for (size_t i = 0; i < c->npids; i++)
        if (o == 0 || c->pids[i] != c->pids[o - 1]) c->pids[o++] = c->pids[i];
    c->npids = o;
    return proc_next(cur, eb);
}

/* readlink into a fresh string; NULL when unreadable. */
static char *read_link(const char *path, size_t *len)
{
    char buf[RP_MAX_PATH_BYTES];
    ssize_t n = readlink(path, buf, sizeof buf);
    if (n < 0 || (size_t)n >= sizeof buf) return NULL;
    char *s = malloc((size_t)n + 1);
    if (!s) return NULL;
    memcpy(s, buf, (size_t)n);
    s[n] = 0;
    *len = (size_t)n;
    return s;
}

/* /proc/<pid>/cmdline with the NULs between arguments turned into spaces; "" for a kernel
 * thread, NULL when unreadable. */
static char *read_cmdline(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return NULL;
    struct rp_buf b;
    rp_buf_init(&b, PROC_MAX_CMDLINE);
    char chunk[4096];
    bool ok = true;
    for (;;) {
        ssize_t k = read(fd, chunk, sizeof chunk);
        if (k < 0 && errno == EINTR) continue;
        if (k < 0) {
            ok = false;
            break;
        }
        if (k == 0) break;
        size_t room = PROC_MAX_CMDLINE - b.len;
        if (rp_buf_append(&b, chunk, (size_t)k < room ? (size_t)k : room) != RP_OK) {
            ok = false;
            break;
        }
        if (b.len == PROC_MAX_CMDLINE) break;
    }
    close(fd);
    if (!ok) {
        rp_buf_release(&b);
        return NULL;
    }
    while (b.len && b.data[b.len - 1] == 0) b.len--;
    for (size_t i = 0; i < b.len; i++)
        if (b.data[i] == 0) b.data[i] = ' ';
    rp_buf_truncate(&b, b.len);
    *len = b.len;
    char *s = rp_buf_take(&b, NULL);
    return s ? s : strdup("");
}

static rp_err proc_column(struct rp_query_cur *cur, int col, sqlite3_context *ctx,
                          struct rp_errbuf *eb)
{
    struct proc_cur *c = cur->state;
    struct proc_row *r = &c->row;
    int64_t v = 0;
    switch (col) {
    case C_PID:
        v = r->pid;
        break;
    case C_NAME:
        sqlite3_result_text(ctx, r->name, -1, SQLITE_TRANSIENT);
        return RP_OK;
    case C_STATE:
        sqlite3_result_text(ctx, r->state, -1, SQLITE_TRANSIENT);
        return RP_OK;
    case C_PPID:
        v = r->ppid;
        break;
    case C_UID:
        v = r->uid;
        break;
    case C_GID:
        v = r->gid;
        break;
    case C_EUID:
        v = r->euid;
        break;
    case C_START_TIME:
        v = r->start_time;
        break;
    case C_RESIDENT_SIZE:
        v = r->rss;
        break;
    case C_TOTAL_SIZE:
        v = r->vsize;
        break;
    case C_THREADS:
        v = r->threads;
        break;
    case C_PATH:
    case C_CMDLINE:
    case C_CWD: {
        int k = col == C_PATH ? 0 : col == C_CMDLINE ? 1 : 2;
        if (!r->lazy_done[k]) {
            char path[64];
            static const char *const leaf[3] = {"exe", "cmdline", "cwd"};
            snprintf(path, sizeof path, "/proc/%lld/%s", (long long)r->pid, leaf[k]);
            r->lazy[k] =
                k == 1 ? read_cmdline(path, &r->lazy_len[k]) : read_link(path, &r->lazy_len[k]);
            r->lazy_done[k] = true;
        }
        if (r->lazy[k])
            sqlite3_result_text64(ctx, r->lazy[k], r->lazy_len[k], SQLITE_TRANSIENT, SQLITE_UTF8);
        else
            sqlite3_result_null(ctx);
        return RP_OK;
    }
    default:
        return rp_fail(eb, RP_EINTERNAL, "processes: no column %d", col);
    }
    sqlite3_result_int64(ctx, v);
    return RP_OK;
}

static double proc_estimate(const struct rp_query_tabinfo *ti, uint64_t eq_cols,
                            uint64_t range_cols)
{
    if (eq_cols & (1u << C_PID)) return 1;
    if (range_cols & (1u << C_PID)) return 300;
    return 1000;
}

const struct rp_query_table rp_qtab_processes = {
    .name = "processes",
    .summary = "running processes of this host, from /proc (pid, name, path, cmdline, uids, "
               "sizes, start time)",
    .cols = cols,
    .ncols = RP_ARRAY_LEN(cols),
    .cursor_size = sizeof(struct proc_cur),
    .filter = proc_filter,
    .next = proc_next,
    .column = proc_column,
    .close = proc_close,
    .estimate = proc_estimate,
};
