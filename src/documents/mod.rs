//! The practice's paper: invoices, the KAP informed consent form, superbills, good-faith
//! estimates and a client's complete record, rendered to PDF with printpdf and the
//! embedded Noto Sans font. The one document engine: nothing else in the core draws a PDF.
//!
//! Rendering is pure: each `render_*` function takes a plain document value (assembled
//! from the store by `billing::docs` and `export::load_record`) and returns the PDF's
//! bytes; the caller writes the file through `crate::disclose`. PDF metadata never holds
//! client data.
//!
//! Layout lives in `layout` (pages, wrapping, tables, footers); the pieces the documents
//! share (letterhead from one [`PracticeHeader`], sections, labelled values, totals,
//! money and US dates) in `parts`. See `layout` for the font and how characters the font
//! lacks are shown.

use crate::{Cents, Result};
use chrono::NaiveDate;

mod consent;
mod estimate;
mod invoice;
mod layout;
mod parts;
mod prescriber;
mod record;
mod rights;
mod superbill;

pub use prescriber::{render_prescriber_summary, PrescriberSummary};
pub use record::{
    render_record, ClientRecord, RecordProcessNote, RecordSession, PROCESS_NOTES_HEADING,
};
pub use rights::{
    render_accounting, render_authorization, render_denial, render_privacy_notice, AccessDenialDoc,
    AccountingDoc, AuthorizationDoc, PrivacyNoticeDoc,
};

/// Who the practice is, as printed at the top of every document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PracticeHeader {
    pub practice_name: String,
    pub therapist_name: String,
    /// E.g. "LCSW".
    pub credentials: String,
    /// The practice address; may hold several lines.
    pub address: String,
    pub phone: String,
    /// New York license number.
    pub license_number: String,
    /// The therapist's individual NPI.
    pub npi: String,
    pub ein: String,
}

/// The one way a header is made: from the practice's settings.
impl From<crate::practice::PracticeSettings> for PracticeHeader {
    fn from(s: crate::practice::PracticeSettings) -> Self {
        PracticeHeader {
            practice_name: s.practice_name,
            therapist_name: s.therapist_name,
            credentials: s.credentials,
            address: s.address,
            phone: s.phone,
            license_number: s.ny_license_number,
            npi: s.npi,
            ein: s.ein,
        }
    }
}

/// One charge on an invoice: the usual fee, any sliding-scale adjustment (zero or
/// negative) and the amount charged (usual + adjustment).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceLine {
    pub date: NaiveDate,
    pub description: String,
    pub usual: Cents,
    pub adjustment: Cents,
    pub amount: Cents,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentLine {
    pub date: NaiveDate,
    /// "Cash", "Card", "Check", "Zelle", "Venmo", "Other".
    pub method: String,
    pub amount: Cents,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceDoc {
    pub practice: PracticeHeader,
    /// E.g. "2026-0042".
    pub number: String,
    pub issued_on: NaiveDate,
    /// A voided invoice is printed clearly marked VOID.
    pub voided: bool,
    /// "Open", "Partly paid", "Paid" or "Void", printed beside the number.
    pub status: String,
    pub client_name: String,
    pub client_address: Option<String>,
    pub lines: Vec<InvoiceLine>,
    pub payments: Vec<PaymentLine>,
    /// Sum of the lines' usual fees, adjustments and amounts.
    pub total_usual: Cents,
    pub total_adjustment: Cents,
    pub total: Cents,
    pub paid: Cents,
    pub balance: Cents,
    /// How to pay, in the practice's words (a short paragraph).
    pub how_to_pay: String,
}

/// The KAP informed consent form filled with the client's name and date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentDoc {
    pub practice: PracticeHeader,
    pub form_version: u32,
    pub title: String,
    /// The form text: `# ` title line, `## ` headings, paragraphs separated by blank lines.
    pub text: String,
    pub client_name: String,
    pub date: NaiveDate,
}

/// One service line on a superbill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuperbillLine {
    pub date: NaiveDate,
    /// Place-of-service code: "11" office, "02" telehealth not at home, "10" at home.
    pub place_of_service: String,
    /// CPT code, e.g. "90837".
    pub cpt: String,
    /// Modifiers, e.g. "95"; may be empty.
    pub modifiers: String,
    /// Which of the diagnosis codes apply, e.g. "A" or "A,B".
    pub diagnosis_pointer: String,
    pub units: u32,
    pub description: String,
    /// The usual fee, the sliding-scale adjustment, the amount charged and what was paid.
    pub fee: Cents,
    pub adjustment: Cents,
    pub charged: Cents,
    pub paid: Cents,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuperbillDoc {
    pub practice: PracticeHeader,
    pub issued_on: NaiveDate,
    pub client_name: String,
    pub client_dob: Option<NaiveDate>,
    pub client_address: Option<String>,
    pub member_id: Option<String>,
    /// ICD-10 codes with their letters as used by the lines' pointers: ("A", "F33.1").
    pub diagnoses: Vec<(String, String)>,
    pub lines: Vec<SuperbillLine>,
    pub total_charged: Cents,
    pub total_paid: Cents,
}

/// One expected service on a good-faith estimate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EstimateItem {
    pub description: String,
    /// Service code (CPT) where one applies; empty otherwise.
    pub code: String,
    pub quantity: u32,
    pub unit_fee: Cents,
    pub total: Cents,
}

/// The No Surprises Act good-faith estimate for a self-pay client (45 CFR 149.610).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EstimateDoc {
    pub practice: PracticeHeader,
    pub issued_on: NaiveDate,
    pub client_name: String,
    pub client_dob: Option<NaiveDate>,
    /// The primary service in plain language.
    pub primary_service: String,
    pub scheduled_on: Option<NaiveDate>,
    pub diagnosis_codes: Vec<String>,
    pub items: Vec<EstimateItem>,
    pub total: Cents,
}

/// Renders an invoice: the practice's letterhead, the bill-to block, the lines (an
/// adjustment of zero shows as "—"), the totals, the payments, the balance due and how
/// to pay. A voided invoice is marked VOID on every page.
///
/// # Errors
/// `Error::Internal` if the document cannot be rendered (a defect, never bad input).
pub fn render_invoice(doc: &InvoiceDoc) -> Result<Vec<u8>> {
    invoice::render(doc)
}

/// Renders the consent form filled with the client's name and date, ending with
/// signature and date lines for the client and the therapist (witness).
///
/// # Errors
/// `Error::Internal` if the document cannot be rendered.
pub fn render_consent(doc: &ConsentDoc) -> Result<Vec<u8>> {
    consent::render(doc)
}

/// Renders a superbill: provider and client blocks, diagnosis codes, the service lines
/// with usual fee, adjustment, charge and payment, totals and the provider's statement
/// and signature line.
///
/// # Errors
/// `Error::Internal` if the document cannot be rendered or a total overflows.
pub fn render_superbill(doc: &SuperbillDoc) -> Result<Vec<u8>> {
    superbill::render(doc)
}

/// Renders a good-faith estimate with the disclaimers the No Surprises Act requires.
///
/// # Errors
/// `Error::Internal` if the document cannot be rendered.
pub fn render_estimate(doc: &EstimateDoc) -> Result<Vec<u8>> {
    estimate::render(doc)
}
