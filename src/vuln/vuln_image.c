/* SPDX-License-Identifier: Apache-2.0 */
/* Container image tars for the inventory runner (vuln_image.h): `docker save` tars
 * (manifest.json: [{Config, Layers[]}]) and OCI image layout tars (oci-layout, index.json ->
 * manifest blob -> layers in blobs/<alg>/<hex>). Everything is read through libarchive without
 * unpacking: each layer member is streamed out of the outer tar into a nested libarchive
 * reader (gzip, zstd or plain), so only the files that matter are held in memory: files some
 * inventory format detects, and etc/os-release / usr/lib/os-release (kept as symlinks too,
 * since /etc/os-release usually is one). Layers are applied in order to a merged view: an
 * entry replaces what lower layers had at its path (and under it, unless it is a directory),
 * `.wh.<name>` deletes <name> and everything under it, `.wh..wh..opq` hides everything lower
 * layers put in its directory. A layer's digest is the manifest's (OCI), the blob name
 * (docker save >= 25 writes blobs/sha256/<hex>), the config's rootfs.diff_ids[i] (older docker
 * save), or else the sha256 of the member, computed while it streams. Digests are labels here;
 * they are not verified against the bytes. */
#define RP_LOG_MODULE "vuln"

#include <archive.h>
#include <archive_entry.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rp_buf.h"
#include "core/rp_hash.h"
#include "core/rp_json.h"
#include "core/rp_limits.h"
#include "vuln/vuln_image.h"
#include "vuln/vuln_inv_internal.h"
#include "core/rp_banned.h"

#define HEAD  4096u
#define BLOCK (64u << 10)

/* ---- paths ------------------------------------------------------------------------------- */

/* Normalize a member name in place: no leading "/" or "./", no "." or empty components, ".."
 * resolved lexically (never above the root), no trailing "/". */
static void norm_path(char *s)
{
    char *out = s;
    const char *p = s;
    size_t o = 0;
    while (*p) {
        while (*p == '/') p++;
        const char *c = p;
        while (*p && *p != '/') p++;
        size_t cl = (size_t)(p - c);
        if (cl == 0 || (cl == 1 && c[0] == '.')) continue;
        if (cl == 2 && c[0] == '.' && c[1] == '.') {
            while (o > 0 && out[o - 1] != '/') o--;
            if (o > 0) o--;
            continue;
        }
        if (o) out[o++] = '/';
        memmove(out + o, c, cl);
        o += cl;
    }
    out[o] = 0;
}

static char *dup_norm(const char *s)
{
    char *d = strdup(s ? s : "");
    if (d) norm_path(d);
    return d;
}

static bool under(const char *path, const char *dir, size_t dl)
{
    if (dl == 0) return path[0] != 0;
    return strncmp(path, dir, dl) == 0 && path[dl] == '/';
}

static bool is_os_release(const char *p)
{
    return strcmp(p, "etc/os-release") == 0 || strcmp(p, "usr/lib/os-release") == 0;
}

/* ---- the merged view --------------------------------------------------------------------- */

struct mfile {
    char *path; /* normalized member path */
    char *data; /* bytes, or the link target of a symlink */
    size_t n;
    size_t layer;
    bool symlink;
};

struct img {
    const char *tar; /* the image path */
    rp_vuln_warn_fn warn;
    void *warn_ctx;
    int64_t *failed;
    struct rp_json_parser *jp;
    struct mfile *files;
    size_t nfiles, cap;
    size_t kept; /* bytes of files[] */
    char disp[RP_MAX_PATH_BYTES + 64];
};

static void warnf(struct img *im, const char *fmt, ...) RP_PRINTF(2, 3);

