//! Times what a therapist does in the real window of the packaged app on the decade-size
//! demo practice, and how much memory the app holds (`scripts/bench-ui`).
//!
//! Every interaction is timed by the page itself (`ui/src/lib/perf.ts`): from the input
//! event to the frame that showed its last change, once no IPC call is in flight, as a
//! `kap:<data-testid>` User Timing measure. The harness performs each input through
//! WebDriver, waits for its measure to appear and reads its duration, so WebDriver's own
//! round trips are never counted. Between batches the measures are cleared.
//!
//! Interactions, at least `--samples` each (default 20):
//! - opening Home, Clients, Calendar and Billing from the navigation, in turn (each click a
//!   real navigation);
//! - each keystroke of a search on the Clients page (a name's first letters, one key at a
//!   time, then cleared);
//! - each keystroke in the global search palette (Ctrl+K's `global-search-input`);
//! - opening a client from the client list;
//! - the Calendar's next and previous week;
//! - opening a signed note from its appointment's page;
//! - saving a note draft (an unsigned note from Home's "Notes to sign").
//!
//! Then the resident memory (VmRSS) of the app's process and of WebKit's web process,
//! on the decade practice after the run and on an empty practice at its first-run screen.
//!
//! Run it inside a session bus with an unlocked Secret Service holding the decade
//! practice's key, and a display. Usage:
//! kap-bench-ui --app BIN --decade DIR [--samples N] [--out DIR] [--only GROUP,...]

use fantoccini::elements::Element;
use fantoccini::Locator;
use kap_e2e::{procs, App, Driver, Result};
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A line of progress on standard error.
macro_rules! say {
    ($($t:tt)*) => {{
        let _ = writeln!(std::io::stderr(), $($t)*);
    }};
}

/// The goal for every interaction's 95th percentile, in milliseconds.
const GOAL_MS: f64 = 50.0;
/// How long one interaction may take to be measured (the page's quiet period included).
const MEASURE_WAIT: Duration = Duration::from_secs(60);

struct Args {
    app: PathBuf,
    decade: PathBuf,
    samples: usize,
    out: PathBuf,
    /// Only these groups (`--only navigation,client-search`); all when empty.
    only: Vec<String>,
}

/// The groups of interactions, in the order they run.
const GROUPS: [&str; 7] = [
    "navigation",
    "client-search",
    "global-search",
    "open-client",
    "calendar",
    "open-note",
    "save-note",
];

fn args() -> Result<Args> {
    let mut app = None;
    let mut decade = None;
    let mut samples = 20;
    let mut out = PathBuf::from("target/bench-ui");
    let mut only = Vec::new();
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = || it.next().ok_or(format!("{a} needs a value"));
        match a.as_str() {
            "--app" => app = Some(PathBuf::from(value()?)),
            "--decade" => decade = Some(PathBuf::from(value()?)),
            "--samples" => samples = value()?.parse()?,
            "--out" => out = PathBuf::from(value()?),
            "--only" => {
                for g in value()?.split(',') {
                    if !GROUPS.contains(&g) {
                        return Err(format!(
                            "--only: no group {g} (groups: {})",
                            GROUPS.join(", ")
                        )
                        .into());
                    }
                    only.push(g.to_owned());
                }
            }
            _ => return Err(format!("unknown argument {a}").into()),
        }
    }
    if samples == 0 {
        return Err("--samples must be at least 1".into());
    }
    Ok(Args {
        app: std::fs::canonicalize(app.ok_or("--app BIN is needed")?)?,
        decade: std::fs::canonicalize(decade.ok_or("--decade DIR is needed")?)?,
        samples,
        out,
        only,
    })
}

/// The samples of one interaction, in milliseconds.
struct Series {
    label: &'static str,
    measure: &'static str,
    ms: Vec<f64>,
    /// The IPC calls made during its samples: command, how many, each call's time and
    /// answer size (JSON bytes).
    calls: Option<Vec<Calls>>,
    /// Per sample with calls: from the input to the last answer, and from the last answer
    /// to the updated screen (the page's own work: rendering, layout, paint).
    split: Vec<(f64, f64)>,
}

