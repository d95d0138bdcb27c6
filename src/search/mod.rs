//! Global search: one query over clients, session notes, amendments, intakes, invoices,
//! prescribers and, when the words name a day, that day's appointments.
//!
//! The text lives in the `search_text` full-text index inside the encrypted database
//! (migration 0015), which triggers keep in step with every write, in the write's own
//! transaction. Accents and case are ignored, and every word matches as a prefix.
//!
//! The query is never logged, audited or stored: it is read, turned into a safe FTS5
//! expression (only letters and digits survive, each word quoted), and dropped. Each
//! kind is read newest first through a rowid range with a small limit, so a search's cost
//! follows the page it shows, not the number of matches.

pub mod dates;

use crate::appointments::{self, AppointmentKind};
use crate::billing::invoice_number;
use crate::error::Result;
use crate::practice;
use crate::store::col as sql;
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

/// The most words a query is read for; the rest are ignored.
pub const MAX_TERMS: usize = 8;
/// The longest word kept; longer ones are cut (no real word is this long).
pub const MAX_TERM_CHARS: usize = 40;
/// How many of each kind a search shows.
pub const PER_KIND: usize = 5;
/// The fewest characters a text search starts at (a day in words needs none).
pub const MIN_CHARS: usize = 2;

/// Where a kind's rows sit in the index's rowids (see migration 0015): from `code *
/// KIND_SHIFT`, newest record first.
const KIND_SHIFT: i64 = 1 << 40;

/// The record a rowid of the kind starting at `lo` indexes.
fn record_id(lo: i64, rowid: i64) -> i64 {
    lo + (KIND_SHIFT - 1) - rowid
}

/// What a result is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub enum HitKind {
    Appointment,
    Client,
    Note,
    Amendment,
    Intake,
    Invoice,
    Prescriber,
}

impl HitKind {
    /// The kinds in the order a search shows them.
    pub const ALL: [HitKind; 7] = [
        HitKind::Appointment,
        HitKind::Client,
        HitKind::Note,
        HitKind::Amendment,
        HitKind::Intake,
        HitKind::Invoice,
        HitKind::Prescriber,
    ];

    /// The kind's code in the index's rowids; appointments are not in the index.
    fn code(self) -> Option<i64> {
        Some(match self {
            HitKind::Appointment => return None,
            HitKind::Client => 1,
            HitKind::Note => 2,
            HitKind::Amendment => 3,
            HitKind::Intake => 4,
            HitKind::Prescriber => 5,
            HitKind::Invoice => 6,
        })
    }
}

/// A piece of a snippet: the words that matched are `hit`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "ts-export",
    derive(ts_rs::TS),
    ts(export, rename = "SearchFragment")
)]
pub struct Fragment {
    pub text: String,
    pub hit: bool,
}

/// One result, with what the UI needs to show it and to open it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "ts-export",
    derive(ts_rs::TS),
    ts(export, rename = "SearchHit")
)]
pub struct Hit {
    pub kind: HitKind,
    /// The record's id: the client, note, amendment, intake, invoice, prescriber or
    /// appointment.
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub id: i64,
    /// The client it belongs to (none for a prescriber or a group appointment).
    #[cfg_attr(feature = "ts-export", ts(type = "number | null"))]
    pub client_id: Option<i64>,
    /// The appointment a note or an amendment is of (to open the note).
    #[cfg_attr(feature = "ts-export", ts(type = "number | null"))]
    pub appointment_id: Option<i64>,
    /// A client's legal name, a prescriber's name, an invoice's number, an
    /// appointment's time and kind.
    pub title: String,
    /// The client's preferred name, when they have one.
    pub preferred_name: Option<String>,
    /// The local day it is about: the session, the intake, the invoice's issue.
    pub date: Option<NaiveDate>,
    /// A line of detail: the kind of session, a client's email, an invoice's status.
    pub detail: String,
    /// The text around the match, for notes, amendments and intakes.
    pub snippet: Vec<Fragment>,
}

