/* SPDX-License-Identifier: Apache-2.0 */
/* YAML to JSON (rp_yaml.h) over libyaml's event parser: each event writes the matching JSON
 * through rp_json_writer, so the output is valid JSON by construction and nesting is bounded
 * by the writer's depth limit. The CloudFormation mode (rp_yaml_to_json_cfn) also turns the
 * short-form intrinsic function tags (!Ref, !If ..) into their long form and records where
 * each JSON value came from. */
#define RP_LOG_MODULE "core"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "core/rp_json.h"
#include "core/rp_str.h"
#include "core/rp_yaml.h"
#include "core/rp_banned.h"

static bool word_nocase(const char *s, size_t n, const char *w)
{
    return rp_str_eq_nocase((struct rp_str){s, n}, rp_str_from(w));
}

/* A plain scalar as YAML 1.2's core schema types it. */
static void write_plain(struct rp_json_writer *w, const char *s, size_t n)
{
    if (n == 0 || (n == 1 && s[0] == '~') || word_nocase(s, n, "null")) {
        rp_json_write_null(w);
        return;
    }
    if (word_nocase(s, n, "true") || word_nocase(s, n, "false")) {
        rp_json_write_bool(w, s[0] == 't' || s[0] == 'T');
        return;
    }
    /* [-+]?digits, or [-+]?digits.digits([eE][-+]?digits)? (no leading zeros but "0") */
    size_t i = 0;
    if (s[i] == '-' || s[i] == '+') i++;
    size_t d0 = i;
    while (i < n && s[i] >= '0' && s[i] <= '9') i++;
    bool num = i > d0 && !(s[d0] == '0' && i - d0 > 1);
    bool real = false;
    if (num && i < n && s[i] == '.') {
        size_t f = ++i;
        while (i < n && s[i] >= '0' && s[i] <= '9') i++;
        num = i > f;
        real = true;
    }
    if (num && i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '-' || s[i] == '+')) i++;
        size_t x = i;
        while (i < n && s[i] >= '0' && s[i] <= '9') i++;
        num = i > x;
        real = true;
    }
    if (num && i == n) {
        char buf[64];
        if (n < sizeof buf) {
            memcpy(buf, s, n);
            buf[n] = 0;
            char *end = NULL;
            if (!real) {
                long long v = strtoll(buf, &end, 10);
                if (end && *end == 0) {
                    rp_json_write_int(w, v);
                    return;
                }
            } else {
                double v = strtod(buf, &end);
                if (end && *end == 0) {
                    rp_json_write_double(w, v);
                    return;
                }
            }
        }
    }
    rp_json_write_str(w, s, n);
}

static rp_err fail_at(struct rp_errbuf *eb, rp_err code, size_t line, size_t col, const char *what)
{
    return rp_fail(eb, code, "yaml: line %zu column %zu: %s", line + 1, col + 1, what);
}

/* ---- CloudFormation short-form tags (rp_yaml_to_json_cfn) -------------------------------- */

/* The short-form intrinsic function tags and their long-form key. */
static const struct {
    const char *tag;  /* "!Ref" */
    const char *name; /* "Ref" */
} cfn_tags[] = {
    {"!Ref", "Ref"},
    {"!Condition", "Condition"},
    {"!Base64", "Fn::Base64"},
    {"!Cidr", "Fn::Cidr"},
    {"!FindInMap", "Fn::FindInMap"},
    {"!GetAtt", "Fn::GetAtt"},
    {"!GetAZs", "Fn::GetAZs"},
    {"!ImportValue", "Fn::ImportValue"},
    {"!Join", "Fn::Join"},
    {"!Select", "Fn::Select"},
    {"!Split", "Fn::Split"},
    {"!Sub", "Fn::Sub"},
    {"!Transform", "Fn::Transform"},
    {"!And", "Fn::And"},
    {"!Equals", "Fn::Equals"},
    {"!If", "Fn::If"},
    {"!Not", "Fn::Not"},
    {"!Or", "Fn::Or"},
    {"!ToJsonString", "Fn::ToJsonString"},
    {"!Length", "Fn::Length"},
};

/* The long-form key for a node's tag in CloudFormation mode: NULL when the node has no tag or
 * a YAML standard one (tag:yaml.org,2002:..., ignored as in plain mode); "" for a local tag
 * that is not an intrinsic function (an error). */
