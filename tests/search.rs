//! Global search on a real encrypted practice: each kind of result, accents and prefixes,
//! the index kept in step with every write, days in words, hostile queries, and that a
//! search leaves no trace.
#![allow(clippy::unwrap_used)]

mod common;

use chrono::{NaiveDate, NaiveDateTime};
use common::*;
use kap_practice::appointments::{self, AppointmentInput, AppointmentKind, Location};
use kap_practice::clients::{self, ClientInput};
use kap_practice::notes::{self, NoteBody};
use kap_practice::search::{self, HitKind, Results, PER_KIND};
use kap_practice::store::Store;
use kap_practice::{billing, intakes, prescribers};

fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
    date(y, m, d).and_hms_opt(h, min, 0).unwrap()
}

/// The day the searches run on: Monday 9 March 2026.
fn monday() -> NaiveDate {
    date(2026, 3, 9)
}

fn find(store: &Store, q: &str) -> Results {
    store
        .read(|c| search::search(c, q, monday()))
        .unwrap_or_else(|e| panic!("{q:?}: {e:?}"))
}

fn of(r: &Results, kind: HitKind) -> Vec<i64> {
    r.groups
        .iter()
        .filter(|g| g.kind == kind)
        .flat_map(|g| g.hits.iter().map(|h| h.id))
        .collect()
}

fn session(client: i64, kind: AppointmentKind, start: NaiveDateTime) -> AppointmentInput {
    AppointmentInput {
        course_reason: None,
        kind,
        starts_local: start,
        duration_minutes: None,
        location: if kind == AppointmentKind::KapSession {
            Location::KapRoom
        } else {
            Location::Telehealth
        },
        location_note: None,
        client_ids: vec![client],
        notes: String::new(),
    }
}

fn free_text(text: &str) -> NoteBody {
    NoteBody::FreeText { text: text.into() }
}

fn assert_index_in_step(store: &Store) {
    let findings = store.read(search::index_findings).unwrap();
    assert!(findings.is_empty(), "{findings:?}");
}

#[test]
fn clients_by_name_accent_and_case_blind_by_prefix_email_phone_and_notes() {
    let (_d, _f, _k, opened) = practice();
    let store = &opened.store;
    let (ana, _) = cleared_client(store, "Ana López");
    let other = store
        .write(|w| {
            let mut c = ClientInput::named("Zoë Okafor-Brandt");
            c.preferred_name = Some("Zee".into());
            c.email = Some("zoe.okafor@example.org".into());
            c.phone = Some("(212) 555-0142".into());
            c.notes = "Has a rescue dog named Biscuit; prefers mornings.".into();
            clients::create(w, c, today())
        })
        .unwrap();
    for q in ["lopez", "LÓPEZ", "Lóp", "lo", "ana lop", "  ana,  lópez "] {
        assert_eq!(of(&find(store, q), HitKind::Client), vec![ana], "{q:?}");
    }
    for q in [
        "zoe",
        "zee",
        "okafor",
        "brandt",
        "okafor@exa",
        "2125550142",
        "555-0142",
        "biscuit",
    ] {
        assert_eq!(of(&find(store, q), HitKind::Client), vec![other], "{q:?}");
    }
    let r = find(store, "zee");
    let hit = &r.groups[0].hits[0];
    assert_eq!(hit.title, "Zoë Okafor-Brandt");
    assert_eq!(hit.preferred_name.as_deref(), Some("Zee"));
    assert!(hit.detail.contains("zoe.okafor@example.org"), "{hit:?}");
    // A match in the notes about the client shows the words around it.
    let r = find(store, "biscuit");
    let snippet = &r.groups[0].hits[0].snippet;
    assert!(
        snippet.iter().any(|f| f.hit && f.text == "Biscuit"),
        "{snippet:?}"
    );

    // Renamed: found by the new name only, and so are the client's other records.
    store
        .write(|w| {
            let mut c = ClientInput::named("Ana Ibáñez");
            c.status = clients::ClientStatus::Active;
            c.date_of_birth = Some(date(1988, 8, 8));
            clients::update(w, ana, c, today())
        })
        .unwrap();
    assert!(of(&find(store, "lopez"), HitKind::Client).is_empty());
    assert_eq!(of(&find(store, "ibanez"), HitKind::Client), vec![ana]);
    assert_index_in_step(store);
}