static void warnf(struct img *im, const char *fmt, ...)
{
    char msg[RP_MAX_ERRMSG + 1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (im->failed) (*im->failed)++;
    if (im->warn) im->warn(im->warn_ctx, msg);
}

static void drop(struct img *im, size_t i)
{
    im->kept -= im->files[i].n;
    free(im->files[i].path);
    free(im->files[i].data);
    im->files[i] = im->files[--im->nfiles];
}

static void clear(struct img *im)
{
    while (im->nfiles) drop(im, im->nfiles - 1);
    free(im->files);
    im->files = NULL;
    im->cap = 0;
    im->kept = 0;
}

/* Remove what any layer has exactly at path and, when subtree, what layers below `layer`
 * have under it. */
static void remove_at(struct img *im, const char *path, size_t layer, bool subtree)
{
    size_t pl = strlen(path);
    for (size_t i = 0; i < im->nfiles;) {
        const struct mfile *f = &im->files[i];
        bool hit = (pl && strcmp(f->path, path) == 0) ||
                   (subtree && f->layer < layer && under(f->path, path, pl));
        if (hit)
            drop(im, i);
        else
            i++;
    }
}

static struct mfile *find(struct img *im, const char *path)
{
    for (size_t i = 0; i < im->nfiles; i++)
        if (strcmp(im->files[i].path, path) == 0) return &im->files[i];
    return NULL;
}

/* Takes path and data. */
static rp_err add(struct img *im, char *path, char *data, size_t n, size_t layer, bool symlink)
{
    if (im->nfiles == im->cap) {
        size_t nc = im->cap ? im->cap * 2 : 32;
        struct mfile *nf = realloc(im->files, nc * sizeof *nf);
        if (!nf) {
            free(path);
            free(data);
            return RP_ENOMEM;
        }
        im->files = nf;
        im->cap = nc;
    }
    im->files[im->nfiles++] = (struct mfile){path, data, n, layer, symlink};
    im->kept += n;
    return RP_OK;
}

static const char *display(struct img *im, const char *member)
{
    snprintf(im->disp, sizeof im->disp, "%s:/%s", im->tar, member);
    return im->disp;
}

static bool wanted(struct img *im, const char *member, const char *head, size_t n)
{
    if (is_os_release(member)) return true;
    const char *d = display(im, member);
    for (size_t i = 0; rp_vuln_inventory_formats[i]; i++)
        if (rp_vuln_inventory_formats[i]->detect(d, head, n)) return true;
    return false;
}

/* ---- the outer tar ----------------------------------------------------------------------- */

static struct archive *open_tar(const char *path)
{
    struct archive *a = archive_read_new();
    if (!a) return NULL;
    if (archive_read_support_filter_all(a) != ARCHIVE_OK ||
        archive_read_support_format_tar(a) != ARCHIVE_OK ||
        archive_read_open_filename(a, path, BLOCK) != ARCHIVE_OK) {
        archive_read_free(a);
        return NULL;
    }
    return a;
}

/* Position the archive on member name; false when absent or unreadable. */
static bool seek_member(struct archive *a, const char *name)
{
    struct archive_entry *e;
    int r;
    while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK || r == ARCHIVE_WARN) {
        char *p = dup_norm(archive_entry_pathname(e));
        bool hit = p && strcmp(p, name) == 0;
        free(p);
        if (hit) return true;
    }
    return false;
}

/* Append the rest of the current member's data to b; RP_ELIMIT past b's max, RP_EIO on a
 * read error. */
static rp_err read_rest(struct archive *a, struct rp_buf *b)
{
    for (;;) {
        size_t room = b->max - b->len, want = room < BLOCK ? room : BLOCK;
        la_ssize_t r;
        if (want == 0) {
            char c;
            r = archive_read_data(a, &c, 1);
            return r < 0 ? RP_EIO : r ? RP_ELIMIT : RP_OK;
        }
        rp_err e = rp_buf_reserve(b, want);
        if (e) return e;
        r = archive_read_data(a, b->data + b->len, want);
        if (r < 0) return RP_EIO;
        if (r == 0) return RP_OK;
        rp_buf_commit(b, (size_t)r);
    }
}

/* The current member's data into b (reset first). */
static rp_err read_data(struct archive *a, struct rp_buf *b)
{
    rp_buf_reset(b);
    return read_rest(a, b);
}

/* Read member name of the tar at path into b; warns (naming it) and returns false when it
 * cannot. */
static bool read_member(struct img *im, const char *name, struct rp_buf *b)
{
    struct archive *a = open_tar(im->tar);
    if (!a) {
        warnf(im, "vulns: image '%s': cannot open the archive", im->tar);
        return false;
    }
    bool ok = false;
    if (!seek_member(a, name)) {
        warnf(im, "vulns: image '%s': member '%s' not found", im->tar, name);
    } else {
        rp_err e = read_data(a, b);
        if (e == RP_ELIMIT)
            warnf(im, "vulns: image '%s': member '%s' is larger than %zu bytes", im->tar, name,
                  b->max);
        else if (e)
            warnf(im, "vulns: image '%s': member '%s': %s", im->tar, name,
                  archive_error_string(a) ? archive_error_string(a) : rp_strerror(e));
        else
            ok = true;
    }
    archive_read_free(a);
    return ok;
}