struct Calls {
    command: String,
    ms: Vec<f64>,
    bytes: Vec<f64>,
}

/// Sizes the answers of the calls made during the measures named `kap:<arguments[0]>`,
/// by command, then drops the page's call log.
const CALLS: &str = r#"
    const ms = performance.getEntriesByName('kap:' + arguments[0], 'measure');
    const log = window.__kapCallLog || [];
    const by = {};
    for (const c of log) {
      if (!ms.some((m) => c.t0 >= m.startTime && c.t0 <= m.startTime + m.duration)) continue;
      const b = (by[c.command] = by[c.command] || { ms: [], bytes: [] });
      b.ms.push(c.t1 - c.t0);
      let size = 0;
      try { size = new TextEncoder().encode(JSON.stringify(c.result) ?? '').length; } catch (e) {}
      b.bytes.push(size);
    }
    // Per measure: from the input to the last answer, and from it to the updated screen.
    const split = ms.map((m) => {
      const mine = log.filter((c) => c.t0 >= m.startTime && c.t0 <= m.startTime + m.duration);
      if (!mine.length) return null;
      const last = Math.max(...mine.map((c) => c.t1));
      return [last - m.startTime, m.startTime + m.duration - last];
    }).filter((x) => x);
    return [Object.entries(by).map(([command, b]) => [command, b.ms, b.bytes]), split];
"#;

struct Bench<'a> {
    app: &'a App,
    series: Vec<Series>,
    /// What the report must say beside the figures (a page that showed an error).
    notes: Vec<String>,
}

