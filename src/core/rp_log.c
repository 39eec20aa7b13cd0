/* SPDX-License-Identifier: Apache-2.0 */
/* rp_log: leveled logging as text on a terminal and JSON lines otherwise (see rp_log.h).
 * The JSON form escapes the message itself rather than going through rp_json so that core's
 * lowest layer has no dependencies. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/rp_log.h"
#include "core/rp_banned.h"

static enum rp_log_level cur_level = RP_LOG_LVL_WARN;
static enum rp_log_style cur_style = RP_LOG_AUTO;
static int log_fd = 2;

static const char *const level_names[] = {"error", "warn", "info", "debug"};

void rp_log_set_level(enum rp_log_level level)
{
    cur_level = level;
}

enum rp_log_level rp_log_get_level(void)
{
    return cur_level;
}

void rp_log_set_style(enum rp_log_style style)
{
    cur_style = style;
}

void rp_log_set_fd(int fd)
{
    log_fd = fd;
}

static size_t json_escape(char *out, size_t cap, const char *s)
{
    size_t o = 0;
    for (; *s && o + 7 < cap; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            out[o++] = '\\';
            out[o++] = (char)c;
        } else if (c < 0x20) {
            o += (size_t)snprintf(out + o, cap - o, "\\u%04x", c);
        } else {
            out[o++] = (char)c;
        }
    }
    out[o] = '\0';
    return o;
}

void rp_log_write(enum rp_log_level level, const char *module, const char *file, int line,
                  const char *fmt, ...)
{
    if (level > cur_level) return;
    char msg[RP_MAX_LOG_LINE];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);

    enum rp_log_style style = cur_style;
    if (style == RP_LOG_AUTO) style = isatty(log_fd) ? RP_LOG_TEXT : RP_LOG_JSON;

    char out[RP_MAX_LOG_LINE * 2 + 256];
    int n;
    if (style == RP_LOG_TEXT) {
        n = snprintf(out, sizeof out, "rampart: %s: %s: %s\n", level_names[level], module, msg);
    } else {
        struct timespec ts;
        struct tm tm;
        clock_gettime(CLOCK_REALTIME, &ts);
        gmtime_r(&ts.tv_sec, &tm);
        char esc[RP_MAX_LOG_LINE * 2];
        json_escape(esc, sizeof esc, msg);
        const char *base = strrchr(file, '/');
        n = snprintf(out, sizeof out,
                     "{\"ts\":\"%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ\",\"level\":\"%s\","
                     "\"module\":\"%s\",\"file\":\"%s\",\"line\":%d,\"msg\":\"%s\"}\n",
                     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                     ts.tv_nsec / 1000000, level_names[level], module, base ? base + 1 : file, line,
                     esc);
    }
    if (n < 0) return;
    size_t len = (size_t)n < sizeof out ? (size_t)n : sizeof out - 1;
    if (len && out[len - 1] != '\n') out[len - 1] = '\n';
    ssize_t w RP_UNUSED = write(log_fd, out, len);
}
