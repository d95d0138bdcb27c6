//! The OS keychain, through keyring-core and one store crate per OS.
//!
//! The app builds the platform store explicitly ([`Keychain::platform`]); an in-memory
//! store can only be passed in by a caller ([`Keychain::from_store`]), which only tests do.
//! Every write is proved by reading it back.

use super::DataKey;
use keyring_core::{CredentialStore, Entry};
use std::sync::{Arc, OnceLock};

const SERVICE: &str = "KAP Practice data key";
/// The audit chain's anchor: a separate entry, kept when the data key's is removed.
const ANCHOR_SERVICE: &str = "KAP Practice audit anchor";

/// Why the keychain could not give or take the key. Every variant leads to the
/// passphrase; none leads to storing the key anywhere else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeychainError {
    /// No keychain service is running or reachable (e.g. Linux without a Secret Service).
    Unavailable,
    /// The keychain is locked or refused access.
    Locked,
    /// The keychain has no entry for this practice.
    NoEntry,
    /// The keychain answered, but what it holds (or read back) is not this practice's key.
    Mismatch,
}

impl std::fmt::Display for KeychainError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            KeychainError::Unavailable => "no system keychain is available",
            KeychainError::Locked => "the system keychain is locked",
            KeychainError::NoEntry => "the system keychain has no key for this practice",
            KeychainError::Mismatch => "the system keychain holds a different key",
        })
    }
}

/// A handle on a credential store, or on none (no keychain service here).
///
/// The platform's store is reached on first use, not when the handle is made: a launch
/// with no practice (the first-run screen) never starts the Secret Service. Clones share
/// the one connection.
#[derive(Clone)]
pub struct Keychain {
    store: Arc<OnceLock<Option<Arc<CredentialStore>>>>,
}

impl std::fmt::Debug for Keychain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keychain")
            .field("reached", &self.store.get().map(Option::is_some))
            .finish()
    }
}

fn classify(err: &keyring_core::Error) -> KeychainError {
    match err {
        keyring_core::Error::NoEntry => KeychainError::NoEntry,
        keyring_core::Error::NoStorageAccess(_) => KeychainError::Locked,
        keyring_core::Error::BadEncoding(_) | keyring_core::Error::BadDataFormat(..) => {
            KeychainError::Mismatch
        }
        _ => KeychainError::Unavailable,
    }
}

impl Keychain {
    /// The operating system's keychain: Secret Service on Linux, Keychain on macOS,
    /// Credential Manager on Windows. When none can be reached the handle still exists and
    /// every call reports [`KeychainError::Unavailable`].
    pub fn platform() -> Self {
        Keychain {
            store: Arc::new(OnceLock::new()),
        }
    }

    /// A keychain over a given store. Tests pass `keyring_core::mock::Store`.
    pub fn from_store(store: Arc<CredentialStore>) -> Self {
        Keychain {
            store: Arc::new(OnceLock::from(Some(store))),
        }
    }

    /// A keychain that is never available: the passphrase is always needed.
    pub fn none() -> Self {
        Keychain {
            store: Arc::new(OnceLock::from(None)),
        }
    }

    /// The store, reaching the platform's on first use (only [`Keychain::platform`]'s
    /// cell starts empty).
    fn store(&self) -> Result<&Arc<CredentialStore>, KeychainError> {
        self.store
            .get_or_init(platform_store)
            .as_ref()
            .ok_or(KeychainError::Unavailable)
    }

    fn entry(&self, practice_id: &str) -> Result<Entry, KeychainError> {
        let store = self.store()?;
        Entry::new_in_store(store, SERVICE, practice_id).map_err(|e| classify(&e))
    }

    /// Reads this practice's data key.
    pub fn load(&self, practice_id: &str) -> Result<DataKey, KeychainError> {
        let entry = self.entry(practice_id)?;
        let secret = zeroize::Zeroizing::new(entry.get_secret().map_err(|e| classify(&e))?);
        DataKey::from_bytes(&secret).ok_or(KeychainError::Mismatch)
    }

