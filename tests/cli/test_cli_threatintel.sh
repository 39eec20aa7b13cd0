#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# `rampart threatintel`: adding the hand-written lists of tests/fixtures/threatintel in every
# format (exact summary rows, exact warnings, exit 3 with the rejects kept under
# threatintel:NAME), sniffing, replacing a list, GuardDuty's limits (one trusted list, 2,000
# trusted entries), list / remove / activate / deactivate in table, csv and json, lookup
# verdicts (trusted wins, inactive lists, parent domains, built-in mining pools), usage errors,
# and the simulator's five TXT lists loading with no reject.
FIX=$(cd "$(dirname "$0")/../fixtures/threatintel" && pwd)
. "$(dirname "$0")/cli_lib.sh"
unset RAMPART_DB
cr=$(printf '\r')
# csv rows from rp_out end in CRLF (RFC 4180); compare without the CRs
runc() {
    run "$@"
    out=$(printf '%s' "$out" | tr -d '\r')
}

# ---- add, each format ----------------------------------------------------------------------

run --db t.db threatintel add "$FIX/txt_mixed.txt" --name custom
expect_rc 3 "some lines rejected"
expect_out "Name    Type            Kind    Format  Status  Entries  Duplicates  Rejected  Ignored  Replaced
custom  ThreatIntelSet  threat  TXT     ACTIVE        9           1         3        0  no" "summary table"
expect_err "rampart: threatintel: warning: '$FIX/txt_mixed.txt' line 6: host bits set in '192.0.2.77/24', listed as '192.0.2.0/24'
rampart: threatintel: warning: '$FIX/txt_mixed.txt' line 13: not an address, CIDR or domain: 'not a domain!'
rampart: threatintel: warning: '$FIX/txt_mixed.txt' line 14: not a valid CIDR: '10.0.0.0/33'
rampart: threatintel: warning: '$FIX/txt_mixed.txt' line 15: not an address, CIDR or domain: '1.2.3.999'" "warnings name file and line"

runc --db t.db --format csv db rejects --source threatintel:custom
expect_rc 0 "rejects listed"
expect_out_has "not a valid CIDR: '10.0.0.0/33'" "the bad lines are kept"
[ "$(printf '%s\n' "$out" | grep -c 'threatintel:custom')" -eq 3 ] || fail "three rejects kept"

runc --db t.db --format csv threatintel add "$FIX/stix2_bundle.json" --name stix2 --kind c2
expect_rc 3 "stix2"
expect_out "Name,Type,Kind,Format,Status,Entries,Duplicates,Rejected,Ignored,Replaced
stix2,ThreatIntelSet,c2,STIX,ACTIVE,9,0,2,4,no" "stix2 summary"
expect_err_has "'$FIX/stix2_bundle.json': ignored 1 record: revoked STIX indicators" "ignored, counted"

runc --db t.db --format csv threatintel add "$FIX/stix1_package.xml" --name stix1 --kind phishing --format stix
expect_rc 3 "stix1"
expect_out "Name,Type,Kind,Format,Status,Entries,Duplicates,Rejected,Ignored,Replaced
stix1,ThreatIntelSet,phishing,STIX,ACTIVE,6,0,1,2,no" "stix1 summary"
expect_err_has "'$FIX/stix1_package.xml' line 80: not an address, CIDR or domain: '203.0.113.300'" "xml line"

runc --db t.db --format csv threatintel add "$FIX/otx_pulse.csv" --name otx --kind malicious
expect_rc 3 "otx"
expect_out "Name,Type,Kind,Format,Status,Entries,Duplicates,Rejected,Ignored,Replaced
otx,ThreatIntelSet,malicious,OTX_CSV,ACTIVE,5,0,2,2,no" "otx summary"

runc --db t.db --format csv threatintel add "$FIX/alienvault_reputation.data" --name av --kind tor
expect_out "Name,Type,Kind,Format,Status,Entries,Duplicates,Rejected,Ignored,Replaced
av,ThreatIntelSet,tor,ALIEN_VAULT,ACTIVE,3,0,1,0,no" "alien vault summary"

