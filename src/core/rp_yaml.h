/* SPDX-License-Identifier: Apache-2.0 */
/* YAML (STYLE.md B10: libyaml, behind this one wrapper): a YAML document turned into JSON
 * text, so every YAML file Rampart reads (identifier files, rules, frameworks) is then read
 * with rp_json like any JSON. Only rp_yaml.c includes yaml.h.
 *
 * Mappings become objects (keys must be scalars), sequences arrays. Plain scalars are typed
 * as YAML 1.2's core schema does: null, ~ and the empty value -> null; true/false (any case
 * of those words) -> booleans; decimal integers and floats -> numbers; everything else, and
 * every quoted or block scalar, -> a string. Tags are ignored (the scalar keeps its style's
 * type). Anchors and aliases are refused, and so is a second document in the stream. */
#ifndef RP_YAML_H
#define RP_YAML_H

#include <stddef.h>

#include "core/rp_buf.h"
#include "core/rp_err.h"

/* Append the JSON of the YAML document yaml[0..n) to out. RP_EPARSE with "yaml: line L
 * column C: <problem>" (1-based, where libyaml stopped) for bad YAML or what is refused
 * above; RP_ELIMIT when out's cap or the nesting limit (RP_MAX_JSON_DEPTH) is passed;
 * RP_ENOMEM. On error out is left as it was. */
rp_err rp_yaml_to_json(const char *yaml, size_t n, struct rp_buf *out, struct rp_errbuf *eb) RP_WUR;

#endif
