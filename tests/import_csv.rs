//! A client list from another system's CSV export, imported into a real encrypted
//! practice: headers recognised, each encoding read (or refused), quotes and line breaks
//! in cells, the delimiter sniffed, hostile sizes refused fast, the dry run's errors and
//! duplicates, the import all or nothing and audited, formula-like cells stored as given
//! and neutralised by the app's own export. Every refusal leaves the practice as it was:
//! the same audit head, the same clients, no import batch.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use kap_practice::clients::{self, ClientInput, ClientStatus};
use kap_practice::import::csv::{
    self, recognise, suggest, CsvError, Delimiter, Duplicate, Encoding, Mapping, Options, Target,
};
use kap_practice::store::Store;
use kap_practice::Error;
use std::time::Instant;

// ---------------------------------------------------------------------------------
// Helpers

/// What a refused import must leave unchanged.
#[derive(Debug, PartialEq, Eq)]
struct Untouched {
    audit_rows: i64,
    audit_head: String,
    clients: i64,
    batches: i64,
}

fn state(store: &Store) -> Untouched {
    let audit = store.verify_audit().unwrap();
    let (clients, batches) = store
        .read(|c| {
            Ok((
                c.query_row("SELECT count(*) FROM client", [], |r| r.get(0))?,
                c.query_row("SELECT count(*) FROM import_batch", [], |r| r.get(0))?,
            ))
        })
        .unwrap();
    Untouched {
        audit_rows: audit.rows,
        audit_head: audit.head,
        clients,
        batches,
    }
}

fn import(
    store: &Store,
    bytes: &[u8],
    mapping: &Mapping,
    options: Options,
) -> kap_practice::Result<csv::Imported> {
    store.write(|w| csv::import(w, bytes, mapping, &options, today()))
}

fn dry_run(store: &Store, bytes: &[u8], mapping: &Mapping) -> csv::DryRun {
    store
        .read(|c| csv::dry_run(c, bytes, mapping, today()))
        .unwrap()
}

/// The suggested mapping of a file.
fn mapping(bytes: &[u8]) -> Mapping {
    csv::preview(bytes).unwrap().mapping
}

/// The field errors of a refusal.
fn field_errors(e: Error) -> Vec<(String, String)> {
    match e {
        Error::Invalid(f) => f.0.into_iter().map(|e| (e.field, e.message)).collect(),
        other => panic!("expected field errors, got {other:?}"),
    }
}

/// The one `file` error of a file that cannot be read.
fn file_error(r: kap_practice::Result<impl std::fmt::Debug>) -> String {
    let errs = field_errors(r.unwrap_err());
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(errs[0].0, "file");
    errs[0].1.clone()
}

/// A mapping of `width` columns, the first the full name.
fn name_first(width: usize) -> Mapping {
    Mapping {
        columns: std::iter::once(Some(Target::FullName))
            .chain(std::iter::repeat(None))
            .take(width)
            .collect(),
        status: ClientStatus::Active,
    }
}

/// Refuses `bytes` (whose header row has `width` columns) at every step with `want`,
/// changing nothing; returns the time it took to refuse the import.
fn refused_everywhere(
    store: &Store,
    bytes: &[u8],
    width: usize,
    want: &CsvError,
) -> std::time::Duration {
    let before = state(store);
    assert_eq!(file_error(csv::preview(bytes)), want.to_string());
    let any = name_first(width);
    assert_eq!(
        file_error(store.read(|c| csv::dry_run(c, bytes, &any, today()))),
        want.to_string()
    );
    let t = Instant::now();
    let r = import(
        store,
        bytes,
        &any,
        Options {
            skip_invalid_rows: true,
            include_duplicates: true,
        },
    );
    let took = t.elapsed();
    assert_eq!(file_error(r), want.to_string());
    assert_eq!(state(store), before, "a refused file changes nothing");
    took
}

fn names(store: &Store) -> Vec<String> {
    store
        .read(|c| {
            let mut s = c.prepare("SELECT legal_name FROM client ORDER BY id")?;
            let v = s
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<String>>>()?;
            Ok(v)
        })
        .unwrap()
}

fn client_named(store: &Store, name: &str) -> clients::Client {
    let id: i64 = store
        .read(|c| {
            Ok(
                c.query_row("SELECT id FROM client WHERE legal_name = ?1", [name], |r| {
                    r.get(0)
                })?,
            )
        })
        .unwrap();
    store.read(|c| clients::get(c, id, today())).unwrap()
}

