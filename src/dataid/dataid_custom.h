/* SPDX-License-Identifier: Apache-2.0 */
/* Custom data identifiers and allow lists as account resources (Macie's
 * CreateCustomDataIdentifier / CreateAllowList), private to src/dataid and its command
 * (src/cmd/cmd_discover_ids.c, cmd_discover.c).
 *
 * They live in the store (data/schemas/store/0019_dataid_custom.sql): a custom identifier is
 * validated once, when it is added (its regex compiled by the code scans use, Macie's limits
 * checked), and kept as a definition in the identifier file format (docs/discover.md
 * "Identifier files") whose id is the identifier's name; scans and jobs add it to their set
 * with rp_dataid_custom_add_to_set. Removing a custom identifier is a soft delete, as in Macie
 * (it keeps answering by id with deleted true; its name is free again); deleting an allow list
 * removes it.
 *
 * Errors common to the store functions: those of store.h (RP_EDB, RP_ENOMEM) in *eb. */
#ifndef RP_DATAID_CUSTOM_H
#define RP_DATAID_CUSTOM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/rp_err.h"

struct rp_store;
struct rp_buf;
struct rp_dataid_set;

/* The store schema version that has the tables (migration 0019). */
#define RP_DATAID_CUSTOM_SCHEMA 19

/* Macie's limits (aws-facts §7.2, §7.3); lengths count characters (UTF-8 code points). */
#define RP_DATAID_CUSTOM_MAX_REGEX       512 /* regex, also an allow list's regex */
#define RP_DATAID_CUSTOM_MAX_KEYWORDS    50  /* keywords, each 3..90 characters */
#define RP_DATAID_CUSTOM_KEYWORD_MIN     3
#define RP_DATAID_CUSTOM_KEYWORD_MAX     90
#define RP_DATAID_CUSTOM_MAX_IGNORE      10 /* ignore words, each 4..90 characters */
#define RP_DATAID_CUSTOM_IGNORE_MIN      4
#define RP_DATAID_CUSTOM_IGNORE_MAX      90
#define RP_DATAID_CUSTOM_MAX_NAME        128 /* name: 1..128 (Macie's API) */
#define RP_DATAID_CUSTOM_MAX_DESCRIPTION 512
#define RP_DATAID_ALLOW_MAX_PHRASES      100000      /* a words list's entries */
#define RP_DATAID_ALLOW_MAX_BYTES        (35u << 20) /* and its size */

/* The ARN of a stored resource, as Macie's (region us-east-1, account 000000000000 as the
 * rest of discover): "arn:aws:macie2:us-east-1:000000000000:custom-data-identifier/<id>",
 * ".../allow-list/<id>". Writes at most n bytes to buf (always terminated) and returns it. */
const char *rp_dataid_custom_arn(const char *id, char *buf, size_t n);
const char *rp_dataid_allow_arn(const char *id, char *buf, size_t n);

/* ---- custom data identifiers ---------------------------------------------------------------- */

/* A stored custom identifier. definition is heap memory owned by the struct (release it with
 * rp_dataid_custom_release); the rest is inline. */
struct rp_dataid_custom {
    char id[37]; /* customDataIdentifierId, a UUID; "" before rp_dataid_custom_put */
    char name[4 * RP_DATAID_CUSTOM_MAX_NAME + 1];
    char description[4 * RP_DATAID_CUSTOM_MAX_DESCRIPTION + 1];
    char *definition; /* JSON, the identifier file format, with id = name */
    int64_t created_ms;
    bool deleted;
    int64_t deleted_ms;
};
void rp_dataid_custom_release(struct rp_dataid_custom *c);

