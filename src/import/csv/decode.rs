//! Which text a CSV file's bytes are: UTF-8 with or without a byte-order mark, or
//! Windows-1252 (what Excel on Windows writes for "CSV (Comma delimited)").
//!
//! A file that is valid UTF-8 is read as UTF-8: Windows-1252 text with any byte above
//! 0x7F is almost never valid UTF-8 by chance, so the order of the guesses is safe. A
//! UTF-16 file is refused, never read as Windows-1252: that would give every other
//! character as a NUL and the rest as nonsense.

use super::CsvError;
use serde::{Deserialize, Serialize};

/// The encoding a file was read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "ts-export",
    derive(ts_rs::TS),
    ts(export, rename = "CsvEncoding")
)]
pub enum Encoding {
    /// UTF-8 without a byte-order mark (or plain ASCII).
    Utf8,
    /// UTF-8 after a byte-order mark (Excel's "CSV UTF-8").
    Utf8Bom,
    /// Windows-1252 ("ANSI" on a US or Western European Windows).
    Windows1252,
}

/// The file's text, borrowed when it is UTF-8, decoded character by character when it is
/// Windows-1252 (so that a large file is never copied whole).
#[derive(Debug, Clone, Copy)]
pub(super) enum Text<'a> {
    Utf8(&'a str),
    Windows1252(&'a [u8]),
}

impl<'a> Text<'a> {
    pub(super) fn chars(self) -> Chars<'a> {
        match self {
            Text::Utf8(s) => Chars::Utf8(s.chars()),
            Text::Windows1252(b) => Chars::Windows1252(b.iter()),
        }
    }
}

/// The characters of a [`Text`].
pub(super) enum Chars<'a> {
    Utf8(std::str::Chars<'a>),
    Windows1252(std::slice::Iter<'a, u8>),
}

impl Iterator for Chars<'_> {
    type Item = char;

    #[inline]
    fn next(&mut self) -> Option<char> {
        match self {
            Chars::Utf8(c) => c.next(),
            // Every byte was checked by `decode`: the undefined five never get here.
            Chars::Windows1252(b) => b.next().map(|&b| windows_1252(b).unwrap_or('\u{FFFD}')),
        }
    }
}

/// Windows-1252's characters for 0x80–0x9F (where it differs from Latin-1); `None` for
/// the five bytes it leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D).
const HIGH: [Option<char>; 32] = [
    Some('€'),
    None,
    Some('‚'),
    Some('ƒ'),
    Some('„'),
    Some('…'),
    Some('†'),
    Some('‡'),
    Some('ˆ'),
    Some('‰'),
    Some('Š'),
    Some('‹'),
    Some('Œ'),
    None,
    Some('Ž'),
    None,
    None,
    Some('\u{2018}'),
    Some('\u{2019}'),
    Some('\u{201C}'),
    Some('\u{201D}'),
    Some('•'),
    Some('–'),
    Some('—'),
    Some('˜'),
    Some('™'),
    Some('š'),
    Some('›'),
    Some('œ'),
    None,
    Some('ž'),
    Some('Ÿ'),
];

