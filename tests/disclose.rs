//! The one way a document leaves the app (`kap_practice::disclose::save`): hostile
//! targets refused for every kind of document, a failed rename and a failed commit that
//! leave neither a file nor an audit row, one `export` row and one disclosure row per
//! saved file, and a `view` row for reading a note.

#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

mod common;

use common::*;
use kap_practice::appointments::{self, AppointmentInput, AppointmentKind, Location};
use kap_practice::audit::{Action, EntityKind};
use kap_practice::disclose::{self, Disclosure, Document};
use kap_practice::folder::PracticeFolder;
use kap_practice::notes::{self, NoteBody};
use kap_practice::print::PrintDocument;
use kap_practice::store::Store;
use kap_practice::{backup, calendar, export, Error};
use std::path::{Path, PathBuf};

fn audit_rows(store: &Store) -> i64 {
    store.verify_audit().unwrap().rows
}

fn disclosures(store: &Store) -> Vec<(String, Option<i64>, bool, bool)> {
    store
        .read(|c| {
            let mut st = c.prepare(
                "SELECT document, client_id, names_included, printed FROM disclosure ORDER BY audit_seq",
            )?;
            let rows = st
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(rows)
        })
        .unwrap()
}

/// The four kinds of document, each saved at `path` (extension added here).
fn save_each(
    folder: &PracticeFolder,
    store: &Store,
    client: i64,
    path: &Path,
) -> Vec<(&'static str, kap_practice::Result<()>)> {
    let with = |ext: &str| path.with_extension(ext);
    vec![
        (
            "pdf",
            PrintDocument::Consent { client_id: client }.save(store, &with("pdf"), None),
        ),
        (
            "ics",
            calendar::save_ics(
                store,
                date(2026, 3, 1),
                date(2026, 4, 1),
                false,
                &with("ics"),
            ),
        ),
        (
            "zip",
            export::client_zip(store, client, &with("zip"), None).map(drop),
        ),
        (
            "kapbackup",
            backup::create(folder, store, &with("kapbackup")).map(drop),
        ),
    ]
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    out.sort();
    out
}

#[test]
fn targets_inside_the_practice_folder_are_refused_for_every_document() {
    let (dir, folder, _k, opened) = practice();
    let store = &opened.store;
    let (client, _) = cleared_client(store, "Hostile Target");
    let rows = audit_rows(store);
    let before = files_in(folder.dir());

    // A link to the practice folder from outside it, and a file-sized link into it.
    let linked_dir = dir.path().join("innocent-folder");
    std::os::unix::fs::symlink(folder.dir(), &linked_dir).unwrap();
    let outside = dir.path().join("out");
    std::fs::create_dir(&outside).unwrap();
    for ext in ["pdf", "ics", "zip", "kapbackup"] {
        std::os::unix::fs::symlink(folder.db_path(), outside.join(format!("linked-file.{ext}")))
            .unwrap();
    }
    let dotdot = PathBuf::from(format!("{}/../practice/doc", outside.display()));

    for (how, path) in [
        ("directly", folder.dir().join("doc")),
        ("through ..", dotdot),
        ("through a symlinked folder", linked_dir.join("doc")),
        ("through a symlinked file", outside.join("linked-file")),
    ] {
        for (kind, result) in save_each(&folder, store, client, &path) {
            let err = result.expect_err(&format!("{kind} {how} was accepted"));
            assert!(
                matches!(&err, Error::Invalid(f) if f.has("path")),
                "{kind} {how}: {err:?}"
            );
            assert!(!format!("{err}").contains("Hostile"));
        }
    }
    // Nothing written, nothing recorded; the linked database is still a database.
    assert_eq!(audit_rows(store), rows);
    assert!(disclosures(store).is_empty());
    assert_eq!(files_in(folder.dir()), before);
    assert_eq!(files_in(&outside).len(), 4, "only the four links");
    kap_practice::store::verify_file(&folder.db_path(), {
        &kap_practice::key::KeyFile::read(&folder.key_path())
            .unwrap()
            .unwrap(&passphrase(PASSPHRASE))
            .unwrap()
    })
    .unwrap();
}

#[test]
fn each_saved_document_has_exactly_one_export_row_and_says_what_it_holds() {
    let (dir, folder, _k, opened) = practice();
    let store = &opened.store;
    let (client, _) = cleared_client(store, "Saved Documents");
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let rows = audit_rows(store);
    for (kind, result) in save_each(&folder, store, client, &out.join("doc")) {
        result.unwrap_or_else(|e| panic!("{kind}: {e:?}"));
    }
    calendar::save_ics(
        store,
        date(2026, 3, 1),
        date(2026, 4, 1),
        true,
        &out.join("named.ics"),
    )
    .unwrap();
    assert_eq!(audit_rows(store), rows + 5, "one row per saved file");
    assert_eq!(
        disclosures(store),
        vec![
            ("consent".into(), Some(client), true, false),
            ("schedule".into(), None, false, false),
            ("client_export".into(), Some(client), true, false),
            ("backup".into(), None, false, false),
            ("schedule".into(), None, true, false),
        ]
    );
    let names: Vec<String> = files_in(&out)
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        [
            "doc.ics",
            "doc.kapbackup",
            "doc.pdf",
            "doc.zip",
            "named.ics"
        ],
        "the files, and no partial file"
    );
    // The schedule's row is an export of the practice's schedule.
    let head = store
        .read(|c| kap_practice::audit::for_entity(c, EntityKind::Practice, 1, 1))
        .unwrap();
    assert_eq!(head[0].action, "export");
}

