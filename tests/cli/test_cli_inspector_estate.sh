#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Inspector on the simulator's estate (issue 9 acceptance): the scenario
# posture-ssh-open-vulnerable-openssh plants a jump host with a public address, a security
# group open to 0.0.0.0/0 on 22 and a vulnerable OpenSSH, and a private twin with the same
# package and group but no public address in a private subnet. After simulate, ingest,
# `vulns db import`, `reach findings` and `vulns scan`:
#   - the jump host has both findings: NETWORK_REACHABILITY (TCP 22 - 22 from the internet
#     gateway, with the path) and PACKAGE_VULNERABILITY of the planted CVE with the Inspector
#     score equal to the CVSS base (not lowered);
#   - the twin has the package finding with the score lowered (attack vector adjacent, the
#     adjustment says why) and no reachability finding from the internet (the simulated VPN
#     sites do reach its port 22: those findings say "Virtual Private Gateway");
#   - every vulnerable (instance, advisory) pair of side-truth/packages.jsonl is found, and
#     nothing else.
. "$(dirname "$0")/cli_lib.sh"
unset RAMPART_DB

run simulate --out s --days 2 --scenarios posture-ssh-open-vulnerable-openssh
expect_rc 0 "simulate"
run --db v.db ingest s/AWSLogs
expect_rc 0 "ingest"
run --db v.db vulns db import s/advisories
expect_rc 0 "advisories"
run --db v.db reach findings
expect_rc 0 "reachability findings"
run --db v.db --format csv vulns scan s/inventory
expect_rc 0 "scan"
scan=$(printf '%s\n' "$out" | tr -d '\r')

truth=$(grep '"scenario":"posture-ssh-open-vulnerable-openssh"' s/truth.jsonl)
jump=$(printf '%s' "$truth" | jq -r '.entities[0]')
twin=$(printf '%s' "$truth" | jq -r '.entities[4]')
cve=$(printf '%s' "$truth" | jq -r '.cves[0]')
checks=$((checks + 1))
case "$jump $twin $cve" in
i-*" "i-*" "CVE-*) ;;
*) fail "truth: jump '$jump', twin '$twin', cve '$cve'" ;;
esac

# ---- the jump host: both findings, the score not lowered ------------------------------------
run --db v.db findings export --to inspector --filter "ResourceId~=$jump"
expect_rc 0 "export the jump host's findings"
net=$(printf '%s' "$out" | jq -c '[.findings[] | select(.type == "NETWORK_REACHABILITY") | {title, p: .networkReachabilityDetails.protocol, r: .networkReachabilityDetails.openPortRange, first: .networkReachabilityDetails.networkPath.steps[0].componentType, last: .networkReachabilityDetails.networkPath.steps[-1].componentId}]')
expect_text() { checks=$((checks + 1)); [ "$1" = "$2" ] || fail "$3: got '$1', wanted '$2'"; }
expect_text "$net" "[{\"title\":\"Port range 22 - 22 is reachable from an Internet Gateway\",\"p\":\"TCP\",\"r\":{\"begin\":22,\"end\":22},\"first\":\"AWS::EC2::InternetGateway\",\"last\":\"$jump\"}]" "jump host: reachability"
pkg=$(printf '%s' "$out" | jq -c --arg cve "$cve" '[.findings[] | select(.packageVulnerabilityDetails.vulnerabilityId == $cve) | {s: .inspectorScore, b: .packageVulnerabilityDetails.cvss[0].baseScore, a: (.inspectorScoreDetails.adjustedCvss.adjustments | length), n: [.packageVulnerabilityDetails.vulnerablePackages[].name]}]')
expect_text "$pkg" '[{"s":8.1,"b":8.1,"a":0,"n":["openssh-client","openssh-server","openssh-sftp-server"]}]' "jump host: package finding"

# ---- the twin: the package finding with a lowered score, no path from the internet ----------
run --db v.db findings export --to inspector --filter "ResourceId~=$twin"
expect_rc 0 "export the twin's findings"
pkg=$(printf '%s' "$out" | jq -c --arg cve "$cve" '[.findings[] | select(.packageVulnerabilityDetails.vulnerabilityId == $cve) | {s: .inspectorScore, b: .packageVulnerabilityDetails.cvss[0].baseScore, m: .inspectorScoreDetails.adjustedCvss.adjustments[0].metric, v: .inspectorScoreDetails.adjustedCvss.scoringVector}]')
expect_text "$pkg" '[{"s":7.5,"b":8.1,"m":"AV","v":"CVSS:3.1/AV:A/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H"}]' "twin: lowered score"
inet=$(printf '%s' "$out" | jq '[.findings[] | select(.type == "NETWORK_REACHABILITY") | select(.title | test("Internet Gateway"))] | length')
expect_text "$inet" 0 "twin: no reachability from the internet"
run --db v.db --format csv reach explain --from internet --to "$twin" --port 22
expect_rc 0 "explain the twin"
expect_text "$(printf '%s\n' "$out" | tr -d '\r' | awk -F, 'NR == 2 {print $5 " " $7}')" \
    "no AWS::EC2::RouteTable" "explain: its subnet's default route goes to a NAT gateway"

# ---- the scan against the simulator's side truth --------------------------------------------
found=$(printf '%s\n' "$scan" | tail -n +2 | awk -F, '{print $1 "\t" $9}' | sort -u)
want=$(jq -r 'select(.expect == "vulnerable") | .instance + "\t" + .advisory' s/side-truth/packages.jsonl | sort -u)
expect_text "$found" "$want" "every vulnerable package of the side truth, nothing else"

finish
