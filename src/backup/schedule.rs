//! Automatic daily backups to a folder the user chooses, keeping the last N.
//!
//! The app calls [`run_if_due`] at unlock and periodically while the practice is open;
//! a backup is due when a folder is set and the last backup (by hand or automatic) is a
//! day old or more. Automatic backups are named `kap-practice-auto-<UTC time>.kapbackup`,
//! and pruning only ever removes files with exactly that shape, oldest first.

use super::{file_name, BackupInfo, EXTENSION};
use crate::folder::PracticeFolder;
use crate::store::{col, Store, Writer};
use crate::{Error, Result};
use chrono::{DateTime, Duration, Utc};
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Backups kept when the user has not said otherwise.
pub const DEFAULT_KEEP: u32 = 14;
pub const MAX_KEEP: u32 = 365;
const AUTO_PREFIX: &str = "kap-practice-auto";

/// How often an automatic backup is due.
pub fn interval() -> Duration {
    Duration::hours(24)
}

/// The automatic-backup setting and the last backup made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct BackupSchedule {
    /// The folder automatic backups go to; `None` when they are off.
    pub folder: Option<String>,
    /// How many automatic backups to keep.
    pub keep: u32,
    /// When the last backup (automatic or by hand) was made.
    pub last_at: Option<DateTime<Utc>>,
}

/// The user's choice, as the settings screen sends it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct BackupScheduleInput {
    pub folder: Option<String>,
    pub keep: u32,
}

pub fn get(conn: &Connection) -> Result<BackupSchedule> {
    Ok(conn.query_row(
        "SELECT folder, keep, last_at FROM backup_schedule WHERE id = 1",
        [],
        |r| {
            let last: Option<String> = r.get(2)?;
            Ok(BackupSchedule {
                folder: r.get(0)?,
                keep: r.get(1)?,
                last_at: last.as_deref().map(col::time).transpose()?,
            })
        },
    )?)
}

/// Sets (or, with no folder, turns off) automatic backups. The folder must exist and lie
/// outside the practice's own folder.
pub fn set(
    w: &mut Writer<'_>,
    practice: &PracticeFolder,
    input: BackupScheduleInput,
) -> Result<BackupSchedule> {
    if input.keep == 0 || input.keep > MAX_KEEP {
        return Err(Error::invalid(
            "keep",
            "Keep between 1 and 365 automatic backups.",
        ));
    }
    let folder = match input.folder.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(f) => {
            if f.len() > 4096 || f.contains('\0') {
                return Err(Error::invalid("folder", "That is not a folder path."));
            }
            let path = Path::new(f);
            if !path.is_absolute() || !path.is_dir() {
                return Err(Error::invalid("folder", "Choose a folder that exists."));
            }
            if crate::files::is_inside(path, practice.dir()) {
                return Err(Error::invalid(
                    "folder",
                    "Choose a folder outside the practice's own folder, ideally on another disk.",
                ));
            }
            Some(f.to_owned())
        }
    };
    w.conn().execute(
        "UPDATE backup_schedule SET folder = ?1, keep = ?2 WHERE id = 1",
        params![folder, input.keep],
    )?;
    w.audit(
        crate::audit::Action::Update,
        crate::audit::EntityKind::Backup,
        0,
    )?;
    get(w.conn())
}

/// Records a successful backup holding the audit log up to `audit_seq`.
pub(super) fn record_success(w: &mut Writer<'_>, audit_seq: i64) -> Result<()> {
    w.conn().execute(
        "UPDATE backup_schedule SET last_at = ?1, last_audit_seq = ?2 WHERE id = 1",
        params![col::stamp(w.now()), audit_seq],
    )?;
    Ok(())
}

/// Records that the practice was restored from the backup `info` describes: that backup
/// is now the last one.
pub(super) fn record_restore(w: &mut Writer<'_>, info: &BackupInfo) -> Result<()> {
    w.conn().execute(
        "UPDATE backup_schedule SET last_at = ?1, last_audit_seq = ?2 WHERE id = 1",
        params![col::stamp(info.created_at), info.audit_rows],
    )?;
    Ok(())
}

/// True when an automatic backup should run at `now`.
pub fn is_due(s: &BackupSchedule, now: DateTime<Utc>) -> bool {
    s.folder.is_some() && s.last_at.is_none_or(|last| now - last >= interval())
}

/// Makes an automatic backup if one is due, then prunes the folder to the last `keep`.
/// Returns the new backup's info, or `None` when none was due.
pub fn run_if_due(
    practice: &PracticeFolder,
    store: &Store,
    now: DateTime<Utc>,
) -> Result<Option<BackupInfo>> {
    let schedule = store.read(get)?;
    if !is_due(&schedule, now) {
        return Ok(None);
    }
    let Some(dir) = schedule.folder.as_deref().map(PathBuf::from) else {
        return Ok(None);
    };
    if !dir.is_dir() {
        // An external disk that is not plugged in: report it, try again next time.
        return Err(Error::invalid(
            "folder",
            "The automatic backup folder is not available. Connect the disk or choose another folder.",
        ));
    }
    let info = super::create_from(
        practice,
        store,
        &dir.join(file_name(AUTO_PREFIX, now)),
        crate::audit::Source::AutomaticBackup,
    )?;
    prune(&dir, schedule.keep)?;
    Ok(Some(info))
}

/// True for a file name the automatic backups write, and nothing else.
fn is_auto_name(name: &str) -> bool {
    let Some(rest) = name
        .strip_prefix(AUTO_PREFIX)
        .and_then(|r| r.strip_prefix('-'))
        .and_then(|r| r.strip_suffix(EXTENSION))
        .and_then(|r| r.strip_suffix('.'))
    else {
        return false;
    };
    // YYYYMMDD-HHMMSSZ
    rest.len() == 16
        && rest.bytes().enumerate().all(|(i, b)| match i {
            8 => b == b'-',
            15 => b == b'Z',
            _ => b.is_ascii_digit(),
        })
}

/// Deletes the oldest automatic backups in `dir` beyond the newest `keep`. Other files,
/// including backups made by hand, are never touched. Returns the files removed.
pub fn prune(dir: &Path, keep: u32) -> Result<Vec<PathBuf>> {
    let mut autos: Vec<String> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| is_auto_name(n))
        .collect();
    autos.sort();
    let excess = autos.len().saturating_sub(keep as usize);
    let mut removed = Vec::new();
    for name in autos.into_iter().take(excess) {
        let p = dir.join(name);
        std::fs::remove_file(&p)?;
        removed.push(p);
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_names_only() {
        assert!(is_auto_name("kap-practice-auto-20261126-045512Z.kapbackup"));
        for n in [
            "kap-practice-backup-20261126-045512Z.kapbackup",
            "kap-practice-auto-20261126-045512Z.kapbackup.partial",
            "kap-practice-auto-2026112-045512Z.kapbackup",
            "kap-practice-auto-20261126-045512Z.txt",
            "notes.txt",
        ] {
            assert!(!is_auto_name(n), "{n}");
        }
    }

    #[test]
    fn due_after_a_day() {
        let t = |h: i64| {
            DateTime::<Utc>::from_timestamp(1_790_000_000 + h * 3600, 0).unwrap_or_default()
        };
        let mut s = BackupSchedule {
            folder: None,
            keep: 3,
            last_at: None,
        };
        assert!(!is_due(&s, t(0)), "off");
        s.folder = Some("/backups".into());
        assert!(is_due(&s, t(0)), "never backed up");
        s.last_at = Some(t(0));
        assert!(!is_due(&s, t(23)));
        assert!(is_due(&s, t(24)));
    }
}
