/* SPDX-License-Identifier: Apache-2.0 */
/* rp_sim driver (sim_gen.h): owns a simulation run: copies the options, builds the world,
 * prepares the output directory, plans the selected scenarios, then calls every generator's
 * begin/hour/end hooks in registry order hour by hour, firing scheduled events first and
 * writing the hour's record streams last; finally writes truth.jsonl and manifest.json.
 *
 * Determinism: single-threaded; events are ordered by (time, scheduling order); truth lines are
 * sorted by (start, id); nothing reads the clock or the environment. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sim/sim_internal.h"
#include "core/rp_json.h"
#include "core/rp_str.h"
#include "core/rp_time.h"
#include "core/rp_banned.h"

struct sim_event {
    int64_t at;
    uint64_t seq;
    rp_sim_event_fn fn;
    void *ctx;
};

struct sim_truth {
    int64_t start;
    char *id;
    char *json; /* one line, no newline */
};

/* ---- options and output directory ---------------------------------------------------------- */

static size_t gen_count(void)
{
    size_t n = 0;
    while (rp_sim_gens[n]) n++;
    return n;
}

static const struct rp_sim_scenario *scenario_find(const char *id, size_t len)
{
    for (size_t i = 0; rp_sim_scenarios[i]; i++)
        if (strlen(rp_sim_scenarios[i]->id) == len && memcmp(rp_sim_scenarios[i]->id, id, len) == 0)
            return rp_sim_scenarios[i];
    return NULL;
}

static rp_err check_scenarios(const char *list, struct rp_errbuf *eb)
{
    if (!list || strcmp(list, "all") == 0 || strcmp(list, "none") == 0) return RP_OK;
    struct rp_str rest = rp_str_from(list), tok;
    size_t n = 0;
    while (rp_str_split_next(&rest, ',', &tok)) {
        tok = rp_str_trim(tok);
        if (tok.len == 0) continue;
        if (!scenario_find(tok.p, tok.len))
            return rp_fail(eb, RP_EINVAL,
                           "simulate: unknown scenario '%.*s' (see --list-scenarios)", (int)tok.len,
                           tok.p);
        n++;
    }
    if (n == 0) return rp_fail(eb, RP_EINVAL, "simulate: empty scenario list");
    return RP_OK;
}

static bool in_list(const char *list, const char *id)
{
    struct rp_str rest = rp_str_from(list), tok;
    while (rp_str_split_next(&rest, ',', &tok)) {
        tok = rp_str_trim(tok);
        if (tok.len == strlen(id) && memcmp(tok.p, id, tok.len) == 0) return true;
    }
    return false;
}

static rp_err check_generators(const char *list, struct rp_errbuf *eb)
{
    if (!list) return RP_OK;
    struct rp_str rest = rp_str_from(list), tok;
    while (rp_str_split_next(&rest, ',', &tok)) {
        tok = rp_str_trim(tok);
        if (tok.len == 0) continue;
        bool found = false;
        for (size_t i = 0; rp_sim_gens[i] && !found; i++)
            found = strlen(rp_sim_gens[i]->name) == tok.len &&
                    memcmp(rp_sim_gens[i]->name, tok.p, tok.len) == 0;
        if (!found)
            return rp_fail(eb, RP_EINVAL, "simulate: unknown generator '%.*s'", (int)tok.len,
                           tok.p);
    }
    return RP_OK;
}

bool rp_sim_run_scenario_enabled(const struct rp_sim_run *run, const char *id)
{
    const char *list = run->opts->scenarios;
    if (!list || strcmp(list, "all") == 0) return true;
    if (strcmp(list, "none") == 0) return false;
    return in_list(list, id);
}

