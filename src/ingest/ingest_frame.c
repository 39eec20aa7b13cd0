/* SPDX-License-Identifier: Apache-2.0 */
/* Cutting a decoded input stream into records (ingest_frame.h), for the ingest runner.
 *
 * The framer owns one window, growing from 64 KiB as records need up to RP_MAX_RECORD_BYTES +
 * WIN_CHUNK bytes (+ RP_BUF_PADDING); bytes already framed are compacted away before a read,
 * so memory never depends on file size.
 * A frame still open when it passes RP_MAX_RECORD_BYTES is "skipped": its first
 * RP_MAX_REJECT_BYTES are copied aside and the rest is scanned and dropped.
 *
 * FRAME_JSON is a resumable structural scanner: a class table finds the next '"', '{', '[',
 * '}' or ']' and strings are skipped to their closing quote (escapes aware); nesting is a
 * counter plus a bit per level (the first STACK_BITS levels) to notice mismatched closers.
 * A top-level object is walked member by member (when the source has container keys) and
 * kept in the window until its end, unless one of its members is a container array: then each
 * element is a record and the rest of the object is dropped as it is scanned. A top-level
 * array is one record (AWS writes container objects, never bare arrays, for these sources).
 * Line numbers are counted lazily with memchr, up to each frame start. */
#define RP_LOG_MODULE "ingest"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "core/rp_buf.h"
#include "ingest/ingest_frame.h"
#include "core/rp_banned.h"

#define WIN_CHUNK  (1u << 20)                                /* most bytes read per refill */
#define WIN_CAP    ((size_t)RP_MAX_RECORD_BYTES + WIN_CHUNK) /* the window's final size */
#define WIN_START  (64u << 10) /* its first size; it doubles as records need */
#define STACK_BITS 4096u       /* nesting levels whose kind ('{' or '[') is remembered */
#define MIB_LIMIT  (RP_MAX_RECORD_BYTES >> 20)
_Static_assert(MIB_LIMIT == 16, "the messages say \"16 MiB\"");

enum jstate {
    J_TOP,       /* between top-level values */
    J_VALUE,     /* inside a value (vk, vr say which) */
    J_OBJ_KEY,   /* walked object: a key or '}' */
    J_OBJ_COLON, /* after a key */
    J_OBJ_VAL,   /* a member value */
    J_OBJ_NEXT,  /* after a member: ',' or '}' */
    J_ARR_ELEM,  /* container array: an element or ']' */
    J_ARR_NEXT,  /* after an element: ',' or ']' */
    J_JUNK_LINE, /* bytes that cannot start a value, up to '\n' */
    J_JUNK_ARR,  /* bytes in a container array up to the next ',' or ']' */
};

enum vkind { V_COMPOUND, V_STRING, V_SCALAR };

enum vrole {
    R_TOP,    /* a top-level record */
    R_ELEM,   /* a container element */
    R_MEMBER, /* a member value of a walked object, skipped */
    R_KEY,    /* a member key of a walked object */
};

enum vwhy { W_NONE, W_MISMATCH, W_MALFORMED };

struct rp_ingest_framer {
    struct rp_ingest_input *in;
    enum rp_ingest_framing framing;
    const char *const *containers;
    size_t cont_max; /* longest container key, 0 when there are none */

    char *buf;     /* window: cap + 1 + RP_BUF_PADDING bytes */
    size_t cap;    /* WIN_START .. WIN_CAP */
    size_t len;    /* bytes in the window; buf[len] is a '"' sentinel */
    size_t pos;    /* scan position */
    uint64_t base; /* decoded offset of buf[0] */
    size_t chunk;  /* bytes read per refill */
    bool prev_cr;  /* the byte before buf[0] was '\r' */
    bool eof;      /* the input has no more bytes */
    bool ended;    /* END returned */
    bool dmg_done; /* the input's damage was reported */
    bool eof_bad;  /* a BAD frame was emitted at end of input */
    uint64_t ordinal;

    /* lines: FRAME_LINES counts directly, FRAME_JSON lazily (lc_line is the line at lc_abs) */
    uint64_t line_no;
    size_t lscan; /* FRAME_LINES: window bytes before this hold no '\n' after pos */
    uint64_t lc_abs, lc_line;

    /* the current frame */
    bool open;       /* its bytes from fstart are kept in the window */
    uint64_t fstart; /* decoded offset of its first byte */
    bool skipping;   /* passed the record limit: only rej is kept */
    char *rej;       /* RP_MAX_REJECT_BYTES + RP_BUF_PADDING */
    size_t rej_n;
    uint64_t skip_line;

    /* JSON scanner */
    enum jstate st;
    enum vkind vk;
    enum vrole vr;
    enum vwhy why;
    char why_c;      /* the mismatched closer */
    bool in_str;     /* inside a string */
    bool found;      /* the walked object has a container */
    bool key_match;  /* the last key is a container key */
    bool key_long;   /* the key being read is longer than any container key */
    bool bom_done;   /* a BOM at offset 0 was looked for */
    uint64_t depth;  /* nesting depth at pos */
    uint64_t vdepth; /* depth the current value started at */
    size_t vend;     /* window index just past the finished value */
    uint64_t kstart; /* decoded offset of the key being read */
    uint64_t holder; /* decoded offset of the walked object */
    unsigned char stack[STACK_BITS / 8];
};

