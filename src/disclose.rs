//! The one way a document leaves the app as a file: PDFs (invoice, consent form,
//! superbill, good-faith estimate, a client's record), the schedule's `.ics`, exports
//! (zip) and backups all go through [`save`].
//!
//! [`save`] checks the target (a file a save dialog would name, outside the practice's
//! own folder however it is reached: `..`, a symlinked folder, a symlink in the file's
//! place), writes the contents to an owner-only `.<name>.partial` file created new beside
//! it, and then, inside one store transaction: appends the audit row with its
//! [`Disclosure`] (which document, the client where there is one, whether client names are
//! readable in it), flushes the file and renames it into place just before the commit. So:
//!
//! - a failure before the rename (a full disk while writing, a rename refused) rolls the
//!   audit row back and removes the partial file: nothing was saved, and the app says so;
//! - a commit that fails after the rename removes the file again (and puts back a file
//!   the save was replacing): the audit log never lacks a file that exists, and never
//!   names one that does not.
//!
//! Printing is a disclosure too ([`crate::print::PrintDocument::disclose`]); it records
//! the same row with `printed` set.

use crate::audit::{Action, EntityKind};
use crate::files::PartialFile;
use crate::records::accounting::Recipient;
use crate::store::{Store, Writer};
use crate::str_enum::str_enum;
use crate::{Error, Result};
use rusqlite::params;
use std::fs::File;
use std::path::{Path, PathBuf};

/// What kind of document left the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Document {
    Invoice,
    Consent,
    Superbill,
    Estimate,
    /// One client's complete record as a PDF.
    ClientRecord,
    /// One client's KAP course summary for the prescriber, as a PDF.
    PrescriberSummary,
    /// One client's data as JSON and CSV in a zip.
    ClientExport,
    /// The whole practice as JSON and CSV in a zip.
    PracticeExport,
    /// The schedule as an iCalendar file.
    Schedule,
    /// An encrypted backup.
    Backup,
    /// A letter denying (part of) an access request.
    AccessDenial,
    /// One client's accounting of disclosures.
    DisclosureAccounting,
    /// A release-of-information authorization form.
    Authorization,
    /// The notice of privacy practices.
    PrivacyNotice,
}

str_enum!(Document {
    Invoice = "invoice",
    Consent = "consent",
    Superbill = "superbill",
    Estimate = "estimate",
    ClientRecord = "client_record",
    PrescriberSummary = "prescriber_summary",
    ClientExport = "client_export",
    PracticeExport = "practice_export",
    Schedule = "schedule",
    Backup = "backup",
    AccessDenial = "access_denial",
    DisclosureAccounting = "disclosure_accounting",
    Authorization = "authorization",
    PrivacyNotice = "privacy_notice",
});

/// What one disclosure held, recorded with its audit row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disclosure {
    pub document: Document,
    /// The client the document is about, when it is about one.
    pub client_id: Option<i64>,
    /// Whether client names can be read in it without the passphrase.
    pub names_included: bool,
    /// The audit row: the action and the entity it is recorded against.
    pub action: Action,
    pub kind: EntityKind,
    pub id: i64,
    /// Who it is going to and why, when the therapist said (the accounting of
    /// disclosures lists it from this).
    pub to: Option<Recipient>,
    /// Whether the therapist chose to include private process notes in it.
    pub process_notes: bool,
}

impl Disclosure {
    /// An `export` of `document`, recorded against the entity `(kind, id)`.
    pub fn export(
        document: Document,
        kind: EntityKind,
        id: i64,
        client_id: Option<i64>,
        names_included: bool,
    ) -> Disclosure {
        Disclosure {
            document,
            client_id,
            names_included,
            action: Action::Export,
            kind,
            id,
            to: None,
            process_notes: false,
        }
    }

    /// This disclosure, going to `to` (when the therapist said).
    pub fn to(mut self, to: Option<Recipient>) -> Disclosure {
        self.to = to;
        self
    }
}

/// Appends the audit row of `d` and its disclosure row in the write `w`, with its
/// recipient checked ([`Recipient::validated`]: an authorization or access request it
/// names must be the client's).
pub fn record(w: &mut Writer<'_>, d: &Disclosure, printed: bool) -> Result<()> {
    let to =
        d.to.clone()
            .map(|r| r.validated(w.conn(), d.client_id))
            .transpose()?;
    let seq = w.audit_disclosure(d.action, d.kind, d.id)?;
    w.conn().execute(
        "INSERT INTO disclosure (audit_seq, document, client_id, names_included, printed,
             recipient_kind, recipient, purpose, purpose_note, access_request_id,
             authorization_id, process_notes)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            seq,
            d.document.as_str(),
            d.client_id,
            d.names_included,
            printed,
            to.as_ref().map(|t| t.kind.as_str()),
            to.as_ref().map(|t| t.name.as_str()),
            to.as_ref().map(|t| t.purpose.as_str()),
            to.as_ref().and_then(|t| t.purpose_note.as_deref()),
            to.as_ref().and_then(|t| t.access_request_id),
            to.as_ref().and_then(|t| t.authorization_id),
            d.process_notes,
        ],
    )?;
    Ok(())
}

