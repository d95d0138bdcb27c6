//! Benchmarks of the schedule and dashboard on a decade of a busy practice: 5,000 clients
//! and 60,000 completed appointments with signed notes, in a real encrypted file.
//! Run: `cargo bench -p kap-practice --bench decade`. Figures go in the README.
#![allow(clippy::unwrap_used)]

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use criterion::{criterion_group, criterion_main, Criterion};
use kap_practice::audit::{Action, EntityKind};
use kap_practice::clients::{self, ClientInput, ClientQuery, ClientStatus};
use kap_practice::key::DataKey;
use kap_practice::practice::{self, NewPractice};
use kap_practice::store::Store;
use kap_practice::{appointments, billing, dashboard, export};
use rusqlite::params;
use std::hint::black_box;

const CLIENTS: i64 = 5_000;
const APPOINTMENTS: i64 = 60_000;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

/// Clients through the core; the decade of appointments and notes in bulk, as the app
/// would have stored them, with one audit row for the import.
fn decade() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::create(
        &dir.path().join("practice.db"),
        &DataKey::generate().unwrap(),
    )
    .unwrap();
    store
        .write(|w| {
            practice::init(w, &NewPractice { practice_name: "Bench".into(), therapist_name: "Bench".into() })?;
            for i in 0..CLIENTS {
                let mut c = ClientInput::named(&format!("Client {i:05} Álvarez"));
                c.status = if i % 5 == 0 { ClientStatus::Completed } else { ClientStatus::Active };
                clients::create(w, c, today())?;
            }
            let start = Utc.with_ymd_and_hms(2016, 12, 1, 14, 0, 0).unwrap();
            let kinds = ["kap_session", "integration_session", "psychotherapy"];
            for n in 0..APPOINTMENTS {
                // About 16 a week over ten years, one every ~90 minutes of working time.
                let at = start + Duration::minutes(n * 87);
                let end = at + Duration::minutes(60);
                let stamp = |t: chrono::DateTime<Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
                w.conn().execute(
                    "INSERT INTO appointment (kind, starts_at, ends_at, duration_minutes, location, status,
                        notes, created_at, updated_at)
                     VALUES (?1, ?2, ?3, 60, 'telehealth', 'completed', '', ?2, ?2)",
                    params![kinds[(n % 3) as usize], stamp(at), stamp(end)],
                )?;
                let id = w.conn().last_insert_rowid();
                let client = n % CLIENTS + 1;
                w.conn().execute(
                    "INSERT INTO appointment_attendee (appointment_id, client_id, attendance, note_signed)
                     VALUES (?1, ?2, 'attended', 1)",
                    params![id, client],
                )?;
                let body = r#"{"kind":"free_text","text":"Session note: themes of grief and renewal; commitments reviewed."}"#;
                w.conn().execute(
                    "INSERT INTO session_note (appointment_id, client_id, body, signed_at, created_at, updated_at)
                     VALUES (?1, ?2, ?3, ?4, ?4, ?4)",
                    params![id, client, body, stamp(end)],
                )?;
            }
            w.audit(Action::Create, EntityKind::Appointment, 0)
        })
        .unwrap();
    (dir, store)
}

fn bench(c: &mut Criterion) {
    let (_dir, store) = decade();
    let now = Utc.with_ymd_and_hms(2026, 11, 26, 15, 0, 0).unwrap();
    let mut g = c.benchmark_group("decade");
    g.bench_function("dashboard", |b| {
        b.iter(|| black_box(store.read(|c| dashboard::dashboard(c, now)).unwrap()))
    });
    // A week in the middle of the decade: about 115 appointments.
    let week = NaiveDate::from_ymd_opt(2021, 6, 7).unwrap();
    g.bench_function("calendar_week", |b| {
        b.iter(|| {
            black_box(
                store
                    .read(|c| appointments::between(c, week, week + chrono::Days::new(7)))
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
    g.bench_function("client_search", |b| {
        let q = ClientQuery {
            text: Some("alv 0042".into()),
            ..Default::default()
        };
        b.iter(|| black_box(store.read(|c| clients::list(c, &q, today())).unwrap()))
    });
    g.bench_function("practice_billing", |b| {
        b.iter(|| {
            black_box(
                store
                    .read(|c| billing::practice_billing(c, today()))
                    .unwrap(),
            )
        })
    });
    g.finish();

    // The whole practice exported to a zip (JSON + CSV per entity), streamed to a file.
    let out = tempfile::tempdir().unwrap();
    let path = out.path().join("practice-export-2026-11-26.zip");
    let mut g = c.benchmark_group("decade_export");
    g.sample_size(10);
    g.bench_function("practice_zip", |b| {
        b.iter(|| black_box(export::practice_zip(&store, &path).unwrap()))
    });
    // One client's complete record (12 sessions with notes) as a PDF, read and written.
    let pdf = out.path().join("client-000042-record-2026-11-26.pdf");
    g.bench_function("client_record_pdf", |b| {
        b.iter(|| black_box(export::client_record_pdf(&store, 42, &pdf).unwrap()))
    });
    g.finish();
    let size = std::fs::metadata(&path).unwrap().len();
    #[allow(clippy::print_stderr)] // A figure for the README, beside criterion's timings.
    {
        eprintln!("decade/practice_zip: {size} bytes");
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(std::time::Duration::from_secs(3));
    targets = bench
}
criterion_main!(benches);
