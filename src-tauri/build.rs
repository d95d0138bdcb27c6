const COMMANDS: &[&str] = &[
    "app_status",
    "create_practice",
    "unlock",
    "lock",
    "activity",
    "change_passphrase",
    "get_settings",
    "update_settings",
    "list_clients",
    "open_client",
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
    "expiring_clearances",
    "dashboard",
    "list_appointments",
    "client_appointments",
    "get_appointment",
    "book_appointment",
    "reschedule_appointment",
    "set_appointment_status",
    "set_attendance",
    "get_note",
    "save_note_draft",
    "sign_note",
    "amend_note",
    "client_follow_ups",
    "create_follow_up",
    "complete_follow_up",
    "drop_follow_up",
    "export_schedule",
    "save_target",
];

fn main() {
    // tauri.conf.json lives at the repository root (DEVELOPERS.md's layout). The app
    // manifest makes each command a permission, so a capability must grant it by name.
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .config_path("../tauri.conf.json")
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build script");
}
