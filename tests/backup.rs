//! Backups and restores against real encrypted files: a restore on a fresh folder with
//! only the backup file and the passphrase brings back every record; every bad backup is
//! refused before anything changes.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use kap_practice::backup::{self, schedule};
use kap_practice::clients::{self, ClientInput};
use kap_practice::folder::PracticeFolder;
use kap_practice::key::{KdfParams, Keychain};
use kap_practice::store::Store;
use kap_practice::Error;
use rusqlite::types::ValueRef;
use std::path::{Path, PathBuf};

/// Every row of every table (the full-text indexes and their shadow tables aside, which are
/// derived, and the backup bookkeeping, which records the backup itself), as text, table by table in rowid order. Audit rows past `audit_rows` are
/// left out so a restored practice (which logs its restore) compares with its source.
fn dump(store: &Store, audit_rows: i64) -> Vec<String> {
    store
        .read(|c| {
            let mut tables: Vec<String> = c
                .prepare(
                    "SELECT name FROM sqlite_master WHERE type = 'table'
                     AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'client_search%'
                     AND name NOT LIKE 'search_text%' AND name <> 'search_vocab'
                     AND name <> 'backup_schedule' ORDER BY name",
                )?
                .query_map([], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            tables.retain(|t| !t.is_empty());
            let mut out = Vec::new();
            for t in tables {
                let filter = if t == "audit_log" {
                    format!(" WHERE seq <= {audit_rows}")
                } else if t == "disclosure" {
                    // A disclosure belongs to its audit row (the backup's own among them).
                    format!(" WHERE audit_seq <= {audit_rows}")
                } else {
                    String::new()
                };
                let mut stmt =
                    c.prepare(&format!("SELECT * FROM \"{t}\"{filter} ORDER BY rowid"))?;
                let n = stmt.column_count();
                let mut rows = stmt.query([])?;
                while let Some(r) = rows.next()? {
                    let mut line = format!("{t}:");
                    for i in 0..n {
                        match r.get_ref(i)? {
                            ValueRef::Null => line.push_str("NULL|"),
                            ValueRef::Integer(v) => line.push_str(&format!("{v}|")),
                            ValueRef::Real(v) => line.push_str(&format!("{v}|")),
                            ValueRef::Text(v) => {
                                line.push_str(&String::from_utf8_lossy(v));
                                line.push('|')
                            }
                            ValueRef::Blob(v) => line.push_str(&format!("{}|", hex::encode(v))),
                        }
                    }
                    out.push(line);
                }
            }
            Ok(out)
        })
        .unwrap()
}

/// A practice with clients, a cleared client with intakes, a screening, a prescription
/// and consent, and a completed session with a signed note.
fn busy_practice() -> (
    tempfile::TempDir,
    PracticeFolder,
    kap_practice::folder::Opened,
) {
    let (dir, folder, _kc, opened) = practice();
    let store = &opened.store;
    cleared_client(store, "Ana López-Ñúñez");
    store
        .write(|w| {
            for i in 0..40 {
                let mut c = ClientInput::named(&format!("Client {i} \"quoted\", comma; <script>"));
                c.notes = "Line one\nLine two — ünïcödé 🌿".into();
                clients::create(w, c, today())?;
            }
            Ok(())
        })
        .unwrap();
    (dir, folder, opened)
}

/// Compares two dumps, reporting only the first difference.
#[track_caller]
fn same(a: &[String], b: &[String]) {
    if let Some(i) = (0..a.len().max(b.len())).find(|&i| a.get(i) != b.get(i)) {
        panic!(
            "dumps differ at row {i} of {}/{}:\n  {:?}\n  {:?}",
            a.len(),
            b.len(),
            a.get(i),
            b.get(i)
        );
    }
}

fn backups_dir(dir: &Path) -> PathBuf {
    let b = dir.join("backups");
    std::fs::create_dir_all(&b).unwrap();
    b
}

#[test]
fn restore_on_a_new_laptop_brings_back_every_record() {
    let (dir, folder, opened) = busy_practice();
    let dest = backups_dir(dir.path()).join("practice.kapbackup");
    let info = backup::create(&folder, &opened.store, &dest).unwrap();
    let before = dump(&opened.store, info.audit_rows);
    assert!(before.len() > 100, "a real practice: {} rows", before.len());
    assert_eq!(info.schema_version, kap_practice::store::SCHEMA_VERSION);
    assert_eq!(info.practice_id, opened.practice_id);

    // The backup is encrypted: no name, note or header text of the database in the clear.
    let bytes = std::fs::read(&dest).unwrap();
    for needle in [
        "Ana L",
        "Client 1",
        "Line one",
        "SQLite format 3",
        "Union Square",
    ] {
        assert!(
            !contains(&bytes, needle.as_bytes()),
            "{needle} in the clear"
        );
    }

    // A new laptop: an empty folder, an empty keychain, the file and the passphrase.
    let laptop = tempfile::tempdir().unwrap();
    let new_folder = PracticeFolder::new(laptop.path().join("KAP Practice"));
    let keychain = mock_keychain();
    let restored = backup::restore(&new_folder, &dest, &passphrase(PASSPHRASE), &keychain).unwrap();
    assert_eq!(
        restored.safety_copy, None,
        "nothing to keep on an empty folder"
    );
    assert_eq!(restored.info, info);
    let after = dump(&restored.opened.store, info.audit_rows);
    same(&before, &after);
    // The restore itself is in the audit log, and the chain is whole.
    let chain = restored.opened.store.verify_audit().unwrap();
    assert_eq!(chain.rows, info.audit_rows + 1);
    // The last backup shown is the one restored from.
    let shown = restored.opened.store.read(schedule::get).unwrap();
    assert_eq!(shown.last_at, Some(info.created_at));
    drop(restored);
    // The next launch opens from the keychain without the passphrase.
    match new_folder.open_with_keychain(&keychain).unwrap() {
        kap_practice::folder::KeychainOpen::Opened(o) => {
            same(&dump(&o.store, info.audit_rows), &before)
        }
        other => panic!("keychain did not open the restored practice: {other:?}"),
    }
}

#[test]
fn a_backup_is_recorded_and_shown_as_the_last() {
    let (dir, folder, opened) = busy_practice();
    let before = opened.store.read(schedule::get).unwrap();
    assert_eq!(before.last_at, None);
    let dest = backups_dir(dir.path()).join("b.kapbackup");
    let info = backup::create(&folder, &opened.store, &dest).unwrap();
    let after = opened.store.read(schedule::get).unwrap();
    assert!(after.last_at.is_some());
    let log = opened
        .store
        .read(|c| {
            kap_practice::audit::for_entity(
                c,
                kap_practice::audit::EntityKind::Backup,
                info.audit_rows,
                5,
            )
        })
        .unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].action, "backup");
    assert_eq!(backup::read_info(&dest).unwrap(), info);
    let v = backup::verify(&dest, &passphrase(PASSPHRASE), dir.path()).unwrap();
    assert_eq!(v.check.audit.rows, info.audit_rows);
}

