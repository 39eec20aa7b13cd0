/* SPDX-License-Identifier: Apache-2.0 */
/* `rampart demo`: what Rampart can do today, end to end, on a simulated estate. Every number
 * it prints is computed from the run:
 *   1. prepares DIR (default rampart-demo): a directory an earlier demo made (it holds the
 *      mark file DIR/.rampart-demo) is cleared of what that demo wrote; any other non-empty
 *      DIR, and an existing --db file the demo did not make, are refused;
 *   2. simulates a small estate into DIR/input (src/sim: 2 accounts, every scenario after a
 *      learning period) and keeps it there for the user to look at;
 *   3. ingests DIR/input/AWSLogs into a fresh store (--db, else DIR/rampart.db; src/ingest);
 *   4. asks the store about the estate and the activity (SQL, CloudTrail LookupEvents);
 *   5. reads truth.jsonl and scores what can be scored today: analyses that are not built yet
 *      are reported as not available (never as 0 %); ingest completeness is checked against
 *      the simulator's own record counts and against the rows in the store;
 *   6. prints a one-screen summary and writes the same content to DIR/report.html (one file,
 *      inline CSS, no script, every value from the data HTML-escaped).
 * Exit 0 when everything ran and every simulated log record is in the store with none
 * rejected, 1 otherwise (the demo checks itself), 2 for a bad command line. */
#define RP_LOG_MODULE "demo"
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd_verbs.h"
#include "cmd/cmd_inspector.h"
#include "dataid/dataid.h"
#include "detect/detect.h"
#include "detect/detect_ti.h"
#include "posture/posture.h"
#include "posture/posture_run.h"
#include "posture/posture_standards.h"
#include "core/rp_arena.h"
#include "core/rp_buf.h"
#include "core/rp_json.h"
#include "core/rp_str.h"
#include "core/rp_time.h"
#include "hub/hub.h"
#include "ingest/ingest.h"
#include "query/query.h"
#include "sim/sim.h"
#include "store/store.h"
#include "core/rp_banned.h"

#define VERB            "demo"
#define DEMO_MARK       ".rampart-demo" /* marks a directory as the demo's own */
#define DEMO_DAYS       7               /* default period: 4 learning days, 3 of attacks */
#define DEMO_MAX_DAYS   366
#define DEMO_TOP_TEXT   3  /* items of a "top" list on the screen */
#define DEMO_TOP_HTML   10 /* items of a "top" list in the report */
#define DEMO_WIDTH      100
#define DEMO_KEY_WIDTH  12
#define DEMO_MAX_ROOT   64 /* distinct event names of the root user kept */
#define DAY_MS          86400000LL
#define DEMO_TRUTH_MAX  (64u << 20)
#define DEMO_MARK_BYTES 8192

const char rp_cmd_demo_usage[] = "rampart [--db PATH] demo [--out DIR] [--seed N] [--days N]";

const char rp_cmd_demo_help[] =
    "\nSimulates a small AWS estate (2 accounts, 2 regions, ordinary activity, then every attack\n"
    "and misconfiguration scenario after a learning period), ingests its logs into a fresh\n"
    "store, asks the store what happened, and scores what Rampart can score against the\n"
    "simulator's truth. Prints a one-screen summary and writes the same content to\n"
    "DIR/report.html, one self-contained file to open in a browser.\n\n"
    "options:\n"
    "  --out DIR    the demo directory (default: rampart-demo). DIR/input is the simulated\n"
    "               tree (AWSLogs/, side data, truth.jsonl, manifest.json), kept so you can\n"
    "               look at it or ingest it again; DIR/rampart.db is the store, unless --db\n"
    "  --seed N     simulator seed, 0..18446744073709551615 (default: 1); the same seed and\n"
    "               days give the same estate and the same numbers\n"
    "  --days N     simulated days, 1..366 (default: 7); attacks come after the first two\n"
    "               thirds\n\n"
    "Every run starts afresh: DIR gets a .rampart-demo file, and the next run deletes what the\n"
    "earlier one wrote there (input/, report.html and its store) before writing them again. A\n"
    "DIR that is not empty and has no .rampart-demo file is refused, as is an existing --db\n"
    "file that the demo did not make. The store is --db PATH when given on the command line\n"
    "($RAMPART_DB is not used), else DIR/rampart.db; with the default 7 days it takes about\n"
    "1 GB. --format does not apply.\n\n"
    "exit status: 0 when everything ran and every simulated log record is in the store, none\n"
    "rejected; 1 otherwise (a refused DIR too); 2 for a bad command line.\n\n"
    "examples:\n"
    "  rampart demo\n"
    "  rampart demo --out /tmp/demo --seed 7 --days 10\n"
    "  rampart --db /tmp/demo.db demo --out /tmp/demo\n";

/* The log sources the simulator writes and ingest reads: manifest label, ingest kind, and the
 * main table of the kind (one row per distinct record). */
static const struct demo_source {
    const char *sim; /* manifest.json source label */
    enum rp_ingest_kind kind;
    const char *count_sql; /* rows of its main table */
} demo_sources[] = {
    {"cloudtrail", RP_INGEST_CLOUDTRAIL, "SELECT count(*) FROM cloudtrail_logs"},
    {"vpcflow", RP_INGEST_VPCFLOW, "SELECT count(*) FROM vpc_flow_logs"},
    {"dns", RP_INGEST_R53DNS, "SELECT count(*) FROM r53_resolver_query_logs"},
    {"k8s-audit", RP_INGEST_K8SAUDIT, "SELECT count(*) FROM k8s_audit_logs"},
    {"config", RP_INGEST_CONFIG, "SELECT count(*) FROM config_items"},
};
#define NSOURCES RP_ARRAY_LEN(demo_sources)

/* What the truth expects, per capability (the arrays of a truth line, in this order), and
 * the issue that builds the analysis. */
enum { CAP_GUARDDUTY, CAP_CONFIG, CAP_MACIE, CAP_CVE, NCAPS };
static const struct demo_cap {
    const char *name;   /* capability */
    const char *key;    /* truth.jsonl array */
    const char *ids;    /* what the ids are, plural */
    const char *id_one; /* singular */
    int issue;
} demo_caps[NCAPS] = {
    {"threat detection", "guardduty", "GuardDuty types", "GuardDuty type", 5},
    {"Config rules", "config_rules", "Config rules", "Config rule", 7},
    {"sensitive data", "macie", "Macie types and ids", "Macie type or id", 8},
    {"vulnerabilities", "cves", "CVEs", "CVE", 9},
};

/* Indexed by enum rp_sim_scenario_kind. */
static const char *const kind_names[] = {"threat", "posture", "data", "benign"};

/* A label and a count (or a byte total). */
struct kv {
    const char *k;
    int64_t n;
};

struct top {
    struct kv v[DEMO_TOP_HTML];
    size_t n;
};

struct src_stat {
    int64_t written_files, written, written_bytes; /* the simulator's manifest */
    int64_t files, bytes;                          /* ingest checkpoints of the kind */
    int64_t read, repeats, rejected;               /* ingest summary */
    int64_t in_store;                              /* rows of the main table */
    bool ok;
};

struct truth_line {
    const char *id, *scenario, *mitre, *start, *end;
    int kind; /* enum rp_sim_scenario_kind, -1 when the scenario is not registered */
    bool expect_none;
    const char *ids[NCAPS]; /* joined with ", ", "" when none */
    size_t nids[NCAPS];
    const char *instances[4]; /* the instance ids among its entities ("i-..") */
    size_t ninstances;
};

struct cap_id {
    int cap;
    const char *id;
};

struct demo {
    struct rp_cmd_ctx *ctx;
    struct rp_arena a;
    struct rp_errbuf eb;
    struct rp_store *st;
    const char *dir, *input, *logs, *store_path, *store_abs, *report, *mark;
    uint64_t seed;
    uint32_t days;
    bool progress;
    int64_t t0_ms;

    /* simulation */
    struct rp_sim_stats sim;
    int64_t sim_ms;
    int64_t start_ms, end_ms, attack_ms;
    uint32_t naccounts, nregions;
    const char *acct_id[RP_SIM_MAX_ACCOUNTS], *acct_alias[RP_SIM_MAX_ACCOUNTS],
        *acct_role[RP_SIM_MAX_ACCOUNTS];
    const char *regions[RP_SIM_MAX_REGIONS];
    size_t scenarios_registered;

    /* ingest */
    struct rp_ingest_summary ing;
    struct src_stat src[NSOURCES];
    int64_t written_total, read_total, repeats_total, in_store_total, files_total, bytes_total;

    /* estate, from the store */
    int64_t resources, resource_types;
    struct top types;

    /* activity, from the store */
    int64_t ct_events, ct_principals, logins, logins_mfa, logins_failed, ct_errors;
    struct top principals, errors;
    int64_t root_events;
    struct kv root[DEMO_MAX_ROOT];
    size_t nroot;
    int64_t flows, flows_nodata, flows_rejected;
    struct top ports, talkers;
    int64_t dns, dns_nx;
    struct top dns_names;
    int64_t k8s, k8s_users;
    struct top k8s_top;

    /* the same counts over the raw files in place (rampart query's connectors) */
    int64_t files_ct, files_flows, files_ms;
    bool files_same;

    /* truth */
    struct truth_line *truth;
    size_t ntruth;     /* lines of truth.jsonl */
    size_t nscenarios; /* distinct scenarios in them */
    size_t nkind[RP_ARRAY_LEN(kind_names)];
    size_t cap_lines[NCAPS];    /* scenarios expecting something of the capability */
    size_t cap_distinct[NCAPS]; /* distinct ids expected of it */

    /* Inspector (vulns and reach) over the estate */
    struct rp_cmd_inspector_totals insp;

    /* Macie (discover) over the estate's buckets */
    struct macie_totals {
        int64_t objects, findings, skipped;
        int64_t expected, tp, extra; /* side-truth/sensitive.jsonl, per object and id */
        int64_t rampart_ids;         /* occurrences of Rampart-only identifiers (not scored) */
        /* bucket policy findings (Policy:IAMUser types), per bucket and type vs truth.jsonl */
        int64_t policy, policy_expected, policy_tp, policy_extra;
    } macie;

    /* GuardDuty (detect) over the estate's logs */
    struct gd_totals {
        int64_t lists, list_entries;  /* threat and trusted lists loaded */
        struct rp_detect_summary sum; /* the run */
        struct rp_detect_score score; /* against truth.jsonl */
        struct top types;             /* findings per type */
    } gd;

    /* Config rules and Security Hub standards over the inventory and the estate files */
    struct cfg_totals {
        struct rp_ingest_summary estate; /* input/estate ingested */
        struct rp_posture_eval_stats eval;
        struct rp_posture_score score;
        int score_pct[8]; /* per enabled standard, then overall; -1 = no data */
        const char *std_names[8];
        size_t nstd;
    } cfg;

    /* verdict */
    bool ok;
    char why[256];
};

/* ---- small helpers ------------------------------------------------------------------------- */

/* The text built in b (released here) as a string in the run's arena; "?" when building it
 * failed (e) or memory ran out, so the summary shows the gap instead of stopping. */
static const char *buf_done(struct demo *d, struct rp_buf *b, rp_err e)
{
    const char *s = e ? NULL : rp_arena_strdup(&d->a, b->data ? b->data : "");
    rp_buf_release(b);
    return s ? s : "?";
}

/* printf into the run's arena; never NULL (see buf_done). */
RP_PRINTF(2, 3) static const char *sf(struct demo *d, const char *fmt, ...)
{
    struct rp_buf b;
    va_list ap;
    rp_buf_init(&b, 0);
    va_start(ap, fmt);
    rp_err e = rp_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    return buf_done(d, &b, e);
}

static const char *num(struct demo *d, int64_t v)
{
    return sf(d, "%" PRId64, v);
}

static const char *mb(struct demo *d, int64_t bytes)
{
    return sf(d, "%.1f", (double)bytes / 1e6);
}

static const char *human_bytes(struct demo *d, int64_t b)
{
    if (b >= 1000000000) return sf(d, "%.1f GB", (double)b / 1e9);
    if (b >= 1000000) return sf(d, "%.1f MB", (double)b / 1e6);
    if (b >= 1000) return sf(d, "%.1f kB", (double)b / 1e3);
    return sf(d, "%" PRId64 " B", b);
}

/* num/den as a percentage rounded down to 0.1, so an incomplete count never shows 100.0 %. */
static const char *pct(struct demo *d, int64_t n, int64_t den)
{
    if (den <= 0) return "-";
    int64_t t = n * 1000 / den;
    return sf(d, "%" PRId64 ".%" PRId64 "%%", t / 10, t % 10);
}

static const char *date_of(struct demo *d, int64_t ms)
{
    char b[RP_TIME_ISO_BUFSZ];
    if (rp_time_format_iso_s(ms, b, sizeof b) != RP_OK) return "?";
    b[10] = '\0';
    const char *s = rp_arena_strdup(&d->a, b);
    return s ? s : "?";
}

