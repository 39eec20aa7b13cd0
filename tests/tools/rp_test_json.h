/* SPDX-License-Identifier: Apache-2.0 */
/* Looking into JSON documents from unit tests: the value at a path as compact JSON, so a test
 * can assert one member of a finding exactly. Header-only, test code only; include it after
 * cmocka.h. */
#ifndef RP_TEST_JSON_H
#define RP_TEST_JSON_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rp_buf.h"
#include "core/rp_json.h"

/* The value at path in doc as compact JSON, or "<none>". Path: member names separated by '.',
 * each optionally followed by [index]s ("Resources[0].Type"). The result lives in a static
 * buffer until the next call. */
static inline const char *rp_test_json_at(const char *doc, const char *path)
{
    static char out[16384];
    struct rp_json_parser *p = rp_json_parser_new();
    struct rp_json_val v;
    struct rp_buf b;
    assert_non_null(p);
    assert_int_equal(rp_json_parse(p, doc, strlen(doc), &v, NULL), RP_OK);
    const char *s = path;
    snprintf(out, sizeof out, "<none>");
    while (*s) {
        size_t n = strcspn(s, ".[");
        if (n && rp_json_obj_getn(v, s, n, &v) != RP_OK) goto done;
        s += n;
        while (*s == '[') {
            char *end = NULL;
            unsigned long i = strtoul(s + 1, &end, 10);
            if (rp_json_arr_at(v, i, &v) != RP_OK) goto done;
            s = end + 1;
        }
        if (*s == '.') s++;
    }
    rp_buf_init(&b, 0);
    assert_int_equal(rp_json_serialize(v, &b), RP_OK);
    snprintf(out, sizeof out, "%s", rp_buf_cstr(&b));
    rp_buf_release(&b);
done:
    rp_json_parser_free(p);
    return out;
}

#endif
