//! The superbill: a statement the client submits to an insurer for out-of-network
//! reimbursement.

use super::layout::{
    self, Align, Column, Doc, Ink, Meta, Style, Table, Width, CONTENT_W, LEFT, RIGHT,
};
use super::parts::{self, money_or_dash, name_with_credentials, sum, us_date, Entry, Weight};
use super::SuperbillDoc;
use crate::Result;

pub fn render(doc: &SuperbillDoc) -> Result<Vec<u8>> {
    let fonts = layout::fonts()?;
    let footer = format!("Superbill  ·  {}", doc.practice.practice_name);
    let mut out = Doc::new(fonts, &footer);
    out.set_running_head(&format!(
        "Superbill of {} (continued)  ·  {}",
        us_date(doc.issued_on),
        doc.client_name
    ));
    let p = &doc.practice;

    let right = [
        Entry::new(Style::regular(9.0).ink(Ink::Muted), "Statement date"),
        Entry::new(Style::bold(12.0), us_date(doc.issued_on)).after(1.0),
    ];
    parts::letterhead(&mut out, p, &right, false);
    out.heading(
        Style::bold(15.0),
        "Superbill (statement for insurance reimbursement)",
        80.0,
    );
    out.gap(16.0);

    // Provider and client side by side.
    let license = if p.license_number.trim().is_empty() {
        String::new()
    } else {
        format!("{} (NY)", p.license_number.trim())
    };
    let provider_rows = [
        ("Provider", name_with_credentials(p)),
        ("Practice", p.practice_name.clone()),
        ("License", license),
        ("NPI (individual)", p.npi.clone()),
        ("EIN (TIN)", p.ein.clone()),
        ("Address", p.address.clone()),
        ("Phone", p.phone.clone()),
    ];
    let client_rows = [
        ("Name", doc.client_name.clone()),
        (
            "Date of birth",
            doc.client_dob.map(us_date).unwrap_or_default(),
        ),
        ("Address", doc.client_address.clone().unwrap_or_default()),
        ("Member ID", doc.member_id.clone().unwrap_or_default()),
    ];
    out.block(|d, top| {
        let col_w = (CONTENT_W - 28.0) / 2.0;
        let right_x = LEFT + col_w + 28.0;
        let mut hl = parts::label(d, LEFT, col_w, top, "Rendering provider");
        hl += parts::pairs(d, LEFT, col_w, 82.0, top + hl, &provider_rows);
        let mut hr = parts::label(d, right_x, col_w, top, "Client");
        hr += parts::pairs(d, right_x, col_w, 72.0, top + hr, &client_rows);
        hl.max(hr)
    });
    out.gap(16.0);

    // Diagnoses with the letters the lines point to.
    parts::section(&mut out, "Diagnosis codes (ICD-10)", 16.0);
    if doc.diagnoses.is_empty() {
        out.paragraph(Style::regular(9.5).ink(Ink::Muted), "None given.");
    } else {
        diagnosis_codes(&mut out, &doc.diagnoses);
    }
    out.gap(18.0);

    parts::section(&mut out, "Services", 40.0);
    let rows = doc
        .lines
        .iter()
        .map(|l| {
            vec![
                us_date(l.date),
                l.place_of_service.clone(),
                l.cpt.clone(),
                l.modifiers.clone(),
                l.diagnosis_pointer.clone(),
                l.units.to_string(),
                l.fee.to_string(),
                money_or_dash(l.adjustment),
                l.charged.to_string(),
                l.paid.to_string(),
            ]
        })
        .collect();
    // The description runs beneath each line's codes, so the codes and amounts keep
    // their columns on a portrait page.
    let table = Table {
        columns: vec![
            Column::new("Date of service", Width::Flex(1.0), Align::Left),
            Column::new("POS", Width::Fixed(30.0), Align::Left),
            Column::new("CPT", Width::Fixed(38.0), Align::Left),
            Column::new("Modifiers", Width::Fixed(48.0), Align::Left),
            Column::new("Diagnosis pointer", Width::Fixed(50.0), Align::Left),
            Column::new("Units", Width::Fixed(32.0), Align::Right),
            Column::new("Fee", Width::Fixed(56.0), Align::Right),
            Column::new("Adjustment", Width::Fixed(58.0), Align::Right),
            Column::new("Charged", Width::Fixed(56.0), Align::Right),
            Column::new("Paid", Width::Fixed(56.0), Align::Right),
        ],
        rows,
        details: doc.lines.iter().map(|l| l.description.clone()).collect(),
        detail_from: 1,
        head: Style::bold(8.0).ink(Ink::Muted),
        body: Style::regular(9.0),
    };
    // The totals, the statement and the signature follow the last service line onto
    // its page: measured on a scratch page first, they never start a page alone.
    let mut scratch = Doc::new(fonts, "");
    // Below the page top, so the tail's leading gap counts as it will on the page.
    scratch.y += 1.0;
    let start = scratch.y;
    tail(&mut scratch, doc)?;
    let tail_h = scratch.y - start;
    out.table_kept_with(&table, tail_h);
    tail(&mut out, doc)?;

    out.finish(&Meta {
        title: "Superbill",
        author: &p.practice_name,
        date: doc.issued_on,
    })
}

