//! Hostile input through the real command layer: every payload of `hostile/corpus.json`
//! goes through Tauri's IPC (mock runtime, the app's real context and capabilities) into
//! the real commands over a real encrypted practice in a temp dir.
//!
//! For a payload the corpus expects to be refused: the response is an error with the
//! expected code and a non-empty message that echoes none of the payload's text, and no
//! table of the database changed (every row of every table, the audit log included). For
//! a payload it expects to be accepted: the response is a success and the checks listed
//! with it hold. Nothing may panic. At the end the database passes `PRAGMA
//! integrity_check` and the audit chain verifies.
//!
//! Corpus entries: `cmd`; the request as `req` (sent as `{"req": ...}`), or `template` +
//! `set` (JSON pointer → value) + `remove` (pointers), or `body` (the whole IPC body), or
//! `raw` (bytes that are not JSON); `expect` (`reject` or `accept`), `code` (default
//! `invalid`), `checks` (for accepted payloads: pointer → expected value in the response),
//! `untouched` (files outside the temp dir that must not change), `known_issue` (a gap in
//! code another module owns: printed as KNOWN with what happens now, never failed).
//! Strings are expanded: `{{client}}` and the other fixture names become ids, `{{dir}}`
//! becomes the save folder, `{{repeat:N:s}}` becomes `s` repeated N times (also inside
//! a text and a `raw` payload), `{{ints:N:v}}` and `{{strs:N:v}}` a list of N copies.

#![allow(clippy::unwrap_used, clippy::print_stdout)] // Tests fail loudly on purpose.

