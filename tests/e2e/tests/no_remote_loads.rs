//! The real app, end to end: the window's content security policy blocks every kind of
//! remote load a script could attempt (fetch, XHR, beacon, WebSocket, EventSource,
//! image, script, stylesheet, font, frame). Each attempt must fire a
//! `securitypolicyviolation` event and fail. When the suite runs traced (scripts/e2e),
//! the app's system calls for this launch are then checked: no connection was attempted.
//! Screenshots: `target/e2e-screenshots/no-remote-loads/`.

#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

use kap_e2e::{netcheck, screenshot_dir, App, Driver, Result};

/// Each remote load, by what it is, with its own documentation-range address (RFC 5737) or
/// name so that a load that got through would show in the trace as a connect to it.
const PROBE: &str = r#"
const done = arguments[arguments.length - 1];
const violations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  violations.push({ blocked: e.blockedURI, directive: e.effectiveDirective || e.violatedDirective });
});
const settle = (p) => p.then((v) => 'loaded: ' + v, (e) => 'failed: ' + e);
const element = (tag, attrs, parent) => new Promise((resolve) => {
  const el = document.createElement(tag);
  el.onload = () => resolve('load');
  el.onerror = () => resolve('error');
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  parent.appendChild(el);
  setTimeout(() => resolve('no event'), 3000);
});
const attempts = {
  fetch_name: settle(fetch('https://example.com/').then((r) => r.status)),
  fetch_ip: settle(fetch('http://93.184.216.34/').then((r) => r.status)),
  // Tauri's IPC address on Windows; on Linux and macOS the IPC is the ipc: scheme and this
  // would be a real connection to port 80 on this computer, so the CSP there refuses it.
  fetch_ipc_localhost: settle(fetch('http://ipc.localhost/').then((r) => r.status)),
  xhr: new Promise((resolve) => {
    try {
      const x = new XMLHttpRequest();
      x.onload = () => resolve('loaded: ' + x.status);
      x.onerror = () => resolve('failed: error event');
      x.open('GET', 'http://203.0.113.10/x');
      x.send();
    } catch (e) { resolve('failed: ' + e); }
  }),
  beacon: Promise.resolve().then(() => {
    try { return navigator.sendBeacon('http://203.0.113.11/b', 'x') ? 'queued' : 'failed: refused'; }
    catch (e) { return 'failed: ' + e; }
  }),
  websocket: new Promise((resolve) => {
    try {
      const ws = new WebSocket('ws://203.0.113.12/');
      ws.onopen = () => resolve('loaded: open');
      ws.onerror = () => resolve('failed: error event');
    } catch (e) { resolve('failed: ' + e); }
  }),
  event_source: new Promise((resolve) => {
    try {
      const es = new EventSource('http://203.0.113.13/');
      es.onopen = () => resolve('loaded: open');
      es.onerror = () => { es.close(); resolve('failed: error event'); };
    } catch (e) { resolve('failed: ' + e); }
  }),
  image: element('img', { src: 'http://203.0.113.1/x.png', alt: '' }, document.body),
  script: element('script', { src: 'http://203.0.113.2/x.js' }, document.head),
  stylesheet: element('link', { rel: 'stylesheet', href: 'http://203.0.113.3/x.css' }, document.head),
  font: settle(new FontFace('Probe', 'url(http://203.0.113.4/x.woff2)').load().then(() => 'font')),
  frame: element('iframe', { src: 'http://203.0.113.5/', title: 'A remote frame' }, document.body),
};
Promise.all(Object.entries(attempts).map(([k, p]) => p.then((v) => [k, v])))
  .then((results) => setTimeout(() => done({ results: Object.fromEntries(results), violations }), 500));
"#;

/// What each attempt loads from, as the violation reports it.
const TARGETS: [(&str, &str); 12] = [
    ("fetch_name", "example.com"),
    ("fetch_ipc_localhost", "ipc.localhost"),
    ("fetch_ip", "93.184.216.34"),
    ("xhr", "203.0.113.10"),
    ("beacon", "203.0.113.11"),
    ("websocket", "203.0.113.12"),
    ("event_source", "203.0.113.13"),
    ("image", "203.0.113.1"),
    ("script", "203.0.113.2"),
    ("stylesheet", "203.0.113.3"),
    ("font", "203.0.113.4"),
    ("frame", "203.0.113.5"),
];

