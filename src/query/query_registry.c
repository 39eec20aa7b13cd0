/* SPDX-License-Identifier: Apache-2.0 */
/* The registry of `rampart query` tables: query_tables.def expanded into extern declarations
 * and the NULL-terminated rp_query_tables[] (STYLE.md B5). Adding a table or connector is one
 * query_tab_<name>.c plus one line in query_tables.def. */
#include <stddef.h>

#include "query/query_table.h"

#define RP_QUERY_TABLE(sym) extern const struct rp_query_table sym;
#include "query_tables.def"
#undef RP_QUERY_TABLE

#define RP_QUERY_TABLE(sym) &sym,
const struct rp_query_table *const rp_query_tables[] = {
#include "query_tables.def"
    NULL};
#undef RP_QUERY_TABLE
