/* SPDX-License-Identifier: Apache-2.0 */
/* The benign look-alike benign-posture-compliant-changes (sim_scenarios.def, kind BENIGN): after
 * the learning period, configuration changes made by the same CloudTrail calls as the posture
 * scenarios (sim_scn_posture.c) but that keep the resource COMPLIANT under the Config rule the
 * posture twin breaks. Each change goes through a call plan whose hook changes the world and
 * notes it (rp_sim_world_changed), so the ConfigHistory item follows the CloudTrail record:
 *
 *   #1 LAMBDA_INSIDE_VPC: a function in a VPC moved to other subnets of the same VPC;
 *   #2 S3_BUCKET_PUBLIC_READ/WRITE_PROHIBITED: a new server-access-log bucket whose ACL grants
 *      the LogDelivery group WRITE and READ_ACP (not AllUsers);
 *   #3 INCOMING_SSH_DISABLED: a new security group allowing tcp/22 from 10.0.0.0/8 only;
 *   #4 RDS_STORAGE_ENCRYPTED, DB_INSTANCE_BACKUP_ENABLED: an RDS instance created encrypted
 *      with a customer-managed KMS key and 7 days of automated backups;
 *   #5 ACCESS_KEYS_ROTATED: a developer rotates an access key (a new key, the old one
 *      deactivated), seen in the next daily estate/ credential report. As an everyday act (in
 *      their working hours, from an address and with a tool they use), so in the first such
 *      hour after the scenario's slot rather than in it (never in a CloudTrail gap); skipped
 *      when no developer can.
 *
 * One truth line per change ("<id>#<n>", "expect":"none"), whose config_rules are the rules
 * that must stay COMPLIANT for the resources its entities name. Resources are new, or ones no
 * attack, posture or data scenario and no background rotation ever takes (see each picker). */
#include <string.h>

#include "sim/sim_internal.h"
#include "sim/sim_scn.h"
#include "core/rp_str.h"
#include "core/rp_banned.h"

#define MIN RP_SIM_SCN_MIN
#define SEC 1000LL
#define DAY RP_SIM_SCN_DAY

/* A stream of this scenario: "scn/<id>/<what>" (each look-alike draws from its own, so one that
 * cannot run changes nothing in the others). */
static void rng_of(const struct rp_sim_run *run, const struct rp_sim_scenario *self,
                   struct rp_sim_rng *r, const char *what)
{
    rp_sim_rng_initf(r, run->seed, "scn/%s/%s", self->id, what);
}

/* A call plan whose eventIDs come from "scn/<id>/ct/<what>" (plans of one scenario must not
 * share the default "scn/<id>/ct" stream). NULL on allocation failure. */
static struct rp_sim_scn_ctplan *plan_new(struct rp_sim_run *run,
                                          const struct rp_sim_scenario *self, const char *what)
{
    struct rp_sim_scn_ctplan *p = rp_sim_scn_ctplan_new(run, self);
    if (p) rp_sim_rng_initf(&p->r, run->seed, "scn/%s/ct/%s", self->id, what);
    return p;
}

/* User u acting from their usual address in region (RP_SIM_NONE: derived). */
static void actor_user(const struct rp_sim_run *run, struct rp_sim_scn_ctplan *p, uint32_t u,
                       uint32_t region, uint8_t *ai)
{
    const struct rp_sim_world *w = run->world;
    struct rp_sim_scn_actor *a = rp_sim_scn_actor_add(p, RP_SIM_CT_IAM_USER, u, ai);
    if (w->users[u].habits.nips) rp_strlcpy(a->ip, w->users[u].habits.ips[0], sizeof(a->ip));
    a->region = region;
}

static struct rp_sim_scn_call *call(struct rp_sim_run *run, struct rp_sim_scn_ctplan *p, uint8_t a,
                                    int64_t ts, const char *src, const char *name,
                                    const char *params, int tag)
{
    struct rp_sim_scn_call *c = rp_sim_scn_call_add(run, p, a, ts, src, name);
    c->params = params;
    c->tag = tag;
    return c;
}

static bool f_has_developer(const struct rp_sim_run *run, uint32_t acct)
{
    return rp_sim_scn_user_of(run->world, acct, RP_SIM_USER_DEVELOPER) != RP_SIM_NONE;
}

/* Truth line n of self: expect none, the rules that must stay COMPLIANT, the entities. */
static rp_err truth_line(struct rp_sim_run *run, const struct rp_sim_scenario *self, int n,
                         const char *const *rules, size_t nrules, const struct rp_sim_scn_list *ent,
                         int64_t start_ms, const char *note, struct rp_errbuf *eb)
{
    char id[128];
    rp_sim_fmt(id, sizeof(id), "%s#%d", self->id, n);
    struct rp_sim_truth t = {0};
    t.id = id;
    t.scenario = self->id;
    t.mitre = self->mitre;
    t.expect_none = true;
    t.config_rules = rules;
    t.nconfig_rules = nrules;
    t.entities = ent->p;
    t.nentities = ent->n;
    t.start_ms = start_ms;
    t.end_ms = run->end_ms;
    t.note = note;
    return rp_sim_truth_add(run, &t, eb);
}

/* A new pending ENI of account/region for use/owner in subnet (its address is given when it is
 * created: allocating at plan time would move the addresses of instances other scenarios
 * launch later in the same subnet). RP_SIM_NONE on allocation failure. */
static uint32_t eni_new(struct rp_sim_run *run, struct rp_sim_rng *r, uint32_t subnet,
                        enum rp_sim_eni_use use, uint32_t owner, const char *desc, const char *type,
                        const uint32_t *sgs, uint32_t nsgs)
{
    struct rp_sim_world *w = run->world;
    uint32_t ei = 0;
    struct rp_sim_eni *en = rp_sim_world_add(w, RP_SIM_K_ENI, &ei);
    if (!en) return RP_SIM_NONE;
    const struct rp_sim_subnet *sn = &w->subnets[subnet];
    en->res.acct = sn->res.acct;
    en->res.region = sn->res.region;
    en->res.created_ms = run->end_ms;
    en->res.deleted_ms = RP_SIM_SCN_PENDING;
    en->res.marks = RP_SIM_MARK_SCENARIO;
    rp_sim_id_ec2(r, "eni", en->res.id, sizeof(en->res.id));
    rp_sim_fmt(en->res.arn, sizeof(en->res.arn), "arn:aws:ec2:%s:%s:network-interface/%s",
               w->regions[sn->res.region], w->accounts[sn->res.acct].res.id, en->res.id);
    en->subnet = subnet;
    en->vpc = sn->vpc;
    en->use = use;
    en->owner = owner;
    char hx[11];
    rp_sim_rng_hex(r, hx, 10);
    rp_sim_fmt(en->mac, sizeof(en->mac), "0e:%c%c:%c%c:%c%c:%c%c:%c%c", hx[0], hx[1], hx[2], hx[3],
               hx[4], hx[5], hx[6], hx[7], hx[8], hx[9]);
    rp_strlcpy(en->description, desc, sizeof(en->description));
    rp_strlcpy(en->interface_type, type, sizeof(en->interface_type));
    en->requester_managed = true;
    for (uint32_t k = 0; k < nsgs && k < RP_SIM_MAX_SGS; k++) en->sgs[en->nsgs++] = sgs[k];
    return ei;
}

