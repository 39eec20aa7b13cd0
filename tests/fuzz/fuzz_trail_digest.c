/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target for the CloudTrail digest parser (src/trail/trail_digest.c; cmake
 * -DRP_FUZZ=ON, then run build/<dir>/tests/fuzz/fuzz_trail_digest).
 *
 * Each input is taken as a digest file as it sits on disk: gunzipped first when it starts with
 * the gzip magic (with small caps, as a bomb guard), then parsed. On success every required
 * field must be set, the two times must be in the valid range, every log entry must be
 * complete, and the key-suffix rule must return a pointer into its argument. Any violation
 * aborts, so the fuzzer reports it as a crash; ASan/UBSan catch the rest. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rp_arena.h"
#include "core/rp_buf.h"
#include "core/rp_gz.h"
#include "core/rp_time.h"
#include "trail/trail.h"

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz_trail_digest: check failed: %s (line %d)\n", #cond, __LINE__);   \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

static void check_suffix(const char *s)
{
    const char *k = rp_trail_key_suffix(s);
    if (!k) return;
    CHECK(k >= s && k < s + strlen(s));
    CHECK(strncmp(k, "AWSLogs/", 8) == 0);
    CHECK(k == s || k[-1] == '/');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct rp_buf plain;
    rp_buf_init(&plain, 4u << 20);
    const char *json = (const char *)data;
    size_t len = size;
    if (rp_gz_is_gzip(data, size)) {
        struct rp_gz_limits lim = {.max_output = 4u << 20, .max_ratio = 0, .ratio_floor = 0};
        if (rp_gz_decompress(data, size, "fuzz", &lim, &plain, NULL) != RP_OK) {
            rp_buf_release(&plain);
            return 0;
        }
        json = plain.data ? plain.data : "";
        len = plain.len;
    }
    struct rp_arena a;
    rp_arena_init(&a, 0);
    struct rp_trail_digest d;
    struct rp_errbuf eb = {0};
    rp_err e = rp_trail_digest_parse(&a, json, len, &d, &eb);
    if (e == RP_OK) {
        CHECK(d.account && d.start_time && d.end_time && d.s3_bucket && d.s3_object);
        CHECK(d.key_fingerprint && d.sig_algorithm);
        CHECK(d.start_ms >= RP_TIME_MIN_MS && d.start_ms <= RP_TIME_MAX_MS);
        CHECK(d.end_ms >= RP_TIME_MIN_MS && d.end_ms <= RP_TIME_MAX_MS);
        CHECK(d.nlogs == 0 || d.logs != NULL);
        for (size_t i = 0; i < d.nlogs; i++) {
            CHECK(d.logs[i].s3_bucket && d.logs[i].s3_object);
            CHECK(d.logs[i].hash_value && d.logs[i].hash_algorithm);
            check_suffix(d.logs[i].s3_object);
        }
        check_suffix(d.s3_object);
        if (d.prev_object) check_suffix(d.prev_object);
    } else {
        CHECK(e == RP_EPARSE || e == RP_ELIMIT || e == RP_ENOMEM);
        CHECK(eb.msg[0] != '\0' || e == RP_ENOMEM);
    }
    rp_arena_release(&a);
    rp_buf_release(&plain);
    return 0;
}
