//! Shared set-up for the core's integration tests: real encrypted files in temp dirs.
#![allow(dead_code)]
#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

use chrono::NaiveDate;
use kap_practice::folder::{Opened, PracticeFolder};
use kap_practice::key::{Keychain, Passphrase};
use kap_practice::practice::NewPractice;
use std::sync::Arc;

pub const PASSPHRASE: &str = "quiet river morning 42";

pub fn passphrase(s: &str) -> Passphrase {
    Passphrase::new(s.to_owned()).expect("test passphrases are long enough")
}

pub fn mock_keychain() -> Keychain {
    Keychain::from_store(keyring_core::mock::Store::new().expect("mock store"))
}

pub fn new_practice() -> NewPractice {
    NewPractice {
        practice_name: "Union Square KAP".into(),
        therapist_name: "Dana Whitfield".into(),
    }
}

/// A fresh practice in a temp dir, opened, with a mock keychain.
pub fn practice() -> (tempfile::TempDir, PracticeFolder, Keychain, Opened) {
    let dir = tempfile::tempdir().expect("temp dir");
    let folder = PracticeFolder::new(dir.path().join("practice"));
    let keychain = mock_keychain();
    let opened = folder
        .create(&new_practice(), &passphrase(PASSPHRASE), &keychain)
        .expect("create practice");
    (dir, folder, keychain, opened)
}

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).expect("date")
}

/// Every byte of the files in `dir`, concatenated (database, WAL, key file ...).
pub fn all_bytes(dir: &std::path::Path) -> Vec<u8> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let p = entry.expect("entry").path();
        if p.is_file() {
            out.extend(std::fs::read(&p).expect("read file"));
        }
    }
    out
}

pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

pub fn arc_clock(
    t: chrono::DateTime<chrono::Utc>,
) -> Arc<dyn Fn() -> chrono::DateTime<chrono::Utc> + Send + Sync> {
    Arc::new(move || t)
}