/* The pending ENI ei comes into existence at ts: an address of its subnet, then the creation. */
static rp_err eni_created(struct rp_sim_run *run, uint32_t ei, int64_t ts, const char *event_id,
                          struct rp_errbuf *eb)
{
    struct rp_sim_world *w = run->world;
    struct rp_sim_eni *en = &w->enis[ei];
    struct rp_sim_subnet *sn = &w->subnets[en->subnet];
    if (rp_sim_ip_in_cidr(sn->cidr, sn->next_host++, true, en->private_ip,
                          sizeof(en->private_ip)) != RP_OK)
        en->private_ip[0] = '\0';
    return rp_sim_scn_created(run, (struct rp_sim_ref){RP_SIM_K_ENI, ei}, ts, event_id, eb);
}

/* ---- #1 a Lambda function moved to other subnets of its VPC ---------------------------------- */

#define MAX_NEW_SUBNETS 2

struct fn_ctx {
    uint32_t fn;
    uint32_t subnets[MAX_NEW_SUBNETS];
    uint32_t enis[MAX_NEW_SUBNETS];
    uint32_t n;
};

static rp_err fn_hook(struct rp_sim_run *run, void *ctx, int tag, int64_t ts, const char *event_id,
                      struct rp_errbuf *eb)
{
    (void)tag;
    struct fn_ctx *c = ctx;
    struct rp_sim_world *w = run->world;
    /* Lambda creates the hyperplane interfaces of the new subnets, then releases the old ones */
    rp_err e = RP_OK;
    for (uint32_t i = 0; i < c->n && e == RP_OK; i++)
        e = eni_created(run, c->enis[i], ts, event_id, eb);
    struct rp_sim_lambda *l = &w->lambdas[c->fn];
    for (uint32_t i = 0; i < c->n; i++) l->subnets[i] = c->subnets[i];
    l->nsubnets = c->n;
    l->last_modified_ms = ts - ts % 1000;
    l->res.marks |= RP_SIM_MARK_SCENARIO;
    if (e == RP_OK)
        e = rp_sim_world_changed(run, (struct rp_sim_ref){RP_SIM_K_LAMBDA, c->fn}, ts,
                                 RP_SIM_CHANGE_UPDATE, event_id, eb);
    for (uint32_t i = 0; i < w->nenis && e == RP_OK; i++) {
        struct rp_sim_eni *en = &w->enis[i];
        if (en->use != RP_SIM_ENI_LAMBDA || en->owner != c->fn || en->res.deleted_ms) continue;
        bool fresh = false;
        for (uint32_t k = 0; k < c->n; k++) fresh |= c->enis[k] == i;
        if (fresh) continue;
        en->res.deleted_ms = ts;
        e = rp_sim_world_changed(run, (struct rp_sim_ref){RP_SIM_K_ENI, i}, ts,
                                 RP_SIM_CHANGE_DELETE, NULL, eb);
    }
    return e;
}

/* The filter of posture-lambda-outside-vpc (sim_scn_posture.c f_vpc_lambda). */
static bool f_posture_lambda(const struct rp_sim_run *run, uint32_t i, const void *arg)
{
    (void)arg;
    const struct rp_sim_lambda *l = &run->world->lambdas[i];
    return l->vpc != RP_SIM_NONE && f_has_developer(run, l->res.acct);
}

/* How many live subnets of the function's VPC it is not in. */
static uint32_t other_subnets(const struct rp_sim_run *run, uint32_t fn, uint32_t *out,
                              uint32_t max)
{
    const struct rp_sim_world *w = run->world;
    const struct rp_sim_lambda *l = &w->lambdas[fn];
    uint32_t n = 0;
    /* private subnets first (a function needs no internet gateway), then public ones */
    for (int pub = 0; pub < 2; pub++)
        for (uint32_t i = 0; i < w->nsubnets; i++) {
            const struct rp_sim_subnet *s = &w->subnets[i];
            if (s->vpc != l->vpc || s->public != (pub == 1) || s->res.deleted_ms ||
                s->res.created_ms > run->start_ms)
                continue;
            bool used = false;
            for (uint32_t k = 0; k < l->nsubnets; k++) used |= l->subnets[k] == i;
            if (used) continue;
            if (out && n < max) out[n] = i;
            n++;
        }
    return n;
}

/* A function in a VPC with other subnets, never the one posture-lambda-outside-vpc takes out
 * of its VPC: that scenario's pick is the first draw of its own stream, replayed here (arg). */
static bool f_movable_lambda(const struct rp_sim_run *run, uint32_t i, const void *arg)
{
    return i != *(const uint32_t *)arg && f_posture_lambda(run, i, NULL) &&
           other_subnets(run, i, NULL, 0) > 0;
}

