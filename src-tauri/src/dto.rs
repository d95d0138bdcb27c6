//! Request and response types of the commands. Core domain types (`ClientInput`,
//! `PracticeSettings`, ...) travel as they are; these wrap them where a command needs
//! more. TypeScript versions are generated into `ui/src/lib/bindings/`.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub enum LockReason {
    /// No system keychain is running on this computer.
    KeychainUnavailable,
    /// The system keychain is locked.
    KeychainLocked,
    /// This computer's keychain does not hold the practice key (e.g. a new laptop).
    KeychainNoEntry,
    /// The keychain holds a key that does not belong to this practice.
    KeychainMismatch,
    /// The user pressed Lock.
    User,
    /// Nobody used the app for the idle-lock time.
    Idle,
    /// The practice could not be opened; `problem` says why.
    Problem,
}

/// Where the app stands. The UI shows first run, the lock screen or the practice.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub enum AppStatus {
    NoPractice {
        data_dir: String,
    },
    Locked {
        reason: LockReason,
        problem: Option<String>,
    },
    Unlocked {
        practice_name: String,
        therapist_name: String,
        time_zone: String,
        idle_lock_minutes: u32,
        /// True when this laptop's keychain holds the key (no typing at launch).
        keychain_saved: bool,
        /// The practice's setting "Open without the passphrase on this computer".
        open_without_passphrase: bool,
        /// The client self-report mode is on: the UI shows only the questionnaire.
        self_report: bool,
    },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct CreatePracticeRequest {
    pub practice_name: String,
    /// The therapist's name without credentials.
    pub therapist_name: String,
    /// E.g. "LCSW"; optional at first run.
    #[serde(default)]
    pub credentials: String,
    pub passphrase: String,
    pub passphrase_again: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct UnlockRequest {
    pub passphrase: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct ChangePassphraseRequest {
    pub current: String,
    pub new: String,
    pub new_again: String,
}

/// A passphrase being chosen, for the core's verdict on its strength. The names (when
/// creating a practice) count as words a guesser knows; once a practice is open its own
/// names are used.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct StrengthRequest {
    pub passphrase: String,
    #[serde(default)]
    #[cfg_attr(feature = "ts-export", ts(optional))]
    pub practice_name: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "ts-export", ts(optional))]
    pub therapist_name: Option<String>,
}

/// Turns "Open without the passphrase on this computer" on or off.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct KeychainPreference {
    pub open_without_passphrase: bool,
}

/// A global search: the words as typed (the core reads at most a few words of them).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct SearchRequest {
    pub query: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct ClientId {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub id: i64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct UpdateClientRequest {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub id: i64,
    pub client: kap_practice::clients::ClientInput,
}

/// A client's record as its page opens it: the client, and from when the record may
/// lawfully be destroyed (it never is by the app).
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct ClientRecord {
    #[serde(flatten)]
    pub client: kap_practice::clients::Client,
    pub retention: kap_practice::retention::Retention,
}

/// A page of the client list, with each listed client's clearance today (archived
/// clients have none), so that the list is one answer and drawn once.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct ClientList {
    #[serde(flatten)]
    pub page: kap_practice::clients::ClientPage,
    pub badges: Vec<kap_practice::clearance::ClearanceBadge>,
}

