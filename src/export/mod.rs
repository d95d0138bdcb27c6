//! Exports for portability and records requests: one client or the whole practice as
//! JSON and CSV files in a zip, and one client's complete record as a PDF (loaded here,
//! drawn by `crate::documents`).
//!
//! Invariants:
//! - An export reads in one write transaction that appends its `export` audit row
//!   (entity: the client, or the practice), so the file and the audit row agree on what
//!   was exported. The file is written under a temporary owner-only name and renamed into
//!   place as the last step before the commit, through `crate::disclose::save`: there is
//!   never a file without its audit row nor a row without its file, and a failed export
//!   leaves no half file.
//! - A client's export holds nothing of any other client (see `tables`).
//! - Suggested file names hold a client's number and the date, never a name.
//! - The target must be in an existing folder outside the practice's own folder.
//! - Nothing here logs or prints; errors name rules, never values.

mod archive;
mod record;
pub(crate) mod tables;

pub use archive::{
    csv_field, neutralise, write_zip, write_zip_with, EntityCount, Manifest, Progress, Scope,
    FORMAT_VERSION,
};
pub(crate) use archive::{note_seal, SEALED_FROM};
pub use record::{
    load_accounting, load_authorization, load_denial, load_prescriber_summary, load_record,
    load_record_with,
};

use crate::audit::EntityKind;
use crate::disclose::{Disclosure, Document};
use crate::records::accounting::Recipient;
use crate::store::Store;
use crate::{practice, Error, Result};
use chrono::NaiveDate;
use std::path::Path;

/// The practice's own audit id: the whole-practice export is recorded against it.
const PRACTICE_ID: i64 = 1;

/// `client-000123-export-2026-11-26.zip`
pub fn client_zip_name(client_id: i64, on: NaiveDate) -> String {
    format!("client-{client_id:06}-export-{}.zip", on.format("%Y-%m-%d"))
}

/// `practice-export-2026-11-26.zip`
pub fn practice_zip_name(on: NaiveDate) -> String {
    format!("practice-export-{}.zip", on.format("%Y-%m-%d"))
}

/// `client-000123-record-2026-11-26.pdf`
pub fn client_record_name(client_id: i64, on: NaiveDate) -> String {
    format!("client-{client_id:06}-record-{}.pdf", on.format("%Y-%m-%d"))
}

/// `client-000123-prescriber-summary-2026-11-26.pdf`
pub fn prescriber_summary_name(client_id: i64, on: NaiveDate) -> String {
    format!(
        "client-{client_id:06}-prescriber-summary-{}.pdf",
        on.format("%Y-%m-%d")
    )
}

/// Checks where the user asked to save an export; see [`crate::disclose::check_target`].
///
/// # Errors
/// `Error::Invalid` on the `path` field, naming which rule the path breaks (never the
/// path).
pub fn check_target(store: &Store, path: &Path, extension: &str) -> Result<()> {
    let practice_dir = store
        .path()
        .parent()
        .ok_or(Error::Internal("the practice folder is unknown"))?;
    crate::disclose::check_target(practice_dir, path, extension).map(drop)
}

/// Runs an export through [`crate::disclose::save`]: in one write transaction, `produce`
/// writes the file's contents and the export is audited; the file is renamed into place
/// just before the commit.
fn export_to<T>(
    store: &Store,
    path: &Path,
    extension: &str,
    disclosure: Disclosure,
    produce: impl FnOnce(
        &rusqlite::Connection,
        chrono::DateTime<chrono::Utc>,
        &mut std::fs::File,
    ) -> Result<T>,
) -> Result<T> {
    crate::disclose::save(
        store,
        path,
        extension,
        |_| Ok(()),
        |w, file, ()| Ok((produce(w.conn(), w.now(), file)?, disclosure)),
    )
}

/// Exports one client's records as JSON and CSV in a zip at `path`.
///
/// # Errors
/// `Error::NotFound` for an unknown client; `Error::Invalid` for a target that
/// [`check_target`] refuses; `Error::Io` when the file cannot be written (nothing is left
/// behind and nothing is audited).
pub fn client_zip(
    store: &Store,
    client_id: i64,
    path: &Path,
    to: Option<Recipient>,
) -> Result<Manifest> {
    client_zip_with(
        store,
        client_id,
        path,
        ClientExportOptions {
            to,
            process_notes: false,
        },
    )
}

/// Who a one-client export goes to, and whether it holds the client's private process
/// notes.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientExportOptions {
    /// Who it is going to and why, when the therapist said.
    pub to: Option<Recipient>,
    /// Private process notes (psychotherapy notes, 45 CFR 164.501) are left out of every
    /// record export and access-request copy unless the therapist includes them
    /// explicitly for this one export: `true` includes them, and the export's audit row
    /// records it (its `disclosure` row's `process_notes`).
    #[serde(default)]
    pub process_notes: bool,
}

