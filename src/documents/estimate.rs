//! The good-faith estimate for a self-pay client (No Surprises Act, 45 CFR 149.610).

use super::layout::{self, Align, Column, Doc, Ink, Meta, Style, Table, Width, CONTENT_W, LEFT};
use super::parts::{self, name_with_credentials, us_date, Entry, Weight};
use super::EstimateDoc;
use crate::Result;

/// The disclaimers the rule requires, after the CMS model notice. Plain text: the
/// addresses are printed, never linked.
const DISCLAIMERS: &[(&str, &str)] = &[
    (
        "Other services",
        "Other items or services may be recommended as part of your care and scheduled \
         separately. They are not included in this estimate; you may ask for a separate \
         Good Faith Estimate for them.",
    ),
    (
        "This is only an estimate",
        "This Good Faith Estimate shows the costs of items and services that are reasonably \
         expected for your care, based on what is known on the date it was made. Actual \
         items, services or charges may differ from this estimate.",
    ),
    (
        "Your right to dispute the bill",
        "If you are billed $400 or more above this Good Faith Estimate, you have the right to \
         dispute the bill. You may contact the provider to let them know the billed charges are \
         higher than this estimate, ask them to update the bill to match it, ask to negotiate the \
         bill, or ask whether financial assistance is available. You may also start the \
         patient-provider dispute resolution process with the U.S. Department of Health and \
         Human Services (HHS). You must start it within 120 calendar days (about 4 months) of \
         the date on the original bill, and there is a $25 fee to use it. If the agency \
         reviewing your dispute agrees with you, you will have to pay the price on this \
         estimate; if it agrees with the provider, you will have to pay the higher amount. To \
         learn more and get a form to start the process, go to www.cms.gov/nosurprises or call \
         1-800-985-3059.",
    ),
    (
        "Keep a copy",
        "Keep a copy of this Good Faith Estimate in a safe place or take pictures of it. You may \
         need it if you are billed a higher amount.",
    ),
    (
        "Not a contract",
        "This Good Faith Estimate is not a contract and does not oblige you to receive the items \
         or services listed in it from this provider or from anyone else.",
    ),
    (
        "Questions",
        "For questions or more information about your right to a Good Faith Estimate, visit \
         www.cms.gov/nosurprises or call 1-800-985-3059.",
    ),
];

pub fn render(doc: &EstimateDoc) -> Result<Vec<u8>> {
    let fonts = layout::fonts()?;
    let footer = format!("Good Faith Estimate  ·  {}", doc.practice.practice_name);
    let mut out = Doc::new(fonts, &footer);
    out.set_running_head(&format!(
        "Good Faith Estimate of {} (continued)  ·  {}",
        us_date(doc.issued_on),
        doc.client_name
    ));
    let p = &doc.practice;

    let right = [
        Entry::new(Style::bold(20.0), "Good Faith Estimate"),
        Entry::new(
            Style::regular(9.0).ink(Ink::Muted),
            "for self-pay and uninsured clients",
        )
        .after(1.0),
        Entry::new(
            Style::regular(10.0).ink(Ink::Muted),
            format!("Issued {}", us_date(doc.issued_on)),
        )
        .after(3.0),
    ];
    parts::letterhead(&mut out, p, &right, false);

    let client_rows = [
        ("Name", doc.client_name.clone()),
        (
            "Date of birth",
            doc.client_dob
                .map(us_date)
                .unwrap_or_else(|| "Not given".to_owned()),
        ),
    ];
    let provider_rows = [
        ("Provider", name_with_credentials(p)),
        ("Practice", p.practice_name.clone()),
        ("NPI", p.npi.clone()),
        ("TIN (EIN)", p.ein.clone()),
        ("Office location", p.address.clone()),
        ("Phone", p.phone.clone()),
    ];
    out.block(|d, top| {
        let col_w = (CONTENT_W - 28.0) / 2.0;
        let right_x = LEFT + col_w + 28.0;
        let mut hl = parts::label(d, LEFT, col_w, top, "Client");
        hl += parts::pairs(d, LEFT, col_w, 72.0, top + hl, &client_rows);
        let mut hr = parts::label(d, right_x, col_w, top, "Provider");
        hr += parts::pairs(d, right_x, col_w, 80.0, top + hr, &provider_rows);
        hl.max(hr)
    });
    out.gap(18.0);

    let scheduled = doc
        .scheduled_on
        .map(us_date)
        .unwrap_or_else(|| "Not yet scheduled".to_owned());
    let diagnoses = if doc.diagnosis_codes.is_empty() {
        "None given".to_owned()
    } else {
        doc.diagnosis_codes.join(", ")
    };
    let service_rows = [
        ("Primary service", doc.primary_service.clone()),
        ("Scheduled date", scheduled),
        ("Diagnosis codes (ICD-10)", diagnoses),
    ];
    parts::section(&mut out, "The service", 40.0);
    out.block(|d, top| parts::pairs(d, LEFT, CONTENT_W, 130.0, top, &service_rows));
    out.gap(18.0);

    parts::section(&mut out, "Expected items and services", 40.0);
    let rows = doc
        .items
        .iter()
        .map(|i| {
            vec![
                i.description.clone(),
                if i.code.trim().is_empty() {
                    "—".to_owned()
                } else {
                    i.code.clone()
                },
                i.quantity.to_string(),
                i.unit_fee.to_string(),
                i.total.to_string(),
            ]
        })
        .collect();
    out.table(&Table {
        columns: vec![
            Column::new("Description", Width::Flex(1.0), Align::Left),
            Column::new("Service code", Width::Fixed(72.0), Align::Left),
            Column::new("Quantity", Width::Fixed(56.0), Align::Right),
            Column::new("Unit fee", Width::Fixed(78.0), Align::Right),
            Column::new("Total", Width::Fixed(84.0), Align::Right),
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
        &[(
            "Total expected charges",
            doc.total.to_string(),
            Weight::Prominent,
        )],
    );
    out.gap(26.0);

    parts::section(&mut out, "Please read", 40.0);
    for (heading, text) in DISCLAIMERS {
        out.heading(
            Style::bold(9.5),
            heading,
            2.0 * Style::regular(9.5).line_height(),
        );
        out.gap(1.0);
        out.paragraph(Style::regular(9.5), text);
        out.gap(8.0);
    }

    out.finish(&Meta {
        title: "Good faith estimate",
        author: &p.practice_name,
        date: doc.issued_on,
    })
}
