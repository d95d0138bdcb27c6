-- Appointments, their attendees, session notes with amendments, and follow-ups.

ALTER TABLE practice ADD COLUMN group_session_minutes INTEGER NOT NULL DEFAULT 180;
ALTER TABLE practice ADD COLUMN psychotherapy_minutes INTEGER NOT NULL DEFAULT 53;
ALTER TABLE practice ADD COLUMN integration_due_days INTEGER NOT NULL DEFAULT 7;

CREATE TABLE appointment (
    id                INTEGER PRIMARY KEY,
    kind              TEXT NOT NULL CHECK (kind IN ('mental_health_intake', 'medical_intake',
                          'kap_session', 'group_kap_session', 'integration_session', 'psychotherapy')),
    -- UTC, RFC 3339; ends_at = starts_at + duration, kept for the overlap query.
    starts_at         TEXT NOT NULL,
    ends_at           TEXT NOT NULL,
    duration_minutes  INTEGER NOT NULL CHECK (duration_minutes > 0),
    location          TEXT NOT NULL CHECK (location IN ('kap_room', 'telehealth', 'other')),
    location_note     TEXT,
    status            TEXT NOT NULL CHECK (status IN ('scheduled', 'completed', 'cancelled',
                          'late_cancelled', 'no_show')),
    notes             TEXT NOT NULL DEFAULT '',
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
) STRICT;
CREATE INDEX appointment_time ON appointment (starts_at);
CREATE INDEX appointment_room ON appointment (location, status, starts_at, ends_at);

CREATE TABLE appointment_attendee (
    appointment_id  INTEGER NOT NULL REFERENCES appointment (id),
    client_id       INTEGER NOT NULL REFERENCES client (id),
    attendance      TEXT NOT NULL CHECK (attendance IN ('expected', 'attended', 'absent')),
    PRIMARY KEY (appointment_id, client_id)
) STRICT;
CREATE INDEX attendee_client ON appointment_attendee (client_id, appointment_id);

CREATE TABLE session_note (
    id              INTEGER PRIMARY KEY,
    appointment_id  INTEGER NOT NULL REFERENCES appointment (id),
    client_id       INTEGER NOT NULL REFERENCES client (id),
    -- The structured note as JSON: a KAP note, an integration note or free text.
    body            TEXT NOT NULL,
    signed_at       TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    UNIQUE (appointment_id, client_id)
) STRICT;
CREATE INDEX session_note_unsigned ON session_note (signed_at, appointment_id);

-- A signed note is final: the database itself refuses to change or remove it.
CREATE TRIGGER session_note_signed_is_final BEFORE UPDATE ON session_note
WHEN old.signed_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a signed note cannot be changed; add an amendment'); END;
CREATE TRIGGER session_note_no_delete BEFORE DELETE ON session_note
BEGIN SELECT RAISE(ABORT, 'session notes are never deleted'); END;

CREATE TABLE amendment (
    id          INTEGER PRIMARY KEY,
    note_id     INTEGER NOT NULL REFERENCES session_note (id),
    text        TEXT NOT NULL,
    created_at  TEXT NOT NULL
) STRICT;
CREATE INDEX amendment_note ON amendment (note_id, id);
CREATE TRIGGER amendment_is_final BEFORE UPDATE ON amendment
BEGIN SELECT RAISE(ABORT, 'amendments are final'); END;
CREATE TRIGGER amendment_no_delete BEFORE DELETE ON amendment
BEGIN SELECT RAISE(ABORT, 'amendments are never deleted'); END;

CREATE TABLE follow_up (
    id              INTEGER PRIMARY KEY,
    client_id       INTEGER NOT NULL REFERENCES client (id),
    appointment_id  INTEGER REFERENCES appointment (id),
    kind            TEXT NOT NULL CHECK (kind IN ('integration_session_due', 'call', 'check_in',
                        'referral', 'other')),
    due_on          TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('open', 'done', 'dropped')),
    note            TEXT NOT NULL DEFAULT '',
    drop_reason     TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    CHECK (status <> 'dropped' OR drop_reason IS NOT NULL)
) STRICT;
CREATE INDEX follow_up_open ON follow_up (status, due_on);
CREATE INDEX follow_up_client ON follow_up (client_id, due_on);