bool rp_vuln_image_candidate(const char *path, const char *head, size_t n)
{
    if (n >= 262 && memcmp(head + 257, "ustar", 5) == 0) return true;
    const char *b = rp_vuln_inv_basename(path);
    size_t l = strlen(b);
    bool gz = n >= 2 && (unsigned char)head[0] == 0x1f && (unsigned char)head[1] == 0x8b;
    bool zst = n >= 4 && memcmp(head, "\x28\xb5\x2f\xfd", 4) == 0;
    if (gz &&
        ((l > 7 && strcmp(b + l - 7, ".tar.gz") == 0) || (l > 4 && strcmp(b + l - 4, ".tgz") == 0)))
        return true;
    return zst && l > 8 && strcmp(b + l - 8, ".tar.zst") == 0;
}

bool rp_vuln_image_probe(const char *path)
{
    struct archive *a = open_tar(path);
    if (!a) return false;
    bool manifest = false, layout = false, index = false;
    struct archive_entry *e;
    int r;
    while (!manifest && !(layout && index) &&
           ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK || r == ARCHIVE_WARN)) {
        char *p = dup_norm(archive_entry_pathname(e));
        if (p) {
            manifest |= strcmp(p, "manifest.json") == 0;
            layout |= strcmp(p, "oci-layout") == 0;
            index |= strcmp(p, "index.json") == 0;
        }
        free(p);
    }
    archive_read_free(a);
    return manifest || (layout && index);
}

/* ---- image specs ------------------------------------------------------------------------- */

struct layer_ref {
    char *member; /* normalized member path of the layer */
    char *digest; /* "sha256:..", or NULL: computed */
};

struct spec {
    struct layer_ref *layers;
    size_t n;
};

static void spec_release(struct spec *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->layers[i].member);
        free(s->layers[i].digest);
    }
    free(s->layers);
    *s = (struct spec){0};
}

static char *dup_str(struct rp_str s)
{
    char *d = malloc(s.len + 1);
    if (!d) return NULL;
    if (s.len) memcpy(d, s.p, s.len);
    d[s.len] = 0;
    return d;
}

/* "sha256:<hex>" -> member "blobs/sha256/<hex>" into out; false when the digest is not
 * "<alg>:<hex>" with a lower-case alphanumeric algorithm and lower-case hex. */
static bool blob_member(struct rp_str digest, char *out, size_t outsz)
{
    const char *c = memchr(digest.p, ':', digest.len);
    if (!c || c == digest.p || c + 1 == digest.p + digest.len) return false;
    for (const char *q = digest.p; q < c; q++)
        if (!((*q >= 'a' && *q <= 'z') || (*q >= '0' && *q <= '9'))) return false;
    for (const char *q = c + 1; q < digest.p + digest.len; q++)
        if (!((*q >= 'a' && *q <= 'f') || (*q >= '0' && *q <= '9'))) return false;
    int w = snprintf(out, outsz, "blobs/%.*s/%.*s", (int)(c - digest.p), digest.p,
                     (int)(digest.p + digest.len - c - 1), c + 1);
    return w > 0 && (size_t)w < outsz;
}

static rp_err spec_push(struct spec *s, char *member, char *digest)
{
    if (!member || (s->n + 1) > VULN_IMG_MAX_LAYERS) {
        free(member);
        free(digest);
        return member ? RP_ELIMIT : RP_ENOMEM;
    }
    struct layer_ref *nl = realloc(s->layers, (s->n + 1) * sizeof *nl);
    if (!nl) {
        free(member);
        free(digest);
        return RP_ENOMEM;
    }
    s->layers = nl;
    s->layers[s->n++] = (struct layer_ref){member, digest};
    return RP_OK;
}

