/* SPDX-License-Identifier: Apache-2.0 */
/* rp_sim record builders (sim_activity.h): CloudTrail records in AWS's field order with the
 * userIdentity shape of each caller type, VPC flow-log record pairs, rejected probes and
 * NODATA/SKIPDATA lines, Route 53 Resolver query-log lines and EKS audit events.
 *
 * Used by the ordinary-activity generators (sim_gen_*.c) and by attack scenarios. Each builder
 * is a pure function of (world, description, PRNG); defaults that must stay stable for a
 * principal (the address of the day, derived session keys, console user agents) are hashed
 * from the world seed and the principal's ids rather than drawn, so they do not depend on the
 * order of calls. Only integer arithmetic. */
#define RP_LOG_MODULE "sim"
#include <stdio.h>
#include <string.h>

#include "sim/sim_activity.h"
#include "core/rp_json.h"
#include "core/rp_time.h"
#include "core/rp_banned.h"

#define SCRATCH_MAX RP_SIM_MAX_RECORD_BYTES

/* ---- small helpers ------------------------------------------------------------------------ */

static bool starts_with(const char *s, const char *p)
{
    return strncmp(s, p, strlen(p)) == 0;
}

static void key_from_hash(uint64_t h, const char *prefix, char *out, size_t outsz)
{
    struct rp_sim_rng r;
    rp_sim_rng_init(&r, h, "key");
    rp_sim_id_iam(&r, prefix, out, outsz);
}

static int64_t floor_hour(int64_t ms)
{
    int64_t h = ms / RP_TIME_MS_PER_HOUR;
    if (ms < 0 && h * RP_TIME_MS_PER_HOUR != ms) h--;
    return h * RP_TIME_MS_PER_HOUR;
}

static int64_t day_of(int64_t ms)
{
    return ms / (24 * RP_TIME_MS_PER_HOUR);
}

/* The address of the day among a principal's habitual addresses: the first (home or the
 * machine's only address) three days in five, the others otherwise. */
static const char *habit_ip(const struct rp_sim_world *w, const struct rp_sim_habits *h,
                            uint64_t principal, int64_t ts_ms)
{
    if (h->nips == 0) return NULL;
    if (h->nips == 1) return h->ips[0];
    uint64_t x = rp_sim_mix(rp_sim_mix(w->seed, principal), (uint64_t)day_of(ts_ms));
    if (x % 5 < 3) return h->ips[0];
    return h->ips[1 + (x >> 8) % (h->nips - 1)];
}

static const char *const console_uas[] = {
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36",
    "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:121.0) Gecko/20100101 Firefox/121.0"};

static const char *const cli_uas[] = {
    "aws-cli/2.15.10 Python/3.11.6 Darwin/23.2.0 exe/x86_64 prompt/off command/sts.get-caller-"
    "identity",
    "aws-cli/2.15.8 Python/3.11.6 Linux/6.5.0-14-generic exe/x86_64.ubuntu.22 prompt/off",
    "Boto3/1.34.14 md/Botocore#1.34.14 ua/2.0 os/linux#6.5.0 md/arch#x86_64 lang/python#3.11.7 "
    "md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.14"};

const char *rp_sim_ct_console_ua(uint64_t principal_hash)
{
    return console_uas[rp_sim_mix(principal_hash, 0x75u) % RP_ARRAY_LEN(console_uas)];
}

static bool is_browser(const char *ua)
{
    return ua && starts_with(ua, "Mozilla/");
}

const char *rp_sim_instance_egress_ip(const struct rp_sim_world *w, uint32_t inst)
{
    if (inst >= w->ninstances) return "";
    const struct rp_sim_instance *in = &w->instances[inst];
    if (in->public_ip[0]) return in->public_ip;
    if (!w->subnets || in->subnet >= w->nsubnets || !w->subnets[in->subnet].public) {
        for (uint32_t i = 0; i < w->nnatgws; i++)
            if (w->natgws[i].vpc == in->vpc && !w->natgws[i].res.deleted_ms &&
                w->natgws[i].public_ip[0])
                return w->natgws[i].public_ip;
    }
    return in->private_ip;
}

/* ---- CloudTrail ------------------------------------------------------------------------------ */

void rp_sim_ct_call_init(struct rp_sim_ct_call *c, enum rp_sim_ct_kind kind, uint32_t idx)
{
    memset(c, 0, sizeof(*c));
    c->who.kind = kind;
    c->who.idx = idx;
    c->who.mfa = RP_SIM_CT_MFA_DEFAULT;
    c->acct = RP_SIM_NONE;
    c->region = RP_SIM_NONE;
    c->read_only = -1;
}

void rp_sim_ct_call_resource(struct rp_sim_ct_call *c, const char *type, const char *arn,
                             const char *account_id)
{
    if (c->nresources >= RP_SIM_CT_MAX_RESOURCES) return;
    c->resources[c->nresources++] = (struct rp_sim_ct_resource){arn, account_id, type};
}

static const char *const global_sources[] = {
    "iam.amazonaws.com",        "sts.amazonaws.com",     "signin.amazonaws.com",
    "cloudfront.amazonaws.com", "route53.amazonaws.com", "organizations.amazonaws.com"};

bool rp_sim_ct_is_global(const char *event_source)
{
    if (!event_source) return false;
    for (size_t i = 0; i < RP_ARRAY_LEN(global_sources); i++)
        if (strcmp(event_source, global_sources[i]) == 0) return true;
    return false;
}

uint32_t rp_sim_ct_global_region(const struct rp_sim_world *w)
{
    uint32_t r = rp_sim_world_region(w, "us-east-1");
    return r == RP_SIM_NONE ? 0 : r;
}

bool rp_sim_ct_name_read_only(const char *n)
{
    static const char *const prefixes[] = {
        "Describe", "Get",     "List",   "Head",     "Lookup", "Search",  "BatchGet",
        "Check",    "Test",    "Select", "Scan",     "Query",  "Decrypt", "GenerateDataKey",
        "Assume",   "Preview", "View",   "Estimate", "Verify", "Simulate"};
    if (!n) return false;
    for (size_t i = 0; i < RP_ARRAY_LEN(prefixes); i++)
        if (starts_with(n, prefixes[i])) return true;
    return false;
}

/* The account index of the caller, RP_SIM_NONE when it has none in the world. */
static uint32_t who_acct(const struct rp_sim_world *w, const struct rp_sim_ct_who *who)
{
    switch (who->kind) {
    case RP_SIM_CT_IAM_USER:
    case RP_SIM_CT_FEDERATED:
        return who->idx < w->nusers ? w->users[who->idx].res.acct : RP_SIM_NONE;
    case RP_SIM_CT_ROLE:
        return who->idx < w->nroles ? w->roles[who->idx].res.acct : RP_SIM_NONE;
    case RP_SIM_CT_ROOT:
    case RP_SIM_CT_AWS_ACCOUNT:
    case RP_SIM_CT_WEB_IDENTITY:
        return who->idx < w->naccounts ? who->idx : RP_SIM_NONE;
    case RP_SIM_CT_SERVICE:
        break;
    }
    return RP_SIM_NONE;
}

static const struct rp_sim_habits *who_habits(const struct rp_sim_world *w,
                                              const struct rp_sim_ct_who *who)
{
    if ((who->kind == RP_SIM_CT_IAM_USER || who->kind == RP_SIM_CT_FEDERATED) &&
        who->idx < w->nusers)
        return &w->users[who->idx].habits;
    if (who->kind == RP_SIM_CT_ROLE && who->idx < w->nroles) return &w->roles[who->idx].habits;
    return NULL;
}

/* The first user who habitually assumes role (RP_SIM_NONE if none). */
static uint32_t role_assumer(const struct rp_sim_world *w, uint32_t role)
{
    for (uint32_t u = 0; u < w->nusers; u++)
        for (uint32_t k = 0; k < w->users[u].habits.nassume; k++)
            if (w->users[u].habits.assume_roles[k] == role) return u;
    return RP_SIM_NONE;
}

rp_err rp_sim_ct_call_where(const struct rp_sim_world *w, const struct rp_sim_ct_call *c,
                            uint32_t *acct, uint32_t *region)
{
    uint32_t a = c->acct != RP_SIM_NONE ? c->acct : who_acct(w, &c->who);
    if (a == RP_SIM_NONE || a >= w->naccounts) return RP_EINVAL;
    uint32_t r = c->region;
    if (r == RP_SIM_NONE) {
        const struct rp_sim_habits *h = who_habits(w, &c->who);
        if (rp_sim_ct_is_global(c->event_source))
            r = rp_sim_ct_global_region(w);
        else if (h && h->region < w->nregions)
            r = h->region;
        else
            r = w->accounts[a].home_region < w->nregions ? w->accounts[a].home_region : 0;
    }
    if (r >= w->nregions) return RP_EINVAL;
    *acct = a;
    *region = r;
    return RP_OK;
}

