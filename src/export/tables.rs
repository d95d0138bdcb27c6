//! What an export holds: one entry per entity, each a query with typed, stable column
//! names. The names and types are the export format: renaming a database column must not
//! rename an exported one, so every column is listed here, in order, by hand.
//!
//! Every query has two forms: the whole practice, and one client. The client form
//! selects only rows that belong to that client (through `client_id`, or through the
//! intake, note, screening or invoice they hang from) and never another client's row: a
//! group session's other attendees are not in a client's `appointment_attendees`.

/// How a column's stored value is exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An integer (ids, counts, minutes).
    Int,
    /// Money in integer US cents; the column's name ends in `_cents`.
    Cents,
    Text,
    /// A calendar date, ISO 8601 (`2026-03-10`).
    Date,
    /// An instant, UTC, RFC 3339 with microseconds (`2026-03-10T15:00:00.000000Z`).
    Time,
    /// Stored as 0 or 1; exported as `false` or `true`.
    Bool,
    /// Structured data stored as JSON (a session note's body, presenting concerns): nested
    /// as is in the JSON file, as compact JSON text in the CSV file.
    Json,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Int => "integer",
            Kind::Cents => "cents",
            Kind::Text => "text",
            Kind::Date => "date",
            Kind::Time => "time",
            Kind::Bool => "boolean",
            Kind::Json => "json",
        }
    }
}

/// One exported entity: `<name>.json` and `<name>.csv` in the archive.
#[derive(Debug)]
pub struct Entity {
    pub name: &'static str,
    pub columns: &'static [(&'static str, Kind)],
    /// `SELECT <columns in order> FROM ...` without a filter.
    pub select: &'static str,
    /// A different `SELECT` for one client's export, where a column shared with other
    /// clients must be left out; `None` uses `select`.
    pub client_select: Option<&'static str>,
    /// The filter for one client (`?1` is the client's id); `None` for practice-wide
    /// data that a client's export leaves out.
    pub client_filter: Option<&'static str>,
    pub order: &'static str,
    /// Private process notes (psychotherapy notes, 45 CFR 164.501): in the practice's
    /// export (the therapist's own practice moving), but in a client's export only when
    /// the therapist includes them explicitly for that one export (audited on its
    /// disclosure row); `client_filter` then selects the client's own.
    pub private: bool,
}

use Kind::*;

