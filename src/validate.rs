//! Field-level validation shared by every domain module.
//!
//! Validation lives in the core so that no caller (the UI, the command-line tool, a test)
//! can store what the rules forbid. Messages name the rule, never echo the input: an input
//! may be a client's name, and error messages must not carry PHI.

use serde::Serialize;

/// One problem with one field of an input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct FieldError {
    /// The input field, in the wire's snake_case, e.g. `legal_name` or `fees.kap_session`.
    pub field: String,
    /// A sentence a user can act on, e.g. "Legal name is required."
    pub message: String,
}

/// Every problem found with an input. Empty means valid.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(FieldError {
            field: field.into(),
            message: message.into(),
        });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// True when some error concerns `field`.
    pub fn has(&self, field: &str) -> bool {
        self.0.iter().any(|e| e.field == field)
    }

    /// `Ok(())` when empty, otherwise the errors as [`crate::Error::Invalid`].
    pub fn into_result(self) -> crate::Result<()> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(crate::Error::Invalid(self))
        }
    }

    /// Checks a required text field: present after trimming and at most `max` characters.
    pub fn required_text(&mut self, field: &str, label: &str, value: &str, max: usize) {
        if value.trim().is_empty() {
            self.add(field, format!("{label} is required."));
        } else {
            self.max_chars(field, label, value, max);
        }
    }

    /// Checks an optional text field's length in characters.
    pub fn max_chars(&mut self, field: &str, label: &str, value: &str, max: usize) {
        if value.chars().count() > max {
            self.add(field, format!("{label} must be at most {max} characters."));
        }
    }

    /// Refuses control characters other than tab and newline, which have no place in a
    /// record and can hide text (the right-to-left override is not a control character and
    /// is kept verbatim; the UI renders it as text).
    pub fn no_control_chars(
        &mut self,
        field: &str,
        label: &str,
        value: &str,
        allow_newlines: bool,
    ) {
        let bad = value
            .chars()
            .any(|c| c.is_control() && !(allow_newlines && (c == '\n' || c == '\t' || c == '\r')));
        if bad {
            self.add(
                field,
                format!("{label} contains characters that cannot be stored."),
            );
        }
    }
}

/// Trims surrounding whitespace and turns an empty string into `None`.
pub fn clean_optional(value: Option<String>) -> Option<String> {
    value.and_then(|v| {
        let t = v.trim();
        if t.is_empty() {
            None
        } else {
            Some(t.to_owned())
        }
    })
}

/// A plausible e-mail address: one `@`, something before it, a dotted domain after it,
/// no spaces. Deliverability is not ours to judge.
pub fn is_email(value: &str) -> bool {
    let Some((local, domain)) = value.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && !value.chars().any(|c| c.is_whitespace() || c.is_control())
        && value.len() <= 254
}

/// A plausible phone number: digits with the usual separators, 7 to 15 digits
/// (E.164 allows at most 15), optionally a leading `+` and an extension (`x123`).
pub fn is_phone(value: &str) -> bool {
    let (main, ext) = match value.to_ascii_lowercase().split_once('x') {
        Some((m, e)) => (m.to_owned(), Some(e.trim().to_owned())),
        None => (value.to_owned(), None),
    };
    if let Some(ext) = ext {
        if ext.is_empty() || ext.len() > 6 || !ext.chars().all(|c| c.is_ascii_digit()) {
            return false;
        }
    }
    let main = main.trim();
    let body = main.strip_prefix('+').unwrap_or(main);
    if !body
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')' | '.'))
    {
        return false;
    }
    let digits = body.chars().filter(|c| c.is_ascii_digit()).count();
    (7..=15).contains(&digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_shapes() {
        let cases = [
            ("ana@example.com", true),
            ("a.b+kap@mail.example.org", true),
            ("", false),
            ("no-at-sign.com", false),
            ("two@@example.com", false),
            ("space in@example.com", false),
            ("ana@localhost", false),
            ("ana@.example.com", false),
            ("ana@example..com", false),
            ("@example.com", false),
        ];
        for (value, ok) in cases {
            assert_eq!(is_email(value), ok, "{value:?}");
        }
    }

    #[test]
    fn phone_shapes() {
        let cases = [
            ("(212) 555-0143", true),
            ("+1 212 555 0143", true),
            ("212.555.0143", true),
            ("212-555-0143 x12", true),
            ("555-0143", true),
            ("12345", false),
            ("call me", false),
            ("+1 (212) 555-0143-9999-9999", false),
            ("212-555-0143 x", false),
        ];
        for (value, ok) in cases {
            assert_eq!(is_phone(value), ok, "{value:?}");
        }
    }

    #[test]
    fn required_and_length() {
        let mut errs = FieldErrors::new();
        errs.required_text("legal_name", "Legal name", "   ", 200);
        errs.required_text("x", "X", &"é".repeat(201), 200);
        errs.required_text("y", "Y", &"é".repeat(200), 200);
        assert!(errs.has("legal_name"));
        assert!(errs.has("x"), "201 characters is one too many");
        assert!(
            !errs.has("y"),
            "200 two-byte characters are 200 characters, not 400"
        );
    }
}
