-- Billing corrections and who bills what.
--
-- A payment recorded by mistake is reversed, never deleted: the payment stays and a
-- reversal row, with its date and reason, references it. A payment is reversed at most
-- once, and a reversal is final.
CREATE TABLE payment_reversal (
    id           INTEGER PRIMARY KEY,
    payment_id   INTEGER NOT NULL UNIQUE REFERENCES payment (id),
    reversed_on  TEXT NOT NULL,
    reason       TEXT NOT NULL CHECK (length(reason) > 0),
    created_at   TEXT NOT NULL
) STRICT;
CREATE TRIGGER payment_reversal_no_delete BEFORE DELETE ON payment_reversal
BEGIN SELECT RAISE(ABORT, 'payment reversals are never deleted'); END;
CREATE TRIGGER payment_reversal_is_final BEFORE UPDATE ON payment_reversal
BEGIN SELECT RAISE(ABORT, 'payment reversals are final'); END;

-- Which of the prescriber's services the practice bills itself (a collaborating prescriber
-- may bill the medical intake and the prescription directly). Existing practices keep
-- billing both, as they did.
ALTER TABLE practice ADD COLUMN bills_medical_intake INTEGER NOT NULL DEFAULT 1
    CHECK (bills_medical_intake IN (0, 1));
ALTER TABLE practice ADD COLUMN bills_prescriptions INTEGER NOT NULL DEFAULT 1
    CHECK (bills_prescriptions IN (0, 1));

-- An intake recorded without a completed appointment is charged from its record.
ALTER TABLE charge ADD COLUMN intake_id INTEGER REFERENCES intake (id);
CREATE UNIQUE INDEX charge_intake ON charge (intake_id) WHERE intake_id IS NOT NULL;
