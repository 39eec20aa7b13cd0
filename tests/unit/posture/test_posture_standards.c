/* SPDX-License-Identifier: Apache-2.0 */
/* Security Hub standards (posture_standards.c): the built-in catalog and standards (counts,
 * integrity, Security Hub's parameter values, configuration names), the selection (enable,
 * disable controls, JSON), control status rules and scores over small hand-written catalogs
 * (the §6.3 example: 12 enabled, 6 passed, 2 no data -> 60%), and the ASFF control findings
 * (exact fields, accepted by the findings hub). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/rp_buf.h"
#include "core/rp_json.h"
#include "core/rp_time.h"
#include "hub/hub.h"
#include "posture/posture_standards.h"
#include "store/store.h"

#define FSBP  "aws-foundational-security-best-practices/v/1.0.0"
#define CIS12 "cis-aws-foundations-benchmark/v/1.2.0"
#define CIS14 "cis-aws-foundations-benchmark/v/1.4.0"
#define PCI   "pci-dss/v/3.2.1"

static struct rp_posture_standards *builtin;

static int setup(void **state)
{
    (void)state;
    struct rp_errbuf eb = {0};
    rp_err e = rp_posture_standards_load(&builtin, &eb);
    if (e != RP_OK) fprintf(stderr, "load: %s\n", eb.msg);
    return e == RP_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    rp_posture_standards_free(builtin);
    return 0;
}

static const struct rp_posture_control *ctl(const struct rp_posture_standards *s, const char *id)
{
    const struct rp_posture_control *c = rp_posture_control_find(s, id);
    assert_non_null(c);
    return c;
}

static const struct rp_posture_standard *std_of(const struct rp_posture_standards *s,
                                                const char *id)
{
    const struct rp_posture_standard *p = rp_posture_standards_find(s, id);
    assert_non_null(p);
    return p;
}

/* ---- the built-in data -------------------------------------------------------------------- */

static void test_standards_counts(void **state)
{
    (void)state;
    static const struct {
        const char *id;
        size_t members, controls;
        bool dflt;
    } want[] = {
        {FSBP, 205, 205, true},
        {CIS12, 44, 43, true},  /* 43 requirements; 1.1 -> CloudWatch.1 and IAM.20; 3.3 -> CW.1 */
        {CIS14, 40, 39, false}, /* 40 requirements; 1.7 and 4.3 -> CloudWatch.1 */
        {PCI, 45, 45, false},
    };
    assert_int_equal(rp_posture_controls_count(builtin), 251);
    assert_int_equal(rp_posture_standards_count(builtin), 4);
    for (size_t i = 0; i < 4; i++) {
        const struct rp_posture_standard *p = rp_posture_standards_at(builtin, i);
        print_message("%-50s members %3zu controls %3zu\n", p->id, p->nmembers, p->ncontrols);
        assert_string_equal(p->id, want[i].id);
        assert_int_equal(p->nmembers, want[i].members);
        assert_int_equal(p->ncontrols, want[i].controls);
        assert_int_equal(p->enabled_by_default, want[i].dflt);
        assert_int_equal(p->index, i);
    }
    /* distinct standard control ids: CIS 1.2 has 43, CIS 1.4 has 40 */
    const struct rp_posture_standard *c12 = std_of(builtin, CIS12), *c14 = std_of(builtin, CIS14);
    size_t d12 = 0, d14 = 0;
    for (size_t i = 0; i < c12->nmembers; i++)
        d12 += i == 0 || strcmp(c12->members[i].control_id, c12->members[i - 1].control_id) != 0;
    for (size_t i = 0; i < c14->nmembers; i++)
        d14 += i == 0 || strcmp(c14->members[i].control_id, c14->members[i - 1].control_id) != 0;
    assert_int_equal(d12, 43);
    assert_int_equal(d14, 40);
}

static bool all_in(const char *s, const char *set)
{
    for (; *s; s++)
        if (!strchr(set, *s)) return false;
    return true;
}

