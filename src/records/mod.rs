//! Records rights: what the law gives a client over their own record, and what the
//! practice must keep to honour it. The rules and their sources are in `docs/legal.md`.
//!
//! - [`access`]: a request to inspect or copy the record, its due date and its outcome
//!   (45 CFR 164.524, NY Public Health Law §18).
//! - [`accounting`]: who a client's information went to and why, and which of those
//!   disclosures an accounting lists (45 CFR 164.528).

pub mod access;
pub mod accounting;