pub const ENTITIES: &[Entity] = &[
    Entity {
        name: "clients",
        columns: &[
            ("id", Int),
            ("legal_name", Text),
            ("preferred_name", Text),
            ("pronouns", Text),
            ("date_of_birth", Date),
            ("phone", Text),
            ("email", Text),
            ("address", Text),
            ("emergency_contact_name", Text),
            ("emergency_contact_relation", Text),
            ("emergency_contact_phone", Text),
            ("referral_source", Text),
            ("presenting_concerns", Json),
            ("status", Text),
            ("status_before_archive", Text),
            ("fee_arrangement", Json),
            ("fee_note", Text),
            ("notes", Text),
            ("created_at", Time),
            ("updated_at", Time),
            ("kap_sessions_planned", Int),
        ],
        select: "SELECT id, legal_name, preferred_name, pronouns, date_of_birth, phone, email,
            address, emergency_name, emergency_relation, emergency_phone, referral_source,
            presenting_concerns, status, status_before_archive, fee_arrangement, fee_note, notes,
            created_at, updated_at, kap_sessions_planned FROM client",
        client_select: None,
        client_filter: Some("id = ?1"),
        order: "id",
        private: false,
    },
    Entity {
        name: "billing_profiles",
        columns: &[
            ("client_id", Int),
            ("diagnosis_codes", Json),
            ("member_id", Text),
            ("updated_at", Time),
        ],
        select: "SELECT client_id, diagnosis_codes, member_id, updated_at FROM billing_profile",
        client_select: None,
        client_filter: Some("client_id = ?1"),
        order: "client_id",
        private: false,
    },
    Entity {
        name: "intakes",
        columns: &[
            ("id", Int),
            ("client_id", Int),
            ("kind", Text),
            ("date", Date),
            ("clinician", Text),
            ("prescriber_id", Int),
            ("duration_minutes", Int),
            ("outcome", Text),
            ("notes", Text),
            ("created_at", Time),
            ("updated_at", Time),
        ],
        select: "SELECT id, client_id, kind, date, clinician, prescriber_id, duration_minutes,
            outcome, notes, created_at, updated_at FROM intake",
        client_select: None,
        client_filter: Some("client_id = ?1"),
        order: "id",
        private: false,
    },
    Entity {
        name: "screenings",
        columns: &[
            ("id", Int),
            ("intake_id", Int),
            ("client_id", Int),
            ("screened_on", Date),
            ("created_at", Time),
        ],
        select: "SELECT s.id, s.intake_id, i.client_id, s.screened_on, s.created_at
            FROM screening s JOIN intake i ON i.id = s.intake_id",
        client_select: None,
        client_filter: Some("i.client_id = ?1"),
        order: "s.id",
        private: false,
    },
    Entity {
        name: "screening_answers",
        columns: &[
            ("screening_id", Int),
            ("client_id", Int),
            ("contraindication_id", Int),
            ("label", Text),
            ("answer", Text),
            ("note", Text),
            ("override_rationale", Text),
            ("override_prescriber_id", Int),
            ("override_date", Date),
        ],
        select: "SELECT a.screening_id, i.client_id, a.contraindication_id, a.label, a.answer,
            a.note, a.override_rationale, a.override_prescriber_id, a.override_date
            FROM screening_answer a JOIN screening s ON s.id = a.screening_id
            JOIN intake i ON i.id = s.intake_id",
        client_select: None,
        client_filter: Some("i.client_id = ?1"),
        order: "a.screening_id, a.contraindication_id",
        private: false,
    },
    Entity {
        name: "prescriptions",
        columns: &[
            ("id", Int),
            ("client_id", Int),
            ("prescriber_id", Int),
            ("date", Date),
            ("formulation", Text),
            ("strength_mg", Int),
            ("quantity", Int),
            ("directions", Text),
            ("pharmacy", Text),
            ("cost_cents", Cents),
            ("created_at", Time),
        ],
        select: "SELECT id, client_id, prescriber_id, date, formulation, strength_mg, quantity,
            directions, pharmacy, cost_cents, created_at FROM prescription",
        client_select: None,
        client_filter: Some("client_id = ?1"),
        order: "id",
        private: false,
    },
    Entity {
        name: "consents",
        columns: &[
            ("id", Int),
            ("client_id", Int),
            ("form_version", Int),
            ("signed_on", Date),
            ("typed_name", Text),
            ("witness", Text),
            ("created_at", Time),
        ],
        select: "SELECT id, client_id, form_version, signed_on, typed_name, witness, created_at
            FROM consent",
        client_select: None,
        client_filter: Some("client_id = ?1"),
        order: "id",
        private: false,
    },
    Entity {
        name: "appointments",
        columns: &[
            ("id", Int),
            ("kind", Text),
            ("starts_at", Time),
            ("ends_at", Time),
            ("duration_minutes", Int),
            ("location", Text),
            ("location_note", Text),
            ("status", Text),
            ("notes", Text),
            ("course_reason", Text),
            ("created_at", Time),
            ("updated_at", Time),
        ],
        select: "SELECT id, kind, starts_at, ends_at, duration_minutes, location, location_note,
            status, notes, course_reason, created_at, updated_at FROM appointment",
        // A group session's appointment notes (and any reason it was booked despite the
        // course's rules) are the group's, and may name its other members: a client's own
        // export leaves them out (each member's session note is their own and is exported).
        client_select: Some(
            "SELECT id, kind, starts_at, ends_at, duration_minutes, location, location_note,
            status, CASE WHEN kind = 'group_kap_session' THEN '' ELSE notes END,
            CASE WHEN kind = 'group_kap_session' THEN NULL ELSE course_reason END, created_at,
            updated_at FROM appointment",
        ),
        client_filter: Some(
            "id IN (SELECT appointment_id FROM appointment_attendee WHERE client_id = ?1)",
        ),
        order: "id",
        private: false,
    },
    Entity {
        name: "appointment_attendees",
        columns: &[
            ("appointment_id", Int),
            ("client_id", Int),
            ("attendance", Text),
            ("note_signed", Bool),
        ],
        select: "SELECT appointment_id, client_id, attendance, note_signed
            FROM appointment_attendee",
        client_select: None,
        client_filter: Some("client_id = ?1"),
        order: "appointment_id, client_id",
        private: false,
    },
    Entity {
        name: "session_notes",
        columns: &[
            ("id", Int),
            ("appointment_id", Int),
            ("client_id", Int),
            ("body", Json),
            ("signed_at", Time),
            ("created_at", Time),
            ("updated_at", Time),
            // Computed as the row is written (`archive::note_seal`): a signed note's seal.
            ("seal", Text),
        ],
        select: "SELECT id, appointment_id, client_id, body, signed_at, created_at, updated_at,
            NULL FROM session_note",
        client_select: None,
        client_filter: Some("client_id = ?1"),
        order: "id",
        private: false,
    },
    Entity {
        name: "amendments",
        columns: &[
            ("id", Int),
            ("note_id", Int),
            ("client_id", Int),
            ("text", Text),
            ("created_at", Time),
        ],
        select: "SELECT m.id, m.note_id, n.client_id, m.text, m.created_at
            FROM amendment m JOIN session_note n ON n.id = m.note_id",
        client_select: None,
        client_filter: Some("n.client_id = ?1"),
        order: "m.id",
        private: false,
    },
    Entity {
        name: "follow_ups",
        columns: &[
            ("id", Int),
            ("client_id", Int),
            ("appointment_id", Int),
            ("kind", Text),
            ("due_on", Date),
            ("status", Text),
            ("note", Text),
            ("drop_reason", Text),
            ("created_at", Time),
            ("updated_at", Time),
        ],
        select: "SELECT id, client_id, appointment_id, kind, due_on, status, note, drop_reason,
            created_at, updated_at FROM follow_up",
        client_select: None,
        client_filter: Some("client_id = ?1"),
        order: "id",
        private: false,
    },
    // Outcome questionnaires: `answers` has one character per item in the form's order,
    // the answer's digit or `-` for an item left unanswered; `total` is empty for an
    // incomplete one; `safety_flag` is PHQ-9 item 9 answered above 0.
    Entity {
        name: "measures",
        columns: &[
            ("id", Int),
            ("client_id", Int),
            ("appointment_id", Int),
            ("instrument", Text),
            ("taken_on", Date),
            ("answers", Text),
            ("difficulty", Int),
            ("total", Int),
            ("safety_flag", Bool),
            ("source", Text),
            ("struck_at", Time),
            ("strike_reason", Text),
            ("created_at", Time),
        ],
        select: "SELECT id, client_id, appointment_id, instrument, taken_on, answers, difficulty,
            total, safety_flag, source, struck_at, strike_reason, created_at FROM measure",
        client_select: None,
        client_filter: Some("client_id = ?1"),
        order: "id",
        private: false,
    },
    Entity {
        name: "safety_assessments",
        columns: &[
            ("id", Int),
            ("client_id", Int),
            ("measure_id", Int),
            ("assessed_at", Time),
            ("risk_level", Text),
            ("plan", Text),
            ("consulted", Text),
            ("created_at", Time),
        ],
        select: "SELECT id, client_id, measure_id, assessed_at, risk_level, plan, consulted,
            created_at FROM safety_assessment",
        client_select: None,
        client_filter: Some("client_id = ?1"),
        order: "id",
        private: false,
    },
    Entity {
        name: "charges",
        columns: &[
            ("id", Int),
            ("client_id", Int),
            ("appointment_id", Int),
            ("prescription_id", Int),
            ("intake_id", Int),
            ("service", Text),
            ("service_date", Date),
            ("description", Text),
            ("usual_cents", Cents),
            ("amount_cents", Cents),
            ("place_of_service", Text),
            ("invoice_id", Int),
            ("created_at", Time),
            ("updated_at", Time),
        ],
        select: "SELECT id, client_id, appointment_id, prescription_id, intake_id, service, service_date,
            description, usual_cents, amount_cents, place_of_service, invoice_id, created_at,
            updated_at FROM charge",
        client_select: None,
        client_filter: Some("client_id = ?1"),
        order: "id",
        private: false,
    },
    Entity {
        name: "invoices",
        columns: &[
            ("id", Int),
            ("number", Text),
            ("year", Int),
            ("seq", Int),
            ("client_id", Int),
            ("issued_on", Date),
            ("status", Text),
            ("void_reason", Text),
            ("created_at", Time),
        ],
        select: "SELECT id, printf('%d-%04d', year, seq), year, seq, client_id, issued_on,
            status, void_reason, created_at FROM invoice",
        client_select: None,
        client_filter: Some("client_id = ?1"),
        order: "id",
        private: false,
    },
    Entity {
        name: "invoice_lines",
        columns: &[
            ("invoice_id", Int),
            ("client_id", Int),
            ("charge_id", Int),
            ("usual_cents", Cents),
            ("amount_cents", Cents),
        ],
        select: "SELECT l.invoice_id, i.client_id, l.charge_id, l.usual_cents, l.amount_cents
            FROM invoice_line l JOIN invoice i ON i.id = l.invoice_id",
        client_select: None,
        client_filter: Some("i.client_id = ?1"),
        order: "l.invoice_id, l.charge_id",
        private: false,
    },
    Entity {
        name: "payments",
        columns: &[
            ("id", Int),
            ("invoice_id", Int),
            ("client_id", Int),
            ("paid_on", Date),
            ("method", Text),
            ("amount_cents", Cents),
            ("created_at", Time),
        ],
        select: "SELECT id, invoice_id, client_id, paid_on, method, amount_cents, created_at
            FROM payment",
        client_select: None,
        client_filter: Some("client_id = ?1"),
        order: "id",
        private: false,
    },
    Entity {
        name: "payment_reversals",
        columns: &[
            ("id", Int),
            ("payment_id", Int),
            ("client_id", Int),
            ("reversed_on", Date),
            ("reason", Text),
            ("created_at", Time),
        ],
        select: "SELECT r.id, r.payment_id, p.client_id, r.reversed_on, r.reason, r.created_at
            FROM payment_reversal r JOIN payment p ON p.id = r.payment_id",
        client_select: None,
        client_filter: Some("p.client_id = ?1"),
        order: "r.id",
        private: false,
    },
    // Records rights (since format 2): access requests, release authorizations,
    // disclosures entered by hand, acknowledgments of the notice of privacy practices.
    Entity {
        name: "access_requests",
        columns: &[
            ("id", Int),
            ("client_id", Int),
            ("received_on", Date),
            ("requested_by", Text),
            ("representative", Text),
            ("access", Text),
            ("records", Text),
            ("format", Text),
            ("delivery", Text),
            ("due_on", Date),
            ("extended_on", Date),
            ("extension_reason", Text),
            ("pages", Int),
            ("fee_cents", Cents),
            ("fee_waived", Bool),
            ("status", Text),
            ("closed_on", Date),
            ("outcome_note", Text),
            ("denial_ground", Text),
            ("denial_reason", Text),
            ("created_at", Time),
            ("updated_at", Time),
        ],
        select: "SELECT id, client_id, received_on, requested_by, representative, access, records,
            format, delivery, due_on, extended_on, extension_reason, pages, fee_cents,
            fee_waived, status, closed_on, outcome_note, denial_ground, denial_reason,
            created_at, updated_at FROM access_request",
        client_select: None,
        client_filter: Some("client_id = ?1"),
        order: "id",
        private: false,
    },
    Entity {
        name: "authorizations",
        columns: &[
            ("id", Int),
            ("client_id", Int),
            ("discloser", Text),
            ("recipient", Text),
            ("information", Text),
            ("purpose", Text),
            ("expires_on", Date),
            ("expiry_event", Text),
            ("process_notes", Bool),
            ("signed_on", Date),
            ("signed_by", Text),
            ("representative", Text),
            ("revoked_on", Date),
            ("created_at", Time),
            ("updated_at", Time),
        ],
        select: "SELECT id, client_id, discloser, recipient, information, purpose, expires_on,
            expiry_event, process_notes, signed_on, signed_by, representative, revoked_on,
            created_at, updated_at FROM authorization",
        client_select: None,
        client_filter: Some("client_id = ?1"),
        order: "id",
        private: false,
    },
    Entity {
        name: "disclosure_entries",
        columns: &[
            ("id", Int),
            ("client_id", Int),
            ("disclosed_on", Date),
            ("recipient_kind", Text),
            ("recipient", Text),
            ("information", Text),
            ("purpose", Text),
            ("purpose_note", Text),
            ("authorization_id", Int),
            ("created_at", Time),
            ("updated_at", Time),
        ],
        select: "SELECT id, client_id, disclosed_on, recipient_kind, recipient, information,
            purpose, purpose_note, authorization_id, created_at, updated_at
            FROM disclosure_entry",
        client_select: None,
        client_filter: Some("client_id = ?1"),
        order: "id",
        private: false,
    },
    Entity {
        name: "privacy_acknowledgments",
        columns: &[
            ("id", Int),
            ("client_id", Int),
            ("notice_revised_on", Date),
            ("acknowledged_on", Date),
            ("outcome", Text),
            ("note", Text),
            ("created_at", Time),
        ],
        select: "SELECT id, client_id, notice_revised_on, acknowledged_on, outcome, note,
            created_at FROM privacy_acknowledgment",
        client_select: None,
        client_filter: Some("client_id = ?1"),
        order: "id",
        private: false,
    },
    // Private process notes (since format 2): the practice's export carries them; a
    // client's export only when the therapist includes them for that one export.
    Entity {
        name: "process_notes",
        columns: &[
            ("id", Int),
            ("appointment_id", Int),
            ("client_id", Int),
            ("body", Text),
            ("created_at", Time),
            ("updated_at", Time),
        ],
        select: "SELECT id, appointment_id, client_id, body, created_at, updated_at
            FROM process_note",
        client_select: None,
        client_filter: Some("client_id = ?1"),
        order: "id",
        private: true,
    },
    // A client's export holds the prescribers named in that client's own records (who did
    // the medical intake, who prescribed, who overrode a contraindication), so its ids
    // resolve; the practice's export holds the whole directory.
    Entity {
        name: "prescribers",
        columns: &[
            ("id", Int),
            ("name", Text),
            ("credentials", Text),
            ("npi", Text),
            ("phone", Text),
            ("email", Text),
            ("practice", Text),
            ("archived", Bool),
            ("created_at", Time),
            ("updated_at", Time),
        ],
        select: "SELECT id, name, credentials, npi, phone, email, practice, archived, created_at,
            updated_at FROM prescriber",
        client_select: None,
        client_filter: Some(
            "id IN (SELECT prescriber_id FROM intake WHERE client_id = ?1
                UNION SELECT prescriber_id FROM prescription WHERE client_id = ?1
                UNION SELECT a.override_prescriber_id FROM screening_answer a
                    JOIN screening s ON s.id = a.screening_id
                    JOIN intake i ON i.id = s.intake_id WHERE i.client_id = ?1)",
        ),
        order: "id",
        private: false,
    },
    Entity {
        name: "practice_settings",
        columns: &[
            ("practice_name", Text),
            ("address", Text),
            ("phone", Text),
            ("therapist_name", Text),
            ("credentials", Text),
            ("ny_license_number", Text),
            ("npi", Text),
            ("ein", Text),
            ("time_zone", Text),
            ("idle_lock_minutes", Int),
            ("group_session_minutes", Int),
            ("psychotherapy_minutes", Int),
            ("integration_due_days", Int),
            ("updated_at", Time),
            // Since format 2: which of the prescriber's services the practice bills, the
            // KAP course's settings (NULL while the defaults stand) and the notice of
            // privacy practices. `open_without_passphrase` is not exported: it is this
            // computer's keychain preference, asked again on the new one.
            ("bills_medical_intake", Bool),
            ("bills_prescriptions", Bool),
            ("pcl5_cut_point", Int),
            ("measures_before_days", Int),
            ("pcl5_every_kap", Int),
            ("bp_hold_systolic", Int),
            ("bp_hold_diastolic", Int),
            ("privacy_notice", Text),
            ("privacy_notice_revised_on", Date),
        ],
        select: "SELECT practice_name, address, phone, therapist_name, credentials,
            ny_license_number, npi, ein, time_zone, idle_lock_minutes, group_session_minutes,
            psychotherapy_minutes, integration_due_days, updated_at, bills_medical_intake,
            bills_prescriptions, pcl5_cut_point, measures_before_days, pcl5_every_kap,
            bp_hold_systolic, bp_hold_diastolic, privacy_notice, privacy_notice_revised_on
            FROM practice",
        client_select: None,
        client_filter: None,
        order: "id",
        private: false,
    },
    Entity {
        name: "fee_schedule",
        columns: &[("service", Text), ("fee_cents", Cents)],
        select: "SELECT service, cents FROM fee_schedule",
        client_select: None,
        client_filter: None,
        order: "service",
        private: false,
    },
    Entity {
        name: "service_codes",
        columns: &[("service", Text), ("cpt", Text)],
        select: "SELECT service, cpt FROM service_code",
        client_select: None,
        client_filter: None,
        order: "service",
        private: false,
    },
    Entity {
        name: "contraindications",
        columns: &[
            ("id", Int),
            ("code", Text),
            ("label", Text),
            ("enabled", Bool),
            ("position", Int),
        ],
        select: "SELECT id, code, label, enabled, position FROM contraindication",
        client_select: None,
        client_filter: None,
        order: "position, id",
        private: false,
    },
];

/// The entities of one scope, each with its full query: for one client (`client`),
/// with the [`Entity::private`] ones only when `private` (the therapist's explicit
/// choice for that one export); for the practice, every entity.
pub fn queries(client: bool, private: bool) -> impl Iterator<Item = (&'static Entity, String)> {
    ENTITIES.iter().filter_map(move |e| {
        if client && e.private && !private {
            return None;
        }
        let sql = if client {
            format!(
                "{} WHERE {} ORDER BY {}",
                e.client_select.unwrap_or(e.select),
                e.client_filter?,
                e.order
            )
        } else {
            format!("{} ORDER BY {}", e.select, e.order)
        };
        Some((e, sql))
    })
}