/* ---- byte classes ---- */

enum { C_QUOTE = 1, C_ESC, C_OPEN, C_CLOSE };

/* Outside strings, in a compound value: what the scanner stops at. */
static const unsigned char cls_val[256] = {['"'] = C_QUOTE, ['\\'] = C_ESC,  ['{'] = C_OPEN,
                                           ['['] = C_OPEN,  ['}'] = C_CLOSE, [']'] = C_CLOSE};
/* Inside strings. */
static const unsigned char cls_str[256] = {['"'] = 1, ['\\'] = 1};
/* What ends a number or literal ('\\' escapes the next byte instead). */
static const unsigned char cls_scalar_end[256] = {
    [' '] = 1, ['\t'] = 1, ['\r'] = 1, ['\n'] = 1, [','] = 1, [':'] = 1,
    ['"'] = 1, ['{'] = 1,  ['['] = 1,  ['}'] = 1,  [']'] = 1, ['\\'] = 1};
/* JSON whitespace. */
static const unsigned char cls_ws[256] = {[' '] = 1, ['\t'] = 1, ['\r'] = 1, ['\n'] = 1};

static const char empty_pad[RP_BUF_PADDING + 1];

static bool starts_scalar(unsigned char c)
{
    return (c >= '0' && c <= '9') || c == '-' || c == 't' || c == 'f' || c == 'n';
}

/* ---- framer ---- */

rp_err rp_ingest_framer_new(struct rp_ingest_input *in, enum rp_ingest_framing framing,
                            const char *const *containers, struct rp_ingest_framer **out)
{
    *out = NULL;
    struct rp_ingest_framer *fr = calloc(1, sizeof *fr);
    if (!fr) return RP_ENOMEM;
    fr->cap = WIN_START;
    fr->buf = malloc(fr->cap + 1 + RP_BUF_PADDING);
    fr->rej = malloc(RP_MAX_REJECT_BYTES + RP_BUF_PADDING);
    if (!fr->buf || !fr->rej) {
        rp_ingest_framer_free(fr);
        return RP_ENOMEM;
    }
    fr->in = in;
    fr->framing = framing;
    fr->containers = containers;
    for (size_t i = 0; containers && containers[i]; i++) {
        size_t n = strlen(containers[i]);
        if (n >= fr->cont_max) fr->cont_max = n + 1; /* +1: never 0 once there is one */
    }
    fr->buf[0] = '"';
    memset(fr->buf + 1, 0, RP_BUF_PADDING);
    fr->chunk = WIN_CHUNK;
    fr->line_no = 1;
    fr->lc_line = 1;
    fr->st = J_TOP;
    *out = fr;
    return RP_OK;
}

void rp_ingest_framer_set_read_size(struct rp_ingest_framer *fr, size_t n)
{
    fr->chunk = n == 0 ? 1 : n > WIN_CHUNK ? WIN_CHUNK : n;
}

void rp_ingest_framer_free(struct rp_ingest_framer *fr)
{
    if (!fr) return;
    free(fr->buf);
    free(fr->rej);
    free(fr);
}

/* Line of decoded offset abs (>= every earlier call's, and >= base). */
static uint64_t line_at(struct rp_ingest_framer *fr, uint64_t abs)
{
    if (abs > fr->lc_abs) {
        const char *p = fr->buf + (fr->lc_abs - fr->base);
        const char *e = fr->buf + (abs - fr->base);
        uint64_t n = 0;
        while (p < e && (p = memchr(p, '\n', (size_t)(e - p))) != NULL) {
            n++;
            p++;
        }
        fr->lc_line += n;
        fr->lc_abs = abs;
    }
    return fr->lc_line;
}

static void frame_set(struct rp_ingest_framer *fr, struct rp_ingest_frame *out,
                      enum rp_ingest_frame_kind kind, const char *p, size_t n, uint64_t orig_len,
                      uint64_t offset, uint64_t line, const char *reason)
{
    out->kind = kind;
    out->p = p;
    out->n = n;
    out->orig_len = orig_len;
    out->offset = offset;
    out->line = line;
    out->ordinal = fr->ordinal++;
    if (reason)
        snprintf(out->reason, sizeof out->reason, "%s", reason);
    else
        out->reason[0] = '\0';
}

/* The current frame, fstart .. window index end: a RECORD (reason NULL) or a BAD frame. A
 * skipped frame is always BAD (reason must then be set) and gives the saved first bytes.
 * sized: the frame is a record or value, so past the limit it is "larger than 16 MiB"
 * whatever else is wrong with it (whether the limit showed while reading or only at the end
 * then makes no difference). */
