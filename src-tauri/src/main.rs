//! KAP Practice desktop app: the Tauri shell over the core.
//!
//! The shell owns the window, the IPC commands and the session; everything else is the
//! core's. The practice lives in the OS's app-data folder, or in `KAP_DATA_DIR` when set.

// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;
mod commands_billing;
mod commands_clearance;
mod commands_schedule;
mod dto;
mod state;
mod wire;

use kap_practice::folder::PracticeFolder;
use kap_practice::key::Keychain;
use state::AppState;
use std::path::PathBuf;
use std::time::Duration;
use tauri::{Emitter, Manager};

/// How often the idle check runs; the lock happens within this much of the limit.
const IDLE_CHECK: Duration = Duration::from_secs(15);

fn data_dir(app: &tauri::App) -> Result<PathBuf, Box<dyn std::error::Error>> {
    match std::env::var_os("KAP_DATA_DIR") {
        Some(dir) if !dir.is_empty() => Ok(PathBuf::from(dir)),
        _ => Ok(app.path().app_data_dir()?),
    }
}

fn main() {
    tauri::Builder::default()
        // First: a second launch focuses the running window instead of opening the
        // database twice.
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            if let Some(w) = app.get_webview_window("main") {
                let _ = w.unminimize();
                let _ = w.show();
                let _ = w.set_focus();
            }
        }))
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .setup(|app| {
            let folder = PracticeFolder::new(data_dir(app)?);
            app.manage(AppState::launch(folder, Keychain::platform()));
            let handle = app.handle().clone();
            std::thread::spawn(move || loop {
                std::thread::sleep(IDLE_CHECK);
                if handle.state::<AppState>().lock_if_idle() {
                    let _ = handle.emit("locked", ());
                }
            });
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app_status,
            commands::create_practice,
            commands::unlock,
            commands::lock,
            commands::activity,
            commands::change_passphrase,
            commands::get_settings,
            commands::update_settings,
            commands::list_clients,
            commands::open_client,
            commands::create_client,
            commands::update_client,
            commands::archive_client,
            commands::unarchive_client,
            commands_clearance::list_prescribers,
            commands_clearance::create_prescriber,
            commands_clearance::update_prescriber,
            commands_clearance::archive_prescriber,
            commands_clearance::unarchive_prescriber,
            commands_clearance::get_clearance_record,
            commands_clearance::check_clearance,
            commands_clearance::create_intake,
            commands_clearance::update_intake,
            commands_clearance::record_screening,
            commands_clearance::create_prescription,
            commands_clearance::record_consent,
            commands_clearance::get_consent_form,
            commands_clearance::list_contraindications,
            commands_clearance::set_contraindication_enabled,
            commands_clearance::add_contraindication,
            commands_clearance::expiring_clearances,
            commands_schedule::dashboard,
            commands_schedule::list_appointments,
            commands_schedule::client_appointments,
            commands_schedule::get_appointment,
            commands_schedule::book_appointment,
            commands_schedule::reschedule_appointment,
            commands_schedule::set_appointment_status,
            commands_schedule::set_attendance,
            commands_schedule::get_note,
            commands_schedule::save_note_draft,
            commands_schedule::sign_note,
            commands_schedule::amend_note,
            commands_schedule::client_follow_ups,
            commands_schedule::create_follow_up,
            commands_schedule::complete_follow_up,
            commands_schedule::drop_follow_up,
            commands_schedule::export_schedule,
            commands_schedule::save_target,
            commands_billing::client_ledger,
            commands_billing::set_charge_amount,
            commands_billing::create_invoice,
            commands_billing::record_payment,
            commands_billing::void_invoice,
            commands_billing::practice_billing,
            commands_billing::get_billing_profile,
            commands_billing::set_billing_profile,
            commands_billing::get_service_codes,
            commands_billing::set_service_codes,
            commands_billing::save_invoice_pdf,
            commands_billing::save_superbill_pdf,
            commands_billing::save_consent_pdf,
            commands_billing::save_estimate_pdf,
            commands_billing::open_saved_file,
        ])
        .run(tauri::generate_context!("../tauri.conf.json"))
        .unwrap_or_else(|_| std::process::exit(1));
}