static const char *cfn_name(const yaml_char_t *tag)
{
    const char *t = (const char *)tag;
    if (!t || t[0] != '!') return NULL;
    for (size_t i = 0; i < sizeof cfn_tags / sizeof cfn_tags[0]; i++)
        if (strcmp(t, cfn_tags[i].tag) == 0) return cfn_tags[i].name;
    return "";
}

struct marks_acc {
    struct rp_yaml_marks *m; /* NULL = not wanted */
    bool oom;
};

static void mark(struct marks_acc *ma, size_t line, size_t col)
{
    if (!ma->m || ma->oom) return;
    struct rp_yaml_marks *m = ma->m;
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 64;
        struct rp_yaml_mark *v = realloc(m->v, cap * sizeof *v);
        if (!v) {
            ma->oom = true;
            return;
        }
        m->v = v;
        m->cap = cap;
    }
    m->v[m->n].line = (uint32_t)(line + 1);
    m->v[m->n].col = (uint32_t)(col + 1);
    m->n++;
}

/* A scalar under a short-form tag: {"<name>": value}. Ref and Condition take a name, GetAtt
 * "Resource.Attribute" becomes ["Resource", "Attribute"] (split at the first '.'). */
static void write_cfn_scalar(struct rp_json_writer *w, struct marks_acc *ma, const char *name,
                             const yaml_event_t *ev)
{
    const char *v = (const char *)ev->data.scalar.value;
    size_t len = ev->data.scalar.length, line = ev->start_mark.line, col = ev->start_mark.column;
    rp_json_write_obj_begin(w);
    rp_json_write_key(w, name, strlen(name));
    mark(ma, line, col);
    const char *dot = strcmp(name, "Fn::GetAtt") == 0 ? memchr(v, '.', len) : NULL;
    if (dot) {
        rp_json_write_arr_begin(w);
        rp_json_write_str(w, v, (size_t)(dot - v));
        rp_json_write_str(w, dot + 1, len - (size_t)(dot - v) - 1);
        rp_json_write_arr_end(w);
        mark(ma, line, col);
        mark(ma, line, col);
    } else if (strcmp(name, "Ref") == 0 || strcmp(name, "Condition") == 0 ||
               ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE) {
        rp_json_write_str(w, v, len);
    } else {
        write_plain(w, v, len);
    }
    rp_json_write_obj_end(w);
}

/* Per open container: is it a mapping, is a key due, and does a short-form tag's wrapper
 * object close with it. */
struct frame {
    bool map, key_due, wrapped;
};

