/* SPDX-License-Identifier: Apache-2.0 */
/* rp_walk: deterministic, symlink-safe directory walker (see rp_walk.h for the contract).
 *
 * Ingest points it at log roots (AWSLogs/<acct>/CloudTrail/<region>/YYYY/MM/DD/...); the
 * callback prunes by path before anything below is opened, and opens the files it wants with
 * rp_walk_entry_open. Each directory is read whole, its names sorted with strcmp, then visited
 * in that order with one fstatat(AT_SYMLINK_NOFOLLOW) per entry against the directory's fd.
 * A directory is opened only after its DIR event, with O_NOFOLLOW, and must still be the
 * (dev, inode) that was stat'ed. Entered directories go into a (dev, inode) hash set, and the
 * current ancestors into a stack, which tell a cycle from a second path to the same place.
 * Recursion depth and open descriptors are bounded by max_depth (one fd per level). */
#define RP_LOG_MODULE "walk"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/rp_buf.h"
#include "core/rp_walk.h"
#include "core/rp_banned.h"

struct devino {
    uint64_t dev;
    uint64_t ino;
    bool used; /* slot taken (in the seen set) */
};

/* Open-addressing hash set of entered directories; cap is a power of two, at most half full. */
struct seen {
    struct devino *slot;
    size_t cap;
    size_t n;
};

struct walker {
    rp_walk_visit_fn fn;
    void *ctx;
    unsigned flags;
    unsigned max_depth;
    size_t max_path;
    const char *root;   /* current root, as given */
    struct rp_buf path; /* full path of the current entry */
    size_t rel_off;     /* where the root-relative part starts in path */
    struct seen seen;   /* directories entered so far, all roots */
    struct devino *anc; /* anc[d]: the directory entered at depth d on the current branch */
    bool stop;          /* the callback said RP_WALK_STOP */
    rp_err fatal;       /* the walker itself failed (RP_ENOMEM) */
    struct rp_errbuf *eb;
    char msg[RP_MAX_ERRMSG]; /* message of the SKIP or ERROR event being sent */
};

/* The entry an event is about. */
struct at {
    int dfd;               /* directory holding name, AT_FDCWD for a root */
    const char *name;      /* name in dfd (the root path for a root) */
    unsigned depth;        /* 0 for a root */
    bool followed;         /* reached through a symlink, so opened without O_NOFOLLOW */
    const struct stat *st; /* NULL until stat'ed */
};

/* ---- seen set ---- */

static size_t devino_hash(uint64_t dev, uint64_t ino)
{
    uint64_t h = dev * 0x9e3779b97f4a7c15ull ^ ino;
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ull;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebull;
    h ^= h >> 31;
    return (size_t)h;
}

static bool seen_has(const struct seen *s, const struct stat *st)
{
    if (!s->cap) return false;
    for (size_t i = devino_hash(st->st_dev, st->st_ino) & (s->cap - 1);;
         i = (i + 1) & (s->cap - 1)) {
        const struct devino *d = &s->slot[i];
        if (!d->used) return false;
        if (d->dev == (uint64_t)st->st_dev && d->ino == (uint64_t)st->st_ino) return true;
    }
}

static void seen_put(struct devino *slot, size_t cap, uint64_t dev, uint64_t ino)
{
    size_t i = devino_hash(dev, ino) & (cap - 1);
    while (slot[i].used) i = (i + 1) & (cap - 1);
    slot[i] = (struct devino){dev, ino, true};
}

/* false on allocation failure */
static bool seen_add(struct seen *s, const struct stat *st)
{
    if ((s->n + 1) * 2 > s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        struct devino *slot = calloc(cap, sizeof *slot);
        if (!slot) return false;
        for (size_t i = 0; i < s->cap; i++)
            if (s->slot[i].used) seen_put(slot, cap, s->slot[i].dev, s->slot[i].ino);
        free(s->slot);
        s->slot = slot;
        s->cap = cap;
    }
    seen_put(s->slot, s->cap, st->st_dev, st->st_ino);
    s->n++;
    return true;
}

/* ---- events ---- */

