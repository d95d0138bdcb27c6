//! A lock that holds, in the real app: passphrases judged by the core, no core file from
//! the app or its WebKit processes while a practice is open, the idle lock
//! firing, and then neither a relaunch nor the command-line tool getting in without the
//! passphrase; wrong passphrases slowing down; "Open without the passphrase on this
//! computer" turned off and on; a passphrase change that re-encrypts the practice.
//! Screenshots go to `target/e2e-screenshots/privacy/`.

#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

use kap_e2e::{app_cli, screenshot_dir, App, Driver, Result};
use std::path::Path;
use std::time::Duration;

const PASSPHRASE: &str = "quiet river morning 42";
const NEW_PASSPHRASE: &str = "amber lantern harbor 7";

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the built app; scripts/test runs it under Xvfb"]
async fn a_lock_holds_until_the_passphrase() -> Result<()> {
    let data = tempfile::tempdir()?;
    let shots = screenshot_dir("privacy")?;
    let driver = Driver::start(data.path(), &shots, &[]).await?;
    let result = run(&driver, data.path()).await;
    driver.stop().await;
    result
}

async fn run(driver: &Driver, data: &Path) -> Result<()> {
    let app = driver.launch().await?;
    create_with_a_strong_passphrase(&app).await?;
    memory_stays_private(&app);
    idle_lock_fires(&app).await?;
    app.quit().await?;

    // Relaunch after the idle lock: the lock screen, not Home.
    let app = driver.launch().await?;
    app.el("lock-screen").await?;
    assert!(app.all("home-page").await?.is_empty());
    let why = app.text_content("lock-screen").await?;
    assert!(why.contains("Enter the practice passphrase"), "{why}");
    app.shot("04-relaunch-after-idle-lock-is-locked").await?;

    // The command-line tool cannot export without the passphrase either.
    let zip = data.parent().unwrap().join("privacy-export.zip");
    let (code, _out, err) = app_cli(
        &[
            "export",
            "--data-dir",
            data.to_str().unwrap(),
            "--to",
            zip.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("A passphrase is needed"), "{err}");
    assert!(!zip.exists());

    wrong_passphrases_slow_down(&app).await?;
    keychain_setting(driver, app).await?;
    Ok(())
}

async fn create_with_a_strong_passphrase(app: &App) -> Result<()> {
    app.el("create-practice-form").await?;
    app.fill("practice-name", "Union Square KAP").await?;
    app.fill("therapist-name", "Dana Whitfield").await?;
    // Twelve characters, and guessed at once: the core's verdict is shown as typed.
    app.fill("passphrase", "111111111111").await?;
    app.until("the core's verdict on a weak passphrase", || async {
        app.text("passphrase-verdict")
            .await
            .map(|t| t.contains("Not accepted"))
            .unwrap_or(false)
    })
    .await?;
    app.fill("passphrase-again", "111111111111").await?;
    app.click("create-practice-submit").await?;
    let err = app.text("field-error-passphrase").await?;
    assert!(
        !err.is_empty() && !err.contains("12 characters"),
        "the core refuses it with its reason: {err}"
    );
    app.shot("01-weak-passphrase-refused").await?;
    app.fill("passphrase", PASSPHRASE).await?;
    app.until("the verdict on a strong passphrase", || async {
        app.text("passphrase-verdict")
            .await
            .map(|t| t.contains("Strong") || t.contains("Very strong"))
            .unwrap_or(false)
    })
    .await?;
    app.shot("02-strong-passphrase").await?;
    app.fill("passphrase-again", PASSPHRASE).await?;
    app.click("create-practice-submit").await?;
    app.el("recovery-continue").await?;
    app.click("recovery-continue").await?;
    app.el("home-page").await?;
    Ok(())
}

/// With a practice open (its key in memory), a crash of the app or of any WebKit process
/// it started writes no core file: each one's core-file limit is 0, soft and hard
/// (`kap_practice::process`).
fn memory_stays_private(app: &App) {
    let limits = app.core_file_limits();
    for want in ["kap-practice", "WebKitWebProces"] {
        assert!(
            limits.iter().any(|(name, _, _)| name == want),
            "no {want} process found: {limits:?}"
        );
    }
    for (name, pid, limit) in &limits {
        assert_eq!(limit, "0 0", "{name} ({pid}) may write a core file");
    }
}

async fn idle_lock_fires(app: &App) -> Result<()> {
    app.click("nav-settings").await?;
    app.el("settings-form").await?;
    app.fill("idle-lock-minutes", "1").await?;
    app.click("save-settings-security").await?;
    app.el("settings-saved").await?;
    app.click("nav-home").await?;
    app.el("home-page").await?;
    // Nobody touches it: within the minute plus the checks' interval, it locks.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(150);
    while app.all("lock-screen").await?.is_empty() {
        if tokio::time::Instant::now() > deadline {
            app.shot("failed-idle-lock").await?;
            return Err("the idle lock did not fire within 150 s".into());
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    let why = app.text_content("lock-screen").await?;
    assert!(why.contains("without activity"), "{why}");
    app.shot("03-idle-locked").await?;
    Ok(())
}

async fn wrong_passphrases_slow_down(app: &App) -> Result<()> {
    // Wrong passphrases, until the app asks to wait.
    let mut waited_for = None;
    for _ in 0..8 {
        app.fill("unlock-passphrase", "not the passphrase at all")
            .await?;
        app.click("unlock-submit").await?;
        let said = app.text("unlock-error").await?;
        if said.contains("Too many wrong passphrases") {
            waited_for = Some(said);
            break;
        }
        assert!(said.contains("not correct"), "{said}");
    }
    let said = waited_for.ok_or("no wait after eight wrong passphrases")?;
    app.shot("05-too-many-wrong-passphrases").await?;
    let seconds: u64 = said
        .split_whitespace()
        .find_map(|w| w.parse().ok())
        .ok_or("the message says how long")?;
    tokio::time::sleep(Duration::from_secs(seconds + 1)).await;
    app.fill("unlock-passphrase", PASSPHRASE).await?;
    app.click("unlock-submit").await?;
    app.el("home-page").await?;
    Ok(())
}

/// Waits for the passphrase meter to judge what was typed: accepted or not.
async fn verdict(app: &App, accepted: bool) -> Result<()> {
    app.until("the passphrase meter's verdict", || async {
        match app.all("passphrase-verdict").await {
            Ok(v) if !v.is_empty() => match v[0].text().await {
                Ok(t) => t.contains("Not accepted") != accepted,
                Err(_) => false,
            },
            _ => false,
        }
    })
    .await
}

async fn keychain_setting(driver: &Driver, app: App) -> Result<()> {
    // Quitting while unlocked keeps the convenience: the next launch opens.
    app.quit().await?;
    let app = driver.launch().await?;
    app.el("home-page").await?;
    // Turned off: the key leaves the keychain at once, and every launch asks.
    app.click("nav-settings").await?;
    app.click("settings-jump-computer").await?;
    app.el("settings-this-computer").await?;
    app.click("open-without-passphrase").await?;
    app.el("keychain-preference-saved").await?;
    let state = app.text("keychain-state").await?;
    assert!(state.contains("does not hold"), "{state}");
    app.shot("06-open-without-passphrase-off").await?;
    app.quit().await?;
    let app = driver.launch().await?;
    app.el("lock-screen").await?;
    app.fill("unlock-passphrase", PASSPHRASE).await?;
    app.click("unlock-submit").await?;
    app.el("home-page").await?;

    // A new passphrase re-encrypts the practice under a new key.
    app.click("nav-settings").await?;
    app.click("settings-jump-passphrase").await?;
    app.fill("current-passphrase", PASSPHRASE).await?;
    app.fill("new-passphrase", "password1234").await?;
    // The meter's verdict moves the form down as it appears: submit once it has.
    verdict(&app, false).await?;
    app.fill("new-passphrase-again", "password1234").await?;
    app.click("change-passphrase-submit").await?;
    let err = app.text("field-error-new").await?;
    assert!(!err.is_empty(), "a common password is refused");
    app.fill("current-passphrase", PASSPHRASE).await?;
    app.fill("new-passphrase", NEW_PASSPHRASE).await?;
    verdict(&app, true).await?;
    app.fill("new-passphrase-again", NEW_PASSPHRASE).await?;
    app.click("change-passphrase-submit").await?;
    let done = app.text("passphrase-changed").await?;
    assert!(done.contains("new key"), "{done}");
    app.shot("07-passphrase-changed-new-key").await?;
    // Turned on again, so the new key goes to the keychain.
    app.click("settings-jump-computer").await?;
    app.click("open-without-passphrase").await?;
    app.el("keychain-preference-saved").await?;
    let state = app.text("keychain-state").await?;
    assert!(state.contains("holds the key"), "{state}");

    // The lock button, then only the new passphrase opens (back on the page that was open).
    app.click("lock-button").await?;
    app.el("lock-screen").await?;
    app.fill("unlock-passphrase", PASSPHRASE).await?;
    app.click("unlock-submit").await?;
    let said = app.text("unlock-error").await?;
    assert!(said.contains("not correct"), "the old passphrase: {said}");
    app.fill("unlock-passphrase", NEW_PASSPHRASE).await?;
    app.click("unlock-submit").await?;
    app.el("settings-this-computer").await?;
    app.quit().await?;
    let app = driver.launch().await?;
    app.el("home-page").await?;
    app.shot("08-relaunch-opens-with-the-new-key").await?;
    activity(&app).await?;
    app.quit().await
}

/// Settings → Activity: the log newest first, filtered, and the record verified.
async fn activity(app: &App) -> Result<()> {
    app.click("nav-settings").await?;
    app.click("settings-jump-activity").await?;
    app.click("open-activity").await?;
    app.el("activity-page").await?;
    app.until("the log's first page", || async {
        app.all("activity-row")
            .await
            .map(|r| !r.is_empty())
            .unwrap_or(false)
    })
    .await?;
    let first = app.all("activity-row").await?;
    let newest = first[0].prop("textContent").await?.unwrap_or_default();
    assert!(newest.contains("The app"), "where it came from: {newest}");
    app.click("verify-record").await?;
    let result = app.text("verify-result").await?;
    assert!(
        result.contains("The record is sound") && result.contains("matching the anchor"),
        "{result}"
    );
    app.shot("09-activity-verified").await?;
    app.choose(
        "activity-action",
        "Passphrase and key changed",
        "change_passphrase",
    )
    .await?;
    app.click("activity-search").await?;
    app.until("only the passphrase change", || async {
        match app.all("activity-row").await {
            Ok(rows) if rows.len() == 1 => rows[0]
                .prop("textContent")
                .await
                .ok()
                .flatten()
                .is_some_and(|t| t.contains("Encryption key")),
            _ => false,
        }
    })
    .await?;
    app.shot("10-activity-filtered").await?;
    about(app).await?;
    Ok(())
}

/// Settings → About: the version and build date, and the third-party licences generated
/// from the dependency tree, filtered and opened.
async fn about(app: &App) -> Result<()> {
    app.click("nav-settings").await?;
    app.click("settings-jump-about").await?;
    let version = app
        .text_until("about-version", "the version", |t| {
            t.starts_with("KAP Practice ")
        })
        .await?;
    let manifest = include_str!("../../../src-tauri/Cargo.toml");
    let app_version = manifest
        .lines()
        .find_map(|l| l.strip_prefix("version = \""))
        .and_then(|v| v.strip_suffix('"'))
        .expect("the app's version");
    assert_eq!(version, format!("KAP Practice {app_version}"));
    let built = app.text("about-build-date").await?;
    assert!(
        built == "unknown" || chrono::NaiveDate::parse_from_str(&built, "%Y-%m-%d").is_ok(),
        "{built}"
    );
    app.shot("11-about").await?;
    app.click("open-licences").await?;
    app.text_until("licences-rust", "the crates", |t| t.contains("rusqlite"))
        .await?;
    let fonts = app.text("licences-fonts").await?;
    assert!(
        fonts.contains("NotoSans") && fonts.contains("OFL-1.1"),
        "{fonts}"
    );
    app.fill("licence-filter", "rusqlite").await?;
    app.until("only the matching crates", || async {
        app.text("licences-rust")
            .await
            .is_ok_and(|t| t.contains("rusqlite") && !t.contains("serde_json"))
    })
    .await?;
    app.shot("12-third-party-licences").await?;
    Ok(())
}
