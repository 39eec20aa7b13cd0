/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target for core/rp_time. Arbitrary bytes go to every parser (ISO, epoch seconds
 * and milliseconds, relative, CLI filter) as a slice that is not NUL-terminated. Whenever a
 * parse succeeds the value must be in range, must format, and the formatted text must parse
 * back to the same millisecond (and the fraction-less form to the same second, floored). A
 * failed parse must leave a message starting with "time: ". */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/rp_time.h"

static void check(rp_err e, int64_t ms, const struct rp_errbuf *eb)
{
    char buf[RP_TIME_ISO_BUFSZ];
    int64_t back;
    if (e != RP_OK) {
        if (e != RP_EPARSE || strncmp(eb->msg, "time: ", 6) != 0) abort();
        return;
    }
    if (ms < RP_TIME_MIN_MS || ms > RP_TIME_MAX_MS) abort();
    if (rp_time_format_iso(ms, buf, sizeof buf) != RP_OK) abort();
    if (rp_time_parse_iso(rp_str_from(buf), &back, NULL) != RP_OK || back != ms) abort();
    if (rp_time_format_iso_s(ms, buf, sizeof buf) != RP_OK) abort();
    if (rp_time_parse_iso(rp_str_from(buf), &back, NULL) != RP_OK) abort();
    if (back != ms - ((ms % 1000) + 1000) % 1000) abort();
    struct rp_time_civil c;
    if (rp_time_to_civil(ms, &c) != RP_OK || rp_time_from_civil(&c, &back) != RP_OK || back != ms)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* An exact-size heap copy, so ASan catches any read past the slice. */
    char *p = malloc(size ? size : 1);
    if (!p) return 0;
    if (size) memcpy(p, data, size);
    struct rp_str s = {p, size};
    struct rp_errbuf eb;
    int64_t ms;
    const int64_t now = 1700000000000LL;

    rp_errbuf_clear(&eb);
    check(rp_time_parse_iso(s, &ms, &eb), ms, &eb);
    rp_errbuf_clear(&eb);
    check(rp_time_parse_epoch_s(s, &ms, &eb), ms, &eb);
    rp_errbuf_clear(&eb);
    check(rp_time_parse_epoch_ms(s, &ms, &eb), ms, &eb);
    rp_errbuf_clear(&eb);
    check(rp_time_parse_relative(s, now, &ms, &eb), ms, &eb);
    rp_errbuf_clear(&eb);
    check(rp_time_parse_filter(s, now, &ms, &eb), ms, &eb);
    free(p);
    return 0;
}
