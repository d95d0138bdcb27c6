//! The real app, end to end: a cleared client's complete record exported as a PDF and as
//! a zip of JSON + CSV from the client page, and the whole practice from Settings. Each
//! export first asks for confirmation in a dialog that says the file is not encrypted,
//! holds protected health information and is recorded in the audit log. The files land
//! in `KAP_SAVE_DIR` under names without the client's name; the PDF is read back with
//! `pdftotext` and rendered with `pdftoppm` beside the screenshots in
//! `target/e2e-screenshots/export/`.

#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

use chrono::{Duration, Utc};
use kap_e2e::{cleared_client, screenshot_dir, App, Driver, Result};
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
    let today = Utc::now()
        .with_timezone(&chrono_tz::America::New_York)
        .date_naive();
    let names = [
        format!("client-000001-record-{today}.pdf"),
        format!("client-000001-export-{today}.zip"),
        format!("practice-export-{today}.zip"),
    ];
    for name in &names {
        let _ = std::fs::remove_file(saved.join(name));
    }
    let driver = Driver::start(data.path(), &shots, &[]).await?;
    let result = match driver.launch().await {
        Ok(app) => flow(&app, today).await.and(app.quit().await),
        Err(e) => Err(e),
    };
    driver.stop().await;
    result?;
    check_files(&saved, &names, &shots)
}

/// Waits for the dialog to say where the export was saved; returns that text.
async fn saved_text(app: &App, what: &str, want: &str) -> Result<String> {
    app.text_until("export-saved-path", what, |t| t.contains(want))
        .await
}

async fn flow(app: &App, today: chrono::NaiveDate) -> Result<()> {
    app.create_practice().await?;
    cleared_client(app, NAME, today - Duration::days(10)).await?;

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
    assert!(
        said.contains(&format!("client-000001-record-{today}.pdf")),
        "{said}"
    );
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
    assert!(
        said.contains(&format!("client-000001-export-{today}.zip")),
        "{said}"
    );
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
    assert!(
        said.contains(&format!("practice-export-{today}.zip")),
        "{said}"
    );
    app.shot("05-practice-zip-saved").await?;
    app.click("export-done").await?;
    Ok(())
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
