//! The practice's clinical settings for the KAP course: the PCL-5 cut-point, when
//! questionnaires are due, and the blood pressure at or above which a dose is held. Each
//! is a column of the practice row, NULL while the practice keeps the default.

use super::due::DueRules;
use super::rules::{HoldThreshold, DEFAULT_HOLD};
use super::scoring::DEFAULT_PCL5_CUT_POINT;
use crate::audit::{Action, EntityKind};
use crate::store::Writer;
use crate::validate::FieldErrors;
use crate::{Error, Result};
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct CourseSettings {
    /// "Probable PTSD" at or above this PCL-5 total (31 to 33, as published).
    pub pcl5_cut_point: u32,
    /// How many days before an intake or a KAP session a questionnaire counts for it.
    pub measures_before_days: u32,
    /// PCL-5 at every this-many-th KAP session, for a client with PTSD among the concerns.
    pub pcl5_every_kap: u32,
    /// A pre-dose reading at or above either number needs a recorded decision.
    pub hold_systolic: u32,
    pub hold_diastolic: u32,
}

impl Default for CourseSettings {
    fn default() -> Self {
        let due = DueRules::default();
        CourseSettings {
            pcl5_cut_point: DEFAULT_PCL5_CUT_POINT,
            measures_before_days: due.before_days,
            pcl5_every_kap: due.pcl5_every_kap,
            hold_systolic: DEFAULT_HOLD.systolic,
            hold_diastolic: DEFAULT_HOLD.diastolic,
        }
    }
}

impl CourseSettings {
    pub fn due_rules(&self) -> DueRules {
        DueRules {
            before_days: self.measures_before_days,
            pcl5_every_kap: self.pcl5_every_kap,
        }
    }

    pub fn hold(&self) -> HoldThreshold {
        HoldThreshold {
            systolic: self.hold_systolic,
            diastolic: self.hold_diastolic,
        }
    }

    /// Checks every bound; field errors name the wire fields.
    pub fn check(&self) -> Result<()> {
        let mut e = FieldErrors::new();
        if !(31..=33).contains(&self.pcl5_cut_point) {
            e.add(
                "pcl5_cut_point",
                "The published PCL-5 cut-points are 31 to 33.",
            );
        }
        if !(1..=30).contains(&self.measures_before_days) {
            e.add(
                "measures_before_days",
                "A questionnaire counts for a session between 1 and 30 days before it.",
            );
        }
        if !(1..=12).contains(&self.pcl5_every_kap) {
            e.add(
                "pcl5_every_kap",
                "Give the PCL-5 at every 1st to every 12th KAP session.",
            );
        }
        if !(100..=220).contains(&self.hold_systolic) {
            e.add(
                "hold_systolic",
                "Enter a systolic threshold between 100 and 220.",
            );
        }
        if !(60..=130).contains(&self.hold_diastolic) {
            e.add(
                "hold_diastolic",
                "Enter a diastolic threshold between 60 and 130.",
            );
        } else if self.hold_diastolic >= self.hold_systolic {
            e.add(
                "hold_diastolic",
                "The diastolic threshold is lower than the systolic.",
            );
        }
        e.into_result()
    }
}

/// The practice's settings (the defaults where it keeps them).
pub fn get(conn: &Connection) -> Result<CourseSettings> {
    let d = CourseSettings::default();
    let or = |r: &rusqlite::Row<'_>, i: usize, default: u32| -> rusqlite::Result<u32> {
        Ok(r.get::<_, Option<u32>>(i)?.unwrap_or(default))
    };
    conn.query_row(
        "SELECT pcl5_cut_point, measures_before_days, pcl5_every_kap, bp_hold_systolic,
                bp_hold_diastolic FROM practice WHERE id = 1",
        [],
        |r| {
            Ok(CourseSettings {
                pcl5_cut_point: or(r, 0, d.pcl5_cut_point)?,
                measures_before_days: or(r, 1, d.measures_before_days)?,
                pcl5_every_kap: or(r, 2, d.pcl5_every_kap)?,
                hold_systolic: or(r, 3, d.hold_systolic)?,
                hold_diastolic: or(r, 4, d.hold_diastolic)?,
            })
        },
    )
    .map_err(|e| match e {
        rusqlite::Error::QueryReturnedNoRows => Error::NotFound("practice"),
        e => e.into(),
    })
}

/// Checks and saves the settings; nothing is saved when any is out of bounds. Recorded
/// PCL-5 questionnaires are judged against the cut-point in force whenever they are read.
pub fn set(w: &mut Writer<'_>, s: CourseSettings) -> Result<CourseSettings> {
    s.check()?;
    let n = w.conn().execute(
        "UPDATE practice SET pcl5_cut_point = ?1, measures_before_days = ?2, pcl5_every_kap = ?3,
            bp_hold_systolic = ?4, bp_hold_diastolic = ?5 WHERE id = 1",
        params![
            s.pcl5_cut_point,
            s.measures_before_days,
            s.pcl5_every_kap,
            s.hold_systolic,
            s.hold_diastolic
        ],
    )?;
    if n == 0 {
        return Err(Error::NotFound("practice"));
    }
    w.audit(Action::Update, EntityKind::Practice, 1)?;
    Ok(s)
}
