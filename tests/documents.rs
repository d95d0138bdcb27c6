//! The practice's paper, rendered to real PDF files under `target/documents/` and read
//! back with poppler (`pdftotext`, `pdfinfo`, `pdffonts`, `pdftoppm`): every amount,
//! code, name and heading is there, pages break with numbered footers, metadata holds
//! no client data, the font is embedded and subset, and no word runs off the page or
//! sits on top of another. The PNGs beside each PDF are for a human to look at.
#![allow(clippy::unwrap_used)]

use chrono::NaiveDate;
use kap_practice::documents::{
    render_consent, render_estimate, render_invoice, render_superbill, ConsentDoc, EstimateDoc,
    EstimateItem, InvoiceDoc, InvoiceLine, PaymentLine, PracticeHeader, SuperbillDoc,
    SuperbillLine,
};
use kap_practice::Cents;
use std::path::{Path, PathBuf};
use std::process::Command;

// ---------------------------------------------------------------------------------
// Sample data

const CLIENT: &str = "Renée Søndergaard-Núñez Müller-Straße";
const PRACTICE: &str = "Union Square KAP";

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn practice() -> PracticeHeader {
    PracticeHeader {
        practice_name: PRACTICE.into(),
        therapist_name: "Dana Whitfield".into(),
        credentials: "LCSW".into(),
        address: "12 East 14th Street, Suite 5\nNew York, NY 10003".into(),
        phone: "(212) 555-0147".into(),
        license_number: "087654".into(),
        npi: "1234567893".into(),
        ein: "12-3456789".into(),
    }
}

/// Two hundred characters of name or address, with and without spaces to break at.
fn long_text(seed: &str) -> String {
    let mut s = String::new();
    while s.chars().count() < 200 {
        s.push_str(seed);
    }
    s.chars().take(200).collect()
}

const DESCRIPTIONS: &[&str] = &[
    "KAP session (1-on-1)",
    "Integration session",
    "Mental-health intake",
    "Psychotherapy, 53 minutes",
    "Group KAP session",
];

fn invoice_line(i: usize) -> InvoiceLine {
    let usual = [60_000, 20_000, 20_000, 18_000, 25_000][i % 5];
    // Every other line has a sliding-scale adjustment; the others have none.
    let adjustment = if i.is_multiple_of(2) {
        0
    } else {
        -[5_000, 2_500, 10_000][i % 3]
    };
    InvoiceLine {
        date: d(2026, 1, 5) + chrono::Days::new(i as u64 * 3),
        description: DESCRIPTIONS[i % DESCRIPTIONS.len()].into(),
        usual: Cents(usual),
        adjustment: Cents(adjustment),
        amount: Cents(usual + adjustment),
    }
}

fn invoice(lines: usize, payments: Vec<PaymentLine>) -> InvoiceDoc {
    let lines: Vec<InvoiceLine> = (0..lines).map(invoice_line).collect();
    let total_usual: i64 = lines.iter().map(|l| l.usual.0).sum();
    let total_adjustment: i64 = lines.iter().map(|l| l.adjustment.0).sum();
    let total: i64 = lines.iter().map(|l| l.amount.0).sum();
    let paid: i64 = payments.iter().map(|p| p.amount.0).sum();
    InvoiceDoc {
        practice: practice(),
        number: "2026-0042".into(),
        issued_on: d(2026, 3, 3),
        voided: false,
        status: "Partly paid".into(),
        client_name: CLIENT.into(),
        client_address: Some("Calle del Ñandú 7, Apt 4B\nBrooklyn, NY 11201".into()),
        lines,
        payments,
        total_usual: Cents(total_usual),
        total_adjustment: Cents(total_adjustment),
        total: Cents(total),
        paid: Cents(paid),
        balance: Cents(total - paid),
        how_to_pay: "Pay by Zelle to billing@unionsquarekap.example, by check made out to \
                     Union Square KAP, or by card or cash at your next session. Please write \
                     the invoice number on checks and in the Zelle memo."
            .into(),
    }
}

