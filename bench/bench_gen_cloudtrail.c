/* SPDX-License-Identifier: Apache-2.0 */
/* bench_gen_cloudtrail: write one synthetic CloudTrail delivery file for the benchmarks.
 *
 *     bench_gen_cloudtrail --mb N [--seed S] [--gzip] OUT
 *
 * Streams {"Records":[...]} of about N MB (uncompressed; the last record may pass N MB by a
 * few KB) from rp_sim's generator to OUT ("-" = stdout) in constant memory, gzip-compressed
 * with --gzip, and prints the record count on stdout (on stderr when OUT is stdout). Timing
 * and throughput go to stderr.
 * The same N and seed always give the same bytes, so bench runs are comparable. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <zlib.h> /* --gzip streams through zlib directly: rp_gz compresses whole buffers only */

#include "core/rp_str.h"
#include "sim/sim.h"
#include "core/rp_banned.h"

struct out {
    FILE *f;
    z_stream z;
    bool gzip;
    unsigned char zbuf[1 << 16];
};

static rp_err sink_file(void *ctx, const void *p, size_t n)
{
    struct out *o = ctx;
    return fwrite(p, 1, n, o->f) == n ? RP_OK : RP_EIO;
}

/* Deflate p[0..n) into the file; flush==Z_FINISH ends the gzip member. */
static rp_err deflate_some(struct out *o, const void *p, size_t n, int flush)
{
    o->z.next_in = (unsigned char *)(uintptr_t)p;
    o->z.avail_in = (uInt)n;
    do {
        o->z.next_out = o->zbuf;
        o->z.avail_out = sizeof(o->zbuf);
        int rc = deflate(&o->z, flush);
        if (rc == Z_STREAM_ERROR) return RP_EINTERNAL;
        size_t have = sizeof(o->zbuf) - o->z.avail_out;
        if (have && fwrite(o->zbuf, 1, have, o->f) != have) return RP_EIO;
    } while (o->z.avail_out == 0 || (flush == Z_FINISH && o->z.avail_in));
    return RP_OK;
}

static rp_err sink_gzip(void *ctx, const void *p, size_t n)
{
    /* chunks are about 1 MiB, well under uInt */
    return deflate_some(ctx, p, n, Z_NO_FLUSH);
}

static int usage(void)
{
    fprintf(stderr, "usage: bench_gen_cloudtrail --mb N [--seed S] [--gzip] OUT\n");
    return 2;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    uint64_t mb = 0, seed = 1;
    bool gzip = false;
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--mb") == 0 && i + 1 < argc) {
            if (rp_str_to_u64(rp_str_from(argv[++i]), &mb) || !mb || mb > (1u << 20))
                return usage();
        } else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
            if (rp_str_to_u64(rp_str_from(argv[++i]), &seed)) return usage();
        } else if (strcmp(argv[i], "--gzip") == 0) {
            gzip = true;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            return usage();
        } else if (!path) {
            path = argv[i];
        } else {
            return usage();
        }
    }
    if (!mb || !path) return usage();

    static struct out o; /* 64 KiB buffer: keep it off the stack */
    o.gzip = gzip;
    o.f = strcmp(path, "-") == 0 ? stdout : fopen(path, "wb");
    if (!o.f) {
        fprintf(stderr, "bench_gen_cloudtrail: cannot open '%s': %s\n", path, strerror(errno));
        return 1;
    }
    if (gzip && deflateInit2(&o.z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8,
                             Z_DEFAULT_STRATEGY) != Z_OK) {
        fprintf(stderr, "bench_gen_cloudtrail: deflateInit2 failed\n");
        return 1;
    }

    struct rp_sim_ct_opts opts;
    rp_sim_ct_opts_init(&opts);
    opts.seed = seed;
    struct rp_errbuf eb;
    struct rp_sim_ct *g;
    if (rp_sim_ct_new(&opts, &g, &eb)) {
        fprintf(stderr, "bench_gen_cloudtrail: %s\n", eb.msg);
        return 1;
    }
    uint64_t n = 0;
    double t0 = now();
    rp_err e = rp_sim_ct_file_write(g, 0, mb << 20, gzip ? sink_gzip : sink_file, &o, &n, &eb);
    if (!e && gzip) e = deflate_some(&o, NULL, 0, Z_FINISH);
    double dt = now() - t0;
    rp_sim_ct_free(g);
    if (gzip) deflateEnd(&o.z);
    if (o.f != stdout ? fclose(o.f) != 0 : fflush(o.f) != 0) e = e ? e : RP_EIO;
    if (e) {
        fprintf(stderr, "bench_gen_cloudtrail: writing '%s' failed: %s\n", path, rp_strerror(e));
        return 1;
    }
    fprintf(o.f == stdout ? stderr : stdout, "%llu\n", (unsigned long long)n);
    fprintf(stderr, "bench_gen_cloudtrail: %llu records, ~%llu MB in %.2f s (%.0f MB/s)%s\n",
            (unsigned long long)n, (unsigned long long)mb, dt, dt > 0 ? (double)mb / dt : 0.0,
            gzip ? ", gzip" : "");
    return 0;
}
