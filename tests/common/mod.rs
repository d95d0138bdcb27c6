//! Shared set-up for the core's integration tests: real encrypted files in temp dirs.
#![allow(dead_code)]
#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

use chrono::NaiveDate;
use kap_practice::folder::{Opened, PracticeFolder};
use kap_practice::key::{KdfParams, Keychain, Passphrase};
use kap_practice::practice::NewPractice;
use std::sync::Arc;

pub const PASSPHRASE: &str = "quiet river morning 42";

pub fn passphrase(s: &str) -> Passphrase {
    Passphrase::new(s.to_owned()).expect("test passphrases are long enough")
}

pub fn mock_keychain() -> Keychain {
    Keychain::from_store(keyring_core::mock::Store::new().expect("mock store"))
}

pub fn new_practice() -> NewPractice {
    NewPractice {
        practice_name: "Union Square KAP".into(),
        therapist_name: "Dana Whitfield".into(),
        credentials: "LCSW".into(),
    }
}

/// A fresh practice in a temp dir, opened, with a mock keychain. Argon2id at the floor
/// (64 MiB, 3 passes) rather than calibrated, so that the many unlocks of the tests stay
/// quick; `tests/custody.rs` checks the calibrated path.
pub fn practice() -> (tempfile::TempDir, PracticeFolder, Keychain, Opened) {
    let dir = tempfile::tempdir().expect("temp dir");
    let folder = PracticeFolder::new(dir.path().join("practice"));
    let keychain = mock_keychain();
    let opened = folder
        .create_with_kdf(
            &new_practice(),
            &passphrase(PASSPHRASE),
            &keychain,
            KdfParams::default(),
        )
        .expect("create practice");
    (dir, folder, keychain, opened)
}

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).expect("date")
}

/// Every byte of the files in `dir`, concatenated (database, WAL, key file ...).
pub fn all_bytes(dir: &std::path::Path) -> Vec<u8> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let p = entry.expect("entry").path();
        if p.is_file() {
            out.extend(std::fs::read(&p).expect("read file"));
        }
    }
    out
}

pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

pub fn arc_clock(
    t: chrono::DateTime<chrono::Utc>,
) -> Arc<dyn Fn() -> chrono::DateTime<chrono::Utc> + Send + Sync> {
    Arc::new(move || t)
}

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

/// A prescriber and a client cleared from Jan 20 to Jul 9, 2026: both intakes cleared,
/// a clean screening, a prescription and the current consent. Returns (client, prescriber).
pub fn cleared_client(store: &kap_practice::store::Store, name: &str) -> (i64, i64) {
    use kap_practice::intakes::{self, Answer, IntakeInput, IntakeKind, IntakeOutcome};
    use kap_practice::{clients, consent, prescribers, prescriptions};
    store
        .write(|w| {
            let mut c = clients::ClientInput::named(name);
            c.date_of_birth = Some(date(1988, 8, 8));
            c.status = clients::ClientStatus::Active;
            let client = clients::create(w, c, today())?;
            let p = prescribers::create(
                w,
                prescribers::PrescriberInput {
                    name: format!("Prescriber for {client}"),
                    credentials: prescribers::Credential::Np,
                    npi: "1234567893".into(),
                    phone: None,
                    email: None,
                    practice: None,
                },
            )?;
            let intake = |kind, date, prescriber_id| IntakeInput {
                kind,
                date,
                clinician: "Dana Whitfield".into(),
                prescriber_id,
                duration_minutes: 60,
                outcome: IntakeOutcome::Cleared,
                notes: String::new(),
            };
            intakes::create(
                w,
                client,
                intake(IntakeKind::MentalHealth, date(2026, 1, 10), None),
                today(),
            )?;
            let medical = intakes::create(
                w,
                client,
                intake(IntakeKind::Medical, date(2026, 1, 20), Some(p)),
                today(),
            )?;
            let answers = intakes::list_items(w.conn())?
                .into_iter()
                .filter(|i| i.enabled)
                .map(|i| intakes::ScreeningAnswerInput {
                    item_id: i.id,
                    answer: Answer::No,
                    note: None,
                    override_: None,
                })
                .collect();
            intakes::record_screening(
                w,
                medical,
                intakes::ScreeningInput {
                    screened_on: date(2026, 1, 20),
                    answers,
                },
                today(),
            )?;
            prescriptions::create(
                w,
                client,
                prescriptions::PrescriptionInput {
                    prescriber_id: p,
                    date: date(2026, 1, 20),
                    formulation: prescriptions::Formulation::SublingualLozenge,
                    strength_mg: 100,
                    quantity: 4,
                    directions: "In session only.".into(),
                    pharmacy: "Union Square Compounding".into(),
                    cost: kap_practice::Cents(10_000),
                },
                today(),
            )?;
            consent::record(
                w,
                client,
                consent::ConsentInput {
                    form_version: consent::current().version,
                    signed_on: date(2026, 1, 20),
                    typed_name: name.into(),
                    witness: "Dana Whitfield".into(),
                },
                today(),
                false,
            )?;
            Ok((client, p))
        })
        .expect("cleared client")
}