impl ClientExportOptions {
    /// The disclosure of `document` about the client these options describe.
    fn disclosure(self, document: Document, client_id: i64) -> Disclosure {
        let mut d = Disclosure::export(
            document,
            EntityKind::Client,
            client_id,
            Some(client_id),
            true,
        )
        .to(self.to);
        d.process_notes = self.process_notes;
        d
    }
}

/// [`client_zip`] with `options`: with `process_notes`, the archive also holds the
/// client's `process_notes` file, and the export's disclosure row says so.
///
/// # Errors
/// As [`client_zip`].
pub fn client_zip_with(
    store: &Store,
    client_id: i64,
    path: &Path,
    options: ClientExportOptions,
) -> Result<Manifest> {
    let process_notes = options.process_notes;
    export_to(
        store,
        path,
        "zip",
        options.disclosure(Document::ClientExport, client_id),
        |conn, now, file| {
            archive::write_zip_including(
                conn,
                Scope::Client(client_id),
                process_notes,
                now,
                file,
                &mut |_| true,
            )
        },
    )
}

/// Exports the whole practice as JSON and CSV in a zip at `path`, streaming row by row.
///
/// # Errors
/// As [`client_zip`].
pub fn practice_zip(store: &Store, path: &Path) -> Result<Manifest> {
    practice_zip_with(store, path, &mut |_| true)
}

/// [`practice_zip`], telling `progress` how far it has come; when `progress` returns
/// false the export stops with [`Error::Cancelled`], leaving no file and no audit row.
pub fn practice_zip_with(
    store: &Store,
    path: &Path,
    progress: &mut dyn FnMut(Progress) -> bool,
) -> Result<Manifest> {
    export_to(
        store,
        path,
        "zip",
        Disclosure::export(
            Document::PracticeExport,
            EntityKind::Practice,
            PRACTICE_ID,
            None,
            true,
        ),
        |conn, now, file| write_zip_with(conn, Scope::Practice, now, file, progress),
    )
}

/// Writes one client's complete record as a PDF at `path`; returns its page count.
///
/// # Errors
/// As [`client_zip`].
pub fn client_record_pdf(
    store: &Store,
    client_id: i64,
    path: &Path,
    to: Option<Recipient>,
) -> Result<usize> {
    client_record_pdf_with(
        store,
        client_id,
        path,
        ClientExportOptions {
            to,
            process_notes: false,
        },
    )
}

/// [`client_record_pdf`] with `options`: with `process_notes`, the record ends with a
/// section of the client's process notes, headed as included at the therapist's
/// explicit choice, and the export's disclosure row says so.
///
/// # Errors
/// As [`client_zip`].
pub fn client_record_pdf_with(
    store: &Store,
    client_id: i64,
    path: &Path,
    options: ClientExportOptions,
) -> Result<usize> {
    let process_notes = options.process_notes;
    pdf_to(
        store,
        path,
        options.disclosure(Document::ClientRecord, client_id),
        |conn, today| {
            crate::documents::render_record(&load_record_with(
                conn,
                client_id,
                today,
                process_notes,
            )?)
        },
    )
}

/// Writes a PDF about one client at `path`, rendered by `render` from the store on the
/// practice's today, audited as an export of `document`; returns its page count.
fn client_pdf(
    store: &Store,
    client_id: i64,
    path: &Path,
    document: Document,
    to: Option<Recipient>,
    render: impl FnOnce(&rusqlite::Connection, NaiveDate) -> Result<(Vec<u8>, usize)>,
) -> Result<usize> {
    let disclosure = Disclosure::export(
        document,
        EntityKind::Client,
        client_id,
        Some(client_id),
        true,
    );
    pdf_to(store, path, disclosure.to(to), render)
}

/// Writes the PDF `render` draws from the store on the practice's today at `path`,
/// audited as `disclosure`; returns its page count.
fn pdf_to(
    store: &Store,
    path: &Path,
    disclosure: Disclosure,
    render: impl FnOnce(&rusqlite::Connection, NaiveDate) -> Result<(Vec<u8>, usize)>,
) -> Result<usize> {
    export_to(store, path, "pdf", disclosure, |conn, now, file| {
        let (bytes, pages) = render(conn, practice::today(conn, now)?)?;
        use std::io::Write;
        file.write_all(&bytes)?;
        Ok(pages)
    })
}

/// Writes the client's KAP course summary for the prescriber as a PDF at `path`; returns
/// its page count. Audited as an export of the client's data.
///
/// # Errors
/// As [`client_zip`].
pub fn prescriber_summary_pdf(
    store: &Store,
    client_id: i64,
    path: &Path,
    to: Option<Recipient>,
) -> Result<usize> {
    client_pdf(
        store,
        client_id,
        path,
        Document::PrescriberSummary,
        to,
        |conn, today| {
            crate::documents::render_prescriber_summary(&load_prescriber_summary(
                conn, client_id, today,
            )?)
        },
    )
}

