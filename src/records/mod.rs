//! Records rights: what the law gives a client over their own record, and what the
//! practice must keep to honour it. The rules and their sources are in `docs/legal.md`.
//!
//! - [`access`]: a request to inspect or copy the record, its due date and its outcome
//!   (45 CFR 164.524, NY Public Health Law §18).
//! - [`accounting`]: who a client's information went to and why, and which of those
//!   disclosures an accounting lists (45 CFR 164.528).
//! - [`authorization`]: the client's written permission to disclose specific
//!   information to a named recipient, its signature, expiry and revocation, and the
//!   warning when a disclosure needs one (45 CFR 164.508).
//! - [`notice`]: the notice of privacy practices and each client's acknowledgment of it
//!   (45 CFR 164.520).

pub mod access;
pub mod accounting;
pub mod authorization;
pub mod notice;

use crate::str_enum::str_enum;
use serde::{Deserialize, Serialize};

/// How a client answered the notice of privacy practices (45 CFR 164.520(c)(2)(ii)):
/// they signed its acknowledgment, or declined, and the good-faith effort is noted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub enum Acknowledgment {
    Signed,
    Declined,
}
str_enum!(Acknowledgment {
    Signed = "signed",
    Declined = "declined",
});
