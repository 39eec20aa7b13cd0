/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for rp_walk. Each test builds its tree in a fresh mkdtemp directory (symlinks,
 * fifos and permissions have to be made at run time anyway) and records the events as lines
 * "<event>:<rel>[:<reason or error>]", so the exact visit order is pinned as one string.
 * Covered: bytewise order, symlinks skipped with a reason, follow mode with cycles and
 * duplicates, special files, pruning, stopping, depth and path limits, unreadable and vanished
 * directories, a directory swapped for a symlink between stat and open, single-file and
 * multiple roots, and race-checked opening of files. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/rp_buf.h"
#include "core/rp_walk.h"
#include "tools/rp_test_tmpdir.h"
#include "core/rp_banned.h"

static char tmpdir[64];

/* ---- tree building ---- */

static const char *at(const char *rel)
{
    static char bufs[8][1024]; /* a few live at once (roots arrays) */
    static int i;
    char *p = bufs[i++ & 7];
    snprintf(p, sizeof bufs[0], "%s/%s", tmpdir, rel);
    return p;
}

static void mk(const char *rel)
{
    assert_int_equal(mkdir(at(rel), 0755), 0);
}

static void put(const char *rel, const char *content)
{
    FILE *f = fopen(at(rel), "w");
    assert_non_null(f);
    fputs(content, f);
    assert_int_equal(fclose(f), 0);
}

static void lnk(const char *target, const char *rel)
{
    assert_int_equal(symlink(target, at(rel)), 0);
}

/* ---- recording callback ---- */

struct rec {
    struct rp_buf log;
    const char *prune[4]; /* rel paths answered with RP_WALK_SKIP */
    const char *stop_at;  /* rel path answered with RP_WALK_STOP */
    void (*hook)(const struct rp_walk_entry *e, struct rec *r); /* runs first */
    int dirs, files;
};

static enum rp_walk_action record(const struct rp_walk_entry *e, void *ctx)
{
    struct rec *r = ctx;
    if (r->hook) r->hook(e, r);
    const char *extra = "";
    if (e->event == RP_WALK_EV_SKIP) extra = rp_walk_reason_name(e->reason);
    if (e->event == RP_WALK_EV_ERROR) extra = rp_err_name(e->err);
    assert_int_equal(rp_buf_printf(&r->log, "%s:%s%s%s\n", rp_walk_event_name(e->event), e->rel,
                                   *extra ? ":" : "", extra),
                     RP_OK);

    /* Invariants of every event. */
    assert_non_null(e->msg);
    assert_true((e->event == RP_WALK_EV_SKIP) == (e->reason != RP_WALK_REASON_NONE));
    assert_true((e->event == RP_WALK_EV_ERROR) == (e->err != RP_OK));
    if (e->event == RP_WALK_EV_SKIP || e->event == RP_WALK_EV_ERROR) assert_true(*e->msg);
    if (e->depth == 0) {
        assert_string_equal(e->rel, "");
        assert_string_equal(e->path, e->root);
    } else {
        size_t rl = strlen(e->root);
        assert_memory_equal(e->path, e->root, rl);
        assert_string_equal(e->path + rl + (e->root[rl - 1] == '/' ? 0 : 1), e->rel);
        const char *slash = strrchr(e->rel, '/');
        assert_string_equal(slash ? slash + 1 : e->rel, e->name);
        int comps = 1;
        for (const char *p = e->rel; *p; p++) comps += *p == '/';
        assert_int_equal(comps, e->depth);
    }
    if (e->event == RP_WALK_EV_FILE) {
        assert_non_null(e->st);
        assert_true(S_ISREG(e->st->st_mode));
        r->files++;
    }
    if (e->event == RP_WALK_EV_DIR) {
        assert_true(S_ISDIR(e->st->st_mode));
        r->dirs++;
    }

    if (r->stop_at && strcmp(e->rel, r->stop_at) == 0) return RP_WALK_STOP;
    for (int i = 0; i < 4 && r->prune[i]; i++)
        if (strcmp(e->rel, r->prune[i]) == 0) return RP_WALK_SKIP;
    return RP_WALK_CONTINUE;
}

static void rec_init(struct rec *r)
{
    memset(r, 0, sizeof *r);
    rp_buf_init(&r->log, 0);
}