static void emit_span(struct rp_ingest_framer *fr, struct rp_ingest_frame *out, size_t end,
                      const char *reason, bool sized)
{
    uint64_t orig = fr->base + end - fr->fstart;
    if (sized && orig > RP_MAX_RECORD_BYTES)
        reason = fr->framing == RP_INGEST_FRAME_LINES ? "line longer than 16 MiB"
                                                      : "record larger than 16 MiB";
    if (fr->skipping) {
        frame_set(fr, out, RP_INGEST_FRAME_BAD, fr->rej, fr->rej_n, orig, fr->fstart, fr->skip_line,
                  reason);
    } else {
        const char *p = fr->buf + (fr->fstart - fr->base);
        uint64_t line =
            fr->framing == RP_INGEST_FRAME_LINES ? fr->skip_line : line_at(fr, fr->fstart);
        size_t n = (size_t)orig;
        if (reason && n > RP_MAX_REJECT_BYTES) n = RP_MAX_REJECT_BYTES;
        frame_set(fr, out, reason ? RP_INGEST_FRAME_BAD : RP_INGEST_FRAME_RECORD, p, n, orig,
                  fr->fstart, line, reason);
    }
    fr->skipping = false;
    fr->open = false;
}

/* The open frame passed the record limit: keep its first bytes and drop the rest. */
static void begin_skip(struct rp_ingest_framer *fr, uint64_t line)
{
    size_t s = (size_t)(fr->fstart - fr->base);
    size_t n = fr->len - s;
    if (n > RP_MAX_REJECT_BYTES) n = RP_MAX_REJECT_BYTES;
    memcpy(fr->rej, fr->buf + s, n);
    memset(fr->rej + n, 0, RP_BUF_PADDING);
    fr->rej_n = n;
    fr->skip_line = line;
    fr->skipping = true;
}

/* A walked object without a container passed the record limit: skip the rest of it whole. */
static void walk_abandon(struct rp_ingest_framer *fr)
{
    fr->st = J_VALUE;
    fr->vk = V_COMPOUND;
    fr->vr = R_TOP;
    fr->vdepth = 0;
}

/* Read more input into the window, after dropping what is no longer needed. */
static rp_err refill(struct rp_ingest_framer *fr, struct rp_errbuf *eb)
{
    size_t keep;
    if (fr->framing == RP_INGEST_FRAME_LINES) {
        keep = fr->pos;
        if (!fr->skipping && fr->len - keep > (size_t)RP_MAX_RECORD_BYTES + 1) {
            fr->fstart = fr->base + keep;
            begin_skip(fr, fr->line_no);
            fr->pos = keep = fr->len;
        }
    } else {
        keep = fr->open && !fr->skipping ? (size_t)(fr->fstart - fr->base) : fr->pos;
        if (fr->open && !fr->skipping && fr->len - keep > RP_MAX_RECORD_BYTES) {
            begin_skip(fr, line_at(fr, fr->fstart));
            if (!fr->found && (fr->st == J_OBJ_KEY || fr->st == J_OBJ_COLON ||
                               fr->st == J_OBJ_VAL || fr->st == J_OBJ_NEXT ||
                               (fr->st == J_VALUE && (fr->vr == R_MEMBER || fr->vr == R_KEY))))
                walk_abandon(fr);
            keep = fr->pos;
        }
        if (fr->st == J_VALUE && fr->vr == R_KEY && !fr->open) {
            /* a key of a container holder: keep it until it ends, unless it is too long to be
             * a container key */
            if (fr->len - (size_t)(fr->kstart - fr->base) > fr->cont_max)
                fr->key_long = true;
            else
                keep = (size_t)(fr->kstart - fr->base) - 1;
        }
    }
    /* Compact when the chunk does not fit, or when moving what is kept costs less than the
     * space it frees (so a big open record is not moved on every read). */
    size_t live = fr->len - keep;
    if (keep && (fr->cap - fr->len < fr->chunk || live <= keep)) {
        if (fr->framing == RP_INGEST_FRAME_JSON && fr->base + keep > fr->lc_abs)
            line_at(fr, fr->base + keep);
        fr->prev_cr = fr->buf[keep - 1] == '\r';
        memmove(fr->buf, fr->buf + keep, live);
        fr->base += keep;
        fr->len = live;
        fr->pos -= keep;
        fr->lscan = fr->lscan > keep ? fr->lscan - keep : 0;
    }
    /* Grow when what is kept fills half the window (a record longer than the window so far);
     * reads otherwise fit what room there is. */
    if (fr->len > fr->cap / 2 && fr->cap < WIN_CAP) {
        size_t cap = fr->cap * 2;
        if (cap > WIN_CAP) cap = WIN_CAP;
        char *nb = realloc(fr->buf, cap + 1 + RP_BUF_PADDING);
        if (!nb) return rp_fail(eb, RP_ENOMEM, "ingest: out of memory for a %zu-byte window", cap);
        fr->buf = nb;
        fr->cap = cap;
    }
    size_t room = fr->cap - fr->len;
    RP_BUG_ON(room == 0);
    if (room > fr->chunk) room = fr->chunk;
    size_t got = 0;
    rp_err e = rp_ingest_input_read(fr->in, fr->buf + fr->len, room, &got, eb);
    if (e) return e;
    if (got == 0) fr->eof = true;
    fr->len += got;
    fr->buf[fr->len] = '"'; /* sentinel for the scanning loops */
    memset(fr->buf + fr->len + 1, 0, RP_BUF_PADDING);
    return RP_OK;
}

