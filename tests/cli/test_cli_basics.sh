#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The CLI's contract: version, help, usage errors with hints and exit codes.
. "$(dirname "$0")/cli_lib.sh"

run --version
expect_rc 0 "--version"
expect_out "rampart 0.1.0" "--version prints the version"

run --help
expect_rc 0 "--help"
expect_out_has "usage: rampart [--db PATH]" "--help usage line"
expect_out_has "  db           inspect the store" "--help lists db"
expect_out_has "  3  partial: the work was done but some input was rejected" "--help exit codes"

run
expect_rc 2 "no command"
expect_err_has "usage: rampart" "no command prints usage to stderr"

run help db
expect_rc 0 "help db"
expect_out_has "usage: rampart db info" "help db usage"

run db --help
expect_rc 0 "db --help"
expect_out_has "usage: rampart db info" "db --help is help db"

run help nosuch
expect_rc 2 "help of unknown command"
expect_err "rampart: help: 'nosuch' is not a rampart command
hint: see 'rampart help help'" "help nosuch"

run dbb info
expect_rc 2 "unknown command"
expect_err "rampart: 'dbb' is not a rampart command
hint: did you mean 'rampart db'? see 'rampart --help'" "typo gets a suggestion"

run frobnicate
expect_rc 2 "unknown command, nothing close"
expect_err "rampart: 'frobnicate' is not a rampart command
hint: see 'rampart --help' for the list of commands" "no suggestion"

run --bogus db info
expect_rc 2 "unknown global option"
expect_err "rampart: unknown option '--bogus'
hint: see 'rampart --help'" "unknown option"

run --format xml db info
expect_rc 2 "bad format"
expect_err "rampart: unknown format 'xml' (use table, json or csv)
hint: see 'rampart --help'" "bad format"

run db info --db
expect_rc 2 "missing option value"
expect_err "rampart: option '--db' needs a value
hint: see 'rampart --help'" "missing value"

run --db "$WORK/none.db" db info
expect_rc 1 "db info on a missing database"
expect_err "rampart: db: no database at '$WORK/none.db' (run an ingest first, or pass --db)" "missing db"
checks=$((checks + 1)); [ ! -e "$WORK/none.db" ] || fail "db info created a database"

run db nosuch
expect_rc 2 "unknown db subcommand"
expect_err_has "hint: see 'rampart help db'" "db usage hint"

finish