/// The results of one kind, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "ts-export",
    derive(ts_rs::TS),
    ts(export, rename = "SearchGroup")
)]
pub struct Group {
    pub kind: HitKind,
    pub hits: Vec<Hit>,
    /// More matched than are shown.
    pub more: bool,
}

/// A search's results: the groups that found something, in [`HitKind::ALL`]'s order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[cfg_attr(
    feature = "ts-export",
    derive(ts_rs::TS),
    ts(export, rename = "SearchResults")
)]
pub struct Results {
    pub groups: Vec<Group>,
    /// The day the words named, when they named one.
    pub day: Option<NaiveDate>,
    /// The query was too short to search text.
    pub too_short: bool,
}

/// The words of a query as the index knows them: NFC, split at anything that is not a
/// letter or a digit, at most [`MAX_TERMS`] of at most [`MAX_TERM_CHARS`] characters.
pub fn terms(query: &str) -> Vec<String> {
    let normal: String = query.chars().take(4 * 1024).nfc().collect();
    let words: Vec<String> = normal
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(MAX_TERMS)
        .map(|w| w.chars().take(MAX_TERM_CHARS).collect())
        .collect();
    // A lone letter beside longer words is a word being started ("ana d"): it would
    // match half the index, so it waits for its second letter.
    if words.iter().any(|w| w.chars().nth(1).is_some()) {
        words
            .into_iter()
            .filter(|w| w.chars().nth(1).is_some())
            .collect()
    } else {
        words
    }
}