/* The layers of one docker save image (an element of manifest.json). */
static rp_err docker_spec(struct img *im, struct rp_json_val img, struct rp_buf *tmp,
                          struct spec *s)
{
    struct rp_json_val layers, el;
    struct rp_json_iter it;
    struct rp_str cfg = {0};
    if (rp_json_obj_get(img, "Layers", &layers) != RP_OK ||
        rp_json_arr_iter(layers, &it) != RP_OK) {
        warnf(im, "vulns: image '%s': member 'manifest.json': an image without 'Layers'", im->tar);
        return RP_OK;
    }
    bool has_cfg = rp_json_obj_get_str(img, "Config", &cfg) == RP_OK;
    char *cfgname = has_cfg ? dup_str(cfg) : NULL;
    rp_err e = RP_OK;
    while (!e && rp_json_arr_next(&it, &el)) {
        struct rp_str m;
        if (rp_json_get_str(el, &m) != RP_OK) {
            warnf(im, "vulns: image '%s': member 'manifest.json': a layer that is not a string",
                  im->tar);
            continue;
        }
        char *member = dup_str(m);
        if (member) norm_path(member);
        char *digest = NULL;
        if (member && strncmp(member, "blobs/", 6) == 0) {
            const char *alg = member + 6, *sl = strchr(alg, '/');
            if (sl && !strchr(sl + 1, '/')) {
                size_t need = strlen(member);
                digest = malloc(need);
                char chk[512];
                if (digest) {
                    snprintf(digest, need, "%.*s:%s", (int)(sl - alg), alg, sl + 1);
                    if (!blob_member(rp_str_from(digest), chk, sizeof chk))
                        rp_free_and_null(digest);
                } else {
                    e = RP_ENOMEM;
                }
            }
        }
        if (!e)
            e = spec_push(s, member, digest);
        else
            free(member);
    }
    if (e == RP_ELIMIT) {
        warnf(im, "vulns: image '%s': more than %u layers", im->tar, VULN_IMG_MAX_LAYERS);
        e = RP_OK;
    }
    /* diff_ids from the config for layers without a digest in their name */
    bool need = false;
    for (size_t i = 0; i < s->n; i++) need |= !s->layers[i].digest;
    if (!e && need && cfgname) {
        norm_path(cfgname);
        struct rp_json_val root, ids, rootfs, d;
        struct rp_errbuf jeb;
        if (read_member(im, cfgname, tmp)) {
            if (rp_json_parse_buf(im->jp, tmp, &root, &jeb) != RP_OK)
                warnf(im, "vulns: image '%s': member '%s': %s", im->tar, cfgname, jeb.msg);
            else if (rp_json_obj_get(root, "rootfs", &rootfs) == RP_OK &&
                     rp_json_obj_get(rootfs, "diff_ids", &ids) == RP_OK &&
                     rp_json_arr_iter(ids, &it) == RP_OK)
                for (size_t i = 0; !e && i < s->n && rp_json_arr_next(&it, &d); i++) {
                    struct rp_str ds;
                    char chk[512];
                    if (s->layers[i].digest || rp_json_get_str(d, &ds) != RP_OK ||
                        !blob_member(ds, chk, sizeof chk))
                        continue; /* not "<alg>:<hex>": computed instead */
                    if (!(s->layers[i].digest = dup_str(ds))) e = RP_ENOMEM;
                }
        }
    }
    free(cfgname);
    return e;
}

/* The layers of the OCI image manifest blob named by digest. */
static rp_err oci_spec(struct img *im, struct rp_str digest, struct rp_buf *tmp, struct spec *s)
{
    char member[512];
    if (!blob_member(digest, member, sizeof member)) {
        warnf(im, "vulns: image '%s': member 'index.json': bad digest '%.*s'", im->tar,
              (int)digest.len, digest.p);
        return RP_OK;
    }
    if (!read_member(im, member, tmp)) return RP_OK;
    struct rp_json_val root, layers, el;
    struct rp_json_iter it;
    struct rp_errbuf jeb;
    if (rp_json_parse_buf(im->jp, tmp, &root, &jeb) != RP_OK) {
        warnf(im, "vulns: image '%s': member '%s': %s", im->tar, member, jeb.msg);
        return RP_OK;
    }
    if (rp_json_obj_get(root, "layers", &layers) != RP_OK ||
        rp_json_arr_iter(layers, &it) != RP_OK) {
        warnf(im, "vulns: image '%s': member '%s': a manifest without 'layers'", im->tar, member);
        return RP_OK;
    }
    rp_err e = RP_OK;
    while (!e && rp_json_arr_next(&it, &el)) {
        struct rp_str d;
        char lm[512];
        if (rp_json_obj_get_str(el, "digest", &d) != RP_OK || !blob_member(d, lm, sizeof lm)) {
            warnf(im, "vulns: image '%s': member '%s': a layer without a valid 'digest'", im->tar,
                  member);
            continue;
        }
        char *ds = dup_str(d);
        e = ds ? spec_push(s, strdup(lm), ds) : RP_ENOMEM;
    }
    if (e == RP_ELIMIT) {
        warnf(im, "vulns: image '%s': more than %u layers", im->tar, VULN_IMG_MAX_LAYERS);
        e = RP_OK;
    }
    return e;
}

/* ---- applying a layer -------------------------------------------------------------------- */

struct nested {
    struct archive *outer;
    struct rp_hash_sha256 *sha; /* or NULL */
    char buf[BLOCK];
    bool failed;
};

static la_ssize_t nested_read(struct archive *a, void *ctx, const void **out)
{
    (void)a;
    struct nested *n = ctx;
    la_ssize_t r = archive_read_data(n->outer, n->buf, sizeof n->buf);
    if (r < 0) {
        n->failed = true;
        archive_set_error(a, -1, "%s",
                          archive_error_string(n->outer) ? archive_error_string(n->outer)
                                                         : "read error");
        return -1;
    }
    if (r > 0 && n->sha && rp_hash_sha256_update(n->sha, n->buf, (size_t)r) != RP_OK) n->sha = NULL;
    *out = n->buf;
    return r;
}

