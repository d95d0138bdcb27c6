//! The demo practice (`kap_practice::demo`, `kap-practice demo`): made in a real encrypted
//! practice, audited row for row, plausible, and loadable by the app's screens.
#![allow(clippy::unwrap_used)]

mod common;

use chrono::{Days, NaiveDate, Utc};
use common::*;
use kap_practice::clients::{self, ClientQuery};
use kap_practice::demo::{self, DemoOptions, DemoSize};
use kap_practice::folder::PracticeFolder;
use kap_practice::store::Store;
use kap_practice::{
    activity, appointments, billing, clearance, dashboard, measures, notes, practice,
};

fn practice_today(store: &Store) -> NaiveDate {
    store.read(|c| practice::today(c, Utc::now())).unwrap()
}

/// What every screen of the app reads, run on the practice: each must load.
fn screens_load(store: &Store, today: NaiveDate) {
    let now = Utc::now();
    store
        .read(|c| {
            let d = dashboard::dashboard(c, now)?;
            assert!(!d.week_appointments.is_empty() || !d.today_appointments.is_empty());
            let page = clients::list(c, &ClientQuery::default(), today)?;
            assert!(page.total > 0);
            let ids: Vec<i64> = page.items.iter().map(|s| s.id).collect();
            clearance::badges(c, &ids, today)?;
            let b = billing::practice_billing(c, today)?;
            assert!(b.payments_this_month_total.0 >= 0);
            let week = appointments::between(c, today, today + Days::new(7))?;
            assert!(!week.is_empty(), "bookings go on past today");
            for id in ids.iter().take(10) {
                clients::get(c, *id, today)?;
                appointments::for_client(c, *id, 200)?;
                measures::for_client(c, *id)?;
                measures::course::for_client(c, *id)?;
                billing::ledger(c, *id)?;
            }
            activity::page(c, &Default::default())?;
            Ok(())
        })
        .unwrap();
}

/// The audit chain whole, the schema as made, every record as its latest audit row says.
fn sound(store: &Store) {
    store.verify_audit().unwrap();
    let check = store.inspect_audit().unwrap();
    assert!(check.findings.is_empty(), "{:?}", check.findings);
}

#[test]
fn small_demo_is_plausible_audited_and_loads() {
    let (_dir, _folder, _kc, opened) = practice();
    let store = &opened.store;
    let today = practice_today(store);
    let counts = store
        .write(|w| demo::fill(w, &DemoOptions::new(DemoSize::Small, today)))
        .unwrap();
    assert_eq!(counts.clients, 40);
    assert!(counts.prescribers >= 3);
    assert!(
        (200..=600).contains(&counts.appointments),
        "{}",
        counts.appointments
    );
    assert!(counts.completed > counts.appointments / 2);
    assert!(counts.scheduled > 5, "bookings after today");
    assert!(counts.signed_notes > counts.completed * 3 / 4);
    assert!(counts.measures > 40);
    assert!(counts.invoices > counts.completed / 2);
    assert!(counts.payments > counts.invoices * 3 / 4);
    sound(store);
    screens_load(store, today);

    store
        .read(|c| {
            // Names with accents, and some preferred names.
            let accented: i64 = c.query_row(
                "SELECT count(*) FROM client WHERE legal_name <> sort_name
                   AND lower(legal_name) <> sort_name",
                [],
                |r| r.get(0),
            )?;
            assert!(accented > 0, "some names carry accents");
            let preferred: i64 = c.query_row(
                "SELECT count(*) FROM client WHERE preferred_name IS NOT NULL",
                [],
                |r| r.get(0),
            )?;
            assert!(preferred > 0);
            // Signed KAP notes, integration notes, and free text with everyday words.
            let dog: i64 = c.query_row(
                "SELECT count(*) FROM session_note WHERE body LIKE '%dog%'",
                [],
                |r| r.get(0),
            )?;
            let all: i64 = c.query_row("SELECT count(*) FROM session_note", [], |r| r.get(0))?;
            assert!(dog > 0 && dog < all / 2, "{dog} of {all}");
            let kap: i64 = c.query_row(
                "SELECT id FROM session_note WHERE body LIKE '{\"kind\":\"kap\"%'
                   AND signed_at IS NOT NULL LIMIT 1",
                [],
                |r| r.get(0),
            )?;
            let note = notes::get_by_id(c, kap)?;
            assert!(note.total_mg.is_some());
            Ok(())
        })
        .unwrap();
}