/* Open descriptors of this process, to catch leaks ASan cannot see. */
static int fd_count(void)
{
    DIR *d = opendir("/proc/self/fd");
    assert_non_null(d);
    int n = 0;
    while (readdir(d)) n++;
    closedir(d);
    return n;
}

/* Walk tmpdir with opts and compare the log to want; no descriptor may be left open. */
static void walk_expect(const struct rp_walk_opts *opts, struct rec *r, const char *want)
{
    struct rp_errbuf eb;
    const char *roots[] = {tmpdir};
    int fds = fd_count();
    assert_int_equal(rp_walk_run(roots, 1, opts, record, r, &eb), RP_OK);
    assert_int_equal(fd_count(), fds);
    assert_string_equal(rp_buf_cstr(&r->log), want);
}

/* ---- order ---- */

static void test_walk_order_bytewise(void **state)
{
    /* Locale collation would give a, a.b, a0, B; bytes give B, a, a.b, a0. */
    mk("B");
    put("B/z.txt", "z");
    put("a", "12345");
    mk("a.b");
    put("a.b/x", "");
    put("a0", "");
    mk("c");
    mk("c/d");
    mk("c/d/e");
    put("c/d/e/f.json", "{}");
    mk("c/_");
    put("c/D", "");
    static const char want[] = "dir:\n"
                               "dir:B\n"
                               "file:B/z.txt\n"
                               "file:a\n"
                               "dir:a.b\n"
                               "file:a.b/x\n"
                               "file:a0\n"
                               "dir:c\n"
                               "file:c/D\n"
                               "dir:c/_\n"
                               "dir:c/d\n"
                               "dir:c/d/e\n"
                               "file:c/d/e/f.json\n";
    struct rec r;
    rec_init(&r);
    walk_expect(NULL, &r, want);
    assert_int_equal(r.files, 6);
    rp_buf_release(&r.log);

    /* Same result again, and with a trailing slash on the root. */
    rec_init(&r);
    walk_expect(NULL, &r, want);
    rp_buf_release(&r.log);
    char slashed[80];
    snprintf(slashed, sizeof slashed, "%s/", tmpdir);
    const char *roots[] = {slashed};
    struct rp_errbuf eb;
    rec_init(&r);
    assert_int_equal(rp_walk_run(roots, 1, NULL, record, &r, &eb), RP_OK);
    assert_string_equal(rp_buf_cstr(&r.log), want);
    rp_buf_release(&r.log);
}

static void check_stat_hook(const struct rp_walk_entry *e, struct rec *r)
{
    if (strcmp(e->rel, "a") != 0) return;
    struct stat st;
    assert_int_equal(stat(e->path, &st), 0);
    assert_int_equal(e->st->st_size, 5);
    assert_int_equal(e->st->st_mtim.tv_sec, st.st_mtim.tv_sec);
    assert_int_equal(e->st->st_ino, st.st_ino);
    assert_false(e->followed);
    int fd;
    struct rp_errbuf eb;
    assert_int_equal(rp_walk_entry_open(e, &fd, &eb), RP_OK);
    char buf[8];
    assert_int_equal(read(fd, buf, sizeof buf), 5);
    assert_memory_equal(buf, "12345", 5);
    close(fd);
}

static void test_walk_file_stat_and_open(void **state)
{
    put("a", "12345");
    struct rec r;
    rec_init(&r);
    r.hook = check_stat_hook;
    walk_expect(NULL, &r, "dir:\nfile:a\n");
    rp_buf_release(&r.log);
}

/* ---- symlinks ---- */

static void test_walk_symlinks_skipped_with_reason(void **state)
{
    put("f", "x");
    mk("d");
    put("d/g", "y");
    lnk("f", "lf");
    lnk("d", "ld");
    lnk("/etc", "abs");
    lnk("missing", "dang");
    struct rec r;
    rec_init(&r);
    walk_expect(NULL, &r,
                "dir:\n"
                "skip:abs:symlink\n"
                "dir:d\n"
                "file:d/g\n"
                "skip:dang:symlink\n"
                "file:f\n"
                "skip:ld:symlink\n"
                "skip:lf:symlink\n");
    rp_buf_release(&r.log);
}