fn two_payments() -> Vec<PaymentLine> {
    vec![
        PaymentLine {
            date: d(2026, 1, 5),
            method: "Zelle".into(),
            amount: Cents(60_000),
        },
        PaymentLine {
            date: d(2026, 2, 2),
            method: "Card".into(),
            amount: Cents(12_550),
        },
    ]
}

fn consent(client: &str) -> ConsentDoc {
    let form = kap_practice::consent::current();
    ConsentDoc {
        practice: practice(),
        form_version: form.version,
        title: form.title.into(),
        text: form.text.into(),
        client_name: client.into(),
        date: d(2026, 3, 3),
    }
}

fn superbill_line(i: usize) -> SuperbillLine {
    let (cpt, description, fee) = [
        ("90791", "Psychiatric diagnostic evaluation", 20_000),
        ("90837", "Psychotherapy, 60 minutes (KAP session)", 60_000),
        ("90834", "Psychotherapy, 45 minutes (integration)", 18_000),
        ("90853", "Group psychotherapy", 12_000),
    ][i % 4];
    let adjustment = if i % 3 == 1 { -fee / 4 } else { 0 };
    let pos = ["11", "02", "10"][i % 3];
    SuperbillLine {
        date: d(2026, 1, 6) + chrono::Days::new(i as u64 * 7),
        place_of_service: pos.into(),
        cpt: cpt.into(),
        modifiers: if pos == "11" {
            String::new()
        } else {
            "95".into()
        },
        diagnosis_pointer: if i.is_multiple_of(2) {
            "A".into()
        } else {
            "A,B".into()
        },
        units: 1,
        description: description.into(),
        fee: Cents(fee),
        adjustment: Cents(adjustment),
        charged: Cents(fee + adjustment),
        paid: Cents(fee + adjustment),
    }
}

fn superbill(lines: usize) -> SuperbillDoc {
    let lines: Vec<SuperbillLine> = (0..lines).map(superbill_line).collect();
    SuperbillDoc {
        practice: practice(),
        issued_on: d(2026, 3, 3),
        client_name: CLIENT.into(),
        client_dob: Some(d(1987, 7, 14)),
        client_address: Some("Calle del Ñandú 7, Apt 4B\nBrooklyn, NY 11201".into()),
        member_id: Some("XJH-44871023".into()),
        diagnoses: vec![("A".into(), "F33.1".into()), ("B".into(), "F41.1".into())],
        total_charged: Cents(lines.iter().map(|l| l.charged.0).sum()),
        total_paid: Cents(lines.iter().map(|l| l.paid.0).sum()),
        lines,
    }
}

fn estimate() -> EstimateDoc {
    let items = vec![
        EstimateItem {
            description: "Mental-health intake (psychiatric diagnostic evaluation)".into(),
            code: "90791".into(),
            quantity: 1,
            unit_fee: Cents(20_000),
            total: Cents(20_000),
        },
        EstimateItem {
            description: "KAP session, 1-on-1, about 3 hours".into(),
            code: "90837".into(),
            quantity: 3,
            unit_fee: Cents(60_000),
            total: Cents(180_000),
        },
        EstimateItem {
            description: "Integration session".into(),
            code: "90834".into(),
            quantity: 3,
            unit_fee: Cents(18_000),
            total: Cents(54_000),
        },
        EstimateItem {
            description: "Eye mask, snack and drink (included in the session fee)".into(),
            code: String::new(),
            quantity: 3,
            unit_fee: Cents(0),
            total: Cents(0),
        },
    ];
    EstimateDoc {
        practice: practice(),
        issued_on: d(2026, 3, 3),
        client_name: CLIENT.into(),
        client_dob: Some(d(1987, 7, 14)),
        primary_service: "Ketamine-assisted psychotherapy: three 1-on-1 KAP sessions, each \
                          followed by an integration session"
            .into(),
        scheduled_on: Some(d(2026, 3, 17)),
        diagnosis_codes: vec!["F33.1".into(), "F41.1".into()],
        total: Cents(254_000),
        items,
    }
}

