//! Settings → Activity: the audit log a page at a time, and "Verify the record".

use crate::state::AppState;
use crate::wire::{Req, WireResult};
use kap_practice::activity::{self, ActivityPage, ActivityQuery};
use kap_practice::audit::Finding;
use kap_practice::Error;
use serde::Serialize;
use tauri::State;

#[tauri::command(async)]
pub fn activity_page(
    state: State<'_, AppState>,
    req: Req<ActivityQuery>,
) -> WireResult<ActivityPage> {
    state.read(|c, _| activity::page(c, &req.0))
}

/// What "Verify the record" found: a sentence, and each problem named (no PHI: kinds,
/// ids and sequence numbers).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct RecordCheck {
    pub summary: String,
    pub findings: Vec<String>,
}

/// Runs the same check as `kap-practice verify`, against the chain's anchor in this
/// computer's keychain. Outside the session's lock: it reads a copy's worth of pages.
#[tauri::command(async)]
pub fn verify_record(state: State<'_, AppState>) -> WireResult<RecordCheck> {
    let (store, practice_id) =
        state.with_session(|s| Ok((std::sync::Arc::clone(&s.store), s.practice_id.clone())))?;
    let anchor = state.keychain.load_anchor(&practice_id).ok();
    let anchors: Vec<(&str, &kap_practice::audit::Anchor)> = anchor
        .iter()
        .map(|a| ("this computer's keychain", a))
        .collect();
    let (check, findings) = match store.verify_against(&anchors) {
        Ok(check) => {
            let f = check.findings.iter().map(ToString::to_string).collect();
            (Some(check), f)
        }
        Err(Error::AuditBroken(seq)) => (None, vec![Finding::ChainBroken { seq }.to_string()]),
        Err(e) => return Err(e.into()),
    };
    let summary = match (&check, findings.len()) {
        (Some(c), 0) => format!(
            "The record is sound: every page authenticated, structure ok, schema as made, records as audited, audit chain whole ({} entries{}).",
            c.audit.rows,
            if anchors.is_empty() {
                ", no anchor in this computer's keychain to compare with"
            } else {
                ", matching the anchor in this computer's keychain"
            }
        ),
        (_, 1) => "Verify found 1 problem. Restore from a backup made before it, and keep this copy for review.".into(),
        (_, n) => format!(
            "Verify found {n} problems. Restore from a backup made before them, and keep this copy for review."
        ),
    };
    Ok(RecordCheck { summary, findings })
}
