//! An RFC 4180 reader over decoded text, one record at a time, with hard limits.
//!
//! Quoted cells may hold the delimiter, doubled quotes and line breaks; records end in
//! CRLF, LF or a lone CR (older Mac exports). A quote inside an unquoted cell is kept as
//! text (`5'10"`), as spreadsheet programs read it. Every limit is checked as characters
//! arrive, so a 50 MB line costs one record's worth of memory before it is refused.

use super::decode::{Chars, Text};
use super::CsvError;
use serde::{Deserialize, Serialize};
use std::iter::Peekable;

/// The most bytes (as UTF-8) one cell may hold: far more than any client field takes
/// (notes stop at 20,000 characters), so a longer cell is a damaged file or a quote left
/// open.
pub const MAX_FIELD_BYTES: usize = 64 * 1024;
/// The most bytes (as UTF-8) one record may hold, delimiters and quotes included.
pub const MAX_RECORD_BYTES: usize = 1024 * 1024;
/// The most cells one record may hold.
pub const MAX_COLUMNS: usize = 1_000;

/// What separates the cells of a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "ts-export",
    derive(ts_rs::TS),
    ts(export, rename = "CsvDelimiter")
)]
pub enum Delimiter {
    Comma,
    /// Excel's CSV where the decimal separator is a comma (much of Europe and Latin
    /// America).
    Semicolon,
    Tab,
}

impl Delimiter {
    fn char(self) -> char {
        match self {
            Delimiter::Comma => ',',
            Delimiter::Semicolon => ';',
            Delimiter::Tab => '\t',
        }
    }

    /// The delimiter of `text`: of comma, semicolon and tab, the one found most often
    /// outside quotes in the first record (the header row); comma when none is, or on a
    /// tie, since it is the standard's.
    pub(super) fn sniff(text: Text<'_>) -> Delimiter {
        let mut counts = [0usize; 3];
        let mut quoted = false;
        for c in text.chars().take(MAX_RECORD_BYTES) {
            match c {
                '"' => quoted = !quoted,
                '\n' | '\r' if !quoted => break,
                ',' if !quoted => counts[0] += 1,
                ';' if !quoted => counts[1] += 1,
                '\t' if !quoted => counts[2] += 1,
                _ => {}
            }
        }
        let all = [Delimiter::Comma, Delimiter::Semicolon, Delimiter::Tab];
        let mut best = Delimiter::Comma;
        let mut most = 0;
        for (d, n) in all.into_iter().zip(counts) {
            if n > most {
                best = d;
                most = n;
            }
        }
        best
    }
}

/// Reads records one at a time. Row numbers are a spreadsheet's: the first record is row
/// 1, and blank lines, which are skipped, still count, so that "row 12" is the row a user
/// sees as 12 when the file is opened in Excel (a cell's line breaks do not count).
pub(super) struct Reader<'a> {
    chars: Peekable<Chars<'a>>,
    delimiter: char,
    row: u32,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    /// At the start of a cell.
    Start,
    /// In an unquoted cell.
    Bare,
    /// Inside quotes.
    Quoted,
    /// Just after a quoted cell's closing quote.
    Closed,
}

impl<'a> Reader<'a> {
    pub(super) fn new(text: Text<'a>, delimiter: Delimiter) -> Self {
        Reader {
            chars: text.chars().peekable(),
            delimiter: delimiter.char(),
            row: 0,
        }
    }

