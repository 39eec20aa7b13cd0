/* SPDX-License-Identifier: Apache-2.0 */
/* Maven version ordering for the OSV ecosystem "Maven" (rp_vuln_ver_maven, vuln.h), as Maven's
 * ComparableVersion orders versions (checked against Maven 3.8's own class).
 *
 * Items split at '.', '-' and digit/letter changes (an empty item is 0). Numbers compare as
 * numbers of any size; qualifiers case-insensitively: alpha < beta < milestone < rc = cr <
 * snapshot < "" = ga = final = release < sp < others (lexically); 'a', 'b', 'm' directly
 * followed by a digit mean alpha, beta, milestone. A '-', a digit-to-letter change, letters
 * followed by digits (unless they begin a list) and a final ".qualifier" open a nested list;
 * each list drops its trailing null items (0, "", ga, final, release, an empty list). Lists
 * compare item by item: a number beats a list, which beats a qualifier; a missing item is null.
 *
 * ComparableVersion accepts any string, so cmp() has no fallback; valid() only refuses the
 * empty string, whitespace, control characters and the characters Maven's model validator
 * bans in versions. docs/vuln-versions-lang.md has the rules with examples. */
#include <stdlib.h>
#include <string.h>

#include "vuln/vuln.h"

enum mitem_kind { MI_INT, MI_STR };

/* One scalar item; lists are implicit (see struct mver). */
struct mitem {
    enum mitem_kind kind;
    struct rp_str text; /* MI_INT: digits without leading zeros ("" is 0); MI_STR: the
                           qualifier as written (any case), after alias resolution below */
    int qual;           /* MI_STR: index of a known qualifier (QUAL_*), or QUAL_OTHER */
};

enum {
    QUAL_ALPHA,
    QUAL_BETA,
    QUAL_MILESTONE,
    QUAL_RC,
    QUAL_SNAPSHOT,
    QUAL_RELEASE, /* "", ga, final, release */
    QUAL_SP,
    QUAL_OTHER,
};

/* A parsed version. A new list is always appended as the last item of the current list and
 * then becomes current, so the lists form a chain: list k holds the scalar items
 * item[lv[k].start .. lv[k].end) and then, when k + 1 < nlv, list k + 1 as its last item. */
struct mlevel {
    size_t start, end;
};

struct mver {
    struct mitem *item;
    struct mlevel *lv;
    size_t nitem, nlv;
};

#define MVER_SMALL 64 /* items on the stack before falling back to the heap */

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static bool eq_word(struct rp_str s, const char *w)
{
    size_t n = strlen(w);
    if (s.len != n) return false;
    for (size_t i = 0; i < n; i++)
        if (lower(s.p[i]) != w[i]) return false;
    return true;
}

static void add_int(struct mver *m, struct rp_str d)
{
    while (d.len > 0 && d.p[0] == '0') d.p++, d.len--;
    m->item[m->nitem++] = (struct mitem){MI_INT, d, 0};
    m->lv[m->nlv - 1].end = m->nitem;
}

static void add_str(struct mver *m, struct rp_str s, bool followed_by_digit)
{
    static const struct {
        const char *w;
        int q;
    } known[] = {{"alpha", QUAL_ALPHA}, {"beta", QUAL_BETA},     {"milestone", QUAL_MILESTONE},
                 {"rc", QUAL_RC},       {"cr", QUAL_RC},         {"snapshot", QUAL_SNAPSHOT},
                 {"ga", QUAL_RELEASE},  {"final", QUAL_RELEASE}, {"release", QUAL_RELEASE},
                 {"sp", QUAL_SP}};
    int q = QUAL_OTHER;
    if (followed_by_digit && s.len == 1) {
        char c = lower(s.p[0]);
        q = c == 'a' ? QUAL_ALPHA : c == 'b' ? QUAL_BETA : c == 'm' ? QUAL_MILESTONE : q;
    }
    for (size_t k = 0; q == QUAL_OTHER && k < RP_ARRAY_LEN(known); k++)
        if (eq_word(s, known[k].w)) q = known[k].q;
    m->item[m->nitem++] = (struct mitem){MI_STR, s, q};
    m->lv[m->nlv - 1].end = m->nitem;
}