static const char *plural(int64_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

/* The part of an ARN after its account ("assumed-role/x/i-0ab", "user/alice", "root"); other
 * principals (service names) unchanged. */
static const char *short_principal(const char *p)
{
    if (strncmp(p, "arn:", 4) != 0) return p;
    const char *s = p;
    for (int i = 0; i < 5; i++) {
        s = strchr(s, ':');
        if (!s) return p;
        s++;
    }
    return *s ? s : p;
}

enum item_style {
    ITEM_COUNT,     /* "label 3" */
    ITEM_PRINCIPAL, /* "label 3", an ARN shortened to what follows its account */
    ITEM_TYPE,      /* "label 3", without a leading "AWS::" */
    ITEM_PAREN,     /* "label (3)" */
    ITEM_BYTES,     /* "label 1.2 GB" */
};

/* "a 3, b 2, c 1" of the first k items of t. */
static const char *join_top(struct demo *d, const struct top *t, size_t k, enum item_style style)
{
    struct rp_buf b;
    rp_buf_init(&b, 0);
    rp_err e = RP_OK;
    for (size_t i = 0; i < t->n && i < k && !e; i++) {
        const char *label = t->v[i].k;
        if (style == ITEM_PRINCIPAL) label = short_principal(label);
        if (style == ITEM_TYPE && strncmp(label, "AWS::", 5) == 0) label += 5;
        const char *sep = i ? ", " : "";
        if (style == ITEM_BYTES)
            e = rp_buf_printf(&b, "%s%s %s", sep, label, human_bytes(d, t->v[i].n));
        else if (style == ITEM_PAREN)
            e = rp_buf_printf(&b, "%s%s (%" PRId64 ")", sep, label, t->v[i].n);
        else
            e = rp_buf_printf(&b, "%s%s %" PRId64, sep, label, t->v[i].n);
    }
    return buf_done(d, &b, e);
}

/* ---- the demo directory -------------------------------------------------------------------- */

static rp_err mkdir_p(struct demo *d, const char *dir)
{
    char *p = rp_arena_strdup(&d->a, dir);
    if (!p) return rp_fail(&d->eb, RP_ENOMEM, "out of memory");
    size_t n = strlen(p);
    for (size_t i = 1; i <= n; i++) {
        if (p[i] != '/' && p[i] != '\0') continue;
        char c = p[i];
        p[i] = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST)
            return rp_fail(&d->eb, RP_EIO, "cannot create '%s': %s", dir, strerror(errno));
        p[i] = c;
    }
    return RP_OK;
}

/* path made absolute through its parent directory (symlinks resolved), so that two spellings
 * of the same store compare equal; the path as given when the parent does not exist. */
static const char *abs_path(struct demo *d, const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    char *parent =
        slash ? rp_arena_memdup(&d->a, path, slash == path ? 1 : (size_t)(slash - path)) : NULL;
    if (slash && !parent) return path;
    char real[PATH_MAX];
    if (!realpath(parent ? parent : ".", real)) return path;
    const char *s = rp_arena_printf(&d->a, "%s%s%s", real, strcmp(real, "/") ? "/" : "", base);
    return s ? s : path;
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path) == 0 ? 0 : -1;
}

/* Remove path and, when it is a directory, everything under it (symlinks are removed, never
 * followed). A missing path is fine. */
static rp_err remove_tree(struct demo *d, const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0) {
        if (errno == ENOENT) return RP_OK;
        return rp_fail(&d->eb, RP_EIO, "cannot remove '%s': %s", path, strerror(errno));
    }
    if (nftw(path, rm_entry, 32, FTW_DEPTH | FTW_PHYS) != 0)
        return rp_fail(&d->eb, RP_EIO, "cannot remove '%s': %s", path, strerror(errno));
    return RP_OK;
}

static rp_err remove_file(struct demo *d, const char *path)
{
    if (unlink(path) != 0 && errno != ENOENT)
        return rp_fail(&d->eb, RP_EIO, "cannot remove '%s': %s", path, strerror(errno));
    return RP_OK;
}

static bool dir_is_empty(const char *dir)
{
    DIR *dh = opendir(dir);
    if (!dh) return false;
    bool empty = true;
    struct dirent *de;
    while (empty && (de = readdir(dh)) != NULL)
        if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0) empty = false;
    closedir(dh);
    return empty;
}