/* Validate the custom identifier of text[0..n) (the file file, named in messages) and fill *out
 * (id empty, created_ms 0). The text is YAML (or JSON) in either of two shapes:
 *  - Rampart's identifier file format with category CUSTOM_IDENTIFIER (id, regex, keywords,
 *    ignore_words, max_distance, severity_levels, and Rampart's caseless, boundary, validator,
 *    keyword_mode, digit_run);
 *  - Macie's CreateCustomDataIdentifier request, or its GetCustomDataIdentifier answer: name,
 *    description, regex, keywords, ignoreWords, maximumMatchDistance, severityLevels
 *    [{occurrencesThreshold, severity}] (other members, arn, id, createdAt, deleted, tags, are
 *    ignored). A file without a category key has this shape.
 * name (may be NULL: the file's id, or Macie's name) and description (NULL: the file's
 * description, else "") override. The regex is compiled as a scan compiles it.
 * Errors: RP_EPARSE "dataid: <file>: <problem>" for bad YAML, a missing or bad member, a regex
 * PCRE2 refuses, and Macie's limits: "regex longer than 512 characters", "more than 50
 * keywords", "keyword not 3 to 90 characters long: '<kw>'", "more than 10 ignore words",
 * "ignore word not 4 to 90 characters long: '<w>'", "maximumMatchDistance out of 1..300",
 * "name not 1 to 128 characters long", "description longer than 512 characters", "category
 * is not CUSTOM_IDENTIFIER: '<c>'", "name is a managed data identifier's id: '<name>'";
 * RP_ENOMEM. */
rp_err rp_dataid_custom_prepare(const char *file, const char *text, size_t n, const char *name,
                                const char *description, struct rp_dataid_custom *out,
                                struct rp_errbuf *eb) RP_WUR;

/* Store c: a new UUID into c->id when it is empty, now into c->created_ms when 0. RP_EEXIST
 * "dataid: a custom data identifier named '<name>' exists: '<id>'" when one not deleted has the
 * name (or c->id is taken). */
rp_err rp_dataid_custom_put(struct rp_store *st, struct rp_dataid_custom *c,
                            struct rp_errbuf *eb) RP_WUR;

/* The custom identifier ref into *out (release it): ref is an id (deleted or not) or the name
 * of one not deleted. RP_ENOENT "dataid: no custom data identifier '<ref>'". */
rp_err rp_dataid_custom_get(struct rp_store *st, const char *ref, struct rp_dataid_custom *out,
                            struct rp_errbuf *eb) RP_WUR;

/* Soft-delete ref (an id or a name, not deleted yet); *out (may be NULL) gets it as it is now
 * (release it). RP_ENOENT as rp_dataid_custom_get, also for one already deleted. */
rp_err rp_dataid_custom_remove(struct rp_store *st, const char *ref, int64_t now_ms,
                               struct rp_dataid_custom *out, struct rp_errbuf *eb) RP_WUR;

/* Every custom identifier (with_deleted: the deleted ones too), by name then id, to fn; c is
 * borrowed for the call; they are read first, so fn may use st. fn's error stops the walk. */
typedef rp_err (*rp_dataid_custom_fn)(void *ctx, const struct rp_dataid_custom *c,
                                      struct rp_errbuf *eb);
rp_err rp_dataid_custom_each(struct rp_store *st, bool with_deleted, rp_dataid_custom_fn fn,
                             void *ctx, struct rp_errbuf *eb) RP_WUR;

/* Add c to s (not compiled yet) as rp_dataid_set_add_yaml adds a file, named by its ARN in
 * messages. Its errors. */
rp_err rp_dataid_custom_add_to_set(struct rp_dataid_set *s, const struct rp_dataid_custom *c,
                                   struct rp_errbuf *eb) RP_WUR;

/* c as Macie's GetCustomDataIdentifier answer (one JSON object, keys sorted: arn, createdAt,
 * deleted, description, id, ignoreWords, keywords, maximumMatchDistance, name, regex,
 * severityLevels) appended to out. RP_EPARSE for a definition that no longer parses. */
rp_err rp_dataid_custom_json(const struct rp_dataid_custom *c, struct rp_buf *out,
                             struct rp_errbuf *eb) RP_WUR;

/* ---- allow lists ------------------------------------------------------------------------------
 */

enum rp_dataid_allow_kind { RP_DATAID_ALLOW_REGEX, RP_DATAID_ALLOW_PHRASES };

