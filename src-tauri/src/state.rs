//! What the shell holds between commands: the practice folder, the keychain, and the
//! open session (or why there is none).

use crate::dto::{AppStatus, LockReason};
use crate::wire::{WireError, WireResult};
use kap_practice::folder::{KeychainOpen, KeychainStatus, Opened, PracticeFolder};
use kap_practice::key::{Keychain, KeychainError};
use kap_practice::store::Store;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

pub struct Session {
    pub store: Store,
    pub keychain_saved: bool,
    pub last_activity: Instant,
    pub idle_lock: Duration,
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
        }
    }

    pub fn session(opened: Opened) -> Phase {
        let idle = opened
            .store
            .read(kap_practice::practice::get)
            .map(|s| s.idle_lock_minutes)
            .unwrap_or(kap_practice::practice::DEFAULT_IDLE_LOCK_MINUTES);
        Phase::Unlocked(Box::new(Session {
            store: opened.store,
            keychain_saved: opened.keychain == KeychainStatus::Saved,
            last_activity: Instant::now(),
            idle_lock: Duration::from_secs(u64::from(idle) * 60),
        }))
    }

    pub fn phase(&self) -> MutexGuard<'_, Phase> {
        self.phase.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Locks: drops the store (closing the database; SQLCipher wipes its key).
    pub fn lock(&self, reason: LockReason) {
        let mut phase = self.phase();
        if matches!(*phase, Phase::Unlocked(_)) {
            *phase = Phase::Locked {
                reason,
                problem: None,
            };
        }
    }

    /// Locks when the session has been idle past its limit. Returns true when it locked.
    pub fn lock_if_idle(&self) -> bool {
        let mut phase = self.phase();
        let idle =
            matches!(&*phase, Phase::Unlocked(s) if s.last_activity.elapsed() >= s.idle_lock);
        if idle {
            *phase = Phase::Locked {
                reason: LockReason::Idle,
                problem: None,
            };
        }
        idle
    }

    /// Runs `f` with the open session, counting it as activity; `locked` otherwise.
    pub fn with_session<T>(&self, f: impl FnOnce(&mut Session) -> WireResult<T>) -> WireResult<T> {
        let mut phase = self.phase();
        match &mut *phase {
            Phase::Unlocked(s) => {
                s.last_activity = Instant::now();
                f(s)
            }
            _ => Err(WireError::locked()),
        }
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
                }
            }
        })
    }
}
