#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# `rampart db`: the exact output of migrate, info and rejects in table, json and csv; where
# the database comes from (--db, $RAMPART_DB, ./rampart.db, global options after the verb);
# and the errors for bad arguments, a file that is not a database and a newer schema. Reject
# rows are written straight into the rejects table with the sqlite3 tool, so the preview's
# escaping (\n \r \t \\ \xHH) and truncation (48 raw bytes, then "...") are pinned byte for
# byte. The read-only verbs must leave every file as they found it: checked with cksum.
# Nothing here depends on how many migrations the store has: the latest schema version is the
# number of data/schemas/store/NNNN_*.sql files, and `db info`'s expected output lists the
# tables the sqlite3 tool finds in the same file (the three base tables' rows are pinned).
REPO=$(cd "$(dirname "$0")/../.." && pwd) # before cli_lib.sh moves into the scratch dir
. "$(dirname "$0")/cli_lib.sh"

unset RAMPART_DB
if ! command -v sqlite3 >/dev/null 2>&1; then
    echo "FAIL: the sqlite3 tool is missing (scripts/install-deps.sh installs it)"
    exit 1
fi
cr=$(printf '\r') # csv rows end in CRLF; $(..) strips only the final LF

# LATEST: the schema version a migrated store has, one per migration file.
LATEST=0
for _f in "$REPO"/data/schemas/store/[0-9][0-9][0-9][0-9]_*.sql; do
    if [ -f "$_f" ]; then LATEST=$((LATEST + 1)); fi
done
NEWER=99 # a schema version from a future rampart
if [ "$LATEST" -lt 1 ] || [ "$LATEST" -ge "$NEWER" ]; then
    echo "FAIL: found $LATEST store migrations under $REPO/data/schemas/store"
    exit 1
fi

