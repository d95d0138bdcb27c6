//! Checks for the identifiers on the practice's paperwork.

/// An NPI is 10 digits whose last is a Luhn check digit computed over the prefix `80840`
/// followed by the first nine digits (CMS, "NPI check digit").
pub fn is_valid_npi(npi: &str) -> bool {
    let b = npi.as_bytes();
    if b.len() != 10 || !b.iter().all(u8::is_ascii_digit) {
        return false;
    }
    // Luhn over "80840" + all ten digits: double every second digit from the right.
    let digits = b"80840".iter().chain(b.iter()).map(|d| u32::from(d - b'0'));
    let all: Vec<u32> = digits.collect();
    let sum: u32 = all
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            if i % 2 == 1 {
                let x = d * 2;
                if x > 9 {
                    x - 9
                } else {
                    x
                }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// An EIN has the form `NN-NNNNNNN`.
pub fn is_valid_ein(ein: &str) -> bool {
    let b = ein.as_bytes();
    b.len() == 10
        && b[2] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 2 || c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn npi_check_digit() {
        let cases = [
            ("1234567893", true), // CMS's worked example
            ("1234567890", false),
            ("1245319599", true),
            ("1245319598", false),
            ("123456789", false),
            ("12345678931", false),
            ("123456789a", false),
            ("", false),
        ];
        for (npi, ok) in cases {
            assert_eq!(is_valid_npi(npi), ok, "{npi:?}");
        }
    }

    #[test]
    fn ein_typed_without_the_dash_is_formatted() {
        let cases = [
            ("123456789", "12-3456789"),
            ("12-3456789", "12-3456789"),
            (" 12 3456789 ", "12-3456789"),
            ("12345678", "12345678"),
            ("1234567890", "1234567890"),
            ("12345678x", "12345678x"),
            ("", ""),
        ];
        for (typed, stored) in cases {
            let formatted = crate::practice::format_ein(typed);
            assert_eq!(formatted, stored, "{typed:?}");
            if stored.contains('-') {
                assert!(is_valid_ein(&formatted), "{typed:?} becomes a valid EIN");
            }
        }
    }

    #[test]
    fn ein_shape() {
        assert!(is_valid_ein("12-3456789"));
        assert!(!is_valid_ein("123456789"));
        assert!(!is_valid_ein("12-345678"));
        assert!(!is_valid_ein("1a-3456789"));
    }
}
