//! The real app, end to end: a cleared client on a sliding scale goes through a KAP
//! session; the Billing page lists the charges not yet invoiced under the client's name;
//! an invoice shows the sliding-scale adjustment; a payment makes it read "Paid"; a
//! payment recorded by mistake is reversed (the invoice reads "Open" again) and paid
//! again; the invoice and the superbill (asked for first, as the client has no address)
//! are saved as PDFs, checked with `pdftotext`, and rendered with `pdftoppm` into
//! `target/e2e-screenshots/day/billing/`.

#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

use chrono::{Datelike, Duration};
use kap_e2e::{
    book, cleared_client, pdfs_in, screenshot_dir, session_start, today, App, Driver, Result,
};
use std::path::{Path, PathBuf};
use std::process::Command;

const NAME: &str = "Inés Navarro-Søndergaard";

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the built app; scripts/test runs it under Xvfb"]
async fn kap_session_to_paid_invoice_and_superbill() -> Result<()> {
    let saved =
        PathBuf::from(std::env::var_os("KAP_SAVE_DIR").ok_or("scripts/test sets KAP_SAVE_DIR")?);
    let data = tempfile::tempdir()?;
    let shots = screenshot_dir("day/billing")?;
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
    // The name typed with its credentials, as people do: kept apart, printed once.
    app.fill("therapist-name", "Dana Whitfield, LCSW").await?;
    app.fill("credentials", "LCSW").await?;
    app.el("bills-medical-intake").await?;
    app.el("bills-prescriptions").await?;
    app.click("save-settings-therapist").await?;
    app.el("settings-saved").await?;
    let name = app
        .el("therapist-name")
        .await?
        .prop("value")
        .await?
        .unwrap_or_default();
    assert_eq!(
        name, "Dana Whitfield",
        "the credentials live in their own field"
    );
    app.shot("00-settings").await?;

    // Yesterday at 10:00: started, so it can be completed, at any hour the test runs.
    let start = session_start();
    cleared_client(app, NAME, start.date() - Duration::days(10)).await?;

    // The agreed sliding-scale fee: $350 for a KAP session (usual $600).
    app.click("edit-client").await?;
    // Chosen until the agreed fees show: a click while the form is still settling (its
    // first field takes focus as it opens) can land before the choice is live.
    app.until("the sliding scale chosen", || async {
        if app
            .all("agreed-fee-kap_session")
            .await
            .is_ok_and(|f| !f.is_empty())
        {
            return true;
        }
        let _ = app.click("fee-kind-sliding_scale").await;
        false
    })
    .await?;
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

    // The Billing page lists what is not invoiced yet, under the client's name: both
    // intakes ($200 + $250; the first prescription is in the medical intake's fee) and the
    // session at $350.
    app.click("nav-billing").await?;
    let row = app
        .text_until("uninvoiced-row", "the client's charges", |t| {
            t.contains("$800.00")
        })
        .await?;
    assert!(
        row.contains(NAME) && row.contains('3'),
        "the client is named with 3 charges: {row}"
    );
    assert!(
        !app.text("billing-page")
            .await?
            .contains("Nobody owes anything"),
        "charges waiting are not 'nothing owed'"
    );
    app.shot("01-billing-page-uninvoiced").await?;

    // The client's name leads to the client page, where the charges are.
    app.click("uninvoiced-client").await?;
    app.el("client-billing").await?;
    app.until("three charges", || async {
        app.all("uninvoiced-charge")
            .await
            .map(|r| r.len() == 3)
            .unwrap_or(false)
    })
    .await?;
    let charges = app.text("client-billing").await?;
    assert!(
        charges.contains("$600.00") && charges.contains("$350.00"),
        "usual fee and amount: {charges}"
    );
    assert!(
        !charges.contains("$100.00"),
        "no separate prescription charge: {charges}"
    );
    for label in app.all("charge-select").await? {
        app.click_el(&label).await?;
    }
    app.shot("02-charges").await?;
    app.click("create-invoice").await?;
    app.click("confirm-create-invoice").await?;
    app.el("invoice-row").await?;
    let balance = app
        .text_until("invoice-balance", "$800.00", |t| t.contains("$800.00"))
        .await?;
    assert!(
        balance.contains("$800.00"),
        "$200 + $250 intakes + $350 session"
    );
    app.text_until("invoice-status", "open", |t| t.trim() == "Open")
        .await?;
    app.shot("03-invoice-open").await?;

    // A payment of the whole balance: the invoice reads Paid.
    app.click("record-payment").await?;
    app.choose("payment-method", "Venmo", "venmo").await?;
    app.click("save-payment").await?;
    app.text_until("client-balance", "$0.00", |t| t.contains("$0.00"))
        .await?;
    app.text_until("invoice-status", "paid", |t| t.trim() == "Paid")
        .await?;
    app.shot("04-invoice-paid").await?;

    // It was recorded by mistake (the client paid by Zelle): reverse it, with a reason.
    app.click("reverse-payment").await?;
    app.fill("reverse-reason", "Recorded as Venmo; it was Zelle")
        .await?;
    app.click("confirm-reverse").await?;
    app.text_until("payment-reversed", "reversed", |t| {
        t.contains("Recorded as Venmo")
    })
    .await?;
    app.text_until("invoice-status", "open again", |t| t.trim() == "Open")
        .await?;
    app.text_until("invoice-balance", "$800.00 again", |t| {
        t.contains("$800.00")
    })
    .await?;
    assert_eq!(
        app.all("payment-line").await?.len(),
        1,
        "the reversed payment stays on the invoice"
    );
    app.el("void-invoice").await?;
    app.shot("05-payment-reversed").await?;

    // The real payment.
    app.click("record-payment").await?;
    app.choose("payment-method", "Zelle", "zelle").await?;
    app.click("save-payment").await?;
    app.text_until("client-balance", "$0.00", |t| t.contains("$0.00"))
        .await?;
    app.text_until("invoice-status", "paid", |t| t.trim() == "Paid")
        .await?;
    app.shot("06-paid-again").await?;

    // The paid invoice, previewed in the app and printed on the virtual printer.
    let printed = std::env::var_os("KAP_PRINTED_DIR").map(PathBuf::from);
    let before: Vec<PathBuf> = printed.as_deref().map(pdfs_in).unwrap_or_default();
    app.click("preview-invoice").await?;
    let pages = app.el("preview-pages").await?;
    app.until("the pages are drawn", || async {
        pages.attr("data-rendered").await.ok().flatten().as_deref() == Some("yes")
    })
    .await?;
    app.shot("06b-invoice-preview").await?;
    if let Some(dir) = &printed {
        app.choose("printer-select", "KAP-Virtual-PDF", "KAP-Virtual-PDF")
            .await?;
        app.click("print-document").await?;
        app.text_until("print-done", "sent to the printer", |t| {
            t.contains("Sent to KAP-Virtual-PDF")
        })
        .await?;
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        let file = loop {
            let new: Vec<PathBuf> = pdfs_in(dir)
                .into_iter()
                .filter(|p| !before.contains(p))
                .collect();
            if let Some(f) = new.into_iter().next() {
                // cups-pdf writes the file, then it is whole once it stops growing.
                tokio::time::sleep(std::time::Duration::from_millis(500)).await;
                break f;
            }
            if std::time::Instant::now() > deadline {
                return Err("no printed invoice appeared within 60 s".into());
            }
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        };
        let out = Command::new("pdftotext").arg(&file).arg("-").output()?;
        let text = String::from_utf8_lossy(&out.stdout).replace('\n', " ");
        assert!(
            text.contains("Invoice") && text.contains("Paid") && text.contains("Navarro"),
            "the printed invoice, paid, for the client: {text:.300}"
        );
    }
    app.click("close-preview").await?;

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
    // No address on file: the app says what is missing and asks first.
    let gaps = app
        .text_until("superbill-gaps", "missing fields", |t| {
            t.contains("address")
        })
        .await?;
    assert!(
        !gaps.contains("diagnosis"),
        "diagnosis codes were given: {gaps}"
    );
    app.shot("07-superbill-asks").await?;
    app.click("superbill-save-anyway").await?;
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
    app.shot("08-saved").await?;
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
        number,
        NAME,
        "$600.00",
        "$350.00",
        "$800.00",
        "$0.00",
        "Zelle",
        "Venmo payment reversed",
        "Balance",
        "Status: Paid",
        "Dana Whitfield, LCSW",
    ] {
        assert!(text.contains(want), "the invoice shows {want:?}:\n{text}");
    }
    assert!(
        !text.contains("LCSW, LCSW"),
        "credentials print once:\n{text}"
    );
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
        (&invoice, "09-invoice-pdf"),
        (&superbill, "10-superbill-pdf"),
        (&consent, "11-consent-pdf"),
        (&estimate, "12-estimate-pdf"),
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