/// What the command-line tool printed and returned, run in-process as the binary runs it.
pub struct CliRun {
    pub code: i32,
    pub out: String,
    pub err: String,
}

/// Runs `kap-practice <args>` in-process with `stdin` (not a terminal) and `keychain`.
pub fn cli_run(args: &[&str], stdin: &str, keychain: &Keychain) -> CliRun {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let mut input = std::io::Cursor::new(stdin.as_bytes().to_vec());
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let mut io = kap_practice::cli::Io {
        stdin: &mut input,
        stdout: &mut out,
        stderr: &mut err,
        terminal: false,
    };
    let code = kap_practice::cli::run(&args, &mut io, keychain);
    CliRun {
        code,
        out: String::from_utf8(out).expect("the tool prints text"),
        err: String::from_utf8(err).expect("the tool prints text"),
    }
}

/// A KAP note with everything signing needs: vitals before and after, the dose (2 × 100 mg
/// at 10:30), a 70-minute journey and the discharge time.
pub fn full_note() -> kap_practice::notes::NoteBody {
    kap_note("To meet my grief with kindness.")
}

/// [`full_note`] with this intention, and the therapist's observations.
pub fn kap_note(intention: &str) -> kap_practice::notes::NoteBody {
    use kap_practice::notes::{KapNote, NoteBody, Vitals};
    let mut n = KapNote {
        intention: intention.into(),
        observations: "Calm; long silences; tears near the end.".into(),
        ..Default::default()
    };
    n.pre_check.vitals = Vitals {
        systolic: Some(122),
        diastolic: Some(78),
        heart_rate: Some(70),
    };
    n.pre_check.ride_home_arranged = true;
    n.dose.strength_mg = Some(100);
    n.dose.count = Some(2);
    n.dose.taken_at = chrono::NaiveTime::from_hms_opt(10, 30, 0);
    n.journey_start = chrono::NaiveTime::from_hms_opt(10, 40, 0);
    n.journey_end = chrono::NaiveTime::from_hms_opt(11, 50, 0);
    n.peak_at = chrono::NaiveTime::from_hms_opt(11, 10, 0);
    n.peak_vitals = Vitals {
        systolic: Some(134),
        diastolic: Some(84),
        heart_rate: Some(76),
    };
    n.post_vitals = Vitals {
        systolic: Some(128),
        diastolic: Some(80),
        heart_rate: Some(72),
    };
    n.discharge.at = chrono::NaiveTime::from_hms_opt(13, 0, 0);
    NoteBody::Kap(Box::new(n))
}

/// Runs a poppler tool (`pdftotext`, `pdfinfo`, ...) on a PDF and returns its output;
/// `pdftotext` writes to standard output.
pub fn tool(name: &str, args: &[&str], path: &std::path::Path) -> String {
    let mut cmd = std::process::Command::new(name);
    cmd.args(args).arg(path);
    if name == "pdftotext" {
        cmd.arg("-");
    }
    let out = cmd.output().expect("the tool runs");
    assert!(out.status.success(), "{name} reads {}", path.display());
    String::from_utf8(out.stdout).expect("text")
}