# sql DB: run the SQL on stdin with the sqlite3 tool (stdin, not argv: a 64 KiB blob literal
# is longer than one argument may be).
sql() {
    if ! sqlite3 -bail "$1" >"$WORK/.sql.out" 2>&1; then
        echo "FAIL: sqlite3 $1: $(cat "$WORK/.sql.out")"
        exit 1
    fi
}
# rep STR N: STR repeated N times
rep() {
    _r='' _i=0
    while [ "$_i" -lt "$2" ]; do
        _r=$_r$1
        _i=$((_i + 1))
    done
    printf '%s' "$_r"
}
# hexrep HEX N: the hex digits HEX repeated N times, for an X'..' literal
hexrep() { awk -v h="$1" -v n="$2" 'BEGIN { for (i = 0; i < n; i++) printf "%s", h }'; }
sum() { cksum <"$1"; }
expect_same() { # FILE CKSUM DESC: the file is still there, byte for byte
    checks=$((checks + 1))
    if [ ! -f "$1" ] || [ "$(sum "$1")" != "$2" ]; then fail "$1 changed ($3)"; fi
}
expect_file() { checks=$((checks + 1)); [ -e "$1" ] || fail "$1 is missing ($2)"; }
expect_no_file() { checks=$((checks + 1)); [ ! -e "$1" ] || fail "$1 exists ($2)"; }
expect_no_sidecars() { # DB DESC: no -wal, -shm or -journal left next to DB
    for _s in -wal -shm -journal; do expect_no_file "$1$_s" "$2"; done
}
# fbytes DB: the bytes `db info` reports as file_bytes, the file plus its -wal if any
fbytes() {
    _b=$(stat -c %s "$1")
    if [ -f "$1-wal" ]; then _b=$((_b + $(stat -c %s "$1-wal"))); fi
    printf '%s' "$_b"
}
# info_expect FORMAT PATH DB REJECTS: the exact `db info` output (table, json or csv) for the
# migrated store DB named PATH on the command line. The table list (SQLite's own sqlite_*
# tables left out, as the store does) and the row counts of tables a later migration added
# come from the sqlite3 tool, run on a copy so DB itself is not touched; the base tables'
# rows are fixed: ingest_checkpoints 0, rejects REJECTS, store_migrations one per migration.
# Column widths follow the table format: headers left, numbers right (but the last column
# is not padded), two spaces between columns.
info_expect() {
    _fmt=$1 _path=$2 _db=$3 _rej=$4
    _bytes=$(fbytes "$_db")
    rm -f "$WORK/.q.db" "$WORK/.q.db-wal" "$WORK/.q.db-shm"
    cp "$_db" "$WORK/.q.db"
    if [ -f "$_db-wal" ]; then cp "$_db-wal" "$WORK/.q.db-wal"; fi
    sql "$WORK/.q.db" <<'EOF'
SELECT name FROM sqlite_master
WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY name;
EOF
    _names=$(cat "$WORK/.sql.out")
    : >"$WORK/.q.rows"
    _tw=5 _base=0
    for _n in $_names; do
        case "$_n" in *[!A-Za-z0-9_]*)
            echo "FAIL: table name '$_n' needs escaping this test does not do"
            exit 1
            ;;
        esac
        case "$_n" in
        ingest_checkpoints) _c=0 _base=$((_base + 1)) ;;
        rejects) _c=$_rej _base=$((_base + 1)) ;;
        store_migrations) _c=$LATEST _base=$((_base + 1)) ;;
        *)
            printf 'SELECT count(*) FROM "%s";\n' "$_n" | sql "$WORK/.q.db"
            _c=$(cat "$WORK/.sql.out")
            ;;
        esac
        printf '%s %s\n' "$_n" "$_c" >>"$WORK/.q.rows"
        if [ "${#_n}" -gt "$_tw" ]; then _tw=${#_n}; fi
    done
    rm -f "$WORK/.q.db" "$WORK/.q.db-wal" "$WORK/.q.db-shm"
    if [ "$_base" -ne 3 ]; then
        echo "FAIL: $_db lacks a base table (ingest_checkpoints, rejects, store_migrations)"
        exit 1
    fi
    _pw=${#_path} _bw=${#_bytes}
    if [ "$_pw" -lt 4 ]; then _pw=4; fi
    if [ "$_bw" -lt 10 ]; then _bw=10; fi
    case "$_fmt" in
    table)
        printf "%-${_pw}s  %-14s  %-13s  %-${_bw}s  %-${_tw}s  %s\n" \
            path schema_version schema_latest file_bytes table rows
        while read -r _n _c; do
            printf "%-${_pw}s  %14s  %13s  %${_bw}s  %-${_tw}s  %s\n" \
                "$_path" "$LATEST" "$LATEST" "$_bytes" "$_n" "$_c"
        done <"$WORK/.q.rows"
        ;;
    json)
        _sep='['
        while read -r _n _c; do
            printf '%s{"path":"%s","schema_version":%s,"schema_latest":%s,"file_bytes":%s,"table":"%s","rows":%s}' \
                "$_sep" "$_path" "$LATEST" "$LATEST" "$_bytes" "$_n" "$_c"
            _sep=,
        done <"$WORK/.q.rows"
        printf ']\n'
        ;;
    csv)
        printf 'path,schema_version,schema_latest,file_bytes,table,rows\r\n'
        while read -r _n _c; do
            printf '%s,%s,%s,%s,%s,%s\r\n' "$_path" "$LATEST" "$LATEST" "$_bytes" "$_n" "$_c"
        done <"$WORK/.q.rows"
        ;;
    esac
}
# want FORMAT PATH DB REJECTS: exp=$(info_expect ...), ending the test if that failed
want() {
    exp=$(info_expect "$@") || {
        printf '%s\n' "$exp"
        exit 1
    }
}

# ---- migrate ----------------------------------------------------------------------------

run --db new.db db migrate
expect_rc 0 "migrate a new path"
expect_out "path    from_version  schema_version
new.db             0  $LATEST" "migrate creates and reports 0 -> LATEST"
expect_err "" "migrate is quiet on stderr"
expect_file new.db "migrate created the file"
expect_no_sidecars new.db "the store closes its WAL"

run --db new.db db migrate
expect_rc 0 "migrate again"
expect_out "path    from_version  schema_version
new.db  $(printf '%12s' "$LATEST")  $LATEST" "a second migrate is a no-op LATEST -> LATEST"

run --format json --db j.db db migrate
expect_rc 0 "migrate, json"
expect_out '[{"path":"j.db","from_version":0,"schema_version":'"$LATEST"'}]' "migrate json"

run --format csv --db c.db db migrate
expect_rc 0 "migrate, csv"
expect_out "path,from_version,schema_version$cr
c.db,0,$LATEST$cr" "migrate csv"