/* ---- FRAME_LINES ---- */

static bool blank(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' && p[i] != '\v' && p[i] != '\f')
            return false;
    return true;
}

/* One line into *out: 1, or 0 when more input is needed. */
static int lines_step(struct rp_ingest_framer *fr, struct rp_ingest_frame *out)
{
    static const char too_long[] = "line longer than 16 MiB";
    for (;;) {
        size_t s = fr->pos;
        size_t from = fr->lscan > s ? fr->lscan : s;
        const char *nl = memchr(fr->buf + from, '\n', fr->len - from);
        if (!nl) {
            if (fr->skipping) fr->pos = fr->len;
            fr->lscan = fr->len;
            return 0;
        }
        size_t e = (size_t)(nl - fr->buf);
        uint64_t line = fr->line_no++;
        fr->pos = e + 1;
        if (fr->skipping) {
            if (e > 0 ? fr->buf[e - 1] == '\r' : fr->prev_cr) e--;
            emit_span(fr, out, e, too_long, true);
            return 1;
        }
        size_t t = e;
        if (t > s && fr->buf[t - 1] == '\r') t--;
        if (blank(fr->buf + s, t - s)) continue;
        fr->fstart = fr->base + s;
        fr->skip_line = line;
        emit_span(fr, out, t, NULL, true);
        return 1;
    }
}

/* ---- FRAME_JSON ---- */

static bool stack_is_obj(const struct rp_ingest_framer *fr, uint64_t level)
{
    return fr->stack[(level - 1) >> 3] >> ((level - 1) & 7) & 1;
}

static void stack_set(struct rp_ingest_framer *fr, uint64_t level, bool obj)
{
    unsigned char bit = (unsigned char)(1u << ((level - 1) & 7));
    if (obj)
        fr->stack[(level - 1) >> 3] |= bit;
    else
        fr->stack[(level - 1) >> 3] &= (unsigned char)~bit;
}

/* A closer c at depth *d of a value that started at depth vd: 0 = consumed, the value goes
 * on; 1 = consumed and the value ended; 2 = the value ended just before it. */
static int closer(struct rp_ingest_framer *fr, uint64_t *d, uint64_t vd, unsigned char c)
{
    bool obj = c == '}';
    if (*d <= vd) { /* cannot happen for a well-started value; end before the closer */
        fr->why = W_MISMATCH;
        fr->why_c = (char)c;
        return 2;
    }
    if (*d > STACK_BITS || stack_is_obj(fr, *d) == obj) {
        --*d;
        return *d == vd;
    }
    /* Mismatched: close the levels up to the nearest one this closer matches; if the value has
     * none, it ends before the closer, which belongs to the enclosing one. */
    uint64_t lv = *d - 1;
    while (lv > vd && stack_is_obj(fr, lv) != obj) lv--;
    fr->why = W_MISMATCH;
    fr->why_c = (char)c;
    if (lv > vd) {
        *d = lv - 1;
        return *d == vd;
    }
    *d = vd;
    return 2;
}

#if defined(__SSE2__)
/* 64 bytes at p as bit masks (bit i = p[i]): quotes, backslashes, '{' or '[', '}' or ']'. */
struct blk {
    uint64_t q, bs, op, cl;
};

static inline void block_masks(const unsigned char *p, struct blk *m)
{
    const __m128i k20 = _mm_set1_epi8(0x20), kq = _mm_set1_epi8('"'), kb = _mm_set1_epi8('\\');
    const __m128i ko = _mm_set1_epi8('{'), kc = _mm_set1_epi8('}'); /* '[' | 0x20 == '{' */
    m->q = m->bs = m->op = m->cl = 0;
    for (int j = 0; j < 4; j++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * j));
        __m128i l = _mm_or_si128(v, k20);
        unsigned sh = 16u * (unsigned)j;
        m->q |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, kq)) << sh;
        m->bs |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, kb)) << sh;
        m->op |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(l, ko)) << sh;
        m->cl |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(l, kc)) << sh;
    }
}

/* Bit i set when an odd number of bits <= i are set in x. */
static inline uint64_t prefix_xor(uint64_t x)
{
    x ^= x << 1;
    x ^= x << 2;
    x ^= x << 4;
    x ^= x << 8;
    x ^= x << 16;
    x ^= x << 32;
    return x;
}
#endif

/* Scan the current value from pos: 1 when it ended (at vend), 0 when more input is needed.
 * A backslash escapes the byte after it, inside strings and (for garbage) outside them alike;
 * the block path and the byte loop agree on that, so where reads end never matters. */
