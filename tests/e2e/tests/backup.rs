//! The real app, end to end: backups and restoring them on a new laptop. A practice with
//! two clients is backed up from Settings (the file lands in `KAP_SAVE_DIR`), automatic
//! daily backups are pointed at the same folder (none is due right after a backup by
//! hand, so none is made), and the last-backup line says so. The restore dialog is seen
//! from Settings and from the lock screen. Then the app starts on a "new laptop", an
//! empty practice folder: first run offers Restore from a backup, shows what the backup
//! holds, refuses a wrong passphrase and keeps the form, and with the right one lands in
//! the restored practice with both clients. Restoring once more from Settings keeps a
//! safety copy of the practice it replaces; a relaunch opens the practice through the
//! keychain. Last, a third laptop that has a practice of its own: restoring the backup
//! there says it is of another practice and replaces nothing until confirmed.
//! Screenshots in `target/e2e-screenshots/backup/`.

#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

use kap_e2e::{screenshot_dir, tid, App, Driver, Result, PASSPHRASE};
use std::path::{Path, PathBuf};

const CLIENTS: [&str; 2] = ["Maya Lindqvist", "Tomás Ferreira-Okafor"];

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the built app; scripts/test runs it under Xvfb"]
async fn back_up_and_restore_on_a_new_laptop() -> Result<()> {
    let saved =
        PathBuf::from(std::env::var_os("KAP_SAVE_DIR").ok_or("scripts/test sets KAP_SAVE_DIR")?);
    std::fs::create_dir_all(&saved)?;
    // The restore picks the newest backup in the folder: start with none.
    for file in backups(&saved)? {
        std::fs::remove_file(saved.join(file))?;
    }
    let shots = screenshot_dir("backup")?;

    // This laptop: the practice, two clients, a backup, automatic backups.
    let data = tempfile::tempdir()?;
    let driver = Driver::start(data.path(), &shots, &[]).await?;
    let result = match driver.launch().await {
        Ok(app) => {
            let made = this_laptop(&app, &saved).await;
            let quit = app.quit().await;
            made.and_then(|m| quit.map(|()| m))
        }
        Err(e) => Err(e),
    };
    driver.stop().await;
    let made = result?;

    // A new laptop: an empty practice folder, and only the backup file and the passphrase.
    let laptop = tempfile::tempdir()?;
    let driver = Driver::start(laptop.path(), &shots, &[]).await?;
    let result = new_laptop(&driver, &made, laptop.path()).await;
    driver.stop().await;
    result?;

    // A laptop with a practice of its own: the backup is of another practice.
    let other = tempfile::tempdir()?;
    let driver = Driver::start(other.path(), &shots, &[]).await?;
    let result = match driver.launch().await {
        Ok(app) => {
            let done = over_another_practice(&app, other.path()).await;
            done.and(app.quit().await)
        }
        Err(e) => Err(e),
    };
    driver.stop().await;
    result
}

/// Restoring over a different practice: the dialog says so plainly, nothing changes
/// until *Replace this practice*, then the backup's practice is there.
async fn over_another_practice(app: &App, data: &Path) -> Result<()> {
    app.create_practice().await?;
    let key_before = std::fs::read(data.join("practice.key"))?;
    app.click("nav-settings").await?;
    app.click("settings-restore").await?;
    app.fill("restore-passphrase", PASSPHRASE).await?;
    app.click("restore-submit").await?;
    let said = app.text("restore-other-practice").await?;
    for want in [
        "This backup is of another practice",
        "Restoring it replaces this practice entirely",
    ] {
        assert!(said.contains(want), "the dialog says {want:?}: {said}");
    }
    assert_eq!(
        std::fs::read(data.join("practice.key"))?,
        key_before,
        "nothing is replaced before the confirmation"
    );
    assert!(
        !data.join("safety").exists(),
        "no safety copy yet: nothing happened"
    );
    app.shot("15-another-practice").await?;
    app.click("restore-replace-other").await?;
    let done = app.text("restore-done").await?;
    assert!(done.contains("restored from the backup taken"), "{done}");
    app.click("restore-close").await?;
    app.el("home-page").await?;
    assert_ne!(
        std::fs::read(data.join("practice.key"))?,
        key_before,
        "the other practice's key file is in place"
    );
    clients_are_there(app).await?;
    app.shot("16-another-practice-replaced").await
}