static void test_walk_follow_cycle_visits_once(void **state)
{
    mk("a");
    put("a/f", "x");
    lnk("..", "a/up");  /* back to the root: a cycle */
    lnk(".", "a/self"); /* a itself: a cycle */
    lnk("a", "b");      /* a second way into a */
    lnk("a/f", "c");    /* a file through a link */
    lnk("missing", "dang");
    lnk("loop", "loop"); /* ELOOP */
    struct rec r;
    rec_init(&r);
    struct rp_walk_opts opts = {.flags = RP_WALK_FOLLOW_SYMLINKS};
    walk_expect(&opts, &r,
                "dir:\n"
                "dir:a\n"
                "file:a/f\n"
                "skip:a/self:cycle\n"
                "skip:a/up:cycle\n"
                "skip:b:seen\n"
                "file:c\n"
                "skip:dang:dangling\n"
                "skip:loop:dangling\n");
    assert_int_equal(r.dirs, 2);
    rp_buf_release(&r.log);
}

static void follow_flag_hook(const struct rp_walk_entry *e, struct rec *r)
{
    if (strcmp(e->rel, "c") == 0) {
        assert_true(e->followed);
        assert_int_equal(e->st->st_size, 1); /* the target's stat, not the link's */
        int fd;
        struct rp_errbuf eb;
        assert_int_equal(rp_walk_entry_open(e, &fd, &eb), RP_OK);
        close(fd);
    }
    if (strcmp(e->rel, "a/f") == 0) assert_false(e->followed);
}

static void test_walk_follow_links_to_files(void **state)
{
    mk("a");
    put("a/f", "x");
    lnk("a/f", "c");
    struct rec r;
    rec_init(&r);
    r.hook = follow_flag_hook;
    struct rp_walk_opts opts = {.flags = RP_WALK_FOLLOW_SYMLINKS};
    walk_expect(&opts, &r, "dir:\ndir:a\nfile:a/f\nfile:c\n");
    rp_buf_release(&r.log);
}

/* ---- special files ---- */

static void test_walk_fifo_skipped(void **state)
{
    assert_int_equal(mkfifo(at("p"), 0600), 0);
    put("q", "");
    struct rec r;
    rec_init(&r);
    walk_expect(NULL, &r, "dir:\nskip:p:special\nfile:q\n");
    rp_buf_release(&r.log);
    /* Also in follow mode, through a link. */
    lnk("p", "lp");
    rec_init(&r);
    struct rp_walk_opts opts = {.flags = RP_WALK_FOLLOW_SYMLINKS};
    walk_expect(&opts, &r, "dir:\nskip:lp:special\nskip:p:special\nfile:q\n");
    rp_buf_release(&r.log);
}

/* ---- callback control ---- */

static void test_walk_prune_dir(void **state)
{
    mk("AWSLogs");
    mk("AWSLogs/111");
    mk("AWSLogs/111/CloudTrail");
    mk("AWSLogs/111/CloudTrail/us-east-1");
    mk("AWSLogs/111/CloudTrail/us-east-1/2024");
    mk("AWSLogs/111/CloudTrail/us-east-1/2024/05");
    mk("AWSLogs/111/CloudTrail/us-east-1/2024/05/01");
    mk("AWSLogs/111/CloudTrail/us-east-1/2024/05/02");
    put("AWSLogs/111/CloudTrail/us-east-1/2024/05/01/x.json.gz", "");
    put("AWSLogs/111/CloudTrail/us-east-1/2024/05/02/y.json.gz", "");
    mk("AWSLogs/222");
    put("AWSLogs/222/z.json.gz", "");
    struct rec r;
    rec_init(&r);
    r.prune[0] = "AWSLogs/222";
    r.prune[1] = "AWSLogs/111/CloudTrail/us-east-1/2024/05/01";
    r.prune[2] = "AWSLogs/111/CloudTrail/us-east-1/2024/05/02/y.json.gz"; /* no effect */
    walk_expect(NULL, &r,
                "dir:\n"
                "dir:AWSLogs\n"
                "dir:AWSLogs/111\n"
                "dir:AWSLogs/111/CloudTrail\n"
                "dir:AWSLogs/111/CloudTrail/us-east-1\n"
                "dir:AWSLogs/111/CloudTrail/us-east-1/2024\n"
                "dir:AWSLogs/111/CloudTrail/us-east-1/2024/05\n"
                "dir:AWSLogs/111/CloudTrail/us-east-1/2024/05/01\n"
                "dir:AWSLogs/111/CloudTrail/us-east-1/2024/05/02\n"
                "file:AWSLogs/111/CloudTrail/us-east-1/2024/05/02/y.json.gz\n"
                "dir:AWSLogs/222\n");
    rp_buf_release(&r.log);
}