static int scan_value(struct rp_ingest_framer *fr)
{
    const unsigned char *b = (const unsigned char *)fr->buf;
    size_t i = fr->pos;
    const size_t len = fr->len;
    if (fr->vk == V_SCALAR) { /* a backslash escapes here too, as in compound values */
        for (;;) {
            while (!cls_scalar_end[b[i]]) i++;
            if (i >= len || b[i] != '\\') break;
            if (i + 1 >= len) break;
            i += 2;
        }
        fr->pos = i < len ? i : len;
        if (i >= len || b[i] == '\\') return 0;
        fr->vend = i;
        return 1;
    }
    uint64_t d = fr->depth;
    const uint64_t vd = fr->vdepth;
    if (!fr->in_str && d == vd && i < len && (b[i] == '{' || b[i] == '[')) { /* the opener */
        d++;
        if (d <= STACK_BITS) stack_set(fr, d, b[i] == '{');
        i++;
    }
#if defined(__SSE2__)
    if (d > vd) {
        /* 64 bytes at a time: strings and escapes from bit masks, then only the brackets
         * outside strings are visited (simdjson's stage 1, reduced to what framing needs) */
        const uint64_t even = 0x5555555555555555ull;
        uint64_t carry = 0; /* the block's first byte is escaped */
        uint64_t ins = fr->in_str ? ~0ull : 0;
        while (len - i >= 64) {
            struct blk m;
            block_masks(b + i, &m);
            uint64_t bs = m.bs & ~carry;
            uint64_t follows = bs << 1 | carry;
            uint64_t odd_starts = bs & ~even & ~follows;
            uint64_t seq_even = 0;
            uint64_t ncarry = __builtin_add_overflow(odd_starts, bs, &seq_even);
            uint64_t escaped = (even ^ (seq_even << 1)) & follows;
            carry = ncarry;
            uint64_t str = prefix_xor(m.q & ~escaped) ^ ins;
            uint64_t br = (m.op | m.cl) & ~str & ~escaped;
            while (br) {
                size_t j = i + (size_t)__builtin_ctzll(br);
                unsigned char c = b[j];
                if (c == '{' || c == '[') {
                    d++;
                    if (d <= STACK_BITS) stack_set(fr, d, c == '{');
                } else {
                    int r = closer(fr, &d, vd, c);
                    if (r) {
                        fr->in_str = false;
                        i = r == 1 ? j + 1 : j;
                        goto done;
                    }
                }
                br &= br - 1;
            }
            ins = (uint64_t)0 - (str >> 63);
            i += 64;
        }
        fr->in_str = ins != 0;
        if (carry) { /* b[i] is escaped by the backslash before it */
            if (i >= len) {
                i--;
                goto more;
            }
            i++;
        }
    }
#endif
    for (;;) {
        if (fr->in_str) {
            for (;;) {
                while (!cls_str[b[i]]) i++;
                if (i >= len) goto more;
                if (b[i] == '"') break;
                if (i + 1 >= len) goto more; /* a backslash at the end: resume on it */
                i += 2;
            }
            i++;
            fr->in_str = false;
            if (d == vd) goto done; /* the value was a string */
            continue;
        }
        while (!cls_val[b[i]]) i++;
        if (i >= len) goto more;
        unsigned char c = b[i];
        if (c == '"') {
            fr->in_str = true;
            i++;
            continue;
        }
        if (c == '\\') {
            if (i + 1 >= len) goto more;
            i += 2;
            continue;
        }
        if (c == '{' || c == '[') {
            d++;
            if (d <= STACK_BITS) stack_set(fr, d, c == '{');
            i++;
            continue;
        }
        int r = closer(fr, &d, vd, c);
        if (r == 2) goto done;
        i++;
        if (r == 1) goto done;
    }
more:
    fr->pos = i;
    fr->depth = d;
    return 0;
done:
    fr->pos = fr->vend = i;
    fr->depth = d;
    return 1;
}

/* Skip whitespace from pos; false (pos = len) when the window ran out. */
static bool skip_ws(struct rp_ingest_framer *fr)
{
    const unsigned char *b = (const unsigned char *)fr->buf;
    size_t i = fr->pos;
    while (cls_ws[b[i]]) i++;
    fr->pos = i;
    return i < fr->len;
}

/* Start a value at pos (its first byte starts a value): role r at depth fr->depth. */
static void value_begin(struct rp_ingest_framer *fr, enum vrole r)
{
    unsigned char c = (unsigned char)fr->buf[fr->pos];
    fr->st = J_VALUE;
    fr->vr = r;
    fr->vdepth = fr->depth;
    fr->in_str = false;
    if (c == '{' || c == '[') {
        fr->vk = V_COMPOUND;
    } else if (c == '"') {
        fr->vk = V_STRING;
        fr->in_str = true;
        fr->pos++;
    } else {
        fr->vk = V_SCALAR;
    }
}