#[test]
fn notes_amendments_and_intakes_by_their_words_with_a_snippet() {
    let (_d, _f, _k, opened) = practice();
    let store = &opened.store;
    let (ana, _) = cleared_client(store, "Ana López");
    let (ben, _) = cleared_client(store, "Benjamin Hart");
    let kap = store
        .write(|w| {
            appointments::book(
                w,
                session(ana, AppointmentKind::KapSession, at(2026, 3, 10, 10, 0)),
            )
        })
        .unwrap();
    let mut body = kap_note("To meet my grief with kindness.");
    if let NoteBody::Kap(k) = &mut body {
        k.observations = "She spoke about her childhood dog, Canela, and wept.".into();
    }
    let ana_note = store
        .write(|w| notes::save_draft(w, kap, ana, body))
        .unwrap();
    let psy = store
        .write(|w| {
            appointments::book(
                w,
                session(ben, AppointmentKind::Psychotherapy, at(2026, 3, 11, 14, 0)),
            )
        })
        .unwrap();
    let ben_note = store
        .write(|w| {
            notes::save_draft(
                w,
                psy,
                ben,
                free_text("Talked about the garden and his father."),
            )
        })
        .unwrap();

    // Words of the note, any case or accent, as prefixes.
    let r = find(store, "dog");
    assert_eq!(of(&r, HitKind::Note), vec![ana_note]);
    let hit = &r
        .groups
        .iter()
        .find(|g| g.kind == HitKind::Note)
        .unwrap()
        .hits[0];
    assert_eq!(
        (hit.client_id, hit.appointment_id, hit.date),
        (Some(ana), Some(kap), Some(date(2026, 3, 10)))
    );
    assert_eq!(hit.title, "Ana López");
    assert!(hit.detail.contains("not signed yet"), "{}", hit.detail);
    assert!(
        hit.snippet.iter().any(|f| f.hit && f.text == "dog"),
        "{:?}",
        hit.snippet
    );
    assert!(hit
        .snippet
        .iter()
        .any(|f| !f.hit && f.text.contains("childhood")));
    assert_eq!(of(&find(store, "CANE"), HitKind::Note), vec![ana_note]);
    assert_eq!(
        of(&find(store, "gríef kind"), HitKind::Note),
        vec![ana_note]
    );
    // A client's name narrows a search; alone it lists the client, not every note.
    assert_eq!(of(&find(store, "ana dog"), HitKind::Note), vec![ana_note]);
    assert!(of(&find(store, "ben dog"), HitKind::Note).is_empty());
    assert!(of(&find(store, "benjamin"), HitKind::Note).is_empty());
    assert_eq!(
        of(&find(store, "hart garden"), HitKind::Note),
        vec![ben_note]
    );

    // A draft's new words replace its old ones in the same write.
    store
        .write(|w| notes::save_draft(w, psy, ben, free_text("Talked about the orchard.")))
        .unwrap();
    assert!(of(&find(store, "garden"), HitKind::Note).is_empty());
    assert_eq!(of(&find(store, "orchard"), HitKind::Note), vec![ben_note]);

    // Signed, then amended: the amendment is found as itself.
    store
        .write(|w| appointments::set_status(w, kap, appointments::AppointmentStatus::Completed))
        .unwrap();
    store.write(|w| notes::sign(w, ana_note)).unwrap();
    store
        .write(|w| notes::amend(w, ana_note, "Correction: the dog was called Canelita."))
        .unwrap();
    let r = find(store, "canelita");
    let amendments = of(&r, HitKind::Amendment);
    assert_eq!(amendments.len(), 1, "{r:?}");
    let hit = &r
        .groups
        .iter()
        .find(|g| g.kind == HitKind::Amendment)
        .unwrap()
        .hits[0];
    assert_eq!((hit.client_id, hit.appointment_id), (Some(ana), Some(kap)));
    assert!(hit.detail.starts_with("Amendment"), "{}", hit.detail);
    assert!(
        of(&r, HitKind::Note).is_empty(),
        "the note itself says Canela"
    );

    // Intake notes.
    let intake = store
        .write(|w| {
            intakes::create(
                w,
                ben,
                intakes::IntakeInput {
                    kind: intakes::IntakeKind::MentalHealth,
                    date: date(2026, 3, 2),
                    clinician: "Dana Whitfield".into(),
                    prescriber_id: None,
                    duration_minutes: 60,
                    outcome: intakes::IntakeOutcome::Pending,
                    notes:
                        "Referred by his sister; long history of treatment-resistant depression."
                            .into(),
                },
                today(),
            )
        })
        .unwrap();
    let r = find(store, "sister resistant");
    assert_eq!(of(&r, HitKind::Intake), vec![intake]);
    let hit = &r
        .groups
        .iter()
        .find(|g| g.kind == HitKind::Intake)
        .unwrap()
        .hits[0];
    assert_eq!(
        (hit.client_id, hit.date, hit.detail.as_str()),
        (Some(ben), Some(date(2026, 3, 2)), "Mental health intake")
    );
    assert_index_in_step(store);
}

