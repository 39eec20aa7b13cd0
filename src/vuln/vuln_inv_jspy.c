/* SPDX-License-Identifier: Apache-2.0 */
/* Shared by the JavaScript and Python lockfile readers of src/vuln (vuln_inv_jspy.h): the
 * once-per-(name, version) emitter, a hash set of xxh3 hashes whose entries keep the strings
 * (so a hash collision never drops a package), line iteration and path helpers. Not a format
 * itself, so it has no line in vuln_inventories.def. */
#include <stdlib.h>
#include <string.h>

#include "core/rp_hash.h"
#include "core/rp_json.h"
#include "vuln/vuln_inv_jspy.h"

struct rp_vuln_jspy_ent {
    uint64_t h;
    const char *name, *version; /* NULL name = empty slot; arena copies */
};

void rp_vuln_jspy_init(struct rp_vuln_jspy *j, const struct rp_vuln_inv_ctx *cx,
                       const char *ecosystem, const char *package_manager, rp_vuln_pkg_fn fn,
                       void *ctx)
{
    memset(j, 0, sizeof *j);
    j->cx = cx;
    j->ecosystem = ecosystem;
    j->package_manager = package_manager;
    j->fn = fn;
    j->ctx = ctx;
    rp_arena_init(&j->arena, 0);
}

void rp_vuln_jspy_release(struct rp_vuln_jspy *j)
{
    free(j->tab);
    j->tab = NULL;
    j->cap = j->n = 0;
    rp_arena_release(&j->arena);
}

static uint64_t key_hash(struct rp_str name, struct rp_str version)
{
    return rp_hash_combine(rp_hash_xxh3_64(name.p, name.len, 0),
                           rp_hash_xxh3_64(version.p, version.len, 1));
}

static bool ent_eq(const struct rp_vuln_jspy_ent *e, uint64_t h, struct rp_str name,
                   struct rp_str version)
{
    return e->h == h && strlen(e->name) == name.len && memcmp(e->name, name.p, name.len) == 0 &&
           strlen(e->version) == version.len && memcmp(e->version, version.p, version.len) == 0;
}

static bool grow(struct rp_vuln_jspy *j)
{
    size_t ncap = j->cap ? j->cap * 2 : 64;
    struct rp_vuln_jspy_ent *t = calloc(ncap, sizeof *t);
    if (!t) return false;
    for (size_t i = 0; i < j->cap; i++) {
        if (!j->tab[i].name) continue;
        size_t k = (size_t)j->tab[i].h & (ncap - 1);
        while (t[k].name) k = (k + 1) & (ncap - 1);
        t[k] = j->tab[i];
    }
    free(j->tab);
    j->tab = t;
    j->cap = ncap;
    return true;
}

rp_err rp_vuln_jspy_emit(struct rp_vuln_jspy *j, struct rp_str name, struct rp_str version,
                         struct rp_errbuf *eb)
{
    if (name.len == 0 || version.len == 0) return RP_OK;
    /* names and versions with a NUL byte cannot be passed as C strings: a damaged entry */
    if (memchr(name.p, '\0', name.len) || memchr(version.p, '\0', version.len)) return RP_OK;
    if ((j->n + 1) * 2 > j->cap && !grow(j))
        return rp_fail(eb, RP_ENOMEM, "%s: out of memory", rp_vuln_jspy_path(j->cx));
    uint64_t h = key_hash(name, version);
    size_t k = (size_t)h & (j->cap - 1);
    for (; j->tab[k].name; k = (k + 1) & (j->cap - 1))
        if (ent_eq(&j->tab[k], h, name, version)) return RP_OK;
    char *nm = rp_arena_memdup(&j->arena, name.p, name.len);
    char *ver = rp_arena_memdup(&j->arena, version.p, version.len);
    if (!nm || !ver) return rp_fail(eb, RP_ENOMEM, "%s: out of memory", rp_vuln_jspy_path(j->cx));
    j->tab[k] = (struct rp_vuln_jspy_ent){h, nm, ver};
    j->n++;
    struct rp_vuln_pkg pkg = {
        .ecosystem = j->ecosystem,
        .name = nm,
        .match_name = NULL,
        .version = ver,
        .arch = NULL,
        .package_manager = j->package_manager,
        .file_path = j->cx ? j->cx->path : NULL,
    };
    return j->fn(&pkg, j->ctx, eb);
}

const char *rp_vuln_jspy_path(const struct rp_vuln_inv_ctx *cx)
{
    return cx && cx->path ? cx->path : "-";
}
