#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# `rampart discover` custom data identifiers and allow lists stored as Macie keeps them: an
# identifier added from a file (Rampart's format) and one from Macie's JSON, refused files with
# exact messages and exit status 2, `identifiers list` (managed and custom), `identifiers show`
# as Macie's GetCustomDataIdentifier (exact JSON), `identifiers test` of a stored one; a scan
# that uses every stored identifier by default and makes SensitiveData:S3Object/CustomIdentifier
# findings with exact counts (also in the hub's macie export); allow lists (a regex, a words
# file) that suppress values, `allow-list list|show`, the scan options that choose among the
# stored ones; jobs that record customDataIdentifierIds and allowListIds and keep using a
# removed identifier (Macie's soft delete); an allow list a job uses is not deleted without
# --ignore-job-usage, and the job then runs without it, saying so. Times, ids and the scratch
# directory are normalised. Synthetic values only.
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/cli_lib.sh"
rc=0 out= err=
W=$(pwd -P)

command -v jq >/dev/null 2>&1 || {
    echo "FAIL: jq is not installed (scripts/install-deps.sh installs it)"
    exit 1
}

# norm: times to TIME, the scratch directory to WORK
norm() { sed -E -e 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?Z/TIME/g' -e "s|$W|WORK|g"; }
# rows: a scan's JSON rows as "object severity detections" (all CustomIdentifier findings)
rows() {
    printf '%s' "$out" | jq -r '.[] | select(.type == "SensitiveData:S3Object/CustomIdentifier")
        | "\(.object) \(.severity) \(.detections)"' | norm
}
# check WHAT WANT GOT
check() {
    checks=$((checks + 1))
    [ "$3" = "$2" ] || fail "$1: got: $3; wanted: $2"
}

# ---- the tree ------------------------------------------------------------------------------
T=exports
mkdir -p "$T/hr"
printf 'staff: employee EMP-1234 and employee EMP-5678\n' >"$T/staff.txt"
printf 'one employee EMP-9001\nand employee EMP-0000\n' >"$T/one.txt"
printf 'project PRJ-ABC-12 and project PRJ-XYZ-99\n' >"$T/hr/projects.txt"
printf 'nothing sensitive\n' >"$T/clean.txt"

cat >emp.yaml <<'EOF'
id: EMPLOYEE_ID
name: Employee number
category: CUSTOM_IDENTIFIER
description: staff numbers
regex: 'EMP-[0-9]{4}'
keywords: [employee]
ignore_words: [EMP-0000]
max_distance: 30
severity_levels:
  - {occurrences_threshold: 1, severity: LOW}
  - {occurrences_threshold: 2, severity: MEDIUM}
EOF
cat >proj.json <<'EOF'
{"name": "project-code", "description": "internal project codes", "regex": "PRJ-[A-Z]{3}-[0-9]{2}",
 "keywords": ["project"], "maximumMatchDistance": 20,
 "severityLevels": [{"occurrencesThreshold": 1, "severity": "HIGH"}]}
EOF

# ---- identifiers add -------------------------------------------------------------------------
run --db d.db discover identifiers add emp.yaml
expect_rc 0 "add emp.yaml"
EMP=$out
checks=$((checks + 1))
printf '%s' "$EMP" | grep -Eq '^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$' ||
    fail "customDataIdentifierId is not a UUID: $EMP"
run --db d.db discover identifiers add proj.json --description "project codes"
expect_rc 0 "add proj.json (Macie's shape)"
PRJ=$out

run --db d.db discover identifiers add emp.yaml
expect_rc 2 "the same name twice"
expect_err "rampart: discover: dataid: a custom data identifier named 'EMPLOYEE_ID' exists: '$EMP'
hint: see 'rampart help discover'" "duplicate name"

printf 'name: short\nregex: "S-[0-9]+"\nkeywords: [ab]\n' >short.yaml
run --db d.db discover identifiers add short.yaml
expect_rc 2 "keyword too short"
expect_err "rampart: discover: dataid: short.yaml: keyword not 3 to 90 characters long: 'ab'
hint: see 'rampart help discover'" "keyword too short"
printf 'name: far\nregex: "F-[0-9]+"\nmaximumMatchDistance: 301\n' >far.yaml
run --db d.db discover identifiers add far.yaml
expect_rc 2 "distance too far"
expect_err "rampart: discover: dataid: far.yaml: maximumMatchDistance out of 1..300
hint: see 'rampart help discover'" "distance too far"
printf 'name: broken\nregex: "EMP-[0-9"\n' >broken.yaml
run --db d.db discover identifiers add broken.yaml
expect_rc 2 "bad regex"
expect_err "rampart: discover: dataid: broken.yaml: regex: missing terminating ] for character class at offset 8
hint: see 'rampart help discover'" "bad regex"
run --db d.db discover identifiers add emp.yaml --name EMAIL_ADDRESS
expect_rc 2 "a managed id as name"
expect_err "rampart: discover: dataid: emp.yaml: name is a managed data identifier's id: 'EMAIL_ADDRESS'
hint: see 'rampart help discover'" "a managed id as name"
run --db d.db discover identifiers add missing.yaml
expect_rc 2 "missing file"
expect_err "rampart: discover: cannot read 'missing.yaml': gz: cannot open 'missing.yaml': No such file or directory
hint: see 'rampart help discover'" "missing file"

# ---- list, show, test --------------------------------------------------------------------------
run --db d.db discover identifiers list --format json
expect_rc 0 "list"
check "custom rows" '{"id":"'"$EMP"'","type":"custom","category":"CUSTOM_IDENTIFIER","name":"EMPLOYEE_ID","validator":"-","keywords":"required","max_distance":30}
{"id":"'"$PRJ"'","type":"custom","category":"CUSTOM_IDENTIFIER","name":"project-code","validator":"-","keywords":"required","max_distance":20}' \
    "$(printf '%s' "$out" | jq -c '.[] | select(.type == "custom")')"
check "managed rows" "$(printf '%s' "$out" | jq '[.[] | select(.type == "managed")] | length')" \
    "$(printf '%s' "$out" | jq '[.[] | select(.category != "CUSTOM_IDENTIFIER")] | length')"

run --db d.db discover identifiers show EMPLOYEE_ID
expect_rc 0 "show by name"
check "GetCustomDataIdentifier" '{"arn":"arn:aws:macie2:us-east-1:000000000000:custom-data-identifier/'"$EMP"'","createdAt":"TIME","deleted":false,"description":"staff numbers","id":"'"$EMP"'","ignoreWords":["EMP-0000"],"keywords":["employee"],"maximumMatchDistance":30,"name":"EMPLOYEE_ID","regex":"EMP-[0-9]{4}","severityLevels":[{"occurrencesThreshold":1,"severity":"LOW"},{"occurrencesThreshold":2,"severity":"MEDIUM"}]}' \
    "$(printf '%s' "$out" | norm)"
run --db d.db discover identifiers show "$PRJ"
expect_rc 0 "show by id"
check "Macie's shape stored" '["project codes",["project"],20,"project-code",[{"occurrencesThreshold":1,"severity":"HIGH"}]]' \
    "$(printf '%s' "$out" | jq -c '[.description, .keywords, .maximumMatchDistance, .name, .severityLevels]')"
# GetCustomDataIdentifier's answer is a file `identifiers add` takes
printf '%s\n' "$out" >prj-copy.json
run --db d.db discover identifiers add prj-copy.json --name project-copy
expect_rc 0 "add a show's output"
COPY=$out
run --db d.db discover identifiers show project-copy
check "copy" '["project codes",["project"],20,"project-copy","PRJ-[A-Z]{3}-[0-9]{2}"]' \
    "$(printf '%s' "$out" | jq -c '[.description, .keywords, .maximumMatchDistance, .name, .regex]')"
run --db d.db discover identifiers remove "$COPY"
expect_rc 0 "remove the copy"

run --db d.db discover identifiers test EMPLOYEE_ID "employee EMP-1234, employee EMP-0000; and much later EMP-4321"
expect_rc 0 "test a stored identifier"
expect_out "identifier   start  end  match
EMPLOYEE_ID      9   17  EMP-1234" "test rows: the ignore word, the keyword too far"
run --db d.db discover identifiers show nope
expect_rc 2 "show unknown"
expect_err "rampart: discover: dataid: no custom data identifier 'nope'
hint: see 'rampart help discover'" "show unknown"

# ---- a scan uses every stored identifier -----------------------------------------------------
run --db d.db discover scan "$T"
expect_rc 0 "scan"
expect_out "object                   type                                     severity  count  detections
exports/hr/projects.txt  SensitiveData:S3Object/CustomIdentifier  High          2  project-code:2
exports/one.txt          SensitiveData:S3Object/CustomIdentifier  Low           1  EMPLOYEE_ID:1
exports/staff.txt        SensitiveData:S3Object/CustomIdentifier  Medium        2  EMPLOYEE_ID:2" "scan rows"
expect_err "rampart: discover: 3 findings in 4 files (151 bytes)" "scan summary"
run --db d.db findings export --to macie
expect_rc 0 "macie export"
check "custom findings in the hub" "SensitiveData:S3Object/CustomIdentifier exports/hr/projects.txt High project-code:2
SensitiveData:S3Object/CustomIdentifier exports/one.txt Low EMPLOYEE_ID:1
SensitiveData:S3Object/CustomIdentifier exports/staff.txt Medium EMPLOYEE_ID:2" \
    "$(printf '%s\n' "$out" | jq -r '.findings[] | .type + " " + .resourcesAffected.s3Object.path + " "
        + .severity.description + " " + (.classificationDetails.result.customDataIdentifiers.detections
        | map(.name + ":" + (.count | tostring)) | join(","))' | sort)"
check "a stored identifier's detections carry its ARN" "arn:aws:macie2:us-east-1:000000000000:custom-data-identifier/$EMP" \
    "$(printf '%s\n' "$out" | jq -r '[.findings[].classificationDetails.result.customDataIdentifiers.detections[]
        | select(.name == "EMPLOYEE_ID") | .arn] | unique | .[]')"

run --db d.db discover scan --dry-run --custom-id EMPLOYEE_ID "$T"
expect_rc 0 "only one stored identifier"
expect_out "object             type                                     severity  count  detections
exports/one.txt    SensitiveData:S3Object/CustomIdentifier  Low           1  EMPLOYEE_ID:1
exports/staff.txt  SensitiveData:S3Object/CustomIdentifier  Medium        2  EMPLOYEE_ID:2" "--custom-id"
run --db d.db discover scan --dry-run --no-custom "$T"
expect_rc 0 "--no-custom"
expect_out "object  type  severity  count  detections" "--no-custom: nothing"
run --db d.db discover scan --dry-run --custom-id nope "$T"
expect_rc 2 "--custom-id unknown"
expect_err "rampart: discover: dataid: no custom data identifier 'nope'
hint: see 'rampart help discover'" "--custom-id unknown"
run --db d.db discover scan --dry-run --custom-id EMPLOYEE_ID --no-custom "$T"
expect_rc 2 "--custom-id and --no-custom"

# ---- allow lists ----------------------------------------------------------------------------------
run --db d.db discover allow-list create --name nines --description "test numbers" --regex 'EMP-9[0-9]{3}'
expect_rc 0 "allow list: regex"
NINES=$out
checks=$((checks + 1))
printf '%s' "$NINES" | grep -Eq '^[0-9a-z]{22}$' || fail "allowListId: $NINES"
printf 'EMP-5678\n\n' >words.txt
run --db d.db discover allow-list create --name known --words words.txt
expect_rc 0 "allow list: words"
KNOWN=$out
run --db d.db discover allow-list create --name nines --regex x
expect_rc 2 "allow list: the same name"
expect_err "rampart: discover: dataid: an allow list named 'nines' exists: '$NINES'
hint: see 'rampart help discover'" "allow list: the same name"
run --db d.db discover allow-list create --name bad --regex 'EMP-(9'
expect_rc 2 "allow list: bad regex"
expect_err "rampart: discover: dataid: allow list regex: missing closing parenthesis at offset 6
hint: see 'rampart help discover'" "allow list: bad regex"
run --db d.db discover allow-list create --name both --regex x --words words.txt
expect_rc 2 "allow list: both kinds"
printf '\n \n' >empty.txt
run --db d.db discover allow-list create --name empty --words empty.txt
expect_rc 2 "allow list: no phrases"
expect_err "rampart: discover: dataid: allow list: '$W/empty.txt' has no phrases
hint: see 'rampart help discover'" "allow list: no phrases"

run --db d.db discover allow-list list --format json
expect_rc 0 "allow-list list"
check "allow-list rows" '{"id":"'"$KNOWN"'","name":"known","criteria":"s3WordsList","value":"WORK/words.txt","phrases":1,"createdAt":"TIME"}
{"id":"'"$NINES"'","name":"nines","criteria":"regex","value":"EMP-9[0-9]{3}","phrases":0,"createdAt":"TIME"}' \
    "$(printf '%s' "$out" | jq -c '.[]' | norm)"
run --db d.db discover allow-list show known
expect_rc 0 "allow-list show"
check "GetAllowList" '{"arn":"arn:aws:macie2:us-east-1:000000000000:allow-list/'"$KNOWN"'","createdAt":"TIME","criteria":{"s3WordsList":{"bucketName":"local","objectKey":"WORK/words.txt"}},"description":"","id":"'"$KNOWN"'","name":"known","status":{"code":"OK"},"updatedAt":"TIME"}' \
    "$(printf '%s' "$out" | norm)"
run --db d.db discover allow-list show "$NINES"
check "GetAllowList regex" '{"regex":"EMP-9[0-9]{3}"} test numbers' \
    "$(printf '%s' "$out" | jq -rc '(.criteria | tojson) + " " + .description')"

run --db d.db discover scan --dry-run "$T"
expect_rc 0 "scan with the allow lists"
expect_out "object                   type                                     severity  count  detections
exports/hr/projects.txt  SensitiveData:S3Object/CustomIdentifier  High          2  project-code:2
exports/staff.txt        SensitiveData:S3Object/CustomIdentifier  Low           1  EMPLOYEE_ID:1" \
    "allow lists: EMP-9001 and EMP-5678 not reported"
run --db d.db discover scan --dry-run --allow-list-id known "$T"
expect_out "object                   type                                     severity  count  detections
exports/hr/projects.txt  SensitiveData:S3Object/CustomIdentifier  High          2  project-code:2
exports/one.txt          SensitiveData:S3Object/CustomIdentifier  Low           1  EMPLOYEE_ID:1
exports/staff.txt        SensitiveData:S3Object/CustomIdentifier  Low           1  EMPLOYEE_ID:1" \
    "--allow-list-id known: only EMP-5678"
run --db d.db discover scan --dry-run --no-allow-lists --custom-id "$EMP" "$T"
expect_out "object             type                                     severity  count  detections
exports/one.txt    SensitiveData:S3Object/CustomIdentifier  Low           1  EMPLOYEE_ID:1
exports/staff.txt  SensitiveData:S3Object/CustomIdentifier  Medium        2  EMPLOYEE_ID:2" \
    "--no-allow-lists"

# ---- jobs record the ids; a removed identifier stays with them -----------------------------
run --db d.db discover job create --name all-stored "$T"
expect_rc 0 "job create"
J1=$out
run --db d.db discover job show "$J1"
check "job ids" "{\"allowListIds\":[\"$KNOWN\",\"$NINES\"],\"customDataIdentifierIds\":[\"$EMP\",\"$PRJ\"]}" \
    "$(printf '%s' "$out" | jq -c '{allowListIds, customDataIdentifierIds}')"
run --db d.db discover job create --name emp-only --schedule daily --custom-id EMPLOYEE_ID \
    --allow-list-id known "$T"
expect_rc 0 "job create, chosen ids"
J2=$out
run --db d.db discover job show "$J2"
check "job 2 ids" "{\"allowListIds\":[\"$KNOWN\"],\"customDataIdentifierIds\":[\"$EMP\"]}" \
    "$(printf '%s' "$out" | jq -c '{allowListIds, customDataIdentifierIds}')"
run --db d.db discover job create --name none --no-custom --no-allow-lists "$T"
J3=$out
run --db d.db discover job show "$J3"
check "job 3 ids" '{"allowListIds":null,"customDataIdentifierIds":[]}' \
    "$(printf '%s' "$out" | jq -c '{allowListIds, customDataIdentifierIds}')"
run --db d.db discover job create --name bad --custom-id nope "$T"
expect_rc 2 "job create, unknown id"
expect_err "rampart: discover: dataid: no custom data identifier 'nope'
hint: see 'rampart help discover'" "job create, unknown id"

run --db d.db discover identifiers remove EMPLOYEE_ID
expect_rc 0 "remove"
expect_err "rampart: discover: custom data identifier $EMP (EMPLOYEE_ID) deleted" "remove says so"
run --db d.db discover identifiers remove EMPLOYEE_ID
expect_rc 2 "remove twice"
expect_err "rampart: discover: dataid: no custom data identifier 'EMPLOYEE_ID'
hint: see 'rampart help discover'" "remove twice"
run --db d.db discover identifiers show "$EMP"
check "deleted, still there by id" "true EMPLOYEE_ID" "$(printf '%s' "$out" | jq -r '"\(.deleted) \(.name)"')"
run --db d.db discover identifiers list --format json
check "list without it" "project-code" "$(printf '%s' "$out" | jq -r '.[] | select(.type == "custom") | .name')"
run --db d.db discover scan --dry-run "$T"
expect_out "object                   type                                     severity  count  detections
exports/hr/projects.txt  SensitiveData:S3Object/CustomIdentifier  High          2  project-code:2" \
    "a scan no longer uses it"
run --db d.db --format json discover job run "$J1"
expect_rc 0 "job run: its identifiers, the removed one too"
check "job run rows" "WORK/exports/hr/projects.txt High project-code:2
WORK/exports/staff.txt Low EMPLOYEE_ID:1" "$(rows)"

# ---- an allow list a job uses ---------------------------------------------------------------------
run --db d.db discover allow-list delete known
expect_rc 1 "delete refused"
expect_err "rampart: discover: allow list 'known' is used by 1 job not complete ($J2); --ignore-job-usage deletes it anyway" \
    "delete refused (J1 is complete, J2 scheduled)"
run --db d.db discover allow-list delete --ignore-job-usage known
expect_rc 0 "delete forced"
expect_err "rampart: discover: allow list $KNOWN (known) deleted" "delete forced"
run --db d.db --format json discover job run "$J2"
expect_rc 0 "job run without its allow list"
check "job 2 rows" "WORK/exports/one.txt Low EMPLOYEE_ID:1
WORK/exports/staff.txt Medium EMPLOYEE_ID:2" "$(rows)"
expect_err "rampart: discover: job $J2 (emp-only)
rampart: discover: allow list '$KNOWN' no longer exists; not used
rampart: discover: 2 findings in 4 files (151 bytes)" "job 2 warns"
run --db d.db discover allow-list delete nines
expect_rc 0 "delete nines"
run --db d.db discover allow-list show nines
expect_rc 2 "show deleted list"
expect_err "rampart: discover: dataid: no allow list 'nines'
hint: see 'rampart help discover'" "show deleted list"

# ---- no database: the managed identifiers only ---------------------------------------------
run --db none.db discover scan --dry-run "$T"
expect_rc 0 "no database"
expect_out "object  type  severity  count  detections" "no database: nothing custom"
checks=$((checks + 1))
[ ! -e none.db ] || fail "a dry run created the database"

finish