runc --db t.db --format csv threatintel add "$FIX/proofpoint_et.csv" --name pp --kind blackhole
expect_out "Name,Type,Kind,Format,Status,Entries,Duplicates,Rejected,Ignored,Replaced
pp,ThreatIntelSet,blackhole,PROOF_POINT,ACTIVE,2,0,2,0,no" "proofpoint summary"

runc --db t.db --format csv threatintel add "$FIX/fireeye_isight.csv" --name fe --kind drop-point --inactive
expect_rc 3 "fireeye"
expect_out "Name,Type,Kind,Format,Status,Entries,Duplicates,Rejected,Ignored,Replaced
fe,ThreatIntelSet,drop-point,FIRE_EYE,INACTIVE,5,0,1,1,no" "fireeye summary, inactive"

# a trusted list; a clean file exits 0; gzip is read
printf '# offices\n198.51.100.0/28\n203.0.113.30\n' | gzip >office.txt.gz
runc --db t.db --format csv threatintel add office.txt.gz --name office --type IPSet
expect_rc 0 "clean trusted list"
expect_out "Name,Type,Kind,Format,Status,Entries,Duplicates,Rejected,Ignored,Replaced
office,IPSet,trusted,TXT,ACTIVE,2,0,0,0,no" "trusted summary"
expect_err "" "no warnings"

# ---- list ----------------------------------------------------------------------------------

runc --db t.db --format csv threatintel list
expect_rc 0 "list"
printf '%s\n' "$out" | sed -E 's/,[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z,/,ADDED,/' >list.csv
expect_list="Name,Type,Kind,Format,Status,Entries,Rejected,Added,Location
av,ThreatIntelSet,tor,ALIEN_VAULT,ACTIVE,3,1,ADDED,$FIX/alienvault_reputation.data
custom,ThreatIntelSet,threat,TXT,ACTIVE,9,3,ADDED,$FIX/txt_mixed.txt
fe,ThreatIntelSet,drop-point,FIRE_EYE,INACTIVE,5,1,ADDED,$FIX/fireeye_isight.csv
office,IPSet,trusted,TXT,ACTIVE,2,0,ADDED,office.txt.gz
otx,ThreatIntelSet,malicious,OTX_CSV,ACTIVE,5,2,ADDED,$FIX/otx_pulse.csv
pp,ThreatIntelSet,blackhole,PROOF_POINT,ACTIVE,2,2,ADDED,$FIX/proofpoint_et.csv
stix1,ThreatIntelSet,phishing,STIX,ACTIVE,6,1,ADDED,$FIX/stix1_package.xml
stix2,ThreatIntelSet,c2,STIX,ACTIVE,9,2,ADDED,$FIX/stix2_bundle.json"
checks=$((checks + 1))
[ "$(cat list.csv)" = "$expect_list" ] || fail "list rows; got: $(cat list.csv)"

runc --db t.db --format csv threatintel list --builtin
expect_out_has "builtin/guardduty-test-domains,Builtin,c2,TXT,ACTIVE,1,0,-,data/detect/threatintel/guardduty-test-domains.txt" "built-in lists"

run --db t.db --format json threatintel list
expect_out_has '{"Name":"office","Type":"IPSet","Kind":"trusted","Format":"TXT","Status":"ACTIVE","Entries":2,"Rejected":0,"Added":"' "json"

# ---- lookup --------------------------------------------------------------------------------

