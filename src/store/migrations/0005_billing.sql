-- Billing: charges, invoices numbered without gaps, payments, the CPT code per service,
-- and each client's diagnosis codes and insurance member ID for superbills.

CREATE TABLE service_code (
    service  TEXT PRIMARY KEY,
    cpt      TEXT
) STRICT;
-- The prescriber's services and the drug are never on the therapist's superbill, so the
-- medical intake and the prescription have no code.
INSERT INTO service_code (service, cpt) VALUES
    ('mental_health_intake', '90791'),
    ('medical_intake', NULL),
    ('prescription', NULL),
    ('kap_session', '90837'),
    ('group_session', '90853'),
    ('integration_session', '90837'),
    ('psychotherapy', '90837');

CREATE TABLE billing_profile (
    client_id        INTEGER PRIMARY KEY REFERENCES client (id),
    diagnosis_codes  TEXT NOT NULL DEFAULT '[]',
    member_id        TEXT,
    updated_at       TEXT NOT NULL
) STRICT;

CREATE TABLE invoice (
    id           INTEGER PRIMARY KEY,
    year         INTEGER NOT NULL,
    seq          INTEGER NOT NULL,
    client_id    INTEGER NOT NULL REFERENCES client (id),
    issued_on    TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('open', 'void')),
    void_reason  TEXT,
    created_at   TEXT NOT NULL,
    UNIQUE (year, seq),
    CHECK (status <> 'void' OR void_reason IS NOT NULL)
) STRICT;
CREATE INDEX invoice_client ON invoice (client_id, year, seq);
CREATE TRIGGER invoice_no_delete BEFORE DELETE ON invoice
BEGIN SELECT RAISE(ABORT, 'invoices are voided, never deleted'); END;

CREATE TABLE charge (
    id                INTEGER PRIMARY KEY,
    client_id         INTEGER NOT NULL REFERENCES client (id),
    appointment_id    INTEGER REFERENCES appointment (id),
    prescription_id   INTEGER REFERENCES prescription (id),
    service           TEXT NOT NULL,
    service_date      TEXT NOT NULL,
    description       TEXT NOT NULL,
    -- NULL while the fee schedule has no price for the service.
    usual_cents       INTEGER CHECK (usual_cents IS NULL OR usual_cents >= 0),
    -- NULL while the amount is still to agree (pay what you can, or no price yet).
    amount_cents      INTEGER CHECK (amount_cents IS NULL OR amount_cents >= 0),
    place_of_service  TEXT,
    invoice_id        INTEGER REFERENCES invoice (id),
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    UNIQUE (appointment_id, client_id),
    UNIQUE (prescription_id)
) STRICT;
CREATE INDEX charge_client ON charge (client_id, service_date);
CREATE INDEX charge_invoice ON charge (invoice_id);

-- What an invoice said when it was issued: its lines are a snapshot, so voiding it (which
-- releases the charges to be invoiced again) leaves the void invoice readable as issued.
CREATE TABLE invoice_line (
    invoice_id    INTEGER NOT NULL REFERENCES invoice (id),
    charge_id     INTEGER NOT NULL REFERENCES charge (id),
    usual_cents   INTEGER NOT NULL,
    amount_cents  INTEGER NOT NULL,
    PRIMARY KEY (invoice_id, charge_id)
) STRICT;
CREATE TRIGGER invoice_line_is_final BEFORE UPDATE ON invoice_line
BEGIN SELECT RAISE(ABORT, 'invoice lines are final'); END;

CREATE TABLE payment (
    id            INTEGER PRIMARY KEY,
    invoice_id    INTEGER NOT NULL REFERENCES invoice (id),
    client_id     INTEGER NOT NULL REFERENCES client (id),
    paid_on       TEXT NOT NULL,
    method        TEXT NOT NULL CHECK (method IN ('cash', 'card', 'check', 'zelle', 'venmo', 'other')),
    amount_cents  INTEGER NOT NULL CHECK (amount_cents > 0),
    created_at    TEXT NOT NULL
) STRICT;
CREATE INDEX payment_invoice ON payment (invoice_id);
CREATE INDEX payment_date ON payment (paid_on);
CREATE TRIGGER payment_no_delete BEFORE DELETE ON payment
BEGIN SELECT RAISE(ABORT, 'payments are never deleted'); END;
