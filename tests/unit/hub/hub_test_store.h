/* SPDX-License-Identifier: Apache-2.0 */
/* The hub query tests' store: a :memory: store holding the ten hand-designed findings of
 * tests/fixtures/hub/filter_findings.sql (rows written straight into findings, finding_docs
 * and finding_values). Header-only, test code only. */
#ifndef RP_HUB_TEST_STORE_H
#define RP_HUB_TEST_STORE_H

#include <stdio.h>
#include <stdlib.h>

#include "core/rp_json.h"

#include "store/store.h"

/* The store, or NULL (with the reason on stderr). */
static inline struct rp_store *hub_test_store_open(void)
{
    struct rp_store *st = NULL;
    struct rp_errbuf eb = {0};
    if (rp_store_new(":memory:", RP_STORE_RDWR, &st, &eb) != RP_OK) return NULL;
    FILE *fp = fopen(RP_FIXTURES_DIR "/hub/filter_findings.sql", "rb");
    static char sql[1 << 16];
    size_t n = fp ? fread(sql, 1, sizeof sql - 1, fp) : 0;
    if (fp) fclose(fp);
    sql[n] = '\0';
    if (rp_store_exec(st, sql, &eb) != RP_OK) {
        fprintf(stderr, "fixture: %s\n", eb.msg);
        rp_store_free(st);
        return NULL;
    }
    return st;
}

/* The fixture of the filter and query tests: the store and a parser for the documents that
 * come back. setup/teardown are cmocka fixtures (state is a struct fx). A test with a fixture
 * of its own defines HUB_TEST_OWN_FIXTURE before including this header. */
#ifndef HUB_TEST_OWN_FIXTURE
struct fx {
    struct rp_store *st;
    struct rp_json_parser *p;
};

static inline int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    if (!f || !(f->st = hub_test_store_open())) return -1;
    if (!(f->p = rp_json_parser_new())) return -1;
    *state = f;
    return 0;
}

static inline int teardown(void **state)
{
    struct fx *f = *state;
    rp_store_free(f->st);
    rp_json_parser_free(f->p);
    free(f);
    return 0;
}
#endif

#endif
