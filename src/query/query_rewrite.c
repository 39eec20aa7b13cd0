/* SPDX-License-Identifier: Apache-2.0 */
/* The Athena rewrite (query_internal.h): the few pieces of Presto syntax that analysts' Athena
 * queries use and SQLite cannot parse, turned into SQLite before the text is prepared.
 *
 *   struct access   Athena declares CloudTrail's userIdentity (and the other nested records)
 *                   as STRUCTs, so queries say useridentity.arn or
 *                   useridentity.sessioncontext.attributes.mfaauthenticated. Rampart keeps
 *                   them as JSON text; a dotted chain whose head is one of these columns
 *                   (optionally qualified: t.useridentity.arn) becomes
 *                   rp_field(useridentity, 'arn'), which walks keys case-insensitively, as
 *                   Athena's lower-cased struct fields match the camelCase JSON keys.
 *   TRY_CAST(       becomes CAST( (SQLite's CAST never fails).
 *
 * A small tokenizer skips '..' strings, ".." / `..` / [..] quoted identifiers and comments,
 * so text inside them is never touched. Every edit is recorded so an SQLite error offset in
 * the rewritten text maps back to the user's line and column. */
#define RP_LOG_MODULE "query"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/rp_banned.h"
#include "core/rp_buf.h"
#include "query/query_internal.h"

/* Columns of the store tables that Athena's DDLs declare as STRUCT (lower case). */
static const char *const struct_cols[] = {"useridentity",
                                          "tlsdetails",
                                          "edgedevicedetails",
                                          "insightdetails",
                                          "addendum",
                                          "user",
                                          "impersonateduser",
                                          "objectref",
                                          "responsestatus",
                                          "configuration",
                                          "supplementaryconfiguration",
                                          "srcids",
                                          NULL};

static bool is_struct_col(const char *p, size_t n)
{
    if (n && (p[0] == '"' || p[0] == '`')) {
        p++;
        n -= 2;
    }
    for (size_t i = 0; struct_cols[i]; i++)
        if (strlen(struct_cols[i]) == n && strncasecmp(struct_cols[i], p, n) == 0) return true;
    return false;
}

static bool ident_start(unsigned char c)
{
    return isalpha(c) || c == '_' || c >= 0x80;
}

static bool ident_char(unsigned char c)
{
    return isalnum(c) || c == '_' || c == '$' || c >= 0x80;
}

/* Length of the identifier at p (plain or "quoted"/`quoted`), 0 if none. */
static size_t ident_len(const char *p)
{
    if (*p == '"' || *p == '`') {
        char q = *p;
        size_t i = 1;
        for (; p[i]; i++)
            if (p[i] == q) {
                if (p[i + 1] == q) {
                    i++;
                    continue;
                }
                return i + 1;
            }
        return 0;
    }
    if (!ident_start((unsigned char)*p)) return 0;
    size_t i = 1;
    while (ident_char((unsigned char)p[i])) i++;
    return i;
}

struct rw {
    struct rp_buf out;
    struct rp_query_edit *edits;
    size_t nedits, cap;
};

static rp_err add_edit(struct rw *w, size_t o0, size_t o1, size_t n0)
{
    if (w->nedits == w->cap) {
        size_t c = w->cap ? 2 * w->cap : 8;
        struct rp_query_edit *ne = realloc(w->edits, c * sizeof *ne);
        if (!ne) return RP_ENOMEM;
        w->edits = ne;
        w->cap = c;
    }
    w->edits[w->nedits++] = (struct rp_query_edit){o0, o1, n0, w->out.len};
    return RP_OK;
}

/* Append a field path part as it goes inside '..' (quotes of a quoted identifier dropped,
 * single quotes doubled). */
static rp_err append_part(struct rp_buf *b, const char *p, size_t n)
{
    if (n >= 2 && (p[0] == '"' || p[0] == '`')) {
        p++;
        n -= 2;
    }
    for (size_t i = 0; i < n; i++) {
        rp_err e = p[i] == '\'' ? rp_buf_append(b, "''", 2) : rp_buf_append(b, &p[i], 1);
        if (e) return e;
    }
    return RP_OK;
}