static void add_item(struct mver *m, bool digits, struct rp_str s)
{
    if (digits)
        add_int(m, s);
    else
        add_str(m, s, false);
}

static void open_list(struct mver *m)
{
    m->lv[m->nlv++] = (struct mlevel){m->nitem, m->nitem};
}

static bool cur_empty(const struct mver *m)
{
    return m->lv[m->nlv - 1].start == m->lv[m->nlv - 1].end;
}

static bool item_null(const struct mitem *it)
{
    return it->kind == MI_INT ? it->text.len == 0 : it->qual == QUAL_RELEASE;
}

/* Drop trailing null items of every list, innermost first. A non-null nested list is
 * stepped over (the items before it are still trimmed); an emptied list is null itself and
 * leaves its parent. The outermost list stays, possibly empty. */
static void normalize(struct mver *m)
{
    for (size_t k = m->nlv; k-- > 0;) {
        struct mlevel *l = &m->lv[k];
        while (l->end > l->start && item_null(&m->item[l->end - 1])) l->end--;
        if (k > 0 && k + 1 >= m->nlv && l->end == l->start) m->nlv = k;
    }
}

/* Split v into items and lists as ComparableVersion does. m's arrays hold v.len + 1 items and
 * 2 * v.len + 2 lists (one item per byte plus one at the end; at most two lists per byte). */
static void mparse(struct rp_str v, struct mver *m)
{
    m->nitem = 0;
    m->nlv = 0;
    open_list(m);
    bool digit = false;
    size_t start = 0;
    for (size_t i = 0; i < v.len; i++) {
        char c = v.p[i];
        struct rp_str tok = {v.p + start, i - start};
        if (c == '.' || c == '-') {
            if (i == start)
                add_int(m, tok); /* empty item: 0 */
            else
                add_item(m, digit, tok);
            start = i + 1;
            if (c == '-') open_list(m);
        } else if (is_digit(c)) {
            if (!digit && i > start) {
                /* "X1": the qualifier starts a list of its own unless it begins one */
                if (!cur_empty(m)) open_list(m);
                add_str(m, tok, true);
                start = i;
                open_list(m);
            }
            digit = true;
        } else {
            if (digit && i > start) {
                add_int(m, tok);
                start = i;
                open_list(m);
            }
            digit = false;
        }
    }
    if (v.len > start) {
        /* a final ".X" qualifier is taken as "-X" */
        if (!digit && !cur_empty(m)) open_list(m);
        add_item(m, digit, (struct rp_str){v.p + start, v.len - start});
    }
    normalize(m);
}

/* ---- comparison --------------------------------------------------------------------------- */

static int numcmp(struct rp_str a, struct rp_str b)
{
    if (a.len != b.len) return a.len < b.len ? -1 : 1;
    int r = a.len ? memcmp(a.p, b.p, a.len) : 0;
    return (r > 0) - (r < 0);
}

/* Qualifiers: known ones by rank, before every other one; others lexically (lower case). */
static int qualcmp(const struct mitem *a, const struct mitem *b)
{
    if (a->qual != b->qual) return a->qual < b->qual ? -1 : 1;
    if (a->qual != QUAL_OTHER) return 0;
    for (size_t i = 0; i < a->text.len && i < b->text.len; i++) {
        unsigned char x = (unsigned char)lower(a->text.p[i]),
                      y = (unsigned char)lower(b->text.p[i]);
        if (x != y) return x < y ? -1 : 1;
    }
    return a->text.len == b->text.len ? 0 : (a->text.len < b->text.len ? -1 : 1);
}

/* A scalar item against a missing one: a number is greater unless it is 0; a qualifier
 * against "" (the release). */
static int scalar_vs_null(const struct mitem *a)
{
    if (a->kind == MI_INT) return a->text.len ? 1 : 0;
    if (a->qual == QUAL_RELEASE) return 0;
    return a->qual < QUAL_RELEASE ? -1 : 1;
}

static int scalar_cmp(const struct mitem *a, const struct mitem *b)
{
    if (a->kind != b->kind) return a->kind == MI_INT ? 1 : -1;
    return a->kind == MI_INT ? numcmp(a->text, b->text) : qualcmp(a, b);
}

