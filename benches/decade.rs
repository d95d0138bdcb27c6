//! Benchmarks of the schedule, the dashboard, the billing page and the rest on a decade of
//! a busy practice, the demo practice at its decade size (`kap_practice::demo`: 5,000
//! clients and about 60,000 appointments with signed notes, invoices and payments, booked
//! three weeks past today, 2026-11-26), in a real encrypted file; the same reads again on a
//! tenth of it, its first year (500 clients, 6,000 appointments in one year, as busy a
//! week), for the growth from a tenth of the history to the whole.
//! Run: `cargo bench -p kap-practice --bench decade` (a filter after `--` picks some, e.g.
//! `-- global_search`). Figures go in the README.
#![allow(clippy::unwrap_used)]

use chrono::{NaiveDate, TimeZone, Utc};
use criterion::{criterion_group, criterion_main, Criterion};
use kap_practice::backup;
use kap_practice::clients::{self, ClientQuery};
use kap_practice::demo::{self, DemoSize};
use kap_practice::folder::PracticeFolder;
use kap_practice::key::{DataKey, KdfParams, KeyFile, Keychain, Passphrase};
use kap_practice::store::Store;
use kap_practice::{appointments, billing, clearance, dashboard, export, fixtures, measures};
use std::hint::black_box;

const PASSPHRASE: &str = "decade bench passphrase";
/// The client whose KAP course the course view's benchmark reads.
const COURSE_CLIENT: i64 = 7;

#[path = "common/mod.rs"]
mod common;
use common::today;

/// The demo practice at `size` in a new encrypted practice, with its key file beside it
/// (so it can be backed up), plus one client's ten-year KAP course for the course view.
fn practice_of(size: DemoSize, label: &str) -> (tempfile::TempDir, Store, DataKey) {
    let dir = tempfile::tempdir().unwrap();
    let key = DataKey::generate().unwrap();
    let store = Store::create(&dir.path().join("practice.db"), &key).unwrap();
    let pass = Passphrase::new(PASSPHRASE.into()).unwrap();
    KeyFile::wrap(
        &KeyFile::new_practice_id().unwrap(),
        &key,
        &pass,
        KdfParams::default(),
    )
    .unwrap()
    .write(&dir.path().join("practice.key"))
    .unwrap();
    let started = std::time::Instant::now();
    let counts = store
        .write(|w| {
            let counts = common::fill_demo(w, size)?;
            // One client with ten years of measures and a long KAP course.
            fixtures::fill_course(w, COURSE_CLIENT, 60, 200, today())?;
            Ok(counts)
        })
        .unwrap();
    #[allow(clippy::print_stderr)] // Figures for the README, beside criterion's timings.
    {
        eprintln!(
            "{label}: generated in {:.1} s: {} clients, {} appointments ({} completed, {} scheduled), {} signed notes, {} questionnaires, {} invoices, {} payments, {} invoices owing",
            started.elapsed().as_secs_f64(),
            counts.clients,
            counts.appointments,
            counts.completed,
            counts.scheduled,
            counts.signed_notes,
            counts.measures,
            counts.invoices,
            counts.payments,
            counts.owing
        );
    }
    (dir, store, key)
}

