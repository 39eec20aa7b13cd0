/* SPDX-License-Identifier: Apache-2.0 */
/* rp_json, the simdjson half (see rp_json.h): the only C++ file in the tree and the only one
 * that includes simdjson.h (STYLE.md B10).
 *
 * Parsing uses simdjson's DOM parser, which writes the document onto a "tape" of 64-bit
 * words. A struct rp_json_val is a (document, tape index) pair, the same thing as simdjson's
 * internal::tape_ref, so every accessor below is a few loads on the tape with no allocation
 * and no C++ exception machinery; nothing here throws. When simdjson refuses a document,
 * rp_json_validate() (rp_json.c) rescans it to find the byte offset and reason, because
 * simdjson reports neither. Serialization walks the tape linearly and feeds the C writer. */
#include <simdjson.h>

#include <cstring>
#include <new>

extern "C" {
#include "core/rp_json.h"
}

static_assert(RP_BUF_PADDING >= simdjson::SIMDJSON_PADDING,
              "rp_buf padding must cover simdjson's read-ahead");

using simdjson::dom::document;
using simdjson::internal::tape_ref;
using simdjson::internal::tape_type;

struct rp_json_parser {
    simdjson::dom::parser dp;
    size_t max_bytes;  /* documents longer than this are RP_ELIMIT */
    size_t max_depth;  /* nesting allowed; simdjson is given max_depth + 1 */
    size_t err_offset; /* see rp_json_parser_err_offset() */
    bool ready;        /* dp has been allocated with max_depth */
};

namespace {

/* simdjson's max_depth N admits values at depth N - 1 at most (depth as in rp_json.h). */
constexpr size_t SIMDJSON_DEPTH_EXTRA = 1;

inline const document *doc_of(const void *d)
{
    return static_cast<const document *>(d);
}

inline tape_type kind(const void *d, size_t i)
{
    return static_cast<tape_type>(doc_of(d)->tape[i] >> 56);
}

inline tape_type kind(rp_json_val v)
{
    return kind(v.doc, v.idx);
}

inline size_t after(const void *d, size_t i)
{
    return tape_ref(doc_of(d), i).after_element();
}

inline rp_str str_at(const void *d, size_t i)
{
    tape_ref t(doc_of(d), i);
    return rp_str{t.get_c_str(), t.get_string_length()};
}

size_t clamp_bytes(size_t n)
{
    size_t cap = n ? n : (size_t)RP_MAX_JSON_BYTES;
    return cap < simdjson::SIMDJSON_MAXSIZE_BYTES ? cap : simdjson::SIMDJSON_MAXSIZE_BYTES;
}

rp_err parse_impl(rp_json_parser *p, const char *json, size_t len, bool padded, rp_json_val *root,
                  rp_errbuf *eb)
{
    *root = rp_json_val{nullptr, 0};
    p->err_offset = SIZE_MAX;
    if (len > p->max_bytes)
        return rp_fail(eb, RP_ELIMIT, "json: document of %zu bytes is over the size limit of %zu",
                       len, p->max_bytes);
    if (RP_UNLIKELY(!p->ready)) {
        size_t cap = p->dp.capacity() ? p->dp.capacity() : simdjson::dom::MINIMAL_DOCUMENT_CAPACITY;
        if (p->dp.allocate(cap, p->max_depth + SIMDJSON_DEPTH_EXTRA) != simdjson::SUCCESS)
            return rp_fail(eb, RP_ENOMEM, "json: out of memory for a parser of depth %zu",
                           p->max_depth);
        p->ready = true;
    }
    simdjson::error_code err = p->dp.parse(json, len, !padded).error();
    if (RP_LIKELY(err == simdjson::SUCCESS)) {
        *root = rp_json_val{&p->dp.doc, 1}; /* tape[0] is the root word, the value follows */
        return RP_OK;
    }
    if (err == simdjson::MEMALLOC)
        return rp_fail(eb, RP_ENOMEM, "json: out of memory parsing %zu bytes", len);
    if (err == simdjson::CAPACITY)
        return rp_fail(eb, RP_ELIMIT, "json: document of %zu bytes is too large", len);
    size_t off;
    rp_err e = rp_json_validate(json, len, p->max_depth, &off, eb);
    if (e == RP_EPARSE || e == RP_ELIMIT) {
        p->err_offset = off;
        return e;
    }
    if (e != RP_OK) return e;
    /* The scanner accepted what simdjson refused: a bug in one of them (fuzz_json hunts for
     * this). Report simdjson's verdict without a position. */
    p->err_offset = 0;
    return rp_fail(eb, err == simdjson::DEPTH_ERROR ? RP_ELIMIT : RP_EPARSE, "json: %s at offset 0",
                   simdjson::error_message(err));
}

} // namespace

