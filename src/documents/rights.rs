//! The records-rights documents: the letter that denies (part of) an access request,
//! stating the basis, the review rights and how to complain (45 CFR 164.524(d)(2), NY
//! Public Health Law §18), a client's accounting of disclosures (45 CFR 164.528), the
//! notice of privacy practices (164.520) and the release authorization (164.508).
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
            &format!(
                "You may ask for this denial to be reviewed. Write to me at {}. Your request will be \
                 referred promptly to a licensed health care professional who did not take part in this \
                 decision, and you will be told the result in writing (45 CFR 164.524(a)(4) and (d)(4)).",
                write_to(&doc.practice)
            ),
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
        &format!(
            "The first accounting in any 12 months is free. Questions: write to {}.",
            write_to(&doc.practice)
        ),
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

/// A release-of-information authorization, as printed for the client to read and sign
/// (and, once signed, as recorded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorizationDoc {
    pub practice: PracticeHeader,
    /// The day it is printed.
    pub date: NaiveDate,
    pub client_name: String,
    pub date_of_birth: Option<NaiveDate>,
    pub discloser: String,
    pub recipient: String,
    pub information: String,
    pub purpose: String,
    pub expires_on: Option<NaiveDate>,
    pub expiry_event: Option<String>,
    /// It covers psychotherapy notes, and nothing else (45 CFR 164.508(b)(3)(ii)).
    pub process_notes: bool,
    /// As recorded, when it has been signed.
    pub signed_on: Option<NaiveDate>,
    /// The personal representative who signed, with their authority.
    pub representative: Option<String>,
    pub revoked_on: Option<NaiveDate>,
}

/// Where to write to the practice: its name, and its address when Settings has one
/// (the letterhead shows the address only then, so no text says "the address above").
fn write_to(practice: &PracticeHeader) -> String {
    let address = one_line(&practice.address);
    if address.is_empty() {
        practice.practice_name.clone()
    } else {
        format!("{} at {address}", practice.practice_name)
    }
}

/// The address on one line: "12 Main St, Kingston, NY 12401".
fn one_line(address: &str) -> String {
    address
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}

/// When an authorization ends, in words (45 CFR 164.508(c)(1)(v)).
fn expiry_words(on: Option<NaiveDate>, event: Option<&str>) -> String {
    match (on, event.map(str::trim).filter(|e| !e.is_empty())) {
        (Some(d), None) => format!(
            "This authorization expires on {}. It cannot be used after that day.",
            us_date(d)
        ),
        (None, Some(e)) => format!("This authorization expires when this happens: {e}"),
        (Some(d), Some(e)) => format!(
            "This authorization expires on {}, or earlier when this happens: {e}",
            us_date(d)
        ),
        (None, None) => "No expiry was given: this authorization is not valid.".to_owned(),
    }
}

/// A paragraph of the authorization form: a little smaller than a letter's, so that the
/// whole form, signature lines included, fits one page.
fn clause(out: &mut Doc, text: &str) {
    out.paragraph(Style::regular(10.0), text);
    out.gap(6.0);
}

/// The width of the labels of the form's numbered items.
const ITEM_LABEL_W: f32 = 130.0;

/// One numbered item of the authorization form: its label on the left, the text typed
/// beside it, flowing onto the next page when long.
fn item(out: &mut Doc, label: &str, value: &str) {
    let style = Style::regular(10.0);
    let label_style = Style::bold(9.5).ink(Ink::Accent);
    out.keep(2.0 * style.line_height());
    let (top, page) = (out.y, out.page_count());
    let lines = out.lines(label_style, label, ITEM_LABEL_W - 8.0);
    let label_h = out.place_lines(
        layout::LEFT,
        ITEM_LABEL_W - 8.0,
        top + 0.5,
        label_style,
        &lines,
        Align::Left,
    );
    out.paragraph_in(
        layout::LEFT + ITEM_LABEL_W,
        CONTENT_W - ITEM_LABEL_W,
        style,
        value,
    );
    if out.page_count() == page {
        out.y = out.y.max(top + label_h);
    }
    out.gap(8.0);
}