#[test]
fn invoices_by_number_prescribers_by_name_and_days_in_words() {
    let (_d, _f, _k, opened) = practice();
    let store = &opened.store;
    let (ana, prescriber) = cleared_client(store, "Ana López");
    let charge = store
        .read(|c| billing::charges_for_client(c, ana))
        .unwrap()
        .into_iter()
        .find(|c| c.amount.is_some())
        .unwrap()
        .id;
    let invoice = store
        .write(|w| billing::create_invoice(w, ana, &[charge], date(2026, 3, 2), today()))
        .unwrap();
    for q in ["2026-0001", "0001", "2026 0001", "lopez 0001"] {
        assert_eq!(
            of(&find(store, q), HitKind::Invoice),
            vec![invoice],
            "{q:?}"
        );
    }
    let r = find(store, "2026-0001");
    let hit = &r
        .groups
        .iter()
        .find(|g| g.kind == HitKind::Invoice)
        .unwrap()
        .hits[0];
    assert_eq!(hit.title, "Invoice 2026-0001");
    assert_eq!(
        (hit.client_id, hit.date),
        (Some(ana), Some(date(2026, 3, 2)))
    );
    assert!(of(&find(store, "2026-0002"), HitKind::Invoice).is_empty());

    let named = store
        .write(|w| {
            prescribers::create(
                w,
                prescribers::PrescriberInput {
                    name: "Dr. Mireille Çelik".into(),
                    credentials: prescribers::Credential::Md,
                    npi: "1234567893".into(),
                    phone: Some("646-555-0199".into()),
                    email: Some("celik@clinic.example".into()),
                    practice: Some("Hudson Psychiatry".into()),
                },
            )
        })
        .unwrap();
    for q in ["celik", "Mireille", "hudson psych", "6465550199"] {
        assert_eq!(
            of(&find(store, q), HitKind::Prescriber),
            vec![named],
            "{q:?}"
        );
    }
    assert_eq!(
        of(&find(store, "prescriber for"), HitKind::Prescriber),
        vec![prescriber]
    );

    // Days in words: the appointments of that local day.
    let kap = store
        .write(|w| {
            appointments::book(
                w,
                session(ana, AppointmentKind::KapSession, at(2026, 3, 10, 10, 0)),
            )
        })
        .unwrap();
    for q in [
        "tomorrow",
        "Tuesday",
        "tue",
        "Mar 10",
        "march 10th",
        "3/10",
        "2026-03-10",
    ] {
        let r = find(store, q);
        assert_eq!(r.day, Some(date(2026, 3, 10)), "{q:?}");
        assert_eq!(of(&r, HitKind::Appointment), vec![kap], "{q:?}");
    }
    let r = find(store, "tomorrow");
    let hit = &r.groups[0].hits[0];
    assert_eq!(hit.kind, HitKind::Appointment);
    assert_eq!(hit.title, "10:00 AM KAP session");
    assert_eq!(hit.detail, "Ana López");
    assert_eq!(hit.client_id, Some(ana));
    // "next Tuesday" from this Monday is the one after tomorrow: nothing booked.
    let r = find(store, "next tuesday");
    assert_eq!(r.day, Some(date(2026, 3, 17)));
    assert!(of(&r, HitKind::Appointment).is_empty());
    assert_index_in_step(store);
}

#[test]
fn each_kind_shows_a_page_newest_first_and_says_there_is_more() {
    let (_d, _f, _k, opened) = practice();
    let store = &opened.store;
    let ids: Vec<i64> = store
        .write(|w| {
            (0..12)
                .map(|n| {
                    let mut c = ClientInput::named(&format!("Morgan Tester{n:02}"));
                    c.notes = "Enjoys gardening.".into();
                    clients::create(w, c, today())
                })
                .collect()
        })
        .unwrap();
    let r = find(store, "morgan");
    let group = r.groups.iter().find(|g| g.kind == HitKind::Client).unwrap();
    assert_eq!(group.hits.len(), PER_KIND);
    assert!(group.more);
    let newest: Vec<i64> = ids.iter().rev().take(PER_KIND).copied().collect();
    assert_eq!(of(&r, HitKind::Client), newest);
    let r = find(store, "tester03");
    assert_eq!(of(&r, HitKind::Client), vec![ids[3]]);
    assert!(!r.groups[0].more);
}

