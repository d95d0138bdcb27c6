-- Whether this computer's keychain may hold the data key while the practice is open, so
-- that a launch after quitting opens without the passphrase. Every lock removes the key
-- from the keychain either way; only a passphrase unlock puts it back.
ALTER TABLE practice ADD COLUMN open_without_passphrase INTEGER NOT NULL DEFAULT 1
    CHECK (open_without_passphrase IN (0, 1));
