//! Encrypted backups, and restoring them: onto this laptop or a new one.
//!
//! A backup is one file: a short header, then an encrypted copy of the database made by
//! `VACUUM INTO` under the same data key. The header carries the practice's key file (the
//! data key wrapped under the passphrase, as on disk), so the backup file and the
//! passphrase are all a new laptop needs. It also records the audit chain's head and the
//! copy's SHA-256, and holds no PHI: times, counts, hashes and the random practice id.
//!
//! ```text
//! "KAPBKUP1"  u32 (little-endian) header length  header (JSON)  database bytes
//! ```
//!
//! The header of a version 2 backup is authenticated: `header_mac` is HMAC-SHA256, under a
//! key derived from the data key, over the header's JSON without it. Once the passphrase
//! has unwrapped the key, a header whose any field was changed (its `created_at`, the
//! audit head it anchors) is [`Error::BackupDamaged`]. Version 1 backups (made before)
//! have no such tag: they are still restored, every check on the database itself made,
//! and reported as `header_checked: false` ("made by an older version, its header
//! cannot be checked"). The header's `audit_rows`, `audit_head` and `created_at` are the
//! audit chain's anchor at the time of the copy: `verify` finds a practice whose chain is
//! shorter, or other, than the backup it came from says.
//!
//! Restoring a backup of another practice (its practice id is not the one in this
//! folder's key file) is refused with [`Error::OtherPractice`] unless the caller passes
//! [`ForeignPractice::Replace`], after asking the user.
//!
//! A restore checks everything before it touches the practice: the passphrase unwraps the
//! key, the copy's hash matches, SQLCipher authenticates every page, SQLite's integrity
//! check passes, and the audit chain walks to the head the header names. Only then does
//! it keep a safety copy of the current files and switch. The switch is staged in a
//! folder beside the practice and committed by a marker file, so a crash at any moment
//! leaves either the old practice or the restored one, never a mix:
//! [`finish_interrupted_restore`] completes a committed switch and discards an
//! uncommitted one.
//!
//! Invariants: the database never leaves the store unencrypted; a failed backup leaves no
//! file under the chosen name; a failed restore changes nothing.

pub mod schedule;

use crate::audit::{Action, AuditSummary, EntityKind};
use crate::folder::{Opened, PracticeFolder, DB_FILE, KEY_FILE};
use crate::key::{DataKey, KeyFile, Keychain, Passphrase};
use crate::store::{self, FileCheck, PracticeLock, Store};
use crate::{files, Error, Result};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

/// The file extension of backups.
pub const EXTENSION: &str = "kapbackup";
const MAGIC: &[u8; 8] = b"KAPBKUP1";
const FORMAT: &str = "kap-practice-backup";
/// The version written: 2, with an authenticated header. Version 1 is still read.
const VERSION: u32 = 2;
/// The label the header key is derived under, from the data key.
const HEADER_KEY_LABEL: &[u8] = b"kap-practice backup header authentication v2";
const MAX_HEADER: u32 = 64 * 1024;
/// The folder, inside the practice folder, where a restore is staged.
pub const STAGING_DIR: &str = "restore-staging";
/// The marker that commits a staged restore.
const READY: &str = "READY";
/// The folder, inside the practice folder, where restores keep the files they replace.
pub use crate::store::SAFETY_DIR;

/// What a backup holds, readable without the passphrase. No PHI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct BackupInfo {
    /// When the copy was taken (UTC).
    pub created_at: DateTime<Utc>,
    /// The app version that wrote it.
    pub app_version: String,
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub schema_version: i64,
    /// The random practice id (names the keychain entry; not PHI).
    pub practice_id: String,
    /// The audit log's length and head hash in the copy.
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub audit_rows: i64,
    pub audit_head: String,
    /// Size of the encrypted database copy in bytes.
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub db_bytes: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Header {
    format: String,
    version: u32,
    #[serde(flatten)]
    info: BackupInfo,
    db_sha256: String,
    /// The practice's key file, as on disk when the backup was made.
    key_file: serde_json::Value,
    /// HMAC-SHA256 (hex) of the header without this field, under [`header_key`].
    /// Present in every version 2 header, absent in version 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    header_mac: Option<String>,
}