#[test]
fn a_failed_rename_or_a_failed_commit_leaves_no_file_and_no_row() {
    let (dir, _folder, _k, opened) = practice();
    let store = &opened.store;
    let (client, _) = cleared_client(store, "Failed Save");
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let rows = audit_rows(store);

    // The rename fails (a folder appears under the name while the file is written): the
    // audit row rolls back and the partial file goes.
    let target = out.join("renamed.pdf");
    let err = disclose::save(
        store,
        &target,
        "pdf",
        |_| Ok(()),
        |_, file, ()| {
            use std::io::Write;
            file.write_all(b"%PDF-1.7")?;
            std::fs::create_dir(&target).unwrap();
            std::fs::write(target.join("keep"), b"x").unwrap();
            Ok((
                (),
                Disclosure::export(
                    Document::Consent,
                    EntityKind::Consent,
                    client,
                    Some(client),
                    true,
                ),
            ))
        },
    )
    .unwrap_err();
    assert!(
        matches!(&err, Error::Invalid(f) if f.has("path")),
        "{err:?}"
    );
    assert!(
        target.join("keep").is_file(),
        "the folder in the way is untouched"
    );
    std::fs::remove_dir_all(&target).unwrap();
    assert_eq!(audit_rows(store), rows);
    assert!(files_in(&out).is_empty(), "no partial file");

    // The commit fails after the rename (the disclosure names a client that does not
    // exist, which the store checks at commit): the file goes again, and a file the save
    // was replacing is put back.
    let target = out.join("committed.pdf");
    std::fs::write(&target, b"the user's older file").unwrap();
    let err = disclose::save(
        store,
        &target,
        "pdf",
        |_| Ok(()),
        |_, file, ()| {
            use std::io::Write;
            file.write_all(b"%PDF-1.7 new")?;
            Ok((
                (),
                Disclosure::export(
                    Document::Consent,
                    EntityKind::Consent,
                    client,
                    Some(999_999),
                    true,
                ),
            ))
        },
    )
    .unwrap_err();
    assert!(matches!(err, Error::Database(_)), "{err:?}");
    assert_eq!(std::fs::read(&target).unwrap(), b"the user's older file");
    assert_eq!(
        files_in(&out),
        vec![target.clone()],
        "no partial, no kept copy"
    );
    assert_eq!(audit_rows(store), rows);
    assert!(disclosures(store).is_empty());

    // The same save with the right client replaces the file, with its row.
    PrintDocument::Consent { client_id: client }
        .save(store, &target, None)
        .unwrap();
    assert!(std::fs::read(&target).unwrap().starts_with(b"%PDF"));
    assert_eq!(files_in(&out), vec![target]);
    assert_eq!(audit_rows(store), rows + 1);
}

#[test]
fn reading_a_note_is_a_view_in_the_audit_log() {
    let (_d, _f, _k, opened) = practice();
    let store = &opened.store;
    let (client, _) = cleared_client(store, "Note Reader");
    let appointment = store
        .write(|w| {
            appointments::book(
                w,
                AppointmentInput {
                    course_reason: None,
                    kind: AppointmentKind::KapSession,
                    starts_local: date(2026, 3, 10).and_hms_opt(10, 0, 0).unwrap(),
                    duration_minutes: None,
                    location: Location::KapRoom,
                    location_note: None,
                    client_ids: vec![client],
                    notes: String::new(),
                },
            )
        })
        .unwrap();
    // No note yet: nothing to view, nothing written.
    let rows = audit_rows(store);
    assert_eq!(notes::open(store, appointment, client).unwrap(), None);
    assert_eq!(audit_rows(store), rows);

    let id = store
        .write(|w| notes::save_draft(w, appointment, client, NoteBody::Kap(Box::default())))
        .unwrap();
    let rows = audit_rows(store);
    let note = notes::open(store, appointment, client).unwrap().unwrap();
    assert_eq!(note.id, id);
    assert_eq!(audit_rows(store), rows + 1);
    let last = store
        .read(|c| kap_practice::audit::for_entity(c, EntityKind::SessionNote, id, 1))
        .unwrap();
    assert_eq!(last[0].action, Action::View.as_str());
}