/// Checks where the user asked to save a document: an absolute path without `.` or `..`
/// parts, a file name ending in `.extension` in a folder that exists, not a folder
/// itself, and neither the folder nor the file (followed through symlinks) inside the
/// practice's own folder: the database, its key and its backups live there, and a
/// document must never sit beside them or overwrite them. Returns the path to write.
///
/// # Errors
/// `Error::Invalid` on the `path` field, naming which rule the path breaks (never the
/// path).
pub fn check_target(practice_dir: &Path, path: &Path, extension: &str) -> Result<PathBuf> {
    let bad = |msg: &str| Err(Error::invalid("path", msg));
    let Some(text) = path.to_str() else {
        return bad("Choose a folder whose name is plain text.");
    };
    let target = crate::validate::document_path(text, extension)?;
    let Some(dir) = target.parent().filter(|d| d.is_dir()) else {
        return bad("Choose a folder that exists.");
    };
    if target.is_dir() {
        return bad("A folder has that name; choose a file name.");
    }
    if crate::files::is_inside(dir, practice_dir) || crate::files::is_inside(&target, practice_dir)
    {
        return bad("Save documents outside the practice's own folder.");
    }
    Ok(target)
}

/// The practice folder of `store`.
fn practice_dir(store: &Store) -> Result<&Path> {
    store
        .path()
        .parent()
        .ok_or(Error::Internal("the practice folder is unknown"))
}

/// Saves a document at `target` (see the module's notes): `prepare` writes into the
/// partial file outside any transaction (a backup's copy, which must not hold up the
/// practice's writes) and may write nothing; `write` runs inside the transaction, may
/// write (more) into the file, and says what the file holds. Returns `write`'s value.
///
/// # Errors
/// Those of [`check_target`]; `Error::DiskFull`, `Error::ReadOnly` or `Error::Io` when the
/// file cannot be written or renamed; any error of `prepare` or `write`. On every error
/// nothing is left under `target` (a file the save was replacing is put back), no partial
/// file is left, and no audit row is added.
pub fn save<P, T>(
    store: &Store,
    target: &Path,
    extension: &str,
    prepare: impl FnOnce(&mut File) -> Result<P>,
    write: impl FnOnce(&mut Writer<'_>, &mut File, P) -> Result<(T, Disclosure)>,
) -> Result<T> {
    let target = check_target(practice_dir(store)?, target, extension)?;
    let mut part = PartialFile::create(&target)?;
    let prepared = prepare(part.file())?;
    let mut previous: Option<Previous> = None;
    let outcome = store.write(|w| {
        let (value, disclosure) = write(w, part.file(), prepared)?;
        record(w, &disclosure, false)?;
        part.sync()?;
        previous = Previous::keep(&target)?;
        // The last step before the commit: if it fails, the audit row rolls back.
        part.place()?;
        Ok(value)
    });
    match outcome {
        Ok(value) => {
            if let Some(p) = previous {
                p.discard();
            }
            Ok(value)
        }
        Err(e) => {
            if part.is_placed() {
                // The commit failed after the rename: the file goes again.
                let _ = std::fs::remove_file(&target);
            }
            if let Some(p) = previous {
                p.restore(&target);
            }
            Err(e)
        }
    }
}

/// A file the save is about to replace, kept under a hidden name until the commit.
struct Previous(PathBuf);

impl Previous {
    /// Keeps the file at `target`, if there is one: a hard link (no copy, no space), or,
    /// where the file system has none, a rename.
    fn keep(target: &Path) -> Result<Option<Previous>> {
        match std::fs::symlink_metadata(target) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e.into()),
            Ok(m) if m.is_dir() => {
                return Err(Error::invalid(
                    "path",
                    "A folder has that name; choose a file name.",
                ))
            }
            Ok(_) => {}
        }
        let mut name = std::ffi::OsString::from(".");
        name.push(target.file_name().unwrap_or_default());
        name.push(".previous.partial");
        let kept = target.with_file_name(name);
        let _ = std::fs::remove_file(&kept);
        if std::fs::hard_link(target, &kept).is_err() {
            std::fs::rename(target, &kept)?;
        }
        Ok(Some(Previous(kept)))
    }

    fn discard(self) {
        let _ = std::fs::remove_file(&self.0);
    }

    fn restore(self, target: &Path) {
        let _ = std::fs::rename(&self.0, target);
    }
}

/// The audited row count of `export`/`backup` disclosures, for tests and the activity view.
pub fn count(conn: &rusqlite::Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM disclosure", [], |r| r.get(0))?)
}