    /// Reads the next record that is not a blank line into `cells`; returns its row
    /// number, or `None` at the end of the file.
    ///
    /// # Errors
    /// A [`CsvError`] naming the row when a cell, the record or its number of cells is
    /// over its limit, or a quote is left open or followed by text.
    pub(super) fn next_record(&mut self, cells: &mut Vec<String>) -> Result<Option<u32>, CsvError> {
        loop {
            cells.clear();
            if self.chars.peek().is_none() {
                return Ok(None);
            }
            self.row = self.row.saturating_add(1);
            let row = self.row;
            let mut field = String::new();
            let mut state = State::Start;
            let mut bytes = 0usize;
            loop {
                let Some(c) = self.chars.next() else {
                    if state == State::Quoted {
                        return Err(CsvError::UnclosedQuote { row });
                    }
                    cells.push(field);
                    break;
                };
                bytes += c.len_utf8();
                if bytes > MAX_RECORD_BYTES {
                    return Err(CsvError::RecordTooLong { row });
                }
                let end_of_record = match (state, c) {
                    (State::Quoted, '"') => {
                        if self.chars.peek() == Some(&'"') {
                            self.chars.next();
                            bytes += 1;
                            field.push('"');
                        } else {
                            state = State::Closed;
                        }
                        false
                    }
                    (State::Quoted, c) => {
                        field.push(c);
                        false
                    }
                    (State::Start, '"') => {
                        state = State::Quoted;
                        false
                    }
                    (_, '\n') => true,
                    (_, '\r') => {
                        if self.chars.peek() == Some(&'\n') {
                            self.chars.next();
                        }
                        true
                    }
                    (_, c) if c == self.delimiter => {
                        cells.push(std::mem::take(&mut field));
                        if cells.len() >= MAX_COLUMNS {
                            return Err(CsvError::TooManyColumns { row });
                        }
                        state = State::Start;
                        false
                    }
                    (State::Closed, _) => return Err(CsvError::StrayQuote { row }),
                    (State::Start | State::Bare, c) => {
                        field.push(c);
                        state = State::Bare;
                        false
                    }
                };
                if field.len() > MAX_FIELD_BYTES {
                    return Err(CsvError::FieldTooLong { row });
                }
                if end_of_record {
                    cells.push(field);
                    break;
                }
            }
            // A blank line (one empty, unquoted cell) is no record.
            let blank = cells.len() == 1 && cells[0].is_empty() && state != State::Closed;
            if !blank {
                return Ok(Some(row));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(text: &str) -> Result<Vec<(u32, Vec<String>)>, CsvError> {
        let t = Text::Utf8(text);
        let mut r = Reader::new(t, Delimiter::sniff(t));
        let mut out = Vec::new();
        let mut cells = Vec::new();
        while let Some(row) = r.next_record(&mut cells)? {
            out.push((row, cells.clone()));
        }
        Ok(out)
    }

    fn cells(text: &str) -> Vec<Vec<String>> {
        records(text)
            .expect("parses")
            .into_iter()
            .map(|(_, c)| c)
            .collect()
    }

    #[test]
    fn rfc_4180() {
        let got =
            cells("name,notes\r\n\"O'Brien, Zoë\",\"said \"\"hi\"\"\r\nthen left\"\r\nAna,\r\n");
        assert_eq!(
            got,
            vec![
                vec!["name", "notes"],
                vec!["O'Brien, Zoë", "said \"hi\"\r\nthen left"],
                vec!["Ana", ""],
            ]
        );
        assert_eq!(cells("a,b\nc,d"), vec![vec!["a", "b"], vec!["c", "d"]]);
        assert_eq!(cells("a,b\rc,d\r"), vec![vec!["a", "b"], vec!["c", "d"]]);
        assert_eq!(
            cells("a\n\"\"\n"),
            vec![vec!["a"], vec![""]],
            "a quoted empty cell is a record"
        );
        assert_eq!(cells("a,5'10\" tall"), vec![vec!["a", "5'10\" tall"]]);
    }

    #[test]
    fn blank_lines_are_skipped_but_counted() {
        let got = records("h\n\na\r\n\r\nb\n\n").expect("parses");
        let rows: Vec<u32> = got.iter().map(|(r, _)| *r).collect();
        assert_eq!(rows, vec![1, 3, 5]);
    }

    #[test]
    fn delimiters_are_sniffed() {
        let sniff = |s: &str| Delimiter::sniff(Text::Utf8(s));
        assert_eq!(sniff("a,b,c\n1;2;3;4;5"), Delimiter::Comma);
        assert_eq!(sniff("a;b;\"c,d,e\"\n"), Delimiter::Semicolon);
        assert_eq!(sniff("a\tb\tc"), Delimiter::Tab);
        assert_eq!(sniff("name"), Delimiter::Comma);
        assert_eq!(sniff("a,b;c"), Delimiter::Comma, "a tie goes to the comma");
    }

    #[test]
    fn limits_and_quotes_name_the_row() {
        let long_field = format!("h\nok\n{}\n", "x".repeat(MAX_FIELD_BYTES + 1));
        assert_eq!(records(&long_field), Err(CsvError::FieldTooLong { row: 3 }));
        let at_limit = format!("h\n{}\n", "x".repeat(MAX_FIELD_BYTES));
        assert_eq!(records(&at_limit).map(|r| r.len()), Ok(2));
        let long_record = format!("h\n{}\n", vec!["x".repeat(60 * 1024); 20].join(","));
        assert_eq!(
            records(&long_record),
            Err(CsvError::RecordTooLong { row: 2 })
        );
        let wide = format!("h\n{}\n", ",".repeat(MAX_COLUMNS));
        assert_eq!(records(&wide), Err(CsvError::TooManyColumns { row: 2 }));
        assert_eq!(
            records("h\n\"open"),
            Err(CsvError::UnclosedQuote { row: 2 })
        );
        assert_eq!(records("h\n\"a\"b,c"), Err(CsvError::StrayQuote { row: 2 }));
    }
}