/* Everything about the caller, resolved once per record. */
struct ident {
    const char *acct_id; /* the caller's account id ("" for services) */
    char principal_id[640];
    char arn[RP_SIM_ARN_SZ + 64];
    char key[32];
    const char *user_name;
    const char *session; /* role session / federated name */
    const char *source_ip;
    const char *user_agent;
    int64_t session_ms;
    bool mfa;
    bool has_session;
    uint8_t ec2_delivery;
};

static rp_err resolve(const struct rp_sim_world *w, const struct rp_sim_ct_call *c, bool signin,
                      struct ident *id)
{
    const struct rp_sim_ct_who *who = &c->who;
    memset(id, 0, sizeof(*id));
    id->session_ms = who->session_ms ? who->session_ms : floor_hour(c->ts_ms);
    id->has_session = who->console || who->session_ms != 0;
    id->source_ip = who->source_ip;
    id->user_agent = who->user_agent;
    id->acct_id = "";
    uint64_t ph = 0;
    switch (who->kind) {
    case RP_SIM_CT_IAM_USER: {
        if (who->idx >= w->nusers) return RP_EINVAL;
        const struct rp_sim_user *u = &w->users[who->idx];
        id->acct_id = w->accounts[u->res.acct].res.id;
        snprintf(id->principal_id, sizeof(id->principal_id), "%s", u->res.id);
        snprintf(id->arn, sizeof(id->arn), "%s", u->res.arn);
        id->user_name = u->res.name;
        ph = rp_sim_hash_str(u->res.id);
        if (!id->source_ip) id->source_ip = habit_ip(w, &u->habits, ph, c->ts_ms);
        if (!id->user_agent) {
            if (signin)
                id->user_agent = rp_sim_ct_console_ua(ph);
            else if (who->console)
                id->user_agent = "AWS Internal";
            else if (u->habits.user_agent[0] && !is_browser(u->habits.user_agent))
                id->user_agent = u->habits.user_agent;
            else
                id->user_agent = cli_uas[ph % RP_ARRAY_LEN(cli_uas)];
        }
        id->mfa = who->mfa >= 0 ? who->mfa != 0 : (who->console && u->mfa);
        uint32_t k = 0;
        while (k < u->nkeys && !u->keys[k].active) k++;
        if (!id->has_session && k < u->nkeys && !who->access_key)
            snprintf(id->key, sizeof(id->key), "%s", u->keys[k].id);
        else if (!id->has_session && !who->access_key) /* no key: temporary credentials */
            id->has_session = true;
        break;
    }
    case RP_SIM_CT_ROLE: {
        if (who->idx >= w->nroles) return RP_EINVAL;
        const struct rp_sim_role *ro = &w->roles[who->idx];
        id->acct_id = w->accounts[ro->res.acct].res.id;
        uint32_t assumer = role_assumer(w, who->idx);
        uint32_t inst = RP_SIM_NONE;
        id->session = who->session_name;
        if (!id->session) {
            if ((ro->kind == RP_SIM_ROLE_ADMIN || ro->kind == RP_SIM_ROLE_READONLY) &&
                assumer != RP_SIM_NONE)
                id->session = w->users[assumer].res.name;
            else if (ro->kind == RP_SIM_ROLE_INSTANCE_PROFILE || ro->kind == RP_SIM_ROLE_EKS_NODE) {
                for (uint32_t i = 0; i < w->ninstances; i++)
                    if (w->instances[i].profile_role == who->idx &&
                        !w->instances[i].res.deleted_ms) {
                        inst = i;
                        id->session = w->instances[i].res.id;
                        break;
                    }
            }
        } else if (starts_with(id->session, "i-")) {
            inst = rp_sim_world_find(w, RP_SIM_K_INSTANCE, id->session);
        }
        if (!id->session || !id->session[0]) id->session = ro->res.name;
        snprintf(id->principal_id, sizeof(id->principal_id), "%s:%s", ro->res.id, id->session);
        snprintf(id->arn, sizeof(id->arn), "arn:aws:sts::%s:assumed-role/%s/%s", id->acct_id,
                 ro->res.name, id->session);
        ph = rp_sim_hash_str(id->principal_id);
        id->has_session = true;
        id->ec2_delivery = who->ec2_role_delivery;
        if (!id->ec2_delivery && inst != RP_SIM_NONE) id->ec2_delivery = 2;
        if (!id->source_ip) {
            if (inst != RP_SIM_NONE)
                id->source_ip = rp_sim_instance_egress_ip(w, inst);
            else if (ro->habits.nips)
                id->source_ip = habit_ip(w, &ro->habits, ph, c->ts_ms);
            else if (assumer != RP_SIM_NONE)
                id->source_ip = habit_ip(w, &w->users[assumer].habits,
                                         rp_sim_hash_str(w->users[assumer].res.id), c->ts_ms);
        }
        if (!id->user_agent) {
            const char *hu = ro->habits.user_agent;
            if (who->console)
                id->user_agent = signin ? rp_sim_ct_console_ua(ph) : "AWS Internal";
            else if (hu[0] && !is_browser(hu))
                id->user_agent = hu;
            else if (assumer != RP_SIM_NONE && !is_browser(w->users[assumer].habits.user_agent) &&
                     w->users[assumer].habits.user_agent[0])
                id->user_agent = w->users[assumer].habits.user_agent;
            else
                id->user_agent = cli_uas[ph % RP_ARRAY_LEN(cli_uas)];
        }
        id->mfa = who->mfa >= 0 ? who->mfa != 0 : false;
        break;
    }
    case RP_SIM_CT_ROOT: {
        if (who->idx >= w->naccounts) return RP_EINVAL;
        const struct rp_sim_account *a = &w->accounts[who->idx];
        id->acct_id = a->res.id;
        snprintf(id->principal_id, sizeof(id->principal_id), "%s", a->res.id);
        snprintf(id->arn, sizeof(id->arn), "arn:aws:iam::%s:root", a->res.id);
        ph = rp_sim_hash_str(id->arn);
        if (!id->source_ip) {
            for (uint32_t u = 0; u < w->nusers; u++)
                if (w->users[u].res.acct == who->idx && w->users[u].kind == RP_SIM_USER_ADMIN &&
                    w->users[u].habits.nips) {
                    id->source_ip = w->users[u].habits.ips[0];
                    break;
                }
        }
        if (!id->user_agent)
            id->user_agent = signin         ? rp_sim_ct_console_ua(ph)
                             : who->console ? "AWS Internal"
                                            : cli_uas[ph % RP_ARRAY_LEN(cli_uas)];
        id->mfa = who->mfa >= 0 ? who->mfa != 0 : (who->console && a->root_mfa);
        if (!id->has_session && !who->access_key) /* long-term root key */
            key_from_hash(rp_sim_mix(w->seed, ph), "AKIA", id->key, sizeof(id->key));
        break;
    }
    case RP_SIM_CT_SERVICE:
        if (!who->service) return RP_EINVAL;
        if (!id->source_ip) id->source_ip = who->service;
        if (!id->user_agent) id->user_agent = who->service;
        id->has_session = false;
        break;
    case RP_SIM_CT_FEDERATED: {
        if (who->idx >= w->nusers || !who->session_name) return RP_EINVAL;
        const struct rp_sim_user *u = &w->users[who->idx];
        id->acct_id = w->accounts[u->res.acct].res.id;
        id->session = who->session_name;
        snprintf(id->principal_id, sizeof(id->principal_id), "%s:%s", id->acct_id, id->session);
        snprintf(id->arn, sizeof(id->arn), "arn:aws:sts::%s:federated-user/%s", id->acct_id,
                 id->session);
        ph = rp_sim_hash_str(id->principal_id);
        if (!id->source_ip)
            id->source_ip = habit_ip(w, &u->habits, rp_sim_hash_str(u->res.id), c->ts_ms);
        if (!id->user_agent) id->user_agent = cli_uas[ph % RP_ARRAY_LEN(cli_uas)];
        id->mfa = who->mfa >= 0 ? who->mfa != 0 : false;
        id->has_session = true;
        break;
    }
    case RP_SIM_CT_AWS_ACCOUNT:
        if (who->idx != RP_SIM_NONE && who->idx < w->naccounts)
            id->acct_id = w->accounts[who->idx].res.id;
        else if (who->account_id)
            id->acct_id = who->account_id;
        else
            return RP_EINVAL;
        snprintf(id->principal_id, sizeof(id->principal_id), "%s",
                 who->principal_id ? who->principal_id : id->acct_id);
        ph = rp_sim_hash_str(id->principal_id);
        if (!id->user_agent) id->user_agent = cli_uas[ph % RP_ARRAY_LEN(cli_uas)];
        id->has_session = false;
        break;
    case RP_SIM_CT_WEB_IDENTITY:
        if (who->idx >= w->naccounts || !who->session_name || !who->service) return RP_EINVAL;
        id->acct_id = w->accounts[who->idx].res.id;
        snprintf(id->arn, sizeof(id->arn), "arn:aws:iam::%s:oidc-provider/%s", id->acct_id,
                 who->service);
        snprintf(id->principal_id, sizeof(id->principal_id), "%s:sts.amazonaws.com:%s", id->arn,
                 who->session_name);
        id->user_name = who->session_name;
        ph = rp_sim_hash_str(id->principal_id);
        if (!id->user_agent) id->user_agent = cli_uas[ph % RP_ARRAY_LEN(cli_uas)];
        id->has_session = false;
        break;
    default:
        return RP_EINVAL;
    }
    if (who->principal_id && who->kind != RP_SIM_CT_AWS_ACCOUNT)
        snprintf(id->principal_id, sizeof(id->principal_id), "%s", who->principal_id);
    if (who->access_key)
        snprintf(id->key, sizeof(id->key), "%s", who->access_key);
    else if (id->has_session && !id->key[0])
        key_from_hash(rp_sim_mix(rp_sim_mix(w->seed, ph), (uint64_t)id->session_ms), "ASIA",
                      id->key, sizeof(id->key));
    if (!id->source_ip || !id->source_ip[0]) id->source_ip = "AWS Internal";
    if (!id->user_agent) id->user_agent = "AWS Internal";
    return RP_OK;
}

