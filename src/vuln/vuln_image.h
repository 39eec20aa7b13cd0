/* SPDX-License-Identifier: Apache-2.0 */
/* Private to src/vuln: container image tars for the inventory runner (vuln_inventory.c).
 * vuln_image.c reads `docker save` tars and OCI image layout tars through libarchive, applies
 * their layers in order (whiteouts honoured) to a merged view that keeps only the files some
 * inventory format detects plus the os-release files, and hands each surviving file to a
 * callback with the digest of the layer that last wrote it. */
#ifndef RP_VULN_IMAGE_H
#define RP_VULN_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/rp_err.h"
#include "vuln/vuln.h"

#define VULN_IMG_MAX_JSON   (4u << 20)   /* manifest.json, index.json, a manifest or config */
#define VULN_IMG_MAX_FILE   (64u << 20)  /* one kept file of a layer */
#define VULN_IMG_MAX_KEPT   (512u << 20) /* all kept files of one image together */
#define VULN_IMG_MAX_FILES  65536u       /* kept files of one image */
#define VULN_IMG_MAX_LAYERS 1024u        /* layers of one image */
#define VULN_IMG_MAX_IMAGES 64u          /* images (manifests) in one tar */

/* One surviving file of an image: path is "<tar>:/<member path>" (what formats detect on and
 * report as file_path), layer the digest of the layer that wrote it ("sha256:.."), os the
 * image's OSV ecosystem from its os-release ("Debian:12") or NULL. All borrowed for the call;
 * an error stops the image and is returned by rp_vuln_image_read. */
typedef rp_err (*rp_vuln_image_file_fn)(void *ctx, const char *path, const char *data, size_t n,
                                        const char *layer, const char *os, struct rp_errbuf *eb);

/* Cheap test on a file's first bytes (head, n) and name: could it be an image tar (a plain
 * tar, or a .tar.gz / .tgz / .tar.zst)? */
bool rp_vuln_image_candidate(const char *path, const char *head, size_t n);

/* True when the tar at path holds manifest.json (docker save) or oci-layout and index.json
 * (OCI image layout) at its top level. Reads headers only. */
bool rp_vuln_image_probe(const char *path);

/* Read the image tar at path: every image it holds (manifest.json entries, or the image
 * manifests index.json names, following one nested index), each merged on its own, files in
 * path order. A member that is missing, too large or corrupt, and a truncated or corrupt
 * layer are reported through warn (image path, member name, byte offset when known) and
 * counted in *failed; the rest of the image is still read. Returns RP_OK, RP_ENOMEM, or fn's
 * error; RP_EPARSE when the tar has neither manifest.json nor a readable index.json. */
rp_err rp_vuln_image_read(const char *path, rp_vuln_image_file_fn fn, void *ctx,
                          rp_vuln_warn_fn warn, void *warn_ctx, int64_t *failed,
                          struct rp_errbuf *eb) RP_WUR;

#endif
