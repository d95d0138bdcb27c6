//! The documents the app prints or saves, and the one audited path that discloses them.

use crate::audit::EntityKind;
use crate::billing::{self, EstimatePlan};
use crate::disclose::{Disclosure, Document};
use crate::documents;
use crate::records::accounting::Recipient;
use crate::store::{Store, Writer};
use crate::{Error, Result};
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension};
use serde::Deserialize;
use std::io::Write;
use std::path::Path;

/// The client an invoice is for.
fn billing_client(conn: &Connection, invoice_id: i64) -> Result<i64> {
    conn.query_row(
        "SELECT client_id FROM invoice WHERE id = ?1",
        [invoice_id],
        |r| r.get(0),
    )
    .optional()?
    .ok_or(Error::NotFound("invoice"))
}

/// A document, named by what it is rendered from. Rendering makes the same core calls as
/// the `save_*_pdf` commands, so a preview, a print and a saved file are the same pages.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub enum PrintDocument {
    Invoice {
        #[cfg_attr(feature = "ts-export", ts(type = "number"))]
        id: i64,
    },
    /// The current KAP informed consent form, filled in for the client.
    Consent {
        #[cfg_attr(feature = "ts-export", ts(type = "number"))]
        client_id: i64,
    },
    Superbill {
        #[cfg_attr(feature = "ts-export", ts(type = "number"))]
        client_id: i64,
        from: NaiveDate,
        to: NaiveDate,
    },
    /// A good-faith estimate.
    Estimate {
        #[cfg_attr(feature = "ts-export", ts(type = "number"))]
        client_id: i64,
        plan: EstimatePlan,
    },
}

impl PrintDocument {
    /// The audit row's entity, as the `save_*_pdf` commands record it.
    pub fn audited_as(&self) -> (EntityKind, i64) {
        match self {
            PrintDocument::Invoice { id } => (EntityKind::Invoice, *id),
            PrintDocument::Consent { client_id } => (EntityKind::Consent, *client_id),
            PrintDocument::Superbill { client_id, .. }
            | PrintDocument::Estimate { client_id, .. } => (EntityKind::Client, *client_id),
        }
    }

    /// The PDF's bytes. Reading only: this alone discloses nothing outside the app.
    pub fn render(&self, conn: &Connection, today: NaiveDate) -> Result<Vec<u8>> {
        match self {
            PrintDocument::Invoice { id } => {
                documents::render_invoice(&billing::invoice_doc(conn, *id)?)
            }
            PrintDocument::Consent { client_id } => {
                documents::render_consent(&billing::consent_doc(conn, *client_id, today)?)
            }
            PrintDocument::Superbill {
                client_id,
                from,
                to,
            } => documents::render_superbill(&billing::superbill_doc(
                conn, *client_id, *from, *to, today,
            )?),
            PrintDocument::Estimate { client_id, plan } => {
                documents::render_estimate(&billing::estimate_doc(conn, *client_id, plan, today)?)
            }
        }
    }

    /// What a disclosure of this document records: which document, its client, and that
    /// client names are in it.
    pub fn disclosure(&self, conn: &Connection, to: Option<Recipient>) -> Result<Disclosure> {
        let (document, client_id) = match self {
            PrintDocument::Invoice { id } => (Document::Invoice, billing_client(conn, *id)?),
            PrintDocument::Consent { client_id } => (Document::Consent, *client_id),
            PrintDocument::Superbill { client_id, .. } => (Document::Superbill, *client_id),
            PrintDocument::Estimate { client_id, .. } => (Document::Estimate, *client_id),
        };
        let (kind, id) = self.audited_as();
        Ok(Disclosure::export(document, kind, id, Some(client_id), true).to(to))
    }

    /// Renders the document for printing inside the write `w`, with its `export` audit
    /// row, then hands the bytes to `print`. An error from `print` rolls the row back
    /// with the rest of the write.
    pub fn disclose<T>(
        &self,
        w: &mut Writer<'_>,
        to: Option<Recipient>,
        print: impl FnOnce(&[u8]) -> Result<T>,
    ) -> Result<T> {
        let today = crate::practice::today(w.conn(), w.now())?;
        let bytes = self.render(w.conn(), today)?;
        let disclosure = self.disclosure(w.conn(), to)?;
        crate::disclose::record(w, &disclosure, true)?;
        print(&bytes)
    }

    /// Saves the document as a PDF at `target` through [`crate::disclose::save`]: rendered
    /// and audited in one write, the file renamed into place just before the commit.
    pub fn save(&self, store: &Store, target: &Path, to: Option<Recipient>) -> Result<()> {
        crate::disclose::save(
            store,
            target,
            "pdf",
            |_| Ok(()),
            |w, file, ()| {
                let today = crate::practice::today(w.conn(), w.now())?;
                let bytes = self.render(w.conn(), today)?;
                file.write_all(&bytes)?;
                Ok(((), self.disclosure(w.conn(), to)?))
            },
        )
    }
}