static void write_session(struct rp_json_writer *jw, const struct ident *id, bool issuer_role,
                          const struct rp_sim_world *w, const struct rp_sim_ct_who *who)
{
    char cdate[32];
    rp_sim_iso_s(id->session_ms, cdate, sizeof(cdate));
    rp_json_write_key(jw, "sessionContext", 14);
    rp_json_write_obj_begin(jw);
    rp_json_write_key(jw, "sessionIssuer", 13);
    rp_json_write_obj_begin(jw);
    if (issuer_role && who->kind == RP_SIM_CT_ROLE) {
        const struct rp_sim_role *ro = &w->roles[who->idx];
        rp_json_write_kv_cstr(jw, "type", "Role");
        rp_json_write_kv_cstr(jw, "principalId", ro->res.id);
        rp_json_write_kv_cstr(jw, "arn", ro->res.arn);
        rp_json_write_kv_cstr(jw, "accountId", id->acct_id);
        rp_json_write_kv_cstr(jw, "userName", ro->res.name);
    } else if (issuer_role && who->kind == RP_SIM_CT_FEDERATED) {
        const struct rp_sim_user *u = &w->users[who->idx];
        rp_json_write_kv_cstr(jw, "type", "IAMUser");
        rp_json_write_kv_cstr(jw, "principalId", u->res.id);
        rp_json_write_kv_cstr(jw, "arn", u->res.arn);
        rp_json_write_kv_cstr(jw, "accountId", id->acct_id);
        rp_json_write_kv_cstr(jw, "userName", u->res.name);
    }
    rp_json_write_obj_end(jw);
    rp_json_write_key(jw, "webIdFederationData", 19);
    rp_json_write_obj_begin(jw);
    rp_json_write_obj_end(jw);
    rp_json_write_key(jw, "attributes", 10);
    rp_json_write_obj_begin(jw);
    rp_json_write_kv_cstr(jw, "creationDate", cdate);
    rp_json_write_kv_cstr(jw, "mfaAuthenticated", id->mfa ? "true" : "false");
    rp_json_write_obj_end(jw);
    if (who->kind == RP_SIM_CT_ROLE && who->source_identity)
        rp_json_write_kv_cstr(jw, "sourceIdentity", who->source_identity);
    if (who->kind == RP_SIM_CT_ROLE && id->ec2_delivery)
        rp_json_write_kv_cstr(jw, "ec2RoleDelivery", id->ec2_delivery == 1 ? "1.0" : "2.0");
    rp_json_write_obj_end(jw);
}

static void write_identity(struct rp_json_writer *jw, const struct rp_sim_world *w,
                           const struct rp_sim_ct_call *c, const struct ident *id, bool signin)
{
    const struct rp_sim_ct_who *who = &c->who;
    rp_json_write_key(jw, "userIdentity", 12);
    rp_json_write_obj_begin(jw);
    switch (who->kind) {
    case RP_SIM_CT_IAM_USER:
        rp_json_write_kv_cstr(jw, "type", "IAMUser");
        rp_json_write_kv_cstr(jw, "principalId", id->principal_id);
        rp_json_write_kv_cstr(jw, "arn", id->arn);
        rp_json_write_kv_cstr(jw, "accountId", id->acct_id);
        if (!signin) rp_json_write_kv_cstr(jw, "accessKeyId", id->key);
        rp_json_write_kv_cstr(jw, "userName", id->user_name);
        if (!signin && id->has_session) write_session(jw, id, false, w, who);
        break;
    case RP_SIM_CT_ROLE:
        rp_json_write_kv_cstr(jw, "type", "AssumedRole");
        rp_json_write_kv_cstr(jw, "principalId", id->principal_id);
        rp_json_write_kv_cstr(jw, "arn", id->arn);
        rp_json_write_kv_cstr(jw, "accountId", id->acct_id);
        rp_json_write_kv_cstr(jw, "accessKeyId", signin ? "" : id->key);
        write_session(jw, id, true, w, who);
        break;
    case RP_SIM_CT_ROOT:
        rp_json_write_kv_cstr(jw, "type", "Root");
        rp_json_write_kv_cstr(jw, "principalId", id->principal_id);
        rp_json_write_kv_cstr(jw, "arn", id->arn);
        rp_json_write_kv_cstr(jw, "accountId", id->acct_id);
        rp_json_write_kv_cstr(jw, "accessKeyId", signin ? "" : id->key);
        if (!signin && id->has_session) write_session(jw, id, false, w, who);
        break;
    case RP_SIM_CT_SERVICE:
        rp_json_write_kv_cstr(jw, "type", "AWSService");
        rp_json_write_kv_cstr(jw, "invokedBy", who->service);
        break;
    case RP_SIM_CT_FEDERATED:
        rp_json_write_kv_cstr(jw, "type", "FederatedUser");
        rp_json_write_kv_cstr(jw, "principalId", id->principal_id);
        rp_json_write_kv_cstr(jw, "arn", id->arn);
        rp_json_write_kv_cstr(jw, "accountId", id->acct_id);
        rp_json_write_kv_cstr(jw, "accessKeyId", id->key);
        write_session(jw, id, true, w, who);
        break;
    case RP_SIM_CT_AWS_ACCOUNT:
        rp_json_write_kv_cstr(jw, "type", "AWSAccount");
        rp_json_write_kv_cstr(jw, "principalId", id->principal_id);
        rp_json_write_kv_cstr(jw, "accountId", id->acct_id);
        break;
    case RP_SIM_CT_WEB_IDENTITY:
        rp_json_write_kv_cstr(jw, "type", "WebIdentityUser");
        rp_json_write_kv_cstr(jw, "principalId", id->principal_id);
        rp_json_write_kv_cstr(jw, "userName", id->user_name);
        rp_json_write_kv_cstr(jw, "identityProvider", id->arn);
        break;
    }
    if (who->kind != RP_SIM_CT_SERVICE && who->service && who->kind != RP_SIM_CT_WEB_IDENTITY)
        rp_json_write_kv_cstr(jw, "invokedBy", who->service);
    rp_json_write_obj_end(jw);
}