static void test_standards_integrity(void **state)
{
    (void)state;
    char without[2048] = "";
    size_t nwithout = 0, used = 0;
    for (size_t i = 0; i < rp_posture_controls_count(builtin); i++) {
        const struct rp_posture_control *c = rp_posture_controls_at(builtin, i);
        assert_ptr_equal(rp_posture_control_find(builtin, c->id), c);
        assert_true(c->ntypes > 0);
        assert_true(strlen(c->title) > 10);
        char url[256];
        snprintf(url, sizeof url, "https://docs.aws.amazon.com/console/securityhub/%s/remediation",
                 c->id);
        assert_string_equal(c->remediation_url, url);
        if (c->rule) {
            /* a Config rule identifier: upper case, digits, underscores */
            assert_true(c->rule[0] >= 'A' && c->rule[0] <= 'Z');
            assert_true(all_in(c->rule, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"));
            assert_true(all_in(c->rule_name, "abcdefghijklmnopqrstuvwxyz0123456789-"));
            char prefix[160];
            snprintf(prefix, sizeof prefix, "securityhub-%s-", c->rule_name);
            assert_int_equal(strncmp(c->config_name, prefix, strlen(prefix)), 0);
            assert_int_equal(strlen(c->config_name), strlen(prefix) + 8);
            assert_true(all_in(c->config_name + strlen(prefix), "0123456789abcdef"));
            assert_string_equal(c->mechanism, "config-rule");
            assert_null(c->reason);
            for (size_t k = 1; k < c->nparams; k++)
                assert_true(strcmp(c->params[k - 1].name, c->params[k].name) < 0);
        } else {
            assert_null(c->config_name);
            assert_non_null(c->reason);
            assert_int_equal(c->nparams, 0);
            int w = snprintf(without + used, sizeof without - used, "%s%s:%s", used ? " " : "",
                             c->id, c->mechanism);
            used += (size_t)w;
            nwithout++;
        }
    }
    print_message("controls without a rule: %zu\n", nwithout);
    assert_int_equal(nwithout, 35);
    assert_string_equal(
        without,
        "APIGateway.5:service-linked-rule CloudTrail.6:securityhub-check "
        "CloudTrail.7:securityhub-check CloudWatch.1:metric-filter CloudWatch.2:metric-filter "
        "CloudWatch.3:metric-filter CloudWatch.4:metric-filter CloudWatch.5:metric-filter "
        "CloudWatch.6:metric-filter CloudWatch.7:metric-filter CloudWatch.8:metric-filter "
        "CloudWatch.9:metric-filter CloudWatch.10:metric-filter CloudWatch.11:metric-filter "
        "CloudWatch.12:metric-filter CloudWatch.13:metric-filter CloudWatch.14:metric-filter "
        "Config.1:securityhub-check EC2.19:service-linked-rule ECS.2:service-linked-rule "
        "ELB.7:service-linked-rule ES.5:service-linked-rule ES.6:service-linked-rule "
        "ES.7:service-linked-rule ES.8:service-linked-rule IAM.20:securityhub-check "
        "RDS.16:service-linked-rule RDS.17:service-linked-rule RDS.18:service-linked-rule "
        "RDS.19:service-linked-rule RDS.20:service-linked-rule RDS.21:service-linked-rule "
        "RDS.22:service-linked-rule RDS.23:service-linked-rule SQS.1:service-linked-rule");
    for (size_t i = 0; i < rp_posture_standards_count(builtin); i++) {
        const struct rp_posture_standard *p = rp_posture_standards_at(builtin, i);
        bool fsbp = strcmp(p->id, FSBP) == 0;
        for (size_t m = 0; m < p->nmembers; m++) {
            const struct rp_posture_std_member *mb = &p->members[m];
            /* every member's security control is in the catalog */
            assert_ptr_equal(rp_posture_control_find(builtin, mb->control->id), mb->control);
            if (fsbp) {
                assert_string_equal(mb->control_id, mb->control->id);
                assert_int_equal(mb->nrequirements, 0);
            } else {
                assert_true(mb->nrequirements > 0);
            }
            if (strcmp(p->id, PCI) == 0) assert_int_equal(strncmp(mb->control_id, "PCI.", 4), 0);
        }
    }
    /* membership facts */
    assert_true(rp_posture_standard_has(std_of(builtin, FSBP), ctl(builtin, "IAM.5")));
    assert_false(rp_posture_standard_has(std_of(builtin, FSBP), ctl(builtin, "IAM.9")));
    assert_false(rp_posture_standard_has(std_of(builtin, FSBP), ctl(builtin, "CloudWatch.1")));
    const struct rp_posture_standard *pci = std_of(builtin, PCI);
    assert_string_equal(pci->members[0].control_id, "PCI.AutoScaling.1");
    for (size_t m = 0; m < pci->nmembers; m++)
        if (strcmp(pci->members[m].control_id, "PCI.IAM.5") == 0)
            assert_string_equal(pci->members[m].control->id, "IAM.9");
}

static void test_standards_lookup(void **state)
{
    (void)state;
    char arn[256];
    assert_string_equal(ctl(builtin, "iam.5")->id, "IAM.5");
    assert_string_equal(ctl(builtin, "OpenSearch.1")->id, "Opensearch.1");
    assert_null(rp_posture_control_find(builtin, "IAM.99"));
    const struct rp_posture_standard *c12 = std_of(builtin, CIS12), *pci = std_of(builtin, PCI);
    assert_ptr_equal(
        rp_posture_standards_find(
            builtin, "arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0"),
        c12);
    assert_ptr_equal(rp_posture_standards_find(
                         builtin, "arn:aws:securityhub:eu-west-1::standards/pci-dss/v/3.2.1"),
                     pci);
    assert_null(rp_posture_standards_find(builtin, "pci-dss"));
    assert_int_equal(rp_posture_standard_arn(c12, "eu-west-1", arn, sizeof arn), RP_OK);
    assert_string_equal(arn, "arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0");
    assert_int_equal(rp_posture_standard_arn(pci, "eu-west-1", arn, sizeof arn), RP_OK);
    assert_string_equal(arn, "arn:aws:securityhub:eu-west-1::standards/pci-dss/v/3.2.1");
    assert_int_equal(rp_posture_standard_arn(pci, "eu-west-1", arn, 20), RP_ELIMIT);
    assert_string_equal(c12->type, "Software and Configuration Checks/Industry and Regulatory "
                                   "Standards/CIS AWS Foundations Benchmark");
}

/* "name=value" per parameter, "name" alone when not set, space-separated. */
static const char *params_of(const struct rp_posture_control *c)
{
    static char buf[1024];
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < c->nparams; i++) {
        int w = c->params[i].value
                    ? snprintf(buf + used, sizeof buf - used, "%s%s=%s", used ? " " : "",
                               c->params[i].name, c->params[i].value)
                    : snprintf(buf + used, sizeof buf - used, "%s%s", used ? " " : "",
                               c->params[i].name);
        used += (size_t)w;
    }
    return buf;
}

static void test_standards_params(void **state)
{
    (void)state;
    const struct rp_posture_control *c = ctl(builtin, "IAM.15");
    assert_string_equal(c->rule, "IAM_PASSWORD_POLICY");
    assert_string_equal(params_of(c), "MaxPasswordAge MinimumPasswordLength=14 "
                                      "PasswordReusePrevention RequireLowercaseCharacters=false "
                                      "RequireNumbers=false RequireSymbols=false "
                                      "RequireUppercaseCharacters=false");
    assert_string_equal(params_of(ctl(builtin, "IAM.3")), "maxAccessKeyAge=90");
    assert_string_equal(ctl(builtin, "IAM.3")->rule, "ACCESS_KEYS_ROTATED");
    assert_string_equal(params_of(ctl(builtin, "IAM.8")), "maxCredentialUsageAge=90");
    assert_string_equal(params_of(ctl(builtin, "IAM.22")), "maxCredentialUsageAge=45");
    assert_string_equal(ctl(builtin, "IAM.22")->rule, "IAM_USER_UNUSED_CREDENTIALS_CHECK");
    c = ctl(builtin, "EC2.14");
    assert_string_equal(c->rule, "RESTRICTED_INCOMING_TRAFFIC");
    assert_string_equal(c->rule_name, "restricted-common-ports");
    assert_string_equal(params_of(c),
                        "blockedPort1=3389 blockedPort2 blockedPort3 blockedPort4 blockedPort5");
    assert_string_equal(ctl(builtin, "EC2.13")->rule_name, "restricted-ssh");
    assert_string_equal(params_of(ctl(builtin, "IAM.18")),
                        "policyARN=arn:aws:iam::aws:policy/AWSSupportAccess");
    assert_string_equal(params_of(ctl(builtin, "EC2.6")), "trafficType=REJECT");
    assert_string_equal(params_of(ctl(builtin, "IAM.5")), "");
    assert_string_equal(ctl(builtin, "IAM.5")->title,
                        "MFA should be enabled for all IAM users that have a console password");
    assert_string_equal(ctl(builtin, "IAM.5")->severity, "MEDIUM");
    assert_string_equal(ctl(builtin, "Redshift.4")->rule, "REDSHIFT_AUDIT_LOGGING_ENABLED");
}

/* Controls whose rule is among the managed rules agree with it: rule name, resource types, and
 * every parameter is one the rule declares, with a value of its type. (Rules not written yet
 * are counted, not failed: the configuration then names no known rule and has no data.) */
static void test_standards_match_managed_rules(void **state)
{
    (void)state;
    struct rp_posture_ruleset *set = NULL;
    struct rp_errbuf eb = {0};
    rp_err e = rp_posture_ruleset_load_managed(&set, &eb);
    if (e != RP_OK) print_message("managed rules: %s\n", eb.msg);
    assert_int_equal(e, RP_OK);
    size_t checked = 0, absent = 0;
    for (size_t i = 0; i < rp_posture_controls_count(builtin); i++) {
        const struct rp_posture_control *c = rp_posture_controls_at(builtin, i);
        if (!c->rule) continue;
        const struct rp_posture_rule *r = rp_posture_ruleset_find(set, c->rule);
        if (!r) {
            absent++;
            continue;
        }
        checked++;
        assert_string_equal(r->name, c->rule_name);
        assert_int_equal(r->ntypes, c->ntypes);
        for (size_t t = 0; t < c->ntypes; t++) {
            bool found = false;
            for (size_t u = 0; u < r->ntypes; u++)
                found = found || strcmp(r->resource_types[u], c->resource_types[t]) == 0;
            assert_true(found);
        }
        for (size_t k = 0; k < c->nparams; k++) {
            const struct rp_posture_param *p = NULL;
            for (size_t j = 0; j < r->nparams && !p; j++)
                if (strcmp(r->params[j].name, c->params[k].name) == 0) p = &r->params[j];
            if (!p)
                print_message("%s: %s has no parameter %s\n", c->id, c->rule, c->params[k].name);
            assert_non_null(p);
            const char *v = c->params[k].value;
            int64_t x = 0;
            if (v && p->type == RP_PP_INT)
                assert_int_equal(rp_str_to_i64(rp_str_from(v), &x), RP_OK);
            if (v && p->type == RP_PP_BOOLEAN)
                assert_true(strcmp(v, "true") == 0 || strcmp(v, "false") == 0);
        }
    }
    print_message("controls checked against their managed rule: %zu, rule not written yet: %zu\n",
                  checked, absent);
    assert_int_equal(checked + absent, 216);
    rp_posture_ruleset_free(set);
}

/* ---- configurations ----------------------------------------------------------------------- */

static size_t count_identifier(const struct rp_posture_std_config *v, size_t n, const char *id)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) k += strcmp(v[i].identifier, id) == 0;
    return k;
}

