//! Practice settings: who the practice is, its identifiers, its time zone and its fee
//! schedule. One row, created with the practice, editable in Settings.

mod ids;

pub use ids::{is_valid_ein, is_valid_npi};

use crate::audit::{Action, EntityKind};
use crate::store::Writer;
use crate::validate::FieldErrors;
use crate::{Cents, Error, Result};
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};

/// The services the fee schedule prices. The words are DOMAIN.md's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub enum Service {
    MentalHealthIntake,
    MedicalIntake,
    Prescription,
    KapSession,
    GroupSession,
    IntegrationSession,
    Psychotherapy,
}

impl Service {
    pub const ALL: [Service; 7] = [
        Service::MentalHealthIntake,
        Service::MedicalIntake,
        Service::Prescription,
        Service::KapSession,
        Service::GroupSession,
        Service::IntegrationSession,
        Service::Psychotherapy,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Service::MentalHealthIntake => "mental_health_intake",
            Service::MedicalIntake => "medical_intake",
            Service::Prescription => "prescription",
            Service::KapSession => "kap_session",
            Service::GroupSession => "group_session",
            Service::IntegrationSession => "integration_session",
            Service::Psychotherapy => "psychotherapy",
        }
    }

    pub fn parse(s: &str) -> Option<Service> {
        Service::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// A label for people.
    pub fn label(self) -> &'static str {
        match self {
            Service::MentalHealthIntake => "Mental-health intake",
            Service::MedicalIntake => "Medical intake (includes prescription)",
            Service::Prescription => "Ketamine prescription",
            Service::KapSession => "KAP session (1-on-1)",
            Service::GroupSession => "Group session",
            Service::IntegrationSession => "Integration session",
            Service::Psychotherapy => "Psychotherapy session",
        }
    }

    /// The fee seeded into a new practice's schedule (DOMAIN.md). Group, integration and
    /// psychotherapy fees are the practice's to set, so they start unset.
    pub fn default_fee(self) -> Option<Cents> {
        match self {
            Service::MentalHealthIntake => Some(Cents(20_000)),
            Service::MedicalIntake => Some(Cents(25_000)),
            Service::Prescription => Some(Cents(10_000)),
            Service::KapSession => Some(Cents(60_000)),
            Service::GroupSession | Service::IntegrationSession | Service::Psychotherapy => None,
        }
    }
}

/// One line of the fee schedule. `cents` is `None` while the practice has not set it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct Fee {
    pub service: Service,
    pub cents: Option<Cents>,
}

/// What a new practice starts with.
#[derive(Debug, Clone, Default)]
pub struct NewPractice {
    pub practice_name: String,
    /// The therapist's name without credentials.
    pub therapist_name: String,
    /// E.g. "LCSW"; may be empty and set later in Settings.
    pub credentials: String,
}

/// The therapist's name without a trailing copy of the credentials: "Maya Okafor, LCSW"
/// with credentials "LCSW" is "Maya Okafor". The credentials are kept in their own
/// field, so nothing is lost; documents print them once. Case, spaces and a separating
/// comma do not matter; a name that merely ends in the same letters ("Alcsw") is kept.
impl NewPractice {
    /// Words a guesser of the new practice's passphrase knows (see
    /// [`PracticeSettings::guessable_words`]).
    pub fn guessable_words(&self) -> [&str; 2] {
        [&self.practice_name, &self.therapist_name]
    }
}

pub fn name_without_credentials(name: &str, credentials: &str) -> String {
    let name = name.trim();
    let creds = credentials.trim();
    if creds.is_empty() {
        return name.to_owned();
    }
    let squash = |s: &str| -> String {
        s.split(|c: char| c.is_whitespace() || c == ',')
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    let want = squash(creds);
    // Strip copies until none is left ("Maya Okafor, LCSW, LCSW"), so that validating a
    // second time changes nothing.
    let mut name = name.to_owned();
    'strip: loop {
        // Try each split after a separator: the tail must equal the credentials.
        for (i, c) in name.char_indices() {
            if c != ',' && !c.is_whitespace() {
                continue;
            }
            let (head, tail) = name.split_at(i);
            let head = head.trim_end_matches(|c: char| c == ',' || c.is_whitespace());
            if !head.is_empty() && squash(tail) == want {
                name = head.to_owned();
                continue 'strip;
            }
        }
        return name;
    }
}