static void test_walk_stop(void **state)
{
    put("a", "");
    put("b", "");
    mk("c");
    put("c/d", "");
    struct rec r;
    rec_init(&r);
    r.stop_at = "b";
    walk_expect(NULL, &r, "dir:\nfile:a\nfile:b\n");
    rp_buf_release(&r.log);
    /* Stopping at a DIR event does not enter it; a second root is not started. */
    rec_init(&r);
    r.stop_at = "c";
    const char *roots[] = {tmpdir, tmpdir};
    struct rp_errbuf eb;
    assert_int_equal(rp_walk_run(roots, 2, NULL, record, &r, &eb), RP_OK);
    assert_string_equal(rp_buf_cstr(&r.log), "dir:\nfile:a\nfile:b\ndir:c\n");
    rp_buf_release(&r.log);
}

/* ---- limits ---- */

static void test_walk_depth_limit(void **state)
{
    mk("d1");
    mk("d1/d2");
    mk("d1/d2/d3");
    put("d1/d2/d3/f", "");
    put("d1/d2/g", "");
    put("d1/f1", "");
    put("z", "");
    struct rec r;
    rec_init(&r);
    struct rp_walk_opts opts = {.max_depth = 2};
    walk_expect(&opts, &r, "dir:\ndir:d1\nskip:d1/d2:depth\nfile:d1/f1\nfile:z\n");
    rp_buf_release(&r.log);
}

static void test_walk_depth_limit_default(void **state)
{
    /* A chain of 70 directories "x/x/..": directories are entered down to depth
     * RP_MAX_WALK_DEPTH - 1, a file at RP_MAX_WALK_DEPTH is still visited, the directory
     * at RP_MAX_WALK_DEPTH is reported and not entered. */
    char rel[256] = "x";
    char file[300] = "", deep[256] = "";
    for (int depth = 1; depth <= 70; depth++) {
        mk(rel);
        if (depth == RP_MAX_WALK_DEPTH - 1) {
            snprintf(file, sizeof file, "%s/f", rel);
            put(file, "");
        }
        if (depth == RP_MAX_WALK_DEPTH) snprintf(deep, sizeof deep, "%s", rel);
        size_t l = strlen(rel);
        snprintf(rel + l, sizeof rel - l, "/x");
    }
    struct rec r;
    rec_init(&r);
    struct rp_errbuf eb;
    const char *roots[] = {tmpdir};
    assert_int_equal(rp_walk_run(roots, 1, NULL, record, &r, &eb), RP_OK);
    assert_int_equal(r.dirs, RP_MAX_WALK_DEPTH); /* the root and depths 1 .. max-1 */
    assert_int_equal(r.files, 1);
    char tail[600];
    snprintf(tail, sizeof tail, "file:%s\nskip:%s:depth\n", file, deep);
    const char *log = rp_buf_cstr(&r.log);
    assert_true(strlen(log) > strlen(tail));
    assert_string_equal(log + strlen(log) - strlen(tail), tail);
    rp_buf_release(&r.log);
}

static void test_walk_path_limit(void **state)
{
    put("short", "");
    put("a-name-that-is-too-long", "");
    mk("dir");
    put("dir/f", "");
    put("zz", "");
    struct rec r;
    rec_init(&r);
    struct rp_walk_opts opts = {.max_path = strlen(tmpdir) + 7}; /* "/short", "/dir/f" fit */
    walk_expect(&opts, &r,
                "dir:\n"
                "skip:a-name-that-is-too-long:path\n"
                "dir:dir\n"
                "file:dir/f\n"
                "file:short\n"
                "file:zz\n");
    rp_buf_release(&r.log);
}

/* ---- errors ---- */

/* Run the walk as uid/gid 65534 in a child, since root bypasses permission checks. Returns
 * the child's exit status: 0 = log matched want, 1 = mismatch, 77 = cannot drop privileges. */
static int walk_as_nobody(const char *want)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (geteuid() == 0 && (setgroups(0, NULL) != 0 || setgid(65534) != 0 || setuid(65534) != 0))
            _exit(77);
        struct rec r;
        memset(&r, 0, sizeof r);
        rp_buf_init(&r.log, 0);
        const char *roots[] = {tmpdir};
        struct rp_errbuf eb;
        if (rp_walk_run(roots, 1, NULL, record, &r, &eb) != RP_OK) _exit(2);
        if (strcmp(rp_buf_cstr(&r.log), want) != 0) {
            fprintf(stderr, "got:\n%swant:\n%s", rp_buf_cstr(&r.log), want);
            _exit(1);
        }
        _exit(0);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    return WEXITSTATUS(status);
}

