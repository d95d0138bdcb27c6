//! Clients: the people the practice serves.
//!
//! Clients are never deleted: they are archived and can be unarchived. Every change and
//! every opening of a client's record appends an audit row. Search is full-text over the
//! legal and preferred names: case- and accent-insensitive, matching prefixes of any
//! name part.
//!
//! The list ([`list`]) is in name order and costs about the same whether a search matches
//! ten clients or five thousand: it counts matches only up to [`COUNT_CAP`] (beyond that
//! the page says "more than"), finds the page's clients in the name index rather than by
//! sorting every match, and reads whole rows only for the page shown.

mod search;

pub use search::{fts_query, sort_key};

use crate::audit::{Action, EntityKind};
use crate::practice::Service;
use crate::store::Writer;
use crate::str_enum::str_enum;
use crate::validate::{clean_optional, is_email, is_phone, FieldErrors};
use crate::{Cents, Error, Result};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

pub const MAX_NAME_CHARS: usize = 200;
pub const MAX_NOTES_CHARS: usize = 20_000;
pub const MAX_FEE_NOTE_CHARS: usize = 500;
pub const MAX_PAGE: u32 = 200;
/// How far the client list counts: beyond it, "more than" this many (and the page's end).
pub const COUNT_CAP: u32 = 100;

/// Why a client came to the practice. A set: a client may have several.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub enum PresentingConcern {
    TreatmentResistantDepression,
    Depression,
    Anxiety,
    Ocd,
    Ptsd,
    SubstanceUse,
    Burnout,
    Identity,
    LifeTransition,
    Stagnation,
    Other,
}

/// Where a client is on the practice's path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub enum ClientStatus {
    Inquiry,
    Intake,
    Active,
    Paused,
    Completed,
    NotSuitable,
    Archived,
}

str_enum!(ClientStatus {
    Inquiry = "inquiry",
    Intake = "intake",
    Active = "active",
    Paused = "paused",
    Completed = "completed",
    NotSuitable = "not_suitable",
    Archived = "archived",
});

/// How the client pays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub enum FeeKind {
    /// The fee schedule's price.
    Standard,
    /// An agreed amount per service.
    SlidingScale,
    /// What the client can pay, decided visit by visit.
    PayWhatYouCan,
}

/// An agreed sliding-scale fee for one service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct AgreedFee {
    pub service: Service,
    pub cents: Cents,
}

/// The client's fee arrangement. No financial documents, ever: a number and a short note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct FeeArrangement {
    pub kind: FeeKind,
    /// Only for a sliding scale: at least one, one per service.
    pub agreed: Vec<AgreedFee>,
    pub note: Option<String>,
}

