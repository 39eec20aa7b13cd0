/* SPDX-License-Identifier: Apache-2.0 */
/* Posture scenarios (sim_scenarios.def): misconfigurations made after the learning period,
 * each by the CloudTrail call that AWS would log for it, so the change shows both in the trail
 * and in the Config history (or the daily estate/ IAM files for account-level settings):
 *
 *   SSH open to the world on a new, internet-reachable instance with a vulnerable OpenSSH,
 *   an RDS instance created unencrypted and without automated backups, a Lambda function taken
 *   out of its VPC, a bucket made publicly readable through its ACL, root MFA removed, a
 *   200-day-old access key reactivated, VGW route propagation disabled on a route table, and
 *   account-level S3 Block Public Access turned off.
 *
 * Truth lists the Config rule identifiers (aws-facts §5.3), GuardDuty types where GuardDuty
 * reports the change too, CVE ids from the side package data, and Trusted Advisor / Inspector
 * expectations in the note. */
#include <string.h>

#include "sim/sim_internal.h"
#include "sim/sim_scn.h"
#include "core/rp_str.h"
#include "core/rp_banned.h"

#define MIN RP_SIM_SCN_MIN
#define SEC 1000LL

#define LIST(t, field, arr)                                                                        \
    do {                                                                                           \
        (t).field = (arr);                                                                         \
        (t).n##field = RP_ARRAY_LEN(arr);                                                          \
    } while (0)

static void rng_of(const struct rp_sim_run *run, const struct rp_sim_scenario *self,
                   struct rp_sim_rng *r)
{
    rp_sim_rng_initf(r, run->seed, "scn/%s", self->id);
}

/* A person of account acct acting from a usual address: the first user of kind k (else an
 * admin). */
