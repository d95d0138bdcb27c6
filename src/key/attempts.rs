//! Slowing down passphrase guessing: after repeated wrong passphrases, the app and the
//! command-line tool refuse to try again until a growing delay has passed. The count is
//! kept in a small file beside the key file, so a relaunch does not reset it.
//!
//! This slows guessing through the app and the tool. Someone who copies the key file and
//! guesses offline is slowed by Argon2id instead ([`super::KdfParams`]).

use crate::{Error, Result};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::time::Duration;

/// Wrong passphrases allowed before any wait.
pub const FREE_ATTEMPTS: u32 = 3;
/// The longest wait between attempts.
pub const MAX_WAIT: Duration = Duration::from_secs(300);

/// Wrong passphrases since the last right one. No secret, no PHI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Attempts {
    pub failures: u32,
    pub last_failure: Option<DateTime<Utc>>,
}

/// The wait required after `failures` wrong passphrases in a row: none for the first
/// [`FREE_ATTEMPTS`], then 1 s, doubling each time, up to [`MAX_WAIT`].
pub fn wait_after(failures: u32) -> Duration {
    if failures < FREE_ATTEMPTS {
        return Duration::ZERO;
    }
    let doublings = (failures - FREE_ATTEMPTS).min(16);
    Duration::from_secs(1u64 << doublings).min(MAX_WAIT)
}

impl Attempts {
    /// How long to wait at `now` before the next attempt may be made (zero: go ahead).
    /// A last failure in the future (a clock set back) counts as now, so a wrong clock
    /// never locks the therapist out for longer than [`MAX_WAIT`].
    pub fn wait_at(&self, now: DateTime<Utc>) -> Duration {
        let Some(last) = self.last_failure else {
            return Duration::ZERO;
        };
        let need = wait_after(self.failures);
        let since = (now - last).to_std().unwrap_or(Duration::ZERO);
        need.saturating_sub(since)
    }

    /// Reads the count; a missing file is no failures, an unreadable one counts as many
    /// failures (deleting or damaging it must not be a way around the wait, but must not
    /// lock anyone out for more than [`MAX_WAIT`] either).
    pub fn read(path: &Path) -> Attempts {
        match std::fs::read(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Attempts::default(),
            Ok(bytes) if bytes.len() <= 1024 => {
                serde_json::from_slice(&bytes).unwrap_or_else(|_| Attempts::damaged())
            }
            _ => Attempts::damaged(),
        }
    }

    fn damaged() -> Attempts {
        Attempts {
            failures: FREE_ATTEMPTS,
            last_failure: None,
        }
    }

    /// Records one more wrong passphrase at `now`.
    pub fn record_failure(path: &Path, now: DateTime<Utc>) -> Result<Attempts> {
        let mut a = Attempts::read(path);
        a.failures = a.failures.saturating_add(1);
        a.last_failure = Some(now);
        let bytes = serde_json::to_vec(&a).map_err(|_| Error::Internal("attempts encoding"))?;
        crate::files::write_atomic(path, &bytes)?;
        Ok(a)
    }

    /// Forgets the count after a right passphrase.
    pub fn clear(path: &Path) -> Result<()> {
        match std::fs::remove_file(path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e.into()),
            _ => Ok(()),
        }
    }

    /// Refuses with [`Error::TryLater`] while a wait is running.
    pub fn check(path: &Path, now: DateTime<Utc>) -> Result<()> {
        let wait = Attempts::read(path).wait_at(now);
        if wait.is_zero() {
            Ok(())
        } else {
            Err(Error::TryLater {
                seconds: wait.as_secs() + u64::from(wait.subsec_nanos() > 0),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_wait_grows_and_is_capped() {
        let table = [
            (0, 0),
            (1, 0),
            (2, 0),
            (3, 1),
            (4, 2),
            (5, 4),
            (8, 32),
            (11, 256),
            (12, 300),
            (u32::MAX, 300),
        ];
        for (failures, secs) in table {
            assert_eq!(
                wait_after(failures),
                Duration::from_secs(secs),
                "{failures}"
            );
        }
    }

    #[test]
    fn the_wait_counts_from_the_last_failure() {
        let t0 = Utc.with_ymd_and_hms(2026, 3, 8, 6, 59, 59).unwrap();
        let a = Attempts {
            failures: 5,
            last_failure: Some(t0),
        };
        let s = |n: i64| t0 + chrono::Duration::seconds(n);
        assert_eq!(a.wait_at(s(0)), Duration::from_secs(4));
        assert_eq!(a.wait_at(s(3)), Duration::from_secs(1));
        assert_eq!(a.wait_at(s(4)), Duration::ZERO);
        assert_eq!(
            a.wait_at(s(-3600)),
            Duration::from_secs(4),
            "clock set back"
        );
        assert_eq!(Attempts::default().wait_at(s(0)), Duration::ZERO);
    }

    #[test]
    fn the_count_survives_in_its_file_and_damage_is_not_a_way_around() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("unlock-attempts");
        let t0 = Utc.with_ymd_and_hms(2026, 11, 1, 5, 30, 0).unwrap();
        for _ in 0..4 {
            Attempts::record_failure(&path, t0).unwrap();
        }
        assert_eq!(Attempts::read(&path).failures, 4);
        assert!(matches!(
            Attempts::check(&path, t0),
            Err(Error::TryLater { seconds: 2 })
        ));
        assert!(Attempts::check(&path, t0 + chrono::Duration::seconds(2)).is_ok());
        std::fs::write(&path, b"{not json").unwrap();
        assert_eq!(Attempts::read(&path).failures, FREE_ATTEMPTS);
        Attempts::clear(&path).unwrap();
        assert_eq!(Attempts::read(&path), Attempts::default());
        Attempts::clear(&path).unwrap();
    }
}