static const struct rp_posture_std_config *config_named(const struct rp_posture_std_config *v,
                                                        size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].name, name) == 0) return &v[i];
    return NULL;
}

static void test_standards_configs(void **state)
{
    (void)state;
    struct rp_arena a;
    struct rp_posture_std_config *v = NULL;
    size_t n = 0;
    rp_arena_init(&a, 0);
    struct rp_posture_std_selection *sel = rp_posture_std_selection_new(builtin, true);
    assert_non_null(sel);
    assert_string_equal(ctl(builtin, "IAM.3")->config_name,
                        "securityhub-access-keys-rotated-b746a035");
    assert_string_equal(ctl(builtin, "IAM.15")->config_name,
                        "securityhub-iam-password-policy-00b805a8");
    assert_int_equal(rp_posture_std_configs(builtin, sel, &a, &v, &n, NULL), RP_OK);
    print_message("configurations for FSBP + CIS 1.2: %zu\n", n);
    assert_int_equal(n, 199);
    for (size_t i = 1; i < n; i++) assert_true(strcmp(v[i - 1].name, v[i].name) < 0);
    /* IAM.3 is in FSBP and CIS 1.2: one configuration */
    assert_int_equal(count_identifier(v, n, "ACCESS_KEYS_ROTATED"), 1);
    const struct rp_posture_std_config *k =
        config_named(v, n, "securityhub-access-keys-rotated-b746a035");
    assert_non_null(k);
    assert_int_equal(k->ncontrols, 1);
    assert_string_equal(k->controls[0]->id, "IAM.3");
    assert_string_equal(k->params[0].name, "maxAccessKeyAge");
    assert_string_equal(k->params[0].value, "90");
    assert_string_equal(k->resource_types[0], "AWS::IAM::User");
    assert_int_equal(count_identifier(v, n, "IAM_USER_UNUSED_CREDENTIALS_CHECK"), 1); /* IAM.8 */
    assert_int_equal(count_identifier(v, n, "IAM_PASSWORD_POLICY"), 8); /* IAM.7, IAM.11-17 */
    /* every standard: IAM.8 (90 days) and IAM.22 (45 days) differ; IAM.10 adds one more */
    assert_int_equal(rp_posture_std_selection_enable(sel, CIS14, NULL), RP_OK);
    assert_int_equal(rp_posture_std_selection_enable(sel, PCI, NULL), RP_OK);
    assert_int_equal(rp_posture_std_configs(builtin, sel, &a, &v, &n, NULL), RP_OK);
    assert_int_equal(count_identifier(v, n, "IAM_USER_UNUSED_CREDENTIALS_CHECK"), 2);
    assert_int_equal(count_identifier(v, n, "IAM_PASSWORD_POLICY"), 9);
    assert_int_equal(count_identifier(v, n, "ACCESS_KEYS_ROTATED"), 1);
    print_message("configurations for all four standards: %zu\n", n);
    assert_int_equal(n, 206);
    /* disabling IAM.3 everywhere drops its configuration */
    assert_int_equal(rp_posture_std_selection_disable_control(sel, NULL, "IAM.3", "no keys", NULL),
                     RP_OK);
    assert_int_equal(rp_posture_std_configs(builtin, sel, &a, &v, &n, NULL), RP_OK);
    assert_int_equal(count_identifier(v, n, "ACCESS_KEYS_ROTATED"), 0);
    assert_int_equal(n, 205);
    rp_posture_std_selection_free(sel);
    rp_arena_release(&a);
}

/* ---- selection ---------------------------------------------------------------------------- */

static void test_standards_disable_control(void **state)
{
    (void)state;
    struct rp_errbuf eb = {0};
    const char *reason = NULL;
    struct rp_posture_std_selection *sel = rp_posture_std_selection_new(builtin, false);
    assert_non_null(sel);
    const struct rp_posture_standard *fsbp = std_of(builtin, FSBP), *c12 = std_of(builtin, CIS12),
                                     *c14 = std_of(builtin, CIS14), *pci = std_of(builtin, PCI);
    assert_false(rp_posture_std_selection_enabled(sel, fsbp));
    assert_int_equal(rp_posture_std_selection_enable(sel, CIS12, NULL), RP_OK);
    assert_int_equal(rp_posture_std_selection_enable(sel, CIS14, NULL), RP_OK);
    assert_int_equal(rp_posture_std_selection_enable(sel, PCI, NULL), RP_OK);
    assert_int_equal(rp_posture_std_selection_enable(sel, "cis", &eb), RP_ENOENT);
    assert_string_equal(eb.msg, "no standard 'cis'");

    /* a security control id: every standard */
    assert_int_equal(rp_posture_std_selection_disable_control(sel, NULL, "IAM.6",
                                                              "hardware MFA not available", &eb),
                     RP_OK);
    const struct rp_posture_control *iam6 = ctl(builtin, "IAM.6");
    assert_true(rp_posture_std_selection_control_disabled(sel, c12, iam6, &reason));
    assert_string_equal(reason, "hardware MFA not available");
    assert_true(rp_posture_std_selection_control_disabled(sel, c14, iam6, NULL));
    assert_true(rp_posture_std_selection_control_disabled(sel, pci, iam6, NULL));
    /* re-enabled in CIS 1.4 only: stays disabled elsewhere with its reason */
    assert_int_equal(rp_posture_std_selection_enable_control(sel, CIS14, "1.6", &eb), RP_OK);
    assert_false(rp_posture_std_selection_control_disabled(sel, c14, iam6, NULL));
    assert_true(rp_posture_std_selection_control_enabled(sel, c14, iam6));
    assert_true(rp_posture_std_selection_control_disabled(sel, c12, iam6, &reason));
    assert_string_equal(reason, "hardware MFA not available");
    assert_true(rp_posture_std_selection_control_disabled(sel, pci, iam6, NULL));

    /* a standard control id that one standard has */
    assert_int_equal(rp_posture_std_selection_disable_control(sel, NULL, "PCI.IAM.5", "", &eb),
                     RP_OK);
    assert_true(rp_posture_std_selection_control_disabled(sel, pci, ctl(builtin, "IAM.9"), NULL));
    assert_false(rp_posture_std_selection_control_disabled(sel, c12, ctl(builtin, "IAM.9"), NULL));
    /* ambiguous, unknown, wrong standard */
    assert_int_equal(rp_posture_std_selection_disable_control(sel, NULL, "1.4", "x", &eb),
                     RP_EINVAL);
    assert_string_equal(eb.msg, "control '1.4' is in several standards "
                                "(cis-aws-foundations-benchmark/v/1.2.0, "
                                "cis-aws-foundations-benchmark/v/1.4.0); name the standard");
    assert_int_equal(rp_posture_std_selection_disable_control(sel, NULL, "X.99", "x", &eb),
                     RP_ENOENT);
    assert_string_equal(eb.msg, "no control 'X.99'");
    assert_int_equal(rp_posture_std_selection_disable_control(sel, CIS12, "S3.1", "x", &eb),
                     RP_EINVAL);
    assert_string_equal(eb.msg, "control 'S3.1' is not in standard "
                                "'cis-aws-foundations-benchmark/v/1.2.0'");
    assert_int_equal(rp_posture_std_selection_disable_control(sel, CIS12, "9.9", "x", &eb),
                     RP_ENOENT);
    assert_string_equal(eb.msg, "no control '9.9' in standard "
                                "'cis-aws-foundations-benchmark/v/1.2.0'");
    /* CIS 1.2's 1.1 names two security controls */
    assert_int_equal(rp_posture_std_selection_disable_control(sel, CIS12, "1.1", "no alarms", &eb),
                     RP_OK);
    assert_true(
        rp_posture_std_selection_control_disabled(sel, c12, ctl(builtin, "CloudWatch.1"), NULL));
    assert_true(rp_posture_std_selection_control_disabled(sel, c12, ctl(builtin, "IAM.20"), NULL));
    assert_false(
        rp_posture_std_selection_control_disabled(sel, c14, ctl(builtin, "CloudWatch.1"), NULL));

    /* JSON round trip */
    struct rp_buf b;
    rp_buf_init(&b, 0);
    assert_int_equal(rp_posture_std_selection_to_json(sel, &b), RP_OK);
    const char *want =
        "{\"enabled\":[\"cis-aws-foundations-benchmark/v/1.2.0\","
        "\"cis-aws-foundations-benchmark/v/1.4.0\",\"pci-dss/v/3.2.1\"],\"disabled\":["
        "{\"standard\":\"aws-foundational-security-best-practices/v/1.0.0\",\"control\":"
        "\"IAM.6\",\"reason\":\"hardware MFA not available\"},"
        "{\"standard\":\"cis-aws-foundations-benchmark/v/1.2.0\",\"control\":\"CloudWatch.1\","
        "\"reason\":\"no alarms\"},"
        "{\"standard\":\"cis-aws-foundations-benchmark/v/1.2.0\",\"control\":\"IAM.6\","
        "\"reason\":\"hardware MFA not available\"},"
        "{\"standard\":\"cis-aws-foundations-benchmark/v/1.2.0\",\"control\":\"IAM.20\","
        "\"reason\":\"no alarms\"},"
        "{\"standard\":\"pci-dss/v/3.2.1\",\"control\":\"IAM.6\","
        "\"reason\":\"hardware MFA not available\"},"
        "{\"standard\":\"pci-dss/v/3.2.1\",\"control\":\"IAM.9\",\"reason\":\"\"}]}";
    assert_string_equal(rp_buf_cstr(&b), want);
    struct rp_posture_std_selection *copy = rp_posture_std_selection_new(builtin, true);
    assert_int_equal(rp_posture_std_selection_from_json(copy, b.data, b.len, &eb), RP_OK);
    rp_buf_reset(&b);
    assert_int_equal(rp_posture_std_selection_to_json(copy, &b), RP_OK);
    assert_string_equal(rp_buf_cstr(&b), want);
    /* a bad document leaves the selection as it was */
    const char *bad = "{\"enabled\":[\"nope/v/1\"]}";
    assert_int_equal(rp_posture_std_selection_from_json(copy, bad, strlen(bad), &eb), RP_ENOENT);
    assert_string_equal(eb.msg, "no standard 'nope/v/1'");
    rp_buf_reset(&b);
    assert_int_equal(rp_posture_std_selection_to_json(copy, &b), RP_OK);
    assert_string_equal(rp_buf_cstr(&b), want);
    assert_int_equal(rp_posture_std_selection_from_json(copy, "{}", 2, &eb), RP_OK);
    rp_buf_reset(&b);
    assert_int_equal(rp_posture_std_selection_to_json(copy, &b), RP_OK);
    assert_string_equal(rp_buf_cstr(&b), "{\"enabled\":[],\"disabled\":[]}");
    /* enabling a security control with no standard forgets every disable of it */
    assert_int_equal(rp_posture_std_selection_enable_control(sel, NULL, "IAM.6", &eb), RP_OK);
    assert_false(rp_posture_std_selection_control_disabled(sel, c12, iam6, NULL));
    assert_false(rp_posture_std_selection_control_disabled(sel, pci, iam6, NULL));
    rp_buf_release(&b);
    rp_posture_std_selection_free(copy);
    rp_posture_std_selection_free(sel);
}

