//! Key custody: the data key that encrypts the database, the key file that wraps it under
//! the practice passphrase, and the OS keychain that holds it so this laptop opens without
//! typing.
//!
//! Invariants: the data key is generated from the OS random number generator, lives only
//! in zeroizing memory, and is written to disk only wrapped (AEAD under Argon2id of the
//! passphrase). Nothing here ever stores it in plain text, and nothing falls back to a
//! store that would.

pub mod attempts;
mod keychain;
mod keyfile;
pub mod strength;

pub use keychain::{Keychain, KeychainError};
pub use keyfile::{KdfParams, KeyFile};
pub use strength::Strength;

use zeroize::Zeroizing;

/// Minimum passphrase length in characters.
pub const MIN_PASSPHRASE_CHARS: usize = 12;
/// Maximum passphrase length in characters: long enough for any diceware phrase.
pub const MAX_PASSPHRASE_CHARS: usize = 1024;

/// The 256-bit key that SQLCipher uses as a raw key. Zeroed on drop; never printed.
#[derive(Clone)]
pub struct DataKey(Zeroizing<[u8; 32]>);

impl DataKey {
    /// A fresh key from the operating system's random number generator.
    pub fn generate() -> crate::Result<Self> {
        let mut bytes = Zeroizing::new([0u8; 32]);
        getrandom::fill(bytes.as_mut()).map_err(|_| crate::Error::Internal("OS RNG failed"))?;
        Ok(DataKey(bytes))
    }

    /// Wraps existing key bytes (from the keychain or an unwrapped key file).
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let arr: [u8; 32] = bytes.try_into().ok()?;
        Some(DataKey(Zeroizing::new(arr)))
    }

    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The SQLCipher `PRAGMA key` value for a raw key: `x'<64 hex>'`, in zeroizing memory.
    pub(crate) fn sqlcipher_literal(&self) -> Zeroizing<String> {
        let mut s = Zeroizing::new(String::with_capacity(68));
        s.push_str("x'");
        s.push_str(&hex::encode(self.0.as_ref()));
        s.push('\'');
        s
    }

    /// A one-way fingerprint that lets the key file say whether a key belongs to its
    /// database without revealing the key.
    pub(crate) fn check_value(&self) -> [u8; 32] {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        h.update(b"kap-practice/key-check/v1\0");
        h.update(self.0.as_ref());
        h.finalize().into()
    }
}

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DataKey(..)")
    }
}

/// The practice passphrase, zeroed on drop. Validated for length on construction.
pub struct Passphrase(Zeroizing<String>);

impl Passphrase {
    /// Accepts a passphrase being chosen: at least [`MIN_PASSPHRASE_CHARS`] characters and
    /// hard to guess ([`strength::judge`]). The error names the field `passphrase` and says
    /// what is wrong and how to do better.
    pub fn new(value: String) -> crate::Result<Self> {
        Self::new_with_context(value, &[])
    }

    /// [`Passphrase::new`], treating the words of `context` (the practice's and the
    /// therapist's names) as known to a guesser.
    pub fn new_with_context(value: String, context: &[&str]) -> crate::Result<Self> {
        let value = Zeroizing::new(value);
        let n = value.chars().count();
        if n > MAX_PASSPHRASE_CHARS {
            return Err(crate::Error::invalid(
                "passphrase",
                "The passphrase must be at most 1024 characters long.",
            ));
        }
        let verdict = strength::judge(&value, context);
        if !verdict.acceptable {
            let mut message = verdict
                .warning
                .unwrap_or_else(|| "This passphrase would be easy to guess.".into());
            if let Some(hint) = verdict.suggestions.first() {
                message.push(' ');
                message.push_str(hint);
            }
            return Err(crate::Error::invalid("passphrase", &message));
        }
        Ok(Passphrase(value))
    }

    /// A passphrase given to unlock: no length rule (the rule applies when one is chosen),
    /// so a short wrong guess is reported as wrong, not as invalid.
    pub fn for_unlock(value: String) -> Self {
        Passphrase(Zeroizing::new(value))
    }

    pub(crate) fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

impl std::fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Passphrase(..)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passphrase_length_rule_says_twelve() {
        let err = Passphrase::new("short".into()).expect_err("5 characters is too short");
        assert!(err.to_string().contains("attention"));
        match err {
            crate::Error::Invalid(f) => {
                assert!(
                    f.0[0].message.contains("12 characters"),
                    "the error names the rule"
                )
            }
            other => panic!("unexpected {other:?}"),
        }
        assert!(Passphrase::new("velvet 12 ok".into()).is_ok());
        assert!(
            Passphrase::new("élan vit 9ü".into()).is_err(),
            "counted in characters: 11"
        );
        for weak in ["111111111111", "            ", "password1234"] {
            let err = Passphrase::new(weak.into()).expect_err(weak);
            assert!(matches!(err, crate::Error::Invalid(_)), "{weak:?}");
        }
    }

    #[test]
    fn keys_are_random_and_debug_hides_them() {
        let a = DataKey::generate().unwrap();
        let b = DataKey::generate().unwrap();
        assert_ne!(a.as_bytes(), b.as_bytes());
        assert_eq!(format!("{a:?}"), "DataKey(..)");
        assert_eq!(a.sqlcipher_literal().len(), 67);
    }
}