static rp_err plan_fn(struct rp_sim_run *run, const struct rp_sim_scenario *self, int64_t t0,
                      struct rp_errbuf *eb)
{
    struct rp_sim_world *w = run->world;
    struct rp_sim_rng pr;
    rp_sim_rng_init(&pr, run->seed, "scn/posture-lambda-outside-vpc");
    uint32_t taken = rp_sim_scn_pick(run, RP_SIM_K_LAMBDA, &pr, f_posture_lambda, NULL);
    struct rp_sim_rng r;
    rng_of(run, self, &r, "lambda");
    uint32_t fn = rp_sim_scn_pick(run, RP_SIM_K_LAMBDA, &r, f_movable_lambda, &taken);
    if (fn == RP_SIM_NONE) return RP_OK;
    struct fn_ctx *c = rp_sim_scn_alloc(run, sizeof(*c));
    struct rp_sim_scn_ctplan *p = plan_new(run, self, "lambda");
    if (!c || !p) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    c->fn = fn;
    c->n = other_subnets(run, fn, c->subnets, MAX_NEW_SUBNETS);
    if (c->n > MAX_NEW_SUBNETS) c->n = MAX_NEW_SUBNETS;
    for (uint32_t i = 0; i < c->n; i++) {
        char uuid[RP_SIM_UUID_SZ], desc[96];
        rp_sim_rng_uuid(&r, uuid);
        rp_sim_fmt(desc, sizeof(desc), "AWS Lambda VPC ENI-%s-%s", w->lambdas[fn].res.name, uuid);
        uint32_t sgs[RP_SIM_MAX_SGS];
        uint32_t nsgs = w->lambdas[fn].nsgs;
        for (uint32_t k = 0; k < nsgs && k < RP_SIM_MAX_SGS; k++) sgs[k] = w->lambdas[fn].sgs[k];
        c->enis[i] =
            eni_new(run, &r, c->subnets[i], RP_SIM_ENI_LAMBDA, fn, desc, "lambda", sgs, nsgs);
        if (c->enis[i] == RP_SIM_NONE) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    }
    const struct rp_sim_lambda *l = &w->lambdas[fn];
    uint32_t dev = rp_sim_scn_user_of(w, l->res.acct, RP_SIM_USER_DEVELOPER);
    uint8_t a = 0;
    actor_user(run, p, dev, l->res.region, &a);
    p->hook = fn_hook;
    p->hook_ctx = c;
    char subnets[256] = "", sgs[256] = "", from[256] = "", to[256] = "";
    for (uint32_t i = 0; i < c->n; i++) {
        const struct rp_sim_subnet *s = &w->subnets[c->subnets[i]];
        size_t len = strlen(subnets);
        rp_sim_fmt(subnets + len, sizeof(subnets) - len, "%s\"%s\"", i ? "," : "", s->res.id);
        len = strlen(to);
        rp_sim_fmt(to + len, sizeof(to) - len, "%s%s (%s, %s)", i ? ", " : "", s->res.id,
                   s->public ? "public" : "private", s->az);
    }
    for (uint32_t i = 0; i < l->nsubnets; i++) {
        size_t len = strlen(from);
        rp_sim_fmt(from + len, sizeof(from) - len, "%s%s", i ? ", " : "",
                   w->subnets[l->subnets[i]].res.id);
    }
    for (uint32_t i = 0; i < l->nsgs; i++) {
        size_t len = strlen(sgs);
        rp_sim_fmt(sgs + len, sizeof(sgs) - len, "%s\"%s\"", i ? "," : "",
                   w->sgs[l->sgs[i]].res.id);
    }
    call(run, p, a, t0, "lambda.amazonaws.com", "GetFunctionConfiguration20150331v2",
         rp_sim_scn_printf(run, "{\"functionName\":\"%s\"}", l->res.name), 0);
    int64_t t1 = t0 + rp_sim_rng_range(&r, 40, 120) * SEC;
    struct rp_sim_scn_call *k =
        call(run, p, a, t1, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
             rp_sim_scn_printf(run,
                               "{\"functionName\":\"%s\",\"vpcConfig\":{\"subnetIds\":[%s],"
                               "\"securityGroupIds\":[%s]}}",
                               l->res.name, subnets, sgs),
             1);
    k->resp = rp_sim_scn_printf(run,
                                "{\"functionName\":\"%s\",\"functionArn\":\"%s\",\"runtime\":"
                                "\"%s\",\"vpcConfig\":{\"subnetIds\":[%s],\"securityGroupIds\":"
                                "[%s],\"vpcId\":\"%s\"},\"state\":\"Active\",\"lastUpdateStatus\":"
                                "\"InProgress\"}",
                                l->res.name, l->res.arn, l->runtime, subnets, sgs,
                                w->vpcs[l->vpc].res.id);
    t1 = k->ts;
    rp_err e = rp_sim_scn_ctplan_start(run, p, eb);
    if (e != RP_OK) return e;
    static const char *const cfg[] = {"LAMBDA_INSIDE_VPC"};
    struct rp_sim_scn_list ent = {0};
    rp_sim_scn_list_add(&ent, l->res.arn);
    rp_sim_scn_list_add(&ent, l->res.id);
    const char *note =
        rp_sim_scn_printf(run,
                          "a developer moves the function from subnets %s to subnets %s of the "
                          "same VPC %s: its vpcConfig keeps subnets and security groups, so it "
                          "stays inside the VPC; Lambda creates interfaces in the new subnets and "
                          "releases the old ones",
                          from, to, w->vpcs[l->vpc].res.id);
    return truth_line(run, self, 1, cfg, RP_ARRAY_LEN(cfg), &ent, t1, note, eb);
}

/* ---- #2 a server-access-log bucket granting the LogDelivery group --------------------------- */

struct bucket_ctx {
    uint32_t bucket;
};

static rp_err bucket_hook(struct rp_sim_run *run, void *ctx, int tag, int64_t ts,
                          const char *event_id, struct rp_errbuf *eb)
{
    struct bucket_ctx *c = ctx;
    struct rp_sim_ref ref = {RP_SIM_K_BUCKET, c->bucket};
    if (tag == 1) return rp_sim_scn_created(run, ref, ts, event_id, eb);
    run->world->buckets[c->bucket].acl_log_delivery = true;
    return rp_sim_world_changed(run, ref, ts, RP_SIM_CHANGE_UPDATE, event_id, eb);
}

static bool f_dev_account(const struct rp_sim_run *run, uint32_t i, const void *arg)
{
    (void)arg;
    return f_has_developer(run, i);
}

