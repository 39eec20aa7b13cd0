/* SPDX-License-Identifier: Apache-2.0 */
/* The validator registry (dataid_validators.def, STYLE.md B5) and Macie's category names. */
#define RP_LOG_MODULE "dataid"

#include <string.h>

#include "dataid/dataid.h"
#include "core/rp_banned.h"

#define RP_DATAID_VALIDATOR(sym) extern const struct rp_dataid_validator sym;
#include "dataid/dataid_validators.def"
#undef RP_DATAID_VALIDATOR

#define RP_DATAID_VALIDATOR(sym) &sym,
const struct rp_dataid_validator *const rp_dataid_validators[] = {
#include "dataid/dataid_validators.def"
    NULL};
#undef RP_DATAID_VALIDATOR

const struct rp_dataid_validator *rp_dataid_validator_find(const char *name)
{
    for (size_t i = 0; name && rp_dataid_validators[i]; i++)
        if (strcmp(rp_dataid_validators[i]->name, name) == 0) return rp_dataid_validators[i];
    return NULL;
}

const char *rp_dataid_category_name(enum rp_dataid_category c)
{
    switch (c) {
    case RP_DATAID_CREDENTIALS:
        return "CREDENTIALS";
    case RP_DATAID_FINANCIAL:
        return "FINANCIAL_INFORMATION";
    case RP_DATAID_PERSONAL:
        return "PERSONAL_INFORMATION";
    case RP_DATAID_CUSTOM:
        return "CUSTOM_IDENTIFIER";
    }
    return "?";
}
