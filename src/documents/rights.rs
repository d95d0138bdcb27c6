//! The records-rights documents: the letter that denies (part of) an access request,
//! stating the basis, the review rights and how to complain (45 CFR 164.524(d)(2), NY
//! Public Health Law §18), and a client's accounting of disclosures (45 CFR 164.528).
//! The wording and its sources: `docs/legal.md`.

use super::layout::{self, Align, Column, Doc, Ink, Meta, Style, Table, Width, CONTENT_W};
use super::parts::{self, name_with_credentials, us_date, Entry};
use super::PracticeHeader;
use crate::records::access::{AccessKind, DenialGround};
use crate::records::accounting::DisclosureLine;
use crate::Result;
use chrono::NaiveDate;

/// What a denial letter says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessDenialDoc {
    pub practice: PracticeHeader,
    /// The date of the letter.
    pub date: NaiveDate,
    pub client_name: String,
    /// The representative who asked, when one did: the letter is addressed to them.
    pub representative: Option<String>,
    pub received_on: NaiveDate,
    pub access: AccessKind,
    /// What was asked for, in the requester's words.
    pub records: String,
    pub partly: bool,
    pub ground: DenialGround,
    pub reason: String,
}

/// A client's accounting of disclosures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountingDoc {
    pub practice: PracticeHeader,
    /// The day the accounting was made (and the end of the six years it covers).
    pub date: NaiveDate,
    pub from: NaiveDate,
    pub client_name: String,
    pub date_of_birth: Option<NaiveDate>,
    pub lines: Vec<DisclosureLine>,
}

fn asked(access: AccessKind) -> &'static str {
    match access {
        AccessKind::Inspect => "to inspect",
        AccessKind::Copy => "for a copy of",
        AccessKind::Summary => "for a summary of",
    }
}

/// The basis of a denial in plain words.
fn basis(ground: DenialGround) -> &'static str {
    match ground {
        DenialGround::Endangerment => {
            "In my professional judgment, giving you access to this information is reasonably likely to \
             endanger the life or physical safety of you or another person."
        }
        DenialGround::ReferencesAnotherPerson => {
            "The information refers to another person, and in my professional judgment access to it is \
             reasonably likely to cause that person substantial harm."
        }
        DenialGround::RepresentativeHarm => {
            "The request was made by a personal representative, and in my professional judgment giving \
             that access is reasonably likely to cause substantial harm to the client or another person."
        }
        DenialGround::PsychotherapyNotes => {
            "The information is psychotherapy notes: the therapist's private notes of sessions, kept apart \
             from the rest of the record, which the right of access does not cover."
        }
        DenialGround::LegalProceeding => {
            "The information was compiled in reasonable anticipation of, or for use in, a civil, criminal \
             or administrative proceeding, which the right of access does not cover."
        }
        DenialGround::ConfidentialSource => {
            "The information was obtained from someone other than a health care provider under a promise \
             of confidentiality, and access would be reasonably likely to reveal the source."
        }
    }
}

fn body(out: &mut Doc, text: &str) {
    out.paragraph(Style::regular(10.5), text);
    out.gap(8.0);
}

/// Renders the letter; returns the PDF and its page count.
pub fn render_denial(doc: &AccessDenialDoc) -> Result<(Vec<u8>, usize)> {
    let fonts = layout::fonts()?;
    let mut out = Doc::new(
        fonts,
        &format!("Denial of access  ·  {}", doc.practice.practice_name),
    );
    out.set_running_head(&format!(
        "Denial of access  ·  {}  ·  {}",
        doc.client_name,
        us_date(doc.date)
    ));
    let right = [
        Entry::new(Style::bold(13.0), "Denial of access"),
        Entry::new(Style::regular(9.0).ink(Ink::Muted), us_date(doc.date)).after(2.0),
    ];
    parts::letterhead(&mut out, &doc.practice, &right, false);

    let to = doc.representative.as_deref().unwrap_or(&doc.client_name);
    body(&mut out, &format!("To: {to}"));
    if doc.representative.is_some() {
        body(
            &mut out,
            &format!("About the record of: {}", doc.client_name),
        );
    }
    body(
        &mut out,
        &format!(
            "On {} you asked {} the record: {}",
            us_date(doc.received_on),
            asked(doc.access),
            doc.records.trim()
        ),
    );
    body(
        &mut out,
        if doc.partly {
            "I am denying part of your request. You will receive, or have received, the rest of what you \
             asked for. This letter explains what is denied and why."
        } else {
            "I am denying your request. This letter explains why."
        },
    );
    parts::section(&mut out, "Why", 40.0);
    body(&mut out, basis(doc.ground));
    body(&mut out, doc.reason.trim());

    parts::section(&mut out, "Your right to a review", 40.0);
    if doc.ground.reviewable() {
        body(
            &mut out,
            "You may ask for this denial to be reviewed. Write to me at the address above. Your request \
             will be referred promptly to a licensed health care professional who did not take part in \
             this decision, and you will be told the result in writing (45 CFR 164.524(a)(4) and (d)(4)).",
        );
        body(
            &mut out,
            "Under New York Public Health Law §18 you may also ask the New York State Department of Health \
             to have the denial reviewed by a Medical Record Access Review Committee, on the Department's \
             form, which I will give you on request. I will then send the committee the information and \
             my reasons.",
        );
    } else {
        body(
            &mut out,
            "Under federal law this kind of denial is not subject to review (45 CFR 164.524(a)(1) and (a)(2)). \
             If you believe it is wrong, you may complain as set out below.",
        );
    }

    parts::section(&mut out, "How to complain", 40.0);
    let contact = [
        name_with_credentials(&doc.practice),
        doc.practice.practice_name.clone(),
        doc.practice.phone.clone(),
    ]
    .into_iter()
    .filter(|s| !s.trim().is_empty())
    .collect::<Vec<_>>()
    .join(", ");
    body(
        &mut out,
        &format!(
            "You may complain to the practice: {contact}. You may also complain to the Secretary of the U.S. \
             Department of Health and Human Services, Office for Civil Rights (www.hhs.gov/ocr/complaints, \
             1-800-368-1019). You will not be treated differently for complaining."
        ),
    );

    out.gap(18.0);
    let therapist = name_with_credentials(&doc.practice);
    out.block(|d, top| {
        let w = CONTENT_W * 0.6;
        d.signature(layout::LEFT, w, top, "Signature", Some(&therapist))
    });
    let pages = out.page_count();
    let bytes = out.finish(&Meta {
        title: "Denial of access",
        author: &doc.practice.practice_name,
        date: doc.date,
    })?;
    Ok((bytes, pages))
}

