//! Key custody against real files: creating a practice, opening from the keychain or
//! with the passphrase, changing the passphrase, and every way the key can go missing.

#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

mod common;

use common::*;
use kap_practice::folder::{KeychainOpen, KeychainStatus, PracticeFolder};
use kap_practice::key::{KdfParams, KeyFile, Keychain, KeychainError, Passphrase};
use kap_practice::Error;

fn open_via_keychain(folder: &PracticeFolder, kc: &Keychain) -> KeychainOpen {
    folder.open_with_keychain(kc).expect("files are fine")
}

#[test]
fn create_writes_key_file_and_keychain() {
    let (_dir, folder, kc, opened) = practice();
    assert_eq!(opened.keychain, KeychainStatus::Saved);
    let file = KeyFile::read(&folder.key_path()).unwrap();
    let params = file.kdf_params();
    assert!(
        params.m_kib >= 65536 && params.t >= 3 && params.p >= 1,
        "{params:?}"
    );
    let text = std::fs::read_to_string(folder.key_path()).unwrap();
    assert!(
        text.contains("argon2id") && text.contains("\"m_kib\": 65536"),
        "parameters are stored"
    );
    let key = kc.load(&opened.practice_id).unwrap();
    assert!(
        file.matches(&key),
        "the keychain holds the key the file wraps"
    );
    drop(opened);
    assert!(matches!(
        open_via_keychain(&folder, &kc),
        KeychainOpen::Opened(_)
    ));
}

#[test]
fn short_passphrase_is_refused_with_the_rule() {
    let err = Passphrase::new("only eleven".into()).unwrap_err();
    let Error::Invalid(f) = err else {
        panic!("expected field errors")
    };
    assert_eq!(f.0[0].field, "passphrase");
    assert!(f.0[0].message.contains("at least 12 characters"));
}

#[test]
fn creating_over_an_existing_practice_is_refused() {
    let (_dir, folder, kc, _opened) = practice();
    let before = std::fs::read(folder.key_path()).unwrap();
    let err = folder
        .create(&new_practice(), &passphrase("another long passphrase"), &kc)
        .unwrap_err();
    assert!(matches!(err, Error::PracticeExists));
    assert_eq!(std::fs::read(folder.key_path()).unwrap(), before);
}

#[test]
fn no_keychain_or_no_entry_falls_back_to_passphrase() {
    let (_dir, folder, _kc, opened) = practice();
    drop(opened);
    let cases = [
        (Keychain::none(), KeychainError::Unavailable),
        (mock_keychain(), KeychainError::NoEntry),
    ];
    for (kc, want) in cases {
        match open_via_keychain(&folder, &kc) {
            KeychainOpen::NeedsPassphrase(e) => assert_eq!(e, want),
            KeychainOpen::Opened(_) => panic!("must not open without the key"),
        }
    }
}

#[test]
fn a_locked_keychain_falls_back_to_passphrase() {
    let (_dir, folder, _kc, opened) = practice();
    let id = opened.practice_id.clone();
    drop(opened);
    let store = keyring_core::mock::Store::new().unwrap();
    let kc = Keychain::from_store(store.clone());
    let entry =
        keyring_core::Entry::new_in_store(&(store as _), "KAP Practice data key", &id).unwrap();
    let cred: &keyring_core::mock::Cred = entry.as_any().downcast_ref().unwrap();
    cred.set_error(keyring_core::Error::NoStorageAccess(Box::new(
        std::io::Error::other("locked"),
    )));
    match open_via_keychain(&folder, &kc) {
        KeychainOpen::NeedsPassphrase(e) => assert_eq!(e, KeychainError::Locked),
        KeychainOpen::Opened(_) => panic!("a locked keychain gives no key"),
    }
}

