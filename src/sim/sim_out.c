/* SPDX-License-Identifier: Apache-2.0 */
/* rp_sim output files (sim_gen.h): relative S3-style keys under the output directory, created
 * once each (O_EXCL), parent directories made on demand, plain or gzip. Gzip goes through zlib's
 * streaming deflate with an explicit header (no file name, mtime 0, OS byte 3), so the same
 * bytes in give the same file out. Every file is counted per source label for manifest.json.
 * Also the time-stamp helpers used in keys and records. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "sim/sim_internal.h"
#include "core/rp_str.h"
#include "core/rp_time.h"
#include "core/rp_banned.h"

struct rp_sim_out {
    char *dir;
    size_t dirlen;
    struct rp_sim_stats stats;
};

struct rp_sim_file {
    struct rp_sim_run *run;
    int fd;
    bool gz;
    z_stream z;
    gz_header hdr;
    unsigned char obuf[64 << 10];
    uint64_t bytes; /* bytes written to disk */
    uint64_t records;
    char source[32];
    char key[RP_SIM_MAX_KEY];
};

rp_err rp_sim_out_new(const char *dir, struct rp_sim_out **out, struct rp_errbuf *eb)
{
    *out = NULL;
    if (!dir || !*dir) return rp_fail(eb, RP_EINVAL, "simulate: no output directory");
    struct rp_sim_out *o = calloc(1, sizeof(*o));
    if (!o) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    o->dirlen = strlen(dir);
    while (o->dirlen > 1 && dir[o->dirlen - 1] == '/') o->dirlen--;
    o->dir = malloc(o->dirlen + 1);
    if (!o->dir) {
        free(o);
        return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    }
    memcpy(o->dir, dir, o->dirlen);
    o->dir[o->dirlen] = '\0';
    *out = o;
    return RP_OK;
}

void rp_sim_out_free(struct rp_sim_out *o)
{
    if (!o) return;
    free(o->dir);
    free(o);
}

struct rp_sim_stats *rp_sim_out_stats(struct rp_sim_out *o)
{
    return &o->stats;
}

static struct rp_sim_source_stats *source_slot(struct rp_sim_out *o, const char *source)
{
    struct rp_sim_stats *st = &o->stats;
    for (uint32_t i = 0; i < st->nsources; i++)
        if (strcmp(st->sources[i].name, source) == 0) return &st->sources[i];
    if (st->nsources == RP_SIM_MAX_SOURCES) return &st->sources[RP_SIM_MAX_SOURCES - 1];
    struct rp_sim_source_stats *s = &st->sources[st->nsources++];
    rp_strlcpy(s->name, source, sizeof(s->name));
    return s;
}

void rp_sim_out_count(struct rp_sim_out *o, const char *source, uint64_t files, uint64_t bytes,
                      uint64_t records)
{
    struct rp_sim_source_stats *s = source_slot(o, source);
    s->files += files;
    s->bytes += bytes;
    s->records += records;
    o->stats.files += files;
    o->stats.bytes += bytes;
    o->stats.records += records;
}

static bool key_ok(const char *key)
{
    size_t n = strlen(key);
    if (n == 0 || n >= RP_SIM_MAX_KEY || key[0] == '/' || key[n - 1] == '/') return false;
    const char *seg = key;
    for (const char *p = key;; p++) {
        if (*p == '/' || *p == '\0') {
            size_t len = (size_t)(p - seg);
            if (len == 0) return false;
            if ((len == 1 && seg[0] == '.') || (len == 2 && seg[0] == '.' && seg[1] == '.'))
                return false;
            if (*p == '\0') break;
            seg = p + 1;
            continue;
        }
        char c = *p;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-' || c == '=' || c == ':' || c == '@' || c == '+'))
            return false;
    }
    return true;
}