static rp_err prepare_dir(const char *dir, struct rp_errbuf *eb)
{
    struct stat st;
    if (stat(dir, &st) == 0) {
        if (!S_ISDIR(st.st_mode))
            return rp_fail(eb, RP_EEXIST, "simulate: '%s' exists and is not a directory", dir);
        DIR *d = opendir(dir);
        if (!d) return rp_fail(eb, RP_EIO, "simulate: cannot open '%s': %s", dir, strerror(errno));
        struct dirent *de;
        bool empty = true;
        while ((de = readdir(d)) != NULL)
            if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0) empty = false;
        closedir(d);
        if (!empty)
            return rp_fail(eb, RP_EEXIST, "simulate: output directory '%s' is not empty", dir);
        return RP_OK;
    }
    /* mkdir -p */
    size_t n = strlen(dir);
    char *p = malloc(n + 1);
    if (!p) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    memcpy(p, dir, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (p[i] != '/' && p[i] != '\0') continue;
        char c = p[i];
        p[i] = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            int err = errno;
            p[i] = c;
            free(p);
            return rp_fail(eb, RP_EIO, "simulate: cannot create '%s': %s", dir, strerror(err));
        }
        p[i] = c;
    }
    free(p);
    return RP_OK;
}

static char *dupstr(const char *s, char **pos)
{
    if (!s) return NULL;
    size_t n = strlen(s) + 1;
    char *d = *pos;
    memcpy(d, s, n);
    *pos += n;
    return d;
}

rp_err rp_sim_run_new(const struct rp_sim_opts *o, struct rp_sim_run **out, struct rp_errbuf *eb)
{
    *out = NULL;
    if (!o->out_dir || !*o->out_dir)
        return rp_fail(eb, RP_EINVAL, "simulate: no output directory (--out DIR)");
    rp_err e = check_scenarios(o->scenarios, eb);
    if (e == RP_OK) e = check_generators(o->generators, eb);
    if (e != RP_OK) return e;
    struct rp_sim_run *run = calloc(1, sizeof(*run));
    if (!run) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    run->priv = calloc(1, sizeof(*run->priv));
    if (!run->priv) {
        free(run);
        return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    }
    struct rp_sim_run_priv *p = run->priv;
    p->opts = *o;
    const char *scen = o->scenarios ? o->scenarios : "all";
    size_t need = (o->regions ? strlen(o->regions) + 1 : 0) + strlen(scen) + 1 +
                  strlen(o->out_dir) + 1 + (o->generators ? strlen(o->generators) + 1 : 0);
    p->strs = malloc(need);
    if (!p->strs) {
        rp_sim_run_free(run);
        return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    }
    char *pos = p->strs;
    p->opts.regions = dupstr(o->regions, &pos);
    p->opts.scenarios = dupstr(scen, &pos);
    p->opts.out_dir = dupstr(o->out_dir, &pos);
    p->opts.generators = dupstr(o->generators, &pos);
    run->opts = &p->opts;
    run->seed = o->seed;

    if ((e = rp_sim_world_new(&p->opts, &run->world, eb)) != RP_OK) {
        rp_sim_run_free(run);
        return e;
    }
    run->start_ms = run->world->start_ms;
    run->end_ms = run->world->end_ms;
    run->attack_ms = run->world->attack_ms;
    run->hour_ms = run->start_ms;

    if ((e = prepare_dir(p->opts.out_dir, eb)) != RP_OK ||
        (e = rp_sim_out_new(p->opts.out_dir, &p->out, eb)) != RP_OK) {
        rp_sim_run_free(run);
        return e;
    }
    p->streams = rp_sim_streams_new();
    p->ngens = gen_count();
    p->gen_state = calloc(p->ngens ? p->ngens : 1, sizeof(void *));
    if (!p->streams || !p->gen_state) {
        rp_sim_run_free(run);
        return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    }
    for (size_t i = 0; i < p->ngens; i++) {
        if (p->opts.generators && !in_list(p->opts.generators, rp_sim_gens[i]->name)) continue;
        p->gen_state[i] = calloc(1, rp_sim_gens[i]->state_size ? rp_sim_gens[i]->state_size : 1);
        if (!p->gen_state[i]) {
            rp_sim_run_free(run);
            return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
        }
    }
    *out = run;
    return RP_OK;
}

