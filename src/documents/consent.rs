//! The KAP informed consent form, filled with the client's name and the date.

use super::layout::{self, Align, Doc, Ink, Meta, Style, CONTENT_W, LEFT, RIGHT};
use super::parts::{self, name_with_credentials, us_date, Entry};
use super::ConsentDoc;
use crate::Result;

/// One block of the form's text.
pub(super) enum Block<'a> {
    Title(&'a str),
    Heading(&'a str),
    Bullet(&'a str),
    Paragraph(String),
}

/// Splits the form text: `# ` title, `## ` headings, `- ` bullets, and paragraphs of
/// lines separated by blank lines.
pub(super) fn blocks(text: &str) -> Vec<Block<'_>> {
    let mut out = Vec::new();
    let mut para: Vec<&str> = Vec::new();
    let flush = |para: &mut Vec<&str>, out: &mut Vec<Block<'_>>| {
        if !para.is_empty() {
            out.push(Block::Paragraph(para.join(" ")));
            para.clear();
        }
    };
    for line in text.lines().map(str::trim) {
        if line.is_empty() {
            flush(&mut para, &mut out);
        } else if let Some(h) = line.strip_prefix("## ") {
            flush(&mut para, &mut out);
            out.push(Block::Heading(h.trim()));
        } else if let Some(t) = line.strip_prefix("# ") {
            flush(&mut para, &mut out);
            out.push(Block::Title(t.trim()));
        } else if let Some(b) = line.strip_prefix("- ").or_else(|| line.strip_prefix("* ")) {
            flush(&mut para, &mut out);
            out.push(Block::Bullet(b.trim()));
        } else {
            para.push(line);
        }
    }
    flush(&mut para, &mut out);
    out
}

pub fn render(doc: &ConsentDoc) -> Result<Vec<u8>> {
    let fonts = layout::fonts()?;
    let footer = format!(
        "KAP informed consent  ·  form version {}  ·  {}",
        doc.form_version, doc.practice.practice_name
    );
    let mut out = Doc::new(fonts, &footer);
    out.set_running_head(&format!(
        "KAP informed consent, form version {}  ·  Client: {}  ·  {}",
        doc.form_version,
        doc.client_name,
        us_date(doc.date)
    ));
    let right = [
        Entry::new(Style::bold(13.0), "Informed consent"),
        Entry::new(
            Style::regular(9.0).ink(Ink::Muted),
            format!("Form version {}", doc.form_version),
        )
        .after(2.0),
    ];
    parts::letterhead(&mut out, &doc.practice, &right, false);

    let blocks = blocks(&doc.text);
    let title = blocks
        .iter()
        .find_map(|b| match b {
            Block::Title(t) => Some(*t),
            _ => None,
        })
        .unwrap_or(doc.title.as_str());
    out.heading(Style::bold(16.0), title, 60.0);
    out.gap(12.0);

    // Client and date, in a shaded band.
    let client = format!("Client:  {}", doc.client_name);
    let date = format!("Date:  {}", us_date(doc.date));
    out.block(|d, top| {
        let style = Style::regular(10.5);
        let date_w = 150.0;
        let client_lines = d.lines(style, &client, CONTENT_W - date_w - 36.0);
        let h = client_lines.len() as f32 * style.line_height() + 16.0;
        d.fill(LEFT, top, CONTENT_W, h, Ink::Shade);
        d.place_lines(
            LEFT + 12.0,
            CONTENT_W - date_w - 36.0,
            top + 8.0,
            style,
            &client_lines,
            Align::Left,
        );
        let date_lines = d.lines(style, &date, date_w);
        d.place_lines(
            RIGHT - 12.0 - date_w,
            date_w,
            top + 8.0,
            style,
            &date_lines,
            Align::Right,
        );
        h
    });
    out.gap(18.0);

    place_blocks(&mut out, &blocks);

    // Signatures: the client, then the therapist as witness, each with a date line.
    out.gap(16.0);
    let therapist = name_with_credentials(&doc.practice);
    out.block(|d, top| {
        let sign_w = CONTENT_W * 0.6;
        let date_x = LEFT + sign_w + 30.0;
        let date_w = RIGHT - date_x;
        let a = d.signature(
            LEFT,
            sign_w,
            top,
            "Client signature",
            Some(&doc.client_name),
        );
        d.signature(date_x, date_w, top, "Date", None);
        let top2 = top + a + 18.0;
        let b = d.signature(
            LEFT,
            sign_w,
            top2,
            "Therapist (witness) signature",
            Some(&therapist),
        );
        d.signature(date_x, date_w, top2, "Date", None);
        a + 18.0 + b
    });

    out.finish(&Meta {
        title: "KAP informed consent",
        author: &doc.practice.practice_name,
        date: doc.date,
    })
}

/// Places the form text's blocks at the cursor (a title is left to the caller).
pub(super) fn place_blocks(out: &mut Doc, blocks: &[Block<'_>]) {
    let body = Style::regular(10.0);
    for block in blocks {
        match block {
            Block::Title(_) => {}
            Block::Heading(h) => {
                out.gap(8.0);
                out.heading(
                    Style::bold(11.5).ink(Ink::Accent),
                    h,
                    3.0 * body.line_height(),
                );
                out.gap(4.0);
            }
            Block::Bullet(b) => {
                let indent = 14.0;
                let lines = out.lines(body, b, CONTENT_W - indent);
                for (i, line) in lines.iter().enumerate() {
                    out.keep(body.line_height());
                    let top = out.y;
                    if i == 0 {
                        out.place_lines(
                            LEFT + 3.0,
                            indent,
                            top,
                            body,
                            &["•".to_owned()],
                            Align::Left,
                        );
                    }
                    out.place_lines(
                        LEFT + indent,
                        CONTENT_W - indent,
                        top,
                        body,
                        std::slice::from_ref(line),
                        Align::Left,
                    );
                    out.y += body.line_height();
                }
                out.gap(3.0);
            }
            Block::Paragraph(p) => {
                out.paragraph(body, p);
                out.gap(7.0);
            }
        }
    }
}
