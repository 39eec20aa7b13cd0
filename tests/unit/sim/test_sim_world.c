/* SPDX-License-Identifier: Apache-2.0 */
/* Tests of the rp_sim world model (sim_world.h): PRNG streams and helpers, AWS-style ids,
 * addresses, habits, and the estate built from options (counts, referential integrity, unique
 * ids, determinism per seed, differences across seeds, lookups, growth, option errors). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "sim/sim_gen.h"
#include "sim/sim_world.h"

#define GOLDEN_UUID "ddaadcd4-3b60-4eb6-8f0f-f0e87caf58b0"
#define GOLDEN_EC2  "i-02dd209600b122e86"
#define GOLDEN_AKIA "AKIALW6K5J7FI6FTORZX"

/* ---- PRNG ------------------------------------------------------------------------------- */

static void test_world_rng_streams_are_stable_and_independent(void **state)
{
    (void)state;
    struct rp_sim_rng a, b, c;
    rp_sim_rng_init(&a, 1, "cloudtrail/acct0");
    rp_sim_rng_initf(&b, 1, "cloudtrail/acct%d", 0);
    rp_sim_rng_init(&c, 1, "cloudtrail/acct1");
    bool differ = false;
    for (int i = 0; i < 64; i++) {
        uint64_t x = rp_sim_rng_next(&a), y = rp_sim_rng_next(&b), z = rp_sim_rng_next(&c);
        assert_true(x == y);
        differ |= x != z;
    }
    assert_true(differ);
    /* golden values: the generator must never change (same seed = same bytes forever) */
    rp_sim_rng_init(&a, 42, "golden");
    char uuid[RP_SIM_UUID_SZ], id[RP_SIM_ID_SZ], key[24];
    rp_sim_rng_uuid(&a, uuid);
    rp_sim_id_ec2(&a, "i", id, sizeof id);
    rp_sim_id_iam(&a, "AKIA", key, sizeof key);
    assert_string_equal(uuid, GOLDEN_UUID);
    assert_string_equal(id, GOLDEN_EC2);
    assert_string_equal(key, GOLDEN_AKIA);
}

static void test_world_rng_helpers_stay_in_range(void **state)
{
    (void)state;
    struct rp_sim_rng r;
    rp_sim_rng_init(&r, 7, "range");
    for (int i = 0; i < 10000; i++) {
        assert_true(rp_sim_rng_below(&r, 10) < 10);
        assert_true(rp_sim_rng_below64(&r, 3) < 3);
        int64_t v = rp_sim_rng_range(&r, -5, 5);
        assert_true(v >= -5 && v <= 5);
        assert_true(rp_sim_rng_count(&r, 9) <= 18);
    }
    assert_int_equal(rp_sim_rng_below(&r, 0), 0);
    assert_int_equal(rp_sim_rng_range(&r, 4, 4), 4);
    const uint32_t w[] = {0, 5, 0, 1};
    unsigned hits[4] = {0};
    for (int i = 0; i < 6000; i++) hits[rp_sim_rng_pick_weighted(&r, w, 4)]++;
    assert_int_equal(hits[0], 0);
    assert_int_equal(hits[2], 0);
    assert_true(hits[1] > 4 * hits[3]);
    const uint32_t zero[] = {0, 0};
    assert_int_equal(rp_sim_rng_pick_weighted(&r, zero, 2), 0);
    char s[9];
    rp_sim_rng_chars(&r, s, 8, "ab");
    assert_int_equal(strspn(s, "ab"), 8);
    assert_int_equal(strlen(s), 8);
}

static void test_world_ids_have_aws_shapes(void **state)
{
    (void)state;
    struct rp_sim_rng r;
    rp_sim_rng_init(&r, 3, "ids");
    char id[RP_SIM_ID_SZ], key[24], acct[RP_SIM_ACCT_SZ], uuid[RP_SIM_UUID_SZ];
    rp_sim_id_ec2(&r, "subnet", id, sizeof id);
    assert_int_equal(strlen(id), strlen("subnet-0") + 16);
    assert_memory_equal(id, "subnet-0", 8);
    assert_int_equal(strspn(id + 8, RP_SIM_ALPHA_HEX), 16);
    rp_sim_id_iam(&r, "ASIA", key, sizeof key);
    assert_int_equal(strlen(key), 20);
    assert_int_equal(strspn(key + 4, RP_SIM_ALPHA_BASE32), 16);
    rp_sim_id_iam(&r, "AROA", key, sizeof key);
    assert_int_equal(strlen(key), 21);
    rp_sim_id_account(&r, acct);
    assert_int_equal(strlen(acct), 12);
    assert_int_equal(strspn(acct, "0123456789"), 12);
    assert_true(acct[0] != '0');
    rp_sim_rng_uuid(&r, uuid);
    assert_int_equal(strlen(uuid), 36);
    assert_int_equal(uuid[14], '4');
    assert_non_null(strchr("89ab", uuid[19]));
    char s1[17], s2[17];
    rp_sim_suffix(9, "AWSLogs/x#1", RP_SIM_ALPHA_ALNUM, 16, s1);
    rp_sim_suffix(9, "AWSLogs/x#1", RP_SIM_ALPHA_ALNUM, 16, s2);
    assert_string_equal(s1, s2);
    rp_sim_suffix(9, "AWSLogs/x#2", RP_SIM_ALPHA_ALNUM, 16, s2);
    assert_string_not_equal(s1, s2);
}