/// Whether a restore may replace a different practice than the one in the folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ForeignPractice {
    /// Refuse with [`Error::OtherPractice`] (the default: ask the user first).
    Refuse,
    /// The user confirmed: replace this practice with the other one.
    Replace,
}

/// How a restore is made: whether it may replace another practice, and where it comes
/// from (recorded in its audit row).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RestoreOptions {
    pub foreign: ForeignPractice,
    pub source: crate::audit::Source,
}

impl Default for RestoreOptions {
    fn default() -> Self {
        RestoreOptions {
            foreign: ForeignPractice::Refuse,
            source: crate::audit::Source::Window,
        }
    }
}

fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    // RFC 2104 over SHA-256 (block size 64); the key is always 32 bytes here.
    let mut block = [0u8; 64];
    if key.len() > 64 {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let mut inner = Sha256::new();
    inner.update(block.map(|b| b ^ 0x36));
    inner.update(message);
    let inner = inner.finalize();
    let mut outer = Sha256::new();
    outer.update(block.map(|b| b ^ 0x5c));
    outer.update(inner);
    block.fill(0);
    outer.finalize().into()
}

/// The key that authenticates backup headers, derived from the data key.
fn header_key(key: &DataKey) -> zeroize::Zeroizing<[u8; 32]> {
    zeroize::Zeroizing::new(hmac_sha256(key.as_bytes(), HEADER_KEY_LABEL))
}

impl Header {
    fn mac(&self, key: &DataKey) -> Result<String> {
        let mut bare = self.clone();
        bare.header_mac = None;
        let bytes =
            serde_json::to_vec(&bare).map_err(|_| Error::Internal("backup header encoding"))?;
        Ok(hex::encode(hmac_sha256(&*header_key(key), &bytes)))
    }

    /// Checks the header's tag under `key`. True for an authenticated header, false for a
    /// version 1 header (which has none); a missing or wrong tag is damage.
    fn authenticate(&self, key: &DataKey) -> Result<bool> {
        match (self.version, &self.header_mac) {
            (1, None) => Ok(false),
            (2, Some(tag)) => {
                let expected = self.mac(key)?;
                // Constant time: the comparison must not say how much of a forgery matched.
                let same = expected.len() == tag.len()
                    && expected
                        .bytes()
                        .zip(tag.bytes())
                        .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                        == 0;
                if same {
                    Ok(true)
                } else {
                    Err(Error::BackupDamaged)
                }
            }
            _ => Err(Error::BackupDamaged),
        }
    }

    /// The audit anchor this backup holds.
    fn anchor(&self) -> crate::audit::Anchor {
        crate::audit::Anchor {
            rows: self.info.audit_rows,
            head: self.info.audit_head.clone(),
            at: self.info.created_at,
        }
    }
}

/// A file name for a backup made now: no PHI, sorts by time.
pub fn file_name(prefix: &str, now: DateTime<Utc>) -> String {
    format!("{prefix}-{}.{EXTENSION}", now.format("%Y%m%d-%H%M%SZ"))
}

/// The name the save dialog suggests for a backup made by hand.
pub fn suggested_file_name(now: DateTime<Utc>) -> String {
    file_name("kap-practice-backup", now)
}

/// Checks a destination chosen for a backup: a file name a save dialog would give, ending
/// in `.kapbackup`, in an existing folder outside the practice's own folder (a backup
/// beside the database dies with the disk).
fn check_destination(folder: &PracticeFolder, dest: &Path) -> Result<PathBuf> {
    let text = dest
        .to_str()
        .ok_or_else(|| Error::invalid("path", "Choose a folder whose name is plain text."))?;
    let dest = crate::validate::document_path(text, EXTENSION)?;
    let parent = dest
        .parent()
        .filter(|d| d.is_dir())
        .ok_or_else(|| Error::invalid("path", "That folder does not exist."))?;
    if files::is_inside(parent, folder.dir()) {
        return Err(Error::invalid(
            "path",
            "Choose a folder outside the practice's own folder, ideally on another disk.",
        ));
    }
    Ok(parent.to_path_buf())
}