impl Bench<'_> {
    /// Forgets the page's measures and starts its call log (a batch begins).
    async fn clear(&self) -> Result<()> {
        self.app
            .client
            .execute(
                "performance.clearMeasures(); window.__kapCallLog = []; return null;",
                vec![],
            )
            .await?;
        Ok(())
    }

    /// A batch ends: the calls made during each of its interactions, then a clean page.
    async fn end(&mut self) -> Result<()> {
        for i in 0..self.series.len() {
            if self.series[i].calls.is_some() {
                continue;
            }
            let got = self
                .app
                .client
                .execute(CALLS, vec![self.series[i].measure.into()])
                .await?;
            let floats = |v: Option<&serde_json::Value>| -> Vec<f64> {
                v.and_then(|v| v.as_array())
                    .map(|a| a.iter().filter_map(|x| x.as_f64()).collect())
                    .unwrap_or_default()
            };
            let split = got
                .get(1)
                .and_then(|v| v.as_array())
                .map(|a| {
                    a.iter()
                        .filter_map(|p| {
                            let p = p.as_array()?;
                            Some((p.first()?.as_f64()?, p.get(1)?.as_f64()?))
                        })
                        .collect()
                })
                .unwrap_or_default();
            self.series[i].split = split;
            let calls = got
                .get(0)
                .and_then(|v| v.as_array())
                .map(|a| {
                    a.iter()
                        .filter_map(|c| {
                            let c = c.as_array()?;
                            Some(Calls {
                                command: c.first()?.as_str()?.to_owned(),
                                ms: floats(c.get(1)),
                                bytes: floats(c.get(2)),
                            })
                        })
                        .collect()
                })
                .unwrap_or_default();
            self.series[i].calls = Some(calls);
        }
        self.app
            .client
            .execute(
                "performance.clearMeasures(); delete window.__kapCallLog; return null;",
                vec![],
            )
            .await?;
        Ok(())
    }

    /// How many `kap:<name>` measures the page holds, and the newest one's duration.
    async fn newest(&self, name: &str) -> Result<(usize, Option<f64>)> {
        let got = self
            .app
            .client
            .execute(
                "const e = performance.getEntriesByName('kap:' + arguments[0], 'measure'); \
                 return [e.length, e.length ? e[e.length - 1].duration : null];",
                vec![name.into()],
            )
            .await?;
        let v = got
            .as_array()
            .ok_or("the page did not answer with a pair")?;
        let n = v.first().and_then(|n| n.as_u64()).unwrap_or(0) as usize;
        Ok((n, v.get(1).and_then(|d| d.as_f64())))
    }

    /// Performs `action`, then waits for the page's `kap:<name>` measure of it and returns
    /// its duration.
    async fn timed<F, Fut>(&self, name: &str, wait: Duration, action: F) -> Result<f64>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<()>>,
    {
        let (before, _) = self.newest(name).await?;
        action().await?;
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let (n, d) = self.newest(name).await?;
            if n > before {
                return d.ok_or_else(|| format!("kap:{name} has no duration").into());
            }
            if tokio::time::Instant::now() > deadline {
                return Err(format!("no kap:{name} measure within {wait:?} of the input").into());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// A step between samples (going back, clearing a field): waited for, not counted.
    async fn untimed<F, Fut>(&self, name: &str, action: F) -> Result<()>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<()>>,
    {
        self.timed(name, MEASURE_WAIT, action).await.map(|_| ())
    }

    fn record(&mut self, label: &'static str, measure: &'static str, ms: f64) {
        say!("bench-ui: {label}: {ms:.1} ms");
        match self.series.iter_mut().find(|s| s.label == label) {
            Some(s) => s.ms.push(ms),
            None => self.series.push(Series {
                label,
                measure,
                ms: vec![ms],
                calls: None,
                split: Vec::new(),
            }),
        }
    }

    async fn click(&self, id: &str) -> Result<()> {
        self.app.click(id).await
    }

    /// A screenshot of the page as it is (`<out>/decade/<name>.png`), with its
    /// accessibility check; a violation is noted in the report, not fatal to the run.
    async fn picture(&mut self, name: &str) {
        if let Err(e) = self.app.shot(name).await {
            self.notes.push(format!("screenshot {name}: {e}"));
        }
    }

    async fn click_el(&self, e: &Element) -> Result<()> {
        self.app.click_el(e).await
    }
}

/// A click on the element with this test id, as a closure for [`Bench::timed`].
fn click<'a>(
    b: &'a Bench<'_>,
    id: &'a str,
) -> impl FnOnce() -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<()>> + 'a>> {
    move || Box::pin(b.click(id))
}

/// A click on an element, as a closure for [`Bench::timed`].
fn click_el<'a>(
    b: &'a Bench<'_>,
    e: &'a Element,
) -> impl FnOnce() -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<()>> + 'a>> {
    move || Box::pin(b.click_el(e))
}

/// Typing into an element, as a closure for [`Bench::timed`].
fn keys<'a>(
    e: &'a Element,
    text: &'a str,
) -> impl FnOnce() -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<()>> + 'a>> {
    move || {
        Box::pin(async move {
            e.send_keys(text).await?;
            Ok(())
        })
    }
}

/// Empties a text field as a person would: select all, delete (one input event).
const SELECT_ALL_DELETE: &str = "\u{E009}a\u{E000}\u{E003}";

async fn navigation(b: &mut Bench<'_>, samples: usize) -> Result<()> {
    const PAGES: [(&str, &str, &str); 4] = [
        ("open Home", "nav-home", "home-page"),
        ("open Clients", "nav-clients", "client-search"),
        ("open Calendar", "nav-calendar", "calendar-page"),
        ("open Billing", "nav-billing", "billing-page"),
    ];
    b.clear().await?;
    // Home is open at the start: begin elsewhere so that its first click is a navigation.
    b.untimed("nav-clients", click(b, "nav-clients")).await?;
    for round in 0..samples {
        for (label, id, page) in PAGES {
            if round == 0 && id == "nav-clients" {
                // Already there: go on to the next page first.
                continue;
            }
            let ms = b.timed(id, MEASURE_WAIT, click(b, id)).await?;
            b.app.el(page).await?;
            if round == 1 {
                // What each page looks like at this size, for the reviewer (untimed).
                b.picture(page).await;
            }
            if !b.app.all("error-banner").await?.is_empty() {
                let note = format!("{label}: the page showed an error (error-banner)");
                if !b.notes.contains(&note) {
                    b.notes.push(note);
                }
            }
            b.record(label, id, ms);
        }
    }
    // The round that skipped Clients: one more, from Billing.
    let ms = b
        .timed("nav-clients", MEASURE_WAIT, click(b, "nav-clients"))
        .await?;
    b.record("open Clients", "nav-clients", ms);
    b.end().await
}

