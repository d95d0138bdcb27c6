//! One source for the strings of every enum the database stores: the schema's CHECK
//! lists and the SQL the core writes by hand agree with the enums' `str_enum!` strings
//! (which `str_enum`'s own test ties to their serde strings, and so to the UI's types).

mod common;

use kap_practice::appointments::{AppointmentKind, AppointmentStatus, Attendance, Location};
use kap_practice::audit::{Action, EntityKind, Source};
use kap_practice::billing::PaymentMethod;
use kap_practice::clients::ClientStatus;
use kap_practice::disclose::Document;
use kap_practice::drafts::DraftForm;
use kap_practice::followups::{FollowUpKind, FollowUpStatus};
use kap_practice::import::Source as ImportSource;
use kap_practice::intakes::{Answer, IntakeKind, IntakeOutcome};
use kap_practice::measures::safety::RiskLevel;
use kap_practice::measures::{Instrument, MeasureSource};
use kap_practice::prescribers::Credential;
use kap_practice::prescriptions::Formulation;
use kap_practice::records::access::{AccessFormat, AccessKind, AccessStatus, Delivery, Requester};
use kap_practice::records::accounting::RecipientKind;
use kap_practice::records::authorization::SignedBy;
use kap_practice::records::Acknowledgment;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn strings<T: Copy>(all: &[T], as_str: fn(T) -> &'static str) -> BTreeSet<String> {
    all.iter().map(|&v| as_str(v).to_owned()).collect()
}

/// Each stored text column, by `table.column`, and the strings its enum gives.
fn columns() -> BTreeMap<&'static str, BTreeSet<String>> {
    BTreeMap::from([
        (
            "import_batch.source",
            strings(
                kap_practice::import::Source::ALL,
                kap_practice::import::Source::as_str,
            ),
        ),
        (
            "prescriber.credentials",
            strings(Credential::ALL, Credential::as_str),
        ),
        ("intake.kind", strings(IntakeKind::ALL, IntakeKind::as_str)),
        (
            "intake.outcome",
            strings(IntakeOutcome::ALL, IntakeOutcome::as_str),
        ),
        (
            "screening_answer.answer",
            strings(Answer::ALL, Answer::as_str),
        ),
        (
            "prescription.formulation",
            strings(Formulation::ALL, Formulation::as_str),
        ),
        (
            "appointment.kind",
            strings(AppointmentKind::ALL, AppointmentKind::as_str),
        ),
        (
            "appointment.location",
            strings(Location::ALL, Location::as_str),
        ),
        (
            "appointment.status",
            strings(AppointmentStatus::ALL, AppointmentStatus::as_str),
        ),
        (
            "appointment_attendee.attendance",
            strings(Attendance::ALL, Attendance::as_str),
        ),
        (
            "follow_up.kind",
            strings(FollowUpKind::ALL, FollowUpKind::as_str),
        ),
        (
            "follow_up.status",
            strings(FollowUpStatus::ALL, FollowUpStatus::as_str),
        ),
        (
            "payment.method",
            strings(PaymentMethod::ALL, PaymentMethod::as_str),
        ),
        (
            "disclosure.document",
            strings(Document::ALL, Document::as_str),
        ),
        // An invoice stores only whether it is void; paid and partly paid are derived
        // from its lines and payments (`billing::invoice_status`).
        (
            "invoice.status",
            ["open".to_owned(), "void".to_owned()].into(),
        ),
        (
            "client.status",
            strings(ClientStatus::ALL, ClientStatus::as_str),
        ),
        (
            "form_draft.form",
            strings(DraftForm::ALL, DraftForm::as_str),
        ),
        (
            "measure.instrument",
            strings(Instrument::ALL, Instrument::as_str),
        ),
        (
            "measure.source",
            strings(MeasureSource::ALL, MeasureSource::as_str),
        ),
        (
            "safety_assessment.risk_level",
            strings(RiskLevel::ALL, RiskLevel::as_str),
        ),
        ("audit_log.action", strings(Action::ALL, Action::as_str)),
        (
            "audit_log.entity_kind",
            strings(EntityKind::ALL, EntityKind::as_str),
        ),
        ("audit_log.source", strings(Source::ALL, Source::as_str)),
        (
            "import_batch.source",
            strings(ImportSource::ALL, ImportSource::as_str),
        ),
        (
            "access_request.requested_by",
            strings(Requester::ALL, Requester::as_str),
        ),
        (
            "access_request.access",
            strings(AccessKind::ALL, AccessKind::as_str),
        ),
        (
            "access_request.format",
            strings(AccessFormat::ALL, AccessFormat::as_str),
        ),
        (
            "access_request.delivery",
            strings(Delivery::ALL, Delivery::as_str),
        ),
        (
            "access_request.status",
            strings(AccessStatus::ALL, AccessStatus::as_str),
        ),
        (
            "authorization.signed_by",
            strings(SignedBy::ALL, SignedBy::as_str),
        ),
        (
            "disclosure_entry.recipient_kind",
            strings(RecipientKind::ALL, RecipientKind::as_str),
        ),
        (
            "disclosure.recipient_kind",
            strings(RecipientKind::ALL, RecipientKind::as_str),
        ),
        (
            "privacy_acknowledgment.outcome",
            strings(Acknowledgment::ALL, Acknowledgment::as_str),
        ),
    ])
}