/// Backs the practice up to `dest`: an encrypted copy of the database with the key file,
/// written whole or not at all, then recorded in the audit log and as the last backup.
pub fn create(folder: &PracticeFolder, store: &Store, dest: &Path) -> Result<BackupInfo> {
    create_with(folder, store, dest, &mut |_| true)
}

/// How far a backup has come: bytes of the database copied of about how many.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct BackupProgress {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub done: u64,
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub total: u64,
}

/// [`create`], telling `progress` how far the copy has come about ten times a second;
/// when it returns false the backup stops with [`Error::Cancelled`], leaving no file, no
/// audit row and the last backup's record as it was.
pub fn create_with(
    folder: &PracticeFolder,
    store: &Store,
    dest: &Path,
    progress: &mut (dyn FnMut(BackupProgress) -> bool + Send),
) -> Result<BackupInfo> {
    create_inner(folder, store, dest, progress, None)
}

fn create_inner(
    folder: &PracticeFolder,
    store: &Store,
    dest: &Path,
    progress: &mut (dyn FnMut(BackupProgress) -> bool + Send),
    source: Option<crate::audit::Source>,
) -> Result<BackupInfo> {
    let dir = check_destination(folder, dest)?;
    let key_file = KeyFile::read(&folder.key_path())?;
    if !key_file.matches(store.key()) {
        return Err(Error::KeyFileCorrupt);
    }
    let name = dest.file_name().unwrap_or_default().to_string_lossy();
    let copy = dir.join(format!(".{name}.db.partial"));
    let _ = std::fs::remove_file(&copy);
    // The one way a file leaves the app: the backup is written (outside the transaction,
    // so the practice's writes are not held up) to an owner-only partial file, then its
    // `backup` row is committed with the rename.
    let result = crate::disclose::save(
        store,
        dest,
        EXTENSION,
        |out| write_backup(store, &key_file, &copy, out, progress),
        |w, _, info: BackupInfo| {
            if let Some(source) = source {
                w.set_source(source);
            }
            let seq = info.audit_rows;
            schedule::record_success(w, seq)?;
            let disclosure = crate::disclose::Disclosure {
                document: crate::disclose::Document::Backup,
                client_id: None,
                // Encrypted: no name can be read without the passphrase.
                names_included: false,
                action: Action::Backup,
                kind: EntityKind::Backup,
                id: seq,
                to: None,
                process_notes: false,
            };
            Ok((info, disclosure))
        },
    );
    let _ = std::fs::remove_file(&copy);
    result
}

/// [`create`], recording the backup's audit row as coming from `source` (the automatic
/// backup says so) rather than from the store's default.
pub fn create_from(
    folder: &PracticeFolder,
    store: &Store,
    dest: &Path,
    source: crate::audit::Source,
) -> Result<BackupInfo> {
    create_inner(folder, store, dest, &mut |_| true, Some(source))
}

fn write_backup(
    store: &Store,
    key_file: &KeyFile,
    copy: &Path,
    out: &mut File,
    progress: &mut (dyn FnMut(BackupProgress) -> bool + Send),
) -> Result<BackupInfo> {
    let created_at = chrono::SubsecRound::trunc_subsecs(Utc::now(), 0);
    let check = store.snapshot_to_with(copy, &mut |done, total| {
        progress(BackupProgress { done, total })
    })?;
    let (db_bytes, db_sha256) = hash_file(copy)?;
    let mut header = Header {
        format: FORMAT.into(),
        version: VERSION,
        info: BackupInfo {
            created_at,
            app_version: env!("CARGO_PKG_VERSION").into(),
            schema_version: check.schema_version,
            practice_id: key_file.practice_id().to_owned(),
            audit_rows: check.audit.rows,
            audit_head: check.audit.head.clone(),
            db_bytes,
        },
        db_sha256,
        key_file: serde_json::from_slice(&key_file.to_bytes()?)
            .map_err(|_| Error::Internal("key file encoding"))?,
        header_mac: None,
    };
    header.header_mac = Some(header.mac(store.key())?);
    let header_bytes =
        serde_json::to_vec(&header).map_err(|_| Error::Internal("backup header encoding"))?;
    let header_len =
        u32::try_from(header_bytes.len()).map_err(|_| Error::Internal("backup header size"))?;
    // Written into the hidden, owner-only `.partial` file `disclose::save` renames into
    // place only when whole.
    {
        let mut out = BufWriter::new(out);
        out.write_all(MAGIC)?;
        out.write_all(&header_len.to_le_bytes())?;
        out.write_all(&header_bytes)?;
        std::io::copy(&mut File::open(copy)?, &mut out)?;
        out.flush()?;
    }
    Ok(header.info)
}