/* ---- small catalogs for status rules and scores -------------------------------------------- */

/* Controls T.1 .. T.14 (T.13 and T.14 share one rule with the same parameters); standard
 * test/v/1 has T.1 .. T.12, test/v/2 has T.1, T.2, T.13, T.14 (as "B.1" .. "B.4"). */
static struct rp_posture_standards *small(void)
{
    static char cat[8192];
    size_t used = 0;
    used += (size_t)snprintf(cat + used, sizeof cat - used,
                             "remediationUrl: https://example.test/{id}\ncontrols:\n");
    for (int i = 1; i <= 14; i++) {
        int r = i >= 13 ? 13 : i;
        used += (size_t)snprintf(cat + used, sizeof cat - used,
                                 "  - id: T.%d\n    title: Test control %d\n    description: "
                                 "Checks %d.\n    severity: %s\n    resourceTypes: "
                                 "[\"AWS::S3::Bucket\"]\n    rule: RULE_%d\n    ruleName: "
                                 "rule-%d\n    params: {limit: %d}\n",
                                 i, i, i, i % 2 ? "HIGH" : "LOW", r, r, r);
    }
    used += (size_t)snprintf(cat + used, sizeof cat - used,
                             "  - id: T.15\n    title: Test control 15\n    description: No "
                             "rule.\n    severity: LOW\n    resourceTypes: [\"AWS::::Account\"]\n"
                             "    rule: null\n    mechanism: metric-filter\n    reason: none\n");
    static char s1[4096], s2[1024];
    used =
        (size_t)snprintf(s1, sizeof s1,
                         "id: test/v/1\narn: \"arn:aws:securityhub:{region}::standards/test/v/1\"\n"
                         "name: Test one\ndescription: d\nenabledByDefault: true\n"
                         "type: Software and Configuration Checks/Test\ncontrols:\n");
    for (int i = 1; i <= 12; i++)
        used += (size_t)snprintf(s1 + used, sizeof s1 - used,
                                 "  - {control: \"%d\", securityControl: T.%d, requirements: "
                                 "[Test/%d]}\n",
                                 i, i, i);
    snprintf(s2, sizeof s2,
             "id: test/v/2\narn: \"arn:aws:securityhub:::ruleset/test/v/2\"\nname: Test two\n"
             "description: d\nenabledByDefault: false\ntype: Software and Configuration "
             "Checks/Other\ncontrols:\n"
             "  - {control: B.1, securityControl: T.1, requirements: [Two/1, Test/1]}\n"
             "  - {control: B.2, securityControl: T.2}\n"
             "  - {control: B.3, securityControl: T.13}\n"
             "  - {control: B.4, securityControl: T.14}\n"
             "  - {control: B.5, securityControl: T.15}\n");
    struct rp_posture_std_src srcs[] = {
        {"posture/standards/test/v/1.yaml", s1, strlen(s1)},
        {"posture/standards/controls.yaml", cat, strlen(cat)},
        {"posture/standards/test/v/2.yaml", s2, strlen(s2)},
    };
    struct rp_posture_standards *s = NULL;
    struct rp_errbuf eb = {0};
    rp_err e = rp_posture_standards_parse(srcs, 3, &s, &eb);
    if (e != RP_OK) fprintf(stderr, "%s\n", eb.msg);
    assert_int_equal(e, RP_OK);
    return s;
}

static struct rp_posture_std_eval ev(const struct rp_posture_standards *s, const char *control,
                                     const char *bucket, enum rp_posture_compliance c)
{
    return (struct rp_posture_std_eval){.config_name = ctl(s, control)->config_name,
                                        .resource_type = "AWS::S3::Bucket",
                                        .resource_id = bucket,
                                        .account = "111122223333",
                                        .region = "us-east-1",
                                        .compliance = c};
}

/* One line per control: "<ids> <id> <status> p/f/w/s". */
static const char *render(const struct rp_posture_std_result *r)
{
    static char buf[4096];
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < r->ncontrols; i++) {
        const struct rp_posture_ctl_result *c = &r->controls[i];
        int w =
            snprintf(buf + used, sizeof buf - used, "%s %s %s %zu/%zu/%zu/%zu%s%s\n",
                     c->control_ids, c->control->id, rp_posture_ctl_status_name(c->status),
                     c->passed, c->failed, c->warning, c->suppressed, c->disabled_reason ? " " : "",
                     c->disabled_reason ? c->disabled_reason : "");
        used += (size_t)w;
    }
    return buf;
}