void rp_sim_run_free(struct rp_sim_run *run)
{
    if (!run) return;
    struct rp_sim_run_priv *p = run->priv;
    if (p) {
        if (p->gen_state) {
            for (size_t i = 0; i < p->ngens; i++) {
                if (p->gen_state[i] && rp_sim_gens[i]->release)
                    rp_sim_gens[i]->release(run, p->gen_state[i]);
                free(p->gen_state[i]);
            }
            free(p->gen_state);
        }
        rp_sim_streams_free(p->streams);
        rp_sim_out_free(p->out);
        free(p->events);
        for (size_t i = 0; i < p->ntruth; i++) {
            free(p->truth[i].id);
            free(p->truth[i].json);
        }
        free(p->truth);
        free(p->strs);
        free(p);
    }
    rp_sim_world_free(run->world);
    free(run);
}

void *rp_sim_run_gen_state(struct rp_sim_run *run, const struct rp_sim_gen *g)
{
    for (size_t i = 0; i < run->priv->ngens; i++)
        if (rp_sim_gens[i] == g) return run->priv->gen_state[i];
    return NULL;
}

void rp_sim_run_rng(const struct rp_sim_run *run, struct rp_sim_rng *r, const char *stream)
{
    rp_sim_rng_init(r, run->seed, stream);
}

/* ---- timed events (binary heap) ---------------------------------------------------------- */

static bool ev_less(const struct sim_event *a, const struct sim_event *b)
{
    return a->at != b->at ? a->at < b->at : a->seq < b->seq;
}

rp_err rp_sim_run_schedule(struct rp_sim_run *run, int64_t at_ms, rp_sim_event_fn fn, void *ctx,
                           struct rp_errbuf *eb)
{
    struct rp_sim_run_priv *p = run->priv;
    if (!fn) return rp_fail(eb, RP_EINVAL, "simulate: event without a function");
    if (p->nevents == p->capevents) {
        size_t ncap = p->capevents ? p->capevents * 2 : 64;
        struct sim_event *ev = realloc(p->events, ncap * sizeof(*ev));
        if (!ev) return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
        p->events = ev;
        p->capevents = ncap;
    }
    size_t i = p->nevents++;
    p->events[i] = (struct sim_event){at_ms, p->event_seq++, fn, ctx};
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!ev_less(&p->events[i], &p->events[parent])) break;
        struct sim_event t = p->events[i];
        p->events[i] = p->events[parent];
        p->events[parent] = t;
        i = parent;
    }
    return RP_OK;
}

static struct sim_event ev_pop(struct rp_sim_run_priv *p)
{
    struct sim_event top = p->events[0];
    p->events[0] = p->events[--p->nevents];
    size_t i = 0;
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < p->nevents && ev_less(&p->events[l], &p->events[m])) m = l;
        if (r < p->nevents && ev_less(&p->events[r], &p->events[m])) m = r;
        if (m == i) break;
        struct sim_event t = p->events[i];
        p->events[i] = p->events[m];
        p->events[m] = t;
        i = m;
    }
    return top;
}

/* ---- changes --------------------------------------------------------------------------------- */

rp_err rp_sim_world_changed(struct rp_sim_run *run, struct rp_sim_ref ref, int64_t at_ms,
                            enum rp_sim_change change, const char *related_event_id,
                            struct rp_errbuf *eb)
{
    struct rp_sim_res *res = rp_sim_world_res(run->world, ref);
    if (!res) return rp_fail(eb, RP_EINVAL, "simulate: change of an unknown entity");
    if (change == RP_SIM_CHANGE_DELETE && !res->deleted_ms) res->deleted_ms = at_ms;
    void *st = rp_sim_run_gen_state(run, &rp_sim_gen_config);
    if (!st) return RP_OK;
    return rp_sim_config_capture(run, st, ref, at_ms, change, related_event_id, eb);
}

/* ---- truth ------------------------------------------------------------------------------------
 */

static void write_list(struct rp_json_writer *jw, const char *key, const char *const *v, size_t n)
{
    rp_json_write_key(jw, key, strlen(key));
    rp_json_write_arr_begin(jw);
    for (size_t i = 0; i < n; i++) rp_json_write_cstr(jw, v[i]);
    rp_json_write_arr_end(jw);
}

