//! Crash safety: a writer process is killed with SIGKILL at random moments, again and
//! again, and after every kill the database must hold every commit the writer
//! acknowledged, pass SQLCipher's page authentication and SQLite's integrity check, and
//! keep an unbroken audit chain. Also killed: a migration, a passphrase change, a backup
//! and a restore.
//!
//! The child is this same test binary, run as `<exe> --exact child --ignored` with
//! `KAP_CRASH_ROLE` naming its job. It prints `ack ...` after each commit returns.
//! Cycles: `KAP_CRASH_CYCLES` (writer kills, default 200) and `KAP_CRASH_SLOW_CYCLES`
//! (the backup and restore kills, whose every step runs Argon2; default 20) and
//! `KAP_CRASH_REKEY_CYCLES` (passphrase changes, each a new key; default 20).
//! `scripts/reliability` runs the long version and prints the figures.
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::print_stdout)]

mod common;

use common::*;
use kap_practice::backup;
use kap_practice::clients::{self, ClientInput};
use kap_practice::folder::PracticeFolder;
use kap_practice::key::{DataKey, KdfParams, KeyFile, Keychain, Passphrase};
use kap_practice::store::{self, Store};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const ROLE: &str = "KAP_CRASH_ROLE";

fn cycles(var: &str, default: usize) -> usize {
    std::env::var(var)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn random_u64() -> u64 {
    let mut b = [0u8; 8];
    getrandom::fill(&mut b).unwrap();
    u64::from_le_bytes(b)
}

/// A random duration in [0, max).
fn random_delay(max: Duration) -> Duration {
    let micros = max.as_micros().max(1) as u64;
    Duration::from_micros(random_u64() % micros)
}

// ---------------------------------------------------------------------------------------
// The child.

fn ack(line: &str) {
    let mut out = std::io::stdout().lock();
    writeln!(out, "ack {line}").unwrap();
    out.flush().unwrap();
}

fn env_path(name: &str) -> PathBuf {
    PathBuf::from(std::env::var(name).unwrap())
}

fn env_key() -> DataKey {
    DataKey::from_bytes(&hex::decode(std::env::var("KAP_CRASH_KEY").unwrap()).unwrap()).unwrap()
}

/// The notes a writer gives its n-th client: 0 to 6 KB, so commits span one or several
/// pages.
fn notes_for(n: u64) -> String {
    let len = (n * 2654435761) % 6000;
    let mut s = format!("note {n}: ");
    while s.len() < len as usize {
        s.push_str("integration themes, grief and renewal; ");
    }
    s
}

fn child_writer() {
    let store = Store::open(&env_path("KAP_CRASH_DB"), &env_key()).unwrap();
    ack("open");
    let start: u64 = std::env::var("KAP_CRASH_START").unwrap().parse().unwrap();
    let mut last: Option<i64> = None;
    for n in start.. {
        // Each commit creates a client with a note; every fourth also archives the one
        // before: two rows, an index and the audit log change in one transaction.
        let archive = last.filter(|_| n % 4 == 0);
        let id = store
            .write(|w| {
                let mut c = ClientInput::named(&format!("Crash Client {n}"));
                c.notes = notes_for(n);
                let id = clients::create(w, c, today())?;
                if let Some(prev) = archive {
                    clients::archive(w, prev)?;
                }
                Ok(id)
            })
            .unwrap();
        ack(&format!("client {n} {id} {}", archive.unwrap_or(0)));
        last = Some(id);
    }
}

fn child_migrate() {
    ack("opening");
    let store = Store::open(&env_path("KAP_CRASH_DB"), &env_key()).unwrap();
    ack(&format!("migrated {}", store.schema_version().unwrap()));
}

fn child_passphrase() {
    let folder = PracticeFolder::new(env_path("KAP_CRASH_DIR"));
    let (a, b) = (passphrase(PASS_A), passphrase(PASS_B));
    // Start from whichever passphrase the key file holds now (finishing a committed
    // switch a kill interrupted, as every open does).
    backup::finish_interrupted_restore(&folder).unwrap();
    let mut current_is_a = unwraps(&folder, &a);
    let mut opened = folder
        .open_with_passphrase(if current_is_a { &a } else { &b }, &Keychain::none())
        .unwrap();
    ack("open");
    loop {
        let (cur, new) = if current_is_a { (&a, &b) } else { (&b, &a) };
        let r = folder.change_passphrase_with_kdf(
            opened.store,
            cur,
            new,
            &Keychain::none(),
            KdfParams::default(),
        );
        r.changed.unwrap();
        opened = r.opened.unwrap();
        current_is_a = !current_is_a;
        ack(if current_is_a { "A" } else { "B" });
    }
}

fn child_backup() {
    let folder = PracticeFolder::new(env_path("KAP_CRASH_DIR"));
    let store = Store::open(&folder.db_path(), &env_key()).unwrap();
    let dest = env_path("KAP_CRASH_DEST");
    ack("open");
    for n in 0.. {
        let file = dest.join(format!("b-{}-{n}.kapbackup", std::process::id()));
        backup::create(&folder, &store, &file).unwrap();
        ack(&format!("backup {}", file.display()));
    }
}

fn child_restore() {
    let folder = PracticeFolder::new(env_path("KAP_CRASH_DIR"));
    let files = [env_path("KAP_CRASH_FROM_A"), env_path("KAP_CRASH_FROM_B")];
    ack("start");
    for n in 0.. {
        let r = backup::restore(
            &folder,
            &files[n % 2],
            &passphrase(PASS_A),
            &Keychain::none(),
        )
        .unwrap();
        drop(r);
        ack(&format!("restored {}", n % 2));
    }
}

const PASS_A: &str = "crash passphrase alpha";
const PASS_B: &str = "crash passphrase bravo";

/// The child's entry point; does nothing unless run by a parent below.
#[test]
#[ignore = "run by the crash tests as a child process"]
fn child() {
    match std::env::var(ROLE).as_deref() {
        Ok("writer") => child_writer(),
        Ok("migrate") => child_migrate(),
        Ok("passphrase") => child_passphrase(),
        Ok("backup") => child_backup(),
        Ok("restore") => child_restore(),
        _ => {}
    }
}

// ---------------------------------------------------------------------------------------
// The parent.

struct Spawned {
    child: Child,
    lines: mpsc::Receiver<String>,
}

fn spawn(role: &str, env: &[(&str, String)]) -> Spawned {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args([
        "--exact",
        "child",
        "--ignored",
        "--nocapture",
        "--test-threads=1",
        "-q",
    ])
    .env(ROLE, role)
    .stdout(Stdio::piped())
    .stderr(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap();
    let out = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            if let Some(rest) = line.strip_prefix("ack ") {
                if tx.send(rest.to_owned()).is_err() {
                    break;
                }
            }
        }
    });
    Spawned { child, lines: rx }
}

