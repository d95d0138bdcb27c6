//! A practice on disk: one folder holding the encrypted database (`practice.db`) and the
//! key file that wraps its data key (`practice.key`).
//!
//! This is where key custody meets the store: creating a practice, opening it from the
//! OS keychain, opening it with the passphrase (the recovery path on a new laptop), and
//! changing the passphrase. The keychain is a convenience; the key file plus the
//! passphrase is the one way back in, and no path stores the data key in the clear.

use crate::audit::{Action, EntityKind};
use crate::key::attempts::Attempts;
use crate::key::{DataKey, KdfParams, KeyFile, Keychain, KeychainError, Passphrase};
use crate::practice::{self, NewPractice};
use crate::store::Store;
use crate::{Error, Result};
use chrono::{DateTime, Utc};
use std::path::{Path, PathBuf};

pub const DB_FILE: &str = "practice.db";
pub const KEY_FILE: &str = "practice.key";
/// Wrong passphrases since the last right one (no secret; see [`crate::key::attempts`]).
pub const ATTEMPTS_FILE: &str = "unlock-attempts.json";

/// Whether this laptop's keychain now holds the data key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeychainStatus {
    /// Saved and read back: the next launch opens without the passphrase.
    Saved,
    /// Not saved; the passphrase will be needed at each launch.
    NotSaved(KeychainError),
    /// Not saved because the practice's setting "Open without the passphrase on this
    /// computer" is off; any copy the keychain had was removed.
    Declined,
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

    pub fn attempts_path(&self) -> PathBuf {
        self.dir.join(ATTEMPTS_FILE)
    }

    /// True when a practice (its database or its key file, or a restore waiting to be
    /// finished) is in the folder.
    pub fn exists(&self) -> bool {
        self.db_path().exists() || self.key_path().exists() || crate::backup::restore_pending(self)
    }

    /// Creates a practice: a fresh data key from the OS RNG, the key file wrapping it under
    /// `passphrase` with Argon2id calibrated for this machine ([`KdfParams::calibrated`]),
    /// the encrypted database with the practice's settings, and the key in the keychain
    /// (proved by reading it back). If the database cannot be created, the files made so
    /// far are removed so the user can simply try again.
    pub fn create(
        &self,
        new: &NewPractice,
        passphrase: &Passphrase,
        keychain: &Keychain,
    ) -> Result<Opened> {
        self.create_with_kdf(new, passphrase, keychain, KdfParams::calibrated())
    }

    /// [`PracticeFolder::create`] with given Argon2id parameters (within bounds), for
    /// tools and tests that need a fixed cost.
    pub fn create_with_kdf(
        &self,
        new: &NewPractice,
        passphrase: &Passphrase,
        keychain: &Keychain,
        kdf: KdfParams,
    ) -> Result<Opened> {
        if !kdf.within_bounds() {
            return Err(Error::Internal("Argon2 parameters out of bounds"));
        }
        crate::files::refuse_symlink(&self.dir)?;
        if self.exists() {
            return Err(Error::PracticeExists);
        }
        practice::seed(new)?;
        // Owner-only (0700), whatever the umask.
        crate::files::create_private_dir(&self.dir)?;
        let key = DataKey::generate()?;
        let practice_id = KeyFile::new_practice_id()?;
        let file = KeyFile::wrap(&practice_id, &key, passphrase, kdf)?;
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

    /// Opens the practice with the passphrase (the recovery path, and the way back in
    /// after every lock), then stores the key in this laptop's keychain so the next launch
    /// opens without typing, unless the practice's setting says not to.
    ///
    /// A wrong passphrase is [`Error::WrongPassphrase`] and changes nothing but the count
    /// of wrong passphrases; after [`crate::key::attempts::FREE_ATTEMPTS`] of them, tries
    /// are refused with [`Error::TryLater`] until a growing wait has passed.
    pub fn open_with_passphrase(
        &self,
        passphrase: &Passphrase,
        keychain: &Keychain,
    ) -> Result<Opened> {
        self.open_with_passphrase_at(passphrase, keychain, Utc::now())
    }

    /// [`PracticeFolder::open_with_passphrase`] at a given time (for the wait's tests).
    pub fn open_with_passphrase_at(
        &self,
        passphrase: &Passphrase,
        keychain: &Keychain,
        now: DateTime<Utc>,
    ) -> Result<Opened> {
        let file = self.read_key_file()?;
        let key = self.unwrap_counted(&file, passphrase, now)?;
        let store = self.open_store(&key)?;
        let status = self.keep_in_keychain(&store, file.practice_id(), &key, keychain);
        Ok(Opened {
            store,
            practice_id: file.practice_id().to_owned(),
            keychain: status,
        })
    }

    /// Checks that `passphrase` is the open practice's, counting a wrong one like a wrong
    /// unlock (the same growing wait): what leaving the client self-report mode asks for.
    pub fn confirm_passphrase(&self, store: &Store, passphrase: &Passphrase) -> Result<()> {
        let file = self.read_key_file()?;
        let key = self.unwrap_counted(&file, passphrase, Utc::now())?;
        if key.as_bytes() != store.key().as_bytes() {
            return Err(Error::KeyFileCorrupt);
        }
        Ok(())
    }

    /// Unwraps the key with `passphrase`, keeping the count of wrong passphrases.
    fn unwrap_counted(
        &self,
        file: &KeyFile,
        passphrase: &Passphrase,
        now: DateTime<Utc>,
    ) -> Result<DataKey> {
        let attempts = self.attempts_path();
        Attempts::check(&attempts, now)?;
        match file.unwrap(passphrase) {
            Ok(key) => {
                // A count that cannot be cleared only means a wait the next time it matters.
                let _ = Attempts::clear(&attempts);
                Ok(key)
            }
            Err(Error::WrongPassphrase) => {
                Attempts::record_failure(&attempts, now)?;
                Err(Error::WrongPassphrase)
            }
            Err(e) => Err(e),
        }
    }

    /// Puts the key in the keychain, or takes it out when the practice's setting "Open
    /// without the passphrase on this computer" is off.
    fn keep_in_keychain(
        &self,
        store: &Store,
        practice_id: &str,
        key: &DataKey,
        keychain: &Keychain,
    ) -> KeychainStatus {
        let allowed = store
            .read(practice::open_without_passphrase)
            .unwrap_or(true);
        if !allowed {
            let _ = keychain.forget(practice_id);
            return KeychainStatus::Declined;
        }
        match keychain.save(practice_id, key) {
            Ok(()) => KeychainStatus::Saved,
            Err(e) => KeychainStatus::NotSaved(e),
        }
    }

    /// Turns "Open without the passphrase on this computer" on or off for `opened`'s
    /// practice. Off removes the key from the keychain at once; on puts it back.
    pub fn set_open_without_passphrase(
        &self,
        store: &Store,
        practice_id: &str,
        on: bool,
        keychain: &Keychain,
    ) -> Result<KeychainStatus> {
        store.write(|w| practice::set_open_without_passphrase(w, on))?;
        Ok(self.keep_in_keychain(store, practice_id, store.key(), keychain))
    }

    /// Removes the data key from this laptop's keychain: every lock does this, so after a
    /// lock neither a relaunch nor the command-line tool opens the practice without the
    /// passphrase. "No entry" is success.
    pub fn forget_key(
        practice_id: &str,
        keychain: &Keychain,
    ) -> std::result::Result<(), KeychainError> {
        match keychain.forget(practice_id) {
            Err(KeychainError::NoEntry) => Ok(()),
            other => other,
        }
    }

    /// Changes the passphrase and the data key together: a new key from the OS RNG, the
    /// database re-encrypted under it, the key file rewrapped under the new passphrase
    /// (with Argon2id calibrated again), and the keychain updated. An old copy of the key
    /// file with the old passphrase then opens nothing of today's database; backups made
    /// before keep needing the old passphrase.
    ///
    /// The store is consumed: the database is closed while its files are switched. The
    /// switch is staged and committed like a restore ([`crate::backup`]), so a crash at any
    /// moment leaves the practice opening with exactly one of (old passphrase, old key) or
    /// (new passphrase, new key). The practice comes back open in [`Rekeyed::opened`]:
    /// under the new key when the change was made, under the old one when it was not.
    /// A wrong current passphrase is [`Error::WrongPassphrase`] and changes nothing.
    pub fn change_passphrase(
        &self,
        store: Store,
        current: &Passphrase,
        new: &Passphrase,
        keychain: &Keychain,
    ) -> Rekeyed {
        self.change_passphrase_with_kdf(store, current, new, keychain, KdfParams::calibrated())
    }

    /// [`PracticeFolder::change_passphrase`] with given Argon2id parameters (for tests).
    pub fn change_passphrase_with_kdf(
        &self,
        store: Store,
        current: &Passphrase,
        new: &Passphrase,
        keychain: &Keychain,
        kdf: KdfParams,
    ) -> Rekeyed {
        let staged = (|| -> Result<(KeyFile, DataKey)> {
            let file = self.read_key_file()?;
            let old = self.unwrap_counted(&file, current, Utc::now())?;
            if old.as_bytes() != store.key().as_bytes() {
                // The key file does not belong to the open database.
                return Err(Error::KeyFileCorrupt);
            }
            if !kdf.within_bounds() {
                return Err(Error::Internal("Argon2 parameters out of bounds"));
            }
            let new_key = DataKey::generate()?;
            let new_file = KeyFile::wrap(file.practice_id(), &new_key, new, kdf)?;
            let staging = self.dir.join(crate::backup::STAGING_DIR);
            // Left by a crash before a commit: never ours to keep.
            crate::backup::discard_uncommitted_staging(self)?;
            crate::files::create_private_dir(&staging)?;
            let copied = store
                .copy_rekeyed(
                    &staging.join(DB_FILE),
                    &new_key,
                    Action::ChangePassphrase,
                    EntityKind::Key,
                    1,
                )
                .and_then(|_| new_file.write(&staging.join(KEY_FILE)));
            if let Err(e) = copied {
                let _ = std::fs::remove_dir_all(&staging);
                return Err(e);
            }
            Ok((new_file, new_key))
        })();
        let (new_file, new_key) = match staged {
            Ok(s) => s,
            Err(e) => {
                let practice_id = KeyFile::read(&self.key_path())
                    .map(|f| f.practice_id().to_owned())
                    .unwrap_or_default();
                let key = store.key().clone();
                let status = self.keep_in_keychain(&store, &practice_id, &key, keychain);
                return Rekeyed {
                    changed: Err(e),
                    opened: Ok(Opened {
                        store,
                        practice_id,
                        keychain: status,
                    }),
                };
            }
        };
        let old_key = store.key().clone();
        let practice_id = new_file.practice_id().to_owned();
        drop(store);
        // The commit point: from here the new key and passphrase are the practice's.
        let committed = crate::backup::commit_staged(self);
        let (changed, key) = match committed {
            Ok(()) => (Ok(()), new_key),
            Err(e) => {
                let _ = crate::backup::discard_uncommitted_staging(self);
                (Err(e), old_key)
            }
        };
        let opened = self.open_store(&key).map(|store| {
            let status = self.keep_in_keychain(&store, &practice_id, &key, keychain);
            Opened {
                store,
                practice_id,
                keychain: status,
            }
        });
        Rekeyed { changed, opened }
    }
}

/// The outcome of [`PracticeFolder::change_passphrase`].
#[derive(Debug)]
pub struct Rekeyed {
    /// Whether the passphrase and key were changed.
    pub changed: Result<()>,
    /// The practice, open again: under the new key when `changed` is `Ok`.
    pub opened: Result<Opened>,
}
