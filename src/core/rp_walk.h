/* SPDX-License-Identifier: Apache-2.0 */
/* Deterministic, symlink-safe directory walker: finds the log files ingest reads.
 *
 * Order: roots in the order given; inside a directory, entries sorted bytewise by name
 * (strcmp, never the locale), depth-first and pre-order (a directory's event comes before its
 * contents). The same tree gives the same event sequence on every filesystem and run.
 *
 * Safety: below the roots every entry is examined with fstatat(AT_SYMLINK_NOFOLLOW) relative
 * to its parent's fd and directories are opened with openat(O_NOFOLLOW | O_DIRECTORY), then
 * checked to be the (dev, inode) that was stat'ed, so a directory swapped for a symlink
 * mid-walk is reported, not followed. Symlinks are never followed unless
 * RP_WALK_FOLLOW_SYMLINKS is set; no directory is entered twice (by (dev, inode), across all
 * roots), which also stops cycles through symlinks or bind mounts. The roots themselves are
 * resolved as given, following symlinks (like `find -H`).
 *
 * Events and what the callback may return:
 *   RP_WALK_EV_DIR    a directory, before it is opened: RP_WALK_CONTINUE enters it,
 *                     RP_WALK_SKIP prunes it (nothing under it is opened), RP_WALK_STOP stops.
 *                     If it then cannot be opened or read, an RP_WALK_EV_ERROR follows for
 *                     the same path.
 *   RP_WALK_EV_FILE   a regular file (not opened by the walker; see rp_walk_entry_open).
 *   RP_WALK_EV_SKIP   an entry not visited, with a reason (symlink, fifo, depth, ...).
 *   RP_WALK_EV_ERROR  an entry that could not be examined, with a code and message.
 * For FILE, SKIP and ERROR events RP_WALK_SKIP means the same as RP_WALK_CONTINUE. The walk
 * goes on after every SKIP and ERROR event unless the callback returns RP_WALK_STOP.
 *
 * Thread-safety: rp_walk_run is reentrant; the callback runs on the calling thread. */
#ifndef RP_WALK_H
#define RP_WALK_H

#include <sys/stat.h>

#include "core/rp_err.h"

enum rp_walk_event {
    RP_WALK_EV_DIR,
    RP_WALK_EV_FILE,
    RP_WALK_EV_SKIP,
    RP_WALK_EV_ERROR,
};

enum rp_walk_reason {
    RP_WALK_REASON_NONE,     /* DIR, FILE and ERROR events */
    RP_WALK_REASON_SYMLINK,  /* a symlink, and following is off */
    RP_WALK_REASON_SPECIAL,  /* fifo, socket, character or block device */
    RP_WALK_REASON_DEPTH,    /* a directory at max_depth: its entries would be deeper */
    RP_WALK_REASON_PATH,     /* the full path is longer than max_path bytes */
    RP_WALK_REASON_CYCLE,    /* a directory that is its own ancestor (through a symlink) */
    RP_WALK_REASON_SEEN,     /* a directory already walked (second symlink, overlapping root) */
    RP_WALK_REASON_DANGLING, /* following is on and the symlink's target does not exist */
};

enum rp_walk_action {
    RP_WALK_CONTINUE = 0,
    RP_WALK_SKIP, /* DIR event: do not enter this directory */
    RP_WALK_STOP, /* end the walk now; rp_walk_run returns RP_OK */
};

/* What the callback sees. Every pointer is borrowed and valid only during the callback. */
struct rp_walk_entry {
    enum rp_walk_event event;
    enum rp_walk_reason reason; /* SKIP events; RP_WALK_REASON_NONE otherwise */
    const char *root;           /* the root being walked, as given */
    const char *path;           /* full path: root, '/', rel ("x/y" under root "t" is "t/x/y") */
    const char *rel;            /* path below the root, '/'-separated; "" for the root itself */
    const char *name;           /* entry name to use with dirfd; the root path for a root */
    int dirfd;                  /* open directory holding name; AT_FDCWD for a root */
    unsigned depth;             /* 0 for a root, 1 for its entries, ... */
    bool followed;              /* reached through a symlink (follow mode, or a root) */
    const struct stat *st;      /* size, mtime, dev, ino, mode (the target's when followed);
                                   NULL when not stat'ed (PATH skips, failed stats) */
    rp_err err;                 /* ERROR events: RP_EPERM, RP_ENOENT (vanished), RP_EIO */
    const char *msg;            /* SKIP and ERROR events: what happened; "" otherwise */
};

typedef enum rp_walk_action (*rp_walk_visit_fn)(const struct rp_walk_entry *e, void *ctx);

#define RP_WALK_FOLLOW_SYMLINKS 0x1u /* follow symlinks to files and directories */

/* Options; a zero field means the default. */
struct rp_walk_opts {
    unsigned flags;     /* RP_WALK_FOLLOW_SYMLINKS */
    unsigned max_depth; /* deepest entry visited (root = 0); 0 = RP_MAX_WALK_DEPTH */
    size_t max_path;    /* longest full path in bytes; 0 = RP_MAX_PATH_BYTES */
};

/* Walk the nroots paths in roots, calling fn(entry, ctx) for each event. A root that is a
 * regular file gives one FILE event; a root that does not exist or cannot be stat'ed gives an
 * ERROR event. opts may be NULL.
 * Returns RP_OK when the walk completed or fn asked to stop (problems with entries are events,
 * not errors); RP_EINVAL for bad arguments; RP_ENOMEM when the walker itself ran out of memory
 * (the walk is abandoned). Details in *eb. */
rp_err rp_walk_run(const char *const *roots, size_t nroots, const struct rp_walk_opts *opts,
                   rp_walk_visit_fn fn, void *ctx, struct rp_errbuf *eb) RP_WUR;

/* Open the file of a FILE event for reading, race-free: openat(dirfd, name) with O_NOFOLLOW
 * unless the event was followed, O_NONBLOCK so a swapped-in fifo cannot block, then a check
 * that the opened file is still the regular file (dev, inode) of the event. Call only from the
 * callback (dirfd is closed afterwards). On RP_OK *fd is a new descriptor the caller closes.
 * Otherwise RP_ENOENT (vanished), RP_EPERM, RP_EIO (changed since it was listed, or other
 * errors), with details in *eb. */
rp_err rp_walk_entry_open(const struct rp_walk_entry *e, int *fd, struct rp_errbuf *eb) RP_WUR;

/* Stable names for logs and tests: "dir", "file", "skip", "error"; "symlink", "special",
 * "depth", "path", "cycle", "seen", "dangling" ("" for NONE). Static strings. */
const char *rp_walk_event_name(enum rp_walk_event ev);
const char *rp_walk_reason_name(enum rp_walk_reason r);

#endif