/// The file name of a client's accounting of disclosures: a number and a date, no name.
pub fn accounting_name(client_id: i64, on: NaiveDate) -> String {
    format!("client-{client_id:06}-accounting-{on}.pdf")
}

/// The file name of the letter denying an access request: its number and a date.
pub fn denial_letter_name(request_id: i64, on: NaiveDate) -> String {
    format!("access-request-{request_id:06}-denial-{on}.pdf")
}

/// Writes the letter denying (part of) access request `request_id` as a PDF at `path`;
/// returns its page count. Audited as a disclosure of the client's data.
///
/// # Errors
/// `Error::NotFound` for an unknown request; `Error::Conflict` for one that was not
/// denied; as [`client_zip`] otherwise.
pub fn access_denial_pdf(
    store: &Store,
    request_id: i64,
    path: &Path,
    to: Option<Recipient>,
) -> Result<usize> {
    let client_id = store.read(|c| {
        let today = practice::today(c, store.now())?;
        Ok(crate::records::access::get(c, request_id, today)?.client_id)
    })?;
    let disclosure = Disclosure::export(
        Document::AccessDenial,
        EntityKind::AccessRequest,
        request_id,
        Some(client_id),
        true,
    );
    pdf_to(store, path, disclosure.to(to), |conn, today| {
        crate::documents::render_denial(&record::load_denial(conn, request_id, today)?)
    })
}

/// Writes the client's accounting of disclosures for the six years to today as a PDF at
/// `path`; returns its page count. Audited as a disclosure of the client's data.
///
/// # Errors
/// As [`client_zip`].
pub fn disclosure_accounting_pdf(
    store: &Store,
    client_id: i64,
    path: &Path,
    to: Option<Recipient>,
) -> Result<usize> {
    client_pdf(
        store,
        client_id,
        path,
        Document::DisclosureAccounting,
        to,
        |conn, today| {
            crate::documents::render_accounting(&record::load_accounting(conn, client_id, today)?)
        },
    )
}

/// The file name of an authorization form: its number and a date, no name
/// (`authorization-000012-2026-11-26.pdf`).
pub fn authorization_name(authorization_id: i64, on: NaiveDate) -> String {
    format!("authorization-{authorization_id:06}-{on}.pdf")
}

/// Writes authorization `authorization_id` as its form (to sign, or as signed) at
/// `path`; returns its page count. Audited as a disclosure of the client's data, going
/// to `to` when the therapist said (usually the client, for signature).
///
/// # Errors
/// `Error::NotFound` for an unknown authorization; as [`client_zip`] otherwise.
pub fn authorization_pdf(
    store: &Store,
    authorization_id: i64,
    path: &Path,
    to: Option<Recipient>,
) -> Result<usize> {
    let client_id = store.read(|c| {
        let today = practice::today(c, store.now())?;
        Ok(crate::records::authorization::get(c, authorization_id, today)?.client_id)
    })?;
    let disclosure = Disclosure::export(
        Document::Authorization,
        EntityKind::Authorization,
        authorization_id,
        Some(client_id),
        true,
    );
    pdf_to(store, path, disclosure.to(to), |conn, today| {
        crate::documents::render_authorization(&record::load_authorization(
            conn,
            authorization_id,
            today,
        )?)
    })
}

/// `privacy-notice-2026-11-26.pdf`
pub fn privacy_notice_name(revised_on: NaiveDate) -> String {
    format!("privacy-notice-{revised_on}.pdf")
}

/// Writes the practice's notice of privacy practices as a PDF at `path`; returns its
/// page count. It holds no client's data; the save is audited like every document's.
///
/// # Errors
/// `Error::Conflict` when the practice has no notice yet; as [`client_zip`] otherwise.
pub fn privacy_notice_pdf(store: &Store, path: &Path) -> Result<usize> {
    let disclosure = Disclosure::export(
        Document::PrivacyNotice,
        EntityKind::Practice,
        PRACTICE_ID,
        None,
        false,
    );
    pdf_to(store, path, disclosure, |conn, _| {
        let notice = crate::records::notice::get(conn)?;
        let Some(revised_on) = notice.revised_on else {
            return Err(Error::Conflict(
                "Write the practice's notice of privacy practices first.".into(),
            ));
        };
        crate::documents::render_privacy_notice(&crate::documents::PrivacyNoticeDoc {
            practice: crate::documents::PracticeHeader::from(practice::get(conn)?),
            text: notice.text,
            revised_on,
        })
    })
}
