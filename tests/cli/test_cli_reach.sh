#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# `rampart reach`: a Config snapshot (tests/fixtures/netreach/snapshot.json: the netreach base
# estate, a VPN whose route table has no propagation, and a broken security group) ingested,
# then every exposure (exit 3 for the broken item, named on stderr), explain for a reachable
# and a blocked path, findings imported into the hub and listed, a finding closed when a change
# notification takes the port away, and usage errors.
SNAP=$(cd "$(dirname "$0")/../fixtures/netreach" && pwd)/snapshot.json
. "$(dirname "$0")/cli_lib.sh"
unset RAMPART_DB
# csv rows from rp_out end in CRLF (RFC 4180); compare without the CRs
runc() {
    run "$@"
    out=$(printf '%s' "$out" | tr -d '\r')
}
WARN="rampart: reach: warning: AWS::EC2::SecurityGroup sg-broken: 'ipPermissions' is not an array"
P1="igw-1 > rtb-pub > acl-pub > subnet-pub > sg-web > eni-1 > i-1"

run --db r.db ingest "$SNAP"
expect_rc 0 "ingest"

runc --db r.db --format csv reach
expect_rc 3 "one configuration item cannot be read"
expect_out "resource,type,account,vpc,origin,origin_id,protocol,ports,path
i-1,AWS::EC2::Instance,111122223333,vpc-1,internet,igw-1,tcp,22,$P1
i-1,AWS::EC2::Instance,111122223333,vpc-1,internet,igw-1,tcp,443,$P1
i-1,AWS::EC2::Instance,111122223333,vpc-1,internet,igw-1,udp,53,$P1" "every exposure"
expect_err "$WARN" "the broken item is named"

runc --db r.db --format csv reach scan --origin vpn
expect_rc 3 "scan, vpn only"
expect_out "resource,type,account,vpc,origin,origin_id,protocol,ports,path" "nothing through the VPN"

runc --db r.db --format csv reach explain --from internet --to i-1 --port 22
expect_rc 3 "explain, reachable"
expect_out "from,to,protocol,port,reachable,blocked_by,blocked_type,reason,path
internet,i-1,tcp,22,yes,,,,$P1" "the path"

runc --db r.db --format csv reach explain --from vpn:cgw-1 --to i-1 --port 22
expect_out "from,to,protocol,port,reachable,blocked_by,blocked_type,reason,path
vpn:cgw-1,i-1,tcp,22,no,rtb-pub,AWS::EC2::RouteTable,route table rtb-pub has no route to the VPN: propagation from vgw-1 is disabled and no static route exists," "the blocking route table"

run --db r.db --format json reach explain --from 198.51.100.0/24 --to i-1 --port 53 --protocol udp
expect_out '[{"from":"198.51.100.0/24","to":"i-1","protocol":"udp","port":"53","reachable":true,"blocked_by":null,"blocked_type":null,"reason":null,"path":[{"id":"igw-1","type":"AWS::EC2::InternetGateway"},{"id":"rtb-pub","type":"AWS::EC2::RouteTable"},{"id":"acl-pub","type":"AWS::EC2::NetworkAcl"},{"id":"subnet-pub","type":"AWS::EC2::Subnet"},{"id":"sg-web","type":"AWS::EC2::SecurityGroup"},{"id":"eni-1","type":"AWS::EC2::NetworkInterface"},{"id":"i-1","type":"AWS::EC2::Instance"}]}]' "json"

runc --db r.db --format csv reach findings
expect_rc 3 "findings"
expect_out "findings,created,updated,unchanged,failed,closed,bad_items
3,3,0,0,0,0,1" "three findings"

run --db r.db --format csv findings list
expect_out_has "Port range 22 - 22 is reachable from an Internet Gateway" "listed in the hub"

# a change notification closes SSH on sg-web: the next run closes that finding, as Inspector
# does when a port is no longer reachable, and updates the other two
jq '{messageType: "ConfigurationItemChangeNotification", recordVersion: "1.3",
     notificationCreationTime: "2026-01-06T10:00:05.000Z",
     configurationItem: (.configurationItems[] | select(.resourceId == "sg-web")
       | .configurationItemCaptureTime = "2026-01-06T10:00:00.000Z"
       | .configurationStateId = 1767693600000
       | .configuration.ipPermissions |= map(select(.fromPort != 22)))}' "$SNAP" >change.json
run --db r.db ingest change.json
expect_rc 0 "ingest the change"
runc --db r.db --format csv reach findings
expect_rc 3 "findings again"
expect_out "findings,created,updated,unchanged,failed,closed,bad_items
2,0,2,0,0,1,1" "two findings updated, one closed"
run --db r.db findings export --to inspector
expect_out_has '"title":"Port range 22 - 22 is reachable from an Internet Gateway",' "the closed one"
checks=$((checks + 1))
[ "$(printf '%s' "$out" | jq -r '.findings[] | .title + " " + .status' | sort)" = "Port range 22 - 22 is reachable from an Internet Gateway CLOSED
Port range 443 - 443 is reachable from an Internet Gateway ACTIVE
Port range 53 - 53 is reachable from an Internet Gateway ACTIVE" ] || fail "statuses after the change: $out"

run --db r.db reach explain --from internet --to i-404 --port 22
expect_rc 2 "unknown resource"
expect_err "$WARN
rampart: reach: netreach: no instance, interface, load balancer or database 'i-404' in the configuration items
hint: see 'rampart help reach'" "named"

run --db r.db reach explain --from internet --to i-1 --port 70000
expect_rc 2 "bad port"
expect_err "rampart: reach: --port must be 0..65535, not '70000'
hint: see 'rampart help reach'" "port"

run --db r.db reach nonsense
expect_rc 2 "unknown subcommand"

finish