impl Default for FeeArrangement {
    fn default() -> Self {
        FeeArrangement {
            kind: FeeKind::Standard,
            agreed: Vec::new(),
            note: None,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct EmergencyContact {
    pub name: Option<String>,
    pub relation: Option<String>,
    pub phone: Option<String>,
}

/// What a user enters to create or edit a client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct ClientInput {
    pub legal_name: String,
    pub preferred_name: Option<String>,
    pub pronouns: Option<String>,
    pub date_of_birth: Option<NaiveDate>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    pub emergency_contact: EmergencyContact,
    pub referral_source: Option<String>,
    pub presenting_concerns: Vec<PresentingConcern>,
    /// Any status but `archived`: archiving is its own action.
    pub status: ClientStatus,
    pub fee_arrangement: FeeArrangement,
    pub notes: String,
}

impl ClientInput {
    /// A minimal input: a legal name, status inquiry, standard fees.
    pub fn named(legal_name: &str) -> Self {
        ClientInput {
            legal_name: legal_name.into(),
            preferred_name: None,
            pronouns: None,
            date_of_birth: None,
            phone: None,
            email: None,
            address: None,
            emergency_contact: EmergencyContact::default(),
            referral_source: None,
            presenting_concerns: Vec::new(),
            status: ClientStatus::Inquiry,
            fee_arrangement: FeeArrangement::default(),
            notes: String::new(),
        }
    }

    /// Trims and normalises the input and checks every rule against `today` (the
    /// practice's date). Returns all field errors at once; nothing is stored on error.
    pub fn validated(mut self, today: NaiveDate) -> Result<Self> {
        let mut e = FieldErrors::new();
        self.legal_name = self.legal_name.trim().to_owned();
        e.required_text("legal_name", "Legal name", &self.legal_name, MAX_NAME_CHARS);
        e.no_control_chars("legal_name", "Legal name", &self.legal_name, false);

        self.preferred_name = clean_optional(self.preferred_name);
        self.pronouns = clean_optional(self.pronouns);
        self.phone = clean_optional(self.phone);
        self.email = clean_optional(self.email);
        self.address = clean_optional(self.address);
        self.referral_source = clean_optional(self.referral_source);
        let ec = &mut self.emergency_contact;
        ec.name = clean_optional(ec.name.take());
        ec.relation = clean_optional(ec.relation.take());
        ec.phone = clean_optional(ec.phone.take());
        self.fee_arrangement.note = clean_optional(self.fee_arrangement.note.take());

        let short: [(&str, &str, &Option<String>, usize); 6] = [
            (
                "preferred_name",
                "Preferred name",
                &self.preferred_name,
                MAX_NAME_CHARS,
            ),
            ("pronouns", "Pronouns", &self.pronouns, 50),
            (
                "referral_source",
                "Referral source",
                &self.referral_source,
                MAX_NAME_CHARS,
            ),
            (
                "emergency_contact.name",
                "Emergency contact name",
                &self.emergency_contact.name,
                MAX_NAME_CHARS,
            ),
            (
                "emergency_contact.relation",
                "Relation",
                &self.emergency_contact.relation,
                100,
            ),
            (
                "fee_arrangement.note",
                "Fee note",
                &self.fee_arrangement.note,
                MAX_FEE_NOTE_CHARS,
            ),
        ];
        for (field, label, value, max) in short {
            if let Some(v) = value {
                e.max_chars(field, label, v, max);
                e.no_control_chars(field, label, v, false);
            }
        }
        if let Some(a) = &self.address {
            e.max_chars("address", "Address", a, 1000);
            e.no_control_chars("address", "Address", a, true);
        }
        e.max_chars("notes", "Notes", &self.notes, MAX_NOTES_CHARS);
        e.no_control_chars("notes", "Notes", &self.notes, true);
        if let Some(p) = &self.phone {
            if !is_phone(p) {
                e.add("phone", "Enter a phone number such as (212) 555-0143.");
            }
        }
        if let Some(p) = &self.emergency_contact.phone {
            if !is_phone(p) {
                e.add(
                    "emergency_contact.phone",
                    "Enter a phone number such as (212) 555-0143.",
                );
            }
        }
        if let Some(m) = &self.email {
            if !is_email(m) {
                e.add("email", "Enter an e-mail address such as name@example.com.");
            }
        }
        if let Some(dob) = self.date_of_birth {
            if dob > today {
                e.add("date_of_birth", "Date of birth cannot be in the future.");
            } else if dob.year() < 1900 {
                e.add("date_of_birth", "Date of birth must be after 1900.");
            }
        }
        if self.status == ClientStatus::Archived {
            e.add("status", "Use Archive to archive a client.");
        }
        self.presenting_concerns.sort();
        self.presenting_concerns.dedup();

        let fa = &mut self.fee_arrangement;
        match fa.kind {
            FeeKind::SlidingScale => {
                if fa.agreed.is_empty() {
                    e.add(
                        "fee_arrangement.agreed",
                        "Enter the agreed fee for at least one service.",
                    );
                }
                for (i, f) in fa.agreed.iter().enumerate() {
                    if !f.cents.is_enterable() {
                        e.add(
                            format!("fee_arrangement.agreed.{}", f.service.as_str()),
                            "An agreed fee must be between $0.00 and $10,000,000.00.",
                        );
                    }
                    if fa.agreed[..i].iter().any(|g| g.service == f.service) {
                        e.add(
                            format!("fee_arrangement.agreed.{}", f.service.as_str()),
                            "Each service may have only one agreed fee.",
                        );
                    }
                }
                fa.agreed.sort_by_key(|f| f.service);
            }
            // Agreed amounts mean nothing without a sliding scale; drop them.
            FeeKind::Standard | FeeKind::PayWhatYouCan => fa.agreed.clear(),
        }
        e.into_result()?;
        Ok(self)
    }
}

/// A stored client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct Client {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub id: i64,
    #[serde(flatten)]
    pub details: ClientInput,
    /// Age in whole years on the practice's today, when the date of birth is known.
    pub age: Option<u32>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A row of the client list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct ClientSummary {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub id: i64,
    pub legal_name: String,
    pub preferred_name: Option<String>,
    pub pronouns: Option<String>,
    pub status: ClientStatus,
    pub age: Option<u32>,
    pub updated_at: DateTime<Utc>,
}

/// Which clients to list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct ClientQuery {
    /// Name search; empty lists everyone.
    pub text: Option<String>,
    /// One status; `None` lists every status except archived.
    pub status: Option<ClientStatus>,
    pub offset: u32,
    /// At most [`MAX_PAGE`]; 0 means the default of 50.
    pub limit: u32,
}

/// A page of clients and how many match in all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct ClientPage {
    pub items: Vec<ClientSummary>,
    /// How many match, when `more` is false. When it is true, more than this many match
    /// (at least [`COUNT_CAP`], and at least to the end of this page): the list was not
    /// counted further, so that a search matching thousands costs what one matching a
    /// hundred does.
    pub total: u32,
    pub more: bool,
}

