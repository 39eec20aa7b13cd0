/* SPDX-License-Identifier: Apache-2.0 */
/* Keyword windows (dataid_set.c) are an optimisation, not a rule: identifiers that need a
 * keyword are searched only after their keywords (and over the whole of a structured file
 * whose header or keys name them), and that must find exactly what searching every byte
 * finds. Documents are generated from fragments (keywords near and far from values, values
 * that pass and fail their validators, CSV headers, JSON keys with long values, keys on every
 * line) and classified as text, CSV and JSON Lines with the managed set and with the same set
 * made exhaustive (rp_dataid_set_exhaustive); the detections must be equal: identifiers,
 * counts and every located occurrence. Deterministic (fixed seeds). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/rp_buf.h"
#include "dataid/dataid.h"

static struct rp_dataid_set *g_win, *g_all;
static struct rp_dataid_scratch *g_win_sc, *g_all_sc;

static int setup(void **state)
{
    (void)state;
    struct rp_errbuf eb = {0};
    if (rp_dataid_set_new(&g_win, &eb) || rp_dataid_set_add_managed(g_win, NULL, 0, &eb) ||
        rp_dataid_set_compile(g_win, &eb) || rp_dataid_scratch_new(g_win, &g_win_sc))
        return -1;
    if (rp_dataid_set_new(&g_all, &eb) || rp_dataid_set_add_managed(g_all, NULL, 0, &eb) ||
        rp_dataid_set_compile(g_all, &eb) || rp_dataid_scratch_new(g_all, &g_all_sc))
        return -1;
    rp_dataid_set_exhaustive(g_all, true);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    rp_dataid_scratch_free(g_win_sc);
    rp_dataid_scratch_free(g_all_sc);
    rp_dataid_set_free(g_win);
    rp_dataid_set_free(g_all);
    return 0;
}

static uint64_t g_rng;

static unsigned pick(unsigned n)
{
    g_rng = g_rng * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)((g_rng >> 33) % n);
}

static const char *const keywords[] = {"card number",
                                       "credit_card",
                                       "ssn",
                                       "social security number",
                                       "phone",
                                       "tel",
                                       "iban",
                                       "passport",
                                       "customer",
                                       "name",
                                       "dob",
                                       "date of birth",
                                       "aws_secret_access_key",
                                       "cvv",
                                       "bank account",
                                       "expiration",
                                       "driver's license",
                                       "tax id",
                                       "npi",
                                       "vin"};
static const char *const values[] = {"4111 1111 1111 1111",
                                     "4111-1111-1111-1112",
                                     "5500000000000004",
                                     "078-05-1120",
                                     "666-12-3456",
                                     "219-09-9999",
                                     "(206) 555-0143",
                                     "+1 206 555 0143",
                                     "DE89370400440532013000",
                                     "GB82 WEST 1234 5698 7654 32",
                                     "Ann Example",
                                     "1985-04-12",
                                     "123",
                                     "4321",
                                     "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                                     "1HGCM82633A004352",
                                     "1234567893",
                                     "X1234567",
                                     "12/27",
                                     "000000000"};
static const char *const fillers[] = {"the",
                                      "order",
                                      "2026-01-05T10:00:00Z",
                                      "id 8812",
                                      "ok",
                                      "total 19.99",
                                      "request 9f8e7d",
                                      "and",
                                      "see",
                                      "x=42",
                                      "lorem ipsum dolor sit amet",
                                      "200"};

static void words(struct rp_buf *b, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        unsigned k = pick(10);
        const char *w = k < 2   ? keywords[pick(sizeof keywords / sizeof *keywords)]
                        : k < 5 ? values[pick(sizeof values / sizeof *values)]
                                : fillers[pick(sizeof fillers / sizeof *fillers)];
        assert_int_equal(rp_buf_printf(b, "%s%s", w, pick(12) ? " " : "\n"), RP_OK);
    }
}

static void text_doc(struct rp_buf *b)
{
    unsigned lines = 20 + pick(200);
    for (unsigned l = 0; l < lines; l++) {
        words(b, 1 + pick(14));
        /* now and then a long run of filler: a keyword falls out of reach */
        if (!pick(9))
            for (unsigned k = pick(80); k; k--) assert_int_equal(rp_buf_printf(b, "zz "), RP_OK);
        assert_int_equal(rp_buf_printf(b, "\n"), RP_OK);
    }
}

static void csv_doc(struct rp_buf *b)
{
    unsigned cols = 2 + pick(5);
    for (unsigned c = 0; c < cols; c++) {
        unsigned k = pick(3);
        const char *h = k ? keywords[pick(sizeof keywords / sizeof *keywords)] : "notes";
        assert_int_equal(rp_buf_printf(b, "%s%s", h, c + 1 < cols ? "," : "\n"), RP_OK);
    }
    unsigned rows = 10 + pick(300);
    for (unsigned r = 0; r < rows; r++)
        for (unsigned c = 0; c < cols; c++) {
            unsigned k = pick(4);
            const char *v = k < 2 ? values[pick(sizeof values / sizeof *values)]
                                  : fillers[pick(sizeof fillers / sizeof *fillers)];
            assert_int_equal(rp_buf_printf(b, "%s%s", v, c + 1 < cols ? "," : "\n"), RP_OK);
        }
}

