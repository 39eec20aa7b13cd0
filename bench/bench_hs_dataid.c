/* SPDX-License-Identifier: Apache-2.0 */
/* bench_hs_dataid: Hyperscan alone, the limit line of the sensitive-data benchmark
 * (bench/discover.sh, issue 8), and the extractor of the identifiers' patterns.
 *
 *     bench_hs_dataid --extract DATADIR        print "ID<TAB>PATTERN" for every *.yaml under
 *                                              DATADIR (data/dataid), sorted by path; PATTERN is
 *                                              the file's regex, prefixed "(?i)" when caseless
 *     bench_hs_dataid PATTERNS PATH...         compile PATTERNS into one Hyperscan block-mode
 *                                              database and scan every file under PATH
 *     bench_hs_dataid --each PATTERNS FILE...  where the time goes: each pattern compiled
 *                                              alone and scanned over the FILEs (held in
 *                                              memory), slowest first
 *
 * PATTERNS has one pattern a line, "ID<TAB>PATTERN" or just PATTERN; a leading "(?i)" is
 * stripped and sets HS_FLAG_CASELESS. No SOM, no other flag: each match end is counted. A
 * pattern Hyperscan refuses is dropped and named on stderr. Each file is read whole into one
 * buffer and scanned with one hs_scan call; the scan time (hs_scan only) gives MB/s. Output:
 * key=value lines on stdout, then the 15 patterns with most matches. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <hs/hs.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <yaml.h>

#include "core/rp_banned.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fprintf(stderr, "bench_hs_dataid: out of memory\n");
        exit(1);
    }
    return q;
}

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = xrealloc(NULL, n);
    memcpy(d, s, n);
    return d;
}

/* ---- file lists ----------------------------------------------------------------------------- */

struct list {
    char **v;
    size_t n, cap;
};

static void list_add(struct list *l, char *s)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 64;
        l->v = xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = s;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* every regular file under path (or path itself), appended to l */
static void walk(const char *path, struct list *l)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "bench_hs_dataid: %s: %s\n", path, strerror(errno));
        exit(1);
    }
    if (S_ISREG(st.st_mode)) {
        list_add(l, xstrdup(path));
        return;
    }
    if (!S_ISDIR(st.st_mode)) return;
    DIR *d = opendir(path);
    if (!d) {
        fprintf(stderr, "bench_hs_dataid: %s: %s\n", path, strerror(errno));
        exit(1);
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        size_t n = strlen(path) + strlen(e->d_name) + 2;
        char *p = xrealloc(NULL, n);
        snprintf(p, n, "%s/%s", path, e->d_name);
        walk(p, l);
        free(p);
    }
    closedir(d);
}

static char *read_file(const char *path, size_t *len, char *buf, size_t *cap)
{
    int fd = open(path, O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        fprintf(stderr, "bench_hs_dataid: %s: %s\n", path, strerror(errno));
        exit(1);
    }
    size_t n = (size_t)st.st_size;
    if (n > *cap) {
        *cap = n;
        buf = xrealloc(buf, n);
    }
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, buf + got, n - got);
        if (r <= 0) {
            fprintf(stderr, "bench_hs_dataid: %s: short read\n", path);
            exit(1);
        }
        got += (size_t)r;
    }
    close(fd);
    *len = n;
    return buf;
}

/* ---- --extract ------------------------------------------------------------------------------ */

