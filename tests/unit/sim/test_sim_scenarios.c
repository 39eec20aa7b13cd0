/* SPDX-License-Identifier: Apache-2.0 */
/* Tests of the built-in scenarios (sim_scenarios.def, src/sim/sim_scn_*.c): the registry's
 * shape, one truth line per scenario (one per change for the compliant look-alikes) with the
 * exact expected finding types and rules, byte-identical output for the same seed, and the
 * evidence of several scenarios in the generated CloudTrail, flow-log, DNS, EKS audit, Config and
 * side files (read back with rp_gz and rp_json).
 *
 * The runs use six days (four of learning) and only the Config and side-data generators, so
 * the log files hold the scenarios' records alone and the group setup takes under a second. */
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
#include "core/rp_hash.h"
#include "core/rp_json.h"
#include "core/rp_str.h"
#include "core/rp_time.h"
#include "core/rp_walk.h"
#include "sim/sim_gen.h"

#define GENS "config,side-threatintel,side-packages,side-documents"
#define DAYS 6

struct fix {
    char dir_a[64], dir_b[64], dir_c[64];
    struct rp_buf truth; /* truth.jsonl of run A */
    struct rp_json_parser *jp;
};

/* ---- helpers ------------------------------------------------------------------------------- */

static rp_err run_sim(const char *dir, uint64_t seed)
{
    struct rp_sim_opts o;
    rp_sim_opts_init(&o);
    o.out_dir = dir;
    o.days = DAYS;
    o.seed = seed;
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

static void read_all(const char *path, struct rp_buf *b)
{
    struct rp_errbuf eb = {0};
    rp_buf_init(b, 0);
    assert_int_equal(rp_gz_read_file(path, NULL, b, &eb), RP_OK);
}

/* Every regular file under dir whose relative path contains part, sorted (rp_walk order). */
struct files {
    char **paths;
    char **rels;
    size_t n, cap;
    const char *part;
};

static enum rp_walk_action collect(const struct rp_walk_entry *e, void *ctx)
{
    struct files *f = ctx;
    if (e->event != RP_WALK_EV_FILE || !strstr(e->rel, f->part)) return RP_WALK_CONTINUE;
    if (f->n == f->cap) {
        f->cap = f->cap ? f->cap * 2 : 64;
        f->paths = realloc(f->paths, f->cap * sizeof(char *));
        f->rels = realloc(f->rels, f->cap * sizeof(char *));
        assert_non_null(f->paths);
        assert_non_null(f->rels);
    }
    f->paths[f->n] = strdup(e->path);
    f->rels[f->n] = strdup(e->rel);
    f->n++;
    return RP_WALK_CONTINUE;
}

static void list_files(const char *dir, const char *part, struct files *f)
{
    memset(f, 0, sizeof(*f));
    f->part = part;
    const char *roots[] = {dir};
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_walk_run(roots, 1, NULL, collect, f, &eb), RP_OK);
}

static void files_free(struct files *f)
{
    for (size_t i = 0; i < f->n; i++) {
        free(f->paths[i]);
        free(f->rels[i]);
    }
    free(f->paths);
    free(f->rels);
}

static struct rp_str str_of(struct rp_json_val obj, const char *key)
{
    struct rp_str s = {"", 0};
    if (rp_json_obj_get_str(obj, key, &s) != RP_OK) s = (struct rp_str){"", 0};
    return s;
}

static bool str_is(struct rp_json_val obj, const char *key, const char *want)
{
    return rp_str_eq_cstr(str_of(obj, key), want);
}

/* A JSON array of strings rendered as "a|b|c" into out. */
static void join(struct rp_json_val arr, char *out, size_t outsz)
{
    struct rp_json_iter it;
    struct rp_json_val el;
    size_t n = 0;
    out[0] = '\0';
    assert_int_equal(rp_json_arr_iter(arr, &it), RP_OK);
    while (rp_json_arr_next(&it, &el)) {
        struct rp_str s;
        assert_int_equal(rp_json_get_str(el, &s), RP_OK);
        n += (size_t)snprintf(out + n, n < outsz ? outsz - n : 0, "%s%.*s", n ? "|" : "",
                              (int)s.len, s.p);
    }
}

/* Entity i of a truth line, copied into out. */
static void entity(struct rp_json_val t, size_t i, char *out, size_t outsz)
{
    struct rp_json_val ents, el;
    struct rp_str s;
    assert_int_equal(rp_json_obj_get(t, "entities", &ents), RP_OK);
    assert_int_equal(rp_json_arr_at(ents, i, &el), RP_OK);
    assert_int_equal(rp_json_get_str(el, &s), RP_OK);
    snprintf(out, outsz, "%.*s", (int)s.len, s.p);
}

/* The scenario declaring one truth line per look-alike ("<id>#1".."#5"), each naming the
 * Config rules that must stay COMPLIANT; every other scenario declares one line, "<id>#1". */
#define COMPLIANT_ID "benign-posture-compliant-changes"
#define COMPLIANT_N  5

static size_t lines_of(const char *id)
{
    return strcmp(id, COMPLIANT_ID) == 0 ? COMPLIANT_N : 1;
}

/* The truth line whose id is line_id in run A's truth.jsonl (parser reused as truth_of). */
static struct rp_json_val truth_line(struct fix *fx, const char *line_id)
{
    struct rp_json_lines jl;
    rp_json_lines_init(&jl, fx->truth.data, fx->truth.len, true);
    struct rp_json_val t;
    struct rp_errbuf eb = {0};
    while (rp_json_lines_next(&jl, fx->jp, &t, &eb) == RP_OK)
        if (str_is(t, "id", line_id)) return t;
    fail_msg("no truth line '%s'", line_id);
    return t;
}

