/* SPDX-License-Identifier: Apache-2.0 */
/* Logging to stderr (STYLE.md B3). Each .c file that logs #defines RP_LOG_MODULE before its
 * includes. On a terminal a line reads
 *     rampart: warn: ingest: file 'x.gz' truncated at byte 123
 * and otherwise it is one JSON object per line:
 *     {"ts":"2026-11-26T21:00:00.000Z","level":"warn","module":"ingest","file":"x.c",
 *      "line":42,"msg":"..."}
 * DEBUG compiles away in release builds (NDEBUG). Never log raw payloads or secrets; log
 * rp_str_redact() previews. Thread-safe: one write(2) per line. */
#ifndef RP_LOG_H
#define RP_LOG_H

#include "core/rp_base.h"
#include "core/rp_limits.h"

enum rp_log_level { RP_LOG_LVL_ERROR, RP_LOG_LVL_WARN, RP_LOG_LVL_INFO, RP_LOG_LVL_DEBUG };
enum rp_log_style { RP_LOG_AUTO, RP_LOG_TEXT, RP_LOG_JSON };

#ifndef RP_LOG_MODULE
#define RP_LOG_MODULE "rampart"
#endif

/* Messages above level are dropped. Default: WARN. */
void rp_log_set_level(enum rp_log_level level);
enum rp_log_level rp_log_get_level(void);

/* AUTO picks TEXT when stderr is a terminal and JSON otherwise. Default: AUTO. */
void rp_log_set_style(enum rp_log_style style);

/* Send log lines to fd instead of 2 (tests). */
void rp_log_set_fd(int fd);

void rp_log_write(enum rp_log_level level, const char *module, const char *file, int line,
                  const char *fmt, ...) RP_PRINTF(5, 6);

#define RP_LOG_ERROR(...)                                                                          \
    rp_log_write(RP_LOG_LVL_ERROR, RP_LOG_MODULE, __FILE__, __LINE__, __VA_ARGS__)
#define RP_LOG_WARN(...)                                                                           \
    rp_log_write(RP_LOG_LVL_WARN, RP_LOG_MODULE, __FILE__, __LINE__, __VA_ARGS__)
#define RP_LOG_INFO(...)                                                                           \
    rp_log_write(RP_LOG_LVL_INFO, RP_LOG_MODULE, __FILE__, __LINE__, __VA_ARGS__)
#ifdef NDEBUG
#define RP_LOG_DEBUG(...) ((void)0)
#else
#define RP_LOG_DEBUG(...)                                                                          \
    rp_log_write(RP_LOG_LVL_DEBUG, RP_LOG_MODULE, __FILE__, __LINE__, __VA_ARGS__)
#endif

#endif