/* the top-level scalars id, regex and caseless of one identifier file */
static int extract_one(const char *path)
{
    size_t n = 0, cap = 0;
    char *text = read_file(path, &n, NULL, &cap);
    yaml_parser_t p;
    yaml_event_t ev;
    yaml_parser_initialize(&p);
    yaml_parser_set_input_string(&p, (const unsigned char *)text, n);
    int depth = 0;
    bool want_value = false;
    char key[32] = "", *id = NULL, *regex = NULL;
    bool caseless = false;
    for (;;) {
        if (!yaml_parser_parse(&p, &ev)) {
            fprintf(stderr, "bench_hs_dataid: %s: yaml: %s\n", path, p.problem);
            exit(1);
        }
        yaml_event_type_t t = ev.type;
        if (t == YAML_STREAM_END_EVENT) {
            yaml_event_delete(&ev);
            break;
        }
        if (t == YAML_MAPPING_START_EVENT || t == YAML_SEQUENCE_START_EVENT) {
            depth++;
            if (depth == 2) want_value = false; /* a collection value of a top-level key */
        } else if (t == YAML_MAPPING_END_EVENT || t == YAML_SEQUENCE_END_EVENT) {
            depth--;
            if (depth == 1) want_value = false;
        } else if (t == YAML_SCALAR_EVENT && depth == 1) {
            const char *v = (const char *)ev.data.scalar.value;
            if (!want_value) {
                snprintf(key, sizeof key, "%s", v);
                want_value = true;
            } else {
                if (strcmp(key, "id") == 0)
                    id = xstrdup(v);
                else if (strcmp(key, "regex") == 0)
                    regex = xstrdup(v);
                else if (strcmp(key, "caseless") == 0)
                    caseless = strcmp(v, "true") == 0;
                want_value = false;
            }
        }
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&p);
    free(text);
    if (!id || !regex) {
        fprintf(stderr, "bench_hs_dataid: %s: no id or regex\n", path);
        exit(1);
    }
    if (strchr(regex, '\n') || strchr(regex, '\t')) {
        fprintf(stderr, "bench_hs_dataid: %s: regex holds a newline or tab\n", path);
        exit(1);
    }
    printf("%s\t%s%s\n", id, caseless ? "(?i)" : "", regex);
    free(id);
    free(regex);
    return 0;
}

static int extract(const char *dir)
{
    struct list l = {0};
    walk(dir, &l);
    qsort(l.v, l.n, sizeof *l.v, cmp_str);
    for (size_t i = 0; i < l.n; i++) {
        size_t len = strlen(l.v[i]);
        if (len > 5 && strcmp(l.v[i] + len - 5, ".yaml") == 0) extract_one(l.v[i]);
        free(l.v[i]);
    }
    free(l.v);
    return 0;
}

/* ---- scan ----------------------------------------------------------------------------------- */

struct pattern {
    char *id, *expr;
    unsigned flags;
    uint64_t matches;
};

static int on_match(unsigned id, unsigned long long from, unsigned long long to, unsigned flags,
                    void *ctx)
{
    (void)from;
    (void)to;
    (void)flags;
    ((struct pattern *)ctx)[id].matches++;
    return 0;
}

static int cmp_matches(const void *a, const void *b)
{
    const struct pattern *x = a, *y = b;
    return x->matches < y->matches ? 1 : x->matches > y->matches ? -1 : strcmp(x->id, y->id);
}

/* PATTERNS: "ID<TAB>PATTERN" or "PATTERN" lines; exits on error */
static struct pattern *read_patterns(const char *file, size_t *count)
{
    FILE *pf = fopen(file, "r");
    if (!pf) {
        perror(file);
        exit(1);
    }
    struct pattern *pats = NULL;
    size_t npat = 0, cap = 0;
    char *line = NULL;
    size_t lcap = 0;
    ssize_t ll;
    while ((ll = getline(&line, &lcap, pf)) > 0) {
        while (ll > 0 && (line[ll - 1] == '\n' || line[ll - 1] == '\r')) line[--ll] = '\0';
        if (ll == 0) continue;
        if (npat == cap) {
            cap = cap ? 2 * cap : 128;
            pats = xrealloc(pats, cap * sizeof *pats);
        }
        struct pattern *p = &pats[npat];
        char *tab = strchr(line, '\t'), *e = tab ? tab + 1 : line;
        char idbuf[32];
        snprintf(idbuf, sizeof idbuf, "line-%zu", npat + 1);
        if (tab) *tab = '\0';
        p->id = xstrdup(tab ? line : idbuf);
        p->flags = 0;
        if (strncmp(e, "(?i)", 4) == 0) {
            p->flags = HS_FLAG_CASELESS;
            e += 4;
        }
        p->expr = xstrdup(e);
        p->matches = 0;
        npat++;
    }
    free(line);
    fclose(pf);
    *count = npat;
    return pats;
}

