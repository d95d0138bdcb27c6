//! Every file the app and the command-line tool create is owner-only (0600) and every
//! folder 0700, whatever the umask; a practice with looser modes is tightened on open;
//! a symlinked practice folder is refused.
//!
//! The umask is per process, so the umask-dependent checks run in one child: this test
//! binary run again under `sh -c 'umask 000; exec ...'`, which checks that its umask
//! really is 000 before anything else (so it cannot pass by accident under a strict one).
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::print_stdout)]

mod common;

use common::*;
use kap_practice::backup;
use kap_practice::folder::PracticeFolder;
use kap_practice::print::PrintDocument;
use kap_practice::{calendar, cli, export, Error};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

const ROLE: &str = "KAP_MODES_ROLE";

fn mode(p: &Path) -> u32 {
    std::fs::symlink_metadata(p).unwrap().permissions().mode() & 0o777
}

/// Every file and folder under `dir` (not `dir` itself), symlinks left out.
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        let t = e.file_type().unwrap();
        if t.is_dir() {
            out.push(e.path());
            out.extend(walk(&e.path()));
        } else if t.is_file() {
            out.push(e.path());
        }
    }
    out
}

fn assert_owner_only(dir: &Path, what: &str) -> usize {
    let mut n = 0;
    for p in walk(dir) {
        let want = if p.is_dir() { 0o700 } else { 0o600 };
        assert_eq!(mode(&p), want, "{what}: {} is {:o}", p.display(), mode(&p));
        n += 1;
    }
    n
}