static void test_world_ip_in_cidr(void **state)
{
    (void)state;
    char ip[RP_SIM_IP_SZ];
    assert_int_equal(rp_sim_ip_in_cidr("10.1.0.0/16", 0, true, ip, sizeof ip), RP_OK);
    assert_string_equal(ip, "10.1.0.4");
    assert_int_equal(rp_sim_ip_in_cidr("10.1.0.0/16", 300, false, ip, sizeof ip), RP_OK);
    assert_string_equal(ip, "10.1.1.44");
    assert_int_equal(rp_sim_ip_in_cidr("192.168.7.0/24", 251, true, ip, sizeof ip), RP_OK);
    assert_string_equal(ip, "192.168.7.4"); /* wraps inside the usable hosts */
    assert_int_equal(rp_sim_ip_in_cidr("10.1.0.0", 0, true, ip, sizeof ip), RP_EINVAL);
    assert_int_equal(rp_sim_ip_in_cidr("10.1.0.300/16", 0, true, ip, sizeof ip), RP_EINVAL);
}

static void test_world_habits_active_follows_local_time(void **state)
{
    (void)state;
    struct rp_sim_habits h;
    memset(&h, 0, sizeof h);
    h.work_start_hour = 9;
    h.work_end_hour = 17;
    h.weekdays = 0x1f;
    const int64_t mon = RP_SIM_DEFAULT_START_MS, hour = 3600000;
    assert_true(rp_sim_habits_active(&h, mon + 9 * hour));
    assert_false(rp_sim_habits_active(&h, mon + 17 * hour));
    assert_false(rp_sim_habits_active(&h, mon + 5 * 24 * hour + 10 * hour)); /* Saturday */
    h.tz_offset_min = -300; /* New York: 09:00 local is 14:00 UTC */
    assert_false(rp_sim_habits_active(&h, mon + 9 * hour));
    assert_true(rp_sim_habits_active(&h, mon + 14 * hour));
    h.always_on = true;
    assert_true(rp_sim_habits_active(&h, mon + 5 * 24 * hour + 3 * hour));
}

/* ---- the world --------------------------------------------------------------------------- */

static struct rp_sim_world *build(uint64_t seed, enum rp_sim_scale scale, uint32_t accounts)
{
    struct rp_sim_opts o;
    rp_sim_opts_init(&o);
    o.seed = seed;
    o.scale = scale;
    o.accounts = accounts;
    struct rp_sim_world *w = NULL;
    struct rp_errbuf eb;
    assert_int_equal(rp_sim_world_new(&o, &w, &eb), RP_OK);
    assert_non_null(w);
    return w;
}

#define IDX_OK(w, kind, i) ((i) == RP_SIM_NONE || (i) < rp_sim_world_count((w), (kind)))

