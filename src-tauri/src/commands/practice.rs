//! The practice as a whole: whether there is one and whether it is open (`app_status`),
//! first run (`create_practice`), unlock and lock, the user's activity that keeps the idle
//! lock away, the passphrase (its strength, changing it) and whether this computer's
//! keychain opens the practice without it. Adapters over `kap_practice::folder` and
//! `kap_practice::key`; the session itself is [`AppState`]'s.

use crate::dto::*;
use crate::state::{AppState, Phase, Session};
use crate::wire::{Req, WireError, WireResult};
use kap_practice::key::Passphrase;
use kap_practice::practice::{self, NewPractice};
use kap_practice::Error;
use tauri::State;
use zeroize::Zeroizing;

fn mismatch(field: &str) -> WireError {
    WireError::from(Error::invalid(field, "The two passphrases do not match."))
}

#[tauri::command(async)]
pub fn app_status(state: State<'_, AppState>) -> WireResult<AppStatus> {
    state.status()
}

#[tauri::command(async)]
pub fn create_practice(
    state: State<'_, AppState>,
    req: Req<CreatePracticeRequest>,
) -> WireResult<AppStatus> {
    let r = req.0;
    let (pass, again) = (
        Zeroizing::new(r.passphrase),
        Zeroizing::new(r.passphrase_again),
    );
    if *pass != *again {
        return Err(mismatch("passphrase_again"));
    }
    let new = NewPractice {
        practice_name: r.practice_name,
        therapist_name: r.therapist_name,
        credentials: r.credentials,
    };
    let pass = Passphrase::new_with_context(pass.to_string(), &new.guessable_words())?;
    let opened = state.folder.create(&new, &pass, &state.keychain)?;
    *state.phase() = AppState::session(opened);
    state.status()
}

#[tauri::command(async)]
pub fn unlock(state: State<'_, AppState>, req: Req<UnlockRequest>) -> WireResult<AppStatus> {
    let pass = Passphrase::for_unlock(req.0.passphrase);
    if matches!(*state.phase(), Phase::NoPractice) {
        return Err(Error::NoPractice.into());
    }
    let opened = state.folder.open_with_passphrase(&pass, &state.keychain)?;
    *state.phase() = AppState::session(opened);
    state.status()
}

#[tauri::command(async)]
pub fn lock(state: State<'_, AppState>) -> WireResult<AppStatus> {
    state.lock(LockReason::User);
    state.status()
}

/// The UI reports user input (throttled) so typing a long note never counts as idle.
#[tauri::command(async)]
pub fn activity(state: State<'_, AppState>) -> WireResult<()> {
    state.with_any_session(|_| Ok(()))
}

/// Changes the passphrase and re-encrypts the practice under a new key. The store is
/// needed to itself for the switch: while an export or backup holds it, this waits for
/// nothing and says so.
#[tauri::command(async)]
pub fn change_passphrase(
    state: State<'_, AppState>,
    req: Req<ChangePassphraseRequest>,
) -> WireResult<()> {
    let r = req.0;
    let (new, again) = (Zeroizing::new(r.new), Zeroizing::new(r.new_again));
    if *new != *again {
        return Err(mismatch("new_again"));
    }
    let current = Passphrase::for_unlock(r.current);
    let mut phase = state.phase();
    let Phase::Unlocked(session) = &mut *phase else {
        return Err(WireError::locked());
    };
    if session.self_report.is_some() {
        return Err(WireError::self_report());
    }
    let settings = session.store.read(practice::get)?;
    let new = Passphrase::new_with_context(new.to_string(), &settings.guessable_words())
        .map_err(|e| rename_field(e, "passphrase", "new"))?;
    let Phase::Unlocked(boxed) = std::mem::replace(&mut *phase, Phase::NoPractice) else {
        unreachable!("matched above");
    };
    let Session {
        store,
        practice_id,
        keychain_saved,
        last_activity,
        idle_lock,
        saved_files,
        self_report: _,
    } = *boxed;
    let store = match std::sync::Arc::try_unwrap(store) {
        Ok(store) => store,
        Err(shared) => {
            *phase = Phase::Unlocked(Box::new(Session {
                store: shared,
                practice_id,
                keychain_saved,
                last_activity,
                idle_lock,
                saved_files,
                self_report: None,
            }));
            return Err(Error::Conflict(
                "An export or backup is running. Change the passphrase when it has finished."
                    .into(),
            )
            .into());
        }
    };
    let rekeyed = state
        .folder
        .change_passphrase(store, &current, &new, &state.keychain);
    *phase = match rekeyed.opened {
        Ok(opened) => {
            let mut next = match AppState::session(opened) {
                Phase::Unlocked(s) => s,
                _ => unreachable!("session() always unlocks"),
            };
            next.saved_files = saved_files;
            Phase::Unlocked(next)
        }
        Err(e) => Phase::Locked {
            reason: LockReason::Problem,
            problem: Some(e.to_string()),
        },
    };
    drop(phase);
    Ok(rekeyed.changed?)
}

/// The core's verdict on a passphrase being chosen: score, warning and hints.
#[tauri::command(async)]
pub fn passphrase_strength(
    state: State<'_, AppState>,
    req: Req<StrengthRequest>,
) -> WireResult<kap_practice::key::Strength> {
    let r = req.0;
    let pass = Zeroizing::new(r.passphrase);
    let open = match &*state.phase() {
        Phase::Unlocked(s) => Some(s.store.read(practice::get)?),
        _ => None,
    };
    let words = match &open {
        Some(settings) => settings.guessable_words(),
        None => [
            r.practice_name.as_deref().unwrap_or_default(),
            r.therapist_name.as_deref().unwrap_or_default(),
        ],
    };
    Ok(kap_practice::key::strength::judge(&pass, &words))
}

/// Turns "Open without the passphrase on this computer" on or off: off removes the key
/// from this computer's keychain at once.
#[tauri::command(async)]
pub fn set_keychain_preference(
    state: State<'_, AppState>,
    req: Req<KeychainPreference>,
) -> WireResult<AppStatus> {
    state.with_session(|s| {
        let status = state.folder.set_open_without_passphrase(
            &s.store,
            &s.practice_id,
            req.0.open_without_passphrase,
            &state.keychain,
        )?;
        s.keychain_saved = status == kap_practice::folder::KeychainStatus::Saved;
        Ok(())
    })?;
    state.status()
}

fn rename_field(e: Error, from: &str, to: &str) -> WireError {
    let mut w = WireError::from(e);
    for f in w.fields.iter_mut().flatten() {
        if f.field == from {
            f.field = to.into();
        }
    }
    w
}
