//! A practice on disk: one folder holding the encrypted database (`practice.db`) and the
//! key file that wraps its data key (`practice.key`).
//!
//! This is where key custody meets the store: creating a practice, opening it from the
//! OS keychain, opening it with the passphrase (the recovery path on a new laptop), and
//! changing the passphrase. The keychain is a convenience; the key file plus the
//! passphrase is the one way back in, and no path stores the data key in the clear.

use crate::audit::{Action, EntityKind};
use crate::key::{DataKey, KdfParams, KeyFile, Keychain, KeychainError, Passphrase};
use crate::practice::{self, NewPractice};
use crate::store::Store;
use crate::{Error, Result};
use std::path::{Path, PathBuf};

pub const DB_FILE: &str = "practice.db";
pub const KEY_FILE: &str = "practice.key";

/// Whether this laptop's keychain now holds the data key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeychainStatus {
    /// Saved and read back: the next launch opens without the passphrase.
    Saved,
    /// Not saved; the passphrase will be needed at each launch.
    NotSaved(KeychainError),
}

/// An open practice.
#[derive(Debug)]
pub struct Opened {
    pub store: Store,
    /// The practice's random id (not PHI).
    pub practice_id: String,
    pub keychain: KeychainStatus,
}

/// The outcome of trying the keychain at launch.
#[derive(Debug)]
pub enum KeychainOpen {
    Opened(Box<Opened>),
    /// The keychain could not give the key; ask for the passphrase.
    NeedsPassphrase(KeychainError),
}

/// A practice folder.
#[derive(Debug, Clone)]
pub struct PracticeFolder {
    dir: PathBuf,
}

impl PracticeFolder {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        PracticeFolder { dir: dir.into() }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn db_path(&self) -> PathBuf {
        self.dir.join(DB_FILE)
    }

    pub fn key_path(&self) -> PathBuf {
        self.dir.join(KEY_FILE)
    }

    /// True when a practice (its database or its key file, or a restore waiting to be
    /// finished) is in the folder.
    pub fn exists(&self) -> bool {
        self.db_path().exists() || self.key_path().exists() || crate::backup::restore_pending(self)
    }

    /// Creates a practice: a fresh data key from the OS RNG, the key file wrapping it under
    /// `passphrase`, the encrypted database with the practice's settings, and the key in
    /// the keychain (proved by reading it back). If the database cannot be created, the
    /// files made so far are removed so the user can simply try again.
    pub fn create(
        &self,
        new: &NewPractice,
        passphrase: &Passphrase,
        keychain: &Keychain,
    ) -> Result<Opened> {
        crate::files::refuse_symlink(&self.dir)?;
        if self.exists() {
            return Err(Error::PracticeExists);
        }
        practice::seed(new)?;
        // Owner-only (0700), whatever the umask.
        crate::files::create_private_dir(&self.dir)?;
        let key = DataKey::generate()?;
        let practice_id = KeyFile::new_practice_id()?;
        let file = KeyFile::wrap(&practice_id, &key, passphrase, KdfParams::default())?;
        // The key file goes first: a database must never exist without a way to open it.
        file.write(&self.key_path())?;
        // The key file is written with the process's umask: made owner-only at once.
        if let Err(e) = crate::files::tighten(&self.key_path(), crate::files::FILE_MODE) {
            self.remove_partial();
            return Err(e.into());
        }
        let store = match Store::create(&self.db_path(), &key)
            .and_then(|s| s.write(|w| practice::init(w, new)).map(|_| s))
        {
            Ok(s) => s,
            Err(e) => {
                self.remove_partial();
                return Err(e);
            }
        };
        let keychain = match keychain.save(&practice_id, &key) {
            Ok(()) => KeychainStatus::Saved,
            Err(e) => KeychainStatus::NotSaved(e),
        };
        Ok(Opened {
            store,
            practice_id,
            keychain,
        })
    }

    fn remove_partial(&self) {
        crate::files::remove_database_files(&self.db_path());
        let _ = std::fs::remove_file(self.key_path());
    }

    fn read_key_file(&self) -> Result<KeyFile> {
        crate::files::refuse_symlink(&self.dir)?;
        if !self.exists() {
            return Err(Error::NoPractice);
        }
        // Folder 0700, files 0600, stale partial files gone: a practice made by an older
        // version, or copied in with looser modes, is tightened before it is read.
        crate::files::secure_tree(&self.dir)?;
        crate::backup::finish_interrupted_restore(self)?;
        let file = KeyFile::read(&self.key_path())?;
        if !self.db_path().exists() {
            return Err(Error::DatabaseMissing);
        }
        Ok(file)
    }

    /// Opens the store with a key the key file vouches for: a key that then fails to open
    /// the database means the database is damaged, not that the key is wrong.
    fn open_store(&self, key: &DataKey) -> Result<Store> {
        match Store::open(&self.db_path(), key) {
            Err(Error::WrongKey) => Err(Error::Corrupt),
            other => other,
        }
    }

    /// Opens the practice with the key from this laptop's keychain. Failures of the
    /// keychain (none running, locked, no entry, a stale key) come back as
    /// [`KeychainOpen::NeedsPassphrase`]; failures of the files are errors.
    pub fn open_with_keychain(&self, keychain: &Keychain) -> Result<KeychainOpen> {
        let file = self.read_key_file()?;
        let key = match keychain.load(file.practice_id()) {
            Ok(k) => k,
            Err(e) => return Ok(KeychainOpen::NeedsPassphrase(e)),
        };
        if !file.matches(&key) {
            return Ok(KeychainOpen::NeedsPassphrase(KeychainError::Mismatch));
        }
        let store = self.open_store(&key)?;
        Ok(KeychainOpen::Opened(Box::new(Opened {
            store,
            practice_id: file.practice_id().to_owned(),
            keychain: KeychainStatus::Saved,
        })))
    }

    /// Opens the practice with the passphrase (the recovery path), then stores the key in
    /// this laptop's keychain so the next launch opens without typing.
    /// A wrong passphrase is [`Error::WrongPassphrase`] and changes nothing.
    pub fn open_with_passphrase(
        &self,
        passphrase: &Passphrase,
        keychain: &Keychain,
    ) -> Result<Opened> {
        let file = self.read_key_file()?;
        let key = file.unwrap(passphrase)?;
        let store = self.open_store(&key)?;
        let status = match keychain.save(file.practice_id(), &key) {
            Ok(()) => KeychainStatus::Saved,
            Err(e) => KeychainStatus::NotSaved(e),
        };
        Ok(Opened {
            store,
            practice_id: file.practice_id().to_owned(),
            keychain: status,
        })
    }

    /// Re-wraps the data key under a new passphrase; the database and the keychain entry
    /// are untouched. A wrong current passphrase is [`Error::WrongPassphrase`] and leaves
    /// the key file byte for byte as it was. The change is in the audit log of `store`.
    pub fn change_passphrase(
        &self,
        store: &Store,
        current: &Passphrase,
        new: &Passphrase,
    ) -> Result<()> {
        let file = self.read_key_file()?;
        let key = file.unwrap(current)?;
        let params = file.kdf_params();
        let rewrapped = KeyFile::wrap(file.practice_id(), &key, new, params)?;
        store.write(|w| {
            w.audit(Action::ChangePassphrase, EntityKind::Key, 1)?;
            // Written inside the transaction: if the file cannot be written, the audit row
            // rolls back with it.
            rewrapped.write(&self.key_path())
        })
    }
}
