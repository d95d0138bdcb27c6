//! Harness for driving the real KAP Practice app: starts `tauri-driver` (which starts
//! WebKitWebDriver, which starts the app) and hands out WebDriver sessions, saving a
//! screenshot of every step under `target/e2e-screenshots/`, and checking each step's page
//! and dialogs with axe-core ([`axe`]).
//!
//! The app binary is `KAP_E2E_APP` (`scripts/e2e` makes it `tests/e2e/traced-app`, which
//! runs `KAP_E2E_REAL_APP` under strace: in CI the app installed from the .deb). The
//! practice folder is a temp dir passed to the app as `KAP_DATA_DIR`.
//!
//! Every process a test starts stays its descendant ([`procs`]): a launch ends only when
//! the app's processes have exited (a second instance would otherwise hand over to a
//! dying first one and exit, leaving WebKitWebDriver waiting), and a driver stops only
//! when tauri-driver, WebKitWebDriver and everything under them are gone and their ports
//! are free, also when a test panics.

pub mod axe;
pub mod keys;
pub mod netcheck;
pub mod procs;

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use procs::Proc;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;
use tokio::process::{Child, Command};

pub type Result<T> = std::result::Result<T, Box<dyn std::error::Error + Send + Sync>>;

const PORT: u16 = 4444;
const NATIVE_PORT: u16 = 4445;
const WAIT: Duration = Duration::from_secs(20);
/// How long tauri-driver and WebKitWebDriver may take to listen.
const DRIVER_START: Duration = Duration::from_secs(30);
/// How long the app may take to open its window and its WebDriver session (it is slower
/// under strace, on a busy 2-core machine).
const APP_START: Duration = Duration::from_secs(90);
/// How long the app may take to exit after its window closed.
const APP_EXIT: Duration = Duration::from_secs(30);
/// A quit slower than this has its threads' state recorded (see [`App::quit`]).
const SLOW_QUIT: Duration = Duration::from_secs(5);
/// How long an earlier run's drivers may take to free the ports.
const PORTS_FREE: Duration = Duration::from_secs(30);

/// A fresh, empty folder for one test's screenshots: `target/e2e-screenshots/<name>/`.
pub fn screenshot_dir(name: &str) -> Result<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../target/e2e-screenshots")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// A running tauri-driver; each [`Driver::launch`] starts the app afresh in the same
/// practice folder.
pub struct Driver {
    child: Child,
    pid: i32,
    app: PathBuf,
    shots: PathBuf,
    stopped: bool,
}

/// The processes of the app (and WebKit's under it): everything this test started,
/// except tauri-driver (`driver`) and its WebKitWebDriver.
fn app_processes(driver: i32) -> Vec<Proc> {
    procs::descendants(procs::me())
        .into_iter()
        .filter(|p| !p.zombie && p.pid != driver && p.ppid != driver)
        .collect()
}

impl Driver {
    /// Starts tauri-driver with `data_dir` as the practice folder for every launch, and
    /// `env` set for the app (e.g. to take its keychain away). Screenshots go to `shots`,
    /// with tauri-driver's and WebKitWebDriver's output in `shots/driver.log`.
    pub async fn start(data_dir: &Path, shots: &Path, env: &[(&str, &str)]) -> Result<Driver> {
        let app = PathBuf::from(
            std::env::var_os("KAP_E2E_APP")
                .ok_or("KAP_E2E_APP must name the built app (scripts/test sets it)")?,
        );
        Driver::start_app(&app, data_dir, shots, env).await
    }

