//! The real app, end to end: a cleared client on a sliding scale goes through a KAP
//! session to an invoice with the sliding-scale adjustment; a payment brings the balance
//! to zero; the invoice and the superbill are saved as PDFs, checked with `pdftotext`,
//! and rendered with `pdftoppm` into `target/e2e-screenshots/billing/`.

#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

use chrono::{Datelike, Duration};
use kap_e2e::{book, cleared_client, screenshot_dir, session_start, today, App, Driver, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

const NAME: &str = "Inés Navarro-Søndergaard";

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the built app; scripts/test runs it under Xvfb"]
async fn kap_session_to_paid_invoice_and_superbill() -> Result<()> {
    let saved =
        PathBuf::from(std::env::var_os("KAP_SAVE_DIR").ok_or("scripts/test sets KAP_SAVE_DIR")?);
    let data = tempfile::tempdir()?;
    let shots = screenshot_dir("billing")?;
    let driver = Driver::start(data.path(), &shots, &[]).await?;
    let before = today();
    let result = match driver.launch().await {
        Ok(app) => match flow(&app).await {
            Ok(invoice) => app.quit().await.map(|()| invoice),
            Err(e) => Err(e),
        },
        Err(e) => Err(e),
    };
    driver.stop().await;
    let invoice = result?;
    check_pdfs(&saved, &shots, &invoice, [before.year(), today().year()])
}

async fn wait_for_file(path: &Path) -> Result<()> {
    for _ in 0..100 {
        if path.exists() {
            return Ok(());
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    Err(format!("{} was not saved", path.display()).into())
}

/// Returns the invoice's number as the app gave it (`YYYY-0001`, the year it was issued).
async fn flow(app: &App) -> Result<String> {
    app.create_practice().await?;
    app.click("nav-settings").await?;
    app.fill("npi", "1234567893").await?;
    app.click("save-settings").await?;
    app.el("settings-saved").await?;

    // Yesterday at 10:00: started, so it can be completed, at any hour the test runs.
    let start = session_start();
    cleared_client(app, NAME, start.date() - Duration::days(10)).await?;

    // The agreed sliding-scale fee: $350 for a KAP session (usual $600).
    app.click("edit-client").await?;
    app.click("fee-kind-sliding_scale").await?;
    app.fill("agreed-fee-kap_session", "350.00").await?;
    app.click("save-client").await?;
    app.el("client-page").await?;

    // The KAP session, completed.
    app.click("book-for-client").await?;
    book(app, "KAP session", "Navarro", start, None).await?;
    app.click("client-appointment-row").await?;
    app.click("complete-appointment").await?;
    app.text_until("appointment-status", "completed", |t| {
        t.contains("Completed")
    })
    .await?;

    // Back on the client page: the prescription and the session are charged.
    app.click("nav-clients").await?;
    app.fill("client-search", "Navarro").await?;
    app.until("one client", || async {
        app.all("client-row")
            .await
            .map(|r| r.len() == 1)
            .unwrap_or(false)
    })
    .await?;
    let row = app.all("client-row").await?.remove(0);
    app.activate(&row).await?;
    app.el("client-billing").await?;
    app.until("two charges", || async {
        app.all("uninvoiced-charge")
            .await
            .map(|r| r.len() == 2)
            .unwrap_or(false)
    })
    .await?;
    let charges = app.text("client-billing").await?;
    assert!(
        charges.contains("$600.00") && charges.contains("$350.00"),
        "usual fee and amount: {charges}"
    );
    for label in app.all("charge-select").await? {
        app.click_el(&label).await?;
    }
    app.shot("01-charges").await?;
    app.click("create-invoice").await?;
    app.click("confirm-create-invoice").await?;
    app.el("invoice-row").await?;
    let balance = app
        .text_until("invoice-balance", "$450.00", |t| t.contains("$450.00"))
        .await?;
    assert!(
        balance.contains("$450.00"),
        "$100 prescription + $350 session"
    );
    app.shot("02-invoice").await?;

    // A payment of the whole balance.
    app.click("record-payment").await?;
    app.choose("payment-method", "Zelle", "zelle").await?;
    app.click("save-payment").await?;
    app.text_until("client-balance", "$0.00", |t| t.contains("$0.00"))
        .await?;
    app.shot("03-paid").await?;

    // Diagnosis codes, then the invoice and the superbill as PDFs.
    app.fill("diagnosis-codes", "F33.1, F41.1").await?;
    app.click("save-billing-details").await?;
    app.click("save-invoice-pdf").await?;
    let said = app
        .text_until("saved-path", "saved", |t| t.contains("invoice-"))
        .await?;
    // The number carries the year the app issued the invoice in (today, by its clock).
    let number = said
        .split("invoice-")
        .nth(1)
        .and_then(|rest| rest.get(..9))
        .ok_or_else(|| format!("an invoice number in {said:?}"))?
        .to_owned();
    assert!(
        !said.contains("Navarro") && !said.contains("Inés"),
        "no client name in the file name: {said}"
    );
    app.click("save-superbill").await?;
    app.click("confirm-superbill").await?;
    app.text_until("saved-path", "superbill saved", |t| {
        t.contains("superbill-")
    })
    .await?;
    app.click("save-estimate").await?;
    app.fill("estimate-kap-sessions", "3").await?;
    app.fill("estimate-integration-sessions", "0").await?;
    app.click("confirm-estimate").await?;
    app.text_until("saved-path", "estimate saved", |t| {
        t.contains("good-faith-estimate-")
    })
    .await?;
    app.click("print-consent").await?;
    app.text_until("saved-path", "consent saved", |t| {
        t.contains("kap-consent-form")
    })
    .await?;
    let dir = PathBuf::from(std::env::var_os("KAP_SAVE_DIR").unwrap());
    for name in [
        format!("invoice-{number}.pdf"),
        "kap-consent-form.pdf".into(),
    ] {
        wait_for_file(&dir.join(name)).await?;
    }
    app.shot("04-saved").await?;
    Ok(number)
}

fn pdftotext(path: &Path) -> Result<String> {
    let out = Command::new("pdftotext")
        .args(["-layout"])
        .arg(path)
        .arg("-")
        .output()?;
    if !out.status.success() {
        return Err(format!("pdftotext failed on {}", path.display()).into());
    }
    Ok(String::from_utf8(out.stdout)?)
}

/// Reads the saved PDFs back as text and renders their pages next to the screenshots.
/// `number` is the invoice's (`YYYY-0001`), issued in one of `years` (the test's first
/// and last day: the same year unless it ran across New Year's midnight).
fn check_pdfs(saved: &Path, shots: &Path, number: &str, years: [i32; 2]) -> Result<()> {
    assert!(
        years.iter().any(|y| number == format!("{y}-0001")),
        "the first invoice of the year it was issued: {number}"
    );
    let invoice = saved.join(format!("invoice-{number}.pdf"));
    let text = pdftotext(&invoice)?;
    for want in [
        number, NAME, "$600.00", "$350.00", "$450.00", "$0.00", "Zelle", "Balance",
    ] {
        assert!(text.contains(want), "the invoice shows {want:?}:\n{text}");
    }
    assert!(
        text.contains("-$250.00") || text.contains("−$250.00"),
        "the sliding-scale adjustment:\n{text}"
    );
    let superbill = std::fs::read_dir(saved)?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("superbill-"))
        })
        .ok_or("no superbill saved")?;
    let text = pdftotext(&superbill)?;
    for want in [
        NAME,
        "90837",
        "F33.1",
        "F41.1",
        "1234567893",
        "$600.00",
        "$350.00",
    ] {
        assert!(text.contains(want), "the superbill shows {want:?}:\n{text}");
    }
    assert!(
        !text.contains("Prescription") && !text.contains("$100.00"),
        "the prescription is never on a superbill:\n{text}"
    );
    assert!(
        !text.contains('?'),
        "no character fell back to '?':\n{text}"
    );
    let consent = saved.join("kap-consent-form.pdf");
    let text = pdftotext(&consent)?;
    for want in [
        "Informed Consent for Ketamine-Assisted Psychotherapy",
        NAME,
        "off-label",
        "Page 1 of",
    ] {
        assert!(text.contains(want), "the consent form shows {want:?}");
    }
    let estimate = std::fs::read_dir(saved)?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("good-faith-estimate-"))
        })
        .ok_or("no estimate saved")?;
    let text = pdftotext(&estimate)?;
    for want in ["Good Faith Estimate", NAME, "$1,050.00", "$400"] {
        assert!(text.contains(want), "the estimate shows {want:?}:\n{text}");
    }
    for (pdf, stem) in [
        (&invoice, "05-invoice-pdf"),
        (&superbill, "06-superbill-pdf"),
        (&consent, "07-consent-pdf"),
        (&estimate, "08-estimate-pdf"),
    ] {
        let status = Command::new("pdftoppm")
            .args(["-r", "60", "-png"])
            .arg(pdf)
            .arg(shots.join(stem))
            .status()?;
        assert!(status.success(), "pdftoppm renders {}", pdf.display());
    }
    Ok(())
}
