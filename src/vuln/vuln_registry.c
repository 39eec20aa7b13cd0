/* SPDX-License-Identifier: Apache-2.0 */
/* The registry of version-ordering schemes (vuln.h): vuln_versionings.def expanded into
 * extern declarations and rp_vuln_versionings[] (STYLE.md B5), and the lookups by scheme name
 * and by OSV ecosystem name. */
#include <string.h>

#include "vuln/vuln.h"

#define RP_VULN_VERSIONING(sym) extern const struct rp_vuln_versioning sym;
#include "vuln_versionings.def"
#undef RP_VULN_VERSIONING

#define RP_VULN_VERSIONING(sym) &sym,
const struct rp_vuln_versioning *const rp_vuln_versionings[] = {
#include "vuln_versionings.def"
    NULL};
#undef RP_VULN_VERSIONING

#define RP_VULN_INVENTORY(sym) extern const struct rp_vuln_inventory_format sym;
#include "vuln_inventories.def"
#undef RP_VULN_INVENTORY

#define RP_VULN_INVENTORY(sym) &sym,
const struct rp_vuln_inventory_format *const rp_vuln_inventory_formats[] = {
#include "vuln_inventories.def"
    NULL};
#undef RP_VULN_INVENTORY

const struct rp_vuln_versioning *rp_vuln_versioning_find(const char *name)
{
    for (size_t i = 0; rp_vuln_versionings[i]; i++)
        if (strcmp(rp_vuln_versionings[i]->name, name) == 0) return rp_vuln_versionings[i];
    return NULL;
}

const struct rp_vuln_versioning *rp_vuln_versioning_for_ecosystem(struct rp_str eco)
{
    /* "Debian:12" is the Debian ecosystem: compare up to the ':' */
    size_t n = 0;
    while (n < eco.len && eco.p[n] != ':') n++;
    for (size_t i = 0; rp_vuln_versionings[i]; i++)
        for (const char *const *e = rp_vuln_versionings[i]->ecosystems; e && *e; e++)
            if (strlen(*e) == n && memcmp(*e, eco.p, n) == 0) return rp_vuln_versionings[i];
    return NULL;
}
