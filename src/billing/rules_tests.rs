//! Table tests of the pure billing rules over their boundaries: prices under each fee
//! arrangement, the amount a charge may be set to, what a superbill includes and how
//! payments spread over its lines, invoice status and exact sums.

use super::*;
use crate::clients::AgreedFee;
use crate::money::MAX_CENTS;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a real date")
}

fn fees(kind: FeeKind, agreed: &[(Service, i64)]) -> FeeArrangement {
    FeeArrangement {
        kind,
        agreed: agreed
            .iter()
            .map(|&(service, cents)| AgreedFee {
                service,
                cents: Cents(cents),
            })
            .collect(),
        note: None,
    }
}

#[test]
fn price_under_each_fee_arrangement() {
    use FeeKind::*;
    use Service as S;
    let c = |n| Some(Cents(n));
    let kap = S::KapSession;
    // (usual fee, arrangement, service, (usual, amount) charged, why)
    let cases = [
        (
            c(45_000),
            fees(Standard, &[]),
            kap,
            (c(45_000), c(45_000)),
            "standard: the usual fee",
        ),
        (
            None,
            fees(Standard, &[]),
            kap,
            (None, None),
            "standard without a fee set: still to price",
        ),
        (
            c(45_000),
            fees(SlidingScale, &[(kap, 30_000)]),
            kap,
            (c(45_000), c(30_000)),
            "sliding scale below the cap: the agreed fee",
        ),
        (
            c(45_000),
            fees(SlidingScale, &[(kap, 45_000)]),
            kap,
            (c(45_000), c(45_000)),
            "sliding scale at the cap: the agreed fee, which is the usual one",
        ),
        (
            c(45_000),
            fees(SlidingScale, &[(kap, 45_001)]),
            kap,
            (c(45_000), c(45_000)),
            "sliding scale one cent above the cap: capped at the usual fee",
        ),
        (
            c(45_000),
            fees(SlidingScale, &[(kap, 0)]),
            kap,
            (c(45_000), c(0)),
            "sliding scale agreed at zero: free, with the usual fee kept",
        ),
        (
            None,
            fees(SlidingScale, &[(kap, 30_000)]),
            kap,
            (None, c(30_000)),
            "sliding scale without a usual fee: nothing to cap against",
        ),
        (
            c(20_000),
            fees(SlidingScale, &[(kap, 30_000)]),
            S::IntegrationSession,
            (c(20_000), c(20_000)),
            "sliding scale, no fee agreed for this service: the usual fee",
        ),
        (
            c(45_000),
            fees(PayWhatYouCan, &[]),
            kap,
            (c(45_000), None),
            "pay what you can: the amount is agreed visit by visit",
        ),
        (
            c(45_000),
            fees(PayWhatYouCan, &[(kap, 10_000)]),
            kap,
            (c(45_000), None),
            "pay what you can ignores a stale agreed fee",
        ),
    ];
    for (usual, arrangement, service, want, why) in cases {
        assert_eq!(charge_price(usual, &arrangement, service), want, "{why}");
    }
}

/// (amount, usual kept, usual sent, usual stored or the fields refused, why)
type AmountCase = (
    i64,
    Option<Cents>,
    Option<Cents>,
    std::result::Result<i64, &'static [&'static str]>,
    &'static str,
);