static rp_err plan_bucket(struct rp_sim_run *run, const struct rp_sim_scenario *self, int64_t t0,
                          struct rp_errbuf *eb)
{
    struct rp_sim_world *w = run->world;
    struct rp_sim_rng r;
    rng_of(run, self, &r, "bucket");
    uint32_t acct = rp_sim_scn_pick(run, RP_SIM_K_ACCOUNT, &r, f_dev_account, NULL);
    if (acct == RP_SIM_NONE) return RP_OK;
    struct bucket_ctx *c = rp_sim_scn_alloc(run, sizeof(*c));
    struct rp_sim_scn_ctplan *p = plan_new(run, self, "bucket");
    if (!c || !p) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    const struct rp_sim_account *ac = &w->accounts[acct];
    uint32_t region = ac->home_region;
    char sfx[7];
    rp_sim_rng_chars(&r, sfx, 6, RP_SIM_ALPHA_LOWER);
    uint32_t bi = 0;
    struct rp_sim_bucket *b = rp_sim_world_add(w, RP_SIM_K_BUCKET, &bi);
    if (!b) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    ac = &w->accounts[acct];
    b->res.acct = acct;
    b->res.region = region;
    b->res.created_ms = run->end_ms;
    b->res.deleted_ms = RP_SIM_SCN_PENDING;
    b->res.marks = RP_SIM_MARK_SCENARIO;
    rp_sim_fmt(b->res.id, sizeof(b->res.id), "%s-%s-access-logs-%s", w->company, ac->role_label,
               sfx);
    rp_strlcpy(b->res.name, b->res.id, sizeof(b->res.name));
    rp_sim_fmt(b->res.arn, sizeof(b->res.arn), "arn:aws:s3:::%s", b->res.id);
    /* a log archive (no side documents), with no bucket policy: log delivery goes by the ACL */
    b->purpose = RP_SIM_BUCKET_LOGS;
    b->policy_override = "";
    b->bpa_set = true;
    for (int i = 0; i < 4; i++) b->bpa[i] = true;
    b->sse = RP_SIM_SSE_S3;
    b->kms = RP_SIM_NONE;
    b->versioning = RP_SIM_VERSIONING_OFF;
    b->log_target = RP_SIM_NONE;
    rp_sim_res_set_tag(&b->res, "env", ac->role_label);
    rp_sim_res_set_tag(&b->res, "purpose", "s3-access-logs");
    c->bucket = bi;
    uint32_t dev = rp_sim_scn_user_of(w, acct, RP_SIM_USER_DEVELOPER);
    uint8_t a = 0;
    actor_user(run, p, dev, region, &a);
    p->hook = bucket_hook;
    p->hook_ctx = c;
    b = &w->buckets[bi];
    const char *host =
        rp_sim_scn_printf(run, "%s.s3.%s.amazonaws.com", b->res.name, w->regions[region]);
    char owner[65];
    rp_sim_s3_canonical_id(w, acct, owner);
    int64_t t = t0 + rp_sim_rng_range(&r, 0, 20) * SEC;
    struct rp_sim_scn_call *k =
        call(run, p, a, t, "s3.amazonaws.com", "CreateBucket",
             rp_sim_scn_printf(run,
                               "{\"bucketName\":\"%s\",\"Host\":\"%s\","
                               "\"x-amz-object-ownership\":\"BucketOwnerPreferred\"}",
                               b->res.name, host),
             1);
    k->region = region;
    t += rp_sim_rng_range(&r, 30, 90) * SEC;
    k = call(run, p, a, t, "s3.amazonaws.com", "PutBucketAcl",
             rp_sim_scn_printf(
                 run,
                 "{\"bucketName\":\"%s\",\"Host\":\"%s\",\"acl\":\"\",\"AccessControlPolicy\":{"
                 "\"AccessControlList\":{\"Grant\":[{\"Grantee\":{\"xsi:type\":\"CanonicalUser\","
                 "\"ID\":\"%s\",\"xmlns:xsi\":\"http://www.w3.org/2001/XMLSchema-instance\"},"
                 "\"Permission\":\"FULL_CONTROL\"},{\"Grantee\":{\"xsi:type\":\"Group\",\"URI\":"
                 "\"http://acs.amazonaws.com/groups/s3/LogDelivery\",\"xmlns:xsi\":\"http://"
                 "www.w3.org/2001/XMLSchema-instance\"},\"Permission\":\"WRITE\"},{\"Grantee\":"
                 "{\"xsi:type\":\"Group\",\"URI\":\"http://acs.amazonaws.com/groups/s3/"
                 "LogDelivery\",\"xmlns:xsi\":\"http://www.w3.org/2001/XMLSchema-instance\"},"
                 "\"Permission\":\"READ_ACP\"}]},\"xmlns\":\"http://s3.amazonaws.com/doc/"
                 "2006-03-01/\",\"Owner\":{\"ID\":\"%s\"}}}",
                 b->res.name, host, owner, owner),
             2);
    k->region = region;
    int64_t t_acl = k->ts;
    const char *barn = rp_sim_scn_dup(run, b->res.arn), *bacct = rp_sim_scn_dup(run, ac->res.id);
    for (uint32_t i = 0; i < p->ncalls; i++) {
        p->calls[i].res_type[0] = "AWS::S3::Bucket";
        p->calls[i].res_arn[0] = barn;
        p->calls[i].res_acct[0] = bacct;
        p->calls[i].nres = 1;
    }
    rp_err e = rp_sim_scn_ctplan_start(run, p, eb);
    if (e != RP_OK) return e;
    static const char *const cfg[] = {"S3_BUCKET_PUBLIC_READ_PROHIBITED",
                                      "S3_BUCKET_PUBLIC_WRITE_PROHIBITED"};
    struct rp_sim_scn_list ent = {0};
    rp_sim_scn_list_add(&ent, b->res.arn);
    rp_sim_scn_list_add(&ent, b->res.id);
    const char *note = rp_sim_scn_printf(
        run,
        "a developer creates a bucket for S3 server access logs at %s and grants the LogDelivery "
        "group (http://acs.amazonaws.com/groups/s3/LogDelivery) WRITE and READ_ACP through its "
        "ACL: a group grant with WRITE, but neither AllUsers nor AuthenticatedUsers, so the "
        "bucket is neither publicly readable nor writable (Block Public Access stays on)",
        host);
    return truth_line(run, self, 2, cfg, RP_ARRAY_LEN(cfg), &ent, t_acl, note, eb);
}

/* ---- #3 a security group with SSH from the private range only -------------------------------- */

#define SSH_CIDR "10.0.0.0/8"

struct sg_ctx {
    uint32_t sg;
};

static rp_err sg_hook(struct rp_sim_run *run, void *ctx, int tag, int64_t ts, const char *event_id,
                      struct rp_errbuf *eb)
{
    struct sg_ctx *c = ctx;
    struct rp_sim_ref ref = {RP_SIM_K_SG, c->sg};
    if (tag == 1) return rp_sim_scn_created(run, ref, ts, event_id, eb);
    if (!rp_sim_scn_sg_allow(run, c->sg, 6, 22, 22, SSH_CIDR, "SSH from the corporate network"))
        return RP_OK;
    return rp_sim_world_changed(run, ref, ts, RP_SIM_CHANGE_UPDATE, event_id, eb);
}

