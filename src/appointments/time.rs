//! Wall times in the practice's time zone and instants in UTC.

use chrono::{DateTime, LocalResult, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

/// Why a wall time cannot be turned into an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WallTimeError {
    /// The clocks spring forward over this time: it never happens on this date.
    DoesNotExist,
}

/// The instant of a wall time in `tz`. In the spring gap the time does not exist and is
/// refused; in the autumn overlap (a wall time that happens twice) the first occurrence,
/// still on daylight time, is taken, as calendars do.
pub fn to_utc(tz: Tz, local: NaiveDateTime) -> Result<DateTime<Utc>, WallTimeError> {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
        LocalResult::Ambiguous(first, _) => Ok(first.with_timezone(&Utc)),
        LocalResult::None => Err(WallTimeError::DoesNotExist),
    }
}

/// The wall time of an instant in `tz`.
pub fn to_local(tz: Tz, t: DateTime<Utc>) -> NaiveDateTime {
    t.with_timezone(&tz).naive_local()
}

/// "Mar 3, 2026, 10:00 AM" for messages.
pub fn us_datetime(local: NaiveDateTime) -> String {
    local.format("%b %-d, %Y, %-I:%M %p").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use chrono_tz::America::New_York;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, min, 0)
            .unwrap()
    }

    #[test]
    fn new_york_daylight_saving_days() {
        // 2026: clocks spring forward on Mar 8 at 2:00 and fall back on Nov 1 at 2:00.
        let cases = [
            (at(2026, 3, 8, 1, 30), Ok("2026-03-08T06:30:00Z")),
            (at(2026, 3, 8, 2, 30), Err(WallTimeError::DoesNotExist)),
            (at(2026, 3, 8, 3, 0), Ok("2026-03-08T07:00:00Z")),
            (at(2026, 3, 8, 10, 0), Ok("2026-03-08T14:00:00Z")),
            (at(2026, 11, 1, 0, 30), Ok("2026-11-01T04:30:00Z")),
            (at(2026, 11, 1, 1, 30), Ok("2026-11-01T05:30:00Z")), // first 1:30, EDT
            (at(2026, 11, 1, 2, 30), Ok("2026-11-01T07:30:00Z")),
            (at(2026, 11, 1, 10, 0), Ok("2026-11-01T15:00:00Z")),
            (at(2026, 7, 4, 10, 0), Ok("2026-07-04T14:00:00Z")),
            (at(2026, 12, 4, 10, 0), Ok("2026-12-04T15:00:00Z")),
        ];
        for (local, want) in cases {
            let got = to_utc(New_York, local).map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string());
            assert_eq!(got.as_deref().map_err(|e| *e), want, "{local}");
            if let Ok(t) = to_utc(New_York, local) {
                assert_eq!(to_local(New_York, t), local, "round trip {local}");
            }
        }
    }
}
