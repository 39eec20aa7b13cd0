/* SPDX-License-Identifier: Apache-2.0 */
/* Registries of rp_sim plug-ins (STYLE.md B5): the generators of sim_builtin.def in driver order
 * and the scenarios of sim_scenarios.def, each a NULL-terminated array of const descriptors
 * produced from the one .def list. */
#include "sim/sim_gen.h"

#define RP_SIM_GEN(sym) extern const struct rp_sim_gen sym;
#include "sim/sim_builtin.def"
#undef RP_SIM_GEN

#define RP_SIM_GEN(sym) &sym,
const struct rp_sim_gen *const rp_sim_gens[] = {
#include "sim/sim_builtin.def"
    NULL};
#undef RP_SIM_GEN

#define RP_SIM_SCENARIO(sym) extern const struct rp_sim_scenario sym;
#include "sim/sim_scenarios.def"
#undef RP_SIM_SCENARIO

#define RP_SIM_SCENARIO(sym) &sym,
const struct rp_sim_scenario *const rp_sim_scenarios[] = {
#include "sim/sim_scenarios.def"
    NULL};
#undef RP_SIM_SCENARIO