/// The first word of each client's name in the list, for the searches.
async fn client_names(app: &App) -> Result<Vec<String>> {
    app.el("client-row").await?;
    let mut names = Vec::new();
    for row in app.all("client-row").await? {
        let text = row.text().await?;
        // Plain letters only: what any keyboard types one key at a time.
        if let Some(word) = text.split_whitespace().next() {
            if word.len() >= 4
                && word.chars().all(|c| c.is_ascii_alphabetic())
                && !names.iter().any(|n| n == word)
            {
                names.push(word.to_owned());
            }
        }
    }
    if names.is_empty() {
        return Err("no client names of four letters or more in the list".into());
    }
    Ok(names)
}

async fn client_search(b: &mut Bench<'_>, samples: usize) -> Result<()> {
    b.clear().await?;
    b.app.click("nav-clients").await?;
    let names = client_names(b.app).await?;
    let field = b.app.el("client-search").await?;
    let mut taken = 0;
    let mut round = 0;
    while taken < samples {
        let name = &names[round % names.len()];
        round += 1;
        for c in name.chars().take(4) {
            let key = c.to_lowercase().to_string();
            let ms = b
                .timed("client-search", MEASURE_WAIT, keys(&field, &key))
                .await?;
            b.record("client search, per keystroke", "client-search", ms);
            taken += 1;
        }
        b.untimed("client-search", keys(&field, SELECT_ALL_DELETE))
            .await?;
    }
    b.end().await
}

/// Whether the search palette is closed.
const PALETTE_CLOSED: &str =
    "const d = document.querySelector('[data-testid=\"global-search\"]'); return !d || !d.open;";

async fn global_search(b: &mut Bench<'_>, samples: usize, names: &[String]) -> Result<()> {
    b.clear().await?;
    let mut taken = 0;
    let mut round = 0;
    while taken < samples {
        // The header's search field opens the palette (as Ctrl+K does).
        b.untimed("open-search", click(b, "open-search")).await?;
        let field = b.app.el("global-search-input").await?;
        // A word from the notes, then a name, in turn.
        let word = if round % 2 == 0 {
            "grief".to_owned()
        } else {
            names[(round / 2) % names.len()].to_lowercase()
        };
        round += 1;
        for c in word.chars().take(5) {
            let ms = b
                .timed(
                    "global-search-input",
                    MEASURE_WAIT,
                    keys(&field, &c.to_string()),
                )
                .await?;
            b.record("global search, per keystroke", "global-search-input", ms);
            taken += 1;
        }
        b.app.escape().await?;
        b.app
            .until("the search palette closes", || async {
                matches!(
                    b.app.client.execute(PALETTE_CLOSED, vec![]).await,
                    Ok(serde_json::Value::Bool(true))
                )
            })
            .await?;
    }
    b.end().await
}

async fn open_client(b: &mut Bench<'_>, samples: usize) -> Result<()> {
    b.clear().await?;
    b.untimed("nav-home", click(b, "nav-home")).await?;
    for i in 0..samples {
        b.untimed("nav-clients", click(b, "nav-clients")).await?;
        b.app.el("client-row").await?;
        let rows = b.app.all("client-row").await?;
        let row = rows.get(i % rows.len()).ok_or("no client rows")?;
        let ms = b
            .timed("client-row", MEASURE_WAIT, click_el(b, row))
            .await?;
        b.app.el("client-page").await?;
        if i == 0 {
            b.picture("client-page").await;
        }
        b.record("open a client", "client-row", ms);
    }
    b.end().await
}