run --db "$WORK/abs.db" db migrate --format=csv
expect_rc 0 "migrate, absolute path, --format= after the verb"
expect_out "path,from_version,schema_version$cr
$WORK/abs.db,0,$LATEST$cr" "the path is printed as given"

run --db new.db db migrate now
expect_rc 2 "migrate takes no argument"
expect_err "rampart: db: migrate: unexpected argument 'now'
hint: see 'rampart help db'" "migrate argument"

# ---- info -------------------------------------------------------------------------------

# One row per table, in name order; file_bytes is the file's size (the WAL is checkpointed
# away on close). The expected rows are built before the first run, from a copy of the file.
new_sum=$(sum new.db)
new_bytes=$(fbytes new.db)
checks=$((checks + 1))
[ "$new_bytes" -gt 0 ] || fail "new.db is $new_bytes bytes"
want table new.db new.db 0
new_table=$exp
want json new.db new.db 0
new_json=$exp
want csv new.db new.db 0
new_csv=$exp
run --db new.db db info
expect_rc 0 "info"
expect_out "$new_table" "info table"
expect_err "" "info is quiet on stderr"
expect_out_has "
new.db  $(printf '%14s  %13s  %10s' "$LATEST" "$LATEST" "$new_bytes")  rejects  " "a base row"

run --db new.db --format json db info
expect_rc 0 "info, json"
expect_out "$new_json" "info json"
expect_out_has '{"path":"new.db","schema_version":'"$LATEST"',"schema_latest":'"$LATEST"',"file_bytes":'"$new_bytes"',"table":"store_migrations","rows":'"$LATEST"'}' "info json, store_migrations"

run --db new.db --format csv db info
expect_rc 0 "info, csv"
expect_out "$new_csv" "info csv"
expect_out_has "$cr
new.db,$LATEST,$LATEST,$new_bytes,ingest_checkpoints,0$cr
" "info csv, ingest_checkpoints"
expect_same new.db "$new_sum" "info is read-only"
expect_no_sidecars new.db "info leaves no -wal or -shm behind"

# An empty file is an empty SQLite database: schema 0, no tables, one summary row.
: >empty.db
run --db empty.db db info
expect_rc 0 "info on an empty file"
expect_out "path      schema_version  schema_latest  file_bytes  table  rows
empty.db               0  $(printf '%13s' "$LATEST")           0  -      -" "info of an unmigrated file"
run --db empty.db --format json db info
expect_out '[{"path":"empty.db","schema_version":0,"schema_latest":'"$LATEST"',"file_bytes":0,"table":null,"rows":null}]' "nulls in json"
run --db empty.db db rejects
expect_rc 0 "rejects on an unmigrated file"
expect_out "id  time  source  offset  line  reason  raw_len  raw_kept  preview" "no rejects table, no rejects"
checks=$((checks + 1)); [ ! -s empty.db ] || fail "info or rejects wrote to an empty file"
expect_no_sidecars empty.db "read-only verbs on an empty file"

run --db new.db db info --verbose-not
expect_rc 2 "info takes no option"
expect_err "rampart: db: info: unknown option '--verbose-not'
hint: see 'rampart help db'" "info option"

# ---- where the database is: --db, then $RAMPART_DB, then ./rampart.db ----------------------

export RAMPART_DB=env.db
run db migrate
expect_rc 0 "migrate with RAMPART_DB"
expect_out "path    from_version  schema_version
env.db             0  $LATEST" "RAMPART_DB names the store"
expect_file env.db "RAMPART_DB file created"
env_sum=$(sum env.db)

run --db flag.db db migrate
expect_rc 0 "migrate with --db and RAMPART_DB"
expect_out "path     from_version  schema_version
flag.db             0  $LATEST" "--db wins over RAMPART_DB"
expect_same env.db "$env_sum" "--db leaves the RAMPART_DB file alone"

flag_bytes=$(fbytes flag.db)
want json flag.db flag.db 0
flag_json=$exp
run db info --db flag.db --format json
expect_rc 0 "global options after the verb"
expect_out "$flag_json" "db info --db X --format json"

run db info --db=flag.db --format=csv
expect_rc 0 "--opt=value forms after the verb"
expect_out_has "flag.db,$LATEST,$LATEST,$flag_bytes,rejects,0$cr" "--db=X --format=csv"

