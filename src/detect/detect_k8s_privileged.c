/* SPDX-License-Identifier: Apache-2.0 */
/* k8s.privileged: PrivilegeEscalation:Kubernetes/PrivilegedContainer (aws-facts §4.7). A pod,
 * or a workload whose pod template (deployments, daemonsets, statefulsets, replicasets, jobs,
 * cronjobs, replication controllers) holds a container with securityContext.privileged true,
 * created or changed successfully, from an image never run privileged in that cluster before.
 * A privileged container has every capability and the host's devices: root on the node.
 * Containers, init containers and ephemeral containers (kubectl debug) all count.
 *
 * Memory: the (cluster, image repository) pairs seen privileged, as 64-bit hashes in an open
 * addressing table of at most PRIV_IMAGES_MAX pairs (8 bytes each, twice that many slots).
 * Past the cap new pairs are not remembered (counted in `forgotten`): their launches are
 * reported each time and fold into the one finding of that image (same evidence key), so
 * nothing is lost but the "first time only" rule. The image is compared by repository (tag and
 * digest dropped): a new tag of an image already run privileged is the same software.
 *
 * Across runs: when the store has the table detect_k8s_privileged_images (cluster TEXT, image
 * TEXT, first_ms INTEGER, PRIMARY KEY (cluster, image)), the pairs are read from it at init and
 * the new ones written at finish (not in a dry run); without it the memory lasts one run. */
#define RP_LOG_MODULE "detect"
#include <stdlib.h>
#include <string.h>

#include "detect/detect_k8s_common.h"
#include "core/rp_hash.h"
#include "store/store.h"
#include "core/rp_banned.h"

/* (cluster, image) pairs remembered; 8192 x 16 bytes of slots = 128 KiB. */
#define PRIV_IMAGES_MAX 8192
#define PRIV_SLOTS      (2 * PRIV_IMAGES_MAX) /* a power of two, load <= 1/2 */

#define PRIV_TABLE "detect_k8s_privileged_images"

static const struct rp_det_type types[] = {
    {"PrivilegeEscalation:Kubernetes/PrivilegedContainer", 5.0,
     "Privileged container launched in EKS cluster %s",
     "A container was launched with privileged access (every capability and the node's "
     "devices) from an image that had not been run privileged in this cluster before. A "
     "privileged container can take over its node."},
};

/* A pair first seen in this run, to be written at finish. */
struct fresh {
    struct fresh *next;
    const char *cluster, *image;
    int64_t first_ms;
};

struct priv {
    struct rp_det_k8s_work w;
    uint64_t *slots; /* PRIV_SLOTS hashes, 0 = empty */
    size_t n;        /* pairs held */
    uint64_t forgotten;
    struct rp_arena keep; /* fresh entries and their strings */
    struct fresh *fresh;
    bool persist; /* the store has PRIV_TABLE */
};

static uint64_t pair_hash(const char *cluster, const char *image)
{
    uint64_t h = rp_hash_xxh3_64(cluster, strlen(cluster) + 1, 0x6b38735f70726976ULL);
    h = rp_hash_combine(h, rp_hash_xxh3_64(image, strlen(image), 0));
    return h ? h : 1;
}

/* True when h is held; otherwise add it (when there is room) and return false. *added tells
 * whether it was remembered. */
static bool seen_or_add(struct priv *s, uint64_t h, bool *added)
{
    size_t i = (size_t)h & (PRIV_SLOTS - 1);
    *added = false;
    while (s->slots[i]) {
        if (s->slots[i] == h) return true;
        i = (i + 1) & (PRIV_SLOTS - 1);
    }
    if (s->n >= PRIV_IMAGES_MAX) {
        s->forgotten++;
        return false;
    }
    s->slots[i] = h;
    s->n++;
    *added = true;
    return false;
}

static rp_err load(struct priv *s, struct rp_store *st, struct rp_errbuf *eb)
{
    struct rp_store_stmt *q = NULL;
    bool row = false;
    rp_err e = RP_OK;
    s->persist = true;
    e = rp_store_stmt_prepare(st, "SELECT cluster, image FROM " PRIV_TABLE " LIMIT ?1", &q, eb);
    if (e == RP_OK) e = rp_store_stmt_bind_int64(q, 1, PRIV_IMAGES_MAX, eb);
    while (e == RP_OK && (e = rp_store_stmt_step(q, &row, eb)) == RP_OK && row) {
        const char *c = rp_store_stmt_column_text(q, 0, NULL);
        const char *im = rp_store_stmt_column_text(q, 1, NULL);
        bool added = false;
        if (c && im) (void)seen_or_add(s, pair_hash(c, im), &added);
    }
    if (q) rp_store_stmt_reset(q);
    return e;
}

static rp_err save(struct priv *s, struct rp_store *st, struct rp_errbuf *eb)
{
    rp_err e = RP_OK;
    for (struct fresh *f = s->fresh; f && e == RP_OK; f = f->next) {
        struct rp_store_stmt *q = NULL;
        bool row = false;
        e = rp_store_stmt_prepare(st,
                                  "INSERT OR IGNORE INTO " PRIV_TABLE
                                  " (cluster, image, first_ms) VALUES (?1, ?2, ?3)",
                                  &q, eb);
        if (e == RP_OK) e = rp_store_stmt_bind_cstr(q, 1, f->cluster, eb);
        if (e == RP_OK) e = rp_store_stmt_bind_cstr(q, 2, f->image, eb);
        if (e == RP_OK) e = rp_store_stmt_bind_int64(q, 3, f->first_ms, eb);
        if (e == RP_OK) e = rp_store_stmt_step(q, &row, eb);
    }
    return e;
}

