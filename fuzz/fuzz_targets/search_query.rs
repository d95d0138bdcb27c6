//! Search text through `clients::fts_query` into FTS5 itself, on a table built like the
//! practice's (`unicode61 remove_diacritics 2`, prefixes 1 to 3). Whatever a user types,
//! the query is valid FTS5: any SQLite error is a finding, as it would be an
//! `internal` error in the app.

#![no_main]

use kap_practice::clients;
use libfuzzer_sys::fuzz_target;
use rusqlite::Connection;
use std::cell::RefCell;

thread_local! {
    static DB: RefCell<Option<Connection>> = const { RefCell::new(None) };
}

fn open() -> Connection {
    let conn = Connection::open_in_memory().expect("an in-memory database");
    conn.execute_batch(
        "CREATE VIRTUAL TABLE client_search USING fts5(
            legal_name, preferred_name,
            tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3');
         INSERT INTO client_search (legal_name, preferred_name) VALUES
            ('Ana Fixture', NULL), ('Zoë Ángel-Ñúñez', 'Zo'), ('李小龍', NULL),
            ('Robert''); DROP TABLE client;--', 'Bobby'), ('NEAR(\"a\" OR b*) ^c -d', NULL);",
    )
    .expect("the search table");
    conn
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = clients::sort_key(text);
    let Some(query) = clients::fts_query(text) else {
        return;
    };
    DB.with(|db| {
        let mut db = db.borrow_mut();
        let conn = db.get_or_insert_with(open);
        let result = conn
            .prepare_cached("SELECT count(*) FROM client_search WHERE client_search MATCH ?1")
            .and_then(|mut s| s.query_row([&query], |r| r.get::<_, i64>(0)));
        if let Err(e) = result {
            panic!("FTS5 refused the query built from user text: {e}");
        }
    });
});