async fn calendar_weeks(b: &mut Bench<'_>, samples: usize) -> Result<()> {
    b.clear().await?;
    b.untimed("nav-calendar", click(b, "nav-calendar")).await?;
    b.app.el("calendar-page").await?;
    b.picture("calendar-this-week").await;
    for _ in 0..samples {
        // Back a week and forward again: both weeks are busy ones around today.
        let ms = b
            .timed(
                "calendar-prev-week",
                MEASURE_WAIT,
                click(b, "calendar-prev-week"),
            )
            .await?;
        b.record("calendar, previous week", "calendar-prev-week", ms);
        let ms = b
            .timed(
                "calendar-next-week",
                MEASURE_WAIT,
                click(b, "calendar-next-week"),
            )
            .await?;
        b.record("calendar, next week", "calendar-next-week", ms);
    }
    b.end().await
}

/// Whether the open note editor shows a signed note.
async fn note_is_signed(app: &App) -> Result<bool> {
    app.el("note-editor").await?;
    app.el("close-note").await?;
    Ok(!app.all("note-signed").await?.is_empty())
}

async fn open_signed_note(b: &mut Bench<'_>, samples: usize) -> Result<()> {
    b.clear().await?;
    let mut taken = 0;
    let mut client = 0;
    // Clients in list order; for each, its completed appointments with signed notes.
    while taken < samples {
        if client > 40 {
            return Err(format!("only {taken} signed notes found in 40 clients").into());
        }
        b.untimed("nav-clients", click(b, "nav-clients")).await?;
        b.app.el("client-row").await?;
        let rows = b.app.all("client-row").await?;
        let Some(row) = rows.get(client % rows.len()) else {
            return Err("no client rows".into());
        };
        client += 1;
        b.untimed("client-row", click_el(b, row)).await?;
        b.app.el("client-page").await?;
        // Let the client's appointments load.
        b.app.el("client-appointments").await?;
        tokio::time::sleep(Duration::from_millis(300)).await;
        let appts = b.app.all("client-appointment-row").await?;
        let mut ids = Vec::new();
        for a in &appts {
            if a.text().await?.contains("Completed") {
                if let Some(id) = a.attr("data-appointment-id").await? {
                    ids.push(id);
                }
            }
        }
        for id in ids.into_iter().take(5) {
            if taken >= samples {
                break;
            }
            let row = b
                .app
                .client
                .find(Locator::Css(&format!(
                    "[data-testid=\"client-appointment-row\"][data-appointment-id=\"{id}\"]"
                )))
                .await?;
            b.untimed("client-appointment-row", click_el(b, &row))
                .await?;
            b.app.el("appointment-view").await?;
            let Ok(open) = b.app.el("open-note").await else {
                b.untimed("back-from-appointment", click(b, "back-from-appointment"))
                    .await?;
                continue;
            };
            let ms = b
                .timed("open-note", MEASURE_WAIT, click_el(b, &open))
                .await?;
            if note_is_signed(b.app).await? {
                b.record("open a signed note", "open-note", ms);
                taken += 1;
            }
            b.untimed("close-note", click(b, "close-note")).await?;
            b.app.el("appointment-view").await?;
            b.untimed("back-from-appointment", click(b, "back-from-appointment"))
                .await?;
            b.app.el("client-page").await?;
        }
    }
    b.end().await
}

