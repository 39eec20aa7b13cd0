/* SPDX-License-Identifier: Apache-2.0 */
/* UnauthorizedAccess:IAMUser/ConsoleLoginSuccess.B (aws-facts §4.5): the same IAM user (or
 * the root user) signed in to the console successfully from two distant places at about the
 * same time, which one person cannot do.
 *
 * Without a geolocation database "distant" is "another network": a different /16 for IPv4,
 * a different /32 for IPv6, and "about the same time" is within RP_CT_CL_WINDOW_MS of a
 * remembered sign-in of the user. Only public addresses count (a sign-in from a private
 * address came through the user's own network); an address on a trusted-IP list never counts,
 * neither as the new sign-in nor as the one it is compared with (another office of the
 * company). The finding is raised on the later sign-in: resource the user (the principal ARN,
 * a sign-in has no access key), remote address the later one, first seen the earlier
 * sign-in's time; the evidence key is the later network, so repeated sign-ins from that
 * network fold into one finding and another network makes another.
 *
 * State: per user the last RP_CT_CL_KEEP sign-ins inside the window, for at most
 * RP_CT_CL_USERS users (least recently signed in forgotten first, counted by the map): about
 * 270 bytes per user, 17 MiB at most. */
#define RP_LOG_MODULE "detect"
#include <stdlib.h>
#include <string.h>

#include "detect/detect_ct_common.h"
#include "core/rp_banned.h"

#define RP_CT_CL_WINDOW_MS (60LL * 60 * 1000) /* "about the same time": one hour */
#define RP_CT_CL_KEEP      4                  /* sign-ins remembered per user */
#define RP_CT_CL_USERS     65536              /* users remembered */
#define RP_CT_CL_V4_PREFIX 16                 /* "another network" for IPv4 */
#define RP_CT_CL_V6_PREFIX 32                 /* and for IPv6 */

static const struct rp_det_type types[] = {
    {"UnauthorizedAccess:IAMUser/ConsoleLoginSuccess.B", 5.0,
     "Multiple worldwide successful console logins for %s",
     "The same user signed in to the AWS console successfully from distant networks at about "
     "the same time. One of the sign-ins may use stolen credentials."},
};

struct login {
    int64_t ms;
    struct rp_ip ip; /* unmapped */
};

struct user {
    struct login l[RP_CT_CL_KEEP];
    uint32_t n;
};

struct st {
    struct rp_det_ct_work w;
    struct rp_det_ct_map *users;
};

static void release(void *state)
{
    struct st *s = state;
    if (!s) return;
    rp_det_ct_work_release(&s->w);
    rp_det_ct_map_free(s->users);
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
    if (rp_det_ct_map_new(RP_CT_CL_USERS, sizeof(struct user), &s->users))
        return rp_fail(eb, RP_ENOMEM, "detect: out of memory");
    return RP_OK;
}

static struct rp_cidr net_of(const struct rp_ip *ip)
{
    struct rp_cidr c;
    memset(&c, 0, sizeof(c));
    unsigned len = ip->family == RP_IP_V4 ? RP_CT_CL_V4_PREFIX : RP_CT_CL_V6_PREFIX;
    if (rp_cidr_from_ip(ip, len, &c, NULL) != RP_OK) c.addr = *ip;
    return c;
}

static bool same_net(const struct rp_ip *a, const struct rp_ip *b)
{
    struct rp_cidr x = net_of(a), y = net_of(b);
    return x.len == y.len && rp_ip_eq(&x.addr, &y.addr);
}

/* Drop sign-ins older than the window before now. */
static void expire(struct user *u, int64_t now)
{
    uint32_t k = 0;
    for (uint32_t i = 0; i < u->n; i++)
        if (now - u->l[i].ms <= RP_CT_CL_WINDOW_MS) u->l[k++] = u->l[i];
    u->n = k;
}

/* Remember a sign-in: replace one from the same network, else the oldest when full. */
static void remember(struct user *u, int64_t ms, const struct rp_ip *ip)
{
    uint32_t slot = u->n;
    for (uint32_t i = 0; i < u->n; i++)
        if (same_net(&u->l[i].ip, ip)) slot = i;
    if (slot == u->n && u->n == RP_CT_CL_KEEP) {
        slot = 0;
        for (uint32_t i = 1; i < u->n; i++)
            if (u->l[i].ms < u->l[slot].ms) slot = i;
    }
    if (slot == u->n) u->n++;
    u->l[slot].ms = ms;
    u->l[slot].ip = *ip;
}

static rp_err event(struct rp_det_ctx *dc, void *state, const struct rp_det_event *ev,
                    struct rp_errbuf *eb)
{
    struct st *s = state;
    rp_det_ct_work_reset(&s->w);
    if (!rp_det_ct_eq(ev, RP_CT_EVENT_NAME, "ConsoleLogin")) return RP_OK;
    if (!rp_det_ct_eq(ev, RP_CT_UID_TYPE, "IAMUser") && !rp_det_ct_eq(ev, RP_CT_UID_TYPE, "Root"))
        return RP_OK;
    if (!rp_det_ct_login_ok(&s->w, ev)) return RP_OK;
    struct rp_ip ip;
    if (!rp_det_ct_src_ip(ev, &ip)) return RP_OK;
    rp_ip_unmap(&ip, &ip);
    if (!rp_ip_is_public(&ip) || rp_det_ti_trusted(dc, &ip)) return RP_OK;
    struct rp_str who = rp_det_ct_field(ev, RP_CT_UID_ARN);
    if (!who.p) who = rp_det_ct_field(ev, RP_CT_UID_PRINCIPAL_ID);
    if (!who.p) who = rp_det_ct_field(ev, RP_CT_PRINCIPAL);
    if (!who.p) return RP_OK;
    struct user *u = rp_det_ct_map_put(s->users, who, NULL);
    if (!u) return rp_fail(eb, RP_ENOMEM, "detect: out of memory");
    expire(u, ev->time_ms);
    const struct login *other = NULL;
    for (uint32_t i = 0; i < u->n; i++)
        if (!same_net(&u->l[i].ip, &ip) && (!other || u->l[i].ms < other->ms)) other = &u->l[i];
    int64_t first = other ? other->ms : 0;
    remember(u, ev->time_ms, &ip);
    if (!other) return RP_OK;

    struct rp_det_finding f;
    rp_err e = rp_det_ct_finding(&s->w, ev, types[0].type, &f);
    if (e == RP_ENOENT) return RP_OK;
    if (e) return rp_fail(eb, e, "detect: out of memory");
    char net[RP_CIDR_STRBUFSZ];
    struct rp_cidr c = net_of(&ip);
    if (rp_cidr_format(&c, net, sizeof(net)) != RP_OK) net[0] = '\0';
    f.first_ms = first < ev->time_ms ? first : ev->time_ms;
    f.last_ms = ev->time_ms;
    f.evidence_key = net;
    return rp_det_emit(dc, &f, eb);
}

const struct rp_detector rp_det_ct_console = {
    .id = "ct.console-login-success-b",
    .source = RP_DET_SRC_CLOUDTRAIL,
    .kind = RP_DET_WINDOW,
    .summary = "one user signed in from two distant networks at about the same time",
    .types = types,
    .ntypes = RP_ARRAY_LEN(types),
    .init = init,
    .event = event,
    .release = release,
};