/* The store an earlier demo recorded in the mark file, or NULL. */
static const char *mark_store(struct demo *d)
{
    FILE *f = fopen(d->mark, "r");
    if (!f) return NULL;
    char line[DEMO_MARK_BYTES];
    const char *found = NULL;
    while (!found && fgets(line, sizeof line, f)) {
        size_t n = strlen(line);
        while (n && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = '\0';
        if (strncmp(line, "store ", 6) == 0 && line[6] == '/')
            found = rp_arena_strdup(&d->a, line + 6);
    }
    fclose(f);
    return found;
}

static rp_err remove_store(struct demo *d, const char *path)
{
    static const char *const sfx[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < RP_ARRAY_LEN(sfx); i++) {
        const char *p = rp_arena_printf(&d->a, "%s%s", path, sfx[i]);
        if (!p) return rp_fail(&d->eb, RP_ENOMEM, "out of memory");
        rp_err e = remove_file(d, p);
        if (e) return e;
    }
    return RP_OK;
}

/* Make DIR ready for a fresh run: create it, or clear what an earlier demo wrote in it, and
 * write the mark naming this run's store. Everything is checked before anything is deleted:
 * a non-empty DIR without the mark, or an existing store the mark does not name, is refused. */
static rp_err prepare_dir(struct demo *d)
{
    struct stat st;
    bool exists = stat(d->dir, &st) == 0, marked = false;
    const char *old = NULL;
    rp_err e = RP_OK;
    if (!exists && errno != ENOENT)
        return rp_fail(&d->eb, RP_EIO, "cannot examine '%s': %s", d->dir, strerror(errno));
    if (exists && !S_ISDIR(st.st_mode))
        return rp_fail(&d->eb, RP_EEXIST, "'%s' exists and is not a directory", d->dir);
    if (exists && (marked = access(d->mark, F_OK) == 0)) old = mark_store(d);
    if (exists && !marked && !dir_is_empty(d->dir))
        return rp_fail(&d->eb, RP_EEXIST,
                       "'%s' is not empty and was not made by rampart demo (it has no %s file); "
                       "choose another --out",
                       d->dir, DEMO_MARK);
    d->store_abs = abs_path(d, d->store_path);
    bool ours = old && strcmp(old, d->store_abs) == 0;
    if (access(d->store_path, F_OK) == 0 && !ours)
        return rp_fail(&d->eb, RP_EEXIST,
                       "store '%s' exists and was not made by rampart demo; remove it or choose "
                       "another --db",
                       d->store_path);

    if (!exists && (e = mkdir_p(d, d->dir))) return e;
    if (marked) {
        const char *tmp = rp_arena_printf(&d->a, "%s.tmp", d->report);
        if (!tmp) return rp_fail(&d->eb, RP_ENOMEM, "out of memory");
        if ((e = remove_tree(d, d->input)) || (e = remove_file(d, d->report)) ||
            (e = remove_file(d, tmp)))
            return e;
    }
    if (ours && (e = remove_store(d, d->store_path))) return e;
    d->store_abs = abs_path(d, d->store_path); /* DIR exists now */
    FILE *f = fopen(d->mark, "w");
    if (!f) return rp_fail(&d->eb, RP_EIO, "cannot write '%s': %s", d->mark, strerror(errno));
    fprintf(f,
            "This directory was made by `rampart demo`. The next run into it deletes input/,\n"
            "report.html and the store named below, then writes them again.\n"
            "store %s\n",
            d->store_abs);
    if (fclose(f) != 0)
        return rp_fail(&d->eb, RP_EIO, "cannot write '%s': %s", d->mark, strerror(errno));
    return RP_OK;
}

/* ---- simulate ------------------------------------------------------------------------------ */

static rp_err simulate(struct demo *d)
{
    struct rp_sim_opts o;
    rp_sim_opts_init(&o);
    o.seed = d->seed;
    o.days = d->days;
    o.scale = RP_SIM_SCALE_SMALL;
    o.scenarios = "all";
    o.out_dir = d->input;
    struct rp_sim_run *run = NULL;
    int64_t t0 = rp_time_now_ms();
    rp_err e = rp_sim_run_new(&o, &run, &d->eb);
    if (!e) e = rp_sim_run_all(run, &d->sim, &d->eb);
    if (!e) {
        const struct rp_sim_world *w = run->world;
        d->start_ms = run->start_ms;
        d->end_ms = run->end_ms;
        d->attack_ms = run->attack_ms;
        d->naccounts = w->naccounts < RP_SIM_MAX_ACCOUNTS ? w->naccounts : RP_SIM_MAX_ACCOUNTS;
        for (uint32_t i = 0; i < d->naccounts && !e; i++) {
            d->acct_id[i] = rp_arena_strdup(&d->a, w->accounts[i].res.id);
            d->acct_alias[i] = rp_arena_strdup(&d->a, w->accounts[i].res.name);
            d->acct_role[i] = rp_arena_strdup(&d->a, w->accounts[i].role_label);
            if (!d->acct_id[i] || !d->acct_alias[i] || !d->acct_role[i])
                e = rp_fail(&d->eb, RP_ENOMEM, "out of memory");
        }
        d->nregions = w->nregions < RP_SIM_MAX_REGIONS ? w->nregions : RP_SIM_MAX_REGIONS;
        for (uint32_t i = 0; i < d->nregions && !e; i++)
            if (!(d->regions[i] = rp_arena_strdup(&d->a, w->regions[i])))
                e = rp_fail(&d->eb, RP_ENOMEM, "out of memory");
    }
    rp_sim_run_free(run);
    d->sim_ms = rp_time_now_ms() - t0;
    for (size_t i = 0; rp_sim_scenarios[i]; i++) d->scenarios_registered++;
    return e;
}

/* ---- ingest -------------------------------------------------------------------------------- */

static void on_progress(const struct rp_ingest_summary *s, bool final, void *ctx)
{
    struct demo *d = ctx;
    if (!d->progress) return;
    if (final) {
        fputs("\r\033[K", stderr);
        return;
    }
    int64_t done =
        s->files_read + s->files_skipped + s->files_duplicate + s->files_unknown + s->files_failed;
    fprintf(stderr, "\r\033[Kdemo: ingesting: %" PRId64 "/%" PRId64 " files, %" PRId64 " records",
            done, s->files_seen - s->files_filtered, s->records);
    fflush(stderr);
}

static rp_err ingest(struct demo *d)
{
    struct rp_ingest_opts o;
    rp_ingest_opts_init(&o);
    const char *paths[] = {d->logs};
    o.paths = paths;
    o.npaths = 1;
    o.progress = on_progress;
    o.progress_ctx = d;
    return rp_ingest_run(d->st, &o, &d->ing, &d->eb);
}

/* ---- questions to the store ---------------------------------------------------------------- */

/* The first row's first n integer columns of sql. */
static rp_err q_ints(struct demo *d, const char *sql, int64_t *v, int n)
{
    struct rp_store_stmt *s;
    bool row = false;
    rp_err e = rp_store_stmt_prepare(d->st, sql, &s, &d->eb);
    if (!e) e = rp_store_stmt_step(s, &row, &d->eb);
    for (int i = 0; i < n; i++) v[i] = !e && row ? rp_store_stmt_column_int64(s, i) : 0;
    if (!e) rp_store_stmt_reset(s);
    return e;
}

/* Rows (label, count) of sql, whose ?1 is the row limit. */
static rp_err q_top(struct demo *d, const char *sql, struct top *t)
{
    struct rp_store_stmt *s;
    bool row = true;
    t->n = 0;
    rp_err e = rp_store_stmt_prepare(d->st, sql, &s, &d->eb);
    if (!e) e = rp_store_stmt_bind_int64(s, 1, DEMO_TOP_HTML, &d->eb);
    while (!e && (e = rp_store_stmt_step(s, &row, &d->eb)) == RP_OK && row &&
           t->n < DEMO_TOP_HTML) {
        const char *k = rp_store_stmt_column_text(s, 0, NULL);
        t->v[t->n].k = rp_arena_strdup(&d->a, k ? k : "(none)");
        t->v[t->n].n = rp_store_stmt_column_int64(s, 1);
        if (!t->v[t->n].k) e = rp_fail(&d->eb, RP_ENOMEM, "out of memory");
        t->n++;
    }
    if (!e) rp_store_stmt_reset(s);
    return e;
}

#define LIVE_RESOURCE                                                                              \
    " WHERE ifnull(configurationItemStatus, '') NOT IN"                                            \
    " ('ResourceDeleted', 'ResourceDeletedNotRecorded')"

static rp_err ingest_counts(struct demo *d)
{
    /* files and bytes per format, from the checkpoints ingest keeps */
    struct rp_store_stmt *s;
    bool row = true;
    rp_err e = rp_store_stmt_prepare(d->st,
                                     "SELECT format, count(*), ifnull(sum(size), 0)"
                                     " FROM ingest_checkpoints GROUP BY format ORDER BY format",
                                     &s, &d->eb);
    while (!e && (e = rp_store_stmt_step(s, &row, &d->eb)) == RP_OK && row) {
        const char *fmt = rp_store_stmt_column_text(s, 0, NULL);
        const char *name;
        enum rp_ingest_kind kind;
        const char *summary;
        for (size_t i = 0; fmt && rp_ingest_format_at(i, &name, &kind, &summary) == RP_OK; i++) {
            if (strcmp(name, fmt) != 0) continue;
            for (size_t k = 0; k < NSOURCES; k++)
                if (demo_sources[k].kind == kind) {
                    d->src[k].files += rp_store_stmt_column_int64(s, 1);
                    d->src[k].bytes += rp_store_stmt_column_int64(s, 2);
                }
        }
    }
    if (e) return e;
    for (size_t k = 0; k < NSOURCES; k++) {
        struct src_stat *c = &d->src[k];
        const struct rp_ingest_source_counts *ic = &d->ing.by_kind[demo_sources[k].kind];
        for (uint32_t i = 0; i < d->sim.nsources; i++)
            if (strcmp(d->sim.sources[i].name, demo_sources[k].sim) == 0) {
                c->written_files = (int64_t)d->sim.sources[i].files;
                c->written = (int64_t)d->sim.sources[i].records;
                c->written_bytes = (int64_t)d->sim.sources[i].bytes;
            }
        c->read = ic->records;
        c->repeats = ic->duplicates;
        c->rejected = ic->rejected;
        if ((e = q_ints(d, demo_sources[k].count_sql, &c->in_store, 1))) return e;
        c->ok = c->read == c->written && c->rejected == 0 && c->files == c->written_files &&
                c->in_store == c->read - c->repeats;
        d->written_total += c->written;
        d->read_total += c->read;
        d->repeats_total += c->repeats;
        d->in_store_total += c->in_store;
        d->files_total += c->files;
        d->bytes_total += c->bytes;
    }
    return RP_OK;
}

static rp_err on_root_event(const struct rp_ct_event *ev, void *ctx)
{
    struct demo *d = ctx;
    const char *name = ev->event_name ? ev->event_name : "(none)";
    d->root_events++;
    for (size_t i = 0; i < d->nroot; i++)
        if (strcmp(d->root[i].k, name) == 0) {
            d->root[i].n++;
            return RP_OK;
        }
    if (d->nroot == DEMO_MAX_ROOT) return RP_OK; /* counted in root_events only */
    if (!(d->root[d->nroot].k = rp_arena_strdup(&d->a, name))) return RP_ENOMEM;
    d->root[d->nroot++].n = 1;
    return RP_OK;
}

static int cmp_kv(const void *pa, const void *pb)
{
    const struct kv *a = pa, *b = pb;
    if (a->n != b->n) return a->n > b->n ? -1 : 1;
    return strcmp(a->k, b->k);
}

static rp_err activity(struct demo *d)
{
    int64_t v[3];
    rp_err e;
    if ((e = q_ints(
             d, "SELECT count(*), count(DISTINCT resourceType) FROM config_resources" LIVE_RESOURCE,
             v, 2)))
        return e;
    d->resources = v[0];
    d->resource_types = v[1];
    if ((e = q_top(d,
                   "SELECT resourceType, count(*) FROM config_resources" LIVE_RESOURCE
                   " GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ?1",
                   &d->types)))
        return e;

    if ((e = q_ints(d, "SELECT count(*), count(DISTINCT rp_principal) FROM cloudtrail_logs", v, 2)))
        return e;
    d->ct_events = v[0];
    d->ct_principals = v[1];
    if ((e = q_top(d,
                   "SELECT rp_principal, count(*) FROM cloudtrail_logs WHERE rp_principal IS NOT"
                   " NULL GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ?1",
                   &d->principals)))
        return e;
    if ((e = q_ints(d,
                    "SELECT count(*),"
                    " ifnull(sum(json_valid(additionalEventData) AND"
                    " json_extract(additionalEventData, '$.MFAUsed') = 'Yes'), 0),"
                    " ifnull(sum(json_valid(responseElements) AND"
                    " json_extract(responseElements, '$.ConsoleLogin') = 'Failure'), 0)"
                    " FROM cloudtrail_logs WHERE eventName = 'ConsoleLogin'",
                    v, 3)))
        return e;
    d->logins = v[0];
    d->logins_mfa = v[1];
    d->logins_failed = v[2];
    if ((e = q_ints(d, "SELECT count(*) FROM cloudtrail_logs WHERE errorCode IS NOT NULL", v, 1)))
        return e;
    d->ct_errors = v[0];
    if ((e = q_top(d,
                   "SELECT errorCode, count(*) FROM cloudtrail_logs WHERE errorCode IS NOT NULL"
                   " GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ?1",
                   &d->errors)))
        return e;

    /* the root user, through the CloudTrail LookupEvents API */
    struct rp_ct_lookup q;
    rp_ct_lookup_init(&q);
    q.attrs[RP_CT_ATTR_USERNAME] = "root";
    q.categories = RP_CT_CAT_ALL;
    if ((e = rp_ingest_ct_lookup(d->st, &q, on_root_event, d, &d->eb))) return e;
    qsort(d->root, d->nroot, sizeof d->root[0], cmp_kv);

    if ((e = q_ints(d,
                    "SELECT count(*), ifnull(sum(action = 'REJECT'), 0),"
                    " ifnull(sum(ifnull(log_status, 'OK') <> 'OK'), 0) FROM vpc_flow_logs",
                    v, 3)))
        return e;
    d->flows = v[0];
    d->flows_rejected = v[1];
    d->flows_nodata = v[2];
    if ((e = q_top(d,
                   "SELECT rp_dst_port, count(*) FROM vpc_flow_logs WHERE action = 'REJECT' AND"
                   " rp_dst_port IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ?1",
                   &d->ports)) ||
        (e = q_top(d,
                   "SELECT rp_src_ip, sum(bytes) FROM vpc_flow_logs WHERE rp_src_ip IS NOT NULL"
                   " AND bytes IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ?1",
                   &d->talkers)))
        return e;

    if ((e = q_ints(d,
                    "SELECT count(*), ifnull(sum(rcode = 'NXDOMAIN'), 0)"
                    " FROM r53_resolver_query_logs",
                    v, 2)))
        return e;
    d->dns = v[0];
    d->dns_nx = v[1];
    if ((e = q_top(d,
                   "SELECT rp_query_name, count(*) FROM r53_resolver_query_logs WHERE"
                   " rp_query_name IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ?1",
                   &d->dns_names)))
        return e;

    if ((e = q_ints(d, "SELECT count(*), count(DISTINCT rp_user) FROM k8s_audit_logs", v, 2)))
        return e;
    d->k8s = v[0];
    d->k8s_users = v[1];
    return q_top(d,
                 "SELECT rp_user, count(*) FROM k8s_audit_logs WHERE rp_user IS NOT NULL"
                 " GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ?1",
                 &d->k8s_top);
}

/* ---- the truth ----------------------------------------------------------------------------- */

static rp_err read_file(struct demo *d, const char *path, struct rp_buf *b)
{
    FILE *f = fopen(path, "rb");
    if (!f) return rp_fail(&d->eb, RP_EIO, "cannot open '%s': %s", path, strerror(errno));
    rp_err e = RP_OK;
    char chunk[65536];
    size_t n;
    while (!e && (n = fread(chunk, 1, sizeof chunk, f)) > 0) e = rp_buf_append(b, chunk, n);
    if (!e && ferror(f))
        e = rp_fail(&d->eb, RP_EIO, "cannot read '%s'", path);
    else if (e)
        e = rp_fail(&d->eb, e, "cannot read '%s': %s", path, rp_strerror(e));
    fclose(f);
    return e;
}

static const char *jstr(struct demo *d, struct rp_json_val o, const char *key)
{
    struct rp_str s;
    if (rp_json_obj_get_str(o, key, &s) != RP_OK) return NULL;
    return rp_arena_memdup(&d->a, s.p, s.len);
}

static int cmp_cap_id(const void *pa, const void *pb)
{
    const struct cap_id *a = pa, *b = pb;
    if (a->cap != b->cap) return a->cap < b->cap ? -1 : 1;
    return strcmp(a->id, b->id);
}

static rp_err read_truth(struct demo *d)
{
    const char *path = rp_arena_printf(&d->a, "%s/truth.jsonl", d->input);
    if (!path) return rp_fail(&d->eb, RP_ENOMEM, "out of memory");
    struct rp_buf b;
    rp_buf_init(&b, DEMO_TRUTH_MAX);
    struct rp_json_parser *p = rp_json_parser_new();
    struct cap_id *ids = NULL;
    size_t nids = 0, capids = 0, cap = 0;
    rp_err e = p ? read_file(d, path, &b) : rp_fail(&d->eb, RP_ENOMEM, "out of memory");
    struct rp_json_lines jl;
    rp_json_lines_init(&jl, b.data ? b.data : "", b.len, b.data != NULL);
    struct rp_json_val o;
    while (!e && (e = rp_json_lines_next(&jl, p, &o, &d->eb)) == RP_OK) {
        if (d->ntruth == cap) {
            size_t ncap = cap ? cap * 2 : 64;
            struct truth_line *t = rp_arena_zalloc(&d->a, ncap * sizeof *t);
            if (!t) {
                e = rp_fail(&d->eb, RP_ENOMEM, "out of memory");
                break;
            }
            if (d->ntruth) memcpy(t, d->truth, d->ntruth * sizeof *t);
            d->truth = t;
            cap = ncap;
        }
        struct truth_line *t = &d->truth[d->ntruth];
        struct rp_json_val w, arr, el;
        t->id = jstr(d, o, "id");
        t->scenario = jstr(d, o, "scenario");
        t->mitre = jstr(d, o, "mitre");
        const char *expect = jstr(d, o, "expect");
        t->expect_none = expect && strcmp(expect, "none") == 0;
        if (rp_json_obj_get(o, "window", &w) == RP_OK) {
            t->start = jstr(d, w, "start");
            t->end = jstr(d, w, "end");
        }
        if (!t->id || !t->scenario) {
            e = rp_fail(&d->eb, RP_EPARSE, "'%s' line %zu: no id or scenario", path, jl.lineno);
            break;
        }
        struct rp_json_iter eit;
        if (rp_json_obj_get(o, "entities", &arr) == RP_OK && rp_json_arr_iter(arr, &eit) == RP_OK)
            while (rp_json_arr_next(&eit, &el) && t->ninstances < RP_ARRAY_LEN(t->instances)) {
                struct rp_str s;
                if (rp_json_get_str(el, &s) == RP_OK && rp_str_has_prefix(s, "i-"))
                    t->instances[t->ninstances++] = rp_arena_memdup(&d->a, s.p, s.len);
            }
        t->kind = -1;
        for (size_t i = 0; rp_sim_scenarios[i]; i++)
            if (strcmp(rp_sim_scenarios[i]->id, t->scenario) == 0)
                t->kind = (int)rp_sim_scenarios[i]->kind;
        for (int c = 0; c < NCAPS && !e; c++) {
            struct rp_json_iter it;
            struct rp_buf j;
            rp_buf_init(&j, 0);
            /* a look-alike's lines name rules that must stay quiet: not expectations */
            if (!t->expect_none && rp_json_obj_get(o, demo_caps[c].key, &arr) == RP_OK &&
                rp_json_arr_iter(arr, &it) == RP_OK) {
                while (!e && rp_json_arr_next(&it, &el)) {
                    struct rp_str s;
                    if (rp_json_get_str(el, &s) != RP_OK) continue;
                    if (nids == capids) {
                        size_t ncap = capids ? capids * 2 : 256;
                        struct cap_id *n = realloc(ids, ncap * sizeof *n);
                        if (!n) {
                            e = rp_fail(&d->eb, RP_ENOMEM, "out of memory");
                            break;
                        }
                        ids = n;
                        capids = ncap;
                    }
                    const char *id = rp_arena_memdup(&d->a, s.p, s.len);
                    if (!id || rp_buf_printf(&j, "%s%s", t->nids[c] ? ", " : "", id)) {
                        e = rp_fail(&d->eb, RP_ENOMEM, "out of memory");
                        break;
                    }
                    ids[nids++] = (struct cap_id){c, id};
                    t->nids[c]++;
                }
            }
            t->ids[c] = rp_arena_strdup(&d->a, j.data ? j.data : "");
            rp_buf_release(&j);
            if (!e && !t->ids[c]) e = rp_fail(&d->eb, RP_ENOMEM, "out of memory");
        }
        d->ntruth++;
    }
    if (e == RP_ENOENT) e = RP_OK;
    /* per scenario (a scenario may inject more than one instance, one truth line each) */
    for (size_t i = 0; !e && i < d->ntruth; i++) {
        const struct truth_line *t = &d->truth[i];
        bool first = true, has[NCAPS] = {false};
        for (size_t j = 0; j < d->ntruth && first; j++) {
            if (strcmp(d->truth[j].scenario, t->scenario) != 0) continue;
            if (j < i) first = false;
            for (int c = 0; c < NCAPS; c++) has[c] = has[c] || d->truth[j].nids[c];
        }
        if (!first) continue;
        d->nscenarios++;
        if (t->kind >= 0 && (size_t)t->kind < RP_ARRAY_LEN(kind_names)) d->nkind[t->kind]++;
        for (int c = 0; c < NCAPS; c++) d->cap_lines[c] += has[c];
    }
    if (!e && nids) {
        qsort(ids, nids, sizeof *ids, cmp_cap_id);
        for (size_t i = 0; i < nids; i++)
            if (i == 0 || cmp_cap_id(&ids[i], &ids[i - 1]) != 0) d->cap_distinct[ids[i].cap]++;
    }
    free(ids);
    rp_json_parser_free(p);
    rp_buf_release(&b);
    return e;
}

/* ---- Inspector: vulnerable packages and network reachability ------------------------------ */

/* The estate's advisories, reachability and package findings into the hub, scored against
 * side-truth/packages.jsonl; the instances of the truth lines that expect a CVE are watched. */
static rp_err inspector(struct demo *d)
{
    struct rp_cmd_inspector_totals *t = &d->insp;
    memset(t, 0, sizeof *t);
    for (size_t i = 0; i < d->ntruth; i++) {
        const struct truth_line *l = &d->truth[i];
        if (!l->nids[CAP_CVE]) continue;
        size_t n = strcspn(l->ids[CAP_CVE], ",");
        const char *cve = rp_arena_memdup(&d->a, l->ids[CAP_CVE], n);
        if (!cve) return rp_fail(&d->eb, RP_ENOMEM, "out of memory");
        for (size_t k = 0; k < l->ninstances && t->nwatch < RP_ARRAY_LEN(t->watch); k++)
            t->watch[t->nwatch++] =
                (struct rp_cmd_inspector_watch){.instance = l->instances[k], .cve = cve};
    }
    return rp_cmd_inspector_estate(d->st, d->input, d->end_ms, t, &d->eb);
}

/* ---- Macie: sensitive data in the estate's buckets ----------------------------------------- */

/* Occurrences per (object key, identifier): what the truth expects and what was found. */
struct mcount {
    char *key; /* "<key>\t<identifier>" */
    int64_t expected, found;
};

struct mcounts {
    struct mcount *c;
    size_t n, cap;
};

struct macie_run {
    struct demo *d;
    struct rp_hub_importer *im;
    struct rp_json_parser *jp;
    struct rp_buf doc;
    struct mcounts obj; /* per object key and identifier */
    struct mcounts pol; /* per bucket ARN and policy finding type */
    size_t item;
};

static struct mcount *mcount_at(struct mcounts *m, const char *key, const char *ident)
{
    char k[2048];
    snprintf(k, sizeof k, "%s\t%s", key, ident);
    for (size_t i = 0; i < m->n; i++)
        if (!strcmp(m->c[i].key, k)) return &m->c[i];
    if (m->n == m->cap) {
        size_t cap = m->cap ? 2 * m->cap : 128;
        struct mcount *c = realloc(m->c, cap * sizeof(*c));
        if (!c) return NULL;
        m->c = c;
        m->cap = cap;
    }
    m->c[m->n] = (struct mcount){strdup(k), 0, 0};
    return m->c[m->n].key ? &m->c[m->n++] : NULL;
}

static rp_err macie_object(void *ctx, const struct rp_dataid_object *o, struct rp_errbuf *eb)
{
    struct macie_run *m = ctx;
    struct macie_totals *t = &m->d->macie;
    if (!o->result) {
        t->skipped++;
        return RP_OK;
    }
    t->objects++;
    if (!o->result->ndet) return RP_OK;
    for (size_t i = 0; i < o->result->ndet; i++) {
        const struct rp_dataid_detection *det = &o->result->det[i];
        if (det->ident->rampart) {
            t->rampart_ids += det->count;
            continue;
        }
        /* Macie counts a card number as CREDIT_CARD_NUMBER with or without a keyword */
        const char *id = strcmp(det->ident->id, "CREDIT_CARD_NUMBER_(NO_KEYWORD)")
                             ? det->ident->id
                             : "CREDIT_CARD_NUMBER";
        struct mcount *c = mcount_at(&m->obj, o->ref.key, id);
        if (!c) return rp_fail(eb, RP_ENOMEM, "out of memory");
        c->found += det->count;
    }
    rp_buf_reset(&m->doc);
    rp_err e = rp_dataid_finding_asff(o->result, &o->ref, &m->doc, eb);
    struct rp_json_val v;
    if (!e) e = rp_json_parse(m->jp, m->doc.data, m->doc.len, &v, eb);
    if (!e) e = rp_hub_import_finding(m->im, v, "discover", m->item++, NULL, eb);
    if (!e) t->findings++;
    return e;
}

/* The truth's planted values (expect "match", a Macie identifier), per object and id. */
static rp_err macie_truth(struct macie_run *m)
{
    struct demo *d = m->d;
    const char *path = rp_arena_printf(&d->a, "%s/side-truth/sensitive.jsonl", d->input);
    struct rp_buf b;
    rp_buf_init(&b, DEMO_TRUTH_MAX);
    rp_err e = path ? read_file(d, path, &b) : rp_fail(&d->eb, RP_ENOMEM, "out of memory");
    struct rp_json_lines jl;
    rp_json_lines_init(&jl, b.data ? b.data : "", b.len, b.data != NULL);
    struct rp_json_val o;
    while (!e && (e = rp_json_lines_next(&jl, m->jp, &o, &d->eb)) == RP_OK) {
        const char *expect = jstr(d, o, "expect"), *ident = jstr(d, o, "identifier");
        const char *key = jstr(d, o, "key"), *member = jstr(d, o, "member");
        if (!expect || strcmp(expect, "match") || !ident || !key) continue;
        /* "buckets/<bucket>/<key>": the walk names objects by the key under the bucket */
        const char *k = key;
        for (int slash = 0; slash < 2 && strchr(k, '/'); slash++) k = strchr(k, '/') + 1;
        char full[2048];
        snprintf(full, sizeof full, "%s%s%s", k, member ? "!/" : "", member ? member : "");
        struct mcount *c = mcount_at(&m->obj, full, ident);
        if (!c)
            e = rp_fail(&d->eb, RP_ENOMEM, "out of memory");
        else
            c->expected++;
    }
    if (e == RP_ENOENT) e = RP_OK;
    rp_buf_release(&b);
    return e;
}

/* A bucket policy finding (dataid_policy.c): into the hub, counted per bucket and type. */
static rp_err macie_policy(void *ctx, const char *type, const char *resource, const char *doc,
                           size_t n, struct rp_errbuf *eb)
{
    struct macie_run *m = ctx;
    struct mcount *c = mcount_at(&m->pol, resource, type);
    if (!c) return rp_fail(eb, RP_ENOMEM, "out of memory");
    c->found++;
    struct rp_json_val v;
    rp_err e = rp_json_parse(m->jp, doc, n, &v, eb);
    if (!e) e = rp_hub_import_finding(m->im, v, "discover", m->item++, NULL, eb);
    if (!e) m->d->macie.policy++;
    return e;
}

/* The truth's Macie policy findings: each Policy:IAMUser/ type of a line on its bucket. */
static rp_err policy_truth(struct macie_run *m)
{
    struct demo *d = m->d;
    const char *path = rp_arena_printf(&d->a, "%s/truth.jsonl", d->input);
    struct rp_buf b;
    rp_buf_init(&b, DEMO_TRUTH_MAX);
    rp_err e = path ? read_file(d, path, &b) : rp_fail(&d->eb, RP_ENOMEM, "out of memory");
    struct rp_json_lines jl;
    rp_json_lines_init(&jl, b.data ? b.data : "", b.len, b.data != NULL);
    struct rp_json_val o, arr, el;
    while (!e && (e = rp_json_lines_next(&jl, m->jp, &o, &d->eb)) == RP_OK) {
        const char *expect = jstr(d, o, "expect"), *bucket = NULL;
        if (!expect || strcmp(expect, "finding")) continue;
        struct rp_json_iter it;
        struct rp_str sv;
        if (rp_json_obj_get(o, "entities", &arr) == RP_OK && rp_json_arr_iter(arr, &it) == RP_OK)
            while (!bucket && rp_json_arr_next(&it, &el))
                if (rp_json_get_str(el, &sv) == RP_OK && sv.len > 13 &&
                    !memcmp(sv.p, "arn:aws:s3:::", 13) && !memchr(sv.p + 13, '/', sv.len - 13))
                    bucket = rp_arena_memdup(&d->a, sv.p, sv.len);
        if (!bucket || rp_json_obj_get(o, "macie", &arr) || rp_json_arr_iter(arr, &it)) continue;
        while (!e && rp_json_arr_next(&it, &el)) {
            if (rp_json_get_str(el, &sv) || sv.len < 15 || memcmp(sv.p, "Policy:IAMUser/", 15))
                continue;
            const char *type = rp_arena_memdup(&d->a, sv.p, sv.len);
            struct mcount *c = type ? mcount_at(&m->pol, bucket, type) : NULL;
            if (!c)
                e = rp_fail(&d->eb, RP_ENOMEM, "out of memory");
            else
                c->expected++;
        }
    }
    if (e == RP_ENOENT) e = RP_OK;
    rp_buf_release(&b);
    return e;
}

static void mcounts_score(struct mcounts *m, int64_t *expected, int64_t *tp, int64_t *extra)
{
    for (size_t i = 0; i < m->n; i++) {
        struct mcount *c = &m->c[i];
        *expected += c->expected;
        *tp += c->found < c->expected ? c->found : c->expected;
        *extra += c->found > c->expected ? c->found - c->expected : 0;
        free(c->key);
    }
    free(m->c);
}

static rp_err macie(struct demo *d)
{
    memset(&d->macie, 0, sizeof d->macie);
    struct macie_run m = {.d = d};
    struct rp_dataid_set *s = NULL;
    struct rp_dataid_scratch *sc = NULL;
    rp_buf_init(&m.doc, 0);
    const char *buckets = rp_arena_printf(&d->a, "%s/buckets", d->input);
    rp_err e = buckets ? RP_OK : rp_fail(&d->eb, RP_ENOMEM, "out of memory");
    if (!e) e = rp_dataid_set_new(&s, &d->eb);
    if (!e) e = rp_dataid_set_add_managed(s, NULL, 0, &d->eb);
    if (!e) e = rp_dataid_set_compile(s, &d->eb);
    if (!e && rp_dataid_scratch_new(s, &sc)) e = rp_fail(&d->eb, RP_ENOMEM, "out of memory");
    if (!e && !(m.jp = rp_json_parser_new())) e = rp_fail(&d->eb, RP_ENOMEM, "out of memory");
    struct rp_hub_import_opts io;
    rp_hub_import_opts_init(&io);
    io.format = "asff";
    io.now_ms = d->end_ms;
    if (!e) e = rp_hub_importer_new(d->st, &io, &m.im, &d->eb);
    /* buckets/<bucket>/<key>: each bucket directory is a root, so objects are named by bucket
     * and key as in S3 */
    const char *roots[64];
    size_t nroots = 0;
    DIR *dir = e ? NULL : opendir(buckets);
    struct dirent *de;
    while (dir && nroots < 64 && (de = readdir(dir)))
        if (de->d_name[0] != '.')
            roots[nroots++] = rp_arena_printf(&d->a, "%s/%s", buckets, de->d_name);
    if (dir) closedir(dir);
    for (size_t i = 0; i < nroots; i++)
        if (!roots[i]) e = rp_fail(&d->eb, RP_ENOMEM, "out of memory");
    if (!e && nroots) {
        /* sorted, so the hub's import order (and the report) does not follow readdir's */
        for (size_t i = 1; i < nroots; i++)
            for (size_t j = i; j > 0 && strcmp(roots[j - 1], roots[j]) > 0; j--) {
                const char *t = roots[j];
                roots[j] = roots[j - 1];
                roots[j - 1] = t;
            }
        e = rp_dataid_classify_paths(s, sc, roots, nroots, d->end_ms, macie_object, &m, NULL,
                                     &d->eb);
    }
    /* the bucket policy findings, from the store's S3 bucket configuration items */
    if (!e) e = rp_dataid_policy_findings(d->st, d->end_ms, macie_policy, &m, NULL, &d->eb);
    if (!e) {
        e = rp_hub_importer_finish(m.im, &d->eb);
        m.im = NULL;
    }
    if (!e) e = macie_truth(&m);
    if (!e) e = policy_truth(&m);
    struct macie_totals *t = &d->macie;
    mcounts_score(&m.obj, &t->expected, &t->tp, &t->extra);
    mcounts_score(&m.pol, &t->policy_expected, &t->policy_tp, &t->policy_extra);
    rp_hub_importer_free(m.im);
    rp_json_parser_free(m.jp);
    rp_buf_release(&m.doc);
    rp_dataid_scratch_free(sc);
    rp_dataid_set_free(s);
    return e;
}

/* ---- the verdict --------------------------------------------------------------------------- */

static void judge(struct demo *d)
{
    d->ok = true;
    d->why[0] = '\0';
    for (size_t k = 0; k < NSOURCES && d->ok; k++) {
        const struct src_stat *c = &d->src[k];
        if (c->ok) continue;
        d->ok = false;
        snprintf(d->why, sizeof d->why,
                 "%s: the simulator wrote %" PRId64 " records in %" PRId64
                 " files; ingest read %" PRId64 " in %" PRId64 " files, rejected %" PRId64
                 ", and the store holds %" PRId64 " (%" PRId64 " repeats)",
                 rp_ingest_kind_name(demo_sources[k].kind), c->written, c->written_files, c->read,
                 c->files, c->rejected, c->in_store, c->repeats);
    }
    if (d->ok && (d->ing.rejected || d->ing.files_failed || d->ing.files_unknown)) {
        d->ok = false;
        snprintf(d->why, sizeof d->why,
                 "ingest rejected %" PRId64 " records; %" PRId64
                 " files could not be read, %" PRId64
                 " were not recognised (see 'rampart --db %s db rejects')",
                 d->ing.rejected, d->ing.files_failed, d->ing.files_unknown, d->store_path);
    }
    if (d->ok && d->written_total == 0) {
        d->ok = false;
        snprintf(d->why, sizeof d->why, "the simulator wrote no log records");
    }
}

/* ---- Config rules and standards ------------------------------------------------------------- */

/* The estate files (ingested apart, so the per-source table keeps the logs' counts), every
 * active Config rule over the inventory, the score against the truth, and the Security Hub
 * scores of the default standards. */
static rp_err config_rules(struct demo *d)
{
    struct cfg_totals *c = &d->cfg;
    const char *estate = rp_arena_printf(&d->a, "%s/estate", d->input);
    const char *truth = rp_arena_printf(&d->a, "%s/truth.jsonl", d->input);
    if (!estate || !truth) return rp_fail(&d->eb, RP_ENOMEM, "out of memory");
    rp_err e = RP_OK;
    if (access(estate, R_OK) == 0) {
        struct rp_ingest_opts o;
        rp_ingest_opts_init(&o);
        const char *paths[] = {estate};
        o.paths = paths;
        o.npaths = 1;
        e = rp_ingest_run(d->st, &o, &c->estate, &d->eb);
    }
    struct rp_posture_eval_opts eo = {0};
    if (!e) e = rp_posture_eval_run(d->st, &eo, NULL, &c->eval, &d->eb);
    if (!e) e = rp_posture_score(d->st, truth, NULL, NULL, &c->score, &d->eb);
    struct rp_posture_standards *std = NULL;
    struct rp_posture_std_selection *sel = NULL;
    struct rp_posture_std_report *r = NULL;
    struct rp_arena a;
    rp_arena_init(&a, 1u << 20);
    struct rp_posture_std_eval *ev = NULL;
    size_t n = 0;
    if (!e) e = rp_posture_standards_load(&std, &d->eb);
    if (!e) e = rp_posture_std_selection_load(d->st, std, &sel, &d->eb);
    if (!e) e = rp_posture_std_evals_load(d->st, &a, 0, &ev, &n, &d->eb);
    if (!e) e = rp_posture_std_report_build(std, sel, ev, n, NULL, &r, &d->eb);
    for (size_t i = 0; !e && i < r->nstandards && c->nstd < 7; i++) {
        c->std_names[c->nstd] = rp_arena_strdup(&d->a, r->standards[i].standard->name);
        c->score_pct[c->nstd++] = rp_posture_std_score_pct(&r->standards[i]);
    }
    if (!e) {
        c->std_names[c->nstd] = "overall";
        c->score_pct[c->nstd++] = rp_posture_std_score_pct(&r->overall);
    }
    rp_posture_std_report_free(r);
    rp_posture_std_selection_free(sel);
    rp_posture_standards_free(std);
    rp_arena_release(&a);
    return e;
}

static const char *config_text(struct demo *d)
{
    const struct cfg_totals *c = &d->cfg;
    const struct rp_posture_eval_stats *s = &c->eval;
    struct rp_buf b;
    rp_buf_init(&b, 0);
    rp_err e = rp_buf_printf(&b,
                             "%zu rule configurations over %zu resources and %zu account "
                             "documents: %zu COMPLIANT, %zu NON_COMPLIANT, %zu NOT_APPLICABLE, "
                             "%zu INSUFFICIENT_DATA; Security Hub score",
                             s->configs, s->resources, s->accounts, s->by_compliance[0],
                             s->by_compliance[1], s->by_compliance[2], s->by_compliance[3]);
    for (size_t i = 0; i < c->nstd && !e; i++) {
        if (c->score_pct[i] < 0)
            e = rp_buf_printf(&b, "%s %s no data", i ? "," : "", c->std_names[i]);
        else
            e = rp_buf_printf(&b, "%s %s %d%%", i ? "," : "", c->std_names[i], c->score_pct[i]);
    }
    return buf_done(d, &b, e);
}

/* ---- GuardDuty ------------------------------------------------------------------------------ */

/* The simulator's lists under input/threatintel: what each file is to GuardDuty. A user's own
 * threat list is a ThreatIntelSet (the .Custom types), the office list an IPSet (trusted); the
 * Tor, C2 and phishing feeds stand for GuardDuty's own threat intelligence. */
static const struct {
    const char *file, *name, *kind;
} demo_lists[] = {
    {"malicious-ips.txt", "malicious-ips", "threat"},
    {"tor-exit-nodes.txt", "tor-exit-nodes", "tor"},
    {"c2-domains.txt", "c2-domains", "c2"},
    {"phishing-domains.txt", "phishing-domains", "phishing"},
    {"trusted-ips.txt", "trusted-ips", "trusted"},
};

static void gd_warn(void *ctx, const char *msg)
{
    (void)ctx;
    fprintf(stderr, "rampart: demo: warning: %s\n", msg);
}

static rp_err guardduty(struct demo *d)
{
    struct gd_totals *g = &d->gd;
    rp_err e = RP_OK;
    for (size_t i = 0; !e && i < RP_ARRAY_LEN(demo_lists); i++) {
        const char *path =
            rp_arena_printf(&d->a, "%s/threatintel/%s", d->input, demo_lists[i].file);
        if (!path) return rp_fail(&d->eb, RP_ENOMEM, "out of memory");
        if (access(path, R_OK)) continue;
        struct rp_detect_ti_add_opts o = {
            .name = demo_lists[i].name, .kind = demo_lists[i].kind, .warn = gd_warn};
        struct rp_detect_ti_add_result r;
        memset(&r, 0, sizeof r);
        e = rp_detect_ti_add_file(d->st, path, &o, &r, &d->eb);
        if (!e) {
            g->lists++;
            g->list_entries += r.entries;
        }
    }
    struct rp_detect_opts o;
    rp_detect_opts_init(&o);
    /* each entity learns over the simulator's learning period */
    if (d->attack_ms > d->start_ms) o.learning_ms = d->attack_ms - d->start_ms;
    o.warn = gd_warn;
    if (!e) e = rp_detect_run(d->st, &o, &g->sum, &d->eb);
    const char *truth = rp_arena_printf(&d->a, "%s/truth.jsonl", d->input);
    if (!e && !truth) e = rp_fail(&d->eb, RP_ENOMEM, "out of memory");
    if (!e) e = rp_detect_score(d->st, truth, NULL, NULL, &g->score, &d->eb);
    if (!e)
        e = q_top(d,
                  "SELECT type, count(*) FROM detect_findings GROUP BY type ORDER BY 2 DESC, 1 "
                  "LIMIT ?1",
                  &g->types);
    return e;
}

static const char *guardduty_text(struct demo *d)
{
    const struct gd_totals *g = &d->gd;
    const struct rp_detect_summary *s = &g->sum;
    return sf(d,
              "%" PRId64 " findings from %" PRId64 " CloudTrail, %" PRId64 " flow, %" PRId64
              " DNS, %" PRId64 " Kubernetes events, %" PRId64 " threat and trusted lists (%" PRId64
              " entries)%s%s",
              s->findings, s->events[RP_DET_SRC_CLOUDTRAIL], s->events[RP_DET_SRC_FLOW],
              s->events[RP_DET_SRC_DNS], s->events[RP_DET_SRC_K8S], g->lists, g->list_entries,
              g->types.n ? "; most: " : "", join_top(d, &g->types, DEMO_TOP_TEXT, ITEM_COUNT));
}

/* ---- the summary on the screen ------------------------------------------------------------- */

/* "  key         value", the value wrapped at ", " to DEMO_WIDTH columns. */
static void text_kv(FILE *f, const char *key, const char *val)
{
    const size_t indent = 2 + DEMO_KEY_WIDTH, avail = DEMO_WIDTH - indent;
    fprintf(f, "  %-*s", DEMO_KEY_WIDTH, key);
    size_t n = strlen(val);
    while (n > avail) {
        /* the last ", " that lets the line end within avail (the comma stays on this line) */
        size_t cut = 0;
        for (size_t i = 0; i + 1 < n && i + 1 <= avail; i++)
            if (val[i] == ',' && val[i + 1] == ' ') cut = i + 1;
        if (!cut) {
            const char *c = strstr(val, ", ");
            if (!c) break;
            cut = (size_t)(c - val) + 1;
        }
        fprintf(f, "%.*s\n%*s", (int)cut, val, (int)indent, "");
        val += cut + 1;
        n -= cut + 1;
    }
    fprintf(f, "%s\n", val);
}

/* An aligned table of nrows rows of ncols cells (row 0 is the header), indented by two
 * spaces; columns whose bit is set in num are right-aligned. */
static void text_table(FILE *f, const char *const *cells, size_t nrows, size_t ncols, unsigned num)
{
    size_t w[16] = {0};
    for (size_t r = 0; r < nrows; r++)
        for (size_t c = 0; c < ncols && c < 16; c++) {
            size_t n = strlen(cells[r * ncols + c]);
            if (n > w[c]) w[c] = n;
        }
    for (size_t r = 0; r < nrows; r++) {
        fputs(" ", f);
        for (size_t c = 0; c < ncols && c < 16; c++) {
            const char *s = cells[r * ncols + c];
            bool last = c + 1 == ncols;
            const char *sep = c ? "  " : " ";
            if (num & (1u << c))
                fprintf(f, "%s%*s", sep, (int)w[c], s);
            else if (last)
                fprintf(f, "%s%s", sep, s);
            else
                fprintf(f, "%s%-*s", sep, (int)w[c], s);
        }
        fputc('\n', f);
    }
}

static const char *estate_accounts(struct demo *d)
{
    struct rp_buf b;
    rp_buf_init(&b, 0);
    rp_err e = RP_OK;
    for (uint32_t i = 0; i < d->naccounts && !e; i++)
        e = rp_buf_printf(&b, "%s%s %s (%s)", i ? ", " : "", d->acct_id[i], d->acct_alias[i],
                          d->acct_role[i]);
    return buf_done(d, &b, e);
}

static const char *regions(struct demo *d)
{
    struct rp_buf b;
    rp_buf_init(&b, 0);
    rp_err e = RP_OK;
    for (uint32_t i = 0; i < d->nregions && !e; i++)
        e = rp_buf_printf(&b, "%s%s", i ? ", " : "", d->regions[i]);
    return buf_done(d, &b, e);
}

static const char *period(struct demo *d)
{
    int64_t learn = (d->attack_ms - d->start_ms) / DAY_MS;
    return sf(d, "%s to %s (%u %s): learning %" PRId64 " %s, attacks from %s",
              date_of(d, d->start_ms), date_of(d, d->end_ms - 1), d->days,
              plural(d->days, "day", "days"), learn, plural(learn, "day", "days"),
              date_of(d, d->attack_ms));
}

/* The sources the simulator wrote that ingest does not read (yet). */
static const char *side_sources(struct demo *d, bool with_records)
{
    struct rp_buf b;
    rp_buf_init(&b, 0);
    rp_err e = RP_OK;
    size_t n = 0;
    for (uint32_t i = 0; i < d->sim.nsources && !e; i++) {
        const struct rp_sim_source_stats *s = &d->sim.sources[i];
        /* the truth and the package inventories (read by the Inspector stage) are not
         * "still to come" */
        bool log = strcmp(s->name, "truth") == 0 || strcmp(s->name, "side-packages") == 0 ||
                   strcmp(s->name, "side-documents") == 0 || strcmp(s->name, "estate-iam") == 0 ||
                   strcmp(s->name, "estate-ec2") == 0;
        for (size_t k = 0; k < NSOURCES; k++)
            if (strcmp(s->name, demo_sources[k].sim) == 0) log = true;
        if (log) continue;
        if (with_records)
            e = rp_buf_printf(&b, "%s%s %" PRIu64 " %s", n ? ", " : "", s->name, s->files,
                              plural((int64_t)s->files, "file", "files"));
        else
            e = rp_buf_printf(&b, "%s%s %" PRIu64 "%s", n ? ", " : "", s->name, s->files,
                              n ? "" : (s->files == 1 ? " file" : " files"));
        n++;
    }
    return buf_done(d, &b, e);
}

static const char *cap_expect(struct demo *d, int c)
{
    const struct demo_cap *k = &demo_caps[c];
    return sf(d, "%zu %s, %zu %s", d->cap_distinct[c], d->cap_distinct[c] == 1 ? k->id_one : k->ids,
              d->cap_lines[c], d->cap_lines[c] == 1 ? "scenario" : "scenarios");
}

static const char *not_available(struct demo *d, int issue)
{
    return sf(d, "not available (issue #%d)", issue);
}

static const char *completeness(struct demo *d)
{
    return sf(d, "%s (%" PRId64 "/%" PRId64 "), %" PRId64 " rejected",
              pct(d, d->read_total, d->written_total), d->read_total, d->written_total,
              d->ing.rejected);
}

/* The findings hub's contents in one line: the count, then the groups of the three attributes
 * a first look wants. Asked of the hub itself (rp_hub_*), so the line shows whatever the
 * analyses of this build put there; "none yet" when they put nothing. */
struct groups_text {
    struct rp_buf *b;
    size_t n;
};

static rp_err group_text(void *ctx, const char *value, int64_t count)
{
    struct groups_text *g = ctx;
    /* the last part of a path-like value: "Software and Configuration Checks/Vulnerabilities/
     * CVE" -> "CVE", "arn:aws:ec2:..:instance/i-0abc" -> "i-0abc" */
    const char *slash = strrchr(value, '/');
    const char *shown = slash && slash[1] ? slash + 1 : value;
    return rp_buf_printf(g->b, "%s%s %" PRId64, g->n++ ? ", " : "", shown, count);
}

static const char *findings_text(struct demo *d)
{
    static const struct {
        const char *label, *attr;
    } by[] = {
        {"by severity", "SeverityLabel"}, {"by type", "Type"}, {"most affected", "ResourceId"}};
    int64_t n = 0;
    struct rp_buf b;
    rp_buf_init(&b, 0);
    rp_err e = rp_hub_findings_count(d->st, NULL, &n, NULL);
    if (!e && n == 0)
        e = rp_buf_append_str(&b, "none yet: no analysis in this build produces findings; the "
                                  "hub is ready for them (`rampart findings`)");
    else if (!e)
        e = rp_buf_printf(&b, "%" PRId64 " in the hub", n);
    for (size_t i = 0; !e && n > 0 && i < RP_ARRAY_LEN(by); i++) {
        struct groups_text g = {&b, 0};
        if (!(e = rp_buf_printf(&b, "; %s: ", by[i].label)))
            e = rp_hub_group(d->st, NULL, by[i].attr, 3, group_text, &g, NULL);
    }
    return buf_done(d, &b, e);
}

/* The Macie line: what the scan of the buckets found. */
static const char *macie_text(struct demo *d)
{
    const struct macie_totals *t = &d->macie;
    return sf(d,
              "%" PRId64 " sensitive data findings in %" PRId64 " objects of the buckets (zip "
              "members and .gz files included), %" PRId64 " objects not read, %" PRId64
              " occurrences of Rampart's own identifiers (e-mail addresses, access key ids) "
              "not scored; %" PRId64 " bucket policy findings from Config items: %" PRId64
              " of %" PRId64 " expected by the truth, %" PRId64 " extra",
              t->findings, t->objects, t->skipped, t->rampart_ids, t->policy, t->policy_tp,
              t->policy_expected, t->policy_extra);
}

/* The Inspector line: what the scan found, and on each watched instance. */
static const char *inspector_text(struct demo *d)
{
    const struct rp_cmd_inspector_totals *t = &d->insp;
    struct rp_buf b;
    rp_buf_init(&b, 0);
    rp_err e = rp_buf_printf(
        &b,
        "%" PRId64 " package findings on %" PRId64 " instances, %" PRId64
        " of them scored lower (no path from the internet), %zu "
        "reachability findings, %" PRId64 " packages and %" PRId64 " advisories read",
        t->findings, t->resources, t->lowered, t->reach_findings, t->packages, t->advisories);
    for (size_t i = 0; !e && i < t->nwatch; i++) {
        const struct rp_cmd_inspector_watch *w = &t->watch[i];
        if (!w->found)
            e = rp_buf_printf(&b, ", %s: %s NOT found", w->instance, w->cve);
        else
            e = rp_buf_printf(&b, ", %s: %s scored %.1f of CVSS %.1f with %s", w->instance, w->cve,
                              w->score, w->base,
                              w->internet ? w->detail : "no path from the internet");
    }
    return buf_done(d, &b, e);
}

static const char *truth_kinds(struct demo *d)
{
    return sf(d, "%zu of %zu scenarios injected: %zu threat, %zu posture, %zu data, %zu benign %s",
              d->nscenarios, d->scenarios_registered, d->nkind[RP_SIM_SCN_THREAT],
              d->nkind[RP_SIM_SCN_POSTURE], d->nkind[RP_SIM_SCN_DATA], d->nkind[RP_SIM_SCN_BENIGN],
              d->nkind[RP_SIM_SCN_BENIGN] == 1 ? "look-alike" : "look-alikes");
}

/* The ingest table, header first, NSOURCES rows and a total: INGEST_COLS cells a row (the
 * report passes INGEST_COLS + 1 for the table name as the last column). */
#define INGEST_COLS 9
static void ingest_table(struct demo *d, const char **cells, size_t ncols)
{
    static const char *const head[] = {"source",  "files",    "written",  "read", "stored",
                                       "repeats", "rejected", "complete", "MB",   "table"};
    static const char *const tables[] = {"cloudtrail_logs", "vpc_flow_logs",
                                         "r53_resolver_query_logs", "k8s_audit_logs",
                                         "config_items"};
    for (size_t c = 0; c < ncols; c++) cells[c] = head[c];
    for (size_t k = 0; k <= NSOURCES; k++) {
        const char **row = &cells[(k + 1) * ncols];
        if (k < NSOURCES) {
            const struct src_stat *c = &d->src[k];
            row[0] = rp_ingest_kind_name(demo_sources[k].kind);
            row[1] = num(d, c->files);
            row[2] = num(d, c->written);
            row[3] = num(d, c->read);
            row[4] = num(d, c->in_store);
            row[5] = num(d, c->repeats);
            row[6] = num(d, c->rejected);
            row[7] = pct(d, c->read, c->written);
            row[8] = mb(d, c->bytes);
        } else {
            row[0] = "total";
            row[1] = num(d, d->files_total);
            row[2] = num(d, d->written_total);
            row[3] = num(d, d->read_total);
            row[4] = num(d, d->in_store_total);
            row[5] = num(d, d->repeats_total);
            row[6] = num(d, d->ing.rejected);
            row[7] = pct(d, d->read_total, d->written_total);
            row[8] = mb(d, d->bytes_total);
        }
        if (ncols > INGEST_COLS) row[INGEST_COLS] = k < NSOURCES ? tables[k] : "";
    }
}

/* The scoring table, header first: capability, what the truth expects, recall, precision. */
#define SCORE_ROWS (NCAPS + 3)
static void score_table(struct demo *d, const char **cells)
{
    cells[0] = "capability";
    cells[1] = "expected by the truth";
    cells[2] = "recall";
    cells[3] = "precision";
    for (int c = 0; c < NCAPS; c++) {
        const char **row = &cells[(c + 1) * 4];
        row[0] = demo_caps[c].name;
        row[1] = cap_expect(d, c);
        row[2] = row[3] = not_available(d, demo_caps[c].issue);
    }
    /* threat detection: every (truth line, GuardDuty type), and every finding explained */
    const struct rp_detect_score *gs = &d->gd.score;
    const char **grow = &cells[(CAP_GUARDDUTY + 1) * 4];
    grow[2] = sf(d, "%s (%" PRId64 "/%" PRId64 ")", pct(d, gs->found, gs->expected), gs->found,
                 gs->expected);
    grow[3] = sf(d, "%s (%" PRId64 " of %" PRId64 " unexplained)",
                 pct(d, gs->explained, gs->findings), gs->findings - gs->explained, gs->findings);
    /* Config rules: every (truth line, rule) NON_COMPLIANT for the resource it names; the
     * clean look-alikes COMPLIANT */
    const struct rp_posture_score *ps = &d->cfg.score;
    const char **crow = &cells[(CAP_CONFIG + 1) * 4];
    crow[2] = sf(d, "%s (%zu/%zu)", pct(d, (int64_t)ps->found, (int64_t)ps->expected), ps->found,
                 ps->expected);
    crow[3] = sf(d, "%zu of %zu look-alikes COMPLIANT", ps->benign_quiet, ps->benign);
    /* sensitive data: every planted value of a Macie identifier, per object */
    const struct macie_totals *mt = &d->macie;
    const char **mrow = &cells[(CAP_MACIE + 1) * 4];
    mrow[1] = sf(d, "%s; %" PRId64 " planted values", cap_expect(d, CAP_MACIE), mt->expected);
    mrow[2] =
        sf(d, "%s (%" PRId64 "/%" PRId64 ")", pct(d, mt->tp, mt->expected), mt->tp, mt->expected);
    mrow[3] = sf(d, "%s (%" PRId64 " extra)", pct(d, mt->tp, mt->tp + mt->extra), mt->extra);
    /* vulnerabilities: every (instance, advisory) the side truth marks vulnerable */
    const struct rp_cmd_inspector_totals *t = &d->insp;
    const char **row = &cells[(CAP_CVE + 1) * 4];
    row[1] = sf(d, "%s; %" PRId64 " vulnerable packages", cap_expect(d, CAP_CVE), t->expected);
    row[2] = sf(d, "%s (%" PRId64 "/%" PRId64 ")", pct(d, t->tp, t->expected), t->tp, t->expected);
    row[3] = sf(d, "%s (%" PRId64 " false)", pct(d, t->tp, t->tp + t->fp), t->fp);
    row = &cells[(NCAPS + 1) * 4];
    row[0] = "no false alarms";
    row[1] = sf(d, "%zu benign look-alike%s: no finding", d->nkind[RP_SIM_SCN_BENIGN],
                d->nkind[RP_SIM_SCN_BENIGN] == 1 ? "" : "s");
    row[2] = row[3] =
        sf(d, "%s (%" PRId64 " of %" PRId64 " quiet)",
           pct(d, d->gd.score.benign - d->gd.score.benign_alarmed, d->gd.score.benign),
           d->gd.score.benign - d->gd.score.benign_alarmed, d->gd.score.benign);
    row = &cells[(NCAPS + 2) * 4];
    row[0] = "ingest completeness";
    row[1] = sf(d, "%" PRId64 " records, %zu sources", d->written_total, NSOURCES);
    row[2] = sf(d, "%s (%" PRId64 "/%" PRId64 ")", pct(d, d->read_total, d->written_total),
                d->read_total, d->written_total);
    row[3] = sf(d, "%" PRId64 " rejected, %" PRId64 " rows beyond the records read",
                d->ing.rejected, d->in_store_total - (d->read_total - d->repeats_total));
}

/* ---- the raw files in place (rampart query) ------------------------------------------------ */

/* A sink keeping the first column of the first row as an integer. */
static rp_err first_int(void *ctx, const struct rp_query_row *row, struct rp_errbuf *eb)
{
    (void)eb;
    int64_t *v = ctx;
    if (row->ncols && row->vals[0]) *v = strtoll(row->vals[0], NULL, 10);
    return RP_OK;
}

/* Asks the same two questions of the raw tree as of the store, through the connectors of
 * `rampart query` (cloudtrail_files, vpc_flow_files): distinct CloudTrail events (the store
 * keeps each eventID once) and flow records. */
static rp_err files_in_place(struct demo *d)
{
    struct rp_query_opts o = {.db_path = NULL, .timeout_ms = 0};
    struct rp_query_session *s = NULL;
    rp_err e = rp_query_session_new(&o, &s, &d->eb);
    if (e) return e;
    struct rp_buf q;
    rp_buf_init(&q, 1u << 16);
    int64_t t0 = rp_time_now_ms();
    const char *what[2] = {"SELECT count(DISTINCT eventID) FROM cloudtrail_files('",
                           "SELECT count(*) FROM vpc_flow_files('"};
    int64_t *out[2] = {&d->files_ct, &d->files_flows};
    for (int i = 0; i < 2 && !e; i++) {
        rp_buf_reset(&q);
        e = rp_buf_append(&q, what[i], strlen(what[i]));
        for (const char *p = d->logs; *p && !e; p++)
            e = *p == '\'' ? rp_buf_append(&q, "''", 2) : rp_buf_append(&q, p, 1);
        if (!e) e = rp_buf_append(&q, "')", 3);
        if (e) {
            e = rp_fail(&d->eb, RP_ENOMEM, "out of memory");
            break;
        }
        struct rp_query_sink sink = {.row = first_int, .ctx = out[i]};
        struct rp_query_run_stats st;
        e = rp_query_run(s, q.data, &sink, 1, &st, &d->eb);
    }
    d->files_ms = rp_time_now_ms() - t0;
    d->files_same = d->files_ct == d->ct_events && d->files_flows == d->flows;
    rp_buf_release(&q);
    rp_query_session_free(s);
    return e;
}

static void print_text(struct demo *d)
{
    FILE *f = d->ctx->out;
    fprintf(f,
            "Rampart demo (seed %" PRIu64 ", %u %s): a simulated AWS estate, ingested, queried "
            "and scored\n\n",
            d->seed, d->days, plural(d->days, "day", "days"));

    fprintf(f, "estate: simulated into %s (kept: logs, side data, truth.jsonl)\n", d->input);
    text_kv(f, "accounts", sf(d, "%s in %s", estate_accounts(d), regions(d)));
    text_kv(f, "period", period(d));
    text_kv(f, "resources",
            sf(d, "%" PRId64 " in AWS Config, %" PRId64 " types: %s", d->resources,
               d->resource_types, join_top(d, &d->types, 6, ITEM_TYPE)));
    text_kv(f, "simulated",
            sf(d, "%" PRIu64 " files, %s MB in %.1f s", d->sim.files, mb(d, (int64_t)d->sim.bytes),
               (double)d->sim_ms / 1000.0));

    fprintf(f, "\ningest: %s into %s\n", d->logs, d->store_path);
    const char *cells[(NSOURCES + 2) * INGEST_COLS];
    ingest_table(d, cells, INGEST_COLS);
    text_table(f, cells, NSOURCES + 2, INGEST_COLS, 0x1feu);
    double secs = (double)d->ing.elapsed_ms / 1000.0;
    text_kv(f, "time",
            sf(d, "%.1f s: %s MB decoded, %.1f MB/s, %.0f records/s", secs,
               mb(d, d->ing.bytes_decoded),
               secs > 0 ? (double)d->ing.bytes_decoded / 1e6 / secs : 0.0,
               secs > 0 ? (double)d->ing.records / secs : 0.0));
    text_kv(f, "not read",
            sf(d, "side data for analyses still to come: %s", side_sources(d, false)));

    fputs("\nactivity: SQL and CloudTrail LookupEvents over the store\n", f);
    text_kv(f, "CloudTrail",
            sf(d, "%" PRId64 " calls by %" PRId64 " principals: %s", d->ct_events, d->ct_principals,
               join_top(d, &d->principals, DEMO_TOP_TEXT, ITEM_PRINCIPAL)));
    text_kv(f, "sign-ins",
            sf(d,
               "%" PRId64 " console logins: %" PRId64 " with MFA, %" PRId64 " without; %" PRId64
               " failed",
               d->logins, d->logins_mfa, d->logins - d->logins_mfa, d->logins_failed));
    struct top root = {.n = 0};
    for (size_t i = 0; i < d->nroot && i < DEMO_TOP_HTML; i++) root.v[root.n++] = d->root[i];
    text_kv(f, "root user",
            sf(d, "%" PRId64 " calls (LookupEvents Username=root)%s%s", d->root_events,
               root.n ? ": " : "", join_top(d, &root, 4, ITEM_COUNT)));
    text_kv(f, "errors",
            sf(d, "%" PRId64 " failed calls%s%s", d->ct_errors, d->errors.n ? ": " : "",
               join_top(d, &d->errors, DEMO_TOP_TEXT, ITEM_COUNT)));
    text_kv(f, "flows",
            sf(d, "%" PRId64 " records (%" PRId64 " NODATA/SKIPDATA), %" PRId64 " rejected%s%s",
               d->flows, d->flows_nodata, d->flows_rejected, d->ports.n ? ", most at ports " : "",
               join_top(d, &d->ports, DEMO_TOP_TEXT, ITEM_PAREN)));
    text_kv(f, "talkers",
            sf(d, "most bytes sent: %s", join_top(d, &d->talkers, DEMO_TOP_TEXT, ITEM_BYTES)));
    text_kv(f, "DNS",
            sf(d, "%" PRId64 " queries, %" PRId64 " NXDOMAIN%s%s", d->dns, d->dns_nx,
               d->dns_names.n ? ": " : "", join_top(d, &d->dns_names, DEMO_TOP_TEXT, ITEM_COUNT)));
    text_kv(f, "Kubernetes",
            sf(d, "%" PRId64 " audit events by %" PRId64 " users%s%s", d->k8s, d->k8s_users,
               d->k8s_top.n ? ": " : "", join_top(d, &d->k8s_top, DEMO_TOP_TEXT, ITEM_COUNT)));

    text_kv(
        f, "raw files",
        sf(d, "%" PRId64 " calls, %" PRId64 " flow records read in place by `rampart query`: %s",
           d->files_ct, d->files_flows, d->files_same ? "as in the store" : "NOT as in the store"));

    fprintf(f, "\nfindings and scoring: against %s/truth.jsonl\n", d->input);
    text_kv(f, "findings", findings_text(d));
    text_kv(f, "GuardDuty", guardduty_text(d));
    text_kv(f, "Inspector", inspector_text(d));
    text_kv(f, "Macie", macie_text(d));
    text_kv(f, "Config", config_text(d));
    text_kv(f, "truth", truth_kinds(d));
    /* on the screen recall and precision share a column: they differ only for ingest */
    const char *sc[SCORE_ROWS * 4], *ct[SCORE_ROWS * 3];
    score_table(d, sc);
    for (size_t r = 0; r < SCORE_ROWS; r++) {
        ct[r * 3] = sc[r * 4];
        ct[r * 3 + 1] = sc[r * 4 + 1];
        ct[r * 3 + 2] = r == 0 ? "recall / precision"
                        : strcmp(sc[r * 4 + 2], sc[r * 4 + 3]) == 0
                            ? sc[r * 4 + 2]
                            : sf(d, "%s / %s", sc[r * 4 + 2], sc[r * 4 + 3]);
    }
    ct[(SCORE_ROWS - 1) * 3 + 2] = completeness(d);
    text_table(f, ct, SCORE_ROWS, 3, 0);
    fprintf(f, "\nreport: %s\n", d->report);
}

/* ---- report.html --------------------------------------------------------------------------- */

/* Write s HTML-escaped: & < > " ' become entities. */
static void h(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&':
            fputs("&amp;", f);
            break;
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        case '\'':
            fputs("&#39;", f);
            break;
        default:
            fputc(*s, f);
        }
    }
}