async fn save_note(b: &mut Bench<'_>, samples: usize) -> Result<()> {
    b.clear().await?;
    b.untimed("nav-home", click(b, "nav-home")).await?;
    b.app.el("unsigned-note-row").await?;
    b.untimed("unsigned-note-row", click(b, "unsigned-note-row"))
        .await?;
    b.app.el("save-note").await?;
    for i in 0..samples {
        let ms = b
            .timed("save-note", MEASURE_WAIT, click(b, "save-note"))
            .await?;
        if i == 0 {
            // The first save must have saved: the note is now a draft, without errors.
            b.app.el("note-draft").await?;
            if !b.app.all("error-banner").await?.is_empty() {
                return Err("saving the unsigned note failed: see the screenshots".into());
            }
        }
        b.record("save a note draft", "save-note", ms);
    }
    b.untimed("close-note", click(b, "close-note")).await?;
    b.end().await
}

/// VmRSS, RssAnon and VmHWM of a process, in kB.
fn rss(pid: i32) -> Option<(u64, u64, u64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
    };
    Some((field("VmRSS:")?, field("RssAnon:")?, field("VmHWM:")?))
}

/// Resident memory of the app's processes: the app (the process running `app`) and
/// WebKit's web and network processes.
fn memory(what: &str, app: &Path) -> String {
    let mut out = String::new();
    let mut total = 0;
    let mib = |kb: u64| kb as f64 / 1024.0;
    for p in procs::descendants(procs::me())
        .into_iter()
        .filter(|p| !p.zombie)
    {
        let exe = std::fs::read_link(format!("/proc/{}/exe", p.pid)).ok();
        let name = match p.comm.as_str() {
            _ if exe.as_deref() == Some(app) => "app (kap-practice)",
            "WebKitWebProces" => "WebKitWebProcess",
            "WebKitNetworkPr" => "WebKitNetworkProcess",
            _ => continue,
        };
        if let Some((now, anon, peak)) = rss(p.pid) {
            total += now;
            let _ = writeln!(
                out,
                "  {what:<24} {name:<21} VmRSS {:>6.1} MiB  (anonymous {:>6.1}, peak {:>6.1})",
                mib(now),
                mib(anon),
                mib(peak)
            );
        }
    }
    let _ = writeln!(
        out,
        "  {what:<24} {:<21} VmRSS {:>6.1} MiB",
        "together",
        mib(total)
    );
    out
}

