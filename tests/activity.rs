//! Settings → Activity against a real encrypted practice: newest first, a page at a time,
//! filtered by client (through the records the rows name), by days in the practice's time
//! zone, by action and by source; bad filters are refused.
#![allow(clippy::unwrap_used)]

mod common;

use chrono::{TimeZone, Utc};
use common::*;
use kap_practice::activity::{self, ActivityQuery, PAGE};
use kap_practice::audit::{Action, EntityKind, Source};
use kap_practice::clients::{self, ClientInput};
use kap_practice::store::Store;
use kap_practice::Error;

fn page(store: &Store, q: &ActivityQuery) -> activity::ActivityPage {
    store.read(|c| activity::page(c, q)).unwrap()
}

#[test]
fn the_log_filtered_and_paged() {
    let (dir, folder, kc, opened) = practice();
    let id = opened.practice_id.clone();
    drop(opened);
    let key = kc.load(&id).unwrap();
    let db = folder.db_path();
    // Monday 2026-03-09 in New York (EDT since the 8th): 10:00, and 23:30 (03:30 UTC on
    // the 10th); then Wednesday the 11th.
    let t1 = Utc.with_ymd_and_hms(2026, 3, 9, 14, 0, 0).unwrap();
    let t2 = Utc.with_ymd_and_hms(2026, 3, 10, 3, 30, 0).unwrap();
    let t3 = Utc.with_ymd_and_hms(2026, 3, 11, 15, 0, 0).unwrap();

    let s = Store::open_with_clock(&db, &key, arc_clock(t1)).unwrap();
    let (ana, _) = cleared_client(&s, "Ana López");
    drop(s);
    let s = Store::open_with_clock(&db, &key, arc_clock(t2)).unwrap();
    let ben = s
        .write(|w| clients::create(w, ClientInput::named("Ben Okafor"), today()))
        .unwrap();
    let zip = dir.path().join("ana.zip");
    kap_practice::export::client_zip(&s, ana, &zip, None).unwrap();
    drop(s);
    let s = Store::open_with_clock(&db, &key, arc_clock(t3)).unwrap();
    s.set_source(Source::Cli);
    for _ in 0..PAGE + 10 {
        s.write(|w| w.audit(Action::View, EntityKind::Client, ben))
            .unwrap();
    }

    // Everything, newest first, two pages that neither overlap nor skip.
    let first = page(&s, &ActivityQuery::default());
    assert_eq!(first.rows.len() as i64, PAGE);
    assert!(first.rows.windows(2).all(|w| w[0].seq > w[1].seq));
    let before = first.next_before.unwrap();
    assert_eq!(before, first.rows.last().unwrap().seq);
    let second = page(
        &s,
        &ActivityQuery {
            before_seq: Some(before),
            ..Default::default()
        },
    );
    assert_eq!(second.rows[0].seq, before - 1);
    let total: i64 = s
        .read(|c| Ok(c.query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))?))
        .unwrap();
    let mut seen = first.rows.len() as i64 + second.rows.len() as i64;
    let mut next = second.next_before;
    while let Some(b) = next {
        let p = page(
            &s,
            &ActivityQuery {
                before_seq: Some(b),
                ..Default::default()
            },
        );
        seen += p.rows.len() as i64;
        next = p.next_before;
    }
    assert_eq!(seen, total, "paging reaches every row once");

    // One client: her record's rows (the client, intakes, screening, prescription,
    // consent) and the export of her record, each named; none of Ben's.
    let hers = page(
        &s,
        &ActivityQuery {
            client_id: Some(ana),
            ..Default::default()
        },
    );
    assert!(hers.rows.len() >= 6, "{:?}", hers.rows);
    assert!(hers
        .rows
        .iter()
        .all(|r| r.client_id == Some(ana) && r.client_name.as_deref() == Some("Ana López")));
    let kinds: std::collections::BTreeSet<&str> =
        hers.rows.iter().map(|r| r.entity_kind.as_str()).collect();
    for k in ["client", "intake", "screening", "prescription", "consent"] {
        assert!(kinds.contains(k), "{k} in {kinds:?}");
    }
    let export = hers.rows.iter().find(|r| r.action == "export").unwrap();
    assert_eq!(export.at, t2);

    // A day in New York: the 9th holds 10:00 and 23:30 (already the 10th in UTC).
    let monday = page(
        &s,
        &ActivityQuery {
            from: Some(date(2026, 3, 9)),
            to: Some(date(2026, 3, 9)),
            ..Default::default()
        },
    );
    assert!(monday.rows.iter().any(|r| r.at == t1));
    assert!(monday.rows.iter().any(|r| r.at == t2));
    assert!(monday.rows.iter().all(|r| r.at == t1 || r.at == t2));

    // Paged within days: every row of the range once, newest first.
    let range = ActivityQuery {
        from: Some(date(2026, 3, 9)),
        to: Some(date(2026, 3, 11)),
        ..Default::default()
    };
    let mut p = page(&s, &range);
    let mut seen = Vec::new();
    loop {
        seen.extend(p.rows.iter().map(|r| (r.at, r.seq)));
        let Some(b) = p.next_before else { break };
        p = page(
            &s,
            &ActivityQuery {
                before_seq: Some(b),
                ..range.clone()
            },
        );
    }
    let in_range: i64 = s
        .read(|c| {
            Ok(c.query_row(
                "SELECT count(*) FROM audit_log WHERE at >= '2026-03-09T04' AND at < '2026-03-12T04'",
                [],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    assert_eq!(seen.len() as i64, in_range);
    assert!(
        seen.windows(2).all(|w| w[0] > w[1]),
        "newest first, no repeats"
    );

    // By action, and by source.
    let exports = page(
        &s,
        &ActivityQuery {
            action: Some("export".into()),
            ..Default::default()
        },
    );
    assert_eq!(exports.rows.len(), 1);
    let cli = page(
        &s,
        &ActivityQuery {
            source: Some("cli".into()),
            ..Default::default()
        },
    );
    assert_eq!(cli.rows.len() as i64, PAGE);
    assert!(cli
        .rows
        .iter()
        .all(|r| r.source.as_deref() == Some("cli")
            && r.client_name.as_deref() == Some("Ben Okafor")));

    // Bad filters are refused with the field named.
    for (q, field) in [
        (
            ActivityQuery {
                action: Some("drop table".into()),
                ..Default::default()
            },
            "action",
        ),
        (
            ActivityQuery {
                source: Some("network".into()),
                ..Default::default()
            },
            "source",
        ),
        (
            ActivityQuery {
                from: Some(date(2026, 3, 10)),
                to: Some(date(2026, 3, 9)),
                ..Default::default()
            },
            "to",
        ),
    ] {
        match s.read(|c| activity::page(c, &q)) {
            Err(Error::Invalid(f)) => assert_eq!(f.0[0].field, field),
            other => panic!("{field}: {other:?}"),
        }
    }
}