use kap_practice::folder::PracticeFolder;
use kap_practice::key::Keychain;
use kap_practice_app::AppState;
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{mock_builder, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{Manager, WebviewWindow, WebviewWindowBuilder};

const CORPUS: &str = include_str!("hostile/corpus.json");
const PASSPHRASE: &str = "quiet river morning 42";

/// The codes `wire::ErrorCode` serialises to.
const KNOWN_CODES: &[&str] = &[
    "locked",
    "wrong_passphrase",
    "invalid",
    "not_found",
    "conflict",
    "not_cleared",
    "internal",
];

struct Harness {
    app: tauri::App<MockRuntime>,
    webview: WebviewWindow<MockRuntime>,
    /// Fixture ids and the save folder, by placeholder name.
    vars: HashMap<String, Value>,
    templates: serde_json::Map<String, Value>,
    _dir: tempfile::TempDir,
}

impl Harness {
    fn new(templates: serde_json::Map<String, Value>) -> Harness {
        let dir = tempfile::tempdir().unwrap();
        let app = kap_practice_app::register(mock_builder())
            .plugin(tauri_plugin_opener::init())
            .build(tauri::generate_context!("../tauri.conf.json"))
            .unwrap();
        let keychain = Keychain::from_store(keyring_core::mock::Store::new().unwrap());
        app.manage(AppState::launch(
            PracticeFolder::new(dir.path().join("practice")),
            keychain,
        ));
        let webview = match app.get_webview_window("main") {
            Some(w) => w,
            None => WebviewWindowBuilder::new(&app, "main", Default::default())
                .build()
                .unwrap(),
        };
        let save = dir.path().join("saved");
        std::fs::create_dir(&save).unwrap();
        // A file a hostile save must not replace.
        std::fs::write(save.join("victim.txt"), "not a backup").unwrap();
        std::fs::write(save.join("plain.txt"), "not a backup either").unwrap();
        // A client list with a formula, an embedded newline and doubled quotes.
        std::fs::write(
            save.join("hostile.csv"),
            "First Name,Last Name,Notes\r\n=HYPERLINK(\"http://x\"),Okafor,\"two\nlines \"\"quoted\"\"\"\r\n",
        )
        .unwrap();
        let mut vars = HashMap::new();
        vars.insert("dir".to_owned(), json!(save.display().to_string()));
        let practice = dir.path().join("practice").display().to_string();
        vars.insert("practice".to_owned(), json!(practice));
        Harness {
            app,
            webview,
            vars,
            templates,
            _dir: dir,
        }
    }

    fn save_dir(&self) -> PathBuf {
        PathBuf::from(self.vars["dir"].as_str().unwrap())
    }

    /// One IPC call as the webview makes it. `Err` holds the wire error.
    fn invoke(&self, cmd: &str, body: InvokeBody) -> Result<Value, Value> {
        let request = InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body,
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        };
        tauri::test::get_ipc_response(&self.webview, request)
            .map(|b| b.deserialize::<Value>().unwrap())
    }

    fn call(&self, cmd: &str, req: Value) -> Result<Value, Value> {
        self.invoke(cmd, InvokeBody::Json(json!({ "req": req })))
    }

    /// A set-up call that must succeed.
    fn setup(&self, cmd: &str, req: Value) -> Value {
        self.call(cmd, req)
            .unwrap_or_else(|e| panic!("set-up call {cmd} failed: {e}"))
    }

    fn state(&self) -> tauri::State<'_, AppState> {
        self.app.state::<AppState>()
    }

    /// Rows and a hash of their content, per table: any insert, update or delete shows.
    /// `None` while the practice is locked (the database is closed).
    fn fingerprint(&self) -> Option<BTreeMap<String, (usize, u64)>> {
        if self.invoke("app_status", InvokeBody::default()).ok()?["state"] != "unlocked" {
            return None;
        }
        let tables = self
            .state()
            .with_session(|s| {
                Ok(s.store.read(|c| {
                    let mut stmt = c.prepare(
                        "SELECT name FROM sqlite_master WHERE type = 'table' \
                         AND name NOT LIKE 'sqlite_%' ORDER BY name",
                    )?;
                    let tables = stmt
                        .query_map([], |r| r.get::<_, String>(0))?
                        .collect::<Result<Vec<_>, _>>()?;
                    let mut out = BTreeMap::new();
                    for t in tables {
                        let mut stmt = c.prepare(&format!("SELECT * FROM \"{t}\""))?;
                        let n = stmt.column_count();
                        let mut rows = stmt.query([])?;
                        let mut h = std::collections::hash_map::DefaultHasher::new();
                        let mut count = 0;
                        while let Some(row) = rows.next()? {
                            count += 1;
                            for i in 0..n {
                                format!("{:?}", row.get_ref(i)?).hash(&mut h);
                            }
                        }
                        out.insert(t, (count, h.finish()));
                    }
                    Ok(out)
                })?)
            })
            .unwrap();
        Some(tables)
    }

    /// Replaces placeholders in every string of `v`.
    fn expand(&self, v: &Value) -> Value {
        match v {
            Value::String(s) => {
                if let Some(name) = s.strip_prefix("{{").and_then(|r| r.strip_suffix("}}")) {
                    if let Some(var) = self.vars.get(name) {
                        return var.clone();
                    }
                    // `{{ints:N:v}}` and `{{strs:N:v}}`: a list of N copies of v.
                    if let Some(spec) = name.strip_prefix("ints:") {
                        let (n, unit) = spec.split_once(':').unwrap();
                        let unit: i64 = unit.parse().unwrap();
                        return json!(vec![unit; n.parse().unwrap()]);
                    }
                    if let Some(spec) = name.strip_prefix("strs:") {
                        let (n, unit) = spec.split_once(':').unwrap();
                        return json!(vec![unit; n.parse().unwrap()]);
                    }
                }
                Value::String(self.expand_text(s))
            }
            Value::Array(a) => Value::Array(a.iter().map(|x| self.expand(x)).collect()),
            Value::Object(o) => {
                Value::Object(o.iter().map(|(k, x)| (k.clone(), self.expand(x))).collect())
            }
            _ => v.clone(),
        }
    }

    /// Expands `{{dir}}`, `{{practice}}` and `{{repeat:N:unit}}` anywhere in a text (the unit is at least
    /// one character, so `{{repeat:3:}}}}` repeats `}`).
    fn expand_text(&self, s: &str) -> String {
        let mut out = String::new();
        let mut rest = s;
        while let Some(start) = rest.find("{{repeat:") {
            out.push_str(&rest[..start]);
            let spec = &rest[start + "{{repeat:".len()..];
            let (n, tail) = spec.split_once(':').unwrap();
            let first = tail.chars().next().unwrap().len_utf8();
            let end = first + tail[first..].find("}}").unwrap();
            out.push_str(&tail[..end].repeat(n.parse().unwrap()));
            rest = &tail[end + 2..];
        }
        out.push_str(rest);
        for name in ["dir", "practice"] {
            if let Some(Value::String(d)) = self.vars.get(name) {
                out = out.replace(&format!("{{{{{name}}}}}"), d);
            }
        }
        out
    }

    /// The request of one corpus entry, placeholders expanded.
    fn request(&self, p: &Value) -> Value {
        let mut req = if let Some(name) = p.get("template").and_then(Value::as_str) {
            self.templates
                .get(name)
                .unwrap_or_else(|| panic!("no template {name}"))
                .clone()
        } else {
            p.get("req").cloned().unwrap_or(Value::Null)
        };
        if let Some(set) = p.get("set").and_then(Value::as_object) {
            for (ptr, value) in set {
                set_pointer(&mut req, ptr, value.clone());
            }
        }
        if let Some(remove) = p.get("remove").and_then(Value::as_array) {
            for ptr in remove.iter().filter_map(Value::as_str) {
                let (parent, key) = ptr.rsplit_once('/').unwrap();
                if let Some(Value::Object(o)) = req.pointer_mut(parent) {
                    o.remove(key);
                }
            }
        }
        self.expand(&req)
    }
}

