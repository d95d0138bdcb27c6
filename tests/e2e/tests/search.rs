//! Global search in the real window: Ctrl+K from anywhere, part of a word from a signed
//! note, the snippet with the word marked, Enter opens that note; a day in words lists
//! that day's session; the header's search field opens the same list; a lock closes it
//! and forgets the words. Screenshots: `target/e2e-screenshots/search/`.

#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

use fantoccini::key::Key;
use kap_e2e::{book, screenshot_dir, session_start, App, Driver, Result, PASSPHRASE};

const NAME: &str = "Renée Lindqvist";

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the built app; scripts/test runs it under Xvfb"]
async fn find_a_note_by_a_word_and_open_it_from_the_keyboard() -> Result<()> {
    let data = tempfile::tempdir()?;
    let shots = screenshot_dir("search")?;
    let driver = Driver::start(data.path(), &shots, &[]).await?;
    let result = match driver.launch().await {
        Ok(app) => search(&app).await.and(app.quit().await),
        Err(e) => Err(e),
    };
    driver.stop().await;
    result
}

/// Opens the palette with Ctrl+K and waits for its field to have the focus.
async fn open_palette(app: &App) -> Result<()> {
    app.chord(Key::Control.into(), 'k').await?;
    app.until_focused("global-search-input").await
}

async fn search(app: &App) -> Result<()> {
    let start = session_start();
    app.create_practice().await?;

    // A client, yesterday's psychotherapy session, its note written and signed.
    app.click("nav-clients").await?;
    app.click("new-client").await?;
    app.fill("legal-name", NAME).await?;
    app.fill("date-of-birth", "03/02/1984").await?;
    app.click("save-client").await?;
    app.el("client-page").await?;
    app.click("book-for-client").await?;
    book(app, "Psychotherapy", "Lindqvist", start, None).await?;
    app.click("client-appointment-row").await?;
    app.el("appointment-view").await?;
    app.click("complete-appointment").await?;
    app.text_until("appointment-status", "completed", |t| {
        t.contains("Completed")
    })
    .await?;
    app.click("open-note").await?;
    app.el("note-editor").await?;
    app.fill(
        "note-text",
        "She talked about her dog Pepperoni and the long walks by the river at dawn.",
    )
    .await?;
    app.click("save-note").await?;
    app.click("sign-note").await?;
    app.click("confirm-sign").await?;
    app.el("note-signed").await?;
    // Private process notes of the same session: kept apart, and never found by search.
    app.click("note-back").await?;
    app.el("appointment-view").await?;
    app.click("open-process-note").await?;
    app.el("process-note-private").await?;
    app.fill(
        "process-note-body",
        "Countertransference: her calm about Pepperoni felt rehearsed.",
    )
    .await?;
    app.shot("00-private-process-notes").await?;
    app.click("save-process-note").await?;
    app.click("open-process-note").await?;
    let kept = app
        .el("process-note-body")
        .await?
        .prop("value")
        .await?
        .unwrap_or_default();
    assert!(kept.starts_with("Countertransference"), "{kept}");
    app.escape().await?;
    app.click("nav-home").await?;
    app.el("home-page").await?;

    // Ctrl+K from Home; the empty palette says what it finds.
    open_palette(app).await?;
    app.shot("01-palette-empty").await?;
    // Part of a word from the note, accent- and case-blind: the note, its snippet marked.
    app.type_text("peppe").await?;
    let snippet = app
        .text_until("search-snippet", "the note's words", |t| {
            t.contains("Pepperoni")
        })
        .await?;
    assert!(snippet.contains("her dog Pepperoni"), "{snippet}");
    let mark = app
        .client
        .find(fantoccini::Locator::Css(
            "[data-testid=search-snippet] mark",
        ))
        .await?
        .text()
        .await?;
    assert_eq!(mark, "Pepperoni", "the matching word is marked");
    let group = app.text("search-group-note").await?;
    assert!(
        group.to_lowercase().contains("session notes") && group.contains(NAME),
        "{group}"
    );
    app.shot("02-a-word-from-a-note").await?;

    // Enter opens that note, signed, with its text.
    app.press(Key::Enter).await?;
    app.el("note-editor").await?;
    app.el("note-signed").await?;
    app.until("the palette closed", || async {
        match app.all("global-search").await {
            Ok(v) => match v.first() {
                Some(d) => !d.is_displayed().await.unwrap_or(true),
                None => true,
            },
            Err(_) => false,
        }
    })
    .await?;
    let page = app.text("note-editor").await?;
    assert!(page.contains("Pepperoni"), "the note opened: {page}");
    app.shot("03-the-note-opened").await?;

    // The process notes' words find nothing.
    open_palette(app).await?;
    app.type_text("countertransference").await?;
    app.text_until("global-search-empty", "no result", |t| {
        t.contains("Nothing matches")
    })
    .await?;
    assert!(
        app.all("search-snippet").await?.is_empty(),
        "process notes are not searched"
    );
    app.press(Key::Escape).await?;

    // The header's field opens the same list; the client by a name typed without its
    // accent; a day in words lists that day's session; arrows move and Enter opens.
    app.click("open-search").await?;
    app.until_focused("global-search-input").await?;
    let day = start.date().format("%b %-d").to_string();
    app.type_text(&day).await?;
    app.text_until("search-group-appointment", "the day's session", |t| {
        t.contains("Psychotherapy") && t.contains(NAME)
    })
    .await?;
    app.shot("04-a-day-in-words").await?;
    app.press(Key::Escape).await?;
    open_palette(app).await?;
    let typed = app
        .el("global-search-input")
        .await?
        .prop("value")
        .await?
        .unwrap_or_default();
    assert_eq!(typed, "", "closing the palette forgets the words");
    app.type_text("renee lind").await?;
    app.text_until("search-group-client", "the client", |t| t.contains(NAME))
        .await?;
    app.press(Key::Enter).await?;
    app.text_until("client-name", "the client's page", |t| t == NAME)
        .await?;

    // A lock closes the palette and drops its words: after unlocking, nothing is left.
    open_palette(app).await?;
    app.type_text("pepperoni").await?;
    app.el("search-snippet").await?;
    app.chord(Key::Control.into(), 'l').await?;
    app.el("lock-screen").await?;
    assert!(
        app.all("global-search-input").await?.is_empty(),
        "no palette behind the lock screen"
    );
    app.shot("05-locked").await?;
    app.fill("unlock-passphrase", PASSPHRASE).await?;
    app.click("unlock-submit").await?;
    app.el("client-page").await?;
    open_palette(app).await?;
    let typed = app
        .el("global-search-input")
        .await?
        .prop("value")
        .await?
        .unwrap_or_default();
    assert_eq!(typed, "", "the words did not outlive the lock");
    app.press(Key::Escape).await?;
    Ok(())
}
