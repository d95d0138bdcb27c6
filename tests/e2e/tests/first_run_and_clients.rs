//! The real app, end to end: first run, lock and unlock, a client with a hostile name,
//! search, edit, archive (the record is kept: the page says until when), settings, and
//! relaunches that find everything still there:
//! once through the keychain (no typing), once with no keychain (the lock screen).
//! Run by `scripts/test` under Xvfb inside a D-Bus session with an unlocked
//! gnome-keyring; screenshots go to `target/e2e-screenshots/first-run-and-clients/`.

#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

use chrono::{Datelike, NaiveDate};
use fantoccini::Locator;
use kap_e2e::{screenshot_dir, today, App, Driver, Result};

const PASSPHRASE: &str = "quiet river morning 42";
/// An HTML-injection attempt followed by a right-to-left override and more text.
const HOSTILE: &str = "<img src=x onerror=alert(1)>\u{202E}Reyes";

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the built app; scripts/test runs it under Xvfb"]
async fn first_run_lock_unlock_clients_and_relaunch() -> Result<()> {
    let data = tempfile::tempdir()?;
    let shots = screenshot_dir("first-run-and-clients")?;

    let driver = Driver::start(data.path(), &shots, &[]).await?;
    let result = first_run_and_clients(&driver, data.path()).await;
    let result = match result {
        Ok(()) => relaunch_through_keychain(&driver).await,
        e => e,
    };
    driver.stop().await;
    result?;

    // The same practice on a computer whose keychain cannot be reached.
    let no_keychain = [("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent-bus")];
    let driver = Driver::start(data.path(), &shots, &no_keychain).await?;
    let result = relaunch_without_keychain(&driver).await;
    driver.stop().await;
    result
}

/// Shows the archived client by the status filter and opens it.
async fn open_archived_client(app: &App) -> Result<()> {
    app.click("nav-clients").await?;
    app.choose("status-filter", "Archived", "archived").await?;
    app.until("the archived client is listed", || async {
        app.all("client-row")
            .await
            .map(|r| r.len() == 1)
            .unwrap_or(false)
    })
    .await?;
    let row = app.all("client-row").await?.remove(0);
    let text = row.prop("textContent").await?.unwrap_or_default();
    assert!(
        text.contains(HOSTILE),
        "the same client after relaunch: {text:?}"
    );
    app.activate(&row).await?;
    let shown = app.text_content("client-name").await?;
    assert_eq!(shown.trim(), HOSTILE);
    // Archived, and kept: no appointments, so six years after the record was made
    // (today, or yesterday should the test have run across midnight in New York).
    let kept = app.text("client-retention").await?;
    let today = today();
    let until = |d: NaiveDate| {
        d.with_year(d.year() + 6)
            .unwrap_or_else(|| NaiveDate::from_ymd_opt(d.year() + 6, 3, 1).unwrap())
            .format("%b %-d, %Y")
            .to_string()
    };
    assert!(
        kept.starts_with("Kept until at least")
            && kept.contains("6 years after the last contact")
            && [today, today.pred_opt().unwrap()]
                .iter()
                .any(|d| kept.contains(&until(*d))),
        "retention on the client page: {kept:?}"
    );
    Ok(())
}

async fn relaunch_through_keychain(driver: &Driver) -> Result<()> {
    let app = driver.launch().await?;
    app.el("nav-clients").await?;
    assert!(
        app.all("lock-screen").await?.is_empty(),
        "the keychain opens the practice without typing"
    );
    open_archived_client(&app).await?;
    app.shot("13-relaunch-through-keychain").await?;
    app.quit().await
}

async fn relaunch_without_keychain(driver: &Driver) -> Result<()> {
    let app = driver.launch().await?;
    app.el("lock-screen").await?;
    app.shot("14-relaunch-no-keychain-locked").await?;
    app.fill("unlock-passphrase", PASSPHRASE).await?;
    app.click("unlock-submit").await?;
    app.el("nav-clients").await?;
    open_archived_client(&app).await?;
    app.shot("15-relaunch-no-keychain-client-still-there")
        .await?;
    app.quit().await
}