/* tlsDetails.clientProvidedHostHeader derived from the event source and region. */
static void tls_host(const struct rp_sim_ct_call *c, const char *region, char *out, size_t sz)
{
    const char *src = c->event_source;
    if (strcmp(src, "signin.amazonaws.com") == 0) {
        snprintf(out, sz, "signin.aws.amazon.com");
        return;
    }
    const char *dot = strstr(src, ".amazonaws.com");
    size_t plen = dot ? (size_t)(dot - src) : strlen(src);
    if (strcmp(src, "s3.amazonaws.com") == 0) {
        for (uint32_t i = 0; i < c->nresources; i++) {
            const char *arn = c->resources[i].arn;
            if (c->resources[i].type && strcmp(c->resources[i].type, "AWS::S3::Bucket") == 0 &&
                arn && starts_with(arn, "arn:aws:s3:::")) {
                snprintf(out, sz, "%s.s3.%s.amazonaws.com", arn + 13, region);
                return;
            }
        }
    }
    if (rp_sim_ct_is_global(src))
        snprintf(out, sz, "%.*s.amazonaws.com", (int)plen, src);
    else
        snprintf(out, sz, "%.*s.%s.amazonaws.com", (int)plen, src, region);
}

rp_err rp_sim_ct_call_build(const struct rp_sim_world *w, const struct rp_sim_ct_call *c,
                            struct rp_sim_rng *r, struct rp_buf *out, char event_id[RP_SIM_UUID_SZ])
{
    if (!c->event_source || !c->event_name) return RP_EINVAL;
    uint32_t acct = 0, region = 0;
    rp_err e = rp_sim_ct_call_where(w, c, &acct, &region);
    if (e != RP_OK) return e;
    bool signin = strcmp(c->event_source, "signin.amazonaws.com") == 0;
    const char *etype = c->event_type ? c->event_type : signin ? "AwsConsoleSignIn" : "AwsApiCall";
    bool svc_event = strcmp(etype, "AwsServiceEvent") == 0;
    bool login = signin || strcmp(etype, "AwsConsoleSignIn") == 0;
    struct ident id;
    e = resolve(w, c, login, &id);
    if (e != RP_OK) return e;

    char eid[RP_SIM_UUID_SZ], rid[RP_SIM_UUID_SZ];
    if (c->event_id)
        snprintf(eid, sizeof(eid), "%s", c->event_id);
    else
        rp_sim_rng_uuid(r, eid);
    if (event_id) memcpy(event_id, eid, RP_SIM_UUID_SZ);
    bool has_rid = !login && !svc_event;
    if (c->request_id)
        snprintf(rid, sizeof(rid), "%s", c->request_id);
    else if (has_rid && strcmp(c->event_source, "s3.amazonaws.com") == 0)
        rp_sim_rng_chars(r, rid, 16, "0123456789ABCDEF");
    else if (has_rid)
        rp_sim_rng_uuid(r, rid);

    const char *region_name = c->aws_region                          ? c->aws_region
                              : rp_sim_ct_is_global(c->event_source) ? "us-east-1"
                                                                     : w->regions[region];
    const char *version = c->event_version                        ? c->event_version
                          : (login || svc_event || c->data_event) ? "1.08"
                                                                  : "1.09";
    bool ro =
        c->read_only >= 0 ? c->read_only != 0 : (!login && rp_sim_ct_name_read_only(c->event_name));
    char when[32];
    rp_sim_iso_s(c->ts_ms, when, sizeof(when));

    struct rp_json_writer jw;
    rp_json_writer_init(&jw, out);
    rp_json_write_obj_begin(&jw);
    rp_json_write_kv_cstr(&jw, "eventVersion", version);
    write_identity(&jw, w, c, &id, login);
    rp_json_write_kv_cstr(&jw, "eventTime", when);
    rp_json_write_kv_cstr(&jw, "eventSource", c->event_source);
    rp_json_write_kv_cstr(&jw, "eventName", c->event_name);
    rp_json_write_kv_cstr(&jw, "awsRegion", region_name);
    rp_json_write_kv_cstr(&jw, "sourceIPAddress", id.source_ip);
    rp_json_write_kv_cstr(&jw, "userAgent", id.user_agent);
    if (c->error_code) rp_json_write_kv_cstr(&jw, "errorCode", c->error_code);
    if (c->error_message) rp_json_write_kv_cstr(&jw, "errorMessage", c->error_message);
    rp_json_write_key(&jw, "requestParameters", 17);
    if (c->request_parameters)
        rp_json_write_raw(&jw, c->request_parameters, strlen(c->request_parameters));
    else
        rp_json_write_null(&jw);
    rp_json_write_key(&jw, "responseElements", 16);
    if (c->response_elements)
        rp_json_write_raw(&jw, c->response_elements, strlen(c->response_elements));
    else
        rp_json_write_null(&jw);
    if (c->additional_event_data) {
        rp_json_write_key(&jw, "additionalEventData", 19);
        rp_json_write_raw(&jw, c->additional_event_data, strlen(c->additional_event_data));
    }
    if (has_rid || c->request_id) rp_json_write_kv_cstr(&jw, "requestID", rid);
    rp_json_write_kv_cstr(&jw, "eventID", eid);
    rp_json_write_kv_bool(&jw, "readOnly", ro);
    if (c->nresources) {
        rp_json_write_key(&jw, "resources", 9);
        rp_json_write_arr_begin(&jw);
        for (uint32_t i = 0; i < c->nresources; i++) {
            const struct rp_sim_ct_resource *res = &c->resources[i];
            rp_json_write_obj_begin(&jw);
            if (res->account_id) rp_json_write_kv_cstr(&jw, "accountId", res->account_id);
            rp_json_write_kv_cstr(&jw, "type", res->type ? res->type : "");
            rp_json_write_kv_cstr(&jw, "ARN", res->arn ? res->arn : "");
            rp_json_write_obj_end(&jw);
        }
        rp_json_write_arr_end(&jw);
    }
    rp_json_write_kv_cstr(&jw, "eventType", etype);
    if (c->api_version) rp_json_write_kv_cstr(&jw, "apiVersion", c->api_version);
    rp_json_write_kv_bool(&jw, "managementEvent", !c->data_event);
    rp_json_write_kv_cstr(&jw, "recipientAccountId", w->accounts[acct].res.id);
    if (c->shared_event_id) rp_json_write_kv_cstr(&jw, "sharedEventID", c->shared_event_id);
    if (c->vpc_endpoint_id) rp_json_write_kv_cstr(&jw, "vpcEndpointId", c->vpc_endpoint_id);
    if (c->service_event_details) {
        rp_json_write_key(&jw, "serviceEventDetails", 19);
        rp_json_write_raw(&jw, c->service_event_details, strlen(c->service_event_details));
    }
    rp_json_write_kv_cstr(&jw, "eventCategory", c->data_event ? "Data" : "Management");
    bool tls = c->who.kind != RP_SIM_CT_SERVICE && !svc_event &&
               strcmp(id.source_ip, "AWS Internal") != 0 &&
               strcmp(id.user_agent, "AWS Internal") != 0 && !(c->tls_host && !c->tls_host[0]);
    if (tls) {
        char host[RP_SIM_DNS_SZ + 64];
        if (c->tls_host)
            snprintf(host, sizeof(host), "%s", c->tls_host);
        else
            tls_host(c, region_name, host, sizeof(host));
        /* current CLIs and SDKs negotiate TLS 1.3; browsers, Java and Go clients here 1.2 */
        bool v13 =
            starts_with(id.user_agent, "aws-cli/2") || starts_with(id.user_agent, "Boto3") || login;
        rp_json_write_key(&jw, "tlsDetails", 10);
        rp_json_write_obj_begin(&jw);
        rp_json_write_kv_cstr(&jw, "tlsVersion", v13 ? "TLSv1.3" : "TLSv1.2");
        rp_json_write_kv_cstr(&jw, "cipherSuite",
                              v13 ? "TLS_AES_128_GCM_SHA256" : "ECDHE-RSA-AES128-GCM-SHA256");
        rp_json_write_kv_cstr(&jw, "clientProvidedHostHeader", host);
        rp_json_write_obj_end(&jw);
    }
    if (c->who.console && !login && c->who.kind != RP_SIM_CT_SERVICE)
        rp_json_write_kv_cstr(&jw, "sessionCredentialFromConsole", "true");
    rp_json_write_obj_end(&jw);
    return rp_json_writer_finish(&jw);
}

rp_err rp_sim_ct_who_key(const struct rp_sim_world *w, const struct rp_sim_ct_who *who,
                         int64_t ts_ms, char *out, size_t outsz)
{
    struct rp_sim_ct_call c;
    memset(&c, 0, sizeof(c));
    c.who = *who;
    c.ts_ms = ts_ms;
    c.event_source = "sts.amazonaws.com";
    c.event_name = "GetCallerIdentity";
    struct ident id;
    rp_err e = resolve(w, &c, false, &id);
    if (e != RP_OK) return e;
    snprintf(out, outsz, "%s", id.key);
    return RP_OK;
}

