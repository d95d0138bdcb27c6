//! A demo practice: realistic made-up data, the same for the same seed, in an initialised
//! practice. `kap-practice demo` and `scripts/run --demo` make one to try the app on; the
//! decade benchmark (`benches/decade.rs`) and `scripts/bench-start` measure the app on the
//! decade size.
//!
//! One plan for every size. Clients (names from the `fake` crate in English, French,
//! Brazilian Portuguese and German, so many carry accents) come in through an inquiry and a
//! mental-health intake; most go on to a medical intake with one of the prescribers (a
//! contraindication screening, a prescription, the consent) and a course of KAP sessions,
//! each followed by an integration session, then psychotherapy and, years on, another
//! round with fresh intakes; others come for psychotherapy only. Questionnaires (PHQ-9,
//! GAD-7, the PCL-5 for PTSD) are taken at the intake and at each KAP session and improve
//! as the course goes on. Sessions that have ended are completed (a few cancelled or
//! missed), their notes signed with generated free text (a few amended, the last days'
//! still to sign), invoiced and mostly paid; bookings go on three weeks past `today`.
//!
//! Everything is written through the core's own functions (the records, the notes, the
//! charges, invoices and payments, the follow-ups), so each row has the audit row the app
//! would give it, except one step at the larger sizes: a solo therapist cannot hold 60,000
//! appointments in ten years without overlaps (16 a day, every day), so `Decade` and
//! `Scaled` book an appointment with the SQL `appointments::book` runs, without its time
//! check, where no free hour is left. `Small` books every appointment through
//! `appointments::book` (the clearance, time and course rules all apply).
//!
//! Nothing is logged or printed; the caller prints the counts.

mod text;

use crate::appointments::{self, AppointmentInput, AppointmentKind, AppointmentStatus, Location};
use crate::audit::{Action, EntityKind};
use crate::billing::{self, PaymentMethod};
use crate::clients::{
    self, AgreedFee, ClientInput, ClientStatus, EmergencyContact, FeeArrangement, FeeKind,
    PresentingConcern,
};
use crate::intakes::{self, Answer, IntakeInput, IntakeKind, IntakeOutcome};
use crate::measures::{self, Instrument, MeasureInput, MeasureSource};
use crate::notes::{self, IntegrationNote, KapNote, NoteBody, Vitals};
use crate::practice::{self, Service};
use crate::prescribers::{self, Credential, PrescriberInput};
use crate::prescriptions::{self, Formulation, PrescriptionInput};
use crate::store::col::stamp;
use crate::store::{Connection, Writer};
use crate::{consent, followups, Cents, Error, Result};
use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveTime, Timelike, Utc, Weekday};
use chrono_tz::Tz;
use fake::Fake;
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use rusqlite::params;
use std::collections::HashMap;

/// A decade of a busy practice: 5,000 clients ...
pub const DECADE_CLIENTS: u32 = 5_000;
/// ... and about 60,000 appointments, nearly all completed with signed notes.
pub const DECADE_APPOINTMENTS: u32 = 60_000;
/// The seed `kap-practice demo` uses: the same practice every time.
pub const DEFAULT_SEED: u64 = 2016;
/// How far past `today` appointments are booked.
pub const BOOKED_AHEAD_DAYS: u64 = 21;

/// How big a practice to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DemoSize {
    /// About 40 clients over a year, a few hundred appointments, each booked through
    /// `appointments::book`: exactly what the app would store.
    Small,
    /// 5,000 clients and about 60,000 appointments over ten years.
    Decade,
    /// Any number of clients and appointments over some years. The benchmarks' tenth of
    /// the decade is its first year (500 clients, 6,000 appointments in one year): the same
    /// practice, as busy every week, with a tenth of the history, so that its growth
    /// figures measure history and not a fuller week.
    Scaled {
        clients: u32,
        appointments: u32,
        years: u32,
    },
}

impl DemoSize {
    fn clients(self) -> u32 {
        match self {
            DemoSize::Small => 40,
            DemoSize::Decade => DECADE_CLIENTS,
            DemoSize::Scaled { clients, .. } => clients,
        }
    }

    fn appointments(self) -> u32 {
        match self {
            DemoSize::Small => 420,
            DemoSize::Decade => DECADE_APPOINTMENTS,
            DemoSize::Scaled { appointments, .. } => appointments,
        }
    }

    fn years(self) -> u32 {
        match self {
            DemoSize::Small => 1,
            DemoSize::Decade => 10,
            DemoSize::Scaled { years, .. } => years.max(1),
        }
    }

    /// Whether an appointment that finds no free hour is still booked (overlapping).
    fn crowded(self) -> bool {
        !matches!(self, DemoSize::Small)
    }

    /// `small` or `decade`, as the command line names them.
    pub fn parse(s: &str) -> Option<DemoSize> {
        match s {
            "small" => Some(DemoSize::Small),
            "decade" => Some(DemoSize::Decade),
            _ => None,
        }
    }
}

/// What to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoOptions {
    pub size: DemoSize,
    pub seed: u64,
    /// The practice's today: the data runs up to it and is booked a few weeks past it.
    /// Sessions are completed up to the earlier of noon on this day and the write's time.
    pub today: NaiveDate,
}

impl DemoOptions {
    pub fn new(size: DemoSize, today: NaiveDate) -> DemoOptions {
        DemoOptions {
            size,
            seed: DEFAULT_SEED,
            today,
        }
    }
}

