//! The command-line tool, run in-process exactly as the binary runs it: backup, verify,
//! restore onto a new folder, export and change-passphrase, with the audit rows the app
//! writes; usage errors and wrong passphrases exit non-zero with a plain message.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use kap_practice::cli;
use kap_practice::key::Keychain;
use std::path::Path;

fn run(args: &[&str], stdin: &str, keychain: &Keychain) -> CliRun {
    cli_run(args, stdin, keychain)
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn back_up_verify_restore_export_and_change_passphrase() {
    let (dir, folder, keychain, opened) = practice();
    cleared_client(&opened.store, "Ana López");
    drop(opened);
    let data = s(folder.dir()).to_owned();
    let backups = dir.path().join("backups");
    std::fs::create_dir_all(&backups).unwrap();

    // Backup into a folder: the keychain opens the practice, no passphrase asked.
    let r = run(
        &["backup", "--data-dir", &data, "--to", s(&backups)],
        "",
        &keychain,
    );
    assert_eq!(r.code, 0, "{}", r.err);
    assert!(r.out.starts_with("Backed up to "), "{}", r.out);
    let file = std::fs::read_dir(&backups)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    assert!(file.extension().unwrap() == "kapbackup");

    // Verify the backup with its passphrase, and the live practice.
    let line = format!("{PASSPHRASE}\n");
    let r = run(
        &["verify", "--backup", s(&file), "--passphrase-stdin"],
        &line,
        &keychain,
    );
    assert_eq!(r.code, 0, "{}", r.err);
    assert!(r.out.contains("Backup is sound"), "{}", r.out);
    let r = run(&["verify", "--data-dir", &data], "", &keychain);
    assert_eq!(r.code, 0, "{}", r.err);
    assert!(r.out.contains("audit chain whole"), "{}", r.out);

    // Restore on a "new laptop": an empty folder and keychain, the file and passphrase.
    let laptop = dir.path().join("laptop");
    let fresh = mock_keychain();
    let r = run(
        &[
            "restore",
            "--data-dir",
            s(&laptop),
            "--from",
            s(&file),
            "--passphrase-stdin",
        ],
        &line,
        &fresh,
    );
    assert_eq!(r.code, 0, "{}", r.err);
    assert!(r.out.contains("Restored into"), "{}", r.out);
    // Restoring over an existing practice from a script needs --yes.
    let r = run(
        &[
            "restore",
            "--data-dir",
            s(&laptop),
            "--from",
            s(&file),
            "--passphrase-stdin",
        ],
        &line,
        &fresh,
    );
    assert_eq!(r.code, 2, "{}", r.out);
    let r = run(
        &[
            "restore",
            "--data-dir",
            s(&laptop),
            "--from",
            s(&file),
            "--passphrase-stdin",
            "--yes",
        ],
        &line,
        &fresh,
    );
    assert_eq!(r.code, 0, "{}", r.err);
    assert!(r.out.contains("kept in"), "a safety copy: {}", r.out);

    // Export the whole practice and one client from the restored copy. Export always
    // asks for the passphrase, even though this computer's keychain holds the key.
    let zip = dir.path().join("practice.zip");
    let r = run(
        &["export", "--data-dir", s(&laptop), "--to", s(&zip)],
        "",
        &fresh,
    );
    assert_eq!(r.code, 1, "{}", r.out);
    assert!(r.err.contains("A passphrase is needed"), "{}", r.err);
    assert!(!zip.exists());
    let pass_line = format!("{PASSPHRASE}\n");
    let r = run(
        &[
            "export",
            "--data-dir",
            s(&laptop),
            "--to",
            s(&zip),
            "--passphrase-stdin",
        ],
        &pass_line,
        &fresh,
    );
    assert_eq!(r.code, 0, "{}", r.err);
    assert!(zip.exists() && r.out.contains("NOT encrypted"), "{}", r.out);
    let one = dir.path().join("client-1.zip");
    let r = run(
        &[
            "export",
            "--data-dir",
            s(&laptop),
            "--to",
            s(&one),
            "--client",
            "1",
            "--passphrase-stdin",
        ],
        &pass_line,
        &fresh,
    );
    assert_eq!(r.code, 0, "{}", r.err);
    let r = run(
        &[
            "export",
            "--data-dir",
            s(&laptop),
            "--to",
            s(&one),
            "--client",
            "999",
            "--passphrase-stdin",
        ],
        &pass_line,
        &fresh,
    );
    assert_eq!(r.code, 1, "{}", r.out);

    // Change the passphrase: current, new, new again on stdin.
    let new = "a fresh passphrase for 2027";
    let r = run(
        &[
            "change-passphrase",
            "--data-dir",
            s(&laptop),
            "--passphrase-stdin",
        ],
        &format!("{PASSPHRASE}\n{new}\n{new}\n"),
        &fresh,
    );
    assert_eq!(r.code, 0, "{}", r.err);
    let kept = kap_practice::folder::PracticeFolder::new(&laptop);
    let o = kept
        .open_with_passphrase(&passphrase(new), &Keychain::none())
        .unwrap();
    // Every command that changed something is in the audit log, as the app writes it.
    let actions: Vec<String> = o
        .store
        .read(|c| {
            Ok(c.prepare("SELECT action FROM audit_log ORDER BY seq")?
                .query_map([], |r| r.get(0))?
                .collect::<Result<_, _>>()?)
        })
        .unwrap();
    for a in ["restore", "export", "change_passphrase"] {
        assert!(
            actions.iter().any(|x| x == a),
            "{a} missing from {actions:?}"
        );
    }
    o.store.verify_audit().unwrap();
    // The backup itself is in the original practice's log (after the copy it made).
    let orig = folder
        .open_with_passphrase(&passphrase(PASSPHRASE), &Keychain::none())
        .unwrap();
    let last: String = orig
        .store
        .read(|c| {
            Ok(c.query_row(
                "SELECT action FROM audit_log ORDER BY seq DESC LIMIT 1",
                [],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    assert_eq!(last, "backup");
}

#[test]
fn failures_exit_non_zero_with_plain_messages() {
    let (dir, folder, _keychain, opened) = practice();
    cleared_client(&opened.store, "Ana López");
    drop(opened);
    let data = s(folder.dir()).to_owned();
    let none = Keychain::none();
    let (empty, missing, n) = (
        dir.path().join("empty"),
        dir.path().join("missing.kapbackup"),
        dir.path().join("n"),
    );

    let cases: Vec<(Vec<&str>, &str, i32, &str)> = vec![
        (vec!["backup"], "", 2, "--to"),
        (vec!["backup", "--to"], "", 2, "needs a value"),
        (
            vec!["backup", "--wat", "Ana López"],
            "",
            2,
            "Unknown option",
        ),
        (vec!["restore", "--data-dir", &data], "", 2, "--from"),
        (
            vec![
                "export",
                "--data-dir",
                &data,
                "--to",
                "x.zip",
                "--client",
                "-3",
            ],
            "",
            2,
            "client number",
        ),
        (vec!["frobnicate"], "", 2, "Usage"),
        // No keychain and no way to ask: a clear message, not a hang.
        (vec!["verify", "--data-dir", &data], "", 1, "passphrase"),
        (
            vec!["verify", "--data-dir", &data, "--passphrase-stdin"],
            "wrong passphrase!!\n",
            1,
            "not correct",
        ),
        (
            vec!["verify", "--data-dir", s(&empty)],
            "",
            1,
            "no practice",
        ),
        (
            vec!["verify", "--backup", s(&missing), "--passphrase-stdin"],
            "x\n",
            1,
            "does not exist",
        ),
        (
            vec!["restore", "--data-dir", s(&n), "--from", &data],
            "",
            1,
            "not a KAP Practice backup",
        ),
        (
            vec![
                "change-passphrase",
                "--data-dir",
                &data,
                "--passphrase-stdin",
            ],
            "quiet river morning 42\nshort\nshort\n",
            1,
            "at least",
        ),
        (
            vec![
                "change-passphrase",
                "--data-dir",
                &data,
                "--passphrase-stdin",
            ],
            "quiet river morning 42\nlong enough one\nlong enough two\n",
            1,
            "do not match",
        ),
    ];
    for (args, stdin, code, says) in cases {
        let r = run(&args, stdin, &none);
        assert_eq!(r.code, code, "{args:?}: {} {}", r.out, r.err);
        let all = format!("{}{}", r.out, r.err);
        assert!(
            all.to_lowercase().contains(&says.to_lowercase()),
            "{args:?}: {all}"
        );
        assert!(!all.contains("López"), "PHI echoed: {all}");
    }
    // The failures left the practice as it was.
    let o = folder
        .open_with_passphrase(&passphrase(PASSPHRASE), &none)
        .unwrap();
    o.store.verify_audit().unwrap();
    assert!(
        cli::is_command(&["backup".into()])
            && !cli::is_command(&[])
            && !cli::is_command(&["-psn_0_1".into()])
    );
}

#[test]
fn wrong_passphrases_slow_the_tool_down_too() {
    let (dir, folder, keychain, opened) = practice();
    drop(opened);
    let data = s(folder.dir()).to_owned();
    let zip = dir.path().join("x.zip");
    let export = |line: &str| {
        run(
            &[
                "export",
                "--data-dir",
                &data,
                "--to",
                s(&zip),
                "--passphrase-stdin",
            ],
            line,
            &keychain,
        )
    };
    for _ in 0..3 {
        let r = export("not the passphrase at all\n");
        assert_eq!(r.code, 1);
        assert!(r.err.contains("not correct"), "{}", r.err);
    }
    let counted = kap_practice::key::attempts::Attempts::read(&folder.attempts_path());
    assert_eq!(counted.failures, 3);
    // Three more failures, written directly and dated in the future: a last failure later
    // than now counts as now (a clock set back), so the whole wait is still to run
    // whatever the clock says, and a slow machine cannot let it run out between commands.
    // The next try, even a right one, must wait.
    let mut more = counted;
    more.failures = 6;
    more.last_failure = Some(chrono::DateTime::<chrono::Utc>::MAX_UTC);
    std::fs::write(folder.attempts_path(), serde_json::to_vec(&more).unwrap()).unwrap();
    let r = export(&format!("{PASSPHRASE}\n"));
    assert_eq!(r.code, 1);
    assert!(r.err.contains("Too many wrong passphrases"), "{}", r.err);
    assert!(!zip.exists());
    // The wait is on disk beside the key file, so a new process sees it.
    assert!(folder.attempts_path().exists());
}

#[test]
fn restoring_another_practices_backup_needs_its_own_flag() {
    // Theirs: a practice and its backup.
    let (dir, theirs, keychain, opened) = practice();
    drop(opened);
    let file = dir.path().join("theirs.kapbackup");
    let r = run(
        &["backup", "--data-dir", s(theirs.dir()), "--to", s(&file)],
        "",
        &keychain,
    );
    assert_eq!(r.code, 0, "{}", r.err);
    // Ours: another practice, in another folder.
    let (_ours_dir, ours, ours_kc, opened) = practice();
    let ours_id = opened.practice_id.clone();
    drop(opened);
    let before = all_bytes(ours.dir());
    let line = format!("{PASSPHRASE}\n");
    let args = [
        "restore",
        "--data-dir",
        s(ours.dir()),
        "--from",
        s(&file),
        "--yes",
        "--passphrase-stdin",
    ];
    let r = run(&args, &line, &ours_kc);
    assert_eq!(r.code, cli::EXIT_USAGE, "{}{}", r.out, r.err);
    assert!(
        r.err.contains("This backup is of another practice")
            && r.err.contains("--replace-other-practice"),
        "{}",
        r.err
    );
    assert_eq!(
        all_bytes(ours.dir()),
        before,
        "--yes alone replaces nothing"
    );
    let mut confirmed = args.to_vec();
    confirmed.push("--replace-other-practice");
    let r = run(&confirmed, &line, &ours_kc);
    assert_eq!(r.code, 0, "{}", r.err);
    let o = ours
        .open_with_passphrase(&passphrase(PASSPHRASE), &ours_kc)
        .unwrap();
    assert_ne!(o.practice_id, ours_id, "the other practice is here now");
    let source: String = o
        .store
        .read(|c| {
            Ok(c.query_row(
                "SELECT source FROM audit_log WHERE action = 'restore' ORDER BY seq DESC LIMIT 1",
                [],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    assert_eq!(source, "cli", "the restore's row says where it came from");
}