#[test]
fn bad_destinations_are_refused_and_leave_no_file() {
    let (dir, folder, opened) = busy_practice();
    for dest in [
        folder.dir().join("inside.kapbackup"),
        dir.path().join("no-such-folder/x.kapbackup"),
        PathBuf::from("relative.kapbackup"),
    ] {
        let err = backup::create(&folder, &opened.store, &dest).unwrap_err();
        assert!(matches!(err, Error::Invalid(_)), "{dest:?}: {err:?}");
        assert!(!dest.exists());
    }
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(
        names
            .iter()
            .all(|n| !n.to_string_lossy().contains("partial")),
        "{names:?}"
    );
}

/// Runs a restore of `file` over the practice in `folder` that must fail with `want`,
/// and checks the practice's files are byte for byte as they were, with no staging left.
fn refused(folder: &PracticeFolder, file: &Path, pass: &str, want: fn(&Error) -> bool) {
    let before = all_bytes(folder.dir());
    let err = backup::restore(folder, file, &passphrase(pass), &mock_keychain()).unwrap_err();
    assert!(want(&err), "{err:?}");
    assert_eq!(all_bytes(folder.dir()), before, "the practice changed");
    assert!(!folder.dir().join(backup::STAGING_DIR).exists());
    assert!(!folder.dir().join(backup::SAFETY_DIR).exists());
    // The message is plain and names nothing of the practice.
    let msg = err.to_string();
    assert!(
        !msg.contains("López") && !msg.contains(&file.display().to_string()),
        "{msg}"
    );
}

