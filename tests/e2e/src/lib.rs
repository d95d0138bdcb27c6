//! Harness for driving the real KAP Practice app: starts `tauri-driver` (which starts
//! WebKitWebDriver, which starts the app) and hands out WebDriver sessions, saving a
//! screenshot of every step under `target/e2e-screenshots/`.
//!
//! The app binary is `KAP_E2E_APP` (built by `scripts/build-app`). The practice folder is
//! a temp dir passed to the app as `KAP_DATA_DIR`.

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;
use tokio::process::{Child, Command};

pub type Result<T> = std::result::Result<T, Box<dyn std::error::Error + Send + Sync>>;

const PORT: u16 = 4444;
const NATIVE_PORT: u16 = 4445;
const WAIT: Duration = Duration::from_secs(20);

/// A running tauri-driver; each [`Driver::launch`] starts the app afresh in the same
/// practice folder.
pub struct Driver {
    child: Child,
    app: PathBuf,
    shots: PathBuf,
}

impl Driver {
    /// Starts tauri-driver with `data_dir` as the practice folder for every launch.
    pub async fn start(data_dir: &Path, shots_subdir: &str) -> Result<Driver> {
        let app = PathBuf::from(
            std::env::var_os("KAP_E2E_APP")
                .ok_or("KAP_E2E_APP must name the built app (scripts/test sets it)")?,
        );
        let shots = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../target/e2e-screenshots")
            .join(shots_subdir);
        let _ = std::fs::remove_dir_all(&shots);
        std::fs::create_dir_all(&shots)?;
        let child = Command::new("tauri-driver")
            .args([
                "--port",
                &PORT.to_string(),
                "--native-port",
                &NATIVE_PORT.to_string(),
            ])
            .env("KAP_DATA_DIR", data_dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()?;
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", PORT))
                .await
                .is_ok()
            {
                return Ok(Driver { child, app, shots });
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Err("tauri-driver did not start listening".into())
    }

    /// Launches the app and connects to its webview.
    pub async fn launch(&self) -> Result<App> {
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), "wry".into());
        caps.insert(
            "tauri:options".into(),
            serde_json::json!({ "application": self.app }),
        );
        let client = ClientBuilder::native()
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{PORT}"))
            .await?;
        Ok(App {
            client,
            shots: self.shots.clone(),
        })
    }

    /// Stops tauri-driver with SIGTERM so it can stop WebKitWebDriver too.
    pub async fn stop(mut self) {
        if let Some(pid) = self.child.id() {
            let _ = std::process::Command::new("kill")
                .args(["-TERM", &pid.to_string()])
                .status();
            let _ = tokio::time::timeout(Duration::from_secs(5), self.child.wait()).await;
        }
        let _ = self.child.kill().await;
    }
}

/// One launch of the app.
pub struct App {
    pub client: Client,
    shots: PathBuf,
}

pub fn tid(id: &str) -> String {
    format!("[data-testid=\"{id}\"]")
}

impl App {
    /// Waits for the element with this `data-testid` to exist and be displayed.
    pub async fn el(&self, id: &str) -> Result<Element> {
        let sel = tid(id);
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            if let Ok(e) = self.client.find(Locator::Css(&sel)).await {
                if e.is_displayed().await.unwrap_or(false) {
                    return Ok(e);
                }
            }
            if tokio::time::Instant::now() > deadline {
                return Err(format!("no visible element {sel} after {WAIT:?}").into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// All elements with this `data-testid` (possibly none), without waiting.
    pub async fn all(&self, id: &str) -> Result<Vec<Element>> {
        Ok(self.client.find_all(Locator::Css(&tid(id))).await?)
    }

    pub async fn click(&self, id: &str) -> Result<()> {
        self.el(id).await?.click().await?;
        Ok(())
    }

    /// Clears a field and types into it.
    pub async fn fill(&self, id: &str, text: &str) -> Result<()> {
        let e = self.el(id).await?;
        e.clear().await?;
        e.send_keys(text).await?;
        Ok(())
    }

    pub async fn text(&self, id: &str) -> Result<String> {
        Ok(self.el(id).await?.text().await?)
    }

    /// The element's exact `textContent`, without WebDriver's whitespace rendering.
    pub async fn text_content(&self, id: &str) -> Result<String> {
        let e = self.el(id).await?;
        Ok(e.prop("textContent").await?.unwrap_or_default())
    }

    /// Waits until `f` holds, polling.
    pub async fn until<F, Fut>(&self, what: &str, mut f: F) -> Result<()>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = bool>,
    {
        let deadline = tokio::time::Instant::now() + WAIT;
        while !f().await {
            if tokio::time::Instant::now() > deadline {
                return Err(format!("timed out waiting for: {what}").into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Ok(())
    }

    /// Saves a screenshot of the webview as `<step>.png`.
    pub async fn shot(&self, step: &str) -> Result<()> {
        // Let transitions and fonts settle so the picture is what a person would see.
        tokio::time::sleep(Duration::from_millis(300)).await;
        let png = self.client.screenshot().await?;
        std::fs::write(self.shots.join(format!("{step}.png")), png)?;
        Ok(())
    }

    /// Closes the window, which quits the app.
    pub async fn quit(self) -> Result<()> {
        self.client.close().await?;
        Ok(())
    }
}
