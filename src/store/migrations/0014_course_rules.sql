-- The practice's schedule of questionnaires and its blood-pressure hold threshold (NULL
-- is the default: 7 days before a session, PCL-5 at every 4th KAP session, 140/90).
ALTER TABLE practice ADD COLUMN measures_before_days INTEGER
    CHECK (measures_before_days BETWEEN 1 AND 30);
ALTER TABLE practice ADD COLUMN pcl5_every_kap INTEGER
    CHECK (pcl5_every_kap BETWEEN 1 AND 12);
ALTER TABLE practice ADD COLUMN bp_hold_systolic INTEGER
    CHECK (bp_hold_systolic BETWEEN 100 AND 220);
ALTER TABLE practice ADD COLUMN bp_hold_diastolic INTEGER
    CHECK (bp_hold_diastolic BETWEEN 60 AND 130);

-- Why a KAP session was booked although a course rule warned (a third KAP session within
-- 7 days, or no integration session since the previous one); NULL when none warned.
ALTER TABLE appointment ADD COLUMN course_reason TEXT;

-- A new kind of document leaves the app: the KAP course summary for the prescriber. The
-- disclosure table's list of documents is a CHECK, so the table is rebuilt with the same
-- rows (append-only again once rebuilt; dropping a table fires no DELETE trigger).
CREATE TABLE disclosure_rebuilt (
    audit_seq       INTEGER PRIMARY KEY REFERENCES audit_log (seq),
    document        TEXT    NOT NULL CHECK (document IN ('invoice', 'consent', 'superbill',
                        'estimate', 'client_record', 'prescriber_summary', 'client_export',
                        'practice_export', 'schedule', 'backup')),
    client_id       INTEGER REFERENCES client (id) DEFERRABLE INITIALLY DEFERRED,
    names_included  INTEGER NOT NULL CHECK (names_included IN (0, 1)),
    printed         INTEGER NOT NULL DEFAULT 0 CHECK (printed IN (0, 1))
) STRICT;
INSERT INTO disclosure_rebuilt (audit_seq, document, client_id, names_included, printed)
    SELECT audit_seq, document, client_id, names_included, printed FROM disclosure;
DROP TABLE disclosure;
ALTER TABLE disclosure_rebuilt RENAME TO disclosure;

CREATE INDEX disclosure_client ON disclosure (client_id, audit_seq);

CREATE TRIGGER disclosure_no_update BEFORE UPDATE ON disclosure
BEGIN SELECT RAISE(ABORT, 'disclosures are append-only'); END;
CREATE TRIGGER disclosure_no_delete BEFORE DELETE ON disclosure
BEGIN SELECT RAISE(ABORT, 'disclosures are append-only'); END;
