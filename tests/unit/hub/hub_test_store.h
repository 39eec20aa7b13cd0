/* SPDX-License-Identifier: Apache-2.0 */
/* The hub query tests' store: a :memory: store holding the ten hand-designed findings of
 * tests/fixtures/hub/filter_findings.sql (rows written straight into findings, finding_docs
 * and finding_values). Header-only, test code only. */
#ifndef RP_HUB_TEST_STORE_H
#define RP_HUB_TEST_STORE_H

#include <stdio.h>

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

#endif