#[test]
fn wrong_passphrase_damaged_and_foreign_files_change_nothing() {
    let (dir, folder, opened) = busy_practice();
    let good = backups_dir(dir.path()).join("good.kapbackup");
    backup::create(&folder, &opened.store, &good).unwrap();
    drop(opened); // The practice is closed, as it is when restoring from the lock screen.
    let bytes = std::fs::read(&good).unwrap();
    let header_len = u32::from_le_bytes(bytes[8..12].try_into().unwrap()) as usize;
    let db_start = 12 + header_len;
    let write = |name: &str, b: &[u8]| {
        let p = dir.path().join(name);
        std::fs::write(&p, b).unwrap();
        p
    };

    refused(&folder, &good, "not the passphrase!", |e| {
        matches!(e, Error::WrongPassphrase)
    });

    let not_backups = [
        write("empty", b""),
        write("text", b"hello, this is not a backup at all"),
        write("pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"),
        write("sqlite", b"SQLite format 3\0rest of a plaintext database"),
    ];
    for p in &not_backups {
        refused(&folder, p, PASSPHRASE, |e| matches!(e, Error::NotABackup));
    }
    refused(&folder, dir.path(), PASSPHRASE, |e| {
        matches!(e, Error::NotABackup)
    });

    // One flipped byte anywhere in the encrypted database: in its first page, its middle,
    // its last byte.
    for at in [
        db_start + 20,
        db_start + (bytes.len() - db_start) / 2,
        bytes.len() - 1,
    ] {
        let mut t = bytes.clone();
        t[at] ^= 0x01;
        let p = write("flipped", &t);
        refused(&folder, &p, PASSPHRASE, |e| {
            matches!(e, Error::BackupDamaged)
        });
    }
    // Cut short, or with bytes appended.
    let p = write("short", &bytes[..bytes.len() - 4096]);
    refused(&folder, &p, PASSPHRASE, |e| {
        matches!(e, Error::BackupDamaged)
    });
    let mut long = bytes.clone();
    long.extend_from_slice(&[0u8; 4096]);
    let p = write("long", &long);
    refused(&folder, &p, PASSPHRASE, |e| {
        matches!(e, Error::BackupDamaged)
    });
    let p = write("header-only", &bytes[..db_start]);
    refused(&folder, &p, PASSPHRASE, |e| {
        matches!(e, Error::BackupDamaged)
    });

    // An altered header: a claimed audit head, a row count, a page of the database whose
    // hash is recomputed to match (the page authentication still catches it).
    let header = std::str::from_utf8(&bytes[12..db_start])
        .unwrap()
        .to_owned();
    let reheader = |h: &str, db: &[u8]| {
        let mut out = b"KAPBKUP1".to_vec();
        out.extend_from_slice(&(h.len() as u32).to_le_bytes());
        out.extend_from_slice(h.as_bytes());
        out.extend_from_slice(db);
        out
    };
    let v: serde_json::Value = serde_json::from_str(&header).unwrap();
    let mut forged = v.clone();
    forged["audit_head"] = serde_json::json!("0".repeat(64));
    let p = write(
        "forged-head",
        &reheader(&forged.to_string(), &bytes[db_start..]),
    );
    refused(&folder, &p, PASSPHRASE, |e| {
        matches!(e, Error::BackupDamaged)
    });
    let mut forged = v.clone();
    forged["audit_rows"] = serde_json::json!(3);
    let p = write(
        "forged-rows",
        &reheader(&forged.to_string(), &bytes[db_start..]),
    );
    refused(&folder, &p, PASSPHRASE, |e| {
        matches!(e, Error::BackupDamaged)
    });
    let mut db = bytes[db_start..].to_vec();
    let mid = db.len() / 2;
    db[mid] ^= 0x80;
    let mut forged = v.clone();
    forged["db_sha256"] =
        serde_json::json!(hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&db)));
    let p = write("forged-page", &reheader(&forged.to_string(), &db));
    refused(&folder, &p, PASSPHRASE, |e| {
        matches!(e, Error::BackupDamaged)
    });
    // The wrapped key altered: it no longer unwraps.
    let mut forged = v.clone();
    let wrapped = forged["key_file"]["wrapped_key"]
        .as_str()
        .unwrap()
        .to_owned();
    let flipped = format!(
        "{}{}",
        if wrapped.starts_with('0') { "1" } else { "0" },
        &wrapped[1..]
    );
    forged["key_file"]["wrapped_key"] = serde_json::json!(flipped);
    let p = write(
        "forged-key",
        &reheader(&forged.to_string(), &bytes[db_start..]),
    );
    refused(&folder, &p, PASSPHRASE, |e| {
        matches!(e, Error::WrongPassphrase)
    });
    // An unknown field, a huge header length.
    let mut forged = v.clone();
    forged["extra"] = serde_json::json!(1);
    let p = write(
        "forged-field",
        &reheader(&forged.to_string(), &bytes[db_start..]),
    );
    refused(&folder, &p, PASSPHRASE, |e| {
        matches!(e, Error::BackupDamaged)
    });
    let mut huge = bytes.clone();
    huge[8..12].copy_from_slice(&u32::MAX.to_le_bytes());
    let p = write("huge-header", &huge);
    refused(&folder, &p, PASSPHRASE, |e| {
        matches!(e, Error::BackupDamaged)
    });

    // After all of that, the practice opens as it was.
    let o = folder
        .open_with_passphrase(&passphrase(PASSPHRASE), &mock_keychain())
        .unwrap();
    o.store.verify_audit().unwrap();
}