rp_err rp_sim_truth_add(struct rp_sim_run *run, const struct rp_sim_truth *t, struct rp_errbuf *eb)
{
    struct rp_sim_run_priv *p = run->priv;
    if (!t->id || !*t->id || !t->scenario || !*t->scenario)
        return rp_fail(eb, RP_EINVAL, "simulate: truth line without id or scenario");
    if (t->end_ms < t->start_ms)
        return rp_fail(eb, RP_EINVAL, "simulate: truth '%s' ends before it starts", t->id);
    for (size_t i = 0; i < p->ntruth; i++)
        if (strcmp(p->truth[i].id, t->id) == 0)
            return rp_fail(eb, RP_EEXIST, "simulate: truth id '%s' used twice", t->id);
    struct rp_buf b;
    rp_buf_init(&b, 1 << 20);
    struct rp_json_writer jw;
    rp_json_writer_init(&jw, &b);
    char ts[RP_TIME_ISO_BUFSZ];
    rp_json_write_obj_begin(&jw);
    rp_json_write_kv_cstr(&jw, "id", t->id);
    rp_json_write_kv_cstr(&jw, "scenario", t->scenario);
    rp_json_write_kv_cstr(&jw, "mitre", t->mitre); /* null when none */
    rp_json_write_kv_cstr(&jw, "expect", t->expect_none ? "none" : "finding");
    write_list(&jw, "guardduty", t->guardduty, t->nguardduty);
    write_list(&jw, "config_rules", t->config_rules, t->nconfig_rules);
    write_list(&jw, "macie", t->macie, t->nmacie);
    write_list(&jw, "cves", t->cves, t->ncves);
    write_list(&jw, "entities", t->entities, t->nentities);
    rp_json_write_key(&jw, "window", 6);
    rp_json_write_obj_begin(&jw);
    rp_sim_iso_s(t->start_ms, ts, sizeof(ts));
    rp_json_write_kv_cstr(&jw, "start", ts);
    rp_sim_iso_s(t->end_ms, ts, sizeof(ts));
    rp_json_write_kv_cstr(&jw, "end", ts);
    rp_json_write_obj_end(&jw);
    if (t->note) rp_json_write_kv_cstr(&jw, "note", t->note);
    rp_json_write_obj_end(&jw);
    rp_err e = rp_json_writer_finish(&jw);
    if (e != RP_OK) {
        rp_buf_release(&b);
        return rp_fail(eb, e, "simulate: cannot render truth '%s'", t->id);
    }
    if (p->ntruth == p->captruth) {
        size_t ncap = p->captruth ? p->captruth * 2 : 32;
        struct sim_truth *nt = realloc(p->truth, ncap * sizeof(*nt));
        if (!nt) {
            rp_buf_release(&b);
            return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
        }
        p->truth = nt;
        p->captruth = ncap;
    }
    size_t idlen = strlen(t->id);
    char *id = malloc(idlen + 1);
    if (!id) {
        rp_buf_release(&b);
        return rp_fail(eb, RP_ENOMEM, "simulate: out of memory");
    }
    memcpy(id, t->id, idlen + 1);
    p->truth[p->ntruth++] = (struct sim_truth){t->start_ms, id, rp_buf_take(&b, NULL)};
    return RP_OK;
}

static int truth_cmp(const void *pa, const void *pb)
{
    const struct sim_truth *a = pa, *b = pb;
    if (a->start != b->start) return a->start < b->start ? -1 : 1;
    return strcmp(a->id, b->id);
}

static rp_err write_truth(struct rp_sim_run *run, struct rp_errbuf *eb)
{
    struct rp_sim_run_priv *p = run->priv;
    if (p->ntruth) qsort(p->truth, p->ntruth, sizeof(*p->truth), truth_cmp);
    struct rp_sim_file *f = NULL;
    rp_err e = rp_sim_out_open(run, "truth", "truth.jsonl", RP_SIM_OUT_PLAIN, &f, eb);
    if (e != RP_OK) return e;
    for (size_t i = 0; i < p->ntruth && e == RP_OK; i++) {
        e = rp_sim_file_write(f, p->truth[i].json, strlen(p->truth[i].json), eb);
        if (e == RP_OK) e = rp_sim_file_write(f, "\n", 1, eb);
    }
    rp_sim_file_add_records(f, p->ntruth);
    rp_err e2 = rp_sim_file_close(f, eb);
    return e != RP_OK ? e : e2;
}

/* ---- manifest ----------------------------------------------------------------------------------
 */

