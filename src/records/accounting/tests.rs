use super::*;
use Purpose::*;
use RecipientKind as To;

/// 45 CFR 164.528(a)(1): what an accounting lists and what it leaves out.
#[test]
fn what_an_accounting_lists() {
    let table = [
        // Exempt: to the client or their representative, whatever the purpose.
        (To::Client, ClientRequest, false, false),
        (To::Client, Other, false, false),
        (To::Representative, ClientRequest, false, false),
        // Exempt: treatment, payment and operations.
        (To::Prescriber, Treatment, false, false),
        (To::Insurer, Payment, false, false),
        (To::Other, Operations, false, false),
        // Exempt: under the client's authorization, or to people involved in their care.
        (To::Other, Authorized, false, false),
        (To::Other, Judicial, true, false),
        (To::Other, InvolvedInCare, false, false),
        // Listed: everything else to someone other than the client.
        (To::Other, RequiredByLaw, false, true),
        (To::Other, PublicHealth, false, true),
        (To::Other, HealthOversight, false, true),
        (To::Other, Judicial, false, true),
        (To::Other, LawEnforcement, false, true),
        (To::Other, SeriousThreat, false, true),
        (To::Other, Other, false, true),
        (To::Prescriber, Other, false, true),
        (To::Insurer, Judicial, false, true),
    ];
    for (to, purpose, authorized, listed) in table {
        assert_eq!(
            accountable(to, purpose, authorized),
            listed,
            "{to:?} {purpose:?} authorized={authorized}"
        );
    }
}

#[test]
fn six_years_back() {
    let d = |s: &str| s.parse::<NaiveDate>().expect("a date");
    assert_eq!(covers_from(d("2026-12-01")), d("2020-12-01"));
    assert_eq!(covers_from(d("2028-02-29")), d("2022-02-28"));
    assert_eq!(covers_from(d("2026-03-08")), d("2020-03-08"));
}
