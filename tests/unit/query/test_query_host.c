/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the host tables processes and listening_ports (src/query/query_tab_processes.c,
 * query_tab_listening_ports.c) through SQL on an in-memory connection, against this test's own
 * process: its processes row (name, path, cmdline, cwd, ppid, ids, threads) by `pid = N`, by a
 * full scan and by IN; a command name holding ") (" and spaces; a thread id is not a process;
 * sockets it opens on loopback (TCP over IPv4 and IPv6, UDP bound, UDP connected, TCP bound
 * but not listening) appear in listening_ports exactly as expected, with their inode and this
 * pid, or not at all.
 * Linux only (/proc); values that depend on the host are compared with what the test reads
 * through other system calls. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/rp_buf.h"
#include "query/query_table.h"
#include "core/rp_banned.h"

static int g_argc;
static char **g_argv;
static time_t g_started;

#include "query_test_db.h"

/* ---- processes ---------------------------------------------------------------------------- */

/* The row this test expects for itself: name, path, cmdline, cwd, ppid, uid, gid, euid,
 * threads, state (it is running while it reads its own stat). */
static void own_row(char *out, size_t n)
{
    char exe[4096], cwd[4096], cmd[4096] = "";
    ssize_t k = readlink("/proc/self/exe", exe, sizeof exe - 1);
    assert_true(k > 0);
    exe[k] = 0;
    assert_non_null(getcwd(cwd, sizeof cwd));
    for (int i = 0; i < g_argc; i++) {
        size_t l = strlen(cmd);
        snprintf(cmd + l, sizeof cmd - l, "%s%s", i ? " " : "", g_argv[i]);
    }
    const char *base = strrchr(g_argv[0], '/');
    base = base ? base + 1 : g_argv[0];
    char comm[16];
    snprintf(comm, sizeof comm, "%s", base); /* the kernel keeps 15 bytes */
    snprintf(out, n, "%lld|%s|%s|%s|%s|%lld|%lld|%lld|%lld|1|R\n", (long long)getpid(), comm, exe,
             cmd, cwd, (long long)getppid(), (long long)getuid(), (long long)getgid(),
             (long long)geteuid());
}

#define OWN_COLS "pid, name, path, cmdline, cwd, ppid, uid, gid, euid, threads, state"

static void test_processes_self(void **state)
{
    struct fx *f = *state;
    char want[16384];
    own_row(want, sizeof want);
    assert_string_equal(rowsf(f, "SELECT " OWN_COLS " FROM processes WHERE pid = %d", getpid()),
                        want);
    /* the same row from a full scan (+pid keeps SQLite from passing the constraint down) */
    assert_string_equal(rowsf(f, "SELECT " OWN_COLS " FROM processes WHERE +pid = %d", getpid()),
                        want);
    /* sizes and start time are plausible: the test started it, it holds some memory */
    assert_string_equal(rowsf(f,
                              "SELECT start_time <= %lld, start_time >= %lld - 600, "
                              "resident_size > 0, total_size >= resident_size, "
                              "resident_size %% %ld FROM processes WHERE pid = %d",
                              (long long)g_started + 1, (long long)g_started, sysconf(_SC_PAGESIZE),
                              getpid()),
                        "1|1|1|1|0\n");
}

static void test_processes_scan(void **state)
{
    struct fx *f = *state;
    /* the parent is listed, by IN as by a full scan, and the list is in pid order */
    assert_string_equal(rowsf(f,
                              "SELECT count(*) FROM processes WHERE pid IN (%d, %d, -5, 'x') "
                              "AND name IS NOT NULL",
                              getpid(), getppid()),
                        "2\n");
    assert_string_equal(
        rowsf(f, "SELECT count(*) FROM processes WHERE +pid IN (%d, %d)", getpid(), getppid()),
        "2\n");
    assert_string_equal(rowsf(f, "SELECT count(*) > 1, count(DISTINCT pid) = count(*) "
                                 "FROM processes"),
                        "1|1\n");
    assert_string_equal(rowsf(f,
                              "SELECT count(*) FROM processes WHERE pid > %d - 1 "
                              "AND pid < %d + 1",
                              getpid(), getpid()),
                        "1\n");
    assert_string_equal(rowsf(f, "SELECT count(*) FROM processes WHERE pid = 0"), "0\n");
}

/* A command name with spaces and parentheses: stat's "pid (comm) state .." is cut at the last
 * ')'. */
static void test_processes_odd_name(void **state)
{
    struct fx *f = *state;
    char old[17] = "";
    assert_int_equal(prctl(PR_GET_NAME, old), 0);
    assert_int_equal(prctl(PR_SET_NAME, "x) (y z) S 1"), 0);
    const char *r = rowsf(f, "SELECT name, state, ppid = %d FROM processes WHERE pid = %d",
                          getppid(), getpid());
    assert_int_equal(prctl(PR_SET_NAME, old), 0);
    assert_string_equal(r, "x) (y z) S 1|R|1\n");
}

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static long thread_tid;
static bool thread_stop;

static void *idle_thread(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&mu);
    thread_tid = (long)syscall(SYS_gettid);
    pthread_cond_broadcast(&cv);
    while (!thread_stop) pthread_cond_wait(&cv, &mu);
    pthread_mutex_unlock(&mu);
    return NULL;
}

