//! Commands for backups: making one now, the automatic schedule, and restoring (from
//! Settings, from the lock screen, or on a new laptop's first run). Adapters over
//! `kap_practice::backup`, which checks, writes, audits and restores.
//!
//! Paths come from the native dialogs in the UI. End-to-end tests cannot click those, so
//! when `KAP_SAVE_DIR` is set (only the tests set it) `backup_target` names that folder
//! and the newest backup in it.

use crate::dto::AppStatus;
use crate::state::{AppState, Phase};
use crate::wire::{Req, WireResult};
use kap_practice::backup::{self, schedule, BackupInfo};
use kap_practice::key::Passphrase;
use kap_practice::Error;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use tauri::State;
use zeroize::Zeroizing;

/// What Settings shows about backups.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct BackupStatus {
    pub schedule: schedule::BackupSchedule,
    /// The file name a backup made now would be given.
    pub suggested_name: String,
    /// Why the last automatic backup failed, if it did (no PHI: the core's message).
    pub problem: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct BackupPathRequest {
    /// A whole path from the save or open dialog.
    pub path: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct RestoreRequest {
    pub path: String,
    /// The passphrase the practice had when the backup was made.
    pub passphrase: String,
    /// The user confirmed that a backup of another practice replaces this one.
    #[serde(default)]
    #[cfg_attr(feature = "ts-export", ts(optional))]
    pub replace_other_practice: Option<bool>,
}

/// Where the end-to-end tests put and find files instead of a dialog.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct BackupTarget {
    /// The folder to use instead of the folder dialog.
    pub folder: String,
    /// The newest backup in that folder, to use instead of the open dialog.
    pub newest: Option<String>,
}

/// A path from an open or save dialog: refused when blank, with a NUL byte, or longer
/// than any real path.
pub(crate) fn path_of(s: &str) -> WireResult<PathBuf> {
    if s.trim().is_empty() || s.contains('\0') || s.len() > 4096 {
        return Err(Error::invalid("path", "Choose a file.").into());
    }
    Ok(PathBuf::from(s))
}

#[tauri::command(async)]
pub fn backup_status(state: State<'_, AppState>) -> WireResult<BackupStatus> {
    let problem = state.backup_problem();
    state.with_session(|s| {
        Ok(BackupStatus {
            schedule: s.store.read(schedule::get)?,
            suggested_name: backup::suggested_file_name(s.store.now()),
            problem,
        })
    })
}

/// Backs up without holding the session, so the rest of the app keeps answering; reports
/// the copy's progress as `backup-progress` events and stops, leaving nothing, when
/// `cancel_backup` is called or the practice locks.
#[tauri::command(async)]
pub fn backup_now<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
    req: Req<BackupPathRequest>,
) -> WireResult<BackupInfo> {
    use std::sync::atomic::Ordering;
    use tauri::Emitter;
    let dest = path_of(&req.0.path)?;
    let folder = state.folder.clone();
    // Under the session's mutex: a lock after this cancels the backup (see `lock`).
    let store = state.with_session(|s| {
        state.cancel_long_work.store(false, Ordering::SeqCst);
        Ok(std::sync::Arc::clone(&s.store))
    })?;
    let cancel = &state.cancel_long_work;
    let result = backup::create_with(&folder, &store, &dest, &mut |p| {
        // Progress is byte counts only; a missed event costs nothing.
        let _ = app.emit("backup-progress", p);
        !cancel.load(Ordering::SeqCst)
    });
    let info = result?;
    state.set_backup_problem(None);
    state.anchor(&store, true);
    Ok(info)
}

/// Stops the running backup: it leaves no file and no audit row.
#[tauri::command(async)]
pub fn cancel_backup(state: State<'_, AppState>) -> WireResult<()> {
    state
        .cancel_long_work
        .store(true, std::sync::atomic::Ordering::SeqCst);
    Ok(())
}

#[tauri::command(async)]
pub fn set_backup_schedule(
    state: State<'_, AppState>,
    req: Req<schedule::BackupScheduleInput>,
) -> WireResult<schedule::BackupSchedule> {
    let folder = state.folder.clone();
    let saved = state.write(|w, _| schedule::set(w, &folder, req.0))?;
    // A new folder gets its first backup now rather than at the next check.
    state.run_due_backup();
    Ok(saved)
}

/// What a backup file holds, read without the passphrase: shown before restoring.
#[tauri::command(async)]
pub fn inspect_backup(req: Req<BackupPathRequest>) -> WireResult<BackupInfo> {
    Ok(backup::read_info(&path_of(&req.0.path)?)?)
}

/// Restores a backup into the practice folder and opens it. Works from every phase: on
/// first run (a new laptop), at the lock screen, and from Settings (the open practice is
/// closed first; if the restore is refused, it is opened again from the keychain).
#[tauri::command(async)]
pub fn restore_backup(
    state: State<'_, AppState>,
    req: Req<RestoreRequest>,
) -> WireResult<AppStatus> {
    let RestoreRequest {
        path,
        passphrase,
        replace_other_practice,
    } = req.0;
    let passphrase = Zeroizing::new(passphrase);
    let file = path_of(&path)?;
    let pass = Passphrase::for_unlock(passphrase.to_string());
    let foreign = if replace_other_practice == Some(true) {
        backup::ForeignPractice::Replace
    } else {
        backup::ForeignPractice::Refuse
    };
    // A wrong passphrase, a foreign file, an altered header or, unconfirmed, a backup of
    // another practice is refused before the open practice is closed.
    if matches!(&*state.phase(), Phase::Unlocked(s) if s.self_report.is_some()) {
        return Err(crate::wire::WireError::self_report());
    }
    let info = backup::check_passphrase(&file, &pass)?;
    backup::check_practice(&state.folder, &info, foreign)?;
    let mut phase = state.phase();
    let was_open = matches!(*phase, Phase::Unlocked(_));
    // Close the practice: the restore needs its files and its lock.
    if was_open {
        *phase = Phase::Locked {
            reason: crate::dto::LockReason::User,
            problem: None,
        };
    }
    let options = backup::RestoreOptions {
        foreign,
        source: kap_practice::audit::Source::Window,
    };
    match backup::restore_with(&state.folder, &file, &pass, &state.keychain, options) {
        Ok(restored) => {
            *phase = AppState::session(restored.opened);
            drop(phase);
            state.set_backup_problem(None);
            state.status()
        }
        Err(e) => {
            if was_open {
                if let Ok(kap_practice::folder::KeychainOpen::Opened(o)) =
                    state.folder.open_with_keychain(&state.keychain)
                {
                    *phase = AppState::session(*o);
                }
            }
            Err(e.into())
        }
    }
}

/// Only when `KAP_SAVE_DIR` is set (end-to-end tests): the folder to use instead of the
/// folder dialog, and the newest backup in it instead of the open dialog.
#[tauri::command(async)]
pub fn backup_target() -> WireResult<Option<BackupTarget>> {
    let Some(dir) = std::env::var_os("KAP_SAVE_DIR").filter(|d| !d.is_empty()) else {
        return Ok(None);
    };
    let dir = PathBuf::from(dir);
    Ok(Some(BackupTarget {
        folder: dir.display().to_string(),
        newest: newest(&dir, backup::EXTENSION).map(|p| p.display().to_string()),
    }))
}

/// The newest file in `dir` whose extension is `extension` (the end-to-end tests' stand-in
/// for an open dialog).
pub(crate) fn newest(dir: &Path, extension: &str) -> Option<PathBuf> {
    std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == extension))
        .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
        .max()
        .map(|(_, p)| p)
}
