/* SPDX-License-Identifier: Apache-2.0 */
/* Threat lists and trusted-IP lists kept in the store (`rampart threatintel`, aws-facts §4.2,
 * docs/threatintel.md): GuardDuty's ThreatIntelSet and IPSet, read from its six list formats,
 * plus Rampart's feeds for the knowledge GuardDuty has built in (Tor nodes, C2, mining pools,
 * phishing, drop points, black holes, drive-by sources, DGA domains).
 *
 * A list has a name (unique; re-adding a name replaces the list, as UpdateThreatIntelSet
 * does), a GuardDuty type ("ThreatIntelSet" or "IPSet"), a kind (what a match means to the
 * detectors: "threat" gives the .Custom finding types, "trusted" suppresses findings about an
 * address, the others feed GuardDuty's own non-Custom types), a format, a status (ACTIVE or
 * INACTIVE: only active lists take part in detection) and its entries: addresses, CIDRs and
 * domains, kept canonical (addresses as rp_ip_format writes them, CIDRs with host bits
 * cleared, domains in lower case without "*." or a trailing dot).
 *
 * GuardDuty's limits hold: a trusted list has at most RP_DETECT_TI_MAX_TRUSTED entries and
 * there is at most one (GuardDuty: one IPSet per account and region); a ThreatIntelSet of kind
 * "threat" has at most RP_DETECT_TI_MAX_THREAT entries and there are at most
 * RP_DETECT_TI_MAX_THREAT_LISTS of them; every other kind is a ThreatIntelSet with the same
 * entry cap; no file may exceed RP_DETECT_TI_MAX_FILE_BYTES. Lists apply to every account in
 * the store (GuardDuty applies an administrator's lists to its members).
 *
 * Thread-safety: each call uses its store from the calling thread only. */
#ifndef RP_DETECT_TI_H
#define RP_DETECT_TI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/rp_err.h"

struct rp_store;

/* GuardDuty's limits (aws-facts §4.2). */
#define RP_DETECT_TI_MAX_TRUSTED       2000                /* entries of a trusted IP list */
#define RP_DETECT_TI_MAX_THREAT        250000              /* entries of any other list */
#define RP_DETECT_TI_MAX_THREAT_LISTS  6                   /* lists of kind "threat" */
#define RP_DETECT_TI_MAX_TRUSTED_LISTS 1                   /* lists of kind "trusted" */
#define RP_DETECT_TI_MAX_FILE_BYTES    (35u * 1024 * 1024) /* one list file (decompressed) */
#define RP_DETECT_TI_MAX_LISTS         256                 /* lists of all kinds in a store */
#define RP_DETECT_TI_MAX_NAME          300                 /* GuardDuty's Name length limit */

/* GuardDuty's Format enum, in its order. */
enum rp_detect_ti_format {
    RP_DETECT_TI_TXT,         /* one address, CIDR or domain per line */
    RP_DETECT_TI_STIX,        /* STIX 2.x JSON (bundles of indicators) or STIX 1.x XML */
    RP_DETECT_TI_OTX_CSV,     /* AlienVault OTX pulse export: Indicator type,Indicator,.. */
    RP_DETECT_TI_ALIEN_VAULT, /* AlienVault reputation: IP#reliability#risk#.. */
    RP_DETECT_TI_PROOF_POINT, /* Proofpoint ET Intelligence CSV: ip,category,score,.. */
    RP_DETECT_TI_FIRE_EYE,    /* FireEye iSIGHT CSV export (columns by header) */
    RP_DETECT_TI_FORMAT__COUNT
};

/* "TXT", "STIX", ..; NULL for a bad value. */
const char *rp_detect_ti_format_name(enum rp_detect_ti_format f);
/* The format named s (ASCII case-insensitive: "txt", "otx_csv"). RP_EINVAL for anything else,
 * with the valid names in *eb. */
rp_err rp_detect_ti_format_find(const char *s, enum rp_detect_ti_format *out,
                                struct rp_errbuf *eb) RP_WUR;