/* Read the rest of the current entry of a (after the head) into a new buffer. */
static rp_err slurp(struct archive *a, const char *head, size_t hn, char **out, size_t *outn,
                    size_t max)
{
    struct rp_buf b;
    rp_buf_init(&b, max);
    rp_err e = rp_buf_append(&b, head, hn);
    if (!e) e = read_rest(a, &b);
    if (e) {
        rp_buf_release(&b);
        return e;
    }
    *out = rp_buf_take(&b, outn);
    if (!*out && !(*out = malloc(1))) return RP_ENOMEM;
    return RP_OK;
}

/* One entry of layer li. Returns RP_ENOMEM only; bad entries warn. */
static rp_err entry(struct img *im, struct archive *in, struct archive_entry *e, size_t li,
                    const char *lname)
{
    char *path = dup_norm(archive_entry_pathname(e));
    if (!path) return RP_ENOMEM;
    if (!path[0]) {
        free(path);
        return RP_OK;
    }
    char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    size_t dl = slash ? (size_t)(slash - path) : 0;
    if (strncmp(base, ".wh.", 4) == 0) {
        if (strcmp(base, ".wh..wh..opq") == 0) {
            path[dl] = 0; /* the directory: hide what lower layers put in it */
            size_t pl = strlen(path);
            for (size_t i = 0; i < im->nfiles;) {
                if (im->files[i].layer < li && under(im->files[i].path, path, pl))
                    drop(im, i);
                else
                    i++;
            }
        } else {
            memmove(path + (slash ? dl + 1 : 0), base + 4, strlen(base + 4) + 1);
            for (size_t i = 0; i < im->nfiles;) {
                const struct mfile *f = &im->files[i];
                if (f->layer < li &&
                    (strcmp(f->path, path) == 0 || under(f->path, path, strlen(path))))
                    drop(im, i);
                else
                    i++;
            }
        }
        free(path);
        return RP_OK;
    }
    mode_t type = archive_entry_filetype(e);
    const char *hard = archive_entry_hardlink(e);
    /* whatever this entry is, it replaces what was at its path, and a non-directory replaces
     * a lower directory's contents */
    remove_at(im, path, li, type != AE_IFDIR);
    if (hard) {
        char *target = dup_norm(hard);
        if (!target) {
            free(path);
            return RP_ENOMEM;
        }
        const struct mfile *t = find(im, target);
        free(target);
        if (!t || t->symlink || !wanted(im, path, t->data, t->n < HEAD ? t->n : HEAD)) {
            free(path);
            return RP_OK;
        }
        char *copy = malloc(t->n ? t->n : 1);
        if (!copy) {
            free(path);
            return RP_ENOMEM;
        }
        if (t->n) memcpy(copy, t->data, t->n);
        return add(im, path, copy, t->n, li, false);
    }
    if (type == AE_IFLNK) {
        const char *to = archive_entry_symlink(e);
        char *target = to ? strdup(to) : NULL;
        if (!is_os_release(path) || !target) {
            free(target);
            free(path);
            return RP_OK;
        }
        return add(im, path, target, strlen(target), li, true);
    }
    if (type != AE_IFREG) {
        free(path);
        return RP_OK;
    }
    char head[HEAD];
    size_t hn = 0;
    while (hn < sizeof head) {
        la_ssize_t r = archive_read_data(in, head + hn, sizeof head - hn);
        if (r < 0) {
            warnf(im, "vulns: image '%s': layer '%s': member '%s': %s", im->tar, lname, path,
                  archive_error_string(in) ? archive_error_string(in) : "read error");
            free(path);
            return RP_OK;
        }
        if (r == 0) break;
        hn += (size_t)r;
    }
    if (!wanted(im, path, head, hn)) {
        free(path);
        return RP_OK;
    }
    if (archive_entry_size_is_set(e) && archive_entry_size(e) > (la_int64_t)VULN_IMG_MAX_FILE) {
        warnf(im, "vulns: image '%s': layer '%s': member '%s' is larger than %u bytes, skipped",
              im->tar, lname, path, VULN_IMG_MAX_FILE);
        free(path);
        return RP_OK;
    }
    if (im->nfiles >= VULN_IMG_MAX_FILES) {
        warnf(im, "vulns: image '%s': layer '%s': member '%s': more than %u files kept, skipped",
              im->tar, lname, path, VULN_IMG_MAX_FILES);
        free(path);
        return RP_OK;
    }
    size_t room = VULN_IMG_MAX_KEPT - im->kept;
    char *data = NULL;
    size_t n = 0;
    size_t lim = room < VULN_IMG_MAX_FILE ? room : VULN_IMG_MAX_FILE;
    rp_err er = lim ? slurp(in, head, hn, &data, &n, lim) : RP_ELIMIT;
    if (er == RP_ENOMEM) {
        free(path);
        return er;
    }
    if (er) {
        if (er == RP_ELIMIT)
            warnf(im,
                  "vulns: image '%s': layer '%s': member '%s' is larger than %u bytes or the "
                  "image's kept files exceed %u bytes, skipped",
                  im->tar, lname, path, VULN_IMG_MAX_FILE, VULN_IMG_MAX_KEPT);
        else
            warnf(im, "vulns: image '%s': layer '%s': member '%s': %s", im->tar, lname, path,
                  archive_error_string(in) ? archive_error_string(in) : "read error");
        free(path);
        return RP_OK;
    }
    return add(im, path, data, n, li, false);
}