fn add_client(store: &Store, name: &str, dob: Option<chrono::NaiveDate>) -> i64 {
    store
        .write(|w| {
            let mut c = ClientInput::named(name);
            c.date_of_birth = dob;
            clients::create(w, c, today())
        })
        .unwrap()
}

// ---------------------------------------------------------------------------------
// Headers

#[test]
fn headers_of_common_exports_are_recognised() {
    use Target::*;
    let cases: &[(&str, Option<Target>)] = &[
        ("First Name", Some(FirstName)),
        ("first_name", Some(FirstName)),
        ("FIRST NAME", Some(FirstName)),
        ("Given Name", Some(FirstName)),
        ("Client First Name", Some(FirstName)),
        ("Patient Last Name", Some(LastName)),
        ("Last Name", Some(LastName)),
        ("Family Name", Some(LastName)),
        ("Surname", Some(LastName)),
        ("Middle Name", Some(MiddleName)),
        ("Additional Name", Some(MiddleName)),
        ("Name", Some(FullName)),
        ("Client Name", Some(FullName)),
        ("Full Name", Some(FullName)),
        ("Patient Name", Some(FullName)),
        ("Preferred Name", Some(PreferredName)),
        ("Nickname", Some(PreferredName)),
        ("Pronouns", Some(Pronouns)),
        ("Date of Birth", Some(DateOfBirth)),
        ("Date of Birth (MM/DD/YYYY)", Some(DateOfBirth)),
        ("DOB", Some(DateOfBirth)),
        ("Patient DOB", Some(DateOfBirth)),
        ("Birthdate", Some(DateOfBirth)),
        ("Birthday", Some(DateOfBirth)),
        ("Email", Some(Email)),
        ("E-mail", Some(Email)),
        ("E-mail Address", Some(Email)),
        ("E-mail 1 - Value", Some(Email)),
        ("Phone", Some(Phone)),
        ("Mobile Phone", Some(Phone)),
        ("Cell", Some(Phone)),
        ("Home Phone", Some(Phone)),
        ("Phone 1 - Value", Some(Phone)),
        ("Address", Some(Street)),
        ("Street Address", Some(Street)),
        ("Home Street", Some(Street)),
        ("Address 1 - Street", Some(Street)),
        ("Address Line 2", Some(Street2)),
        ("City", Some(City)),
        ("Home City", Some(City)),
        ("State", Some(State)),
        ("Province/State", Some(State)),
        ("Zip", Some(PostalCode)),
        ("ZIP Code", Some(PostalCode)),
        ("Postal/Zip", Some(PostalCode)),
        ("Home Postal Code", Some(PostalCode)),
        ("Country", Some(Country)),
        ("Emergency Contact Name", Some(EmergencyName)),
        ("Emergency Contact", Some(EmergencyName)),
        ("Emergency Contact Relationship", Some(EmergencyRelation)),
        ("Emergency Contact Phone", Some(EmergencyPhone)),
        ("Referral Source", Some(ReferralSource)),
        ("Referred By", Some(ReferralSource)),
        ("Notes", Some(Notes)),
        ("  notes  ", Some(Notes)),
        // Not recognised: ambiguous or not a client field.
        ("Contact Name", None),
        ("Relationship", None),
        ("Phone 1 - Type", None),
        ("Balance", None),
        ("Client", None),
        ("", None),
    ];
    for (header, want) in cases {
        assert_eq!(recognise(header).map(|(t, _)| t), *want, "{header:?}");
    }
}

#[test]
fn a_targets_name_in_errors_is_its_name_on_the_wire() {
    for t in Target::ALL {
        assert_eq!(serde_json::to_value(t).unwrap(), t.as_str(), "{t:?}");
    }
}

