//! The documents the app prints or saves, and the one audited path that discloses them.

use crate::audit::{Action, EntityKind};
use crate::billing::{self, EstimatePlan};
use crate::documents;
use crate::store::Writer;
use crate::Result;
use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Deserialize;

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

    /// Renders the document for a disclosure inside the write `w`, with its `export`
    /// audit row, then hands the bytes to `disclose` (the printer, a file). An error from
    /// `disclose` rolls the row back with the rest of the write.
    pub fn disclose<T>(
        &self,
        w: &mut Writer<'_>,
        disclose: impl FnOnce(&[u8]) -> Result<T>,
    ) -> Result<T> {
        let today = crate::practice::today(w.conn(), w.now())?;
        let bytes = self.render(w.conn(), today)?;
        let (kind, id) = self.audited_as();
        w.audit(Action::Export, kind, id)?;
        disclose(&bytes)
    }
}
