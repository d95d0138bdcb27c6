-- Full-text search over client names: case- and accent-insensitive, prefix-matched.
-- An external-content index kept in step by triggers.
CREATE VIRTUAL TABLE client_search USING fts5(
    legal_name,
    preferred_name,
    content = 'client',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3'
);

CREATE TRIGGER client_search_insert AFTER INSERT ON client BEGIN
    INSERT INTO client_search (rowid, legal_name, preferred_name)
    VALUES (new.id, new.legal_name, new.preferred_name);
END;
CREATE TRIGGER client_search_delete AFTER DELETE ON client BEGIN
    INSERT INTO client_search (client_search, rowid, legal_name, preferred_name)
    VALUES ('delete', old.id, old.legal_name, old.preferred_name);
END;
CREATE TRIGGER client_search_update AFTER UPDATE OF legal_name, preferred_name ON client BEGIN
    INSERT INTO client_search (client_search, rowid, legal_name, preferred_name)
    VALUES ('delete', old.id, old.legal_name, old.preferred_name);
    INSERT INTO client_search (rowid, legal_name, preferred_name)
    VALUES (new.id, new.legal_name, new.preferred_name);
END;

-- Clients recorded before this migration become searchable.
INSERT INTO client_search (client_search) VALUES ('rebuild');
