//! Pieces the documents share: the letterhead, sections, labelled blocks, totals, money
//! and dates.

use super::layout::{Align, Doc, Ink, Style, CONTENT_W, LEFT, RIGHT};
use super::PracticeHeader;
use crate::Cents;
use chrono::NaiveDate;

/// A date in US form: "Mar 3, 2026".
pub fn us_date(date: NaiveDate) -> String {
    date.format("%b %-d, %Y").to_string()
}

/// A money amount, or "—" when it is zero (an adjustment that was not made).
pub fn money_or_dash(amount: Cents) -> String {
    if amount == Cents::ZERO {
        "—".to_owned()
    } else {
        amount.to_string()
    }
}

/// A money amount, or "—" when there is none (a pay-what-you-can fee not yet set).
pub fn money_if(amount: Option<Cents>) -> String {
    amount.map_or_else(|| "—".to_owned(), |c| c.to_string())
}

/// Sums amounts in integer cents.
///
/// # Errors
/// `Error::Internal` on overflow, which validated amounts never reach.
pub fn sum(mut amounts: impl Iterator<Item = Cents>) -> crate::Result<Cents> {
    amounts
        .try_fold(Cents::ZERO, Cents::checked_add)
        .ok_or(crate::Error::Internal("a document total overflowed"))
}

/// One entry of a stack of text: its style, text and the space above it.
pub struct Entry {
    pub style: Style,
    pub text: String,
    pub space_before: f32,
}

impl Entry {
    pub fn new(style: Style, text: impl Into<String>) -> Entry {
        Entry {
            style,
            text: text.into(),
            space_before: 0.0,
        }
    }

    pub fn after(mut self, space: f32) -> Entry {
        self.space_before = space;
        self
    }
}

/// Places a stack of wrapped entries in `[x, x + width]` from `top`; returns its height.
/// Empty entries are skipped.
pub fn stack(doc: &mut Doc, x: f32, width: f32, top: f32, entries: &[Entry], align: Align) -> f32 {
    let mut h = 0.0;
    for entry in entries.iter().filter(|e| !e.text.trim().is_empty()) {
        if h > 0.0 {
            h += entry.space_before;
        }
        let lines = doc.lines(entry.style, entry.text.trim(), width);
        h += doc.place_lines(x, width, top + h, entry.style, &lines, align);
    }
    h
}

/// The therapist's name with credentials: "Dana Whitfield, LCSW". Printed once even when
/// a name saved before names and credentials were kept apart already ends with them.
pub fn name_with_credentials(p: &PracticeHeader) -> String {
    let creds = p.credentials.trim();
    let name = crate::practice::name_without_credentials(&p.therapist_name, creds);
    if creds.is_empty() {
        name
    } else {
        format!("{name}, {creds}")
    }
}

/// The small identifiers line: "NPI 1234567893 · EIN 12-3456789".
fn identifiers(p: &PracticeHeader) -> String {
    let mut parts = Vec::new();
    if !p.npi.trim().is_empty() {
        parts.push(format!("NPI {}", p.npi));
    }
    if !p.ein.trim().is_empty() {
        parts.push(format!("EIN {}", p.ein));
    }
    parts.join("   ·   ")
}

/// The letterhead: the practice on the left, the document's title lines on the right,
/// then a rule. `with_ids` adds the NPI and EIN in small print.
pub fn letterhead(doc: &mut Doc, p: &PracticeHeader, right: &[Entry], with_ids: bool) {
    let left_w = CONTENT_W * 0.56;
    let right_w = CONTENT_W * 0.40;
    let mut left = vec![
        Entry::new(Style::bold(15.0).ink(Ink::Accent), p.practice_name.clone()),
        Entry::new(Style::regular(10.0), name_with_credentials(p)).after(2.0),
        Entry::new(Style::regular(9.0).ink(Ink::Muted), p.address.clone()).after(3.0),
        Entry::new(Style::regular(9.0).ink(Ink::Muted), p.phone.clone()),
    ];
    if with_ids {
        left.push(Entry::new(Style::regular(7.5).ink(Ink::Muted), identifiers(p)).after(4.0));
    }
    doc.block(|doc, top| {
        let hl = stack(doc, LEFT, left_w, top, &left, Align::Left);
        let hr = stack(doc, RIGHT - right_w, right_w, top, right, Align::Right);
        hl.max(hr)
    });
    doc.gap(12.0);
    doc.rule(1.0, Ink::Accent);
    doc.gap(18.0);
}