fn hash_file(path: &Path) -> Result<(u64, String)> {
    let mut f = BufReader::new(File::open(path)?);
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut n = 0u64;
    loop {
        let k = f.read(&mut buf)?;
        if k == 0 {
            break;
        }
        h.update(&buf[..k]);
        n += k as u64;
    }
    Ok((n, hex::encode(h.finalize())))
}

fn read_header(reader: &mut impl Read) -> Result<Header> {
    let mut magic = [0u8; 8];
    reader
        .read_exact(&mut magic)
        .map_err(|_| Error::NotABackup)?;
    if &magic != MAGIC {
        return Err(Error::NotABackup);
    }
    let mut len = [0u8; 4];
    reader.read_exact(&mut len).map_err(|_| Error::NotABackup)?;
    let len = u32::from_le_bytes(len);
    if len == 0 || len > MAX_HEADER {
        return Err(Error::BackupDamaged);
    }
    let mut bytes = vec![0u8; len as usize];
    reader
        .read_exact(&mut bytes)
        .map_err(|_| Error::BackupDamaged)?;
    let header: Header = serde_json::from_slice(&bytes).map_err(|_| Error::BackupDamaged)?;
    if header.format != FORMAT || !(1..=VERSION).contains(&header.version) {
        return Err(Error::NotABackup);
    }
    Ok(header)
}

fn open_backup(path: &Path) -> Result<(Header, BufReader<File>)> {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Error::invalid("path", "That backup file does not exist."))
        }
        Err(e) => return Err(e.into()),
    };
    if file.metadata()?.is_dir() {
        return Err(Error::NotABackup);
    }
    let mut reader = BufReader::new(file);
    let header = read_header(&mut reader)?;
    Ok((header, reader))
}

/// Checks that `passphrase` unwraps the backup's key and that its header is authentic,
/// reading only the header: a quick check before closing an open practice to restore.
pub fn check_passphrase(path: &Path, passphrase: &Passphrase) -> Result<BackupInfo> {
    let (header, _) = open_backup(path)?;
    let (_, key) = unwrap_key(&header, passphrase)?;
    header.authenticate(&key)?;
    Ok(header.info)
}

/// Refuses, with [`Error::OtherPractice`], a backup of another practice than the one in
/// `folder` unless `foreign` is [`ForeignPractice::Replace`]. A folder without a
/// practice (a new laptop) takes any backup.
pub fn check_practice(
    folder: &PracticeFolder,
    info: &BackupInfo,
    foreign: ForeignPractice,
) -> Result<()> {
    if foreign == ForeignPractice::Replace || !folder.key_path().exists() {
        return Ok(());
    }
    let current = match KeyFile::read(&folder.key_path()) {
        Ok(k) => k,
        // A damaged key file names no practice: restoring is how it is repaired.
        Err(_) => return Ok(()),
    };
    if current.practice_id() == info.practice_id {
        return Ok(());
    }
    Err(Error::OtherPractice {
        made: info.created_at,
    })
}

/// Reads what a backup holds, without the passphrase (for showing before a restore).
pub fn read_info(path: &Path) -> Result<BackupInfo> {
    open_backup(path).map(|(h, _)| h.info)
}

