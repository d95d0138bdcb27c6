//! The accessibility check every screenshot runs: axe-core, from the UI's npm
//! devDependencies (`ui/node_modules/axe-core/axe.min.js`, read at run time), injected
//! into the webview by the test and never part of the app (the `axe_not_shipped` test
//! proves the built UI holds none of it).
//!
//! [`App::shot`](crate::App::shot) runs axe on the whole document as it is on screen,
//! the page and any open dialog, and writes what it found beside the picture
//! (`<step>.axe.json`, and a line per step in `axe.txt`). A violation of impact
//! `serious` or `critical` fails the test, naming the rule, its impact, the elements
//! (CSS selectors) and what would fix it. What axe cannot decide by itself ("incomplete",
//! e.g. a contrast over an image) is recorded, not failed.
//!
//! `KAP_E2E_AXE=record` records without failing, to survey a change of the UI all the
//! way through; the suite (`scripts/e2e`) never sets it.

use crate::Result;
use fantoccini::Client;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The impacts that fail a test.
const FAILING: [&str; 2] = ["serious", "critical"];

/// Where the UI's npm packages put axe-core.
pub fn source_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/node_modules/axe-core/axe.min.js")
}

/// axe-core's text, read once per test process.
fn source() -> Result<&'static str> {
    static SOURCE: OnceLock<std::result::Result<String, String>> = OnceLock::new();
    SOURCE
        .get_or_init(|| {
            std::fs::read_to_string(source_path()).map_err(|e| {
                format!(
                    "axe-core is not installed at {} ({e}): run `npm ci` in ui/ (scripts/setup)",
                    source_path().display()
                )
            })
        })
        .as_deref()
        .map_err(|e| e.clone().into())
}

/// Runs axe on the document, answering `{ missing: true }` when axe is not in this
/// page yet (a new launch, a reload), else the violations and the undecided rules,
/// trimmed to what a reviewer needs: rule, impact, help, and per element its selector,
/// a short excerpt of its HTML and axe's summary of what fails (for an undecided rule,
/// why axe could not decide).
const RUN: &str = r#"
const done = arguments[arguments.length - 1];
if (typeof window.axe === 'undefined') { done({ missing: true }); return; }
const cut = (s) => (s.length > 240 ? s.slice(0, 240) + '…' : s);
window.axe
  .run(document, { resultTypes: ['violations', 'incomplete'] })
  .then((r) => done({
    violations: r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({
        target: n.target.map(String),
        html: cut(n.html),
        failureSummary: n.failureSummary,
      })),
    })),
    incomplete: r.incomplete.map((v) => ({
      id: v.id,
      impact: v.impact,
      nodes: v.nodes.map((n) => ({
        target: n.target.map(String),
        why: [...n.any, ...n.all, ...n.none].map((c) => c.message).join(' '),
      })),
    })),
  }))
  .catch((e) => done({ error: String((e && e.message) || e) }));
"#;

/// Puts axe into the current document once: its text, then a check that it is there.
async fn inject(client: &Client) -> Result<()> {
    let script = format!("{}\n;return typeof window.axe;", source()?);
    let got = client.execute(&script, vec![]).await?;
    if got != json!("object") {
        return Err(format!("axe-core did not load in the webview (window.axe is {got})").into());
    }
    Ok(())
}

/// Runs axe on what the window shows now, writes `<step>.axe.json` into `dir` and a line
/// into `dir/axe.txt`, and fails on any serious or critical violation.
pub async fn check(client: &Client, dir: &Path, step: &str) -> Result<()> {
    let run = || async {
        client
            .execute_async(RUN, vec![])
            .await
            .map_err(|e| format!("running axe on step {step}: {e}"))
    };
    let mut found = run().await?;
    if found.get("missing").is_some() {
        inject(client).await?;
        found = run().await?;
    }
    if let Some(err) = found.get("error") {
        return Err(format!("axe could not check step {step}: {err}").into());
    }
    let violations = found
        .get("violations")
        .and_then(Value::as_array)
        .cloned()
        .ok_or_else(|| format!("axe answered step {step} without violations: {found}"))?;
    let failing: Vec<&Value> = violations
        .iter()
        .filter(|v| {
            v.get("impact")
                .and_then(Value::as_str)
                .is_some_and(|i| FAILING.contains(&i))
        })
        .collect();
    let report = json!({
        "step": step,
        "failing": failing.len(),
        "violations": violations,
        "incomplete": found.get("incomplete").cloned().unwrap_or(Value::Null),
    });
    let report_file = dir.join(format!("{step}.axe.json"));
    std::fs::write(&report_file, serde_json::to_string_pretty(&report)?)?;
    let ids = |vs: &[&Value]| {
        vs.iter()
            .map(|v| format!("{}({})", str_of(v, "id"), str_of(v, "impact")))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let all: Vec<&Value> = violations.iter().collect();
    let mut log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join("axe.txt"))?;
    use std::io::Write as _;
    writeln!(
        log,
        "{step}: {} serious or critical, {} in all{}{}",
        failing.len(),
        violations.len(),
        if all.is_empty() { "" } else { ": " },
        ids(&all)
    )?;
    if failing.is_empty() || recording_only() {
        return Ok(());
    }
    let mut msg = format!(
        "axe found {} serious or critical accessibility violation(s) at step {step} \
         (details in {}):",
        failing.len(),
        std::fs::canonicalize(&report_file)
            .unwrap_or(report_file)
            .display()
    );
    // One line: a test's error is shown with its Debug form, where a newline is `\n`.
    for (i, v) in failing.into_iter().enumerate() {
        let targets: Vec<String> = v
            .get("nodes")
            .and_then(Value::as_array)
            .map(|ns| {
                ns.iter()
                    .filter_map(|n| n.get("target"))
                    .map(|t| t.to_string())
                    .collect()
            })
            .unwrap_or_default();
        msg.push_str(&format!(
            " ({}) {} ({}): {}; elements: {}; see {}",
            i + 1,
            str_of(v, "id"),
            str_of(v, "impact"),
            str_of(v, "help"),
            targets.join(", "),
            str_of(v, "helpUrl"),
        ));
    }
    Err(msg.into())
}

fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("?")
}

/// `KAP_E2E_AXE=record`: write the reports, fail on nothing.
fn recording_only() -> bool {
    std::env::var("KAP_E2E_AXE").is_ok_and(|v| v == "record")
}

/// Whether a built file holds axe-core: its licence banner or its entry point.
pub fn holds_axe(text: &str) -> bool {
    text.contains("axe v4") && text.contains("Deque Systems")
        || text.contains("axe-core")
        || text.contains("axe.run(")
}