/* The truth line of scenario id in run A's truth.jsonl (the parser is reused: valid until the
 * next parse). */
static struct rp_json_val truth_of(struct fix *fx, const char *id)
{
    struct rp_json_lines jl;
    rp_json_lines_init(&jl, fx->truth.data, fx->truth.len, true);
    struct rp_json_val t;
    struct rp_errbuf eb = {0};
    while (rp_json_lines_next(&jl, fx->jp, &t, &eb) == RP_OK)
        if (str_is(t, "scenario", id)) return t;
    fail_msg("no truth line for '%s'", id);
    return t;
}

static int64_t window_ms(struct rp_json_val t, const char *which)
{
    struct rp_json_val w;
    struct rp_str s;
    int64_t ms = 0;
    assert_int_equal(rp_json_obj_get(t, "window", &w), RP_OK);
    assert_int_equal(rp_json_obj_get_str(w, which, &s), RP_OK);
    assert_int_equal(rp_time_parse_iso(s, &ms, NULL), RP_OK);
    return ms;
}

/* ---- fixture ------------------------------------------------------------------------------- */

static int setup(void **state)
{
    struct fix *fx = calloc(1, sizeof(*fx));
    if (!fx) return -1;
    const char *tmp = getenv("TMPDIR");
    if (!tmp || !*tmp) tmp = "/tmp";
    char *dirs[] = {fx->dir_a, fx->dir_b, fx->dir_c};
    for (int i = 0; i < 3; i++) {
        snprintf(dirs[i], sizeof(fx->dir_a), "%s/rp-scn-XXXXXX", tmp);
        if (!mkdtemp(dirs[i])) return -1;
    }
    if (run_sim(fx->dir_a, 1) != RP_OK || run_sim(fx->dir_b, 1) != RP_OK ||
        run_sim(fx->dir_c, 2) != RP_OK)
        return -1;
    char path[128];
    snprintf(path, sizeof(path), "%s/truth.jsonl", fx->dir_a);
    struct rp_errbuf eb = {0};
    rp_buf_init(&fx->truth, 0);
    if (rp_gz_read_file(path, NULL, &fx->truth, &eb) != RP_OK) return -1;
    fx->jp = rp_json_parser_new();
    *state = fx;
    return fx->jp ? 0 : -1;
}

static int teardown(void **state)
{
    struct fix *fx = *state;
    if (!fx) return 0;
    rm_tree(fx->dir_a);
    rm_tree(fx->dir_b);
    rm_tree(fx->dir_c);
    rp_buf_release(&fx->truth);
    rp_json_parser_free(fx->jp);
    free(fx);
    return 0;
}

/* ---- registry ------------------------------------------------------------------------------ */

static bool digits(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] < '0' || p[i] > '9') return false;
    return true;
}

/* "T1234" or "T1234.567" */
static bool mitre_ok(const char *m)
{
    if (!m) return false;
    size_t n = strlen(m);
    if ((n != 5 && n != 9) || m[0] != 'T' || !digits(m + 1, 4)) return false;
    return n == 5 || (m[5] == '.' && digits(m + 6, 3));
}