/* A stored allow list; content is heap memory owned by the struct (rp_dataid_allow_release). */
struct rp_dataid_allow {
    char id[23]; /* allowListId: 22 lower-case letters and digits; "" before put */
    char name[4 * RP_DATAID_CUSTOM_MAX_NAME + 1];
    char description[4 * RP_DATAID_CUSTOM_MAX_DESCRIPTION + 1];
    enum rp_dataid_allow_kind kind;
    char *content;     /* the regex, or the phrases one per line */
    char source[1024]; /* phrases: the file they came from */
    size_t nphrases;   /* phrases: non-blank lines */
    int64_t created_ms, updated_ms;
};
void rp_dataid_allow_release(struct rp_dataid_allow *a);

/* Validate an allow list and fill *out (id empty). regex: at most 512 characters and compiled
 * as scans compile allow list regexes; phrases: text[0..n) read from file (source), one phrase
 * per line, at least one, at most 100,000 and 35 MiB. name 1..128 and description 0..512
 * characters. RP_EINVAL "dataid: allow list: <problem>" ("name not 1 to 128 characters long",
 * "description longer than 512 characters", "regex longer than 512 characters", "'<file>' has
 * no phrases", "'<file>' has more than 100000 phrases", "'<file>' is larger than 35 MiB"),
 * RP_EPARSE "dataid: allow list regex: <PCRE2's message>", RP_ENOMEM. */
rp_err rp_dataid_allow_prepare_regex(const char *name, const char *description, const char *regex,
                                     struct rp_dataid_allow *out, struct rp_errbuf *eb) RP_WUR;
rp_err rp_dataid_allow_prepare_phrases(const char *name, const char *description, const char *file,
                                       const char *text, size_t n, struct rp_dataid_allow *out,
                                       struct rp_errbuf *eb) RP_WUR;

/* Store a (a new id when a->id is empty; created_ms, updated_ms now when 0). RP_EEXIST
 * "dataid: an allow list named '<name>' exists: '<id>'". */
rp_err rp_dataid_allow_put(struct rp_store *st, struct rp_dataid_allow *a,
                           struct rp_errbuf *eb) RP_WUR;

/* The allow list ref (an id or a name) into *out (release it). RP_ENOENT "dataid: no allow
 * list '<ref>'". */
rp_err rp_dataid_allow_get(struct rp_store *st, const char *ref, struct rp_dataid_allow *out,
                           struct rp_errbuf *eb) RP_WUR;

/* The jobs not COMPLETE whose allowListIds hold id: *n of them, the first's id into job (33
 * bytes, "" when none). */
rp_err rp_dataid_allow_jobs_using(struct rp_store *st, const char *id, int64_t *n, char *job,
                                  struct rp_errbuf *eb) RP_WUR;

/* Delete the allow list ref (id or name). RP_ENOENT as rp_dataid_allow_get. */
rp_err rp_dataid_allow_delete(struct rp_store *st, const char *ref, struct rp_errbuf *eb) RP_WUR;

/* Every allow list, by name, to fn (read first, so fn may use st); fn's error stops it. */
typedef rp_err (*rp_dataid_allow_fn)(void *ctx, const struct rp_dataid_allow *a,
                                     struct rp_errbuf *eb);
rp_err rp_dataid_allow_each(struct rp_store *st, rp_dataid_allow_fn fn, void *ctx,
                            struct rp_errbuf *eb) RP_WUR;

/* Add a to s (not compiled yet): rp_dataid_set_allow_regex or rp_dataid_set_allow_phrases. */
rp_err rp_dataid_allow_add_to_set(struct rp_dataid_set *s, const struct rp_dataid_allow *a,
                                  struct rp_errbuf *eb) RP_WUR;

/* a as Macie's GetAllowList answer (arn, createdAt, criteria{regex} or criteria{s3WordsList
 * {bucketName "local", objectKey: the file}}, description, id, name, status{code OK},
 * updatedAt), appended to out. */
rp_err rp_dataid_allow_json(const struct rp_dataid_allow *a, struct rp_buf *out,
                            struct rp_errbuf *eb) RP_WUR;

#endif
