-- The audit log: append-only, hash-chained. Holds no names and no note text.
CREATE TABLE audit_log (
    seq          INTEGER PRIMARY KEY,
    at           TEXT    NOT NULL,
    action       TEXT    NOT NULL,
    entity_kind  TEXT    NOT NULL,
    entity_id    INTEGER NOT NULL,
    prev_hash    TEXT    NOT NULL,
    hash         TEXT    NOT NULL
) STRICT;

CREATE INDEX audit_log_entity ON audit_log (entity_kind, entity_id, seq);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END;

-- Practice settings: exactly one row.
CREATE TABLE practice (
    id                 INTEGER PRIMARY KEY CHECK (id = 1),
    practice_name      TEXT NOT NULL,
    address            TEXT NOT NULL DEFAULT '',
    phone              TEXT NOT NULL DEFAULT '',
    therapist_name     TEXT NOT NULL,
    credentials        TEXT NOT NULL DEFAULT '',
    ny_license_number  TEXT NOT NULL DEFAULT '',
    npi                TEXT NOT NULL DEFAULT '',
    ein                TEXT NOT NULL DEFAULT '',
    time_zone          TEXT NOT NULL DEFAULT 'America/New_York',
    idle_lock_minutes  INTEGER NOT NULL DEFAULT 15,
    updated_at         TEXT NOT NULL
) STRICT;

-- The fee schedule: one row per service; NULL cents means "not set yet".
CREATE TABLE fee_schedule (
    service  TEXT PRIMARY KEY,
    cents    INTEGER CHECK (cents IS NULL OR cents >= 0)
) STRICT;

CREATE TABLE client (
    id                    INTEGER PRIMARY KEY,
    legal_name            TEXT NOT NULL,
    -- The legal name folded for ordering: lower case, accents removed (set by the core).
    sort_name             TEXT NOT NULL,
    preferred_name        TEXT,
    pronouns              TEXT,
    date_of_birth         TEXT,
    phone                 TEXT,
    email                 TEXT,
    address               TEXT,
    emergency_name        TEXT,
    emergency_relation    TEXT,
    emergency_phone       TEXT,
    referral_source       TEXT,
    presenting_concerns   TEXT NOT NULL DEFAULT '[]',
    status                TEXT NOT NULL,
    status_before_archive TEXT,
    fee_arrangement       TEXT NOT NULL,
    fee_note              TEXT,
    notes                 TEXT NOT NULL DEFAULT '',
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL
) STRICT;

CREATE INDEX client_status_name ON client (status, sort_name, id);
CREATE INDEX client_name ON client (sort_name, id, status);