/// An EIN as `NN-NNNNNNN`: nine digits typed without the dash (or with spaces) are
/// formatted; anything else is returned as typed, for validation to refuse.
pub fn format_ein(ein: &str) -> String {
    let digits: String = ein
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    if digits.len() == 9 && digits.bytes().all(|b| b.is_ascii_digit()) {
        format!("{}-{}", &digits[..2], &digits[2..])
    } else {
        ein.trim().to_owned()
    }
}

/// The practice's settings, as read and as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct PracticeSettings {
    pub practice_name: String,
    pub address: String,
    pub phone: String,
    pub therapist_name: String,
    /// E.g. "LCSW" or "PhD, LP".
    pub credentials: String,
    pub ny_license_number: String,
    /// The therapist's individual NPI: 10 digits with a valid check digit, or empty.
    pub npi: String,
    /// `NN-NNNNNNN`, or empty.
    pub ein: String,
    /// An IANA zone name; America/New_York unless the practice says otherwise.
    pub time_zone: String,
    /// Minutes without activity before the app locks.
    pub idle_lock_minutes: u32,
    /// Default length of a group KAP session.
    pub group_session_minutes: u32,
    /// Default length of a psychotherapy session.
    pub psychotherapy_minutes: u32,
    /// Days after a KAP session within which its integration session is due.
    pub integration_due_days: u32,
    /// Every service, in [`Service::ALL`] order.
    pub fee_schedule: Vec<Fee>,
    /// Whether the practice bills the medical intake itself (else the prescriber does).
    pub bills_medical_intake: bool,
    /// Whether the practice bills prescriptions itself (else the prescriber does). The
    /// first prescription after a medical intake is included in the intake's fee.
    pub bills_prescriptions: bool,
}

pub const DEFAULT_TIME_ZONE: &str = "America/New_York";
pub const DEFAULT_IDLE_LOCK_MINUTES: u32 = 15;

impl PracticeSettings {
    /// Words a guesser of this practice's passphrase knows: its name and the therapist's.
    pub fn guessable_words(&self) -> [&str; 2] {
        [&self.practice_name, &self.therapist_name]
    }