static void test_processes_thread_is_not_a_process(void **state)
{
    struct fx *f = *state;
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, idle_thread, NULL), 0);
    pthread_mutex_lock(&mu);
    while (!thread_tid) pthread_cond_wait(&cv, &mu);
    pthread_mutex_unlock(&mu);
    assert_string_equal(rowsf(f, "SELECT count(*) FROM processes WHERE pid = %ld", thread_tid),
                        "0\n");
    assert_string_equal(rowsf(f, "SELECT threads FROM processes WHERE pid = %d", getpid()), "2\n");
    pthread_mutex_lock(&mu);
    thread_stop = true;
    pthread_cond_broadcast(&cv);
    pthread_mutex_unlock(&mu);
    assert_int_equal(pthread_join(th, NULL), 0);
}

/* ---- listening_ports ---------------------------------------------------------------------- */

/* A socket of type on the loopback of family, bound to an ephemeral port; *port and *inode
 * receive its port and inode; -1 when the family is not available. */
static int loopback_socket(int family, int type, int *port, long long *inode)
{
    int s = socket(family, type | SOCK_CLOEXEC, 0);
    if (s < 0) return -1;
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    socklen_t len;
    if (family == AF_INET) {
        struct sockaddr_in *a = (struct sockaddr_in *)&ss;
        a->sin_family = AF_INET;
        a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        len = sizeof *a;
    } else {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
        a->sin6_family = AF_INET6;
        a->sin6_addr = in6addr_loopback;
        len = sizeof *a;
    }
    if (bind(s, (struct sockaddr *)&ss, len) != 0) {
        close(s);
        return -1;
    }
    len = sizeof ss;
    assert_int_equal(getsockname(s, (struct sockaddr *)&ss, &len), 0);
    *port = ntohs(family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
                                    : ((struct sockaddr_in6 *)&ss)->sin6_port);
    struct stat sb;
    assert_int_equal(fstat(s, &sb), 0);
    *inode = (long long)sb.st_ino;
    return s;
}

#define LP_COLS "pid, port, protocol, family, address, socket, path, state"

static void test_listening_ports_tcp4(void **state)
{
    struct fx *f = *state;
    int port = 0;
    long long ino = 0;
    int s = loopback_socket(AF_INET, SOCK_STREAM, &port, &ino);
    assert_true(s >= 0);
    /* bound but not listening: not there */
    assert_string_equal(rowsf(f, "SELECT count(*) FROM listening_ports WHERE port = %d", port),
                        "0\n");
    assert_int_equal(listen(s, 4), 0);
    char want[256];
    snprintf(want, sizeof want, "%d|%d|6|2|127.0.0.1|%lld|NULL|LISTEN\n", getpid(), port, ino);
    assert_string_equal(rowsf(f, "SELECT " LP_COLS " FROM listening_ports WHERE port = %d", port),
                        want);
    assert_string_equal(
        rowsf(f, "SELECT " LP_COLS " FROM listening_ports WHERE +port = %d AND protocol = 6", port),
        want);
    assert_string_equal(
        rowsf(f, "SELECT " LP_COLS " FROM listening_ports WHERE port IN (%d, 0)", port), want);
    /* the socket also appears by its inode when pid is not asked for */
    assert_string_equal(rowsf(f, "SELECT count(*) FROM listening_ports WHERE socket = %lld", ino),
                        "1\n");
    close(s);
    assert_string_equal(rowsf(f, "SELECT count(*) FROM listening_ports WHERE port = %d", port),
                        "0\n");
}

static void test_listening_ports_tcp6(void **state)
{
    struct fx *f = *state;
    int port = 0;
    long long ino = 0;
    int s = loopback_socket(AF_INET6, SOCK_STREAM, &port, &ino);
    if (s < 0) skip(); /* no IPv6 on this host */
    assert_int_equal(listen(s, 4), 0);
    char want[256];
    snprintf(want, sizeof want, "%d|%d|6|10|::1|%lld|NULL|LISTEN\n", getpid(), port, ino);
    assert_string_equal(rowsf(f, "SELECT " LP_COLS " FROM listening_ports WHERE port = %d", port),
                        want);
    close(s);
}

static void test_listening_ports_udp(void **state)
{
    struct fx *f = *state;
    int port = 0, cport = 0;
    long long ino = 0, cino = 0;
    int s = loopback_socket(AF_INET, SOCK_DGRAM, &port, &ino);
    int c = loopback_socket(AF_INET, SOCK_DGRAM, &cport, &cino);
    assert_true(s >= 0 && c >= 0);
    /* a UDP socket with a remote end is not listening */
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(c, (struct sockaddr *)&to, sizeof to), 0);
    char want[256];
    snprintf(want, sizeof want, "%d|%d|17|2|127.0.0.1|%lld|NULL|NULL\n", getpid(), port, ino);
    assert_string_equal(rowsf(f, "SELECT " LP_COLS " FROM listening_ports WHERE port = %d", port),
                        want);
    assert_string_equal(rowsf(f, "SELECT count(*) FROM listening_ports WHERE port = %d", cport),
                        "0\n");
    close(s);
    close(c);
}

int main(int argc, char **argv)
{
    g_argc = argc;
    g_argv = argv;
    g_started = time(NULL);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_processes_self, setup, teardown),
        cmocka_unit_test_setup_teardown(test_processes_scan, setup, teardown),
        cmocka_unit_test_setup_teardown(test_processes_odd_name, setup, teardown),
        cmocka_unit_test_setup_teardown(test_processes_thread_is_not_a_process, setup, teardown),
        cmocka_unit_test_setup_teardown(test_listening_ports_tcp4, setup, teardown),
        cmocka_unit_test_setup_teardown(test_listening_ports_tcp6, setup, teardown),
        cmocka_unit_test_setup_teardown(test_listening_ports_udp, setup, teardown),
    };
    return cmocka_run_group_tests_name("query_host", tests, NULL, NULL);
}