const char *rp_sim_ct_who_ip(const struct rp_sim_world *w, const struct rp_sim_ct_who *who,
                             int64_t ts_ms)
{
    struct rp_sim_ct_call c;
    memset(&c, 0, sizeof(c));
    c.who = *who;
    c.ts_ms = ts_ms;
    c.event_source = "sts.amazonaws.com";
    c.event_name = "GetCallerIdentity";
    struct ident id;
    if (resolve(w, &c, false, &id) != RP_OK) return "AWS Internal";
    return id.source_ip;
}

rp_err rp_sim_ct_call_emit(struct rp_sim_run *run, const struct rp_sim_ct_call *c,
                           struct rp_sim_rng *r, char event_id[RP_SIM_UUID_SZ],
                           struct rp_errbuf *eb)
{
    uint32_t acct = 0, region = 0;
    if (rp_sim_ct_call_where(run->world, c, &acct, &region) != RP_OK)
        return rp_fail(eb, RP_EINVAL, "simulate: no account or region for '%s' record",
                       c->event_name ? c->event_name : "?");
    struct rp_buf b;
    rp_buf_init(&b, SCRATCH_MAX);
    rp_err e = rp_sim_ct_call_build(run->world, c, r, &b, event_id);
    if (e != RP_OK) {
        rp_buf_release(&b);
        return rp_fail(eb, e, "simulate: cannot build the '%s' cloudtrail record",
                       c->event_name ? c->event_name : "?");
    }
    e = rp_sim_emit_cloudtrail(run, acct, region, c->ts_ms, b.data, b.len, eb);
    rp_buf_release(&b);
    return e;
}

/* ---- VPC flow logs ------------------------------------------------------------------------- */

void rp_sim_flow_init(struct rp_sim_flow *f)
{
    memset(f, 0, sizeof(*f));
    f->tcp_flags = -1;
}

uint32_t rp_sim_conn_records(const struct rp_sim_world *w, const struct rp_sim_conn *c,
                             struct rp_sim_flow out[2])
{
    if (c->eni >= w->nenis || !c->remote_ip || c->end_s < c->start_s) return 0;
    const char *local = c->local_ip ? c->local_ip : w->enis[c->eni].private_ip;
    const char *pkt_local = c->pkt_local_ip;
    bool tcp = c->protocol == 6;
    struct rp_sim_flow *f = &out[0];
    rp_sim_flow_init(f);
    f->eni = c->eni;
    f->protocol = c->protocol;
    f->start_s = c->start_s;
    f->end_s = c->end_s;
    /* initiator -> responder */
    f->srcaddr = c->inbound ? c->remote_ip : local;
    f->dstaddr = c->inbound ? local : c->remote_ip;
    f->srcport = c->inbound ? c->remote_port : c->local_port;
    f->dstport = c->inbound ? c->local_port : c->remote_port;
    f->pkt_srcaddr = c->inbound ? NULL : pkt_local;
    f->pkt_dstaddr = c->inbound ? pkt_local : NULL;
    f->pkt_src_service = c->inbound ? c->remote_service : NULL;
    f->pkt_dst_service = c->inbound ? NULL : c->remote_service;
    f->packets = c->req_packets;
    f->bytes = c->req_bytes;
    f->tcp_flags = tcp ? (c->ongoing ? 0 : 3) : 0;
    f->egress = !c->inbound;
    f->traffic_path = f->egress ? c->traffic_path : 0;
    if (c->resp_packets == 0) return 1;
    /* responder -> initiator */
    struct rp_sim_flow *b = &out[1];
    *b = *f;
    b->srcaddr = f->dstaddr;
    b->dstaddr = f->srcaddr;
    b->srcport = f->dstport;
    b->dstport = f->srcport;
    b->pkt_srcaddr = f->pkt_dstaddr;
    b->pkt_dstaddr = f->pkt_srcaddr;
    b->pkt_src_service = f->pkt_dst_service;
    b->pkt_dst_service = f->pkt_src_service;
    b->packets = c->resp_packets;
    b->bytes = c->resp_bytes;
    b->tcp_flags = tcp ? (c->ongoing ? 0 : 19) : 0;
    b->egress = c->inbound;
    b->traffic_path = b->egress ? c->traffic_path : 0;
    return 2;
}

rp_err rp_sim_flow_conn_emit(struct rp_sim_run *run, const struct rp_sim_conn *c,
                             struct rp_errbuf *eb)
{
    struct rp_sim_flow f[2];
    uint32_t n = rp_sim_conn_records(run->world, c, f);
    if (n == 0) return rp_fail(eb, RP_EINVAL, "simulate: bad connection for a flow record");
    rp_err e = RP_OK;
    for (uint32_t i = 0; i < n && e == RP_OK; i++) e = rp_sim_emit_flow(run, &f[i], eb);
    return e;
}

rp_err rp_sim_flow_probe_emit(struct rp_sim_run *run, uint32_t eni, const char *remote_ip,
                              uint16_t remote_port, uint16_t local_port, uint8_t protocol,
                              int64_t at_s, struct rp_errbuf *eb)
{
    const struct rp_sim_world *w = run->world;
    if (eni >= w->nenis || !remote_ip)
        return rp_fail(eb, RP_EINVAL, "simulate: bad probe for a flow record");
    struct rp_sim_flow f;
    rp_sim_flow_init(&f);
    f.eni = eni;
    f.srcaddr = remote_ip;
    f.dstaddr = w->enis[eni].private_ip;
    f.srcport = remote_port;
    f.dstport = local_port;
    f.protocol = protocol;
    f.packets = 1;
    f.bytes = protocol == 6 ? 44 : 28;
    f.start_s = at_s;
    f.end_s = at_s;
    f.reject = true;
    f.tcp_flags = protocol == 6 ? 2 : 0;
    return rp_sim_emit_flow(run, &f, eb);
}

rp_err rp_sim_flow_status_emit(struct rp_sim_run *run, uint32_t eni, int64_t start_s, int64_t end_s,
                               bool skipdata, struct rp_errbuf *eb)
{
    struct rp_sim_flow f;
    rp_sim_flow_init(&f);
    f.eni = eni;
    f.start_s = start_s;
    f.end_s = end_s;
    f.log_status = skipdata ? "SKIPDATA" : "NODATA";
    return rp_sim_emit_flow(run, &f, eb);
}

/* ---- Route 53 Resolver query logs ---------------------------------------------------------- */

void rp_sim_dns_query_init(struct rp_sim_dns_query *q, uint32_t vpc, int64_t ts_ms,
                           const char *query_name)
{
    memset(q, 0, sizeof(*q));
    q->vpc = vpc;
    q->ts_ms = ts_ms;
    q->query_name = query_name;
    q->instance = RP_SIM_NONE;
}

void rp_sim_dns_query_answer(struct rp_sim_dns_query *q, const char *type, const char *rdata)
{
    if (q->nanswers >= RP_SIM_DNS_MAX_ANSWERS) return;
    q->answers[q->nanswers++] = (struct rp_sim_dns_answer){rdata, type};
}

