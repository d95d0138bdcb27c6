//! Preview, print and save through the real commands (Tauri's mock runtime, the app's
//! real context and capabilities) over a real encrypted practice in a temp dir.
//!
//! The printing system is stood in for by two small scripts named `lpstat` and `lp`
//! first on `PATH`: what the app sends to `lp` is kept and compared with the preview's
//! bytes. When `KAP_PRINTED_DIR` names the folder of a CUPS virtual PDF printer
//! (`scripts/virtual-printer`, which CI runs), the invoice is also printed for real on
//! that printer (`KAP_VIRTUAL_PRINTER`, default `KAP-Virtual-PDF`) and read back with
//! `pdftotext`. The end-to-end test `tests/e2e/tests/print.rs` prints a consent form in
//! the real window; invoices have no print button of their own yet, so this is their proof.

#![cfg(unix)] // The stand-ins are shell scripts; Windows has no CUPS (src/print/mod.rs).
#![allow(clippy::unwrap_used, clippy::print_stdout)] // Tests fail loudly on purpose.

use kap_practice::audit::{self, EntityKind};
use kap_practice::folder::PracticeFolder;
use kap_practice::key::Keychain;
use kap_practice_app::AppState;
use serde_json::{json, Value};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tauri::ipc::{CallbackFn, InvokeBody, InvokeResponseBody};
use tauri::test::{mock_builder, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{Manager, WebviewWindow, WebviewWindowBuilder};

const PASSPHRASE: &str = "quiet river morning 42";
const CLIENT: &str = "Zoë Printwell";

struct App {
    app: tauri::App<MockRuntime>,
    webview: WebviewWindow<MockRuntime>,
}

impl App {
    fn new(dir: &Path) -> App {
        let app = kap_practice_app::register(mock_builder())
            .build(tauri::generate_context!("../tauri.conf.json"))
            .unwrap();
        let keychain = Keychain::from_store(keyring_core::mock::Store::new().unwrap());
        app.manage(AppState::launch(
            PracticeFolder::new(dir.join("practice")),
            keychain,
        ));
        let webview = match app.get_webview_window("main") {
            Some(w) => w,
            None => WebviewWindowBuilder::new(&app, "main", Default::default())
                .build()
                .unwrap(),
        };
        App { app, webview }
    }

    fn invoke(&self, cmd: &str, req: Option<Value>) -> Result<InvokeResponseBody, Value> {
        let body = match req {
            Some(req) => InvokeBody::Json(json!({ "req": req })),
            None => InvokeBody::default(),
        };
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
    }

    fn call(&self, cmd: &str, req: Value) -> Result<Value, Value> {
        self.invoke(cmd, Some(req))
            .map(|b| b.deserialize::<Value>().unwrap())
    }

    fn ok(&self, cmd: &str, req: Value) -> Value {
        self.call(cmd, req)
            .unwrap_or_else(|e| panic!("{cmd} failed: {e}"))
    }

    fn preview(&self, document: Value) -> Vec<u8> {
        match self.invoke("preview_document", Some(document)) {
            Ok(InvokeResponseBody::Raw(bytes)) => bytes,
            other => panic!("a preview is raw PDF bytes, got {other:?}"),
        }
    }

    /// Export rows for one entity, newest first.
    fn exports(&self, kind: EntityKind, id: i64) -> usize {
        self.app
            .state::<AppState>()
            .with_session(|s| Ok(s.store.read(|c| audit::for_entity(c, kind, id, 1000))?))
            .unwrap()
            .iter()
            .filter(|r| r.action == "export")
            .count()
    }
}

/// `lpstat` and `lp` stand-ins in `bin`; `lp` keeps its arguments and standard input.
fn stand_in_cups(bin: &Path) {
    std::fs::create_dir_all(bin).unwrap();
    let write = |name: &str, body: String| {
        let p = bin.join(name);
        std::fs::write(&p, format!("#!/bin/sh\n{body}\n")).unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    };
    write(
        "lpstat",
        r#"case "$1" in
  -e) printf 'Front_Desk\nStand-In-PDF\n' ;;
  -d) echo "system default destination: Front_Desk" ;;
  -r) echo "scheduler is running" ;;
esac"#
            .into(),
    );
    write(
        "lp",
        format!(
            "printf '%s\\n' \"$@\" > {0}/lp-args\ncat > {0}/lp-stdin\necho \"request id is $2-1 (0 file(s))\"",
            bin.display()
        ),
    );
}

