-- SPDX-License-Identifier: Apache-2.0
-- Rampart store schema, migration 13: threat lists and trusted-IP lists (src/detect/
-- detect_ti_store.c, docs/threatintel.md), GuardDuty's ThreatIntelSet and IPSet, filled by
-- `rampart threatintel add` and read by every detection run.
--
-- threatintel_lists has one row per list, by name. A list is kept whole: its entries,
-- canonical (addresses as Rampart formats them, CIDRs with host bits cleared, domains in lower
-- case), distinct, in file order, one per line in `entries_text`; a detection run reads the
-- rows whose status is ACTIVE into its in-memory sets (a radix tree for addresses, a suffix
-- hash for domains), so no per-entry rows are needed. Re-adding a name replaces the row
-- (GuardDuty's UpdateThreatIntelSet). The lines a list file had that could not be read are in
-- `rejects` with source 'threatintel:<name>'.

CREATE TABLE threatintel_lists (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE, -- [A-Za-z0-9._-]{1,300}
    type         TEXT NOT NULL,        -- ThreatIntelSet | IPSet
    kind         TEXT NOT NULL,        -- threat | trusted | tor | malicious | c2 | mining |
                                       -- phishing | drop-point | blackhole | drive-by | dga
    format       TEXT NOT NULL,        -- TXT | STIX | OTX_CSV | ALIEN_VAULT | PROOF_POINT |
                                       -- FIRE_EYE
    status       TEXT NOT NULL,        -- ACTIVE | INACTIVE
    location     TEXT NOT NULL,        -- the file it was read from, as given
    sha256       TEXT NOT NULL,        -- of that file's content (decompressed)
    entries      INTEGER NOT NULL,     -- lines in entries_text
    rejected     INTEGER NOT NULL,     -- records refused (in rejects)
    ignored      INTEGER NOT NULL,     -- records holding nothing usable
    entries_text TEXT NOT NULL,        -- the entries, one per line, '\n'-terminated
    created_ms   INTEGER NOT NULL,     -- first added, ms UTC
    updated_ms   INTEGER NOT NULL      -- last replaced or (de)activated
);