rp_err rp_sim_dns_query_build(const struct rp_sim_world *w, const struct rp_sim_dns_query *q,
                              struct rp_buf *out)
{
    if (q->vpc >= w->nvpcs || !q->query_name || !q->query_name[0] || !q->srcaddr) return RP_EINVAL;
    if (q->instance != RP_SIM_NONE && q->instance >= w->ninstances) return RP_EINVAL;
    const struct rp_sim_vpc *v = &w->vpcs[q->vpc];
    char name[512], when[32], port[8];
    size_t nl = strlen(q->query_name);
    snprintf(name, sizeof(name), "%s%s", q->query_name, q->query_name[nl - 1] == '.' ? "" : ".");
    rp_sim_iso_s(q->ts_ms, when, sizeof(when));
    snprintf(port, sizeof(port), "%u", q->srcport);
    struct rp_json_writer jw;
    rp_json_writer_init(&jw, out);
    rp_json_write_obj_begin(&jw);
    rp_json_write_kv_cstr(&jw, "version", "1.100000");
    rp_json_write_kv_cstr(&jw, "account_id", w->accounts[v->res.acct].res.id);
    rp_json_write_kv_cstr(&jw, "region", w->regions[v->res.region]);
    rp_json_write_kv_cstr(&jw, "vpc_id", v->res.id);
    rp_json_write_kv_cstr(&jw, "query_timestamp", when);
    rp_json_write_kv_cstr(&jw, "query_name", name);
    rp_json_write_kv_cstr(&jw, "query_type", q->query_type ? q->query_type : "A");
    rp_json_write_kv_cstr(&jw, "query_class", "IN");
    rp_json_write_kv_cstr(&jw, "rcode", q->rcode ? q->rcode : "NOERROR");
    rp_json_write_key(&jw, "answers", 7);
    rp_json_write_arr_begin(&jw);
    for (uint32_t i = 0; i < q->nanswers; i++) {
        rp_json_write_obj_begin(&jw);
        rp_json_write_kv_cstr(&jw, "Rdata", q->answers[i].rdata ? q->answers[i].rdata : "");
        rp_json_write_kv_cstr(&jw, "Type", q->answers[i].type ? q->answers[i].type : "A");
        rp_json_write_kv_cstr(&jw, "Class", "IN");
        rp_json_write_obj_end(&jw);
    }
    rp_json_write_arr_end(&jw);
    rp_json_write_kv_cstr(&jw, "srcaddr", q->srcaddr);
    rp_json_write_kv_cstr(&jw, "srcport", port);
    rp_json_write_kv_cstr(&jw, "transport", q->transport ? q->transport : "UDP");
    rp_json_write_key(&jw, "srcids", 6);
    rp_json_write_obj_begin(&jw);
    if (q->instance != RP_SIM_NONE)
        rp_json_write_kv_cstr(&jw, "instance", w->instances[q->instance].res.id);
    if (q->resolver_endpoint) rp_json_write_kv_cstr(&jw, "resolver_endpoint", q->resolver_endpoint);
    rp_json_write_obj_end(&jw);
    if (q->firewall_rule_group_id)
        rp_json_write_kv_cstr(&jw, "firewall_rule_group_id", q->firewall_rule_group_id);
    if (q->firewall_rule_action)
        rp_json_write_kv_cstr(&jw, "firewall_rule_action", q->firewall_rule_action);
    if (q->firewall_domain_list_id)
        rp_json_write_kv_cstr(&jw, "firewall_domain_list_id", q->firewall_domain_list_id);
    rp_json_write_obj_end(&jw);
    return rp_json_writer_finish(&jw);
}

rp_err rp_sim_dns_query_emit(struct rp_sim_run *run, const struct rp_sim_dns_query *q,
                             struct rp_errbuf *eb)
{
    struct rp_buf b;
    rp_buf_init(&b, SCRATCH_MAX);
    rp_err e = rp_sim_dns_query_build(run->world, q, &b);
    if (e != RP_OK) {
        rp_buf_release(&b);
        return rp_fail(eb, e, "simulate: cannot build a dns record for '%s'",
                       q->query_name ? q->query_name : "?");
    }
    e = rp_sim_emit_dns(run, q->vpc, q->ts_ms, b.data, b.len, eb);
    rp_buf_release(&b);
    return e;
}

/* ---- EKS audit events ---------------------------------------------------------------------- */

void rp_sim_k8s_event_init(struct rp_sim_k8s_event *e, uint32_t eks, int64_t ts_ms,
                           const char *verb)
{
    memset(e, 0, sizeof(*e));
    e->eks = eks;
    e->ts_ms = ts_ms;
    e->verb = verb;
}

void rp_sim_k8s_event_group(struct rp_sim_k8s_event *e, const char *group)
{
    if (e->ngroups < RP_SIM_K8S_MAX_GROUPS) e->groups[e->ngroups++] = group;
}

void rp_sim_k8s_event_source_ip(struct rp_sim_k8s_event *e, const char *ip)
{
    if (e->nsource_ips < RP_SIM_K8S_MAX_IPS) e->source_ips[e->nsource_ips++] = ip;
}

void rp_sim_k8s_node_user(const struct rp_sim_world *w, uint32_t instance, char *out, size_t outsz)
{
    snprintf(out, outsz, "system:node:%s",
             instance < w->ninstances ? w->instances[instance].private_dns : "unknown");
}

/* MicroTime: the millisecond of ms plus three drawn microsecond digits. */
static void micro_time(int64_t ms, uint32_t micro, char *out, size_t sz)
{
    char s[32];
    rp_sim_iso_s(ms, s, sizeof(s));
    size_t n = strlen(s);
    if (n) s[n - 1] = '\0'; /* drop the Z */
    int64_t frac = ms % 1000;
    if (frac < 0) frac += 1000;
    snprintf(out, sz, "%s.%03lld%03uZ", s, (long long)frac, micro % 1000);
}

static void kv_arr1(struct rp_json_writer *jw, const char *k, const char *v)
{
    rp_json_write_key(jw, k, strlen(k));
    rp_json_write_arr_begin(jw);
    rp_json_write_cstr(jw, v);
    rp_json_write_arr_end(jw);
}

rp_err rp_sim_k8s_event_build(const struct rp_sim_world *w, const struct rp_sim_k8s_event *e,
                              struct rp_sim_rng *r, struct rp_buf *out)
{
    if (e->eks >= w->neks || !e->verb || !e->username) return RP_EINVAL;
    if (!e->resource && !e->request_uri) return RP_EINVAL;
    char audit_id[RP_SIM_UUID_SZ];
    if (e->audit_id)
        snprintf(audit_id, sizeof(audit_id), "%s", e->audit_id);
    else
        rp_sim_rng_uuid(r, audit_id);
    uint32_t delay = 1 + rp_sim_rng_below(r, 40);
    uint32_t micro_a = rp_sim_rng_below(r, 1000), micro_b = rp_sim_rng_below(r, 1000);
    int64_t recv = e->received_ms ? e->received_ms : e->ts_ms - delay;
    if (recv > e->ts_ms) recv = e->ts_ms;
    char t_recv[40], t_stage[40];
    micro_time(recv, micro_a, t_recv, sizeof(t_recv));
    micro_time(e->ts_ms, micro_b, t_stage, sizeof(t_stage));

    bool create = strcmp(e->verb, "create") == 0;
    int code = e->code ? e->code : create ? 201 : 200;
    const char *api_version = e->api_version ? e->api_version : "v1";
    bool core = !e->api_group || !e->api_group[0];
    char uri[1024];
    if (e->request_uri) {
        snprintf(uri, sizeof(uri), "%s", e->request_uri);
    } else {
        int n = core ? snprintf(uri, sizeof(uri), "/api/%s", api_version)
                     : snprintf(uri, sizeof(uri), "/apis/%s/%s", e->api_group, api_version);
        size_t len = n > 0 && (size_t)n < sizeof(uri) ? (size_t)n : 0;
        if (e->ns) len += (size_t)snprintf(uri + len, sizeof(uri) - len, "/namespaces/%s", e->ns);
        if (len < sizeof(uri))
            len += (size_t)snprintf(uri + len, sizeof(uri) - len, "/%s", e->resource);
        if (e->name && !create && len < sizeof(uri))
            len += (size_t)snprintf(uri + len, sizeof(uri) - len, "/%s", e->name);
        if (e->subresource && len < sizeof(uri))
            len += (size_t)snprintf(uri + len, sizeof(uri) - len, "/%s", e->subresource);
        if (len < sizeof(uri)) {
            if (strcmp(e->verb, "list") == 0)
                snprintf(uri + len, sizeof(uri) - len, "?limit=500");
            else if (strcmp(e->verb, "watch") == 0)
                snprintf(uri + len, sizeof(uri) - len, "?allowWatchBookmarks=true&watch=true");
        }
    }
    const char *level = e->level             ? e->level
                        : e->response_object ? "RequestResponse"
                        : e->request_object  ? "Request"
                                             : "Metadata";
    const char *decision = e->decision ? e->decision : code == 403 ? "forbid" : "allow";
    bool allow = strcmp(decision, "allow") == 0;
    char reason[256];
    if (e->authz_reason) {
        snprintf(reason, sizeof(reason), "%s", e->authz_reason);
    } else if (allow) {
        const char *g = NULL;
        for (uint32_t i = 0; i < e->ngroups; i++)
            if (strcmp(e->groups[i], "system:authenticated") != 0) {
                g = e->groups[i];
                break;
            }
        if (g)
            snprintf(reason, sizeof(reason),
                     "RBAC: allowed by ClusterRoleBinding \"%s\" of ClusterRole \"%s\" to Group "
                     "\"%s\"",
                     g, g, g);
        else
            snprintf(reason, sizeof(reason),
                     "RBAC: allowed by RoleBinding \"%s\" of Role \"%s\" to User \"%s\"",
                     e->username, e->username, e->username);
    } else {
        reason[0] = '\0';
    }
    const char *acct = w->accounts[w->eks[e->eks].res.acct].res.id;

