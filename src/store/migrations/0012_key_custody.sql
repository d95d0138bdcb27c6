-- Whether this computer's keychain may hold the data key while the practice is open, so
-- that a launch after quitting opens without the passphrase. Every lock removes the key
-- from the keychain either way; only a passphrase unlock puts it back.
-- NULL is on (the default): a column added to an audited table is nullable with no
-- default, so the practice row's earlier content hash still matches.
ALTER TABLE practice ADD COLUMN open_without_passphrase INTEGER
    CHECK (open_without_passphrase IN (0, 1));

-- Settings → Activity: the audit log by time and by action, and the rows of one client,
-- each found through an index at a decade of records.
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_action ON audit_log (action, seq);
CREATE INDEX session_note_client ON session_note (client_id);
CREATE INDEX payment_client ON payment (client_id);
