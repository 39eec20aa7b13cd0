/* SPDX-License-Identifier: Apache-2.0 */
/* YAML (STYLE.md B10: libyaml, behind this one wrapper): a YAML document turned into JSON
 * text, so every YAML file Rampart reads (identifier files, rules, frameworks) is then read
 * with rp_json like any JSON. Only rp_yaml.c includes yaml.h.
 *
 * Mappings become objects (keys must be scalars), sequences arrays. Plain scalars are typed
 * as YAML 1.2's core schema does: null, ~ and the empty value -> null; true/false (any case
 * of those words) -> booleans; decimal integers and floats -> numbers; everything else, and
 * every quoted or block scalar, -> a string. Tags are ignored (the scalar keeps its style's
 * type). Anchors and aliases are refused, and so is a second document in the stream.
 * rp_yaml_to_json_cfn reads CloudFormation's short-form tags (below). */
#ifndef RP_YAML_H
#define RP_YAML_H

#include <stddef.h>
#include <stdint.h>

#include "core/rp_buf.h"
#include "core/rp_err.h"

/* Append the JSON of the YAML document yaml[0..n) to out. RP_EPARSE with "yaml: line L
 * column C: <problem>" (1-based, where libyaml stopped) for bad YAML or what is refused
 * above; RP_ELIMIT when out's cap or the nesting limit (RP_MAX_JSON_DEPTH) is passed;
 * RP_ENOMEM. On error out is left as it was. */
rp_err rp_yaml_to_json(const char *yaml, size_t n, struct rp_buf *out, struct rp_errbuf *eb) RP_WUR;

/* ---- CloudFormation templates ------------------------------------------------------------ */

/* Where each JSON value came from: v[i] is the 1-based line and column in the YAML of the i-th
 * value of the output in document order (a preorder walk: an object or array comes before its
 * members; keys are not values). A value a short-form tag produced (the wrapper object and,
 * for !GetAtt, its array) gets the tag's position. An empty stream's null is at 1:1. The array
 * is heap memory owned by the struct: _init, then _release. */
struct rp_yaml_mark {
    uint32_t line; /* 1-based */
    uint32_t col;  /* 1-based */
};
struct rp_yaml_marks {
    struct rp_yaml_mark *v;
    size_t n;   /* one per JSON value */
    size_t cap; /* allocated entries */
};
void rp_yaml_marks_init(struct rp_yaml_marks *m);
void rp_yaml_marks_release(struct rp_yaml_marks *m);

/* As rp_yaml_to_json, for CloudFormation templates (AWS Config conformance packs): the
 * short-form intrinsic function tags become the long form AWS documents, so a reader sees one
 * shape whichever the author wrote:
 *   !Ref X -> {"Ref":"X"}             !Condition C -> {"Condition":"C"}
 *   !If [c, a, b] -> {"Fn::If":[c,a,b]}, and likewise !Equals !Not !And !Or !Join !Select
 *   !Split !Sub !FindInMap !Base64 !Cidr !GetAZs !ImportValue !Transform !ToJsonString !Length
 *   (the tagged node, scalar, sequence or mapping, becomes the value of the "Fn::<Name>" key)
 *   !GetAtt R.A -> {"Fn::GetAtt":["R","A"]} (split at the first '.'; a sequence is kept)
 * The argument of !Ref and !Condition is always a string; other tagged scalars are typed as
 * untagged ones are. Tags of the YAML core schema (!!str ..) are ignored as in rp_yaml_to_json.
 * Any other local tag is RP_EPARSE "yaml: line L column C: unknown tag '!X'", and a tag on a
 * mapping key is "a tag on a key". marks may be NULL; otherwise it is filled as described
 * above (and emptied on error). Errors as rp_yaml_to_json, plus RP_ENOMEM for the marks. */
rp_err rp_yaml_to_json_cfn(const char *yaml, size_t n, struct rp_buf *out,
                           struct rp_yaml_marks *marks, struct rp_errbuf *eb) RP_WUR;

#endif