#[test]
fn hostile_queries_are_text_never_errors() {
    let (_d, _f, _k, opened) = practice();
    let store = &opened.store;
    let (ana, _) = cleared_client(store, "Ana López");
    store
        .write(|w| {
            let mut c = ClientInput::named("Near Orr");
            c.notes = "NEAR OR AND NOT * ^ - \"quoted\"".into();
            clients::create(w, c, today())
        })
        .unwrap();
    let long = "dog ".repeat(2_500);
    let hostile: Vec<String> = [
        "\"",
        "\"\"",
        "*",
        "dog*",
        "NEAR",
        "NEAR(a b)",
        "a NEAR/2 b",
        "OR",
        "a OR",
        "AND",
        "NOT",
        "-",
        "-ana",
        "^",
        "^ana",
        "who:ana",
        "body:",
        "{who}: ana",
        "(",
        ")",
        "a)(b",
        "'; DROP TABLE client; --",
        "\u{202e}ana\u{202c}",
        "\u{202e}",
        "🐕",
        "ana 🐕",
        "👩🏽‍⚕️",
        "\0",
        "ana\0lopez",
        "\u{fffd}",
        "  ",
        "",
        "l\u{301}",
    ]
    .iter()
    .map(|s| s.to_string())
    .chain([
        long,
        "a".repeat(10_000),
        "é".repeat(10_000),
        "\"".repeat(10_000),
    ])
    .collect();
    for q in &hostile {
        let r = find(store, q);
        for g in &r.groups {
            assert!(g.hits.len() <= PER_KIND);
        }
    }
    // Syntax words are words: they find the client whose notes hold them.
    assert_eq!(of(&find(store, "near"), HitKind::Client).len(), 1);
    assert_eq!(of(&find(store, "OR"), HitKind::Client).len(), 1);
    assert_eq!(
        of(&find(store, "\u{202e}ana\u{202c}"), HitKind::Client),
        vec![ana]
    );
    assert!(find(store, "🐕").groups.is_empty());
    assert!(
        find(store, "a").too_short,
        "one letter is too short to search text"
    );
    assert!(find(store, "").too_short);
}

#[test]
fn a_search_writes_nothing_and_its_words_never_reach_the_files() {
    let (dir, _f, _k, opened) = practice();
    let store = &opened.store;
    cleared_client(store, "Ana López");
    let audit_rows = || -> i64 {
        store
            .read(|c| Ok(c.query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))?))
            .unwrap()
    };
    let before = audit_rows();
    let secret = "zanzibarquokka";
    let r = find(store, secret);
    assert!(r.groups.is_empty());
    find(store, "ana");
    assert_eq!(
        audit_rows(),
        before,
        "searching is not audited and writes nothing"
    );
    drop(opened);
    let bytes = all_bytes(&dir.path().join("practice"));
    assert!(!contains(&bytes, secret.as_bytes()));
}

/// The whole index is rebuilt from the records by the migration: a practice made before
/// search existed finds its old notes.
#[test]
fn a_practice_from_before_search_finds_its_old_records() {
    use kap_practice::key::DataKey;
    use kap_practice::store::testing;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("practice.db");
    let key = DataKey::generate().unwrap();
    testing::create_at_version(&db, &key, 14).unwrap();
    // An old practice: a client with a note, written as the version-14 app wrote them.
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        let hex: String = key.as_bytes().iter().map(|b| format!("{b:02x}")).collect();
        conn.pragma_update(None, "key", format!("x'{hex}'"))
            .unwrap();
        conn.execute_batch(
            "INSERT INTO practice (id, practice_name, therapist_name, updated_at)
             VALUES (1, 'Old', 'Old', '2026-01-01T00:00:00.000000Z');
             INSERT INTO client (id, legal_name, sort_name, status, fee_arrangement, created_at, updated_at)
             VALUES (1, 'Renée Old', 'renee old', 'active', 'standard', '2026-01-01T00:00:00.000000Z',
                 '2026-01-01T00:00:00.000000Z');
             INSERT INTO appointment (id, kind, starts_at, ends_at, duration_minutes, location, status,
                 notes, created_at, updated_at)
             VALUES (1, 'psychotherapy', '2026-01-05T15:00:00.000000Z', '2026-01-05T16:00:00.000000Z',
                 60, 'telehealth', 'completed', '', '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z');
             INSERT INTO appointment_attendee (appointment_id, client_id, attendance, note_signed)
             VALUES (1, 1, 'attended', 0);
             INSERT INTO session_note (appointment_id, client_id, body, created_at, updated_at)
             VALUES (1, 1, '{\"kind\":\"free_text\",\"text\":\"Spoke of the lighthouse.\"}',
                 '2026-01-05T16:00:00.000000Z', '2026-01-05T16:00:00.000000Z');",
        )
        .unwrap();
    }
    let store = Store::open(&db, &key).unwrap();
    assert_eq!(of(&find(&store, "lighthouse"), HitKind::Note), vec![1]);
    assert_eq!(of(&find(&store, "renee"), HitKind::Client), vec![1]);
    assert_index_in_step(&store);
}