static enum rp_walk_action emit(struct walker *w, const struct at *a, enum rp_walk_event ev,
                                enum rp_walk_reason why, rp_err err, const char *msg)
{
    struct rp_walk_entry e = {
        .event = ev,
        .reason = why,
        .root = w->root,
        .path = rp_buf_cstr(&w->path),
        .rel = w->path.len >= w->rel_off ? w->path.data + w->rel_off : "",
        .name = a->name,
        .dirfd = a->dfd,
        .depth = a->depth,
        .followed = a->followed,
        .st = a->st,
        .err = err,
        .msg = msg,
    };
    enum rp_walk_action act = w->fn(&e, w->ctx);
    if (act == RP_WALK_STOP) w->stop = true;
    return act;
}

static void skip(struct walker *w, const struct at *a, enum rp_walk_reason why, const char *fmt,
                 ...) RP_PRINTF(4, 5);

static void skip(struct walker *w, const struct at *a, enum rp_walk_reason why, const char *fmt,
                 ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->msg, sizeof w->msg, fmt, ap);
    va_end(ap);
    emit(w, a, RP_WALK_EV_SKIP, why, RP_OK, w->msg);
}

static void fail(struct walker *w, const struct at *a, rp_err code, const char *fmt, ...)
    RP_PRINTF(4, 5);

static void fail(struct walker *w, const struct at *a, rp_err code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->msg, sizeof w->msg, fmt, ap);
    va_end(ap);
    emit(w, a, RP_WALK_EV_ERROR, RP_WALK_REASON_NONE, code, w->msg);
}

/* "walk: cannot <what> '<path>': <strerror>" */
static void fail_errno(struct walker *w, const struct at *a, int errnum, const char *what)
{
    char eb2[128];
    fail(w, a, rp_err_from_errno(errnum), "walk: cannot %s '%s': %s", what, rp_buf_cstr(&w->path),
         strerror_r(errnum, eb2, sizeof eb2));
}

static void fatal_oom(struct walker *w)
{
    w->fatal = rp_fail(w->eb, RP_ENOMEM, "walk: out of memory under '%s'", w->root);
}

/* ---- path ---- */

/* Append '/' and name to the current path; returns the length to restore. */
static size_t path_push(struct walker *w, const char *name)
{
    size_t old = w->path.len;
    rp_err e = RP_OK;
    if (old && w->path.data[old - 1] != '/') e = rp_buf_putc(&w->path, '/');
    if (!e) e = rp_buf_append_str(&w->path, name);
    if (e) fatal_oom(w);
    return old;
}

/* ---- the walk ---- */

static void visit(struct walker *w, int dfd, const char *name, unsigned depth);

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Read every name in d (an entered directory described by a), sort them, visit each. */
static void list(struct walker *w, DIR *d, const struct at *a)
{
    struct rp_buf blob; /* names, each NUL-terminated */
    size_t *offs = NULL, n = 0, cap = 0;
    const char **names = NULL;
    rp_buf_init(&blob, 0);

    struct dirent *de;
    int rd_errno = 0;
    for (;;) {
        errno = 0;
        de = readdir(d);
        if (!de) {
            rd_errno = errno;
            break;
        }
        const char *nm = de->d_name;
        if (nm[0] == '.' && (nm[1] == '\0' || (nm[1] == '.' && nm[2] == '\0'))) continue;
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 32;
            size_t *no = realloc(offs, ncap * sizeof *no);
            if (!no) goto oom;
            offs = no;
            cap = ncap;
        }
        offs[n++] = blob.len;
        if (rp_buf_append(&blob, nm, strlen(nm) + 1) != RP_OK) goto oom;
    }
    if (rd_errno) {
        /* Report, then still visit what was read: the tree is as complete as it can be. */
        fail_errno(w, a, rd_errno, "read directory");
        if (w->stop) goto out;
    }
    if (n) {
        names = malloc(n * sizeof *names);
        if (!names) goto oom;
        for (size_t i = 0; i < n; i++) names[i] = blob.data + offs[i];
        qsort(names, n, sizeof *names, name_cmp);
    }
    for (size_t i = 0; i < n && !w->stop && !w->fatal; i++) {
        size_t old = path_push(w, names[i]);
        if (w->fatal) break;
        visit(w, dirfd(d), names[i], a->depth + 1);
        rp_buf_truncate(&w->path, old);
    }
    goto out;
oom:
    fatal_oom(w);
out:
    free(names);
    free(offs);
    rp_buf_release(&blob);
}