/* mkdir -p of the directories of path (path is writable scratch). */
static rp_err make_parents(char *path, size_t skip, struct rp_errbuf *eb)
{
    for (char *p = path + skip; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        int rc = mkdir(path, 0777);
        int err = errno;
        *p = '/';
        if (rc != 0 && err != EEXIST)
            return rp_fail(eb, RP_EIO, "simulate: cannot create directory for '%s': %s", path,
                           strerror(err));
    }
    return RP_OK;
}

static rp_err write_all(struct rp_sim_file *f, const void *p, size_t n, struct rp_errbuf *eb)
{
    const unsigned char *c = p;
    while (n) {
        ssize_t w = write(f->fd, c, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            return rp_fail(eb, RP_EIO, "simulate: cannot write '%s': %s", f->key, strerror(errno));
        }
        c += w;
        n -= (size_t)w;
        f->bytes += (uint64_t)w;
    }
    return RP_OK;
}

rp_err rp_sim_out_open(struct rp_sim_run *run, const char *source, const char *key, unsigned flags,
                       struct rp_sim_file **out, struct rp_errbuf *eb)
{
    *out = NULL;
    if (!key || !key_ok(key))
        return rp_fail(eb, RP_EINVAL, "simulate: bad output key '%s'", key ? key : "");
    struct rp_sim_out *o = run->priv->out;
    size_t klen = strlen(key);
    char *path = malloc(o->dirlen + 1 + klen + 1);
    if (!path) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    memcpy(path, o->dir, o->dirlen);
    path[o->dirlen] = '/';
    memcpy(path + o->dirlen + 1, key, klen + 1);
    rp_err e = make_parents(path, o->dirlen + 1, eb);
    if (e != RP_OK) {
        free(path);
        return e;
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    int err = errno;
    free(path);
    if (fd < 0) {
        if (err == EEXIST)
            return rp_fail(eb, RP_EEXIST, "simulate: output key '%s' written twice", key);
        return rp_fail(eb, RP_EIO, "simulate: cannot create '%s': %s", key, strerror(err));
    }
    struct rp_sim_file *f = calloc(1, sizeof(*f));
    if (!f) {
        close(fd);
        return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    }
    f->run = run;
    f->fd = fd;
    rp_strlcpy(f->source, source ? source : "other", sizeof(f->source));
    rp_strlcpy(f->key, key, sizeof(f->key));
    if (flags & RP_SIM_OUT_GZIP) {
        f->gz = true;
        if (deflateInit2(&f->z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
            close(fd);
            free(f);
            return rp_fail(eb, RP_ENOMEM, "simulate: cannot start gzip for '%s'", key);
        }
        memset(&f->hdr, 0, sizeof(f->hdr));
        f->hdr.time = 0;
        f->hdr.os = 3; /* Unix, whatever the build platform */
        (void)deflateSetHeader(&f->z, &f->hdr);
    }
    *out = f;
    return RP_OK;
}

static rp_err deflate_some(struct rp_sim_file *f, int flush, struct rp_errbuf *eb)
{
    for (;;) {
        f->z.next_out = f->obuf;
        f->z.avail_out = sizeof(f->obuf);
        int rc = deflate(&f->z, flush);
        if (rc == Z_STREAM_ERROR)
            return rp_fail(eb, RP_EINTERNAL, "simulate: gzip failed for '%s'", f->key);
        size_t have = sizeof(f->obuf) - f->z.avail_out;
        if (have) {
            rp_err e = write_all(f, f->obuf, have, eb);
            if (e != RP_OK) return e;
        }
        if (flush == Z_FINISH) {
            if (rc == Z_STREAM_END) return RP_OK;
        } else if (f->z.avail_in == 0 && f->z.avail_out != 0) {
            return RP_OK;
        }
    }
}

rp_err rp_sim_file_write(struct rp_sim_file *f, const void *p, size_t n, struct rp_errbuf *eb)
{
    if (!f->gz) return write_all(f, p, n, eb);
    const unsigned char *c = p;
    while (n) {
        uInt chunk = n > (1u << 30) ? (1u << 30) : (uInt)n;
        f->z.next_in = (Bytef *)(uintptr_t)c;
        f->z.avail_in = chunk;
        rp_err e = deflate_some(f, Z_NO_FLUSH, eb);
        if (e != RP_OK) return e;
        c += chunk;
        n -= chunk;
    }
    return RP_OK;
}

rp_err rp_sim_file_printf(struct rp_sim_file *f, struct rp_errbuf *eb, const char *fmt, ...)
{
    char small[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (n < 0) return rp_fail(eb, RP_EINVAL, "simulate: bad format");
    if ((size_t)n < sizeof(small)) return rp_sim_file_write(f, small, (size_t)n, eb);
    char *big = malloc((size_t)n + 1);
    if (!big) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    va_start(ap, fmt);
    (void)vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    rp_err e = rp_sim_file_write(f, big, (size_t)n, eb);
    free(big);
    return e;
}

void rp_sim_file_add_records(struct rp_sim_file *f, uint64_t n)
{
    f->records += n;
}

rp_err rp_sim_file_close(struct rp_sim_file *f, struct rp_errbuf *eb)
{
    if (!f) return RP_OK;
    rp_err e = RP_OK;
    if (f->gz) {
        f->z.next_in = NULL;
        f->z.avail_in = 0;
        e = deflate_some(f, Z_FINISH, eb);
        deflateEnd(&f->z);
    }
    if (close(f->fd) != 0 && e == RP_OK)
        e = rp_fail(eb, RP_EIO, "simulate: cannot close '%s': %s", f->key, strerror(errno));
    if (e == RP_OK) rp_sim_out_count(f->run->priv->out, f->source, 1, f->bytes, f->records);
    free(f);
    return e;
}

rp_err rp_sim_out_put(struct rp_sim_run *run, const char *source, const char *key, unsigned flags,
                      const void *p, size_t n, uint64_t nrecords, struct rp_errbuf *eb)
{
    struct rp_sim_file *f = NULL;
    rp_err e = rp_sim_out_open(run, source, key, flags, &f, eb);
    if (e != RP_OK) return e;
    e = rp_sim_file_write(f, p, n, eb);
    rp_sim_file_add_records(f, nrecords);
    rp_err e2 = rp_sim_file_close(f, eb);
    return e != RP_OK ? e : e2;
}

/* ---- time stamps ---------------------------------------------------------------------------- */

static struct rp_time_civil civil(int64_t ms)
{
    struct rp_time_civil c;
    if (rp_time_to_civil(ms, &c) != RP_OK) memset(&c, 0, sizeof(c));
    return c;
}

void rp_sim_key_date(int64_t ms, bool unpadded, char *out, size_t outsz)
{
    struct rp_time_civil c = civil(ms);
    if (unpadded)
        snprintf(out, outsz, "%04d/%d/%d", c.year, c.month, c.day);
    else
        snprintf(out, outsz, "%04d/%02d/%02d", c.year, c.month, c.day);
}

void rp_sim_stamp_min(int64_t ms, char *out, size_t outsz)
{
    struct rp_time_civil c = civil(ms);
    snprintf(out, outsz, "%04d%02d%02dT%02d%02dZ", c.year, c.month, c.day, c.hour, c.minute);
}

void rp_sim_stamp_sec(int64_t ms, char *out, size_t outsz)
{
    struct rp_time_civil c = civil(ms);
    snprintf(out, outsz, "%04d%02d%02dT%02d%02d%02dZ", c.year, c.month, c.day, c.hour, c.minute,
             c.second);
}

/* The CloudTrail / Config time formats are core's (rp_time); simulated times are always in its
 * range, so an error (which leaves "") cannot happen. */
void rp_sim_iso_s(int64_t ms, char *out, size_t outsz)
{
    if (rp_time_format_iso_s(ms, out, outsz) != RP_OK && outsz) out[0] = '\0';
}

void rp_sim_iso_ms(int64_t ms, char *out, size_t outsz)
{
    if (rp_time_format_iso(ms, out, outsz) != RP_OK && outsz) out[0] = '\0';
}
