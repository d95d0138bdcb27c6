//! Turning what a user types into a safe full-text query, and names into sort keys.

use unicode_normalization::{char::is_combining_mark, UnicodeNormalization};

/// A name folded for ordering: accents removed and lower-cased, so "José" sorts beside
/// "Jose" and before "Joseph", as a person would expect.
pub fn sort_key(name: &str) -> String {
    name.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Builds an FTS5 query from free text: each run of letters and digits becomes a quoted
/// prefix term, and all terms must match. Everything else (quotes, operators, `*`,
/// parentheses, column filters) is a separator, so no FTS syntax can pass through.
/// Returns `None` when the text has no searchable characters.
pub fn fts_query(text: &str) -> Option<String> {
    let terms: Vec<String> = text
        .chars()
        .take(200)
        .collect::<String>()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .take(8)
        .map(|t| format!("\"{t}\"*"))
        .collect();
    if terms.is_empty() {
        None
    } else {
        Some(terms.join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::{fts_query, sort_key};

    #[test]
    fn sort_keys_fold_case_and_accents() {
        assert_eq!(sort_key("José Álvarez"), "jose alvarez");
        assert_eq!(sort_key("ZOË Müller"), "zoe muller");
        assert!(sort_key("José") < sort_key("Joseph"));
    }

    #[test]
    fn quotes_each_term_and_drops_syntax() {
        let cases = [
            ("mar", Some("\"mar\"*")),
            ("  Ana  María ", Some("\"Ana\"* \"María\"*")),
            ("o'br", Some("\"o\"* \"br\"*")),
            (
                "\"; DROP TABLE client; --",
                Some("\"DROP\"* \"TABLE\"* \"client\"*"),
            ),
            (
                "NEAR(a b) OR c*",
                Some("\"NEAR\"* \"a\"* \"b\"* \"OR\"* \"c\"*"),
            ),
            ("legal_name:x", Some("\"legal\"* \"name\"* \"x\"*")),
            ("***", None),
            ("", None),
        ];
        for (text, want) in cases {
            assert_eq!(fts_query(text).as_deref(), want, "{text:?}");
        }
    }
}