    /// Trims text fields and checks every rule; field errors name the wire fields.
    pub fn validated(mut self) -> Result<Self> {
        for s in [
            &mut self.practice_name,
            &mut self.address,
            &mut self.phone,
            &mut self.therapist_name,
            &mut self.credentials,
            &mut self.ny_license_number,
            &mut self.npi,
            &mut self.ein,
            &mut self.time_zone,
        ] {
            *s = s.trim().to_owned();
        }
        self.therapist_name = name_without_credentials(&self.therapist_name, &self.credentials);
        self.ein = format_ein(&self.ein);
        let mut e = FieldErrors::new();
        e.required_text("practice_name", "Practice name", &self.practice_name, 200);
        e.no_control_chars("practice_name", "Practice name", &self.practice_name, false);
        e.required_text(
            "therapist_name",
            "Therapist name",
            &self.therapist_name,
            200,
        );
        e.no_control_chars(
            "therapist_name",
            "Therapist name",
            &self.therapist_name,
            false,
        );
        e.max_chars("address", "Address", &self.address, 1000);
        e.no_control_chars("address", "Address", &self.address, true);
        e.max_chars("credentials", "Credentials", &self.credentials, 100);
        e.no_control_chars("credentials", "Credentials", &self.credentials, false);
        e.max_chars(
            "ny_license_number",
            "License number",
            &self.ny_license_number,
            50,
        );
        e.no_control_chars(
            "ny_license_number",
            "License number",
            &self.ny_license_number,
            false,
        );
        if !self.phone.is_empty() && !crate::validate::is_phone(&self.phone) {
            e.add("phone", "Enter a phone number such as (212) 555-0143.");
        }
        if !self.npi.is_empty() && !is_valid_npi(&self.npi) {
            e.add(
                "npi",
                "An NPI is 10 digits and its last digit must check out; please re-check it.",
            );
        }
        if !self.ein.is_empty() && !is_valid_ein(&self.ein) {
            e.add("ein", "An EIN has the form 12-3456789.");
        }
        if self.time_zone.parse::<Tz>().is_err() {
            e.add(
                "time_zone",
                "Choose a time zone from the list, e.g. America/New_York.",
            );
        }
        if !(1..=240).contains(&self.idle_lock_minutes) {
            e.add(
                "idle_lock_minutes",
                "Lock after between 1 and 240 minutes of inactivity.",
            );
        }
        // The same bounds a booking checks, so a default length is always bookable.
        for (field, value) in [
            ("group_session_minutes", self.group_session_minutes),
            ("psychotherapy_minutes", self.psychotherapy_minutes),
        ] {
            if !(5..=600).contains(&value) {
                e.add(field, "A session lasts between 5 and 600 minutes.");
            }
        }
        if !(1..=90).contains(&self.integration_due_days) {
            e.add(
                "integration_due_days",
                "An integration session is due between 1 and 90 days after a KAP session.",
            );
        }
        let mut fees = Vec::with_capacity(Service::ALL.len());
        for service in Service::ALL {
            let given: Vec<&Fee> = self
                .fee_schedule
                .iter()
                .filter(|f| f.service == service)
                .collect();
            let field = format!("fee_schedule.{}", service.as_str());
            match given.as_slice() {
                [fee] => {
                    if let Some(c) = fee.cents {
                        if !c.is_enterable() {
                            e.add(field, "A fee must be between $0.00 and $10,000,000.00.");
                        }
                    }
                    fees.push(**fee);
                }
                [] => fees.push(Fee {
                    service,
                    cents: None,
                }),
                _ => e.add(field, "Each service may have only one fee."),
            }
        }
        self.fee_schedule = fees;
        e.into_result()?;
        Ok(self)
    }

    /// The practice's time zone. Validated on write, so parsing cannot fail for stored
    /// settings; New York stands in should it ever.
    pub fn tz(&self) -> Tz {
        self.time_zone
            .parse()
            .unwrap_or(chrono_tz::America::New_York)
    }

    /// The fee for a service, if set.
    pub fn fee(&self, service: Service) -> Option<Cents> {
        self.fee_schedule
            .iter()
            .find(|f| f.service == service)
            .and_then(|f| f.cents)
    }

    /// Today's date in the practice's time zone.
    pub fn today(&self, now: DateTime<Utc>) -> NaiveDate {
        now.with_timezone(&self.tz()).date_naive()
    }
}

/// The settings a new practice starts with, validated: the names given, New York, a
/// 15-minute idle lock and DOMAIN.md's fee schedule.
pub fn seed(new: &NewPractice) -> Result<PracticeSettings> {
    PracticeSettings {
        practice_name: new.practice_name.clone(),
        address: String::new(),
        phone: String::new(),
        therapist_name: new.therapist_name.clone(),
        credentials: new.credentials.clone(),
        ny_license_number: String::new(),
        npi: String::new(),
        ein: String::new(),
        time_zone: DEFAULT_TIME_ZONE.into(),
        idle_lock_minutes: DEFAULT_IDLE_LOCK_MINUTES,
        group_session_minutes: 180,
        psychotherapy_minutes: 53,
        integration_due_days: 7,
        fee_schedule: Service::ALL
            .into_iter()
            .map(|service| Fee {
                service,
                cents: service.default_fee(),
            })
            .collect(),
        bills_medical_intake: true,
        bills_prescriptions: true,
    }
    .validated()
}