/// What a full check of a backup found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verified {
    pub info: BackupInfo,
    pub check: FileCheck,
    /// False for a backup made by an older version: its header cannot be checked (the
    /// database in it was checked all the same).
    pub header_checked: bool,
}

/// Copies the database out of a backup into `to`, checking its length and hash, then
/// checks the copy with `key`: every page, the structure, the audit chain to its head;
/// when `deep` (verify), also the schema and every record's latest audited content.
fn unpack(
    header: &Header,
    reader: &mut impl Read,
    to: &Path,
    key: &DataKey,
    deep: bool,
) -> Result<FileCheck> {
    {
        let mut out = BufWriter::new(files::create_private(to)?);
        let mut h = Sha256::new();
        let mut buf = vec![0u8; 64 * 1024];
        let mut left = header.info.db_bytes;
        while left > 0 {
            let want = usize::try_from(left.min(buf.len() as u64)).unwrap_or(buf.len());
            let k = reader.read(&mut buf[..want])?;
            if k == 0 {
                return Err(Error::BackupDamaged);
            }
            h.update(&buf[..k]);
            out.write_all(&buf[..k])?;
            left -= k as u64;
        }
        let mut extra = [0u8; 1];
        if reader.read(&mut extra)? != 0 {
            return Err(Error::BackupDamaged);
        }
        if hex::encode(h.finalize()) != header.db_sha256 {
            return Err(Error::BackupDamaged);
        }
        let file = out.into_inner().map_err(|e| Error::from(e.into_error()))?;
        file.sync_all()?;
    }
    let anchor = header.anchor();
    let check = match store::check_file(to, key, &[("the backup's header", &anchor)], deep) {
        Ok(c) => c,
        Err(Error::WrongKey | Error::Corrupt | Error::AuditBroken(_)) => {
            return Err(Error::BackupDamaged)
        }
        Err(e) => return Err(e),
    };
    let expected = AuditSummary {
        rows: header.info.audit_rows,
        head: header.info.audit_head.clone(),
    };
    if check.audit != expected || check.schema_version != header.info.schema_version {
        return Err(Error::BackupDamaged);
    }
    if check.schema_version > store::SCHEMA_VERSION {
        return Err(Error::Conflict(
            "This backup was made by a newer version of KAP Practice. Update the app to restore it."
                .into(),
        ));
    }
    Ok(check)
}

fn unwrap_key(header: &Header, passphrase: &Passphrase) -> Result<(KeyFile, DataKey)> {
    let bytes =
        serde_json::to_vec(&header.key_file).map_err(|_| Error::Internal("key file encoding"))?;
    let key_file = KeyFile::parse(&bytes).map_err(|_| Error::BackupDamaged)?;
    if key_file.practice_id() != header.info.practice_id {
        return Err(Error::BackupDamaged);
    }
    let key = match key_file.unwrap(passphrase) {
        Ok(k) => k,
        Err(Error::KeyFileCorrupt) => return Err(Error::BackupDamaged),
        Err(e) => return Err(e),
    };
    Ok((key_file, key))
}

/// Fully checks a backup with its passphrase, restoring nothing: the key unwraps, and the
/// copy passes every check a restore makes. Uses a temporary file in `scratch`.
pub fn verify(path: &Path, passphrase: &Passphrase, scratch: &Path) -> Result<Verified> {
    let (header, mut reader) = open_backup(path)?;
    let (_, key) = unwrap_key(&header, passphrase)?;
    let header_checked = header.authenticate(&key)?;
    let tmp = scratch.join(format!(".verify-{}.db", random_hex()?));
    let check = unpack(&header, &mut reader, &tmp, &key, true);
    files::remove_database_files(&tmp);
    Ok(Verified {
        info: header.info,
        check: check?,
        header_checked,
    })
}

fn random_hex() -> Result<String> {
    let mut b = [0u8; 8];
    getrandom::fill(&mut b).map_err(|_| Error::Internal("OS RNG failed"))?;
    Ok(hex::encode(b))
}

