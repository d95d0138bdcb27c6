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
    Invalid,
    NotFound,
    Conflict,
    /// Part of the contract from the start; returned once booking checks clearance.
    #[allow(dead_code)]
    NotCleared,
    Internal,
}

/// Every command failure, as the UI receives it. `message` is for the user and never
/// holds PHI; `fields` lists field errors for `invalid`.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts-export", derive(ts_rs::TS), ts(export))]
pub struct WireError {
    pub code: ErrorCode,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts-export", ts(optional))]
    pub fields: Option<Vec<FieldError>>,
}

impl WireError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        WireError {
            code,
            message: message.into(),
            fields: None,
        }
    }

    pub fn locked() -> Self {
        Self::new(
            ErrorCode::Locked,
            "The practice is locked. Unlock it to continue.",
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
                code: ErrorCode::Invalid,
                message,
                fields: Some(fields.0),
            },
            Error::WrongPassphrase => WireError::new(ErrorCode::WrongPassphrase, message),
            Error::NotFound(_) | Error::NoPractice => WireError::new(ErrorCode::NotFound, message),
            Error::Conflict(_) | Error::PracticeExists | Error::InUse | Error::Busy => {
                WireError::new(ErrorCode::Conflict, message)
            }
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

impl<'de, R: Runtime, T: DeserializeOwned> CommandArg<'de, R> for Req<T> {
    fn from_command(command: CommandItem<'de, R>) -> Result<Self, InvokeError> {
        let reject =
            || InvokeError(serde_json::to_value(WireError::bad_request()).unwrap_or_default());
        let InvokeBody::Json(body) = command.message.payload() else {
            return Err(reject());
        };
        let value = body.get(command.key).ok_or_else(reject)?;
        if json_len(value) > MAX_REQUEST_BYTES {
            return Err(InvokeError(
                serde_json::to_value(WireError::new(
                    ErrorCode::Invalid,
                    "That is too much text for one request. Nothing was changed.",
                ))
                .unwrap_or_default(),
            ));
        }
        T::deserialize(value).map(Req).map_err(|_| reject())
    }
}
