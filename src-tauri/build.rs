const COMMANDS: &[&str] = &[
    "app_status",
    "create_practice",
    "unlock",
    "lock",
    "activity",
    "change_passphrase",
    "passphrase_strength",
    "set_keychain_preference",
    "activity_page",
    "verify_record",
    "get_settings",
    "update_settings",
    "about_app",
    "list_clients",
    "global_search",
    "open_client",
    "client_page",
    "create_client",
    "update_client",
    "archive_client",
    "unarchive_client",
    "list_prescribers",
    "create_prescriber",
    "update_prescriber",
    "archive_prescriber",
    "unarchive_prescriber",
    "get_clearance_record",
    "check_clearance",
    "create_intake",
    "update_intake",
    "record_screening",
    "create_prescription",
    "record_consent",
    "get_consent_form",
    "list_contraindications",
    "set_contraindication_enabled",
    "add_contraindication",
    "clearance_badges",
    "dashboard",
    "list_appointments",
    "client_appointments",
    "get_appointment",
    "book_appointment",
    "check_booking_time",
    "check_booking_course",
    "reschedule_appointment",
    "set_appointment_status",
    "set_attendance",
    "get_note",
    "save_note_draft",
    "save_draft",
    "get_draft",
    "discard_draft",
    "list_drafts",
    "sign_note",
    "amend_note",
    "get_process_note",
    "save_process_note",
    "measure_definitions",
    "client_measures",
    "appointment_measures",
    "client_course",
    "set_planned_sessions",
    "course_settings",
    "set_course_settings",
    "record_measure",
    "strike_measure",
    "assess_safety",
    "start_self_report",
    "self_report_state",
    "submit_self_report",
    "leave_self_report",
    "client_follow_ups",
    "overdue_follow_ups",
    "create_follow_up",
    "complete_follow_up",
    "drop_follow_up",
    "client_records_rights",
    "log_access_request",
    "extend_access_request",
    "fulfil_access_request",
    "deny_access_request",
    "withdraw_access_request",
    "add_disclosure_entry",
    "save_denial_letter",
    "save_disclosure_accounting",
    "privacy_notice",
    "save_privacy_notice",
    "save_privacy_notice_pdf",
    "record_privacy_acknowledgment",
    "draft_authorization",
    "update_authorization",
    "sign_authorization",
    "revoke_authorization",
    "save_authorization_pdf",
    "disclosure_warning",
    "preview_client_csv",
    "dry_run_client_csv",
    "import_client_csv",
    "check_practice_export",
    "import_practice_export",
    "open_target",
    "export_schedule",
    "save_target",
    "client_ledger",
    "set_charge_amount",
    "create_invoice",
    "record_payment",
    "void_invoice",
    "set_charge_place_of_service",
    "check_superbill",
    "reverse_payment",
    "practice_billing",
    "get_billing_profile",
    "set_billing_profile",
    "get_service_codes",
    "set_service_codes",
    "save_invoice_pdf",
    "save_superbill_pdf",
    "save_consent_pdf",
    "save_estimate_pdf",
    "open_saved_file",
    "export_client_record_pdf",
    "export_prescriber_summary",
    "export_client_zip",
    "export_practice_zip",
    "cancel_export",
    "backup_status",
    "backup_now",
    "cancel_backup",
    "set_backup_schedule",
    "inspect_backup",
    "restore_backup",
    "backup_target",
    "list_printers",
    "preview_document",
    "print_document",
    "save_document_pdf",
];

/// The date the About page shows: `SOURCE_DATE_EPOCH` when a packager sets it, else the
/// date of the commit being built (so two builds of one commit agree), else "unknown".
fn build_date() -> String {
    if let Some(at) = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|secs| chrono::DateTime::from_timestamp(secs, 0))
    {
        return at.date_naive().to_string();
    }
    std::process::Command::new("git")
        .args(["log", "-1", "--format=%cs"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.trim().to_owned())
        .filter(|s| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok())
        .unwrap_or_else(|| "unknown".to_owned())
}

fn main() {
    println!("cargo:rustc-env=KAP_BUILD_DATE={}", build_date());
    println!("cargo:rerun-if-env-changed=SOURCE_DATE_EPOCH");
    println!("cargo:rerun-if-changed=../.git/HEAD");
    println!("cargo:rerun-if-changed=../.git/logs/HEAD");
    // tauri.conf.json lives at the repository root (DEVELOPERS.md's layout). The app
    // manifest makes each command a permission, so a capability must grant it by name.
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .config_path("../tauri.conf.json")
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build script");
}
