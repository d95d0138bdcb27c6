//! The invoice.

use super::layout::{
    self, Align, Column, Doc, Ink, Meta, Style, Table, Width, CONTENT_W, LEFT, RIGHT,
};
use super::parts::{self, money_or_dash, us_date, Entry, Weight};
use super::InvoiceDoc;
use crate::Result;

pub fn render(doc: &InvoiceDoc) -> Result<Vec<u8>> {
    let fonts = layout::fonts()?;
    let title = format!("Invoice {}", doc.number);
    let footer = if doc.voided {
        format!("VOID  ·  {title}  ·  {}", doc.practice.practice_name)
    } else {
        format!("{title}  ·  {}", doc.practice.practice_name)
    };
    let mut out = Doc::new(fonts, &footer);
    out.set_running_head(&format!("{title} (continued)  ·  {}", doc.client_name));
    if doc.voided {
        out.set_watermark("VOID");
    }

    let right = [
        Entry::new(Style::bold(20.0), title.clone()),
        Entry::new(
            Style::regular(10.0).ink(Ink::Muted),
            format!("Issued {}", us_date(doc.issued_on)),
        )
        .after(2.0),
        Entry::new(
            Style::bold(10.0).ink(Ink::Accent),
            format!("Status: {}", doc.status),
        )
        .after(2.0),
    ];
    parts::letterhead(&mut out, &doc.practice, &right, true);

    if doc.voided {
        out.block(|d, top| {
            let h = 34.0;
            d.fill(LEFT, top, CONTENT_W, h, Ink::VoidShade);
            d.line(LEFT, RIGHT, top, 1.25, Ink::Void);
            d.line(LEFT, RIGHT, top + h, 1.25, Ink::Void);
            let base = top + h / 2.0 + 0.714 * 14.0 / 2.0;
            d.text_at(
                LEFT + 12.0,
                base,
                Style::bold(14.0).ink(Ink::Void),
                "VOID",
                Align::Left,
            );
            d.text_at(
                LEFT + 62.0,
                base - 1.0,
                Style::regular(10.0).ink(Ink::Void),
                "This invoice has been voided and is not payable.",
                Align::Left,
            );
            h
        });
        out.gap(18.0);
    }

    // Bill to on the left; the balance due on the right.
    let address = doc.client_address.clone().unwrap_or_default();
    let balance = doc.balance.to_string();
    out.block(|d, top| {
        let left_w = CONTENT_W * 0.55;
        let mut h = parts::label(d, LEFT, left_w, top, "Bill to");
        h += parts::stack(
            d,
            LEFT,
            left_w,
            top + h,
            &[
                Entry::new(Style::bold(11.0), doc.client_name.clone()),
                Entry::new(Style::regular(9.5), address.clone()).after(1.0),
            ],
            Align::Left,
        );
        let box_w = 180.0;
        let box_x = RIGHT - box_w;
        let box_h = 52.0;
        d.fill(box_x, top, box_w, box_h, Ink::Shade);
        d.line(box_x, RIGHT, top, 1.25, Ink::Accent);
        let label_style = Style::regular(9.0).ink(Ink::Muted);
        d.text_at(
            RIGHT - 10.0,
            top + 18.0,
            label_style,
            "Balance due",
            Align::Right,
        );
        d.text_at(
            RIGHT - 10.0,
            top + 41.0,
            Style::bold(17.0),
            &balance,
            Align::Right,
        );
        h.max(box_h)
    });
    out.gap(24.0);

    let rows = doc
        .lines
        .iter()
        .map(|l| {
            vec![
                us_date(l.date),
                l.description.clone(),
                l.usual.to_string(),
                money_or_dash(l.adjustment),
                l.amount.to_string(),
            ]
        })
        .collect();
    out.table(&Table {
        columns: vec![
            Column::new("Date", Width::Fixed(78.0), Align::Left),
            Column::new("Description", Width::Flex(1.0), Align::Left),
            Column::new("Usual fee", Width::Fixed(76.0), Align::Right),
            Column::new("Adjustment", Width::Fixed(76.0), Align::Right),
            Column::new("Amount", Width::Fixed(76.0), Align::Right),
        ],
        rows,
        details: Vec::new(),
        detail_from: 0,
        head: Style::bold(8.5).ink(Ink::Muted),
        body: Style::regular(9.5),
    });
    out.gap(10.0);
    parts::totals(
        &mut out,
        &[
            ("Usual fees", doc.total_usual.to_string(), Weight::Normal),
            (
                "Sliding-scale adjustment",
                money_or_dash(doc.total_adjustment),
                Weight::Normal,
            ),
            ("Total", doc.total.to_string(), Weight::Strong),
            ("Paid", doc.paid.to_string(), Weight::Normal),
            ("Balance due", balance.clone(), Weight::Prominent),
        ],
    );
    out.gap(26.0);

    parts::section(&mut out, "Payments", 40.0);
    if doc.payments.is_empty() {
        out.paragraph(
            Style::regular(9.5).ink(Ink::Muted),
            "No payments have been recorded for this invoice.",
        );
    } else {
        let rows = doc
            .payments
            .iter()
            .map(|p| vec![us_date(p.date), p.method.clone(), p.amount.to_string()])
            .collect();
        out.table(&Table {
            columns: vec![
                Column::new("Date", Width::Fixed(110.0), Align::Left),
                Column::new("Method", Width::Flex(1.0), Align::Left),
                Column::new("Amount", Width::Fixed(96.0), Align::Right),
            ],
            rows,
            details: Vec::new(),
            detail_from: 0,
            head: Style::bold(8.5).ink(Ink::Muted),
            body: Style::regular(9.5),
        });
    }
    out.gap(26.0);

    if !doc.how_to_pay.trim().is_empty() {
        parts::section(&mut out, "How to pay", 30.0);
        for para in doc.how_to_pay.split("\n\n") {
            out.paragraph(Style::regular(9.5), para.trim());
            out.gap(5.0);
        }
    }

    out.finish(&Meta {
        title: &title,
        author: &doc.practice.practice_name,
        date: doc.issued_on,
    })
}