    /// [`Driver::start`] for a given app binary (`scripts/bench-start` starts two).
    pub async fn start_app(
        app: &Path,
        data_dir: &Path,
        shots: &Path,
        env: &[(&str, &str)],
    ) -> Result<Driver> {
        let app = app.to_owned();
        procs::adopt_orphans()?;
        // Anything an earlier driver of this process left behind, then its ports.
        let _ = procs::terminate(
            &procs::descendants(procs::me())
                .into_iter()
                .filter(|p| !p.zombie)
                .collect::<Vec<_>>(),
            Duration::from_secs(5),
        );
        procs::reap_zombies(&[]);
        let taken = procs::wait_ports_free(&[PORT, NATIVE_PORT], PORTS_FREE);
        if !taken.is_empty() {
            return Err(format!(
                "ports {taken:?} are still in use after {PORTS_FREE:?}: a tauri-driver or \
                 WebKitWebDriver of another run is listening (scripts/e2e runs the suite in \
                 its own network namespace to avoid this)"
            )
            .into());
        }
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(shots.join("driver.log"))?;
        let mut cmd = Command::new("tauri-driver");
        cmd.args([
            "--port",
            &PORT.to_string(),
            "--native-port",
            &NATIVE_PORT.to_string(),
        ])
        .env("KAP_DATA_DIR", data_dir);
        // Names this test's traces when the app runs under tests/e2e/traced-app.
        if let Some(tag) = shots.file_name() {
            cmd.env("KAP_E2E_TRACE_TAG", tag);
        }
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = cmd
            .stdout(Stdio::null())
            .stderr(log)
            .kill_on_drop(true)
            .spawn()?;
        let pid = child
            .id()
            .and_then(|p| i32::try_from(p).ok())
            .ok_or("tauri-driver has no pid")?;
        let mut driver = Driver {
            child,
            pid,
            app,
            shots: shots.to_owned(),
            stopped: false,
        };
        let deadline = tokio::time::Instant::now() + DRIVER_START;
        loop {
            let up = tokio::net::TcpStream::connect(("127.0.0.1", PORT))
                .await
                .is_ok()
                && tokio::net::TcpStream::connect(("127.0.0.1", NATIVE_PORT))
                    .await
                    .is_ok();
            if up {
                return Ok(driver);
            }
            if let Ok(Some(status)) = driver.child.try_wait() {
                driver.cleanup();
                return Err(format!(
                    "tauri-driver exited ({status}) before listening on {PORT} and \
                     {NATIVE_PORT}; see {}",
                    driver.shots.join("driver.log").display()
                )
                .into());
            }
            if tokio::time::Instant::now() > deadline {
                driver.cleanup();
                return Err(format!(
                    "tauri-driver and WebKitWebDriver were not listening on {PORT} and \
                     {NATIVE_PORT} after {DRIVER_START:?}; see {}",
                    driver.shots.join("driver.log").display()
                )
                .into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Launches the app and connects to its webview.
    pub async fn launch(&self) -> Result<App> {
        // A launch begins with no app of this test running: a second instance would hand
        // over to it and exit at once.
        let left = procs::wait_gone(&app_processes(self.pid), APP_EXIT);
        if !left.is_empty() {
            return Err(format!("an earlier launch of the app is still running: {left:?}").into());
        }
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), "wry".into());
        caps.insert(
            "tauri:options".into(),
            serde_json::json!({ "application": self.app }),
        );
        let mut builder = ClientBuilder::native();
        builder.capabilities(caps);
        let url = format!("http://127.0.0.1:{PORT}");
        let client = match tokio::time::timeout(APP_START, builder.connect(&url)).await {
            Ok(client) => client?,
            Err(_) => {
                return Err(format!(
                    "the app did not open its WebDriver session within {APP_START:?}; \
                     processes: {:?}; see {}",
                    app_processes(self.pid),
                    self.shots.join("driver.log").display()
                )
                .into())
            }
        };
        let app = App {
            client,
            shots: self.shots.clone(),
            driver: self.pid,
        };
        app.check_clock().await?;
        Ok(app)
    }

    /// Stops tauri-driver with SIGTERM (it then ends WebKitWebDriver), ends whatever else
    /// this test started, and waits until the driver ports are free.
    pub async fn stop(mut self) {
        self.cleanup();
    }

    /// Ends every process this test started, in order: the app, tauri-driver (SIGTERM,
    /// which ends WebKitWebDriver), then anything left (SIGTERM, SIGKILL after 5 s).
    fn cleanup(&mut self) {
        if self.stopped {
            return;
        }
        self.stopped = true;
        let grace = Duration::from_secs(5);
        let _ = procs::terminate(&app_processes(self.pid), grace);
        let before = procs::descendants(procs::me());
        if let Some(driver) = before.iter().find(|p| p.pid == self.pid) {
            procs::signal(driver, rustix::process::Signal::TERM);
        }
        let deadline = std::time::Instant::now() + grace;
        while !matches!(self.child.try_wait(), Ok(Some(_))) {
            if std::time::Instant::now() > deadline {
                let _ = self.child.start_kill();
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let mut rest: Vec<Proc> = before;
        rest.extend(procs::descendants(procs::me()));
        rest.retain(|p| !p.zombie && p.pid != self.pid);
        let _ = procs::terminate(&rest, grace);
        let _ = self.child.try_wait();
        procs::reap_zombies(&[self.pid]);
        let _ = procs::wait_ports_free(&[PORT, NATIVE_PORT], Duration::from_secs(10));
    }
}

impl Drop for Driver {
    /// A test that panics still leaves nothing running for the next one.
    fn drop(&mut self) {
        self.cleanup();
    }
}

/// One launch of the app.
pub struct App {
    pub client: Client,
    shots: PathBuf,
    driver: i32,
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
                let _ = self.picture(&format!("failed-waiting-for-{id}")).await;
                return Err(format!("no visible element {sel} after {WAIT:?}").into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Scrolls the element with this `data-testid` to the top of the window, for a
    /// screenshot of that part of a page.
    pub async fn show(&self, id: &str) -> Result<()> {
        let e = self.el(id).await?;
        self.client
            .execute(
                "arguments[0].scrollIntoView({block: 'start'});",
                vec![serde_json::to_value(&e)?],
            )
            .await
            .map_err(|err| format!("scrolling to {id}: {err}"))?;
        Ok(())
    }

    /// All elements with this `data-testid` (possibly none), without waiting.
    pub async fn all(&self, id: &str) -> Result<Vec<Element>> {
        Ok(self.client.find_all(Locator::Css(&tid(id))).await?)
    }

    /// Scrolls an element to the middle of the window, clear of sticky headers and
    /// footers, as a person scrolls to what they are about to use.
    async fn reveal(&self, e: &Element) {
        if let Ok(arg) = serde_json::to_value(e) {
            let _ = self
                .client
                .execute("arguments[0].scrollIntoView({block: 'center'});", vec![arg])
                .await;
        }
    }

    /// Clicks the element with this `data-testid`, as a person would.
    pub async fn click(&self, id: &str) -> Result<()> {
        let e = self.el(id).await?;
        match self.click_el(&e).await {
            Ok(()) => Ok(()),
            Err(err) => {
                let _ = self.picture(&format!("failed-click-{id}")).await;
                Err(format!("clicking {id}: {err}").into())
            }
        }
    }

    /// Chooses an option of a `<select>` by typing its label into it, as a keyboard user
    /// would (pointer clicks on options are not supported by WebKitWebDriver), and checks
    /// that the select now holds `value`.
    pub async fn choose(&self, id: &str, label: &str, value: &str) -> Result<()> {
        let e = self.el(id).await?;
        self.reveal(&e).await;
        if let Err(err) = e.send_keys(label).await {
            let _ = self.picture(&format!("failed-choosing-{id}")).await;
            return Err(format!("choosing {label:?} in {id}: {err}").into());
        }
        let got = e.prop("value").await?.unwrap_or_default();
        if got != value {
            return Err(
                format!("select {id}: typed {label:?}, holds {got:?}, wanted {value:?}").into(),
            );
        }
        Ok(())
    }

    /// Presses Escape in the focused element (closes a dialog, as a person would).
    pub async fn escape(&self) -> Result<()> {
        self.client
            .active_element()
            .await?
            .send_keys("\u{E00C}")
            .await?;
        Ok(())
    }

    /// Activates an element from the keyboard (focus, then Enter), as a keyboard user
    /// would. Used for client rows: WebKitWebDriver reports a pointer click on a row whose
    /// name holds a right-to-left override as intercepted by the row's own text.
    pub async fn activate(&self, e: &Element) -> Result<()> {
        e.send_keys("\u{E007}").await?;
        Ok(())
    }

    /// Clicks an element. A click that lands on something else (a list still re-rendering
    /// under a debounced search, a closing dialog) is retried for a moment.
    ///
    /// Before each try the element is scrolled to the middle and must hold still for 50 ms
    /// and be what is under its centre (not a sticky footer, not a page still
    /// laying itself out after it appeared): a click that lands on something else is a
    /// test that fails for no reason, or worse, passes on the wrong element.
    pub async fn click_el(&self, e: &Element) -> Result<()> {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
        loop {
            let ready = self.ready_to_click(e).await;
            if ready || tokio::time::Instant::now() >= deadline {
                match e.click().await {
                    Ok(()) => return Ok(()),
                    Err(err) if tokio::time::Instant::now() < deadline => {
                        let _ = err;
                    }
                    Err(err) => return Err(err.into()),
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Scrolls the element to the middle and reports whether, 50 ms later, it is where it
    /// was and is what a click at its centre would hit.
    async fn ready_to_click(&self, e: &Element) -> bool {
        const READY: &str = r#"
            const [e, done] = arguments;
            e.scrollIntoView({ block: 'center' });
            const before = e.getBoundingClientRect();
            setTimeout(() => {
              const r = e.getBoundingClientRect();
              const still = r.x === before.x && r.y === before.y && r.width > 0 && r.height > 0;
              const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
              done(still && hit !== null && e.contains(hit));
            }, 50);
        "#;
        let Ok(arg) = serde_json::to_value(e) else {
            return false;
        };
        matches!(
            self.client.execute_async(READY, vec![arg]).await,
            Ok(serde_json::Value::Bool(true))
        )
    }

    /// Clears a field and types into it.
    pub async fn fill(&self, id: &str, text: &str) -> Result<()> {
        let e = self.el(id).await?;
        self.reveal(&e).await;
        let typed = async {
            e.clear().await?;
            e.send_keys(text).await
        };
        if let Err(err) = typed.await {
            let _ = self.picture(&format!("failed-typing-into-{id}")).await;
            return Err(format!("typing into {id}: {err}").into());
        }
        Ok(())
    }

    pub async fn text(&self, id: &str) -> Result<String> {
        let e = self.el(id).await?;
        e.text()
            .await
            .map_err(|err| format!("reading the text of {id}: {err}").into())
    }

    /// The element's exact `textContent`, without WebDriver's whitespace rendering.
    pub async fn text_content(&self, id: &str) -> Result<String> {
        let e = self.el(id).await?;
        let text = e
            .prop("textContent")
            .await
            .map_err(|err| format!("reading the textContent of {id}: {err}"))?;
        Ok(text.unwrap_or_default())
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

    /// The folder this launch's screenshots go to.
    pub fn shots_dir(&self) -> &Path {
        &self.shots
    }

    /// Saves a screenshot of the webview as `<step>.png`, then checks what it shows (the
    /// page and any open dialog) with axe-core: a serious or critical accessibility
    /// violation fails the step ([`axe::check`], the report in `<step>.axe.json`).
    pub async fn shot(&self, step: &str) -> Result<()> {
        self.picture(step).await?;
        axe::check(&self.client, &self.shots, step).await
    }

    /// Saves a screenshot of the webview as `<step>.png`, without the accessibility
    /// check: for the picture of a step that failed, taken as it was.
    async fn picture(&self, step: &str) -> Result<()> {
        // Let transitions and fonts settle so the picture is what a person would see, and
        // wait for two painted frames: on a busy machine WebKit's picture can lag the page.
        tokio::time::sleep(Duration::from_millis(300)).await;
        let _ = self
            .client
            .execute_async(
                "const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => done(true)));",
                vec![],
            )
            .await;
        // WebKitWebDriver answers a screenshot taken while WebKit is between frames with a
        // bare "unknown error"; the picture is an observation of the page, so it is taken
        // again a moment later rather than failing the step it illustrates.
        // The harness prints nothing (the workspace lint): a picture that never comes is an
        // error naming every try's answer.
        let mut answers = Vec::new();
        let png = loop {
            match self.client.screenshot().await {
                Ok(png) => break png,
                Err(e) => {
                    answers.push(e.to_string());
                    if answers.len() == 3 {
                        return Err(
                            format!("screenshot {step}: {}", answers.join("; then ")).into()
                        );
                    }
                    tokio::time::sleep(Duration::from_millis(500)).await;
                }
            }
        };
        std::fs::write(self.shots.join(format!("{step}.png")), png)?;
        Ok(())
    }

    /// Closes the window, which quits the app, and waits until the app's processes have
    /// exited (those still running after 30 s are ended, and that is an error).
    pub async fn quit(self) -> Result<()> {
        let closed = self.client.close().await;
        let driver = self.driver;
        let shots = self.shots.clone();
        let left = tokio::task::spawn_blocking(move || {
            let running = app_processes(driver);
            // A quit still running after SLOW_QUIT (the app's own limit is 10 s): what
            // each thread waits in, appended to quit.txt beside the screenshots.
            let slow = procs::wait_gone(&running, SLOW_QUIT);
            let threads: Vec<String> = slow.iter().map(procs::describe).collect();
            if !slow.is_empty() {
                let _ = std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(shots.join("quit.txt"))
                    .and_then(|mut f| {
                        use std::io::Write;
                        writeln!(f, "still running {SLOW_QUIT:?} after the window closed:")?;
                        writeln!(f, "{}", threads.join("\n"))
                    });
            }
            let left = procs::wait_gone(&running, APP_EXIT.saturating_sub(SLOW_QUIT));
            if !left.is_empty() {
                let _ = procs::terminate(&left, Duration::from_secs(5));
            }
            procs::reap_zombies(&[driver]);
            (left, threads)
        })
        .await?;
        let (left, threads) = left;
        closed?;
        if !left.is_empty() {
            return Err(format!(
                "the app was still running {APP_EXIT:?} after its window closed: {left:?}\nits threads at {SLOW_QUIT:?}:\n{}",
                threads.join("\n")
            )
            .into());
        }
        Ok(())
    }
}

/// How far the webview's clock may be from the harness's (the same clock, read a moment
/// apart on a busy machine).
const CLOCK_SKEW: chrono::Duration = chrono::Duration::seconds(120);

impl App {
    /// The test, the app and WebKit's processes must read one clock: the test chooses
    /// dates from it and the app decides from it what "today" and "started" mean. Checks
    /// that the webview's JavaScript clock agrees with the harness's and, when the suite
    /// runs under a shifted clock (`scripts/clock-shift`: libfaketime in `LD_PRELOAD`),
    /// that every process of the app has libfaketime loaded. What was found is appended
    /// to `clock.txt` beside the screenshots.
    async fn check_clock(&self) -> Result<()> {
        let webview = self.client.execute("return Date.now();", vec![]).await?;
        let harness = chrono::Utc::now();
        let webview = webview
            .as_f64()
            .and_then(|ms| chrono::DateTime::from_timestamp_millis(ms as i64))
            .ok_or("the webview's Date.now() is not a time")?;
        let ny = |t: chrono::DateTime<chrono::Utc>| {
            t.with_timezone(&chrono_tz::America::New_York)
                .format("%Y-%m-%d %H:%M:%S %Z")
                .to_string()
        };
        let mut lines = vec![format!(
            "harness {} ({}), webview {} ({})",
            harness.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            ny(harness),
            webview.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            ny(webview),
        )];
        let mut problems = Vec::new();
        if (webview - harness).abs() > CLOCK_SKEW {
            problems.push(format!(
                "the webview's clock is {} s from the harness's",
                (webview - harness).num_seconds()
            ));
        }
        let preload = std::env::var("LD_PRELOAD").unwrap_or_default();
        if preload.contains("faketime") {
            let procs = app_processes(self.driver);
            for p in &procs {
                // None: the process has gone (or cannot be read) since it was listed.
                let loaded = std::fs::read_to_string(format!("/proc/{}/maps", p.pid))
                    .ok()
                    .map(|m| m.contains("libfaketime"));
                lines.push(format!(
                    "{} {}: libfaketime loaded: {loaded:?}",
                    p.pid, p.comm
                ));
                if loaded == Some(false) {
                    problems.push(format!("{} ({}) runs without libfaketime", p.comm, p.pid));
                }
            }
            for want in ["kap-practice", "WebKitWebProces"] {
                if !procs.iter().any(|p| p.comm == want) {
                    problems.push(format!("no {want} process found to check"));
                }
            }
        }
        let mut log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.shots.join("clock.txt"))?;
        use std::io::Write as _;
        writeln!(log, "{}", lines.join("\n"))?;
        if problems.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "the app does not share the test's clock: {}",
                problems.join("; ")
            )
            .into())
        }
    }

    /// The core-file size limit, soft and hard, of each of the app's own processes
    /// (the app and WebKit's, not strace or the driver): `(name, pid, "soft hard")`
    /// from `/proc/PID/limits`. A process that has gone since it was listed is left out.
    pub fn core_file_limits(&self) -> Vec<(String, i32, String)> {
        app_processes(self.driver)
            .into_iter()
            .filter(|p| p.comm == "kap-practice" || p.comm.starts_with("WebKit"))
            .filter_map(|p| {
                let limits = std::fs::read_to_string(format!("/proc/{}/limits", p.pid)).ok()?;
                let line = limits
                    .lines()
                    .find(|l| l.starts_with("Max core file size"))?;
                let words: Vec<&str> = line
                    .trim_start_matches("Max core file size")
                    .split_whitespace()
                    .collect();
                Some((p.comm, p.pid, words.get(..2)?.join(" ")))
            })
            .collect()
    }
}

/// Today in New York by the test's clock (the same clock the app reads).
pub fn today() -> NaiveDate {
    chrono::Utc::now()
        .with_timezone(&chrono_tz::America::New_York)
        .date_naive()
}

/// When the tests' KAP session starts: yesterday at 10:00 in New York. It has started
/// whatever the hour now (so it can be completed), 10:00 exists exactly once on every
/// day (New York's clocks change at 2:00), and a three-hour session from 10:00 and the
/// hour after it stay far from midnight. Its week may be last week: see
/// [`App::show_week_of`].
pub fn session_start() -> NaiveDateTime {
    let yesterday = today().pred_opt().expect("a day before today");
    yesterday
        .and_hms_opt(10, 0, 0)
        .expect("10:00 is a time of day")
}

/// The passphrase the end-to-end practices use.
pub const PASSPHRASE: &str = "quiet river morning 42";

impl App {
    /// First run: creates the practice and goes past the recovery page to Home.
    pub async fn create_practice(&self) -> Result<()> {
        self.el("create-practice-form").await?;
        self.fill("practice-name", "Union Square KAP").await?;
        self.fill("therapist-name", "Dana Whitfield").await?;
        self.fill("passphrase", PASSPHRASE).await?;
        self.fill("passphrase-again", PASSPHRASE).await?;
        self.click("create-practice-submit").await?;
        self.click("recovery-continue").await?;
        self.el("home-page").await?;
        Ok(())
    }

    /// Waits until the element's text satisfies `f`, and returns the text.
    pub async fn text_until(
        &self,
        id: &str,
        what: &str,
        f: impl Fn(&str) -> bool,
    ) -> Result<String> {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            if let Ok(t) = self.text(id).await {
                if f(&t) {
                    return Ok(t);
                }
                if tokio::time::Instant::now() > deadline {
                    return Err(format!("{id}: {what}; it says {t:?}").into());
                }
            } else if tokio::time::Instant::now() > deadline {
                return Err(format!("{id}: {what}; not found").into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

/// The contraindication checklist's items switched on in a new practice.
pub const CHECKLIST: [&str; 8] = [
    "active_substance_abuse",
    "pregnancy",
    "nursing",
    "psychosis",
    "hyperthyroidism",
    "acute_mania",
    "recent_tbi",
    "cardiovascular",
];

impl App {
    /// The date a date field holds (MM/DD/YYYY), e.g. the default a form chose.
    pub async fn date_in(&self, id: &str) -> Result<NaiveDate> {
        let e = self.el(id).await?;
        let text = e.prop("value").await?.unwrap_or_default();
        NaiveDate::parse_from_str(text.trim(), "%m/%d/%Y")
            .map_err(|err| format!("{id} holds {text:?}, not a date: {err}").into())
    }

    /// On the Calendar page, goes to the week holding `day`, reading which week is shown
    /// from the page itself (its hour slots are named by date), so the test does not
    /// guess what "this week" was when the page opened.
    pub async fn show_week_of(&self, day: NaiveDate) -> Result<()> {
        const SLOT: &str = "calendar-slot-";
        for _ in 0..60 {
            let slot = self
                .client
                .find(Locator::Css(&format!("[data-testid^=\"{SLOT}\"]")))
                .await?;
            let id = slot.attr("data-testid").await?.unwrap_or_default();
            let shown = id
                .strip_prefix(SLOT)
                .and_then(|rest| rest.get(..10))
                .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
                .ok_or_else(|| format!("a calendar slot named {id:?}"))?;
            let monday =
                shown - chrono::Duration::days(i64::from(shown.weekday().num_days_from_monday()));
            let weeks = (day - monday).num_days().div_euclid(7);
            if weeks == 0 {
                self.el(&format!("{SLOT}{day}-10")).await?;
                return Ok(());
            }
            let button = if weeks < 0 {
                "calendar-prev-week"
            } else {
                "calendar-next-week"
            };
            self.click(button).await?;
            // The page shows the new week when its first slot is named by a new date.
            self.until("the calendar shows another week", || async {
                match self
                    .client
                    .find(Locator::Css(&format!("[data-testid^=\"{SLOT}\"]")))
                    .await
                {
                    Ok(e) => e
                        .attr("data-testid")
                        .await
                        .ok()
                        .flatten()
                        .is_some_and(|n| n != id),
                    Err(_) => false,
                }
            })
            .await?;
        }
        Err(format!("the calendar never showed the week of {day}").into())
    }
}

/// A date as typed into a date field: MM/DD/YYYY.
pub fn us(d: NaiveDate) -> String {
    d.format("%m/%d/%Y").to_string()
}

/// Adds a client with everything clearance needs, all dated `on`, and leaves the client
/// page open.
pub async fn cleared_client(app: &App, name: &str, on: NaiveDate) -> Result<()> {
    app.click("nav-prescribers").await?;
    app.click("new-prescriber").await?;
    app.fill("prescriber-name", "Ana Ruiz").await?;
    app.fill("prescriber-npi", "1234567893").await?;
    app.click("save-prescriber").await?;
    app.el("prescriber-row").await?;
    app.click("nav-clients").await?;
    app.click("new-client").await?;
    app.fill("legal-name", name).await?;
    app.fill("date-of-birth", "09/14/1987").await?;
    app.click("save-client").await?;
    app.el("client-page").await?;
    for (button, prescriber) in [
        ("add-intake-mental-health", false),
        ("add-intake-medical", true),
    ] {
        app.click(button).await?;
        app.el("intake-form").await?;
        app.fill("intake-date", &us(on)).await?;
        if prescriber {
            app.choose("intake-prescriber", "Ana Ruiz, MD", "1").await?;
        }
        app.choose("intake-outcome", "Cleared", "cleared").await?;
        app.click("save-intake").await?;
    }
    app.click("record-screening").await?;
    app.el("screening-form").await?;
    app.fill("screening-date", &us(on)).await?;
    for code in CHECKLIST {
        app.choose(&format!("screening-answer-{code}"), "No", "no")
            .await?;
    }
    app.click("save-screening").await?;
    app.click("add-prescription").await?;
    app.el("prescription-form").await?;
    app.fill("prescription-date", &us(on)).await?;
    app.fill("prescription-strength", "100").await?;
    app.fill("prescription-quantity", "4").await?;
    app.fill(
        "prescription-directions",
        "One lozenge under the tongue, in session only.",
    )
    .await?;
    app.fill("prescription-pharmacy", "Union Square Compounding")
        .await?;
    app.click("save-prescription").await?;
    app.click("record-consent").await?;
    app.el("consent-form").await?;
    app.fill("consent-typed-name", name).await?;
    app.fill("consent-date", &us(on)).await?;
    app.click("save-consent").await?;
    app.text_until("clearance-badge", "cleared", |t| {
        t.starts_with("Cleared until")
    })
    .await?;
    Ok(())
}

/// Fills the appointment form for a client found by `search` and saves it.
pub async fn book(
    app: &App,
    kind: &str,
    search: &str,
    start: NaiveDateTime,
    location: Option<(&str, &str)>,
) -> Result<()> {
    app.el("appointment-form").await?;
    let value = match kind {
        "KAP session" => "kap_session",
        "Psychotherapy" => "psychotherapy",
        "Medical intake" => "medical_intake",
        "Integration session" => "integration_session",
        other => return Err(format!("no value known for {other}").into()),
    };
    app.choose("appointment-kind", kind, value).await?;
    pick_client(app, search).await?;
    app.el("appointment-client-chip").await?;
    app.fill("appointment-date", &us(start.date())).await?;
    app.fill("appointment-time", &start.format("%-I:%M %p").to_string())
        .await?;
    if let Some((label, value)) = location {
        app.choose("appointment-location", label, value).await?;
    }
    app.click("save-appointment").await
}

/// In the open appointment form: searches for a client and chooses the first match.
pub async fn pick_client(app: &App, search: &str) -> Result<()> {
    app.fill("appointment-client-search", search).await?;
    app.el("appointment-client-option").await?;
    let option = app
        .all("appointment-client-option")
        .await?
        .into_iter()
        .next()
        .ok_or("no client option")?;
    app.click_el(&option).await
}

/// The PDF files a folder holds (none when it cannot be read).
pub fn pdfs_in(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "pdf"))
                .collect()
        })
        .unwrap_or_default()
}

/// The real app binary (not the tracing wrapper the window tests launch), for running it
/// as the command-line tool.
pub fn app_binary() -> PathBuf {
    std::env::var_os("KAP_E2E_REAL_APP")
        .or_else(|| std::env::var_os("KAP_E2E_APP"))
        .map(PathBuf::from)
        .expect("KAP_E2E_APP must name the built app (scripts/test sets it)")
}

/// Runs the shipped binary as the command-line tool: `stdin` piped in, or none at all
/// (`/dev/null`, as from a script). Returns the exit code, standard output and error.
pub fn app_cli(args: &[&str], stdin: Option<&str>) -> (i32, String, String) {
    use std::io::Write;
    let mut child = std::process::Command::new(app_binary())
        .args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the app binary runs");
    if let (Some(text), Some(mut input)) = (stdin, child.stdin.take()) {
        input
            .write_all(text.as_bytes())
            .expect("the tool reads its input");
    }
    let out = child.wait_with_output().expect("the tool exits");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