static void test_walk_unreadable_dir_reported(void **state)
{
    mk("locked");
    put("locked/secret", "");
    mk("nox"); /* readable but not searchable: listed, its entries cannot be stat'ed */
    put("nox/f", "");
    put("z", "");
    assert_int_equal(chmod(at("locked"), 0), 0);
    assert_int_equal(chmod(at("nox"), 0644), 0);
    assert_int_equal(chmod(tmpdir, 0755), 0);
    static const char want[] = "dir:\n"
                               "dir:locked\n"
                               "error:locked:RP_EPERM\n"
                               "dir:nox\n"
                               "error:nox/f:RP_EPERM\n"
                               "file:z\n";
    int rc;
    if (geteuid() == 0) {
        rc = walk_as_nobody(want); /* root ignores modes; check as an unprivileged user */
    } else {
        struct rec r;
        rec_init(&r);
        walk_expect(NULL, &r, want);
        rp_buf_release(&r.log);
        rc = 0;
    }
    assert_int_equal(chmod(at("locked"), 0755), 0);
    assert_int_equal(chmod(at("nox"), 0755), 0);
    if (rc == 77) skip();
    assert_int_equal(rc, 0);
}

static void vanish_hook(const struct rp_walk_entry *e, struct rec *r)
{
    if (e->event == RP_WALK_EV_DIR && strcmp(e->rel, "gone") == 0)
        assert_int_equal(rmdir(e->path), 0);
}

/* An error path that root hits too: a directory removed between listing and opening. */
static void test_walk_vanished_dir_reported(void **state)
{
    mk("gone");
    put("z", "");
    struct rec r;
    rec_init(&r);
    r.hook = vanish_hook;
    walk_expect(NULL, &r, "dir:\ndir:gone\nerror:gone:RP_ENOENT\nfile:z\n");
    rp_buf_release(&r.log);
}

static void swap_hook(const struct rp_walk_entry *e, struct rec *r)
{
    if (e->event != RP_WALK_EV_DIR) return;
    if (strcmp(e->rel, "d") == 0) { /* swap for a symlink to a directory outside the tree */
        assert_int_equal(rename(e->path, at("d.old")), 0);
        assert_int_equal(symlink(at("outside"), e->path), 0);
    }
    if (strcmp(e->rel, "e") == 0) { /* swap for another directory */
        assert_int_equal(rename(e->path, at("e.old")), 0);
        assert_int_equal(mkdir(e->path, 0755), 0);
    }
}

static void test_walk_swapped_dir_not_followed(void **state)
{
    mk("d");
    put("d/mine", "");
    mk("e");
    put("e/mine", "");
    mk("outside");
    put("outside/secret", "");
    struct rec r;
    rec_init(&r);
    r.prune[0] = "outside";
    r.hook = swap_hook;
    walk_expect(NULL, &r,
                "dir:\n"
                "dir:d\n"
                "error:d:RP_EIO\n"
                "dir:e\n"
                "error:e:RP_EIO\n"
                "dir:outside\n");
    assert_null(strstr(rp_buf_cstr(&r.log), "secret"));
    rp_buf_release(&r.log);
}

static void file_swap_hook(const struct rp_walk_entry *e, struct rec *r)
{
    if (e->event != RP_WALK_EV_FILE) return;
    int fd;
    struct rp_errbuf eb;
    if (strcmp(e->rel, "a") == 0) { /* replaced by a symlink */
        assert_int_equal(unlink(e->path), 0);
        assert_int_equal(symlink("z", e->path), 0);
        assert_int_equal(rp_walk_entry_open(e, &fd, &eb), RP_EIO);
        assert_non_null(strstr(eb.msg, "changed during the walk"));
    }
    if (strcmp(e->rel, "b") == 0) { /* replaced by another file */
        assert_int_equal(rename(at("z"), e->path), 0);
        assert_int_equal(rp_walk_entry_open(e, &fd, &eb), RP_EIO);
    }
    if (strcmp(e->rel, "c") == 0) { /* removed */
        assert_int_equal(unlink(e->path), 0);
        assert_int_equal(rp_walk_entry_open(e, &fd, &eb), RP_ENOENT);
    }
    assert_int_equal(fd, -1);
}

