//! What the shell holds between commands: the practice folder, the keychain, and the
//! open session (or why there is none).

use crate::dto::{AppStatus, LockReason, Saved};
use crate::wire::{WireError, WireResult};
use chrono::NaiveDate;
use kap_practice::folder::{KeychainOpen, KeychainStatus, Opened, PracticeFolder};
use kap_practice::key::{Keychain, KeychainError};
use kap_practice::practice;
use kap_practice::store::{Connection, Store, Writer};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

pub struct Session {
    /// Shared so that long work (a whole-practice export) can run without holding the
    /// session: the rest of the app keeps answering meanwhile.
    pub store: Arc<Store>,
    /// The practice's random id (names its keychain entry; not PHI).
    pub practice_id: String,
    pub keychain_saved: bool,
    pub last_activity: Instant,
    pub idle_lock: Duration,
    /// Documents saved in this session: the only files the app will open in a viewer.
    pub saved_files: Vec<std::path::PathBuf>,
    /// The client self-report mode, while the laptop is in the client's hands: every
    /// command but the mode's own is refused until the passphrase is typed.
    pub self_report: Option<SelfReport>,
}

/// What the client is answering in self-report mode.
pub struct SelfReport {
    pub client_id: i64,
    pub appointment_id: Option<i64>,
    /// The questionnaires still to answer, in order.
    pub pending: Vec<kap_practice::measures::Instrument>,
    /// How many were answered in this sitting.
    pub answered: u32,
}

pub enum Phase {
    NoPractice,
    Locked {
        reason: LockReason,
        problem: Option<String>,
    },
    Unlocked(Box<Session>),
}

pub struct AppState {
    pub folder: PracticeFolder,
    pub keychain: Keychain,
    phase: Mutex<Phase>,
    /// Why the last automatic backup failed; cleared by the next success.
    backup_problem: Mutex<Option<String>>,
    /// Set to stop the running export or backup: by its Cancel button, or by a lock (a
    /// lock means the work stops and leaves nothing behind).
    pub cancel_long_work: AtomicBool,
    /// When the audit chain was last anchored in the keychain (see [`AppState::anchor`]).
    anchor: kap_practice::audit::AnchorSchedule,
}

fn reason_for(e: KeychainError) -> LockReason {
    match e {
        KeychainError::Unavailable => LockReason::KeychainUnavailable,
        KeychainError::Locked => LockReason::KeychainLocked,
        KeychainError::NoEntry => LockReason::KeychainNoEntry,
        KeychainError::Mismatch => LockReason::KeychainMismatch,
    }
}

impl AppState {
    /// Tries the keychain at launch; the passphrase is asked for when it cannot open.
    pub fn launch(folder: PracticeFolder, keychain: Keychain) -> Self {
        let phase = if !folder.exists() {
            Phase::NoPractice
        } else {
            match folder.open_with_keychain(&keychain) {
                Ok(KeychainOpen::Opened(opened)) => Self::session(*opened),
                Ok(KeychainOpen::NeedsPassphrase(e)) => Phase::Locked {
                    reason: reason_for(e),
                    problem: None,
                },
                Err(e) => Phase::Locked {
                    reason: LockReason::Problem,
                    problem: Some(e.to_string()),
                },
            }
        };
        AppState {
            folder,
            keychain,
            phase: Mutex::new(phase),
            backup_problem: Mutex::new(None),
            cancel_long_work: AtomicBool::new(false),
            anchor: kap_practice::audit::AnchorSchedule::new(),
        }
    }

    /// Anchors the audit chain's head in the keychain (its own entry, not the key's):
    /// `now_anyway` at a lock, at quit and after a backup; otherwise at most once a minute
    /// and only when the chain grew. Failures are silent: the next backup anchors too.
    pub fn anchor(&self, store: &Store, now_anyway: bool) {
        let Ok(key_file) = kap_practice::key::KeyFile::read(&self.folder.key_path()) else {
            return;
        };
        let _ = self.anchor.keep(
            store,
            &self.keychain,
            key_file.practice_id(),
            store.now(),
            now_anyway,
        );
    }

    /// Anchors the open session's chain now (at quit).
    pub fn anchor_now(&self) {
        let phase = self.phase();
        if let Phase::Unlocked(s) = &*phase {
            self.anchor(&s.store, true);
        }
    }