#[test]
fn a_stale_key_in_the_keychain_is_not_used() {
    let (_dir, folder, kc, opened) = practice();
    let id = opened.practice_id.clone();
    drop(opened);
    kc.save(&id, &kap_practice::key::DataKey::generate().unwrap())
        .unwrap();
    match open_via_keychain(&folder, &kc) {
        KeychainOpen::NeedsPassphrase(e) => assert_eq!(e, KeychainError::Mismatch),
        KeychainOpen::Opened(_) => panic!("a key the key file does not vouch for is refused"),
    }
}

#[test]
fn passphrase_recovers_on_a_new_laptop_and_enrolls_its_keychain() {
    let (_dir, folder, _old_kc, opened) = practice();
    drop(opened);
    let new_laptop = mock_keychain();
    let opened = folder
        .open_with_passphrase(&passphrase(PASSPHRASE), &new_laptop)
        .unwrap();
    assert_eq!(opened.keychain, KeychainStatus::Saved);
    drop(opened);
    assert!(
        matches!(
            open_via_keychain(&folder, &new_laptop),
            KeychainOpen::Opened(_)
        ),
        "after one passphrase unlock this laptop opens without typing"
    );
    let opened = folder
        .open_with_passphrase(&passphrase(PASSPHRASE), &Keychain::none())
        .expect("no keychain at all still opens with the passphrase");
    assert!(matches!(
        opened.keychain,
        KeychainStatus::NotSaved(KeychainError::Unavailable)
    ));
}

#[test]
fn wrong_passphrase_changes_nothing() {
    let (_dir, folder, kc, opened) = practice();
    drop(opened);
    let key_before = std::fs::read(folder.key_path()).unwrap();
    let db_before = std::fs::read(folder.db_path()).unwrap();
    for guess in ["quiet river morning 43", "short", ""] {
        let err = folder
            .open_with_passphrase(&Passphrase::for_unlock(guess.into()), &kc)
            .unwrap_err();
        assert!(matches!(err, Error::WrongPassphrase), "{guess:?}: {err:?}");
    }
    assert_eq!(std::fs::read(folder.key_path()).unwrap(), key_before);
    assert_eq!(std::fs::read(folder.db_path()).unwrap(), db_before);
}