static void release(void *state)
{
    struct priv *s = state;
    if (!s) return;
    rp_det_k8s_work_release(&s->w);
    rp_arena_release(&s->keep);
    free(s->slots);
    free(s);
}

static rp_err init(struct rp_det_ctx *dc, void **state, struct rp_errbuf *eb)
{
    struct priv *s = calloc(1, sizeof(*s));
    if (!s) return rp_fail(eb, RP_ENOMEM, "detect: k8s: out of memory");
    *state = s;
    rp_arena_init(&s->keep, 4096);
    rp_err e = rp_det_k8s_work_init(&s->w, eb);
    if (e != RP_OK) return e;
    s->slots = calloc(PRIV_SLOTS, sizeof(*s->slots));
    if (!s->slots) return rp_fail(eb, RP_ENOMEM, "detect: k8s: out of memory");
    struct rp_store *st = rp_det_store(dc);
    return st ? load(s, st, eb) : RP_OK;
}

static rp_err finish(struct rp_det_ctx *dc, void *state, struct rp_errbuf *eb)
{
    struct priv *s = state;
    struct rp_store *st = rp_det_store(dc);
    const struct rp_detect_opts *o = rp_det_opts(dc);
    if (!st || !s->persist || (o && o->dry_run)) return RP_OK;
    return save(s, st, eb);
}

/* Remember a new pair for the store. */
static rp_err keep_fresh(struct priv *s, const char *cluster, const char *image, int64_t ms,
                         struct rp_errbuf *eb)
{
    if (!s->persist) return RP_OK;
    struct fresh *f = rp_arena_alloc(&s->keep, sizeof(*f));
    if (!f || !(f->cluster = rp_arena_strdup(&s->keep, cluster)) ||
        !(f->image = rp_arena_strdup(&s->keep, image)))
        return rp_fail(eb, RP_ENOMEM, "detect: k8s: out of memory");
    f->first_ms = ms;
    f->next = s->fresh;
    s->fresh = f;
    return RP_OK;
}

static bool privileged(struct rp_json_val c)
{
    struct rp_json_val sc;
    bool p = false;
    return rp_json_obj_get(c, "securityContext", &sc) == RP_OK &&
           rp_json_obj_get_bool(sc, "privileged", &p) == RP_OK && p;
}

static rp_err event(struct rp_det_ctx *dc, void *state, const struct rp_det_event *ev,
                    struct rp_errbuf *eb)
{
    struct priv *s = state;
    struct rp_det_k8s_work *w = &s->w;
    if (!rp_det_k8s_final(w, ev)) return RP_OK;
    struct rp_str res = rp_det_str(ev, RP_K8S_RESOURCE), sub = rp_det_str(ev, RP_K8S_SUBRESOURCE);
    if (!rp_det_k8s_word_in("create update patch", rp_det_str(ev, RP_K8S_VERB)) ||
        !rp_det_k8s_is_workload(res))
        return RP_OK;
    if (sub.len && !(rp_str_eq_cstr(res, "pods") && rp_str_eq_cstr(sub, "ephemeralcontainers")))
        return RP_OK;
    rp_det_k8s_work_reset(w);
    if (!rp_det_k8s_ok(rp_det_k8s_code(w, ev))) return RP_OK;
    struct rp_json_val obj, spec, arr, c;
    rp_err e = rp_det_k8s_object(w, ev, &obj);
    if (e == RP_ENOMEM) return rp_fail(eb, e, "detect: k8s: out of memory");
    if (e != RP_OK || !rp_det_k8s_pod_spec(res, obj, &spec)) return RP_OK;
    struct rp_str cl = rp_det_str(ev, RP_K8S_CLUSTER);
    const char *cluster = cl.p && cl.len ? rp_det_k8s_cstr(w, cl) : "unknown";
    if (!cluster) return rp_fail(eb, RP_ENOMEM, "detect: k8s: out of memory");
    for (unsigned k = 0; k < RP_K8S_CONTAINER_LISTS; k++) {
        struct rp_json_iter it;
        if (!rp_det_k8s_containers(spec, k, &arr) || rp_json_arr_iter(arr, &it) != RP_OK) continue;
        while (rp_json_arr_next(&it, &c)) {
            struct rp_str image;
            if (!privileged(c) || rp_json_obj_get_str(c, "image", &image) != RP_OK) continue;
            const char *repo = rp_det_k8s_image_repo(w, image);
            if (!repo) continue;
            bool added = false;
            if (seen_or_add(s, pair_hash(cluster, repo), &added)) continue;
            if (added && (e = keep_fresh(s, cluster, repo, ev->time_ms, eb)) != RP_OK) return e;
            struct rp_det_finding f;
            e = rp_det_k8s_finding_base(w, ev, types[0].type, &f, eb);
            if (e == RP_OK) e = rp_det_k8s_workload(w, ev, obj, spec, c, &f, eb);
            if (e != RP_OK) return e;
            f.evidence_key = repo;
            e = rp_det_emit(dc, &f, eb);
            if (e != RP_OK) return e;
        }
    }
    return RP_OK;
}

const struct rp_detector rp_det_k8s_privileged = {
    .id = "k8s.privileged",
    .source = RP_DET_SRC_K8S,
    .kind = RP_DET_SIGNATURE,
    .summary = "privileged container from an image never run privileged in the cluster",
    .types = types,
    .ntypes = RP_ARRAY_LEN(types),
    .init = init,
    .event = event,
    .finish = finish,
    .release = release,
};
