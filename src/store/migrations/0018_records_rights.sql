-- Records rights (docs/legal.md): access requests, who each disclosure went to and why,
-- disclosures made outside the app, release authorizations, private process notes
-- (psychotherapy notes, kept apart from the record) and the notice of privacy practices.

-- A request to inspect or copy the record, or for a summary of it (45 CFR 164.524, NY
-- Public Health Law §18). `due_on` is the core's `records::access::due_on` of the
-- request as logged (and extended): stored so Home can list what is due from an index.
CREATE TABLE access_request (
    id                INTEGER PRIMARY KEY,
    client_id         INTEGER NOT NULL REFERENCES client (id),
    received_on       TEXT    NOT NULL,
    requested_by      TEXT    NOT NULL CHECK (requested_by IN ('client', 'representative')),
    -- A personal representative's name and authority (parent, guardian, health care agent).
    representative    TEXT,
    access            TEXT    NOT NULL CHECK (access IN ('inspect', 'copy', 'summary')),
    -- What was asked for, in the requester's words ("the whole record", "notes since May").
    records           TEXT    NOT NULL,
    format            TEXT    NOT NULL CHECK (format IN ('paper', 'pdf', 'data_export')),
    delivery          TEXT    NOT NULL CHECK (delivery IN ('in_person', 'mail', 'email',
                          'electronic_media')),
    due_on            TEXT    NOT NULL,
    -- The one extension: when it was given, and the written reason sent to the requester.
    extended_on       TEXT,
    extension_reason  TEXT,
    -- The fee for copies, recorded only: it never holds up fulfilment.
    pages             INTEGER CHECK (pages IS NULL OR pages >= 0),
    fee_cents         INTEGER CHECK (fee_cents IS NULL OR fee_cents >= 0),
    fee_waived        INTEGER NOT NULL DEFAULT 0 CHECK (fee_waived IN (0, 1)),
    status            TEXT    NOT NULL CHECK (status IN ('open', 'fulfilled', 'partly_denied',
                          'denied', 'withdrawn')),
    closed_on         TEXT,
    outcome_note      TEXT,
    denial_ground     TEXT,
    denial_reason     TEXT,
    created_at        TEXT    NOT NULL,
    updated_at        TEXT    NOT NULL,
    CHECK ((status = 'open') = (closed_on IS NULL)),
    CHECK ((extended_on IS NULL) = (extension_reason IS NULL))
) STRICT;

CREATE INDEX access_request_client ON access_request (client_id, received_on);
CREATE INDEX access_request_open ON access_request (due_on) WHERE status = 'open';

-- A release-of-information authorization (45 CFR 164.508): drafted, printed for the
-- client's signature, then recorded as signed; revoked in writing.
CREATE TABLE authorization (
    id                INTEGER PRIMARY KEY,
    client_id         INTEGER NOT NULL REFERENCES client (id),
    -- Who may disclose (the practice, by default) and to whom, with an address if known.
    discloser         TEXT    NOT NULL,
    recipient         TEXT    NOT NULL,
    -- What information, specifically, and why.
    information       TEXT    NOT NULL,
    purpose           TEXT    NOT NULL,
    -- It ends on a date, or at an event, or both (whichever comes first).
    expires_on        TEXT,
    expiry_event      TEXT,
    process_notes     INTEGER NOT NULL DEFAULT 0 CHECK (process_notes IN (0, 1)),
    signed_on         TEXT,
    signed_by         TEXT    CHECK (signed_by IN ('client', 'representative')),
    representative    TEXT,
    revoked_on        TEXT,
    created_at        TEXT    NOT NULL,
    updated_at        TEXT    NOT NULL,
    CHECK (expires_on IS NOT NULL OR expiry_event IS NOT NULL),
    CHECK ((signed_on IS NULL) = (signed_by IS NULL)),
    CHECK (revoked_on IS NULL OR signed_on IS NOT NULL)
) STRICT;

CREATE INDEX authorization_client ON authorization (client_id, signed_on);

-- A disclosure made some other way than through the app (a phone call to a hospital, a
-- records request answered by fax), entered by hand for the accounting of disclosures.
CREATE TABLE disclosure_entry (
    id                INTEGER PRIMARY KEY,
    client_id         INTEGER NOT NULL REFERENCES client (id),
    disclosed_on      TEXT    NOT NULL,
    recipient_kind    TEXT    NOT NULL CHECK (recipient_kind IN ('client', 'representative',
                          'prescriber', 'insurer', 'other')),
    recipient         TEXT    NOT NULL,
    information       TEXT    NOT NULL,
    purpose           TEXT    NOT NULL,
    purpose_note      TEXT,
    authorization_id  INTEGER REFERENCES authorization (id),
    created_at        TEXT    NOT NULL,
    updated_at        TEXT    NOT NULL
) STRICT;

