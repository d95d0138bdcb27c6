//! Records rights in the real window: a copy of the record and an inspection logged from
//! the client page, Home listing both as due; the copy extended once, sent as the record
//! PDF to the client as the answer to the request, and recorded as fulfilled with its
//! fee; the summary saved for the prescriber with its recipient; a mandated report
//! entered by hand; a release to the client's lawyer drafted, its form saved, signed, and
//! the record sent under it after the warning about a release without one; the
//! inspection partly denied. The disclosures list says which an
//! accounting of disclosures would show. Screenshots: `target/e2e-screenshots/records/`.

#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

use chrono::Duration;
use kap_e2e::{screenshot_dir, today, us, App, Driver, Result};

const NAME: &str = "Ingrid Halvorsen-Amadi";

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the built app; scripts/test runs it under Xvfb"]
async fn a_records_request_from_log_to_fulfilment_with_its_disclosures() -> Result<()> {
    let data = tempfile::tempdir()?;
    let shots = screenshot_dir("records")?;
    let driver = Driver::start(data.path(), &shots, &[]).await?;
    let result = match driver.launch().await {
        Ok(app) => flow(&app).await.and(app.quit().await),
        Err(e) => Err(e),
    };
    driver.stop().await;
    result
}

/// The saved file the dialog names (the last word of "Saved to <path>").
fn saved_path(said: &str) -> std::path::PathBuf {
    std::path::PathBuf::from(said.trim().trim_start_matches("Saved to").trim())
}

fn pdf_text(said: &str) -> Result<String> {
    let out = std::process::Command::new("pdftotext")
        .arg(saved_path(said))
        .arg("-")
        .output()?;
    if !out.status.success() {
        return Err(format!("pdftotext failed on {said}").into());
    }
    Ok(String::from_utf8(out.stdout)?
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" "))
}

/// The PDF holds each of `want`; its pages are rendered beside the screenshots.
fn check_pdf(said: &str, stem: &str, want: &[&str]) -> Result<()> {
    let text = pdf_text(said)?;
    for w in want {
        assert!(text.contains(w), "{w:?} in {text}");
    }
    let shots = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../target/e2e-screenshots/records");
    let ok = std::process::Command::new("pdftoppm")
        .args(["-r", "70", "-png"])
        .arg(saved_path(said))
        .arg(shots.join(stem))
        .status()?;
    assert!(ok.success());
    Ok(())
}

/// A date as the app shows it ("Dec 7, 2026").
fn shown(d: chrono::NaiveDate) -> String {
    d.format("%b %-d, %Y").to_string()
}