/// The reads of the app's screens on one practice, in the group `name`; `mid_week` is a
/// Monday in the middle of its years.
fn reads(c: &mut Criterion, name: &str, store: &Store, mid_week: NaiveDate) {
    let now = Utc.with_ymd_and_hms(2026, 11, 26, 15, 0, 0).unwrap();
    let mut g = c.benchmark_group(name);
    g.bench_function("dashboard", |b| {
        b.iter(|| black_box(store.read(|c| dashboard::dashboard(c, now)).unwrap()))
    });
    // The KAP course view and its charts' data: 60 KAP sessions with their notes and 200
    // questionnaires (one client, on top of the practice).
    g.bench_function("course_view", |b| {
        b.iter(|| {
            black_box(
                store
                    .read(|c| measures::course::for_client(c, COURSE_CLIENT))
                    .unwrap(),
            )
        })
    });
    // A week in the middle of the practice's years, and the week of today (the schedule's
    // default).
    let week = mid_week;
    g.bench_function("calendar_week", |b| {
        b.iter(|| {
            black_box(
                store
                    .read(|c| appointments::between(c, week, week + chrono::Days::new(7)))
                    .unwrap(),
            )
        })
    });
    let this_week = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    g.bench_function("calendar_this_week", |b| {
        b.iter(|| {
            black_box(
                store
                    .read(|c| appointments::between(c, this_week, this_week + chrono::Days::new(7)))
                    .unwrap(),
            )
        })
    });
    g.bench_function("client_appointments", |b| {
        b.iter(|| {
            black_box(
                store
                    .read(|c| appointments::for_client(c, 42, 200))
                    .unwrap(),
            )
        })
    });
    // A search by the first letters of client 42's two names, as typed.
    let typed: String = store
        .read(|c| {
            let name: String =
                c.query_row("SELECT legal_name FROM client WHERE id = 42", [], |r| {
                    r.get(0)
                })?;
            Ok(name
                .split_whitespace()
                .map(|w| w.chars().take(3).collect::<String>())
                .collect::<Vec<_>>()
                .join(" "))
        })
        .unwrap();
    g.bench_function("client_search", |b| {
        let q = ClientQuery {
            text: Some(typed.clone()),
            ..Default::default()
        };
        b.iter(|| black_box(store.read(|c| clients::list(c, &q, today())).unwrap()))
    });
    // Global search (Ctrl+K), keystroke by keystroke: two letters that begin thousands of
    // words, a word in thousands of notes, a client's name as typed, an invoice number, a
    // day in words. Each kind shows the newest few, so the cost follows the page shown,
    // not the number of matches (compare the decade with its tenth).
    for (label, q) in [
        ("global_search_two_letters", "gr".to_owned()),
        ("global_search_common_word", "grief".to_owned()),
        ("global_search_two_words", "dog garden".to_owned()),
        ("global_search_client_name", typed.clone()),
        ("global_search_invoice", "2026-0042".to_owned()),
        ("global_search_day", "Nov 24".to_owned()),
        ("global_search_nothing", "zanzibar".to_owned()),
    ] {
        g.bench_function(label, |b| {
            b.iter(|| {
                black_box(
                    store
                        .read(|c| kap_practice::search::search(c, &q, today()))
                        .unwrap(),
                )
            })
        });
    }
    // The client list's clearance column: a page of 50 clients on one date.
    let page: Vec<i64> = (1..=50).collect();
    g.bench_function("clearance_badges_page", |b| {
        b.iter(|| {
            black_box(
                store
                    .read(|c| clearance::badges(c, &page, today()))
                    .unwrap(),
            )
        })
    });
    // The booking form's check as the time changes, in the busy week in the middle.
    let input = appointments::AppointmentInput {
        course_reason: None,
        kind: appointments::AppointmentKind::Psychotherapy,
        starts_local: (mid_week + chrono::Days::new(1))
            .and_hms_opt(10, 0, 0)
            .unwrap(),
        duration_minutes: Some(50),
        location: appointments::Location::Other,
        location_note: None,
        client_ids: vec![42],
        notes: String::new(),
    };
    // Settings → Activity: a page of the log, newest, for one client, for one day long
    // ago, and one action.
    let act = move |q: kap_practice::activity::ActivityQuery| {
        move || store.read(|c| kap_practice::activity::page(c, &q)).unwrap()
    };
    g.bench_function("activity_page", |b| {
        let f = act(Default::default());
        b.iter(|| black_box(f()))
    });
    g.bench_function("activity_page_client", |b| {
        let f = act(kap_practice::activity::ActivityQuery {
            client_id: Some(234),
            ..Default::default()
        });
        b.iter(|| black_box(f()))
    });
    // The generator writes its practice in one transaction, so every audit row has the
    // time it ran: a range around today matches all of them (the worst case for the time
    // index).
    g.bench_function("activity_page_days_matching_all", |b| {
        let today = Utc::now().date_naive();
        let f = act(kap_practice::activity::ActivityQuery {
            from: today.pred_opt(),
            to: today.succ_opt(),
            ..Default::default()
        });
        b.iter(|| black_box(f()))
    });
    g.bench_function("activity_page_day_with_nothing", |b| {
        let day = NaiveDate::from_ymd_opt(2018, 6, 12).unwrap();
        let f = act(kap_practice::activity::ActivityQuery {
            from: Some(day),
            to: Some(day),
            ..Default::default()
        });
        b.iter(|| black_box(f()))
    });
    g.bench_function("activity_page_action", |b| {
        let f = act(kap_practice::activity::ActivityQuery {
            action: Some("sign".into()),
            ..Default::default()
        });
        b.iter(|| black_box(f()))
    });
    g.bench_function("booking_time_check", |b| {
        b.iter(|| {
            black_box(
                store
                    .read(|c| appointments::time_conflict(c, input.clone(), None))
                    .unwrap(),
            )
        })
    });
    // The Billing page (`practice_billing`, its one call): balances owed, charges not
    // yet invoiced, this month's payments.
    g.bench_function("billing_page", |b| {
        b.iter(|| {
            black_box(
                store
                    .read(|c| billing::practice_billing(c, today()))
                    .unwrap(),
            )
        })
    });
    g.finish();
}

