/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target for CVSS vectors (src/vuln/vuln_cvss.c), which come from advisories, so
 * from anyone: the input is a vector. Scoring must succeed with a score in [0, 10] or fail
 * with RP_EPARSE / RP_EUNSUPPORTED and a message; rewriting AV must give a vector that scores
 * no higher when the original scored and had AV:N. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vuln/vuln.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *v = malloc(size ? size : 1); /* a copy, so reads past the end are caught */
    if (!v) return 0;
    memcpy(v, data, size);
    struct rp_str s = {v, size};
    double score = -1;
    int version = 0;
    struct rp_errbuf eb = {0};
    rp_err e = rp_cvss_base_score(s, &score, &version, &eb);
    if (e == RP_OK && (score < 0 || score > 10)) abort();
    if (e != RP_OK && e != RP_EPARSE && e != RP_EUNSUPPORTED) abort();
    if (e != RP_OK && !eb.msg[0]) abort();
    char adj[512];
    if (e == RP_OK && rp_cvss_set_metric(s, "AV", "A", adj, sizeof adj) == RP_OK) {
        double lowered = -1;
        int v2 = 0;
        struct rp_errbuf eb2 = {0};
        bool network = false;
        struct rp_str rest = s, tok;
        while (rp_str_split_next(&rest, '/', &tok))
            network = network || rp_str_eq_cstr(tok, "AV:N");
        if (rp_cvss_base_score(rp_str_from(adj), &lowered, &v2, &eb2) == RP_OK && network &&
            lowered > score)
            abort();
    }
    (void)rp_cvss_severity(score);
    free(v);
    return 0;
}
