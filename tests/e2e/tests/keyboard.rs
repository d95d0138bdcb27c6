//! The whole day with the keyboard alone: Tab and Shift+Tab to move, Enter and Space to
//! press, arrows in the client picker, letters typed into the focused field or select.
//! No click, no script that clicks or moves the focus (`kap_e2e::keys`); the harness
//! only reads which element has the focus, to know when to stop tabbing.
//!
//! A new practice; a prescriber; a client cleared for KAP (two intakes, a screening, a
//! prescription, a signed consent); yesterday's KAP session booked, completed, its note
//! written and signed; an invoice for the client's charges, and a payment that makes it
//! Paid. Every step's screen is also checked by axe (`App::shot`).
//! Screenshots: `target/e2e-screenshots/keyboard/`.

#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

use chrono::{Duration, NaiveDateTime};
use fantoccini::key::Key;
use kap_e2e::{screenshot_dir, session_start, us, App, Driver, Result, CHECKLIST};

const NAME: &str = "Marisol Okafor";

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the built app; scripts/test runs it under Xvfb"]
async fn the_whole_day_with_the_keyboard_alone() -> Result<()> {
    let data = tempfile::tempdir()?;
    let shots = screenshot_dir("keyboard")?;
    let driver = Driver::start(data.path(), &shots, &[]).await?;
    let result = match driver.launch().await {
        Ok(app) => day(&app).await.and(app.quit().await),
        Err(e) => Err(e),
    };
    driver.stop().await;
    result
}

async fn day(app: &App) -> Result<()> {
    let start = session_start();
    let on = start.date() - Duration::days(10);
    create_practice(app).await?;
    add_prescriber(app).await?;
    add_client(app).await?;
    clear_for_kap(app, on).await?;
    book_session(app, start).await?;
    complete_and_sign_note(app, start).await?;
    invoice_and_payment(app).await?;
    Ok(())
}

/// First run: the form, the recovery page, Home.
async fn create_practice(app: &App) -> Result<()> {
    app.el("create-practice-form").await?;
    app.type_into("practice-name", "Union Square KAP").await?;
    app.type_into("therapist-name", "Dana Whitfield").await?;
    app.type_into("passphrase", kap_e2e::PASSPHRASE).await?;
    app.type_into("passphrase-again", kap_e2e::PASSPHRASE)
        .await?;
    app.shot("01-first-run-typed").await?;
    app.press_on("create-practice-submit").await?;
    app.el("recovery-continue").await?;
    app.shot("02-recovery").await?;
    app.press_on("recovery-continue").await?;
    app.el("home-page").await?;
    app.shot("03-home").await?;
    Ok(())
}

async fn add_prescriber(app: &App) -> Result<()> {
    app.press_on("nav-prescribers").await?;
    app.el("prescribers-page").await?;
    app.press_on("new-prescriber").await?;
    app.el("prescriber-form").await?;
    app.type_into("prescriber-name", "Ana Ruiz").await?;
    app.type_into("prescriber-npi", "1234567893").await?;
    app.shot("04-prescriber-dialog").await?;
    app.press_on("save-prescriber").await?;
    app.text_until("prescriber-row", "the prescriber listed", |t| {
        t.contains("Ana Ruiz")
    })
    .await?;
    Ok(())
}

async fn add_client(app: &App) -> Result<()> {
    app.press_on("nav-clients").await?;
    app.press_on("new-client").await?;
    app.el("client-form").await?;
    app.type_into("legal-name", NAME).await?;
    app.type_into("date-of-birth", "09/14/1987").await?;
    app.shot("05-client-form").await?;
    app.press_on("save-client").await?;
    app.el("client-page").await?;
    let name = app.text("client-name").await?;
    assert_eq!(name, NAME, "the new client's page");
    Ok(())
}