/* <tag>escaped text</tag> */
static void h_el(FILE *f, const char *tag, const char *text)
{
    fprintf(f, "<%s>", tag);
    h(f, text);
    fprintf(f, "</%s>\n", tag);
}

/* A table: header row, then rows of ncols cells; columns whose bit is set in num are
 * right-aligned numbers. */
static void h_table(FILE *f, const char *const *cells, size_t nrows, size_t ncols, unsigned num)
{
    fputs("<table>\n<tr>", f);
    for (size_t c = 0; c < ncols; c++) {
        fputs("<th>", f);
        h(f, cells[c]);
        fputs("</th>", f);
    }
    fputs("</tr>\n", f);
    for (size_t r = 1; r < nrows; r++) {
        fputs("<tr>", f);
        for (size_t c = 0; c < ncols; c++) {
            fputs(num & (1u << c) ? "<td class=\"n\">" : "<td>", f);
            h(f, cells[r * ncols + c]);
            fputs("</td>", f);
        }
        fputs("</tr>\n", f);
    }
    fputs("</table>\n", f);
}

/* A two-column table (label, count) of t, with a caption-like heading. */
static void h_top(struct demo *d, FILE *f, const char *title, const char *col,
                  const char *count_col, const struct kv *v, size_t n, bool bytes)
{
    h_el(f, "h3", title);
    if (!n) {
        h_el(f, "p", "none");
        return;
    }
    const char *cells[(DEMO_MAX_ROOT + 1) * 2];
    cells[0] = col;
    cells[1] = count_col;
    size_t rows = 1;
    for (size_t i = 0; i < n && i < DEMO_MAX_ROOT; i++, rows++) {
        cells[rows * 2] = v[i].k;
        cells[rows * 2 + 1] = bytes ? human_bytes(d, v[i].n) : num(d, v[i].n);
    }
    h_table(f, cells, rows, 2, 0x2u);
}