/// Renders the accounting; returns the PDF and its page count.
pub fn render_accounting(doc: &AccountingDoc) -> Result<(Vec<u8>, usize)> {
    let fonts = layout::fonts()?;
    let mut out = Doc::new(
        fonts,
        &format!(
            "Accounting of disclosures  ·  {}",
            doc.practice.practice_name
        ),
    );
    out.set_running_head(&format!(
        "Accounting of disclosures  ·  {}  ·  {}",
        doc.client_name,
        us_date(doc.date)
    ));
    let right = [
        Entry::new(Style::bold(13.0), "Accounting of disclosures"),
        Entry::new(Style::regular(9.0).ink(Ink::Muted), us_date(doc.date)).after(2.0),
    ];
    parts::letterhead(&mut out, &doc.practice, &right, false);
    let mut who = format!("Client: {}", doc.client_name);
    if let Some(dob) = doc.date_of_birth {
        who.push_str(&format!("   ·   Born {}", us_date(dob)));
    }
    body(&mut out, &who);
    body(
        &mut out,
        &format!(
            "The disclosures of your health information from {} to {}, as 45 CFR 164.528 requires: each \
             gives the date, who received it (with their address where known), what was disclosed, and why.",
            us_date(doc.from),
            us_date(doc.date)
        ),
    );
    body(
        &mut out,
        "Not listed, as the rule allows: disclosures to you or your personal representative, those for \
         your treatment, for payment and for the practice's health care operations, those you authorized \
         in writing, and those to people involved in your care.",
    );
    if doc.lines.is_empty() {
        parts::section(&mut out, "Disclosures", 20.0);
        body(
            &mut out,
            "There were no disclosures to list in this period.",
        );
    } else {
        let rows = doc
            .lines
            .iter()
            .map(|l| {
                let why = match &l.purpose_note {
                    Some(n) => format!(
                        "{}: {n}",
                        crate::records::accounting::purpose_words(l.purpose)
                    ),
                    None => crate::records::accounting::purpose_words(l.purpose).to_owned(),
                };
                vec![
                    us_date(l.on),
                    l.recipient.clone(),
                    l.information.clone(),
                    why,
                ]
            })
            .collect();
        parts::section(&mut out, "Disclosures", 60.0);
        out.table(&Table {
            columns: vec![
                Column::new("Date", Width::Fixed(70.0), Align::Left),
                Column::new("Received by", Width::Flex(1.2), Align::Left),
                Column::new("What was disclosed", Width::Flex(1.2), Align::Left),
                Column::new("Why", Width::Flex(1.0), Align::Left),
            ],
            rows,
            details: Vec::new(),
            detail_from: 0,
            head: Style::bold(8.0).ink(Ink::Muted),
            body: Style::regular(9.0),
        });
    }
    out.gap(12.0);
    body(
        &mut out,
        "The first accounting in any 12 months is free. Questions: ask the practice at the address above.",
    );
    let pages = out.page_count();
    let bytes = out.finish(&Meta {
        title: "Accounting of disclosures",
        author: &doc.practice.practice_name,
        date: doc.date,
    })?;
    Ok((bytes, pages))
}

/// The practice's notice of privacy practices, as printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrivacyNoticeDoc {
    pub practice: PracticeHeader,
    pub text: String,
    pub revised_on: NaiveDate,
}

/// Renders the notice; returns the PDF and its page count.
pub fn render_privacy_notice(doc: &PrivacyNoticeDoc) -> Result<(Vec<u8>, usize)> {
    use super::consent::{blocks, place_blocks, Block};
    let fonts = layout::fonts()?;
    let mut out = Doc::new(
        fonts,
        &format!(
            "Notice of privacy practices  ·  {}",
            doc.practice.practice_name
        ),
    );
    out.set_running_head(&format!(
        "Notice of privacy practices  ·  revised {}",
        us_date(doc.revised_on)
    ));
    let right = [
        Entry::new(Style::bold(13.0), "Notice of privacy practices"),
        Entry::new(
            Style::regular(9.0).ink(Ink::Muted),
            format!("Effective {}", us_date(doc.revised_on)),
        )
        .after(2.0),
    ];
    parts::letterhead(&mut out, &doc.practice, &right, false);
    let blocks = blocks(&doc.text);
    if let Some(Block::Title(t)) = blocks.iter().find(|b| matches!(b, Block::Title(_))) {
        out.heading(Style::bold(16.0), t, 60.0);
        out.gap(12.0);
    }
    place_blocks(&mut out, &blocks);
    let pages = out.page_count();
    let bytes = out.finish(&Meta {
        title: "Notice of privacy practices",
        author: &doc.practice.practice_name,
        date: doc.revised_on,
    })?;
    Ok((bytes, pages))
}
