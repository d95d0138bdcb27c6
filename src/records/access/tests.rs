use super::*;
use AccessKind::*;

fn d(s: &str) -> NaiveDate {
    s.parse().expect("a date")
}

/// Due dates over their boundaries. 2026-03-08 is the Sunday the clocks go forward in New
/// York and 2026-11-01 the Sunday they go back: dates are calendar days, so neither moves
/// a deadline.
#[test]
fn due_dates() {
    let table = [
        // (kind, received, extended, due, why)
        (
            Inspect,
            "2026-06-01",
            false,
            "2026-06-11",
            "a Monday + 10 is a Thursday",
        ),
        (
            Inspect,
            "2026-06-03",
            false,
            "2026-06-15",
            "+10 is Saturday 13th: Monday",
        ),
        (
            Inspect,
            "2026-06-04",
            false,
            "2026-06-15",
            "+10 is Sunday 14th: Monday",
        ),
        (
            Inspect,
            "2026-06-05",
            false,
            "2026-06-15",
            "+10 is a Monday",
        ),
        (
            Inspect,
            "2026-02-26",
            false,
            "2026-03-09",
            "+10 is Sunday 8 March (DST starts): Monday",
        ),
        (
            Inspect,
            "2026-10-22",
            false,
            "2026-11-02",
            "+10 is Sunday 1 November (DST ends): Monday",
        ),
        (
            Inspect,
            "2026-12-22",
            false,
            "2027-01-01",
            "across the year; a holiday is not moved",
        ),
        (Inspect, "2028-02-19", false, "2028-02-29", "a leap day"),
        (Copy, "2026-06-01", false, "2026-07-01", "30 calendar days"),
        (
            Copy,
            "2026-06-06",
            false,
            "2026-07-06",
            "received on a Saturday",
        ),
        (
            Copy,
            "2026-06-14",
            false,
            "2026-07-14",
            "received on a Sunday",
        ),
        (Copy, "2026-06-13", false, "2026-07-13", "due on a Monday"),
        (
            Copy,
            "2026-06-08",
            false,
            "2026-07-08",
            "a federal deadline on a Wednesday",
        ),
        (
            Copy,
            "2026-06-04",
            false,
            "2026-07-04",
            "a Saturday stays (HIPAA counts calendar days)",
        ),
        (
            Copy,
            "2026-02-06",
            false,
            "2026-03-08",
            "due on the DST Sunday",
        ),
        (
            Copy,
            "2026-02-06",
            true,
            "2026-04-07",
            "extended once by 30 days",
        ),
        (
            Summary,
            "2026-10-02",
            false,
            "2026-11-01",
            "due the Sunday DST ends",
        ),
        (Summary, "2026-10-02", true, "2026-12-01", "extended"),
        (
            Copy,
            "2027-12-31",
            true,
            "2028-02-29",
            "extended into a leap day",
        ),
    ];
    for (kind, received, extended, due, why) in table {
        assert_eq!(due_on(kind, d(received), extended), d(due), "{why}");
    }
}

#[test]
fn extensions() {
    let r = d("2026-06-01"); // copy due 2026-07-01
    let table: [(AccessKind, bool, &str, bool, &str); 7] = [
        (Copy, false, "2026-06-01", true, "the day it came"),
        (Copy, false, "2026-07-01", true, "the last day of the 30"),
        (Copy, false, "2026-07-02", false, "a day late"),
        (Copy, false, "2026-05-31", false, "before it came"),
        (Copy, true, "2026-06-10", false, "a second extension"),
        (
            Summary,
            false,
            "2026-06-15",
            true,
            "a summary may be extended",
        ),
        (
            Inspect,
            false,
            "2026-06-02",
            false,
            "New York gives no extension to inspect",
        ),
    ];
    for (kind, already, on, allowed, why) in table {
        assert_eq!(
            extension_refusal(kind, r, already, d(on)).is_none(),
            allowed,
            "{why}"
        );
    }
}

#[test]
fn urgency_over_its_boundaries() {
    let today = d("2026-06-10");
    let table = [
        (AccessStatus::Open, "2026-06-09", Urgency::Overdue),
        (AccessStatus::Open, "2026-06-10", Urgency::DueSoon),
        (AccessStatus::Open, "2026-06-17", Urgency::DueSoon),
        (AccessStatus::Open, "2026-06-18", Urgency::Later),
        (AccessStatus::Fulfilled, "2026-06-01", Urgency::Closed),
        (AccessStatus::Denied, "2026-06-01", Urgency::Closed),
        (AccessStatus::Withdrawn, "2026-06-01", Urgency::Closed),
    ];
    for (status, due, want) in table {
        assert_eq!(urgency(status, d(due), today), want, "{status:?} due {due}");
    }
}

#[test]
fn fees_are_capped_at_75_cents_a_page_and_need_pages() {
    let table = [
        (None, None, true),
        (Some(10), Some(750), true),
        (Some(10), Some(751), false),
        (Some(0), Some(0), true),
        (None, Some(0), true),
        (None, Some(100), false),
        (Some(4), Some(-1), false),
        (Some(100_001), None, false),
    ];
    for (pages, fee, ok) in table {
        let mut e = FieldErrors::new();
        check_fee(&mut e, pages, fee);
        assert_eq!(e.is_empty(), ok, "{pages:?} pages, {fee:?} cents");
    }
}

#[test]
fn only_harm_grounds_are_reviewable() {
    use DenialGround::*;
    for g in [Endangerment, ReferencesAnotherPerson, RepresentativeHarm] {
        assert!(g.reviewable(), "{g:?}");
    }
    for g in [PsychotherapyNotes, LegalProceeding, ConfidentialSource] {
        assert!(!g.reviewable(), "{g:?}");
    }
}
