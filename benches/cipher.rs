//! What encryption costs: the app's everyday reads on a decade of a busy practice (5,000
//! clients, 60,000 appointments with signed notes), on the encrypted store and on a
//! plaintext copy of it (`sqlcipher_export` into a database attached with `KEY ''`,
//! opened through the same `Store` code: same connections, pragmas and reads). Each case
//! runs warm (the store's normal 16 MiB page cache) and cold (a page cache of 10 pages, so
//! nearly every page is read, and decrypted, again).
//!
//! Cases: Home's dashboard, a calendar week, a client name search, opening a client (the
//! `view` audit write, then the client page's section reads, as the page's commands make
//! them), the client page's sections alone right after that write (and, for comparison,
//! on the read connection, as every read ran before reads moved to the idle writer), and
//! the Billing page. Then a one-letter search at 500 and at 5,000 clients.
//!
//! Run: `cargo bench -p kap-practice --bench cipher`. It ends with a table of each case's
//! time, encrypted and plaintext, and the ratio. The plaintext copy lives only in the
//! bench's temporary folder and is removed with it.
#![allow(clippy::unwrap_used)]
#![allow(clippy::print_stderr)] // The table of ratios.

use chrono::{NaiveDate, TimeZone, Utc};
use criterion::{criterion_group, criterion_main, Criterion};
use kap_practice::clients::{self, ClientQuery};
use kap_practice::demo::{self, DemoSize};
use kap_practice::key::DataKey;
use kap_practice::measures::{self, safety};
use kap_practice::store::{testing, Connection, Store};
use kap_practice::{appointments, billing, clearance, dashboard, drafts, followups, retention};
use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

/// The client whose page is opened.
const CLIENT: i64 = 42;
/// A cold page cache, in pages.
const COLD_PAGES: i64 = 10;
/// The store's normal page cache (`PRAGMA cache_size`, KiB).
const WARM_CACHE: i64 = -16_000;

#[path = "common/mod.rs"]
mod common;
use common::today;

/// An encrypted demo practice of `size` in `dir` (`kap_practice::demo`), and its
/// plaintext copy beside it.
fn practice_pair(dir: &Path, size: DemoSize) -> (Store, Store) {
    let raw: [u8; 32] = std::array::from_fn(|i| (i as u8).wrapping_mul(37).wrapping_add(11));
    let key = DataKey::from_bytes(&raw).unwrap();
    let enc_path = dir.join("practice.db");
    let store = Store::create(&enc_path, &key).unwrap();
    store.write(|w| common::fill_demo(w, size)).unwrap();
    let plain_path = dir.join("plaintext-copy.db");
    {
        let conn = Connection::open(&enc_path).unwrap();
        conn.pragma_update(None, "key", format!("x'{}'", hex::encode(raw)))
            .unwrap();
        conn.execute(
            "ATTACH DATABASE ?1 AS plaintext KEY ''",
            [plain_path.to_str().unwrap()],
        )
        .unwrap();
        conn.query_row("SELECT sqlcipher_export('plaintext')", [], |_| Ok(()))
            .unwrap();
        let version: i64 = conn
            .query_row("PRAGMA main.user_version", [], |r| r.get(0))
            .unwrap();
        conn.pragma_update(Some("plaintext"), "user_version", version)
            .unwrap();
        conn.execute("DETACH DATABASE plaintext", []).unwrap();
    }
    let head = std::fs::read(&plain_path).unwrap();
    assert!(
        head.starts_with(b"SQLite format 3\0"),
        "the copy is plaintext"
    );
    let plain = testing::open_plaintext_copy(&plain_path).unwrap();
    (store, plain)
}

/// The client page's section reads, each as its command makes it (one read each).
fn client_sections(store: &Store, read: impl Fn(&Store, &mut dyn FnMut(&Connection))) {
    let id = CLIENT;
    read(store, &mut |c| {
        black_box(drafts::list(c, Some(id)).unwrap());
    });
    read(store, &mut |c| {
        black_box(appointments::for_client(c, id, 200).unwrap());
    });
    read(store, &mut |c| {
        black_box(followups::for_client(c, id).unwrap());
    });
    read(store, &mut |c| {
        black_box(measures::for_client(c, id).unwrap());
        black_box(safety::flags_for_client(c, id).unwrap());
        black_box(measures::pcl5_cut_point(c).unwrap());
    });
    read(store, &mut |c| {
        black_box(clearance::record(c, id, today()).unwrap());
    });
    read(store, &mut |c| {
        black_box(billing::ledger(c, id).unwrap());
    });
    read(store, &mut |c| {
        black_box(billing::billing_profile(c, id).unwrap());
    });
}