/// What clearance asks for, as `kap_e2e::cleared_client` does with clicks.
async fn clear_for_kap(app: &App, on: chrono::NaiveDate) -> Result<()> {
    for (button, prescriber) in [
        ("add-intake-mental-health", false),
        ("add-intake-medical", true),
    ] {
        app.press_on(button).await?;
        app.el("intake-form").await?;
        app.type_into("intake-date", &us(on)).await?;
        if prescriber {
            app.type_choice("intake-prescriber", "Ana", "1").await?;
        }
        app.type_choice("intake-outcome", "Cleared", "cleared")
            .await?;
        if prescriber {
            app.shot("06-medical-intake").await?;
        }
        app.press_on("save-intake").await?;
        app.until("the intake dialog closed", || async {
            app.all("intake-form").await.is_ok_and(|f| f.is_empty())
        })
        .await?;
    }

    app.press_on("record-screening").await?;
    app.el("screening-form").await?;
    app.type_into("screening-date", &us(on)).await?;
    app.press_on("screening-no-to-all").await?;
    for code in CHECKLIST {
        let answer = app
            .el(&format!("screening-answer-{code}"))
            .await?
            .prop("value")
            .await?;
        assert_eq!(answer.as_deref(), Some("no"), "{code}: No to all");
    }
    app.shot("07-screening").await?;
    app.press_on("save-screening").await?;
    app.until("the screening dialog closed", || async {
        app.all("screening-form").await.is_ok_and(|f| f.is_empty())
    })
    .await?;

    app.press_on("add-prescription").await?;
    app.el("prescription-form").await?;
    app.type_into("prescription-date", &us(on)).await?;
    app.type_into("prescription-strength", "100").await?;
    app.type_into("prescription-quantity", "4").await?;
    app.type_into(
        "prescription-directions",
        "One lozenge under the tongue, in session only.",
    )
    .await?;
    app.type_into("prescription-pharmacy", "Union Square Compounding")
        .await?;
    app.shot("08-prescription").await?;
    app.press_on("save-prescription").await?;
    app.until("the prescription dialog closed", || async {
        app.all("prescription-form")
            .await
            .is_ok_and(|f| f.is_empty())
    })
    .await?;

    app.press_on("record-consent").await?;
    app.el("consent-form").await?;
    app.type_into("consent-typed-name", NAME).await?;
    app.type_into("consent-date", &us(on)).await?;
    app.shot("09-consent").await?;
    app.press_on("save-consent").await?;
    app.text_until("clearance-badge", "cleared", |t| {
        t.starts_with("Cleared until")
    })
    .await?;
    app.shot("10-cleared").await?;
    Ok(())
}

/// Yesterday's KAP session, booked from the Calendar: the kind typed into its select,
/// the client found in the picker with the arrow keys.
async fn book_session(app: &App, start: NaiveDateTime) -> Result<()> {
    app.press_on("nav-calendar").await?;
    app.el("calendar-page").await?;
    app.press_on("new-appointment").await?;
    app.el("appointment-form").await?;
    app.type_choice("appointment-kind", "KAP", "kap_session")
        .await?;
    app.type_into("appointment-date", &us(start.date())).await?;
    app.type_into("appointment-time", &start.format("%-I:%M %p").to_string())
        .await?;
    app.type_into("appointment-client-search", "Okafor").await?;
    app.text_until("picker-clearance", "cleared on the session's date", |t| {
        t.contains("Cleared until")
    })
    .await?;
    app.press(Key::Down).await?;
    app.until_focused("appointment-client-option").await?;
    app.shot("11-booking-client-option").await?;
    app.press(Key::Enter).await?;
    app.text_until("appointment-client-chip", "the client chosen", |t| {
        t.contains(NAME)
    })
    .await?;
    app.shot("12-booking").await?;
    app.press_on("save-appointment").await?;
    app.until("the booking form closed", || async {
        app.all("appointment-form")
            .await
            .is_ok_and(|f| f.is_empty())
    })
    .await?;
    Ok(())
}

/// From the Clients page: the client found by name, the row opened with Enter.
async fn open_client(app: &App) -> Result<()> {
    app.press_on("nav-clients").await?;
    app.type_into("client-search", "Okafor").await?;
    app.until("the client listed alone", || async {
        app.all("client-row").await.is_ok_and(|r| r.len() == 1)
    })
    .await?;
    app.press_on("client-row").await?;
    app.el("client-page").await?;
    Ok(())
}

