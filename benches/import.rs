//! Importing a decade of a busy practice: the demo practice at its decade size (5,000
//! clients, about 60,000 appointments with signed notes, invoices and payments) exported
//! to a zip, checked once to round-trip (import into a new practice, export again, every
//! JSON file byte-identical), then imported into a fresh practice, again and again.
//! Run: `cargo bench -p kap-practice --bench import`. Figures go in the README.
#![allow(clippy::unwrap_used)]

use chrono::{TimeZone, Utc};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, SamplingMode};
use kap_practice::demo::DemoSize;
use kap_practice::export;
use kap_practice::import::archive as import_zip;
use kap_practice::key::DataKey;
use kap_practice::practice::{self, NewPractice};
use kap_practice::store::Store;
use std::io::Read;
use std::path::Path;
use std::sync::Arc;

#[path = "common/mod.rs"]
mod common;

/// A new database in a new temporary folder, on a clock fixed on the afternoon of the
/// demo's today.
fn new_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("practice.db");
    let key = DataKey::generate().unwrap();
    drop(Store::create(&path, &key).unwrap());
    let now = Utc.with_ymd_and_hms(2026, 11, 26, 20, 0, 0).unwrap();
    let store = Store::open_with_clock(&path, &key, Arc::new(move || now)).unwrap();
    (dir, store)
}

/// A new, initialised practice: what an export is imported into.
fn new_practice() -> (tempfile::TempDir, Store) {
    let (dir, store) = new_store();
    store
        .write(|w| {
            practice::init(
                w,
                &NewPractice {
                    practice_name: "Imported".into(),
                    therapist_name: "Bench".into(),
                    ..Default::default()
                },
            )
        })
        .unwrap();
    (dir, store)
}

/// The JSON entries of an export, the manifest without its time.
fn json_entries(path: &Path) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut out = Vec::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let name = f.name().unwrap().into_owned();
        if !name.ends_with(".json") {
            continue;
        }
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).unwrap();
        if name == "manifest.json" {
            let mut m: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
            m.as_object_mut().unwrap().remove("exported_at");
            bytes = serde_json::to_vec(&m).unwrap();
        }
        out.push((name, bytes));
    }
    out
}

#[allow(clippy::print_stderr)] // Figures for the README, beside criterion's timings.
fn bench(c: &mut Criterion) {
    let out = tempfile::tempdir().unwrap();
    let zip = out.path().join("practice-export-decade.zip");
    {
        let (_dir, source) = new_store();
        let started = std::time::Instant::now();
        source
            .write(|w| common::fill_demo(w, DemoSize::Decade))
            .unwrap();
        eprintln!(
            "decade: generated in {:.1} s",
            started.elapsed().as_secs_f64()
        );
        export::practice_zip(&source, &zip).unwrap();
    }
    let size = std::fs::metadata(&zip).unwrap().len();
    let inflated: usize = json_entries(&zip).iter().map(|(_, b)| b.len()).sum();

    // Once: the decade round-trips.
    {
        let (_dir, target) = new_practice();
        let started = std::time::Instant::now();
        let summary = import_zip::practice_zip(&target, &zip).unwrap();
        let took = started.elapsed().as_secs_f64();
        let again = out.path().join("again.zip");
        export::practice_zip(&target, &again).unwrap();
        assert!(
            json_entries(&zip) == json_entries(&again),
            "the decade's export round-trips byte for byte"
        );
        let findings = target.inspect_audit().unwrap().findings;
        assert!(findings.is_empty(), "{findings:?}");
        eprintln!(
            "decade export: {:.1} MB zipped, {:.1} MB of JSON, {} records; imported once in {took:.1} s",
            size as f64 / 1e6,
            inflated as f64 / 1e6,
            summary.records
        );
    }

    let mut g = c.benchmark_group("decade_import");
    g.sample_size(10);
    g.sampling_mode(SamplingMode::Flat);
    g.bench_function("check", |b| b.iter(|| import_zip::check(&zip).unwrap()));
    g.bench_function("practice_zip", |b| {
        b.iter_batched(
            new_practice,
            |(dir, store)| {
                import_zip::practice_zip(&store, &zip).unwrap();
                (dir, store)
            },
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().measurement_time(std::time::Duration::from_secs(5));
    targets = bench
}
criterion_main!(benches);