#[test]
fn change_passphrase_rotates_the_data_key() {
    let (_dir, folder, kc, opened) = practice();
    let old_key = kc.load(&opened.practice_id).unwrap();
    let old_key_file = std::fs::read(folder.key_path()).unwrap();
    let db_before = std::fs::read(folder.db_path()).unwrap();
    let (client, _) = cleared_client(&opened.store, "Ana López");
    let floor = KdfParams::default();
    // A wrong current passphrase changes nothing and gives the practice back open.
    let r = folder.change_passphrase_with_kdf(
        opened.store,
        &passphrase("not the passphrase"),
        &passphrase("a brand new passphrase"),
        &kc,
        floor,
    );
    assert!(
        matches!(r.changed, Err(Error::WrongPassphrase)),
        "{:?}",
        r.changed
    );
    let opened = r.opened.unwrap();
    assert_eq!(std::fs::read(folder.key_path()).unwrap(), old_key_file);
    assert!(!folder.dir().join("restore-staging").exists());

    let r = folder.change_passphrase_with_kdf(
        opened.store,
        &passphrase(PASSPHRASE),
        &passphrase("a brand new passphrase"),
        &kc,
        floor,
    );
    r.changed.unwrap();
    let opened = r.opened.unwrap();
    assert_eq!(opened.keychain, KeychainStatus::Saved);
    let new_key = kc.load(&opened.practice_id).unwrap();
    assert_ne!(new_key.as_bytes(), old_key.as_bytes(), "a new data key");
    // Everything is still there, and the change is in the audit log.
    let kept = opened
        .store
        .read(|c| {
            Ok(
                c.query_row("SELECT count(*) FROM client WHERE id = ?1", [client], |r| {
                    r.get::<_, i64>(0)
                })?,
            )
        })
        .unwrap();
    assert_eq!(kept, 1);
    let last: String = opened
        .store
        .read(|c| {
            Ok(c.query_row(
                "SELECT action FROM audit_log ORDER BY seq DESC LIMIT 1",
                [],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    assert_eq!(last, "change_passphrase");
    opened.store.verify_audit().unwrap();
    // The copy is the practice as the migrations made it, every record as audited.
    let check = kap_practice::store::verify_file(&folder.db_path(), &new_key).unwrap();
    assert!(check.findings.is_empty(), "{:?}", check.findings);
    drop(opened);
    assert!(!folder.dir().join("restore-staging").exists());
    assert_ne!(std::fs::read(folder.db_path()).unwrap(), db_before);

    // The old passphrase no longer opens; the new one does.
    let err = folder
        .open_with_passphrase(&passphrase(PASSPHRASE), &Keychain::none())
        .unwrap_err();
    assert!(matches!(err, Error::WrongPassphrase), "{err:?}");
    folder
        .open_with_passphrase(&passphrase("a brand new passphrase"), &Keychain::none())
        .expect("the new one does");
    // An old copy of the key file, with the old passphrase, opens nothing of today's database.
    let old_file = KeyFile::parse(&old_key_file).unwrap();
    let unwrapped = old_file.unwrap(&passphrase(PASSPHRASE)).unwrap();
    assert_eq!(unwrapped.as_bytes(), old_key.as_bytes());
    assert!(matches!(
        kap_practice::store::Store::open(&folder.db_path(), &unwrapped),
        Err(Error::WrongKey)
    ));
    assert!(
        matches!(open_via_keychain(&folder, &kc), KeychainOpen::Opened(_)),
        "the keychain holds the new key"
    );
}

#[test]
fn new_practices_calibrate_argon2_within_bounds() {
    let dir = tempfile::tempdir().unwrap();
    let folder = PracticeFolder::new(dir.path().join("p"));
    let opened = folder
        .create(&new_practice(), &passphrase(PASSPHRASE), &Keychain::none())
        .unwrap();
    drop(opened);
    let params = KeyFile::read(&folder.key_path()).unwrap().kdf_params();
    assert!(params.within_bounds(), "{params:?}");
    assert!(params.m_kib >= 64 * 1024 && params.t >= 3, "{params:?}");
    assert_eq!(params, KdfParams::calibrated());
    let started = std::time::Instant::now();
    folder
        .open_with_passphrase(&passphrase(PASSPHRASE), &Keychain::none())
        .unwrap();
    // A figure for RELIABILITY.md, not a timed assertion.
    #[allow(clippy::print_stdout)]
    {
        println!(
            "custody/argon2: calibrated to m = {} MiB, t = {}, p = {}; one unlock (Argon2id and opening the store) {:.2} s",
            params.m_kib / 1024,
            params.t,
            params.p,
            started.elapsed().as_secs_f64()
        );
    }
}

#[test]
fn weak_passphrases_are_refused_with_hints() {
    for weak in [
        "111111111111",
        "            ",
        "password1234",
        "qwertyuiopasdf",
    ] {
        let err = Passphrase::new(weak.into()).unwrap_err();
        let Error::Invalid(f) = err else {
            panic!("expected field errors for {weak:?}")
        };
        assert_eq!(f.0[0].field, "passphrase");
        assert!(!f.0[0].message.contains(weak.trim()) || weak.trim().is_empty());
    }
    let err = Passphrase::new_with_context(
        "Union Square KAP".into(),
        &["Union Square KAP", "Dana Whitfield"],
    )
    .unwrap_err();
    assert!(matches!(err, Error::Invalid(_)), "the practice's own name");
    let dir = tempfile::tempdir().unwrap();
    let folder = PracticeFolder::new(dir.path().join("p"));
    let e = folder
        .create(
            &new_practice(),
            &Passphrase::new("a fine passphrase 9".into()).unwrap(),
            &Keychain::none(),
        )
        .map(drop);
    assert!(e.is_ok());
}

#[test]
fn wrong_passphrases_slow_down_and_the_count_survives_a_relaunch() {
    use chrono::TimeZone;
    let (_dir, folder, kc, opened) = practice();
    drop(opened);
    let t0 = chrono::Utc.with_ymd_and_hms(2026, 11, 1, 6, 30, 0).unwrap();
    let at = |s: i64| t0 + chrono::Duration::seconds(s);
    let wrong = passphrase("not the right passphrase");
    for _ in 0..3 {
        let e = folder
            .open_with_passphrase_at(&wrong, &kc, at(0))
            .unwrap_err();
        assert!(matches!(e, Error::WrongPassphrase), "{e:?}");
    }
    // The fourth try waits, even with the right passphrase, and is not counted.
    let e = folder
        .open_with_passphrase_at(&passphrase(PASSPHRASE), &kc, at(0))
        .unwrap_err();
    assert!(matches!(e, Error::TryLater { seconds: 1 }), "{e:?}");
    assert!(e.to_string().contains("Wait 1 seconds"), "{e}");
    // A relaunch (a new folder handle) keeps the count.
    let relaunched = PracticeFolder::new(folder.dir());
    let e = relaunched
        .open_with_passphrase_at(&passphrase(PASSPHRASE), &kc, at(0))
        .unwrap_err();
    assert!(matches!(e, Error::TryLater { .. }), "{e:?}");
    // After the wait, one more wrong one doubles it.
    let e = relaunched
        .open_with_passphrase_at(&wrong, &kc, at(1))
        .unwrap_err();
    assert!(matches!(e, Error::WrongPassphrase), "{e:?}");
    let e = relaunched
        .open_with_passphrase_at(&passphrase(PASSPHRASE), &kc, at(2))
        .unwrap_err();
    assert!(matches!(e, Error::TryLater { seconds: 1 }), "{e:?}");
    // The right one after the wait opens and clears the count.
    let o = relaunched
        .open_with_passphrase_at(&passphrase(PASSPHRASE), &kc, at(3))
        .unwrap();
    drop(o);
    assert!(!folder.attempts_path().exists());
    let e = folder
        .open_with_passphrase_at(&wrong, &kc, at(3))
        .unwrap_err();
    assert!(matches!(e, Error::WrongPassphrase), "a fresh count: {e:?}");
}

#[test]
fn a_lock_forgets_the_key_and_the_setting_keeps_it_out() {
    let (_dir, folder, kc, opened) = practice();
    let id = opened.practice_id.clone();
    assert!(kc.load(&id).is_ok());
    PracticeFolder::forget_key(&id, &kc).unwrap();
    PracticeFolder::forget_key(&id, &kc).expect("no entry is fine");
    drop(opened);
    assert!(matches!(
        open_via_keychain(&folder, &kc),
        KeychainOpen::NeedsPassphrase(KeychainError::NoEntry)
    ));
    // The passphrase puts it back.
    let o = folder
        .open_with_passphrase(&passphrase(PASSPHRASE), &kc)
        .unwrap();
    assert_eq!(o.keychain, KeychainStatus::Saved);
    // Turning "Open without the passphrase on this computer" off removes it at once, and
    // a passphrase unlock no longer puts it back.
    let status = folder
        .set_open_without_passphrase(&o.store, &id, false, &kc)
        .unwrap();
    assert_eq!(status, KeychainStatus::Declined);
    assert!(kc.load(&id).is_err());
    drop(o);
    let o = folder
        .open_with_passphrase(&passphrase(PASSPHRASE), &kc)
        .unwrap();
    assert_eq!(o.keychain, KeychainStatus::Declined);
    assert!(kc.load(&id).is_err());
    let status = folder
        .set_open_without_passphrase(&o.store, &id, true, &kc)
        .unwrap();
    assert_eq!(status, KeychainStatus::Saved);
    assert!(kc.load(&id).is_ok());
}

#[test]
fn missing_or_damaged_key_file_is_reported() {
    let (_dir, folder, kc, opened) = practice();
    drop(opened);
    let good = std::fs::read(folder.key_path()).unwrap();
    let db_before = std::fs::read(folder.db_path()).unwrap();

    std::fs::remove_file(folder.key_path()).unwrap();
    assert!(matches!(
        folder.open_with_keychain(&kc),
        Err(Error::KeyFileMissing)
    ));
    assert!(matches!(
        folder.open_with_passphrase(&passphrase(PASSPHRASE), &kc),
        Err(Error::KeyFileMissing)
    ));

    let text = String::from_utf8(good.clone()).unwrap();
    let flipped = {
        // Flip one hex digit of the wrapped key.
        let at = text.find("\"wrapped_key\": \"").unwrap() + 17;
        let mut b = text.clone().into_bytes();
        b[at] = if b[at] == b'0' { b'1' } else { b'0' };
        b
    };
    let damaged: Vec<(&str, Vec<u8>)> = vec![
        ("garbage", b"\x00\xff not json".to_vec()),
        ("empty", Vec::new()),
        (
            "unknown field",
            text.replacen('{', "{\"extra\": 1,", 1).into_bytes(),
        ),
        ("truncated", good[..good.len() / 2].to_vec()),
    ];
    for (what, bytes) in damaged {
        std::fs::write(folder.key_path(), &bytes).unwrap();
        let err = folder
            .open_with_passphrase(&passphrase(PASSPHRASE), &kc)
            .unwrap_err();
        assert!(matches!(err, Error::KeyFileCorrupt), "{what}: {err:?}");
        assert_eq!(
            std::fs::read(folder.key_path()).unwrap(),
            bytes,
            "{what}: left as it was"
        );
    }
    std::fs::write(folder.key_path(), &flipped).unwrap();
    let err = folder
        .open_with_passphrase(&passphrase(PASSPHRASE), &kc)
        .unwrap_err();
    assert!(
        matches!(err, Error::WrongPassphrase | Error::KeyFileCorrupt),
        "a tampered wrapped key cannot unwrap: {err:?}"
    );
    assert_eq!(
        std::fs::read(folder.db_path()).unwrap(),
        db_before,
        "the database is never touched"
    );
}

#[test]
fn garbage_database_is_corrupt_not_wrong_key() {
    let (_dir, folder, kc, opened) = practice();
    drop(opened);
    let len = std::fs::metadata(folder.db_path()).unwrap().len() as usize;
    let garbage: Vec<u8> = (0..len).map(|i| (i * 7919 % 251) as u8).collect();
    std::fs::write(folder.db_path(), &garbage).unwrap();
    for result in [
        folder
            .open_with_passphrase(&passphrase(PASSPHRASE), &kc)
            .map(|_| ()),
        match folder.open_with_keychain(&kc) {
            Ok(KeychainOpen::Opened(_)) => Ok(()),
            Ok(KeychainOpen::NeedsPassphrase(_)) => panic!("the keychain has the key"),
            Err(e) => Err(e),
        },
    ] {
        let err = result.unwrap_err();
        assert!(
            matches!(err, Error::Corrupt),
            "the key file vouches for the key, so the file is damaged: {err:?}"
        );
    }
    assert_eq!(
        std::fs::read(folder.db_path()).unwrap(),
        garbage,
        "left byte-identical"
    );
}

#[test]
fn the_key_never_reaches_disk_in_plain_text() {
    let (dir, _folder, kc, opened) = practice();
    let key = kc.load(&opened.practice_id).unwrap();
    drop(opened);
    let bytes = all_bytes(&dir.path().join("practice"));
    let hex: String = key.as_bytes().iter().map(|b| format!("{b:02x}")).collect();
    assert!(!contains(&bytes, key.as_bytes()), "raw key bytes on disk");
    assert!(!contains(&bytes, hex.as_bytes()), "hex key on disk");
    assert!(
        !contains(&bytes, PASSPHRASE.as_bytes()),
        "passphrase on disk"
    );
}