    /// Saves this practice's data key and proves the write by reading it back.
    pub fn save(&self, practice_id: &str, key: &DataKey) -> Result<(), KeychainError> {
        let entry = self.entry(practice_id)?;
        entry.set_secret(key.as_bytes()).map_err(|e| classify(&e))?;
        let back = self.load(practice_id)?;
        if back.as_bytes() != key.as_bytes() {
            return Err(KeychainError::Mismatch);
        }
        Ok(())
    }

    /// Removes this practice's key from the keychain (e.g. "forget on this laptop").
    pub fn forget(&self, practice_id: &str) -> Result<(), KeychainError> {
        let entry = self.entry(practice_id)?;
        match entry.delete_credential() {
            Ok(()) => Ok(()),
            Err(keyring_core::Error::NoEntry) => Ok(()),
            Err(e) => Err(classify(&e)),
        }
    }

    fn anchor_entry(&self, practice_id: &str) -> Result<Entry, KeychainError> {
        let store = self.store()?;
        Entry::new_in_store(store, ANCHOR_SERVICE, practice_id).map_err(|e| classify(&e))
    }

    /// Saves the audit chain's anchor for this practice (length, head, time; no PHI), in
    /// an entry of its own, and proves the write by reading it back.
    pub fn save_anchor(
        &self,
        practice_id: &str,
        anchor: &crate::audit::Anchor,
    ) -> Result<(), KeychainError> {
        let entry = self.anchor_entry(practice_id)?;
        entry
            .set_password(&anchor.to_json())
            .map_err(|e| classify(&e))?;
        if self.load_anchor(practice_id)? != *anchor {
            return Err(KeychainError::Mismatch);
        }
        Ok(())
    }

    /// Reads this practice's audit anchor.
    pub fn load_anchor(&self, practice_id: &str) -> Result<crate::audit::Anchor, KeychainError> {
        let entry = self.anchor_entry(practice_id)?;
        let text = entry.get_password().map_err(|e| classify(&e))?;
        crate::audit::Anchor::from_json(&text).ok_or(KeychainError::Mismatch)
    }
}

#[cfg(target_os = "linux")]
fn platform_store() -> Option<Arc<CredentialStore>> {
    let store = zbus_secret_service_keyring_store::Store::new().ok()?;
    Some(store)
}

#[cfg(target_os = "macos")]
fn platform_store() -> Option<Arc<CredentialStore>> {
    let store = apple_native_keyring_store::keychain::Store::new().ok()?;
    Some(store)
}

#[cfg(target_os = "windows")]
fn platform_store() -> Option<Arc<CredentialStore>> {
    let store = windows_native_keyring_store::Store::new().ok()?;
    Some(store)
}

#[cfg(not(any(target_os = "linux", target_os = "macos", target_os = "windows")))]
fn platform_store() -> Option<Arc<CredentialStore>> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mock_round_trip_and_missing_entry() {
        let kc = Keychain::from_store(keyring_core::mock::Store::new().unwrap());
        let key = DataKey::generate().unwrap();
        assert_eq!(kc.load("abc").unwrap_err(), KeychainError::NoEntry);
        kc.save("abc", &key).unwrap();
        assert_eq!(kc.load("abc").unwrap().as_bytes(), key.as_bytes());
        kc.forget("abc").unwrap();
        assert_eq!(kc.load("abc").unwrap_err(), KeychainError::NoEntry);
    }

    #[test]
    fn the_platform_store_is_reached_on_first_use_only() {
        // Made at launch, the handle has not touched the Secret Service yet: a first run
        // (no practice) never starts it.
        let kc = Keychain::platform();
        assert!(format!("{kc:?}").contains("reached: None"), "{kc:?}");
        let mock = Keychain::from_store(keyring_core::mock::Store::new().unwrap());
        assert!(format!("{mock:?}").contains("reached: Some(true)"));
        assert!(format!("{:?}", Keychain::none()).contains("reached: Some(false)"));
    }

    #[test]
    fn no_keychain_is_unavailable() {
        let kc = Keychain::none();
        let key = DataKey::generate().unwrap();
        assert_eq!(
            kc.save("abc", &key).unwrap_err(),
            KeychainError::Unavailable
        );
        assert_eq!(kc.load("abc").unwrap_err(), KeychainError::Unavailable);
    }
}