/* Warn that layer lname could not be read: the image's own read error with its offset in
 * the image (a truncated or damaged tar), or the layer's with its offset in the layer. */
static void layer_failed(struct img *im, const char *lname, struct archive *in,
                         const struct nested *nd)
{
    const char *why = nd->failed ? archive_error_string(nd->outer) : archive_error_string(in);
    long long at = nd->failed ? (long long)archive_filter_bytes(nd->outer, 0)
                              : (long long)archive_filter_bytes(in, 0);
    char where[64] = "";
    if (at >= 0)
        snprintf(where, sizeof where, " at byte %lld of the %s", at,
                 nd->failed ? "image" : "layer");
    warnf(im, "vulns: image '%s': layer '%s': %s%s", im->tar, lname,
          why          ? why
          : nd->failed ? "read error"
                       : "not a tar",
          where);
}

/* Apply layer li of s to the merged view; a computed digest goes to s->layers[li].digest. */
static rp_err apply_layer(struct img *im, struct spec *s, size_t li)
{
    const char *lname = s->layers[li].member;
    struct archive *outer = open_tar(im->tar);
    if (!outer) {
        warnf(im, "vulns: image '%s': cannot open the archive", im->tar);
        return RP_OK;
    }
    if (!seek_member(outer, lname)) {
        warnf(im, "vulns: image '%s': layer '%s' not found", im->tar, lname);
        archive_read_free(outer);
        return RP_OK;
    }
    struct nested *nd = calloc(1, sizeof *nd);
    struct archive *in = archive_read_new();
    if (!nd || !in) {
        free(nd);
        archive_read_free(in);
        archive_read_free(outer);
        return RP_ENOMEM;
    }
    nd->outer = outer;
    if (!s->layers[li].digest && !(nd->sha = rp_hash_sha256_new())) {
        free(nd);
        archive_read_free(in);
        archive_read_free(outer);
        return RP_ENOMEM;
    }
    struct rp_hash_sha256 *sha = nd->sha;
    rp_err err = RP_OK;
    if (archive_read_support_filter_all(in) != ARCHIVE_OK ||
        archive_read_support_format_tar(in) != ARCHIVE_OK ||
        archive_read_open(in, nd, NULL, nested_read, NULL) != ARCHIVE_OK) {
        layer_failed(im, lname, in, nd);
    } else {
        struct archive_entry *e;
        for (;;) {
            int r = archive_read_next_header(in, &e);
            if (r == ARCHIVE_EOF) break;
            if (r == ARCHIVE_RETRY) continue;
            if (r == ARCHIVE_FATAL) {
                layer_failed(im, lname, in, nd);
                break;
            }
            if ((err = entry(im, in, e, li, lname))) break;
        }
    }
    if (!err && sha) {
        /* hash what the nested reader left of the member (padding, trailing blocks) */
        la_ssize_t r;
        while (nd->sha && (r = archive_read_data(outer, nd->buf, sizeof nd->buf)) > 0)
            if (rp_hash_sha256_update(nd->sha, nd->buf, (size_t)r) != RP_OK) nd->sha = NULL;
        uint8_t md[RP_HASH_SHA256_LEN];
        char *d = malloc(7 + 2 * RP_HASH_SHA256_LEN + 1);
        if (!d) {
            err = RP_ENOMEM;
        } else if (nd->sha && !nd->failed && rp_hash_sha256_final(nd->sha, md) == RP_OK &&
                   rp_hex_encode(d + 7, 2 * RP_HASH_SHA256_LEN + 1, md, sizeof md) == RP_OK) {
            memcpy(d, "sha256:", 7);
            s->layers[li].digest = d;
        } else {
            free(d);
        }
    }
    rp_hash_sha256_free(sha);
    archive_read_free(in);
    archive_read_free(outer);
    free(nd);
    return err;
}

