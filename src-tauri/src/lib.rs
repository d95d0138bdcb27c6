//! KAP Practice desktop shell as a library: the IPC commands, the session and the wire.
//!
//! The binary (`main.rs`) adds the window, plugins and the idle lock; tests drive the same
//! commands in-process through Tauri's mock runtime with [`register`].

mod commands;
pub mod dto;
#[cfg(test)]
mod mirror;
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

/// Declares the IPC commands, area by area, once: [`register`] hands them to Tauri and
/// [`COMMANDS`] names them for the test that keeps `build.rs`, the capability file and the
/// UI's `api/<area>.ts` files in step (`mirror.rs`).
macro_rules! commands {
    ($($area:ident: [$($command:ident),+ $(,)?]),+ $(,)?) => {
        /// Every IPC command as (area, name): `commands/<area>.rs` defines it and
        /// `ui/src/lib/api/<area>.ts` calls it.
        pub const COMMANDS: &[(&str, &str)] = &[$($((stringify!($area), stringify!($command)),)+)+];

        /// Adds every IPC command to `builder`: the one list of what the UI can invoke.
        pub fn register<R: tauri::Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
            builder.invoke_handler(tauri::generate_handler![$($(commands::$area::$command,)+)+])
        }
    };
}

commands! {
    practice: [
        app_status,
        create_practice,
        unlock,
        lock,
        activity,
        change_passphrase,
        passphrase_strength,
        set_keychain_preference,
    ],
    activity: [activity_page, verify_record],
    settings: [get_settings, update_settings, about_app],
    clients: [
        list_clients,
        open_client,
        client_page,
        create_client,
        update_client,
        archive_client,
        unarchive_client,
    ],
    prescribers: [
        list_prescribers,
        create_prescriber,
        update_prescriber,
        archive_prescriber,
        unarchive_prescriber,
    ],
    clearance: [
        get_clearance_record,
        check_clearance,
        create_intake,
        update_intake,
        record_screening,
        create_prescription,
        record_consent,
        get_consent_form,
        clearance_badges,
    ],
    contraindications: [
        list_contraindications,
        set_contraindication_enabled,
        add_contraindication,
    ],
    dashboard: [dashboard],
    appointments: [
        list_appointments,
        client_appointments,
        get_appointment,
        book_appointment,
        check_booking_time,
        check_booking_course,
        reschedule_appointment,
        set_appointment_status,
        set_attendance,
    ],
    notes: [
        get_note,
        save_note_draft,
        sign_note,
        amend_note,
        get_process_note,
        save_process_note,
    ],
    search: [global_search],
    measures: [
        measure_definitions,
        client_measures,
        appointment_measures,
        client_course,
        set_planned_sessions,
        course_settings,
        set_course_settings,
        record_measure,
        strike_measure,
        assess_safety,
        start_self_report,
        self_report_state,
        submit_self_report,
        leave_self_report,
    ],
    followups: [
        client_follow_ups,
        overdue_follow_ups,
        create_follow_up,
        complete_follow_up,
        drop_follow_up,
    ],
    records: [
        client_records_rights,
        log_access_request,
        extend_access_request,
        fulfil_access_request,
        deny_access_request,
        withdraw_access_request,
        add_disclosure_entry,
        save_denial_letter,
        save_disclosure_accounting,
        privacy_notice,
        save_privacy_notice,
        save_privacy_notice_pdf,
        record_privacy_acknowledgment,
        draft_authorization,
        update_authorization,
        sign_authorization,
        revoke_authorization,
        save_authorization_pdf,
        disclosure_warning,
    ],
    import: [
        preview_client_csv,
        dry_run_client_csv,
        import_client_csv,
        check_practice_export,
        import_practice_export,
        open_target,
    ],
    calendar: [export_schedule],
    drafts: [save_draft, get_draft, discard_draft, list_drafts],
    billing: [
        client_ledger,
        set_charge_amount,
        create_invoice,
        record_payment,
        void_invoice,
        set_charge_place_of_service,
        check_superbill,
        reverse_payment,
        practice_billing,
        get_billing_profile,
        set_billing_profile,
        get_service_codes,
        set_service_codes,
        save_invoice_pdf,
        save_superbill_pdf,
        save_consent_pdf,
        save_estimate_pdf,
    ],
    export: [
        export_client_record_pdf,
        export_prescriber_summary,
        export_client_zip,
        export_practice_zip,
        cancel_export,
        save_target,
        open_saved_file,
    ],
    backup: [
        backup_status,
        backup_now,
        cancel_backup,
        set_backup_schedule,
        inspect_backup,
        restore_backup,
        backup_target,
    ],
    print: [
        list_printers,
        preview_document,
        print_document,
        save_document_pdf,
    ],
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
