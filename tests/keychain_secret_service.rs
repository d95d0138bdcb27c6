//! The real OS keychain: gnome-keyring's Secret Service on a private D-Bus session.
//! `scripts/test` runs this under `dbus-run-session` with an unlocked gnome-keyring and
//! `KAP_REAL_KEYCHAIN=1`; there a keychain that cannot be reached is a failure.

#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

mod common;

use common::*;
use kap_practice::folder::{KeychainOpen, KeychainStatus, PracticeFolder};
use kap_practice::key::{DataKey, Keychain, KeychainError};

fn real_keychain() -> Keychain {
    assert_eq!(
        std::env::var("KAP_REAL_KEYCHAIN").as_deref(),
        Ok("1"),
        "run through scripts/test, which starts a Secret Service for this test"
    );
    Keychain::platform()
}

#[test]
#[ignore = "needs a running Secret Service; scripts/test provides one"]
fn secret_service_round_trip() {
    let kc = real_keychain();
    let key = DataKey::generate().unwrap();
    let id = kap_practice::key::KeyFile::new_practice_id().unwrap();
    kc.save(&id, &key)
        .expect("saving to a running, unlocked Secret Service works");
    assert_eq!(kc.load(&id).unwrap().as_bytes(), key.as_bytes());
    kc.forget(&id).unwrap();
    assert_eq!(kc.load(&id).unwrap_err(), KeychainError::NoEntry);
}

#[test]
#[ignore = "needs a running Secret Service; scripts/test provides one"]
fn practice_opens_without_typing_through_the_real_keychain() {
    let kc = real_keychain();
    let dir = tempfile::tempdir().unwrap();
    let folder = PracticeFolder::new(dir.path().join("practice"));
    let opened = folder
        .create(&new_practice(), &passphrase(PASSPHRASE), &kc)
        .unwrap();
    assert_eq!(
        opened.keychain,
        KeychainStatus::Saved,
        "proved by reading it back"
    );
    let id = opened.practice_id.clone();
    drop(opened);
    match folder.open_with_keychain(&kc).unwrap() {
        KeychainOpen::Opened(o) => assert_eq!(o.practice_id, id),
        KeychainOpen::NeedsPassphrase(e) => panic!("the real keychain should open it: {e}"),
    }
    kc.forget(&id).unwrap();
    assert!(matches!(
        folder.open_with_keychain(&kc).unwrap(),
        KeychainOpen::NeedsPassphrase(KeychainError::NoEntry)
    ));
}