#[test]
fn the_same_seed_makes_the_same_practice() {
    let names = || {
        let (_dir, _folder, _kc, opened) = practice();
        let store = opened.store;
        let today = date(2026, 11, 26);
        let size = DemoSize::Scaled {
            clients: 12,
            appointments: 90,
            years: 10,
        };
        store
            .write(|w| demo::fill(w, &DemoOptions::new(size, today)))
            .unwrap();
        store
            .read(|c| {
                let mut s = c.prepare(
                    "SELECT legal_name || '|' || a.starts_at FROM client
                     JOIN appointment_attendee t ON t.client_id = client.id
                     JOIN appointment a ON a.id = t.appointment_id ORDER BY a.id",
                )?;
                let v = s
                    .query_map([], |r| r.get::<_, String>(0))?
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(v)
            })
            .unwrap()
    };
    let (a, b) = (names(), names());
    assert!(a.len() > 40);
    assert_eq!(a, b);
}

/// The larger sizes book past a full day (a decade's 60,000 appointments cannot fit one
/// therapist's hours); everything else goes through the core as at the small size.
#[test]
fn a_scaled_demo_is_audited_and_loads_with_today_inside() {
    let (_dir, _folder, _kc, opened) = practice();
    let store = &opened.store;
    let today = date(2026, 11, 26);
    let counts = store
        .write(|w| {
            demo::fill(
                w,
                &DemoOptions::new(
                    DemoSize::Scaled {
                        clients: 150,
                        appointments: 1_800,
                        years: 10,
                    },
                    today,
                ),
            )
        })
        .unwrap();
    assert_eq!(counts.clients, 150);
    assert!(
        (1_300..=2_300).contains(&counts.appointments),
        "{}",
        counts.appointments
    );
    // About one invoice in a hundred still owed, besides the last fortnight's.
    assert!(counts.owing > 0 && counts.owing < counts.invoices / 10);
    sound(store);
    let after: i64 = store
        .read(|c| {
            Ok(c.query_row(
                "SELECT count(*) FROM appointment WHERE starts_at > '2026-11-27'",
                [],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    assert!(after > 0, "{after} bookings after today");
    store
        .read(|c| {
            let d = dashboard::dashboard(
                c,
                chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 11, 26, 15, 0, 0).unwrap(),
            )?;
            assert!(!d.week_appointments.is_empty());
            billing::practice_billing(c, today)?;
            Ok(())
        })
        .unwrap();
}

#[test]
fn the_command_makes_a_demo_practice_and_refuses_an_existing_one() {
    let dir = tempfile::tempdir().unwrap();
    let at = dir.path().join("demo");
    let keychain = mock_keychain();
    let args = [
        "demo",
        "--data-dir",
        at.to_str().unwrap(),
        "--passphrase-stdin",
    ];
    let run = cli_run(&args, "violet harbour lantern 7391\n", &keychain);
    assert_eq!(run.code, 0, "{}", run.err);
    assert!(run.out.contains("clients"), "{}", run.out);
    assert!(run.out.contains("keychain"));
    let folder = PracticeFolder::new(&at);
    // The key is in the keychain, as after creating a practice in the app.
    let opened = match folder.open_with_keychain(&keychain).unwrap() {
        kap_practice::folder::KeychainOpen::Opened(o) => *o,
        _ => panic!("the keychain opens the demo practice"),
    };
    let n: i64 = opened
        .store
        .read(|c| Ok(c.query_row("SELECT count(*) FROM client", [], |r| r.get(0))?))
        .unwrap();
    assert_eq!(n, 40);
    sound(&opened.store);
    drop(opened);

    // A second run changes nothing.
    let before = all_bytes(&at);
    let again = cli_run(&args, "violet harbour lantern 7391\n", &keychain);
    assert_eq!(again.code, 1);
    assert!(again.err.contains("already exists"), "{}", again.err);
    assert_eq!(all_bytes(&at), before);

    // A weak passphrase and an unknown size are refused before anything is made.
    let other = dir.path().join("other");
    let o = other.to_str().unwrap();
    let weak = cli_run(
        &["demo", "--data-dir", o, "--passphrase-stdin"],
        "demo\n",
        &keychain,
    );
    assert_ne!(weak.code, 0);
    let size = cli_run(
        &[
            "demo",
            "--data-dir",
            o,
            "--size",
            "huge",
            "--passphrase-stdin",
        ],
        "violet harbour lantern 7391\n",
        &keychain,
    );
    assert_eq!(size.code, 2);
    assert!(!other.exists());
}