impl Spawned {
    /// Waits for the next acknowledgement (or the child's end).
    fn next(&self, timeout: Duration) -> Option<String> {
        self.lines.recv_timeout(timeout).ok()
    }

    /// SIGKILL, then collects every line the child printed before dying.
    fn kill(mut self) -> Vec<String> {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let mut rest = Vec::new();
        while let Ok(l) = self.lines.recv_timeout(Duration::from_secs(5)) {
            rest.push(l);
        }
        rest
    }
}

fn key_env(key: &DataKey) -> (&'static str, String) {
    ("KAP_CRASH_KEY", hex::encode(key.as_bytes()))
}

/// Both integrity checks and the audit chain, on the file itself.
fn assert_sound(db: &Path, key: &DataKey) -> store::FileCheck {
    store::verify_file(db, key).unwrap_or_else(|e| panic!("database not sound after a kill: {e:?}"))
}

#[derive(Debug, Clone, PartialEq)]
struct Expect {
    name: String,
    notes_len: usize,
    archived: bool,
}

#[test]
fn killing_the_writer_never_loses_an_acknowledged_commit() {
    let total = cycles("KAP_CRASH_CYCLES", 200);
    let per_db = 50;
    let started = Instant::now();
    let (mut acked_commits, mut kills_before_open, mut max_in_cycle) = (0usize, 0usize, 0usize);
    let mut done = 0;
    while done < total {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("practice.db");
        let key = DataKey::generate().unwrap();
        drop(Store::create(&db, &key).unwrap());
        let mut expected: BTreeMap<i64, Expect> = BTreeMap::new();
        let mut next_n = 0u64;
        for _ in 0..per_db.min(total - done) {
            let child = spawn(
                "writer",
                &[
                    ("KAP_CRASH_DB", db.display().to_string()),
                    ("KAP_CRASH_START", next_n.to_string()),
                    key_env(&key),
                ],
            );
            // Kill anywhere from during start-up and opening to deep into the writes.
            std::thread::sleep(random_delay(Duration::from_millis(120)));
            let lines = child.kill();
            if !lines.iter().any(|l| l == "open") {
                kills_before_open += 1;
            }
            let mut in_cycle = 0;
            for l in &lines {
                let parts: Vec<&str> = l.split(' ').collect();
                if parts[0] != "client" {
                    continue;
                }
                let (n, id, archived): (u64, i64, i64) = (
                    parts[1].parse().unwrap(),
                    parts[2].parse().unwrap(),
                    parts[3].parse().unwrap(),
                );
                expected.insert(
                    id,
                    Expect {
                        name: format!("Crash Client {n}"),
                        notes_len: notes_for(n).len(),
                        archived: false,
                    },
                );
                if archived != 0 {
                    expected.get_mut(&archived).unwrap().archived = true;
                }
                next_n = n + 1;
                in_cycle += 1;
            }
            // A commit that landed but whose ack was lost with the kill is allowed;
            // the next writer starts after it.
            acked_commits += in_cycle;
            max_in_cycle = max_in_cycle.max(in_cycle);

            let check = assert_sound(&db, &key);
            let store = Store::open(&db, &key).unwrap();
            // The search index changed in the same transactions: after any kill it holds
            // exactly the clients there are, and finds the last one acknowledged.
            let findings = store.read(kap_practice::search::index_findings).unwrap();
            assert!(findings.is_empty(), "{findings:?}");
            if let Some(last) = next_n.checked_sub(1) {
                let found = store
                    .read(|c| {
                        kap_practice::search::search(c, &format!("crash client {last}"), today())
                    })
                    .unwrap();
                assert!(
                    found
                        .groups
                        .iter()
                        .any(|g| g.kind == kap_practice::search::HitKind::Client),
                    "the last acknowledged client is found"
                );
            }
            let rows: BTreeMap<i64, Expect> = store
                .read(|c| {
                    let mut stmt =
                        c.prepare("SELECT id, legal_name, length(notes), status FROM client")?;
                    let rows = stmt
                        .query_map([], |r| {
                            Ok((
                                r.get::<_, i64>(0)?,
                                Expect {
                                    name: r.get(1)?,
                                    notes_len: r.get::<_, i64>(2)? as usize,
                                    archived: r.get::<_, String>(3)? == "archived",
                                },
                            ))
                        })?
                        .collect::<Result<_, _>>()?;
                    Ok(rows)
                })
                .unwrap();
            for (id, want) in &expected {
                let got = rows
                    .get(id)
                    .unwrap_or_else(|| panic!("acknowledged client {id} lost"));
                assert_eq!(got.name, want.name, "client {id}");
                assert_eq!(got.notes_len, want.notes_len, "client {id}");
                if want.archived {
                    assert!(got.archived, "acknowledged archive of {id} lost");
                }
            }
            // At most one unacknowledged commit per kill, never a phantom.
            let max_n = rows
                .values()
                .filter_map(|e| e.name.strip_prefix("Crash Client ")?.parse::<u64>().ok())
                .max();
            if let Some(m) = max_n {
                assert!(
                    m <= next_n,
                    "a commit appeared that was never made: {m} > {next_n}"
                );
                next_n = next_n.max(m + 1);
            }
            assert!(check.audit.rows >= expected.len() as i64);
            drop(store);
            done += 1;
        }
    }
    println!(
        "crash/writer: {done} SIGKILLs, {acked_commits} acknowledged commits all present, \
         {kills_before_open} kills before the store was open, up to {max_in_cycle} commits \
         per run, integrity, audit and the search index checked after every kill, {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

#[test]
fn killing_a_migration_leaves_the_old_or_the_new_schema() {
    let total = cycles("KAP_CRASH_CYCLES", 200) / 4;
    let started = Instant::now();
    let (mut rolled_back, mut completed, mut mid) = (0, 0, 0);
    for i in 0..total {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("practice.db");
        let key = DataKey::generate().unwrap();
        let from = 1 + i % (store::SCHEMA_VERSION as usize - 1);
        store::testing::create_at_version(&db, &key, from).unwrap();
        {
            let c = rusqlite::Connection::open(&db).unwrap();
            c.pragma_update(None, "key", format!("x'{}'", hex::encode(key.as_bytes())))
                .unwrap();
            c.execute(
                "INSERT INTO client (legal_name, sort_name, status, fee_arrangement, created_at, updated_at)
                 VALUES ('Before Upgrade', 'before upgrade', 'active', '{\"kind\":\"standard\",\"agreed\":[],\"note\":null}',
                         '2020-01-01T00:00:00Z', '2020-01-01T00:00:00Z')",
                [],
            )
            .unwrap();
        }
        let child = spawn(
            "migrate",
            &[("KAP_CRASH_DB", db.display().to_string()), key_env(&key)],
        );
        // Wait until the child is about to migrate, then kill within the migration's span.
        let opening = child.next(Duration::from_secs(30));
        assert_eq!(opening.as_deref(), Some("opening"));
        std::thread::sleep(random_delay(Duration::from_millis(30)));
        let lines = child.kill();
        let finished = lines.iter().any(|l| l.starts_with("migrated"));
        let version: i64 = {
            let c = rusqlite::Connection::open(&db).unwrap();
            c.pragma_update(None, "key", format!("x'{}'", hex::encode(key.as_bytes())))
                .unwrap();
            c.query_row("PRAGMA user_version", [], |r| r.get(0))
                .unwrap()
        };
        assert!(
            version == from as i64 || version == store::SCHEMA_VERSION,
            "half a migration: at {version}, from {from}"
        );
        if finished {
            completed += 1;
        } else if version == from as i64 {
            rolled_back += 1;
        } else {
            // Committed, killed before it could say so.
            mid += 1;
        }
        assert_sound(&db, &key);
        let store = Store::open(&db, &key).unwrap();
        assert_eq!(store.schema_version().unwrap(), store::SCHEMA_VERSION);
        let kept: i64 = store
            .read(|c| {
                Ok(c.query_row(
                    "SELECT count(*) FROM client WHERE legal_name = 'Before Upgrade'",
                    [],
                    |r| r.get(0),
                )?)
            })
            .unwrap();
        assert_eq!(kept, 1);
        assert_sound(&db, &key);
    }
    println!(
        "crash/migration: {total} SIGKILLs during upgrades: {rolled_back} rolled back to the old \
         schema, {mid} committed but unacknowledged, {completed} finished; every one reopened \
         and upgraded with its data, {:.1} s",
        started.elapsed().as_secs_f64()
    );
    assert!(rolled_back > 0, "no kill landed inside a migration");
}

fn practice_with_key(dir: &Path, pass: &str) -> (PracticeFolder, DataKey) {
    let folder = PracticeFolder::new(dir.join("practice"));
    let opened = folder
        .create_with_kdf(
            &new_practice(),
            &passphrase(pass),
            &Keychain::none(),
            KdfParams::default(),
        )
        .unwrap();
    cleared_client(&opened.store, "Ana López");
    drop(opened);
    let key = KeyFile::read(&folder.key_path())
        .unwrap()
        .unwrap(&passphrase(pass))
        .unwrap();
    (folder, key)
}

fn unwraps(folder: &PracticeFolder, p: &Passphrase) -> bool {
    KeyFile::read(&folder.key_path()).unwrap().unwrap(p).is_ok()
}

#[test]
fn killing_a_rekey_leaves_one_passphrase_with_its_own_key() {
    let total = cycles("KAP_CRASH_REKEY_CYCLES", 20);
    let started = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let (folder, _key) = practice_with_key(dir.path(), PASS_A);
    let (a, b) = (passphrase(PASS_A), passphrase(PASS_B));
    let mut expect_a = true;
    let mut changes = 0;
    let mut finished_on_open = 0;
    let mut keys = std::collections::HashSet::new();
    // How long one change takes on this machine (Argon2 twice, a copy, its checks): the
    // kills are spread over a little more than that.
    let period = {
        let child = spawn(
            "passphrase",
            &[("KAP_CRASH_DIR", folder.dir().display().to_string())],
        );
        assert_eq!(child.next(Duration::from_secs(30)).as_deref(), Some("open"));
        let t = Instant::now();
        let first = child.next(Duration::from_secs(60));
        let period = t.elapsed();
        let lines = child.kill();
        if let Some(last) = first
            .iter()
            .chain(lines.iter())
            .rev()
            .find(|l| *l == "A" || *l == "B")
        {
            expect_a = last == "A";
        }
        period
    };
    for cycle in 0..total {
        let child = spawn(
            "passphrase",
            &[("KAP_CRASH_DIR", folder.dir().display().to_string())],
        );
        assert_eq!(child.next(Duration::from_secs(30)).as_deref(), Some("open"));
        // The other crash tests run beside this one, so a change can take several times
        // the period measured above. Every fourth cycle waits for one change to be
        // acknowledged before its kill lands somewhere in the next, so completed changes
        // are always among the cases, however loaded the machine.
        let mut acked = Vec::new();
        if cycle % 4 == 3 {
            acked.extend(child.next(Duration::from_secs(60)));
        }
        std::thread::sleep(random_delay(period.mul_f64(1.3)));
        let mut lines = child.kill();
        lines.splice(0..0, acked);
        if let Some(last) = lines.iter().rev().find(|l| *l == "A" || *l == "B") {
            expect_a = last == "A";
        }
        changes += lines.iter().filter(|l| *l == "A" || *l == "B").count();
        if backup::restore_pending(&folder) {
            finished_on_open += 1;
        }
        // Exactly one passphrase opens, and it opens with the key that encrypts the
        // database: opening finishes or discards an interrupted switch first.
        backup::finish_interrupted_restore(&folder).unwrap();
        let (acked, next) = if expect_a { (&a, &b) } else { (&b, &a) };
        let (opens_acked, opens_next) = (unwraps(&folder, acked), unwraps(&folder, next));
        assert!(
            opens_acked ^ opens_next,
            "exactly one passphrase unwraps the key file ({opens_acked}, {opens_next})"
        );
        if opens_next {
            // Changed, but killed before it was said.
            expect_a = !expect_a;
        }
        let pass = if expect_a { &a } else { &b };
        let key = KeyFile::read(&folder.key_path())
            .unwrap()
            .unwrap(pass)
            .unwrap();
        keys.insert(key.as_bytes().to_vec());
        assert_sound(&folder.db_path(), &key);
        let leftovers: Vec<_> = std::fs::read_dir(folder.dir())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert!(
            !leftovers.iter().any(|n| n == "restore-staging"),
            "{leftovers:?}"
        );
    }
    let o = folder
        .open_with_passphrase(if expect_a { &a } else { &b }, &Keychain::none())
        .unwrap();
    o.store.verify_audit().unwrap();
    let clients: i64 = o
        .store
        .read(|c| Ok(c.query_row("SELECT count(*) FROM client", [], |r| r.get(0))?))
        .unwrap();
    assert_eq!(clients, 1, "the data came through every rekey");
    println!(
        "crash/rekey: {total} SIGKILLs during {changes} passphrase changes of {:.2} s each (a \
         new key each time, {} distinct keys seen); {finished_on_open} kills fell after the \
         commit and were finished on open; the practice always opened with exactly one \
         passphrase and that passphrase's key, {:.1} s",
        period.as_secs_f64(),
        keys.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(changes > 0 || total < 5, "no change ever finished");
}

#[test]
fn killing_a_backup_leaves_no_half_backup_and_the_practice_intact() {
    let total = cycles("KAP_CRASH_SLOW_CYCLES", 20);
    let started = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let (folder, key) = practice_with_key(dir.path(), PASS_A);
    let dest = dir.path().join("backups");
    std::fs::create_dir_all(&dest).unwrap();
    let mut made = 0;
    for _ in 0..total {
        let child = spawn(
            "backup",
            &[
                ("KAP_CRASH_DIR", folder.dir().display().to_string()),
                ("KAP_CRASH_DEST", dest.display().to_string()),
                key_env(&key),
            ],
        );
        assert_eq!(child.next(Duration::from_secs(30)).as_deref(), Some("open"));
        std::thread::sleep(random_delay(Duration::from_millis(80)));
        made += child.kill().len();
        assert_sound(&folder.db_path(), &key);
    }
    // Every file under a backup's name is a whole, sound backup; half-written ones only
    // ever exist under a hidden `.partial` name.
    let mut whole = 0;
    for e in std::fs::read_dir(&dest).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with(".kapbackup") {
            let info = backup::read_info(&p).unwrap();
            whole += 1;
            // A full check of a sample (each runs Argon2).
            if whole % 5 == 1 {
                let v = backup::verify(&p, &passphrase(PASS_A), dir.path()).unwrap();
                assert_eq!(v.info, info);
            }
        } else {
            assert!(name.starts_with('.') && name.contains(".partial"), "{name}");
        }
    }
    assert!(
        whole >= made,
        "{whole} backups on disk, {made} acknowledged"
    );
    println!(
        "crash/backup: {total} SIGKILLs during backups; {whole} backup files, all whole \
         ({made} acknowledged), the practice sound after every kill, {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

#[test]
fn killing_a_restore_leaves_one_whole_practice() {
    let total = cycles("KAP_CRASH_SLOW_CYCLES", 20);
    let started = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let (folder, key) = practice_with_key(dir.path(), PASS_A);
    let backups = dir.path().join("backups");
    std::fs::create_dir_all(&backups).unwrap();
    // Two backups of the same practice, one client apart.
    let (a, b) = (backups.join("a.kapbackup"), backups.join("b.kapbackup"));
    {
        let store = Store::open(&folder.db_path(), &key).unwrap();
        backup::create(&folder, &store, &a).unwrap();
        store
            .write(|w| clients::create(w, ClientInput::named("Only In B"), today()))
            .unwrap();
        backup::create(&folder, &store, &b).unwrap();
    }
    let (mut restores, mut finished_on_open) = (0, 0);
    for _ in 0..total {
        let child = spawn(
            "restore",
            &[
                ("KAP_CRASH_DIR", folder.dir().display().to_string()),
                ("KAP_CRASH_FROM_A", a.display().to_string()),
                ("KAP_CRASH_FROM_B", b.display().to_string()),
            ],
        );
        assert_eq!(
            child.next(Duration::from_secs(30)).as_deref(),
            Some("start")
        );
        std::thread::sleep(random_delay(Duration::from_millis(900)));
        restores += child.kill().len();
        if backup::finish_interrupted_restore(&folder).unwrap() {
            finished_on_open += 1;
        }
        assert!(KeyFile::read(&folder.key_path()).unwrap().matches(&key));
        assert_sound(&folder.db_path(), &key);
        let store = Store::open(&folder.db_path(), &key).unwrap();
        let n: i64 = store
            .read(|c| Ok(c.query_row("SELECT count(*) FROM client", [], |r| r.get(0))?))
            .unwrap();
        assert!(n == 1 || n == 2, "{n} clients: not one of the two backups");
    }
    let leftover = folder.dir().join(backup::STAGING_DIR);
    assert!(!leftover.exists());
    println!(
        "crash/restore: {total} SIGKILLs during {restores} restores; {finished_on_open} \
         interrupted switches finished or discarded on the next open; the practice was \
         always one whole backup, {:.1} s",
        started.elapsed().as_secs_f64()
    );
}