static const char html_head[] =
    "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    "<title>Rampart demo report</title>\n<style>\n"
    "body{font:15px/1.45 system-ui,-apple-system,\"Segoe UI\",Roboto,sans-serif;color:#1f2328;"
    "max-width:72em;margin:2em auto;padding:0 1em}\n"
    "h1{font-size:1.7em;margin-bottom:.2em}\n"
    "h2{font-size:1.3em;border-bottom:1px solid #d0d7de;padding-bottom:.2em;margin-top:1.8em}\n"
    "h3{font-size:1.05em;margin:1.2em 0 .3em}\n"
    "table{border-collapse:collapse;margin:.4em 0 1em}\n"
    "th,td{border:1px solid #d0d7de;padding:.25em .6em;text-align:left;vertical-align:top}\n"
    "th{background:#f6f8fa}\n"
    "td.n{text-align:right;font-variant-numeric:tabular-nums}\n"
    ".ok{color:#1a7f37;font-weight:600}\n.bad{color:#cf222e;font-weight:600}\n"
    ".na{color:#9a6700}\n.small{color:#59636e;font-size:.9em}\n"
    "code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.92em}\n"
    "</style>\n</head>\n<body>\n";

static void html_body(struct demo *d, FILE *f)
{
    fputs(html_head, f);
    h_el(f, "h1", "Rampart demo");
    fputs("<p>", f);
    h(f, sf(d,
            "Seed %" PRIu64 ", %u %s, scale small. A simulated AWS estate, ingested "
            "into the store, queried, and scored against the simulator's truth. "
            "Every number on this page was computed by this run.",
            d->seed, d->days, plural(d->days, "day", "days")));
    fputs("</p>\n<p>Verdict: ", f);
    fputs(d->ok ? "<span class=\"ok\">" : "<span class=\"bad\">", f);
    h(f, d->ok ? sf(d,
                    "ok: all %" PRId64 " simulated log records are in the store, "
                    "none rejected",
                    d->written_total)
               : sf(d, "self-check failed: %s", d->why));
    fputs("</span></p>\n", f);

    /* estate */
    h_el(f, "h2", "Estate");
    fputs("<p>", f);
    h(f, sf(d, "Simulated into %s: ", d->input));
    fputs("<code>AWSLogs/</code> (the logs ingested below), side data for analyses still to "
          "come, <code>truth.jsonl</code> (what was injected) and <code>manifest.json</code> "
          "(what was written). The directory is kept so you can look at it.</p>\n",
          f);
    {
        const char *cells[(RP_SIM_MAX_ACCOUNTS + 1) * 3] = {"account", "alias", "role"};
        for (uint32_t i = 0; i < d->naccounts; i++) {
            cells[(i + 1) * 3] = d->acct_id[i];
            cells[(i + 1) * 3 + 1] = d->acct_alias[i];
            cells[(i + 1) * 3 + 2] = d->acct_role[i];
        }
        h_table(f, cells, d->naccounts + 1, 3, 0);
    }
    fputs("<p>", f);
    h(f, sf(d, "Regions: %s. Period: ", regions(d)));
    h(f, period(d));
    fputs(".</p>\n", f);
    h_top(d, f,
          sf(d, "Resources in AWS Config: %" PRId64 " current, %" PRId64 " types (top %d)",
             d->resources, d->resource_types, DEMO_TOP_HTML),
          "resource type", "resources", d->types.v, d->types.n, false);
    {
        const char *cells[(RP_SIM_MAX_SOURCES + 1) * 4] = {"source", "files", "records", "bytes"};
        size_t rows = 1;
        for (uint32_t i = 0; i < d->sim.nsources; i++, rows++) {
            const struct rp_sim_source_stats *s = &d->sim.sources[i];
            cells[rows * 4] = s->name;
            cells[rows * 4 + 1] = num(d, (int64_t)s->files);
            cells[rows * 4 + 2] = num(d, (int64_t)s->records);
            cells[rows * 4 + 3] = num(d, (int64_t)s->bytes);
        }
        h_el(f, "h3",
             sf(d, "What the simulator wrote (manifest.json): %" PRIu64 " files, %s MB in %.1f s",
                d->sim.files, mb(d, (int64_t)d->sim.bytes), (double)d->sim_ms / 1000.0));
        h_table(f, cells, rows, 4, 0xeu);
    }

    /* ingest */
    h_el(f, "h2", "Ingest");
    fputs("<p>", f);
    h(f, sf(d, "%s into the store %s.", d->logs, d->store_path));
    fputs(" <i>written</i>: records the simulator wrote; <i>read</i>: records ingest read and "
          "accounted for; <i>stored</i>: rows of the source's main table; <i>repeats</i>: "
          "records the store already had (Config snapshots repeat unchanged items); "
          "<i>complete</i>: read / written.</p>\n",
          f);
    {
        const char *cells[(NSOURCES + 2) * (INGEST_COLS + 1)];
        ingest_table(d, cells, INGEST_COLS + 1);
        h_table(f, cells, NSOURCES + 2, INGEST_COLS + 1, 0x1feu);
    }
    double secs = (double)d->ing.elapsed_ms / 1000.0;
    fputs("<p>", f);
    h(f, sf(d,
            "Time: %.1f s for %" PRId64 " files, %s MB read from disk, %s MB "
            "decoded: %.1f MB/s, %.0f records/s. Files that could not be read: "
            "%" PRId64 "; not recognised: %" PRId64 ".",
            secs, d->ing.files_seen, mb(d, d->ing.bytes_in), mb(d, d->ing.bytes_decoded),
            secs > 0 ? (double)d->ing.bytes_decoded / 1e6 / secs : 0.0,
            secs > 0 ? (double)d->ing.records / secs : 0.0, d->ing.files_failed,
            d->ing.files_unknown));
    fputs("</p>\n<p>", f);
    h(f, sf(d, "Not read (side data for analyses still to come): %s.", side_sources(d, true)));
    fputs("</p>\n", f);

    /* activity */
    h_el(f, "h2", "Activity");
    h_el(f, "p", "Computed with SQL over the store, and with the CloudTrail LookupEvents API.");
    h_top(d, f,
          sf(d, "CloudTrail: %" PRId64 " calls by %" PRId64 " principals (top %d)", d->ct_events,
             d->ct_principals, DEMO_TOP_HTML),
          "principal", "calls", d->principals.v, d->principals.n, false);
    h_el(f, "h3", "Console sign-ins");
    {
        const char *cells[] = {"console logins",
                               "with MFA",
                               "without MFA",
                               "failed",
                               num(d, d->logins),
                               num(d, d->logins_mfa),
                               num(d, d->logins - d->logins_mfa),
                               num(d, d->logins_failed)};
        h_table(f, cells, 2, 4, 0xfu);
    }
    h_top(d, f,
          sf(d, "The root user: %" PRId64 " calls (LookupEvents Username=root)", d->root_events),
          "event name", "calls", d->root, d->nroot, false);
    h_top(d, f,
          sf(d, "Failed calls: %" PRId64 " (top %d error codes)", d->ct_errors, DEMO_TOP_HTML),
          "errorCode", "calls", d->errors.v, d->errors.n, false);
    h_top(d, f,
          sf(d,
             "VPC flow logs: %" PRId64 " records, %" PRId64 " NODATA/SKIPDATA, %" PRId64
             " rejected (top destination ports)",
             d->flows, d->flows_nodata, d->flows_rejected),
          "port", "rejected flows", d->ports.v, d->ports.n, false);
    h_top(d, f, "Top talkers (bytes in flow records, by source address)", "source address", "bytes",
          d->talkers.v, d->talkers.n, true);
    h_top(d, f,
          sf(d, "DNS: %" PRId64 " queries, %" PRId64 " NXDOMAIN (top names)", d->dns, d->dns_nx),
          "query name", "queries", d->dns_names.v, d->dns_names.n, false);
    h_top(d, f,
          sf(d, "Kubernetes: %" PRId64 " audit events by %" PRId64 " users", d->k8s, d->k8s_users),
          "user", "events", d->k8s_top.v, d->k8s_top.n, false);

    /* findings and scoring */
    h_el(f, "h2", "Findings and scoring");
    fputs("<p>Findings: <b>", f);
    h(f, findings_text(d));
    fputs("</b>.</p>\n<p>Config: ", f);
    h(f, config_text(d));
    fputs(".</p>\n<p>Inspector: ", f);
    h(f, inspector_text(d));
    fputs(".</p>\n<p>Macie: ", f);
    h(f, macie_text(d));
    fputs(".</p>\n<p>", f);
    h(f, sf(d, "Truth (%s/truth.jsonl): %s.", d->input, truth_kinds(d)));
    fputs(" Recall and precision are reported for an analysis once it exists; until then they "
          "are <i>not available</i>, not 0 %.</p>\n",
          f);
    {
        const char *cells[SCORE_ROWS * 4];
        score_table(d, cells);
        h_table(f, cells, SCORE_ROWS, 4, 0);
    }

    /* truth */
    h_el(f, "h2", "Truth: injected scenarios");
    h_el(f, "p",
         "One row per line of truth.jsonl, in time order. The last column says how each "
         "will be scored.");
    fputs("<table>\n<tr><th>id</th><th>kind</th><th>MITRE</th><th>window (UTC)</th>"
          "<th>expected</th><th>scored</th></tr>\n",
          f);
    for (size_t i = 0; i < d->ntruth; i++) {
        const struct truth_line *t = &d->truth[i];
        fputs("<tr><td>", f);
        h(f, t->id);
        fputs("</td><td>", f);
        h(f,
          t->kind >= 0 && (size_t)t->kind < RP_ARRAY_LEN(kind_names) ? kind_names[t->kind] : "?");
        fputs("</td><td>", f);
        h(f, t->mitre ? t->mitre : "");
        fputs("</td><td>", f);
        h(f, t->start ? t->start : "?");
        fputs(" &ndash; ", f);
        h(f, t->end ? t->end : "?");
        fputs("</td><td>", f);
        struct rp_buf iss;
        rp_buf_init(&iss, 0);
        int nissues = 0;
        if (t->expect_none) h(f, "no finding");
        for (int c = 0; c < NCAPS; c++) {
            if (!t->nids[c]) continue;
            fputs("<div>", f);
            h(f, sf(d, "%s: %s", demo_caps[c].name, t->ids[c]));
            fputs("</div>", f);
            if (rp_buf_printf(&iss, "%s#%d", nissues++ ? ", " : "", demo_caps[c].issue)) break;
        }
        fputs("</td><td class=\"na\">", f);
        if (!nissues)
            h(f, not_available(d, demo_caps[CAP_GUARDDUTY].issue));
        else
            h(f, sf(d, "not available (%s %s)", nissues == 1 ? "issue" : "issues",
                    iss.data ? iss.data : ""));
        rp_buf_release(&iss);
        fputs("</td></tr>\n", f);
    }
    fputs("</table>\n", f);
    fputs("<p class=\"small\">", f);
    h(f, sf(d,
            "Made by rampart %s%s%sdemo --out %s --seed %" PRIu64 " --days %u. The same "
            "seed and days give the same estate and the same numbers (except times and "
            "sizes).",
            d->ctx->db_given ? "--db " : "", d->ctx->db_given ? d->store_path : "",
            d->ctx->db_given ? " " : "", d->dir, d->seed, d->days));
    fputs("</p>\n</body>\n</html>\n", f);
}

