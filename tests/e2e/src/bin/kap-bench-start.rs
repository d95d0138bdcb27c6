//! Times launches of the app against a bare Tauri window (`scripts/bench-start`).
//!
//! Three kinds of launch, taken in turn round after round so that a busier moment of the
//! machine falls on all of them alike:
//!
//! - `bare`: the fixture `tests/bench-start/bare`, one static page;
//! - `first-run`: the app on an empty practice folder (the first-run screen);
//! - `home-decade`: the app on the demo practice at its decade size (5,000 clients, about
//!   60,000 appointments with signed notes, invoices and payments, booked three weeks past
//!   today) that opens through the keychain, to Home with its figures.
//!
//! A launch is timed from the moment the harness asks WebDriver for a session (which
//! starts the binary) to the `kap:first-screen` mark the page sets once its first complete
//! screen has been painted, read from the page's own clock afterwards (so reading it costs
//! nothing). Run it inside a session bus with an unlocked Secret Service and a display.
//!
//! Usage: kap-bench-start --bare BIN --app BIN [--runs N] [--out DIR] [--no-decade]

use chrono::Utc;
use kap_e2e::{Driver, Result};
use kap_practice::demo::{self, DemoOptions, DemoSize};
use kap_practice::folder::{KeychainStatus, PracticeFolder};
use kap_practice::key::{KdfParams, Keychain, Passphrase};
use kap_practice::practice::NewPractice;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

const MARK: &str = "kap:first-screen";
/// How long a launch may take to paint its first complete screen.
const PAINT_WAIT: Duration = Duration::from_secs(60);

struct Args {
    bare: PathBuf,
    app: PathBuf,
    runs: usize,
    out: PathBuf,
    /// Without the decade (`--no-decade`): the bare window and the first-run screen only.
    decade: bool,
}

fn args() -> Result<Args> {
    let mut bare = None;
    let mut app = None;
    let mut runs = 10;
    let mut out = PathBuf::from("target/bench-start");
    let mut decade = true;
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = || it.next().ok_or(format!("{a} needs a value"));
        match a.as_str() {
            "--bare" => bare = Some(PathBuf::from(value()?)),
            "--app" => app = Some(PathBuf::from(value()?)),
            "--runs" => runs = value()?.parse()?,
            "--out" => out = PathBuf::from(value()?),
            "--no-decade" => decade = false,
            _ => return Err(format!("unknown argument {a}").into()),
        }
    }
    if runs == 0 {
        return Err("--runs must be at least 1".into());
    }
    Ok(Args {
        bare: std::fs::canonicalize(bare.ok_or("--bare BIN is needed")?)?,
        app: std::fs::canonicalize(app.ok_or("--app BIN is needed")?)?,
        runs,
        out,
        decade,
    })
}

/// A decade-size practice in `dir` whose key is in this session's keychain, so the app
/// opens it without asking.
fn decade_practice(dir: &Path) -> Result<()> {
    let folder = PracticeFolder::new(dir);
    let keychain = Keychain::platform();
    let opened = folder.create_with_kdf(
        &NewPractice {
            practice_name: "Bench Practice".into(),
            therapist_name: "Bench Therapist".into(),
            credentials: "LCSW".into(),
        },
        &Passphrase::new("violet harbour lantern 7391 quietly".into())?,
        &keychain,
        KdfParams::default(),
    )?;
    if !matches!(opened.keychain, KeychainStatus::Saved) {
        return Err("the keychain did not take the key: run inside scripts/bench-start".into());
    }
    // Today is the practice's, so Home shows a busy current week and the days ahead.
    let today = opened
        .store
        .read(|c| kap_practice::practice::today(c, Utc::now()))?;
    opened
        .store
        .write(|w| demo::fill(w, &DemoOptions::new(DemoSize::Decade, today)))?;
    Ok(())
}

/// One launch, in milliseconds from asking for the session: until the page began to load
/// (the native start: process, GTK, the webview and its web process) and until the first
/// complete screen was painted.
struct Launch {
    page_start: f64,
    first_screen: f64,
}