static rp_err convert(const char *yaml, size_t n, bool cfn, struct rp_buf *out,
                      struct rp_yaml_marks *marks, struct rp_errbuf *eb)
{
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) return rp_fail(eb, RP_ENOMEM, "yaml: out of memory");
    yaml_parser_set_input_string(&parser, (const unsigned char *)(yaml ? yaml : ""), n);
    struct rp_json_writer w;
    size_t start = out->len;
    rp_json_writer_init(&w, out);
    struct marks_acc ma = {.m = marks, .oom = false};
    if (marks) marks->n = 0;
    /* wrapper objects count as nesting, so depth bounds the JSON output exactly */
    struct frame st[RP_MAX_JSON_DEPTH + 2];
    size_t depth = 0, docs = 0;
    rp_err e = RP_OK;
    bool done = false;
    while (!done && !e) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) {
            e = fail_at(eb, RP_EPARSE, parser.problem_mark.line, parser.problem_mark.column,
                        parser.problem ? parser.problem : "bad YAML");
            break;
        }
        size_t line = ev.start_mark.line, col = ev.start_mark.column;
        bool is_key = depth && st[depth - 1].map && st[depth - 1].key_due;
        const yaml_char_t *tag = NULL;
        if (ev.type == YAML_SCALAR_EVENT) tag = ev.data.scalar.tag;
        if (ev.type == YAML_SEQUENCE_START_EVENT) tag = ev.data.sequence_start.tag;
        if (ev.type == YAML_MAPPING_START_EVENT) tag = ev.data.mapping_start.tag;
        const char *fn = cfn ? cfn_name(tag) : NULL;
        if (fn && !fn[0]) {
            char what[96];
            snprintf(what, sizeof what, "unknown tag '%.64s'", (const char *)tag);
            e = fail_at(eb, RP_EPARSE, line, col, what);
            yaml_event_delete(&ev);
            break;
        }
        if (fn && is_key) {
            e = fail_at(eb, RP_EPARSE, line, col, "a tag on a key");
            yaml_event_delete(&ev);
            break;
        }
        switch (ev.type) {
        case YAML_STREAM_END_EVENT:
            done = true;
            break;
        case YAML_DOCUMENT_START_EVENT:
            if (++docs > 1) e = fail_at(eb, RP_EPARSE, line, col, "a second document");
            break;
        case YAML_ALIAS_EVENT:
            e = fail_at(eb, RP_EPARSE, line, col, "aliases are not supported");
            break;
        case YAML_SCALAR_EVENT: {
            if (ev.data.scalar.anchor) {
                e = fail_at(eb, RP_EPARSE, line, col, "anchors are not supported");
                break;
            }
            const char *v = (const char *)ev.data.scalar.value;
            size_t len = ev.data.scalar.length;
            if (is_key) {
                rp_json_write_key(&w, v, len);
                st[depth - 1].key_due = false;
                break;
            }
            if (fn && depth + 2 > RP_MAX_JSON_DEPTH + 1) {
                e = fail_at(eb, RP_ELIMIT, line, col, "nested too deep");
                break;
            }
            mark(&ma, line, col);
            if (fn)
                write_cfn_scalar(&w, &ma, fn, &ev);
            else if (ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE)
                write_plain(&w, v, len);
            else
                rp_json_write_str(&w, v, len);
            if (depth && st[depth - 1].map) st[depth - 1].key_due = true;
            break;
        }
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT: {
            bool m = ev.type == YAML_MAPPING_START_EVENT;
            if (is_key) {
                e = fail_at(eb, RP_EPARSE, line, col, "a key that is not a scalar");
                break;
            }
            if ((m ? ev.data.mapping_start.anchor : ev.data.sequence_start.anchor)) {
                e = fail_at(eb, RP_EPARSE, line, col, "anchors are not supported");
                break;
            }
            if (depth + (fn ? 1 : 0) >= RP_MAX_JSON_DEPTH + 1) {
                e = fail_at(eb, RP_ELIMIT, line, col, "nested too deep");
                break;
            }
            if (fn) {
                mark(&ma, line, col);
                rp_json_write_obj_begin(&w);
                rp_json_write_key(&w, fn, strlen(fn));
            }
            mark(&ma, line, col);
            if (m)
                rp_json_write_obj_begin(&w);
            else
                rp_json_write_arr_begin(&w);
            st[depth] = (struct frame){.map = m, .key_due = true, .wrapped = fn != NULL};
            depth++;
            break;
        }
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            if (ev.type == YAML_MAPPING_END_EVENT)
                rp_json_write_obj_end(&w);
            else
                rp_json_write_arr_end(&w);
            depth--;
            if (st[depth].wrapped) rp_json_write_obj_end(&w);
            if (depth && st[depth - 1].map) st[depth - 1].key_due = true;
            break;
        default:
            break;
        }
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&parser);
    if (!e && docs == 0) {
        mark(&ma, 0, 0);
        rp_json_write_null(&w); /* an empty stream is null */
    }
    rp_err we = rp_json_writer_finish(&w);
    if (!e && !we && ma.oom) e = rp_fail(eb, RP_ENOMEM, "yaml: out of memory");
    if (e || we) {
        rp_buf_truncate(out, start); /* a complete first document before the error too */
        if (marks) marks->n = 0;
    }
    if (e) return e;
    if (we)
        return rp_fail(eb, we, "yaml: %s", we == RP_ELIMIT ? "output too large" : rp_strerror(we));
    return RP_OK;
}

rp_err rp_yaml_to_json(const char *yaml, size_t n, struct rp_buf *out, struct rp_errbuf *eb)
{
    return convert(yaml, n, false, out, NULL, eb);
}

rp_err rp_yaml_to_json_cfn(const char *yaml, size_t n, struct rp_buf *out,
                           struct rp_yaml_marks *marks, struct rp_errbuf *eb)
{
    return convert(yaml, n, true, out, marks, eb);
}

void rp_yaml_marks_init(struct rp_yaml_marks *m)
{
    m->v = NULL;
    m->n = m->cap = 0;
}

void rp_yaml_marks_release(struct rp_yaml_marks *m)
{
    free(m->v);
    rp_yaml_marks_init(m);
}
