/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target for YAML to JSON (src/core/rp_yaml.c): any input either converts to JSON
 * that rp_json parses back, or fails with RP_EPARSE / RP_ELIMIT and a message, leaving the
 * output buffer as it was. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/rp_json.h"
#include "core/rp_yaml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct rp_buf b;
    rp_buf_init(&b, 1u << 22);
    struct rp_errbuf eb = {0};
    rp_err e = rp_yaml_to_json((const char *)data, size, &b, &eb);
    if (e == RP_OK) {
        struct rp_json_parser *p = rp_json_parser_new();
        struct rp_json_val v;
        if (p && rp_json_parse_buf(p, &b, &v, NULL) != RP_OK) abort();
        rp_json_parser_free(p);
    } else if (e != RP_EPARSE && e != RP_ELIMIT && e != RP_ENOMEM) {
        abort();
    } else if (b.len != 0 || !eb.msg[0]) {
        abort();
    }
    rp_buf_release(&b);
    return 0;
}
