/* SPDX-License-Identifier: Apache-2.0 */
/* Threat lists in the store (table threatintel_lists, migration 0013; docs/threatintel.md):
 * adding a list file (read, parsed by detect_ti_parse.c, canonicalised, deduplicated, checked
 * against GuardDuty's limits, stored whole with its rejects in one transaction), listing,
 * removing, (de)activating, looking a value up in every list, and loading the active lists
 * into a run's sets (rp_det_ti_load in detect_ti.c calls rp_det_ti_store_load). This is what
 * `rampart threatintel` (src/cmd/cmd_threatintel.c) runs. */
#define RP_LOG_MODULE "detect"
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rp_arena.h"
#include "core/rp_buf.h"
#include "core/rp_gz.h"
#include "core/rp_hash.h"
#include "core/rp_time.h"
#include "detect/detect_ti_internal.h"
#include "store/store.h"
#include "core/rp_banned.h"

#define REJECT_SOURCE  "threatintel:"
#define TYPE_THREAT    "ThreatIntelSet"
#define TYPE_TRUSTED   "IPSet"
#define TYPE_BUILTIN   "Builtin"
#define MAX_IGNORED    16  /* distinct "ignored" reasons reported */
#define SHOW_VALUE_MAX 100 /* bytes of a value quoted in a warning */

static bool have_table(struct rp_store *st, struct rp_errbuf *eb, rp_err *err)
{
    struct rp_store_stmt *s = NULL;
    bool row = false;
    *err = rp_store_stmt_prepare(
        st, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'threatintel_lists'", &s,
        eb);
    if (!*err) *err = rp_store_stmt_step(s, &row, eb);
    if (s) rp_store_stmt_reset(s);
    return !*err && row;
}