fn bench(c: &mut Criterion) {
    // A tenth first, then the whole decade; the tenth is dropped before the decade is made.
    {
        let (_dir, store, _key) = practice_of(
            DemoSize::Scaled {
                clients: demo::DECADE_CLIENTS / 10,
                appointments: demo::DECADE_APPOINTMENTS / 10,
                years: 1,
            },
            "decade_tenth",
        );
        // Its first year: a Monday in the middle of it.
        reads(
            c,
            "decade_tenth",
            &store,
            NaiveDate::from_ymd_opt(2026, 6, 8).unwrap(),
        );
    }
    let (_dir, store, key) = practice_of(DemoSize::Decade, "decade");
    reads(
        c,
        "decade",
        &store,
        NaiveDate::from_ymd_opt(2021, 6, 7).unwrap(),
    );

    // The whole practice exported to a zip (JSON + CSV per entity), streamed to a file.
    let out = tempfile::tempdir().unwrap();
    let path = out.path().join("practice-export-2026-11-26.zip");
    let mut g = c.benchmark_group("decade_export");
    g.sample_size(10);
    g.bench_function("practice_zip", |b| {
        b.iter(|| black_box(export::practice_zip(&store, &path).unwrap()))
    });
    // One client's complete record (their sessions, notes, questionnaires and invoices)
    // as a PDF, read and written.
    let pdf = out.path().join("client-000042-record-2026-11-26.pdf");
    g.bench_function("client_record_pdf", |b| {
        b.iter(|| black_box(export::client_record_pdf(&store, 42, &pdf, None).unwrap()))
    });
    g.finish();
    // An encrypted backup of the decade, and a restore of it onto a new laptop's empty
    // folder with only the file and the passphrase (Argon2 included).
    let folder = PracticeFolder::new(_dir.path());
    let backup_file = out.path().join("decade.kapbackup");
    let mut g = c.benchmark_group("decade_backup");
    g.sample_size(10);
    // What `kap-practice verify` does: every page authenticated, the structure, the chain,
    // the schema against the migrations', and the content hash of every entity's latest
    // audited row (every record of the decade); then the chain, schema and content checks
    // alone.
    let db = store.path().to_owned();
    g.bench_function("verify", |b| {
        b.iter(|| {
            let check = kap_practice::store::verify_file(&db, &key).unwrap();
            assert!(check.findings.is_empty());
            black_box(check)
        })
    });
    g.bench_function("verify_audit_content_schema", |b| {
        b.iter(|| black_box(store.inspect_audit().unwrap()))
    });
    g.bench_function("backup", |b| {
        b.iter(|| black_box(backup::create(&folder, &store, &backup_file).unwrap()))
    });
    let pass = Passphrase::new(PASSPHRASE.into()).unwrap();
    g.bench_function("restore_on_new_laptop", |b| {
        b.iter_batched(
            || tempfile::tempdir().unwrap(),
            |laptop| {
                let to = PracticeFolder::new(laptop.path().join("practice"));
                let r = backup::restore(&to, &backup_file, &pass, &Keychain::none()).unwrap();
                black_box(r.info.audit_rows);
                drop(r);
                laptop
            },
            criterion::BatchSize::PerIteration,
        )
    });
    g.finish();
    // Absent when a filter skipped the backup benchmark.
    if let Ok(m) = std::fs::metadata(&backup_file) {
        #[allow(clippy::print_stderr)] // A figure for RELIABILITY.md.
        {
            eprintln!("decade/backup: {} bytes", m.len());
        }
    }
    // A passphrase change re-encrypts the whole decade under a new key (Argon2 twice at the
    // floor, the copy, its checks, the switch, the reopen). Last: it takes the store.
    let mut g = c.benchmark_group("decade_rekey");
    g.sample_size(10);
    let mut held = Some(store);
    let (a, b2) = (
        Passphrase::new(PASSPHRASE.into()).unwrap(),
        Passphrase::new("decade bench passphrase two".into()).unwrap(),
    );
    let mut flip = false;
    g.bench_function("change_passphrase_new_key", |b| {
        b.iter(|| {
            let store = held.take().unwrap();
            let (cur, new) = if flip { (&b2, &a) } else { (&a, &b2) };
            let r = folder.change_passphrase_with_kdf(
                store,
                cur,
                new,
                &Keychain::none(),
                KdfParams::default(),
            );
            r.changed.unwrap();
            held = Some(r.opened.unwrap().store);
            flip = !flip;
        })
    });
    g.finish();
    // Absent when a filter skipped the export benchmark.
    if let Ok(m) = std::fs::metadata(&path) {
        #[allow(clippy::print_stderr)] // A figure for the README, beside criterion's timings.
        {
            eprintln!("decade/practice_zip: {} bytes", m.len());
        }
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(std::time::Duration::from_secs(3));
    targets = bench
}
criterion_main!(benches);
