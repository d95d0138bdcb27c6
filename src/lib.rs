//! KAP Practice core: the domain, its rules, the encrypted store and key custody.
//!
//! This crate knows nothing about windows, IPC or JSON on a wire; the Tauri shell in
//! `src-tauri/` adapts it. Every write goes through [`store::Store::write`], which runs in one
//! transaction and appends a hash-chained [`audit`] row in that same transaction.

pub mod activity;
pub mod appointments;
pub mod audit;
pub mod backup;
pub mod billing;
pub mod calendar;
pub mod clearance;
pub mod cli;
pub mod clients;
pub mod consent;
pub mod dashboard;
pub mod demo;
pub mod disclose;
pub mod documents;
pub mod drafts;
pub mod error;
pub mod export;
pub mod files;
pub mod fixtures;
pub mod folder;
pub mod followups;
pub mod import;
pub mod intakes;
pub mod key;
pub mod measures;
pub mod money;
pub mod notes;
pub mod practice;
pub mod prescribers;
pub mod prescriptions;
pub mod print;
pub mod process;
pub mod records;
pub mod retention;
pub mod search;
pub mod store;
mod str_enum;
pub mod validate;

pub use error::{Error, Result};
pub use money::Cents;
