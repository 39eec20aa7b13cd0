/* SPDX-License-Identifier: Apache-2.0 */
/* Scoring detection against the simulator's truth.jsonl (`rampart demo`, the acceptance test):
 * recall over the (truth line, expected GuardDuty type) pairs — found when a finding of that
 * type names one of the line's entities and its activity overlaps the line's window — and
 * precision over the findings the run stored — explained when some truth line expects its
 * type, names one of its entities and overlaps its time. A finding about a benign look-alike
 * is explained by nothing, so it counts against precision, as it should.
 *
 * "Names an entity": the finding's GuardDuty JSON contains the entity verbatim (an instance
 * id, an access key, an address, a domain), or, for an ARN, its last part as a whole JSON
 * string (the user name, the bucket name, the cluster name in "...:cluster/prod"). */
#define RP_LOG_MODULE "detect"
#include <stdlib.h>
#include <string.h>

#include "core/rp_buf.h"
#include "core/rp_gz.h"
#include "core/rp_json.h"
#include "core/rp_time.h"
#include "detect/detect_ctx.h"
#include "store/store.h"
#include "core/rp_banned.h"

#define SLACK_MS (60 * 60 * 1000LL) /* windows widened by an hour each way */

struct tline {
    const char *id;
    const char **types;
    size_t ntypes;
    const char **ents;
    size_t nents;
    int64_t start, end;
    bool *found;  /* per type */
    bool benign;  /* "expect": "none" */
    bool alarmed; /* benign: an unexplained finding names it */
};

struct fnd {
    const char *type, *doc;
    int64_t first, last;
};

static bool names_entity(const char *doc, const char *ent)
{
    if (!ent[0]) return false;
    if (strstr(doc, ent)) return true;
    if (strncmp(ent, "arn:", 4)) return false;
    const char *last = strrchr(ent, '/');
    if (!last) last = strrchr(ent, ':');
    if (!last || !last[1]) return false;
    char q[256];
    int n = snprintf(q, sizeof q, "\"%s\"", last + 1);
    return n > 0 && (size_t)n < sizeof q && strstr(doc, q);
}

static bool line_explains(const struct tline *t, const struct fnd *f, size_t *type_idx)
{
    if (f->last < t->start - SLACK_MS || f->first > t->end + SLACK_MS) return false;
    for (size_t i = 0; i < t->ntypes; i++) {
        if (strcmp(t->types[i], f->type)) continue;
        for (size_t j = 0; j < t->nents; j++)
            if (names_entity(f->doc, t->ents[j])) {
                if (type_idx) *type_idx = i;
                return true;
            }
    }
    return false;
}

static const char **str_array(struct rp_arena *a, struct rp_json_val arr, size_t *n)
{
    *n = 0;
    struct rp_json_iter it;
    struct rp_json_val el;
    if (rp_json_arr_iter(arr, &it)) return NULL;
    size_t cap = 0;
    struct rp_json_iter it2 = it;
    while (rp_json_arr_next(&it2, &el)) cap++;
    const char **out = rp_arena_alloc(a, (cap ? cap : 1) * sizeof *out);
    if (!out) return NULL;
    struct rp_str s;
    while (rp_json_arr_next(&it, &el))
        if (!rp_json_get_str(el, &s)) out[(*n)++] = rp_arena_memdup(a, s.p, s.len);
    return out;
}

