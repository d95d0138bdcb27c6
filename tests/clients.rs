//! Clients through the real store: create, edit, archive, search, and hostile input.

#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

mod common;

use common::*;
use kap_practice::clients::{
    self, AgreedFee, ClientInput, ClientQuery, ClientStatus, FeeArrangement, FeeKind,
    PresentingConcern,
};
use kap_practice::practice::Service;
use kap_practice::store::Store;
use kap_practice::{Cents, Error};

fn add(store: &Store, name: &str) -> i64 {
    store
        .write(|w| clients::create(w, ClientInput::named(name), today()))
        .unwrap()
}

fn search(store: &Store, text: &str) -> Vec<String> {
    store
        .read(|c| {
            clients::list(
                c,
                &ClientQuery {
                    text: Some(text.into()),
                    ..Default::default()
                },
                today(),
            )
        })
        .unwrap()
        .items
        .into_iter()
        .map(|s| s.legal_name)
        .collect()
}

#[test]
fn full_record_round_trips() {
    let (_d, _f, _k, opened) = practice();
    let store = &opened.store;
    let mut input = ClientInput::named("Renée O'Connor");
    input.preferred_name = Some("Ren".into());
    input.pronouns = Some("she/her".into());
    input.date_of_birth = chrono::NaiveDate::from_ymd_opt(1988, 3, 14);
    input.phone = Some("(212) 555-0143".into());
    input.email = Some("ren@example.com".into());
    input.address = Some("12 E 14th St\nApt 5\nNew York, NY 10003".into());
    input.emergency_contact.name = Some("Paul O'Connor".into());
    input.emergency_contact.relation = Some("brother".into());
    input.emergency_contact.phone = Some("+1 917 555 0100".into());
    input.referral_source = Some("Dr. Patel".into());
    input.presenting_concerns = vec![
        PresentingConcern::Ptsd,
        PresentingConcern::TreatmentResistantDepression,
    ];
    input.status = ClientStatus::Intake;
    input.fee_arrangement = FeeArrangement {
        kind: FeeKind::SlidingScale,
        agreed: vec![AgreedFee {
            service: Service::KapSession,
            cents: Cents(35_000),
        }],
        note: Some("agreed at intake".into()),
    };
    input.notes = "Prefers afternoon sessions.".into();
    let id = store
        .write(|w| clients::create(w, input.clone(), today()))
        .unwrap();
    let got = store
        .write(|w| clients::open_record(w, id, today()))
        .unwrap();
    let mut want = input.validated(today()).unwrap();
    want.presenting_concerns.sort();
    assert_eq!(got.details, want);
    assert_eq!(got.age, Some(38));
}

#[test]
fn invalid_input_stores_nothing() {
    let (_d, _f, _k, opened) = practice();
    let store = &opened.store;
    let id = add(store, "Ana Lima");
    let before = store.read(|c| clients::get(c, id, today())).unwrap();
    let audit_before = store.verify_audit().unwrap().rows;
    let mut bad = ClientInput::named("Ana Lima");
    bad.email = Some("nope".into());
    let err = store
        .write(|w| clients::update(w, id, bad, today()))
        .unwrap_err();
    let Error::Invalid(fields) = err else {
        panic!("expected field errors")
    };
    assert!(fields.has("email"));
    assert_eq!(
        store.read(|c| clients::get(c, id, today())).unwrap(),
        before
    );
    assert_eq!(store.verify_audit().unwrap().rows, audit_before);
    let err = store
        .write(|w| clients::create(w, ClientInput::named("  "), today()))
        .unwrap_err();
    assert!(matches!(err, Error::Invalid(f) if f.has("legal_name")));
    assert_eq!(
        store
            .read(|c| clients::list(c, &ClientQuery::default(), today()))
            .unwrap()
            .total,
        1
    );
}

#[test]
fn archive_and_unarchive_never_delete() {
    let (_d, _f, _k, opened) = practice();
    let store = &opened.store;
    let id = add(store, "Tomas Berg");
    let mut active = ClientInput::named("Tomas Berg");
    active.status = ClientStatus::Active;
    store
        .write(|w| clients::update(w, id, active, today()))
        .unwrap();
    store.write(|w| clients::archive(w, id)).unwrap();
    assert_eq!(
        search(store, "tomas"),
        Vec::<String>::new(),
        "archived clients leave the default list"
    );
    let archived = store
        .read(|c| {
            clients::list(
                c,
                &ClientQuery {
                    status: Some(ClientStatus::Archived),
                    ..Default::default()
                },
                today(),
            )
        })
        .unwrap();
    assert_eq!(archived.total, 1, "but are kept and listed under Archived");
    let err = store
        .write(|w| clients::update(w, id, ClientInput::named("X"), today()))
        .unwrap_err();
    assert!(
        matches!(err, Error::Conflict(_)),
        "an archived record is not edited"
    );
    assert!(matches!(
        store.write(|w| clients::archive(w, id)),
        Err(Error::Conflict(_))
    ));
    store.write(|w| clients::unarchive(w, id)).unwrap();
    let c = store.read(|c| clients::get(c, id, today())).unwrap();
    assert_eq!(
        c.details.status,
        ClientStatus::Active,
        "unarchive restores the earlier status"
    );
    assert!(matches!(
        store.write(|w| clients::archive(w, 9999)),
        Err(Error::NotFound("client"))
    ));
}