#[test]
fn restoring_over_a_practice_keeps_a_safety_copy() {
    let (dir, folder, opened) = busy_practice();
    let dest = backups_dir(dir.path()).join("b.kapbackup");
    let info = backup::create(&folder, &opened.store, &dest).unwrap();
    let at_backup = dump(&opened.store, info.audit_rows);
    // Work after the backup, which the restore rolls back (and the safety copy keeps).
    opened
        .store
        .write(|w| clients::create(w, ClientInput::named("After The Backup"), today()))
        .unwrap();
    // The practice is open: a restore into it is refused and changes nothing.
    let err =
        backup::restore(&folder, &dest, &passphrase(PASSPHRASE), &mock_keychain()).unwrap_err();
    assert!(matches!(err, Error::InUse), "{err:?}");
    drop(opened);

    let restored =
        backup::restore(&folder, &dest, &passphrase(PASSPHRASE), &mock_keychain()).unwrap();
    same(&dump(&restored.opened.store, info.audit_rows), &at_backup);
    let safety = restored.safety_copy.clone().unwrap();
    drop(restored);
    // The safety copy is the practice as it was just before, whole and openable.
    let kept = PracticeFolder::new(&safety);
    let o = kept
        .open_with_passphrase(&passphrase(PASSPHRASE), &mock_keychain())
        .unwrap();
    let names = o
        .store
        .read(|c| {
            Ok(c.query_row(
                "SELECT count(*) FROM client WHERE legal_name = 'After The Backup'",
                [],
                |r| r.get::<_, i64>(0),
            )?)
        })
        .unwrap();
    assert_eq!(names, 1);
}

#[test]
fn an_interrupted_restore_is_finished_or_discarded() {
    let (dir, folder, opened) = busy_practice();
    let dest = backups_dir(dir.path()).join("b.kapbackup");
    let info = backup::create(&folder, &opened.store, &dest).unwrap();
    let at_backup = dump(&opened.store, info.audit_rows);
    opened
        .store
        .write(|w| clients::create(w, ClientInput::named("After The Backup"), today()))
        .unwrap();
    let current = dump(&opened.store, i64::MAX);
    drop(opened);

    // Staged but not committed (no READY marker): discarded, the practice unchanged.
    let other = tempfile::tempdir().unwrap();
    let scratch = PracticeFolder::new(other.path().join("p"));
    drop(backup::restore(&scratch, &dest, &passphrase(PASSPHRASE), &mock_keychain()).unwrap());
    let staging = folder.dir().join(backup::STAGING_DIR);
    std::fs::create_dir_all(&staging).unwrap();
    std::fs::copy(scratch.db_path(), staging.join("practice.db")).unwrap();
    assert!(backup::finish_interrupted_restore(&folder).unwrap());
    assert!(!staging.exists());
    let o = folder
        .open_with_passphrase(&passphrase(PASSPHRASE), &mock_keychain())
        .unwrap();
    same(&dump(&o.store, i64::MAX), &current);
    drop(o);

    // Committed (READY written), key file already moved, crash before the database moved:
    // opening the practice finishes the switch.
    std::fs::create_dir_all(&staging).unwrap();
    std::fs::copy(scratch.db_path(), staging.join("practice.db")).unwrap();
    std::fs::write(staging.join("READY"), b"").unwrap();
    let o = folder
        .open_with_passphrase(&passphrase(PASSPHRASE), &mock_keychain())
        .unwrap();
    same(&dump(&o.store, info.audit_rows), &at_backup);
    assert!(!staging.exists());
}