static bool f_dev_vpc(const struct rp_sim_run *run, uint32_t i, const void *arg)
{
    (void)arg;
    const struct rp_sim_vpc *v = &run->world->vpcs[i];
    return !v->is_default && f_has_developer(run, v->res.acct);
}

static rp_err plan_sg(struct rp_sim_run *run, const struct rp_sim_scenario *self, int64_t t0,
                      struct rp_errbuf *eb)
{
    struct rp_sim_world *w = run->world;
    struct rp_sim_rng r;
    rng_of(run, self, &r, "sg");
    uint32_t vpc = rp_sim_scn_pick(run, RP_SIM_K_VPC, &r, f_dev_vpc, NULL);
    if (vpc == RP_SIM_NONE) return RP_OK;
    struct sg_ctx *c = rp_sim_scn_alloc(run, sizeof(*c));
    struct rp_sim_scn_ctplan *p = plan_new(run, self, "sg");
    if (!c || !p) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    c->sg = rp_sim_scn_sg_new(run, &r, vpc, "ssh-from-corp", "SSH from the corporate network");
    if (c->sg == RP_SIM_NONE) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    const struct rp_sim_vpc *v = &w->vpcs[vpc];
    const struct rp_sim_sg *g = &w->sgs[c->sg];
    uint32_t dev = rp_sim_scn_user_of(w, v->res.acct, RP_SIM_USER_DEVELOPER);
    uint8_t a = 0;
    actor_user(run, p, dev, v->res.region, &a);
    p->hook = sg_hook;
    p->hook_ctx = c;
    int64_t t = t0 + rp_sim_rng_range(&r, 0, 20) * SEC;
    struct rp_sim_scn_call *k =
        call(run, p, a, t, "ec2.amazonaws.com", "CreateSecurityGroup",
             rp_sim_scn_printf(
                 run, "{\"groupName\":\"%s\",\"groupDescription\":\"%s\",\"vpcId\":\"%s\"}",
                 g->res.name, g->description, v->res.id),
             1);
    k->resp = rp_sim_scn_printf(run, "{\"_return\":true,\"groupId\":\"%s\"}", g->res.id);
    t += rp_sim_rng_range(&r, 20, 60) * SEC;
    k = call(run, p, a, t, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress",
             rp_sim_scn_printf(run,
                               "{\"groupId\":\"%s\",\"ipPermissions\":{\"items\":[{\"ipProtocol\":"
                               "\"tcp\",\"fromPort\":22,\"toPort\":22,\"groups\":{},\"ipRanges\":{"
                               "\"items\":[{\"cidrIp\":\"" SSH_CIDR
                               "\",\"description\":\"SSH from the corporate network\"}]},"
                               "\"ipv6Ranges\":{},\"prefixListIds\":{}}]}}",
                               g->res.id),
             2);
    k->resp = "{\"_return\":true}";
    int64_t t_rule = k->ts;
    rp_err e = rp_sim_scn_ctplan_start(run, p, eb);
    if (e != RP_OK) return e;
    static const char *const cfg[] = {"INCOMING_SSH_DISABLED"};
    struct rp_sim_scn_list ent = {0};
    rp_sim_scn_list_add(&ent, g->res.arn);
    rp_sim_scn_list_add(&ent, g->res.id);
    const char *note = rp_sim_scn_printf(run,
                                         "a developer creates a security group in %s (%s) that "
                                         "allows tcp/22 from " SSH_CIDR
                                         " only (the corporate network over the VPN), never from "
                                         "0.0.0.0/0 or ::/0",
                                         v->res.id, v->cidr);
    return truth_line(run, self, 3, cfg, RP_ARRAY_LEN(cfg), &ent, t_rule, note, eb);
}

/* ---- #4 an RDS instance created encrypted, with automated backups ---------------------------- */

struct db_ctx {
    uint32_t db;
    uint32_t eni;
};

static rp_err db_hook(struct rp_sim_run *run, void *ctx, int tag, int64_t ts, const char *event_id,
                      struct rp_errbuf *eb)
{
    (void)tag;
    struct db_ctx *c = ctx;
    rp_err e = eni_created(run, c->eni, ts, event_id, eb);
    if (e != RP_OK) return e;
    return rp_sim_scn_created(run, (struct rp_sim_ref){RP_SIM_K_DB_INSTANCE, c->db}, ts, event_id,
                              eb);
}

/* The filter of posture-rds-unencrypted-no-backups (sim_scn_posture.c f_single_db): a template
 * for the placement only, never changed. */
static bool f_single_db(const struct rp_sim_run *run, uint32_t i, const void *arg)
{
    (void)arg;
    const struct rp_sim_db_instance *d = &run->world->db_instances[i];
    return d->cluster == RP_SIM_NONE && d->nsubnets > 0 && f_has_developer(run, d->res.acct);
}

/* The account's customer-managed data key in region (else any enabled customer key there). */
static uint32_t data_key(const struct rp_sim_world *w, uint32_t acct, uint32_t region)
{
    uint32_t any = RP_SIM_NONE;
    for (uint32_t i = 0; i < w->nkms_keys; i++) {
        const struct rp_sim_kms_key *k = &w->kms_keys[i];
        if (k->res.acct != acct || k->res.region != region || !k->customer_managed ||
            k->res.deleted_ms || strcmp(k->state, "Enabled") != 0)
            continue;
        size_t n = strlen(k->alias);
        if (n > 5 && strcmp(k->alias + n - 5, "-data") == 0) return i;
        if (any == RP_SIM_NONE) any = i;
    }
    return any;
}

