//! The keyboard alone, as a person without a pointer uses the app: WebDriver key actions
//! (Tab, Shift+Tab, Enter, Space, arrows, Escape, text) sent to whatever has the focus.
//! Nothing here clicks or moves the focus by script; the harness only reads which
//! element has the focus (its `data-testid`) to know when to stop tabbing.

use crate::{App, Result};
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use std::time::Duration;

/// How many presses of Tab (or Shift+Tab) may separate two controls on one screen. A
/// control further away than this is, for a keyboard user, as good as out of reach.
const MAX_TABS: usize = 60;

impl App {
    /// Presses and releases each key in turn (a character or a [`Key`]'s code).
    pub async fn keys(&self, keys: &str) -> Result<()> {
        let mut seq = KeyActions::new("keyboard".into());
        for k in keys.chars() {
            seq = seq
                .then(KeyAction::Down { value: k })
                .then(KeyAction::Up { value: k });
        }
        self.client.perform_actions(seq).await?;
        Ok(())
    }

    /// Presses one key while holding another (e.g. Shift+Tab: `Key::Shift.into()`,
    /// `Key::Tab.into()`).
    pub async fn chord(&self, hold: char, key: char) -> Result<()> {
        let seq = KeyActions::new("keyboard".into())
            .then(KeyAction::Down { value: hold })
            .then(KeyAction::Down { value: key })
            .then(KeyAction::Up { value: key })
            .then(KeyAction::Up { value: hold });
        self.client.perform_actions(seq).await?;
        Ok(())
    }

    pub async fn press(&self, key: Key) -> Result<()> {
        self.keys(&char::from(key).to_string()).await
    }

    /// Types text into the focused element, key by key.
    pub async fn type_text(&self, text: &str) -> Result<()> {
        self.keys(text).await
    }

    /// The `data-testid` of the focused element, or of the label around it (a checkbox
    /// named by its label), "" for none: read, not changed.
    pub async fn focused(&self) -> Result<String> {
        const FOCUSED: &str = r#"
            const e = document.activeElement;
            if (!e) return '';
            const named = e.hasAttribute('data-testid') ? e : e.closest('label[data-testid]');
            return (named && named.getAttribute('data-testid')) || '';
        "#;
        let v = self.client.execute(FOCUSED, vec![]).await?;
        Ok(v.as_str().unwrap_or_default().to_owned())
    }

    /// Waits until the element with this `data-testid` has the focus (a page or dialog
    /// that puts the focus somewhere itself, after it opened).
    pub async fn until_focused(&self, id: &str) -> Result<()> {
        self.until(&format!("{id} has the focus"), || async {
            self.focused().await.is_ok_and(|f| f == id)
        })
        .await
    }

    /// Moves the focus to the element with this `data-testid` with Tab, or Shift+Tab when
    /// `back`, as a keyboard user does; fails when it is not reached.
    async fn tab_until(&self, id: &str, back: bool) -> Result<()> {
        self.el(id).await?;
        for _ in 0..MAX_TABS {
            if self.focused().await? == id {
                return Ok(());
            }
            if back {
                self.chord(Key::Shift.into(), Key::Tab.into()).await?;
            } else {
                self.press(Key::Tab).await?;
            }
        }
        if self.focused().await? == id {
            return Ok(());
        }
        Err(format!(
            "{id} was not reached with {MAX_TABS} presses of {}; the focus is on {:?}",
            if back { "Shift+Tab" } else { "Tab" },
            self.focused().await?
        )
        .into())
    }

    /// Tabs to the element with this `data-testid` forward, or, when it is not ahead
    /// (a link back up the page, the main navigation), back with Shift+Tab.
    pub async fn reach(&self, id: &str) -> Result<()> {
        if self.tab_until(id, false).await.is_ok() {
            return Ok(());
        }
        let back = self.tab_until(id, true).await;
        self.out_of_reach(id, back).await
    }

    /// Takes the picture of a control the keyboard did not reach.
    async fn out_of_reach(&self, id: &str, tabbed: Result<()>) -> Result<()> {
        if tabbed.is_err() {
            let _ = self.picture(&format!("failed-tabbing-to-{id}")).await;
        }
        tabbed
    }

    /// Tabs forward to the element with this `data-testid`.
    pub async fn tab_to(&self, id: &str) -> Result<()> {
        let tabbed = self.tab_until(id, false).await;
        self.out_of_reach(id, tabbed).await
    }

    /// Shift+Tabs back to the element with this `data-testid`.
    pub async fn back_to(&self, id: &str) -> Result<()> {
        let tabbed = self.tab_until(id, true).await;
        self.out_of_reach(id, tabbed).await
    }

    /// Tabs to a button (or link) and presses Enter.
    pub async fn press_on(&self, id: &str) -> Result<()> {
        self.reach(id).await?;
        self.press(Key::Enter).await
    }

    /// Tabs to a field, selects what it holds (Ctrl+A) and types over it.
    pub async fn type_into(&self, id: &str, text: &str) -> Result<()> {
        self.reach(id).await?;
        self.chord(Key::Control.into(), 'a').await?;
        self.press(Key::Backspace).await?;
        self.type_text(text).await
    }

    /// Tabs to a `<select>` and types the start of an option's label, which chooses it
    /// (the keyboard's way with a closed select); checks it then holds `value`.
    pub async fn type_choice(&self, id: &str, label: &str, value: &str) -> Result<()> {
        self.reach(id).await?;
        self.type_text(label).await?;
        // Typing to a select picks an option after each key; let the last one settle.
        tokio::time::sleep(Duration::from_millis(100)).await;
        let got = self.el(id).await?.prop("value").await?.unwrap_or_default();
        if got != value {
            let _ = self.picture(&format!("failed-choosing-{id}")).await;
            return Err(
                format!("select {id}: typed {label:?}, holds {got:?}, wanted {value:?}").into(),
            );
        }
        Ok(())
    }
}
