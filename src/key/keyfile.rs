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

/// Argon2id cost parameters. The defaults are the practice's floor (64 MiB, 3 passes,
/// 1 lane); new practices calibrate upwards from it ([`KdfParams::calibrated`]). A key file
/// (or a backup header carrying one) whose parameters are outside [`KdfParams::within_bounds`]
/// is refused as damaged before any hashing, so a forged file cannot make an unlock take
/// gigabytes of memory or years of work.
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

/// The floor: never less memory than this (KiB).
pub const MIN_M_KIB: u32 = 64 * 1024;
/// The ceiling on memory a key file may ask for (KiB): 1 GiB.
pub const MAX_M_KIB: u32 = 1024 * 1024;
/// The fewest and most passes a key file may ask for.
pub const MIN_T: u32 = 3;
pub const MAX_T: u32 = 10;
/// The most lanes a key file may ask for.
pub const MAX_P: u32 = 8;
/// Calibration never asks for more memory than this (KiB): 256 MiB leaves a laptop usable.
const CALIBRATE_MAX_M_KIB: u32 = 256 * 1024;

impl KdfParams {
    /// True when the parameters are ones this app could have written: at least the floor
    /// (64 MiB, 3 passes, 1 lane) and at most 1 GiB, 10 passes, 8 lanes.
    pub fn within_bounds(&self) -> bool {
        (MIN_M_KIB..=MAX_M_KIB).contains(&self.m_kib)
            && (MIN_T..=MAX_T).contains(&self.t)
            && (1..=MAX_P).contains(&self.p)
    }

    /// Parameters for a key wrapped on this machine: calibrated once per process so that
    /// one unlock takes about 0.75 s here (0.5–1 s), never below the floor and never above
    /// 256 MiB or 10 passes.
    pub fn calibrated() -> KdfParams {
        static CALIBRATED: std::sync::OnceLock<KdfParams> = std::sync::OnceLock::new();
        *CALIBRATED.get_or_init(|| {
            let floor = KdfParams::default();
            let salt = [0x5au8; 16];
            let pass = Passphrase::for_unlock("calibration passphrase".into());
            let started = std::time::Instant::now();
            if derive(&pass, &salt, floor).is_err() {
                return floor;
            }
            Self::scaled(floor, started.elapsed())
        })
    }

    /// The parameters that should take about 0.75 s, given that `floor` took `took`:
    /// memory first (up to 256 MiB), then passes (up to 10). Pure, for tests.
    pub fn scaled(floor: KdfParams, took: std::time::Duration) -> KdfParams {
        const TARGET: f64 = 0.75;
        let secs = took.as_secs_f64().max(1e-3);
        if secs >= 0.5 {
            return floor;
        }
        let mut factor = TARGET / secs;
        let m_factor = factor.min(f64::from(CALIBRATE_MAX_M_KIB) / f64::from(floor.m_kib));
        // Whole MiB, so the stored figure reads plainly.
        let m_mib = ((f64::from(floor.m_kib) * m_factor) / 1024.0)
            .floor()
            .max(64.0);
        let m_kib = ((m_mib as u32) * 1024).clamp(floor.m_kib, CALIBRATE_MAX_M_KIB);
        factor /= f64::from(m_kib) / f64::from(floor.m_kib);
        let t = ((f64::from(floor.t) * factor).round() as u32).clamp(floor.t, MAX_T);
        KdfParams {
            m_kib,
            t,
            p: floor.p,
        }
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
            || !file.kdf.params.within_bounds()
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
        // A temporary file left by a crash is never ours to keep.
        let _ = std::fs::remove_file(&tmp);
        {
            // Owner-only (0600) from its first byte, whatever the umask.
            let mut f = crate::files::create_private(&tmp)?;
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

    /// A new key wrapped at the floor under "correct horse battery".
    fn wrapped() -> (DataKey, KeyFile) {
        let key = DataKey::generate().unwrap();
        let id = KeyFile::new_practice_id().unwrap();
        let file = KeyFile::wrap(
            &id,
            &key,
            &pass("correct horse battery"),
            KdfParams::default(),
        )
        .unwrap();
        (key, file)
    }

    #[test]
    fn wrap_and_unwrap_round_trip() {
        let (key, file) = wrapped();
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
        let (_, file) = wrapped();
        file.write(&path).unwrap();
        let text = std::fs::read_to_string(&path)
            .unwrap()
            .replace("65536", "8");
        std::fs::write(&path, text).unwrap();
        assert!(matches!(KeyFile::read(&path), Err(Error::KeyFileCorrupt)));
    }

    #[test]
    fn parameter_bounds_table() {
        let ok = |m_kib, t, p| KdfParams { m_kib, t, p }.within_bounds();
        let cases = [
            (64 * 1024, 3, 1, true),
            (64 * 1024 - 1, 3, 1, false),
            (1024 * 1024, 10, 8, true),
            (1024 * 1024 + 1, 3, 1, false),
            (4 * 1024 * 1024, 3, 1, false),
            (64 * 1024, 2, 1, false),
            (64 * 1024, 11, 1, false),
            (64 * 1024, 4_000_000_000, 1, false),
            (64 * 1024, 3, 0, false),
            (64 * 1024, 3, 9, false),
            (u32::MAX, u32::MAX, u32::MAX, false),
        ];
        for (m, t, p, want) in cases {
            assert_eq!(ok(m, t, p), want, "m={m} t={t} p={p}");
        }
    }

    #[test]
    fn forged_costs_are_refused_before_any_hashing() {
        let (_, file) = wrapped();
        let text = String::from_utf8(file.to_bytes().unwrap()).unwrap();
        for (from, to) in [
            ("\"m_kib\": 65536", "\"m_kib\": 4194304"),
            ("\"t\": 3", "\"t\": 4000000000"),
            ("\"p\": 1", "\"p\": 255"),
        ] {
            assert!(text.contains(from), "{from} in {text}");
            let forged = text.replace(from, to);
            // Parsing hashes nothing: the bound check is what refuses it.
            assert!(matches!(
                KeyFile::parse(forged.as_bytes()),
                Err(Error::KeyFileCorrupt)
            ));
        }
    }

    #[test]
    fn calibration_scales_memory_then_passes_within_bounds() {
        use std::time::Duration;
        let floor = KdfParams::default();
        let cases = [
            // Slow machine: the floor already takes long enough.
            (Duration::from_millis(900), floor),
            (Duration::from_millis(500), floor),
            // 0.375 s: twice the memory reaches 0.75 s.
            (
                Duration::from_millis(375),
                KdfParams {
                    m_kib: 128 * 1024,
                    t: 3,
                    p: 1,
                },
            ),
            // 0.1 s: memory to 256 MiB (4x), then passes 3 * 1.875 = 5.6 -> 6.
            (
                Duration::from_millis(100),
                KdfParams {
                    m_kib: 256 * 1024,
                    t: 6,
                    p: 1,
                },
            ),
            // Very fast: both capped.
            (
                Duration::from_micros(10),
                KdfParams {
                    m_kib: 256 * 1024,
                    t: 10,
                    p: 1,
                },
            ),
        ];
        for (took, want) in cases {
            let got = KdfParams::scaled(floor, took);
            assert_eq!(got, want, "{took:?}");
            assert!(got.within_bounds());
        }
        assert!(KdfParams::calibrated().within_bounds());
    }
}