export RAMPART_DB=absent.db
run db info
expect_rc 1 "info through RAMPART_DB on a missing file"
expect_err "rampart: db: no database at 'absent.db' (run an ingest first, or pass --db)" "RAMPART_DB used by info"
expect_no_file absent.db "info created nothing"

export RAMPART_DB=
run db migrate
expect_rc 0 "empty RAMPART_DB"
expect_out "path        from_version  schema_version
rampart.db             0  $LATEST" "an empty RAMPART_DB means ./rampart.db"
unset RAMPART_DB
def_bytes=$(fbytes rampart.db)
run --format csv db info
expect_rc 0 "no --db, no RAMPART_DB"
expect_out_has "rampart.db,$LATEST,$LATEST,$def_bytes,store_migrations,$LATEST$cr" "the default is ./rampart.db"

# ---- rejects ----------------------------------------------------------------------------

run --db new.db db rejects
expect_rc 0 "rejects, empty store"
expect_out "id  time  source  offset  line  reason  raw_len  raw_kept  preview" "empty rejects table"
expect_err "" "no note without rejects"
run --db new.db --format json db rejects
expect_out "[]" "empty rejects json"
run --db new.db --format csv db rejects
expect_out "id,time,source,offset,line,reason,raw_len,raw_kept,preview$cr" "empty rejects csv"