fn pdftotext(pdf: &Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn preview_print_and_save_an_invoice_and_a_consent_form() {
    let dir = tempfile::tempdir().unwrap();
    let app = App::new(dir.path());
    app.ok(
        "create_practice",
        json!({ "practice_name": "Union Square KAP", "therapist_name": "Dana Whitfield",
                "passphrase": PASSPHRASE, "passphrase_again": PASSPHRASE }),
    );
    let client = app.ok(
        "create_client",
        json!({ "legal_name": CLIENT, "preferred_name": null, "pronouns": null,
                "date_of_birth": null, "phone": null, "email": null, "address": null,
                "emergency_contact": { "name": null, "relation": null, "phone": null },
                "referral_source": null, "presenting_concerns": [], "status": "active",
                "fee_arrangement": { "kind": "standard", "agreed": [], "note": null },
                "notes": "" }),
    )["id"]
        .as_i64()
        .unwrap();
    let appt = app.ok(
        "book_appointment",
        json!({ "kind": "psychotherapy", "starts_local": "2026-03-12T10:00:00",
                "duration_minutes": null, "location": "telehealth", "location_note": null,
                "client_ids": [client], "notes": "" }),
    )["id"]
        .clone();
    app.ok(
        "set_appointment_status",
        json!({ "id": appt, "status": "completed" }),
    );
    let charge = app.ok("client_ledger", json!({ "id": client }))["uninvoiced"][0]["id"].clone();
    app.ok(
        "set_charge_amount",
        json!({ "id": charge, "amount": 20000, "usual": 20000 }),
    );
    let invoice = app.ok(
        "create_invoice",
        json!({ "client_id": client, "charge_ids": [charge], "issued_on": "2026-03-13" }),
    );
    let invoice_id = invoice["id"].as_i64().unwrap();
    let invoice_doc = json!({ "kind": "invoice", "id": invoice_id });
    let consent_doc = json!({ "kind": "consent", "client_id": client });

    // The preview: the PDF's bytes, and no audit row (it never leaves the app).
    let pdf = app.preview(invoice_doc.clone());
    assert!(pdf.starts_with(b"%PDF-"), "a preview is a PDF");
    assert_eq!(app.exports(EntityKind::Invoice, invoice_id), 0);
    assert!(app.preview(consent_doc.clone()).starts_with(b"%PDF-"));
    assert_eq!(app.exports(EntityKind::Consent, client), 0);

    // Printing through the stand-ins: the printers listed, the default marked.
    let bin = dir.path().join("bin");
    stand_in_cups(&bin);
    let system_path = std::env::var_os("PATH").unwrap_or_default();
    let mut path = vec![bin.clone()];
    path.extend(std::env::split_paths(&system_path));
    std::env::set_var("PATH", std::env::join_paths(path).unwrap());

    let printers = app.call("list_printers", json!(null));
    let printers = match printers {
        Ok(v) => v,
        // list_printers takes no request: call it without one.
        Err(_) => app
            .invoke("list_printers", None)
            .unwrap()
            .deserialize::<Value>()
            .unwrap(),
    };
    assert_eq!(
        printers,
        json!([{ "name": "Front_Desk", "is_default": true },
               { "name": "Stand-In-PDF", "is_default": false }])
    );

    let job = app.ok(
        "print_document",
        json!({ "document": invoice_doc, "printer": "Stand-In-PDF", "copies": 2 }),
    );
    assert_eq!(job["id"], "Stand-In-PDF-1");
    // Each rendering gets its own font-subset prefix and document id, so the bytes
    // differ: the text must not.
    let sent = bin.join("lp-stdin");
    assert!(std::fs::read(&sent).unwrap().starts_with(b"%PDF-"));
    let previewed = dir.path().join("previewed.pdf");
    std::fs::write(&previewed, &pdf).unwrap();
    let sent_text = pdftotext(&sent);
    assert!(
        sent_text.contains(CLIENT) && sent_text == pdftotext(&previewed),
        "the printer receives the previewed invoice: {sent_text:.300}"
    );
    let args = std::fs::read_to_string(bin.join("lp-args")).unwrap();
    assert!(args.contains("KAP Practice document") && !args.contains("Printwell"));
    assert!(args.contains("-n\n2\n"), "two copies asked for: {args}");
    assert_eq!(
        app.exports(EntityKind::Invoice, invoice_id),
        1,
        "a print is an export row"
    );

    // Refusals change nothing: an unknown printer, too many copies, a missing invoice.
    for (req, code) in [
        (
            json!({ "document": invoice_doc, "printer": "Elsewhere", "copies": 1 }),
            "invalid",
        ),
        (
            json!({ "document": invoice_doc, "printer": "--help", "copies": 1 }),
            "invalid",
        ),
        (
            json!({ "document": invoice_doc, "printer": "Front_Desk", "copies": 0 }),
            "invalid",
        ),
        (
            json!({ "document": { "kind": "invoice", "id": 999_999 }, "printer": "Front_Desk", "copies": 1 }),
            "not_found",
        ),
        (
            json!({ "document": { "kind": "invoice", "id": invoice_id, "extra": 1 }, "printer": "Front_Desk", "copies": 1 }),
            "invalid",
        ),
    ] {
        let err = app.call("print_document", req.clone()).unwrap_err();
        assert_eq!(err["code"], code, "{req}: {err}");
        assert!(!err.to_string().contains("Printwell"), "no PHI in {err}");
    }
    assert_eq!(
        app.exports(EntityKind::Invoice, invoice_id),
        1,
        "a refused print leaves no row"
    );

    // A printer that refuses the job: an error without its words, and no row.
    std::fs::write(
        bin.join("lp"),
        format!("#!/bin/sh\ncat >/dev/null\necho \"lp: {CLIENT} refused\" >&2\nexit 1\n"),
    )
    .unwrap();
    let err = app
        .call(
            "print_document",
            json!({ "document": consent_doc, "printer": "Front_Desk", "copies": 1 }),
        )
        .unwrap_err();
    assert_eq!(err["code"], "conflict");
    assert!(!err.to_string().contains("Printwell"));
    assert_eq!(app.exports(EntityKind::Consent, client), 0);

    // Save as PDF from the preview: the same audited path as the save_*_pdf commands.
    let saved_dir = dir.path().join("saved");
    std::fs::create_dir(&saved_dir).unwrap();
    let target = saved_dir.join("kap-consent-form.pdf");
    app.ok(
        "save_document_pdf",
        json!({ "document": consent_doc, "path": target.display().to_string() }),
    );
    assert!(pdftotext(&target).contains(CLIENT));
    assert_eq!(app.exports(EntityKind::Consent, client), 1);

    std::env::set_var("PATH", &system_path);

    // The real thing, where a CUPS virtual PDF printer is set up (CI).
    let Some(printed) = std::env::var_os("KAP_PRINTED_DIR")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
    else {
        println!("KAP_PRINTED_DIR is not set: the invoice was printed only to the stand-in");
        return;
    };
    let queue = std::env::var("KAP_VIRTUAL_PRINTER").unwrap_or_else(|_| "KAP-Virtual-PDF".into());
    let before: Vec<_> = std::fs::read_dir(&printed)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    let job = app.ok(
        "print_document",
        json!({ "document": invoice_doc, "printer": queue, "copies": 1 }),
    );
    let deadline = Instant::now() + Duration::from_secs(60);
    let file = loop {
        let new = std::fs::read_dir(&printed)
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .find(|p| !before.contains(p) && p.extension().is_some_and(|x| x == "pdf"));
        if let Some(f) = new {
            // cups-pdf writes the file, then sets its mode: wait for a whole PDF.
            let text = pdftotext(&f);
            if text.contains("Invoice") || text.contains("INVOICE") {
                break f;
            }
        }
        assert!(
            Instant::now() < deadline,
            "job {job} never appeared in {}",
            printed.display()
        );
        std::thread::sleep(Duration::from_millis(250));
    };
    let text = pdftotext(&file);
    assert!(
        text.contains(CLIENT),
        "the printed invoice names the client: {text}"
    );
    let number = invoice["number"].as_str().unwrap_or_default().to_owned();
    assert!(
        text.contains(&number),
        "the printed invoice has its number {number}"
    );
    assert!(
        !file
            .file_name()
            .unwrap()
            .to_string_lossy()
            .contains("Printwell"),
        "the printed file's name carries no PHI"
    );
    assert_eq!(app.exports(EntityKind::Invoice, invoice_id), 2);
    println!("printed the invoice on {queue}: {}", file.display());
}
