//! The wire: one error shape, and request decoding with size limits.

use kap_practice::validate::FieldError;
use kap_practice::Error;
use serde::de::DeserializeOwned;
use serde::Serialize;
use tauri::ipc::{CommandArg, CommandItem, InvokeBody, InvokeError};
use tauri::Runtime;

/// The codes the UI branches on. Deliberately few.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub enum ErrorCode {
    Locked,
    WrongPassphrase,
    /// Too many wrong passphrases: the message says how long to wait.
    TryLater,
    Invalid,
    NotFound,
    Conflict,
    NotCleared,
    /// The disk is full: nothing was saved.
    DiskFull,
    /// The folder cannot be written: nothing was saved.
    ReadOnly,
    /// The backup is of another practice: restoring it needs the user's confirmation.
    OtherPractice,
    /// The client self-report mode is on: only the questionnaire answers.
    SelfReport,
    Internal,
}

/// Every command failure, as the UI receives it. `message` is for the user and never
/// holds PHI; `fields` lists field errors for `invalid`; `not_cleared` says which client a
/// KAP booking was refused for, and why.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct WireError {
    pub code: ErrorCode,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts-export", ts(optional))]
    pub fields: Option<Vec<FieldError>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts-export", ts(optional))]
    pub not_cleared: Option<NotClearedFor>,
}

/// The client a KAP booking was refused for, and each reason in words.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct NotClearedFor {
    #[cfg_attr(feature = "ts-export", ts(type = "number"))]
    pub client_id: i64,
    pub reasons: Vec<String>,
}

impl WireError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        WireError {
            code,
            message: message.into(),
            fields: None,
            not_cleared: None,
        }
    }

    pub fn locked() -> Self {
        Self::new(
            ErrorCode::Locked,
            "The practice is locked. Unlock it to continue.",
        )
    }

    pub fn self_report() -> Self {
        Self::new(
            ErrorCode::SelfReport,
            "The client self-report mode is on. Leave it with the practice passphrase to continue.",
        )
    }

    fn bad_request() -> Self {
        Self::new(
            ErrorCode::Invalid,
            "The request could not be read. Nothing was changed.",
        )
    }
}

impl From<Error> for WireError {
    fn from(err: Error) -> Self {
        let message = err.to_string();
        match err {
            Error::Invalid(fields) => WireError {
                fields: Some(fields.0),
                ..WireError::new(ErrorCode::Invalid, message)
            },
            Error::WrongPassphrase => WireError::new(ErrorCode::WrongPassphrase, message),
            Error::TryLater { .. } => WireError::new(ErrorCode::TryLater, message),
            // The user chose a file that cannot be restored: the choice is what is wrong.
            Error::NotABackup
            | Error::BackupDamaged
            | Error::NotAnExport
            | Error::ExportRefused(_) => WireError::new(ErrorCode::Invalid, message),
            Error::OtherPractice { .. } => WireError::new(ErrorCode::OtherPractice, message),
            Error::NotCleared { client_id, reasons } => WireError {
                not_cleared: Some(NotClearedFor {
                    client_id,
                    reasons: reasons.into_iter().map(|r| r.message).collect(),
                }),
                ..WireError::new(ErrorCode::NotCleared, message)
            },
            Error::NotFound(_) | Error::NoPractice => WireError::new(ErrorCode::NotFound, message),
            Error::Conflict(_)
            | Error::PracticeExists
            | Error::InUse
            | Error::Busy
            | Error::Cancelled => WireError::new(ErrorCode::Conflict, message),
            // The user can act on these (free space, fix permissions): their own codes.
            Error::DiskFull => WireError::new(ErrorCode::DiskFull, message),
            Error::ReadOnly => WireError::new(ErrorCode::ReadOnly, message),
            _ => WireError::new(ErrorCode::Internal, message),
        }
    }
}

pub type WireResult<T> = Result<T, WireError>;

/// The largest request the app accepts, in bytes of JSON text. The longest legitimate
/// field (a 20,000-character note) fits many times over.
pub const MAX_REQUEST_BYTES: usize = 512 * 1024;

/// A request argument decoded with the app's limits: at most [`MAX_REQUEST_BYTES`], with
/// unknown fields refused by the type itself (`deny_unknown_fields`). A failure is a
/// [`WireError`] with code `invalid`, like every other failure.
pub struct Req<T>(pub T);

fn json_len(v: &serde_json::Value) -> usize {
    // A close upper-bound estimate without re-serialising: strings count by bytes.
    match v {
        serde_json::Value::Null | serde_json::Value::Bool(_) => 5,
        serde_json::Value::Number(_) => 24,
        serde_json::Value::String(s) => s.len() + 2,
        serde_json::Value::Array(a) => 2 + a.iter().map(json_len).sum::<usize>(),
        serde_json::Value::Object(o) => {
            2 + o
                .iter()
                .map(|(k, v)| k.len() + 3 + json_len(v))
                .sum::<usize>()
        }
    }
}

/// Decodes one request value under the app's limits.
pub fn decode<T: DeserializeOwned>(value: &serde_json::Value) -> Result<T, WireError> {
    if json_len(value) > MAX_REQUEST_BYTES {
        return Err(WireError::new(
            ErrorCode::Invalid,
            "That is too much text for one request. Nothing was changed.",
        ));
    }
    T::deserialize(value).map_err(|_| WireError::bad_request())
}