/// Writes the settings row and the seeded fee schedule for a new practice.
pub fn init(w: &mut Writer<'_>, new: &NewPractice) -> Result<PracticeSettings> {
    let settings = seed(new)?;
    let exists: i64 = w
        .conn()
        .query_row("SELECT count(*) FROM practice", [], |r| r.get(0))?;
    if exists > 0 {
        return Err(Error::PracticeExists);
    }
    w.conn().execute(
        "INSERT INTO practice (id, practice_name, therapist_name, credentials, updated_at)
         VALUES (1, ?1, ?2, ?3, ?4)",
        params![
            settings.practice_name,
            settings.therapist_name,
            settings.credentials,
            stamp(w.now())
        ],
    )?;
    w.audit(Action::Create, EntityKind::Practice, 1)?;
    write_fees(w, &settings.fee_schedule)?;
    Ok(settings)
}

use crate::store::col::stamp;

fn write_fees(w: &mut Writer<'_>, fees: &[Fee]) -> Result<()> {
    for fee in fees {
        w.conn().execute(
            "INSERT INTO fee_schedule (service, cents) VALUES (?1, ?2)
             ON CONFLICT (service) DO UPDATE SET cents = excluded.cents",
            params![fee.service.as_str(), fee.cents.map(|c| c.0)],
        )?;
    }
    w.audit(Action::Update, EntityKind::FeeSchedule, 1)
}

/// Reads the settings.
pub fn get(conn: &Connection) -> Result<PracticeSettings> {
    let mut s = conn
        .query_row(
            "SELECT practice_name, address, phone, therapist_name, credentials, ny_license_number,
                    npi, ein, time_zone, idle_lock_minutes, group_session_minutes,
                    psychotherapy_minutes, integration_due_days, bills_medical_intake,
                    bills_prescriptions FROM practice WHERE id = 1",
            [],
            |r| {
                Ok(PracticeSettings {
                    practice_name: r.get(0)?,
                    address: r.get(1)?,
                    phone: r.get(2)?,
                    therapist_name: r.get(3)?,
                    credentials: r.get(4)?,
                    ny_license_number: r.get(5)?,
                    npi: r.get(6)?,
                    ein: r.get(7)?,
                    time_zone: r.get(8)?,
                    idle_lock_minutes: r.get(9)?,
                    group_session_minutes: r.get(10)?,
                    psychotherapy_minutes: r.get(11)?,
                    integration_due_days: r.get(12)?,
                    fee_schedule: Vec::new(),
                    bills_medical_intake: r.get(13)?,
                    bills_prescriptions: r.get(14)?,
                })
            },
        )
        .map_err(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => Error::NotFound("practice"),
            e => e.into(),
        })?;
    let mut stmt = conn.prepare("SELECT service, cents FROM fee_schedule")?;
    let stored: Vec<(String, Option<i64>)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    s.fee_schedule = Service::ALL
        .into_iter()
        .map(|service| Fee {
            service,
            cents: stored
                .iter()
                .find(|(k, _)| Service::parse(k) == Some(service))
                .and_then(|(_, c)| c.map(Cents)),
        })
        .collect();
    Ok(s)
}

/// Validates and saves new settings. Nothing is saved when any field is invalid.
pub fn update(w: &mut Writer<'_>, input: PracticeSettings) -> Result<PracticeSettings> {
    let s = input.validated()?;
    let n = w.conn().execute(
        "UPDATE practice SET practice_name = ?1, address = ?2, phone = ?3, therapist_name = ?4,
            credentials = ?5, ny_license_number = ?6, npi = ?7, ein = ?8, time_zone = ?9,
            idle_lock_minutes = ?10, updated_at = ?11, group_session_minutes = ?12,
            psychotherapy_minutes = ?13, integration_due_days = ?14, bills_medical_intake = ?15,
            bills_prescriptions = ?16 WHERE id = 1",
        params![
            s.practice_name,
            s.address,
            s.phone,
            s.therapist_name,
            s.credentials,
            s.ny_license_number,
            s.npi,
            s.ein,
            s.time_zone,
            s.idle_lock_minutes,
            stamp(w.now()),
            s.group_session_minutes,
            s.psychotherapy_minutes,
            s.integration_due_days,
            s.bills_medical_intake,
            s.bills_prescriptions
        ],
    )?;
    if n == 0 {
        return Err(Error::NotFound("practice"));
    }
    w.audit(Action::Update, EntityKind::Practice, 1)?;
    write_fees(w, &s.fee_schedule)?;
    Ok(s)
}