    struct rp_json_writer jw;
    rp_json_writer_init(&jw, out);
    rp_json_write_obj_begin(&jw);
    rp_json_write_kv_cstr(&jw, "kind", "Event");
    rp_json_write_kv_cstr(&jw, "apiVersion", "audit.k8s.io/v1");
    rp_json_write_kv_cstr(&jw, "level", level);
    rp_json_write_kv_cstr(&jw, "auditID", audit_id);
    rp_json_write_kv_cstr(&jw, "stage", "ResponseComplete");
    rp_json_write_kv_cstr(&jw, "requestURI", uri);
    rp_json_write_kv_cstr(&jw, "verb", e->verb);
    rp_json_write_key(&jw, "user", 4);
    rp_json_write_obj_begin(&jw);
    rp_json_write_kv_cstr(&jw, "username", e->username);
    if (e->uid) {
        rp_json_write_kv_cstr(&jw, "uid", e->uid);
    } else if (e->extra_arn) {
        char uid[256];
        snprintf(uid, sizeof(uid), "aws-iam-authenticator:%s:%s", acct,
                 e->extra_principal ? e->extra_principal : e->username);
        rp_json_write_kv_cstr(&jw, "uid", uid);
    }
    rp_json_write_key(&jw, "groups", 6);
    rp_json_write_arr_begin(&jw);
    for (uint32_t i = 0; i < e->ngroups; i++) rp_json_write_cstr(&jw, e->groups[i]);
    rp_json_write_arr_end(&jw);
    if (e->extra_arn) {
        /* Go writes map keys sorted */
        rp_json_write_key(&jw, "extra", 5);
        rp_json_write_obj_begin(&jw);
        if (e->extra_access_key) kv_arr1(&jw, "accessKeyId", e->extra_access_key);
        kv_arr1(&jw, "arn", e->extra_arn);
        kv_arr1(&jw, "canonicalArn", e->extra_canonical ? e->extra_canonical : e->extra_arn);
        if (e->extra_principal) kv_arr1(&jw, "principalId", e->extra_principal);
        if (e->extra_session) kv_arr1(&jw, "sessionName", e->extra_session);
        rp_json_write_obj_end(&jw);
    }
    rp_json_write_obj_end(&jw);
    rp_json_write_key(&jw, "sourceIPs", 9);
    rp_json_write_arr_begin(&jw);
    for (uint32_t i = 0; i < e->nsource_ips; i++) rp_json_write_cstr(&jw, e->source_ips[i]);
    rp_json_write_arr_end(&jw);
    if (e->user_agent) rp_json_write_kv_cstr(&jw, "userAgent", e->user_agent);
    if (e->resource) {
        rp_json_write_key(&jw, "objectRef", 9);
        rp_json_write_obj_begin(&jw);
        rp_json_write_kv_cstr(&jw, "resource", e->resource);
        if (e->ns) rp_json_write_kv_cstr(&jw, "namespace", e->ns);
        if (e->name) rp_json_write_kv_cstr(&jw, "name", e->name);
        if (e->object_uid) rp_json_write_kv_cstr(&jw, "uid", e->object_uid);
        if (!core) rp_json_write_kv_cstr(&jw, "apiGroup", e->api_group);
        rp_json_write_kv_cstr(&jw, "apiVersion", api_version);
        if (e->subresource) rp_json_write_kv_cstr(&jw, "subresource", e->subresource);
        rp_json_write_obj_end(&jw);
    }
    rp_json_write_key(&jw, "responseStatus", 14);
    rp_json_write_obj_begin(&jw);
    rp_json_write_key(&jw, "metadata", 8);
    rp_json_write_obj_begin(&jw);
    rp_json_write_obj_end(&jw);
    if (code >= 400) {
        rp_json_write_kv_cstr(&jw, "status", "Failure");
        if (e->status_message) rp_json_write_kv_cstr(&jw, "message", e->status_message);
        if (e->status_reason) rp_json_write_kv_cstr(&jw, "reason", e->status_reason);
    }
    rp_json_write_kv_int(&jw, "code", code);
    rp_json_write_obj_end(&jw);
    if (e->request_object) {
        rp_json_write_key(&jw, "requestObject", 13);
        rp_json_write_raw(&jw, e->request_object, strlen(e->request_object));
    }
    if (e->response_object) {
        rp_json_write_key(&jw, "responseObject", 14);
        rp_json_write_raw(&jw, e->response_object, strlen(e->response_object));
    }
    rp_json_write_kv_cstr(&jw, "requestReceivedTimestamp", t_recv);
    rp_json_write_kv_cstr(&jw, "stageTimestamp", t_stage);
    rp_json_write_key(&jw, "annotations", 11);
    rp_json_write_obj_begin(&jw);
    rp_json_write_kv_cstr(&jw, "authorization.k8s.io/decision", decision);
    rp_json_write_kv_cstr(&jw, "authorization.k8s.io/reason", reason);
    if (e->pod_security)
        rp_json_write_kv_cstr(&jw, "pod-security.kubernetes.io/enforce-policy", e->pod_security);
    rp_json_write_obj_end(&jw);
    rp_json_write_obj_end(&jw);
    return rp_json_writer_finish(&jw);
}

rp_err rp_sim_k8s_event_emit(struct rp_sim_run *run, const struct rp_sim_k8s_event *e,
                             struct rp_sim_rng *r, struct rp_errbuf *eb)
{
    struct rp_buf b;
    rp_buf_init(&b, SCRATCH_MAX);
    rp_err err = rp_sim_k8s_event_build(run->world, e, r, &b);
    if (err != RP_OK) {
        rp_buf_release(&b);
        return rp_fail(eb, err, "simulate: cannot build an audit event for verb '%s'",
                       e->verb ? e->verb : "?");
    }
    err = rp_sim_emit_k8s(run, e->eks, e->ts_ms, b.data, b.len, eb);
    rp_buf_release(&b);
    return err;
}

/* ---- shared rhythm and destinations ------------------------------------------------------- */

uint32_t rp_sim_act_mean(const struct rp_sim_world *w, uint32_t mean_small)
{
    static const uint32_t tenths[] = {10, 30, 100};
    uint32_t f = (unsigned)w->scale < RP_ARRAY_LEN(tenths) ? tenths[w->scale] : 10;
    uint64_t m = ((uint64_t)mean_small * f + 5) / 10;
    if (mean_small && m == 0) m = 1;
    return m > UINT32_MAX ? UINT32_MAX : (uint32_t)m;
}

void rp_sim_act_local(int64_t ms, int tz_min, int *hour, int *weekday)
{
    int64_t local = ms + (int64_t)tz_min * RP_TIME_MS_PER_MIN;
    int64_t days = local >= 0 ? local / RP_TIME_MS_PER_DAY
                              : -((-local + RP_TIME_MS_PER_DAY - 1) / RP_TIME_MS_PER_DAY);
    *hour = (int)((local - days * RP_TIME_MS_PER_DAY) / RP_TIME_MS_PER_HOUR);
    *weekday = (int)(((days + 3) % 7 + 7) % 7); /* 1970-01-01 was a Thursday */
}

uint32_t rp_sim_act_diurnal(int64_t ms, int tz_min, bool human)
{
    static const uint16_t people[24] = {20,  10,  10,   10,  10,  20,  60,   250,
                                        700, 950, 1000, 950, 700, 850, 1000, 950,
                                        850, 600, 300,  150, 80,  50,  40,   30};
    static const uint16_t traffic[24] = {450, 380,  330,  300, 300, 330, 420, 550,
                                         700, 800,  850,  900, 950, 950, 950, 950,
                                         980, 1000, 1000, 950, 850, 750, 650, 550};
    int h = 0, wd = 0;
    rp_sim_act_local(ms, tz_min, &h, &wd);
    uint32_t v = human ? people[h] : traffic[h];
    if (wd >= 5) v = human ? v / 10 : v * 8 / 10;
    return v;
}