/* Start a frame at pos. */
static void frame_begin(struct rp_ingest_framer *fr)
{
    fr->open = true;
    fr->fstart = fr->base + fr->pos;
    fr->why = W_NONE;
}

/* The walked object at depth 1 does not look like an object any more: scan the rest of it
 * generically. Without a container it is one record (the parser rejects it); after one, the
 * rest is a BAD frame. */
static void walk_fallback(struct rp_ingest_framer *fr)
{
    if (fr->found) {
        frame_begin(fr);
        fr->why = W_MALFORMED;
    }
    fr->st = J_VALUE;
    fr->vk = V_COMPOUND;
    fr->vr = R_TOP;
    fr->vdepth = 0;
    fr->in_str = false;
}

static const char *value_reason(struct rp_ingest_framer *fr, char *tmp, size_t n)
{
    if (fr->skipping) return "record larger than 16 MiB";
    if (fr->why == W_MISMATCH) {
        snprintf(tmp, n, "mismatched '%c' in JSON value", fr->why_c);
        return tmp;
    }
    if (fr->why == W_MALFORMED) return "malformed JSON object";
    return NULL;
}

/* The walked object ended at pos (its '}'). 1 when it is a record, emitted into *out. */
static int object_end(struct rp_ingest_framer *fr, struct rp_ingest_frame *out)
{
    fr->depth = 0;
    fr->pos++;
    fr->st = J_TOP;
    if (fr->found) return 0;
    char tmp[64];
    emit_span(fr, out, fr->pos, value_reason(fr, tmp, sizeof tmp), true);
    return 1;
}

/* The container array met '}' instead of ']': the holder ends there. */
static int array_unclosed(struct rp_ingest_framer *fr, struct rp_ingest_frame *out)
{
    frame_begin(fr);
    emit_span(fr, out, fr->pos + 1, "container array not closed", false);
    fr->depth = 0;
    fr->pos++;
    fr->st = J_TOP;
    return 1;
}

/* Whether window bytes [s, e) hold one of the container keys in quotes. */
static bool mentions_container(const struct rp_ingest_framer *fr, size_t s, size_t e)
{
    for (size_t k = 0; fr->containers[k]; k++) {
        const char *key = fr->containers[k];
        size_t kn = strlen(key);
        const char *p = fr->buf + s + 1, *end = fr->buf + e;
        const char *q;
        while (p < end && (q = memmem(p, (size_t)(end - p), key, kn)) != NULL) {
            if (q[-1] == '"' && q + kn < end && q[kn] == '"') return true;
            p = q + 1;
        }
    }
    return false;
}

/* A top-level object at pos, when the source has containers: walking it member by member is
 * slow, so first find its end in the window with the fast scanner; when it ends there and
 * does not even mention a container key, it is one record (exactly what the walk would
 * find). 1 when the frame is in *out; 0 to walk it. */
static int prescan(struct rp_ingest_framer *fr, struct rp_ingest_frame *out)
{
    size_t start = fr->pos;
    value_begin(fr, R_TOP);
    if (scan_value(fr) && !mentions_container(fr, start, fr->vend)) {
        char tmp[64];
        fr->st = J_TOP;
        emit_span(fr, out, fr->vend, value_reason(fr, tmp, sizeof tmp), true);
        return 1;
    }
    fr->pos = start;
    fr->depth = 0;
    fr->in_str = false;
    fr->why = W_NONE;
    return 0;
}