CREATE INDEX disclosure_entry_client ON disclosure_entry (client_id, disclosed_on);

-- Who each file or print job went to and why, when the therapist said (the question is
-- optional), and the access request or authorization it answers. The list of documents
-- grows by the records-rights letters and forms, so the table is rebuilt with its rows
-- (append-only again once rebuilt; dropping a table fires no DELETE trigger).
CREATE TABLE disclosure_rebuilt (
    audit_seq         INTEGER PRIMARY KEY REFERENCES audit_log (seq),
    document          TEXT    NOT NULL CHECK (document IN ('invoice', 'consent', 'superbill',
                          'estimate', 'client_record', 'prescriber_summary', 'client_export',
                          'practice_export', 'schedule', 'backup', 'access_denial',
                          'disclosure_accounting', 'authorization', 'privacy_notice')),
    client_id         INTEGER REFERENCES client (id) DEFERRABLE INITIALLY DEFERRED,
    names_included    INTEGER NOT NULL CHECK (names_included IN (0, 1)),
    printed           INTEGER NOT NULL DEFAULT 0 CHECK (printed IN (0, 1)),
    recipient_kind    TEXT    CHECK (recipient_kind IN ('client', 'representative',
                          'prescriber', 'insurer', 'other')),
    recipient         TEXT,
    purpose           TEXT,
    purpose_note      TEXT,
    access_request_id INTEGER REFERENCES access_request (id) DEFERRABLE INITIALLY DEFERRED,
    authorization_id  INTEGER REFERENCES authorization (id) DEFERRABLE INITIALLY DEFERRED,
    -- Whether the therapist chose to include private process notes in this one document.
    process_notes     INTEGER NOT NULL DEFAULT 0 CHECK (process_notes IN (0, 1)),
    CHECK ((recipient_kind IS NULL) = (purpose IS NULL))
) STRICT;
INSERT INTO disclosure_rebuilt (audit_seq, document, client_id, names_included, printed)
    SELECT audit_seq, document, client_id, names_included, printed FROM disclosure;
DROP TABLE disclosure;
ALTER TABLE disclosure_rebuilt RENAME TO disclosure;

CREATE INDEX disclosure_client ON disclosure (client_id, audit_seq);
CREATE INDEX disclosure_access_request ON disclosure (access_request_id)
    WHERE access_request_id IS NOT NULL;

CREATE TRIGGER disclosure_no_update BEFORE UPDATE ON disclosure
BEGIN SELECT RAISE(ABORT, 'disclosures are append-only'); END;
CREATE TRIGGER disclosure_no_delete BEFORE DELETE ON disclosure
BEGIN SELECT RAISE(ABORT, 'disclosures are append-only'); END;

-- Private process notes (psychotherapy notes, 45 CFR 164.501): the therapist's own
-- notes of a session, one per client and appointment, apart from the session note and
-- out of every routine disclosure.
CREATE TABLE process_note (
    id                INTEGER PRIMARY KEY,
    appointment_id    INTEGER NOT NULL REFERENCES appointment (id),
    client_id         INTEGER NOT NULL REFERENCES client (id),
    body              TEXT    NOT NULL,
    created_at        TEXT    NOT NULL,
    updated_at        TEXT    NOT NULL,
    UNIQUE (appointment_id, client_id)
) STRICT;

CREATE INDEX process_note_client ON process_note (client_id);

-- The notice of privacy practices (45 CFR 164.520): the practice's text, and when each
-- client acknowledged receiving it (or the good-faith effort when they would not).
ALTER TABLE practice ADD COLUMN privacy_notice TEXT;
ALTER TABLE practice ADD COLUMN privacy_notice_revised_on TEXT;

CREATE TABLE privacy_acknowledgment (
    id                INTEGER PRIMARY KEY,
    client_id         INTEGER NOT NULL REFERENCES client (id),
    -- The notice's revision date the client was given.
    notice_revised_on TEXT    NOT NULL,
    acknowledged_on   TEXT    NOT NULL,
    -- 'signed', or 'declined' with the effort made in `note`.
    outcome           TEXT    NOT NULL CHECK (outcome IN ('signed', 'declined')),
    note              TEXT,
    created_at        TEXT    NOT NULL,
    CHECK (outcome = 'signed' OR note IS NOT NULL)
) STRICT;

CREATE INDEX privacy_acknowledgment_client ON privacy_acknowledgment (client_id,
    acknowledged_on);
