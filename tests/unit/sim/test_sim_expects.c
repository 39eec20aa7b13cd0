/* SPDX-License-Identifier: Apache-2.0 */
/* Tests of the scenarios' static expected outputs (rp_sim_scenario.expects, sim_gen.h), which
 * `rampart simulate --list-scenarios` prints: every scenario has a well-formed, non-empty list,
 * and in real runs the truth line each scenario declares (truth.jsonl) says exactly what its
 * list says, entry for entry and in order, so the two cannot drift apart (a benign scenario's
 * list is "none", after the Config rules its lines name as the ones that must stay COMPLIANT,
 * if any; only benign-posture-compliant-changes declares several lines, one per change, each
 * checked against the list). The runs cover two,
 * one and three accounts (one account makes the public-ACL scenario's optional '?' entries drop
 * out and skips two scenarios that need a second account), with the Config and side-data
 * generators only, six days each, as test_sim_scenarios.c does. */
#define _XOPEN_SOURCE 700
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rp_gz.h"
#include "core/rp_json.h"
#include "core/rp_str.h"
#include "sim/sim_gen.h"

#define GENS  "config,side-threatintel,side-packages,side-documents"
#define DAYS  6
#define NRUNS 3
#define MAXE  64 /* entries of one truth line or expects list */

static const struct {
    uint64_t seed;
    uint32_t accounts;
} runs[NRUNS] = {{1, 2}, {2, 1}, {3, 3}};

struct fix {
    char dirs[NRUNS][64];
    struct rp_buf truth[NRUNS];
    struct rp_json_parser *jp;
};

/* ---- helpers ------------------------------------------------------------------------------- */

