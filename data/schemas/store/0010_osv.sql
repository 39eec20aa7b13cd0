-- SPDX-License-Identifier: Apache-2.0
-- Rampart store schema, migration 10: the OSV advisory index (src/vuln/vuln_osv.c,
-- docs/vulns.md), filled by `rampart vulns db import` from OSV JSON files as osv.dev publishes
-- them (one advisory per file, trees or per-ecosystem dumps).
--
-- osv_advisories keeps each advisory once, by id; a re-import replaces it only when its
-- `modified` is newer, so importing the same tree again changes nothing. osv_affected has one
-- row per element of its `affected` array, looked up by (ecosystem base, package name): the
-- ecosystem base is the part before ':' ("Debian" of "Debian:12"), and the name is as OSV
-- writes it except for PyPI, whose names are normalized (PEP 503: lower case, runs of
-- '-', '_', '.' as one '-').

CREATE TABLE osv_advisories (
    id           TEXT PRIMARY KEY,  -- "GHSA-..", "CVE-..", "DSA-..", "PYSEC-.."
    modified_ms  INTEGER NOT NULL,  -- modified, ms UTC
    published_ms INTEGER,           -- published
    withdrawn_ms INTEGER,           -- withdrawn: such an advisory matches nothing
    summary      TEXT,
    aliases      TEXT,              -- JSON array of other ids ("CVE-2024-1234")
    severity     TEXT,              -- JSON array [{type, score}] (CVSS vectors)
    doc          TEXT NOT NULL      -- the whole advisory, compact JSON
) WITHOUT ROWID;

CREATE TABLE osv_affected (
    advisory   TEXT NOT NULL,       -- osv_advisories.id
    idx        INTEGER NOT NULL,    -- position in affected[]
    ecosystem  TEXT NOT NULL,       -- as written: "Debian:12", "npm", "PyPI"
    eco_base   TEXT NOT NULL,       -- before ':': "Debian"
    name       TEXT NOT NULL,       -- package name (PyPI: normalized)
    purl       TEXT,
    ranges     TEXT,                -- JSON array of {type, repo, events[]}
    versions   TEXT,                -- JSON array of affected versions
    PRIMARY KEY (advisory, idx)
) WITHOUT ROWID;
CREATE INDEX osv_affected_pkg ON osv_affected (eco_base, name);