# Seven rejects over three sources. Raw bytes:
#  1  "{not json"
#  2  line1 LF line2 CR LF TAB tab NUL 01 \ ESC [31m DEL, then é (c3 a9) and a lone ff
#  3  64 KiB kept of a 1 MiB record: LF, then A..Z repeated (shows LF + 47 letters + "...")
#  4  "abc" kept of 70000 bytes: "..." even though the 3 bytes fit
#  5  exactly 48 bytes of ff: all shown, all escaped, no "..."
#  6  49 NUL bytes: 48 escaped (the preview buffer's exact worst case) and "..."
#  7  empty raw, with a source that needs csv quoting and a reason with LF and TAB
cp new.db rej.db
long_hex=0a$(hexrep 4142434445464748494a4b4c4d4e4f505152535455565758595a 2520)4142434445464748494a4b4c4d4e4f
sql rej.db <<EOF
INSERT INTO rejects (time_ms, source, format, byte_offset, line, reason, raw, orig_len, truncated)
VALUES
 (1700000000123, 'logs/a.json', 'cloudtrail', 0, 1, 'expected an object',
  CAST('{not json' AS BLOB), 9, 0),
 (1700000001000, 'logs/a.json', 'cloudtrail', 10, 2, 'bad escape',
  X'6c696e65310a6c696e65320d0a0974616200015c1b5b33316d7fc3a9ff', 29, 0),
 (0, 'logs/b.json', NULL, NULL, NULL, 'record too long', X'$long_hex', 1048576, 1),
 (1700000002000, 'logs/b.json', NULL, 5, NULL, 'cut short', CAST('abc' AS BLOB), 70000, 1),
 (1700000003000, 'logs/b.json', 'vpcflow', 7, 3, 'not utf-8', X'$(hexrep ff 48)', 48, 0),
 (1700000004000, 'logs/b.json', 'vpcflow', 8, 4, 'nul bytes', X'$(hexrep 00 49)', 49, 0),
 (1700000005000, 'logs/c,"q".json', NULL, NULL, NULL, 'line one
line two	tab', X'', 0, 0);
SELECT length(raw) FROM rejects WHERE id = 3;
EOF
checks=$((checks + 1))
[ "$(cat "$WORK/.sql.out")" = 65536 ] || fail "the 64 KiB reject was not stored whole"

p1='{not json'
p2='line1\nline2\r\n\ttab\x00\x01\\\x1b[31m\x7f\xc3\xa9\xff'
p3='\nABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTU...'
p4='abc...'
p5=$(rep '\xff' 48)
p6=$(rep '\x00' 48)...

rej_sum=$(sum rej.db)
run --db rej.db db rejects
expect_rc 0 "rejects"
expect_out "id  time                      source           offset  line  reason                 raw_len  raw_kept  preview
 1  2023-11-14T22:13:20.123Z  logs/a.json           0     1  expected an object           9         9  $p1
 2  2023-11-14T22:13:21.000Z  logs/a.json          10     2  bad escape                  29        29  $p2
 3  1970-01-01T00:00:00.000Z  logs/b.json           -     -  record too long        1048576     65536  $p3
 4  2023-11-14T22:13:22.000Z  logs/b.json           5     -  cut short                70000         3  $p4
 5  2023-11-14T22:13:23.000Z  logs/b.json           7     3  not utf-8                   48        48  $p5
 6  2023-11-14T22:13:24.000Z  logs/b.json           8     4  nul bytes                   49        49  $p6
 7  2023-11-14T22:13:25.000Z  logs/c,\"q\".json       -     -  line one?line two?tab        0         0  " "rejects table: escaped previews, '?' for control bytes in text cells"
expect_err "" "all 7 fit the default limit"

run --db rej.db --format json db rejects
expect_rc 0 "rejects, json"
# The writer escapes the preview's backslashes once more.
j2='line1\\nline2\\r\\n\\ttab\\x00\\x01\\\\\\x1b[31m\\x7f\\xc3\\xa9\\xff'
expect_out '[{"id":1,"time":"2023-11-14T22:13:20.123Z","source":"logs/a.json","offset":0,"line":1,"reason":"expected an object","raw_len":9,"raw_kept":9,"preview":"{not json"},{"id":2,"time":"2023-11-14T22:13:21.000Z","source":"logs/a.json","offset":10,"line":2,"reason":"bad escape","raw_len":29,"raw_kept":29,"preview":"'"$j2"'"},{"id":3,"time":"1970-01-01T00:00:00.000Z","source":"logs/b.json","offset":null,"line":null,"reason":"record too long","raw_len":1048576,"raw_kept":65536,"preview":"\\nABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTU..."},{"id":4,"time":"2023-11-14T22:13:22.000Z","source":"logs/b.json","offset":5,"line":null,"reason":"cut short","raw_len":70000,"raw_kept":3,"preview":"abc..."},{"id":5,"time":"2023-11-14T22:13:23.000Z","source":"logs/b.json","offset":7,"line":3,"reason":"not utf-8","raw_len":48,"raw_kept":48,"preview":"'"$(rep '\\xff' 48)"'"},{"id":6,"time":"2023-11-14T22:13:24.000Z","source":"logs/b.json","offset":8,"line":4,"reason":"nul bytes","raw_len":49,"raw_kept":49,"preview":"'"$(rep '\\x00' 48)"'..."},{"id":7,"time":"2023-11-14T22:13:25.000Z","source":"logs/c,\"q\".json","offset":null,"line":null,"reason":"line one\nline two\ttab","raw_len":0,"raw_kept":0,"preview":""}]' "rejects json"

run --db rej.db --format csv db rejects
expect_rc 0 "rejects, csv"
expect_out "id,time,source,offset,line,reason,raw_len,raw_kept,preview$cr
1,2023-11-14T22:13:20.123Z,logs/a.json,0,1,expected an object,9,9,$p1$cr
2,2023-11-14T22:13:21.000Z,logs/a.json,10,2,bad escape,29,29,$p2$cr
3,1970-01-01T00:00:00.000Z,logs/b.json,,,record too long,1048576,65536,$p3$cr
4,2023-11-14T22:13:22.000Z,logs/b.json,5,,cut short,70000,3,$p4$cr
5,2023-11-14T22:13:23.000Z,logs/b.json,7,3,not utf-8,48,48,$p5$cr
6,2023-11-14T22:13:24.000Z,logs/b.json,8,4,nul bytes,49,49,$p6$cr
7,2023-11-14T22:13:25.000Z,\"logs/c,\"\"q\"\".json\",,,\"line one
line two	tab\",0,0,$cr" "rejects csv (RFC 4180 quoting)"

run --db rej.db db rejects --limit 2
expect_rc 0 "rejects --limit 2"
expect_out "id  time                      source       offset  line  reason              raw_len  raw_kept  preview
 1  2023-11-14T22:13:20.123Z  logs/a.json       0     1  expected an object        9         9  $p1
 2  2023-11-14T22:13:21.000Z  logs/a.json      10     2  bad escape               29        29  $p2" "first two"
expect_err "rampart: db: showing 2 of 7 rejects (--limit 0 shows all)" "the note says how many exist"

run --db rej.db db rejects --limit 2 -q
expect_rc 0 "rejects --limit 2 -q"
expect_out_has " 2  2023-11-14T22:13:21.000Z" "-q keeps the rows"
expect_err "" "-q drops the note"

run --db rej.db --format json db rejects --limit=1
expect_rc 0 "rejects --limit=1, json"
expect_out '[{"id":1,"time":"2023-11-14T22:13:20.123Z","source":"logs/a.json","offset":0,"line":1,"reason":"expected an object","raw_len":9,"raw_kept":9,"preview":"{not json"}]' "stdout stays pure json"
expect_err "rampart: db: showing 1 of 7 rejects (--limit 0 shows all)" "the note goes to stderr"

run --db rej.db db rejects --limit 7
expect_rc 0 "rejects --limit = count"
expect_err "" "no note when nothing is hidden"

run --db rej.db --format csv db rejects --source logs/b.json --limit 2
expect_rc 0 "rejects --source --limit"
expect_out "id,time,source,offset,line,reason,raw_len,raw_kept,preview$cr
3,1970-01-01T00:00:00.000Z,logs/b.json,,,record too long,1048576,65536,$p3$cr
4,2023-11-14T22:13:22.000Z,logs/b.json,5,,cut short,70000,3,$p4$cr" "only that source, in id order"
expect_err "rampart: db: showing 2 of 4 rejects (--limit 0 shows all)" "the count is of that source"

run --db rej.db --format csv db rejects --source=logs/c,\"q\".json
expect_rc 0 "rejects --source= with odd characters"
expect_out "id,time,source,offset,line,reason,raw_len,raw_kept,preview$cr
7,2023-11-14T22:13:25.000Z,\"logs/c,\"\"q\"\".json\",,,\"line one
line two	tab\",0,0,$cr" "source matched exactly"

run --db rej.db db rejects --source logs/none.json
expect_rc 0 "rejects of an unknown source"
expect_out "id  time  source  offset  line  reason  raw_len  raw_kept  preview" "no rows"
expect_err "" "no note"

run --db rej.db --format csv db rejects --limit 0 --source logs/a.json
expect_rc 0 "rejects --limit 0"
expect_out "id,time,source,offset,line,reason,raw_len,raw_kept,preview$cr
1,2023-11-14T22:13:20.123Z,logs/a.json,0,1,expected an object,9,9,$p1$cr
2,2023-11-14T22:13:21.000Z,logs/a.json,10,2,bad escape,29,29,$p2$cr" "--limit 0 shows all"

# The size depends on how the sqlite3 tool laid out the pages, so it is checked against the
# file itself (no -wal is left: the tool checkpoints on close).
rej_bytes=$(fbytes rej.db)
want csv rej.db rej.db 7
rej_csv=$exp
run --db rej.db --format csv db info
expect_rc 0 "info after rejects"
expect_out "$rej_csv" "seven rejects counted, size of the file"
expect_out_has "$cr
rej.db,$LATEST,$LATEST,$rej_bytes,rejects,7$cr
" "the rejects row"
checks=$((checks + 1))
[ $((rej_bytes - new_bytes)) -ge 65536 ] ||
    fail "rej.db is $rej_bytes bytes, new.db $new_bytes: too little growth for the 64 KiB reject"
expect_same rej.db "$rej_sum" "rejects and info are read-only"
expect_no_sidecars rej.db "read-only verbs on a store with rejects"

# The default limit is 100.
cp new.db many.db
sql many.db <<'EOF'
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 101)
INSERT INTO rejects (time_ms, source, reason, raw, orig_len, truncated)
SELECT i, 'many.json', 'bad', CAST('x' AS BLOB), 1, 0 FROM n;
EOF
run --db many.db --format csv db rejects
expect_rc 0 "rejects past the default limit"
checks=$((checks + 1))
[ "$(printf '%s\n' "$out" | wc -l)" -eq 101 ] || fail "wanted a header and 100 rows"
expect_out_has "100,1970-01-01T00:00:00.100Z,many.json,,,bad,1,1,x$cr" "row 100 is the last shown"
expect_err "rampart: db: showing 100 of 101 rejects (--limit 0 shows all)" "default limit note"