/* List k of m (with everything nested in it) against a missing item: its items in turn. */
static int list_vs_null(const struct mver *m, size_t k)
{
    for (; k < m->nlv; k++)
        for (size_t i = m->lv[k].start; i < m->lv[k].end; i++) {
            int r = scalar_vs_null(&m->item[i]);
            if (r) return r;
        }
    return 0;
}

/* Kinds of the i-th element of a list: a scalar, the nested list, or nothing. */
enum elem { E_NONE, E_SCALAR, E_LIST };

static enum elem elem_at(const struct mver *m, size_t k, size_t i, const struct mitem **it)
{
    size_t n = m->lv[k].end - m->lv[k].start;
    if (i < n) {
        *it = &m->item[m->lv[k].start + i];
        return E_SCALAR;
    }
    return (i == n && k + 1 < m->nlv) ? E_LIST : E_NONE;
}

/* List ka of a against list kb of b. A nested list is always the last element of its list,
 * so comparing two nested lists is a tail step of the loop. */
static int list_cmp(const struct mver *a, size_t ka, const struct mver *b, size_t kb)
{
    for (;;) {
        bool descend = false;
        for (size_t i = 0;; i++) {
            const struct mitem *x = NULL, *y = NULL;
            enum elem ex = elem_at(a, ka, i, &x), ey = elem_at(b, kb, i, &y);
            int r = 0;
            if (ex == E_NONE && ey == E_NONE) return 0;
            if (ex == E_LIST && ey == E_LIST) {
                descend = true;
                break;
            }
            if (ex == E_NONE)
                r = ey == E_LIST ? -list_vs_null(b, kb + 1) : -scalar_vs_null(y);
            else if (ey == E_NONE)
                r = ex == E_LIST ? list_vs_null(a, ka + 1) : scalar_vs_null(x);
            else if (ex == E_LIST)
                r = y->kind == MI_INT ? -1 : 1; /* 1-1 < 1.1, 1-1 > 1-sp */
            else if (ey == E_LIST)
                r = x->kind == MI_INT ? 1 : -1;
            else
                r = scalar_cmp(x, y);
            if (r) return r;
        }
        if (descend) ka++, kb++;
    }
}

static int bytes_cmp(struct rp_str a, struct rp_str b)
{
    size_t n = a.len < b.len ? a.len : b.len;
    int r = n ? memcmp(a.p, b.p, n) : 0;
    if (r) return r < 0 ? -1 : 1;
    return a.len == b.len ? 0 : (a.len < b.len ? -1 : 1);
}

/* Parse into stack storage, or heap storage for long versions; false on allocation
 * failure. */
struct mstore {
    struct mitem item[MVER_SMALL + 1];
    struct mlevel lv[2 * MVER_SMALL + 2];
    void *heap;
};

static bool mver_init(struct mver *m, struct mstore *st, struct rp_str v)
{
    if (v.len <= MVER_SMALL) {
        m->item = st->item;
        m->lv = st->lv;
    } else {
        size_t ni = v.len + 1, nl = 2 * v.len + 2;
        st->heap = malloc(ni * sizeof(struct mitem) + nl * sizeof(struct mlevel));
        if (!st->heap) return false;
        m->item = st->heap;
        m->lv = (struct mlevel *)(m->item + ni);
    }
    mparse(v, m);
    return true;
}

static int cmp(struct rp_str a, struct rp_str b)
{
    struct mstore sa, sb;
    struct mver x, y;
    int r;
    sa.heap = sb.heap = NULL;
    if (mver_init(&x, &sa, a) && mver_init(&y, &sb, b))
        r = list_cmp(&x, 0, &y, 0);
    else
        r = bytes_cmp(a, b); /* out of memory: still a total order */
    free(sa.heap);
    free(sb.heap);
    return r;
}

static bool valid(struct rp_str v)
{
    if (v.len == 0) return false;
    for (size_t i = 0; i < v.len; i++) {
        unsigned char c = (unsigned char)v.p[i];
        if (c <= 0x20 || c == 0x7f || strchr("\\/:\"<>|?*", c)) return false;
    }
    return true;
}

static const char *const ecosystems[] = {"Maven", NULL};

const struct rp_vuln_versioning rp_vuln_ver_maven = {
    .name = "maven",
    .ecosystems = ecosystems,
    .cmp = cmp,
    .valid = valid,
};