/* A directory at a (already stat'ed): event, then open, check and list it. */
static void enter(struct walker *w, const struct at *a)
{
    const struct stat *st = a->st;
    const char *path = rp_buf_cstr(&w->path);
    for (unsigned i = 0; i < a->depth; i++) {
        if (w->anc[i].dev == (uint64_t)st->st_dev && w->anc[i].ino == (uint64_t)st->st_ino) {
            skip(w, a, RP_WALK_REASON_CYCLE, "walk: '%s' leads back to an ancestor directory",
                 path);
            return;
        }
    }
    if (seen_has(&w->seen, st)) {
        skip(w, a, RP_WALK_REASON_SEEN, "walk: directory '%s' was already walked", path);
        return;
    }
    if (a->depth >= w->max_depth) {
        skip(w, a, RP_WALK_REASON_DEPTH, "walk: not entering '%s': depth limit %u reached", path,
             w->max_depth);
        return;
    }
    if (emit(w, a, RP_WALK_EV_DIR, RP_WALK_REASON_NONE, RP_OK, "") != RP_WALK_CONTINUE) return;

    int flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
    if (!a->followed) flags |= O_NOFOLLOW;
    int fd = openat(a->dfd, a->name, flags);
    if (fd < 0) {
        int e = errno;
        /* ELOOP/ENOTDIR: it was a directory at fstatat time and is a symlink or file now. */
        if (e == ELOOP || (e == ENOTDIR && !a->followed))
            fail(w, a, RP_EIO, "walk: '%s' changed during the walk", path);
        else
            fail_errno(w, a, e, "open directory");
        return;
    }
    struct stat fst;
    if (fstat(fd, &fst) != 0) {
        int e = errno;
        close(fd);
        fail_errno(w, a, e, "stat directory");
        return;
    }
    if (fst.st_dev != st->st_dev || fst.st_ino != st->st_ino) {
        close(fd);
        fail(w, a, RP_EIO, "walk: '%s' changed during the walk", path);
        return;
    }
    if (!seen_add(&w->seen, st)) {
        close(fd);
        fatal_oom(w);
        return;
    }
    w->anc[a->depth] = (struct devino){st->st_dev, st->st_ino, true};
    DIR *d = fdopendir(fd);
    if (!d) {
        int e = errno;
        close(fd);
        fail_errno(w, a, e, "read directory");
        return;
    }
    list(w, d, a);
    closedir(d);
}

/* One entry below a root; its full path is in w->path. */
static void visit(struct walker *w, int dfd, const char *name, unsigned depth)
{
    struct stat st;
    struct at a = {dfd, name, depth, false, NULL};
    const char *path = rp_buf_cstr(&w->path);
    if (w->path.len > w->max_path) {
        skip(w, &a, RP_WALK_REASON_PATH, "walk: path '%s' is longer than %zu bytes", path,
             w->max_path);
        return;
    }
    if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
        fail_errno(w, &a, errno, "stat");
        return;
    }
    a.st = &st;
    if (S_ISLNK(st.st_mode)) {
        if (!(w->flags & RP_WALK_FOLLOW_SYMLINKS)) {
            skip(w, &a, RP_WALK_REASON_SYMLINK, "walk: '%s' is a symlink, not followed", path);
            return;
        }
        struct stat tst;
        if (fstatat(dfd, name, &tst, 0) != 0) {
            int e = errno;
            if (e == ENOENT || e == ENOTDIR || e == ELOOP)
                skip(w, &a, RP_WALK_REASON_DANGLING, "walk: symlink '%s' has no usable target",
                     path);
            else
                fail_errno(w, &a, e, "stat the target of");
            return;
        }
        st = tst;
        a.followed = true;
    }
    if (S_ISREG(st.st_mode))
        emit(w, &a, RP_WALK_EV_FILE, RP_WALK_REASON_NONE, RP_OK, "");
    else if (S_ISDIR(st.st_mode))
        enter(w, &a);
    else
        skip(w, &a, RP_WALK_REASON_SPECIAL, "walk: '%s' is not a regular file or directory", path);
}

static void walk_root(struct walker *w, const char *root)
{
    size_t len = strlen(root);
    w->root = root;
    rp_buf_reset(&w->path);
    if (rp_buf_append(&w->path, root, len) != RP_OK) {
        fatal_oom(w);
        return;
    }
    w->rel_off = len && root[len - 1] == '/' ? len : len + 1;

    struct at a = {AT_FDCWD, root, 0, true, NULL};
    if (len > w->max_path) {
        skip(w, &a, RP_WALK_REASON_PATH, "walk: path '%s' is longer than %zu bytes", root,
             w->max_path);
        return;
    }
    struct stat st;
    if (stat(root, &st) != 0) {
        fail_errno(w, &a, errno, "stat");
        return;
    }
    a.st = &st;
    if (S_ISREG(st.st_mode))
        emit(w, &a, RP_WALK_EV_FILE, RP_WALK_REASON_NONE, RP_OK, "");
    else if (S_ISDIR(st.st_mode))
        enter(w, &a);
    else
        skip(w, &a, RP_WALK_REASON_SPECIAL, "walk: '%s' is not a regular file or directory", root);
}