static void jsonl_doc(struct rp_buf *b)
{
    unsigned recs = 10 + pick(300);
    for (unsigned r = 0; r < recs; r++) {
        assert_int_equal(rp_buf_printf(b, "{\"id\":%u", r), RP_OK);
        unsigned fields = 1 + pick(4);
        for (unsigned f = 0; f < fields; f++) {
            const char *key = pick(2) ? keywords[pick(sizeof keywords / sizeof *keywords)]
                                      : fillers[pick(sizeof fillers / sizeof *fillers)];
            assert_int_equal(rp_buf_printf(b, ",\"%s\":\"", key), RP_OK);
            /* a long value now and then: the key's context reaches its end */
            if (!pick(5))
                for (unsigned k = 20 + pick(60); k; k--)
                    assert_int_equal(rp_buf_printf(b, "pad "), RP_OK);
            assert_int_equal(rp_buf_printf(b, "%s\"", values[pick(sizeof values / sizeof *values)]),
                             RP_OK);
        }
        if (!pick(4)) assert_int_equal(rp_buf_printf(b, ",\"note\":\"%s\"", keywords[0]), RP_OK);
        assert_int_equal(rp_buf_printf(b, "}\n"), RP_OK);
    }
}

/* The detections of r as one string: id, count, each kept occurrence's locator. */
static void describe(const struct rp_dataid_result *r, struct rp_buf *out)
{
    rp_buf_reset(out);
    for (size_t i = 0; i < r->ndet; i++) {
        const struct rp_dataid_detection *d = &r->det[i];
        assert_int_equal(rp_buf_printf(out, "%s:%lld", d->ident->id, (long long)d->count), RP_OK);
        for (size_t j = 0; j < d->nocc; j++) {
            const struct rp_dataid_occurrence *o = &d->occ[j];
            assert_int_equal(rp_buf_printf(out, " [%lld %lld %lld %lld %lld %lld %s %s]",
                                           (long long)o->start, (long long)o->end,
                                           (long long)o->start_column, (long long)o->row,
                                           (long long)o->column, (long long)o->record_index,
                                           o->json_path, o->redacted),
                             RP_OK);
        }
        assert_int_equal(rp_buf_printf(out, "\n"), RP_OK);
    }
}

static void compare(const char *name, void (*gen)(struct rp_buf *), unsigned docs)
{
    struct rp_buf doc, a, b;
    rp_buf_init(&doc, 0);
    rp_buf_init(&a, 0);
    rp_buf_init(&b, 0);
    size_t found = 0;
    for (unsigned i = 0; i < docs; i++) {
        rp_buf_reset(&doc);
        gen(&doc);
        struct rp_dataid_result rw, ra;
        struct rp_errbuf eb = {0};
        assert_int_equal(rp_dataid_classify(g_win, g_win_sc, name, doc.data, doc.len, &rw, &eb),
                         RP_OK);
        assert_int_equal(rp_dataid_classify(g_all, g_all_sc, name, doc.data, doc.len, &ra, &eb),
                         RP_OK);
        describe(&rw, &a);
        describe(&ra, &b);
        if (strcmp(rp_buf_cstr(&a), rp_buf_cstr(&b))) {
            fprintf(stderr, "%s, document %u: windows found\n%s\nsearching everywhere found\n%s\n",
                    name, i, rp_buf_cstr(&a), rp_buf_cstr(&b));
            FILE *f = fopen("dataid_windows_failed.doc", "wb");
            if (f) {
                fwrite(doc.data, 1, doc.len, f);
                fclose(f);
            }
            fail_msg("%s, document %u: the windows differ from searching everywhere (above; "
                     "the document is in dataid_windows_failed.doc)",
                     name, i);
        }
        found += ra.ndet;
        rp_dataid_result_release(&rw);
        rp_dataid_result_release(&ra);
    }
    /* the documents do exercise the identifiers */
    assert_true(found > docs);
    rp_buf_release(&doc);
    rp_buf_release(&a);
    rp_buf_release(&b);
}

static void test_windows_text(void **state)
{
    (void)state;
    g_rng = 1;
    compare("doc.txt", text_doc, 150);
}

static void test_windows_csv(void **state)
{
    (void)state;
    g_rng = 2;
    compare("doc.csv", csv_doc, 150);
}

static void test_windows_jsonl(void **state)
{
    (void)state;
    g_rng = 3;
    compare("doc.jsonl", jsonl_doc, 150);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_windows_text),
        cmocka_unit_test(test_windows_csv),
        cmocka_unit_test(test_windows_jsonl),
    };
    return cmocka_run_group_tests_name("dataid_windows", tests, setup, teardown);
}