    pub fn session(opened: Opened) -> Phase {
        let idle = opened
            .store
            .read(kap_practice::practice::get)
            .map(|s| s.idle_lock_minutes)
            .unwrap_or(kap_practice::practice::DEFAULT_IDLE_LOCK_MINUTES);
        Phase::Unlocked(Box::new(Session {
            store: Arc::new(opened.store),
            practice_id: opened.practice_id,
            keychain_saved: opened.keychain == KeychainStatus::Saved,
            last_activity: Instant::now(),
            idle_lock: Duration::from_secs(u64::from(idle) * 60),
            saved_files: Vec::new(),
            self_report: None,
        }))
    }

    pub fn backup_problem(&self) -> Option<String> {
        self.backup_problem
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    pub fn set_backup_problem(&self, problem: Option<String>) {
        *self
            .backup_problem
            .lock()
            .unwrap_or_else(|p| p.into_inner()) = problem;
    }

    /// Makes the automatic backup if one is due and the practice is open; a failure is
    /// kept for Settings to show. Returns true when a backup was made.
    pub fn run_due_backup(&self) -> bool {
        let outcome = {
            let phase = self.phase();
            let Phase::Unlocked(s) = &*phase else {
                return false;
            };
            kap_practice::backup::schedule::run_if_due(&self.folder, &s.store, s.store.now())
        };
        match outcome {
            Ok(made) => {
                self.set_backup_problem(None);
                if made.is_some() {
                    self.anchor_now();
                }
                made.is_some()
            }
            Err(e) => {
                self.set_backup_problem(Some(e.to_string()));
                false
            }
        }
    }

    pub fn phase(&self) -> MutexGuard<'_, Phase> {
        self.phase.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Locks: drops the store (closing the database; SQLCipher wipes its key) and removes
    /// the data key from this computer's keychain, so that neither a relaunch nor the
    /// command-line tool opens the practice until the passphrase is typed again.
    pub fn lock(&self, reason: LockReason) {
        let mut phase = self.phase();
        // Under the session's mutex, so an export that started before is cancelled and
        // one that starts after finds the practice locked.
        self.cancel_long_work.store(true, Ordering::SeqCst);
        if let Phase::Unlocked(s) = &*phase {
            self.anchor(&s.store, true);
            let problem = self.forget_key(&s.practice_id);
            *phase = Phase::Locked { reason, problem };
        }
    }

    /// Locks when the session has been idle past its limit. Returns true when it locked.
    pub fn lock_if_idle(&self) -> bool {
        let mut phase = self.phase();
        let idle = match &*phase {
            Phase::Unlocked(s) if s.last_activity.elapsed() >= s.idle_lock => {
                Some(s.practice_id.clone())
            }
            _ => None,
        };
        if let Phase::Unlocked(s) = &*phase {
            // Checked on every tick: anchors at most once a minute after writes, and now
            // when the idle lock closes the session.
            self.anchor(&s.store, idle.is_some());
        }
        if let Some(practice_id) = &idle {
            self.cancel_long_work.store(true, Ordering::SeqCst);
            let problem = self.forget_key(practice_id);
            *phase = Phase::Locked {
                reason: LockReason::Idle,
                problem,
            };
        }
        idle.is_some()
    }

    /// Removes the key from the keychain; says what to do when that failed.
    fn forget_key(&self, practice_id: &str) -> Option<String> {
        match PracticeFolder::forget_key(practice_id, &self.keychain) {
            Ok(()) | Err(KeychainError::Unavailable) => None,
            Err(_) => Some(
                "The practice is locked here, but its key could not be removed from this computer's keychain, so the next launch may open without the passphrase. Unlock and lock again, or turn off \"Open without the passphrase on this computer\" in Settings."
                    .into(),
            ),
        }
    }

    /// Puts a session back after work that needed the store to itself.
    pub fn set_phase(&self, phase: Phase) {
        *self.phase() = phase;
    }

    /// Runs `f` with the open session, counting it as activity; `locked` otherwise, and
    /// `self_report` while the client self-report mode is on.
    pub fn with_session<T>(&self, f: impl FnOnce(&mut Session) -> WireResult<T>) -> WireResult<T> {
        self.with_any_session(|s| {
            if s.self_report.is_some() {
                return Err(WireError::self_report());
            }
            f(s)
        })
    }

    /// [`AppState::with_session`] that runs in the self-report mode too: for the mode's
    /// own commands and for counting activity.
    pub fn with_any_session<T>(
        &self,
        f: impl FnOnce(&mut Session) -> WireResult<T>,
    ) -> WireResult<T> {
        let mut phase = self.phase();
        match &mut *phase {
            Phase::Unlocked(s) => {
                s.last_activity = Instant::now();
                f(s)
            }
            _ => Err(WireError::locked()),
        }
    }

    /// Leaves the client self-report mode: only with the practice passphrase, a wrong one
    /// counted like a wrong unlock (the same growing wait).
    pub fn leave_self_report(&self, passphrase: &kap_practice::key::Passphrase) -> WireResult<()> {
        self.with_any_session(|s| {
            if s.self_report.is_none() {
                return Ok(());
            }
            self.folder.confirm_passphrase(&s.store, passphrase)?;
            s.self_report = None;
            Ok(())
        })
    }

    /// Reads in the open session: `f` gets the read connection and the practice's today by
    /// the store's clock (the clock its writes record), so every command knows today the
    /// same way. `locked` without a session.
    pub fn read<T>(
        &self,
        f: impl FnOnce(&Connection, NaiveDate) -> kap_practice::Result<T>,
    ) -> WireResult<T> {
        self.with_session(|s| {
            let now = s.store.now();
            Ok(s.store.read(|c| f(c, practice::today(c, now)?))?)
        })
    }

    /// Writes in the open session, in one audited transaction ([`Store::write`]): `f` gets
    /// the writer and the practice's today at the write's own time ([`Writer::now`]).
    pub fn write<T>(
        &self,
        f: impl FnOnce(&mut Writer<'_>, NaiveDate) -> kap_practice::Result<T>,
    ) -> WireResult<T> {
        self.with_session(|s| {
            Ok(s.store.write(|w| {
                let today = practice::today(w.conn(), w.now())?;
                f(w, today)
            })?)
        })
    }

    /// Saves a file for the user to `path` with `save` (one of the core's audited paths
    /// out, which checks the target and records the export with the file), then adds it to
    /// the files this session may open.
    pub fn save_file(
        &self,
        path: String,
        save: impl FnOnce(&Store, &Path) -> kap_practice::Result<()>,
    ) -> WireResult<Saved> {
        self.with_session(|s| {
            let target = PathBuf::from(&path);
            save(&s.store, &target)?;
            s.saved_files.push(target);
            Ok(Saved { path })
        })
    }

    pub fn status(&self) -> WireResult<AppStatus> {
        let phase = self.phase();
        Ok(match &*phase {
            Phase::NoPractice => AppStatus::NoPractice {
                data_dir: self.folder.dir().display().to_string(),
            },
            Phase::Locked { reason, problem } => AppStatus::Locked {
                reason: *reason,
                problem: problem.clone(),
            },
            Phase::Unlocked(s) => {
                let settings = s.store.read(kap_practice::practice::get)?;
                AppStatus::Unlocked {
                    practice_name: settings.practice_name,
                    therapist_name: settings.therapist_name,
                    time_zone: settings.time_zone,
                    idle_lock_minutes: settings.idle_lock_minutes,
                    keychain_saved: s.keychain_saved,
                    open_without_passphrase: s
                        .store
                        .read(kap_practice::practice::open_without_passphrase)?,
                    self_report: s.self_report.is_some(),
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kap_practice::key::Passphrase;
    use kap_practice::practice::NewPractice;

    const PASS: &str = "quiet river morning 42";

    fn created(dir: &std::path::Path, kc: &Keychain) -> PracticeFolder {
        let folder = PracticeFolder::new(dir.join("p"));
        let opened = folder
            .create(
                &NewPractice {
                    practice_name: "P".into(),
                    therapist_name: "T".into(),
                    ..Default::default()
                },
                &Passphrase::new(PASS.into()).unwrap(),
                kc,
            )
            .unwrap();
        drop(opened);
        folder
    }

    fn state_name(s: &AppState) -> String {
        match s.status().unwrap() {
            AppStatus::NoPractice { .. } => "no_practice".into(),
            AppStatus::Locked { reason, .. } => format!("locked:{reason:?}"),
            AppStatus::Unlocked { .. } => "unlocked".into(),
        }
    }

    #[test]
    fn launch_states() {
        let dir = tempfile::tempdir().unwrap();
        let empty = AppState::launch(
            PracticeFolder::new(dir.path().join("none")),
            Keychain::none(),
        );
        assert_eq!(state_name(&empty), "no_practice");

        let kc = Keychain::from_store(keyring_core::mock::Store::new().unwrap());
        let folder = created(dir.path(), &kc);
        let with_keychain = AppState::launch(folder.clone(), kc);
        assert_eq!(
            state_name(&with_keychain),
            "unlocked",
            "the keychain opens it without typing"
        );
        drop(with_keychain);

        let without = AppState::launch(folder, Keychain::none());
        assert_eq!(state_name(&without), "locked:KeychainUnavailable");
        assert_eq!(
            without.with_session(|_| Ok(())).unwrap_err().code,
            crate::wire::ErrorCode::Locked
        );
    }

    #[test]
    fn self_report_refuses_every_other_command_until_the_passphrase() {
        let dir = tempfile::tempdir().unwrap();
        let kc = Keychain::from_store(keyring_core::mock::Store::new().unwrap());
        let folder = created(dir.path(), &kc);
        let state = AppState::launch(folder, kc);
        if let Phase::Unlocked(s) = &mut *state.phase() {
            s.self_report = Some(SelfReport {
                client_id: 1,
                appointment_id: None,
                pending: vec![kap_practice::measures::Instrument::Gad7],
                answered: 0,
            });
        }
        let code = |r: WireResult<()>| r.unwrap_err().code;
        use crate::wire::ErrorCode;
        assert_eq!(code(state.with_session(|_| Ok(()))), ErrorCode::SelfReport);
        assert_eq!(code(state.read(|_, _| Ok(()))), ErrorCode::SelfReport);
        assert_eq!(code(state.write(|_, _| Ok(()))), ErrorCode::SelfReport);
        assert!(
            state.with_any_session(|_| Ok(())).is_ok(),
            "the mode's own commands"
        );
        assert!(matches!(
            state.status().unwrap(),
            AppStatus::Unlocked {
                self_report: true,
                ..
            }
        ));
        let wrong = state
            .leave_self_report(&Passphrase::for_unlock("not the passphrase".into()))
            .unwrap_err();
        assert_eq!(wrong.code, ErrorCode::WrongPassphrase);
        assert_eq!(
            code(state.read(|_, _| Ok(()))),
            ErrorCode::SelfReport,
            "still on"
        );
        state
            .leave_self_report(&Passphrase::for_unlock(PASS.into()))
            .unwrap();
        assert!(state.read(|_, _| Ok(())).is_ok(), "back to the practice");

        // A lock ends the mode: the session after the unlock starts without it.
        if let Phase::Unlocked(s) = &mut *state.phase() {
            s.self_report = Some(SelfReport {
                client_id: 1,
                appointment_id: None,
                pending: Vec::new(),
                answered: 0,
            });
        }
        state.lock(LockReason::Idle);
        let opened = state
            .folder
            .open_with_passphrase(&Passphrase::for_unlock(PASS.into()), &state.keychain)
            .unwrap();
        *state.phase() = AppState::session(opened);
        assert!(state.read(|_, _| Ok(())).is_ok());
    }

    #[test]
    fn a_lock_holds_until_the_passphrase() {
        let dir = tempfile::tempdir().unwrap();
        let kc = Keychain::from_store(keyring_core::mock::Store::new().unwrap());
        let folder = created(dir.path(), &kc);
        let state = AppState::launch(folder.clone(), kc.clone());
        assert_eq!(state_name(&state), "unlocked");
        // Automatic backups are on, and one is due (none made yet).
        let backup_dir = dir.path().join("backups");
        std::fs::create_dir(&backup_dir).unwrap();
        if let Phase::Unlocked(s) = &*state.phase() {
            s.store
                .write(|w| {
                    kap_practice::backup::schedule::set(
                        w,
                        &folder,
                        kap_practice::backup::schedule::BackupScheduleInput {
                            folder: Some(backup_dir.display().to_string()),
                            keep: 3,
                        },
                    )
                })
                .unwrap();
        }
        state.lock(LockReason::User);
        assert_eq!(state_name(&state), "locked:User");
        // The database is closed and the key has left the keychain: neither a relaunch nor
        // another opener gets in without the passphrase.
        let again = folder.open_with_keychain(&kc).unwrap();
        assert!(matches!(
            again,
            KeychainOpen::NeedsPassphrase(KeychainError::NoEntry)
        ));
        drop(state);
        let relaunched = AppState::launch(folder.clone(), kc.clone());
        assert_eq!(state_name(&relaunched), "locked:KeychainNoEntry");
        // An automatic backup that is due does not run while locked (the key is not in
        // memory); it runs once the passphrase has unlocked.
        assert!(!relaunched.run_due_backup());
        let backups: Vec<_> = std::fs::read_dir(&backup_dir).unwrap().collect();
        assert!(backups.is_empty(), "no backup while locked");
        let opened = folder
            .open_with_passphrase(&Passphrase::for_unlock(PASS.into()), &kc)
            .unwrap();
        *relaunched.phase() = AppState::session(opened);
        assert_eq!(state_name(&relaunched), "unlocked");
        assert!(relaunched.run_due_backup(), "made after the unlock");
        assert_eq!(std::fs::read_dir(&backup_dir).unwrap().count(), 1);
        drop(relaunched);
        // Quitting while unlocked keeps the convenience: the next launch opens.
        let state = AppState::launch(folder.clone(), kc.clone());
        assert_eq!(state_name(&state), "unlocked");

        // The idle lock does the same.
        assert!(!state.lock_if_idle(), "fresh activity is not idle");
        if let Phase::Unlocked(s) = &mut *state.phase() {
            s.idle_lock = Duration::ZERO;
        }
        assert!(state.lock_if_idle());
        assert_eq!(state_name(&state), "locked:Idle");
        drop(state);
        let relaunched = AppState::launch(folder, kc);
        assert_eq!(state_name(&relaunched), "locked:KeychainNoEntry");
    }

    #[test]
    fn commands_know_today_by_the_stores_clock() {
        let dir = tempfile::tempdir().unwrap();
        let folder = created(dir.path(), &Keychain::none());
        let state = AppState::launch(folder.clone(), Keychain::none());
        let key = kap_practice::key::KeyFile::read(&folder.key_path())
            .unwrap()
            .unwrap(&Passphrase::for_unlock(PASS.into()))
            .unwrap();
        // 04:30 UTC on 8 March is 23:30 on the 7th in New York, the practice's zone: the
        // store's clock, not this computer's, and the practice's day, not UTC's.
        let at = "2026-03-08T04:30:00Z"
            .parse::<chrono::DateTime<chrono::Utc>>()
            .unwrap();
        let store = Store::open_with_clock(&folder.db_path(), &key, Arc::new(move || at)).unwrap();
        state.set_phase(AppState::session(Opened {
            store,
            practice_id: "p".into(),
            keychain: KeychainStatus::Declined,
        }));
        let seventh = NaiveDate::from_ymd_opt(2026, 3, 7).unwrap();
        assert_eq!(
            state.read(|_, today| Ok(today)).unwrap(),
            seventh,
            "a read's today is the practice's date at the store's time"
        );
        let written = state
            .write(|w, today| {
                let settings = practice::get(w.conn())?;
                practice::update(w, settings)?;
                Ok(today)
            })
            .unwrap();
        assert_eq!(
            written, seventh,
            "a write's today is the same date, the same way"
        );
        state.lock(LockReason::User);
        assert_eq!(
            state.read(|_, today| Ok(today)).unwrap_err().code,
            crate::wire::ErrorCode::Locked,
            "no session, no read"
        );
    }

    #[test]
    fn a_damaged_database_is_a_problem_with_a_message() {
        let dir = tempfile::tempdir().unwrap();
        let kc = Keychain::from_store(keyring_core::mock::Store::new().unwrap());
        let folder = created(dir.path(), &kc);
        std::fs::write(folder.db_path(), vec![7u8; 8192]).unwrap();
        let state = AppState::launch(folder, kc);
        match state.status().unwrap() {
            AppStatus::Locked { reason, problem } => {
                assert_eq!(reason, LockReason::Problem);
                assert!(problem.unwrap_or_default().contains("damaged"));
            }
            _ => panic!("a damaged practice does not open"),
        }
    }
}