/* Frames until one is ready (1) or more input is needed (0). */
static int json_step(struct rp_ingest_framer *fr, struct rp_ingest_frame *out)
{
    char tmp[64];
    for (;;) {
        const unsigned char *b = (const unsigned char *)fr->buf;
        switch (fr->st) {
        case J_TOP: {
            if (!fr->bom_done) {
                if (fr->len - fr->pos < 3 && !fr->eof) return 0;
                if (fr->base + fr->pos == 0 && fr->len >= 3 && b[0] == 0xef && b[1] == 0xbb &&
                    b[2] == 0xbf)
                    fr->pos += 3;
                fr->bom_done = true;
            }
            if (!skip_ws(fr)) return 0;
            unsigned char c = b[fr->pos];
            frame_begin(fr);
            fr->depth = 0;
            if (c == '{' && fr->cont_max && prescan(fr, out)) return 1;
            if (c == '{' && fr->cont_max) {
                fr->depth = 1;
                stack_set(fr, 1, true);
                fr->found = false;
                fr->holder = fr->fstart;
                fr->st = J_OBJ_KEY;
                fr->pos++;
            } else if (c == '{' || c == '[' || c == '"' || starts_scalar(c)) {
                value_begin(fr, R_TOP);
            } else {
                fr->st = J_JUNK_LINE;
            }
            continue;
        }
        case J_VALUE:
            if (!scan_value(fr)) return 0;
            switch (fr->vr) {
            case R_TOP:
                fr->st = J_TOP;
                emit_span(fr, out, fr->vend, value_reason(fr, tmp, sizeof tmp), true);
                return 1;
            case R_ELEM:
                fr->st = J_ARR_NEXT;
                emit_span(fr, out, fr->vend, value_reason(fr, tmp, sizeof tmp), true);
                return 1;
            case R_MEMBER:
                fr->st = J_OBJ_NEXT;
                continue;
            case R_KEY: {
                fr->key_match = false;
                size_t ks = (size_t)(fr->kstart - fr->base);
                if (!fr->key_long && fr->kstart >= fr->base) {
                    size_t kn = fr->vend - 1 - ks;
                    for (size_t k = 0; fr->containers[k]; k++)
                        if (strlen(fr->containers[k]) == kn &&
                            memcmp(fr->containers[k], fr->buf + ks, kn) == 0)
                            fr->key_match = true;
                }
                fr->st = J_OBJ_COLON;
                continue;
            }
            }
            continue;
        case J_OBJ_KEY:
            if (!skip_ws(fr)) return 0;
            if (b[fr->pos] == '"') {
                fr->st = J_VALUE;
                fr->vr = R_KEY;
                fr->vk = V_STRING;
                fr->vdepth = fr->depth;
                fr->in_str = true;
                fr->key_long = false;
                fr->pos++;
                fr->kstart = fr->base + fr->pos;
            } else if (b[fr->pos] == '}') {
                if (object_end(fr, out)) return 1;
            } else {
                walk_fallback(fr);
            }
            continue;
        case J_OBJ_COLON:
            if (!skip_ws(fr)) return 0;
            if (b[fr->pos] == ':') {
                fr->pos++;
                fr->st = J_OBJ_VAL;
            } else {
                walk_fallback(fr);
            }
            continue;
        case J_OBJ_VAL: {
            if (!skip_ws(fr)) return 0;
            unsigned char c = b[fr->pos];
            if (c == '[' && fr->key_match && !fr->found &&
                fr->base + fr->pos - fr->holder > RP_MAX_RECORD_BYTES) {
                /* too late: the object is past the limit already (and would have been
                 * abandoned had the window filled differently) */
                begin_skip(fr, line_at(fr, fr->fstart));
                walk_abandon(fr);
            } else if (c == '[' && fr->key_match) {
                if (!fr->found) {
                    fr->found = true;
                    fr->open = false;
                }
                fr->depth = 2;
                stack_set(fr, 2, false);
                fr->pos++;
                fr->st = J_ARR_ELEM;
            } else if (c == '{' || c == '[' || c == '"' || starts_scalar(c)) {
                value_begin(fr, R_MEMBER);
            } else {
                walk_fallback(fr);
            }
            continue;
        }
        case J_OBJ_NEXT:
            if (!skip_ws(fr)) return 0;
            if (b[fr->pos] == ',') {
                fr->pos++;
                fr->st = J_OBJ_KEY;
            } else if (b[fr->pos] == '}') {
                if (object_end(fr, out)) return 1;
            } else {
                walk_fallback(fr);
            }
            continue;
        case J_ARR_ELEM:
        case J_ARR_NEXT: {
            if (!skip_ws(fr)) return 0;
            unsigned char c = b[fr->pos];
            if (c == ']') {
                fr->depth = 1;
                fr->pos++;
                fr->st = J_OBJ_NEXT;
            } else if (c == '}') {
                return array_unclosed(fr, out);
            } else if (c == ',') {
                fr->pos++; /* a stray extra ',' in J_ARR_ELEM is skipped */
                fr->st = J_ARR_ELEM;
            } else if (c == '{' || c == '[' || c == '"' || starts_scalar(c)) {
                frame_begin(fr); /* in J_ARR_NEXT: a missing ',' */
                value_begin(fr, R_ELEM);
            } else {
                frame_begin(fr);
                fr->pos++;
                fr->in_str = false;
                fr->st = J_JUNK_ARR;
            }
            continue;
        }
        case J_JUNK_LINE: {
            size_t s = fr->pos;
            const char *nl = memchr(fr->buf + s, '\n', fr->len - s);
            if (!nl) {
                fr->pos = fr->len;
                return 0;
            }
            fr->pos = (size_t)(nl - fr->buf) + 1;
            fr->st = J_TOP;
            emit_span(fr, out, fr->pos - 1, "not JSON", false);
            return 1;
        }
        case J_JUNK_ARR: {
            size_t i = fr->pos;
            const size_t len = fr->len;
            for (;;) {
                if (i >= len) {
                    fr->pos = len;
                    return 0;
                }
                unsigned char c = b[i];
                if (fr->in_str) {
                    if (c == '\\') {
                        if (i + 1 >= len) {
                            fr->pos = i;
                            return 0;
                        }
                        i += 2;
                        continue;
                    }
                    if (c == '"') fr->in_str = false;
                    i++;
                    continue;
                }
                if (c == '"') {
                    fr->in_str = true;
                } else if (c == '{' || c == '[') {
                    fr->depth++;
                } else if (c == '}' || c == ']' || c == ',') {
                    if (fr->depth == 2) break;
                    if (c != ',') fr->depth--;
                }
                i++;
            }
            fr->pos = i;
            fr->st = J_ARR_NEXT;
            emit_span(fr, out, i, "malformed container array", false);
            return 1;
        }
        }
    }
}