uint32_t rp_sim_act_deploys(const struct rp_sim_world *w, uint32_t acct, int64_t day_ms,
                            int64_t *out, uint32_t max)
{
    int h = 0, wd = 0;
    rp_sim_act_local(day_ms, 0, &h, &wd);
    if (wd >= 5 || max == 0) return 0;
    struct rp_sim_rng r;
    rp_sim_rng_initf(&r, w->seed, "act/deploys/a%u/d%lld", acct,
                     (long long)(day_ms / RP_TIME_MS_PER_DAY));
    uint32_t n = rp_sim_rng_count(&r, rp_sim_act_mean(w, 2));
    if (n > max) n = max;
    for (uint32_t i = 0; i < n; i++)
        out[i] = day_ms + 6 * RP_TIME_MS_PER_HOUR + (int64_t)rp_sim_rng_below(&r, 14 * 3600) * 1000;
    for (uint32_t i = 1; i < n; i++) /* insertion sort, n is tiny */
        for (uint32_t k = i; k > 0 && out[k] < out[k - 1]; k--) {
            int64_t t = out[k];
            out[k] = out[k - 1];
            out[k - 1] = t;
        }
    return n;
}

#define WL(x)  (1u << RP_SIM_WL_##x)
#define WL_ALL (WL(WEB) | WL(APP) | WL(DB) | WL(BASTION) | WL(K8S_NODE) | WL(CI_RUNNER))
#define OS(x)  (1u << RP_SIM_OS_##x)

const struct rp_sim_dest rp_sim_dests[] = {
    {"s3.%r.amazonaws.com", 443, "S3", 52, 216, WL_ALL, 0, 10, 1800, 24000},
    {"sts.%r.amazonaws.com", 443, "AMAZON", 54, 239, WL(WEB) | WL(APP) | WL(K8S_NODE), 0, 1, 1900,
     2600},
    {"ssm.%r.amazonaws.com", 443, "AMAZON", 52, 94, WL_ALL, 0, 4, 1500, 1200},
    {"ec2messages.%r.amazonaws.com", 443, "AMAZON", 52, 94, WL_ALL, 0, 2, 1300, 900},
    {"ssmmessages.%r.amazonaws.com", 443, "AMAZON", 52, 94, WL_ALL, 0, 1, 1100, 800},
    {"logs.%r.amazonaws.com", 443, "AMAZON", 3, 236, WL(WEB) | WL(APP) | WL(K8S_NODE), 0, 6, 9000,
     1100},
    {"monitoring.%r.amazonaws.com", 443, "AMAZON", 3, 236, WL(WEB) | WL(APP) | WL(DB), 0, 2, 4200,
     900},
    {"kms.%r.amazonaws.com", 443, "AMAZON", 52, 46, WL(APP), 0, 3, 1600, 1400},
    {"secretsmanager.%r.amazonaws.com", 443, "AMAZON", 52, 46, WL(APP), 0, 1, 1400, 1800},
    {"api.ecr.%r.amazonaws.com", 443, "AMAZON", 52, 46, WL(K8S_NODE) | WL(CI_RUNNER), 0, 2, 1500,
     3000},
    {"%a.dkr.ecr.%r.amazonaws.com", 443, "AMAZON", 52, 46, WL(K8S_NODE) | WL(CI_RUNNER), 0, 2, 2500,
     60000},
    {"ec2.%r.amazonaws.com", 443, "AMAZON", 54, 239, WL(K8S_NODE), 0, 2, 1700, 5200},
    {"eks.%r.amazonaws.com", 443, "AMAZON", 54, 239, WL(K8S_NODE) | WL(CI_RUNNER), 0, 1, 1500,
     2400},
    {"%r.ec2.archive.ubuntu.com", 80, "EC2", 3, 230, WL_ALL, OS(UBUNTU), 1, 900, 48000},
    {"security.ubuntu.com", 80, NULL, 185, 125, WL_ALL, OS(UBUNTU), 1, 800, 36000},
    {"deb.debian.org", 80, NULL, 151, 101, WL_ALL, OS(DEBIAN), 1, 800, 42000},
    {"al2023-repos-%r-de612dc2.s3.dualstack.%r.amazonaws.com", 443, "S3", 52, 217, WL_ALL,
     OS(AMAZON), 1, 1200, 52000},
    {"dl-cdn.alpinelinux.org", 443, NULL, 151, 101, WL_ALL, OS(ALPINE), 1, 900, 40000},
    {"api.stripe.com", 443, NULL, 54, 187, WL(APP), 0, 8, 2200, 3400},
    {"api.sendgrid.com", 443, NULL, 167, 89, WL(APP), 0, 2, 5200, 900},
    {"github.com", 443, NULL, 140, 82, WL(CI_RUNNER), 0, 6, 3000, 250000},
    {"api.github.com", 443, NULL, 140, 82, WL(CI_RUNNER), 0, 4, 1800, 7000},
    {"registry.npmjs.org", 443, NULL, 104, 16, WL(CI_RUNNER), 0, 4, 1500, 90000},
    {"pypi.org", 443, NULL, 151, 101, WL(CI_RUNNER), 0, 2, 1400, 60000},
};
const size_t rp_sim_ndests = RP_ARRAY_LEN(rp_sim_dests);

void rp_sim_dest_host(const struct rp_sim_world *w, const struct rp_sim_dest *d, uint32_t acct,
                      uint32_t region, char *out, size_t outsz)
{
    const char *reg = region < w->nregions ? w->regions[region] : "us-east-1";
    const char *aid = acct < w->naccounts ? w->accounts[acct].res.id : "000000000000";
    size_t n = 0;
    if (outsz == 0) return;
    for (const char *p = d->host; *p && n + 1 < outsz; p++) {
        const char *sub = NULL;
        if (p[0] == '%' && p[1] == 'r') sub = reg;
        if (p[0] == '%' && p[1] == 'a') sub = aid;
        if (sub) {
            for (; *sub && n + 1 < outsz; sub++) out[n++] = *sub;
            p++;
            continue;
        }
        out[n++] = *p;
    }
    out[n] = '\0';
}

void rp_sim_dest_addr(const struct rp_sim_world *w, const struct rp_sim_dest *d, const char *host,
                      uint32_t k, char out[RP_SIM_IP_SZ])
{
    (void)w;
    uint64_t h = rp_sim_mix(rp_sim_hash_str(host), k);
    snprintf(out, RP_SIM_IP_SZ, "%u.%u.%u.%u", d->a, d->b, (unsigned)(h % 254) + 1,
             (unsigned)((h >> 16) % 253) + 1);
}

uint32_t rp_sim_dest_conns(const struct rp_sim_world *w, uint32_t inst, size_t d, int64_t hour_ms,
                           struct rp_sim_dest_conn *out, uint32_t max)
{
    if (inst >= w->ninstances || d >= rp_sim_ndests) return 0;
    const struct rp_sim_instance *in = &w->instances[inst];
    const struct rp_sim_dest *ds = &rp_sim_dests[d];
    if (in->res.deleted_ms || strcmp(in->state, "running") != 0) return 0;
    if (!(ds->workloads & (1u << in->workload))) return 0;
    if (ds->os_mask && !(ds->os_mask & (1u << in->os))) return 0;
    bool aws_api = ds->aws_service && strcmp(ds->aws_service, "AMAZON") == 0;
    /* without an instance profile nothing calls the AWS APIs (mirrors on S3 still serve) */
    if (aws_api && in->profile_role == RP_SIM_NONE) return 0;
    /* no public address and no NAT gateway: only AWS services (through VPC endpoints) */
    const char *egress = rp_sim_instance_egress_ip(w, inst);
    if (strcmp(egress, in->private_ip) == 0 && !ds->aws_service) return 0;
    struct rp_sim_rng r;
    rp_sim_rng_initf(&r, w->seed, "act/dest/i%u/d%zu/h%lld", inst, d,
                     (long long)(hour_ms / RP_TIME_MS_PER_HOUR));
    uint32_t diurnal = ds->port == 80 ? 1000 : rp_sim_act_diurnal(hour_ms, 0, false);
    uint32_t mean = ds->per_hour * diurnal / 1000;
    uint32_t n = rp_sim_rng_count(&r, rp_sim_act_mean(w, mean ? mean : 1));
    if (ds->per_hour <= 1 && !rp_sim_rng_chance(&r, 400)) n = 0;
    if (n > max) n = max;
    for (uint32_t k = 0; k < n; k++) {
        struct rp_sim_dest_conn *c = &out[k];
        c->t_ms = hour_ms + (int64_t)rp_sim_rng_below(&r, 3590) * 1000 + rp_sim_rng_below(&r, 1000);
        c->addr = rp_sim_rng_below(&r, 2);
        c->dur_s = 1 + rp_sim_rng_below(&r, 8);
        c->out_b = ds->bytes_out / 2 + rp_sim_rng_below64(&r, ds->bytes_out);
        c->in_b = ds->bytes_in / 2 + rp_sim_rng_below64(&r, ds->bytes_in);
    }
    return n;
}
