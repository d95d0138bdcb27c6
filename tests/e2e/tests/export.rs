//! The real app, end to end: a cleared client's complete record exported as a PDF and as
//! a zip of JSON + CSV from the client page, and the whole practice from Settings. Each
//! export first asks for confirmation in a dialog that says the file is not encrypted,
//! holds protected health information and is recorded in the audit log. The files land
//! in `KAP_SAVE_DIR` under names without the client's name; the PDF is read back with
//! `pdftotext` and rendered with `pdftoppm` beside the screenshots in
//! `target/e2e-screenshots/export/`.

#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

use chrono::{Duration, NaiveDate};
use kap_e2e::{cleared_client, screenshot_dir, today, App, Driver, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

const NAME: &str = "Zoë O'Brien-Núñez";

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the built app; scripts/test runs it under Xvfb"]
async fn export_a_client_record_and_the_practice() -> Result<()> {
    let saved =
        PathBuf::from(std::env::var_os("KAP_SAVE_DIR").ok_or("scripts/test sets KAP_SAVE_DIR")?);
    let data = tempfile::tempdir()?;
    let shots = screenshot_dir("export")?;
    // Earlier runs' files (named by the day they were saved).
    for e in std::fs::read_dir(&saved)?.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if PREFIXES.iter().any(|p| name.starts_with(p)) {
            let _ = std::fs::remove_file(e.path());
        }
    }
    let driver = Driver::start(data.path(), &shots, &[]).await?;
    let result = match driver.launch().await {
        Ok(app) => match flow(&app).await {
            Ok(names) => app.quit().await.map(|()| names),
            Err(e) => Err(e),
        },
        Err(e) => Err(e),
    };
    driver.stop().await;
    let names = result?;
    check_files(&saved, &names, &shots)
}

/// How the three exports' file names begin; each ends with the day it was made.
const PREFIXES: [&str; 3] = [
    "client-000001-record-",
    "client-000001-export-",
    "practice-export-",
];

/// The file name the app reported, `<prefix><YYYY-MM-DD>.<ext>`, checked to be dated a
/// day of this test's run: from `first` to today (one day unless it ran across midnight).
fn dated_name(said: &str, prefix: &str, ext: &str, first: NaiveDate) -> Result<String> {
    let date = said
        .split(prefix)
        .nth(1)
        .and_then(|rest| rest.get(..10))
        .ok_or_else(|| format!("{prefix}… in {said:?}"))?;
    let day = NaiveDate::parse_from_str(date, "%Y-%m-%d")?;
    assert!(
        (first..=today()).contains(&day),
        "the file is named by today's date ({first}): {said}"
    );
    let name = format!("{prefix}{day}.{ext}");
    assert!(said.contains(&name), "{said}");
    Ok(name)
}

/// Waits for the dialog to say where the export was saved; returns that text.
async fn saved_text(app: &App, what: &str, want: &str) -> Result<String> {
    app.text_until("export-saved-path", what, |t| t.contains(want))
        .await
}

/// Returns the three files' names, as the app chose them.
async fn flow(app: &App) -> Result<Vec<String>> {
    let first = today();
    app.create_practice().await?;
    cleared_client(app, NAME, first - Duration::days(10)).await?;

    // The client page: Export record… asks first, and says what the file is.
    app.click("export-record").await?;
    app.el("export-dialog").await?;
    let warning = app.text("export-warning").await?;
    for want in [
        "NOT encrypted",
        "protected health information",
        "recorded in the practice's audit log",
    ] {
        assert!(
            warning.contains(want),
            "the dialog says {want:?}: {warning}"
        );
    }
    app.el("export-choice-pdf").await?;
    app.el("export-choice-zip").await?;
    app.shot("01-confirm-client-export").await?;

    // The PDF of the complete record (the first choice).
    app.click("export-confirm").await?;
    let said = saved_text(app, "record saved", "-record-").await?;
    let record = dated_name(&said, "client-000001-record-", "pdf", first)?;
    assert!(
        !said.contains("O'Brien") && !said.contains("Zoë"),
        "no client name in the file name: {said}"
    );
    app.shot("02-record-pdf-saved").await?;
    app.click("export-done").await?;

    // The client's data as JSON + CSV in a zip.
    app.click("export-record").await?;
    app.click("export-choice-zip").await?;
    app.click("export-confirm").await?;
    let said = saved_text(app, "zip saved", "-export-").await?;
    let client_zip = dated_name(&said, "client-000001-export-", "zip", first)?;
    app.shot("03-client-zip-saved").await?;
    app.click("export-done").await?;

    // Settings: the whole practice.
    app.click("nav-settings").await?;
    app.click("export-practice").await?;
    app.el("export-dialog").await?;
    let warning = app.text("export-warning").await?;
    assert!(warning.contains("NOT encrypted"), "{warning}");
    app.shot("04-confirm-practice-export").await?;
    app.click("export-confirm").await?;
    let said = saved_text(app, "practice saved", "practice-export-").await?;
    let practice_zip = dated_name(&said, "practice-export-", "zip", first)?;
    app.shot("05-practice-zip-saved").await?;
    app.click("export-done").await?;
    Ok(vec![record, client_zip, practice_zip])
}

fn pdftotext(path: &Path) -> Result<String> {
    let out = Command::new("pdftotext").arg(path).arg("-").output()?;
    if !out.status.success() {
        return Err(format!("pdftotext failed on {}", path.display()).into());
    }
    Ok(String::from_utf8(out.stdout)?)
}

/// The three files exist and are whole; the record reads back with the client's name,
/// the sections and the confidentiality footer; its pages are rendered for a reviewer.
fn check_files(saved: &Path, names: &[String], shots: &Path) -> Result<()> {
    for name in names {
        let path = saved.join(name);
        let bytes = std::fs::read(&path).map_err(|e| format!("{name}: {e}"))?;
        let magic: &[u8] = if name.ends_with(".pdf") {
            b"%PDF-"
        } else {
            b"PK\x03\x04"
        };
        assert!(bytes.starts_with(magic), "{name} is a whole file");
    }
    let leftovers: Vec<_> = std::fs::read_dir(saved)?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".partial"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary files: {leftovers:?}");

    let record = saved.join(&names[0]);
    let text = pdftotext(&record)?;
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for want in [
        "Client record",
        NAME,
        "Client details",
        "Intakes and contraindication screenings",
        "Consents",
        "Prescriptions",
        "Confidential — contains protected health information",
        "Page 1 of",
    ] {
        assert!(flat.contains(want), "the record shows {want:?}:\n{text}");
    }
    let status = Command::new("pdftoppm")
        .args(["-r", "70", "-png"])
        .arg(&record)
        .arg(shots.join("06-record-page"))
        .status()?;
    assert!(status.success(), "pdftoppm renders the record");
    Ok(())
}
