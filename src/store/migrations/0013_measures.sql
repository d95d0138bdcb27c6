-- Outcome measures (PHQ-9, GAD-7, PCL-5). Answers are one character per item, the digit
-- or '-' for unanswered; the total (NULL while incomplete) and the PHQ-9 item 9 flag are
-- the core's score of them, stored so that Home and the flags are found through an index.
-- A questionnaire is never edited: one entered in error is struck out with a reason.
CREATE TABLE measure (
    id              INTEGER PRIMARY KEY,
    client_id       INTEGER NOT NULL REFERENCES client (id),
    appointment_id  INTEGER REFERENCES appointment (id),
    instrument      TEXT NOT NULL CHECK (instrument IN ('phq9', 'gad7', 'pcl5')),
    taken_on        TEXT NOT NULL,
    answers         TEXT NOT NULL CHECK (length(answers) BETWEEN 7 AND 20),
    difficulty      INTEGER CHECK (difficulty BETWEEN 0 AND 3),
    total           INTEGER CHECK (total BETWEEN 0 AND 80),
    safety_flag     INTEGER NOT NULL CHECK (safety_flag IN (0, 1)),
    source          TEXT NOT NULL CHECK (source IN ('paper', 'self_report')),
    struck_at       TEXT,
    strike_reason   TEXT,
    created_at      TEXT NOT NULL,
    CHECK ((struck_at IS NULL) = (strike_reason IS NULL))
) STRICT;
CREATE INDEX measure_client ON measure (client_id, taken_on);
-- Open safety flags (Home) are few: a partial index keeps finding them instant.
CREATE INDEX measure_flag ON measure (taken_on) WHERE safety_flag = 1;
CREATE TRIGGER measure_answers_fixed BEFORE UPDATE OF client_id, appointment_id, instrument,
    taken_on, answers, difficulty, total, safety_flag, source, created_at ON measure
BEGIN
    SELECT RAISE(ABORT, 'a recorded questionnaire is never edited');
END;

-- The safety assessment a positive PHQ-9 item 9 needs before a later KAP note is signed.
CREATE TABLE safety_assessment (
    id           INTEGER PRIMARY KEY,
    client_id    INTEGER NOT NULL REFERENCES client (id),
    measure_id   INTEGER NOT NULL UNIQUE REFERENCES measure (id),
    assessed_at  TEXT NOT NULL,
    risk_level   TEXT NOT NULL CHECK (risk_level IN ('low', 'moderate', 'high')),
    plan         TEXT NOT NULL,
    consulted    TEXT NOT NULL,
    created_at   TEXT NOT NULL
) STRICT;
CREATE INDEX safety_assessment_client ON safety_assessment (client_id);

-- The practice's PCL-5 cut-point (NULL is the default, 33; the published range is 31-33).
ALTER TABLE practice ADD COLUMN pcl5_cut_point INTEGER
    CHECK (pcl5_cut_point BETWEEN 31 AND 33);

-- How many KAP sessions the client's course plans (NULL is the default, 6).
ALTER TABLE client ADD COLUMN kap_sessions_planned INTEGER
    CHECK (kap_sessions_planned BETWEEN 1 AND 50);