// ---------------------------------------------------------------------------------
// Files and poppler

fn out_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/documents");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Writes the PDF and its pages as PNGs (60 dpi) for a human to look at.
fn write(name: &str, bytes: &[u8]) -> PathBuf {
    assert!(bytes.starts_with(b"%PDF-"), "{name} is a PDF");
    let dir = out_dir();
    let path = dir.join(format!("{name}.pdf"));
    std::fs::write(&path, bytes).unwrap();
    // This document's earlier pages only (`<name>-<page>.png`): "superbill-1.png" is the
    // superbill's, "superbill-long-names-1.png" another test's, rendered concurrently.
    for old in std::fs::read_dir(&dir).unwrap().flatten() {
        let file = old.file_name().to_string_lossy().into_owned();
        let page = file
            .strip_prefix(&format!("{name}-"))
            .and_then(|rest| rest.strip_suffix(".png"));
        if page.is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())) {
            std::fs::remove_file(old.path()).unwrap();
        }
    }
    let status = Command::new("pdftoppm")
        .args(["-r", "60", "-png"])
        .arg(&path)
        .arg(dir.join(name))
        .status()
        .unwrap();
    assert!(status.success(), "pdftoppm renders {name}");
    path
}

/// Runs a poppler tool on the file; `pdftotext` is told to write to stdout.
fn run(tool: &str, args: &[&str], path: &Path) -> String {
    let mut cmd = Command::new(tool);
    cmd.args(args).arg(path);
    if tool == "pdftotext" {
        cmd.arg("-");
    }
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{tool} reads {}", path.display());
    String::from_utf8(out.stdout).unwrap()
}

/// Text per page (`pdftotext -layout` separates pages with form feeds), with runs of
/// spaces collapsed so that phrases can be searched for.
fn pages(path: &Path) -> Vec<String> {
    let text = run("pdftotext", &["-layout"], path);
    let mut pages: Vec<String> = text
        .split('\u{c}')
        .map(|p| {
            p.lines()
                .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
                .collect::<Vec<_>>()
                .join("\n")
        })
        .collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

fn all_text(path: &Path) -> String {
    pages(path).join("\n")
}

/// Each phrase is on the page, on one line or (for wrapped paragraphs) across lines.
fn assert_contains(text: &str, wanted: &[&str], what: &str) {
    let flat = text.replace('\n', " ");
    for w in wanted {
        assert!(
            text.contains(w) || flat.contains(w),
            "{what} shows {w:?}; text was:\n{text}"
        );
    }
}

/// Title and author in the PDF's Info dictionary and XMP hold no client data.
fn assert_metadata(path: &Path, title: &str, client: &str) {
    let info = run("pdfinfo", &[], path);
    let field = |name: &str| {
        info.lines()
            .find_map(|l| l.strip_prefix(&format!("{name}:")))
            .map(|v| v.trim().to_owned())
            .unwrap_or_default()
    };
    assert_eq!(field("Title"), title, "the title names the document only");
    assert!(
        field("Author").is_empty() || field("Author") == PRACTICE,
        "the author is at most the practice name, not {:?}",
        field("Author")
    );
    for fragment in client.split([' ', '-']).filter(|f| f.len() > 3) {
        assert!(
            !info.contains(fragment),
            "pdfinfo holds no client name:\n{info}"
        );
    }
    for name in ["Subject", "Keywords"] {
        assert!(
            field(name).is_empty(),
            "{name} is empty, it could only leak client data"
        );
    }
    let meta = Command::new("pdfinfo")
        .arg("-meta")
        .arg(path)
        .output()
        .unwrap();
    let meta = String::from_utf8_lossy(&meta.stdout);
    for fragment in client.split([' ', '-']).filter(|f| f.len() > 3) {
        assert!(
            !meta.contains(fragment),
            "the XMP metadata holds no client name"
        );
    }
}

/// Noto Sans is embedded and subset (`ABCDEF+NotoSans-…`, emb yes, sub yes).
fn assert_fonts_subset(path: &Path) {
    let fonts = run("pdffonts", &[], path);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty(), "the document uses a font:\n{fonts}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        assert!(row.contains("+NotoSans"), "Noto Sans is subset: {row}");
        let n = cols.len();
        assert_eq!(
            &cols[n - 5..n - 3],
            &["yes", "yes"],
            "embedded and subset: {row}"
        );
    }
}

