//! The key file: the data key wrapped under the practice passphrase.
//!
//! Format (JSON, versioned): the practice id, the Argon2id parameters and salt, an
//! XChaCha20-Poly1305 nonce and the wrapped key, and a one-way check value of the data
//! key. The parameters and practice id are bound into the AEAD as associated data, so
//! editing them makes unwrapping fail. The parameters are stored so they can rise later.

use super::{DataKey, Passphrase};
use crate::{Error, Result};
use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::Path;
use zeroize::Zeroizing;

const FORMAT: &str = "kap-practice-key";
const VERSION: u32 = 1;

/// Argon2id cost parameters. The defaults meet the practice's floor (64 MiB, 3 passes,
/// 1 lane); a key file with weaker parameters is refused as damaged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfParams {
    /// Memory in KiB.
    pub m_kib: u32,
    /// Passes.
    pub t: u32,
    /// Lanes.
    pub p: u32,
}

impl Default for KdfParams {
    fn default() -> Self {
        KdfParams {
            m_kib: 64 * 1024,
            t: 3,
            p: 1,
        }
    }
}

impl KdfParams {
    fn meets_floor(&self) -> bool {
        self.m_kib >= 64 * 1024 && self.t >= 3 && self.p >= 1 && self.m_kib <= 4 * 1024 * 1024
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Kdf {
    algorithm: String,
    #[serde(flatten)]
    params: KdfParams,
    salt: String,
}

/// The parsed key file. Holds no secret in the clear.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyFile {
    format: String,
    version: u32,
    /// Random id of the practice; names the keychain entry. Not PHI.
    practice_id: String,
    kdf: Kdf,
    aead: String,
    nonce: String,
    wrapped_key: String,
    key_check: String,
}

fn random<const N: usize>() -> Result<[u8; N]> {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).map_err(|_| Error::Internal("OS RNG failed"))?;
    Ok(b)
}

fn derive(passphrase: &Passphrase, salt: &[u8], params: KdfParams) -> Result<Zeroizing<[u8; 32]>> {
    let p = Params::new(params.m_kib, params.t, params.p, Some(32))
        .map_err(|_| Error::KeyFileCorrupt)?;
    let mut out = Zeroizing::new([0u8; 32]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, p)
        .hash_password_into(passphrase.as_bytes(), salt, out.as_mut())
        .map_err(|_| Error::KeyFileCorrupt)?;
    Ok(out)
}