static rp_err run_sim(const char *dir, uint64_t seed, uint32_t accounts)
{
    struct rp_sim_opts o;
    rp_sim_opts_init(&o);
    o.out_dir = dir;
    o.days = DAYS;
    o.seed = seed;
    o.accounts = accounts;
    o.generators = GENS;
    struct rp_sim_run *run = NULL;
    struct rp_errbuf eb = {0};
    rp_err e = rp_sim_run_new(&o, &run, &eb);
    if (e == RP_OK) e = rp_sim_run_all(run, NULL, &eb);
    if (e != RP_OK) fprintf(stderr, "simulate: %s\n", eb.msg);
    rp_sim_run_free(run);
    return e;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void rm_tree(const char *dir)
{
    if (dir[0]) (void)nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static size_t nscenarios(void)
{
    size_t n = 0;
    while (rp_sim_scenarios[n]) n++;
    return n;
}

static size_t scenario_index(struct rp_str id)
{
    size_t n = nscenarios();
    for (size_t k = 0; k < n; k++)
        if (rp_str_eq_cstr(id, rp_sim_scenarios[k]->id)) return k;
    return n;
}

static bool optional(const char *e)
{
    size_t n = strlen(e);
    return n && e[n - 1] == RP_SIM_EXPECT_OPTIONAL;
}

/* e without its optional mark, into out. */
static void bare(const char *e, char *out, size_t outsz)
{
    snprintf(out, outsz, "%.*s", (int)(strlen(e) - (optional(e) ? 1 : 0)), e);
}

/* NULL when the expects entry e is well formed, else why not. */
static const char *entry_problem(const char *e)
{
    static const char *const services[] = {"GuardDuty:", "Config:", "Macie:", "Inspector:"};
    if (!e || !*e) return "empty entry";
    if (strcmp(e, "none") == 0) return NULL;
    size_t n = strlen(e);
    for (size_t i = 0; i < n; i++) {
        if ((unsigned char)e[i] <= ' ' || (unsigned char)e[i] >= 0x7f) return "blank or non-ASCII";
        if (e[i] == RP_SIM_EXPECT_OPTIONAL && i + 1 != n) return "'?' before the end";
    }
    for (size_t s = 0; s < sizeof(services) / sizeof(services[0]); s++) {
        size_t k = strlen(services[s]);
        if (strncmp(e, services[s], k) != 0) continue;
        size_t idlen = n - k - (optional(e) ? 1 : 0);
        if (idlen == 0) return "no identifier after the service";
        if (s == 3 && (idlen != strlen("PACKAGE_VULNERABILITY") ||
                       strncmp(e + k, "PACKAGE_VULNERABILITY", idlen) != 0))
            return "Inspector entries are PACKAGE_VULNERABILITY only";
        return NULL;
    }
    return "unknown service";
}

/* NULL when the list of scenario s is well formed, else why not. */
static const char *list_problem(const struct rp_sim_scenario *s)
{
    if (!s->expects || !s->expects[0]) return "no expects";
    size_t n = 0, nopt = 0;
    bool none = false;
    for (; s->expects[n]; n++) {
        const char *p = entry_problem(s->expects[n]);
        if (p) return p;
        none |= strcmp(s->expects[n], "none") == 0;
        nopt += optional(s->expects[n]);
        char a[256], b[256];
        bare(s->expects[n], a, sizeof(a));
        for (size_t k = 0; k < n; k++) {
            bare(s->expects[k], b, sizeof(b));
            if (strcmp(a, b) == 0) return "duplicate entry";
        }
    }
    /* benign: "none" last, after the Config rules its lines say must stay COMPLIANT */
    if (none && strcmp(s->expects[n - 1], "none") != 0) return "'none' not last";
    for (size_t i = 0; none && i + 1 < n; i++)
        if (strncmp(s->expects[i], "Config:", 7) != 0)
            return "'none' with other than Config entries";
    if (none != (s->kind == RP_SIM_SCN_BENIGN)) return "'none' if and only if benign";
    if (nopt == n) return "every entry optional";
    return NULL;
}

/* Append "<prefix><string>" for every string of array key of truth line t. */
static void add_list(struct rp_json_val t, const char *key, const char *prefix, char out[][256],
                     size_t *n)
{
    struct rp_json_val arr, el;
    struct rp_json_iter it;
    assert_int_equal(rp_json_obj_get(t, key, &arr), RP_OK);
    assert_int_equal(rp_json_arr_iter(arr, &it), RP_OK);
    while (rp_json_arr_next(&it, &el)) {
        struct rp_str s;
        assert_int_equal(rp_json_get_str(el, &s), RP_OK);
        assert_true(*n < MAXE);
        snprintf(out[(*n)++], 256, "%s%.*s", prefix, (int)s.len, s.p);
    }
}

/* The expected outputs a truth line declares, in the expects notation (sim_gen.h). */
static size_t truth_entries(struct rp_json_val t, char out[][256])
{
    size_t n = 0;
    add_list(t, "guardduty", "GuardDuty:", out, &n);
    add_list(t, "config_rules", "Config:", out, &n);
    add_list(t, "macie", "Macie:", out, &n);
    char cves[MAXE][256];
    size_t ncves = 0;
    add_list(t, "cves", "", cves, &ncves);
    for (size_t i = 0; i < ncves; i++) assert_int_equal(strncmp(cves[i], "CVE-", 4), 0);
    if (ncves) snprintf(out[n++], 256, "Inspector:PACKAGE_VULNERABILITY");
    struct rp_str ex;
    assert_int_equal(rp_json_obj_get_str(t, "expect", &ex), RP_OK);
    if (rp_str_eq_cstr(ex, "none")) snprintf(out[n++], 256, "none");
    return n;
}

/* "a, b, c" of n strings into out. */
static void join(char v[][256], size_t n, char *out, size_t outsz)
{
    size_t len = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n; i++)
        len +=
            (size_t)snprintf(out + len, len < outsz ? outsz - len : 0, "%s%s", i ? ", " : "", v[i]);
}

/* true when got (a truth line's entries) is s->expects with some optional entries left out;
 * present[i] tells which expects entries were there. */
static bool matches(const struct rp_sim_scenario *s, char got[][256], size_t ngot, bool *present)
{
    size_t g = 0;
    for (size_t i = 0; s->expects[i]; i++) {
        char want[256];
        bare(s->expects[i], want, sizeof(want));
        present[i] = g < ngot && strcmp(got[g], want) == 0;
        if (present[i])
            g++;
        else if (!optional(s->expects[i]))
            return false;
    }
    return g == ngot;
}

/* ---- fixture ------------------------------------------------------------------------------- */

static int setup(void **state)
{
    struct fix *fx = calloc(1, sizeof(*fx));
    if (!fx) return -1;
    *state = fx;
    const char *tmp = getenv("TMPDIR");
    if (!tmp || !*tmp) tmp = "/tmp";
    for (int i = 0; i < NRUNS; i++) {
        rp_buf_init(&fx->truth[i], 0);
        snprintf(fx->dirs[i], sizeof(fx->dirs[i]), "%s/rp-exp-XXXXXX", tmp);
        if (!mkdtemp(fx->dirs[i])) {
            fx->dirs[i][0] = '\0';
            return -1;
        }
        if (run_sim(fx->dirs[i], runs[i].seed, runs[i].accounts) != RP_OK) return -1;
        char path[128];
        snprintf(path, sizeof(path), "%s/truth.jsonl", fx->dirs[i]);
        struct rp_errbuf eb = {0};
        if (rp_gz_read_file(path, NULL, &fx->truth[i], &eb) != RP_OK) return -1;
    }
    fx->jp = rp_json_parser_new();
    return fx->jp ? 0 : -1;
}

static int teardown(void **state)
{
    struct fix *fx = *state;
    if (!fx) return 0;
    for (int i = 0; i < NRUNS; i++) {
        rm_tree(fx->dirs[i]);
        rp_buf_release(&fx->truth[i]);
    }
    rp_json_parser_free(fx->jp);
    free(fx);
    return 0;
}

/* ---- the static lists ---------------------------------------------------------------------- */

static void test_expects_every_scenario_has_a_list(void **state)
{
    (void)state;
    size_t n = nscenarios(), entries = 0;
    assert_true(n >= 35);
    for (size_t k = 0; k < n; k++) {
        const struct rp_sim_scenario *s = rp_sim_scenarios[k];
        const char *p = list_problem(s);
        if (p) fail_msg("scenario '%s': %s", s->id, p);
        for (size_t i = 0; s->expects[i]; i++) entries++;
    }
    assert_true(entries >= n);
}

static void test_expects_entry_format(void **state)
{
    (void)state;
    assert_null(entry_problem("GuardDuty:Recon:EC2/Portscan"));
    assert_null(entry_problem("GuardDuty:Backdoor:EC2/C&CActivity.B!DNS"));
    assert_null(entry_problem("Config:netreach.vpn.route-propagation-disabled"));
    assert_null(entry_problem("Macie:CREDIT_CARD_NUMBER"));
    assert_null(entry_problem("Macie:Policy:IAMUser/S3BucketPublic?"));
    assert_null(entry_problem("Inspector:PACKAGE_VULNERABILITY"));
    assert_null(entry_problem("none"));
    assert_string_equal(entry_problem(""), "empty entry");
    assert_string_equal(entry_problem("Recon:EC2/Portscan"), "unknown service");
    assert_string_equal(entry_problem("guardduty:Recon:EC2/Portscan"), "unknown service");
    assert_string_equal(entry_problem("Config:"), "no identifier after the service");
    assert_string_equal(entry_problem("Config:?"), "no identifier after the service");
    assert_string_equal(entry_problem("Config:A?B"), "'?' before the end");
    assert_string_equal(entry_problem("Config:A B"), "blank or non-ASCII");
    assert_string_equal(entry_problem("Inspector:NETWORK_REACHABILITY"),
                        "Inspector entries are PACKAGE_VULNERABILITY only");
    assert_string_equal(entry_problem("Inspector:PACKAGE"),
                        "Inspector entries are PACKAGE_VULNERABILITY only");
}

static void test_expects_list_rules(void **state)
{
    (void)state;
    struct rp_sim_scenario s = {.id = "x", .summary = "x", .kind = RP_SIM_SCN_THREAT};
    assert_string_equal(list_problem(&s), "no expects");
    s.expects = RP_SIM_EXPECTS("GuardDuty:Recon:EC2/Portscan", "GuardDuty:Recon:EC2/Portscan?");
    assert_string_equal(list_problem(&s), "duplicate entry");
    s.expects = RP_SIM_EXPECTS("Config:A?", "Macie:B?");
    assert_string_equal(list_problem(&s), "every entry optional");
    s.expects = RP_SIM_EXPECTS("none");
    assert_string_equal(list_problem(&s), "'none' if and only if benign");
    s.kind = RP_SIM_SCN_BENIGN;
    assert_null(list_problem(&s));
    s.expects = RP_SIM_EXPECTS("none", "Config:A");
    assert_string_equal(list_problem(&s), "'none' not last");
    s.expects = RP_SIM_EXPECTS("GuardDuty:A", "none");
    assert_string_equal(list_problem(&s), "'none' with other than Config entries");
    s.expects = RP_SIM_EXPECTS("Config:A?", "Macie:B?", "none");
    assert_string_equal(list_problem(&s), "'none' with other than Config entries");
    s.expects = RP_SIM_EXPECTS("Config:A?", "Config:B?", "none");
    assert_null(list_problem(&s));
    s.expects = RP_SIM_EXPECTS("Config:A");
    assert_string_equal(list_problem(&s), "'none' if and only if benign");
}

static void test_expects_match_rules(void **state)
{
    (void)state;
    struct rp_sim_scenario s = {.id = "x", .summary = "x", .kind = RP_SIM_SCN_POSTURE};
    s.expects = RP_SIM_EXPECTS("GuardDuty:A", "GuardDuty:B?", "Config:C");
    bool present[3];
    char got[3][256] = {"GuardDuty:A", "GuardDuty:B", "Config:C"};
    assert_true(matches(&s, got, 3, present));
    assert_true(present[0] && present[1] && present[2]);
    char opt_out[2][256] = {"GuardDuty:A", "Config:C"};
    assert_true(matches(&s, opt_out, 2, present));
    assert_true(present[0] && !present[1] && present[2]);
    char missing[2][256] = {"GuardDuty:A", "GuardDuty:B"};
    assert_false(matches(&s, missing, 2, present));
    char extra[4][256] = {"GuardDuty:A", "GuardDuty:B", "Config:C", "Macie:D"};
    assert_false(matches(&s, extra, 4, present));
    char order[3][256] = {"Config:C", "GuardDuty:A", "GuardDuty:B"};
    assert_false(matches(&s, order, 3, present));
}

/* ---- against truth.jsonl ------------------------------------------------------------------- */

/* Check every truth line of run r against the static lists; record which scenarios declared
 * truth (had[]) and which optional entries were present / absent. */
static void check_run(struct fix *fx, int r, uint8_t *had, uint8_t (*opt_seen)[MAXE])
{
    size_t n = nscenarios();
    struct rp_json_lines jl;
    rp_json_lines_init(&jl, fx->truth[r].data, fx->truth[r].len, true);
    struct rp_json_val t;
    struct rp_errbuf eb = {0};
    while (rp_json_lines_next(&jl, fx->jp, &t, &eb) == RP_OK) {
        struct rp_str id;
        assert_int_equal(rp_json_obj_get_str(t, "scenario", &id), RP_OK);
        size_t k = scenario_index(id);
        assert_true(k < n);
        const struct rp_sim_scenario *s = rp_sim_scenarios[k];
        /* one line per scenario, one per change for the compliant look-alikes */
        if (had[k] && strcmp(s->id, "benign-posture-compliant-changes") != 0)
            fail_msg("scenario '%s': more than one truth line", s->id);
        assert_true(had[k] < 255);
        had[k]++;
        char got[MAXE][256];
        size_t ngot = truth_entries(t, got);
        bool present[MAXE];
        size_t nexp = 0;
        while (s->expects[nexp]) nexp++;
        assert_true(nexp <= MAXE);
        if (!matches(s, got, ngot, present)) {
            char g[4096], w[4096];
            join(got, ngot, g, sizeof(g));
            char want[MAXE][256];
            for (size_t i = 0; i < nexp; i++) snprintf(want[i], 256, "%s", s->expects[i]);
            join(want, nexp, w, sizeof(w));
            fail_msg("seed %llu, %u account(s), scenario '%s': truth declares [%s], expects "
                     "says [%s]",
                     (unsigned long long)runs[r].seed, runs[r].accounts, s->id, g, w);
        }
        for (size_t i = 0; i < nexp; i++)
            if (optional(s->expects[i])) opt_seen[k][i] |= present[i] ? 1 : 2;
    }
}

static void test_expects_match_truth(void **state)
{
    struct fix *fx = *state;
    size_t n = nscenarios();
    uint8_t(*opt_seen)[MAXE] = calloc(n, sizeof(*opt_seen));
    uint8_t *had = calloc(n, 1);
    assert_non_null(opt_seen);
    assert_non_null(had);
    for (int r = 0; r < NRUNS; r++) {
        memset(had, 0, n);
        check_run(fx, r, had, opt_seen);
        /* who declared no truth: nobody with two or more accounts; with one account, the two
         * scenarios that need a second one (docs/simulate-scenarios.md) */
        char skipped[512] = "";
        size_t len = 0;
        for (size_t k = 0; k < n; k++)
            if (!had[k])
                len += (size_t)snprintf(skipped + len,
                                        len < sizeof(skipped) ? sizeof(skipped) - len : 0, "%s%s",
                                        len ? "|" : "", rp_sim_scenarios[k]->id);
        if (runs[r].accounts == 1)
            assert_string_equal(skipped, "ct-ebs-snapshot-made-public|data-credentials-in-ci-logs");
        else
            assert_string_equal(skipped, "");
    }
    /* every optional entry was both declared and left out in some run, so no '?' is stale */
    for (size_t k = 0; k < n; k++)
        for (size_t i = 0; rp_sim_scenarios[k]->expects[i]; i++)
            if (optional(rp_sim_scenarios[k]->expects[i]) && opt_seen[k][i] != 3)
                fail_msg("scenario '%s': optional entry '%s' was %s in every run",
                         rp_sim_scenarios[k]->id, rp_sim_scenarios[k]->expects[i],
                         opt_seen[k][i] == 1 ? "declared" : "left out");
    free(had);
    free(opt_seen);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_expects_every_scenario_has_a_list),
        cmocka_unit_test(test_expects_entry_format),
        cmocka_unit_test(test_expects_list_rules),
        cmocka_unit_test(test_expects_match_rules),
        cmocka_unit_test(test_expects_match_truth),
    };
    return cmocka_run_group_tests_name("sim_expects", tests, setup, teardown);
}