static rp_err plan_db(struct rp_sim_run *run, const struct rp_sim_scenario *self, int64_t t0,
                      struct rp_errbuf *eb)
{
    struct rp_sim_world *w = run->world;
    struct rp_sim_rng r;
    rng_of(run, self, &r, "rds");
    uint32_t tpl = rp_sim_scn_pick(run, RP_SIM_K_DB_INSTANCE, &r, f_single_db, NULL);
    if (tpl == RP_SIM_NONE) return RP_OK;
    uint32_t kms = data_key(w, w->db_instances[tpl].res.acct, w->db_instances[tpl].res.region);
    char name[RP_SIM_NAME_SZ];
    rp_sim_fmt(name, sizeof(name), "%s-reporting-v2",
               w->accounts[w->db_instances[tpl].res.acct].role_label);
    if (kms == RP_SIM_NONE || rp_sim_world_find(w, RP_SIM_K_DB_INSTANCE, name) != RP_SIM_NONE)
        return RP_OK;
    struct db_ctx *c = rp_sim_scn_alloc(run, sizeof(*c));
    struct rp_sim_scn_ctplan *p = plan_new(run, self, "rds");
    if (!c || !p) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    uint32_t di = 0;
    struct rp_sim_db_instance *d = rp_sim_world_add(w, RP_SIM_K_DB_INSTANCE, &di);
    if (!d) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    const struct rp_sim_db_instance *tp = &w->db_instances[tpl];
    *d = *tp;
    const char *rn = w->regions[tp->res.region], *aid = w->accounts[tp->res.acct].res.id;
    d->res.created_ms = run->end_ms;
    d->res.deleted_ms = RP_SIM_SCN_PENDING;
    d->res.marks = RP_SIM_MARK_SCENARIO;
    d->res.ntags = 0;
    char rid[27], h12[13];
    rp_sim_rng_chars(&r, rid, 26, RP_SIM_ALPHA_UPPER);
    rp_sim_fmt(d->res.id, sizeof(d->res.id), "db-%s", rid);
    rp_strlcpy(d->res.name, name, sizeof(d->res.name));
    rp_sim_fmt(d->res.arn, sizeof(d->res.arn), "arn:aws:rds:%s:%s:db:%s", rn, aid, d->res.name);
    rp_strlcpy(d->engine, "mysql", sizeof(d->engine));
    rp_strlcpy(d->engine_version, "8.0.35", sizeof(d->engine_version));
    rp_strlcpy(d->instance_class, "db.t3.medium", sizeof(d->instance_class));
    d->encrypted = true;
    d->kms = kms;
    d->backup_days = 7;
    d->publicly_accessible = false;
    d->multi_az = false;
    rp_sim_rng_chars(&r, h12, 12, RP_SIM_ALPHA_LOWER);
    rp_sim_fmt(d->endpoint, sizeof(d->endpoint), "%s.%s.%s.rds.amazonaws.com", d->res.name, h12,
               rn);
    d->port = 3306;
    d->cluster = RP_SIM_NONE;
    d->deletion_protection = false;
    d->iam_auth = false;
    d->storage_gb = 100;
    rp_strlcpy(d->master_user, "admin", sizeof(d->master_user));
    rp_sim_res_set_tag(&d->res, "env", w->accounts[tp->res.acct].role_label);
    rp_sim_res_set_tag(&d->res, "purpose", "reporting");
    uint32_t sgs[RP_SIM_MAX_SGS];
    uint32_t nsgs = d->nsgs < RP_SIM_MAX_SGS ? d->nsgs : RP_SIM_MAX_SGS;
    for (uint32_t k = 0; k < nsgs; k++) sgs[k] = d->sgs[k];
    uint32_t ei = eni_new(run, &r, d->subnets[0], RP_SIM_ENI_RDS, di, "RDSNetworkInterface",
                          "interface", sgs, nsgs);
    if (ei == RP_SIM_NONE) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    d = &w->db_instances[di];
    d->eni = ei;
    c->db = di;
    c->eni = ei;
    const char *kms_arn = rp_sim_scn_dup(run, w->kms_keys[kms].res.arn);
    uint32_t dev = rp_sim_scn_user_of(w, d->res.acct, RP_SIM_USER_DEVELOPER);
    uint8_t a = 0;
    actor_user(run, p, dev, d->res.region, &a);
    p->hook = db_hook;
    p->hook_ctx = c;
    int64_t t = t0 + rp_sim_rng_range(&r, 0, 20) * SEC;
    call(run, p, a, t, "rds.amazonaws.com", "DescribeDBSubnetGroups", NULL, 0);
    t += rp_sim_rng_range(&r, 30, 120) * SEC;
    struct rp_sim_scn_call *k =
        call(run, p, a, t, "rds.amazonaws.com", "CreateDBInstance",
             rp_sim_scn_printf(
                 run,
                 "{\"dBInstanceIdentifier\":\"%s\",\"allocatedStorage\":100,"
                 "\"dBInstanceClass\":\"db.t3.medium\",\"engine\":\"mysql\","
                 "\"masterUsername\":\"admin\",\"masterUserPassword\":\"HIDDEN_DUE_TO_"
                 "SECURITY_REASONS\",\"vpcSecurityGroupIds\":[\"%s\"],"
                 "\"dBSubnetGroupName\":\"%s\",\"backupRetentionPeriod\":7,"
                 "\"multiAZ\":false,\"engineVersion\":\"8.0.35\","
                 "\"publiclyAccessible\":false,\"storageEncrypted\":true,"
                 "\"kmsKeyId\":\"%s\"}",
                 d->res.name, d->nsgs ? w->sgs[d->sgs[0]].res.id : "", d->subnet_group, kms_arn),
             1);
    k->resp = rp_sim_scn_printf(run,
                                "{\"dBInstanceIdentifier\":\"%s\",\"dBInstanceClass\":"
                                "\"db.t3.medium\",\"engine\":\"mysql\",\"dBInstanceStatus\":"
                                "\"creating\",\"backupRetentionPeriod\":7,\"storageEncrypted\":"
                                "true,\"kmsKeyId\":\"%s\",\"dbiResourceId\":\"%s\","
                                "\"dBInstanceArn\":\"%s\"}",
                                d->res.name, kms_arn, d->res.id, d->res.arn);
    int64_t t_create = k->ts;
    rp_err e = rp_sim_scn_ctplan_start(run, p, eb);
    if (e != RP_OK) return e;
    static const char *const cfg[] = {"RDS_STORAGE_ENCRYPTED", "DB_INSTANCE_BACKUP_ENABLED"};
    struct rp_sim_scn_list ent = {0};
    rp_sim_scn_list_add(&ent, d->res.arn);
    rp_sim_scn_list_add(&ent, d->res.id);
    const char *note = rp_sim_scn_printf(run,
                                         "a MySQL instance created by hand like the posture "
                                         "twin's, but with storageEncrypted true (KMS key %s) "
                                         "and backupRetentionPeriod 7",
                                         kms_arn);
    return truth_line(run, self, 4, cfg, RP_ARRAY_LEN(cfg), &ent, t_create, note, eb);
}

/* ---- #5 a developer rotates an access key ---------------------------------------------------- */