static rp_err write_report(struct demo *d)
{
    const char *tmp = rp_arena_printf(&d->a, "%s.tmp", d->report);
    if (!tmp) return rp_fail(&d->eb, RP_ENOMEM, "out of memory");
    FILE *f = fopen(tmp, "w");
    if (!f) return rp_fail(&d->eb, RP_EIO, "cannot write '%s': %s", tmp, strerror(errno));
    html_body(d, f);
    bool bad = ferror(f) != 0;
    if (fclose(f) != 0) bad = true;
    if (bad || rename(tmp, d->report) != 0) {
        int err = errno;
        (void)unlink(tmp);
        return rp_fail(&d->eb, RP_EIO, "cannot write '%s': %s", d->report, strerror(err));
    }
    return RP_OK;
}

/* ---- the verb ------------------------------------------------------------------------------ */

static int parse_u64(const char *name, const char *v, uint64_t lo, uint64_t hi, uint64_t *out)
{
    uint64_t u;
    if (rp_str_to_u64(rp_str_from(v), &u) != RP_OK || u < lo || u > hi)
        return rp_cmd_usage_error(VERB, "option '%s' wants a number from %llu to %llu, not '%s'",
                                  name, (unsigned long long)lo, (unsigned long long)hi, v);
    *out = u;
    return RP_EXIT_OK;
}