/// The nearest-rank percentile of sorted samples.
fn percentile(sorted: &[f64], p: f64) -> f64 {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

async fn run_decade(a: &Args, logs: &Path) -> Result<(Vec<Series>, Vec<String>, String)> {
    let driver = Driver::start_app(&a.app, &a.decade, logs, &[]).await?;
    let app = driver.launch().await?;
    app.el("home-page").await?;
    app.el("unsigned-notes").await?;
    let mut b = Bench {
        app: &app,
        series: Vec::new(),
        notes: Vec::new(),
    };
    let n = a.samples;
    let run = |g: &str| a.only.is_empty() || a.only.iter().any(|o| o == g);
    for group in GROUPS {
        if !run(group) {
            continue;
        }
        say!("bench-ui: {group}");
        match group {
            "navigation" => navigation(&mut b, n).await?,
            "client-search" => client_search(&mut b, n).await?,
            "global-search" => {
                b.app.click("nav-clients").await?;
                let names = client_names(&app).await?;
                global_search(&mut b, n, &names).await?
            }
            "open-client" => open_client(&mut b, n).await?,
            "calendar" => calendar_weeks(&mut b, n).await?,
            "open-note" => open_signed_note(&mut b, n).await?,
            "save-note" => save_note(&mut b, n).await?,
            other => return Err(format!("no group {other}").into()),
        }
    }
    // Let the page settle (drafts, timers) before reading its memory.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let mem = memory("decade, after the run", &a.app);
    let (series, notes) = (b.series, b.notes);
    app.quit().await?;
    driver.stop().await;
    Ok((series, notes, mem))
}

async fn run_empty(a: &Args, logs: &Path) -> Result<String> {
    let work = tempfile::tempdir()?;
    let empty = work.path().join("first-run");
    let driver = Driver::start_app(&a.app, &empty, logs, &[]).await?;
    let app = driver.launch().await?;
    app.el("create-practice-form").await?;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let mem = memory("empty, first-run screen", &a.app);
    app.quit().await?;
    driver.stop().await;
    Ok(mem)
}

#[tokio::main]
async fn main() -> Result<()> {
    let a = args()?;
    std::fs::create_dir_all(&a.out)?;
    let logs = a.out.join("decade");
    std::fs::create_dir_all(&logs)?;
    let (series, notes, mem_decade) = run_decade(&a, &logs).await?;
    let logs = a.out.join("first-run");
    std::fs::create_dir_all(&logs)?;
    let mem_empty = run_empty(&a, &logs).await?;

    let mut tsv = String::from("interaction\tmeasure\tsample\tms\n");
    let mut report = format!(
        "Interactions in the real window of {}, on the practice in {}, from the input to the \
         frame that showed the updated screen (the page's own kap:* measures). \
         Goal: p95 <= {GOAL_MS:.0} ms.\n\n  {:<30} {:<22} {:>4} {:>9} {:>9}  goal\n",
        a.app.display(),
        a.decade.display(),
        "interaction",
        "measure",
        "n",
        "p50 ms",
        "p95 ms"
    );
    for s in &series {
        for (i, ms) in s.ms.iter().enumerate() {
            let _ = writeln!(tsv, "{}\t{}\t{}\t{ms:.1}", s.label, s.measure, i + 1);
        }
        let mut v = s.ms.clone();
        v.sort_by(f64::total_cmp);
        let (p50, p95) = (percentile(&v, 50.0), percentile(&v, 95.0));
        let _ = writeln!(
            report,
            "  {:<30} {:<22} {:>4} {p50:>9.1} {p95:>9.1}  {}",
            s.label,
            format!("kap:{}", s.measure),
            v.len(),
            if p95 <= GOAL_MS { "pass" } else { "MISS" }
        );
    }
    for n in &notes {
        let _ = writeln!(report, "  NOTE: {n}");
    }
    let _ = writeln!(
        report,
        "\nIPC calls made during each interaction's samples: how many, the median call \
         (round trip, ms) and the median and largest answer (JSON bytes):"
    );
    for s in &series {
        if s.split.is_empty() {
            let _ = writeln!(report, "  {} (no answered call)", s.label);
        } else {
            let mut until: Vec<f64> = s.split.iter().map(|p| p.0).collect();
            let mut after: Vec<f64> = s.split.iter().map(|p| p.1).collect();
            until.sort_by(f64::total_cmp);
            after.sort_by(f64::total_cmp);
            let _ = writeln!(
                report,
                "  {}: input to last answer p50 {:.1} ms, last answer to screen p50 {:.1} ms \
                 (p95 {:.1} / {:.1})",
                s.label,
                percentile(&until, 50.0),
                percentile(&after, 50.0),
                percentile(&until, 95.0),
                percentile(&after, 95.0)
            );
        }
        for c in s.calls.iter().flatten() {
            let mut ms = c.ms.clone();
            ms.sort_by(f64::total_cmp);
            let mut bytes = c.bytes.clone();
            bytes.sort_by(f64::total_cmp);
            if ms.is_empty() || bytes.is_empty() {
                continue;
            }
            let _ = writeln!(
                report,
                "    {:<34} {:>4} calls  {:>8.1} ms  {:>9.0} B  (largest {:.0} B)",
                c.command,
                ms.len(),
                percentile(&ms, 50.0),
                percentile(&bytes, 50.0),
                bytes[bytes.len() - 1]
            );
        }
    }
    let _ = write!(
        report,
        "\nResident memory (VmRSS from /proc; peak is VmHWM):\n{mem_decade}{mem_empty}"
    );
    write!(std::io::stdout(), "{report}")?;
    std::fs::write(a.out.join("report.txt"), report)?;
    std::fs::write(a.out.join("samples.tsv"), tsv)?;
    Ok(())
}