/* ---- reporting --------------------------------------------------------------------------- */

static int cmp_file(const void *a, const void *b)
{
    return strcmp(((const struct mfile *)a)->path, ((const struct mfile *)b)->path);
}

/* The regular file os-release resolves to, following up to 8 symlinks. */
static const struct mfile *resolve(struct img *im, const char *path)
{
    char cur[1024];
    snprintf(cur, sizeof cur, "%s", path);
    for (int hop = 0; hop < 8; hop++) {
        const struct mfile *f = find(im, cur);
        if (!f || !f->symlink) return f;
        char next[2048];
        if (f->data[0] == '/') {
            snprintf(next, sizeof next, "%s", f->data);
        } else {
            const char *sl = strrchr(cur, '/');
            snprintf(next, sizeof next, "%.*s%s%s", sl ? (int)(sl - cur) : 0, cur, sl ? "/" : "",
                     f->data);
        }
        norm_path(next);
        if (strlen(next) >= sizeof cur) return NULL;
        memcpy(cur, next, strlen(next) + 1);
    }
    return NULL;
}

static rp_err report(struct img *im, const struct spec *s, rp_vuln_image_file_fn fn, void *ctx,
                     struct rp_errbuf *eb)
{
    char os[64] = "";
    static const char *const rel[] = {"etc/os-release", "usr/lib/os-release"};
    for (int i = 0; i < 2 && !os[0]; i++) {
        const struct mfile *f = resolve(im, rel[i]);
        if (f && rp_vuln_os_release(f->data, f->n, os, sizeof os) != RP_OK) os[0] = 0;
    }
    if (im->nfiles) qsort(im->files, im->nfiles, sizeof *im->files, cmp_file);
    for (size_t i = 0; i < im->nfiles; i++) {
        const struct mfile *f = &im->files[i];
        if (f->symlink) continue;
        const char *d = display(im, f->path);
        bool any = false;
        size_t hn = f->n < HEAD ? f->n : HEAD;
        for (size_t k = 0; !any && rp_vuln_inventory_formats[k]; k++)
            any = rp_vuln_inventory_formats[k]->detect(d, f->data, hn);
        if (!any) continue;
        rp_err e = fn(ctx, d, f->data, f->n, s->layers[f->layer].digest, os[0] ? os : NULL, eb);
        if (e) return e;
    }
    return RP_OK;
}

static rp_err run_spec(struct img *im, struct spec *s, rp_vuln_image_file_fn fn, void *ctx,
                       struct rp_errbuf *eb)
{
    rp_err e = RP_OK;
    for (size_t i = 0; i < s->n && !e; i++) e = apply_layer(im, s, i);
    if (e == RP_ENOMEM) e = rp_fail(eb, e, "vulns: out of memory reading image '%s'", im->tar);
    if (!e) e = report(im, s, fn, ctx, eb);
    clear(im);
    return e;
}

rp_err rp_vuln_image_read(const char *path, rp_vuln_image_file_fn fn, void *ctx,
                          rp_vuln_warn_fn warn, void *warn_ctx, int64_t *failed,
                          struct rp_errbuf *eb)
{
    struct img im = {.tar = path, .warn = warn, .warn_ctx = warn_ctx, .failed = failed};
    struct rp_buf meta, tmp;
    rp_buf_init(&meta, VULN_IMG_MAX_JSON);
    rp_buf_init(&tmp, VULN_IMG_MAX_JSON);
    rp_err e = RP_OK;
    if (!(im.jp = rp_json_parser_new())) return rp_fail(eb, RP_ENOMEM, "vulns: out of memory");

