/* SPDX-License-Identifier: Apache-2.0 */
/* Guard tokenizer (first step of rp_guard_compile, posture_guard.h): turns a rules file into
 * an array of tokens with 1-based line and column, so the parser (posture_guard_parse.c) can
 * look ahead freely. Guard has no division, so '/' always opens a regex; '<<' opens a custom
 * message that runs to the next '>>'; '#' starts a comment. Newlines carry no meaning (clauses
 * are separated by their grammar). */
#define RP_LOG_MODULE "posture"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "posture/posture_guard_impl.h"

#include "core/rp_banned.h"

struct lexer {
    struct rp_arena *a;
    const char *name;
    const char *s;
    size_t n, i;
    uint32_t line;
    size_t line_start;
    struct gtoken *toks;
    size_t ntoks, cap;
    struct rp_errbuf *eb;
};

static bool is_id0(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_id(char c)
{
    return is_id0(c) || (c >= '0' && c <= '9');
}
static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static uint32_t col_at(const struct lexer *L, size_t off)
{
    return (uint32_t)(off - L->line_start + 1);
}

static rp_err lex_err(struct lexer *L, uint32_t line, uint32_t col, const char *what)
{
    return rp_fail(L->eb, RP_EPARSE, "%s:%u:%u: %s", L->name, line, col, what);
}

static rp_err push(struct lexer *L, struct gtoken *t)
{
    if (L->ntoks == L->cap) {
        size_t cap = L->cap ? L->cap * 2 : 256;
        struct gtoken *nt = rp_arena_alloc(L->a, cap * sizeof(*nt));
        if (!nt) return RP_ENOMEM;
        if (L->ntoks) memcpy(nt, L->toks, L->ntoks * sizeof(*nt));
        L->toks = nt;
        L->cap = cap;
    }
    L->toks[L->ntoks++] = *t;
    return RP_OK;
}

/* Advance over whitespace and comments, keeping line accounting. */
static void skip_space(struct lexer *L)
{
    while (L->i < L->n) {
        char c = L->s[L->i];
        if (c == '\n') {
            L->i++;
            L->line++;
            L->line_start = L->i;
        } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
            L->i++;
        } else if (c == '#') {
            while (L->i < L->n && L->s[L->i] != '\n') L->i++;
        } else {
            break;
        }
    }
}

/* Count newlines in s[from..to) to keep line/column right after multi-line tokens. */
static void track_lines(struct lexer *L, size_t from, size_t to)
{
    for (size_t k = from; k < to; k++)
        if (L->s[k] == '\n') {
            L->line++;
            L->line_start = k + 1;
        }
}

static rp_err lex_string(struct lexer *L, struct gtoken *t)
{
    char q = L->s[L->i];
    size_t start = L->i + 1, k = start;
    /* first pass: find the end */
    while (k < L->n && L->s[k] != q) {
        if (L->s[k] == '\\' && k + 1 < L->n) k++;
        k++;
    }
    if (k >= L->n) return lex_err(L, t->line, t->col, "unterminated string");
    char *out = rp_arena_alloc(L->a, k - start + 1);
    if (!out) return RP_ENOMEM;
    size_t o = 0;
    for (size_t j = start; j < k; j++) {
        char c = L->s[j];
        if (c == '\\' && j + 1 < k) {
            char e = L->s[j + 1];
            switch (e) {
            case 'n':
                out[o++] = '\n';
                j++;
                continue;
            case 't':
                out[o++] = '\t';
                j++;
                continue;
            case 'r':
                out[o++] = '\r';
                j++;
                continue;
            case '\\':
                out[o++] = '\\';
                j++;
                continue;
            case '\'':
            case '"':
                out[o++] = e;
                j++;
                continue;
            default:
                break; /* kept as written: "\w" stays a regex escape */
            }
        }
        out[o++] = c;
    }
    out[o] = '\0';
    t->kind = T_STRING;
    t->val = out;
    t->len = (uint32_t)o;
    track_lines(L, start, k);
    L->i = k + 1;
    return RP_OK;
}

static rp_err lex_regex(struct lexer *L, struct gtoken *t)
{
    size_t start = L->i + 1, k = start;
    while (k < L->n && L->s[k] != '/' && L->s[k] != '\n') {
        if (L->s[k] == '\\' && k + 1 < L->n && L->s[k + 1] != '\n') k++;
        k++;
    }
    if (k >= L->n || L->s[k] != '/')
        return lex_err(L, t->line, t->col, "unterminated regex (missing closing '/')");
    /* "\/" stands for '/', which PCRE2 also reads as a literal slash: keep the text. */
    char *out = rp_arena_memdup(L->a, L->s + start, k - start);
    if (!out) return RP_ENOMEM;
    t->kind = T_REGEX;
    t->val = out;
    t->len = (uint32_t)(k - start);
    L->i = k + 1;
    return RP_OK;
}

static rp_err lex_msg(struct lexer *L, struct gtoken *t)
{
    size_t start = L->i + 2, k = start;
    while (k + 1 < L->n && !(L->s[k] == '>' && L->s[k + 1] == '>')) k++;
    if (k + 1 >= L->n) return lex_err(L, t->line, t->col, "unterminated message (missing '>>')");
    char *out = rp_arena_memdup(L->a, L->s + start, k - start);
    if (!out) return RP_ENOMEM;
    t->kind = T_MSG;
    t->val = out;
    t->len = (uint32_t)(k - start);
    track_lines(L, start, k);
    L->i = k + 2;
    return RP_OK;
}

