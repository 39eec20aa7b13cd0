#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# `rampart vulns`: OSV advisories imported from tests/fixtures/vuln/osv (with a broken file and
# an advisory without id: exit 3, both in the rejects table), re-import changes nothing, the
# per-ecosystem counts, matching with a Debian backported fix, explicit versions, npm
# intervals and PyPI names, and sorting versions per scheme; inventory and scan of a small
# root file system (findings in the hub, a re-scan updates them, Inspector JSON export);
# usage errors.
OSV=$(cd "$(dirname "$0")/../fixtures/vuln/osv" && pwd)
ROOT=$(cd "$(dirname "$0")/../fixtures/vuln/rootfs" && pwd)
. "$(dirname "$0")/cli_lib.sh"
unset RAMPART_DB
# csv rows from rp_out end in CRLF (RFC 4180); compare without the CRs
runc() {
    run "$@"
    out=$(printf '%s' "$out" | tr -d '\r')
}

runc --db v.db --format csv vulns db import "$OSV"
expect_rc 3 "import with two rejects"
expect_out "files,advisories,inserted,updated,unchanged,rejected
6,6,6,0,0,2" "import summary"

runc --db v.db --format csv vulns db import "$OSV/debian"
expect_rc 0 "re-import"
expect_out "files,advisories,inserted,updated,unchanged,rejected
2,2,0,0,2,0" "nothing changes"

run --db v.db --format csv db rejects
expect_out_has "missing field 'id'" "the advisory without id is kept"

runc --db v.db --format csv vulns db info
expect_rc 0 "info"
expect_out "ecosystem,advisories,packages
Debian,2,1
PyPI,1,1
crates.io,1,1
npm,2,1" "per ecosystem"

runc --db v.db --format csv vulns match Debian:12 openssh 1:9.2p1-2+deb12u2
expect_rc 0 "vulnerable"
expect_out 'id,ecosystem,fixed_in,matched,aliases,summary
DEBIAN-CVE-2024-6387,Debian:12,1:9.2p1-2+deb12u3,ECOSYSTEM,"[""CVE-2024-6387""]",a signal handler race in sshd allows unauthenticated remote code execution' "fixed in the backport"

runc --db v.db --format csv vulns match Debian:12 openssh 1:9.2p1-2+deb12u3
expect_rc 0 "the backport"
expect_out "id,ecosystem,fixed_in,matched,aliases,summary" "not affected"

runc --db v.db --format csv vulns match Debian:12 openssh 1:9.2p1-2
expect_out "id,ecosystem,fixed_in,matched,aliases,summary
DEBIAN-CVE-2023-0001,Debian,-,versions,,older advisory listed by version
DEBIAN-CVE-2024-6387,Debian:12,1:9.2p1-2+deb12u3,ECOSYSTEM,\"[\"\"CVE-2024-6387\"\"]\",a signal handler race in sshd allows unauthenticated remote code execution" "listed and in range"

runc --db v.db --format csv vulns match npm left-padish 1.10.0
expect_out "id,ecosystem,fixed_in,matched,aliases,summary" "1.10.0 is past the fix (numeric order)"
runc --db v.db --format csv vulns match npm left-padish 2.1.0
expect_out 'id,ecosystem,fixed_in,matched,aliases,summary
GHSA-aaaa-bbbb-cccc,npm,-,SEMVER,"[""CVE-2024-1111""]",prototype pollution in left-pad-ish' "last_affected is inclusive; the withdrawn one is off"

runc --db v.db --format csv vulns match PyPI Django_REST.Framework 3.14
expect_out "id,ecosystem,fixed_in,matched,aliases,summary
PYSEC-2024-1,PyPI,3.15.2,ECOSYSTEM,," "PyPI names"

runc --db v.db --format csv vulns match Nonesuch pkg 1.0
expect_rc 0 "an ecosystem without ordering"
expect_err "rampart: vulns: warning: no version ordering for ecosystem 'Nonesuch': only versions listed in advisories match" "warned"

run vulns versions dpkg 1.0-1 1:0.9 1.0~rc1-1 1.0-1+deb12u1 foo
expect_rc 0 "dpkg order"
expect_out "1.0~rc1-1
1.0-1
1.0-1+deb12u1
foo  (invalid)
1:0.9" "sorted as dpkg does"

# ---- inventory and scan of a small root file system (Debian 12, an npm app, a pip app) ------

