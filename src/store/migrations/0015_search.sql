-- Global search: one full-text index over what a therapist looks for, inside the
-- encrypted database. Triggers keep it in step, so it changes in the same transaction
-- as the record it indexes and a crash can never leave it stale.
--
-- Each row's rowid says what it indexes: the kind times 2^40, plus 2^40 - 1 minus the
-- record's id, so within a kind the newest record has the smallest rowid. A search asks
-- for one kind with a rowid range in rowid order (FTS5 reads its lists forward lazily,
-- and would read a whole list to go backwards), newest first, and stops after the few it
-- shows, so its cost does not grow with the number of matches.
--   1 client (body: email, phone, the phone's digits, and the notes about the client)
--   2 session note (body: the note's text fields)
--   3 amendment (body: its text)
--   4 intake (body: its notes)
--   5 prescriber (body: credentials, NPI, practice, phone and its digits, email)
--   6 invoice (body: its number)
-- `who` is the client's legal and preferred names (a prescriber's name), so a search
-- for "ana dog" finds Ana's note about the dog.
CREATE VIRTUAL TABLE search_text USING fts5(
    who,
    body,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);

-- The index's words, for turning a prefix into the whole words it starts (FTS5 reads a
-- prefix beyond its prefix index whole, but a list of whole words lazily).
CREATE VIRTUAL TABLE search_vocab USING fts5vocab(search_text, 'row');

-- A client's names, as the index holds them.
CREATE VIEW search_client_who AS
SELECT id, legal_name || ' ' || coalesce(preferred_name, '') AS who FROM client;

-- The text fields of a note's JSON body (not its tags, times or numbers).
CREATE VIEW search_note_text AS
SELECT n.id AS id,
       n.client_id AS client_id,
       (SELECT group_concat(t.value, char(10)) FROM json_tree(n.body) AS t
         WHERE t.type = 'text'
           AND t.key IN ('text', 'what_came_up', 'themes', 'commitments', 'intention',
                         'observations', 'integration_notes', 'hold_reason', 'dose_reason',
                         'health_changes', 'other', 'action_taken')) AS body
FROM session_note AS n;

CREATE VIEW search_client_body AS
SELECT id,
       coalesce(email, '') || ' ' || coalesce(phone, '') || ' ' ||
       replace(replace(replace(replace(replace(replace(coalesce(phone, ''),
           ' ', ''), '-', ''), '(', ''), ')', ''), '.', ''), '+', '') || char(10) ||
       notes AS body
FROM client;

CREATE VIEW search_prescriber_body AS
SELECT id,
       credentials || ' ' || npi || ' ' || coalesce(practice, '') || ' ' ||
       coalesce(phone, '') || ' ' ||
       replace(replace(replace(replace(replace(replace(coalesce(phone, ''),
           ' ', ''), '-', ''), '(', ''), ')', ''), '.', ''), '+', '') || ' ' ||
       coalesce(email, '') AS body
FROM prescriber;

-- Clients.
CREATE TRIGGER search_client_insert AFTER INSERT ON client BEGIN
    INSERT INTO search_text (rowid, who, body)
    SELECT 1 * 1099511627776 + 1099511627775 - new.id, w.who, b.body
    FROM search_client_who AS w, search_client_body AS b
    WHERE w.id = new.id AND b.id = new.id;
END;
CREATE TRIGGER search_client_update
AFTER UPDATE OF legal_name, preferred_name, email, phone, notes ON client BEGIN
    UPDATE search_text
       SET who = (SELECT who FROM search_client_who WHERE id = new.id),
           body = (SELECT body FROM search_client_body WHERE id = new.id)
     WHERE rowid = 1 * 1099511627776 + 1099511627775 - new.id;
END;
-- A renamed client's notes, amendments, intakes and invoices follow the new name.
CREATE TRIGGER search_client_rename AFTER UPDATE OF legal_name, preferred_name ON client
WHEN old.legal_name IS NOT new.legal_name OR old.preferred_name IS NOT new.preferred_name
BEGIN
    UPDATE search_text
       SET who = (SELECT who FROM search_client_who WHERE id = new.id)
     WHERE rowid IN (
        SELECT 2 * 1099511627776 + 1099511627775 - id FROM session_note WHERE client_id = new.id
        UNION ALL
        SELECT 3 * 1099511627776 + 1099511627775 - a.id FROM amendment AS a
          JOIN session_note AS n ON n.id = a.note_id WHERE n.client_id = new.id
        UNION ALL
        SELECT 4 * 1099511627776 + 1099511627775 - id FROM intake WHERE client_id = new.id
        UNION ALL
        SELECT 6 * 1099511627776 + 1099511627775 - id FROM invoice WHERE client_id = new.id);