fn on_idle(store: &Store, f: &mut dyn FnMut(&Connection)) {
    store
        .read(|c| {
            f(c);
            Ok(())
        })
        .unwrap();
}

fn on_reader(store: &Store, f: &mut dyn FnMut(&Connection)) {
    testing::read_on_reader(store, |c| {
        f(c);
        Ok(())
    })
    .unwrap();
}

/// What `open_client` does: the `view` audit row, in a write, with the retention date.
fn open_client_write(store: &Store) {
    store
        .write(|w| {
            let client = clients::open_record(w, CLIENT, today())?;
            black_box(retention::load(w.conn(), client.id, w.now())?);
            Ok(())
        })
        .unwrap();
}

/// One case: what it runs, and which part of it is timed.
enum Case {
    /// Timed whole.
    Whole(Box<dyn Fn(&Store)>),
    /// The first part untimed (a write), then the second timed.
    After(Box<dyn Fn(&Store)>, Box<dyn Fn(&Store)>),
}

/// What a therapist types to find a client: the first three letters of each of the first
/// two parts of the client's name ("mar lop").
fn name_search(store: &Store, id: i64) -> String {
    let name = store
        .read(|c| Ok(clients::get(c, id, today())?.details.legal_name))
        .unwrap();
    name.split_whitespace()
        .take(2)
        .map(|p| p.chars().take(3).collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

fn cases(search_text: String) -> Vec<(&'static str, Case)> {
    let now = Utc.with_ymd_and_hms(2026, 11, 26, 15, 0, 0).unwrap();
    // A week in the middle of the decade.
    let week = NaiveDate::from_ymd_opt(2021, 6, 7).unwrap();
    let search = ClientQuery {
        text: Some(search_text),
        ..Default::default()
    };
    vec![
        (
            "dashboard",
            Case::Whole(Box::new(move |s| {
                black_box(s.read(|c| dashboard::dashboard(c, now)).unwrap());
            })),
        ),
        (
            "calendar_week",
            Case::Whole(Box::new(move |s| {
                black_box(
                    s.read(|c| appointments::between(c, week, week + chrono::Days::new(7)))
                        .unwrap(),
                );
            })),
        ),
        (
            "client_search",
            Case::Whole(Box::new(move |s| {
                black_box(s.read(|c| clients::list(c, &search, today())).unwrap());
            })),
        ),
        (
            "open_client",
            Case::Whole(Box::new(|s| {
                open_client_write(s);
                client_sections(s, on_idle);
            })),
        ),
        (
            "client_sections_after_write",
            Case::After(
                Box::new(open_client_write),
                Box::new(|s| client_sections(s, on_idle)),
            ),
        ),
        (
            "client_sections_after_write_on_reader",
            Case::After(
                Box::new(open_client_write),
                Box::new(|s| client_sections(s, on_reader)),
            ),
        ),
        (
            "billing_page",
            Case::Whole(Box::new(|s| {
                black_box(s.read(|c| billing::practice_billing(c, today())).unwrap());
            })),
        ),
        // The global search's case goes here (the same for both stores, warm and cold).
    ]
}

/// Runs `case` `n` times; the time of the timed part.
fn run(case: &Case, store: &Store, n: u64) -> Duration {
    let mut total = Duration::ZERO;
    for _ in 0..n {
        match case {
            Case::Whole(f) => {
                let t = Instant::now();
                f(store);
                total += t.elapsed();
            }
            Case::After(first, then) => {
                first(store);
                let t = Instant::now();
                then(store);
                total += t.elapsed();
            }
        }
    }
    total
}

/// Beyond this a run is too slow for criterion's ten samples (a cold Billing page takes
/// seconds): it is measured for the table only.
const SLOW: Duration = Duration::from_millis(300);

/// The median time of a run, for the table: of 15 batches of 5 runs, or of 3 single runs
/// when one run takes longer than [`SLOW`].
fn median(case: &Case, store: &Store) -> Duration {
    if run(case, store, 1) > SLOW {
        let mut times: Vec<Duration> = (0..3).map(|_| run(case, store, 1)).collect();
        times.sort();
        return times[1];
    }
    run(case, store, 3);
    let mut times: Vec<Duration> = (0..15).map(|_| run(case, store, 5) / 5).collect();
    times.sort();
    times[times.len() / 2]
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let (encrypted, plaintext) = practice_pair(dir.path(), DemoSize::Decade);
    let stores = [("encrypted", &encrypted), ("plaintext", &plaintext)];
    let cases = cases(name_search(&encrypted, CLIENT));
    let mut table = Vec::new();
    for (cache, pages) in [("warm", WARM_CACHE), ("cold", COLD_PAGES)] {
        for (_, s) in &stores {
            testing::set_cache_size(s, pages).unwrap();
        }
        let mut g = c.benchmark_group(format!("cipher_{cache}"));
        for (name, case) in &cases {
            for (kind, store) in &stores {
                if run(case, store, 1) > SLOW {
                    continue;
                }
                g.bench_function(format!("{name}/{kind}"), |b| {
                    b.iter_custom(|iters| run(case, store, iters))
                });
            }
            let enc = median(case, &encrypted);
            let plain = median(case, &plaintext);
            table.push((*name, cache, enc, plain));
        }
        g.finish();
    }
    for (_, s) in &stores {
        testing::set_cache_size(s, WARM_CACHE).unwrap();
    }

    // A one-letter search at 500 and at 5,000 clients, encrypted, warm: the list's cost
    // should not follow the number of matches.
    let small_dir = tempfile::tempdir().unwrap();
    let (small, _small_plain) = practice_pair(
        small_dir.path(),
        DemoSize::Scaled {
            clients: demo::DECADE_CLIENTS / 10,
            appointments: demo::DECADE_APPOINTMENTS / 10,
            years: 1,
        },
    );
    fn one_letter(s: &Store) -> clients::ClientPage {
        let q = ClientQuery {
            text: Some("a".into()),
            ..Default::default()
        };
        s.read(|c| clients::list(c, &q, today())).unwrap()
    }
    // The list as it was before it was bounded (a full count, then every match sorted),
    // for the figures' "before".
    fn one_letter_before(s: &Store) -> i64 {
        s.read(|c| {
            let from = "client_search s JOIN client c ON c.id = s.rowid
                 WHERE c.status <> 'archived' AND client_search MATCH '\"a\"*'";
            let total: i64 =
                c.query_row(&format!("SELECT count(*) FROM {from}"), [], |r| r.get(0))?;
            let mut stmt = c.prepare(&format!(
                "SELECT c.id, c.legal_name, c.preferred_name, c.pronouns, c.status,
                    c.date_of_birth, c.updated_at FROM client c WHERE c.id IN (
                    SELECT c.id FROM {from} ORDER BY c.sort_name, c.id LIMIT 50 OFFSET 0)
                 ORDER BY c.sort_name, c.id"
            ))?;
            let rows = stmt
                .query_map([], |r| r.get::<_, i64>(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(total + rows.len() as i64)
        })
        .unwrap()
    }
    let mut g = c.benchmark_group("cipher_search_scale");
    let mut scale = Vec::new();
    for (label, store) in [("500_clients", &small), ("5000_clients", &encrypted)] {
        g.bench_function(format!("one_letter/{label}"), |b| {
            b.iter(|| black_box(one_letter(store)))
        });
        let page = one_letter(store);
        let found = format!(
            "{}{} match",
            if page.more { "more than " } else { "" },
            page.total
        );
        let case = Case::Whole(Box::new(|s| {
            black_box(one_letter(s));
        }));
        let before = Case::Whole(Box::new(|s| {
            black_box(one_letter_before(s));
        }));
        scale.push((label, found, median(&case, store), median(&before, store)));
    }
    g.finish();

    let us = |d: Duration| d.as_secs_f64() * 1e6;
    eprintln!();
    eprintln!("case                                   cache   encrypted µs  plaintext µs  ratio");
    for (name, cache, enc, plain) in &table {
        eprintln!(
            "{name:<38} {cache:<6} {:>13.1} {:>13.1} {:>6.2}",
            us(*enc),
            us(*plain),
            enc.as_secs_f64() / plain.as_secs_f64()
        );
    }
    eprintln!();
    for (label, found, now, before) in &scale {
        eprintln!(
            "one-letter search \"a\", {label:<13} ({found}): {:>9.1} µs (before: {:>9.1} µs)",
            us(*now),
            us(*before)
        );
    }
    eprintln!(
        "5,000 ÷ 500: {:.2} (before: {:.2})",
        scale[1].2.as_secs_f64() / scale[0].2.as_secs_f64(),
        scale[1].3.as_secs_f64() / scale[0].3.as_secs_f64()
    );
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    targets = bench
}
criterion_main!(benches);