/// The outcome of a restore.
#[derive(Debug)]
pub struct Restored {
    pub info: BackupInfo,
    /// False for a backup made by an older version, whose header cannot be checked.
    pub header_checked: bool,
    /// Where the files the restore replaced were kept, if there were any.
    pub safety_copy: Option<PathBuf>,
    /// The restored practice, open.
    pub opened: Opened,
}

/// Restores `backup` into `folder` (an empty folder on a new laptop, or the practice's
/// own folder) with the passphrase the practice had when the backup was made.
///
/// Nothing in the folder changes until the backup has passed every check; then the
/// current database and key file are copied to `safety/before-restore-<time>/`, and the
/// restored files take their place. The restored practice is opened, the restore is
/// appended to its audit log, and its key is saved in this laptop's keychain.
/// Errors: [`Error::WrongPassphrase`], [`Error::NotABackup`], [`Error::BackupDamaged`]
/// (also for a header changed after it was written), [`Error::OtherPractice`] for a
/// backup of another practice unless `foreign` is [`ForeignPractice::Replace`],
/// [`Error::InUse`] when the practice is open elsewhere.
pub fn restore(
    folder: &PracticeFolder,
    backup: &Path,
    passphrase: &Passphrase,
    keychain: &Keychain,
) -> Result<Restored> {
    restore_with(
        folder,
        backup,
        passphrase,
        keychain,
        RestoreOptions::default(),
    )
}

/// [`restore`], saying whether a backup of another practice may replace this one and
/// where the restore comes from.
pub fn restore_with(
    folder: &PracticeFolder,
    backup: &Path,
    passphrase: &Passphrase,
    keychain: &Keychain,
    options: RestoreOptions,
) -> Result<Restored> {
    let foreign = options.foreign;
    let (header, mut reader) = open_backup(backup)?;
    let (key_file, key) = unwrap_key(&header, passphrase)?;
    let header_checked = header.authenticate(&key)?;
    check_practice(folder, &header.info, foreign)?;
    files::refuse_symlink(folder.dir())?;
    files::create_private_dir(folder.dir())?;
    let lock = PracticeLock::take(&folder.db_path())?;
    finish_locked(folder)?;
    let staging = folder.dir().join(STAGING_DIR);
    files::create_private_dir(&staging)?;
    let staged = (|| -> Result<Option<PathBuf>> {
        unpack(&header, &mut reader, &staging.join(DB_FILE), &key, false)?;
        key_file.write(&staging.join(KEY_FILE))?;
        files::tighten(&staging.join(KEY_FILE), files::FILE_MODE)?;
        let safety = keep_safety_copy(folder)?;
        let ready = staging.join(READY);
        files::create_private(&ready)?.sync_all()?;
        files::sync_dir(&staging);
        Ok(safety)
    })();
    let safety_copy = match staged {
        Ok(s) => s,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(e);
        }
    };
    switch(folder)?;
    drop(lock);
    let store = match Store::open(&folder.db_path(), &key) {
        Err(Error::WrongKey) => return Err(Error::Corrupt),
        other => other?,
    };
    store.set_source(options.source);
    store.write(|w| {
        w.audit(Action::Restore, EntityKind::Backup, header.info.audit_rows)?;
        // The practice now holds exactly what that backup held.
        schedule::record_restore(w, &header.info)
    })?;
    let keychain_status = match keychain.save(key_file.practice_id(), &key) {
        Ok(()) => crate::folder::KeychainStatus::Saved,
        Err(e) => crate::folder::KeychainStatus::NotSaved(e),
    };
    // The chain is now the backup's plus the restore row: anchor it, or the anchor of the
    // practice it replaced would read as a rewrite. A keychain that cannot be reached is
    // already reported above.
    let _ = crate::audit::AnchorSchedule::new().keep(
        &store,
        keychain,
        key_file.practice_id(),
        Utc::now(),
        true,
    );
    Ok(Restored {
        info: header.info,
        header_checked,
        safety_copy,
        opened: Opened {
            store,
            practice_id: key_file.practice_id().to_owned(),
            keychain: keychain_status,
        },
    })
}