static void test_standards_status_rules(void **state)
{
    (void)state;
    struct rp_posture_standards *s = small();
    struct rp_posture_std_selection *sel = rp_posture_std_selection_new(s, true);
    assert_int_equal(
        rp_posture_std_selection_disable_control(sel, "test/v/1", "9", "not used", NULL), RP_OK);
    struct rp_posture_std_eval e[] = {
        ev(s, "T.1", "a", RP_PC_COMPLIANT),
        ev(s, "T.1", "b", RP_PC_COMPLIANT),
        ev(s, "T.2", "a", RP_PC_COMPLIANT),
        ev(s, "T.2", "b", RP_PC_NON_COMPLIANT),
        ev(s, "T.2", "c", RP_PC_INSUFFICIENT_DATA),
        ev(s, "T.3", "a", RP_PC_COMPLIANT),
        ev(s, "T.3", "b", RP_PC_INSUFFICIENT_DATA),
        ev(s, "T.4", "a", RP_PC_NOT_APPLICABLE),
        ev(s, "T.5", "a", RP_PC_NON_COMPLIANT),
        ev(s, "T.5", "b", RP_PC_COMPLIANT),
        ev(s, "T.6", "a", RP_PC_NON_COMPLIANT),
        ev(s, "T.6", "a", RP_PC_COMPLIANT), /* later evaluation of the same resource wins */
        ev(s, "T.7", "a", RP_PC_NON_COMPLIANT),
        ev(s, "T.8", "a", RP_PC_COMPLIANT),
        ev(s, "T.9", "a", RP_PC_NON_COMPLIANT),
    };
    e[8].suppressed = true;         /* T.5's failure is suppressed */
    e[12].account = "444455556666"; /* T.7 fails in another account */
    e[13].config_name = "securityhub-unknown-00000000";
    struct rp_posture_std_report *r = NULL;
    assert_int_equal(rp_posture_std_report_build(s, sel, e, RP_ARRAY_LEN(e), NULL, &r, NULL),
                     RP_OK);
    assert_int_equal(r->nstandards, 1);
    assert_int_equal(r->evaluations_used, 13); /* not: the unknown name, disabled T.9 */
    assert_string_equal(render(&r->standards[0]), "1 T.1 PASSED 2/0/0/0\n"
                                                  "2 T.2 FAILED 1/1/1/0\n"
                                                  "3 T.3 UNKNOWN 1/0/1/0\n"
                                                  "4 T.4 NO_DATA 0/0/0/0\n"
                                                  "5 T.5 PASSED 1/0/0/1\n"
                                                  "6 T.6 PASSED 1/0/0/0\n"
                                                  "7 T.7 FAILED 0/1/0/0\n"
                                                  "8 T.8 NO_DATA 0/0/0/0\n"
                                                  "9 T.9 DISABLED 0/0/0/0 not used\n"
                                                  "10 T.10 NO_DATA 0/0/0/0\n"
                                                  "11 T.11 NO_DATA 0/0/0/0\n"
                                                  "12 T.12 NO_DATA 0/0/0/0\n");
    const struct rp_posture_std_result *sr = &r->standards[0];
    assert_int_equal(sr->by_status[RP_PCS_PASSED], 3);
    assert_int_equal(sr->by_status[RP_PCS_FAILED], 2);
    assert_int_equal(sr->by_status[RP_PCS_UNKNOWN], 1);
    assert_int_equal(sr->by_status[RP_PCS_NO_DATA], 5);
    assert_int_equal(sr->by_status[RP_PCS_DISABLED], 1);
    assert_int_equal(rp_posture_std_score_pct(sr), 50); /* 3 of 6 */
    rp_posture_std_report_free(r);

    /* scope: only account 111122223333 -> T.7 has no data */
    struct rp_posture_std_scope scope = {"111122223333", NULL};
    assert_int_equal(rp_posture_std_report_build(s, sel, e, RP_ARRAY_LEN(e), &scope, &r, NULL),
                     RP_OK);
    assert_int_equal(r->standards[0].controls[6].status, RP_PCS_NO_DATA);
    assert_int_equal(r->evaluations_used, 12);
    rp_posture_std_report_free(r);
    /* nothing evaluated: every control NO_DATA, no score */
    assert_int_equal(rp_posture_std_report_build(s, sel, NULL, 0, NULL, &r, NULL), RP_OK);
    assert_int_equal(r->standards[0].by_status[RP_PCS_NO_DATA], 11);
    assert_int_equal(rp_posture_std_score_pct(&r->standards[0]), -1);
    rp_posture_std_report_free(r);
    rp_posture_std_selection_free(sel);
    rp_posture_standards_free(s);
}

/* Security Hub's example (aws-facts §6.3): 12 enabled controls, 6 passed, 2 with no data ->
 * 6 / 10 = 60%. */
static void test_standards_score_example(void **state)
{
    (void)state;
    struct rp_posture_standards *s = small();
    struct rp_posture_std_selection *sel = rp_posture_std_selection_new(s, true);
    struct rp_posture_std_eval e[12];
    char id[8];
    size_t n = 0;
    for (int i = 1; i <= 10; i++) {
        snprintf(id, sizeof id, "T.%d", i);
        e[n++] = ev(s, id, "bucket",
                    i <= 6   ? RP_PC_COMPLIANT
                    : i <= 9 ? RP_PC_NON_COMPLIANT
                             : RP_PC_INSUFFICIENT_DATA);
    }
    struct rp_posture_std_report *r = NULL;
    assert_int_equal(rp_posture_std_report_build(s, sel, e, n, NULL, &r, NULL), RP_OK);
    const struct rp_posture_std_result *sr = &r->standards[0];
    assert_int_equal(sr->ncontrols, 12);
    assert_int_equal(sr->by_status[RP_PCS_PASSED], 6);
    assert_int_equal(sr->by_status[RP_PCS_FAILED], 3);
    assert_int_equal(sr->by_status[RP_PCS_UNKNOWN], 1);
    assert_int_equal(sr->by_status[RP_PCS_NO_DATA], 2);
    assert_int_equal(sr->score_passed, 6);
    assert_int_equal(sr->score_total, 10);
    assert_int_equal(rp_posture_std_score_pct(sr), 60);
    rp_posture_std_report_free(r);

    /* disabling a passed control takes it out: 5 / 9 = 55.6 -> 56% */
    assert_int_equal(rp_posture_std_selection_disable_control(sel, NULL, "T.1", "out", NULL),
                     RP_OK);
    assert_int_equal(rp_posture_std_report_build(s, sel, e, n, NULL, &r, NULL), RP_OK);
    sr = &r->standards[0];
    assert_int_equal(sr->by_status[RP_PCS_DISABLED], 1);
    assert_int_equal(sr->score_passed, 5);
    assert_int_equal(sr->score_total, 9);
    assert_int_equal(rp_posture_std_score_pct(sr), 56);
    /* disabling a failed one: 5 / 8 = 62.5 -> 63% */
    rp_posture_std_report_free(r);
    assert_int_equal(rp_posture_std_selection_disable_control(sel, "test/v/1", "T.7", "", NULL),
                     RP_OK);
    assert_int_equal(rp_posture_std_report_build(s, sel, e, n, NULL, &r, NULL), RP_OK);
    assert_int_equal(rp_posture_std_score_pct(&r->standards[0]), 63);
    rp_posture_std_report_free(r);
    rp_posture_std_selection_free(sel);
    rp_posture_standards_free(s);
}