struct timed {
    struct pattern *p;
    double s;
};

static int cmp_timed(const void *a, const void *b)
{
    const struct timed *x = a, *y = b;
    return x->s < y->s ? 1 : x->s > y->s ? -1 : 0;
}

/* --each: every pattern compiled alone and scanned over the files, slowest first */
static int each(const char *patterns, int nfiles, char **paths)
{
    size_t npat = 0;
    struct pattern *pats = read_patterns(patterns, &npat);
    char **bufs = xrealloc(NULL, (size_t)nfiles * sizeof *bufs);
    size_t *lens = xrealloc(NULL, (size_t)nfiles * sizeof *lens);
    uint64_t bytes = 0;
    for (int i = 0; i < nfiles; i++) {
        size_t cap = 0;
        bufs[i] = read_file(paths[i], &lens[i], NULL, &cap);
        bytes += lens[i];
    }
    struct timed *t = xrealloc(NULL, npat * sizeof *t);
    double all = 0;
    for (size_t k = 0; k < npat; k++) {
        hs_database_t *db = NULL;
        hs_compile_error_t *err = NULL;
        t[k].p = &pats[k];
        t[k].s = 0;
        if (hs_compile(pats[k].expr, pats[k].flags, HS_MODE_BLOCK, NULL, &db, &err) != HS_SUCCESS) {
            fprintf(stderr, "bench_hs_dataid: %s: %s\n", pats[k].id, err->message);
            hs_free_compile_error(err);
            continue;
        }
        hs_scratch_t *scratch = NULL;
        if (hs_alloc_scratch(db, &scratch) != HS_SUCCESS) {
            fprintf(stderr, "bench_hs_dataid: hs_alloc_scratch failed\n");
            return 1;
        }
        double s0 = now_s();
        for (int i = 0; i < nfiles; i++) {
            /* the database's only expression has id 0: count into pats[k] */
            if (hs_scan(db, bufs[i], (unsigned)lens[i], 0, scratch, on_match, &pats[k]) !=
                HS_SUCCESS) {
                fprintf(stderr, "bench_hs_dataid: hs_scan failed\n");
                return 1;
            }
        }
        t[k].s = now_s() - s0;
        all += t[k].s;
        hs_free_scratch(scratch);
        hs_free_database(db);
    }
    qsort(t, npat, sizeof *t, cmp_timed);
    printf("bytes=%" PRIu64 " sum_of_single_pattern_scans_ms=%.0f\n", bytes, all * 1e3);
    for (size_t k = 0; k < npat; k++)
        printf("%-45s %7.0f ms %8.1f MB/s %5.1f%% %10" PRIu64 " matches\n", t[k].p->id,
               t[k].s * 1e3, t[k].s > 0 ? (double)bytes / 1e6 / t[k].s : 0.0,
               all > 0 ? 100.0 * t[k].s / all : 0.0, t[k].p->matches);
    for (int i = 0; i < nfiles; i++) free(bufs[i]);
    free(bufs);
    free(lens);
    free(t);
    for (size_t k = 0; k < npat; k++) {
        free(pats[k].id);
        free(pats[k].expr);
    }
    free(pats);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--extract") == 0) return extract(argv[2]);
    if (argc >= 4 && strcmp(argv[1], "--each") == 0) return each(argv[2], argc - 3, argv + 3);
    if (argc < 3) {
        fprintf(stderr, "usage: bench_hs_dataid --extract DATADIR\n"
                        "       bench_hs_dataid PATTERNS PATH...\n"
                        "       bench_hs_dataid --each PATTERNS FILE...\n");
        return 2;
    }
    size_t npat = 0;
    struct pattern *pats = read_patterns(argv[1], &npat);

    /* compile; drop what Hyperscan refuses and compile again */
    double t0 = now_s();
    hs_database_t *db = NULL;
    unsigned nfail = 0;
    for (;;) {
        const char **exprs = xrealloc(NULL, npat * sizeof *exprs);
        unsigned *flags = xrealloc(NULL, npat * sizeof *flags),
                 *ids = xrealloc(NULL, npat * sizeof *ids);
        for (size_t i = 0; i < npat; i++) {
            exprs[i] = pats[i].expr;
            flags[i] = pats[i].flags;
            ids[i] = (unsigned)i;
        }
        hs_compile_error_t *err = NULL;
        hs_error_t rc =
            hs_compile_multi(exprs, flags, ids, (unsigned)npat, HS_MODE_BLOCK, NULL, &db, &err);
        free(exprs);
        free(flags);
        free(ids);
        if (rc == HS_SUCCESS) break;
        if (err->expression < 0 || (size_t)err->expression >= npat) {
            fprintf(stderr, "bench_hs_dataid: hyperscan: %s\n", err->message);
            return 1;
        }
        size_t bad = (size_t)err->expression;
        fprintf(stderr, "bench_hs_dataid: dropped %s: %s\n", pats[bad].id, err->message);
        hs_free_compile_error(err);
        nfail++;
        free(pats[bad].id);
        free(pats[bad].expr);
        memmove(&pats[bad], &pats[bad + 1], (npat - bad - 1) * sizeof *pats);
        npat--;
        if (npat == 0) {
            fprintf(stderr, "bench_hs_dataid: no pattern compiles\n");
            return 1;
        }
    }
    double t1 = now_s();
    hs_scratch_t *scratch = NULL;
    if (hs_alloc_scratch(db, &scratch) != HS_SUCCESS) {
        fprintf(stderr, "bench_hs_dataid: hs_alloc_scratch failed\n");
        return 1;
    }
    size_t dbsize = 0;
    hs_database_size(db, &dbsize);

    struct list files = {0};
    for (int i = 2; i < argc; i++) walk(argv[i], &files);
    qsort(files.v, files.n, sizeof *files.v, cmp_str);
    char *buf = NULL;
    size_t bcap = 0;
    uint64_t bytes = 0;
    double scan = 0;
    for (size_t i = 0; i < files.n; i++) {
        size_t n = 0;
        buf = read_file(files.v[i], &n, buf, &bcap);
        double s0 = now_s();
        if (n > UINT32_MAX) {
            fprintf(stderr, "bench_hs_dataid: %s: larger than 4 GiB\n", files.v[i]);
            return 1;
        }
        if (hs_scan(db, buf, (unsigned)n, 0, scratch, on_match, pats) != HS_SUCCESS) {
            fprintf(stderr, "bench_hs_dataid: %s: hs_scan failed\n", files.v[i]);
            return 1;
        }
        scan += now_s() - s0;
        bytes += n;
        free(files.v[i]);
    }
    free(files.v);
    free(buf);
    uint64_t total = 0;
    for (size_t i = 0; i < npat; i++) total += pats[i].matches;
    printf("patterns=%zu failed=%u db_bytes=%zu compile_ms=%.0f\n", npat, nfail, dbsize,
           (t1 - t0) * 1e3);
    printf("files=%zu bytes=%" PRIu64 " matches=%" PRIu64 " scan_ms=%.0f scan_mb_s=%.1f\n", files.n,
           bytes, total, scan * 1e3, scan > 0 ? (double)bytes / 1e6 / scan : 0.0);
    qsort(pats, npat, sizeof *pats, cmp_matches);
    for (size_t i = 0; i < npat && i < 15; i++)
        printf("top %s %" PRIu64 "\n", pats[i].id, pats[i].matches);
    for (size_t i = 0; i < npat; i++) {
        free(pats[i].id);
        free(pats[i].expr);
    }
    free(pats);
    hs_free_scratch(scratch);
    hs_free_database(db);
    return 0;
}
