-- Form drafts: what the therapist has typed into a form and not yet saved, kept in the
-- encrypted database (never in the webview's own storage) so that a lock, a navigation or
-- a crash loses nothing. One draft per form and target; `target` names the record the form
-- is for by ids only (e.g. "appointment:12:client:3"), never by anything a user typed.
CREATE TABLE form_draft (
    id         INTEGER PRIMARY KEY,
    form       TEXT NOT NULL,
    target     TEXT NOT NULL,
    client_id  INTEGER REFERENCES client(id),
    body       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (form, target)
) STRICT;
CREATE INDEX form_draft_client ON form_draft (client_id) WHERE client_id IS NOT NULL;
