-- What each file or print job that left the app held: one row per `export` (or
-- `backup`) audit row, written in the same transaction. Ids and flags only, no PHI.
-- The client reference is checked at commit (deferred), so a disclosure naming a client
-- that does not exist fails the whole write, the file's rename included.
CREATE TABLE disclosure (
    audit_seq       INTEGER PRIMARY KEY REFERENCES audit_log (seq),
    document        TEXT    NOT NULL CHECK (document IN ('invoice', 'consent', 'superbill',
                        'estimate', 'client_record', 'client_export', 'practice_export',
                        'schedule', 'backup')),
    client_id       INTEGER REFERENCES client (id) DEFERRABLE INITIALLY DEFERRED,
    names_included  INTEGER NOT NULL CHECK (names_included IN (0, 1)),
    printed         INTEGER NOT NULL DEFAULT 0 CHECK (printed IN (0, 1))
) STRICT;

CREATE INDEX disclosure_client ON disclosure (client_id, audit_seq);

CREATE TRIGGER disclosure_no_update BEFORE UPDATE ON disclosure
BEGIN SELECT RAISE(ABORT, 'disclosures are append-only'); END;
CREATE TRIGGER disclosure_no_delete BEFORE DELETE ON disclosure
BEGIN SELECT RAISE(ABORT, 'disclosures are append-only'); END;
