/* SPDX-License-Identifier: Apache-2.0 */
/* Registry test (STYLE.md B7) of the managed data identifiers: every file under data/dataid
 * loads (id = file name, known category and validator, unique ids), the whole set compiles
 * into one matcher, there are at least 80, every validator in the registry is used, and every
 * sample of every file behaves: each `match` text gives exactly one occurrence of its
 * identifier (with the given value), each `no_match` text none, scanned with the whole set as
 * a real scan is. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/rp_buf.h"
#include "dataid/dataid.h"

static struct rp_dataid_set *g_set;
static struct rp_dataid_scratch *g_sc;

static int setup(void **state)
{
    (void)state;
    struct rp_errbuf eb = {0};
    if (rp_dataid_set_new(&g_set, &eb) || rp_dataid_set_add_managed(g_set, NULL, 0, &eb) ||
        rp_dataid_set_compile(g_set, &eb) || rp_dataid_scratch_new(g_set, &g_sc)) {
        fprintf(stderr, "setup: %s\n", eb.msg);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    rp_dataid_scratch_free(g_sc);
    rp_dataid_set_free(g_set);
    return 0;
}

struct hits {
    const struct rp_dataid_ident *want;
    size_t n;
    char value[256];
};

static const char *g_text; /* the text being scanned, for on_match_v */

static rp_err on_match_v(const struct rp_dataid_match *m, void *ctx, struct rp_errbuf *eb)
{
    (void)eb;
    struct hits *h = ctx;
    if (m->ident != h->want) return RP_OK;
    if (h->n++ == 0)
        snprintf(h->value, sizeof h->value, "%.*s", (int)(m->end - m->start), g_text + m->start);
    return RP_OK;
}

static void test_registry_files(void **state)
{
    (void)state;
    size_t n = rp_dataid_set_count(g_set);
    if (n < 80) fail_msg("%zu managed data identifiers, at least 80 wanted", n);
    size_t cats[4] = {0};
    for (size_t i = 0; i < n; i++) {
        const struct rp_dataid_ident *d = rp_dataid_set_ident(g_set, i);
        cats[d->category]++;
        if (d->category == RP_DATAID_CUSTOM)
            fail_msg("%s: managed identifiers are not custom", d->file);
        if (d->nmatch < 1 || d->nno_match < 1)
            fail_msg("%s: needs match and no_match samples (%zu, %zu)", d->file, d->nmatch,
                     d->nno_match);
        /* digit_run is a promise about every match: the samples' values keep it */
        for (size_t k = 0; d->digit_run && k < d->nmatch; k++) {
            const char *v = d->match_values[k];
            if (!v) continue; /* a sample without a value */
            size_t digits = 0;
            for (const char *p = v; *p; p++) {
                if (*p >= '0' && *p <= '9')
                    digits++;
                else if (*p != ' ' && *p != '-')
                    fail_msg("%s: digit_run, but the sample value '%s' has '%c'", d->file, v, *p);
            }
            if (v[0] < '0' || v[0] > '9' || digits < d->digit_run)
                fail_msg("%s: digit_run %u, but the sample value '%s' does not keep it", d->file,
                         d->digit_run, v);
        }
        /* so are run_bytes and run_length (a range "A-Z", else a single byte, a '-' last) */
        for (size_t k = 0; d->run_bytes && k < d->nmatch; k++) {
            const char *v = d->match_values[k];
            if (!v) continue;
            if (strlen(v) < d->run_length)
                fail_msg("%s: run_length %u, but the sample value '%s' is shorter", d->file,
                         d->run_length, v);
            for (const char *p = v; *p; p++) {
                bool in = false;
                for (const char *c = d->run_bytes; *c && !in; c++) {
                    if (c[1] == '-' && c[2]) {
                        in = *p >= c[0] && *p <= c[2];
                        c += 2;
                    } else {
                        in = *p == *c;
                    }
                }
                if (!in)
                    fail_msg("%s: run_bytes \"%s\", but the sample value '%s' has '%c'", d->file,
                             d->run_bytes, v, *p);
            }
        }
    }
    assert_true(cats[RP_DATAID_CREDENTIALS] > 0);
    assert_true(cats[RP_DATAID_FINANCIAL] > 0);
    assert_true(cats[RP_DATAID_PERSONAL] > 0);
    /* every validator of the registry is used by some identifier, and names are unique */
    for (size_t v = 0; rp_dataid_validators[v]; v++) {
        const struct rp_dataid_validator *val = rp_dataid_validators[v];
        assert_non_null(val->summary);
        for (size_t w = 0; w < v; w++)
            assert_string_not_equal(rp_dataid_validators[w]->name, val->name);
        bool used = false;
        for (size_t i = 0; i < n && !used; i++)
            used = rp_dataid_set_ident(g_set, i)->validator == val;
        if (!used) fail_msg("validator '%s' is used by no identifier", val->name);
    }
}

static void test_registry_samples(void **state)
{
    (void)state;
    size_t n = rp_dataid_set_count(g_set), bad = 0;
    char report[8192] = "";
    size_t ro = 0;
    for (size_t i = 0; i < n; i++) {
        const struct rp_dataid_ident *d = rp_dataid_set_ident(g_set, i);
        for (size_t k = 0; k < d->nmatch + d->nno_match; k++) {
            bool positive = k < d->nmatch;
            const char *text = positive ? d->match_texts[k] : d->no_match_texts[k - d->nmatch];
            const char *value = positive ? d->match_values[k] : NULL;
            struct hits h = {.want = d};
            struct rp_errbuf eb = {0};
            g_text = text;
            assert_int_equal(rp_dataid_scan(g_set, g_sc, text, strlen(text), on_match_v, &h, &eb),
                             RP_OK);
            bool ok = positive ? h.n == 1 && (!value || !strcmp(value, h.value)) : h.n == 0;
            if (!ok) {
                bad++;
                int w = snprintf(report + ro, sizeof report - ro,
                                 "%s: %s sample \"%.60s\": %zu matches%s%s%s\n", d->id,
                                 positive ? "match" : "no_match", text, h.n, h.n ? " (first '" : "",
                                 h.n ? h.value : "", h.n ? "')" : "");
                if (w > 0 && (size_t)w < sizeof report - ro) ro += (size_t)w;
            }
        }
    }
    if (bad) fail_msg("%zu samples failed:\n%s", bad, report);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_registry_files),
        cmocka_unit_test(test_registry_samples),
    };
    return cmocka_run_group_tests_name("dataid_registry", tests, setup, teardown);
}