static int src_cmp(const void *pa, const void *pb)
{
    return strcmp(((const struct rp_sim_source_stats *)pa)->name,
                  ((const struct rp_sim_source_stats *)pb)->name);
}

static rp_err write_manifest(struct rp_sim_run *run, struct rp_sim_stats *stats,
                             struct rp_errbuf *eb)
{
    const struct rp_sim_world *w = run->world;
    const struct rp_sim_opts *o = run->opts;
    struct rp_buf b;
    rp_buf_init(&b, 16 << 20);
    struct rp_json_writer jw;
    rp_json_writer_init(&jw, &b);
    char ts[RP_TIME_ISO_BUFSZ];
    rp_json_write_obj_begin(&jw);
    rp_json_write_kv_cstr(&jw, "generator", "rampart simulate");
    rp_json_write_kv_int(&jw, "manifest_version", 1);
    rp_json_write_kv_uint(&jw, "seed", o->seed);
    rp_json_write_key(&jw, "options", 7);
    rp_json_write_obj_begin(&jw);
    rp_json_write_kv_uint(&jw, "accounts", w->naccounts);
    rp_json_write_key(&jw, "regions", 7);
    rp_json_write_arr_begin(&jw);
    for (uint32_t i = 0; i < w->nregions; i++) rp_json_write_cstr(&jw, w->regions[i]);
    rp_json_write_arr_end(&jw);
    rp_json_write_kv_uint(&jw, "days", o->days);
    rp_json_write_kv_uint(&jw, "learn_days", rp_sim_learn_days(o));
    rp_json_write_kv_cstr(&jw, "scale", rp_sim_scale_name(o->scale));
    rp_json_write_kv_cstr(&jw, "scenarios", o->scenarios);
    rp_json_write_kv_cstr(&jw, "generators", o->generators ? o->generators : "all");
    rp_json_write_obj_end(&jw);
    rp_json_write_key(&jw, "period", 6);
    rp_json_write_obj_begin(&jw);
    rp_sim_iso_s(w->start_ms, ts, sizeof(ts));
    rp_json_write_kv_cstr(&jw, "start", ts);
    rp_sim_iso_s(w->end_ms, ts, sizeof(ts));
    rp_json_write_kv_cstr(&jw, "end", ts);
    rp_sim_iso_s(w->attack_ms, ts, sizeof(ts));
    rp_json_write_kv_cstr(&jw, "attacks_from", ts);
    rp_json_write_obj_end(&jw);
    rp_json_write_key(&jw, "world", 5);
    rp_json_write_obj_begin(&jw);
    rp_json_write_kv_cstr(&jw, "company", w->company);
    rp_json_write_kv_cstr(&jw, "organization", w->org_id);
    rp_json_write_key(&jw, "accounts", 8);
    rp_json_write_arr_begin(&jw);
    for (uint32_t i = 0; i < w->naccounts; i++) {
        rp_json_write_obj_begin(&jw);
        rp_json_write_kv_cstr(&jw, "id", w->accounts[i].res.id);
        rp_json_write_kv_cstr(&jw, "alias", w->accounts[i].res.name);
        rp_json_write_kv_cstr(&jw, "role", w->accounts[i].role_label);
        rp_json_write_obj_end(&jw);
    }
    rp_json_write_arr_end(&jw);
    rp_json_write_key(&jw, "entities", 8);
    rp_json_write_obj_begin(&jw);
    for (int k = 0; k < RP_SIM_K__COUNT; k++)
        rp_json_write_kv_uint(&jw, rp_sim_kind_info((enum rp_sim_kind)k)->name,
                              rp_sim_world_count(w, (enum rp_sim_kind)k));
    rp_json_write_obj_end(&jw);
    rp_json_write_obj_end(&jw);