async fn first_run_and_clients(driver: &Driver, data: &std::path::Path) -> Result<()> {
    let app = driver.launch().await?;

    // First run: create the practice.
    app.el("create-practice-form").await?;
    app.shot("01-first-run").await?;
    app.fill("practice-name", "Union Square KAP").await?;
    app.fill("therapist-name", "Dana Whitfield").await?;
    app.fill("passphrase", "too short").await?;
    app.fill("passphrase-again", "too short").await?;
    app.click("create-practice-submit").await?;
    let err = app.text("field-error-passphrase").await?;
    assert!(
        err.contains("12 characters"),
        "the core's rule is shown inline: {err}"
    );
    app.shot("02-passphrase-too-short").await?;
    app.fill("passphrase", PASSPHRASE).await?;
    app.fill("passphrase-again", PASSPHRASE).await?;
    app.click("create-practice-submit").await?;
    app.el("recovery-continue").await?;
    assert!(data.join("practice.db").exists() && data.join("practice.key").exists());
    app.shot("03-recovery").await?;
    app.click("recovery-continue").await?;
    app.el("home-page").await?;
    app.click("nav-clients").await?;
    app.el("client-list-empty").await?;
    app.shot("04-no-clients-yet").await?;

    // Lock, a wrong passphrase, then unlock.
    app.click("lock-button").await?;
    app.el("lock-screen").await?;
    app.shot("05-locked").await?;
    app.fill("unlock-passphrase", "not the passphrase").await?;
    app.click("unlock-submit").await?;
    let err = app.text("unlock-error").await?;
    assert!(
        err.contains("not correct"),
        "wrong passphrase is said plainly: {err}"
    );
    app.shot("06-wrong-passphrase").await?;
    app.fill("unlock-passphrase", PASSPHRASE).await?;
    app.click("unlock-submit").await?;
    // Unlocking returns to the page that was open.
    app.el("client-list-empty").await?;

    // A new client: first with no legal name (the core's field error), then hostile.
    app.click("new-client").await?;
    app.el("client-form").await?;
    app.click("save-client").await?;
    let err = app.text("field-error-legal_name").await?;
    assert!(err.contains("required"), "{err}");
    app.shot("07-client-form-errors").await?;
    app.fill("legal-name", HOSTILE).await?;
    app.fill("pronouns", "they/them").await?;
    app.click("save-client").await?;
    app.el("client-page").await?;
    let shown = app.text_content("client-name").await?;
    assert_eq!(
        shown.trim(),
        HOSTILE,
        "the name is shown as plain text, exactly"
    );
    let injected = app.client.find_all(Locator::Css("img[src='x']")).await?;
    assert!(
        injected.is_empty(),
        "no <img> element was created from the name"
    );
    assert!(
        app.client.get_alert_text().await.is_err(),
        "no script ran: there is no alert"
    );
    app.shot("08-client-page-hostile-name").await?;

    // Search finds it.
    app.click("back-to-clients").await?;
    app.fill("client-search", "ONERR").await?;
    app.until("one search result", || async {
        app.all("client-row")
            .await
            .map(|r| r.len() == 1)
            .unwrap_or(false)
    })
    .await?;
    app.fill("client-search", "nobody-by-this-name").await?;
    app.until("no search results", || async {
        app.all("client-row")
            .await
            .map(|r| r.is_empty())
            .unwrap_or(false)
    })
    .await?;
    app.fill("client-search", "img").await?;
    app.until("the client again", || async {
        app.all("client-row")
            .await
            .map(|r| r.len() == 1)
            .unwrap_or(false)
    })
    .await?;
    app.shot("09-search").await?;

    // Edit.
    let row = app.all("client-row").await?.remove(0);
    app.activate(&row).await?;
    app.click("edit-client").await?;
    app.fill("preferred-name", "Rey").await?;
    app.choose("client-status", "Active", "active").await?;
    app.click("save-client").await?;
    app.el("client-page").await?;
    app.until("status shows Active", || async {
        app.text("client-status-badge")
            .await
            .map(|t| t.contains("Active"))
            .unwrap_or(false)
    })
    .await?;
    app.shot("10-edited").await?;

    // Archive.
    app.click("archive-client").await?;
    app.click("confirm-archive").await?;
    app.until("status shows Archived", || async {
        app.text("client-status-badge")
            .await
            .map(|t| t.contains("Archived"))
            .unwrap_or(false)
    })
    .await?;
    app.el("unarchive-client").await?;
    app.shot("11-archived").await?;

    // Settings: an invalid NPI is refused inline, a valid one saves.
    app.click("nav-settings").await?;
    app.el("settings-form").await?;
    app.fill("npi", "1234567890").await?;
    app.click("save-settings-therapist").await?;
    app.el("field-error-npi").await?;
    app.fill("npi", "1234567893").await?;
    app.click("save-settings-therapist").await?;
    app.el("settings-saved").await?;
    app.shot("12-settings").await?;

    app.quit().await
}
