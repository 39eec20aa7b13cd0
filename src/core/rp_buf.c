/* SPDX-License-Identifier: Apache-2.0 */
/* rp_buf: bounded growable buffer (see rp_buf.h). Growth doubles; the padding after the
 * contents is zeroed once at allocation and kept zero by the NUL written after each append. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rp_buf.h"
#include "core/rp_banned.h"

void rp_buf_init(struct rp_buf *b, size_t max)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max ? max : SIZE_MAX / 2;
}

void rp_buf_release(struct rp_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

void rp_buf_reset(struct rp_buf *b)
{
    b->len = 0;
    if (b->data) b->data[0] = '\0';
}

rp_err rp_buf_reserve(struct rp_buf *b, size_t n)
{
    if (n > b->max - b->len) return RP_ELIMIT;
    size_t need = b->len + n;
    if (need <= b->cap && b->data) return RP_OK;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need) cap = cap > SIZE_MAX / 4 ? need : cap * 2;
    if (cap > b->max) cap = b->max;
    char *d = realloc(b->data, cap + RP_BUF_PADDING);
    if (!d) return RP_ENOMEM;
    /* Only the padding is cleared: zeroing all new capacity would cost a full extra pass over
     * every large input (measured: 30-50 ms per 200 MB file in bench/json.sh). */
    memset(d + cap, 0, RP_BUF_PADDING);
    d[b->len] = '\0';
    b->data = d;
    b->cap = cap;
    return RP_OK;
}

rp_err rp_buf_append(struct rp_buf *b, const void *p, size_t n)
{
    rp_err e = rp_buf_reserve(b, n);
    if (e) return e;
    if (n) memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return RP_OK;
}

rp_err rp_buf_append_str(struct rp_buf *b, const char *s)
{
    return rp_buf_append(b, s, strlen(s));
}

rp_err rp_buf_putc(struct rp_buf *b, char c)
{
    if (RP_LIKELY(b->data && b->len < b->cap)) {
        b->data[b->len++] = c;
        b->data[b->len] = '\0';
        return RP_OK;
    }
    return rp_buf_append(b, &c, 1);
}

rp_err rp_buf_vprintf(struct rp_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0) return RP_EINVAL;
    rp_err e = rp_buf_reserve(b, (size_t)n);
    if (e) return e;
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return RP_OK;
}

rp_err rp_buf_printf(struct rp_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    rp_err e = rp_buf_vprintf(b, fmt, ap);
    va_end(ap);
    return e;
}

void rp_buf_commit(struct rp_buf *b, size_t n)
{
    RP_BUG_ON(!b->data || n > b->cap - b->len);
    b->len += n;
    b->data[b->len] = '\0';
}

void rp_buf_truncate(struct rp_buf *b, size_t n)
{
    if (n >= b->len) return;
    b->len = n;
    b->data[n] = '\0';
}

const char *rp_buf_cstr(const struct rp_buf *b)
{
    return b->data ? b->data : "";
}

char *rp_buf_take(struct rp_buf *b, size_t *len)
{
    char *d = b->data;
    if (len) *len = b->len;
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    return d;
}
