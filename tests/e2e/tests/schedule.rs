//! The real app, end to end: book a KAP session for a cleared client; booking one for an
//! uncleared client is refused with the reasons; an overlapping booking in the KAP room
//! is refused; complete the session, write and sign the note (then it is read-only), add
//! an amendment; the integration follow-up is on the home dashboard; the week exports to
//! an .ics file without names. Screenshots: `target/e2e-screenshots/schedule/`.

#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

use chrono::Duration;
use kap_e2e::{book, cleared_client, screenshot_dir, session_start, us, App, Driver, Result};

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the built app; scripts/test runs it under Xvfb"]
async fn book_complete_sign_amend_and_follow_up() -> Result<()> {
    let data = tempfile::tempdir()?;
    let saved = std::env::var_os("KAP_SAVE_DIR").map(std::path::PathBuf::from);
    let shots = screenshot_dir("schedule")?;
    let driver = Driver::start(data.path(), &shots, &[]).await?;
    let result = match driver.launch().await {
        Ok(app) => flow(&app, saved.as_deref()).await.and(app.quit().await),
        Err(e) => Err(e),
    };
    driver.stop().await;
    result
}

async fn flow(app: &App, saved: Option<&std::path::Path>) -> Result<()> {
    app.create_practice().await?;
    // The session started yesterday at 10:00 and lasted three hours: it can be completed
    // now, at any hour, and neither it nor the hour after it crosses midnight or a change
    // of the clocks. Clearance records are dated ten days before it.
    let start = session_start();
    let on = start.date() - Duration::days(10);
    cleared_client(app, "Tomás Ferreira", on).await?;

    // A KAP session for the cleared client, from the client page.
    app.click("book-for-client").await?;
    book(app, "KAP session", "Ferreira", start, None).await?;
    app.click("client-appointment-row").await?;
    app.el("appointment-view").await?;
    app.text_until("appointment-status", "scheduled", |t| {
        t.contains("Scheduled")
    })
    .await?;
    app.shot("01-booked").await?;

    // Another client, not cleared: refused with the reasons.
    app.click("nav-clients").await?;
    app.click("new-client").await?;
    app.fill("legal-name", "Priya Natarajan").await?;
    app.fill("date-of-birth", "02/11/1992").await?;
    app.click("save-client").await?;
    app.el("client-page").await?;
    app.click("book-for-client").await?;
    book(
        app,
        "KAP session",
        "Natarajan",
        start + Duration::days(1),
        None,
    )
    .await?;
    app.el("booking-error").await?;
    let reasons = app.all("booking-reason").await?;
    assert!(
        reasons.len() >= 3,
        "the intakes, consent and prescription are named"
    );
    let first = reasons[0].text().await?;
    assert!(first.contains("intake"), "{first}");
    app.shot("02-not-cleared-refused").await?;

    // Psychotherapy needs no clearance, but the KAP room is taken at that time.
    app.choose("appointment-kind", "Psychotherapy", "psychotherapy")
        .await?;
    app.fill("appointment-date", &us(start.date())).await?;
    app.fill(
        "appointment-time",
        &(start + Duration::hours(1)).format("%-I:%M %p").to_string(),
    )
    .await?;
    app.choose("appointment-location", "KAP room", "kap_room")
        .await?;
    // The form's own check shows the conflict first, above the fields, moving them down:
    // submit once it has (a click before it landed in the notes, in one CI run).
    app.el("time-conflict").await?;
    app.click("save-appointment").await?;
    let conflict = app
        .text_until("booking-error", "room conflict", |t| {
            t.contains("KAP room is already booked")
        })
        .await?;
    assert!(
        !conflict.contains("Ferreira") && !conflict.contains("Tomás"),
        "never the other client's name: {conflict}"
    );
    app.shot("03-room-conflict").await?;
    app.escape().await?;
    app.until("the dialog closed", || async {
        app.all("appointment-form")
            .await
            .map(|f| f.is_empty())
            .unwrap_or(false)
    })
    .await?;

    // Complete the KAP session and write its note.
    // The calendar opens on this week; the session is yesterday, which may be last week.
    app.click("nav-calendar").await?;
    app.show_week_of(start.date()).await?;
    let block = loop {
        if let Some(b) = app.all("appointment-block").await?.into_iter().next() {
            break b;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    app.shot("04-calendar").await?;
    app.activate(&block).await?;
    app.click("complete-appointment").await?;
    app.text_until("appointment-status", "completed", |t| {
        t.contains("Completed")
    })
    .await?;
    app.click("open-note").await?;
    app.el("note-editor").await?;
    let t = |h: i64| {
        (start + Duration::minutes(h))
            .format("%-I:%M %p")
            .to_string()
    };
    app.fill("note-intention", "To meet my grief with kindness.")
        .await?;
    app.fill("note-pre-systolic", "122").await?;
    app.fill("note-pre-diastolic", "78").await?;
    app.fill("note-pre-hr", "70").await?;
    app.click("note-ride-home").await?;
    app.fill("note-dose-strength", "100").await?;
    app.fill("note-dose-count", "2").await?;
    app.fill("note-dose-time", &t(20)).await?;
    app.fill("note-journey-start", &t(30)).await?;
    app.fill("note-journey-end", &t(100)).await?;
    app.fill(
        "note-observations",
        "Settled quickly; tearful at the midpoint, then calm.",
    )
    .await?;
    app.fill("note-post-systolic", "126").await?;
    app.fill("note-post-diastolic", "80").await?;
    app.fill("note-post-hr", "72").await?;
    app.fill("note-discharge-time", &t(175)).await?;
    app.click("save-note").await?;
    app.text_until("note-total-mg", "200 mg", |t| t.contains("200"))
        .await?;
    app.shot("05-note-draft").await?;
    app.click("sign-note").await?;
    app.click("confirm-sign").await?;
    app.el("note-signed").await?;
    assert!(
        app.all("note-intention").await?.is_empty(),
        "a signed note cannot be edited: no editable fields"
    );
    app.fill(
        "amendment-text",
        "Correction: the lozenges were from lot 44B.",
    )
    .await?;
    app.click("add-amendment").await?;
    app.until("one amendment", || async {
        app.all("amendment-row")
            .await
            .map(|r| r.len() == 1)
            .unwrap_or(false)
    })
    .await?;
    app.shot("06-signed-with-amendment").await?;

    // The integration follow-up is on the home dashboard.
    app.click("nav-home").await?;
    let rows = app
        .text_until("follow-ups-this-week", "integration due", |t| {
            t.contains("Integration")
        })
        .await?;
    assert!(rows.contains("Ferreira"), "{rows}");
    app.shot("07-home").await?;

    // Export the session's week without names.
    app.click("nav-calendar").await?;
    app.show_week_of(start.date()).await?;
    app.click("export-ics").await?;
    app.click("export-ics-submit").await?;
    let said = app.text("export-saved").await?;
    if let Some(dir) = saved {
        let file = std::fs::read_dir(dir)?
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|x| x == "ics"))
            .ok_or("no .ics saved")?;
        let ics = std::fs::read_to_string(&file)?;
        assert!(ics.contains("SUMMARY:KAP session"), "{said}");
        assert!(
            !ics.contains("Ferreira") && !ics.contains("Natarajan"),
            "names are left out by default"
        );
    }
    Ok(())
}
