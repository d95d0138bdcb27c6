-- Automatic backups: where they go, how many are kept, and when the last one was made.
-- One row. The folder is the user's choice; NULL means automatic backups are off.
CREATE TABLE backup_schedule (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    folder       TEXT,
    keep         INTEGER NOT NULL DEFAULT 14 CHECK (keep BETWEEN 1 AND 365),
    last_at      TEXT,
    last_audit_seq INTEGER
) STRICT;

INSERT INTO backup_schedule (id) VALUES (1);
