/* SPDX-License-Identifier: Apache-2.0 */
/* S3_BUCKET_PUBLIC_READ_PROHIBITED as a C check: no public read through the bucket ACL or the
 * bucket policy, unless S3 Block Public Access on the bucket or the account (lookup
 * accountBlock) neutralizes it. The analysis, shared with the public-write rule, is
 * rp_posture_s3_public_eval (posture_policy.h). */
#define RP_LOG_MODULE "posture"
#include "posture/posture_internal.h"
#include "posture/posture_policy.h"
#include "core/rp_banned.h"

static rp_err check(const struct rp_posture_eval_in *in, struct rp_posture_verdict *out,
                    struct rp_errbuf *eb)
{
    return rp_posture_s3_public_eval(in, RP_POSTURE_S3_READ, out, eb);
}

const struct rp_posture_check rp_posture_check_s3_bucket_public_read_prohibited = {
    .name = "s3_bucket_public_read_prohibited",
    .fn = check,
};
