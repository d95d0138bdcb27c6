-- Tamper evidence: each audit row written from now on carries a hash of the content of
-- the row it records (NULL for views, exports and actions on things outside the
-- database) and where the action came from (window, cli, automatic_backup). Rows written
-- before this migration keep NULL in both and verify as before; from this migration's
-- own audit row on, the chain hash covers both columns.
ALTER TABLE audit_log ADD COLUMN content_hash TEXT;
ALTER TABLE audit_log ADD COLUMN source TEXT;
