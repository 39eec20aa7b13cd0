/* SPDX-License-Identifier: Apache-2.0 */
/* query_tab_listening_ports: the listening_ports table of `rampart query`, the sockets this
 * host accepts traffic on, read from Linux /proc like osquery's table of the same name
 * (query_table.h, docs/query-connectors.md). Eponymous: `SELECT * FROM listening_ports`.
 *
 * filter() reads /proc/net/tcp, tcp6, udp and udp6 (of the reader's network namespace): TCP
 * sockets in LISTEN state, and UDP sockets bound with no remote end, less those outside a
 * `port = N` / `port IN (..)` constraint; rows come sorted by protocol, family, port, address.
 * The owning pid is found only when a query asks for it, by matching the socket inodes with
 * the "socket:[inode]" links of /proc/<pid>/fd/ (the lowest pid when several share a socket;
 * NULL when the owner's fds are not readable, e.g. another user's process). */
#define RP_LOG_MODULE "query"
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/rp_ip.h"
#include "core/rp_str.h"
#include "query/query_table.h"
#include "core/rp_banned.h"

enum { C_PID, C_PORT, C_PROTOCOL, C_FAMILY, C_ADDRESS, C_SOCKET, C_PATH, C_STATE };

static const struct rp_query_col cols[] = {
    [C_PID] = {"pid", RP_QCOL_INT, 0},           [C_PORT] = {"port", RP_QCOL_INT, RP_QCOL_INDEXED},
    [C_PROTOCOL] = {"protocol", RP_QCOL_INT, 0}, [C_FAMILY] = {"family", RP_QCOL_INT, 0},
    [C_ADDRESS] = {"address", RP_QCOL_TEXT, 0},  [C_SOCKET] = {"socket", RP_QCOL_INT, 0},
    [C_PATH] = {"path", RP_QCOL_TEXT, 0},        [C_STATE] = {"state", RP_QCOL_TEXT, 0},
};

struct lp_row {
    int64_t inode;
    int64_t pid; /* 0 = not found */
    int port, protocol, family;
    char address[RP_IP_STRBUFSZ];
};

struct lp_cur {
    struct lp_row *rows;
    size_t nrows, cap, next;
    bool pids_done; /* pids resolved for every row */
};

/* "0100007F:1F90" (IPv4) or 32 hex digits ":" port (IPv6), as the kernel prints them: each
 * 32-bit word of the address in host byte order, the port as a number. */
static bool lp_parse_endpoint(struct rp_str s, struct rp_ip *ip, int *port)
{
    const char *colon = memchr(s.p, ':', s.len);
    if (!colon) return false;
    size_t alen = (size_t)(colon - s.p);
    if (alen != 8 && alen != 32) return false;
    uint8_t b[16] = {0};
    for (size_t w = 0; w < alen / 8; w++) {
        uint32_t v = 0;
        for (size_t i = 0; i < 8; i++) {
            char ch = s.p[w * 8 + i];
            int d = ch >= '0' && ch <= '9'   ? ch - '0'
                    : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10
                    : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
                                             : -1;
            if (d < 0) return false;
            v = v << 4 | (uint32_t)d;
        }
        memcpy(b + 4 * w, &v, 4); /* host order in memory = the address bytes in order */
    }
    const char *pp = colon + 1;
    size_t plen = s.len - alen - 1;
    if (plen == 0 || plen > 4) return false;
    int p = 0;
    for (size_t i = 0; i < plen; i++) {
        char ch = pp[i];
        int d = ch >= '0' && ch <= '9'   ? ch - '0'
                : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10
                : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
                                         : -1;
        if (d < 0) return false;
        p = p << 4 | d;
    }
    if (alen == 8)
        rp_ip_from_v4(ip, (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3]);
    else
        rp_ip_from_v6(ip, b);
    *port = p;
    return true;
}

static bool ip_is_zero(const struct rp_ip *ip)
{
    for (size_t i = 0; i < sizeof ip->b; i++)
        if (ip->b[i]) return false;
    return true;
}

/* Whether port passes the '=' constraints on port whose values are all integers. */
static bool port_wanted(int port, const struct rp_query_cons *cons, size_t ncons)
{
    for (size_t i = 0; i < ncons; i++) {
        if (cons[i].col != C_PORT || cons[i].op != SQLITE_INDEX_CONSTRAINT_EQ) continue;
        bool all_int = true, hit = false;
        for (size_t k = 0; k < cons[i].nvals; k++) {
            if (sqlite3_value_type(cons[i].vals[k]) != SQLITE_INTEGER) {
                all_int = false;
                break;
            }
            if (sqlite3_value_int64(cons[i].vals[k]) == port) hit = true;
        }
        if (all_int && !hit) return false;
    }
    return true;
}

