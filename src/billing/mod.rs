//! Money: charges at the fee schedule's price or the client's agreed sliding-scale fee,
//! invoices numbered in sequence without gaps, payments, ledgers and balances.
//!
//! Every amount is integer cents and every sum is checked. A reduced fee is kept as the
//! usual fee and the amount charged, so documents show usual fee, adjustment and amount.
//! Invoices are voided, never deleted; a number, once used, is never used again.
//!
//! The rules are pure functions in `rules.rs` (like `clearance`); the other files read and
//! write the store and call them: `charges.rs`, `invoices.rs`, `payments.rs`, `ledger.rs`,
//! `profile.rs` (billing profiles, CPT codes) and `docs.rs` (the printed documents' data).

mod charges;
mod docs;
mod invoices;
mod ledger;
mod payments;
mod profile;
mod rules;
#[cfg(test)]
mod tests;

pub(crate) use charges::{
    charge_appointment, charge_intake, charge_prescription, move_intake_charge,
};
pub use charges::{
    charges_for_client, charges_on_invoice, client_of_charge, set_charge_amount,
    set_charge_place_of_service, Charge,
};
pub use docs::{
    consent_doc, estimate_doc, invoice_doc, superbill_doc, superbill_gaps, EstimatePlan,
    SuperbillGap,
};
pub use invoices::{create_invoice, get_invoice, void_invoice, Invoice};
pub use ledger::{
    ledger, practice_billing, practice_billing_rows, BillingRows, ClientBalance, ClientPayment,
    ClientUninvoiced, Ledger, PracticeBilling, BILLING_ROWS, MAX_BILLING_ROWS,
};
pub use payments::{
    invoice_of_payment, record_payment, reverse_payment, Payment, PaymentMethod, PaymentReversal,
};
pub use profile::{
    billing_profile, is_cpt, is_icd10, service_code_settings, service_codes, set_billing_profile,
    set_service_codes, BillingProfile, ServiceCode, ServiceCodes,
};
pub use rules::{
    charge_price, check_charge_amount, invoice_number, invoice_status, on_superbills,
    paid_per_line, place_of_service, service_for, service_to_charge, sum, superbill_includes,
    superbill_modifiers, superbill_place_of_service, superbill_services, Billable, BilledServices,
    InvoiceStatus, NotOnSuperbill, PlaceOfService,
};
