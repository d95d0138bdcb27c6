-- Pages that stay instant on a decade of records.
--
-- The Billing page's balances: the open invoices with something left to pay and the
-- clients who owe, kept by triggers in the same transaction as every line, payment,
-- reversal and void that moves a balance, so the page reads the largest balances owed
-- instead of ten years of paid invoices. Derived, like the search index: each balance is
-- computed from the invoice's own rows (`invoice_balance`), never entered.

-- An open invoice's balance: its lines less its payments that were not reversed.
CREATE VIEW invoice_balance AS
SELECT i.id AS invoice_id, i.client_id AS client_id, i.issued_on AS issued_on,
       coalesce((SELECT sum(l.amount_cents) FROM invoice_line AS l
                  WHERE l.invoice_id = i.id), 0)
     - coalesce((SELECT sum(p.amount_cents) FROM payment AS p
                  WHERE p.invoice_id = i.id
                    AND NOT EXISTS (SELECT 1 FROM payment_reversal AS r
                                     WHERE r.payment_id = p.id)), 0) AS balance_cents
FROM invoice AS i
WHERE i.status = 'open';

-- The open invoices owed, one row each while the balance is above zero.
CREATE TABLE invoice_owing (
    invoice_id     INTEGER PRIMARY KEY REFERENCES invoice (id),
    client_id      INTEGER NOT NULL REFERENCES client (id),
    issued_on      TEXT NOT NULL,
    balance_cents  INTEGER NOT NULL CHECK (balance_cents > 0)
) STRICT;
CREATE INDEX invoice_owing_client ON invoice_owing (client_id, issued_on);

INSERT INTO invoice_owing (invoice_id, client_id, issued_on, balance_cents)
SELECT invoice_id, client_id, issued_on, balance_cents FROM invoice_balance
WHERE balance_cents > 0;

-- Each client owing on invoices, with the sum and the oldest invoice owed: the page
-- reads the largest balances first through the index and stops after a page.
CREATE TABLE client_owing (
    client_id      INTEGER PRIMARY KEY REFERENCES client (id),
    balance_cents  INTEGER NOT NULL CHECK (balance_cents > 0),
    oldest_owed    TEXT NOT NULL
) STRICT;
CREATE INDEX client_owing_balance ON client_owing (balance_cents DESC, client_id);

INSERT INTO client_owing (client_id, balance_cents, oldest_owed)
SELECT client_id, sum(balance_cents), min(issued_on) FROM invoice_owing GROUP BY client_id;

-- `invoice_owing` rows are only inserted and deleted; each change recomputes its client.
CREATE TRIGGER client_owing_insert AFTER INSERT ON invoice_owing BEGIN
    DELETE FROM client_owing WHERE client_id = new.client_id;
    INSERT INTO client_owing (client_id, balance_cents, oldest_owed)
    SELECT client_id, sum(balance_cents), min(issued_on) FROM invoice_owing
    WHERE client_id = new.client_id GROUP BY client_id;
END;
CREATE TRIGGER client_owing_delete AFTER DELETE ON invoice_owing BEGIN
    DELETE FROM client_owing WHERE client_id = old.client_id;
    INSERT INTO client_owing (client_id, balance_cents, oldest_owed)
    SELECT client_id, sum(balance_cents), min(issued_on) FROM invoice_owing
    WHERE client_id = old.client_id GROUP BY client_id;
END;
CREATE TRIGGER invoice_owing_no_update BEFORE UPDATE ON invoice_owing
BEGIN SELECT RAISE(ABORT, 'invoice_owing rows are replaced, never updated'); END;

-- Each trigger recomputes the one invoice it touched from its rows.
CREATE TRIGGER invoice_owing_line_insert AFTER INSERT ON invoice_line BEGIN
    DELETE FROM invoice_owing WHERE invoice_id = new.invoice_id;
    INSERT INTO invoice_owing (invoice_id, client_id, issued_on, balance_cents)
    SELECT invoice_id, client_id, issued_on, balance_cents FROM invoice_balance
    WHERE invoice_id = new.invoice_id AND balance_cents > 0;
END;
CREATE TRIGGER invoice_owing_line_delete AFTER DELETE ON invoice_line BEGIN
    DELETE FROM invoice_owing WHERE invoice_id = old.invoice_id;
    INSERT INTO invoice_owing (invoice_id, client_id, issued_on, balance_cents)
    SELECT invoice_id, client_id, issued_on, balance_cents FROM invoice_balance
    WHERE invoice_id = old.invoice_id AND balance_cents > 0;
END;
CREATE TRIGGER invoice_owing_payment_insert AFTER INSERT ON payment BEGIN
    DELETE FROM invoice_owing WHERE invoice_id = new.invoice_id;
    INSERT INTO invoice_owing (invoice_id, client_id, issued_on, balance_cents)
    SELECT invoice_id, client_id, issued_on, balance_cents FROM invoice_balance
    WHERE invoice_id = new.invoice_id AND balance_cents > 0;
END;
CREATE TRIGGER invoice_owing_payment_update
AFTER UPDATE OF invoice_id, amount_cents ON payment BEGIN
    DELETE FROM invoice_owing WHERE invoice_id IN (old.invoice_id, new.invoice_id);
    INSERT INTO invoice_owing (invoice_id, client_id, issued_on, balance_cents)
    SELECT invoice_id, client_id, issued_on, balance_cents FROM invoice_balance
    WHERE invoice_id IN (old.invoice_id, new.invoice_id) AND balance_cents > 0;
END;
CREATE TRIGGER invoice_owing_reversal AFTER INSERT ON payment_reversal BEGIN
    DELETE FROM invoice_owing
     WHERE invoice_id = (SELECT invoice_id FROM payment WHERE id = new.payment_id);
    INSERT INTO invoice_owing (invoice_id, client_id, issued_on, balance_cents)
    SELECT invoice_id, client_id, issued_on, balance_cents FROM invoice_balance
    WHERE invoice_id = (SELECT invoice_id FROM payment WHERE id = new.payment_id)
      AND balance_cents > 0;
END;
CREATE TRIGGER invoice_owing_status AFTER UPDATE OF status, client_id, issued_on ON invoice
BEGIN
    DELETE FROM invoice_owing WHERE invoice_id = new.id;
    INSERT INTO invoice_owing (invoice_id, client_id, issued_on, balance_cents)
    SELECT invoice_id, client_id, issued_on, balance_cents FROM invoice_balance
    WHERE invoice_id = new.id AND balance_cents > 0;
END;
