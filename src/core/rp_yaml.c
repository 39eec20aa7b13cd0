/* SPDX-License-Identifier: Apache-2.0 */
/* YAML to JSON (rp_yaml.h) over libyaml's event parser: each event writes the matching JSON
 * through rp_json_writer, so the output is valid JSON by construction and nesting is bounded
 * by the writer's depth limit. */
#define RP_LOG_MODULE "core"

#include <stdbool.h>
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

rp_err rp_yaml_to_json(const char *yaml, size_t n, struct rp_buf *out, struct rp_errbuf *eb)
{
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) return rp_fail(eb, RP_ENOMEM, "yaml: out of memory");
    yaml_parser_set_input_string(&parser, (const unsigned char *)(yaml ? yaml : ""), n);
    struct rp_json_writer w;
    size_t start = out->len;
    rp_json_writer_init(&w, out);
    /* per open container: is it a mapping, and is a key due */
    bool map[RP_MAX_JSON_DEPTH + 2], key_due[RP_MAX_JSON_DEPTH + 2];
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
        bool is_key = depth && map[depth - 1] && key_due[depth - 1];
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
                key_due[depth - 1] = false;
                break;
            }
            if (ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE)
                write_plain(&w, v, len);
            else
                rp_json_write_str(&w, v, len);
            if (depth && map[depth - 1]) key_due[depth - 1] = true;
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
            if (depth >= RP_MAX_JSON_DEPTH + 1) {
                e = fail_at(eb, RP_ELIMIT, line, col, "nested too deep");
                break;
            }
            if (m)
                rp_json_write_obj_begin(&w);
            else
                rp_json_write_arr_begin(&w);
            map[depth] = m;
            key_due[depth] = true;
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
            if (depth && map[depth - 1]) key_due[depth - 1] = true;
            break;
        default:
            break;
        }
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&parser);
    if (!e && docs == 0) rp_json_write_null(&w); /* an empty stream is null */
    rp_err we = rp_json_writer_finish(&w);
    if (e) {
        rp_buf_truncate(out, start); /* a complete first document before the error too */
        return e;
    }
    if (we)
        return rp_fail(eb, we, "yaml: %s", we == RP_ELIMIT ? "output too large" : rp_strerror(we));
    return RP_OK;
}