/// The session completed, its KAP note written, saved and signed.
async fn complete_and_sign_note(app: &App, start: NaiveDateTime) -> Result<()> {
    open_client(app).await?;
    app.text_until("client-appointment-row", "the session listed", |t| {
        t.contains("KAP")
    })
    .await?;
    app.press_on("client-appointment-row").await?;
    app.el("appointment-view").await?;
    app.press_on("complete-appointment").await?;
    app.text_until("appointment-status", "completed", |t| {
        t.contains("Completed")
    })
    .await?;
    app.shot("13-completed").await?;
    app.press_on("open-note").await?;
    app.el("note-editor").await?;
    let t = |m: i64| {
        (start + Duration::minutes(m))
            .format("%-I:%M %p")
            .to_string()
    };
    app.type_into("note-intention", "To meet my grief with kindness.")
        .await?;
    app.type_into("note-pre-systolic", "122").await?;
    app.type_into("note-pre-diastolic", "78").await?;
    app.type_into("note-pre-hr", "70").await?;
    app.tab_to("note-ride-home").await?;
    app.press(Key::Space).await?;
    app.type_into("note-dose-strength", "100").await?;
    app.type_into("note-dose-count", "2").await?;
    app.type_into("note-dose-time", &t(20)).await?;
    app.type_into("note-journey-start", &t(30)).await?;
    app.type_into("note-journey-end", &t(100)).await?;
    app.type_into(
        "note-observations",
        "Settled quickly; tearful at the midpoint, then calm.",
    )
    .await?;
    app.type_into("note-post-systolic", "126").await?;
    app.type_into("note-post-diastolic", "80").await?;
    app.type_into("note-post-hr", "72").await?;
    app.type_into("note-discharge-time", &t(175)).await?;
    app.press_on("save-note").await?;
    app.text_until("note-total-mg", "200 mg", |t| t.contains("200"))
        .await?;
    app.shot("14-note-saved").await?;
    // Escape closes the confirmation and gives the focus back to the button that opened
    // it; the second time, the note is signed.
    app.press_on("sign-note").await?;
    app.el("confirm-sign").await?;
    app.shot("15-sign-confirm").await?;
    app.press(Key::Escape).await?;
    app.until("the confirmation closed", || async {
        for b in app.all("confirm-sign").await.unwrap_or_default() {
            if b.is_displayed().await.unwrap_or(true) {
                return false;
            }
        }
        true
    })
    .await?;
    app.until_focused("sign-note").await?;
    app.press(Key::Enter).await?;
    app.press_on("confirm-sign").await?;
    app.el("note-signed").await?;
    assert!(
        app.all("note-intention").await?.is_empty(),
        "a signed note cannot be edited: no editable fields"
    );
    app.shot("16-note-signed").await?;
    Ok(())
}

/// On the client's page: every charge chosen with Space, an invoice created, a
/// payment of its balance recorded.
async fn invoice_and_payment(app: &App) -> Result<()> {
    open_client(app).await?;
    app.el("client-billing").await?;
    app.until("the session's charge", || async {
        app.all("uninvoiced-charge")
            .await
            .is_ok_and(|r| !r.is_empty())
    })
    .await?;
    let charges = app.all("charge-select").await?.len();
    assert_eq!(
        charges, 3,
        "the two intakes (the prescription is in the medical intake's fee) and the session"
    );
    for i in 0..charges {
        if i > 0 {
            // Off this checkbox, on to the next row's.
            app.press(Key::Tab).await?;
        }
        app.tab_to("charge-select").await?;
        app.press(Key::Space).await?;
    }
    app.text_until("create-invoice", "every charge chosen", |t| {
        t.contains(&format!("({charges})"))
    })
    .await?;
    app.shot("17-charges-chosen").await?;
    app.press_on("create-invoice").await?;
    app.el("confirm-create-invoice").await?;
    app.shot("18-create-invoice").await?;
    app.press_on("confirm-create-invoice").await?;
    app.text_until("invoice-status", "open", |t| t.trim() == "Open")
        .await?;
    let balance = app.text("invoice-balance").await?;
    assert_eq!(
        balance, "$1,050.00",
        "$200 + $250 for the intakes, $600 for the KAP session at the usual fees"
    );
    app.shot("19-invoice-open").await?;

    app.press_on("record-payment").await?;
    app.el("payment-method").await?;
    app.type_choice("payment-method", "Venmo", "venmo").await?;
    let amount = app.el("payment-amount").await?.prop("value").await?;
    assert_eq!(
        amount.as_deref().map(|a| format!("${a}")),
        Some(balance.replace(',', "")),
        "the payment is for the balance"
    );
    app.shot("20-payment").await?;
    app.press_on("save-payment").await?;
    app.text_until("invoice-status", "paid", |t| t.trim() == "Paid")
        .await?;
    app.text_until("client-balance", "$0.00", |t| t.contains("$0.00"))
        .await?;
    app.shot("21-invoice-paid").await?;
    Ok(())
}
