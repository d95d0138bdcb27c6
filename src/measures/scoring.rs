//! Scoring the outcome measures: pure functions over answers, table-tested in `tests.rs`
//! at every band boundary.
//!
//! - PHQ-9: 9 items 0–3, total 0–27; minimal 0–4, mild 5–9, moderate 10–14, moderately
//!   severe 15–19, severe 20–27. Any answer above 0 on item 9 raises the safety flag,
//!   whatever the total. The difficulty question is recorded, not scored.
//! - GAD-7: 7 items 0–3, total 0–21; minimal 0–4, mild 5–9, moderate 10–14, severe 15–21.
//! - PCL-5: 20 items 0–4, total 0–80; probable PTSD at or above the practice's cut-point
//!   (33 unless set otherwise, within the published 31–33), and the DSM-5 cluster rule:
//!   an item rated 2 or more counts as a symptom; at least 1 of items 1–5 (B), 1 of 6–7
//!   (C), 2 of 8–14 (D) and 2 of 15–20 (E).
//!
//! A questionnaire with any item unanswered is incomplete: it has no total and no band
//! (the PHQ-9 flag is still raised by an answered item 9).

use super::Instrument;
use crate::str_enum::str_enum;
use serde::{Deserialize, Serialize};

/// The PCL-5 cut-point unless the practice sets another.
pub const DEFAULT_PCL5_CUT_POINT: u32 = 33;
/// The published range of the PCL-5 cut-point (Bovin et al. 2016; National Center for PTSD).
pub const PCL5_CUT_POINT_RANGE: std::ops::RangeInclusive<u32> = 31..=33;

/// A total's severity band.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub enum Band {
    Minimal,
    Mild,
    Moderate,
    ModeratelySevere,
    Severe,
    /// PCL-5 below the cut-point.
    BelowCutPoint,
    /// PCL-5 at or above the cut-point.
    ProbablePtsd,
}
str_enum!(Band {
    Minimal = "minimal",
    Mild = "mild",
    Moderate = "moderate",
    ModeratelySevere = "moderately_severe",
    Severe = "severe",
    BelowCutPoint = "below_cut_point",
    ProbablePtsd = "probable_ptsd",
});

impl Band {
    pub fn label(self) -> &'static str {
        match self {
            Band::Minimal => "Minimal",
            Band::Mild => "Mild",
            Band::Moderate => "Moderate",
            Band::ModeratelySevere => "Moderately severe",
            Band::Severe => "Severe",
            Band::BelowCutPoint => "Below cut-point",
            Band::ProbablePtsd => "Probable PTSD",
        }
    }
}

/// The bands of an instrument with the lowest total of each, lowest first (what the
/// course view's charts shade). PCL-5's depend on the cut-point.
pub fn bands(instrument: Instrument, pcl5_cut_point: u32) -> Vec<(Band, u32)> {
    match instrument {
        Instrument::Phq9 => vec![
            (Band::Minimal, 0),
            (Band::Mild, 5),
            (Band::Moderate, 10),
            (Band::ModeratelySevere, 15),
            (Band::Severe, 20),
        ],
        Instrument::Gad7 => vec![
            (Band::Minimal, 0),
            (Band::Mild, 5),
            (Band::Moderate, 10),
            (Band::Severe, 15),
        ],
        Instrument::Pcl5 => vec![
            (Band::BelowCutPoint, 0),
            (Band::ProbablePtsd, pcl5_cut_point),
        ],
    }
}

/// The band a complete total falls in.
pub fn band(instrument: Instrument, total: u32, pcl5_cut_point: u32) -> Band {
    bands(instrument, pcl5_cut_point)
        .into_iter()
        .rev()
        .find(|&(_, from)| total >= from)
        .map(|(b, _)| b)
        .unwrap_or(Band::Minimal)
}

/// What a set of answers scores.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct Score {
    /// How many items were answered.
    pub answered: u32,
    pub complete: bool,
    /// The sum of the answers; only for a complete questionnaire.
    pub total: Option<u32>,
    pub band: Option<Band>,
    /// PHQ-9: item 9 answered above 0.
    pub safety_flag: bool,
    /// PCL-5: whether the DSM-5 cluster rule is met (complete questionnaires only).
    pub pcl5_clusters_met: Option<bool>,
}

/// Scores answers (one per item, `None` for unanswered). Answers must already be in range.
pub fn score(instrument: Instrument, answers: &[Option<u8>], pcl5_cut_point: u32) -> Score {
    let answered = answers.iter().filter(|a| a.is_some()).count() as u32;
    let complete = answers.len() == instrument.item_count() && answered as usize == answers.len();
    let total = complete.then(|| answers.iter().map(|a| u32::from(a.unwrap_or(0))).sum());
    Score {
        answered,
        complete,
        total,
        band: total.map(|t| band(instrument, t, pcl5_cut_point)),
        safety_flag: safety_flag(instrument, answers),
        pcl5_clusters_met: (instrument == Instrument::Pcl5 && complete)
            .then(|| pcl5_clusters_met(answers)),
    }
}

/// PHQ-9 item 9 ("thoughts that you would be better off dead or of hurting yourself")
/// answered above 0.
pub fn safety_flag(instrument: Instrument, answers: &[Option<u8>]) -> bool {
    instrument == Instrument::Phq9 && matches!(answers.get(8), Some(Some(a)) if *a > 0)
}

/// The DSM-5 cluster rule over the PCL-5's 20 answers: an item rated 2 ("Moderately") or
/// more is a symptom; B needs 1 of items 1–5, C 1 of 6–7, D 2 of 8–14, E 2 of 15–20.
pub fn pcl5_clusters_met(answers: &[Option<u8>]) -> bool {
    let symptoms = |from: usize, to: usize| {
        answers
            .iter()
            .skip(from - 1)
            .take(to - from + 1)
            .filter(|a| matches!(a, Some(v) if *v >= 2))
            .count()
    };
    answers.len() == 20
        && symptoms(1, 5) >= 1
        && symptoms(6, 7) >= 1
        && symptoms(8, 14) >= 2
        && symptoms(15, 20) >= 2
}

/// How a later total compares with the baseline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct Change {
    pub baseline: u32,
    pub current: u32,
    /// Current minus baseline: negative is improvement.
    pub delta: i32,
    /// A drop of at least half the baseline (never from a baseline of 0).
    pub response: bool,
    /// PHQ-9 and GAD-7: the current total is below 5. None for PCL-5.
    pub remission: Option<bool>,
    /// PCL-5: a change of 10 points or more either way. None for the others.
    pub clinically_meaningful: Option<bool>,
}

pub fn change(instrument: Instrument, baseline: u32, current: u32) -> Change {
    let delta = current as i32 - baseline as i32;
    Change {
        baseline,
        current,
        delta,
        response: baseline > 0 && current * 2 <= baseline,
        remission: match instrument {
            Instrument::Phq9 | Instrument::Gad7 => Some(current < 5),
            Instrument::Pcl5 => None,
        },
        clinically_meaningful: (instrument == Instrument::Pcl5).then_some(delta.abs() >= 10),
    }
}