/// Sets `ptr` in `v`, creating the last key of an object if needed.
fn set_pointer(v: &mut Value, ptr: &str, value: Value) {
    if ptr.is_empty() {
        *v = value;
        return;
    }
    let (parent, key) = ptr.rsplit_once('/').unwrap();
    match v.pointer_mut(parent) {
        Some(Value::Object(o)) => {
            o.insert(key.to_owned(), value);
        }
        Some(Value::Array(a)) => {
            let i: usize = key.parse().unwrap();
            a[i] = value;
        }
        _ => panic!("no parent for {ptr}"),
    }
}

/// The texts of a payload a message must not repeat: every string and key of at least
/// six characters (shorter ones are common words; the messages name rules).
fn texts(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) if s.chars().count() >= 6 => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| texts(x, out)),
        Value::Object(o) => {
            for (k, x) in o {
                if k.chars().count() >= 6 {
                    out.push(k.clone());
                }
                texts(x, out);
            }
        }
        _ => {}
    }
}

/// Problems with one error response, if any.
fn check_error(err: &Value, code: &str, payload_texts: &[String]) -> Vec<String> {
    let mut problems = Vec::new();
    let got = err.get("code").and_then(Value::as_str).unwrap_or("");
    if !KNOWN_CODES.contains(&got) {
        problems.push(format!("unknown error shape or code: {err}"));
    } else if got != code {
        problems.push(format!("code {got}, expected {code}: {err}"));
    }
    let message = err.get("message").and_then(Value::as_str).unwrap_or("");
    if message.trim().is_empty() {
        problems.push("empty message".into());
    }
    let mut shown = vec![message.to_owned()];
    for f in err
        .get("fields")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        shown.push(f["message"].as_str().unwrap_or("").to_owned());
        if f["message"].as_str().unwrap_or("").trim().is_empty() {
            problems.push(format!("empty field message: {f}"));
        }
    }
    for t in payload_texts {
        // Field names may be named back (`legal_name`); anything else may be PHI.
        let is_field_name = t
            .chars()
            .all(|c| c.is_ascii_lowercase() || c == '_' || c == '.');
        if !is_field_name && shown.iter().any(|m| m.contains(t.as_str())) {
            let head: String = t.chars().take(40).collect();
            problems.push(format!("the message repeats the payload's text {head:?}"));
        }
    }
    problems
}

