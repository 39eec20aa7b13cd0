/* SPDX-License-Identifier: Apache-2.0 */
/* Private to src/store and its unit tests: RP_STATIC functions of store_sqlite.c that the
 * tests reach by compiling that file with RP_TESTING (STYLE.md B7). Nothing else includes
 * this header. */
#ifndef RP_STORE_INTERNAL_H
#define RP_STORE_INTERNAL_H

#include "core/rp_embed.h"
#include "store/store.h"

#ifdef RP_TESTING
/* rp_store_new with the migrations migs[0..nmigs) (NNNN_name.sql files, numbered from 1 in
 * order) instead of the embedded schemas/store/ files, so tests can play a failing migration
 * or an older binary. */
rp_err store_open_with(const char *path, unsigned flags, const struct rp_embed_file *migs,
                       size_t nmigs, struct rp_store **out, struct rp_errbuf *eb);
#endif

#endif
