//! Benchmarks of the client list, search and record on generated practices of 500 and
//! 5,000 clients (a decade of a busy practice), in real encrypted files.
//! Run: `cargo bench -p kap-practice --bench practice`. Figures go in the README.
#![allow(clippy::unwrap_used)]

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use kap_practice::clients::{self, ClientInput, ClientQuery, ClientStatus};
use kap_practice::key::DataKey;
use kap_practice::practice::{self, NewPractice};
use kap_practice::store::Store;
use std::hint::black_box;

const FIRST: &[&str] = &[
    "María", "José", "Ana", "Luis", "Sofía", "Chen", "Aisha", "Noah", "Zoë", "Björn", "Priya",
    "Mateo", "Olivia", "Dmitri", "Fatima", "Kenji", "Amara", "Liam", "Inès", "Tomás",
];
const LAST: &[&str] = &[
    "García",
    "Álvarez",
    "Nguyen",
    "Müller",
    "O'Connor",
    "Smith",
    "Kowalski",
    "Haddad",
    "Johansson",
    "Okafor",
    "Rossi",
    "Tanaka",
    "Lefèvre",
    "Cohen",
    "Silva",
    "Patel",
    "Brown",
    "Dubois",
    "Ivanova",
    "Mendoza",
    "Walker",
    "Kim",
    "Fischer",
    "Reyes",
    "Novak",
];

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

/// A practice of `n` clients with mixed statuses, a fifth of them archived.
fn practice(n: usize) -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::create(
        &dir.path().join("practice.db"),
        &DataKey::generate().unwrap(),
    )
    .unwrap();
    store
        .write(|w| {
            practice::init(
                w,
                &NewPractice {
                    practice_name: "Bench Practice".into(),
                    therapist_name: "Bench Therapist".into(),
                    ..Default::default()
                },
            )?;
            for i in 0..n {
                let name = format!(
                    "{} {} {}",
                    FIRST[i % FIRST.len()],
                    LAST[(i / FIRST.len()) % LAST.len()],
                    i
                );
                let mut c = ClientInput::named(&name);
                c.status = [
                    ClientStatus::Active,
                    ClientStatus::Completed,
                    ClientStatus::Inquiry,
                    ClientStatus::Paused,
                ][i % 4];
                c.notes = "Session notes summary. ".repeat(20);
                let id = clients::create(w, c, today())?;
                if i % 5 == 0 {
                    clients::archive(w, id)?;
                }
            }
            Ok(())
        })
        .unwrap();
    (dir, store)
}

fn list(store: &Store, q: &ClientQuery) -> u32 {
    store.read(|c| clients::list(c, q, today())).unwrap().total
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("clients");
    for n in [500usize, 5_000] {
        let (_dir, store) = practice(n);
        let first_page = ClientQuery::default();
        let deep_page = ClientQuery {
            offset: (n as u32 * 3) / 5,
            ..Default::default()
        };
        let active = ClientQuery {
            status: Some(ClientStatus::Active),
            ..Default::default()
        };
        let search_one = ClientQuery {
            text: Some("mar".into()),
            ..Default::default()
        };
        let search_two = ClientQuery {
            text: Some("jose alv".into()),
            ..Default::default()
        };
        g.bench_with_input(
            BenchmarkId::new("list_first_page", n),
            &first_page,
            |b, q| b.iter(|| black_box(list(&store, q))),
        );
        g.bench_with_input(BenchmarkId::new("list_deep_page", n), &deep_page, |b, q| {
            b.iter(|| black_box(list(&store, q)))
        });
        g.bench_with_input(
            BenchmarkId::new("list_status_active", n),
            &active,
            |b, q| b.iter(|| black_box(list(&store, q))),
        );
        g.bench_with_input(BenchmarkId::new("search_prefix", n), &search_one, |b, q| {
            b.iter(|| black_box(list(&store, q)))
        });
        g.bench_with_input(
            BenchmarkId::new("search_two_terms", n),
            &search_two,
            |b, q| b.iter(|| black_box(list(&store, q))),
        );
        g.bench_function(BenchmarkId::new("open_record_with_audit", n), |b| {
            b.iter(|| {
                black_box(
                    store
                        .write(|w| clients::open_record(w, 42, today()))
                        .unwrap(),
                )
            })
        });
        g.bench_function(BenchmarkId::new("create_client", n), |b| {
            b.iter(|| {
                black_box(
                    store
                        .write(|w| clients::create(w, ClientInput::named("Nueva Persona"), today()))
                        .unwrap(),
                )
            })
        });
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).measurement_time(std::time::Duration::from_secs(3));
    targets = bench
}
criterion_main!(benches);