/* ---- end of input ---- */

static void emit_empty(struct rp_ingest_framer *fr, struct rp_ingest_frame *out, uint64_t offset,
                       uint64_t orig_len, uint64_t line, const char *reason)
{
    frame_set(fr, out, RP_INGEST_FRAME_BAD, empty_pad, 0, orig_len, offset, line, reason);
}

/* The input ended: the last frames, one per call, then END. */
static void finish(struct rp_ingest_framer *fr, struct rp_ingest_frame *out)
{
    const char *dmg = rp_ingest_input_damage(fr->in);
    const char *why = dmg && !fr->dmg_done ? dmg : NULL;
    if (fr->framing == RP_INGEST_FRAME_LINES) {
        if (fr->skipping || fr->pos < fr->len) {
            size_t s = fr->pos, t = fr->len;
            if (!fr->skipping) {
                if (t > s && fr->buf[t - 1] == '\r') t--;
                fr->fstart = fr->base + s;
                fr->skip_line = fr->line_no;
            }
            fr->pos = fr->len;
            if (why) {
                fr->dmg_done = true;
                emit_span(fr, out, t, why, false);
                return;
            }
            if (fr->skipping || t - s > RP_MAX_RECORD_BYTES) {
                emit_span(fr, out, t, "line longer than 16 MiB", true);
                return;
            }
            if (!blank(fr->buf + s, t - s)) {
                emit_span(fr, out, t, NULL, true);
                return;
            }
        }
    } else {
        char tmp[128];
        const char *unterminated = why ? why : "unterminated JSON value";
        fr->pos = fr->len; /* nothing after the end of input is scanned again */
        switch (fr->st) {
        case J_TOP:
            break;
        case J_VALUE:
            if (fr->vk == V_SCALAR && fr->vr != R_MEMBER && !why) { /* ends at the end */
                fr->st = fr->vr == R_TOP ? J_TOP : J_ARR_NEXT;
                emit_span(fr, out, fr->len, value_reason(fr, tmp, sizeof tmp), true);
                return;
            }
            /* fall through */
        case J_OBJ_KEY:
        case J_OBJ_COLON:
        case J_OBJ_VAL:
        case J_OBJ_NEXT:
        case J_ARR_ELEM:
        case J_ARR_NEXT:
            if (fr->open) {
                fr->dmg_done = why != NULL;
                fr->eof_bad = true;
                fr->st = J_TOP;
                emit_span(fr, out, fr->len, unterminated, why == NULL);
                return;
            }
            fr->st = J_TOP;
            if (!fr->eof_bad) { /* a container holder with no open element */
                fr->dmg_done = why != NULL;
                fr->eof_bad = true;
                if (!why) {
                    snprintf(tmp, sizeof tmp, "unterminated JSON value (the object at offset %llu)",
                             (unsigned long long)fr->holder);
                    why = tmp;
                }
                uint64_t end = fr->base + fr->len;
                emit_empty(fr, out, end, 0, line_at(fr, end), why);
                return;
            }
            break;
        case J_JUNK_LINE:
            fr->st = J_TOP;
            emit_span(fr, out, fr->len, "not JSON", false);
            return;
        case J_JUNK_ARR:
            fr->st = J_ARR_NEXT;
            fr->eof_bad = true;
            emit_span(fr, out, fr->len, "malformed container array", false);
            return;
        }
    }
    if (dmg && !fr->dmg_done) {
        fr->dmg_done = true;
        uint64_t end = fr->base + fr->len;
        uint64_t line = fr->framing == RP_INGEST_FRAME_LINES ? fr->line_no : line_at(fr, end);
        emit_empty(fr, out, end, 0, line, dmg);
        return;
    }
    fr->ended = true;
    frame_set(fr, out, RP_INGEST_FRAME_END, empty_pad, 0, 0, fr->base + fr->len,
              fr->framing == RP_INGEST_FRAME_LINES ? fr->line_no : fr->lc_line, NULL);
    fr->ordinal--; /* END is not counted */
}

rp_err rp_ingest_framer_next(struct rp_ingest_framer *fr, struct rp_ingest_frame *out,
                             struct rp_errbuf *eb)
{
    if (fr->ended) {
        frame_set(fr, out, RP_INGEST_FRAME_END, empty_pad, 0, 0, fr->base + fr->len, 0, NULL);
        fr->ordinal--;
        return RP_OK;
    }
    for (;;) {
        int got = fr->framing == RP_INGEST_FRAME_LINES ? lines_step(fr, out) : json_step(fr, out);
        if (got) return RP_OK;
        if (fr->eof) {
            finish(fr, out);
            return RP_OK;
        }
        rp_err e = refill(fr, eb);
        if (e) return e;
    }
}