static bool name_valid(const char *n)
{
    size_t len = n ? strlen(n) : 0;
    if (!len || len > RP_DETECT_TI_MAX_NAME) return false;
    for (size_t i = 0; i < len; i++) {
        char c = n[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-'))
            return false;
    }
    return true;
}

static rp_err name_check(const char *name, struct rp_errbuf *eb)
{
    if (name_valid(name)) return RP_OK;
    return rp_fail(eb, RP_EINVAL,
                   "threatintel: bad list name '%.64s' (use 1 to %d letters, digits, '.', '_' "
                   "or '-')",
                   name ? name : "", RP_DETECT_TI_MAX_NAME);
}

/* ---- adding -------------------------------------------------------------------------------- */

struct ignored_reason {
    const char *why;
    int64_t n;
};

struct reject_rec {
    int64_t line, off;
    char *reason;
    char *raw;
    size_t rawlen;
};

struct adder {
    const char *label; /* the file, as given */
    const char *name;
    enum rp_det_ti_kind kind;
    size_t max_entries;
    const struct rp_detect_ti_add_opts *o;
    struct rp_det_ti *seen; /* this list alone, for deduplication */
    struct rp_buf entries;  /* canonical entries, '\n'-terminated */
    int64_t nentries, dups, nignored;
    size_t nwarned, unshown; /* record warnings passed on, and past max_warnings */
    struct ignored_reason ign[MAX_IGNORED];
    size_t nign;
    struct rp_arena arena; /* rejects */
    struct reject_rec *rej;
    size_t nrej, caprej;
};

/* record: about one record (there may be many), else about the whole file. */
RP_PRINTF(3, 4) static void ti_warn(struct adder *a, bool record, const char *fmt, ...)
{
    if (!a->o->warn) return;
    if (record && a->o->max_warnings && a->nwarned++ >= a->o->max_warnings) {
        a->unshown++;
        return;
    }
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    a->o->warn(a->o->warn_ctx, msg);
}

/* "'FILE' line N" or "'FILE'" into buf. */
static const char *where(const struct adder *a, int64_t line, char *buf, size_t n)
{
    if (line > 0)
        snprintf(buf, n, "'%s' line %" PRId64, a->label, line);
    else
        snprintf(buf, n, "'%s'", a->label);
    return buf;
}

static rp_err keep_reject(struct adder *a, const char *reason, struct rp_str raw, int64_t line,
                          int64_t off)
{
    if (a->nrej == a->caprej) {
        size_t cap = a->caprej ? a->caprej * 2 : 16;
        struct reject_rec *r = realloc(a->rej, cap * sizeof *r);
        if (!r) return RP_ENOMEM;
        a->rej = r;
        a->caprej = cap;
    }
    size_t keep = raw.len > RP_MAX_REJECT_BYTES ? RP_MAX_REJECT_BYTES : raw.len;
    struct reject_rec *r = &a->rej[a->nrej];
    r->line = line;
    r->off = off;
    r->reason = rp_arena_strdup(&a->arena, reason);
    r->raw = rp_arena_memdup(&a->arena, raw.p ? raw.p : "", keep);
    r->rawlen = keep;
    if (!r->reason || !r->raw) return RP_ENOMEM;
    a->nrej++;
    return RP_OK;
}

/* A rejected record: the reason names the record when it has no line ("indicator 'x'") and
 * the value ("not an address, CIDR or domain: 'x'"). */
static rp_err reject_value(struct adder *a, const char *why, struct rp_str value,
                           const struct rp_det_ti_rec *rec, struct rp_errbuf *eb)
{
    char reason[512], w[RP_MAX_PATH_BYTES + 64];
    snprintf(reason, sizeof reason, "%s%s%s: '%.*s'", rec->where ? rec->where : "",
             rec->where ? ": " : "", why,
             (int)(value.len > SHOW_VALUE_MAX ? SHOW_VALUE_MAX : value.len),
             value.p ? value.p : "");
    ti_warn(a, true, "%s: %s", where(a, rec->line, w, sizeof w), reason);
    if (keep_reject(a, reason, rec->raw, rec->line, rec->offset))
        return rp_fail(eb, RP_ENOMEM, "threatintel: out of memory");
    return RP_OK;
}

static rp_err sink_entry(void *ctx, struct rp_str value, const struct rp_det_ti_rec *rec,
                         struct rp_errbuf *eb)
{
    struct adder *a = ctx;
    char text[RP_DET_TI_ENTRY_SZ], w[RP_MAX_PATH_BYTES + 64];
    enum rp_det_ti_entry_type type = RP_TI_ENTRY_DOMAIN;
    bool hb = false;
    struct rp_errbuf why = {0};
    if (rp_det_ti_entry_canon(value, text, &type, &hb, &why))
        return reject_value(a, why.msg, rp_str_trim(value), rec, eb);
    if (type == RP_TI_ENTRY_DOMAIN && a->kind == RP_TI_TRUSTED)
        return reject_value(a, "a trusted IP list holds addresses and CIDRs only",
                            rp_str_trim(value), rec, eb);
    if (hb) {
        struct rp_str t = rp_str_trim(value);
        ti_warn(a, true, "%s: %s%shost bits set in '%.*s', listed as '%s'",
                where(a, rec->line, w, sizeof w), rec->where ? rec->where : "",
                rec->where ? ": " : "", (int)t.len, t.p, text);
    }
    bool added = false;
    rp_err e = rp_det_ti_add_ex(a->seen, a->kind, a->name, true, rp_str_from(text), &added, eb);
    if (e) return e;
    if (!added) {
        a->dups++;
        return RP_OK;
    }
    if ((size_t)a->nentries >= a->max_entries)
        return rp_fail(eb, RP_ELIMIT,
                       "threatintel: '%s' has more than %zu entries, GuardDuty's limit for %s",
                       a->label, a->max_entries,
                       a->kind == RP_TI_TRUSTED ? "a trusted IP list" : "a threat list");
    a->nentries++;
    if (rp_buf_append_str(&a->entries, text) || rp_buf_putc(&a->entries, '\n'))
        return rp_fail(eb, RP_ENOMEM, "threatintel: out of memory");
    return RP_OK;
}

static rp_err sink_reject(void *ctx, const char *reason, const struct rp_det_ti_rec *rec,
                          struct rp_errbuf *eb)
{
    return reject_value(ctx, reason, rec->raw, rec, eb);
}

static void sink_ignored(void *ctx, const char *why)
{
    struct adder *a = ctx;
    a->nignored++;
    for (size_t i = 0; i < a->nign; i++)
        if (a->ign[i].why == why || strcmp(a->ign[i].why, why) == 0) {
            a->ign[i].n++;
            return;
        }
    if (a->nign < MAX_IGNORED) a->ign[a->nign++] = (struct ignored_reason){why, 1};
}

static rp_err resolve_kind(const struct rp_detect_ti_add_opts *o, enum rp_det_ti_kind *kind,
                           struct rp_errbuf *eb)
{
    bool ipset = false, threatset = false;
    if (o->type) {
        ipset = rp_str_eq_nocase(rp_str_from(o->type), RP_STR_LIT(TYPE_TRUSTED));
        threatset = rp_str_eq_nocase(rp_str_from(o->type), RP_STR_LIT(TYPE_THREAT));
        if (!ipset && !threatset)
            return rp_fail(eb, RP_EINVAL,
                           "threatintel: unknown list type '%.64s' (use ThreatIntelSet or IPSet)",
                           o->type);
    }
    if (o->kind) {
        if (rp_det_ti_kind_find(o->kind, kind))
            return rp_fail(eb, RP_EINVAL,
                           "threatintel: unknown list kind '%.64s' (use threat, trusted, tor, "
                           "malicious, c2, mining, phishing, drop-point, blackhole, drive-by or "
                           "dga)",
                           o->kind);
        if (ipset && *kind != RP_TI_TRUSTED)
            return rp_fail(eb, RP_EINVAL,
                           "threatintel: an IPSet is a trusted IP list: its kind is 'trusted', "
                           "not '%s'",
                           o->kind);
        if (threatset && *kind == RP_TI_TRUSTED)
            return rp_fail(eb, RP_EINVAL,
                           "threatintel: a trusted IP list is an IPSet, not a ThreatIntelSet");
        return RP_OK;
    }
    *kind = ipset ? RP_TI_TRUSTED : RP_TI_THREAT;
    return RP_OK;
}

struct existing {
    bool found;
    bool active;
    int64_t created_ms;
};

static rp_err existing_get(struct rp_store *st, const char *name, struct existing *x,
                           struct rp_errbuf *eb)
{
    memset(x, 0, sizeof *x);
    struct rp_store_stmt *s = NULL;
    bool row = false;
    rp_err e = rp_store_stmt_prepare(
        st, "SELECT status, created_ms FROM threatintel_lists WHERE name = ?1", &s, eb);
    if (!e) e = rp_store_stmt_bind_cstr(s, 1, name, eb);
    if (!e) e = rp_store_stmt_step(s, &row, eb);
    if (!e && row) {
        x->found = true;
        const char *stt = rp_store_stmt_column_text(s, 0, NULL);
        x->active = stt && strcmp(stt, "ACTIVE") == 0;
        x->created_ms = rp_store_stmt_column_int64(s, 1);
    }
    if (s) rp_store_stmt_reset(s);
    return e;
}

/* Lists other than name: of kind (NULL = all kinds) into *n, and the first one's name. */
static rp_err count_others(struct rp_store *st, const char *name, const char *kind, int64_t *n,
                           char *first, size_t firstsz, struct rp_errbuf *eb)
{
    struct rp_store_stmt *s = NULL;
    bool row = false;
    *n = 0;
    if (firstsz) first[0] = '\0';
    rp_err e = rp_store_stmt_prepare(st,
                                     "SELECT count(*), min(name) FROM threatintel_lists "
                                     "WHERE name != ?1 AND (?2 IS NULL OR kind = ?2)",
                                     &s, eb);
    if (!e) e = rp_store_stmt_bind_cstr(s, 1, name, eb);
    if (!e) e = rp_store_stmt_bind_cstr(s, 2, kind, eb);
    if (!e) e = rp_store_stmt_step(s, &row, eb);
    if (!e && row) {
        *n = rp_store_stmt_column_int64(s, 0);
        const char *f = rp_store_stmt_column_text(s, 1, NULL);
        if (f && firstsz) rp_strlcpy(first, f, firstsz);
    }
    if (s) rp_store_stmt_reset(s);
    return e;
}

static rp_err count_limits(struct rp_store *st, const char *name, enum rp_det_ti_kind kind,
                           struct rp_errbuf *eb)
{
    int64_t n = 0;
    char first[RP_DETECT_TI_MAX_NAME + 1];
    rp_err e = count_others(st, name, NULL, &n, first, sizeof first, eb);
    if (e) return e;
    if (n >= RP_DETECT_TI_MAX_LISTS)
        return rp_fail(eb, RP_ELIMIT,
                       "threatintel: the store holds %d lists already, the most "
                       "it keeps: remove one first",
                       RP_DETECT_TI_MAX_LISTS);
    if (kind == RP_TI_TRUSTED) {
        e = count_others(st, name, "trusted", &n, first, sizeof first, eb);
        if (!e && n >= RP_DETECT_TI_MAX_TRUSTED_LISTS)
            return rp_fail(eb, RP_ELIMIT,
                           "threatintel: the trusted IP list '%s' exists already and GuardDuty "
                           "allows one per account and region: remove it first, or add under "
                           "its name to replace it",
                           first);
    } else if (kind == RP_TI_THREAT) {
        e = count_others(st, name, "threat", &n, first, sizeof first, eb);
        if (!e && n >= RP_DETECT_TI_MAX_THREAT_LISTS)
            return rp_fail(eb, RP_ELIMIT,
                           "threatintel: there are %d threat lists already, GuardDuty's limit "
                           "per account and region: remove one first, or add under an existing "
                           "name to replace it",
                           RP_DETECT_TI_MAX_THREAT_LISTS);
    }
    return e;
}

static rp_err store_list(struct rp_store *st, struct adder *a, const char *format, const char *sha,
                         bool active, int64_t created_ms, int64_t now, struct rp_errbuf *eb)
{
    char source[sizeof REJECT_SOURCE + RP_DETECT_TI_MAX_NAME];
    snprintf(source, sizeof source, REJECT_SOURCE "%s", a->name);
    rp_err e = rp_store_batch_begin(st, 0, NULL, NULL, eb);
    if (e) return e;
    struct rp_store_stmt *s = NULL;
    e = rp_store_reject_delete(st, source, eb);
    if (!e) e = rp_store_stmt_prepare(st, "DELETE FROM threatintel_lists WHERE name = ?1", &s, eb);
    if (!e) e = rp_store_stmt_bind_cstr(s, 1, a->name, eb);
    bool row = false;
    if (!e) e = rp_store_stmt_step(s, &row, eb);
    if (!e)
        e = rp_store_stmt_prepare(
            st,
            "INSERT INTO threatintel_lists (name, type, kind, format, status, location, sha256, "
            "entries, rejected, ignored, entries_text, created_ms, updated_ms) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            &s, eb);
    if (!e) e = rp_store_stmt_bind_cstr(s, 1, a->name, eb);
    if (!e)
        e = rp_store_stmt_bind_cstr(s, 2, a->kind == RP_TI_TRUSTED ? TYPE_TRUSTED : TYPE_THREAT,
                                    eb);
    if (!e) e = rp_store_stmt_bind_cstr(s, 3, rp_det_ti_kind_name(a->kind), eb);
    if (!e) e = rp_store_stmt_bind_cstr(s, 4, format, eb);
    if (!e) e = rp_store_stmt_bind_cstr(s, 5, active ? "ACTIVE" : "INACTIVE", eb);
    if (!e) e = rp_store_stmt_bind_cstr(s, 6, a->label, eb);
    if (!e) e = rp_store_stmt_bind_cstr(s, 7, sha, eb);
    if (!e) e = rp_store_stmt_bind_int64(s, 8, a->nentries, eb);
    if (!e) e = rp_store_stmt_bind_int64(s, 9, (int64_t)a->nrej, eb);
    if (!e) e = rp_store_stmt_bind_int64(s, 10, a->nignored, eb);
    if (!e)
        e = rp_store_stmt_bind_text(s, 11, a->entries.data ? a->entries.data : "", a->entries.len,
                                    eb);
    if (!e) e = rp_store_stmt_bind_int64(s, 12, created_ms, eb);
    if (!e) e = rp_store_stmt_bind_int64(s, 13, now, eb);
    if (!e) e = rp_store_stmt_step(s, &row, eb);
    for (size_t i = 0; i < a->nrej && !e; i++) {
        struct rp_store_reject r = {.time_ms = now,
                                    .source = source,
                                    .format = format,
                                    .offset = a->rej[i].off,
                                    .line = a->rej[i].line,
                                    .reason = a->rej[i].reason,
                                    .raw = a->rej[i].raw,
                                    .raw_n = a->rej[i].rawlen,
                                    .orig_len = a->rej[i].rawlen};
        e = rp_store_reject_add(st, &r, NULL, eb);
    }
    if (!e) return rp_store_batch_commit(st, eb);
    rp_store_batch_rollback(st);
    return e;
}

static rp_err add_mem(struct rp_store *st, const char *label, const char *data, size_t len,
                      const struct rp_detect_ti_add_opts *o, struct rp_detect_ti_add_result *r,
                      struct adder *a, struct rp_errbuf *eb)
{
    enum rp_det_ti_kind kind = RP_TI_THREAT;
    rp_err e = name_check(o->name, eb);
    if (!e) e = resolve_kind(o, &kind, eb);
    enum rp_detect_ti_format fmt = RP_DETECT_TI_TXT;
    if (!e && o->format) {
        struct rp_errbuf feb = {0};
        if (rp_detect_ti_format_find(o->format, &fmt, &feb))
            e = rp_fail(eb, RP_EINVAL, "threatintel: %s", feb.msg);
    } else if (!e) {
        fmt = rp_detect_ti_format_sniff(data, len);
    }
    if (e) return e;
    r->format = fmt;
    r->kind = rp_det_ti_kind_name(kind);
    r->type = kind == RP_TI_TRUSTED ? TYPE_TRUSTED : TYPE_THREAT;
    if (len > RP_DETECT_TI_MAX_FILE_BYTES)
        return rp_fail(eb, RP_ELIMIT,
                       "threatintel: '%s' is larger than 35 MB, GuardDuty's limit for a list file",
                       label);
    if (!have_table(st, eb, &e)) {
        if (e) return e;
        return rp_fail(eb, RP_EDB,
                       "threatintel: the store '%s' has no threat-intel table "
                       "(open it read-write to migrate it)",
                       rp_store_path(st));
    }
    struct existing x;
    if ((e = existing_get(st, o->name, &x, eb))) return e;
    if ((e = count_limits(st, o->name, kind, eb))) return e;

    a->label = label;
    a->name = o->name;
    a->kind = kind;
    a->max_entries = kind == RP_TI_TRUSTED ? RP_DETECT_TI_MAX_TRUSTED : RP_DETECT_TI_MAX_THREAT;
    a->o = o;
    if (rp_det_ti_new(&a->seen)) return rp_fail(eb, RP_ENOMEM, "threatintel: out of memory");
    struct rp_det_ti_sink s = {
        .entry = sink_entry, .reject = sink_reject, .ignored = sink_ignored, .ctx = a};
    struct rp_errbuf peb = {0};
    e = rp_det_ti_parse(fmt, data, len, &s, &peb);
    if (e == RP_EPARSE && peb.msg[0] && strncmp(peb.msg, "threatintel: ", 13) != 0)
        return rp_fail(eb, e, "threatintel: '%s': %s", label, peb.msg);
    if (e) return rp_fail(eb, e, "%s", peb.msg);
    if (a->unshown)
        ti_warn(a, false,
                "'%s': %zu more warnings about records not shown (rejected records are in "
                "'rampart db rejects --source " REJECT_SOURCE "%s')",
                label, a->unshown, a->name);
    for (size_t i = 0; i < a->nign; i++)
        ti_warn(a, false, "'%s': ignored %" PRId64 " record%s: %s", label, a->ign[i].n,
                a->ign[i].n == 1 ? "" : "s", a->ign[i].why);
    if (!a->nentries)
        return rp_fail(eb, RP_EPARSE, "threatintel: '%s' holds no usable entry%s", label,
                       a->nrej ? " (every record was rejected)" : "");

    char sha[RP_HASH_SHA256_HEXSZ];
    if ((e = rp_hash_sha256_hex(data, len, sha)))
        return rp_fail(eb, e, "threatintel: cannot hash '%s'", label);
    int64_t now = o->now_ms ? o->now_ms : rp_time_now_ms();
    bool active = o->status > 0 || (o->status == 0 && (!x.found || x.active));
    e = store_list(st, a, rp_detect_ti_format_name(fmt), sha, active, x.found ? x.created_ms : now,
                   now, eb);
    if (e) return e;
    r->replaced = x.found;
    r->active = active;
    r->entries = a->nentries;
    r->duplicates = a->dups;
    r->rejected = (int64_t)a->nrej;
    r->ignored = a->nignored;
    return RP_OK;
}

rp_err rp_detect_ti_add_mem(struct rp_store *st, const char *label, const char *data, size_t len,
                            const struct rp_detect_ti_add_opts *o,
                            struct rp_detect_ti_add_result *r, struct rp_errbuf *eb)
{
    struct rp_detect_ti_add_result dummy;
    if (!r) r = &dummy;
    memset(r, 0, sizeof *r);
    if (!st || !o) return rp_fail(eb, RP_EINVAL, "threatintel: no store or no options");
    struct adder a;
    memset(&a, 0, sizeof a);
    rp_buf_init(&a.entries, 0);
    rp_arena_init(&a.arena, 0);
    rp_err e =
        add_mem(st, label ? label : "<memory>", data ? data : "", data ? len : 0, o, r, &a, eb);
    rp_det_ti_free(a.seen);
    rp_buf_release(&a.entries);
    rp_arena_release(&a.arena);
    free(a.rej);
    return e;
}

rp_err rp_detect_ti_add_file(struct rp_store *st, const char *path,
                             const struct rp_detect_ti_add_opts *o,
                             struct rp_detect_ti_add_result *r, struct rp_errbuf *eb)
{
    struct rp_buf buf;
    rp_buf_init(&buf, RP_DETECT_TI_MAX_FILE_BYTES);
    struct rp_errbuf reb = {0};
    rp_err e = rp_gz_read_file(path, NULL, &buf, &reb);
    if (e == RP_ELIMIT) {
        e = rp_fail(eb, e,
                    "threatintel: '%s' is larger than 35 MB, GuardDuty's limit for a list file",
                    path);
    } else if (e) {
        e = rp_fail(eb, e, "threatintel: %s", reb.msg);
    } else {
        e = rp_detect_ti_add_mem(st, path, buf.data, buf.len, o, r, eb);
    }
    rp_buf_release(&buf);
    return e;
}

/* ---- managing ------------------------------------------------------------------------------ */

struct count_sink {
    int64_t n;
};

static rp_err count_entry(void *ctx, struct rp_str value, const struct rp_det_ti_rec *rec,
                          struct rp_errbuf *eb)
{
    (void)value;
    (void)rec;
    (void)eb;
    ((struct count_sink *)ctx)->n++;
    return RP_OK;
}

static rp_err count_reject(void *ctx, const char *reason, const struct rp_det_ti_rec *rec,
                           struct rp_errbuf *eb)
{
    (void)ctx;
    (void)reason;
    (void)rec;
    (void)eb;
    return RP_OK;
}

struct list_walk {
    rp_detect_ti_info_fn fn;
    void *ctx;
};

static rp_err list_builtin(void *ctx, const char *name, enum rp_det_ti_kind kind, const char *path,
                           const char *data, size_t len, struct rp_errbuf *eb)
{
    struct list_walk *w = ctx;
    struct count_sink c = {0};
    struct rp_det_ti_sink s = {.entry = count_entry, .reject = count_reject, .ctx = &c};
    rp_err e = rp_det_ti_parse(RP_DETECT_TI_TXT, data, len, &s, eb);
    if (e) return e;
    char loc[160];
    snprintf(loc, sizeof loc, "data/%s", path);
    struct rp_detect_ti_info li = {.name = name,
                                   .type = TYPE_BUILTIN,
                                   .kind = rp_det_ti_kind_name(kind),
                                   .format = "TXT",
                                   .status = "ACTIVE",
                                   .location = loc,
                                   .sha256 = "",
                                   .entries = c.n,
                                   .builtin = true};
    return w->fn(w->ctx, &li);
}

rp_err rp_detect_ti_list(struct rp_store *st, bool builtin, rp_detect_ti_info_fn fn, void *ctx,
                         struct rp_errbuf *eb)
{
    rp_err e = RP_OK;
    if (st && have_table(st, eb, &e)) {
        struct rp_store_stmt *s = NULL;
        e = rp_store_stmt_prepare(st,
                                  "SELECT name, type, kind, format, status, location, sha256, "
                                  "entries, rejected, ignored, created_ms, updated_ms "
                                  "FROM threatintel_lists ORDER BY name",
                                  &s, eb);
        bool row = false;
        while (!e && !(e = rp_store_stmt_step(s, &row, eb)) && row) {
            struct rp_detect_ti_info li = {.name = rp_store_stmt_column_text(s, 0, NULL),
                                           .type = rp_store_stmt_column_text(s, 1, NULL),
                                           .kind = rp_store_stmt_column_text(s, 2, NULL),
                                           .format = rp_store_stmt_column_text(s, 3, NULL),
                                           .status = rp_store_stmt_column_text(s, 4, NULL),
                                           .location = rp_store_stmt_column_text(s, 5, NULL),
                                           .sha256 = rp_store_stmt_column_text(s, 6, NULL),
                                           .entries = rp_store_stmt_column_int64(s, 7),
                                           .rejected = rp_store_stmt_column_int64(s, 8),
                                           .ignored = rp_store_stmt_column_int64(s, 9),
                                           .created_ms = rp_store_stmt_column_int64(s, 10),
                                           .updated_ms = rp_store_stmt_column_int64(s, 11),
                                           .builtin = false};
            e = fn(ctx, &li);
        }
        if (s) rp_store_stmt_reset(s);
    }
    if (e) return e;
    if (!builtin) return RP_OK;
    struct list_walk w = {.fn = fn, .ctx = ctx};
    return rp_det_ti_builtin_each(list_builtin, &w, eb);
}

static rp_err no_such_list(const char *name, struct rp_errbuf *eb)
{
    return rp_fail(eb, RP_ENOENT, "threatintel: no list named '%.*s'",
                   (int)(strlen(name) > 100 ? 100 : strlen(name)), name);
}

rp_err rp_detect_ti_remove(struct rp_store *st, const char *name, struct rp_errbuf *eb)
{
    rp_err e = RP_OK;
    if (!name || !have_table(st, eb, &e)) return e ? e : no_such_list(name ? name : "", eb);
    char source[sizeof REJECT_SOURCE + RP_DETECT_TI_MAX_NAME];
    snprintf(source, sizeof source, REJECT_SOURCE "%.*s", RP_DETECT_TI_MAX_NAME, name);
    if ((e = rp_store_batch_begin(st, 0, NULL, NULL, eb))) return e;
    struct rp_store_stmt *s = NULL;
    bool row = false;
    e = rp_store_stmt_prepare(st, "DELETE FROM threatintel_lists WHERE name = ?1", &s, eb);
    if (!e) e = rp_store_stmt_bind_cstr(s, 1, name, eb);
    if (!e) e = rp_store_stmt_step(s, &row, eb);
    if (!e && rp_store_changes(st) == 0) e = no_such_list(name, eb);
    if (!e) e = rp_store_reject_delete(st, source, eb);
    if (!e) return rp_store_batch_commit(st, eb);
    rp_store_batch_rollback(st);
    return e;
}

rp_err rp_detect_ti_set_active(struct rp_store *st, const char *name, bool active, int64_t now_ms,
                               bool *changed, struct rp_errbuf *eb)
{
    if (changed) *changed = false;
    rp_err e = RP_OK;
    if (!name || !have_table(st, eb, &e)) return e ? e : no_such_list(name ? name : "", eb);
    struct existing x;
    if ((e = existing_get(st, name, &x, eb))) return e;
    if (!x.found) return no_such_list(name, eb);
    if (x.active == active) return RP_OK;
    struct rp_store_stmt *s = NULL;
    bool row = false;
    e = rp_store_stmt_prepare(
        st, "UPDATE threatintel_lists SET status = ?2, updated_ms = ?3 WHERE name = ?1", &s, eb);
    if (!e) e = rp_store_stmt_bind_cstr(s, 1, name, eb);
    if (!e) e = rp_store_stmt_bind_cstr(s, 2, active ? "ACTIVE" : "INACTIVE", eb);
    if (!e) e = rp_store_stmt_bind_int64(s, 3, now_ms ? now_ms : rp_time_now_ms(), eb);
    if (!e) e = rp_store_stmt_step(s, &row, eb);
    if (!e && changed) *changed = true;
    return e;
}

/* ---- loading into a run's sets ------------------------------------------------------------- */

rp_err rp_det_ti_store_load(struct rp_det_ti *ti, struct rp_store *st, bool all,
                            struct rp_errbuf *eb)
{
    rp_err e = RP_OK;
    if (!st || !have_table(st, eb, &e)) return e;
    struct rp_store_stmt *s = NULL;
    e = rp_store_stmt_prepare(st,
                              "SELECT name, kind, status, entries_text FROM threatintel_lists "
                              "WHERE ?1 OR status = 'ACTIVE' ORDER BY name",
                              &s, eb);
    if (!e) e = rp_store_stmt_bind_int64(s, 1, all, eb);
    bool row = false;
    while (!e && !(e = rp_store_stmt_step(s, &row, eb)) && row) {
        const char *name = rp_store_stmt_column_text(s, 0, NULL);
        const char *kname = rp_store_stmt_column_text(s, 1, NULL);
        const char *status = rp_store_stmt_column_text(s, 2, NULL);
        size_t n = 0;
        const char *text = rp_store_stmt_column_text(s, 3, &n);
        enum rp_det_ti_kind kind = RP_TI_THREAT;
        if (!name || rp_det_ti_kind_find(kname, &kind)) {
            e = rp_fail(eb, RP_EDB, "threatintel: list '%s' has a bad kind '%s'", name ? name : "",
                        kname ? kname : "");
            break;
        }
        bool active = status && strcmp(status, "ACTIVE") == 0;
        struct rp_str rest = {text ? text : "", text ? n : 0}, line;
        while (!e && rp_str_split_next(&rest, '\n', &line)) {
            if (!line.len) continue;
            struct rp_errbuf why = {0};
            if (rp_det_ti_add_ex(ti, kind, name, active, line, NULL, &why))
                e = rp_fail(eb, RP_EDB, "threatintel: list '%s': %s", name, why.msg);
        }
    }
    if (s) rp_store_stmt_reset(s);
    return e;
}

/* ---- lookup -------------------------------------------------------------------------------- */

#define LOOKUP_MAX 512

static const char *list_type(const struct rp_det_ti_hit *h)
{
    if (strncmp(h->list, "builtin/", 8) == 0) return TYPE_BUILTIN;
    return h->kind == RP_TI_TRUSTED ? TYPE_TRUSTED : TYPE_THREAT;
}

static rp_err lookup_one(struct rp_det_ti *ti, const char *v, rp_detect_ti_match_fn fn, void *ctx,
                         struct rp_det_ti_hit_ex *hits)
{
    struct rp_ip ip;
    size_t n = 0;
    bool is_ip = rp_ip_parse(rp_str_trim(rp_str_from(v)), &ip, NULL) == RP_OK;
    if (is_ip)
        n = rp_det_ti_hits_all_ip(ti, &ip, hits, LOOKUP_MAX);
    else
        n = rp_det_ti_hits_all_domain(ti, rp_str_trim(rp_str_from(v)), hits, LOOKUP_MAX);
    bool trusted = false;
    for (size_t i = 0; i < n; i++) trusted |= hits[i].active && hits[i].h.kind == RP_TI_TRUSTED;
    /* trusted lists first, then the rest, each in specificity order */
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < n; i++) {
            const struct rp_det_ti_hit_ex *h = &hits[i];
            if ((h->h.kind == RP_TI_TRUSTED) != (pass == 0)) continue;
            const char *verdict = !h->active                   ? "inactive"
                                  : h->h.kind == RP_TI_TRUSTED ? "trusted"
                                  : trusted                    ? "overridden"
                                                               : "match";
            struct rp_detect_ti_match m = {.value = v,
                                           .list = h->h.list,
                                           .type = list_type(&h->h),
                                           .kind = rp_det_ti_kind_name(h->h.kind),
                                           .status = h->active ? "ACTIVE" : "INACTIVE",
                                           .entry = h->h.name,
                                           .verdict = verdict};
            rp_err e = fn(ctx, &m);
            if (e) return e;
        }
    return RP_OK;
}

rp_err rp_detect_ti_lookup(struct rp_store *st, const char *const *values, size_t nvalues,
                           rp_detect_ti_match_fn fn, void *ctx, struct rp_errbuf *eb)
{
    for (size_t i = 0; i < nvalues; i++) {
        struct rp_ip ip;
        char text[RP_DET_TI_ENTRY_SZ];
        enum rp_det_ti_entry_type type = RP_TI_ENTRY_IP;
        struct rp_str v = rp_str_trim(rp_str_from(values[i]));
        if (rp_ip_parse(v, &ip, NULL) == RP_OK) continue;
        if (memchr(v.p ? v.p : "", '/', v.len) ||
            rp_det_ti_entry_canon(v, text, &type, NULL, NULL) || type != RP_TI_ENTRY_DOMAIN)
            return rp_fail(eb, RP_EINVAL, "threatintel: '%.*s' is neither an address nor a domain",
                           (int)(v.len > SHOW_VALUE_MAX ? SHOW_VALUE_MAX : v.len), v.p ? v.p : "");
    }
    struct rp_det_ti *ti = NULL;
    if (rp_det_ti_new(&ti)) return rp_fail(eb, RP_ENOMEM, "threatintel: out of memory");
    struct rp_det_ti_hit_ex *hits = calloc(LOOKUP_MAX, sizeof *hits);
    rp_err e = hits ? RP_OK : rp_fail(eb, RP_ENOMEM, "threatintel: out of memory");
    if (!e) e = rp_det_ti_load(ti, NULL, eb);
    if (!e && st) e = rp_det_ti_store_load(ti, st, true, eb);
    for (size_t i = 0; i < nvalues && !e; i++) e = lookup_one(ti, values[i], fn, ctx, hits);
    free(hits);
    rp_det_ti_free(ti);
    return e;
}
