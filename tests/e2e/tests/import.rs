//! Moving in, in the real window:
//! 1. a client list from another system: a 50-row CSV (Windows-1252, with a quoted cell
//!    holding a comma and a doubled quote) with two bad rows. Clients → Import from CSV
//!    shows the columns with the known headers already chosen; one unknown column is
//!    chosen by hand. The check lists 48 ready rows and the two rows' errors, and the
//!    import is refused until they are left out; then 48 clients are imported at once.
//! 2. that practice exported from Settings, and imported into a new, empty practice
//!    (another practice folder) from its Clients page: its 48 clients are there.
//!
//! Screenshots: `target/e2e-screenshots/import/`.

#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

use kap_e2e::{screenshot_dir, App, Driver, Result};
use std::path::{Path, PathBuf};

const FIRST: &[&str] = &[
    "Amara", "Bastien", "Chiara", "Dmitri", "Eun-ji", "Farah", "Gideon", "Hana", "Ilse", "Joaquín",
];
const LAST: &[&str] = &["Okafor", "Lindqvist", "Moreau", "Tanaka", "Delacroix"];

/// Row numbers as a spreadsheet shows them (the header row is 1).
const BAD_DATE_ROW: u32 = 12;
const NO_NAME_ROW: u32 = 37;

/// The other system's export: 50 clients, two of them bad, in Windows-1252 (as Excel's
/// plain "CSV" saves it on a US Windows computer).
fn client_csv() -> Vec<u8> {
    let mut text = String::from(
        "First Name,Last Name,Date of Birth,Email,Mobile Phone,Intake Source,Notes\r\n",
    );
    for i in 0..50u32 {
        let row = i + 2;
        let first = FIRST[(i % 10) as usize];
        let last = LAST[(i / 10) as usize];
        let (first, last) = if row == NO_NAME_ROW {
            (String::new(), String::new())
        } else {
            (first.to_string(), format!("{last}-{i:02}"))
        };
        let dob = if row == BAD_DATE_ROW {
            "13/45/1980".to_string()
        } else {
            format!("{:02}/{:02}/19{}", 1 + i % 12, 1 + i % 28, 60 + i % 35)
        };
        text.push_str(&format!(
            "{first},{last},{dob},client{i}@example.org,(212) 555-{:04},\"Referral, \"\"Dr. Patel\"\"\",Prefers mornings\r\n",
            1000 + i
        ));
    }
    // Windows-1252: "í" is one byte, 0xED.
    text.chars()
        .map(|c| match c {
            'í' => 0xED,
            c if c.is_ascii() => c as u8,
            c => panic!("{c} is not in the test's Windows-1252 table"),
        })
        .collect()
}

fn save_dir() -> Result<PathBuf> {
    Ok(PathBuf::from(
        std::env::var_os("KAP_SAVE_DIR").ok_or("scripts/test sets KAP_SAVE_DIR")?,
    ))
}