/// Today's date in the practice's time zone, read from the stored settings.
/// Whether this computer's keychain may keep the data key while the practice is open
/// ("Open without the passphrase on this computer"). On by default.
pub fn open_without_passphrase(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT open_without_passphrase FROM practice WHERE id = 1",
        [],
        |r| r.get::<_, Option<i64>>(0),
    )? != Some(0))
}

/// Sets [`open_without_passphrase`]; audited as an update of the practice.
pub fn set_open_without_passphrase(w: &mut Writer<'_>, on: bool) -> Result<()> {
    let n = w.conn().execute(
        "UPDATE practice SET open_without_passphrase = ?1 WHERE id = 1",
        [i64::from(on)],
    )?;
    if n != 1 {
        return Err(crate::Error::NoPractice);
    }
    w.audit(Action::Update, EntityKind::Practice, 1)
}

pub fn today(conn: &Connection, now: DateTime<Utc>) -> Result<NaiveDate> {
    Ok(now.with_timezone(&tz(conn)?).date_naive())
}

/// The practice's time zone, read from the stored settings.
pub fn tz(conn: &Connection) -> Result<Tz> {
    let tz: String = conn
        .query_row("SELECT time_zone FROM practice WHERE id = 1", [], |r| {
            r.get(0)
        })
        .map_err(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => Error::NotFound("practice"),
            e => e.into(),
        })?;
    Ok(tz.parse().unwrap_or(chrono_tz::America::New_York))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_never_carries_the_credentials_twice() {
        // (name typed, credentials, name kept, why)
        let cases = [
            (
                "Maya Okafor, LCSW",
                "LCSW",
                "Maya Okafor",
                "the issue's case",
            ),
            (
                "Maya Okafor LCSW",
                "LCSW",
                "Maya Okafor",
                "without the comma",
            ),
            (
                "Maya Okafor, lcsw ",
                "LCSW",
                "Maya Okafor",
                "case and spaces",
            ),
            (
                "Maya Okafor, PhD, LP",
                "PhD, LP",
                "Maya Okafor",
                "two credentials",
            ),
            (
                "Maya Okafor, PhD LP",
                "PhD, LP",
                "Maya Okafor",
                "two, spaced",
            ),
            ("Maya Okafor", "LCSW", "Maya Okafor", "already separate"),
            (
                "Maya Okafor, LCSW",
                "",
                "Maya Okafor, LCSW",
                "no credentials to compare",
            ),
            (
                "Maya Okafor, LP",
                "PhD, LP",
                "Maya Okafor, LP",
                "only part of them: kept",
            ),
            (
                "Dana Alcsw",
                "LCSW",
                "Dana Alcsw",
                "a name ending in the same letters",
            ),
            ("LCSW", "LCSW", "LCSW", "nothing would be left of the name"),
            (
                "Maya Okafor, LCSW, LCSW",
                "LCSW",
                "Maya Okafor",
                "the issue's printout, typed",
            ),
        ];
        for (name, creds, want, why) in cases {
            let kept = name_without_credentials(name, creds);
            assert_eq!(kept, want, "{why}");
            assert_eq!(
                name_without_credentials(&kept, creds),
                kept,
                "{why}: a second pass changes nothing (validation is stable)"
            );
        }
    }

    #[test]
    fn settings_keep_the_name_and_the_credentials_apart() {
        let mut s = seed(&NewPractice {
            practice_name: "Union Square KAP".into(),
            therapist_name: "Maya Okafor, LCSW".into(),
            credentials: "LCSW".into(),
        })
        .expect("valid");
        assert_eq!(
            (s.therapist_name.as_str(), s.credentials.as_str()),
            ("Maya Okafor", "LCSW"),
            "from the first run on"
        );
        s.therapist_name = "Maya Okafor LCSW".into();
        s.ein = "123456789".into();
        let s = s.validated().expect("valid");
        assert_eq!(s.therapist_name, "Maya Okafor", "and in Settings");
        assert_eq!(s.ein, "12-3456789", "an EIN without the dash is formatted");
    }
}