runc --db t.db --format csv threatintel lookup 198.51.100.9 203.0.113.30 2001:db8::66 www.cc.example.net pool.supportxmr.com GuardDutyC2ActivityB.com. 192.0.2.200
expect_rc 0 "lookup"
expect_out "Value,List,Type,Kind,Status,Entry,Verdict
198.51.100.9,office,IPSet,trusted,ACTIVE,198.51.100.0/28,trusted
198.51.100.9,stix1,ThreatIntelSet,phishing,ACTIVE,198.51.100.0/25,overridden
198.51.100.9,custom,ThreatIntelSet,threat,ACTIVE,198.51.100.0/24,overridden
198.51.100.9,stix2,ThreatIntelSet,c2,ACTIVE,198.51.100.0/24,overridden
203.0.113.30,office,IPSet,trusted,ACTIVE,203.0.113.30,trusted
203.0.113.30,otx,ThreatIntelSet,malicious,ACTIVE,203.0.113.30,overridden
2001:db8::66,stix2,ThreatIntelSet,c2,ACTIVE,2001:db8::66,match
www.cc.example.net,fe,ThreatIntelSet,drop-point,INACTIVE,cc.example.net,inactive
pool.supportxmr.com,builtin/mining-pools,Builtin,mining,ACTIVE,supportxmr.com,match
GuardDutyC2ActivityB.com.,builtin/guardduty-test-domains,Builtin,c2,ACTIVE,guarddutyc2activityb.com,match
192.0.2.200,custom,ThreatIntelSet,threat,ACTIVE,192.0.2.0/24,match" "verdicts"

run --db t.db threatintel lookup 10.0.0.0/8
expect_rc 2 "a CIDR is no lookup value"
expect_err "rampart: threatintel: '10.0.0.0/8' is neither an address nor a domain
hint: see 'rampart help threatintel'" "lookup usage"

# ---- replace, activate, deactivate, remove -------------------------------------------------

printf '203.0.113.77\n' >v2.txt
runc --db t.db --format csv threatintel add v2.txt --name fe
expect_rc 0 "replace"
expect_out "Name,Type,Kind,Format,Status,Entries,Duplicates,Rejected,Ignored,Replaced
fe,ThreatIntelSet,threat,TXT,INACTIVE,1,0,0,0,yes" "replaced: keeps its status, takes the new kind"
runc --db t.db --format csv db rejects --source threatintel:fe
checks=$((checks + 1))
[ "$(printf '%s\n' "$out" | grep -c 'threatintel:fe')" -eq 0 ] || fail "the old rejects go"

run --db t.db threatintel activate fe
expect_rc 0 "activate"
expect_err "rampart: threatintel: 'fe' is now ACTIVE" "activated"
run --db t.db threatintel activate fe
expect_err "rampart: threatintel: 'fe' was already ACTIVE" "no change"
run --db t.db threatintel deactivate custom
expect_err "rampart: threatintel: 'custom' is now INACTIVE" "deactivated"
runc --db t.db --format csv threatintel lookup 203.0.113.77 192.0.2.200
expect_out "Value,List,Type,Kind,Status,Entry,Verdict
203.0.113.77,fe,ThreatIntelSet,threat,ACTIVE,203.0.113.77,match
192.0.2.200,custom,ThreatIntelSet,threat,INACTIVE,192.0.2.0/24,inactive" "after the changes"

run --db t.db threatintel remove pp
expect_rc 0 "remove"
expect_err "rampart: threatintel: removed 'pp'" "removed"
run --db t.db threatintel remove pp
expect_rc 1 "remove twice"
expect_err "rampart: threatintel: no list named 'pp'" "no such list"
run --db t.db threatintel activate nope
expect_rc 1 "activate unknown"
runc --db t.db --format csv db rejects --source threatintel:pp
checks=$((checks + 1))
[ "$(printf '%s\n' "$out" | grep -c 'threatintel:pp')" -eq 0 ] || fail "rejects removed with the list"

# ---- limits and errors ---------------------------------------------------------------------

printf '192.0.2.1\n' >second.txt
run --db t.db threatintel add second.txt --name office2 --kind trusted
expect_rc 1 "a second trusted list"
expect_err "rampart: threatintel: the trusted IP list 'office' exists already and GuardDuty allows one per account and region: remove it first, or add under its name to replace it" "one IPSet"