static void check_integrity(const struct rp_sim_world *w)
{
    for (uint32_t i = 0; i < w->nsubnets; i++) {
        assert_true(w->subnets[i].vpc < w->nvpcs);
        assert_true(IDX_OK(w, RP_SIM_K_ROUTE_TABLE, w->subnets[i].route_table));
        assert_true(w->subnets[i].nacl < w->nnacls);
    }
    for (uint32_t i = 0; i < w->ninstances; i++) {
        const struct rp_sim_instance *in = &w->instances[i];
        assert_true(in->subnet < w->nsubnets);
        assert_int_equal(w->subnets[in->subnet].vpc, in->vpc);
        assert_true(in->eni < w->nenis);
        assert_int_equal(w->enis[in->eni].owner, i);
        assert_string_equal(w->enis[in->eni].private_ip, in->private_ip);
        assert_true(in->nsgs >= 1);
        for (uint32_t k = 0; k < in->nsgs; k++) {
            assert_true(in->sgs[k] < w->nsgs);
            assert_int_equal(w->sgs[in->sgs[k]].vpc, in->vpc);
        }
        assert_true(IDX_OK(w, RP_SIM_K_ROLE, in->profile_role));
        for (uint32_t k = 0; k < in->nvolumes; k++) assert_true(in->volumes[k] < w->nvolumes);
    }
    for (uint32_t i = 0; i < w->nusers; i++) {
        for (uint32_t k = 0; k < w->users[i].ngroups; k++)
            assert_int_equal(w->groups[w->users[i].groups[k]].res.acct, w->users[i].res.acct);
        for (uint32_t k = 0; k < w->users[i].habits.napis; k++)
            assert_true(w->users[i].habits.apis[k] < rp_sim_api_catalog_len);
        assert_true(w->users[i].habits.nips >= 1);
    }
    for (uint32_t i = 0; i < w->nvpns; i++) {
        assert_true(w->vpns[i].vgw < w->nvgws);
        assert_true(w->vpns[i].cgw < w->ncgws);
    }
    for (uint32_t i = 0; i < w->nlbs; i++)
        for (uint32_t k = 0; k < w->lbs[i].ntargets; k++)
            assert_true(w->lbs[i].targets[k] < w->ninstances);
    /* ids unique within each kind */
    for (int k = RP_SIM_K_ACCOUNT; k < RP_SIM_K__COUNT; k++) {
        uint32_t n = rp_sim_world_count(w, (enum rp_sim_kind)k);
        for (uint32_t i = 0; i < n; i++) {
            const struct rp_sim_res *a = rp_sim_world_res(w, (struct rp_sim_ref){k, i});
            assert_true(a->acct < w->naccounts);
            assert_true(a->region < w->nregions);
            assert_true(a->id[0] != '\0');
            assert_true(a->created_ms < w->start_ms);
            for (uint32_t j = i + 1; j < n; j++) {
                const struct rp_sim_res *b = rp_sim_world_res(w, (struct rp_sim_ref){k, j});
                if (k == RP_SIM_K_SG && strcmp(a->name, "default") == 0) continue;
                assert_string_not_equal(a->id, b->id);
            }
        }
    }
    /* exactly one VPC uses the custom v5 flow-log format */
    uint32_t v5 = 0;
    for (uint32_t i = 0; i < w->nvpcs; i++) v5 += w->vpcs[i].flow_format == RP_SIM_FLOW_V5_CUSTOM;
    assert_int_equal(v5, 1);
}

static void test_world_small_estate(void **state)
{
    (void)state;
    struct rp_sim_world *w = build(1, RP_SIM_SCALE_SMALL, 0);
    assert_int_equal(w->naccounts, 2);
    assert_int_equal(w->nregions, 2);
    assert_string_equal(w->regions[0], "us-east-1");
    assert_string_equal(w->regions[1], "us-west-2");
    assert_true(w->ninstances >= 15 && w->ninstances <= 25);
    assert_true(w->nusers + w->nroles >= 25);
    assert_int_equal(w->start_ms, RP_SIM_DEFAULT_START_MS);
    assert_int_equal(w->end_ms, RP_SIM_DEFAULT_START_MS + 7 * 86400000LL);
    assert_int_equal(w->attack_ms, RP_SIM_DEFAULT_START_MS + 4 * 86400000LL);
    assert_true(w->accounts[0].management);
    /* every kind the issue lists is present */
    for (int k = RP_SIM_K_ACCOUNT; k < RP_SIM_K__COUNT; k++)
        assert_true(rp_sim_world_count(w, (enum rp_sim_kind)k) > 0);
    /* static and BGP VPN connections on one gateway (CloudHub) */
    uint32_t stat = 0, bgp = 0;
    for (uint32_t i = 0; i < w->nvpns; i++)
        if (w->vpns[i].vgw == w->vpns[0].vgw) {
            stat += w->vpns[i].static_routes;
            bgp += !w->vpns[i].static_routes;
        }
    assert_true(stat >= 1 && bgp >= 2);
    /* Lambda functions with and without VPC config, instances of every workload */
    uint32_t invpc = 0;
    for (uint32_t i = 0; i < w->nlambdas; i++) invpc += w->lambdas[i].vpc != RP_SIM_NONE;
    assert_true(invpc > 0 && invpc < w->nlambdas);
    unsigned wl = 0;
    for (uint32_t i = 0; i < w->ninstances; i++) wl |= 1u << w->instances[i].workload;
    assert_int_equal(wl, 0x3f);
    check_integrity(w);
    rp_sim_world_free(w);
}

