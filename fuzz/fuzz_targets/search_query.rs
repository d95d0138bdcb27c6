//! Search text through `clients::fts_query` (the Clients page) and through global
//! search's `search::terms` and `search::expression` into FTS5 itself, on tables built
//! like the practice's (`unicode61 remove_diacritics 2`; the client list's prefixes 1 to
//! 3, global search's two columns and prefixes 2 and 3, read by rowid range in rowid
//! order, newest first). Whatever a user types, each query is valid FTS5 and a day in words parses or
//! not without panicking: any SQLite error is a finding, as it would be an `internal`
//! error in the app.

#![no_main]

use kap_practice::clients;
use kap_practice::search::{self, HitKind};
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
            ('Robert''); DROP TABLE client;--', 'Bobby'), ('NEAR(\"a\" OR b*) ^c -d', NULL);
         CREATE VIRTUAL TABLE search_text USING fts5(
            who, body, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');
         INSERT INTO search_text (rowid, who, body) VALUES
            (1099511627777, 'Ana Fixture', 'ana@example.org 212 555 0142 2125550142'),
            (2199023255553, 'Zoë Ángel-Ñúñez Zo', 'She spoke of the dog; NEAR(\"a\" OR b*) ^c -d'),
            (2199023255554, '李小龍', '夢 🐕 \u{202e}gnirts\u{202c}'),
            (6597069766657, 'Ana Fixture', '2026-0042');",
    )
    .expect("the search table");
    conn
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = clients::sort_key(text);
    if let Some(query) = clients::fts_query(text) {
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
    }
    let terms = search::terms(text);
    if !terms.is_empty() {
        DB.with(|db| {
            let mut db = db.borrow_mut();
            let conn = db.get_or_insert_with(open);
            for (kind, lo) in [(HitKind::Client, 1i64 << 40), (HitKind::Note, 2i64 << 40)] {
                let expr = search::expression(kind, &terms, true);
                let result = conn
                    .prepare_cached(
                        "SELECT rowid, snippet(search_text, 1, char(2), char(3), '…', 12)
                         FROM search_text
                         WHERE search_text MATCH ?1 AND rowid >= ?2 AND rowid < ?3
                         ORDER BY rowid LIMIT 6",
                    )
                    .and_then(|mut s| {
                        s.query_map(rusqlite::params![expr, lo, lo + (1i64 << 40)], |r| {
                            r.get::<_, i64>(0)
                        })?
                        .collect::<rusqlite::Result<Vec<_>>>()
                    });
                if let Err(e) = result {
                    panic!("FTS5 refused the global search built from user text: {e}");
                }
            }
        });
    }
    if let Some(day) = chrono::NaiveDate::from_ymd_opt(2026, 12, 2) {
        let _ = search::dates::parse_day(text, day);
    }
});
