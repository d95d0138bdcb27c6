//! The bounded client list against the plain definition: every match, sorted by name,
//! counted in full.

#![allow(clippy::unwrap_used)]

use super::*;
use crate::key::DataKey;
use crate::store::Store;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

/// What the list must show: all matching ids in name order, by the unbounded query.
fn reference(conn: &Connection, q: &ClientQuery) -> Vec<i64> {
    let fts = q.text.as_deref().and_then(fts_query);
    let (status_sql, status_val) = match q.status {
        Some(s) => ("c.status = ?1", s.as_str()),
        None => ("c.status <> ?1", ClientStatus::Archived.as_str()),
    };
    let (from, match_sql) = match &fts {
        Some(_) => (
            "client_search s JOIN client c ON c.id = s.rowid",
            " AND client_search MATCH ?2",
        ),
        None => ("client c", " AND ?2 IS NULL"),
    };
    let mut stmt = conn
        .prepare(&format!(
            "SELECT c.id FROM {from} WHERE {status_sql}{match_sql} ORDER BY c.sort_name, c.id"
        ))
        .unwrap();
    stmt.query_map(params![status_val, fts], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<Vec<i64>>>()
        .unwrap()
}

#[test]
fn the_bounded_list_shows_what_the_full_sort_would() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::create(
        &dir.path().join("practice.db"),
        &DataKey::generate().unwrap(),
    )
    .unwrap();
    let firsts = [
        "Ana", "Álvaro", "Bea", "Zoë", "Ñuño", "Mark", "anders", "Chloé",
    ];
    let lasts = [
        "Abernathy",
        "Quiñones",
        "Zapata",
        "Lee",
        "Ødegaard",
        "Ávila",
    ];
    store
        .write(|w| {
            for i in 0..(3 * COUNT_CAP as usize) {
                let mut c = ClientInput::named(&format!(
                    "{} {} {i}",
                    firsts[i * 7 % firsts.len()],
                    lasts[i * 5 % lasts.len()]
                ));
                if i % 4 == 0 {
                    c.preferred_name = Some(format!("Pref{}", i % 9));
                }
                c.status = match i % 6 {
                    0 => ClientStatus::Active,
                    1 => ClientStatus::Paused,
                    _ => ClientStatus::Inquiry,
                };
                let id = create(w, c, today())?;
                if i % 11 == 0 {
                    archive(w, id)?;
                }
            }
            Ok(())
        })
        .unwrap();
    let texts = [
        None, // everyone
        Some("a"),
        Some("z"),
        Some("ana"),
        Some("alv"),
        Some("ñ"),
        Some("o"),
        Some("pref"),
        Some("zoe lee"),
        Some("nobody"),
    ];
    let statuses = [
        None,
        Some(ClientStatus::Active),
        Some(ClientStatus::Inquiry),
        Some(ClientStatus::Archived),
    ];
    let mut dense = false;
    store
        .read(|c| {
            for text in texts {
                for status in statuses {
                    for (offset, limit) in [(0, 50), (50, 50), (150, 50), (0, 8), (280, 200)] {
                        let q = ClientQuery {
                            text: text.map(Into::into),
                            status,
                            offset,
                            limit,
                        };
                        let all = reference(c, &q);
                        let page = list(c, &q, today())?;
                        let want: Vec<i64> = all
                            .iter()
                            .skip(offset as usize)
                            .take(limit as usize)
                            .copied()
                            .collect();
                        let got: Vec<i64> = page.items.iter().map(|s| s.id).collect();
                        assert_eq!(got, want, "{q:?}");
                        let counted = (COUNT_CAP.max(offset + limit)) as usize;
                        if all.len() > counted {
                            dense |= text.is_some();
                            assert!(page.more, "{q:?}");
                            assert_eq!(page.total as usize, counted, "{q:?}");
                        } else {
                            assert!(!page.more, "{q:?}");
                            assert_eq!(page.total as usize, all.len(), "{q:?}");
                        }
                    }
                }
            }
            Ok(())
        })
        .unwrap();
    assert!(dense, "some searches matched more than the count's cap");
}