/// What follows the service lines: the place-of-service key, the totals, and the
/// provider's statement with the signature and date lines.
fn tail(out: &mut Doc, doc: &SuperbillDoc) -> Result<()> {
    let p = &doc.practice;
    out.gap(5.0);
    out.paragraph(
        Style::regular(7.5).ink(Ink::Muted),
        "Place of service (POS): 11 office; 02 telehealth, client not at home; 10 telehealth, client at home.",
    );
    out.gap(10.0);

    let total_fee = sum(doc.lines.iter().map(|l| l.fee))?;
    let total_adjustment = sum(doc.lines.iter().map(|l| l.adjustment))?;
    parts::totals(
        out,
        &[
            ("Usual fees", total_fee.to_string(), Weight::Normal),
            (
                "Sliding-scale adjustments",
                money_or_dash(total_adjustment),
                Weight::Normal,
            ),
            (
                "Total charged",
                doc.total_charged.to_string(),
                Weight::Strong,
            ),
            (
                "Total paid by client",
                doc.total_paid.to_string(),
                Weight::Prominent,
            ),
        ],
    );
    out.gap(24.0);

    let statement = format!(
        "I certify that the services listed above were rendered by me, {}, and that the client \
         paid the amounts shown. The amounts charged are the fees actually agreed with the client, \
         after any sliding-scale adjustment.",
        name_with_credentials(p)
    );
    let signer = name_with_credentials(p);
    out.block(|d, top| {
        let style = Style::regular(9.5);
        let lines = d.lines(style, &statement, CONTENT_W);
        let mut h = d.place_lines(LEFT, CONTENT_W, top, style, &lines, Align::Left);
        h += 8.0;
        let sign_w = CONTENT_W * 0.6;
        let date_x = LEFT + sign_w + 30.0;
        let a = d.signature(LEFT, sign_w, top + h, "Provider signature", Some(&signer));
        d.signature(date_x, RIGHT - date_x, top + h, "Date", None);
        h + a
    });
    Ok(())
}

/// The diagnosis codes as "A  F33.1" pairs in a row, wrapping when the row is full.
fn diagnosis_codes(out: &mut Doc, diagnoses: &[(String, String)]) {
    let letter_style = Style::bold(10.0).ink(Ink::Accent);
    let code_style = Style::regular(10.0);
    let lh = code_style.line_height();
    let mut x = LEFT;
    out.keep(lh);
    for (letter, code) in diagnoses {
        let letter = format!("{letter}:");
        let code = out.fonts().printable(code);
        let letter_w = out.fonts().width(letter_style, &letter);
        let code_lines = out
            .fonts()
            .wrap(code_style, &code, CONTENT_W - letter_w - 6.0);
        let code_w = code_lines
            .iter()
            .map(|l| out.fonts().width(code_style, l))
            .fold(0.0, f32::max);
        let w = letter_w + 5.0 + code_w;
        if x > LEFT && x + w > RIGHT {
            out.y += lh + 2.0;
            out.keep(lh);
            x = LEFT;
        }
        let top = out.y;
        out.place_lines(x, letter_w, top, letter_style, &[letter], Align::Left);
        let h = out.place_lines(
            x + letter_w + 5.0,
            code_w + 1.0,
            top,
            code_style,
            &code_lines,
            Align::Left,
        );
        if code_lines.len() > 1 {
            out.y += h - lh;
        }
        x += w + 30.0;
    }
    out.y += lh;
}