extern "C" {

rp_json_parser *rp_json_parser_new(void)
{
    rp_json_parser *p = new (std::nothrow) rp_json_parser();
    if (!p) return nullptr;
    p->max_bytes = clamp_bytes(0);
    p->max_depth = RP_MAX_JSON_DEPTH;
    p->err_offset = SIZE_MAX;
    p->ready = false;
    return p;
}

void rp_json_parser_free(rp_json_parser *p)
{
    delete p;
}

void rp_json_parser_set_max_bytes(rp_json_parser *p, size_t max_bytes)
{
    p->max_bytes = clamp_bytes(max_bytes);
}

void rp_json_parser_set_max_depth(rp_json_parser *p, size_t max_depth)
{
    size_t d = max_depth ? max_depth : RP_MAX_JSON_DEPTH;
    if (d != p->max_depth) p->ready = false;
    p->max_depth = d;
}

size_t rp_json_parser_err_offset(const rp_json_parser *p)
{
    return p->err_offset;
}

rp_err rp_json_parse(rp_json_parser *p, const char *json, size_t len, rp_json_val *root,
                     rp_errbuf *eb)
{
    return parse_impl(p, json, len, false, root, eb);
}

rp_err rp_json_parse_padded(rp_json_parser *p, const char *json, size_t len, rp_json_val *root,
                            rp_errbuf *eb)
{
    return parse_impl(p, json, len, true, root, eb);
}

rp_err rp_json_parse_buf(rp_json_parser *p, const rp_buf *b, rp_json_val *root, rp_errbuf *eb)
{
    if (!b->data) return parse_impl(p, "", 0, false, root, eb);
    return parse_impl(p, b->data, b->len, true, root, eb);
}

void rp_json_lines_init(rp_json_lines *jl, const char *data, size_t len, bool padded)
{
    *jl = rp_json_lines{data, len, 0, 0, 0, padded};
}

rp_err rp_json_lines_next(rp_json_lines *jl, rp_json_parser *p, rp_json_val *root, rp_errbuf *eb)
{
    for (;;) {
        *root = rp_json_val{nullptr, 0};
        if (jl->pos >= jl->len) return RP_ENOENT;
        size_t start = jl->pos;
        const void *nl = memchr(jl->data + start, '\n', jl->len - start);
        size_t end = nl ? (size_t)(static_cast<const char *>(nl) - jl->data) : jl->len;
        jl->pos = nl ? end + 1 : jl->len;
        jl->line_start = start;
        jl->lineno++;
        size_t i = start;
        while (i < end && (jl->data[i] == ' ' || jl->data[i] == '\t' || jl->data[i] == '\r')) i++;
        if (i == end) continue; /* blank line */
        bool padded = jl->padded || jl->len - end >= simdjson::SIMDJSON_PADDING;
        return parse_impl(p, jl->data + start, end - start, padded, root, eb);
    }
}

enum rp_json_type rp_json_type(rp_json_val v)
{
    if (!v.doc) return RP_JSON_NONE;
    switch (kind(v)) {
    case tape_type::START_OBJECT:
        return RP_JSON_OBJECT;
    case tape_type::START_ARRAY:
        return RP_JSON_ARRAY;
    case tape_type::STRING:
        return RP_JSON_STRING;
    case tape_type::INT64:
        return RP_JSON_INT;
    case tape_type::UINT64:
        return RP_JSON_UINT;
    case tape_type::DOUBLE:
        return RP_JSON_DOUBLE;
    case tape_type::TRUE_VALUE:
    case tape_type::FALSE_VALUE:
        return RP_JSON_BOOL;
    case tape_type::NULL_VALUE:
        return RP_JSON_NULL;
    default:
        return RP_JSON_NONE;
    }
}

const char *rp_json_type_name(enum rp_json_type t)
{
    static const char *const names[] = {"none",   "null",   "bool",  "int",   "uint",
                                        "double", "string", "array", "object"};
    return (size_t)t < RP_ARRAY_LEN(names) ? names[t] : "none";
}

rp_err rp_json_get_str(rp_json_val v, rp_str *out)
{
    if (!v.doc || kind(v) != tape_type::STRING) return RP_EINVAL;
    *out = str_at(v.doc, v.idx);
    return RP_OK;
}

rp_err rp_json_get_i64(rp_json_val v, int64_t *out)
{
    if (!v.doc) return RP_EINVAL;
    tape_ref t(doc_of(v.doc), v.idx);
    switch (kind(v)) {
    case tape_type::INT64:
        *out = t.next_tape_value<int64_t>();
        return RP_OK;
    case tape_type::UINT64: {
        uint64_t u = t.next_tape_value<uint64_t>();
        if (u > (uint64_t)INT64_MAX) return RP_EINVAL;
        *out = (int64_t)u;
        return RP_OK;
    }
    default:
        return RP_EINVAL;
    }
}

rp_err rp_json_get_u64(rp_json_val v, uint64_t *out)
{
    if (!v.doc) return RP_EINVAL;
    tape_ref t(doc_of(v.doc), v.idx);
    switch (kind(v)) {
    case tape_type::UINT64:
        *out = t.next_tape_value<uint64_t>();
        return RP_OK;
    case tape_type::INT64: {
        int64_t i = t.next_tape_value<int64_t>();
        if (i < 0) return RP_EINVAL;
        *out = (uint64_t)i;
        return RP_OK;
    }
    default:
        return RP_EINVAL;
    }
}

rp_err rp_json_get_double(rp_json_val v, double *out)
{
    if (!v.doc) return RP_EINVAL;
    tape_ref t(doc_of(v.doc), v.idx);
    switch (kind(v)) {
    case tape_type::DOUBLE:
        *out = t.next_tape_value<double>();
        return RP_OK;
    case tape_type::INT64:
        *out = (double)t.next_tape_value<int64_t>();
        return RP_OK;
    case tape_type::UINT64:
        *out = (double)t.next_tape_value<uint64_t>();
        return RP_OK;
    default:
        return RP_EINVAL;
    }
}

rp_err rp_json_get_bool(rp_json_val v, bool *out)
{
    if (!v.doc) return RP_EINVAL;
    switch (kind(v)) {
    case tape_type::TRUE_VALUE:
        *out = true;
        return RP_OK;
    case tape_type::FALSE_VALUE:
        *out = false;
        return RP_OK;
    default:
        return RP_EINVAL;
    }
}

rp_err rp_json_get_null(rp_json_val v)
{
    return v.doc && kind(v) == tape_type::NULL_VALUE ? RP_OK : RP_EINVAL;
}

rp_err rp_json_obj_getn(rp_json_val obj, const char *key, size_t len, rp_json_val *out)
{
    *out = rp_json_val{nullptr, 0};
    if (!obj.doc || kind(obj) != tape_type::START_OBJECT) return RP_EINVAL;
    const document *d = doc_of(obj.doc);
    size_t end = after(obj.doc, obj.idx) - 1; /* the closing brace */
    for (size_t i = obj.idx + 1; i < end; i = after(d, i + 1)) {
        tape_ref k(d, i);
        if (k.get_string_length() == len && memcmp(k.get_c_str(), key, len) == 0) {
            *out = rp_json_val{d, i + 1};
            return RP_OK;
        }
    }
    return RP_ENOENT;
}

rp_err rp_json_obj_get(rp_json_val obj, const char *key, rp_json_val *out)
{
    return rp_json_obj_getn(obj, key, strlen(key), out);
}

size_t rp_json_len(rp_json_val v)
{
    if (!v.doc) return 0;
    tape_type k = kind(v);
    if (k != tape_type::START_ARRAY && k != tape_type::START_OBJECT) return 0;
    tape_ref t(doc_of(v.doc), v.idx);
    size_t n = t.scope_count();
    if (n < simdjson::internal::JSON_COUNT_MASK) return n;
    n = 0; /* the count saturates at 2^24 - 1: count by walking */
    size_t end = t.after_element() - 1;
    for (size_t i = v.idx + 1; i < end; i = after(v.doc, k == tape_type::START_OBJECT ? i + 1 : i))
        n++;
    return n;
}

rp_err rp_json_arr_iter(rp_json_val arr, rp_json_iter *it)
{
    *it = rp_json_iter{arr.doc, 0, 0};
    if (!arr.doc || kind(arr) != tape_type::START_ARRAY) return RP_EINVAL;
    it->idx = arr.idx + 1;
    it->end = after(arr.doc, arr.idx) - 1;
    return RP_OK;
}

bool rp_json_arr_next(rp_json_iter *it, rp_json_val *out)
{
    if (it->idx >= it->end) return false;
    *out = rp_json_val{it->doc, it->idx};
    it->idx = after(it->doc, it->idx);
    return true;
}

rp_err rp_json_obj_iter(rp_json_val obj, rp_json_iter *it)
{
    *it = rp_json_iter{obj.doc, 0, 0};
    if (!obj.doc || kind(obj) != tape_type::START_OBJECT) return RP_EINVAL;
    it->idx = obj.idx + 1;
    it->end = after(obj.doc, obj.idx) - 1;
    return RP_OK;
}

bool rp_json_obj_next(rp_json_iter *it, rp_str *key, rp_json_val *val)
{
    if (it->idx >= it->end) return false;
    *key = str_at(it->doc, it->idx);
    *val = rp_json_val{it->doc, it->idx + 1};
    it->idx = after(it->doc, it->idx + 1);
    return true;
}

rp_err rp_json_arr_at(rp_json_val arr, size_t i, rp_json_val *out)
{
    rp_json_iter it;
    *out = rp_json_val{nullptr, 0};
    if (rp_json_arr_iter(arr, &it) != RP_OK) return RP_EINVAL;
    rp_json_val el;
    for (size_t n = 0; rp_json_arr_next(&it, &el); n++) {
        if (n == i) {
            *out = el;
            return RP_OK;
        }
    }
    return RP_ENOENT;
}

void rp_json_write_val(rp_json_writer *w, rp_json_val v)
{
    if (w->err) return;
    if (!v.doc || rp_json_writer_wants_key(w)) {
        w->err = RP_EINVAL;
        return;
    }
    /* The tape of a value is contiguous and in document order, so one linear pass writes it;
     * the writer knows whether a string is a key. */
    const document *d = doc_of(v.doc);
    size_t end = after(d, v.idx);
    for (size_t i = v.idx; i < end && !w->err;) {
        tape_ref t(d, i);
        switch (t.tape_ref_type()) {
        case tape_type::START_OBJECT:
            rp_json_write_obj_begin(w);
            i++;
            break;
        case tape_type::END_OBJECT:
            rp_json_write_obj_end(w);
            i++;
            break;
        case tape_type::START_ARRAY:
            rp_json_write_arr_begin(w);
            i++;
            break;
        case tape_type::END_ARRAY:
            rp_json_write_arr_end(w);
            i++;
            break;
        case tape_type::STRING: {
            rp_str s = str_at(d, i);
            if (rp_json_writer_wants_key(w))
                rp_json_write_key(w, s.p, s.len);
            else
                rp_json_write_str(w, s.p, s.len);
            i++;
            break;
        }
        case tape_type::INT64:
            rp_json_write_int(w, t.next_tape_value<int64_t>());
            i += 2;
            break;
        case tape_type::UINT64:
            rp_json_write_uint(w, t.next_tape_value<uint64_t>());
            i += 2;
            break;
        case tape_type::DOUBLE:
            rp_json_write_double(w, t.next_tape_value<double>());
            i += 2;
            break;
        case tape_type::TRUE_VALUE:
            rp_json_write_bool(w, true);
            i++;
            break;
        case tape_type::FALSE_VALUE:
            rp_json_write_bool(w, false);
            i++;
            break;
        case tape_type::NULL_VALUE:
            rp_json_write_null(w);
            i++;
            break;
        default:
            w->err = RP_EINTERNAL;
            return; /* ROOT never occurs inside a value */
        }
    }
}

rp_err rp_json_serialize(rp_json_val v, rp_buf *out)
{
    rp_json_writer w;
    rp_json_writer_init(&w, out);
    rp_json_write_val(&w, v);
    return rp_json_writer_finish(&w);
}

} // extern "C"