/* The format of a list file from its first bytes (docs/threatintel.md "Formats"): XML or JSON
 * is STIX, an OTX header is OTX_CSV, "ip,category" is PROOF_POINT, "IP#.." is ALIEN_VAULT, a
 * header naming iSIGHT columns is FIRE_EYE, anything else TXT. */
enum rp_detect_ti_format rp_detect_ti_format_sniff(const char *p, size_t n);

/* True when s names a kind ("threat", "trusted", "tor", "malicious", "c2", "mining",
 * "phishing", "drop-point", "blackhole", "drive-by", "dga"). The NULL-terminated list of the
 * names is rp_detect_ti_kind_names. */
bool rp_detect_ti_kind_valid(const char *s);
extern const char *const rp_detect_ti_kind_names[];

/* ---- adding a list ----------------------------------------------------------------------- */

/* One problem found while reading a list: the caller shows it (the CLI prints it as a warning).
 * About one record (a file may have many): "'FILE' line N: REASON: 'TEXT'" for a rejected
 * record (also kept in the store's rejects with source "threatintel:NAME"; a record without a
 * line is named: "'FILE': indicator 'ID': REASON: 'TEXT'"), or a note ("'FILE' line N: host
 * bits set in '10.1.2.3/8', listed as '10.0.0.0/8'"). About the whole file, after those:
 * "'FILE': N more warnings about records not shown (..)" when max_warnings cut them short,
 * then "'FILE': ignored N records: REASON" once per reason, for records holding nothing
 * usable (a STIX indicator on file hashes, an OTX URL). */
typedef void (*rp_detect_ti_warn_fn)(void *ctx, const char *msg);

struct rp_detect_ti_add_opts {
    const char *name;   /* required: [A-Za-z0-9._-], 1..RP_DETECT_TI_MAX_NAME bytes */
    const char *format; /* NULL = sniffed from the content */
    const char *type;   /* "ThreatIntelSet" | "IPSet" | NULL (from kind, else ThreatIntelSet) */
    const char *kind;   /* a kind name or NULL (from type: IPSet = trusted, else threat) */
    int status;         /* 0 = ACTIVE for a new list, unchanged when replacing;
                           1 = ACTIVE; -1 = INACTIVE */
    int64_t now_ms;     /* 0 = the clock */
    rp_detect_ti_warn_fn warn; /* may be NULL */
    void *warn_ctx;
    size_t max_warnings; /* warnings about single records passed to warn (0 = all); past it
                            they are counted and one warning says how many */
};

struct rp_detect_ti_add_result {
    enum rp_detect_ti_format format; /* as given or sniffed */
    const char *type, *kind;         /* static strings */
    bool replaced;                   /* the name existed: its entries were replaced */
    bool active;                     /* status after the add */
    int64_t entries;                 /* distinct entries stored */
    int64_t duplicates;              /* entries listed more than once (stored once) */
    int64_t rejected;                /* records refused (warned, in the rejects table) */
    int64_t ignored;                 /* records holding nothing usable (warned, counted) */
};

/* Read the list file at path (gzip is decompressed) and store it under o->name, replacing a
 * list of that name. Each bad record is warned about, kept in the rejects table and skipped;
 * the rest is stored (the caller exits 3 when r->rejected > 0). Nothing is stored, and the
 * error says why, when: the name, format, type or kind is invalid, or type and kind disagree
 * (RP_EINVAL); the file cannot be read (RP_ENOENT, RP_EIO, ..); the file is larger than
 * RP_DETECT_TI_MAX_FILE_BYTES or the list has more entries than its kind allows, or adding it
 * would pass a list-count limit (RP_ELIMIT); the whole file is unreadable (a STIX file that is
 * neither JSON nor XML, a FIRE_EYE file without a usable header: RP_EPARSE); no entry was
 * usable (RP_EPARSE). RP_EDB/RP_ENOMEM from the store. */