/// A client's page, opened: the record (the `view` is audited) and every section's
/// contents, in one answer.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct ClientView {
    pub client: kap_practice::clients::Client,
    pub retention: kap_practice::retention::Retention,
    pub appointments: Vec<kap_practice::appointments::Appointment>,
    pub follow_ups: Vec<kap_practice::followups::FollowUp>,
    pub measures: ClientMeasures,
    pub clearance: kap_practice::clearance::ClearanceRecord,
    pub contraindications: Vec<kap_practice::intakes::ContraindicationItem>,
    /// The prescribers to choose from (archived ones left out).
    pub prescribers: Vec<kap_practice::prescribers::Prescriber>,
    pub ledger: kap_practice::billing::Ledger,
    pub billing_profile: kap_practice::billing::BillingProfile,
    /// This client's forms left with unsaved text.
    pub drafts: Vec<kap_practice::drafts::DraftSummary>,
    pub records_rights: RecordsRights,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct RecordId {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub id: i64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct ListPrescribersRequest {
    pub include_archived: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct UpdatePrescriberRequest {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub id: i64,
    pub prescriber: kap_practice::prescribers::PrescriberInput,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct CreateIntakeRequest {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub client_id: i64,
    pub intake: kap_practice::intakes::IntakeInput,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct UpdateIntakeRequest {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub id: i64,
    pub intake: kap_practice::intakes::IntakeInput,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct RecordScreeningRequest {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub intake_id: i64,
    pub screening: kap_practice::intakes::ScreeningInput,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct CreatePrescriptionRequest {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub client_id: i64,
    pub prescription: kap_practice::prescriptions::PrescriptionInput,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct RecordConsentRequest {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub client_id: i64,
    pub consent: kap_practice::consent::ConsentInput,
    /// The therapist confirmed a typed name that is not the client's own.
    #[serde(default)]
    pub name_confirmed: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct CheckClearanceRequest {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub client_id: i64,
    pub on: chrono::NaiveDate,
}

/// The consent form's text, to read with the client before signing.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct ConsentFormView {
    pub version: u32,
    pub title: String,
    pub text: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct SetContraindicationRequest {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub id: i64,
    pub enabled: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct AddContraindicationRequest {
    pub label: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct DateRange {
    /// First local date, inclusive.
    pub from: chrono::NaiveDate,
    /// Last local date, exclusive.
    pub to: chrono::NaiveDate,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct RescheduleRequest {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub id: i64,
    pub appointment: kap_practice::appointments::AppointmentInput,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct SetStatusRequest {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub id: i64,
    pub status: kap_practice::appointments::AppointmentStatus,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct SetAttendanceRequest {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub id: i64,
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub client_id: i64,
    pub attendance: kap_practice::appointments::Attendance,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct NoteKey {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub appointment_id: i64,
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub client_id: i64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct SaveNoteRequest {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub appointment_id: i64,
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub client_id: i64,
    pub body: kap_practice::notes::NoteBody,
}

/// A note for one client of an appointment: the saved one, or an empty one of the kind
/// the appointment takes.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct NoteView {
    pub note: Option<kap_practice::notes::SessionNote>,
    pub empty: kap_practice::notes::NoteBody,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct AmendRequest {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub id: i64,
    pub text: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct CreateFollowUpRequest {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub client_id: i64,
    pub follow_up: kap_practice::followups::FollowUpInput,
}

/// Overdue follow-ups from the `offset`th, most overdue first.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct OverdueRequest {
    pub offset: u32,
}

/// A page of overdue follow-ups, and how many are overdue in all.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct OverduePage {
    pub items: Vec<kap_practice::followups::FollowUp>,
    pub total: u32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct DropFollowUpRequest {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub id: i64,
    pub reason: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct ExportScheduleRequest {
    pub from: chrono::NaiveDate,
    pub to: chrono::NaiveDate,
    pub include_names: bool,
    /// The file the user chose in the save dialog.
    pub path: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct SaveTargetRequest {
    /// The app's suggested file name, e.g. `schedule-2026-03-09.ics`.
    pub file_name: String,
}

#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct Saved {
    pub path: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct SetChargeAmountRequest {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub id: i64,
    pub amount: kap_practice::Cents,
    /// The usual fee, when the fee schedule had none for this service.
    pub usual: Option<kap_practice::Cents>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct CreateInvoiceRequest {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub client_id: i64,
    #[cfg_attr(feature = "ts-export", ts(type = "Array<number>"))]
    pub charge_ids: Vec<i64>,
    pub issued_on: chrono::NaiveDate,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct RecordPaymentRequest {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub invoice_id: i64,
    pub paid_on: chrono::NaiveDate,
    pub method: kap_practice::billing::PaymentMethod,
    pub amount: kap_practice::Cents,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct VoidInvoiceRequest {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub id: i64,
    pub reason: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct SetPlaceOfServiceRequest {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub id: i64,
    pub place: kap_practice::billing::PlaceOfService,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct SuperbillRange {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub client_id: i64,
    pub from: chrono::NaiveDate,
    pub to: chrono::NaiveDate,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct ReversePaymentRequest {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub payment_id: i64,
    pub reversed_on: chrono::NaiveDate,
    pub reason: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct SetBillingProfileRequest {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub client_id: i64,
    pub profile: kap_practice::billing::BillingProfile,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct SaveInvoicePdfRequest {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub id: i64,
    pub path: String,
    /// Who the document is going to and why, when the therapist said (recorded with its
    /// audit row for the accounting of disclosures).
    #[serde(default)]
    #[cfg_attr(feature = "ts-export", ts(optional))]
    pub recipient: Option<kap_practice::records::accounting::Recipient>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct SaveSuperbillPdfRequest {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub client_id: i64,
    pub from: chrono::NaiveDate,
    pub to: chrono::NaiveDate,
    pub path: String,
    /// Who the document is going to and why, when the therapist said (recorded with its
    /// audit row for the accounting of disclosures).
    #[serde(default)]
    #[cfg_attr(feature = "ts-export", ts(optional))]
    pub recipient: Option<kap_practice::records::accounting::Recipient>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct SaveClientPdfRequest {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub client_id: i64,
    pub path: String,
    /// Who the document is going to and why, when the therapist said (recorded with its
    /// audit row for the accounting of disclosures).
    #[serde(default)]
    #[cfg_attr(feature = "ts-export", ts(optional))]
    pub recipient: Option<kap_practice::records::accounting::Recipient>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct SaveEstimatePdfRequest {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub client_id: i64,
    pub plan: kap_practice::billing::EstimatePlan,
    pub path: String,
    /// Who the document is going to and why, when the therapist said (recorded with its
    /// audit row for the accounting of disclosures).
    #[serde(default)]
    #[cfg_attr(feature = "ts-export", ts(optional))]
    pub recipient: Option<kap_practice::records::accounting::Recipient>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct OpenFileRequest {
    pub path: String,
}

/// A form's fields as typed, to keep as its draft.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct SaveDraftRequest {
    pub key: kap_practice::drafts::DraftKey,
    /// The client the form is about, when there is one.
    #[cfg_attr(feature = "ts-export", ts(type = "number | null"))]
    pub client_id: Option<i64>,
    /// The fields as a JSON object, serialised.
    pub body: String,
}

/// When a draft was saved.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct DraftSaved {
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// Which drafts to list: one client's, or all (`null`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct DraftList {
    #[cfg_attr(feature = "ts-export", ts(type = "number | null"))]
    pub client_id: Option<i64>,
}

/// A booking to check for a time conflict before it is saved.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct CheckBookingTimeRequest {
    pub appointment: kap_practice::appointments::AppointmentInput,
    /// The appointment being changed, which cannot conflict with itself.
    #[cfg_attr(feature = "ts-export", ts(type = "number | null"))]
    pub except: Option<i64>,
}

/// Which clients' clearance to show, on which date.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct ClearanceBadgesRequest {
    #[cfg_attr(feature = "ts-export", ts(type = "Array<number>"))]
    pub client_ids: Vec<i64>,
    pub on: chrono::NaiveDate,
}

/// Which build of the app this is (Settings → About).
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct AboutApp {
    pub version: String,
    /// `YYYY-MM-DD`: the date of the commit it was built from, or "unknown".
    pub build_date: String,
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub schema_version: i64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct RecordMeasureRequest {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub client_id: i64,
    pub measure: kap_practice::measures::MeasureInput,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct StrikeMeasureRequest {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub id: i64,
    pub reason: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct AssessSafetyRequest {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub measure_id: i64,
    pub assessment: kap_practice::measures::safety::SafetyAssessmentInput,
}

/// A client's questionnaires and safety flags, as the client page shows them.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct ClientMeasures {
    pub measures: Vec<kap_practice::measures::Measure>,
    pub flags: Vec<kap_practice::measures::safety::SafetyFlag>,
    pub pcl5_cut_point: u32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct StartSelfReportRequest {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub client_id: i64,
    #[cfg_attr(feature = "ts-export", ts(type = "number | null"))]
    pub appointment_id: Option<i64>,
    pub instruments: Vec<kap_practice::measures::Instrument>,
}

/// What the self-report screen shows: the questionnaires still to answer (their texts
/// come from `measure_definitions`). Nothing about the client.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct SelfReportState {
    pub pending: Vec<kap_practice::measures::Instrument>,
    /// How many were answered in this sitting.
    pub answered: u32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct SubmitSelfReportRequest {
    pub instrument: kap_practice::measures::Instrument,
    pub answers: Vec<Option<u8>>,
    pub difficulty: Option<u8>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct LeaveSelfReportRequest {
    pub passphrase: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct PlannedSessionsRequest {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub client_id: i64,
    pub planned_sessions: u32,
}

/// A client's records-rights section: their access requests, newest first, and every
/// disclosure of their information whose recipient is known, oldest first.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct RecordsRights {
    pub access_requests: Vec<kap_practice::records::access::AccessRequest>,
    pub disclosures: Vec<kap_practice::records::accounting::DisclosureLine>,
    /// The revision of the practice's notice of privacy practices; none until written.
    pub notice_revised_on: Option<chrono::NaiveDate>,
    /// The client's acknowledgments of the notice, newest first.
    pub acknowledgments: Vec<kap_practice::records::notice::AcknowledgmentRecord>,
    /// The client's release-of-information authorizations, newest first, with how each
    /// stands today.
    pub authorizations: Vec<kap_practice::records::authorization::Authorization>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct DraftAuthorization {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub client_id: i64,
    pub authorization: kap_practice::records::authorization::AuthorizationForm,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct UpdateAuthorization {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub id: i64,
    pub authorization: kap_practice::records::authorization::AuthorizationForm,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct SignAuthorization {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub id: i64,
    pub signed_on: chrono::NaiveDate,
    pub signed_by: kap_practice::records::authorization::SignedBy,
    /// The representative who signed, with their authority; only for a representative.
    pub representative: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct RevokeAuthorization {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub id: i64,
    pub revoked_on: chrono::NaiveDate,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct SaveAuthorizationPdf {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub id: i64,
    pub path: String,
    #[serde(default)]
    #[cfg_attr(feature = "ts-export", ts(optional))]
    pub recipient: Option<kap_practice::records::accounting::Recipient>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct DisclosureWarningRequest {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub client_id: i64,
    pub recipient: kap_practice::records::accounting::Recipient,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct LogAccessRequest {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub client_id: i64,
    pub request: kap_practice::records::access::AccessRequestInput,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct ExtendAccessRequest {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub id: i64,
    pub on: chrono::NaiveDate,
    pub reason: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct FulfilAccessRequest {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub id: i64,
    pub outcome: kap_practice::records::access::FulfilInput,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct DenyAccessRequest {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub id: i64,
    pub denial: kap_practice::records::access::DenyInput,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct WithdrawAccessRequest {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub id: i64,
    pub on: chrono::NaiveDate,
    pub note: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct AddDisclosureEntry {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub client_id: i64,
    pub entry: kap_practice::records::accounting::EntryInput,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct SaveDenialLetter {
    /// The denied access request.
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub id: i64,
    pub path: String,
    #[serde(default)]
    #[cfg_attr(feature = "ts-export", ts(optional))]
    pub recipient: Option<kap_practice::records::accounting::Recipient>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct SaveProcessNote {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub appointment_id: i64,
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub client_id: i64,
    pub body: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct RecordAcknowledgment {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub client_id: i64,
    pub acknowledgment: kap_practice::records::notice::AcknowledgmentInput,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct SaveNoticePdf {
    pub path: String,
}
