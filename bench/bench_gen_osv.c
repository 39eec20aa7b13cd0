/* SPDX-License-Identifier: Apache-2.0 */
/* bench_gen_osv: generated input for bench/vulns.sh (issue 9's matching floor).
 *
 *     bench_gen_osv OUTDIR ADVISORIES PACKAGES SEED
 *
 * writes OUTDIR/osv/<eco>-NNN.json (JSON arrays of 5,000 OSV advisories each, over the npm,
 * PyPI and Debian:12 ecosystems, package names drawn from a pool of ADVISORIES/4 names per
 * ecosystem, each advisory with one affected package, an ECOSYSTEM or SEMVER range with one to
 * three introduced/fixed intervals, sometimes a last_affected, sometimes explicit versions)
 * and OUTDIR/sbom.cdx.json, a CycloneDX SBOM of PACKAGES components (purls of the same three
 * ecosystems, names from the same pools so that some match). Deterministic for a seed. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static uint64_t rng;

static uint64_t next(void)
{
    /* splitmix64 */
    uint64_t z = (rng += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static unsigned below(unsigned n)
{
    return (unsigned)(next() % n);
}

static const char *const ecos[] = {"npm", "PyPI", "Debian:12"};

static void version(char *buf, size_t n, int eco, unsigned major, unsigned minor, unsigned patch)
{
    if (eco == 2)
        snprintf(buf, n, "%u.%u.%u-%u+deb12u%u", major, minor, patch, 1 + minor % 3, patch % 4);
    else
        snprintf(buf, n, "%u.%u.%u", major, minor, patch);
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: bench_gen_osv OUTDIR ADVISORIES PACKAGES SEED\n");
        return 2;
    }
    const char *out = argv[1];
    unsigned nadv = (unsigned)strtoul(argv[2], NULL, 10);
    unsigned npkg = (unsigned)strtoul(argv[3], NULL, 10);
    rng = strtoull(argv[4], NULL, 10);
    unsigned pool = nadv / 4 ? nadv / 4 : 1;
    char path[4096];
    snprintf(path, sizeof path, "%s/osv", out);
    mkdir(out, 0755);
    mkdir(path, 0755);
    FILE *f = NULL;
    for (unsigned i = 0; i < nadv; i++) {
        int eco = (int)(i % 3);
        if (i % 5000 == 0) {
            if (f) {
                fputs("]\n", f);
                fclose(f);
            }
            snprintf(path, sizeof path, "%s/osv/adv-%03u.json", out, i / 5000);
            if (!(f = fopen(path, "w"))) {
                perror(path);
                return 1;
            }
            fputc('[', f);
        } else {
            fputc(',', f);
        }
        unsigned name = below(pool);
        fprintf(f,
                "\n{\"id\":\"BENCH-%07u\",\"modified\":\"2024-01-%02uT00:00:00Z\","
                "\"aliases\":[\"CVE-2024-%05u\"],\"summary\":\"generated advisory %u\","
                "\"affected\":[{\"package\":{\"ecosystem\":\"%s\",\"name\":\"%s%u\"},",
                i, 1 + i % 28, i % 100000, i, ecos[eco], eco == 1 ? "Py_Pkg." : "pkg-", name);
        char v1[64], v2[64];
        if (below(10) == 0) {
            version(v1, sizeof v1, eco, below(5), below(20), below(30));
            fprintf(f, "\"versions\":[\"%s\"]}]}", v1);
            continue;
        }
        fprintf(f, "\"ranges\":[{\"type\":\"%s\",\"events\":[",
                eco == 0 && below(2) ? "SEMVER" : "ECOSYSTEM");
        unsigned intervals = 1 + below(3), major = 0;
        for (unsigned k = 0; k < intervals; k++) {
            unsigned lo = below(10), hi = lo + 1 + below(10);
            version(v1, sizeof v1, eco, major, lo, 0);
            version(v2, sizeof v2, eco, major, hi, below(5));
            if (k == 0 && below(3) == 0)
                fprintf(f, "{\"introduced\":\"0\"},");
            else
                fprintf(f, "{\"introduced\":\"%s\"},", v1);
            if (k + 1 == intervals && below(8) == 0)
                fprintf(f, "{\"last_affected\":\"%s\"}", v2);
            else
                fprintf(f, "{\"fixed\":\"%s\"}", v2);
            if (k + 1 < intervals) fputc(',', f);
            major++;
        }
        fputs("]}]}]}", f);
    }
    if (f) {
        fputs("]\n", f);
        fclose(f);
    }
    snprintf(path, sizeof path, "%s/sbom.cdx.json", out);
    if (!(f = fopen(path, "w"))) {
        perror(path);
        return 1;
    }
    fputs("{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"components\":[", f);
    for (unsigned i = 0; i < npkg; i++) {
        int eco = (int)(i % 3);
        unsigned name = below(pool);
        char v[64];
        version(v, sizeof v, eco, below(3), below(20), below(30));
        char p[256];
        if (eco == 0) {
            snprintf(p, sizeof p, "pkg:npm/pkg-%u@%s", name, v);
        } else if (eco == 1) {
            snprintf(p, sizeof p, "pkg:pypi/py-pkg-%u@%s", name, v);
        } else {
            char *plus = strchr(v, '+'); /* '+' is percent-encoded in a purl */
            if (plus) *plus = 0;
            snprintf(p, sizeof p, "pkg:deb/debian/pkg-%u@%s%s%s?distro=debian-12", name, v,
                     plus ? "%2B" : "", plus ? plus + 1 : "");
            if (plus) *plus = '+';
        }
        fprintf(f, "%s\n{\"type\":\"library\",\"name\":\"x\",\"version\":\"%s\",\"purl\":\"%s\"}",
                i ? "," : "", v, p);
    }
    fputs("]}\n", f);
    fclose(f);
    return 0;
}