#[test]
fn suggestions_pick_one_column_per_field() {
    use Target::*;
    let h = |s: &[&str]| s.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    // An Outlook-style contacts export: the mobile number before the home one, and no
    // full name beside the parts.
    let outlook = h(&[
        "Title",
        "First Name",
        "Middle Name",
        "Last Name",
        "Home Street",
        "Home City",
        "Home State",
        "Home Postal Code",
        "Home Phone",
        "Mobile Phone",
        "E-mail Address",
        "Birthday",
        "Notes",
    ]);
    assert_eq!(
        suggest(&outlook),
        vec![
            None,
            Some(FirstName),
            Some(MiddleName),
            Some(LastName),
            Some(Street),
            Some(City),
            Some(State),
            Some(PostalCode),
            None,
            Some(Phone),
            Some(Email),
            Some(DateOfBirth),
            Some(Notes),
        ]
    );
    // A Google-style export: "Name" is a display name, left unmapped beside the parts.
    let google = h(&[
        "Name",
        "Given Name",
        "Family Name",
        "Nickname",
        "E-mail 1 - Value",
        "Phone 1 - Type",
        "Phone 1 - Value",
    ]);
    assert_eq!(
        suggest(&google),
        vec![
            None,
            Some(FirstName),
            Some(LastName),
            Some(PreferredName),
            Some(Email),
            None,
            Some(Phone)
        ]
    );
    // One name column; two notes columns both kept; a second email left out.
    let generic = h(&["Client Name", "DOB", "Email", "Email", "Notes", "Comments"]);
    assert_eq!(
        suggest(&generic),
        vec![
            Some(FullName),
            Some(DateOfBirth),
            Some(Email),
            None,
            Some(Notes),
            Some(Notes)
        ]
    );
}

// ---------------------------------------------------------------------------------
// Encodings

