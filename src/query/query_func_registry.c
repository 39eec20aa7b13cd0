/* SPDX-License-Identifier: Apache-2.0 */
/* The registry of SQL function groups of `rampart query` (query_table.h):
 * rp_query_func_groups[] comes from query_functions.def, so a group is added by writing
 * query_func_<name>.c and one .def line (STYLE.md B5), and rp_query_functions_register puts
 * every group on a connection. Registration order is the .def order; a later group may
 * override a function of an earlier one (none does today: names are unique, a unit test
 * checks it). */
#define RP_LOG_MODULE "query"
#include <stddef.h>

#include "query/query_table.h"
#include "core/rp_banned.h"

#define RP_QUERY_FUNCS(sym) extern const struct rp_query_funcs sym;
#include "query/query_functions.def"
#undef RP_QUERY_FUNCS

#define RP_QUERY_FUNCS(sym) &sym,
const struct rp_query_funcs *const rp_query_func_groups[] = {
#include "query/query_functions.def"
    NULL};
#undef RP_QUERY_FUNCS

int rp_query_functions_register(sqlite3 *db)
{
    for (size_t i = 0; rp_query_func_groups[i]; i++) {
        int rc = rp_query_func_groups[i]->register_fn(db);
        if (rc != SQLITE_OK) return rc;
    }
    return SQLITE_OK;
}