# ---- bad arguments ----------------------------------------------------------------------

run --db rej.db db rejects --limit abc
expect_rc 2 "--limit abc"
expect_err "rampart: db: rejects: --limit wants a number, not 'abc'
hint: see 'rampart help db'" "--limit abc message"
expect_out "" "nothing on stdout for a usage error"

run --db rej.db db rejects --limit -1
expect_rc 2 "--limit -1"
expect_err "rampart: db: rejects: --limit wants a number, not '-1'
hint: see 'rampart help db'" "no negative limit"

run --db rej.db db rejects --limit=
expect_rc 2 "--limit="
expect_err "rampart: db: rejects: --limit wants a number, not ''
hint: see 'rampart help db'" "empty limit"

run --db rej.db db rejects --limit 99999999999999999999
expect_rc 2 "--limit past 2^64"
expect_err "rampart: db: rejects: --limit wants a number, not '99999999999999999999'
hint: see 'rampart help db'" "limit overflow"

run --db rej.db db rejects --limit
expect_rc 2 "--limit without value"
expect_err "rampart: db: rejects: --limit needs a number
hint: see 'rampart help db'" "missing limit"

run --db rej.db db rejects --source
expect_rc 2 "--source without value"
expect_err "rampart: db: rejects: --source needs a file
hint: see 'rampart help db'" "missing source"