static void test_world_same_seed_same_world_other_seed_differs(void **state)
{
    (void)state;
    struct rp_sim_world *a = build(5, RP_SIM_SCALE_SMALL, 0), *b = build(5, RP_SIM_SCALE_SMALL, 0);
    struct rp_sim_world *c = build(6, RP_SIM_SCALE_SMALL, 0);
    assert_int_equal(a->ninstances, b->ninstances);
    for (uint32_t i = 0; i < a->ninstances; i++) {
        assert_string_equal(a->instances[i].res.id, b->instances[i].res.id);
        assert_string_equal(a->instances[i].private_ip, b->instances[i].private_ip);
        assert_memory_equal(&a->instances[i], &b->instances[i], sizeof a->instances[i]);
    }
    for (uint32_t i = 0; i < a->nusers; i++) { /* (inline_doc is a pointer: compare the rest) */
        assert_memory_equal(&a->users[i].res, &b->users[i].res, sizeof a->users[i].res);
        assert_memory_equal(&a->users[i].habits, &b->users[i].habits, sizeof a->users[i].habits);
        assert_memory_equal(a->users[i].keys, b->users[i].keys, sizeof a->users[i].keys);
    }
    assert_string_not_equal(a->accounts[0].res.id, c->accounts[0].res.id);
    assert_string_not_equal(a->instances[0].res.id, c->instances[0].res.id);
    assert_string_not_equal(a->vpcs[0].cidr, c->vpcs[0].cidr);
    assert_string_not_equal(a->buckets[1].res.name, c->buckets[1].res.name);
    rp_sim_world_free(a);
    rp_sim_world_free(b);
    rp_sim_world_free(c);
}

static void test_world_scales_and_accounts(void **state)
{
    (void)state;
    struct rp_sim_world *s = build(1, RP_SIM_SCALE_SMALL, 0);
    struct rp_sim_world *m = build(1, RP_SIM_SCALE_MEDIUM, 0);
    struct rp_sim_world *l = build(1, RP_SIM_SCALE_LARGE, 3);
    assert_int_equal(m->naccounts, 4);
    assert_int_equal(l->naccounts, 3);
    assert_true(m->ninstances > 2 * s->ninstances);
    assert_true(l->ninstances > m->ninstances);
    assert_int_equal(s->activity_x, 1);
    assert_int_equal(m->activity_x, 8);
    assert_int_equal(l->activity_x, 64);
    check_integrity(m);
    check_integrity(l);
    rp_sim_world_free(s);
    rp_sim_world_free(m);
    rp_sim_world_free(l);
}

static void test_world_lookups_tags_and_growth(void **state)
{
    (void)state;
    struct rp_sim_world *w = build(1, RP_SIM_SCALE_SMALL, 0);
    const struct rp_sim_instance *in = &w->instances[3];
    assert_int_equal(rp_sim_world_find(w, RP_SIM_K_INSTANCE, in->res.id), 3);
    assert_int_equal(rp_sim_world_find(w, RP_SIM_K_INSTANCE, in->res.arn), 3);
    assert_int_equal(rp_sim_world_find(w, RP_SIM_K_INSTANCE, "i-0nothere"), RP_SIM_NONE);
    assert_int_equal(rp_sim_world_account(w, w->accounts[1].res.id), 1);
    assert_int_equal(rp_sim_world_region(w, "us-west-2"), 1);
    assert_int_equal(rp_sim_world_region(w, "mars-1"), RP_SIM_NONE);
    uint32_t list[64];
    uint32_t n = rp_sim_world_vpc_instances(w, in->vpc, list, 64);
    bool found = false;
    for (uint32_t i = 0; i < n; i++) found |= list[i] == 3;
    assert_true(found);
    uint32_t all = rp_sim_world_list(w, RP_SIM_K_INSTANCE, RP_SIM_NONE, RP_SIM_NONE, list, 2);
    assert_int_equal(all, w->ninstances);
    assert_int_equal(list[0], 0);
    assert_int_equal(list[1], 1);
    assert_int_equal(rp_sim_world_trail_for(w, 1, 1), 1);

    struct rp_sim_res *res = rp_sim_world_res(w, (struct rp_sim_ref){RP_SIM_K_INSTANCE, 3});
    assert_non_null(rp_sim_res_tag(res, "Name"));
    assert_true(rp_sim_res_set_tag(res, "owner", "team-a"));
    assert_string_equal(rp_sim_res_tag(res, "owner"), "team-a");
    assert_true(rp_sim_res_set_tag(res, "owner", "team-b"));
    assert_string_equal(rp_sim_res_tag(res, "owner"), "team-b");
    assert_false(rp_sim_res_set_tag(res, "fifth", "x"));
    assert_null(rp_sim_world_res(w, (struct rp_sim_ref){RP_SIM_K_INSTANCE, w->ninstances}));

    uint32_t n0 = w->nusers, idx = 0;
    for (int i = 0; i < 100; i++) {
        struct rp_sim_user *u = rp_sim_world_add(w, RP_SIM_K_USER, &idx);
        assert_non_null(u);
        assert_int_equal(idx, n0 + (uint32_t)i);
        snprintf(u->res.id, sizeof u->res.id, "AIDATEST%d", i);
    }
    assert_int_equal(rp_sim_world_find(w, RP_SIM_K_USER, "AIDATEST99"), n0 + 99);
    const char *doc = rp_sim_world_strdup(w, "{\"Version\":\"2012-10-17\"}");
    assert_string_equal(doc, "{\"Version\":\"2012-10-17\"}");
    rp_sim_world_free(w);
}