#[test]
fn amount_set_on_a_charge() {
    let c = |n| Some(Cents(n));
    let cases: [AmountCase; 11] = [
        (0, c(45_000), None, Ok(45_000), "pay what you can: zero"),
        (
            45_000,
            c(45_000),
            None,
            Ok(45_000),
            "pay what you can: the usual fee, the most",
        ),
        (
            45_001,
            c(45_000),
            None,
            Err(&["amount"]),
            "one cent above the usual fee",
        ),
        (-1, c(45_000), None, Err(&["amount"]), "a negative amount"),
        (
            MAX_CENTS,
            None,
            c(MAX_CENTS),
            Ok(MAX_CENTS),
            "the largest amount, usual sent",
        ),
        (
            MAX_CENTS + 1,
            None,
            c(MAX_CENTS + 1),
            Err(&["usual", "amount", "usual"]),
            "beyond the largest amount",
        ),
        (10_000, None, None, Err(&["usual"]), "no usual fee anywhere"),
        (
            10_000,
            None,
            c(20_000),
            Ok(20_000),
            "the usual fee sent is kept",
        ),
        (
            10_000,
            c(20_000),
            c(5_000),
            Ok(20_000),
            "the charge's own usual fee wins",
        ),
        (
            10_000,
            c(20_000),
            c(-5),
            Err(&["usual"]),
            "a bad usual fee sent is refused anyway",
        ),
        (0, c(0), None, Ok(0), "a free service: zero of zero"),
    ];
    for (amount, kept, sent, want, why) in cases {
        let got = check_charge_amount(Cents(amount), kept, sent);
        match (got, want) {
            (Ok(u), Ok(w)) => assert_eq!(u, Cents(w), "{why}"),
            (Err(Error::Invalid(e)), Err(fields)) => assert_eq!(
                e.0.iter().map(|f| f.field.as_str()).collect::<Vec<_>>(),
                fields,
                "{why}"
            ),
            (got, want) => panic!("{why}: got {got:?}, want {want:?}"),
        }
    }
}

#[test]
fn each_service_in_and_out_of_the_superbill() {
    use Service as S;
    // (service, can be on a superbill, why)
    let cases = [
        (S::MentalHealthIntake, true, "the therapist's intake"),
        (S::MedicalIntake, false, "the prescriber's intake"),
        (S::Prescription, false, "the prescriber's prescription"),
        (S::KapSession, true, "a KAP session"),
        (S::GroupSession, true, "a group KAP session"),
        (S::IntegrationSession, true, "an integration session"),
        (S::Psychotherapy, true, "psychotherapy"),
    ];
    assert_eq!(cases.len(), S::ALL.len(), "every service has a case");
    let (from, to) = (day(2026, 3, 1), day(2026, 3, 31));
    for (service, on, why) in cases {
        assert_eq!(on_superbills(service), on, "{why}");
        let want = if on {
            Ok("90837")
        } else {
            Err(NotOnSuperbill::PrescribersService)
        };
        assert_eq!(
            superbill_includes(service, Some("90837"), day(2026, 3, 15), (from, to), false),
            want,
            "{why}, coded and in the dates"
        );
    }
    assert_eq!(
        superbill_services(),
        [
            S::MentalHealthIntake,
            S::KapSession,
            S::GroupSession,
            S::IntegrationSession,
            S::Psychotherapy
        ],
        "the services Settings offers a CPT code for, in the fee schedule's order"
    );
}

#[test]
fn why_a_line_is_left_off_a_superbill() {
    use NotOnSuperbill::*;
    let kap = Service::KapSession;
    let range = (day(2026, 3, 1), day(2026, 3, 31));
    // (service, cpt, date, invoice void, included or why not, why)
    let cases = [
        (
            kap,
            Some("90837"),
            day(2026, 3, 1),
            false,
            Ok("90837"),
            "on the first day",
        ),
        (
            kap,
            Some("90837"),
            day(2026, 3, 31),
            false,
            Ok("90837"),
            "on the last day",
        ),
        (
            kap,
            Some("90837"),
            day(2026, 2, 28),
            false,
            Err(OutsideDates),
            "the day before",
        ),
        (
            kap,
            Some("90837"),
            day(2026, 4, 1),
            false,
            Err(OutsideDates),
            "the day after",
        ),
        (
            kap,
            None,
            day(2026, 3, 15),
            false,
            Err(NoCptCode),
            "no CPT code set",
        ),
        (
            kap,
            Some("90837"),
            day(2026, 3, 15),
            true,
            Err(VoidInvoice),
            "a void invoice",
        ),
        (
            Service::Prescription,
            None,
            day(2026, 3, 15),
            false,
            Err(NoCptCode),
            "a prescription never has a code",
        ),
    ];
    for (service, cpt, date, void, want, why) in cases {
        assert_eq!(
            superbill_includes(service, cpt, date, range, void),
            want,
            "{why}"
        );
    }
}