rp_err rp_detect_score(struct rp_store *st, const char *truth_path, rp_detect_score_fn fn,
                       void *ctx, struct rp_detect_score *out, struct rp_errbuf *eb)
{
    memset(out, 0, sizeof *out);
    struct rp_arena a;
    rp_arena_init(&a, 0);
    struct rp_buf b;
    rp_buf_init(&b, 1 << 28);
    rp_err e = rp_gz_read_file(truth_path, NULL, &b, eb);
    struct rp_json_parser *jp = rp_json_parser_new();
    if (!e && !jp) e = rp_fail(eb, RP_ENOMEM, "detect: out of memory");
    struct tline *lines = NULL;
    size_t nlines = 0, cap = 0;
    struct rp_json_lines jl;
    if (!e) rp_json_lines_init(&jl, b.data, b.len, true);
    struct rp_json_val root, v;
    while (!e) {
        rp_err le = rp_json_lines_next(&jl, jp, &root, eb);
        if (le == RP_ENOENT) break;
        if (le) {
            e = rp_fail(eb, le, "detect: '%s' line %zu: %s", truth_path, jl.lineno, eb->msg);
            break;
        }
        if (nlines == cap) {
            cap = cap ? cap * 2 : 64;
            struct tline *n = realloc(lines, cap * sizeof *n);
            if (!n) {
                e = rp_fail(eb, RP_ENOMEM, "detect: out of memory");
                break;
            }
            lines = n;
        }
        struct tline *t = &lines[nlines];
        memset(t, 0, sizeof *t);
        struct rp_str s;
        t->id = !rp_json_obj_get_str(root, "id", &s) ? rp_arena_memdup(&a, s.p, s.len) : "?";
        if (!rp_json_obj_get(root, "guardduty", &v)) t->types = str_array(&a, v, &t->ntypes);
        if (!rp_json_obj_get(root, "entities", &v)) t->ents = str_array(&a, v, &t->nents);
        struct rp_json_val w;
        if (!rp_json_obj_get(root, "window", &w)) {
            if (rp_json_obj_get_str(w, "start", &s) || rp_time_parse_iso(s, &t->start, NULL))
                t->start = 0;
            if (rp_json_obj_get_str(w, "end", &s) || rp_time_parse_iso(s, &t->end, NULL))
                t->end = INT64_MAX / 2;
        }
        struct rp_str ex;
        t->benign = !rp_json_obj_get_str(root, "expect", &ex) && rp_str_eq_cstr(ex, "none");
        out->benign += t->benign;
        t->found = rp_arena_zalloc(&a, (t->ntypes ? t->ntypes : 1) * sizeof *t->found);
        if (!t->id || !t->found) e = rp_fail(eb, RP_ENOMEM, "detect: out of memory");
        out->expected += (int64_t)t->ntypes;
        nlines++;
    }
    struct rp_store_stmt *s = NULL;
    if (!e)
        e = rp_store_stmt_prepare(
            st, "SELECT type, doc, first_ms, last_ms FROM detect_findings ORDER BY first_ms, id",
            &s, eb);
    bool row = false;
    while (!e && !(e = rp_store_stmt_step(s, &row, eb)) && row) {
        struct fnd f = {rp_store_stmt_column_text(s, 0, NULL),
                        rp_store_stmt_column_text(s, 1, NULL), rp_store_stmt_column_int64(s, 2),
                        rp_store_stmt_column_int64(s, 3)};
        if (!f.type || !f.doc) continue;
        out->findings++;
        bool explained = false;
        for (size_t i = 0; i < nlines; i++) {
            size_t k = 0;
            if (!line_explains(&lines[i], &f, &k)) continue;
            explained = true;
            lines[i].found[k] = true;
        }
        if (explained) {
            out->explained++;
            continue;
        }
        if (fn) fn(ctx, RP_DETECT_SCORE_UNEXPLAINED, f.type, f.doc);
        /* a false alarm on a benign look-alike: names at least two of its entities (one when
           it has one) inside its window */
        for (size_t i = 0; i < nlines; i++) {
            struct tline *t = &lines[i];
            if (!t->benign || t->alarmed) continue;
            if (f.last < t->start - SLACK_MS || f.first > t->end + SLACK_MS) continue;
            size_t named = 0;
            for (size_t j = 0; j < t->nents; j++) named += names_entity(f.doc, t->ents[j]);
            if (named && named >= (t->nents < 2 ? t->nents : 2)) {
                t->alarmed = true;
                out->benign_alarmed++;
                if (fn) fn(ctx, RP_DETECT_SCORE_BENIGN_ALARM, f.type, t->id);
            }
        }
    }
    if (s) rp_store_stmt_reset(s);
    for (size_t i = 0; !e && i < nlines; i++)
        for (size_t k = 0; k < lines[i].ntypes; k++) {
            if (lines[i].found[k])
                out->found++;
            else if (fn)
                fn(ctx, RP_DETECT_SCORE_MISSED, lines[i].types[k], lines[i].id);
        }
    free(lines);
    rp_json_parser_free(jp);
    rp_buf_release(&b);
    rp_arena_release(&a);
    return e;
}
