//! The IPC commands, one file per area of the UI: `commands/<area>.rs` answers exactly the
//! calls of `ui/src/lib/api/<area>.ts`, area for area (`mirror.rs` tests that the two
//! sides, `register`, `build.rs` and the capability file agree).
//!
//! Commands are adapters over the core, a few lines each: decode the request, call the
//! core through [`AppState::read`](crate::AppState::read) or
//! [`AppState::write`](crate::AppState::write), which hand over the connection and the
//! practice's today by the store's clock, and map the error. No SQL and no rules here.

pub mod activity;
pub mod appointments;
pub mod backup;
pub mod billing;
pub mod calendar;
pub mod clearance;
pub mod clients;
pub mod contraindications;
pub mod dashboard;
pub mod drafts;
pub mod export;
pub mod followups;
pub mod import;
pub mod measures;
pub mod notes;
pub mod practice;
pub mod prescribers;
pub mod print;
pub mod records;
pub mod search;
pub mod settings;
