/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target for container image tars (src/vuln/vuln_image.c): the input is written to
 * a temp file (the reader takes a path, as libarchive streams it) and read as an image; every
 * file handed on must have a "<tar>:/" path, a size within VULN_IMG_MAX_FILE, and a layer
 * digest that is NULL or "<alg>:.."; an error must be RP_EPARSE with a message or RP_ENOMEM.
 * Seeds: image tars like the ones tests/unit/vuln/test_vuln_image.c builds (docker save and
 * OCI layouts with gzip layers and whiteouts).
 *
 * The rpm database format (vuln_inv_rpmdb.c) is fuzzed here only through its pure helpers
 * (the SOURCERPM name and the "[epoch:]version-release" string, on the input as text):
 * fuzzing librpm with arbitrary sqlite or Berkeley DB files would fuzz librpm and SQLite,
 * not Rampart, and librpm leaks on databases it cannot open. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vuln/vuln_image.h"

bool rp_vuln_rpmdb_srpm_name(const char *srpm, char *out, size_t outsz);
bool rp_vuln_rpmdb_evr(int64_t epoch, const char *version, const char *release, char *out,
                       size_t outsz);

static rp_err on_file(void *ctx, const char *path, const char *data, size_t n, const char *layer,
                      const char *os, struct rp_errbuf *eb)
{
    (void)ctx;
    (void)eb;
    if (!path || !strstr(path, ":/") || n > VULN_IMG_MAX_FILE || (n && !data)) abort();
    if (layer && !strchr(layer, ':')) abort();
    if (os && !os[0]) abort();
    volatile char sink = n ? data[n - 1] : 0;
    (void)sink;
    return RP_OK;
}

static void helpers(const uint8_t *data, size_t size)
{
    char s[512], out[64];
    size_t n = size < sizeof s - 1 ? size : sizeof s - 1;
    memcpy(s, data, n);
    s[n] = 0;
    if (rp_vuln_rpmdb_srpm_name(s, out, sizeof out) && (!out[0] || strlen(out) >= sizeof out))
        abort();
    char *dash = strchr(s, '-');
    if (dash) *dash = 0;
    if (rp_vuln_rpmdb_evr(size ? data[0] : 0, s, dash ? dash + 1 : "", out, sizeof out) &&
        !strchr(out, '-'))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    helpers(data, size);
    char path[] = "/tmp/rp-fuzz-image-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) return 0;
    size_t off = 0;
    while (off < size) {
        ssize_t w = write(fd, data + off, size - off);
        if (w <= 0) break;
        off += (size_t)w;
    }
    close(fd);
    int64_t failed = 0;
    struct rp_errbuf eb = {0};
    rp_err e = rp_vuln_image_read(path, on_file, NULL, NULL, NULL, &failed, &eb);
    if (e != RP_OK && !(e == RP_EPARSE && eb.msg[0]) && e != RP_ENOMEM) abort();
    (void)rp_vuln_image_probe(path);
    unlink(path);
    return 0;
}
