/* SPDX-License-Identifier: Apache-2.0 */
/* Private to src/detect: GuardDuty's finding JSON of one folded finding (detect_gd.c).
 *
 * rp_det_gd_write writes ONE finding object in the shape `aws guardduty get-findings` prints
 * (GetFindings, PascalCase members, aws-facts.md §4.1): AccountId, Arn, CreatedAt, Description,
 * Id, Partition, Region, Resource, SchemaVersion "2.0", Service, Severity, Title, Type,
 * UpdatedAt. The hub's GuardDuty converter (src/hub/hub_conv_guardduty.c) reads it back as
 * the ASFF Security Hub would have received, and the suppression rules (detect_suppress.h)
 * are evaluated against it.
 *
 * What the detector did not know is left out rather than made up: RemoteIpDetails holds the
 * address alone unless an ipinfo callback adds organisation and place; InstanceDetails is
 * the instance's Config item when the run has one, else the instance id and what the
 * interface facts say. The few members the converter cannot do without are always written
 * (AccessKeyDetails.AccessKeyId falls back on the resource id, InstanceDetails.InstanceId on
 * the resource id, EksClusterDetails.Arn is built from the cluster name). */
#ifndef RP_DETECT_GD_H
#define RP_DETECT_GD_H

#include <stdbool.h>
#include <stdint.h>

#include "core/rp_err.h"
#include "core/rp_json.h"
#include "detect/detect_internal.h"

/* What is known about a remote address (RemoteIpDetails); NULL members are left out. */
struct rp_det_gd_ipinfo {
    const char *asn, *asn_org, *isp, *org;   /* Organization{Asn, AsnOrg, Isp, Org} */
    const char *country_code, *country_name; /* Country{CountryCode, CountryName} */
    const char *city;                        /* City{CityName} */
    bool has_geo;                            /* GeoLocation{Lat, Lon} */
    double lat, lon;
};

/* Fill *out for ip (text as the finding holds it); false when nothing is known. Strings must
 * stay valid until rp_det_gd_write returns. */
typedef bool (*rp_det_gd_ipinfo_fn)(void *ctx, const char *ip, struct rp_det_gd_ipinfo *out);

/* The run's facts about one finding besides the folded detector output. Everything is
 * borrowed for the call. */
struct rp_det_gd_facts {
    const char *detector_id; /* Service.DetectorId and the Arn's detector (required) */
    const char *partition;   /* NULL = "aws" */
    int64_t now_ms;          /* CreatedAt/UpdatedAt when those are 0 */
    int64_t created_ms;      /* CreatedAt: when the finding was first written (0 = now_ms) */
    int64_t updated_ms;      /* UpdatedAt (0 = now_ms) */
    bool archived;           /* Service.Archived (a suppression rule matched) */
    /* Instance findings: the instance's AWS Config item configuration (JSON text, camelCase
     * as Config stores EC2's DescribeInstances shape; PascalCase is read too), as
     * rp_det_inv_instance_json returns it, or NULL; then eni (may be NULL) gives the
     * interface's VPC, subnet, addresses and groups. */
    const char *instance_json;
    const struct rp_det_inv_eni *eni;
    /* S3 findings: the bucket's Config item (the whole item, or its configuration alone), or
     * NULL: CreatedAt, Owner, Tags, DefaultServerSideEncryption, PublicAccess. */
    const char *bucket_json;
    /* EKS findings: the cluster's Config item configuration (AWS::EKS::Cluster), or NULL. */
    const char *cluster_json;
    rp_det_gd_ipinfo_fn ipinfo; /* may be NULL */
    void *ipinfo_ctx;
    struct rp_json_parser *parser; /* reused for the JSON texts above; NULL = one per call */
};

/* Write the finding ff as one GuardDuty finding object (a value: at the top level, as an array
 * element or after a key). Title and Description are the type's (ff->type) with "%s" replaced
 * by the resource id (ff->f.description wins over the type's description); Severity is
 * ff->f.severity, else the type's default. The finding Id is the 32 hex digits of ff->id
 * after "detect/", and Arn is arn:<partition>:guardduty:<region>:<account>:detector/
 * <detector_id>/finding/<id>. Times are written as "2024-03-04T10:15:30.120Z".
 * Returns RP_OK; RP_EINVAL (with a message) when ff lacks its type, account, region or
 * resource id, or g its detector id; RP_ENOMEM. The writer's own errors (RP_ELIMIT when its
 * buffer is full) are sticky in w and surface at rp_json_writer_finish. */
rp_err rp_det_gd_write(struct rp_json_writer *w, const struct rp_det_folded *ff,
                       const struct rp_det_gd_facts *g, struct rp_errbuf *eb) RP_WUR;

/* GuardDuty's PortName of a port: "SSH", "RDP", "HTTPS", ..., "Unknown" for the others. */
const char *rp_det_gd_port_name(int port);

/* Service.FeatureName of a finding of type from source: "CloudTrail", "S3DataEvents",
 * "FlowLogs", "DnsLogs", "EksAuditLogs". */
const char *rp_det_gd_feature_name(enum rp_det_source src, const char *type);

#endif