static rp_err lex_number(struct lexer *L, struct gtoken *t)
{
    size_t k = L->i;
    bool fl = false;
    if (L->s[k] == '-') k++;
    while (k < L->n && is_digit(L->s[k])) k++;
    if (k + 1 < L->n && L->s[k] == '.' && is_digit(L->s[k + 1])) {
        fl = true;
        k++;
        while (k < L->n && is_digit(L->s[k])) k++;
    }
    if (k < L->n && (L->s[k] == 'e' || L->s[k] == 'E')) {
        size_t e = k + 1;
        if (e < L->n && (L->s[e] == '+' || L->s[e] == '-')) e++;
        if (e < L->n && is_digit(L->s[e])) {
            fl = true;
            k = e;
            while (k < L->n && is_digit(L->s[k])) k++;
        }
    }
    char buf[64];
    size_t len = k - L->i;
    if (len >= sizeof(buf)) return lex_err(L, t->line, t->col, "number too long");
    memcpy(buf, L->s + L->i, len);
    buf[len] = '\0';
    char *end = NULL;
    if (fl) {
        t->kind = T_FLOAT;
        t->d = strtod(buf, &end);
    } else {
        errno = 0;
        t->kind = T_INT;
        t->i = strtoll(buf, &end, 10);
        if (errno == ERANGE) {
            char m[128];
            snprintf(m, sizeof(m), "number out of range '%s'", buf);
            return lex_err(L, t->line, t->col, m);
        }
    }
    if (!end || *end) return lex_err(L, t->line, t->col, "bad number");
    L->i = k;
    return RP_OK;
}

rp_err rp_guard_lex(struct rp_arena *a, const char *name, const char *src, size_t n,
                    struct gtoken **toks, size_t *ntoks, struct rp_errbuf *eb)
{
    struct lexer L = {.a = a, .name = name, .s = src, .n = n, .line = 1, .eb = eb};
    for (;;) {
        skip_space(&L);
        struct gtoken t = {.line = L.line, .col = col_at(&L, L.i), .off = (uint32_t)L.i};
        if (L.i >= L.n) {
            t.kind = T_EOF;
            t.end = t.off;
            rp_err e = push(&L, &t);
            if (e != RP_OK) return e;
            break;
        }
        char c = L.s[L.i];
        char c1 = L.i + 1 < L.n ? L.s[L.i + 1] : '\0';
        rp_err e = RP_OK;
        if (is_id0(c)) {
            size_t k = L.i;
            while (k < L.n && is_id(L.s[k])) k++;
            t.kind = T_IDENT;
            /* AWS::S3::Bucket: a type name */
            while (k + 2 < L.n && L.s[k] == ':' && L.s[k + 1] == ':' && is_id0(L.s[k + 2])) {
                t.kind = T_TYPE;
                k += 2;
                while (k < L.n && is_id(L.s[k])) k++;
            }
            t.val = L.s + L.i;
            t.len = (uint32_t)(k - L.i);
            L.i = k;
        } else if (is_digit(c) || (c == '-' && is_digit(c1))) {
            e = lex_number(&L, &t);
        } else if (c == '"' || c == '\'') {
            e = lex_string(&L, &t);
        } else if (c == '/') {
            e = lex_regex(&L, &t);
        } else if (c == '<' && c1 == '<') {
            e = lex_msg(&L, &t);
        } else if (c == '%') {
            size_t k = L.i + 1;
            while (k < L.n && is_id(L.s[k])) k++;
            if (k == L.i + 1 || !is_id0(L.s[L.i + 1]))
                return lex_err(&L, t.line, t.col, "expected a variable name after '%'");
            t.kind = T_VAR;
            t.val = L.s + L.i + 1;
            t.len = (uint32_t)(k - L.i - 1);
            L.i = k;
        } else {
            size_t w = 1;
            switch (c) {
            case '.':
                t.kind = T_DOT;
                break;
            case ',':
                t.kind = T_COMMA;
                break;
            case ':':
                t.kind = T_COLON;
                break;
            case '[':
                t.kind = T_LBRACK;
                break;
            case ']':
                t.kind = T_RBRACK;
                break;
            case '{':
                t.kind = T_LBRACE;
                break;
            case '}':
                t.kind = T_RBRACE;
                break;
            case '(':
                t.kind = T_LPAREN;
                break;
            case ')':
                t.kind = T_RPAREN;
                break;
            case '*':
                t.kind = T_STAR;
                break;
            case '=':
                if (c1 == '=') {
                    t.kind = T_EQ;
                    w = 2;
                } else {
                    t.kind = T_ASSIGN;
                }
                break;
            case '!':
                if (c1 == '=') {
                    t.kind = T_NE;
                    w = 2;
                } else {
                    t.kind = T_BANG;
                }
                break;
            case '<':
                if (c1 == '=') {
                    t.kind = T_LE;
                    w = 2;
                } else {
                    t.kind = T_LT;
                }
                break;
            case '>':
                if (c1 == '=') {
                    t.kind = T_GE;
                    w = 2;
                } else {
                    t.kind = T_GT;
                }
                break;
            default: {
                char m[64];
                if ((unsigned char)c >= 0x20 && (unsigned char)c < 0x7f)
                    snprintf(m, sizeof(m), "unexpected character '%c'", c);
                else
                    snprintf(m, sizeof(m), "unexpected byte 0x%02x", (unsigned char)c);
                return lex_err(&L, t.line, t.col, m);
            }
            }
            t.val = L.s + L.i;
            t.len = (uint32_t)w;
            L.i += w;
        }
        if (e != RP_OK) return e;
        t.end = (uint32_t)L.i;
        if ((e = push(&L, &t)) != RP_OK) return e;
    }
    *toks = L.toks;
    *ntoks = L.ntoks;
    return RP_OK;
}
