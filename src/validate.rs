//! Field-level validation shared by every domain module.
//!
//! Validation lives in the core so that no caller (the UI, the command-line tool, a test)
//! can store what the rules forbid. Messages name the rule, never echo the input: an input
//! may be a client's name, and error messages must not carry PHI.

use serde::Serialize;

/// The years a record's date (a session, an invoice, a payment, a signature, a due date)
/// may fall in. A date outside is a typing mistake, such as the year 20266, and the bound
/// keeps date arithmetic (due dates, invoice years, time zones) far from chrono's limits.
pub const RECORD_YEARS: std::ops::RangeInclusive<i32> = 1900..=2199;

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

    /// Checks that a record's date falls in [`RECORD_YEARS`].
    pub fn record_date(&mut self, field: &str, label: &str, date: chrono::NaiveDate) {
        use chrono::Datelike;
        if !RECORD_YEARS.contains(&date.year()) {
            self.add(field, format!("{label} must be between 1900 and 2199."));
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

/// True for a name Windows reserves for a device (`CON`, `nul.pdf`, `COM1.txt`, ...): on
/// Windows such a file name opens the device, whatever the folder or extension.
pub fn is_device_name(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or_default();
    let stem = stem.trim_end_matches([' ', '.']).to_ascii_uppercase();
    matches!(
        stem.as_str(),
        "CON" | "PRN" | "AUX" | "NUL" | "CONIN$" | "CONOUT$"
    ) || ((stem.starts_with("COM") || stem.starts_with("LPT"))
        && stem.len() == 4
        && stem[3..].bytes().all(|b| b.is_ascii_digit()))
}

/// The file a user chose in the save dialog for a document ending in `.extension`.
///
/// A save dialog returns a whole path; a request that names anything else did not come
/// from one, so it is refused before any file is touched: the path is absolute, has no
/// `.` or `..` parts and no control characters, and its file name is not hidden, not a
/// Windows device name, at most 255 bytes and ends in `.extension` (any case).
///
/// # Errors
/// [`crate::Error::Invalid`] on the field `path`; the message names the rule, never the path.
pub fn document_path(path: &str, extension: &str) -> crate::Result<std::path::PathBuf> {
    use std::path::Path;
    let refuse = |message: &str| Err(crate::Error::invalid("path", message));
    let p = Path::new(path);
    if path.is_empty() || path.len() > 4096 || path.chars().any(char::is_control) {
        return refuse("Choose where to save the file.");
    }
    // Split by hand: `Path::components` drops `.` parts that are not first.
    if !p.is_absolute()
        || path
            .split(['/', '\\'])
            .any(|part| part == "." || part == "..")
    {
        return refuse("Choose a folder to save into.");
    }
    let Some(name) = p.file_name().and_then(|n| n.to_str()) else {
        return refuse("Choose a file name.");
    };
    let wanted = format!(".{extension}");
    let ends_right = name.len() > wanted.len()
        && name.is_char_boundary(name.len() - wanted.len())
        && name[name.len() - wanted.len()..].eq_ignore_ascii_case(&wanted);
    if name.starts_with('.') || name.len() > 255 || is_device_name(name) {
        return refuse("Choose another file name.");
    }
    if !ends_right {
        return Err(crate::Error::invalid(
            "path",
            &format!("The file name must end in {wanted}."),
        ));
    }
    Ok(p.to_path_buf())
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
    #[test]
    fn device_names() {
        for name in [
            "CON",
            "nul.pdf",
            "Aux",
            "com1.txt",
            "LPT9",
            "con .pdf",
            "NUL.tar.gz",
        ] {
            assert!(is_device_name(name), "{name:?}");
        }
        for name in [
            "console.pdf",
            "COM10",
            "nullable.ics",
            "invoice.pdf",
            "",
            "COM",
        ] {
            assert!(!is_device_name(name), "{name:?}");
        }
    }

    #[test]
    fn document_paths() {
        let ok = if cfg!(windows) {
            r"C:\Users\dana\Documents\invoice-2026-0001.PDF"
        } else {
            "/home/dana/Documents/invoice-2026-0001.PDF"
        };
        assert!(document_path(ok, "pdf").is_ok());
        let long = format!("/tmp/{}.pdf", "a".repeat(300));
        for bad in [
            "",
            "invoice.pdf",
            "../../invoice.pdf",
            "/tmp/../etc/x.pdf",
            "/tmp/./x.pdf",
            "/etc/passwd",
            "/tmp/x.pdf.exe",
            "/tmp/.pdf",
            "/tmp/.bashrc.pdf",
            "/tmp/NUL.pdf",
            "/tmp/con.pdf",
            "/tmp/a\u{0}b.pdf",
            "/tmp/a\nb.pdf",
            "/tmp/",
            long.as_str(),
        ] {
            let err = document_path(bad, "pdf").expect_err(bad);
            assert!(
                matches!(&err, crate::Error::Invalid(f) if f.has("path")),
                "{bad:?}: {err:?}"
            );
        }
    }
}
