/* SPDX-License-Identifier: Apache-2.0 */
/* Private to src/vuln: the builder that turns the hits of one (resource, vulnerability) into
 * one PACKAGE_VULNERABILITY finding (vuln_finding.c), used by the scan (vuln_scan.c). */
#ifndef RP_VULN_FINDING_H
#define RP_VULN_FINDING_H

#include "vuln/vuln.h"

/* The resource packages belong to; account/region NULL when the path did not say. */
struct rp_vuln_fres {
    const char *id, *type, *account, *region;
};

struct rp_vuln_fbuilder;

/* A builder reading advisories and configuration items from st. RP_ENOMEM, store errors. */
rp_err rp_vuln_fbuilder_new(struct rp_store *st, const struct rp_vuln_scan_opts *o,
                            struct rp_vuln_fbuilder **out, struct rp_errbuf *eb) RP_WUR;
void rp_vuln_fbuilder_free(struct rp_vuln_fbuilder *fb);

/* Start the finding of vuln_id on r (both borrowed until _emit returns). */
void rp_vuln_fbuilder_reset(struct rp_vuln_fbuilder *fb, const struct rp_vuln_fres *r,
                            const char *vuln_id);
/* Add a package the vulnerability affects, matched through advisory (borrowed until _emit
 * returns); the same package twice is listed once. */
rp_err rp_vuln_fbuilder_add(struct rp_vuln_fbuilder *fb, const struct rp_vuln_vpkg *p,
                            const char *advisory, struct rp_errbuf *eb) RP_WUR;
/* Render the finding and pass it to fn; fn's error is returned. */
rp_err rp_vuln_fbuilder_emit(struct rp_vuln_fbuilder *fb, rp_vuln_finding_fn fn, void *ctx,
                             struct rp_errbuf *eb) RP_WUR;

#endif
