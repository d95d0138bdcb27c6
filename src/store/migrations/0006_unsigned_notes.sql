-- Which attended clients still lack a signed note, kept on the attendee row so the home
-- dashboard's "notes to sign" reads a handful of rows instead of a decade of sessions.
ALTER TABLE appointment_attendee ADD COLUMN note_signed INTEGER NOT NULL DEFAULT 0
    CHECK (note_signed IN (0, 1));
UPDATE appointment_attendee SET note_signed = 1 WHERE EXISTS (
    SELECT 1 FROM session_note n
    WHERE n.appointment_id = appointment_attendee.appointment_id
      AND n.client_id = appointment_attendee.client_id
      AND n.signed_at IS NOT NULL);
CREATE INDEX attendee_note_unsigned ON appointment_attendee (appointment_id)
    WHERE note_signed = 0 AND attendance = 'attended';