static void phase(struct demo *d, const char *what)
{
    if (d->progress) fprintf(stderr, "\r\033[Kdemo: %s", what);
}

int rp_cmd_demo(struct rp_cmd_ctx *ctx, int argc, char **argv)
{
    const char *dir = "rampart-demo";
    uint64_t seed = 1, days = DEMO_DAYS;
    int rc = RP_EXIT_OK;
    for (int i = 1; i < argc && rc == RP_EXIT_OK; i++) {
        static const char *const opts[] = {"--out", "--seed", "--days"};
        const char *v = NULL;
        size_t k;
        int m = 0;
        for (k = 0; k < RP_ARRAY_LEN(opts); k++)
            if ((m = rp_cmd_opt_value(opts[k], argc, argv, &i, &v))) break;
        if (m < 0)
            rc = rp_cmd_usage_error(VERB, "option '%s' needs a value", opts[k]);
        else if (m == 0)
            rc = rp_cmd_usage_error(VERB, "unknown argument '%s'", argv[i]);
        else if (k == 0 && !*v)
            rc = rp_cmd_usage_error(VERB, "option '--out' wants a directory");
        else if (k == 0)
            dir = v;
        else if (k == 1)
            rc = parse_u64("--seed", v, 0, UINT64_MAX, &seed);
        else
            rc = parse_u64("--days", v, 1, DEMO_MAX_DAYS, &days);
    }
    if (rc != RP_EXIT_OK) return rc;

    struct demo *d = calloc(1, sizeof *d);
    if (!d) return rp_cmd_error(VERB, "out of memory");
    d->ctx = ctx;
    d->seed = seed;
    d->days = (uint32_t)days;
    d->progress = ctx->verbosity >= 0 && isatty(STDERR_FILENO);
    d->t0_ms = rp_time_now_ms();
    rp_arena_init(&d->a, 0);
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/') n--; /* "out/" names the same directory as "out" */
    rp_err e = RP_OK;
    d->dir = rp_arena_memdup(&d->a, dir, n);
    if (!d->dir || !(d->input = rp_arena_printf(&d->a, "%.*s/input", (int)n, dir)) ||
        !(d->logs = rp_arena_printf(&d->a, "%s/AWSLogs", d->input)) ||
        !(d->report = rp_arena_printf(&d->a, "%.*s/report.html", (int)n, dir)) ||
        !(d->mark = rp_arena_printf(&d->a, "%.*s/%s", (int)n, dir, DEMO_MARK)) ||
        !(d->store_path = ctx->db_given ? ctx->db_path
                                        : rp_arena_printf(&d->a, "%.*s/rampart.db", (int)n, dir))) {
        e = rp_fail(&d->eb, RP_ENOMEM, "out of memory");
        goto fail;
    }

    if ((e = prepare_dir(d))) goto fail;
    phase(d, "simulating ...");
    if ((e = simulate(d))) goto fail;
    phase(d, "ingesting ...");
    if ((e = rp_store_new(d->store_path, RP_STORE_RDWR, &d->st, &d->eb))) goto fail;
    if ((e = ingest(d))) goto fail;
    phase(d, "querying the store ...");
    if ((e = ingest_counts(d)) || (e = activity(d))) goto fail;
    phase(d, "querying the files in place ...");
    if ((e = files_in_place(d))) goto fail;
    phase(d, "scoring ...");
    if ((e = read_truth(d))) goto fail;
    if ((e = inspector(d))) goto fail;
    if ((e = macie(d))) goto fail;
    phase(d, "evaluating Config rules ...");
    if ((e = config_rules(d))) goto fail;
    phase(d, "detecting threats ...");
    if ((e = guardduty(d))) goto fail;
    if (d->progress) fputs("\r\033[K", stderr);
    judge(d);
    print_text(d);
    if ((e = write_report(d))) goto fail;
    if (d->ok) {
        fprintf(ctx->out,
                "demo: ok: all %" PRId64 " simulated log records are in the store, none rejected; "
                "done in %.1f s\n",
                d->written_total, (double)(rp_time_now_ms() - d->t0_ms) / 1000.0);
    } else {
        fflush(ctx->out);
        rc = rp_cmd_error(VERB, "self-check failed: %s", d->why);
    }
    goto done;

fail:
    if (d->progress) fputs("\r\033[K", stderr);
    {
        const char *m = rp_errbuf_msg(&d->eb, e);
        if (strncmp(m, "simulate: ", 10) == 0) m += 10;
        if (strncmp(m, "ingest: ", 8) == 0) m += 8;
        rc = rp_cmd_error(VERB, "%s", m);
    }
done:
    rp_store_free(d->st);
    rp_arena_release(&d->a);
    free(d);
    return rc;
}