/// Whole years from `dob` to `on`.
pub fn age_on(dob: NaiveDate, on: NaiveDate) -> u32 {
    on.years_since(dob).unwrap_or(0)
}

use crate::store::col::{bad as bad_column, stamp, time as parse_time};

fn to_json<T: Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|_| Error::Internal("client field encoding"))
}

const CLIENT_COLUMNS: &str =
    "id, legal_name, preferred_name, pronouns, date_of_birth, phone, email,
    address, emergency_name, emergency_relation, emergency_phone, referral_source,
    presenting_concerns, status, fee_arrangement, fee_note, notes, created_at, updated_at";

fn client_from_row(r: &Row<'_>, today: NaiveDate) -> rusqlite::Result<Client> {
    let dob: Option<String> = r.get(4)?;
    let dob = dob
        .map(|d| {
            d.parse::<NaiveDate>()
                .map_err(|_| bad_column("date_of_birth"))
        })
        .transpose()?;
    let concerns: String = r.get(12)?;
    let fee: String = r.get(14)?;
    let mut fee_arrangement: FeeArrangement =
        serde_json::from_str(&fee).map_err(|_| bad_column("fee_arrangement"))?;
    fee_arrangement.note = r.get(15)?;
    let status: String = r.get(13)?;
    Ok(Client {
        id: r.get(0)?,
        details: ClientInput {
            legal_name: r.get(1)?,
            preferred_name: r.get(2)?,
            pronouns: r.get(3)?,
            date_of_birth: dob,
            phone: r.get(5)?,
            email: r.get(6)?,
            address: r.get(7)?,
            emergency_contact: EmergencyContact {
                name: r.get(8)?,
                relation: r.get(9)?,
                phone: r.get(10)?,
            },
            referral_source: r.get(11)?,
            presenting_concerns: serde_json::from_str(&concerns)
                .map_err(|_| bad_column("presenting_concerns"))?,
            status: ClientStatus::parse(&status)?,
            fee_arrangement,
            notes: r.get(16)?,
        },
        age: dob.map(|d| age_on(d, today)),
        created_at: parse_time(&r.get::<_, String>(17)?)?,
        updated_at: parse_time(&r.get::<_, String>(18)?)?,
    })
}

/// Stored fee arrangement JSON: the note lives in its own column.
fn fee_json(fa: &FeeArrangement) -> Result<String> {
    to_json(&FeeArrangement {
        note: None,
        ..fa.clone()
    })
}

/// Creates a client; returns the new id.
pub fn create(w: &mut Writer<'_>, input: ClientInput, today: NaiveDate) -> Result<i64> {
    let c = input.validated(today)?;
    let now = stamp(w.now());
    w.conn().execute(
        "INSERT INTO client (legal_name, preferred_name, pronouns, date_of_birth, phone, email,
            address, emergency_name, emergency_relation, emergency_phone, referral_source,
            presenting_concerns, status, fee_arrangement, fee_note, notes, created_at, updated_at,
            sort_name)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?17, ?18)",
        params![
            c.legal_name,
            c.preferred_name,
            c.pronouns,
            c.date_of_birth.map(|d| d.to_string()),
            c.phone,
            c.email,
            c.address,
            c.emergency_contact.name,
            c.emergency_contact.relation,
            c.emergency_contact.phone,
            c.referral_source,
            to_json(&c.presenting_concerns)?,
            c.status.as_str(),
            fee_json(&c.fee_arrangement)?,
            c.fee_arrangement.note,
            c.notes,
            now,
            sort_key(&c.legal_name),
        ],
    )?;
    let id = w.conn().last_insert_rowid();
    w.audit(Action::Create, EntityKind::Client, id)?;
    Ok(id)
}