/// Builds the fixture every payload runs against, through the commands themselves:
/// a practice, a client with a completed (billed, invoiced) session and a booked one
/// ahead of today,
/// a note draft, a follow-up and a prescriber.
fn fixture(h: &mut Harness) {
    let status = h.invoke("app_status", InvokeBody::default()).unwrap();
    assert_eq!(status["state"], "no_practice");
    h.setup(
        "create_practice",
        json!({ "practice_name": "Union Square KAP", "therapist_name": "Dana Whitfield",
                "passphrase": PASSPHRASE, "passphrase_again": PASSPHRASE }),
    );
    let settings = h.invoke("get_settings", InvokeBody::default()).unwrap();
    h.templates.insert("settings".into(), settings);

    let mut client = h.templates["client"].clone();
    client["legal_name"] = json!("Ana Fixture");
    client["status"] = json!("active");
    let client_id = h.setup("create_client", client)["id"].clone();
    h.vars.insert("client".into(), client_id.clone());

    let mut appt = h.templates["appointment"].clone();
    appt["client_ids"] = json!([client_id]);
    appt["starts_local"] = json!("2026-03-12T10:00:00");
    let past = h.setup("book_appointment", appt.clone())["id"].clone();
    h.setup(
        "set_appointment_status",
        json!({ "id": past, "status": "completed" }),
    );
    h.vars.insert("past_appointment".into(), past.clone());

    let ledger = h.setup("client_ledger", json!({ "id": client_id }));
    let charge = ledger["uninvoiced"][0]["id"].clone();
    h.vars.insert("charge".into(), charge.clone());
    h.setup(
        "set_charge_amount",
        json!({ "id": charge, "amount": 20000, "usual": 20000 }),
    );
    let invoice = h.setup(
        "create_invoice",
        json!({ "client_id": client_id, "charge_ids": [charge], "issued_on": "2026-03-13" }),
    )["id"]
        .clone();
    h.vars.insert("invoice".into(), invoice);

    // A second completed session whose charge stays off any invoice.
    appt["starts_local"] = json!("2026-03-19T10:00:00");
    let second = h.setup("book_appointment", appt.clone())["id"].clone();
    h.setup(
        "set_appointment_status",
        json!({ "id": second, "status": "completed" }),
    );
    let ledger = h.setup("client_ledger", json!({ "id": client_id }));
    let open_charge = ledger["uninvoiced"][0]["id"].clone();
    h.setup(
        "set_charge_amount",
        json!({ "id": open_charge, "amount": 15000, "usual": 20000 }),
    );
    h.vars.insert("open_charge".into(), open_charge);

    // A session that has not started on whatever day the test runs ("completing a future
    // session" must be refused): 30 days from now, at an hour no payload books.
    let ahead = (chrono::Utc::now().date_naive() + chrono::Days::new(30))
        .and_hms_opt(16, 0, 0)
        .unwrap();
    appt["starts_local"] = json!(ahead.format("%Y-%m-%dT%H:%M:%S").to_string());
    let future = h.setup("book_appointment", appt)["id"].clone();
    h.vars.insert("appointment".into(), future);

    let note = h.setup(
        "save_note_draft",
        json!({ "appointment_id": past, "client_id": client_id,
                "body": { "kind": "free_text", "text": "Fixture note." } }),
    )["id"]
        .clone();
    h.vars.insert("note".into(), note);

    let follow_ups = h.setup(
        "create_follow_up",
        json!({ "client_id": client_id,
                "follow_up": { "kind": "call", "due_on": "2026-12-01", "note": "Call back." } }),
    );
    h.vars
        .insert("follow_up".into(), follow_ups[0]["id"].clone());

    let prescriber = h.setup("create_prescriber", h.templates["prescriber"].clone())["id"].clone();
    h.vars.insert("prescriber".into(), prescriber);
}