rp_err rp_detect_ti_add_file(struct rp_store *st, const char *path,
                             const struct rp_detect_ti_add_opts *o,
                             struct rp_detect_ti_add_result *r, struct rp_errbuf *eb) RP_WUR;
/* As rp_detect_ti_add_file over data[0..len) (not decompressed); label names the input in
 * messages and as the list's location. */
rp_err rp_detect_ti_add_mem(struct rp_store *st, const char *label, const char *data, size_t len,
                            const struct rp_detect_ti_add_opts *o,
                            struct rp_detect_ti_add_result *r, struct rp_errbuf *eb) RP_WUR;

/* ---- managing lists ---------------------------------------------------------------------- */

/* One list, as `threatintel list` shows it. Strings are borrowed for the callback. */
struct rp_detect_ti_info {
    const char *name;
    const char *type;     /* "ThreatIntelSet" | "IPSet" | "Builtin" */
    const char *kind;     /* "threat", "trusted", .. */
    const char *format;   /* "TXT", .. */
    const char *status;   /* "ACTIVE" | "INACTIVE" */
    const char *location; /* the file it was read from ("data/detect/threatintel/x.txt") */
    const char *sha256;   /* hex digest of that file's content ("" for built-in lists) */
    int64_t entries, rejected, ignored;
    int64_t created_ms, updated_ms; /* 0 for built-in lists */
    bool builtin;                   /* Rampart's built-in knowledge (always ACTIVE) */
};

typedef rp_err (*rp_detect_ti_info_fn)(void *ctx, const struct rp_detect_ti_info *li);

/* Call fn for every stored list, by name, then (with builtin) for every built-in one. A non-OK
 * return from fn stops the walk and is returned. A store older than the threat-intel schema
 * has no lists. */
rp_err rp_detect_ti_list(struct rp_store *st, bool builtin, rp_detect_ti_info_fn fn, void *ctx,
                         struct rp_errbuf *eb) RP_WUR;
/* Delete the list name and its rejects. RP_ENOENT when there is none (message in *eb). */
rp_err rp_detect_ti_remove(struct rp_store *st, const char *name, struct rp_errbuf *eb) RP_WUR;
/* Set the status of list name. RP_ENOENT when there is none. *changed (may be NULL) tells
 * whether it was different. */
rp_err rp_detect_ti_set_active(struct rp_store *st, const char *name, bool active, int64_t now_ms,
                               bool *changed, struct rp_errbuf *eb) RP_WUR;

/* ---- lookup ------------------------------------------------------------------------------ */

/* One list entry matching a looked-up value. */
struct rp_detect_ti_match {
    const char *value; /* the value looked up, as given */
    const char *list;  /* the list's name */
    const char *type;  /* "ThreatIntelSet" | "IPSet" | "Builtin" */
    const char *kind;
    const char *status;  /* "ACTIVE" | "INACTIVE" */
    const char *entry;   /* the entry that matched: "203.0.113.0/24", "example.com" */
    const char *verdict; /* what detection makes of it:
                            "trusted"    an active trusted list: no finding about the address
                            "match"      an active list: findings of its kind
                            "overridden" an active threat entry on a trusted address: trusted
                                         wins, no finding
                            "inactive"   the list is inactive: ignored */
};

typedef rp_err (*rp_detect_ti_match_fn)(void *ctx, const struct rp_detect_ti_match *m);

/* Look up each value (an address, or a domain: its entries and those of its parent domains)
 * in every stored list, active or not, and the built-in ones; fn gets each matching entry, the
 * most specific first (for an address, trusted lists first). RP_EINVAL for a value that is
 * neither an address nor a domain (before any callback). st may be NULL (built-in lists). */
rp_err rp_detect_ti_lookup(struct rp_store *st, const char *const *values, size_t nvalues,
                           rp_detect_ti_match_fn fn, void *ctx, struct rp_errbuf *eb) RP_WUR;

#endif