/// Refuses with [`Error::NotFound`] when no client has this id. Records that belong to a
/// client (intakes, prescriptions, consents, follow-ups) check this first.
pub fn require(conn: &Connection, id: i64) -> Result<()> {
    current_status(conn, id).map(|_| ())
}

fn current_status(conn: &Connection, id: i64) -> Result<ClientStatus> {
    let s: Option<String> = conn
        .query_row("SELECT status FROM client WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?;
    let s = s.ok_or(Error::NotFound("client"))?;
    Ok(ClientStatus::parse(&s)?)
}

/// Replaces a client's details. An archived client must be unarchived first.
pub fn update(w: &mut Writer<'_>, id: i64, input: ClientInput, today: NaiveDate) -> Result<()> {
    let c = input.validated(today)?;
    if current_status(w.conn(), id)? == ClientStatus::Archived {
        return Err(Error::Conflict(
            "This client is archived. Unarchive the client to edit their record.".into(),
        ));
    }
    w.conn().execute(
        "UPDATE client SET legal_name = ?2, preferred_name = ?3, pronouns = ?4, date_of_birth = ?5,
            phone = ?6, email = ?7, address = ?8, emergency_name = ?9, emergency_relation = ?10,
            emergency_phone = ?11, referral_source = ?12, presenting_concerns = ?13, status = ?14,
            fee_arrangement = ?15, fee_note = ?16, notes = ?17, updated_at = ?18, sort_name = ?19
         WHERE id = ?1",
        params![
            id,
            c.legal_name,
            c.preferred_name,
            c.pronouns,
            c.date_of_birth.map(|d| d.to_string()),
            c.phone,
            c.email,
            c.address,
            c.emergency_contact.name,
            c.emergency_contact.relation,
            c.emergency_contact.phone,
            c.referral_source,
            to_json(&c.presenting_concerns)?,
            c.status.as_str(),
            fee_json(&c.fee_arrangement)?,
            c.fee_arrangement.note,
            c.notes,
            stamp(w.now()),
            sort_key(&c.legal_name),
        ],
    )?;
    w.audit(Action::Update, EntityKind::Client, id)
}

/// Archives a client, remembering their status so unarchiving restores it.
pub fn archive(w: &mut Writer<'_>, id: i64) -> Result<()> {
    let status = current_status(w.conn(), id)?;
    if status == ClientStatus::Archived {
        return Err(Error::Conflict("This client is already archived.".into()));
    }
    w.conn().execute(
        "UPDATE client SET status = 'archived', status_before_archive = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, status.as_str(), stamp(w.now())],
    )?;
    w.audit(Action::Archive, EntityKind::Client, id)
}

/// Unarchives a client, back to the status they had when archived.
pub fn unarchive(w: &mut Writer<'_>, id: i64) -> Result<()> {
    if current_status(w.conn(), id)? != ClientStatus::Archived {
        return Err(Error::Conflict("This client is not archived.".into()));
    }
    w.conn().execute(
        "UPDATE client SET status = COALESCE(status_before_archive, 'paused'),
            status_before_archive = NULL, updated_at = ?2 WHERE id = ?1",
        params![id, stamp(w.now())],
    )?;
    w.audit(Action::Unarchive, EntityKind::Client, id)
}

/// Reads a client without recording a view (for internal use and tests).
pub fn get(conn: &Connection, id: i64, today: NaiveDate) -> Result<Client> {
    conn.query_row(
        &format!("SELECT {CLIENT_COLUMNS} FROM client WHERE id = ?1"),
        [id],
        |r| client_from_row(r, today),
    )
    .optional()?
    .ok_or(Error::NotFound("client"))
}

/// Opens a client's record for a person to read: reads it and appends a `view` audit row
/// in one transaction.
pub fn open_record(w: &mut Writer<'_>, id: i64, today: NaiveDate) -> Result<Client> {
    let c = get(w.conn(), id, today)?;
    w.audit(Action::View, EntityKind::Client, id)?;
    Ok(c)
}

/// Lists clients by name, filtered by status and name search, a page at a time.
///
/// The work is bounded by [`COUNT_CAP`] and the page, not by how many clients match:
/// without a search the clients come in order from the name index (`client_name`, or
/// `client_status_name` for one status), reading no rows until the page's; with a search
/// that matches at most [`COUNT_CAP`] clients those few are sorted; with one that matches
/// more, the search's matches are taken as a set of ids (the index's own list, no rows
/// read) and the name index is walked until the page and the count are found.
pub fn list(conn: &Connection, q: &ClientQuery, today: NaiveDate) -> Result<ClientPage> {
    let limit = match q.limit {
        0 => 50,
        n => n.min(MAX_PAGE),
    };
    let offset = q.offset as usize;
    // Ids in order up to one past what the count and the page need.
    let need = (COUNT_CAP as usize).max(offset + limit as usize) + 1;
    let (status_sql, status_val) = match q.status {
        Some(s) => ("c.status = ?1", s.as_str()),
        None => ("c.status <> ?1", ClientStatus::Archived.as_str()),
    };
    let index = match q.status {
        Some(_) => "client_status_name",
        None => "client_name",
    };
    let walk = format!(
        "SELECT c.id FROM client c INDEXED BY {index} WHERE {status_sql} ORDER BY c.sort_name, c.id"
    );
    let ordered: Vec<i64> = match q.text.as_deref().and_then(fts_query) {
        None => walk_in_order(conn, &walk, status_val, need, |_| true)?,
        Some(fts) => {
            let matched: i64 = conn.query_row(
                "SELECT count(*) FROM (SELECT 1 FROM client_search WHERE client_search MATCH ?1 LIMIT ?2)",
                params![fts, COUNT_CAP + 1],
                |r| r.get(0),
            )?;
            if matched <= i64::from(COUNT_CAP) {
                // Few: sorted by name, all of them (at most COUNT_CAP rows).
                let mut stmt = conn.prepare(&format!(
                    "SELECT c.id FROM client_search s JOIN client c ON c.id = s.rowid
                     WHERE client_search MATCH ?2 AND {status_sql}
                     ORDER BY c.sort_name, c.id"
                ))?;
                let ids = stmt
                    .query_map(params![status_val, fts], |r| r.get(0))?
                    .collect::<rusqlite::Result<Vec<i64>>>()?;
                ids
            } else {
                // Many: the matches' ids from the search index alone, then the name index
                // in order until enough of them are found.
                let mut set = IdSet::default();
                let mut stmt =
                    conn.prepare("SELECT rowid FROM client_search WHERE client_search MATCH ?1")?;
                let mut rows = stmt.query([&fts])?;
                while let Some(r) = rows.next()? {
                    set.insert(r.get(0)?);
                }
                walk_in_order(conn, &walk, status_val, need, |id| set.contains(id))?
            }
        }
    };
    let more = ordered.len() >= need;
    let total = if more { need - 1 } else { ordered.len() };
    let page: Vec<i64> = ordered
        .iter()
        .skip(offset)
        .take(limit as usize)
        .copied()
        .collect();
    Ok(ClientPage {
        items: summaries(conn, &page, today)?,
        total: u32::try_from(total).unwrap_or(u32::MAX),
        more,
    })
}

/// The first `need` ids that `walk` yields (in name order) and `keep` accepts.
fn walk_in_order(
    conn: &Connection,
    walk: &str,
    status: &str,
    need: usize,
    keep: impl Fn(i64) -> bool,
) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(walk)?;
    let mut rows = stmt.query([status])?;
    let mut ids = Vec::new();
    while ids.len() < need {
        let Some(r) = rows.next()? else { break };
        let id: i64 = r.get(0)?;
        if keep(id) {
            ids.push(id);
        }
    }
    Ok(ids)
}

