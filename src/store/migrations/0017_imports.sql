-- Records moving in: a client list from another system's CSV export, or this app's own
-- export becoming a new practice. Each import is one row here and one `import` audit row
-- recorded against it, written in the import's own transaction (all or nothing).
--
-- The source file is named by its SHA-256 only: a file's name may hold a client's name.
CREATE TABLE import_batch (
    id             INTEGER PRIMARY KEY,
    source         TEXT    NOT NULL CHECK (source IN ('client_csv', 'practice_export')),
    source_sha256  TEXT    NOT NULL CHECK (length(source_sha256) = 64
                                           AND source_sha256 NOT GLOB '*[^0-9a-f]*'),
    -- How many records the import created (clients for a CSV; every row for an export).
    records        INTEGER NOT NULL CHECK (records >= 0),
    -- For a practice export: the format and schema versions it was written with.
    format_version INTEGER,
    schema_version INTEGER,
    imported_at    TEXT    NOT NULL
) STRICT;

CREATE TRIGGER import_batch_no_update BEFORE UPDATE ON import_batch
BEGIN SELECT RAISE(ABORT, 'imports are append-only'); END;
CREATE TRIGGER import_batch_no_delete BEFORE DELETE ON import_batch
BEGIN SELECT RAISE(ABORT, 'imports are append-only'); END;
