/* SPDX-License-Identifier: Apache-2.0 */
/* Private to src/hub: a validator of OCSF events against the project's own compact schema
 * JSON files in data/schemas/ocsf/<version>/ (format described in base_event.json there).
 * The OCSF exports are checked with it in the unit tests, so "OCSF 1.1.0" is a claim the
 * tests hold Rampart to, not a hope.
 *
 * What a valid event is: its class_uid names a class of the schema and category_uid is that
 * class's; type_uid = class_uid * 100 + activity_id; every attribute of the event and of each
 * object in it (recursively) is defined for that class or object (the class's own, those of
 * the classes it extends, and those of the profiles listed in metadata.profiles); values have
 * the defined type (string, 32-bit integer, long, float, boolean, timestamp_t, json, object,
 * object:<name>, array:<type>); enum attributes hold a defined id and, unless the id is 99
 * (Other), the sibling caption attribute (severity for severity_id, activity_name for
 * activity_id) when present equals the id's caption; every required attribute is present.
 *
 * Messages (the first problem found, in *eb), paths written as "a.b[2].c":
 *     ocsf: <class>: missing required attribute '<path>'
 *     ocsf: <class>: attribute '<path>' is not defined
 *     ocsf: <class>: attribute '<path>' must be <type>, not <json type>
 *     ocsf: <class>: attribute '<path>' has undefined value <n>
 *     ocsf: <class>: attribute '<path>' is '<text>', not '<caption>' (<enum path> <n>)
 *     ocsf: <class>: type_uid <n> is not class_uid * 100 + activity_id (<m>)
 *     ocsf: <class>: category_uid <n> is not <m>
 *     ocsf: <class>: profile '<name>' is not defined
 *     ocsf: unknown class_uid <n>
 * Not thread-safe per schema object; separate schemas are independent. */
#ifndef RP_HUB_OCSF_SCHEMA_H
#define RP_HUB_OCSF_SCHEMA_H

#include "core/rp_err.h"
#include "core/rp_json.h"

struct rp_hub_ocsf_schema;

/* Load every *.json file under data path dir (relative to data/, e.g. "schemas/ocsf/1.1";
 * built-in files, each replaced by a --data-dir overlay file of the same path). *out is a
 * heap object the caller frees with rp_hub_ocsf_schema_free. RP_ENOENT when dir has no
 * files, RP_EPARSE for a file that is not a schema (message names the file), RP_ENOMEM. */
rp_err rp_hub_ocsf_schema_load(const char *dir, struct rp_hub_ocsf_schema **out,
                               struct rp_errbuf *eb) RP_WUR;

/* NULL is a no-op. */
void rp_hub_ocsf_schema_free(struct rp_hub_ocsf_schema *s);

/* Check one event (see the top of this file). RP_OK, or RP_EINVAL with the first problem in
 * *eb. event is borrowed for the call. */
rp_err rp_hub_ocsf_validate(struct rp_hub_ocsf_schema *s, struct rp_json_val event,
                            struct rp_errbuf *eb) RP_WUR;

#endif