static void test_world_option_errors(void **state)
{
    (void)state;
    struct rp_sim_opts o;
    struct rp_sim_world *w = NULL;
    struct rp_errbuf eb;
    rp_sim_opts_init(&o);
    o.regions = "us-east-1,US_EAST";
    assert_int_equal(rp_sim_world_new(&o, &w, &eb), RP_EINVAL);
    assert_string_equal(eb.msg, "simulate: bad region 'US_EAST'");
    o.regions = "eu-west-1, eu-west-1";
    assert_int_equal(rp_sim_world_new(&o, &w, &eb), RP_EINVAL);
    assert_string_equal(eb.msg, "simulate: region 'eu-west-1' given twice");
    rp_sim_opts_init(&o);
    o.days = 0;
    assert_int_equal(rp_sim_world_new(&o, &w, &eb), RP_EINVAL);
    assert_string_equal(eb.msg, "simulate: days 0 out of range 1..3660");
    rp_sim_opts_init(&o);
    o.accounts = 65;
    assert_int_equal(rp_sim_world_new(&o, &w, &eb), RP_EINVAL);
    assert_string_equal(eb.msg, "simulate: accounts 65 out of range 1..64");
    assert_null(w);
    enum rp_sim_scale sc;
    assert_int_equal(rp_sim_scale_parse("huge", &sc, &eb), RP_EINVAL);
    assert_string_equal(eb.msg, "simulate: unknown scale 'huge' (small, medium, large)");
    assert_int_equal(rp_sim_scale_parse("medium", &sc, &eb), RP_OK);
    assert_int_equal(sc, RP_SIM_SCALE_MEDIUM);
    rp_sim_opts_init(&o);
    o.days = 1;
    assert_int_equal(rp_sim_learn_days(&o), 0);
    o.days = 30;
    assert_int_equal(rp_sim_learn_days(&o), 20);
    o.learn_days = 40;
    assert_int_equal(rp_sim_learn_days(&o), 29);
}

static void test_world_single_region_still_has_one_v5_vpc(void **state)
{
    (void)state;
    struct rp_sim_opts o;
    rp_sim_opts_init(&o);
    o.regions = "eu-central-1";
    struct rp_sim_world *w = NULL;
    struct rp_errbuf eb;
    assert_int_equal(rp_sim_world_new(&o, &w, &eb), RP_OK);
    assert_int_equal(w->nregions, 1);
    check_integrity(w);
    char az[RP_SIM_AZ_SZ];
    snprintf(az, sizeof az, "%s", w->subnets[0].az);
    assert_string_equal(az, "eu-central-1a");
    assert_string_equal(w->subnets[0].az_id, "euc1-az1");
    rp_sim_world_free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_world_rng_streams_are_stable_and_independent),
        cmocka_unit_test(test_world_rng_helpers_stay_in_range),
        cmocka_unit_test(test_world_ids_have_aws_shapes),
        cmocka_unit_test(test_world_ip_in_cidr),
        cmocka_unit_test(test_world_habits_active_follows_local_time),
        cmocka_unit_test(test_world_small_estate),
        cmocka_unit_test(test_world_same_seed_same_world_other_seed_differs),
        cmocka_unit_test(test_world_scales_and_accounts),
        cmocka_unit_test(test_world_lookups_tags_and_growth),
        cmocka_unit_test(test_world_option_errors),
        cmocka_unit_test(test_world_single_region_still_has_one_v5_vpc),
    };
    return cmocka_run_group_tests_name("sim_world", tests, NULL, NULL);
}