/// The quoted words of a list such as `'a', 'b',\n 'c'`.
fn quoted(list: &str) -> BTreeSet<String> {
    list.split(',')
        .filter_map(|w| {
            let w = w.trim();
            w.strip_prefix('\'')?.strip_suffix('\'').map(str::to_owned)
        })
        .collect()
}

/// `column IN ('a', 'b')` checks in one table's SQL, by column.
fn check_lists(sql: &str) -> Vec<(String, BTreeSet<String>)> {
    let mut out = Vec::new();
    let mut rest = sql;
    while let Some(i) = rest.find("CHECK (") {
        let after = &rest[i + 7..];
        let Some(end) = after.find(')') else { break };
        let inner = &after[..end];
        if let Some((col, list)) = inner.split_once(" IN (") {
            let col = col.trim();
            let words = quoted(list);
            if !words.is_empty() && col.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                out.push((col.to_owned(), words));
            }
        }
        rest = &after[end..];
    }
    out
}

#[test]
fn every_check_list_in_the_schema_is_its_enums_strings() {
    let (_dir, _folder, _keychain, opened) = common::practice();
    let store = opened.store;
    let tables: Vec<(String, String)> = store
        .read(|c| {
            let mut stmt = c.prepare(
                "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql IS NOT NULL",
            )?;
            let rows = stmt
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
        .expect("schema");
    let known = columns();
    let mut seen = 0;
    for (table, sql) in &tables {
        for (col, words) in check_lists(sql) {
            let key = format!("{table}.{col}");
            let want = known
                .get(key.as_str())
                .unwrap_or_else(|| panic!("{key} has a CHECK list but no enum in this test"));
            assert_eq!(&words, want, "{key}: the schema and the enum disagree");
            seen += 1;
        }
    }
    // Every text enum with a CHECK list was found (the parser did not silently miss them).
    assert!(seen >= 13, "found only {seen} CHECK lists");
}

/// Every `.rs` file under `dir`, but tests.
fn sources(dir: &Path, out: &mut Vec<(String, String)>) {
    for e in std::fs::read_dir(dir).expect("read src") {
        let p = e.expect("entry").path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs")
            && !p
                .file_name()
                .is_some_and(|n| n.to_string_lossy().contains("tests"))
        {
            let text = std::fs::read_to_string(&p).expect("read source");
            out.push((p.display().to_string(), text));
        }
    }
}

/// The words a column compared in hand-written SQL may hold, by column name (any table).
fn by_column_name() -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (key, words) in columns() {
        let col = key.split_once('.').expect("table.column").1.to_owned();
        out.entry(col).or_default().extend(words);
    }
    out
}

/// Each hand-written comparison of a stored enum column with a literal in the core's SQL
/// (`status = 'completed'`, `a.status IN ('scheduled', 'completed')`, `kind <> 'x'`)
/// names a string that column's enum has: a typo or a renamed variant fails here, not in
/// a query that quietly matches nothing.
#[test]
fn the_sql_the_core_writes_names_only_strings_its_enums_have() {
    let mut files = Vec::new();
    sources(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    let allowed = by_column_name();
    let mut checked = 0;
    for (path, text) in &files {
        for (col, words) in &allowed {
            for op in [" = '", " <> '", " != '", " IN ('", " NOT IN ('"] {
                let needle = format!("{col}{op}");
                let mut from = 0;
                while let Some(i) = text[from..].find(&needle) {
                    let at = from + i;
                    from = at + needle.len();
                    // A whole column name: `status`, `a.status`, not `void_status`.
                    let before = text[..at].chars().last().unwrap_or(' ');
                    if before.is_ascii_alphanumeric() || before == '_' {
                        continue;
                    }
                    let start = at + needle.len() - 1;
                    let list = if op.contains("IN") {
                        let end = text[start..].find(')').map_or(text.len(), |e| start + e);
                        quoted(&text[start..end])
                    } else {
                        let end = text[start + 1..]
                            .find('\'')
                            .map_or(text.len(), |e| start + 1 + e);
                        [text[start + 1..end].to_owned()].into()
                    };
                    // `'{kind}'`: a value formatted in from an enum, checked where it is made.
                    for w in list.iter().filter(|w| !w.starts_with('{')) {
                        assert!(
                            words.contains(w),
                            "{path}: `{col}` compared with '{w}', which no enum for {col} has"
                        );
                        checked += 1;
                    }
                }
            }
        }
    }
    assert!(
        checked >= 15,
        "found only {checked} comparisons: has the SQL moved?"
    );
}