END;
CREATE TRIGGER search_client_delete AFTER DELETE ON client BEGIN
    DELETE FROM search_text WHERE rowid = 1 * 1099511627776 + 1099511627775 - old.id;
END;

-- Session notes (never deleted; a draft's body changes until it is signed).
CREATE TRIGGER search_note_insert AFTER INSERT ON session_note BEGIN
    INSERT INTO search_text (rowid, who, body)
    SELECT 2 * 1099511627776 + 1099511627775 - new.id,
           (SELECT who FROM search_client_who WHERE id = new.client_id),
           coalesce(t.body, '')
    FROM search_note_text AS t WHERE t.id = new.id;
END;
CREATE TRIGGER search_note_update AFTER UPDATE OF body ON session_note BEGIN
    UPDATE search_text
       SET body = coalesce((SELECT body FROM search_note_text WHERE id = new.id), '')
     WHERE rowid = 2 * 1099511627776 + 1099511627775 - new.id;
END;

-- Amendments (final once written).
CREATE TRIGGER search_amendment_insert AFTER INSERT ON amendment BEGIN
    INSERT INTO search_text (rowid, who, body)
    SELECT 3 * 1099511627776 + 1099511627775 - new.id, w.who, new.text
    FROM session_note AS n JOIN search_client_who AS w ON w.id = n.client_id
    WHERE n.id = new.note_id;
END;

-- Intakes.
CREATE TRIGGER search_intake_insert AFTER INSERT ON intake BEGIN
    INSERT INTO search_text (rowid, who, body)
    SELECT 4 * 1099511627776 + 1099511627775 - new.id, w.who, new.notes
    FROM search_client_who AS w WHERE w.id = new.client_id;
END;
CREATE TRIGGER search_intake_update AFTER UPDATE OF notes ON intake BEGIN
    UPDATE search_text SET body = new.notes WHERE rowid = 4 * 1099511627776 + 1099511627775 - new.id;
END;
CREATE TRIGGER search_intake_delete AFTER DELETE ON intake BEGIN
    DELETE FROM search_text WHERE rowid = 4 * 1099511627776 + 1099511627775 - old.id;
END;

-- Prescribers.
CREATE TRIGGER search_prescriber_insert AFTER INSERT ON prescriber BEGIN
    INSERT INTO search_text (rowid, who, body)
    SELECT 5 * 1099511627776 + 1099511627775 - new.id, new.name, b.body
    FROM search_prescriber_body AS b WHERE b.id = new.id;
END;
CREATE TRIGGER search_prescriber_update AFTER UPDATE ON prescriber BEGIN
    UPDATE search_text
       SET who = new.name,
           body = (SELECT body FROM search_prescriber_body WHERE id = new.id)
     WHERE rowid = 5 * 1099511627776 + 1099511627775 - new.id;
END;

-- Invoices (never deleted; number and client never change).
CREATE TRIGGER search_invoice_insert AFTER INSERT ON invoice BEGIN
    INSERT INTO search_text (rowid, who, body)
    SELECT 6 * 1099511627776 + 1099511627775 - new.id, w.who, printf('%d-%04d', new.year, new.seq)
    FROM search_client_who AS w WHERE w.id = new.client_id;
END;

-- Everything recorded before this migration.
INSERT INTO search_text (rowid, who, body)
SELECT 1 * 1099511627776 + 1099511627775 - w.id, w.who, b.body
FROM search_client_who AS w JOIN search_client_body AS b ON b.id = w.id;
INSERT INTO search_text (rowid, who, body)
SELECT 2 * 1099511627776 + 1099511627775 - t.id, w.who, coalesce(t.body, '')
FROM search_note_text AS t JOIN search_client_who AS w ON w.id = t.client_id;
INSERT INTO search_text (rowid, who, body)
SELECT 3 * 1099511627776 + 1099511627775 - a.id, w.who, a.text
FROM amendment AS a JOIN session_note AS n ON n.id = a.note_id
JOIN search_client_who AS w ON w.id = n.client_id;
INSERT INTO search_text (rowid, who, body)
SELECT 4 * 1099511627776 + 1099511627775 - i.id, w.who, i.notes
FROM intake AS i JOIN search_client_who AS w ON w.id = i.client_id;
INSERT INTO search_text (rowid, who, body)
SELECT 5 * 1099511627776 + 1099511627775 - p.id, p.name, b.body
FROM prescriber AS p JOIN search_prescriber_body AS b ON b.id = p.id;
INSERT INTO search_text (rowid, who, body)
SELECT 6 * 1099511627776 + 1099511627775 - v.id, w.who, printf('%d-%04d', v.year, v.seq)
FROM invoice AS v JOIN search_client_who AS w ON w.id = v.client_id;