/* The background rotation (sim_config.c) takes developers' keys older than this. */
#define BACKGROUND_ROTATION_AGE (45 * DAY)

struct key_ctx {
    uint32_t user;
    char key[24];
};

static rp_err key_hook(struct rp_sim_run *run, void *ctx, int tag, int64_t ts, const char *event_id,
                       struct rp_errbuf *eb)
{
    struct key_ctx *c = ctx;
    struct rp_sim_user *u = &run->world->users[c->user];
    if (tag == 1 && u->nkeys == 1) {
        struct rp_sim_access_key *k = &u->keys[1];
        memset(k, 0, sizeof(*k));
        rp_strlcpy(k->id, c->key, sizeof(k->id));
        k->created_ms = ts - ts % 1000;
        k->active = true;
        u->nkeys = 2;
    } else if (tag == 2) {
        u->keys[0].active = false;
    }
    u->res.marks |= RP_SIM_MARK_SCENARIO;
    return rp_sim_world_changed(run, (struct rp_sim_ref){RP_SIM_K_USER, c->user}, ts,
                                RP_SIM_CHANGE_UPDATE, event_id, eb);
}

static bool human(enum rp_sim_user_kind k)
{
    return k == RP_SIM_USER_ADMIN || k == RP_SIM_USER_DEVELOPER || k == RP_SIM_USER_READONLY ||
           k == RP_SIM_USER_SECURITY || k == RP_SIM_USER_DATA;
}

/* Whether ct-persistence-access-keys-for-others may give user i a key: its targets are the
 * account's service user and the first users with a free key slot (the first human other than
 * an admin, else the first user other than the caller), so the first two users with a free
 * slot and the first such human are out. */
static bool persistence_target(const struct rp_sim_world *w, uint32_t i)
{
    uint32_t acct = w->users[i].res.acct, nfree = 0;
    bool human_seen = false;
    for (uint32_t k = 0; k < w->nusers; k++) {
        const struct rp_sim_user *o = &w->users[k];
        if (o->res.acct != acct || o->nkeys >= 2 || o->res.deleted_ms) continue;
        bool first_human = !human_seen && human(o->kind) && o->kind != RP_SIM_USER_ADMIN;
        human_seen |= first_human;
        if (k == i) return nfree < 2 || first_human;
        nfree++;
    }
    return false;
}

/* Whether an hour starting at from (hours of [from, from + 1 h) lie in one slot or the next)
 * falls in the slot, or the slot after it, of a scenario that stops CloudTrail delivery for a
 * few minutes: calls there would leave no record. The slots are rp_sim_scn_when's. */
static bool in_trail_gap(const struct rp_sim_run *run, int64_t from)
{
    static const char *const gaps[] = {"ct-cloudtrail-stop-logging", "ct-cloudtrail-trail-deleted"};
    size_t n = 0;
    while (rp_sim_scenarios[n]) n++;
    int64_t lo = run->attack_ms + MIN, hi = run->end_ms - MIN;
    if (!n || hi <= lo) return false;
    int64_t len = (hi - lo) / (int64_t)n;
    for (size_t k = 0; k < n; k++) {
        const struct rp_sim_scenario *s = rp_sim_scenarios[k];
        bool gap = false;
        for (size_t g = 0; g < RP_ARRAY_LEN(gaps); g++) gap |= strcmp(s->id, gaps[g]) == 0;
        struct rp_sim_rng none;
        rp_sim_rng_init(&none, run->seed, "unused");
        int64_t start = 0; /* a whole slot long: no jitter, the slot's start */
        if (!gap || !rp_sim_scn_when(run, s, &none, len, &start)) continue;
        if (from + RP_SIM_SCN_HOUR > start && from < start + 2 * len) return true;
    }
    return false;
}

/* The address developer i rotates from in the hour starting at h as an everyday act, or NULL
 * when the hour is not one: so that a behavioural baseline (GuardDuty's
 * Persistence:IAMUser/AnomalousBehavior: CreateAccessKey is a new API for them) has nothing
 * else unusual to go on, it is one of their working hours, the address is one they used on a
 * working day of the learning period (the address of the day when it is one, else the one of
 * the last such day: people move between home and office) and the user agent is their usual
 * one (the default); and the key is still young enough that the background rotation never
 * took it. Borrowed from the world. */
static const char *everyday_ip(const struct rp_sim_run *run, uint32_t i, int64_t h)
{
    const struct rp_sim_world *w = run->world;
    const struct rp_sim_user *u = &w->users[i];
    if (!rp_sim_habits_active(&u->habits, h) ||
        h + RP_SIM_SCN_HOUR - u->keys[0].created_ms > BACKGROUND_ROTATION_AGE)
        return NULL;
    struct rp_sim_ct_who who;
    memset(&who, 0, sizeof(who));
    who.kind = RP_SIM_CT_IAM_USER;
    who.idx = i;
    const char *today = rp_sim_ct_who_ip(w, &who, h), *last = NULL;
    for (int64_t day = run->start_ms; today && day < run->attack_ms; day += DAY) {
        bool worked = false;
        for (int64_t t = day; t < day + DAY && !worked; t += RP_SIM_SCN_HOUR)
            worked = rp_sim_habits_active(&u->habits, t);
        const char *learned = worked ? rp_sim_ct_who_ip(w, &who, day + DAY / 2) : NULL;
        if (learned && strcmp(learned, today) == 0) return today;
        if (learned) last = learned;
    }
    return last;
}

/* The first hour from t0 on (ending before the end of the run) in which developer i can rotate
 * as an everyday act, outside the CloudTrail gaps, and the address then; false when none. */
static bool rotation_hour(const struct rp_sim_run *run, uint32_t i, int64_t t0, int64_t *out,
                          const char **ip)
{
    int64_t h = t0 - t0 % RP_SIM_SCN_HOUR + RP_SIM_SCN_HOUR;
    for (; h + RP_SIM_SCN_HOUR <= run->end_ms; h += RP_SIM_SCN_HOUR) {
        const char *a = everyday_ip(run, i, h);
        if (a && !in_trail_gap(run, h)) {
            *out = h;
            if (ip) *ip = a;
            return true;
        }
    }
    return false;
}

/* A developer with one active key who is not the account's first developer (the actor of other
 * scenarios) nor a possible target of ct-persistence-access-keys-for-others, and who can rotate
 * as an everyday act from *arg (t0) on. Other scenarios leak or reactivate keys of people who
 * are not developers only. */
