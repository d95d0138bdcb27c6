//! What the benchmarks on the demo practice share (`#[path]`-included by each).

use chrono::NaiveDate;
use kap_practice::demo::{self, DemoCounts, DemoOptions, DemoSize};
use kap_practice::practice::{self, NewPractice};
use kap_practice::store::Writer;

/// The day every demo practice of the benchmarks is made on (their "now" is that
/// afternoon), so that their figures do not move with the date they run.
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap_or_default()
}

/// Makes a new practice the demo practice at `size`, as of [`today`].
pub fn fill_demo(w: &mut Writer<'_>, size: DemoSize) -> kap_practice::Result<DemoCounts> {
    practice::init(
        w,
        &NewPractice {
            practice_name: "Bench".into(),
            therapist_name: "Bench".into(),
            ..Default::default()
        },
    )?;
    demo::fill(w, &DemoOptions::new(size, today()))
}