run --db rej.db db rejects --since 1d
expect_rc 2 "unknown rejects option"
expect_err "rampart: db: rejects: unknown option '--since'
hint: see 'rampart help db'" "rejects option"

run --db rej.db db rejects logs/a.json
expect_rc 2 "rejects argument"
expect_err "rampart: db: rejects: unexpected argument 'logs/a.json'
hint: see 'rampart help db'" "rejects takes --source, not a path"

run --db rej.db db
expect_rc 2 "db without subcommand"
expect_err "rampart: db: missing subcommand (info, rejects or migrate)
hint: see 'rampart help db'" "missing subcommand"

run --db rej.db db vacuum
expect_rc 2 "unknown db subcommand"
expect_err "rampart: db: unknown subcommand 'vacuum'
hint: see 'rampart help db'" "unknown subcommand"

# ---- files that are not a store Rampart can read -------------------------------------------

printf 'hello, I am a text file, not a database\n' >notes.txt
txt_sum=$(sum notes.txt)
for verb in info rejects migrate; do
    run --db notes.txt db $verb
    expect_rc 1 "db $verb on a text file"
    expect_err "rampart: db: store: cannot open 'notes.txt': file is not a database" "db $verb: not a database"
    expect_out "" "db $verb: nothing on stdout"
    expect_same notes.txt "$txt_sum" "db $verb on a text file"
    expect_no_sidecars notes.txt "db $verb on a text file"
done

sql foreign.db <<'EOF'
CREATE TABLE t (x);
INSERT INTO t VALUES (1);
EOF
foreign_sum=$(sum foreign.db)
for verb in info migrate; do
    run --db foreign.db db $verb
    expect_rc 1 "db $verb on another application's database"
    expect_err "rampart: db: store: cannot open 'foreign.db': not a rampart database (application_id 0x00000000, user_version 0)" "db $verb: foreign database"
    expect_same foreign.db "$foreign_sum" "db $verb on a foreign database"
done

cp new.db newer.db
printf 'PRAGMA user_version = %s;\n' "$NEWER" | sql newer.db
newer_sum=$(sum newer.db)
for verb in info rejects migrate; do
    run --db newer.db db $verb
    expect_rc 1 "db $verb on a newer schema"
    expect_err "rampart: db: store: cannot open 'newer.db': schema version $NEWER is newer than this rampart supports ($LATEST); upgrade rampart" "db $verb: newer schema"
    expect_out "" "db $verb: newer schema, nothing on stdout"
    expect_same newer.db "$newer_sum" "db $verb on a newer schema"
done
printf 'PRAGMA user_version;\n' | sql newer.db
checks=$((checks + 1))
[ "$(cat "$WORK/.sql.out")" = "$NEWER" ] || fail "the schema version was changed"

mkdir adir
run --db adir db info
expect_rc 1 "db info on a directory"
expect_err "rampart: db: store: cannot open 'adir': unable to open database file" "directory"

finish