#[test]
fn a_backup_needs_the_passphrase_it_was_made_under() {
    let (dir, folder, opened) = busy_practice();
    let old = backups_dir(dir.path()).join("old.kapbackup");
    backup::create(&folder, &opened.store, &old).unwrap();
    let new_pass = "a brand new passphrase 7";
    let r = folder.change_passphrase_with_kdf(
        opened.store,
        &passphrase(PASSPHRASE),
        &passphrase(new_pass),
        &Keychain::none(),
        KdfParams::default(),
    );
    r.changed.unwrap();
    let opened = r.opened.unwrap();
    let new = backups_dir(dir.path()).join("new.kapbackup");
    backup::create(&folder, &opened.store, &new).unwrap();
    let scratch = dir.path();
    assert!(matches!(
        backup::verify(&old, &passphrase(new_pass), scratch),
        Err(Error::WrongPassphrase)
    ));
    backup::verify(&old, &passphrase(PASSPHRASE), scratch).unwrap();
    backup::verify(&new, &passphrase(new_pass), scratch).unwrap();
    assert!(matches!(
        backup::verify(&new, &passphrase(PASSPHRASE), scratch),
        Err(Error::WrongPassphrase)
    ));
}

#[test]
fn automatic_backups_run_daily_and_keep_the_last_n() {
    use std::sync::atomic::{AtomicI64, Ordering};
    use std::sync::Arc;
    let (dir, folder, opened) = busy_practice();
    drop(opened);
    // The store's clock is the test's, so "a day later" is a day later.
    let t0 = chrono::DateTime::parse_from_rfc3339("2026-11-01T09:00:00Z")
        .unwrap()
        .to_utc();
    let clock_at = Arc::new(AtomicI64::new(t0.timestamp()));
    let clock = {
        let c = clock_at.clone();
        Arc::new(move || chrono::DateTime::from_timestamp(c.load(Ordering::SeqCst), 0).unwrap())
    };
    let key = kap_practice::key::KeyFile::read(&folder.key_path())
        .unwrap()
        .unwrap(&passphrase(PASSPHRASE))
        .unwrap();
    let store = Store::open_with_clock(&folder.db_path(), &key, clock).unwrap();
    let store = &store;
    let auto = backups_dir(dir.path());
    // A backup made by hand in the same folder is never pruned.
    let by_hand = auto.join(backup::suggested_file_name(t0));
    std::fs::write(&by_hand, b"kept").unwrap();
    assert_eq!(
        schedule::run_if_due(&folder, store, t0).unwrap(),
        None,
        "off by default"
    );

    // Refused settings.
    for (f, keep) in [
        (Some(folder.dir().display().to_string()), 3),
        (Some(folder.dir().join("sub").display().to_string()), 3),
        (Some("relative/folder".to_owned()), 3),
        (Some(dir.path().join("missing").display().to_string()), 3),
        (Some(auto.display().to_string()), 0),
        (Some(auto.display().to_string()), 366),
    ] {
        let err = store
            .write(|w| {
                schedule::set(
                    w,
                    &folder,
                    schedule::BackupScheduleInput {
                        folder: f.clone(),
                        keep,
                    },
                )
            })
            .unwrap_err();
        assert!(matches!(err, Error::Invalid(_)), "{f:?} {keep}: {err:?}");
    }
    store
        .write(|w| {
            schedule::set(
                w,
                &folder,
                schedule::BackupScheduleInput {
                    folder: Some(auto.display().to_string()),
                    keep: 3,
                },
            )
        })
        .unwrap();

    // Six days, checked every six hours: one backup a day.
    let mut made = Vec::new();
    for hour in (0..24 * 6).step_by(6) {
        let now = t0 + chrono::Duration::hours(hour);
        clock_at.store(now.timestamp(), Ordering::SeqCst);
        if schedule::run_if_due(&folder, store, now).unwrap().is_some() {
            made.push(hour);
        }
    }
    assert_eq!(made, vec![0, 24, 48, 72, 96, 120]);
    let last = store.read(schedule::get).unwrap().last_at.unwrap();
    assert_eq!(last, t0 + chrono::Duration::hours(120));
    let mut autos: Vec<String> = std::fs::read_dir(&auto)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with("kap-practice-auto-"))
        .collect();
    autos.sort();
    assert_eq!(
        autos,
        vec![
            "kap-practice-auto-20261104-090000Z.kapbackup",
            "kap-practice-auto-20261105-090000Z.kapbackup",
            "kap-practice-auto-20261106-090000Z.kapbackup",
        ]
    );
    assert!(by_hand.exists(), "a backup made by hand was pruned");
    // Each kept automatic backup verifies with the passphrase.
    for a in &autos {
        backup::verify(&auto.join(a), &passphrase(PASSPHRASE), dir.path()).unwrap();
    }
    // A folder that has gone away (an unplugged disk) is a clear error, not a crash.
    let gone = dir.path().join("usb");
    std::fs::create_dir_all(&gone).unwrap();
    store
        .write(|w| {
            schedule::set(
                w,
                &folder,
                schedule::BackupScheduleInput {
                    folder: Some(gone.display().to_string()),
                    keep: 3,
                },
            )
        })
        .unwrap();
    std::fs::remove_dir(&gone).unwrap();
    clock_at.store(
        (t0 + chrono::Duration::days(9)).timestamp(),
        Ordering::SeqCst,
    );
    let err = schedule::run_if_due(&folder, store, t0 + chrono::Duration::days(9)).unwrap_err();
    assert!(matches!(err, Error::Invalid(_)), "{err:?}");
}