impl KeyFile {
    /// Wraps `key` under `passphrase` with a fresh salt and nonce.
    pub fn wrap(
        practice_id: &str,
        key: &DataKey,
        passphrase: &Passphrase,
        params: KdfParams,
    ) -> Result<Self> {
        let salt: [u8; 16] = random()?;
        let nonce: [u8; 24] = random()?;
        let mut file = KeyFile {
            format: FORMAT.into(),
            version: VERSION,
            practice_id: practice_id.into(),
            kdf: Kdf {
                algorithm: "argon2id".into(),
                params,
                salt: hex::encode(salt),
                // Filled below.
            },
            aead: "xchacha20poly1305".into(),
            nonce: hex::encode(nonce),
            wrapped_key: String::new(),
            key_check: hex::encode(key.check_value()),
        };
        let kek = derive(passphrase, &salt, params)?;
        let cipher = XChaCha20Poly1305::new(kek.as_ref().into());
        let aad = file.aad();
        let wrapped = cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: key.as_bytes(),
                    aad: aad.as_bytes(),
                },
            )
            .map_err(|_| Error::Internal("key wrapping failed"))?;
        file.wrapped_key = hex::encode(wrapped);
        Ok(file)
    }

    /// Unwraps the data key. A wrong passphrase is [`Error::WrongPassphrase`]; a file whose
    /// fields do not parse or whose key fails its check is [`Error::KeyFileCorrupt`].
    pub fn unwrap(&self, passphrase: &Passphrase) -> Result<DataKey> {
        let salt = hex::decode(&self.kdf.salt).map_err(|_| Error::KeyFileCorrupt)?;
        let nonce = hex::decode(&self.nonce).map_err(|_| Error::KeyFileCorrupt)?;
        let wrapped = hex::decode(&self.wrapped_key).map_err(|_| Error::KeyFileCorrupt)?;
        if nonce.len() != 24 || salt.len() < 16 {
            return Err(Error::KeyFileCorrupt);
        }
        let kek = derive(passphrase, &salt, self.kdf.params)?;
        let cipher = XChaCha20Poly1305::new(kek.as_ref().into());
        let aad = self.aad();
        let plain = Zeroizing::new(
            cipher
                .decrypt(
                    XNonce::from_slice(&nonce),
                    Payload {
                        msg: &wrapped,
                        aad: aad.as_bytes(),
                    },
                )
                .map_err(|_| Error::WrongPassphrase)?,
        );
        let key = DataKey::from_bytes(&plain).ok_or(Error::KeyFileCorrupt)?;
        if !self.matches(&key) {
            return Err(Error::KeyFileCorrupt);
        }
        Ok(key)
    }

    /// True when `key` is the data key this file wraps (compares the one-way check value).
    pub fn matches(&self, key: &DataKey) -> bool {
        hex::decode(&self.key_check).is_ok_and(|c| c.as_slice() == key.check_value())
    }

    pub fn practice_id(&self) -> &str {
        &self.practice_id
    }

    pub fn kdf_params(&self) -> KdfParams {
        self.kdf.params
    }

    /// The associated data bound into the AEAD: everything that is not the ciphertext.
    fn aad(&self) -> String {
        format!(
            "{}|{}|{}|{}|{}|{}|{}|{}|{}|{}",
            self.format,
            self.version,
            self.practice_id,
            self.kdf.algorithm,
            self.kdf.params.m_kib,
            self.kdf.params.t,
            self.kdf.params.p,
            self.kdf.salt,
            self.aead,
            self.key_check
        )
    }

    /// Reads and validates a key file. Missing is [`Error::KeyFileMissing`]; anything that
    /// does not parse, or names an unknown format or weak parameters, is
    /// [`Error::KeyFileCorrupt`].
    pub fn read(path: &Path) -> Result<Self> {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(Error::KeyFileMissing)
            }
            Err(e) => return Err(e.into()),
        };
        Self::parse(&bytes)
    }

    /// Parses and validates a key file's bytes (as [`KeyFile::read`] does for a file).
    pub fn parse(bytes: &[u8]) -> Result<Self> {
        if bytes.len() > 64 * 1024 {
            return Err(Error::KeyFileCorrupt);
        }
        let file: KeyFile = serde_json::from_slice(bytes).map_err(|_| Error::KeyFileCorrupt)?;
        if file.format != FORMAT
            || file.version != VERSION
            || file.kdf.algorithm != "argon2id"
            || file.aead != "xchacha20poly1305"
            || !file.kdf.params.meets_floor()
            || file.practice_id.len() != 32
            || !file.practice_id.bytes().all(|b| b.is_ascii_hexdigit())
        {
            return Err(Error::KeyFileCorrupt);
        }
        Ok(file)
    }

    /// The key file's bytes as written to disk.
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        serde_json::to_vec_pretty(self).map_err(|_| Error::Internal("key file encoding"))
    }

    /// Writes the key file atomically: a temporary file beside it, flushed to disk, then
    /// renamed over the old one, so a crash leaves either the old or the new file whole.
    pub fn write(&self, path: &Path) -> Result<()> {
        let json =
            serde_json::to_vec_pretty(self).map_err(|_| Error::Internal("key file encoding"))?;
        let tmp = path.with_extension("key.tmp");
        {
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(&json)?;
            f.sync_all()?;
        }
        if let Err(e) = std::fs::rename(&tmp, path) {
            let _ = std::fs::remove_file(&tmp);
            return Err(e.into());
        }
        if let Some(dir) = path.parent() {
            // Make the rename itself durable.
            crate::files::sync_dir(dir);
        }
        Ok(())
    }

    /// A new random practice id (128 bits, hex).
    pub fn new_practice_id() -> Result<String> {
        Ok(hex::encode(random::<16>()?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pass(s: &str) -> Passphrase {
        Passphrase::new(s.into()).unwrap()
    }

    #[test]
    fn wrap_and_unwrap_round_trip() {
        let key = DataKey::generate().unwrap();
        let id = KeyFile::new_practice_id().unwrap();
        let file = KeyFile::wrap(
            &id,
            &key,
            &pass("correct horse battery"),
            KdfParams::default(),
        )
        .unwrap();
        let back = file.unwrap(&pass("correct horse battery")).unwrap();
        assert_eq!(back.as_bytes(), key.as_bytes());
        assert!(file.matches(&key));
        assert!(!file.matches(&DataKey::generate().unwrap()));
        assert!(matches!(
            file.unwrap(&pass("wrong horse battery")),
            Err(Error::WrongPassphrase)
        ));
    }

    #[test]
    fn editing_bound_fields_breaks_unwrapping() {
        let key = DataKey::generate().unwrap();
        let id = KeyFile::new_practice_id().unwrap();
        let mut file = KeyFile::wrap(
            &id,
            &key,
            &pass("correct horse battery"),
            KdfParams::default(),
        )
        .unwrap();
        file.practice_id = KeyFile::new_practice_id().unwrap();
        assert!(
            file.unwrap(&pass("correct horse battery")).is_err(),
            "the practice id is associated data"
        );
    }

    #[test]
    fn weak_parameters_are_refused_on_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("practice.key");
        let key = DataKey::generate().unwrap();
        let id = KeyFile::new_practice_id().unwrap();
        let file = KeyFile::wrap(
            &id,
            &key,
            &pass("correct horse battery"),
            KdfParams::default(),
        )
        .unwrap();
        file.write(&path).unwrap();
        let text = std::fs::read_to_string(&path)
            .unwrap()
            .replace("65536", "8");
        std::fs::write(&path, text).unwrap();
        assert!(matches!(KeyFile::read(&path), Err(Error::KeyFileCorrupt)));
    }
}
