# SPDX-License-Identifier: Apache-2.0
# Helpers for CLI tests: run rampart, then assert exact exit status, stdout and stderr.
# Each test script sources this file; $RAMPART is the binary, $WORK a fresh scratch dir.
set -u
RAMPART=${1:?usage: test.sh RAMPART_BINARY}
case $RAMPART in /*) ;; *) RAMPART=$PWD/$RAMPART ;; esac # the tests cd into $WORK
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
# a user's own Sigma rules (~/.config/rampart/sigma) must not change what detect finds here
export RAMPART_SIGMA_DIR="$WORK/.no-sigma-rules"
cd "$WORK"
failures=0
checks=0

# run ARGS...: runs rampart, capturing $out, $err and $rc
run() {
    "$RAMPART" "$@" >"$WORK/.out" 2>"$WORK/.err" </dev/null
    rc=$?
    out=$(cat "$WORK/.out")
    err=$(cat "$WORK/.err")
}

fail() {
    failures=$((failures + 1))
    printf 'FAIL: %s\n' "$*"
    printf '  command exit: %s\n' "$rc"
    printf '  stdout: %s\n' "$(printf '%s' "$out" | head -c 2000)"
    printf '  stderr: %s\n' "$(printf '%s' "$err" | head -c 2000)"
}

expect_rc() { checks=$((checks + 1)); [ "$rc" -eq "$1" ] || fail "exit status $rc, wanted $1 ($2)"; }
expect_out() { checks=$((checks + 1)); [ "$out" = "$1" ] || fail "stdout differs ($2); wanted: $1"; }
expect_err() { checks=$((checks + 1)); [ "$err" = "$1" ] || fail "stderr differs ($2); wanted: $1"; }
expect_out_has() {
    checks=$((checks + 1))
    case "$out" in *"$1"*) ;; *) fail "stdout lacks '$1' ($2)" ;; esac
}
expect_err_has() {
    checks=$((checks + 1))
    case "$err" in *"$1"*) ;; *) fail "stderr lacks '$1' ($2)" ;; esac
}

finish() {
    echo "$checks checks, $failures failed"
    [ "$failures" -eq 0 ]
    exit $?
}
