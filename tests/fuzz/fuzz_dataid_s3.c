/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target for the S3 answers Rampart parses (src/dataid/dataid_s3.c): the bytes as a
 * ListObjectsV2 page and as an S3 error document. A page that parses has a key for every
 * object and a token only when it says so; an error's code and message are terminated. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dataid/dataid_s3.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *copy = malloc(size ? size : 1); /* so reads past the end are caught */
    if (!copy) return 0;
    memcpy(copy, data, size);
    struct rp_s3_page page = {0};
    struct rp_errbuf eb = {0};
    if (rp_s3_parse_list(copy, size, &page, &eb) == RP_OK) {
        for (size_t i = 0; i < page.n; i++)
            if (!page.obj[i].key || page.obj[i].size < 0) abort();
    } else if (!eb.msg[0]) {
        abort(); /* an error names its problem */
    }
    rp_s3_page_release(&page);
    if (page.n || page.obj || page.next_token) abort();
    char code[64], msg[256];
    memset(code, 'x', sizeof code);
    memset(msg, 'x', sizeof msg);
    rp_s3_parse_error(copy, size, code, sizeof code, msg, sizeof msg);
    if (!memchr(code, 0, sizeof code) || !memchr(msg, 0, sizeof msg)) abort();
    free(copy);
    return 0;
}