async fn launch(app: &Path, data_dir: &Path, logs: &Path) -> Result<Launch> {
    let driver = Driver::start_app(app, data_dir, logs, &[]).await?;
    let asked = Utc::now().timestamp_micros() as f64 / 1000.0;
    let session = driver.launch().await?;
    let script = format!(
        "const m = performance.getEntriesByName('{MARK}')[0]; \
         return m ? [performance.timeOrigin, m.startTime] : null;"
    );
    let deadline = tokio::time::Instant::now() + PAINT_WAIT;
    let (origin, mark) = loop {
        let got = session.client.execute(&script, vec![]).await?;
        if let Some([origin, mark]) = got.as_array().map(|v| v.as_slice()) {
            if let (Some(o), Some(m)) = (origin.as_f64(), mark.as_f64()) {
                break (o, m);
            }
        }
        if tokio::time::Instant::now() > deadline {
            return Err(format!("no {MARK} mark after {PAINT_WAIT:?}").into());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    // What the page spent its time on (resources, marks), for whoever wants to know why.
    let entries = session
        .client
        .execute(
            "return performance.getEntries().map(e => ({name: e.name, type: e.entryType, \
             start: e.startTime, duration: e.duration}));",
            vec![],
        )
        .await?;
    std::fs::write(
        logs.join("performance.json"),
        serde_json::to_string_pretty(&entries)?,
    )?;
    session.quit().await?;
    driver.stop().await;
    Ok(Launch {
        page_start: origin - asked,
        first_screen: origin + mark - asked,
    })
}

fn median(xs: &[f64]) -> f64 {
    let mut v = xs.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

#[tokio::main]
async fn main() -> Result<()> {
    let a = args()?;
    std::fs::create_dir_all(&a.out)?;
    let work = tempfile::tempdir()?;
    let empty = work.path().join("first-run");
    let decade = work.path().join("decade");
    let mut err = std::io::stderr();
    let mut kinds: Vec<(&str, &Path, &Path)> = vec![
        ("bare", &a.bare, work.path()),
        ("first-run", &a.app, &empty),
    ];
    if a.decade {
        writeln!(
            err,
            "bench-start: making the decade-size demo practice (5,000 clients, 60,000 appointments)"
        )?;
        decade_practice(&decade)?;
        kinds.push(("home-decade", &a.app, &decade));
    }
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); kinds.len()];
    let mut starts: Vec<Vec<f64>> = vec![Vec::new(); kinds.len()];
    let mut log = std::fs::File::create(a.out.join("launches.tsv"))?;
    writeln!(log, "round\tkind\tpage_start_ms\tfirst_screen_ms")?;
    for round in 1..=a.runs {
        for (i, (name, app, dir)) in kinds.iter().enumerate() {
            let logs = a.out.join(name);
            std::fs::create_dir_all(&logs)?;
            let l = launch(app, dir, &logs).await?;
            writeln!(
                err,
                "bench-start: round {round}/{}: {name} {:.0} ms (page began at {:.0})",
                a.runs, l.first_screen, l.page_start
            )?;
            writeln!(
                log,
                "{round}\t{name}\t{:.1}\t{:.1}",
                l.page_start, l.first_screen
            )?;
            times[i].push(l.first_screen);
            starts[i].push(l.page_start);
        }
    }

    let bare = median(&times[0]);
    let mut report = format!(
        "Launch to first complete screen, median of {} launches each (release builds):\n",
        a.runs
    );
    for (((name, _, _), t), p) in kinds.iter().zip(&times).zip(&starts) {
        let m = median(t);
        let page = median(p);
        let (lo, hi) = t
            .iter()
            .fold((f64::MAX, f64::MIN), |(lo, hi), &x| (lo.min(x), hi.max(x)));
        report.push_str(&format!(
            "  {name:<12} {m:>6.0} ms  {:.2}x the bare window  (fastest {lo:.0}, slowest {hi:.0}; \
             the page began at {page:.0}, then {:.0} ms to the screen)\n",
            m / bare,
            m - page
        ));
    }
    write!(std::io::stdout(), "{report}")?;
    std::fs::write(a.out.join("report.txt"), report)?;
    Ok(())
}
