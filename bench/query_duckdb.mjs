// SPDX-License-Identifier: Apache-2.0
// bench/query_duckdb.mjs: the DuckDB side of bench/query.sh (issue 10; see bench/README.md).
//
//     node bench/query_duckdb.mjs serve JSONL SQL_DIR OUT_DIR [table|file]
//     node bench/query_duckdb.mjs compare A.csv B.csv
//
// serve: opens an in-memory DuckDB (@duckdb/node-api, default settings: one thread per core)
// and makes the table cloudtrail_logs from the JSON Lines export with read_json_auto, either
// loaded into memory once (table, the default: CREATE TABLE AS, timed and reported as the
// load) or as a view over the file that every query reads again (file). It prints
// "ready load_ms=N rows=N types=..." and then answers commands on stdin, one a line:
//   run NAME   runs SQL_DIR/NAME.sql, prints "NAME ms=T rows=N" (T: the query and the reading
//              of all its rows into JavaScript values), then writes the rows to OUT_DIR/NAME.csv
//              (untimed): a header line, values as rampart query --format csv prints them
//              (TIMESTAMP as CloudTrail's 2024-03-06T00:00:00Z, booleans as 1/0, NULL empty)
//   quit       prints "rss_kb=N" (the process's peak resident set) and exits
// Errors go to stderr and exit 1. compare: parses two CSV files (RFC 4180; an empty field and
// "" are the same) and exits 0 when they hold the same cells in the same order, 1 with the
// first difference on stderr otherwise.
import { readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

function die(msg) {
    process.stderr.write(`query_duckdb: ${msg}\n`);
    process.exit(1);
}

function pad(n, w = 2) {
    return String(n).padStart(w, '0');
}

// One value as text, the way the store (SQLite) would print the same value.
function cell(v) {
    if (v === null || v === undefined) return '';
    if (typeof v === 'bigint' || typeof v === 'number') return String(v);
    if (typeof v === 'boolean') return v ? '1' : '0';
    if (typeof v === 'string') return v;
    if (v.constructor && v.constructor.name === 'DuckDBTimestampValue') {
        const us = v.micros;
        const d = new Date(Number(us / 1000n));
        const frac = us % 1000000n;
        const base =
            `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T` +
            `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
        return frac === 0n ? `${base}Z` : `${base}.${pad(Number(frac) / 1000, 3)}Z`;
    }
    return v.toString();
}

function csvField(s) {
    return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

function toCsv(reader) {
    const lines = [reader.columnNames().map(csvField).join(',')];
    for (const row of reader.getRows()) lines.push(row.map((v) => csvField(cell(v))).join(','));
    return lines.join('\n') + '\n';
}

// RFC 4180 parser: rows of cells; quoted and unquoted empty fields both give ''.
function parseCsv(text) {
    const rows = [];
    let row = [];
    let i = 0;
    const n = text.length;
    while (i < n) {
        let val = '';
        if (text[i] === '"') {
            i++;
            for (;;) {
                const q = text.indexOf('"', i);
                if (q < 0) throw new Error('unterminated quoted field');
                val += text.slice(i, q);
                i = q + 1;
                if (text[i] === '"') {
                    val += '"';
                    i++;
                } else break;
            }
        } else {
            let j = i;
            while (j < n && text[j] !== ',' && text[j] !== '\n' && text[j] !== '\r') j++;
            val = text.slice(i, j);
            i = j;
        }
        row.push(val);
        if (text[i] === ',') {
            i++;
        } else {
            if (text[i] === '\r') i++;
            if (text[i] === '\n') i++;
            rows.push(row);
            row = [];
        }
    }
    return rows;
}

function compare(a, b) {
    const ra = parseCsv(readFileSync(a, 'utf8'));
    const rb = parseCsv(readFileSync(b, 'utf8'));
    const n = Math.max(ra.length, rb.length);
    for (let r = 0; r < n; r++) {
        const x = ra[r] || [];
        const y = rb[r] || [];
        const m = Math.max(x.length, y.length);
        for (let c = 0; c < m; c++) {
            // header names compare without case: SQL names are case-insensitive
            const same = r === 0 ? (x[c] || '').toLowerCase() === (y[c] || '').toLowerCase()
                                 : x[c] === y[c];
            if (!same) {
                process.stderr.write(
                    `query_duckdb: ${a} and ${b} differ at line ${r + 1} column ${c + 1}: ` +
                        `${JSON.stringify(x[c])} vs ${JSON.stringify(y[c])} ` +
                        `(${ra.length - 1} vs ${rb.length - 1} rows)\n`);
                process.exit(1);
            }
        }
    }
    process.stdout.write(`${ra.length - 1} rows agree\n`);
}

async function serve(jsonl, sqlDir, outDir, mode) {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const inst = await DuckDBInstance.create(':memory:');
    const con = await inst.connect();
    const src = `read_json_auto('${jsonl.replaceAll("'", "''")}')`;
    const t0 = process.hrtime.bigint();
    if (mode === 'table') await con.run(`CREATE TABLE cloudtrail_logs AS SELECT * FROM ${src}`);
    else await con.run(`CREATE VIEW cloudtrail_logs AS SELECT * FROM ${src}`);
    const loadMs = Number(process.hrtime.bigint() - t0) / 1e6;
    const cnt = await con.runAndReadAll('SELECT count(*) FROM cloudtrail_logs');
    const desc = await con.runAndReadAll(
        "SELECT column_name, data_type FROM information_schema.columns " +
            "WHERE table_name = 'cloudtrail_logs' AND column_name IN " +
            "('userIdentity', 'eventTime', 'readOnly', 'requestParameters', 'responseElements') " +
            'ORDER BY column_name');
    const types = desc
        .getRows()
        .map(([c, t]) => `${c}:${t.length > 40 ? t.slice(0, 37) + '...' : t}`)
        .join(';')
        .replaceAll(' ', '');
    process.stdout.write(
        `ready load_ms=${loadMs.toFixed(0)} rows=${cnt.getRows()[0][0]} types=${types}\n`);

    const rl = createInterface({ input: process.stdin, terminal: false });
    for await (const line of rl) {
        const [cmd, name] = line.trim().split(/\s+/);
        if (cmd === 'quit') break;
        if (cmd !== 'run' || !/^[\w-]+$/.test(name || '')) die(`unknown command '${line}'`);
        const sql = readFileSync(`${sqlDir}/${name}.sql`, 'utf8');
        const q0 = process.hrtime.bigint();
        let reader;
        try {
            reader = await con.runAndReadAll(sql);
            reader.getRows();
        } catch (e) {
            die(`${name}: ${e.message}`);
        }
        const ms = Number(process.hrtime.bigint() - q0) / 1e6;
        writeFileSync(`${outDir}/${name}.csv`, toCsv(reader));
        process.stdout.write(`${name} ms=${ms.toFixed(3)} rows=${reader.currentRowCount}\n`);
    }
    process.stdout.write(`rss_kb=${process.resourceUsage().maxRSS}\n`);
    con.closeSync?.();
    process.exit(0);
}

const [, , verb, ...args] = process.argv;
if (verb === 'compare' && args.length === 2) compare(args[0], args[1]);
else if (verb === 'serve' && (args.length === 3 || args.length === 4)) {
    const mode = args[3] || 'table';
    if (mode !== 'table' && mode !== 'file') die(`mode must be table or file, not '${mode}'`);
    await serve(args[0], args[1], args[2], mode);
} else {
    die('usage: query_duckdb.mjs serve JSONL SQL_DIR OUT_DIR [table|file] | compare A.csv B.csv');
}