rp_err rp_query_rewrite(const char *sql, struct rp_query_rewrite *out, struct rp_errbuf *eb)
{
    memset(out, 0, sizeof *out);
    struct rw w = {0};
    size_t len = strlen(sql);
    rp_buf_init(&w.out, len * 2 + 1024 > (64u << 20) ? len * 2 + 1024 : (64u << 20));
    rp_err e = RP_OK;
    size_t i = 0;
    while (i < len && !e) {
        char c = sql[i];
        size_t start = i;
        if (c == '\'') { /* string */
            i++;
            while (i < len && !(sql[i] == '\'' && sql[i + 1] != '\'')) i += sql[i] == '\'' ? 2 : 1;
            if (i < len) i++;
            e = rp_buf_append(&w.out, sql + start, i - start);
            continue;
        }
        if (c == '-' && sql[i + 1] == '-') {
            while (i < len && sql[i] != '\n') i++;
            e = rp_buf_append(&w.out, sql + start, i - start);
            continue;
        }
        if (c == '/' && sql[i + 1] == '*') {
            const char *end = strstr(sql + i + 2, "*/");
            i = end ? (size_t)(end - sql) + 2 : len;
            e = rp_buf_append(&w.out, sql + start, i - start);
            continue;
        }
        if (c == '[') {
            const char *end = strchr(sql + i, ']');
            i = end ? (size_t)(end - sql) + 1 : len;
            e = rp_buf_append(&w.out, sql + start, i - start);
            continue;
        }
        size_t n = ident_len(sql + i);
        if (!n || (i > 0 && (sql[i - 1] == '.' || ident_char((unsigned char)sql[i - 1])))) {
            if (!n) n = 1;
            e = rp_buf_append(&w.out, sql + i, n);
            i += n;
            continue;
        }
        /* a chain of identifiers joined by '.' */
        size_t part_at[16], part_len[16], np = 0;
        size_t j = i;
        while (np < 16) {
            size_t m = ident_len(sql + j);
            if (!m) break;
            part_at[np] = j;
            part_len[np] = m;
            np++;
            j += m;
            if (sql[j] != '.' || !ident_len(sql + j + 1)) break;
            j++;
        }
        size_t chain_end = part_at[np - 1] + part_len[np - 1];
        size_t head = np; /* the struct column's part index */
        for (size_t k = 0; k < np && k < 3; k++)
            if (k + 1 < np && is_struct_col(sql + part_at[k], part_len[k])) {
                head = k;
                break;
            }
        bool call = sql[chain_end] == '(';
        if (head < np && !call) {
            size_t n0 = w.out.len;
            e = rp_buf_append(&w.out, "rp_field(", 9);
            if (!e) e = rp_buf_append(&w.out, sql + i, part_at[head] + part_len[head] - i);
            if (!e) e = rp_buf_append(&w.out, ", '", 3);
            for (size_t k = head + 1; k < np && !e; k++) {
                if (k > head + 1) e = rp_buf_append(&w.out, ".", 1);
                if (!e) e = append_part(&w.out, sql + part_at[k], part_len[k]);
            }
            if (!e) e = rp_buf_append(&w.out, "')", 2);
            if (!e) e = add_edit(&w, i, chain_end, n0);
            i = chain_end;
            continue;
        }
        if (np == 1 && n == 8 && strncasecmp(sql + i, "try_cast", 8) == 0) {
            size_t k = i + 8;
            while (k < len && isspace((unsigned char)sql[k])) k++;
            if (sql[k] == '(') {
                size_t n0 = w.out.len;
                e = rp_buf_append(&w.out, "CAST", 4);
                if (!e) e = add_edit(&w, i, i + 8, n0);
                i += 8;
                continue;
            }
        }
        e = rp_buf_append(&w.out, sql + i, chain_end - i);
        i = chain_end;
    }
    if (!e) e = rp_buf_append(&w.out, "", 1); /* NUL */
    if (e) {
        rp_buf_release(&w.out);
        free(w.edits);
        return rp_fail(eb, e == RP_ELIMIT ? RP_ELIMIT : RP_ENOMEM,
                       "query: the query text is too long to rewrite");
    }
    out->sql = rp_buf_take(&w.out, NULL);
    out->edits = w.edits;
    out->nedits = w.nedits;
    if (!out->sql) {
        free(w.edits);
        return rp_fail(eb, RP_ENOMEM, "query: out of memory");
    }
    return RP_OK;
}

size_t rp_query_rewrite_map(const struct rp_query_rewrite *rw, size_t off)
{
    long delta = 0;
    for (size_t k = 0; k < rw->nedits; k++) {
        const struct rp_query_edit *ed = &rw->edits[k];
        if (off < ed->n0) break;
        if (off < ed->n1) return ed->o0;
        delta = (long)ed->o1 - (long)ed->n1;
    }
    return (size_t)((long)off + delta);
}

void rp_query_rewrite_release(struct rp_query_rewrite *rw)
{
    free(rw->sql);
    free(rw->edits);
    memset(rw, 0, sizeof *rw);
}