/* One line of /proc/net/{tcp,udp}[6]: "sl local rem st tx:rx tr:when retrnsmt uid timeout
 * inode ..". Adds a row when the socket listens (TCP) or is bound and unconnected (UDP). */
static bool lp_parse_line(struct rp_str line, int protocol, struct lp_row *row)
{
    struct rp_str tok, t[10];
    int n = 0;
    struct rp_str rest = line;
    while (n < 10 && rp_str_split_next(&rest, ' ', &tok))
        if (tok.len) t[n++] = tok;
    if (n < 10) return false;
    struct rp_ip local, remote;
    int lport = 0, rport = 0;
    if (!lp_parse_endpoint(t[1], &local, &lport) || !lp_parse_endpoint(t[2], &remote, &rport))
        return false;
    bool listening = protocol == 6 ? rp_str_eq_cstr(t[3], "0A")
                                   : rport == 0 && ip_is_zero(&remote) && lport != 0;
    if (!listening) return false;
    int64_t inode = 0;
    if (rp_str_to_i64(t[9], &inode) != RP_OK) return false;
    memset(row, 0, sizeof *row);
    row->inode = inode;
    row->port = lport;
    row->protocol = protocol;
    row->family = local.family == RP_IP_V4 ? 2 : 10;
    if (rp_ip_format(&local, row->address, sizeof row->address) != RP_OK) return false;
    return true;
}

static rp_err read_table(struct lp_cur *c, const char *path, int protocol,
                         const struct rp_query_cons *cons, size_t ncons, struct rp_errbuf *eb)
{
    FILE *f = fopen(path, "re");
    if (!f) {
        int err = errno;
        if (err == ENOENT) return RP_OK; /* no IPv6 on this host */
        return rp_fail(eb, rp_err_from_errno(err), "listening_ports: cannot open '%s': %s", path,
                       strerror(err));
    }
    char *line = NULL;
    size_t lcap = 0;
    ssize_t n;
    rp_err e = RP_OK;
    bool first = true;
    while (!e && (n = getline(&line, &lcap, f)) > 0) {
        if (first) { /* the column titles */
            first = false;
            continue;
        }
        struct lp_row row;
        struct rp_str s = rp_str_trim((struct rp_str){line, (size_t)n});
        if (!lp_parse_line(s, protocol, &row) || !port_wanted(row.port, cons, ncons)) continue;
        if (c->nrows == c->cap) {
            size_t ncap = c->cap ? 2 * c->cap : 64;
            struct lp_row *nr = realloc(c->rows, ncap * sizeof *nr);
            if (!nr) {
                e = rp_fail(eb, RP_ENOMEM, "listening_ports: out of memory");
                break;
            }
            c->rows = nr;
            c->cap = ncap;
        }
        c->rows[c->nrows++] = row;
    }
    if (!e && ferror(f))
        e = rp_fail(eb, RP_EIO, "listening_ports: cannot read '%s': %s", path, strerror(errno));
    free(line);
    fclose(f);
    return e;
}

static int cmp_row(const void *a, const void *b)
{
    const struct lp_row *x = a, *y = b;
    if (x->protocol != y->protocol) return x->protocol - y->protocol;
    if (x->family != y->family) return x->family - y->family;
    if (x->port != y->port) return x->port - y->port;
    int k = strcmp(x->address, y->address);
    if (k) return k;
    return (x->inode > y->inode) - (x->inode < y->inode);
}

static void lp_close(struct rp_query_cur *cur)
{
    struct lp_cur *c = cur->state;
    rp_free_and_null(c->rows);
    c->nrows = c->cap = c->next = 0;
    c->pids_done = false;
}

static rp_err lp_filter(struct rp_query_cur *cur, const struct rp_query_cons *cons, size_t ncons,
                        struct rp_errbuf *eb)
{
    struct lp_cur *c = cur->state;
    lp_close(cur);
    static const struct {
        const char *path;
        int protocol;
    } tables[] = {
        {"/proc/net/tcp", 6},
        {"/proc/net/tcp6", 6},
        {"/proc/net/udp", 17},
        {"/proc/net/udp6", 17},
    };
    for (size_t i = 0; i < RP_ARRAY_LEN(tables); i++) {
        rp_err e = read_table(c, tables[i].path, tables[i].protocol, cons, ncons, eb);
        if (e) return e;
    }
    if (c->nrows) qsort(c->rows, c->nrows, sizeof *c->rows, cmp_row);
    cur->eof = c->nrows == 0;
    return RP_OK;
}

static rp_err lp_next(struct rp_query_cur *cur, struct rp_errbuf *eb)
{
    struct lp_cur *c = cur->state;
    if (++c->next >= c->nrows) cur->eof = true;
    return RP_OK;
}