static void test_standards_overall(void **state)
{
    (void)state;
    struct rp_posture_standards *s = small();
    struct rp_posture_std_selection *sel = rp_posture_std_selection_new(s, true);
    assert_int_equal(rp_posture_std_selection_enable(sel, "test/v/2", NULL), RP_OK);
    /* T.13 and T.14: same rule, same parameters -> one configuration for both */
    struct rp_arena a;
    struct rp_posture_std_config *cf = NULL;
    size_t ncf = 0;
    rp_arena_init(&a, 0);
    assert_int_equal(rp_posture_std_configs(s, sel, &a, &cf, &ncf, NULL), RP_OK);
    assert_int_equal(ncf, 13); /* T.1-T.12 and the shared one; T.15 has no rule */
    const struct rp_posture_std_config *shared = config_named(cf, ncf, ctl(s, "T.13")->config_name);
    assert_non_null(shared);
    assert_string_equal(shared->identifier, "RULE_13");
    assert_int_equal(shared->ncontrols, 2);
    assert_string_equal(shared->controls[0]->id, "T.13");
    assert_string_equal(shared->controls[1]->id, "T.14");
    rp_arena_release(&a);
    /* T.2 disabled in test/v/1 only: still counted overall; T.14 disabled in its only standard */
    assert_int_equal(rp_posture_std_selection_disable_control(sel, "test/v/1", "T.2", "dup", NULL),
                     RP_OK);
    assert_int_equal(rp_posture_std_selection_disable_control(sel, NULL, "B.4", "later", NULL),
                     RP_OK);
    struct rp_posture_std_eval e[] = {
        ev(s, "T.1", "a", RP_PC_COMPLIANT),
        ev(s, "T.2", "a", RP_PC_NON_COMPLIANT),
        ev(s, "T.13", "a", RP_PC_COMPLIANT), /* T.13 and T.14 share the configuration */
        ev(s, "T.3", "a", RP_PC_COMPLIANT),
    };
    assert_string_equal(ctl(s, "T.13")->config_name, ctl(s, "T.14")->config_name);
    struct rp_posture_std_report *r = NULL;
    assert_int_equal(rp_posture_std_report_build(s, sel, e, RP_ARRAY_LEN(e), NULL, &r, NULL),
                     RP_OK);
    assert_int_equal(r->nstandards, 2);
    assert_string_equal(render(&r->standards[1]), "B.1 T.1 PASSED 1/0/0/0\n"
                                                  "B.2 T.2 FAILED 0/1/0/0\n"
                                                  "B.3 T.13 PASSED 1/0/0/0\n"
                                                  "B.4 T.14 DISABLED 0/0/0/0 later\n"
                                                  "B.5 T.15 NO_DATA 0/0/0/0\n");
    assert_int_equal(rp_posture_std_score_pct(&r->standards[1]), 67); /* 2 of 3 */
    /* overall: T.1-T.15 once each, catalog order */
    assert_int_equal(r->overall.ncontrols, 15);
    assert_null(r->overall.standard);
    assert_string_equal(render(&r->overall), "T.1 T.1 PASSED 1/0/0/0\n"
                                             "T.2 T.2 FAILED 0/1/0/0\n"
                                             "T.3 T.3 PASSED 1/0/0/0\n"
                                             "T.4 T.4 NO_DATA 0/0/0/0\n"
                                             "T.5 T.5 NO_DATA 0/0/0/0\n"
                                             "T.6 T.6 NO_DATA 0/0/0/0\n"
                                             "T.7 T.7 NO_DATA 0/0/0/0\n"
                                             "T.8 T.8 NO_DATA 0/0/0/0\n"
                                             "T.9 T.9 NO_DATA 0/0/0/0\n"
                                             "T.10 T.10 NO_DATA 0/0/0/0\n"
                                             "T.11 T.11 NO_DATA 0/0/0/0\n"
                                             "T.12 T.12 NO_DATA 0/0/0/0\n"
                                             "T.13 T.13 PASSED 1/0/0/0\n"
                                             "T.14 T.14 DISABLED 0/0/0/0 later\n"
                                             "T.15 T.15 NO_DATA 0/0/0/0\n");
    assert_int_equal(r->overall.score_passed, 3);
    assert_int_equal(r->overall.score_total, 4);
    assert_int_equal(rp_posture_std_score_pct(&r->overall), 75);

    /* the report as JSON (test/v/2 and overall, abridged by a small standard) */
    struct rp_buf b;
    rp_buf_init(&b, 0);
    assert_int_equal(rp_posture_std_report_json(r, "eu-west-1", &b), RP_OK);
    struct rp_json_parser *jp = rp_json_parser_new();
    struct rp_json_val root, v, el;
    assert_int_equal(rp_json_parse_buf(jp, &b, &root, NULL), RP_OK);
    assert_int_equal(rp_json_obj_get(root, "Standards", &v), RP_OK);
    assert_int_equal(rp_json_arr_at(v, 1, &el), RP_OK);
    struct rp_buf one;
    rp_buf_init(&one, 0);
    assert_int_equal(rp_json_serialize(el, &one), RP_OK);
    assert_string_equal(
        rp_buf_cstr(&one),
        "{\"StandardsId\":\"test/v/2\",\"StandardsArn\":\"arn:aws:securityhub:::ruleset/test/v/2\","
        "\"Name\":\"Test two\",\"Score\":67,\"ControlsPassed\":2,\"ControlsFailed\":1,"
        "\"ControlsUnknown\":0,\"ControlsNoData\":1,\"ControlsDisabled\":1,\"Controls\":["
        "{\"SecurityControlId\":\"T.1\",\"StandardsControlIds\":\"B.1\",\"Title\":\"Test control "
        "1\",\"SeverityRating\":\"HIGH\",\"ControlStatus\":\"PASSED\",\"Findings\":{\"Passed\":1,"
        "\"Failed\":0,\"Warning\":0,\"Suppressed\":0}},"
        "{\"SecurityControlId\":\"T.2\",\"StandardsControlIds\":\"B.2\",\"Title\":\"Test control "
        "2\",\"SeverityRating\":\"LOW\",\"ControlStatus\":\"FAILED\",\"Findings\":{\"Passed\":0,"
        "\"Failed\":1,\"Warning\":0,\"Suppressed\":0}},"
        "{\"SecurityControlId\":\"T.13\",\"StandardsControlIds\":\"B.3\",\"Title\":\"Test "
        "control 13\",\"SeverityRating\":\"HIGH\",\"ControlStatus\":\"PASSED\",\"Findings\":{"
        "\"Passed\":1,\"Failed\":0,\"Warning\":0,\"Suppressed\":0}},"
        "{\"SecurityControlId\":\"T.14\",\"StandardsControlIds\":\"B.4\",\"Title\":\"Test "
        "control 14\",\"SeverityRating\":\"LOW\",\"ControlStatus\":\"DISABLED\","
        "\"DisabledReason\":\"later\",\"Findings\":{\"Passed\":0,\"Failed\":0,\"Warning\":0,"
        "\"Suppressed\":0}},"
        "{\"SecurityControlId\":\"T.15\",\"StandardsControlIds\":\"B.5\",\"Title\":\"Test "
        "control 15\",\"SeverityRating\":\"LOW\",\"ControlStatus\":\"NO_DATA\",\"Findings\":{"
        "\"Passed\":0,\"Failed\":0,\"Warning\":0,\"Suppressed\":0}}]}");
    assert_int_equal(rp_json_arr_at(v, 0, &el), RP_OK);
    struct rp_str sv;
    assert_int_equal(rp_json_obj_get_str(el, "StandardsArn", &sv), RP_OK);
    assert_true(rp_str_eq_cstr(sv, "arn:aws:securityhub:eu-west-1::standards/test/v/1"));
    assert_int_equal(rp_json_obj_get(root, "Overall", &v), RP_OK);
    int64_t score = 0;
    assert_int_equal(rp_json_obj_get_i64(v, "Score", &score), RP_OK);
    assert_int_equal(score, 75);
    rp_json_parser_free(jp);
    rp_buf_release(&one);
    rp_buf_release(&b);
    rp_posture_std_report_free(r);
    rp_posture_std_selection_free(sel);
    rp_posture_standards_free(s);
}