static void test_walk_entry_open_detects_swap(void **state)
{
    put("a", "");
    put("b", "");
    put("c", "");
    put("z", "");
    struct rec r;
    rec_init(&r);
    r.hook = file_swap_hook;
    /* z was renamed over b after the directory was listed: reported as vanished. */
    walk_expect(NULL, &r, "dir:\nfile:a\nfile:b\nfile:c\nerror:z:RP_ENOENT\n");
    rp_buf_release(&r.log);
}

/* ---- roots ---- */

static void root_file_hook(const struct rp_walk_entry *e, struct rec *r)
{
    assert_int_equal(e->dirfd, AT_FDCWD);
    assert_string_equal(e->name, e->root);
    int fd;
    struct rp_errbuf eb;
    assert_int_equal(rp_walk_entry_open(e, &fd, &eb), RP_OK);
    char buf[8];
    assert_int_equal(read(fd, buf, sizeof buf), 3);
    close(fd);
}

static void test_walk_root_is_file(void **state)
{
    put("one.json", "{ }");
    lnk("one.json", "link.json");
    const char *roots[] = {at("one.json"), at("link.json")}; /* roots are resolved */
    struct rec r;
    rec_init(&r);
    r.hook = root_file_hook;
    struct rp_errbuf eb;
    assert_int_equal(rp_walk_run(roots, 2, NULL, record, &r, &eb), RP_OK);
    assert_string_equal(rp_buf_cstr(&r.log), "file:\nfile:\n");
    rp_buf_release(&r.log);
}

static void test_walk_multiple_roots(void **state)
{
    mk("r1");
    put("r1/a", "");
    mk("r1/sub");
    put("r1/sub/b", "");
    mk("r2");
    put("r2/c", "");
    const char *roots[] = {at("r2"), at("missing"), at("r1"), at("r1/sub")};
    struct rec r;
    rec_init(&r);
    struct rp_errbuf eb;
    assert_int_equal(rp_walk_run(roots, 4, NULL, record, &r, &eb), RP_OK);
    static const char want[] = "dir:\nfile:c\n"                      /* r2, as given first */
                               "error::RP_ENOENT\n"                  /* missing, reported */
                               "dir:\nfile:a\ndir:sub\nfile:sub/b\n" /* r1 */
                               "skip::seen\n";                       /* r1/sub: done already */
    assert_string_equal(rp_buf_cstr(&r.log), want);
    rp_buf_release(&r.log);
}

static void test_walk_bad_args(void **state)
{
    struct rp_errbuf eb;
    const char *roots[] = {NULL};
    assert_int_equal(rp_walk_run(roots, 1, NULL, record, NULL, &eb), RP_EINVAL);
    assert_int_equal(rp_walk_run(NULL, 1, NULL, record, NULL, &eb), RP_EINVAL);
    assert_int_equal(rp_walk_run(roots, 0, NULL, NULL, NULL, &eb), RP_EINVAL);
    assert_int_equal(rp_walk_run(NULL, 0, NULL, record, NULL, &eb), RP_OK);
}

/* ---- fixture ---- */

static int setup(void **state)
{
    return rp_test_tmpdir_make(tmpdir, sizeof tmpdir, "rp_walk_");
}

static int teardown(void **state)
{
    return rp_test_tmpdir_remove(tmpdir);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_walk_order_bytewise),
        T(test_walk_file_stat_and_open),
        T(test_walk_symlinks_skipped_with_reason),
        T(test_walk_follow_cycle_visits_once),
        T(test_walk_follow_links_to_files),
        T(test_walk_fifo_skipped),
        T(test_walk_prune_dir),
        T(test_walk_stop),
        T(test_walk_depth_limit),
        T(test_walk_depth_limit_default),
        T(test_walk_path_limit),
        T(test_walk_unreadable_dir_reported),
        T(test_walk_vanished_dir_reported),
        T(test_walk_swapped_dir_not_followed),
        T(test_walk_entry_open_detects_swap),
        T(test_walk_root_is_file),
        T(test_walk_multiple_roots),
        T(test_walk_bad_args),
    };
    return cmocka_run_group_tests_name("core_walk", tests, NULL, NULL);
}
