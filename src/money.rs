//! Money as integer cents. Never floating point.

use serde::{Deserialize, Serialize};
use std::fmt;

/// An amount of money in US cents. May be negative only where a rule allows it
/// (an adjustment); amounts a user enters are validated to be non-negative.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export, type = "number"))]
pub struct Cents(pub i64);

/// The largest amount the practice ever records: ten million dollars. Anything larger
/// is a typing mistake, and refusing it keeps every sum far from `i64` overflow.
pub const MAX_CENTS: i64 = 1_000_000_000;

impl Cents {
    pub const ZERO: Cents = Cents(0);

    /// Checked addition; `None` on overflow.
    pub fn checked_add(self, other: Cents) -> Option<Cents> {
        self.0.checked_add(other.0).map(Cents)
    }

    /// True when the amount is one a user may enter: not negative and not absurdly large.
    pub fn is_enterable(self) -> bool {
        (0..=MAX_CENTS).contains(&self.0)
    }
}

impl fmt::Display for Cents {
    /// Formats as US dollars, e.g. `$1,234.50` or `-$5.00`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let dollars = (abs / 100).to_string();
        let mut grouped = String::with_capacity(dollars.len() + dollars.len() / 3);
        for (i, ch) in dollars.chars().enumerate() {
            if i > 0 && (dollars.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(ch);
        }
        write!(f, "{sign}${grouped}.{:02}", abs % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_dollars_with_grouping() {
        let cases = [
            (0, "$0.00"),
            (5, "$0.05"),
            (60000, "$600.00"),
            (123456789, "$1,234,567.89"),
            (-500, "-$5.00"),
            (100000, "$1,000.00"),
        ];
        for (cents, shown) in cases {
            assert_eq!(Cents(cents).to_string(), shown, "{cents} cents");
        }
    }

    #[test]
    fn enterable_bounds() {
        assert!(Cents(0).is_enterable());
        assert!(Cents(MAX_CENTS).is_enterable());
        assert!(!Cents(-1).is_enterable(), "negative amounts are refused");
        assert!(!Cents(MAX_CENTS + 1).is_enterable());
    }
}