/// A small capitalised section label ("BILL TO") placed at `top`; returns its height.
pub fn label(doc: &mut Doc, x: f32, width: f32, top: f32, text: &str) -> f32 {
    let style = Style::bold(8.0).ink(Ink::Accent);
    let lines = doc.lines(style, &text.to_uppercase(), width);
    doc.place_lines(x, width, top, style, &lines, Align::Left) + 3.0
}

/// A section heading at the cursor, kept with `follow` points of what comes after it.
pub fn section(doc: &mut Doc, text: &str, follow: f32) {
    doc.heading(Style::bold(11.5).ink(Ink::Accent), text, follow + 6.0);
    doc.gap(6.0);
}

/// Label/value rows in `[x, x + width]`, labels in a column of `label_w`; returns the
/// height. Rows with an empty value are skipped.
pub fn pairs(
    doc: &mut Doc,
    x: f32,
    width: f32,
    label_w: f32,
    top: f32,
    rows: &[(&str, String)],
) -> f32 {
    let label_style = Style::regular(8.5).ink(Ink::Muted);
    let value_style = Style::regular(9.5);
    let mut h = 0.0;
    for (label, value) in rows.iter().filter(|(_, v)| !v.trim().is_empty()) {
        let label_lines = doc.lines(label_style, label, label_w - 6.0);
        let value_lines = doc.lines(value_style, value.trim(), width - label_w);
        // Labels are a point and a half smaller: nudge them down to share the baseline.
        let nudge = (value_style.line_height() - label_style.line_height()) / 2.0;
        let lh = doc.place_lines(
            x,
            label_w - 6.0,
            top + h + nudge,
            label_style,
            &label_lines,
            Align::Left,
        );
        let vh = doc.place_lines(
            x + label_w,
            width - label_w,
            top + h,
            value_style,
            &value_lines,
            Align::Left,
        );
        h += lh.max(vh) + 2.5;
    }
    h
}

/// How a totals row is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weight {
    Normal,
    /// Bold, with a rule above.
    Strong,
    /// Large and bold in a shaded box.
    Prominent,
}

/// A right-hand totals block at the cursor, kept on one page.
pub fn totals(doc: &mut Doc, rows: &[(&str, String, Weight)]) {
    let width = 260.0;
    let x = RIGHT - width;
    doc.block(|doc, top| {
        let mut h = 0.0;
        for (label, amount, weight) in rows {
            let (style, pad) = match weight {
                Weight::Normal => (Style::regular(10.0), 2.0),
                Weight::Strong => (Style::bold(10.0), 4.0),
                Weight::Prominent => (Style::bold(13.0), 7.0),
            };
            match weight {
                Weight::Normal => {}
                Weight::Strong => {
                    h += 3.0;
                    doc.line(x, RIGHT, top + h, 0.75, Ink::Rule);
                    h += 2.0;
                }
                Weight::Prominent => {
                    h += 6.0;
                    let box_h = style.line_height() + 2.0 * pad;
                    doc.fill(x, top + h, width, box_h, Ink::Shade);
                    doc.line(x, RIGHT, top + h, 1.25, Ink::Accent);
                }
            }
            // Amounts end where a table's money column ends (its cell padding is 5 pt).
            let inner = width - 2.0 * 5.0;
            let amount_w = doc.fonts().width(style, amount);
            let label_lines = doc.lines(style, label, (inner - amount_w - 12.0).max(40.0));
            let row_top = top + h + pad;
            let lh = doc.place_lines(
                x + 8.0,
                inner - 3.0,
                row_top,
                style,
                &label_lines,
                Align::Left,
            );
            doc.place_lines(
                x + 5.0,
                inner,
                row_top,
                style,
                std::slice::from_ref(amount),
                Align::Right,
            );
            h += lh + 2.0 * pad;
        }
        h
    });
}
