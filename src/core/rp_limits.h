/* SPDX-License-Identifier: Apache-2.0 */
/* Every hard cap in Rampart has a name here (STYLE.md B4.4). Input can never make a buffer,
 * a document or a decompressor grow past one of these; hitting a cap is RP_ELIMIT. */
#ifndef RP_LIMITS_H
#define RP_LIMITS_H

#define RP_MAX_JSON_BYTES    (4ull << 30) /* one JSON document (a CloudTrail file fits) */
#define RP_MAX_JSON_DEPTH    256          /* nesting of arrays and objects */
#define RP_MAX_EVENT_BYTES   (1u << 20)   /* one event record (CloudTrail caps at 256 KB) */
#define RP_MAX_RECORD_BYTES  (16u << 20)  /* one framed input record (a Config item can be MBs) */
#define RP_MAX_LINE_BYTES    (16u << 20)  /* one line of a text log */
#define RP_MAX_GZ_RATIO      1000u        /* decompressed / compressed bytes, bomb guard */
#define RP_MAX_GZ_OUTPUT     (8ull << 30) /* decompressed bytes of one file */
#define RP_GZ_RATIO_FLOOR    (1u << 20)   /* output allowed before RP_MAX_GZ_RATIO applies */
#define RP_MAX_REJECT_BYTES  (64u << 10)  /* raw bytes kept for one rejected record */
#define RP_MAX_PATH_BYTES    4096         /* one path handed to the walker */
#define RP_MAX_WALK_DEPTH    64           /* directory nesting followed by the walker */
#define RP_MAX_ERRMSG        256          /* struct rp_errbuf message */
#define RP_MAX_LOG_LINE      2048         /* one log line after formatting */
#define RP_MAX_CIDR_ENTRIES  (16u << 20)  /* prefixes in one CIDR set */
#define RP_MAX_STORE_STMTS   256          /* cached prepared statements per store */
#define RP_MAX_EMBED_OVERLAY (64u << 20)  /* one --data-dir overlay file */

#endif
