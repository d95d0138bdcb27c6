use super::*;
use Purpose::*;
use RecipientKind as To;

fn d(s: &str) -> NaiveDate {
    s.parse().expect("a date")
}

/// The boundaries of the module's notes: signed from its day, expired from the day
/// after the expiry date, revoked from the day the revocation was received.
#[test]
fn status_over_boundary_dates() {
    let signed = Some(d("2026-03-10"));
    let expires = Some(d("2026-06-30"));
    let revoked = Some(d("2026-05-01"));
    let none = None;
    let table = [
        // (signed_on, expires_on, revoked_on, on, status, why)
        (
            none,
            expires,
            none,
            "2026-03-10",
            Status::Draft,
            "never signed",
        ),
        (
            none,
            expires,
            none,
            "2027-01-01",
            Status::Draft,
            "unsigned, even past expiry",
        ),
        (
            signed,
            expires,
            none,
            "2026-03-09",
            Status::Draft,
            "the day before it was signed",
        ),
        (
            signed,
            expires,
            none,
            "2026-03-10",
            Status::Active,
            "the day it was signed",
        ),
        (
            signed,
            expires,
            none,
            "2026-06-29",
            Status::Active,
            "the day before the expiry date",
        ),
        (
            signed,
            expires,
            none,
            "2026-06-30",
            Status::Active,
            "valid through its expiry date",
        ),
        (
            signed,
            expires,
            none,
            "2026-07-01",
            Status::Expired,
            "the day after the expiry date",
        ),
        (
            signed,
            none,
            none,
            "2099-12-31",
            Status::Active,
            "an event only: by date, never expires",
        ),
        (
            signed,
            expires,
            revoked,
            "2026-04-30",
            Status::Active,
            "the day before the revocation",
        ),
        (
            signed,
            expires,
            revoked,
            "2026-05-01",
            Status::Revoked,
            "revoked from its day",
        ),
        (
            signed,
            expires,
            revoked,
            "2026-07-01",
            Status::Revoked,
            "revocation wins over expiry",
        ),
        (
            signed,
            none,
            signed,
            "2026-03-10",
            Status::Revoked,
            "signed and revoked the same day",
        ),
        (
            signed,
            signed,
            none,
            "2026-03-10",
            Status::Active,
            "signed on its last day",
        ),
        (
            signed,
            signed,
            none,
            "2026-03-11",
            Status::Expired,
            "and expired the next",
        ),
    ];
    for (s, e, r, on, want, why) in table {
        assert_eq!(status(s, e, r, d(on)), want, "{why}");
    }
}

/// 45 CFR 164.508(a)(1): a third party needs the client's authorization unless the rule
/// permits the disclosure without one (164.506, 164.510, 164.512, 164.524).
#[test]
fn which_disclosures_need_an_authorization() {
    let table = [
        // To the client or their representative: never.
        (To::Client, Authorized, false),
        (To::Client, Other, false),
        (To::Client, ClientRequest, false),
        (To::Representative, Other, false),
        (To::Representative, Authorized, false),
        // Third parties, for a purpose only an authorization allows.
        (To::Other, Authorized, true),
        (To::Other, Other, true),
        (To::Insurer, Authorized, true),
        (To::Insurer, Other, true),
        (To::Prescriber, Authorized, true),
        (To::Prescriber, Other, true),
        // Third parties, for a purpose the rule permits without one.
        (To::Prescriber, Treatment, false),
        (To::Insurer, Payment, false),
        (To::Other, Operations, false),
        (To::Other, ClientRequest, false),
        (To::Other, InvolvedInCare, false),
        (To::Other, RequiredByLaw, false),
        (To::Other, PublicHealth, false),
        (To::Other, HealthOversight, false),
        (To::Other, Judicial, false),
        (To::Other, LawEnforcement, false),
        (To::Other, SeriousThreat, false),
        (To::Insurer, Judicial, false),
    ];
    for (to, purpose, want) in table {
        assert_eq!(needs_authorization(to, purpose), want, "{to:?} {purpose:?}");
    }
}

fn form() -> AuthorizationForm {
    AuthorizationForm {
        discloser: "Practice".into(),
        recipient: "Recipient".into(),
        information: "Notes".into(),
        purpose: "At the request of the client".into(),
        expires_on: Some(d("2027-01-01")),
        expiry_event: None,
        process_notes: false,
    }
}

fn fields(r: Result<AuthorizationForm>) -> Vec<String> {
    match r {
        Err(Error::Invalid(f)) => f.0.into_iter().map(|f| f.field).collect(),
        other => panic!("expected field errors, got {other:?}"),
    }
}

#[test]
fn a_form_needs_every_element_and_an_end() {
    let today = d("2026-11-26");
    let ok = form().validated(today).expect("valid");
    assert_eq!(ok.purpose, "At the request of the client");

    let blank = AuthorizationForm {
        discloser: " ".into(),
        recipient: "".into(),
        information: "\n".into(),
        purpose: "  ".into(),
        expires_on: None,
        expiry_event: Some("   ".into()),
        process_notes: true,
    };
    assert_eq!(
        fields(blank.validated(today)),
        [
            "discloser",
            "recipient",
            "information",
            "purpose",
            "expires_on"
        ],
        "every element of 164.508(c)(1) is required, and a blank event is no event"
    );

    let event_only = AuthorizationForm {
        expires_on: None,
        expiry_event: Some("  When the appeal is decided ".into()),
        ..form()
    };
    let f = event_only.validated(today).expect("an event alone will do");
    assert_eq!(
        f.expiry_event.as_deref(),
        Some("When the appeal is decided")
    );

    let past = AuthorizationForm {
        expires_on: Some(d("2026-11-25")),
        ..form()
    };
    assert_eq!(fields(past.validated(today)), ["expires_on"]);
    let today_ok = AuthorizationForm {
        expires_on: Some(today),
        ..form()
    };
    assert!(
        today_ok.validated(today).is_ok(),
        "expiring today is allowed"
    );

    let long = AuthorizationForm {
        information: "x".repeat(MAX_DESCRIPTION + 1),
        recipient: "a\u{0}b".into(),
        ..form()
    };
    assert_eq!(fields(long.validated(today)), ["recipient", "information"]);
}