i=0
: >big.txt
while [ $i -lt 2001 ]; do
    echo "10.$((i / 256)).$((i % 256)).1" >>big.txt
    i=$((i + 1))
done
run --db t.db threatintel add big.txt --name office --type IPSet
expect_rc 1 "2001 trusted entries"
expect_err "rampart: threatintel: 'big.txt' has more than 2000 entries, GuardDuty's limit for a trusted IP list" "trusted cap"

i=0
: >noisy.txt
while [ $i -lt 25 ]; do
    echo "bad$i" >>noisy.txt
    i=$((i + 1))
done
echo 192.0.2.9 >>noisy.txt
run --db t.db threatintel add noisy.txt --name noisy
expect_rc 3 "25 bad lines"
checks=$((checks + 1))
[ "$(printf '%s\n' "$err" | grep -c "^rampart: threatintel: warning: 'noisy.txt' line")" -eq 20 ] || fail "20 line warnings"
expect_err_has "rampart: threatintel: warning: 'noisy.txt': 5 more warnings about records not shown (rejected records are in 'rampart db rejects --source threatintel:noisy')" "the rest counted"
run --db t.db -q threatintel add noisy.txt --name noisy
expect_rc 3 "quiet"
expect_err "" "-q: no warnings"
run --db t.db threatintel remove noisy

printf 'nothing here\n' >empty.txt
run --db t.db threatintel add empty.txt --name empty
expect_rc 1 "no usable entry"
expect_err "rampart: threatintel: warning: 'empty.txt' line 1: not an address, CIDR or domain: 'nothing here'
rampart: threatintel: 'empty.txt' holds no usable entry (every record was rejected)" "nothing stored"

run --db t.db threatintel add missing.txt --name m
expect_rc 1 "missing file"
run --db t.db threatintel add v2.txt --name 'bad name'
expect_rc 1 "bad name"
expect_err "rampart: threatintel: bad list name 'bad name' (use 1 to 300 letters, digits, '.', '_' or '-')" "name rule"
run --db t.db threatintel add v2.txt --name x --type IPSet --kind tor
expect_rc 1 "type and kind disagree"
expect_err "rampart: threatintel: an IPSet is a trusted IP list: its kind is 'trusted', not 'tor'" "type/kind"
run --db t.db threatintel add v2.txt --name x --format XML
expect_rc 2 "bad format"
expect_err "rampart: threatintel: unknown list format 'XML' (use TXT, STIX, OTX_CSV, ALIEN_VAULT, PROOF_POINT or FIRE_EYE)
hint: see 'rampart help threatintel'" "format usage"
run --db t.db threatintel add v2.txt --name x --kind evil
expect_rc 2 "bad kind"
run --db t.db threatintel add v2.txt
expect_rc 2 "no name"
expect_err "rampart: threatintel: add needs --name NAME
hint: see 'rampart help threatintel'" "name required"
run --db t.db threatintel frob
expect_rc 2 "unknown subcommand"
run --db t.db threatintel
expect_rc 2 "no subcommand"
run help threatintel
expect_rc 0 "help"
expect_out_has "rampart threatintel add FILE --name NAME" "usage in help"

# ---- the simulator's lists load with no reject ---------------------------------------------

run simulate --out sim --days 1 --scenarios none --accounts 1 --regions us-east-1
expect_rc 0 "simulate"
for l in malicious-ips:threat tor-exit-nodes:tor c2-domains:c2 phishing-domains:phishing trusted-ips:trusted; do
    f=${l%%:*}
    k=${l#*:}
    runc --db s.db --format csv threatintel add "sim/threatintel/$f.txt" --name "$f" --kind "$k"
    expect_rc 0 "simulator list $f"
    expect_err "" "no warning for $f"
    n=$(grep -c . "sim/threatintel/$f.txt")
    checks=$((checks + 1))
    case "$out" in *",$n,0,0,0,no") ;; *) fail "$f: all $n entries, no duplicate, reject or ignored record" ;; esac
done

finish
