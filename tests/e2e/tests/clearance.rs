//! The real app, end to end: a prescriber, both intakes, a screening with one "yes" and
//! a prescriber's override, a prescription and a consent make the client "Cleared until"
//! six months after the intakes; a new screening without the override makes them
//! "Not cleared", naming the item. Screenshots: `target/e2e-screenshots/clearance/`.

#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

use chrono::Months;
use kap_e2e::{screenshot_dir, today, App, Driver, Result, CHECKLIST};

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the built app; scripts/test runs it under Xvfb"]
async fn intakes_screening_override_and_clearance_badge() -> Result<()> {
    let data = tempfile::tempdir()?;
    let shots = screenshot_dir("clearance")?;
    let driver = Driver::start(data.path(), &shots, &[]).await?;
    let result = match driver.launch().await {
        Ok(app) => flow(&app).await.and(app.quit().await),
        Err(e) => Err(e),
    };
    driver.stop().await;
    result
}

/// Answers the screening: "No" to everything but cardiovascular problems, which is "Yes",
/// with or without an override.
async fn screen(app: &App, with_override: bool) -> Result<()> {
    app.click("record-screening").await?;
    app.el("screening-form").await?;
    for code in CHECKLIST {
        let (label, value) = if code == "cardiovascular" {
            ("Yes", "yes")
        } else {
            ("No", "no")
        };
        app.choose(&format!("screening-answer-{code}"), label, value)
            .await?;
    }
    if with_override {
        app.fill(
            "override-rationale-cardiovascular",
            "Mild hypertension, well controlled on lisinopril; BP 124/80 at intake.",
        )
        .await?;
        app.choose("override-prescriber-cardiovascular", "Ana Ruiz, MD", "1")
            .await?;
    } else if !app
        .all("override-rationale-cardiovascular")
        .await?
        .is_empty()
    {
        // A new screening starts from the last one: take its override away.
        // Select all and delete, as a person would (a WebDriver clear fires no input event).
        app.el("override-rationale-cardiovascular")
            .await?
            .send_keys("\u{E009}a\u{E000}\u{E003}")
            .await?;
        app.choose("override-prescriber-cardiovascular", "Choose", "")
            .await?;
    }
    app.click("save-screening").await
}

async fn flow(app: &App) -> Result<()> {
    let today = today();
    app.create_practice().await?;

    // A prescriber.
    app.click("nav-prescribers").await?;
    app.click("new-prescriber").await?;
    app.el("prescriber-form").await?;
    app.fill("prescriber-name", "Ana Ruiz").await?;
    app.fill("prescriber-npi", "1234567890").await?;
    app.click("save-prescriber").await?;
    app.el("field-error-npi").await?;
    app.fill("prescriber-npi", "1234567893").await?;
    app.click("save-prescriber").await?;
    app.el("prescriber-row").await?;
    app.shot("01-prescribers").await?;

    // A client, not cleared yet.
    app.click("nav-clients").await?;
    app.click("new-client").await?;
    app.fill("legal-name", "Renée Okafor-Müller").await?;
    app.fill("date-of-birth", "04/02/1990").await?;
    app.click("save-client").await?;
    app.el("client-page").await?;
    app.text_until("clearance-badge", "not cleared", |t| {
        t.starts_with("Not cleared")
    })
    .await?;
    let reasons = app.all("clearance-reason").await?;
    assert_eq!(
        reasons.len(),
        4,
        "both intakes, the consent and the prescription are missing"
    );
    app.shot("02-not-cleared").await?;

    // Both intakes, dated today (the date the form offers), cleared.
    app.click("add-intake-mental-health").await?;
    app.el("intake-form").await?;
    let mental_health_on = app.date_in("intake-date").await?;
    app.choose("intake-outcome", "Cleared", "cleared").await?;
    app.click("save-intake").await?;
    app.click("add-intake-medical").await?;
    app.el("intake-form").await?;
    let medical_on = app.date_in("intake-date").await?;
    assert!(
        [today, today.succ_opt().unwrap()].contains(&mental_health_on)
            && medical_on >= mental_health_on,
        "the intake form offers today: {mental_health_on}, {medical_on} (today {today})"
    );
    app.choose("intake-prescriber", "Ana Ruiz, MD", "1").await?;
    app.choose("intake-outcome", "Cleared", "cleared").await?;
    app.click("save-intake").await?;
    app.el("record-screening").await?;

    // The screening: one "yes", overridden by the prescriber.
    screen(app, true).await?;
    app.el("screening-item-cardiovascular").await?;

    // A prescription and a signed consent.
    app.click("add-prescription").await?;
    app.el("prescription-form").await?;
    app.fill("prescription-strength", "100").await?;
    app.fill("prescription-quantity", "4").await?;
    app.fill(
        "prescription-directions",
        "Dissolve one lozenge under the tongue, in session only.",
    )
    .await?;
    app.fill("prescription-pharmacy", "Union Square Compounding")
        .await?;
    app.click("save-prescription").await?;
    app.el("prescription-row").await?;
    app.click("record-consent").await?;
    app.el("consent-form").await?;
    app.el("consent-text").await?;
    app.fill("consent-typed-name", "Renée Okafor-Müller")
        .await?;
    app.click("save-consent").await?;
    app.el("consent-row").await?;

    // Cleared until the day before six months from the intakes (today, both of them,
    // unless the test ran across midnight).
    let until = mental_health_on
        .checked_add_months(Months::new(6))
        .unwrap()
        .pred_opt()
        .unwrap();
    let want = format!("Cleared until {}", until.format("%b %-d, %Y"));
    let badge = app
        .text_until("clearance-badge", &want, |t| t.starts_with(&want))
        .await?;
    assert!(
        app.all("clearance-reason").await?.is_empty(),
        "no reasons when cleared: {badge}"
    );
    app.shot("03-cleared-with-override").await?;

    // A new screening without the override supersedes the old one.
    screen(app, false).await?;
    app.text_until("clearance-badge", "not cleared", |t| {
        t.starts_with("Not cleared")
    })
    .await?;
    let reasons = app.all("clearance-reason").await?;
    assert_eq!(reasons.len(), 1);
    let reason = reasons[0].text().await?;
    assert!(
        reason.contains("Cardiovascular problems"),
        "the item is named: {reason}"
    );
    app.shot("04-not-cleared-without-override").await?;
    Ok(())
}