/// What a practice holds, counted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DemoCounts {
    pub clients: i64,
    pub prescribers: i64,
    pub intakes: i64,
    pub prescriptions: i64,
    pub appointments: i64,
    pub completed: i64,
    pub scheduled: i64,
    pub signed_notes: i64,
    pub amendments: i64,
    pub measures: i64,
    pub invoices: i64,
    pub payments: i64,
    /// Invoices with a balance still owed.
    pub owing: i64,
}

impl DemoCounts {
    /// Name and count, in the order printed.
    pub fn rows(&self) -> [(&'static str, i64); 13] {
        [
            ("clients", self.clients),
            ("prescribers", self.prescribers),
            ("intakes", self.intakes),
            ("prescriptions", self.prescriptions),
            ("appointments", self.appointments),
            ("completed", self.completed),
            ("scheduled", self.scheduled),
            ("signed notes", self.signed_notes),
            ("amendments", self.amendments),
            ("questionnaires", self.measures),
            ("invoices", self.invoices),
            ("payments", self.payments),
            ("invoices owing", self.owing),
        ]
    }
}

/// Counts what a practice holds.
pub fn counts(conn: &Connection) -> Result<DemoCounts> {
    let n = |sql: &str| -> Result<i64> { Ok(conn.query_row(sql, [], |r| r.get(0))?) };
    Ok(DemoCounts {
        clients: n("SELECT count(*) FROM client")?,
        prescribers: n("SELECT count(*) FROM prescriber")?,
        intakes: n("SELECT count(*) FROM intake")?,
        prescriptions: n("SELECT count(*) FROM prescription")?,
        appointments: n("SELECT count(*) FROM appointment")?,
        completed: n("SELECT count(*) FROM appointment WHERE status = 'completed'")?,
        scheduled: n("SELECT count(*) FROM appointment WHERE status = 'scheduled'")?,
        signed_notes: n("SELECT count(*) FROM session_note WHERE signed_at IS NOT NULL")?,
        amendments: n("SELECT count(*) FROM amendment")?,
        measures: n("SELECT count(*) FROM measure")?,
        invoices: n("SELECT count(*) FROM invoice")?,
        payments: n("SELECT count(*) FROM payment")?,
        owing: n("SELECT count(*) FROM invoice i WHERE i.status = 'open'
              AND (SELECT coalesce(sum(amount_cents), 0) FROM invoice_line WHERE invoice_id = i.id)
                > (SELECT coalesce(sum(amount_cents), 0) FROM payment WHERE invoice_id = i.id)")?,
    })
}

/// Fills an initialised practice (settings row present, no clients yet) with a demo
/// practice. Deterministic for a seed and a `today`, whatever the time zone of the machine.
pub fn fill(w: &mut Writer<'_>, opts: &DemoOptions) -> Result<DemoCounts> {
    let existing: i64 = w
        .conn()
        .query_row("SELECT count(*) FROM client", [], |r| r.get(0))?;
    if existing > 0 {
        return Err(Error::Conflict(
            "A demo practice is made in a new practice only.".into(),
        ));
    }
    let mut g = Gen::new(w, opts)?;
    g.settings(w)?;
    g.prescribers(w)?;
    let mut plans = g.plan_clients();
    let events = g.plan_events(&mut plans);
    for (_, p) in &plans {
        let id = clients::create(w, p.input.clone(), opts.today)?;
        g.client_ids.push(id);
        g.state.push(ClientState::default());
    }
    for e in events {
        g.event(w, &plans, e)?;
    }
    g.records_rights(w)?;
    counts(w.conn())
}

/// A client as planned.
struct Plan {
    input: ClientInput,
    kap: bool,
    ptsd: bool,
    /// How unwell at the start: the questionnaires' mean item answer, 0 to 3.
    baseline: f64,
    /// Pay what you can: the share of the usual fee paid, in percent.
    pwyc_percent: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum What {
    MhIntake,
    Medical,
    Kap,
    Integration,
    Psychotherapy,
}

#[derive(Debug, Clone, Copy)]
struct Event {
    day: NaiveDate,
    client: usize,
    seq: u32,
    what: What,
}

#[derive(Default)]
struct ClientState {
    /// No further events: a step the rest depends on did not happen.
    stopped: bool,
    last_day: Option<NaiveDate>,
    /// The prescription in force (formulation, strength), once a medical intake is done.
    rx: Option<(Formulation, u32)>,
    consented: bool,
    kap_done: u32,
    sessions_done: u32,
}

struct Gen {
    rng: ChaCha8Rng,
    size: DemoSize,
    today: NaiveDate,
    tz: Tz,
    /// Sessions that end by this time are over.
    cutoff: DateTime<Utc>,
    therapist: String,
    prescribers: Vec<(i64, String)>,
    client_ids: Vec<i64>,
    state: Vec<ClientState>,
    /// The therapist's booked minutes (from midnight, local) per day.
    busy: HashMap<NaiveDate, Vec<(u32, u32)>>,
}

fn internal(what: &'static str) -> Error {
    Error::Internal(what)
}

fn hm(minutes: u32) -> Result<NaiveTime> {
    NaiveTime::from_hms_opt((minutes / 60) % 24, minutes % 60, 0).ok_or(internal("a time"))
}

fn add_days(d: NaiveDate, n: u64) -> NaiveDate {
    d.checked_add_days(Days::new(n)).unwrap_or(d)
}

/// The weekday on or after `d`.
fn weekday_from(d: NaiveDate) -> NaiveDate {
    match d.weekday() {
        Weekday::Sat => add_days(d, 2),
        Weekday::Sun => add_days(d, 1),
        _ => d,
    }
}

/// Letters and digits of `s` without accents, lower case: for e-mail addresses.
fn ascii_fold(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    s.nfd()
        .filter(|c| c.is_ascii_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// A made-up NPI with a valid check digit.
fn npi(rng: &mut ChaCha8Rng) -> String {
    let body: String = (0..9)
        .map(|i| {
            let d = if i == 0 { 1 } else { rng.random_range(0..10) };
            char::from(b'0' + d as u8)
        })
        .collect();
    (0..10)
        .map(|d| format!("{body}{d}"))
        .find(|n| practice::is_valid_npi(n))
        .unwrap_or_else(|| format!("{body}0"))
}

/// A first and last name in one of the locales, by number.
fn person(rng: &mut ChaCha8Rng, locale: u32) -> (String, String) {
    use fake::faker::name::raw::{FirstName, LastName};
    use fake::locales::{DE_DE, EN, FR_FR, PT_BR};
    match locale {
        1 => (
            FirstName(FR_FR).fake_with_rng(rng),
            LastName(FR_FR).fake_with_rng(rng),
        ),
        2 => (
            FirstName(PT_BR).fake_with_rng(rng),
            LastName(PT_BR).fake_with_rng(rng),
        ),
        3 => (
            FirstName(DE_DE).fake_with_rng(rng),
            LastName(DE_DE).fake_with_rng(rng),
        ),
        _ => (
            FirstName(EN).fake_with_rng(rng),
            LastName(EN).fake_with_rng(rng),
        ),
    }
}

fn locale(rng: &mut ChaCha8Rng) -> u32 {
    match rng.random_range(0..10) {
        0..=3 => 0,
        4..=5 => 1,
        6..=7 => 2,
        _ => 3,
    }
}

fn phone(rng: &mut ChaCha8Rng) -> String {
    let area = ["212", "646", "917", "718", "347", "929"][rng.random_range(0..6)];
    format!("({area}) 555-01{:02}", rng.random_range(0..100))
}

fn pick<T: Copy>(rng: &mut ChaCha8Rng, xs: &[T]) -> T {
    xs[rng.random_range(0..xs.len())]
}

impl Gen {
    fn new(w: &Writer<'_>, opts: &DemoOptions) -> Result<Gen> {
        let settings = practice::get(w.conn())?;
        let tz = settings.tz();
        let now = w.now();
        let real_today = settings.today(now);
        let noon = appointments::time::to_utc(
            tz,
            opts.today
                .and_time(NaiveTime::from_hms_opt(12, 0, 0).unwrap_or_default()),
        )
        .map_err(|_| internal("noon"))?;
        let cutoff = if opts.today < real_today {
            noon
        } else {
            noon.min(now)
        };
        Ok(Gen {
            rng: ChaCha8Rng::seed_from_u64(opts.seed),
            size: opts.size,
            today: opts.today,
            tz,
            cutoff,
            therapist: practice::name_without_credentials(
                &settings.therapist_name,
                &settings.credentials,
            ),
            prescribers: Vec::new(),
            client_ids: Vec::new(),
            state: Vec::new(),
            busy: HashMap::new(),
        })
    }

    /// The practice's details and the fees the schedule leaves to the practice.
    fn settings(&mut self, w: &mut Writer<'_>) -> Result<()> {
        let mut s = practice::get(w.conn())?;
        s.address = "41 Demo Place, Suite 3\nNew York, NY 10003".into();
        s.phone = "(212) 555-0190".into();
        s.ny_license_number = "R012345".into();
        s.npi = npi(&mut self.rng);
        s.ein = "12-3456789".into();
        for f in &mut s.fee_schedule {
            let cents = match f.service {
                Service::GroupSession => Some(25_000),
                Service::IntegrationSession | Service::Psychotherapy => Some(20_000),
                _ => f.cents.map(|c| c.0),
            };
            f.cents = cents.map(Cents);
        }
        practice::update(w, s)?;
        Ok(())
    }

    fn prescribers(&mut self, w: &mut Writer<'_>) -> Result<()> {
        let clinics = [
            ("Gramercy Integrative Psychiatry", Credential::Md),
            ("Chelsea Ketamine Medicine", Credential::Do),
            ("Flatiron Psychiatric Nurse Practitioners", Credential::Np),
            ("Hudson Street Medical", Credential::Pa),
        ];
        for (clinic, credentials) in clinics {
            let loc = locale(&mut self.rng);
            let (first, last) = person(&mut self.rng, loc);
            let name = format!("{first} {last}");
            let email = format!("{}.{}@example.org", ascii_fold(&first), ascii_fold(&last));
            let id = prescribers::create(
                w,
                PrescriberInput {
                    name: name.clone(),
                    credentials,
                    npi: npi(&mut self.rng),
                    phone: Some(phone(&mut self.rng)),
                    email: Some(email),
                    practice: Some(clinic.into()),
                },
            )?;
            self.prescribers.push((id, name));
        }
        Ok(())
    }

    /// The records rights a practice keeps, after the care is all in: the notice of
    /// privacy practices (revised on the first day) and most clients' acknowledgments of
    /// it (every fifth declined), private process notes for every fourth completed
    /// psychotherapy session, a few access requests (fulfilled) and disclosures entered
    /// by hand. Its own random numbers, so the care before it is the same as without it.
    fn records_rights(&mut self, w: &mut Writer<'_>) -> Result<()> {
        use crate::records::accounting::{self, EntryInput, Purpose, RecipientKind};
        use crate::records::notice::{self, AcknowledgmentInput, Notice};
        use crate::records::{access, Acknowledgment};
        let mut rng = ChaCha8Rng::seed_from_u64(self.rng.random::<u64>() ^ 0x7265_636f_7264);
        let first = self.first_day();
        notice::set(
            w,
            &Notice {
                text: "# Notice of Privacy Practices\n\nThis notice describes how \
                       information about you may be used and disclosed.\n\n## Your rights\n\n\
                       - To see and copy your record\n- To an accounting of disclosures"
                    .into(),
                revised_on: Some(first),
            },
            self.today,
        )?;
        for (i, &client) in self.client_ids.iter().enumerate() {
            let Some(last) = self.state[i].last_day else {
                continue;
            };
            let on = last.min(self.today).max(first);
            if i % 5 != 4 {
                let declined = rng.random_range(0..5) == 0;
                notice::acknowledge(
                    w,
                    client,
                    AcknowledgmentInput {
                        on,
                        outcome: if declined {
                            Acknowledgment::Declined
                        } else {
                            Acknowledgment::Signed
                        },
                        note: declined.then(|| "Offered at the intake; would not sign.".into()),
                    },
                    self.today,
                )?;
            }
            if i % 40 == 7 {
                let id = access::log(
                    w,
                    client,
                    access::AccessRequestInput {
                        received_on: on,
                        requested_by: access::Requester::Client,
                        representative: None,
                        access: access::AccessKind::Copy,
                        records: "The whole record".into(),
                        format: access::AccessFormat::Pdf,
                        delivery: access::Delivery::Email,
                    },
                    self.today,
                )?;
                access::fulfil(
                    w,
                    id,
                    &access::FulfilInput {
                        on,
                        note: "Sent the record PDF by secure email.".into(),
                        pages: Some(rng.random_range(5..40)),
                        fee_cents: None,
                        fee_waived: true,
                    },
                    self.today,
                )?;
            }
            if i % 60 == 11 {
                accounting::add_entry(
                    w,
                    client,
                    EntryInput {
                        disclosed_on: on,
                        recipient_kind: RecipientKind::Other,
                        recipient: "County Department of Health".into(),
                        information: "Report of a communicable disease".into(),
                        purpose: Purpose::PublicHealth,
                        purpose_note: None,
                        authorization_id: None,
                    },
                    self.today,
                )?;
            }
        }
        let mut stmt = w.conn().prepare(
            "SELECT a.id, t.client_id FROM appointment a
             JOIN appointment_attendee t ON t.appointment_id = a.id
             WHERE a.kind = 'psychotherapy' AND a.status = 'completed' ORDER BY a.id",
        )?;
        let sessions = stmt
            .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        drop(stmt);
        for (n, (appointment, client)) in sessions.into_iter().enumerate() {
            if n % 4 == 0 {
                let text = text::process_note(&mut rng);
                crate::notes::process::save(w, appointment, client, &text)?;
            }
        }
        Ok(())
    }

    fn first_day(&self) -> NaiveDate {
        self.today
            .checked_sub_days(Days::new(u64::from(self.size.years()) * 365 + 2))
            .unwrap_or(self.today)
    }

    fn plan_clients(&mut self) -> Vec<(NaiveDate, Plan)> {
        let first = self.first_day();
        let span = (self.today - first).num_days().max(8) - 7;
        let rng = &mut self.rng;
        let mut plans = Vec::new();
        for _ in 0..self.size.clients() {
            let start = add_days(first, rng.random_range(0..span) as u64);
            let loc = locale(rng);
            let (first_name, last) = person(rng, loc);
            let preferred = rng.random_bool(0.2).then(|| person(rng, loc).0);
            let age = rng.random_range(22..70);
            let dob = NaiveDate::from_ymd_opt(
                start.year() - age,
                rng.random_range(1..13),
                rng.random_range(1..29),
            );
            let kap = rng.random_bool(0.65);
            let concerns: Vec<PresentingConcern> = if kap {
                vec![
                    pick(
                        rng,
                        &[
                            PresentingConcern::TreatmentResistantDepression,
                            PresentingConcern::Depression,
                            PresentingConcern::Ptsd,
                            PresentingConcern::Anxiety,
                            PresentingConcern::Ocd,
                            PresentingConcern::SubstanceUse,
                        ],
                    ),
                    pick(
                        rng,
                        &[
                            PresentingConcern::Anxiety,
                            PresentingConcern::Ptsd,
                            PresentingConcern::Depression,
                        ],
                    ),
                ]
            } else {
                vec![pick(
                    rng,
                    &[
                        PresentingConcern::Burnout,
                        PresentingConcern::Identity,
                        PresentingConcern::LifeTransition,
                        PresentingConcern::Stagnation,
                        PresentingConcern::Anxiety,
                        PresentingConcern::Depression,
                    ],
                )]
            };
            let ptsd = concerns.contains(&PresentingConcern::Ptsd);
            let (ec_first, ec_last) = person(rng, loc);
            let mut fee_arrangement = FeeArrangement::default();
            let mut pwyc_percent = None;
            match rng.random_range(0..100) {
                0..=13 => {
                    fee_arrangement = FeeArrangement {
                        kind: FeeKind::SlidingScale,
                        agreed: vec![
                            AgreedFee {
                                service: Service::KapSession,
                                cents: Cents(rng.random_range(14..21) * 2_500),
                            },
                            AgreedFee {
                                service: Service::IntegrationSession,
                                cents: Cents(rng.random_range(18..31) * 500),
                            },
                            AgreedFee {
                                service: Service::Psychotherapy,
                                cents: Cents(rng.random_range(18..31) * 500),
                            },
                        ],
                        note: Some("Agreed at the intake; reviewed yearly.".into()),
                    }
                }
                14..=19 => {
                    fee_arrangement = FeeArrangement {
                        kind: FeeKind::PayWhatYouCan,
                        agreed: Vec::new(),
                        note: Some("Pay what you can, visit by visit.".into()),
                    };
                    pwyc_percent = Some(rng.random_range(25..80));
                }
                _ => {}
            }
            let domain = pick(rng, &["example.com", "example.org", "example.net"]);
            let input = ClientInput {
                email: Some(format!(
                    "{}.{}{}@{domain}",
                    ascii_fold(&first_name),
                    ascii_fold(&last),
                    rng.random_range(1..100)
                )),
                phone: Some(phone(rng)),
                preferred_name: preferred,
                pronouns: Some(pick(rng, &["she/her", "she/her", "he/him", "they/them"]).into()),
                date_of_birth: dob,
                address: Some(format!(
                    "{} {} Street\nNew York, NY {}",
                    rng.random_range(1..400),
                    pick(
                        rng,
                        &[
                            "East 14th",
                            "West 4th",
                            "Bleecker",
                            "Grand",
                            "Orchard",
                            "Spring",
                            "Bedford",
                            "Court",
                            "Atlantic",
                            "Union"
                        ]
                    ),
                    pick(rng, &["10003", "10011", "10009", "10012", "11201", "11211"])
                )),
                emergency_contact: EmergencyContact {
                    name: Some(format!("{ec_first} {ec_last}")),
                    relation: Some(
                        pick(
                            rng,
                            &["Partner", "Sister", "Brother", "Friend", "Mother", "Father"],
                        )
                        .into(),
                    ),
                    phone: Some(phone(rng)),
                },
                referral_source: Some(
                    pick(
                        rng,
                        &[
                            "Psychology Today",
                            "Referred by a prescriber",
                            "A friend",
                            "A former client",
                            "Primary care physician",
                            "The practice's website",
                        ],
                    )
                    .into(),
                ),
                presenting_concerns: concerns,
                fee_arrangement,
                status: ClientStatus::Active,
                ..ClientInput::named(&format!("{first_name} {last}"))
            };
            plans.push((
                start,
                Plan {
                    input,
                    kap,
                    ptsd,
                    baseline: rng.random_range(1.3..2.6),
                    pwyc_percent,
                },
            ));
        }
        // Clients are numbered in the order they came.
        plans.sort_by_key(|(start, _)| *start);
        plans
    }

    /// Every client's path, as wished for, in date order; times are found as they are
    /// booked. Sets each client's status from where the path ends.
    fn plan_events(&mut self, plans: &mut [(NaiveDate, Plan)]) -> Vec<Event> {
        let horizon = add_days(self.today, BOOKED_AHEAD_DAYS);
        let per_client =
            f64::from(self.size.appointments()) / f64::from(self.size.clients().max(1)) * 1.08;
        let rng = &mut self.rng;
        let mut events = Vec::new();
        let done_before = self
            .today
            .checked_sub_days(Days::new(45))
            .unwrap_or(self.today);
        for (client, (start, plan)) in plans.iter_mut().enumerate() {
            let budget = (per_client * rng.random_range(0.5..1.5)).round().max(3.0) as u32;
            let mut mine: Vec<(NaiveDate, What)> = Vec::new();
            let mut day = *start;
            let mut count = 0u32;
            let mut round = 0;
            let gap = |rng: &mut ChaCha8Rng, lo: u64, hi: u64, d: NaiveDate| {
                add_days(d, rng.random_range(lo..hi))
            };
            loop {
                mine.push((day, What::MhIntake));
                count += 1;
                if plan.kap && rng.random_bool(if round == 0 { 0.95 } else { 0.6 }) {
                    day = gap(rng, 6, 12, day);
                    mine.push((day, What::Medical));
                    day = gap(rng, 6, 14, day);
                    let sessions = if round == 0 {
                        rng.random_range(3..7)
                    } else {
                        rng.random_range(2..4)
                    };
                    for _ in 0..sessions {
                        mine.push((day, What::Kap));
                        mine.push((gap(rng, 2, 5, day), What::Integration));
                        count += 2;
                        day = add_days(day, 14);
                        if count >= budget {
                            break;
                        }
                    }
                }
                let weekly = rng.random_bool(0.5);
                let block = rng.random_range(3..12);
                for _ in 0..block {
                    if count >= budget {
                        break;
                    }
                    mine.push((day, What::Psychotherapy));
                    count += 1;
                    day = add_days(day, if weekly { 7 } else { 14 });
                }
                if count >= budget {
                    break;
                }
                day = gap(rng, 30, 400, day);
                round += 1;
            }
            let mut last = *start;
            for (seq, (day, what)) in (0u32..).zip(mine) {
                if day > horizon {
                    break;
                }
                last = day;
                events.push(Event {
                    day,
                    client,
                    seq,
                    what,
                });
            }
            if last < done_before {
                plan.input.status = ClientStatus::Completed;
            }
        }
        events.sort_by_key(|e| (e.day, e.client, e.seq));
        events
    }

    /// A free start on `day` or one of the next weekdays, as (day, minutes from midnight);
    /// in a crowded practice a start on the wished day whatever else is booked then.
    fn slot(&mut self, wished: NaiveDate, minutes: u32, kap: bool) -> Option<(NaiveDate, u32)> {
        let starts: Vec<u32> = if kap {
            vec![9 * 60 + 30, 13 * 60, 10 * 60]
        } else {
            (0..20).map(|i| 9 * 60 + i * 30).collect()
        };
        let first = self.rng.random_range(0..starts.len());
        let mut day = weekday_from(wished);
        for _ in 0..5 {
            let busy = self.busy.entry(day).or_default();
            for i in 0..starts.len() {
                let s = starts[(first + i) % starts.len()];
                let e = s + minutes;
                if e > 19 * 60 + 30 {
                    continue;
                }
                if busy.iter().all(|&(bs, be)| e <= bs || s >= be) {
                    busy.push((s, e));
                    return Some((day, s));
                }
            }
            day = weekday_from(add_days(day, 1));
        }
        if self.size.crowded() {
            let day = weekday_from(wished);
            let s = starts[first].min(19 * 60 + 30 - minutes.min(10 * 60));
            self.busy.entry(day).or_default().push((s, s + minutes));
            return Some((day, s));
        }
        None
    }

    fn event(&mut self, w: &mut Writer<'_>, plans: &[(NaiveDate, Plan)], e: Event) -> Result<()> {
        let client = self.client_ids[e.client];
        let st = &self.state[e.client];
        if st.stopped {
            return Ok(());
        }
        let wished = match st.last_day {
            Some(last) if last >= e.day => add_days(last, 1),
            _ => e.day,
        };
        let plan = &plans[e.client].1;
        match e.what {
            What::Medical => {
                let day = weekday_from(wished);
                if day > self.today {
                    self.state[e.client].stopped = true;
                    return Ok(());
                }
                self.medical(w, e.client, client, day)?;
                self.state[e.client].last_day = Some(day);
                self.invoice(w, plan, client, day)?;
            }
            What::Kap if self.state[e.client].rx.is_none() => {}
            what => {
                let (kind, minutes, location) = match what {
                    What::MhIntake => (AppointmentKind::MentalHealthIntake, 60, Location::Other),
                    What::Kap => (AppointmentKind::KapSession, 180, Location::KapRoom),
                    What::Integration => (
                        AppointmentKind::IntegrationSession,
                        60,
                        if self.rng.random_bool(0.6) {
                            Location::Telehealth
                        } else {
                            Location::Other
                        },
                    ),
                    _ => (
                        AppointmentKind::Psychotherapy,
                        53,
                        if self.rng.random_bool(0.5) {
                            Location::Telehealth
                        } else {
                            Location::Other
                        },
                    ),
                };
                let Some((day, start)) = self.slot(wished, minutes, what == What::Kap) else {
                    // No free hour: an intake not held stops what depends on it.
                    if what == What::MhIntake {
                        self.state[e.client].stopped = true;
                    }
                    return Ok(());
                };
                if day > add_days(self.today, BOOKED_AHEAD_DAYS) {
                    self.state[e.client].stopped = true;
                    return Ok(());
                }
                self.state[e.client].last_day = Some(day);
                self.appointment(
                    w, plan, e.client, client, what, kind, day, start, minutes, location,
                )?;
            }
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn appointment(
        &mut self,
        w: &mut Writer<'_>,
        plan: &Plan,
        index: usize,
        client: i64,
        what: What,
        kind: AppointmentKind,
        day: NaiveDate,
        start: u32,
        minutes: u32,
        location: Location,
    ) -> Result<()> {
        let local = day.and_time(hm(start)?);
        let starts_at =
            appointments::time::to_utc(self.tz, local).map_err(|_| internal("a start"))?;
        let ends_at = starts_at + chrono::Duration::minutes(i64::from(minutes));
        let location_note =
            (location == Location::Other).then(|| "Office, Union Square".to_owned());
        let id = if self.size.crowded() {
            w.conn().execute(
                "INSERT INTO appointment (kind, starts_at, ends_at, duration_minutes, location,
                    location_note, status, notes, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'scheduled', '', ?7, ?7)",
                params![
                    kind.as_str(),
                    stamp(starts_at),
                    stamp(ends_at),
                    minutes,
                    location.as_str(),
                    location_note,
                    stamp(w.now())
                ],
            )?;
            let id = w.conn().last_insert_rowid();
            w.conn().execute(
                "INSERT INTO appointment_attendee (appointment_id, client_id, attendance)
                 VALUES (?1, ?2, 'expected')",
                params![id, client],
            )?;
            w.audit(Action::Create, EntityKind::Appointment, id)?;
            id
        } else {
            appointments::book(
                w,
                AppointmentInput {
                    kind,
                    starts_local: local,
                    duration_minutes: Some(minutes),
                    location,
                    location_note,
                    client_ids: vec![client],
                    notes: String::new(),
                    course_reason: Some(
                        "Agreed with the client and the prescriber after a pause.".into(),
                    ),
                },
            )?
        };
        if ends_at > self.cutoff {
            if what == What::MhIntake && day > self.today {
                // The intake is still to come: nothing after it is booked yet.
                self.state[index].stopped = true;
            }
            return Ok(());
        }
        let roll = self.rng.random_range(0..1000);
        let status = match what {
            What::Psychotherapy | What::Integration if roll < 30 => AppointmentStatus::Cancelled,
            What::Psychotherapy | What::Integration if roll < 40 => {
                AppointmentStatus::LateCancelled
            }
            What::Psychotherapy | What::Integration if roll < 55 => AppointmentStatus::NoShow,
            _ => AppointmentStatus::Completed,
        };
        appointments::set_status(w, id, status)?;
        if status != AppointmentStatus::Completed {
            return Ok(());
        }
        let today = self.today;
        match what {
            What::MhIntake => {
                let outcome = if plan.kap || self.rng.random_bool(0.5) {
                    IntakeOutcome::Cleared
                } else {
                    IntakeOutcome::NotCleared
                };
                intakes::create(
                    w,
                    client,
                    IntakeInput {
                        kind: IntakeKind::MentalHealth,
                        date: day,
                        clinician: self.therapist.clone(),
                        prescriber_id: None,
                        duration_minutes: minutes,
                        outcome,
                        notes: String::new(),
                    },
                    today,
                )?;
                self.measures(w, plan, index, client, id, day, true)?;
            }
            What::Kap => {
                self.state[index].kap_done += 1;
                self.measures(w, plan, index, client, id, day, false)?;
            }
            What::Integration => {
                let open: Vec<i64> = {
                    let mut stmt = w.conn().prepare_cached(
                        "SELECT id FROM follow_up WHERE client_id = ?1 AND status = 'open'
                           AND kind = 'integration_session_due'",
                    )?;
                    let ids = stmt
                        .query_map([client], |r| r.get(0))?
                        .collect::<rusqlite::Result<Vec<i64>>>()?;
                    ids
                };
                for f in open {
                    followups::complete(w, f)?;
                }
            }
            _ => {}
        }
        self.state[index].sessions_done += 1;
        self.note(w, index, client, id, what, local, ends_at)?;
        self.invoice(w, plan, client, day)
    }

    fn medical(
        &mut self,
        w: &mut Writer<'_>,
        index: usize,
        client: i64,
        day: NaiveDate,
    ) -> Result<()> {
        let today = self.today;
        let (prescriber, name) =
            self.prescribers[self.rng.random_range(0..self.prescribers.len())].clone();
        let intake = intakes::create(
            w,
            client,
            IntakeInput {
                kind: IntakeKind::Medical,
                date: day,
                clinician: name,
                prescriber_id: Some(prescriber),
                duration_minutes: 45,
                outcome: IntakeOutcome::Cleared,
                notes: String::new(),
            },
            today,
        )?;
        let flagged = self.rng.random_bool(0.06);
        let items: Vec<i64> = intakes::list_items(w.conn())?
            .into_iter()
            .filter(|i| i.enabled)
            .map(|i| i.id)
            .collect();
        let flagged_item = items
            .get(self.rng.random_range(0..items.len().max(1)))
            .copied();
        let answers = items
            .iter()
            .map(|&item_id| {
                let here = flagged && Some(item_id) == flagged_item;
                intakes::ScreeningAnswerInput {
                    item_id,
                    answer: if here { Answer::Unknown } else { Answer::No },
                    note: here.then(|| "Records requested from the primary care physician.".into()),
                    override_: here.then(|| intakes::Override {
                        rationale: "Reviewed with the client; no current concern. Vitals to be watched in session.".into(),
                        prescriber_id: prescriber,
                        date: day,
                    }),
                }
            })
            .collect();
        intakes::record_screening(
            w,
            intake,
            intakes::ScreeningInput {
                screened_on: day,
                answers,
            },
            today,
        )?;
        let (formulation, strength) = if self.rng.random_bool(0.8) {
            (Formulation::SublingualLozenge, 100)
        } else {
            (Formulation::RapidDissolveTablet, 50)
        };
        prescriptions::create(
            w,
            client,
            PrescriptionInput {
                prescriber_id: prescriber,
                date: day,
                formulation,
                strength_mg: strength,
                quantity: if strength == 100 { 12 } else { 24 },
                directions: "Dissolve under the tongue in session only, as directed.".into(),
                pharmacy: "Union Square Compounding Pharmacy".into(),
                cost: Cents(10_000),
            },
            today,
        )?;
        let st = &mut self.state[index];
        st.rx = Some((formulation, strength));
        if !st.consented {
            st.consented = true;
            let legal: String = w.conn().query_row(
                "SELECT legal_name FROM client WHERE id = ?1",
                [client],
                |r| r.get(0),
            )?;
            consent::record(
                w,
                client,
                consent::ConsentInput {
                    form_version: consent::current().version,
                    signed_on: day,
                    typed_name: legal,
                    witness: self.therapist.clone(),
                },
                today,
                false,
            )?;
        }
        Ok(())
    }

    /// The questionnaires of a session: the PHQ-9 and GAD-7, and for PTSD the PCL-5 at the
    /// intake and every fourth KAP session. Scores fall as the KAP course goes on.
    #[allow(clippy::too_many_arguments)]
    fn measures(
        &mut self,
        w: &mut Writer<'_>,
        plan: &Plan,
        index: usize,
        client: i64,
        appointment: i64,
        day: NaiveDate,
        intake: bool,
    ) -> Result<()> {
        let st = &self.state[index];
        let level =
            (plan.baseline - 0.3 * f64::from(st.kap_done) - 0.03 * f64::from(st.sessions_done))
                .max(0.3);
        let mut list = vec![Instrument::Phq9, Instrument::Gad7];
        if plan.ptsd && (intake || st.kap_done % 4 == 1) {
            list.push(Instrument::Pcl5);
        }
        for instrument in list {
            let max = instrument.max_answer();
            let answers = (0..instrument.item_count())
                .map(|i| {
                    if instrument == Instrument::Phq9 && i == 8 {
                        return Some(0);
                    }
                    let scale = f64::from(max) / 3.0;
                    let v = (level * scale + self.rng.random_range(-0.8..0.8)).round();
                    Some(v.clamp(0.0, f64::from(max)) as u8)
                })
                .collect();
            let difficulty = instrument
                .asks_difficulty()
                .then(|| (level.round() as u8).min(3));
            measures::record(
                w,
                client,
                MeasureInput {
                    instrument,
                    taken_on: day,
                    answers,
                    difficulty,
                    appointment_id: Some(appointment),
                },
                MeasureSource::Paper,
                self.today,
            )?;
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn note(
        &mut self,
        w: &mut Writer<'_>,
        index: usize,
        client: i64,
        appointment: i64,
        what: What,
        local: chrono::NaiveDateTime,
        ends_at: DateTime<Utc>,
    ) -> Result<()> {
        let rng = &mut self.rng;
        let recent = self.cutoff - ends_at < chrono::Duration::hours(48);
        if recent && rng.random_bool(0.15) {
            return Ok(());
        }
        let body = match what {
            What::Kap => {
                let (formulation, strength) = self.state[index]
                    .rx
                    .ok_or(internal("a KAP session without a prescription"))?;
                let start = local.hour() * 60 + local.minute();
                let sys = rng.random_range(108..135);
                let dia = rng.random_range(66..87).min(sys - 30);
                let taken = start + 35;
                let journey = taken + 10;
                let mut n = KapNote {
                    intention: text::intention(rng),
                    meditation_done: true,
                    breathing_done: true,
                    journey_start: Some(hm(journey)?),
                    journey_end: Some(hm(journey + rng.random_range(60..76))?),
                    observations: text::observations(rng),
                    integration_notes: text::integration_after_journey(rng),
                    peak_at: Some(hm(taken + 40)?),
                    peak_vitals: Vitals {
                        systolic: Some(sys + rng.random_range(6..18)),
                        diastolic: Some(dia + rng.random_range(2..8)),
                        heart_rate: Some(rng.random_range(70..96)),
                    },
                    post_vitals: Vitals {
                        systolic: Some(sys + rng.random_range(0..8)),
                        diastolic: Some(dia + rng.random_range(0..5)),
                        heart_rate: Some(rng.random_range(62..86)),
                    },
                    ..Default::default()
                };
                n.pre_check.vitals = Vitals {
                    systolic: Some(sys),
                    diastolic: Some(dia),
                    heart_rate: Some(rng.random_range(58..88)),
                };
                n.pre_check.last_meal_at = Some(hm(start.saturating_sub(4 * 60))?);
                n.pre_check.ride_home_arranged = rng.random_bool(0.97);
                n.dose.formulation = Some(formulation);
                n.dose.strength_mg = Some(strength);
                n.dose.count = Some(if strength == 50 {
                    rng.random_range(2..5)
                } else {
                    rng.random_range(1..3)
                });
                n.dose.taken_at = Some(hm(taken)?);
                n.adverse_events.nausea = rng.random_bool(0.12);
                if n.adverse_events.nausea {
                    n.adverse_events.action_taken = "Ginger tea and a rest; settled.".into();
                }
                n.discharge.at = Some(hm(start + 170)?);
                n.discharge.alert = true;
                n.discharge.steady_gait = true;
                n.discharge.vitals_near_baseline = true;
                n.discharge.escort_present = n.pre_check.ride_home_arranged;
                NoteBody::Kap(Box::new(n))
            }
            What::Integration => NoteBody::Integration(IntegrationNote {
                what_came_up: text::what_came_up(rng),
                themes: text::themes(rng),
                commitments: text::commitment(rng),
            }),
            _ => NoteBody::FreeText {
                text: text::free_text(rng, what == What::MhIntake),
            },
        };
        let id = notes::save_draft(w, appointment, client, body)?;
        if recent && self.rng.random_bool(0.4) {
            return Ok(());
        }
        notes::sign(w, id)?;
        if self.rng.random_bool(0.02) {
            let t = text::amendment(&mut self.rng);
            notes::amend(w, id, &t)?;
        }
        Ok(())
    }

    /// Invoices the client's charges not yet invoiced (a pay-what-you-can amount agreed
    /// first), and records the payment: most pay at once, about one in a hundred still owes.
    fn invoice(
        &mut self,
        w: &mut Writer<'_>,
        plan: &Plan,
        client: i64,
        day: NaiveDate,
    ) -> Result<()> {
        let charges: Vec<(i64, Option<i64>, Option<i64>)> = {
            let mut stmt = w.conn().prepare_cached(
                "SELECT id, usual_cents, amount_cents FROM charge
                 WHERE client_id = ?1 AND invoice_id IS NULL AND service_date <= ?2 ORDER BY id",
            )?;
            let rows = stmt
                .query_map(params![client, day.to_string()], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            rows
        };
        let mut ids = Vec::new();
        let mut total = 0i64;
        for (id, usual, amount) in charges {
            let amount = match (usual, amount) {
                (_, Some(a)) => a,
                (Some(u), None) => {
                    let pct = plan.pwyc_percent.unwrap_or(100);
                    let a = (u * pct / 100 / 500).max(4) * 500;
                    billing::set_charge_amount(w, id, Cents(a), None)?;
                    a
                }
                (None, None) => continue,
            };
            ids.push(id);
            total += amount;
        }
        if ids.is_empty() {
            return Ok(());
        }
        let invoice = billing::create_invoice(w, client, &ids, day, self.today)?;
        let age = (self.today - day).num_days();
        let unpaid = if age < 14 { 0.25 } else { 0.01 };
        if total == 0 || self.rng.random_bool(unpaid) {
            return Ok(());
        }
        let paid_on = add_days(day, self.rng.random_range(0..4)).min(self.today);
        let method = pick(
            &mut self.rng,
            &[
                PaymentMethod::Card,
                PaymentMethod::Card,
                PaymentMethod::Card,
                PaymentMethod::Zelle,
                PaymentMethod::Venmo,
                PaymentMethod::Check,
                PaymentMethod::Cash,
            ],
        );
        billing::record_payment(w, invoice, paid_on, method, Cents(total), self.today)?;
        Ok(())
    }
}