/* "socket:[12345]" -> 12345 */
static bool socket_inode(const char *link, size_t n, int64_t *inode)
{
    if (n < 10 || memcmp(link, "socket:[", 8) != 0 || link[n - 1] != ']') return false;
    return rp_str_to_i64((struct rp_str){link + 8, n - 9}, inode) == RP_OK;
}

static int cmp_inode(const void *a, const void *b)
{
    const struct lp_row *x = *(struct lp_row *const *)a, *y = *(struct lp_row *const *)b;
    return (x->inode > y->inode) - (x->inode < y->inode);
}

/* Give each row the lowest pid holding its socket open, where /proc/<pid>/fd is readable. */
static void resolve_pids(struct lp_cur *c)
{
    c->pids_done = true;
    if (!c->nrows) return;
    struct lp_row **by_inode = malloc(c->nrows * sizeof *by_inode);
    if (!by_inode) return; /* pids stay NULL */
    for (size_t i = 0; i < c->nrows; i++) by_inode[i] = &c->rows[i];
    qsort(by_inode, c->nrows, sizeof *by_inode, cmp_inode);
    struct lp_row key, *keyp = &key;
    DIR *d = opendir("/proc");
    if (!d) {
        free(by_inode);
        return;
    }
    struct dirent *de;
    char path[16 + 2 * 256], link[64];
    while ((de = readdir(d))) {
        int64_t pid = 0;
        const char *nm = de->d_name;
        if (nm[0] < '1' || nm[0] > '9' || rp_str_to_i64(rp_str_from(nm), &pid) != RP_OK) continue;
        snprintf(path, sizeof path, "/proc/%s/fd", nm);
        DIR *fdd = opendir(path);
        if (!fdd) continue; /* gone, or another user's */
        struct dirent *fe;
        while ((fe = readdir(fdd))) {
            if (fe->d_name[0] < '0' || fe->d_name[0] > '9') continue;
            snprintf(path, sizeof path, "/proc/%s/fd/%s", nm, fe->d_name);
            ssize_t n = readlink(path, link, sizeof link);
            int64_t inode = 0;
            if (n <= 0 || (size_t)n >= sizeof link || !socket_inode(link, (size_t)n, &inode))
                continue;
            key.inode = inode;
            struct lp_row **hit = bsearch(&keyp, by_inode, c->nrows, sizeof *by_inode, cmp_inode);
            if (hit && ((*hit)->pid == 0 || pid < (*hit)->pid)) (*hit)->pid = pid;
        }
        closedir(fdd);
    }
    closedir(d);
    free(by_inode);
}

static rp_err lp_column(struct rp_query_cur *cur, int col, sqlite3_context *ctx,
                        struct rp_errbuf *eb)
{
    struct lp_cur *c = cur->state;
    struct lp_row *r = &c->rows[c->next];
    switch (col) {
    case C_PID:
        if (!c->pids_done) resolve_pids(c);
        if (r->pid)
            sqlite3_result_int64(ctx, r->pid);
        else
            sqlite3_result_null(ctx);
        break;
    case C_PORT:
        sqlite3_result_int(ctx, r->port);
        break;
    case C_PROTOCOL:
        sqlite3_result_int(ctx, r->protocol);
        break;
    case C_FAMILY:
        sqlite3_result_int(ctx, r->family);
        break;
    case C_ADDRESS:
        sqlite3_result_text(ctx, r->address, -1, SQLITE_TRANSIENT);
        break;
    case C_SOCKET:
        sqlite3_result_int64(ctx, r->inode);
        break;
    case C_PATH:
        sqlite3_result_null(ctx);
        break;
    case C_STATE:
        if (r->protocol == 6)
            sqlite3_result_text(ctx, "LISTEN", -1, SQLITE_STATIC);
        else
            sqlite3_result_null(ctx);
        break;
    default:
        return rp_fail(eb, RP_EINTERNAL, "listening_ports: no column %d", col);
    }
    return RP_OK;
}

static double lp_estimate(const struct rp_query_tabinfo *ti, uint64_t eq_cols, uint64_t range_cols)
{
    return (eq_cols & (1u << C_PORT)) ? 2 : 50;
}

const struct rp_query_table rp_qtab_listening_ports = {
    .name = "listening_ports",
    .summary = "TCP sockets listening and UDP sockets bound on this host, with their process, "
               "from /proc/net",
    .cols = cols,
    .ncols = RP_ARRAY_LEN(cols),
    .cursor_size = sizeof(struct lp_cur),
    .filter = lp_filter,
    .next = lp_next,
    .column = lp_column,
    .close = lp_close,
    .estimate = lp_estimate,
};