/// A word as the index stores it: lower case, accents removed (`unicode61
/// remove_diacritics 2`, near enough for looking up its vocabulary).
fn folded(word: &str) -> String {
    word.nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The most whole words a prefix is expanded into; a prefix starting more is asked as a
/// prefix.
const MAX_EXPANSION: usize = 32;

/// A word as a prefix: two or three letters through FTS5's prefix index; longer, as the
/// whole words of the index that start with it (read lazily), when there are at most
/// [`MAX_EXPANSION`]; else as a prefix.
fn prefix_expression(conn: &Connection, word: &str) -> Result<String> {
    let key = folded(word);
    if key.chars().count() <= 3 {
        return Ok(quoted(word, true));
    }
    let mut stmt = conn.prepare_cached(
        "SELECT term FROM search_vocab WHERE term >= ?1 AND term < ?2 ORDER BY term LIMIT ?3",
    )?;
    let words = stmt
        .query_map(
            params![key, format!("{key}\u{10FFFF}"), (MAX_EXPANSION + 1) as i64],
            |r| r.get::<_, String>(0),
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    if words.is_empty() || words.len() > MAX_EXPANSION {
        return Ok(quoted(word, true));
    }
    Ok(format!(
        "({})",
        words
            .iter()
            .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
            .collect::<Vec<_>>()
            .join(" OR ")
    ))
}

/// Each word quoted, as a prefix or whole: FTS5 syntax in a query (quotes, stars, NEAR,
/// OR, minus, caret, colons, brackets) is only ever text.
fn quoted(term: &str, prefix: bool) -> String {
    if prefix {
        format!("\"{term}\"*")
    } else {
        format!("\"{term}\"")
    }
}

/// The FTS5 expression for a kind: every word somewhere; for notes, amendments and
/// intakes at least one of them in the text itself, so a client's name alone does not
/// list all their notes. `prefix`: each word as the start of a word, else whole words.
/// Public for the fuzz target.
pub fn expression(kind: HitKind, terms: &[String], prefix: bool) -> String {
    let words: Vec<String> = terms.iter().map(|t| quoted(t, prefix)).collect();
    expression_of(kind, &words)
}

/// [`expression`] over words already in FTS5's syntax.
fn expression_of(kind: HitKind, words: &[String]) -> String {
    match kind {
        HitKind::Note | HitKind::Amendment | HitKind::Intake => match words {
            [one] => format!("body : {one}"),
            _ => format!(
                "({}) AND body : ({})",
                words.join(" AND "),
                words.join(" OR ")
            ),
        },
        _ => words.join(" AND "),
    }
}

/// Searches everything. `today` is the practice's today (for days in words).
pub fn search(conn: &Connection, query: &str, today: NaiveDate) -> Result<Results> {
    let mut results = Results::default();
    // Days in words are short; a long query is never one.
    if query.chars().count() <= 40 {
        if let Some(day) = dates::parse_day(query, today) {
            results.day = Some(day);
            let group = appointments_on(conn, day)?;
            if !group.hits.is_empty() {
                results.groups.push(group);
            }
        }
    }
    let terms = terms(query);
    let chars: usize = terms.iter().map(|t| t.chars().count()).sum();
    if chars < MIN_CHARS {
        results.too_short = results.day.is_none();
        return Ok(results);
    }
    // The practice's zone, read once when a note's day is first needed.
    let mut tz = None;
    let whole: Vec<String> = terms.iter().map(|t| quoted(t, false)).collect();
    let mut prefixes: Option<Vec<String>> = None;
    for kind in HitKind::ALL {
        let Some(code) = kind.code() else { continue };
        // Whole words first: FTS5 reads a word's list lazily, newest first, and stops
        // at the page. Only when they do not fill it, the words as prefixes, each turned
        // into the whole words it starts where the prefix index does not cover it.
        let mut found = matching(conn, code, &expression_of(kind, &whole))?;
        if found.len() <= PER_KIND {
            let words = match &prefixes {
                Some(p) => p,
                None => prefixes.insert(
                    terms
                        .iter()
                        .map(|t| prefix_expression(conn, t))
                        .collect::<Result<Vec<_>>>()?,
                ),
            };
            found = matching(conn, code, &expression_of(kind, words))?;
        }
        if found.is_empty() {
            continue;
        }
        let more = found.len() > PER_KIND;
        let mut hits = Vec::with_capacity(PER_KIND);
        for (id, snippet) in found.into_iter().take(PER_KIND) {
            if let Some(hit) = describe(conn, kind, id, snippet, &mut tz)? {
                hits.push(hit);
            }
        }
        results.groups.push(Group { kind, hits, more });
    }
    Ok(results)
}

/// The newest `PER_KIND + 1` records of one kind that match, with their snippets: in
/// rowid order, which is newest first within a kind.
fn matching(conn: &Connection, code: i64, expr: &str) -> Result<Vec<(i64, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT rowid, snippet(search_text, 1, char(2), char(3), '…', 12)
         FROM search_text
         WHERE search_text MATCH ?1 AND rowid >= ?2 AND rowid < ?3
         ORDER BY rowid LIMIT ?4",
    )?;
    let lo = code * KIND_SHIFT;
    let rows = stmt
        .query_map(
            params![expr, lo, lo + KIND_SHIFT, (PER_KIND + 1) as i64],
            |r| Ok((record_id(lo, r.get(0)?), r.get::<_, String>(1)?)),
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Splits a snippet at the match markers.
fn fragments(snippet: &str) -> Vec<Fragment> {
    let mut out = Vec::new();
    let mut hit = false;
    let mut text = String::new();
    for c in snippet.chars() {
        match c {
            '\u{2}' | '\u{3}' => {
                if !text.is_empty() {
                    out.push(Fragment {
                        text: std::mem::take(&mut text),
                        hit,
                    });
                }
                hit = c == '\u{2}';
            }
            // Newlines between a note's fields read as a break.
            '\n' => text.push_str(" · "),
            c => text.push(c),
        }
    }
    if !text.is_empty() {
        out.push(Fragment { text, hit });
    }
    out
}

fn describe(
    conn: &Connection,
    kind: HitKind,
    id: i64,
    snippet: String,
    tz: &mut Option<chrono_tz::Tz>,
) -> Result<Option<Hit>> {
    let base = |title: String| Hit {
        kind,
        id,
        client_id: None,
        appointment_id: None,
        title,
        preferred_name: None,
        date: None,
        detail: String::new(),
        snippet: Vec::new(),
    };
    let hit = match kind {
        HitKind::Client => conn
            .query_row(
                "SELECT legal_name, preferred_name, email, phone, status FROM client WHERE id = ?1",
                [id],
                |r| {
                    let contact: Vec<String> = [r.get::<_, Option<String>>(2)?, r.get(3)?]
                        .into_iter()
                        .flatten()
                        .filter(|s| !s.is_empty())
                        .collect();
                    let status: String = r.get(4)?;
                    let mut detail = contact.join(" · ");
                    if status == "archived" {
                        detail = if detail.is_empty() {
                            "Archived".into()
                        } else {
                            format!("Archived · {detail}")
                        };
                    }
                    Ok(Hit {
                        client_id: Some(id),
                        preferred_name: r.get(1)?,
                        detail,
                        // The notes about the client, when the words are there.
                        snippet: if snippet.contains('\u{2}') {
                            fragments(&snippet)
                        } else {
                            Vec::new()
                        },
                        ..base(r.get(0)?)
                    })
                },
            )
            .optional()?,
        HitKind::Note | HitKind::Amendment => {
            // The session's local day: the practice's zone, read once per search.
            let zone = match *tz {
                Some(t) => t,
                None => *tz.insert(practice::tz(conn)?),
            };
            let note_id = if kind == HitKind::Amendment {
                conn.query_row("SELECT note_id FROM amendment WHERE id = ?1", [id], |r| {
                    r.get::<_, i64>(0)
                })
                .optional()?
            } else {
                Some(id)
            };
            let Some(note_id) = note_id else {
                return Ok(None);
            };
            conn.query_row(
                "SELECT c.id, c.legal_name, c.preferred_name, a.id, a.kind, a.starts_at,
                        n.signed_at IS NOT NULL
                 FROM session_note n
                 JOIN client c ON c.id = n.client_id
                 JOIN appointment a ON a.id = n.appointment_id
                 WHERE n.id = ?1",
                [note_id],
                |r| {
                    let kind_label = AppointmentKind::parse(&r.get::<_, String>(4)?)?.label();
                    let signed: bool = r.get(6)?;
                    let detail = match (kind, signed) {
                        (HitKind::Amendment, _) => format!("Amendment to the {kind_label} note"),
                        (_, true) => format!("{kind_label} note"),
                        (_, false) => format!("{kind_label} note, not signed yet"),
                    };
                    Ok(Hit {
                        client_id: Some(r.get(0)?),
                        appointment_id: Some(r.get(3)?),
                        preferred_name: r.get(2)?,
                        date: Some(
                            sql::time(&r.get::<_, String>(5)?)?
                                .with_timezone(&zone)
                                .date_naive(),
                        ),
                        detail,
                        snippet: fragments(&snippet),
                        ..base(r.get(1)?)
                    })
                },
            )
            .optional()?
        }
        HitKind::Intake => conn
            .query_row(
                "SELECT c.id, c.legal_name, c.preferred_name, i.kind, i.date
                 FROM intake i JOIN client c ON c.id = i.client_id WHERE i.id = ?1",
                [id],
                |r| {
                    let kind: String = r.get(3)?;
                    Ok(Hit {
                        client_id: Some(r.get(0)?),
                        preferred_name: r.get(2)?,
                        date: Some(sql::date(&r.get::<_, String>(4)?)?),
                        detail: if kind == "medical" {
                            "Medical intake".into()
                        } else {
                            "Mental health intake".into()
                        },
                        snippet: fragments(&snippet),
                        ..base(r.get(1)?)
                    })
                },
            )
            .optional()?,
        HitKind::Invoice => conn
            .query_row(
                "SELECT v.year, v.seq, v.client_id, c.legal_name, c.preferred_name, v.issued_on,
                        v.status
                 FROM invoice v JOIN client c ON c.id = v.client_id WHERE v.id = ?1",
                [id],
                |r| {
                    let status: String = r.get(6)?;
                    let name: String = r.get(3)?;
                    Ok(Hit {
                        client_id: Some(r.get(2)?),
                        preferred_name: r.get(4)?,
                        date: Some(sql::date(&r.get::<_, String>(5)?)?),
                        detail: if status == "void" {
                            format!("{name} · void")
                        } else {
                            name
                        },
                        ..base(format!("Invoice {}", invoice_number(r.get(0)?, r.get(1)?)))
                    })
                },
            )
            .optional()?,
        HitKind::Prescriber => conn
            .query_row(
                "SELECT name, credentials, practice, archived FROM prescriber WHERE id = ?1",
                [id],
                |r| {
                    let name: String = r.get(0)?;
                    let credentials: String = r.get(1)?;
                    let practice: Option<String> = r.get(2)?;
                    let archived: bool = r.get(3)?;
                    let mut detail = practice.unwrap_or_default();
                    if archived {
                        detail = if detail.is_empty() {
                            "Archived".into()
                        } else {
                            format!("{detail} · archived")
                        };
                    }
                    Ok(Hit {
                        detail,
                        ..base(format!("{name}, {credentials}"))
                    })
                },
            )
            .optional()?,
        HitKind::Appointment => None,
    };
    Ok(hit)
}

/// The appointments on a local day, in time order (all of them: a day holds few).
fn appointments_on(conn: &Connection, day: NaiveDate) -> Result<Group> {
    let next = day.succ_opt().unwrap_or(day);
    let list = appointments::between(conn, day, next)?;
    let more = false;
    let hits = list
        .into_iter()
        .map(|a| {
            let names: Vec<String> = a
                .attendees
                .iter()
                .map(|t| match &t.preferred_name {
                    Some(p) if !p.is_empty() => format!("{} ({p})", t.legal_name),
                    _ => t.legal_name.clone(),
                })
                .collect();
            let single = (a.attendees.len() == 1).then(|| a.attendees[0].client_id);
            Hit {
                kind: HitKind::Appointment,
                id: a.id,
                client_id: single,
                appointment_id: Some(a.id),
                title: format!("{} {}", a.starts_local.format("%-I:%M %p"), a.kind.label()),
                preferred_name: None,
                date: Some(a.starts_local.date()),
                detail: if a.status.holds_slot() {
                    names.join(", ")
                } else {
                    format!(
                        "{} · {}",
                        names.join(", "),
                        a.status.as_str().replace('_', " ")
                    )
                },
                snippet: Vec::new(),
            }
        })
        .collect();
    Ok(Group {
        kind: HitKind::Appointment,
        hits,
        more,
    })
}

/// What is wrong with the index, if anything: every record against its row (no record without one, no row without a record, the same
/// text). Empty when the index is exactly the records. Reads every record: for `verify`
/// and the crash tests, not for the app's every open.
pub fn index_findings(conn: &Connection) -> Result<Vec<String>> {
    // `PRAGMA integrity_check` (which `store::verify_file` runs) checks the index's own
    // structure; this checks that it holds exactly the records.
    let mut findings = Vec::new();
    // Each kind: the records' text as the triggers write it.
    let sources: [(HitKind, &str); 6] = [
        (
            HitKind::Client,
            "SELECT w.id AS id, w.who AS who, b.body AS body FROM search_client_who w
             JOIN search_client_body b ON b.id = w.id",
        ),
        (
            HitKind::Note,
            "SELECT t.id AS id, w.who AS who, coalesce(t.body, '') AS body FROM search_note_text t
             JOIN search_client_who w ON w.id = t.client_id",
        ),
        (
            HitKind::Amendment,
            "SELECT a.id AS id, w.who AS who, a.text AS body FROM amendment a
             JOIN session_note n ON n.id = a.note_id
             JOIN search_client_who w ON w.id = n.client_id",
        ),
        (
            HitKind::Intake,
            "SELECT i.id AS id, w.who AS who, i.notes AS body FROM intake i
             JOIN search_client_who w ON w.id = i.client_id",
        ),
        (
            HitKind::Prescriber,
            "SELECT p.id AS id, p.name AS who, b.body AS body FROM prescriber p
             JOIN search_prescriber_body b ON b.id = p.id",
        ),
        (
            HitKind::Invoice,
            "SELECT v.id AS id, w.who AS who, printf('%d-%04d', v.year, v.seq) AS body FROM invoice v
             JOIN search_client_who w ON w.id = v.client_id",
        ),
    ];
    for (kind, source) in sources {
        let Some(code) = kind.code() else { continue };
        let lo = code * KIND_SHIFT;
        let (records, differing): (i64, i64) = conn.query_row(
            &format!(
                "SELECT count(*), coalesce(sum(s.rowid IS NULL OR s.who IS NOT r.who OR s.body IS NOT r.body), 0)
                 FROM ({source}) AS r
                 LEFT JOIN search_text s ON s.rowid = ?1 + 1099511627775 - r.id"
            ),
            [lo],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let rows: i64 = conn.query_row(
            "SELECT count(*) FROM search_text WHERE rowid >= ?1 AND rowid < ?2",
            params![lo, lo + KIND_SHIFT],
            |r| r.get(0),
        )?;
        if differing > 0 || rows != records {
            findings.push(format!(
                "the search index is out of step for {kind:?}: {records} records, {rows} rows, {differing} differing"
            ));
        }
    }
    Ok(findings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_become_safe_words() {
        let cases: &[(&str, &[&str])] = &[
            ("dog", &["dog"]),
            ("  Ana   López ", &["Ana", "López"]),
            ("\"unterminated", &["unterminated"]),
            ("dog*", &["dog"]),
            ("a NEAR b", &["NEAR"]),
            ("x OR y", &["OR"]),
            ("ana d", &["ana"]),
            ("a", &["a"]),
            ("-grief ^renewal", &["grief", "renewal"]),
            ("body:dog", &["body", "dog"]),
            ("(a) {b}", &["a", "b"]),
            ("(ab) {b}", &["ab"]),
            ("2026-0042", &["2026", "0042"]),
            ("ana.lopez@example.com", &["ana", "lopez", "example", "com"]),
            ("\u{202e}evil\u{202c}", &["evil"]),
            ("🐕 dog 🐕", &["dog"]),
            ("🐕", &[]),
            ("", &[]),
            ("\"*^-:()", &[]),
            // Decomposed accents are composed first, as the index stores them.
            ("Lo\u{301}pez", &["López"]),
        ];
        for (q, want) in cases {
            assert_eq!(terms(q), *want, "{q:?}");
        }
        let long = "a".repeat(10_000);
        assert_eq!(terms(&long), vec!["a".repeat(MAX_TERM_CHARS)]);
        let many = "w ".repeat(100);
        assert_eq!(terms(&many).len(), MAX_TERMS);
    }

    #[test]
    fn expressions_quote_every_word() {
        let t = |s: &[&str]| s.iter().map(|w| w.to_string()).collect::<Vec<_>>();
        assert_eq!(
            expression(HitKind::Client, &t(&["ana", "OR"]), true),
            "\"ana\"* AND \"OR\"*"
        );
        assert_eq!(
            expression(HitKind::Client, &t(&["ana", "OR"]), false),
            "\"ana\" AND \"OR\""
        );
        assert_eq!(
            expression(HitKind::Note, &t(&["ana", "dog"]), true),
            "(\"ana\"* AND \"dog\"*) AND body : (\"ana\"* OR \"dog\"*)"
        );
        assert_eq!(
            expression(HitKind::Note, &t(&["dog"]), true),
            "body : \"dog\"*"
        );
    }

    #[test]
    fn words_fold_as_the_index_stores_them() {
        for (word, want) in [
            ("López", "lopez"),
            ("Lo\u{301}pez", "lopez"),
            ("ZOË", "zoe"),
            ("Ñúñez", "nunez"),
            ("Ångström", "angstrom"),
            ("2026", "2026"),
        ] {
            assert_eq!(folded(word), want, "{word}");
        }
    }

    #[test]
    fn snippets_split_at_the_markers() {
        let f = fragments("…the \u{2}dog\u{3} ran\nhome");
        assert_eq!(
            f,
            vec![
                Fragment {
                    text: "…the ".into(),
                    hit: false
                },
                Fragment {
                    text: "dog".into(),
                    hit: true
                },
                Fragment {
                    text: " ran · home".into(),
                    hit: false
                },
            ]
        );
    }
}