#[test]
fn prune_keeps_the_newest() {
    let dir = tempfile::tempdir().unwrap();
    for day in 1..=9 {
        std::fs::write(
            dir.path().join(format!(
                "kap-practice-auto-202611{day:02}-030000Z.kapbackup"
            )),
            b"x",
        )
        .unwrap();
    }
    std::fs::write(dir.path().join("holiday.jpg"), b"x").unwrap();
    let removed = schedule::prune(dir.path(), 4).unwrap();
    assert_eq!(removed.len(), 5);
    let mut left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    left.sort();
    assert_eq!(left[0], "holiday.jpg");
    assert_eq!(left[1], "kap-practice-auto-20261106-030000Z.kapbackup");
    assert_eq!(left.len(), 5);
}

#[test]
fn a_backup_reports_its_copy_and_a_cancel_leaves_nothing() {
    let (dir, folder, opened) = busy_practice();
    let out = backups_dir(dir.path());
    let dest = out.join("c.kapbackup");
    let rows = opened.store.read(kap_practice::audit::verify).unwrap().rows;

    let err = backup::create_with(&folder, &opened.store, &dest, &mut |_| false).unwrap_err();
    assert!(matches!(err, Error::Cancelled), "{err:?}");
    assert_eq!(
        std::fs::read_dir(&out).unwrap().count(),
        0,
        "no backup, no partial copy"
    );
    assert_eq!(
        opened.store.read(kap_practice::audit::verify).unwrap().rows,
        rows,
        "nothing audited"
    );
    assert_eq!(opened.store.read(schedule::get).unwrap().last_at, None);

    let mut seen = Vec::new();
    let info = backup::create_with(&folder, &opened.store, &dest, &mut |p| {
        seen.push(p);
        true
    })
    .unwrap();
    let last = *seen.last().unwrap();
    assert!(last.total > 0 && last.done == last.total, "{last:?}");
    assert!(seen.iter().all(|p| p.done <= p.total));
    assert_eq!(backup::read_info(&dest).unwrap(), info);
}

/// Every leaf of a JSON value, as a path of keys.
fn leaves(v: &serde_json::Value, path: Vec<String>, out: &mut Vec<Vec<String>>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                let mut p = path.clone();
                p.push(k.clone());
                leaves(x, p, out);
            }
        }
        _ => out.push(path),
    }
}