#[test]
fn search_is_case_and_accent_insensitive_on_name_prefixes() {
    let (_d, _f, _k, opened) = practice();
    let store = &opened.store;
    for n in [
        "José Álvarez",
        "Joseph Smith",
        "Zoë Müller",
        "Anne-Marie Lefèvre",
        "Björk Guðmundsdóttir",
    ] {
        add(store, n);
    }
    let mut preferred = ClientInput::named("Robert Kim");
    preferred.preferred_name = Some("Bobby".into());
    store
        .write(|w| clients::create(w, preferred, today()))
        .unwrap();

    let cases: &[(&str, &[&str])] = &[
        ("jose", &["José Álvarez", "Joseph Smith"]),
        ("JOSÉ", &["José Álvarez", "Joseph Smith"]),
        ("alv", &["José Álvarez"]),
        ("ALVAREZ", &["José Álvarez"]),
        ("zoe mu", &["Zoë Müller"]),
        ("muller", &["Zoë Müller"]),
        ("lefevre", &["Anne-Marie Lefèvre"]),
        ("marie", &["Anne-Marie Lefèvre"]),
        ("bjork", &["Björk Guðmundsdóttir"]),
        ("bob", &["Robert Kim"]),
        ("smith jo", &["Joseph Smith"]),
        ("x", &[]),
        (
            "\"",
            &[
                "Anne-Marie Lefèvre",
                "Björk Guðmundsdóttir",
                "José Álvarez",
                "Joseph Smith",
                "Robert Kim",
                "Zoë Müller",
            ],
        ),
        ("') OR 1=1 --", &[]),
        ("name:*", &[]),
    ];
    for (q, want) in cases {
        assert_eq!(&search(store, q), want, "search {q:?}");
    }
}

#[test]
fn paging_and_status_filter() {
    let (_d, _f, _k, opened) = practice();
    let store = &opened.store;
    store
        .write(|w| {
            for i in 0..120 {
                let mut c = ClientInput::named(&format!("Client {i:03}"));
                c.status = if i % 3 == 0 {
                    ClientStatus::Active
                } else {
                    ClientStatus::Inquiry
                };
                clients::create(w, c, today())?;
            }
            Ok(())
        })
        .unwrap();
    let page = |offset, status| {
        store
            .read(|c| {
                clients::list(
                    c,
                    &ClientQuery {
                        text: None,
                        status,
                        offset,
                        limit: 50,
                    },
                    today(),
                )
            })
            .unwrap()
    };
    let p1 = page(0, None);
    // Counted up to the cap: "more than 100".
    assert_eq!(
        (p1.total, p1.more, p1.items.len()),
        (clients::COUNT_CAP, true, 50)
    );
    assert_eq!(p1.items[0].legal_name, "Client 000");
    let p3 = page(100, None);
    assert_eq!(p3.items.len(), 20);
    assert_eq!(
        (p3.total, p3.more),
        (120, false),
        "the last page counts them all"
    );
    assert_eq!(p3.items[19].legal_name, "Client 119");
    let active = page(0, Some(ClientStatus::Active));
    assert_eq!(active.total, 40);
    assert!(active
        .items
        .iter()
        .all(|c| c.status == ClientStatus::Active));
}

#[test]
fn hostile_strings_are_stored_verbatim_and_never_executed() {
    let (_d, _f, _k, opened) = practice();
    let store = &opened.store;
    let hostile = [
        "<img src=x onerror=alert(1)>\u{202E}evil",
        "Robert'); DROP TABLE client;--",
        "\"quoted\" and 'single' and `back`",
        "<script>alert('x')</script>",
        "%s %n {0} ${name} {{7*7}}",
        "名前 テスト",
        "\u{202E}RTL override",
    ];
    for name in hostile {
        let mut c = ClientInput::named(name);
        c.notes = format!("{name}\nline two");
        let id = store.write(|w| clients::create(w, c, today())).unwrap();
        let got = store.read(|c| clients::get(c, id, today())).unwrap();
        assert_eq!(got.details.legal_name, name, "stored and returned verbatim");
        assert_eq!(got.details.notes, format!("{name}\nline two"));
    }
    assert_eq!(
        store
            .read(|c| clients::list(c, &ClientQuery::default(), today()))
            .unwrap()
            .total,
        7
    );
    assert_eq!(search(store, "img onerror"), vec![hostile[0].to_string()]);

    // A 1 MB note is refused by validation, with a field error, and nothing is stored.
    let mut big = ClientInput::named("Big Note");
    big.notes = "a".repeat(1 << 20);
    let err = store
        .write(|w| clients::create(w, big, today()))
        .unwrap_err();
    assert!(matches!(err, Error::Invalid(f) if f.has("notes")));
    // Control characters that could hide text are refused in names.
    let err = store
        .write(|w| clients::create(w, ClientInput::named("Nul\u{0}byte"), today()))
        .unwrap_err();
    assert!(matches!(err, Error::Invalid(f) if f.has("legal_name")));
    assert_eq!(
        store
            .read(|c| clients::list(c, &ClientQuery::default(), today()))
            .unwrap()
            .total,
        7
    );
}

#[test]
fn error_messages_carry_no_client_data() {
    let (_d, _f, _k, opened) = practice();
    let store = &opened.store;
    let mut c = ClientInput::named("Secretname Person");
    c.email = Some("secretname@@example".into());
    c.phone = Some("secretname".into());
    let err = store.write(|w| clients::create(w, c, today())).unwrap_err();
    let shown = format!("{err} {err:?}");
    assert!(
        !shown.contains("secretname") && !shown.contains("Secretname"),
        "{shown}"
    );
}