/// A word's box on the page (x0, y0, x1, y1, from the top-left) and its text.
type Word = (f32, f32, f32, f32, String);

/// Every word lies within the page's margins and no two words overlap, read back
/// from the words' boxes as poppler sees them (`pdftotext -bbox`).
fn assert_tidy(path: &Path) {
    let html = run("pdftotext", &["-bbox"], path);
    let mut page_words: Vec<Vec<Word>> = Vec::new();
    for line in html.lines().map(str::trim) {
        if line.starts_with("<page") {
            page_words.push(Vec::new());
        } else if line.starts_with("<word") {
            let attr = |name: &str| -> f32 {
                let start = line.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
                let end = start + line[start..].find('"').unwrap();
                line[start..end].parse().unwrap()
            };
            let word = line
                .split('>')
                .nth(1)
                .and_then(|w| w.split('<').next())
                .unwrap_or("")
                .to_owned();
            let b = (attr("xMin"), attr("yMin"), attr("xMax"), attr("yMax"), word);
            page_words.last_mut().unwrap().push(b);
        }
    }
    for (p, words) in page_words.iter().enumerate() {
        for (x0, y0, x1, y1, w) in words {
            assert!(
                *x0 >= 53.0 && *x1 <= 559.0 && *y0 >= 40.0 && *y1 <= 770.0,
                "{}: page {} word {w:?} at ({x0}, {y0})–({x1}, {y1}) stays inside the margins",
                path.display(),
                p + 1
            );
        }
        for (i, a) in words.iter().enumerate() {
            for b in &words[i + 1..] {
                let dx = a.2.min(b.2) - a.0.max(b.0);
                let dy = a.3.min(b.3) - a.1.max(b.1);
                assert!(
                    dx <= 0.5 || dy <= 1.5,
                    "{}: page {} words {:?} and {:?} do not overlap",
                    path.display(),
                    p + 1,
                    a.4,
                    b.4
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------
// Invoices

#[test]
fn invoice_sample_shows_every_amount_and_name() {
    let doc = invoice(5, two_payments());
    let path = write("invoice-sample", &render_invoice(&doc).unwrap());
    let text = all_text(&path);
    assert_contains(
        &text,
        &[
            "Union Square KAP",
            "Dana Whitfield, LCSW",
            "12 East 14th Street, Suite 5",
            "(212) 555-0147",
            "NPI 1234567893",
            "EIN 12-3456789",
            "Invoice 2026-0042",
            "Issued Mar 3, 2026",
            "BILL TO",
            CLIENT,
            "Calle del Ñandú 7, Apt 4B",
            "Jan 5, 2026",
            "KAP session (1-on-1)",
            "Mental-health intake",
            "Usual fee",
            "Adjustment",
            "$600.00",
            "-$50.00",
            "-$25.00",
            "Sliding-scale adjustment",
            "Balance due",
            "Payments",
            "Zelle",
            "$125.50",
            "How to pay",
            "Page 1 of 1",
        ],
        "the sample invoice",
    );
    for amount in [
        doc.total_usual,
        doc.total_adjustment,
        doc.total,
        doc.paid,
        doc.balance,
    ] {
        assert!(
            text.contains(&amount.to_string()),
            "the invoice shows {amount}"
        );
    }
    // A line without an adjustment shows a dash, not $0.00.
    let first = text
        .lines()
        .find(|l| l.contains("Jan 5, 2026 KAP session"))
        .unwrap();
    assert!(
        first.contains('—') && !first.contains("$0.00"),
        "no adjustment reads —: {first}"
    );
    assert!(!text.contains("VOID"), "a live invoice is not marked void");
    assert_metadata(&path, "Invoice 2026-0042", CLIENT);
    assert_fonts_subset(&path);
    assert_tidy(&path);
}

#[test]
fn forty_line_invoice_breaks_pages_and_repeats_the_table_header() {
    let doc = invoice(40, two_payments());
    let path = write("invoice-40-lines", &render_invoice(&doc).unwrap());
    let pages = pages(&path);
    let n = pages.len();
    assert!(n >= 2, "40 lines do not fit on one page");
    for (i, page) in pages.iter().enumerate() {
        assert!(
            page.contains(&format!("Page {} of {n}", i + 1)),
            "page {} is numbered",
            i + 1
        );
        let has_lines = (0..40).any(|l| page.contains(&kap_date(invoice_line(l).date)));
        if has_lines {
            assert!(
                page.contains("Usual fee Adjustment Amount"),
                "page {} repeats the table header",
                i + 1
            );
        }
        if i > 0 {
            assert!(
                page.contains("Invoice 2026-0042 (continued)"),
                "page {} says which invoice it belongs to",
                i + 1
            );
        }
    }
    assert!(
        pages[1].contains("Usual fee Adjustment Amount"),
        "the lines run onto page 2 under the header"
    );
    // Every line is there once, and the totals come after the last line.
    let text = pages.join("\n");
    for i in 0..40 {
        let date = kap_date(invoice_line(i).date);
        assert!(text.contains(&date), "line {i} ({date}) is printed");
    }
    let last_line = text.find(&kap_date(invoice_line(39).date)).unwrap();
    let totals = text.rfind("Balance due").unwrap();
    assert!(totals > last_line, "the totals follow the last line");
    assert!(text.contains(&doc.balance.to_string()));
    assert_tidy(&path);
}

fn kap_date(date: NaiveDate) -> String {
    date.format("%b %-d, %Y").to_string()
}

#[test]
fn void_invoice_is_marked_on_every_page() {
    let mut doc = invoice(40, two_payments());
    doc.voided = true;
    let path = write("invoice-void", &render_invoice(&doc).unwrap());
    let pages = pages(&path);
    assert!(pages.len() >= 2);
    for (i, page) in pages.iter().enumerate() {
        assert!(page.contains("VOID"), "page {} says VOID", i + 1);
    }
    assert!(pages[0].contains("This invoice has been voided and is not payable."));
}

#[test]
fn long_names_and_addresses_wrap_and_zero_payments_read_plainly() {
    let mut doc = invoice(3, Vec::new());
    doc.client_name = long_text("Maximiliane Østergård-Lindqvist ");
    doc.client_address = Some(long_text("Apartment 12C, 1234 Avenue of the Americas "));
    doc.practice.practice_name = long_text("Union Square Ketamine-Assisted Psychotherapy ");
    doc.practice.address = long_text("Flatiron District Professional Building ");
    doc.lines[1].description = long_text("Extended integration session with follow-up ");
    doc.lines[2].description = long_text("X");
    let path = write("invoice-long-names", &render_invoice(&doc).unwrap());
    let text = all_text(&path);
    assert_contains(
        &text,
        &[
            "Maximiliane Østergård-Lindqvist",
            "Apartment 12C",
            "No payments have been recorded",
        ],
        "the long-name invoice",
    );
    assert!(text.contains("$0.00"), "nothing paid reads $0.00");
    assert_tidy(&path);
}

#[test]
fn characters_the_font_lacks_show_as_question_marks() {
    let mut doc = invoice(1, Vec::new());
    doc.client_name = "Mei 名 Chen 🌿".into();
    let path = write("invoice-missing-glyphs", &render_invoice(&doc).unwrap());
    let text = all_text(&path);
    assert!(
        text.contains("Mei ? Chen ?"),
        "missing glyphs show as ?:\n{text}"
    );
    assert_metadata(&path, "Invoice 2026-0042", "Mei Chen");
}

// ---------------------------------------------------------------------------------
// Consent

#[test]
fn consent_form_is_filled_paginated_and_signed() {
    let doc = consent(CLIENT);
    let path = write("consent", &render_consent(&doc).unwrap());
    let pages = pages(&path);
    let n = pages.len();
    assert!(n >= 2, "the form runs over several pages");
    for (i, page) in pages.iter().enumerate() {
        assert!(
            page.contains(&format!("Page {} of {n}", i + 1)),
            "page {} is numbered",
            i + 1
        );
        assert!(
            page.contains("form version 1"),
            "page {} carries the form version",
            i + 1
        );
    }
    let text = pages.join("\n");
    assert_contains(
        &text,
        &[
            "Informed Consent for Ketamine-Assisted Psychotherapy (KAP)",
            "Form version 1.",
            &format!("Client: {CLIENT}"),
            "Date: Mar 3, 2026",
            "1. What ketamine is, and how it is used here",
            "5. Contraindications: when ketamine is not safe",
            "9. Fees and the sliding scale",
            "10. Consent",
            "Client signature",
            "Therapist (witness) signature",
            "Dana Whitfield, LCSW",
        ],
        "the consent form",
    );
    // The signature block is the end of the form.
    let last = &pages[n - 1];
    assert!(
        last.find("Therapist (witness) signature").unwrap()
            > last.find("Client signature").unwrap()
    );
    assert!(
        last.contains(CLIENT),
        "the client's printed name is under the signature line"
    );
    assert_metadata(&path, "KAP informed consent", CLIENT);
    assert_fonts_subset(&path);
    assert_tidy(&path);
}

#[test]
fn consent_with_a_long_name_stays_inside_the_page() {
    let doc = consent(&long_text("Anne-Sophie Kjærsgaard-Ibáñez "));
    let path = write("consent-long-name", &render_consent(&doc).unwrap());
    assert!(all_text(&path).contains("Anne-Sophie Kjærsgaard-Ibáñez"));
    assert_tidy(&path);
}

// ---------------------------------------------------------------------------------
// Superbill

#[test]
fn superbill_holds_what_an_insurer_needs() {
    let doc = superbill(10);
    let path = write("superbill", &render_superbill(&doc).unwrap());
    let text = all_text(&path);
    assert_contains(
        &text,
        &[
            "Superbill (statement for insurance reimbursement)",
            "Dana Whitfield, LCSW",
            "087654 (NY)",
            "1234567893",
            "12-3456789",
            "(212) 555-0147",
            "Renée Søndergaard-Núñez",
            "Müller-Straße",
            "Jul 14, 1987",
            "XJH-44871023",
            "A: F33.1",
            "B: F41.1",
            "90791",
            "90837",
            "90834",
            "90853",
            "A,B",
            "Psychiatric diagnostic evaluation",
            "-$150.00",
            "-$50.00",
            "Total charged",
            "Total paid by client",
            "rendered by me",
            "paid the amounts shown",
            "Provider signature",
        ],
        "the superbill",
    );
    assert!(text.contains(&doc.total_charged.to_string()));
    assert!(text.contains(&doc.total_paid.to_string()));
    assert_metadata(&path, "Superbill", CLIENT);
    assert_fonts_subset(&path);
    assert_tidy(&path);
}

#[test]
fn superbill_with_long_client_details_stays_inside_the_page() {
    let mut doc = superbill(3);
    doc.client_name = long_text("Maximiliane Østergård-Lindqvist ");
    doc.client_address = Some(long_text("Apartment 12C, 1234 Avenue of the Americas "));
    doc.member_id = None;
    doc.client_dob = None;
    let path = write("superbill-long-names", &render_superbill(&doc).unwrap());
    assert!(
        !all_text(&path).contains("Member ID"),
        "no member ID, no label"
    );
    assert_tidy(&path);
}

// ---------------------------------------------------------------------------------
// Good-faith estimate

#[test]
fn estimate_lists_services_and_the_required_disclaimers() {
    let doc = estimate();
    let bytes = render_estimate(&doc).unwrap();
    let path = write("estimate", &bytes);
    let text = all_text(&path);
    assert_contains(
        &text,
        &[
            "Good Faith Estimate",
            "Renée Søndergaard-Núñez",
            "Müller-Straße",
            "Jul 14, 1987",
            "Ketamine-assisted psychotherapy",
            "Mar 17, 2026",
            "Dana Whitfield, LCSW",
            "1234567893",
            "12-3456789",
            "12 East 14th Street, Suite 5",
            "F33.1, F41.1",
            "90791",
            "90837",
            "$600.00",
            "$1,800.00",
            "$540.00",
            "Total expected charges",
            "$2,540.00",
            "scheduled",
            "not included",
            "only an estimate",
            "$400 or more",
            "dispute resolution process",
            "www.cms.gov/nosurprises",
            "1-800-985-3059",
            "Keep a copy",
            "not a contract",
        ],
        "the estimate",
    );
    let raw = String::from_utf8_lossy(&bytes);
    assert!(
        !raw.contains("/URI") && !raw.contains("/Link"),
        "plain text, no links"
    );
    assert_metadata(&path, "Good faith estimate", CLIENT);
    assert_fonts_subset(&path);
    assert_tidy(&path);
}

#[test]
fn superbill_signature_never_starts_a_page_alone() {
    // From 10 lines up, some count of lines leaves the totals and the signature just
    // below the fold; whatever the count, the page with the signature also holds the
    // last service line (its CPT code and the line's description) and the totals.
    let mut spilled = Vec::new();
    for n in 10..=40 {
        let doc = superbill(n);
        let name = format!("superbill-{n}-lines");
        let path = out_dir().join(format!("{name}.pdf"));
        std::fs::write(&path, render_superbill(&doc).unwrap()).unwrap();
        let pages = pages(&path);
        let signed = pages
            .iter()
            .position(|p| p.contains("Provider signature"))
            .expect("a signature line");
        let page = &pages[signed];
        let last = doc.lines.last().unwrap();
        if signed > 0 {
            spilled.push(n);
            assert!(
                page.contains(&last.description) && page.contains(&us(last.date)),
                "{n} lines: the signature's page {} also holds the last line:\n{page}",
                signed + 1
            );
        }
        assert!(
            page.contains("Total paid by client"),
            "{n} lines: the totals are with the signature:\n{page}"
        );
    }
    assert!(
        !spilled.is_empty(),
        "some counts take the signature past page 1, so the rule was exercised"
    );
    // Keep one of them as pictures to look at.
    let n = spilled[0];
    write(
        &format!("superbill-kept-together-{n}"),
        &render_superbill(&superbill(n)).unwrap(),
    );
}

fn us(date: NaiveDate) -> String {
    date.format("%b %-d, %Y").to_string()
}

#[test]
fn credentials_print_once_even_when_the_name_carries_them() {
    let mut doc = superbill(2);
    doc.practice.therapist_name = "Dana Whitfield, LCSW".into();
    let path = write("superbill-credentials", &render_superbill(&doc).unwrap());
    let text = all_text(&path);
    assert!(text.contains("Dana Whitfield, LCSW"), "{text}");
    assert!(
        !text.contains("LCSW, LCSW"),
        "never twice (\"Maya Okafor, LCSW, LCSW\"):\n{text}"
    );
}

#[test]
fn invoice_prints_its_status() {
    let mut doc = invoice(2, Vec::new());
    doc.paid = doc.total;
    doc.balance = Cents(0);
    doc.status = "Paid".into();
    let path = write("invoice-paid", &render_invoice(&doc).unwrap());
    assert_contains(&all_text(&path), &["Status: Paid"], "a paid invoice");
}
