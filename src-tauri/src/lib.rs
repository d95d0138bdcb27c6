//! KAP Practice desktop shell as a library: the IPC commands, the session and the wire.
//!
//! The binary (`main.rs`) adds the window, plugins and the idle lock; tests drive the same
//! commands in-process through Tauri's mock runtime with [`register`].

mod commands;
mod commands_activity;
mod commands_backup;
mod commands_billing;
mod commands_clearance;
mod commands_drafts;
mod commands_export;
mod commands_print;
mod commands_schedule;
pub mod dto;
pub mod state;
pub mod wire;

pub use state::AppState;

/// True for a URL the app's own window may show: its bundled pages (`tauri://localhost`
/// on Linux and macOS, `http(s)://tauri.localhost` on Windows) and, in a debug build, the
/// Vite dev server. Everything else is refused, so no link or script can navigate the
/// window to the network (the CSP does not cover navigation).
pub fn is_app_url(url: &tauri::Url) -> bool {
    match url.scheme() {
        "tauri" => url.host_str() == Some("localhost"),
        "http" | "https" if url.host_str() == Some("tauri.localhost") => true,
        "http" => {
            cfg!(debug_assertions)
                && url.host_str() == Some("localhost")
                && url.port() == Some(5173)
        }
        _ => false,
    }
}

/// A plugin that cancels every navigation of a webview away from the app's own pages.
pub fn navigation_guard<R: tauri::Runtime>() -> tauri::plugin::TauriPlugin<R> {
    tauri::plugin::Builder::new("navigation-guard")
        .on_navigation(|_webview, url| is_app_url(url))
        .build()
}

/// Adds every IPC command to `builder`: the one list of what the UI can invoke.
pub fn register<R: tauri::Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder.invoke_handler(tauri::generate_handler![
        commands::app_status,
        commands::create_practice,
        commands::unlock,
        commands::lock,
        commands::activity,
        commands::change_passphrase,
        commands::passphrase_strength,
        commands::set_keychain_preference,
        commands_activity::activity_page,
        commands_activity::verify_record,
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
        commands_clearance::clearance_badges,
        commands_schedule::dashboard,
        commands_schedule::list_appointments,
        commands_schedule::client_appointments,
        commands_schedule::get_appointment,
        commands_schedule::book_appointment,
        commands_schedule::check_booking_time,
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
        commands_drafts::save_draft,
        commands_drafts::get_draft,
        commands_drafts::discard_draft,
        commands_drafts::list_drafts,
        commands_billing::client_ledger,
        commands_billing::set_charge_amount,
        commands_billing::create_invoice,
        commands_billing::record_payment,
        commands_billing::void_invoice,
        commands_billing::set_charge_place_of_service,
        commands_billing::check_superbill,
        commands_billing::reverse_payment,
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
        commands_export::export_client_record_pdf,
        commands_export::export_client_zip,
        commands_export::export_practice_zip,
        commands_export::cancel_export,
        commands_backup::backup_status,
        commands_backup::backup_now,
        commands_backup::cancel_backup,
        commands_backup::set_backup_schedule,
        commands_backup::inspect_backup,
        commands_backup::restore_backup,
        commands_backup::backup_target,
        commands_print::list_printers,
        commands_print::preview_document,
        commands_print::print_document,
        commands_print::save_document_pdf,
    ])
}

#[cfg(test)]
mod tests {
    use super::is_app_url;

    #[test]
    fn only_the_apps_own_pages() {
        let ok = |u: &str| is_app_url(&tauri::Url::parse(u).unwrap_or_else(|_| panic!("{u}")));
        assert!(ok("tauri://localhost/index.html"));
        assert!(ok("http://tauri.localhost/"));
        assert!(ok("https://tauri.localhost/clients"));
        for bad in [
            "http://203.0.113.9/",
            "https://example.com/",
            "http://ipc.localhost/",
            "tauri://evil.example/",
            "file:///etc/passwd",
            "data:text/html,hi",
            "javascript:alert(1)",
            "http://localhost:8080/",
            "ws://localhost:5173/",
        ] {
            assert!(!ok(bad), "{bad}");
        }
    }
}