/// The backup files in `dir`, by name.
fn backups(dir: &Path) -> Result<Vec<String>> {
    let mut names: Vec<String> = std::fs::read_dir(dir)?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".kapbackup"))
        .collect();
    names.sort();
    Ok(names)
}

async fn add_client(app: &App, name: &str) -> Result<()> {
    app.click("nav-clients").await?;
    app.click("new-client").await?;
    app.fill("legal-name", name).await?;
    app.click("save-client").await?;
    app.el("client-page").await?;
    Ok(())
}

/// Returns the backup made by hand.
async fn this_laptop(app: &App, saved: &Path) -> Result<PathBuf> {
    app.create_practice().await?;
    for name in CLIENTS {
        add_client(app, name).await?;
    }

    // Settings → Backups: none yet, said plainly.
    app.click("nav-settings").await?;
    app.show("backup-settings").await?;
    let last = app.text("last-backup").await?;
    assert!(last.contains("No backup yet"), "a new practice: {last}");
    app.shot("01-settings-no-backup-yet").await?;

    // Back up now: the file lands in the folder, whole, under the suggested name.
    app.click("backup-now").await?;
    let said = app
        .text_until("backup-made", "the backup was made", |t| {
            t.contains(".kapbackup")
        })
        .await?;
    let made = backups(saved)?;
    assert_eq!(made.len(), 1, "one backup in {}: {made:?}", saved.display());
    let file = saved.join(&made[0]);
    assert!(
        made[0].starts_with("kap-practice-backup-"),
        "the suggested name (no PHI): {made:?}"
    );
    assert!(
        said.contains(&file.display().to_string()),
        "the success line names the file: {said}"
    );
    let bytes = std::fs::read(&file)?;
    assert!(bytes.starts_with(b"KAPBKUP1"), "a whole backup file");
    for name in CLIENTS {
        assert!(
            !bytes.windows(name.len()).any(|w| w == name.as_bytes()),
            "the backup is encrypted: no client name in it"
        );
    }
    let last = app
        .text_until("last-backup", "the last backup is now", |t| {
            t.starts_with("Last backup:") && (t.contains("just now") || t.contains("minute"))
        })
        .await?;
    assert!(!last.contains("No backup"), "{last}");
    app.show("backup-settings").await?;
    app.shot("02-backed-up").await?;

    // Automatic daily backups into the same folder, keeping 7. The backup by hand a
    // moment ago is the last backup, so none is due and none is made now.
    app.click("choose-backup-folder").await?;
    let folder = app
        .text_until("backup-folder", "the folder is chosen", |t| {
            !t.contains("Off")
        })
        .await?;
    assert_eq!(Path::new(folder.trim()), saved, "the folder chosen");
    app.fill("backup-keep", "7").await?;
    app.click("backup-schedule-save").await?;
    let on = app.text("backup-schedule-saved").await?;
    assert!(on.contains("Automatic backups are on"), "{on}");
    app.el("backup-turn-off").await?;
    assert_eq!(
        backups(saved)?,
        made,
        "no automatic backup: the last backup is not a day old"
    );
    let help = app.text("backup-settings").await?;
    assert!(
        help.contains("A backup is made once a day while KAP Practice is open")
            && help.contains("beyond 7 are deleted"),
        "Settings says what automatic backups do: {help}"
    );
    app.text_until("last-backup", "still the backup by hand", |t| {
        t.starts_with("Last backup:")
    })
    .await?;
    app.shot("03-automatic-backups-on").await?;

    // Restore from Settings: the dialog says what the backup holds and what happens.
    app.click("settings-restore").await?;
    app.el("restore-info").await?;
    let file_shown = app.text("restore-file").await?;
    assert!(file_shown.ends_with(&made[0]), "{file_shown}");
    let warning = app.text("restore-warning").await?;
    for want in [
        "replaces the practice on this computer",
        "safety copy",
        "inside the practice folder",
    ] {
        assert!(
            warning.contains(want),
            "the dialog says {want:?}: {warning}"
        );
    }
    app.shot("04-settings-restore-dialog").await?;
    app.click("restore-cancel").await?;

    // The lock screen offers the same, for a practice that will not open.
    app.click("lock-button").await?;
    app.el("lock-screen").await?;
    app.el("lock-restore").await?;
    app.shot("05-lock-screen").await?;
    app.click("lock-restore").await?;
    app.el("restore-info").await?;
    app.el("restore-passphrase").await?;
    app.shot("06-lock-screen-restore-dialog").await?;
    app.click("restore-cancel").await?;
    app.el("unlock-passphrase").await?;
    Ok(file)
}