runc --format csv vulns inventory "$ROOT"
expect_rc 0 "inventory"
expect_out "ecosystem,name,version,match_name,arch,manager,file
npm,left-padish,1.2.4,,,NPM,$ROOT/srv/app/package-lock.json
PyPI,Django_REST.Framework,3.14.0,,,PIP,$ROOT/srv/app/requirements.txt
Debian:12,libc6,2.36-9+deb12u4,glibc,amd64,OS,$ROOT/var/lib/dpkg/status
Debian:12,openssh-server,1:9.2p1-2+deb12u2,openssh,amd64,OS,$ROOT/var/lib/dpkg/status
Debian:12,openssh-client,1:9.2p1-2+deb12u3,openssh,amd64,OS,$ROOT/var/lib/dpkg/status" "packages, the OS from etc/os-release, source names for matching"

runc --db v.db --format csv vulns scan --dry-run "$ROOT"
expect_rc 0 "scan --dry-run"
expect_out "resource,vulnerability,severity,score,cvss,fix,packages,fixed_in,advisories
$ROOT,CVE-2024-1111,UNTRIAGED,-,-,YES,left-padish,1.2.5,GHSA-aaaa-bbbb-cccc
$ROOT,CVE-2024-6387,HIGH,8.1,8.1,YES,openssh-server,1:9.2p1-2+deb12u3,DEBIAN-CVE-2024-6387
$ROOT,PYSEC-2024-1,UNTRIAGED,-,-,YES,Django_REST.Framework,3.15.2,PYSEC-2024-1" "one finding per vulnerability: the server is behind the backport, the client has it"
expect_err "rampart: vulns: 3 findings from 5 packages in 3 files (dry run: nothing stored)" "summary"
runc --db v.db --format csv findings list --filter ProductName=Inspector
expect_out "UpdatedAt,SeverityLabel,WorkflowStatus,RecordState,ProductName,Type,ResourceId,Title,Id" "a dry run stores nothing"

runc --db v.db --format csv vulns scan "$ROOT"
expect_rc 0 "scan"
runc --db v.db --format csv vulns scan "$ROOT"
expect_rc 0 "scan again"
runc --db v.db --format csv findings list --filter ProductName=Inspector --sort Title
expect_rc 0 "findings listed"
expect_out_has "CVE-2024-6387 - openssh-server" "the finding is in the hub"
[ "$(printf '%s\n' "$out" | grep -c ',Inspector,')" -eq 3 ] || fail "a second scan updates the 3 findings, it does not add any"
runc --db v.db findings export --to inspector --filter 'Title^=CVE-2024-6387'
expect_rc 0 "export as Inspector JSON"
expect_out_has '"type":"PACKAGE_VULNERABILITY","title":"CVE-2024-6387 - openssh-server"' "Inspector's finding type and title"
expect_out_has '"vulnerablePackages":[{"name":"openssh-server","version":"9.2p1","epoch":1,"release":"2+deb12u2","arch":"amd64","packageManager":"OS"' "the package as Inspector splits it"
expect_out_has '"inspectorScore":8.1' "score: no network data, no adjustment"

# the server is upgraded past the fix: the next scan of that system closes the finding (and
# only that one); the other system scanned alone keeps its findings
cp -R "$ROOT" root2
sed 's/^Version: 1:9.2p1-2+deb12u2$/Version: 1:9.2p1-2+deb12u3/' "$ROOT/var/lib/dpkg/status" >root2/var/lib/dpkg/status
runc --db v.db --format csv vulns scan --resource-id "$ROOT" root2
expect_rc 0 "scan after the upgrade"
expect_err "rampart: vulns: 2 findings from 5 packages in 3 files; 1 earlier findings closed" "one closed"
run --db v.db findings export --to inspector
checks=$((checks + 1))
[ "$(printf '%s' "$out" | jq -r '.findings[] | .packageVulnerabilityDetails.vulnerabilityId + " " + .status' | sort)" = "CVE-2024-1111 ACTIVE
CVE-2024-6387 CLOSED
PYSEC-2024-1 ACTIVE" ] || fail "statuses after the upgrade: $out"

printf 'Package: x\nVersion: 1.0\n' >notstatus
mkdir -p bad/var/lib/dpkg && printf 'this is not\na status file\n' >bad/var/lib/dpkg/status
runc --format csv vulns inventory bad
expect_rc 3 "a broken inventory file"
expect_err "rampart: vulns: dpkg-status: bad/var/lib/dpkg/status:1: expected 'Field: value'" "named with its line and reason"

run vulns versions nope 1 2
expect_rc 2 "unknown scheme"
expect_err_has "unknown scheme 'nope'" "scheme named"

run vulns match npm
expect_rc 2 "match usage"

finish
