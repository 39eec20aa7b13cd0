/* SPDX-License-Identifier: Apache-2.0 */
/* UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS and .InsideAWS
 * (aws-facts §4.5, §4.10): the temporary credentials EC2 delivers to an instance (a role
 * session the run ties to the instance, RP_CT_UID_SOURCE_INSTANCE: inScopeOf, or a session
 * named after the instance id) used from somewhere that is not the instance.
 *
 * Per session access key the detector remembers its home: the first public address the key
 * was used from (the instance's own public address, the NAT gateway it leaves through, a
 * central egress in a network account; EC2 hands the credentials to the instance, which uses
 * them at once). A later call from an address that is
 *   - the home, the instance's own (the inventory's interface of that instance), another
 *     interface of the same account (a NAT gateway), not public (a VPC endpoint, the VPC
 *     itself), or on a trusted-IP list: is normal;
 *   - an interface the inventory knows in another account: .InsideAWS, Medium (5.0): the
 *     inventory only holds the monitored accounts, so that account is affiliated, for which
 *     GuardDuty lowers the severity from High; RemoteAccountDetails names it;
 *   - anything else other than the home: .OutsideAWS, High (8.0).
 * Limits: without AWS's published address ranges an attacker's EC2 instance in an unrelated
 * account is reported as OutsideAWS, not InsideAWS; a key first used by the thief (before the
 * instance, or before the first event this run reads) makes the thief's address the home, and
 * the instance's own later calls then raise the finding about the instance's address. Calls
 * an AWS service made with the credentials (invokedBy) are not checked.
 * One finding per key and remote address (the evidence key), Count adds up its calls.
 * State: RP_CT_ICE_KEYS session keys (least recently used forgotten first; instance
 * credentials rotate every few hours, so old keys go first): about 160 bytes per key, 10 MiB
 * at most. */
#define RP_LOG_MODULE "detect"
#include <stdlib.h>
#include <string.h>

#include "detect/detect_ct_common.h"
#include "core/rp_banned.h"

#define RP_CT_ICE_KEYS 65536 /* session keys remembered */

static const struct rp_det_type types[] = {
    {"UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.InsideAWS", 8.0,
     "Instance credentials %s used from another AWS account",
     "Temporary credentials that EC2 delivered to an instance were used from an address that "
     "belongs to a resource of another AWS account. They may have been taken from the "
     "instance."},
    {"UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS", 8.0,
     "Instance credentials %s used from external IP address",
     "Temporary credentials that EC2 delivered to an instance were used from an address "
     "outside AWS, not the instance's. They may have been stolen from the instance, for "
     "example through its metadata service."},
};

#define SEV_AFFILIATED 5.0 /* InsideAWS from an account of the inventory (affiliated) */

struct key {
    struct rp_ip home;
    bool has_home;
};

struct st {
    struct rp_det_ct_work w;
    struct rp_det_ct_map *keys;
};

static void release(void *state)
{
    struct st *s = state;
    if (!s) return;
    rp_det_ct_work_release(&s->w);
    rp_det_ct_map_free(s->keys);
    free(s);
}

static rp_err init(struct rp_det_ctx *dc, void **state, struct rp_errbuf *eb)
{
    (void)dc;
    struct st *s = calloc(1, sizeof(*s));
    if (!s) return rp_fail(eb, RP_ENOMEM, "detect: out of memory");
    *state = s;
    rp_err e = rp_det_ct_work_init(&s->w, eb);
    if (e) return e;
    if (rp_det_ct_map_new(RP_CT_ICE_KEYS, sizeof(struct key), &s->keys))
        return rp_fail(eb, RP_ENOMEM, "detect: out of memory");
    return RP_OK;
}

static struct rp_str event_account(const struct rp_det_event *ev)
{
    struct rp_str a = rp_det_ct_field(ev, RP_CT_ACCOUNT);
    if (!a.p) a = rp_det_ct_field(ev, RP_CT_RECIPIENT_ACCOUNT);
    if (!a.p) a = rp_det_ct_field(ev, RP_CT_UID_ACCOUNT_ID);
    return a;
}

static rp_err event(struct rp_det_ctx *dc, void *state, const struct rp_det_event *ev,
                    struct rp_errbuf *eb)
{
    struct st *s = state;
    rp_det_ct_work_reset(&s->w);
    struct rp_str inst = rp_det_ct_field(ev, RP_CT_UID_SOURCE_INSTANCE);
    struct rp_str akid = rp_det_ct_field(ev, RP_CT_ACCESS_KEY_ID);
    if (!inst.p || !akid.p || rp_det_ct_by_service(ev)) return RP_OK;
    struct rp_ip ip;
    if (!rp_det_ct_src_ip(ev, &ip)) return RP_OK;
    rp_ip_unmap(&ip, &ip);
    /* the common case first: the key used from its home again */
    const struct key *seen = rp_det_ct_map_get(s->keys, akid);
    if (seen && seen->has_home && rp_ip_eq(&seen->home, &ip)) return RP_OK;
    if (rp_det_ti_trusted(dc, &ip)) return RP_OK;
    char ipbuf[RP_IP_STRBUFSZ];
    if (rp_ip_format(&ip, ipbuf, sizeof(ipbuf)) != RP_OK) return RP_OK;

    /* what the inventory knows about the address */
    const struct rp_det_inv_eni *x = rp_det_inv_ip(dc, rp_str_from(ipbuf));
    const char *remote_account = NULL;
    bool own = false;
    if (x) {
        struct rp_str acct = event_account(ev);
        own = (x->instance_id && rp_str_eq_cstr(inst, x->instance_id)) || !x->account ||
              (acct.p && rp_str_eq_cstr(acct, x->account));
        if (!own) remote_account = x->account;
    } else if (!rp_ip_is_public(&ip)) {
        return RP_OK;
    }

    struct key *k = rp_det_ct_map_put(s->keys, akid, NULL);
    if (!k) return rp_fail(eb, RP_ENOMEM, "detect: out of memory");
    if (own || !k->has_home) {
        /* the instance's own path out (its address, its account's NAT gateway), or the first
         * address of the key: a central egress of another account is the home too */
        if (!k->has_home && rp_ip_is_public(&ip)) {
            k->home = ip;
            k->has_home = true;
        }
        return RP_OK;
    }
    if (rp_ip_eq(&k->home, &ip)) return RP_OK;

    const struct rp_det_type *t = remote_account ? &types[0] : &types[1];
    struct rp_det_finding f;
    rp_err e = rp_det_ct_finding(&s->w, ev, t->type, &f);
    if (e == RP_ENOENT) return RP_OK;
    if (e) return rp_fail(eb, e, "detect: out of memory");
    f.evidence_key = f.remote_ip;
    if (remote_account) {
        f.remote_account = remote_account;
        f.severity = SEV_AFFILIATED;
    }
    return rp_det_emit(dc, &f, eb);
}

const struct rp_detector rp_det_ct_instance_cred = {
    .id = "ct.instance-credential-exfiltration",
    .source = RP_DET_SRC_CLOUDTRAIL,
    .kind = RP_DET_SIGNATURE,
    .summary = "instance-role credentials used from outside the instance",
    .types = types,
    .ntypes = RP_ARRAY_LEN(types),
    .init = init,
    .event = event,
    .release = release,
};