/* ---- findings ----------------------------------------------------------------------------- */

struct sink {
    struct rp_buf all; /* findings, one per line */
    size_t n;
};

static rp_err sink_fn(void *ctx, const char *json, size_t len, struct rp_errbuf *eb)
{
    (void)eb;
    struct sink *k = ctx;
    k->n++;
    rp_err e = rp_buf_append(&k->all, json, len);
    if (e == RP_OK) e = rp_buf_putc(&k->all, '\n');
    return e;
}

static void test_standards_findings_asff(void **state)
{
    (void)state;
    struct rp_posture_std_selection *sel = rp_posture_std_selection_new(builtin, true);
    int64_t now = 0;
    assert_int_equal(rp_time_parse_iso(rp_str_from("2026-11-27T10:00:00Z"), &now, NULL), RP_OK);
    struct rp_posture_std_eval e[] = {
        {.config_name = ctl(builtin, "IAM.5")->config_name,
         .resource_type = "AWS::IAM::User",
         .resource_id = "AIDAEXAMPLE1",
         .resource_arn = "arn:aws:iam::111122223333:user/alice",
         .account = "111122223333",
         .region = "us-east-1",
         .compliance = RP_PC_NON_COMPLIANT,
         .annotation = "alice has a console password and no MFA device"},
        {.config_name = ctl(builtin, "IAM.5")->config_name,
         .resource_type = "AWS::IAM::User",
         .resource_id = "AIDAEXAMPLE2",
         .resource_arn = "arn:aws:iam::111122223333:user/bob",
         .account = "111122223333",
         .region = "us-east-1",
         .compliance = RP_PC_COMPLIANT},
        {.config_name = ctl(builtin, "S3.5")->config_name,
         .resource_type = "AWS::S3::Bucket",
         .resource_id = "logs-bucket",
         .account = "111122223333",
         .region = "us-east-1",
         .compliance = RP_PC_INSUFFICIENT_DATA},
        {.config_name = ctl(builtin, "S3.5")->config_name,
         .resource_type = "AWS::S3::Bucket",
         .resource_id = "gone-bucket",
         .account = "111122223333",
         .region = "us-east-1",
         .compliance = RP_PC_NOT_APPLICABLE},
    };
    struct sink k = {.n = 0};
    rp_buf_init(&k.all, 0);
    struct rp_posture_std_finding_opts o = {.now_ms = now};
    size_t count = 0;
    assert_int_equal(
        rp_posture_std_findings(builtin, sel, e, RP_ARRAY_LEN(e), &o, sink_fn, &k, &count, NULL),
        RP_OK);
    assert_int_equal(count, 4);
    assert_int_equal(k.n, 4);
    /* the first finding (IAM.5 for alice) in full: FSBP and CIS 1.2 are enabled */
    const char *nl = strchr(k.all.data, '\n');
    char *first = strndup(k.all.data, (size_t)(nl - k.all.data));
    assert_string_equal(
        first,
        "{\"SchemaVersion\":\"2018-10-08\","
        "\"Id\":\"arn:aws:securityhub:us-east-1:111122223333:security-control/IAM.5/finding/"
        "8dbcbf53-5193-9f1c-ddbe-2dba01413087\","
        "\"ProductArn\":\"arn:aws:securityhub:us-east-1::product/aws/securityhub\","
        "\"ProductName\":\"Security Hub\",\"CompanyName\":\"AWS\",\"Region\":\"us-east-1\","
        "\"GeneratorId\":\"security-control/IAM.5\",\"AwsAccountId\":\"111122223333\","
        "\"Types\":[\"Software and Configuration Checks/Industry and Regulatory Standards/AWS "
        "Foundational Security Best Practices\",\"Software and Configuration Checks/Industry and "
        "Regulatory Standards/CIS AWS Foundations Benchmark\"],"
        "\"FirstObservedAt\":\"2026-11-27T10:00:00.000Z\","
        "\"LastObservedAt\":\"2026-11-27T10:00:00.000Z\","
        "\"CreatedAt\":\"2026-11-27T10:00:00.000Z\",\"UpdatedAt\":\"2026-11-27T10:00:00.000Z\","
        "\"Severity\":{\"Label\":\"MEDIUM\",\"Original\":\"MEDIUM\"},"
        "\"Title\":\"MFA should be enabled for all IAM users that have a console password\","
        "\"Description\":\"Users with console password must have MFA.\","
        "\"Remediation\":{\"Recommendation\":{\"Text\":\"For information on how to correct this "
        "issue, consult the AWS Security Hub controls documentation.\","
        "\"Url\":\"https://docs.aws.amazon.com/console/securityhub/IAM.5/remediation\"}},"
        "\"ProductFields\":{\"RelatedAWSResources:0/"
        "name\":\"securityhub-mfa-enabled-for-iam-console-access-fdd03aa2\","
        "\"RelatedAWSResources:0/type\":\"AWS::Config::ConfigRule\","
        "\"aws/securityhub/ProductName\":\"Security Hub\",\"aws/securityhub/CompanyName\":\"AWS\","
        "\"aws/securityhub/annotation\":\"alice has a console password and no MFA device\","
        "\"Resources:0/Id\":\"arn:aws:iam::111122223333:user/alice\","
        "\"aws/securityhub/FindingId\":\"arn:aws:securityhub:us-east-1::product/aws/securityhub/"
        "arn:aws:securityhub:us-east-1:111122223333:security-control/IAM.5/finding/"
        "8dbcbf53-5193-9f1c-ddbe-2dba01413087\"},"
        "\"Resources\":[{\"Type\":\"AwsIamUser\",\"Id\":\"arn:aws:iam::111122223333:user/alice\","
        "\"Partition\":\"aws\",\"Region\":\"us-east-1\"}],"
        "\"Compliance\":{\"Status\":\"FAILED\",\"SecurityControlId\":\"IAM.5\","
        "\"AssociatedStandards\":[{\"StandardsId\":\"standards/"
        "aws-foundational-security-best-practices/v/1.0.0\"},{\"StandardsId\":\"ruleset/"
        "cis-aws-foundations-benchmark/v/1.2.0\"}],"
        "\"RelatedRequirements\":[\"CIS AWS Foundations Benchmark v1.2.0/1.2\"]},"
        "\"Workflow\":{\"Status\":\"NEW\"},\"RecordState\":\"ACTIVE\"}");
    free(first);
    /* the others: PASSED/RESOLVED, WARNING with a reason, ARCHIVED */
    const char *all = rp_buf_cstr(&k.all);
    assert_non_null(strstr(all, "\"Compliance\":{\"Status\":\"PASSED\""));
    assert_non_null(strstr(all, "\"Workflow\":{\"Status\":\"RESOLVED\"}"));
    assert_non_null(strstr(all, "\"Status\":\"WARNING\",\"SecurityControlId\":\"S3.5\""));
    assert_non_null(strstr(all, "\"StatusReasons\":[{\"ReasonCode\":\"CONFIG_EVALUATIONS_EMPTY\","
                                "\"Description\":\"AWS Config returned INSUFFICIENT_DATA for the "
                                "resource\"}]"));
    assert_non_null(strstr(all, "{\"Type\":\"AwsS3Bucket\",\"Id\":\"arn:aws:s3:::logs-bucket\","
                                "\"Partition\":\"aws\",\"Region\":\"us-east-1\"}"));
    assert_non_null(strstr(all, "\"ReasonCode\":\"CONFIG_RETURNS_NOT_APPLICABLE\""));
    assert_non_null(strstr(all, "\"RecordState\":\"ARCHIVED\""));

    /* the hub takes them as they are */
    struct rp_store *st = NULL;
    assert_int_equal(rp_store_new(":memory:", RP_STORE_RDWR, &st, NULL), RP_OK);
    struct rp_hub_import_opts io;
    rp_hub_import_opts_init(&io);
    io.format = "asff";
    io.now_ms = now;
    struct rp_hub_importer *im = NULL;
    struct rp_errbuf eb = {0};
    assert_int_equal(rp_hub_importer_new(st, &io, &im, &eb), RP_OK);
    assert_int_equal(rp_hub_import_buf(im, k.all.data, k.all.len, "findings", &eb), RP_OK);
    struct rp_hub_import_stats stats;
    rp_hub_importer_stats(im, &stats);
    assert_int_equal(stats.created, 4);
    assert_int_equal(stats.failed, 0);
    assert_int_equal(rp_hub_importer_finish(im, &eb), RP_OK);
    rp_store_free(st);

    /* without archived findings */
    o.no_archived = true;
    assert_int_equal(
        rp_posture_std_findings(builtin, sel, e, RP_ARRAY_LEN(e), &o, sink_fn, &k, &count, NULL),
        RP_OK);
    assert_int_equal(count, 3);
    rp_buf_release(&k.all);
    rp_posture_std_selection_free(sel);
}

