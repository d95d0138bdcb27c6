//! The real app, end to end: outcome measures. A PHQ-9 entered from paper with item 9
//! answered above 0 raises a safety flag on the client page, Home and the appointment
//! page, and blocks signing the KAP note until a safety assessment is documented; then the
//! note signs. The laptop is handed to the client: the self-report mode shows only the
//! questionnaire, a wrong passphrase does not leave it, the right one does, and the
//! answers are on the client's page as the client's own; the KAP course shows the session
//! and charts the measures. Screenshots:
//! `target/e2e-screenshots/measures/`.

#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

use chrono::Duration;
use kap_e2e::{
    book, cleared_client, screenshot_dir, session_start, us, App, Driver, Result, PASSPHRASE,
};

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the built app; scripts/test runs it under Xvfb"]
async fn item_9_blocks_signing_until_assessed_and_self_report_needs_the_passphrase() -> Result<()> {
    let data = tempfile::tempdir()?;
    let shots = screenshot_dir("measures")?;
    let driver = Driver::start(data.path(), &shots, &[]).await?;
    let result = match driver.launch().await {
        Ok(app) => flow(&app).await.and(app.quit().await),
        Err(e) => Err(e),
    };
    driver.stop().await;
    result
}

async fn flow(app: &App) -> Result<()> {
    app.create_practice().await?;
    // The KAP session started yesterday at 10:00 (see `session_start`); the PHQ-9 was
    // answered that morning.
    let start = session_start();
    cleared_client(app, "Amara Okafor", start.date() - Duration::days(10)).await?;
    app.click("book-for-client").await?;
    book(app, "KAP session", "Okafor", start, None).await?;
    app.el("client-appointment-row").await?;

    // A PHQ-9 from paper: "Several days" on every item, item 9 included.
    app.click("enter-measure").await?;
    app.el("measure-form").await?;
    app.fill("measure-date", &us(start.date())).await?;
    for i in 0..9 {
        app.click(&format!("measure-answer-{i}-1")).await?;
    }
    app.text_until("measure-unanswered", "all answered", |t| {
        t.contains("Every question is answered")
    })
    .await?;
    app.shot("01-phq9-from-paper").await?;
    app.click("save-measure").await?;
    let total = app
        .text_until("measure-total", "a total", |t| !t.is_empty())
        .await?;
    assert_eq!(total.trim(), "9");
    let flag = app
        .text_until("safety-flag", "the flag", |t| t.contains("item 9"))
        .await?;
    assert!(flag.contains("Several days"), "{flag}");
    app.show("client-measures").await?;
    app.shot("02-safety-flag-on-client-page").await?;

    // Home shows it too.
    app.click("nav-home").await?;
    let home = app
        .text_until("home-safety-flags", "the flag", |t| t.contains("Okafor"))
        .await?;
    assert!(home.contains("Needs safety assessment"), "{home}");
    app.shot("03-safety-flag-on-home").await?;

    // The session: completed, its note written; signing is refused with the reason.
    app.click("nav-clients").await?;
    app.click("client-row").await?;
    app.click("client-appointment-row").await?;
    app.el("appointment-view").await?;
    app.text_until("appointment-safety-flag", "the flag", |t| {
        t.contains("PHQ-9 item 9")
    })
    .await?;
    app.click("complete-appointment").await?;
    app.text_until("appointment-status", "completed", |t| {
        t.contains("Completed")
    })
    .await?;
    app.click("open-note").await?;
    app.el("note-editor").await?;
    let t = |m: i64| {
        (start + Duration::minutes(m))
            .format("%-I:%M %p")
            .to_string()
    };
    for (id, value) in [
        ("note-pre-systolic", "124".to_owned()),
        ("note-pre-diastolic", "80".to_owned()),
        ("note-pre-hr", "72".to_owned()),
        ("note-dose-strength", "100".to_owned()),
        ("note-dose-count", "2".to_owned()),
        ("note-dose-time", t(20)),
        ("note-journey-start", t(30)),
        ("note-journey-end", t(100)),
        ("note-post-systolic", "128".to_owned()),
        ("note-post-diastolic", "82".to_owned()),
        ("note-post-hr", "74".to_owned()),
        ("note-discharge-time", t(175)),
    ] {
        app.fill(id, &value).await?;
    }
    app.click("note-ride-home").await?;
    app.click("sign-note").await?;
    app.click("confirm-sign").await?;
    let refused = app
        .text_until("error-banner", "signing refused", |t| {
            t.contains("safety assessment")
        })
        .await?;
    assert!(refused.contains("item 9"), "{refused}");
    assert!(app.all("note-signed").await?.is_empty(), "not signed");
    app.shot("04-signing-refused").await?;

    // The assessment, on the client page.
    app.click("nav-clients").await?;
    app.click("client-row").await?;
    app.click("assess-safety").await?;
    app.el("safety-form").await?;
    app.fill("safety-date", &us(start.date())).await?;
    app.fill("safety-time", "9:30 AM").await?;
    app.choose("safety-risk", "Low", "low").await?;
    app.fill(
        "safety-plan",
        "Passive thoughts, no plan or intent; protective factors reviewed. Safety plan updated; 988 given.",
    )
    .await?;
    app.fill("safety-consulted", "Ana Ruiz, MD (prescriber), by phone")
        .await?;
    app.shot("05-safety-assessment").await?;
    app.click("save-safety").await?;
    app.until("the flag is answered", || async {
        app.all("safety-flag")
            .await
            .map(|f| f.is_empty())
            .unwrap_or(false)
    })
    .await?;
    app.el("client-measures").await?;

    // Now the note signs.
    app.click("client-appointment-row").await?;
    app.click("open-note").await?;
    app.click("sign-note").await?;
    app.click("confirm-sign").await?;
    app.el("note-signed").await?;
    app.shot("06-signed-after-assessment").await?;

    // The laptop to the client: only the GAD-7.
    app.click("nav-clients").await?;
    app.click("client-row").await?;
    app.click("start-self-report").await?;
    app.el("self-report-form").await?;
    app.click("self-report-phq9").await?;
    app.click("confirm-self-report").await?;
    app.el("self-report").await?;
    assert!(app.all("nav-clients").await?.is_empty(), "no navigation");
    assert!(
        !app.text("self-report").await?.contains("Okafor"),
        "nothing about the client"
    );
    app.shot("07-self-report-question").await?;
    for i in 1..=7 {
        app.text_until("self-report-progress", "the next question", |t| {
            t.contains(&format!("question {i} of 7"))
        })
        .await?;
        app.click(&format!("self-report-answer-{}", i % 4)).await?;
    }
    app.click("self-report-difficulty-1").await?;
    app.click("self-report-submit").await?;
    app.el("self-report-done").await?;
    app.shot("08-self-report-done").await?;

    // Leaving needs the passphrase.
    app.click("self-report-leave").await?;
    app.fill("self-report-passphrase", "not the passphrase at all")
        .await?;
    app.click("self-report-unlock").await?;
    app.text_until("error-banner", "refused", |t| !t.is_empty())
        .await?;
    assert!(
        app.all("nav-clients").await?.is_empty(),
        "still in self-report"
    );
    app.shot("09-wrong-passphrase").await?;
    app.fill("self-report-passphrase", PASSPHRASE).await?;
    app.click("self-report-unlock").await?;
    app.el("client-measures").await?;
    let table = app
        .text_until("measures-table", "the GAD-7", |t| t.contains("GAD-7"))
        .await?;
    assert!(table.contains("Client self-report"), "{table}");
    app.show("client-measures").await?;
    app.shot("10-back-with-self-report").await?;

    // The course: the session with its dose and vitals, the measures charted.
    app.click("open-course").await?;
    let row = app
        .text_until("course-row", "the session", |t| t.contains("200 mg"))
        .await?;
    assert!(row.contains("124/80"), "{row}");
    app.el("course-chart-phq9").await?;
    app.el("course-chart-gad7").await?;
    app.shot("11-course").await?;
    app.show("course-chart-phq9").await?;
    app.shot("12-course-charts").await?;
    Ok(())
}