#[test]
fn payments_fill_superbill_lines_in_order() {
    let c = Cents;
    // (paid on the invoice, charged per line, paid per line, why)
    let cases: [(i64, &[i64], &[i64], &str); 6] = [
        (0, &[100, 200], &[0, 0], "nothing paid"),
        (300, &[100, 200], &[100, 200], "paid in full"),
        (150, &[100, 200], &[100, 50], "the first line first"),
        (100, &[100, 200], &[100, 0], "exactly the first line"),
        (50, &[0, 200], &[0, 50], "a free line takes nothing"),
        (0, &[], &[], "no lines"),
    ];
    for (paid, charged, want, why) in cases {
        let charged: Vec<Cents> = charged.iter().map(|&n| c(n)).collect();
        let want: Vec<Cents> = want.iter().map(|&n| c(n)).collect();
        assert_eq!(paid_per_line(c(paid), &charged), want, "{why}");
    }
}

#[test]
fn superbill_place_and_modifiers() {
    // (place recorded on the charge, printed place, modifiers, why)
    let cases = [
        (None, "11", "", "none recorded: the office"),
        (Some("11"), "11", "", "the office"),
        (Some("10"), "10", "95", "telehealth at home"),
        (Some("02"), "02", "95", "telehealth not at home"),
    ];
    for (recorded, place, modifiers, why) in cases {
        assert_eq!(superbill_place_of_service(recorded), place, "{why}");
        assert_eq!(superbill_modifiers(recorded), modifiers, "{why}");
    }
    assert_eq!(place_of_service(Location::Telehealth), "10");
    assert_eq!(place_of_service(Location::KapRoom), "11");
    assert_eq!(place_of_service(Location::Other), "11");
}

#[test]
fn invoice_status_at_the_boundaries() {
    use InvoiceStatus::*;
    let c = Cents;
    // (voided, total, paid, status, why)
    let cases = [
        (false, c(45_000), c(45_000), Paid, "paid = total"),
        (
            false,
            c(45_000),
            c(45_001),
            Paid,
            "paid > total asks for nothing more",
        ),
        (false, c(0), c(0), Paid, "a zero total is paid as issued"),
        (true, c(0), c(0), Void, "a void zero invoice is void"),
        (true, c(45_000), c(45_001), Void, "void wins over overpaid"),
        (
            false,
            c(MAX_CENTS),
            c(MAX_CENTS - 1),
            PartlyPaid,
            "one cent left of the most",
        ),
    ];
    for (voided, total, paid, want, why) in cases {
        assert_eq!(invoice_status(voided, total, paid), want, "{why}");
    }
}

#[test]
fn sums_are_exact_or_an_error() {
    let c = Cents;
    assert_eq!(sum([]).ok(), Some(c(0)), "an empty sum is zero");
    assert_eq!(
        sum([c(MAX_CENTS), c(MAX_CENTS)]).ok(),
        Some(c(2 * MAX_CENTS))
    );
    assert_eq!(sum([c(i64::MAX), c(-1)]).ok(), Some(c(i64::MAX - 1)));
    assert!(
        matches!(sum([c(i64::MAX), c(1)]), Err(Error::Internal(_))),
        "an overflow is an error, never a wrap"
    );
    assert!(
        matches!(sum([c(i64::MIN), c(-1)]), Err(Error::Internal(_))),
        "so is an underflow"
    );
    assert_eq!(invoice_number(2026, 42), "2026-0042");
    assert_eq!(invoice_number(2026, 12_345), "2026-12345");
}