/// The row of the request whose text holds `what`, once the list shows it.
async fn request_row(app: &App, what: &str) -> Result<fantoccini::elements::Element> {
    for _ in 0..100 {
        for row in app.all("access-request-row").await? {
            if row.text().await.unwrap_or_default().contains(what) {
                return Ok(row);
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    Err(format!("no request row with {what:?}").into())
}

async fn flow(app: &App) -> Result<()> {
    let today = today();
    app.create_practice().await?;

    // Settings: the practice's notice of privacy practices, saved and printed to PDF.
    app.click("nav-settings").await?;
    app.click("settings-jump-privacy").await?;
    app.fill(
        "privacy-notice-text",
        // Enter (U+E007) between lines, as a person types them.
        &[
            "# Notice of Privacy Practices",
            "",
            "This notice describes how health information about you may be used and disclosed, and how you can get access to it.",
            "",
            "## Your rights",
            "",
            "- Get a copy of your record",
            "- Ask for an accounting of disclosures",
        ]
        .join("\u{E007}"),
    )
    .await?;
    app.fill("privacy-notice-revised", &us(today - Duration::days(30)))
        .await?;
    app.click("save-privacy-notice").await?;
    app.click("privacy-notice-pdf").await?;
    let notice = app
        .text_until("privacy-notice-saved-path", "notice saved", |t| {
            t.contains("privacy-notice-")
        })
        .await?;
    app.show("privacy-notice-settings").await?;
    app.shot("00-privacy-notice").await?;

    app.click("nav-clients").await?;
    app.click("new-client").await?;
    app.fill("legal-name", NAME).await?;
    app.fill("date-of-birth", "11/30/1979").await?;
    app.click("save-client").await?;
    app.el("client-records-rights").await?;

    // The notice given at the first session: declining needs the effort made.
    app.click("record-acknowledgment").await?;
    app.el("acknowledgment-form").await?;
    app.choose("acknowledgment-outcome", "Declined", "declined")
        .await?;
    app.click("save-acknowledgment").await?;
    app.el("field-error-note").await?;
    app.fill(
        "acknowledgment-note",
        "Offered at intake; took a copy, would not sign.",
    )
    .await?;
    app.click("save-acknowledgment").await?;
    app.text_until("privacy-acknowledgment", "the notice given", |t| {
        t.contains("declined to sign")
    })
    .await?;

    // A copy of the record, asked 25 days ago: due in five days (HIPAA's 30).
    app.click("log-access-request").await?;
    app.el("access-request-form").await?;
    app.fill("access-received", &us(today - Duration::days(25)))
        .await?;
    app.fill("access-records", "Everything since the intake")
        .await?;
    app.shot("01-log-copy-request").await?;
    app.click("save-access-request").await?;
    let due = shown(today + Duration::days(5));
    let row = request_row(app, "Everything since the intake").await?;
    let text = row.text().await?;
    assert!(text.contains(&format!("due {due}")), "{text}");

    // An inspection asked twelve days ago: New York's ten days have passed (a weekend
    // moves the day to Monday, which is at the latest today).
    app.click("log-access-request").await?;
    app.fill("access-received", &us(today - Duration::days(12)))
        .await?;
    app.choose("access-kind", "Inspect the record", "inspect")
        .await?;
    app.choose(
        "access-requested-by",
        "A personal representative",
        "representative",
    )
    .await?;
    app.fill("access-representative", "Tomas Amadi, health care agent")
        .await?;
    app.fill("access-records", "The session notes of 2026")
        .await?;
    app.click("save-access-request").await?;
    request_row(app, "Tomas Amadi").await?;
    app.shot("02-two-requests").await?;

    // Home lists both as due.
    app.click("nav-home").await?;
    app.el("home-access-requests").await?;
    assert_eq!(app.all("home-access-request-row").await?.len(), 2);
    app.shot("03-home-requests-due").await?;
    app.click("home-access-request-row").await?;
    app.el("client-records-rights").await?;

    // The copy: extended once with its written reason.
    let row = request_row(app, "Everything since the intake").await?;
    app.click_el(
        &row.find(fantoccini::Locator::Css(
            "[data-testid=extend-access-request]",
        ))
        .await?,
    )
    .await?;
    app.el("access-outcome-form").await?;
    app.fill("access-outcome-note", "The older notes are being scanned.")
        .await?;
    app.click("save-access-outcome").await?;
    let extended = shown(today + Duration::days(35));
    app.text_until("client-records-rights", "extended due date", |t| {
        t.contains(&format!("due {extended}"))
    })
    .await?;

    // The record PDF goes to the client, as the answer to the request.
    app.click("export-record").await?;
    app.el("export-dialog").await?;
    app.choose("recipient-kind", "Client", "client").await?;
    app.choose(
        "recipient-access-request",
        "A copy of the record",
        &row.attr("data-access-request-id")
            .await?
            .unwrap_or_default(),
    )
    .await?;
    app.shot("04-export-to-the-client").await?;
    app.click("export-confirm").await?;
    app.el("export-saved").await?;
    app.click("export-done").await?;

    // Recorded as fulfilled, with a fee within 75 cents a page.
    let row = request_row(app, "Everything since the intake").await?;
    app.click_el(
        &row.find(fantoccini::Locator::Css(
            "[data-testid=fulfil-access-request]",
        ))
        .await?,
    )
    .await?;
    app.fill("access-outcome-note", "E-mailed the record PDF")
        .await?;
    app.fill("access-pages", "12").await?;
    app.fill("access-fee", "9.01").await?;
    app.click("save-access-outcome").await?;
    app.text_until("field-error-fee_cents", "the fee's cap", |t| {
        t.contains("75 cents")
    })
    .await?;
    app.shot("05-fee-above-the-cap").await?;
    app.fill("access-fee", "9.00").await?;
    app.click("save-access-outcome").await?;
    app.text_until("client-records-rights", "fulfilled", |t| {
        t.contains("Fulfilled") && t.contains("fee $9.00")
    })
    .await?;

    // The record for the prescriber, for treatment: not in an accounting.
    app.click("export-record").await?;
    app.choose("recipient-kind", "Prescriber", "prescriber")
        .await?;
    app.fill(
        "recipient-name",
        "Dr. Chidi Okafor, 12 Irving Pl, New York NY",
    )
    .await?;
    app.click("export-confirm").await?;
    app.el("export-saved").await?;
    app.click("export-done").await?;

    // A mandated report made by phone, entered by hand: in the accounting.
    app.click("add-disclosure-entry").await?;
    app.el("disclosure-entry-form").await?;
    app.fill("disclosure-recipient", "NYS Central Register, Albany NY")
        .await?;
    app.fill(
        "disclosure-information",
        "Name, date of birth and the concern reported",
    )
    .await?;
    app.click("save-disclosure-entry").await?;
    app.text_until("accounting-count", "the count", |t| {
        t.starts_with("1 of 3 would appear")
    })
    .await?;
    assert_eq!(app.all("disclosure-row").await?.len(), 3);

    // A release to the client's lawyer: drafted, its form saved for signature, recorded
    // as signed; sending the record to the lawyer is warned of until it is chosen, and
    // the authorized disclosure stays out of the accounting.
    app.click("new-authorization").await?;
    app.el("authorization-form").await?;
    app.fill(
        "authorization-recipient",
        "Maya Ostrowski, Esq., 40 Wall St, New York NY",
    )
    .await?;
    app.fill(
        "authorization-information",
        "Treatment summary and session dates of 2026",
    )
    .await?;
    app.fill("authorization-expires-on", &us(today + Duration::days(180)))
        .await?;
    app.click("save-authorization").await?;
    app.text_until("authorization-status", "the draft", |t| t == "Not signed")
        .await?;
    app.click("authorization-pdf").await?;
    app.el("export-dialog").await?;
    app.click("export-confirm").await?;
    let form = app
        .text_until("export-saved-path", "form saved", |t| {
            t.contains("authorization-")
        })
        .await?;
    app.click("export-done").await?;
    app.click("sign-authorization").await?;
    app.el("authorization-sign-form").await?;
    app.click("save-authorization-sign").await?;
    app.text_until("authorization-status", "signed", |t| t == "Active")
        .await?;
    app.click("export-record").await?;
    app.choose("recipient-kind", "Someone else", "other")
        .await?;
    app.fill("recipient-name", "Maya Ostrowski, Esq.").await?;
    app.fill("recipient-purpose-note", "Her lawsuit").await?;
    let warned = app
        .text_until("recipient-authorization-warning", "the warning", |t| {
            t.contains("164.508")
        })
        .await?;
    assert!(warned.contains("none is named"), "{warned}");
    app.shot("06a-release-without-its-authorization").await?;
    app.choose("recipient-authorization", "To Maya", "1")
        .await?;
    app.until("the warning gone", || async {
        app.all("recipient-authorization-warning")
            .await
            .map(|w| w.is_empty())
            .unwrap_or(false)
    })
    .await?;
    let purpose = app
        .el("recipient-purpose")
        .await?
        .prop("value")
        .await?
        .unwrap_or_default();
    assert_eq!(purpose, "authorized");
    app.click("export-confirm").await?;
    app.el("export-saved").await?;
    app.click("export-done").await?;
    app.text_until("accounting-count", "the count", |t| {
        t.starts_with("1 of 4 would appear")
    })
    .await?;
    check_pdf(
        &form,
        "06b-authorization-form",
        &[
            "Authorization to disclose health information",
            "Maya Ostrowski",
            "You may revoke this authorization at any time by writing to",
            "no longer be protected by the federal privacy rule",
        ],
    )?;

    // The inspection, partly denied.
    let row = request_row(app, "Tomas Amadi").await?;
    app.click_el(
        &row.find(fantoccini::Locator::Css(
            "[data-testid=deny-access-request]",
        ))
        .await?,
    )
    .await?;
    app.choose(
        "access-denial-ground",
        "Would likely harm another person",
        "references_another_person",
    )
    .await?;
    app.click("access-partly").await?;
    app.fill(
        "access-outcome-note",
        "Pages about the client's sister are withheld.",
    )
    .await?;
    app.click("save-access-outcome").await?;
    app.text_until("client-records-rights", "partly denied", |t| {
        t.contains("Partly denied")
    })
    .await?;
    app.show("client-records-rights").await?;
    app.shot("06-requests-and-disclosures").await?;

    // The denial letter, to the representative who asked; the accounting, to the client.
    app.click("save-denial-letter").await?;
    app.el("export-dialog").await?;
    app.choose(
        "recipient-kind",
        "Client's personal representative",
        "representative",
    )
    .await?;
    app.fill("recipient-name", "Tomas Amadi").await?;
    app.click("export-confirm").await?;
    let letter = app
        .text_until("export-saved-path", "letter saved", |t| {
            t.contains("-denial-")
        })
        .await?;
    app.click("export-done").await?;
    app.click("save-accounting").await?;
    app.el("export-dialog").await?;
    app.shot("07-accounting-to-the-client").await?;
    app.click("export-confirm").await?;
    let accounting = app
        .text_until("export-saved-path", "accounting saved", |t| {
            t.contains("-accounting-")
        })
        .await?;
    app.click("export-done").await?;
    check_pdf(
        &letter,
        "08-denial-letter",
        &[
            "Denial of access",
            "To: Tomas Amadi",
            "About the record of: Ingrid Halvorsen-Amadi",
            "Medical Record Access Review Committee",
        ],
    )?;
    check_pdf(
        &accounting,
        "09-accounting",
        &[
            "Accounting of disclosures",
            "NYS Central Register",
            "Required by law",
        ],
    )?;
    check_pdf(
        &notice,
        "10-privacy-notice",
        &[
            "Notice of Privacy Practices",
            "Your rights",
            "Ask for an accounting of disclosures",
        ],
    )?;
    let text = pdf_text(&accounting)?;
    assert!(
        !text.contains("Okafor"),
        "treatment is not in the accounting: {text}"
    );
    assert!(
        !text.contains("Ostrowski"),
        "an authorized disclosure is not in the accounting: {text}"
    );

    // Nothing is due any more.
    app.click("nav-home").await?;
    app.el("today-appointments").await?;
    assert!(app.all("home-access-request-row").await?.is_empty());
    Ok(())
}