#[tokio::test(flavor = "multi_thread")]
#[ignore = "drives the built app; scripts/test runs it under Xvfb"]
async fn csp_blocks_every_remote_load() -> Result<()> {
    let data = tempfile::tempdir()?;
    let shots = screenshot_dir("no-remote-loads")?;
    let driver = Driver::start(data.path(), &shots, &[]).await?;
    let result = match driver.launch().await {
        Ok(app) => flow(&app).await.and(app.quit().await),
        Err(e) => Err(e),
    };
    driver.stop().await;
    result?;

    // Traced (scripts/e2e): the app and its WebKit processes attempted no connection,
    // not to these addresses, not to a name server, to nothing but the automation channel.
    if let Some(traces) = std::env::var_os("KAP_E2E_STRACE_DIR") {
        let report = netcheck::check_launches(std::path::Path::new(&traces), "no-remote-loads.")?;
        let summary = report.summary();
        std::fs::write(shots.join("network-report.txt"), &summary)?;
        assert_eq!(report.launches, 1, "{summary}");
        assert!(report.violations.is_empty(), "{summary}");
        assert!(
            report
                .connects
                .keys()
                .all(|k| k.starts_with("AF_UNIX") || k.contains("automation address")),
            "{summary}"
        );
        for (_, target) in TARGETS {
            assert!(!summary.contains(target), "{target} in {summary}");
        }
        assert!(!summary.contains(NAVIGATE_TO), "{NAVIGATE_TO} in {summary}");
    }
    Ok(())
}

/// Where a script tries to navigate the window (RFC 5737 documentation range).
const NAVIGATE_TO: &str = "203.0.113.9";

async fn flow(app: &App) -> Result<()> {
    app.el("create-practice-form").await?;
    let out = app.client.execute_async(PROBE, vec![]).await?;
    std::fs::write(
        app.shots_dir().join("remote-loads.json"),
        serde_json::to_string_pretty(&out)?,
    )?;
    let results = out["results"].as_object().ok_or("no results")?;
    let violations = out["violations"].as_array().ok_or("no violations")?;
    for (what, target) in TARGETS {
        let result = results[what].as_str().unwrap_or_default();
        assert!(
            !result.starts_with("loaded"),
            "{what} loaded from {target}: {out}"
        );
        assert!(
            violations
                .iter()
                .any(|v| v["blocked"].as_str().unwrap_or_default().contains(target)),
            "no CSP violation for {what} ({target}): {out}"
        );
    }
    // Fetches reject; image, script and stylesheet report an error.
    for what in [
        "fetch_name",
        "fetch_ip",
        "fetch_ipc_localhost",
        "xhr",
        "websocket",
        "event_source",
        "font",
    ] {
        assert!(
            results[what]
                .as_str()
                .unwrap_or_default()
                .starts_with("failed"),
            "{what}: {out}"
        );
    }
    for what in ["image", "script", "stylesheet"] {
        assert_eq!(results[what], "error", "{what}: {out}");
    }
    // Still the app, on its own page.
    app.el("create-practice-form").await?;
    app.shot("01-after-remote-loads").await?;

    // Navigating the window away (the CSP does not cover navigation) is cancelled by the
    // app's navigation guard: the window stays on the app's page and nothing connects.
    app.client
        .execute(
            &format!("window.location.href = 'http://{NAVIGATE_TO}/'; return 1;"),
            vec![],
        )
        .await?;
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    let href = app
        .client
        .execute("return window.location.href;", vec![])
        .await?;
    let href = href.as_str().unwrap_or_default().to_owned();
    assert!(!href.contains(NAVIGATE_TO), "navigated to {href}");
    app.el("create-practice-form").await?;
    app.shot("02-after-navigation-attempt").await?;
    Ok(())
}