static void test_scenarios_registry(void **state)
{
    (void)state;
    size_t n = 0, kinds[4] = {0, 0, 0, 0};
    for (; rp_sim_scenarios[n]; n++) {
        const struct rp_sim_scenario *s = rp_sim_scenarios[n];
        assert_non_null(s->id);
        assert_non_null(s->summary);
        assert_non_null(s->plan);
        assert_true(s->summary[0] != '\0');
        assert_true(strlen(s->summary) <= 100);
        for (const char *p = s->id; *p; p++)
            assert_true((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-');
        if (n) assert_true(strcmp(rp_sim_scenarios[n - 1]->id, s->id) < 0); /* sorted, unique */
        assert_true((unsigned)s->kind <= RP_SIM_SCN_BENIGN);
        kinds[s->kind]++;
        if (s->kind == RP_SIM_SCN_THREAT || s->kind == RP_SIM_SCN_DATA)
            assert_true(mitre_ok(s->mitre));
        else
            assert_true(s->mitre == NULL || mitre_ok(s->mitre));
    }
    assert_int_equal(kinds[RP_SIM_SCN_THREAT], 44);
    assert_int_equal(kinds[RP_SIM_SCN_POSTURE], 8);
    assert_int_equal(kinds[RP_SIM_SCN_DATA], 2);
    assert_int_equal(kinds[RP_SIM_SCN_BENIGN], 8);
    assert_true(n - kinds[RP_SIM_SCN_BENIGN] >= 40);
}

static void test_scenarios_mitre_format(void **state)
{
    (void)state;
    assert_true(mitre_ok("T1046"));
    assert_true(mitre_ok("T1552.005"));
    assert_false(mitre_ok("T104"));
    assert_false(mitre_ok("T1552.05"));
    assert_false(mitre_ok("t1046"));
    assert_false(mitre_ok(NULL));
}

/* ---- truth --------------------------------------------------------------------------------- */

static void test_scenarios_truth_one_line_each(void **state)
{
    struct fix *fx = *state;
    size_t nreg = 0;
    while (rp_sim_scenarios[nreg]) nreg++;
    uint8_t *seen = calloc(nreg, 1);
    assert_non_null(seen);
    struct rp_json_lines jl;
    rp_json_lines_init(&jl, fx->truth.data, fx->truth.len, true);
    struct rp_json_val t;
    struct rp_errbuf eb = {0};
    size_t lines = 0;
    int64_t attack = RP_SIM_DEFAULT_START_MS + (int64_t)(DAYS * 2 / 3) * RP_TIME_MS_PER_DAY;
    int64_t end = RP_SIM_DEFAULT_START_MS + (int64_t)DAYS * RP_TIME_MS_PER_DAY;
    int64_t prev = 0;
    while (rp_json_lines_next(&jl, fx->jp, &t, &eb) == RP_OK) {
        lines++;
        struct rp_str sc = str_of(t, "scenario");
        size_t k = 0;
        while (k < nreg && !rp_str_eq_cstr(sc, rp_sim_scenarios[k]->id)) k++;
        assert_true(k < nreg);
        const struct rp_sim_scenario *s = rp_sim_scenarios[k];
        assert_true(seen[k] < lines_of(s->id));
        seen[k]++;
        /* "<id>#<n>", n from 1 to the scenario's line count (ids are unique in a run) */
        bool id_ok = false;
        for (size_t n = 1; n <= lines_of(s->id); n++) {
            char id[160];
            snprintf(id, sizeof(id), "%s#%zu", s->id, n);
            id_ok |= str_is(t, "id", id);
        }
        assert_true(id_ok);
        struct rp_json_val m;
        assert_int_equal(rp_json_obj_get(t, "mitre", &m), RP_OK);
        if (s->mitre)
            assert_true(str_is(t, "mitre", s->mitre));
        else
            assert_int_equal(rp_json_get_null(m), RP_OK);
        int64_t ws = window_ms(t, "start"), we = window_ms(t, "end");
        assert_true(ws >= attack);
        assert_true(we >= ws);
        assert_true(we <= end);
        assert_true(ws >= prev); /* sorted by window start */
        prev = ws;
        size_t nexp = 0;
        static const char *const lists[] = {"guardduty", "config_rules", "macie", "cves"};
        for (size_t i = 0; i < 4; i++) {
            struct rp_json_val a;
            assert_int_equal(rp_json_obj_get(t, lists[i], &a), RP_OK);
            nexp += rp_json_len(a);
        }
        struct rp_json_val ents;
        assert_int_equal(rp_json_obj_get(t, "entities", &ents), RP_OK);
        assert_true(rp_json_len(ents) >= 1);
        if (s->kind == RP_SIM_SCN_BENIGN) {
            /* a look-alike expects nothing; the compliant changes name the rules that must stay
               COMPLIANT, and nothing else */
            struct rp_json_val cfg;
            assert_int_equal(rp_json_obj_get(t, "config_rules", &cfg), RP_OK);
            size_t ncfg = rp_json_len(cfg);
            assert_true(str_is(t, "expect", "none"));
            assert_int_equal(nexp, ncfg);
            if (strcmp(s->id, COMPLIANT_ID) == 0)
                assert_true(ncfg >= 1);
            else
                assert_int_equal(ncfg, 0);
        } else {
            assert_true(str_is(t, "expect", "finding"));
            assert_true(nexp >= 1);
        }
    }
    for (size_t k = 0; k < nreg; k++) assert_int_equal(seen[k], lines_of(rp_sim_scenarios[k]->id));
    assert_int_equal(lines, nreg + COMPLIANT_N - 1);
    free(seen);
}

static void expect_lists(struct fix *fx, const char *id, const char *gd, const char *cfg,
                         const char *macie)
{
    struct rp_json_val t = truth_of(fx, id), a;
    char got[2048];
    assert_int_equal(rp_json_obj_get(t, "guardduty", &a), RP_OK);
    join(a, got, sizeof(got));
    assert_string_equal(got, gd);
    assert_int_equal(rp_json_obj_get(t, "config_rules", &a), RP_OK);
    join(a, got, sizeof(got));
    assert_string_equal(got, cfg);
    assert_int_equal(rp_json_obj_get(t, "macie", &a), RP_OK);
    join(a, got, sizeof(got));
    assert_string_equal(got, macie);
}

static void test_scenarios_truth_exact_types(void **state)
{
    struct fix *fx = *state;
    expect_lists(fx, "ct-instance-credential-exfiltration",
                 "UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS", "", "");
    expect_lists(fx, "ct-console-login-far-away",
                 "UnauthorizedAccess:IAMUser/ConsoleLoginSuccess.B", "", "");
    expect_lists(fx, "ct-tor-ip-caller",
                 "Recon:IAMUser/TorIPCaller|UnauthorizedAccess:IAMUser/TorIPCaller", "", "");
    expect_lists(fx, "ct-cloudtrail-stop-logging", "Stealth:IAMUser/CloudTrailLoggingDisabled", "",
                 "");
    expect_lists(fx, "ct-s3-bucket-made-public",
                 "Policy:S3/BucketBlockPublicAccessDisabled|Policy:S3/BucketAnonymousAccessGranted",
                 "S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED|S3_BUCKET_PUBLIC_READ_PROHIBITED",
                 "Policy:IAMUser/S3BlockPublicAccessDisabled|Policy:IAMUser/S3BucketPublic");
    expect_lists(fx, "flow-outbound-portscan", "Recon:EC2/Portscan", "", "");
    expect_lists(fx, "flow-ssh-bruteforce-inbound", "UnauthorizedAccess:EC2/SSHBruteForce",
                 "INCOMING_SSH_DISABLED", "");
    expect_lists(fx, "dns-mining-pool-domains", "CryptoCurrency:EC2/BitcoinTool.B!DNS", "", "");
    expect_lists(fx, "dns-data-exfiltration", "Trojan:EC2/DNSDataExfiltration", "", "");
    expect_lists(fx, "k8s-anonymous-access",
                 "Discovery:Kubernetes/SuccessfulAnonymousAccess|"
                 "CredentialAccess:Kubernetes/SuccessfulAnonymousAccess",
                 "", "");
    expect_lists(fx, "k8s-anonymous-role-binding", "Policy:Kubernetes/AnonymousAccessGranted", "",
                 "");
    expect_lists(fx, "posture-rds-unencrypted-no-backups", "",
                 "RDS_STORAGE_ENCRYPTED|DB_INSTANCE_BACKUP_ENABLED", "");
    expect_lists(fx, "posture-root-mfa-removed", "Policy:IAMUser/RootCredentialUsage",
                 "ROOT_ACCOUNT_MFA_ENABLED", "");
    expect_lists(fx, "posture-lambda-outside-vpc", "", "LAMBDA_INSIDE_VPC", "");
    expect_lists(fx, "data-credentials-in-ci-logs", "", "",
                 "SensitiveData:S3Object/Credentials|AWS_CREDENTIALS|HTTP_BASIC_AUTH_HEADER|"
                 "JSON_WEB_TOKEN");
    expect_lists(fx, "benign-console-login-trusted-office", "", "", "");
}

/* The compliant look-alikes: one line per change with the exact rules that must stay COMPLIANT,
 * and resources that no other truth line names (no other scenario touches them). */
static void test_scenarios_truth_compliant_look_alikes(void **state)
{
    struct fix *fx = *state;
    static const char *const rules[COMPLIANT_N] = {
        "LAMBDA_INSIDE_VPC", "S3_BUCKET_PUBLIC_READ_PROHIBITED|S3_BUCKET_PUBLIC_WRITE_PROHIBITED",
        "INCOMING_SSH_DISABLED", "RDS_STORAGE_ENCRYPTED|DB_INSTANCE_BACKUP_ENABLED",
        "ACCESS_KEYS_ROTATED"};
    static const size_t nents[COMPLIANT_N] = {2, 2, 2, 2, 4};
    char ents[COMPLIANT_N][4][RP_SIM_ARN_SZ];
    for (size_t n = 0; n < COMPLIANT_N; n++) {
        char id[160], got[1024];
        snprintf(id, sizeof(id), COMPLIANT_ID "#%zu", n + 1);
        struct rp_json_val t = truth_line(fx, id), a;
        assert_int_equal(rp_json_obj_get(t, "config_rules", &a), RP_OK);
        join(a, got, sizeof(got));
        assert_string_equal(got, rules[n]);
        assert_int_equal(rp_json_obj_get(t, "entities", &a), RP_OK);
        assert_int_equal(rp_json_len(a), nents[n]);
        for (size_t i = 0; i < nents[n]; i++) entity(t, i, ents[n][i], sizeof(ents[n][i]));
    }
    /* entity 0 is the resource's ARN, entity 1 its id (the last part of the ARN but for the
       DB instance, whose id is its DbiResourceId, and the user, whose id is AIDA...) */
    assert_int_equal(strncmp(ents[0][0], "arn:aws:lambda:", 15), 0);
    assert_string_equal(strrchr(ents[0][0], ':') + 1, ents[0][1]);
    assert_int_equal(strncmp(ents[1][0], "arn:aws:s3:::", 13), 0);
    assert_string_equal(ents[1][0] + 13, ents[1][1]);
    assert_string_equal(strrchr(ents[2][0], '/') + 1, ents[2][1]);
    assert_int_equal(strncmp(ents[3][1], "db-", 3), 0);
    assert_int_equal(strncmp(ents[4][1], "AIDA", 4), 0);
    assert_int_equal(strncmp(ents[4][2], "AKIA", 4), 0);
    assert_int_equal(strncmp(ents[4][3], "AKIA", 4), 0);
    struct rp_json_lines jl;
    rp_json_lines_init(&jl, fx->truth.data, fx->truth.len, true);
    struct rp_json_val t, a, el;
    struct rp_errbuf eb = {0};
    while (rp_json_lines_next(&jl, fx->jp, &t, &eb) == RP_OK) {
        if (str_is(t, "scenario", COMPLIANT_ID)) continue;
        struct rp_json_iter it;
        assert_int_equal(rp_json_obj_get(t, "entities", &a), RP_OK);
        assert_int_equal(rp_json_arr_iter(a, &it), RP_OK);
        while (rp_json_arr_next(&it, &el)) {
            struct rp_str e;
            assert_int_equal(rp_json_get_str(el, &e), RP_OK);
            for (size_t n = 0; n < COMPLIANT_N; n++)
                for (size_t i = 0; i < nents[n]; i++)
                    if (rp_str_eq_cstr(e, ents[n][i]))
                        fail_msg("'%s' of " COMPLIANT_ID "#%zu is in '%.*s'", ents[n][i], n + 1,
                                 (int)str_of(t, "id").len, str_of(t, "id").p);
        }
    }
}

/* The CVE of the SSH posture scenario is the one side-truth/packages.jsonl marks vulnerable on
 * the new instance and on its private twin (the last entity), and both have an inventory with
 * the os-release that names their distribution. */
static void test_scenarios_truth_cve_matches_side_data(void **state)
{
    struct fix *fx = *state;
    struct rp_json_val t = truth_of(fx, "posture-ssh-open-vulnerable-openssh"), a;
    char inst[64], twin[64], cves[128];
    entity(t, 0, inst, sizeof(inst));
    assert_int_equal(rp_json_obj_get(t, "entities", &a), RP_OK);
    assert_int_equal(rp_json_len(a), 5);
    entity(t, 4, twin, sizeof(twin));
    assert_int_equal(strncmp(twin, "i-", 2), 0);
    assert_string_not_equal(inst, twin);
    assert_int_equal(rp_json_obj_get(t, "cves", &a), RP_OK);
    join(a, cves, sizeof(cves));
    assert_int_equal(strncmp(cves, "CVE-", 4), 0);
    assert_null(strchr(cves, '|'));
    char path[128];
    snprintf(path, sizeof(path), "%s/side-truth/packages.jsonl", fx->dir_a);
    struct rp_buf b;
    read_all(path, &b);
    struct rp_json_parser *p = rp_json_parser_new();
    assert_non_null(p);
    struct rp_json_lines jl;
    rp_json_lines_init(&jl, b.data, b.len, true);
    struct rp_json_val l;
    struct rp_errbuf eb = {0};
    int hits = 0, twin_hits = 0;
    while (rp_json_lines_next(&jl, p, &l, &eb) == RP_OK) {
        bool mine = str_is(l, "instance", inst), theirs = str_is(l, "instance", twin);
        if ((mine || theirs) && str_is(l, "cve", cves)) {
            assert_true(str_is(l, "source", "openssh"));
            assert_true(str_is(l, "expect", "vulnerable"));
            hits += mine;
            twin_hits += theirs;
        }
    }
    assert_int_equal(hits, 1);
    assert_int_equal(twin_hits, 1);
    /* and the instances have an inventory: their OS and their dpkg database */
    const char *ids[] = {inst, twin};
    for (size_t k = 0; k < 2; k++) {
        struct files f;
        list_files(fx->dir_a, ids[k], &f);
        assert_int_equal(f.n, 2);
        bool osr = false, status = false;
        for (size_t i = 0; i < f.n; i++) {
            osr = osr || strstr(f.rels[i], "etc/os-release") != NULL;
            status = status || strstr(f.rels[i], "var/lib/dpkg/status") != NULL;
        }
        assert_true(osr && status);
        files_free(&f);
    }
    rp_json_parser_free(p);
    rp_buf_release(&b);
}

/* ---- determinism --------------------------------------------------------------------------- */

static void digest_tree(const char *dir, struct rp_buf *out)
{
    struct files f;
    list_files(dir, "", &f);
    rp_buf_init(out, 0);
    for (size_t i = 0; i < f.n; i++) {
        struct rp_buf b;
        struct rp_errbuf eb = {0};
        rp_buf_init(&b, 0);
        FILE *fp = fopen(f.paths[i], "rb");
        assert_non_null(fp);
        char chunk[65536];
        size_t got;
        while ((got = fread(chunk, 1, sizeof(chunk), fp)) > 0)
            assert_int_equal(rp_buf_append(&b, chunk, got), RP_OK);
        fclose(fp);
        struct rp_hash128 h = rp_hash_xxh3_128(b.data, b.len, 0);
        assert_int_equal(rp_buf_printf(out, "%s %016llx%016llx\n", f.rels[i],
                                       (unsigned long long)h.hi, (unsigned long long)h.lo),
                         RP_OK);
        (void)eb;
        rp_buf_release(&b);
    }
    files_free(&f);
}

static void test_scenarios_same_seed_same_bytes(void **state)
{
    struct fix *fx = *state;
    struct rp_buf a, b, c;
    digest_tree(fx->dir_a, &a);
    digest_tree(fx->dir_b, &b);
    assert_true(a.len > 0);
    assert_int_equal(a.len, b.len);
    assert_memory_equal(a.data, b.data, a.len);
    /* another seed gives another truth */
    char path[128];
    snprintf(path, sizeof(path), "%s/truth.jsonl", fx->dir_c);
    read_all(path, &c);
    assert_true(c.len != fx->truth.len || memcmp(c.data, fx->truth.data, c.len) != 0);
    rp_buf_release(&a);
    rp_buf_release(&b);
    rp_buf_release(&c);
}

/* ---- evidence ------------------------------------------------------------------------------ */

/* Calls fn for every CloudTrail record of run A. */
typedef void (*ct_fn)(struct rp_json_val rec, void *ctx);

static void each_cloudtrail(struct fix *fx, ct_fn fn, void *ctx)
{
    struct files f;
    list_files(fx->dir_a, "/CloudTrail/", &f);
    assert_true(f.n > 0);
    struct rp_json_parser *p = rp_json_parser_new();
    assert_non_null(p);
    for (size_t i = 0; i < f.n; i++) {
        struct rp_buf b;
        read_all(f.paths[i], &b);
        struct rp_json_val root, recs, rec;
        struct rp_errbuf eb = {0};
        assert_int_equal(rp_json_parse_buf(p, &b, &root, &eb), RP_OK);
        assert_int_equal(rp_json_obj_get(root, "Records", &recs), RP_OK);
        struct rp_json_iter it;
        assert_int_equal(rp_json_arr_iter(recs, &it), RP_OK);
        while (rp_json_arr_next(&it, &rec)) fn(rec, ctx);
        rp_buf_release(&b);
    }
    rp_json_parser_free(p);
    files_free(&f);
}

struct stop_ctx {
    char trail[256], ip[64], acct[16];
    int64_t stop_ms, start_ms;
    int stops, starts;
    int between; /* second pass: records of the account while stopped */
};

static int64_t event_ms(struct rp_json_val rec)
{
    struct rp_str s = str_of(rec, "eventTime");
    int64_t ms = 0;
    assert_int_equal(rp_time_parse_iso(s, &ms, NULL), RP_OK);
    return ms;
}

static void stop_visit(struct rp_json_val rec, void *ctx)
{
    struct stop_ctx *c = ctx;
    struct rp_json_val rp;
    if (str_is(rec, "eventName", "StopLogging")) {
        assert_int_equal(rp_json_obj_get(rec, "requestParameters", &rp), RP_OK);
        if (!str_is(rp, "name", c->trail)) return;
        assert_true(str_is(rec, "sourceIPAddress", c->ip));
        assert_true(str_is(rec, "recipientAccountId", c->acct));
        c->stop_ms = event_ms(rec);
        c->stops++;
    } else if (str_is(rec, "eventName", "StartLogging")) {
        assert_int_equal(rp_json_obj_get(rec, "requestParameters", &rp), RP_OK);
        if (!str_is(rp, "name", c->trail)) return;
        /* the trail-deleted scenario restarts a recreated trail of the same name too: keep the
         * first start after the stop (visits come in time order) */
        int64_t ms = event_ms(rec);
        if (c->stops && (!c->start_ms || c->start_ms < c->stop_ms)) c->start_ms = ms;
        c->starts++;
    }
}

static void between_visit(struct rp_json_val rec, void *ctx)
{
    struct stop_ctx *c = ctx;
    if (!str_is(rec, "recipientAccountId", c->acct)) return;
    int64_t ms = event_ms(rec);
    if (ms > c->stop_ms && ms < c->start_ms) c->between++;
}

static void test_scenarios_evidence_stop_logging(void **state)
{
    struct fix *fx = *state;
    struct rp_json_val t = truth_of(fx, "ct-cloudtrail-stop-logging");
    struct stop_ctx c;
    memset(&c, 0, sizeof(c));
    entity(t, 0, c.trail, sizeof(c.trail));
    entity(t, 2, c.ip, sizeof(c.ip));
    /* arn:aws:cloudtrail:<region>:<account>:trail/<name> */
    const char *acct = c.trail;
    for (int k = 0; k < 4 && acct; k++) acct = strchr(acct, ':') ? strchr(acct, ':') + 1 : NULL;
    assert_non_null(acct);
    snprintf(c.acct, sizeof(c.acct), "%.12s", acct);
    int64_t ws = window_ms(t, "start");
    each_cloudtrail(fx, stop_visit, &c);
    assert_int_equal(c.stops, 1);
    assert_true(c.starts >= 1);
    assert_int_equal(c.stop_ms, ws);
    assert_true(c.start_ms > c.stop_ms);
    /* nothing of the account is delivered while the trail is stopped */
    each_cloudtrail(fx, between_visit, &c);
    assert_int_equal(c.between, 0);
}

struct exfil_ctx {
    char inst[32], key[32], ip[64];
    int outside, inside;
};

static void exfil_visit(struct rp_json_val rec, void *ctx)
{
    struct exfil_ctx *c = ctx;
    struct rp_json_val id, sc;
    if (rp_json_obj_get(rec, "userIdentity", &id) != RP_OK) return;
    if (!str_is(id, "accessKeyId", c->key)) return;
    struct rp_str pid = str_of(id, "principalId");
    assert_true(rp_str_has_suffix(pid, c->inst));
    assert_true(str_is(id, "type", "AssumedRole"));
    assert_int_equal(rp_json_obj_get(id, "sessionContext", &sc), RP_OK);
    assert_true(str_is(sc, "ec2RoleDelivery", "2.0"));
    if (str_is(rec, "sourceIPAddress", c->ip))
        c->outside++;
    else
        c->inside++;
}

static void test_scenarios_evidence_instance_credentials(void **state)
{
    struct fix *fx = *state;
    struct rp_json_val t = truth_of(fx, "ct-instance-credential-exfiltration");
    struct exfil_ctx c;
    memset(&c, 0, sizeof(c));
    entity(t, 1, c.inst, sizeof(c.inst));
    entity(t, 2, c.key, sizeof(c.key));
    entity(t, 3, c.ip, sizeof(c.ip));
    assert_int_equal(strncmp(c.key, "ASIA", 4), 0);
    each_cloudtrail(fx, exfil_visit, &c);
    assert_int_equal(c.inside, 3);
    assert_true(c.outside >= 10);
}

/* Index of field name in a flow-log header line, or -1. */
static int field_index(struct rp_str header, const char *name)
{
    struct rp_str rest = header, tok;
    int i = 0;
    while (rp_str_split_next(&rest, ' ', &tok)) {
        if (rp_str_eq_cstr(tok, name)) return i;
        i++;
    }
    return -1;
}

static struct rp_str field_at(struct rp_str line, int idx)
{
    struct rp_str rest = line, tok = {"", 0};
    for (int i = 0; i <= idx; i++)
        if (!rp_str_split_next(&rest, ' ', &tok)) return (struct rp_str){"", 0};
    return tok;
}

static void test_scenarios_evidence_portscan(void **state)
{
    struct fix *fx = *state;
    struct rp_json_val t = truth_of(fx, "flow-outbound-portscan");
    char eni[64], target[64];
    entity(t, 1, eni, sizeof(eni));
    entity(t, 2, target, sizeof(target));
    struct files f;
    list_files(fx->dir_a, "/vpcflowlogs/", &f);
    assert_true(f.n > 0);
    static uint8_t ports[65536];
    memset(ports, 0, sizeof(ports));
    size_t syn = 0;
    for (size_t i = 0; i < f.n; i++) {
        struct rp_buf b;
        read_all(f.paths[i], &b);
        struct rp_str rest = {b.data, b.len}, line, header = {"", 0};
        int ie = -1, id = -1, ip = -1, ia = -1;
        while (rp_str_split_next(&rest, '\n', &line)) {
            if (!header.len) {
                header = line;
                ie = field_index(header, "interface-id");
                id = field_index(header, "dstaddr");
                ip = field_index(header, "dstport");
                ia = field_index(header, "action");
                assert_true(ie >= 0 && id >= 0 && ip >= 0 && ia >= 0);
                continue;
            }
            if (!rp_str_eq_cstr(field_at(line, ie), eni) ||
                !rp_str_eq_cstr(field_at(line, id), target))
                continue;
            struct rp_str p = field_at(line, ip);
            unsigned port = 0;
            for (size_t k = 0; k < p.len; k++) port = port * 10 + (unsigned)(p.p[k] - '0');
            assert_true(port < 65536);
            ports[port] = 1;
            assert_true(rp_str_eq_cstr(field_at(line, ia), "ACCEPT"));
            syn++;
        }
        rp_buf_release(&b);
    }
    files_free(&f);
    size_t distinct = 0;
    for (size_t k = 0; k < 65536; k++) distinct += ports[k];
    assert_true(distinct >= 600);
    assert_int_equal(syn, distinct); /* one probe per port: a scan, not a session */
}

static void test_scenarios_evidence_dns_exfiltration(void **state)
{
    struct fix *fx = *state;
    struct rp_json_val t = truth_of(fx, "dns-data-exfiltration");
    char inst[32], src[64], domain[128], suffix[136];
    entity(t, 0, inst, sizeof(inst));
    entity(t, 1, src, sizeof(src));
    entity(t, 2, domain, sizeof(domain));
    snprintf(suffix, sizeof(suffix), ".%s.", domain);
    struct files f;
    list_files(fx->dir_a, "/vpcdnsquerylogs/", &f);
    assert_true(f.n > 0);
    struct rp_json_parser *p = rp_json_parser_new();
    assert_non_null(p);
    size_t hits = 0;
    for (size_t i = 0; i < f.n; i++) {
        struct rp_buf b;
        read_all(f.paths[i], &b);
        struct rp_json_lines jl;
        rp_json_lines_init(&jl, b.data, b.len, true);
        struct rp_json_val q, ids;
        struct rp_errbuf eb = {0};
        while (rp_json_lines_next(&jl, p, &q, &eb) == RP_OK) {
            struct rp_str name = str_of(q, "query_name");
            if (!rp_str_has_suffix(name, suffix)) continue;
            assert_true(str_is(q, "srcaddr", src));
            assert_int_equal(rp_json_obj_get(q, "srcids", &ids), RP_OK);
            assert_true(str_is(ids, "instance", inst));
            /* the first label carries 52-63 characters of base32 */
            const char *dot = memchr(name.p, '.', name.len);
            assert_non_null(dot);
            assert_true(dot - name.p >= 52 && dot - name.p <= 63);
            hits++;
        }
        rp_buf_release(&b);
    }
    rp_json_parser_free(p);
    files_free(&f);
    assert_true(hits >= 700);
}

static void test_scenarios_evidence_k8s_anonymous_binding(void **state)
{
    struct fix *fx = *state;
    struct rp_json_val t = truth_of(fx, "k8s-anonymous-role-binding");
    char name[64];
    entity(t, 2, name, sizeof(name));
    struct files f;
    list_files(fx->dir_a, "/EKS/", &f);
    assert_true(f.n > 0);
    struct rp_json_parser *p = rp_json_parser_new();
    assert_non_null(p);
    int creates = 0;
    for (size_t i = 0; i < f.n; i++) {
        struct rp_buf b;
        read_all(f.paths[i], &b);
        struct rp_json_lines jl;
        rp_json_lines_init(&jl, b.data, b.len, true);
        struct rp_json_val ev, ref, obj, subj, s0;
        struct rp_errbuf eb = {0};
        while (rp_json_lines_next(&jl, p, &ev, &eb) == RP_OK) {
            if (!str_is(ev, "verb", "create") || rp_json_obj_get(ev, "objectRef", &ref) != RP_OK ||
                !str_is(ref, "resource", "clusterrolebindings") || !str_is(ref, "name", name))
                continue;
            assert_int_equal(rp_json_obj_get(ev, "requestObject", &obj), RP_OK);
            assert_int_equal(rp_json_obj_get(obj, "subjects", &subj), RP_OK);
            assert_int_equal(rp_json_arr_at(subj, 0, &s0), RP_OK);
            assert_true(str_is(s0, "name", "system:anonymous"));
            assert_true(str_is(s0, "kind", "User"));
            creates++;
        }
        rp_buf_release(&b);
    }
    rp_json_parser_free(p);
    files_free(&f);
    assert_int_equal(creates, 1);
}

static void test_scenarios_evidence_config_rds(void **state)
{
    struct fix *fx = *state;
    struct rp_json_val t = truth_of(fx, "posture-rds-unencrypted-no-backups");
    char rid[64];
    entity(t, 1, rid, sizeof(rid));
    struct files f;
    list_files(fx->dir_a, "ConfigHistory_AWS::RDS::DBInstance", &f);
    assert_true(f.n > 0);
    struct rp_json_parser *p = rp_json_parser_new();
    assert_non_null(p);
    int found = 0;
    for (size_t i = 0; i < f.n; i++) {
        struct rp_buf b;
        read_all(f.paths[i], &b);
        struct rp_json_val root, items, ci, conf;
        struct rp_errbuf eb = {0};
        assert_int_equal(rp_json_parse_buf(p, &b, &root, &eb), RP_OK);
        assert_int_equal(rp_json_obj_get(root, "configurationItems", &items), RP_OK);
        struct rp_json_iter it;
        assert_int_equal(rp_json_arr_iter(items, &it), RP_OK);
        while (rp_json_arr_next(&it, &ci)) {
            if (!str_is(ci, "resourceId", rid)) continue;
            assert_true(str_is(ci, "configurationItemStatus", "ResourceDiscovered"));
            assert_int_equal(rp_json_obj_get(ci, "configuration", &conf), RP_OK);
            bool enc = true;
            int64_t days = -1;
            assert_int_equal(rp_json_obj_get_bool(conf, "storageEncrypted", &enc), RP_OK);
            assert_int_equal(rp_json_obj_get_i64(conf, "backupRetentionPeriod", &days), RP_OK);
            assert_false(enc);
            assert_int_equal(days, 0);
            found++;
        }
        rp_buf_release(&b);
    }
    rp_json_parser_free(p);
    files_free(&f);
    assert_int_equal(found, 1);
}

/* The compliant look-alikes in Config: the new DB instance is encrypted with a KMS key and keeps
 * 7 days of backups, the log bucket's ACL grants the LogDelivery group and nobody else. */
static void test_scenarios_evidence_config_compliant(void **state)
{
    struct fix *fx = *state;
    char rid[64], bucket[64];
    entity(truth_line(fx, COMPLIANT_ID "#4"), 1, rid, sizeof(rid));
    entity(truth_line(fx, COMPLIANT_ID "#2"), 1, bucket, sizeof(bucket));
    struct rp_json_parser *p = rp_json_parser_new();
    assert_non_null(p);
    int dbs = 0, acls = 0;
    static const char *const parts[] = {"ConfigHistory_AWS::RDS::DBInstance",
                                        "ConfigHistory_AWS::S3::Bucket"};
    for (int k = 0; k < 2; k++) {
        struct files f;
        list_files(fx->dir_a, parts[k], &f);
        assert_true(f.n > 0);
        for (size_t i = 0; i < f.n; i++) {
            struct rp_buf b;
            read_all(f.paths[i], &b);
            struct rp_json_val root, items, ci, conf;
            struct rp_errbuf eb = {0};
            assert_int_equal(rp_json_parse_buf(p, &b, &root, &eb), RP_OK);
            assert_int_equal(rp_json_obj_get(root, "configurationItems", &items), RP_OK);
            struct rp_json_iter it;
            assert_int_equal(rp_json_arr_iter(items, &it), RP_OK);
            while (rp_json_arr_next(&it, &ci)) {
                if (k == 0 && str_is(ci, "resourceId", rid)) {
                    assert_true(str_is(ci, "configurationItemStatus", "ResourceDiscovered"));
                    assert_int_equal(rp_json_obj_get(ci, "configuration", &conf), RP_OK);
                    bool enc = false;
                    int64_t days = -1;
                    assert_int_equal(rp_json_obj_get_bool(conf, "storageEncrypted", &enc), RP_OK);
                    assert_int_equal(rp_json_obj_get_i64(conf, "backupRetentionPeriod", &days),
                                     RP_OK);
                    assert_true(enc);
                    assert_int_equal(days, 7);
                    assert_int_equal(strncmp(str_of(conf, "kmsKeyId").p, "arn:aws:kms:", 12), 0);
                    dbs++;
                }
                if (k == 1 && str_is(ci, "resourceId", bucket) &&
                    str_is(ci, "configurationItemStatus", "OK")) {
                    assert_int_equal(rp_json_obj_get(ci, "supplementaryConfiguration", &conf),
                                     RP_OK);
                    struct rp_str as = str_of(conf, "AccessControlList");
                    char acl[1024];
                    snprintf(acl, sizeof(acl), "%.*s", (int)as.len, as.p);
                    assert_non_null(strstr(acl, "{\"grantee\":\"LogDelivery\",\"permission\":"
                                                "\"Write\"},{\"grantee\":\"LogDelivery\","
                                                "\"permission\":\"ReadAcp\"}"));
                    assert_null(strstr(acl, "AllUsers"));
                    assert_null(strstr(acl, "AuthenticatedUsers"));
                    acls++;
                }
            }
            rp_buf_release(&b);
        }
        files_free(&f);
    }
    rp_json_parser_free(p);
    assert_int_equal(dbs, 1);
    assert_int_equal(acls, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scenarios_registry),
        cmocka_unit_test(test_scenarios_mitre_format),
        cmocka_unit_test(test_scenarios_truth_one_line_each),
        cmocka_unit_test(test_scenarios_truth_exact_types),
        cmocka_unit_test(test_scenarios_truth_compliant_look_alikes),
        cmocka_unit_test(test_scenarios_truth_cve_matches_side_data),
        cmocka_unit_test(test_scenarios_same_seed_same_bytes),
        cmocka_unit_test(test_scenarios_evidence_stop_logging),
        cmocka_unit_test(test_scenarios_evidence_instance_credentials),
        cmocka_unit_test(test_scenarios_evidence_portscan),
        cmocka_unit_test(test_scenarios_evidence_dns_exfiltration),
        cmocka_unit_test(test_scenarios_evidence_k8s_anonymous_binding),
        cmocka_unit_test(test_scenarios_evidence_config_rds),
        cmocka_unit_test(test_scenarios_evidence_config_compliant),
    };
    return cmocka_run_group_tests_name("sim_scenarios", tests, setup, teardown);
}