/// A set of client ids, one bit each.
#[derive(Default)]
struct IdSet(Vec<u64>);

impl IdSet {
    fn insert(&mut self, id: i64) {
        let Ok(i) = usize::try_from(id) else { return };
        if i / 64 >= self.0.len() {
            self.0.resize(i / 64 + 1, 0);
        }
        self.0[i / 64] |= 1 << (i % 64);
    }

    fn contains(&self, id: i64) -> bool {
        usize::try_from(id)
            .ok()
            .and_then(|i| self.0.get(i / 64).map(|w| w & (1 << (i % 64)) != 0))
            .unwrap_or(false)
    }
}

/// The list's rows for `ids`, in their order.
fn summaries(conn: &Connection, ids: &[i64], today: NaiveDate) -> Result<Vec<ClientSummary>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    // The ids are integers from the database, so listing them in the SQL is safe.
    let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    let mut stmt = conn.prepare(&format!(
        "SELECT c.id, c.legal_name, c.preferred_name, c.pronouns, c.status, c.date_of_birth, c.updated_at
         FROM client c WHERE c.id IN ({list}) ORDER BY c.sort_name, c.id"
    ))?;
    let items = stmt
        .query_map([], |r| {
            let dob: Option<String> = r.get(5)?;
            let status: String = r.get(4)?;
            Ok(ClientSummary {
                id: r.get(0)?,
                legal_name: r.get(1)?,
                preferred_name: r.get(2)?,
                pronouns: r.get(3)?,
                status: ClientStatus::parse(&status)?,
                age: dob
                    .and_then(|d| d.parse::<NaiveDate>().ok())
                    .map(|d| age_on(d, today)),
                updated_at: parse_time(&r.get::<_, String>(6)?)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
    }

    fn field_errors(r: Result<ClientInput>) -> FieldErrors {
        match r {
            Err(Error::Invalid(f)) => f,
            other => panic!("expected field errors, got {other:?}"),
        }
    }

    #[test]
    fn legal_name_is_required() {
        let f = field_errors(ClientInput::named("   ").validated(today()));
        assert!(f.has("legal_name"));
    }

    #[test]
    fn limits_and_shapes() {
        let mut c = ClientInput::named(&"a".repeat(201));
        c.notes = "n".repeat(20_001);
        c.email = Some("not an email".into());
        c.phone = Some("12".into());
        c.date_of_birth = NaiveDate::from_ymd_opt(2026, 11, 27);
        c.status = ClientStatus::Archived;
        c.fee_arrangement = FeeArrangement {
            kind: FeeKind::SlidingScale,
            agreed: vec![AgreedFee {
                service: Service::KapSession,
                cents: Cents(-1),
            }],
            note: None,
        };
        let f = field_errors(c.validated(today()));
        for field in [
            "legal_name",
            "notes",
            "email",
            "phone",
            "date_of_birth",
            "status",
            "fee_arrangement.agreed.kap_session",
        ] {
            assert!(f.has(field), "expected an error on {field}: {f:?}");
        }
    }

    #[test]
    fn boundaries_that_pass() {
        let mut c = ClientInput::named(&"a".repeat(200));
        c.notes = "n".repeat(20_000);
        c.date_of_birth = Some(today());
        c.fee_arrangement = FeeArrangement {
            kind: FeeKind::SlidingScale,
            agreed: vec![AgreedFee {
                service: Service::KapSession,
                cents: Cents(0),
            }],
            note: Some("  agreed at intake  ".into()),
        };
        let c = c
            .validated(today())
            .expect("every field at its limit is valid");
        assert_eq!(c.fee_arrangement.note.as_deref(), Some("agreed at intake"));
    }

    #[test]
    fn sliding_scale_needs_an_amount_and_standard_drops_them() {
        let mut c = ClientInput::named("A");
        c.fee_arrangement.kind = FeeKind::SlidingScale;
        assert!(field_errors(c.clone().validated(today())).has("fee_arrangement.agreed"));
        c.fee_arrangement.kind = FeeKind::Standard;
        c.fee_arrangement.agreed = vec![AgreedFee {
            service: Service::KapSession,
            cents: Cents(100),
        }];
        assert!(c
            .validated(today())
            .unwrap()
            .fee_arrangement
            .agreed
            .is_empty());
    }

    #[test]
    fn ages() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(
            age_on(d(2008, 11, 26), d(2026, 11, 26)),
            18,
            "18th birthday"
        );
        assert_eq!(age_on(d(2008, 11, 27), d(2026, 11, 26)), 17, "day before");
        assert_eq!(
            age_on(d(2008, 2, 29), d(2026, 2, 28)),
            17,
            "leap-day birthday"
        );
        assert_eq!(age_on(d(2008, 2, 29), d(2026, 3, 1)), 18);
    }
}

#[cfg(test)]
mod list_tests;