static void test_standards_asff_type(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"AWS::S3::Bucket", "AwsS3Bucket"},
        {"AWS::::Account", "AwsAccount"},
        {"AWS::EC2::SecurityGroup", "AwsEc2SecurityGroup"},
        {"AWS::RDS::DBInstance", "AwsRdsDbInstance"},
        {"AWS::DynamoDB::Table", "AwsDynamoDbTable"},
        {"AWS::ElasticLoadBalancingV2::LoadBalancer", "AwsElbv2LoadBalancer"},
        {"AWS::ElasticLoadBalancing::LoadBalancer", "AwsElbLoadBalancer"},
        {"AWS::WAFv2::WebACL", "AwsWafv2WebAcl"},
        {"AWS::WAFRegional::WebACL", "AwsWafRegionalWebAcl"},
        {"AWS::ApiGatewayV2::Stage", "AwsApiGatewayV2Stage"},
        {"AWS::EC2::VPNConnection", "AwsEc2VpnConnection"},
        {"AWS::ACM::Certificate", "AwsCertificateManagerCertificate"},
        {"AWS::OpenSearch::Domain", "AwsOpenSearchServiceDomain"},
        {"AWS::IAM::User", "AwsIamUser"},
        {"Custom::Thing", "Other"},
        {"AWS::S3", "Other"},
    };
    char out[96];
    for (size_t i = 0; i < RP_ARRAY_LEN(cases); i++)
        assert_string_equal(rp_posture_std_asff_type(cases[i][0], out, sizeof out), cases[i][1]);
}

/* ---- bad data ----------------------------------------------------------------------------- */

static rp_err parse2(const char *cat, const char *std, struct rp_errbuf *eb)
{
    struct rp_posture_std_src srcs[] = {
        {"posture/standards/controls.yaml", cat, strlen(cat)},
        {"posture/standards/x/v/1.yaml", std, std ? strlen(std) : 0},
    };
    struct rp_posture_standards *s = NULL;
    rp_err e = rp_posture_standards_parse(srcs, std ? 2 : 1, &s, eb);
    rp_posture_standards_free(s);
    return e;
}

#define CAT_HEAD "remediationUrl: https://x/{id}\ncontrols:\n"
#define CTL_OK                                                                                     \
    "  - {id: A.1, title: Title one, description: d, severity: LOW, resourceTypes: "               \
    "[\"AWS::S3::Bucket\"], rule: RULE_A, ruleName: rule-a}\n"
#define STD_HEAD                                                                                   \
    "id: x/v/1\narn: \"arn:aws:securityhub:{region}::standards/x/v/1\"\nname: X\n"                 \
    "description: d\nenabledByDefault: false\ntype: T\ncontrols:\n"

static void test_standards_bad_data(void **state)
{
    (void)state;
    struct rp_errbuf eb = {0};
    assert_int_equal(
        parse2(CAT_HEAD CTL_OK, STD_HEAD "  - {control: \"1\", securityControl: A.1}\n", &eb),
        RP_OK);
    assert_int_equal(
        parse2(CAT_HEAD CTL_OK, STD_HEAD "  - {control: \"1\", securityControl: B.7}\n", &eb),
        RP_EPARSE);
    assert_string_equal(eb.msg, "posture: posture/standards/x/v/1.yaml: control '1' maps to 'B.7', "
                                "which is not in the catalog");
    assert_int_equal(parse2(CAT_HEAD
                            "  - {id: A.1, title: T, description: d, severity: LOW, "
                            "resourceTypes: [\"AWS::S3::Bucket\"], rule: s3_rule, ruleName: r}\n",
                            NULL, &eb),
                     RP_EPARSE);
    assert_string_equal(eb.msg, "posture: posture/standards/controls.yaml: control 'A.1': "
                                "malformed rule identifier 's3_rule'");
    assert_int_equal(parse2(CAT_HEAD CTL_OK CTL_OK, NULL, &eb), RP_EPARSE);
    assert_string_equal(eb.msg,
                        "posture: posture/standards/controls.yaml: control 'A.1' is listed twice");
    assert_int_equal(parse2(CAT_HEAD "  - {id: A.1, title: T, description: d, severity: SEVERE, "
                                     "resourceTypes: [\"AWS::S3::Bucket\"], rule: null}\n",
                            NULL, &eb),
                     RP_EPARSE);
    assert_string_equal(eb.msg, "posture: posture/standards/controls.yaml: control 'A.1': "
                                "severity 'SEVERE' is not CRITICAL, HIGH, MEDIUM or LOW");
    assert_int_equal(parse2(CAT_HEAD "  - {id: A.1, title: T, description: d, severity: LOW, "
                                     "resourceTypes: [\"AWS::S3::Bucket\"], rule: null}\n",
                            NULL, &eb),
                     RP_EPARSE);
    assert_string_equal(eb.msg, "posture: posture/standards/controls.yaml: control 'A.1': missing "
                                "'mechanism'");
    assert_int_equal(parse2(CAT_HEAD CTL_OK,
                            "id: y/v/1\narn: \"arn:aws:securityhub:::ruleset/y/v/1\"\nname: X\n"
                            "description: d\nenabledByDefault: false\ntype: T\ncontrols:\n"
                            "  - {control: \"1\", securityControl: A.1}\n",
                            &eb),
                     RP_EPARSE);
    assert_string_equal(eb.msg, "posture: posture/standards/x/v/1.yaml: the id 'y/v/1' is not the "
                                "file's name 'x/v/1'");
    assert_int_equal(parse2(CAT_HEAD "  - {id: A.1, title: T\n", NULL, &eb), RP_EPARSE);
    assert_int_equal(strncmp(eb.msg, "posture: posture/standards/controls.yaml: yaml: line ", 53),
                     0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_standards_counts),
        cmocka_unit_test(test_standards_integrity),
        cmocka_unit_test(test_standards_lookup),
        cmocka_unit_test(test_standards_params),
        cmocka_unit_test(test_standards_match_managed_rules),
        cmocka_unit_test(test_standards_configs),
        cmocka_unit_test(test_standards_disable_control),
        cmocka_unit_test(test_standards_status_rules),
        cmocka_unit_test(test_standards_score_example),
        cmocka_unit_test(test_standards_overall),
        cmocka_unit_test(test_standards_findings_asff),
        cmocka_unit_test(test_standards_asff_type),
        cmocka_unit_test(test_standards_bad_data),
    };
    return cmocka_run_group_tests_name("posture_standards", tests, setup, teardown);
}