/// The value with one byte changed: a number's lowest bit, a string's middle character
/// (to the next one in its alphabet, so a hex hash stays hex and a date stays a date).
fn flipped(v: &serde_json::Value) -> serde_json::Value {
    match v {
        serde_json::Value::Number(n) => serde_json::json!(n.as_u64().unwrap() ^ 1),
        serde_json::Value::String(s) => {
            let mut b = s.clone().into_bytes();
            let i = b.len() / 2;
            b[i] = match b[i] {
                b'9' => b'8',
                b'f' | b'z' | b'Z' => b[i] - 1,
                c if c.is_ascii_alphanumeric() => c + 1,
                c => c ^ 1,
            };
            serde_json::json!(String::from_utf8(b).unwrap())
        }
        other => panic!("unexpected header value {other}"),
    }
}

#[test]
fn a_changed_byte_in_every_header_field_is_refused() {
    let (dir, folder, opened) = busy_practice();
    let good = backups_dir(dir.path()).join("good.kapbackup");
    backup::create(&folder, &opened.store, &good).unwrap();
    drop(opened);
    let bytes = std::fs::read(&good).unwrap();
    let len = u32::from_le_bytes(bytes[8..12].try_into().unwrap()) as usize;
    let header: serde_json::Value = serde_json::from_slice(&bytes[12..12 + len]).unwrap();
    assert_eq!(
        header["version"], 2,
        "new backups have authenticated headers"
    );
    let mut fields = Vec::new();
    leaves(&header, Vec::new(), &mut fields);
    assert!(
        fields.len() >= 14,
        "every field, the key file's too: {fields:?}"
    );
    for path in &fields {
        let mut forged = header.clone();
        let mut at = &mut forged;
        for k in path {
            at = &mut at[k.as_str()];
        }
        *at = flipped(at);
        let text = serde_json::to_vec(&forged).unwrap();
        let mut file = b"KAPBKUP1".to_vec();
        file.extend_from_slice(&(text.len() as u32).to_le_bytes());
        file.extend_from_slice(&text);
        file.extend_from_slice(&bytes[12 + len..]);
        let p = dir.path().join("forged.kapbackup");
        std::fs::write(&p, &file).unwrap();
        let field = path.join(".");
        refused(&folder, &p, PASSPHRASE, |e| {
            matches!(
                e,
                Error::BackupDamaged | Error::NotABackup | Error::WrongPassphrase
            )
        });
        // The fields the passphrase does not already vouch for fail the header's tag.
        let by_tag = !field.starts_with("key_file") && field != "format" && field != "version";
        if by_tag {
            let err = backup::check_passphrase(&p, &passphrase(PASSPHRASE)).unwrap_err();
            assert!(
                matches!(err, Error::BackupDamaged),
                "{field}: a changed header field is damage, not {err:?}"
            );
        }
    }
}

#[test]
fn a_backup_from_an_older_version_restores_with_a_note() {
    let (dir, folder, opened) = busy_practice();
    let good = backups_dir(dir.path()).join("good.kapbackup");
    let info = backup::create(&folder, &opened.store, &good).unwrap();
    drop(opened);
    // Version 1 headers had no tag.
    let bytes = std::fs::read(&good).unwrap();
    let len = u32::from_le_bytes(bytes[8..12].try_into().unwrap()) as usize;
    let mut header: serde_json::Value = serde_json::from_slice(&bytes[12..12 + len]).unwrap();
    header.as_object_mut().unwrap().remove("header_mac");
    header["version"] = serde_json::json!(1);
    let text = serde_json::to_vec(&header).unwrap();
    let mut file = b"KAPBKUP1".to_vec();
    file.extend_from_slice(&(text.len() as u32).to_le_bytes());
    file.extend_from_slice(&text);
    file.extend_from_slice(&bytes[12 + len..]);
    let old = dir.path().join("old.kapbackup");
    std::fs::write(&old, &file).unwrap();
    let v = backup::verify(&old, &passphrase(PASSPHRASE), dir.path()).unwrap();
    assert!(
        !v.header_checked,
        "an old header cannot be checked, and says so"
    );
    let r = backup::restore(&folder, &old, &passphrase(PASSPHRASE), &mock_keychain()).unwrap();
    assert!(!r.header_checked);
    assert_eq!(r.info.audit_rows, info.audit_rows);
    // A version 2 header without its tag is not an old backup: it is damaged.
    drop(r);
    header["version"] = serde_json::json!(2);
    let text = serde_json::to_vec(&header).unwrap();
    let mut file = b"KAPBKUP1".to_vec();
    file.extend_from_slice(&(text.len() as u32).to_le_bytes());
    file.extend_from_slice(&text);
    file.extend_from_slice(&bytes[12 + len..]);
    std::fs::write(&old, &file).unwrap();
    let before = all_bytes(folder.dir());
    let err =
        backup::restore(&folder, &old, &passphrase(PASSPHRASE), &mock_keychain()).unwrap_err();
    assert!(matches!(err, Error::BackupDamaged), "{err:?}");
    assert_eq!(all_bytes(folder.dir()), before, "the practice changed");
}