    struct rp_sim_stats *st = rp_sim_out_stats(run->priv->out);
    if (st->nsources) qsort(st->sources, st->nsources, sizeof(st->sources[0]), src_cmp);
    rp_json_write_kv_uint(&jw, "files", st->files);
    rp_json_write_kv_uint(&jw, "bytes", st->bytes);
    rp_json_write_kv_uint(&jw, "records", st->records);
    rp_json_write_key(&jw, "sources", 7);
    rp_json_write_obj_begin(&jw);
    for (uint32_t i = 0; i < st->nsources; i++) {
        rp_json_write_key(&jw, st->sources[i].name, strlen(st->sources[i].name));
        rp_json_write_obj_begin(&jw);
        rp_json_write_kv_uint(&jw, "files", st->sources[i].files);
        rp_json_write_kv_uint(&jw, "bytes", st->sources[i].bytes);
        rp_json_write_kv_uint(&jw, "records", st->sources[i].records);
        rp_json_write_obj_end(&jw);
    }
    rp_json_write_obj_end(&jw);
    size_t nreg = 0;
    while (rp_sim_scenarios[nreg]) nreg++;
    rp_json_write_key(&jw, "scenarios", 9);
    rp_json_write_obj_begin(&jw);
    rp_json_write_kv_uint(&jw, "registered", nreg);
    rp_json_write_kv_uint(&jw, "planned", run->priv->scenarios_planned);
    rp_json_write_kv_uint(&jw, "truth_lines", run->priv->ntruth);
    rp_json_write_obj_end(&jw);
    rp_json_write_obj_end(&jw);
    rp_err e = rp_json_writer_finish(&jw);
    if (e == RP_OK) e = rp_buf_putc(&b, '\n');
    if (e != RP_OK) {
        rp_buf_release(&b);
        return rp_fail(eb, e, "simulate: cannot render manifest.json");
    }
    if (stats) {
        *stats = *st;
        stats->truth_lines = (uint32_t)run->priv->ntruth;
        stats->scenarios_planned = run->priv->scenarios_planned;
    }
    /* the manifest describes the other files and is not counted in itself */
    struct rp_sim_stats saved = *st;
    e = rp_sim_out_put(run, "manifest", "manifest.json", RP_SIM_OUT_PLAIN, b.data, b.len, 0, eb);
    *st = saved;
    rp_buf_release(&b);
    return e;
}

/* ---- driver -----------------------------------------------------------------------------------
 */

rp_err rp_sim_run_all(struct rp_sim_run *run, struct rp_sim_stats *stats, struct rp_errbuf *eb)
{
    struct rp_sim_run_priv *p = run->priv;
    if (p->ran) return rp_fail(eb, RP_EINVAL, "simulate: a run can be started only once");
    p->ran = true;
    rp_err e = RP_OK;

    for (size_t i = 0; rp_sim_scenarios[i] && e == RP_OK; i++) {
        const struct rp_sim_scenario *s = rp_sim_scenarios[i];
        if (!rp_sim_run_scenario_enabled(run, s->id) || !s->plan) continue;
        run->hour_ms = run->start_ms;
        e = s->plan(run, s, eb);
        p->scenarios_planned++;
    }
    for (size_t i = 0; i < p->ngens && e == RP_OK; i++)
        if (p->gen_state[i] && rp_sim_gens[i]->begin)
            e = rp_sim_gens[i]->begin(run, p->gen_state[i], eb);

    for (int64_t h = run->start_ms; h < run->end_ms && e == RP_OK; h += RP_TIME_MS_PER_HOUR) {
        run->hour_ms = h;
        while (e == RP_OK && p->nevents && p->events[0].at < h + RP_TIME_MS_PER_HOUR) {
            struct sim_event ev = ev_pop(p);
            int64_t at = ev.at < h ? h : ev.at;
            e = ev.fn(run, at, ev.ctx, eb);
        }
        for (size_t i = 0; i < p->ngens && e == RP_OK; i++)
            if (p->gen_state[i] && rp_sim_gens[i]->hour)
                e = rp_sim_gens[i]->hour(run, p->gen_state[i], h, eb);
        if (e == RP_OK) e = rp_sim_stream_flush_hour(run, eb);
    }
    run->hour_ms = run->end_ms;
    for (size_t i = 0; i < p->ngens && e == RP_OK; i++)
        if (p->gen_state[i] && rp_sim_gens[i]->end)
            e = rp_sim_gens[i]->end(run, p->gen_state[i], eb);
    if (e == RP_OK) e = write_truth(run, eb);
    if (e == RP_OK) e = write_manifest(run, stats, eb);
    return e;
}
