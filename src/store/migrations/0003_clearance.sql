-- Prescribers, intakes, contraindication screenings, prescriptions and consents: the
-- records the clearance rule reads. Nothing here is ever deleted.

CREATE TABLE prescriber (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    credentials  TEXT NOT NULL CHECK (credentials IN ('MD', 'DO', 'NP', 'PA')),
    npi          TEXT NOT NULL,
    phone        TEXT,
    email        TEXT,
    practice     TEXT,
    archived     INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
) STRICT;

CREATE TABLE intake (
    id                INTEGER PRIMARY KEY,
    client_id         INTEGER NOT NULL REFERENCES client (id),
    kind              TEXT NOT NULL CHECK (kind IN ('mental_health', 'medical')),
    date              TEXT NOT NULL,
    clinician         TEXT NOT NULL,
    prescriber_id     INTEGER REFERENCES prescriber (id),
    duration_minutes  INTEGER NOT NULL,
    outcome           TEXT NOT NULL CHECK (outcome IN ('cleared', 'not_cleared', 'pending')),
    notes             TEXT NOT NULL DEFAULT '',
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    CHECK (kind = 'mental_health' OR prescriber_id IS NOT NULL)
) STRICT;
CREATE INDEX intake_client ON intake (client_id, kind, date);
-- The home screen's "clearances expiring soon" starts from recent cleared intakes.
CREATE INDEX intake_date ON intake (date, outcome);

-- The checklist is data: the eight contraindications of the practice are on; others
-- the practice may switch on. Labels are copied into each answer, so renaming or
-- switching off an item never changes a screening already recorded.
CREATE TABLE contraindication (
    id        INTEGER PRIMARY KEY,
    code      TEXT NOT NULL UNIQUE,
    label     TEXT NOT NULL,
    enabled   INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    position  INTEGER NOT NULL
) STRICT;

INSERT INTO contraindication (code, label, enabled, position) VALUES
    ('active_substance_abuse', 'Ongoing active substance abuse', 1, 10),
    ('pregnancy', 'Pregnancy', 1, 20),
    ('nursing', 'Nursing (breastfeeding)', 1, 30),
    ('psychosis', 'Psychosis', 1, 40),
    ('hyperthyroidism', 'Hyperthyroidism', 1, 50),
    ('acute_mania', 'Acute mania', 1, 60),
    ('recent_tbi', 'Recent traumatic brain injury', 1, 70),
    ('cardiovascular', 'Cardiovascular problems', 1, 80),
    ('uncontrolled_hypertension', 'Uncontrolled hypertension', 0, 90),
    ('glaucoma', 'Glaucoma or raised eye pressure', 0, 100),
    ('aneurysm_or_bleed', 'History of aneurysm or intracranial bleeding', 0, 110),
    ('liver_disease', 'Liver disease', 0, 120),
    ('interstitial_cystitis', 'Interstitial cystitis', 0, 130),
    ('ketamine_allergy', 'Known ketamine allergy', 0, 140),
    ('suicidal_ideation', 'Active suicidal ideation', 0, 150),
    ('interacting_medications', 'Interacting medications (e.g. benzodiazepines, lamotrigine)', 0, 160);

-- A screening is recorded once and never edited; a later screening of the same medical
-- intake supersedes it.
CREATE TABLE screening (
    id           INTEGER PRIMARY KEY,
    intake_id    INTEGER NOT NULL REFERENCES intake (id),
    screened_on  TEXT NOT NULL,
    created_at   TEXT NOT NULL
) STRICT;
CREATE INDEX screening_intake ON screening (intake_id, id);

CREATE TABLE screening_answer (
    screening_id             INTEGER NOT NULL REFERENCES screening (id),
    contraindication_id      INTEGER NOT NULL REFERENCES contraindication (id),
    label                    TEXT NOT NULL,
    answer                   TEXT NOT NULL CHECK (answer IN ('yes', 'no', 'unknown')),
    note                     TEXT,
    override_rationale       TEXT,
    override_prescriber_id   INTEGER REFERENCES prescriber (id),
    override_date            TEXT,
    PRIMARY KEY (screening_id, contraindication_id),
    CHECK ((override_rationale IS NULL) = (override_prescriber_id IS NULL)
       AND (override_rationale IS NULL) = (override_date IS NULL)),
    CHECK (override_rationale IS NULL OR answer <> 'no')
) STRICT;

CREATE TRIGGER screening_no_update BEFORE UPDATE ON screening
BEGIN SELECT RAISE(ABORT, 'screenings are final'); END;
CREATE TRIGGER screening_answer_no_update BEFORE UPDATE ON screening_answer
BEGIN SELECT RAISE(ABORT, 'screenings are final'); END;

CREATE TABLE prescription (
    id             INTEGER PRIMARY KEY,
    client_id      INTEGER NOT NULL REFERENCES client (id),
    prescriber_id  INTEGER NOT NULL REFERENCES prescriber (id),
    date           TEXT NOT NULL,
    formulation    TEXT NOT NULL CHECK (formulation IN ('sublingual_lozenge', 'troche', 'rapid_dissolve_tablet')),
    strength_mg    INTEGER NOT NULL CHECK (strength_mg > 0),
    quantity       INTEGER NOT NULL CHECK (quantity > 0),
    directions     TEXT NOT NULL,
    pharmacy       TEXT NOT NULL,
    cost_cents     INTEGER NOT NULL CHECK (cost_cents >= 0),
    created_at     TEXT NOT NULL
) STRICT;
CREATE INDEX prescription_client ON prescription (client_id, date);

CREATE TABLE consent (
    id            INTEGER PRIMARY KEY,
    client_id     INTEGER NOT NULL REFERENCES client (id),
    form_version  INTEGER NOT NULL,
    signed_on     TEXT NOT NULL,
    typed_name    TEXT NOT NULL,
    witness       TEXT NOT NULL,
    created_at    TEXT NOT NULL
) STRICT;
CREATE INDEX consent_client ON consent (client_id, signed_on);