async fn new_laptop(driver: &Driver, backup: &Path, data: &Path) -> Result<()> {
    let app = driver.launch().await?;
    let result = restore_on_first_run(&app, backup, data).await;
    let result = result.and(app.quit().await);
    result?;

    // Started again, the restored practice opens (its key went to this keychain).
    let app = driver.launch().await?;
    let result = clients_are_there(&app).await;
    let result = match result {
        Ok(()) => app.shot("14-relaunch-restored-practice").await,
        e => e,
    };
    result.and(app.quit().await)
}

async fn clients_are_there(app: &App) -> Result<()> {
    app.click("nav-clients").await?;
    app.until("both clients are listed", || async {
        app.all("client-row")
            .await
            .map(|r| r.len() == CLIENTS.len())
            .unwrap_or(false)
    })
    .await?;
    let mut listed = Vec::new();
    for row in app.all("client-row").await? {
        listed.push(row.prop("textContent").await?.unwrap_or_default());
    }
    for name in CLIENTS {
        assert!(
            listed.iter().any(|t| t.contains(name)),
            "{name} is in the restored practice: {listed:?}"
        );
    }
    Ok(())
}

async fn restore_on_first_run(app: &App, backup: &Path, data: &Path) -> Result<()> {
    app.el("create-practice-form").await?;
    app.el("first-run-restore").await?;
    app.shot("07-new-laptop-first-run").await?;

    // Choose the file: the dialog shows what it holds before asking for anything.
    app.click("first-run-restore-button").await?;
    app.el("restore-info").await?;
    let file_shown = app.text("restore-file").await?;
    assert_eq!(
        Path::new(file_shown.trim()),
        backup,
        "the backup made on the other laptop"
    );
    let rows = app.text("restore-audit-rows").await?;
    assert!(
        rows.replace(',', "").parse::<u32>().unwrap_or(0) > 0,
        "the audit log's length is shown: {rows}"
    );
    assert!(!app.text("restore-taken").await?.is_empty());
    app.shot("08-restore-dialog").await?;

    // A wrong passphrase is refused, said plainly, and the form stays.
    app.fill("restore-passphrase", "not the passphrase at all")
        .await?;
    app.click("restore-submit").await?;
    let err = app.text("field-error-passphrase").await?;
    assert!(
        err.contains("does not open this backup"),
        "the wrong passphrase is said plainly: {err}"
    );
    app.el("restore-dialog").await?;
    app.el("restore-passphrase").await?;
    app.el("create-practice-form").await?;
    assert!(
        !data.join("practice.db").exists(),
        "a refused restore changes nothing"
    );
    app.shot("09-wrong-passphrase").await?;

    // The right one: the app opens on the restored practice, unlocked.
    app.fill("restore-passphrase", PASSPHRASE).await?;
    app.click("restore-submit").await?;
    app.el("home-page").await?;
    assert!(
        app.client
            .find_all(fantoccini::Locator::Css(&tid("create-practice-form")))
            .await?
            .is_empty(),
        "first run is gone"
    );
    assert!(data.join("practice.db").exists() && data.join("practice.key").exists());
    app.shot("10-restored-home").await?;
    clients_are_there(app).await?;
    app.shot("10b-restored-clients").await?;

    // Settings shows the restored backup as the last one.
    app.click("nav-settings").await?;
    app.show("backup-settings").await?;
    let last = app.text("last-backup").await?;
    assert!(last.starts_with("Last backup:"), "{last}");
    app.shot("12-restored-settings").await?;

    // Restoring again from Settings replaces the open practice, keeps a safety copy of
    // it, and says so; closing the dialog leaves for Home.
    app.click("settings-restore").await?;
    app.fill("restore-passphrase", PASSPHRASE).await?;
    app.click("restore-submit").await?;
    let done = app.text("restore-done").await?;
    assert!(done.contains("restored from the backup taken"), "{done}");
    app.shot("13-restored-from-settings").await?;
    app.click("restore-close").await?;
    app.el("home-page").await?;
    let safety = std::fs::read_dir(data.join("safety"))?.count();
    assert!(safety > 0, "a safety copy of the replaced practice is kept");
    Ok(())
}