/// Paths outside the temp dir that a payload names: they must never be touched. Their
/// state before and after (missing, or length and modification time).
fn outside_state(path: &Path) -> Option<(u64, std::time::SystemTime)> {
    std::fs::metadata(path)
        .ok()
        .map(|m| (m.len(), m.modified().unwrap()))
}

#[test]
fn hostile_corpus_through_the_real_commands() {
    let corpus: Value = serde_json::from_str(CORPUS).expect("the corpus is JSON");
    let templates = corpus["templates"].as_object().unwrap().clone();
    let payloads = corpus["payloads"].as_array().unwrap();

    // Every panic, on any thread (commands run on the async runtime), is counted.
    let panics = Arc::new(AtomicUsize::new(0));
    let counter = panics.clone();
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        counter.fetch_add(1, Ordering::SeqCst);
        default_hook(info);
    }));

    let mut h = Harness::new(templates);
    fixture(&mut h);
    let panics_after_fixture = panics.load(Ordering::SeqCst);

    // HOSTILE_VERBOSE=1 prints every response.
    let verbose = std::env::var_os("HOSTILE_VERBOSE").is_some();
    let mut failures = Vec::new();
    let mut known = Vec::new();
    let mut by_category: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let (mut rejected, mut accepted) = (0, 0);
    let mut commands = std::collections::BTreeSet::new();

    for (i, p) in payloads.iter().enumerate() {
        let cmd = p["cmd"].as_str().unwrap();
        let category = p["category"].as_str().unwrap().to_owned();
        let expect = p["expect"].as_str().unwrap();
        let label = format!(
            "#{i} {cmd} [{category}] {}",
            p["what"].as_str().unwrap_or("")
        );
        commands.insert(cmd.to_owned());
        if cmd == "unlock" {
            // Each hostile passphrase is judged on its own: the growing wait after wrong
            // ones (tests/custody.rs, tests/cli.rs, the privacy end-to-end test) would
            // otherwise answer `try_later` for the later ones.
            let attempts = h.app.state::<AppState>().folder.attempts_path();
            let _ = std::fs::remove_file(attempts);
        }

        let (body, payload) = if let Some(raw) = p.get("raw").and_then(Value::as_str) {
            let raw = h.expand_text(raw);
            assert!(
                serde_json::from_str::<Value>(&raw).is_err(),
                "{label}: a raw payload is not JSON"
            );
            (InvokeBody::Raw(raw.clone().into_bytes()), json!(raw))
        } else if let Some(body) = p.get("body") {
            let body = h.expand(body);
            (InvokeBody::Json(body.clone()), body)
        } else {
            let req = h.request(p);
            (InvokeBody::Json(json!({ "req": req })), req)
        };
        let mut payload_texts = Vec::new();
        texts(&payload, &mut payload_texts);
        let dir = h.save_dir().display().to_string();
        // The temp dir is not the payload's text; what follows it (a file name) is.
        let payload_texts: Vec<String> = payload_texts
            .into_iter()
            .filter(|t| !dir.contains(t.as_str()))
            .map(|t| t.replace(&dir, ""))
            .filter(|t| t.chars().count() >= 6)
            .collect();

        let outside: Vec<(PathBuf, Option<_>)> = p
            .get("untouched")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(|s| {
                let path = PathBuf::from(s);
                let st = outside_state(&path);
                (path, st)
            })
            .collect();

        let before = h.fingerprint();
        let panics_before = panics.load(Ordering::SeqCst);
        let response =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| h.invoke(cmd, body)));
        if panics.load(Ordering::SeqCst) != panics_before {
            failures.push(format!("{label}: PANIC"));
            continue;
        }
        let response = match response {
            Ok(r) => r,
            Err(_) => {
                failures.push(format!("{label}: no response (the command panicked)"));
                continue;
            }
        };
        let after = h.fingerprint();
        if verbose {
            let shown: String = format!("{response:?}").chars().take(160).collect();
            println!("{label}: {shown}");
        }
        for (path, st) in &outside {
            if outside_state(path) != *st {
                failures.push(format!("{label}: a file outside the save folder changed"));
            }
        }

        let entry = by_category.entry(category).or_default();
        // A known issue in code this corpus does not own: reported, not failed, until fixed.
        if let Some(issue) = p.get("known_issue").and_then(Value::as_str) {
            let now = match &response {
                Ok(_) => "accepted".to_owned(),
                Err(e) => format!("refused with {}", e["code"]),
            };
            known.push(format!("{label}: {issue} (now {now}, expected {expect})"));
            continue;
        }
        match (expect, response) {
            ("reject", Err(err)) => {
                rejected += 1;
                entry.0 += 1;
                let code = p["code"].as_str().unwrap_or("invalid");
                for problem in check_error(&err, code, &payload_texts) {
                    failures.push(format!("{label}: {problem}"));
                }
                if before != after {
                    let (before, after) = (before.unwrap_or_default(), after.unwrap_or_default());
                    let changed: Vec<_> = after
                        .iter()
                        .filter(|(t, v)| before.get(*t) != Some(*v))
                        .map(|(t, _)| t.clone())
                        .collect();
                    failures.push(format!("{label}: refused but changed tables {changed:?}"));
                }
            }
            ("reject", Ok(v)) => {
                let head: String = v.to_string().chars().take(200).collect();
                failures.push(format!("{label}: accepted, expected a refusal: {head}"));
            }
            ("accept", Ok(v)) => {
                accepted += 1;
                entry.1 += 1;
                for (ptr, want) in p
                    .get("checks")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                {
                    // `null` also stands for absent.
                    let want = h.expand(want);
                    if v.pointer(ptr).unwrap_or(&Value::Null) != &want {
                        failures.push(format!(
                            "{label}: {ptr} is {:?}, expected {want}",
                            v.pointer(ptr)
                        ));
                    }
                }
            }
            ("accept", Err(err)) => {
                failures.push(format!("{label}: refused, expected success: {err}"));
            }
            (other, _) => panic!("{label}: unknown expectation {other}"),
        }
    }

    // The store is whole: SQLite's own check and the audit chain.
    let (integrity, audit_rows) = h
        .state()
        .with_session(|s| {
            let integrity = s.store.read(|c| {
                Ok(c.query_row("PRAGMA integrity_check", [], |r| r.get::<_, String>(0))?)
            })?;
            Ok((integrity, s.store.verify_audit()?.rows))
        })
        .unwrap();
    // Every command's writes left rows as their audit rows recorded them.
    let findings = h
        .state()
        .with_session(|s| Ok(s.store.inspect_audit()?.findings))
        .unwrap();
    assert!(
        findings.is_empty(),
        "verify finds nothing after the corpus: {findings:?}"
    );

    println!(
        "hostile corpus: {} payloads through {} commands, {rejected} rejected, {accepted} accepted, \
         {} known issues, {} failures, {} panics; audit chain {audit_rows} rows verified; integrity {integrity}",
        payloads.len(),
        commands.len(),
        known.len(),
        failures.len(),
        panics.load(Ordering::SeqCst) - panics_after_fixture,
    );
    for (category, (r, a)) in &by_category {
        println!("  {category}: {r} rejected, {a} accepted");
    }
    for k in &known {
        println!("KNOWN {k}");
    }
    for f in &failures {
        println!("FAIL {f}");
    }
    let _ = std::panic::take_hook();
    assert_eq!(integrity, "ok", "the database is intact");
    assert!(
        failures.is_empty(),
        "{} payloads misbehaved (listed above)",
        failures.len()
    );
    assert!(
        payloads.len() >= 200,
        "issue 7 asks for at least 200 payloads"
    );
}