impl<'de, R: Runtime, T: DeserializeOwned> CommandArg<'de, R> for Req<T> {
    fn from_command(command: CommandItem<'de, R>) -> Result<Self, InvokeError> {
        let reject = |e: WireError| InvokeError(serde_json::to_value(e).unwrap_or_default());
        let InvokeBody::Json(body) = command.message.payload() else {
            return Err(reject(WireError::bad_request()));
        };
        let value = body
            .get(command.key)
            .ok_or_else(|| reject(WireError::bad_request()))?;
        decode(value).map(Req).map_err(reject)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kap_practice::clients::ClientInput;
    use serde_json::json;

    fn client(extra: serde_json::Value) -> serde_json::Value {
        let mut v = json!({
            "legal_name": "A", "preferred_name": null, "pronouns": null, "date_of_birth": null,
            "phone": null, "email": null, "address": null,
            "emergency_contact": { "name": null, "relation": null, "phone": null },
            "referral_source": null, "presenting_concerns": [], "status": "inquiry",
            "fee_arrangement": { "kind": "standard", "agreed": [], "note": null }, "notes": ""
        });
        if let (Some(o), Some(e)) = (v.as_object_mut(), extra.as_object()) {
            for (k, val) in e {
                o.insert(k.clone(), val.clone());
            }
        }
        v
    }

    #[test]
    fn save_failures_of_the_disk_have_their_own_codes() {
        use std::io::{Error as IoError, ErrorKind};
        let cases = [
            (
                Error::from(IoError::from(ErrorKind::StorageFull)),
                ErrorCode::DiskFull,
            ),
            (
                Error::from(IoError::from(ErrorKind::ReadOnlyFilesystem)),
                ErrorCode::ReadOnly,
            ),
            (
                Error::from(IoError::from(ErrorKind::PermissionDenied)),
                ErrorCode::ReadOnly,
            ),
            (Error::DiskFull, ErrorCode::DiskFull),
            (Error::ReadOnly, ErrorCode::ReadOnly),
            (
                Error::from(IoError::from(ErrorKind::Other)),
                ErrorCode::Internal,
            ),
        ];
        for (err, code) in cases {
            let what = format!("{err:?}");
            assert_eq!(WireError::from(err).code, code, "{what}");
        }
    }

    #[test]
    fn decodes_a_well_formed_request() {
        let c: ClientInput = decode(&client(json!({}))).expect("well formed");
        assert_eq!(c.legal_name, "A");
    }

    #[test]
    fn refuses_unknown_fields_wrong_types_and_oversize() {
        let cases = [
            ("unknown field", client(json!({ "is_admin": true }))),
            ("wrong type", client(json!({ "legal_name": 5 }))),
            ("bad date", client(json!({ "date_of_birth": "2026-02-30" }))),
            ("bad enum", client(json!({ "status": "deleted" }))),
            (
                "huge number",
                client(
                    json!({ "fee_arrangement": { "kind": "sliding_scale", "agreed": [{ "service": "kap_session", "cents": 1e300 }], "note": null } }),
                ),
            ),
            (
                "10 MB string",
                client(json!({ "notes": "x".repeat(10 << 20) })),
            ),
            ("not an object", json!("DROP TABLE client")),
        ];
        for (what, value) in cases {
            let err = decode::<ClientInput>(&value).expect_err(what);
            assert_eq!(err.code, ErrorCode::Invalid, "{what}");
            assert!(
                !err.message.contains("DROP") && !err.message.contains("xxxx"),
                "{what}: no input echoed"
            );
        }
    }

    #[test]
    fn core_errors_map_to_the_small_code_set() {
        let invalid = WireError::from(kap_practice::Error::invalid(
            "legal_name",
            "Legal name is required.",
        ));
        assert_eq!(invalid.code, ErrorCode::Invalid);
        assert_eq!(
            invalid.fields.as_ref().map(|f| f[0].field.as_str()),
            Some("legal_name")
        );
        let cases = [
            (
                kap_practice::Error::WrongPassphrase,
                ErrorCode::WrongPassphrase,
            ),
            (kap_practice::Error::NotFound("client"), ErrorCode::NotFound),
            (kap_practice::Error::InUse, ErrorCode::Conflict),
            (kap_practice::Error::Corrupt, ErrorCode::Internal),
        ];
        for (err, code) in cases {
            assert_eq!(WireError::from(err).code, code);
        }
        let json = serde_json::to_value(WireError::locked()).unwrap();
        assert_eq!(json["code"], "locked");
        assert!(
            json.get("fields").is_none(),
            "fields only when there are field errors"
        );
        assert!(json.get("not_cleared").is_none());
    }

    /// A refused KAP booking names its client as data, not inside a field name.
    #[test]
    fn not_cleared_carries_the_client_and_the_reasons() {
        use kap_practice::clearance::{Reason, ReasonView};
        let err = kap_practice::Error::NotCleared {
            client_id: 42,
            reasons: vec![ReasonView {
                message: Reason::ConsentMissing.message(),
                reason: Reason::ConsentMissing,
            }],
        };
        let json = serde_json::to_value(WireError::from(err)).unwrap();
        assert_eq!(json["code"], "not_cleared");
        assert_eq!(json["not_cleared"]["client_id"], 42);
        let reasons = json["not_cleared"]["reasons"].as_array().unwrap();
        assert_eq!(reasons.len(), 1);
        assert!(
            reasons[0].as_str().unwrap().contains("consent"),
            "{reasons:?}"
        );
        assert!(json.get("fields").is_none());
    }
}