static struct rp_sim_scn_actor *person(const struct rp_sim_run *run, struct rp_sim_scn_ctplan *p,
                                       uint32_t acct, enum rp_sim_user_kind k, uint32_t region,
                                       uint8_t *ai, uint32_t *user)
{
    const struct rp_sim_world *w = run->world;
    uint32_t u = rp_sim_scn_user_of(w, acct, k);
    if (u == RP_SIM_NONE) u = rp_sim_scn_user_of(w, acct, RP_SIM_USER_ADMIN);
    if (u == RP_SIM_NONE) return NULL;
    struct rp_sim_scn_actor *a = rp_sim_scn_actor_add(p, RP_SIM_CT_IAM_USER, u, ai);
    if (w->users[u].habits.nips) rp_strlcpy(a->ip, w->users[u].habits.ips[0], sizeof(a->ip));
    a->region = region;
    if (user) *user = u;
    return a;
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

static bool f_account_has(const struct rp_sim_run *run, uint32_t i, const void *arg)
{
    return rp_sim_scn_user_of(run->world, i, *(const enum rp_sim_user_kind *)arg) != RP_SIM_NONE;
}

/* ---- posture-ssh-open-vulnerable-openssh ----------------------------------------------------- */

struct jump_ctx {
    uint32_t inst, sg;
    uint32_t twin; /* the private twin, or RP_SIM_NONE */
};

static rp_err jump_hook(struct rp_sim_run *run, void *ctx, int tag, int64_t ts,
                        const char *event_id, struct rp_errbuf *eb)
{
    struct jump_ctx *c = ctx;
    if (tag == 1)
        return rp_sim_scn_created(run, (struct rp_sim_ref){RP_SIM_K_SG, c->sg}, ts, event_id, eb);
    if (tag == 2) {
        if (!rp_sim_scn_sg_allow(run, c->sg, 6, 22, 22, "0.0.0.0/0", "ssh")) return RP_OK;
        return rp_sim_world_changed(run, (struct rp_sim_ref){RP_SIM_K_SG, c->sg}, ts,
                                    RP_SIM_CHANGE_UPDATE, event_id, eb);
    }
    if (tag == 4) return rp_sim_scn_instance_created(run, c->twin, ts, event_id, eb);
    return rp_sim_scn_instance_created(run, c->inst, ts, event_id, eb);
}

static bool f_public_subnet(const struct rp_sim_run *run, uint32_t i, const void *arg)
{
    (void)arg;
    const struct rp_sim_world *w = run->world;
    const struct rp_sim_subnet *s = &w->subnets[i];
    return s->public && s->vpc < w->nvpcs && !w->vpcs[s->vpc].is_default &&
           w->vpcs[s->vpc].igw != RP_SIM_NONE &&
           rp_sim_scn_user_of(w, s->res.acct, RP_SIM_USER_DEVELOPER) != RP_SIM_NONE;
}

/* A private subnet (no route to an internet gateway) of the VPC *arg. */
static bool f_private_subnet_of(const struct rp_sim_run *run, uint32_t i, const void *arg)
{
    const struct rp_sim_subnet *s = &run->world->subnets[i];
    return !s->public && s->vpc == *(const uint32_t *)arg;
}

/* The private twin: the same image, the same vulnerable OpenSSH and the same world-open
 * security group, in a private subnet of the VPC without a public address, launched a few
 * minutes after the jump host. Nothing on the internet reaches it, so Inspector reports the
 * package with a lowered score and no NETWORK_REACHABILITY finding. Its own random stream
 * keeps the jump host's draws as they were. */
static rp_err plan_twin(struct rp_sim_run *run, const struct rp_sim_scenario *self,
                        struct jump_ctx *c, struct rp_sim_scn_ctplan *p, uint8_t actor,
                        int64_t t_run, struct rp_errbuf *eb)
{
    struct rp_sim_world *w = run->world;
    struct rp_sim_rng r;
    rp_sim_rng_initf(&r, run->seed, "scn/%s/twin", self->id);
    uint32_t vpc = w->subnets[w->instances[c->inst].subnet].vpc;
    uint32_t subnet = rp_sim_scn_pick(run, RP_SIM_K_SUBNET, &r, f_private_subnet_of, &vpc);
    if (subnet == RP_SIM_NONE) return RP_OK;
    struct rp_sim_scn_instance_spec spec = {.subnet = subnet,
                                            .workload = RP_SIM_WL_BASTION,
                                            .os = RP_SIM_OS_UBUNTU,
                                            .os_release = "22.04",
                                            .os_codename = "jammy",
                                            .name = "jump-temp-private",
                                            .type = "t3.small",
                                            .sgs = &c->sg,
                                            .nsgs = 1,
                                            .public_ip = false};
    rp_err e = rp_sim_scn_instance_new(run, &r, &spec, &c->twin, eb);
    if (e != RP_OK) return e;
    struct rp_sim_side_vuln v;
    memset(&v, 0, sizeof(v));
    e = rp_sim_side_pkg_mark_vulnerable(run, c->twin, "openssh-server", &v, eb);
    if (e == RP_ENOENT) e = rp_sim_side_pkg_mark_vulnerable(run, c->twin, "openssh", &v, eb);
    if (e != RP_OK && e != RP_ENOENT && e != RP_EUNSUPPORTED) return e;
    w->instances[c->twin].res.marks |= RP_SIM_MARK_VULN_PKG;
    const struct rp_sim_instance *in = &w->instances[c->twin];
    const struct rp_sim_subnet *sn = &w->subnets[subnet];
    struct rp_sim_scn_call *k =
        call(run, p, actor, t_run + rp_sim_rng_range(&r, 120, 300) * SEC, "ec2.amazonaws.com",
             "RunInstances",
             rp_sim_scn_printf(run,
                               "{\"instancesSet\":{\"items\":[{\"imageId\":\"%s\",\"minCount\":1,"
                               "\"maxCount\":1,\"keyName\":\"%s\"}]},\"groupSet\":{\"items\":[{"
                               "\"groupId\":\"%s\"}]},\"instanceType\":\"%s\",\"subnetId\":\"%s\"}",
                               in->ami, in->key_name, w->sgs[c->sg].res.id, in->type, sn->res.id),
             4);
    k->resp = rp_sim_scn_printf(
        run,
        "{\"instancesSet\":{\"items\":[{\"instanceId\":\"%s\",\"imageId\":\"%s\","
        "\"instanceState\":{\"code\":0,\"name\":\"pending\"},\"privateIpAddress\":\"%s\","
        "\"subnetId\":\"%s\",\"vpcId\":\"%s\"}]}}",
        in->res.id, in->ami, in->private_ip, sn->res.id, w->vpcs[vpc].res.id);
    return RP_OK;
}

static rp_err plan_ssh_open(struct rp_sim_run *run, const struct rp_sim_scenario *self,
                            struct rp_errbuf *eb)
{
    struct rp_sim_world *w = run->world;
    struct rp_sim_rng r;
    rng_of(run, self, &r);
    uint32_t subnet = rp_sim_scn_pick(run, RP_SIM_K_SUBNET, &r, f_public_subnet, NULL);
    int64_t t0 = 0;
    if (subnet == RP_SIM_NONE || !rp_sim_scn_when(run, self, &r, 10 * MIN, &t0)) return RP_OK;
    struct jump_ctx *c = rp_sim_scn_alloc(run, sizeof(*c));
    struct rp_sim_scn_ctplan *p = rp_sim_scn_ctplan_new(run, self);
    if (!c || !p) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    c->twin = RP_SIM_NONE;
    const struct rp_sim_subnet *sn = &w->subnets[subnet];
    uint32_t acct = sn->res.acct, vpc = sn->vpc;
    c->sg = rp_sim_scn_sg_new(run, &r, vpc, "jump-ssh", "SSH to the jump host");
    if (c->sg == RP_SIM_NONE) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    struct rp_sim_scn_instance_spec spec = {.subnet = subnet,
                                            .workload = RP_SIM_WL_BASTION,
                                            .os = RP_SIM_OS_UBUNTU,
                                            .os_release = "22.04",
                                            .os_codename = "jammy",
                                            .name = "jump-temp",
                                            .type = "t3.small",
                                            .sgs = &c->sg,
                                            .nsgs = 1,
                                            .public_ip = true};
    rp_err e = rp_sim_scn_instance_new(run, &r, &spec, &c->inst, eb);
    if (e != RP_OK) return e;
    struct rp_sim_side_vuln v;
    memset(&v, 0, sizeof(v));
    e = rp_sim_side_pkg_mark_vulnerable(run, c->inst, "openssh-server", &v, eb);
    if (e == RP_ENOENT) e = rp_sim_side_pkg_mark_vulnerable(run, c->inst, "openssh", &v, eb);
    if (e != RP_OK && e != RP_ENOENT && e != RP_EUNSUPPORTED) return e;
    w->instances[c->inst].res.marks |= RP_SIM_MARK_VULN_PKG;
    const struct rp_sim_instance *in = &w->instances[c->inst];
    const struct rp_sim_sg *g = &w->sgs[c->sg];
    uint8_t a = 0;
    if (!person(run, p, acct, RP_SIM_USER_DEVELOPER, sn->res.region, &a, NULL)) return RP_OK;
    p->hook = jump_hook;
    p->hook_ctx = c;
    struct rp_sim_scn_call *k =
        call(run, p, a, t0, "ec2.amazonaws.com", "CreateSecurityGroup",
             rp_sim_scn_printf(
                 run, "{\"groupName\":\"%s\",\"groupDescription\":\"%s\",\"vpcId\":\"%s\"}",
                 g->res.name, g->description, w->vpcs[vpc].res.id),
             1);
    k->resp = rp_sim_scn_printf(run, "{\"_return\":true,\"groupId\":\"%s\"}", g->res.id);
    call(run, p, a, t0 + rp_sim_rng_range(&r, 20, 60) * SEC, "ec2.amazonaws.com",
         "AuthorizeSecurityGroupIngress",
         rp_sim_scn_printf(run,
                           "{\"groupId\":\"%s\",\"ipPermissions\":{\"items\":[{\"ipProtocol\":"
                           "\"tcp\",\"fromPort\":22,\"toPort\":22,\"groups\":{},\"ipRanges\":{"
                           "\"items\":[{\"cidrIp\":\"0.0.0.0/0\",\"description\":\"ssh\"}]},"
                           "\"ipv6Ranges\":{},\"prefixListIds\":{}}]}}",
                           g->res.id),
         2);
    int64_t t_run = t0 + rp_sim_rng_range(&r, 90, 240) * SEC;
    k = call(run, p, a, t_run, "ec2.amazonaws.com", "RunInstances",
             rp_sim_scn_printf(run,
                               "{\"instancesSet\":{\"items\":[{\"imageId\":\"%s\",\"minCount\":1,"
                               "\"maxCount\":1,\"keyName\":\"%s\"}]},\"groupSet\":{\"items\":[{"
                               "\"groupId\":\"%s\"}]},\"instanceType\":\"%s\",\"subnetId\":\"%s\","
                               "\"associatePublicIpAddress\":true}",
                               in->ami, in->key_name, g->res.id, in->type, sn->res.id),
             3);
    k->resp =
        rp_sim_scn_printf(run,
                          "{\"instancesSet\":{\"items\":[{\"instanceId\":\"%s\",\"imageId\":"
                          "\"%s\",\"instanceState\":{\"code\":0,\"name\":\"pending\"},"
                          "\"privateIpAddress\":\"%s\",\"subnetId\":\"%s\",\"vpcId\":\"%s\""
                          "}]}}",
                          in->res.id, in->ami, in->private_ip, sn->res.id, w->vpcs[vpc].res.id);
    e = plan_twin(run, self, c, p, a, t_run, eb);
    if (e != RP_OK) return e;
    e = rp_sim_scn_ctplan_start(run, p, eb);
    if (e != RP_OK) return e;
    static const char *const cfg[] = {"INCOMING_SSH_DISABLED"};
    const char *cves[1] = {v.cve};
    struct rp_sim_scn_list ent = {0};
    rp_sim_scn_list_add(&ent, in->res.id);
    rp_sim_scn_list_add(&ent, g->res.id);
    rp_sim_scn_list_add(&ent, in->public_ip);
    if (v.advisory[0]) rp_sim_scn_list_add(&ent, v.advisory);
    /* last, so the entities' order above stays: the private twin (not reachable) */
    if (c->twin != RP_SIM_NONE) rp_sim_scn_list_add(&ent, w->instances[c->twin].res.id);
    struct rp_sim_truth tr = {0};
    tr.start_ms = t_run;
    tr.end_ms = run->end_ms;
    LIST(tr, config_rules, cfg);
    tr.cves = cves;
    tr.ncves = v.cve[0] ? 1 : 0;
    tr.entities = ent.p;
    tr.nentities = ent.n;
    tr.note = rp_sim_scn_printf(run,
                                "a new Ubuntu jump host with a public address, its security group "
                                "open to 0.0.0.0/0 on 22 (Inspector NETWORK_REACHABILITY port 22 "
                                "from the internet gateway; Trusted Advisor 1iG5NDGVre) and %s %s "
                                "installed (Inspector PACKAGE_VULNERABILITY, fixed in %s); its "
                                "private twin %s has the same package and security group but no "
                                "public address in a private subnet (PACKAGE_VULNERABILITY with a "
                                "lowered score, no NETWORK_REACHABILITY)",
                                v.binaries[0] ? v.binaries : "openssh-server",
                                v.installed[0] ? v.installed : "(vulnerable)",
                                v.fixed[0] ? v.fixed : "a later version",
                                c->twin != RP_SIM_NONE ? w->instances[c->twin].res.id : "(none)");
    return rp_sim_scn_truth_add(run, self, &tr, eb);
}

const struct rp_sim_scenario rp_sim_scn_posture_ssh_open_vulnerable_openssh = {
    .id = "posture-ssh-open-vulnerable-openssh",
    .summary = "world-open SSH on a reachable new instance with a vulnerable OpenSSH",
    .kind = RP_SIM_SCN_POSTURE,
    .mitre = NULL,
    .plan = plan_ssh_open,
    .expects = RP_SIM_EXPECTS("Config:INCOMING_SSH_DISABLED", "Inspector:PACKAGE_VULNERABILITY"),
};

/* ---- posture-rds-unencrypted-no-backups ----------------------------------------------------- */

struct db_ctx {
    uint32_t db;
    uint32_t eni;
};

static rp_err db_hook(struct rp_sim_run *run, void *ctx, int tag, int64_t ts, const char *event_id,
                      struct rp_errbuf *eb)
{
    (void)tag;
    struct db_ctx *c = ctx;
    rp_err e = rp_sim_scn_created(run, (struct rp_sim_ref){RP_SIM_K_ENI, c->eni}, ts, event_id, eb);
    if (e != RP_OK) return e;
    return rp_sim_scn_created(run, (struct rp_sim_ref){RP_SIM_K_DB_INSTANCE, c->db}, ts, event_id,
                              eb);
}

static bool f_single_db(const struct rp_sim_run *run, uint32_t i, const void *arg)
{
    (void)arg;
    const struct rp_sim_db_instance *d = &run->world->db_instances[i];
    return d->cluster == RP_SIM_NONE && d->nsubnets > 0 &&
           rp_sim_scn_user_of(run->world, d->res.acct, RP_SIM_USER_DEVELOPER) != RP_SIM_NONE;
}

static rp_err plan_rds(struct rp_sim_run *run, const struct rp_sim_scenario *self,
                       struct rp_errbuf *eb)
{
    struct rp_sim_world *w = run->world;
    struct rp_sim_rng r;
    rng_of(run, self, &r);
    uint32_t tpl = rp_sim_scn_pick(run, RP_SIM_K_DB_INSTANCE, &r, f_single_db, NULL);
    int64_t t0 = 0;
    if (tpl == RP_SIM_NONE || !rp_sim_scn_when(run, self, &r, 10 * MIN, &t0)) return RP_OK;
    struct db_ctx *c = rp_sim_scn_alloc(run, sizeof(*c));
    struct rp_sim_scn_ctplan *p = rp_sim_scn_ctplan_new(run, self);
    if (!c || !p) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    /* a copy of an existing instance's placement, created by hand for a reporting job */
    uint32_t di = 0, ei = 0;
    struct rp_sim_db_instance *d = rp_sim_world_add(w, RP_SIM_K_DB_INSTANCE, &di);
    struct rp_sim_eni *en = d ? rp_sim_world_add(w, RP_SIM_K_ENI, &ei) : NULL;
    if (!en) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    d = &w->db_instances[di];
    const struct rp_sim_db_instance *t = &w->db_instances[tpl];
    *d = *t;
    const char *rn = w->regions[t->res.region], *aid = w->accounts[t->res.acct].res.id;
    d->res.created_ms = run->end_ms;
    d->res.deleted_ms = RP_SIM_SCN_PENDING;
    d->res.marks = RP_SIM_MARK_SCENARIO;
    d->res.ntags = 0;
    char rid[27], h12[13];
    rp_sim_rng_chars(&r, rid, 26, RP_SIM_ALPHA_UPPER);
    rp_sim_fmt(d->res.id, sizeof(d->res.id), "db-%s", rid);
    rp_sim_fmt(d->res.name, sizeof(d->res.name), "%s-reporting-copy",
               w->accounts[t->res.acct].role_label);
    rp_sim_fmt(d->res.arn, sizeof(d->res.arn), "arn:aws:rds:%s:%s:db:%s", rn, aid, d->res.name);
    rp_strlcpy(d->engine, "mysql", sizeof(d->engine));
    rp_strlcpy(d->engine_version, "8.0.35", sizeof(d->engine_version));
    rp_strlcpy(d->instance_class, "db.t3.medium", sizeof(d->instance_class));
    d->encrypted = false;
    d->kms = RP_SIM_NONE;
    d->backup_days = 0;
    d->publicly_accessible = false;
    d->multi_az = false;
    rp_sim_rng_chars(&r, h12, 12, RP_SIM_ALPHA_LOWER);
    rp_sim_fmt(d->endpoint, sizeof(d->endpoint), "%s.%s.%s.rds.amazonaws.com", d->res.name, h12,
               rn);
    d->port = 3306;
    d->cluster = RP_SIM_NONE;
    d->eni = ei;
    d->deletion_protection = false;
    d->iam_auth = false;
    d->storage_gb = 100;
    rp_strlcpy(d->master_user, "admin", sizeof(d->master_user));
    rp_sim_res_set_tag(&d->res, "env", w->accounts[t->res.acct].role_label);
    rp_sim_res_set_tag(&d->res, "purpose", "reporting");
    en = &w->enis[ei];
    en->res.acct = d->res.acct;
    en->res.region = d->res.region;
    en->res.created_ms = run->end_ms;
    en->res.deleted_ms = RP_SIM_SCN_PENDING;
    en->res.marks = RP_SIM_MARK_SCENARIO;
    rp_sim_id_ec2(&r, "eni", en->res.id, sizeof(en->res.id));
    rp_sim_fmt(en->res.arn, sizeof(en->res.arn), "arn:aws:ec2:%s:%s:network-interface/%s", rn, aid,
               en->res.id);
    en->subnet = d->subnets[0];
    en->vpc = w->subnets[en->subnet].vpc;
    en->use = RP_SIM_ENI_RDS;
    en->owner = di;
    struct rp_sim_subnet *sn = &w->subnets[en->subnet];
    if (rp_sim_ip_in_cidr(sn->cidr, sn->next_host++, true, en->private_ip,
                          sizeof(en->private_ip)) != RP_OK)
        en->private_ip[0] = '\0';
    char hx[11];
    rp_sim_rng_hex(&r, hx, 10);
    rp_sim_fmt(en->mac, sizeof(en->mac), "0e:%c%c:%c%c:%c%c:%c%c:%c%c", hx[0], hx[1], hx[2], hx[3],
               hx[4], hx[5], hx[6], hx[7], hx[8], hx[9]);
    rp_strlcpy(en->description, "RDSNetworkInterface", sizeof(en->description));
    rp_strlcpy(en->interface_type, "interface", sizeof(en->interface_type));
    en->requester_managed = true;
    for (uint32_t k = 0; k < d->nsgs && k < RP_SIM_MAX_SGS; k++) en->sgs[en->nsgs++] = d->sgs[k];
    c->db = di;
    c->eni = ei;
    uint8_t a = 0;
    if (!person(run, p, d->res.acct, RP_SIM_USER_DEVELOPER, d->res.region, &a, NULL)) return RP_OK;
    p->hook = db_hook;
    p->hook_ctx = c;
    call(run, p, a, t0, "rds.amazonaws.com", "DescribeDBSubnetGroups", NULL, 0);
    struct rp_sim_scn_call *k = call(
        run, p, a, t0 + rp_sim_rng_range(&r, 30, 120) * SEC, "rds.amazonaws.com",
        "CreateDBInstance",
        rp_sim_scn_printf(run,
                          "{\"dBInstanceIdentifier\":\"%s\",\"allocatedStorage\":100,"
                          "\"dBInstanceClass\":\"db.t3.medium\",\"engine\":\"mysql\","
                          "\"masterUsername\":\"admin\",\"masterUserPassword\":\"HIDDEN_DUE_TO_"
                          "SECURITY_REASONS\",\"vpcSecurityGroupIds\":[\"%s\"],"
                          "\"dBSubnetGroupName\":\"%s\",\"backupRetentionPeriod\":0,"
                          "\"multiAZ\":false,\"engineVersion\":\"8.0.35\","
                          "\"publiclyAccessible\":false,\"storageEncrypted\":false}",
                          d->res.name, d->nsgs ? w->sgs[d->sgs[0]].res.id : "", d->subnet_group),
        1);
    k->resp = rp_sim_scn_printf(run,
                                "{\"dBInstanceIdentifier\":\"%s\",\"dBInstanceClass\":"
                                "\"db.t3.medium\",\"engine\":\"mysql\",\"dBInstanceStatus\":"
                                "\"creating\",\"backupRetentionPeriod\":0,\"storageEncrypted\":"
                                "false,\"dbiResourceId\":\"%s\",\"dBInstanceArn\":\"%s\"}",
                                d->res.name, d->res.id, d->res.arn);
    rp_err e = rp_sim_scn_ctplan_start(run, p, eb);
    if (e != RP_OK) return e;
    static const char *const cfg[] = {"RDS_STORAGE_ENCRYPTED", "DB_INSTANCE_BACKUP_ENABLED"};
    struct rp_sim_scn_list ent = {0};
    rp_sim_scn_list_add(&ent, d->res.arn);
    rp_sim_scn_list_add(&ent, d->res.id);
    struct rp_sim_truth tr = {0};
    tr.start_ms = rp_sim_scn_ctplan_last(p);
    tr.end_ms = run->end_ms;
    LIST(tr, config_rules, cfg);
    tr.entities = ent.p;
    tr.nentities = ent.n;
    tr.note = "a MySQL instance created by hand with storageEncrypted false and "
              "backupRetentionPeriod 0";
    return rp_sim_scn_truth_add(run, self, &tr, eb);
}

const struct rp_sim_scenario rp_sim_scn_posture_rds_unencrypted_no_backups = {
    .id = "posture-rds-unencrypted-no-backups",
    .summary = "an RDS instance created unencrypted and without automated backups",
    .kind = RP_SIM_SCN_POSTURE,
    .mitre = NULL,
    .plan = plan_rds,
    .expects = RP_SIM_EXPECTS("Config:RDS_STORAGE_ENCRYPTED", "Config:DB_INSTANCE_BACKUP_ENABLED"),
};

/* ---- posture-lambda-outside-vpc ------------------------------------------------------------- */

struct lambda_ctx {
    uint32_t fn;
};

static rp_err lambda_hook(struct rp_sim_run *run, void *ctx, int tag, int64_t ts,
                          const char *event_id, struct rp_errbuf *eb)
{
    (void)tag;
    struct lambda_ctx *c = ctx;
    struct rp_sim_world *w = run->world;
    struct rp_sim_lambda *l = &w->lambdas[c->fn];
    l->vpc = RP_SIM_NONE;
    l->nsubnets = 0;
    l->nsgs = 0;
    l->last_modified_ms = ts - ts % 1000;
    l->res.marks |= RP_SIM_MARK_SCENARIO;
    rp_err e = rp_sim_world_changed(run, (struct rp_sim_ref){RP_SIM_K_LAMBDA, c->fn}, ts,
                                    RP_SIM_CHANGE_UPDATE, event_id, eb);
    /* Lambda releases the function's hyperplane interfaces */
    for (uint32_t i = 0; i < w->nenis && e == RP_OK; i++) {
        struct rp_sim_eni *en = &w->enis[i];
        if (en->use != RP_SIM_ENI_LAMBDA || en->owner != c->fn || en->res.deleted_ms) continue;
        en->res.deleted_ms = ts;
        e = rp_sim_world_changed(run, (struct rp_sim_ref){RP_SIM_K_ENI, i}, ts,
                                 RP_SIM_CHANGE_DELETE, NULL, eb);
    }
    return e;
}

static bool f_vpc_lambda(const struct rp_sim_run *run, uint32_t i, const void *arg)
{
    (void)arg;
    const struct rp_sim_lambda *l = &run->world->lambdas[i];
    return l->vpc != RP_SIM_NONE &&
           rp_sim_scn_user_of(run->world, l->res.acct, RP_SIM_USER_DEVELOPER) != RP_SIM_NONE;
}

static rp_err plan_lambda(struct rp_sim_run *run, const struct rp_sim_scenario *self,
                          struct rp_errbuf *eb)
{
    struct rp_sim_world *w = run->world;
    struct rp_sim_rng r;
    rng_of(run, self, &r);
    uint32_t fn = rp_sim_scn_pick(run, RP_SIM_K_LAMBDA, &r, f_vpc_lambda, NULL);
    int64_t t0 = 0;
    if (fn == RP_SIM_NONE || !rp_sim_scn_when(run, self, &r, 10 * MIN, &t0)) return RP_OK;
    struct lambda_ctx *c = rp_sim_scn_alloc(run, sizeof(*c));
    struct rp_sim_scn_ctplan *p = rp_sim_scn_ctplan_new(run, self);
    if (!c || !p) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    c->fn = fn;
    const struct rp_sim_lambda *l = &w->lambdas[fn];
    uint8_t a = 0;
    if (!person(run, p, l->res.acct, RP_SIM_USER_DEVELOPER, l->res.region, &a, NULL)) return RP_OK;
    p->hook = lambda_hook;
    p->hook_ctx = c;
    const char *pf = rp_sim_scn_printf(run, "{\"functionName\":\"%s\"}", l->res.name);
    call(run, p, a, t0, "lambda.amazonaws.com", "GetFunctionConfiguration20150331v2", pf, 0);
    int64_t t1 = t0 + rp_sim_rng_range(&r, 60, 300) * SEC;
    struct rp_sim_scn_call *k =
        call(run, p, a, t1, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
             rp_sim_scn_printf(run,
                               "{\"functionName\":\"%s\",\"vpcConfig\":{\"subnetIds\":[],"
                               "\"securityGroupIds\":[]}}",
                               l->res.name),
             1);
    k->resp = rp_sim_scn_printf(run,
                                "{\"functionName\":\"%s\",\"functionArn\":\"%s\",\"runtime\":"
                                "\"%s\",\"vpcConfig\":{\"subnetIds\":[],\"securityGroupIds\":[],"
                                "\"vpcId\":\"\"},\"state\":\"Active\",\"lastUpdateStatus\":"
                                "\"InProgress\"}",
                                l->res.name, l->res.arn, l->runtime);
    rp_err e = rp_sim_scn_ctplan_start(run, p, eb);
    if (e != RP_OK) return e;
    static const char *const cfg[] = {"LAMBDA_INSIDE_VPC"};
    struct rp_sim_scn_list ent = {0};
    rp_sim_scn_list_add(&ent, l->res.arn);
    struct rp_sim_truth tr = {0};
    tr.start_ms = t1;
    tr.end_ms = run->end_ms;
    LIST(tr, config_rules, cfg);
    tr.entities = ent.p;
    tr.nentities = ent.n;
    tr.note = "a function that ran in the VPC has its VPC configuration removed (its network "
              "interfaces are released)";
    return rp_sim_scn_truth_add(run, self, &tr, eb);
}

const struct rp_sim_scenario rp_sim_scn_posture_lambda_outside_vpc = {
    .id = "posture-lambda-outside-vpc",
    .summary = "a Lambda function taken out of its VPC",
    .kind = RP_SIM_SCN_POSTURE,
    .mitre = NULL,
    .plan = plan_lambda,
    .expects = RP_SIM_EXPECTS("Config:LAMBDA_INSIDE_VPC"),
};

/* ---- posture-s3-public-read-acl ------------------------------------------------------------- */

struct bucket_ctx {
    uint32_t bucket;
};

static rp_err acl_hook(struct rp_sim_run *run, void *ctx, int tag, int64_t ts, const char *event_id,
                       struct rp_errbuf *eb)
{
    struct bucket_ctx *c = ctx;
    struct rp_sim_bucket *b = &run->world->buckets[c->bucket];
    if (tag == 1) {
        b->bpa_set = true;
        for (int i = 0; i < 4; i++) b->bpa[i] = false;
    } else {
        b->acl_public_read = true;
    }
    b->res.marks |= RP_SIM_MARK_SCENARIO;
    return rp_sim_world_changed(run, (struct rp_sim_ref){RP_SIM_K_BUCKET, c->bucket}, ts,
                                RP_SIM_CHANGE_UPDATE, event_id, eb);
}

/* Artifacts (else web, else any non-log) buckets whose account does not block public ACLs. */
static bool f_acl_bucket(const struct rp_sim_run *run, uint32_t i, const void *arg)
{
    const struct rp_sim_world *w = run->world;
    const struct rp_sim_bucket *b = &w->buckets[i];
    const struct rp_sim_account *a = &w->accounts[b->res.acct];
    int pass = *(const int *)arg;
    if (b->purpose == RP_SIM_BUCKET_LOGS) return false;
    if (pass < 2 && (a->bpa[RP_SIM_BPA_BLOCK_PUBLIC_ACLS] || a->bpa[RP_SIM_BPA_IGNORE_PUBLIC_ACLS]))
        return false;
    if (pass == 0 && b->purpose != RP_SIM_BUCKET_ARTIFACTS) return false;
    return rp_sim_scn_user_of(w, b->res.acct, RP_SIM_USER_DEVELOPER) != RP_SIM_NONE;
}

static rp_err plan_acl(struct rp_sim_run *run, const struct rp_sim_scenario *self,
                       struct rp_errbuf *eb)
{
    struct rp_sim_world *w = run->world;
    struct rp_sim_rng r;
    rng_of(run, self, &r);
    uint32_t bucket = RP_SIM_NONE;
    for (int pass = 0; pass < 3 && bucket == RP_SIM_NONE; pass++)
        bucket = rp_sim_scn_pick(run, RP_SIM_K_BUCKET, &r, f_acl_bucket, &pass);
    int64_t t0 = 0;
    if (bucket == RP_SIM_NONE || !rp_sim_scn_when(run, self, &r, 10 * MIN, &t0)) return RP_OK;
    struct bucket_ctx *c = rp_sim_scn_alloc(run, sizeof(*c));
    struct rp_sim_scn_ctplan *p = rp_sim_scn_ctplan_new(run, self);
    if (!c || !p) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    c->bucket = bucket;
    const struct rp_sim_bucket *b = &w->buckets[bucket];
    uint8_t a = 0;
    uint32_t user = RP_SIM_NONE;
    if (!person(run, p, b->res.acct, RP_SIM_USER_DEVELOPER, b->res.region, &a, &user)) return RP_OK;
    p->hook = acl_hook;
    p->hook_ctx = c;
    const char *host =
        rp_sim_scn_printf(run, "%s.s3.%s.amazonaws.com", b->res.name, w->regions[b->res.region]);
    struct rp_sim_scn_call *k = call(
        run, p, a, t0, "s3.amazonaws.com", "PutBucketPublicAccessBlock",
        rp_sim_scn_printf(run,
                          "{\"publicAccessBlock\":\"\",\"bucketName\":\"%s\",\"Host\":\"%s\","
                          "\"PublicAccessBlockConfiguration\":{\"xmlns\":\"http://s3.amazonaws."
                          "com/doc/2006-03-01/\",\"RestrictPublicBuckets\":false,"
                          "\"BlockPublicPolicy\":false,\"BlockPublicAcls\":false,"
                          "\"IgnorePublicAcls\":false}}",
                          b->res.name, host),
        1);
    k->region = b->res.region;
    rp_sim_scn_call_add(run, p, a, 0, "s3.amazonaws.com", "PutBucketAcl"); /* filled below */
    k = &p->calls[p->ncalls - 1];
    k->ts = t0 + rp_sim_rng_range(&r, 30, 120) * SEC;
    k->ts -= k->ts % 1000;
    k->params = rp_sim_scn_printf(run,
                                  "{\"bucketName\":\"%s\",\"Host\":\"%s\",\"acl\":\"\","
                                  "\"x-amz-acl\":[\"public-read\"]}",
                                  b->res.name, host);
    k->region = b->res.region;
    k->tag = 2;
    int64_t t1 = k->ts;
    const char *barn = rp_sim_scn_dup(run, b->res.arn),
               *bacct = rp_sim_scn_dup(run, w->accounts[b->res.acct].res.id);
    for (uint32_t i = 0; i < p->ncalls; i++) {
        p->calls[i].res_type[0] = "AWS::S3::Bucket";
        p->calls[i].res_arn[0] = barn;
        p->calls[i].res_acct[0] = bacct;
        p->calls[i].nres = 1;
    }
    rp_err e = rp_sim_scn_ctplan_start(run, p, eb);
    if (e != RP_OK) return e;
    bool effective = !w->accounts[b->res.acct].bpa[RP_SIM_BPA_BLOCK_PUBLIC_ACLS] &&
                     !w->accounts[b->res.acct].bpa[RP_SIM_BPA_IGNORE_PUBLIC_ACLS];
    static const char *const gd[] = {"Policy:S3/BucketBlockPublicAccessDisabled",
                                     "Policy:S3/BucketAnonymousAccessGranted"};
    static const char *const cfg[] = {"S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED",
                                      "S3_BUCKET_PUBLIC_READ_PROHIBITED"};
    static const char *const macie[] = {"Policy:IAMUser/S3BlockPublicAccessDisabled",
                                        "Policy:IAMUser/S3BucketPublic"};
    struct rp_sim_scn_list ent = {0};
    rp_sim_scn_list_add(&ent, b->res.arn);
    rp_sim_scn_list_add(&ent, w->users[user].res.arn);
    struct rp_sim_truth tr = {0};
    tr.start_ms = t0;
    tr.end_ms = run->end_ms;
    tr.guardduty = gd;
    tr.nguardduty = effective ? 2 : 1;
    tr.config_rules = cfg;
    tr.nconfig_rules = effective ? 2 : 1;
    tr.macie = macie;
    tr.nmacie = effective ? 2 : 1;
    tr.entities = ent.p;
    tr.nentities = ent.n;
    tr.note = rp_sim_scn_printf(run,
                                "a developer removes the bucket's Block Public Access and sets the "
                                "canned ACL public-read at %s (AllUsers READ; Trusted Advisor "
                                "Pfx0RwqBli)%s",
                                host,
                                effective ? ""
                                          : "; the account-level Block Public Access still "
                                            "ignores public ACLs, so the bucket stays private");
    (void)t1;
    return rp_sim_scn_truth_add(run, self, &tr, eb);
}

/* The '?' entries are declared only when the ACL takes effect: when the account-level Block
 * Public Access blocks or ignores public ACLs (always so with --accounts 1, whose only account is
 * a production one), the bucket stays private and only the Block Public Access entries remain. */
const struct rp_sim_scenario rp_sim_scn_posture_s3_public_read_acl = {
    .id = "posture-s3-public-read-acl",
    .summary = "a bucket made publicly readable through its ACL",
    .kind = RP_SIM_SCN_POSTURE,
    .mitre = NULL,
    .plan = plan_acl,
    .expects = RP_SIM_EXPECTS("GuardDuty:Policy:S3/BucketBlockPublicAccessDisabled",
                              "GuardDuty:Policy:S3/BucketAnonymousAccessGranted?",
                              "Config:S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED",
                              "Config:S3_BUCKET_PUBLIC_READ_PROHIBITED?",
                              "Macie:Policy:IAMUser/S3BlockPublicAccessDisabled",
                              "Macie:Policy:IAMUser/S3BucketPublic?"),
};

/* ---- posture-root-mfa-removed --------------------------------------------------------------- */

struct acct_ctx {
    uint32_t acct;
};

static rp_err root_mfa_hook(struct rp_sim_run *run, void *ctx, int tag, int64_t ts,
                            const char *event_id, struct rp_errbuf *eb)
{
    (void)tag;
    struct acct_ctx *c = ctx;
    struct rp_sim_account *a = &run->world->accounts[c->acct];
    a->root_mfa = false;
    a->root_hw_mfa = false;
    a->root_last_login_ms = ts - ts % 1000;
    return rp_sim_world_changed(run, (struct rp_sim_ref){RP_SIM_K_ACCOUNT, c->acct}, ts,
                                RP_SIM_CHANGE_UPDATE, event_id, eb);
}

static bool f_virtual_root_mfa(const struct rp_sim_run *run, uint32_t i, const void *arg)
{
    (void)arg;
    const struct rp_sim_account *a = &run->world->accounts[i];
    return a->root_mfa && !a->root_hw_mfa &&
           rp_sim_scn_user_of(run->world, i, RP_SIM_USER_ADMIN) != RP_SIM_NONE;
}

static rp_err plan_root_mfa(struct rp_sim_run *run, const struct rp_sim_scenario *self,
                            struct rp_errbuf *eb)
{
    struct rp_sim_world *w = run->world;
    struct rp_sim_rng r;
    rng_of(run, self, &r);
    uint32_t acct = rp_sim_scn_pick(run, RP_SIM_K_ACCOUNT, &r, f_virtual_root_mfa, NULL);
    if (acct == RP_SIM_NONE) {
        static const enum rp_sim_user_kind admin = RP_SIM_USER_ADMIN;
        acct = rp_sim_scn_pick(run, RP_SIM_K_ACCOUNT, &r, f_account_has, &admin);
    }
    int64_t t0 = 0;
    if (acct == RP_SIM_NONE || !rp_sim_scn_when(run, self, &r, 10 * MIN, &t0)) return RP_OK;
    struct acct_ctx *c = rp_sim_scn_alloc(run, sizeof(*c));
    struct rp_sim_scn_ctplan *p = rp_sim_scn_ctplan_new(run, self);
    if (!c || !p) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    c->acct = acct;
    p->hook = root_mfa_hook;
    p->hook_ctx = c;
    const struct rp_sim_account *ac = &w->accounts[acct];
    uint8_t l = 0, k = 0;
    rp_sim_scn_actor_add(p, RP_SIM_CT_ROOT, acct, &l);
    struct rp_sim_scn_actor *con = rp_sim_scn_actor_add(p, RP_SIM_CT_ROOT, acct, &k);
    con->who.console = true;
    con->who.session_ms = t0;
    struct rp_sim_scn_call *x =
        rp_sim_scn_call_add(run, p, l, t0, "signin.amazonaws.com", "ConsoleLogin");
    x->resp = "{\"ConsoleLogin\":\"Success\"}";
    x->add = "{\"LoginTo\":\"https://console.aws.amazon.com/iam/home?state=hashArgs%23%2F"
             "security_credentials&isauthcode=true\",\"MobileVersion\":\"No\",\"MFAUsed\":"
             "\"Yes\"}";
    const char *serial =
        rp_sim_scn_printf(run, "arn:aws:iam::%s:mfa/root-account-mfa-device", ac->res.id);
    int64_t t = t0 + rp_sim_rng_range(&r, 30, 90) * SEC;
    call(run, p, k, t, "iam.amazonaws.com", "ListMFADevices", NULL, 0);
    t += rp_sim_rng_range(&r, 20, 60) * SEC;
    int64_t t_off = t;
    call(run, p, k, t, "iam.amazonaws.com", "DeactivateMFADevice",
         rp_sim_scn_printf(run, "{\"serialNumber\":\"%s\"}", serial), 1);
    t += rp_sim_rng_range(&r, 5, 20) * SEC;
    call(run, p, k, t, "iam.amazonaws.com", "DeleteVirtualMFADevice",
         rp_sim_scn_printf(run, "{\"serialNumber\":\"%s\"}", serial), 0);
    rp_err e = rp_sim_scn_ctplan_start(run, p, eb);
    if (e != RP_OK) return e;
    static const char *const gd[] = {"Policy:IAMUser/RootCredentialUsage"};
    static const char *const cfg[] = {"ROOT_ACCOUNT_MFA_ENABLED"};
    struct rp_sim_scn_list ent = {0};
    rp_sim_scn_list_add(&ent, ac->res.arn);
    rp_sim_scn_list_add(&ent, serial);
    struct rp_sim_truth tr = {0};
    tr.start_ms = t_off;
    tr.end_ms = run->end_ms;
    LIST(tr, guardduty, gd);
    LIST(tr, config_rules, cfg);
    tr.entities = ent.p;
    tr.nentities = ent.n;
    tr.note = "the root user signs in and deactivates and deletes its virtual MFA device "
              "(Trusted Advisor 7DAFEmoDos; the estate/ credential report shows mfa_active "
              "false from the next day)";
    return rp_sim_scn_truth_add(run, self, &tr, eb);
}

const struct rp_sim_scenario rp_sim_scn_posture_root_mfa_removed = {
    .id = "posture-root-mfa-removed",
    .summary = "the root user removes its MFA device",
    .kind = RP_SIM_SCN_POSTURE,
    .mitre = NULL,
    .plan = plan_root_mfa,
    .expects = RP_SIM_EXPECTS("GuardDuty:Policy:IAMUser/RootCredentialUsage",
                              "Config:ROOT_ACCOUNT_MFA_ENABLED"),
};

/* ---- posture-access-key-200-days ------------------------------------------------------------ */

struct key_ctx {
    uint32_t user;
};

static rp_err key_hook(struct rp_sim_run *run, void *ctx, int tag, int64_t ts, const char *event_id,
                       struct rp_errbuf *eb)
{
    (void)tag;
    struct key_ctx *c = ctx;
    struct rp_sim_user *u = &run->world->users[c->user];
    if (u->nkeys == 2) u->keys[1].active = true;
    u->res.marks |= RP_SIM_MARK_SCENARIO;
    return rp_sim_world_changed(run, (struct rp_sim_ref){RP_SIM_K_USER, c->user}, ts,
                                RP_SIM_CHANGE_UPDATE, event_id, eb);
}

/* People (not developers, whose keys the Config generator rotates) with exactly one key. */
static bool f_one_key(const struct rp_sim_run *run, uint32_t i, const void *arg)
{
    (void)arg;
    const struct rp_sim_user *u = &run->world->users[i];
    return (u->kind == RP_SIM_USER_READONLY || u->kind == RP_SIM_USER_SECURITY ||
            u->kind == RP_SIM_USER_DATA || u->kind == RP_SIM_USER_ADMIN) &&
           u->nkeys == 1 && u->keys[0].active &&
           rp_sim_scn_user_of(run->world, u->res.acct, RP_SIM_USER_ADMIN) != RP_SIM_NONE;
}

static rp_err plan_old_key(struct rp_sim_run *run, const struct rp_sim_scenario *self,
                           struct rp_errbuf *eb)
{
    struct rp_sim_world *w = run->world;
    struct rp_sim_rng r;
    rng_of(run, self, &r);
    uint32_t user = rp_sim_scn_pick(run, RP_SIM_K_USER, &r, f_one_key, NULL);
    int64_t t0 = 0;
    if (user == RP_SIM_NONE || !rp_sim_scn_when(run, self, &r, 10 * MIN, &t0)) return RP_OK;
    struct key_ctx *c = rp_sim_scn_alloc(run, sizeof(*c));
    struct rp_sim_scn_ctplan *p = rp_sim_scn_ctplan_new(run, self);
    if (!c || !p) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    c->user = user;
    /* the key the user had before the last rotation: deactivated then, 200 days old at t0 */
    struct rp_sim_user *u = &w->users[user];
    struct rp_sim_access_key *old = &u->keys[1];
    memset(old, 0, sizeof(*old));
    rp_sim_id_iam(&r, "AKIA", old->id, sizeof(old->id));
    old->created_ms = t0 - 200 * RP_SIM_SCN_DAY - rp_sim_rng_range(&r, 0, 86399) * SEC;
    old->created_ms -= old->created_ms % 1000;
    old->active = false;
    old->last_used_ms = u->keys[0].created_ms;
    rp_strlcpy(old->last_used_service, "s3", sizeof(old->last_used_service));
    old->last_used_region = u->habits.region;
    u->nkeys = 2;
    uint8_t a = 0;
    uint32_t admin = RP_SIM_NONE;
    if (!person(run, p, u->res.acct, RP_SIM_USER_ADMIN, RP_SIM_NONE, &a, &admin)) return RP_OK;
    p->hook = key_hook;
    p->hook_ctx = c;
    const char *pu = rp_sim_scn_printf(run, "{\"userName\":\"%s\"}", u->res.name);
    call(run, p, a, t0, "iam.amazonaws.com", "ListAccessKeys", pu, 0);
    int64_t t1 = t0 + rp_sim_rng_range(&r, 30, 180) * SEC;
    call(run, p, a, t1, "iam.amazonaws.com", "UpdateAccessKey",
         rp_sim_scn_printf(run,
                           "{\"userName\":\"%s\",\"accessKeyId\":\"%s\",\"status\":\"Active\"}",
                           u->res.name, old->id),
         1);
    rp_err e = rp_sim_scn_ctplan_start(run, p, eb);
    if (e != RP_OK) return e;
    static const char *const cfg[] = {"ACCESS_KEYS_ROTATED"};
    struct rp_sim_scn_list ent = {0};
    rp_sim_scn_list_add(&ent, u->res.arn);
    rp_sim_scn_list_add(&ent, old->id);
    struct rp_sim_truth tr = {0};
    tr.start_ms = t1;
    tr.end_ms = run->end_ms;
    LIST(tr, config_rules, cfg);
    tr.entities = ent.p;
    tr.nentities = ent.n;
    tr.note = "an admin reactivates the user's previous access key, created 200 days before "
              "(credential report access_key_2_active true; Trusted Advisor DqdJqYeRm5)";
    return rp_sim_scn_truth_add(run, self, &tr, eb);
}

const struct rp_sim_scenario rp_sim_scn_posture_access_key_200_days = {
    .id = "posture-access-key-200-days",
    .summary = "a 200-day-old access key reactivated",
    .kind = RP_SIM_SCN_POSTURE,
    .mitre = NULL,
    .plan = plan_old_key,
    .expects = RP_SIM_EXPECTS("Config:ACCESS_KEYS_ROTATED"),
};

/* ---- posture-vpn-route-propagation-disabled ------------------------------------------------- */

struct rtb_ctx {
    uint32_t rtb;
};

static rp_err rtb_hook(struct rp_sim_run *run, void *ctx, int tag, int64_t ts, const char *event_id,
                       struct rp_errbuf *eb)
{
    (void)tag;
    struct rtb_ctx *c = ctx;
    run->world->route_tables[c->rtb].propagating_vgw = RP_SIM_NONE;
    run->world->route_tables[c->rtb].res.marks |= RP_SIM_MARK_SCENARIO;
    return rp_sim_world_changed(run, (struct rp_sim_ref){RP_SIM_K_ROUTE_TABLE, c->rtb}, ts,
                                RP_SIM_CHANGE_UPDATE, event_id, eb);
}

static bool f_propagating(const struct rp_sim_run *run, uint32_t i, const void *arg)
{
    (void)arg;
    const struct rp_sim_route_table *t = &run->world->route_tables[i];
    return t->propagating_vgw != RP_SIM_NONE &&
           rp_sim_scn_user_of(run->world, t->res.acct, RP_SIM_USER_ADMIN) != RP_SIM_NONE;
}

static rp_err plan_propagation(struct rp_sim_run *run, const struct rp_sim_scenario *self,
                               struct rp_errbuf *eb)
{
    struct rp_sim_world *w = run->world;
    struct rp_sim_rng r;
    rng_of(run, self, &r);
    uint32_t rtb = rp_sim_scn_pick(run, RP_SIM_K_ROUTE_TABLE, &r, f_propagating, NULL);
    int64_t t0 = 0;
    if (rtb == RP_SIM_NONE || !rp_sim_scn_when(run, self, &r, 10 * MIN, &t0)) return RP_OK;
    struct rtb_ctx *c = rp_sim_scn_alloc(run, sizeof(*c));
    struct rp_sim_scn_ctplan *p = rp_sim_scn_ctplan_new(run, self);
    if (!c || !p) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    c->rtb = rtb;
    const struct rp_sim_route_table *t = &w->route_tables[rtb];
    const struct rp_sim_vgw *g = &w->vgws[t->propagating_vgw];
    uint8_t a = 0;
    if (!person(run, p, t->res.acct, RP_SIM_USER_ADMIN, t->res.region, &a, NULL)) return RP_OK;
    p->hook = rtb_hook;
    p->hook_ctx = c;
    call(run, p, a, t0, "ec2.amazonaws.com", "DescribeRouteTables",
         rp_sim_scn_printf(run,
                           "{\"routeTableIdSet\":{\"items\":[{\"routeTableId\":\"%s\"}]},"
                           "\"filterSet\":{}}",
                           t->res.id),
         0);
    int64_t t1 = t0 + rp_sim_rng_range(&r, 30, 200) * SEC;
    struct rp_sim_scn_call *k =
        call(run, p, a, t1, "ec2.amazonaws.com", "DisableVgwRoutePropagation",
             rp_sim_scn_printf(run, "{\"routeTableId\":\"%s\",\"gatewayId\":\"%s\"}", t->res.id,
                               g->res.id),
             1);
    k->resp = "{\"_return\":true}";
    rp_err e = rp_sim_scn_ctplan_start(run, p, eb);
    if (e != RP_OK) return e;
    /* the on-premises prefixes that stop being routed */
    char lost[256] = "";
    for (uint32_t i = 0; i < t->nroutes; i++)
        if (t->routes[i].propagated) {
            size_t n = strlen(lost);
            rp_sim_fmt(lost + n, sizeof(lost) - n, "%s%s", n ? ", " : "", t->routes[i].dest);
        }
    static const char *const rules[] = {"netreach.vpn.route-propagation-disabled"};
    struct rp_sim_scn_list ent = {0};
    rp_sim_scn_list_add(&ent, t->res.id);
    rp_sim_scn_list_add(&ent, g->res.id);
    struct rp_sim_truth tr = {0};
    tr.start_ms = t1;
    tr.end_ms = run->end_ms;
    LIST(tr, config_rules, rules);
    tr.entities = ent.p;
    tr.nentities = ent.n;
    tr.note = rp_sim_scn_printf(run,
                                "route propagation from the virtual private gateway is disabled on "
                                "the private route table: the VPN/CloudHub sites (%s) are no "
                                "longer reachable from its subnets (no AWS managed rule covers "
                                "this; Rampart's reachability analysis reports it)",
                                lost[0] ? lost : "propagated prefixes");
    return rp_sim_scn_truth_add(run, self, &tr, eb);
}

const struct rp_sim_scenario rp_sim_scn_posture_vpn_route_propagation_disabled = {
    .id = "posture-vpn-route-propagation-disabled",
    .summary = "VGW route propagation disabled on a route table (VPN sites unreachable)",
    .kind = RP_SIM_SCN_POSTURE,
    .mitre = NULL,
    .plan = plan_propagation,
    .expects = RP_SIM_EXPECTS("Config:netreach.vpn.route-propagation-disabled"),
};

/* ---- posture-s3-account-bpa-disabled -------------------------------------------------------- */

static rp_err bpa_hook(struct rp_sim_run *run, void *ctx, int tag, int64_t ts, const char *event_id,
                       struct rp_errbuf *eb)
{
    (void)tag;
    struct acct_ctx *c = ctx;
    for (int i = 0; i < 4; i++) run->world->accounts[c->acct].bpa[i] = false;
    return rp_sim_world_changed(run, (struct rp_sim_ref){RP_SIM_K_ACCOUNT, c->acct}, ts,
                                RP_SIM_CHANGE_UPDATE, event_id, eb);
}

static bool f_bpa_on(const struct rp_sim_run *run, uint32_t i, const void *arg)
{
    (void)arg;
    const struct rp_sim_account *a = &run->world->accounts[i];
    return a->bpa[0] && a->bpa[1] && a->bpa[2] && a->bpa[3] &&
           rp_sim_scn_user_of(run->world, i, RP_SIM_USER_ADMIN) != RP_SIM_NONE;
}

static rp_err plan_account_bpa(struct rp_sim_run *run, const struct rp_sim_scenario *self,
                               struct rp_errbuf *eb)
{
    struct rp_sim_world *w = run->world;
    struct rp_sim_rng r;
    rng_of(run, self, &r);
    uint32_t acct = rp_sim_scn_pick(run, RP_SIM_K_ACCOUNT, &r, f_bpa_on, NULL);
    int64_t t0 = 0;
    if (acct == RP_SIM_NONE || !rp_sim_scn_when(run, self, &r, 10 * MIN, &t0)) return RP_OK;
    struct acct_ctx *c = rp_sim_scn_alloc(run, sizeof(*c));
    struct rp_sim_scn_ctplan *p = rp_sim_scn_ctplan_new(run, self);
    if (!c || !p) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    c->acct = acct;
    const struct rp_sim_account *ac = &w->accounts[acct];
    uint8_t a = 0;
    uint32_t admin = RP_SIM_NONE;
    if (!person(run, p, acct, RP_SIM_USER_ADMIN, ac->home_region, &a, &admin)) return RP_OK;
    p->hook = bpa_hook;
    p->hook_ctx = c;
    const char *host = rp_sim_scn_printf(run, "%s.s3-control.%s.amazonaws.com", ac->res.id,
                                         w->regions[ac->home_region]);
    call(run, p, a, t0, "s3.amazonaws.com", "GetAccountPublicAccessBlock",
         rp_sim_scn_printf(run, "{\"Host\":\"%s\"}", host), 0);
    int64_t t1 = t0 + rp_sim_rng_range(&r, 30, 120) * SEC;
    call(run, p, a, t1, "s3.amazonaws.com", "PutAccountPublicAccessBlock",
         rp_sim_scn_printf(run,
                           "{\"PublicAccessBlockConfiguration\":{\"xmlns\":\"http://s3.amazonaws."
                           "com/doc/2006-03-01/\",\"RestrictPublicBuckets\":false,"
                           "\"BlockPublicPolicy\":false,\"BlockPublicAcls\":false,"
                           "\"IgnorePublicAcls\":false},\"Host\":\"%s\"}",
                           host),
         1);
    rp_err e = rp_sim_scn_ctplan_start(run, p, eb);
    if (e != RP_OK) return e;
    static const char *const gd[] = {"Policy:S3/AccountBlockPublicAccessDisabled"};
    static const char *const cfg[] = {"S3_ACCOUNT_LEVEL_PUBLIC_ACCESS_BLOCKS",
                                      "S3_ACCOUNT_LEVEL_PUBLIC_ACCESS_BLOCKS_PERIODIC"};
    struct rp_sim_scn_list ent = {0};
    rp_sim_scn_list_add(&ent, ac->res.id);
    rp_sim_scn_list_add(&ent, w->users[admin].res.arn);
    struct rp_sim_truth tr = {0};
    tr.start_ms = t1;
    tr.end_ms = run->end_ms;
    LIST(tr, guardduty, gd);
    LIST(tr, config_rules, cfg);
    tr.entities = ent.p;
    tr.nentities = ent.n;
    tr.note = "an admin turns all four account-level S3 Block Public Access settings off "
              "(AWS::S3::AccountPublicAccessBlock in the Config history)";
    return rp_sim_scn_truth_add(run, self, &tr, eb);
}

const struct rp_sim_scenario rp_sim_scn_posture_s3_account_bpa_disabled = {
    .id = "posture-s3-account-bpa-disabled",
    .summary = "account-level S3 Block Public Access turned off",
    .kind = RP_SIM_SCN_POSTURE,
    .mitre = NULL,
    .plan = plan_account_bpa,
    .expects = RP_SIM_EXPECTS("GuardDuty:Policy:S3/AccountBlockPublicAccessDisabled",
                              "Config:S3_ACCOUNT_LEVEL_PUBLIC_ACCESS_BLOCKS",
                              "Config:S3_ACCOUNT_LEVEL_PUBLIC_ACCESS_BLOCKS_PERIODIC"),
};
