//! The core's one error type.
//!
//! Messages are written for the therapist and never contain PHI: no names, no note text,
//! no values a user typed. The shell maps each variant to a small code set on the wire.

use crate::validate::FieldErrors;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The data key does not open this database.
    #[error("The key does not open this practice's database.")]
    WrongKey,
    /// The passphrase does not unwrap the data key; nothing was changed.
    #[error("That passphrase is not correct.")]
    WrongPassphrase,
    /// The database file is damaged, truncated or not a practice database. It was not
    /// modified.
    #[error("The practice database is damaged or is not a KAP Practice database. It has not been changed; restore it from a backup.")]
    Corrupt,
    /// No practice exists in the folder.
    #[error("There is no practice in this folder yet.")]
    NoPractice,
    /// A practice already exists in the folder.
    #[error("A practice already exists in this folder.")]
    PracticeExists,
    /// The key file is there but the database file is not.
    #[error("The practice database file is missing. Restore it from a backup.")]
    DatabaseMissing,
    /// The key file beside the database is missing.
    #[error("The practice key file is missing. Restore it from a backup; without it the passphrase cannot open the practice.")]
    KeyFileMissing,
    /// The key file is unreadable or has been tampered with.
    #[error("The practice key file is damaged. Restore it from a backup.")]
    KeyFileCorrupt,
    /// Another program (or another window of this app) has the practice open.
    #[error("The practice is open in another window or program. Close it there first.")]
    InUse,
    /// The database stayed locked by another connection past the wait.
    #[error("The practice database is busy. Try again in a moment.")]
    Busy,
    /// The disk has no room; the change was not saved.
    #[error("The disk is full. Nothing was saved; free some space and try again.")]
    DiskFull,
    /// The practice folder cannot be written.
    #[error("The practice folder cannot be written to. Nothing was saved; check its permissions.")]
    ReadOnly,
    /// The input breaks one or more rules; nothing was saved.
    #[error("Some fields need attention.")]
    Invalid(FieldErrors),
    /// The record does not exist.
    #[error("That {0} was not found.")]
    NotFound(&'static str),
    /// The change conflicts with the current state (the message says how; no PHI).
    #[error("{0}")]
    Conflict(String),
    /// A KAP session cannot be booked: the client is not cleared on its date. The
    /// reasons say why, in plain English.
    #[error("This client is not cleared for a KAP session on this date.")]
    NotCleared {
        client_id: i64,
        reasons: Vec<crate::clearance::ReasonView>,
    },
    /// The file chosen for a restore is not a KAP Practice backup.
    #[error("This file is not a KAP Practice backup. Nothing was restored.")]
    NotABackup,
    /// The backup's contents fail their checks: damaged or altered. Nothing was restored.
    #[error("The backup file is damaged or has been altered. Nothing was restored; try an older backup.")]
    BackupDamaged,
    /// The backup chosen for a restore is of another practice than the one in this
    /// folder. Restoring it needs the user's explicit confirmation.
    #[error("This backup is of another practice (made {} UTC). Restoring it replaces this practice entirely.", made.format("%Y-%m-%d %H:%M"))]
    OtherPractice { made: chrono::DateTime<chrono::Utc> },
    /// The file chosen for an import is not a KAP Practice export (not a zip, or no
    /// manifest of this app's export format). Nothing was imported.
    #[error("This file is not a KAP Practice export. Nothing was imported.")]
    NotAnExport,
    /// The export cannot be imported: the reason names the rule and where it is broken
    /// (a file, an entity, a row number, a column), never a value from a row. Nothing
    /// was imported.
    #[error("This export cannot be imported: {0}. Nothing was imported.")]
    ExportRefused(String),
    /// The audit chain is broken at this sequence number.
    #[error("The audit log has been altered at entry {0}.")]
    AuditBroken(i64),
    /// Long work (an export) was cancelled by the user, or by a lock; nothing was saved
    /// and nothing was audited.
    #[error("Cancelled. Nothing was saved.")]
    Cancelled,
    /// Too many wrong passphrases in a row: the next attempt must wait this long.
    #[error("Too many wrong passphrases. Wait {seconds} seconds, then try again.")]
    TryLater { seconds: u64 },
    /// The OS keychain failed in a way other than "no entry" or "locked".
    #[error("The system keychain could not be used.")]
    Keychain,
    /// A file system error, reported by kind only (paths may contain names).
    #[error("A file could not be read or written ({0:?}).")]
    Io(std::io::ErrorKind),
    /// An unexpected database error. The detail is for developers and holds no values.
    #[error("An unexpected database error occurred.")]
    Database(#[source] rusqlite::Error),
    /// A programming error: a rule of the store itself was broken.
    #[error("An internal error occurred: {0}")]
    Internal(&'static str),
}

impl Error {
    /// Field errors for one field, for brevity at call sites.
    pub fn invalid(field: &str, message: &str) -> Self {
        let mut errs = FieldErrors::new();
        errs.add(field, message);
        Error::Invalid(errs)
    }
}

impl From<rusqlite::Error> for Error {
    fn from(err: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        match err.sqlite_error_code() {
            Some(ErrorCode::DiskFull) => Error::DiskFull,
            Some(ErrorCode::ReadOnly) | Some(ErrorCode::CannotOpen) => Error::ReadOnly,
            Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => Error::Busy,
            Some(ErrorCode::DatabaseCorrupt) | Some(ErrorCode::NotADatabase) => Error::Corrupt,
            _ => Error::Database(err),
        }
    }
}

impl From<std::io::Error> for Error {
    fn from(err: std::io::Error) -> Self {
        match err.kind() {
            std::io::ErrorKind::StorageFull => Error::DiskFull,
            std::io::ErrorKind::ReadOnlyFilesystem | std::io::ErrorKind::PermissionDenied => {
                Error::ReadOnly
            }
            kind => Error::Io(kind),
        }
    }
}