/// Renders the authorization form with every element 45 CFR 164.508(c) requires (see
/// `docs/legal.md`, section 5); returns the PDF and its page count.
pub fn render_authorization(doc: &AuthorizationDoc) -> Result<(Vec<u8>, usize)> {
    let fonts = layout::fonts()?;
    let title = if doc.process_notes {
        "Authorization to disclose psychotherapy notes"
    } else {
        "Authorization to disclose health information"
    };
    let mut out = Doc::new(
        fonts,
        &format!("Authorization  ·  {}", doc.practice.practice_name),
    );
    out.set_running_head(&format!(
        "Authorization  ·  {}  ·  {}",
        doc.client_name,
        us_date(doc.date)
    ));
    if doc.revoked_on.is_some() {
        out.set_watermark("REVOKED");
    }
    let right = [
        Entry::new(Style::bold(13.0), title),
        Entry::new(Style::regular(9.0).ink(Ink::Muted), us_date(doc.date)).after(2.0),
    ];
    parts::letterhead(&mut out, &doc.practice, &right, false);

    let mut who = format!("Client: {}", doc.client_name);
    if let Some(dob) = doc.date_of_birth {
        who.push_str(&format!("   ·   Born {}", us_date(dob)));
    }
    clause(&mut out, &who);
    clause(
        &mut out,
        "By signing this form you allow the information described below to be disclosed to the person or \
         organization named, for the purpose stated, until it expires. Please read it all before you sign.",
    );

    parts::section(&mut out, "What this authorization allows", 40.0);
    item(&mut out, "1. Who may disclose", doc.discloser.trim());
    item(&mut out, "2. Who may receive it", doc.recipient.trim());
    item(&mut out, "3. What information", doc.information.trim());
    out.paragraph_in(
        layout::LEFT + ITEM_LABEL_W,
        CONTENT_W - ITEM_LABEL_W,
        Style::regular(10.0),
        if doc.process_notes {
            "This authorization is for psychotherapy notes only: the therapist's own notes on the contents \
             of counseling sessions, kept apart from the rest of the record (45 CFR 164.501). It authorizes \
             the disclosure of the psychotherapy notes described above and nothing else. Any other \
             information needs a separate authorization."
        } else {
            "This authorization does not cover psychotherapy notes (the therapist's own notes on the \
             contents of counseling sessions, kept apart from the rest of the record). They may only be \
             disclosed under a separate authorization of their own."
        },
    );
    out.gap(8.0);
    item(&mut out, "4. Why", doc.purpose.trim());
    item(
        &mut out,
        "5. When it expires",
        &expiry_words(doc.expires_on, doc.expiry_event.as_deref()),
    );

    parts::section(&mut out, "Your rights", 40.0);
    let write_to = write_to(&doc.practice);
    for text in [
        format!(
            "You may revoke this authorization at any time by writing to {write_to}. A revocation takes \
             effect when the practice receives it. It does not undo a disclosure already made, or other \
             action already taken, in reliance on this authorization."
        ),
        "The practice will not condition your treatment, payment, enrollment in a health plan or \
         eligibility for benefits on whether you sign this authorization. You may refuse to sign it."
            .to_owned(),
        "Information disclosed under this authorization may be redisclosed by the person or organization \
         that receives it, and may then no longer be protected by the federal privacy rule (45 CFR Parts \
         160 and 164)."
            .to_owned(),
        "You will be given a copy of this authorization once it is signed.".to_owned(),
    ] {
        clause(&mut out, &text);
    }

    parts::section(&mut out, "Signature", 100.0);
    let half = CONTENT_W * 0.62;
    let date_x = layout::LEFT + half + 24.0;
    let date_w = CONTENT_W - half - 24.0;
    let signed_on = doc.signed_on.map(us_date);
    out.block(|d, top| {
        let a = d.signature(
            layout::LEFT,
            half,
            top,
            "Signature of the client, or of their personal representative",
            None,
        );
        let b = d.signature(date_x, date_w, top, "Date", signed_on.as_deref());
        a.max(b)
    });
    out.gap(4.0);
    let representative = doc.representative.as_deref().map(str::trim);
    let name_w = CONTENT_W * 0.38;
    let authority_x = layout::LEFT + name_w + 24.0;
    let authority_w = CONTENT_W - name_w - 24.0;
    out.block(|d, top| {
        let a = d.signature(
            layout::LEFT,
            name_w,
            top,
            "Printed name of the person signing",
            None,
        );
        let b = d.signature(
            authority_x,
            authority_w,
            top,
            "If a personal representative signs: their authority to act for the client (for example \
             parent of a minor, legal guardian, health care agent)",
            representative,
        );
        a.max(b)
    });
    if let Some(on) = doc.signed_on {
        out.gap(12.0);
        let by = match representative {
            Some(r) => format!("by the personal representative, {r}"),
            None => "by the client".to_owned(),
        };
        clause(
            &mut out,
            &format!("Recorded as signed on {} {by}.", us_date(on)),
        );
    }
    if let Some(on) = doc.revoked_on {
        clause(
            &mut out,
            &format!(
                "Revoked: the written revocation was received on {}.",
                us_date(on)
            ),
        );
    }
    let pages = out.page_count();
    let bytes = out.finish(&Meta {
        title: "Authorization",
        author: &doc.practice.practice_name,
        date: doc.date,
    })?;
    Ok((bytes, pages))
}