rp_err rp_walk_run(const char *const *roots, size_t nroots, const struct rp_walk_opts *opts,
                   rp_walk_visit_fn fn, void *ctx, struct rp_errbuf *eb)
{
    if (!fn || (nroots && !roots)) return rp_fail(eb, RP_EINVAL, "walk: no roots or no callback");
    for (size_t i = 0; i < nroots; i++)
        if (!roots[i]) return rp_fail(eb, RP_EINVAL, "walk: root %zu is NULL", i);

    struct walker w = {.fn = fn, .ctx = ctx, .eb = eb};
    w.flags = opts ? opts->flags : 0;
    w.max_depth = opts && opts->max_depth ? opts->max_depth : RP_MAX_WALK_DEPTH;
    w.max_path = opts && opts->max_path ? opts->max_path : RP_MAX_PATH_BYTES;
    rp_buf_init(&w.path, 0);
    w.anc = calloc((size_t)w.max_depth + 1, sizeof *w.anc);
    if (!w.anc) return rp_fail(eb, RP_ENOMEM, "walk: out of memory");

    for (size_t i = 0; i < nroots && !w.stop && !w.fatal; i++) walk_root(&w, roots[i]);

    free(w.anc);
    free(w.seen.slot);
    rp_buf_release(&w.path);
    return w.fatal;
}

rp_err rp_walk_entry_open(const struct rp_walk_entry *e, int *fd, struct rp_errbuf *eb)
{
    char eb2[128];
    *fd = -1;
    if (e->event != RP_WALK_EV_FILE || !e->st)
        return rp_fail(eb, RP_EINVAL, "walk: '%s' is not a file event", e->path);
    int flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
    if (!e->followed) flags |= O_NOFOLLOW;
    int f = openat(e->dirfd, e->name, flags);
    if (f < 0) {
        int err = errno;
        if (err == ELOOP && !e->followed)
            return rp_fail(eb, RP_EIO, "walk: '%s' changed during the walk", e->path);
        return rp_fail(eb, rp_err_from_errno(err), "walk: cannot open '%s': %s", e->path,
                       strerror_r(err, eb2, sizeof eb2));
    }
    struct stat st;
    if (fstat(f, &st) != 0) {
        int err = errno;
        close(f);
        return rp_fail(eb, RP_EIO, "walk: cannot stat '%s': %s", e->path,
                       strerror_r(err, eb2, sizeof eb2));
    }
    if (!S_ISREG(st.st_mode) || st.st_dev != e->st->st_dev || st.st_ino != e->st->st_ino) {
        close(f);
        return rp_fail(eb, RP_EIO, "walk: '%s' changed during the walk", e->path);
    }
    int fl = fcntl(f, F_GETFL);
    if (fl >= 0) (void)fcntl(f, F_SETFL, fl & ~O_NONBLOCK);
    *fd = f;
    return RP_OK;
}

const char *rp_walk_event_name(enum rp_walk_event ev)
{
    switch (ev) {
    case RP_WALK_EV_DIR:
        return "dir";
    case RP_WALK_EV_FILE:
        return "file";
    case RP_WALK_EV_SKIP:
        return "skip";
    case RP_WALK_EV_ERROR:
        return "error";
    }
    return "unknown";
}

const char *rp_walk_reason_name(enum rp_walk_reason r)
{
    switch (r) {
    case RP_WALK_REASON_NONE:
        return "";
    case RP_WALK_REASON_SYMLINK:
        return "symlink";
    case RP_WALK_REASON_SPECIAL:
        return "special";
    case RP_WALK_REASON_DEPTH:
        return "depth";
    case RP_WALK_REASON_PATH:
        return "path";
    case RP_WALK_REASON_CYCLE:
        return "cycle";
    case RP_WALK_REASON_SEEN:
        return "seen";
    case RP_WALK_REASON_DANGLING:
        return "dangling";
    }
    return "unknown";
}