/// Copies the practice's current files (database, its WAL and shared-memory files, key
/// file) into a new folder under `safety/`. None when the folder holds no practice.
fn keep_safety_copy(folder: &PracticeFolder) -> Result<Option<PathBuf>> {
    let db = folder.db_path();
    let present: Vec<PathBuf> = [
        db.clone(),
        files::with_suffix(&db, "-wal"),
        files::with_suffix(&db, "-shm"),
        folder.key_path(),
    ]
    .into_iter()
    .filter(|p| p.is_file())
    .collect();
    if present.is_empty() {
        return Ok(None);
    }
    let stamp = Utc::now().format("%Y%m%d-%H%M%S%.6fZ").to_string();
    let dir = folder
        .dir()
        .join(SAFETY_DIR)
        .join(format!("before-restore-{stamp}"));
    files::create_private_dir(&dir)?;
    for f in present {
        files::copy_private(&f, &dir.join(f.file_name().unwrap_or_default()))?;
    }
    files::sync_dir(&dir);
    Ok(Some(dir))
}

/// Moves a committed, staged restore into place. Every step can be repeated, so a crash
/// part-way is finished by running it again.
fn switch(folder: &PracticeFolder) -> Result<()> {
    let staging = folder.dir().join(STAGING_DIR);
    let staged_key = staging.join(KEY_FILE);
    let staged_db = staging.join(DB_FILE);
    if staged_key.exists() {
        std::fs::rename(&staged_key, folder.key_path())?;
    }
    if staged_db.exists() {
        // The old database's WAL must not be replayed into the restored one.
        let db = folder.db_path();
        for suffix in ["-wal", "-shm"] {
            match std::fs::remove_file(files::with_suffix(&db, suffix)) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e.into()),
                _ => {}
            }
        }
        std::fs::rename(&staged_db, &db)?;
    }
    files::sync_dir(folder.dir());
    std::fs::remove_dir_all(&staging)?;
    files::sync_dir(folder.dir());
    Ok(())
}

/// Finishes or discards a restore that was interrupted (a crash, a power cut): a staged
/// restore that was committed is moved into place; one that was not is discarded and the
/// practice stays as it was. Returns true when it changed anything.
pub fn finish_interrupted_restore(folder: &PracticeFolder) -> Result<bool> {
    if !folder.dir().join(STAGING_DIR).exists() {
        return Ok(false);
    }
    let _lock = PracticeLock::take(&folder.db_path())?;
    finish_locked(folder)
}

fn finish_locked(folder: &PracticeFolder) -> Result<bool> {
    let staging = folder.dir().join(STAGING_DIR);
    if !staging.exists() {
        return Ok(false);
    }
    if staging.join(READY).exists() {
        switch(folder)?;
    } else {
        std::fs::remove_dir_all(&staging)?;
    }
    Ok(true)
}

/// True when a committed restore waits to be finished in `folder`.
pub fn restore_pending(folder: &PracticeFolder) -> bool {
    folder.dir().join(STAGING_DIR).join(READY).exists()
}

/// Removes a staged switch that was never committed (no marker). A committed one is left
/// for [`finish_interrupted_restore`].
pub(crate) fn discard_uncommitted_staging(folder: &PracticeFolder) -> Result<()> {
    let staging = folder.dir().join(STAGING_DIR);
    if staging.exists() && !staging.join(READY).exists() {
        std::fs::remove_dir_all(&staging)?;
        files::sync_dir(folder.dir());
    }
    Ok(())
}

/// Commits a switch staged in [`STAGING_DIR`] (a new database and key file, e.g. from a
/// passphrase change) and moves it into place, with the practice's lock held. The
/// practice must be closed.
pub(crate) fn commit_staged(folder: &PracticeFolder) -> Result<()> {
    let staging = folder.dir().join(STAGING_DIR);
    let _lock = PracticeLock::take(&folder.db_path())?;
    files::sync_dir(&staging);
    let ready = staging.join(READY);
    files::create_private(&ready)?.sync_all()?;
    files::sync_dir(&staging);
    switch(folder)
}
