/* SPDX-License-Identifier: Apache-2.0 */
/* bench_json_rp: the Rampart side of bench/json.sh. The same work as bench_json_raw (load a
 * CloudTrail file, parse it, walk Records[] and read every eventName) through Rampart's own
 * path: rp_gz_read_file loads the file (.json or .json.gz) into an rp_buf, whose padding lets
 * rp_json_parse_buf parse it in place.
 * Prints "<records> <fnv1a-64 of the names>".
 *
 *     bench_json_rp FILE */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rp_gz.h"
#include "core/rp_json.h"
#include "core/rp_banned.h"

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: bench_json_rp FILE\n");
        return 2;
    }
    struct rp_buf buf;
    struct rp_errbuf eb;
    rp_buf_init(&buf, 0);
    rp_err e = rp_gz_read_file(argv[1], NULL, &buf, &eb);
    if (e) {
        fprintf(stderr, "bench_json_rp: %s\n", rp_errbuf_msg(&eb, e));
        return 1;
    }

    struct rp_json_parser *p = rp_json_parser_new();
    struct rp_json_val root, records, rec;
    struct rp_json_iter it;
    struct rp_str name;
    uint64_t count = 0, hash = 14695981039346656037ull; /* FNV-1a 64, names + '\n' */
    if (!p) return 1;
    e = rp_json_parse_buf(p, &buf, &root, &eb);
    if (e) {
        fprintf(stderr, "bench_json_rp: %s: %s\n", argv[1], rp_errbuf_msg(&eb, e));
        return 1;
    }
    if (rp_json_obj_get(root, "Records", &records) != RP_OK ||
        rp_json_arr_iter(records, &it) != RP_OK) {
        fprintf(stderr, "bench_json_rp: %s: no Records array\n", argv[1]);
        return 1;
    }
    while (rp_json_arr_next(&it, &rec)) {
        if (rp_json_obj_get_str(rec, "eventName", &name) != RP_OK) continue;
        for (size_t i = 0; i < name.len; i++)
            hash = (hash ^ (unsigned char)name.p[i]) * 1099511628211ull;
        hash = (hash ^ '\n') * 1099511628211ull;
        count++;
    }
    printf("%llu %016llx\n", (unsigned long long)count, (unsigned long long)hash);
    rp_json_parser_free(p);
    rp_buf_release(&buf);
    return 0;
}