static bool f_rotating_dev(const struct rp_sim_run *run, uint32_t i, const void *arg)
{
    const struct rp_sim_world *w = run->world;
    const struct rp_sim_user *u = &w->users[i];
    int64_t h = 0;
    return u->kind == RP_SIM_USER_DEVELOPER && u->nkeys == 1 && u->keys[0].active &&
           rp_sim_scn_user_of(w, u->res.acct, RP_SIM_USER_DEVELOPER) != i &&
           !persistence_target(w, i) && rotation_hour(run, i, *(const int64_t *)arg, &h, NULL);
}

static rp_err plan_key(struct rp_sim_run *run, const struct rp_sim_scenario *self, int64_t t0,
                       struct rp_errbuf *eb)
{
    struct rp_sim_world *w = run->world;
    struct rp_sim_rng r;
    rng_of(run, self, &r, "key");
    uint32_t user = rp_sim_scn_pick(run, RP_SIM_K_USER, &r, f_rotating_dev, &t0);
    int64_t hour = 0;
    const char *ip = NULL;
    if (user == RP_SIM_NONE || !rotation_hour(run, user, t0, &hour, &ip)) return RP_OK;
    /* in the developer's next working hour: the calls below take at most 3 min 20 s */
    t0 = hour + rp_sim_rng_range(&r, 5 * 60, 40 * 60) * SEC;
    struct key_ctx *c = rp_sim_scn_alloc(run, sizeof(*c));
    struct rp_sim_scn_ctplan *p = plan_new(run, self, "key");
    if (!c || !p) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    c->user = user;
    rp_sim_id_iam(&r, "AKIA", c->key, sizeof(c->key));
    const struct rp_sim_user *u = &w->users[user];
    char old[24];
    rp_strlcpy(old, u->keys[0].id, sizeof(old));
    int64_t old_created = u->keys[0].created_ms;
    /* from the address found above, with the usual user agent (the default) */
    uint8_t a = 0;
    struct rp_sim_scn_actor *ac = rp_sim_scn_actor_add(p, RP_SIM_CT_IAM_USER, user, &a);
    rp_strlcpy(ac->ip, ip, sizeof(ac->ip));
    p->hook = key_hook;
    p->hook_ctx = c;
    const char *pu = rp_sim_scn_printf(run, "{\"userName\":\"%s\"}", u->res.name);
    int64_t t = t0 + rp_sim_rng_range(&r, 0, 20) * SEC;
    call(run, p, a, t, "iam.amazonaws.com", "ListAccessKeys", pu, 0);
    t += rp_sim_rng_range(&r, 20, 60) * SEC;
    char when[40];
    rp_sim_iso_s(t - t % 1000, when, sizeof(when));
    struct rp_sim_scn_call *k = call(run, p, a, t, "iam.amazonaws.com", "CreateAccessKey", pu, 1);
    k->resp = rp_sim_scn_printf(run,
                                "{\"accessKey\":{\"userName\":\"%s\",\"accessKeyId\":\"%s\","
                                "\"status\":\"Active\",\"createDate\":\"%s\"}}",
                                u->res.name, c->key, when);
    int64_t t_new = k->ts;
    t += rp_sim_rng_range(&r, 30, 120) * SEC;
    call(run, p, a, t, "iam.amazonaws.com", "UpdateAccessKey",
         rp_sim_scn_printf(run,
                           "{\"userName\":\"%s\",\"accessKeyId\":\"%s\",\"status\":\"Inactive\"}",
                           u->res.name, old),
         2);
    rp_err e = rp_sim_scn_ctplan_start(run, p, eb);
    if (e != RP_OK) return e;
    static const char *const cfg[] = {"ACCESS_KEYS_ROTATED"};
    struct rp_sim_scn_list ent = {0};
    rp_sim_scn_list_add(&ent, u->res.arn);
    rp_sim_scn_list_add(&ent, u->res.id);
    rp_sim_scn_list_add(&ent, c->key);
    rp_sim_scn_list_add(&ent, old);
    const char *note = rp_sim_scn_printf(
        run,
        "a developer rotates their access key in their working hours, from their usual address "
        "and tool: CreateAccessKey, then UpdateAccessKey of the %lld-day-old key to Inactive (the "
        "calls of the 200-day posture twin, but every active key stays younger than 90 days; the "
        "estate/ credential report shows access_key_1_active false and access_key_2_active true "
        "from the next day)",
        (long long)((t_new - old_created) / DAY));
    return truth_line(run, self, 5, cfg, RP_ARRAY_LEN(cfg), &ent, t_new, note, eb);
}

/* ---- the scenario --------------------------------------------------------------------------- */

static rp_err plan_compliant(struct rp_sim_run *run, const struct rp_sim_scenario *self,
                             struct rp_errbuf *eb)
{
    struct rp_sim_rng r;
    rp_sim_rng_initf(&r, run->seed, "scn/%s", self->id);
    int64_t t0 = 0;
    if (!rp_sim_scn_when(run, self, &r, 12 * MIN, &t0)) return RP_OK;
    /* four changes two minutes apart in the slot, each at most about three and a half minutes
       long; the key rotation waits for the developer's next working hour */
    rp_err e = plan_fn(run, self, t0, eb);
    if (e == RP_OK) e = plan_bucket(run, self, t0 + 2 * MIN, eb);
    if (e == RP_OK) e = plan_sg(run, self, t0 + 4 * MIN, eb);
    if (e == RP_OK) e = plan_db(run, self, t0 + 6 * MIN, eb);
    if (e == RP_OK) e = plan_key(run, self, t0 + 8 * MIN, eb);
    return e;
}

const struct rp_sim_scenario rp_sim_scn_benign_posture_compliant_changes = {
    .id = "benign-posture-compliant-changes",
    .summary = "changes shaped like the posture scenarios' that keep every Config rule compliant",
    .kind = RP_SIM_SCN_BENIGN,
    .mitre = NULL,
    .plan = plan_compliant,
    .expects =
        RP_SIM_EXPECTS("Config:LAMBDA_INSIDE_VPC?", "Config:S3_BUCKET_PUBLIC_READ_PROHIBITED?",
                       "Config:S3_BUCKET_PUBLIC_WRITE_PROHIBITED?", "Config:INCOMING_SSH_DISABLED?",
                       "Config:RDS_STORAGE_ENCRYPTED?", "Config:DB_INSTANCE_BACKUP_ENABLED?",
                       "Config:ACCESS_KEYS_ROTATED?", "none"),
};