#[test]
fn every_file_created_is_owner_only_whatever_the_umask() {
    let exe = std::env::current_exe().unwrap();
    let out = Command::new("sh")
        .arg("-c")
        .arg(
            "umask 000; exec \"$0\" --exact umask_000_child --ignored --nocapture --test-threads=1",
        )
        .arg(&exe)
        .env(ROLE, "child")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    print!("{stdout}");
    assert!(
        out.status.success() && stdout.contains("1 passed"),
        "the child failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
#[ignore = "run by every_file_created_is_owner_only_whatever_the_umask with umask 000"]
fn umask_000_child() {
    if std::env::var(ROLE).as_deref() != Ok("child") {
        return;
    }
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    assert!(
        status.lines().any(|l| l == "Umask:\t0000"),
        "the child must run with umask 000"
    );
    // A permissive world: a file made without care would be 0666, a folder 0777.
    let root = tempfile::tempdir().unwrap();
    let folder = PracticeFolder::new(root.path().join("data").join("practice"));
    let keychain = mock_keychain();
    let opened = folder
        .create(&new_practice(), &passphrase(PASSPHRASE), &keychain)
        .unwrap();
    let store = &opened.store;
    let (client, _) = cleared_client(store, "Mode Check");
    let out = root.path().join("out");
    std::fs::create_dir(&out).unwrap();

    // Every kind of document.
    PrintDocument::Consent { client_id: client }
        .save(store, &out.join("consent.pdf"), None)
        .unwrap();
    calendar::save_ics(
        store,
        date(2026, 3, 1),
        date(2026, 4, 1),
        true,
        &out.join("schedule.ics"),
    )
    .unwrap();
    export::client_zip(store, client, &out.join("client.zip"), None).unwrap();
    export::client_record_pdf(store, client, &out.join("record.pdf"), None).unwrap();
    let bak = out.join("practice.kapbackup");
    backup::create(&folder, store, &bak).unwrap();
    drop(opened);

    // The command-line tool: an export, and a verify of the backup (its scratch copy).
    let run = |args: &[&str], stdin: &str| {
        let mut input = std::io::Cursor::new(stdin.as_bytes().to_vec());
        let (mut o, mut e) = (Vec::new(), Vec::new());
        let mut io = cli::Io {
            stdin: &mut input,
            stdout: &mut o,
            stderr: &mut e,
            terminal: false,
        };
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let code = cli::run(&args, &mut io, &keychain);
        assert_eq!(code, 0, "{args:?}: {}", String::from_utf8_lossy(&e));
    };
    let data = folder.dir().to_str().unwrap().to_owned();
    let cli_zip = out.join("cli-export.zip");
    run(
        &[
            "export",
            "--data-dir",
            &data,
            "--passphrase-stdin",
            "--to",
            cli_zip.to_str().unwrap(),
        ],
        &format!("{PASSPHRASE}\n"),
    );
    run(
        &[
            "verify",
            "--backup",
            bak.to_str().unwrap(),
            "--passphrase-stdin",
        ],
        &format!("{PASSPHRASE}\n"),
    );

    // A restore over the practice: staging and a safety copy.
    let restored = backup::restore(&folder, &bak, &passphrase(PASSPHRASE), &keychain).unwrap();
    let safety = restored.safety_copy.clone().unwrap();
    assert!(safety.join("practice.db").is_file());
    assert!(restored.opened.store.path().is_file());
    // A passphrase change (a new key: the database re-encrypted into staging and switched
    // in), and a wrong passphrase counted on disk.
    let rekeyed = folder.change_passphrase_with_kdf(
        restored.opened.store,
        &passphrase(PASSPHRASE),
        &passphrase("a brand new passphrase"),
        &keychain,
        kap_practice::key::KdfParams::default(),
    );
    rekeyed.changed.unwrap();
    drop(rekeyed.opened.unwrap());
    let wrong = folder.open_with_passphrase(&passphrase(PASSPHRASE), &keychain);
    assert!(wrong.is_err());
    assert!(folder.attempts_path().is_file());
    let o = folder
        .open_with_passphrase(&passphrase("a brand new passphrase"), &keychain)
        .unwrap();
    assert!(!folder.attempts_path().exists(), "cleared by the right one");
    let _ = folder.open_with_passphrase(&passphrase("wrong again, once more"), &keychain);

    // Everything the app and the tool made.
    assert_eq!(mode(folder.dir()), 0o700, "the practice folder");
    let in_practice = assert_owner_only(folder.dir(), "practice folder");
    let names: Vec<String> = walk(folder.dir())
        .iter()
        .map(|p| p.strip_prefix(folder.dir()).unwrap().display().to_string())
        .collect();
    for expected in [
        "practice.db",
        "practice.db-wal",
        "practice.db-shm",
        "practice.db.lock",
        "practice.key",
        "safety",
    ] {
        assert!(
            names.iter().any(|n| n == expected),
            "{expected} in {names:?}"
        );
    }
    let outputs = assert_owner_only(&out, "saved documents");
    assert_eq!(
        outputs, 6,
        "five documents and the CLI's export, no partial file"
    );
    assert!(
        names.iter().any(|n| n == "unlock-attempts.json"),
        "{names:?}"
    );
    drop(o);
    println!(
        "file-modes: umask 000; {in_practice} files and folders in the practice, {outputs} saved files: all 0600/0700"
    );
}

#[test]
fn an_existing_practice_with_loose_modes_is_tightened_on_open() {
    let (_d, folder, keychain, opened) = practice();
    drop(opened);
    let set = |p: &Path, m: u32| std::fs::set_permissions(p, std::fs::Permissions::from_mode(m));
    set(folder.dir(), 0o755).unwrap();
    for p in walk(folder.dir()) {
        set(&p, 0o644).unwrap();
    }
    // A partial file a crash left behind.
    let stale = folder.dir().join(".practice-export.zip.partial");
    std::fs::write(&stale, b"half").unwrap();
    set(&stale, 0o644).unwrap();

    let o = folder
        .open_with_passphrase(&passphrase(PASSPHRASE), &keychain)
        .unwrap();
    assert_eq!(mode(folder.dir()), 0o700);
    assert!(!stale.exists(), "stale partial files are removed at start");
    let n = assert_owner_only(folder.dir(), "after open");
    assert!(n >= 4, "{n}");
    drop(o);

    // The keychain path tightens too.
    set(&folder.key_path(), 0o644).unwrap();
    let kap_practice::folder::KeychainOpen::Opened(o) =
        folder.open_with_keychain(&keychain).unwrap()
    else {
        panic!("the keychain holds the key")
    };
    assert_eq!(mode(&folder.key_path()), 0o600);
    drop(o);
}

#[test]
fn a_symlinked_practice_folder_is_refused() {
    let (d, folder, keychain, opened) = practice();
    drop(opened);
    let link = d.path().join("linked-practice");
    std::os::unix::fs::symlink(folder.dir(), &link).unwrap();
    let linked = PracticeFolder::new(&link);
    let before = all_bytes(folder.dir());
    for result in [
        linked
            .open_with_passphrase(&passphrase(PASSPHRASE), &keychain)
            .map(drop),
        linked.open_with_keychain(&keychain).map(drop),
        linked
            .create(&new_practice(), &passphrase(PASSPHRASE), &keychain)
            .map(drop),
    ] {
        let err = result.unwrap_err();
        assert!(
            matches!(&err, Error::Conflict(m) if m.contains("link")),
            "{err:?}"
        );
        assert!(!err.to_string().contains(link.to_str().unwrap()));
    }
    // A new practice at a link to an empty folder is refused too.
    let empty = d.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let link2 = d.path().join("link-to-empty");
    std::os::unix::fs::symlink(&empty, &link2).unwrap();
    let err = PracticeFolder::new(&link2)
        .create(&new_practice(), &passphrase(PASSPHRASE), &keychain)
        .unwrap_err();
    assert!(matches!(err, Error::Conflict(_)), "{err:?}");
    assert_eq!(std::fs::read_dir(&empty).unwrap().count(), 0);
    assert_eq!(all_bytes(folder.dir()), before, "nothing changed");
}
