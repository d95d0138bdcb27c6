//! Benchmarks of a client list from another system's CSV export: the preview, the dry
//! run and the whole import (one transaction, a `create` audit row per client and the
//! batch's `import` row) of 5,000 generated clients into an empty practice, in a real
//! encrypted file.
//! Run: `cargo bench -p kap-practice --bench import_csv`. Figures go in the README.
#![allow(clippy::unwrap_used)]

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use kap_practice::import::csv::{self, Options};
use kap_practice::key::DataKey;
use kap_practice::practice::{self, NewPractice};
use kap_practice::store::Store;
use std::hint::black_box;

const CLIENTS: usize = 5_000;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

/// A SimplePractice-like export of `n` clients: names, date of birth, contact details,
/// a two-line address in four columns, an emergency contact and a note with a comma.
fn export(n: usize) -> Vec<u8> {
    let mut out = String::from(
        "First Name,Last Name,Preferred Name,Date of Birth,Email,Mobile Phone,Address,City,\
         State,Zip,Emergency Contact Name,Emergency Contact Phone,Referral Source,Notes\r\n",
    );
    for i in 0..n {
        out.push_str(&format!(
            "Client{i},Family{},P{i},{:02}/{:02}/{},client{i}@example.com,(212) 555-{:04},\
             \"{} Main St, Apt {}\",New York,NY,{:05},Contact {i},(917) 555-{:04},Dr. Patel,\
             \"Prefers afternoons, \"\"quiet room\"\"\"\r\n",
            i % 97,
            1 + i % 12,
            1 + i % 28,
            1940 + i % 60,
            i % 10_000,
            i % 900 + 1,
            i % 40 + 1,
            10_000 + i % 300,
            (i * 7) % 10_000,
        ));
    }
    out.into_bytes()
}

fn empty_practice() -> (tempfile::TempDir, Store) {
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
            )
        })
        .unwrap();
    (dir, store)
}

fn bench(c: &mut Criterion) {
    let file = export(CLIENTS);
    let mapping = csv::preview(&file).unwrap().mapping;
    let (_dir, empty) = empty_practice();
    let mut g = c.benchmark_group("import_csv");
    g.bench_function("preview_5000", |b| {
        b.iter(|| black_box(csv::preview(&file).unwrap()))
    });
    g.bench_function("dry_run_5000", |b| {
        b.iter(|| {
            let plan = empty
                .read(|conn| csv::dry_run(conn, &file, &mapping, today()))
                .unwrap();
            assert_eq!(plan.counts.ready as usize, CLIENTS);
            black_box(plan)
        })
    });
    g.bench_function("import_5000_into_empty", |b| {
        b.iter_batched(
            empty_practice,
            |(dir, store)| {
                let done = store
                    .write(|w| csv::import(w, &file, &mapping, &Options::default(), today()))
                    .unwrap();
                assert_eq!(done.created as usize, CLIENTS);
                (dir, store)
            },
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10).measurement_time(std::time::Duration::from_secs(10));
    targets = bench
}
criterion_main!(benches);