    /* which kind: a pass over the headers */
    bool docker = false, layout = false, index = false;
    struct archive *a = open_tar(path);
    if (a) {
        struct archive_entry *en;
        int r;
        while ((r = archive_read_next_header(a, &en)) == ARCHIVE_OK || r == ARCHIVE_WARN) {
            char *p = dup_norm(archive_entry_pathname(en));
            if (p) {
                docker |= strcmp(p, "manifest.json") == 0;
                layout |= strcmp(p, "oci-layout") == 0;
                index |= strcmp(p, "index.json") == 0;
            }
            free(p);
        }
        if (r == ARCHIVE_FATAL)
            warnf(&im, "vulns: image '%s': %s at byte %lld", path,
                  archive_error_string(a) ? archive_error_string(a) : "read error",
                  (long long)archive_filter_bytes(a, 0));
        archive_read_free(a);
    }
    struct rp_json_val root, el;
    struct rp_json_iter it;
    struct rp_errbuf jeb = {0};
    size_t nimg = 0;
    if (docker) {
        if (!read_member(&im, "manifest.json", &meta)) goto out;
        if (rp_json_parse_buf(im.jp, &meta, &root, &jeb) != RP_OK ||
            rp_json_arr_iter(root, &it) != RP_OK) {
            e = rp_fail(eb, RP_EPARSE, "vulns: image '%s': member 'manifest.json': %s", path,
                        jeb.msg[0] ? jeb.msg : "not a JSON array");
            goto out;
        }
        /* manifest.json stays parsed in meta's parser while configs use a second one */
        struct rp_json_parser *outer_jp = im.jp;
        if (!(im.jp = rp_json_parser_new())) {
            im.jp = outer_jp;
            e = rp_fail(eb, RP_ENOMEM, "vulns: out of memory");
            goto out;
        }
        while (!e && rp_json_arr_next(&it, &el) && nimg++ < VULN_IMG_MAX_IMAGES) {
            struct spec s = {0};
            e = docker_spec(&im, el, &tmp, &s);
            if (e) e = rp_fail(eb, e, "vulns: out of memory reading image '%s'", path);
            if (!e) e = run_spec(&im, &s, fn, ctx, eb);
            spec_release(&s);
        }
        rp_json_parser_free(im.jp);
        im.jp = outer_jp;
    } else if (layout && index) {
        if (!read_member(&im, "index.json", &meta)) goto out;
        if (rp_json_parse_buf(im.jp, &meta, &root, &jeb) != RP_OK ||
            rp_json_obj_get(root, "manifests", &el) != RP_OK ||
            rp_json_arr_iter(el, &it) != RP_OK) {
            e = rp_fail(eb, RP_EPARSE, "vulns: image '%s': member 'index.json': %s", path,
                        jeb.msg[0] ? jeb.msg : "no 'manifests' array");
            goto out;
        }
        /* collect the image manifest digests first (a nested index is followed once) */
        char *digests[VULN_IMG_MAX_IMAGES];
        size_t nd = 0;
        struct rp_json_val m;
        char *nested[VULN_IMG_MAX_IMAGES];
        size_t nn = 0;
        while (rp_json_arr_next(&it, &m)) {
            struct rp_str d, mt = {0};
            if (rp_json_obj_get_str(m, "digest", &d) != RP_OK) continue;
            bool has_mt = rp_json_obj_get_str(m, "mediaType", &mt) == RP_OK;
            bool is_index = has_mt && (rp_str_has_suffix(mt, "image.index.v1+json") ||
                                       rp_str_has_suffix(mt, "manifest.list.v2+json"));
            if (is_index && nn < VULN_IMG_MAX_IMAGES) nested[nn++] = dup_str(d);
            if (!is_index && nd < VULN_IMG_MAX_IMAGES) digests[nd++] = dup_str(d);
        }
        for (size_t k = 0; k < nn; k++) {
            char member[512];
            if (!nested[k] || !blob_member(rp_str_from(nested[k]), member, sizeof member) ||
                !read_member(&im, member, &tmp))
                continue;
            struct rp_json_iter it2;
            if (rp_json_parse_buf(im.jp, &tmp, &root, &jeb) != RP_OK ||
                rp_json_obj_get(root, "manifests", &el) != RP_OK ||
                rp_json_arr_iter(el, &it2) != RP_OK) {
                warnf(&im, "vulns: image '%s': member '%s': not an image index", path, member);
                continue;
            }
            while (rp_json_arr_next(&it2, &m) && nd < VULN_IMG_MAX_IMAGES) {
                struct rp_str d;
                if (rp_json_obj_get_str(m, "digest", &d) == RP_OK) digests[nd++] = dup_str(d);
            }
        }
        for (size_t k = 0; k < nd && !e; k++) {
            struct spec s = {0};
            if (!digests[k]) {
                e = rp_fail(eb, RP_ENOMEM, "vulns: out of memory");
                break;
            }
            e = oci_spec(&im, rp_str_from(digests[k]), &tmp, &s);
            if (e) e = rp_fail(eb, e, "vulns: out of memory reading image '%s'", path);
            if (!e) e = run_spec(&im, &s, fn, ctx, eb);
            spec_release(&s);
        }
        for (size_t k = 0; k < nd; k++) free(digests[k]);
        for (size_t k = 0; k < nn; k++) free(nested[k]);
    } else {
        e = rp_fail(eb, RP_EPARSE, "vulns: '%s' is neither a docker save nor an OCI image tar",
                    path);
    }
out:
    clear(&im);
    rp_json_parser_free(im.jp);
    rp_buf_release(&meta);
    rp_buf_release(&tmp);
    return e;
}
