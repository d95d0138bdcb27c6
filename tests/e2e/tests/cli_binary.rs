//! The shipped binary as a command-line tool: `kap-practice backup|verify|restore|export`
//! runs headless (no window), against a real practice folder, with passphrases on stdin.
#![allow(clippy::unwrap_used)]

use kap_practice::clients::{self, ClientInput};
use kap_practice::folder::PracticeFolder;
use kap_practice::key::{Keychain, Passphrase};
use kap_practice::practice::NewPractice;
use std::path::Path;

const PASS: &str = "command line passphrase 1";

fn run(args: &[&str], stdin: &str) -> (i32, String, String) {
    kap_e2e::app_cli(args, Some(stdin))
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
#[ignore = "needs the built app: run by scripts/test"]
fn the_app_binary_backs_up_verifies_restores_and_exports_headless() {
    let dir = tempfile::tempdir().unwrap();
    let folder = PracticeFolder::new(dir.path().join("practice"));
    let opened = folder
        .create(
            &NewPractice {
                practice_name: "CLI Practice".into(),
                therapist_name: "Dana".into(),
                ..Default::default()
            },
            &Passphrase::new(PASS.into()).unwrap(),
            &Keychain::none(),
        )
        .unwrap();
    opened
        .store
        .write(|w| {
            let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
            clients::create(w, ClientInput::named("Command Line Client"), today)
        })
        .unwrap();
    drop(opened);
    let backups = dir.path().join("backups");
    std::fs::create_dir_all(&backups).unwrap();
    let line = format!("{PASS}\n");
    let data = s(folder.dir()).to_owned();

    let (code, out, err) = run(&["--version"], "");
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("kap-practice "), "{out}");

    let (code, out, err) = run(
        &[
            "backup",
            "--data-dir",
            &data,
            "--to",
            s(&backups),
            "--passphrase-stdin",
        ],
        &line,
    );
    assert_eq!(code, 0, "{out}{err}");
    let file = std::fs::read_dir(&backups)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();

    let (code, out, err) = run(
        &["verify", "--backup", s(&file), "--passphrase-stdin"],
        &line,
    );
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("Backup is sound"), "{out}");

    let laptop = dir.path().join("laptop");
    let (code, out, err) = run(
        &[
            "restore",
            "--data-dir",
            s(&laptop),
            "--from",
            s(&file),
            "--passphrase-stdin",
        ],
        &line,
    );
    assert_eq!(code, 0, "{out}{err}");
    let restored = PracticeFolder::new(&laptop)
        .open_with_passphrase(&Passphrase::for_unlock(PASS.into()), &Keychain::none())
        .unwrap();
    let n: i64 = restored
        .store
        .read(|c| {
            Ok(c.query_row(
                "SELECT count(*) FROM client WHERE legal_name = 'Command Line Client'",
                [],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    assert_eq!(n, 1);
    drop(restored);

    let zip = dir.path().join("practice.zip");
    let (code, out, err) = run(
        &[
            "export",
            "--data-dir",
            &data,
            "--to",
            s(&zip),
            "--passphrase-stdin",
        ],
        &line,
    );
    assert_eq!(code, 0, "{out}{err}");
    assert!(zip.exists());

    // A wrong passphrase: exit 1, a plain message, nothing else.
    let (code, out, err) = run(
        &["verify", "--data-dir", &data, "--passphrase-stdin"],
        "not the passphrase\n",
    );
    assert_eq!(code, 1, "{out}{err}");
    assert!(err.contains("passphrase is not correct"), "{err}");
    assert!(!format!("{out}{err}").contains("Command Line Client"));
}