/// The character a Windows-1252 byte stands for. Below 0x80 it is ASCII and from 0xA0 it
/// is Latin-1, whose code points equal the bytes.
#[inline]
pub(super) fn windows_1252(b: u8) -> Option<char> {
    match b {
        0x80..=0x9F => HIGH[usize::from(b - 0x80)],
        _ => Some(char::from(b)),
    }
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Reads `bytes` as UTF-8 (with or without a byte-order mark) or Windows-1252.
///
/// # Errors
/// [`CsvError::Utf16`] for a UTF-16 (or UTF-32) file, by its byte-order mark or by NUL
/// bytes in its first line; [`CsvError::NotText`] for other NUL bytes;
/// [`CsvError::BadUtf8`] when a file marked as UTF-8 is not; [`CsvError::Undecodable`]
/// for a byte that is neither UTF-8 nor Windows-1252. Each names a line, never a value.
pub(super) fn decode(bytes: &[u8]) -> Result<(Text<'_>, Encoding), CsvError> {
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(CsvError::Utf16);
    }
    // `contains` is std's vectorised search: a 50 MB file is checked in milliseconds.
    if let Some(at) = bytes
        .contains(&0)
        .then(|| bytes.iter().position(|&b| b == 0))
        .flatten()
    {
        // UTF-16 without a mark has a NUL beside nearly every ASCII character, from the
        // first; a NUL later on is some other binary file (or a damaged one).
        let start = &bytes[..bytes.len().min(64)];
        let nuls = start.iter().filter(|&&b| b == 0).count();
        return Err(if nuls * 4 >= start.len() {
            CsvError::Utf16
        } else {
            CsvError::NotText {
                line: line_of(bytes, at),
            }
        });
    }
    if let Some(rest) = bytes.strip_prefix(UTF8_BOM) {
        return match std::str::from_utf8(rest) {
            Ok(s) => Ok((Text::Utf8(s), Encoding::Utf8Bom)),
            Err(e) => Err(CsvError::BadUtf8 {
                line: line_of(rest, e.valid_up_to()),
            }),
        };
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok((Text::Utf8(s), Encoding::Utf8));
    }
    if let Some(at) = bytes.iter().position(|&b| windows_1252(b).is_none()) {
        return Err(CsvError::Undecodable {
            line: line_of(bytes, at),
        });
    }
    Ok((Text::Windows1252(bytes), Encoding::Windows1252))
}

/// The 1-based line (LF-separated) holding byte `at`: where a user can look in a text
/// editor. A quoted cell's line breaks count, unlike the row numbers of parsed records.
fn line_of(bytes: &[u8], at: usize) -> u32 {
    let n = bytes[..at.min(bytes.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count();
    u32::try_from(n + 1).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(bytes: &[u8]) -> (String, Encoding) {
        let (t, e) = decode(bytes).expect("decodes");
        (t.chars().collect(), e)
    }

    #[test]
    fn each_encoding_is_read_and_named() {
        assert_eq!(text(b"Ren\xC3\xA9e"), ("Renée".into(), Encoding::Utf8));
        assert_eq!(
            text(b"\xEF\xBB\xBFRen\xC3\xA9e"),
            ("Renée".into(), Encoding::Utf8Bom)
        );
        assert_eq!(
            text(b"Ren\xE9e O\x92Brien \x80"),
            ("Renée O\u{2019}Brien €".into(), Encoding::Windows1252)
        );
        assert_eq!(text(b""), (String::new(), Encoding::Utf8));
    }

    #[test]
    fn the_table_matches_windows_1252() {
        // Spot checks against the code page's published table.
        let cases = [
            (0x80, Some('\u{20AC}')),
            (0x85, Some('\u{2026}')),
            (0x8A, Some('\u{0160}')),
            (0x91, Some('\u{2018}')),
            (0x92, Some('\u{2019}')),
            (0x93, Some('\u{201C}')),
            (0x96, Some('\u{2013}')),
            (0x97, Some('\u{2014}')),
            (0x99, Some('\u{2122}')),
            (0x9F, Some('\u{0178}')),
            (0xA0, Some('\u{00A0}')),
            (0xE9, Some('é')),
            (0xFF, Some('ÿ')),
            (0x41, Some('A')),
        ];
        for (b, c) in cases {
            assert_eq!(windows_1252(b), c, "{b:#x}");
        }
        for b in [0x81, 0x8D, 0x8F, 0x90, 0x9D] {
            assert_eq!(windows_1252(b), None, "{b:#x} is undefined");
        }
    }

    #[test]
    fn refusals_name_lines() {
        assert!(matches!(decode(b"\xFF\xFEa\0b\0"), Err(CsvError::Utf16)));
        assert!(matches!(decode(b"\xFE\xFF\0a\0b"), Err(CsvError::Utf16)));
        assert!(matches!(decode(b"a\0,\0b\0"), Err(CsvError::Utf16)));
        assert!(matches!(
            decode(b"name,dob\nAna,1990-01-01\nx\0"),
            Err(CsvError::NotText { line: 3 })
        ));
        assert!(matches!(
            decode(b"\xEF\xBB\xBFa\nb\xE9"),
            Err(CsvError::BadUtf8 { line: 2 })
        ));
        assert!(matches!(
            decode(b"a\nb\nc\x81"),
            Err(CsvError::Undecodable { line: 3 })
        ));
    }
}