#[test]
fn a_backup_of_another_practice_needs_confirmation() {
    let (dir, folder, opened) = busy_practice();
    let theirs = backups_dir(dir.path()).join("theirs.kapbackup");
    let info = backup::create(&folder, &opened.store, &theirs).unwrap();
    drop(opened);
    // This laptop's own practice, another one.
    let (_here_dir, here, kc, mine) = practice();
    mine.store
        .write(|w| clients::create(w, ClientInput::named("Only Here"), today()))
        .unwrap();
    let my_id = mine.practice_id.clone();
    drop(mine);
    let before = all_bytes(here.dir());
    let err = backup::restore(&here, &theirs, &passphrase(PASSPHRASE), &kc).unwrap_err();
    assert!(matches!(err, Error::OtherPractice { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(
        msg.contains("This backup is of another practice")
            && msg.contains("replaces this practice entirely")
            && msg.contains(&info.created_at.format("%Y-%m-%d").to_string()),
        "{msg}"
    );
    assert_eq!(
        all_bytes(here.dir()),
        before,
        "nothing changed without confirmation"
    );
    assert!(!here.dir().join(backup::SAFETY_DIR).exists());
    // Confirmed: the other practice replaces this one, which is kept in a safety copy.
    let r = backup::restore_with(
        &here,
        &theirs,
        &passphrase(PASSPHRASE),
        &kc,
        backup::RestoreOptions {
            foreign: backup::ForeignPractice::Replace,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(r.opened.practice_id, info.practice_id);
    assert_ne!(r.opened.practice_id, my_id);
    assert!(r.safety_copy.is_some(), "the replaced practice is kept");
    assert!(r.header_checked);
}

#[test]
fn forged_argon2_costs_in_a_backup_header_are_refused_before_any_hashing() {
    let (dir, folder, opened) = busy_practice();
    let good = backups_dir(dir.path()).join("good.kapbackup");
    backup::create(&folder, &opened.store, &good).unwrap();
    drop(opened);
    let bytes = std::fs::read(&good).unwrap();
    let len = u32::from_le_bytes(bytes[8..12].try_into().unwrap()) as usize;
    let header: serde_json::Value = serde_json::from_slice(&bytes[12..12 + len]).unwrap();
    let practice_before = all_bytes(folder.dir());
    // 4 GiB of memory, four billion passes, 255 lanes, and below the floor.
    for (field, value) in [
        ("m_kib", serde_json::json!(4u64 * 1024 * 1024)),
        ("t", serde_json::json!(4_000_000_000u64)),
        ("p", serde_json::json!(255)),
        ("m_kib", serde_json::json!(8)),
    ] {
        let mut forged = header.clone();
        assert!(forged["key_file"]["kdf"][field].is_number(), "{field}");
        forged["key_file"]["kdf"][field] = value;
        let text = serde_json::to_vec(&forged).unwrap();
        let mut file = b"KAPBKUP1".to_vec();
        file.extend_from_slice(&(text.len() as u32).to_le_bytes());
        file.extend_from_slice(&text);
        file.extend_from_slice(&bytes[12 + len..]);
        let p = dir.path().join("forged-kdf.kapbackup");
        std::fs::write(&p, &file).unwrap();
        // Refused on reading the numbers (`KdfParams::within_bounds`), before any hashing.
        let err = backup::check_passphrase(&p, &passphrase(PASSPHRASE)).unwrap_err();
        assert!(matches!(err, Error::BackupDamaged), "{field}: {err:?}");
        let err = backup::restore(&folder, &p, &passphrase(PASSPHRASE), &mock_keychain())
            .map(drop)
            .unwrap_err();
        assert!(matches!(err, Error::BackupDamaged), "{field}: {err:?}");
    }
    assert_eq!(
        all_bytes(folder.dir()),
        practice_before,
        "the practice is unchanged"
    );
}