/// Removes the folder's files of `extension`, so the file the app is given (the newest)
/// is this test's.
fn clear(dir: &Path, extension: &str) -> Result<()> {
    for e in std::fs::read_dir(dir)? {
        let p = e?.path();
        if p.extension().is_some_and(|x| x == extension) {
            std::fs::remove_file(p)?;
        }
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the built app; scripts/test runs it under Xvfb"]
async fn a_client_list_and_then_a_whole_practice_move_in() -> Result<()> {
    let saved = save_dir()?;
    std::fs::create_dir_all(&saved)?;
    clear(&saved, "csv")?;
    clear(&saved, "zip")?;
    std::fs::write(saved.join("clients-from-other-system.csv"), client_csv())?;
    let shots = screenshot_dir("import")?;

    let old = tempfile::tempdir()?;
    let driver = Driver::start(old.path(), &shots, &[]).await?;
    let result = match driver.launch().await {
        Ok(app) => from_csv(&app).await.and(app.quit().await),
        Err(e) => Err(e),
    };
    driver.stop().await;
    result?;

    let new = tempfile::tempdir()?;
    let driver = Driver::start(new.path(), &shots, &[]).await?;
    let result = match driver.launch().await {
        Ok(app) => from_export(&app).await.and(app.quit().await),
        Err(e) => Err(e),
    };
    driver.stop().await;
    result
}

async fn row_states(app: &App) -> Vec<String> {
    let mut out = Vec::new();
    for r in app.all("csv-row").await.unwrap_or_default() {
        out.push(
            r.attr("data-state")
                .await
                .ok()
                .flatten()
                .unwrap_or_default(),
        );
    }
    out
}

async fn listed(app: &App, id: &str) -> usize {
    app.all(id).await.map(|v| v.len()).unwrap_or(0)
}

async fn from_csv(app: &App) -> Result<()> {
    app.create_practice().await?;
    app.click("nav-clients").await?;
    app.click("import-clients").await?;
    app.click("csv-choose").await?;
    let file = app
        .text_until("csv-file", "the file is read", |t| t.contains("50 rows"))
        .await?;
    assert!(file.contains("Windows-1252"), "{file}");
    assert!(file.contains("commas"), "{file}");

    // The known headers are chosen; "Intake Source" is not known, and is chosen by hand.
    for (i, want) in [
        (0, "first_name"),
        (1, "last_name"),
        (2, "date_of_birth"),
        (3, "email"),
        (4, "phone"),
        (5, ""),
        (6, "notes"),
    ] {
        let got = app
            .el(&format!("csv-column-{i}"))
            .await?
            .prop("value")
            .await?
            .unwrap_or_default();
        assert_eq!(got, want, "column {i}");
    }
    app.choose("csv-column-5", "Referral source", "referral_source")
        .await?;
    let columns = app.text_content("csv-file").await?;
    assert!(
        columns.contains("clients-from-other-system.csv"),
        "{columns}"
    );
    app.shot("01-columns").await?;

    // The check: 48 ready, the two bad rows with their errors; nothing is written yet.
    app.click("csv-check").await?;
    app.text_until("csv-count-invalid", "the check", |t| {
        t.starts_with("2 rows")
    })
    .await?;
    assert!(app.text("csv-count-ready").await?.starts_with("48 clients"));
    assert!(app
        .text("csv-count-duplicates")
        .await?
        .starts_with("0 possible"));
    assert_eq!(app.all("csv-row").await?.len(), 50);
    // A name read from Windows-1252, and the quoted cell, as the file meant them.
    let all = app.text_content("csv-dry-run").await?;
    assert!(all.contains("Joaquín Okafor-09"), "{all}");
    let import = app.el("csv-import").await?;
    assert!(!import.is_enabled().await?, "an import with bad rows waits");
    app.text_until("csv-blocked", "why it waits", |t| !t.is_empty())
        .await?;

    app.click("csv-show-problems").await?;
    app.until("only the two bad rows", || async {
        row_states(app).await == ["invalid", "invalid"]
    })
    .await?;
    let problems = app.text_content("csv-dry-run").await?;
    assert!(
        problems.contains("not a date on the calendar"),
        "{problems}"
    );
    assert!(problems.contains("Legal name is required"), "{problems}");
    let errors = app.all("csv-row-error").await?;
    assert_eq!(errors.len(), 2, "one error each");
    app.show("csv-dry-run").await?;
    app.shot("02-two-bad-rows").await?;

    app.click("csv-skip-invalid").await?;
    app.text_until("csv-import", "the button counts", |t| {
        t.contains("Import 48 clients")
    })
    .await?;
    app.click("csv-import").await?;
    let done = app
        .text_until("csv-imported", "the import", |t| t.contains("Imported 48"))
        .await?;
    assert!(
        done.contains(&format!("rows {BAD_DATE_ROW}, {NO_NAME_ROW}")),
        "{done}"
    );
    app.shot("03-imported").await?;

    app.click("csv-to-clients").await?;
    app.until("48 clients listed", || async {
        listed(app, "client-row").await == 48
    })
    .await?;
    app.shot("04-clients").await?;

    // The whole practice, exported from Settings for the next practice.
    app.click("nav-settings").await?;
    app.click("settings-jump-export").await?;
    app.click("export-practice").await?;
    app.click("export-confirm").await?;
    app.text_until("export-saved-path", "the export", |t| {
        t.contains("practice-export-")
    })
    .await?;
    app.click("export-done").await?;
    Ok(())
}

async fn from_export(app: &App) -> Result<()> {
    app.create_practice().await?;
    app.click("nav-clients").await?;
    app.click("empty-import-practice").await?;
    let holds = app
        .text_until("import-practice-holds", "the check", |t| {
            t.contains("48 clients")
        })
        .await?;
    assert!(holds.contains("48 clients"), "{holds}");
    app.shot("05-practice-export-checked").await?;
    app.click("import-practice-run").await?;
    app.text_until("import-practice-done", "the import", |t| {
        t.contains("Imported")
    })
    .await?;
    app.shot("06-practice-imported").await?;
    app.click("import-practice-close").await?;
    app.until("48 clients listed", || async {
        listed(app, "client-row").await == 48
    })
    .await?;
    app.shot("07-clients-of-the-new-practice").await?;
    Ok(())
}