#[test]
fn each_encoding_is_read_and_utf16_is_refused() {
    let (_d, _f, _k, opened) = practice();
    let store = &opened.store;
    let utf8 = "First Name,Last Name,Notes\nRenée,O\u{2019}Brien,Paid €40\n";
    let cases: Vec<(Vec<u8>, Encoding)> = vec![
        (utf8.as_bytes().to_vec(), Encoding::Utf8),
        (
            [b"\xEF\xBB\xBF".as_slice(), utf8.as_bytes()].concat(),
            Encoding::Utf8Bom,
        ),
        (
            b"First Name,Last Name,Notes\r\nRen\xE9e,O\x92Brien,Paid \x8040\r\n".to_vec(),
            Encoding::Windows1252,
        ),
    ];
    for (bytes, encoding) in &cases {
        let p = csv::preview(bytes).unwrap();
        assert_eq!(p.encoding, *encoding);
        assert_eq!(
            p.headers,
            ["First Name", "Last Name", "Notes"],
            "{encoding:?}: no BOM in the first header"
        );
        let plan = dry_run(store, bytes, &p.mapping);
        assert_eq!(plan.encoding, *encoding);
        let c = &plan.rows[0].client;
        assert_eq!(c.legal_name, "Renée O\u{2019}Brien", "{encoding:?}");
        assert_eq!(c.notes, "Paid €40", "{encoding:?}");
    }

    // UTF-16 (as Excel's "Unicode Text" and some exports write it), with its byte-order
    // mark in either order, or without one.
    let utf16le: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(utf8.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let utf16be: Vec<u8> = [0xFE, 0xFF]
        .into_iter()
        .chain(utf8.encode_utf16().flat_map(u16::to_be_bytes))
        .collect();
    let unmarked: Vec<u8> = utf8.encode_utf16().flat_map(u16::to_le_bytes).collect();
    for bytes in [utf16le, utf16be, unmarked] {
        refused_everywhere(store, &bytes, 1, &CsvError::Utf16);
    }
    // A byte neither UTF-8 nor Windows-1252 has, and a UTF-8 mark over other bytes.
    refused_everywhere(
        store,
        b"Name\nAna\nB\x81a\n",
        1,
        &CsvError::Undecodable { line: 3 },
    );
    refused_everywhere(
        store,
        b"\xEF\xBB\xBFName\nRen\xE9e\n",
        1,
        &CsvError::BadUtf8 { line: 2 },
    );
    refused_everywhere(store, b"Name\nAna\0\n", 1, &CsvError::NotText { line: 2 });
    refused_everywhere(store, b"", 1, &CsvError::Empty);
    refused_everywhere(store, b"\n\r\n", 1, &CsvError::Empty);
}

// ---------------------------------------------------------------------------------
// Quotes, line breaks, delimiters

#[test]
fn quoted_cells_keep_their_commas_quotes_and_line_breaks() {
    let (_d, _f, _k, opened) = practice();
    let store = &opened.store;
    let file = "Name,Address,City,State,Zip,Notes\r\n\
        \"Zoë \"\"Q\"\" O'Brien, Jr.\",\"12 E 14th St\r\nApt 5\",New York,NY,10003,\"first line\nsecond, with \"\"quotes\"\"\"\r\n\
        Ana Lima,,,,,\r\n";
    let r = import(
        store,
        file.as_bytes(),
        &mapping(file.as_bytes()),
        Options::default(),
    )
    .unwrap();
    assert_eq!(r.created, 2);
    let zoe = client_named(store, "Zoë \"Q\" O'Brien, Jr.");
    assert_eq!(
        zoe.details.address.as_deref(),
        Some("12 E 14th St\r\nApt 5\nNew York, NY 10003"),
        "the street's own line break is kept, the city line joined below it"
    );
    assert_eq!(zoe.details.notes, "first line\nsecond, with \"quotes\"");
    assert_eq!(client_named(store, "Ana Lima").details.address, None);
}

#[test]
fn the_delimiter_is_sniffed() {
    let (_d, _f, _k, opened) = practice();
    let store = &opened.store;
    let comma = "Last Name,First Name,DOB\nLima,Ana,1990-01-02\n\"Silva, Jr.\",Bo,03/04/1985\n";
    let semicolon = "Last Name;First Name;DOB\nLima;Ana;1990-01-02\n\"Silva, Jr.\";Bo;03/04/1985\n";
    let tab = "Last Name\tFirst Name\tDOB\nLima\tAna\t1990-01-02\n\"Silva, Jr.\"\tBo\t03/04/1985\n";
    for (file, want) in [
        (comma, Delimiter::Comma),
        (semicolon, Delimiter::Semicolon),
        (tab, Delimiter::Tab),
    ] {
        let p = csv::preview(file.as_bytes()).unwrap();
        assert_eq!(p.delimiter, want);
        assert_eq!(p.row_count, 2);
        let plan = dry_run(store, file.as_bytes(), &p.mapping);
        let got: Vec<(&str, Option<chrono::NaiveDate>)> = plan
            .rows
            .iter()
            .map(|r| (r.client.legal_name.as_str(), r.client.date_of_birth))
            .collect();
        assert_eq!(
            got,
            [
                ("Ana Lima", Some(date(1990, 1, 2))),
                ("Bo Silva, Jr.", Some(date(1985, 3, 4)))
            ],
            "{want:?}"
        );
    }
}

// ---------------------------------------------------------------------------------
// Hostile sizes

#[test]
fn a_50_mb_line_is_refused_fast_and_changes_nothing() {
    let (_d, _f, _k, opened) = practice();
    let store = &opened.store;
    add_client(store, "Already Here", None);
    // One 50 MB cell, and a 50 MB row of short cells.
    let mut one_cell = b"Name,Notes\nAna Lima,".to_vec();
    one_cell.resize(one_cell.len() + 50_000_000, b'x');
    one_cell.push(b'\n');
    let took = refused_everywhere(store, &one_cell, 2, &CsvError::FieldTooLong { row: 2 });
    assert!(
        took.as_secs() < 10,
        "refused at the cell's limit, not after reading 50 MB into it: {took:?}"
    );
    let mut many_cells = b"Name,Notes\n".to_vec();
    while many_cells.len() < 50_000_000 {
        many_cells.extend_from_slice(&[b'y'; 3_999]);
        many_cells.push(b',');
    }
    refused_everywhere(store, &many_cells, 2, &CsvError::RecordTooLong { row: 2 });
    // A quote never closed swallows the rest of the file into one cell.
    let mut open_quote = b"Name\nAna\n\"Bo\n".to_vec();
    open_quote.extend(std::iter::repeat_n(b"Carla\n".as_slice(), 20_000).flatten());
    refused_everywhere(store, &open_quote, 1, &CsvError::FieldTooLong { row: 3 });
    refused_everywhere(
        store,
        b"Name\nAna\n\"Bo\n",
        1,
        &CsvError::UnclosedQuote { row: 3 },
    );
    refused_everywhere(
        store,
        b"Name\nAna\n\"Bo\"x\n",
        1,
        &CsvError::StrayQuote { row: 3 },
    );
    // Over 64 MiB, refused before it is read.
    let huge = vec![b'a'; csv::MAX_FILE_BYTES + 1];
    refused_everywhere(store, &huge, 1, &CsvError::TooLarge);
}

/// `n` generated clients, one per row, with a header row.
fn generated(n: usize) -> Vec<u8> {
    let mut out = String::from("First Name,Last Name,Date of Birth,Email,Mobile Phone\r\n");
    for i in 0..n {
        out.push_str(&format!(
            "Client{i},Family{},{:02}/{:02}/{},c{i}@example.com,(212) 555-{:04}\r\n",
            i % 97,
            1 + i % 12,
            1 + i % 28,
            1940 + i % 60,
            i % 10_000
        ));
    }
    out.into_bytes()
}

#[test]
fn a_hundred_thousand_rows_are_read_and_one_more_is_refused() {
    let (_d, _f, _k, opened) = practice();
    let store = &opened.store;
    let max = csv::MAX_ROWS as usize;
    let mut file = generated(max - 1);
    let head = file.clone();
    file.extend_from_slice(b"Last,Row,01/30/1990,,\r\n");
    let p = csv::preview(&file).unwrap();
    assert_eq!(p.row_count, csv::MAX_ROWS);
    assert_eq!(p.rows.len(), csv::PREVIEW_ROWS);
    let plan = dry_run(store, &file, &p.mapping);
    assert_eq!(plan.counts.rows, csv::MAX_ROWS);
    assert_eq!(plan.counts.invalid, 0);
    assert_eq!(
        plan.counts.ready,
        csv::MAX_ROWS,
        "every generated client is unique"
    );

    // The same file with one bad row at its end: refused before any client is written.
    let before = state(store);
    let mut bad = head;
    bad.extend_from_slice(b"Last,Row,02/30/1990,,\r\n");
    let errs = field_errors(import(store, &bad, &p.mapping, Options::default()).unwrap_err());
    assert_eq!(errs.len(), 1);
    assert_eq!(
        errs[0].0,
        format!("rows.{}.date_of_birth", max + 1),
        "the header is row 1"
    );
    assert_eq!(state(store), before);

    // One row over the limit: refused as a whole, naming the limit. (The dry run reads
    // as the import does; each pass over 100,000 rows costs about 2 s in a debug build.)
    let mut over = file;
    over.extend_from_slice(b"One,More,01/01/1990,,\r\n");
    let want = CsvError::TooManyRows.to_string();
    assert_eq!(file_error(csv::preview(&over)), want);
    let everything = Options {
        skip_invalid_rows: true,
        include_duplicates: true,
    };
    assert_eq!(
        file_error(import(store, &over, &p.mapping, everything)),
        want
    );
    assert_eq!(state(store), before);
}

// ---------------------------------------------------------------------------------
// Mapping, dry run, duplicates

#[test]
fn a_file_without_a_name_column_is_refused() {
    let (_d, _f, _k, opened) = practice();
    let store = &opened.store;
    add_client(store, "Already Here", None);
    let before = state(store);
    let file = b"Email,Phone\nana@example.com,(212) 555-0143\n";
    let m = mapping(file);
    assert_eq!(m.columns, [Some(Target::Email), Some(Target::Phone)]);
    for r in [
        store.read(|c| csv::dry_run(c, file, &m, today())).map(drop),
        import(store, file, &m, Options::default()).map(drop),
    ] {
        let errs = field_errors(r.unwrap_err());
        assert_eq!(
            errs.iter().map(|e| e.0.as_str()).collect::<Vec<_>>(),
            ["mapping.legal_name"]
        );
    }
    // A mapping for another file's columns, a field chosen twice, the archived status.
    let mut wrong = m.clone();
    wrong.columns.push(Some(Target::FullName));
    let fields: Vec<String> =
        field_errors(import(store, file, &wrong, Options::default()).unwrap_err())
            .into_iter()
            .map(|e| e.0)
            .collect();
    assert_eq!(fields, ["mapping"]);
    let twice = Mapping {
        columns: vec![Some(Target::FullName), Some(Target::FullName)],
        status: ClientStatus::Archived,
    };
    let fields: Vec<String> =
        field_errors(import(store, file, &twice, Options::default()).unwrap_err())
            .into_iter()
            .map(|e| e.0)
            .collect();
    assert_eq!(fields, ["mapping.full_name", "mapping.status"]);
    assert_eq!(state(store), before);
}

const WITH_PROBLEMS: &str = "\
First Name,Last Name,DOB,Email,Phone\r\n\
Ana,Lima,1990-01-02,ana@example.com,(212) 555-0143\r\n\
Bo,Silva,03/14/88,bo@example.com,\r\n\
Carla,Reyes,1975-06-07,not an email,12\r\n\
jose,  alvarez ,1980-05-06,,\r\n\
Dee,Okafor,,,\r\n\
Ana,LIMA,01/02/1990,,\r\n\
,,1999-09-09,,\r\n";

#[test]
fn the_dry_run_lists_each_rows_errors_and_the_possible_duplicates() {
    let (_d, _f, _k, opened) = practice();
    let store = &opened.store;
    let existing = add_client(store, "José Álvarez", Some(date(1980, 5, 6)));
    add_client(store, "Dee Okafor", Some(date(1970, 1, 1)));
    let before = state(store);
    let file = WITH_PROBLEMS.as_bytes();
    let plan = dry_run(store, file, &mapping(file));
    assert_eq!(state(store), before, "a dry run writes nothing");

    let by_row = |n: u32| plan.rows.iter().find(|r| r.row == n).unwrap();
    assert_eq!(plan.rows.len(), 7);
    // Row 2: ready.
    assert!(by_row(2).is_valid() && by_row(2).duplicates.is_empty());
    assert_eq!(by_row(2).client.phone.as_deref(), Some("(212) 555-0143"));
    // Row 3: a two-digit year.
    let e: Vec<(&str, &str)> = by_row(3)
        .errors
        .iter()
        .map(|e| (e.field.as_str(), e.message.as_str()))
        .collect();
    assert_eq!(e, [("date_of_birth", "Write the date of birth's year in four digits (MM/DD/YYYY): a two-digit year is ambiguous.")]);
    // Row 4: the client form's own rules and messages.
    let e: Vec<(&str, &str)> = by_row(4)
        .errors
        .iter()
        .map(|e| (e.field.as_str(), e.message.as_str()))
        .collect();
    assert_eq!(
        e,
        [
            ("phone", "Enter a phone number such as (212) 555-0143."),
            ("email", "Enter an e-mail address such as name@example.com."),
        ]
    );
    let form = {
        let mut c = ClientInput::named("Carla Reyes");
        c.email = Some("not an email".into());
        c.phone = Some("12".into());
        c.status = ClientStatus::Active;
        c.date_of_birth = Some(date(1975, 6, 7));
        field_errors(c.validated(today()).unwrap_err())
    };
    assert_eq!(
        form,
        by_row(4)
            .errors
            .iter()
            .map(|e| (e.field.clone(), e.message.clone()))
            .collect::<Vec<_>>(),
        "the same errors as the client form"
    );
    // Row 5: an existing client, by name without case, accents or extra spaces.
    assert_eq!(by_row(5).duplicates, [Duplicate::Client { id: existing }]);
    assert_eq!(by_row(5).client.legal_name, "jose alvarez");
    // Row 6: the same name but another date of birth is no duplicate.
    assert!(by_row(6).is_valid() && by_row(6).duplicates.is_empty());
    // Row 7: the same as row 2, the date written the US way.
    assert_eq!(by_row(7).duplicates, [Duplicate::Row { row: 2 }]);
    // Row 8: no name.
    assert_eq!(by_row(8).errors[0].field, "legal_name");
    assert_eq!(by_row(8).errors[0].message, "Legal name is required.");
    assert_eq!(
        plan.counts,
        csv::Counts {
            rows: 7,
            ready: 2,
            duplicates: 2,
            invalid: 3
        }
    );
}

// ---------------------------------------------------------------------------------
// The import: all or nothing, audited

#[test]
fn rows_with_errors_refuse_the_import_unless_skipped() {
    let (_d, _f, _k, opened) = practice();
    let store = &opened.store;
    add_client(store, "José Álvarez", Some(date(1980, 5, 6)));
    let before = state(store);
    let file = WITH_PROBLEMS.as_bytes();
    let m = mapping(file);
    let errs = field_errors(import(store, file, &m, Options::default()).unwrap_err());
    let fields: Vec<&str> = errs.iter().map(|e| e.0.as_str()).collect();
    assert_eq!(
        fields,
        [
            "rows.3.date_of_birth",
            "rows.4.phone",
            "rows.4.email",
            "rows.8.legal_name"
        ]
    );
    assert_eq!(state(store), before, "one bad row refuses the whole file");

    // Skipping them: the valid rows but the duplicates.
    let r = import(
        store,
        file,
        &m,
        Options {
            skip_invalid_rows: true,
            include_duplicates: false,
        },
    )
    .unwrap();
    assert_eq!(r.created, 2);
    assert_eq!(r.skipped_invalid, [3, 4, 8]);
    assert_eq!(r.skipped_duplicates, [5, 7]);
    assert_eq!(names(store), ["José Álvarez", "Ana Lima", "Dee Okafor"]);

    // Again, duplicates included: now every valid row is a duplicate of the first import.
    let r = import(
        store,
        file,
        &m,
        Options {
            skip_invalid_rows: true,
            include_duplicates: true,
        },
    )
    .unwrap();
    assert_eq!(r.created, 4);
    assert!(r.skipped_duplicates.is_empty());
    // And with nothing left to import, the import is refused.
    let before = state(store);
    let only_dup = b"Name,DOB\nAna Lima,1990-01-02\n";
    let e = import(store, only_dup, &mapping(only_dup), Options::default()).unwrap_err();
    assert!(matches!(e, Error::Conflict(_)), "{e:?}");
    assert_eq!(state(store), before);
}

#[test]
fn a_failure_midway_leaves_the_practice_untouched() {
    let (_d, _f, _k, opened) = practice();
    let store = &opened.store;
    add_client(store, "Already Here", None);
    let before = state(store);
    let file = b"Name\nAna Lima\nBo Silva\nCarla Third\nDee Okafor\n";
    let m = mapping(file);
    let plan = dry_run(store, file, &m);
    assert_eq!(plan.counts.ready, 4, "every row passes the dry run");
    // The third row fails as it is inserted, after two clients and their audit rows.
    let e = store
        .write(|w| {
            w.conn().execute_batch(
                "CREATE TEMP TRIGGER fail_third BEFORE INSERT ON main.client
                 WHEN NEW.legal_name = 'Carla Third'
                 BEGIN SELECT RAISE(ABORT, 'injected failure'); END;",
            )?;
            csv::import(w, file, &m, &Options::default(), today())
        })
        .unwrap_err();
    assert!(matches!(e, Error::Database(_)), "{e:?}");
    assert!(
        !format!("{e} {e:?}").contains("Carla"),
        "no value in the error"
    );
    assert_eq!(
        state(store),
        before,
        "nothing of the two rows before the failure is kept"
    );
    // The trigger went with the transaction: the same file now imports whole.
    assert_eq!(
        import(store, file, &m, Options::default()).unwrap().created,
        4
    );
    // A failure after the import in the same write (the caller's closure) rolls it back too.
    let before = state(store);
    let other = b"Name\nEve Adams\n";
    let e = store
        .write(|w| {
            csv::import(w, other, &mapping(other), &Options::default(), today())?;
            Err::<(), _>(Error::Internal("a later step of the same write failed"))
        })
        .unwrap_err();
    assert!(matches!(e, Error::Internal(_)));
    assert_eq!(state(store), before);
}

#[test]
fn the_import_is_audited_one_create_per_client_and_one_import_row() {
    let (_d, _f, _k, opened) = practice();
    let store = &opened.store;
    let last_seq = |s: &Store| -> i64 {
        s.read(|c| Ok(c.query_row("SELECT max(seq) FROM audit_log", [], |r| r.get(0))?))
            .unwrap()
    };
    let from = last_seq(store);
    let file = b"Name,DOB\nAna Lima,1990-01-02\nBo Silva,\nCarla Reyes,1975-06-07\n";
    let r = import(store, file, &mapping(file), Options::default()).unwrap();
    assert_eq!(r.created, 3);
    let rows: Vec<(String, String, i64)> = store
        .read(|c| {
            let mut s = c.prepare(
                "SELECT action, entity_kind, entity_id FROM audit_log WHERE seq > ?1 ORDER BY seq",
            )?;
            let v = s
                .query_map([from], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(v)
        })
        .unwrap();
    let ids: Vec<i64> = store
        .read(|c| {
            let mut s = c.prepare("SELECT id FROM client ORDER BY id")?;
            let v = s
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<i64>>>()?;
            Ok(v)
        })
        .unwrap();
    let mut want: Vec<(String, String, i64)> = ids
        .iter()
        .map(|&id| ("create".into(), "client".into(), id))
        .collect();
    want.push(("import".into(), "import_batch".into(), r.batch_id));
    assert_eq!(rows, want);
    let (source, sha, records): (String, String, i64) = store
        .read(|c| {
            Ok(c.query_row(
                "SELECT source, source_sha256, records FROM import_batch WHERE id = ?1",
                [r.batch_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?)
        })
        .unwrap();
    assert_eq!(source, "client_csv");
    assert_eq!(sha, kap_practice::import::sha256_hex(file));
    assert_eq!(records, 3);
    // The chain and every audited content still verify.
    let inspection = store.inspect_audit().unwrap();
    assert!(inspection.findings.is_empty(), "{inspection:?}");
    let status = client_named(store, "Ana Lima").details.status;
    assert_eq!(status, ClientStatus::Active, "the mapping's status");
}

// ---------------------------------------------------------------------------------
// Formula-like cells and privacy

#[test]
fn formula_cells_are_stored_as_given_and_neutralised_by_the_export() {
    let (dir, _f, _k, opened) = practice();
    let store = &opened.store;
    let name = "=HYPERLINK(\"http://x.example\",\"click\")";
    let file = format!(
        "Name,Phone,Notes,Referral Source\r\n\"{}\",+1 212 555 0143,@SUM(A1),-2 from a friend\r\n",
        name.replace('"', "\"\"")
    );
    let r = import(
        store,
        file.as_bytes(),
        &mapping(file.as_bytes()),
        Options::default(),
    )
    .unwrap();
    assert_eq!(r.created, 1);
    let c = client_named(store, name);
    assert_eq!(
        c.details.phone.as_deref(),
        Some("+1 212 555 0143"),
        "a leading + is a phone, not a formula"
    );
    assert_eq!(c.details.notes, "@SUM(A1)");
    assert_eq!(
        c.details.referral_source.as_deref(),
        Some("-2 from a friend")
    );

    // The app's own export: the name comes out with a ' in front, read back by this
    // module's own reader.
    let out = dir.path().join("exports");
    std::fs::create_dir(&out).unwrap();
    let zip_path = out.join("client.zip");
    kap_practice::export::client_zip(store, c.id, &zip_path, None).unwrap();
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&zip_path).unwrap()).unwrap();
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut zip.by_name("clients.csv").unwrap(), &mut bytes).unwrap();
    let p = csv::preview(&bytes).unwrap();
    assert_eq!(p.encoding, Encoding::Utf8Bom);
    let cell = |col: &str| {
        let i = p.headers.iter().position(|h| h == col).unwrap();
        p.rows[0].cells[i].clone()
    };
    assert_eq!(cell("legal_name"), format!("'{name}"));
    assert_eq!(cell("phone"), "'+1 212 555 0143");
    assert_eq!(cell("notes"), "'@SUM(A1)");
}

#[test]
fn errors_name_rows_and_fields_never_values() {
    let (_d, _f, _k, opened) = practice();
    let store = &opened.store;
    const SECRET: &str = "Qxzyvorth";
    let files: Vec<Vec<u8>> = vec![
        format!("{SECRET} Name\n{SECRET},{SECRET}\n").into_bytes(),
        format!("Name,DOB,Email\n{SECRET},{SECRET},{SECRET}\n").into_bytes(),
        format!("Name\n\"{SECRET}\"{SECRET}\n").into_bytes(),
        format!("Name\n{SECRET}\u{7}\n").into_bytes(),
        [format!("Name\n{SECRET}").as_bytes(), b"\x81\n"].concat(),
    ];
    for file in files {
        let m = csv::preview(&file).map_or_else(|_| name_first(1), |p| p.mapping);
        let e = import(store, &file, &m, Options::default()).unwrap_err();
        let shown = format!("{e} {e:?}");
        assert!(!shown.contains(SECRET), "{shown}");
    }
}

#[test]
fn duplicates_are_judged_again_inside_the_import() {
    let (_d, _f, _k, opened) = practice();
    let store = &opened.store;
    let file = b"Name,DOB\nAna Lima,1990-01-02\nBo Silva,1985-03-04\n";
    let m = mapping(file);
    assert_eq!(dry_run(store, file, &m).counts.ready, 2);
    // Someone adds Ana by hand between the dry run and the import.
    let ana = add_client(store, "Ana Lima", Some(date(1990, 1, 2)));
    let r = import(store, file, &m, Options::default()).unwrap();
    assert_eq!(r.created, 1);
    assert_eq!(r.skipped_duplicates, [2]);
    assert_eq!(names(store), ["Ana Lima", "Bo Silva"]);
    let plan = dry_run(store, file, &m);
    assert_eq!(plan.rows[0].duplicates, [Duplicate::Client { id: ana }]);
}

#[test]
fn short_rows_are_padded_and_long_rows_are_errors() {
    let (_d, _f, _k, opened) = practice();
    let store = &opened.store;
    let file = b"Name,Email,Phone\nAna Lima\nBo Silva,bo@example.com,(212) 555-0143,,\nCarla Reyes,,,extra\n";
    let plan = dry_run(store, file, &mapping(file));
    assert!(
        plan.rows[0].is_valid(),
        "missing cells at a row's end are empty"
    );
    assert!(
        plan.rows[1].is_valid(),
        "empty cells past the header are ignored"
    );
    assert_eq!(plan.rows[1].client.email.as_deref(), Some("bo@example.com"));
    let fields: Vec<&str> = plan.rows[2]
        .errors
        .iter()
        .map(|e| e.field.as_str())
        .collect();
    assert_eq!(
        fields,
        ["row"],
        "text past the header's columns belongs to no field"
    );
}
